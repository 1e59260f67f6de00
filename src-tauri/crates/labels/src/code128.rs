//! Code 128 and GS1-128.
//!
//! `barcoders` supplies the symbol character patterns, the mod-103 check character and FNC1, but
//! its caller must spell out the code sets (start A/B/C and every switch). Choosing them well is
//! the part written here: [`plan`] finds the sequence with the fewest symbol characters by
//! dynamic programming over (position, code set), so digit runs go in set C two per character,
//! FNC1 never splits a digit pair, and GS1-128 starts in set C as ISO/IEC 15417 Annex E
//! recommends whenever that is shortest.

use barcoders::sym::code128::Code128;

use crate::error::LabelError;
use crate::gs1::GS;
use crate::symbol::{Modules, Symbology};

/// GS1 General Specifications §5.4.1: at most 48 data characters, separators included.
const GS1_MAX_CHARS: usize = 48;

/// Plain Code 128 has no formal limit; past 80 characters the symbol is wider than any label
/// this app prints (over 900 modules), so say "too long" instead of printing noise.
const TEXT_MAX_CHARS: usize = 80;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CodeSet {
    A,
    B,
    C,
}

const SETS: [CodeSet; 3] = [CodeSet::C, CodeSet::B, CodeSet::A];

impl CodeSet {
    fn index(self) -> usize {
        match self {
            CodeSet::A => 0,
            CodeSet::B => 1,
            CodeSet::C => 2,
        }
    }

    /// How `barcoders` spells a start or a switch to this set.
    fn marker(self) -> char {
        match self {
            CodeSet::A => 'À',
            CodeSet::B => 'Ɓ',
            CodeSet::C => 'Ć',
        }
    }
}

/// One thing to encode.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Item {
    Fnc1,
    Char(u8),
}

/// One symbol character of the plan (start, data or switch; the check character and stop are
/// added by `barcoders`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Op {
    Start(CodeSet),
    Switch(CodeSet),
    Fnc1,
    Char(u8),
    /// Two digits in set C.
    Pair(u8, u8),
}

fn in_set(c: u8, set: CodeSet) -> bool {
    match set {
        CodeSet::A => c < 96,
        CodeSet::B => (32..127).contains(&c),
        CodeSet::C => false,
    }
}

const INF: u32 = u32::MAX / 2;

/// The shortest code-set plan for `items`, or `None` if an item fits no set.
pub(crate) fn plan(items: &[Item]) -> Option<Vec<Op>> {
    let n = items.len();
    // cost[i][s]: fewest symbol characters for items[i..] when set s is current.
    // step[i][s]: the set to encode items[i] in (a switch if different from s) and how many
    // items that symbol character takes.
    let mut cost = vec![[0u32; 3]; n + 1];
    let mut step = vec![[(CodeSet::C, 0usize); 3]; n];
    let is_digit = |i: usize| matches!(items.get(i), Some(Item::Char(c)) if c.is_ascii_digit());
    // Characters and consumed items when encoding at i without switching away from `set`.
    let direct = |cost: &[[u32; 3]], i: usize, set: CodeSet| -> (u32, usize) {
        match items[i] {
            Item::Fnc1 => (1 + cost[i + 1][set.index()], 1),
            Item::Char(_) if set == CodeSet::C => {
                if is_digit(i) && is_digit(i + 1) {
                    (1 + cost[i + 2][set.index()], 2)
                } else {
                    (INF, 0)
                }
            }
            Item::Char(c) if in_set(c, set) => (1 + cost[i + 1][set.index()], 1),
            Item::Char(_) => (INF, 0),
        }
    };
    for i in (0..n).rev() {
        for s in SETS {
            let (mut best, used) = direct(&cost, i, s);
            let mut choice = (s, used);
            for t in SETS {
                if t == s {
                    continue;
                }
                let (c, used) = direct(&cost, i, t);
                if c.saturating_add(1) < best {
                    best = c + 1;
                    choice = (t, used);
                }
            }
            cost[i][s.index()] = best.min(INF);
            step[i][s.index()] = choice;
        }
    }
    // The start character picks the first set, so no switch is paid at position 0.
    let mut start = None;
    for s in SETS {
        let (c, used) = if n == 0 { (0, 0) } else { direct(&cost, 0, s) };
        if c < INF && start.is_none_or(|(best, _, _)| c < best) {
            start = Some((c, s, used));
        }
    }
    let (_, mut set, _) = start?;
    let mut ops = vec![Op::Start(set)];
    let mut i = 0;
    while i < n {
        let (target, used) = if i == 0 {
            (set, direct(&cost, 0, set).1)
        } else {
            step[i][set.index()]
        };
        if used == 0 {
            return None;
        }
        if target != set {
            ops.push(Op::Switch(target));
            set = target;
        }
        ops.push(match (items[i], used) {
            (Item::Fnc1, _) => Op::Fnc1,
            (Item::Char(a), 2) => match items[i + 1] {
                Item::Char(b) => Op::Pair(a, b),
                Item::Fnc1 => return None,
            },
            (Item::Char(c), _) => Op::Char(c),
        });
        i += used;
    }
    Some(ops)
}

