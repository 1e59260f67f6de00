//! Which files the webview may have the app read, write or open.
//!
//! The webview never names a path. A file the clerk chooses comes from a native dialog that Rust
//! opens ([`pick_open`], [`pick_open_many`], [`pick_save`]); Rust keeps the chosen path and hands
//! the webview a one-time opaque token with a display name. A later command redeems the token
//! ([`Files::redeem`]) for the path, once, and only for the use it was picked for (a file picked to
//! be read cannot be written). Dropped files get tokens the same way ([`Files::dropped`]). Anything
//! written without a dialog goes into the data directory (`exports/`, `backups/`, `attachments/`),
//! which the app layer chooses, and the only paths the webview may name are files inside the data
//! directory's folders, to open ([`open_in_data_dir`]) or to restore a listed backup from
//! ([`Files::inside_data_dir`]).
//!
//! The app layer stays path-based: the CLI is trusted and takes paths on its command line.

use std::collections::HashMap;
use std::hash::{BuildHasher, RandomState};
use std::path::{Component, Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

use app::{ApiError, ErrorCode};
use serde::{Deserialize, Serialize};
use tauri::{AppHandle, Emitter, Manager, Runtime};
use tauri_plugin_dialog::DialogExt;
use tauri_plugin_opener::OpenerExt;

type Result<T> = std::result::Result<T, ApiError>;

/// The event the webview hears when files are dropped on the window: `PickedFile[]`.
pub const FILE_DROP_EVENT: &str = "tracedesk://file-drop";

/// At most this many picks wait to be redeemed; the oldest are forgotten beyond it.
const MAX_PENDING: usize = 64;

/// What a dialog is for. It fixes the file-type filter and whether the file will be read or
/// written; the webview only chooses the kind, the title and a suggested file name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum FileKind {
    /// A database backup to restore (read).
    Backup,
    /// Where to save a database backup (write).
    BackupSave,
    /// A spreadsheet ledger to import (read).
    Spreadsheet,
    /// Documents and photos to attach to a record (read, several).
    Attachment,
    /// A list of issued codes, one per line (read).
    CodeList,
    /// Where to save an Excel workbook: lists, trace, recall, templates, problem reports (write).
    Xlsx,
    /// Where to save a code list as CSV (write).
    Csv,
    /// A catalogue file to load into 目录与数据 (read).
    Catalogue,
}

impl FileKind {
    fn extensions(self) -> &'static [&'static str] {
        match self {
            FileKind::Backup | FileKind::BackupSave => &["sqlite3", "db", "sqlite"],
            FileKind::Spreadsheet => &["xlsx", "xlsm", "xlsb", "xls", "ods", "csv", "tsv", "txt"],
            FileKind::Attachment => &["pdf", "jpg", "jpeg", "png", "webp", "bmp", "tif", "tiff"],
            FileKind::CodeList => &["txt", "csv"],
            FileKind::Xlsx => &["xlsx"],
            FileKind::Csv => &["csv"],
            FileKind::Catalogue => &["tsv", "txt"],
        }
    }

    fn access(self) -> Access {
        match self {
            FileKind::Backup
            | FileKind::Spreadsheet
            | FileKind::Attachment
            | FileKind::CodeList
            | FileKind::Catalogue => Access::Read,
            FileKind::BackupSave | FileKind::Xlsx | FileKind::Csv => Access::Write,
        }
    }
}

/// What the webview asks a dialog to look like.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FileDialog {
    pub kind: FileKind,
    /// The dialog's title, in the UI language.
    pub title: String,
    /// The label of the file-type filter, in the UI language.
    pub filter_name: String,
    /// A suggested file name for a save dialog; only its last component is used.
    #[serde(default)]
    pub default_name: Option<String>,
}

/// A chosen file as the webview sees it: a one-time token and a name to show.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PickedFile {
    pub token: String,
    /// The full path, for display only: no command takes it back.
    pub name: String,
}

/// Whether a token's file will be read or written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    Read,
    Write,
}

struct Pick {
    path: PathBuf,
    access: Access,
    serial: u64,
}

