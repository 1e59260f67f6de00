-- Frozen schema of tracedesk database version 3 (migrations 0001 to 0003), as SQLite stores it in
-- sqlite_master, followed by a few representative rows. Never edit this file: it stands for the
-- databases already on users' disks, and the upgrade test for migration 0004 will start from it.
-- (`frozen_schemas_match_what_the_migrations_build` checks that the DDL still matches.)

CREATE TABLE audit_context (
    id    INTEGER PRIMARY KEY CHECK (id = 1),
    actor TEXT NOT NULL CHECK (length(actor) > 0)
, bulk INTEGER NOT NULL DEFAULT 0 CHECK (bulk IN (0, 1)));

CREATE TABLE audit_log (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    at         TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    actor      TEXT    NOT NULL,
    table_name TEXT    NOT NULL,
    row_id     INTEGER NOT NULL,
    action     TEXT    NOT NULL CHECK (action IN ('insert', 'update', 'delete')),
    old_values TEXT    CHECK (old_values IS NULL OR json_valid(old_values)),
    new_values TEXT    CHECK (new_values IS NULL OR json_valid(new_values))
);

CREATE INDEX audit_log_by_row ON audit_log (table_name, row_id);

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;

CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;

CREATE TABLE enterprise (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    name       TEXT NOT NULL,
    uscc       TEXT NOT NULL,
    address    TEXT NOT NULL DEFAULT '',
    contact    TEXT NOT NULL DEFAULT '',
    phone      TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);

CREATE TABLE setting (
    key        TEXT NOT NULL PRIMARY KEY,
    value      TEXT NOT NULL,
    updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);

CREATE TABLE party (
    id         INTEGER PRIMARY KEY,
    kind       TEXT NOT NULL CHECK (kind IN ('supplier', 'customer', 'both')),
    name       TEXT NOT NULL UNIQUE CHECK (length(trim(name)) > 0),
    uscc       TEXT,
    address    TEXT NOT NULL DEFAULT '',
    contact    TEXT NOT NULL DEFAULT '',
    phone      TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);

CREATE UNIQUE INDEX party_by_uscc ON party (uscc) WHERE uscc IS NOT NULL;

CREATE TABLE product (
    id             INTEGER PRIMARY KEY,
    name           TEXT NOT NULL CHECK (length(trim(name)) > 0),
    model          TEXT NOT NULL DEFAULT '',
    category       TEXT NOT NULL DEFAULT '',
    brand          TEXT NOT NULL DEFAULT '',
    standard       TEXT NOT NULL DEFAULT '',
    gtin           TEXT UNIQUE
                   CHECK (gtin IS NULL OR (length(gtin) BETWEEN 8 AND 14 AND gtin NOT GLOB '*[^0-9]*')),
    scheme         TEXT NOT NULL CHECK (scheme IN ('gs1', 'ecode', 'digital-id')),
    granularity    TEXT NOT NULL CHECK (granularity IN ('product', 'batch', 'item')),
    ccc_cert_no    TEXT,
    ccc_valid_from TEXT CHECK (ccc_valid_from IS NULL OR date(ccc_valid_from) IS ccc_valid_from),
    ccc_valid_to   TEXT CHECK (ccc_valid_to IS NULL OR date(ccc_valid_to) IS ccc_valid_to),
    ccc_mark_no    TEXT,
    created_at     TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    updated_at     TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')), ccc_models TEXT NOT NULL DEFAULT '',
    UNIQUE (name, model),
    CHECK (ccc_valid_from IS NULL OR ccc_valid_to IS NULL OR ccc_valid_from <= ccc_valid_to)
);

CREATE TABLE receipt (
    id                INTEGER PRIMARY KEY,
    supplier_id       INTEGER NOT NULL REFERENCES party (id) ON DELETE RESTRICT,
    material          TEXT NOT NULL CHECK (length(trim(material)) > 0),
    spec              TEXT NOT NULL DEFAULT '',
    supplier_lot      TEXT NOT NULL CHECK (length(trim(supplier_lot)) > 0),
    quantity          REAL NOT NULL CHECK (quantity > 0),
    unit              TEXT NOT NULL CHECK (length(trim(unit)) > 0),
    received_on       TEXT NOT NULL CHECK (date(received_on) IS received_on),
    inspection_result TEXT NOT NULL DEFAULT 'pending' CHECK (inspection_result IN ('pass', 'fail', 'pending')),
    report_no         TEXT,
    note              TEXT NOT NULL DEFAULT '',
    created_at        TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    updated_at        TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    UNIQUE (supplier_id, supplier_lot, material)
);

