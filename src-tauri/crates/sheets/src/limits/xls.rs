//! What calamine allocates while it opens an `.xls`, worked out from the records alone.
//!
//! calamine's `Xls::new` (0.38, `xls.rs` `parse_workbook`) reads the globals up to their EOF,
//! then parses the sheet at the offset of *every* BOUNDSHEET entry into a dense grid of values
//! and one of formulas, reserving what each DIMENSIONS record declares and cloning the shared
//! string of every LabelSst cell. Entries may point at the same data, so one large sheet named
//! a thousand times becomes a thousand grids. This module follows each entry the same way,
//! record by record, and hands each sheet's cost to the [`Budget`] before calamine sees the
//! file. Nothing is allocated per cell.
//!
//! The record walk is written here rather than taken from calamine because calamine offers no
//! way to look without allocating; it follows `RecordIter` and the sheet loop of
//! `parse_workbook` closely, so that every cell calamine would place is counted.

use std::collections::HashMap;

use super::{Budget, Extent, SheetCost};
use crate::problem::ReadError;

const BOF: u16 = 0x0809;
const EOF: u16 = 0x000A;
const CONTINUE: u16 = 0x003C;
const FILEPASS: u16 = 0x002F;
const BOUNDSHEET: u16 = 0x0085;
const SST: u16 = 0x00FC;
const DIMENSIONS: u16 = 0x0200;
const FORMULA: u16 = 0x0006;
const STRING: u16 = 0x0207;
const LABEL_SST: u16 = 0x00FD;
const MUL_RK: u16 = 0x00BD;
/// NUMBER, LABEL, RSTRING, BOOLERR, RK: one cell at (row, col) in their first four bytes.
const ONE_CELL: [u16; 5] = [0x0203, 0x0204, 0x00D6, 0x0205, 0x027E];

/// One record as calamine's `RecordIter` yields it: CONTINUE records that follow are its
/// continuation, not records of their own.
struct Record<'a> {
    typ: u16,
    data: &'a [u8],
    cont: Vec<&'a [u8]>,
}

/// calamine's `RecordIter`: stops at the first record that does not fit (calamine fails there,
/// so nothing after it is ever allocated).
struct Records<'a> {
    stream: &'a [u8],
}

fn u16_at(d: &[u8], i: usize) -> Option<u16> {
    Some(u16::from_le_bytes([*d.get(i)?, *d.get(i + 1)?]))
}

fn u32_at(d: &[u8], i: usize) -> Option<u32> {
    Some(u32::from_le_bytes([
        *d.get(i)?,
        *d.get(i + 1)?,
        *d.get(i + 2)?,
        *d.get(i + 3)?,
    ]))
}

impl<'a> Iterator for Records<'a> {
    type Item = Record<'a>;

    fn next(&mut self) -> Option<Record<'a>> {
        let typ = u16_at(self.stream, 0)?;
        let len = usize::from(u16_at(self.stream, 2)?);
        if self.stream.len() < len + 4 {
            self.stream = &[];
            return None;
        }
        let (record, rest) = self.stream.split_at(len + 4);
        self.stream = rest;
        let mut cont = Vec::new();
        while self.stream.len() > 4 && u16_at(self.stream, 0) == Some(CONTINUE) {
            let len = usize::from(u16_at(self.stream, 2)?);
            if self.stream.len() < len + 4 {
                self.stream = &[];
                return None;
            }
            let (c, rest) = self.stream.split_at(len + 4);
            cont.push(&c[4..]);
            self.stream = rest;
        }
        Some(Record {
            typ,
            data: &record[4..],
            cont,
        })
    }
}

fn records(stream: &[u8]) -> Records<'_> {
    Records { stream }
}

