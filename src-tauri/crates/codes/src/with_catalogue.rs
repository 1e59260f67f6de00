//! Checking a code against the catalogues in use rather than the shipped ones: the app loads a
//! newer CCC catalogue when an administrator installs one, and its checks must use it.
//!
//! [`check_with`] is [`crate::check()`] with the CCC catalogue as a parameter. It runs the usual
//! check and then redoes the one thing the catalogue decides (the product code's warning and the
//! product name), so the detection in `check` stays one piece of code.

use crate::ccc::{self, CccCatalogue};
use crate::check::{CodeKind, CodeReport, check};
use crate::date::YearMonthDay;

/// The codes of the warnings the CCC catalogue decides.
const CATALOGUE_WARNINGS: [&str; 2] = ["ccc.unknown-category", "ccc.unconfirmed-category"];

/// Checks a code of any scheme, a CCC certificate number against `catalogue`.
pub fn check_with(text: &str, today: YearMonthDay, catalogue: &CccCatalogue) -> CodeReport {
    let mut report = check(text, today);
    if report.scheme != CodeKind::CccCert {
        return report;
    }
    let Some(cert) = report.fields.get("certificate").cloned() else {
        return report;
    };
    // Where the product code's warning points: where the shipped check put it, or position 7 of
    // the number after any leading blanks.
    let lead = text.chars().take_while(|c| c.is_whitespace()).count() as u32;
    let at = report
        .problems
        .iter()
        .find(|p| CATALOGUE_WARNINGS.contains(&p.code.as_str()))
        .and_then(|p| p.position)
        .unwrap_or(7 + lead);
    let index = report
        .problems
        .iter()
        .position(|p| CATALOGUE_WARNINGS.contains(&p.code.as_str()))
        .unwrap_or(report.problems.len());
    report
        .problems
        .retain(|p| !CATALOGUE_WARNINGS.contains(&p.code.as_str()));
    let (value, problems) = ccc::analyse_cert_in(&cert, ccc::valid_years(today.year()), catalogue);
    let fresh = problems
        .into_iter()
        .filter(|p| CATALOGUE_WARNINGS.contains(&p.code.as_str()))
        .map(|mut p| {
            p.shift(at.saturating_sub(p.position.unwrap_or(at)));
            p
        });
    let index = index.min(report.problems.len());
    report.problems.splice(index..index, fresh);
    report.fields.remove("productName");
    if let Some(p) = value.as_ref().and_then(|v| v.product_in(catalogue)) {
        report.fields.insert("productName".into(), p.name.clone());
    }
    report
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::problem::describe_problems;

    fn ymd() -> YearMonthDay {
        YearMonthDay::new(2026, 12, 8).expect("a real date")
    }

    /// A catalogue that knows 1699 (confirmed) and 2401 (unconfirmed), and no other code.
    fn small() -> CccCatalogue {
        CccCatalogue::parse(
            "# name: ccc_catalogue\n# source: test\n# version: 2030-01-01\n\
             code\tname\tcategory\tcategory_name\tself_declaration\tstatus\tnote\n\
             1699\t试验品\t16\t-\t-\tsource\t-\n\
             2401\t家用燃气灶具\t24\t家用燃气器具\t-\tunconfirmed\ttest row\n",
        )
        .expect("a valid catalogue")
    }

    #[test]
    fn the_loaded_catalogue_decides_the_product_warning_and_name() {
        let cat = small();
        for (text, expect, name) in [
            // Known and confirmed in the loaded one, unknown in the shipped one.
            ("2020011699000001", "", Some("试验品")),
            // Unconfirmed row: a note, not the not-found warning.
            (
                "2024012401000123",
                "w:ccc.unconfirmed-category@7",
                Some("家用燃气灶具"),
            ),
            // Known in the shipped one, unknown in the loaded one.
            ("2016010901123456", "w:ccc.unknown-category@7", None),
            // Leading blanks move the position.
            ("  2016010901123456", "w:ccc.unknown-category@9", None),
            // The year error stays, the catalogue's warning follows it.
            (
                "2030010901123456",
                "ccc.year@1 w:ccc.unknown-category@7",
                None,
            ),
        ] {
            let report = check_with(text, ymd(), &cat);
            assert_eq!(describe_problems(&report.problems), expect, "{text}");
            assert_eq!(
                report.fields.get("productName").map(String::as_str),
                name,
                "{text}"
            );
        }
    }

    #[test]
    fn other_schemes_are_checked_as_usual() {
        let text = "(01)09506000134352(10)ABC123";
        assert_eq!(check_with(text, ymd(), &small()), check(text, ymd()));
    }

    #[test]
    fn with_the_shipped_catalogue_it_is_the_usual_check() {
        for text in ["2016010901123456", "2024012401000123", "2020011699000001"] {
            assert_eq!(
                check_with(text, ymd(), ccc::shipped()),
                check(text, ymd()),
                "{text}"
            );
        }
    }
}
