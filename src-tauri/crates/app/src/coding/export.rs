//! Code lists for label printers and print shops: one code per line under a `code` header, as
//! CSV or as xlsx. Both stream: the CSV through a buffered file, the xlsx through
//! rust_xlsxwriter's constant-memory mode (rows go to a temporary file as they are written), so a
//! million codes need a few megabytes of memory, not a few hundred. Both write through
//! `sheets::safe`, like every tracedesk export (imported codes are text from outside).

use crate::messages::Msg;
use std::fs::File;
use std::path::{Path, PathBuf};

use rust_xlsxwriter::{Format, Workbook, XlsxError};
use sheets::safe::{CsvOut, write_text, write_text_with_format};

use crate::{ApiError, ExportFormat, Result};

/// The header of the single column.
pub(crate) const HEADER: &str = "code";

/// Rows of one worksheet: Excel's 1,048,576 minus the header.
const ROWS_PER_SHEET: u32 = 1_048_575;

pub(crate) fn format_of(path: &Path, asked: Option<ExportFormat>) -> ExportFormat {
    asked.unwrap_or_else(|| {
        match path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
            .as_deref()
        {
            Some("xlsx") => ExportFormat::Xlsx,
            _ => ExportFormat::Csv,
        }
    })
}

/// Where codes go.
pub(crate) enum Sink {
    Csv {
        out: Box<CsvOut<File>>,
        path: PathBuf,
    },
    Xlsx {
        workbook: Box<Workbook>,
        header: Box<Format>,
        sheet: usize,
        row: u32,
        path: PathBuf,
    },
}

impl Sink {
    /// Creates the file now (so a bad path fails before any serial is reserved) and writes the
    /// header.
    pub(crate) fn create(path: &Path, format: ExportFormat) -> Result<Sink> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty())
            && !dir.is_dir()
        {
            return Err(ApiError::cannot_write(
                path,
                "the folder does not exist / 文件夹不存在",
            ));
        }
        let file = File::create(path).map_err(|e| ApiError::cannot_write(path, e))?;
        match format {
            ExportFormat::Csv => {
                let mut out = Box::new(CsvOut::new(file, 256 * 1024));
                out.text_record(&[HEADER])
                    .map_err(|e| ApiError::cannot_write(path, e))?;
                Ok(Sink::Csv {
                    out,
                    path: path.to_path_buf(),
                })
            }
            ExportFormat::Xlsx => {
                // The workbook is written to `path` at the end; the empty file made above proves
                // the path is writable and marks the place.
                drop(file);
                let mut sink = Sink::Xlsx {
                    workbook: Box::new(Workbook::new()),
                    header: Box::new(Format::new().set_bold()),
                    sheet: 0,
                    row: 0,
                    path: path.to_path_buf(),
                };
                sink.new_sheet()?;
                Ok(sink)
            }
        }
    }

    fn new_sheet(&mut self) -> Result<()> {
        let Sink::Xlsx {
            workbook,
            header,
            sheet,
            row,
            path,
        } = self
        else {
            return Ok(());
        };
        let xlsx = |e: XlsxError| ApiError::cannot_write(path, e);
        let count = workbook.worksheets().len();
        let ws = workbook
            .add_worksheet_with_constant_memory()
            .map_err(xlsx)?;
        let name = if count == 0 {
            "追溯码".to_owned()
        } else {
            format!("追溯码{}", count + 1)
        };
        ws.set_name(&name).map_err(xlsx)?;
        ws.set_column_width(0, 48).map_err(xlsx)?;
        write_text_with_format(ws, 0, 0, HEADER, header).map_err(xlsx)?;
        *sheet = count;
        *row = 1;
        Ok(())
    }

    /// Appends one code.
    pub(crate) fn write(&mut self, code: &str) -> Result<()> {
        match self {
            Sink::Csv { out, path } => out
                .text_record(&[code])
                .map_err(|e| ApiError::cannot_write(path, e)),
            Sink::Xlsx { row, .. } => {
                if *row > ROWS_PER_SHEET {
                    self.new_sheet()?;
                }
                let Sink::Xlsx {
                    workbook,
                    sheet,
                    row,
                    path,
                    ..
                } = self
                else {
                    unreachable!("matched above")
                };
                workbook
                    .worksheet_from_index(*sheet)
                    .and_then(|ws| write_text(ws, *row, 0, code))
                    .map_err(|e| ApiError::cannot_write(path, e))?;
                *row += 1;
                Ok(())
            }
        }
    }

    /// Flushes and closes the file.
    pub(crate) fn finish(self) -> Result<()> {
        match self {
            Sink::Csv { out, path } => out
                .finish()
                .and_then(|file| file.sync_all())
                .map_err(|e| ApiError::cannot_write(&path, e)),
            Sink::Xlsx {
                mut workbook, path, ..
            } => workbook
                .save(&path)
                .map_err(|e| ApiError::cannot_write(&path, e)),
        }
    }

    /// Gives up: closes and removes the partial file.
    pub(crate) fn abandon(self) {
        let path = match self {
            Sink::Csv { path, .. } | Sink::Xlsx { path, .. } => path,
        };
        // Best effort: a partial list that stays behind would still only hold reserved serials.
        let _ = std::fs::remove_file(path);
    }
}

/// Reads the codes of a list written by [`Sink`] (or any text/CSV file with one code per line):
/// the first column of each line, unquoted; blank lines and a header line are skipped. Returns
/// `(line number, code)` pairs.
pub(crate) fn read_code_list(path: &Path) -> Result<Vec<(u32, String)>> {
    let bytes = std::fs::read(path).map_err(|e| {
        Msg::CannotRead {
            path: path.to_path_buf(),
            error: e.to_string(),
        }
        .err()
    })?;
    if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        return Err(Msg::CodeListIsWorkbook {
            path: path.to_path_buf(),
        }
        .err());
    }
    let text = String::from_utf8(bytes).map_err(|_| {
        Msg::CodeListNotUtf8 {
            path: path.to_path_buf(),
        }
        .err()
    })?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let mut out = Vec::new();
    for (index, line) in text.lines().enumerate() {
        // A list tracedesk wrote (or Excel saved) keeps a formula-like code as `'…`.
        let field = first_field(line);
        let code = sheets::safe::restore(&field).to_owned();
        if code.is_empty() {
            continue;
        }
        if out.is_empty() && is_header(&code) {
            continue;
        }
        out.push((index as u32 + 1, code));
    }
    Ok(out)
}

fn is_header(text: &str) -> bool {
    let lower = text.to_ascii_lowercase();
    matches!(
        lower.as_str(),
        "code" | "codes" | "追溯码" | "编码" | "ecode" | "数字身份码" | "标识码"
    ) || !text.chars().any(|c| c.is_ascii_alphanumeric())
}

/// The first field of a CSV line (or the whole line of a text file), unquoted and trimmed.
fn first_field(line: &str) -> String {
    let line = line.trim_end_matches(['\r', '\n']);
    let trimmed = line.trim_start();
    if let Some(rest) = trimmed.strip_prefix('"') {
        let mut out = String::new();
        let mut chars = rest.chars().peekable();
        while let Some(c) = chars.next() {
            if c == '"' {
                if chars.peek() == Some(&'"') {
                    chars.next();
                    out.push('"');
                } else {
                    break;
                }
            } else {
                out.push(c);
            }
        }
        return out.trim().to_owned();
    }
    let end = trimmed.find([',', '\t']).unwrap_or(trimmed.len());
    trimmed[..end].trim().to_owned()
}
