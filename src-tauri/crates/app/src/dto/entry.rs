//! The shapes of master data and daily entry (products.rs, parties.rs, receipts.rs, batches.rs,
//! shipments.rs; scanning, trace and recall are in [`super::chain`]). Record ids are SQLite
//! rowids: `i64` in Rust, `number` in TypeScript (they stay far below 2^53).

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::{CodeScheme, Granularity};

/// 检验结论: 合格 / 不合格 / 待检.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
#[ts(export)]
pub enum InspectionResult {
    Pass,
    Fail,
    Pending,
}

/// 往来单位类型.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
#[ts(export)]
pub enum PartyKind {
    Supplier,
    #[default]
    Customer,
    Both,
}

/// 客户类型 / 往来单位的主体类型: what identifies a supplier or customer.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
#[ts(export)]
pub enum PartyType {
    /// 单位: a company or other organisation, identified by its USCC.
    #[default]
    Organisation,
    /// 个人: a natural person; only masked ID card and mobile numbers are kept, with consent.
    Individual,
    /// 境外: a buyer abroad, identified by country and registration number.
    Foreign,
}

/// 委托生产: whether a product is made under entrustment, and which side the enterprise is on.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
#[ts(export)]
pub enum OemRole {
    /// Made by the enterprise on its own account.
    #[default]
    None,
    /// 受托生产: the enterprise makes it for an entrusting party (委托方).
    Manufacturer,
    /// 委托生产: the enterprise is the 委托方; an entrusted manufacturer makes it.
    Principal,
}

/// How bad a field problem is: an error blocks saving, a warning is shown and saving goes on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
#[ts(export)]
pub enum ProblemSeverity {
    Error,
    Warning,
}

/// One problem with one form field, shown next to it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct FieldProblem {
    /// The field as the form names it, dotted for lines: `supplierLot`, `inputs.1.quantity`.
    pub field: String,
    pub severity: ProblemSeverity,
    /// Stable code to branch on, e.g. `lot.over-consumed`.
    pub code: String,
    pub message_zh: String,
    pub message_en: String,
}

/// One page of a list, and how many rows the whole list has.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Page<T> {
    pub rows: Vec<T>,
    pub total: u32,
}

/// Search, sort and window of a list. `limit` 0 means every row (exports).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", default)]
#[ts(export)]
pub struct ListQuery {
    pub search: String,
    /// A column key of the list, e.g. `receivedOn`; unknown keys keep the default order.
    pub sort: Option<String>,
    pub descending: bool,
    pub offset: u32,
    pub limit: u32,
    /// `pass`, `fail` or `pending` (entry lists).
    pub inspection: Option<InspectionResult>,
    /// Party role (`supplier`/`customer`) for the party list, catalogue code for products.
    pub kind: Option<String>,
    /// Inclusive ISO dates (entry lists).
    pub from: Option<String>,
    pub to: Option<String>,
}

/// One product of the catalogues a product's category is chosen from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct CatalogueEntry {
    /// Stored in the product: `KP-GAS-03`, `CCC-0101`.
    pub code: String,
    pub name: String,
    /// `key` (重点工业产品) or `ccc` (CCC 目录).
    pub catalogue: String,
    /// 大类.
    pub group: String,
    /// 自我声明 `*` / `**`, CCC only.
    pub self_declaration: Option<String>,
    /// False for rows the source did not state (see the data files).
    pub confirmed: bool,
}

