//! 生产批次: production batches, the material lots they consumed, and the factory inspection.

use crate::messages::Msg;
use std::collections::HashSet;

use store::Connection;
use time::Date;

use crate::documents::{batch_dates, doc_no, opt_date};
use crate::entries::{
    DEFAULT_LOT_PATTERN, KEY_LOT_PATTERN, Problems, ensure_editable, iso, list_params, num,
    opt_text, parse_date, to_ymd, today,
};
use crate::products::not_found;
use crate::receipts::lot_balance;
use crate::{
    ApiError, App, Batch, BatchBalance, BatchCheck, BatchInput, BatchMaterial, ErrorCode,
    Granularity, InspectionResult, ListQuery, LotBalance, Page, RecordKind, Result,
};

pub(crate) struct BatchDraft {
    fields: store::batches::BatchFields,
    inputs: Vec<store::batches::InputFields>,
}

pub(crate) fn validate_batch(
    conn: &Connection,
    input: &BatchInput,
    id: Option<i64>,
    today: Date,
) -> Result<(BatchDraft, Problems, Vec<LotBalance>)> {
    let mut p = Problems::default();
    let product = match input.product_id {
        None => {
            p.error("productId", "required", "请选择产品", "choose the product");
            None
        }
        Some(pid) => {
            let row = store::products::get(conn, pid)?;
            if row.is_none() {
                p.error(
                    "productId",
                    "product.missing",
                    "所选产品不存在，可能已被删除，请重新选择",
                    "the chosen product does not exist",
                );
            }
            row
        }
    };
    let lot_no = p.required("lotNo", &input.lot_no, "批号", "lot number");
    if !lot_no.is_empty() {
        // A lot the product's codes carry must fit GS1 (10); any other lot is warned about.
        let carried = match &product {
            Some(row) => crate::lots::product_carries_lot(conn, row)?,
            None => false,
        };
        for problem in codes::gs1::check_lot(&lot_no, carried) {
            if problem.is_error() {
                p.error(
                    "lotNo",
                    &problem.code,
                    problem.message.zh,
                    problem.message.en,
                );
            } else {
                p.warning(
                    "lotNo",
                    &problem.code,
                    problem.message.zh,
                    problem.message.en,
                );
            }
        }
        if let Some(product) = &product
            && let Some(other) = store::batches::duplicate(conn, product.id, &lot_no, id)?
        {
            p.error(
                "lotNo",
                "batch.duplicate",
                format!(
                    "产品“{}”的批号 {lot_no} 已登记（生产记录 {other}），请换一个批号",
                    product.fields.name
                ),
                format!("lot {lot_no} of this product is recorded already (#{other})"),
            );
        }
    }
    let produced_on = p.date("producedOn", &input.produced_on, today, "生产日期");
    let quantity = p.quantity("quantity", input.quantity, "生产数量");
    let unit = p.required("unit", &input.unit, "单位", "unit");
    let report_no = opt_text(&input.report_no);
    if input.inspection_result != InspectionResult::Pending && input.inspector.trim().is_empty() {
        p.warning(
            "inspector",
            "inspector.missing",
            "已有出厂检验结论，请填写检验员",
            "the batch has an inspection result: name the inspector",
        );
    }
    match input.inspection_result {
        InspectionResult::Pass if report_no.is_none() => p.warning(
            "reportNo",
            "report.missing",
            "出厂检验合格，建议填写检验报告编号",
            "the batch passed: add the inspection report number",
        ),
        InspectionResult::Fail => p.warning(
            "inspectionResult",
            "inspection.failed",
            "不合格批次不得出厂；如已发货，请在“追溯”中对该批次做模拟召回",
            "a failed batch must not be shipped; if it was, run a recall drill from it",
        ),
        _ => {}
    }

    // The lots consumed, and what each had left before this batch.
    let mut seen = HashSet::new();
    let mut inputs = Vec::new();
    let ids: Vec<i64> = input.inputs.iter().map(|l| l.receipt_id).collect();
    let receipts = store::receipts::get_many(conn, &ids)?;
    let consumed = store::batches::consumed(conn, &ids, id)?;
    let mut lots = Vec::new();
    if input.inputs.is_empty() {
        p.warning(
            "inputs",
            "inputs.missing",
            "未登记所用原料批次：出现质量问题时将无法追溯到原料和供应商",
            "no material lots recorded: a problem could not be traced to materials and suppliers",
        );
    }
    for (i, line) in input.inputs.iter().enumerate() {
        let field = format!("inputs.{i}.receiptId");
        let qty_field = format!("inputs.{i}.quantity");
        let Some(row) = receipts.iter().find(|r| r.id == line.receipt_id) else {
            p.error(
                &field,
                "lot.missing",
                "所选原料批次不存在，请重新选择",
                "the chosen material lot does not exist",
            );
            continue;
        };
        if !seen.insert(line.receipt_id) {
            p.error(
                &field,
                "lot.repeated",
                format!("原料批次 {} 重复，请合并为一行", row.fields.supplier_lot),
                "the same lot is listed twice; merge the lines",
            );
            continue;
        }
        let balance = lot_balance(row, consumed.get(&row.id).copied().unwrap_or(0.0));
        let lot = &row.fields.supplier_lot;
        let unit = &row.fields.unit;
        if let Some(q) = line.quantity {
            if !q.is_finite() || q <= 0.0 {
                p.error(
                    &qty_field,
                    "quantity.not-positive",
                    "用量必须大于 0；用量不详可以留空",
                    "the amount must be greater than 0; leave it empty if unknown",
                );
            } else if q > balance.remaining + 1e-9 {
                p.warning(
                    &qty_field,
                    "lot.over-consumed",
                    format!(
                        "超出原料批次 {lot} 的剩余数量：到货 {} {unit}，已用 {} {unit}，剩余 {} {unit}，本次 {} {unit}",
                        num(balance.received),
                        num(balance.consumed),
                        num(balance.remaining),
                        num(q)
                    ),
                    format!(
                        "more than lot {lot} has left: received {}, used {}, left {}, this batch {}",
                        num(balance.received),
                        num(balance.consumed),
                        num(balance.remaining),
                        num(q)
                    ),
                );
            }
        }
        match balance.inspection_result {
            InspectionResult::Fail => p.warning(
                &field,
                "lot.failed",
                format!("原料批次 {lot} 进货查验不合格，不应投入生产"),
                format!("lot {lot} failed its incoming inspection"),
            ),
            InspectionResult::Pending => p.warning(
                &field,
                "lot.pending",
                format!("原料批次 {lot} 尚未完成进货查验"),
                format!("lot {lot} has not been inspected yet"),
            ),
            InspectionResult::Pass => {}
        }
        if let (Some(produced), Some(received)) = (produced_on, parse_date(&row.fields.received_on))
            && received > produced
        {
            p.warning(
                &field,
                "lot.after-production",
                format!(
                    "原料批次 {lot} 的到货日期 {} 晚于生产日期，请核对",
                    iso(received)
                ),
                format!("lot {lot} arrived after the production date"),
            );
        }
        inputs.push(store::batches::InputFields {
            receipt_id: line.receipt_id,
            quantity: line.quantity.filter(|q| q.is_finite() && *q > 0.0),
        });
        lots.push(balance);
    }
    let inspected_on = opt_date(
        &mut p,
        "inspectedOn",
        &input.inspected_on,
        ("检验日期", "inspection date"),
        Some(today),
    );
    let expires_on = opt_date(
        &mut p,
        "expiresOn",
        &input.expires_on,
        ("有效期至", "expiry date"),
        None,
    );
    batch_dates(&mut p, produced_on, inspected_on, expires_on, today);
    if inspected_on.is_some() && input.inspection_result == InspectionResult::Pending {
        p.warning(
            "inspectionResult",
            "inspection.date-without-result",
            "已填写检验日期，检验结论仍为“待检”；请选择合格或不合格",
            "an inspection date is given but the result is still pending: choose pass or fail",
        );
    }
    let work_order_no = doc_no(
        &mut p,
        "workOrderNo",
        &input.work_order_no,
        "生产工单号",
        "work order no.",
    );
    let fields = store::batches::BatchFields {
        product_id: product.as_ref().map(|r| r.id).unwrap_or(0),
        lot_no,
        produced_on: produced_on.map(iso).unwrap_or_default(),
        quantity,
        unit,
        inspection_result: input.inspection_result.as_str().to_string(),
        inspector: input.inspector.trim().to_string(),
        report_no,
        docs: store::batches::BatchDocs {
            inspected_on: inspected_on.map(iso),
            expires_on: expires_on.map(iso),
            work_order_no,
        },
    };
    Ok((BatchDraft { fields, inputs }, p, lots))
}

