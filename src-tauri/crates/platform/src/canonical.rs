//! The canonical form and the idempotency key (contract §3), written from the contract text.
//!
//! Canonical form: no whitespace; object members sorted by name in code-point order (UTF-8 byte
//! order, which for the ASCII names of the contract equals JCS order); strings escape only `"`,
//! `\` and U+0000–U+001F (the five short escapes, else `\u00xx` in lower-case hex), every other
//! character written as itself; `true`/`false`; no `null`; integers only within ±(2^53−1).
//! The key is the lower-case hex SHA-256 of the canonical UTF-8 of the record **without** its
//! `idempotencyKey` member. Sorting is done here, explicitly, so the result does not depend on
//! how `serde_json` orders its maps.

use serde_json::Value;
use sha2::{Digest, Sha256};

/// Why a value has no canonical form.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CanonicalError {
    #[error("null is not allowed in records (at {0})")]
    Null(String),
    #[error("number {number} at {pointer} is not an integer within ±(2^53−1)")]
    Number { pointer: String, number: String },
}

const MAX_SAFE: i64 = (1 << 53) - 1;

/// The canonical text of `value` (contract §3 rules 1–5).
pub fn canonical(value: &Value) -> Result<String, CanonicalError> {
    let mut out = String::with_capacity(256);
    write(value, &mut out, &mut String::new())?;
    Ok(out)
}

/// Lower-case hex SHA-256 of `text`'s UTF-8 bytes.
pub fn sha256_hex(text: &[u8]) -> String {
    hex::encode(Sha256::digest(text))
}

/// The idempotency key of `record`: the hash of its canonical form without `idempotencyKey`.
pub fn idempotency_key(record: &Value) -> Result<String, CanonicalError> {
    let text = match record {
        Value::Object(map) if map.contains_key("idempotencyKey") => {
            let mut map = map.clone();
            map.remove("idempotencyKey");
            canonical(&Value::Object(map))?
        }
        other => canonical(other)?,
    };
    Ok(sha256_hex(text.as_bytes()))
}

fn write(value: &Value, out: &mut String, pointer: &mut String) -> Result<(), CanonicalError> {
    match value {
        Value::Null => return Err(CanonicalError::Null(pointer.clone())),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => match n.as_i64() {
            Some(i) if (-MAX_SAFE..=MAX_SAFE).contains(&i) => out.push_str(&i.to_string()),
            _ => {
                return Err(CanonicalError::Number {
                    pointer: pointer.clone(),
                    number: n.to_string(),
                });
            }
        },
        Value::String(s) => string(s, out),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                let len = pointer.len();
                pointer.push('/');
                pointer.push_str(&i.to_string());
                write(item, out, pointer)?;
                pointer.truncate(len);
            }
            out.push(']');
        }
        Value::Object(map) => {
            let mut members: Vec<(&String, &Value)> = map.iter().collect();
            // Code-point order of the names: for UTF-8 strings this is plain byte order.
            members.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
            out.push('{');
            for (i, (name, member)) in members.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                string(name, out);
                out.push(':');
                let len = pointer.len();
                pointer.push('/');
                pointer.push_str(name);
                write(member, out, pointer)?;
                pointer.truncate(len);
            }
            out.push('}');
        }
    }
    Ok(())
}

fn string(s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{8}' => out.push_str("\\b"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\u{c}' => out.push_str("\\f"),
            '\r' => out.push_str("\\r"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
}
