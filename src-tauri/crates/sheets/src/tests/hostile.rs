//! Legacy workbooks built by hand to make calamine allocate far more than the file is worth:
//! many sheet entries over one large grid, a DIMENSIONS record declaring billions of cells, one
//! shared string cloned into every cell, runs of spaces, and a `content.xml` that ends inside a
//! table. Each must end in a typed error before calamine opens the file, quickly.

use std::io::Write;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use crate::{Limits, ReadError, Workbook};

// ---- .ods -----------------------------------------------------------------------------------

const ODS_MIME: &str = "application/vnd.oasis.opendocument.spreadsheet";

/// An .ods holding `tables` (the `table:table` elements) as LibreOffice lays the package out.
pub(crate) fn ods(tables: &str) -> Vec<u8> {
    let content = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body><office:spreadsheet>{tables}</office:spreadsheet></office:body></office:document-content>"#
    );
    ods_package(&content)
}

fn ods_package(content: &str) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let stored =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    let deflated = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    zip.start_file("mimetype", stored).expect("entry");
    zip.write_all(ODS_MIME.as_bytes()).expect("write");
    zip.start_file("META-INF/manifest.xml", deflated)
        .expect("entry");
    zip.write_all(
        br#"<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>"#,
    )
    .expect("write");
    zip.start_file("content.xml", deflated).expect("entry");
    zip.write_all(content.as_bytes()).expect("write");
    zip.finish().expect("zip").into_inner()
}

/// `copies` tables, each a 1,000 × 1,000 block of one number written as one row element
/// repeated 1,000 times holding one cell repeated 1,000 times: a few hundred bytes each, a
/// million cells each once calamine has built it.
pub(crate) fn ods_many_tables(copies: usize) -> Vec<u8> {
    let tables: String = (0..copies)
        .map(|i| {
            format!(
                r#"<table:table table:name="副本{i}"><table:table-row table:number-rows-repeated="1000"><table:table-cell office:value-type="float" office:value="1" table:number-columns-repeated="1000"/></table:table-row></table:table>"#
            )
        })
        .collect();
    ods(&tables)
}

// ---- .xls -----------------------------------------------------------------------------------

fn record(out: &mut Vec<u8>, typ: u16, data: &[u8]) {
    out.extend_from_slice(&typ.to_le_bytes());
    out.extend_from_slice(&(data.len() as u16).to_le_bytes());
    out.extend_from_slice(data);
}

fn bof(kind: u16) -> Vec<u8> {
    let mut d = vec![0u8; 16];
    d[0..2].copy_from_slice(&0x0600u16.to_le_bytes());
    d[2..4].copy_from_slice(&kind.to_le_bytes());
    d
}

fn number(row: u16, col: u16, value: f64) -> Vec<u8> {
    let mut d = Vec::with_capacity(14);
    d.extend_from_slice(&row.to_le_bytes());
    d.extend_from_slice(&col.to_le_bytes());
    d.extend_from_slice(&0u16.to_le_bytes());
    d.extend_from_slice(&value.to_le_bytes());
    d
}

/// A BIFF8 workbook stream: `entries` BOUNDSHEET records all pointing at the one sheet whose
/// records are `sheet`, and the shared strings `sst` (if any).
pub(crate) fn biff8(entries: usize, sst: Option<&[u8]>, sheet: &[(u16, Vec<u8>)]) -> Vec<u8> {
    let build = |sheet_at: u32| {
        let mut g = Vec::new();
        record(&mut g, 0x0809, &bof(0x0005));
        for i in 0..entries {
            let name = format!("S{i}");
            let mut d = Vec::new();
            d.extend_from_slice(&sheet_at.to_le_bytes());
            d.extend_from_slice(&[0, 0, name.len() as u8, 0]);
            d.extend_from_slice(name.as_bytes());
            record(&mut g, 0x0085, &d);
        }
        if let Some(sst) = sst {
            record(&mut g, 0x00FC, sst);
        }
        record(&mut g, 0x000A, &[]);
        g
    };
    let globals_len = build(0).len() as u32;
    let mut stream = build(globals_len);
    record(&mut stream, 0x0809, &bof(0x0010));
    for (typ, data) in sheet {
        record(&mut stream, *typ, data);
    }
    record(&mut stream, 0x000A, &[]);
    stream
}

/// The stream as an .xls file (an OLE compound file with a `Workbook` stream).
pub(crate) fn xls(stream: &[u8]) -> Vec<u8> {
    let mut file = cfb::CompoundFile::create(std::io::Cursor::new(Vec::new())).expect("cfb");
    file.create_stream("/Workbook")
        .expect("stream")
        .write_all(stream)
        .expect("write");
    file.flush().expect("flush");
    file.into_inner().into_inner()
}

/// `copies` sheet entries naming one sheet with a number in A1 and one in GR5000: a million
/// cells per entry once calamine has built it.
pub(crate) fn xls_many_entries(copies: usize) -> Vec<u8> {
    xls(&biff8(
        copies,
        None,
        &[
            (0x0203, number(0, 0, 1.0)),
            (0x0203, number(4_999, 199, 2.0)),
        ],
    ))
}

// ---- tests ----------------------------------------------------------------------------------

#[track_caller]
fn refused(bytes: Vec<u8>, name: &str, limits: Limits) -> ReadError {
    let started = Instant::now();
    let err = match Workbook::from_bytes_with(bytes, name, limits) {
        Ok(wb) => panic!("{name} should be refused, opened as {wb:?}"),
        Err(e) => e,
    };
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "{name}: refused only after {:?}",
        started.elapsed()
    );
    assert!(!err.message().zh.is_empty() && !err.message().en.is_empty());
    err
}

