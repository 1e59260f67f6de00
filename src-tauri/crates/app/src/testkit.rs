//! What the app's tests start from, written once: an [`App`] on a temporary data folder, the
//! finished set-ups, the sample products, a batch to code, a list of generated codes, and the
//! archive entries and backup edits the restore tests and goldens need.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use crate::{
    App, CodeGenerateInput, CodeGenerateSummary, CodeScheme, CodingBatch, Config, EnterpriseInput,
    Granularity, PlatformMode, PlatformSettings, Product, ProductCoding, ProductCodingInput,
    ProductInput, SetupInput,
};

/// The GTIN of the product most tests code.
pub(crate) const GTIN: &str = "06901234567892";
/// The lot of the batch most tests code.
pub(crate) const LOT: &str = "B20250715-1";
/// The enterprise that submits in the submission and archive tests.
pub(crate) const SUBMITTER_USCC: &str = "91350100MA2TRACE2N";
/// The supplier of [`receipts`].
pub(crate) const SUPPLIER_USCC: &str = "91320500MA1GYH0A7F";

/// An app on `dir`, used by the clerk wang.li (the "who" of the audit log).
pub(crate) fn open(dir: &Path) -> App {
    open_with(Config {
        actor: "wang.li".into(),
        ..Config::in_dir(dir)
    })
}

/// An app opened with `config`.
pub(crate) fn open_with(config: Config) -> App {
    App::open(config).expect("open app")
}

/// A temp folder and a new, not yet set-up app on its `data` folder (files the test writes go
/// beside it).
pub(crate) fn temp_app() -> (tempfile::TempDir, App) {
    let dir = tempfile::tempdir().expect("temp dir");
    let app = open(&dir.path().join("data"));
    (dir, app)
}

/// The sample set-up ([`crate::dev::sample_setup`]) with the enterprise's code `uscc`.
pub(crate) fn setup_input(uscc: &str) -> SetupInput {
    let mut input = crate::dev::sample_setup();
    input.enterprise.uscc = uscc.into();
    input
}

/// A temp folder and an app on it, set up with the enterprise's code 91110000600037341L.
pub(crate) fn set_up_app() -> (tempfile::TempDir, App) {
    let (dir, app) = temp_app();
    app.complete_setup(&setup_input("91110000600037341L"))
        .expect("setup");
    (dir, app)
}

/// The set-up of the enterprise that submits in the submission and archive tests, to `platform`.
pub(crate) fn submitter_setup(platform: PlatformSettings) -> SetupInput {
    SetupInput {
        enterprise: EnterpriseInput {
            name: "福州示例电器有限公司".into(),
            uscc: SUBMITTER_USCC.into(),
            address: "福建省福州市鼓楼区示例路1号".into(),
            contact: "林示例".into(),
            phone: "0591-88880000".into(),
            ..Default::default()
        },
        platform,
        ..crate::dev::sample_setup()
    }
}

/// The built-in practice platform.
pub(crate) fn practice() -> PlatformSettings {
    crate::dev::sample_setup().platform
}

/// Sets the app up as [`submitter_setup`] to `platform`.
pub(crate) fn setup(app: &App, platform: PlatformSettings) {
    app.complete_setup(&submitter_setup(platform)).unwrap();
}

/// Sets the app up to submit to the real platform at `url` (the simulator's address) with the
/// practice credentials, as a real platform would be set up: Remote mode, the App Key in the
/// settings, the secret in its 0600 file.
pub(crate) fn remote(app: &App, url: &str) {
    setup(
        app,
        PlatformSettings {
            mode: PlatformMode::Remote,
            url: format!("{url}/api/v1"),
            app_key: "practice".into(),
        },
    );
    crate::credentials::save(&app.config().data_dir, "practice", "practice-secret", false).unwrap();
}

/// Port 0 of 127.0.0.1: a simulator's address chosen by the system.
pub(crate) fn loopback() -> SocketAddr {
    SocketAddr::from(([127, 0, 0, 1], 0))
}

/// A progress callback that ignores what it is told.
pub(crate) fn quiet() -> impl Fn(crate::SubmitProgress) + Send + Sync {
    |_| {}
}

/// `n` complete receipts from one supplier ([`SUPPLIER_USCC`]): something to submit.
pub(crate) fn receipts(app: &App, n: usize) {
    let mut text = format!(
        "INSERT INTO party (id, kind, name, uscc) VALUES (1, 'supplier', '苏州示例线缆材料有限公司', '{SUPPLIER_USCC}');"
    );
    for i in 1..=n {
        text.push_str(&format!(
            "INSERT INTO receipt (supplier_id, material, supplier_lot, quantity, unit, received_on, inspection_result)
             VALUES (1, '钢板', 'L{i:05}', {}, 'kg', '2025-07-{:02}', 'pass');",
            10 + i,
            1 + i % 28
        ));
    }
    sql(app, &text);
}

/// A product in the catalogue (category KP-GAS-03, brand and standard filled in), coded by the
/// enterprise's defaults.
pub(crate) fn catalogued_input(name: &str, gtin: &str) -> ProductInput {
    ProductInput {
        category: "KP-GAS-03".into(),
        brand: "示例".into(),
        standard: "GB 16410-2020".into(),
        ..crate::dev::sample_product(name, gtin)
    }
}

/// Saves [`catalogued_input`].
pub(crate) fn catalogued_product(app: &App, name: &str, gtin: &str) -> Product {
    app.add_product(&catalogued_input(name, gtin))
        .expect("product saved")
}

