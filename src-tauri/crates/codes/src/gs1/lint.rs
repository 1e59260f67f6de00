//! Character-set checks and the content linters of the GS1 Barcode Syntax Tests.
//!
//! Each function is a port of the reference implementation in gs1/gs1-syntax-engine
//! `src/c-lib/syntax/lint_<name>.c` (domain.md §A.10). They work on `&[char]` so that any input,
//! including Chinese or full-width characters, is handled without byte slicing. A failure gives
//! the fault and the offset (0-based, within the component) of the first offending character.

use std::collections::HashSet;
use std::sync::LazyLock;

use super::ai::{Cset, Linter};
use super::error::Gs1Error;
use crate::date::{days_in_month, gs1_full_year};

pub(crate) type LintResult = Result<(), (Gs1Error, usize)>;

/// GS1 AI encodable character set 82 (domain.md §A.6, `lint_cset82.c`).
pub fn is_cset82(c: char) -> bool {
    matches!(c, '!' | '"' | '%'..='?' | 'A'..='Z' | '_' | 'a'..='z')
}

/// GS1 AI encodable character set 39: `#-/0-9A-Z` (`lint_cset39.c`).
pub fn is_cset39(c: char) -> bool {
    matches!(c, '#' | '-' | '/' | '0'..='9' | 'A'..='Z')
}

/// base64url without padding: `-0-9A-Z_a-z` (`lint_cset64.c`).
pub fn is_cset64(c: char) -> bool {
    matches!(c, '-' | '0'..='9' | 'A'..='Z' | '_' | 'a'..='z')
}

pub(crate) fn check_cset(cset: Cset, data: &[char]) -> LintResult {
    match cset {
        Cset::Numeric => first_bad(data, |c| c.is_ascii_digit(), |ch| Gs1Error::NotDigit { ch }),
        Cset::Cset82 => first_bad(data, is_cset82, |ch| Gs1Error::NotCset82 { ch }),
        Cset::Cset39 => first_bad(data, is_cset39, |ch| Gs1Error::NotCset39 { ch }),
        Cset::Cset64 => {
            let pads = data.iter().rev().take_while(|&&c| c == '=').count();
            let len = data.len() - pads;
            if pads > 2 || (pads > 0 && !data.len().is_multiple_of(3)) {
                return Err((Gs1Error::Cset64Padding, len));
            }
            first_bad(&data[..len], is_cset64, |ch| Gs1Error::NotCset64 { ch })
        }
    }
}

fn first_bad(
    data: &[char],
    ok: impl Fn(char) -> bool,
    fault: impl Fn(char) -> Gs1Error,
) -> LintResult {
    match data.iter().position(|&c| !ok(c)) {
        Some(i) => Err((fault(data[i]), i)),
        None => Ok(()),
    }
}

fn digits_only(data: &[char]) -> LintResult {
    first_bad(data, |c| c.is_ascii_digit(), |ch| Gs1Error::NotDigit { ch })
}

fn digit(c: char) -> u32 {
    c.to_digit(10).unwrap_or(0)
}

fn number(data: &[char]) -> u32 {
    data.iter()
        .fold(0u32, |n, &c| n.saturating_mul(10).saturating_add(digit(c)))
}

fn text(data: &[char]) -> String {
    data.iter().collect()
}

/// The mod-10 check digit over `body` with weights 3,1,3,1… from the right (domain.md §A.1,
/// `lint_csum.c`). `None` if `body` holds a non-digit.
pub fn mod10_check_digit(body: &[char]) -> Option<u8> {
    let mut sum = 0u32;
    let mut weight = 3;
    for &c in body.iter().rev() {
        sum += weight * c.to_digit(10)?;
        weight = 4 - weight;
    }
    Some(((10 - sum % 10) % 10) as u8)
}

pub(crate) struct LintContext {
    /// For the two-digit-year century horizon (domain.md §A.5).
    pub current_year: i32,
}

