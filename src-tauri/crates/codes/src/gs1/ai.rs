//! The GS1 Application Identifier table: one row per AI with its format, linters, pairings and
//! Digital Link roles.
//!
//! The facts come from the GS1 Barcode Syntax Dictionary (domain.md §A.4; its header defines the
//! notation). `data/gen_ai_table.py` turns the dictionary into `data/gs1_ai.tsv`, which is
//! committed and embedded here; the table is parsed once, on first use.

use std::collections::HashMap;
use std::sync::LazyLock;

/// The character set of a format component (dictionary header: "N", "X", "Y", "Z").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cset {
    /// `N`: digits.
    Numeric,
    /// `X`: GS1 AI encodable character set 82 (domain.md §A.6).
    Cset82,
    /// `Y`: GS1 AI encodable character set 39.
    Cset39,
    /// `Z`: base64url (with optional `=` padding).
    Cset64,
}

/// A content check named in the dictionary, reimplemented from the GS1 Syntax Engine's reference
/// linters (`src/c-lib/syntax/lint_*.c`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Linter {
    Csum,
    CsumAlpha,
    GcpPos1,
    GcpPos2,
    Yymmd0,
    Yymmdd,
    Yyyymmd0,
    Yyyymmdd,
    Hhmi,
    Hh,
    Mi,
    Ss,
    Iso3166,
    Iso3166With999,
    Iso3166Alpha2,
    Iso4217,
    Iso5218,
    PieceOfTotal,
    Zero,
    NonZero,
    NoZeroPrefix,
    HasNonDigit,
    Winding,
    YesNo,
    Hyphen,
    ImporterIdx,
    PosInSeqSlash,
    PercentEncoded,
    Latitude,
    Longitude,
    Iban,
    MediaType,
    /// A linter tracedesk does not implement (coupon codes and freight package types: North
    /// American coupon and UN/ECE Rec. 21 tables that our users never print). The component is
    /// still checked for its character set and length.
    NotChecked(&'static str),
}

/// Linters the table may name that tracedesk deliberately does not implement.
pub const NOT_CHECKED_LINTERS: [&str; 3] = ["couponcode", "couponposoffer", "packagetype"];

impl Linter {
    fn from_name(name: &'static str) -> Option<Linter> {
        use Linter::*;
        Some(match name {
            "csum" => Csum,
            "csumalpha" => CsumAlpha,
            "gcppos1" => GcpPos1,
            "gcppos2" => GcpPos2,
            "yymmd0" => Yymmd0,
            "yymmdd" => Yymmdd,
            "yyyymmd0" => Yyyymmd0,
            "yyyymmdd" => Yyyymmdd,
            "hhmi" => Hhmi,
            "hh" => Hh,
            "mi" => Mi,
            "ss" => Ss,
            "iso3166" => Iso3166,
            "iso3166999" => Iso3166With999,
            "iso3166alpha2" => Iso3166Alpha2,
            "iso4217" => Iso4217,
            "iso5218" => Iso5218,
            "pieceoftotal" => PieceOfTotal,
            "zero" => Zero,
            "nonzero" => NonZero,
            "nozeroprefix" => NoZeroPrefix,
            "hasnondigit" => HasNonDigit,
            "winding" => Winding,
            "yesno" => YesNo,
            "hyphen" => Hyphen,
            "importeridx" => ImporterIdx,
            "posinseqslash" => PosInSeqSlash,
            "pcenc" => PercentEncoded,
            "latitude" => Latitude,
            "longitude" => Longitude,
            "iban" => Iban,
            "mediatype" => MediaType,
            other if NOT_CHECKED_LINTERS.contains(&other) => NotChecked(other),
            _ => return None,
        })
    }
}

/// One component of an AI's format, e.g. `N13,csum,gcppos1` or `[X..17]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Component {
    pub cset: Cset,
    pub min: usize,
    pub max: usize,
    /// `[…]` in the dictionary: may be left out once the data is exhausted.
    pub optional: bool,
    pub linters: Vec<Linter>,
}

