-- 0009_serial_permutation: random serials as a keyed permutation of the sequence number.
--
-- 1. serial_series_key: the secret of a random series whose serials are computed rather than drawn.
--    Serial number `seq` of such a series is codes::serial::keyed (a Feistel network under this
--    key) of `seq`, written in [0-9A-Za-z] at the series' length. Serials are unique by
--    construction, so an allocation of a keyed series is a range of sequence numbers exactly as a
--    sequential one (first_seq .. first_seq + count, next_seq moves on) and nothing is stored per
--    serial. The key is 32 bytes from the operating system's generator, drawn by the app when the
--    series is created; it lives here, so backups and restores carry it. Losing it would make the
--    issued serials unreadable from the ledger, so it never changes and is never deleted.
-- 2. Random series created before this version (no key row) keep their serials in random_serial,
--    one row each, and go on that way: a key is only ever given to a series that has issued
--    nothing, so drawn and computed serials never mix in one series, and random_serial refuses
--    rows for a keyed series. serial_series.kind stays 'random' for both (its CHECK is unchanged;
--    serial_series is referenced by other tables and is not rebuilt).
-- 3. Audit: inserts are logged with the series, never with the key.

CREATE TABLE serial_series_key (
    series_id  INTEGER PRIMARY KEY REFERENCES serial_series (id) ON DELETE RESTRICT,
    key        BLOB    NOT NULL CHECK (typeof(key) = 'blob' AND length(key) = 32),
    created_at TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);

CREATE TRIGGER serial_series_key_only_for_new_random_series BEFORE INSERT ON serial_series_key
    WHEN NOT EXISTS (SELECT 1 FROM serial_series WHERE id = NEW.series_id AND kind = 'random')
      OR EXISTS (SELECT 1 FROM serial_allocation WHERE series_id = NEW.series_id) BEGIN
    SELECT RAISE(ABORT, 'serial ledger: only a random series that has issued nothing can be keyed');
END;
CREATE TRIGGER serial_series_key_no_update BEFORE UPDATE ON serial_series_key BEGIN
    SELECT RAISE(ABORT, 'serial ledger: a series key never changes');
END;
CREATE TRIGGER serial_series_key_no_delete BEFORE DELETE ON serial_series_key BEGIN
    SELECT RAISE(ABORT, 'serial ledger: a series key is never deleted');
END;
CREATE TRIGGER random_serial_not_in_keyed_series BEFORE INSERT ON random_serial
    WHEN EXISTS (SELECT 1 FROM serial_series_key WHERE series_id = NEW.series_id) BEGIN
    SELECT RAISE(ABORT, 'serial ledger: a keyed series stores no serials');
END;

CREATE TRIGGER serial_series_key_audit_insert AFTER INSERT ON serial_series_key BEGIN
    INSERT INTO audit_log (actor, table_name, row_id, action, old_values, new_values)
    VALUES (COALESCE((SELECT actor FROM audit_context WHERE id = 1), 'system'), 'serial_series_key', NEW.series_id, 'insert', NULL,
        json_object('series_id', NEW.series_id, 'created_at', NEW.created_at));
END;
CREATE TRIGGER serial_series_key_audit_update AFTER UPDATE ON serial_series_key BEGIN
    INSERT INTO audit_log (actor, table_name, row_id, action, old_values, new_values)
    VALUES (COALESCE((SELECT actor FROM audit_context WHERE id = 1), 'system'), 'serial_series_key', NEW.series_id, 'update',
        json_object('series_id', OLD.series_id, 'created_at', OLD.created_at),
        json_object('series_id', NEW.series_id, 'created_at', NEW.created_at));
END;
CREATE TRIGGER serial_series_key_audit_delete AFTER DELETE ON serial_series_key BEGIN
    INSERT INTO audit_log (actor, table_name, row_id, action, old_values, new_values)
    VALUES (COALESCE((SELECT actor FROM audit_context WHERE id = 1), 'system'), 'serial_series_key', OLD.series_id, 'delete',
        json_object('series_id', OLD.series_id, 'created_at', OLD.created_at), NULL);
END;
