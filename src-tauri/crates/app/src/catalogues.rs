//! 目录与数据: the catalogues the app checks against — the CCC catalogue (`codes::ccc`), the unit
//! table (`codes::units`) and the key-product catalogue ([`crate::catalogue`]) — and how an
//! administrator replaces one with a newer file without a new release.
//!
//! Each `App` owns its [`Catalogues`] (no process-wide state). When it opens, it reads
//! `<data dir>/catalogues/<name>.tsv` for each catalogue: a file that is valid and newer than the
//! shipped version is used, otherwise the shipped one, and the log says why. Installing a file
//! checks it (errors with their lines, or the rows it adds, removes and changes), copies it into
//! that folder and takes effect at once; reverting removes the copy.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};

use codes::ccc::CccCatalogue;
use codes::datafile::{self, FileErrors, FileHeader};
use codes::units::Units;

use crate::catalogue::{self, KeyProducts};
use crate::{
    App, CatalogueEntry, CatalogueFileError, CataloguePreview, CatalogueRowChange,
    CatalogueVersion, Msg, Result,
};

/// The folder of the data directory that holds loaded catalogue files.
pub const FOLDER: &str = "catalogues";

/// A catalogue file larger than this is refused unread (the shipped ones are a few KiB).
const MAX_BYTES: u64 = 4 * 1024 * 1024;

/// How many examples of each kind of change a preview shows.
const EXAMPLES: usize = 5;

/// The catalogues there are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Ccc,
    Products,
    Units,
}

impl Kind {
    const ALL: [Kind; 3] = [Kind::Ccc, Kind::Products, Kind::Units];

    fn name(self) -> &'static str {
        match self {
            Kind::Ccc => codes::ccc::CATALOGUE_NAME,
            Kind::Products => catalogue::CATALOGUE_NAME,
            Kind::Units => codes::units::TABLE_NAME,
        }
    }

    fn by_name(name: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.name() == name)
    }

    fn titles(self) -> (&'static str, &'static str) {
        match self {
            Kind::Ccc => ("CCC 强制性产品认证目录", "CCC product catalogue"),
            Kind::Products => ("重点工业产品目录", "Key industrial products"),
            Kind::Units => (
                "计量单位（UN/ECE Rec 20）",
                "Units of measure (UN/ECE Rec 20)",
            ),
        }
    }

    fn shipped_text(self) -> &'static str {
        match self {
            Kind::Ccc => codes::ccc::SHIPPED_TEXT,
            Kind::Products => catalogue::SHIPPED_TEXT,
            Kind::Units => codes::units::SHIPPED_TEXT,
        }
    }

    fn columns(self) -> &'static [&'static str] {
        match self {
            Kind::Ccc => &codes::ccc::COLUMNS,
            Kind::Products => &catalogue::COLUMNS,
            Kind::Units => &codes::units::COLUMNS,
        }
    }

    /// The column that names a row: the product code, the unit word.
    fn key_column(self) -> usize {
        match self {
            Kind::Units => 1,
            Kind::Ccc | Kind::Products => 0,
        }
    }

    fn parse(self, text: &str) -> std::result::Result<Parsed, FileErrors> {
        Ok(match self {
            Kind::Ccc => Parsed::Ccc(Arc::new(CccCatalogue::parse(text)?)),
            Kind::Products => Parsed::Products(Arc::new(KeyProducts::parse(text)?)),
            Kind::Units => Parsed::Units(Arc::new(Units::parse(text)?)),
        })
    }

    fn file_in(self, data_dir: &Path) -> PathBuf {
        data_dir.join(FOLDER).join(format!("{}.tsv", self.name()))
    }
}

/// A parsed catalogue of any kind.
#[derive(Debug, Clone)]
enum Parsed {
    Ccc(Arc<CccCatalogue>),
    Products(Arc<KeyProducts>),
    Units(Arc<Units>),
}

