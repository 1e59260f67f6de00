//! The shapes of submission (报送), the archive (档案) and reports, as the UI and the CLI see them.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// A screen and record to open to fix something: the click-to-fix link of the checklist.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct FixLink {
    /// A screen key of the main window: `settings`, `products`, `parties`, `receipts`,
    /// `production`, `shipments`, `coding`.
    pub screen: String,
    /// The record to open there; `None` for the settings screen.
    #[ts(type = "number | null")]
    pub id: Option<i64>,
    /// The form field to focus, e.g. `uscc`.
    pub field: Option<String>,
}

/// One thing a record lacks for the platform.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ChecklistProblem {
    /// The contract member, as a JSON pointer into the record (`/payload/customer/uscc`).
    pub pointer: String,
    /// Stable code to branch on, e.g. `missing-uscc`.
    pub code: String,
    pub message_zh: String,
    pub message_en: String,
    pub fix: FixLink,
}

/// A record waiting to be reported and what it lacks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ChecklistItem {
    /// The contract kind: `receiving`, `shipping`, …
    pub kind: String,
    /// What the clerk knows it by (lot, delivery note, product name).
    pub label: String,
    /// The record itself.
    pub record: FixLink,
    pub problems: Vec<ChecklistProblem>,
}

/// The pre-submission checklist (报送前检查).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Checklist {
    /// Records that would be sent now (new, changed, waiting or to resend).
    pub pending: u32,
    /// Of those, the ones with no problem.
    pub complete: u32,
    /// Records with at least one problem; the platform will refuse them until fixed.
    pub items: Vec<ChecklistItem>,
    /// Blocking: nothing can be reported until this is fixed (e.g. no enterprise profile).
    pub blocker: Option<ChecklistProblem>,
}

/// How many outbox records are in each state. The names are the CLI's JSON keys.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct OutboxCounts {
    pub ready: u32,
    pub sending: u32,
    pub retry_wait: u32,
    pub accepted: u32,
    pub rejected: u32,
}

/// One record version in the outbox.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct OutboxEntry {
    #[ts(type = "number")]
    pub id: i64,
    pub kind: String,
    pub label: String,
    pub product_name: Option<String>,
    pub event_date: Option<String>,
    /// `ready`, `sending`, `retry_wait`, `accepted`, `rejected` or `superseded`.
    pub state: String,
    pub attempts: u32,
    pub idempotency_key: String,
    pub receipt_id: Option<String>,
    pub accepted_at: Option<String>,
    /// The platform had stored it on an earlier attempt and answered `duplicate`.
    pub duplicate: bool,
    pub reject_code: Option<String>,
    /// The platform's reason, verbatim (Chinese).
    pub reject_reason: Option<String>,
    pub reject_pointer: Option<String>,
    pub last_error: Option<String>,
    pub next_attempt_at: Option<String>,
    /// This row corrects the accepted record with this id (an errorDeclaration or a corrected
    /// version).
    #[ts(type = "number | null")]
    pub corrects: Option<i64>,
    pub correction_open: bool,
    /// Where to fix the record (for a rejection, the field the pointer names when known).
    pub fix: FixLink,
}

/// A page of the outbox.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", default)]
#[ts(export)]
pub struct OutboxQuery {
    pub search: String,
    /// Empty: every state but `superseded`.
    pub states: Vec<String>,
    pub kind: Option<String>,
    pub from: Option<String>,
    pub to: Option<String>,
    pub offset: u32,
    /// 0: all.
    pub limit: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct OutboxPage {
    pub rows: Vec<OutboxEntry>,
    pub total: u32,
    pub counts: OutboxCounts,
    /// The platform whose queue this is (the one the settings name).
    pub target: QueueTarget,
    /// Another process (or this window's own run) holding the submission lease.
    pub lease: Option<SubmissionLease>,
}

/// The platform a queue belongs to. Each platform has its own queue: what the practice platform
/// accepted does not count for a real one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct QueueTarget {
    pub practice: bool,
    /// The real platform's base URL; empty for the practice platform.
    pub url: String,
    pub app_key: String,
    /// What the clerk should know about it, e.g. that practice results do not count.
    pub message_zh: String,
    pub message_en: String,
}

impl QueueTarget {
    /// The name the outbox files this platform's queue under (`practice`, or `<base URL>|<App Key>`).
    pub fn key(&self) -> String {
        crate::submit::target_name(self.practice, &self.url, &self.app_key)
    }
}

