//! Scanner data: what a keyboard-wedge scanner types when it is set to send the symbology
//! identifier (domain.md §A.7, gs1-syntax-engine `scandata.c`).
//!
//! `]C1` GS1-128, `]e0` GS1 DataBar (and composites), `]d2` GS1 DataMatrix, `]Q3` GS1 QR Code and
//! `]J1` GS1 DotCode carry GS1 element data with FNC1 sent as GS (`\x1d`); `]E0` EAN-13/UPC-A and
//! `]E4` EAN-8 carry a GTIN, optionally followed by `|]e0` and a composite; `]C0` (plain Code 128),
//! `]d1`, `]Q1` and `]J0` carry plain text, which may be a GS1 Digital Link URI.

use super::check_digit::Gtin;
use super::digital_link::{self, DigitalLink, DlAnalysis, DlOptions};
use super::element::{self, Analysis, ElementString};
use super::error::Gs1Error;
use crate::date::YearMonthDay;
use crate::problem::{Problem, Problems, Severity, make_problem};

/// The symbology a symbology identifier names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Symbology {
    Gs1_128,
    DataBar,
    DataMatrix,
    QrCode,
    DotCode,
    Ean13,
    Ean8,
    /// Code 128 without FNC1 in first position: plain data, not GS1 (an Ecode V1–V3 on a 1D
    /// label is Code 128, GB/T 35419 draft, domain.md §B.2).
    Code128,
}

impl Symbology {
    pub fn name(self) -> &'static str {
        match self {
            Symbology::Gs1_128 => "GS1-128",
            Symbology::DataBar => "GS1 DataBar",
            Symbology::DataMatrix => "Data Matrix",
            Symbology::QrCode => "QR Code",
            Symbology::DotCode => "DotCode",
            Symbology::Ean13 => "EAN-13",
            Symbology::Ean8 => "EAN-8",
            Symbology::Code128 => "Code 128",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Gs1,
    Plain,
    Ean(usize),
}

/// `]xy` → symbology and how its data is read (`scandata.c` `symIdTable`).
fn lookup(id: &str) -> Option<(Symbology, Mode)> {
    Some(match id {
        "C0" => (Symbology::Code128, Mode::Plain),
        "C1" => (Symbology::Gs1_128, Mode::Gs1),
        "e0" => (Symbology::DataBar, Mode::Gs1),
        "d1" => (Symbology::DataMatrix, Mode::Plain),
        "d2" => (Symbology::DataMatrix, Mode::Gs1),
        "Q1" => (Symbology::QrCode, Mode::Plain),
        "Q3" => (Symbology::QrCode, Mode::Gs1),
        "J0" => (Symbology::DotCode, Mode::Plain),
        "J1" => (Symbology::DotCode, Mode::Gs1),
        "E0" => (Symbology::Ean13, Mode::Ean(13)),
        "E4" => (Symbology::Ean8, Mode::Ean(8)),
        _ => return None,
    })
}

/// What the symbol carried.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ScanContent {
    /// GS1 element data (`]C1`, `]e0`, `]d2`, `]Q3`, `]J1`).
    Elements(ElementString),
    /// An EAN/UPC GTIN, with the composite component if there was one.
    Gtin {
        gtin: Gtin,
        composite: Option<ElementString>,
    },
    /// A GS1 Digital Link URI in a plain-data symbol.
    DigitalLink(DigitalLink),
    /// Plain data that is not a Digital Link (e.g. an Ecode or a 数字身份码 URL).
    Text(String),
}

/// Valid scanner data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScanData {
    /// The identifier as received, e.g. `]d2`.
    pub symbology_id: String,
    pub symbology: Symbology,
    pub content: ScanContent,
}

impl ScanData {
    pub fn parse(
        text: &str,
        today: YearMonthDay,
        options: DlOptions,
    ) -> Result<ScanData, Problems> {
        let scan = analyse(text, today, options);
        let problems = scan.problems();
        let (Some(symbology_id), Some(symbology)) = (scan.symbology_id, scan.symbology) else {
            return Err(Problems(problems));
        };
        if problems.iter().any(Problem::is_error) {
            return Err(Problems(problems));
        }
        let content = match scan.body {
            Body::Elements(a) => ScanContent::Elements(a.into_result()?),
            Body::Gtin { gtin, composite } => ScanContent::Gtin {
                gtin: Gtin::parse(&gtin).map_err(|e| Problems(vec![e.to_problem(None, 0)]))?,
                composite: composite.map(Analysis::into_result).transpose()?,
            },
            Body::DigitalLink(dl) => ScanContent::DigitalLink(DigitalLink::from_analysis(dl)?),
            Body::Text => ScanContent::Text(scan.text),
            Body::None => return Err(Problems(problems)),
        };
        Ok(ScanData {
            symbology_id,
            symbology,
            content,
        })
    }
}

