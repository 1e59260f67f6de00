-- 0003_entry_trace_recall: daily entry, trace and recall drills.
--
-- 1. audit_context.bulk: when 1, the insert triggers of the record tables skip their per-row JSON.
--    Only `Db::bulk_write` sets it, inside its one IMMEDIATE transaction, and writes one summary
--    audit entry per table instead; it clears the flag before committing, and a failed bulk write
--    rolls the flag back with everything else. Updates and deletes are always audited row by row.
-- 2. product.ccc_models: the models (规格型号) the product's CCC certificate covers, one per line.
-- 3. recall_drill: every 模拟召回 run, with what it started from, what it found and how long it took.
-- 4. Indexes for the trace, recall, dashboard and list queries (see store/src/trace.rs).
-- 5. The insert triggers are recreated with the bulk WHEN clause, and product's three triggers to
--    cover the new column; the JSON keeps the form of 0001's triggers.

ALTER TABLE audit_context ADD COLUMN bulk INTEGER NOT NULL DEFAULT 0 CHECK (bulk IN (0, 1));

ALTER TABLE product ADD COLUMN ccc_models TEXT NOT NULL DEFAULT '';

CREATE TABLE recall_drill (
    id               INTEGER PRIMARY KEY,
    start_kind       TEXT    NOT NULL CHECK (start_kind IN ('material-lot', 'batch')),
    receipt_id       INTEGER REFERENCES receipt (id) ON DELETE SET NULL,
    batch_id         INTEGER REFERENCES batch (id) ON DELETE SET NULL,
    start_label      TEXT    NOT NULL CHECK (length(trim(start_label)) > 0),
    reason           TEXT    NOT NULL DEFAULT '',
    started_at       TEXT    NOT NULL,
    duration_ms      REAL    NOT NULL CHECK (duration_ms >= 0),
    batches          INTEGER NOT NULL CHECK (batches >= 0),
    items            INTEGER NOT NULL CHECK (items >= 0),
    shipments        INTEGER NOT NULL CHECK (shipments >= 0),
    customers        INTEGER NOT NULL CHECK (customers >= 0),
    quantity_shipped REAL    NOT NULL DEFAULT 0 CHECK (quantity_shipped >= 0),
    actor            TEXT    NOT NULL,
    created_at       TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    CHECK (receipt_id IS NULL OR batch_id IS NULL)
);
CREATE INDEX recall_drill_by_started_at ON recall_drill (started_at);

-- A scanned (01)+(21) code names a product and a serial, not a batch: find the item by serial.
CREATE INDEX item_by_serial ON item (serial);
-- Autocomplete of materials from history.
CREATE INDEX receipt_by_material ON receipt (material, spec);
-- "Entered today" on the dashboard.
CREATE INDEX receipt_by_created_at ON receipt (created_at);
CREATE INDEX batch_by_created_at ON batch (created_at);
CREATE INDEX shipment_by_created_at ON shipment (created_at);
-- Failed inspections, the usual start of a recall, and a dashboard card.
CREATE INDEX receipt_failed ON receipt (received_on) WHERE inspection_result = 'fail';
CREATE INDEX batch_failed ON batch (produced_on) WHERE inspection_result = 'fail';
-- Expiring CCC certificates.
CREATE INDEX product_by_ccc_valid_to ON product (ccc_valid_to) WHERE ccc_valid_to IS NOT NULL;

-- Audit triggers.
DROP TRIGGER party_audit_insert;
CREATE TRIGGER party_audit_insert AFTER INSERT ON party
    WHEN COALESCE((SELECT bulk FROM audit_context WHERE id = 1), 0) = 0 BEGIN
    INSERT INTO audit_log (actor, table_name, row_id, action, old_values, new_values)
    VALUES (COALESCE((SELECT actor FROM audit_context WHERE id = 1), 'system'), 'party', NEW.id, 'insert', NULL,
        json_object(
            'id', NEW.id, 'kind', NEW.kind, 'name', NEW.name, 'uscc', NEW.uscc, 'address', NEW.address,
            'contact', NEW.contact, 'phone', NEW.phone, 'created_at', NEW.created_at,
            'updated_at', NEW.updated_at));
