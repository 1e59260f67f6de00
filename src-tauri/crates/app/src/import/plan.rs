//! The row planner: checks each row read from a sheet against the records already in the
//! database and works out, once, what a commit writes: the [`Plan`].
//!
//! Planning only reads. What a row would create gets a provisional id (negative) that the
//! following rows see, exactly as they would see the record after a commit: an unknown supplier
//! named on 30 rows is one supplier to create, a batch its 1,000 items need is one batch, a
//! second row with the USCC of a party the file creates is refused. The clerk is shown every
//! such record as one that "will be created". The commit runs the plan in its transaction when
//! the tables it read are unchanged since the check ([`Stamp`]); otherwise it plans every row
//! again inside the transaction, so a change made by someone else between check and commit is
//! caught, not overwritten.
//!
//! Natural keys: party = name (or its USCC); product = GTIN, else name + model; receipt =
//! supplier, supplier lot and material; batch = product + lot number; item = batch + serial;
//! shipment = delivery note number. A row whose key is already in the database is `Exists`:
//! skipped, never duplicated.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::hash::BuildHasher;
use std::sync::{Arc, OnceLock};

use sheets::{FieldKey, Mapping, RecordDraft, RowRead};
use store::Connection;
use time::Date;

use crate::{ImportProblem, ImportRowStatus, ImportUnknown, ImportUnknownKind, ProblemSeverity};

type Result<T> = crate::Result<T>;

/// What auto-created products get when the sheet does not say: the enterprise's coding choice.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Defaults {
    pub scheme: String,
    pub granularity: String,
    pub today: Date,
}

/// What a database check found on one row, kept small: the place is spelt out from the row
/// and the mapping when the problem is shown, and rows with the same finding share its text
/// (100,000 items of batches the import creates share 1,010 texts).
#[derive(Debug, Clone)]
pub(super) struct RowProblem {
    pub field: Option<FieldKey>,
    pub severity: ProblemSeverity,
    pub code: Cow<'static, str>,
    /// Set when the problem is made, or (a batch's item count) when planning ends.
    pub text: Arc<OnceLock<ProblemText>>,
}

#[derive(Debug)]
pub(super) struct ProblemText {
    pub zh: String,
    pub en: String,
    pub value: Option<String>,
}

impl RowProblem {
    /// The problem as the clerk sees it, with its place the way the sheet reader writes it:
    /// `第 5 行 C 列（供应商）：…`.
    pub fn render(&self, row: u32, mapping: Option<&Mapping>) -> ImportProblem {
        let col = self
            .field
            .and_then(|f| mapping.and_then(|m| m.column_of(f)));
        // Built piece by piece: a sheet of items can have a problem on every one of its rows.
        let row_text = row.to_string();
        let (letter, header) = match col {
            Some(c) => (c.column_letter.as_str(), c.header_text.as_str()),
            None => ("", ""),
        };
        static NONE: ProblemText = ProblemText {
            zh: String::new(),
            en: String::new(),
            value: None,
        };
        let text = self.text.get().unwrap_or(&NONE);
        let (text_zh, text_en) = (&text.zh, &text.en);
        let mut zh = String::with_capacity(32 + letter.len() + header.len() + text_zh.len());
        let mut en = String::with_capacity(32 + letter.len() + header.len() + text_en.len());
        zh.push_str("第 ");
        zh.push_str(&row_text);
        zh.push_str(" 行");
        en.push_str("row ");
        en.push_str(&row_text);
        if col.is_some() {
            zh.push(' ');
            zh.push_str(letter);
            zh.push_str(" 列");
            en.push_str(", column ");
            en.push_str(letter);
            if !header.is_empty() {
                zh.push('（');
                zh.push_str(header);
                zh.push('）');
                en.push_str(" (");
                en.push_str(header);
                en.push(')');
            }
        }
        zh.push('：');
        zh.push_str(text_zh);
        en.push_str(": ");
        en.push_str(text_en);
        ImportProblem {
            row: Some(row),
            column: col.map(|c| c.column_letter.clone()),
            header: col.map(|c| c.header_text.clone()),
            field: self.field.map(|f| f.as_str().to_string()),
            severity: self.severity,
            code: self.code.to_string(),
            message_zh: zh,
            message_en: en,
            value: text.value.clone(),
        }
    }

