//! The words the whole workspace shares for how a product is coded: the 追溯码方案 ([`Scheme`])
//! and the 赋码粒度 ([`Granularity`]). They are defined here once; `sheets`, `platform`, `app`
//! and `cli` use these types (the practice platform in `simulator` keeps its own copy on
//! purpose: it stands for SAMR's platform, which is not our code).
//!
//! One spelling everywhere: the platform contract's and the database's (`gs1`, `ecode`,
//! `digital-id`; `product`, `batch`, `item`), which is also the serde spelling. Input also accepts
//! `digital_id`, the spelling of the spreadsheet enum key, as an alias.
//!
//! With the `ts` feature (turned on by `app`) both derive `ts_rs::TS`, so the UI's TypeScript
//! bindings keep the names `CodeScheme` and `Granularity`.

use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serialize};

// The type doc below is what ts-rs writes into `CodeScheme.ts`: keep it to this one line.
/// 追溯码方案: which trace-code scheme the enterprise (or a product) uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export, rename = "CodeScheme"))]
pub enum Scheme {
    /// GS1 商品条码
    Gs1,
    /// Ecode 物联网标识
    Ecode,
    /// 数字身份码
    DigitalId,
}

/// Serde's derive with `#[serde(alias = "digital_id")]` on `DigitalId`, written out because ts-rs
/// cannot read the `alias` attribute (it warns on every build): the `as_str` spellings, and the
/// spreadsheet key `digital_id` on input only.
impl<'de> Deserialize<'de> for Scheme {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Scheme, D::Error> {
        let text = std::borrow::Cow::<'de, str>::deserialize(deserializer)?;
        match &*text {
            "digital_id" => Ok(Scheme::DigitalId),
            text => Scheme::parse(text)
                .ok_or_else(|| D::Error::unknown_variant(text, &["gs1", "ecode", "digital-id"])),
        }
    }
}

impl Scheme {
    pub const ALL: [Scheme; 3] = [Scheme::Gs1, Scheme::Ecode, Scheme::DigitalId];

    /// The stored and wire spelling (database, backups, platform contract §4.1 `scheme`).
    pub fn as_str(self) -> &'static str {
        match self {
            Scheme::Gs1 => "gs1",
            Scheme::Ecode => "ecode",
            Scheme::DigitalId => "digital-id",
        }
    }

    /// The scheme [`as_str`](Scheme::as_str) spells as `text`, exactly.
    pub fn parse(text: &str) -> Option<Scheme> {
        Scheme::ALL.into_iter().find(|s| s.as_str() == text)
    }

    /// A stored value read back; a text tracedesk never writes reads as GS1, the default.
    pub fn from_db(text: &str) -> Scheme {
        Scheme::parse(text).unwrap_or(Scheme::Gs1)
    }

    /// The Chinese name shown to the clerk.
    pub fn zh(self) -> &'static str {
        match self {
            Scheme::Gs1 => "GS1",
            Scheme::Ecode => "Ecode",
            Scheme::DigitalId => "数字身份码",
        }
    }

    /// The English name.
    pub fn en(self) -> &'static str {
        match self {
            Scheme::Gs1 => "GS1",
            Scheme::Ecode => "Ecode",
            Scheme::DigitalId => "digital ID",
        }
    }
}

// The type doc below is what ts-rs writes into `Granularity.ts`: keep it to this one line.
/// 赋码粒度: 一品一码 / 一批一码 / 一物一码.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub enum Granularity {
    /// 一品一码: the product (SKU).
    Product,
    /// 一批一码: one production batch / lot.
    Batch,
    /// 一物一码: one individual item.
    Item,
}

impl Granularity {
    pub const ALL: [Granularity; 3] = [Granularity::Product, Granularity::Batch, Granularity::Item];

    /// The stored and wire spelling (database, backups, platform contract §4.1 `granularity`).
    pub fn as_str(self) -> &'static str {
        match self {
            Granularity::Product => "product",
            Granularity::Batch => "batch",
            Granularity::Item => "item",
        }
    }

    /// The granularity [`as_str`](Granularity::as_str) spells as `text`, exactly.
    pub fn parse(text: &str) -> Option<Granularity> {
        Granularity::ALL.into_iter().find(|g| g.as_str() == text)
    }

    /// A stored value read back; a text tracedesk never writes reads as a batch, the default.
    pub fn from_db(text: &str) -> Granularity {
        Granularity::parse(text).unwrap_or(Granularity::Batch)
    }

    /// The Chinese name shown to the clerk.
    pub fn zh(self) -> &'static str {
        match self {
            Granularity::Product => "一品一码",
            Granularity::Batch => "一批一码",
            Granularity::Item => "一物一码",
        }
    }

    /// The English name.
    pub fn en(self) -> &'static str {
        match self {
            Granularity::Product => "per product",
            Granularity::Batch => "per batch",
            Granularity::Item => "per item",
        }
    }

    /// Whether a GS1 trace code of this granularity carries the lot as (10): a batch code always,
    /// an item code when the product's codes are set to carry it (`item_with_lot`), a product
    /// code never.
    pub fn carries_lot(self, item_with_lot: bool) -> bool {
        match self {
            Granularity::Product => false,
            Granularity::Batch => true,
            Granularity::Item => item_with_lot,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{Granularity, Scheme};

    #[test]
    fn every_scheme_and_granularity_round_trips_through_its_stored_spelling_and_serde() {
        for s in Scheme::ALL {
            assert_eq!(Scheme::parse(s.as_str()), Some(s));
            let json = serde_json::to_string(&s).unwrap();
            assert_eq!(json, format!("\"{}\"", s.as_str()));
            assert_eq!(serde_json::from_str::<Scheme>(&json).unwrap(), s);
        }
        for g in Granularity::ALL {
            assert_eq!(Granularity::parse(g.as_str()), Some(g));
            let json = serde_json::to_string(&g).unwrap();
            assert_eq!(json, format!("\"{}\"", g.as_str()));
            assert_eq!(serde_json::from_str::<Granularity>(&json).unwrap(), g);
        }
    }

    #[test]
    fn the_spreadsheet_spelling_digital_id_is_accepted_on_input_only() {
        assert_eq!(
            serde_json::from_str::<Scheme>("\"digital_id\"").unwrap(),
            Scheme::DigitalId
        );
        assert_eq!(Scheme::DigitalId.as_str(), "digital-id");
        assert_eq!(Scheme::parse("digital_id"), None);
    }

    #[test]
    fn an_unknown_scheme_is_refused_naming_the_accepted_spellings() {
        let e = serde_json::from_str::<Scheme>("\"gs2\"")
            .unwrap_err()
            .to_string();
        assert!(e.contains("unknown variant `gs2`"), "{e}");
        assert!(e.contains("`digital-id`"), "{e}");
    }

    #[test]
    fn an_unknown_stored_text_reads_as_the_defaults() {
        assert_eq!(Scheme::from_db(""), Scheme::Gs1);
        assert_eq!(Scheme::from_db("ecode"), Scheme::Ecode);
        assert_eq!(Granularity::from_db("?"), Granularity::Batch);
        assert_eq!(Granularity::from_db("item"), Granularity::Item);
    }
}
