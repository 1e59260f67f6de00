//! The archive (档案): browse every archived request and response, verify the hash chain, and
//! export what an inspector asks for: the EPCIS 2.0 document, the upload workbook, and the
//! evidence pack (a zip of the report, the payloads, the archive entries and a manifest of
//! SHA-256 hashes).

use std::io::Write;
use std::path::Path;

use store::archive::{self as chain, ArchiveFilter};
use store::outbox::{self, OutboxFilter};
use zip::write::SimpleFileOptions;

use crate::report::{file_info, report_bytes, report_cells};
use crate::{
    ApiError, App, ArchiveEntry, ArchivePage, ArchiveQuery, ArchiveVerification, ErrorCode,
    ExportedFile, Result,
};

const LIST_BODY: usize = 4000;

fn entry_dto(e: chain::Entry, cut: bool) -> ArchiveEntry {
    let truncated = cut && e.body.chars().count() >= LIST_BODY;
    ArchiveEntry {
        id: e.id,
        at: e.at,
        direction: e.direction,
        method: e.method,
        endpoint: e.endpoint,
        status: e.status,
        request_id: e.request_id,
        record_keys: serde_json::from_str(&e.record_keys).unwrap_or_default(),
        headers: e.headers,
        body: e.body,
        body_truncated: truncated,
        outcome: e.outcome,
        hash: e.hash,
        prev_hash: e.prev_hash,
    }
}

/// The verdict of [`chain::verify`] as the UI, the CLI and the evidence pack show it.
pub(crate) fn verification_dto(v: &chain::Verification) -> ArchiveVerification {
    ArchiveVerification {
        ok: v.ok,
        chain_ok: v.chain_ok(),
        entries: v.entries,
        first_bad: v.first_bad,
        reason: v.reason.clone(),
        reason_zh: v.reason_zh.clone(),
        last_hash: v.last_hash.clone(),
        records_checked: v.records.checked,
        records_mismatched: v.records.mismatches,
        record_first_bad: v.records.first_bad,
        record_reason_zh: v.records.reason_zh.clone(),
        record_reason_en: v.records.reason_en.clone(),
    }
}

#[cfg(test)]
mod verify_tests;

impl App {
    /// A page of the archive, newest first (bodies cut to 4 000 characters).
    pub fn list_archive(&self, query: &ArchiveQuery) -> Result<ArchivePage> {
        let filter = ArchiveFilter {
            from: query.from.clone(),
            to: query.to.clone(),
            direction: query.direction.clone(),
            search: query.search.clone(),
            offset: query.offset,
            limit: if query.limit == 0 { 50 } else { query.limit },
        };
        let (rows, total) = chain::list(self.db().conn(), &filter, LIST_BODY)?;
        Ok(ArchivePage {
            rows: rows.into_iter().map(|e| entry_dto(e, true)).collect(),
            total,
        })
    }

    /// One archive entry with its whole body.
    pub fn archive_entry(&self, id: i64) -> Result<ArchiveEntry> {
        chain::get(self.db().conn(), id)?
            .map(|e| entry_dto(e, false))
            .ok_or_else(|| {
                ApiError::new(
                    ErrorCode::NotFound,
                    format!("档案条目 {id} 不存在"),
                    format!("archive entry {id} not found"),
                )
            })
    }

    /// Recomputes the hash chain and names the first entry that was edited, deleted or reordered,
    /// and checks every accepted outbox record against the archived request that sent it, all in
    /// one read transaction.
    pub fn verify_archive(&self) -> Result<ArchiveVerification> {
        let v = chain::verify(self.db().conn())?;
        Ok(verification_dto(&v))
    }

    fn bodies(&self, from: Option<&str>, to: Option<&str>) -> Result<Vec<String>> {
        let filter = OutboxFilter {
            // The platform of the settings: what another platform (practice) accepted does not count.
            target: Some(self.settings_target()?),
            from: from.map(str::to_string),
            to: to.map(str::to_string),
            ..Default::default()
        };
        let mut bodies = Vec::new();
        outbox::for_each_with_body(self.db().conn(), &filter, |_, body| {
            bodies.push(body);
            Ok(())
        })?;
        Ok(bodies)
    }

