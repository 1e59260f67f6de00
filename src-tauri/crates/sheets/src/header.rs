//! Finding the header row and mapping its columns to fields.
//!
//! Rows within the first [`crate::Limits::header_search_rows`] are scored by how many of their
//! cells name a field of the record kind (exactly, after normalisation, or fuzzily); the best row
//! wins, so merged title rows and notes above the table are passed over. Each field is mapped at
//! most once; row counters (序号, No., #) are never mapped.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::cell::{Cell, fold_width, is_blank};
use crate::columns::{FieldKey, FieldSpec, RecordKind};
use crate::place::column_letter;
use crate::stream::RawRow;

/// How a column was matched to its field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Confidence {
    /// The header is the field's name or one of its synonyms, character for character.
    Exact,
    /// Equal after folding width and case and dropping blanks, punctuation and bracketed units.
    Normalised,
    /// Close enough by edit distance (see [`FUZZY_THRESHOLD`]); the UI should ask to confirm.
    Fuzzy,
    /// Chosen by the clerk.
    Manual,
    /// Not imported.
    Unmapped,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ColumnMapping {
    /// Excel column letter: `A`, `B`, …, `AA`.
    pub column_letter: String,
    /// The header cell's text as the file has it (empty for a column without a header).
    pub header_text: String,
    pub field: Option<FieldKey>,
    pub confidence: Confidence,
}

/// Which column holds which field, and where the header row is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mapping {
    pub kind: RecordKind,
    /// Excel row number of the header (1-based). Data starts on the next row.
    pub header_row: u32,
    /// Stable hash of the normalised header texts: the key for remembering a mapping.
    pub signature: String,
    pub columns: Vec<ColumnMapping>,
}

/// Normalised-Levenshtein similarity at or above which a header fuzzily names a field.
pub const FUZZY_THRESHOLD: f64 = 0.8;

/// Headers that number rows. They are never mapped, in particular never to 序列号 (serial).
const ROW_COUNTERS: &[&str] = &[
    "序号",
    "行号",
    "序",
    "no",
    "no.",
    "#",
    "编号序号",
    "seq",
    "index",
    "idx",
    "行次",
    "顺序号",
];

/// Folds a header for matching: full-width to half-width, bracketed notes and units such as
/// `(kg)` or `（年/月/日）` removed, blanks and punctuation dropped, lower case.
pub fn normalise_header(text: &str) -> String {
    let folded = fold_width(text);
    let mut out = String::with_capacity(folded.len());
    let mut depth = 0usize;
    for c in folded.chars() {
        match c {
            '(' | '[' | '{' | '【' | '〔' | '<' | '《' | '「' => depth += 1,
            ')' | ']' | '}' | '】' | '〕' | '>' | '》' | '」' => {
                depth = depth.saturating_sub(1)
            }
            _ if depth > 0 => {}
            _ if is_blank(c) => {}
            _ if c.is_ascii_punctuation() => {}
            '、' | '，' | '。' | '：' | '；' | '“' | '”' | '‘' | '’' | '·' | '…' | '—' | '～'
            | '※' | '★' | '☆' => {}
            _ => out.extend(c.to_lowercase()),
        }
    }
    if out.is_empty() && depth == 0 {
        // A header that is only a bracketed word, e.g. "(备注)": keep its inside.
        return folded
            .chars()
            .filter(|c| !is_blank(*c) && !c.is_ascii_punctuation())
            .flat_map(char::to_lowercase)
            .collect();
    }
    out
}

/// Whether a header only numbers the rows (序号, No., #), as the reader decides it: such a column is
/// never mapped.
pub fn is_row_counter(text: &str) -> bool {
    let raw = fold_width(text).trim().to_lowercase();
    let norm = normalise_header(text);
    ROW_COUNTERS.iter().any(|c| *c == raw || *c == norm)
}

/// Precomputed synonyms of one kind.
pub(crate) struct Matcher {
    kind: RecordKind,
    /// (normalised synonym, field index), for fuzzy matching.
    entries: Vec<(String, usize)>,
    /// Exact spellings → (field index, is the field's own header rather than a synonym).
    exact: HashMap<String, (usize, bool)>,
    normalised: HashMap<String, usize>,
}

