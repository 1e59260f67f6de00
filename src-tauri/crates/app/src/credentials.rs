//! The platform App Secret: in the OS keychain (Windows Credential Manager, macOS Keychain, the
//! Secret Service on Linux) through the `keyring` crate, or, where no keychain answers (a headless
//! Linux, CI), in `<data dir>/platform-secret.json` with owner-only permissions (0600), and the
//! UI and CLI say so. The secret is never logged, archived, reported or sent: it only keys the
//! HMAC of each request. Practice mode uses the simulator's documented practice credentials.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::{ApiError, CredentialStatus, ErrorCode, Result};

const SERVICE: &str = "cn.tracedesk.platform";
const FILE_NAME: &str = "platform-secret.json";

/// `TRACEDESK_NO_KEYCHAIN=1` skips the keychain (tests, portable installs).
fn keychain_allowed() -> bool {
    std::env::var_os("TRACEDESK_NO_KEYCHAIN").is_none_or(|v| v.is_empty() || v == "0")
}

#[derive(Serialize, Deserialize)]
struct SecretFile {
    app_key: String,
    app_secret: String,
}

pub(crate) fn file_path(data_dir: &Path) -> PathBuf {
    data_dir.join(FILE_NAME)
}

fn io_error(path: &Path, e: std::io::Error) -> ApiError {
    ApiError::new(
        ErrorCode::UnreadableFile,
        format!("无法写入凭证文件 {}：{e}", path.display()),
        format!("cannot write the credential file {}: {e}", path.display()),
    )
}

fn write_file(data_dir: &Path, app_key: &str, secret: &str) -> Result<()> {
    let path = file_path(data_dir);
    let text = serde_json::to_string(&SecretFile {
        app_key: app_key.to_string(),
        app_secret: secret.to_string(),
    })
    .unwrap_or_default();
    let tmp = path.with_extension("json.tmp");
    {
        use std::io::Write;
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create(true).truncate(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        let mut file = options.open(&tmp).map_err(|e| io_error(&tmp, e))?;
        file.write_all(text.as_bytes())
            .and_then(|_| file.sync_all())
            .map_err(|e| io_error(&tmp, e))?;
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&tmp, std::fs::Permissions::from_mode(0o600))
            .map_err(|e| io_error(&tmp, e))?;
    }
    std::fs::rename(&tmp, &path).map_err(|e| io_error(&path, e))
}

fn read_file(data_dir: &Path, app_key: &str) -> Option<String> {
    let text = std::fs::read_to_string(file_path(data_dir)).ok()?;
    let file: SecretFile = serde_json::from_str(&text).ok()?;
    (file.app_key == app_key).then_some(file.app_secret)
}

fn keychain_set(app_key: &str, secret: &str) -> std::result::Result<(), String> {
    let entry = keyring::Entry::new(SERVICE, app_key).map_err(|e| e.to_string())?;
    entry.set_password(secret).map_err(|e| e.to_string())?;
    // Some stores accept a write they cannot read back (a locked collection): check.
    match entry.get_password() {
        Ok(back) if back == secret => Ok(()),
        Ok(_) => Err("the keychain returned another secret".into()),
        Err(e) => Err(e.to_string()),
    }
}

fn keychain_get(app_key: &str) -> Option<String> {
    keyring::Entry::new(SERVICE, app_key)
        .ok()?
        .get_password()
        .ok()
}

/// Where the secret went.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Store {
    Keychain,
    File,
}

/// Saves `secret` for `app_key`: the keychain when one answers (and `use_keychain`), else the
/// 0600 file.
pub(crate) fn save(
    data_dir: &Path,
    app_key: &str,
    secret: &str,
    use_keychain: bool,
) -> Result<Store> {
    if use_keychain && keychain_allowed() && keychain_set(app_key, secret).is_ok() {
        let _ = std::fs::remove_file(file_path(data_dir));
        return Ok(Store::Keychain);
    }
    write_file(data_dir, app_key, secret)?;
    Ok(Store::File)
}

/// The secret of `app_key` and where it was found.
/// The file is read first: it only exists when the keychain was unavailable at saving time, and
/// reading it needs no D-Bus round trip.
pub(crate) fn load(data_dir: &Path, app_key: &str, use_keychain: bool) -> Option<(String, Store)> {
    if let Some(secret) = read_file(data_dir, app_key) {
        return Some((secret, Store::File));
    }
    if use_keychain
        && keychain_allowed()
        && let Some(secret) = keychain_get(app_key)
    {
        return Some((secret, Store::Keychain));
    }
    None
}

pub(crate) const FILE_WARNING_ZH: &str = "未找到系统钥匙串（如无桌面环境的 Linux），平台密钥已保存在数据目录中仅本用户可读的文件里（权限 0600）。请保护好该目录。";
pub(crate) const FILE_WARNING_EN: &str = "No system keychain was found (e.g. Linux without a desktop session); the platform secret is kept in an owner-only file (0600) in the data folder. Protect that folder.";

pub(crate) fn status(app_key: &str, found: Option<Store>, practice: bool) -> CredentialStatus {
    if practice {
        return CredentialStatus {
            store: "practice".into(),
            app_key: simulator::PRACTICE_APP_KEY.into(),
            has_secret: true,
            warning_zh: None,
            warning_en: None,
        };
    }
    let file = found == Some(Store::File);
    CredentialStatus {
        store: match found {
            Some(Store::Keychain) => "keychain",
            Some(Store::File) => "file",
            None => "none",
        }
        .into(),
        app_key: app_key.to_string(),
        has_secret: found.is_some(),
        warning_zh: file.then(|| FILE_WARNING_ZH.to_string()),
        warning_en: file.then(|| FILE_WARNING_EN.to_string()),
    }
}
