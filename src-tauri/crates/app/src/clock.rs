//! The time stamps the outbox, the archive and the leases write: UTC in one fixed-width form, so
//! that they sort as text. A leaf module: the modules that stamp time use it, it uses none of them.

/// UTC in the outbox's fixed-width form, `YYYY-MM-DDTHH:MM:SS.mmmZ`.
pub(crate) fn stamp(t: time::OffsetDateTime) -> String {
    let t = t.to_offset(time::UtcOffset::UTC);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z",
        t.year(),
        t.month() as u8,
        t.day(),
        t.hour(),
        t.minute(),
        t.second(),
        t.millisecond()
    )
}

pub(crate) fn now() -> String {
    stamp(time::OffsetDateTime::now_utc())
}