/// Where a submission goes and how patient it is.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", default)]
#[ts(export)]
pub struct SubmitRequest {
    /// `None`: the platform of the settings. `practice`: the built-in practice platform. Or a
    /// base URL (`https://…/api/v1`; plain http only on this computer).
    pub platform: Option<String>,
    /// Seconds a run keeps retrying and waiting for the network before it stops; the records
    /// stay queued. `None`: 120.
    pub max_wait_secs: Option<u32>,
}

/// Why a run stopped before every record had an answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "kebab-case")]
#[ts(export)]
pub enum SubmitStop {
    /// Every record has a final answer (accepted or rejected).
    Done,
    /// The network or the platform stayed away longer than the run waits; records stay queued.
    Offline,
    /// Retries are still pending after the run's patience ran out; records stay queued.
    GaveUp,
    /// `401 auth-expired` or `bad-signature`: renew or correct the credentials.
    AuthFailed,
    /// `401 clock-skew`: correct this computer's clock.
    ClockSkew,
    /// The platform refused the request itself (wrong address, client defect).
    Refused,
    /// The clerk cancelled.
    Cancelled,
}

/// The result of one record in a run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct SubmitRecordResult {
    #[ts(type = "number")]
    pub outbox_id: i64,
    pub idempotency_key: String,
    pub kind: String,
    pub label: String,
    /// `accepted`, `rejected` or `retry_wait` (still queued).
    pub state: String,
    pub receipt_id: Option<String>,
    pub duplicate: bool,
    pub code: Option<String>,
    pub reason: Option<String>,
    pub pointer: Option<String>,
    pub fix: Option<FixLink>,
}

/// Progress of a run, sent after every request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct SubmitProgress {
    /// `preparing`, `reconciling`, `sending`, `waiting`, `offline` or `done`.
    pub phase: String,
    /// Records this run has to report.
    pub total: u32,
    /// Records with a final answer so far (accepted or rejected).
    pub done: u32,
    pub accepted: u32,
    pub rejected: u32,
    /// Records waiting for a retry.
    pub waiting: u32,
    /// Seconds until the next attempt, while waiting.
    pub wait_secs: Option<u32>,
    pub message_zh: String,
    pub message_en: String,
    /// The records the last request answered.
    pub results: Vec<SubmitRecordResult>,
}

/// What a run did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct SubmitSummary {
    pub run_id: String,
    /// The base URL the run used (the practice platform's loopback URL in practice mode).
    pub platform: String,
    pub practice: bool,
    /// New or changed records queued by this run.
    pub queued: u32,
    pub accepted: u32,
    /// Of `accepted`: records the platform already held from an earlier attempt.
    pub duplicates: u32,
    pub rejected: u32,
    /// Still queued when the run stopped.
    pub waiting: u32,
    /// Records left in `sending` by an earlier run and settled with `GET /records/{key}`.
    pub reconciled: u32,
    /// Records edited while their earlier version was in flight whose platform answer is still
    /// outstanding: the edit goes out as soon as the platform answers (as a correction if the
    /// earlier version was accepted).
    pub held: u32,
    pub requests: u32,
    pub elapsed_ms: u32,
    pub stop: SubmitStop,
    pub message_zh: String,
    pub message_en: String,
    /// Per-record results, in queue order: every rejected or still-waiting record and the most
    /// recently accepted ones, up to a bound (`submit::RESULTS_KEPT` of each), so a run of any size
    /// answers in bounded memory. The outbox lists every record.
    pub results: Vec<SubmitRecordResult>,
    /// Records of this run whose result is not in `results` (the bound was reached).
    pub results_omitted: u32,
    pub counts: OutboxCounts,
}

/// `archive verify`. `first_bad` names the first entry that was edited, deleted or reordered;
/// `record_first_bad` the first accepted outbox record whose body or key no longer matches the
/// archived request that sent it (reports and evidence packs are built from those records).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ArchiveVerification {
    /// The chain holds and every accepted record matches what was sent.
    pub ok: bool,
    /// The hash chain alone holds.
    pub chain_ok: bool,
    #[ts(type = "number")]
    pub entries: i64,
    #[ts(type = "number | null")]
    pub first_bad: Option<i64>,
    /// Why the chain breaks there, in English.
    pub reason: Option<String>,
    /// The same in Chinese.
    pub reason_zh: Option<String>,
    /// The hash of the last entry: note it down (or hand it over) to detect a rewritten archive.
    pub last_hash: String,
    /// Accepted outbox records checked against their archived requests.
    #[ts(type = "number")]
    pub records_checked: i64,
    /// How many of them do not match.
    #[ts(type = "number")]
    pub records_mismatched: i64,
    /// The lowest outbox id among those, and why.
    #[ts(type = "number | null")]
    pub record_first_bad: Option<i64>,
    pub record_reason_zh: Option<String>,
    pub record_reason_en: Option<String>,
}