pub(crate) fn batch_balance(row: &store::batches::BatchRow, shipped: f64) -> BatchBalance {
    BatchBalance {
        batch_id: row.id,
        product_id: row.fields.product_id,
        product_name: row.product_name.clone(),
        product_model: row.product_model.clone(),
        lot_no: row.fields.lot_no.clone(),
        produced_on: row.fields.produced_on.clone(),
        unit: row.fields.unit.clone(),
        inspection_result: InspectionResult::from_db(&row.fields.inspection_result),
        produced: row.fields.quantity,
        shipped,
        remaining: row.fields.quantity - shipped,
    }
}

pub(crate) fn batch_summary(row: store::batches::BatchRow) -> Batch {
    let f = row.fields;
    Batch {
        id: row.id,
        product_id: f.product_id,
        product_name: row.product_name,
        product_model: row.product_model,
        product_gtin: row.product_gtin,
        granularity: Granularity::from_db(&row.granularity),
        lot_no: f.lot_no,
        produced_on: f.produced_on,
        quantity: f.quantity,
        unit: f.unit,
        inspection_result: InspectionResult::from_db(&f.inspection_result),
        inspector: f.inspector,
        report_no: f.report_no,
        inspected_on: f.docs.inspected_on,
        expires_on: f.docs.expires_on,
        work_order_no: f.docs.work_order_no,
        inputs: Vec::new(),
        input_count: row.input_count,
        shipped: row.shipped,
        item_count: row.item_count,
        attachments: Vec::new(),
        submitted_at: None,
        created_at: row.created_at,
        updated_at: row.updated_at,
    }
}

