//! Restore through `App`, on real files: codes issued before a restore are never issued again,
//! an altered archive is refused unless confirmed, and a running submission blocks it.

use std::collections::HashSet;
use std::path::Path;

use crate::{
    App, CodeEventInput, CodeGenerateInput, CodeScheme, Config, ErrorCode, Granularity,
    ProductCodingInput, ProductInput, SerialMode,
};

const GTIN: &str = "06901234567892";
const LOT: &str = "B20250715-1";

fn open(dir: &Path) -> App {
    App::open(Config {
        actor: "wang.li".into(),
        ..Config::in_dir(dir)
    })
    .expect("open app")
}

/// A GS1 一物一码 product with one batch: `(product, batch)`.
fn item_product(app: &App) -> (i64, i64) {
    let p = app
        .add_product(&ProductInput {
            name: "家用燃气灶".into(),
            model: "JZT-2Q1".into(),
            category: String::new(),
            brand: String::new(),
            standard: String::new(),
            gtin: GTIN.into(),
            scheme: Some(CodeScheme::Gs1),
            granularity: Some(Granularity::Item),
            ccc_cert_no: String::new(),
            ccc_valid_from: String::new(),
            ccc_valid_to: String::new(),
            ccc_mark_no: String::new(),
            ccc_models: Vec::new(),
        })
        .expect("add product")
        .id;
    let fields = store::batches::BatchFields {
        product_id: p,
        lot_no: LOT.into(),
        produced_on: "2025-07-15".into(),
        quantity: 100.0,
        unit: "台".into(),
        inspection_result: "pass".into(),
        inspector: "陈质检".into(),
        report_no: None,
    };
    app.db()
        .write(|tx| store::batches::insert(tx, &fields, &[]))
        .expect("batch");
    let b = app.coding_batch_by_lot(p, LOT, None).expect("batch").0.id;
    (p, b)
}

fn random_mode(app: &App, p: i64) {
    let c = app.product_coding(p).unwrap();
    app.save_product_coding(
        p,
        &ProductCodingInput {
            granularity: None,
            code_form: c.code_form,
            dl_stem: c.dl_stem,
            serial_mode: SerialMode::Random,
            serial_pattern: c.serial_pattern,
            random_length: c.random_length,
            item_with_lot: c.item_with_lot,
            with_production_date: c.with_production_date,
            shelf_life_days: c.shelf_life_days,
        },
    )
    .unwrap();
}

/// Generates `count` codes into `dir/name.csv` and returns them.
fn generate(app: &App, dir: &Path, name: &str, p: i64, b: i64, count: u64) -> Vec<String> {
    let path = dir.join(format!("{name}.csv"));
    app.generate_codes(
        &CodeGenerateInput {
            product_id: p,
            batch_id: Some(b),
            count,
            path: path.display().to_string(),
            format: None,
            job_id: None,
        },
        &mut |_| {},
    )
    .expect("generate");
    let text = std::fs::read_to_string(&path).unwrap();
    text.lines().skip(1).map(str::to_owned).collect()
}

fn serials(codes: &[String]) -> Vec<String> {
    codes
        .iter()
        .map(|c| {
            codes::check(c, codes::YearMonthDay::new(2026, 1, 1).unwrap()).fields["21"].clone()
        })
        .collect()
}

fn assert_all_distinct(lists: &[&[String]]) {
    let mut seen = HashSet::new();
    for list in lists {
        for s in serials(list) {
            assert!(seen.insert(s.clone()), "serial {s} issued twice");
        }
    }
}

