//! What calamine allocates while it opens an `.ods`, worked out from `content.xml` alone.
//!
//! calamine's `Ods::new` (0.38, `ods.rs` `parse_content`) parses *every* named `table:table`
//! into a dense grid of values and one of formulas, after first collecting each row element's
//! cells with their column repeats expanded (up to 16,384 per row); row repeats are expanded when
//! the dense grid is built, and every string is cloned into each cell it fills (`text:s` adds as
//! many spaces as it says). This module reads `content.xml` with the same XML reader and the same
//! settings, follows calamine's control flow event by event, and hands each table's cost to the
//! [`Budget`] before calamine sees the file. Nothing is allocated per cell.
//!
//! calamine would loop forever on a `content.xml` that ends inside a table or a cell note (it
//! waits for an end tag at end of input); that is refused here as a truncated file.

use std::io::{BufRead, Cursor};

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

use super::{Budget, Extent, SheetCost};
use crate::problem::ReadError;

/// calamine's caps (`ods.rs`): rows per table, columns per row element.
const MAX_ROWS: u64 = 1_048_576;
const MAX_COLUMNS: u64 = 16_384;

/// calamine stops at the first thing it cannot parse; nothing after it is allocated.
struct CalamineFails;

type Step<T> = Result<Result<T, CalamineFails>, ReadError>;

fn truncated(inside: &str) -> ReadError {
    ReadError::Truncated {
        detail: format!("content.xml ends inside {inside}"),
    }
}

/// calamine's own attribute reader (`attrs.rs` `RawAttrIter`): `(key, value)` pairs in order,
/// values not unescaped, `Err` where calamine reports a malformed attribute. quick-xml's
/// checked iterator refuses things calamine reads (a repeated attribute), so the scan reads
/// attributes the way calamine does.
struct RawAttrs<'a> {
    raw: &'a [u8],
    pos: usize,
}

impl<'a> RawAttrs<'a> {
    fn of(e: &'a BytesStart<'_>) -> Self {
        RawAttrs {
            raw: e.attributes_raw().as_bytes(),
            pos: 0,
        }
    }
}

impl<'a> Iterator for RawAttrs<'a> {
    type Item = Result<(&'a [u8], &'a [u8]), CalamineFails>;

    fn next(&mut self) -> Option<Self::Item> {
        let raw = self.raw;
        let mut pos = self.pos;
        while raw.get(pos).is_some_and(u8::is_ascii_whitespace) {
            pos += 1;
        }
        if pos >= raw.len() {
            self.pos = pos;
            return None;
        }
        let key_start = pos;
        while raw.get(pos).is_some_and(|b| *b != b'=') {
            pos += 1;
        }
        self.pos = raw.len();
        if pos >= raw.len() {
            return Some(Err(CalamineFails));
        }
        let key = raw[key_start..pos].trim_ascii_end();
        pos += 1;
        while raw.get(pos).is_some_and(u8::is_ascii_whitespace) {
            pos += 1;
        }
        let quote = match raw.get(pos) {
            Some(q @ (b'"' | b'\'')) => *q,
            _ => return Some(Err(CalamineFails)),
        };
        pos += 1;
        let start = pos;
        while raw.get(pos).is_some_and(|b| *b != quote) {
            pos += 1;
        }
        let value = &raw[start..pos];
        self.pos = (pos + 1).min(raw.len());
        Some(Ok((key, value)))
    }
}

/// The first attribute named `key` (calamine's `raw_attr`).
fn raw_attr<'a>(e: &'a BytesStart<'_>, key: &str) -> Result<Option<&'a [u8]>, CalamineFails> {
    for item in RawAttrs::of(e) {
        let (k, v) = item?;
        if k == key.as_bytes() {
            return Ok(Some(v));
        }
    }
    Ok(None)
}

/// An attribute's count (`text:c`, `…-repeated`); absent is 1, unreadable stops calamine.
fn count(e: &BytesStart<'_>, key: &str) -> Result<u64, CalamineFails> {
    match raw_attr(e, key)? {
        None => Ok(1),
        Some(v) => number(v),
    }
}

