//! The whole schema a database of a given version must have, and how a file differs from it.
//!
//! A backup may come from another computer or another person, and SQLite keeps the schema in the
//! file: a backup can carry a trigger that rewrites rows as they are written, lack the trigger that
//! keeps the audit log append-only, or have an index whose uniqueness was dropped. Table names
//! alone say nothing of that. So a restore compares every table (and its columns), index, trigger
//! and view of the file with the schema its version must have.
//!
//! The expected schema is built, not read: migrations 1 to N run on an empty in-memory database,
//! which is the single truth the frozen `test_data/schema_vN.sql` files are checked against too
//! (`frozen_schemas_match_what_the_migrations_build`). Nothing is read from disk at run time.

use std::collections::BTreeMap;

use rusqlite::Connection;

use crate::Result;
use crate::migrate::MIGRATIONS;

/// How one schema object differs from what its version must have.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// The version has it; the file does not.
    Missing,
    /// The file has it; the version does not.
    Extra,
    /// Both have it, with different definitions.
    Changed,
}

/// One difference between a file's schema and the schema of its version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SchemaDifference {
    pub change: Change,
    /// `table`, `column`, `index`, `trigger` or `view`.
    pub object: String,
    /// The object's name; `table.column` for a column.
    pub name: String,
    /// The table it belongs to (itself, for a table).
    pub table: String,
    /// The definition the version has (normalised SQL; a column's as `type notnull default pk`).
    pub expected: Option<String>,
    /// The definition the file has.
    pub found: Option<String>,
}

impl SchemaDifference {
    /// What kind of object this is, in Chinese and English: a trigger says whether it keeps the
    /// audit log or an append-only table (those are what an altered file most wants gone).
    pub fn kind(&self) -> (&'static str, &'static str) {
        match self.object.as_str() {
            "table" => ("表", "table"),
            "column" => ("列", "column"),
            "index" => ("索引", "index"),
            "view" => ("视图", "view"),
            "trigger" if is_guard(&self.name) => ("只追加保护触发器", "append-only guard trigger"),
            "trigger" if self.name.contains("audit") => ("审计触发器", "audit trigger"),
            "trigger" => ("触发器", "trigger"),
            _ => ("对象", "object"),
        }
    }

    /// One line naming the object and what is wrong with it, against schema `version`.
    pub fn describe(&self, version: u32) -> (String, String) {
        let (kind_zh, kind_en) = self.kind();
        let on_zh = if self.object == "table" {
            String::new()
        } else {
            format!("（表 {}）", self.table)
        };
        let on_en = if self.object == "table" {
            String::new()
        } else {
            format!(" (table {})", self.table)
        };
        match self.change {
            Change::Missing => (
                format!("缺少{kind_zh} {}{on_zh}", self.name),
                format!("the {kind_en} {}{on_en} is missing", self.name),
            ),
            Change::Extra => (
                format!(
                    "多出{kind_zh} {}{on_zh}，第 {version} 版结构中没有",
                    self.name
                ),
                format!(
                    "an extra {kind_en} {}{on_en} that schema version {version} does not have",
                    self.name
                ),
            ),
            Change::Changed => (
                format!(
                    "{kind_zh} {}{on_zh}{}与第 {version} 版结构不同（应为 {}，实为 {}）",
                    self.name,
                    if on_zh.is_empty() { " " } else { "" },
                    clip(self.expected.as_deref()),
                    clip(self.found.as_deref())
                ),
                format!(
                    "the {kind_en} {}{on_en} differs from schema version {version} (expected {}, found {})",
                    self.name,
                    clip(self.expected.as_deref()),
                    clip(self.found.as_deref())
                ),
            ),
        }
    }
}

/// Triggers that keep a table append-only or a value from going back.
fn is_guard(name: &str) -> bool {
    [
        "no_update",
        "no_delete",
        "only_grows",
        "is_fixed",
        "keeps_",
        "only_for",
        "not_in",
    ]
    .iter()
    .any(|m| name.contains(m))
}

