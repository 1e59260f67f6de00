//! Dates: Excel serial numbers (1900 and 1904 systems) and dates typed as text, to and from
//! `time::Date`.

use time::{Date, Duration, Month};

use super::{fold_width, is_blank};

pub(crate) fn format_date(d: Date) -> String {
    format!("{:04}-{:02}-{:02}", d.year(), d.month() as u8, d.day())
}

/// Why a serial or a typed date is not a date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum DateFault {
    /// Not a date format we read.
    Invalid,
    /// Shaped like a date but not in the calendar (2025-02-30, Excel's 1900-02-29).
    Impossible(String),
}

/// Converts an Excel serial to a calendar date (the time of day is dropped).
///
/// 1900 system: serial 1 is 1900-01-01; serial 60 is the 1900-02-29 that Excel invents (Lotus
/// 1-2-3's leap-year bug) and is refused; from 61 on, day 0 is 1899-12-30. 1904 system: serial 0
/// is 1904-01-01. Excel's range ends at 9999-12-31.
pub fn excel_serial_to_date(serial: f64, epoch_1904: bool) -> Option<Date> {
    serial_to_date(serial, epoch_1904).ok()
}

pub(crate) fn serial_to_date(serial: f64, epoch_1904: bool) -> Result<Date, DateFault> {
    if !serial.is_finite() || serial < 0.0 {
        return Err(DateFault::Invalid);
    }
    let days = serial.floor() as i64;
    let (base, offset) = if epoch_1904 {
        (time::macros::date!(1904 - 01 - 01), days)
    } else if days == 0 {
        return Err(DateFault::Impossible("1900-01-00".into()));
    } else if days == 60 {
        return Err(DateFault::Impossible("1900-02-29".into()));
    } else if days < 60 {
        (time::macros::date!(1899 - 12 - 31), days)
    } else {
        (time::macros::date!(1899 - 12 - 30), days)
    };
    if offset > 2_958_465 {
        return Err(DateFault::Invalid);
    }
    base.checked_add(Duration::days(offset))
        .filter(|d| d.year() <= 9999)
        .ok_or(DateFault::Invalid)
}

/// The inverse, for writing dates back (1900 system).
pub(crate) fn date_to_serial_1900(d: Date) -> f64 {
    let base = time::macros::date!(1899 - 12 - 30);
    let days = (d - base).whole_days();
    days as f64
}

fn ymd(y: i64, m: i64, d: i64) -> Result<Date, DateFault> {
    if !(1900..=9999).contains(&y) || !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return Err(DateFault::Invalid);
    }
    let month = Month::try_from(m as u8).map_err(|_| DateFault::Invalid)?;
    Date::from_calendar_date(y as i32, month, d as u8)
        .map_err(|_| DateFault::Impossible(format!("{y:04}-{m:02}-{d:02}")))
}

/// Reads `2025/3/4`, `2025-03-04`, `2025年3月4日`, `20250304`, `2025.3.4`, with or without a time
/// after the date. Year first only: `3/4/2025` is ambiguous (March 4 or April 3) and refused.
pub(crate) fn parse_date_text(input: &str) -> Result<Date, DateFault> {
    let folded = fold_width(input);
    let s = folded.trim_matches(is_blank);
    let s = s.replace(['年', '月'], "-").replace(['日', '号'], " ");
    let s = s.trim();
    let date_part = s
        .split(|c: char| c == 'T' || c.is_whitespace())
        .next()
        .unwrap_or("");
    if date_part.len() == 8 && date_part.bytes().all(|b| b.is_ascii_digit()) {
        let n: i64 = date_part.parse().map_err(|_| DateFault::Invalid)?;
        return ymd(n / 10_000, n / 100 % 100, n % 100);
    }
    let parts: Vec<&str> = date_part.split(['-', '/', '.']).collect();
    if parts.len() != 3
        || parts
            .iter()
            .any(|p| p.is_empty() || p.len() > 4 || !p.bytes().all(|b| b.is_ascii_digit()))
    {
        return Err(DateFault::Invalid);
    }
    if parts[0].len() != 4 {
        return Err(DateFault::Invalid);
    }
    let n = |p: &str| p.parse::<i64>().map_err(|_| DateFault::Invalid);
    ymd(n(parts[0])?, n(parts[1])?, n(parts[2])?)
}
