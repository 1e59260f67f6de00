//! 模拟召回: from a material lot or a production batch to every affected batch, item, shipment
//! and customer, with contacts and quantities. Each drill is recorded with how long it took.

use crate::messages::Msg;
use std::collections::{BTreeMap, HashMap};
use std::time::Instant;

use crate::entries::{iso, num, today};
use crate::export::{Book, write_err, xlsx_path};
use crate::paths::now_iso;
use crate::trace::node_of;
use crate::{
    App, ExportResult, InspectionResult, RecallBatch, RecallCustomer, RecallDrill, RecallItem,
    RecallRequest, RecallResult, RecallShipment, Result, TraceKind, TraceRef,
};

fn notice(r: &RecallResult, enterprise: &str) -> String {
    let what = format!("{} {}", r.start.kind.zh(), r.start.label);
    let lots: Vec<String> = r
        .batches
        .iter()
        .map(|b| {
            format!(
                "{} {}（批号 {}，生产日期 {}）",
                b.product_name, b.product_model, b.lot_no, b.produced_on
            )
        })
        .collect();
    let mut s = String::new();
    s.push_str("产品召回通知（草稿）\n\n");
    s.push_str("致：各相关客户\n\n");
    s.push_str(&format!(
        "{}经排查发现，{}{}可能存在质量安全问题。为保障用户安全，我公司决定召回使用该原料或属于该批次的下列产品：\n\n",
        if enterprise.is_empty() { "我公司" } else { enterprise },
        what,
        if r.reason.trim().is_empty() { String::new() } else { format!("（原因：{}）", r.reason.trim()) }
    ));
    for l in &lots {
        s.push_str(&format!("  · {l}\n"));
    }
    s.push_str(&format!(
        "\n涉及客户 {} 家、送货单 {} 张，已发出数量合计 {}，库存未发出数量合计 {}。\n\n",
        r.customers.len(),
        r.shipments
            .iter()
            .map(|x| &x.delivery_note_no)
            .collect::<std::collections::BTreeSet<_>>()
            .len(),
        num(r.quantity_shipped),
        num(r.quantity_in_stock)
    ));
    s.push_str(
        "请贵单位收到本通知后立即停止销售和使用上述批次产品，清点库存并与我公司联系办理退换。\n",
    );
    s.push_str("联系人：__________  电话：__________\n\n");
    s.push_str(&format!(
        "{}\n{}\n",
        if enterprise.is_empty() {
            "（企业名称）"
        } else {
            enterprise
        },
        iso(today())
    ));
    s
}