    pub fn is_error(&self) -> bool {
        self.severity == ProblemSeverity::Error
    }
}

/// The tables a plan is made from (and the settings behind [`Defaults`]).
const READ_TABLES: &[&str] = &[
    "party",
    "product",
    "product_coding",
    "receipt",
    "batch",
    "batch_input",
    "item",
    "shipment",
    "shipment_line",
    "setting",
    "enterprise",
];

/// What the tables a plan reads looked like when it was made: the newest audit entry (every
/// insert, update and delete of them is audited, a bulk write by one summary entry per table) and
/// each table's largest rowid. A plan still holds when no audit entry about them came after and
/// no rowid moved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Stamp {
    audit: i64,
    rowids: Vec<i64>,
}

impl Stamp {
    pub fn take(conn: &Connection) -> Result<Stamp> {
        let (audit, rowids) = store::imports::change_stamp(conn, READ_TABLES)?;
        Ok(Stamp { audit, rowids })
    }

    /// True when nothing the plan read has changed since.
    pub fn holds(&self, conn: &Connection) -> Result<bool> {
        let now = Stamp::take(conn)?;
        if now.audit < self.audit || now.rowids != self.rowids {
            return Ok(false);
        }
        Ok(!store::imports::audited_since(
            conn,
            self.audit,
            READ_TABLES,
        )?)
    }
}

/// A record the plan creates when a written row first needs it.
#[derive(Debug, Clone)]
enum Def {
    Party(store::parties::PartyFields),
    Product(store::products::ProductFields),
    /// Fields with the product id as planned (possibly provisional).
    Batch(store::batches::BatchFields),
    /// Fields with the customer id as planned (possibly provisional).
    Shipment(store::shipments::ShipmentFields),
}

/// What one row writes; ids as planned (negative: created by the plan).
#[derive(Debug, Clone)]
enum Write {
    Party(Box<store::parties::PartyFields>),
    Product(Box<store::products::ProductFields>),
    Receipt(Box<store::receipts::ReceiptFields>),
    Batch(
        Box<store::batches::BatchFields>,
        Vec<store::batches::InputFields>,
    ),
    /// The row's serial in `batch`.
    Item {
        batch: i64,
    },
    ShipmentLine {
        shipment: i64,
        line: store::shipments::LineFields,
    },
}

/// What a commit writes, worked out at the check: the rows' writes in row order, and the records
/// they need created (each on first use, so a record only rows left out need is never made).
#[derive(Debug, Default)]
pub(super) struct Plan {
    defs: Vec<Def>,
    /// Roles existing suppliers and customers take on when a written row first uses them.
    roles: HashMap<i64, &'static str>,
    /// (row index, write), in row order.
    writes: Vec<(u32, Write)>,
}

/// Items go in this many to a statement.
const ITEM_CHUNK: usize = 256;

/// The records a commit created, by table.
pub(super) type Created = BTreeMap<&'static str, Vec<i64>>;

fn provisional(index: usize) -> i64 {
    -(index as i64) - 1
}

/// Runs a plan: the state of one execution.
struct Run<'a> {
    conn: &'a Connection,
    plan: &'a Plan,
    made: Vec<Option<i64>>,
    roles_done: HashSet<i64>,
    created: Created,
}

