//! Where a cell is, as Excel shows it: column letters and `A1` references. A leaf module.

/// `0 → A`, `25 → Z`, `26 → AA`, `16383 → XFD`.
pub fn column_letter(col: u16) -> String {
    column_letter_u32(u32::from(col))
}

pub(crate) fn column_letter_u32(col: u32) -> String {
    let mut n = col + 1;
    let mut out = Vec::new();
    while n > 0 {
        let rem = ((n - 1) % 26) as u8;
        out.push(b'A' + rem);
        n = (n - 1) / 26;
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

/// `A → 0`, `AA → 26`; `None` for anything that is not a column of Excel's 16,384.
pub fn column_index(letter: &str) -> Option<u16> {
    let letter = letter.trim();
    if letter.is_empty() || letter.len() > 3 {
        return None;
    }
    let mut n: u32 = 0;
    for b in letter.bytes() {
        let b = b.to_ascii_uppercase();
        if !b.is_ascii_uppercase() {
            return None;
        }
        n = n * 26 + u32::from(b - b'A' + 1);
    }
    if n == 0 || n > 16_384 {
        None
    } else {
        u16::try_from(n - 1).ok()
    }
}

/// `D5` from an Excel row number (1-based) and a 0-based column.
pub fn cell_ref(row: u32, col: u32) -> String {
    format!("{}{row}", column_letter_u32(col))
}
