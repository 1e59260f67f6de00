//! The payload model: what tracedesk reports, in EPCIS 2.0 terms (domain.md §F.3, contract §4).
//!
//! These are plain Rust values with no serde attributes: `wire.rs` owns the JSON spelling. Text
//! members are `String`s, and an **empty string means "absent"**: the contract forbids `""` and
//! `null` (§3), so conversion omits empty members. A member the contract requires but the local
//! data lacks is therefore simply left out, and the platform answers `E_REQUIRED` with a pointer;
//! the pre-submission checklist (in `app`) names the same gaps before sending.
//!
//! Quantities are decimal strings ([`quantity`]) and dates are ISO text, normalised once when a
//! record is built, because the idempotency key covers the exact values (§3).

/// 编码体系 and 赋码粒度 (contract §4.1 `scheme`, `granularity`, §4.4): the shared vocabulary of
/// `codes`, whose `as_str` spelling is the contract's.
pub use codes::{Granularity, Scheme};

/// The record kinds of contract §4.1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    Enterprise,
    Product,
    Commissioning,
    Receiving,
    Transformation,
    Shipping,
    ErrorDeclaration,
}

impl Kind {
    pub const ALL: [Kind; 7] = [
        Kind::Enterprise,
        Kind::Product,
        Kind::Commissioning,
        Kind::Receiving,
        Kind::Transformation,
        Kind::Shipping,
        Kind::ErrorDeclaration,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Enterprise => "enterprise",
            Kind::Product => "product",
            Kind::Commissioning => "commissioning",
            Kind::Receiving => "receiving",
            Kind::Transformation => "transformation",
            Kind::Shipping => "shipping",
            Kind::ErrorDeclaration => "errorDeclaration",
        }
    }

    pub fn parse(text: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.as_str() == text)
    }

    /// The Chinese name a clerk knows the record by.
    pub fn label_zh(self) -> &'static str {
        match self {
            Kind::Enterprise => "企业主体",
            Kind::Product => "产品",
            Kind::Commissioning => "赋码",
            Kind::Receiving => "进货查验",
            Kind::Transformation => "生产",
            Kind::Shipping => "销售出库",
            Kind::ErrorDeclaration => "更正声明",
        }
    }
}

/// One record to report: envelope plus payload (contract §4.1).
#[derive(Debug, Clone, PartialEq)]
pub struct Record {
    pub scheme: Scheme,
    pub granularity: Granularity,
    pub payload: Payload,
}

impl Record {
    pub fn kind(&self) -> Kind {
        match &self.payload {
            Payload::Enterprise(_) => Kind::Enterprise,
            Payload::Product(_) => Kind::Product,
            Payload::Commissioning(_) => Kind::Commissioning,
            Payload::Receiving(_) => Kind::Receiving,
            Payload::Transformation(_) => Kind::Transformation,
            Payload::Shipping(_) => Kind::Shipping,
            Payload::ErrorDeclaration(_) => Kind::ErrorDeclaration,
        }
    }
}

// Records are built one at a time and sealed at once; since contract 1.2's Party members the
// event payloads outweigh the master data ones, which costs nothing worth a box.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq)]
pub enum Payload {
    Enterprise(Enterprise),
    Product(Product),
    Commissioning(Commissioning),
    Receiving(Receiving),
    Transformation(Transformation),
    Shipping(Shipping),
    ErrorDeclaration(ErrorDeclaration),
}

/// 企业主体 (§4.5), EPCIS master data.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Enterprise {
    pub uscc: String,
    pub name: String,
    pub address: String,
    pub contact_name: String,
    pub contact_phone: String,
    /// GS1 厂商识别代码, 7–12 digits.
    pub gcp: String,
    pub production_licence_no: String,
    /// 生产地址 (contract 1.2), when it differs from `address`.
    pub production_address: String,
    pub client_ref: String,
}

/// CCC certificate linked to a product (§4.6).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Ccc {
    pub certificate_no: String,
    pub valid_from: String,
    pub valid_to: String,
}

/// 产品 (§4.6), EPCIS master data (an EPC class).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Product {
    pub enterprise_uscc: String,
    /// GTIN-14 for gs1; the platform's product code for ecode / digital-id.
    pub product_code: String,
    pub name: String,
    pub model: String,
    pub brand: String,
    pub category: String,
    pub standard: String,
    pub ccc: Option<Ccc>,
    /// 生产许可证编号 of this product (contract 1.2), when it differs from the enterprise's.
    pub production_licence_no: String,
    /// 生产地址 of this product (contract 1.2).
    pub production_address: String,
    /// 委托生产 (contract 1.2).
    pub entrustment: Option<Entrustment>,
    pub client_ref: String,
}

/// 委托生产 (contract 1.2, §4.6): `role` is the enterprise's side, `manufacturer` (it makes the
/// product for the 委托方 named here) or `principal` (it is the 委托方; the entrusted
/// manufacturer is named here).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Entrustment {
    pub role: String,
    pub name: String,
    pub uscc: String,
}

/// Goods of our own products (§4.4 Line). Which members are sent depends on the record's
/// granularity: `items` for 一物一码, `quantity` + `unit` (and `lot`) otherwise.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Line {
    pub product_code: String,
    pub lot: String,
    pub quantity: String,
    /// UN/ECE Rec 20 code ([`unit_code`]).
    pub unit: String,
    pub items: Vec<String>,
}

