//! Prepare: build every record that is new or changed and queue the versions whose key changed.

use crate::messages::Msg;
use std::collections::HashMap;

use store::outbox::{self, NewRecord, OutboxRow};
use store::submission::{self, Source};

use super::build::{self, Built, Context, link};
use super::now;
use crate::{ApiError, App, Checklist, ChecklistItem, ChecklistProblem, ErrorCode, Result};

/// Which sources to (re)build: no version yet; the current one may still be replaced; or its
/// source changed after it was queued (`changed_at`, an edit made while the version was in flight
/// or after 更正), so the change is never dropped.
pub(super) fn needs_build(current: Option<&OutboxRow>, changed_at: Option<&str>) -> bool {
    let changed_since = |row: &OutboxRow| changed_at.is_some_and(|c| c >= row.created_at.as_str());
    match current {
        None => true,
        Some(row) => match row.state.as_str() {
            outbox::READY | outbox::REJECTED => true,
            outbox::RETRY_WAIT if !row.outcome_unknown => true,
            outbox::ACCEPTED => row.correction_open || changed_since(row),
            // In flight: the platform may hold it. A change waits for its answer (see prepare).
            outbox::SENDING | outbox::RETRY_WAIT => changed_since(row),
            _ => false,
        },
    }
}

/// Whether the platform may hold `row` without having answered: it must not be replaced.
pub(super) fn in_flight(row: &OutboxRow) -> bool {
    row.state == outbox::SENDING || (row.state == outbox::RETRY_WAIT && row.outcome_unknown)
}

type SourceKey = (String, i64, i64);

/// Everything a prepare pass found.
struct Pass {
    built: Vec<Built>,
    current: HashMap<SourceKey, OutboxRow>,
    blocker: Option<ChecklistProblem>,
}