/// The picks waiting to be redeemed, and the data directory that bounds everything else.
pub struct Files {
    data_dir: PathBuf,
    picks: Mutex<HashMap<String, Pick>>,
    counter: AtomicU64,
    /// SipHash keyed from the OS's randomness (std's `RandomState`), so tokens are not guessable
    /// from one another. A dedicated RNG crate would add a dependency for the same 64 bits.
    keys: RandomState,
}

impl Files {
    pub fn new(data_dir: PathBuf) -> Files {
        Files {
            data_dir,
            picks: Mutex::new(HashMap::new()),
            counter: AtomicU64::new(0),
            keys: RandomState::new(),
        }
    }

    /// Remembers `path` for one later use with `access`, and returns its token.
    pub fn register(&self, path: PathBuf, access: Access) -> PickedFile {
        let serial = self.counter.fetch_add(1, Ordering::Relaxed);
        let token = format!(
            "f{:016x}{:016x}",
            self.keys.hash_one(serial),
            self.keys.hash_one(!serial)
        );
        let name = path.display().to_string();
        let mut picks = self.picks.lock().unwrap_or_else(|p| p.into_inner());
        if picks.len() >= MAX_PENDING
            && let Some(oldest) = picks
                .iter()
                .min_by_key(|(_, p)| p.serial)
                .map(|(k, _)| k.clone())
        {
            picks.remove(&oldest);
        }
        picks.insert(
            token.clone(),
            Pick {
                path,
                access,
                serial,
            },
        );
        PickedFile { token, name }
    }

    /// The path behind `token`, which is then forgotten. Refused when the token is unknown (never
    /// issued, or already used) or was picked for the other kind of access.
    pub fn redeem(&self, token: &str, access: Access) -> Result<PathBuf> {
        let mut picks = self.picks.lock().unwrap_or_else(|p| p.into_inner());
        match picks.get(token) {
            Some(pick) if pick.access == access => {
                Ok(picks.remove(token).map(|p| p.path).unwrap_or_default())
            }
            Some(_) => Err(ApiError::new(
                ErrorCode::InvalidInput,
                "所选文件的用途不符（选来读取的文件不能写入，反之亦然），请重新选择文件",
                "the chosen file was picked for another use (a file chosen to be read cannot be written, nor the other way round); choose the file again",
            )),
            None => Err(unknown_token()),
        }
    }

    /// [`redeem`](Self::redeem) for an optional token: `None` stays `None` (the app layer then
    /// writes into the data directory).
    /// The path behind `token`, which stays valid: a catalogue file is previewed, then installed
    /// with the same pick ([`spend_on_success`](Self::spend_on_success)).
    pub fn peek(&self, token: &str, access: Access) -> Result<PathBuf> {
        let picks = self.picks.lock().unwrap_or_else(|p| p.into_inner());
        match picks.get(token) {
            Some(pick) if pick.access == access => Ok(pick.path.clone()),
            Some(_) => Err(ApiError::new(
                ErrorCode::InvalidInput,
                "所选文件的用途不符（选来读取的文件不能写入，反之亦然），请重新选择文件",
                "the chosen file was picked for another use (a file chosen to be read cannot be written, nor the other way round); choose the file again",
            )),
            None => Err(unknown_token()),
        }
    }

    /// Runs `work` on the path behind `token`, and forgets the token only when `work` succeeds:
    /// a restore refused by its checks can be confirmed (forced) with the same pick.
    pub fn spend_on_success<T>(
        &self,
        token: &str,
        access: Access,
        work: impl FnOnce(&Path) -> Result<T>,
    ) -> Result<T> {
        let path = self.redeem(token, access)?;
        let result = work(&path);
        if result.is_err() {
            let mut picks = self.picks.lock().unwrap_or_else(|p| p.into_inner());
            let serial = self.counter.fetch_add(1, Ordering::Relaxed);
            picks.insert(
                token.to_string(),
                Pick {
                    path,
                    access,
                    serial,
                },
            );
        }
        result
    }

    pub fn redeem_optional(&self, token: Option<&str>, access: Access) -> Result<Option<PathBuf>> {
        token.map(|t| self.redeem(t, access)).transpose()
    }

    /// [`redeem`](Self::redeem) as the `String` an app-layer input carries.
    pub fn redeem_string(&self, token: &str, access: Access) -> Result<String> {
        self.redeem(token, access)
            .map(|p| p.to_string_lossy().into_owned())
    }

