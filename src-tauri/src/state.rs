//! What every command shares: the one [`app::App`], opened at startup.

use std::path::PathBuf;

/// Managed by Tauri and handed to each command as `State<'_, AppState>`.
pub struct AppState {
    pub app: app::App,
}

impl AppState {
    /// Opens the database in the per-user data directory (`TRACEDESK_DATA_DIR` overrides it, which
    /// is how the WebDriver suite gives each test its own data).
    pub fn open() -> Result<AppState, StartupError> {
        let data_dir = app::default_data_dir();
        app::App::open(app::Config::in_dir(&data_dir))
            .map(|app| AppState { app })
            .map_err(|error| StartupError { data_dir, error })
    }
}

/// The app could not open its data. Shown to the user in a native dialog before exiting.
pub struct StartupError {
    pub data_dir: PathBuf,
    pub error: app::ApiError,
}

impl StartupError {
    pub const TITLE: &str = "追溯通无法启动 / tracedesk cannot start";

    /// The dialog text: Chinese first, then English, then where the data lives.
    pub fn message(&self) -> String {
        format!(
            "{}\n\n{}\n\n数据目录 / Data folder: {}",
            self.error.message_zh,
            self.error.message_en,
            self.data_dir.display()
        )
    }
}
