//! The archive anchor (contract §6.4): an outside witness of the client's hash-chained archive.
//!
//! Every `POST /records:batch` may carry `X-Archive-Head: <entries>:<hash>`, the client's archive
//! head (how many entries its local chain holds and the hash of the last one) at the moment the
//! request was prepared. The platform keeps the latest per App Key and gives it back on
//! `GET /archive-anchor`, so a local archive that was later rewritten, truncated or replaced by an
//! older copy no longer matches what the platform saw. Pure: no IO.

use serde::Deserialize;

/// The request header that carries the anchor.
pub const ARCHIVE_HEAD_HEADER: &str = "X-Archive-Head";

/// The client's archive head: `entries` entries in the local chain, the last one hashing to
/// `hash` (64 lowercase hex; the chain's genesis value when `entries` is 0).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ArchiveAnchor {
    pub entries: u64,
    pub hash: String,
}

impl ArchiveAnchor {
    /// The header value, `<entries>:<hash>`.
    pub fn header_value(&self) -> String {
        format!("{}:{}", self.entries, self.hash)
    }

    /// Reads a header value of the contract's shape: 1–20 ASCII digits without a leading zero
    /// (a lone `0` is fine) that fit in a `u64`, a colon, 64 lowercase hex digits. Anything else
    /// is `None`.
    pub fn parse(value: &str) -> Option<ArchiveAnchor> {
        let (entries, hash) = value.split_once(':')?;
        let digits_ok = !entries.is_empty()
            && entries.len() <= 20
            && entries.bytes().all(|b| b.is_ascii_digit())
            && (entries == "0" || !entries.starts_with('0'));
        if !digits_ok || !is_sha256_hex(hash) {
            return None;
        }
        Some(ArchiveAnchor {
            entries: entries.parse().ok()?,
            hash: hash.to_string(),
        })
    }
}

/// 64 lowercase hex digits.
pub fn is_sha256_hex(text: &str) -> bool {
    text.len() == 64
        && text
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// What `GET /archive-anchor` answers: the latest anchor the platform received for this App Key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnchorStatus {
    pub entries: u64,
    pub hash: String,
    /// When the platform received it (RFC 3339, the platform's clock).
    pub received_at: String,
}

/// The JSON of `GET /archive-anchor` (§6.4).
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct AnchorBody {
    pub entries: u64,
    pub hash: String,
    #[serde(default)]
    pub received_at: String,
}

impl AnchorBody {
    /// The status, or why the body does not fit the contract.
    pub(crate) fn checked(self) -> Result<AnchorStatus, String> {
        if !is_sha256_hex(&self.hash) {
            return Err(format!(
                "the anchor hash {:?} is not 64 lowercase hex digits",
                self.hash
            ));
        }
        Ok(AnchorStatus {
            entries: self.entries,
            hash: self.hash,
            received_at: self.received_at,
        })
    }
}
