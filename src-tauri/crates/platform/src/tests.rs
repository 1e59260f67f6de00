//! The platform crate against the contract's own examples, the EPCIS schema and the simulator.

mod client;
mod hygiene;

use std::path::PathBuf;

use serde_json::Value;

use crate::model::*;
use crate::{canonical, seal, xlsx};

pub(crate) fn contract_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../contract")
}

pub(crate) fn example(name: &str) -> Value {
    let path = contract_dir().join("examples").join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap()
}

const USCC: &str = "91350100MA2TRACE0G";
const GTIN: &str = "09520123456788";

fn enterprise() -> Record {
    Record {
        scheme: Scheme::Gs1,
        granularity: Granularity::Batch,
        payload: Payload::Enterprise(Enterprise {
            uscc: USCC.into(),
            name: "福州示例电器有限公司".into(),
            address: "福建省福州市鼓楼区示例路1号".into(),
            contact_name: "林示例".into(),
            contact_phone: "0591-88880000".into(),
            gcp: "9520123".into(),
            production_licence_no: "XK00-000-00000".into(),
            production_address: String::new(),
            client_ref: String::new(),
        }),
    }
}

fn product() -> Record {
    Record {
        scheme: Scheme::Gs1,
        granularity: Granularity::Batch,
        payload: Payload::Product(Product {
            enterprise_uscc: USCC.into(),
            product_code: GTIN.into(),
            name: "示例储水式电热水器".into(),
            model: "DSZF-60 60L 2000W".into(),
            brand: "示例".into(),
            category: "0706".into(),
            standard: "GB 4706.12-2006".into(),
            ccc: Some(Ccc {
                certificate_no: "2016010706123456".into(),
                valid_from: "2021-03-01".into(),
                valid_to: "2026-02-28".into(),
            }),
            client_ref: String::new(),
            ..Product::default()
        }),
    }
}

fn receiving() -> Record {
    Record {
        scheme: Scheme::Gs1,
        granularity: Granularity::Batch,
        payload: Payload::Receiving(Receiving {
            enterprise_uscc: USCC.into(),
            event_time: "2025-07-14T09:00:00+08:00".into(),
            supplier: Party {
                name: "苏州示例线缆材料有限公司".into(),
                uscc: "91320500MA1GYH0A7F".into(),
                address: "江苏省苏州市示例区2号".into(),
                ..Party::default()
            },
            material: MaterialLine {
                name: "电源线组件".into(),
                model: "H05VV-F 3×0.75mm²".into(),
                code: "09520123456795".into(),
                lot: "S240701".into(),
                quantity: quantity(2000.0).unwrap(),
                unit: unit_code("个").unwrap().into(),
                items: vec![],
                ccc: String::new(),
            },
            inspection: Inspection {
                result: "pass".into(),
                report_no: "JY-2025-0714-01".into(),
                inspector: "王检".into(),
                date: "2025-07-14".into(),
            },
            purchase_order: "PO-2025-0188".into(),
            invoice_no: String::new(),
            delivery_note: "SH-77812".into(),
            client_ref: String::new(),
        }),
    }
}

/// Contract 1.2: a receipt with the supplier's item Ecodes (every piece scanned) and a key
/// component's CCC certificate.
fn receiving_supplier_codes() -> Record {
    Record {
        scheme: Scheme::Ecode,
        granularity: Granularity::Item,
        payload: Payload::Receiving(Receiving {
            enterprise_uscc: USCC.into(),
            event_time: "2025-07-14T10:00:00+08:00".into(),
            supplier: Party {
                name: "苏州示例线缆材料有限公司".into(),
                uscc: "91320500MA1GYH0A7F".into(),
                ..Party::default()
            },
            material: MaterialLine {
                name: "燃气紧急切断阀".into(),
                model: "DN15".into(),
                lot: "V2507-01".into(),
                // Not sent at item granularity: the count is the items'.
                quantity: "3".into(),
                unit: "PCE".into(),
                items: (5..=7).map(|n| format!("1006412345678901234{n}")).collect(),
                ccc: "2016010901123456".into(),
                ..MaterialLine::default()
            },
            inspection: Inspection {
                result: "pass".into(),
                report_no: "IQC-V2507-01".into(),
                ..Inspection::default()
            },
            purchase_order: String::new(),
            invoice_no: String::new(),
            delivery_note: String::new(),
            client_ref: String::new(),
        }),
    }
}

