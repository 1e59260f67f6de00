-- 0004_import_run: spreadsheet imports as undoable units.
--
-- 1. import_run: one row per committed import: which file (name and SHA-256), which sheet and
--    kind, how it was committed (all-or-nothing or only the valid rows), what it did, and whether
--    it was undone. The row is audited like any business row, so the audit trail names who
--    imported what even though the imported records themselves are written with the bulk flag
--    (0003) and get one summary entry per table instead of one entry per row.
-- 2. import_run_record: which records a run created, so that undo deletes exactly those (ids
--    alone are not enough: SQLite reuses the largest rowid after a delete). The link rows are
--    history and are never deleted, not even by undo; their insert trigger honours the bulk flag.
-- Records a run found already present are not linked: a re-import creates nothing and owns nothing.

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
CREATE INDEX import_run_by_sha256 ON import_run (file_sha256);
CREATE INDEX import_run_by_created_at ON import_run (created_at);

CREATE TABLE import_run_record (
    run_id     INTEGER NOT NULL REFERENCES import_run (id) ON DELETE RESTRICT,
    table_name TEXT    NOT NULL CHECK (table_name IN ('party', 'product', 'receipt', 'batch', 'item', 'shipment')),
    row_id     INTEGER NOT NULL,
    PRIMARY KEY (run_id, table_name, row_id)
) WITHOUT ROWID;
-- "Which run created record R?" (the record's history, and undo checks).
CREATE INDEX import_run_record_by_row ON import_run_record (table_name, row_id);

-- Audit triggers in the form of 0001's. import_run's insert is audited even in a bulk write: it is
-- the one entry that says what the import did.
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
