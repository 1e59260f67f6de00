//! The supplier's codes of a receipt in its receiving record (contract 1.2, §4.4.1): the record's
//! scheme is the supplier's, `code` names their product or lot, `items` are sent at item
//! granularity only when every received piece was scanned. Pure: the codes are read again with
//! `codes::check` on the day the goods were received.

use platform::model::{Granularity, Scheme};
use store::receipts::ReceiptCode;

/// What the supplier's codes put into a receiving record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SupplierMaterial {
    pub scheme: Scheme,
    pub granularity: Granularity,
    pub code: String,
    pub items: Vec<String>,
}

fn scheme_of(kind: &str) -> Option<Scheme> {
    match kind {
        "gs1-element-string" | "gs1-digital-link" | "gtin" => Some(Scheme::Gs1),
        "ecode" => Some(Scheme::Ecode),
        "digital-id" => Some(Scheme::DigitalId),
        _ => None,
    }
}

/// One code as it is reported: its GTIN (gs1), its serial (gs1 item) or the code itself.
struct Read {
    scheme: Scheme,
    item: bool,
    gtin: Option<String>,
    value: String,
}

fn read(code: &ReceiptCode, day: codes::YearMonthDay) -> Option<Read> {
    let scheme = scheme_of(&code.kind)?;
    let item = code.level == "item";
    let report = codes::check(&code.code, day);
    let value = match scheme {
        Scheme::Gs1 if item => report.fields.get("21")?.clone(),
        // An Ecode read from a lookup URL is reported as the Ecode.
        Scheme::Ecode => report
            .fields
            .get("ecode")
            .cloned()
            .unwrap_or_else(|| code.code.clone()),
        _ => code.code.clone(),
    };
    Some(Read {
        scheme,
        item,
        gtin: report.fields.get("01").cloned(),
        value,
    })
}

/// `None` without a code of a scheme the contract knows: the record is built as before.
/// `pieces`: the received quantity when the unit is pieces (`PCE`).
pub(crate) fn supplier_material(
    codes: &[ReceiptCode],
    day: codes::YearMonthDay,
    pieces: Option<f64>,
) -> Option<SupplierMaterial> {
    let read: Vec<Read> = codes.iter().filter_map(|c| read(c, day)).collect();
    // The lot-level code decides the scheme; else the first item code.
    let first = read.iter().find(|r| !r.item).or(read.first())?;
    let scheme = first.scheme;
    let gtin = first.gtin.clone();
    let code = match scheme {
        Scheme::Gs1 => gtin.clone().unwrap_or_default(),
        _ if !first.item => first.value.clone(),
        _ => String::new(),
    };
    let mut items: Vec<String> = Vec::new();
    for r in read.iter().filter(|r| r.item && r.scheme == scheme) {
        // gs1 serials mean something only under the GTIN in `code`.
        if scheme == Scheme::Gs1 && r.gtin != gtin {
            continue;
        }
        if !items.contains(&r.value) {
            items.push(r.value.clone());
        }
    }
    let every_piece = pieces.is_some_and(|n| !items.is_empty() && n == items.len() as f64);
    if !every_piece {
        items.clear();
    }
    Some(SupplierMaterial {
        scheme,
        granularity: if every_piece {
            Granularity::Item
        } else {
            Granularity::Batch
        },
        code,
        items,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(code: &str, kind: &str, level: &str) -> ReceiptCode {
        ReceiptCode {
            code: code.into(),
            kind: kind.into(),
            level: level.into(),
            note: String::new(),
        }
    }

    fn day() -> codes::YearMonthDay {
        codes::YearMonthDay::new(2025, 7, 14).unwrap()
    }

    #[test]
    fn the_supplier_codes_decide_scheme_code_items_and_granularity() {
        let gs1_lot = code("(01)09520123456795(10)S1", "gs1-element-string", "lot");
        let gs1_items: Vec<ReceiptCode> = ["(01)09520123456795(21)A1", "(01)09520123456795(21)A2"]
            .iter()
            .map(|c| code(c, "gs1-element-string", "item"))
            .collect();
        let other_gtin = code("(01)06901234567892(21)B1", "gs1-element-string", "item");
        let ecodes: Vec<ReceiptCode> = [
            "https://www.iotroot.com/E=10064123456789012345",
            "10064123456789012346",
        ]
        .iter()
        .map(|c| code(c, "ecode", "item"))
        .collect();
        let unknown = code("ab", "unknown", "item");
        let all = |parts: &[&[ReceiptCode]]| parts.concat();
        // (codes, received pieces, expected scheme, granularity, code, items)
        type Expected<'a> = Option<(Scheme, Granularity, &'a str, Vec<&'a str>)>;
        let table: Vec<(Vec<ReceiptCode>, Option<f64>, Expected)> = vec![
            (vec![], Some(2.0), None),
            (vec![unknown.clone()], Some(1.0), None),
            (
                all(&[std::slice::from_ref(&gs1_lot), &gs1_items]),
                Some(2.0),
                Some((
                    Scheme::Gs1,
                    Granularity::Item,
                    "09520123456795",
                    vec!["A1", "A2"],
                )),
            ),
            // Not every piece scanned: the lot, no items.
            (
                all(&[std::slice::from_ref(&gs1_lot), &gs1_items]),
                Some(500.0),
                Some((Scheme::Gs1, Granularity::Batch, "09520123456795", vec![])),
            ),
            // Kilograms: never item level.
            (
                all(&[std::slice::from_ref(&gs1_lot), &gs1_items]),
                None,
                Some((Scheme::Gs1, Granularity::Batch, "09520123456795", vec![])),
            ),
            // A serial under another GTIN is not sent.
            (
                all(&[&gs1_items, &[other_gtin]]),
                Some(2.0),
                Some((
                    Scheme::Gs1,
                    Granularity::Item,
                    "09520123456795",
                    vec!["A1", "A2"],
                )),
            ),
            (
                all(&[&ecodes, &[unknown]]),
                Some(2.0),
                Some((
                    Scheme::Ecode,
                    Granularity::Item,
                    "",
                    vec!["10064123456789012345", "10064123456789012346"],
                )),
            ),
            (
                vec![code(
                    "https://www.hgzcloud.com/q/LOT1",
                    "digital-id",
                    "item",
                )],
                Some(10.0),
                Some((Scheme::DigitalId, Granularity::Batch, "", vec![])),
            ),
        ];
        for (codes, pieces, expect) in table {
            let got = supplier_material(&codes, day(), pieces);
            let expect = expect.map(|(scheme, granularity, code, items)| SupplierMaterial {
                scheme,
                granularity,
                code: code.into(),
                items: items.into_iter().map(String::from).collect(),
            });
            assert_eq!(got, expect, "{codes:?} {pieces:?}");
        }
    }
}
