-- 0011_document_fields: the document numbers and dates clerks copy from their paperwork.
--
-- 1. receipt (进货查验): purchase_order_no 采购订单号, invoice_no 发票号, delivery_note_no the
--    supplier's 送货单号. batch (生产/出厂检验): inspected_on 检验日期, expires_on 有效期至,
--    work_order_no 生产工单号. shipment (销售出库): order_no 销售订单号, invoice_no 发票号.
--    Document numbers are '' when not recorded, at most 50 characters (contract text(50)); dates are
--    NULL or real ISO dates. The app checks the character set and the date order; the schema only
--    keeps what no check may let through.
-- 2. The audit triggers of the three tables are recreated with the new columns (and the shipment
--    ship_to of 0010), so every value
--    stays in the audit trail.
-- 3. The new columns go into the reported records (receiving bizTransactions, transformation
--    inspection date, expiry and work order, shipping order and invoice): a change to them stamps
--    outbox_source_change like the other reported columns.

ALTER TABLE receipt ADD COLUMN purchase_order_no TEXT NOT NULL DEFAULT '' CHECK (length(purchase_order_no) <= 50);
ALTER TABLE receipt ADD COLUMN invoice_no TEXT NOT NULL DEFAULT '' CHECK (length(invoice_no) <= 50);
ALTER TABLE receipt ADD COLUMN delivery_note_no TEXT NOT NULL DEFAULT '' CHECK (length(delivery_note_no) <= 50);
ALTER TABLE batch ADD COLUMN inspected_on TEXT CHECK (inspected_on IS NULL OR date(inspected_on) IS inspected_on);
ALTER TABLE batch ADD COLUMN expires_on TEXT CHECK (expires_on IS NULL OR date(expires_on) IS expires_on);
ALTER TABLE batch ADD COLUMN work_order_no TEXT NOT NULL DEFAULT '' CHECK (length(work_order_no) <= 50);
ALTER TABLE shipment ADD COLUMN order_no TEXT NOT NULL DEFAULT '' CHECK (length(order_no) <= 50);
ALTER TABLE shipment ADD COLUMN invoice_no TEXT NOT NULL DEFAULT '' CHECK (length(invoice_no) <= 50);

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
            'delivery_note_no', NEW.delivery_note_no));
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
            'delivery_note_no', OLD.delivery_note_no),
        json_object(
            'id', NEW.id, 'supplier_id', NEW.supplier_id, 'material', NEW.material,
            'spec', NEW.spec, 'supplier_lot', NEW.supplier_lot, 'quantity', NEW.quantity,
            'unit', NEW.unit, 'received_on', NEW.received_on,
            'inspection_result', NEW.inspection_result, 'report_no', NEW.report_no,
            'note', NEW.note, 'created_at', NEW.created_at, 'updated_at', NEW.updated_at,
            'submitted_at', NEW.submitted_at,
            'purchase_order_no', NEW.purchase_order_no, 'invoice_no', NEW.invoice_no,
            'delivery_note_no', NEW.delivery_note_no));
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
            'delivery_note_no', OLD.delivery_note_no), NULL);
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
            'report_no', NEW.report_no, 'created_at', NEW.created_at, 'updated_at', NEW.updated_at,
            'submitted_at', NEW.submitted_at,
            'inspected_on', NEW.inspected_on, 'expires_on', NEW.expires_on,
            'work_order_no', NEW.work_order_no));
END;

DROP TRIGGER batch_audit_update;
CREATE TRIGGER batch_audit_update AFTER UPDATE ON batch BEGIN
    INSERT INTO audit_log (actor, table_name, row_id, action, old_values, new_values)
    VALUES (COALESCE((SELECT actor FROM audit_context WHERE id = 1), 'system'), 'batch', NEW.id, 'update',
        json_object(
            'id', OLD.id, 'product_id', OLD.product_id, 'lot_no', OLD.lot_no,
            'produced_on', OLD.produced_on, 'quantity', OLD.quantity, 'unit', OLD.unit,
            'inspection_result', OLD.inspection_result, 'inspector', OLD.inspector,
            'report_no', OLD.report_no, 'created_at', OLD.created_at, 'updated_at', OLD.updated_at,
            'submitted_at', OLD.submitted_at,
            'inspected_on', OLD.inspected_on, 'expires_on', OLD.expires_on,
            'work_order_no', OLD.work_order_no),
        json_object(
            'id', NEW.id, 'product_id', NEW.product_id, 'lot_no', NEW.lot_no,
            'produced_on', NEW.produced_on, 'quantity', NEW.quantity, 'unit', NEW.unit,
            'inspection_result', NEW.inspection_result, 'inspector', NEW.inspector,
            'report_no', NEW.report_no, 'created_at', NEW.created_at, 'updated_at', NEW.updated_at,
            'submitted_at', NEW.submitted_at,
            'inspected_on', NEW.inspected_on, 'expires_on', NEW.expires_on,
            'work_order_no', NEW.work_order_no));
END;

