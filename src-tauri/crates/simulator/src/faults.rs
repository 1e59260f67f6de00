//! Fault injection (contract §10): which faults exist, how a spec string is parsed, and how one
//! uniform number picks at most one fault per platform request.

use std::fmt;
use std::str::FromStr;

use rand_chacha::ChaCha8Rng;
use rand_chacha::rand_core::RngCore;

/// One injectable fault. The declaration order is the order of the contract's table, and it is
/// the order in which cumulative probabilities are laid out on [0, 1): changing it changes every
/// seeded run, so it is fixed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum FaultKind {
    /// `5xx`: 503 problem, nothing stored.
    ServerError,
    /// `429`: 429 problem with `Retry-After: 1`, nothing stored.
    RateLimited,
    /// `auth-expired`: 401 auth-expired problem, nothing stored.
    AuthExpired,
    /// `timeout`: wait `timeout_ms`, then 503; nothing stored.
    Timeout,
    /// `slow`: wait `slow_ms`, then answer normally.
    Slow,
    /// `partial`: a random non-empty subset of the records is answered `SIM_PARTIAL` (retryable).
    Partial,
    /// `reject`: one random record is answered `SIM_REJECT` (not retryable).
    Reject,
    /// `drop-after-store`: store the batch, then close the connection without a response.
    DropAfterStore,
    /// `malformed`: store the batch, then answer 200 with a truncated JSON body.
    Malformed,
}

impl FaultKind {
    /// Every fault, in the fixed order of the contract.
    pub const ALL: [FaultKind; 9] = [
        FaultKind::ServerError,
        FaultKind::RateLimited,
        FaultKind::AuthExpired,
        FaultKind::Timeout,
        FaultKind::Slow,
        FaultKind::Partial,
        FaultKind::Reject,
        FaultKind::DropAfterStore,
        FaultKind::Malformed,
    ];

    /// The name used in spec strings and in `/__simulator/faults`.
    pub fn name(self) -> &'static str {
        match self {
            FaultKind::ServerError => "5xx",
            FaultKind::RateLimited => "429",
            FaultKind::AuthExpired => "auth-expired",
            FaultKind::Timeout => "timeout",
            FaultKind::Slow => "slow",
            FaultKind::Partial => "partial",
            FaultKind::Reject => "reject",
            FaultKind::DropAfterStore => "drop-after-store",
            FaultKind::Malformed => "malformed",
        }
    }

    /// Parses a fault name as written in a spec string.
    pub fn from_name(name: &str) -> Option<FaultKind> {
        FaultKind::ALL.into_iter().find(|k| k.name() == name)
    }

    fn index(self) -> usize {
        FaultKind::ALL
            .iter()
            .position(|k| *k == self)
            .unwrap_or_default()
    }
}

impl fmt::Display for FaultKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A set of per-request fault probabilities.
// Invariant: every probability is finite and in [0, 1], and their sum is at most 1.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Faults {
    probabilities: [f64; 9],
}

impl Faults {
    /// No faults: every request is answered normally.
    pub fn none() -> Faults {
        Faults::default()
    }

    /// Parses `"5xx=0.1,429=0.05,timeout=0.05,drop-after-store=0.1,partial=0.1,auth-expired=0.02,malformed=0.02"`.
    /// Whitespace around names and values is ignored and an empty spec means no faults. Errors (in
    /// English, for a CLI or test author) name the offending part.
    pub fn parse(spec: &str) -> Result<Faults, String> {
        let mut faults = Faults::none();
        let mut seen = [false; 9];
        for part in spec.split(',') {
            let part = part.trim();
            if part.is_empty() {
                continue;
            }
            let Some((name, value)) = part.split_once('=') else {
                return Err(format!("expected name=probability, got {part:?}"));
            };
            let name = name.trim();
            let kind = FaultKind::from_name(name).ok_or_else(|| {
                let names: Vec<&str> = FaultKind::ALL.iter().map(|k| k.name()).collect();
                format!("unknown fault {name:?}; known faults: {}", names.join(", "))
            })?;
            let value = value.trim();
            let p: f64 = value
                .parse()
                .map_err(|_| format!("probability of {name} is not a number: {value:?}"))?;
            if !p.is_finite() || !(0.0..=1.0).contains(&p) {
                return Err(format!(
                    "probability of {name} must be between 0 and 1, got {value}"
                ));
            }
            if std::mem::replace(&mut seen[kind.index()], true) {
                return Err(format!("fault {name} is given twice"));
            }
            faults.probabilities[kind.index()] = p;
        }
        let sum: f64 = faults.probabilities.iter().sum();
        // A little slack so that "0.1" ten times, which sums to 1.0000000000000002, is accepted.
        if sum > 1.0 + 1e-9 {
            return Err(format!(
                "fault probabilities add up to {sum}, more than 1 (at most one fault per request)"
            ));
        }
        Ok(faults)
    }

    /// A single fault with probability `p` (clamped to [0, 1]).
    pub fn only(kind: FaultKind, p: f64) -> Faults {
        let mut faults = Faults::none();
        faults.probabilities[kind.index()] = if p.is_finite() {
            p.clamp(0.0, 1.0)
        } else {
            0.0
        };
        faults
    }

    /// The probability of `kind` per platform request.
    pub fn probability(&self, kind: FaultKind) -> f64 {
        self.probabilities[kind.index()]
    }

    /// True when no fault can happen.
    pub fn is_none(&self) -> bool {
        self.probabilities.iter().all(|p| *p == 0.0)
    }

    /// Maps a uniform number `u` in [0, 1) to at most one fault: the first fault, in the fixed
    /// order, whose cumulative probability exceeds `u`.
    pub fn pick(&self, u: f64) -> Option<FaultKind> {
        let mut cumulative = 0.0;
        for kind in FaultKind::ALL {
            let p = self.probability(kind);
            cumulative += p;
            if p > 0.0 && u < cumulative {
                return Some(kind);
            }
        }
        None
    }
}

impl fmt::Display for Faults {
    /// The spec string in the fixed order, without zero entries; parses back to the same set.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut first = true;
        for kind in FaultKind::ALL {
            let p = self.probability(kind);
            if p > 0.0 {
                if !first {
                    f.write_str(",")?;
                }
                first = false;
                write!(f, "{}={}", kind.name(), p)?;
            }
        }
        Ok(())
    }
}

impl FromStr for Faults {
    type Err = String;
    fn from_str(s: &str) -> Result<Faults, String> {
        Faults::parse(s)
    }
}

/// One uniform number in [0, 1) from the top 53 bits of a `u64` (contract §10), so the mapping
/// from seed to faults does not depend on any library's float sampling.
pub(crate) fn unit(rng: &mut ChaCha8Rng) -> f64 {
    (rng.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
}

/// An index in `0..n` (`n > 0`), as `x mod n` (the bias is negligible for batch sizes).
pub(crate) fn index(rng: &mut ChaCha8Rng, n: usize) -> usize {
    if n == 0 {
        return 0;
    }
    (rng.next_u64() % n as u64) as usize
}

/// A fair coin.
pub(crate) fn coin(rng: &mut ChaCha8Rng) -> bool {
    rng.next_u64() & 1 == 1
}
