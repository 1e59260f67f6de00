//! Any bytes under any spreadsheet name (xlsx, xls, ods, csv): the reader either refuses with a
//! reason or reads the first sheet as receipts. No panic, no hang, no unbounded allocation.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sheets::{ReadOptions, RecordKind, Workbook};

const NAMES: [&str; 5] = ["a.xlsx", "a.xls", "a.ods", "a.csv", "a.xlsb"];

fuzz_target!(|data: &[u8]| {
    let Some((&pick, body)) = data.split_first() else {
        return;
    };
    let name = NAMES[usize::from(pick) % NAMES.len()];
    let Ok(mut book) = Workbook::from_bytes(body.to_vec(), name) else {
        return;
    };
    let Some(sheet) = book.sheets().first().map(|s| s.name.clone()) else {
        return;
    };
    let today = time::macros::date!(2025 - 07 - 15);
    let _ = book.read(&sheet, RecordKind::Receipt, &ReadOptions::new(today));
});
