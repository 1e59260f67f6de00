-- 0008_submission_targets_and_lease: every outbox row belongs to one platform, a version knows
-- its revision, edits are noticed, and one process at a time submits.
--
-- 1. target: which platform a record version is queued for and answered by: 'practice' (the
--    built-in practice platform) or a real platform's identity, `<base URL>|<App Key>`. An
--    acceptance counts only for its own target, so switching from practice to a real platform
--    queues everything again for the real one. Existing rows take the target of the request that
--    last carried them (the App Key its archived request names); rows never sent take the platform
--    of the settings.
-- 2. revision: how many versions of the same source the target had accepted when this version
--    was built. It goes into the record's clientRef, so a correction that reverts to content the
--    platform accepted earlier is a new record with a new key, never a collision with the live
--    key of that earlier version. Existing rows were built as revision 0.
-- 3. outbox_source_change: when a source record's reported content last changed. A version the
--    platform accepted is built again only when its source changed after the version was queued
--    (an edit made while the version was in flight, or after 更正), so the edit is never dropped.
-- 4. run_lease: the submission lease. A run (the window's or a scheduled CLI run) and a restore
--    hold it in the database, with a heartbeat and an expiry, so two processes never send or
--    reconcile the same rows.

ALTER TABLE outbox ADD COLUMN target TEXT NOT NULL DEFAULT 'practice' CHECK (length(target) > 0);
ALTER TABLE outbox ADD COLUMN revision INTEGER NOT NULL DEFAULT 0 CHECK (revision >= 0);
ALTER TABLE submission_attempt ADD COLUMN target TEXT NOT NULL DEFAULT 'practice' CHECK (length(target) > 0);

-- The target of each attempt: its archived request names the App Key; the endpoint is only the
-- path, so the base URL is the one the settings name (the only real platform a clerk could have
-- configured), or `unknown` when the settings name none.
UPDATE submission_attempt SET target = COALESCE((
    SELECT CASE
        WHEN json_extract(e.headers, '$."X-App-Key"') = 'practice' THEN 'practice'
        ELSE COALESCE((SELECT NULLIF(rtrim(json_extract(s.value, '$.url'), '/'), '')
                       FROM setting s WHERE s.key = 'platform'), 'unknown')
             || '|' || COALESCE(json_extract(e.headers, '$."X-App-Key"'), '')
    END
    FROM archive_entry e
    WHERE e.attempt_id = submission_attempt.id AND e.direction = 'request'
    ORDER BY e.id LIMIT 1), 'practice');

-- Rows that were sent: the target of their last attempt.
UPDATE outbox SET target = (SELECT a.target FROM submission_attempt a WHERE a.id = outbox.last_attempt_id)
WHERE last_attempt_id IS NOT NULL;

-- Rows never sent: the platform the settings name.
UPDATE outbox SET target = COALESCE((
    SELECT CASE WHEN json_extract(value, '$.mode') = 'remote'
                     AND COALESCE(json_extract(value, '$.url'), '') <> ''
                THEN rtrim(json_extract(value, '$.url'), '/') || '|' || COALESCE(json_extract(value, '$.appKey'), '')
                ELSE 'practice' END
    FROM setting WHERE key = 'platform'), 'practice')
WHERE last_attempt_id IS NULL;

-- A correction and its declaration belong to the target of the original they correct.
UPDATE outbox SET target = (SELECT o.target FROM outbox o WHERE o.id = outbox.corrects)
WHERE corrects IS NOT NULL AND last_attempt_id IS NULL;

-- Keys are live once per target: the same record may be held by the practice platform and by a
-- real one.
DROP INDEX outbox_live_key;
CREATE UNIQUE INDEX outbox_live_key ON outbox (target, idempotency_key) WHERE superseded = 0;
DROP INDEX outbox_by_state;
CREATE INDEX outbox_by_state ON outbox (target, state, id);
DROP INDEX outbox_by_state_duplicate;
CREATE INDEX outbox_by_state_duplicate ON outbox (target, state, duplicate);
DROP INDEX outbox_by_source;
CREATE INDEX outbox_by_source ON outbox (target, source_kind, source_id, part, id);

CREATE TABLE outbox_source_change (
    source_kind TEXT NOT NULL,
    source_id   INTEGER NOT NULL,
    changed_at  TEXT NOT NULL,
    PRIMARY KEY (source_kind, source_id)
) WITHOUT ROWID;

-- Only the columns that go into a reported record count as a change: stamping submitted_at is not one.
-- DELETE + INSERT, not INSERT OR REPLACE: an outer statement's conflict clause (an upsert of the
-- settings, an import) overrides the one of a statement inside a trigger.
CREATE TRIGGER enterprise_source_change AFTER UPDATE OF name, uscc, address, contact, phone ON enterprise BEGIN
    DELETE FROM outbox_source_change WHERE source_kind = 'enterprise' AND source_id = NEW.id;
    INSERT INTO outbox_source_change VALUES ('enterprise', NEW.id, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));
