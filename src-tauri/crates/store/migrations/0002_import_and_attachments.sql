-- 0002_import_and_attachments: things the first release lacked.
--
-- 1. import_mapping remembers how a user's spreadsheet columns map onto our fields, keyed by the
--    header row's signature, so the second import of "the same" workbook needs no questions.
-- 2. attachment keeps the inspection reports, certificates and photos that back a record. The
--    file itself lives under the data directory, named by its SHA-256; the row holds what we need
--    to find it, show it and notice if it changed.
-- 3. Both are business data, so both get audit triggers like the tables of 0001.

CREATE TABLE import_mapping (
    id               INTEGER PRIMARY KEY,
    -- What the sheet imports (e.g. 'receipt', 'batch'); the app layer owns the vocabulary, so it
    -- is not a CHECK list that would need a migration for every new kind.
    kind             TEXT NOT NULL CHECK (length(trim(kind)) > 0),
    -- A normalised form of the header row (the app decides how), e.g. the trimmed headers joined.
    header_signature TEXT NOT NULL CHECK (length(header_signature) > 0),
    -- JSON object: column header -> field name.
    mapping          TEXT NOT NULL CHECK (json_valid(mapping) AND json_type(mapping) = 'object'),
    use_count        INTEGER NOT NULL DEFAULT 0 CHECK (use_count >= 0),
    last_used_at     TEXT,
    created_at       TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    updated_at       TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    UNIQUE (kind, header_signature)
);

-- Exactly one owner per attachment, each a real foreign key (rather than a table-name/id pair)
-- so that SQLite keeps the link honest; an attachment goes with the record it documents.
CREATE TABLE attachment (
    id          INTEGER PRIMARY KEY,
    product_id  INTEGER REFERENCES product (id) ON DELETE CASCADE,
    receipt_id  INTEGER REFERENCES receipt (id) ON DELETE CASCADE,
    batch_id    INTEGER REFERENCES batch (id) ON DELETE CASCADE,
    shipment_id INTEGER REFERENCES shipment (id) ON DELETE CASCADE,
    purpose     TEXT NOT NULL DEFAULT 'other'
                CHECK (purpose IN ('inspection-report', 'certificate', 'photo', 'delivery-note', 'other')),
    file_name   TEXT NOT NULL CHECK (length(trim(file_name)) > 0),
    media_type  TEXT NOT NULL DEFAULT 'application/octet-stream',
    sha256      TEXT NOT NULL CHECK (length(sha256) = 64 AND sha256 NOT GLOB '*[^0-9a-f]*'),
    size_bytes  INTEGER NOT NULL CHECK (size_bytes >= 0),
    note        TEXT NOT NULL DEFAULT '',
    created_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    CHECK ((product_id IS NOT NULL) + (receipt_id IS NOT NULL) + (batch_id IS NOT NULL)
           + (shipment_id IS NOT NULL) = 1)
);
CREATE INDEX attachment_by_product ON attachment (product_id) WHERE product_id IS NOT NULL;
CREATE INDEX attachment_by_receipt ON attachment (receipt_id) WHERE receipt_id IS NOT NULL;
CREATE INDEX attachment_by_batch ON attachment (batch_id) WHERE batch_id IS NOT NULL;
CREATE INDEX attachment_by_shipment ON attachment (shipment_id) WHERE shipment_id IS NOT NULL;
CREATE INDEX attachment_by_sha256 ON attachment (sha256);

-- Recall starts from a supplier and walks forward; shipments are listed per customer and date,
-- and batches per product and date. These compound indexes serve those lists without a sort.
CREATE INDEX receipt_by_supplier_received_on ON receipt (supplier_id, received_on);
CREATE INDEX batch_by_product_produced_on ON batch (product_id, produced_on);

-- Audit triggers, in the same form as 0001's.
CREATE TRIGGER import_mapping_audit_insert AFTER INSERT ON import_mapping BEGIN
    INSERT INTO audit_log (actor, table_name, row_id, action, old_values, new_values)
    VALUES (COALESCE((SELECT actor FROM audit_context WHERE id = 1), 'system'), 'import_mapping', NEW.id, 'insert', NULL,
        json_object(
            'id', NEW.id, 'kind', NEW.kind, 'header_signature', NEW.header_signature,
            'mapping', NEW.mapping, 'use_count', NEW.use_count, 'last_used_at', NEW.last_used_at,
            'created_at', NEW.created_at, 'updated_at', NEW.updated_at));
