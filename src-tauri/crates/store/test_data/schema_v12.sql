-- Frozen schema of tracedesk database version 12 (migrations 0001 to 0012), as SQLite stores it in
-- sqlite_master, followed by a few representative rows (those of version 11, plus the supplier's
-- codes of a receipt and a key component's CCC certificate). Never edit this file.

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

CREATE TABLE enterprise (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    name       TEXT NOT NULL,
    uscc       TEXT NOT NULL,
    address    TEXT NOT NULL DEFAULT '',
    contact    TEXT NOT NULL DEFAULT '',
    phone      TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
, licence_no TEXT NOT NULL DEFAULT '', production_address TEXT NOT NULL DEFAULT '');

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
, party_type TEXT NOT NULL DEFAULT 'organisation'
    CHECK (party_type IN ('organisation', 'individual', 'foreign')), id_masked TEXT NOT NULL DEFAULT ''
    CHECK (id_masked = '' OR (length(id_masked) = 18 AND substr(id_masked, 4, 11) = '***********')), consent_at TEXT, country TEXT NOT NULL DEFAULT ''
    CHECK (country = '' OR (length(country) = 2 AND country NOT GLOB '*[^A-Z]*')), foreign_reg_no TEXT NOT NULL DEFAULT '');

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
    updated_at     TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')), ccc_models TEXT NOT NULL DEFAULT '', submitted_at TEXT, licence_no TEXT NOT NULL DEFAULT '', production_address TEXT NOT NULL DEFAULT '', oem_role TEXT NOT NULL DEFAULT ''
    CHECK (oem_role IN ('', 'manufacturer', 'principal')), oem_name TEXT NOT NULL DEFAULT '', oem_uscc TEXT NOT NULL DEFAULT '',
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
    updated_at        TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')), submitted_at TEXT, purchase_order_no TEXT NOT NULL DEFAULT '' CHECK (length(purchase_order_no) <= 50), invoice_no TEXT NOT NULL DEFAULT '' CHECK (length(invoice_no) <= 50), delivery_note_no TEXT NOT NULL DEFAULT '' CHECK (length(delivery_note_no) <= 50), component_ccc TEXT CHECK (component_ccc IS NULL OR length(trim(component_ccc)) > 0),
    UNIQUE (supplier_id, supplier_lot, material)
);

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
    updated_at        TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')), submitted_at TEXT, inspected_on TEXT CHECK (inspected_on IS NULL OR date(inspected_on) IS inspected_on), expires_on TEXT CHECK (expires_on IS NULL OR date(expires_on) IS expires_on), work_order_no TEXT NOT NULL DEFAULT '' CHECK (length(work_order_no) <= 50),
    UNIQUE (product_id, lot_no),
    UNIQUE (id, product_id)
);

CREATE TABLE batch_input (
    batch_id   INTEGER NOT NULL REFERENCES batch (id) ON DELETE CASCADE,
    receipt_id INTEGER NOT NULL REFERENCES receipt (id) ON DELETE RESTRICT,
    quantity   REAL CHECK (quantity IS NULL OR quantity > 0),
    PRIMARY KEY (batch_id, receipt_id)
);

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
, submitted_at TEXT, ship_to TEXT NOT NULL DEFAULT '', order_no TEXT NOT NULL DEFAULT '' CHECK (length(order_no) <= 50), invoice_no TEXT NOT NULL DEFAULT '' CHECK (length(invoice_no) <= 50));

CREATE TABLE shipment_line (
    id          INTEGER PRIMARY KEY,
    shipment_id INTEGER NOT NULL REFERENCES shipment (id) ON DELETE CASCADE,
    batch_id    INTEGER NOT NULL REFERENCES batch (id) ON DELETE RESTRICT,
    item_id     INTEGER,
    quantity    REAL NOT NULL CHECK (quantity > 0),
    FOREIGN KEY (item_id, batch_id) REFERENCES item (id, batch_id) ON DELETE RESTRICT
);

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

CREATE TABLE product_coding (
    product_id           INTEGER PRIMARY KEY REFERENCES product (id) ON DELETE CASCADE,
    code_form            TEXT    NOT NULL DEFAULT 'element-string'
                         CHECK (code_form IN ('element-string', 'digital-link')),
    dl_stem              TEXT    NOT NULL DEFAULT 'https://id.gs1.org'
                         CHECK (dl_stem GLOB 'http://?*' OR dl_stem GLOB 'https://?*'),
    serial_mode          TEXT    NOT NULL DEFAULT 'sequential' CHECK (serial_mode IN ('sequential', 'random')),
    serial_pattern       TEXT    NOT NULL DEFAULT '{seq:08}' CHECK (length(serial_pattern) BETWEEN 1 AND 100),
    random_length        INTEGER NOT NULL DEFAULT 12 CHECK (random_length BETWEEN 8 AND 20),
    -- 一物一码: also carry the lot (10) next to the serial (21).
    item_with_lot        INTEGER NOT NULL DEFAULT 1 CHECK (item_with_lot IN (0, 1)),
    -- 一批/一物一码: carry the production date (11).
    with_production_date INTEGER NOT NULL DEFAULT 0 CHECK (with_production_date IN (0, 1)),
    -- When set, an expiry date (17) of production date + this many days is carried.
    shelf_life_days      INTEGER CHECK (shelf_life_days IS NULL OR shelf_life_days BETWEEN 1 AND 36500),
    updated_at           TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);

CREATE TABLE serial_series (
    id         INTEGER PRIMARY KEY,
    scope      TEXT    NOT NULL CHECK (length(scope) > 0),
    kind       TEXT    NOT NULL CHECK (kind IN ('sequential', 'random')),
    -- The codes::serial pattern, or `random:<length>`.
    pattern    TEXT    NOT NULL CHECK (length(pattern) > 0),
    -- The pattern rendered with sequence number 0 on the allocation's date: series of one pattern
    -- with different `fixed` can never render the same serial.
    fixed      TEXT    NOT NULL,
    next_seq   INTEGER NOT NULL DEFAULT 0 CHECK (next_seq >= 0),
    created_at TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    updated_at TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    UNIQUE (scope, kind, pattern, fixed)
);

CREATE TABLE serial_allocation (
    id           INTEGER PRIMARY KEY,
    series_id    INTEGER NOT NULL REFERENCES serial_series (id) ON DELETE RESTRICT,
    product_id   INTEGER NOT NULL REFERENCES product (id) ON DELETE RESTRICT,
    batch_id     INTEGER,
    pattern_date TEXT    CHECK (pattern_date IS NULL OR date(pattern_date) IS pattern_date),
    -- Sequential: sequence numbers first_seq .. first_seq + count - 1. Random: 0.
    first_seq    INTEGER NOT NULL CHECK (first_seq >= 0),
    count        INTEGER NOT NULL CHECK (count > 0),
    code_form    TEXT    NOT NULL CHECK (code_form IN ('element-string', 'digital-link')),
    -- allocated: reserved, the list is being written (or the writer died); exported: the list was
    -- written completely; cancelled: the clerk stopped the export. The serials stay used in all three.
    state        TEXT    NOT NULL DEFAULT 'allocated' CHECK (state IN ('allocated', 'exported', 'cancelled')),
    exported_to  TEXT,
    actor        TEXT    NOT NULL,
    created_at   TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    updated_at   TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    FOREIGN KEY (batch_id, product_id) REFERENCES batch (id, product_id) ON DELETE RESTRICT
);

