//! The row planner: checks each row read from a sheet against the records already in the
//! database, and, when committing, writes it.
//!
//! One code path serves both: in check mode the planner only reads and remembers what commit
//! would create (an unknown supplier named on 30 rows is one supplier to create); in commit mode
//! it runs inside the import's transaction, creates what is missing (when allowed) the first time
//! a row needs it and inserts the row's record. Because commit re-plans every row against what the
//! transaction sees, a change made by someone else between check and commit is caught, not
//! overwritten.
//!
//! Natural keys: party = name (or its USCC); product = GTIN, else name + model; receipt =
//! supplier, supplier lot and material; batch = product + lot number; item = batch + serial;
//! shipment = delivery note number. A row whose key is already in the database is `Exists`: skipped, never
//! duplicated.

use std::collections::{BTreeMap, HashMap, HashSet};

use sheets::{FieldKey, Mapping, RecordDraft, RecordKind, RowRead};
use store::Connection;
use time::Date;

use crate::{ImportProblem, ImportRowStatus, ImportUnknown, ImportUnknownKind, ProblemSeverity};

type Result<T> = crate::Result<T>;

/// What auto-created products get when the sheet does not say: the enterprise's coding choice.
#[derive(Debug, Clone)]
pub(super) struct Defaults {
    pub scheme: String,
    pub granularity: String,
    pub today: Date,
}

/// A product as a row names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ProductRef {
    Existing(i64),
    /// To be created (or, in commit mode without creation, missing): its key in `new_products`.
    New,
}

#[derive(Debug, Default)]
struct Pending {
    kind: Option<ImportUnknownKind>,
    name: String,
    rows: u32,
    creatable: bool,
}

pub(super) struct Planner<'c> {
    conn: &'c Connection,
    mapping: Option<&'c Mapping>,
    create_missing: bool,
    commit: bool,
    defaults: Defaults,

    /// id → (name, kind, uscc)
    parties: HashMap<i64, (String, String, Option<String>)>,
    parties_by_name: HashMap<String, i64>,
    parties_by_uscc: HashMap<String, i64>,
    products_by_gtin: HashMap<String, i64>,
    /// name → (id, model, gtin)
    products_by_name: HashMap<String, Vec<(i64, String, Option<String>)>>,
    batches: HashMap<(i64, String), Option<i64>>,
    lots: HashMap<String, Vec<(i64, String, String)>>,
    serials: HashMap<i64, HashSet<String>>,
    notes: HashMap<String, Option<i64>>,
    /// Delivery notes whose shipment this commit created.
    notes_created: HashSet<String>,

    /// Unknown suppliers, customers, products and batches, by key, in first-seen order.
    pending: Vec<(String, Pending)>,
    pending_index: HashMap<String, usize>,
    /// Items per (GTIN-14, lot), for the quantity of an auto-created batch.
    lot_counts: HashMap<(String, String), u32>,
    /// Natural keys of the rows planned so far → the first row with it.
    file_keys: HashMap<String, u32>,

    /// Records created in commit mode, by table.
    pub created: BTreeMap<&'static str, Vec<i64>>,
}

/// A GTIN as 14 digits, how GTINs are compared.
pub(super) fn gtin14(gtin: &str) -> String {
    format!("{gtin:0>14}")
}

fn role_name(role: &str) -> (&'static str, &'static str) {
    if role == "customer" {
        ("客户", "customer")
    } else {
        ("供应商", "supplier")
    }
}