END;
CREATE TRIGGER import_mapping_audit_update AFTER UPDATE ON import_mapping BEGIN
    INSERT INTO audit_log (actor, table_name, row_id, action, old_values, new_values)
    VALUES (COALESCE((SELECT actor FROM audit_context WHERE id = 1), 'system'), 'import_mapping', NEW.id, 'update',
        json_object(
            'id', OLD.id, 'kind', OLD.kind, 'header_signature', OLD.header_signature,
            'mapping', OLD.mapping, 'use_count', OLD.use_count, 'last_used_at', OLD.last_used_at,
            'created_at', OLD.created_at, 'updated_at', OLD.updated_at),
        json_object(
            'id', NEW.id, 'kind', NEW.kind, 'header_signature', NEW.header_signature,
            'mapping', NEW.mapping, 'use_count', NEW.use_count, 'last_used_at', NEW.last_used_at,
            'created_at', NEW.created_at, 'updated_at', NEW.updated_at));
END;
CREATE TRIGGER import_mapping_audit_delete AFTER DELETE ON import_mapping BEGIN
    INSERT INTO audit_log (actor, table_name, row_id, action, old_values, new_values)
    VALUES (COALESCE((SELECT actor FROM audit_context WHERE id = 1), 'system'), 'import_mapping', OLD.id, 'delete',
        json_object(
            'id', OLD.id, 'kind', OLD.kind, 'header_signature', OLD.header_signature,
            'mapping', OLD.mapping, 'use_count', OLD.use_count, 'last_used_at', OLD.last_used_at,
            'created_at', OLD.created_at, 'updated_at', OLD.updated_at), NULL);
END;

CREATE TRIGGER attachment_audit_insert AFTER INSERT ON attachment BEGIN
    INSERT INTO audit_log (actor, table_name, row_id, action, old_values, new_values)
    VALUES (COALESCE((SELECT actor FROM audit_context WHERE id = 1), 'system'), 'attachment', NEW.id, 'insert', NULL,
        json_object(
            'id', NEW.id, 'product_id', NEW.product_id, 'receipt_id', NEW.receipt_id,
            'batch_id', NEW.batch_id, 'shipment_id', NEW.shipment_id, 'purpose', NEW.purpose,
            'file_name', NEW.file_name, 'media_type', NEW.media_type, 'sha256', NEW.sha256,
            'size_bytes', NEW.size_bytes, 'note', NEW.note, 'created_at', NEW.created_at));
END;
CREATE TRIGGER attachment_audit_update AFTER UPDATE ON attachment BEGIN
    INSERT INTO audit_log (actor, table_name, row_id, action, old_values, new_values)
    VALUES (COALESCE((SELECT actor FROM audit_context WHERE id = 1), 'system'), 'attachment', NEW.id, 'update',
        json_object(
            'id', OLD.id, 'product_id', OLD.product_id, 'receipt_id', OLD.receipt_id,
            'batch_id', OLD.batch_id, 'shipment_id', OLD.shipment_id, 'purpose', OLD.purpose,
            'file_name', OLD.file_name, 'media_type', OLD.media_type, 'sha256', OLD.sha256,
            'size_bytes', OLD.size_bytes, 'note', OLD.note, 'created_at', OLD.created_at),
        json_object(
            'id', NEW.id, 'product_id', NEW.product_id, 'receipt_id', NEW.receipt_id,
            'batch_id', NEW.batch_id, 'shipment_id', NEW.shipment_id, 'purpose', NEW.purpose,
            'file_name', NEW.file_name, 'media_type', NEW.media_type, 'sha256', NEW.sha256,
            'size_bytes', NEW.size_bytes, 'note', NEW.note, 'created_at', NEW.created_at));
END;
CREATE TRIGGER attachment_audit_delete AFTER DELETE ON attachment BEGIN
    INSERT INTO audit_log (actor, table_name, row_id, action, old_values, new_values)
    VALUES (COALESCE((SELECT actor FROM audit_context WHERE id = 1), 'system'), 'attachment', OLD.id, 'delete',
        json_object(
            'id', OLD.id, 'product_id', OLD.product_id, 'receipt_id', OLD.receipt_id,
            'batch_id', OLD.batch_id, 'shipment_id', OLD.shipment_id, 'purpose', OLD.purpose,
            'file_name', OLD.file_name, 'media_type', OLD.media_type, 'sha256', OLD.sha256,
            'size_bytes', OLD.size_bytes, 'note', OLD.note, 'created_at', OLD.created_at), NULL);
END;
