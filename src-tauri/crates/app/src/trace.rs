//! 追溯: from any code, batch lot, material lot or delivery note to its chain — upstream to the
//! material lots and suppliers, downstream to the shipments and customers.

use crate::messages::Msg;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::time::Instant;

use store::Connection;

use crate::entries::{num, to_ymd, today};
use crate::export::{Book, Cell, write_err, xlsx_path};
use crate::products::gtin_forms;
use crate::{
    ApiError, App, ExportResult, InspectionResult, Result, TraceEdge, TraceKind, TraceNode,
    TraceRef, TraceResult,
};

pub(crate) fn key(kind: TraceKind, id: i64) -> String {
    let k = match kind {
        TraceKind::Supplier => "supplier",
        TraceKind::MaterialLot => "material-lot",
        TraceKind::Product => "product",
        TraceKind::Batch => "batch",
        TraceKind::Item => "item",
        TraceKind::Shipment => "shipment",
        TraceKind::Customer => "customer",
    };
    format!("{k}:{id}")
}

impl TraceKind {
    pub fn zh(self) -> &'static str {
        match self {
            TraceKind::Supplier => "供应商",
            TraceKind::MaterialLot => "原料批次",
            TraceKind::Product => "产品",
            TraceKind::Batch => "生产批次",
            TraceKind::Item => "单品",
            TraceKind::Shipment => "销售出库",
            TraceKind::Customer => "客户",
        }
    }
}

fn blank(kind: TraceKind, id: i64) -> TraceNode {
    TraceNode {
        key: key(kind, id),
        kind,
        id,
        label: String::new(),
        detail: String::new(),
        party: String::new(),
        date: None,
        quantity: None,
        unit: String::new(),
        inspection: None,
        contact: String::new(),
        phone: String::new(),
        address: String::new(),
        codes: Vec::new(),
    }
}

pub(crate) fn receipt_node(r: &store::receipts::ReceiptRow) -> TraceNode {
    TraceNode {
        label: r.fields.supplier_lot.clone(),
        detail: format!("{} {}", r.fields.material, r.fields.spec)
            .trim()
            .to_string(),
        party: r.supplier_name.clone(),
        date: Some(r.fields.received_on.clone()),
        quantity: Some(r.fields.quantity),
        unit: r.fields.unit.clone(),
        inspection: Some(InspectionResult::from_db(&r.fields.inspection_result)),
        ..blank(TraceKind::MaterialLot, r.id)
    }
}

pub(crate) fn batch_node(b: &store::batches::BatchRow) -> TraceNode {
    TraceNode {
        label: b.fields.lot_no.clone(),
        detail: format!("{} {}", b.product_name, b.product_model)
            .trim()
            .to_string(),
        date: Some(b.fields.produced_on.clone()),
        quantity: Some(b.fields.quantity),
        unit: b.fields.unit.clone(),
        inspection: Some(InspectionResult::from_db(&b.fields.inspection_result)),
        ..blank(TraceKind::Batch, b.id)
    }
}

fn shipment_node(s: &store::shipments::ShipmentRow) -> TraceNode {
    TraceNode {
        label: s.fields.delivery_note_no.clone(),
        party: s.customer_name.clone(),
        date: Some(s.fields.shipped_on.clone()),
        quantity: Some(s.total_quantity),
        ..blank(TraceKind::Shipment, s.id)
    }
}

fn party_node(kind: TraceKind, p: &store::parties::PartyRow) -> TraceNode {
    TraceNode {
        label: p.fields.name.clone(),
        detail: p.fields.uscc.clone().unwrap_or_default(),
        contact: p.fields.contact.clone(),
        phone: p.fields.phone.clone(),
        address: p.fields.address.clone(),
        ..blank(kind, p.id)
    }
}

fn item_node(i: &store::items::ItemRow, batch: Option<&store::batches::BatchRow>) -> TraceNode {
    TraceNode {
        label: i.serial.clone(),
        detail: batch
            .map(|b| {
                format!(
                    "{} {} 批号 {}",
                    b.product_name, b.product_model, b.fields.lot_no
                )
            })
            .unwrap_or_default(),
        quantity: Some(1.0),
        unit: batch.map(|b| b.fields.unit.clone()).unwrap_or_default(),
        ..blank(TraceKind::Item, i.id)
    }
}