fn transformation() -> Record {
    Record {
        scheme: Scheme::Gs1,
        granularity: Granularity::Batch,
        payload: Payload::Transformation(Transformation {
            enterprise_uscc: USCC.into(),
            event_time: "2025-07-15T17:30:00+08:00".into(),
            inputs: vec![
                Input {
                    name: "电源线组件".into(),
                    lot: "S240701".into(),
                    quantity: quantity(500.0).unwrap(),
                    unit: "PCE".into(),
                    code: "09520123456795".into(),
                    supplier_uscc: "91320500MA1GYH0A7F".into(),
                    receiving_key:
                        "aa5ee3035b384b69debe8f8de2239b8fd85e8b0670c83811a65cc09145357bc0".into(),
                },
                Input {
                    name: "304不锈钢板".into(),
                    lot: "GB-88123".into(),
                    quantity: quantity(180.5).unwrap(),
                    unit: unit_code("kg").unwrap().into(),
                    ..Input::default()
                },
            ],
            output: Line {
                product_code: GTIN.into(),
                lot: "B20250715-01".into(),
                quantity: "500".into(),
                unit: "PCE".into(),
                items: vec![],
            },
            production_date: "2025-07-15".into(),
            expiry_date: String::new(),
            inspection: Inspection {
                result: "pass".into(),
                report_no: "CC-2025-0715-01".into(),
                inspector: "陈质检".into(),
                date: String::new(),
            },
            work_order: "WO-0715-A".into(),
            client_ref: String::new(),
        }),
    }
}

fn commissioning() -> Record {
    Record {
        scheme: Scheme::Gs1,
        granularity: Granularity::Item,
        payload: Payload::Commissioning(Commissioning {
            enterprise_uscc: USCC.into(),
            event_time: "2025-07-15T10:20:00+08:00".into(),
            line: Line {
                product_code: GTIN.into(),
                lot: "B20250715-01".into(),
                // Ignored at item granularity: the count is the number of items.
                quantity: "3".into(),
                unit: "PCE".into(),
                items: vec!["0000001".into(), "0000002".into(), "0000003".into()],
            },
            production_date: "2025-07-15".into(),
            expiry_date: String::new(),
            client_ref: "code-range-2025-0042".into(),
        }),
    }
}

fn shipping(quantity: &str, time: &str, note: &str, full_customer: bool) -> Record {
    Record {
        scheme: Scheme::Gs1,
        granularity: Granularity::Batch,
        payload: Payload::Shipping(Shipping {
            enterprise_uscc: USCC.into(),
            event_time: time.into(),
            customer: if full_customer {
                Party {
                    name: "深圳示例商贸有限公司".into(),
                    uscc: "91440300MA5KH0N17Q".into(),
                    address: "广东省深圳市南山区示例大道3号".into(),
                    contact_name: "黄采购".into(),
                    contact_phone: "0755-26660000".into(),
                    ..Party::default()
                }
            } else {
                Party {
                    name: "深圳示例商贸有限公司".into(),
                    uscc: "91440300MA5KH0N17Q".into(),
                    ..Party::default()
                }
            },
            lines: vec![Line {
                product_code: GTIN.into(),
                lot: "B20250715-01".into(),
                quantity: quantity.into(),
                unit: "PCE".into(),
                items: vec![],
            }],
            ship_to: String::new(),
            delivery_note: note.into(),
            order_no: if full_customer {
                "SO-2025-0716-01".into()
            } else {
                String::new()
            },
            invoice_no: String::new(),
            client_ref: String::new(),
        }),
    }
}

fn declaration(declared: &str, corrective: &str) -> Record {
    Record {
        scheme: Scheme::Gs1,
        granularity: Granularity::Batch,
        payload: Payload::ErrorDeclaration(ErrorDeclaration {
            declared_key: declared.into(),
            declaration_time: "2025-07-17T09:12:00+08:00".into(),
            reason: ErrorReason::IncorrectData,
            reason_text: "出库数量录入错误：30 应为 300".into(),
            corrective_keys: vec![corrective.into()],
            client_ref: String::new(),
        }),
    }
}