impl Run<'_> {
    /// The real id of a planned id, creating the record on its first use.
    fn id(&mut self, planned: i64) -> Result<i64> {
        if planned >= 0 {
            if let Some(role) = self.plan.roles.get(&planned)
                && self.roles_done.insert(planned)
            {
                store::parties::add_role(self.conn, planned, role)?;
            }
            return Ok(planned);
        }
        let index = (-planned - 1) as usize;
        if let Some(Some(id)) = self.made.get(index) {
            return Ok(*id);
        }
        let Some(def) = self.plan.defs.get(index) else {
            return Err(crate::ApiError::new(
                crate::ErrorCode::Internal,
                "导入计划引用了不存在的记录，没有写入任何数据",
                "the import plan refers to a record it does not create; nothing was written",
            ));
        };
        let (table, id) = match def {
            Def::Party(f) => ("party", store::parties::insert(self.conn, f)?),
            Def::Product(f) => ("product", store::products::insert(self.conn, f)?),
            Def::Batch(f) => {
                let mut f = f.clone();
                f.product_id = self.id(f.product_id)?;
                ("batch", store::batches::insert(self.conn, &f, &[])?)
            }
            Def::Shipment(f) => {
                let mut f = f.clone();
                f.customer_id = self.id(f.customer_id)?;
                ("shipment", store::shipments::insert(self.conn, &f, &[])?)
            }
        };
        self.made[index] = Some(id);
        self.created.entry(table).or_default().push(id);
        Ok(id)
    }

    fn flush_items(&mut self, items: &mut Vec<(i64, &str)>) -> Result<()> {
        if items.is_empty() {
            return Ok(());
        }
        let ids = store::imports::insert_items(self.conn, items)?;
        self.created.entry("item").or_default().extend(ids);
        items.clear();
        Ok(())
    }
}

impl Plan {
    /// Writes the rows `wanted` says (by row index), in row order, creating what they need;
    /// `tick` is called before each row written (progress and cancel). Returns what was created.
    pub fn execute(
        &self,
        conn: &Connection,
        rows: &[RowRead],
        wanted: &dyn Fn(usize) -> bool,
        tick: &mut dyn FnMut(usize) -> Result<()>,
    ) -> Result<Created> {
        let mut run = Run {
            conn,
            plan: self,
            made: vec![None; self.defs.len()],
            roles_done: HashSet::new(),
            created: Created::new(),
        };
        let mut items: Vec<(i64, &str)> = Vec::with_capacity(ITEM_CHUNK);
        for (index, write) in &self.writes {
            let index = *index as usize;
            if !wanted(index) {
                continue;
            }
            tick(index)?;
            match write {
                Write::Item { batch } => {
                    let batch = run.id(*batch)?;
                    let serial = match &rows[index].record {
                        RecordDraft::Item(d) => d.serial.as_deref().unwrap_or_default(),
                        _ => "",
                    };
                    items.push((batch, serial));
                    if items.len() == ITEM_CHUNK {
                        run.flush_items(&mut items)?;
                    }
                }
                Write::Party(f) => {
                    let id = store::parties::insert(conn, f)?;
                    run.created.entry("party").or_default().push(id);
                }
                Write::Product(f) => {
                    let id = store::products::insert(conn, f)?;
                    run.created.entry("product").or_default().push(id);
                }
                Write::Receipt(f) => {
                    let mut f = (**f).clone();
                    f.supplier_id = run.id(f.supplier_id)?;
                    let id = store::receipts::insert(conn, &f)?;
                    run.created.entry("receipt").or_default().push(id);
                }
                Write::Batch(f, inputs) => {
                    let mut f = (**f).clone();
                    f.product_id = run.id(f.product_id)?;
                    let id = store::batches::insert(conn, &f, inputs)?;
                    run.created.entry("batch").or_default().push(id);
                }
                Write::ShipmentLine { shipment, line } => {
                    let shipment = run.id(*shipment)?;
                    store::imports::insert_shipment_line(conn, shipment, line)?;
                }
            }
        }
        run.flush_items(&mut items)?;
        Ok(run.created)
    }
}