/// A count as calamine parses it (entities decoded first, as for rows and `text:c`; calamine
/// parses column counts undecoded and fails where this succeeds, which only overcounts).
fn number(value: &[u8]) -> Result<u64, CalamineFails> {
    std::str::from_utf8(value)
        .ok()
        .and_then(|s| quick_xml::escape::unescape(s).ok())
        .and_then(|s| s.parse::<u64>().ok())
        .ok_or(CalamineFails)
}

/// `decode_attr`'s length: entities shrink text, so the raw length is an upper bound.
fn text_len(value: &[u8]) -> u64 {
    value.len() as u64
}

/// One cell element as `get_datatype` reads it.
struct CellRead {
    /// A value (number, text, date, boolean) is set: the cell is not empty.
    value: bool,
    /// Bytes of the value's text (what is cloned into every cell it fills).
    value_text: u64,
    /// Bytes of `table:formula` (empty: no formula).
    formula_text: u64,
}

fn cell<R: BufRead>(
    reader: &mut Reader<R>,
    e: &BytesStart<'_>,
    buf: &mut Vec<u8>,
) -> Step<CellRead> {
    let mut read = CellRead {
        value: false,
        value_text: 0,
        formula_text: 0,
    };
    let mut is_string = false;
    let mut is_error = false;
    let mut empty_string = false;
    // Every attribute in order, as `get_datatype` does; a malformed one stops calamine.
    for item in RawAttrs::of(e) {
        let Ok((k, v)) = item else {
            return Ok(Err(CalamineFails));
        };
        match k {
            b"office:value" if !read.value => read.value = true,
            b"office:string-value" | b"office:date-value" | b"office:time-value" if !read.value => {
                read.value = true;
                read.value_text = text_len(v);
                empty_string = k == b"office:string-value" && v.is_empty();
            }
            b"office:boolean-value" if !read.value => read.value = true,
            b"office:value-type" if !read.value => is_string = v == b"string",
            b"calcext:value-type" => is_error = v == b"error",
            b"table:formula" => read.formula_text = text_len(v),
            _ => {}
        }
    }
    if (!read.value && is_string) || (is_error && empty_string) {
        // The text is the element's content, read up to the first end of a cell.
        read.value = true;
        read.value_text = 0;
        loop {
            buf.clear();
            match reader.read_event_into(buf) {
                Ok(Event::Text(t)) => read.value_text += t.len() as u64,
                Ok(Event::GeneralRef(_)) => read.value_text += 4,
                Ok(Event::End(end))
                    if matches!(
                        end.name().as_ref(),
                        "table:table-cell" | "table:covered-table-cell"
                    ) =>
                {
                    return Ok(Ok(read));
                }
                Ok(Event::Start(s)) if s.name().as_ref() == "office:annotation" => loop {
                    buf.clear();
                    match reader.read_event_into(buf) {
                        Ok(Event::End(end)) if end.name().as_ref() == "office:annotation" => {
                            break;
                        }
                        Ok(Event::Eof) => return Err(truncated("a cell note")),
                        Err(_) => return Ok(Err(CalamineFails)),
                        _ => {}
                    }
                },
                Ok(Event::Start(s)) if s.name().as_ref() == "text:p" => read.value_text += 1,
                Ok(Event::Start(s)) if s.name().as_ref() == "text:s" => {
                    let spaces = match count(&s, "text:c") {
                        Ok(n) => n,
                        Err(f) => return Ok(Err(f)),
                    };
                    read.value_text = read.value_text.saturating_add(spaces);
                }
                Ok(Event::Start(s))
                    if matches!(s.name().as_ref(), "text:tab" | "text:line-break") =>
                {
                    read.value_text += 1;
                }
                Ok(Event::Eof) | Err(_) => return Ok(Err(CalamineFails)),
                _ => {}
            }
        }
    }
    // Not read as text: calamine skips the element's content, if it has any.
    let name = e.name().as_ref().to_string();
    if reader
        .read_to_end_into(quick_xml::name::QName(&name), buf)
        .is_err()
    {
        return Ok(Err(CalamineFails));
    }
    Ok(Ok(read))
}

