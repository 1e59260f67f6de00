//! The symbol vocabulary: what to encode ([`SymbolData`]) and what comes out ([`Symbol`]). A leaf
//! module: the encoders, the renderers and the error type all use it; encoding itself is in
//! `encode`.

use std::fmt;

/// A barcode symbology this crate can print.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Symbology {
    /// QR Code: GS1 QR for [`Content::Gs1`], a plain QR Code (e.g. a Digital Link URI) for
    /// [`Content::Text`].
    Qr,
    /// GS1 DataMatrix (ECC 200, square sizes, FNC1 in first position).
    Gs1DataMatrix,
    /// GS1-128: Code 128 starting with FNC1.
    Gs1_128,
    /// EAN-13 from a GTIN-13.
    Ean13,
    /// Plain Code 128 (数字身份码, Ecode, free ASCII text).
    Code128,
}

impl Symbology {
    /// Quiet zone in modules: `[top, right, bottom, left]`.
    ///
    /// QR Code 4X (ISO/IEC 18004). DataMatrix 2X: ISO/IEC 16022 and GS1 ask for at least 1X; the
    /// extra module absorbs die-cut and printer drift at a label edge. Code 128 and GS1-128 10X
    /// left and right (ISO/IEC 15417). EAN-13 11X left and 7X right (GS1 General Specifications
    /// §5.2.3.4). Linear symbols get 2X above and below so a raster never starts on a bar.
    pub fn quiet_zone(self) -> [u32; 4] {
        match self {
            Symbology::Qr => [4; 4],
            Symbology::Gs1DataMatrix => [2; 4],
            Symbology::Gs1_128 | Symbology::Code128 => [2, 10, 2, 10],
            Symbology::Ean13 => [2, 7, 2, 11],
        }
    }

    /// Whether the symbol is a 2D matrix (as opposed to bars).
    pub fn is_matrix(self) -> bool {
        matches!(self, Symbology::Qr | Symbology::Gs1DataMatrix)
    }

    /// The Chinese name shown to users.
    pub fn name_zh(self) -> &'static str {
        match self {
            Symbology::Qr => "二维码（QR）",
            Symbology::Gs1DataMatrix => "GS1 DataMatrix 码",
            Symbology::Gs1_128 => "GS1-128 条码",
            Symbology::Ean13 => "EAN-13 商品条码",
            Symbology::Code128 => "Code 128 条码",
        }
    }
}

impl fmt::Display for Symbology {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Symbology::Qr => "qr code",
            Symbology::Gs1DataMatrix => "gs1 datamatrix",
            Symbology::Gs1_128 => "gs1-128",
            Symbology::Ean13 => "ean-13",
            Symbology::Code128 => "code 128",
        })
    }
}

/// The data carried by a symbol.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Content {
    /// GS1 element strings as `(AI, value)` pairs in the order to encode, e.g.
    /// `("01", "09520123456788")`. FNC1 in first position is implied; separators are inserted
    /// after variable-length values that are not last.
    Gs1 { elements: Vec<(String, String)> },
    /// The same data as one string: the element strings concatenated with `\x1d` (GS) after each
    /// variable-length value that is not last, without a leading FNC1, e.g.
    /// `"010952012345678810ABC123\x1d2112345XYZ"`.
    Gs1ElementString(String),
    /// Text without GS1 semantics: a Digital Link URI for QR, a 数字身份码 or Ecode for Code 128,
    /// 13 digits for EAN-13.
    Text(String),
}

impl Content {
    pub(crate) fn kind(&self) -> &'static str {
        match self {
            Content::Gs1 { .. } | Content::Gs1ElementString(_) => "gs1",
            Content::Text(_) => "text",
        }
    }
}

/// What to encode, and the human-readable interpretation (HRI) to print with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SymbolData {
    pub symbology: Symbology,
    pub content: Content,
    /// HRI text (供人识读). Lines are separated by `\n`; linear symbols print them on one line
    /// joined by spaces, 2D symbols one under the other. EAN-13 always prints its 13 digits in
    /// the standard layout and ignores this field.
    pub hri: String,
}

impl SymbolData {
    /// Text data with the text itself as HRI.
    pub fn text(symbology: Symbology, text: impl Into<String>) -> Self {
        let text = text.into();
        Self {
            symbology,
            hri: text.clone(),
            content: Content::Text(text),
        }
    }
}

/// The modules of an encoded symbol, without quiet zones.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Modules {
    /// A 2D symbol: `dark[y * width + x]` is true for a dark module.
    Matrix {
        width: usize,
        height: usize,
        dark: Vec<bool>,
    },
    /// A linear symbol: `bars[x]` is true for a dark (bar) module, left to right.
    Linear { bars: Vec<bool> },
}

impl Modules {
    /// Width in modules.
    pub fn width(&self) -> usize {
        match self {
            Modules::Matrix { width, .. } => *width,
            Modules::Linear { bars } => bars.len(),
        }
    }
}

/// An encoded symbol, ready to render.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Symbol {
    pub(crate) symbology: Symbology,
    pub(crate) modules: Modules,
    pub(crate) hri: String,
    pub(crate) transmitted: String,
    pub(crate) identifier: &'static str,
}

impl Symbol {
    pub fn symbology(&self) -> Symbology {
        self.symbology
    }

    pub fn modules(&self) -> &Modules {
        &self.modules
    }

    /// The HRI text to print (for EAN-13, the 13 digits).
    pub fn hri(&self) -> &str {
        &self.hri
    }

    /// What a scanner transmits after the symbology identifier: for GS1 data the element string
    /// with GS (`\x1d`) for each separator FNC1, otherwise the text.
    pub fn transmitted(&self) -> &str {
        &self.transmitted
    }

    /// The AIM symbology identifier a scanner reports: `]Q3` GS1 QR, `]Q1` QR, `]Q2` QR with
    /// an ECI (UTF-8 text), `]d2` GS1 DataMatrix, `]C1` GS1-128, `]C0` Code 128, `]E0` EAN-13.
    pub fn symbology_identifier(&self) -> &'static str {
        self.identifier
    }
}
