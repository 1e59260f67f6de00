//! Explicit limits, and the checks that run before calamine sees a file: the container is sniffed
//! by its bytes, zip entries are checked for declared sizes (zip bombs), OLE files for encryption,
//! and `.xls`/`.ods` workbooks for what calamine would allocate while opening them: a dense grid
//! of values and one of formulas for every sheet entry (entries may name the same data), the
//! cells it holds while building them, and the text it clones into cells ([`xls`], [`ods`]).

mod ods;
mod xls;

use std::io::{Cursor, Read};

use codes::Message;
use encoding_rs::{Encoding, UTF_16BE, UTF_16LE};

use crate::place::cell_ref;
use crate::problem::{ReadError, human_bytes};

/// Every limit the reader enforces. [`Limits::default`] is what the app uses; tests lower them.
#[derive(Debug, Clone)]
pub struct Limits {
    /// Largest file accepted, in bytes (default 100 MiB).
    pub max_file_bytes: u64,
    /// Most non-blank rows read from one sheet (default 1,000,000). One more and the read stops
    /// with [`ReadError::TooManyRows`]; `.xls`/`.ods` sheets are refused before any row is read.
    pub max_rows: u32,
    /// Columns read from the left (default 200, A..GR). Cells further right, such as a stray value
    /// in XFD1048576, are ignored with one warning and never allocated.
    pub max_columns: u16,
    /// The header is searched for within this many rows from the top (default 30).
    pub header_search_rows: u32,
    /// A sheet with this many blank rows after the table ends the table: any later rows are
    /// stray values, skipped with one warning (default 1,000).
    pub stray_gap_rows: u32,
    /// Longest cell text kept (Excel's own limit, 32,767 characters); longer text is cut with a
    /// warning.
    pub max_cell_chars: usize,
    /// Zip containers (xlsx, xlsm, xlsb, ods): most entries (default 10,000)…
    pub max_zip_entries: usize,
    /// …largest declared uncompressed entry (default 1 GiB)…
    pub max_zip_entry_bytes: u64,
    /// …largest declared uncompressed total (default 2 GiB)…
    pub max_zip_total_bytes: u64,
    /// …and highest compression ratio (default 200:1) for entries above `zip_ratio_floor_bytes`
    /// (default 16 MiB). Real sheets compress 5–40:1; deflate's ceiling is about 1,030:1.
    pub max_zip_ratio: u64,
    pub zip_ratio_floor_bytes: u64,
    /// `.xls` and `.ods` are loaded by calamine as dense grids over the used range; a sheet whose
    /// range spans more cells than this (default 10,000,000, about 320 MB) is refused up front.
    /// The same cap applies to what calamine reserves or holds for one sheet while building its
    /// grid (an `.xls` DIMENSIONS record, an `.ods` table's cells before rows are repeated).
    pub max_dense_cells: u64,
    /// …and calamine builds the grids of *every* sheet entry while opening the file, entries that
    /// point at the same data included: the values and formula grids of all entries together
    /// (plus 8 cells per entry for its bookkeeping) may span at most this many cells (default
    /// 10,000,000), or the file is refused with [`ReadError::TooManyCells`] before it is opened.
    pub max_total_cells: u64,
    /// Text calamine would clone into the cells of all sheets of an `.xls`/`.ods` (a shared
    /// string in every cell that names it, repeated cells, `text:s` runs of spaces), in bytes
    /// (default 256 MiB); more is refused with [`ReadError::TooMuchText`].
    pub max_total_text_bytes: u64,
}

pub const MIB: u64 = 1024 * 1024;

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_file_bytes: 100 * MIB,
            max_rows: 1_000_000,
            max_columns: 200,
            header_search_rows: 30,
            stray_gap_rows: 1_000,
            max_cell_chars: 32_767,
            max_zip_entries: 10_000,
            max_zip_entry_bytes: 1024 * MIB,
            max_zip_total_bytes: 2048 * MIB,
            max_zip_ratio: 200,
            zip_ratio_floor_bytes: 16 * MIB,
            max_dense_cells: 10_000_000,
            max_total_cells: 10_000_000,
            max_total_text_bytes: 256 * MIB,
        }
    }
}

/// What the bytes of a file say it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Container {
    Xlsx,
    Xlsb,
    Ods,
    Xls,
    Text,
}

