//! 销售出库: shipments of batch quantities or scanned items to customers.

use crate::messages::Msg;
use std::collections::{HashMap, HashSet};

use store::Connection;
use time::Date;

use crate::batches::batch_balance;
use crate::documents::doc_no;
use crate::entries::{Problems, ensure_editable, iso, list_params, num, parse_date, today};
use crate::products::not_found;
use crate::receipts::{PartyRef, party_ref, resolve_party};
use crate::{
    ApiError, App, FieldProblem, InspectionResult, ListQuery, Page, RecordKind, Result, Shipment,
    ShipmentInput, ShipmentLine,
};

pub(crate) struct ShipmentDraft {
    customer: Option<PartyRef>,
    fields: store::shipments::ShipmentFields,
    lines: Vec<store::shipments::LineFields>,
}

pub(crate) fn validate_shipment(
    conn: &Connection,
    input: &ShipmentInput,
    id: Option<i64>,
    today: Date,
) -> Result<(ShipmentDraft, Problems)> {
    let mut p = Problems::default();
    let customer = party_ref(
        conn,
        "customerName",
        &input.customer_name,
        "customer",
        &mut p,
    )?;
    let shipped_on = p.date("shippedOn", &input.shipped_on, today, "发货日期");
    let note_no = p.required(
        "deliveryNoteNo",
        &input.delivery_note_no,
        "送货单号",
        "delivery note number",
    );
    if !note_no.is_empty()
        && let Some(other) = store::shipments::by_note(conn, &note_no, id)?
    {
        p.error(
            "deliveryNoteNo",
            "shipment.duplicate",
            format!("送货单号 {note_no} 已登记（出库记录 {other}），请核对或换一个单号"),
            format!("delivery note {note_no} is recorded already (#{other})"),
        );
    }
    if input.lines.is_empty() {
        p.error(
            "lines",
            "lines.missing",
            "请至少添加一行出库明细：选择批次或扫描单品码",
            "add at least one line: choose a batch or scan an item code",
        );
    }
    let batch_ids: Vec<i64> = input.lines.iter().filter_map(|l| l.batch_id).collect();
    let batches = store::batches::get_many(conn, &batch_ids)?;
    let shipped_before = store::batches::shipped(conn, &batch_ids, id)?;
    let mut this_shipment: HashMap<i64, f64> = HashMap::new();
    let mut items_seen = HashSet::new();
    let mut lines = Vec::new();
    for (i, line) in input.lines.iter().enumerate() {
        let batch_field = format!("lines.{i}.batchId");
        let qty_field = format!("lines.{i}.quantity");
        let Some(batch_id) = line.batch_id else {
            p.error(&batch_field, "required", "请选择批次", "choose the batch");
            continue;
        };
        let Some(batch) = batches.iter().find(|b| b.id == batch_id) else {
            p.error(
                &batch_field,
                "batch.missing",
                "所选批次不存在，请重新选择",
                "the chosen batch does not exist",
            );
            continue;
        };
        let lot = &batch.fields.lot_no;
        let mut quantity = p.quantity(&qty_field, line.quantity, "数量");
        if let Some(item_id) = line.item_id {
            let item_field = format!("lines.{i}.itemId");
            match store::items::get(conn, item_id)? {
                None => {
                    p.error(
                        &item_field,
                        "item.missing",
                        "所扫单品不存在",
                        "the scanned item does not exist",
                    );
                    continue;
                }
                Some(item) if item.batch_id != batch_id => {
                    p.error(
                        &item_field,
                        "item.other-batch",
                        format!("单品 {} 不属于批次 {lot}", item.serial),
                        format!("item {} is not of lot {lot}", item.serial),
                    );
                    continue;
                }
                Some(item) => {
                    if item.status == "void" {
                        p.error(
                            &item_field,
                            "item.void",
                            format!("单品 {} 的码已作废，不能出库", item.serial),
                            format!("item {}'s code is void", item.serial),
                        );
                    }
                    if !items_seen.insert(item_id) {
                        p.error(
                            &item_field,
                            "item.repeated",
                            format!("单品 {} 重复扫描", item.serial),
                            format!("item {} was scanned twice", item.serial),
                        );
                    }
                    let notes = store::shipments::notes_with_item(conn, item_id, id)?;
                    if !notes.is_empty() {
                        p.warning(
                            &item_field,
                            "item.shipped",
                            format!("单品 {} 已随送货单 {} 出库", item.serial, notes.join("、")),
                            format!(
                                "item {} was shipped already with {}",
                                item.serial,
                                notes.join(", ")
                            ),
                        );
                    }
                    if (quantity - 1.0).abs() > f64::EPSILON && quantity > 0.0 {
                        p.warning(
                            &qty_field,
                            "item.quantity",
                            "单品出库数量按 1 计",
                            "an item line counts as 1",
                        );
                    }
                    quantity = 1.0;
                }
            }
        }
        match InspectionResult::from_db(&batch.fields.inspection_result) {
            InspectionResult::Fail => p.warning(
                &batch_field,
                "batch.failed",
                format!("批次 {lot} 出厂检验不合格，不应出库"),
                format!("lot {lot} failed its factory inspection"),
            ),
            InspectionResult::Pending => p.warning(
                &batch_field,
                "batch.pending",
                format!("批次 {lot} 尚未完成出厂检验"),
                format!("lot {lot} has not been inspected yet"),
            ),
            InspectionResult::Pass => {}
        }
        if let (Some(shipped), Some(produced)) = (shipped_on, parse_date(&batch.fields.produced_on))
            && shipped < produced
        {
            p.warning(
                &batch_field,
                "batch.after-shipment",
                format!(
                    "批次 {lot} 的生产日期 {} 晚于发货日期，请核对",
                    iso(produced)
                ),
                format!("lot {lot} was produced after the shipping date"),
            );
        }
        if quantity > 0.0 {
            let total = this_shipment.entry(batch_id).or_default();
            *total += quantity;
            let balance =
                batch_balance(batch, shipped_before.get(&batch_id).copied().unwrap_or(0.0));
            if *total > balance.remaining + 1e-9 {
                let unit = &balance.unit;
                p.warning(
                    &qty_field,
                    "batch.over-shipped",
                    format!(
                        "超出批次 {lot} 的可发数量：生产 {} {unit}，已发 {} {unit}，剩余 {} {unit}，本单 {} {unit}",
                        num(balance.produced),
                        num(balance.shipped),
                        num(balance.remaining),
                        num(*total)
                    ),
                    format!(
                        "more than lot {lot} has left: produced {}, shipped {}, left {}, this note {}",
                        num(balance.produced),
                        num(balance.shipped),
                        num(balance.remaining),
                        num(*total)
                    ),
                );
            }
            lines.push(store::shipments::LineFields {
                batch_id,
                item_id: line.item_id,
                quantity,
            });
        }
    }
    let fields = store::shipments::ShipmentFields {
        customer_id: 0,
        shipped_on: shipped_on.map(iso).unwrap_or_default(),
        delivery_note_no: note_no,
        note: input.note.trim().to_string(),
        ship_to: input.ship_to.trim().to_string(),
        docs: store::shipments::ShipmentDocs {
            order_no: doc_no(
                &mut p,
                "orderNo",
                &input.order_no,
                "销售订单号",
                "sales order no.",
            ),
            invoice_no: doc_no(
                &mut p,
                "invoiceNo",
                &input.invoice_no,
                "发票号",
                "invoice no.",
            ),
        },
    };
    Ok((
        ShipmentDraft {
            customer,
            fields,
            lines,
        },
        p,
    ))
}

