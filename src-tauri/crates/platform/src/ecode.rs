//! The Ecode (iotroot) adapter, shaped like contract §11.
//!
//! **待与官方接口文档核对 / to be confirmed against the official interface document.** Everything
//! here follows third-party code as the contract records it ([seen]) or the contract's own
//! assumptions ([inferred]): authentication in the path
//! (`/company/{op}/clientId={id}/timeStamp={ms}/sign={SIGN}`), `SIGN` = upper-case hex of
//! AES-128-ECB/PKCS#7 over `clientId ‖ timeStamp` with the key = first 16 bytes of
//! SHA1(SHA1(secret)), and the `{code, msg, result}` envelope. The body is not signed and there is
//! no nonce, so the client makes a new time stamp for every call.

use std::time::Duration;

use aes::Aes128;
use aes::cipher::{BlockEncrypt, KeyInit, generic_array::GenericArray};
use serde::Serialize;
use serde_json::Value;
use sha1::{Digest, Sha1};

use crate::client::{Credentials, Error, check_url};
use crate::wire;

/// Shown wherever the adapter is offered.
pub const UNCONFIRMED_ZH: &str = "待与官方接口文档核对";
pub const UNCONFIRMED_EN: &str = "to be confirmed against the official interface document";

/// The §11 `SIGN` for `client_id` at `timestamp_ms`.
pub fn sign(client_id: &str, secret: &str, timestamp_ms: &str) -> String {
    let once = Sha1::digest(secret.as_bytes());
    let twice = Sha1::digest(once);
    let cipher = Aes128::new(GenericArray::from_slice(&twice[..16]));
    let mut data = format!("{client_id}{timestamp_ms}").into_bytes();
    let pad = 16 - data.len() % 16;
    data.extend(std::iter::repeat_n(pad as u8, pad));
    for block in data.chunks_mut(16) {
        cipher.encrypt_block(GenericArray::from_mut_slice(block));
    }
    hex::encode_upper(data)
}

/// One `{name, info}` pair of a template tab.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Field {
    pub name: String,
    pub info: String,
}

/// A tab of fields (`moduleList` / `productTypelist` entry).
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Module {
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(rename = "detailList")]
    pub details: Vec<Field>,
}

/// 产品库回传 (`returnProduct`).
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct ProductUpload {
    pub product_type_number: String,
    /// Spelled `templeteId` on the wire, as the interface does.
    #[serde(rename = "templeteId")]
    pub template_id: String,
    pub product_name: String,
    pub photos: Vec<String>,
    #[serde(rename = "productTypelist")]
    pub product_type_list: Vec<ProductTab>,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct ProductTab {
    #[serde(rename = "type")]
    pub kind: String,
    pub list: Vec<Field>,
}

/// 批次回传 (`ecodeBatchReturn`): bind issued Ecodes to a platform product code.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct BatchReturn {
    pub code: String,
    pub ecode_list: Vec<String>,
    pub module_list: Vec<Module>,
}

/// The Ecode client.
#[derive(Debug, Clone)]
pub struct EcodeClient {
    http: reqwest::Client,
    /// e.g. `https://www.iotroot.com/interface`.
    base: String,
    credentials: Credentials,
}

impl EcodeClient {
    pub fn new(base_url: &str, credentials: Credentials, timeout: Duration) -> Result<Self, Error> {
        let base = base_url.trim_end_matches('/').to_string();
        check_url(&base)?;
        let http = reqwest::Client::builder()
            .timeout(timeout)
            .build()
            .map_err(|e| Error::Config(e.to_string()))?;
        Ok(EcodeClient {
            http,
            base,
            credentials,
        })
    }

    fn url(&self, op: &str) -> String {
        let ts = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_millis())
            .unwrap_or_default()
            .to_string();
        let sign = sign(&self.credentials.app_key, &self.credentials.app_secret, &ts);
        format!(
            "{}/company/{op}/clientId={}/timeStamp={ts}/sign={sign}",
            self.base, self.credentials.app_key
        )
    }

    async fn call(&self, op: &str, body: Option<Value>) -> Result<Value, Error> {
        let url = self.url(op);
        let request = match body {
            Some(body) => self.http.post(url).json(&body),
            None => self.http.get(url),
        };
        let response = request.send().await.map_err(|e| {
            if e.is_connect() {
                Error::Offline(e.to_string())
            } else if e.is_timeout() {
                Error::Timeout
            } else {
                Error::Dropped(e.to_string())
            }
        })?;
        let status = response.status().as_u16();
        let text = response
            .text()
            .await
            .map_err(|e| Error::Dropped(e.to_string()))?;
        let envelope: wire::EcodeEnvelope =
            serde_json::from_str(&text).map_err(|e| Error::Malformed {
                status,
                detail: e.to_string(),
            })?;
        if status == 200 && envelope.code == 0 && !envelope.result.is_null() {
            Ok(envelope.result)
        } else {
            Err(Error::Problem {
                status,
                name: format!("ecode-{}", envelope.code),
                title: envelope.msg.clone(),
                detail: envelope.msg,
                retry_after: None,
            })
        }
    }

    /// 企业获取通用模板: the templates whose field names uploads must use.
    pub async fn query_template_info(&self) -> Result<Value, Error> {
        self.call("queryTemplateInfo", None).await
    }

    /// 产品库回传; returns the platform's `returnId`.
    pub async fn return_product(&self, upload: &ProductUpload) -> Result<String, Error> {
        let result = self
            .call(
                "returnProduct",
                Some(serde_json::to_value(upload).unwrap_or_default()),
            )
            .await?;
        Ok(result
            .get("returnId")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string())
    }

    /// 产品库审核状态 (how a `returnId` is passed is unknown; the list comes back whole).
    pub async fn query_product_status(&self) -> Result<Value, Error> {
        self.call("queryProductStatus", None).await
    }

    /// 批次回传; returns how many codes were bound.
    pub async fn ecode_batch_return(&self, batch: &BatchReturn) -> Result<u64, Error> {
        let result = self
            .call(
                "ecodeBatchReturn",
                Some(serde_json::to_value(batch).unwrap_or_default()),
            )
            .await?;
        Ok(result
            .get("count")
            .and_then(Value::as_u64)
            .unwrap_or_default())
    }
}