#[test]
fn codes_issued_before_a_restore_are_never_issued_again_and_can_still_be_reprinted() {
    for random in [false, true] {
        let dir = tempfile::tempdir().unwrap();
        let app = open(dir.path());
        let (p, b) = item_product(&app);
        if random {
            random_mode(&app, p);
        }
        let first = generate(&app, dir.path(), "first", p, b, 20);
        let backup = app.backup(None).unwrap();
        let after_backup = generate(&app, dir.path(), "after-backup", p, b, 15);

        let result = app.restore(Path::new(&backup.path), false).unwrap();
        assert!(!result.forced);
        assert_eq!(result.carried.allocations, 1, "random {random}: {result:?}");
        assert_eq!(result.carried.serials, 15);
        assert!(
            result.message_zh.contains("恢复前已发出的序列号继续保留"),
            "{}",
            result.message_zh
        );
        assert!(result.pre_restore.is_some());

        let after_restore = generate(&app, dir.path(), "after-restore", p, b, 15);
        assert_all_distinct(&[&first, &after_backup, &after_restore]);
        if !random {
            assert_eq!(
                serials(&after_restore)[0],
                "00000036",
                "the series continues after the last serial issued before the restore"
            );
        }
        // A code printed after the backup is still known to the ledger: its reprint is logged
        // against its batch.
        let reprint = app
            .reprint_code(&CodeEventInput {
                code: after_backup[3].clone(),
                reason: "标签破损".into(),
            })
            .unwrap();
        assert_eq!(reprint.lot_no.as_deref(), Some(LOT), "random {random}");
    }
}

/// A data directory whose backup holds an archive that was then altered in the backup file.
fn tampered_backup(dir: &Path) -> (App, std::path::PathBuf) {
    let app = open(dir);
    crate::tests::archive_one_exchange(&app, "2025-07-16T08:00:00.000Z");
    let backup = dir.join("saved.sqlite3");
    app.backup(Some(&backup)).unwrap();
    let file = rusqlite::Connection::open(&backup).unwrap();
    // The trigger is put back afterwards, so the schema matches and only the archive tells.
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
    drop(file);
    (app, backup)
}

