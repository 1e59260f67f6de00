-- 0004_coding_ledger: trace-code settings per product, the serial ledger of 一物一码, and the
-- void / reprint log (赋码).
--
-- 1. product_coding: how a product's GS1 codes are written (element string, or a GS1 Digital
--    Link URI on a stem) and which optional AIs they carry, and how its serials are made
--    (sequential from a codes::serial pattern, or random). A product without a row uses the
--    defaults of the columns.
-- 2. The serial ledger. serial_series is one stream of serials in one scope (a GTIN-14 for GS1,
--    `product:<id>` for the other schemes): a pattern and the rendering of its date placeholders
--    (`fixed`), with the next sequence number. serial_allocation is one issued range of a series,
--    written and committed before any code of it leaves the program, so a serial is never issued
--    twice, even across a crash. Random serials are kept one by one in random_serial, whose
--    primary key refuses a repeat. Ranges, not rows: a million item codes are one allocation row
--    (plus a million compact random_serial rows in random mode); `item` and `trace_code` rows are
--    only created for codes somebody acts on (void, reprint, shipment scan).
-- 3. code_event: every void and reprint, with its reason and who did it. Append-only.
-- 4. A product that has codes keeps its scheme and granularity (printed codes would no longer
--    match it); the app checks first and explains, the trigger is the backstop.
-- 5. Audit triggers in the form of 0001's; random_serial's insert trigger honours the bulk flag of
--    0003 (the allocation row, which is always audited, says how many serials it holds).

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
CREATE INDEX serial_allocation_by_series ON serial_allocation (series_id, first_seq);
CREATE INDEX serial_allocation_by_product ON serial_allocation (product_id, batch_id);
CREATE INDEX serial_allocation_by_batch ON serial_allocation (batch_id) WHERE batch_id IS NOT NULL;

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
CREATE INDEX code_event_by_code ON code_event (code);
CREATE INDEX code_event_by_product ON code_event (product_id, at);

-- The ledger only grows: a series never goes back, an issued range never changes or disappears,
-- and the event log is evidence.
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

-- Audit triggers.
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