impl App {
    /// Every problem with the production form, and the balance of each lot on it.
    pub fn check_batch(&self, input: &BatchInput, id: Option<i64>) -> Result<BatchCheck> {
        let db = self.db();
        let (_, problems, lots) = validate_batch(db.conn(), input, id, today())?;
        Ok(BatchCheck {
            problems: problems.0,
            lots,
        })
    }

    pub fn add_batch(&self, input: &BatchInput) -> Result<Batch> {
        self.write_batch(None, input)
    }

    /// Changes a batch and its inputs; refused once it has been submitted.
    pub fn update_batch(&self, id: i64, input: &BatchInput) -> Result<Batch> {
        self.write_batch(Some(id), input)
    }

    fn write_batch(&self, id: Option<i64>, input: &BatchInput) -> Result<Batch> {
        let today = today();
        let saved = self.db().transact(|tx| {
            if let Some(id) = id {
                if store::batches::get(tx, id)?.is_none() {
                    return Err(not_found("生产批次", "batch", id));
                }
                ensure_editable(tx, RecordKind::Batch, id)?;
            }
            let (draft, problems, _) = validate_batch(tx, input, id, today)?;
            problems.refuse_on_error()?;
            Ok::<_, ApiError>(match id {
                Some(id) => {
                    store::batches::update(tx, id, &draft.fields, &draft.inputs)?;
                    id
                }
                None => store::batches::insert(tx, &draft.fields, &draft.inputs)?,
            })
        })?;
        self.batch(saved)
    }

