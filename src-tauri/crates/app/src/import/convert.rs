//! Conversions between the sheet reader's, the store's and the UI's shapes, and the names a
//! clerk reads.

use super::*;
use crate::messages::Msg;

impl ImportKind {
    pub fn record_kind(self) -> RecordKind {
        match self {
            ImportKind::Product => RecordKind::Product,
            ImportKind::Party => RecordKind::Party,
            ImportKind::Receipt => RecordKind::Receipt,
            ImportKind::Batch => RecordKind::Batch,
            ImportKind::Item => RecordKind::Item,
            ImportKind::Shipment => RecordKind::Shipment,
        }
    }

    /// `product`, `party`, `receipt`, `batch`, `item`, `shipment`: the CLI's and the database's word.
    pub fn as_str(self) -> &'static str {
        self.record_kind().as_str()
    }

    pub fn parse(text: &str) -> Option<ImportKind> {
        ImportKind::ALL.into_iter().find(|k| k.as_str() == text)
    }

    pub const ALL: [ImportKind; 6] = [
        ImportKind::Product,
        ImportKind::Party,
        ImportKind::Receipt,
        ImportKind::Batch,
        ImportKind::Item,
        ImportKind::Shipment,
    ];

    /// The kind a sheet's name suggests, for preselecting it.
    pub fn guess(sheet_name: &str) -> Option<ImportKind> {
        const WORDS: &[(&str, ImportKind)] = &[
            ("进货", ImportKind::Receipt),
            ("采购", ImportKind::Receipt),
            ("原料", ImportKind::Receipt),
            ("收货", ImportKind::Receipt),
            ("一物一码", ImportKind::Item),
            ("单品", ImportKind::Item),
            ("序列号", ImportKind::Item),
            ("出库", ImportKind::Shipment),
            ("发货", ImportKind::Shipment),
            ("销售", ImportKind::Shipment),
            ("生产", ImportKind::Batch),
            ("批次", ImportKind::Batch),
            ("供应商", ImportKind::Party),
            ("客户", ImportKind::Party),
            ("往来", ImportKind::Party),
            ("产品", ImportKind::Product),
            ("商品", ImportKind::Product),
            ("receipt", ImportKind::Receipt),
            ("item", ImportKind::Item),
            ("serial", ImportKind::Item),
            ("shipment", ImportKind::Shipment),
            ("batch", ImportKind::Batch),
            ("production", ImportKind::Batch),
            ("supplier", ImportKind::Party),
            ("customer", ImportKind::Party),
            ("product", ImportKind::Product),
        ];
        let lower = sheet_name.to_lowercase();
        WORDS
            .iter()
            .find(|(w, _)| lower.contains(w))
            .map(|(_, k)| *k)
    }
}

pub(crate) fn inspection(r: Option<sheets::InspectionResult>) -> &'static str {
    match r {
        Some(sheets::InspectionResult::Pass) => "pass",
        Some(sheets::InspectionResult::Fail) => "fail",
        _ => "pending",
    }
}

/// A file the reader refused: `UnreadableFile` (CLI exit 2) with the reader's own message, and
/// the reader's reason code (`file.encrypted`, `sheet.too-many-rows`, …) in `field`.
pub(crate) fn read_error(e: ReadError) -> ApiError {
    let m = e.message();
    Msg::Relayed {
        code: ErrorCode::UnreadableFile,
        field: Some(e.code().to_string()),
        zh: m.zh,
        en: m.en,
    }
    .err()
}

pub(super) fn write_error(e: sheets::WriteError) -> ApiError {
    let m = e.message();
    let code = match e {
        sheets::WriteError::Read(_) => ErrorCode::UnreadableFile,
        sheets::WriteError::Xlsx(_) => ErrorCode::InvalidInput,
    };
    Msg::Relayed {
        code,
        field: Some("path".into()),
        zh: m.zh,
        en: m.en,
    }
    .err()
}

pub(super) fn problem(p: &sheets::Problem) -> ImportProblem {
    ImportProblem {
        row: p.row,
        column: p.column.clone(),
        header: p.header.clone(),
        field: p.field.map(|f| f.as_str().to_string()),
        severity: if p.is_error() {
            ProblemSeverity::Error
        } else {
            ProblemSeverity::Warning
        },
        code: p.code.as_str().to_string(),
        message_zh: p.message.zh.clone(),
        message_en: p.message.en.clone(),
        value: p.value.clone(),
    }
}

pub(super) fn confidence(c: Confidence) -> ImportConfidence {
    match c {
        Confidence::Exact => ImportConfidence::Exact,
        Confidence::Normalised => ImportConfidence::Normalised,
        Confidence::Fuzzy => ImportConfidence::Fuzzy,
        Confidence::Manual => ImportConfidence::Manual,
        Confidence::Unmapped => ImportConfidence::Unmapped,
    }
}

/// The field named `key` (its key such as `lot_no`, or its template header such as 生产批号); the
/// error lists every field of the kind.
pub(super) fn field_key(kind: RecordKind, key: &str) -> Result<FieldKey> {
    let key = key.trim();
    kind.fields()
        .iter()
        .find(|f| f.key.as_str() == key || f.zh == key || f.en.eq_ignore_ascii_case(key))
        .map(|f| f.key)
        .ok_or_else(|| {
            let valid = |zh: bool| {
                kind.fields()
                    .iter()
                    .map(|f| format!("{}（{}）", f.key.as_str(), if zh { f.zh } else { f.en }))
                    .collect::<Vec<_>>()
                    .join(if zh { "、" } else { ", " })
            };
            Msg::ImportUnknownField {
                kind_zh: kind.zh().to_string(),
                kind_en: kind.en().to_string(),
                key: key.to_string(),
                fields_zh: valid(true),
                fields_en: valid(false),
            }
            .err()
        })
}

