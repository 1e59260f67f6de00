//! No parser panics, whatever the input: random and mutated bytes, Chinese and full-width text,
//! control characters. A small deterministic generator keeps it reproducible and fast (no
//! dependency, no clock).

use crate::check::{CodeKind, check, check_as};
use crate::date::YearMonthDay;
use crate::gs1::{self, DlOptions, ShortGtin};

/// xorshift64*: enough to spread inputs; not for anything secret.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

const SEEDS: &[&str] = &[
    "(01)06901234567892(10)B20250715-01(11)250715",
    "(01)06901234567892(17)271231(10)X1(21)A1",
    "(00)069012340000000016(02)06901234567892(37)120",
    "(8003)02112345678900ABC(8030)QUJD(253)1234567890128X",
    "(4309)17999999993599999999(7007)2112252112(8008)201225230060",
    "010690123456789210B20250715-01\u{1d}11250715",
    "^0112345678901231^",
    "]d2010952012345678810ABC123\u{1d}17271231",
    "]E02112345678900|]e099COMPOSITE\u{1d}98XYZ",
    "]Q1https://example.com/01/12312312312333?99=TEST",
    "https://id.gs1.org/01/09520123456788/10/ABC%2F1/21/12345?17=180426&x#f",
    "https://a/00/faux/00/006141411234567890?&&99=%2x",
    "(01) 09520123456788 (10) ABC123",
    "2016010901123456",
    "91350100M000100Y43",
    "10064123456789012345",
    "https://www.hgzcloud.com/q/ABC123",
];

const ALPHABET: &[char] = &[
    '(', ')', '\\', '^', '\u{1d}', '%', '/', '?', '&', '=', '#', ']', ' ', '0', '1', '2', '9', 'A',
    'z', '+', '批', '次', '０', '（', '\u{3000}', '\u{0}', '\u{FFFD}', 'é', '\n', ':',
];

fn mutate(rng: &mut Rng, seed: &str) -> String {
    let mut chars: Vec<char> = seed.chars().collect();
    for _ in 0..=rng.below(4) {
        let c = ALPHABET[rng.below(ALPHABET.len())];
        match rng.below(4) {
            0 if !chars.is_empty() => {
                let i = rng.below(chars.len());
                chars[i] = c;
            }
            1 => {
                let i = rng.below(chars.len() + 1);
                chars.insert(i, c);
            }
            2 if !chars.is_empty() => {
                let i = rng.below(chars.len());
                chars.remove(i);
            }
            _ => chars.truncate(rng.below(chars.len() + 1)),
        }
    }
    chars.into_iter().collect()
}

fn random_text(rng: &mut Rng) -> String {
    let len = rng.below(40);
    let bytes: Vec<u8> = (0..len).map(|_| rng.next() as u8).collect();
    String::from_utf8_lossy(&bytes).into_owned()
}

fn exercise(text: &str, today: YearMonthDay) {
    let report = check(text, today);
    assert_eq!(
        report.valid,
        !report.problems.iter().any(|p| p.is_error()),
        "{text:?}"
    );
    for scheme in [
        CodeKind::Gs1ElementString,
        CodeKind::Gs1DigitalLink,
        CodeKind::Ecode,
        CodeKind::CccCert,
        CodeKind::DigitalId,
    ] {
        let _ = check_as(text, scheme, today);
    }
    let _ = gs1::ElementString::parse_bracketed(text, today);
    let _ = gs1::ElementString::parse_raw(text, today);
    let _ = gs1::ElementString::parse_hri(text, today);
    let options = DlOptions {
        short_gtin: ShortGtin::PadWithWarning,
    };
    if let Ok(dl) = gs1::DigitalLink::parse(text, today, options) {
        // A valid link must render and read back to the same data.
        let again =
            gs1::DigitalLink::parse(&dl.to_uri(), today, options).expect("re-rendered link parses");
        assert_eq!(
            again.element_string().elements(),
            dl.element_string().elements(),
            "{text:?}"
        );
    }
    if let Ok(es) = gs1::ElementString::parse_bracketed(text, today) {
        let again =
            gs1::ElementString::parse_bracketed(&es.to_bracketed(), today).expect("round trip");
        assert_eq!(again, es);
        let raw = gs1::ElementString::parse_raw(&es.to_raw(), today).expect("raw round trip");
        assert_eq!(raw, es);
        let _ = es.to_digital_link(None);
    }
    let _ = gs1::ScanData::parse(text, today, options);
    let _ = crate::serial::CodePattern::parse(text).map(|p| p.render(Some(today), 7));
    let _ = crate::ccc::CccMarkNo::parse(text);
}

#[test]
fn no_parser_panics_on_random_or_mutated_input() {
    let today = YearMonthDay::new(2025, 7, 15).unwrap_or_else(|| unreachable!());
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    for seed in SEEDS {
        exercise(seed, today);
    }
    for _ in 0..4000 {
        let seed = SEEDS[rng.below(SEEDS.len())];
        let text = if rng.below(5) == 0 {
            random_text(&mut rng)
        } else {
            mutate(&mut rng, seed)
        };
        exercise(&text, today);
    }
    // The far-future century horizon too.
    let later = YearMonthDay::new(2080, 2, 29).unwrap_or_else(|| unreachable!());
    exercise("(01)06901234567892(11)000229", later);
}
