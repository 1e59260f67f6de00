//! The commands the UI invokes. Each is a one-liner over [`app::App`]: any logic belongs in `app`,
//! where the tests and the CLI reach it without a window.
//!
//! Commands that touch the database are `async` so Tauri runs them off the main thread and a slow
//! backup or restore never freezes the window. Every command returns `Result<_, ApiError>`, so the
//! UI handles all of them the same way.

use std::path::Path;

use app::{
    ApiError, AppStatus, BackupFile, BackupInfo, DbCheck, Enterprise, EnterpriseInput, Language,
    SetupInput, UsccCheck,
};
use tauri::State;

use crate::state::AppState;

type Result<T> = std::result::Result<T, ApiError>;

#[tauri::command]
pub async fn app_status(state: State<'_, AppState>) -> Result<AppStatus> {
    state.app.status()
}

#[tauri::command]
pub fn check_uscc(text: String) -> Result<UsccCheck> {
    Ok(app::setup::check_uscc(&text))
}

#[tauri::command]
pub async fn complete_setup(state: State<'_, AppState>, input: SetupInput) -> Result<AppStatus> {
    state.app.complete_setup(&input)
}

#[tauri::command]
pub async fn save_enterprise(
    state: State<'_, AppState>,
    input: EnterpriseInput,
) -> Result<Enterprise> {
    state.app.save_enterprise(&input)
}

#[tauri::command]
pub async fn set_language(state: State<'_, AppState>, language: Language) -> Result<AppStatus> {
    state.app.set_language(language)
}

#[tauri::command]
pub async fn db_check(state: State<'_, AppState>) -> Result<DbCheck> {
    state.app.db_check()
}

#[tauri::command]
pub async fn backup_database(
    state: State<'_, AppState>,
    path: Option<String>,
) -> Result<BackupInfo> {
    state.app.backup(path.as_deref().map(Path::new))
}

#[tauri::command]
pub async fn list_backups(state: State<'_, AppState>) -> Result<Vec<BackupFile>> {
    state.app.list_backups()
}

#[tauri::command]
pub async fn restore_database(state: State<'_, AppState>, path: String) -> Result<AppStatus> {
    state.app.restore(Path::new(&path))
}