impl Matcher {
    pub fn new(kind: RecordKind) -> Matcher {
        let mut exact = HashMap::new();
        let mut normalised = HashMap::new();
        let mut entries = Vec::new();
        for (i, f) in kind.fields().iter().enumerate() {
            for (n, s) in crate::columns::spellings_of(kind, f).enumerate() {
                let own = n < 2 || s == f.zh || s == f.en;
                exact.entry(s.trim().to_string()).or_insert((i, own));
                let n = normalise_header(s);
                if !n.is_empty() {
                    normalised.entry(n.clone()).or_insert(i);
                    entries.push((n, i));
                }
            }
        }
        Matcher {
            kind,
            entries,
            exact,
            normalised,
        }
    }

    pub fn fields(&self) -> &'static [FieldSpec] {
        self.kind.fields()
    }

    /// The field a header names, and how surely.
    pub fn classify(&self, header: &str) -> Option<(usize, Confidence, f64)> {
        let trimmed = header.trim_matches(is_blank);
        if trimmed.is_empty() || is_row_counter(trimmed) {
            return None;
        }
        if let Some(&(i, own)) = self.exact.get(trimmed) {
            // The field's own header outranks a synonym that another column also uses.
            return Some((i, Confidence::Exact, if own { 1.0 } else { 0.98 }));
        }
        let norm = normalise_header(trimmed);
        if norm.is_empty() {
            return None;
        }
        if let Some(&i) = self.normalised.get(&norm) {
            return Some((i, Confidence::Normalised, 0.95));
        }
        let len = norm.chars().count();
        if !(3..=40).contains(&len) {
            return None;
        }
        let mut best: Option<(usize, f64)> = None;
        for (syn, i) in &self.entries {
            let syn_len = syn.chars().count();
            if syn_len < 3 || syn_len.abs_diff(len) > len.max(syn_len) / 4 + 1 {
                continue;
            }
            let score = strsim::normalized_levenshtein(&norm, syn);
            if score >= FUZZY_THRESHOLD && best.is_none_or(|(_, b)| score > b) {
                best = Some((*i, score));
            }
        }
        best.map(|(i, s)| (i, Confidence::Fuzzy, s * 0.8))
    }
}

/// How alike two normalised headers are, 0 to 1: the best of edit distance (typos), shared
/// character pairs (a word in common, as 来料IQC and IQC判定), and one containing the other
/// (检验结果说明 holds 检验结果). For suggestions, not for mapping: the reader maps a header only
/// on an exact, normalised or [`FUZZY_THRESHOLD`] edit-distance match.
pub fn similarity(a: &str, b: &str) -> f64 {
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    let (la, lb) = (a.chars().count(), b.chars().count());
    let (short, long, ls, ll) = if la <= lb {
        (a, b, la, lb)
    } else {
        (b, a, lb, la)
    };
    let contained = if ls >= 2 && long.contains(short) {
        0.5 + 0.5 * ls as f64 / ll as f64
    } else {
        0.0
    };
    strsim::normalized_levenshtein(a, b)
        .max(pair_overlap(a, b))
        .max(contained)
}

/// Sørensen–Dice over character pairs. Written here because `strsim::sorensen_dice` divides by
/// the strings' byte lengths, which makes every Chinese pair count a third of a Latin one.
fn pair_overlap(a: &str, b: &str) -> f64 {
    let pairs = |s: &str| -> Vec<(char, char)> {
        let chars: Vec<char> = s.chars().collect();
        chars.windows(2).map(|w| (w[0], w[1])).collect()
    };
    let (pa, mut pb) = (pairs(a), pairs(b));
    if pa.is_empty() || pb.is_empty() {
        return 0.0;
    }
    let total = pa.len() + pb.len();
    let mut shared = 0;
    for p in &pa {
        if let Some(i) = pb.iter().position(|q| q == p) {
            pb.swap_remove(i);
            shared += 1;
        }
    }
    2.0 * shared as f64 / total as f64
}

/// Least [`similarity`] for a header to be named as a candidate for a missing column.
pub const SUGGEST_THRESHOLD: f64 = 0.3;