/// The length, in characters, of every string of the shared string table, the way calamine's
/// `parse_sst` walks them (across CONTINUE records). Each costs `Budget` a `String` and up to
/// three UTF-8 bytes per character, charged as the strings are found so that a table of
/// millions of empty strings is refused before it is listed.
fn sst_lengths<'a>(r: &Record<'a>, budget: &mut Budget<'_>) -> Result<Vec<u16>, ReadError> {
    let mut lengths = Vec::new();
    let mut segments = r.cont.iter().copied();
    let Some(mut data): Option<&'a [u8]> = r.data.get(8..) else {
        return Ok(lengths);
    };
    // Moves on to the next CONTINUE segment; false when there is none.
    let mut next = |data: &mut &'a [u8]| match segments.next() {
        Some(s) => {
            *data = s;
            true
        }
        None => false,
    };
    loop {
        if data.is_empty() && !next(&mut data) {
            break;
        }
        // An empty continuation is an empty string to calamine.
        if data.is_empty() {
            lengths.push(0);
            budget.charge_text(super::STRING_BYTES)?;
            continue;
        }
        let (Some(cch), Some(&flags)) = (u16_at(data, 0), data.get(2)) else {
            break;
        };
        data = &data[3..];
        let runs = if flags & 0x8 != 0 {
            let Some(n) = u16_at(data, 0) else { break };
            data = &data[2..];
            usize::from(n) * 4
        } else {
            0
        };
        let ext = if flags & 0x4 != 0 {
            let Some(n) = u32_at(data, 0) else { break };
            data = &data[4..];
            n as usize
        } else {
            0
        };
        // The characters, one or two bytes each; a continuation restates the width.
        let mut high = flags & 0x1 != 0;
        let mut left = usize::from(cch);
        while left > 0 {
            let width = if high { 2 } else { 1 };
            let here = (data.len() / width).min(left);
            data = &data[here * width..];
            left -= here;
            if left > 0 {
                if !next(&mut data) || data.is_empty() {
                    return Ok(lengths);
                }
                high = data[0] & 0x1 != 0;
                data = &data[1..];
            }
        }
        let mut skip = runs.saturating_add(ext);
        while skip > 0 {
            if data.is_empty() && !next(&mut data) {
                return Ok(lengths);
            }
            let here = skip.min(data.len());
            data = &data[here..];
            skip -= here;
        }
        lengths.push(cch);
        budget.charge_text(super::STRING_BYTES + 3 * u64::from(cch))?;
    }
    Ok(lengths)
}

/// A BOUNDSHEET entry's name (BIFF8 short string), for messages only.
fn entry_name(data: &[u8]) -> String {
    let Some(&cch) = data.get(6) else {
        return String::new();
    };
    let cch = usize::from(cch);
    let chars = data.get(8..).unwrap_or_default();
    if data.get(7).is_some_and(|f| f & 1 == 1) {
        let units: Vec<u16> = chars
            .chunks_exact(2)
            .take(cch)
            .map(|c| u16::from_le_bytes([c[0], c[1]]))
            .collect();
        String::from_utf16_lossy(&units)
    } else {
        chars.iter().take(cch).map(|&b| char::from(b)).collect()
    }
}