impl App {
    /// Builds the records that may need sending to `target` (pure builders over rows read here).
    fn pass(&self, target: &str) -> Result<Pass> {
        let (coding, _) = self.coding_and_platform()?;
        let db = self.db();
        let conn = db.conn();
        let current: HashMap<SourceKey, OutboxRow> = outbox::current_versions(conn, target)?
            .into_iter()
            .map(|r| ((r.source_kind.clone(), r.source_id, r.part), r))
            .collect();
        let changes: HashMap<(String, i64), String> =
            outbox::source_changes(conn)?.into_iter().collect();
        let Some(enterprise) = db.enterprise()? else {
            return Ok(Pass {
                built: Vec::new(),
                current,
                blocker: Some(ChecklistProblem {
                    pointer: "/payload/enterpriseUscc".into(),
                    code: "no-enterprise".into(),
                    message_zh: "尚未填写企业信息，无法报送。请先在“设置”中填写企业名称和统一社会信用代码".into(),
                    message_en: "The enterprise profile is missing; fill in the name and USCC in Settings first".into(),
                    fix: link("settings", None, Some("uscc")),
                }),
            });
        };
        let wants = |kind: &str, id: i64, part: i64| {
            needs_build(
                current.get(&(kind.to_string(), id, part)),
                changes.get(&(kind.to_string(), id)).map(String::as_str),
            )
        };
        let ids =
            |source: Source| -> Result<Vec<i64>> { Ok(submission::source_ids(conn, source)?) };
        let products: HashMap<i64, store::products::ProductRow> = ids(Source::Product)?
            .into_iter()
            .filter_map(|id| store::products::get(conn, id).ok().flatten())
            .map(|p| (p.id, p))
            .collect();
        let parties: HashMap<i64, store::parties::PartyRow> = ids(Source::Party)?
            .into_iter()
            .filter_map(|id| store::parties::get(conn, id).ok().flatten())
            .map(|p| (p.id, p))
            .collect();
        let mut product_codes: HashMap<i64, String> = HashMap::new();
        for (p, code) in submission::product_level_codes(conn)? {
            product_codes.entry(p).or_insert(code);
        }
        let default_scheme = coding.as_ref().map_or(platform::Scheme::Gs1, |c| {
            build::scheme_of(c.scheme.as_str())
        });
        let default_granularity = coding.as_ref().map_or(platform::Granularity::Batch, |c| {
            build::granularity_of(c.granularity.as_str())
        });
        let prefix = coding
            .as_ref()
            .map(|c| c.gs1_company_prefix.clone())
            .unwrap_or_default();
        let mut built = Vec::new();

        // Receipts first: production records name their receiving keys.
        let receipt_ids: Vec<i64> = ids(Source::Receipt)?
            .into_iter()
            .filter(|id| wants("receipt", *id, 0))
            .collect();
        let receipts = store::receipts::get_many(conn, &receipt_ids)?;
        let units = self.catalogues.units();
        let receipt_codes = store::receipts::codes_of_many(conn, &receipt_ids)?;
        let mut ctx = Context {
            units: &units,
            enterprise: &enterprise,
            default_scheme,
            default_granularity,
            gs1_company_prefix: &prefix,
            products: &products,
            product_codes: &product_codes,
            parties: &parties,
            receiving_keys: current
                .values()
                .filter(|r| r.source_kind == "receipt")
                .map(|r| (r.source_id, r.key.clone()))
                .collect(),
        };
        if wants("enterprise", 1, 0) {
            built.push(build::enterprise(&ctx));
        }
        for id in ids(Source::Product)? {
            if wants("product", id, 0)
                && let Some(p) = products.get(&id)
            {
                built.push(build::product(&ctx, p));
            }
        }
        for r in &receipts {
            let codes = receipt_codes.get(&r.id).map(Vec::as_slice).unwrap_or(&[]);
            built.push(build::receipt(&ctx, r, codes));
        }
        for b in &built {
            if b.source_kind == "receipt"
                && let Ok(sealed) = platform::seal(&b.record)
            {
                ctx.receiving_keys.insert(b.source_id, sealed.key);
            }
        }
        let batch_ids: Vec<i64> = ids(Source::Batch)?
            .into_iter()
            .filter(|id| wants("batch", *id, 0))
            .collect();
        for b in store::batches::get_many(conn, &batch_ids)? {
            let inputs = store::batches::inputs_of(conn, b.id)?;
            let lot_ids: Vec<i64> = inputs.iter().map(|i| i.receipt_id).collect();
            let lots: HashMap<i64, store::receipts::ReceiptRow> =
                store::receipts::get_many(conn, &lot_ids)?
                    .into_iter()
                    .map(|r| (r.id, r))
                    .collect();
            let pairs: Vec<_> = inputs
                .into_iter()
                .map(|i| {
                    let r = lots.get(&i.receipt_id);
                    (i, r)
                })
                .collect();
            built.push(build::batch(&ctx, &b, &pairs));
        }
        imported_item_records(conn, &ctx, &wants, &mut built)?;
        let shipment_ids: Vec<i64> = ids(Source::Shipment)?
            .into_iter()
            .filter(|id| wants("shipment", *id, 0))
            .collect();
        let shipments = store::shipments::get_many(conn, &shipment_ids)?;
        let mut lines: HashMap<i64, Vec<store::shipments::LineRow>> = HashMap::new();
        for l in store::shipments::lines_of_shipments(conn, &shipment_ids)? {
            lines.entry(l.shipment_id).or_default().push(l);
        }
        for s in &shipments {
            built.push(build::shipment(
                &ctx,
                s,
                lines.get(&s.id).map(Vec::as_slice).unwrap_or(&[]),
            ));
        }
        allocation_records(conn, &ctx, &wants, &mut built)?;
        drop(db);
        Ok(Pass {
            built,
            current,
            blocker: None,
        })
    }

    /// The pre-submission checklist: what each record waiting to be reported to the platform of
    /// the settings lacks, with a link to where it is fixed.
    pub fn submission_checklist(&self) -> Result<Checklist> {
        let target = self.settings_target()?;
        let pass = self.pass(&target)?;
        let mut items = Vec::new();
        let mut pending = 0u32;
        let mut complete = 0u32;
        for b in pass.built {
            let current = pass
                .current
                .get(&(b.source_kind.to_string(), b.source_id, b.part));
            let unchanged_final = current.is_some_and(|c| {
                matches!(c.state.as_str(), outbox::ACCEPTED | outbox::REJECTED)
                    && seal_revision(&b, c.revision).is_ok_and(|s| s.key == c.key)
            });
            if unchanged_final && b.problems.is_empty() {
                continue;
            }
            pending += 1;
            if b.problems.is_empty() {
                complete += 1;
            } else {
                items.push(ChecklistItem {
                    kind: b.record.kind().as_str().to_string(),
                    label: b.label,
                    record: b.link,
                    problems: b.problems,
                });
            }
        }
        Ok(Checklist {
            pending,
            complete,
            items,
            blocker: pass.blocker,
        })
    }

