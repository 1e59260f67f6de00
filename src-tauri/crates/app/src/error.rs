//! Errors. `ApiError` is the small, public shape the UI and the CLI see; its texts come from the
//! catalogue [`crate::messages::Msg`].

use serde::{Deserialize, Serialize};

pub mod messages;

use messages::Msg;

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
    /// The catalogue's constructor ([`crate::messages::Msg::err`]); app code raises a `Msg`
    /// instead of writing texts here. Public only for the CLI's own argument errors.
    ///
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
        Msg::CannotWrite {
            path: path.to_path_buf(),
            error: err.to_string(),
        }
        .err()
    }

    #[track_caller]
    pub fn storage(err: store::Error) -> Self {
        Msg::Storage {
            error: err.to_string(),
        }
        .err()
    }

    /// The process exit code the CLI uses: 2 for bad input or an unreadable file, 1 for
    /// everything else (valid input refused in the current state, missing records, failures).
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
            return Msg::ProductHasCodes.err();
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
