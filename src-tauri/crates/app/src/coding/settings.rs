//! A product's coding settings (code form, Digital Link stem, serials), the batches to code, and
//! a preview of the next codes.

use crate::messages::Msg;
use codes::serial::CodePattern;
use store::ledger::{self, ProductCodingRow};

use super::serials::RandomSerials;
use super::{Coder, Plan, problems_error};
use crate::entries::{to_ymd, today};
use crate::{
    ApiError, App, CodeForm, CodePreview, CodeScheme, CodingBatch, Granularity, PreviewCode,
    ProductCoding, ProductCodingInput, Result, SerialMode,
};

/// Most codes a preview shows.
const PREVIEW_MAX: u32 = 20;

/// The message when a product with codes would change its scheme or granularity.
pub(crate) fn locked_error(name: &str, issued: i64) -> ApiError {
    Msg::ProductCodesIssued {
        name: name.to_string(),
        issued,
    }
    .err()
}

/// Refuses a change of scheme or granularity of a product that has codes. The product form calls
/// this before saving; migration 0004's trigger refuses the change anyway.
pub fn check_scheme_change(
    conn: &store::Connection,
    product_id: i64,
    scheme: CodeScheme,
    granularity: Granularity,
) -> Result<()> {
    let Some(product) = store::products::get(conn, product_id)? else {
        return Ok(());
    };
    let same = product.fields.scheme == scheme.as_str()
        && product.fields.granularity == granularity.as_str();
    if same || !ledger::has_codes(conn, product_id)? {
        return Ok(());
    }
    Err(locked_error(
        &product.fields.name,
        ledger::issued_count(conn, product_id)?.max(1),
    ))
}

fn dto(conn: &store::Connection, product: store::products::ProductRow) -> Result<ProductCoding> {
    let s = ledger::product_coding(conn, product.id)?;
    Ok(ProductCoding {
        product_id: product.id,
        issued: ledger::issued_count(conn, product.id)?,
        granularity_locked: ledger::has_codes(conn, product.id)?,
        name: product.fields.name,
        model: product.fields.model,
        gtin: product.fields.gtin,
        scheme: CodeScheme::from_db(&product.fields.scheme),
        granularity: Granularity::from_db(&product.fields.granularity),
        code_form: CodeForm::from_db(&s.code_form),
        dl_stem: s.dl_stem,
        serial_mode: SerialMode::from_db(&s.serial_mode),
        serial_pattern: s.serial_pattern,
        random_length: s.random_length,
        item_with_lot: s.item_with_lot,
        with_production_date: s.with_production_date,
        shelf_life_days: s.shelf_life_days,
    })
}

/// Checks a Digital Link stem: `http(s)://host[/path]`, no query, no fragment, no trailing `/`.
fn check_stem(stem: &str) -> Result<String> {
    let stem = stem.trim().trim_end_matches('/');
    let rest = stem
        .strip_prefix("https://")
        .or_else(|| stem.strip_prefix("http://"));
    let ok = rest.is_some_and(|r| {
        let host = r.split('/').next().unwrap_or("");
        !host.is_empty()
            && r.chars()
                .all(|c| c.is_ascii_alphanumeric() || "-._~/:%".contains(c))
    });
    if !ok {
        return Err(Msg::DlStemInvalid {
            stem: stem.to_string(),
        }
        .err());
    }
    Ok(stem.to_owned())
}

impl App {
    /// The coding settings of every product, for the coding screen's product picker.
    pub fn coding_products(&self) -> Result<Vec<ProductCoding>> {
        let db = self.db();
        let conn = db.conn();
        let (rows, _) = store::products::list(conn, &store::products::ProductFilter::default())?;
        rows.into_iter().map(|p| dto(conn, p)).collect()
    }

    /// A product named by its id or its GTIN (as the CLI takes it).
    pub fn find_product(&self, reference: &str) -> Result<ProductCoding> {
        let r = reference.trim();
        if r.len() >= 8
            && let Ok(gtin) = codes::Gtin::parse(r)
        {
            let found = store::products::by_gtin(
                self.db().conn(),
                &crate::products::gtin_forms(&gtin.to_gtin14()),
            )?;
            if let Some(p) = found {
                return self.product_coding(p.id);
            }
        }
        match r.parse::<i64>() {
            Ok(id) => self.product_coding(id),
            Err(_) => Err(Msg::ProductNotFoundByRef { r: r.to_string() }.err()),
        }
    }

    pub fn product_coding(&self, product_id: i64) -> Result<ProductCoding> {
        let db = self.db();
        let conn = db.conn();
        dto(conn, super::product_row(conn, product_id)?)
    }