DROP TRIGGER batch_audit_delete;
CREATE TRIGGER batch_audit_delete AFTER DELETE ON batch BEGIN
    INSERT INTO audit_log (actor, table_name, row_id, action, old_values, new_values)
    VALUES (COALESCE((SELECT actor FROM audit_context WHERE id = 1), 'system'), 'batch', OLD.id, 'delete',
        json_object(
            'id', OLD.id, 'product_id', OLD.product_id, 'lot_no', OLD.lot_no,
            'produced_on', OLD.produced_on, 'quantity', OLD.quantity, 'unit', OLD.unit,
            'inspection_result', OLD.inspection_result, 'inspector', OLD.inspector,
            'report_no', OLD.report_no, 'created_at', OLD.created_at, 'updated_at', OLD.updated_at,
            'submitted_at', OLD.submitted_at,
            'inspected_on', OLD.inspected_on, 'expires_on', OLD.expires_on,
            'work_order_no', OLD.work_order_no), NULL);
END;

DROP TRIGGER shipment_audit_insert;
CREATE TRIGGER shipment_audit_insert AFTER INSERT ON shipment
    WHEN COALESCE((SELECT bulk FROM audit_context WHERE id = 1), 0) = 0 BEGIN
    INSERT INTO audit_log (actor, table_name, row_id, action, old_values, new_values)
    VALUES (COALESCE((SELECT actor FROM audit_context WHERE id = 1), 'system'), 'shipment', NEW.id, 'insert', NULL,
        json_object(
            'id', NEW.id, 'customer_id', NEW.customer_id, 'shipped_on', NEW.shipped_on,
            'delivery_note_no', NEW.delivery_note_no, 'note', NEW.note,
            'created_at', NEW.created_at, 'updated_at', NEW.updated_at,
            'submitted_at', NEW.submitted_at, 'ship_to', NEW.ship_to,
            'order_no', NEW.order_no, 'invoice_no', NEW.invoice_no));
END;

DROP TRIGGER shipment_audit_update;
CREATE TRIGGER shipment_audit_update AFTER UPDATE ON shipment BEGIN
    INSERT INTO audit_log (actor, table_name, row_id, action, old_values, new_values)
    VALUES (COALESCE((SELECT actor FROM audit_context WHERE id = 1), 'system'), 'shipment', NEW.id, 'update',
        json_object(
            'id', OLD.id, 'customer_id', OLD.customer_id, 'shipped_on', OLD.shipped_on,
            'delivery_note_no', OLD.delivery_note_no, 'note', OLD.note,
            'created_at', OLD.created_at, 'updated_at', OLD.updated_at,
            'submitted_at', OLD.submitted_at, 'ship_to', OLD.ship_to,
            'order_no', OLD.order_no, 'invoice_no', OLD.invoice_no),
        json_object(
            'id', NEW.id, 'customer_id', NEW.customer_id, 'shipped_on', NEW.shipped_on,
            'delivery_note_no', NEW.delivery_note_no, 'note', NEW.note,
            'created_at', NEW.created_at, 'updated_at', NEW.updated_at,
            'submitted_at', NEW.submitted_at, 'ship_to', NEW.ship_to,
            'order_no', NEW.order_no, 'invoice_no', NEW.invoice_no));
END;

DROP TRIGGER shipment_audit_delete;
CREATE TRIGGER shipment_audit_delete AFTER DELETE ON shipment BEGIN
    INSERT INTO audit_log (actor, table_name, row_id, action, old_values, new_values)
    VALUES (COALESCE((SELECT actor FROM audit_context WHERE id = 1), 'system'), 'shipment', OLD.id, 'delete',
        json_object(
            'id', OLD.id, 'customer_id', OLD.customer_id, 'shipped_on', OLD.shipped_on,
            'delivery_note_no', OLD.delivery_note_no, 'note', OLD.note,
            'created_at', OLD.created_at, 'updated_at', OLD.updated_at,
            'submitted_at', OLD.submitted_at, 'ship_to', OLD.ship_to,
            'order_no', OLD.order_no, 'invoice_no', OLD.invoice_no), NULL);
END;

CREATE TRIGGER receipt_documents_source_change AFTER UPDATE OF purchase_order_no, invoice_no,
    delivery_note_no ON receipt BEGIN
    DELETE FROM outbox_source_change WHERE source_kind = 'receipt' AND source_id = NEW.id;
    INSERT INTO outbox_source_change VALUES ('receipt', NEW.id, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));
END;
CREATE TRIGGER batch_documents_source_change AFTER UPDATE OF inspected_on, expires_on, work_order_no
    ON batch BEGIN
    DELETE FROM outbox_source_change WHERE source_kind = 'batch' AND source_id = NEW.id;
    INSERT INTO outbox_source_change VALUES ('batch', NEW.id, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));
END;
CREATE TRIGGER shipment_documents_source_change AFTER UPDATE OF order_no, invoice_no ON shipment BEGIN
    DELETE FROM outbox_source_change WHERE source_kind = 'shipment' AND source_id = NEW.id;
    INSERT INTO outbox_source_change VALUES ('shipment', NEW.id, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));
END;
