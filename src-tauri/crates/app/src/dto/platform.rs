//! The shapes of the platform connection (平台连接) as the UI and the CLI see them: where the
//! settings point, and what a connection test found.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::PlatformMode;

/// The platform the settings point at and where its App Secret is kept. Never holds the secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct PlatformInfo {
    /// `practice` when nothing was configured yet.
    pub mode: PlatformMode,
    /// Base URL of the real platform (`https://…/api/v1`); empty in practice mode.
    pub url: String,
    /// The App Key in use: the practice key in practice mode.
    pub app_key: String,
    /// Whether a secret for this App Key is available (always in practice mode).
    pub has_secret: bool,
    /// `practice` (documented practice credentials), `keychain`, `file` (a 0600 file in the data
    /// folder, when no keychain answered) or `none` (not saved yet).
    pub secret_store: String,
    /// The file that holds the secret when `secret_store` is `file`.
    pub secret_file: Option<String>,
    /// Set when the secret lives in a file because no keychain was found.
    pub warning_zh: Option<String>,
    pub warning_en: Option<String>,
}

/// What a connection test concluded. The UI branches on this, never on message text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "kebab-case")]
#[ts(export)]
pub enum PlatformTestOutcome {
    /// The platform answered as the contract says and accepted the credentials.
    Ok,
    /// Nothing answered at that address (connection refused, unknown host, no network).
    Offline,
    /// Connected, but no answer in time.
    Timeout,
    /// `401 bad-signature`: wrong App Key or App Secret.
    BadSignature,
    /// `401 auth-expired`: the credentials expired or were revoked.
    AuthExpired,
    /// `401 clock-skew`: this computer's clock is too far from the platform's.
    ClockSkew,
    /// Something answered, but not the platform's submission interface (an unknown path that
    /// checks no signature, a wrong method, an unreadable answer): check the address.
    WrongAddress,
    /// The platform answered that it is busy or unavailable (429, 503, other 5xx).
    Unavailable,
    /// Anything else (the connection dropped, an unexpected status).
    Unexpected,
}

/// The result of `tracedesk platform test` and of 设置 → 平台连接 → 测试连接: one signed
/// `GET /records/{key}` of a key that cannot exist.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct PlatformTest {
    /// True only when the platform answered and accepted the credentials.
    pub ok: bool,
    pub outcome: PlatformTestOutcome,
    /// The built-in practice platform was tested.
    pub practice: bool,
    /// The base URL tested.
    pub url: String,
    pub app_key: String,
    /// An HTTP answer arrived.
    pub reachable: bool,
    /// `Some(true)`: accepted; `Some(false)`: refused (wrong or expired); `None`: not known.
    pub credentials_accepted: Option<bool>,
    /// From sending the request (connecting included) to the last byte of the answer.
    pub round_trip_ms: Option<u32>,
    /// The platform's clock minus this computer's, in whole seconds, from the answer's `Date`
    /// header; `None` when the answer had none. The contract refuses more than ±300 s.
    pub clock_skew_secs: Option<i32>,
    /// The platform's own answer: HTTP status, problem name (`not-found`, `bad-signature`, …),
    /// its title and detail (Chinese, as the platform wrote them) and request id.
    pub http_status: Option<u16>,
    pub problem: Option<String>,
    pub problem_title: Option<String>,
    pub problem_detail: Option<String>,
    pub request_id: Option<String>,
    /// What it means and what to do, in Chinese and English.
    pub message_zh: String,
    pub message_en: String,
    /// RFC 3339 UTC.
    pub tested_at: String,
}