impl App {
    /// Runs a recall drill from a material lot or a batch and records it.
    pub fn recall(&self, request: &RecallRequest) -> Result<RecallResult> {
        let enterprise = self.enterprise()?.map(|e| e.name).unwrap_or_default();
        let started_at = now_iso();
        let started = Instant::now();
        let mut db = self.db();
        let conn = db.conn();
        let start = request.start;
        let start_node = node_of(conn, start)?;
        // The affected batches, with how much of the starting lot each took.
        let (batch_ids, lot_quantity): (Vec<i64>, HashMap<i64, Option<f64>>) = match start.kind {
            TraceKind::MaterialLot => {
                let used = store::trace::used_by(conn, &[start.id])?;
                (
                    used.iter().map(|c| c.batch_id).collect(),
                    used.iter().map(|c| (c.batch_id, c.quantity)).collect(),
                )
            }
            TraceKind::Batch => (vec![start.id], HashMap::new()),
            _ => {
                return Err(Msg::RecallStart.err());
            }
        };
        let batch_rows = store::batches::get_many(conn, &batch_ids)?;
        let items = store::items::of_batches(conn, &batch_ids)?;
        let lines = store::shipments::lines_of_batches(conn, &batch_ids)?;
        let mut shipment_ids: Vec<i64> = lines.iter().map(|l| l.shipment_id).collect();
        shipment_ids.sort_unstable();
        shipment_ids.dedup();
        let shipments = store::shipments::get_many(conn, &shipment_ids)?;
        let shipment_of: HashMap<i64, &store::shipments::ShipmentRow> =
            shipments.iter().map(|s| (s.id, s)).collect();
        let mut customer_ids: Vec<i64> = shipments.iter().map(|s| s.fields.customer_id).collect();
        customer_ids.sort_unstable();
        customer_ids.dedup();
        let parties = store::trace::parties(conn, &customer_ids)?;

        let mut shipped_by_batch: HashMap<i64, f64> = HashMap::new();
        for l in &lines {
            *shipped_by_batch.entry(l.line.batch_id).or_default() += l.line.quantity;
        }
        let mut items_by_batch: HashMap<i64, i64> = HashMap::new();
        for i in &items {
            *items_by_batch.entry(i.batch_id).or_default() += 1;
        }
        let batches: Vec<RecallBatch> = batch_rows
            .iter()
            .map(|b| {
                let shipped = shipped_by_batch.get(&b.id).copied().unwrap_or(0.0);
                RecallBatch {
                    batch_id: b.id,
                    lot_no: b.fields.lot_no.clone(),
                    product_name: b.product_name.clone(),
                    product_model: b.product_model.clone(),
                    produced_on: b.fields.produced_on.clone(),
                    inspection_result: InspectionResult::from_db(&b.fields.inspection_result),
                    produced: b.fields.quantity,
                    shipped,
                    in_stock: (b.fields.quantity - shipped).max(0.0),
                    unit: b.fields.unit.clone(),
                    lot_quantity: lot_quantity.get(&b.id).copied().flatten(),
                    items: items_by_batch.get(&b.id).copied().unwrap_or(0),
                }
            })
            .collect();
        let batch_of: HashMap<i64, &store::batches::BatchRow> =
            batch_rows.iter().map(|b| (b.id, b)).collect();
        let customer_name = |id: i64| -> String {
            parties
                .iter()
                .find(|p| p.id == id)
                .map(|p| p.fields.name.clone())
                .unwrap_or_default()
        };
        let item_line: HashMap<i64, &store::shipments::LineRow> = lines
            .iter()
            .filter_map(|l| l.line.item_id.map(|i| (i, l)))
            .collect();
        let recall_items: Vec<RecallItem> = items
            .iter()
            .map(|i| {
                let line = item_line.get(&i.id);
                let shipment = line.and_then(|l| shipment_of.get(&l.shipment_id));
                RecallItem {
                    serial: i.serial.clone(),
                    lot_no: batch_of
                        .get(&i.batch_id)
                        .map(|b| b.fields.lot_no.clone())
                        .unwrap_or_default(),
                    product_name: batch_of
                        .get(&i.batch_id)
                        .map(|b| b.product_name.clone())
                        .unwrap_or_default(),
                    status: i.status.clone(),
                    customer_name: shipment.map(|s| customer_name(s.fields.customer_id)),
                    delivery_note_no: shipment.map(|s| s.fields.delivery_note_no.clone()),
                }
            })
            .collect();
        let recall_shipments: Vec<RecallShipment> = lines
            .iter()
            .filter_map(|l| {
                let s = shipment_of.get(&l.shipment_id)?;
                Some(RecallShipment {
                    delivery_note_no: s.fields.delivery_note_no.clone(),
                    shipped_on: s.fields.shipped_on.clone(),
                    customer_name: customer_name(s.fields.customer_id),
                    lot_no: l.lot_no.clone(),
                    product_name: l.product_name.clone(),
                    serial: l.serial.clone(),
                    quantity: l.line.quantity,
                    unit: l.unit.clone(),
                })
            })
            .collect();
        let mut per_customer: BTreeMap<i64, RecallCustomer> = BTreeMap::new();
        for l in &lines {
            let Some(s) = shipment_of.get(&l.shipment_id) else {
                continue;
            };
            let Some(p) = parties.iter().find(|p| p.id == s.fields.customer_id) else {
                continue;
            };
            let c = per_customer.entry(p.id).or_insert_with(|| RecallCustomer {
                customer_id: p.id,
                name: p.fields.name.clone(),
                contact: p.fields.contact.clone(),
                phone: p.fields.phone.clone(),
                address: p.fields.address.clone(),
                uscc: p.fields.uscc.clone(),
                lots: Vec::new(),
                delivery_notes: Vec::new(),
                quantity: 0.0,
                unit: l.unit.clone(),
            });
            c.quantity += l.line.quantity;
            if c.unit != l.unit {
                c.unit.clear();
            }
            if !c.lots.contains(&l.lot_no) {
                c.lots.push(l.lot_no.clone());
            }
            if !c.delivery_notes.contains(&s.fields.delivery_note_no) {
                c.delivery_notes.push(s.fields.delivery_note_no.clone());
            }
        }
        let mut customers: Vec<RecallCustomer> = per_customer.into_values().collect();
        customers.sort_by(|a, b| {
            b.quantity
                .total_cmp(&a.quantity)
                .then_with(|| a.name.cmp(&b.name))
        });
        let quantity_shipped: f64 = batches.iter().map(|b| b.shipped).sum();
        let quantity_in_stock: f64 = batches.iter().map(|b| b.in_stock).sum();
        let duration_ms = started.elapsed().as_secs_f64() * 1000.0;

        let drill = store::recall_drills::DrillFields {
            start_kind: if start.kind == TraceKind::MaterialLot {
                "material-lot"
            } else {
                "batch"
            }
            .into(),
            receipt_id: (start.kind == TraceKind::MaterialLot).then_some(start.id),
            batch_id: (start.kind == TraceKind::Batch).then_some(start.id),
            start_label: start_node.label.clone(),
            reason: request.reason.trim().to_string(),
            started_at: started_at.clone(),
            duration_ms,
            batches: batches.len() as i64,
            items: recall_items.len() as i64,
            shipments: shipment_ids.len() as i64,
            customers: customers.len() as i64,
            quantity_shipped,
            actor: db.actor().to_string(),
        };
        let drill_id = db.write(|tx| store::recall_drills::insert(tx, &drill))?;
        let mut result = RecallResult {
            drill_id,
            start: start_node,
            reason: drill.reason,
            started_at,
            duration_ms,
            batches,
            items: recall_items,
            shipments: recall_shipments,
            customers,
            quantity_shipped,
            quantity_in_stock,
            notice_zh: String::new(),
        };
        result.notice_zh = notice(&result, &enterprise);
        Ok(result)
    }