CREATE INDEX receipt_by_received_on ON receipt (received_on);

CREATE INDEX receipt_by_supplier_lot ON receipt (supplier_lot);

CREATE TABLE batch (
    id                INTEGER PRIMARY KEY,
    product_id        INTEGER NOT NULL REFERENCES product (id) ON DELETE RESTRICT,
    lot_no            TEXT NOT NULL CHECK (length(trim(lot_no)) > 0),
    produced_on       TEXT NOT NULL CHECK (date(produced_on) IS produced_on),
    quantity          REAL NOT NULL CHECK (quantity > 0),
    unit              TEXT NOT NULL CHECK (length(trim(unit)) > 0),
    inspection_result TEXT NOT NULL DEFAULT 'pending' CHECK (inspection_result IN ('pass', 'fail', 'pending')),
    inspector         TEXT NOT NULL DEFAULT '',
    report_no         TEXT,
    created_at        TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    updated_at        TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    UNIQUE (product_id, lot_no),
    UNIQUE (id, product_id)
);

CREATE INDEX batch_by_produced_on ON batch (produced_on);

CREATE INDEX batch_by_lot_no ON batch (lot_no);

CREATE TABLE batch_input (
    batch_id   INTEGER NOT NULL REFERENCES batch (id) ON DELETE CASCADE,
    receipt_id INTEGER NOT NULL REFERENCES receipt (id) ON DELETE RESTRICT,
    quantity   REAL CHECK (quantity IS NULL OR quantity > 0),
    PRIMARY KEY (batch_id, receipt_id)
);

CREATE INDEX batch_input_by_receipt ON batch_input (receipt_id);

CREATE TABLE item (
    id         INTEGER PRIMARY KEY,
    batch_id   INTEGER NOT NULL REFERENCES batch (id) ON DELETE RESTRICT,
    serial     TEXT NOT NULL CHECK (length(trim(serial)) > 0),
    status     TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'void')),
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    UNIQUE (batch_id, serial),
    UNIQUE (id, batch_id)
);

CREATE TABLE shipment (
    id               INTEGER PRIMARY KEY,
    customer_id      INTEGER NOT NULL REFERENCES party (id) ON DELETE RESTRICT,
    shipped_on       TEXT NOT NULL CHECK (date(shipped_on) IS shipped_on),
    delivery_note_no TEXT NOT NULL UNIQUE CHECK (length(trim(delivery_note_no)) > 0),
    note             TEXT NOT NULL DEFAULT '',
    created_at       TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    updated_at       TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);

CREATE INDEX shipment_by_customer ON shipment (customer_id, shipped_on);

CREATE INDEX shipment_by_shipped_on ON shipment (shipped_on);

CREATE TABLE shipment_line (
    id          INTEGER PRIMARY KEY,
    shipment_id INTEGER NOT NULL REFERENCES shipment (id) ON DELETE CASCADE,
    batch_id    INTEGER NOT NULL REFERENCES batch (id) ON DELETE RESTRICT,
    item_id     INTEGER,
    quantity    REAL NOT NULL CHECK (quantity > 0),
    FOREIGN KEY (item_id, batch_id) REFERENCES item (id, batch_id) ON DELETE RESTRICT
);

CREATE INDEX shipment_line_by_shipment ON shipment_line (shipment_id);

CREATE INDEX shipment_line_by_batch ON shipment_line (batch_id);

CREATE INDEX shipment_line_by_item ON shipment_line (item_id, batch_id) WHERE item_id IS NOT NULL;

CREATE TABLE trace_code (
    id          INTEGER PRIMARY KEY,
    code        TEXT NOT NULL UNIQUE CHECK (length(trim(code)) > 0),
    scheme      TEXT NOT NULL CHECK (scheme IN ('gs1', 'ecode', 'digital-id')),
    granularity TEXT NOT NULL CHECK (granularity IN ('product', 'batch', 'item')),
    product_id  INTEGER NOT NULL REFERENCES product (id) ON DELETE RESTRICT,
    batch_id    INTEGER,
    item_id     INTEGER,
    status      TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'void')),
    created_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    CHECK (
        (granularity = 'product' AND batch_id IS NULL AND item_id IS NULL)
        OR (granularity = 'batch' AND batch_id IS NOT NULL AND item_id IS NULL)
        OR (granularity = 'item' AND batch_id IS NOT NULL AND item_id IS NOT NULL)
    ),
    FOREIGN KEY (batch_id, product_id) REFERENCES batch (id, product_id) ON DELETE RESTRICT,
    FOREIGN KEY (item_id, batch_id) REFERENCES item (id, batch_id) ON DELETE RESTRICT
);

