-- 0006_submission_outbox_archive: reporting to the traceability platform (报送) and its evidence.
--
-- 1. outbox: one row per version of a record to report, with the exact JSON text sent on every
--    attempt and its idempotency key (contract §3). One state machine per row:
--      ready → sending → accepted | rejected | retry_wait (→ sending again);
--      ready | rejected → superseded (a newer version of the same source replaced it before the
--      platform stored anything).
--    A row enters `sending` in a committed transaction before its request leaves, and leaves it
--    only when the outcome is known (after the answer, or after reconciling its key with
--    `GET /records/{key}` on the next run). `outcome_unknown` marks a row whose earlier attempt
--    ended without an answer: the platform may hold it, so it is never superseded, only resent
--    with the same key or reconciled.
-- 2. submission_attempt: one row per request (a batch or a reconcile), written before it is sent.
-- 3. archive_entry: every request and response, append-only and hash-chained:
--    hash = sha256(prev_hash || canonical entry); archive_head anchors the last entry so that a
--    truncated tail is noticed as well. The body never contains credentials, and headers keep
--    only X-App-Key, X-Timestamp and X-Nonce (no secret, no signature).
-- 4. submitted_at on the record tables the platform receives: set when the record's current
--    version is accepted. store::edit_guard then makes the record read-only in entry; a change
--    goes to the platform as a correction (errorDeclaration + corrected record), never silently.
--    Their audit triggers are recreated to cover the new column.
-- The outbox, the attempts and the archive have no audit triggers: the archive is itself the
-- evidence of every exchange, and the outbox is a work queue whose history the archive holds.

CREATE TABLE outbox (
    id               INTEGER PRIMARY KEY,
    -- What the record was built from: 'enterprise' (id 1), 'product', 'receipt', 'batch',
    -- 'shipment' (their ids), or 'allocation' (serial_allocation id, commissioning); part is the
    -- chunk of an allocation (10 000 codes per record, contract §9).
    source_kind      TEXT    NOT NULL
                     CHECK (source_kind IN ('enterprise', 'product', 'receipt', 'batch', 'shipment', 'allocation')),
    source_id        INTEGER NOT NULL,
    part             INTEGER NOT NULL DEFAULT 0 CHECK (part >= 0),
    kind             TEXT    NOT NULL CHECK (kind IN ('enterprise', 'product', 'commissioning', 'receiving',
                                                      'transformation', 'shipping', 'errorDeclaration')),
    scheme           TEXT    NOT NULL CHECK (scheme IN ('gs1', 'ecode', 'digital-id')),
    granularity      TEXT    NOT NULL CHECK (granularity IN ('product', 'batch', 'item')),
    idempotency_key  TEXT    NOT NULL CHECK (length(idempotency_key) = 64 AND idempotency_key NOT GLOB '*[^0-9a-f]*'),
    body             TEXT    NOT NULL CHECK (json_valid(body)),
    -- For people and reports: the number a clerk looks for (delivery note, lot), the product and
    -- the business date of the event.
    label            TEXT    NOT NULL DEFAULT '',
    product_id       INTEGER,
    event_date       TEXT    CHECK (event_date IS NULL OR date(event_date) IS event_date),
    state            TEXT    NOT NULL DEFAULT 'ready'
                     CHECK (state IN ('ready', 'sending', 'retry_wait', 'accepted', 'rejected', 'superseded')),
    attempts         INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    last_attempt_id  INTEGER REFERENCES submission_attempt (id),
    next_attempt_at  TEXT,
    outcome_unknown  INTEGER NOT NULL DEFAULT 0 CHECK (outcome_unknown IN (0, 1)),
    receipt_id       TEXT,
    accepted_at      TEXT,
    -- 1 when the platform answered `duplicate` (it had stored the record on an earlier attempt).
    duplicate        INTEGER NOT NULL DEFAULT 0 CHECK (duplicate IN (0, 1)),
    reject_code      TEXT,
    reject_reason    TEXT,
    reject_pointer   TEXT,
    rejected_at      TEXT,
    last_error       TEXT,
    -- The earlier version this row replaces (superseded), or the accepted original it corrects.
    supersedes       INTEGER REFERENCES outbox (id),
    corrects         INTEGER REFERENCES outbox (id),
    -- An errorDeclaration goes out only with, or after, the corrected record it names.
    depends_on       INTEGER REFERENCES outbox (id),
    -- An accepted row the clerk opened for correction (its source is editable again).
    correction_open  INTEGER NOT NULL DEFAULT 0 CHECK (correction_open IN (0, 1)),
    created_at       TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    updated_at       TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    CHECK (state <> 'accepted' OR receipt_id IS NOT NULL),
    CHECK (state <> 'rejected' OR reject_code IS NOT NULL)
);
-- A key is live at most once; superseded versions may share a key with a later one.
CREATE UNIQUE INDEX outbox_live_key ON outbox (idempotency_key) WHERE state <> 'superseded';
CREATE INDEX outbox_by_state ON outbox (state, id);
CREATE INDEX outbox_by_source ON outbox (source_kind, source_id, part, id);
CREATE INDEX outbox_by_event_date ON outbox (event_date);

