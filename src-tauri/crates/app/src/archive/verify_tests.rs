//! `verify_archive` after a real submission to the practice platform: the chain and every
//! accepted record check out, and a record changed afterwards is named.

use crate::{
    App, CodeScheme, CodingSettings, Config, EnterpriseInput, Granularity, PlatformMode,
    PlatformSettings, SetupInput, SubmitRequest, SubmitStop,
};

fn practice_app(dir: &std::path::Path) -> App {
    let app = App::open(Config::in_dir(dir)).unwrap();
    app.complete_setup(&SetupInput {
        enterprise: EnterpriseInput {
            name: "福州示例电器有限公司".into(),
            uscc: "91350100MA2TRACE2N".into(),
            address: "福建省福州市鼓楼区示例路1号".into(),
            contact: "林示例".into(),
            phone: "0591-88880000".into(),
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
    })
    .unwrap();
    app.db()
        .write(|tx| {
            tx.execute_batch(
                "INSERT INTO party (id, kind, name, uscc) VALUES (1, 'supplier', '苏州示例线缆材料有限公司', '91320500MA1GYH0A7F');
                 INSERT INTO receipt (supplier_id, material, supplier_lot, quantity, unit, received_on, inspection_result)
                   VALUES (1, '钢板', 'L00001', 10, 'kg', '2025-07-01', 'pass'),
                          (1, '钢板', 'L00002', 20, 'kg', '2025-07-02', 'pass'),
                          (1, '铜线', 'L00003', 30, 'kg', '2025-07-03', 'pass');",
            )?;
            Ok(())
        })
        .unwrap();
    app
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_record_changed_after_the_platform_accepted_it_is_named_by_verify() {
    let dir = tempfile::tempdir().unwrap();
    let app = practice_app(dir.path());
    let summary = app.submit(&SubmitRequest::default(), |_| {}).await.unwrap();
    assert_eq!(summary.stop, SubmitStop::Done, "{summary:?}");
    assert!(summary.accepted >= 3, "{summary:?}");

    let v = app.verify_archive().unwrap();
    assert!(v.ok && v.chain_ok, "{v:?}");
    assert_eq!(v.records_checked, i64::from(summary.accepted));
    assert_eq!(v.record_first_bad, None);

    // Someone edits an accepted receipt's stored record in the file (past the no-update trigger).
    let id: i64 = app
        .db()
        .conn()
        .query_row(
            "SELECT max(id) FROM outbox WHERE state = 'accepted' AND kind = 'receiving'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    app.db()
        .conn()
        .execute_batch(&format!(
            "DROP TRIGGER outbox_body_no_update;
             UPDATE outbox_body SET body = replace(body, '钢板', '不锈钢板') WHERE outbox_id = {id};
             UPDATE outbox_body SET body = replace(body, '铜线', '铝线') WHERE outbox_id = {id};"
        ))
        .unwrap();
    let v = app.verify_archive().unwrap();
    assert!(!v.ok, "{v:?}");
    assert!(v.chain_ok, "the archive itself is untouched");
    assert_eq!(v.record_first_bad, Some(id));
    assert_eq!(v.records_mismatched, 1);
    let zh = v.record_reason_zh.unwrap();
    let en = v.record_reason_en.unwrap();
    assert!(zh.contains(&format!("报送队列第 {id} 条")), "{zh}");
    assert!(
        en.contains("differs from the record sent in archive entry"),
        "{en}"
    );
}