CREATE TABLE random_serial (
    series_id     INTEGER NOT NULL REFERENCES serial_series (id) ON DELETE RESTRICT,
    serial        TEXT    NOT NULL,
    allocation_id INTEGER NOT NULL REFERENCES serial_allocation (id) ON DELETE RESTRICT,
    PRIMARY KEY (series_id, serial)
) WITHOUT ROWID;

CREATE TABLE code_event (
    id            INTEGER PRIMARY KEY,
    kind          TEXT    NOT NULL CHECK (kind IN ('void', 'reprint')),
    -- The code as the clerk gave it (scanned, typed, or from the list).
    code          TEXT    NOT NULL CHECK (length(trim(code)) > 0),
    product_id    INTEGER NOT NULL REFERENCES product (id) ON DELETE RESTRICT,
    batch_id      INTEGER REFERENCES batch (id) ON DELETE RESTRICT,
    item_id       INTEGER REFERENCES item (id) ON DELETE RESTRICT,
    trace_code_id INTEGER REFERENCES trace_code (id) ON DELETE RESTRICT,
    reason        TEXT    NOT NULL CHECK (length(trim(reason)) > 0),
    actor         TEXT    NOT NULL,
    at            TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);

CREATE TABLE import_run (
    id              INTEGER PRIMARY KEY,
    -- What the sheet held: 'product', 'party', 'receipt', 'batch', 'item' or 'shipment'.
    kind            TEXT    NOT NULL CHECK (kind IN ('product', 'party', 'receipt', 'batch', 'item', 'shipment')),
    file_name       TEXT    NOT NULL CHECK (length(trim(file_name)) > 0),
    file_sha256     TEXT    NOT NULL CHECK (length(file_sha256) = 64 AND file_sha256 NOT GLOB '*[^0-9a-f]*'),
    file_bytes      INTEGER NOT NULL CHECK (file_bytes >= 0),
    sheet           TEXT    NOT NULL,
    header_row      INTEGER CHECK (header_row IS NULL OR header_row >= 1),
    -- 'all': every row was valid and all were committed; 'valid-only': rows with errors were left out.
    mode            TEXT    NOT NULL CHECK (mode IN ('all', 'valid-only')),
    rows_total      INTEGER NOT NULL CHECK (rows_total >= 0),
    -- Rows that created their record, rows whose record already existed, rows left out for errors.
    rows_imported   INTEGER NOT NULL CHECK (rows_imported >= 0),
    rows_existing   INTEGER NOT NULL CHECK (rows_existing >= 0),
    rows_skipped    INTEGER NOT NULL CHECK (rows_skipped >= 0),
    -- JSON object: table name -> records created (auto-created parties, products and batches included).
    created         TEXT    NOT NULL DEFAULT '{}' CHECK (json_valid(created) AND json_type(created) = 'object'),
    actor           TEXT    NOT NULL,
    duration_ms     REAL    NOT NULL DEFAULT 0 CHECK (duration_ms >= 0),
    status          TEXT    NOT NULL DEFAULT 'committed' CHECK (status IN ('committed', 'undone')),
    undone_at       TEXT,
    undone_by       TEXT,
    created_at      TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    CHECK ((status = 'undone') = (undone_at IS NOT NULL))
);

CREATE TABLE import_run_record (
    run_id     INTEGER NOT NULL REFERENCES import_run (id) ON DELETE RESTRICT,
    table_name TEXT    NOT NULL CHECK (table_name IN ('party', 'product', 'receipt', 'batch', 'item', 'shipment')),
    row_id     INTEGER NOT NULL,
    PRIMARY KEY (run_id, table_name, row_id)
) WITHOUT ROWID;

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
    updated_at       TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')), superseded INTEGER NOT NULL DEFAULT 0 CHECK (superseded IN (0, 1)), target TEXT NOT NULL DEFAULT 'practice' CHECK (length(target) > 0), revision INTEGER NOT NULL DEFAULT 0 CHECK (revision >= 0),
    CHECK (state <> 'accepted' OR receipt_id IS NOT NULL),
    CHECK (state <> 'rejected' OR reject_code IS NOT NULL)
);

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
, target TEXT NOT NULL DEFAULT 'practice' CHECK (length(target) > 0));

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

CREATE TABLE archive_head (
    id        INTEGER PRIMARY KEY CHECK (id = 1),
    last_id   INTEGER NOT NULL,
    last_hash TEXT    NOT NULL,
    entries   INTEGER NOT NULL
);

CREATE INDEX audit_log_by_row ON audit_log (table_name, row_id);

CREATE UNIQUE INDEX party_by_uscc ON party (uscc) WHERE uscc IS NOT NULL;

CREATE INDEX receipt_by_received_on ON receipt (received_on);

CREATE INDEX receipt_by_supplier_lot ON receipt (supplier_lot);

CREATE INDEX batch_by_produced_on ON batch (produced_on);

CREATE INDEX batch_by_lot_no ON batch (lot_no);

CREATE INDEX batch_input_by_receipt ON batch_input (receipt_id);

CREATE INDEX shipment_by_customer ON shipment (customer_id, shipped_on);

CREATE INDEX shipment_by_shipped_on ON shipment (shipped_on);

CREATE INDEX shipment_line_by_shipment ON shipment_line (shipment_id);

CREATE INDEX shipment_line_by_batch ON shipment_line (batch_id);

CREATE INDEX shipment_line_by_item ON shipment_line (item_id, batch_id) WHERE item_id IS NOT NULL;

CREATE INDEX trace_code_by_product ON trace_code (product_id);

CREATE INDEX trace_code_by_batch ON trace_code (batch_id, product_id) WHERE batch_id IS NOT NULL;

CREATE INDEX trace_code_by_item ON trace_code (item_id, batch_id) WHERE item_id IS NOT NULL;

CREATE INDEX attachment_by_product ON attachment (product_id) WHERE product_id IS NOT NULL;

CREATE INDEX attachment_by_receipt ON attachment (receipt_id) WHERE receipt_id IS NOT NULL;

CREATE INDEX attachment_by_batch ON attachment (batch_id) WHERE batch_id IS NOT NULL;

CREATE INDEX attachment_by_shipment ON attachment (shipment_id) WHERE shipment_id IS NOT NULL;

CREATE INDEX attachment_by_sha256 ON attachment (sha256);

CREATE INDEX receipt_by_supplier_received_on ON receipt (supplier_id, received_on);

CREATE INDEX batch_by_product_produced_on ON batch (product_id, produced_on);

CREATE INDEX recall_drill_by_started_at ON recall_drill (started_at);

CREATE INDEX item_by_serial ON item (serial);

CREATE INDEX receipt_by_material ON receipt (material, spec);