    /// [`redeem_optional`](Self::redeem_optional) as the `Option<&str>` the app's exports take.
    pub fn redeem_export(&self, token: Option<&str>) -> Result<Option<String>> {
        Ok(self
            .redeem_optional(token, Access::Write)?
            .map(|p| p.to_string_lossy().into_owned()))
    }

    /// Tokens for files dropped on the window (to be read).
    pub fn dropped(&self, paths: &[PathBuf]) -> Vec<PickedFile> {
        paths
            .iter()
            .filter(|p| p.is_file())
            .map(|p| self.register(p.clone(), Access::Read))
            .collect()
    }

    /// `path` when it is an existing file inside one of the data directory's folders; see
    /// [`inside_dir`].
    pub fn inside_data_dir(&self, path: &str) -> Result<PathBuf> {
        inside_dir(&self.data_dir, Path::new(path))
    }

    /// `path` when it is a file directly in the data directory's `backups/` (what `list_backups`
    /// shows); see [`inside_dir`].
    pub fn listed_backup(&self, path: &str) -> Result<PathBuf> {
        let real = self.inside_data_dir(path)?;
        let backups = self
            .data_dir
            .canonicalize()
            .map(|root| root.join("backups"))
            .unwrap_or_default();
        if real.parent() == Some(backups.as_path()) {
            Ok(real)
        } else {
            Err(ApiError::new(
                ErrorCode::InvalidInput,
                format!(
                    "{} 不在备份文件夹 {} 中：请从列表中选择备份，或用“选择文件…”打开其他位置的备份",
                    real.display(),
                    backups.display()
                ),
                format!(
                    "{} is not in the backup folder {}: choose a listed backup, or use “Choose file…” for one elsewhere",
                    real.display(),
                    backups.display()
                ),
            ))
        }
    }

    /// Codes go to a file the clerk picked, or into `exports/` (an empty path to the app layer).
    pub fn codes_output(
        &self,
        mut input: app::CodeGenerateInput,
        target: Option<&str>,
    ) -> Result<app::CodeGenerateInput> {
        input.path = self.redeem_export(target)?.unwrap_or_default();
        Ok(input)
    }

    /// Label sheets are printed from a ledger range or the given codes, with the font found on
    /// the system, into `exports/`: none of the input's paths are taken from the webview.
    pub fn label_sheet_input(&self, mut input: app::LabelSheetInput) -> app::LabelSheetInput {
        input.input_path = None;
        input.font_path = None;
        input.path = String::new();
        input
    }

    /// Label-printer jobs likewise: from a ledger range or the given codes, with the font found
    /// on the system, into `exports/`.
    pub fn print_labels_input(&self, mut input: app::PrintLabelsInput) -> app::PrintLabelsInput {
        input.input_path = None;
        input.font_path = None;
        input.path = String::new();
        input
    }

    /// The test label goes into `exports/` with the system's font.
    pub fn test_label_input(&self, mut input: app::TestLabelInput) -> app::TestLabelInput {
        input.font_path = None;
        input.path = String::new();
        input
    }

    /// Label data for BarTender goes into `exports/`, from a ledger range or the given codes.
    pub fn label_data_input(
        &self,
        mut input: app::LabelDataExportInput,
    ) -> app::LabelDataExportInput {
        input.input_path = None;
        input.path = String::new();
        input
    }

    /// Issued codes are read from a file the clerk picked.
    pub fn issued_codes_input(
        &self,
        mut input: app::ImportCodesInput,
        source: &str,
    ) -> Result<app::ImportCodesInput> {
        input.path = self.redeem_string(source, Access::Read)?;
        Ok(input)
    }

    /// The files behind several read tokens (attachments).
    pub fn redeem_all(&self, tokens: &[String]) -> Result<Vec<String>> {
        tokens
            .iter()
            .map(|t| self.redeem_string(t, Access::Read))
            .collect()
    }
}

fn unknown_token() -> ApiError {
    ApiError::new(
        ErrorCode::InvalidInput,
        "文件选择已失效（每次选择只能使用一次），请重新选择文件",
        "the file choice is no longer valid (each choice can be used once); choose the file again",
    )
}