/// The headers of `columns` that are not imported and come closest to some spelling of `field`
/// (of `kind`), best first, at most three, with their similarity.
pub fn closest_headers(
    kind: RecordKind,
    field: FieldKey,
    columns: &[ColumnMapping],
) -> Vec<(&ColumnMapping, f64)> {
    let Some(spec) = kind.fields().iter().find(|f| f.key == field) else {
        return Vec::new();
    };
    let spellings: Vec<String> = crate::columns::spellings_of(kind, spec)
        .map(normalise_header)
        .filter(|s| !s.is_empty())
        .collect();
    let mut scored: Vec<(&ColumnMapping, f64)> = columns
        .iter()
        .filter(|c| c.field.is_none() && !c.header_text.trim().is_empty())
        .filter(|c| !is_row_counter(&c.header_text))
        .filter_map(|c| {
            let norm = normalise_header(&c.header_text);
            let best = spellings
                .iter()
                .map(|s| similarity(&norm, s))
                .fold(0.0, f64::max);
            (best >= SUGGEST_THRESHOLD).then_some((c, best))
        })
        .collect();
    scored.sort_by(|a, b| b.1.total_cmp(&a.1));
    scored.truncate(3);
    scored
}

/// The text a header cell shows.
pub(crate) fn header_text(cell: &Cell) -> String {
    match cell {
        Cell::Text(t) => crate::cell::clean_text(t),
        Cell::Empty => String::new(),
        other => other.raw_text(),
    }
}

/// Scores one row as a header: the sum over distinct fields of the best match weight.
fn score_row(matcher: &Matcher, row: &RawRow) -> (f64, usize) {
    let mut best: HashMap<usize, f64> = HashMap::new();
    for (_, cell) in &row.cells {
        if let Cell::Text(t) = cell
            && let Some((i, _, w)) = matcher.classify(t)
        {
            let e = best.entry(i).or_insert(0.0);
            *e = e.max(w);
        }
    }
    (best.values().sum(), best.len())
}

/// Finds the header among `rows` (the first rows of a sheet, blank rows absent). `None` when no
/// row names at least two fields (one for a kind with a single required column).
pub(crate) fn find_header_row(
    matcher: &Matcher,
    rows: &[RawRow],
    search_rows: u32,
) -> Option<usize> {
    let mut best: Option<(usize, f64)> = None;
    for (i, row) in rows
        .iter()
        .enumerate()
        .take_while(|(_, r)| r.row <= search_rows)
    {
        let (score, distinct) = score_row(matcher, row);
        if distinct >= 2 && best.is_none_or(|(_, b)| score > b + 1e-9) {
            best = Some((i, score));
        }
    }
    best.map(|(i, _)| i)
}

/// Maps the cells of a header row, each field at most once (best match wins, then leftmost).
pub(crate) fn map_header(matcher: &Matcher, header: &RawRow) -> Mapping {
    let mut columns: Vec<ColumnMapping> = Vec::new();
    let mut candidates: Vec<(usize, usize, Confidence, f64)> = Vec::new(); // (column slot, field, conf, weight)
    let last_col = header.cells.iter().map(|(c, _)| *c).max();
    if let Some(last_col) = last_col {
        let mut cells = header.cells.iter().peekable();
        for col in 0..=last_col {
            let text = match cells.peek() {
                Some((c, cell)) if *c == col => {
                    let t = header_text(cell);
                    cells.next();
                    t
                }
                _ => String::new(),
            };
            if let Some((field, conf, w)) = matcher.classify(&text) {
                candidates.push((columns.len(), field, conf, w));
            }
            columns.push(ColumnMapping {
                column_letter: column_letter(col),
                header_text: text,
                field: None,
                confidence: Confidence::Unmapped,
            });
        }
    }
    candidates.sort_by(|a, b| b.3.total_cmp(&a.3).then(a.0.cmp(&b.0)));
    let fields = matcher.fields();
    let mut taken = vec![false; fields.len()];
    for (slot, field, conf, _) in candidates {
        if taken[field] || columns[slot].field.is_some() {
            continue;
        }
        taken[field] = true;
        columns[slot].field = Some(fields[field].key);
        columns[slot].confidence = conf;
    }
    let signature = signature(columns.iter().map(|c| c.header_text.as_str()));
    Mapping {
        kind: matcher.kind,
        header_row: header.row,
        signature,
        columns,
    }
}

/// FNV-1a (64-bit) over the normalised header texts, trailing empty headers dropped. Written out
/// here so the value never changes with a dependency's version.
pub fn signature<'a>(headers: impl Iterator<Item = &'a str>) -> String {
    let normalised: Vec<String> = headers.map(normalise_header).collect();
    let used = normalised
        .iter()
        .rposition(|h| !h.is_empty())
        .map_or(0, |i| i + 1);
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for (i, h) in normalised[..used].iter().enumerate() {
        if i > 0 {
            hash ^= 0x1F; // unit separator between headers
            hash = hash.wrapping_mul(0x0000_0100_0000_01B3);
        }
        for b in h.as_bytes() {
            hash ^= u64::from(*b);
            hash = hash.wrapping_mul(0x0000_0100_0000_01B3);
        }
    }
    format!("{hash:016x}")
}

