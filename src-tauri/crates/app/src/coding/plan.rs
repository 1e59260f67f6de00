//! Serial series of a product: which series the next serials come from, the scope they share,
//! and finding a serial already issued.

use super::*;
use crate::messages::Msg;

/// The series a product's next serials come from, and whether it may share the scope.
pub(super) enum Plan {
    Sequential(SeqSeries),
    Random(usize),
}

impl Plan {
    pub(super) fn of(coder: &Coder, date: YearMonthDay) -> Result<Plan> {
        match SerialMode::from_db(&coder.settings.serial_mode) {
            SerialMode::Sequential => SeqSeries::new(&coder.settings.serial_pattern, Some(date))
                .map(Plan::Sequential)
                .map_err(|p| problems_error("serialPattern", &p.0)),
            SerialMode::Random => Ok(Plan::Random(coder.settings.random_length as usize)),
        }
    }

    pub(super) fn kind(&self) -> &'static str {
        match self {
            Plan::Sequential(_) => "sequential",
            Plan::Random(_) => "random",
        }
    }

    pub(super) fn pattern(&self) -> String {
        match self {
            Plan::Sequential(s) => s.pattern().to_string(),
            Plan::Random(len) => serials::random_pattern(*len),
        }
    }

    pub(super) fn fixed(&self) -> String {
        match self {
            Plan::Sequential(s) => s.fixed(),
            Plan::Random(_) => String::new(),
        }
    }

    pub(super) fn shapes(&self) -> Vec<Shape> {
        match self {
            Plan::Sequential(s) => s.shapes(),
            Plan::Random(len) => serials::random_shapes(*len),
        }
    }
}

/// The shapes of a stored series (`None` if its pattern no longer parses, which only a newer
/// build could cause: then it is treated as overlapping everything).
pub(super) fn stored_shapes(series: &ledger::SeriesRow) -> Option<Vec<Shape>> {
    match series.kind.as_str() {
        "random" | "keyed" => serials::random_len_of(&series.pattern).map(serials::random_shapes),
        _ => SeqSeries::from_stored(&series.pattern, &series.fixed)
            .ok()
            .map(|s| s.shapes()),
    }
}

/// Refuses a plan whose serials could coincide with those of another series of the scope.
pub(super) fn check_no_overlap(conn: &store::Connection, scope: &str, plan: &Plan) -> Result<()> {
    let mine = plan.shapes();
    let (kind, pattern, fixed) = (plan.kind(), plan.pattern(), plan.fixed());
    for other in ledger::series_in_scope(conn, scope)? {
        // A keyed series is stored as a random one: the same series as the plan's.
        let stored_kind = if other.kind == "keyed" {
            "random"
        } else {
            other.kind.as_str()
        };
        if stored_kind == kind && other.pattern == pattern && other.fixed == fixed {
            continue;
        }
        let clash = match stored_shapes(&other) {
            Some(theirs) => serials::may_overlap(&mine, &theirs),
            None => true,
        };
        if clash {
            let what = |kind: &str, pattern: &str| match kind {
                "random" | "keyed" => format!(
                    "{} 位随机序列号",
                    serials::random_len_of(pattern).unwrap_or(0)
                ),
                _ => format!("规则“{pattern}”"),
            };
            return Err(Msg::SerialRulesOverlap {
                ours_zh: what(kind, &pattern),
                theirs_zh: what(&other.kind, &other.pattern),
                ours_en: if kind == "random" {
                    format!(
                        "random serials of length {}",
                        pattern.trim_start_matches("random:")
                    )
                } else {
                    format!("pattern {pattern:?}")
                },
                theirs_en: if other.kind != "sequential" {
                    format!(
                        "random serials of length {}",
                        other.pattern.trim_start_matches("random:")
                    )
                } else {
                    format!("pattern {:?}", other.pattern)
                },
            }
            .err());
        }
    }
    Ok(())
}

/// Where an issued serial came from.
pub(crate) struct IssuedSerial {
    pub(crate) allocation: AllocationRow,
}