CREATE TABLE submission_attempt (
    id            INTEGER PRIMARY KEY,
    run_id        TEXT    NOT NULL,
    -- 'batch' (POST /records:batch) or 'reconcile' (GET /records/{key}).
    purpose       TEXT    NOT NULL CHECK (purpose IN ('batch', 'reconcile')),
    endpoint      TEXT    NOT NULL,
    record_count  INTEGER NOT NULL CHECK (record_count >= 0),
    started_at    TEXT    NOT NULL,
    finished_at   TEXT,
    -- NULL while the request is in flight (or the process died with it in flight).
    outcome       TEXT,
    http_status   INTEGER,
    request_id    TEXT,
    error         TEXT
);
CREATE INDEX submission_attempt_by_run ON submission_attempt (run_id);

CREATE TABLE archive_entry (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    at           TEXT    NOT NULL,
    direction    TEXT    NOT NULL CHECK (direction IN ('request', 'response')),
    attempt_id   INTEGER,
    method       TEXT    NOT NULL,
    endpoint     TEXT    NOT NULL,
    status       INTEGER,
    request_id   TEXT,
    -- JSON array of the idempotency keys the exchange is about.
    record_keys  TEXT    NOT NULL CHECK (json_valid(record_keys)),
    -- JSON object of the non-secret request headers, or {} for a response.
    headers      TEXT    NOT NULL CHECK (json_valid(headers)),
    body         TEXT    NOT NULL,
    body_sha256  TEXT    NOT NULL,
    -- What the exchange came to: 'ok', a problem name, 'timeout', 'offline', …; '' for requests.
    outcome      TEXT    NOT NULL DEFAULT '',
    prev_hash    TEXT    NOT NULL,
    hash         TEXT    NOT NULL UNIQUE
);
CREATE INDEX archive_entry_by_at ON archive_entry (at);
CREATE TRIGGER archive_entry_no_update BEFORE UPDATE ON archive_entry BEGIN
    SELECT RAISE(ABORT, 'archive_entry is append-only');
END;
CREATE TRIGGER archive_entry_no_delete BEFORE DELETE ON archive_entry BEGIN
    SELECT RAISE(ABORT, 'archive_entry is append-only');
END;

-- The last entry's id and hash, written in the same transaction as the entry.
CREATE TABLE archive_head (
    id        INTEGER PRIMARY KEY CHECK (id = 1),
    last_id   INTEGER NOT NULL,
    last_hash TEXT    NOT NULL,
    entries   INTEGER NOT NULL
);

ALTER TABLE product ADD COLUMN submitted_at TEXT;
ALTER TABLE receipt ADD COLUMN submitted_at TEXT;
ALTER TABLE batch ADD COLUMN submitted_at TEXT;
ALTER TABLE shipment ADD COLUMN submitted_at TEXT;

