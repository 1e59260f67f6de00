//! The catalogues in use (目录与数据): versions, a file's preview, installing and reverting
//! (catalogues.rs).

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// One catalogue the app uses, and which version of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct CatalogueVersion {
    /// `ccc_catalogue`, `rec20_units`, `product_catalogue`: also the file name (`.tsv`).
    pub name: String,
    pub title_zh: String,
    pub title_en: String,
    /// `YYYY-MM-DD` of the version in use.
    pub version: String,
    pub source: String,
    pub rows: u32,
    /// `shipped` (with this version of the program) or `loaded` (a newer file in the data folder).
    pub origin: String,
    /// The file in use when it is `loaded`.
    pub path: Option<String>,
    /// The version shipped with the program.
    pub shipped_version: String,
    /// Why a file in the data folder is not used (invalid, or not newer), when there is one.
    pub ignored_zh: Option<String>,
    pub ignored_en: Option<String>,
}

/// A problem of a catalogue file, where it is (line 0: the file as a whole).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct CatalogueFileError {
    pub line: u32,
    pub column: Option<u32>,
    pub code: String,
    pub message_zh: String,
    pub message_en: String,
}

/// One row that a new file adds, removes or changes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct CatalogueRowChange {
    /// `added`, `removed` or `changed`.
    pub change: String,
    /// The row's key: a product code, a unit word.
    pub key: String,
    /// The row in use, cells joined with ` | ` (none when added).
    pub before: Option<String>,
    /// The row of the new file (none when removed).
    pub after: Option<String>,
}

/// What loading a file would do: its errors, or how it differs from the catalogue in use.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct CataloguePreview {
    pub path: String,
    /// The catalogue the file replaces, from its `# name:` (empty when it has none).
    pub name: String,
    /// The file's version and source, when its header could be read.
    pub version: Option<String>,
    pub source: Option<String>,
    pub rows: u32,
    /// The version in use now.
    pub current_version: Option<String>,
    /// True when the file can be installed: no errors, and newer than the version in use.
    pub valid: bool,
    pub errors: Vec<CatalogueFileError>,
    pub added: u32,
    pub removed: u32,
    pub changed: u32,
    /// Up to five examples of each kind of change.
    pub examples: Vec<CatalogueRowChange>,
}