/// Contract 1.2: a shipment to a person, one abroad, and a product made under entrustment.
fn shipping_to(customer: Party, time: &str, note: &str, quantity: &str, ship_to: &str) -> Record {
    let mut r = shipping(quantity, time, note, false);
    if let Payload::Shipping(s) = &mut r.payload {
        s.customer = customer;
        s.ship_to = ship_to.into();
    }
    r
}

fn individual_shipping() -> Record {
    shipping_to(
        Party {
            kind: "individual".into(),
            name: "张三".into(),
            address: "广东省深圳市福田区示例路5号".into(),
            id_number_masked: "110***********002X".into(),
            mobile_masked: "138****5678".into(),
            consent_at: "2025-07-16T16:20:00+08:00".into(),
            ..Party::default()
        },
        "2025-07-16T16:30:00+08:00",
        "CK-20250716-005",
        "1",
        "广东省深圳市福田区示例路5号2栋301",
    )
}

fn foreign_shipping() -> Record {
    shipping_to(
        Party {
            kind: "foreign".into(),
            name: "Example Trading GmbH".into(),
            address: "Hamburg, Germany".into(),
            country: "DE".into(),
            registration_no: "HRB 123456".into(),
            contact_phone: "+49 40 1234567".into(),
            ..Party::default()
        },
        "2025-07-16T17:00:00+08:00",
        "CK-20250716-006",
        "50",
        "",
    )
}

fn entrusted_product() -> Record {
    let mut r = product();
    if let Payload::Product(p) = &mut r.payload {
        p.production_licence_no = "(闽)XK09-001-00123".into();
        p.production_address = "福建省福州市仓山区示例工业园8号".into();
        p.entrustment = Some(Entrustment {
            role: "manufacturer".into(),
            name: "深圳示例商贸有限公司".into(),
            uscc: "91440300MA5KH0N17Q".into(),
        });
    }
    r
}

fn all_examples() -> Vec<(&'static str, Record)> {
    let wrong = shipping("30", "2025-07-16T15:00:00+08:00", "CK-20250716-004", false);
    let corrected = shipping("300", "2025-07-16T15:00:00+08:00", "CK-20250716-004", false);
    let (wrong_key, corrected_key) = (seal(&wrong).unwrap().key, seal(&corrected).unwrap().key);
    vec![
        ("record-enterprise.json", enterprise()),
        ("record-product.json", product()),
        ("record-receiving.json", receiving()),
        (
            "record-receiving-supplier-codes.json",
            receiving_supplier_codes(),
        ),
        ("record-transformation.json", transformation()),
        ("record-commissioning.json", commissioning()),
        (
            "record-shipping.json",
            shipping("200", "2025-07-16T14:05:00+08:00", "CK-20250716-003", true),
        ),
        ("record-shipping-wrong.json", wrong),
        ("record-shipping-corrected.json", corrected),
        (
            "record-error-declaration.json",
            declaration(&wrong_key, &corrected_key),
        ),
        ("record-shipping-individual.json", individual_shipping()),
        ("record-shipping-foreign.json", foreign_shipping()),
        ("record-product-entrusted.json", entrusted_product()),
    ]
}

#[test]
fn canonical_form_matches_the_contracts_worked_example() {
    let ex = example("canonical-form.json");
    let record = &ex["record"];
    let mut without = record.clone();
    without.as_object_mut().unwrap().remove("idempotencyKey");
    assert_eq!(
        canonical::canonical(&without).unwrap(),
        ex["canonical"].as_str().unwrap()
    );
    assert_eq!(
        canonical::idempotency_key(record).unwrap(),
        ex["idempotencyKey"].as_str().unwrap()
    );
}

#[test]
fn every_example_records_key_is_its_canonical_hash() {
    let dir = contract_dir().join("examples");
    let mut checked = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if !name.starts_with("record-") || name == "record-status.json" {
            continue;
        }
        let record: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        assert_eq!(
            canonical::idempotency_key(&record).unwrap(),
            record["idempotencyKey"].as_str().unwrap(),
            "{name}"
        );
        checked += 1;
    }
    assert!(checked >= 8, "found {checked} example records");
}