/// Errors from editing a mapping by hand.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MappingError {
    #[error("{column:?} is not a column letter")]
    BadColumn { column: String },
    #[error("field {field:?} does not belong to record kind {kind:?}")]
    WrongKind { field: FieldKey, kind: RecordKind },
}

impl Mapping {
    /// Assigns `field` to the column (or unmaps it with `None`), as the clerk chose. A field
    /// already on another column is taken off it, so each field stays mapped at most once.
    pub fn assign(&mut self, letter: &str, field: Option<FieldKey>) -> Result<(), MappingError> {
        let col = crate::place::column_index(letter).ok_or_else(|| MappingError::BadColumn {
            column: letter.to_string(),
        })?;
        if let Some(f) = field
            && self.kind.field(f).is_none()
        {
            return Err(MappingError::WrongKind {
                field: f,
                kind: self.kind,
            });
        }
        if let Some(f) = field {
            for c in &mut self.columns {
                if c.field == Some(f) {
                    c.field = None;
                    c.confidence = Confidence::Unmapped;
                }
            }
        }
        while self.columns.len() <= col as usize {
            let letter = column_letter(self.columns.len() as u16);
            self.columns.push(ColumnMapping {
                column_letter: letter,
                header_text: String::new(),
                field: None,
                confidence: Confidence::Unmapped,
            });
        }
        let slot = &mut self.columns[col as usize];
        slot.field = field;
        slot.confidence = if field.is_some() {
            Confidence::Manual
        } else {
            Confidence::Unmapped
        };
        Ok(())
    }

    /// Applies a mapping remembered for the same headers (same [`Mapping::signature`]): its
    /// column assignments replace the detected ones. Returns false, changing nothing, when the
    /// signatures or kinds differ.
    pub fn apply_remembered(&mut self, remembered: &Mapping) -> bool {
        if remembered.signature != self.signature || remembered.kind != self.kind {
            return false;
        }
        for c in &mut self.columns {
            if let Some(r) = remembered
                .columns
                .iter()
                .find(|r| r.column_letter == c.column_letter)
            {
                c.field = r.field;
                c.confidence = if r.field.is_none() {
                    Confidence::Unmapped
                } else if r.confidence == Confidence::Manual {
                    Confidence::Manual
                } else {
                    c.confidence.min(r.confidence)
                };
            }
        }
        true
    }

    /// The column letter a field is read from.
    pub fn column_of(&self, field: FieldKey) -> Option<&ColumnMapping> {
        self.columns.iter().find(|c| c.field == Some(field))
    }

    /// Column index (0-based) → field, for the row reader.
    pub(crate) fn by_index(&self) -> Vec<(u16, FieldKey, String)> {
        self.columns
            .iter()
            .filter_map(|c| {
                let f = c.field?;
                let idx = crate::place::column_index(&c.column_letter)?;
                Some((idx, f, c.header_text.clone()))
            })
            .collect()
    }
}

/// The mapping for an explicitly chosen header row (the clerk corrected the detected one).
pub fn map_row(kind: RecordKind, header: &crate::stream::GridRow) -> Mapping {
    let raw = RawRow {
        row: header.row,
        cells: header
            .cells
            .iter()
            .map(|c| (c.column, c.value.clone()))
            .collect(),
    };
    map_header(&Matcher::new(kind), &raw)
}

/// Detects the header row in a preview grid and maps it; `None` when no row of the first
/// `search_rows` names at least two fields.
pub fn detect(kind: RecordKind, grid: &crate::stream::Grid, search_rows: u32) -> Option<Mapping> {
    let rows: Vec<RawRow> = grid
        .rows
        .iter()
        .map(|r| RawRow {
            row: r.row,
            cells: r
                .cells
                .iter()
                .map(|c| (c.column, c.value.clone()))
                .collect(),
        })
        .collect();
    let matcher = Matcher::new(kind);
    let i = find_header_row(&matcher, &rows, search_rows)?;
    Some(map_header(&matcher, &rows[i]))
}
