//! The first-run wizard, the enterprise profile and the settings it writes.

use crate::messages::Msg;
use codes::{Message, Uscc};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::paths::now_iso;
use crate::{
    ApiError, App, AppStatus, CodeScheme, CodingSettings, Enterprise, EnterpriseInput, Language,
    PlatformInfo, PlatformMode, PlatformSettings, Result, SetupInput, UsccCheck,
};

const KEY_CODING: &str = "coding";
const KEY_PLATFORM: &str = "platform";
const KEY_LANGUAGE: &str = "language";
/// Written last by the wizard, so an interrupted wizard simply shows again with what was saved.
const KEY_SETUP_DONE: &str = "setup_complete";

/// The live verdict on a 统一社会信用代码, for the form.
pub fn check_uscc(text: &str) -> UsccCheck {
    let normalized = codes::uscc::normalise(text);
    match Uscc::parse(text) {
        Ok(code) => match code.org_check_mismatch() {
            None => UsccCheck {
                valid: true,
                warning: false,
                normalized: code.to_string(),
                position: None,
                message_zh: "统一社会信用代码校验通过".into(),
                message_en: "unified social credit code is valid".into(),
            },
            Some(m) => {
                let message = m.message();
                UsccCheck {
                    valid: true,
                    warning: true,
                    normalized: code.to_string(),
                    position: Some(codes::OrgCheckMismatch::POSITION as u32),
                    message_zh: message.zh,
                    message_en: message.en,
                }
            }
        },
        Err(err) => {
            let message = err.message();
            UsccCheck {
                valid: false,
                warning: false,
                normalized,
                position: err.position().map(|p| p as u32),
                message_zh: message.zh,
                message_en: message.en,
            }
        }
    }
}

fn required(field: &str, value: &str, zh_name: &str, en_name: &str) -> Result<String> {
    let value = value.trim();
    if value.is_empty() {
        return Err(ApiError::invalid(
            field,
            &Message::new(format!("请填写{zh_name}"), format!("{en_name} is required")),
        ));
    }
    Ok(value.to_string())
}

fn validate_enterprise(input: &EnterpriseInput) -> Result<store::EnterpriseRow> {
    let name = required(
        "enterprise.name",
        &input.name,
        "企业名称",
        "enterprise name",
    )?;
    let uscc = Uscc::parse(&input.uscc)
        .map_err(|err| ApiError::invalid("enterprise.uscc", &err.message()))?;
    // The licence number's shape is only warned about (`App::check_enterprise`); what the
    // contract cannot carry, and an over-long production address, are refused.
    let mut p = crate::entries::Problems::default();
    let licence_no = crate::identity::licence_no(&mut p, "enterprise.licenceNo", &input.licence_no);
    let production_address = crate::identity::production_address(
        &mut p,
        "enterprise.productionAddress",
        &input.production_address,
    );
    if let Some(e) =
        p.0.iter()
            .find(|e| e.severity == crate::ProblemSeverity::Error)
    {
        return Err(ApiError::invalid(
            &e.field,
            &Message::new(e.message_zh.clone(), e.message_en.clone()),
        ));
    }
    Ok(store::EnterpriseRow {
        name,
        uscc: uscc.to_string(),
        address: input.address.trim().to_string(),
        contact: input.contact.trim().to_string(),
        phone: input.phone.trim().to_string(),
        licence_no,
        production_address,
        updated_at: now_iso(),
    })
}

fn validate_coding(coding: &CodingSettings) -> Result<CodingSettings> {
    let mut coding = coding.clone();
    coding.gs1_company_prefix = coding.gs1_company_prefix.trim().to_string();
    coding.ecode_prefix = coding.ecode_prefix.trim().to_string();
    if coding.scheme == CodeScheme::Gs1 && !coding.gs1_company_prefix.is_empty() {
        let prefix = &coding.gs1_company_prefix;
        let digits = prefix.chars().all(|c| c.is_ascii_digit());
        if !digits || !(7..=12).contains(&prefix.len()) {
            return Err(ApiError::invalid(
                "coding.gs1CompanyPrefix",
                &Message::new(
                    format!(
                        "厂商识别代码应为 7–12 位数字（见《中国商品条码系统成员证书》），当前为“{prefix}”"
                    ),
                    format!(
                        "the GS1 company prefix is 7-12 digits (see the GS1 China membership certificate), got {prefix:?}"
                    ),
                ),
            ));
        }
    }
    Ok(coding)
}

