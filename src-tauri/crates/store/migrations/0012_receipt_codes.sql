-- Version 12: the supplier's codes of the received goods (识码用码 at receipt) and the CCC
-- certificate number of a key component.
--
-- 1. receipt_code: the codes a clerk scanned or typed for a receipt, in the order given, any
--    scheme (GS1 element string, Digital Link, Ecode, 数字身份码, other). `kind` is what the code
--    check detected (codes::CodeKind, kebab-case); `level` says whether the code names the lot
--    ('lot': no serial) or one item ('item': a GS1 serial (21), an Ecode, a 数字身份码); `note`
--    keeps what the check said about a code it could not recognise, so an unknown string is
--    stored verbatim with the reason. A trace by any of these codes finds the receipt.
-- 2. receipt.component_ccc: the CCC 证书编号 of a key component of the received goods.
-- Both go into the receiving record that is reported, so a change stamps outbox_source_change.

ALTER TABLE receipt ADD COLUMN component_ccc TEXT CHECK (component_ccc IS NULL OR length(trim(component_ccc)) > 0);

CREATE TABLE receipt_code (
    receipt_id INTEGER NOT NULL REFERENCES receipt (id) ON DELETE CASCADE,
    seq        INTEGER NOT NULL CHECK (seq >= 1),
    code       TEXT    NOT NULL CHECK (length(code) BETWEEN 1 AND 1024),
    kind       TEXT    NOT NULL CHECK (kind IN ('gs1-element-string', 'gs1-digital-link', 'gtin', 'ecode',
                                                'ccc-cert', 'uscc', 'digital-id', 'unknown')),
    level      TEXT    NOT NULL CHECK (level IN ('lot', 'item')),
    note       TEXT    NOT NULL DEFAULT '',
    PRIMARY KEY (receipt_id, seq),
    UNIQUE (receipt_id, code)
) WITHOUT ROWID;
CREATE INDEX receipt_code_by_code ON receipt_code (code);

CREATE TRIGGER receipt_component_ccc_source_change AFTER UPDATE OF component_ccc ON receipt BEGIN
    DELETE FROM outbox_source_change WHERE source_kind = 'receipt' AND source_id = NEW.id;
    INSERT INTO outbox_source_change VALUES ('receipt', NEW.id, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));
END;
CREATE TRIGGER receipt_code_source_insert AFTER INSERT ON receipt_code BEGIN
    DELETE FROM outbox_source_change WHERE source_kind = 'receipt' AND source_id = NEW.receipt_id;
    INSERT INTO outbox_source_change VALUES ('receipt', NEW.receipt_id, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));
END;
CREATE TRIGGER receipt_code_source_delete AFTER DELETE ON receipt_code BEGIN
    DELETE FROM outbox_source_change WHERE source_kind = 'receipt' AND source_id = OLD.receipt_id;
    INSERT INTO outbox_source_change VALUES ('receipt', OLD.receipt_id, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));
END;

-- Audited like every business table: every column, on insert, update and delete (the app replaces
-- a receipt's codes as a whole, so it writes deletes and inserts).
CREATE TRIGGER receipt_code_audit_insert AFTER INSERT ON receipt_code
    WHEN COALESCE((SELECT bulk FROM audit_context WHERE id = 1), 0) = 0 BEGIN
    INSERT INTO audit_log (actor, table_name, row_id, action, old_values, new_values)
    VALUES (COALESCE((SELECT actor FROM audit_context WHERE id = 1), 'system'), 'receipt_code', NEW.receipt_id,
        'insert', NULL,
        json_object('receipt_id', NEW.receipt_id, 'seq', NEW.seq, 'code', NEW.code, 'kind', NEW.kind,
            'level', NEW.level, 'note', NEW.note));
END;
CREATE TRIGGER receipt_code_audit_delete AFTER DELETE ON receipt_code
    WHEN COALESCE((SELECT bulk FROM audit_context WHERE id = 1), 0) = 0 BEGIN
    INSERT INTO audit_log (actor, table_name, row_id, action, old_values, new_values)
    VALUES (COALESCE((SELECT actor FROM audit_context WHERE id = 1), 'system'), 'receipt_code', OLD.receipt_id,
        'delete',
        json_object('receipt_id', OLD.receipt_id, 'seq', OLD.seq, 'code', OLD.code, 'kind', OLD.kind,
            'level', OLD.level, 'note', OLD.note), NULL);
END;
CREATE TRIGGER receipt_code_audit_update AFTER UPDATE ON receipt_code BEGIN
    INSERT INTO audit_log (actor, table_name, row_id, action, old_values, new_values)
    VALUES (COALESCE((SELECT actor FROM audit_context WHERE id = 1), 'system'), 'receipt_code', NEW.receipt_id,
        'update',
        json_object('receipt_id', OLD.receipt_id, 'seq', OLD.seq, 'code', OLD.code, 'kind', OLD.kind,
            'level', OLD.level, 'note', OLD.note),
        json_object('receipt_id', NEW.receipt_id, 'seq', NEW.seq, 'code', NEW.code, 'kind', NEW.kind,
            'level', NEW.level, 'note', NEW.note));
END;

-- The receipt's audit triggers again, with the new column (and the paperwork columns of 0011).
DROP TRIGGER receipt_audit_insert;
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
            'submitted_at', NEW.submitted_at,
            'purchase_order_no', NEW.purchase_order_no, 'invoice_no', NEW.invoice_no,
            'delivery_note_no', NEW.delivery_note_no, 'component_ccc', NEW.component_ccc));