#[test]
fn canonical_form_escapes_exactly_the_contract_set() {
    let value = serde_json::json!({"b": "a\"b\\c\u{8}\t\n\u{c}\r\u{1}/中", "a": [true, false, 7]});
    assert_eq!(
        canonical::canonical(&value).unwrap(),
        "{\"a\":[true,false,7],\"b\":\"a\\\"b\\\\c\\b\\t\\n\\f\\r\\u0001/中\"}"
    );
    assert!(canonical::canonical(&serde_json::json!({"x": null})).is_err());
    assert!(canonical::canonical(&serde_json::json!({"x": 1.5})).is_err());
    assert!(canonical::canonical(&serde_json::json!({"x": 9007199254740992u64})).is_err());
}

#[test]
fn sealed_model_records_are_the_contract_examples_byte_for_byte_in_content() {
    for (name, record) in all_examples() {
        let sealed = seal(&record).unwrap();
        let expected = example(name);
        assert_eq!(
            sealed.key,
            expected["idempotencyKey"].as_str().unwrap(),
            "{name}: key"
        );
        let body: Value = serde_json::from_str(&sealed.body).unwrap();
        assert_eq!(body, expected, "{name}: content");
        assert_eq!(
            canonical::idempotency_key(&body).unwrap(),
            sealed.key,
            "{name}"
        );
    }
}

#[test]
fn sealed_payloads_snapshot() {
    let bodies: Vec<Value> = all_examples()
        .into_iter()
        .map(|(_, r)| serde_json::from_str(&seal(&r).unwrap().body).unwrap())
        .collect();
    insta::assert_json_snapshot!("sealed_payloads", bodies);
}

#[test]
fn missing_required_members_are_omitted_not_sent_empty() {
    let mut record = shipping("200", "2025-07-16T14:05:00+08:00", "CK-1", false);
    if let Payload::Shipping(s) = &mut record.payload {
        s.customer.uscc.clear();
    }
    let body: Value = serde_json::from_str(&seal(&record).unwrap().body).unwrap();
    assert!(body["payload"]["customer"].get("uscc").is_none(), "{body}");
    assert!(
        !seal(&record).unwrap().body.contains("\"\""),
        "no empty strings are sent"
    );
}

#[test]
fn signing_vectors_match() {
    let vectors = example("signing-vectors.json");
    for v in vectors["vectors"].as_array().unwrap() {
        let s = |k: &str| v[k].as_str().unwrap();
        assert_eq!(
            crate::client::canonical_string(
                s("method"),
                s("path"),
                s("timestamp"),
                s("nonce"),
                s("body").as_bytes()
            ),
            s("canonicalString")
        );
        assert_eq!(
            crate::client::sign(
                s("appSecret"),
                s("method"),
                s("path"),
                s("timestamp"),
                s("nonce"),
                s("body").as_bytes()
            ),
            s("signature")
        );
    }
}

#[test]
fn nonces_are_fresh_and_well_formed() {
    let a = crate::client::nonce();
    let b = crate::client::nonce();
    assert_ne!(a, b);
    assert!(a.len() >= 16 && a.len() <= 64 && a.bytes().all(|c| c.is_ascii_alphanumeric()));
}

#[test]
fn credentials_debug_hides_the_secret() {
    let c = crate::Credentials {
        app_key: "practice".into(),
        app_secret: "practice-secret".into(),
    };
    let shown = format!("{c:?}");
    assert!(
        shown.contains("practice") && !shown.contains("practice-secret"),
        "{shown}"
    );
}

#[test]
fn plain_http_is_refused_except_on_loopback() {
    for ok in [
        "https://platform.example.cn/api/v1",
        "http://127.0.0.1:8787/api/v1",
        "http://localhost:1/api/v1",
        "http://[::1]:9/api/v1",
    ] {
        assert!(crate::client::check_url(ok).is_ok(), "{ok}");
    }
    for bad in [
        "http://platform.example.cn/api/v1",
        "ftp://127.0.0.1/x",
        "http://10.0.0.1/api/v1",
        "not a url",
    ] {
        assert!(crate::client::check_url(bad).is_err(), "{bad}");
    }
}

