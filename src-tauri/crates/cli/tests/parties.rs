//! Licence, 委托生产 and customers of every kind on the command line, as a real process.

mod common;

use common::{ENTERPRISE_NAME, ENTERPRISE_USCC, json, ok, temp_db, tracedesk};

#[test]
fn init_keeps_the_licence_and_warns_about_an_unusual_form() {
    let (_dir, db) = temp_db();
    let out = tracedesk(
        &db,
        &[
            "init",
            "--name",
            ENTERPRISE_NAME,
            "--uscc",
            ENTERPRISE_USCC,
            "--licence-no",
            "浙字 123 号",
            "--production-address",
            "浙江省宁波市工厂路 8 号",
        ],
    );
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("生产许可证编号不是常见的"), "{text}");
    let body = ok(&tracedesk(
        &db,
        &[
            "--json",
            "init",
            "--name",
            ENTERPRISE_NAME,
            "--uscc",
            ENTERPRISE_USCC,
            "--licence-no",
            "(浙)xk16-204-00123",
        ],
    ));
    assert_eq!(body["licenceNo"], "(浙)XK16-204-00123");
}

#[test]
fn an_individual_is_kept_masked_a_foreign_buyer_by_country_and_an_oem_product_with_its_principal() {
    let (_dir, db) = temp_db();
    ok(&tracedesk(
        &db,
        &[
            "--json",
            "init",
            "--name",
            ENTERPRISE_NAME,
            "--uscc",
            ENTERPRISE_USCC,
        ],
    ));
    let person = ok(&tracedesk(
        &db,
        &[
            "--json",
            "party",
            "add",
            "--kind",
            "customer",
            "--type",
            "individual",
            "--name",
            "张三",
            "--id-number",
            "11010519491231002X",
            "--phone",
            "13812345678",
            "--consent",
        ],
    ));
    assert_eq!(person["idMasked"], "110***********002X");
    assert_eq!(person["phone"], "138****5678");
    assert!(!person.to_string().contains("19491231"));

    // Without consent the numbers are refused (exit 2), and nothing is written.
    let refused = tracedesk(
        &db,
        &[
            "--json",
            "party",
            "add",
            "--kind",
            "customer",
            "--type",
            "individual",
            "--name",
            "李四",
            "--phone",
            "13912345678",
        ],
    );
    assert_eq!(refused.status.code(), Some(2));
    assert_eq!(json(&refused)["error"]["field"], "consent");

    let abroad = ok(&tracedesk(
        &db,
        &[
            "--json",
            "party",
            "add",
            "--kind",
            "customer",
            "--type",
            "foreign",
            "--name",
            "Example Trading GmbH",
            "--country",
            "de",
            "--reg-no",
            "HRB 123456",
        ],
    ));
    assert_eq!(abroad["country"], "DE");
    assert_eq!(abroad["partyType"], "foreign");

    let product = ok(&tracedesk(
        &db,
        &[
            "--json",
            "product",
            "add",
            "--name",
            "家用燃气灶",
            "--model",
            "JZT-2Q1",
            "--oem",
            "manufacturer",
            "--oem-name",
            "示例品牌有限公司",
            "--oem-uscc",
            ENTERPRISE_USCC,
            "--licence-no",
            "XK16-204-00999",
        ],
    ));
    assert_eq!(product["oemRole"], "manufacturer");
    assert_eq!(product["licenceNo"], "XK16-204-00999");
    let list = json(&tracedesk(&db, &["--json", "party", "list"]));
    assert_eq!(list.as_array().unwrap().len(), 2);
}
