//! tracedesk's application layer: the use-cases, written once.
//!
//! The desktop shell, the `tracedesk` CLI and the tests all call [`App`]; nothing else composes the
//! adapters (`store`, the sheet reader `sheets`, the platform client `platform`, the label and
//! printer crates). This crate owns
//! transactions, ordering and file locations. It has no Tauri dependency and knows nothing of
//! windows or terminals; the only error its callers see is [`ApiError`], whose texts come from the
//! catalogue in [`messages`].

mod archive;
pub mod attachments;
mod batches;
pub mod care;
pub mod catalogue;
pub mod catalogues;
mod clock;
pub mod coding;
mod connection;
mod credentials;
mod dashboard;
pub mod dev;
mod documents;
pub mod dto;
pub mod entries;
pub mod error;
mod export;
#[cfg(test)]
mod golden;
pub mod identity;
pub mod import;
mod jobs;
pub mod labels;
mod lease;
pub mod logging;
mod lots;
mod parties;
mod paths;
mod practice;
pub mod printing;
pub mod products;
mod recall;
mod receipts;
pub mod report;
mod restore;
mod scan;
pub mod setup;
mod shipments;
pub mod submit;
mod sync;
mod trace;
pub mod updates;

use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

pub use dto::*;
pub use error::messages::{self, Msg};
pub use error::{ApiError, ErrorCode, Result};
pub use import::{ImportFileOptions, ImportFileOutcome};
pub use logging::{LogSession, init_logging};
pub use paths::{DB_FILE_NAME, default_data_dir};

/// Where the app keeps its data, and who is using it.
#[derive(Debug, Clone)]
pub struct Config {
    pub data_dir: PathBuf,
    pub db_path: PathBuf,
    /// Recorded as "who" in the audit log.
    pub actor: String,
    /// The CUPS server label jobs are sent to (`host:port` or its socket's path); `None` for the
    /// system's. Ignored on Windows.
    pub cups_server: Option<String>,
}

impl Config {
    /// The data directory `data_dir` with the database at its default place inside it.
    pub fn in_dir(data_dir: impl Into<PathBuf>) -> Config {
        let data_dir = data_dir.into();
        Config {
            db_path: data_dir.join(DB_FILE_NAME),
            data_dir,
            actor: paths::os_user(),
            cups_server: None,
        }
    }

    /// A database at `db_path`; the data directory is the folder that holds it.
    pub fn for_db(db_path: impl Into<PathBuf>) -> Config {
        let db_path = db_path.into();
        let data_dir = db_path
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_else(|| PathBuf::from("."));
        Config {
            db_path,
            data_dir,
            actor: paths::os_user(),
            cups_server: None,
        }
    }
}

/// The application. Cheap to share: every method takes `&self` and locks the database only for
/// the duration of the call.
pub struct App {
    config: Config,
    db: Mutex<store::Db>,
    /// Work under way in this process: import sessions, the submission run, code generations,
    /// the practice platform.
    jobs: jobs::Jobs,
    /// The catalogues checks use: shipped, or newer files loaded into the data folder.
    catalogues: catalogues::Catalogues,
}

impl App {
    /// Opens (creating and migrating if needed) the database named by `config`.
    pub fn open(config: Config) -> Result<App> {
        std::fs::create_dir_all(&config.data_dir)
            .map_err(|e| paths::dir_error(&config.data_dir, e))?;
        let copies_before = pre_migration_copies(&config.data_dir);
        let mut db = store::Db::open(&config.db_path).map_err(|e| {
            let err = paths::open_error(&config.db_path, e);
            tracing::error!(code = ?err.code, "database not opened");
            err
        })?;
        db.set_actor(&config.actor)?;
        let schema = db.schema_version()?;
        if pre_migration_copies(&config.data_dir) > copies_before {
            tracing::info!(
                schema,
                "database migrated; the previous version was copied to backups/"
            );
        } else {
            tracing::info!(schema, "database opened");
        }
        let catalogues = catalogues::Catalogues::load(&config.data_dir);
        Ok(App {
            config,
            db: Mutex::new(db),
            jobs: jobs::Jobs::default(),
            catalogues,
        })
    }

    pub fn config(&self) -> &Config {
        &self.config
    }

    fn db(&self) -> MutexGuard<'_, store::Db> {
        // A panic while the lock was held cannot leave SQLite half-written (every write is a
        // transaction), so a poisoned lock is safe to reuse.
        self.db
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    pub fn paths(&self) -> DataPaths {
        DataPaths {
            database: self.config.db_path.display().to_string(),
            data_dir: self.config.data_dir.display().to_string(),
            backup_dir: self.backup_dir().display().to_string(),
        }
    }

    fn backup_dir(&self) -> PathBuf {
        self.config.data_dir.join("backups")
    }

    /// Checks the database with SQLite's own integrity and foreign-key checks.
    pub fn db_check(&self) -> Result<DbCheck> {
        let db = self.db();
        let integrity = db.integrity_check()?;
        Ok(DbCheck {
            ok: integrity == ["ok"],
            integrity,
            schema_version: db.schema_version()?,
            database: self.config.db_path.display().to_string(),
        })
    }

    /// Copies the live database to `dest`, or to a time-stamped file in the backup folder.
    pub fn backup(&self, dest: Option<&Path>) -> Result<BackupInfo> {
        let dest = match dest {
            Some(path) => path.to_path_buf(),
            None => self
                .backup_dir()
                .join(format!("tracedesk-{}.sqlite3", paths::stamp())),
        };
        let db = self.db();
        let bytes = db.backup_to(&dest)?;
        tracing::info!(
            kind = ?care::retention::BackupKind::of(
                &dest.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default()
            ),
            in_backup_folder = dest.parent() == Some(self.backup_dir().as_path()),
            bytes,
            "backup written"
        );
        Ok(BackupInfo {
            path: dest.display().to_string(),
            bytes,
            schema_version: db.schema_version()?,
        })
    }

    /// The backups in the backup folder, newest first.
    pub fn list_backups(&self) -> Result<Vec<BackupFile>> {
        let dir = self.backup_dir();
        let entries = match std::fs::read_dir(&dir) {
            Ok(entries) => entries,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(paths::dir_error(&dir, e)),
        };
        let mut files: Vec<BackupFile> = entries
            .filter_map(|entry| entry.ok())
            .filter(|entry| entry.path().extension().is_some_and(|ext| ext == "sqlite3"))
            .filter_map(|entry| {
                let meta = entry.metadata().ok()?;
                let modified = time::OffsetDateTime::from(meta.modified().ok()?);
                Some(BackupFile {
                    path: entry.path().display().to_string(),
                    file_name: entry.file_name().to_string_lossy().into_owned(),
                    bytes: meta.len(),
                    modified: modified
                        .format(&time::format_description::well_known::Rfc3339)
                        .unwrap_or_default(),
                })
            })
            .collect();
        files.sort_by(|a, b| {
            b.modified
                .cmp(&a.modified)
                .then_with(|| b.file_name.cmp(&a.file_name))
        });
        Ok(files)
    }
}

/// How many copies made before a migration the backup folder holds (0 if it has none yet).
fn pre_migration_copies(data_dir: &Path) -> usize {
    std::fs::read_dir(data_dir.join("backups")).map_or(0, |entries| {
        entries
            .filter_map(|e| e.ok())
            .filter(|e| {
                e.file_name()
                    .to_string_lossy()
                    .starts_with("pre-migration-")
            })
            .count()
    })
}

#[cfg(test)]
mod entry_tests;
#[cfg(test)]
mod recorded;
#[cfg(test)]
mod testkit;
#[cfg(test)]
mod tests;