/// A product as a row names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ProductRef {
    /// On record, or created by this plan (provisional id).
    Existing(i64),
    /// Missing and not to be created: the row is refused.
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
    create_missing: bool,
    defaults: Defaults,

    /// id → (name, kind, uscc)
    parties: HashMap<i64, (String, String, Option<String>)>,
    parties_by_name: HashMap<String, i64>,
    parties_by_uscc: HashMap<String, i64>,
    products_by_gtin: HashMap<String, i64>,
    /// name → (id, model, gtin)
    products_by_name: HashMap<String, Vec<(i64, String, Option<String>)>>,
    /// Whether each product's codes carry the lot (GS1 (10)).
    carries_lot: HashMap<i64, bool>,
    /// Products coded per item (一物一码); an item list for another product is warned about once.
    item_coded: HashSet<i64>,
    warned_not_item: HashSet<i64>,
    /// product → lot → batch id (`None`: not on record).
    batches: HashMap<i64, HashMap<String, Option<i64>>>,
    lots: HashMap<String, Vec<(i64, String, String)>>,
    /// Serials on record per existing batch (a serial repeated in the file is caught by its key).
    serials: HashMap<i64, HashSet<String>>,
    /// Delivery note → shipment id (provisional: created by this import).
    notes: HashMap<String, Option<i64>>,
    /// The lot problems of each batch this plan creates, found once.
    new_batch_lots: HashMap<i64, Vec<codes::Problem>>,
    /// The "will be created" text of each record this plan creates.
    created_texts: HashMap<i64, Arc<OnceLock<ProblemText>>>,
    /// Batches items create: their definition, product and lot, and the text of their warning,
    /// which gives the item count, known when planning ends.
    new_batches: Vec<(usize, i64, String, Arc<OnceLock<ProblemText>>)>,

    /// Unknown suppliers, customers, products and batches, by key, in first-seen order.
    pending: Vec<(String, Pending)>,
    pending_index: HashMap<String, usize>,
    /// The entry in `pending` of each record this plan creates.
    pending_of_created: HashMap<i64, usize>,
    /// Items per product and lot, for the quantity of an auto-created batch.
    lot_counts: HashMap<i64, HashMap<String, u32>>,
    /// Natural keys of the rows planned so far, as hashes → the first row (index) with the key;
    /// a key whose hash another key already took is kept whole in `file_keys_shared`.
    file_keys: HashMap<u64, usize>,
    file_keys_shared: HashMap<String, usize>,
    hasher: std::hash::RandomState,
    /// Every key hashes alike: the path of keys that share a hash, for tests.
    pub same_hashes: bool,
    /// The last batch looked up (rows of one lot usually follow each other).
    last_batch: Option<(i64, String, Option<i64>)>,
    /// The last id given to a record a row itself creates (never a reference: such records
    /// are only looked up by the rows that follow, to see them as on record).
    row_record: i64,

    pub plan: Plan,
}

/// A GTIN as 14 digits, how GTINs are compared.
pub(super) fn gtin14(gtin: &str) -> String {
    let mut out = String::with_capacity(14.max(gtin.len()));
    for _ in gtin.len()..14 {
        out.push('0');
    }
    out.push_str(gtin);
    out
}

/// A GTIN of up to 14 digits as 14, in `digits` (a longer one as it is).
fn padded14<'a>(gtin: &'a str, digits: &'a mut [u8; 14]) -> &'a str {
    let Some(start) = 14usize.checked_sub(gtin.len()) else {
        return gtin;
    };
    digits[start..].copy_from_slice(gtin.as_bytes());
    std::str::from_utf8(&digits[..]).unwrap_or(gtin)
}

/// `parts` end to end, in one allocation.
fn key(parts: &[&str]) -> String {
    let mut out = String::with_capacity(parts.iter().map(|p| p.len()).sum());
    for p in parts {
        out.push_str(p);
    }
    out
}

fn role_name(role: &str) -> (&'static str, &'static str) {
    if role == "customer" {
        ("客户", "customer")
    } else {
        ("供应商", "supplier")
    }
}

fn role_static(role: &str) -> &'static str {
    if role == "customer" {
        "customer"
    } else {
        "supplier"
    }
}

