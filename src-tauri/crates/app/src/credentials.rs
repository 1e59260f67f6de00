//! The platform App Secret: in the OS keychain (Windows Credential Manager, macOS Keychain, the
//! Secret Service on Linux) through the `keyring` crate, or, where no keychain answers (a headless
//! Linux, CI), in `<data dir>/platform-secret.json`, and the UI and CLI say so. On Unix that file
//! is owner-only (0600). On Windows, where file modes mean nothing, the secret inside it is sealed
//! with DPAPI for the current user (`windows-dpapi`, `CryptProtectData`): another local user, or
//! anyone who copies the file to another machine, reads only ciphertext. The secret is never
//! logged, archived, reported or sent: it only keys the HMAC of each request. Practice mode uses
//! the simulator's documented practice credentials.

use crate::messages::Msg;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::{ApiError, CredentialStatus, Result};

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
    Msg::CredentialFileUnwritable {
        path: path.to_path_buf(),
        error: e.to_string(),
    }
    .err()
}

/// How the secret is kept inside the file: as it is on Unix (the file is 0600), sealed with
/// DPAPI for the current Windows user on Windows.
#[cfg(not(windows))]
mod seal {
    pub(super) fn seal(secret: &str) -> Result<String, String> {
        Ok(secret.to_string())
    }

    pub(super) fn open(stored: &str) -> Option<String> {
        Some(stored.to_string())
    }
}

/// Compiled only by the Windows build (the release is built on Windows; this machine has no
/// Windows target), so it is kept to two library calls.
#[cfg(windows)]
mod seal {
    use windows_dpapi::{Scope, decrypt_data, encrypt_data};

    const PREFIX: &str = "dpapi:";
    /// Ties the blob to this use. It is public, so it is no secret: what protects the blob is
    /// DPAPI's key, derived from the user's logon credentials.
    const ENTROPY: &[u8] = b"cn.tracedesk.platform-secret";

    pub(super) fn seal(secret: &str) -> Result<String, String> {
        let sealed = encrypt_data(secret.as_bytes(), Scope::User, Some(ENTROPY))
            .map_err(|e| e.to_string())?;
        Ok(format!("{PREFIX}{}", hex::encode(sealed)))
    }

    pub(super) fn open(stored: &str) -> Option<String> {
        let Some(sealed) = stored.strip_prefix(PREFIX) else {
            // A file an earlier version wrote in clear: still read, sealed on the next save.
            return Some(stored.to_string());
        };
        let plain = decrypt_data(&hex::decode(sealed).ok()?, Scope::User, Some(ENTROPY)).ok()?;
        String::from_utf8(plain).ok()
    }
}

fn write_file(data_dir: &Path, app_key: &str, secret: &str) -> Result<()> {
    let path = file_path(data_dir);
    let sealed = seal::seal(secret).map_err(|e| {
        Msg::SecretUnsealable {
            error: e.to_string(),
        }
        .err()
    })?;
    let text = serde_json::to_string(&SecretFile {
        app_key: app_key.to_string(),
        app_secret: sealed,
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
    if file.app_key != app_key {
        return None;
    }
    seal::open(&file.app_secret)
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

#[cfg(not(windows))]
pub(crate) const FILE_WARNING_ZH: &str = "未找到系统钥匙串（如无桌面环境的 Linux），平台密钥已保存在数据目录中仅本用户可读的文件里（权限 0600）。请保护好该目录。";
#[cfg(not(windows))]
pub(crate) const FILE_WARNING_EN: &str = "No system keychain was found (e.g. Linux without a desktop session); the platform secret is kept in an owner-only file (0600) in the data folder. Protect that folder.";
#[cfg(windows)]
pub(crate) const FILE_WARNING_ZH: &str = "Windows 凭据管理器不可用，平台密钥已用 DPAPI 加密（仅当前 Windows 用户可解密）保存在数据目录的文件里。请保护好该目录。";
#[cfg(windows)]
pub(crate) const FILE_WARNING_EN: &str = "The Windows Credential Manager did not answer; the platform secret is kept in a file in the data folder, sealed with DPAPI so that only the current Windows user can read it. Protect that folder.";

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_file_keeps_the_secret_the_way_this_os_protects_it() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(
            save(dir.path(), "key-1", "s3cret", false).unwrap(),
            Store::File
        );
        let text = std::fs::read_to_string(file_path(dir.path())).unwrap();
        let file: SecretFile = serde_json::from_str(&text).unwrap();
        assert_eq!(file.app_key, "key-1");
        #[cfg(not(windows))]
        assert_eq!(file.app_secret, "s3cret", "0600 protects it on Unix");
        #[cfg(windows)]
        assert!(
            file.app_secret.starts_with("dpapi:") && !text.contains("s3cret"),
            "sealed with DPAPI on Windows"
        );
        assert_eq!(
            load(dir.path(), "key-1", false),
            Some(("s3cret".to_string(), Store::File))
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_secret_file_left_readable_by_others_is_owner_only_again_after_saving() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = file_path(dir.path());
        std::fs::write(&path, r#"{"app_key":"key-1","app_secret":"old"}"#).unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
        // A leftover temporary file from a crash, readable by everyone, is replaced too.
        let tmp = path.with_extension("json.tmp");
        std::fs::write(&tmp, "stale").unwrap();
        std::fs::set_permissions(&tmp, std::fs::Permissions::from_mode(0o666)).unwrap();
        save(dir.path(), "key-1", "new", false).unwrap();
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
        assert!(!tmp.exists());
        assert_eq!(load(dir.path(), "key-1", false).unwrap().0, "new");
    }
}