/// The data part of scanner data, as read.
#[derive(Debug, Clone)]
pub(crate) enum Body {
    None,
    Elements(Analysis),
    Gtin {
        gtin: String,
        composite: Option<Analysis>,
    },
    DigitalLink(DlAnalysis),
    Text,
}

/// Scanner data as read, valid or not.
#[derive(Debug, Clone)]
pub(crate) struct ScanAnalysis {
    pub symbology_id: Option<String>,
    pub symbology: Option<Symbology>,
    pub body: Body,
    /// The data after the symbology identifier.
    pub text: String,
    problems: Vec<Problem>,
}

impl ScanAnalysis {
    pub(crate) fn problems(&self) -> Vec<Problem> {
        let mut all = self.problems.clone();
        match &self.body {
            Body::Elements(a) => all.extend(a.problems.iter().cloned()),
            Body::Gtin {
                composite: Some(a), ..
            } => all.extend(a.problems.iter().cloned()),
            Body::DigitalLink(dl) => all.extend(dl.analysis.problems.iter().cloned()),
            _ => {}
        }
        all
    }
}

/// Does this text start like scanner data?
pub fn looks_like_scan_data(text: &str) -> bool {
    let mut chars = text.chars();
    chars.next() == Some(']') && chars.next().is_some_and(|c| c.is_ascii_alphabetic())
}

pub(crate) fn analyse(text: &str, today: YearMonthDay, options: DlOptions) -> ScanAnalysis {
    let mut scan = ScanAnalysis {
        symbology_id: None,
        symbology: None,
        body: Body::None,
        text: String::new(),
        problems: Vec::new(),
    };
    let error =
        |fault: Gs1Error, pos: Option<u32>| make_problem(&fault, Severity::Error, None, pos);
    let chars: Vec<char> = text.chars().collect();
    if chars.first() != Some(&']') || chars.len() < 3 {
        scan.problems
            .push(error(Gs1Error::ScanNoSymbologyId, Some(1)));
        return scan;
    }
    let id: String = chars[1..3].iter().collect();
    let Some((symbology, mode)) = lookup(&id) else {
        scan.problems.push(error(
            Gs1Error::ScanUnknownSymbology {
                id: format!("]{id}"),
            },
            Some(1),
        ));
        return scan;
    };
    scan.symbology_id = Some(format!("]{id}"));
    scan.symbology = Some(symbology);
    let data: String = chars[3..].iter().collect();
    scan.text = data.clone();
    match mode {
        Mode::Gs1 => {
            if data.is_empty() {
                scan.problems.push(error(Gs1Error::ScanEmpty, Some(3)));
                return scan;
            }
            scan.body = Body::Elements(element::analyse_raw(&data, today, false, 3));
        }
        Mode::Ean(len) => {
            let (primary, composite) = match data.split_once("|]e0") {
                Some((p, c)) => (p, Some(c)),
                None => (data.as_str(), None),
            };
            let got = primary.chars().count();
            if got != len {
                let fault = Gs1Error::ScanPrimaryLength {
                    symbology: symbology.name(),
                    expected: len,
                    len: got,
                };
                scan.problems.push(error(fault, Some(4)));
                return scan;
            }
            if let Err(e) = Gtin::parse(primary) {
                let problem = match e.position() {
                    Some(p) => make_problem(&e, Severity::Error, None, Some(p as u32 + 3)),
                    None => make_problem(&e, Severity::Error, None, Some((len + 3) as u32)),
                };
                scan.problems.push(problem);
                return scan;
            }
            let offset = (len + 7) as u32; // "]E0" + primary + "|]e0"
            scan.body = Body::Gtin {
                gtin: primary.to_owned(),
                composite: composite.map(|c| element::analyse_raw(c, today, false, offset)),
            };
        }
        Mode::Plain => {
            // A URL whose path holds a GS1 primary key is a Digital Link; any other text (including
            // a URL with a mixed-case scheme, as the engine does) is plain data.
            let dl = digital_link::analyse(&data, today, options, 3);
            scan.body = if dl.stem.is_some() {
                Body::DigitalLink(dl)
            } else {
                Body::Text
            };
        }
    }
    scan
}
