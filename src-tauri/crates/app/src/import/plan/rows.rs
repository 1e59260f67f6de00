//! Planning one row of each kind, by the row's index in the sheet's rows: its problems, its
//! status and what a commit writes for it.

use std::borrow::Cow;
use std::collections::HashSet;

use sheets::{FieldKey, RowRead};

use super::{Def, Planner, ProductRef, Result, RowProblem, Write, gtin14, key, padded14};
use crate::documents::{batch_dates, doc_no};
use crate::import::{inspection, iso};
use crate::{ImportRowStatus, ImportUnknownKind, ProblemSeverity};

/// The sheet column of a form field the shared rules of `identity` name.
fn column_of(field: &str) -> Option<FieldKey> {
    Some(match field {
        "phone" => FieldKey::Phone,
        "idNumber" => FieldKey::IdNumber,
        "consent" => FieldKey::Consent,
        "country" => FieldKey::Country,
        "foreignRegNo" => FieldKey::ForeignRegNo,
        "uscc" => FieldKey::Uscc,
        "licenceNo" => FieldKey::LicenceNo,
        "productionAddress" => FieldKey::ProductionAddress,
        "oemRole" => FieldKey::OemRole,
        "oemName" => FieldKey::OemName,
        "oemUscc" => FieldKey::OemUscc,
        _ => return None,
    })
}

