//! What every list query shares: a search text, a whitelisted sort and a page window.

use rusqlite::types::Value;

/// The page of a list the caller wants. `limit` 0 means "no limit" (exports).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ListParams {
    /// Matched as a substring, case-insensitively for ASCII, against the list's text columns.
    pub search: String,
    /// A key of the list's sort whitelist; unknown keys fall back to the default order.
    pub sort: Option<String>,
    pub descending: bool,
    pub offset: u32,
    pub limit: u32,
}

/// The one way a search text reaches SQL's `LIKE`: `%text%` (trimmed) with `%`, `_` and `\`
/// escaped, for a clause built by [`like_clause`] (`… LIKE ? ESCAPE '\'`), so that a clerk
/// searching for `50%` or `A_1` finds those characters and nothing else. Every `LIKE` in
/// tracedesk's SQL is built here; a test over the source tree (`app/tests/
/// text_leaves_through_helpers.rs`) fails on any other.
pub fn like_pattern(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('%');
    for c in text.trim().chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('%');
    out
}

/// `column LIKE ? ESCAPE '\'`: the clause whose `?` takes a [`like_pattern`].
pub(crate) fn like_clause(column: &str) -> String {
    format!("{column} LIKE ? ESCAPE '\\'")
}

/// The ORDER BY clause for `params`: the whitelisted column for its sort key, or `default`. The
/// `id` column breaks ties so that pages never overlap.
pub(crate) fn order_by(
    params: &ListParams,
    allowed: &[(&str, &str)],
    default: &str,
    id: &str,
) -> String {
    let column = params
        .sort
        .as_deref()
        .and_then(|key| allowed.iter().find(|(k, _)| *k == key))
        .map(|(_, column)| *column);
    match column {
        Some(column) => {
            let dir = if params.descending { "DESC" } else { "ASC" };
            format!("ORDER BY {column} {dir}, {id} {dir}")
        }
        None => format!("ORDER BY {default}"),
    }
}

pub(crate) fn limit_offset(params: &ListParams) -> String {
    if params.limit == 0 {
        format!("LIMIT -1 OFFSET {}", params.offset)
    } else {
        format!("LIMIT {} OFFSET {}", params.limit, params.offset)
    }
}

/// A WHERE clause under construction, with its positional arguments.
#[derive(Debug, Default)]
pub(crate) struct Where {
    clauses: Vec<String>,
    pub(crate) args: Vec<Value>,
}

impl Where {
    /// Adds `clause`, whose `?` placeholders take `args` in order.
    pub(crate) fn and(&mut self, clause: &str, args: impl IntoIterator<Item = Value>) {
        self.clauses.push(format!("({clause})"));
        self.args.extend(args);
    }

    /// Adds a substring search over `columns` when `search` is not blank.
    pub(crate) fn search(&mut self, search: &str, columns: &[&str]) {
        if search.trim().is_empty() {
            return;
        }
        let pattern = like_pattern(search);
        let clause = columns
            .iter()
            .map(|c| like_clause(c))
            .collect::<Vec<_>>()
            .join(" OR ");
        self.and(
            &clause,
            columns.iter().map(|_| Value::Text(pattern.clone())),
        );
    }

    pub(crate) fn sql(&self) -> String {
        if self.clauses.is_empty() {
            String::new()
        } else {
            format!("WHERE {}", self.clauses.join(" AND "))
        }
    }
}

