//! The one way text leaves tracedesk for a spreadsheet: every cell of every xlsx and CSV file it
//! writes (list, trace and recall exports, the report, the upload workbook, import templates and
//! problem reports, code lists) goes through here, and a test over the source tree
//! (`app/tests/text_leaves_through_helpers.rs`) fails when a writer calls `write_string` or a
//! CSV writer anywhere else.
//!
//! The danger is "CSV injection" (OWASP): a name such as `=HYPERLINK("http://x","y")` or
//! `@SUM(1)` typed into a form or imported from a supplier's sheet would run as a formula in the
//! Excel or WPS of whoever opens the export. Following OWASP's guidance, text whose first
//! character could start a formula gets a leading apostrophe, so it stays text when the file is
//! opened, when a cell is edited, and when the sheet is saved again as CSV. In xlsx every such
//! cell is also written as a string cell, never as a formula. Numbers written as numbers
//! (quantities, negative balances) are not text and are never touched.

use std::borrow::Cow;
use std::io::Write;

use rust_xlsxwriter::{Format, Worksheet, XlsxError};

/// Whether a spreadsheet program could read `text` as the start of a formula: a leading `=`,
/// `+`, `-` or `@`, a leading tab or carriage return (OWASP's list), or the fullwidth `＝`, `＋`,
/// `－`, `＠` that a Chinese input method types and that WPS and Excel take as their ASCII forms.
pub fn could_be_formula(text: &str) -> bool {
    matches!(
        text.chars().next(),
        Some('=' | '+' | '-' | '@' | '\t' | '\r' | '＝' | '＋' | '－' | '＠')
    )
}

/// `text` as a spreadsheet must show it: unchanged, or with a leading `'` when it
/// [could be a formula](could_be_formula).
pub fn neutralise(text: &str) -> Cow<'_, str> {
    if could_be_formula(text) {
        Cow::Owned(format!("'{text}"))
    } else {
        Cow::Borrowed(text)
    }
}

/// The inverse of [`neutralise`], for reading a sheet back (a problem report fixed in Excel and
/// imported again, an export re-imported): a leading `'` before text that
/// [could be a formula](could_be_formula) is dropped; anything else is left as it is.
pub fn restore(text: &str) -> &str {
    match text.strip_prefix('\'') {
        Some(rest) if could_be_formula(rest) => rest,
        _ => text,
    }
}

/// Writes `text` at (`row`, `col`) as a string cell, neutralised.
pub fn write_text(ws: &mut Worksheet, row: u32, col: u16, text: &str) -> Result<(), XlsxError> {
    ws.write_string(row, col, neutralise(text).as_ref())?;
    Ok(())
}

/// [`write_text`] with a cell format.
pub fn write_text_with_format(
    ws: &mut Worksheet,
    row: u32,
    col: u16,
    text: &str,
    format: &Format,
) -> Result<(), XlsxError> {
    ws.write_string_with_format(row, col, neutralise(text).as_ref(), format)?;
    Ok(())
}

/// One field of a CSV record.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum CsvField<'a> {
    /// Text: neutralised, quoted where CSV needs it.
    Text(&'a str),
    /// A number, written as Rust prints it (`-3.5`): a negative number stays a number.
    Number(f64),
    Empty,
}

/// A CSV writer (the `csv` crate, RFC 4180 quoting, `\n` line ends) whose text fields are
/// [neutralised](neutralise). The file only ever receives whole records, so a process killed
/// mid-list leaves complete lines behind.
pub struct CsvOut<W: Write> {
    inner: ::csv::Writer<Whole<W>>,
    number: String,
}

/// Holds the bytes of the record being written and hands them to the buffer once the record is
/// complete (on `flush`, which [`CsvOut`] calls after each record; the buffer itself is flushed
/// to the file only when it is full and on `finish`).
struct Whole<W: Write> {
    pending: Vec<u8>,
    out: std::io::BufWriter<W>,
}

impl<W: Write> Write for Whole<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.pending.extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.out.write_all(&self.pending)?;
        self.pending.clear();
        Ok(())
    }
}