fn outside(path: &Path, dir: &Path, why_zh: &str, why_en: &str) -> ApiError {
    ApiError::new(
        ErrorCode::InvalidInput,
        format!(
            "只能打开数据目录 {} 各文件夹（exports、attachments、backups 等）中的文件，{} 不行：{why_zh}。请在文件管理器中打开它",
            dir.display(),
            path.display()
        ),
        format!(
            "only files in the folders of the data directory {} (exports, attachments, backups …) can be opened here, not {}: {why_en}; open it from your file manager",
            dir.display(),
            path.display()
        ),
    )
}

/// `path`, canonicalised, when it names an existing regular file inside a folder of `dir`
/// (`dir/exports/x.xlsx`, not `dir/tracedesk.sqlite3`). Refused: relative paths, any `..`,
/// anything outside `dir`, and any symbolic link on the way from `dir` to the file (a link could
/// lead out of `dir`, or be swapped later).
pub fn inside_dir(dir: &Path, path: &Path) -> Result<PathBuf> {
    if !path.is_absolute() {
        return Err(outside(path, dir, "不是完整路径", "not an absolute path"));
    }
    if path.components().any(|c| matches!(c, Component::ParentDir)) {
        return Err(outside(
            path,
            dir,
            "路径含有“..”",
            "the path contains \"..\"",
        ));
    }
    let root = dir.canonicalize().map_err(|e| {
        outside(
            path,
            dir,
            &format!("数据目录不可用（{e}）"),
            &format!("the data directory is unusable ({e})"),
        )
    })?;
    // The path as given, relative to the data directory (as configured or as resolved).
    let Some(given) = path
        .strip_prefix(dir)
        .ok()
        .or_else(|| path.strip_prefix(&root).ok())
    else {
        return Err(outside(
            path,
            dir,
            "不在数据目录中",
            "it is outside the data directory",
        ));
    };
    let mut walked = root.clone();
    for component in given.components() {
        let Component::Normal(part) = component else {
            return Err(outside(
                path,
                dir,
                "路径不规范",
                "the path is not canonical",
            ));
        };
        walked.push(part);
        let meta = std::fs::symlink_metadata(&walked).map_err(|e| {
            outside(
                path,
                dir,
                &format!("文件不存在或无法读取（{e}）"),
                &format!("the file does not exist or cannot be read ({e})"),
            )
        })?;
        if meta.file_type().is_symlink() {
            return Err(outside(
                path,
                dir,
                "路径经过符号链接",
                "the path goes through a symbolic link",
            ));
        }
    }
    let real = walked.canonicalize().unwrap_or_else(|_| walked.clone());
    if !real.starts_with(&root)
        || real
            .strip_prefix(&root)
            .map_or(0, |r| r.components().count())
            < 2
    {
        return Err(outside(
            path,
            dir,
            "只能打开数据目录下各文件夹中的文件",
            "only files inside the data directory's folders can be opened",
        ));
    }
    if !real.is_file() {
        return Err(outside(path, dir, "不是文件", "it is not a file"));
    }
    Ok(real)
}

/// Opens a file of the data directory's folders with the system's default program, through the
/// opener plugin (no shell is involved).
pub fn open_in_data_dir<R: Runtime>(app: &AppHandle<R>, files: &Files, path: &str) -> Result<()> {
    let real = files.inside_data_dir(path)?;
    app.opener()
        .open_path(real.to_string_lossy(), None::<&str>)
        .map_err(|e| {
            ApiError::new(
                ErrorCode::Internal,
                format!(
                    "文件已保存在 {}，但无法用系统程序打开：{e}。请手动打开",
                    real.display()
                ),
                format!(
                    "the file is saved at {}, but no program could open it: {e}; open it by hand",
                    real.display()
                ),
            )
        })
}

/// Opens `dir`, a folder of the data directory that the app layer chose (`App::data_folder`), in
/// the system's file manager, through the opener plugin.
pub fn open_folder<R: Runtime>(app: &AppHandle<R>, dir: &Path) -> Result<()> {
    app.opener()
        .open_path(dir.to_string_lossy(), None::<&str>)
        .map_err(|e| {
            ApiError::new(
                ErrorCode::Internal,
                format!(
                    "无法打开文件夹 {}：{e}。请在文件管理器中手动打开",
                    dir.display()
                ),
                format!(
                    "cannot open the folder {}: {e}; open it in your file manager",
                    dir.display()
                ),
            )
        })
}