END;

DROP TRIGGER receipt_audit_insert;
CREATE TRIGGER receipt_audit_insert AFTER INSERT ON receipt
    WHEN COALESCE((SELECT bulk FROM audit_context WHERE id = 1), 0) = 0 BEGIN
    INSERT INTO audit_log (actor, table_name, row_id, action, old_values, new_values)
    VALUES (COALESCE((SELECT actor FROM audit_context WHERE id = 1), 'system'), 'receipt', NEW.id, 'insert', NULL,
        json_object(
            'id', NEW.id, 'supplier_id', NEW.supplier_id, 'material', NEW.material, 'spec', NEW.spec,
            'supplier_lot', NEW.supplier_lot, 'quantity', NEW.quantity, 'unit', NEW.unit,
            'received_on', NEW.received_on, 'inspection_result', NEW.inspection_result,
            'report_no', NEW.report_no, 'note', NEW.note, 'created_at', NEW.created_at,
            'updated_at', NEW.updated_at));
END;

DROP TRIGGER batch_audit_insert;
CREATE TRIGGER batch_audit_insert AFTER INSERT ON batch
    WHEN COALESCE((SELECT bulk FROM audit_context WHERE id = 1), 0) = 0 BEGIN
    INSERT INTO audit_log (actor, table_name, row_id, action, old_values, new_values)
    VALUES (COALESCE((SELECT actor FROM audit_context WHERE id = 1), 'system'), 'batch', NEW.id, 'insert', NULL,
        json_object(
            'id', NEW.id, 'product_id', NEW.product_id, 'lot_no', NEW.lot_no,
            'produced_on', NEW.produced_on, 'quantity', NEW.quantity, 'unit', NEW.unit,
            'inspection_result', NEW.inspection_result, 'inspector', NEW.inspector,
            'report_no', NEW.report_no, 'created_at', NEW.created_at, 'updated_at', NEW.updated_at));
END;

DROP TRIGGER batch_input_audit_insert;
CREATE TRIGGER batch_input_audit_insert AFTER INSERT ON batch_input
    WHEN COALESCE((SELECT bulk FROM audit_context WHERE id = 1), 0) = 0 BEGIN
    INSERT INTO audit_log (actor, table_name, row_id, action, old_values, new_values)
    VALUES (COALESCE((SELECT actor FROM audit_context WHERE id = 1), 'system'), 'batch_input', NEW.rowid, 'insert', NULL,
        json_object(
            'batch_id', NEW.batch_id, 'receipt_id', NEW.receipt_id, 'quantity', NEW.quantity));
END;

DROP TRIGGER item_audit_insert;
CREATE TRIGGER item_audit_insert AFTER INSERT ON item
    WHEN COALESCE((SELECT bulk FROM audit_context WHERE id = 1), 0) = 0 BEGIN
    INSERT INTO audit_log (actor, table_name, row_id, action, old_values, new_values)
    VALUES (COALESCE((SELECT actor FROM audit_context WHERE id = 1), 'system'), 'item', NEW.id, 'insert', NULL,
        json_object(
            'id', NEW.id, 'batch_id', NEW.batch_id, 'serial', NEW.serial, 'status', NEW.status,
            'created_at', NEW.created_at, 'updated_at', NEW.updated_at));
END;

DROP TRIGGER shipment_audit_insert;
CREATE TRIGGER shipment_audit_insert AFTER INSERT ON shipment
    WHEN COALESCE((SELECT bulk FROM audit_context WHERE id = 1), 0) = 0 BEGIN
    INSERT INTO audit_log (actor, table_name, row_id, action, old_values, new_values)
    VALUES (COALESCE((SELECT actor FROM audit_context WHERE id = 1), 'system'), 'shipment', NEW.id, 'insert', NULL,
        json_object(
            'id', NEW.id, 'customer_id', NEW.customer_id, 'shipped_on', NEW.shipped_on,
            'delivery_note_no', NEW.delivery_note_no, 'note', NEW.note, 'created_at', NEW.created_at,
            'updated_at', NEW.updated_at));
