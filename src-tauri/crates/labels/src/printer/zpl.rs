//! ZPL II (Zebra). References are to the ZPL II Programming Guide (Zebra 45541L-004 and later).
//!
//! Every field goes through `^FH\` (field hexadecimal, ^FH): `\`, `^` and `~` in data are sent
//! as `\5C`, `\5E`, `\7E`, so no data can end the field or start a command.
//!
//! GS1 DataMatrix (^BX, quality 200): FNC1 is the escape sequence `_1` (^BX, "Quality 200 …
//! _1 to _3 for FNC characters 1 to 3", "_ in data is encoded by __"), first in the data for GS1
//! and again for each separator. The escape character is parameter `g`; its default differs by
//! firmware (`_` on V60.13.0.12, `~` on others), so we always set it to `_`. ^FH processing
//! happens before the escape processing (same section), which is why `_` is doubled even
//! though ^FH leaves it alone.
//!
//! GS1-128 (^BC mode N): our own code-set plan written with the invocation codes of ^BC's
//! "Code 128 Invocation Characters" table: `>;`/`>:`/`>9` start in set C/B/A, `>5`/`>6`/`>7`
//! switch to C/B/A, `>8` is FNC1, `><` is a `>` in the data. Mode N with explicit start codes
//! prints exactly our symbol characters; the automatic modes would re-plan the sets and, in
//! mode D, rewrite parentheses.

use std::fmt::Write as _;

use super::bitmap::Bitmap;
use super::layout::{FontSize, Mark};
use super::profile::PrinterProfile;
use super::{Language, Native, SymbolAt, write_marks};
use crate::code128::{CodeSet, Op};
use crate::gs1::GS;
use crate::symbol::Symbol;

/// `^FH\` escaping of field data.
pub(crate) fn fh(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\5C"),
            '^' => out.push_str("\\5E"),
            '~' => out.push_str("\\7E"),
            c => out.push(c),
        }
    }
    out
}

/// ^BX quality 200 data with `_` as the escape character: FNC1 first, GS → `_1`, `_` → `__`.
fn data_matrix(data: &str) -> String {
    let mut out = String::from("_1");
    for c in data.chars() {
        match c {
            GS => out.push_str("_1"),
            '_' => out.push_str("__"),
            c => out.push(c),
        }
    }
    out
}

/// ^BC mode N field data for a code-set plan, or `None` if it holds a control character.
fn code128(ops: &[Op]) -> Option<String> {
    let mut out = String::new();
    for op in ops {
        match *op {
            Op::Start(CodeSet::A) => out.push_str(">9"),
            Op::Start(CodeSet::B) => out.push_str(">:"),
            Op::Start(CodeSet::C) => out.push_str(">;"),
            Op::Switch(CodeSet::A) => out.push_str(">7"),
            Op::Switch(CodeSet::B) => out.push_str(">6"),
            Op::Switch(CodeSet::C) => out.push_str(">5"),
            Op::Fnc1 => out.push_str(">8"),
            Op::Pair(a, b) => {
                out.push(char::from(a));
                out.push(char::from(b));
            }
            Op::Char(b'>') => out.push_str("><"),
            Op::Char(c) if c.is_ascii_graphic() || c == b' ' => out.push(char::from(c)),
            Op::Char(_) => return None,
        }
    }
    Some(out)
}

fn graphic(out: &mut String, x: i32, y: i32, bitmap: &Bitmap) {
    let row_bytes = bitmap.row_bytes();
    let total = row_bytes * bitmap.height;
    let _ = write!(out, "^FO{x},{y}^GFA,{total},{total},{row_bytes},");
    for row in &bitmap.rows {
        for byte in row {
            let _ = write!(out, "{byte:02X}");
        }
    }
    out.push_str("^FS\n");
}

/// A label being written in ZPL.
struct Zpl {
    out: String,
}

impl Language for Zpl {
    fn image(&mut self, x: i32, y: i32, bitmap: &Bitmap) {
        graphic(&mut self.out, x, y, bitmap);
    }

    fn text(&mut self, x: i32, y: i32, size: &FontSize, text: &str) {
        let _ = writeln!(
            self.out,
            "^FO{x},{y}^A0N,{h},{h}^FH\\^FD{}^FS",
            fh(text),
            h = size.char_h
        );
    }

    fn native(&self, native: Native, _symbol: &Symbol, at: SymbolAt) -> Option<String> {
        let SymbolAt { module, bar_h, .. } = at;
        match native {
            Native::DataMatrix(d) => Some(format!(
                "^BXN,{module},200,0,0,6,_^FH\\^FD{}^FS",
                fh(&data_matrix(&d))
            )),
            Native::Qr(text) => Some(format!(
                "^BQN,2,{}^FH\\^FDMA,{}^FS",
                module.clamp(1, 10),
                fh(&text)
            )),
            Native::Code128(ops) => code128(&ops)
                .map(|d| format!("^BY{module}^BCN,{bar_h},N,N,N,N^FH\\^FD{}^FS", fh(&d))),
            Native::Ean13(d) => Some(format!("^BY{module}^BEN,{bar_h},N,N^FD{d}^FS")),
        }
    }

    fn symbol(&mut self, at: SymbolAt, command: &str) {
        let _ = writeln!(self.out, "^FO{},{}{command}", at.x, at.y);
    }
}

/// Appends one label (`^XA` … `^XZ`); returns how many symbols fell back to a bitmap.
pub(crate) fn label(job: &mut Vec<u8>, profile: &PrinterProfile, marks: &[Mark]) -> usize {
    let (w, h) = profile.label_dots();
    let mut zpl = Zpl { out: String::new() };
    // ^MN: Y = gap/notch (web) sensing, N = continuous media.
    let media = if profile.gap_mm > 0.0 { 'Y' } else { 'N' };
    let _ = writeln!(zpl.out, "^XA\n^PW{w}\n^LL{h}\n^LH0,0\n^MN{media}");
    let fallbacks = write_marks(&mut zpl, profile, marks);
    zpl.out.push_str("^PQ1\n^XZ\n");
    job.extend_from_slice(zpl.out.as_bytes());
    fallbacks
}