/// One archived request or response.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ArchiveEntry {
    #[ts(type = "number")]
    pub id: i64,
    pub at: String,
    /// `request` or `response`.
    pub direction: String,
    pub method: String,
    pub endpoint: String,
    pub status: Option<u16>,
    pub request_id: Option<String>,
    pub record_keys: Vec<String>,
    pub headers: String,
    /// The body (cut to 4 000 characters in lists; whole from `archive_entry`).
    pub body: String,
    pub body_truncated: bool,
    pub outcome: String,
    pub hash: String,
    pub prev_hash: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", default)]
#[ts(export)]
pub struct ArchiveQuery {
    pub from: Option<String>,
    pub to: Option<String>,
    pub direction: Option<String>,
    pub search: String,
    pub offset: u32,
    pub limit: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ArchivePage {
    pub rows: Vec<ArchiveEntry>,
    pub total: u32,
}

/// A file written by an export (report, EPCIS document, upload workbook, evidence pack).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ExportedFile {
    pub path: String,
    /// Records (or archive entries) in the file.
    pub records: u32,
    #[ts(type = "number")]
    pub bytes: u64,
    /// SHA-256 of the file, for the evidence chain.
    pub sha256: String,
    /// What was left out and why (e.g. a declaration whose original is not in the range).
    pub notes: Vec<String>,
}

/// Where the platform secret is kept.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct CredentialStatus {
    /// `practice` (documented practice credentials), `keychain`, `file` (no keychain found:
    /// a 0600 file in the data folder) or `none` (no secret saved yet).
    pub store: String,
    pub app_key: String,
    pub has_secret: bool,
    /// Set when the secret lives in a file because no keychain was found.
    pub warning_zh: Option<String>,
    pub warning_en: Option<String>,
}

/// Who holds the submission lease: another process (or this one) submitting or restoring.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct SubmissionLease {
    /// The holding program (`desktop`, `tracedesk`).
    pub program: String,
    pub pid: u32,
    pub host: String,
    /// `submit` or `restore`.
    pub purpose: String,
    pub since: String,
    /// When the lease lapses if its holder stops renewing it.
    pub expires_at: String,
    /// Held by this process (the window's own run).
    pub this_process: bool,
    pub message_zh: String,
    pub message_en: String,
}

/// What `archive verify --against-platform` found: the local archive against the archive anchor
/// the platform holds (contract §6.4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "kebab-case")]
#[ts(export)]
pub enum AnchorCheckStatus {
    /// The local chain hashes, after the anchor's number of entries, to the anchor's hash.
    Ok,
    /// The platform holds no anchor for this App Key (none of its batches carried one yet, or
    /// the platform does not offer the extension): nothing to compare with.
    NoAnchor,
    /// The local chain hashes to something else after the same number of entries: the local
    /// archive was rewritten after the platform saw its head.
    Mismatch,
    /// The platform saw more entries than the local archive has: the local archive was
    /// truncated or replaced by an older copy (an old backup, another computer's database).
    PlatformAhead,
}

/// The local archive compared with the platform's archive anchor, and the local chain check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct AnchorCheck {
    /// True only when the anchor matches and the local chain is intact.
    pub ok: bool,
    pub status: AnchorCheckStatus,
    /// The platform asked (its base URL), and whether it is the built-in practice platform.
    pub platform: String,
    pub practice: bool,
    /// The platform's anchor: how many entries it covers, their chain hash, when it arrived.
    #[ts(type = "number | null")]
    pub anchor_entries: Option<u64>,
    pub anchor_hash: Option<String>,
    pub anchor_received_at: Option<String>,
    /// The local chain hash after `anchor_entries` entries (`None`: the archive is shorter).
    pub local_hash: Option<String>,
    /// Entries in the local archive before this check archived its own request and answer.
    #[ts(type = "number")]
    pub local_entries: u64,
    /// The local chain recomputed (as `archive verify`).
    pub chain: ArchiveVerification,
    pub message_zh: String,
    pub message_en: String,
}