impl Parsed {
    fn header(&self) -> &FileHeader {
        match self {
            Parsed::Ccc(c) => &c.header,
            Parsed::Products(p) => &p.header,
            Parsed::Units(u) => &u.header,
        }
    }

    fn rows(&self) -> usize {
        match self {
            Parsed::Ccc(c) => c.products.len(),
            Parsed::Products(p) => p.products.len(),
            Parsed::Units(u) => u.units.len(),
        }
    }
}

/// One catalogue in use: its value and text, the file it came from (none: shipped), and why a
/// file in the data folder was passed over.
#[derive(Debug, Clone)]
struct InUse {
    parsed: Parsed,
    text: Arc<str>,
    path: Option<PathBuf>,
    ignored: Option<codes::Message>,
}

impl InUse {
    fn shipped(kind: Kind, ignored: Option<codes::Message>) -> InUse {
        let text = kind.shipped_text();
        let parsed = match kind {
            Kind::Ccc => Parsed::Ccc(Arc::new(codes::ccc::shipped().clone())),
            Kind::Products => Parsed::Products(Arc::new(catalogue::shipped().clone())),
            Kind::Units => Parsed::Units(Arc::new(codes::units::shipped().clone())),
        };
        InUse {
            parsed,
            text: Arc::from(text),
            path: None,
            ignored,
        }
    }
}

/// A checked file ready to install: its catalogue, value and text.
type Ready = (Kind, Parsed, String);

/// The catalogues an `App` checks against. Cheap to read: each accessor hands out an `Arc`.
#[derive(Debug)]
pub struct Catalogues {
    data_dir: PathBuf,
    in_use: RwLock<Vec<InUse>>,
}

/// The first message of a list of file errors, with how many there are.
fn first_error(errors: &FileErrors) -> codes::Message {
    let first = errors.0.first().map(datafile::FileError::message);
    let first = first.unwrap_or_else(|| codes::Message::new("文件无效", "the file is not valid"));
    if errors.0.len() > 1 {
        codes::Message::new(
            format!("{}（共 {} 处错误）", first.zh, errors.0.len()),
            format!("{} ({} errors in all)", first.en, errors.0.len()),
        )
    } else {
        first
    }
}

fn read_text(path: &Path) -> Result<String> {
    let cannot = |e: std::io::Error| {
        Msg::CannotRead {
            path: path.to_path_buf(),
            error: e.to_string(),
        }
        .err()
    };
    let len = std::fs::metadata(path).map_err(cannot)?.len();
    if len > MAX_BYTES {
        return Err(Msg::CatalogueTooLarge {
            path: path.to_path_buf(),
            bytes: len,
            limit: MAX_BYTES,
        }
        .err());
    }
    let bytes = std::fs::read(path).map_err(cannot)?;
    String::from_utf8(bytes).map_err(|_| {
        Msg::CatalogueNotUtf8 {
            path: path.to_path_buf(),
        }
        .err()
    })
}

impl Catalogues {
    /// The catalogues of `data_dir`: each loaded file that is valid and newer than the shipped
    /// version, the shipped one otherwise (the log says why).
    pub fn load(data_dir: &Path) -> Catalogues {
        let in_use = Kind::ALL
            .into_iter()
            .map(|kind| Self::load_one(kind, data_dir))
            .collect();
        Catalogues {
            data_dir: data_dir.to_path_buf(),
            in_use: RwLock::new(in_use),
        }
    }

