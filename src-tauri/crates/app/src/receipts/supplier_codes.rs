//! 供方追溯码: the supplier's codes of the received goods (识码用码 at receipt), any scheme, as
//! scanned, each stored with the kind the code check detects, and the CCC 证书编号 of a key
//! component.
//!
//! Rules: a GS1 code (element string, Digital Link, GTIN) with an error is refused, the problem
//! naming the code and the position; what the check does not recognise is stored verbatim with
//! its note (and a warning); the problems of other schemes are warnings, since the code is the
//! supplier's and cannot be corrected here. A GS1 code with a serial (21) names one item, any
//! other GS1 code the lot; an Ecode, a 数字身份码 or an unrecognised code is taken as an item's
//! (Ecode is issued per item, domain.md §B.2).

use codes::{CodeKind, CodeReport};
use time::Date;

use crate::entries::{Problems, to_ymd};
use crate::products::problem_of;
use crate::{CodeLevel, SupplierCode};

/// The form field the problems are shown under.
pub(crate) const FIELD: &str = "supplierCodes";

/// Splits what a scanner typed into a multi-line field or a spreadsheet cell: one code per line,
/// or separated by `;`/`；`. Blanks are dropped, and a repeated code is kept once.
pub(crate) fn split_codes<S: AsRef<str>>(texts: &[S]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for part in texts
        .iter()
        .flat_map(|t| t.as_ref().split(['\n', '\r', ';', '；']))
    {
        let code = part.trim();
        if !code.is_empty() && !out.iter().any(|c| c == code) {
            out.push(code.to_string());
        }
    }
    out
}

fn is_gs1(kind: CodeKind) -> bool {
    matches!(
        kind,
        CodeKind::Gs1ElementString | CodeKind::Gs1DigitalLink | CodeKind::Gtin
    )
}

fn level(report: &CodeReport) -> CodeLevel {
    if is_gs1(report.scheme) && !report.fields.contains_key("21") {
        CodeLevel::Lot
    } else {
        CodeLevel::Item
    }
}

/// Checks each code; the codes to store, in their order, and the problems under [`FIELD`].
pub(crate) fn check_codes(texts: &[String], today: Date, p: &mut Problems) -> Vec<SupplierCode> {
    let mut out = Vec::new();
    for (i, code) in split_codes(texts).into_iter().enumerate() {
        let report = codes::check(&code, to_ymd(today));
        let n = i + 1;
        let mut note = String::new();
        for problem in &report.problems {
            let zh = format!("第 {n} 个供方追溯码 {code}：{}", problem.message.zh);
            let en = format!("supplier code {n} ({code}): {}", problem.message.en);
            let refused = problem.is_error() && is_gs1(report.scheme);
            let mut shown = problem.clone();
            shown.message = codes::Message { zh, en };
            if !refused {
                shown.severity = codes::Severity::Warning;
            }
            problem_of(FIELD, &shown, p);
            if report.scheme == CodeKind::Unknown || !report.valid {
                note = problem.message.zh.clone();
            }
        }
        if let Some(fix) = &report.suggestion
            && is_gs1(report.scheme)
        {
            p.warning(
                FIELD,
                "supplier-code.fix",
                format!("第 {n} 个供方追溯码可改为 {fix}"),
                format!("supplier code {n} could be written {fix}"),
            );
        }
        out.push(SupplierCode {
            level: level(&report),
            kind: report.scheme.as_str().to_string(),
            alternative: report.alternative.map(|k| k.as_str().to_string()),
            code,
            note,
        });
    }
    out
}

impl SupplierCode {
    pub(crate) fn to_row(&self) -> store::receipts::ReceiptCode {
        store::receipts::ReceiptCode {
            code: self.code.clone(),
            kind: self.kind.clone(),
            level: self.level.as_str().to_string(),
            note: self.note.clone(),
        }
    }

    pub(crate) fn from_row(row: store::receipts::ReceiptCode) -> SupplierCode {
        SupplierCode {
            level: CodeLevel::from_db(&row.level),
            alternative: None,
            code: row.code,
            kind: row.kind,
            note: row.note,
        }
    }
}

impl CodeLevel {
    pub fn as_str(self) -> &'static str {
        match self {
            CodeLevel::Lot => "lot",
            CodeLevel::Item => "item",
        }
    }

    pub fn from_db(text: &str) -> CodeLevel {
        if text == "lot" {
            CodeLevel::Lot
        } else {
            CodeLevel::Item
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_split_on_lines_and_semicolons_blank_and_repeated_ones_dropped() {
        assert_eq!(
            split_codes(&["a;b\n\nc ；a", " d\r\n"]),
            ["a", "b", "c", "d"]
        );
    }
}