    /// Queues for the platform of the settings every new or changed record; returns how many
    /// versions were added.
    pub fn prepare_submission(&self) -> Result<u32> {
        let target = self.settings_target()?;
        self.prepare_for(&target).map(|p| p.added)
    }

    /// Queues for `target` every new or changed record. Each decision is taken again inside the
    /// write transaction on the source's current row as it is then, so a row another process
    /// answered meanwhile is never overwritten.
    pub(super) fn prepare_for(&self, target: &str) -> Result<Prepared> {
        let pass = self.pass(target)?;
        if let Some(blocker) = pass.blocker {
            return Err(Msg::Relayed {
                code: ErrorCode::InvalidState,
                field: None,
                zh: blocker.message_zh,
                en: blocker.message_en,
            }
            .err());
        }
        let practice = target == outbox::PRACTICE;
        let now = now();
        self.db().transact(|tx| -> Result<Prepared> {
            let mut done = Prepared::default();
            for b in &pass.built {
                let source = (b.source_kind, b.source_id, b.part);
                let row = outbox::current_version(tx, target, source)?;
                let accepted = outbox::accepted_versions(tx, target, source)?;
                let add = |revision: i64, supersedes: Option<i64>, corrects: Option<i64>| {
                    let s = seal_revision(b, revision).map_err(seal_error)?;
                    let id = outbox::insert(
                        tx,
                        &NewRecord {
                            target: target.to_string(),
                            revision,
                            source_kind: b.source_kind.to_string(),
                            source_id: b.source_id,
                            part: b.part,
                            kind: s.kind.as_str().to_string(),
                            scheme: s.scheme.as_str().to_string(),
                            granularity: s.granularity.as_str().to_string(),
                            key: s.key.clone(),
                            body: s.body,
                            label: b.label.clone(),
                            product_id: b.product_id,
                            event_date: b.event_date.clone(),
                            supersedes,
                            corrects,
                            depends_on: None,
                        },
                    )?;
                    Ok::<_, ApiError>((id, s.key))
                };
                let Some(row) = row else {
                    add(accepted, None, None)?;
                    done.added += 1;
                    continue;
                };
                let same = seal_revision(b, row.revision).map_err(seal_error)?.key == row.key;
                if same {
                    if row.state == outbox::ACCEPTED && row.correction_open {
                        // Opened for correction but nothing changed: lock it again.
                        outbox::set_correction_open(tx, row.id, false, &now)?;
                        if !practice {
                            outbox::set_submitted_at(
                                tx,
                                &row.source_kind,
                                row.source_id,
                                row.accepted_at.as_deref(),
                            )?;
                        }
                    }
                    continue;
                }
                if in_flight(&row) {
                    // The platform may hold the older version: the change goes out once the
                    // platform has answered for it (as a correction if it was accepted).
                    done.held += 1;
                    continue;
                }
                if row.state == outbox::ACCEPTED {
                    // A correction: the corrected record (the next revision), then the
                    // declaration naming both.
                    let (corrected, key) = add(accepted, None, Some(row.id))?;
                    insert_declaration(tx, &row, &key, corrected, &now)?;
                    outbox::set_correction_open(tx, row.id, false, &now)?;
                    done.added += 2;
                    continue;
                }
                // Not stored by the platform (never sent, rejected, or refused with nothing
                // stored): the new version replaces it.
                if !outbox::mark_superseded(tx, row.id, &now)? {
                    continue;
                }
                let (id, key) = add(row.revision.max(accepted), Some(row.id), row.corrects)?;
                done.added += 1;
                if let Some(original) = row.corrects {
                    if let Some(decl) = outbox::open_declaration(tx, original)?
                        && decl.state != outbox::ACCEPTED
                    {
                        outbox::mark_superseded(tx, decl.id, &now)?;
                    }
                    if let Some(orig) = outbox::get(tx, original)? {
                        insert_declaration(tx, &orig, &key, id, &now)?;
                        done.added += 1;
                    }
                }
            }
            Ok(done)
        })
    }
}