fn line_dto(l: store::shipments::LineRow) -> ShipmentLine {
    ShipmentLine {
        id: l.id,
        batch_id: l.line.batch_id,
        lot_no: l.lot_no,
        product_name: l.product_name,
        product_model: l.product_model,
        item_id: l.line.item_id,
        serial: l.serial,
        quantity: l.line.quantity,
        unit: l.unit,
    }
}

fn shipment_summary(row: store::shipments::ShipmentRow) -> Shipment {
    Shipment {
        id: row.id,
        customer_id: row.fields.customer_id,
        customer_name: row.customer_name,
        shipped_on: row.fields.shipped_on,
        delivery_note_no: row.fields.delivery_note_no,
        note: row.fields.note,
        ship_to: row.fields.ship_to,
        order_no: row.fields.docs.order_no,
        invoice_no: row.fields.docs.invoice_no,
        lines: Vec::new(),
        line_count: row.line_count,
        total_quantity: row.total_quantity,
        attachments: Vec::new(),
        submitted_at: None,
        created_at: row.created_at,
        updated_at: row.updated_at,
    }
}

impl App {
    pub fn check_shipment(
        &self,
        input: &ShipmentInput,
        id: Option<i64>,
    ) -> Result<Vec<FieldProblem>> {
        let db = self.db();
        Ok(validate_shipment(db.conn(), input, id, today())?.1.0)
    }

