//! What the simulator has accepted: records by idempotency key, in acceptance order, optionally
//! mirrored to a JSON-lines file (contract §10).

use std::collections::HashMap;
use std::fs::{File, OpenOptions};
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// One accepted record.
#[derive(Debug, Clone, PartialEq)]
pub struct Stored {
    pub key: String,
    pub kind: String,
    pub scheme: String,
    pub granularity: String,
    pub receipt_id: String,
    /// RFC 3339, UTC.
    pub accepted_at: String,
    /// The record as submitted (including its key), as compact JSON text: a parsed tree costs
    /// several times the text in memory, and the store may hold hundreds of thousands.
    pub record: Box<str>,
    /// The `errorDeclaration` that declared this record erroneous, if any.
    pub error_declared_by: Option<String>,
}

/// One line of the store file.
#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Line {
    receipt_id: String,
    accepted_at: String,
    record: Value,
}

/// Accepted records. Memory is bounded by the caller's quota check (`len` against
/// `max_stored_records`).
#[derive(Debug, Default)]
pub struct Store {
    records: Vec<Stored>,
    index: HashMap<String, usize>,
    file: Option<(PathBuf, File)>,
    /// Highest receipt sequence number used so far.
    pub receipt_seq: u64,
}

impl Store {
    /// An empty store, or one loaded from `path` (created when missing). Lines that cannot be
    /// read back are skipped: the file is a convenience for the CLI, not a source of truth.
    pub fn open(path: Option<&Path>) -> std::io::Result<Store> {
        let mut store = Store::default();
        let Some(path) = path else {
            return Ok(store);
        };
        if path.exists() {
            let reader = BufReader::new(File::open(path)?);
            for line in reader.lines() {
                let line = line?;
                let Ok(parsed) = serde_json::from_str::<Line>(&line) else {
                    continue;
                };
                store.insert_loaded(parsed);
            }
        }
        let file = OpenOptions::new().create(true).append(true).open(path)?;
        store.file = Some((path.to_owned(), file));
        Ok(store)
    }

    fn insert_loaded(&mut self, line: Line) {
        let Some(map) = line.record.as_object() else {
            return;
        };
        let text = |k: &str| {
            map.get(k)
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned()
        };
        let key = text("idempotencyKey");
        if key.is_empty() || self.index.contains_key(&key) {
            return;
        }
        if let Some(n) = line
            .receipt_id
            .strip_prefix("SIM-")
            .and_then(|n| n.parse::<u64>().ok())
        {
            self.receipt_seq = self.receipt_seq.max(n);
        }
        let stored = Stored {
            key,
            kind: text("kind"),
            scheme: text("scheme"),
            granularity: text("granularity"),
            receipt_id: line.receipt_id,
            accepted_at: line.accepted_at,
            record: line.record.to_string().into_boxed_str(),
            error_declared_by: None,
        };
        self.link_declaration(&stored);
        self.index.insert(stored.key.clone(), self.records.len());
        self.records.push(stored);
    }

    /// When `stored` is an error declaration, marks the record it declares.
    fn link_declaration(&mut self, stored: &Stored) {
        if stored.kind != "errorDeclaration" {
            return;
        }
        let declared = serde_json::from_str::<Value>(&stored.record)
            .ok()
            .and_then(|r| {
                r.pointer("/payload/declaredKey")
                    .and_then(Value::as_str)
                    .map(str::to_owned)
            });
        if let Some(declared) = declared
            && let Some(&i) = self.index.get(&declared)
        {
            self.records[i].error_declared_by = Some(stored.key.clone());
        }
    }

    pub fn get(&self, key: &str) -> Option<&Stored> {
        self.index.get(key).map(|&i| &self.records[i])
    }

    pub fn len(&self) -> usize {
        self.records.len()
    }

    pub fn records(&self) -> &[Stored] {
        &self.records
    }

    /// The next receipt id, `SIM-` + 12 digits.
    pub fn next_receipt(&mut self) -> String {
        self.receipt_seq += 1;
        format!("SIM-{:012}", self.receipt_seq)
    }

    /// Stores an accepted record and appends it to the file, if any. A failing file write is
    /// reported to stderr and otherwise ignored: the in-memory store stays the answer.
    pub fn insert(&mut self, stored: Stored) {
        if let Some((path, file)) = &mut self.file {
            let line = Line {
                receipt_id: stored.receipt_id.clone(),
                accepted_at: stored.accepted_at.clone(),
                record: serde_json::from_str(&stored.record).unwrap_or(Value::Null),
            };
            let written = serde_json::to_string(&line)
                .map_err(std::io::Error::other)
                .and_then(|text| writeln!(file, "{text}"));
            if let Err(e) = written {
                eprintln!("simulator: cannot append to {}: {e}", path.display());
            }
        }
        self.link_declaration(&stored);
        self.index.insert(stored.key.clone(), self.records.len());
        self.records.push(stored);
    }

    /// Empties the store. The file, if any, is truncated too, so a reset is a reset.
    pub fn clear(&mut self) {
        self.records.clear();
        self.index.clear();
        self.receipt_seq = 0;
        if let Some((path, file)) = &mut self.file
            && let Err(e) = file.set_len(0)
        {
            eprintln!("simulator: cannot truncate {}: {e}", path.display());
        }
    }
}
