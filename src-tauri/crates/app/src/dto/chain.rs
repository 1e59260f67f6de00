//! The shapes of scanning, trace, recall, the dashboard and reports (scan.rs, trace.rs, recall.rs,
//! dashboard.rs, report.rs). Record ids are SQLite rowids, as in [`super::entry`].

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::entry::*;

/// A serialised item found by a scan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ItemRef {
    #[ts(type = "number")]
    pub id: i64,
    #[ts(type = "number")]
    pub batch_id: i64,
    pub serial: String,
    /// `active` or `void`.
    pub status: String,
}

/// What a typed or scanned code is, and which product, batch and item it names here.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ScanResult {
    /// The text as received (scanner prefixes and GS characters included).
    pub text: String,
    /// The scheme the codes crate read it as: `gs1-element-string`, `gs1-digital-link`, `gtin`, …
    pub scheme: String,
    pub valid: bool,
    pub gtin: Option<String>,
    pub lot: Option<String>,
    pub serial: Option<String>,
    pub product: Option<ProductOption>,
    pub batch: Option<BatchBalance>,
    pub item: Option<ItemRef>,
    /// Problems with the code itself or with what it names (unknown GTIN, void item…), field `code`.
    pub problems: Vec<FieldProblem>,
}

/// What kind of record a trace node is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "kebab-case")]
#[ts(export)]
pub enum TraceKind {
    Supplier,
    MaterialLot,
    Product,
    Batch,
    Item,
    Shipment,
    Customer,
}

/// One record in a trace chain.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct TraceNode {
    /// `kind:id`, unique within a result.
    pub key: String,
    pub kind: TraceKind,
    #[ts(type = "number")]
    pub id: i64,
    /// The number a person looks for: lot, serial, delivery note, or the party's name.
    pub label: String,
    /// What it is: material and spec, product and model.
    pub detail: String,
    /// Supplier of a lot, product of a batch, customer of a shipment.
    pub party: String,
    pub date: Option<String>,
    pub quantity: Option<f64>,
    pub unit: String,
    pub inspection: Option<InspectionResult>,
    pub contact: String,
    pub phone: String,
    pub address: String,
    /// A material lot's 供方追溯码 (the supplier's codes of the goods, as scanned); empty for
    /// other nodes.
    #[serde(default)]
    pub codes: Vec<String>,
}

/// Material flows from `from` to `to` (supplier → lot → batch → shipment → customer).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct TraceEdge {
    pub from: String,
    pub to: String,
    pub quantity: Option<f64>,
    pub unit: String,
}

/// A trace: the record found, everything upstream of it (toward suppliers) and downstream (toward
/// customers), and the links between them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct TraceResult {
    pub query: String,
    pub root: TraceNode,
    pub upstream: Vec<TraceNode>,
    pub downstream: Vec<TraceNode>,
    pub edges: Vec<TraceEdge>,
    /// Other records the query also matches (e.g. the same lot number of another product).
    pub alternatives: Vec<TraceNode>,
    pub elapsed_ms: f64,
}

/// A record to trace or recall from, by kind and id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct TraceRef {
    pub kind: TraceKind,
    #[ts(type = "number")]
    pub id: i64,
}

