//! Hostile text in exports: names that look like formulas are written as text.

use super::*;

const LINK: &str = r#"=HYPERLINK("http://x","y")"#;
const SUM: &str = "@SUM(1)";

/// Asserts that `path` holds `hostile` somewhere, and only as neutralised text.
fn assert_text_only(path: &str, hostile: &[&str]) {
    let (cells, formulas) = xlsx_cells(Path::new(path));
    assert_eq!(formulas, 0, "{path}: no formula cell");
    for h in hostile {
        let holding: Vec<&(String, String)> = cells.iter().filter(|(_, s)| s.contains(h)).collect();
        assert!(!holding.is_empty(), "{path}: {h} is exported somewhere");
        for (sheet, text) in holding {
            if text.trim_start_matches('\'').starts_with(h) {
                assert!(
                    text.starts_with('\'') && text[1..].starts_with(h),
                    "{path} [{sheet}]: {text:?} starts with {h} and must be text with a leading '"
                );
            }
        }
    }
    for (sheet, text) in &cells {
        assert!(
            !sheets::safe::could_be_formula(text),
            "{path} [{sheet}]: {text:?} could still run as a formula"
        );
    }
}

#[test]
fn every_list_trace_and_recall_export_writes_formula_like_names_as_text() {
    let (_dir, app) = app();
    let gas = product(&app, LINK, "6901234000016");
    let mut receipt = receipt_input(SUM, LINK, "V1", 500.0, "2025-03-02");
    receipt.note = "＋86 574 8888 8888".into();
    receipt.spec = "-2+3".into();
    let lot = app.add_receipt(&receipt).unwrap();
    let mut batch = batch_input(gas.id, "B20250305-1", "2025-03-05", &[(lot.id, 60.0)]);
    batch.inspector = SUM.into();
    let batch = app.add_batch(&batch).unwrap();
    let mut shipment = shipment_input("=1+1", "DN-1", "2025-03-10", &[(batch.id, 30.0)]);
    shipment.note = SUM.into();
    app.add_shipment(&shipment).unwrap();

    for (kind, hostile) in [
        (ListKind::Products, vec![LINK]),
        (ListKind::Parties, vec![SUM, "=1+1"]),
        (ListKind::Receipts, vec![SUM, LINK, "＋86", "-2+3"]),
        (ListKind::Batches, vec![LINK, SUM]),
        (ListKind::Shipments, vec!["=1+1", SUM]),
    ] {
        let out = app.export_list(kind, &ListQuery::default(), None).unwrap();
        assert_text_only(&out.path, &hostile);
    }
    let trace = app.trace("V1").unwrap();
    let out = app.export_trace(&trace, None).unwrap();
    assert_text_only(&out.path, &[LINK, SUM, "=1+1"]);
    let recall = app
        .recall(&RecallRequest {
            start: TraceRef {
                kind: TraceKind::MaterialLot,
                id: lot.id,
            },
            reason: SUM.into(),
        })
        .unwrap();
    let out = app.export_recall(&recall, None).unwrap();
    assert_text_only(&out.path, &[LINK, "=1+1"]);
    // The numbers stay numbers: the recall list's quantities are not text.
    use calamine::{Data, Reader, open_workbook_auto};
    let mut book = open_workbook_auto(&out.path).unwrap();
    let numbers = book
        .sheet_names()
        .iter()
        .map(|n| book.worksheet_range(n).unwrap())
        .flat_map(|r| r.used_cells().map(|c| c.2.clone()).collect::<Vec<_>>())
        .filter(|d| matches!(d, Data::Float(_) | Data::Int(_)))
        .count();
    assert!(numbers > 0, "quantities are written as numbers");
}
