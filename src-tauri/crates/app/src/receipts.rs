//! 进货查验: material receipts with their incoming inspection.

pub(crate) mod supplier_codes;

use crate::messages::Msg;
use store::Connection;
use time::Date;

use crate::documents::doc_no;
use crate::entries::{Problems, ensure_editable, list_params, opt_text, today};
use crate::products::not_found;
use crate::{
    ApiError, App, FieldProblem, InspectionResult, ListQuery, LotBalance, Page, Receipt,
    ReceiptInput, RecordKind, Result,
};

/// A party named on a form: one we know, or a new one to add on saving.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum PartyRef {
    Known(i64),
    New(String),
}

/// Finds the party called `name`, with warnings for a new one or one that plays the other role.
pub(crate) fn party_ref(
    conn: &Connection,
    field: &str,
    name: &str,
    role: &str,
    p: &mut Problems,
) -> Result<Option<PartyRef>> {
    let (zh_role, en_role) = if role == "supplier" {
        ("供应商", "supplier")
    } else {
        ("客户", "customer")
    };
    let name = p.required(field, name, zh_role, en_role);
    if name.is_empty() {
        return Ok(None);
    }
    Ok(Some(match store::parties::by_name(conn, &name)? {
        Some(row) => {
            if row.fields.kind != role && row.fields.kind != "both" {
                p.warning(
                    field,
                    "party.new-role",
                    format!(
                        "“{name}”目前登记为{}，保存后将同时作为{zh_role}",
                        if role == "supplier" {
                            "客户"
                        } else {
                            "供应商"
                        }
                    ),
                    format!(
                        "{name:?} is registered in the other role; saving makes it a {en_role} too"
                    ),
                );
            }
            PartyRef::Known(row.id)
        }
        None => {
            p.warning(
                field,
                "party.new",
                format!(
                    "新{zh_role}“{name}”将在保存时加入往来单位，可稍后补充统一社会信用代码和联系人"
                ),
                format!("new {en_role} {name:?} will be added to the parties on saving"),
            );
            PartyRef::New(name)
        }
    }))
}

/// The id of `party`, adding it (or the role) first.
pub(crate) fn resolve_party(conn: &Connection, party: &PartyRef, role: &str) -> Result<i64> {
    Ok(match party {
        PartyRef::Known(id) => {
            store::parties::add_role(conn, *id, role)?;
            *id
        }
        PartyRef::New(name) => store::parties::insert(
            conn,
            &store::parties::PartyFields {
                kind: role.to_string(),
                name: name.clone(),
                ..Default::default()
            },
        )?,
    })
}

pub(crate) struct ReceiptDraft {
    supplier: Option<PartyRef>,
    fields: store::receipts::ReceiptFields,
    /// 供方追溯码, checked, in their order.
    pub(crate) codes: Vec<crate::SupplierCode>,
}