END;

DROP TRIGGER receipt_audit_update;
CREATE TRIGGER receipt_audit_update AFTER UPDATE ON receipt BEGIN
    INSERT INTO audit_log (actor, table_name, row_id, action, old_values, new_values)
    VALUES (COALESCE((SELECT actor FROM audit_context WHERE id = 1), 'system'), 'receipt', NEW.id, 'update',
        json_object(
            'id', OLD.id, 'supplier_id', OLD.supplier_id, 'material', OLD.material,
            'spec', OLD.spec, 'supplier_lot', OLD.supplier_lot, 'quantity', OLD.quantity,
            'unit', OLD.unit, 'received_on', OLD.received_on,
            'inspection_result', OLD.inspection_result, 'report_no', OLD.report_no,
            'note', OLD.note, 'created_at', OLD.created_at, 'updated_at', OLD.updated_at,
            'submitted_at', OLD.submitted_at,
            'purchase_order_no', OLD.purchase_order_no, 'invoice_no', OLD.invoice_no,
            'delivery_note_no', OLD.delivery_note_no, 'component_ccc', OLD.component_ccc),
        json_object(
            'id', NEW.id, 'supplier_id', NEW.supplier_id, 'material', NEW.material,
            'spec', NEW.spec, 'supplier_lot', NEW.supplier_lot, 'quantity', NEW.quantity,
            'unit', NEW.unit, 'received_on', NEW.received_on,
            'inspection_result', NEW.inspection_result, 'report_no', NEW.report_no,
            'note', NEW.note, 'created_at', NEW.created_at, 'updated_at', NEW.updated_at,
            'submitted_at', NEW.submitted_at,
            'purchase_order_no', NEW.purchase_order_no, 'invoice_no', NEW.invoice_no,
            'delivery_note_no', NEW.delivery_note_no, 'component_ccc', NEW.component_ccc));
END;

DROP TRIGGER receipt_audit_delete;
CREATE TRIGGER receipt_audit_delete AFTER DELETE ON receipt BEGIN
    INSERT INTO audit_log (actor, table_name, row_id, action, old_values, new_values)
    VALUES (COALESCE((SELECT actor FROM audit_context WHERE id = 1), 'system'), 'receipt', OLD.id, 'delete',
        json_object(
            'id', OLD.id, 'supplier_id', OLD.supplier_id, 'material', OLD.material,
            'spec', OLD.spec, 'supplier_lot', OLD.supplier_lot, 'quantity', OLD.quantity,
            'unit', OLD.unit, 'received_on', OLD.received_on,
            'inspection_result', OLD.inspection_result, 'report_no', OLD.report_no,
            'note', OLD.note, 'created_at', OLD.created_at, 'updated_at', OLD.updated_at,
            'submitted_at', OLD.submitted_at,
            'purchase_order_no', OLD.purchase_order_no, 'invoice_no', OLD.invoice_no,
            'delivery_note_no', OLD.delivery_note_no, 'component_ccc', OLD.component_ccc), NULL);
END;