/// 赋码 of imported items: parts 1, 2, … of their batch, 10 000 serials each.
fn imported_item_records(
    conn: &store::Connection,
    ctx: &Context<'_>,
    wants: &dyn Fn(&str, i64, i64) -> bool,
    built: &mut Vec<Built>,
) -> Result<()> {
    for (batch_id, count) in store::items::imported_counts(conn)? {
        let chunks = (count as usize).div_ceil(build::ITEMS_PER_RECORD) as i64;
        let todo: Vec<i64> = (1..=chunks)
            .filter(|p| wants("batch", batch_id, *p))
            .collect();
        if todo.is_empty() {
            continue;
        }
        let Some(b) = store::batches::get_many(conn, &[batch_id])?
            .into_iter()
            .next()
        else {
            continue;
        };
        let serials = store::items::imported_serials(conn, batch_id)?;
        for part in todo {
            let chunk: Vec<String> = serials
                .iter()
                .skip((part as usize - 1) * build::ITEMS_PER_RECORD)
                .take(build::ITEMS_PER_RECORD)
                .cloned()
                .collect();
            built.push(build::imported_items(ctx, &b, part, chunk));
        }
    }
    Ok(())
}

/// 赋码: every completely issued serial range, in chunks of 10 000 codes.
fn allocation_records(
    conn: &store::Connection,
    ctx: &Context<'_>,
    wants: &dyn Fn(&str, i64, i64) -> bool,
    built: &mut Vec<Built>,
) -> Result<()> {
    let allocations: Vec<i64> = submission::exported_allocation_ids(conn)?;
    for id in allocations {
        let Some(a) = store::ledger::allocation(conn, id)? else {
            continue;
        };
        let chunks = (a.count as usize).div_ceil(build::ITEMS_PER_RECORD);
        let todo: Vec<i64> = (0..chunks as i64)
            .filter(|p| wants("allocation", id, *p))
            .collect();
        if todo.is_empty() {
            continue;
        }
        let serials = crate::coding::allocation_serials(conn, &a)?;
        let produced_on: Option<String> = a
            .batch_id
            .and_then(|b| submission::batch_produced_on(conn, b).ok().flatten());
        for part in todo {
            let from = part as usize * build::ITEMS_PER_RECORD;
            let chunk: Vec<String> = serials
                .iter()
                .skip(from)
                .take(build::ITEMS_PER_RECORD)
                .cloned()
                .collect();
            built.push(build::allocation(
                ctx,
                &a,
                part,
                chunk,
                produced_on.as_deref(),
            ));
        }
    }
    Ok(())
}

fn insert_declaration(
    tx: &store::Connection,
    original: &OutboxRow,
    corrected_key: &str,
    corrected_id: i64,
    now: &str,
) -> store::Result<i64> {
    let declaration = platform::Record {
        scheme: build::scheme_of(&original.scheme),
        granularity: build::granularity_of(&original.granularity),
        payload: platform::model::Payload::ErrorDeclaration(platform::model::ErrorDeclaration {
            declared_key: original.key.clone(),
            declaration_time: format!("{}+00:00", &now[..19]),
            reason: platform::model::ErrorReason::IncorrectData,
            reason_text: format!("更正：{}", original.label),
            corrective_keys: vec![corrected_key.to_string()],
            client_ref: format!("correction-{}", original.id),
        }),
    };
    // Sealing a declaration of keys and plain text cannot fail.
    let s = platform::seal(&declaration).expect("a declaration has a canonical form");
    outbox::insert(
        tx,
        &NewRecord {
            target: original.target.clone(),
            revision: original.revision,
            source_kind: original.source_kind.clone(),
            source_id: original.source_id,
            part: original.part,
            kind: "errorDeclaration".into(),
            scheme: original.scheme.clone(),
            granularity: original.granularity.clone(),
            key: s.key,
            body: s.body,
            label: format!("更正声明：{}", original.label),
            product_id: original.product_id,
            event_date: original.event_date.clone(),
            supersedes: None,
            corrects: Some(original.id),
            depends_on: Some(corrected_id),
        },
    )
}

/// What a prepare did: versions queued, and changes held until the platform answers for the
/// version in flight.
#[derive(Debug, Default, Clone, Copy)]
pub(super) struct Prepared {
    pub(super) added: u32,
    pub(super) held: u32,
}

/// The built record as revision `revision` of its source, sealed (canonical form and key).
fn seal_revision(b: &Built, revision: i64) -> std::result::Result<platform::Sealed, String> {
    platform::seal(&build::with_revision(&b.record, revision)).map_err(|e| e.to_string())
}

fn seal_error(e: String) -> ApiError {
    Msg::RecordNotCanonical { error: e }.err()
}