pub(crate) fn validate_receipt(
    conn: &Connection,
    input: &ReceiptInput,
    id: Option<i64>,
    today: Date,
    ccc: &codes::ccc::CccCatalogue,
) -> Result<(ReceiptDraft, Problems)> {
    let mut p = Problems::default();
    let supplier = party_ref(
        conn,
        "supplierName",
        &input.supplier_name,
        "supplier",
        &mut p,
    )?;
    let material = p.required("material", &input.material, "原料名称", "material");
    let supplier_lot = p.required(
        "supplierLot",
        &input.supplier_lot,
        "供应商批号",
        "supplier lot",
    );
    let quantity = p.quantity("quantity", input.quantity, "数量");
    let unit = p.required("unit", &input.unit, "单位", "unit");
    let received_on = p.date("receivedOn", &input.received_on, today, "到货日期");
    let report_no = opt_text(&input.report_no);
    match input.inspection_result {
        InspectionResult::Pass if report_no.is_none() => p.warning(
            "reportNo",
            "report.missing",
            "查验合格，建议填写检验报告或合格证编号，以便追溯时出示",
            "the lot passed: add the report or certificate number to show when tracing",
        ),
        InspectionResult::Fail => p.warning(
            "inspectionResult",
            "inspection.failed",
            "不合格原料不得投入生产；如已投产，请在“追溯”中对该批号做模拟召回",
            "a failed lot must not go into production; if it did, run a recall drill from it",
        ),
        _ => {}
    }
    if let (Some(PartyRef::Known(supplier_id)), false, false) =
        (&supplier, supplier_lot.is_empty(), material.is_empty())
        && let Some(other) =
            store::receipts::duplicate(conn, *supplier_id, &supplier_lot, &material, id)?
    {
        p.error(
            "supplierLot",
            "receipt.duplicate",
            format!("该供应商的“{material}”批号 {supplier_lot} 已登记（进货记录 {other}），同一批次只登记一次"),
            format!("lot {supplier_lot} of {material} from this supplier is recorded already (#{other})"),
        );
    }
    if let Some(id) = id {
        let consumed = store::batches::consumed(conn, &[id], None)?
            .get(&id)
            .copied()
            .unwrap_or(0.0);
        if quantity > 0.0 && consumed > quantity {
            p.warning(
                "quantity",
                "lot.over-consumed",
                format!(
                    "生产已登记使用 {} {unit}，多于此数量",
                    crate::entries::num(consumed)
                ),
                format!("production already recorded using {consumed}, more than this quantity"),
            );
        }
    }
    let codes = supplier_codes::check_codes(&input.supplier_codes, today, &mut p);
    let component_ccc =
        crate::products::ccc_cert("componentCcc", &input.component_ccc, today, ccc, &mut p);
    let fields = store::receipts::ReceiptFields {
        supplier_id: 0,
        material,
        spec: input.spec.trim().to_string(),
        supplier_lot,
        quantity,
        unit,
        received_on: received_on.map(crate::entries::iso).unwrap_or_default(),
        inspection_result: input.inspection_result.as_str().to_string(),
        report_no,
        note: input.note.trim().to_string(),
        docs: store::receipts::ReceiptDocs {
            purchase_order_no: doc_no(
                &mut p,
                "purchaseOrderNo",
                &input.purchase_order_no,
                "采购订单号",
                "purchase order no.",
            ),
            invoice_no: doc_no(
                &mut p,
                "invoiceNo",
                &input.invoice_no,
                "发票号",
                "invoice no.",
            ),
            delivery_note_no: doc_no(
                &mut p,
                "deliveryNoteNo",
                &input.delivery_note_no,
                "送货单号",
                "delivery note no.",
            ),
        },
        component_ccc,
    };
    Ok((
        ReceiptDraft {
            supplier,
            fields,
            codes,
        },
        p,
    ))
}

pub(crate) fn lot_balance(row: &store::receipts::ReceiptRow, consumed: f64) -> LotBalance {
    LotBalance {
        receipt_id: row.id,
        supplier_name: row.supplier_name.clone(),
        material: row.fields.material.clone(),
        spec: row.fields.spec.clone(),
        supplier_lot: row.fields.supplier_lot.clone(),
        unit: row.fields.unit.clone(),
        received_on: row.fields.received_on.clone(),
        inspection_result: InspectionResult::from_db(&row.fields.inspection_result),
        received: row.fields.quantity,
        consumed,
        remaining: row.fields.quantity - consumed,
    }
}

/// A list row: without attachments and submission state, which the opened record adds.
fn receipt_summary(row: store::receipts::ReceiptRow) -> Receipt {
    let f = row.fields;
    Receipt {
        id: row.id,
        supplier_id: f.supplier_id,
        supplier_name: row.supplier_name,
        remaining: f.quantity - row.consumed,
        material: f.material,
        spec: f.spec,
        supplier_lot: f.supplier_lot,
        quantity: f.quantity,
        unit: f.unit,
        received_on: f.received_on,
        inspection_result: InspectionResult::from_db(&f.inspection_result),
        report_no: f.report_no,
        note: f.note,
        purchase_order_no: f.docs.purchase_order_no,
        invoice_no: f.docs.invoice_no,
        delivery_note_no: f.docs.delivery_note_no,
        consumed: row.consumed,
        batch_count: row.batch_count,
        attachments: Vec::new(),
        supplier_codes: Vec::new(),
        component_ccc: f.component_ccc,
        submitted_at: None,
        created_at: row.created_at,
        updated_at: row.updated_at,
    }
}

