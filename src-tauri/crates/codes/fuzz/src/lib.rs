//! What the fuzz targets share: the input as text, checked on one fixed day.

use codes::YearMonthDay;

/// The fuzz input as text with the day the date rules are checked on; `None` when the input is
/// not UTF-8 (the targets check text, as the app receives it).
pub fn text_and_day(data: &[u8]) -> Option<(&str, YearMonthDay)> {
    let text = std::str::from_utf8(data).ok()?;
    Some((text, YearMonthDay::new(2025, 7, 15)?))
}
