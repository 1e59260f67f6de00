//! What a product's codes look like: the product, its coding settings and batch, composed into
//! codes and file names.

use super::*;
use crate::messages::Msg;

/// Everything needed to make the codes of one product (and batch).
pub(crate) struct Coder {
    pub(crate) product: ProductRow,
    pub(crate) settings: ProductCodingRow,
    pub(crate) scheme: CodeScheme,
    pub(crate) granularity: Granularity,
    pub(crate) form: CodeForm,
    pub(crate) batch: Option<store::batches::BatchRow>,
    gtin: Option<Gtin>,
    production: Option<YearMonthDay>,
    expiry: Option<YearMonthDay>,
}

pub(super) fn product_row(conn: &store::Connection, product_id: i64) -> Result<ProductRow> {
    store::products::get(conn, product_id)?.ok_or_else(|| not_found("产品", "product", product_id))
}

impl Coder {
    /// The coder of `product_id`, for `batch_id` when given. Refuses a batch of another product,
    /// a missing batch where the granularity needs one, and a GS1 product without a GTIN.
    pub(crate) fn load(
        conn: &store::Connection,
        product_id: i64,
        batch_id: Option<i64>,
    ) -> Result<Coder> {
        let product = product_row(conn, product_id)?;
        let settings = ledger::product_coding(conn, product_id)?;
        let scheme = CodeScheme::from_db(&product.fields.scheme);
        let granularity = Granularity::from_db(&product.fields.granularity);
        let batch = match batch_id {
            Some(id) => {
                let batch =
                    store::batches::get(conn, id)?.ok_or_else(|| not_found("批次", "batch", id))?;
                if batch.fields.product_id != product_id {
                    return Err(Msg::BatchOfOtherProduct {
                        lot: batch.fields.lot_no.to_string(),
                        product: batch.product_name.to_string(),
                    }
                    .err());
                }
                Some(batch)
            }
            None => None,
        };
        if batch.is_none() && granularity != Granularity::Product {
            return Err(Msg::BatchRequired {
                name: product.fields.name.to_string(),
                granularity_zh: granularity_zh(granularity).to_string(),
                granularity_en: granularity.as_str().to_string(),
            }
            .err());
        }
        let gtin = match (scheme, product.fields.gtin.as_deref()) {
            (CodeScheme::Gs1, Some(g)) => Some(Gtin::parse(g).map_err(|e| {
                Msg::ProductGtinWrong {
                    gtin: g.to_string(),
                    zh: e.zh().to_string(),
                    en: e.to_string(),
                }
                .err()
            })?),
            (CodeScheme::Gs1, None) => {
                return Err(Msg::ProductWithoutGtin {
                    name: product.fields.name.to_string(),
                }
                .err());
            }
            _ => None,
        };
        let produced = batch
            .as_ref()
            .and_then(|b| parse_date(&b.fields.produced_on));
        let production = produced
            .filter(|_| settings.with_production_date && granularity != Granularity::Product)
            .map(to_ymd);
        let expiry = match (produced, settings.shelf_life_days) {
            (Some(d), Some(days)) if granularity != Granularity::Product => d
                .checked_add(time::Duration::days(i64::from(days)))
                .map(to_ymd),
            _ => None,
        };
        Ok(Coder {
            form: CodeForm::from_db(&settings.code_form),
            product,
            settings,
            scheme,
            granularity,
            batch,
            gtin,
            production,
            expiry,
        })
    }

    /// `{what}-{product}-{lot}`, safe in a file name.
    pub(crate) fn file_stem(&self, what: &str) -> String {
        let mut stem = format!("{what}-{}", self.product.fields.name);
        if let Some(lot) = self.lot() {
            stem.push('-');
            stem.push_str(lot);
        }
        stem.chars()
            .map(|c| {
                if c.is_alphanumeric() || c == '-' || c == '_' {
                    c
                } else {
                    '_'
                }
            })
            .collect()
    }

    pub(crate) fn lot(&self) -> Option<&str> {
        self.batch.as_ref().map(|b| b.fields.lot_no.as_str())
    }

    /// The ledger scope of the product's serials: its GTIN, or the product for other schemes.
    pub(crate) fn scope(&self) -> String {
        match &self.gtin {
            Some(g) => format!("gtin:{}", g.to_gtin14()),
            None => format!("product:{}", self.product.id),
        }
    }

    /// The GS1 code for `serial` (一物一码) or without one (一品/一批一码), every form of it.
    pub(crate) fn compose(
        &self,
        serial: Option<&str>,
        today: YearMonthDay,
    ) -> Result<ComposedCode> {
        let Some(gtin) = &self.gtin else {
            return Err(Msg::OnlyGs1Composed.err());
        };
        let item = self.granularity == Granularity::Item;
        let lot = match self.granularity {
            Granularity::Product => None,
            Granularity::Batch => self.lot(),
            Granularity::Item => self.lot().filter(|_| self.settings.item_with_lot),
        };
        let spec = TraceCodeSpec {
            gtin,
            granularity: match self.granularity {
                Granularity::Product => codes::Granularity::Product,
                Granularity::Batch => codes::Granularity::Batch,
                Granularity::Item => codes::Granularity::Item,
            },
            lot,
            production_date: self.production,
            expiry_date: self.expiry,
            serial: serial.filter(|_| item),
        };
        codes::gs1::compose(&spec, Some(&self.settings.dl_stem), today).map_err(|p| {
            let field = if lot.is_some_and(|l| p.iter().any(|x| x.message.en.contains(l))) {
                "lot"
            } else {
                "code"
            };
            problems_error(field, &p.0)
        })
    }

    /// The text of a composed code in the product's form.
    pub(crate) fn text_of(&self, composed: &ComposedCode) -> String {
        match self.form {
            CodeForm::ElementString => composed.bracketed.clone(),
            CodeForm::DigitalLink => composed.digital_link.clone(),
        }
    }

    /// The text before and after the serial of this product's item codes, checked against full
    /// compositions of `samples`; `None` when a code cannot be cut that way (then every code is
    /// composed in full, which is slower but always right).
    pub(super) fn template(
        &self,
        today: YearMonthDay,
        samples: &[&str],
    ) -> Result<Option<(String, String)>> {
        let marked = self.text_of(&self.compose(Some(MARKER), today)?);
        if marked.matches(MARKER).count() != 1 {
            return Ok(None);
        }
        let (before, after) = marked.split_once(MARKER).expect("the marker occurs once");
        for serial in samples {
            let full = self.text_of(&self.compose(Some(serial), today)?);
            if full != format!("{before}{serial}{after}") {
                return Ok(None);
            }
        }
        Ok(Some((before.to_owned(), after.to_owned())))
    }
}

pub(super) fn granularity_zh(g: Granularity) -> &'static str {
    match g {
        Granularity::Product => "一品一码",
        Granularity::Batch => "一批一码",
        Granularity::Item => "一物一码",
    }
}

pub(super) fn scheme_zh(s: CodeScheme) -> &'static str {
    match s {
        CodeScheme::Gs1 => "GS1",
        CodeScheme::Ecode => "Ecode",
        CodeScheme::DigitalId => "数字身份码",
    }
}