CREATE INDEX receipt_by_created_at ON receipt (created_at);

CREATE INDEX batch_by_created_at ON batch (created_at);

CREATE INDEX shipment_by_created_at ON shipment (created_at);

CREATE INDEX receipt_failed ON receipt (received_on) WHERE inspection_result = 'fail';

CREATE INDEX batch_failed ON batch (produced_on) WHERE inspection_result = 'fail';

CREATE INDEX product_by_ccc_valid_to ON product (ccc_valid_to) WHERE ccc_valid_to IS NOT NULL;

CREATE INDEX serial_allocation_by_series ON serial_allocation (series_id, first_seq);

CREATE INDEX serial_allocation_by_product ON serial_allocation (product_id, batch_id);

CREATE INDEX serial_allocation_by_batch ON serial_allocation (batch_id) WHERE batch_id IS NOT NULL;

CREATE INDEX code_event_by_code ON code_event (code);

CREATE INDEX code_event_by_product ON code_event (product_id, at);

CREATE INDEX import_run_by_sha256 ON import_run (file_sha256);

CREATE INDEX import_run_by_created_at ON import_run (created_at);

CREATE INDEX import_run_record_by_row ON import_run_record (table_name, row_id);

CREATE INDEX outbox_by_event_date ON outbox (event_date);

CREATE INDEX submission_attempt_by_run ON submission_attempt (run_id);

CREATE INDEX archive_entry_by_at ON archive_entry (at);

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;

CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
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

CREATE TRIGGER serial_series_next_seq_only_grows BEFORE UPDATE ON serial_series
    WHEN NEW.next_seq < OLD.next_seq OR NEW.scope IS NOT OLD.scope OR NEW.kind IS NOT OLD.kind
      OR NEW.pattern IS NOT OLD.pattern OR NEW.fixed IS NOT OLD.fixed BEGIN
    SELECT RAISE(ABORT, 'serial ledger: a series never goes back');
END;

CREATE TRIGGER serial_series_no_delete BEFORE DELETE ON serial_series BEGIN
    SELECT RAISE(ABORT, 'serial ledger: a series is never deleted');
END;

CREATE TRIGGER serial_allocation_range_is_fixed BEFORE UPDATE ON serial_allocation
    WHEN NEW.series_id IS NOT OLD.series_id OR NEW.first_seq IS NOT OLD.first_seq
      OR NEW.count IS NOT OLD.count OR NEW.product_id IS NOT OLD.product_id
      OR NEW.batch_id IS NOT OLD.batch_id OR NEW.pattern_date IS NOT OLD.pattern_date BEGIN
    SELECT RAISE(ABORT, 'serial ledger: an issued range never changes');
END;

CREATE TRIGGER serial_allocation_no_delete BEFORE DELETE ON serial_allocation BEGIN
    SELECT RAISE(ABORT, 'serial ledger: an issued range is never deleted');
END;

CREATE TRIGGER random_serial_no_update BEFORE UPDATE ON random_serial BEGIN
    SELECT RAISE(ABORT, 'serial ledger: an issued serial never changes');
END;

CREATE TRIGGER random_serial_no_delete BEFORE DELETE ON random_serial BEGIN
    SELECT RAISE(ABORT, 'serial ledger: an issued serial is never deleted');
END;

CREATE TRIGGER code_event_no_update BEFORE UPDATE ON code_event BEGIN
    SELECT RAISE(ABORT, 'code_event is append-only');
END;

CREATE TRIGGER code_event_no_delete BEFORE DELETE ON code_event BEGIN
    SELECT RAISE(ABORT, 'code_event is append-only');
END;

CREATE TRIGGER product_coded_keeps_scheme_and_granularity BEFORE UPDATE OF scheme, granularity ON product
    WHEN (NEW.scheme IS NOT OLD.scheme OR NEW.granularity IS NOT OLD.granularity)
     AND (EXISTS (SELECT 1 FROM trace_code WHERE product_id = OLD.id)
          OR EXISTS (SELECT 1 FROM serial_allocation WHERE product_id = OLD.id)
          OR EXISTS (SELECT 1 FROM item i JOIN batch b ON b.id = i.batch_id WHERE b.product_id = OLD.id)) BEGIN
    SELECT RAISE(ABORT, 'product has trace codes: its scheme and granularity cannot change');
END;

CREATE TRIGGER product_coding_audit_insert AFTER INSERT ON product_coding BEGIN
    INSERT INTO audit_log (actor, table_name, row_id, action, old_values, new_values)
    VALUES (COALESCE((SELECT actor FROM audit_context WHERE id = 1), 'system'), 'product_coding', NEW.product_id, 'insert', NULL,
        json_object(
            'product_id', NEW.product_id, 'code_form', NEW.code_form, 'dl_stem', NEW.dl_stem,
            'serial_mode', NEW.serial_mode, 'serial_pattern', NEW.serial_pattern,
            'random_length', NEW.random_length, 'item_with_lot', NEW.item_with_lot,
            'with_production_date', NEW.with_production_date, 'shelf_life_days', NEW.shelf_life_days,
            'updated_at', NEW.updated_at));
END;

CREATE TRIGGER product_coding_audit_update AFTER UPDATE ON product_coding BEGIN
    INSERT INTO audit_log (actor, table_name, row_id, action, old_values, new_values)
    VALUES (COALESCE((SELECT actor FROM audit_context WHERE id = 1), 'system'), 'product_coding', NEW.product_id, 'update',
        json_object(
            'product_id', OLD.product_id, 'code_form', OLD.code_form, 'dl_stem', OLD.dl_stem,
            'serial_mode', OLD.serial_mode, 'serial_pattern', OLD.serial_pattern,
            'random_length', OLD.random_length, 'item_with_lot', OLD.item_with_lot,
            'with_production_date', OLD.with_production_date, 'shelf_life_days', OLD.shelf_life_days,
            'updated_at', OLD.updated_at),
        json_object(
            'product_id', NEW.product_id, 'code_form', NEW.code_form, 'dl_stem', NEW.dl_stem,
            'serial_mode', NEW.serial_mode, 'serial_pattern', NEW.serial_pattern,
            'random_length', NEW.random_length, 'item_with_lot', NEW.item_with_lot,
            'with_production_date', NEW.with_production_date, 'shelf_life_days', NEW.shelf_life_days,
            'updated_at', NEW.updated_at));
END;

CREATE TRIGGER product_coding_audit_delete AFTER DELETE ON product_coding BEGIN
    INSERT INTO audit_log (actor, table_name, row_id, action, old_values, new_values)
    VALUES (COALESCE((SELECT actor FROM audit_context WHERE id = 1), 'system'), 'product_coding', OLD.product_id, 'delete',
        json_object(
            'product_id', OLD.product_id, 'code_form', OLD.code_form, 'dl_stem', OLD.dl_stem,
            'serial_mode', OLD.serial_mode, 'serial_pattern', OLD.serial_pattern,
            'random_length', OLD.random_length, 'item_with_lot', OLD.item_with_lot,
            'with_production_date', OLD.with_production_date, 'shelf_life_days', OLD.shelf_life_days,
            'updated_at', OLD.updated_at), NULL);