/// Decides what a file is from its bytes (the extension only breaks ties), and refuses hostile or
/// foreign files with a typed error before any parser allocates for them.
pub(crate) fn sniff(
    bytes: &[u8],
    extension: &str,
    limits: &Limits,
) -> Result<Container, ReadError> {
    if bytes.is_empty() {
        return Err(ReadError::Empty);
    }
    if bytes.len() as u64 > limits.max_file_bytes {
        return Err(ReadError::TooLarge {
            size: bytes.len() as u64,
            limit: limits.max_file_bytes,
        });
    }
    if bytes.starts_with(b"PK\x03\x04")
        || bytes.starts_with(b"PK\x05\x06")
        || bytes.starts_with(b"PK\x07\x08")
    {
        return inspect_zip(bytes, limits);
    }
    if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        return inspect_ole(bytes, limits);
    }
    if let Some(detected) = foreign_magic(bytes) {
        return Err(ReadError::NotASpreadsheet {
            detected: detected.into(),
        });
    }
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(2048)]).to_ascii_lowercase();
    let head = head.trim_start_matches('\u{feff}').trim_start();
    if head.starts_with("<!doctype html") || head.starts_with("<html") || head.starts_with("<table")
    {
        return Err(ReadError::Disguised {
            detected: "网页（HTML）".into(),
        });
    }
    if head.starts_with("<?xml") && head.contains("urn:schemas-microsoft-com:office:spreadsheet") {
        return Err(ReadError::Disguised {
            detected: "Excel 2003 XML 表格".into(),
        });
    }
    if head.starts_with("<?xml") || head.starts_with("{\\rtf") {
        return Err(ReadError::NotASpreadsheet {
            detected: "XML 或 RTF 文档".into(),
        });
    }
    if looks_like_text(bytes) {
        return Ok(Container::Text);
    }
    let detected = match extension {
        "xlsx" | "xlsm" | "xlsb" | "ods" => "损坏的或非表格的二进制文件",
        "xls" => "非 Excel 97-2003 格式的二进制文件",
        _ => "二进制文件",
    };
    Err(ReadError::NotASpreadsheet {
        detected: detected.into(),
    })
}

fn foreign_magic(bytes: &[u8]) -> Option<&'static str> {
    const MAGIC: &[(&[u8], &str)] = &[
        (b"\x89PNG\r\n\x1a\n", "PNG 图片"),
        (b"\xFF\xD8\xFF", "JPEG 图片"),
        (b"GIF87a", "GIF 图片"),
        (b"GIF89a", "GIF 图片"),
        (b"BM", "BMP 图片"),
        (b"%PDF", "PDF 文档"),
        (b"Rar!", "RAR 压缩包"),
        (b"7z\xBC\xAF\x27\x1C", "7z 压缩包"),
        (b"\x1F\x8B", "gzip 压缩包"),
        (b"MZ", "可执行程序"),
        (b"\x7FELF", "可执行程序"),
        (b"RIFF", "音视频或图片（RIFF）"),
        (b"II*\x00", "TIFF 图片"),
        (b"MM\x00*", "TIFF 图片"),
    ];
    if bytes.len() >= 12 && &bytes[4..8] == b"ftyp" {
        return Some("视频或 HEIC 图片");
    }
    MAGIC
        .iter()
        .find(|(m, _)| bytes.starts_with(m))
        .map(|(_, d)| *d)
}

/// Text if the start has no NUL (outside UTF-16) and few control characters.
fn looks_like_text(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(8192)];
    if head.starts_with(&[0xFF, 0xFE]) || head.starts_with(&[0xFE, 0xFF]) {
        return true;
    }
    if utf16_without_bom(head).is_some() {
        return true;
    }
    let control = head
        .iter()
        .filter(|&&b| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0C | 0x1A))
        .count();
    !head.contains(&0) && control * 100 <= head.len()
}