    /// Saves a product's coding settings. A change of granularity is refused once the product
    /// has codes; a serial pattern is checked now rather than at the next generation.
    pub fn save_product_coding(
        &self,
        product_id: i64,
        input: &ProductCodingInput,
    ) -> Result<ProductCoding> {
        let dl_stem = check_stem(&input.dl_stem)?;
        let pattern = input.serial_pattern.trim().to_owned();
        CodePattern::parse(&pattern).map_err(|p| problems_error("serialPattern", &p.0))?;
        if !(8..=20).contains(&input.random_length) {
            return Err(Msg::RandomLengthOutOfRange {
                length: input.random_length as i64,
            }
            .err());
        }
        if input
            .shelf_life_days
            .is_some_and(|d| !(1..=36500).contains(&d))
        {
            return Err(Msg::ShelfLifeOutOfRange.err());
        }
        let row = ProductCodingRow {
            product_id,
            code_form: input.code_form.as_str().into(),
            dl_stem,
            serial_mode: input.serial_mode.as_str().into(),
            serial_pattern: pattern,
            random_length: input.random_length,
            item_with_lot: input.item_with_lot,
            with_production_date: input.with_production_date,
            shelf_life_days: input.shelf_life_days,
        };
        let mut db = self.db();
        db.transact(|tx| {
            let product = super::product_row(tx, product_id)?;
            if let Some(g) = input.granularity
                && g.as_str() != product.fields.granularity
            {
                check_scheme_change(
                    tx,
                    product_id,
                    CodeScheme::from_db(&product.fields.scheme),
                    g,
                )?;
                let mut fields = product.fields.clone();
                fields.granularity = g.as_str().to_owned();
                store::products::update(tx, product_id, &fields)?;
            }
            // A serial rule that could repeat serials already issued under the GTIN is refused
            // now, not at the next generation.
            if let Some(gtin) = product
                .fields
                .gtin
                .as_deref()
                .and_then(|g| codes::Gtin::parse(g).ok())
            {
                let plan = match input.serial_mode {
                    SerialMode::Sequential => Plan::Sequential(
                        super::serials::SeqSeries::new(&row.serial_pattern, Some(to_ymd(today())))
                            .map_err(|p| problems_error("serialPattern", &p.0))?,
                    ),
                    SerialMode::Random => Plan::Random(row.random_length as usize),
                };
                super::check_no_overlap(tx, &format!("gtin:{}", gtin.to_gtin14()), &plan)?;
            }
            ledger::save_product_coding(tx, &row)?;
            Ok::<_, ApiError>(())
        })?;
        drop(db);
        self.product_coding(product_id)
    }

    /// The batches of a product, newest first, with how many codes each has.
    pub fn coding_batches(&self, product_id: i64) -> Result<Vec<CodingBatch>> {
        let db = self.db();
        let conn = db.conn();
        let filter = store::batches::BatchFilter {
            product_id: Some(product_id),
            params: store::ListParams {
                sort: Some("producedOn".into()),
                descending: true,
                limit: 500,
                ..Default::default()
            },
            ..Default::default()
        };
        let (rows, _) = store::batches::list(conn, &filter)?;
        let allocations = ledger::allocations(conn, Some(product_id), None, u32::MAX)?;
        rows.into_iter()
            .map(|b| {
                let ranges: i64 = allocations
                    .iter()
                    .filter(|a| a.batch_id == Some(b.id))
                    .map(|a| a.count)
                    .sum();
                let codes = ledger::count_trace_codes(conn, product_id, Some(b.id))?;
                Ok(CodingBatch {
                    id: b.id,
                    product_id,
                    lot_no: b.fields.lot_no,
                    produced_on: b.fields.produced_on,
                    quantity: b.fields.quantity,
                    unit: b.fields.unit,
                    issued: ranges + codes,
                })
            })
            .collect()
    }

    /// The batch of product `product_id` with lot `lot`, created (produced today, quantity
    /// `quantity`, inspection pending) when `create` is set and there is none. For the CLI's
    /// `code generate --batch LOT`.
    pub fn coding_batch_by_lot(
        &self,
        product_id: i64,
        lot: &str,
        create: Option<f64>,
    ) -> Result<(CodingBatch, bool)> {
        let lot = lot.trim();
        let bad = lot.chars().find(|c| !codes::gs1::lint::is_cset82(*c));
        if lot.is_empty() || lot.chars().count() > 20 || bad.is_some() {
            return Err(Msg::LotNumberInvalid {
                lot: lot.to_string(),
            }
            .err());
        }
        let found = {
            let db = self.db();
            store::trace::batches_by_lot(db.conn(), lot, Some(product_id))?
        };
        let created = match (found.first(), create) {
            (Some(_), _) => false,
            (None, Some(quantity)) => {
                let fields = store::batches::BatchFields {
                    product_id,
                    lot_no: lot.to_owned(),
                    produced_on: crate::entries::iso(today()),
                    quantity: quantity.max(1.0),
                    unit: "件".into(),
                    inspection_result: "pending".into(),
                    inspector: String::new(),
                    report_no: None,
                    docs: Default::default(),
                };
                self.db()
                    .write(|tx| store::batches::insert(tx, &fields, &[]))?;
                true
            }
            (None, None) => {
                return Err(Msg::BatchLotNotFound {
                    lot: lot.to_string(),
                }
                .err());
            }
        };
        let batch = self
            .coding_batches(product_id)?
            .into_iter()
            .find(|b| b.lot_no == lot)
            .ok_or_else(|| Msg::BatchNotReadBack.err())?;
        Ok((batch, created))
    }

