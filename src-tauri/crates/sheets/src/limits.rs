//! Explicit limits, and the checks that run before calamine sees a file: the container is sniffed
//! by its bytes, zip entries are checked for declared sizes (zip bombs), OLE files for encryption,
//! and `.xls`/`.ods` sheets for how large a dense grid calamine would allocate.

use std::io::{Cursor, Read};

use crate::problem::ReadError;
use crate::read::cell_ref;

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
    pub max_dense_cells: u64,
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
    if crate::csv::utf16_without_bom(head).is_some() {
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
    scan_biff(&workbook, limits)?;
    Ok(Container::Xls)
}

/// Runs `f`, turning a panic inside a parser we do not own into a typed error. calamine and cfb
/// are robust in practice; this is the last line of the "no panic on hostile input" promise.
pub(crate) fn guard<T>(f: impl FnOnce() -> T) -> Result<T, ReadError> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)).map_err(|_| ReadError::Corrupt {
        detail: "the spreadsheet parser failed on this file".into(),
    })
}

/// Walks the BIFF8 records of an `.xls` workbook stream: refuses encrypted workbooks (FILEPASS)
/// and sheets whose used range would make calamine allocate more than `max_dense_cells` cells.
fn scan_biff(stream: &[u8], limits: &Limits) -> Result<(), ReadError> {
    struct Bounds {
        offset: usize,
        min: (u32, u32),
        max: (u32, u32),
        any: bool,
    }
    let mut names: Vec<(u32, String)> = Vec::new();
    let mut sheets: Vec<Bounds> = Vec::new();
    let mut in_globals = true;
    let mut pos = 0usize;
    while pos + 4 <= stream.len() {
        let typ = u16::from_le_bytes([stream[pos], stream[pos + 1]]);
        let len = u16::from_le_bytes([stream[pos + 2], stream[pos + 3]]) as usize;
        let start = pos + 4;
        let end = (start + len).min(stream.len());
        let data = &stream[start..end];
        match typ {
            0x0809 if pos > 0 => {
                in_globals = false;
                sheets.push(Bounds {
                    offset: pos,
                    min: (u32::MAX, u32::MAX),
                    max: (0, 0),
                    any: false,
                });
            }
            0x002F if in_globals => return Err(ReadError::Encrypted),
            0x0085 if in_globals && data.len() >= 8 => {
                let offset = u32::from_le_bytes([data[0], data[1], data[2], data[3]]);
                let cch = data[6] as usize;
                let high = data[7] & 1 == 1;
                let name = if high {
                    let units: Vec<u16> = data[8..]
                        .chunks_exact(2)
                        .take(cch)
                        .map(|c| u16::from_le_bytes([c[0], c[1]]))
                        .collect();
                    String::from_utf16_lossy(&units)
                } else {
                    data[8..].iter().take(cch).map(|&b| b as char).collect()
                };
                names.push((offset, name));
            }
            0x0203 | 0x027E | 0x00FD | 0x0204 | 0x0006 | 0x0205 | 0x00D6 | 0x00BD
                if data.len() >= 4 =>
            {
                if let Some(sheet) = sheets.last_mut() {
                    let row = u16::from_le_bytes([data[0], data[1]]) as u32;
                    let col = u16::from_le_bytes([data[2], data[3]]) as u32;
                    let last_col = if typ == 0x00BD && data.len() >= 6 {
                        u16::from_le_bytes([data[data.len() - 2], data[data.len() - 1]]) as u32
                    } else {
                        col
                    };
                    sheet.any = true;
                    sheet.min = (sheet.min.0.min(row), sheet.min.1.min(col));
                    sheet.max = (sheet.max.0.max(row), sheet.max.1.max(last_col.max(col)));
                }
            }
            _ => {}
        }
        pos = start + len;
    }
    for sheet in sheets.iter().filter(|s| s.any) {
        let cells = (sheet.max.0 - sheet.min.0 + 1) as u64
            * (sheet.max.1.saturating_sub(sheet.min.1) + 1) as u64;
        if cells > limits.max_dense_cells {
            let name = names
                .iter()
                .find(|(o, _)| *o as usize == sheet.offset)
                .map(|(_, n)| n.clone());
            return Err(ReadError::SheetTooLarge {
                sheet: name.unwrap_or_default(),
                cells,
                last_cell: cell_ref(sheet.max.0 + 1, sheet.max.1),
                limit: limits.max_dense_cells,
            });
        }
    }
    Ok(())
}