impl<'c> Planner<'c> {
    pub fn new(
        conn: &'c Connection,
        kind: RecordKind,
        mapping: Option<&'c Mapping>,
        create_missing: bool,
        commit: bool,
        defaults: Defaults,
        rows: &[RowRead],
    ) -> Result<Planner<'c>> {
        let mut p = Planner {
            conn,
            mapping,
            create_missing,
            commit,
            defaults,
            parties: HashMap::new(),
            parties_by_name: HashMap::new(),
            parties_by_uscc: HashMap::new(),
            products_by_gtin: HashMap::new(),
            products_by_name: HashMap::new(),
            batches: HashMap::new(),
            lots: HashMap::new(),
            serials: HashMap::new(),
            notes: HashMap::new(),
            notes_created: HashSet::new(),
            pending: Vec::new(),
            pending_index: HashMap::new(),
            lot_counts: HashMap::new(),
            file_keys: HashMap::new(),
            created: BTreeMap::new(),
        };
        for (id, kind, name, uscc) in store::imports::party_keys(conn)? {
            p.remember_party(id, name, kind, uscc);
        }
        for (id, name, model, gtin) in store::imports::product_keys(conn)? {
            if let Some(g) = &gtin {
                p.products_by_gtin.insert(gtin14(g), id);
            }
            p.products_by_name
                .entry(name)
                .or_default()
                .push((id, model, gtin));
        }
        if kind == RecordKind::Item {
            for r in rows {
                if let RecordDraft::Item(d) = &r.record
                    && let (Some(g), Some(l)) = (&d.gtin, &d.lot_no)
                {
                    *p.lot_counts.entry((gtin14(g), l.clone())).or_default() += 1;
                }
            }
        }
        Ok(p)
    }

    /// What commit would create and cannot find, in first-seen order.
    pub fn unknown(&self) -> Vec<ImportUnknown> {
        self.pending
            .iter()
            .filter_map(|(_, p)| {
                Some(ImportUnknown {
                    kind: p.kind?,
                    name: p.name.clone(),
                    rows: p.rows,
                    creatable: p.creatable,
                })
            })
            .collect()
    }

    fn note_pending(&mut self, key: String, kind: ImportUnknownKind, name: &str, creatable: bool) {
        if let Some(&i) = self.pending_index.get(&key) {
            self.pending[i].1.rows += 1;
            return;
        }
        self.pending_index.insert(key.clone(), self.pending.len());
        self.pending.push((
            key,
            Pending {
                kind: Some(kind),
                name: name.to_string(),
                rows: 1,
                creatable,
            },
        ));
    }

    fn remember_party(&mut self, id: i64, name: String, kind: String, uscc: Option<String>) {
        if let Some(u) = &uscc {
            self.parties_by_uscc.insert(u.clone(), id);
        }
        self.parties_by_name.insert(name.clone(), id);
        self.parties.insert(id, (name, kind, uscc));
    }

    fn party_name(&self, id: i64) -> String {
        self.parties
            .get(&id)
            .map(|p| p.0.clone())
            .unwrap_or_default()
    }

    fn created(&mut self, table: &'static str, id: i64) {
        self.created.entry(table).or_default().push(id);
    }

    /// A problem at `field`'s column of `row`, with the place spelt out the way the sheet reader
    /// does: `第 5 行 C 列（供应商）：…`.
    #[allow(clippy::too_many_arguments)]
    fn problem(
        &self,
        row: u32,
        field: Option<FieldKey>,
        severity: ProblemSeverity,
        code: &str,
        zh: String,
        en: String,
        value: Option<&str>,
    ) -> ImportProblem {
        let col = field.and_then(|f| self.mapping.and_then(|m| m.column_of(f)));
        let (pz, pe) = match col {
            Some(c) if !c.header_text.is_empty() => (
                format!("第 {row} 行 {} 列（{}）", c.column_letter, c.header_text),
                format!("row {row}, column {} ({})", c.column_letter, c.header_text),
            ),
            Some(c) => (
                format!("第 {row} 行 {} 列", c.column_letter),
                format!("row {row}, column {}", c.column_letter),
            ),
            None => (format!("第 {row} 行"), format!("row {row}")),
        };
        ImportProblem {
            row: Some(row),
            column: col.map(|c| c.column_letter.clone()),
            header: col.map(|c| c.header_text.clone()),
            field: field.map(|f| f.as_str().to_string()),
            severity,
            code: code.to_string(),
            message_zh: format!("{pz}：{zh}"),
            message_en: format!("{pe}: {en}"),
            value: value.map(str::to_string),
        }
    }

    fn unknown_severity(&self, creatable: bool) -> ProblemSeverity {
        if creatable && self.create_missing {
            ProblemSeverity::Warning
        } else {
            ProblemSeverity::Error
        }
    }

    /// A row seen before in this file with the same natural key: the first one wins.
    fn seen_in_file(&mut self, key: String, row: u32, problems: &mut Vec<ImportProblem>) -> bool {
        match self.file_keys.get(&key) {
            Some(&first) if first != row => {
                problems.push(self.problem(
                    row,
                    None,
                    ProblemSeverity::Warning,
                    "record.repeated",
                    format!("与第 {first} 行是同一条记录，只导入一次"),
                    format!("the same record as row {first}; imported once"),
                    None,
                ));
                true
            }
            _ => {
                self.file_keys.insert(key, row);
                false
            }
        }
    }

    fn exists(&self, row: u32, what_zh: String, what_en: String) -> ImportProblem {
        self.problem(
            row,
            None,
            ProblemSeverity::Warning,
            "record.exists",
            format!("{what_zh}已在系统中，不会重复导入"),
            format!("{what_en} is already recorded; it is not imported again"),
            None,
        )
    }

    /// Plans (and in commit mode writes) one row. A row the sheet reader found errors in is checked
    /// as far as it can be, so the clerk sees every problem at once, and is `Invalid`.
    pub fn row(&mut self, row: &RowRead) -> Result<(Vec<ImportProblem>, ImportRowStatus)> {
        let mut problems = Vec::new();
        let read_ok = row.is_valid();
        let status = match &row.record {
            RecordDraft::Party(d) => self.party_row(row.row, d, read_ok, &mut problems)?,
            RecordDraft::Product(d) => self.product_row(row.row, d, read_ok, &mut problems)?,
            RecordDraft::Receipt(d) => self.receipt_row(row.row, d, read_ok, &mut problems)?,
            RecordDraft::Batch(d) => self.batch_row(row.row, d, read_ok, &mut problems)?,
            RecordDraft::Item(d) => self.item_row(row.row, d, read_ok, &mut problems)?,
            RecordDraft::Shipment(d) => self.shipment_row(row.row, d, read_ok, &mut problems)?,
        };
        let status = if !read_ok
            || problems
                .iter()
                .any(|p| p.severity == ProblemSeverity::Error)
        {
            ImportRowStatus::Invalid
        } else {
            status
        };
        Ok((problems, status))
    }

    // -----------------------------------------------------------------------------------------
    // References.

    /// The supplier or customer a row names, by USCC first, then by name. `None` when it is not
    /// in the database (and, in commit mode, could not be created), with the problem added.
    #[allow(clippy::too_many_arguments)]
    fn party_ref(
        &mut self,
        row: u32,
        role: &str,
        name_field: FieldKey,
        uscc_field: FieldKey,
        name: Option<&str>,
        uscc: Option<&str>,
        problems: &mut Vec<ImportProblem>,
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
                        row,
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
                            row,
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
        if let Some(id) = found {
            if self.commit {
                let kind = self
                    .parties
                    .get(&id)
                    .map(|p| p.1.clone())
                    .unwrap_or_default();
                if kind != role && kind != "both" {
                    store::parties::add_role(self.conn, id, role)?;
                    if let Some(p) = self.parties.get_mut(&id) {
                        p.1 = "both".into();
                    }
                }
            }
            return Ok(Some(id));
        }
        // Unknown.
        let kind = if role == "customer" {
            ImportUnknownKind::Customer
        } else {
            ImportUnknownKind::Supplier
        };
        let Some(n) = name else {
            let u = uscc.unwrap_or_default();
            problems.push(self.problem(
                row,
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
        if self.commit && self.create_missing {
            let id = store::parties::insert(
                self.conn,
                &store::parties::PartyFields {
                    kind: role.to_string(),
                    name: n.to_string(),
                    uscc: uscc.map(str::to_string),
                    ..Default::default()
                },
            )?;
            self.created("party", id);
            self.remember_party(
                id,
                n.to_string(),
                role.to_string(),
                uscc.map(str::to_string),
            );
            return Ok(Some(id));
        }
        let severity = self.unknown_severity(true);
        let (zh, en) = if severity == ProblemSeverity::Warning {
            (
                format!("{role_zh}“{n}”尚未登记，导入时将自动新建"),
                format!("{role_en} {n:?} is not registered yet; it will be created"),
            )
        } else {
            (
                format!(
                    "{role_zh}“{n}”尚未登记。请先在“往来单位”中登记，或选择“自动新建未登记的供应商、客户和产品”，也可能是名称写法与已登记的不同"
                ),
                format!(
                    "{role_en} {n:?} is not registered; register it first or choose to create missing parties (or the name is spelt differently)"
                ),
            )
        };
        problems.push(self.problem(
            row,
            Some(name_field),
            severity,
            "party.unknown",
            zh,
            en,
            Some(n),
        ));
        self.note_pending(format!("party:{n}"), kind, n, true);
        Ok(None)
    }

    /// The product a row names by GTIN and/or name. `Ok(None)` with a problem when it is
    /// ambiguous, contradictory or unknown (and not created).
    fn product_ref(
        &mut self,
        row: u32,
        name: Option<&str>,
        gtin: Option<&str>,
        creatable: bool,
        problems: &mut Vec<ImportProblem>,
    ) -> Result<Option<ProductRef>> {
        if let Some(g) = gtin
            && let Some(&id) = self.products_by_gtin.get(&gtin14(g))
        {
            return Ok(Some(ProductRef::Existing(id)));
        }
        if let Some(n) = name {
            let candidates = self.products_by_name.get(n).cloned().unwrap_or_default();
            match candidates.as_slice() {
                [(id, _, pg)] => {
                    if let (Some(g), Some(pg)) = (gtin, pg)
                        && gtin14(g) != gtin14(pg)
                    {
                        problems.push(self.problem(
                            row,
                            Some(FieldKey::Gtin),
                            ProblemSeverity::Error,
                            "product.gtin-mismatch",
                            format!("产品“{n}”登记的商品条码是 {pg}，与本行的 {g} 不一致。请核对商品条码或产品名称"),
                            format!("product {n:?} is registered with GTIN {pg}, not {g}; check the GTIN or the name"),
                            Some(g),
                        ));
                        return Ok(None);
                    }
                    return Ok(Some(ProductRef::Existing(*id)));
                }
                [] => {}
                many => {
                    let models: Vec<&str> = many.iter().map(|(_, m, _)| m.as_str()).collect();
                    problems.push(self.problem(
                        row,
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
        // Unknown. Only a product with a name can be created.
        let Some(n) = name else {
            let g = gtin.unwrap_or_default();
            problems.push(self.problem(
                row,
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
                row,
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
        if self.commit && self.create_missing {
            let id = store::products::insert(
                self.conn,
                &store::products::ProductFields {
                    name: n.to_string(),
                    gtin: gtin.map(str::to_string),
                    scheme: self.defaults.scheme.clone(),
                    granularity: self.defaults.granularity.clone(),
                    ..Default::default()
                },
            )?;
            self.created("product", id);
            if let Some(g) = gtin {
                self.products_by_gtin.insert(gtin14(g), id);
            }
            self.products_by_name
                .entry(n.to_string())
                .or_default()
                .push((id, String::new(), gtin.map(str::to_string)));
            return Ok(Some(ProductRef::Existing(id)));
        }
        let severity = self.unknown_severity(true);
        let (zh, en) = if severity == ProblemSeverity::Warning {
            (
                format!("产品“{n}”尚未登记，导入时将自动新建"),
                format!("product {n:?} is not registered yet; it will be created"),
            )
        } else {
            (
                format!(
                    "产品“{n}”尚未登记。请先在“产品”中登记，或选择“自动新建未登记的供应商、客户和产品”"
                ),
                format!(
                    "product {n:?} is not registered; register it first or choose to create missing products"
                ),
            )
        };
        problems.push(self.problem(
            row,
            Some(FieldKey::Product),
            severity,
            "product.unknown",
            zh,
            en,
            Some(n),
        ));
        self.note_pending(format!("product:{n}"), ImportUnknownKind::Product, n, true);
        Ok(Some(ProductRef::New))
    }

    /// The batch `lot` of an existing product, from the cache or the database.
    fn find_batch(&mut self, product_id: i64, lot: &str) -> Result<Option<i64>> {
        let key = (product_id, lot.to_string());
        if let Some(found) = self.batches.get(&key) {
            return Ok(*found);
        }
        let found = store::batches::duplicate(self.conn, product_id, lot, None)?;
        self.batches.insert(key, found);
        Ok(found)
    }

    // -----------------------------------------------------------------------------------------
    // Kinds.

    fn party_row(
        &mut self,
        row: u32,
        d: &sheets::PartyDraft,
        read_ok: bool,
        problems: &mut Vec<ImportProblem>,
    ) -> Result<ImportRowStatus> {
        let Some(name) = d.name.as_deref() else {
            return Ok(ImportRowStatus::Invalid);
        };
        if self.seen_in_file(format!("party:{name}"), row, problems) {
            return Ok(ImportRowStatus::Exists);
        }
        if self.parties_by_name.contains_key(name) {
            problems.push(self.exists(row, format!("往来单位“{name}”"), format!("party {name:?}")));
            return Ok(ImportRowStatus::Exists);
        }
        if let Some(u) = d.uscc.as_deref()
            && let Some(&other) = self.parties_by_uscc.get(u)
        {
            let holder = self.party_name(other);
            problems.push(self.problem(
                row,
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
        if self.commit && read_ok {
            let kind = match d.kind {
                Some(sheets::PartyKind::Customer) => "customer",
                _ => "supplier",
            };
            let id = store::parties::insert(
                self.conn,
                &store::parties::PartyFields {
                    kind: kind.to_string(),
                    name: name.to_string(),
                    uscc: d.uscc.clone(),
                    address: d.address.clone().unwrap_or_default(),
                    contact: d.contact.clone().unwrap_or_default(),
                    phone: d.phone.clone().unwrap_or_default(),
                },
            )?;
            self.created("party", id);
            self.remember_party(id, name.to_string(), kind.to_string(), d.uscc.clone());
        }
        Ok(ImportRowStatus::New)
    }

    fn product_row(
        &mut self,
        row: u32,
        d: &sheets::ProductDraft,
        read_ok: bool,
        problems: &mut Vec<ImportProblem>,
    ) -> Result<ImportRowStatus> {
        let Some(name) = d.name.as_deref() else {
            return Ok(ImportRowStatus::Invalid);
        };
        let model = d.model.clone().unwrap_or_default();
        let key = match &d.gtin {
            Some(g) => format!("gtin:{}", gtin14(g)),
            None => format!("name:{name}\u{1f}{model}"),
        };
        if self.seen_in_file(key, row, problems) {
            return Ok(ImportRowStatus::Exists);
        }
        if let Some(g) = &d.gtin
            && self.products_by_gtin.contains_key(&gtin14(g))
        {
            problems.push(self.exists(
                row,
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
                        row,
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
                        row,
                        format!("产品“{name}”（型号“{model}”）"),
                        format!("product {name:?} ({model:?})"),
                    ));
                    return Ok(ImportRowStatus::Exists);
                }
            }
        }
        if self.commit && read_ok {
            let scheme = match d.scheme {
                Some(sheets::Scheme::Gs1) => "gs1".to_string(),
                Some(sheets::Scheme::Ecode) => "ecode".to_string(),
                Some(sheets::Scheme::DigitalId) => "digital-id".to_string(),
                None => self.defaults.scheme.clone(),
            };
            let granularity = match d.granularity {
                Some(sheets::Granularity::Product) => "product".to_string(),
                Some(sheets::Granularity::Batch) => "batch".to_string(),
                Some(sheets::Granularity::Item) => "item".to_string(),
                None => self.defaults.granularity.clone(),
            };
            let id = store::products::insert(
                self.conn,
                &store::products::ProductFields {
                    name: name.to_string(),
                    model: model.clone(),
                    category: d.category.clone().unwrap_or_default(),
                    brand: d.brand.clone().unwrap_or_default(),
                    standard: d.standard.clone().unwrap_or_default(),
                    gtin: d.gtin.clone(),
                    scheme,
                    granularity,
                    ccc_cert_no: d.ccc_cert_no.clone(),
                    ccc_valid_to: d.ccc_valid_to.map(super::iso),
                    ..Default::default()
                },
            )?;
            self.created("product", id);
            if let Some(g) = &d.gtin {
                self.products_by_gtin.insert(gtin14(g), id);
            }
            self.products_by_name
                .entry(name.to_string())
                .or_default()
                .push((id, model, d.gtin.clone()));
        }
        Ok(ImportRowStatus::New)
    }

    fn receipt_row(
        &mut self,
        row: u32,
        d: &sheets::ReceiptDraft,
        read_ok: bool,
        problems: &mut Vec<ImportProblem>,
    ) -> Result<ImportRowStatus> {
        let supplier = self.party_ref(
            row,
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
        if self.seen_in_file(
            format!("receipt:{who}\u{1f}{lot}\u{1f}{material}"),
            row,
            problems,
        ) {
            return Ok(ImportRowStatus::Exists);
        }
        let Some(supplier_id) = supplier else {
            // Unknown supplier: new in check mode (the problem says whether it will be created).
            return Ok(ImportRowStatus::New);
        };
        if store::receipts::duplicate(self.conn, supplier_id, lot, material, None)?.is_some() {
            problems.push(self.exists(
                row,
                format!("{who} 的“{material}”批号 {lot} 的进货记录"),
                format!("the receipt of {material:?} lot {lot} from {who}"),
            ));
            return Ok(ImportRowStatus::Exists);
        }
        if self.commit && read_ok {
            let id = store::receipts::insert(
                self.conn,
                &store::receipts::ReceiptFields {
                    supplier_id,
                    material: material.to_string(),
                    spec: d.spec.clone().unwrap_or_default(),
                    supplier_lot: lot.to_string(),
                    quantity: d.quantity.as_ref().map_or(0.0, |q| q.to_f64()),
                    unit: d.unit.clone().unwrap_or_default(),
                    received_on: d.received_on.map(super::iso).unwrap_or_default(),
                    inspection_result: super::inspection(d.inspection_result).to_string(),
                    report_no: d.report_no.clone(),
                    note: d.note.clone().unwrap_or_default(),
                },
            )?;
            self.created("receipt", id);
        }
        Ok(ImportRowStatus::New)
    }

    fn batch_row(
        &mut self,
        row: u32,
        d: &sheets::BatchDraft,
        read_ok: bool,
        problems: &mut Vec<ImportProblem>,
    ) -> Result<ImportRowStatus> {
        let product =
            self.product_ref(row, d.product.as_deref(), d.gtin.as_deref(), true, problems)?;
        let Some(lot) = d.lot_no.as_deref() else {
            return Ok(ImportRowStatus::Invalid);
        };
        let who = d
            .gtin
            .as_deref()
            .map(gtin14)
            .or_else(|| d.product.clone())
            .unwrap_or_default();
        if self.seen_in_file(format!("batch:{who}\u{1f}{lot}"), row, problems) {
            return Ok(ImportRowStatus::Exists);
        }
        if let Some(ProductRef::Existing(pid)) = product
            && self.find_batch(pid, lot)?.is_some()
        {
            problems.push(self.exists(
                row,
                format!("生产批号 {lot} 的批次"),
                format!("batch {lot}"),
            ));
            return Ok(ImportRowStatus::Exists);
        }
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
                    row,
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
                        row,
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
        if problems
            .iter()
            .any(|p| p.severity == ProblemSeverity::Error)
        {
            return Ok(ImportRowStatus::Invalid);
        }
        if self.commit && read_ok {
            let Some(ProductRef::Existing(pid)) = product else {
                return Ok(ImportRowStatus::Invalid);
            };
            let id = store::batches::insert(
                self.conn,
                &store::batches::BatchFields {
                    product_id: pid,
                    lot_no: lot.to_string(),
                    produced_on: d.produced_on.map(super::iso).unwrap_or_default(),
                    quantity: d.quantity.as_ref().map_or(0.0, |q| q.to_f64()),
                    unit: d.unit.clone().unwrap_or_default(),
                    inspection_result: super::inspection(d.inspection_result).to_string(),
                    inspector: d.inspector.clone().unwrap_or_default(),
                    report_no: d.report_no.clone(),
                },
                &inputs,
            )?;
            self.created("batch", id);
            self.batches.insert((pid, lot.to_string()), Some(id));
        }
        Ok(ImportRowStatus::New)
    }

    fn item_row(
        &mut self,
        row: u32,
        d: &sheets::ItemDraft,
        read_ok: bool,
        problems: &mut Vec<ImportProblem>,
    ) -> Result<ImportRowStatus> {
        let (Some(gtin), Some(serial)) = (d.gtin.as_deref(), d.serial.as_deref()) else {
            return Ok(ImportRowStatus::Invalid);
        };
        let Some(lot) = d.lot_no.as_deref() else {
            problems.push(self.problem(
                row,
                Some(FieldKey::LotNo),
                ProblemSeverity::Error,
                "item.lot-missing",
                "没有填写生产批号。每个单品都要归入一个生产批次，请填写它所属的批号".to_string(),
                "no lot number; every item belongs to a production batch".to_string(),
                None,
            ));
            return Ok(ImportRowStatus::Invalid);
        };
        let g14 = gtin14(gtin);
        if self.seen_in_file(
            format!("item:{g14}\u{1f}{lot}\u{1f}{serial}"),
            row,
            problems,
        ) {
            return Ok(ImportRowStatus::Exists);
        }
        let product = match self.products_by_gtin.get(&g14) {
            Some(&id) => id,
            None => {
                self.product_ref(row, None, Some(gtin), false, problems)?;
                return Ok(ImportRowStatus::Invalid);
            }
        };
        let batch = match self.find_batch(product, lot)? {
            Some(b) => Some(b),
            None if self.commit && self.create_missing => {
                let quantity = self
                    .lot_counts
                    .get(&(g14.clone(), lot.to_string()))
                    .copied()
                    .unwrap_or(1)
                    .max(1);
                let id = store::batches::insert(
                    self.conn,
                    &store::batches::BatchFields {
                        product_id: product,
                        lot_no: lot.to_string(),
                        produced_on: super::iso(d.produced_on.unwrap_or(self.defaults.today)),
                        quantity: f64::from(quantity),
                        unit: "个".to_string(),
                        inspection_result: "pending".to_string(),
                        inspector: String::new(),
                        report_no: None,
                    },
                    &[],
                )?;
                self.created("batch", id);
                self.batches.insert((product, lot.to_string()), Some(id));
                self.serials.insert(id, HashSet::new());
                Some(id)
            }
            None => {
                let severity = self.unknown_severity(true);
                let count = self
                    .lot_counts
                    .get(&(g14.clone(), lot.to_string()))
                    .copied()
                    .unwrap_or(1);
                let (zh, en) = if severity == ProblemSeverity::Warning {
                    (
                        format!(
                            "生产批次 {lot} 尚未登记，导入时将新建（{count} 个单品，检验结论“待检”）"
                        ),
                        format!(
                            "batch {lot} is not recorded yet; it will be created ({count} items, inspection pending)"
                        ),
                    )
                } else {
                    (
                        format!(
                            "该产品没有批号为 {lot} 的生产批次。请先录入这一批次，或选择“自动新建未登记的批次”"
                        ),
                        format!(
                            "the product has no batch {lot}; record the batch first or choose to create missing batches"
                        ),
                    )
                };
                problems.push(self.problem(
                    row,
                    Some(FieldKey::LotNo),
                    severity,
                    "batch.unknown",
                    zh,
                    en,
                    Some(lot),
                ));
                self.note_pending(
                    format!("batch:{g14}\u{1f}{lot}"),
                    ImportUnknownKind::Batch,
                    lot,
                    true,
                );
                None
            }
        };
        let Some(batch) = batch else {
            return Ok(ImportRowStatus::New);
        };
        if !self.serials.contains_key(&batch) {
            let set: HashSet<String> = store::imports::item_serials(self.conn, batch)?
                .into_iter()
                .collect();
            self.serials.insert(batch, set);
        }
        if self.serials.get(&batch).is_some_and(|s| s.contains(serial)) {
            problems.push(self.exists(
                row,
                format!("批次 {lot} 的序列号 {serial}"),
                format!("serial {serial} of batch {lot}"),
            ));
            return Ok(ImportRowStatus::Exists);
        }
        if self.commit && read_ok {
            let id = store::imports::insert_item(self.conn, batch, serial)?;
            self.created("item", id);
            if let Some(s) = self.serials.get_mut(&batch) {
                s.insert(serial.to_string());
            }
        }
        Ok(ImportRowStatus::New)
    }

    fn shipment_row(
        &mut self,
        row: u32,
        d: &sheets::ShipmentDraft,
        read_ok: bool,
        problems: &mut Vec<ImportProblem>,
    ) -> Result<ImportRowStatus> {
        let customer = self.party_ref(
            row,
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
        if existing.is_some() && !self.notes_created.contains(note) {
            problems.push(self.exists(
                row,
                format!("出库单 {note}"),
                format!("delivery note {note}"),
            ));
            return Ok(ImportRowStatus::Exists);
        }
        let product = match self.product_ref(
            row,
            d.product.as_deref(),
            d.gtin.as_deref(),
            false,
            problems,
        )? {
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
                        row,
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
        let Some(customer_id) = customer else {
            // Unknown customer: new in check mode (the problem says whether it will be created).
            return Ok(ImportRowStatus::New);
        };
        if self.commit && read_ok {
            let line = store::shipments::LineFields {
                batch_id,
                item_id: None,
                quantity: d.quantity.as_ref().map_or(0.0, |q| q.to_f64()),
            };
            match existing {
                Some(shipment_id) => {
                    store::imports::insert_shipment_line(self.conn, shipment_id, &line)?;
                }
                None => {
                    let id = store::shipments::insert(
                        self.conn,
                        &store::shipments::ShipmentFields {
                            customer_id,
                            shipped_on: d.shipped_on.map(super::iso).unwrap_or_default(),
                            delivery_note_no: note.to_string(),
                            note: String::new(),
                        },
                        &[line],
                    )?;
                    self.created("shipment", id);
                    self.notes.insert(note.to_string(), Some(id));
                    self.notes_created.insert(note.to_string());
                }
            }
        }
        Ok(ImportRowStatus::New)
    }
}