/// What one row element adds before the grid is built: cells pushed (column repeats expanded),
/// the first and last non-empty value and formula positions, and the text of its cells.
#[derive(Default)]
struct RowRead {
    pushed: u64,
    values: Option<(u64, u64)>,
    formulas: Option<(u64, u64)>,
    value_text: u64,
    formula_text: u64,
}

fn span(span: &mut Option<(u64, u64)>, first: u64, last: u64) {
    *span = Some(match *span {
        None => (first, last),
        Some((a, b)) => (a.min(first), b.max(last)),
    });
}

fn row<R: BufRead>(
    reader: &mut Reader<R>,
    buf: &mut Vec<u8>,
    inner: &mut Vec<u8>,
) -> Step<RowRead> {
    let mut out = RowRead::default();
    let mut pending_empty = 0u64;
    loop {
        buf.clear();
        match reader.read_event_into(buf) {
            Ok(Event::Start(e))
                if matches!(
                    e.name().as_ref(),
                    "table:table-cell" | "table:covered-table-cell"
                ) =>
            {
                let repeats = match count(&e, "table:number-columns-repeated") {
                    Ok(n) => n,
                    Err(f) => return Ok(Err(f)),
                };
                let e = e.into_owned();
                let read = match cell(reader, &e, inner)? {
                    Ok(r) => r,
                    Err(f) => return Ok(Err(f)),
                };
                let empties = pending_empty.min(MAX_COLUMNS.saturating_sub(out.pushed));
                out.pushed += empties;
                pending_empty = 0;
                let repeats = repeats.min(MAX_COLUMNS.saturating_sub(out.pushed));
                if !read.value && read.formula_text == 0 {
                    pending_empty = repeats;
                } else if repeats > 0 {
                    let (first, last) = (out.pushed, out.pushed + repeats - 1);
                    if read.value {
                        span(&mut out.values, first, last);
                        out.value_text = out
                            .value_text
                            .saturating_add(read.value_text.saturating_mul(repeats));
                    }
                    if read.formula_text > 0 {
                        span(&mut out.formulas, first, last);
                        out.formula_text = out
                            .formula_text
                            .saturating_add(read.formula_text.saturating_mul(repeats));
                    }
                    out.pushed += repeats;
                }
            }
            Ok(Event::End(e)) if e.name().as_ref() == "table:table-row" => return Ok(Ok(out)),
            // Anything else in a row (text, another element, the end of input) stops calamine.
            _ => return Ok(Err(CalamineFails)),
        }
    }
}

/// The dense grid one kind of cell (values or formulas) makes: its extent, accumulated row by
/// row as `get_range` sizes it.
#[derive(Default)]
struct Grid {
    /// Rows (expanded) before the first row element with a non-empty cell, and through the last.
    first_row: Option<u64>,
    end_row: u64,
    cols: Option<(u64, u64)>,
    text: u64,
}

impl Grid {
    fn row(&mut self, rows_before: u64, repeats: u64, span: Option<(u64, u64)>, text: u64) {
        let Some((first, last)) = span else { return };
        self.first_row.get_or_insert(rows_before);
        self.end_row = rows_before + repeats;
        self.cols = Some(match self.cols {
            None => (first, last),
            Some((a, b)) => (a.min(first), b.max(last)),
        });
        self.text = self.text.saturating_add(text.saturating_mul(repeats));
    }

    fn extent(&self) -> Extent {
        match (self.first_row, self.cols) {
            (Some(first), Some((a, b))) if self.end_row > first => Extent::Cells {
                rows: (
                    first.min(u32::MAX.into()) as u32,
                    (self.end_row - 1).min(u32::MAX.into()) as u32,
                ),
                cols: (a as u32, b as u32),
            },
            _ => Extent::Empty,
        }
    }
}