impl App {
    fn receipt_dto(&self, conn: &Connection, row: store::receipts::ReceiptRow) -> Result<Receipt> {
        let mut receipt = receipt_summary(row);
        receipt.attachments =
            self.attachments_of(conn, store::attachments::Owner::Receipt(receipt.id))?;
        receipt.submitted_at = store::edit_guard::submitted_at(conn, "receipt", receipt.id)?;
        receipt.supplier_codes = store::receipts::codes_of(conn, receipt.id)?
            .into_iter()
            .map(crate::SupplierCode::from_row)
            .collect();
        Ok(receipt)
    }

    /// Every problem with the receipt form; `id` is the receipt being edited.
    pub fn check_receipt(
        &self,
        input: &ReceiptInput,
        id: Option<i64>,
    ) -> Result<Vec<FieldProblem>> {
        let db = self.db();
        Ok(
            validate_receipt(db.conn(), input, id, today(), &self.catalogues().ccc())?
                .1
                .0,
        )
    }

    /// Records a receipt (and a new supplier, when the name is new).
    pub fn add_receipt(&self, input: &ReceiptInput) -> Result<Receipt> {
        self.write_receipt(None, input)
    }

    /// Changes a receipt; refused once it has been submitted.
    pub fn update_receipt(&self, id: i64, input: &ReceiptInput) -> Result<Receipt> {
        self.write_receipt(Some(id), input)
    }

    fn write_receipt(&self, id: Option<i64>, input: &ReceiptInput) -> Result<Receipt> {
        let today = today();
        let ccc = self.catalogues().ccc();
        let saved = self.db().transact(|tx| {
            if let Some(id) = id {
                if store::receipts::get(tx, id)?.is_none() {
                    return Err(not_found("进货记录", "receipt", id));
                }
                ensure_editable(tx, RecordKind::Receipt, id)?;
            }
            let (draft, problems) = validate_receipt(tx, input, id, today, &ccc)?;
            problems.refuse_on_error()?;
            let supplier = draft.supplier.as_ref().ok_or_else(|| {
                problems
                    .first_error()
                    .unwrap_or_else(|| Msg::SupplierRequired.err())
            })?;
            let mut fields = draft.fields;
            fields.supplier_id = resolve_party(tx, supplier, "supplier")?;
            let id = match id {
                Some(id) => {
                    store::receipts::update(tx, id, &fields)?;
                    id
                }
                None => store::receipts::insert(tx, &fields)?,
            };
            let rows: Vec<_> = draft
                .codes
                .iter()
                .map(crate::SupplierCode::to_row)
                .collect();
            store::receipts::set_codes(tx, id, &rows)?;
            Ok::<_, ApiError>(id)
        })?;
        self.receipt(saved)
    }

    pub fn receipt(&self, id: i64) -> Result<Receipt> {
        let db = self.db();
        let row = store::receipts::get(db.conn(), id)?
            .ok_or_else(|| not_found("进货记录", "receipt", id))?;
        self.receipt_dto(db.conn(), row)
    }

    pub fn list_receipts(&self, query: &ListQuery) -> Result<Page<Receipt>> {
        let filter = store::receipts::ReceiptFilter {
            params: list_params(query),
            inspection_result: query.inspection.map(|r| r.as_str().to_string()),
            supplier_id: None,
            from: query.from.clone(),
            to: query.to.clone(),
        };
        let db = self.db();
        let (rows, total) = store::receipts::list(db.conn(), &filter)?;
        let rows = rows.into_iter().map(receipt_summary).collect();
        Ok(Page { rows, total })
    }

    /// Material lots matching `search` (lot, material or supplier) with what is left of each: the
    /// lot picker of the production form. `except_batch`: the batch being edited, whose own
    /// consumption does not count against the balance.
    pub fn search_lots(&self, search: &str, except_batch: Option<i64>) -> Result<Vec<LotBalance>> {
        let db = self.db();
        let conn = db.conn();
        let rows = store::receipts::search(conn, search, 30)?;
        let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
        let consumed = store::batches::consumed(conn, &ids, except_batch)?;
        Ok(rows
            .iter()
            .map(|row| lot_balance(row, consumed.get(&row.id).copied().unwrap_or(0.0)))
            .collect())
    }
}