/// One Application Identifier.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AiEntry {
    pub ai: &'static str,
    /// False for the AIs with a predefined length (`*` in the dictionary): no FNC1/GS separator
    /// is needed after them (domain.md §A.7).
    pub needs_separator: bool,
    /// May be a GS1 Digital Link data attribute, i.e. a query parameter (`?` in the dictionary).
    pub dl_attribute: bool,
    /// Total value length bounds.
    pub min_len: usize,
    pub max_len: usize,
    /// The format as the dictionary writes it, e.g. `N13,csum,gcppos1 [X..17]`.
    pub spec: &'static str,
    pub components: Vec<Component>,
    /// `req=` rules; all must hold. Each rule is a list of alternatives separated by `,`, and an
    /// alternative may need several AIs joined by `+` (`01,8006+21`). Patterns use `n` for any
    /// digit (`31nn`).
    pub requires: Vec<&'static str>,
    /// `ex=` patterns: AIs that must not appear together with this one. An AI is never exclusive
    /// of itself, even when it matches a pattern.
    pub excludes: Vec<&'static str>,
    /// `None` if not a Digital Link primary key; otherwise the alternative qualifier sequences
    /// (`dlpkey=22,10,21|235` → `[["22","10","21"],["235"]]`; bare `dlpkey` → `[[]]`).
    pub dl_key: Option<Vec<Vec<&'static str>>>,
    pub title: &'static str,
}

impl AiEntry {
    /// The value length the raw-data parser takes for a predefined-length AI.
    pub fn predefined_len(&self) -> usize {
        self.max_len
    }

    pub fn is_dl_primary_key(&self) -> bool {
        self.dl_key.is_some()
    }
}

/// The parsed table.
#[derive(Debug)]
pub struct AiTable {
    entries: Vec<AiEntry>,
    index: HashMap<&'static str, usize>,
    /// AI length by two-digit prefix; 0 when no AI starts with those digits.
    len_by_prefix: [u8; 100],
    /// Every valid Digital Link path AI sequence, sorted the way the Syntax Engine sorts its
    /// key-qualifier list (space-joined, byte order), so that ties are broken the same way.
    dl_sequences: Vec<Vec<&'static str>>,
    /// Rows that could not be read. Always empty for the shipped file; a test checks it.
    pub(crate) load_errors: Vec<String>,
}

static TABLE: LazyLock<AiTable> =
    LazyLock::new(|| AiTable::parse(include_str!("../../data/gs1_ai.tsv")));

/// The shipped AI table.
pub fn table() -> &'static AiTable {
    &TABLE
}

/// The entry for exactly this AI.
pub fn lookup(ai: &str) -> Option<&'static AiEntry> {
    table().get(ai)
}

/// Does `ai` match the pattern `pattern` (same length; `n` matches any digit)?
pub fn matches_pattern(pattern: &str, ai: &str) -> bool {
    pattern.len() == ai.len()
        && pattern
            .bytes()
            .zip(ai.bytes())
            .all(|(p, a)| p == a || (p == b'n' && a.is_ascii_digit()))
}

impl AiTable {
    pub fn entries(&self) -> &[AiEntry] {
        &self.entries
    }

    pub fn get(&self, ai: &str) -> Option<&AiEntry> {
        self.index.get(ai).map(|&i| &self.entries[i])
    }

    /// The length of the AIs that start with these two digits (GS1 allocates AIs so that the
    /// first two digits fix the AI length).
    pub fn ai_len_for_prefix(&self, first: char, second: char) -> Option<usize> {
        let (a, b) = (first.to_digit(10)?, second.to_digit(10)?);
        match self.len_by_prefix[(a * 10 + b) as usize] {
            0 => None,
            n => Some(usize::from(n)),
        }
    }

    /// Is this sequence of path AIs a primary key followed by an allowed choice of its
    /// qualifiers, in order (dl.c `isValidDLpathAIseq`)?
    pub fn is_dl_sequence(&self, ais: &[&str]) -> bool {
        self.dl_sequences
            .iter()
            .any(|s| s.iter().copied().eq(ais.iter().copied()))
    }

    /// The valid path sequences that start with `key`, in the engine's order.
    pub fn dl_sequences_for(&self, key: &str) -> impl Iterator<Item = &[&'static str]> {
        self.dl_sequences
            .iter()
            .filter(move |s| s.first() == Some(&key))
            .map(Vec::as_slice)
    }