END;

DROP TRIGGER shipment_line_audit_insert;
CREATE TRIGGER shipment_line_audit_insert AFTER INSERT ON shipment_line
    WHEN COALESCE((SELECT bulk FROM audit_context WHERE id = 1), 0) = 0 BEGIN
    INSERT INTO audit_log (actor, table_name, row_id, action, old_values, new_values)
    VALUES (COALESCE((SELECT actor FROM audit_context WHERE id = 1), 'system'), 'shipment_line', NEW.id, 'insert', NULL,
        json_object(
            'id', NEW.id, 'shipment_id', NEW.shipment_id, 'batch_id', NEW.batch_id, 'item_id', NEW.item_id,
            'quantity', NEW.quantity));
END;

DROP TRIGGER trace_code_audit_insert;
CREATE TRIGGER trace_code_audit_insert AFTER INSERT ON trace_code
    WHEN COALESCE((SELECT bulk FROM audit_context WHERE id = 1), 0) = 0 BEGIN
    INSERT INTO audit_log (actor, table_name, row_id, action, old_values, new_values)
    VALUES (COALESCE((SELECT actor FROM audit_context WHERE id = 1), 'system'), 'trace_code', NEW.id, 'insert', NULL,
        json_object(
            'id', NEW.id, 'code', NEW.code, 'scheme', NEW.scheme, 'granularity', NEW.granularity,
            'product_id', NEW.product_id, 'batch_id', NEW.batch_id, 'item_id', NEW.item_id,
            'status', NEW.status, 'created_at', NEW.created_at));
END;

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
            'ccc_mark_no', NEW.ccc_mark_no, 'created_at', NEW.created_at, 'updated_at', NEW.updated_at,
            'ccc_models', NEW.ccc_models));
END;
CREATE TRIGGER product_audit_update AFTER UPDATE ON product BEGIN
    INSERT INTO audit_log (actor, table_name, row_id, action, old_values, new_values)
    VALUES (COALESCE((SELECT actor FROM audit_context WHERE id = 1), 'system'), 'product', NEW.id, 'update',
        json_object(
            'id', OLD.id, 'name', OLD.name, 'model', OLD.model, 'category', OLD.category,
            'brand', OLD.brand, 'standard', OLD.standard, 'gtin', OLD.gtin, 'scheme', OLD.scheme,
            'granularity', OLD.granularity, 'ccc_cert_no', OLD.ccc_cert_no,
            'ccc_valid_from', OLD.ccc_valid_from, 'ccc_valid_to', OLD.ccc_valid_to,
            'ccc_mark_no', OLD.ccc_mark_no, 'created_at', OLD.created_at, 'updated_at', OLD.updated_at,
            'ccc_models', OLD.ccc_models),
        json_object(
            'id', NEW.id, 'name', NEW.name, 'model', NEW.model, 'category', NEW.category,
            'brand', NEW.brand, 'standard', NEW.standard, 'gtin', NEW.gtin, 'scheme', NEW.scheme,
            'granularity', NEW.granularity, 'ccc_cert_no', NEW.ccc_cert_no,
            'ccc_valid_from', NEW.ccc_valid_from, 'ccc_valid_to', NEW.ccc_valid_to,
            'ccc_mark_no', NEW.ccc_mark_no, 'created_at', NEW.created_at, 'updated_at', NEW.updated_at,
            'ccc_models', NEW.ccc_models));