/// Start a recall drill from a material lot or a batch.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct RecallRequest {
    /// `material-lot` or `batch`.
    pub start: TraceRef,
    #[serde(default)]
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct RecallBatch {
    #[ts(type = "number")]
    pub batch_id: i64,
    pub lot_no: String,
    pub product_name: String,
    pub product_model: String,
    pub produced_on: String,
    pub inspection_result: InspectionResult,
    pub produced: f64,
    pub shipped: f64,
    /// Not yet shipped: to stop at the factory.
    pub in_stock: f64,
    pub unit: String,
    /// How much of the starting lot went into it (material-lot drills).
    pub lot_quantity: Option<f64>,
    #[ts(type = "number")]
    pub items: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct RecallItem {
    pub serial: String,
    pub lot_no: String,
    pub product_name: String,
    pub status: String,
    /// The customer it was shipped to, when it was shipped as a scanned item.
    pub customer_name: Option<String>,
    pub delivery_note_no: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct RecallShipment {
    pub delivery_note_no: String,
    pub shipped_on: String,
    pub customer_name: String,
    pub lot_no: String,
    pub product_name: String,
    pub serial: Option<String>,
    pub quantity: f64,
    pub unit: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct RecallCustomer {
    #[ts(type = "number")]
    pub customer_id: i64,
    pub name: String,
    pub contact: String,
    pub phone: String,
    pub address: String,
    pub uscc: Option<String>,
    /// Lots shipped to this customer, and the delivery notes.
    pub lots: Vec<String>,
    pub delivery_notes: Vec<String>,
    pub quantity: f64,
    /// The unit when every line had the same one, else empty.
    pub unit: String,
}

/// The result of a 模拟召回 drill.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct RecallResult {
    #[ts(type = "number")]
    pub drill_id: i64,
    pub start: TraceNode,
    pub reason: String,
    pub started_at: String,
    pub duration_ms: f64,
    pub batches: Vec<RecallBatch>,
    pub items: Vec<RecallItem>,
    pub shipments: Vec<RecallShipment>,
    pub customers: Vec<RecallCustomer>,
    pub quantity_shipped: f64,
    pub quantity_in_stock: f64,
    /// A draft recall notice in Chinese, to edit before sending.
    pub notice_zh: String,
}

/// A past drill.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct RecallDrill {
    #[ts(type = "number")]
    pub id: i64,
    pub start_kind: TraceKind,
    pub start_label: String,
    pub reason: String,
    pub started_at: String,
    pub duration_ms: f64,
    #[ts(type = "number")]
    pub batches: i64,
    #[ts(type = "number")]
    pub items: i64,
    #[ts(type = "number")]
    pub shipments: i64,
    #[ts(type = "number")]
    pub customers: i64,
    pub quantity_shipped: f64,
    pub actor: String,
}

/// Where an export went.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ExportResult {
    pub path: String,
    pub rows: u32,
}

/// One changed field in a record's history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct FieldChange {
    pub field: String,
    pub old: Option<String>,
    pub new: Option<String>,
}

/// One entry of a record's audit trail.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct HistoryEntry {
    pub at: String,
    pub actor: String,
    /// The table the entry is about (`receipt`, `batch_input`, …).
    pub table: String,
    /// `insert`, `update` or `delete`.
    pub action: String,
    pub changes: Vec<FieldChange>,
}

/// Which record an attachment, a history or an edit check is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
#[ts(export)]
pub enum RecordKind {
    Product,
    Party,
    Receipt,
    Batch,
    Shipment,
}

/// Records per business day, for the dashboard chart.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct DayCount {
    pub date: String,
    pub receipts: u32,
    pub batches: u32,
    pub shipments: u32,
}

/// 工作台.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct DashboardData {
    pub today: String,
    pub receipts_today: u32,
    pub batches_today: u32,
    pub shipments_today: u32,
    /// Real counts from the submission feature; false (and 0) on a database without it.
    pub submission_available: bool,
    /// Receipts, batches and shipments the platform has not accepted yet.
    pub pending_submissions: u32,
    /// Record versions the platform rejected (to fix and resubmit).
    pub failed_submissions: u32,
    pub failed_receipts: u32,
    pub failed_batches: u32,
    /// The newest failed batches.
    pub failed_batch_list: Vec<Batch>,
    /// Products whose CCC certificate ends within 60 days (or has ended).
    pub expiring_ccc: Vec<Product>,
    /// The last 30 days, oldest first, one entry per day.
    pub last_30_days: Vec<DayCount>,
}

/// Which list an export writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
#[ts(export)]
pub enum ListKind {
    Products,
    Parties,
    Receipts,
    Batches,
    Shipments,
}

/// `tracedesk dev generate`: what the generator wrote.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct GenerateReport {
    pub path: String,
    #[ts(type = "number")]
    pub parties: u64,
    #[ts(type = "number")]
    pub products: u64,
    #[ts(type = "number")]
    pub receipts: u64,
    #[ts(type = "number")]
    pub batches: u64,
    #[ts(type = "number")]
    pub batch_inputs: u64,
    #[ts(type = "number")]
    pub items: u64,
    #[ts(type = "number")]
    pub shipments: u64,
    #[ts(type = "number")]
    pub shipment_lines: u64,
    pub elapsed_ms: f64,
    /// Numbers from the data to try `trace` and `recall` on: a material lot from the middle of
    /// the receipts, a batch lot and a delivery note.
    pub sample_material_lot: String,
    pub sample_batch_lot: String,
    pub sample_delivery_note: String,
}
