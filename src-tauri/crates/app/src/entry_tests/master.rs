//! Master data: GTIN check digits and suggestions, CCC certificates, parties, and the lists.

use super::*;

#[test]
fn a_wrong_gtin_check_digit_says_what_it_should_be() {
    let check = products::check_gtin("6901234567893");
    assert!(!check.valid);
    assert_eq!(check.expected_check_digit, Some(2));
    assert_eq!(check.corrected.as_deref(), Some("6901234567892"));
    assert_contains(&check.message_zh, "校验位应为 2");
    let ok = products::check_gtin("６９０１２３４５６７８９２");
    assert!(
        ok.valid,
        "full-width digits are read as typed by a Chinese IME"
    );
    assert_eq!(ok.gtin14.as_deref(), Some("06901234567892"));
}

#[test]
fn generated_gtins_take_the_next_item_reference_under_the_company_prefix() {
    let (_dir, app) = app();
    let first = app.suggest_gtin().unwrap();
    assert_eq!(
        (first.gtin.as_str(), first.item_reference.as_str()),
        ("6901234000016", "00001")
    );
    product(&app, "家用燃气灶", &first.gtin);
    product(&app, "燃气软管", "6901234000412");
    assert_eq!(app.suggest_gtin().unwrap().gtin, "6901234000429");
    let err = app
        .add_product(&ProductInput {
            model: "other".into(),
            ..sample_product("燃气软管", "06901234000412")
        })
        .unwrap_err();
    assert_eq!(
        err.field.as_deref(),
        Some("gtin"),
        "the 14-digit form of a GTIN in use is refused"
    );
}

#[test]
fn ccc_certificates_are_checked_and_expiring_ones_show_on_the_dashboard() {
    let (_dir, app) = app();
    let soon = iso(today() + time::Duration::days(20));
    let mut input = sample_product("插座", "");
    input.category = "CCC-0201".into();
    input.model = "PS-1".into();
    let problems = app.check_product(&input, None).unwrap();
    assert!(codes_of(&problems).contains(&("cccCertNo".into(), "ccc.missing".into())));
    input.ccc_cert_no = "20160109011234".into();
    let err = app.add_product(&input).unwrap_err();
    assert_eq!(err.field.as_deref(), Some("cccCertNo"));
    input.ccc_cert_no = "2016010201123456".into();
    input.ccc_valid_from = "2016-01-01".into();
    input.ccc_valid_to = soon.clone();
    input.ccc_models = vec!["PS-1, PS-2".into()];
    let saved = app.add_product(&input).unwrap();
    assert_eq!(saved.ccc_models, ["PS-1", "PS-2"]);
    assert_eq!(saved.category_name.as_deref(), Some("插头插座"));
    let dashboard = app.dashboard().unwrap();
    assert_eq!(dashboard.expiring_ccc.len(), 1);
    assert_eq!(
        dashboard.expiring_ccc[0].ccc_valid_to.as_deref(),
        Some(soon.as_str())
    );
}

#[test]
fn parties_check_the_uscc_and_refuse_duplicates() {
    let (_dir, app) = app();
    let input = PartyInput {
        kind: PartyKind::Customer,
        name: "上海示例厨电销售有限公司".into(),
        uscc: "91110000600037341N".into(),
        address: String::new(),
        contact: "李经理".into(),
        phone: "021-55550000".into(),
        ..Default::default()
    };
    let err = app.add_party(&input).unwrap_err();
    assert_eq!(err.field.as_deref(), Some("uscc"));
    assert_contains(&err.message_zh, "“L”");
    let saved = app
        .add_party(&PartyInput {
            uscc: "91110000600037341l".into(),
            ..input.clone()
        })
        .unwrap();
    assert_eq!(saved.uscc.as_deref(), Some("91110000600037341L"));
    let err = app
        .add_party(&PartyInput {
            name: "别的名字".into(),
            uscc: "91110000600037341L".into(),
            ..input
        })
        .unwrap_err();
    assert_eq!(err.field.as_deref(), Some("uscc"));
}

#[test]
fn lists_search_sort_and_page() {
    let (_dir, app) = app();
    for (i, supplier) in ["甲", "乙", "丙"].iter().enumerate() {
        app.add_receipt(&receipt_input(
            supplier,
            "燃气阀",
            &format!("V{i}"),
            10.0 + i as f64,
            &format!("2025-03-0{}", i + 1),
        ))
        .unwrap();
    }
    let all = app.list_receipts(&ListQuery::default()).unwrap();
    assert_eq!(all.total, 3);
    assert_eq!(all.rows[0].supplier_lot, "V2", "newest received first");
    let page = app
        .list_receipts(&ListQuery {
            sort: Some("quantity".into()),
            limit: 2,
            offset: 1,
            ..Default::default()
        })
        .unwrap();
    assert_eq!(
        page.rows.iter().map(|r| r.quantity).collect::<Vec<_>>(),
        [11.0, 12.0]
    );
    let found = app
        .list_receipts(&ListQuery {
            search: "乙".into(),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(
        (found.total, found.rows[0].supplier_lot.as_str()),
        (1, "V1")
    );
    let parties = app
        .list_parties(&ListQuery {
            kind: Some("customer".into()),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(parties.total, 0);
}
