//! Void (作废) and reprint (补打) of one code, each logged with a reason and who did it
//! (`code_event`, audited), and finding what a code names.
//!
//! A GS1 item code that only exists as a ledger serial gets its `item` and `trace_code` rows here,
//! the first time somebody acts on it: that is when it needs a status and an audit trail.

use crate::messages::Msg;
use codes::CodeKind;
use store::ledger::{self, NewCodeEvent, NewTraceCode, TraceCodeRow};
use store::products::ProductRow;

use super::{Coder, find_issued_serial, problems_error};
use crate::entries::{to_ymd, today};
use crate::products::{gtin_forms, not_found};
use crate::{ApiError, App, CodeEvent, CodeEventInput, CodeEventKind, Granularity, Result};

/// What a code names here.
struct Target {
    product: ProductRow,
    batch_id: Option<i64>,
    granularity: Granularity,
    /// 一物一码: the serial (GS1) or the imported code (other schemes).
    serial: Option<String>,
    /// The recorded trace code, if there is one yet.
    trace_code: Option<TraceCodeRow>,
    /// The text to record a new trace code under: the canonical element string for GS1.
    canonical: String,
}

fn unknown_code(text: &str) -> ApiError {
    Msg::UnknownTraceCode {
        text: text.to_string(),
    }
    .err()
}

/// Finds what `text` names: a recorded trace code, or a GS1 code of one of our products (an item
/// code whose serial the ledger issued, a batch code, a product code).
fn resolve(conn: &store::Connection, text: &str) -> Result<Target> {
    let text = text.trim();
    if text.is_empty() {
        return Err(Msg::TraceCodeRequired.err());
    }
    if let Some(row) = ledger::trace_code_by_text(conn, text)? {
        return target_of_row(conn, row);
    }
    let today = to_ymd(today());
    let report = codes::check(text, today);
    if !report.valid {
        return Err(problems_error("code", &report.problems));
    }
    let Some(gtin14) = report.fields.get("01") else {
        return Err(unknown_code(text));
    };
    if !matches!(
        report.scheme,
        CodeKind::Gs1ElementString | CodeKind::Gs1DigitalLink | CodeKind::Gtin
    ) {
        return Err(unknown_code(text));
    }
    let product = store::products::by_gtin(conn, &gtin_forms(gtin14))?.ok_or_else(|| {
        Msg::UnknownGtin {
            gtin14: gtin14.to_string(),
        }
        .err()
    })?;
    let granularity = Granularity::from_db(&product.fields.granularity);
    let lot = report.fields.get("10");
    let serial = report.fields.get("21");
    let batch_id = match granularity {
        Granularity::Product => None,
        Granularity::Batch => {
            let Some(lot) = lot else {
                return Err(Msg::CodeNeedsLot {
                    name: product.fields.name.to_string(),
                }
                .err());
            };
            let ids = store::trace::batches_by_lot(conn, lot, Some(product.id))?;
            Some(*ids.first().ok_or_else(|| unknown_code(text))?)
        }
        Granularity::Item => {
            let Some(serial) = serial else {
                return Err(Msg::CodeNeedsSerial {
                    name: product.fields.name.to_string(),
                }
                .err());
            };
            let issued = find_issued_serial(conn, &format!("gtin:{gtin14}"), serial)?;
            let batch_id = match issued {
                Some(issued) => issued.allocation.batch_id,
                // Items recorded outside the ledger (imports, older data).
                None => store::items::by_serial(conn, serial, Some(product.id))?
                    .first()
                    .map(|i| i.batch_id),
            }
            .ok_or_else(|| unknown_code(text))?;
            if let Some(lot) = lot {
                let batch = store::batches::get(conn, batch_id)?
                    .ok_or_else(|| not_found("批次", "batch", batch_id))?;
                if &batch.fields.lot_no != lot {
                    return Err(Msg::LotSerialMismatch {
                        lot: lot.to_string(),
                        serial: serial.to_string(),
                        batch_lot: batch.fields.lot_no.to_string(),
                    }
                    .err());
                }
            }
            Some(batch_id)
        }
    };
    let coder = Coder::load(conn, product.id, batch_id)?;
    let canonical = coder.compose(serial.map(String::as_str), today)?.bracketed;
    let item_id = match (granularity, batch_id, serial) {
        (Granularity::Item, Some(b), Some(s)) => {
            ledger::item_in_batch(conn, b, s)?.map(|(id, _)| id)
        }
        _ => None,
    };
    let trace_code = match ledger::trace_code_by_text(conn, &canonical)? {
        Some(row) => Some(row),
        None if granularity != Granularity::Item || item_id.is_some() => {
            ledger::trace_code_of(conn, product.id, batch_id, item_id)?
        }
        None => None,
    };
    Ok(Target {
        product,
        batch_id,
        granularity,
        serial: serial.cloned(),
        trace_code,
        canonical,
    })
}

