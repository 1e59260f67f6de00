//! The platform connection (平台连接): where the settings point, and a connection test to run
//! before the first real submission.
//!
//! The test sends one signed `GET /records/{key}` for a key no record can have (64 zeros) through
//! the client a submission uses, to the target a submission would use ([`App::target`]: the
//! practice platform, or the real one of the settings with the App Secret from the keychain or
//! the file). `404 not-found` from the records endpoint means the platform checked the signature
//! and looked the key up: reachable, credentials accepted. The contract answers an unknown *path*
//! with the same `404 not-found`, so that answer is confirmed by a second request signed with a
//! throw-away secret: the records endpoint refuses it with 401, while an address that is not the
//! platform's interface answers 404 again. The 401 problems name expired or wrong credentials or
//! the clock ([`PauseReason`]); a refused connection is offline. The answer's `Date` header gives
//! the clock skew. Nothing is queued or archived: a test is not a submission.

use crate::messages::Msg;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use platform::{Disposition, PauseReason, RecordStatus};

use crate::{
    App, PlatformInfo, PlatformMode, PlatformTest, PlatformTestOutcome, Result, SubmitRequest,
};

/// The key asked for: 64 lower-case hex digits as the contract requires (§6.2), and a SHA-256
/// that no record's canonical form has.
pub const PROBE_KEY: &str = "0000000000000000000000000000000000000000000000000000000000000000";
/// Someone is waiting for the answer: a third of a submission's 30 s.
pub const TEST_TIMEOUT: Duration = Duration::from_secs(10);
/// Past this, a good test still warns about the clock (the contract refuses more than 300 s).
const SKEW_WARNING_SECS: i32 = 60;

type ProbeResult = std::result::Result<Option<RecordStatus>, platform::Error>;

/// What a failed request means for the connection.
fn failure_outcome(err: &platform::Error) -> PlatformTestOutcome {
    use PlatformTestOutcome as O;
    match err {
        platform::Error::Offline(_) => O::Offline,
        platform::Error::Timeout => O::Timeout,
        platform::Error::Dropped(_) | platform::Error::Config(_) => O::Unexpected,
        // A 2xx that is not the contract's answer: something else lives at that address.
        platform::Error::Malformed { .. } => O::WrongAddress,
        // A fresh nonce was refused as reused: not a property of the connection.
        platform::Error::Problem { name, .. } if name == "replay" => O::Unexpected,
        _ => match err.disposition() {
            Disposition::Paused(PauseReason::AuthExpired) => O::AuthExpired,
            Disposition::Paused(PauseReason::BadSignature) => O::BadSignature,
            Disposition::Paused(PauseReason::ClockSkew) => O::ClockSkew,
            Disposition::NotStored { .. } | Disposition::Unknown => O::Unavailable,
            Disposition::Defect => O::WrongAddress,
            Disposition::Offline => O::Offline,
            Disposition::TooLarge => O::Unexpected,
        },
    }
}

/// The outcome of the probe, and whether it still needs the throw-away-secret confirmation.
fn probe_outcome(result: &ProbeResult) -> (PlatformTestOutcome, bool) {
    match result {
        // The platform returned a record for the key: it read the request, credentials and all.
        Ok(Some(_)) => (PlatformTestOutcome::Ok, false),
        Ok(None) => (PlatformTestOutcome::Ok, true),
        Err(err) => (failure_outcome(err), false),
    }
}

/// The outcome once the request with a wrong signature came back.
fn confirmed_outcome(control: &ProbeResult) -> PlatformTestOutcome {
    match control {
        Err(platform::Error::Problem { status: 401, .. })
        | Err(platform::Error::Status { status: 401, .. }) => PlatformTestOutcome::Ok,
        // The same answer without a valid signature: that address checks no signature.
        Ok(_) => PlatformTestOutcome::WrongAddress,
        Err(err) => failure_outcome(err),
    }
}