#[test]
fn a_backup_with_an_altered_archive_is_refused_unless_the_clerk_confirms() {
    let dir = tempfile::tempdir().unwrap();
    let (app, backup) = tampered_backup(dir.path());
    let (p, b) = item_product(&app);
    generate(&app, dir.path(), "codes", p, b, 5);

    let err = app.restore(&backup, false).unwrap_err();
    assert_eq!(err.code, ErrorCode::InvalidState);
    assert_eq!(err.field.as_deref(), Some("restore.archive"));
    assert!(
        err.message_zh.contains("报送档案校验未通过"),
        "{}",
        err.message_zh
    );
    assert!(err.message_zh.contains("仍然恢复"), "{}", err.message_zh);
    assert!(err.message_en.contains("--force"), "{}", err.message_en);
    assert!(
        err.message_en.contains("head says entry 2"),
        "names the first bad entry: {}",
        err.message_en
    );
    let entries = |app: &App| -> i64 {
        app.db()
            .conn()
            .query_row("SELECT count(*) FROM archive_entry", [], |r| r.get(0))
            .unwrap()
    };
    assert_eq!(entries(&app), 2, "nothing changed");

    let result = app.restore(&backup, true).unwrap();
    assert!(result.forced);
    assert!(!result.archive.ok);
    assert_eq!(result.archive.first_bad, Some(2));
    assert_eq!(
        entries(&app),
        1,
        "the backup's (altered) archive is the live one now"
    );
    assert!(
        result.message_zh.contains("已按确认强制恢复"),
        "{}",
        result.message_zh
    );
    let audit: String = app
        .db()
        .conn()
        .query_row(
            "SELECT new_values FROM audit_log WHERE table_name = 'restore'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(audit.contains(r#""forced":true"#), "{audit}");
    assert!(audit.contains("head says entry 2"), "{audit}");
    // The codes issued before the forced restore are kept even so.
    assert_eq!(result.carried.allocations, 1);
}

#[test]
fn a_restore_is_refused_while_another_app_submits_and_works_once_it_is_done() {
    let dir = tempfile::tempdir().unwrap();
    let app = open(dir.path());
    let backup = app.backup(None).unwrap();
    let other = open(dir.path());
    let lease = other.take_lease("submit").unwrap();

    let err = app.restore(Path::new(&backup.path), false).unwrap_err();
    assert_eq!(err.code, ErrorCode::InvalidState);
    assert_eq!(err.field.as_deref(), Some("submission.lease"));
    assert!(err.message_zh.contains("正在报送"), "{}", err.message_zh);
    assert!(err.message_en.contains("submitting"), "{}", err.message_en);
    let backups_before = app.list_backups().unwrap().len();
    assert_eq!(backups_before, 1, "not even a pre-restore copy was made");

    drop(lease);
    let result = app.restore(Path::new(&backup.path), false).unwrap();
    assert!(!result.forced);
    assert_eq!(
        app.submission_lease().unwrap(),
        None,
        "the restore gave its lease back and the backup's is gone"
    );
    // And the other app can submit again.
    drop(other.take_lease("submit").unwrap());
}

#[test]
fn a_backup_with_a_dropped_guard_trigger_is_refused_naming_it_and_restores_when_confirmed() {
    let dir = tempfile::tempdir().unwrap();
    let app = open(dir.path());
    let backup = dir.path().join("no-guard.sqlite3");
    app.backup(Some(&backup)).unwrap();
    let file = rusqlite::Connection::open(&backup).unwrap();
    file.execute_batch(
        "DROP TRIGGER code_event_no_delete;
         CREATE TRIGGER quiet AFTER INSERT ON product BEGIN SELECT 1; END;",
    )
    .unwrap();
    drop(file);
    let (p, b) = item_product(&app);
    generate(&app, dir.path(), "codes", p, b, 5);

    let err = app.restore(&backup, false).unwrap_err();
    assert_eq!(err.code, ErrorCode::InvalidState);
    assert_eq!(err.field.as_deref(), Some("restore.schema"));
    let latest = store::Db::latest_version();
    assert!(
        err.message_zh
            .contains(&format!("数据库结构与第 {latest} 版不符，共 2 处")),
        "{}",
        err.message_zh
    );
    assert!(
        err.message_zh
            .contains("缺少只追加保护触发器 code_event_no_delete（表 code_event）"),
        "{}",
        err.message_zh
    );
    assert!(
        err.message_zh.contains("多出触发器 quiet（表 product）"),
        "{}",
        err.message_zh
    );
    assert!(err.message_zh.contains("仍然恢复"), "{}", err.message_zh);
    assert!(
        err.message_en.contains(
            "the append-only guard trigger code_event_no_delete (table code_event) is missing"
        ),
        "{}",
        err.message_en
    );
    assert!(err.message_en.contains("--force"), "{}", err.message_en);
    let objects = |app: &App| -> (i64, i64) {
        let conn = app.db();
        let count = |name: &str| {
            conn.conn()
                .query_row(
                    "SELECT count(*) FROM sqlite_master WHERE name = ?1",
                    [name],
                    |r| r.get(0),
                )
                .unwrap()
        };
        (count("code_event_no_delete"), count("quiet"))
    };
    assert_eq!(objects(&app), (1, 0), "nothing changed");

    let result = app.restore(&backup, true).unwrap();
    assert!(result.forced);
    assert!(result.archive.ok);
    assert_eq!(result.schema_version, latest);
    let names: Vec<&str> = result
        .schema_problems
        .iter()
        .map(|p| p.name.as_str())
        .collect();
    assert_eq!(names, ["code_event_no_delete", "quiet"]);
    assert_eq!(objects(&app), (0, 1), "imported as it is, as confirmed");
    assert!(
        result.message_zh.contains("数据库结构与第"),
        "{}",
        result.message_zh
    );
    let audit: String = app
        .db()
        .conn()
        .query_row(
            "SELECT new_values FROM audit_log WHERE table_name = 'restore'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let audit: serde_json::Value = serde_json::from_str(&audit).unwrap();
    assert_eq!(audit["forced"], true);
    assert_eq!(audit["schema"]["ok"], false);
    assert_eq!(audit["schema"]["differences"][1]["name"], "quiet");
    assert_eq!(
        result.carried.allocations, 1,
        "codes issued before stay issued"
    );
}