    fn load_one(kind: Kind, data_dir: &Path) -> InUse {
        let path = kind.file_in(data_dir);
        if !path.exists() {
            return InUse::shipped(kind, None);
        }
        let shipped_version = InUse::shipped(kind, None).parsed.header().version;
        let outcome = read_text(&path)
            .map_err(|e| codes::Message::new(e.message_zh, e.message_en))
            .and_then(|text| {
                let parsed = kind.parse(&text).map_err(|e| first_error(&e))?;
                datafile::check_newer(parsed.header().version, shipped_version)
                    .map_err(|e| first_error(&e))?;
                Ok((parsed, text))
            });
        match outcome {
            Ok((parsed, text)) => {
                tracing::info!(
                    catalogue = kind.name(),
                    version = %parsed.header().version,
                    rows = parsed.rows(),
                    "loaded catalogue from the data folder"
                );
                InUse {
                    parsed,
                    text: Arc::from(text),
                    path: Some(path),
                    ignored: None,
                }
            }
            Err(why) => {
                tracing::warn!(
                    catalogue = kind.name(),
                    reason = %why.en,
                    "catalogue file in the data folder not used; the shipped one is"
                );
                InUse::shipped(kind, Some(why))
            }
        }
    }

    fn read(&self) -> std::sync::RwLockReadGuard<'_, Vec<InUse>> {
        // A panic while the lock was held cannot leave a half-written entry: each entry is
        // replaced whole.
        self.in_use.read().unwrap_or_else(|p| p.into_inner())
    }

    fn get(&self, kind: Kind) -> InUse {
        self.read()[kind as usize].clone()
    }

    /// The CCC catalogue in use.
    pub fn ccc(&self) -> Arc<CccCatalogue> {
        match self.get(Kind::Ccc).parsed {
            Parsed::Ccc(c) => c,
            _ => Arc::new(codes::ccc::shipped().clone()),
        }
    }

    /// The unit table in use.
    pub fn units(&self) -> Arc<Units> {
        match self.get(Kind::Units).parsed {
            Parsed::Units(u) => u,
            _ => Arc::new(codes::units::shipped().clone()),
        }
    }

    /// The key-product catalogue in use.
    pub fn key_products(&self) -> Arc<KeyProducts> {
        match self.get(Kind::Products).parsed {
            Parsed::Products(p) => p,
            _ => Arc::new(catalogue::shipped().clone()),
        }
    }

    /// Every entry a product's category is chosen from, from the catalogues in use.
    pub fn entries(&self) -> Vec<CatalogueEntry> {
        catalogue::entries(&self.key_products(), &self.ccc())
    }

    /// The catalogues in use, and their versions.
    pub fn versions(&self) -> Vec<CatalogueVersion> {
        Kind::ALL.into_iter().map(|k| self.version(k)).collect()
    }

    fn version(&self, kind: Kind) -> CatalogueVersion {
        let in_use = self.get(kind);
        let header = in_use.parsed.header();
        let (title_zh, title_en) = kind.titles();
        let shipped = InUse::shipped(kind, None);
        CatalogueVersion {
            name: kind.name().into(),
            title_zh: title_zh.into(),
            title_en: title_en.into(),
            version: header.version.to_string(),
            source: header.source.clone(),
            rows: in_use.parsed.rows() as u32,
            origin: if in_use.path.is_some() {
                "loaded"
            } else {
                "shipped"
            }
            .into(),
            path: in_use.path.as_ref().map(|p| p.display().to_string()),
            shipped_version: shipped.parsed.header().version.to_string(),
            ignored_zh: in_use.ignored.as_ref().map(|m| m.zh.clone()),
            ignored_en: in_use.ignored.as_ref().map(|m| m.en.clone()),
        }
    }

    /// What installing the file at `path` would do. An unreadable file is an `Err`; a file with
    /// errors is a preview with `valid: false` and every error with its line.
    pub fn preview(&self, path: &Path) -> Result<CataloguePreview> {
        Ok(self.check_file(path)?.0)
    }

    fn check_file(&self, path: &Path) -> Result<(CataloguePreview, Option<Ready>)> {
        let text = read_text(path)?;
        let mut preview = CataloguePreview {
            path: path.display().to_string(),
            name: String::new(),
            version: None,
            source: None,
            rows: 0,
            current_version: None,
            valid: false,
            errors: Vec::new(),
            added: 0,
            removed: 0,
            changed: 0,
            examples: Vec::new(),
        };
        let Some(kind) = declared_name(&text).and_then(Kind::by_name) else {
            let found = declared_name(&text).unwrap_or_default();
            preview.name = found.to_string();
            preview.errors.push(file_error(&datafile::FileError::new(
                0,
                None,
                datafile::FileFault::WrongName {
                    expected: Kind::ALL.map(Kind::name).join("、"),
                    found: if found.is_empty() {
                        "-".into()
                    } else {
                        found.into()
                    },
                },
            )));
            return Ok((preview, None));
        };
        preview.name = kind.name().into();
        let current = self.get(kind);
        let current_version = current.parsed.header().version;
        preview.current_version = Some(current_version.to_string());
        let parsed = match kind.parse(&text) {
            Ok(parsed) => parsed,
            Err(errors) => {
                preview.errors = errors.0.iter().map(file_error).collect();
                return Ok((preview, None));
            }
        };
        let header = parsed.header();
        preview.version = Some(header.version.to_string());
        preview.source = Some(header.source.clone());
        preview.rows = parsed.rows() as u32;
        if let Err(errors) = datafile::check_newer(header.version, current_version) {
            preview.errors = errors.0.iter().map(file_error).collect();
        }
        diff(kind, &current.text, &text, &mut preview);
        preview.valid = preview.errors.is_empty();
        let ready = preview.valid.then_some((kind, parsed, text));
        Ok((preview, ready))
    }

    /// Checks the file at `path`, copies it into the data folder and uses it from now on.
    pub fn install(&self, path: &Path) -> Result<CatalogueVersion> {
        let (preview, ready) = self.check_file(path)?;
        let Some((kind, parsed, text)) = ready else {
            let first = preview.errors.first();
            return Err(Msg::CatalogueInvalid {
                path: path.to_path_buf(),
                count: preview.errors.len(),
                first_zh: first.map(|e| e.message_zh.clone()).unwrap_or_default(),
                first_en: first.map(|e| e.message_en.clone()).unwrap_or_default(),
            }
            .err());
        };
        let dest = kind.file_in(&self.data_dir);
        write_file(&dest, &text)?;
        tracing::info!(
            catalogue = kind.name(),
            version = %parsed.header().version,
            rows = parsed.rows(),
            "catalogue installed"
        );
        self.in_use.write().unwrap_or_else(|p| p.into_inner())[kind as usize] = InUse {
            parsed,
            text: Arc::from(text),
            path: Some(dest),
            ignored: None,
        };
        Ok(self.version(kind))
    }

    /// Goes back to the shipped catalogue `name`, removing the loaded file.
    pub fn revert(&self, name: &str) -> Result<CatalogueVersion> {
        let kind = Kind::by_name(name).ok_or_else(|| {
            Msg::CatalogueUnknown {
                name: name.to_string(),
                known: Kind::ALL.map(Kind::name).join("、"),
            }
            .err()
        })?;
        let path = kind.file_in(&self.data_dir);
        match std::fs::remove_file(&path) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => {
                return Err(Msg::CannotWrite {
                    path,
                    error: e.to_string(),
                }
                .err());
            }
        }
        tracing::info!(
            catalogue = kind.name(),
            "catalogue reverted to the shipped one"
        );
        self.in_use.write().unwrap_or_else(|p| p.into_inner())[kind as usize] =
            InUse::shipped(kind, None);
        Ok(self.version(kind))
    }
}