END;

CREATE TRIGGER serial_series_audit_insert AFTER INSERT ON serial_series BEGIN
    INSERT INTO audit_log (actor, table_name, row_id, action, old_values, new_values)
    VALUES (COALESCE((SELECT actor FROM audit_context WHERE id = 1), 'system'), 'serial_series', NEW.id, 'insert', NULL,
        json_object(
            'id', NEW.id, 'scope', NEW.scope, 'kind', NEW.kind, 'pattern', NEW.pattern,
            'fixed', NEW.fixed, 'next_seq', NEW.next_seq, 'created_at', NEW.created_at,
            'updated_at', NEW.updated_at));
END;

CREATE TRIGGER serial_series_audit_update AFTER UPDATE ON serial_series BEGIN
    INSERT INTO audit_log (actor, table_name, row_id, action, old_values, new_values)
    VALUES (COALESCE((SELECT actor FROM audit_context WHERE id = 1), 'system'), 'serial_series', NEW.id, 'update',
        json_object(
            'id', OLD.id, 'scope', OLD.scope, 'kind', OLD.kind, 'pattern', OLD.pattern,
            'fixed', OLD.fixed, 'next_seq', OLD.next_seq, 'created_at', OLD.created_at,
            'updated_at', OLD.updated_at),
        json_object(
            'id', NEW.id, 'scope', NEW.scope, 'kind', NEW.kind, 'pattern', NEW.pattern,
            'fixed', NEW.fixed, 'next_seq', NEW.next_seq, 'created_at', NEW.created_at,
            'updated_at', NEW.updated_at));
END;

CREATE TRIGGER serial_series_audit_delete AFTER DELETE ON serial_series BEGIN
    INSERT INTO audit_log (actor, table_name, row_id, action, old_values, new_values)
    VALUES (COALESCE((SELECT actor FROM audit_context WHERE id = 1), 'system'), 'serial_series', OLD.id, 'delete',
        json_object(
            'id', OLD.id, 'scope', OLD.scope, 'kind', OLD.kind, 'pattern', OLD.pattern,
            'fixed', OLD.fixed, 'next_seq', OLD.next_seq, 'created_at', OLD.created_at,
            'updated_at', OLD.updated_at), NULL);
END;

CREATE TRIGGER serial_allocation_audit_insert AFTER INSERT ON serial_allocation BEGIN
    INSERT INTO audit_log (actor, table_name, row_id, action, old_values, new_values)
    VALUES (COALESCE((SELECT actor FROM audit_context WHERE id = 1), 'system'), 'serial_allocation', NEW.id, 'insert', NULL,
        json_object(
            'id', NEW.id, 'series_id', NEW.series_id, 'product_id', NEW.product_id,
            'batch_id', NEW.batch_id, 'pattern_date', NEW.pattern_date, 'first_seq', NEW.first_seq,
            'count', NEW.count, 'code_form', NEW.code_form, 'state', NEW.state,
            'exported_to', NEW.exported_to, 'actor', NEW.actor, 'created_at', NEW.created_at,
            'updated_at', NEW.updated_at));
END;

CREATE TRIGGER serial_allocation_audit_update AFTER UPDATE ON serial_allocation BEGIN
    INSERT INTO audit_log (actor, table_name, row_id, action, old_values, new_values)
    VALUES (COALESCE((SELECT actor FROM audit_context WHERE id = 1), 'system'), 'serial_allocation', NEW.id, 'update',
        json_object(
            'id', OLD.id, 'series_id', OLD.series_id, 'product_id', OLD.product_id,
            'batch_id', OLD.batch_id, 'pattern_date', OLD.pattern_date, 'first_seq', OLD.first_seq,
            'count', OLD.count, 'code_form', OLD.code_form, 'state', OLD.state,
            'exported_to', OLD.exported_to, 'actor', OLD.actor, 'created_at', OLD.created_at,
            'updated_at', OLD.updated_at),
        json_object(
            'id', NEW.id, 'series_id', NEW.series_id, 'product_id', NEW.product_id,
            'batch_id', NEW.batch_id, 'pattern_date', NEW.pattern_date, 'first_seq', NEW.first_seq,
            'count', NEW.count, 'code_form', NEW.code_form, 'state', NEW.state,
            'exported_to', NEW.exported_to, 'actor', NEW.actor, 'created_at', NEW.created_at,
            'updated_at', NEW.updated_at));
END;

CREATE TRIGGER serial_allocation_audit_delete AFTER DELETE ON serial_allocation BEGIN
    INSERT INTO audit_log (actor, table_name, row_id, action, old_values, new_values)
    VALUES (COALESCE((SELECT actor FROM audit_context WHERE id = 1), 'system'), 'serial_allocation', OLD.id, 'delete',
        json_object(
            'id', OLD.id, 'series_id', OLD.series_id, 'product_id', OLD.product_id,
            'batch_id', OLD.batch_id, 'pattern_date', OLD.pattern_date, 'first_seq', OLD.first_seq,
            'count', OLD.count, 'code_form', OLD.code_form, 'state', OLD.state,
            'exported_to', OLD.exported_to, 'actor', OLD.actor, 'created_at', OLD.created_at,
            'updated_at', OLD.updated_at), NULL);
END;

CREATE TRIGGER random_serial_audit_insert AFTER INSERT ON random_serial
    WHEN COALESCE((SELECT bulk FROM audit_context WHERE id = 1), 0) = 0 BEGIN
    INSERT INTO audit_log (actor, table_name, row_id, action, old_values, new_values)
    VALUES (COALESCE((SELECT actor FROM audit_context WHERE id = 1), 'system'), 'random_serial', NEW.allocation_id, 'insert', NULL,
        json_object(
            'series_id', NEW.series_id, 'serial', NEW.serial, 'allocation_id', NEW.allocation_id));
END;

CREATE TRIGGER random_serial_audit_update AFTER UPDATE ON random_serial BEGIN
    INSERT INTO audit_log (actor, table_name, row_id, action, old_values, new_values)
    VALUES (COALESCE((SELECT actor FROM audit_context WHERE id = 1), 'system'), 'random_serial', NEW.allocation_id, 'update',
        json_object(
            'series_id', OLD.series_id, 'serial', OLD.serial, 'allocation_id', OLD.allocation_id),
        json_object(
            'series_id', NEW.series_id, 'serial', NEW.serial, 'allocation_id', NEW.allocation_id));
END;

CREATE TRIGGER random_serial_audit_delete AFTER DELETE ON random_serial BEGIN
    INSERT INTO audit_log (actor, table_name, row_id, action, old_values, new_values)
    VALUES (COALESCE((SELECT actor FROM audit_context WHERE id = 1), 'system'), 'random_serial', OLD.allocation_id, 'delete',
        json_object(
            'series_id', OLD.series_id, 'serial', OLD.serial, 'allocation_id', OLD.allocation_id), NULL);
END;

