//! What the entry use-cases share: field problems, dates, the edit guard, a record's history and
//! its attachments, and the autocomplete hints of the forms.
//!
//! Entry forms validate as the clerk types: each `check_*` returns every problem with the field it
//! belongs to, errors and warnings alike; each `save_*` runs the same check and refuses on the first
//! error (an [`ApiError`] whose `field` names it), while warnings (a lot consumed beyond what was
//! received, a new supplier) never block saving.

use crate::messages::Msg;
use std::path::{Path, PathBuf};

use serde_json::Value;
use store::Connection;
use time::{Date, OffsetDateTime, UtcOffset};

use crate::{
    ApiError, App, Attachment, EntryHints, ErrorCode, FieldChange, FieldProblem, Granularity,
    HistoryEntry, InspectionResult, MaterialHint, PartyKind, PartyOption, ProblemSeverity,
    ProductOption, RecordKind, Result,
};

/// The default lot-number pattern of the production form (codes::serial syntax).
pub const DEFAULT_LOT_PATTERN: &str = "B{yyyyMMdd}-{seq}";
/// The setting that overrides it.
pub const KEY_LOT_PATTERN: &str = "entry.lot_pattern";

/// Refuses, with [`Msg::RecordSubmitted`], to change a record that has
/// been submitted to the platform. Every edit path of entry calls it inside its write transaction;
/// the submission feature decides what "submitted" means in `store::edit_guard`.
pub fn ensure_editable(conn: &Connection, kind: RecordKind, id: i64) -> Result<()> {
    match store::edit_guard::submitted_at(conn, kind.table(), id)? {
        None => Ok(()),
        Some(at) => Err(Msg::RecordSubmitted { at: at.to_string() }.err()),
    }
}

impl RecordKind {
    pub fn table(self) -> &'static str {
        match self {
            RecordKind::Product => "product",
            RecordKind::Party => "party",
            RecordKind::Receipt => "receipt",
            RecordKind::Batch => "batch",
            RecordKind::Shipment => "shipment",
        }
    }
}

impl InspectionResult {
    pub fn as_str(self) -> &'static str {
        match self {
            InspectionResult::Pass => "pass",
            InspectionResult::Fail => "fail",
            InspectionResult::Pending => "pending",
        }
    }

    pub fn from_db(s: &str) -> InspectionResult {
        match s {
            "pass" => InspectionResult::Pass,
            "fail" => InspectionResult::Fail,
            _ => InspectionResult::Pending,
        }
    }

    pub fn zh(self) -> &'static str {
        match self {
            InspectionResult::Pass => "合格",
            InspectionResult::Fail => "不合格",
            InspectionResult::Pending => "待检",
        }
    }
}

impl PartyKind {
    pub fn as_str(self) -> &'static str {
        match self {
            PartyKind::Supplier => "supplier",
            PartyKind::Customer => "customer",
            PartyKind::Both => "both",
        }
    }

    pub fn from_db(s: &str) -> PartyKind {
        match s {
            "supplier" => PartyKind::Supplier,
            "customer" => PartyKind::Customer,
            _ => PartyKind::Both,
        }
    }
}

/// The problems found in one form.
#[derive(Debug, Default)]
pub(crate) struct Problems(pub Vec<FieldProblem>);

impl Problems {
    fn push(&mut self, severity: ProblemSeverity, field: &str, code: &str, zh: String, en: String) {
        self.0.push(FieldProblem {
            field: field.to_string(),
            severity,
            code: code.to_string(),
            message_zh: zh,
            message_en: en,
        });
    }

    pub fn error(&mut self, field: &str, code: &str, zh: impl Into<String>, en: impl Into<String>) {
        self.push(ProblemSeverity::Error, field, code, zh.into(), en.into());
    }

    pub fn warning(
        &mut self,
        field: &str,
        code: &str,
        zh: impl Into<String>,
        en: impl Into<String>,
    ) {
        self.push(ProblemSeverity::Warning, field, code, zh.into(), en.into());
    }