/// One named table, as `read_table` and `get_range` build it.
fn table<R: BufRead>(reader: &mut Reader<R>) -> Step<SheetCost> {
    let (mut buf, mut row_buf, mut cell_buf) = (Vec::new(), Vec::new(), Vec::new());
    let mut rows_before = 0u64;
    let (mut values, mut formulas) = (Grid::default(), Grid::default());
    let mut cost = SheetCost::default();
    let mut widest = 0u64;
    loop {
        buf.clear();
        match reader.read_event_into(&mut buf) {
            Ok(Event::Start(e)) if e.name().as_ref() == "table:table-row" => {
                let repeats = match count(&e, "table:number-rows-repeated") {
                    Ok(n) => n,
                    Err(f) => return Ok(Err(f)),
                };
                let repeats = repeats.min(MAX_ROWS.saturating_sub(rows_before));
                let read = match row(reader, &mut row_buf, &mut cell_buf)? {
                    Ok(r) => r,
                    Err(f) => return Ok(Err(f)),
                };
                // The cells of the row element itself, kept until the grid is built.
                cost.reserved = cost.reserved.saturating_add(read.pushed);
                cost.text = cost
                    .text
                    .saturating_add(read.value_text)
                    .saturating_add(read.formula_text);
                if read.pushed > widest {
                    widest = read.pushed;
                    cost.reserved_last = (
                        rows_before.min(u32::MAX.into()) as u32,
                        (read.pushed - 1) as u32,
                    );
                }
                values.row(rows_before, repeats, read.values, read.value_text);
                formulas.row(rows_before, repeats, read.formulas, read.formula_text);
                rows_before += repeats;
            }
            Ok(Event::End(e)) if e.name().as_ref() == "table:table" => break,
            Ok(Event::Eof) => return Err(truncated("a table")),
            Err(_) => return Ok(Err(CalamineFails)),
            _ => {}
        }
    }
    cost.values = values.extent();
    cost.formulas = formulas.extent();
    cost.text = cost
        .text
        .saturating_add(values.text)
        .saturating_add(formulas.text);
    Ok(Ok(cost))
}

/// calamine's `read_named_expressions`: false where calamine fails.
fn named_expressions<R: BufRead>(reader: &mut Reader<R>) -> bool {
    let mut buf = Vec::new();
    loop {
        buf.clear();
        match reader.read_event_into(&mut buf) {
            Ok(Event::Start(e))
                if matches!(
                    e.name().as_ref(),
                    "table:named-range" | "table:named-expression"
                ) => {}
            Ok(Event::End(e))
                if matches!(
                    e.name().as_ref(),
                    "table:named-range" | "table:named-expression"
                ) => {}
            Ok(Event::End(e)) if e.name().as_ref() == "table:named-expressions" => return true,
            _ => return false,
        }
    }
}

/// Streams `content.xml` and charges `Budget` with every table as calamine will build it.
pub(crate) fn scan(bytes: &[u8], budget: &mut Budget<'_>) -> Result<(), ReadError> {
    let mut archive =
        zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| ReadError::Truncated {
            detail: e.to_string(),
        })?;
    let Ok(content) = archive.by_name("content.xml") else {
        return Err(ReadError::Corrupt {
            detail: "content.xml is missing".into(),
        });
    };
    let mut reader = Reader::from_reader(std::io::BufReader::new(content));
    let config = reader.config_mut();
    config.check_end_names = false;
    config.trim_text(false);
    config.check_comments = false;
    config.expand_empty_elements = true;
    let mut buf = Vec::new();
    loop {
        buf.clear();
        match reader.read_event_into(&mut buf) {
            Ok(Event::Start(e)) if e.name().as_ref() == "table:table" => {
                let name = match raw_attr(&e, "table:name") {
                    Ok(Some(n)) => String::from_utf8_lossy(n).into_owned(),
                    // An unnamed table is not a sheet; calamine reads on past its start tag.
                    Ok(None) => continue,
                    Err(CalamineFails) => return Ok(()),
                };
                budget.charge_sheet()?;
                match table(&mut reader)? {
                    Ok(cost) => budget.add(|| name.clone(), &cost)?,
                    Err(CalamineFails) => return Ok(()),
                }
            }
            Ok(Event::Start(e)) if e.name().as_ref() == "table:named-expressions" => {
                let complete = named_expressions(&mut reader);
                if !complete {
                    return Ok(());
                }
            }
            Ok(Event::Eof) | Err(_) => return Ok(()),
            _ => {}
        }
    }
}
