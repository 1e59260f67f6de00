//! Errors. `Error` is rich and internal; `ApiError` is the small, public shape the UI and the
//! CLI see.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// What kind of failure, for the UI to branch on. Add a variant only when a caller branches on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum ErrorCode {
    /// The input is wrong; `field` names the form field when there is one.
    InvalidInput,
    /// The input is well-formed but refused in the current state (e.g. the wizard is not done).
    InvalidState,
    NotFound,
    /// A file could not be read or is not what it claims to be.
    UnreadableFile,
    /// The database failed.
    Storage,
    Internal,
}

/// The only error the UI sees: a code to branch on, and a message for a person in Chinese and English.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, thiserror::Error)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
#[error("{message_zh}（{message_en}）")]
pub struct ApiError {
    pub code: ErrorCode,
    /// What is wrong, where, and how to fix it, in Chinese.
    pub message_zh: String,
    /// The same in English.
    pub message_en: String,
    /// The form field the error belongs to, e.g. `enterprise.uscc`.
    pub field: Option<String>,
}

impl ApiError {
    /// Also logs the failure: its code and the source line that raised it, never the message
    /// (which can quote business data).
    #[track_caller]
    pub fn new(code: ErrorCode, zh: impl Into<String>, en: impl Into<String>) -> Self {
        logged(code, None);
        Self {
            code,
            message_zh: zh.into(),
            message_en: en.into(),
            field: None,
        }
    }

    #[track_caller]
    pub fn invalid(field: &str, message: &codes::Message) -> Self {
        logged(ErrorCode::InvalidInput, Some(field));
        Self {
            code: ErrorCode::InvalidInput,
            message_zh: message.zh.clone(),
            message_en: message.en.clone(),
            field: Some(field.to_string()),
        }
    }

    /// A file the app was asked to write (an export, a report, a code list) could not be written.
    #[track_caller]
    pub fn cannot_write(path: &std::path::Path, err: impl std::fmt::Display) -> Self {
        Self::new(
            ErrorCode::UnreadableFile,
            format!(
                "无法写入 {}：{err}。请检查文件夹是否存在、是否有写入权限、文件是否正被 Excel/WPS 打开",
                path.display()
            ),
            format!(
                "cannot write {}: {err}; check the folder exists, is writable, and the file is not open in Excel/WPS",
                path.display()
            ),
        )
    }

    #[track_caller]
    pub fn storage(err: store::Error) -> Self {
        Self::new(
            ErrorCode::Storage,
            format!(
                "数据库操作失败：{err}。数据未被修改，请重试；如反复出现，请在“设置”中执行数据库检查"
            ),
            format!(
                "Database operation failed: {err}. Nothing was changed; retry, or run the database check in Settings"
            ),
        )
    }

    /// The process exit code the CLI uses: 2 for bad input or an unreadable file, 1 when valid
    /// input was refused, and 1 for other failures.
    pub fn exit_code(&self) -> i32 {
        match self.code {
            ErrorCode::InvalidInput | ErrorCode::UnreadableFile => 2,
            _ => 1,
        }
    }
}

impl From<store::Error> for ApiError {
    #[track_caller]
    fn from(err: store::Error) -> Self {
        // Migration 0004's backstop for a product with codes (coding::check_scheme_change says
        // the same, with the product's name, before it comes to this).
        if matches!(err, store::Error::ProductHasCodes) {
            return ApiError {
                field: Some("granularity".into()),
                ..ApiError::new(
                    ErrorCode::InvalidState,
                    "此产品已有追溯码，赋码方案和粒度不能再改：已印出的码会与产品对不上。如确需更改，请新建一个产品",
                    "this product already has trace codes, so its scheme and granularity can no longer change; create a new product instead",
                )
            };
        }
        ApiError::storage(err)
    }
}

/// Logs a failure by its code, field and the line that raised it (`logging.rs`).
#[track_caller]
fn logged(code: ErrorCode, field: Option<&str>) {
    let at = std::panic::Location::caller();
    tracing::warn!(?code, field, at = %format_args!("{}:{}", at.file(), at.line()), "failed");
}

pub type Result<T> = std::result::Result<T, ApiError>;