/// The platform's clock minus this computer's, in whole seconds, from an HTTP-date. The date has
/// whole seconds, so the platform's time lay in `[date, date + 1 s)`: its middle is compared with
/// the middle of the request on this computer's clock.
pub(crate) fn clock_skew(date: &str, sent: SystemTime, received: SystemTime) -> Option<i32> {
    let platform = httpdate::parse_http_date(date).ok()?;
    let secs = |t: SystemTime| match t.duration_since(UNIX_EPOCH) {
        Ok(d) => d.as_secs_f64(),
        Err(e) => -e.duration().as_secs_f64(),
    };
    let local = (secs(sent) + secs(received)) / 2.0;
    let skew = (secs(platform) + 0.5 - local).round();
    Some(skew.clamp(f64::from(i32::MIN), f64::from(i32::MAX)) as i32)
}

/// `title` and `detail` of an RFC 7807 body, for a 404 the client already read as "no record".
fn problem_text(body: Option<&str>) -> (Option<String>, Option<String>) {
    let Some(value) = body.and_then(|b| serde_json::from_str::<serde_json::Value>(b).ok()) else {
        return (None, None);
    };
    let text = |k: &str| value.get(k).and_then(|v| v.as_str()).map(str::to_string);
    (text("title"), text("detail"))
}

fn skew_zh(skew: i32) -> String {
    if skew >= 0 {
        format!("本机时钟比平台慢 {skew} 秒")
    } else {
        format!("本机时钟比平台快 {} 秒", -skew)
    }
}

fn skew_en(skew: i32) -> String {
    if skew >= 0 {
        format!("this computer's clock is {skew} s behind the platform's")
    } else {
        format!(
            "this computer's clock is {} s ahead of the platform's",
            -skew
        )
    }
}

/// What the test found, in words: what it means and what to do.
struct Facts<'a> {
    outcome: PlatformTestOutcome,
    practice: bool,
    app_key: &'a str,
    http_status: Option<u16>,
    problem: Option<&'a str>,
    problem_detail: Option<&'a str>,
    skew: Option<i32>,
    /// The client's description of an unexpected failure.
    error: Option<&'a str>,
    /// The control request was answered like the probe.
    unsigned_404: bool,
    timeout: Duration,
}