fn product_node(p: &store::products::ProductRow) -> TraceNode {
    TraceNode {
        label: p
            .fields
            .gtin
            .clone()
            .unwrap_or_else(|| p.fields.name.clone()),
        detail: format!("{} {}", p.fields.name, p.fields.model)
            .trim()
            .to_string(),
        ..blank(TraceKind::Product, p.id)
    }
}

/// A trace under construction.
#[derive(Default)]
struct Graph {
    nodes: BTreeMap<String, TraceNode>,
    up: BTreeSet<String>,
    down: BTreeSet<String>,
    edges: BTreeMap<(String, String), (Option<f64>, String)>,
}

impl Graph {
    fn add(&mut self, node: TraceNode, upstream: bool) -> String {
        let k = node.key.clone();
        if upstream {
            self.up.insert(k.clone());
        } else {
            self.down.insert(k.clone());
        }
        self.nodes.entry(k.clone()).or_insert(node);
        k
    }

    /// Adds `quantity` to the flow `from` → `to` (`None` stays unknown unless a number comes).
    fn edge(&mut self, from: &str, to: &str, quantity: Option<f64>, unit: &str) {
        let e = self
            .edges
            .entry((from.to_string(), to.to_string()))
            .or_insert((None, unit.to_string()));
        if let Some(q) = quantity {
            e.0 = Some(e.0.unwrap_or(0.0) + q);
        }
    }

    /// Upstream of batches: their lots and the suppliers of those lots.
    fn materials_of(&mut self, conn: &Connection, batch_keys: &[(i64, String)]) -> Result<()> {
        let ids: Vec<i64> = batch_keys.iter().map(|(id, _)| *id).collect();
        let inputs = store::trace::inputs_of(conn, &ids)?;
        let mut receipt_ids: Vec<i64> = inputs.iter().map(|c| c.receipt_id).collect();
        receipt_ids.sort_unstable();
        receipt_ids.dedup();
        let receipts = store::receipts::get_many(conn, &receipt_ids)?;
        let by_id: HashMap<i64, &store::receipts::ReceiptRow> =
            receipts.iter().map(|r| (r.id, r)).collect();
        let batch_key: HashMap<i64, &String> = batch_keys.iter().map(|(id, k)| (*id, k)).collect();
        for c in &inputs {
            let Some(r) = by_id.get(&c.receipt_id) else {
                continue;
            };
            let rk = self.add(receipt_node(r), true);
            if let Some(bk) = batch_key.get(&c.batch_id) {
                self.edge(&rk, bk, c.quantity, &r.fields.unit);
            }
        }
        self.suppliers_of(conn, &receipts)
    }

    fn suppliers_of(
        &mut self,
        conn: &Connection,
        receipts: &[store::receipts::ReceiptRow],
    ) -> Result<()> {
        let mut ids: Vec<i64> = receipts.iter().map(|r| r.fields.supplier_id).collect();
        ids.sort_unstable();
        ids.dedup();
        let parties = store::trace::parties(conn, &ids)?;
        for party in &parties {
            let pk = self.add(party_node(TraceKind::Supplier, party), true);
            for r in receipts.iter().filter(|r| r.fields.supplier_id == party.id) {
                self.edge(
                    &pk,
                    &key(TraceKind::MaterialLot, r.id),
                    Some(r.fields.quantity),
                    &r.fields.unit,
                );
            }
        }
        Ok(())
    }

    /// Downstream of `lines`: the shipments (from `from`, each line's batch or item node) and
    /// their customers.
    fn shipments_of(
        &mut self,
        conn: &Connection,
        lines: &[store::shipments::LineRow],
        from: impl Fn(&store::shipments::LineRow) -> String,
    ) -> Result<()> {
        let mut ids: Vec<i64> = lines.iter().map(|l| l.shipment_id).collect();
        ids.sort_unstable();
        ids.dedup();
        let shipments = store::shipments::get_many(conn, &ids)?;
        for s in &shipments {
            self.add(shipment_node(s), false);
        }
        for l in lines {
            self.edge(
                &from(l),
                &key(TraceKind::Shipment, l.shipment_id),
                Some(l.line.quantity),
                &l.unit,
            );
        }
        self.customers_of(conn, &shipments, lines)
    }

