//! 目录与数据: the catalogues in use and loading a newer catalogue file (app: catalogues.rs).

use tauri::State;

use crate::files::{Access, Files};
use crate::state::AppState;

type Result<T> = std::result::Result<T, app::ApiError>;

#[tauri::command]
pub async fn catalogue_versions(state: State<'_, AppState>) -> Result<Vec<app::CatalogueVersion>> {
    Ok(state.app.catalogue_versions())
}

/// `source`: a token from `pick_open_file`; it stays valid for `install_catalogue`.
#[tauri::command]
pub async fn preview_catalogue(
    state: State<'_, AppState>,
    files: State<'_, Files>,
    source: String,
) -> Result<app::CataloguePreview> {
    state
        .app
        .preview_catalogue(&files.peek(&source, Access::Read)?)
}

/// `source`: the token `preview_catalogue` was given.
#[tauri::command]
pub async fn install_catalogue(
    state: State<'_, AppState>,
    files: State<'_, Files>,
    source: String,
) -> Result<app::CatalogueVersion> {
    files.spend_on_success(&source, Access::Read, |path| {
        state.app.install_catalogue(path)
    })
}

#[tauri::command]
pub async fn revert_catalogue(
    state: State<'_, AppState>,
    name: String,
) -> Result<app::CatalogueVersion> {
    state.app.revert_catalogue(&name)
}