fn dialog_builder<R: Runtime>(
    app: &AppHandle<R>,
    dialog: &FileDialog,
) -> tauri_plugin_dialog::FileDialogBuilder<R> {
    let mut builder = app
        .dialog()
        .file()
        .set_title(dialog.title.clone())
        .add_filter(dialog.filter_name.clone(), dialog.kind.extensions());
    if let Some(window) = app.get_webview_window("main") {
        builder = builder.set_parent(&window);
    }
    if let Some(name) = dialog
        .default_name
        .as_deref()
        .and_then(|n| Path::new(n).file_name())
    {
        builder = builder.set_file_name(name.to_string_lossy());
    }
    builder
}

fn refuse_access(dialog: &FileDialog, wanted: Access) -> Result<()> {
    if dialog.kind.access() == wanted {
        Ok(())
    } else {
        Err(ApiError::new(
            ErrorCode::InvalidInput,
            "这种文件不能用这个对话框选择",
            "this kind of file cannot be chosen with this dialog",
        ))
    }
}

fn dialog_failed(e: impl std::fmt::Display) -> ApiError {
    ApiError::new(
        ErrorCode::Internal,
        format!("无法打开文件选择对话框：{e}"),
        format!("the file dialog could not be opened: {e}"),
    )
}

fn picked_path(file: tauri_plugin_dialog::FilePath) -> Result<PathBuf> {
    file.into_path().map_err(dialog_failed)
}

/// Waits, off the async runtime's threads, for the answer a dialog callback sends. (The builder
/// holds the parent window's raw handle, which may not cross threads, so the dialog is started
/// with its callback API here rather than moved into a blocking task.)
async fn answer<T: Send + 'static>(rx: std::sync::mpsc::Receiver<Option<T>>) -> Result<Option<T>> {
    tauri::async_runtime::spawn_blocking(move || rx.recv().ok().flatten())
        .await
        .map_err(dialog_failed)
}

/// Shows the native "open" dialog; `None` when the clerk cancels.
pub async fn pick_open<R: Runtime>(
    app: AppHandle<R>,
    dialog: FileDialog,
) -> Result<Option<PickedFile>> {
    refuse_access(&dialog, Access::Read)?;
    let (tx, rx) = std::sync::mpsc::channel();
    dialog_builder(&app, &dialog).pick_file(move |f| {
        let _ = tx.send(f);
    });
    let chosen = answer(rx).await?;
    let files = app.state::<Files>();
    chosen
        .map(|f| Ok(files.register(picked_path(f)?, Access::Read)))
        .transpose()
}

/// Shows the native "open" dialog for several files; empty when the clerk cancels.
pub async fn pick_open_many<R: Runtime>(
    app: AppHandle<R>,
    dialog: FileDialog,
) -> Result<Vec<PickedFile>> {
    refuse_access(&dialog, Access::Read)?;
    let (tx, rx) = std::sync::mpsc::channel();
    dialog_builder(&app, &dialog).pick_files(move |f| {
        let _ = tx.send(f);
    });
    let chosen = answer(rx).await?;
    let files = app.state::<Files>();
    chosen
        .unwrap_or_default()
        .into_iter()
        .map(|f| Ok(files.register(picked_path(f)?, Access::Read)))
        .collect()
}

/// Shows the native "save as" dialog; `None` when the clerk cancels.
pub async fn pick_save<R: Runtime>(
    app: AppHandle<R>,
    dialog: FileDialog,
) -> Result<Option<PickedFile>> {
    refuse_access(&dialog, Access::Write)?;
    let (tx, rx) = std::sync::mpsc::channel();
    dialog_builder(&app, &dialog).save_file(move |f| {
        let _ = tx.send(f);
    });
    let chosen = answer(rx).await?;
    let files = app.state::<Files>();
    chosen
        .map(|f| Ok(files.register(picked_path(f)?, Access::Write)))
        .transpose()
}