fn messages(f: &Facts<'_>) -> (String, String) {
    use PlatformTestOutcome as O;
    let said = |fallback: &str| match f.problem_detail.filter(|d| !d.is_empty()) {
        Some(detail) => format!("，平台答复：“{detail}”"),
        None => fallback.to_string(),
    };
    let name = f.problem.unwrap_or("");
    let status = f.http_status.map(|s| s.to_string()).unwrap_or_default();
    let secret_zh = "请核对 AppKey “{key}”，并重新保存 AppSecret（设置 → 平台连接，或 printf '%s' \"$SECRET\" | tracedesk secret）";
    let secret_en = "Check App Key \"{key}\" and save the App Secret again (Settings → Platform, or printf '%s' \"$SECRET\" | tracedesk secret)";
    let (mut zh, mut en) = match f.outcome {
        O::Ok if f.practice => (
            "连接成功：内置练习平台已应答，练习凭证有效。练习模式的记录不会到达真实平台。".to_string(),
            "Connected: the built-in practice platform answered and accepted the practice credentials. Practice records never reach a real platform.".to_string(),
        ),
        O::Ok => (
            format!(
                "连接成功：平台已应答，AppKey “{}” 和 AppSecret 有效，可以报送。",
                f.app_key
            ),
            format!(
                "Connected: the platform answered and accepted App Key \"{}\" and its App Secret; records can be submitted.",
                f.app_key
            ),
        ),
        O::Offline => (
            "无法连接平台：该地址没有任何应答（连接被拒绝、域名无法解析或网络不通）。请检查网络、代理和平台地址（设置 → 平台连接，或 tracedesk platform set --url）。".to_string(),
            "Cannot reach the platform: nothing answers at that address (connection refused, unknown host or no network). Check the network, the proxy and the platform address (Settings → Platform, or tracedesk platform set --url).".to_string(),
        ),
        O::Timeout => (
            format!(
                "平台在 {} 秒内没有应答。请稍后重试；如一直超时，请检查网络或联系平台。",
                f.timeout.as_secs()
            ),
            format!(
                "The platform did not answer within {} s. Try again later; if it keeps timing out, check the network or contact the platform.",
                f.timeout.as_secs()
            ),
        ),
        O::BadSignature => (
            format!(
                "平台拒绝了接入凭证（签名验证失败{}）。{}。",
                said(""),
                secret_zh.replace("{key}", f.app_key)
            ),
            format!(
                "The platform refused the credentials (bad-signature). {}.",
                secret_en.replace("{key}", f.app_key)
            ),
        ),
        O::AuthExpired => (
            format!(
                "平台答复接入凭证已过期或已停用{}。请向平台重新申请 AppKey 和 AppSecret，再用 tracedesk platform set 和 tracedesk secret（或设置 → 平台连接）更新。",
                said("")
            ),
            "The platform says the credentials expired or were revoked (auth-expired). Get a new App Key and App Secret from the platform, then update them with tracedesk platform set and tracedesk secret (or Settings → Platform).".to_string(),
        ),
        O::ClockSkew => {
            let measured_zh = f.skew.map(|s| format!("按平台的 Date 时间，{}。", skew_zh(s)));
            let measured_en = f.skew.map(|s| format!("By the platform's Date header, {}. ", skew_en(s)));
            (
                format!(
                    "平台认为本机时间不准，拒绝了请求（clock-skew{}）。{}请校准电脑时间（开启自动对时）后重试。",
                    said(""),
                    measured_zh.unwrap_or_default()
                ),
                format!(
                    "The platform refused the request because this computer's clock is off (clock-skew). {}Set the clock right (turn on automatic time), then try again.",
                    measured_en.unwrap_or_default()
                ),
            )
        }
        O::WrongAddress if f.unsigned_404 => (
            "该地址有应答，但不是追溯平台的报送接口：签名错误的请求同样得到 404，说明它不核验签名。请检查平台地址，它通常以 /api/v1 结尾。".to_string(),
            "Something answers at that address, but not the platform's submission interface: a request with a wrong signature got the same 404, so it checks no signature. Check the platform address; it usually ends in /api/v1.".to_string(),
        ),
        O::WrongAddress => (
            format!(
                "该地址有应答（HTTP {status}{}），但不是追溯平台的报送接口。请检查平台地址，它通常以 /api/v1 结尾。",
                if name.is_empty() { String::new() } else { format!(" {name}") }
            ),
            format!(
                "Something answers at that address (HTTP {status}{}), but not the platform's submission interface. Check the platform address; it usually ends in /api/v1.",
                if name.is_empty() { String::new() } else { format!(" {name}") }
            ),
        ),
        O::Unavailable => (
            format!(
                "平台暂时繁忙或不可用（HTTP {status}{}）。请稍后再试。",
                said("")
            ),
            format!(
                "The platform is busy or unavailable for now (HTTP {status}{}). Try again later.",
                if name.is_empty() { String::new() } else { format!(" {name}") }
            ),
        ),
        O::Unexpected => (
            format!(
                "连接测试未能完成：{}{}。请稍后重试。",
                f.error.unwrap_or("意外的答复"),
                said("")
            ),
            format!(
                "The connection test could not finish: {}. Try again later.",
                f.error.unwrap_or("an unexpected answer")
            ),
        ),
    };
    if f.outcome == O::Ok
        && let Some(skew) = f.skew.filter(|s| s.abs() > SKEW_WARNING_SECS)
    {
        zh.push_str(&format!(
            "注意：{}；相差超过 300 秒时平台会拒绝请求，请开启自动对时。",
            skew_zh(skew)
        ));
        en.push_str(&format!(
            " Note: {}; beyond 300 s the platform refuses requests, so turn on automatic time.",
            skew_en(skew)
        ));
    }
    (zh, en)
}

impl App {
    /// Where the settings point and where the App Secret is kept (`tracedesk platform show`).
    pub fn platform_info(&self) -> Result<PlatformInfo> {
        let settings = self.status()?.platform;
        let credentials = self.credential_status()?;
        let mode = settings.as_ref().map_or(PlatformMode::Practice, |p| p.mode);
        let url = match (&settings, mode) {
            (Some(s), PlatformMode::Remote) => s.url.clone(),
            _ => String::new(),
        };
        let secret_file = (credentials.store == "file").then(|| {
            crate::credentials::file_path(&self.config().data_dir)
                .display()
                .to_string()
        });
        Ok(PlatformInfo {
            mode,
            url,
            app_key: credentials.app_key,
            has_secret: credentials.has_secret,
            secret_store: credentials.store,
            secret_file,
            warning_zh: credentials.warning_zh,
            warning_en: credentials.warning_en,
        })
    }