pub(crate) fn run(linter: Linter, data: &[char], ctx: &LintContext) -> LintResult {
    use Linter::*;
    match linter {
        Csum => csum(data),
        CsumAlpha => csum_alpha(data),
        GcpPos1 => gcp(data),
        GcpPos2 => match data.split_first() {
            Some((_, rest)) if !rest.is_empty() => gcp(rest).map_err(|(e, i)| (e, i + 1)),
            _ => Err((Gs1Error::GcpTooShort, 0)),
        },
        Yymmd0 => yymmdd(data, true, ctx),
        Yymmdd => yymmdd(data, false, ctx),
        Yyyymmd0 => yyyymmdd(data, true),
        Yyyymmdd => yyyymmdd(data, false),
        Hhmi => {
            if data.len() != 4 {
                return Err((Gs1Error::Hour { hour: text(data) }, 0));
            }
            hh(&data[..2])?;
            mi(&data[2..]).map_err(|(e, i)| (e, i + 2))
        }
        Hh => hh(data),
        Mi => mi(data),
        Ss => {
            digits_only(data)?;
            if data.len() != 2 || number(data) > 59 {
                return Err((Gs1Error::Second { second: text(data) }, 0));
            }
            Ok(())
        }
        Iso3166 => {
            if is_iso3166(data) {
                Ok(())
            } else {
                Err((Gs1Error::NotIso3166 { code: text(data) }, 0))
            }
        }
        Iso3166With999 => {
            if data == ['9', '9', '9'] || is_iso3166(data) {
                Ok(())
            } else {
                Err((Gs1Error::NotIso3166Or999 { code: text(data) }, 0))
            }
        }
        Iso3166Alpha2 => {
            if ISO3166_ALPHA2.contains(text(data).as_str()) {
                Ok(())
            } else {
                Err((Gs1Error::NotIso3166Alpha2 { code: text(data) }, 0))
            }
        }
        Iso4217 => {
            if data.len() == 3
                && data.iter().all(char::is_ascii_digit)
                && ISO4217.contains(&number(data))
            {
                Ok(())
            } else {
                Err((Gs1Error::NotIso4217 { code: text(data) }, 0))
            }
        }
        Iso5218 => match data {
            ['0' | '1' | '2' | '9'] => Ok(()),
            _ => Err((Gs1Error::BiologicalSex, 0)),
        },
        PieceOfTotal => piece_of_total(data),
        Zero => {
            if !data.is_empty() && data.iter().all(|&c| c == '0') {
                Ok(())
            } else {
                Err((Gs1Error::NotZero, 0))
            }
        }
        NonZero => {
            digits_only(data)?;
            if data.iter().any(|&c| c != '0') {
                Ok(())
            } else {
                Err((Gs1Error::ZeroValue, 0))
            }
        }
        NoZeroPrefix => {
            if data.first() == Some(&'0') {
                return Err((Gs1Error::ZeroPrefix, 0));
            }
            digits_only(data)
        }
        HasNonDigit => {
            if data.iter().any(|c| !c.is_ascii_digit()) {
                Ok(())
            } else {
                Err((Gs1Error::NeedsNonDigit, 0))
            }
        }
        Winding => match data {
            ['0' | '1' | '9'] => Ok(()),
            _ => Err((Gs1Error::Winding, 0)),
        },
        YesNo => match data {
            ['0' | '1'] => Ok(()),
            _ => Err((Gs1Error::NotZeroOrOne, 0)),
        },
        Hyphen => {
            if !data.is_empty() && data.iter().all(|&c| c == '-') {
                Ok(())
            } else {
                Err((Gs1Error::NotHyphen, 0))
            }
        }
        ImporterIdx => match data {
            [c] if c.is_ascii_alphanumeric() || *c == '-' || *c == '_' => Ok(()),
            [c, ..] => Err((Gs1Error::ImporterIndex { ch: *c }, 0)),
            [] => Err((Gs1Error::EmptyValue, 0)),
        },
        PosInSeqSlash => pos_in_seq_slash(data),
        PercentEncoded => {
            let mut i = 0;
            while i < data.len() {
                if data[i] == '%' {
                    let ok = data.get(i + 1).is_some_and(char::is_ascii_hexdigit)
                        && data.get(i + 2).is_some_and(char::is_ascii_hexdigit);
                    if !ok {
                        return Err((Gs1Error::PercentSequence, i));
                    }
                    i += 2;
                }
                i += 1;
            }
            Ok(())
        }
        Latitude => {
            digits_only(data)?;
            if data.len() != 10 || u64::from(number(data)) > 1_800_000_000 {
                return Err((Gs1Error::Latitude, 0));
            }
            Ok(())
        }
        Longitude => {
            digits_only(data)?;
            // 3 600 000 000 does not fit in u32: compare as u64.
            let value = data.iter().fold(0u64, |n, &c| n * 10 + u64::from(digit(c)));
            if data.len() != 10 || value > 3_600_000_000 {
                return Err((Gs1Error::Longitude, 0));
            }
            Ok(())
        }
        Iban => iban(data),
        MediaType => {
            // lint_mediatype.c: 01–10 assigned by ICCBBA, 80–99 for local use.
            let ok = data.len() == 2
                && data.iter().all(char::is_ascii_digit)
                && matches!(number(data), 1..=10 | 80..=99);
            if ok {
                Ok(())
            } else {
                Err((Gs1Error::MediaType { code: text(data) }, 0))
            }
        }
        NotChecked(_) => Ok(()),
    }
}