#[test]
fn quantities_are_contract_decimal_strings() {
    for (value, expected) in [
        (200.0, Some("200")),
        (180.5, Some("180.5")),
        (0.1 + 0.2, Some("0.3")),
        (1.0e-7, None),
        (0.0, None),
        (-1.0, None),
        (f64::NAN, None),
        (1.0e12, None),
        (999_999_999_999.0, Some("999999999999")),
        (2.123_456_7, Some("2.123457")),
    ] {
        assert_eq!(quantity(value).as_deref(), expected, "{value}");
    }
}

/// The word → code table of the contract's units as it was written in this crate before the
/// unit table became data (`codes/data/rec20_units.tsv`): every word must keep its code.
const UNITS_BEFORE: &[(&str, &[&str])] = &[
    (
        "PCE",
        &[
            "PCE", "个", "件", "只", "台", "根", "块", "支", "片", "把", "张", "条", "套件", "pcs",
            "pc", "piece", "pieces", "辆", "部", "枚", "颗", "粒",
        ],
    ),
    ("SET", &["SET", "套", "sets"]),
    ("PR", &["PR", "双", "对", "pair", "pairs"]),
    ("DZN", &["DZN", "打", "dozen"]),
    ("KGM", &["KGM", "千克", "公斤", "kg", "kgs"]),
    ("GRM", &["GRM", "克", "g"]),
    ("TNE", &["TNE", "吨", "t"]),
    ("MTR", &["MTR", "米", "m"]),
    ("KMT", &["KMT", "千米", "公里", "km"]),
    ("MTK", &["MTK", "平方米", "m²", "m2", "㎡"]),
    ("MTQ", &["MTQ", "立方米", "m³", "m3"]),
    ("LTR", &["LTR", "升", "l"]),
    ("MLT", &["MLT", "毫升", "ml"]),
    ("XBX", &["XBX", "箱", "盒"]),
    ("XCT", &["XCT", "纸箱"]),
    ("XRO", &["XRO", "卷", "盘"]),
    ("XPK", &["XPK", "包"]),
    ("XBG", &["XBG", "袋"]),
    ("XDR", &["XDR", "桶"]),
];

#[test]
fn unit_words_keep_the_codes_they_had() {
    for (code, words) in UNITS_BEFORE {
        for word in *words {
            assert_eq!(unit_code(word), Some(*code), "{word}");
            assert_eq!(unit_code(&word.to_lowercase()), Some(*code), "{word}");
        }
    }
    assert_eq!(unit_code(" 卷 "), Some("XRO"));
    assert_eq!(unit_code("KG"), Some("KGM"));
    assert_eq!(unit_code("坨"), None);
}

#[test]
fn unit_codes_keep_their_chinese_names() {
    for (code, zh) in [
        ("PCE", "个"),
        ("SET", "套"),
        ("PR", "双"),
        ("DZN", "打"),
        ("KGM", "千克"),
        ("GRM", "克"),
        ("TNE", "吨"),
        ("MTR", "米"),
        ("KMT", "千米"),
        ("MTK", "平方米"),
        ("MTQ", "立方米"),
        ("LTR", "升"),
        ("MLT", "毫升"),
        ("XBX", "箱"),
        ("XCT", "纸箱"),
        ("XRO", "卷"),
        ("XPK", "包"),
        ("XBG", "袋"),
        ("XDR", "桶"),
        ("XPX", "托"),
        ("10", "组"),
        ("ZZZ", ""),
    ] {
        assert_eq!(unit_name_zh(code), zh, "{code}");
    }
}

#[test]
fn a_loaded_unit_table_gives_its_own_codes() {
    let units = codes::units::Units::parse(
        "# name: rec20_units\n# source: test\n# version: 2030-01-01\n\
         code\tzh\ten\taliases\tkind\tnote\nPCE\t坨\tlump\t-\tcount\t-\n",
    )
    .expect("valid");
    assert_eq!(unit_code_in(&units, "坨"), Some("PCE"));
    assert_eq!(unit_code_in(&units, "个"), None);
}

fn example_bodies() -> Vec<String> {
    all_examples()
        .into_iter()
        .map(|(_, r)| seal(&r).unwrap().body)
        .collect()
}