fn inspect_zip(bytes: &[u8], limits: &Limits) -> Result<Container, ReadError> {
    let mut archive =
        zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| ReadError::Truncated {
            detail: e.to_string(),
        })?;
    if archive.len() > limits.max_zip_entries {
        return Err(ReadError::ZipBomb {
            entry: format!("{} 个条目", archive.len()),
            declared: 0,
            compressed: bytes.len() as u64,
        });
    }
    let mut total: u64 = 0;
    let mut names = Vec::with_capacity(archive.len());
    for i in 0..archive.len() {
        let entry = archive.by_index_raw(i).map_err(|e| ReadError::Truncated {
            detail: e.to_string(),
        })?;
        let declared = entry.size();
        let compressed = entry.compressed_size().max(1);
        let name = entry.name().map(|n| n.into_owned()).unwrap_or_default();
        total = total.saturating_add(declared);
        let ratio_too_high =
            declared > limits.zip_ratio_floor_bytes && declared / compressed > limits.max_zip_ratio;
        if declared > limits.max_zip_entry_bytes
            || total > limits.max_zip_total_bytes
            || ratio_too_high
        {
            return Err(ReadError::ZipBomb {
                entry: name,
                declared,
                compressed,
            });
        }
        names.push(name);
    }
    let has = |n: &str| names.iter().any(|x| x.eq_ignore_ascii_case(n));
    if has("xl/workbook.xml") {
        return Ok(Container::Xlsx);
    }
    if has("xl/workbook.bin") {
        return Ok(Container::Xlsb);
    }
    if has("content.xml") || has("mimetype") {
        let mimetype = read_small_entry(&mut archive, "mimetype", 1024).unwrap_or_default();
        if !mimetype.is_empty() && !mimetype.contains("spreadsheet") {
            return Err(ReadError::NotASpreadsheet {
                detected: format!("OpenDocument 非表格文档（{}）", mimetype.trim()),
            });
        }
        let manifest =
            read_small_entry(&mut archive, "META-INF/manifest.xml", MIB).unwrap_or_default();
        if manifest.contains("encryption-data") {
            return Err(ReadError::Encrypted);
        }
        return Ok(Container::Ods);
    }
    let detected = if has("word/document.xml") {
        "Word 文档"
    } else if has("ppt/presentation.xml") {
        "PowerPoint 演示文稿"
    } else if names.iter().any(|n| n.starts_with("xl/")) {
        "不完整的 Excel 文件（缺少工作簿）"
    } else {
        "ZIP 压缩包"
    };
    Err(ReadError::NotASpreadsheet {
        detected: detected.into(),
    })
}

fn read_small_entry(
    archive: &mut zip::ZipArchive<Cursor<&[u8]>>,
    name: &str,
    max: u64,
) -> Option<String> {
    let entry = archive.by_name(name).ok()?;
    if entry.size() > max {
        return None;
    }
    let mut text = String::new();
    entry.take(max).read_to_string(&mut text).ok()?;
    Some(text)
}

fn inspect_ole(bytes: &[u8], limits: &Limits) -> Result<Container, ReadError> {
    let file = guard(|| cfb::CompoundFile::open(Cursor::new(bytes))).and_then(|r| {
        r.map_err(|e| ReadError::Truncated {
            detail: e.to_string(),
        })
    })?;
    if file.exists("/EncryptionInfo") || file.exists("/EncryptedPackage") {
        return Err(ReadError::Encrypted);
    }
    let stream = ["/Workbook", "/Book", "/WORKBOOK", "/BOOK"]
        .into_iter()
        .find(|s| file.is_stream(s));
    let Some(stream) = stream else {
        let detected = if file.exists("/WordDocument") {
            "Word 97-2003 文档（.doc）"
        } else if file.exists("/PowerPoint Document") {
            "PowerPoint 97-2003 演示文稿"
        } else {
            "不含工作簿的 OLE 复合文档"
        };
        return Err(ReadError::NotASpreadsheet {
            detected: detected.into(),
        });
    };
    let mut file = file;
    let mut workbook = Vec::new();
    file.open_stream(stream)
        .and_then(|mut s| s.read_to_end(&mut workbook))
        .map_err(|e| ReadError::Truncated {
            detail: e.to_string(),
        })?;
    xls::scan(&workbook, &mut Budget::new(limits))?;
    Ok(Container::Xls)
}

/// Runs `f`, turning a panic inside a parser we do not own into a typed error. calamine and cfb
/// are robust in practice; this is the last line of the "no panic on hostile input" promise.
pub(crate) fn guard<T>(f: impl FnOnce() -> T) -> Result<T, ReadError> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)).map_err(|_| ReadError::Corrupt {
        detail: "the spreadsheet parser failed on this file".into(),
    })
}

/// `.ods`: `content.xml` streamed and every table sized the way calamine will build it.
pub(crate) fn scan_ods(bytes: &[u8], limits: &Limits) -> Result<(), ReadError> {
    ods::scan(bytes, &mut Budget::new(limits))
}

/// Bytes calamine spends on a `String` besides its text.
pub(crate) const STRING_BYTES: u64 = 24;
/// What one sheet entry costs calamine besides its cells (name, metadata, map entry), in cells.
const SHEET_CELLS: u64 = 8;

/// The rectangle a dense grid spans (0-based, inclusive).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) enum Extent {
    #[default]
    Empty,
    Cells {
        rows: (u32, u32),
        cols: (u32, u32),
    },
}