/// Received goods (§4.4 MaterialLine).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct MaterialLine {
    pub name: String,
    pub model: String,
    pub code: String,
    pub lot: String,
    pub quantity: String,
    pub unit: String,
    pub items: Vec<String>,
    /// The CCC 证书编号 of a key component of the goods (contract 1.2, §4.4); empty when none.
    pub ccc: String,
}

/// A supplier or customer (§4.4 Party).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Party {
    /// `` or `organisation` (sent without `kind`, as in 1.0/1.1), `individual`, `foreign`
    /// (contract 1.2).
    pub kind: String,
    pub name: String,
    pub uscc: String,
    pub address: String,
    pub contact_name: String,
    pub contact_phone: String,
    /// A person's masked ID card number, `110***********002X`.
    pub id_number_masked: String,
    /// A person's masked mobile number, `138****5678`.
    pub mobile_masked: String,
    /// When the person consented (dateTime).
    pub consent_at: String,
    /// A foreign buyer's country, ISO 3166-1 alpha-2.
    pub country: String,
    /// A foreign buyer's registration number.
    pub registration_no: String,
}

/// 检验 (§4.4 Inspection). `result` is `pass` or `fail`; empty while the inspection is pending.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Inspection {
    pub result: String,
    pub report_no: String,
    pub inspector: String,
    pub date: String,
}

/// 赋码 (§4.7): EPCIS ObjectEvent ADD, bizStep commissioning.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Commissioning {
    pub enterprise_uscc: String,
    pub event_time: String,
    pub line: Line,
    pub production_date: String,
    pub expiry_date: String,
    pub client_ref: String,
}

/// 进货查验 (§4.8): EPCIS ObjectEvent OBSERVE, bizStep receiving.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Receiving {
    pub enterprise_uscc: String,
    pub event_time: String,
    pub supplier: Party,
    pub material: MaterialLine,
    pub inspection: Inspection,
    pub purchase_order: String,
    pub invoice_no: String,
    pub delivery_note: String,
    pub client_ref: String,
}

/// A material lot consumed by production (§4.9 Input).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Input {
    pub name: String,
    pub lot: String,
    pub quantity: String,
    pub unit: String,
    pub code: String,
    pub supplier_uscc: String,
    /// The idempotency key of the `receiving` record the lot came in with.
    pub receiving_key: String,
}

/// 生产 (§4.9): EPCIS TransformationEvent, material lots in, our batch (or items) out.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Transformation {
    pub enterprise_uscc: String,
    pub event_time: String,
    pub inputs: Vec<Input>,
    pub output: Line,
    pub production_date: String,
    pub expiry_date: String,
    pub inspection: Inspection,
    pub work_order: String,
    pub client_ref: String,
}

/// 销售出库 (§4.10): EPCIS ObjectEvent OBSERVE, bizStep shipping.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Shipping {
    pub enterprise_uscc: String,
    pub event_time: String,
    pub customer: Party,
    pub lines: Vec<Line>,
    /// 收货地址 (contract 1.2), when the goods go elsewhere than the customer's address.
    pub ship_to: String,
    pub delivery_note: String,
    pub order_no: String,
    pub invoice_no: String,
    pub client_ref: String,
}

/// CBV error reasons (§5).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorReason {
    IncorrectData,
    DidNotOccur,
}

impl ErrorReason {
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorReason::IncorrectData => "incorrect_data",
            ErrorReason::DidNotOccur => "did_not_occur",
        }
    }
}

/// 更正声明 (§5): the original is never edited; this declares it erroneous and names the
/// corrected record(s).
#[derive(Debug, Clone, PartialEq)]
pub struct ErrorDeclaration {
    pub declared_key: String,
    pub declaration_time: String,
    pub reason: ErrorReason,
    pub reason_text: String,
    pub corrective_keys: Vec<String>,
    pub client_ref: String,
}

/// The contract's quantity text (§4.2) for `value`: at most 6 decimals, no trailing zeros, no
/// exponent. `None` when the value cannot be sent (not > 0, not finite, or 13+ integer digits).
pub fn quantity(value: f64) -> Option<String> {
    if !value.is_finite() || value <= 0.0 {
        return None;
    }
    let text = format!("{value:.6}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    let (int, _) = text.split_once('.').unwrap_or((text, ""));
    if int.len() > 12 || text == "0" {
        return None;
    }
    Some(text.to_string())
}

/// The UN/ECE Rec 20 code of a unit as clerks write it (contract §4.2 list), or `None` when the
/// word is not in the shipped unit table (`codes::units`). Case and surrounding spaces are ignored.
pub fn unit_code(unit: &str) -> Option<&'static str> {
    codes::units::shipped().code_of(unit)
}

/// [`unit_code`] against a unit table the app loaded.
pub fn unit_code_in<'u>(units: &'u codes::units::Units, unit: &str) -> Option<&'u str> {
    units.code_of(unit)
}

/// The Chinese name of a unit code, for reports (empty for a code the shipped table lacks).
pub fn unit_name_zh(code: &str) -> &'static str {
    codes::units::shipped().name_zh(code).unwrap_or("")
}
