//! Licence and production site, 委托生产, customers of every kind and the ship-to address:
//! the rules as the forms see them, and what reaches the platform.

use super::*;
use crate::testkit::quiet;

fn person(id_number: &str, phone: &str, consent: bool) -> PartyInput {
    PartyInput {
        kind: PartyKind::Customer,
        name: format!("张三-{}-{}", id_number.len(), phone.len()),
        party_type: PartyType::Individual,
        id_number: id_number.into(),
        phone: phone.into(),
        consent,
        address: "浙江省杭州市西湖区".into(),
        ..Default::default()
    }
}

fn foreign(country: &str) -> PartyInput {
    PartyInput {
        kind: PartyKind::Customer,
        name: format!("Example Trading {country}"),
        party_type: PartyType::Foreign,
        country: country.into(),
        foreign_reg_no: "HRB 123456".into(),
        ..Default::default()
    }
}

#[test]
fn parties_of_every_kind_are_checked_as_their_kind() {
    let (_dir, app) = app();
    // (input, the (field, code) problems)
    let cases: Vec<(PartyInput, Vec<(&str, &str)>)> = vec![
        (
            person("11010519491231002X", "13812345678", true),
            vec![("phone", "person.masked"), ("idNumber", "person.masked")],
        ),
        (person("110***********002X", "138****5678", true), vec![]),
        (
            person("110***********002X", "", false),
            vec![("consent", "person.consent-required")],
        ),
        (
            person("110105194912310021", "", true),
            vec![("idNumber", "person.invalid")],
        ),
        (
            person("", "", false),
            vec![("idNumber", "person.unidentified")],
        ),
        (
            PartyInput {
                uscc: "91110000600037341L".into(),
                ..person("", "138****5678", true)
            },
            vec![("uscc", "party.uscc-not-for-kind")],
        ),
        (foreign("DE"), vec![]),
        (foreign("de"), vec![]),
        (foreign("UK"), vec![("country", "country.invalid")]),
        (foreign(""), vec![("country", "country.invalid")]),
    ];
    for (input, want) in cases {
        let got = app.check_party(&input, None).unwrap();
        let got: Vec<(&str, &str)> = got
            .iter()
            .map(|p| (p.field.as_str(), p.code.as_str()))
            .collect();
        assert_eq!(got, want, "{input:?}");
    }
}

