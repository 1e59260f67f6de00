//! `tracedesk dev generate`: a realistic database for benchmarks and demos.

use crate::messages::Msg;
use std::path::Path;
use std::time::Instant;

use crate::entries::today;
use crate::{
    App, CodeScheme, CodingSettings, Config, EnterpriseInput, GenerateReport, Granularity,
    ListQuery, PlatformMode, PlatformSettings, Result, SetupInput,
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

/// Writes a new database at `path` (refusing an existing file), set up like the wizard would
/// (a sample enterprise, GS1 with company prefix 6901234, practice mode) and filled with the
/// generated records in one bulk write.
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
    app.complete_setup(&SetupInput {
        enterprise: EnterpriseInput {
            name: "浙江示例燃气具有限公司".into(),
            uscc: "91310115MA1K3BTP2B".into(),
            address: "浙江省宁波市示例路 1 号".into(),
            contact: "王丽".into(),
            phone: "0574-88880000".into(),
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
    })?;
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
    let middle = |total: u32| ListQuery {
        offset: total / 2,
        limit: 1,
        ..Default::default()
    };
    let receipts = app.list_receipts(&ListQuery::default())?.total;
    let sample_material_lot = app
        .list_receipts(&middle(receipts))?
        .rows
        .first()
        .map(|r| r.supplier_lot.clone())
        .unwrap_or_default();
    let batches = app.list_batches(&ListQuery::default())?.total;
    let sample_batch_lot = app
        .list_batches(&middle(batches))?
        .rows
        .first()
        .map(|b| b.lot_no.clone())
        .unwrap_or_default();
    let shipments = app.list_shipments(&ListQuery::default())?.total;
    let sample_delivery_note = app
        .list_shipments(&middle(shipments))?
        .rows
        .first()
        .map(|s| s.delivery_note_no.clone())
        .unwrap_or_default();
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