    /// The next few codes of a product (and batch) as they will look, without reserving any:
    /// sequential serials are the next ones the ledger would hand out now, random ones are
    /// examples (generation draws new ones).
    pub fn preview_codes(
        &self,
        product_id: i64,
        batch_id: Option<i64>,
        count: u32,
    ) -> Result<CodePreview> {
        let count = count.clamp(1, PREVIEW_MAX) as u64;
        let today = to_ymd(today());
        let db = self.db();
        let conn = db.conn();
        let coder = Coder::load(conn, product_id, batch_id)?;
        let mut codes = Vec::new();
        let mut available = None;
        let mut keyed_preview = false;
        let (note_zh, note_en) = match (coder.scheme, coder.granularity) {
            (CodeScheme::Gs1, Granularity::Item) => {
                let plan = Plan::of(&coder, today)?;
                let serials: Vec<String> = match &plan {
                    Plan::Sequential(seq) => {
                        let next = ledger::series_in_scope(conn, &coder.scope())?
                            .into_iter()
                            .find(|s| {
                                s.kind == "sequential"
                                    && s.pattern == plan.pattern()
                                    && s.fixed == plan.fixed()
                            })
                            .map_or(seq.start(), |s| s.next_seq as u64);
                        seq.check_range(next, count)
                            .map_err(|p| problems_error("serialPattern", &p.0))?;
                        (next..next + count).map(|n| seq.render(n)).collect()
                    }
                    Plan::Random(len) => {
                        // A keyed series shows its real next serials; before its first run
                        // (no key yet) or for a series that draws, samples are drawn.
                        let keyed = ledger::series_in_scope(conn, &coder.scope())?
                            .into_iter()
                            .find(|s| s.kind == "keyed" && s.pattern == plan.pattern());
                        if let Some(series) = keyed {
                            let serials = super::keyed_serials(conn, series.id, &series.pattern)?;
                            let next = series.next_seq as u64;
                            let mut out = Vec::new();
                            for n in next..next + count {
                                out.push(
                                    serials
                                        .serial(n)
                                        .map_err(|p| problems_error("randomLength", &p.0))?,
                                );
                            }
                            keyed_preview = true;
                            out
                        } else {
                            let mut random = RandomSerials::new(*len);
                            (0..count)
                                .map(|_| {
                                    random.draw().map_err(|e| {
                                        Msg::NoRandomBytesForPreview {
                                            error: e.to_string(),
                                        }
                                        .err()
                                    })
                                })
                                .collect::<Result<_>>()?
                        }
                    }
                };
                for serial in serials {
                    let composed = coder.compose(Some(&serial), today)?;
                    codes.push(PreviewCode {
                        code: coder.text_of(&composed),
                        hri: composed.element_string.hri_lines().join("\n"),
                        serial: Some(serial),
                    });
                }
                match plan {
                    Plan::Sequential(_) => (
                        "序列号为账本中接下来的号码，生成时才正式占用".to_owned(),
                        "the serials are the ledger's next ones; they are reserved only when generating"
                            .to_owned(),
                    ),
                    Plan::Random(_) if keyed_preview => (
                        "随机序列号为账本中接下来的号码（按本系列的密钥算出），生成时才正式占用".to_owned(),
                        "the random serials are the ledger's next ones (computed under the series key); they are reserved only when generating"
                            .to_owned(),
                    ),
                    Plan::Random(_) => (
                        "随机序列号仅为示例，生成时会重新抽取".to_owned(),
                        "random serials are examples; generating draws new ones".to_owned(),
                    ),
                }
            }
            (CodeScheme::Gs1, _) => {
                let composed = coder.compose(None, today)?;
                codes.push(PreviewCode {
                    code: coder.text_of(&composed),
                    hri: composed.element_string.hri_lines().join("\n"),
                    serial: None,
                });
                (
                    format!(
                        "{}：同一{}的每个标签印同一个码",
                        super::granularity_zh(coder.granularity),
                        if coder.granularity == Granularity::Batch {
                            "批次"
                        } else {
                            "产品"
                        }
                    ),
                    format!(
                        "per {}: every label of it carries the same code",
                        coder.granularity.as_str()
                    ),
                )
            }
            _ => {
                let batch = coder.batch.as_ref().map(|b| b.id);
                available = Some(ledger::count_trace_codes(conn, product_id, batch)?);
                ledger::each_trace_code::<store::Error>(conn, product_id, batch, count, |row| {
                    codes.push(PreviewCode {
                        code: row.code.clone(),
                        hri: row.code.clone(),
                        serial: None,
                    });
                    Ok(())
                })?;
                (
                    format!(
                        "{} 由其平台发码：这里显示已导入的码",
                        super::scheme_zh(coder.scheme)
                    ),
                    format!(
                        "{} codes are issued by their platform: these are the imported ones",
                        coder.scheme.as_str()
                    ),
                )
            }
        };
        Ok(CodePreview {
            granularity: coder.granularity,
            scheme: coder.scheme,
            code_form: coder.form,
            codes,
            available,
            note_zh,
            note_en,
        })
    }
}