-- Audit triggers of the four record tables, recreated to cover submitted_at.
DROP TRIGGER product_audit_insert;
DROP TRIGGER product_audit_update;
DROP TRIGGER product_audit_delete;
CREATE TRIGGER product_audit_insert AFTER INSERT ON product
    WHEN COALESCE((SELECT bulk FROM audit_context WHERE id = 1), 0) = 0 BEGIN
    INSERT INTO audit_log (actor, table_name, row_id, action, old_values, new_values)
    VALUES (COALESCE((SELECT actor FROM audit_context WHERE id = 1), 'system'), 'product', NEW.id, 'insert', NULL,
        json_object(
            'id', NEW.id, 'name', NEW.name, 'model', NEW.model, 'category', NEW.category,
            'brand', NEW.brand, 'standard', NEW.standard, 'gtin', NEW.gtin, 'scheme', NEW.scheme,
            'granularity', NEW.granularity, 'ccc_cert_no', NEW.ccc_cert_no,
            'ccc_valid_from', NEW.ccc_valid_from, 'ccc_valid_to', NEW.ccc_valid_to,
            'ccc_mark_no', NEW.ccc_mark_no, 'created_at', NEW.created_at,
            'updated_at', NEW.updated_at, 'ccc_models', NEW.ccc_models,
            'submitted_at', NEW.submitted_at));
END;
CREATE TRIGGER product_audit_update AFTER UPDATE ON product BEGIN
    INSERT INTO audit_log (actor, table_name, row_id, action, old_values, new_values)
    VALUES (COALESCE((SELECT actor FROM audit_context WHERE id = 1), 'system'), 'product', NEW.id, 'update',
        json_object(
            'id', OLD.id, 'name', OLD.name, 'model', OLD.model, 'category', OLD.category,
            'brand', OLD.brand, 'standard', OLD.standard, 'gtin', OLD.gtin, 'scheme', OLD.scheme,
            'granularity', OLD.granularity, 'ccc_cert_no', OLD.ccc_cert_no,
            'ccc_valid_from', OLD.ccc_valid_from, 'ccc_valid_to', OLD.ccc_valid_to,
            'ccc_mark_no', OLD.ccc_mark_no, 'created_at', OLD.created_at,
            'updated_at', OLD.updated_at, 'ccc_models', OLD.ccc_models,
            'submitted_at', OLD.submitted_at),
        json_object(
            'id', NEW.id, 'name', NEW.name, 'model', NEW.model, 'category', NEW.category,
            'brand', NEW.brand, 'standard', NEW.standard, 'gtin', NEW.gtin, 'scheme', NEW.scheme,
            'granularity', NEW.granularity, 'ccc_cert_no', NEW.ccc_cert_no,
            'ccc_valid_from', NEW.ccc_valid_from, 'ccc_valid_to', NEW.ccc_valid_to,
            'ccc_mark_no', NEW.ccc_mark_no, 'created_at', NEW.created_at,
            'updated_at', NEW.updated_at, 'ccc_models', NEW.ccc_models,
            'submitted_at', NEW.submitted_at));
END;
CREATE TRIGGER product_audit_delete AFTER DELETE ON product BEGIN
    INSERT INTO audit_log (actor, table_name, row_id, action, old_values, new_values)
    VALUES (COALESCE((SELECT actor FROM audit_context WHERE id = 1), 'system'), 'product', OLD.id, 'delete',
        json_object(
            'id', OLD.id, 'name', OLD.name, 'model', OLD.model, 'category', OLD.category,
            'brand', OLD.brand, 'standard', OLD.standard, 'gtin', OLD.gtin, 'scheme', OLD.scheme,
            'granularity', OLD.granularity, 'ccc_cert_no', OLD.ccc_cert_no,
            'ccc_valid_from', OLD.ccc_valid_from, 'ccc_valid_to', OLD.ccc_valid_to,
            'ccc_mark_no', OLD.ccc_mark_no, 'created_at', OLD.created_at,
            'updated_at', OLD.updated_at, 'ccc_models', OLD.ccc_models,
            'submitted_at', OLD.submitted_at), NULL);
END;

DROP TRIGGER receipt_audit_insert;
DROP TRIGGER receipt_audit_update;
DROP TRIGGER receipt_audit_delete;
CREATE TRIGGER receipt_audit_insert AFTER INSERT ON receipt
    WHEN COALESCE((SELECT bulk FROM audit_context WHERE id = 1), 0) = 0 BEGIN
    INSERT INTO audit_log (actor, table_name, row_id, action, old_values, new_values)
    VALUES (COALESCE((SELECT actor FROM audit_context WHERE id = 1), 'system'), 'receipt', NEW.id, 'insert', NULL,
        json_object(
            'id', NEW.id, 'supplier_id', NEW.supplier_id, 'material', NEW.material,
            'spec', NEW.spec, 'supplier_lot', NEW.supplier_lot, 'quantity', NEW.quantity,
            'unit', NEW.unit, 'received_on', NEW.received_on,
            'inspection_result', NEW.inspection_result, 'report_no', NEW.report_no,
            'note', NEW.note, 'created_at', NEW.created_at, 'updated_at', NEW.updated_at,
            'submitted_at', NEW.submitted_at));