fn target_of_row(conn: &store::Connection, row: TraceCodeRow) -> Result<Target> {
    let product = store::products::get(conn, row.product_id)?
        .ok_or_else(|| not_found("产品", "product", row.product_id))?;
    let serial = match row.item_id {
        Some(id) => store::items::get(conn, id)?.map(|i| i.serial),
        None => None,
    };
    Ok(Target {
        granularity: Granularity::from_db(&row.granularity),
        batch_id: row.batch_id,
        serial,
        canonical: row.code.clone(),
        trace_code: Some(row),
        product,
    })
}

fn event_dto(row: ledger::CodeEventRow) -> CodeEvent {
    CodeEvent {
        id: row.id,
        kind: if row.kind == "void" {
            CodeEventKind::Void
        } else {
            CodeEventKind::Reprint
        },
        code: row.code,
        product_id: row.product_id,
        product_name: row.product_name,
        batch_id: row.batch_id,
        lot_no: row.lot_no,
        item_id: row.item_id,
        reason: row.reason,
        actor: row.actor,
        at: row.at,
    }
}

impl App {
    /// Voids a code (作废): it stays in the records, marked void, and scans of it say so.
    pub fn void_code(&self, input: &CodeEventInput) -> Result<CodeEvent> {
        self.code_event(input, CodeEventKind::Void)
    }

    /// Logs a reprint (补打) of a code: the same code on a new label. A void code cannot be
    /// reprinted.
    pub fn reprint_code(&self, input: &CodeEventInput) -> Result<CodeEvent> {
        self.code_event(input, CodeEventKind::Reprint)
    }

    fn code_event(&self, input: &CodeEventInput, kind: CodeEventKind) -> Result<CodeEvent> {
        let reason = input.reason.trim();
        if reason.is_empty() {
            return Err(Msg::ReasonRequired {
                reprint: matches!(kind, CodeEventKind::Reprint),
            }
            .err());
        }
        let code = input.code.trim().to_owned();
        let actor = self.config.actor.clone();
        let mut db = self.db();
        let row = db.transact(|tx| {
            let target = resolve(tx, &code)?;
            let product_id = target.product.id;
            if let Some(void) = target.trace_code.as_ref().filter(|t| t.status == "void") {
                let last = ledger::code_events(tx, None, Some(product_id), 1000)?
                    .into_iter()
                    .find(|e| e.kind == "void" && e.trace_code_id == Some(void.id));
                let (when, why) = last.map_or((String::new(), String::new()), |e| (e.at, e.reason));
                return Err(Msg::CodeAlreadyVoid {
                    reprint: matches!(kind, CodeEventKind::Reprint),
                    when,
                    why,
                }
                .err());
            }
            // An item code the ledger issued gets its item and trace code rows now.
            let mut item_id = target.trace_code.as_ref().and_then(|t| t.item_id);
            if target.granularity == Granularity::Item
                && item_id.is_none()
                && let (Some(batch), Some(serial)) = (target.batch_id, target.serial.as_deref())
            {
                item_id = Some(match ledger::item_in_batch(tx, batch, serial)? {
                    Some((id, _)) => id,
                    None => ledger::insert_item(tx, batch, serial, "active")?,
                });
            }
            let trace_code_id = match &target.trace_code {
                Some(t) => t.id,
                None => ledger::insert_trace_code(
                    tx,
                    &NewTraceCode {
                        code: &target.canonical,
                        scheme: &target.product.fields.scheme,
                        granularity: target.granularity.as_str(),
                        product_id,
                        batch_id: target.batch_id,
                        item_id,
                        status: "active",
                    },
                )?,
            };
            if kind == CodeEventKind::Void {
                ledger::set_trace_code_status(tx, trace_code_id, "void")?;
                if let Some(id) = item_id {
                    ledger::set_item_status(tx, id, "void")?;
                }
            }
            Ok::<_, ApiError>(ledger::insert_code_event(
                tx,
                &NewCodeEvent {
                    kind: match kind {
                        CodeEventKind::Void => "void",
                        CodeEventKind::Reprint => "reprint",
                    },
                    code: &code,
                    product_id,
                    batch_id: target.batch_id,
                    item_id,
                    trace_code_id: Some(trace_code_id),
                    reason,
                    actor: &actor,
                },
            )?)
        })?;
        Ok(event_dto(row))
    }

    /// Voids and reprints, newest first (of one product when given).
    pub fn code_events(&self, product_id: Option<i64>, limit: u32) -> Result<Vec<CodeEvent>> {
        let rows = ledger::code_events(self.db().conn(), None, product_id, limit.clamp(1, 1000))?;
        Ok(rows.into_iter().map(event_dto).collect())
    }
}
