//! What a typed or scanned code names: the codes crate reads it (GS1 element strings with `]d2`,
//! `]C1`, `]Q3` prefixes and GS separators, Digital Link URLs, bare GTINs), then the database says
//! which product, batch and item it is, so a form can fill itself.

use store::Connection;

use crate::batches::batch_balance;
use crate::entries::{Problems, to_ymd, today};
use crate::products::gtin_forms;
use crate::{App, Granularity, ItemRef, ProductOption, Result, ScanResult};

fn product_option(row: &store::products::ProductRow) -> ProductOption {
    ProductOption {
        id: row.id,
        name: row.fields.name.clone(),
        model: row.fields.model.clone(),
        gtin: row.fields.gtin.clone(),
        granularity: Granularity::from_db(&row.fields.granularity),
    }
}

fn item_ref(row: &store::items::ItemRow) -> ItemRef {
    ItemRef {
        id: row.id,
        batch_id: row.batch_id,
        serial: row.serial.clone(),
        status: row.status.clone(),
    }
}

pub(crate) fn scan(conn: &Connection, text: &str) -> Result<ScanResult> {
    let report = codes::check(text, to_ymd(today()));
    let gtin = report.fields.get("01").cloned();
    let lot = report.fields.get("10").cloned();
    let serial = report.fields.get("21").cloned();
    let gs1 = gtin.is_some();
    let mut p = Problems::default();
    let mut product = None;
    let mut batch_row = None;
    let mut item = None;

    if let Some(g) = &gtin {
        product = store::products::by_gtin(conn, &gtin_forms(g))?;
        if product.is_none() {
            p.warning(
                "code",
                "scan.unknown-gtin",
                format!("GTIN {g} 不是本企业已登记的产品，请先在“产品”中登记"),
                format!("GTIN {g} is not a registered product"),
            );
        }
    }
    if let Some(prod) = &product {
        if let Some(lot) = &lot {
            let ids = store::trace::batches_by_lot(conn, lot, Some(prod.id))?;
            match ids.first() {
                Some(id) => batch_row = store::batches::get(conn, *id)?,
                None => p.warning(
                    "code",
                    "scan.unknown-lot",
                    format!("批号 {lot} 尚未登记生产记录"),
                    format!("lot {lot} has no production record"),
                ),
            }
        }
        if let Some(serial) = &serial {
            let items = store::items::by_serial(conn, serial, Some(prod.id))?;
            let found = items
                .iter()
                .find(|i| batch_row.as_ref().is_none_or(|b| b.id == i.batch_id))
                .or(items.first());
            match found {
                Some(found) => {
                    if batch_row.as_ref().is_none_or(|b| b.id != found.batch_id) {
                        batch_row = store::batches::get(conn, found.batch_id)?;
                    }
                    item = Some(found.clone());
                }
                None => p.warning(
                    "code",
                    "scan.unknown-serial",
                    format!("序列号 {serial} 尚未赋码登记"),
                    format!("serial {serial} is not a registered item"),
                ),
            }
        }
    }
    if !gs1 {
        // Not a GS1 code: an issued trace code (Ecode, 数字身份码) or a lot number as typed.
        let trimmed = text.trim();
        if let Some(target) = store::trace::trace_code(conn, trimmed)? {
            product = store::products::get(conn, target.product_id)?;
            if let Some(b) = target.batch_id {
                batch_row = store::batches::get(conn, b)?;
            }
            if let Some(i) = target.item_id {
                item = store::items::get(conn, i)?;
            }
        } else {
            let ids = store::trace::batches_by_lot(conn, trimmed, None)?;
            if let Some(id) = ids.first() {
                batch_row = store::batches::get(conn, *id)?;
                if let Some(b) = &batch_row {
                    product = store::products::get(conn, b.fields.product_id)?;
                }
            }
        }
        if batch_row.is_none() && product.is_none() {
            p.warning(
                "code",
                "scan.not-found",
                format!("未找到“{trimmed}”：不是已登记的追溯码或批号"),
                format!("{trimmed:?} is neither a registered trace code nor a lot number"),
            );
        }
    }
    if let Some(i) = &item
        && i.status == "void"
    {
        p.error(
            "code",
            "item.void",
            format!("单品 {} 的码已作废", i.serial),
            format!("item {}'s code is void", i.serial),
        );
    }
    let mut problems: Vec<crate::FieldProblem> = Vec::new();
    if gs1 || !report.valid {
        for problem in &report.problems {
            if problem.code == "digital-id.assumed" {
                continue;
            }
            problems.push(crate::FieldProblem {
                field: "code".into(),
                severity: if problem.is_error() {
                    crate::ProblemSeverity::Error
                } else {
                    crate::ProblemSeverity::Warning
                },
                code: problem.code.clone(),
                message_zh: problem.message.zh.clone(),
                message_en: problem.message.en.clone(),
            });
        }
    }
    problems.extend(p.0);
    let batch = match &batch_row {
        Some(b) => {
            let shipped = store::batches::shipped(conn, &[b.id], None)?;
            Some(batch_balance(b, shipped.get(&b.id).copied().unwrap_or(0.0)))
        }
        None => None,
    };
    Ok(ScanResult {
        text: text.to_string(),
        scheme: report.scheme.as_str().to_string(),
        valid: report.valid,
        gtin,
        lot: lot.or_else(|| batch_row.as_ref().map(|b| b.fields.lot_no.clone())),
        serial,
        product: product.as_ref().map(product_option),
        batch,
        item: item.as_ref().map(item_ref),
        problems,
    })
}

impl App {
    /// Reads a typed or scanned code and finds what it names here.
    pub fn scan_code(&self, text: &str) -> Result<ScanResult> {
        scan(self.db().conn(), text)
    }
}
