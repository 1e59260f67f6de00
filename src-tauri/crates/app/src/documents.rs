//! 单据字段: the document numbers and dates a clerk copies from paperwork onto a receipt, a batch
//! or a shipment (采购订单号, 发票号, 送货单号, 生产工单号, 销售订单号, 检验日期, 有效期至). One set of
//! rules for the forms, the import and the CLI; the schema (migration 0011) only holds the length.

use time::Date;

use crate::entries::{Problems, iso, parse_date};

/// The contract's `text(50)` (§4.8–§4.10): every document number is at most 50 characters.
pub const DOC_NO_MAX: usize = 50;

/// An optional document number: trimmed; `""` when blank. Longer than [`DOC_NO_MAX`] characters
/// or holding a control character (a line break or tab pasted from a spreadsheet) is an error,
/// because the platform refuses it (`E_TOO_LONG`, `E_TEXT`).
pub(crate) fn doc_no(p: &mut Problems, field: &str, value: &str, zh: &str, en: &str) -> String {
    let value = value.trim();
    let chars = value.chars().count();
    if chars > DOC_NO_MAX {
        p.error(
            field,
            "doc-no.too-long",
            format!("{zh}有 {chars} 个字符，超过上限 {DOC_NO_MAX} 个；请对照单据删去多余的部分"),
            format!(
                "the {en} has {chars} characters, more than {DOC_NO_MAX}; compare it with the document and shorten it"
            ),
        );
    }
    if let Some(pos) = value.chars().position(char::is_control) {
        p.error(
            field,
            "doc-no.control",
            format!(
                "{zh}第 {} 位是换行、制表符等控制字符，平台不接受；请删去该字符",
                pos + 1
            ),
            format!(
                "the {en} has a control character (a line break or tab) at position {}; the platform refuses it: remove it",
                pos + 1
            ),
        );
    }
    value.to_string()
}

/// An optional date: `None` when blank or not a date (then with an error naming the field). Dates
/// run from 2000 to 2099 as the contract's `date` (§4.2); `not_after`, when given, is the latest
/// date allowed (today, for what has happened already).
pub(crate) fn opt_date(
    p: &mut Problems,
    field: &str,
    value: &str,
    (zh, en): (&str, &str),
    not_after: Option<Date>,
) -> Option<Date> {
    let value = value.trim();
    if value.is_empty() {
        return None;
    }
    match parse_date(value) {
        None => {
            p.error(
                field,
                "date.invalid",
                format!("{zh}“{value}”不是有效日期，请按 2025-03-01 的格式填写"),
                format!("the {en} {value:?} is not a valid date; use the form 2025-03-01"),
            );
            None
        }
        Some(d) if !(2000..=2099).contains(&d.year()) => {
            p.error(
                field,
                "date.out-of-range",
                format!("{zh} {} 不在 2000 至 2099 年之间，请检查年份", iso(d)),
                format!("the {en} {} is outside 2000–2099; check the year", iso(d)),
            );
            None
        }
        Some(d) if not_after.is_some_and(|latest| d > latest) => {
            let latest = not_after.map(iso).unwrap_or_default();
            p.error(
                field,
                "date.future",
                format!("{zh}不能晚于今天（{latest}）"),
                format!("the {en} cannot be after today ({latest})"),
            );
            None
        }
        Some(d) => Some(d),
    }
}

/// The batch's inspection date and expiry against its production date and today.
pub(crate) fn batch_dates(
    p: &mut Problems,
    produced: Option<Date>,
    inspected: Option<Date>,
    expires: Option<Date>,
    today: Date,
) {
    if let (Some(produced), Some(inspected)) = (produced, inspected)
        && inspected < produced
    {
        p.error(
            "inspectedOn",
            "inspection.before-production",
            format!(
                "检验日期 {} 早于生产日期 {}：出厂检验在生产之后，请核对这两个日期",
                iso(inspected),
                iso(produced)
            ),
            format!(
                "the inspection date {} is before the production date {}: the factory inspection follows production; check both dates",
                iso(inspected),
                iso(produced)
            ),
        );
    }
    if let (Some(produced), Some(expires)) = (produced, expires)
        && expires <= produced
    {
        p.error(
            "expiresOn",
            "expiry.not-after-production",
            format!(
                "有效期至 {} 不晚于生产日期 {}，请核对有效期",
                iso(expires),
                iso(produced)
            ),
            format!(
                "the expiry date {} is not after the production date {}; check the expiry date",
                iso(expires),
                iso(produced)
            ),
        );
    } else if let Some(expires) = expires
        && expires < today
    {
        p.warning(
            "expiresOn",
            "expiry.passed",
            format!(
                "该批次已于 {} 过期，过期产品不得出厂销售；如日期填错请更正",
                iso(expires)
            ),
            format!(
                "the batch expired on {}: expired goods must not be shipped; correct the date if it is wrong",
                iso(expires)
            ),
        );
    }
}