    /// A batch with its lots (each with what is left of it) and attachments.
    pub fn batch(&self, id: i64) -> Result<Batch> {
        let db = self.db();
        let conn = db.conn();
        let row =
            store::batches::get(conn, id)?.ok_or_else(|| not_found("生产批次", "batch", id))?;
        let inputs = store::batches::inputs_of(conn, id)?;
        let ids: Vec<i64> = inputs.iter().map(|i| i.receipt_id).collect();
        let receipts = store::receipts::get_many(conn, &ids)?;
        let consumed = store::batches::consumed(conn, &ids, None)?;
        let materials = inputs
            .iter()
            .filter_map(|i| {
                let row = receipts.iter().find(|r| r.id == i.receipt_id)?;
                Some(BatchMaterial {
                    lot: lot_balance(row, consumed.get(&row.id).copied().unwrap_or(0.0)),
                    quantity: i.quantity,
                })
            })
            .collect();
        let attachments = self.attachments_of(conn, store::attachments::Owner::Batch(id))?;
        let submitted_at = store::edit_guard::submitted_at(conn, "batch", id)?;
        let mut batch = batch_summary(row);
        batch.inputs = materials;
        batch.attachments = attachments;
        batch.submitted_at = submitted_at;
        Ok(batch)
    }

    pub fn list_batches(&self, query: &ListQuery) -> Result<Page<Batch>> {
        let filter = store::batches::BatchFilter {
            params: list_params(query),
            inspection_result: query.inspection.map(|r| r.as_str().to_string()),
            product_id: None,
            from: query.from.clone(),
            to: query.to.clone(),
        };
        let (rows, total) = store::batches::list(self.db().conn(), &filter)?;
        Ok(Page {
            rows: rows.into_iter().map(batch_summary).collect(),
            total,
        })
    }

    /// Batches matching `search` with what is left to ship: the batch picker of the shipment
    /// form. `except_shipment`: the shipment being edited.
    pub fn search_batches(
        &self,
        search: &str,
        except_shipment: Option<i64>,
    ) -> Result<Vec<BatchBalance>> {
        let db = self.db();
        let conn = db.conn();
        let rows = store::batches::search(conn, search, 30)?;
        let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
        let shipped = store::batches::shipped(conn, &ids, except_shipment)?;
        Ok(rows
            .iter()
            .map(|r| batch_balance(r, shipped.get(&r.id).copied().unwrap_or(0.0)))
            .collect())
    }

    /// The next free lot number from the lot pattern (default `B{yyyyMMdd}-{seq}`) for
    /// `produced_on` (today when blank).
    pub fn suggest_lot(&self, produced_on: &str) -> Result<String> {
        let date = parse_date(produced_on).unwrap_or_else(today);
        let db = self.db();
        let pattern = db
            .setting(KEY_LOT_PATTERN)?
            .and_then(|v| serde_json::from_str::<String>(&v).ok())
            .unwrap_or_else(|| DEFAULT_LOT_PATTERN.to_string());
        let conn = db.conn();
        let start = store::batches::count_produced_on(conn, &iso(date))? as u64 + 1;
        for seq in start..start + 10_000 {
            let lot =
                codes::serial::suggest_lot(&pattern, to_ymd(date), seq).map_err(|problems| {
                    let first = problems.iter().next();
                    Msg::LotPatternInvalid {
                        pattern: pattern.to_string(),
                        zh: first.map(|p| p.message.zh.clone()).unwrap_or_default(),
                        en: first.map(|p| p.message.en.clone()).unwrap_or_default(),
                    }
                    .err()
                })?;
            if !store::batches::lot_taken(conn, &lot)? {
                return Ok(lot);
            }
        }
        Err(Msg::LotNumbersUsedUp.err())
    }

    /// Sets the lot-number pattern of the production form.
    pub fn set_lot_pattern(&self, pattern: &str) -> Result<String> {
        codes::serial::CodePattern::parse(pattern).map_err(|problems| {
            let first = problems.iter().next();
            Msg::Relayed {
                code: ErrorCode::InvalidInput,
                field: Some("lotPattern".into()),
                zh: first.map(|p| p.message.zh.clone()).unwrap_or_default(),
                en: first.map(|p| p.message.en.clone()).unwrap_or_default(),
            }
            .err()
        })?;
        let json = serde_json::to_string(pattern).unwrap_or_default();
        self.db().set_setting(KEY_LOT_PATTERN, &json)?;
        Ok(pattern.to_string())
    }
}