    /// The EPCIS 2.0 JSON-LD document of every current record (or those of `[from, to]`).
    pub fn export_epcis(
        &self,
        path: &Path,
        from: Option<&str>,
        to: Option<&str>,
    ) -> Result<ExportedFile> {
        let bodies = self.bodies(from, to)?;
        let refs: Vec<&str> = bodies.iter().map(String::as_str).collect();
        let doc = platform::epcis::document(&refs, &crate::submit::now());
        let text = serde_json::to_string_pretty(&doc.json).unwrap_or_default();
        std::fs::write(path, text).map_err(|e| ApiError::cannot_write(path, e))?;
        let notes = doc
            .skipped
            .iter()
            .map(|s| format!("{} {}", s.key, s.reason))
            .collect();
        file_info(path, (doc.events + doc.master_data) as u32, notes)
    }

    /// The upload workbook (one sheet per record kind) of every current record.
    pub fn export_upload_workbook(
        &self,
        path: &Path,
        from: Option<&str>,
        to: Option<&str>,
    ) -> Result<ExportedFile> {
        let bodies = self.bodies(from, to)?;
        let refs: Vec<&str> = bodies.iter().map(String::as_str).collect();
        let (mut workbook, summary) =
            platform::xlsx::upload_workbook(&refs).map_err(|e| ApiError::cannot_write(path, e))?;
        workbook
            .save(path)
            .map_err(|e| ApiError::cannot_write(path, e))?;
        file_info(path, summary.records as u32, Vec::new())
    }

    /// The evidence pack for `[from, to]`: `report.xlsx`, `payloads/records.jsonl` (each record
    /// exactly as sent), `archive/entries.jsonl` (the archived exchanges of the period),
    /// `epcis.jsonld`, `verification.json` (the chain check and its head hash) and
    /// `manifest-sha256.txt` (`sha256sum -c` format) over all of them.
    pub fn export_evidence_pack(&self, from: &str, to: &str, path: &Path) -> Result<ExportedFile> {
        let rows = self.report_rows(from, to)?;
        let report = report_bytes(&report_cells(&rows, from, to))
            .map_err(|e| ApiError::cannot_write(path, e))?;
        let mut files: Vec<(String, Vec<u8>)> = vec![("report.xlsx".into(), report)];
        let mut payloads = Vec::new();
        let filter = OutboxFilter {
            // The platform of the settings: what another platform (practice) accepted does not count.
            target: Some(self.settings_target()?),
            from: Some(from.into()),
            to: Some(to.into()),
            include_superseded: true,
            ..Default::default()
        };
        let mut current = Vec::new();
        outbox::for_each_with_body(self.db().conn(), &filter, |row, body| {
            payloads.extend_from_slice(body.as_bytes());
            payloads.push(b'\n');
            if row.state != outbox::SUPERSEDED {
                current.push(body);
            }
            Ok(())
        })?;
        files.push(("payloads/records.jsonl".into(), payloads));
        let mut entries = Vec::new();
        chain::for_each(self.db().conn(), from, to, |e| {
            let dto = entry_dto(e, false);
            entries.extend_from_slice(serde_json::to_string(&dto).unwrap_or_default().as_bytes());
            entries.push(b'\n');
            Ok(())
        })?;
        files.push(("archive/entries.jsonl".into(), entries));
        let refs: Vec<&str> = current.iter().map(String::as_str).collect();
        let doc = platform::epcis::document(&refs, &crate::submit::now());
        files.push((
            "epcis.jsonld".into(),
            serde_json::to_vec_pretty(&doc.json).unwrap_or_default(),
        ));
        let verification = self.verify_archive()?;
        files.push((
            "verification.json".into(),
            serde_json::to_vec_pretty(&verification).unwrap_or_default(),
        ));
        let manifest: String = files
            .iter()
            .map(|(name, bytes)| format!("{}  {name}\n", platform::canonical::sha256_hex(bytes)))
            .collect();
        files.push(("manifest-sha256.txt".into(), manifest.into_bytes()));
        let file = std::fs::File::create(path).map_err(|e| ApiError::cannot_write(path, e))?;
        let mut zip = zip::ZipWriter::new(file);
        let options =
            SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
        for (name, bytes) in &files {
            zip.start_file(name.as_str(), options)
                .map_err(|e| ApiError::cannot_write(path, e))?;
            zip.write_all(bytes)
                .map_err(|e| ApiError::cannot_write(path, e))?;
        }
        zip.finish().map_err(|e| ApiError::cannot_write(path, e))?;
        file_info(
            path,
            rows.len() as u32,
            vec![format!(
                "archive {} entries, head {}",
                verification.entries, verification.last_hash
            )],
        )
    }

