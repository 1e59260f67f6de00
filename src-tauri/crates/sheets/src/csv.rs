//! CSV and TSV: encoding detection (UTF-8 with or without BOM, UTF-16 LE/BE, else GB18030, which
//! covers GBK and GB2312), delimiter sniffing (`,` `\t` `;`), then rows of text cells numbered as
//! Excel would number them when opening the file.

use std::ops::ControlFlow;

use encoding_rs::{Encoding, GB18030};

use crate::cell::Cell;
use crate::limits::{Limits, utf16_without_bom};
use crate::problem::ReadError;
use crate::stream::{ColumnKeep, RawRow, StreamStats, kept};

/// A decoded text table.
pub(crate) struct CsvText {
    pub text: String,
    pub delimiter: u8,
    pub encoding: &'static str,
}

/// Decodes the bytes: a BOM decides; else strict UTF-8; else UTF-16 by its NUL pattern; else
/// GB18030 (a superset of GBK, what Excel and WPS on Chinese Windows write for "CSV").
pub(crate) fn decode(bytes: &[u8], extension: &str) -> Result<CsvText, ReadError> {
    let (text, encoding): (String, &'static str) =
        if let Some((enc, bom_len)) = Encoding::for_bom(bytes) {
            let (text, had_errors) = enc.decode_without_bom_handling(&bytes[bom_len..]);
            if had_errors && enc != encoding_rs::UTF_8 {
                return Err(ReadError::NotASpreadsheet {
                    detected: "无法解码的文本".into(),
                });
            }
            (text.into_owned(), enc.name())
        } else if let Ok(s) = std::str::from_utf8(bytes) {
            (s.to_string(), "UTF-8")
        } else if let Some(enc) = utf16_without_bom(&bytes[..bytes.len().min(8192)]) {
            let (text, _) = enc.decode_without_bom_handling(bytes);
            (text.into_owned(), enc.name())
        } else {
            let (text, had_errors) = GB18030.decode_without_bom_handling(bytes);
            if had_errors {
                return Err(ReadError::NotASpreadsheet {
                    detected: "既不是 UTF-8 也不是 GBK 编码的文本".into(),
                });
            }
            (text.into_owned(), "GB18030")
        };
    if text.contains('\0') {
        return Err(ReadError::NotASpreadsheet {
            detected: "二进制文件".into(),
        });
    }
    let delimiter = sniff_delimiter(&text, extension);
    Ok(CsvText {
        text,
        delimiter,
        encoding,
    })
}

/// Picks the delimiter that splits the first lines most consistently. Quoted text is skipped so
/// a comma inside "1,200" does not count.
pub(crate) fn sniff_delimiter(text: &str, extension: &str) -> u8 {
    let lines: Vec<&str> = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .take(30)
        .collect();
    let count = |line: &str, d: char| {
        let mut in_quotes = false;
        let mut n = 0usize;
        for c in line.chars() {
            if c == '"' {
                in_quotes = !in_quotes;
            } else if c == d && !in_quotes {
                n += 1;
            }
        }
        n
    };
    let mut best = (
        if extension == "tsv" { b'\t' } else { b',' },
        0usize,
        0usize,
    );
    for d in ['\t', ',', ';'] {
        let counts: Vec<usize> = lines.iter().map(|l| count(l, d)).collect();
        // The most common non-zero count and how many lines have it.
        let mut freq: std::collections::HashMap<usize, usize> = std::collections::HashMap::new();
        for &c in counts.iter().filter(|&&c| c > 0) {
            *freq.entry(c).or_default() += 1;
        }
        let Some((&mode, &lines_with_mode)) = freq.iter().max_by_key(|(c, n)| (**n, **c)) else {
            continue;
        };
        if (lines_with_mode, mode) > (best.1, best.2) {
            best = (d as u8, lines_with_mode, mode);
        }
    }
    best.0
}

/// Streams the records as rows of text cells. Row numbers count records, as Excel does when it
/// opens the file (a quoted line break stays inside its cell).
pub(crate) fn stream(
    csv: &CsvText,
    limits: &Limits,
    sheet: &str,
    keep: Option<&ColumnKeep>,
    f: &mut dyn FnMut(RawRow) -> ControlFlow<()>,
) -> Result<StreamStats, ReadError> {
    let mut reader = ::csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(csv.delimiter)
        .from_reader(csv.text.as_bytes());
    let mut stats = StreamStats::default();
    let mut record = ::csv::StringRecord::new();
    let mut row: u32 = 0;
    loop {
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                return Err(ReadError::Corrupt {
                    detail: e.to_string(),
                });
            }
        }
        row = row.saturating_add(1);
        let mut cells = Vec::with_capacity(record.len().min(limits.max_columns as usize));
        for (i, field) in record.iter().enumerate() {
            if field.is_empty() {
                continue;
            }
            if i >= limits.max_columns as usize {
                stats.note_beyond(row, i as u32);
                continue;
            }
            if !kept(keep, i as u32) {
                continue;
            }
            let cell = Cell::Text(field.to_string());
            if !cell.is_empty() {
                cells.push((i as u16, cell));
            }
        }
        if cells.is_empty() {
            continue;
        }
        stats.rows += 1;
        if stats.rows > limits.max_rows {
            return Err(ReadError::TooManyRows {
                sheet: sheet.to_string(),
                limit: limits.max_rows,
            });
        }
        if f(RawRow { row, cells }).is_break() {
            break;
        }
    }
    Ok(stats)
}
