-- upgrade_drill: the extra migration of an upgrade drill build, never of a release.
--
-- Built in only with the store crate's cargo feature `upgrade-drill` (tests/dist/dist-test.sh
-- turns it on for the "version N+1" package). It plays the next release's migration, so the drill
-- can check that upgrading a package keeps the user's data, runs the migration and leaves the
-- pre-migration copy in backups/. It lives outside migrations/ so no release lists it, and it only
-- adds a table of its own: no existing table or row is touched.

CREATE TABLE upgrade_drill (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    migrated_at TEXT    NOT NULL
);

INSERT INTO upgrade_drill (id, migrated_at) VALUES (1, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'));