    fn customers_of(
        &mut self,
        conn: &Connection,
        shipments: &[store::shipments::ShipmentRow],
        lines: &[store::shipments::LineRow],
    ) -> Result<()> {
        let mut ids: Vec<i64> = shipments.iter().map(|s| s.fields.customer_id).collect();
        ids.sort_unstable();
        ids.dedup();
        for party in store::trace::parties(conn, &ids)? {
            let ck = self.add(party_node(TraceKind::Customer, &party), false);
            for s in shipments
                .iter()
                .filter(|s| s.fields.customer_id == party.id)
            {
                // The quantity of the traced goods on this note, not the note's whole total.
                let shipped: f64 = lines
                    .iter()
                    .filter(|l| l.shipment_id == s.id)
                    .map(|l| l.line.quantity)
                    .sum();
                let unit = lines
                    .iter()
                    .find(|l| l.shipment_id == s.id)
                    .map(|l| l.unit.clone())
                    .unwrap_or_default();
                self.edge(&key(TraceKind::Shipment, s.id), &ck, Some(shipped), &unit);
            }
        }
        Ok(())
    }

    fn finish(
        mut self,
        query: &str,
        root: TraceNode,
        alternatives: Vec<TraceNode>,
        started: Instant,
    ) -> TraceResult {
        let order = |nodes: &mut Vec<TraceNode>| {
            nodes.sort_by(|a, b| {
                a.kind
                    .cmp(&b.kind)
                    .then_with(|| a.date.cmp(&b.date))
                    .then_with(|| a.label.cmp(&b.label))
            })
        };
        self.up.remove(&root.key);
        self.down.remove(&root.key);
        let mut upstream: Vec<TraceNode> = self
            .up
            .iter()
            .filter_map(|k| self.nodes.get(k).cloned())
            .collect();
        let mut downstream: Vec<TraceNode> = self
            .down
            .iter()
            .filter(|k| !self.up.contains(*k))
            .filter_map(|k| self.nodes.get(k).cloned())
            .collect();
        order(&mut upstream);
        order(&mut downstream);
        let edges = self
            .edges
            .into_iter()
            .map(|((from, to), (quantity, unit))| TraceEdge {
                from,
                to,
                quantity,
                unit,
            })
            .collect();
        TraceResult {
            query: query.to_string(),
            root,
            upstream,
            downstream,
            edges,
            alternatives,
            elapsed_ms: started.elapsed().as_secs_f64() * 1000.0,
        }
    }
}

/// Everything `text` may name, most specific first.
pub(crate) fn resolve(conn: &Connection, text: &str) -> Result<Vec<TraceRef>> {
    let text = text.trim();
    let mut found: Vec<TraceRef> = Vec::new();
    fn push(found: &mut Vec<TraceRef>, r: TraceRef) {
        if !found.contains(&r) {
            found.push(r);
        }
    }
    if let Some(t) = store::trace::trace_code(conn, text)? {
        push(
            &mut found,
            match (t.item_id, t.batch_id) {
                (Some(i), _) => TraceRef {
                    kind: TraceKind::Item,
                    id: i,
                },
                (None, Some(b)) => TraceRef {
                    kind: TraceKind::Batch,
                    id: b,
                },
                _ => TraceRef {
                    kind: TraceKind::Product,
                    id: t.product_id,
                },
            },
        );
    }
    let report = codes::check(text, to_ymd(today()));
    if let Some(gtin) = report.fields.get("01")
        && let Some(product) = store::products::by_gtin(conn, &gtin_forms(gtin))?
    {
        // The items its serial names, then the batches its lot names.
        let mut named: Vec<TraceRef> = Vec::new();
        if let Some(serial) = report.fields.get("21") {
            named.extend(
                store::items::by_serial(conn, serial, Some(product.id))?
                    .into_iter()
                    .map(|item| TraceRef {
                        kind: TraceKind::Item,
                        id: item.id,
                    }),
            );
        }
        if let Some(lot) = report.fields.get("10") {
            named.extend(
                store::trace::batches_by_lot(conn, lot, Some(product.id))?
                    .into_iter()
                    .map(|id| TraceRef {
                        kind: TraceKind::Batch,
                        id,
                    }),
            );
        }
        let specific = !named.is_empty();
        for r in named {
            push(&mut found, r);
        }
        if !specific {
            push(
                &mut found,
                TraceRef {
                    kind: TraceKind::Product,
                    id: product.id,
                },
            );
        }
    }
    for b in store::trace::batches_by_lot(conn, text, None)? {
        push(
            &mut found,
            TraceRef {
                kind: TraceKind::Batch,
                id: b,
            },
        );
    }
    for r in store::trace::receipts_by_lot(conn, text)? {
        push(
            &mut found,
            TraceRef {
                kind: TraceKind::MaterialLot,
                id: r,
            },
        );
    }
    // A supplier's code recorded at receipt (供方追溯码), exactly as scanned.
    for r in store::receipts::by_code(conn, text)? {
        push(
            &mut found,
            TraceRef {
                kind: TraceKind::MaterialLot,
                id: r,
            },
        );
    }
    if let Some(s) = store::shipments::by_note(conn, text, None)? {
        push(
            &mut found,
            TraceRef {
                kind: TraceKind::Shipment,
                id: s,
            },
        );
    }
    if found.is_empty() {
        for item in store::items::by_serial(conn, text, None)? {
            push(
                &mut found,
                TraceRef {
                    kind: TraceKind::Item,
                    id: item.id,
                },
            );
        }
    }
    Ok(found)
}