pub(super) fn fields_of(kind: RecordKind) -> Vec<ImportFieldInfo> {
    kind.fields()
        .iter()
        .map(|f| {
            let (hint_zh, hint_en) = f.ty.format_hint();
            ImportFieldInfo {
                key: f.key.as_str().to_string(),
                zh: f.zh.to_string(),
                en: f.en.to_string(),
                required: f.required(),
                need_zh: f.need_zh(),
                hint_zh,
                hint_en,
            }
        })
        .collect()
}

pub(super) fn mode_str(mode: ImportMode) -> &'static str {
    match mode {
        ImportMode::All => "all",
        ImportMode::ValidOnly => "valid-only",
    }
}

/// The mapping as `import_mapping` keeps it: the columns for an exact restore, and header → field
/// for a person reading the table.
pub(super) fn mapping_json(m: &Mapping) -> String {
    let fields: serde_json::Map<String, serde_json::Value> = m
        .columns
        .iter()
        .filter(|c| !c.header_text.is_empty())
        .map(|c| {
            (
                c.header_text.clone(),
                c.field
                    .map_or(serde_json::Value::Null, |f| f.as_str().into()),
            )
        })
        .collect();
    serde_json::json!({ "columns": m.columns, "fields": fields }).to_string()
}

pub(super) fn remembered_mapping(json: &str, detected: &Mapping) -> Option<Mapping> {
    let value: serde_json::Value = serde_json::from_str(json).ok()?;
    let columns: Vec<sheets::ColumnMapping> =
        serde_json::from_value(value.get("columns")?.clone()).ok()?;
    Some(Mapping {
        kind: detected.kind,
        header_row: detected.header_row,
        signature: detected.signature.clone(),
        columns,
    })
}

pub(super) fn run_dto(conn: &store::Connection, row: store::imports::RunRow) -> Result<ImportRun> {
    let created: BTreeMap<String, u32> = serde_json::from_str(&row.run.created).unwrap_or_default();
    let status = if row.status == "undone" {
        ImportRunStatus::Undone
    } else {
        ImportRunStatus::Committed
    };
    let can_undo = status == ImportRunStatus::Committed
        && store::imports::submitted_records(conn, row.id)?.is_none();
    Ok(ImportRun {
        id: row.id,
        kind: ImportKind::parse(&row.run.kind).unwrap_or(ImportKind::Batch),
        file_name: row.run.file_name,
        sha256: row.run.file_sha256,
        sheet: row.run.sheet,
        header_row: row.run.header_row,
        mode: if row.run.mode == "valid-only" {
            ImportMode::ValidOnly
        } else {
            ImportMode::All
        },
        rows_total: row.run.rows_total,
        rows_imported: row.run.rows_imported,
        rows_existing: row.run.rows_existing,
        rows_skipped: row.run.rows_skipped,
        created: created
            .into_iter()
            .map(|(table, count)| ImportTableCount { table, count })
            .collect(),
        actor: row.run.actor,
        duration_ms: row.run.duration_ms.round().clamp(0.0, u32::MAX as f64) as u32,
        status,
        created_at: row.created_at,
        undone_at: row.undone_at,
        undone_by: row.undone_by,
        can_undo,
    })
}

pub(super) fn table_counts(pairs: Vec<(String, i64)>) -> Vec<ImportTableCount> {
    pairs
        .into_iter()
        .map(|(table, n)| ImportTableCount {
            table,
            count: u32::try_from(n).unwrap_or(u32::MAX),
        })
        .collect()
}

pub(super) fn table_zh(table: &str) -> &'static str {
    match table {
        "party" => "往来单位",
        "product" => "产品",
        "receipt" => "进货记录",
        "batch" => "生产批次",
        "item" => "单品",
        _ => "出库单",
    }
}

pub(super) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

pub(super) fn row_dto(c: &Checked, i: usize) -> ImportRow {
    let row = &c.read.rows[i];
    let state = &c.rows[i];
    let mut problems: Vec<ImportProblem> = row.problems.iter().map(problem).collect();
    problems.extend(
        state
            .db
            .iter()
            .map(|p| p.render(row.row, c.read.mapping.as_ref())),
    );
    ImportRow {
        row: row.row,
        status: state.status,
        values: values::row_values(row, c.read.mapping.as_ref()),
        problems,
        edited: state.edited,
    }
}

/// A database check as a problem of the sheet reader's kind, for the problem report.
pub(super) fn sheet_problem(sheet: &str, p: &ImportProblem) -> sheets::Problem {
    sheets::Problem {
        severity: if p.severity == ProblemSeverity::Error {
            sheets::Severity::Error
        } else {
            sheets::Severity::Warning
        },
        sheet: sheet.to_string(),
        row: p.row,
        column: p.column.clone(),
        header: p.header.clone(),
        field: None,
        code: sheets::ProblemCode::Record,
        value: p.value.clone(),
        message: codes::Message::new(p.message_zh.clone(), p.message_en.clone()),
    }
}
