//! The archive (档案): browse every archived request and response, verify the hash chain (also
//! against the platform's archive anchor, contract §6.4), and export what an inspector asks for:
//! the EPCIS 2.0 document, the upload workbook, and the evidence pack (a zip of the report, the
//! payloads, the archive entries and a manifest of SHA-256 hashes).

use crate::messages::Msg;
use std::io::Write;
use std::path::Path;

use store::archive::{self as chain, ArchiveFilter};
use store::outbox::{self, OutboxFilter};
use zip::write::SimpleFileOptions;

use crate::report::{file_info, report_bytes, report_cells};
use crate::{
    AnchorCheck, AnchorCheckStatus, ApiError, App, ArchiveEntry, ArchivePage, ArchiveQuery,
    ArchiveVerification, ErrorCode, ExportedFile, Result, SubmitRequest,
};

#[cfg(test)]
mod tests;

const LIST_BODY: usize = 4000;

/// The clerk's words for a failed anchor request. A wrong or redirecting address is bad input
/// (exit 2 in the CLI); everything else is a failure of the check (exit 1).
fn anchor_error(e: &platform::Error) -> ApiError {
    let (zh, en) = e.messages();
    let code = match e {
        platform::Error::Config(_) | platform::Error::Redirected { .. } => ErrorCode::InvalidInput,
        _ => ErrorCode::InvalidState,
    };
    Msg::ArchiveAnchorUnavailable {
        code,
        zh: zh.to_string(),
        en: en.to_string(),
    }
    .err()
}