    /// The material lot (supplier lot number first) or production batch that `lot` names, for
    /// `tracedesk recall --lot`.
    pub fn recall_start(&self, lot: &str) -> Result<TraceRef> {
        let db = self.db();
        let conn = db.conn();
        let lot = lot.trim();
        let by_lot = store::trace::receipts_by_lot(conn, lot)?;
        // Then a supplier's code recorded at receipt (供方追溯码).
        let by_code = store::receipts::by_code(conn, lot)?;
        if let Some(r) = by_lot.first().or(by_code.first()) {
            return Ok(TraceRef {
                kind: TraceKind::MaterialLot,
                id: *r,
            });
        }
        if let Some(b) = store::trace::batches_by_lot(conn, lot, None)?.first() {
            return Ok(TraceRef {
                kind: TraceKind::Batch,
                id: *b,
            });
        }
        Err(Msg::RecallLotNotFound {
            lot: lot.to_string(),
        }
        .err())
    }

    /// The newest drills, newest first.
    pub fn recall_drills(&self) -> Result<Vec<RecallDrill>> {
        Ok(store::recall_drills::list(self.db().conn(), 100)?
            .into_iter()
            .map(|d| RecallDrill {
                id: d.id,
                start_kind: if d.fields.start_kind == "batch" {
                    TraceKind::Batch
                } else {
                    TraceKind::MaterialLot
                },
                start_label: d.fields.start_label,
                reason: d.fields.reason,
                started_at: d.fields.started_at,
                duration_ms: d.fields.duration_ms,
                batches: d.fields.batches,
                items: d.fields.items,
                shipments: d.fields.shipments,
                customers: d.fields.customers,
                quantity_shipped: d.fields.quantity_shipped,
                actor: d.fields.actor,
            })
            .collect())
    }