/// The ledger range that issued `serial` in `scope`, if any.
pub(crate) fn find_issued_serial(
    conn: &store::Connection,
    scope: &str,
    serial: &str,
) -> Result<Option<IssuedSerial>> {
    for series in ledger::series_in_scope(conn, scope)? {
        let found = match series.kind.as_str() {
            "random" => ledger::allocation_with_random(conn, series.id, serial)?,
            "keyed" => match keyed_serials(conn, series.id, &series.pattern)?
                .seq_of(serial)
                .and_then(|seq| i64::try_from(seq).ok())
            {
                Some(seq) => ledger::allocation_with_seq(conn, series.id, seq)?,
                None => None,
            },
            _ => match SeqSeries::from_stored(&series.pattern, &series.fixed)
                .ok()
                .and_then(|s| s.seq_of(serial))
                .and_then(|seq| i64::try_from(seq).ok())
            {
                Some(seq) => ledger::allocation_with_seq(conn, series.id, seq)?,
                None => None,
            },
        };
        if let Some(allocation) = found {
            return Ok(Some(IssuedSerial { allocation }));
        }
    }
    Ok(None)
}

/// Refuses a keyed range that would run past the 62^len serials of its series.
pub(super) fn check_keyed_room(len: usize, next_seq: i64, count: u64) -> Result<()> {
    let capacity = 62u128.checked_pow(len as u32).unwrap_or(u128::MAX);
    if u128::try_from(next_seq).unwrap_or(0) + u128::from(count) > capacity {
        return Err(Msg::RandomSerialsUsedUp { len: len as i64 }.err());
    }
    Ok(())
}

/// The serials of keyed series `series_id` (pattern `random:<len>`).
pub(crate) fn keyed_serials(
    conn: &store::Connection,
    series_id: i64,
    pattern: &str,
) -> Result<KeyedSerials> {
    let key = ledger::series_key(conn, series_id)?
        .ok_or_else(|| Msg::SeriesKeyLost { series_id }.err())?;
    let len = serials::random_len_of(pattern).unwrap_or(0);
    KeyedSerials::new(&key, len).map_err(|p| problems_error("randomLength", &p.0))
}

/// Every serial of ledger range `allocation`, in issue order (sequence order; drawn random
/// serials of series made before keyed serials, in serial order): sequential, keyed and drawn
/// random ranges alike. What a submission reports for the range.
// Submission (`submit.rs`) reads the serials of a range through this.
#[cfg_attr(not(test), allow(dead_code))]
pub(crate) fn allocation_serials(
    conn: &store::Connection,
    allocation: &AllocationRow,
) -> Result<Vec<String>> {
    let count = usize::try_from(allocation.count).unwrap_or(0);
    let first = allocation.first_seq as u64;
    match allocation.kind.as_str() {
        "random" => {
            let mut out = Vec::with_capacity(count);
            ledger::each_random_serial::<ApiError>(conn, allocation.id, |s| {
                out.push(s.to_owned());
                Ok(())
            })?;
            Ok(out)
        }
        "keyed" => {
            let keyed = keyed_serials(conn, allocation.series_id, &allocation.pattern)?;
            let mut out = Vec::with_capacity(count);
            for seq in first..first + count as u64 {
                let mut s = String::with_capacity(keyed.len());
                keyed.render_into(seq, &mut s);
                out.push(s);
            }
            Ok(out)
        }
        _ => {
            let seq = SeqSeries::from_stored(&allocation.pattern, &allocation.fixed)
                .map_err(|p| problems_error("serialPattern", &p.0))?;
            Ok((first..first + count as u64)
                .map(|n| seq.render(n))
                .collect())
        }
    }
}

/// The batch that a serial of product `product_id` (GTIN `gtin14`) was issued for, if the ledger
/// issued it. For scans of item codes whose item row does not exist yet.
pub fn batch_of_issued_serial(
    conn: &store::Connection,
    gtin14: &str,
    serial: &str,
) -> Result<Option<i64>> {
    Ok(find_issued_serial(conn, &format!("gtin:{gtin14}"), serial)?
        .and_then(|s| s.allocation.batch_id))
}