    /// Tests the connection to the platform a submission would use: `None` the one of the
    /// settings, `practice` the built-in one, or a base URL (with the App Key and Secret of the
    /// settings). `Err` only when there is nothing to test (a refused address, no secret saved);
    /// every answer or failure of the platform itself is a [`PlatformTest`].
    pub async fn test_platform(&self, platform: Option<String>) -> Result<PlatformTest> {
        let result = self.test_platform_with(platform, TEST_TIMEOUT).await;
        match &result {
            Ok(t) => {
                tracing::info!(ok = t.ok, outcome = ?t.outcome, practice = t.practice, "platform connection tested")
            }
            Err(e) => tracing::warn!(code = ?e.code, "platform connection test failed"),
        }
        result
    }

    /// [`App::test_platform`] with a chosen timeout (tests).
    pub(crate) async fn test_platform_with(
        &self,
        platform: Option<String>,
        timeout: Duration,
    ) -> Result<PlatformTest> {
        let target = self.target(&SubmitRequest {
            platform,
            max_wait_secs: None,
        })?;
        let unusable = |e: platform::Error| {
            Msg::PlatformAddressUnusable {
                error: e.to_string(),
            }
            .err()
        };
        let client = platform::Client::new(&target.url, target.credentials.clone(), timeout)
            .map_err(unusable)?;
        let sent = SystemTime::now();
        let (exchange, result) = client
            .send_status(client.prepare_status(PROBE_KEY), PROBE_KEY)
            .await;
        let received = SystemTime::now();
        let (mut outcome, confirm) = probe_outcome(&result);
        let mut unsigned_404 = false;
        if confirm {
            let throwaway = platform::Credentials {
                app_key: target.credentials.app_key.clone(),
                app_secret: format!("not-the-secret-{}", platform::client::nonce()),
            };
            let control =
                platform::Client::new(&target.url, throwaway, timeout).map_err(unusable)?;
            let (_, control_result) = control.record_status(PROBE_KEY).await;
            outcome = confirmed_outcome(&control_result);
            unsigned_404 = control_result.is_ok();
        }
        let skew = exchange
            .date
            .as_deref()
            .and_then(|d| clock_skew(d, sent, received));
        let (problem, problem_title, problem_detail, error) = match &result {
            Ok(None) => {
                let (title, detail) = problem_text(exchange.response_body.as_deref());
                (Some("not-found".to_string()), title, detail, None)
            }
            Ok(Some(_)) => (None, None, None, None),
            Err(platform::Error::Problem {
                name,
                title,
                detail,
                ..
            }) => (
                Some(name.clone()),
                Some(title.clone()).filter(|t| !t.is_empty()),
                Some(detail.clone()).filter(|d| !d.is_empty()),
                None,
            ),
            Err(e) => (None, None, None, Some(e.to_string())),
        };
        let reachable = exchange.status.is_some();
        let (message_zh, message_en) = messages(&Facts {
            outcome,
            practice: target.practice,
            app_key: &target.credentials.app_key,
            http_status: exchange.status,
            problem: problem.as_deref(),
            problem_detail: problem_detail.as_deref(),
            skew,
            error: error.as_deref(),
            unsigned_404,
            timeout,
        });
        Ok(PlatformTest {
            ok: outcome == PlatformTestOutcome::Ok,
            outcome,
            practice: target.practice,
            url: target.url,
            app_key: target.credentials.app_key.clone(),
            reachable,
            credentials_accepted: match outcome {
                PlatformTestOutcome::Ok => Some(true),
                PlatformTestOutcome::BadSignature | PlatformTestOutcome::AuthExpired => Some(false),
                _ => None,
            },
            round_trip_ms: reachable
                .then(|| u32::try_from(exchange.duration_ms).unwrap_or(u32::MAX)),
            clock_skew_secs: skew,
            http_status: exchange.status,
            problem,
            problem_title,
            problem_detail,
            request_id: exchange.request_id,
            message_zh,
            message_en,
            tested_at: exchange.sent_at,
        })
    }
}

#[cfg(test)]
mod tests;