/// A product coded in `scheme` at `granularity`; its id.
pub(crate) fn coded_product(
    app: &App,
    name: &str,
    gtin: &str,
    scheme: CodeScheme,
    granularity: Granularity,
) -> i64 {
    app.add_product(&ProductInput {
        scheme: Some(scheme),
        granularity: Some(granularity),
        ..crate::dev::sample_product(name, gtin)
    })
    .expect("add product")
    .id
}

/// A batch of `lot` produced on 2025-07-15, as the production form would record it.
pub(crate) fn batch(app: &App, product_id: i64, lot: &str) -> CodingBatch {
    let fields = store::batches::BatchFields {
        product_id,
        lot_no: lot.into(),
        produced_on: "2025-07-15".into(),
        quantity: 100.0,
        unit: "台".into(),
        inspection_result: "pass".into(),
        inspector: "陈质检".into(),
        report_no: None,
        docs: Default::default(),
    };
    app.db()
        .write(|tx| store::batches::insert(tx, &fields, &[]))
        .expect("batch");
    app.coding_batch_by_lot(product_id, lot, None)
        .expect("batch")
        .0
}

/// A GS1 一物一码 product ([`GTIN`]) with one batch ([`LOT`]): `(product, batch)`.
pub(crate) fn item_product(app: &App) -> (i64, i64) {
    let p = coded_product(app, "家用燃气灶", GTIN, CodeScheme::Gs1, Granularity::Item);
    (p, batch(app, p, LOT).id)
}

/// What generating `count` codes of the batch into the CSV list `path` asks.
pub(crate) fn code_input(
    product_id: i64,
    batch_id: Option<i64>,
    count: u64,
    path: &Path,
) -> CodeGenerateInput {
    CodeGenerateInput {
        product_id,
        batch_id,
        count,
        path: path.display().to_string(),
        format: None,
        job_id: None,
    }
}

/// Generates `count` codes of batch `b` into the CSV list `path`: the summary and the codes.
pub(crate) fn generate_list(
    app: &App,
    path: &Path,
    p: i64,
    b: i64,
    count: u64,
) -> (CodeGenerateSummary, Vec<String>) {
    let summary = app
        .generate_codes(&code_input(p, Some(b), count, path), &mut |_| {})
        .expect("generate");
    let text = std::fs::read_to_string(path).expect("list");
    (summary, text.lines().skip(1).map(str::to_owned).collect())
}

/// Runs `text` (SQL) in one write transaction.
pub(crate) fn sql(app: &App, text: &str) {
    app.db()
        .write(|tx| {
            tx.execute_batch(text)?;
            Ok(())
        })
        .unwrap();
}

/// One request and its response in the archive at `at`, as a submission run writes them: what the
/// restore tests and the restore goldens alter in a backup.
pub(crate) fn archive_one_exchange(app: &App, at: &str) {
    app.db()
        .write(|tx| store::sample::archive_exchange(tx, at))
        .unwrap();
}

/// Deletes the archive's entry 2 from the backup file `backup`, its guard trigger dropped and put
/// back, so the schema matches and only the archive tells.
pub(crate) fn alter_archive_in_backup(backup: &Path) {
    let file = rusqlite::Connection::open(backup).unwrap();
    let trigger: String = file
        .query_row(
            "SELECT sql FROM sqlite_master WHERE name = 'archive_entry_no_delete'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    file.execute_batch(
        "DROP TRIGGER archive_entry_no_delete;
         DELETE FROM archive_entry WHERE id = 2;",
    )
    .unwrap();
    file.execute_batch(&trigger).unwrap();
}

/// What the audit log recorded of the restore (its `new_values`).
pub(crate) fn restore_audit(app: &App) -> String {
    app.db()
        .conn()
        .query_row(
            "SELECT new_values FROM audit_log WHERE table_name = 'restore'",
            [],
            |r| r.get(0),
        )
        .unwrap()
}

/// `name` in the folder `dir`.
pub(crate) fn write_file(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, bytes).expect("write test file");
    path
}

/// Saves the coding settings of `product_id` as they are, but for what `change` changes (the
/// granularity left as it is unless `change` sets it).
pub(crate) fn set_coding(
    app: &App,
    product_id: i64,
    change: impl FnOnce(&mut ProductCodingInput),
) -> crate::Result<ProductCoding> {
    let c = app.product_coding(product_id).unwrap();
    let mut input = ProductCodingInput {
        granularity: None,
        code_form: c.code_form,
        dl_stem: c.dl_stem,
        serial_mode: c.serial_mode,
        serial_pattern: c.serial_pattern,
        random_length: c.random_length,
        item_with_lot: c.item_with_lot,
        with_production_date: c.with_production_date,
        shelf_life_days: c.shelf_life_days,
    };
    change(&mut input);
    app.save_product_coding(product_id, &input)
}

/// Every cell of the workbook at `path`: (sheet, text) for string cells, and how many formula
/// cells it holds. Read back with calamine, as another program would.
pub(crate) fn xlsx_cells(path: &Path) -> (Vec<(String, String)>, usize) {
    use calamine::{Data, Reader, open_workbook_auto};
    let mut book = open_workbook_auto(path).expect("the export opens");
    let mut strings = Vec::new();
    let mut formulas = 0;
    for name in book.sheet_names() {
        let range = book.worksheet_range(&name).expect("sheet");
        for cell in range.used_cells() {
            if let Data::String(s) = cell.2 {
                strings.push((name.clone(), s.clone()));
            }
        }
        formulas += book
            .worksheet_formula(&name)
            .expect("formulas")
            .used_cells()
            .filter(|c| !c.2.is_empty())
            .count();
    }
    (strings, formulas)
}

/// Asserts that `text` holds `part`, showing both when it does not.
#[track_caller]
pub(crate) fn assert_contains(text: &str, part: &str) {
    assert!(text.contains(part), "{part:?} is not in: {text}");
}