/// A definition shortened for a message; the audit log keeps it whole.
fn clip(sql: Option<&str>) -> String {
    let Some(sql) = sql else {
        return "-".into();
    };
    const MAX: usize = 120;
    if sql.chars().count() <= MAX {
        format!("`{sql}`")
    } else {
        format!("`{}…`", sql.chars().take(MAX).collect::<String>())
    }
}

/// One object of a schema.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Object {
    table: String,
    sql: String,
    /// For tables: column name → its definition.
    columns: BTreeMap<String, String>,
}

/// A schema: (type, name) → object.
type Schema = BTreeMap<(String, String), Object>;

/// How the file on `conn` differs from the schema of its `version` (empty when it matches).
pub(crate) fn differences(conn: &Connection, version: u32) -> Result<Vec<SchemaDifference>> {
    let expected = expected(version)?;
    let found = schema_of(conn)?;
    Ok(compare(&expected, &found))
}

/// The schema migrations 1 to `version` build on an empty database.
fn expected(version: u32) -> Result<Schema> {
    let mut conn = Connection::open_in_memory()?;
    MIGRATIONS.to_version(&mut conn, version as usize)?;
    schema_of(&conn)
}

/// Every object of the main schema but SQLite's own bookkeeping: the AUTOINCREMENT counters
/// (`sqlite_sequence`) and ANALYZE statistics (`sqlite_stat*`) hold data, not schema, and the
/// automatic indexes of UNIQUE and PRIMARY KEY constraints (no SQL of their own) follow from their
/// table's definition.
fn schema_of(conn: &Connection) -> Result<Schema> {
    let mut stmt = conn.prepare(
        "SELECT type, name, tbl_name, coalesce(sql, '') FROM main.sqlite_master
         WHERE NOT (type = 'table' AND name IN ('sqlite_sequence', 'sqlite_stat1', 'sqlite_stat2',
                                                'sqlite_stat3', 'sqlite_stat4'))
           AND NOT (type = 'index' AND sql IS NULL
                    AND name GLOB 'sqlite_autoindex_*')",
    )?;
    let rows = stmt
        .query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut schema = Schema::new();
    for (kind, name, table, sql) in rows {
        let columns = if kind == "table" {
            columns_of(conn, &name)?
        } else {
            BTreeMap::new()
        };
        schema.insert(
            (kind, name),
            Object {
                table,
                sql: normalise(&sql),
                columns,
            },
        );
    }
    Ok(schema)
}

fn columns_of(conn: &Connection, table: &str) -> Result<BTreeMap<String, String>> {
    let mut stmt = conn.prepare(
        "SELECT name, type, \"notnull\", coalesce(dflt_value, ''), pk, hidden
         FROM pragma_table_xinfo(?1, 'main')",
    )?;
    let columns = stmt
        .query_map([table], |r| {
            let name: String = r.get(0)?;
            let definition = format!(
                "{} notnull={} default={} pk={} hidden={}",
                r.get::<_, String>(1)?.to_lowercase(),
                r.get::<_, i64>(2)?,
                normalise(&r.get::<_, String>(3)?),
                r.get::<_, i64>(4)?,
                r.get::<_, i64>(5)?,
            );
            Ok((name.to_lowercase(), definition))
        })?
        .collect::<rusqlite::Result<BTreeMap<_, _>>>()?;
    Ok(columns)
}