CREATE INDEX trace_code_by_product ON trace_code (product_id);

CREATE INDEX trace_code_by_batch ON trace_code (batch_id, product_id) WHERE batch_id IS NOT NULL;

CREATE INDEX trace_code_by_item ON trace_code (item_id, batch_id) WHERE item_id IS NOT NULL;

CREATE TRIGGER enterprise_audit_insert AFTER INSERT ON enterprise BEGIN
    INSERT INTO audit_log (actor, table_name, row_id, action, old_values, new_values)
    VALUES (COALESCE((SELECT actor FROM audit_context WHERE id = 1), 'system'), 'enterprise', NEW.id, 'insert', NULL,
        json_object(
            'id', NEW.id, 'name', NEW.name, 'uscc', NEW.uscc, 'address', NEW.address,
            'contact', NEW.contact, 'phone', NEW.phone, 'created_at', NEW.created_at,
            'updated_at', NEW.updated_at));
END;

CREATE TRIGGER enterprise_audit_update AFTER UPDATE ON enterprise BEGIN
    INSERT INTO audit_log (actor, table_name, row_id, action, old_values, new_values)
    VALUES (COALESCE((SELECT actor FROM audit_context WHERE id = 1), 'system'), 'enterprise', NEW.id, 'update',
        json_object(
            'id', OLD.id, 'name', OLD.name, 'uscc', OLD.uscc, 'address', OLD.address,
            'contact', OLD.contact, 'phone', OLD.phone, 'created_at', OLD.created_at,
            'updated_at', OLD.updated_at),
        json_object(
            'id', NEW.id, 'name', NEW.name, 'uscc', NEW.uscc, 'address', NEW.address,
            'contact', NEW.contact, 'phone', NEW.phone, 'created_at', NEW.created_at,
            'updated_at', NEW.updated_at));
END;

CREATE TRIGGER enterprise_audit_delete AFTER DELETE ON enterprise BEGIN
    INSERT INTO audit_log (actor, table_name, row_id, action, old_values, new_values)
    VALUES (COALESCE((SELECT actor FROM audit_context WHERE id = 1), 'system'), 'enterprise', OLD.id, 'delete',
        json_object(
            'id', OLD.id, 'name', OLD.name, 'uscc', OLD.uscc, 'address', OLD.address,
            'contact', OLD.contact, 'phone', OLD.phone, 'created_at', OLD.created_at,
            'updated_at', OLD.updated_at), NULL);
END;

CREATE TRIGGER setting_audit_insert AFTER INSERT ON setting BEGIN
    INSERT INTO audit_log (actor, table_name, row_id, action, old_values, new_values)
    VALUES (COALESCE((SELECT actor FROM audit_context WHERE id = 1), 'system'), 'setting', NEW.rowid, 'insert', NULL,
        json_object(
            'key', NEW.key, 'value', NEW.value, 'updated_at', NEW.updated_at));
END;

CREATE TRIGGER setting_audit_update AFTER UPDATE ON setting BEGIN
    INSERT INTO audit_log (actor, table_name, row_id, action, old_values, new_values)
    VALUES (COALESCE((SELECT actor FROM audit_context WHERE id = 1), 'system'), 'setting', NEW.rowid, 'update',
        json_object(
            'key', OLD.key, 'value', OLD.value, 'updated_at', OLD.updated_at),
        json_object(
            'key', NEW.key, 'value', NEW.value, 'updated_at', NEW.updated_at));
END;

CREATE TRIGGER setting_audit_delete AFTER DELETE ON setting BEGIN
    INSERT INTO audit_log (actor, table_name, row_id, action, old_values, new_values)
    VALUES (COALESCE((SELECT actor FROM audit_context WHERE id = 1), 'system'), 'setting', OLD.rowid, 'delete',
        json_object(
            'key', OLD.key, 'value', OLD.value, 'updated_at', OLD.updated_at), NULL);
END;