impl<'c> Planner<'c> {
    pub fn new(
        conn: &'c Connection,
        create_missing: bool,
        defaults: Defaults,
    ) -> Result<Planner<'c>> {
        let mut p = Planner {
            conn,
            create_missing,
            defaults,
            parties: HashMap::new(),
            parties_by_name: HashMap::new(),
            parties_by_uscc: HashMap::new(),
            products_by_gtin: HashMap::new(),
            products_by_name: HashMap::new(),
            carries_lot: HashMap::new(),
            item_coded: HashSet::new(),
            warned_not_item: HashSet::new(),
            batches: HashMap::new(),
            lots: HashMap::new(),
            serials: HashMap::new(),
            notes: HashMap::new(),
            new_batch_lots: HashMap::new(),
            created_texts: HashMap::new(),
            new_batches: Vec::new(),
            pending: Vec::new(),
            pending_index: HashMap::new(),
            pending_of_created: HashMap::new(),
            lot_counts: HashMap::new(),
            file_keys: HashMap::new(),
            file_keys_shared: HashMap::new(),
            hasher: std::hash::RandomState::new(),
            same_hashes: false,
            last_batch: None,
            row_record: i64::MIN / 2,
            plan: Plan::default(),
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
        for (id, scheme, granularity, item_with_lot) in store::imports::product_lot_coding(conn)? {
            if granularity == "item" {
                p.item_coded.insert(id);
            }
            p.carries_lot.insert(
                id,
                crate::lots::carried(&scheme, &granularity, item_with_lot),
            );
        }
        Ok(p)
    }