    fn parse(text: &'static str) -> AiTable {
        let mut table = AiTable {
            entries: Vec::new(),
            index: HashMap::new(),
            len_by_prefix: [0; 100],
            dl_sequences: Vec::new(),
            load_errors: Vec::new(),
        };
        let mut header_seen = false;
        for (n, line) in text.lines().enumerate() {
            if line.starts_with('#') || line.trim().is_empty() {
                continue;
            }
            if !header_seen {
                header_seen = true;
                continue;
            }
            match parse_row(line) {
                Ok(entry) => {
                    table.index.insert(entry.ai, table.entries.len());
                    table.entries.push(entry);
                }
                Err(e) => table.load_errors.push(format!("line {}: {e}", n + 1)),
            }
        }
        for entry in &table.entries {
            let b = entry.ai.as_bytes();
            let prefix = usize::from(b[0] - b'0') * 10 + usize::from(b[1] - b'0');
            let len = entry.ai.len() as u8;
            if table.len_by_prefix[prefix] != 0 && table.len_by_prefix[prefix] != len {
                table
                    .load_errors
                    .push(format!("AIs with prefix {prefix:02} differ in length"));
            }
            table.len_by_prefix[prefix] = len;
        }
        let mut sequences: Vec<Vec<&'static str>> = Vec::new();
        for entry in &table.entries {
            for alternative in entry.dl_key.iter().flatten() {
                // Every order-preserving choice of the qualifiers (dl.c addDLkeyQualifiers).
                for mask in 0u32..(1 << alternative.len()) {
                    let mut seq = vec![entry.ai];
                    seq.extend(
                        alternative
                            .iter()
                            .enumerate()
                            .filter(|(i, _)| mask & (1 << i) != 0)
                            .map(|(_, q)| *q),
                    );
                    if !sequences.contains(&seq) {
                        sequences.push(seq);
                    }
                }
            }
        }
        sequences.sort_by_key(|s| s.join(" "));
        table.dl_sequences = sequences;
        table
    }
}

fn parse_row(line: &'static str) -> Result<AiEntry, String> {
    let cols: Vec<&'static str> = line.split('\t').collect();
    let [ai, gs, dl_attr, min, max, spec, req, ex, dl_key, title] = cols[..] else {
        return Err(format!("expected 10 columns, got {}", cols.len()));
    };
    if !(2..=4).contains(&ai.len()) || !ai.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!("bad AI {ai:?}"));
    }
    let yes_no = |v: &str| match v {
        "yes" => Ok(true),
        "no" => Ok(false),
        other => Err(format!("expected yes or no, got {other:?}")),
    };
    let components = spec
        .split_whitespace()
        .map(parse_component)
        .collect::<Result<Vec<_>, _>>()?;
    let min_len: usize = min.parse().map_err(|_| format!("bad min {min:?}"))?;
    let max_len: usize = max.parse().map_err(|_| format!("bad max {max:?}"))?;
    let sum_min: usize = components
        .iter()
        .filter(|c| !c.optional)
        .map(|c| c.min)
        .sum();
    let sum_max: usize = components.iter().map(|c| c.max).sum();
    if (sum_min, sum_max) != (min_len, max_len) {
        return Err(format!(
            "({ai}) min/max {min_len}/{max_len} disagree with the spec {spec}"
        ));
    }
    let list = |v: &'static str| -> Vec<&'static str> {
        if v == "-" {
            Vec::new()
        } else {
            v.split(';').collect()
        }
    };
    let excludes = list(ex)
        .into_iter()
        .flat_map(|rule| rule.split(','))
        .collect();
    let dl_key = match dl_key {
        "-" => None,
        "key" => Some(vec![Vec::new()]),
        alts => Some(
            alts.split('|')
                .map(|alt| alt.split(',').collect())
                .collect(),
        ),
    };
    Ok(AiEntry {
        ai,
        needs_separator: yes_no(gs)?,
        dl_attribute: yes_no(dl_attr)?,
        min_len,
        max_len,
        spec,
        components,
        requires: list(req),
        excludes,
        dl_key,
        title,
    })
}

/// `N13,csum,gcppos1`, `X..20`, `[N6],yymmdd`.
fn parse_component(text: &'static str) -> Result<Component, String> {
    let mut parts = text.split(',');
    let head = parts.next().unwrap_or_default();
    let (optional, head) = match head.strip_prefix('[').and_then(|h| h.strip_suffix(']')) {
        Some(inner) => (true, inner),
        None => (false, head),
    };
    let mut chars = head.chars();
    let cset = match chars.next() {
        Some('N') => Cset::Numeric,
        Some('X') => Cset::Cset82,
        Some('Y') => Cset::Cset39,
        Some('Z') => Cset::Cset64,
        _ => return Err(format!("bad component {text:?}")),
    };
    let rest = chars.as_str();
    let (variable, digits) = match rest.strip_prefix("..") {
        Some(d) => (true, d),
        None => (false, rest),
    };
    let n: usize = digits
        .parse()
        .map_err(|_| format!("bad length in {text:?}"))?;
    let linters = parts
        .map(|name| Linter::from_name(name).ok_or_else(|| format!("unknown linter {name:?}")))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Component {
        cset,
        min: if variable { 1 } else { n },
        max: n,
        optional,
        linters,
    })
}