CREATE TRIGGER party_audit_update AFTER UPDATE ON party BEGIN
    INSERT INTO audit_log (actor, table_name, row_id, action, old_values, new_values)
    VALUES (COALESCE((SELECT actor FROM audit_context WHERE id = 1), 'system'), 'party', NEW.id, 'update',
        json_object(
            'id', OLD.id, 'kind', OLD.kind, 'name', OLD.name, 'uscc', OLD.uscc,
            'address', OLD.address, 'contact', OLD.contact, 'phone', OLD.phone,
            'created_at', OLD.created_at, 'updated_at', OLD.updated_at),
        json_object(
            'id', NEW.id, 'kind', NEW.kind, 'name', NEW.name, 'uscc', NEW.uscc,
            'address', NEW.address, 'contact', NEW.contact, 'phone', NEW.phone,
            'created_at', NEW.created_at, 'updated_at', NEW.updated_at));
END;

CREATE TRIGGER party_audit_delete AFTER DELETE ON party BEGIN
    INSERT INTO audit_log (actor, table_name, row_id, action, old_values, new_values)
    VALUES (COALESCE((SELECT actor FROM audit_context WHERE id = 1), 'system'), 'party', OLD.id, 'delete',
        json_object(
            'id', OLD.id, 'kind', OLD.kind, 'name', OLD.name, 'uscc', OLD.uscc,
            'address', OLD.address, 'contact', OLD.contact, 'phone', OLD.phone,
            'created_at', OLD.created_at, 'updated_at', OLD.updated_at), NULL);
END;

CREATE TRIGGER receipt_audit_update AFTER UPDATE ON receipt BEGIN
    INSERT INTO audit_log (actor, table_name, row_id, action, old_values, new_values)
    VALUES (COALESCE((SELECT actor FROM audit_context WHERE id = 1), 'system'), 'receipt', NEW.id, 'update',
        json_object(
            'id', OLD.id, 'supplier_id', OLD.supplier_id, 'material', OLD.material,
            'spec', OLD.spec, 'supplier_lot', OLD.supplier_lot, 'quantity', OLD.quantity,
            'unit', OLD.unit, 'received_on', OLD.received_on,
            'inspection_result', OLD.inspection_result, 'report_no', OLD.report_no,
            'note', OLD.note, 'created_at', OLD.created_at, 'updated_at', OLD.updated_at),
        json_object(
            'id', NEW.id, 'supplier_id', NEW.supplier_id, 'material', NEW.material,
            'spec', NEW.spec, 'supplier_lot', NEW.supplier_lot, 'quantity', NEW.quantity,
            'unit', NEW.unit, 'received_on', NEW.received_on,
            'inspection_result', NEW.inspection_result, 'report_no', NEW.report_no,
            'note', NEW.note, 'created_at', NEW.created_at, 'updated_at', NEW.updated_at));
END;

CREATE TRIGGER receipt_audit_delete AFTER DELETE ON receipt BEGIN
    INSERT INTO audit_log (actor, table_name, row_id, action, old_values, new_values)
    VALUES (COALESCE((SELECT actor FROM audit_context WHERE id = 1), 'system'), 'receipt', OLD.id, 'delete',
        json_object(
            'id', OLD.id, 'supplier_id', OLD.supplier_id, 'material', OLD.material,
            'spec', OLD.spec, 'supplier_lot', OLD.supplier_lot, 'quantity', OLD.quantity,
            'unit', OLD.unit, 'received_on', OLD.received_on,
            'inspection_result', OLD.inspection_result, 'report_no', OLD.report_no,
            'note', OLD.note, 'created_at', OLD.created_at, 'updated_at', OLD.updated_at), NULL);
END;

CREATE TRIGGER batch_audit_update AFTER UPDATE ON batch BEGIN
    INSERT INTO audit_log (actor, table_name, row_id, action, old_values, new_values)
    VALUES (COALESCE((SELECT actor FROM audit_context WHERE id = 1), 'system'), 'batch', NEW.id, 'update',
        json_object(
            'id', OLD.id, 'product_id', OLD.product_id, 'lot_no', OLD.lot_no,
            'produced_on', OLD.produced_on, 'quantity', OLD.quantity, 'unit', OLD.unit,
            'inspection_result', OLD.inspection_result, 'inspector', OLD.inspector,
            'report_no', OLD.report_no, 'created_at', OLD.created_at,
            'updated_at', OLD.updated_at),
        json_object(
            'id', NEW.id, 'product_id', NEW.product_id, 'lot_no', NEW.lot_no,
            'produced_on', NEW.produced_on, 'quantity', NEW.quantity, 'unit', NEW.unit,
            'inspection_result', NEW.inspection_result, 'inspector', NEW.inspector,
            'report_no', NEW.report_no, 'created_at', NEW.created_at,
            'updated_at', NEW.updated_at));
END;

