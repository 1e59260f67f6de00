//! A calendar date passed in by the caller. The crate never reads a clock: "today" is always a
//! parameter.
//!
//! A small type of its own rather than `time::Date`: the rules only need year, month and day and
//! the GS1 leap-year rule, and this keeps the rules crate free of a date library. Callers convert
//! at the edge (`YearMonthDay::new(d.year(), d.month() as u8, d.day())`).

use std::fmt;

use serde::Serialize;

/// A valid Gregorian calendar date. Invariant: `month` is 1–12 and `day` exists in that month.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct YearMonthDay {
    year: i32,
    month: u8,
    day: u8,
}

impl YearMonthDay {
    /// `None` when the month or the day does not exist.
    pub const fn new(year: i32, month: u8, day: u8) -> Option<Self> {
        if month < 1 || month > 12 || day == 0 || day > days_in_month(year, month) {
            return None;
        }
        Some(Self { year, month, day })
    }

    pub fn year(self) -> i32 {
        self.year
    }

    pub fn month(self) -> u8 {
        self.month
    }

    pub fn day(self) -> u8 {
        self.day
    }

    /// `YYMMDD`, the GS1 date form of AIs (11), (13), (15), (16), (17).
    pub fn to_yymmdd(self) -> String {
        format!(
            "{:02}{:02}{:02}",
            self.year.rem_euclid(100),
            self.month,
            self.day
        )
    }

    /// `YYYYMMDD`.
    pub fn to_yyyymmdd(self) -> String {
        format!("{:04}{:02}{:02}", self.year, self.month, self.day)
    }
}

impl fmt::Display for YearMonthDay {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

pub const fn is_leap_year(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

/// Days in `month` (1–12) of `year`; 0 for a month that does not exist.
pub const fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap_year(year) => 29,
        2 => 28,
        _ => 0,
    }
}

/// The full year of a two-digit GS1 year, using the horizon of the GS1 Syntax Engine
/// (`lint_yymmd0.c`, domain.md §A.5): with Δ = YY − (current year mod 100), Δ ≥ 51 → 19YY,
/// −50 < Δ < 51 → 20YY, otherwise 21YY. Only the century matters (leap years), so the century of
/// `current_year` is assumed to be the 21st, like the engine does.
pub fn gs1_full_year(yy: u8, current_year: i32) -> i32 {
    let delta = i32::from(yy) - current_year.rem_euclid(100);
    let century = if delta >= 51 {
        1900
    } else if delta > -50 {
        2000
    } else {
        2100
    };
    century + i32::from(yy)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_that_do_not_exist_are_refused() {
        assert!(YearMonthDay::new(2024, 2, 29).is_some());
        assert!(YearMonthDay::new(2023, 2, 29).is_none());
        assert!(
            YearMonthDay::new(2000, 2, 29).is_some(),
            "2000 is a leap year (divisible by 400)"
        );
        assert!(
            YearMonthDay::new(2100, 2, 29).is_none(),
            "2100 is not a leap year"
        );
        assert!(YearMonthDay::new(2025, 13, 1).is_none());
        assert!(YearMonthDay::new(2025, 4, 31).is_none());
        assert!(YearMonthDay::new(2025, 4, 0).is_none());
    }

    #[test]
    fn gs1_century_horizon_follows_the_syntax_engine() {
        // domain.md §A.5: Δ ≥ 51 → 19YY; −50 < Δ < 51 → 20YY; else 21YY.
        assert_eq!(gs1_full_year(0, 2025), 2000);
        assert_eq!(gs1_full_year(76, 2025), 1976); // Δ = 51
        assert_eq!(gs1_full_year(75, 2025), 2075); // Δ = 50
        assert_eq!(gs1_full_year(0, 2051), 2100); // Δ = −51
        assert_eq!(gs1_full_year(2, 2051), 2002); // Δ = −49
        assert_eq!(gs1_full_year(1, 2051), 2101); // Δ = −50
    }

    #[test]
    fn gs1_date_forms() {
        let d = YearMonthDay::new(2025, 7, 5).unwrap();
        assert_eq!(d.to_yymmdd(), "250705");
        assert_eq!(d.to_yyyymmdd(), "20250705");
        assert_eq!(d.to_string(), "2025-07-05");
    }
}
