//! Units of measure (计量单位): the Chinese unit words clerks write and the UN/ECE Rec 20 codes
//! the platform receives, as data (`data/rec20_units.tsv`), parsed here and used by `sheets`
//! (folding a ledger's spelling into the unit word) and `platform` (the code of a unit word).
//!
//! The shipped table is [`shipped`]; the app may load a newer file with [`Units::parse`].

use std::collections::HashMap;
use std::sync::LazyLock;

use serde::Serialize;

use crate::datafile::{self, FileErrors, FileHeader, RowCheck};

/// What a unit measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum UnitKind {
    Count,
    Length,
    Mass,
    Volume,
    Area,
    Package,
}

impl UnitKind {
    const ALL: [(UnitKind, &'static str); 6] = [
        (UnitKind::Count, "count"),
        (UnitKind::Length, "length"),
        (UnitKind::Mass, "mass"),
        (UnitKind::Volume, "volume"),
        (UnitKind::Area, "area"),
        (UnitKind::Package, "package"),
    ];

    pub fn as_str(self) -> &'static str {
        Self::ALL
            .iter()
            .find(|(k, _)| *k == self)
            .map_or("count", |(_, s)| s)
    }
}

/// One unit word.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Unit {
    /// The Rec 20 code sent to the platform (`PCE`, `KGM`, `XBX`).
    pub code: String,
    /// The Chinese unit word (`个`, `千克`, `箱`).
    pub zh: String,
    pub en: String,
    /// Other spellings folded into `zh` (`kg`, `公斤`).
    pub aliases: Vec<String>,
    pub kind: UnitKind,
}

/// A unit table: the shipped one or a newer file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Units {
    pub header: FileHeader,
    pub units: Vec<Unit>,
}

/// The file name and `# name:` of the unit table.
pub const TABLE_NAME: &str = "rec20_units";

pub const COLUMNS: [&str; 6] = ["code", "zh", "en", "aliases", "kind", "note"];

impl Units {
    /// Reads a unit table; every problem is returned with its line and column.
    pub fn parse(text: &str) -> Result<Units, FileErrors> {
        let file = datafile::read(text, TABLE_NAME, &COLUMNS)?;
        let mut check = RowCheck::default();
        let mut units = Vec::new();
        // Every spelling (unit word or alias), folded, and the line that has it.
        let mut spellings: HashMap<String, usize> = HashMap::new();
        for row in &file.rows {
            let c = &row.cells;
            let code_ok = (1..=3).contains(&c[0].len())
                && c[0]
                    .bytes()
                    .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit());
            if !code_ok {
                check.bad(
                    row,
                    0,
                    ("单位代码", "unit code"),
                    (
                        "应为 1–3 位大写字母或数字，如 PCE、KGM",
                        "1-3 capital letters or digits such as PCE, KGM",
                    ),
                );
            }
            let kind = UnitKind::ALL
                .iter()
                .find(|(_, s)| *s == c[4])
                .map(|(k, _)| *k);
            if kind.is_none() {
                check.bad(
                    row,
                    4,
                    ("单位类别", "unit kind"),
                    (
                        "应为 count、length、mass、volume、area 或 package",
                        "count, length, mass, volume, area or package",
                    ),
                );
            }
            let aliases: Vec<String> = match datafile::optional(&c[3]) {
                None => Vec::new(),
                Some(list) => list.split(',').map(|a| a.trim().to_owned()).collect(),
            };
            if aliases.iter().any(String::is_empty) {
                check.bad(
                    row,
                    3,
                    ("别名列表", "alias list"),
                    (
                        "别名之间用一个英文逗号分隔，不能有空项",
                        "aliases separated by single commas, none empty",
                    ),
                );
            }
            for (col, spelling) in std::iter::once((1, &c[1])).chain(aliases.iter().map(|a| (3, a)))
            {
                if let Some(first) = spellings.insert(fold(spelling), row.line) {
                    check.duplicate(row, col, first);
                }
            }
            units.push(Unit {
                code: c[0].clone(),
                zh: c[1].clone(),
                en: c[2].clone(),
                aliases,
                kind: kind.unwrap_or(UnitKind::Count),
            });
        }
        check.finish(Units {
            header: file.header,
            units,
        })
    }

    /// The code of a unit as clerks write it: a code itself (`kg` is not a code, `KGM` is), a
    /// unit word, or one of its aliases; case and surrounding blanks are ignored. A code wins over
    /// an alias with the same letters (`SET` is the set, while `set` as an English word is 台 on
    /// import).
    pub fn code_of(&self, word: &str) -> Option<&str> {
        let word = word.trim();
        let by_code = self
            .units
            .iter()
            .find(|u| u.code.eq_ignore_ascii_case(word));
        let by_word = || {
            self.units
                .iter()
                .find(|u| u.zh == word || u.aliases.iter().any(|a| a.eq_ignore_ascii_case(word)))
        };
        by_code.or_else(by_word).map(|u| u.code.as_str())
    }

    /// The Chinese name of a code: the unit word of its first row.
    pub fn name_zh(&self, code: &str) -> Option<&str> {
        self.units
            .iter()
            .find(|u| u.code == code)
            .map(|u| u.zh.as_str())
    }

    /// The unit with this Chinese word.
    pub fn unit(&self, zh: &str) -> Option<&Unit> {
        self.units.iter().find(|u| u.zh == zh)
    }
}

/// Spellings compare without case and blanks.
fn fold(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect()
}

/// The text of the unit table shipped with this version.
pub const SHIPPED_TEXT: &str = include_str!("../data/rec20_units.tsv");

static SHIPPED: LazyLock<Units> = LazyLock::new(|| {
    // A test parses the shipped text and fails on any error.
    Units::parse(SHIPPED_TEXT).unwrap_or_else(|_| Units {
        header: FileHeader {
            name: TABLE_NAME.to_owned(),
            source: String::new(),
            version: crate::YearMonthDay::new(2000, 1, 1).expect("a real date"),
        },
        units: Vec::new(),
    })
});

/// The unit table shipped with this version.
pub fn shipped() -> &'static Units {
    &SHIPPED
}

#[cfg(test)]
mod tests;
