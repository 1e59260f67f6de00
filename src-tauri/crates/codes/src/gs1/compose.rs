//! Composing the GS1 trace code of a product, a batch or an item (赋码粒度, domain.md §A.3):
//!
//! | granularity | element string | Digital Link |
//! |---|---|---|
//! | 一品一码 product | `(01)GTIN` | `/01/{gtin14}` |
//! | 一批一码 batch | `(01)GTIN(10)LOT` + optional `(11)` / `(17)` | `/01/{gtin14}/10/{lot}?11=…` |
//! | 一物一码 item | `(01)GTIN(21)SERIAL`, optionally with `(10)` | `/01/{gtin14}/10/{lot}/21/{serial}` |
//!
//! The predefined-length AIs (11) and (17) are placed before the variable-length (10) and (21),
//! which saves separators in the barcode (domain.md §A.7: order is free, this is the cheap one).

use super::ai;
use super::check_digit::Gtin;
use super::digital_link;
use super::element::ElementString;
use super::error::Gs1Error;
use super::lint::is_cset82;
use crate::Message;
use crate::date::YearMonthDay;
use crate::problem::{Fault, Problem, Problems, Severity, make_problem};

pub use crate::vocab::Granularity;

/// Checks a lot (batch) number as the data of GS1 (10), `X..20`: at most 20 characters, every one
/// in CSET 82 (domain.md §A.6), as the AI table says. Each problem names the offending
/// character (or the length) and its 1-based position.
///
/// `carried`: the product's codes carry the lot ([`Granularity::carries_lot`], GS1 products
/// only); then every problem is an error, since no code could be made for the batch. Otherwise
/// each is a warning: the lot is fine today but could not go into a GS1 code later.
pub fn check_lot(lot: &str, carried: bool) -> Vec<Problem> {
    let Some(entry) = ai::lookup("10") else {
        return Vec::new();
    };
    let mut faults: Vec<(Gs1Error, u32)> = Vec::new();
    let len = lot.chars().count();
    if len > entry.max_len {
        faults.push((
            Gs1Error::Length {
                len,
                min: entry.min_len,
                max: entry.max_len,
            },
            entry.max_len as u32 + 1,
        ));
    }
    if let Some((i, ch)) = lot.chars().enumerate().find(|(_, c)| !is_cset82(*c)) {
        faults.push((Gs1Error::NotCset82 { ch }, i as u32 + 1));
    }
    faults
        .into_iter()
        .map(|(fault, position)| {
            let p = make_problem(&fault, Severity::Error, Some(entry.ai), Some(position));
            if carried {
                Problem {
                    message: Message::new(
                        format!("批号要写进本产品的 GS1 追溯码，{}", p.message.zh),
                        format!("the lot goes into this product's GS1 codes: {}", p.message.en),
                    ),
                    ..p
                }
            } else {
                Problem {
                    severity: Severity::Warning,
                    message: Message::new(
                        format!(
                            "本产品的追溯码目前不含批号，可以保存；但以后若要把批号写进 GS1 码（一批一码，或一物一码带批号），这个批号就用不了：{}",
                            p.message.zh
                        ),
                        format!(
                            "this product's codes do not carry the lot, so it is accepted, but it could not go into a GS1 code later: {}",
                            p.message.en
                        ),
                    ),
                    ..p
                }
            }
        })
        .collect()
}

/// What to put in the code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TraceCodeSpec<'a> {
    pub gtin: &'a Gtin,
    pub granularity: Granularity,
    /// (10) batch/lot number.
    pub lot: Option<&'a str>,
    /// (11) production date.
    pub production_date: Option<YearMonthDay>,
    /// (17) expiry date.
    pub expiry_date: Option<YearMonthDay>,
    /// (21) serial number.
    pub serial: Option<&'a str>,
}

/// The same code in every form a label or a platform needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ComposedCode {
    pub element_string: ElementString,
    /// `(01)06901234567892(10)B20250715-01`.
    pub bracketed: String,
    /// The barcode data: GS (`\x1d`) separators, no leading FNC1.
    pub raw: String,
    /// `(01) 06901234567892 (10) B20250715-01`.
    pub hri: String,
    /// The GS1 Digital Link URI on the given stem.
    pub digital_link: String,
    /// Problems that do not stop the code from being used (e.g. GB/T 33993 characters).
    pub warnings: Vec<Problem>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ComposeError {
    #[error("a batch code (一批一码) needs a lot number (10)")]
    MissingLot,
    #[error("an item code (一物一码) needs a serial number (21)")]
    MissingSerial,
    #[error(
        "a product code (一品一码) carries only the GTIN: remove the {what} or choose batch or item granularity"
    )]
    NotForProduct { what: &'static str },
    #[error("a batch code (一批一码) has no serial number: remove it or choose item granularity")]
    SerialInBatch,
    #[error("the expiry date {expiry} is before the production date {production}")]
    ExpiryBeforeProduction {
        production: YearMonthDay,
        expiry: YearMonthDay,
    },
    #[error("the production date {production} is after today ({today})")]
    ProductionInFuture {
        production: YearMonthDay,
        today: YearMonthDay,
    },
}

