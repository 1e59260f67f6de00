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

mod execute;
mod refs;
mod rows;

/// What auto-created products get when the sheet does not say: the enterprise's coding choice.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Defaults {
    pub scheme: String,
    pub granularity: String,
    pub today: Date,
    /// The CCC catalogue in use (a component's certificate is checked against it).
    pub ccc: std::sync::Arc<codes::ccc::CccCatalogue>,
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
    /// A receipt and its supplier's codes.
    Receipt(
        Box<store::receipts::ReceiptFields>,
        Vec<store::receipts::ReceiptCode>,
    ),
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

/// The records a commit created, by table.
pub(super) type Created = BTreeMap<&'static str, Vec<i64>>;

fn provisional(index: usize) -> i64 {
    -(index as i64) - 1
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
}
