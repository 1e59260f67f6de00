//! Keyboard-wedge scanner data (`]C1`, `]d2`, `]Q3`, `]e0`, `]E0`, …): no panic.
#![no_main]

use codes::gs1::{DlOptions, ScanData};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((text, today)) = codes_fuzz::text_and_day(data) else {
        return;
    };
    let _ = ScanData::parse(text, today, DlOptions::default());
    let _ = codes::check(text, today);
});