/// A product as the clerk types it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ProductInput {
    pub name: String,
    #[serde(default)]
    pub model: String,
    #[serde(default)]
    pub category: String,
    #[serde(default)]
    pub brand: String,
    #[serde(default)]
    pub standard: String,
    #[serde(default)]
    pub gtin: String,
    /// `None`: the wizard's default.
    #[serde(default)]
    pub scheme: Option<CodeScheme>,
    #[serde(default)]
    pub granularity: Option<Granularity>,
    #[serde(default)]
    pub ccc_cert_no: String,
    #[serde(default)]
    pub ccc_valid_from: String,
    #[serde(default)]
    pub ccc_valid_to: String,
    #[serde(default)]
    pub ccc_mark_no: String,
    /// Models the certificate covers, one per line (or separated by commas).
    #[serde(default)]
    pub ccc_models: Vec<String>,
    /// 生产许可证编号, when it differs from the enterprise's.
    #[serde(default)]
    pub licence_no: String,
    /// 生产地址, when it differs from the enterprise's.
    #[serde(default)]
    pub production_address: String,
    #[serde(default)]
    pub oem_role: OemRole,
    /// The 委托方 (role `manufacturer`) or the entrusted manufacturer (role `principal`).
    #[serde(default)]
    pub oem_name: String,
    #[serde(default)]
    pub oem_uscc: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Product {
    #[ts(type = "number")]
    pub id: i64,
    pub name: String,
    pub model: String,
    pub category: String,
    /// The catalogue name of `category`, when it is a catalogue code.
    pub category_name: Option<String>,
    pub brand: String,
    pub standard: String,
    pub gtin: Option<String>,
    pub scheme: CodeScheme,
    pub granularity: Granularity,
    pub ccc_cert_no: Option<String>,
    pub ccc_valid_from: Option<String>,
    pub ccc_valid_to: Option<String>,
    pub ccc_mark_no: Option<String>,
    pub ccc_models: Vec<String>,
    pub licence_no: String,
    pub production_address: String,
    pub oem_role: OemRole,
    pub oem_name: String,
    pub oem_uscc: String,
    #[ts(type = "number")]
    pub batch_count: i64,
    pub created_at: String,
    pub updated_at: String,
}

/// The live verdict on a GTIN as typed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct GtinCheck {
    pub valid: bool,
    /// The digits as typed, half-width.
    pub normalized: String,
    /// GTIN-8/12/13/14.
    pub kind: Option<String>,
    /// The 14-digit form used in (01).
    pub gtin14: Option<String>,
    /// With a wrong check digit: the check digit it should have, and the whole corrected GTIN.
    pub expected_check_digit: Option<u8>,
    pub corrected: Option<String>,
    pub message_zh: String,
    pub message_en: String,
}

/// The next free GTIN from the enterprise's 厂商识别代码.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct GtinSuggestion {
    pub gtin: String,
    pub company_prefix: String,
    pub item_reference: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct PartyInput {
    pub kind: PartyKind,
    pub name: String,
    #[serde(default)]
    pub uscc: String,
    #[serde(default)]
    pub address: String,
    #[serde(default)]
    pub contact: String,
    /// For an individual: a mobile number, full or masked; only the masked form is kept.
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub party_type: PartyType,
    /// For an individual: the ID card number, full or masked; only the masked form is kept.
    #[serde(default)]
    pub id_number: String,
    /// For an individual: the person agreed that the masked numbers are kept and reported.
    #[serde(default)]
    pub consent: bool,
    /// For a foreign buyer: ISO 3166-1 alpha-2.
    #[serde(default)]
    pub country: String,
    /// For a foreign buyer: its registration number at home, free text.
    #[serde(default)]
    pub foreign_reg_no: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Party {
    #[ts(type = "number")]
    pub id: i64,
    pub kind: PartyKind,
    pub name: String,
    pub uscc: Option<String>,
    pub address: String,
    pub contact: String,
    pub phone: String,
    pub party_type: PartyType,
    /// Masked: `110***********002X`.
    pub id_masked: String,
    /// When the person consented; `None` for organisations.
    pub consent_at: Option<String>,
    pub country: String,
    pub foreign_reg_no: String,
    pub created_at: String,
    pub updated_at: String,
}

/// A file attached to a record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Attachment {
    #[ts(type = "number")]
    pub id: i64,
    pub file_name: String,
    pub media_type: String,
    #[ts(type = "number")]
    pub size_bytes: i64,
    /// Where the copy lives under the data directory.
    pub path: String,
    pub purpose: String,
    pub created_at: String,
}

/// 进货查验 as the clerk types it. An unknown supplier name becomes a new supplier on saving.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ReceiptInput {
    pub supplier_name: String,
    pub material: String,
    #[serde(default)]
    pub spec: String,
    pub supplier_lot: String,
    /// `None` while the field is empty.
    pub quantity: Option<f64>,
    pub unit: String,
    /// ISO date.
    pub received_on: String,
    pub inspection_result: InspectionResult,
    #[serde(default)]
    pub report_no: String,
    #[serde(default)]
    pub note: String,
    /// 采购订单号, 发票号, 送货单号: optional, at most 50 characters each.
    #[serde(default)]
    pub purchase_order_no: String,
    #[serde(default)]
    pub invoice_no: String,
    #[serde(default)]
    pub delivery_note_no: String,
    /// 供方追溯码: the supplier's codes of the goods as scanned, any scheme; an entry may hold
    /// several, one per line or separated by `;`.
    #[serde(default)]
    pub supplier_codes: Vec<String>,
    /// 关键部件 CCC 证书编号; blank when none.
    #[serde(default)]
    pub component_ccc: String,
}

