//! Request authentication: the HMAC-SHA256 signature and replay window of contract §2, and the
//! path-embedded AES signature of the Ecode shape (contract §11).

use std::collections::{HashMap, VecDeque};

use aes::Aes128;
use aes::cipher::{BlockEncrypt, KeyInit, generic_array::GenericArray};
use hmac::{Hmac, Mac};
use sha1::Sha1;
use sha2::{Digest, Sha256};

type HmacSha256 = Hmac<Sha256>;

/// The canonical string of contract §2: METHOD, PATH, TIMESTAMP, NONCE and the body's SHA-256,
/// joined by LF.
pub fn canonical_string(
    method: &str,
    path: &str,
    timestamp: &str,
    nonce: &str,
    body: &[u8],
) -> String {
    format!(
        "{method}\n{path}\n{timestamp}\n{nonce}\n{}",
        hex::encode(Sha256::digest(body))
    )
}

/// `X-Signature` for a request: lowercase hex HMAC-SHA256 of the canonical string.
pub fn sign(
    secret: &str,
    method: &str,
    path: &str,
    timestamp: &str,
    nonce: &str,
    body: &[u8],
) -> String {
    let mut mac = new_mac(secret);
    mac.update(canonical_string(method, path, timestamp, nonce, body).as_bytes());
    hex::encode(mac.finalize().into_bytes())
}

/// Checks a presented signature in constant time. A signature that is not 64 lowercase hex
/// characters never verifies.
pub fn verify(secret: &str, canonical: &str, presented: &str) -> bool {
    if presented.len() != 64
        || !presented
            .bytes()
            .all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
    {
        return false;
    }
    let Ok(bytes) = hex::decode(presented) else {
        return false;
    };
    let mut mac = new_mac(secret);
    mac.update(canonical.as_bytes());
    mac.verify_slice(&bytes).is_ok()
}

fn new_mac(secret: &str) -> HmacSha256 {
    // HMAC accepts keys of any length, so this never fails; the fallback keeps the code panic-free.
    <HmacSha256 as Mac>::new_from_slice(secret.as_bytes())
        .unwrap_or_else(|_| <HmacSha256 as KeyInit>::new(&Default::default()))
}

/// True when `nonce` has the form of contract §2: 16–64 characters of `[A-Za-z0-9_-]`.
pub fn nonce_is_well_formed(nonce: &str) -> bool {
    (16..=64).contains(&nonce.len())
        && nonce
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

/// Parses `X-Timestamp`: 1–12 ASCII digits.
pub fn parse_timestamp(ts: &str) -> Option<i64> {
    if ts.is_empty() || ts.len() > 12 || !ts.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    ts.parse().ok()
}

/// Nonces seen per App Key within the window (contract §2). Memory is bounded by `capacity`:
/// expired entries are dropped first, and when the cache is full of live nonces the caller
/// answers 429, as a platform would for a client sending that many requests in ten minutes.
#[derive(Debug)]
pub struct NonceCache {
    window_secs: i64,
    capacity: usize,
    seen: HashMap<(String, String), i64>,
    order: VecDeque<(i64, String, String)>,
}

/// What the cache says about a nonce.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NonceCheck {
    Fresh,
    Replayed,
    Full,
}

impl NonceCache {
    pub fn new(window_secs: i64, capacity: usize) -> NonceCache {
        NonceCache {
            window_secs,
            capacity,
            seen: HashMap::new(),
            order: VecDeque::new(),
        }
    }

    /// Records `nonce` for `app_key` at server time `now` unless it was seen within the window.
    pub fn check_and_insert(&mut self, app_key: &str, nonce: &str, now: i64) -> NonceCheck {
        self.expire(now);
        let id = (app_key.to_owned(), nonce.to_owned());
        if self.seen.contains_key(&id) {
            return NonceCheck::Replayed;
        }
        if self.seen.len() >= self.capacity {
            return NonceCheck::Full;
        }
        self.seen.insert(id, now);
        self.order
            .push_back((now, app_key.to_owned(), nonce.to_owned()));
        NonceCheck::Fresh
    }

    fn expire(&mut self, now: i64) {
        while let Some((at, _, _)) = self.order.front() {
            if now - *at < self.window_secs {
                break;
            }
            if let Some((at, key, nonce)) = self.order.pop_front() {
                // Only remove the map entry if it is this exact insertion.
                if self.seen.get(&(key.clone(), nonce.clone())) == Some(&at) {
                    self.seen.remove(&(key, nonce));
                }
            }
        }
    }

    pub fn clear(&mut self) {
        self.seen.clear();
        self.order.clear();
    }
}

/// The Ecode (iotroot) `sign` of contract §11, as third-party code computes it (domain.md §B.4):
/// upper-case hex of AES-128-ECB/PKCS#7 over UTF-8(clientId ‖ timeStamp), with the key being the
/// first 16 bytes of SHA1(SHA1(secret)).
pub fn ecode_sign(client_id: &str, timestamp_ms: &str, secret: &str) -> String {
    let key = ecode_key(secret);
    let cipher = Aes128::new(GenericArray::from_slice(&key));
    let mut data = format!("{client_id}{timestamp_ms}").into_bytes();
    let pad = 16 - data.len() % 16;
    data.extend(std::iter::repeat_n(pad as u8, pad));
    for block in data.chunks_exact_mut(16) {
        cipher.encrypt_block(GenericArray::from_mut_slice(block));
    }
    hex::encode_upper(data)
}

/// The AES key of the Ecode signature: SHA1(SHA1(secret))[..16].
pub fn ecode_key(secret: &str) -> [u8; 16] {
    let twice = Sha1::digest(Sha1::digest(secret.as_bytes()));
    let mut key = [0u8; 16];
    key.copy_from_slice(&twice[..16]);
    key
}
