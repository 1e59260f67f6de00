//! The contract's JSON, member for member (src-tauri/contract/submission-api.md §4–§7, §11).
//!
//! Private to this crate: the rest of tracedesk sees `model`, `client` and the exports. Optional
//! members are `Option`s skipped when `None` (`skip_serializing_none` puts serde's
//! `skip_serializing_if = "Option::is_none"` on each), because the contract forbids `""` and
//! `null`.

use serde::{Deserialize, Serialize};
use serde_with::skip_serializing_none;

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Record {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub idempotency_key: Option<String>,
    pub kind: String,
    pub scheme: String,
    pub granularity: String,
    pub payload: serde_json::Value,
}

/// The payload objects: camelCase members, the optional ones left out when `None`.
macro_rules! payloads {
    ($($(#[$attr:meta])* pub struct $name:ident { $($members:tt)* })*) => {$(
        #[skip_serializing_none]
        #[derive(Debug, Clone, Default, Serialize, Deserialize)]
        #[serde(rename_all = "camelCase")]
        $(#[$attr])*
        pub struct $name { $($members)* }
    )*};
}

payloads! {
    pub struct Enterprise {
        pub uscc: Option<String>,
        pub name: Option<String>,
        pub address: Option<String>,
        pub contact_name: Option<String>,
        pub contact_phone: Option<String>,
        pub gcp: Option<String>,
        pub production_licence_no: Option<String>,
        pub production_address: Option<String>,
        pub client_ref: Option<String>,
    }

    pub struct Ccc {
        pub certificate_no: Option<String>,
        pub valid_from: Option<String>,
        pub valid_to: Option<String>,
    }

    pub struct Product {
        pub enterprise_uscc: Option<String>,
        pub product_code: Option<String>,
        pub name: Option<String>,
        pub model: Option<String>,
        pub brand: Option<String>,
        pub category: Option<String>,
        pub standard: Option<String>,
        pub ccc: Option<Ccc>,
        pub production_licence_no: Option<String>,
        pub production_address: Option<String>,
        pub entrustment: Option<Entrustment>,
        pub client_ref: Option<String>,
    }

    pub struct Entrustment {
        pub role: Option<String>,
        pub name: Option<String>,
        pub uscc: Option<String>,
    }

    pub struct Line {
        pub product_code: Option<String>,
        pub lot: Option<String>,
        pub quantity: Option<String>,
        pub unit: Option<String>,
        pub items: Option<Vec<String>>,
    }

    pub struct MaterialLine {
        pub name: Option<String>,
        pub model: Option<String>,
        pub code: Option<String>,
        pub lot: Option<String>,
        pub quantity: Option<String>,
        pub unit: Option<String>,
        pub items: Option<Vec<String>>,
        /// Contract 1.2: a key component's CCC certificate, `{"certificateNo"}`.
        pub ccc: Option<Ccc>,
    }

    pub struct Party {
        pub kind: Option<String>,
        pub name: Option<String>,
        pub uscc: Option<String>,
        pub address: Option<String>,
        pub contact_name: Option<String>,
        pub contact_phone: Option<String>,
        pub id_number_masked: Option<String>,
        pub mobile_masked: Option<String>,
        pub consent_at: Option<String>,
        pub country: Option<String>,
        pub registration_no: Option<String>,
    }

    pub struct Inspection {
        pub result: Option<String>,
        pub report_no: Option<String>,
        pub inspector: Option<String>,
        pub date: Option<String>,
    }

    pub struct Commissioning {
        pub enterprise_uscc: Option<String>,
        pub event_time: Option<String>,
        pub line: Line,
        pub production_date: Option<String>,
        pub expiry_date: Option<String>,
        pub client_ref: Option<String>,
    }

    pub struct Receiving {
        pub enterprise_uscc: Option<String>,
        pub event_time: Option<String>,
        pub supplier: Party,
        pub material: MaterialLine,
        pub inspection: Inspection,
        pub purchase_order: Option<String>,
        pub invoice_no: Option<String>,
        pub delivery_note: Option<String>,
        pub client_ref: Option<String>,
    }

    pub struct Input {
        pub name: Option<String>,
        pub lot: Option<String>,
        pub quantity: Option<String>,
        pub unit: Option<String>,
        pub code: Option<String>,
        pub supplier_uscc: Option<String>,
        pub receiving_key: Option<String>,
    }

    pub struct Transformation {
        pub enterprise_uscc: Option<String>,
        pub event_time: Option<String>,
        pub inputs: Vec<Input>,
        pub output: Line,
        pub production_date: Option<String>,
        pub expiry_date: Option<String>,
        pub inspection: Inspection,
        pub work_order: Option<String>,
        pub client_ref: Option<String>,
    }

    pub struct Shipping {
        pub enterprise_uscc: Option<String>,
        pub event_time: Option<String>,
        pub customer: Party,
        pub lines: Vec<Line>,
        pub ship_to: Option<String>,
        pub delivery_note: Option<String>,
        pub order_no: Option<String>,
        pub invoice_no: Option<String>,
        pub client_ref: Option<String>,
    }

    pub struct ErrorDeclaration {
        pub declared_key: Option<String>,
        pub declaration_time: Option<String>,
        pub reason: Option<String>,
        pub reason_text: Option<String>,
        #[serde(default)]
        pub corrective_keys: Vec<String>,
        pub client_ref: Option<String>,
    }
}

// ---------------------------------------------------------------------------------------------
// Responses (§6, §7)

#[derive(Debug, Clone, Deserialize)]
pub struct BatchResponse {
    pub results: Vec<RecordResult>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RecordResult {
    pub idempotency_key: Option<String>,
    pub status: String,
    pub receipt_id: Option<String>,
    pub code: Option<String>,
    pub reason: Option<String>,
    pub retryable: Option<bool>,
    pub pointer: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RecordStatus {
    pub idempotency_key: String,
    pub status: String,
    pub receipt_id: String,
    pub accepted_at: Option<String>,
    pub error_declared_by: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Problem {
    #[serde(rename = "type")]
    pub type_uri: String,
    pub title: Option<String>,
    pub detail: Option<String>,
}

/// §11 envelope [inferred]: `{"code", "msg", "result"}`.
#[derive(Debug, Clone, Deserialize)]
pub struct EcodeEnvelope {
    pub code: i64,
    #[serde(default)]
    pub msg: String,
    #[serde(default)]
    pub result: serde_json::Value,
}