impl<W: Write> CsvOut<W> {
    /// Writes to `out` through a buffer of `capacity` bytes.
    pub fn new(out: W, capacity: usize) -> CsvOut<W> {
        CsvOut {
            inner: ::csv::WriterBuilder::new()
                .terminator(::csv::Terminator::Any(b'\n'))
                .flexible(true)
                .from_writer(Whole {
                    pending: Vec::new(),
                    out: std::io::BufWriter::with_capacity(capacity.max(1024), out),
                }),
            number: String::new(),
        }
    }

    /// Appends one record.
    pub fn record(&mut self, fields: &[CsvField<'_>]) -> std::io::Result<()> {
        for field in fields {
            match *field {
                CsvField::Text(text) => self.inner.write_field(neutralise(text).as_bytes()),
                CsvField::Number(n) => {
                    use std::fmt::Write as _;
                    self.number.clear();
                    let _ = write!(self.number, "{n}");
                    self.inner.write_field(self.number.as_bytes())
                }
                CsvField::Empty => self.inner.write_field(b""),
            }
            .map_err(csv_io)?;
        }
        self.end_record()
    }

    /// Appends a record of text fields.
    pub fn text_record(&mut self, fields: &[&str]) -> std::io::Result<()> {
        for text in fields {
            self.inner
                .write_field(neutralise(text).as_bytes())
                .map_err(csv_io)?;
        }
        self.end_record()
    }

    fn end_record(&mut self) -> std::io::Result<()> {
        self.inner.write_record(None::<&[u8]>).map_err(csv_io)?;
        self.inner.flush()
    }

    /// Flushes and gives back the underlying writer.
    pub fn finish(self) -> std::io::Result<W> {
        let whole = self
            .inner
            .into_inner()
            .map_err(|e| std::io::Error::other(e.error().to_string()))?;
        whole.out.into_inner().map_err(|e| e.into_error())
    }
}

fn csv_io(e: ::csv::Error) -> std::io::Error {
    match e.into_kind() {
        ::csv::ErrorKind::Io(e) => e,
        other => std::io::Error::other(format!("{other:?}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_that_could_start_a_formula_gets_an_apostrophe_and_other_text_is_left_alone() {
        for (input, expected) in [
            (
                "=HYPERLINK(\"http://x\",\"y\")",
                "'=HYPERLINK(\"http://x\",\"y\")",
            ),
            ("@SUM(1)", "'@SUM(1)"),
            ("+1", "'+1"),
            ("-2+3", "'-2+3"),
            ("\tcmd", "'\tcmd"),
            ("\rcmd", "'\rcmd"),
            ("＝1+1", "'＝1+1"),
            ("＋86 138", "'＋86 138"),
            ("－3", "'－3"),
            ("＠SUM(1)", "'＠SUM(1)"),
            ("=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0"),
            ("深圳示例=公司", "深圳示例=公司"),
            ("B-01", "B-01"),
            (" =1", " =1"),
            ("'already", "'already"),
            ("", ""),
        ] {
            assert_eq!(neutralise(input), expected, "{input:?}");
        }
    }

    #[test]
    fn restoring_undoes_neutralising_and_nothing_else() {
        for text in [
            "=1+1", "@SUM(1)", "-3", "＝1", "plain", "'quoted", "", "B-01",
        ] {
            assert_eq!(restore(&neutralise(text)), text, "{text:?}");
        }
        assert_eq!(restore("'plain"), "'plain");
    }

    #[test]
    fn csv_text_is_neutralised_and_quoted_while_numbers_stay_numbers() {
        let mut out = CsvOut::new(Vec::new(), 0);
        out.text_record(&["name", "qty"]).unwrap();
        out.record(&[
            CsvField::Text("=HYPERLINK(\"http://x\",\"y\")"),
            CsvField::Number(-3.5),
        ])
        .unwrap();
        out.record(&[CsvField::Text("@SUM(1)"), CsvField::Empty])
            .unwrap();
        out.record(&[CsvField::Text("a,b"), CsvField::Number(2.0)])
            .unwrap();
        let text = String::from_utf8(out.finish().unwrap()).unwrap();
        assert_eq!(
            text,
            "name,qty\n\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",-3.5\n'@SUM(1),\n\"a,b\",2\n"
        );
    }
}