/// One page of a list and the total it is a page of. `select` is `SELECT <columns> FROM <joins>`;
/// the count runs over `count_from` instead (the bare table, without the joins) when the filter
/// never looks at a joined table, which is what keeps the count of a large table cheap.
pub(crate) fn page<T>(
    conn: &rusqlite::Connection,
    select: &str,
    count_from: &str,
    w: &Where,
    order: &str,
    params: &ListParams,
    from_row: impl FnMut(&rusqlite::Row<'_>) -> rusqlite::Result<T>,
) -> rusqlite::Result<(Vec<T>, u32)> {
    let sql = format!("{select} {} {order} {}", w.sql(), limit_offset(params));
    let rows = conn
        .prepare(&sql)?
        .query_map(rusqlite::params_from_iter(&w.args), from_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let total: u32 = conn.query_row(
        &format!("SELECT count(*) {count_from} {}", w.sql()),
        rusqlite::params_from_iter(&w.args),
        |r| r.get(0),
    )?;
    Ok((rows, total))
}

/// `?, ?, ?` for an IN list of `n` values.
pub(crate) fn placeholders(n: usize) -> String {
    vec!["?"; n].join(", ")
}

/// Runs `f` over `ids` in chunks SQLite accepts as bound parameters, concatenating the results.
pub(crate) fn chunked<T>(
    ids: &[i64],
    mut f: impl FnMut(&[i64]) -> rusqlite::Result<Vec<T>>,
) -> rusqlite::Result<Vec<T>> {
    let mut out = Vec::new();
    for chunk in ids.chunks(500) {
        out.extend(f(chunk)?);
    }
    Ok(out)
}

impl Where {
    /// Adds `column = ?` when `value` is given and not blank (a blank filter means "any").
    pub(crate) fn equals(&mut self, column: &str, value: Option<&str>) {
        if let Some(value) = value.filter(|s| !s.is_empty()) {
            self.and(&format!("{column} = ?"), [Value::Text(value.into())]);
        }
    }

    /// Adds `column = ?` when `id` is given.
    pub(crate) fn equals_id(&mut self, column: &str, id: Option<i64>) {
        if let Some(id) = id {
            self.and(&format!("{column} = ?"), [Value::Integer(id)]);
        }
    }

    /// Adds the inclusive date range `from ..= to` on `column`; a bound not given or blank is open.
    pub(crate) fn dates(&mut self, column: &str, from: Option<&str>, to: Option<&str>) {
        if let Some(from) = from.filter(|s| !s.is_empty()) {
            self.and(&format!("{column} >= ?"), [Value::Text(from.into())]);
        }
        if let Some(to) = to.filter(|s| !s.is_empty()) {
            self.and(&format!("{column} <= ?"), [Value::Text(to.into())]);
        }
    }
}

/// How an entity's rows are read: the columns its `from_row` maps, the tables they come from, and
/// the bare table a list counts over when only its search looks into the joined ones.
pub(crate) struct Table<T> {
    /// The `SELECT` list `from_row` reads, in order.
    pub(crate) columns: &'static str,
    /// `FROM <table> <alias>` with the joins the columns need.
    pub(crate) from: &'static str,
    /// `FROM <table> <alias>` alone.
    pub(crate) bare: &'static str,
    pub(crate) from_row: fn(&rusqlite::Row<'_>) -> rusqlite::Result<T>,
}

impl<T> Table<T> {
    /// The row that `condition` (a WHERE clause, with `args` for its placeholders) finds, if any.
    pub(crate) fn one(
        &self,
        conn: &rusqlite::Connection,
        condition: &str,
        args: impl rusqlite::Params,
    ) -> rusqlite::Result<Option<T>> {
        use rusqlite::OptionalExtension;
        let sql = format!("SELECT {} {} WHERE {condition}", self.columns, self.from);
        conn.prepare_cached(&sql)?
            .query_row(args, self.from_row)
            .optional()
    }

    /// Every row that `condition` (a WHERE clause with its ORDER BY, `args` for its placeholders)
    /// finds.
    pub(crate) fn all(
        &self,
        conn: &rusqlite::Connection,
        condition: &str,
        args: impl rusqlite::Params,
    ) -> rusqlite::Result<Vec<T>> {
        let sql = format!("SELECT {} {} WHERE {condition}", self.columns, self.from);
        conn.prepare_cached(&sql)?
            .query_map(args, self.from_row)?
            .collect()
    }

    /// The rows whose `id_column` is any of `ids`, ordered by `order` within each chunk.
    pub(crate) fn many(
        &self,
        conn: &rusqlite::Connection,
        id_column: &str,
        ids: &[i64],
        order: &str,
    ) -> rusqlite::Result<Vec<T>> {
        chunked(ids, |chunk| {
            let sql = format!(
                "SELECT {} {} WHERE {id_column} IN ({}) ORDER BY {order}",
                self.columns,
                self.from,
                placeholders(chunk.len())
            );
            conn.prepare(&sql)?
                .query_map(rusqlite::params_from_iter(chunk), self.from_row)?
                .collect()
        })
    }

    /// One [`page`] of the list `w` filters: the count skips the joins unless there is a search.
    pub(crate) fn page(
        &self,
        conn: &rusqlite::Connection,
        w: &Where,
        order: &str,
        params: &ListParams,
    ) -> rusqlite::Result<(Vec<T>, u32)> {
        let count_from = if params.search.trim().is_empty() {
            self.bare
        } else {
            self.from
        };
        page(
            conn,
            &format!("SELECT {} {}", self.columns, self.from),
            count_from,
            w,
            order,
            params,
            self.from_row,
        )
    }
}

/// `id` and then `values`: the arguments of an `UPDATE … SET a = ?2, … WHERE id = ?1`.
pub(crate) fn with_id<'a>(
    id: &'a i64,
    values: &[&'a dyn rusqlite::ToSql],
) -> Vec<&'a dyn rusqlite::ToSql> {
    let mut args: Vec<&dyn rusqlite::ToSql> = vec![id];
    args.extend_from_slice(values);
    args
}
