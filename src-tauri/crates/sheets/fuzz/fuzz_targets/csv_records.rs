//! Header detection and cell coercion over any text a CSV can hold, for every record kind: the
//! first byte picks the kind, the rest is the file. No panic, no hang; every problem is located.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sheets::{ReadOptions, RecordKind, Workbook};

fuzz_target!(|data: &[u8]| {
    let Some((&pick, body)) = data.split_first() else {
        return;
    };
    let kind = RecordKind::ALL[usize::from(pick) % RecordKind::ALL.len()];
    let Ok(mut book) = Workbook::from_bytes(body.to_vec(), "台账.csv") else {
        return;
    };
    let Some(sheet) = book.sheets().first().map(|s| s.name.clone()) else {
        return;
    };
    let today = time::macros::date!(2025 - 07 - 15);
    let _ = book.detect_mapping(&sheet, kind);
    if let Ok(read) = book.read(&sheet, kind, &ReadOptions::new(today)) {
        for problem in read.all_problems() {
            assert!(!problem.message.zh.is_empty() && !problem.message.en.is_empty(), "{problem:?}");
        }
    }
});