/// `lint_csum.c`.
fn csum(data: &[char]) -> LintResult {
    digits_only(data)?;
    let Some((&last, body)) = data.split_last() else {
        return Err((Gs1Error::EmptyValue, 0));
    };
    let expected = mod10_check_digit(body).unwrap_or(0);
    if last.to_digit(10) == Some(u32::from(expected)) {
        Ok(())
    } else {
        Err((
            Gs1Error::CheckDigit {
                expected,
                found: last,
            },
            data.len() - 1,
        ))
    }
}

/// `lint_csumalpha.c`: the check character pair of GMN (8013) and MUDI (8014).
fn csum_alpha(data: &[char]) -> LintResult {
    const PRIMES: [u32; 97] = [
        2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47, 53, 59, 61, 67, 71, 73, 79, 83, 89,
        97, 101, 103, 107, 109, 113, 127, 131, 137, 139, 149, 151, 157, 163, 167, 173, 179, 181,
        191, 193, 197, 199, 211, 223, 227, 229, 233, 239, 241, 251, 257, 263, 269, 271, 277, 281,
        283, 293, 307, 311, 313, 317, 331, 337, 347, 349, 353, 359, 367, 373, 379, 383, 389, 397,
        401, 409, 419, 421, 431, 433, 439, 443, 449, 457, 461, 463, 467, 479, 487, 491, 499, 503,
        509,
    ];
    const CSET32: &[u8; 32] = b"23456789ABCDEFGHJKLMNPQRSTUVWXYZ";
    const CSET82: &str =
        "!\"%&'()*+,-./0123456789:;<=>?ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz";
    if data.len() < 2 {
        return Err((Gs1Error::CheckPairTooShort, 0));
    }
    if data.len() > PRIMES.len() + 2 {
        return Err((Gs1Error::CheckPairTooShort, 0));
    }
    let n = data.len();
    let mut sum = 0u32;
    for (pos, &c) in data[..n - 2].iter().enumerate() {
        let Some(weight) = CSET82.find(c) else {
            return Err((Gs1Error::NotCset82 { ch: c }, pos));
        };
        sum += weight as u32 * PRIMES[n - 3 - pos];
    }
    sum %= 1021;
    let expected: String = [
        CSET32[(sum >> 5) as usize] as char,
        CSET32[(sum & 31) as usize] as char,
    ]
    .iter()
    .collect();
    let found: String = data[n - 2..].iter().collect();
    if expected == found {
        Ok(())
    } else {
        Err((Gs1Error::CheckPair { expected, found }, n - 2))
    }
}

/// `lint_gcppos1.c`: a GS1 Company Prefix starts here, so at least its first 4 characters must
/// be digits (the GCP lookup of the reference is not done: it needs an online source).
fn gcp(data: &[char]) -> LintResult {
    if data.len() < 4 {
        return Err((Gs1Error::GcpTooShort, 0));
    }
    match data[..4].iter().position(|c| !c.is_ascii_digit()) {
        Some(i) => Err((Gs1Error::GcpNotDigits { ch: data[i] }, i)),
        None => Ok(()),
    }
}

/// `lint_yymmd0.c` / `lint_yymmdd.c` (domain.md §A.5): 6 digits; DD = 00 allowed only for
/// `yymmd0`.
fn yymmdd(data: &[char], allow_zero_day: bool, ctx: &LintContext) -> LintResult {
    digits_only(data)?;
    if data.len() != 6 {
        return Err((
            Gs1Error::Length {
                len: data.len(),
                min: 6,
                max: 6,
            },
            0,
        ));
    }
    let year = gs1_full_year(number(&data[..2]) as u8, ctx.current_year);
    date_rest(year, &data[2..], allow_zero_day).map_err(|(e, i)| (e, i + 2))
}

fn yyyymmdd(data: &[char], allow_zero_day: bool) -> LintResult {
    digits_only(data)?;
    if data.len() != 8 {
        return Err((
            Gs1Error::Length {
                len: data.len(),
                min: 8,
                max: 8,
            },
            0,
        ));
    }
    let year = number(&data[..4]) as i32;
    date_rest(year, &data[4..], allow_zero_day).map_err(|(e, i)| (e, i + 4))
}

/// `MMDD` of `year`.
fn date_rest(year: i32, mmdd: &[char], allow_zero_day: bool) -> LintResult {
    let month = number(&mmdd[..2]);
    if !(1..=12).contains(&month) {
        return Err((
            Gs1Error::Month {
                month: text(&mmdd[..2]),
            },
            0,
        ));
    }
    let day = number(&mmdd[2..]);
    let max = days_in_month(year, month as u8);
    if day == 0 && !allow_zero_day {
        return Err((Gs1Error::DayZero, 2));
    }
    if day > u32::from(max) {
        return Err((
            Gs1Error::Day {
                day: text(&mmdd[2..]),
                max,
            },
            2,
        ));
    }
    Ok(())
}