END;
CREATE TRIGGER product_audit_delete AFTER DELETE ON product BEGIN
    INSERT INTO audit_log (actor, table_name, row_id, action, old_values, new_values)
    VALUES (COALESCE((SELECT actor FROM audit_context WHERE id = 1), 'system'), 'product', OLD.id, 'delete',
        json_object(
            'id', OLD.id, 'name', OLD.name, 'model', OLD.model, 'category', OLD.category,
            'brand', OLD.brand, 'standard', OLD.standard, 'gtin', OLD.gtin, 'scheme', OLD.scheme,
            'granularity', OLD.granularity, 'ccc_cert_no', OLD.ccc_cert_no,
            'ccc_valid_from', OLD.ccc_valid_from, 'ccc_valid_to', OLD.ccc_valid_to,
            'ccc_mark_no', OLD.ccc_mark_no, 'created_at', OLD.created_at, 'updated_at', OLD.updated_at,
            'ccc_models', OLD.ccc_models), NULL);
END;

CREATE TRIGGER recall_drill_audit_insert AFTER INSERT ON recall_drill
    WHEN COALESCE((SELECT bulk FROM audit_context WHERE id = 1), 0) = 0 BEGIN
    INSERT INTO audit_log (actor, table_name, row_id, action, old_values, new_values)
    VALUES (COALESCE((SELECT actor FROM audit_context WHERE id = 1), 'system'), 'recall_drill', NEW.id, 'insert', NULL,
        json_object(
            'id', NEW.id, 'start_kind', NEW.start_kind, 'receipt_id', NEW.receipt_id,
            'batch_id', NEW.batch_id, 'start_label', NEW.start_label, 'reason', NEW.reason,
            'started_at', NEW.started_at, 'duration_ms', NEW.duration_ms, 'batches', NEW.batches,
            'items', NEW.items, 'shipments', NEW.shipments, 'customers', NEW.customers,
            'quantity_shipped', NEW.quantity_shipped, 'actor', NEW.actor, 'created_at', NEW.created_at));
END;
CREATE TRIGGER recall_drill_audit_update AFTER UPDATE ON recall_drill BEGIN
    INSERT INTO audit_log (actor, table_name, row_id, action, old_values, new_values)
    VALUES (COALESCE((SELECT actor FROM audit_context WHERE id = 1), 'system'), 'recall_drill', NEW.id, 'update',
        json_object(
            'id', OLD.id, 'start_kind', OLD.start_kind, 'receipt_id', OLD.receipt_id,
            'batch_id', OLD.batch_id, 'start_label', OLD.start_label, 'reason', OLD.reason,
            'started_at', OLD.started_at, 'duration_ms', OLD.duration_ms, 'batches', OLD.batches,
            'items', OLD.items, 'shipments', OLD.shipments, 'customers', OLD.customers,
            'quantity_shipped', OLD.quantity_shipped, 'actor', OLD.actor, 'created_at', OLD.created_at),
        json_object(
            'id', NEW.id, 'start_kind', NEW.start_kind, 'receipt_id', NEW.receipt_id,
            'batch_id', NEW.batch_id, 'start_label', NEW.start_label, 'reason', NEW.reason,
            'started_at', NEW.started_at, 'duration_ms', NEW.duration_ms, 'batches', NEW.batches,
            'items', NEW.items, 'shipments', NEW.shipments, 'customers', NEW.customers,
            'quantity_shipped', NEW.quantity_shipped, 'actor', NEW.actor, 'created_at', NEW.created_at));
END;
CREATE TRIGGER recall_drill_audit_delete AFTER DELETE ON recall_drill BEGIN
    INSERT INTO audit_log (actor, table_name, row_id, action, old_values, new_values)
    VALUES (COALESCE((SELECT actor FROM audit_context WHERE id = 1), 'system'), 'recall_drill', OLD.id, 'delete',
        json_object(
            'id', OLD.id, 'start_kind', OLD.start_kind, 'receipt_id', OLD.receipt_id,
            'batch_id', OLD.batch_id, 'start_label', OLD.start_label, 'reason', OLD.reason,
            'started_at', OLD.started_at, 'duration_ms', OLD.duration_ms, 'batches', OLD.batches,
            'items', OLD.items, 'shipments', OLD.shipments, 'customers', OLD.customers,
            'quantity_shipped', OLD.quantity_shipped, 'actor', OLD.actor, 'created_at', OLD.created_at), NULL);
END;