fn missing(zh: &str, en: &str, id: i64) -> ApiError {
    crate::products::not_found(zh, en, id)
}

/// The node for `r`, for lists of alternatives.
pub(crate) fn node_of(conn: &Connection, r: TraceRef) -> Result<TraceNode> {
    Ok(match r.kind {
        TraceKind::Batch => batch_node(
            &store::batches::get(conn, r.id)?.ok_or_else(|| missing("生产批次", "batch", r.id))?,
        ),
        TraceKind::MaterialLot => receipt_node(
            &store::receipts::get(conn, r.id)?
                .ok_or_else(|| missing("原料批次", "material lot", r.id))?,
        ),
        TraceKind::Shipment => shipment_node(
            &store::shipments::get(conn, r.id)?
                .ok_or_else(|| missing("出库记录", "shipment", r.id))?,
        ),
        TraceKind::Product => product_node(
            &store::products::get(conn, r.id)?.ok_or_else(|| missing("产品", "product", r.id))?,
        ),
        TraceKind::Item => {
            let item =
                store::items::get(conn, r.id)?.ok_or_else(|| missing("单品", "item", r.id))?;
            let batch = store::batches::get(conn, item.batch_id)?;
            item_node(&item, batch.as_ref())
        }
        TraceKind::Supplier | TraceKind::Customer => {
            let kind = r.kind;
            let party = store::parties::get(conn, r.id)?
                .ok_or_else(|| missing("往来单位", "party", r.id))?;
            party_node(kind, &party)
        }
    })
}

/// The chain of `r`.
/// Fills each material lot's 供方追溯码 into its node.
fn with_supplier_codes(conn: &Connection, mut result: TraceResult) -> Result<TraceResult> {
    for node in std::iter::once(&mut result.root)
        .chain(&mut result.upstream)
        .chain(&mut result.downstream)
        .chain(&mut result.alternatives)
        .filter(|n| n.kind == TraceKind::MaterialLot)
    {
        node.codes = store::receipts::codes_of(conn, node.id)?
            .into_iter()
            .map(|c| c.code)
            .collect();
    }
    Ok(result)
}

pub(crate) fn build(
    conn: &Connection,
    query: &str,
    r: TraceRef,
    alternatives: Vec<TraceNode>,
) -> Result<TraceResult> {
    with_supplier_codes(conn, build_graph(conn, query, r, alternatives)?)
}