#[test]
fn handmade_workbooks_open_when_they_are_small() {
    // The builders make files calamine reads: the hostile ones differ only in size.
    let mut wb = Workbook::from_bytes(ods_many_tables(2), "two.ods").expect("opens");
    assert_eq!(wb.sheets().len(), 2);
    let grid = wb.grid("副本1", Some(3)).expect("grid");
    assert_eq!(grid.rows.len(), 3);
    assert_eq!(
        grid.rows[0].cells.len(),
        200,
        "the first 200 columns are read"
    );

    let mut wb = Workbook::from_bytes(xls_many_entries(2), "two.xls").expect("opens");
    assert_eq!(wb.sheets().len(), 2);
    let grid = wb.grid("S1", None).expect("grid");
    assert_eq!(grid.rows.first().map(|r| r.row), Some(1));
    assert_eq!(grid.rows.last().map(|r| r.row), Some(5_000));
}

#[test]
fn many_sheet_entries_over_one_large_grid_are_refused_before_opening() {
    // 40 entries × 1,000,000 cells: each sheet is within the per-sheet cap, together they are
    // 40,000,000 cells (1.3 GB of grids) calamine would build while opening the file.
    let cases = [
        ("副本.ods", ods_many_tables(40)),
        ("副本.xls", xls_many_entries(40)),
    ];
    for (name, bytes) in cases {
        assert!(bytes.len() < 64 * 1024, "{name}: {} bytes", bytes.len());
        let err = refused(bytes, name, Limits::default());
        assert_eq!(err.code(), "file.too-many-cells", "{name}: {err}");
        assert!(
            err.message().zh.contains("个工作表"),
            "{}",
            err.message().zh
        );
    }
    // The limit is on the sum: with a higher one the same file opens.
    let limits = Limits {
        max_total_cells: 50_000_000,
        ..Limits::default()
    };
    Workbook::from_bytes_with(ods_many_tables(3), "three.ods", limits.clone()).expect("opens");
    Workbook::from_bytes_with(xls_many_entries(3), "three.xls", limits).expect("opens");
}

#[test]
fn an_xls_dimensions_record_declaring_billions_of_cells_is_refused() {
    // calamine reserves what DIMENSIONS declares (rows are 32-bit in BIFF8) before any cell.
    let mut dims = Vec::new();
    dims.extend_from_slice(&0u32.to_le_bytes());
    dims.extend_from_slice(&4_000_000_000u32.to_le_bytes());
    dims.extend_from_slice(&0u16.to_le_bytes());
    dims.extend_from_slice(&200u16.to_le_bytes());
    dims.extend_from_slice(&0u16.to_le_bytes());
    let bytes = xls(&biff8(
        1,
        None,
        &[(0x0200, dims), (0x0203, number(0, 0, 1.0))],
    ));
    let err = refused(bytes, "dims.xls", Limits::default());
    assert_eq!(err.code(), "sheet.too-large", "{err}");
    assert!(
        err.message().zh.contains("GR4000000000"),
        "{}",
        err.message().zh
    );
}

#[test]
fn text_cloned_into_many_cells_is_refused_before_opening() {
    // .xls: one 8,000-character shared string named by 40,000 cells: 320 MB of copies.
    let mut sst = Vec::new();
    sst.extend_from_slice(&1u32.to_le_bytes());
    sst.extend_from_slice(&1u32.to_le_bytes());
    sst.extend_from_slice(&8_000u16.to_le_bytes());
    sst.push(0);
    sst.extend(std::iter::repeat_n(b'x', 8_000));
    let cells: Vec<(u16, Vec<u8>)> = (0..40_000u32)
        .map(|i| {
            let mut d = Vec::new();
            d.extend_from_slice(&((i / 8) as u16).to_le_bytes());
            d.extend_from_slice(&((i % 8) as u16).to_le_bytes());
            d.extend_from_slice(&0u16.to_le_bytes());
            d.extend_from_slice(&0u32.to_le_bytes());
            (0x00FD, d)
        })
        .collect();
    let err = refused(
        xls(&biff8(1, Some(&sst), &cells)),
        "sst.xls",
        Limits::default(),
    );
    assert_eq!(err.code(), "file.too-much-text", "{err}");

    // .ods: a cell of a million spaces (text:s) repeated across 1,000 columns: 1 GB.
    let bytes = ods(
        r#"<table:table table:name="空格"><table:table-row><table:table-cell office:value-type="string" table:number-columns-repeated="1000"><text:p><text:s text:c="1000000"/></text:p></table:table-cell></table:table-row></table:table>"#,
    );
    let err = refused(bytes, "spaces.ods", Limits::default());
    assert_eq!(err.code(), "file.too-much-text", "{err}");
}

#[test]
fn an_ods_whose_content_ends_inside_a_table_is_refused_without_hanging() {
    // calamine waits for the table's end tag forever when content.xml ends first.
    let bytes = ods_package(
        r#"<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"><office:body><office:spreadsheet><table:table table:name="断"><table:table-row><table:table-cell office:value-type="float" office:value="1"/></table:table-row>"#,
    );
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(Workbook::from_bytes(bytes, "cut.ods").map(|_| ()));
    });
    let result = rx
        .recv_timeout(Duration::from_secs(10))
        .expect("opening a cut .ods must not hang");
    let err = result.expect_err("refused");
    assert_eq!(err.code(), "file.truncated", "{err}");
}
