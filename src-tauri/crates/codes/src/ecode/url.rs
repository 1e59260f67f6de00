//! Ecodes in resolver URLs (domain.md §B.3, [SOURCE: 3rd-party code]): the human lookup
//! `https://www.iotroot.com/E={Ecode}` (a scraper; a front-end config has `http://www.iotroot.com/E=`)
//! and the API-style `https://www.iotroot.com/api/query/search/E={Ecode}`.
//!
//! The URL form of GB/T 35420-2025 (Ecode in QR codes) is [NOT FOUND], so a QR code of another
//! host is read as an Ecode only when a path segment `E=` holds text that fits an Ecode version
//! exactly, and then with a warning naming the host.

use percent_encoding::percent_decode_str;

/// What an Ecode URL holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct EcodeUrl {
    /// The host, lower case, without port.
    pub host: String,
    /// iotroot.com or one of its subdomains.
    pub known_host: bool,
    /// The code after `E=`, percent-decoded, and the 0-based character index where it starts in
    /// the URL; `None` when the URL has no `E=` segment.
    pub code: Option<(String, usize)>,
}

/// The resolver hosts read as Ecode URLs whatever follows (domain.md §B.3).
const RESOLVERS: &[&str] = &["iotroot.com"];

fn is_resolver(host: &str) -> bool {
    RESOLVERS
        .iter()
        .any(|r| host == *r || host.strip_suffix(r).is_some_and(|s| s.ends_with('.')))
}

/// Reads `url` (already known to start with `http://` or `https://`) as an Ecode URL: `None` when
/// it is neither on a known resolver host nor has an `E=` path segment.
pub(crate) fn find_in_url(url: &str) -> Option<EcodeUrl> {
    let (_, rest) = url.split_once("://")?;
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let authority = &rest[..authority_end];
    let host_port = authority.rsplit('@').next().unwrap_or(authority);
    let host = host_port
        .split(':')
        .next()
        .unwrap_or(host_port)
        .to_ascii_lowercase();
    let path_start = url.len() - rest.len() + authority_end;
    let path_end = url[path_start..]
        .find(['?', '#'])
        .map_or(url.len(), |i| path_start + i);
    let mut code = None;
    let mut at = path_start;
    for segment in url[path_start..path_end].split('/') {
        if let Some(value) = segment
            .strip_prefix("E=")
            .or_else(|| segment.strip_prefix("e="))
        {
            let start = at + 2;
            let decoded = percent_decode_str(value).decode_utf8_lossy().into_owned();
            code = Some((decoded, url[..start].chars().count()));
        }
        at += segment.len() + 1;
    }
    let known_host = is_resolver(&host);
    if !known_host && code.is_none() {
        return None;
    }
    Some(EcodeUrl {
        host,
        known_host,
        code,
    })
}
