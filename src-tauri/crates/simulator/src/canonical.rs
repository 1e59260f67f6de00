//! Strict JSON reading and the canonical form of contract §3, from which idempotency keys are
//! computed.

use std::fmt;

use serde::Deserialize;
use serde::de::{self, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

/// Largest integer the canonical form accepts (contract §3 rule 5).
const MAX_SAFE_INTEGER: u64 = (1 << 53) - 1;

/// Parses a request body as JSON, rejecting duplicate member names (contract §1), which plain
/// `serde_json::Value` would silently resolve to the last one. serde_json's own nesting limit
/// still applies, so deeply nested garbage cannot exhaust the stack.
pub fn parse_strict(bytes: &[u8]) -> Result<Value, serde_json::Error> {
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let value = Strict::deserialize(&mut de)?.0;
    de.end()?;
    Ok(value)
}

struct Strict(Value);

impl<'de> Deserialize<'de> for Strict {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Strict, D::Error> {
        d.deserialize_any(StrictVisitor).map(Strict)
    }
}

struct StrictVisitor;

impl<'de> Visitor<'de> for StrictVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }
    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut out = Vec::new();
        while let Some(Strict(v)) = seq.next_element()? {
            out.push(v);
        }
        Ok(Value::Array(out))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut out = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            if out.contains_key(&key) {
                return Err(de::Error::custom(format!("duplicate member name {key:?}")));
            }
            let Strict(v) = map.next_value()?;
            out.insert(key, v);
        }
        Ok(Value::Object(out))
    }
}

/// Why a value has no canonical form: it holds `null` or a number that is not a safe integer.
/// `pointer` is an RFC 6901 pointer to it, relative to the value passed in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotCanonical {
    pub pointer: String,
    pub found: &'static str,
}

/// The canonical bytes of a record without its `idempotencyKey` member (contract §3).
pub fn canonical_record(record: &Map<String, Value>) -> Result<Vec<u8>, NotCanonical> {
    let mut out = Vec::with_capacity(256);
    write_object(record, Some("idempotencyKey"), "", &mut out)?;
    Ok(out)
}

/// The canonical bytes of any value (contract §3).
pub fn canonical(value: &Value) -> Result<Vec<u8>, NotCanonical> {
    let mut out = Vec::with_capacity(256);
    write_value(value, "", &mut out)?;
    Ok(out)
}

/// The idempotency key of a record: lowercase hex SHA-256 of its canonical form without the key.
pub fn idempotency_key(record: &Map<String, Value>) -> Result<String, NotCanonical> {
    Ok(hex::encode(Sha256::digest(canonical_record(record)?)))
}

fn write_value(value: &Value, pointer: &str, out: &mut Vec<u8>) -> Result<(), NotCanonical> {
    match value {
        Value::Null => Err(NotCanonical {
            pointer: pointer.to_owned(),
            found: "null",
        }),
        Value::Bool(true) => {
            out.extend_from_slice(b"true");
            Ok(())
        }
        Value::Bool(false) => {
            out.extend_from_slice(b"false");
            Ok(())
        }
        Value::Number(n) => {
            if let Some(u) = n.as_u64().filter(|u| *u <= MAX_SAFE_INTEGER) {
                out.extend_from_slice(u.to_string().as_bytes());
                Ok(())
            } else if let Some(i) = n.as_i64().filter(|i| i.unsigned_abs() <= MAX_SAFE_INTEGER) {
                out.extend_from_slice(i.to_string().as_bytes());
                Ok(())
            } else {
                Err(NotCanonical {
                    pointer: pointer.to_owned(),
                    found: "non-integer number",
                })
            }
        }
        Value::String(s) => {
            write_string(s, out);
            Ok(())
        }
        Value::Array(items) => {
            out.push(b'[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                write_value(item, &format!("{pointer}/{i}"), out)?;
            }
            out.push(b']');
            Ok(())
        }
        Value::Object(map) => write_object(map, None, pointer, out),
    }
}

fn write_object(
    map: &Map<String, Value>,
    skip: Option<&str>,
    pointer: &str,
    out: &mut Vec<u8>,
) -> Result<(), NotCanonical> {
    // Sorted explicitly: serde_json's map may preserve insertion order when another crate in the
    // build enables its `preserve_order` feature. `str` ordering is byte order, which for UTF-8
    // is code point order (contract §3 rule 2).
    let mut keys: Vec<&String> = map.keys().filter(|k| Some(k.as_str()) != skip).collect();
    keys.sort();
    out.push(b'{');
    for (i, key) in keys.into_iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        write_string(key, out);
        out.push(b':');
        let child = format!("{pointer}/{}", escape_pointer(key));
        write_value(&map[key.as_str()], &child, out)?;
    }
    out.push(b'}');
    Ok(())
}

fn write_string(s: &str, out: &mut Vec<u8>) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.push(b'"');
    for c in s.chars() {
        match c {
            '"' => out.extend_from_slice(b"\\\""),
            '\\' => out.extend_from_slice(b"\\\\"),
            '\u{8}' => out.extend_from_slice(b"\\b"),
            '\t' => out.extend_from_slice(b"\\t"),
            '\n' => out.extend_from_slice(b"\\n"),
            '\u{c}' => out.extend_from_slice(b"\\f"),
            '\r' => out.extend_from_slice(b"\\r"),
            c if (c as u32) < 0x20 => {
                let b = c as u8;
                out.extend_from_slice(b"\\u00");
                out.push(HEX[(b >> 4) as usize]);
                out.push(HEX[(b & 0xf) as usize]);
            }
            c => {
                let mut buf = [0u8; 4];
                out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
            }
        }
    }
    out.push(b'"');
}

/// Escapes a member name for an RFC 6901 JSON pointer.
pub fn escape_pointer(name: &str) -> String {
    name.replace('~', "~0").replace('/', "~1")
}