/// The same check for `.ods`: streams `content.xml` and sizes every table's used range the way
/// calamine will (repeated rows and columns expanded).
pub(crate) fn scan_ods(bytes: &[u8], limits: &Limits) -> Result<(), ReadError> {
    use quick_xml::events::Event;
    let mut archive =
        zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| ReadError::Truncated {
            detail: e.to_string(),
        })?;
    let Ok(content) = archive.by_name("content.xml") else {
        return Err(ReadError::Corrupt {
            detail: "content.xml is missing".into(),
        });
    };
    let mut reader = quick_xml::Reader::from_reader(std::io::BufReader::new(content));
    let mut buf = Vec::new();
    let mut table = String::new();
    let mut row: u64 = 0; // rows before the current one
    let mut row_repeat: u64 = 1;
    let mut col: u64 = 0;
    let (mut min_row, mut max_row, mut min_col, mut max_col) = (u64::MAX, 0u64, u64::MAX, 0u64);
    let attr = |e: &quick_xml::events::BytesStart<'_>, name: &str| -> Option<String> {
        e.try_get_attribute(name)
            .ok()
            .flatten()
            .map(|a| a.value.into_owned())
    };
    let check = |table: &str, min_row: u64, max_row: u64, min_col: u64, max_col: u64| {
        if min_row == u64::MAX {
            return Ok(());
        }
        let cells = (max_row - min_row + 1).saturating_mul(max_col - min_col + 1);
        if cells > limits.max_dense_cells {
            return Err(ReadError::SheetTooLarge {
                sheet: table.to_string(),
                cells,
                last_cell: cell_ref(
                    (max_row + 1).min(u32::MAX as u64) as u32,
                    max_col.min(u32::MAX as u64) as u32,
                ),
                limit: limits.max_dense_cells,
            });
        }
        Ok(())
    };
    loop {
        buf.clear();
        let event = reader
            .read_event_into(&mut buf)
            .map_err(|e| ReadError::Corrupt {
                detail: e.to_string(),
            })?;
        match event {
            Event::Start(ref e) | Event::Empty(ref e) => {
                let self_closing = matches!(event, Event::Empty(_));
                match e.name().as_ref() {
                    "table:table" => {
                        table = attr(e, "table:name").unwrap_or_default();
                        (row, min_row, max_row, min_col, max_col) = (0, u64::MAX, 0, u64::MAX, 0);
                    }
                    "table:table-row" => {
                        let repeat: u64 = attr(e, "table:number-rows-repeated")
                            .and_then(|v| v.parse().ok())
                            .unwrap_or(1);
                        row_repeat = repeat.clamp(1, 1_048_576);
                        col = 0;
                        if self_closing {
                            row = (row + row_repeat).min(1_048_576);
                        }
                    }
                    "table:table-cell" | "table:covered-table-cell" => {
                        let repeat: u64 = attr(e, "table:number-columns-repeated")
                            .and_then(|v| v.parse().ok())
                            .unwrap_or(1);
                        let repeat = repeat.clamp(1, 16_384);
                        if attr(e, "office:value-type").is_some() {
                            min_row = min_row.min(row);
                            max_row = max_row.max(row + row_repeat - 1);
                            min_col = min_col.min(col);
                            max_col = max_col.max(col + repeat - 1);
                        }
                        col += repeat;
                    }
                    _ => {}
                }
            }
            Event::End(e) => match e.name().as_ref() {
                "table:table-row" => row = (row + row_repeat).min(1_048_576),
                "table:table" => check(&table, min_row, max_row, min_col, max_col)?,
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(())
}
