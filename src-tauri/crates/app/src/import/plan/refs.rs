//! The references a row makes to suppliers, customers, products and batches: on record, created
//! by this import (a provisional id), or refused with the reason.

use std::borrow::Cow;
use std::sync::{Arc, OnceLock};

use sheets::FieldKey;

use super::{
    Def, Planner, ProblemText, ProductRef, Result, RowProblem, gtin14, role_name, role_static,
};
use crate::{ImportUnknownKind, ProblemSeverity};

impl Planner<'_> {
    /// The supplier or customer a row names, by USCC first, then by name: on record, or
    /// created by this import (provisional id, when creating is allowed). `None` when it is
    /// neither, with the problem added.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn party_ref(
        &mut self,
        role: &str,
        name_field: FieldKey,
        uscc_field: FieldKey,
        name: Option<&str>,
        uscc: Option<&str>,
        problems: &mut Vec<RowProblem>,
    ) -> Result<Option<i64>> {
        let (role_zh, role_en) = role_name(role);
        let found = match (uscc, name) {
            (Some(u), _) if self.parties_by_uscc.contains_key(u) => {
                let id = self.parties_by_uscc[u];
                let holder = self.party_name(id);
                if let Some(n) = name
                    && n != holder
                {
                    problems.push(self.problem(
                Some(uscc_field),
                        ProblemSeverity::Error,
                        "party.uscc-mismatch",
                        format!("统一社会信用代码 {u} 已登记为“{holder}”，与本行的{role_zh}名称“{n}”不一致。请核对名称或代码"),
                        format!("USCC {u} is registered to {holder:?}, not {n:?}; check the name or the code"),
                        Some(u),
                    ));
                    return Ok(None);
                }
                Some(id)
            }
            (_, Some(n)) => match self.parties_by_name.get(n).copied() {
                Some(id) => {
                    let registered = self.parties.get(&id).and_then(|p| p.2.clone());
                    if let (Some(u), Some(r)) = (uscc, registered)
                        && r != u
                    {
                        problems.push(self.problem(
                            Some(uscc_field),
                            ProblemSeverity::Error,
                            "party.uscc-mismatch",
                            format!(
                                "“{n}”登记的统一社会信用代码是 {r}，与本行的 {u} 不一致。请核对"
                            ),
                            format!("{n:?} is registered with USCC {r}, not {u}; check it"),
                            Some(u),
                        ));
                        return Ok(None);
                    }
                    Some(id)
                }
                None => None,
            },
            (Some(_), None) => None,
            (None, None) => return Ok(None),
        };
        let kind = if role == "customer" {
            ImportUnknownKind::Customer
        } else {
            ImportUnknownKind::Supplier
        };
        match found {
            Some(id) if id >= 0 => {
                let registered = self
                    .parties
                    .get(&id)
                    .map(|p| p.1.clone())
                    .unwrap_or_default();
                if registered != role && registered != "both" {
                    self.plan.roles.insert(id, role_static(role));
                    if let Some(p) = self.parties.get_mut(&id) {
                        p.1 = "both".into();
                    }
                }
                return Ok(Some(id));
            }
            Some(id) => {
                // Created by this import for an earlier row: still "will be created" here.
                // (The name is only needed the first time; the text is shared after.)
                let n = if self.created_texts.contains_key(&id) {
                    String::new()
                } else {
                    self.party_name(id)
                };
                problems.push(self.party_created(id, role, name_field, &n));
                self.note_pending_created(id, kind, |p| {
                    let n = p.party_name(id);
                    (format!("party:{n}"), n)
                });
                return Ok(Some(id));
            }
            None => {}
        }
        let Some(n) = name else {
            let u = uscc.unwrap_or_default();
            problems.push(self.problem(
                Some(uscc_field),
                ProblemSeverity::Error,
                "party.unknown",
                format!("没有统一社会信用代码为 {u} 的{role_zh}。请填写{role_zh}名称，或先在“往来单位”中登记"),
                format!("no {role_en} has USCC {u}; fill in the name, or register the {role_en} first"),
                Some(u),
            ));
            self.note_pending(format!("party:{u}"), kind, u, false);
            return Ok(None);
        };
        if self.create_missing {
            let id = self.define(Def::Party(store::parties::PartyFields {
                kind: role.to_string(),
                name: n.to_string(),
                uscc: uscc.map(str::to_string),
                ..Default::default()
            }));
            self.remember_party(
                id,
                n.to_string(),
                role.to_string(),
                uscc.map(str::to_string),
            );
            problems.push(self.party_created(id, role, name_field, n));
            self.note_pending_created(id, kind, |_| (format!("party:{n}"), n.to_string()));
            return Ok(Some(id));
        }
        problems.push(self.problem(
                Some(name_field),
            ProblemSeverity::Error,
            "party.unknown",
            format!(
                "{role_zh}“{n}”尚未登记。请先在“往来单位”中登记，或选择“自动新建未登记的供应商、客户和产品”，也可能是名称写法与已登记的不同"
            ),
            format!(
                "{role_en} {n:?} is not registered; register it first or choose to create missing parties (or the name is spelt differently)"
            ),
            Some(n),
        ));
        self.note_pending(format!("party:{n}"), kind, n, true);
        Ok(None)
    }

    pub(super) fn party_created(
        &mut self,
        id: i64,
        role: &str,
        field: FieldKey,
        n: &str,
    ) -> RowProblem {
        let (role_zh, role_en) = role_name(role);
        self.created_problem(id, Some(field), "party.unknown", || {
            (
                format!("{role_zh}“{n}”尚未登记，导入时将自动新建"),
                format!("{role_en} {n:?} is not registered yet; it will be created"),
                n.to_string(),
            )
        })
    }

    /// The warning that a record will be created, its text shared by every row that needs the
    /// record (provisional id `id`).
    pub(super) fn created_problem(
        &mut self,
        id: i64,
        field: Option<FieldKey>,
        code: &'static str,
        text: impl FnOnce() -> (String, String, String),
    ) -> RowProblem {
        let text = self
            .created_texts
            .entry(id)
            .or_insert_with(|| {
                let (zh, en, value) = text();
                Arc::new(OnceLock::from(ProblemText {
                    zh,
                    en,
                    value: Some(value),
                }))
            })
            .clone();
        RowProblem {
            field,
            severity: ProblemSeverity::Warning,
            code: Cow::Borrowed(code),
            text,
        }
    }

    /// The product a row names by GTIN and/or name: on record, or created by this import.
    /// `Ok(None)` with a problem when it is ambiguous, contradictory or unknown and not created
    /// by the gtin alone; `Some(New)` when it is missing and may not be created.
    pub(super) fn product_ref(
        &mut self,
        name: Option<&str>,
        gtin: Option<&str>,
        creatable: bool,
        problems: &mut Vec<RowProblem>,
    ) -> Result<Option<ProductRef>> {
        let found = match gtin.and_then(|g| self.products_by_gtin.get(&gtin14(g))) {
            Some(&id) => Some(id),
            None => match name {
                Some(n) => {
                    let candidates = self.products_by_name.get(n).cloned().unwrap_or_default();
                    match candidates.as_slice() {
                        [(id, _, pg)] => {
                            if let (Some(g), Some(pg)) = (gtin, pg)
                                && gtin14(g) != gtin14(pg)
                            {
                                problems.push(self.problem(
                Some(FieldKey::Gtin),
                                    ProblemSeverity::Error,
                                    "product.gtin-mismatch",
                                    format!("产品“{n}”登记的商品条码是 {pg}，与本行的 {g} 不一致。请核对商品条码或产品名称"),
                                    format!("product {n:?} is registered with GTIN {pg}, not {g}; check the GTIN or the name"),
                                    Some(g),
                                ));
                                return Ok(None);
                            }
                            Some(*id)
                        }
                        [] => None,
                        many => {
                            let models: Vec<&str> =
                                many.iter().map(|(_, m, _)| m.as_str()).collect();
                            problems.push(self.problem(
                Some(FieldKey::Product),
                                ProblemSeverity::Error,
                                "product.ambiguous",
                                format!("有 {} 个名为“{n}”的产品（型号 {}）。请填写商品条码以区分", many.len(), models.join("、")),
                                format!("{} products are called {n:?} (models {}); fill in the GTIN to tell them apart", many.len(), models.join(", ")),
                                Some(n),
                            ));
                            return Ok(None);
                        }
                    }
                }
                None => None,
            },
        };
        match found {
            Some(id) if id >= 0 => return Ok(Some(ProductRef::Existing(id))),
            Some(id) => {
                // Created by this import for an earlier row: still "will be created" here.
                let n = if self.created_texts.contains_key(&id) {
                    String::new()
                } else {
                    self.planned_product_name(id)
                };
                problems.push(self.product_created(id, &n));
                self.note_pending_created(id, ImportUnknownKind::Product, |p| {
                    let n = p.planned_product_name(id);
                    (format!("product:{n}"), n)
                });
                return Ok(Some(ProductRef::Existing(id)));
            }
            None => {}
        }
        // Unknown. Only a product with a name can be created.
        let Some(n) = name else {
            let g = gtin.unwrap_or_default();
            problems.push(self.problem(
                Some(FieldKey::Gtin),
                ProblemSeverity::Error,
                "product.unknown",
                format!("商品条码 {g} 未登记为任何产品。请先在“产品”中登记该产品及其商品条码"),
                format!("GTIN {g} belongs to no registered product; register the product first"),
                Some(g),
            ));
            self.note_pending(
                format!("product:{}", gtin14(g)),
                ImportUnknownKind::Product,
                g,
                false,
            );
            return Ok(None);
        };
        if !creatable {
            problems.push(self.problem(
                Some(FieldKey::Product),
                ProblemSeverity::Error,
                "product.unknown",
                format!("产品“{n}”尚未登记。出库的产品须先在“产品”中登记并录入生产批次"),
                format!("product {n:?} is not registered; a shipped product must be registered and produced first"),
                Some(n),
            ));
            self.note_pending(format!("product:{n}"), ImportUnknownKind::Product, n, false);
            return Ok(None);
        }
        if self.create_missing {
            let id = self.define(Def::Product(store::products::ProductFields {
                name: n.to_string(),
                gtin: gtin.map(str::to_string),
                scheme: self.defaults.scheme.clone(),
                granularity: self.defaults.granularity.clone(),
                ..Default::default()
            }));
            if let Some(g) = gtin {
                self.products_by_gtin.insert(gtin14(g), id);
            }
            self.products_by_name
                .entry(n.to_string())
                .or_default()
                .push((id, String::new(), gtin.map(str::to_string)));
            problems.push(self.product_created(id, n));
            self.note_pending_created(id, ImportUnknownKind::Product, |_| {
                (format!("product:{n}"), n.to_string())
            });
            return Ok(Some(ProductRef::Existing(id)));
        }
        problems.push(self.problem(
                Some(FieldKey::Product),
            ProblemSeverity::Error,
            "product.unknown",
            format!(
                "产品“{n}”尚未登记。请先在“产品”中登记，或选择“自动新建未登记的供应商、客户和产品”"
            ),
            format!(
                "product {n:?} is not registered; register it first or choose to create missing products"
            ),
            Some(n),
        ));
        self.note_pending(format!("product:{n}"), ImportUnknownKind::Product, n, true);
        Ok(Some(ProductRef::New))
    }

    pub(super) fn product_created(&mut self, id: i64, n: &str) -> RowProblem {
        self.created_problem(id, Some(FieldKey::Product), "product.unknown", || {
            (
                format!("产品“{n}”尚未登记，导入时将自动新建"),
                format!("product {n:?} is not registered yet; it will be created"),
                n.to_string(),
            )
        })
    }

    /// The batch `lot` of a product: on record, created by this import, or `None`.
    pub(super) fn find_batch(&mut self, product_id: i64, lot: &str) -> Result<Option<i64>> {
        if let Some((p, l, found)) = &self.last_batch
            && *p == product_id
            && l == lot
        {
            return Ok(*found);
        }
        let found = self.find_batch_uncached(product_id, lot)?;
        self.last_batch = Some((product_id, lot.to_string(), found));
        Ok(found)
    }

    /// A batch this import creates, for the rows that follow.
    pub(super) fn remember_batch(&mut self, product_id: i64, lot: &str, id: i64) {
        self.batches
            .entry(product_id)
            .or_default()
            .insert(lot.to_string(), Some(id));
        self.last_batch = None;
    }

    pub(super) fn find_batch_uncached(
        &mut self,
        product_id: i64,
        lot: &str,
    ) -> Result<Option<i64>> {
        if let Some(found) = self.batches.get(&product_id).and_then(|m| m.get(lot)) {
            return Ok(*found);
        }
        let found = if product_id >= 0 {
            store::batches::duplicate(self.conn, product_id, lot, None)?
        } else {
            None
        };
        self.batches
            .entry(product_id)
            .or_default()
            .insert(lot.to_string(), found);
        Ok(found)
    }

    pub(super) fn lot_count(&self, product_id: i64, lot: &str) -> Option<u32> {
        self.lot_counts.get(&product_id)?.get(lot).copied()
    }
}