fn build_graph(
    conn: &Connection,
    query: &str,
    r: TraceRef,
    alternatives: Vec<TraceNode>,
) -> Result<TraceResult> {
    let started = Instant::now();
    let mut g = Graph::default();
    let root = node_of(conn, r)?;
    match r.kind {
        TraceKind::Batch => {
            let bk = root.key.clone();
            g.materials_of(conn, &[(r.id, bk.clone())])?;
            let lines = store::shipments::lines_of_batches(conn, &[r.id])?;
            g.shipments_of(conn, &lines, |_| bk.clone())?;
        }
        TraceKind::Item => {
            let item =
                store::items::get(conn, r.id)?.ok_or_else(|| missing("单品", "item", r.id))?;
            let batch = store::batches::get(conn, item.batch_id)?
                .ok_or_else(|| missing("生产批次", "batch", item.batch_id))?;
            let bk = g.add(batch_node(&batch), true);
            g.edge(&bk, &root.key, Some(1.0), &batch.fields.unit);
            g.materials_of(conn, &[(batch.id, bk)])?;
            let all = store::shipments::lines_of_batches(conn, &[batch.id])?;
            let own: Vec<_> = all
                .iter()
                .filter(|l| l.line.item_id == Some(r.id))
                .cloned()
                .collect();
            // Shipped as a scanned item: exactly where it went. Otherwise it went with one of its
            // batch's quantity lines, and those are the candidates.
            let lines = if own.is_empty() {
                all.into_iter()
                    .filter(|l| l.line.item_id.is_none())
                    .collect()
            } else {
                own
            };
            let ik = root.key.clone();
            g.shipments_of(conn, &lines, |_| ik.clone())?;
        }
        TraceKind::MaterialLot => {
            let receipt = store::receipts::get(conn, r.id)?
                .ok_or_else(|| missing("原料批次", "material lot", r.id))?;
            g.suppliers_of(conn, std::slice::from_ref(&receipt))?;
            let used = store::trace::used_by(conn, &[r.id])?;
            let ids: Vec<i64> = used.iter().map(|c| c.batch_id).collect();
            for b in store::batches::get_many(conn, &ids)? {
                let bk = g.add(batch_node(&b), false);
                let q = used
                    .iter()
                    .find(|c| c.batch_id == b.id)
                    .and_then(|c| c.quantity);
                g.edge(&root.key, &bk, q, &receipt.fields.unit);
            }
            let lines = store::shipments::lines_of_batches(conn, &ids)?;
            g.shipments_of(conn, &lines, |l| key(TraceKind::Batch, l.line.batch_id))?;
        }
        TraceKind::Shipment => {
            let shipment = store::shipments::get(conn, r.id)?
                .ok_or_else(|| missing("出库记录", "shipment", r.id))?;
            let lines = store::shipments::lines_of_shipments(conn, &[r.id])?;
            let mut batch_ids: Vec<i64> = lines.iter().map(|l| l.line.batch_id).collect();
            batch_ids.sort_unstable();
            batch_ids.dedup();
            let batches = store::batches::get_many(conn, &batch_ids)?;
            let mut keys = Vec::new();
            for b in &batches {
                keys.push((b.id, g.add(batch_node(b), true)));
            }
            let item_ids: Vec<i64> = lines.iter().filter_map(|l| l.line.item_id).collect();
            let items = store::items::get_many(conn, &item_ids)?;
            for l in &lines {
                let bk = key(TraceKind::Batch, l.line.batch_id);
                match l
                    .line
                    .item_id
                    .and_then(|i| items.iter().find(|it| it.id == i))
                {
                    Some(item) => {
                        let batch = batches.iter().find(|b| b.id == item.batch_id);
                        let ik = g.add(item_node(item, batch), true);
                        g.edge(&bk, &ik, Some(1.0), &l.unit);
                        g.edge(&ik, &root.key, Some(1.0), &l.unit);
                    }
                    None => g.edge(&bk, &root.key, Some(l.line.quantity), &l.unit),
                }
            }
            g.materials_of(conn, &keys)?;
            g.customers_of(conn, std::slice::from_ref(&shipment), &lines)?;
        }
        TraceKind::Product => {}
        TraceKind::Supplier | TraceKind::Customer => {
            return Err(Msg::TraceStart.err());
        }
    }
    Ok(g.finish(query, root, alternatives, started))
}

