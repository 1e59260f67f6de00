//! The shapes of the first-run wizard and the settings: the enterprise, the coding and platform
//! settings, and the start-up status.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// 追溯码方案 and 赋码粒度: the shared vocabulary of `codes` (one definition for the database,
/// the platform contract, the sheets and the UI). In the API the scheme keeps its TypeScript name
/// `CodeScheme`.
pub use codes::{Granularity, Scheme as CodeScheme};

/// Where submissions go: the built-in practice platform (simulator) or a real endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "kebab-case")]
#[ts(export)]
pub enum PlatformMode {
    Practice,
    Remote,
}

/// The enterprise profile as the clerk types it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct EnterpriseInput {
    pub name: String,
    pub uscc: String,
    #[serde(default)]
    pub address: String,
    #[serde(default)]
    pub contact: String,
    #[serde(default)]
    pub phone: String,
    /// 生产许可证编号 (shape checked, only warned about: the format is not officially published).
    #[serde(default)]
    pub licence_no: String,
    /// 生产地址, when it differs from `address`.
    #[serde(default)]
    pub production_address: String,
}

/// The saved enterprise profile.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Enterprise {
    pub name: String,
    /// Canonical form: upper case, half-width. Invariant: passes the GB 32100 checks.
    pub uscc: String,
    pub address: String,
    pub contact: String,
    pub phone: String,
    pub licence_no: String,
    pub production_address: String,
    pub updated_at: String,
}

/// The code scheme and granularity the enterprise chose in the wizard.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct CodingSettings {
    pub scheme: CodeScheme,
    /// Products carry CCC certification, so a certificate or mark number is linked to their codes.
    pub ccc: bool,
    pub granularity: Granularity,
    /// GS1 厂商识别代码 (company prefix, 7–12 digits) when the scheme is GS1.
    #[serde(default)]
    pub gs1_company_prefix: String,
    /// Ecode prefix registered on the Ecode platform, when the scheme is Ecode.
    #[serde(default)]
    pub ecode_prefix: String,
}

/// The platform connection.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct PlatformSettings {
    pub mode: PlatformMode,
    /// Base URL of a real platform; empty in practice mode.
    #[serde(default)]
    pub url: String,
    /// App key issued by the platform; empty in practice mode. The secret never passes through here.
    #[serde(default)]
    pub app_key: String,
}

/// Everything the first-run wizard collects.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct SetupInput {
    pub enterprise: EnterpriseInput,
    pub coding: CodingSettings,
    pub platform: PlatformSettings,
}

/// UI language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub enum Language {
    #[serde(rename = "zh-CN")]
    ZhCn,
    #[serde(rename = "en")]
    En,
}

/// What the UI needs at start-up.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct AppStatus {
    /// True once the wizard has been completed; the UI then opens the main layout.
    pub set_up: bool,
    pub enterprise: Option<Enterprise>,
    pub coding: Option<CodingSettings>,
    pub platform: Option<PlatformSettings>,
    pub language: Language,
    pub paths: DataPaths,
    pub version: String,
}

/// Where the data lives.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct DataPaths {
    pub database: String,
    pub data_dir: String,
    pub backup_dir: String,
}

/// The verdict on a 统一社会信用代码 as typed, for live form validation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct UsccCheck {
    /// The code can be saved (the check character at position 18 is right).
    pub valid: bool,
    /// Valid, but the message is a warning to show (position 17, the inner organisation-code
    /// check, which is not confirmed for every issuer).
    pub warning: bool,
    /// The canonical form of the input (upper case, half-width), valid or not.
    pub normalized: String,
    /// 1-based position of the offending character, when the problem has one.
    pub position: Option<u32>,
    pub message_zh: String,
    pub message_en: String,
}