CREATE TRIGGER code_event_audit_insert AFTER INSERT ON code_event BEGIN
    INSERT INTO audit_log (actor, table_name, row_id, action, old_values, new_values)
    VALUES (COALESCE((SELECT actor FROM audit_context WHERE id = 1), 'system'), 'code_event', NEW.id, 'insert', NULL,
        json_object(
            'id', NEW.id, 'kind', NEW.kind, 'code', NEW.code, 'product_id', NEW.product_id,
            'batch_id', NEW.batch_id, 'item_id', NEW.item_id, 'trace_code_id', NEW.trace_code_id,
            'reason', NEW.reason, 'actor', NEW.actor, 'at', NEW.at));
END;

CREATE TRIGGER code_event_audit_update AFTER UPDATE ON code_event BEGIN
    INSERT INTO audit_log (actor, table_name, row_id, action, old_values, new_values)
    VALUES (COALESCE((SELECT actor FROM audit_context WHERE id = 1), 'system'), 'code_event', NEW.id, 'update',
        json_object(
            'id', OLD.id, 'kind', OLD.kind, 'code', OLD.code, 'product_id', OLD.product_id,
            'batch_id', OLD.batch_id, 'item_id', OLD.item_id, 'trace_code_id', OLD.trace_code_id,
            'reason', OLD.reason, 'actor', OLD.actor, 'at', OLD.at),
        json_object(
            'id', NEW.id, 'kind', NEW.kind, 'code', NEW.code, 'product_id', NEW.product_id,
            'batch_id', NEW.batch_id, 'item_id', NEW.item_id, 'trace_code_id', NEW.trace_code_id,
            'reason', NEW.reason, 'actor', NEW.actor, 'at', NEW.at));
END;

CREATE TRIGGER code_event_audit_delete AFTER DELETE ON code_event BEGIN
    INSERT INTO audit_log (actor, table_name, row_id, action, old_values, new_values)
    VALUES (COALESCE((SELECT actor FROM audit_context WHERE id = 1), 'system'), 'code_event', OLD.id, 'delete',
        json_object(
            'id', OLD.id, 'kind', OLD.kind, 'code', OLD.code, 'product_id', OLD.product_id,
            'batch_id', OLD.batch_id, 'item_id', OLD.item_id, 'trace_code_id', OLD.trace_code_id,
            'reason', OLD.reason, 'actor', OLD.actor, 'at', OLD.at), NULL);
END;

CREATE TRIGGER import_run_audit_insert AFTER INSERT ON import_run BEGIN
    INSERT INTO audit_log (actor, table_name, row_id, action, old_values, new_values)
    VALUES (COALESCE((SELECT actor FROM audit_context WHERE id = 1), 'system'), 'import_run', NEW.id, 'insert', NULL,
        json_object(
            'id', NEW.id, 'kind', NEW.kind, 'file_name', NEW.file_name, 'file_sha256', NEW.file_sha256,
            'file_bytes', NEW.file_bytes, 'sheet', NEW.sheet, 'header_row', NEW.header_row,
            'mode', NEW.mode, 'rows_total', NEW.rows_total, 'rows_imported', NEW.rows_imported,
            'rows_existing', NEW.rows_existing, 'rows_skipped', NEW.rows_skipped,
            'created', NEW.created, 'actor', NEW.actor, 'duration_ms', NEW.duration_ms,
            'status', NEW.status, 'undone_at', NEW.undone_at, 'undone_by', NEW.undone_by,
            'created_at', NEW.created_at));
END;

CREATE TRIGGER import_run_audit_update AFTER UPDATE ON import_run BEGIN
    INSERT INTO audit_log (actor, table_name, row_id, action, old_values, new_values)
    VALUES (COALESCE((SELECT actor FROM audit_context WHERE id = 1), 'system'), 'import_run', NEW.id, 'update',
        json_object(
            'id', OLD.id, 'kind', OLD.kind, 'file_name', OLD.file_name, 'file_sha256', OLD.file_sha256,
            'file_bytes', OLD.file_bytes, 'sheet', OLD.sheet, 'header_row', OLD.header_row,
            'mode', OLD.mode, 'rows_total', OLD.rows_total, 'rows_imported', OLD.rows_imported,
            'rows_existing', OLD.rows_existing, 'rows_skipped', OLD.rows_skipped,
            'created', OLD.created, 'actor', OLD.actor, 'duration_ms', OLD.duration_ms,
            'status', OLD.status, 'undone_at', OLD.undone_at, 'undone_by', OLD.undone_by,
            'created_at', OLD.created_at),
        json_object(
            'id', NEW.id, 'kind', NEW.kind, 'file_name', NEW.file_name, 'file_sha256', NEW.file_sha256,
            'file_bytes', NEW.file_bytes, 'sheet', NEW.sheet, 'header_row', NEW.header_row,
            'mode', NEW.mode, 'rows_total', NEW.rows_total, 'rows_imported', NEW.rows_imported,
            'rows_existing', NEW.rows_existing, 'rows_skipped', NEW.rows_skipped,
            'created', NEW.created, 'actor', NEW.actor, 'duration_ms', NEW.duration_ms,
            'status', NEW.status, 'undone_at', NEW.undone_at, 'undone_by', NEW.undone_by,
            'created_at', NEW.created_at));
END;

CREATE TRIGGER import_run_audit_delete AFTER DELETE ON import_run BEGIN
    INSERT INTO audit_log (actor, table_name, row_id, action, old_values, new_values)
    VALUES (COALESCE((SELECT actor FROM audit_context WHERE id = 1), 'system'), 'import_run', OLD.id, 'delete',
        json_object(
            'id', OLD.id, 'kind', OLD.kind, 'file_name', OLD.file_name, 'file_sha256', OLD.file_sha256,
            'file_bytes', OLD.file_bytes, 'sheet', OLD.sheet, 'header_row', OLD.header_row,
            'mode', OLD.mode, 'rows_total', OLD.rows_total, 'rows_imported', OLD.rows_imported,
            'rows_existing', OLD.rows_existing, 'rows_skipped', OLD.rows_skipped,
            'created', OLD.created, 'actor', OLD.actor, 'duration_ms', OLD.duration_ms,
            'status', OLD.status, 'undone_at', OLD.undone_at, 'undone_by', OLD.undone_by,
            'created_at', OLD.created_at), NULL);
END;

CREATE TRIGGER import_run_record_audit_insert AFTER INSERT ON import_run_record
    WHEN COALESCE((SELECT bulk FROM audit_context WHERE id = 1), 0) = 0 BEGIN
    INSERT INTO audit_log (actor, table_name, row_id, action, old_values, new_values)
    VALUES (COALESCE((SELECT actor FROM audit_context WHERE id = 1), 'system'), 'import_run_record', NEW.row_id, 'insert', NULL,
        json_object(
            'run_id', NEW.run_id, 'table_name', NEW.table_name, 'row_id', NEW.row_id));
END;

CREATE TRIGGER import_run_record_audit_update AFTER UPDATE ON import_run_record BEGIN
    INSERT INTO audit_log (actor, table_name, row_id, action, old_values, new_values)
    VALUES (COALESCE((SELECT actor FROM audit_context WHERE id = 1), 'system'), 'import_run_record', NEW.row_id, 'update',
        json_object(
            'run_id', OLD.run_id, 'table_name', OLD.table_name, 'row_id', OLD.row_id),
        json_object(
            'run_id', NEW.run_id, 'table_name', NEW.table_name, 'row_id', NEW.row_id));
