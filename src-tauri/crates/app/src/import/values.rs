//! A row's field values as text the clerk can edit, and reading one corrected row again through
//! the sheet reader itself, so an edit is coerced and checked by exactly the rules of the file.

use crate::messages::Msg;
use sheets::columns::{EnumSpec, GRANULARITY, INSPECTION_RESULT, PARTY_KIND, SCHEME};
use sheets::{
    Decimal, FieldKey, Mapping, MaterialUse, ReadOptions, RecordDraft, RecordKind, RowRead,
    Workbook,
};
use time::Date;

use crate::{ImportValue, Result};

fn date(d: Option<Date>) -> Option<String> {
    d.map(super::iso)
}

fn dec(q: &Option<Decimal>) -> Option<String> {
    q.as_ref().map(|q| q.as_str().to_string())
}

/// The Chinese label of an enumeration key (`pass` → 合格), which the reader accepts back.
fn label(spec: &EnumSpec, key: &str) -> String {
    spec.values
        .iter()
        .find(|v| v.key == key)
        .map_or_else(|| key.to_string(), |v| v.zh.to_string())
}

fn lots(m: &[MaterialUse]) -> Option<String> {
    if m.is_empty() {
        return None;
    }
    Some(
        m.iter()
            .map(|u| match &u.quantity {
                Some(q) => format!("{}×{}", u.lot, q.as_str()),
                None => u.lot.clone(),
            })
            .collect::<Vec<_>>()
            .join("、"),
    )
}

fn inspection(r: Option<sheets::InspectionResult>) -> Option<String> {
    r.map(|r| label(&INSPECTION_RESULT, super::inspection(Some(r))))
}

/// Every field of the draft with its value as text, in the kind's field order.
pub(super) fn draft_values(draft: &RecordDraft) -> Vec<(FieldKey, Option<String>)> {
    use FieldKey as F;
    match draft {
        RecordDraft::Product(d) => vec![
            (F::Name, d.name.clone()),
            (F::Model, d.model.clone()),
            (F::Category, d.category.clone()),
            (F::Brand, d.brand.clone()),
            (F::Standard, d.standard.clone()),
            (F::Gtin, d.gtin.clone()),
            (
                F::Scheme,
                d.scheme.map(|s| {
                    label(
                        &SCHEME,
                        match s {
                            sheets::Scheme::Gs1 => "gs1",
                            sheets::Scheme::Ecode => "ecode",
                            sheets::Scheme::DigitalId => "digital_id",
                        },
                    )
                }),
            ),
            (
                F::Granularity,
                d.granularity.map(|g| {
                    label(
                        &GRANULARITY,
                        match g {
                            sheets::Granularity::Product => "product",
                            sheets::Granularity::Batch => "batch",
                            sheets::Granularity::Item => "item",
                        },
                    )
                }),
            ),
            (F::CccCertNo, d.ccc_cert_no.clone()),
            (F::CccValidTo, date(d.ccc_valid_to)),
        ],
        RecordDraft::Party(d) => vec![
            (
                F::PartyKind,
                d.kind.map(|k| {
                    label(
                        &PARTY_KIND,
                        match k {
                            sheets::PartyKind::Supplier => "supplier",
                            sheets::PartyKind::Customer => "customer",
                        },
                    )
                }),
            ),
            (F::Name, d.name.clone()),
            (F::Uscc, d.uscc.clone()),
            (F::Address, d.address.clone()),
            (F::Contact, d.contact.clone()),
            (F::Phone, d.phone.clone()),
        ],
        RecordDraft::Receipt(d) => vec![
            (F::ReceivedOn, date(d.received_on)),
            (F::Supplier, d.supplier.clone()),
            (F::SupplierUscc, d.supplier_uscc.clone()),
            (F::Material, d.material.clone()),
            (F::Spec, d.spec.clone()),
            (F::SupplierLot, d.supplier_lot.clone()),
            (F::Quantity, dec(&d.quantity)),
            (F::Unit, d.unit.clone()),
            (F::InspectionResult, inspection(d.inspection_result)),
            (F::ReportNo, d.report_no.clone()),
            (F::Note, d.note.clone()),
            (F::SupplierCodes, d.supplier_codes.clone()),
            (F::ComponentCcc, d.component_ccc.clone()),
        ],
        RecordDraft::Batch(d) => vec![
            (F::Product, d.product.clone()),
            (F::Gtin, d.gtin.clone()),
            (F::LotNo, d.lot_no.clone()),
            (F::ProducedOn, date(d.produced_on)),
            (F::Quantity, dec(&d.quantity)),
            (F::Unit, d.unit.clone()),
            (F::Materials, lots(&d.materials)),
            (F::InspectionResult, inspection(d.inspection_result)),
            (F::Inspector, d.inspector.clone()),
            (F::ReportNo, d.report_no.clone()),
        ],
        RecordDraft::Item(d) => vec![
            (F::Gtin, d.gtin.clone()),
            (F::LotNo, d.lot_no.clone()),
            (F::Serial, d.serial.clone()),
            (F::ProducedOn, date(d.produced_on)),
        ],
        RecordDraft::Shipment(d) => vec![
            (F::ShippedOn, date(d.shipped_on)),
            (F::Customer, d.customer.clone()),
            (F::CustomerUscc, d.customer_uscc.clone()),
            (F::DeliveryNoteNo, d.delivery_note_no.clone()),
            (F::Product, d.product.clone()),
            (F::Gtin, d.gtin.clone()),
            (F::LotNo, d.lot_no.clone()),
            (F::Quantity, dec(&d.quantity)),
            (F::Unit, d.unit.clone()),
        ],
    }
}

