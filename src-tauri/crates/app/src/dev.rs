//! `tracedesk dev generate`: a realistic database for benchmarks and demos.

use crate::messages::Msg;
use std::path::Path;
use std::time::Instant;

use crate::entries::today;
use crate::{
    App, CodeScheme, CodingSettings, Config, EnterpriseInput, GenerateReport, Granularity,
    ListQuery, Page, PlatformMode, PlatformSettings, ProductInput, Result, SetupInput,
};

/// How much the generator writes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GenerateSpec {
    pub items: u64,
    pub batches: u64,
    pub receipts: u64,
    pub shipments: u64,
    pub seed: u64,
}

impl Default for GenerateSpec {
    fn default() -> Self {
        GenerateSpec {
            items: 1_000_000,
            batches: 100_000,
            receipts: 20_000,
            shipments: 50_000,
            seed: 20_250_301,
        }
    }
}

/// The wizard's answers for the sample enterprise: GS1 with company prefix 6901234, batch-level
/// codes, CCC-certified products, the practice platform. `generate` sets it up; the tests and
/// benches start from it too.
pub fn sample_setup() -> SetupInput {
    SetupInput {
        enterprise: EnterpriseInput {
            name: "浙江示例燃气具有限公司".into(),
            uscc: "91310115MA1K3BTP2B".into(),
            address: "浙江省宁波市示例路 1 号".into(),
            contact: "王丽".into(),
            phone: "0574-88880000".into(),
            ..Default::default()
        },
        coding: CodingSettings {
            scheme: CodeScheme::Gs1,
            ccc: true,
            granularity: Granularity::Batch,
            gs1_company_prefix: "6901234".into(),
            ecode_prefix: String::new(),
        },
        platform: PlatformSettings {
            mode: PlatformMode::Practice,
            url: String::new(),
            app_key: String::new(),
        },
    }
}

/// A product of model JZT-2Q1 named `name` with the GTIN `gtin` (may be empty), coded by the
/// enterprise's defaults, with no category, brand, standard or CCC certificate.
pub fn sample_product(name: &str, gtin: &str) -> ProductInput {
    ProductInput {
        name: name.into(),
        model: "JZT-2Q1".into(),
        category: String::new(),
        brand: String::new(),
        standard: String::new(),
        gtin: gtin.into(),
        scheme: None,
        granularity: None,
        ccc_cert_no: String::new(),
        ccc_valid_from: String::new(),
        ccc_valid_to: String::new(),
        ccc_mark_no: String::new(),
        ccc_models: Vec::new(),
        ..Default::default()
    }
}

/// Writes a new database at `path` (refusing an existing file), set up as [`sample_setup`] and
/// filled with the generated records in one bulk write.
pub fn generate(path: &Path, spec: &GenerateSpec) -> Result<GenerateReport> {
    if path.exists() {
        return Err(Msg::GeneratorTargetExists {
            path: path.to_path_buf(),
        }
        .err());
    }
    let started = Instant::now();
    let mut config = Config::for_db(path);
    config.actor = "generator".into();
    let app = App::open(config)?;
    app.complete_setup(&sample_setup())?;
    let end = today();
    let counts = store::sample::generate(
        &mut app.db(),
        &store::sample::SampleSpec {
            items: spec.items,
            batches: spec.batches,
            receipts: spec.receipts,
            shipments: spec.shipments,
            suppliers: (spec.receipts / 100).clamp(5, 300),
            customers: (spec.shipments / 100).clamp(10, 800),
            products: 60.min(spec.batches.max(1)),
            seed: spec.seed,
            end,
        },
    )?;
    let sample_material_lot =
        middle_row(|q| app.list_receipts(q))?.map_or_else(String::new, |r| r.supplier_lot);
    let sample_batch_lot =
        middle_row(|q| app.list_batches(q))?.map_or_else(String::new, |b| b.lot_no);
    let sample_delivery_note =
        middle_row(|q| app.list_shipments(q))?.map_or_else(String::new, |s| s.delivery_note_no);
    Ok(GenerateReport {
        sample_material_lot,
        sample_batch_lot,
        sample_delivery_note,
        path: path.display().to_string(),
        parties: counts.parties,
        products: counts.products,
        receipts: counts.receipts,
        batches: counts.batches,
        batch_inputs: counts.batch_inputs,
        items: counts.items,
        shipments: counts.shipments,
        shipment_lines: counts.shipment_lines,
        elapsed_ms: started.elapsed().as_secs_f64() * 1000.0,
    })
}

/// The row in the middle of a list (`None` when it is empty): a typical record to try.
pub fn middle_row<T>(list: impl Fn(&ListQuery) -> Result<Page<T>>) -> Result<Option<T>> {
    let total = list(&ListQuery::default())?.total;
    let middle = ListQuery {
        offset: total / 2,
        limit: 1,
        ..Default::default()
    };
    Ok(list(&middle)?.rows.into_iter().next())
}