CREATE TRIGGER batch_audit_delete AFTER DELETE ON batch BEGIN
    INSERT INTO audit_log (actor, table_name, row_id, action, old_values, new_values)
    VALUES (COALESCE((SELECT actor FROM audit_context WHERE id = 1), 'system'), 'batch', OLD.id, 'delete',
        json_object(
            'id', OLD.id, 'product_id', OLD.product_id, 'lot_no', OLD.lot_no,
            'produced_on', OLD.produced_on, 'quantity', OLD.quantity, 'unit', OLD.unit,
            'inspection_result', OLD.inspection_result, 'inspector', OLD.inspector,
            'report_no', OLD.report_no, 'created_at', OLD.created_at,
            'updated_at', OLD.updated_at), NULL);
END;

CREATE TRIGGER batch_input_audit_update AFTER UPDATE ON batch_input BEGIN
    INSERT INTO audit_log (actor, table_name, row_id, action, old_values, new_values)
    VALUES (COALESCE((SELECT actor FROM audit_context WHERE id = 1), 'system'), 'batch_input', NEW.rowid, 'update',
        json_object(
            'batch_id', OLD.batch_id, 'receipt_id', OLD.receipt_id, 'quantity', OLD.quantity),
        json_object(
            'batch_id', NEW.batch_id, 'receipt_id', NEW.receipt_id, 'quantity', NEW.quantity));
END;

CREATE TRIGGER batch_input_audit_delete AFTER DELETE ON batch_input BEGIN
    INSERT INTO audit_log (actor, table_name, row_id, action, old_values, new_values)
    VALUES (COALESCE((SELECT actor FROM audit_context WHERE id = 1), 'system'), 'batch_input', OLD.rowid, 'delete',
        json_object(
            'batch_id', OLD.batch_id, 'receipt_id', OLD.receipt_id, 'quantity', OLD.quantity), NULL);
END;

CREATE TRIGGER item_audit_update AFTER UPDATE ON item BEGIN
    INSERT INTO audit_log (actor, table_name, row_id, action, old_values, new_values)
    VALUES (COALESCE((SELECT actor FROM audit_context WHERE id = 1), 'system'), 'item', NEW.id, 'update',
        json_object(
            'id', OLD.id, 'batch_id', OLD.batch_id, 'serial', OLD.serial, 'status', OLD.status,
            'created_at', OLD.created_at, 'updated_at', OLD.updated_at),
        json_object(
            'id', NEW.id, 'batch_id', NEW.batch_id, 'serial', NEW.serial, 'status', NEW.status,
            'created_at', NEW.created_at, 'updated_at', NEW.updated_at));
END;

CREATE TRIGGER item_audit_delete AFTER DELETE ON item BEGIN
    INSERT INTO audit_log (actor, table_name, row_id, action, old_values, new_values)
    VALUES (COALESCE((SELECT actor FROM audit_context WHERE id = 1), 'system'), 'item', OLD.id, 'delete',
        json_object(
            'id', OLD.id, 'batch_id', OLD.batch_id, 'serial', OLD.serial, 'status', OLD.status,
            'created_at', OLD.created_at, 'updated_at', OLD.updated_at), NULL);
END;

CREATE TRIGGER shipment_audit_update AFTER UPDATE ON shipment BEGIN
    INSERT INTO audit_log (actor, table_name, row_id, action, old_values, new_values)
    VALUES (COALESCE((SELECT actor FROM audit_context WHERE id = 1), 'system'), 'shipment', NEW.id, 'update',
        json_object(
            'id', OLD.id, 'customer_id', OLD.customer_id, 'shipped_on', OLD.shipped_on,
            'delivery_note_no', OLD.delivery_note_no, 'note', OLD.note,
            'created_at', OLD.created_at, 'updated_at', OLD.updated_at),
        json_object(
            'id', NEW.id, 'customer_id', NEW.customer_id, 'shipped_on', NEW.shipped_on,
            'delivery_note_no', NEW.delivery_note_no, 'note', NEW.note,
            'created_at', NEW.created_at, 'updated_at', NEW.updated_at));
END;

CREATE TRIGGER shipment_audit_delete AFTER DELETE ON shipment BEGIN
    INSERT INTO audit_log (actor, table_name, row_id, action, old_values, new_values)
    VALUES (COALESCE((SELECT actor FROM audit_context WHERE id = 1), 'system'), 'shipment', OLD.id, 'delete',
        json_object(
            'id', OLD.id, 'customer_id', OLD.customer_id, 'shipped_on', OLD.shipped_on,
            'delivery_note_no', OLD.delivery_note_no, 'note', OLD.note,
            'created_at', OLD.created_at, 'updated_at', OLD.updated_at), NULL);