/// The published EPCIS 2.0 JSON schema, read from shared/standards next to the repository (never
/// copied into it); `None`, said plainly, when it is absent.
fn epcis_schema(test: &str) -> Option<jsonschema::Validator> {
    let path = contract_dir().join("../../../shared/standards/epcis-2.0-json-schema.json");
    let Ok(text) = std::fs::read_to_string(&path) else {
        println!(
            "SKIPPED the schema check of {test}: {} is absent",
            path.display()
        );
        return None;
    };
    let schema: Value = serde_json::from_str(&text).unwrap();
    Some(
        jsonschema::options()
            .should_validate_formats(true)
            .build(&schema)
            .expect("the EPCIS schema compiles"),
    )
}

/// What every export must hold, schema or no schema: a TransformationEvent always lists inputs
/// and outputs (EPCIS 2.0 requires both), and an ObjectEvent always has an action and a list.
fn assert_epcis_shape(name: &str, doc: &Value) {
    let events = doc["epcisBody"]["eventList"].as_array().unwrap();
    for e in events {
        let nonempty = |k: &str| {
            e.get(k)
                .and_then(Value::as_array)
                .is_some_and(|a| !a.is_empty())
        };
        match e["type"].as_str().unwrap() {
            "TransformationEvent" => {
                assert!(
                    nonempty("inputEPCList") || nonempty("inputQuantityList"),
                    "{name}: a TransformationEvent without inputs: {e}"
                );
                assert!(
                    nonempty("outputEPCList") || nonempty("outputQuantityList"),
                    "{name}: a TransformationEvent without outputs: {e}"
                );
            }
            "ObjectEvent" => {
                assert!(e.get("action").is_some(), "{name}: {e}");
                assert!(
                    e.get("epcList").is_some() || nonempty("quantityList"),
                    "{name}: {e}"
                );
            }
            other => panic!("{name}: unexpected event type {other}"),
        }
    }
}

fn without_inputs(granularity: Granularity) -> Record {
    let mut t = transformation();
    t.granularity = granularity;
    if let Payload::Transformation(x) = &mut t.payload {
        x.inputs.clear();
        match granularity {
            Granularity::Item => {
                x.output.quantity.clear();
                x.output.unit.clear();
                x.output.items = vec!["0000101".into(), "0000102".into()];
            }
            Granularity::Product => x.output.lot.clear(),
            Granularity::Batch => {}
        }
    }
    t
}

fn bodies_of(records: &[Record]) -> Vec<String> {
    records.iter().map(|r| seal(r).unwrap().body).collect()
}

/// The exports checked against the schema: name, record bodies, events expected.
fn epcis_cases() -> Vec<(&'static str, Vec<String>, usize)> {
    // Item-level shipping, an Ecode product and a failed receiving inspection.
    let mut item_ship = shipping("1", "2025-07-16T14:05:00Z", "CK-9", false);
    item_ship.granularity = Granularity::Item;
    if let Payload::Shipping(s) = &mut item_ship.payload {
        s.lines[0].items = vec!["0000001".into(), "A/B 2".into()];
    }
    let mut ecode = commissioning();
    ecode.scheme = Scheme::Ecode;
    if let Payload::Commissioning(c) = &mut ecode.payload {
        c.line.product_code = "SIMP000001".into();
        c.line.items = vec!["10064000000000000001".into()];
    }
    let mut failed = receiving();
    if let Payload::Receiving(r) = &mut failed.payload {
        r.inspection.result = "fail".into();
        r.material.code.clear();
    }
    // A correction: the wrong record, the corrected one, the declaration.
    let wrong = shipping("30", "2025-07-16T15:00:00+08:00", "CK-20250716-004", false);
    let corrected = shipping("300", "2025-07-16T15:00:00+08:00", "CK-20250716-004", false);
    let declared = declaration(&seal(&wrong).unwrap().key, &seal(&corrected).unwrap().key);
    // A batch without inputs, corrected by one with its inputs.
    let bare = without_inputs(Granularity::Batch);
    let fixed = transformation();
    let bare_fixed = declaration(&seal(&bare).unwrap().key, &seal(&fixed).unwrap().key);
    vec![
        ("the contract's examples", example_bodies(), 10),
        (
            "item-level shipping, an Ecode product, a failed inspection",
            bodies_of(&[item_ship, ecode.clone(), failed]),
            3,
        ),
        (
            "a batch without inputs",
            bodies_of(&[without_inputs(Granularity::Batch)]),
            1,
        ),
        (
            "an item-level batch without inputs",
            bodies_of(&[without_inputs(Granularity::Item)]),
            1,
        ),
        (
            "a product-level batch without inputs",
            bodies_of(&[without_inputs(Granularity::Product)]),
            1,
        ),
        ("a correction", bodies_of(&[wrong, corrected, declared]), 3),
        (
            "a batch without inputs, corrected",
            bodies_of(&[bare, fixed, bare_fixed]),
            3,
        ),
        (
            "commissioning of item lists",
            bodies_of(&[commissioning(), ecode]),
            2,
        ),
    ]
}