/// Files dropped on the window become read tokens, sent to the webview as [`FILE_DROP_EVENT`].
/// The webview's own drag-and-drop event still shows it the paths, but no command takes them.
pub fn on_drop<R: Runtime>(window: &tauri::Window<R>, paths: &[PathBuf]) {
    let app = window.app_handle();
    let Some(files) = app.try_state::<Files>() else {
        return; // the data could not be opened: the app is about to exit
    };
    let picked = files.dropped(paths);
    if !picked.is_empty() {
        // Nobody may be listening (no import screen open): nothing to do then.
        let _ = app.emit(FILE_DROP_EVENT, picked);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files() -> Files {
        Files::new(PathBuf::from("/nonexistent"))
    }

    #[test]
    fn a_token_is_redeemed_once_for_its_path() {
        let files = files();
        let picked = files.register(PathBuf::from("/home/clerk/台账.xlsx"), Access::Read);
        assert_eq!(picked.name, "/home/clerk/台账.xlsx");
        assert_eq!(
            files.redeem(&picked.token, Access::Read).unwrap(),
            PathBuf::from("/home/clerk/台账.xlsx")
        );
        let again = files.redeem(&picked.token, Access::Read).unwrap_err();
        assert_eq!(again.code, ErrorCode::InvalidInput);
        assert!(
            again.message_zh.contains("重新选择"),
            "{}",
            again.message_zh
        );
    }

    #[test]
    fn an_unknown_or_made_up_token_is_refused() {
        let files = files();
        let real = files.register(PathBuf::from("/tmp/a.xlsx"), Access::Write);
        for token in [
            "",
            "f0",
            "/etc/passwd",
            "../tracedesk.sqlite3",
            &real.token[..10],
        ] {
            let error = files.redeem(token, Access::Write).unwrap_err();
            assert_eq!(error.code, ErrorCode::InvalidInput, "{token}");
        }
        // The real one still works after the failed attempts.
        assert!(files.redeem(&real.token, Access::Write).is_ok());
    }

    #[test]
    fn a_token_picked_for_reading_cannot_be_written_and_stays_usable() {
        let files = files();
        let picked = files.register(PathBuf::from("/tmp/backup.sqlite3"), Access::Read);
        assert!(files.redeem(&picked.token, Access::Write).is_err());
        assert!(files.redeem(&picked.token, Access::Read).is_ok());
    }

    #[test]
    fn tokens_are_distinct_and_old_picks_are_forgotten_beyond_the_limit() {
        let files = files();
        let first = files.register(PathBuf::from("/tmp/0"), Access::Read);
        let mut seen = std::collections::HashSet::from([first.token.clone()]);
        for n in 1..=MAX_PENDING {
            let picked = files.register(PathBuf::from(format!("/tmp/{n}")), Access::Read);
            assert!(seen.insert(picked.token), "duplicate token");
        }
        assert!(files.redeem(&first.token, Access::Read).is_err());
    }

    #[test]
    fn no_input_path_survives_into_a_label_sheet() {
        let input = app::LabelSheetInput {
            allocation_id: Some(1),
            input_path: Some("/etc/passwd".into()),
            codes: Vec::new(),
            symbology: app::LabelSymbology::Qr,
            label_width_mm: 50.0,
            label_height_mm: 30.0,
            cols: 3,
            rows: 8,
            margin_mm: 10.0,
            path: "/home/clerk/.bashrc".into(),
            font_path: Some("/etc/shadow".into()),
        };
        let safe = files().label_sheet_input(input);
        assert_eq!(
            (safe.input_path, safe.font_path, safe.path.as_str()),
            (None, None, "")
        );
    }

    #[test]
    fn no_input_path_survives_into_a_print_job_or_label_data() {
        let job = files().print_labels_input(app::PrintLabelsInput {
            allocation_id: Some(1),
            input_path: Some("/etc/passwd".into()),
            codes: Vec::new(),
            symbology: app::LabelSymbology::Datamatrix,
            profile: "TSPL 203dpi 50×30".into(),
            custom_profile: None,
            format: None,
            printer: None,
            path: "/home/clerk/.bashrc".into(),
            font_path: Some("/etc/shadow".into()),
        });
        assert_eq!(
            (job.input_path, job.font_path, job.path.as_str()),
            (None, None, "")
        );
        let test = files().test_label_input(app::TestLabelInput {
            profile: "x".into(),
            format: None,
            printer: None,
            path: "/home/clerk/.profile".into(),
            font_path: Some("/etc/shadow".into()),
        });
        assert_eq!((test.font_path, test.path.as_str()), (None, ""));
        let data = files().label_data_input(app::LabelDataExportInput {
            allocation_id: Some(1),
            input_path: Some("/etc/passwd".into()),
            codes: Vec::new(),
            path: "/home/clerk/.bashrc".into(),
            format: None,
        });
        assert_eq!((data.input_path, data.path.as_str()), (None, ""));
    }

    struct DataDir {
        _tmp: tempfile::TempDir,
        dir: PathBuf,
        outside: PathBuf,
    }

    /// `<tmp>/data/{exports/report.xlsx, tracedesk.sqlite3}` and `<tmp>/secret.txt` beside it.
    fn data_dir() -> DataDir {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("data");
        std::fs::create_dir_all(dir.join("exports")).unwrap();
        std::fs::write(dir.join("exports/report.xlsx"), b"x").unwrap();
        std::fs::write(dir.join("tracedesk.sqlite3"), b"x").unwrap();
        let outside = tmp.path().join("secret.txt");
        std::fs::write(&outside, b"x").unwrap();
        DataDir {
            _tmp: tmp,
            dir,
            outside,
        }
    }

    #[test]
    fn a_file_in_a_folder_of_the_data_directory_may_be_opened() {
        let d = data_dir();
        let real = inside_dir(&d.dir, &d.dir.join("exports/report.xlsx")).unwrap();
        assert_eq!(
            real,
            d.dir.canonicalize().unwrap().join("exports/report.xlsx")
        );
    }

    #[test]
    fn paths_outside_the_folders_of_the_data_directory_are_refused() {
        let d = data_dir();
        let cases: Vec<(&str, PathBuf)> = vec![
            ("outside", d.outside.clone()),
            ("dot-dot", d.dir.join("exports/../../secret.txt")),
            (
                "dot-dot staying inside",
                d.dir.join("exports/../exports/report.xlsx"),
            ),
            ("relative", PathBuf::from("exports/report.xlsx")),
            ("the database itself", d.dir.join("tracedesk.sqlite3")),
            ("a folder", d.dir.join("exports")),
            ("missing", d.dir.join("exports/none.xlsx")),
            ("system file", PathBuf::from("/etc/passwd")),
        ];
        for (what, path) in cases {
            let error = inside_dir(&d.dir, &path).unwrap_err();
            assert_eq!(error.code, ErrorCode::InvalidInput, "{what}");
            assert!(
                error.message_zh.contains("数据目录"),
                "{what}: {}",
                error.message_zh
            );
            assert!(error.message_en.contains("data directory"), "{what}");
        }
    }

    #[test]
    fn only_files_of_the_backup_folder_restore_without_a_dialog() {
        let d = data_dir();
        std::fs::create_dir_all(d.dir.join("backups")).unwrap();
        std::fs::write(d.dir.join("backups/tracedesk-1.sqlite3"), b"x").unwrap();
        let files = Files::new(d.dir.clone());
        let listed = d.dir.join("backups/tracedesk-1.sqlite3");
        assert!(files.listed_backup(&listed.to_string_lossy()).is_ok());
        let export = d.dir.join("exports/report.xlsx");
        let error = files.listed_backup(&export.to_string_lossy()).unwrap_err();
        assert!(
            error.message_zh.contains("备份文件夹"),
            "{}",
            error.message_zh
        );
        assert!(files.listed_backup(&d.outside.to_string_lossy()).is_err());
    }

    #[cfg(unix)]
    #[test]
    fn symbolic_links_are_refused_even_when_they_point_inside() {
        let d = data_dir();
        let out_link = d.dir.join("exports/leak.txt");
        std::os::unix::fs::symlink(&d.outside, &out_link).unwrap();
        let in_link = d.dir.join("exports/again.xlsx");
        std::os::unix::fs::symlink(d.dir.join("exports/report.xlsx"), &in_link).unwrap();
        let dir_link = d.dir.join("attachments");
        std::os::unix::fs::symlink(d.outside.parent().unwrap(), &dir_link).unwrap();
        for path in [out_link, in_link, dir_link.join("secret.txt")] {
            let error = inside_dir(&d.dir, &path).unwrap_err();
            assert!(
                error.message_en.contains("symbolic link"),
                "{}",
                error.message_en
            );
        }
    }
}
