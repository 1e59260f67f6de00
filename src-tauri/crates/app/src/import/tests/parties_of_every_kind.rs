//! Customers of every kind and the ship-to address, from a real .xlsx the test writes: the
//! person's full ID card and mobile numbers are masked on import, with a warning, and never
//! stored; a foreign buyer keeps its country; a shipment keeps where the goods went.

use super::*;

#[test]
fn an_individual_a_foreign_customer_and_a_ship_to_address_come_in_from_a_workbook() {
    let e = env();
    use V::*;
    let header = [
        S("类型"),
        S("企业名称"),
        S("统一社会信用代码"),
        S("地址"),
        S("手机号"),
        S("客户类型"),
        S("证件号"),
        S("已取得同意"),
        S("国家/地区"),
        S("境外登记号"),
    ];
    let sheet = table(
        "客户",
        &[
            &header,
            &[
                S("客户"),
                S("张三"),
                Blank,
                S("浙江省杭州市西湖区"),
                S("13812345678"),
                S("个人"),
                S("11010519491231002X"),
                S("是"),
                Blank,
                Blank,
            ],
            &[
                S("客户"),
                S("Example Trading GmbH"),
                Blank,
                S("Hamburg"),
                S("+49 40 1234567"),
                S("境外"),
                Blank,
                Blank,
                S("de"),
                S("HRB 123456"),
            ],
            // A person without consent, and a buyer abroad in no country: both refused.
            &[
                S("客户"),
                S("李四"),
                Blank,
                Blank,
                S("13912345678"),
                S("个人"),
                Blank,
                S("否"),
                Blank,
                Blank,
            ],
            &[
                S("客户"),
                S("Nowhere Ltd"),
                Blank,
                Blank,
                Blank,
                S("境外"),
                Blank,
                Blank,
                S("UK"),
                Blank,
            ],
        ],
    );
    let path = e.write("客户.xlsx", &sheet);
    let report = e.read(&path, ImportKind::Party, false);
    assert_eq!(
        (report.rows_new, report.rows_invalid),
        (2, 2),
        "{:?}",
        e.problems(&report)
    );
    let problems = e.problems(&report);
    let codes: Vec<(Option<u32>, &str, &str)> = problems
        .iter()
        .map(|p| (p.row, p.field.as_deref().unwrap_or(""), p.code.as_str()))
        .collect();
    assert_eq!(
        codes,
        [
            (Some(2), "phone", "person.masked"),
            (Some(2), "id_number", "person.masked"),
            (Some(4), "phone", "person.masked"),
            (Some(4), "consent", "person.consent-required"),
            (Some(5), "country", "country.invalid"),
        ]
    );
    for p in &problems {
        let shown = format!("{} {} {:?}", p.message_zh, p.message_en, p.value);
        assert!(
            !shown.contains("19491231") && !shown.contains("12345678"),
            "no problem quotes a full number: {shown}"
        );
    }
    assert_contains(&problems[1].message_zh, "完整号码未保存");
    e.commit(&report, ImportMode::ValidOnly);
    let person: (String, String, String, Option<String>) = e
        .app
        .db()
        .conn()
        .query_row(
            "SELECT party_type, id_masked, phone, consent_at FROM party WHERE name = '张三'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .unwrap();
    assert_eq!(
        (person.0.as_str(), person.1.as_str(), person.2.as_str()),
        ("individual", "110***********002X", "138****5678")
    );
    assert!(person.3.is_some(), "consent time recorded");
    assert_eq!(
        e.count(
            "SELECT count(*) FROM party WHERE party_type = 'foreign' AND country = 'DE' AND foreign_reg_no = 'HRB 123456'"
        ),
        1
    );

    // A shipment to the person, to another address.
    let product = e.product("电热水壶", Some("9520123456788"));
    {
        let mut db = e.app.db();
        db.write(|tx| {
            store::batches::insert(
                tx,
                &store::batches::BatchFields {
                    product_id: product,
                    lot_no: "B1".into(),
                    produced_on: "2025-03-01".into(),
                    quantity: 100.0,
                    unit: "台".into(),
                    inspection_result: "pass".into(),
                    inspector: String::new(),
                    report_no: None,
                    docs: Default::default(),
                },
                &[],
            )
        })
        .unwrap();
    }
    let sheet = table(
        "销售出库",
        &[
            &[
                S("发货日期"),
                S("客户"),
                S("出库单号"),
                S("产品名称"),
                S("生产批号"),
                S("数量"),
                S("单位"),
                S("收货地址"),
            ],
            &[
                D(2025, 3, 20),
                S("张三"),
                S("CK-101"),
                S("电热水壶"),
                S("B1"),
                N(1.0),
                S("台"),
                S("浙江省杭州市西湖区文三路 1 号"),
            ],
        ],
    );
    let path = e.write("出库.xlsx", &sheet);
    let report = e.read(&path, ImportKind::Shipment, false);
    assert_eq!(report.rows_new, 1, "{:?}", e.problems(&report));
    e.commit(&report, ImportMode::ValidOnly);
    assert_eq!(
        e.count(
            "SELECT count(*) FROM shipment s JOIN party c ON c.id = s.customer_id
             WHERE c.name = '张三' AND s.ship_to = '浙江省杭州市西湖区文三路 1 号'"
        ),
        1
    );
}