/// The `barcoders` input for a plan.
fn spell(ops: &[Op]) -> String {
    let mut out = String::with_capacity(ops.len() * 2);
    for op in ops {
        match *op {
            Op::Start(set) | Op::Switch(set) => out.push(set.marker()),
            Op::Fnc1 => out.push('Ź'),
            Op::Char(c) => out.push(char::from(c)),
            Op::Pair(a, b) => {
                out.push(char::from(a));
                out.push(char::from(b));
            }
        }
    }
    out
}

fn bars(items: &[Item], symbology: Symbology) -> Result<Modules, LabelError> {
    let ops = plan(items).ok_or_else(|| LabelError::Encoder {
        symbology,
        detail: "no code set plan".to_owned(),
    })?;
    let code = Code128::new(spell(&ops)).map_err(|e| LabelError::Encoder {
        symbology,
        detail: e.to_string(),
    })?;
    let bars = code.encode().into_iter().map(|m| m == 1).collect();
    Ok(Modules::Linear { bars })
}

/// GS1-128: FNC1 first, then the element string with each GS as a separator FNC1.
pub(crate) fn encode_gs1(data: &str) -> Result<Modules, LabelError> {
    if data.chars().count() > GS1_MAX_CHARS {
        return Err(LabelError::TooLong {
            symbology: Symbology::Gs1_128,
        });
    }
    let mut items = vec![Item::Fnc1];
    for (pos, ch) in data.chars().enumerate() {
        items.push(match ch {
            GS => Item::Fnc1,
            c if c.is_ascii() && c != '\x7f' => Item::Char(c as u8),
            _ => {
                return Err(LabelError::UnsupportedChar {
                    symbology: Symbology::Gs1_128,
                    ch,
                    pos,
                });
            }
        });
    }
    bars(&items, Symbology::Gs1_128)
}

/// Plain Code 128 of ASCII text (DEL excepted).
pub(crate) fn encode_text(text: &str) -> Result<Modules, LabelError> {
    if text.is_empty() {
        return Err(LabelError::Empty);
    }
    let mut items = Vec::with_capacity(text.len());
    for (pos, ch) in text.chars().enumerate() {
        if !ch.is_ascii() || ch == '\x7f' {
            return Err(LabelError::UnsupportedChar {
                symbology: Symbology::Code128,
                ch,
                pos,
            });
        }
        items.push(Item::Char(ch as u8));
    }
    if items.len() > TEXT_MAX_CHARS {
        return Err(LabelError::TooLong {
            symbology: Symbology::Code128,
        });
    }
    bars(&items, Symbology::Code128)
}