    pub fn add_shipment(&self, input: &ShipmentInput) -> Result<Shipment> {
        self.write_shipment(None, input)
    }

    /// Changes a shipment and its lines; refused once it has been submitted.
    pub fn update_shipment(&self, id: i64, input: &ShipmentInput) -> Result<Shipment> {
        self.write_shipment(Some(id), input)
    }

    fn write_shipment(&self, id: Option<i64>, input: &ShipmentInput) -> Result<Shipment> {
        let today = today();
        let saved = self.db().transact(|tx| {
            if let Some(id) = id {
                if store::shipments::get(tx, id)?.is_none() {
                    return Err(not_found("出库记录", "shipment", id));
                }
                ensure_editable(tx, RecordKind::Shipment, id)?;
            }
            let (draft, problems) = validate_shipment(tx, input, id, today)?;
            problems.refuse_on_error()?;
            let customer = draft
                .customer
                .as_ref()
                .ok_or_else(|| Msg::CustomerRequired.err())?;
            let mut fields = draft.fields;
            fields.customer_id = resolve_party(tx, customer, "customer")?;
            Ok::<_, ApiError>(match id {
                Some(id) => {
                    store::shipments::update(tx, id, &fields, &draft.lines)?;
                    id
                }
                None => store::shipments::insert(tx, &fields, &draft.lines)?,
            })
        })?;
        self.shipment(saved)
    }

    pub fn shipment(&self, id: i64) -> Result<Shipment> {
        let db = self.db();
        let conn = db.conn();
        let row = store::shipments::get(conn, id)?
            .ok_or_else(|| not_found("出库记录", "shipment", id))?;
        let mut shipment = shipment_summary(row);
        shipment.lines = store::shipments::lines_of(conn, id)?
            .into_iter()
            .map(line_dto)
            .collect();
        shipment.attachments =
            self.attachments_of(conn, store::attachments::Owner::Shipment(id))?;
        shipment.submitted_at = store::edit_guard::submitted_at(conn, "shipment", id)?;
        Ok(shipment)
    }

    pub fn list_shipments(&self, query: &ListQuery) -> Result<Page<Shipment>> {
        let filter = store::shipments::ShipmentFilter {
            params: list_params(query),
            customer_id: None,
            from: query.from.clone(),
            to: query.to.clone(),
        };
        let (rows, total) = store::shipments::list(self.db().conn(), &filter)?;
        Ok(Page {
            rows: rows.into_iter().map(shipment_summary).collect(),
            total,
        })
    }

    /// The next free delivery note number `D{yyyyMMdd}-{seq:03}` for `shipped_on` (today when
    /// blank).
    pub fn suggest_delivery_note(&self, shipped_on: &str) -> Result<String> {
        let date = parse_date(shipped_on).unwrap_or_else(today);
        let prefix = format!(
            "D{:04}{:02}{:02}-",
            date.year(),
            u8::from(date.month()),
            date.day()
        );
        let db = self.db();
        let conn = db.conn();
        let start = store::shipments::count_with_prefix(conn, &prefix)? + 1;
        for seq in start..start + 10_000 {
            let no = format!("{prefix}{seq:03}");
            if store::shipments::by_note(conn, &no, None)?.is_none() {
                return Ok(no);
            }
        }
        Err(Msg::DeliveryNumbersUsedUp.err())
    }
}