impl Planner<'_> {
    /// Adds the problems the shared rules found to the row's, at their columns (never quoting
    /// the value: it may be a person's full number); whether any is an error.
    fn relay(&self, found: Vec<crate::FieldProblem>, problems: &mut Vec<RowProblem>) -> bool {
        let mut error = false;
        for f in found {
            error |= f.severity == ProblemSeverity::Error;
            problems.push(self.problem(
                column_of(&f.field),
                f.severity,
                f.code,
                f.message_zh,
                f.message_en,
                None,
            ));
        }
        error
    }

    pub(super) fn party_row(
        &mut self,
        index: usize,
        rows: &[RowRead],
        d: &sheets::PartyDraft,
        read_ok: bool,
        problems: &mut Vec<RowProblem>,
    ) -> Result<ImportRowStatus> {
        let Some(name) = d.name.as_deref() else {
            return Ok(ImportRowStatus::Invalid);
        };
        if self.seen_in_file(index, rows, problems) {
            return Ok(ImportRowStatus::Exists);
        }
        if self.parties_by_name.contains_key(name) {
            problems.push(self.exists(format!("往来单位“{name}”"), format!("party {name:?}")));
            return Ok(ImportRowStatus::Exists);
        }
        if let Some(u) = d.uscc.as_deref()
            && let Some(&other) = self.parties_by_uscc.get(u)
        {
            let holder = self.party_name(other);
            problems.push(self.problem(
                Some(FieldKey::Uscc),
                ProblemSeverity::Error,
                "party.uscc-taken",
                format!(
                    "统一社会信用代码 {u} 已登记给“{holder}”。同一代码只能对应一个单位，请核对"
                ),
                format!("USCC {u} is already registered to {holder:?}; one code names one party"),
                Some(u),
            ));
            return Ok(ImportRowStatus::Invalid);
        }
        // The party's kind and identity, checked as the form checks them: a person's numbers are
        // masked here and the full ones never reach the database.
        let party_type = match d.party_type.as_deref() {
            Some("individual") => crate::PartyType::Individual,
            Some("foreign") => crate::PartyType::Foreign,
            _ => crate::PartyType::Organisation,
        };
        let mut found = crate::entries::Problems::default();
        let identity = crate::identity::party_identity(
            &mut found,
            party_type,
            d.phone.as_deref().unwrap_or(""),
            d.id_number.as_deref().unwrap_or(""),
            d.consent.unwrap_or(false),
            d.country.as_deref().unwrap_or(""),
            d.foreign_reg_no.as_deref().unwrap_or(""),
        );
        if !identity.uscc_allowed && d.uscc.is_some() {
            found.error(
                "uscc",
                "party.uscc-not-for-kind",
                "个人客户和境外客户没有统一社会信用代码，请清空此栏，或把客户类型改为“单位”",
                "individuals and foreign buyers have no unified social credit code: clear it, or make the party an organisation",
            );
        }
        if self.relay(found.0, problems) {
            return Ok(ImportRowStatus::Invalid);
        }
        if read_ok {
            let kind = match d.kind {
                Some(sheets::PartyKind::Customer) => "customer",
                _ => "supplier",
            };
            let consent_at = identity.consent.then(crate::paths::now_iso);
            let fields = store::parties::PartyFields {
                kind: kind.to_string(),
                name: name.to_string(),
                uscc: d.uscc.clone(),
                address: d.address.clone().unwrap_or_default(),
                contact: d.contact.clone().unwrap_or_default(),
                phone: identity.phone,
                party_type: identity.party_type,
                id_masked: identity.id_masked,
                consent_at,
                country: identity.country,
                foreign_reg_no: identity.foreign_reg_no,
            };
            // Later rows see it as on record (a provisional id no reference resolves).
            let id = self.row_record();
            self.remember_party(id, name.to_string(), kind.to_string(), d.uscc.clone());
            self.write(index, Write::Party(Box::new(fields)));
        }
        Ok(ImportRowStatus::New)
    }

    pub(super) fn product_row(
        &mut self,
        index: usize,
        rows: &[RowRead],
        d: &sheets::ProductDraft,
        read_ok: bool,
        problems: &mut Vec<RowProblem>,
    ) -> Result<ImportRowStatus> {
        let Some(name) = d.name.as_deref() else {
            return Ok(ImportRowStatus::Invalid);
        };
        let model = d.model.clone().unwrap_or_default();
        if self.seen_in_file(index, rows, problems) {
            return Ok(ImportRowStatus::Exists);
        }
        if let Some(g) = &d.gtin
            && self.products_by_gtin.contains_key(&gtin14(g))
        {
            problems.push(self.exists(
                format!("商品条码 {g} 的产品"),
                format!("the product with GTIN {g}"),
            ));
            return Ok(ImportRowStatus::Exists);
        }
        let same_name = self
            .products_by_name
            .get(name)
            .and_then(|v| v.iter().find(|(_, m, _)| *m == model).cloned());
        if let Some((_, _, existing_gtin)) = same_name {
            match (existing_gtin, &d.gtin) {
                (Some(eg), Some(g)) if gtin14(&eg) != gtin14(g) => {
                    problems.push(self.problem(
                Some(FieldKey::Gtin),
                        ProblemSeverity::Error,
                        "product.name-taken",
                        format!("产品“{name}”（型号“{model}”）已登记，商品条码为 {eg}，与本行的 {g} 不一致。请核对"),
                        format!("product {name:?} ({model:?}) is registered with GTIN {eg}, not {g}; check it"),
                        Some(g),
                    ));
                    return Ok(ImportRowStatus::Invalid);
                }
                _ => {
                    problems.push(self.exists(
                        format!("产品“{name}”（型号“{model}”）"),
                        format!("product {name:?} ({model:?})"),
                    ));
                    return Ok(ImportRowStatus::Exists);
                }
            }
        }
        let mut found = crate::entries::Problems::default();
        let licence_no = crate::identity::licence_no(
            &mut found,
            "licenceNo",
            d.licence_no.as_deref().unwrap_or(""),
        );
        let production_address = crate::identity::production_address(
            &mut found,
            "productionAddress",
            d.production_address.as_deref().unwrap_or(""),
        );
        let role = match d.oem_role.as_deref() {
            Some("manufacturer") => crate::OemRole::Manufacturer,
            Some("principal") => crate::OemRole::Principal,
            _ => crate::OemRole::None,
        };
        let (oem_role, oem_name, oem_uscc) = crate::identity::oem(
            &mut found,
            role,
            d.oem_name.as_deref().unwrap_or(""),
            d.oem_uscc.as_deref().unwrap_or(""),
        );
        if self.relay(found.0, problems) {
            return Ok(ImportRowStatus::Invalid);
        }
        if read_ok {
            let scheme = d
                .scheme
                .map_or_else(|| self.defaults.scheme.clone(), |s| s.as_str().to_string());
            let granularity = d.granularity.map_or_else(
                || self.defaults.granularity.clone(),
                |g| g.as_str().to_string(),
            );
            let fields = store::products::ProductFields {
                name: name.to_string(),
                model: model.clone(),
                category: d.category.clone().unwrap_or_default(),
                brand: d.brand.clone().unwrap_or_default(),
                standard: d.standard.clone().unwrap_or_default(),
                gtin: d.gtin.clone(),
                scheme,
                granularity,
                ccc_cert_no: d.ccc_cert_no.clone(),
                ccc_valid_to: d.ccc_valid_to.map(iso),
                licence_no,
                production_address,
                oem_role,
                oem_name,
                oem_uscc,
                ..Default::default()
            };
            let id = self.row_record();
            if let Some(g) = &d.gtin {
                self.products_by_gtin.insert(gtin14(g), id);
            }
            self.products_by_name
                .entry(name.to_string())
                .or_default()
                .push((id, model, d.gtin.clone()));
            self.write(index, Write::Product(Box::new(fields)));
        }
        Ok(ImportRowStatus::New)
    }

    pub(super) fn receipt_row(
        &mut self,
        index: usize,
        rows: &[RowRead],
        d: &sheets::ReceiptDraft,
        read_ok: bool,
        problems: &mut Vec<RowProblem>,
    ) -> Result<ImportRowStatus> {
        let supplier = self.party_ref(
            "supplier",
            FieldKey::Supplier,
            FieldKey::SupplierUscc,
            d.supplier.as_deref(),
            d.supplier_uscc.as_deref(),
            problems,
        )?;
        let (Some(lot), Some(material)) = (d.supplier_lot.as_deref(), d.material.as_deref()) else {
            return Ok(ImportRowStatus::Invalid);
        };
        let who = d
            .supplier
            .clone()
            .or_else(|| d.supplier_uscc.clone())
            .unwrap_or_default();
        if self.seen_in_file(index, rows, problems) {
            return Ok(ImportRowStatus::Exists);
        }
        let Some(supplier_id) = supplier else {
            // Unknown supplier (the problem says why it is not created).
            return Ok(ImportRowStatus::New);
        };
        if supplier_id >= 0
            && store::receipts::duplicate(self.conn, supplier_id, lot, material, None)?.is_some()
        {
            problems.push(self.exists(
                format!("{who} 的“{material}”批号 {lot} 的进货记录"),
                format!("the receipt of {material:?} lot {lot} from {who}"),
            ));
            return Ok(ImportRowStatus::Exists);
        }
        // 供方追溯码 and 部件CCC证书编号, checked like the form's.
        let mut checked = crate::entries::Problems::default();
        let codes = crate::receipts::supplier_codes::check_codes(
            &d.supplier_codes.iter().cloned().collect::<Vec<_>>(),
            self.defaults.today,
            &mut checked,
        );
        let component_ccc = crate::products::ccc_cert(
            "componentCcc",
            d.component_ccc.as_deref().unwrap_or_default(),
            self.defaults.today,
            &self.defaults.ccc,
            &mut checked,
        );
        let text = |v: &Option<String>| v.clone().unwrap_or_default();
        let docs = store::receipts::ReceiptDocs {
            purchase_order_no: doc_no(
                &mut checked,
                "purchaseOrderNo",
                &text(&d.purchase_order_no),
                "采购订单号",
                "purchase order no.",
            ),
            invoice_no: doc_no(
                &mut checked,
                "invoiceNo",
                &text(&d.invoice_no),
                "发票号",
                "invoice no.",
            ),
            delivery_note_no: doc_no(
                &mut checked,
                "deliveryNoteNo",
                &text(&d.delivery_note_no),
                "送货单号",
                "delivery note no.",
            ),
        };
        let read_ok = read_ok && checked.refuse_on_error().is_ok();
        for p in checked.0 {
            let (field, value) = match p.field.as_str() {
                "componentCcc" => (FieldKey::ComponentCcc, d.component_ccc.as_deref()),
                "purchaseOrderNo" => (FieldKey::PurchaseOrderNo, d.purchase_order_no.as_deref()),
                "invoiceNo" => (FieldKey::InvoiceNo, d.invoice_no.as_deref()),
                "deliveryNoteNo" => (FieldKey::DeliveryNoteNo, d.delivery_note_no.as_deref()),
                _ => (FieldKey::SupplierCodes, d.supplier_codes.as_deref()),
            };
            problems.push(self.problem(
                Some(field),
                p.severity,
                p.code,
                p.message_zh,
                p.message_en,
                value,
            ));
        }
        if read_ok {
            let fields = store::receipts::ReceiptFields {
                supplier_id,
                material: material.to_string(),
                spec: d.spec.clone().unwrap_or_default(),
                supplier_lot: lot.to_string(),
                quantity: d.quantity.as_ref().map_or(0.0, |q| q.to_f64()),
                unit: d.unit.clone().unwrap_or_default(),
                received_on: d.received_on.map(iso).unwrap_or_default(),
                inspection_result: inspection(d.inspection_result).to_string(),
                report_no: d.report_no.clone(),
                note: d.note.clone().unwrap_or_default(),
                docs,
                component_ccc,
            };
            let codes = codes.iter().map(crate::SupplierCode::to_row).collect();
            self.write(index, Write::Receipt(Box::new(fields), codes));
        }
        Ok(ImportRowStatus::New)
    }

    pub(super) fn batch_row(
        &mut self,
        index: usize,
        rows: &[RowRead],
        d: &sheets::BatchDraft,
        read_ok: bool,
        problems: &mut Vec<RowProblem>,
    ) -> Result<ImportRowStatus> {
        let product = self.product_ref(d.product.as_deref(), d.gtin.as_deref(), true, problems)?;
        let Some(lot) = d.lot_no.as_deref() else {
            return Ok(ImportRowStatus::Invalid);
        };
        if self.seen_in_file(index, rows, problems) {
            return Ok(ImportRowStatus::Exists);
        }
        let product_id = match product {
            Some(ProductRef::Existing(pid)) => Some(pid),
            _ => None,
        };
        if let Some(pid) = product_id
            && self.find_batch(pid, lot)?.is_some()
        {
            problems.push(self.exists(format!("生产批号 {lot} 的批次"), format!("batch {lot}")));
            return Ok(ImportRowStatus::Exists);
        }
        problems.extend(self.lot_problems(product_id, lot));
        // The material lots it consumed must be on record: a recall starts from them.
        let mut inputs = Vec::new();
        for m in &d.materials {
            let receipts = match self.lots.get(&m.lot) {
                Some(r) => r.clone(),
                None => {
                    let r = store::imports::receipts_of_lot(self.conn, &m.lot)?;
                    self.lots.insert(m.lot.clone(), r.clone());
                    r
                }
            };
            match receipts.as_slice() {
                [(id, _, _)] => inputs.push(store::batches::InputFields {
                    receipt_id: *id,
                    quantity: m.quantity.as_ref().map(|q| q.to_f64()),
                }),
                [] => problems.push(self.problem(
                Some(FieldKey::Materials),
                    ProblemSeverity::Error,
                    "material-lot.unknown",
                    format!("原料批号 {} 没有进货查验记录。请先导入或录入该批原料的进货记录，或从本行删去这个批号", m.lot),
                    format!("material lot {} has no receipt; record the receipt first, or remove the lot from this row", m.lot),
                    Some(&m.lot),
                )),
                many => {
                    let from: Vec<String> = many.iter().map(|(_, s, mat)| format!("{s}（{mat}）")).collect();
                    problems.push(self.problem(
                Some(FieldKey::Materials),
                        ProblemSeverity::Error,
                        "material-lot.ambiguous",
                        format!("原料批号 {} 有 {} 条进货记录：{}。无法确定是哪一批，请在“生产”中录入这一批次", m.lot, many.len(), from.join("、")),
                        format!("material lot {} has {} receipts ({}); enter this batch in the production form instead", m.lot, many.len(), from.join(", ")),
                        Some(&m.lot),
                    ));
                }
            }
        }
        // 检验日期, 有效期至 and 生产工单号, checked like the form's.
        let mut checked = crate::entries::Problems::default();
        let work_order_no = doc_no(
            &mut checked,
            "workOrderNo",
            d.work_order_no.as_deref().unwrap_or_default(),
            "生产工单号",
            "work order no.",
        );
        batch_dates(
            &mut checked,
            d.produced_on,
            d.inspected_on,
            d.expires_on,
            self.defaults.today,
        );
        for p in checked.0 {
            let (field, value) = match p.field.as_str() {
                "workOrderNo" => (FieldKey::WorkOrderNo, d.work_order_no.clone()),
                "inspectedOn" => (FieldKey::InspectedOn, d.inspected_on.map(iso)),
                _ => (FieldKey::ExpiresOn, d.expires_on.map(iso)),
            };
            problems.push(self.problem(
                Some(field),
                p.severity,
                p.code,
                p.message_zh,
                p.message_en,
                value.as_deref(),
            ));
        }
        if problems.iter().any(RowProblem::is_error) {
            return Ok(ImportRowStatus::Invalid);
        }
        let Some(pid) = product_id else {
            return Ok(ImportRowStatus::Invalid);
        };
        if read_ok {
            let fields = store::batches::BatchFields {
                product_id: pid,
                lot_no: lot.to_string(),
                produced_on: d.produced_on.map(iso).unwrap_or_default(),
                quantity: d.quantity.as_ref().map_or(0.0, |q| q.to_f64()),
                unit: d.unit.clone().unwrap_or_default(),
                inspection_result: inspection(d.inspection_result).to_string(),
                inspector: d.inspector.clone().unwrap_or_default(),
                report_no: d.report_no.clone(),
                docs: store::batches::BatchDocs {
                    inspected_on: d.inspected_on.map(iso),
                    expires_on: d.expires_on.map(iso),
                    work_order_no,
                },
            };
            let id = self.row_record();
            self.remember_batch(pid, lot, id);
            self.write(index, Write::Batch(Box::new(fields), inputs));
        }
        Ok(ImportRowStatus::New)
    }

    pub(super) fn item_row(
        &mut self,
        index: usize,
        rows: &[RowRead],
        d: &sheets::ItemDraft,
        read_ok: bool,
        problems: &mut Vec<RowProblem>,
    ) -> Result<ImportRowStatus> {
        let (Some(gtin), Some(serial)) = (d.gtin.as_deref(), d.serial.as_deref()) else {
            return Ok(ImportRowStatus::Invalid);
        };
        let Some(lot) = d.lot_no.as_deref() else {
            problems.push(self.problem(
                Some(FieldKey::LotNo),
                ProblemSeverity::Error,
                "item.lot-missing",
                "没有填写生产批号。每个单品都要归入一个生产批次，请填写它所属的批号".to_string(),
                "no lot number; every item belongs to a production batch".to_string(),
                None,
            ));
            return Ok(ImportRowStatus::Invalid);
        };
        if self.seen_in_file(index, rows, problems) {
            return Ok(ImportRowStatus::Exists);
        }
        let mut digits = [b'0'; 14];
        let g14 = padded14(gtin, &mut digits);
        let product = match self.products_by_gtin.get(g14) {
            Some(&id) => id,
            None => {
                self.product_ref(None, Some(gtin), false, problems)?;
                return Ok(ImportRowStatus::Invalid);
            }
        };
        if !self.item_coded.contains(&product) && self.warned_not_item.insert(product) {
            // Said once per product, at its first row: the items are still reported.
            problems.push(self.problem(
                Some(FieldKey::Gtin),
                ProblemSeverity::Warning,
                "item.product-not-item",
                format!(
                    "商品条码 {gtin} 的产品不是一物一码：这些单品码仍会导入，并作为所属批次的赋码记录报送给平台（每条记录最多 10000 个）。如该产品本应一物一码，请先在“产品”中把赋码粒度改为一物一码"
                ),
                format!(
                    "the product of GTIN {gtin} is not coded per item: these item codes are still imported and reported to the platform as commissioning records of their batch (up to 10,000 per record); if the product is coded per item, change its granularity under Products first"
                ),
                Some(gtin),
            ));
        }
        let batch = match self.find_batch(product, lot)? {
            Some(b) if b >= 0 => b,
            Some(b) => {
                // Created by this import for an earlier row.
                let lot_problems = self.new_batch_lots.get(&b).cloned().unwrap_or_default();
                problems.extend(lot_problems.iter().map(|p| self.lot_problem(lot, p)));
                problems.push(self.batch_created(b));
                self.note_pending_created(b, ImportUnknownKind::Batch, |_| {
                    (key(&["batch:", g14, "\u{1f}", lot]), lot.to_string())
                });
                b
            }
            None if self.create_missing => {
                let carried = self.carries_lot.get(&product).copied().unwrap_or(false);
                let found = codes::gs1::check_lot(lot, carried);
                problems.extend(found.iter().map(|p| self.lot_problem(lot, p)));
                let id = self.define(Def::Batch(store::batches::BatchFields {
                    product_id: product,
                    lot_no: lot.to_string(),
                    produced_on: iso(d.produced_on.unwrap_or(self.defaults.today)),
                    // The items of the lot in the file, when planning ends.
                    quantity: 1.0,
                    unit: "个".to_string(),
                    inspection_result: "pending".to_string(),
                    inspector: String::new(),
                    report_no: None,
                    docs: Default::default(),
                }));
                self.remember_batch(product, lot, id);
                self.new_batch_lots.insert(id, found);
                let text = self.created_texts.entry(id).or_default().clone();
                self.new_batches
                    .push(((-id - 1) as usize, product, lot.to_string(), text));
                problems.push(self.batch_created(id));
                self.note_pending_created(id, ImportUnknownKind::Batch, |_| {
                    (key(&["batch:", g14, "\u{1f}", lot]), lot.to_string())
                });
                id
            }
            None => {
                problems.extend(self.lot_problems(Some(product), lot));
                problems.push(self.problem(
                Some(FieldKey::LotNo),
                    ProblemSeverity::Error,
                    "batch.unknown",
                    format!(
                        "该产品没有批号为 {lot} 的生产批次。请先录入这一批次，或选择“自动新建未登记的批次”"
                    ),
                    format!(
                        "the product has no batch {lot}; record the batch first or choose to create missing batches"
                    ),
                    Some(lot),
                ));
                self.note_pending(
                    format!("batch:{g14}\u{1f}{lot}"),
                    ImportUnknownKind::Batch,
                    lot,
                    true,
                );
                return Ok(ImportRowStatus::New);
            }
        };
        if batch >= 0 {
            if !self.serials.contains_key(&batch) {
                let set: HashSet<String> = store::imports::item_serials(self.conn, batch)?
                    .into_iter()
                    .collect();
                self.serials.insert(batch, set);
            }
            if self.serials.get(&batch).is_some_and(|s| s.contains(serial)) {
                problems.push(self.exists(
                    format!("批次 {lot} 的序列号 {serial}"),
                    format!("serial {serial} of batch {lot}"),
                ));
                return Ok(ImportRowStatus::Exists);
            }
        }
        if read_ok {
            self.write(index, Write::Item { batch });
        }
        Ok(ImportRowStatus::New)
    }

    pub(super) fn batch_created(&mut self, id: i64) -> RowProblem {
        let text = self.created_texts.entry(id).or_default().clone();
        RowProblem {
            field: Some(FieldKey::LotNo),
            severity: ProblemSeverity::Warning,
            code: Cow::Borrowed("batch.unknown"),
            text,
        }
    }

    pub(super) fn shipment_row(
        &mut self,
        index: usize,
        d: &sheets::ShipmentDraft,
        read_ok: bool,
        problems: &mut Vec<RowProblem>,
    ) -> Result<ImportRowStatus> {
        let customer = self.party_ref(
            "customer",
            FieldKey::Customer,
            FieldKey::CustomerUscc,
            d.customer.as_deref(),
            d.customer_uscc.as_deref(),
            problems,
        )?;
        let Some(note) = d.delivery_note_no.as_deref() else {
            return Ok(ImportRowStatus::Invalid);
        };
        let existing = match self.notes.get(note) {
            Some(found) => *found,
            None => {
                let found = store::shipments::by_note(self.conn, note, None)?;
                self.notes.insert(note.to_string(), found);
                found
            }
        };
        // A note on record before this import: its rows are the same shipment again.
        if existing.is_some_and(|id| id >= 0) {
            problems.push(self.exists(format!("出库单 {note}"), format!("delivery note {note}")));
            return Ok(ImportRowStatus::Exists);
        }
        let product =
            match self.product_ref(d.product.as_deref(), d.gtin.as_deref(), false, problems)? {
                Some(ProductRef::Existing(id)) => Some(id),
                _ => None,
            };
        let Some(lot) = d.lot_no.as_deref() else {
            return Ok(ImportRowStatus::Invalid);
        };
        let batch = match product {
            Some(pid) => {
                match self.find_batch(pid, lot)? {
                    Some(b) => Some(b),
                    None => {
                        problems.push(self.problem(
                Some(FieldKey::LotNo),
                        ProblemSeverity::Error,
                        "batch.unknown",
                        format!("该产品没有批号为 {lot} 的生产批次。出库的批次须先在“生产”中录入"),
                        format!("the product has no batch {lot}; a shipped batch must be recorded first"),
                        Some(lot),
                    ));
                        None
                    }
                }
            }
            None => None,
        };
        let Some(batch_id) = batch else {
            return Ok(ImportRowStatus::Invalid);
        };
        // 销售订单号 and 发票号 of the note, checked like the form's.
        let mut checked = crate::entries::Problems::default();
        let docs = store::shipments::ShipmentDocs {
            order_no: doc_no(
                &mut checked,
                "orderNo",
                d.order_no.as_deref().unwrap_or_default(),
                "销售订单号",
                "sales order no.",
            ),
            invoice_no: doc_no(
                &mut checked,
                "invoiceNo",
                d.invoice_no.as_deref().unwrap_or_default(),
                "发票号",
                "invoice no.",
            ),
        };
        if !checked.0.is_empty() {
            for p in checked.0 {
                let (field, value) = match p.field.as_str() {
                    "orderNo" => (FieldKey::OrderNo, d.order_no.as_deref()),
                    _ => (FieldKey::InvoiceNo, d.invoice_no.as_deref()),
                };
                problems.push(self.problem(
                    Some(field),
                    p.severity,
                    p.code,
                    p.message_zh,
                    p.message_en,
                    value,
                ));
            }
            if problems.iter().any(RowProblem::is_error) {
                return Ok(ImportRowStatus::Invalid);
            }
        }
        let Some(customer_id) = customer else {
            // Unknown customer (the problem says why it is not created).
            return Ok(ImportRowStatus::New);
        };
        if read_ok {
            let line = store::shipments::LineFields {
                batch_id,
                item_id: None,
                quantity: d.quantity.as_ref().map_or(0.0, |q| q.to_f64()),
            };
            let shipment = match existing {
                Some(id) => id,
                None => {
                    let id = self.define(Def::Shipment(store::shipments::ShipmentFields {
                        customer_id,
                        shipped_on: d.shipped_on.map(iso).unwrap_or_default(),
                        delivery_note_no: note.to_string(),
                        note: String::new(),
                        ship_to: d.ship_to.clone().unwrap_or_default(),
                        docs,
                    }));
                    self.notes.insert(note.to_string(), Some(id));
                    id
                }
            };
            self.write(index, Write::ShipmentLine { shipment, line });
        }
        Ok(ImportRowStatus::New)
    }
}