/// The `# name:` a file declares in its header, if any.
fn declared_name(text: &str) -> Option<&str> {
    text.trim_start_matches('\u{feff}')
        .lines()
        .take_while(|l| l.starts_with('#'))
        .filter_map(|l| l[1..].split_once(':'))
        .find(|(k, _)| k.trim() == "name")
        .map(|(_, v)| v.trim())
}

fn file_error(e: &datafile::FileError) -> CatalogueFileError {
    let m = e.message();
    CatalogueFileError {
        line: e.line as u32,
        column: e.column.map(|c| c as u32),
        code: e.code().into(),
        message_zh: m.zh,
        message_en: m.en,
    }
}

/// The rows of a valid catalogue text by their key, in file order.
fn keyed_rows(kind: Kind, text: &str) -> Vec<(String, String)> {
    datafile::read(text, kind.name(), kind.columns())
        .map(|f| {
            f.rows
                .into_iter()
                .map(|r| (r.cells[kind.key_column()].clone(), r.cells.join(" | ")))
                .collect()
        })
        .unwrap_or_default()
}

/// Counts the rows `new` adds, removes and changes against `old`, with a few examples of each.
fn diff(kind: Kind, old: &str, new: &str, preview: &mut CataloguePreview) {
    let old_rows = keyed_rows(kind, old);
    let new_rows = keyed_rows(kind, new);
    let old_map: HashMap<&str, &str> = old_rows
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let new_map: HashMap<&str, &str> = new_rows
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let mut examples: [Vec<CatalogueRowChange>; 3] = Default::default();
    let mut note =
        |slot: usize, change: &str, key: &str, before: Option<&str>, after: Option<&str>| {
            if examples[slot].len() < EXAMPLES {
                examples[slot].push(CatalogueRowChange {
                    change: change.into(),
                    key: key.into(),
                    before: before.map(str::to_string),
                    after: after.map(str::to_string),
                });
            }
        };
    for (key, row) in &new_rows {
        match old_map.get(key.as_str()) {
            None => {
                preview.added += 1;
                note(0, "added", key, None, Some(row));
            }
            Some(before) if before != row => {
                preview.changed += 1;
                note(2, "changed", key, Some(before), Some(row));
            }
            Some(_) => {}
        }
    }
    for (key, row) in &old_rows {
        if !new_map.contains_key(key.as_str()) {
            preview.removed += 1;
            note(1, "removed", key, Some(row), None);
        }
    }
    preview.examples = examples.into_iter().flatten().collect();
}