fn validate_platform(platform: &PlatformSettings) -> Result<PlatformSettings> {
    let mut platform = platform.clone();
    platform.url = platform.url.trim().trim_end_matches('/').to_string();
    platform.app_key = platform.app_key.trim().to_string();
    if platform.mode == PlatformMode::Practice {
        platform.url.clear();
        platform.app_key.clear();
        return Ok(platform);
    }
    let url = &platform.url;
    // The platform client's own rule (https anywhere, plain http only on loopback), so that an
    // address saved here is one the client will use.
    if let Err(err) = platform::client::check_url(url) {
        let https = url
            .get(..8)
            .is_some_and(|s| s.eq_ignore_ascii_case("https://"));
        if https {
            // The https rule holds; the address itself is unreadable.
            return Err(ApiError::invalid(
                "platform.url",
                &Message::new(
                    format!(
                        "平台地址格式不正确（{err}），应类似 https://platform.example.cn/api/v1"
                    ),
                    format!(
                        "the platform address is not a valid URL ({err}); it looks like https://platform.example.cn/api/v1"
                    ),
                ),
            ));
        }
        return Err(ApiError::invalid(
            "platform.url",
            &Message::new(
                format!("平台地址必须以 https:// 开头（仅本机地址可用 http://），当前为“{url}”"),
                format!(
                    "the platform address must start with https:// (http:// only for this computer), got {url:?}"
                ),
            ),
        ));
    }
    required(
        "platform.appKey",
        &platform.app_key,
        "平台分配的 AppKey",
        "the app key issued by the platform",
    )?;
    Ok(platform)
}

impl App {
    fn read_setting<T: DeserializeOwned>(&self, key: &str) -> Result<Option<T>> {
        let raw = self.db().setting(key)?;
        // A setting this build cannot read (written by a newer build, or damaged) is treated as
        // unset, so the wizard asks for it again instead of the app refusing to start.
        Ok(raw.and_then(|json| serde_json::from_str(&json).ok()))
    }

    fn write_setting<T: Serialize>(&self, key: &str, value: &T) -> Result<()> {
        let json = serde_json::to_string(value).map_err(|e| {
            Msg::SettingUnsaved {
                error: e.to_string(),
            }
            .err()
        })?;
        self.db().set_setting(key, &json)?;
        Ok(())
    }

    /// Everything the UI needs at start-up.
    pub fn status(&self) -> Result<AppStatus> {
        let enterprise = self.enterprise()?;
        let set_up =
            self.read_setting::<bool>(KEY_SETUP_DONE)?.unwrap_or(false) && enterprise.is_some();
        Ok(AppStatus {
            set_up,
            enterprise,
            coding: self.read_setting(KEY_CODING)?,
            platform: self.read_setting(KEY_PLATFORM)?,
            language: self.read_setting(KEY_LANGUAGE)?.unwrap_or(Language::ZhCn),
            paths: self.paths(),
            version: env!("CARGO_PKG_VERSION").to_string(),
        })
    }

    pub fn enterprise(&self) -> Result<Option<Enterprise>> {
        Ok(self.db().enterprise()?.map(|row| Enterprise {
            name: row.name,
            uscc: row.uscc,
            address: row.address,
            contact: row.contact,
            phone: row.phone,
            licence_no: row.licence_no,
            production_address: row.production_address,
            updated_at: row.updated_at,
        }))
    }

    /// The warnings and errors of an enterprise profile's licence and production site, as the
    /// form shows them under the fields (the rest is checked on saving).
    pub fn check_enterprise(&self, input: &EnterpriseInput) -> Result<Vec<crate::FieldProblem>> {
        let mut p = crate::entries::Problems::default();
        crate::identity::licence_no(&mut p, "licenceNo", &input.licence_no);
        crate::identity::production_address(&mut p, "productionAddress", &input.production_address);
        Ok(p.0)
    }

    /// Saves the enterprise profile (CLI `init`, and the settings screen).
    pub fn save_enterprise(&self, input: &EnterpriseInput) -> Result<Enterprise> {
        let row = validate_enterprise(input)?;
        self.db().save_enterprise(&row)?;
        self.enterprise()?
            .ok_or_else(|| Msg::EnterpriseNotReadBack.err())
    }

    /// Saves what the first-run wizard collected. Every part is validated before anything is
    /// written; the "set up" mark is written last.
    pub fn complete_setup(&self, input: &SetupInput) -> Result<AppStatus> {
        let row = validate_enterprise(&input.enterprise)?;
        let coding = validate_coding(&input.coding)?;
        let platform = validate_platform(&input.platform)?;
        self.db().save_enterprise(&row)?;
        self.write_setting(KEY_CODING, &coding)?;
        self.write_setting(KEY_PLATFORM, &platform)?;
        self.write_setting(KEY_SETUP_DONE, &true)?;
        self.status()
    }

    /// Points submissions at a real platform (`Remote`, with its URL and App Key) or back at the
    /// built-in practice platform (CLI `platform set`). Validated exactly as the wizard's
    /// platform step; the App Secret is never part of it (`App::save_platform_secret`).
    pub fn set_platform(&self, settings: &PlatformSettings) -> Result<PlatformInfo> {
        let platform = validate_platform(settings)?;
        self.write_setting(KEY_PLATFORM, &platform)?;
        self.platform_info()
    }

    pub fn set_language(&self, language: Language) -> Result<AppStatus> {
        self.write_setting(KEY_LANGUAGE, &language)?;
        self.status()
    }
}