END;

CREATE TRIGGER shipment_line_audit_update AFTER UPDATE ON shipment_line BEGIN
    INSERT INTO audit_log (actor, table_name, row_id, action, old_values, new_values)
    VALUES (COALESCE((SELECT actor FROM audit_context WHERE id = 1), 'system'), 'shipment_line', NEW.id, 'update',
        json_object(
            'id', OLD.id, 'shipment_id', OLD.shipment_id, 'batch_id', OLD.batch_id,
            'item_id', OLD.item_id, 'quantity', OLD.quantity),
        json_object(
            'id', NEW.id, 'shipment_id', NEW.shipment_id, 'batch_id', NEW.batch_id,
            'item_id', NEW.item_id, 'quantity', NEW.quantity));
END;

CREATE TRIGGER shipment_line_audit_delete AFTER DELETE ON shipment_line BEGIN
    INSERT INTO audit_log (actor, table_name, row_id, action, old_values, new_values)
    VALUES (COALESCE((SELECT actor FROM audit_context WHERE id = 1), 'system'), 'shipment_line', OLD.id, 'delete',
        json_object(
            'id', OLD.id, 'shipment_id', OLD.shipment_id, 'batch_id', OLD.batch_id,
            'item_id', OLD.item_id, 'quantity', OLD.quantity), NULL);
END;

CREATE TRIGGER trace_code_audit_update AFTER UPDATE ON trace_code BEGIN
    INSERT INTO audit_log (actor, table_name, row_id, action, old_values, new_values)
    VALUES (COALESCE((SELECT actor FROM audit_context WHERE id = 1), 'system'), 'trace_code', NEW.id, 'update',
        json_object(
            'id', OLD.id, 'code', OLD.code, 'scheme', OLD.scheme, 'granularity', OLD.granularity,
            'product_id', OLD.product_id, 'batch_id', OLD.batch_id, 'item_id', OLD.item_id,
            'status', OLD.status, 'created_at', OLD.created_at),
        json_object(
            'id', NEW.id, 'code', NEW.code, 'scheme', NEW.scheme, 'granularity', NEW.granularity,
            'product_id', NEW.product_id, 'batch_id', NEW.batch_id, 'item_id', NEW.item_id,
            'status', NEW.status, 'created_at', NEW.created_at));
END;

CREATE TRIGGER trace_code_audit_delete AFTER DELETE ON trace_code BEGIN
    INSERT INTO audit_log (actor, table_name, row_id, action, old_values, new_values)
    VALUES (COALESCE((SELECT actor FROM audit_context WHERE id = 1), 'system'), 'trace_code', OLD.id, 'delete',
        json_object(
            'id', OLD.id, 'code', OLD.code, 'scheme', OLD.scheme, 'granularity', OLD.granularity,
            'product_id', OLD.product_id, 'batch_id', OLD.batch_id, 'item_id', OLD.item_id,
            'status', OLD.status, 'created_at', OLD.created_at), NULL);
END;

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

CREATE INDEX receipt_by_supplier_received_on ON receipt (supplier_id, received_on);

CREATE INDEX batch_by_product_produced_on ON batch (product_id, produced_on);

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

CREATE INDEX item_by_serial ON item (serial);

CREATE INDEX receipt_by_material ON receipt (material, spec);

CREATE INDEX receipt_by_created_at ON receipt (created_at);

CREATE INDEX batch_by_created_at ON batch (created_at);

CREATE INDEX shipment_by_created_at ON shipment (created_at);

CREATE INDEX receipt_failed ON receipt (received_on) WHERE inspection_result = 'fail';

CREATE INDEX batch_failed ON batch (produced_on) WHERE inspection_result = 'fail';

CREATE INDEX product_by_ccc_valid_to ON product (ccc_valid_to) WHERE ccc_valid_to IS NOT NULL;

CREATE TRIGGER party_audit_insert AFTER INSERT ON party
    WHEN COALESCE((SELECT bulk FROM audit_context WHERE id = 1), 0) = 0 BEGIN
    INSERT INTO audit_log (actor, table_name, row_id, action, old_values, new_values)
    VALUES (COALESCE((SELECT actor FROM audit_context WHERE id = 1), 'system'), 'party', NEW.id, 'insert', NULL,
        json_object(
            'id', NEW.id, 'kind', NEW.kind, 'name', NEW.name, 'uscc', NEW.uscc, 'address', NEW.address,
            'contact', NEW.contact, 'phone', NEW.phone, 'created_at', NEW.created_at,
            'updated_at', NEW.updated_at));
