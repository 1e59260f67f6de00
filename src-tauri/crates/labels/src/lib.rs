//! Printable trace-code symbols for tracedesk: turns already-validated code data into barcode
//! symbols (QR Code, GS1 DataMatrix, GS1-128, EAN-13, plain Code 128), renders them as SVG or
//! PNG, and lays many of them out on A4 label sheets as a PDF with the Chinese product name.
//!
//! Flow: [`SymbolData`] (symbology + [`Content`] + HRI text) → [`encode`] → [`Symbol`] (a module
//! matrix or a bar pattern, plus what a scanner will transmit) → [`to_svg`] / [`to_png`]; or a
//! list of [`LabelContent`] → [`sheet_pdf`] with a [`SheetLayout`] and the bytes of a CJK font,
//! which is subset so only the glyphs used are embedded.
//!
//! GS1 data is encoded with FNC1 in first position (domain notes §A.7): GS1 QR (`]Q3`), GS1
//! DataMatrix (`]d2`), GS1-128 (`]C1`); a variable-length element that is not last is followed by
//! a separator (GS in QR and DataMatrix, FNC1 in Code 128). A GS1 Digital Link URI (§A.9) is a
//! plain QR Code of the URI text. The data is expected to be validated by `codes` already; this
//! crate only checks what it needs to encode unambiguously (predefined-length AIs have the right
//! length, characters are encodable).
//!
//! The encoders come from `qrcode`, `datamatrix` and `barcoders`; the only hand-written
//! encoding is the Code 128 code-set planner, which `barcoders` leaves to its caller (module
//! `code128`). The tests decode every symbology with `rxing`, an independent decoder.
//!
//! This crate does no file IO: fonts come in as bytes and output goes out as bytes or strings;
//! the app layer reads and writes files. It reads no clock. It must not depend on `store`, `app`,
//! `sheets`, `tauri` or any network crate; its only in-house dependency is `codes` (for the
//! bilingual [`Message`]).

mod code128;
mod data_matrix;
mod ean13;
mod encode;
mod error;
pub mod gs1;
pub mod printer;
mod qr;
mod render;
mod sheet;
mod symbol;
mod text;

#[cfg(test)]
mod tests;

pub use codes::Message;
pub use encode::encode;
pub use error::LabelError;
pub use printer::{
    BarcodeMode, Dpi, PrinterLanguage, PrinterProfile, printer_job, printer_job_with_font,
};
pub use render::{RenderOptions, to_png, to_svg};
pub use sheet::{LabelContent, PageSize, SheetLayout, label_pdf, sheet_pdf};
pub use symbol::{Content, Modules, Symbol, SymbolData, Symbology};

/// `Result` with this crate's error.
pub type Result<T, E = LabelError> = std::result::Result<T, E>;