/// The cost of the sheet calamine parses from `offset`, and how many records it walked.
fn sheet_cost(stream: &[u8], offset: usize, sst: &[u16]) -> (SheetCost, u64) {
    let mut cost = SheetCost::default();
    let mut walked = 0u64;
    let Some(sheet) = stream.get(offset..) else {
        // calamine slices the stream at the offset and fails (caught as a damaged file).
        return (cost, walked);
    };
    let mut seen_bof = false;
    let mut depth = 0usize;
    let mut formula_at = (0u32, 0u32);
    for r in records(sheet) {
        walked += 1;
        if depth > 0 {
            match r.typ {
                BOF => depth += 1,
                EOF => depth -= 1,
                _ => {}
            }
            continue;
        }
        let at = |d: &[u8]| Some((u32::from(u16_at(d, 0)?), u32::from(u16_at(d, 2)?)));
        match r.typ {
            BOF if seen_bof => depth += 1,
            BOF => seen_bof = true,
            EOF => break,
            DIMENSIONS => {
                // calamine reserves rows × columns for the sparse cells, as u32 arithmetic.
                let (first_row, last_row, first_col, last_col) = match r.data.len() {
                    10 => (
                        u32::from(u16_at(r.data, 0).unwrap_or(0)),
                        u32::from(u16_at(r.data, 2).unwrap_or(0)),
                        u32::from(u16_at(r.data, 4).unwrap_or(0)),
                        u32::from(u16_at(r.data, 6).unwrap_or(0)),
                    ),
                    14 | 16 => (
                        u32_at(r.data, 0).unwrap_or(0),
                        u32_at(r.data, 4).unwrap_or(0),
                        u32::from(u16_at(r.data, 8).unwrap_or(0)),
                        u32::from(u16_at(r.data, 10).unwrap_or(0)),
                    ),
                    _ => continue,
                };
                let first_col = if first_col > 0xFF || last_col < first_col {
                    0
                } else {
                    first_col
                };
                if last_row >= 1 && last_col >= 1 {
                    let rows = (last_row - 1).wrapping_sub(first_row).wrapping_add(1);
                    let cols = (last_col - 1).wrapping_sub(first_col).wrapping_add(1);
                    let reserved = u64::from(rows) * u64::from(cols);
                    if reserved > cost.reserved {
                        cost.reserved = reserved;
                        cost.reserved_last = (last_row - 1, last_col - 1);
                    }
                }
            }
            t if ONE_CELL.contains(&t) => {
                if let Some((row, col)) = at(r.data) {
                    cost.values.add(row, col, col);
                }
            }
            LABEL_SST => {
                let index = u32_at(r.data, 6).map(|i| i as usize);
                if let (Some((row, col)), Some(len)) = (at(r.data), index.and_then(|i| sst.get(i)))
                {
                    cost.values.add(row, col, col);
                    cost.text += 3 * u64::from(*len);
                }
            }
            STRING => cost.values.add(formula_at.0, formula_at.1, formula_at.1),
            MUL_RK => {
                if let (Some((row, first)), Some(last)) = (
                    at(r.data),
                    r.data.len().checked_sub(2).and_then(|i| u16_at(r.data, i)),
                ) {
                    let last = u32::from(last);
                    cost.values.add(row, first.min(last), first.max(last));
                }
            }
            FORMULA => {
                if let Some((row, col)) = at(r.data) {
                    formula_at = (row, col);
                    cost.values.add(row, col, col);
                    cost.formulas.add(row, col, col);
                }
            }
            _ => {}
        }
    }
    (cost, walked)
}

/// Walks the BIFF records of an `.xls` workbook stream: refuses encrypted workbooks (FILEPASS),
/// then charges `Budget` with every sheet entry as calamine will parse it.
pub(crate) fn scan(stream: &[u8], budget: &mut Budget<'_>) -> Result<(), ReadError> {
    // The globals, up to their EOF: the sheet entries and the shared strings.
    let mut entries: Vec<(usize, &[u8])> = Vec::new();
    let mut sst = Vec::new();
    for r in records(stream) {
        match r.typ {
            FILEPASS => return Err(ReadError::Encrypted),
            BOUNDSHEET if r.data.len() >= 6 => {
                budget.charge_sheet()?;
                entries.push((u32_at(r.data, 0).unwrap_or(0) as usize, r.data));
            }
            SST => sst = sst_lengths(&r, budget)?,
            EOF => break,
            _ => {}
        }
    }
    // Every entry, as calamine parses it; an entry naming data another entry named costs the same
    // again but is walked once. Entries pointing into the middle of each other's records would
    // make the walk (and calamine) quadratic: they are refused once the walk exceeds a few times
    // the stream's own records.
    let total_records = records(stream).count() as u64;
    let mut walk_budget = total_records.saturating_mul(8).saturating_add(1024);
    let mut known: HashMap<usize, SheetCost> = HashMap::new();
    for (offset, data) in entries {
        let cost = match known.get(&offset) {
            Some(c) => c.clone(),
            None => {
                let (cost, walked) = sheet_cost(stream, offset, &sst);
                walk_budget =
                    walk_budget
                        .checked_sub(walked)
                        .ok_or_else(|| ReadError::Corrupt {
                            detail: "sheet entries point into one another's records".into(),
                        })?;
                known.insert(offset, cost.clone());
                cost
            }
        };
        budget.add(|| entry_name(data), &cost)?;
    }
    Ok(())
}

impl Extent {
    fn add(&mut self, row: u32, first_col: u32, last_col: u32) {
        *self = match *self {
            Extent::Empty => Extent::Cells {
                rows: (row, row),
                cols: (first_col, last_col),
            },
            Extent::Cells { rows, cols } => Extent::Cells {
                rows: (rows.0.min(row), rows.1.max(row)),
                cols: (cols.0.min(first_col), cols.1.max(last_col)),
            },
        };
    }
}
