//! What the simulator has accepted: records by idempotency key, in acceptance order, and the
//! latest archive anchor per App Key (contract §6.4), optionally mirrored to a JSON-lines file
//! (contract §10).

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

/// The latest archive anchor received from one App Key (contract §6.4).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StoredAnchor {
    pub entries: u64,
    pub hash: String,
    /// RFC 3339, UTC.
    pub received_at: String,
}

/// An anchor line of the store file: `{"archiveAnchor": {"appKey", "entries", "hash",
/// "receivedAt"}}`. A simulator that predates anchors skips these lines.
#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct AnchorLine {
    archive_anchor: AnchorEntry,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct AnchorEntry {
    app_key: String,
    #[serde(flatten)]
    anchor: StoredAnchor,
}

/// Accepted records and anchors. Memory is bounded by the caller's quota check (`len` against
/// `max_stored_records`); anchors by the number of App Keys, one each.
#[derive(Debug, Default)]
pub struct Store {
    records: Vec<Stored>,
    index: HashMap<String, usize>,
    anchors: HashMap<String, StoredAnchor>,
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
                if let Ok(parsed) = serde_json::from_str::<Line>(&line) {
                    store.insert_loaded(parsed);
                } else if let Ok(AnchorLine { archive_anchor }) =
                    serde_json::from_str::<AnchorLine>(&line)
                {
                    // Lines are in arrival order: the last one of a key is its latest anchor.
                    store
                        .anchors
                        .insert(archive_anchor.app_key, archive_anchor.anchor);
                }
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

    /// Appends one line to the file, if any. A failing write is reported to stderr and otherwise
    /// ignored: the in-memory store stays the answer.
    fn append_line(&mut self, line: &impl Serialize) {
        if let Some((path, file)) = &mut self.file {
            let written = serde_json::to_string(line)
                .map_err(std::io::Error::other)
                .and_then(|text| writeln!(file, "{text}"));
            if let Err(e) = written {
                eprintln!("simulator: cannot append to {}: {e}", path.display());
            }
        }
    }

    /// Stores an accepted record and appends it to the file, if any.
    pub fn insert(&mut self, stored: Stored) {
        if self.file.is_some() {
            let line = Line {
                receipt_id: stored.receipt_id.clone(),
                accepted_at: stored.accepted_at.clone(),
                record: serde_json::from_str(&stored.record).unwrap_or(Value::Null),
            };
            self.append_line(&line);
        }
        self.link_declaration(&stored);
        self.index.insert(stored.key.clone(), self.records.len());
        self.records.push(stored);
    }

    /// Keeps `anchor` as the latest of `app_key` and appends it to the file, if any.
    pub fn set_anchor(&mut self, app_key: &str, anchor: StoredAnchor) {
        self.append_line(&AnchorLine {
            archive_anchor: AnchorEntry {
                app_key: app_key.to_owned(),
                anchor: anchor.clone(),
            },
        });
        self.anchors.insert(app_key.to_owned(), anchor);
    }

    /// The latest anchor received from `app_key`.
    pub fn anchor(&self, app_key: &str) -> Option<&StoredAnchor> {
        self.anchors.get(app_key)
    }

    /// Empties the store. The file, if any, is truncated too, so a reset is a reset.
    pub fn clear(&mut self) {
        self.records.clear();
        self.index.clear();
        self.anchors.clear();
        self.receipt_seq = 0;
        if let Some((path, file)) = &mut self.file
            && let Err(e) = file.set_len(0)
        {
            eprintln!("simulator: cannot truncate {}: {e}", path.display());
        }
    }
}