    /// What commit would create and cannot find, in first-seen order.
    fn unknown(&self) -> Vec<ImportUnknown> {
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

    /// One more row naming the record this plan creates as `id` (provisional); `make` gives its
    /// key and name the first time.
    fn note_pending_created(
        &mut self,
        id: i64,
        kind: ImportUnknownKind,
        make: impl FnOnce(&Self) -> (String, String),
    ) {
        if let Some(&i) = self.pending_of_created.get(&id) {
            self.pending[i].1.rows += 1;
            return;
        }
        let (key, name) = make(self);
        let i = self.note_pending(key, kind, &name, true);
        self.pending_of_created.insert(id, i);
    }

    /// One more row naming what `key` names; its entry in `pending`.
    fn note_pending(
        &mut self,
        key: String,
        kind: ImportUnknownKind,
        name: &str,
        creatable: bool,
    ) -> usize {
        if let Some(&i) = self.pending_index.get(&key) {
            self.pending[i].1.rows += 1;
            return i;
        }
        let i = self.pending.len();
        self.pending_index.insert(key.clone(), i);
        self.pending.push((
            key,
            Pending {
                kind: Some(kind),
                name: name.to_string(),
                rows: 1,
                creatable,
            },
        ));
        i
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

    /// A record the plan creates on first use; its provisional id.
    fn define(&mut self, def: Def) -> i64 {
        self.plan.defs.push(def);
        provisional(self.plan.defs.len() - 1)
    }

    /// An id for a record a row creates itself, for the rows that follow.
    fn row_record(&mut self) -> i64 {
        self.row_record -= 1;
        self.row_record
    }

    /// The name of a product this plan creates.
    fn planned_product_name(&self, id: i64) -> String {
        match self.plan.defs.get((-id - 1) as usize) {
            Some(Def::Product(f)) => f.name.clone(),
            _ => String::new(),
        }
    }

    fn write(&mut self, index: usize, write: Write) {
        self.plan.writes.push((index as u32, write));
    }

    /// A problem at `field`'s column of the row being planned.
    fn problem(
        &self,
        field: Option<FieldKey>,
        severity: ProblemSeverity,
        code: impl Into<Cow<'static, str>>,
        zh: String,
        en: String,
        value: Option<&str>,
    ) -> RowProblem {
        RowProblem {
            field,
            severity,
            code: code.into(),
            text: Arc::new(OnceLock::from(ProblemText {
                zh,
                en,
                value: value.map(str::to_string),
            })),
        }
    }

    /// The natural key of a row, written to `out` (`false`: the kind has none, or the row lacks
    /// a part of it). The same text for the same record, however the file spells its GTIN.
    fn file_key(draft: &RecordDraft, out: &mut String) -> bool {
        out.clear();
        let mut push = |parts: &[&str]| parts.iter().for_each(|p| out.push_str(p));
        match draft {
            RecordDraft::Party(d) => match d.name.as_deref() {
                Some(name) => push(&["party:", name]),
                None => return false,
            },
            RecordDraft::Product(d) => match (&d.gtin, d.name.as_deref()) {
                (Some(g), _) => push(&["gtin:", &gtin14(g)]),
                (None, Some(name)) => push(&[
                    "name:",
                    name,
                    "\u{1f}",
                    d.model.as_deref().unwrap_or_default(),
                ]),
                (None, None) => return false,
            },
            RecordDraft::Receipt(d) => {
                let (Some(lot), Some(material)) =
                    (d.supplier_lot.as_deref(), d.material.as_deref())
                else {
                    return false;
                };
                let who = d
                    .supplier
                    .as_deref()
                    .or(d.supplier_uscc.as_deref())
                    .unwrap_or_default();
                push(&["receipt:", who, "\u{1f}", lot, "\u{1f}", material]);
            }
            RecordDraft::Batch(d) => {
                let Some(lot) = d.lot_no.as_deref() else {
                    return false;
                };
                let who = match (&d.gtin, d.product.as_deref()) {
                    (Some(g), _) => gtin14(g),
                    (None, p) => p.unwrap_or_default().to_string(),
                };
                push(&["batch:", &who, "\u{1f}", lot]);
            }
            RecordDraft::Item(d) => {
                let (Some(g), Some(lot), Some(serial)) =
                    (d.gtin.as_deref(), d.lot_no.as_deref(), d.serial.as_deref())
                else {
                    return false;
                };
                let mut digits = [b'0'; 14];
                let g14 = padded14(g, &mut digits);
                push(&["item:", g14, "\u{1f}", lot, "\u{1f}", serial]);
            }
            RecordDraft::Shipment(_) => return false,
        }
        true
    }

    /// A row (`index`) seen before in this file with the same natural key: the first one wins.
    /// Keys are kept as hashes; a hash that matches is confirmed against the first row's key.
    fn seen_in_file(
        &mut self,
        index: usize,
        rows: &[RowRead],
        problems: &mut Vec<RowProblem>,
    ) -> bool {
        let mut key = String::with_capacity(64);
        if !Self::file_key(&rows[index].record, &mut key) {
            return false;
        }
        let hash = if self.same_hashes {
            0
        } else {
            self.hasher.hash_one(&key)
        };
        let first = match self.file_keys.get(&hash) {
            None => {
                self.file_keys.insert(hash, index);
                return false;
            }
            Some(&first) => {
                let mut other = String::with_capacity(key.len());
                Self::file_key(&rows[first].record, &mut other);
                if other == key {
                    first
                } else {
                    match self.file_keys_shared.get(&key) {
                        Some(&first) => first,
                        None => {
                            self.file_keys_shared.insert(key, index);
                            return false;
                        }
                    }
                }
            }
        };
        if first == index {
            return false;
        }
        let first = rows[first].row;
        problems.push(self.problem(
            None,
            ProblemSeverity::Warning,
            "record.repeated",
            format!("与第 {first} 行是同一条记录，只导入一次"),
            format!("the same record as row {first}; imported once"),
            None,
        ));
        true
    }

    fn exists(&self, what_zh: String, what_en: String) -> RowProblem {
        self.problem(
            None,
            ProblemSeverity::Warning,
            "record.exists",
            format!("{what_zh}已在系统中，不会重复导入"),
            format!("{what_en} is already recorded; it is not imported again"),
            None,
        )
    }

    /// The lot of a batch this import creates, against GS1 (10) when the product's codes carry
    /// it (`lots::carried`): errors then, warnings otherwise.
    fn lot_problems(&self, product: Option<i64>, lot: &str) -> Vec<RowProblem> {
        let carried = match product.and_then(|p| self.carries_lot.get(&p)) {
            Some(c) => *c,
            // A product this import creates gets the enterprise's coding choice.
            None => crate::lots::carried(&self.defaults.scheme, &self.defaults.granularity, true),
        };
        codes::gs1::check_lot(lot, carried)
            .into_iter()
            .map(|p| self.lot_problem(lot, &p))
            .collect()
    }

    fn lot_problem(&self, lot: &str, p: &codes::Problem) -> RowProblem {
        let severity = if p.is_error() {
            ProblemSeverity::Error
        } else {
            ProblemSeverity::Warning
        };
        self.problem(
            Some(FieldKey::LotNo),
            severity,
            p.code.clone(),
            p.message.zh.clone(),
            p.message.en.clone(),
            Some(lot),
        )
    }

    /// Plans one row (its index in the sheet's rows): its problems and status, and what a commit
    /// writes for it. A row the sheet reader found errors in is checked as far as it can be, so
    /// the clerk sees every problem at once, and is `Invalid`; only `New` rows write.
    pub fn row(
        &mut self,
        index: usize,
        rows: &[RowRead],
    ) -> Result<(Vec<RowProblem>, ImportRowStatus)> {
        let row = &rows[index];
        let mut problems = Vec::new();
        let read_ok = row.is_valid();
        let writes_before = self.plan.writes.len();
        if let RecordDraft::Item(d) = &row.record {
            self.count_item(d);
        }
        let status = match &row.record {
            RecordDraft::Party(d) => self.party_row(index, rows, d, read_ok, &mut problems)?,
            RecordDraft::Product(d) => self.product_row(index, rows, d, read_ok, &mut problems)?,
            RecordDraft::Receipt(d) => self.receipt_row(index, rows, d, read_ok, &mut problems)?,
            RecordDraft::Batch(d) => self.batch_row(index, rows, d, read_ok, &mut problems)?,
            RecordDraft::Item(d) => self.item_row(index, rows, d, read_ok, &mut problems)?,
            RecordDraft::Shipment(d) => self.shipment_row(index, d, read_ok, &mut problems)?,
        };
        let status = if !read_ok || problems.iter().any(RowProblem::is_error) {
            ImportRowStatus::Invalid
        } else {
            status
        };
        if status != ImportRowStatus::New {
            self.plan.writes.truncate(writes_before);
        }
        Ok((problems, status))
    }

    /// Counts an item row towards its lot: a batch the import creates holds the lot's items.
    fn count_item(&mut self, d: &sheets::ItemDraft) {
        let (Some(g), Some(lot)) = (d.gtin.as_deref(), d.lot_no.as_deref()) else {
            return;
        };
        let mut digits = [b'0'; 14];
        let Some(&product) = self.products_by_gtin.get(padded14(g, &mut digits)) else {
            return;
        };
        let counts = self.lot_counts.entry(product).or_default();
        match counts.get_mut(lot) {
            Some(n) => *n += 1,
            None => {
                counts.insert(lot.to_string(), 1);
            }
        }
    }

    /// The plan, once every row is planned, and what it creates that the rows named: batches
    /// items create get their item count (quantity, and the warning's text) only now.
    pub fn finish(mut self) -> (Plan, Vec<ImportUnknown>) {
        for (def, product, lot, text) in std::mem::take(&mut self.new_batches) {
            let count = self.lot_count(product, &lot).unwrap_or(1);
            if let Some(Def::Batch(f)) = self.plan.defs.get_mut(def) {
                f.quantity = f64::from(count.max(1));
            }
            let _ = text.set(ProblemText {
                zh: format!("生产批次 {lot} 尚未登记，导入时将新建（{count} 个单品，检验结论“待检”）"),
                en: format!(
                    "batch {lot} is not recorded yet; it will be created ({count} items, inspection pending)"
                ),
                value: Some(lot),
            });
        }
        let unknown = self.unknown();
        (self.plan, unknown)
    }

    // -----------------------------------------------------------------------------------------
    // References.

    /// The supplier or customer a row names, by USCC first, then by name: on record, or
    /// created by this import (provisional id, when creating is allowed). `None` when it is
    /// neither, with the problem added.
    #[allow(clippy::too_many_arguments)]
    fn party_ref(
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

    fn party_created(&mut self, id: i64, role: &str, field: FieldKey, n: &str) -> RowProblem {
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
    fn created_problem(
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
    fn product_ref(
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

    fn product_created(&mut self, id: i64, n: &str) -> RowProblem {
        self.created_problem(id, Some(FieldKey::Product), "product.unknown", || {
            (
                format!("产品“{n}”尚未登记，导入时将自动新建"),
                format!("product {n:?} is not registered yet; it will be created"),
                n.to_string(),
            )
        })
    }

    /// The batch `lot` of a product: on record, created by this import, or `None`.
    fn find_batch(&mut self, product_id: i64, lot: &str) -> Result<Option<i64>> {
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
    fn remember_batch(&mut self, product_id: i64, lot: &str, id: i64) {
        self.batches
            .entry(product_id)
            .or_default()
            .insert(lot.to_string(), Some(id));
        self.last_batch = None;
    }

    fn find_batch_uncached(&mut self, product_id: i64, lot: &str) -> Result<Option<i64>> {
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

    fn lot_count(&self, product_id: i64, lot: &str) -> Option<u32> {
        self.lot_counts.get(&product_id)?.get(lot).copied()
    }

    // -----------------------------------------------------------------------------------------
    // Kinds, by the row's index in the sheet's rows.

    fn party_row(
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
        if read_ok {
            let kind = match d.kind {
                Some(sheets::PartyKind::Customer) => "customer",
                _ => "supplier",
            };
            let fields = store::parties::PartyFields {
                kind: kind.to_string(),
                name: name.to_string(),
                uscc: d.uscc.clone(),
                address: d.address.clone().unwrap_or_default(),
                contact: d.contact.clone().unwrap_or_default(),
                phone: d.phone.clone().unwrap_or_default(),
            };
            // Later rows see it as on record (a provisional id no reference resolves).
            let id = self.row_record();
            self.remember_party(id, name.to_string(), kind.to_string(), d.uscc.clone());
            self.write(index, Write::Party(Box::new(fields)));
        }
        Ok(ImportRowStatus::New)
    }

    fn product_row(
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
                ccc_valid_to: d.ccc_valid_to.map(super::iso),
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

    fn receipt_row(
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
        if read_ok {
            let fields = store::receipts::ReceiptFields {
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
            };
            self.write(index, Write::Receipt(Box::new(fields)));
        }
        Ok(ImportRowStatus::New)
    }

    fn batch_row(
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
                produced_on: d.produced_on.map(super::iso).unwrap_or_default(),
                quantity: d.quantity.as_ref().map_or(0.0, |q| q.to_f64()),
                unit: d.unit.clone().unwrap_or_default(),
                inspection_result: super::inspection(d.inspection_result).to_string(),
                inspector: d.inspector.clone().unwrap_or_default(),
                report_no: d.report_no.clone(),
            };
            let id = self.row_record();
            self.remember_batch(pid, lot, id);
            self.write(index, Write::Batch(Box::new(fields), inputs));
        }
        Ok(ImportRowStatus::New)
    }

    fn item_row(
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
                    produced_on: super::iso(d.produced_on.unwrap_or(self.defaults.today)),
                    // The items of the lot in the file, when planning ends.
                    quantity: 1.0,
                    unit: "个".to_string(),
                    inspection_result: "pending".to_string(),
                    inspector: String::new(),
                    report_no: None,
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

    fn batch_created(&mut self, id: i64) -> RowProblem {
        let text = self.created_texts.entry(id).or_default().clone();
        RowProblem {
            field: Some(FieldKey::LotNo),
            severity: ProblemSeverity::Warning,
            code: Cow::Borrowed("batch.unknown"),
            text,
        }
    }

    fn shipment_row(
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
                        shipped_on: d.shipped_on.map(super::iso).unwrap_or_default(),
                        delivery_note_no: note.to_string(),
                        note: String::new(),
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