    /// The first error as the `ApiError` a save refuses with.
    pub fn first_error(&self) -> Option<ApiError> {
        self.0
            .iter()
            .find(|p| p.severity == ProblemSeverity::Error)
            .map(|p| ApiError {
                code: ErrorCode::InvalidInput,
                message_zh: p.message_zh.clone(),
                message_en: p.message_en.clone(),
                field: Some(p.field.clone()),
            })
    }

    /// `Err` with the first error, if any.
    pub fn refuse_on_error(&self) -> Result<()> {
        match self.first_error() {
            Some(err) => Err(err),
            None => Ok(()),
        }
    }

    /// A required text field: the trimmed value, or an error when blank.
    pub fn required(&mut self, field: &str, value: &str, zh_name: &str, en_name: &str) -> String {
        let value = value.trim();
        if value.is_empty() {
            self.error(
                field,
                "required",
                format!("请填写{zh_name}"),
                format!("{en_name} is required"),
            );
        }
        value.to_string()
    }

    /// A required ISO date not after `today`.
    pub fn date(&mut self, field: &str, value: &str, today: Date, zh_name: &str) -> Option<Date> {
        // The English message names the field by its key.
        let value = self.required(field, value, zh_name, field);
        if value.is_empty() {
            return None;
        }
        match parse_date(&value) {
            None => {
                self.error(
                    field,
                    "date.invalid",
                    format!("{zh_name}“{value}”不是有效日期，请按 2025-03-01 的格式填写"),
                    format!("{value:?} is not a valid date; use the form 2025-03-01"),
                );
                None
            }
            Some(d) if d > today => {
                self.error(
                    field,
                    "date.future",
                    format!("{zh_name}不能晚于今天（{}）", iso(today)),
                    format!("the date cannot be after today ({})", iso(today)),
                );
                None
            }
            Some(d) if d.year() < 2000 => {
                self.error(
                    field,
                    "date.too-old",
                    format!("{zh_name}早于 2000 年，请检查年份"),
                    "the date is before 2000; check the year",
                );
                None
            }
            Some(d) => Some(d),
        }
    }

    /// A required positive quantity.
    pub fn quantity(&mut self, field: &str, value: Option<f64>, zh_name: &str) -> f64 {
        match value {
            None => {
                self.error(
                    field,
                    "required",
                    format!("请填写{zh_name}"),
                    format!("{field} is required"),
                );
                0.0
            }
            Some(q) if !q.is_finite() || q <= 0.0 => {
                self.error(
                    field,
                    "quantity.not-positive",
                    format!("{zh_name}必须大于 0"),
                    "the quantity must be greater than 0",
                );
                0.0
            }
            Some(q) => q,
        }
    }
}

/// `YYYY-MM-DD` (also accepting `YYYY/MM/DD` and `YYYY.MM.DD`, as typed in China).
pub fn parse_date(text: &str) -> Option<Date> {
    let normal: String = text.trim().replace(['/', '.'], "-");
    let mut parts = normal.split('-');
    let year: i32 = parts.next()?.parse().ok()?;
    let month: u8 = parts.next()?.parse().ok()?;
    let day: u8 = parts.next()?.parse().ok()?;
    if parts.next().is_some() {
        return None;
    }
    Date::from_calendar_date(year, time::Month::try_from(month).ok()?, day).ok()
}

