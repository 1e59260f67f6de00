//! TSPL/TSPL2 (TSC; Xprinter, Deli and Godex in TSPL emulation). References are to TSC's
//! "TSPL/TSPL2 Programming Language" manual. Lines end in CR LF.
//!
//! GS1 DataMatrix (DMATRIX): `c126` makes `~` the escape character; `~1` is FNC1, first in the
//! data for GS1 and again for each separator; `~` in data is `~~` (DMATRIX parameter c#; the
//! same text is in the TSPL-compatible Brother FBPL reference, §6.9 DMATRIX).
//!
//! GS1-128 (BARCODE "128M", Code 128 with manual code sets): our own code-set plan with the
//! 128M escapes: `!103`/`!104`/`!105` start in set A/B/C, `!101`/`!100`/`!099` switch to
//! A/B/C, `!102` is FNC1. The manual gives no escape for a `!` in the data, so such data (and
//! control characters) goes as a bitmap instead.
//!
//! Strings: TSPL strings are in double quotes and firmware differs on how a `"` inside is
//! escaped, so symbol data with `"` goes as a bitmap and a `"` in text is printed as `'`.
//!
//! BITMAP data is binary, one bit per dot, rows of `width` bytes; a 0 bit prints (black) and a
//! 1 bit is blank (BITMAP, mode 0 OVERWRITE), the inverse of ZPL's ^GF.

use std::fmt::Write as _;

use super::bitmap::Bitmap;
use super::layout::{FontSize, Mark};
use super::profile::PrinterProfile;
use super::{Language, Native, SymbolAt, write_marks};
use crate::code128::{CodeSet, Op};
use crate::gs1::GS;
use crate::symbol::Symbol;

/// `12`, `12.5`: millimetres for SIZE and GAP.
fn mm(v: f32) -> String {
    let s = format!("{v:.2}");
    s.trim_end_matches('0').trim_end_matches('.').to_owned()
}

/// The job header: label size, gap, origin.
pub(crate) fn header(job: &mut Vec<u8>, profile: &PrinterProfile) {
    let text = format!(
        "SIZE {} mm,{} mm\r\nGAP {} mm,0 mm\r\nDIRECTION 0\r\nREFERENCE 0,0\r\n",
        mm(profile.label_width_mm),
        mm(profile.label_height_mm),
        mm(profile.gap_mm)
    );
    job.extend_from_slice(text.as_bytes());
}

/// DMATRIX data with `~` (c126) as the escape character.
fn data_matrix(data: &str) -> String {
    let mut out = String::from("~1");
    for c in data.chars() {
        match c {
            GS => out.push_str("~1"),
            '~' => out.push_str("~~"),
            c => out.push(c),
        }
    }
    out
}

/// BARCODE "128M" data for a plan, or `None` when it holds `!` or a control character.
fn code128(ops: &[Op]) -> Option<String> {
    let set_value = |set: CodeSet| match set {
        CodeSet::A => 101,
        CodeSet::B => 100,
        CodeSet::C => 99,
    };
    let mut out = String::new();
    for op in ops {
        match *op {
            Op::Start(CodeSet::A) => out.push_str("!103"),
            Op::Start(CodeSet::B) => out.push_str("!104"),
            Op::Start(CodeSet::C) => out.push_str("!105"),
            Op::Switch(set) => {
                let _ = write!(out, "!{:03}", set_value(set));
            }
            Op::Fnc1 => out.push_str("!102"),
            Op::Pair(a, b) => {
                out.push(char::from(a));
                out.push(char::from(b));
            }
            Op::Char(b'!') => return None,
            Op::Char(c) if c.is_ascii_graphic() || c == b' ' => out.push(char::from(c)),
            Op::Char(_) => return None,
        }
    }
    Some(out)
}

/// BITMAP x,y,width_bytes,height,0,data: a 0 bit prints.
fn image(job: &mut Vec<u8>, x: i32, y: i32, bitmap: &Bitmap) {
    let head = format!("BITMAP {x},{y},{},{},0,", bitmap.row_bytes(), bitmap.height);
    job.extend_from_slice(head.as_bytes());
    for row in &bitmap.rows {
        job.extend(row.iter().map(|b| !b));
    }
    job.extend_from_slice(b"\r\n");
}

/// A label being written in TSPL, `label_w` × `label_h` dots.
struct Tspl<'a> {
    job: &'a mut Vec<u8>,
    label_w: i32,
    label_h: i32,
}

impl Language for Tspl<'_> {
    fn image(&mut self, x: i32, y: i32, bitmap: &Bitmap) {
        image(self.job, x, y, bitmap);
    }

    fn text(&mut self, x: i32, y: i32, size: &FontSize, text: &str) {
        let line = format!(
            "TEXT {x},{y},\"{}\",0,1,1,\"{}\"\r\n",
            size.tspl_font,
            text.replace('"', "'")
        );
        self.job.extend_from_slice(line.as_bytes());
    }

    fn native(&self, native: Native, symbol: &Symbol, at: SymbolAt) -> Option<String> {
        let SymbolAt {
            x,
            y,
            module,
            bar_h,
        } = at;
        match native {
            Native::DataMatrix(d) => Some(format!(
                "DMATRIX {x},{y},{},{},c126,x{module},\"{}\"",
                self.label_w - x,
                self.label_h - y,
                data_matrix(&d)
            )),
            Native::Qr(text) => Some(format!(
                "QRCODE {x},{y},M,{},A,0,\"{text}\"",
                module.clamp(1, 10)
            )),
            Native::Code128(ops) => code128(&ops)
                .map(|d| format!("BARCODE {x},{y},\"128M\",{bar_h},0,0,{module},{module},\"{d}\"")),
            Native::Ean13(d) => Some(format!(
                "BARCODE {x},{y},\"EAN13\",{bar_h},0,0,{module},{module},\"{d}\""
            )),
        }
        .filter(|command| {
            command.matches('"').count() % 2 == 0 && !symbol.transmitted().contains('"')
        })
    }

    fn symbol(&mut self, _at: SymbolAt, command: &str) {
        self.job.extend_from_slice(command.as_bytes());
        self.job.extend_from_slice(b"\r\n");
    }
}

/// Appends one label (CLS … PRINT); returns how many symbols fell back to a bitmap.
pub(crate) fn label(job: &mut Vec<u8>, profile: &PrinterProfile, marks: &[Mark]) -> usize {
    let (label_w, label_h) = profile.label_dots();
    job.extend_from_slice(b"CLS\r\n");
    let mut tspl = Tspl {
        job: &mut *job,
        label_w,
        label_h,
    };
    let fallbacks = write_marks(&mut tspl, profile, marks);
    job.extend_from_slice(b"PRINT 1,1\r\n");
    fallbacks
}