impl Fault for ComposeError {
    fn code(&self) -> &'static str {
        match self {
            ComposeError::MissingLot => "compose.missing-lot",
            ComposeError::MissingSerial => "compose.missing-serial",
            ComposeError::NotForProduct { .. } | ComposeError::SerialInBatch => {
                "compose.granularity"
            }
            ComposeError::ExpiryBeforeProduction { .. } => "compose.expiry-before-production",
            ComposeError::ProductionInFuture { .. } => "compose.production-in-future",
        }
    }

    fn zh(&self) -> String {
        match self {
            ComposeError::MissingLot => "一批一码需要批号 (10)，请填写批号".into(),
            ComposeError::MissingSerial => "一物一码需要序列号 (21)，请填写或生成序列号".into(),
            ComposeError::NotForProduct { what } => {
                let what = match *what {
                    "lot" => "批号",
                    "serial" => "序列号",
                    _ => "日期",
                };
                format!("一品一码只含 GTIN：请删除{what}，或改选一批一码/一物一码")
            }
            ComposeError::SerialInBatch => {
                "一批一码不含序列号：请删除序列号，或改选一物一码".into()
            }
            ComposeError::ExpiryBeforeProduction { production, expiry } => {
                format!("有效期 {expiry} 早于生产日期 {production}，请核对")
            }
            ComposeError::ProductionInFuture { production, today } => {
                format!("生产日期 {production} 晚于今天 {today}，请核对")
            }
        }
    }
}

fn non_empty(value: Option<&str>) -> Option<&str> {
    value.filter(|v| !v.is_empty())
}

/// Composes the code for `spec`, checks that the granularity's identifiers are present, validates
/// the result as a GS1 element string, and renders every form. `stem` defaults to
/// [`digital_link::DEFAULT_STEM`].
pub fn compose(
    spec: &TraceCodeSpec<'_>,
    stem: Option<&str>,
    today: YearMonthDay,
) -> Result<ComposedCode, Problems> {
    let lot = non_empty(spec.lot);
    let serial = non_empty(spec.serial);
    let mut problems: Vec<Problem> = Vec::new();
    match spec.granularity {
        Granularity::Product => {
            if lot.is_some() {
                problems.push(ComposeError::NotForProduct { what: "lot" }.problem());
            }
            if serial.is_some() {
                problems.push(ComposeError::NotForProduct { what: "serial" }.problem());
            }
            if spec.production_date.is_some() || spec.expiry_date.is_some() {
                problems.push(ComposeError::NotForProduct { what: "dates" }.problem());
            }
        }
        Granularity::Batch => {
            if lot.is_none() {
                problems.push(ComposeError::MissingLot.problem());
            }
            if serial.is_some() {
                problems.push(ComposeError::SerialInBatch.problem());
            }
        }
        Granularity::Item => {
            if serial.is_none() {
                problems.push(ComposeError::MissingSerial.problem());
            }
        }
    }
    if let (Some(production), Some(expiry)) = (spec.production_date, spec.expiry_date)
        && expiry < production
    {
        problems.push(ComposeError::ExpiryBeforeProduction { production, expiry }.problem());
    }
    if let Some(production) = spec.production_date
        && production > today
    {
        problems.push(ComposeError::ProductionInFuture { production, today }.problem());
    }
    if !problems.is_empty() {
        return Err(Problems(problems));
    }

    let gtin14 = spec.gtin.to_gtin14();
    let production = spec.production_date.map(YearMonthDay::to_yymmdd);
    let expiry = spec.expiry_date.map(YearMonthDay::to_yymmdd);
    let mut pairs: Vec<(&str, &str)> = vec![("01", &gtin14)];
    if let Some(d) = &production {
        pairs.push(("11", d));
    }
    if let Some(d) = &expiry {
        pairs.push(("17", d));
    }
    if let Some(lot) = lot {
        pairs.push(("10", lot));
    }
    if let Some(serial) = serial {
        pairs.push(("21", serial));
    }
    let element_string = ElementString::from_pairs(&pairs, today)?;
    let digital_link = digital_link::build(&element_string, stem)?;
    Ok(ComposedCode {
        bracketed: element_string.to_bracketed(),
        raw: element_string.to_raw(),
        hri: element_string.to_hri(),
        digital_link,
        warnings: element_string.warnings().to_vec(),
        element_string,
    })
}