END;

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

CREATE TRIGGER batch_input_audit_insert AFTER INSERT ON batch_input
    WHEN COALESCE((SELECT bulk FROM audit_context WHERE id = 1), 0) = 0 BEGIN
    INSERT INTO audit_log (actor, table_name, row_id, action, old_values, new_values)
    VALUES (COALESCE((SELECT actor FROM audit_context WHERE id = 1), 'system'), 'batch_input', NEW.rowid, 'insert', NULL,
        json_object(
            'batch_id', NEW.batch_id, 'receipt_id', NEW.receipt_id, 'quantity', NEW.quantity));
END;

CREATE TRIGGER item_audit_insert AFTER INSERT ON item
    WHEN COALESCE((SELECT bulk FROM audit_context WHERE id = 1), 0) = 0 BEGIN
    INSERT INTO audit_log (actor, table_name, row_id, action, old_values, new_values)
    VALUES (COALESCE((SELECT actor FROM audit_context WHERE id = 1), 'system'), 'item', NEW.id, 'insert', NULL,
        json_object(
            'id', NEW.id, 'batch_id', NEW.batch_id, 'serial', NEW.serial, 'status', NEW.status,
            'created_at', NEW.created_at, 'updated_at', NEW.updated_at));
END;

CREATE TRIGGER shipment_audit_insert AFTER INSERT ON shipment
    WHEN COALESCE((SELECT bulk FROM audit_context WHERE id = 1), 0) = 0 BEGIN
    INSERT INTO audit_log (actor, table_name, row_id, action, old_values, new_values)
    VALUES (COALESCE((SELECT actor FROM audit_context WHERE id = 1), 'system'), 'shipment', NEW.id, 'insert', NULL,
        json_object(
            'id', NEW.id, 'customer_id', NEW.customer_id, 'shipped_on', NEW.shipped_on,
            'delivery_note_no', NEW.delivery_note_no, 'note', NEW.note, 'created_at', NEW.created_at,
            'updated_at', NEW.updated_at));
END;

CREATE TRIGGER shipment_line_audit_insert AFTER INSERT ON shipment_line
    WHEN COALESCE((SELECT bulk FROM audit_context WHERE id = 1), 0) = 0 BEGIN
    INSERT INTO audit_log (actor, table_name, row_id, action, old_values, new_values)
    VALUES (COALESCE((SELECT actor FROM audit_context WHERE id = 1), 'system'), 'shipment_line', NEW.id, 'insert', NULL,
        json_object(
            'id', NEW.id, 'shipment_id', NEW.shipment_id, 'batch_id', NEW.batch_id, 'item_id', NEW.item_id,
            'quantity', NEW.quantity));
END;

CREATE TRIGGER trace_code_audit_insert AFTER INSERT ON trace_code
    WHEN COALESCE((SELECT bulk FROM audit_context WHERE id = 1), 0) = 0 BEGIN
    INSERT INTO audit_log (actor, table_name, row_id, action, old_values, new_values)
    VALUES (COALESCE((SELECT actor FROM audit_context WHERE id = 1), 'system'), 'trace_code', NEW.id, 'insert', NULL,
        json_object(
            'id', NEW.id, 'code', NEW.code, 'scheme', NEW.scheme, 'granularity', NEW.granularity,
            'product_id', NEW.product_id, 'batch_id', NEW.batch_id, 'item_id', NEW.item_id,
            'status', NEW.status, 'created_at', NEW.created_at));
END;

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

-- Representative data, as the first release would have written it. The audit triggers above
-- record these inserts, so the audit log is not empty either.
INSERT INTO audit_context (id, actor) VALUES (1, 'system');
UPDATE audit_context SET actor = 'wang.li' WHERE id = 1;

INSERT INTO enterprise (id, name, uscc, address, contact, phone, created_at, updated_at)
VALUES (1, '浙江示例燃气具有限公司', '91330100MA2XXXXXXQ', '浙江省杭州市余杭区示例路 1 号', '王丽', '0571-88880000',
        '2025-03-01T08:00:00.000Z', '2025-03-01T08:00:00.000Z');

INSERT INTO setting (key, value, updated_at) VALUES
    ('setup.done', 'true', '2025-03-01T08:00:00.000Z'),
    ('ui.language', '"zh-CN"', '2025-03-01T08:00:00.000Z');