    /// The recall list as xlsx: the draft notice, customers with contacts and quantities, the
    /// shipment lines, the batches and the items; to `path`, or into `<data dir>/exports/`.
    pub fn export_recall(&self, r: &RecallResult, path: Option<&str>) -> Result<ExportResult> {
        let stem = format!("召回清单-{}", crate::trace::safe_stem(&r.start.label));
        let path = xlsx_path(&self.export_path(path, &stem, "xlsx")?);
        let mut book = Book::new();
        let err = write_err(&path);
        let mut summary: Vec<String> = r.notice_zh.lines().map(str::to_string).collect();
        summary.push(String::new());
        summary.push(format!(
            "演练记录：第 {} 次，开始于 {}，从{} {}出发，用时 {} 毫秒；受影响批次 {} 个、单品 {} 件、客户 {} 家",
            r.drill_id,
            r.started_at,
            r.start.kind.zh(),
            r.start.label,
            num(r.duration_ms),
            r.batches.len(),
            r.items.len(),
            r.customers.len()
        ));
        book.text_sheet("召回通知（草稿）", &summary)
            .map_err(&err)?;
        book.sheet(
            "受影响客户",
            &[
                "客户",
                "联系人",
                "电话",
                "地址",
                "统一社会信用代码",
                "批号",
                "送货单号",
                "数量",
                "单位",
            ],
            r.customers.iter().map(|c| {
                vec![
                    c.name.clone().into(),
                    c.contact.clone().into(),
                    c.phone.clone().into(),
                    c.address.clone().into(),
                    c.uscc.clone().into(),
                    c.lots.join("、").into(),
                    c.delivery_notes.join("、").into(),
                    c.quantity.into(),
                    c.unit.clone().into(),
                ]
            }),
        )
        .map_err(&err)?;
        book.sheet(
            "发货明细",
            &[
                "发货日期",
                "送货单号",
                "客户",
                "产品",
                "批号",
                "序列号",
                "数量",
                "单位",
            ],
            r.shipments.iter().map(|s| {
                vec![
                    s.shipped_on.clone().into(),
                    s.delivery_note_no.clone().into(),
                    s.customer_name.clone().into(),
                    s.product_name.clone().into(),
                    s.lot_no.clone().into(),
                    s.serial.clone().into(),
                    s.quantity.into(),
                    s.unit.clone().into(),
                ]
            }),
        )
        .map_err(&err)?;
        book.sheet(
            "受影响批次",
            &[
                "批号",
                "产品",
                "规格型号",
                "生产日期",
                "出厂检验",
                "生产数量",
                "已发货",
                "库存未发",
                "单位",
                "使用该原料数量",
                "单品数",
            ],
            r.batches.iter().map(|b| {
                vec![
                    b.lot_no.clone().into(),
                    b.product_name.clone().into(),
                    b.product_model.clone().into(),
                    b.produced_on.clone().into(),
                    b.inspection_result.zh().into(),
                    b.produced.into(),
                    b.shipped.into(),
                    b.in_stock.into(),
                    b.unit.clone().into(),
                    b.lot_quantity.into(),
                    b.items.into(),
                ]
            }),
        )
        .map_err(&err)?;
        book.sheet(
            "受影响单品",
            &["序列号", "批号", "产品", "状态", "客户", "送货单号"],
            r.items.iter().map(|i| {
                vec![
                    i.serial.clone().into(),
                    i.lot_no.clone().into(),
                    i.product_name.clone().into(),
                    if i.status == "void" {
                        "已作废"
                    } else {
                        "有效"
                    }
                    .into(),
                    i.customer_name.clone().into(),
                    i.delivery_note_no.clone().into(),
                ]
            }),
        )
        .map_err(&err)?;
        book.save(&path)
    }
}