    /// Where the platform secret is kept (practice, keychain, file with a warning, or none).
    pub fn credential_status(&self) -> Result<crate::CredentialStatus> {
        let platform = self.status()?.platform;
        let practice = platform
            .as_ref()
            .is_none_or(|p| p.mode == crate::PlatformMode::Practice);
        let app_key = platform.map(|p| p.app_key).unwrap_or_default();
        let found = if practice || app_key.is_empty() {
            None
        } else {
            crate::credentials::load(&self.config().data_dir, &app_key, true).map(|(_, s)| s)
        };
        Ok(crate::credentials::status(&app_key, found, practice))
    }

    /// Saves the App Secret of the configured App Key (keychain, else a 0600 file).
    pub fn save_platform_secret(&self, secret: &str) -> Result<crate::CredentialStatus> {
        let platform = self.status()?.platform;
        let app_key = platform.map(|p| p.app_key).unwrap_or_default();
        if app_key.trim().is_empty() || secret.trim().is_empty() {
            return Err(ApiError::new(
                ErrorCode::InvalidInput,
                "请先在平台连接中填写 AppKey，再填写 AppSecret",
                "enter the App Key in the platform settings first, then the App Secret",
            ));
        }
        let store =
            crate::credentials::save(&self.config().data_dir, &app_key, secret.trim(), true)?;
        Ok(crate::credentials::status(&app_key, Some(store), false))
    }
}

impl App {
    /// `path`, or a new file in `<data dir>/exports/` named `{stem}-{time}.{ext}` when the clerk
    /// chose no place (the export buttons work without a dialog).
    pub fn export_path(
        &self,
        path: Option<&str>,
        stem: &str,
        ext: &str,
    ) -> Result<std::path::PathBuf> {
        if let Some(p) = path.map(str::trim).filter(|p| !p.is_empty()) {
            return Ok(std::path::PathBuf::from(p));
        }
        let dir = self.config().data_dir.join("exports");
        std::fs::create_dir_all(&dir).map_err(|e| ApiError::cannot_write(&dir, e))?;
        let now = crate::submit::now();
        let compact: String = now[..19]
            .chars()
            .filter(|c| c.is_ascii_digit() || *c == 'T')
            .collect();
        Ok(dir.join(format!("{stem}-{compact}.{ext}")))
    }

    /// The submission report, to `path` or into the exports folder.
    pub fn export_report_to(
        &self,
        from: &str,
        to: &str,
        path: Option<&str>,
    ) -> Result<ExportedFile> {
        let path = self.export_path(path, "报送报表", "xlsx")?;
        self.export_report(from, to, &path)
    }

    /// The evidence pack, to `path` or into the exports folder.
    pub fn export_evidence_pack_to(
        &self,
        from: &str,
        to: &str,
        path: Option<&str>,
    ) -> Result<ExportedFile> {
        let path = self.export_path(path, "证据包", "zip")?;
        self.export_evidence_pack(from, to, &path)
    }

    /// The EPCIS document, to `path` or into the exports folder.
    pub fn export_epcis_to(&self, path: Option<&str>) -> Result<ExportedFile> {
        let path = self.export_path(path, "EPCIS", "jsonld")?;
        self.export_epcis(&path, None, None)
    }

    /// The upload workbook, to `path` or into the exports folder.
    pub fn export_upload_workbook_to(&self, path: Option<&str>) -> Result<ExportedFile> {
        let path = self.export_path(path, "上传数据", "xlsx")?;
        self.export_upload_workbook(&path, None, None)
    }
}