#[test]
fn every_epcis_export_validates_against_the_published_schema() {
    let validator = epcis_schema("every_epcis_export_validates_against_the_published_schema");
    for (name, bodies, events) in epcis_cases() {
        let refs: Vec<&str> = bodies.iter().map(String::as_str).collect();
        let doc = crate::epcis::document(&refs, "2025-07-18T08:00:00+08:00");
        assert!(doc.skipped.is_empty(), "{name}: {:?}", doc.skipped);
        assert_eq!(doc.events, events, "{name}");
        assert_epcis_shape(name, &doc.json);
        if let Some(validator) = &validator {
            let errors: Vec<String> = validator
                .iter_errors(&doc.json)
                .map(|e| format!("{} at {}", e, e.instance_path()))
                .collect();
            assert!(
                errors.is_empty(),
                "{name}: schema errors: {errors:#?}\n{}",
                serde_json::to_string_pretty(&doc.json).unwrap()
            );
        }
    }
}

#[test]
fn the_schema_itself_refuses_a_transformation_without_inputs() {
    // What the export must never write: proof that the schema check above would catch it.
    let Some(validator) = epcis_schema("the_schema_itself_refuses_a_transformation_without_inputs")
    else {
        return;
    };
    let bodies = bodies_of(&[transformation()]);
    let refs: Vec<&str> = bodies.iter().map(String::as_str).collect();
    let mut doc = crate::epcis::document(&refs, "2025-07-18T08:00:00+08:00").json;
    assert!(validator.is_valid(&doc));
    doc["epcisBody"]["eventList"][0]
        .as_object_mut()
        .unwrap()
        .remove("inputQuantityList");
    assert!(!validator.is_valid(&doc));
}

#[test]
fn a_batch_without_inputs_exports_as_an_object_event_adding_its_output() {
    for (granularity, list, biz_step) in [
        (Granularity::Batch, "quantityList", "commissioning"),
        (Granularity::Item, "epcList", "commissioning"),
        (
            Granularity::Product,
            "quantityList",
            "creating_class_instance",
        ),
    ] {
        let bodies = bodies_of(&[without_inputs(granularity)]);
        let doc = crate::epcis::document(&[bodies[0].as_str()], "2025-07-18T08:00:00+08:00");
        let e = &doc.json["epcisBody"]["eventList"][0];
        assert_eq!(e["type"], "ObjectEvent", "{granularity:?}");
        assert_eq!(e["action"], "ADD");
        assert_eq!(e["bizStep"], biz_step, "{granularity:?}");
        assert_eq!(e["disposition"], "active");
        assert_eq!(e["tracedesk:inputsRecorded"], false);
        assert!(e[list].as_array().is_some_and(|l| !l.is_empty()), "{e}");
        for absent in [
            "inputQuantityList",
            "inputEPCList",
            "outputQuantityList",
            "outputEPCList",
        ] {
            assert!(e.get(absent).is_none(), "{absent}: {e}");
        }
    }
    let bodies = bodies_of(&[without_inputs(Granularity::Batch)]);
    let doc = crate::epcis::document(&[bodies[0].as_str()], "2025-07-18T08:00:00+08:00");
    let e = &doc.json["epcisBody"]["eventList"][0];
    assert_eq!(
        e["quantityList"][0]["epcClass"],
        format!("https://id.gs1.org/01/{GTIN}/10/B20250715-01")
    );
    assert_eq!(e["ilmd"]["cbvmda:lotNumber"], "B20250715-01");
    insta::assert_json_snapshot!("epcis_batch_without_inputs", doc.json);
}