END;

CREATE TRIGGER import_run_record_audit_delete AFTER DELETE ON import_run_record BEGIN
    INSERT INTO audit_log (actor, table_name, row_id, action, old_values, new_values)
    VALUES (COALESCE((SELECT actor FROM audit_context WHERE id = 1), 'system'), 'import_run_record', OLD.row_id, 'delete',
        json_object(
            'run_id', OLD.run_id, 'table_name', OLD.table_name, 'row_id', OLD.row_id), NULL);
END;

CREATE TRIGGER archive_entry_no_update BEFORE UPDATE ON archive_entry BEGIN
    SELECT RAISE(ABORT, 'archive_entry is append-only');
END;

CREATE TRIGGER archive_entry_no_delete BEFORE DELETE ON archive_entry BEGIN
    SELECT RAISE(ABORT, 'archive_entry is append-only');
END;

CREATE TABLE outbox_body (
    outbox_id INTEGER PRIMARY KEY REFERENCES outbox (id),
    body      TEXT    NOT NULL CHECK (json_valid(body))
);

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

CREATE UNIQUE INDEX outbox_live_key ON outbox (target, idempotency_key) WHERE superseded = 0;

CREATE INDEX outbox_by_state ON outbox (target, state, id);

CREATE INDEX outbox_by_state_duplicate ON outbox (target, state, duplicate);

CREATE INDEX outbox_by_source ON outbox (target, source_kind, source_id, part, id);

CREATE TABLE outbox_source_change (
    source_kind TEXT NOT NULL,
    source_id   INTEGER NOT NULL,
    changed_at  TEXT NOT NULL,
    PRIMARY KEY (source_kind, source_id)
) WITHOUT ROWID;

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

CREATE TRIGGER party_individual_phone_masked_insert BEFORE INSERT ON party
    WHEN NEW.party_type = 'individual' AND NEW.phone <> '' AND NEW.phone NOT GLOB '1[3-9][0-9][*][*][*][*][0-9][0-9][0-9][0-9]' BEGIN
    SELECT RAISE(ABORT, 'party: an individual''s phone is stored masked only');
END;

CREATE TRIGGER party_individual_phone_masked_update BEFORE UPDATE OF party_type, phone ON party
    WHEN NEW.party_type = 'individual' AND NEW.phone <> '' AND NEW.phone NOT GLOB '1[3-9][0-9][*][*][*][*][0-9][0-9][0-9][0-9]' BEGIN
    SELECT RAISE(ABORT, 'party: an individual''s phone is stored masked only');
END;

CREATE TRIGGER enterprise_audit_insert AFTER INSERT ON enterprise BEGIN
    INSERT INTO audit_log (actor, table_name, row_id, action, old_values, new_values)
    VALUES (COALESCE((SELECT actor FROM audit_context WHERE id = 1), 'system'), 'enterprise', NEW.id, 'insert', NULL,
        json_object(
            'id', NEW.id, 'name', NEW.name, 'uscc', NEW.uscc, 'address', NEW.address,
            'contact', NEW.contact, 'phone', NEW.phone, 'created_at', NEW.created_at,
            'updated_at', NEW.updated_at, 'licence_no', NEW.licence_no,
            'production_address', NEW.production_address));
END;

CREATE TRIGGER enterprise_audit_update AFTER UPDATE ON enterprise BEGIN
    INSERT INTO audit_log (actor, table_name, row_id, action, old_values, new_values)
    VALUES (COALESCE((SELECT actor FROM audit_context WHERE id = 1), 'system'), 'enterprise', NEW.id, 'update',
        json_object(
            'id', OLD.id, 'name', OLD.name, 'uscc', OLD.uscc, 'address', OLD.address,
            'contact', OLD.contact, 'phone', OLD.phone, 'created_at', OLD.created_at,
            'updated_at', OLD.updated_at, 'licence_no', OLD.licence_no,
            'production_address', OLD.production_address),
        json_object(
            'id', NEW.id, 'name', NEW.name, 'uscc', NEW.uscc, 'address', NEW.address,
            'contact', NEW.contact, 'phone', NEW.phone, 'created_at', NEW.created_at,
            'updated_at', NEW.updated_at, 'licence_no', NEW.licence_no,
            'production_address', NEW.production_address));
END;

CREATE TRIGGER enterprise_audit_delete AFTER DELETE ON enterprise BEGIN
    INSERT INTO audit_log (actor, table_name, row_id, action, old_values, new_values)
    VALUES (COALESCE((SELECT actor FROM audit_context WHERE id = 1), 'system'), 'enterprise', OLD.id, 'delete',
        json_object(
            'id', OLD.id, 'name', OLD.name, 'uscc', OLD.uscc, 'address', OLD.address,
            'contact', OLD.contact, 'phone', OLD.phone, 'created_at', OLD.created_at,
            'updated_at', OLD.updated_at, 'licence_no', OLD.licence_no,
            'production_address', OLD.production_address), NULL);
END;

CREATE TRIGGER party_audit_insert AFTER INSERT ON party
    WHEN COALESCE((SELECT bulk FROM audit_context WHERE id = 1), 0) = 0 BEGIN
    INSERT INTO audit_log (actor, table_name, row_id, action, old_values, new_values)
    VALUES (COALESCE((SELECT actor FROM audit_context WHERE id = 1), 'system'), 'party', NEW.id, 'insert', NULL,
        json_object(
            'id', NEW.id, 'kind', NEW.kind, 'name', NEW.name, 'uscc', NEW.uscc, 'address', NEW.address,
            'contact', NEW.contact, 'phone', NEW.phone, 'created_at', NEW.created_at,
            'updated_at', NEW.updated_at, 'party_type', NEW.party_type, 'id_masked', NEW.id_masked,
            'consent_at', NEW.consent_at, 'country', NEW.country, 'foreign_reg_no', NEW.foreign_reg_no));
END;

CREATE TRIGGER party_audit_update AFTER UPDATE ON party BEGIN
    INSERT INTO audit_log (actor, table_name, row_id, action, old_values, new_values)
    VALUES (COALESCE((SELECT actor FROM audit_context WHERE id = 1), 'system'), 'party', NEW.id, 'update',
        json_object(
            'id', OLD.id, 'kind', OLD.kind, 'name', OLD.name, 'uscc', OLD.uscc,
            'address', OLD.address, 'contact', OLD.contact, 'phone', OLD.phone,
            'created_at', OLD.created_at, 'updated_at', OLD.updated_at,
            'party_type', OLD.party_type, 'id_masked', OLD.id_masked, 'consent_at', OLD.consent_at,
            'country', OLD.country, 'foreign_reg_no', OLD.foreign_reg_no),
        json_object(
            'id', NEW.id, 'kind', NEW.kind, 'name', NEW.name, 'uscc', NEW.uscc,
            'address', NEW.address, 'contact', NEW.contact, 'phone', NEW.phone,
            'created_at', NEW.created_at, 'updated_at', NEW.updated_at,
            'party_type', NEW.party_type, 'id_masked', NEW.id_masked, 'consent_at', NEW.consent_at,
            'country', NEW.country, 'foreign_reg_no', NEW.foreign_reg_no));