END;
CREATE TRIGGER product_source_change AFTER UPDATE OF name, model, category, brand, standard, gtin, scheme,
    granularity, ccc_cert_no, ccc_valid_from, ccc_valid_to, ccc_mark_no, ccc_models ON product BEGIN
    DELETE FROM outbox_source_change WHERE source_kind = 'product' AND source_id = NEW.id;
    INSERT INTO outbox_source_change VALUES ('product', NEW.id, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));
END;
CREATE TRIGGER receipt_source_change AFTER UPDATE OF supplier_id, material, spec, supplier_lot, quantity, unit,
    received_on, inspection_result, report_no, note ON receipt BEGIN
    DELETE FROM outbox_source_change WHERE source_kind = 'receipt' AND source_id = NEW.id;
    INSERT INTO outbox_source_change VALUES ('receipt', NEW.id, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));
END;
CREATE TRIGGER batch_source_change AFTER UPDATE OF product_id, lot_no, produced_on, quantity, unit,
    inspection_result, inspector, report_no ON batch BEGIN
    DELETE FROM outbox_source_change WHERE source_kind = 'batch' AND source_id = NEW.id;
    INSERT INTO outbox_source_change VALUES ('batch', NEW.id, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));
END;
CREATE TRIGGER batch_input_source_insert AFTER INSERT ON batch_input BEGIN
    DELETE FROM outbox_source_change WHERE source_kind = 'batch' AND source_id = NEW.batch_id;
    INSERT INTO outbox_source_change VALUES ('batch', NEW.batch_id, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));
END;
CREATE TRIGGER batch_input_source_update AFTER UPDATE ON batch_input BEGIN
    DELETE FROM outbox_source_change WHERE source_kind = 'batch' AND source_id = NEW.batch_id;
    INSERT INTO outbox_source_change VALUES ('batch', NEW.batch_id, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));
END;
CREATE TRIGGER batch_input_source_delete AFTER DELETE ON batch_input BEGIN
    DELETE FROM outbox_source_change WHERE source_kind = 'batch' AND source_id = OLD.batch_id;
    INSERT INTO outbox_source_change VALUES ('batch', OLD.batch_id, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));
END;
CREATE TRIGGER shipment_source_change AFTER UPDATE OF customer_id, shipped_on, delivery_note_no, note ON shipment BEGIN
    DELETE FROM outbox_source_change WHERE source_kind = 'shipment' AND source_id = NEW.id;
    INSERT INTO outbox_source_change VALUES ('shipment', NEW.id, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));
END;
CREATE TRIGGER shipment_line_source_insert AFTER INSERT ON shipment_line BEGIN
    DELETE FROM outbox_source_change WHERE source_kind = 'shipment' AND source_id = NEW.shipment_id;
    INSERT INTO outbox_source_change VALUES ('shipment', NEW.shipment_id, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));
END;
CREATE TRIGGER shipment_line_source_update AFTER UPDATE ON shipment_line BEGIN
    DELETE FROM outbox_source_change WHERE source_kind = 'shipment' AND source_id = NEW.shipment_id;
    INSERT INTO outbox_source_change VALUES ('shipment', NEW.shipment_id, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));
END;
CREATE TRIGGER shipment_line_source_delete AFTER DELETE ON shipment_line BEGIN
    DELETE FROM outbox_source_change WHERE source_kind = 'shipment' AND source_id = OLD.shipment_id;
    INSERT INTO outbox_source_change VALUES ('shipment', OLD.shipment_id, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));
END;
-- Items reported from an import are the batch's commissioning records (parts 1, 2, … of the
-- batch): a new, voided or removed item changes them.
CREATE TRIGGER item_source_insert AFTER INSERT ON item BEGIN
    DELETE FROM outbox_source_change WHERE source_kind = 'batch' AND source_id = NEW.batch_id;
    INSERT INTO outbox_source_change VALUES ('batch', NEW.batch_id, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));
END;
CREATE TRIGGER item_source_update AFTER UPDATE OF serial, status, batch_id ON item BEGIN
    DELETE FROM outbox_source_change WHERE source_kind = 'batch' AND source_id = NEW.batch_id;
    INSERT INTO outbox_source_change VALUES ('batch', NEW.batch_id, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));
END;
CREATE TRIGGER item_source_delete AFTER DELETE ON item BEGIN
    DELETE FROM outbox_source_change WHERE source_kind = 'batch' AND source_id = OLD.batch_id;
    INSERT INTO outbox_source_change VALUES ('batch', OLD.batch_id, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));
END;

CREATE TABLE run_lease (
    name         TEXT    PRIMARY KEY CHECK (name IN ('submission')),
    -- A random token of the holding run; only its holder renews or releases the lease.
    holder       TEXT    NOT NULL,
    -- Who holds it, for the message the other process shows: 'desktop' or 'cli', its PID, host.
    program      TEXT    NOT NULL,
    pid          INTEGER NOT NULL,
    host         TEXT    NOT NULL,
    purpose      TEXT    NOT NULL CHECK (purpose IN ('submit', 'restore')),
    acquired_at  TEXT    NOT NULL,
    heartbeat_at TEXT    NOT NULL,
    expires_at   TEXT    NOT NULL
);