#[test]
fn a_correction_declares_the_original_and_points_at_the_corrected_event() {
    let wrong = shipping("30", "2025-07-16T15:00:00+08:00", "CK-20250716-004", false);
    let corrected = shipping("300", "2025-07-16T15:00:00+08:00", "CK-20250716-004", false);
    let (wrong_key, corrected_key) = (seal(&wrong).unwrap().key, seal(&corrected).unwrap().key);
    let bodies = bodies_of(&[wrong, corrected, declaration(&wrong_key, &corrected_key)]);
    let refs: Vec<&str> = bodies.iter().map(String::as_str).collect();
    let doc = crate::epcis::document(&refs, "2025-07-18T08:00:00+08:00");
    let events = doc.json["epcisBody"]["eventList"].as_array().unwrap();
    let id = |k: &str| format!("urn:tracedesk:record:{k}");
    let declared: Vec<&Value> = events
        .iter()
        .filter(|e| e.get("errorDeclaration").is_some())
        .collect();
    assert_eq!(declared.len(), 1);
    assert_eq!(declared[0]["eventID"], id(&wrong_key));
    assert_eq!(
        declared[0]["errorDeclaration"]["correctiveEventIDs"],
        serde_json::json!([id(&corrected_key)])
    );
    assert_eq!(declared[0]["errorDeclaration"]["reason"], "incorrect_data");
    assert!(events.iter().any(|e| e["eventID"] == id(&corrected_key)
        && e.get("errorDeclaration").is_none()
        && e["quantityList"][0]["quantity"].as_f64() == Some(300.0)));
}

#[test]
fn epcis_export_snapshot() {
    let bodies = example_bodies();
    let refs: Vec<&str> = bodies.iter().map(String::as_str).collect();
    let doc = crate::epcis::document(&refs, "2025-07-18T08:00:00+08:00");
    insta::assert_json_snapshot!("epcis_document", doc.json);
}

#[test]
fn upload_workbook_has_a_sheet_per_kind_and_a_row_per_line() {
    let bodies = example_bodies();
    let refs: Vec<&str> = bodies.iter().map(String::as_str).collect();
    let (mut workbook, summary) = xlsx::upload_workbook(&refs).unwrap();
    // Nine records of 1.0/1.1 and the four of 1.2 (two shipments, one product, one receiving).
    assert_eq!(summary.records, 13);
    assert_eq!(summary.rows, 13);
    let bytes = workbook.save_to_buffer().unwrap();
    assert!(bytes.starts_with(b"PK"), "an xlsx is a zip");
}

#[test]
fn ecode_sign_matches_the_regression_vector() {
    assert_eq!(
        crate::ecode::sign("demo-client", "demo-secret", "1700000000000"),
        "2C457227B7C7B7B6E9C5A2347611D990E22F0834F6A4A92618A043EDDC59D6CB"
    );
}

#[test]
fn an_input_without_an_amount_goes_out_without_quantity_and_exports_as_a_class_only_element() {
    let mut record = transformation();
    if let Payload::Transformation(t) = &mut record.payload {
        t.inputs[1].quantity = String::new();
        t.inputs[1].unit = String::new();
    }
    let sealed = seal(&record).unwrap();
    let body: Value = serde_json::from_str(&sealed.body).unwrap();
    let input = body["payload"]["inputs"][1].as_object().unwrap();
    assert_eq!(input.get("lot"), Some(&Value::from("GB-88123")));
    assert!(
        !input.contains_key("quantity") && !input.contains_key("unit"),
        "{input:?}"
    );
    let doc = crate::epcis::document(&[sealed.body.as_str()], "2025-07-18T08:00:00+08:00");
    let event = &doc.json["epcisBody"]["eventList"][0];
    assert_eq!(event["type"], "TransformationEvent");
    let listed = event["inputQuantityList"][1].as_object().unwrap();
    assert_eq!(
        listed.keys().collect::<Vec<_>>(),
        ["epcClass"],
        "the lot is named, no amount is claimed"
    );
    if let Some(validator) = epcis_schema(
        "an_input_without_an_amount_goes_out_without_quantity_and_exports_as_a_class_only_element",
    ) {
        let errors: Vec<String> = validator
            .iter_errors(&doc.json)
            .map(|e| e.to_string())
            .collect();
        assert!(errors.is_empty(), "{errors:#?}");
    }
}