/// Whether a supplier's code names the received lot or one item of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "kebab-case")]
#[ts(export)]
pub enum CodeLevel {
    Lot,
    Item,
}

/// One of the supplier's codes of a receipt, with the kind the code check detected.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct SupplierCode {
    /// As scanned, verbatim.
    pub code: String,
    /// `gs1-element-string`, `gs1-digital-link`, `gtin`, `ecode`, `digital-id`, `unknown`, …
    /// (`tracedesk code check`'s scheme).
    pub kind: String,
    /// The other kind it could be, when the check had to choose (only as the form checks it).
    pub alternative: Option<String>,
    pub level: CodeLevel,
    /// What the check said about a code it could not read; empty otherwise.
    pub note: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Receipt {
    #[ts(type = "number")]
    pub id: i64,
    #[ts(type = "number")]
    pub supplier_id: i64,
    pub supplier_name: String,
    pub material: String,
    pub spec: String,
    pub supplier_lot: String,
    pub quantity: f64,
    pub unit: String,
    pub received_on: String,
    pub inspection_result: InspectionResult,
    pub report_no: Option<String>,
    pub note: String,
    /// 采购订单号, 发票号, 送货单号 (`""` when not recorded).
    pub purchase_order_no: String,
    pub invoice_no: String,
    pub delivery_note_no: String,
    /// Recorded consumption by production batches, and what is left of the lot.
    pub consumed: f64,
    pub remaining: f64,
    #[ts(type = "number")]
    pub batch_count: i64,
    pub attachments: Vec<Attachment>,
    /// 供方追溯码 (filled when one receipt is opened; empty in list rows).
    pub supplier_codes: Vec<SupplierCode>,
    /// 关键部件 CCC 证书编号.
    pub component_ccc: Option<String>,
    /// Set once the record was submitted to the platform: it can then only be corrected.
    pub submitted_at: Option<String>,
    pub created_at: String,
    pub updated_at: String,
}

/// One material lot a batch consumes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct BatchInputLine {
    #[ts(type = "number")]
    pub receipt_id: i64,
    /// `None`: the lot was used but the amount was not recorded.
    pub quantity: Option<f64>,
}

/// 生产批次 as the clerk types it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct BatchInput {
    #[ts(type = "number | null")]
    pub product_id: Option<i64>,
    pub lot_no: String,
    pub produced_on: String,
    pub quantity: Option<f64>,
    pub unit: String,
    pub inspection_result: InspectionResult,
    #[serde(default)]
    pub inspector: String,
    #[serde(default)]
    pub report_no: String,
    #[serde(default)]
    pub inputs: Vec<BatchInputLine>,
    /// 检验日期 (ISO date or `""`): not before the production date, not after today.
    #[serde(default)]
    pub inspected_on: String,
    /// 有效期至 (ISO date or `""`): after the production date.
    #[serde(default)]
    pub expires_on: String,
    /// 生产工单号: optional, at most 50 characters.
    #[serde(default)]
    pub work_order_no: String,
}

/// A material lot with what production has taken from it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct LotBalance {
    #[ts(type = "number")]
    pub receipt_id: i64,
    pub supplier_name: String,
    pub material: String,
    pub spec: String,
    pub supplier_lot: String,
    pub unit: String,
    pub received_on: String,
    pub inspection_result: InspectionResult,
    pub received: f64,
    /// By other batches (when checking a batch form: not counting that form's own lines).
    pub consumed: f64,
    /// `received - consumed`; negative when more was recorded than received.
    pub remaining: f64,
}

/// A line of a saved batch: the lot and how much of it the batch took.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct BatchMaterial {
    pub lot: LotBalance,
    pub quantity: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Batch {
    #[ts(type = "number")]
    pub id: i64,
    #[ts(type = "number")]
    pub product_id: i64,
    pub product_name: String,
    pub product_model: String,
    pub product_gtin: Option<String>,
    pub granularity: Granularity,
    pub lot_no: String,
    pub produced_on: String,
    pub quantity: f64,
    pub unit: String,
    pub inspection_result: InspectionResult,
    pub inspector: String,
    pub report_no: Option<String>,
    /// 检验日期, 有效期至 (ISO dates) and 生产工单号 (`""` when not recorded).
    pub inspected_on: Option<String>,
    pub expires_on: Option<String>,
    pub work_order_no: String,
    /// Filled by `get_batch`; list rows leave it empty and give `input_count`.
    pub inputs: Vec<BatchMaterial>,
    #[ts(type = "number")]
    pub input_count: i64,
    pub shipped: f64,
    #[ts(type = "number")]
    pub item_count: i64,
    pub attachments: Vec<Attachment>,
    pub submitted_at: Option<String>,
    pub created_at: String,
    pub updated_at: String,
}