pub fn iso(d: Date) -> String {
    format!("{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day())
}

/// Today in China (UTC+8): the factories this app serves keep Beijing time whatever the PC's
/// time zone says. `TRACEDESK_TODAY=YYYY-MM-DD` pins it, for demos and end-to-end tests.
pub fn today() -> Date {
    if let Some(d) = std::env::var("TRACEDESK_TODAY")
        .ok()
        .and_then(|t| parse_date(&t))
    {
        return d;
    }
    OffsetDateTime::now_utc().to_offset(CHINA).date()
}

/// Beijing time, the clock every date the clerk sees is read on.
pub(crate) const CHINA: UtcOffset = time::macros::offset!(+8);

/// The day in China (UTC+8) of a time stamp as the store writes it (UTC, `…T…Z`), so that a
/// record made at 07:50 Beijing time is dated that morning, not the UTC evening before. A bare
/// `YYYY-MM-DD` is already a day and stays as it is.
pub fn china_day(stamp: &str) -> Option<String> {
    use time::format_description::well_known::Rfc3339;
    match OffsetDateTime::parse(stamp.trim(), &Rfc3339) {
        Ok(t) => Some(iso(t.to_offset(CHINA).date())),
        Err(_) => parse_date(stamp.get(..10)?).map(iso),
    }
}

pub fn to_ymd(d: Date) -> codes::YearMonthDay {
    codes::YearMonthDay::new(d.year(), u8::from(d.month()), d.day())
        .unwrap_or_else(|| codes::YearMonthDay::new(2000, 1, 1).expect("valid date"))
}

/// The store's list parameters for a UI list query.
pub(crate) fn list_params(q: &crate::ListQuery) -> store::ListParams {
    store::ListParams {
        search: q.search.clone(),
        sort: q.sort.clone(),
        descending: q.descending,
        offset: q.offset,
        limit: q.limit,
    }
}

/// Turns `None`/blank into `None`, else the trimmed text.
pub fn opt_text(value: &str) -> Option<String> {
    let v = value.trim();
    (!v.is_empty()).then(|| v.to_string())
}

/// Numbers as a clerk reads them: no trailing `.0`.
pub fn num(q: f64) -> String {
    if q.fract() == 0.0 && q.abs() < 1e15 {
        format!("{}", q as i64)
    } else {
        let s = format!("{q:.4}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}

impl App {
    /// The folder attachment copies live in.
    pub fn attachment_dir(&self) -> PathBuf {
        self.config().data_dir.join("attachments")
    }

    fn attachment_dto(&self, row: store::attachments::AttachmentRow) -> Attachment {
        let ext = Path::new(&row.attachment.file_name)
            .extension()
            .and_then(|e| e.to_str())
            .map(|e| format!(".{}", e.to_ascii_lowercase()))
            .unwrap_or_default();
        Attachment {
            id: row.id,
            path: self
                .attachment_dir()
                .join(format!("{}{ext}", row.attachment.sha256))
                .display()
                .to_string(),
            file_name: row.attachment.file_name,
            media_type: row.attachment.media_type,
            size_bytes: row.attachment.size_bytes,
            purpose: row.attachment.purpose,
            created_at: row.created_at,
        }
    }

    pub(crate) fn attachments_of(
        &self,
        conn: &Connection,
        owner: store::attachments::Owner,
    ) -> Result<Vec<Attachment>> {
        Ok(store::attachments::of(conn, owner)?
            .into_iter()
            .map(|row| self.attachment_dto(row))
            .collect())
    }

    /// The largest attachment accepted, in bytes: the setting `attachments.max_bytes`, else
    /// 20 MB.
    pub fn attachment_limit(&self) -> Result<u64> {
        Ok(self
            .db()
            .setting(crate::attachments::KEY_MAX_BYTES)?
            .and_then(|v| serde_json::from_str::<u64>(&v).ok())
            .filter(|b| {
                (crate::attachments::MIN_MAX_BYTES..=crate::attachments::MAX_MAX_BYTES).contains(b)
            })
            .unwrap_or(crate::attachments::DEFAULT_MAX_BYTES))
    }

    /// Sets the largest attachment accepted (1 MB to 512 MB); returns it.
    pub fn set_attachment_limit(&self, max_bytes: u64) -> Result<u64> {
        use crate::attachments::{MAX_MAX_BYTES, MIN_MAX_BYTES, mb};
        if !(MIN_MAX_BYTES..=MAX_MAX_BYTES).contains(&max_bytes) {
            return Err(Msg::AttachmentLimitOutOfRange {
                limit: mb(max_bytes).to_string(),
                min: mb(MIN_MAX_BYTES).to_string(),
                max: mb(MAX_MAX_BYTES).to_string(),
            }
            .err());
        }
        self.db()
            .set_setting(crate::attachments::KEY_MAX_BYTES, &max_bytes.to_string())?;
        Ok(max_bytes)
    }

    /// Copies `paths` (PDFs, photos, office documents) into `<data dir>/attachments/`, named by
    /// content hash so the same file is stored once, and attaches them to the record, all or
    /// none: every file is checked first ([`crate::attachments::check`]: an accepted type, its
    /// content what its extension says, within [`App::attachment_limit`], its name sanitised),
    /// and if one is refused, none is attached and the refusal names it.
    pub fn add_attachments(
        &self,
        kind: RecordKind,
        id: i64,
        paths: &[String],
        purpose: &str,
    ) -> Result<Vec<Attachment>> {
        use store::attachments::Owner;
        let owner = match kind {
            RecordKind::Product => Owner::Product(id),
            RecordKind::Receipt => Owner::Receipt(id),
            RecordKind::Batch => Owner::Batch(id),
            RecordKind::Shipment => Owner::Shipment(id),
            RecordKind::Party => {
                return Err(Msg::PartiesTakeNoAttachments.err());
            }
        };
        let purpose = match purpose {
            "inspection-report" | "certificate" | "photo" | "delivery-note" => purpose,
            _ => "other",
        };
        let max_bytes = self.attachment_limit()?;
        let dir = self.attachment_dir();
        std::fs::create_dir_all(&dir).map_err(|e| crate::paths::dir_error(&dir, e))?;
        // Every file is checked (and copied to a temporary file) before any is kept: a refusal
        // drops the temporary copies and attaches nothing.
        let checked = paths
            .iter()
            .map(|path| crate::attachments::check(Path::new(path), &dir, max_bytes))
            .collect::<Result<Vec<_>>>()?;
        let mut files = Vec::new();
        for file in checked {
            let dest = dir.join(format!("{}.{}", file.sha256, file.extension));
            if !dest.is_file() {
                file.temp
                    .persist(&dest)
                    .map_err(|e| crate::paths::dir_error(&dir, e.error))?;
            }
            files.push(store::attachments::NewAttachment {
                purpose: purpose.to_string(),
                file_name: file.name,
                media_type: file.kind.media_type.to_string(),
                sha256: file.sha256,
                size_bytes: file.size as i64,
                note: String::new(),
            });
        }
        let mut db = self.db();
        db.write(|tx| {
            for file in &files {
                store::attachments::insert(tx, owner, file)?;
            }
            Ok(())
        })?;
        self.attachments_of(db.conn(), owner)
    }

    /// The audit trail of one record, oldest first: its own row, and for batches and shipments
    /// their input and line rows.
    pub fn record_history(&self, kind: RecordKind, id: i64) -> Result<Vec<HistoryEntry>> {
        let db = self.db();
        let conn = db.conn();
        let mut entries = store::audit::of_row(conn, kind.table(), id, 500)?;
        let child = match kind {
            RecordKind::Batch => Some(("batch_input", "batch_id")),
            RecordKind::Shipment => Some(("shipment_line", "shipment_id")),
            _ => None,
        };
        if let Some((table, key)) = child {
            entries.extend(store::audit::of_children(conn, table, key, id, 500)?);
            entries.sort_by_key(|e| e.id);
        }
        Ok(entries.into_iter().map(history_entry).collect())
    }

    /// Whether record `id` may still be edited (see [`ensure_editable`]).
    pub fn ensure_editable(&self, kind: RecordKind, id: i64) -> Result<()> {
        ensure_editable(self.db().conn(), kind, id)
    }

    /// Everything the entry forms autocomplete from.
    pub fn entry_hints(&self) -> Result<EntryHints> {
        let lot_pattern = self
            .db()
            .setting(KEY_LOT_PATTERN)?
            .and_then(|v| serde_json::from_str::<String>(&v).ok())
            .unwrap_or_else(|| DEFAULT_LOT_PATTERN.to_string());
        let db = self.db();
        let conn = db.conn();
        let option = |row: store::parties::PartyRow| PartyOption {
            id: row.id,
            name: row.fields.name,
            contact: row.fields.contact,
            phone: row.fields.phone,
        };
        let suppliers: Vec<PartyOption> = store::parties::options(conn, "supplier")?
            .into_iter()
            .map(option)
            .collect();
        let customers = store::parties::options(conn, "customer")?
            .into_iter()
            .map(option)
            .collect();
        let mut names = std::collections::HashMap::new();
        for s in &suppliers {
            names.insert(s.id, s.name.clone());
        }
        let materials = store::receipts::material_hints(conn, 300)?
            .into_iter()
            .map(|(material, spec, unit, supplier_id)| MaterialHint {
                material,
                spec,
                unit,
                supplier_name: names.get(&supplier_id).cloned().unwrap_or_default(),
            })
            .collect();
        let (products, _) =
            store::products::list(conn, &store::products::ProductFilter::default())?;
        let products = products
            .into_iter()
            .map(|p| ProductOption {
                id: p.id,
                name: p.fields.name,
                model: p.fields.model,
                gtin: p.fields.gtin,
                granularity: Granularity::from_db(&p.fields.granularity),
            })
            .collect();
        Ok(EntryHints {
            suppliers,
            customers,
            materials,
            units: store::receipts::units(conn)?,
            products,
            inspectors: store::batches::inspectors(conn)?,
            lot_pattern,
        })
    }
}

fn text_of(v: &Value) -> Option<String> {
    match v {
        Value::Null => None,
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(match n.as_f64() {
            Some(f) => num(f),
            None => n.to_string(),
        }),
        other => Some(other.to_string()),
    }
}

fn history_entry(e: store::AuditEntry) -> HistoryEntry {
    let parse = |s: &Option<String>| -> serde_json::Map<String, Value> {
        s.as_deref()
            .and_then(|s| serde_json::from_str::<Value>(s).ok())
            .and_then(|v| v.as_object().cloned())
            .unwrap_or_default()
    };
    let old = parse(&e.old_values);
    let new = parse(&e.new_values);
    let mut keys: Vec<&String> = old.keys().chain(new.keys()).collect();
    keys.sort();
    keys.dedup();
    let changes = keys
        .into_iter()
        .filter(|k| !matches!(k.as_str(), "created_at" | "updated_at"))
        .filter_map(|k| {
            let o = old.get(k).and_then(text_of);
            let n = new.get(k).and_then(text_of);
            (o != n).then(|| FieldChange {
                field: k.clone(),
                old: o,
                new: n,
            })
        })
        .collect();
    HistoryEntry {
        at: e.at,
        actor: e.actor,
        table: e.table_name,
        action: e.action,
        changes,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_read_as_typed_in_china() {
        assert_eq!(
            parse_date("2025/3/1").map(iso).as_deref(),
            Some("2025-03-01")
        );
        assert_eq!(parse_date("2025-02-30"), None);
        assert_eq!(parse_date("20250301"), None);
    }

    #[test]
    fn a_stamp_is_dated_on_the_beijing_clock() {
        for (stamp, day) in [
            ("2026-12-07T23:50:00.000Z", "2026-12-08"),
            ("2026-12-07T15:59:59Z", "2026-12-07"),
            ("2026-12-07T16:00:00Z", "2026-12-08"),
            ("2025-03-01T00:00:00+08:00", "2025-03-01"),
            ("2025-03-01", "2025-03-01"),
        ] {
            assert_eq!(china_day(stamp).as_deref(), Some(day), "{stamp}");
        }
        assert_eq!(china_day("yesterday"), None);
    }

    #[test]
    fn numbers_drop_needless_decimals() {
        assert_eq!(num(200.0), "200");
        assert_eq!(num(80.25), "80.25");
        assert_eq!(num(1.0 / 3.0), "0.3333");
    }
}