/// Compares the platform's anchor with the local chain and says what it means.
fn judge_anchor(
    anchor: Option<&platform::AnchorStatus>,
    local_entries: u64,
    local_hash: Option<&str>,
) -> (AnchorCheckStatus, String, String) {
    let Some(a) = anchor else {
        return (
            AnchorCheckStatus::NoAnchor,
            format!(
                "平台尚未保存本企业（本 AppKey）的档案锚点，暂无可对照的内容：报送请求附带档案头（X-Archive-Head）后平台才会保存；若平台不支持该扩展，也会如此答复。本地档案共 {local_entries} 条。"
            ),
            format!(
                "The platform holds no archive anchor for this App Key yet, so there is nothing to compare with: it keeps one once a submission carries the archive head (X-Archive-Head), and a platform without this extension answers the same. The local archive has {local_entries} entries."
            ),
        );
    };
    let (n, when, theirs) = (a.entries, &a.received_at, &a.hash);
    match local_hash {
        None => (
            AnchorCheckStatus::PlatformAhead,
            format!(
                "本地档案比平台见过的短：平台于 {when} 收到的档案头已有 {n} 条（末条哈希 {theirs}），本地档案只有 {local_entries} 条。本地档案被截断，或被较旧的副本替换（例如恢复了旧备份、换用了其他电脑上的数据库）。请找回最新的数据库或备份，并保留本结果以便向监管部门说明。"
            ),
            format!(
                "The local archive is shorter than what the platform saw: the head it received at {when} had {n} entries (last hash {theirs}), the local archive has {local_entries}. The local archive was truncated or replaced by an older copy (an old backup restored, another computer's database). Recover the newest database or backup, and keep this result to explain the gap to the inspector."
            ),
        ),
        Some(ours) if ours == theirs => (
            AnchorCheckStatus::Ok,
            format!(
                "档案与平台锚点一致：平台于 {when} 收到的档案头（前 {n} 条，哈希 {theirs}）与本地档案相符。本地档案共 {local_entries} 条。"
            ),
            format!(
                "The archive matches the platform's anchor: the head it received at {when} ({n} entries, hash {theirs}) is the local chain's. The local archive has {local_entries} entries."
            ),
        ),
        Some(ours) => (
            AnchorCheckStatus::Mismatch,
            format!(
                "本地档案已被改写：平台于 {when} 收到的档案头为前 {n} 条、哈希 {theirs}，而本地档案前 {n} 条的哈希为 {ours}。第 {n} 条及之前的档案条目在那之后被修改、删除或整体替换过。请从备份找回原档案，并保留本结果以便向监管部门说明。"
            ),
            format!(
                "The local archive was rewritten: the head the platform received at {when} covers {n} entries with hash {theirs}, but the local chain hashes to {ours} after entry {n}. Entries up to {n} were changed, removed or replaced since. Recover the original archive from a backup, and keep this result to explain the change to the inspector."
            ),
        ),
    }
}

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
            .ok_or_else(|| Msg::ArchiveEntryNotFound { id }.err())
    }

    /// Recomputes the hash chain and names the first entry that was edited, deleted or reordered,
    /// and checks every accepted outbox record against the archived request that sent it, all in
    /// one read transaction.
    pub fn verify_archive(&self) -> Result<ArchiveVerification> {
        let v = chain::verify(self.db().conn())?;
        Ok(verification_dto(&v))
    }

    /// Compares the local archive with the archive anchor the platform holds (contract §6.4): the
    /// platform's copy of this client's archive head, as the latest batch that carried one left
    /// it. `platform`: `None` for the platform of the settings, `practice`, or a base URL. The
    /// request and its answer are archived like every other exchange (no attempt row: it is not
    /// a submission). The local chain is recomputed too, and `ok` needs both.
    pub async fn verify_archive_against_platform(
        &self,
        platform: Option<String>,
    ) -> Result<AnchorCheck> {
        let target = self.target(&SubmitRequest {
            platform,
            ..Default::default()
        })?;
        let client = platform::Client::new(
            &target.url,
            target.credentials.clone(),
            std::time::Duration::from_secs(30),
        )
        .map_err(|e| anchor_error(&e))?;
        let local_entries = crate::submit::local_anchor(self.db().conn())?.entries;
        let prepared = client.prepare_anchor();
        let started = crate::clock::now();
        self.db().write(|tx| {
            crate::submit::archive_request(tx, &started, None, &prepared, Vec::new())
        })?;
        let (exchange, result) = client.send_anchor(prepared).await;
        let outcome = match &result {
            Ok(Some(_)) => "anchor".to_string(),
            Ok(None) => "no-anchor".to_string(),
            Err(e) => e.code(),
        };
        let finished = crate::clock::now();
        self.db().write(|tx| {
            crate::submit::archive_response(
                tx,
                &finished,
                None,
                &exchange,
                Vec::new(),
                || match &result {
                    Err(e) => format!("(no response: {e})"),
                    Ok(_) => String::new(),
                },
                &outcome,
            )
        })?;
        let anchor = result.map_err(|e| anchor_error(&e))?;
        let local_hash = match &anchor {
            // Only what existed before this check counts: its own entries came after.
            Some(a) if a.entries <= local_entries => {
                chain::hash_after(self.db().conn(), a.entries)?
            }
            _ => None,
        };
        let (status, mut zh, mut en) =
            judge_anchor(anchor.as_ref(), local_entries, local_hash.as_deref());
        let chain = self.verify_archive()?;
        if !chain.ok {
            let reason = chain.reason.clone().unwrap_or_default();
            zh.push_str(&format!(
                "另外，本地哈希链本身已损坏：第 {} 条起不符（{reason}）。",
                chain.first_bad.unwrap_or_default()
            ));
            en.push_str(&format!(
                " Besides, the local hash chain itself is broken from entry {}: {reason}.",
                chain.first_bad.unwrap_or_default()
            ));
        }
        Ok(AnchorCheck {
            ok: status == AnchorCheckStatus::Ok && chain.ok,
            status,
            platform: target.url,
            practice: target.practice,
            anchor_entries: anchor.as_ref().map(|a| a.entries),
            anchor_hash: anchor.as_ref().map(|a| a.hash.clone()),
            anchor_received_at: anchor.as_ref().map(|a| a.received_at.clone()),
            local_hash,
            local_entries,
            chain,
            message_zh: zh,
            message_en: en,
        })
    }

    /// The outbox rows of `[from, to]` for the platform of the settings: what another platform
    /// (practice) accepted does not count.
    fn settings_filter(&self, from: Option<&str>, to: Option<&str>) -> Result<OutboxFilter> {
        Ok(OutboxFilter {
            target: Some(self.settings_target()?),
            from: from.map(str::to_string),
            to: to.map(str::to_string),
            ..Default::default()
        })
    }

    /// Writes `path` from the body of every current record (or those of `[from, to]`): `write`
    /// saves the file and says how many records it holds and what it left out.
    fn export_records(
        &self,
        path: &Path,
        from: Option<&str>,
        to: Option<&str>,
        write: impl FnOnce(&[&str]) -> Result<(u32, Vec<String>)>,
    ) -> Result<ExportedFile> {
        let filter = self.settings_filter(from, to)?;
        let mut bodies = Vec::new();
        outbox::for_each_with_body(self.db().conn(), &filter, |_, body| {
            bodies.push(body);
            Ok(())
        })?;
        let refs: Vec<&str> = bodies.iter().map(String::as_str).collect();
        let (records, notes) = write(&refs)?;
        file_info(path, records, notes)
    }

    /// The EPCIS 2.0 JSON-LD document of every current record (or those of `[from, to]`).
    pub fn export_epcis(
        &self,
        path: &Path,
        from: Option<&str>,
        to: Option<&str>,
    ) -> Result<ExportedFile> {
        self.export_records(path, from, to, |refs| {
            let doc = platform::epcis::document(refs, &crate::clock::now());
            let text = serde_json::to_string_pretty(&doc.json).unwrap_or_default();
            std::fs::write(path, text).map_err(|e| ApiError::cannot_write(path, e))?;
            let notes = doc
                .skipped
                .iter()
                .map(|s| format!("{} {}", s.key, s.reason))
                .collect();
            Ok(((doc.events + doc.master_data) as u32, notes))
        })
    }

    /// The upload workbook (one sheet per record kind) of every current record.
    pub fn export_upload_workbook(
        &self,
        path: &Path,
        from: Option<&str>,
        to: Option<&str>,
    ) -> Result<ExportedFile> {
        self.export_records(path, from, to, |refs| {
            let (mut workbook, summary) = platform::xlsx::upload_workbook(refs)
                .map_err(|e| ApiError::cannot_write(path, e))?;
            workbook
                .save(path)
                .map_err(|e| ApiError::cannot_write(path, e))?;
            Ok((summary.records as u32, Vec::new()))
        })
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
            include_superseded: true,
            ..self.settings_filter(Some(from), Some(to))?
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
        let doc = platform::epcis::document(&refs, &crate::clock::now());
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
            return Err(Msg::AppKeyFirst.err());
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
        let now = crate::clock::now();
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