fn hh(data: &[char]) -> LintResult {
    digits_only(data)?;
    if data.len() != 2 || number(data) > 23 {
        return Err((Gs1Error::Hour { hour: text(data) }, 0));
    }
    Ok(())
}

fn mi(data: &[char]) -> LintResult {
    digits_only(data)?;
    if data.len() != 2 || number(data) > 59 {
        return Err((Gs1Error::Minute { minute: text(data) }, 0));
    }
    Ok(())
}

/// `lint_pieceoftotal.c`: first half the piece number, second half the total.
fn piece_of_total(data: &[char]) -> LintResult {
    digits_only(data)?;
    if data.is_empty() || !data.len().is_multiple_of(2) {
        return Err((Gs1Error::PieceExceedsTotal, 0));
    }
    let (piece, total) = data.split_at(data.len() / 2);
    if piece.iter().all(|&c| c == '0') {
        return Err((Gs1Error::ZeroPieceNumber, 0));
    }
    if total.iter().all(|&c| c == '0') {
        return Err((Gs1Error::ZeroTotalPieces, piece.len()));
    }
    // Equal lengths, so comparing the digit strings compares the numbers.
    if piece > total {
        return Err((Gs1Error::PieceExceedsTotal, 0));
    }
    Ok(())
}

/// `lint_posinseqslash.c`: `position/total`, neither with a leading zero, position ≤ total.
fn pos_in_seq_slash(data: &[char]) -> LintResult {
    let Some(slash) = data.iter().position(|&c| c == '/') else {
        return Err((Gs1Error::PositionInSequence, 0));
    };
    let (pos, end) = (&data[..slash], &data[slash + 1..]);
    let all_digits = |s: &[char]| !s.is_empty() && s.iter().all(char::is_ascii_digit);
    if !all_digits(pos) || !all_digits(end) {
        return Err((Gs1Error::PositionInSequence, 0));
    }
    if pos[0] == '0' {
        return Err((Gs1Error::ZeroPrefix, 0));
    }
    if end[0] == '0' {
        return Err((Gs1Error::ZeroPrefix, slash + 1));
    }
    if pos.len() > end.len() || (pos.len() == end.len() && pos > end) {
        return Err((Gs1Error::PositionExceedsEnd, 0));
    }
    Ok(())
}

/// `lint_iban.c`: ISO 13616 mod-97 check.
fn iban(data: &[char]) -> LintResult {
    if data.len() < 4 {
        return Err((Gs1Error::IbanTooShort, 0));
    }
    let country: String = data[..2].iter().collect();
    if !ISO3166_ALPHA2.contains(country.as_str()) {
        return Err((Gs1Error::IbanCountry { code: country }, 0));
    }
    if data.len() > 34 {
        return Err((Gs1Error::IbanTooLong, 0));
    }
    if data.len() <= 10 {
        return Err((Gs1Error::IbanTooShort, 0));
    }
    let mut csum = 0u32;
    for i in 4..data.len() + 4 {
        let at = if i < data.len() { i } else { i - data.len() };
        let c = data[at];
        let value = match c {
            '0'..='9' => digit(c),
            'A'..='Z' => c as u32 - 'A' as u32 + 10,
            _ => return Err((Gs1Error::IbanChar { ch: c }, at)),
        };
        csum = (csum * if value < 10 { 10 } else { 100 } + value) % 97;
    }
    if csum == 1 {
        Ok(())
    } else {
        Err((Gs1Error::IbanChecksum, 2))
    }
}

fn is_iso3166(data: &[char]) -> bool {
    data.len() == 3
        && data.iter().all(char::is_ascii_digit)
        && ISO3166_NUMERIC.contains(&number(data))
}

/// Reads one code per line, skipping `#` comments.
fn code_list(text: &'static str) -> impl Iterator<Item = &'static str> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
}

static ISO3166_NUMERIC: LazyLock<HashSet<u32>> = LazyLock::new(|| {
    code_list(include_str!("../../data/iso3166_numeric.txt"))
        .filter_map(|c| c.parse().ok())
        .collect()
});

static ISO3166_ALPHA2: LazyLock<HashSet<&'static str>> =
    LazyLock::new(|| code_list(include_str!("../../data/iso3166_alpha2.txt")).collect());

static ISO4217: LazyLock<HashSet<u32>> = LazyLock::new(|| {
    code_list(include_str!("../../data/iso4217_numeric.txt"))
        .filter_map(|c| c.parse().ok())
        .collect()
});

#[cfg(test)]
pub(crate) fn code_list_sizes() -> (usize, usize, usize) {
    (ISO3166_NUMERIC.len(), ISO3166_ALPHA2.len(), ISO4217.len())
}