impl App {
    /// Traces whatever `text` names: a trace code (GS1 element string, scanner data, Digital Link,
    /// Ecode, 数字身份码), a batch lot, a supplier's lot or a delivery note number.
    pub fn trace(&self, text: &str) -> Result<TraceResult> {
        let db = self.db();
        let conn = db.conn();
        let text = text.trim();
        if text.is_empty() {
            return Err(Msg::TraceQueryEmpty.err());
        }
        let refs = resolve(conn, text)?;
        let Some((first, rest)) = refs.split_first() else {
            return Err(Msg::TraceQueryNotFound {
                text: text.to_string(),
            }
            .err());
        };
        let mut alternatives = Vec::new();
        for r in rest.iter().take(20) {
            alternatives.push(node_of(conn, *r)?);
        }
        if first.kind == TraceKind::Product {
            // A GTIN alone names a product (一品一码): offer its latest batches to choose from.
            for b in store::batches::list(
                conn,
                &store::batches::BatchFilter {
                    params: store::ListParams {
                        limit: 20,
                        ..Default::default()
                    },
                    product_id: Some(first.id),
                    ..Default::default()
                },
            )?
            .0
            {
                alternatives.push(batch_node(&b));
            }
        }
        build(conn, text, *first, alternatives)
    }

    /// Traces one record chosen by kind and id (a node of an earlier trace, an alternative).
    pub fn trace_ref(&self, r: TraceRef) -> Result<TraceResult> {
        let db = self.db();
        build(db.conn(), &key(r.kind, r.id), r, Vec::new())
    }

    /// A trace as xlsx: the chain, one row per record, and the links with their quantities; to
    /// `path`, or into `<data dir>/exports/`.
    pub fn export_trace(&self, result: &TraceResult, path: Option<&str>) -> Result<ExportResult> {
        let path = xlsx_path(&self.export_path(
            path,
            &format!("追溯-{}", safe_stem(&result.root.label)),
            "xlsx",
        )?);
        let label: HashMap<&str, String> = std::iter::once(&result.root)
            .chain(&result.upstream)
            .chain(&result.downstream)
            .map(|n| (n.key.as_str(), format!("{} {}", n.kind.zh(), n.label)))
            .collect();
        let row = |dir: &str, n: &TraceNode| -> Vec<Cell> {
            vec![
                dir.into(),
                n.kind.zh().into(),
                n.label.clone().into(),
                n.detail.clone().into(),
                n.party.clone().into(),
                n.date.clone().into(),
                n.quantity.into(),
                n.unit.clone().into(),
                n.inspection.map(|i| i.zh().to_string()).into(),
                n.contact.clone().into(),
                n.phone.clone().into(),
                n.address.clone().into(),
            ]
        };
        let rows = std::iter::once(row("查询对象", &result.root))
            .chain(result.upstream.iter().map(|n| row("上游", n)))
            .chain(result.downstream.iter().map(|n| row("下游", n)));
        let mut book = Book::new();
        book.sheet(
            "追溯链",
            &[
                "方向",
                "类型",
                "编号/名称",
                "说明",
                "相关单位",
                "日期",
                "数量",
                "单位",
                "检验结论",
                "联系人",
                "电话",
                "地址",
            ],
            rows,
        )
        .map_err(write_err(&path))?;
        book.sheet(
            "流向",
            &["从", "到", "数量", "单位"],
            result.edges.iter().map(|e| {
                vec![
                    label
                        .get(e.from.as_str())
                        .cloned()
                        .unwrap_or_else(|| e.from.clone())
                        .into(),
                    label
                        .get(e.to.as_str())
                        .cloned()
                        .unwrap_or_else(|| e.to.clone())
                        .into(),
                    e.quantity.into(),
                    e.unit.clone().into(),
                ]
            }),
        )
        .map_err(write_err(&path))?;
        book.text_sheet(
            "说明",
            &[
                format!("追溯查询：{}", result.query),
                format!("查询对象：{} {}", result.root.kind.zh(), result.root.label),
                format!(
                    "上游记录 {} 条，下游记录 {} 条，用时 {} 毫秒",
                    result.upstream.len(),
                    result.downstream.len(),
                    num(result.elapsed_ms)
                ),
            ],
        )
        .map_err(write_err(&path))?;
        book.save(&path)
    }
}

/// `label` made safe as part of a file name.
pub(crate) fn safe_stem(label: &str) -> String {
    label
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '-' {
                c
            } else {
                '_'
            }
        })
        .take(40)
        .collect()
}