/// What the production form shows while the clerk types.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct BatchCheck {
    pub problems: Vec<FieldProblem>,
    /// The balance of each lot on the form, before this batch.
    pub lots: Vec<LotBalance>,
}

/// A production batch with what has been shipped of it: the batch picker of the shipment form.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct BatchBalance {
    #[ts(type = "number")]
    pub batch_id: i64,
    #[ts(type = "number")]
    pub product_id: i64,
    pub product_name: String,
    pub product_model: String,
    pub lot_no: String,
    pub produced_on: String,
    pub unit: String,
    pub inspection_result: InspectionResult,
    pub produced: f64,
    pub shipped: f64,
    pub remaining: f64,
}

/// One line of a shipment as the clerk types or scans it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ShipmentLineInput {
    #[ts(type = "number | null")]
    pub batch_id: Option<i64>,
    /// A scanned 一物一码 item.
    #[ts(type = "number | null")]
    #[serde(default)]
    pub item_id: Option<i64>,
    pub quantity: Option<f64>,
}

/// 销售出库 as the clerk types it. An unknown customer name becomes a new customer on saving.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ShipmentInput {
    pub customer_name: String,
    pub shipped_on: String,
    pub delivery_note_no: String,
    #[serde(default)]
    pub note: String,
    /// 收货地址; empty: the customer's address.
    #[serde(default)]
    pub ship_to: String,
    pub lines: Vec<ShipmentLineInput>,
    /// 销售订单号, 发票号: optional, at most 50 characters each.
    #[serde(default)]
    pub order_no: String,
    #[serde(default)]
    pub invoice_no: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ShipmentLine {
    #[ts(type = "number")]
    pub id: i64,
    #[ts(type = "number")]
    pub batch_id: i64,
    pub lot_no: String,
    pub product_name: String,
    pub product_model: String,
    #[ts(type = "number | null")]
    pub item_id: Option<i64>,
    pub serial: Option<String>,
    pub quantity: f64,
    pub unit: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Shipment {
    #[ts(type = "number")]
    pub id: i64,
    #[ts(type = "number")]
    pub customer_id: i64,
    pub customer_name: String,
    pub shipped_on: String,
    pub delivery_note_no: String,
    pub note: String,
    /// 收货地址 as recorded; empty means the customer's address.
    pub ship_to: String,
    /// 销售订单号, 发票号 (`""` when not recorded).
    pub order_no: String,
    pub invoice_no: String,
    /// Filled by `get_shipment`; list rows leave it empty and give `line_count`.
    pub lines: Vec<ShipmentLine>,
    #[ts(type = "number")]
    pub line_count: i64,
    pub total_quantity: f64,
    pub attachments: Vec<Attachment>,
    pub submitted_at: Option<String>,
    pub created_at: String,
    pub updated_at: String,
}

/// A party for a form's autocomplete.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct PartyOption {
    #[ts(type = "number")]
    pub id: i64,
    pub name: String,
    pub contact: String,
    pub phone: String,
}

/// A material received before, for autocomplete.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct MaterialHint {
    pub material: String,
    pub spec: String,
    pub unit: String,
    /// Who supplied it last.
    pub supplier_name: String,
}

/// A product for a form's picker.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ProductOption {
    #[ts(type = "number")]
    pub id: i64,
    pub name: String,
    pub model: String,
    pub gtin: Option<String>,
    pub granularity: Granularity,
}

/// Everything the entry forms autocomplete from, loaded once when a form opens.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct EntryHints {
    pub suppliers: Vec<PartyOption>,
    pub customers: Vec<PartyOption>,
    pub materials: Vec<MaterialHint>,
    pub units: Vec<String>,
    pub products: Vec<ProductOption>,
    pub inspectors: Vec<String>,
    /// The lot-number pattern of the production form, e.g. `B{yyyyMMdd}-{seq}`.
    pub lot_pattern: String,
}