fn compare(expected: &Schema, found: &Schema) -> Vec<SchemaDifference> {
    let mut out = Vec::new();
    let diff = |change, kind: &str, name: &str, table: &str, e: Option<&str>, f: Option<&str>| {
        SchemaDifference {
            change,
            object: kind.to_string(),
            name: name.to_string(),
            table: table.to_string(),
            expected: e.map(str::to_string),
            found: f.map(str::to_string),
        }
    };
    for ((kind, name), want) in expected {
        match found.get(&(kind.clone(), name.clone())) {
            None => out.push(diff(
                Change::Missing,
                kind,
                name,
                &want.table,
                Some(&want.sql),
                None,
            )),
            Some(have) if have == want => {}
            Some(have) if kind == "table" && have.columns != want.columns => {
                for (column, def) in &want.columns {
                    let full = format!("{name}.{column}");
                    match have.columns.get(column) {
                        None => out.push(diff(
                            Change::Missing,
                            "column",
                            &full,
                            name,
                            Some(def),
                            None,
                        )),
                        Some(d) if d != def => out.push(diff(
                            Change::Changed,
                            "column",
                            &full,
                            name,
                            Some(def),
                            Some(d),
                        )),
                        Some(_) => {}
                    }
                }
                for (column, def) in &have.columns {
                    if !want.columns.contains_key(column) {
                        out.push(diff(
                            Change::Extra,
                            "column",
                            &format!("{name}.{column}"),
                            name,
                            None,
                            Some(def),
                        ));
                    }
                }
            }
            Some(have) => out.push(diff(
                Change::Changed,
                kind,
                name,
                &want.table,
                Some(&want.sql),
                Some(&have.sql),
            )),
        }
    }
    for ((kind, name), have) in found {
        if !expected.contains_key(&(kind.clone(), name.clone())) {
            out.push(diff(
                Change::Extra,
                kind,
                name,
                &have.table,
                None,
                Some(&have.sql),
            ));
        }
    }
    out
}

/// SQL as a comparison should see it: comments dropped, runs of white space made one space (and
/// none next to punctuation), keywords and unquoted names lower-cased, quoted names unquoted; text
/// in single quotes is kept exactly, since it is data (`CHECK (state IN ('accepted'))`).
///
/// Hand-written: a full SQL parser (`sqlparser`) does not cover every form of SQLite's trigger
/// syntax, and the comparison needs only this much. Two definitions that differ after it differ in
/// meaning, or at least in a way this build never writes.
pub(crate) fn normalise(sql: &str) -> String {
    let mut tokens: Vec<String> = Vec::new();
    let chars: Vec<char> = sql.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
        } else if c == '-' && chars.get(i + 1) == Some(&'-') {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
        } else if c == '/' && chars.get(i + 1) == Some(&'*') {
            i += 2;
            while i < chars.len() && !(chars[i] == '*' && chars.get(i + 1) == Some(&'/')) {
                i += 1;
            }
            i += 2;
        } else if c == '\'' {
            // A string literal, '' being a quote inside it.
            let mut lit = String::from('\'');
            i += 1;
            while i < chars.len() {
                lit.push(chars[i]);
                if chars[i] == '\'' {
                    if chars.get(i + 1) == Some(&'\'') {
                        lit.push('\'');
                        i += 2;
                        continue;
                    }
                    i += 1;
                    break;
                }
                i += 1;
            }
            tokens.push(lit);
        } else if matches!(c, '"' | '`' | '[') {
            let close = if c == '[' { ']' } else { c };
            let mut name = String::new();
            i += 1;
            while i < chars.len() {
                if chars[i] == close {
                    if close != ']' && chars.get(i + 1) == Some(&close) {
                        name.push(close);
                        i += 2;
                        continue;
                    }
                    i += 1;
                    break;
                }
                name.push(chars[i]);
                i += 1;
            }
            tokens.push(name.to_lowercase());
        } else if c.is_alphanumeric() || c == '_' || c == '$' {
            let mut word = String::new();
            while i < chars.len()
                && (chars[i].is_alphanumeric() || chars[i] == '_' || chars[i] == '$')
            {
                word.push(chars[i]);
                i += 1;
            }
            tokens.push(word.to_lowercase());
        } else {
            tokens.push(c.to_string());
            i += 1;
        }
    }
    let mut out = String::new();
    for (n, token) in tokens.iter().enumerate() {
        let punct = |t: &str| matches!(t, "(" | ")" | "," | ";" | "." | "=");
        if n > 0 && !punct(token) && !punct(&tokens[n - 1]) {
            out.push(' ');
        }
        out.push_str(token);
    }
    out.trim_end_matches(';').to_string()
}
