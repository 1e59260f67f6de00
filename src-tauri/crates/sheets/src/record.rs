//! The typed drafts a row becomes. Fields are `Option` because a row with problems still yields
//! a draft of what could be read, so the UI can show and fix it. Codes stay `String`.

use serde::Serialize;
use time::Date;

use crate::cell::{Decimal, MaterialUse};
use crate::columns::{FieldKey, FieldSpec, RecordKind};

time::serde::format_description!(ymd, Date, "[year]-[month]-[day]");

mod opt_date {
    use serde::Serializer;
    use time::Date;

    pub fn serialize<S: Serializer>(d: &Option<Date>, s: S) -> Result<S::Ok, S::Error> {
        match d {
            Some(d) => super::ymd::serialize(d, s),
            None => s.serialize_none(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum InspectionResult {
    Pass,
    Fail,
    Pending,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PartyKind {
    Supplier,
    Customer,
}

/// The shared vocabulary of `codes` (a product's 追溯码方案 and 赋码粒度).
pub use codes::{Granularity, Scheme};

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProductDraft {
    pub name: Option<String>,
    pub model: Option<String>,
    pub category: Option<String>,
    pub brand: Option<String>,
    pub standard: Option<String>,
    pub gtin: Option<String>,
    pub scheme: Option<Scheme>,
    pub granularity: Option<Granularity>,
    pub ccc_cert_no: Option<String>,
    #[serde(with = "opt_date")]
    pub ccc_valid_to: Option<Date>,
    pub licence_no: Option<String>,
    pub production_address: Option<String>,
    /// `none`, `manufacturer` or `principal` ([`crate::columns::OEM_ROLE`]).
    pub oem_role: Option<String>,
    pub oem_name: Option<String>,
    pub oem_uscc: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PartyDraft {
    pub kind: Option<PartyKind>,
    pub name: Option<String>,
    pub uscc: Option<String>,
    pub address: Option<String>,
    pub contact: Option<String>,
    pub phone: Option<String>,
    /// `organisation`, `individual` or `foreign` ([`crate::columns::PARTY_TYPE`]).
    pub party_type: Option<String>,
    /// As read: possibly a full ID card number. The app keeps only its masked form.
    #[serde(skip)]
    pub id_number: Option<String>,
    pub consent: Option<bool>,
    pub country: Option<String>,
    pub foreign_reg_no: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReceiptDraft {
    #[serde(with = "opt_date")]
    pub received_on: Option<Date>,
    pub supplier: Option<String>,
    pub supplier_uscc: Option<String>,
    pub material: Option<String>,
    pub spec: Option<String>,
    pub supplier_lot: Option<String>,
    pub quantity: Option<Decimal>,
    pub unit: Option<String>,
    pub inspection_result: Option<InspectionResult>,
    pub report_no: Option<String>,
    pub note: Option<String>,
    /// 供方追溯码: one or several codes, as the cell holds them (split by the app).
    pub supplier_codes: Option<String>,
    /// 部件CCC证书编号.
    pub component_ccc: Option<String>,
    /// 采购订单号, 发票号, 送货单号.
    pub purchase_order_no: Option<String>,
    pub invoice_no: Option<String>,
    pub delivery_note_no: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BatchDraft {
    pub product: Option<String>,
    pub gtin: Option<String>,
    pub lot_no: Option<String>,
    #[serde(with = "opt_date")]
    pub produced_on: Option<Date>,
    pub quantity: Option<Decimal>,
    pub unit: Option<String>,
    pub materials: Vec<MaterialUse>,
    pub inspection_result: Option<InspectionResult>,
    pub inspector: Option<String>,
    pub report_no: Option<String>,
    /// 检验日期, 有效期至, 生产工单号.
    #[serde(with = "opt_date")]
    pub inspected_on: Option<Date>,
    #[serde(with = "opt_date")]
    pub expires_on: Option<Date>,
    pub work_order_no: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ItemDraft {
    pub gtin: Option<String>,
    pub lot_no: Option<String>,
    pub serial: Option<String>,
    #[serde(with = "opt_date")]
    pub produced_on: Option<Date>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ShipmentDraft {
    #[serde(with = "opt_date")]
    pub shipped_on: Option<Date>,
    pub customer: Option<String>,
    pub customer_uscc: Option<String>,
    pub delivery_note_no: Option<String>,
    pub product: Option<String>,
    pub gtin: Option<String>,
    pub lot_no: Option<String>,
    pub quantity: Option<Decimal>,
    pub unit: Option<String>,
    pub ship_to: Option<String>,
    /// 销售订单号, 发票号.
    pub order_no: Option<String>,
    pub invoice_no: Option<String>,
}

/// One row, read as far as it could be.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum RecordDraft {
    // Boxed: a sheet of 300,000 item rows should not carry the room of a receipt in every row.
    Product(Box<ProductDraft>),
    Party(Box<PartyDraft>),
    Receipt(Box<ReceiptDraft>),
    Batch(Box<BatchDraft>),
    Item(Box<ItemDraft>),
    Shipment(Box<ShipmentDraft>),
}

impl RecordDraft {
    /// Appends the text [`Value::key`] gives for the value field `key` was read into; `false`
    /// when the draft has none. Covers the fields that make duplicate keys (and the product a
    /// row names).
    pub(crate) fn push_key(&self, key: FieldKey, out: &mut String) -> bool {
        use FieldKey as F;
        let text = |v: &Option<String>, out: &mut String| match v {
            Some(s) => {
                out.push_str(s);
                true
            }
            None => false,
        };
        match (self, key) {
            (RecordDraft::Product(d), F::Gtin) => text(&d.gtin, out),
            (RecordDraft::Product(d), F::Name) => text(&d.name, out),
            (RecordDraft::Product(d), F::Model) => text(&d.model, out),
            (RecordDraft::Party(d), F::Uscc) => text(&d.uscc, out),
            (RecordDraft::Party(d), F::PartyKind) => match d.kind {
                Some(PartyKind::Supplier) => {
                    out.push_str("supplier");
                    true
                }
                Some(PartyKind::Customer) => {
                    out.push_str("customer");
                    true
                }
                None => false,
            },
            (RecordDraft::Receipt(d), F::Supplier) => text(&d.supplier, out),
            (RecordDraft::Receipt(d), F::Material) => text(&d.material, out),
            (RecordDraft::Receipt(d), F::SupplierLot) => text(&d.supplier_lot, out),
            (RecordDraft::Receipt(d), F::ReceivedOn) => match d.received_on {
                Some(date) => {
                    out.push_str(&crate::cell::format_date(date));
                    true
                }
                None => false,
            },
            (RecordDraft::Batch(d), F::Gtin) => text(&d.gtin, out),
            (RecordDraft::Batch(d), F::Product) => text(&d.product, out),
            (RecordDraft::Batch(d), F::LotNo) => text(&d.lot_no, out),
            (RecordDraft::Item(d), F::Gtin) => text(&d.gtin, out),
            (RecordDraft::Item(d), F::LotNo) => text(&d.lot_no, out),
            (RecordDraft::Item(d), F::Serial) => text(&d.serial, out),
            (RecordDraft::Shipment(d), F::DeliveryNoteNo) => text(&d.delivery_note_no, out),
            (RecordDraft::Shipment(d), F::Gtin) => text(&d.gtin, out),
            (RecordDraft::Shipment(d), F::Product) => text(&d.product, out),
            (RecordDraft::Shipment(d), F::LotNo) => text(&d.lot_no, out),
            _ => false,
        }
    }
}

/// A coerced field value.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Value {
    Text(String),
    Date(Date),
    Quantity(Decimal),
    Enum(&'static str),
    Lots(Vec<MaterialUse>),
}

impl Value {
    /// [`Value::key`] appended to `out`, without building it on its own.
    pub fn push_key(&self, out: &mut String) {
        match self {
            Value::Text(s) => out.push_str(s),
            Value::Enum(k) => out.push_str(k),
            other => out.push_str(&other.key()),
        }
    }

    /// The value as a comparable key for duplicate checks.
    pub fn key(&self) -> String {
        match self {
            Value::Text(s) => s.clone(),
            Value::Date(d) => crate::cell::format_date(*d),
            Value::Quantity(q) => q.to_string(),
            Value::Enum(k) => (*k).to_string(),
            Value::Lots(l) => l
                .iter()
                .map(|m| m.lot.as_str())
                .collect::<Vec<_>>()
                .join(","),
        }
    }
}

/// Field values of one row by field index, taken out one by one into a draft.
pub(crate) struct Values<'a> {
    pub fields: &'static [FieldSpec],
    pub values: &'a mut [Option<Value>],
}

impl Values<'_> {
    fn take(&mut self, key: FieldKey) -> Option<Value> {
        let i = self.fields.iter().position(|f| f.key == key)?;
        self.values[i].take()
    }
    fn text(&mut self, key: FieldKey) -> Option<String> {
        match self.take(key)? {
            Value::Text(s) => Some(s),
            _ => None,
        }
    }
    fn date(&mut self, key: FieldKey) -> Option<Date> {
        match self.take(key)? {
            Value::Date(d) => Some(d),
            _ => None,
        }
    }
    fn quantity(&mut self, key: FieldKey) -> Option<Decimal> {
        match self.take(key)? {
            Value::Quantity(d) => Some(d),
            _ => None,
        }
    }
    fn enum_key(&mut self, key: FieldKey) -> Option<&'static str> {
        match self.take(key)? {
            Value::Enum(k) => Some(k),
            _ => None,
        }
    }
    fn lots(&mut self, key: FieldKey) -> Vec<MaterialUse> {
        match self.take(key) {
            Some(Value::Lots(l)) => l,
            _ => Vec::new(),
        }
    }
    fn inspection(&mut self) -> Option<InspectionResult> {
        match self.enum_key(FieldKey::InspectionResult)? {
            "pass" => Some(InspectionResult::Pass),
            "fail" => Some(InspectionResult::Fail),
            "pending" => Some(InspectionResult::Pending),
            _ => None,
        }
    }
}

/// The scheme of a spreadsheet enum key ([`crate::columns::SCHEME`]): the keys are the
/// vocabulary's spellings, except `digital_id`, the sheet's older spelling of `digital-id`.
fn scheme_of_key(key: &str) -> Option<Scheme> {
    match key {
        "digital_id" => Some(Scheme::DigitalId),
        key => Scheme::parse(key),
    }
}

pub(crate) fn build(kind: RecordKind, mut v: Values<'_>) -> RecordDraft {
    use FieldKey as F;
    match kind {
        RecordKind::Product => RecordDraft::Product(Box::new(ProductDraft {
            name: v.text(F::Name),
            model: v.text(F::Model),
            category: v.text(F::Category),
            brand: v.text(F::Brand),
            standard: v.text(F::Standard),
            gtin: v.text(F::Gtin),
            scheme: v.enum_key(F::Scheme).and_then(scheme_of_key),
            granularity: v.enum_key(F::Granularity).and_then(Granularity::parse),
            ccc_cert_no: v.text(F::CccCertNo),
            ccc_valid_to: v.date(F::CccValidTo),
            licence_no: v.text(F::LicenceNo),
            production_address: v.text(F::ProductionAddress),
            oem_role: v.enum_key(F::OemRole).map(str::to_string),
            oem_name: v.text(F::OemName),
            oem_uscc: v.text(F::OemUscc),
        })),
        RecordKind::Party => RecordDraft::Party(Box::new(PartyDraft {
            kind: match v.enum_key(F::PartyKind) {
                Some("supplier") => Some(PartyKind::Supplier),
                Some("customer") => Some(PartyKind::Customer),
                _ => None,
            },
            name: v.text(F::Name),
            uscc: v.text(F::Uscc),
            address: v.text(F::Address),
            contact: v.text(F::Contact),
            phone: v.text(F::Phone),
            party_type: v.enum_key(F::PartyType).map(str::to_string),
            id_number: v.text(F::IdNumber),
            consent: v.enum_key(F::Consent).map(|k| k == "yes"),
            country: v.text(F::Country),
            foreign_reg_no: v.text(F::ForeignRegNo),
        })),
        RecordKind::Receipt => RecordDraft::Receipt(Box::new(ReceiptDraft {
            received_on: v.date(F::ReceivedOn),
            supplier: v.text(F::Supplier),
            supplier_uscc: v.text(F::SupplierUscc),
            material: v.text(F::Material),
            spec: v.text(F::Spec),
            supplier_lot: v.text(F::SupplierLot),
            quantity: v.quantity(F::Quantity),
            unit: v.text(F::Unit),
            inspection_result: v.inspection(),
            report_no: v.text(F::ReportNo),
            note: v.text(F::Note),
            supplier_codes: v.text(F::SupplierCodes),
            component_ccc: v.text(F::ComponentCcc),
            purchase_order_no: v.text(F::PurchaseOrderNo),
            invoice_no: v.text(F::InvoiceNo),
            delivery_note_no: v.text(F::DeliveryNoteNo),
        })),
        RecordKind::Batch => RecordDraft::Batch(Box::new(BatchDraft {
            product: v.text(F::Product),
            gtin: v.text(F::Gtin),
            lot_no: v.text(F::LotNo),
            produced_on: v.date(F::ProducedOn),
            quantity: v.quantity(F::Quantity),
            unit: v.text(F::Unit),
            materials: v.lots(F::Materials),
            inspection_result: v.inspection(),
            inspector: v.text(F::Inspector),
            report_no: v.text(F::ReportNo),
            inspected_on: v.date(F::InspectedOn),
            expires_on: v.date(F::ExpiresOn),
            work_order_no: v.text(F::WorkOrderNo),
        })),
        RecordKind::Item => RecordDraft::Item(Box::new(ItemDraft {
            gtin: v.text(F::Gtin),
            lot_no: v.text(F::LotNo),
            serial: v.text(F::Serial),
            produced_on: v.date(F::ProducedOn),
        })),
        RecordKind::Shipment => RecordDraft::Shipment(Box::new(ShipmentDraft {
            shipped_on: v.date(F::ShippedOn),
            customer: v.text(F::Customer),
            customer_uscc: v.text(F::CustomerUscc),
            delivery_note_no: v.text(F::DeliveryNoteNo),
            product: v.text(F::Product),
            gtin: v.text(F::Gtin),
            lot_no: v.text(F::LotNo),
            quantity: v.quantity(F::Quantity),
            unit: v.text(F::Unit),
            ship_to: v.text(F::ShipTo),
            order_no: v.text(F::OrderNo),
            invoice_no: v.text(F::InvoiceNo),
        })),
    }
}