INSERT INTO party (id, kind, name, uscc, address, contact, phone) VALUES
    (1, 'supplier', '宁波示例阀门有限公司', '91330200MA2YYYYYY1', '浙江省宁波市', '陈工', '0574-66660000'),
    (2, 'customer', '上海示例厨电销售有限公司', NULL, '上海市浦东新区', '李经理', '021-55550000'),
    (3, 'both', '杭州示例五金有限公司', NULL, '', '', '');

INSERT INTO product (id, name, model, category, brand, standard, gtin, scheme, granularity,
                     ccc_cert_no, ccc_valid_from, ccc_valid_to, ccc_mark_no)
VALUES (1, '家用燃气灶', 'JZT-2Q1', '燃气灶具', '示例', 'GB 16410-2020', '06901234567892', 'gs1', 'item',
        '2024010803000001', '2024-01-08', '2029-01-07', NULL),
       (2, '燃气灶配件包', '', '配件', '示例', '', NULL, 'ecode', 'batch', NULL, NULL, NULL, NULL);

INSERT INTO receipt (id, supplier_id, material, spec, supplier_lot, quantity, unit, received_on,
                     inspection_result, report_no, note)
VALUES (1, 1, '燃气阀', 'DN15', 'V2503-01', 500, '个', '2025-03-02', 'pass', 'IQC-2025-0001', ''),
       (2, 3, '不锈钢面板', '0.8mm', 'P-77', 120.5, 'kg', '2025-03-03', 'pending', NULL, '待检');

INSERT INTO batch (id, product_id, lot_no, produced_on, quantity, unit, inspection_result, inspector, report_no)
VALUES (1, 1, '20250305A', '2025-03-05', 200, '台', 'pass', '赵强', 'FQC-2025-0001'),
       (2, 2, 'KIT-0305', '2025-03-05', 50, '套', 'pending', '', NULL);

INSERT INTO batch_input (batch_id, receipt_id, quantity) VALUES (1, 1, 200), (1, 2, 80.25), (2, 1, NULL);

INSERT INTO item (id, batch_id, serial, status) VALUES (1, 1, '0000001', 'active'), (2, 1, '0000002', 'void');

INSERT INTO shipment (id, customer_id, shipped_on, delivery_note_no, note)
VALUES (1, 2, '2025-03-10', 'DN-20250310-001', '');

INSERT INTO shipment_line (id, shipment_id, batch_id, item_id, quantity)
VALUES (1, 1, 1, 1, 1), (2, 1, 2, NULL, 10);

INSERT INTO trace_code (id, code, scheme, granularity, product_id, batch_id, item_id, status)
VALUES (1, '(01)06901234567892(21)0000001', 'gs1', 'item', 1, 1, 1, 'active'),
       (2, '(01)06901234567892(10)20250305A', 'gs1', 'batch', 1, 1, NULL, 'active'),
       (3, 'EC.1001.KIT-0305', 'ecode', 'batch', 2, 2, NULL, 'void');

-- A later edit, so the frozen audit log holds an update with old and new values.
UPDATE receipt SET inspection_result = 'pass', report_no = 'IQC-2025-0002', note = '' WHERE id = 2;

INSERT INTO import_mapping (id, kind, header_signature, mapping, use_count, last_used_at)
VALUES (1, 'receipt', '供应商|物料名称|规格|批号|数量|单位|到货日期',
        '{"供应商":"supplier","物料名称":"material","规格":"spec","批号":"supplier_lot","数量":"quantity","单位":"unit","到货日期":"received_on"}',
        3, '2025-04-01T09:30:00.000Z');

INSERT INTO attachment (id, receipt_id, purpose, file_name, media_type, sha256, size_bytes, note)
VALUES (1, 1, 'inspection-report', '燃气阀检验报告.pdf', 'application/pdf',
        'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855', 0, '');

-- Version 3 additions: the models a CCC certificate covers, and a recall drill.
UPDATE product SET ccc_models = 'JZT-2Q1
JZT-2Q2' WHERE id = 1;

INSERT INTO recall_drill (id, start_kind, receipt_id, batch_id, start_label, reason, started_at, duration_ms,
                          batches, items, shipments, customers, quantity_shipped, actor)
VALUES (1, 'material-lot', 1, NULL, 'V2503-01', '模拟召回演练', '2025-04-02T09:00:00.000Z', 3.5, 2, 2, 1, 1, 11,
        'wang.li');
