-- 0007_outbox_lean_rows: keep what never changes out of a queued record's state changes.
--
-- 1. The unique index that keeps a key live at most once was partial on `state <> 'superseded'`.
-- SQLite rewrites a partial index entry whenever a column its WHERE clause names changes, so
-- every state change (ready → sending → accepted) moved the record's entry in that index; the
-- keys are random hashes, so a batch of 500 dirtied hundreds of index pages twice per request.
-- The index now rests on its own flag, `superseded`, which changes once in a record's life, when
-- a newer version replaces it; two triggers keep the flag equal to `state = 'superseded'`.
--
-- 2. The JSON body of each version moves to its own table, `outbox_body`. A body never changes
-- once queued (the triggers below refuse it), while the queue row changes with every attempt, and
-- SQLite rewrites a whole row on every update: the bodies, most of each row's bytes, were written
-- again twice per attempt.
--
-- 3. `outbox_by_state_duplicate` lets the per-state counts (the queue's header, every run's summary)
-- read an index instead of the whole queue with its bodies.

ALTER TABLE outbox ADD COLUMN superseded INTEGER NOT NULL DEFAULT 0 CHECK (superseded IN (0, 1));
UPDATE outbox SET superseded = 1 WHERE state = 'superseded';

DROP INDEX outbox_live_key;
-- A key is live at most once; superseded versions may share a key with a later one.
CREATE UNIQUE INDEX outbox_live_key ON outbox (idempotency_key) WHERE superseded = 0;
CREATE INDEX outbox_by_state_duplicate ON outbox (state, duplicate);

CREATE TABLE outbox_body (
    outbox_id INTEGER PRIMARY KEY REFERENCES outbox (id),
    body      TEXT    NOT NULL CHECK (json_valid(body))
);
INSERT INTO outbox_body (outbox_id, body) SELECT id, body FROM outbox;
ALTER TABLE outbox DROP COLUMN body;
CREATE TRIGGER outbox_body_no_update BEFORE UPDATE ON outbox_body BEGIN
    SELECT RAISE(ABORT, 'a queued record body never changes: queue a new version instead');
END;

CREATE TRIGGER outbox_superseded_insert BEFORE INSERT ON outbox
WHEN (NEW.state = 'superseded') <> (NEW.superseded = 1)
BEGIN
    SELECT RAISE(ABORT, 'outbox.superseded must be 1 exactly when state is superseded');
END;
CREATE TRIGGER outbox_superseded_update BEFORE UPDATE OF state, superseded ON outbox
WHEN (NEW.state = 'superseded') <> (NEW.superseded = 1)
BEGIN
    SELECT RAISE(ABORT, 'outbox.superseded must be 1 exactly when state is superseded');
END;
