//! GS1 Digital Link URIs: no panic, and a valid link re-renders to a link with the same data.
#![no_main]

use codes::gs1::{DigitalLink, DlOptions, ShortGtin};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((text, today)) = codes_fuzz::text_and_day(data) else {
        return;
    };
    for short_gtin in [ShortGtin::Reject, ShortGtin::PadWithWarning] {
        let options = DlOptions { short_gtin };
        if let Ok(dl) = DigitalLink::parse(text, today, options) {
            let again =
                DigitalLink::parse(&dl.to_uri(), today, options).expect("a rendered link parses");
            assert_eq!(
                again.element_string().elements(),
                dl.element_string().elements()
            );
        }
    }
});