impl Extent {
    fn cells(&self) -> u64 {
        match *self {
            Extent::Empty => 0,
            Extent::Cells { rows, cols } => {
                (u64::from(rows.1) - u64::from(rows.0) + 1)
                    * (u64::from(cols.1) - u64::from(cols.0) + 1)
            }
        }
    }

    fn last(&self) -> (u32, u32) {
        match *self {
            Extent::Empty => (0, 0),
            Extent::Cells { rows, cols } => (rows.1, cols.1),
        }
    }
}

/// What calamine allocates for one sheet entry.
#[derive(Debug, Clone, Default)]
pub(crate) struct SheetCost {
    pub values: Extent,
    pub formulas: Extent,
    /// Cells reserved or held while the grids are built, and the far cell that makes them.
    pub reserved: u64,
    pub reserved_last: (u32, u32),
    /// Bytes of text cloned into cells.
    pub text: u64,
}

/// The running total of what opening a workbook would allocate, checked as each sheet entry is
/// added: each sheet against [`Limits::max_dense_cells`], all together against
/// [`Limits::max_total_cells`] and [`Limits::max_total_text_bytes`].
pub(crate) struct Budget<'a> {
    limits: &'a Limits,
    sheets: usize,
    cells: u64,
    text: u64,
}

impl<'a> Budget<'a> {
    pub fn new(limits: &'a Limits) -> Self {
        Budget {
            limits,
            sheets: 0,
            cells: 0,
            text: 0,
        }
    }

    fn charge_cells(&mut self, cells: u64) -> Result<(), ReadError> {
        self.cells = self.cells.saturating_add(cells);
        if self.cells > self.limits.max_total_cells {
            return Err(ReadError::TooManyCells {
                sheets: self.sheets,
                cells: self.cells,
                limit: self.limits.max_total_cells,
            });
        }
        Ok(())
    }

    /// One more sheet entry.
    pub fn charge_sheet(&mut self) -> Result<(), ReadError> {
        self.sheets += 1;
        self.charge_cells(SHEET_CELLS)
    }

    /// Text calamine clones, in bytes.
    pub fn charge_text(&mut self, bytes: u64) -> Result<(), ReadError> {
        self.text = self.text.saturating_add(bytes);
        if self.text > self.limits.max_total_text_bytes {
            return Err(ReadError::TooMuchText {
                bytes: self.text,
                limit: self.limits.max_total_text_bytes,
            });
        }
        Ok(())
    }

    /// A sheet entry's grids; `name` is only built for a message.
    pub fn add(
        &mut self,
        name: impl FnOnce() -> String,
        cost: &SheetCost,
    ) -> Result<(), ReadError> {
        let parts = [
            (cost.values.cells(), cost.values.last()),
            (cost.formulas.cells(), cost.formulas.last()),
            (cost.reserved, cost.reserved_last),
        ];
        for (cells, (row, col)) in parts {
            if cells > self.limits.max_dense_cells {
                return Err(ReadError::SheetTooLarge {
                    sheet: name(),
                    cells,
                    last_cell: cell_ref(row.saturating_add(1), col),
                    limit: self.limits.max_dense_cells,
                });
            }
        }
        self.charge_cells(cost.values.cells() + cost.formulas.cells())?;
        self.charge_text(cost.text)
    }
}

/// The limits in force, in words, for the crate docs and the UI's help text.
pub fn describe_limits(limits: &Limits) -> Message {
    Message::new(
        format!(
            "单个文件不超过 {}；每个工作表不超过 {} 行数据、只读取前 {} 列；前 {} 行内须有表头",
            human_bytes(limits.max_file_bytes),
            limits.max_rows,
            limits.max_columns,
            limits.header_search_rows
        ),
        format!(
            "files up to {} bytes; up to {} data rows per sheet and the first {} columns; the header must be within the first {} rows",
            limits.max_file_bytes, limits.max_rows, limits.max_columns, limits.header_search_rows
        ),
    )
}

/// UTF-16 without a BOM shows as NUL bytes at every other position; returns the encoding.
pub(crate) fn utf16_without_bom(head: &[u8]) -> Option<&'static Encoding> {
    let pairs = head.len() / 2;
    if pairs < 4 {
        return None;
    }
    let even_nul = head
        .chunks_exact(2)
        .filter(|p| p[0] == 0 && p[1] != 0)
        .count();
    let odd_nul = head
        .chunks_exact(2)
        .filter(|p| p[1] == 0 && p[0] != 0)
        .count();
    if odd_nul * 10 >= pairs * 7 {
        Some(UTF_16LE)
    } else if even_nul * 10 >= pairs * 7 {
        Some(UTF_16BE)
    } else {
        None
    }
}