#[test]
fn a_person_is_kept_with_masked_numbers_and_the_time_of_consent() {
    let (_dir, app) = app();
    let saved = app
        .add_party(&person("11010519491231002X", "+86 138 1234 5678", true))
        .unwrap();
    assert_eq!(saved.party_type, PartyType::Individual);
    assert_eq!(saved.id_masked, "110***********002X");
    assert_eq!(saved.phone, "138****5678");
    assert_eq!(saved.uscc, None);
    let consent_at = saved.consent_at.clone().expect("consent recorded");
    // Nothing in the file holds the full numbers, the audit log included.
    let full: i64 = app
        .db()
        .conn()
        .query_row(
            "SELECT (SELECT count(*) FROM party WHERE instr(id_masked, '19491231') OR instr(phone, '1234'))
                  + (SELECT count(*) FROM audit_log
                     WHERE instr(new_values, '19491231') OR instr(new_values, '13812345678'))",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(full, 0);
    // An edit keeps the first consent time; withdrawing consent with numbers kept is refused.
    let edited = app
        .update_party(
            saved.id,
            &PartyInput {
                name: saved.name.clone(),
                address: "另一个地址".into(),
                ..person("110***********002X", "138****5678", true)
            },
        )
        .unwrap();
    assert_eq!(edited.consent_at.as_deref(), Some(consent_at.as_str()));
    let err = app
        .update_party(
            saved.id,
            &PartyInput {
                name: saved.name.clone(),
                ..person("110***********002X", "", false)
            },
        )
        .unwrap_err();
    assert_eq!(err.field.as_deref(), Some("consent"));

    let abroad = app.add_party(&foreign("jp")).unwrap();
    assert_eq!(
        (
            abroad.party_type,
            abroad.country.as_str(),
            abroad.foreign_reg_no.as_str()
        ),
        (PartyType::Foreign, "JP", "HRB 123456")
    );
}

#[test]
fn licence_numbers_are_warned_about_never_refused_and_entrustment_needs_the_other_party() {
    let (_dir, app) = app();
    let base = sample_product("家用燃气灶", "");
    // (licence, role, name, uscc, the (field, code) problems)
    type Case = (
        &'static str,
        OemRole,
        &'static str,
        &'static str,
        Vec<(&'static str, &'static str)>,
    );
    let cases: Vec<Case> = vec![
        ("XK16-204-00123", OemRole::None, "", "", vec![]),
        ("(粤)XK16-204-00123", OemRole::None, "", "", vec![]),
        (
            "粤字第 123 号",
            OemRole::None,
            "",
            "",
            vec![("licenceNo", "licence.unrecognised")],
        ),
        (
            "",
            OemRole::Manufacturer,
            "示例品牌有限公司",
            "91110000600037341L",
            vec![],
        ),
        (
            "",
            OemRole::Principal,
            "",
            "",
            vec![
                ("oemName", "oem.name-required"),
                ("oemUscc", "oem.uscc-required"),
            ],
        ),
        (
            "",
            OemRole::Principal,
            "示例代工厂",
            "91110000600037341N",
            vec![("oemUscc", "uscc.invalid")],
        ),
        (
            "",
            OemRole::None,
            "示例代工厂",
            "",
            vec![("oemRole", "oem.role-missing")],
        ),
    ];
    for (licence, role, name, uscc, want) in cases {
        let input = ProductInput {
            licence_no: licence.into(),
            oem_role: role,
            oem_name: name.into(),
            oem_uscc: uscc.into(),
            ..base.clone()
        };
        let got = app.check_product(&input, None).unwrap();
        let got: Vec<(&str, &str)> = got
            .iter()
            .filter(|p| p.field != "gtin" && p.field != "category")
            .map(|p| (p.field.as_str(), p.code.as_str()))
            .collect();
        assert_eq!(got, want, "{licence} {role:?} {name} {uscc}");
    }
    let saved = app
        .add_product(&ProductInput {
            licence_no: "（浙）xk16－204－00123".into(),
            production_address: "浙江省杭州市余杭区工厂路 8 号".into(),
            oem_role: OemRole::Manufacturer,
            oem_name: "示例品牌有限公司".into(),
            oem_uscc: "91110000600037341l".into(),
            ..base
        })
        .unwrap();
    assert_eq!(saved.licence_no, "(浙)XK16-204-00123");
    assert_eq!(saved.oem_uscc, "91110000600037341L");
    assert_eq!(saved.oem_role, OemRole::Manufacturer);
}

#[test]
fn the_enterprise_keeps_its_licence_and_production_site() {
    let (_dir, app) = app();
    let mut input = crate::dev::sample_setup().enterprise;
    input.licence_no = "某种本地编号".into();
    input.production_address = "浙江省宁波市工厂路 8 号".into();
    let warnings = app.check_enterprise(&input).unwrap();
    assert_eq!(warnings.len(), 1);
    assert_eq!(warnings[0].code, "licence.unrecognised");
    let saved = app.save_enterprise(&input).unwrap();
    assert_eq!(saved.licence_no, "某种本地编号");
    assert_eq!(saved.production_address, "浙江省宁波市工厂路 8 号");
    input.licence_no = "X".repeat(51);
    let err = app.save_enterprise(&input).unwrap_err();
    assert_eq!(err.field.as_deref(), Some("enterprise.licenceNo"));
}

/// The records the practice platform accepted, of `kind`, payloads only.
fn accepted(app: &App, kind: &str) -> Vec<serde_json::Value> {
    app.practice_handle()
        .unwrap()
        .accepted_records()
        .iter()
        .map(|r| r.get("record").unwrap_or(r).clone())
        .filter(|r| r["kind"] == kind)
        .map(|r| r["payload"].clone())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn customers_of_every_kind_licence_and_entrustment_reach_the_platform() {
    let (_dir, app) = app();
    let mut ent = crate::dev::sample_setup().enterprise;
    ent.uscc = "91110000600037341L".into();
    ent.licence_no = "(浙)XK16-204-00123".into();
    ent.production_address = "浙江省宁波市工厂路 8 号".into();
    app.save_enterprise(&ent).unwrap();
    let gas = app
        .add_product(&ProductInput {
            licence_no: "XK16-204-00999".into(),
            oem_role: OemRole::Manufacturer,
            oem_name: "示例品牌有限公司".into(),
            oem_uscc: "91440300MA5KH0N17Q".into(),
            ..catalogued_input_for_test()
        })
        .unwrap();
    let batch = app
        .add_batch(&batch_input(gas.id, "B1", "2025-03-05", &[]))
        .unwrap();
    app.add_party(&PartyInput {
        name: "张三".into(),
        ..person("11010519491231002X", "13812345678", true)
    })
    .unwrap();
    app.add_party(&foreign("DE")).unwrap();
    let mut to_person = shipment_input("张三", "DN-1", "2025-03-06", &[(batch.id, 1.0)]);
    to_person.ship_to = "浙江省杭州市西湖区文三路 1 号".into();
    app.add_shipment(&to_person).unwrap();
    app.add_shipment(&shipment_input(
        "Example Trading DE",
        "DN-2",
        "2025-03-06",
        &[(batch.id, 2.0)],
    ))
    .unwrap();
    let s = app
        .submit(&SubmitRequest::default(), quiet())
        .await
        .unwrap();
    assert_eq!(s.stop, SubmitStop::Done, "{s:?}");
    // The batch has no recorded inputs, which this platform rejects; the rest is accepted.
    let rejected: Vec<_> = s
        .results
        .iter()
        .filter(|r| r.state == "rejected")
        .map(|r| r.kind.as_str())
        .collect();
    assert_eq!(rejected, ["transformation"], "{:?}", s.results);

    let mut shipping = accepted(&app, "shipping");
    assert_eq!(shipping.len(), 2);
    shipping.sort_by_key(|p| p["deliveryNote"].as_str().unwrap_or("").to_string());
    let customers: Vec<_> = shipping
        .iter()
        .map(|p| serde_json::json!({"customer": p["customer"], "shipTo": p["shipTo"]}))
        .collect();
    let mut customers = serde_json::to_value(customers).unwrap();
    customers[0]["customer"]["consentAt"] = serde_json::json!("[consent time]");
    insta::assert_json_snapshot!("shipping_customers_of_every_kind", customers);
    let product = accepted(&app, "product")
        .into_iter()
        .find(|p| p["name"] == gas.name)
        .unwrap();
    insta::assert_json_snapshot!(
        "product_licence_and_entrustment",
        serde_json::json!({
            "productionLicenceNo": product["productionLicenceNo"],
            "productionAddress": product["productionAddress"],
            "entrustment": product["entrustment"],
        })
    );
    let enterprise = accepted(&app, "enterprise").pop().unwrap();
    assert_eq!(enterprise["productionLicenceNo"], "(浙)XK16-204-00123");
    assert_eq!(enterprise["productionAddress"], "浙江省宁波市工厂路 8 号");
}

fn catalogued_input_for_test() -> ProductInput {
    crate::testkit::catalogued_input("家用燃气灶", "6901234567892")
}