END;
CREATE TRIGGER receipt_audit_update AFTER UPDATE ON receipt BEGIN
    INSERT INTO audit_log (actor, table_name, row_id, action, old_values, new_values)
    VALUES (COALESCE((SELECT actor FROM audit_context WHERE id = 1), 'system'), 'receipt', NEW.id, 'update',
        json_object(
            'id', OLD.id, 'supplier_id', OLD.supplier_id, 'material', OLD.material,
            'spec', OLD.spec, 'supplier_lot', OLD.supplier_lot, 'quantity', OLD.quantity,
            'unit', OLD.unit, 'received_on', OLD.received_on,
            'inspection_result', OLD.inspection_result, 'report_no', OLD.report_no,
            'note', OLD.note, 'created_at', OLD.created_at, 'updated_at', OLD.updated_at,
            'submitted_at', OLD.submitted_at),
        json_object(
            'id', NEW.id, 'supplier_id', NEW.supplier_id, 'material', NEW.material,
            'spec', NEW.spec, 'supplier_lot', NEW.supplier_lot, 'quantity', NEW.quantity,
            'unit', NEW.unit, 'received_on', NEW.received_on,
            'inspection_result', NEW.inspection_result, 'report_no', NEW.report_no,
            'note', NEW.note, 'created_at', NEW.created_at, 'updated_at', NEW.updated_at,
            'submitted_at', NEW.submitted_at));
END;
CREATE TRIGGER receipt_audit_delete AFTER DELETE ON receipt BEGIN
    INSERT INTO audit_log (actor, table_name, row_id, action, old_values, new_values)
    VALUES (COALESCE((SELECT actor FROM audit_context WHERE id = 1), 'system'), 'receipt', OLD.id, 'delete',
        json_object(
            'id', OLD.id, 'supplier_id', OLD.supplier_id, 'material', OLD.material,
            'spec', OLD.spec, 'supplier_lot', OLD.supplier_lot, 'quantity', OLD.quantity,
            'unit', OLD.unit, 'received_on', OLD.received_on,
            'inspection_result', OLD.inspection_result, 'report_no', OLD.report_no,
            'note', OLD.note, 'created_at', OLD.created_at, 'updated_at', OLD.updated_at,
            'submitted_at', OLD.submitted_at), NULL);
END;

DROP TRIGGER batch_audit_insert;
DROP TRIGGER batch_audit_update;
DROP TRIGGER batch_audit_delete;
CREATE TRIGGER batch_audit_insert AFTER INSERT ON batch
    WHEN COALESCE((SELECT bulk FROM audit_context WHERE id = 1), 0) = 0 BEGIN
    INSERT INTO audit_log (actor, table_name, row_id, action, old_values, new_values)
    VALUES (COALESCE((SELECT actor FROM audit_context WHERE id = 1), 'system'), 'batch', NEW.id, 'insert', NULL,
        json_object(
            'id', NEW.id, 'product_id', NEW.product_id, 'lot_no', NEW.lot_no,
            'produced_on', NEW.produced_on, 'quantity', NEW.quantity, 'unit', NEW.unit,
            'inspection_result', NEW.inspection_result, 'inspector', NEW.inspector,
            'report_no', NEW.report_no, 'created_at', NEW.created_at, 'updated_at', NEW.updated_at,
            'submitted_at', NEW.submitted_at));