END;

CREATE TRIGGER party_audit_delete AFTER DELETE ON party BEGIN
    INSERT INTO audit_log (actor, table_name, row_id, action, old_values, new_values)
    VALUES (COALESCE((SELECT actor FROM audit_context WHERE id = 1), 'system'), 'party', OLD.id, 'delete',
        json_object(
            'id', OLD.id, 'kind', OLD.kind, 'name', OLD.name, 'uscc', OLD.uscc,
            'address', OLD.address, 'contact', OLD.contact, 'phone', OLD.phone,
            'created_at', OLD.created_at, 'updated_at', OLD.updated_at,
            'party_type', OLD.party_type, 'id_masked', OLD.id_masked, 'consent_at', OLD.consent_at,
            'country', OLD.country, 'foreign_reg_no', OLD.foreign_reg_no), NULL);
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
            'ccc_mark_no', NEW.ccc_mark_no, 'created_at', NEW.created_at,
            'updated_at', NEW.updated_at, 'ccc_models', NEW.ccc_models,
            'submitted_at', NEW.submitted_at, 'licence_no', NEW.licence_no,
            'production_address', NEW.production_address, 'oem_role', NEW.oem_role,
            'oem_name', NEW.oem_name, 'oem_uscc', NEW.oem_uscc));
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
            'submitted_at', OLD.submitted_at, 'licence_no', OLD.licence_no,
            'production_address', OLD.production_address, 'oem_role', OLD.oem_role,
            'oem_name', OLD.oem_name, 'oem_uscc', OLD.oem_uscc),
        json_object(
            'id', NEW.id, 'name', NEW.name, 'model', NEW.model, 'category', NEW.category,
            'brand', NEW.brand, 'standard', NEW.standard, 'gtin', NEW.gtin, 'scheme', NEW.scheme,
            'granularity', NEW.granularity, 'ccc_cert_no', NEW.ccc_cert_no,
            'ccc_valid_from', NEW.ccc_valid_from, 'ccc_valid_to', NEW.ccc_valid_to,
            'ccc_mark_no', NEW.ccc_mark_no, 'created_at', NEW.created_at,
            'updated_at', NEW.updated_at, 'ccc_models', NEW.ccc_models,
            'submitted_at', NEW.submitted_at, 'licence_no', NEW.licence_no,
            'production_address', NEW.production_address, 'oem_role', NEW.oem_role,
            'oem_name', NEW.oem_name, 'oem_uscc', NEW.oem_uscc));
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
            'submitted_at', OLD.submitted_at, 'licence_no', OLD.licence_no,
            'production_address', OLD.production_address, 'oem_role', OLD.oem_role,
            'oem_name', OLD.oem_name, 'oem_uscc', OLD.oem_uscc), NULL);
END;

CREATE TRIGGER enterprise_source_change AFTER UPDATE OF name, uscc, address, contact, phone, licence_no,
    production_address ON enterprise BEGIN
    DELETE FROM outbox_source_change WHERE source_kind = 'enterprise' AND source_id = NEW.id;
    INSERT INTO outbox_source_change VALUES ('enterprise', NEW.id, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));
END;

CREATE TRIGGER product_source_change AFTER UPDATE OF name, model, category, brand, standard, gtin, scheme,
    granularity, ccc_cert_no, ccc_valid_from, ccc_valid_to, ccc_mark_no, ccc_models, licence_no,
    production_address, oem_role, oem_name, oem_uscc ON product BEGIN
    DELETE FROM outbox_source_change WHERE source_kind = 'product' AND source_id = NEW.id;
    INSERT INTO outbox_source_change VALUES ('product', NEW.id, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));
END;

CREATE TRIGGER shipment_source_change AFTER UPDATE OF customer_id, shipped_on, delivery_note_no, note, ship_to
    ON shipment BEGIN
    DELETE FROM outbox_source_change WHERE source_kind = 'shipment' AND source_id = NEW.id;
    INSERT INTO outbox_source_change VALUES ('shipment', NEW.id, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));
END;

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

-- Version 4 additions: a product's coding settings, a sequential range already exported, a random
-- range whose export never finished, and a void.
INSERT INTO product_coding (product_id, code_form, dl_stem, serial_mode, serial_pattern, random_length,
                            item_with_lot, with_production_date, shelf_life_days)
VALUES (1, 'digital-link', 'https://id.gs1.org', 'sequential', '{seq:07}', 12, 1, 0, NULL);

INSERT INTO serial_series (id, scope, kind, pattern, fixed, next_seq) VALUES
    (1, 'gtin:06901234567892', 'sequential', '{seq:07}', '0000000', 201),
    (2, 'gtin:06901234567892', 'random', 'random:12', '', 0);

INSERT INTO serial_allocation (id, series_id, product_id, batch_id, pattern_date, first_seq, count, code_form,
                               state, exported_to, actor)
VALUES (1, 1, 1, 1, '2025-03-05', 1, 200, 'element-string', 'exported', '/home/wang/codes-20250305A.csv', 'wang.li'),
       (2, 2, 1, 1, '2025-03-06', 0, 2, 'digital-link', 'allocated', NULL, 'wang.li');

INSERT INTO random_serial (series_id, serial, allocation_id) VALUES (2, 'aZ3kQ9xB2mP7', 2), (2, 'Q0w8Ee7Rt6Yu', 2);

INSERT INTO code_event (id, kind, code, product_id, batch_id, item_id, trace_code_id, reason, actor, at)
VALUES (1, 'void', '(01)06901234567892(21)0000002', 1, 1, 2, NULL, '标签印坏', 'wang.li', '2025-03-06T10:00:00.000Z');

INSERT INTO submission_attempt (id, run_id, purpose, endpoint, record_count, started_at, finished_at, outcome, http_status)
VALUES (1, 'a1b2c3d4e5f6', 'batch', '/api/v1/records:batch', 1, '2025-04-02T09:00:00.000Z', '2025-04-02T09:00:00.120Z', 'ok', 200);
INSERT INTO outbox (id, source_kind, source_id, kind, scheme, granularity, idempotency_key, label, event_date, state,
                    attempts, last_attempt_id, receipt_id, accepted_at)
VALUES (1, 'enterprise', 1, 'enterprise', 'gs1', 'batch', 'ba7ae0e12e1e05861b296ad090abe009b0f813f5d674eafb647224485a40e413',
        '浙江示例燃气具有限公司', NULL, 'accepted', 1, 1, 'SIM-000000000001', '2025-04-02T09:00:00.120Z');
INSERT INTO outbox_body (outbox_id, body)
VALUES (1, '{"idempotencyKey":"ba7ae0e12e1e05861b296ad090abe009b0f813f5d674eafb647224485a40e413"}');

