//! Updates through tauri-plugin-updater: the plugin reads the release manifest, downloads the
//! package and checks its minisign signature against the public key compiled into the app (a
//! package without a valid signature is never installed, and this cannot be switched off). What
//! is tracedesk's own — when an update may run, and what the clerk is told — is in
//! `app::updates`; this module only carries the plugin's answers there.
//!
//! The webview gets none of the plugin's commands: the window calls [`check`], [`download`] and
//! [`install`] through tracedesk's commands, like everything else.

use std::sync::{Mutex, MutexGuard};

use app::ApiError;
use app::updates::{UPDATE_URL_ENV, UpdateFailure, UpdateOffer, UpdateReady};
use tauri::AppHandle;
use tauri_plugin_updater::{Error, Update, Updater, UpdaterExt};

use crate::state::AppState;

type Result<T> = std::result::Result<T, ApiError>;

/// The update the last check offered, and its package once downloaded and verified.
#[derive(Default)]
pub struct Updates(Mutex<Pending>);

#[derive(Default)]
struct Pending {
    offered: Option<Update>,
    package: Option<Vec<u8>>,
}

impl Updates {
    fn lock(&self) -> MutexGuard<'_, Pending> {
        // Nothing here is half-written by a panic: each field is replaced whole.
        self.0.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// The release server the build names, unless `TRACEDESK_UPDATE_URL` points elsewhere (an
/// intranet mirror, or the end-to-end tests' loopback manifest). Debug builds also take the public
/// key from `TRACEDESK_UPDATE_PUBKEY`, so the tests can sign with a key of their own; release
/// builds trust only the compiled-in key.
fn updater(app: &AppHandle) -> Result<Updater> {
    let mut builder = app.updater_builder();
    if let Ok(url) = std::env::var(UPDATE_URL_ENV) {
        let url = url
            .parse()
            .map_err(|e| UpdateFailure::BadManifest(format!("{UPDATE_URL_ENV}={url}: {e}")))
            .map_err(UpdateFailure::into_error)?;
        builder = builder.endpoints(vec![url]).map_err(failure)?;
    }
    #[cfg(debug_assertions)]
    if let Ok(key) = std::env::var("TRACEDESK_UPDATE_PUBKEY") {
        builder = builder.pubkey(key);
    }
    builder.build().map_err(failure)
}

/// Asks the release server whether a newer version exists.
pub async fn check(app: &AppHandle, updates: &Updates) -> Result<Option<UpdateOffer>> {
    let found = updater(app)?.check().await.map_err(failure)?;
    let offer = found.as_ref().map(|u| UpdateOffer {
        current_version: u.current_version.clone(),
        version: u.version.clone(),
        date: u
            .raw_json
            .get("pub_date")
            .and_then(|d| d.as_str())
            .map(str::to_owned),
        notes: u.body.clone().unwrap_or_default(),
    });
    *updates.lock() = Pending {
        offered: found,
        package: None,
    };
    Ok(offer)
}

/// Downloads the offered package and verifies its signature; keeps it for [`install`].
pub async fn download(state: &AppState, updates: &Updates) -> Result<UpdateReady> {
    state.app.update_allowed()?;
    let update = updates
        .lock()
        .offered
        .clone()
        .ok_or_else(|| UpdateFailure::NothingDownloaded.into_error())?;
    let package = update.download(|_, _| {}, || {}).await.map_err(failure)?;
    let ready = UpdateReady {
        version: update.version.clone(),
        bytes: package.len() as u64,
        installable: installable(),
    };
    updates.lock().package = Some(package);
    Ok(ready)
}

/// Installs the verified package and restarts into the new version.
pub fn install(app: &AppHandle, state: &AppState, updates: &Updates) -> Result<()> {
    state.app.update_allowed()?;
    if !installable() {
        return Err(UpdateFailure::NotInstalled.into_error());
    }
    let (update, package) = {
        let mut pending = updates.lock();
        match (pending.offered.clone(), pending.package.take()) {
            (Some(u), Some(p)) => (u, p),
            _ => return Err(UpdateFailure::NothingDownloaded.into_error()),
        }
    };
    // `install` verifies the signature again before it writes anything.
    update.install(package).map_err(failure)?;
    app.restart()
}

/// Installed from a package the updater knows how to replace. A binary run from a source checkout
/// is not: the updater would overwrite it in place as if it were an AppImage.
fn installable() -> bool {
    tauri::utils::platform::bundle_type().is_some() || std::env::var_os("APPIMAGE").is_some()
}

fn failure(e: Error) -> ApiError {
    let detail = e.to_string();
    match e {
        Error::Reqwest(_) | Error::Network(_) => UpdateFailure::Unreachable(detail),
        Error::ReleaseNotFound
        | Error::Serialization(_)
        | Error::Semver(_)
        | Error::UrlParse(_)
        | Error::TargetNotFound(_)
        | Error::TargetsNotFound(_)
        | Error::EmptyEndpoints
        | Error::InsecureTransportProtocol => UpdateFailure::BadManifest(detail),
        Error::Minisign(_)
        | Error::Base64(_)
        | Error::SignatureUtf8(_)
        | Error::SignedVersionMismatch { .. }
        | Error::MissingSignedVersion => UpdateFailure::BadSignature(detail),
        _ => UpdateFailure::Install(detail),
    }
    .into_error()
}