END;
CREATE TRIGGER batch_audit_update AFTER UPDATE ON batch BEGIN
    INSERT INTO audit_log (actor, table_name, row_id, action, old_values, new_values)
    VALUES (COALESCE((SELECT actor FROM audit_context WHERE id = 1), 'system'), 'batch', NEW.id, 'update',
        json_object(
            'id', OLD.id, 'product_id', OLD.product_id, 'lot_no', OLD.lot_no,
            'produced_on', OLD.produced_on, 'quantity', OLD.quantity, 'unit', OLD.unit,
            'inspection_result', OLD.inspection_result, 'inspector', OLD.inspector,
            'report_no', OLD.report_no, 'created_at', OLD.created_at, 'updated_at', OLD.updated_at,
            'submitted_at', OLD.submitted_at),
        json_object(
            'id', NEW.id, 'product_id', NEW.product_id, 'lot_no', NEW.lot_no,
            'produced_on', NEW.produced_on, 'quantity', NEW.quantity, 'unit', NEW.unit,
            'inspection_result', NEW.inspection_result, 'inspector', NEW.inspector,
            'report_no', NEW.report_no, 'created_at', NEW.created_at, 'updated_at', NEW.updated_at,
            'submitted_at', NEW.submitted_at));
END;
CREATE TRIGGER batch_audit_delete AFTER DELETE ON batch BEGIN
    INSERT INTO audit_log (actor, table_name, row_id, action, old_values, new_values)
    VALUES (COALESCE((SELECT actor FROM audit_context WHERE id = 1), 'system'), 'batch', OLD.id, 'delete',
        json_object(
            'id', OLD.id, 'product_id', OLD.product_id, 'lot_no', OLD.lot_no,
            'produced_on', OLD.produced_on, 'quantity', OLD.quantity, 'unit', OLD.unit,
            'inspection_result', OLD.inspection_result, 'inspector', OLD.inspector,
            'report_no', OLD.report_no, 'created_at', OLD.created_at, 'updated_at', OLD.updated_at,
            'submitted_at', OLD.submitted_at), NULL);
END;

DROP TRIGGER shipment_audit_insert;
DROP TRIGGER shipment_audit_update;
DROP TRIGGER shipment_audit_delete;
CREATE TRIGGER shipment_audit_insert AFTER INSERT ON shipment
    WHEN COALESCE((SELECT bulk FROM audit_context WHERE id = 1), 0) = 0 BEGIN
    INSERT INTO audit_log (actor, table_name, row_id, action, old_values, new_values)
    VALUES (COALESCE((SELECT actor FROM audit_context WHERE id = 1), 'system'), 'shipment', NEW.id, 'insert', NULL,
        json_object(
            'id', NEW.id, 'customer_id', NEW.customer_id, 'shipped_on', NEW.shipped_on,
            'delivery_note_no', NEW.delivery_note_no, 'note', NEW.note,
            'created_at', NEW.created_at, 'updated_at', NEW.updated_at,
            'submitted_at', NEW.submitted_at));
END;
CREATE TRIGGER shipment_audit_update AFTER UPDATE ON shipment BEGIN
    INSERT INTO audit_log (actor, table_name, row_id, action, old_values, new_values)
    VALUES (COALESCE((SELECT actor FROM audit_context WHERE id = 1), 'system'), 'shipment', NEW.id, 'update',
        json_object(
            'id', OLD.id, 'customer_id', OLD.customer_id, 'shipped_on', OLD.shipped_on,
            'delivery_note_no', OLD.delivery_note_no, 'note', OLD.note,
            'created_at', OLD.created_at, 'updated_at', OLD.updated_at,
            'submitted_at', OLD.submitted_at),
        json_object(
            'id', NEW.id, 'customer_id', NEW.customer_id, 'shipped_on', NEW.shipped_on,
            'delivery_note_no', NEW.delivery_note_no, 'note', NEW.note,
            'created_at', NEW.created_at, 'updated_at', NEW.updated_at,
            'submitted_at', NEW.submitted_at));
END;
CREATE TRIGGER shipment_audit_delete AFTER DELETE ON shipment BEGIN
    INSERT INTO audit_log (actor, table_name, row_id, action, old_values, new_values)
    VALUES (COALESCE((SELECT actor FROM audit_context WHERE id = 1), 'system'), 'shipment', OLD.id, 'delete',
        json_object(
            'id', OLD.id, 'customer_id', OLD.customer_id, 'shipped_on', OLD.shipped_on,
            'delivery_note_no', OLD.delivery_note_no, 'note', OLD.note,
            'created_at', OLD.created_at, 'updated_at', OLD.updated_at,
            'submitted_at', OLD.submitted_at), NULL);
END;
