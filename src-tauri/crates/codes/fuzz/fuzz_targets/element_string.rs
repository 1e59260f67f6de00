//! Bracketed, raw and HRI element strings: no panic, and a valid string survives a round trip
//! through each of its renderings.
#![no_main]

use codes::ElementString;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((text, today)) = codes_fuzz::text_and_day(data) else {
        return;
    };
    for parsed in [
        ElementString::parse_bracketed(text, today),
        ElementString::parse_raw(text, today),
        ElementString::parse_hri(text, today),
    ] {
        if let Ok(es) = parsed {
            assert_eq!(
                ElementString::parse_bracketed(&es.to_bracketed(), today).as_ref(),
                Ok(&es)
            );
            assert_eq!(
                ElementString::parse_raw(&es.to_raw(), today).as_ref(),
                Ok(&es)
            );
            let _ = es.to_hri();
            let _ = es.to_digital_link(None);
        }
    }
    let _ = codes::check(text, today);
});