-- Version 7 additions: a version superseded before anything was stored, and the newer version that
-- shares its key (the live-key index admits it because the older one is superseded).
INSERT INTO outbox (id, source_kind, source_id, kind, scheme, granularity, idempotency_key, label, event_date, state,
                    superseded, reject_code, reject_reason, rejected_at)
VALUES (2, 'receipt', 1, 'receiving', 'gs1', 'batch', '5b0d3c7f1a2e4d6b8c9a0f1e2d3c4b5a69788796a5b4c3d2e1f0a9b8c7d6e5f4', 'ZJ-2025-0301', '2025-03-01',
        'superseded', 1, 'MISSING_FIELD', '缺少供应商统一社会信用代码', '2025-04-02T09:00:00.300Z');
INSERT INTO outbox (id, source_kind, source_id, kind, scheme, granularity, idempotency_key, label, event_date, supersedes)
VALUES (3, 'receipt', 1, 'receiving', 'gs1', 'batch', '5b0d3c7f1a2e4d6b8c9a0f1e2d3c4b5a69788796a5b4c3d2e1f0a9b8c7d6e5f4', 'ZJ-2025-0301', '2025-03-01', 2);
INSERT INTO outbox_body (outbox_id, body) VALUES
    (2, '{"idempotencyKey":"5b0d3c7f1a2e4d6b8c9a0f1e2d3c4b5a69788796a5b4c3d2e1f0a9b8c7d6e5f4"}'),
    (3, '{"idempotencyKey":"5b0d3c7f1a2e4d6b8c9a0f1e2d3c4b5a69788796a5b4c3d2e1f0a9b8c7d6e5f4"}');

-- Version 8 additions: a version accepted by a real platform (revision 0), the change made to its
-- source afterwards, and the lease of a run whose process died.
INSERT INTO submission_attempt (id, run_id, purpose, endpoint, record_count, started_at, finished_at, outcome, http_status, target)
VALUES (2, 'f6e5d4c3b2a1', 'batch', '/api/v1/records:batch', 1, '2025-04-03T09:00:00.000Z',
        '2025-04-03T09:00:00.150Z', 'ok', 200, 'https://platform.example.cn/api/v1|AK-0001');
INSERT INTO outbox (id, source_kind, source_id, kind, scheme, granularity, idempotency_key, label, event_date, state,
                    attempts, last_attempt_id, receipt_id, accepted_at, target, revision)
VALUES (4, 'enterprise', 1, 'enterprise', 'gs1', 'batch', 'ba7ae0e12e1e05861b296ad090abe009b0f813f5d674eafb647224485a40e413',
        '浙江示例燃气具有限公司', NULL, 'accepted', 1, 2, 'PLT-000000000001', '2025-04-03T09:00:00.150Z',
        'https://platform.example.cn/api/v1|AK-0001', 0);
INSERT INTO outbox_body (outbox_id, body)
VALUES (4, '{"idempotencyKey":"ba7ae0e12e1e05861b296ad090abe009b0f813f5d674eafb647224485a40e413"}');
INSERT INTO outbox_source_change (source_kind, source_id, changed_at) VALUES ('enterprise', 1, '2025-04-04T10:00:00.000Z');
INSERT INTO run_lease (name, holder, program, pid, host, purpose, acquired_at, heartbeat_at, expires_at)
VALUES ('submission', '0123456789abcdef', 'cli', 999999, 'office-pc', 'submit', '2025-04-04T10:00:00.000Z',
        '2025-04-04T10:00:05.000Z', '2025-04-04T10:00:35.000Z');

-- Version 9 additions: a keyed random series of 10 characters on the same GTIN (its key is 32
-- bytes 00…1f), the range of 500 serials it issued (sequence numbers 0 to 499), and where the
-- series stands now.
INSERT INTO serial_series (id, scope, kind, pattern, fixed, next_seq) VALUES
    (3, 'gtin:06901234567892', 'random', 'random:10', '', 0);
INSERT INTO serial_series_key (series_id, key, created_at)
VALUES (3, X'000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f', '2025-04-05T08:00:00.000Z');
INSERT INTO serial_allocation (id, series_id, product_id, batch_id, pattern_date, first_seq, count, code_form,
                               state, exported_to, actor)
VALUES (3, 3, 1, 1, '2025-04-05', 0, 500, 'element-string', 'exported', '/home/wang/codes-20250405.csv', 'wang.li');
UPDATE serial_series SET next_seq = 500 WHERE id = 3;

-- Version 10 additions: the licence and production site, an entrusted product, an individual
-- customer (masked numbers only, with consent) and a foreign one, and a ship-to address.
UPDATE enterprise SET licence_no = '(浙)XK16-204-00123', production_address = '浙江省杭州市余杭区工厂路 8 号' WHERE id = 1;
UPDATE product SET oem_role = 'manufacturer', oem_name = '上海示例厨电销售有限公司',
                   oem_uscc = '91310115MA1K3XXXXX', production_address = '浙江省杭州市余杭区工厂路 8 号'
WHERE id = 2;
INSERT INTO party (id, kind, name, uscc, address, contact, phone, party_type, id_masked, consent_at, country, foreign_reg_no) VALUES
    (4, 'customer', '张三', NULL, '浙江省杭州市西湖区', '', '138****5678', 'individual', '110***********002X',
     '2025-03-11T02:00:00.000Z', '', ''),
    (5, 'customer', 'Example Trading GmbH', NULL, 'Hamburg', '', '', 'foreign', '', NULL, 'DE', 'HRB 123456');
INSERT INTO shipment (id, customer_id, shipped_on, delivery_note_no, note, ship_to)
VALUES (2, 4, '2025-03-12', 'DN-20250312-001', '', '浙江省杭州市西湖区文三路 1 号');
INSERT INTO shipment_line (id, shipment_id, batch_id, item_id, quantity) VALUES (3, 2, 2, NULL, 1);
-- Version 11 additions: the paperwork of the receipt, the batch and the shipment above.
UPDATE receipt SET purchase_order_no = 'PO-2025-0311', invoice_no = '04403250', delivery_note_no = 'SH-0311-07' WHERE id = 1;
UPDATE batch SET inspected_on = produced_on, expires_on = '2027-03-31', work_order_no = 'WO-2503-05' WHERE id = 1;
UPDATE shipment SET order_no = 'SO-2025-118', invoice_no = '04403311' WHERE id = 1;
-- Version 12 additions: the supplier's codes of the first receipt (a lot-level GS1 code, an item's
-- Ecode, a string that was not recognised) and its key component's CCC certificate.
UPDATE receipt SET component_ccc = '2016010901123456' WHERE id = (SELECT min(id) FROM receipt);
INSERT INTO receipt_code (receipt_id, seq, code, kind, level, note)
VALUES ((SELECT min(id) FROM receipt), 1, '(01)06901234567892(10)V2503-01', 'gs1-element-string', 'lot', ''),
       ((SELECT min(id) FROM receipt), 2, '10064123456789012345', 'ecode', 'item', ''),
       ((SELECT min(id) FROM receipt), 3, 'ab', 'unknown', 'item', '无法识别编码类型');
