//! 导出诊断包: one zip a clerk can send to whoever helps them, with what that person needs to see
//! what is wrong, and no secrets.
//!
//! Inside: `README.txt` (what each file is), `versions.json` (app, schema, SQLite, OS),
//! `checks.json` (SQLite's `integrity_check` and `foreign_key_check`, and the archive-chain
//! verification), `settings.json` (every setting, with any field named like a secret, token or
//! password replaced by `"<removed>"`; the App Secret itself is never in the settings: it lives in
//! the keychain or its own file, which is not included), `backups.json` (names, kinds, sizes and
//! times), `logs/` (the log files), and `data/tracedesk.sqlite3` (a consistent copy of the
//! database, made with SQLite's backup API) only when the clerk asks for it.

use crate::messages::Msg;
use std::io::Write;
use std::path::{Path, PathBuf};

use serde_json::{Value, json};
use zip::write::SimpleFileOptions;

use crate::care::retention::BackupKind;
use crate::{ApiError, App, DataFolder, DiagnosticsResult, Result, paths};

const README: &str = "\
追溯通诊断包 tracedesk diagnostics bundle

versions.json   程序、数据库结构、SQLite 与操作系统版本 app, schema, SQLite and OS versions
checks.json     数据库完整性检查与报送档案校验结果 database integrity check and archive verification
settings.json   设置（不含密钥、令牌、密码） settings (no secrets, tokens or passwords)
backups.json    备份文件列表 the list of backups (names, kinds, sizes, times)
logs/           日志文件 the log files
data/           仅在勾选“包含业务数据”时：数据库副本 only when asked: a copy of the database
";

/// A JSON field whose name says it holds a secret.
fn is_secret_name(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    ["secret", "token", "password", "passwd"]
        .iter()
        .any(|word| name.contains(word))
}

/// `value` with every field named like a secret replaced.
fn without_secrets(value: Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.into_iter()
                .map(|(k, v)| {
                    if is_secret_name(&k) {
                        (k, Value::String("<removed>".into()))
                    } else {
                        (k, without_secrets(v))
                    }
                })
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.into_iter().map(without_secrets).collect()),
        other => other,
    }
}

fn pretty(value: &Value) -> Vec<u8> {
    serde_json::to_vec_pretty(value).unwrap_or_default()
}

impl App {
    /// Writes the diagnostics bundle to `out`, or to `exports/diagnostics-<stamp>.zip`. A copy of
    /// the database goes in only with `include_data`.
    pub fn diagnostics(&self, out: Option<&Path>, include_data: bool) -> Result<DiagnosticsResult> {
        let path: PathBuf = match out {
            Some(p) => p.to_path_buf(),
            None => self
                .data_folder(DataFolder::Exports)?
                .join(format!("diagnostics-{}.zip", paths::stamp())),
        };
        let mut files: Vec<(String, Vec<u8>)> =
            vec![("README.txt".into(), README.as_bytes().to_vec())];

        let about = self.about()?;
        files.push((
            "versions.json".into(),
            pretty(&json!({
                "app": about.version,
                "schemaVersion": about.schema_version,
                "schemaVersionOfThisBuild": store::Db::latest_version(),
                "sqlite": about.sqlite_version,
                "os": about.os,
                "writtenAt": paths::now_iso(),
            })),
        ));

        let integrity = self.db().integrity_check()?;
        let archive = self.verify_archive()?;
        files.push((
            "checks.json".into(),
            pretty(&json!({
                "integrityOk": integrity == ["ok"],
                "integrity": integrity,
                "archive": archive,
            })),
        ));

        let settings: serde_json::Map<String, Value> = self
            .db()
            .settings()?
            .into_iter()
            .map(|(key, raw)| {
                let value = if is_secret_name(&key) {
                    Value::String("<removed>".into())
                } else {
                    without_secrets(serde_json::from_str(&raw).unwrap_or(Value::String(raw)))
                };
                (key, value)
            })
            .collect();
        files.push(("settings.json".into(), pretty(&Value::Object(settings))));

        let backups: Vec<Value> = self
            .list_backups()?
            .into_iter()
            .map(|b| {
                json!({
                    "fileName": b.file_name,
                    "kind": BackupKind::of(&b.file_name),
                    "bytes": b.bytes,
                    "modified": b.modified,
                })
            })
            .collect();
        files.push(("backups.json".into(), pretty(&Value::Array(backups))));

        let log_dir = crate::paths::log_dir(&self.config().data_dir);
        if let Ok(entries) = std::fs::read_dir(&log_dir) {
            let mut logs: Vec<PathBuf> = entries
                .filter_map(|e| e.ok())
                .map(|e| e.path())
                .filter(|p| p.is_file())
                .collect();
            logs.sort();
            for log in logs {
                let bytes = std::fs::read(&log).map_err(|e| read_error(&log, e))?;
                let name = log.file_name().map(|n| n.to_string_lossy().into_owned());
                files.push((format!("logs/{}", name.unwrap_or_default()), bytes));
            }
        }

        // The copy is made in a scratch file beside the bundle and deleted when this drops.
        let scratch = if include_data {
            let dir = path
                .parent()
                .filter(|d| !d.as_os_str().is_empty())
                .unwrap_or(Path::new("."));
            std::fs::create_dir_all(dir).map_err(|e| ApiError::cannot_write(&path, e))?;
            let scratch = tempfile::Builder::new()
                .prefix(".diagnostics-")
                .suffix(".sqlite3")
                .tempfile_in(dir)
                .map_err(|e| ApiError::cannot_write(&path, e))?;
            self.db().backup_to(scratch.path())?;
            Some(scratch)
        } else {
            None
        };

        let file = std::fs::File::create(&path).map_err(|e| ApiError::cannot_write(&path, e))?;
        let mut zip = zip::ZipWriter::new(file);
        let options = SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated)
            .large_file(true);
        let mut names = Vec::new();
        for (name, bytes) in &files {
            zip.start_file(name.as_str(), options)
                .map_err(|e| ApiError::cannot_write(&path, e))?;
            zip.write_all(bytes)
                .map_err(|e| ApiError::cannot_write(&path, e))?;
            names.push(name.clone());
        }
        if let Some(scratch) = &scratch {
            let name = format!("data/{}", crate::DB_FILE_NAME);
            zip.start_file(name.as_str(), options)
                .map_err(|e| ApiError::cannot_write(&path, e))?;
            let mut copy =
                std::fs::File::open(scratch.path()).map_err(|e| read_error(scratch.path(), e))?;
            std::io::copy(&mut copy, &mut zip).map_err(|e| ApiError::cannot_write(&path, e))?;
            names.push(name);
        }
        zip.finish().map_err(|e| ApiError::cannot_write(&path, e))?;
        let bytes = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
        tracing::info!(include_data, bytes, "diagnostics bundle written");
        let (data_zh, data_en) = if include_data {
            (
                "，含业务数据（数据库副本），请只发给可信的人",
                ", with the business data (a copy of the database): send it only to someone you trust",
            )
        } else {
            ("，不含业务数据", ", without business data")
        };
        Ok(DiagnosticsResult {
            message_zh: format!("诊断包已保存到 {}{data_zh}", path.display()),
            message_en: format!("diagnostics bundle saved to {}{data_en}", path.display()),
            path: path.display().to_string(),
            bytes,
            files: names,
            includes_data: include_data,
        })
    }
}

fn read_error(path: &Path, e: std::io::Error) -> ApiError {
    Msg::CannotRead {
        path: path.to_path_buf(),
        error: e.to_string(),
    }
    .err()
}
