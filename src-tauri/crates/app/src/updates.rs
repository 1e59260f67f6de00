//! Updates: when the shell may update, and what the clerk is told. Reading the release manifest,
//! downloading the package, checking its minisign signature and installing it are
//! tauri-plugin-updater's work in the desktop shell; the rules that are tracedesk's own live here,
//! where the tests and the CLI reach them without a window.

use crate::messages::Msg;
use serde::Serialize;
use ts_rs::TS;

use crate::{ApiError, App, Result};

/// Replaces the release server configured in the build: an IT admin's intranet mirror, or the
/// loopback manifest of the end-to-end tests. Safe to honour in every build, because a package is
/// installed only when it carries a signature of the key compiled into the app.
pub const UPDATE_URL_ENV: &str = "TRACEDESK_UPDATE_URL";

/// A newer release the release server offers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct UpdateOffer {
    /// The version running now.
    pub current_version: String,
    pub version: String,
    /// When the release was published (RFC 3339), if the manifest says.
    pub date: Option<String>,
    /// The release notes as published (Chinese first, by the release checklist).
    pub notes: String,
}

/// A downloaded package whose signature was verified, ready to install.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct UpdateReady {
    pub version: String,
    #[ts(type = "number")]
    pub bytes: u64,
    /// The running program was installed from a package the updater can replace (an installer,
    /// `.deb`, `.rpm` or AppImage). A build run from a source checkout is never overwritten.
    pub installable: bool,
}

/// Why an update step failed, as the shell's updater reports it. The detail is the updater's own
/// text, kept for the log and shown after the explanation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UpdateFailure {
    /// The release server could not be reached or answered with an error status.
    Unreachable(String),
    /// The server answered, but not with a release manifest for this platform.
    BadManifest(String),
    /// The package does not carry a valid signature of tracedesk's release key.
    BadSignature(String),
    /// The package was verified but could not be installed.
    Install(String),
    /// This program was not installed from a package, so there is nothing the updater may replace.
    NotInstalled,
    /// There is no verified download to install (check and download first).
    NothingDownloaded,
}

impl UpdateFailure {
    #[track_caller]
    pub fn into_error(self) -> ApiError {
        match self {
            UpdateFailure::Unreachable(detail) => Msg::UpdateServerUnreachable { detail },
            UpdateFailure::BadManifest(detail) => Msg::UpdateManifestUnusable { detail },
            UpdateFailure::BadSignature(detail) => Msg::UpdateSignatureInvalid { detail },
            UpdateFailure::Install(detail) => Msg::UpdateInstallFailed { detail },
            UpdateFailure::NotInstalled => Msg::UpdateNotInstalledFromPackage,
            UpdateFailure::NothingDownloaded => Msg::UpdateNothingDownloaded,
        }
        .err()
    }
}

impl App {
    /// Downloading and installing an update wait while work is under way whose interruption would
    /// cost the clerk: a submission run (this window's or a scheduled CLI's, which holds the
    /// submission lease) or an import whose file is open in 导入.
    pub fn update_allowed(&self) -> Result<()> {
        if let Some(lease) = self.submission_lease()? {
            return Err(Msg::UpdateDuringSubmission {
                zh: lease.message_zh.to_string(),
                en: lease.message_en.to_string(),
            }
            .err());
        }
        if self.import_sessions_open() > 0 {
            return Err(Msg::UpdateDuringImport.err());
        }
        Ok(())
    }
}

/// The version of this build, from the workspace version.
pub fn current_version() -> &'static str {
    env!("CARGO_PKG_VERSION")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorCode;

    fn open(dir: &std::path::Path) -> App {
        App::open(crate::Config::in_dir(dir)).unwrap()
    }

    #[test]
    fn an_update_waits_while_a_submission_holds_the_lease() {
        let dir = tempfile::tempdir().unwrap();
        let window = open(dir.path());
        assert_eq!(window.update_allowed(), Ok(()));
        // A scheduled CLI run (another App on the same database) holds the lease.
        let cli = open(dir.path());
        let held = cli.take_lease("submit").unwrap();
        let err = window.update_allowed().unwrap_err();
        assert_eq!(err.field.as_deref(), Some("update"));
        assert!(
            err.message_zh.starts_with("正在报送，报送结束后才能更新"),
            "{err:?}"
        );
        assert!(err.message_en.contains("submission is running"), "{err:?}");
        drop(held);
        assert_eq!(window.update_allowed(), Ok(()));
    }

    #[test]
    fn an_update_waits_while_an_import_file_is_open() {
        let dir = tempfile::tempdir().unwrap();
        let app = open(dir.path());
        let sheet = dir.path().join("进货.csv");
        std::fs::write(&sheet, "供应商,物料名称,批号,数量,单位,到货日期\n").unwrap();
        let file = app.import_open(&sheet).unwrap();
        let err = app.update_allowed().unwrap_err();
        assert!(err.message_zh.starts_with("导入尚未结束"), "{err:?}");
        // Another database's window is not held up by this import.
        let other = tempfile::tempdir().unwrap();
        assert_eq!(open(other.path()).update_allowed(), Ok(()));
        app.import_close(file.session_id).unwrap();
        assert_eq!(app.update_allowed(), Ok(()));
    }

    #[test]
    fn a_refused_signature_says_nothing_changed_in_both_languages() {
        // minisign-verify's words for a package that does not match its signature.
        let e =
            UpdateFailure::BadSignature("The signature verification failed".into()).into_error();
        assert_eq!(e.code, ErrorCode::InvalidState);
        assert!(e.message_zh.contains("签名无效，已拒绝安装"), "{e:?}");
        assert!(e.message_zh.contains("当前版本和数据均未改变"), "{e:?}");
        assert!(e.message_en.contains("signature is invalid"), "{e:?}");
        assert!(
            e.message_en.contains("The signature verification failed"),
            "the updater's detail is kept"
        );
        let none = UpdateFailure::NothingDownloaded.into_error();
        assert!(none.message_zh.contains("检查更新"), "{none:?}");
    }
}