/// Writes `text` to `dest` through a temporary file in the same folder, so a crash leaves the
/// old file or the new one, never half of one.
fn write_file(dest: &Path, text: &str) -> Result<()> {
    let cannot = |e: std::io::Error| {
        Msg::CannotWrite {
            path: dest.to_path_buf(),
            error: e.to_string(),
        }
        .err()
    };
    let dir = dest.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(cannot)?;
    let mut tmp = tempfile::NamedTempFile::new_in(dir).map_err(cannot)?;
    std::io::Write::write_all(&mut tmp, text.as_bytes()).map_err(cannot)?;
    tmp.persist(dest).map_err(|e| cannot(e.error))?;
    Ok(())
}

impl App {
    /// The catalogues in use (目录与数据), with their versions.
    pub fn catalogue_versions(&self) -> Vec<CatalogueVersion> {
        self.catalogues.versions()
    }

    /// What loading the catalogue file at `path` would do: its errors, or the rows it changes.
    pub fn preview_catalogue(&self, path: &Path) -> Result<CataloguePreview> {
        self.catalogues.preview(path)
    }

    /// Loads the catalogue file at `path` (copied into the data folder), in use at once.
    pub fn install_catalogue(&self, path: &Path) -> Result<CatalogueVersion> {
        self.catalogues.install(path)
    }

    /// Goes back to the shipped catalogue `name`.
    pub fn revert_catalogue(&self, name: &str) -> Result<CatalogueVersion> {
        self.catalogues.revert(name)
    }

    /// Every entry a product's category is chosen from, from the catalogues in use.
    pub fn product_catalogue(&self) -> Vec<CatalogueEntry> {
        self.catalogues.entries()
    }

    pub(crate) fn catalogues(&self) -> &Catalogues {
        &self.catalogues
    }
}

#[cfg(test)]
mod tests;