/// The mapped fields of a row as the grid shows them: what was read, or, where a cell could not
/// be read, its raw content from the problem that says why.
pub(super) fn row_values(row: &RowRead, mapping: Option<&Mapping>) -> Vec<ImportValue> {
    let Some(mapping) = mapping else {
        return Vec::new();
    };
    let mut values = draft_values(&row.record);
    // Template order for the fields the draft lists; any other mapped field (none today) last.
    values.retain(|(f, _)| mapping.column_of(*f).is_some());
    values
        .into_iter()
        .map(|(field, text)| {
            let text = text.or_else(|| {
                row.problems
                    .iter()
                    .find(|p| p.field == Some(field) && p.value.is_some())
                    .and_then(|p| p.value.clone())
            });
            ImportValue {
                field: field.as_str().to_string(),
                text: text.unwrap_or_default(),
            }
        })
        .collect()
}

/// One CSV field, quoted.
fn quote(text: &str) -> String {
    format!("\"{}\"", text.replace('"', "\"\""))
}

/// Reads row `row` again as the clerk corrected it: the row's texts are laid out in the sheet's
/// own columns, under the sheet's own header texts, at the sheet's own row number, and read by the
/// same reader with the same mapping. Problems therefore name the real row, column and header.
///
/// The layout is a CSV text: `row - 2` lines holding only a delimiter (empty records, so the row
/// numbers count as in the sheet), the header line, then the row.
pub(super) fn reread_row(
    kind: RecordKind,
    sheet: &str,
    mapping: &Mapping,
    row: u32,
    values: &[ImportValue],
    today: Date,
) -> Result<RowRead> {
    if row < 2 {
        return Err(Msg::ImportRowNotData { row: row as i64 }.err());
    }
    let width = mapping.columns.len().max(1);
    let mut header = Vec::with_capacity(width);
    let mut data = Vec::with_capacity(width);
    for c in &mapping.columns {
        header.push(quote(&c.header_text));
        let text = c
            .field
            .and_then(|f| values.iter().find(|v| v.field == f.as_str()))
            .map(|v| v.text.trim().to_string())
            .unwrap_or_default();
        data.push(quote(&text));
    }
    let mut csv = String::with_capacity((row as usize) * 2 + 256);
    for _ in 0..row - 2 {
        csv.push_str(",\n");
    }
    csv.push_str(&header.join(","));
    csv.push('\n');
    csv.push_str(&data.join(","));
    csv.push('\n');

    let mut m = mapping.clone();
    m.header_row = row - 1;
    let mut wb = Workbook::from_bytes(csv.into_bytes(), "row.csv").map_err(super::read_error)?;
    let name = wb.sheets()[0].name.clone();
    let read = wb
        .read(&name, kind, &ReadOptions::new(today).with_mapping(m))
        .map_err(super::read_error)?;
    let mut found = read
        .rows
        .into_iter()
        .find(|r| r.row == row)
        .ok_or_else(|| Msg::ImportRowEmpty { row: row as i64 }.err())?;
    for p in &mut found.problems {
        p.sheet = sheet.to_string();
    }
    Ok(found)
}
