//! Keyboard-wedge scanner data (`]C1`, `]d2`, `]Q3`, `]e0`, `]E0`, …): no panic.
#![no_main]

use codes::YearMonthDay;
use codes::gs1::{DlOptions, ScanData};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Some(today) = YearMonthDay::new(2025, 7, 15) else {
        return;
    };
    let _ = ScanData::parse(text, today, DlOptions::default());
    let _ = codes::check(text, today);
});
