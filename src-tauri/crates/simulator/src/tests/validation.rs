//! Contract §4 field rules, table-driven over the contract's example records: each case bends one
//! field of a valid example (and recomputes the key, as a client would) and names the expected
//! result as `"ok"` or `"<code> <pointer>"`.

use serde_json::Value;
use time::OffsetDateTime;
use time::macros::datetime;

use super::*;
use crate::validate::{check_content, check_key};

/// The platform clock for these cases: a day after the examples.
const NOW: OffsetDateTime = datetime!(2025-07-18 00:00 UTC);

fn judge(record: &Value) -> String {
    let map = match check_key(record) {
        Ok((map, _)) => map,
        Err((_, r)) => return format!("{} {}", r.code, r.pointer.unwrap_or_default()),
    };
    match check_content(map, NOW) {
        Ok(_) => "ok".to_owned(),
        Err(r) => format!("{} {}", r.code, r.pointer.unwrap_or_default()),
    }
}

#[track_caller]
fn check(base: &str, bend: impl FnOnce(&mut Value), expect: &str) {
    let mut record = example(base);
    bend(&mut record);
    // As a client would: recompute the key, unless the content has no canonical form (null,
    // floats), in which case the old key stays and the canonical-form check must catch it.
    let record = match record.as_object().map(crate::idempotency_key) {
        Some(Ok(_)) => with_key(record),
        _ => record,
    };
    assert_eq!(judge(&record), expect, "{base}");
}

#[test]
fn every_example_record_is_valid() {
    for name in RECORD_EXAMPLES {
        assert_eq!(judge(&example(name)), "ok", "{name}");
    }
}

#[test]
fn codes_and_identifiers() {
    check(
        "record-product.json",
        |r| r["payload"]["productCode"] = json!("09520123456789"),
        "E_GTIN /payload/productCode",
    );
    check(
        "record-product.json",
        |r| r["payload"]["productCode"] = json!("9520123456788"),
        "E_GTIN /payload/productCode",
    );
    check(
        "record-product.json",
        |r| r["payload"]["productCode"] = json!("0952012345678８"),
        "E_GTIN /payload/productCode",
    );
    check(
        "record-enterprise.json",
        |r| r["payload"]["uscc"] = json!("91350100MA2TRACE0H"),
        "E_USCC /payload/uscc",
    );
    check(
        "record-enterprise.json",
        |r| r["payload"]["uscc"] = json!("91350100MA2TRACO0G"),
        "E_USCC /payload/uscc",
    );
    check(
        "record-enterprise.json",
        |r| r["payload"]["uscc"] = json!("91350100ma2trace0g"),
        "E_USCC /payload/uscc",
    );
    check(
        "record-enterprise.json",
        |r| r["payload"]["uscc"] = json!("9135010"),
        "E_USCC /payload/uscc",
    );
    check(
        "record-enterprise.json",
        |r| r["payload"]["gcp"] = json!("95201"),
        "E_GCP /payload/gcp",
    );
    check(
        "record-shipping.json",
        |r| r["payload"]["customer"]["uscc"] = json!("91440300MA5KH0N17R"),
        "E_USCC /payload/customer/uscc",
    );
    check(
        "record-product.json",
        |r| r["payload"]["ccc"]["certificateNo"] = json!("CCC123"),
        "E_CCC /payload/ccc/certificateNo",
    );
    check(
        "record-product.json",
        |r| r["payload"]["ccc"]["validTo"] = json!("2020-01-01"),
        "E_DATE_ORDER /payload/ccc/validTo",
    );
    // Other schemes: opaque values with light checks.
    check(
        "record-product.json",
        |r| {
            r["scheme"] = json!("ecode");
            r["payload"]["productCode"] = json!("10064 0001");
        },
        "E_CODE /payload/productCode",
    );
    check(
        "record-product.json",
        |r| {
            r["scheme"] = json!("ecode");
            r["payload"]["productCode"] = json!("100640000000000001");
        },
        "ok",
    );
    check(
        "record-product.json",
        |r| {
            r["scheme"] = json!("digital-id");
            r["payload"]["productCode"] = json!("https://example.invalid/id/ABC123");
        },
        "ok",
    );
}

#[test]
fn lots_items_and_granularity() {
    check(
        "record-shipping.json",
        |r| r["payload"]["lines"][0]["lot"] = json!("批次1"),
        "E_LOT /payload/lines/0/lot",
    );
    check(
        "record-shipping.json",
        |r| r["payload"]["lines"][0]["lot"] = json!("B 01"),
        "E_LOT /payload/lines/0/lot",
    );
    check(
        "record-shipping.json",
        |r| r["payload"]["lines"][0]["lot"] = json!("B".repeat(21)),
        "E_LOT /payload/lines/0/lot",
    );
    check(
        "record-shipping.json",
        |r| {
            remove(&mut r["payload"]["lines"][0], "lot");
        },
        "E_REQUIRED /payload/lines/0/lot",
    );
    check(
        "record-shipping.json",
        |r| {
            r["granularity"] = json!("product");
            remove(&mut r["payload"]["lines"][0], "lot");
        },
        "ok",
    );
    check(
        "record-shipping.json",
        |r| r["payload"]["lines"][0]["items"] = json!(["1"]),
        "E_GRANULARITY /payload/lines/0/items",
    );
    check(
        "record-commissioning.json",
        |r| r["payload"]["line"]["quantity"] = json!("3"),
        "E_GRANULARITY /payload/line/quantity",
    );
    check(
        "record-commissioning.json",
        |r| r["payload"]["line"]["items"] = json!(["0000001", "0000001"]),
        "E_ITEMS /payload/line/items/1",
    );
    check(
        "record-commissioning.json",
        |r| r["payload"]["line"]["items"] = json!([]),
        "E_ITEMS /payload/line/items",
    );
    check(
        "record-commissioning.json",
        |r| r["payload"]["line"]["items"] = json!(["序列1"]),
        "E_ITEMS /payload/line/items/0",
    );
    check(
        "record-commissioning.json",
        |r| {
            r["scheme"] = json!("ecode");
            r["payload"]["line"]["productCode"] = json!("SIMP000001");
            r["payload"]["line"]["items"] = json!(["10064000000000000001"]);
        },
        "ok",
    );
    check(
        "record-receiving.json",
        |r| {
            r["granularity"] = json!("item");
            let m = &mut r["payload"]["material"];
            for name in ["quantity", "unit", "code"] {
                remove(m, name);
            }
            m["items"] = json!(["S1"]);
        },
        "E_REQUIRED /payload/material/code",
    );
    check(
        "record-receiving.json",
        |r| {
            remove(&mut r["payload"]["material"], "code");
        },
        "ok",
    );
    check(
        "record-transformation.json",
        |r| r["payload"]["inputs"] = json!([]),
        "E_REQUIRED /payload/inputs",
    );
}

#[test]
fn quantities_units_dates_and_inspections() {
    for (q, expect) in [
        (json!("0"), "E_QUANTITY /payload/lines/0/quantity"),
        (json!("0.000"), "E_QUANTITY /payload/lines/0/quantity"),
        (json!("-5"), "E_QUANTITY /payload/lines/0/quantity"),
        (json!("007"), "E_QUANTITY /payload/lines/0/quantity"),
        (json!("1e3"), "E_QUANTITY /payload/lines/0/quantity"),
        (json!("1.1234567"), "E_QUANTITY /payload/lines/0/quantity"),
        (json!("0.5"), "ok"),
        (json!("999999999999.999999"), "ok"),
        (json!(200), "E_TYPE /payload/lines/0/quantity"),
        (json!(1.5), "E_TYPE /payload/lines/0/quantity"),
    ] {
        check(
            "record-shipping.json",
            |r| r["payload"]["lines"][0]["quantity"] = q,
            expect,
        );
    }
    check(
        "record-shipping.json",
        |r| r["payload"]["lines"][0]["unit"] = json!("个"),
        "E_UNIT /payload/lines/0/unit",
    );
    for (t, expect) in [
        ("2025-07-16 14:05:00+08:00", "E_DATE /payload/eventTime"),
        ("2025-07-16T14:05:00", "E_DATE /payload/eventTime"),
        ("2025-07-16T14:05+08:00", "E_DATE /payload/eventTime"),
        ("2025-07-16t14:05:00Z", "E_DATE /payload/eventTime"),
        ("2025-02-30T14:05:00Z", "E_DATE /payload/eventTime"),
        ("1999-12-31T23:59:59Z", "E_DATE /payload/eventTime"),
        ("2025-07-19T23:00:00Z", "E_FUTURE_TIME /payload/eventTime"),
        ("2025-07-18T23:00:00Z", "ok"),
        ("2025-07-16T06:05:00.123Z", "ok"),
    ] {
        check(
            "record-shipping.json",
            |r| r["payload"]["eventTime"] = json!(t),
            expect,
        );
    }
    check(
        "record-transformation.json",
        |r| r["payload"]["productionDate"] = json!("2025-02-29"),
        "E_DATE /payload/productionDate",
    );
    // 1.2: a key component's CCC certificate on the material line, and the supplier's Ecodes.
    check("record-receiving-supplier-codes.json", |_| {}, "ok");
    check(
        "record-receiving-supplier-codes.json",
        |r| r["payload"]["material"]["ccc"]["certificateNo"] = json!("2016-01-09"),
        "E_CCC /payload/material/ccc/certificateNo",
    );
    check(
        "record-receiving-supplier-codes.json",
        |r| r["payload"]["material"]["ccc"]["validTo"] = json!("2026-01-01"),
        "E_UNKNOWN_FIELD /payload/material/ccc/validTo",
    );
    check(
        "record-receiving-supplier-codes.json",
        |r| r["payload"]["material"]["ccc"] = json!({}),
        "E_REQUIRED /payload/material/ccc/certificateNo",
    );
    check(
        "record-receiving-supplier-codes.json",
        |r| r["payload"]["material"]["items"] = json!(["10064 1"]),
        "E_ITEMS /payload/material/items/0",
    );
    check(
        "record-transformation.json",
        |r| r["payload"]["productionDate"] = json!("2025/07/15"),
        "E_DATE /payload/productionDate",
    );
    check(
        "record-transformation.json",
        |r| r["payload"]["expiryDate"] = json!("2025-07-14"),
        "E_DATE_ORDER /payload/expiryDate",
    );
    check(
        "record-receiving.json",
        |r| r["payload"]["inspection"]["result"] = json!("合格"),
        "E_INSPECTION /payload/inspection/result",
    );
    check(
        "record-receiving.json",
        |r| r["payload"]["inspection"]["result"] = json!("fail"),
        "ok",
    );
}

#[test]
fn structure_text_and_keys() {
    check(
        "record-receiving.json",
        |r| {
            remove(&mut r["payload"], "supplier");
        },
        "E_REQUIRED /payload/supplier",
    );
    check(
        "record-receiving.json",
        |r| r["payload"]["remark"] = json!("备注"),
        "E_UNKNOWN_FIELD /payload/remark",
    );
    check(
        "record-receiving.json",
        |r| r["extra"] = json!(1),
        "E_UNKNOWN_FIELD /extra",
    );
    check(
        "record-receiving.json",
        |r| r["payload"]["supplier"] = json!("苏州示例"),
        "E_TYPE /payload/supplier",
    );
    check(
        "record-shipping.json",
        |r| r["kind"] = json!("sale"),
        "E_KIND /kind",
    );
    check(
        "record-shipping.json",
        |r| r["scheme"] = json!("ean"),
        "E_SCHEME /scheme",
    );
    check(
        "record-shipping.json",
        |r| r["granularity"] = json!("pallet"),
        "E_GRANULARITY /granularity",
    );
    check(
        "record-shipping.json",
        |r| r["payload"]["customer"]["name"] = json!("深圳\n示例"),
        "E_TEXT /payload/customer/name",
    );
    check(
        "record-shipping.json",
        |r| r["payload"]["customer"]["name"] = json!("   "),
        "E_REQUIRED /payload/customer/name",
    );
    check(
        "record-shipping.json",
        |r| r["payload"]["customer"]["name"] = json!("名".repeat(101)),
        "E_TOO_LONG /payload/customer/name",
    );
    check(
        "record-shipping.json",
        |r| r["payload"]["customer"]["name"] = json!("名".repeat(100)),
        "ok",
    );
    check(
        "record-shipping.json",
        |r| r["payload"]["customer"]["contactPhone"] = json!("电话"),
        "E_TEXT /payload/customer/contactPhone",
    );
    check(
        "record-shipping.json",
        |r| r["payload"]["deliveryNote"] = Value::Null,
        "E_TYPE /payload/deliveryNote",
    );
    check(
        "record-error-declaration.json",
        |r| r["payload"]["reason"] = json!("typo"),
        "E_REASON /payload/reason",
    );
    check(
        "record-error-declaration.json",
        |r| r["payload"]["correctiveKeys"] = json!([]),
        "E_CORRECTIVE_KEYS /payload/correctiveKeys",
    );

    // Key checks come first and see the record as sent.
    let mut changed = example("record-shipping.json");
    changed["payload"]["deliveryNote"] = json!("CK-OTHER");
    assert!(judge(&changed).starts_with("E_KEY_MISMATCH /idempotencyKey"));
    let mut upper = example("record-shipping.json");
    upper["idempotencyKey"] = json!(key_of(&upper).to_uppercase());
    assert_eq!(judge(&upper), "E_KEY_FORMAT /idempotencyKey");
}

/// Every value of every example, replaced by every JSON type: validation must answer (accept or
/// reject), never panic. This covers the "no panics on any body" requirement below HTTP.
#[test]
fn no_replacement_of_any_field_makes_validation_panic() {
    let replacements = [
        Value::Null,
        json!(0),
        json!(-1),
        json!(1.5),
        json!(u64::MAX),
        json!(""),
        json!("x"),
        json!("名".repeat(600)),
        json!([]),
        json!([null]),
        json!({}),
        json!({"a": 1}),
        json!(true),
    ];
    let mut judged = 0;
    // The wrong and the corrected shipping are the shipping example with other values.
    let swept = RECORD_EXAMPLES.into_iter().filter(|name| {
        !matches!(
            *name,
            "record-shipping-wrong.json" | "record-shipping-corrected.json"
        )
    });
    for name in swept {
        let base = example(name);
        let mut pointers = Vec::new();
        collect_pointers(&base, String::new(), &mut pointers);
        for pointer in pointers {
            for replacement in &replacements {
                let mut record = base.clone();
                if let Some(slot) = record.pointer_mut(&pointer) {
                    *slot = replacement.clone();
                }
                // Both with the old key (mismatch path) and with a recomputed one (content path).
                let _ = judge(&record);
                if let Some(map) = record.as_object()
                    && crate::idempotency_key(map).is_ok()
                {
                    let _ = judge(&with_key(record));
                }
                judged += 1;
            }
        }
    }
    assert!(judged > 1_000, "the sweep covered {judged} variants");
}

fn collect_pointers(v: &Value, at: String, out: &mut Vec<String>) {
    if !at.is_empty() {
        out.push(at.clone());
    }
    match v {
        Value::Object(map) => {
            for (k, child) in map {
                collect_pointers(
                    child,
                    format!("{at}/{}", crate::canonical::escape_pointer(k)),
                    out,
                );
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                collect_pointers(child, format!("{at}/{i}"), out);
            }
        }
        _ => {}
    }
}

/// Contract 1.2 §4.4: parties of every kind, and the licence, site and entrustment members.
#[test]
fn parties_of_every_kind_and_the_licence_members() {
    let individual = json!({
        "kind": "individual", "name": "张三", "address": "浙江省杭州市西湖区",
        "idNumberMasked": "110***********002X", "mobileMasked": "138****5678",
        "consentAt": "2025-07-11T10:00:00+08:00"
    });
    let foreign = json!({
        "kind": "foreign", "name": "Example Trading GmbH", "country": "DE",
        "registrationNo": "HRB 123456", "contactPhone": "+49 40 123456"
    });
    type Bend = Box<dyn Fn(&mut Value)>;
    let cases: Vec<(Bend, &str)> = vec![
        (
            Box::new({
                let p = individual.clone();
                move |r| r["payload"]["customer"] = p.clone()
            }),
            "ok",
        ),
        (
            Box::new({
                let p = foreign.clone();
                move |r| r["payload"]["customer"] = p.clone()
            }),
            "ok",
        ),
        // An organisation may say so; without `kind` it is one, as in 1.0/1.1.
        (
            Box::new(|r| r["payload"]["customer"]["kind"] = json!("organisation")),
            "ok",
        ),
        (
            Box::new(|r| r["payload"]["shipTo"] = json!("浙江省杭州市西湖区文三路 1 号")),
            "ok",
        ),
        // A full ID card or mobile number is refused.
        (
            Box::new({
                let p = individual.clone();
                move |r| {
                    r["payload"]["customer"] = p.clone();
                    r["payload"]["customer"]["idNumberMasked"] = json!("11010519491231002X");
                }
            }),
            "E_PERSONAL_DATA /payload/customer/idNumberMasked",
        ),
        (
            Box::new({
                let p = individual.clone();
                move |r| {
                    r["payload"]["customer"] = p.clone();
                    r["payload"]["customer"]["mobileMasked"] = json!("13812345678");
                }
            }),
            "E_PERSONAL_DATA /payload/customer/mobileMasked",
        ),
        (
            Box::new({
                let p = individual.clone();
                move |r| {
                    r["payload"]["customer"] = p.clone();
                    r["payload"]["customer"]
                        .as_object_mut()
                        .unwrap()
                        .remove("consentAt");
                }
            }),
            "E_REQUIRED /payload/customer/consentAt",
        ),
        (
            Box::new({
                let p = individual.clone();
                move |r| {
                    r["payload"]["customer"] = p.clone();
                    r["payload"]["customer"]["uscc"] = json!("91440300MA5KH0N17Q");
                }
            }),
            "E_PARTY_KIND /payload/customer/uscc",
        ),
        (
            Box::new({
                let p = foreign.clone();
                move |r| {
                    r["payload"]["customer"] = p.clone();
                    r["payload"]["customer"]["country"] = json!("UK");
                }
            }),
            "E_COUNTRY /payload/customer/country",
        ),
        (
            Box::new({
                let p = foreign.clone();
                move |r| {
                    r["payload"]["customer"] = p.clone();
                    r["payload"]["customer"]
                        .as_object_mut()
                        .unwrap()
                        .remove("country");
                }
            }),
            "E_REQUIRED /payload/customer/country",
        ),
        (
            Box::new(|r| r["payload"]["customer"]["kind"] = json!("person")),
            "E_PARTY_KIND /payload/customer/kind",
        ),
        (
            Box::new(|r| {
                r["payload"]["customer"]
                    .as_object_mut()
                    .unwrap()
                    .remove("uscc");
            }),
            "E_REQUIRED /payload/customer/uscc",
        ),
    ];
    for (bend, expect) in cases {
        check("record-shipping.json", bend, expect);
    }
    let product: Vec<(Bend, &str)> = vec![
        (
            Box::new(|r| {
                r["payload"]["productionLicenceNo"] = json!("(粤)XK16-204-00123");
                r["payload"]["productionAddress"] = json!("广东省佛山市顺德区");
                r["payload"]["entrustment"] = json!({"role": "manufacturer", "name": "示例品牌有限公司", "uscc": "91440300MA5KH0N17Q"});
            }),
            "ok",
        ),
        (
            Box::new(|r| {
                r["payload"]["entrustment"] = json!({"role": "oem", "name": "示例品牌有限公司", "uscc": "91440300MA5KH0N17Q"});
            }),
            "E_ENTRUSTMENT /payload/entrustment/role",
        ),
        (
            Box::new(|r| {
                r["payload"]["entrustment"] = json!({"role": "principal", "name": "示例代工厂", "uscc": "91440300MA5KH0N17X"});
            }),
            "E_USCC /payload/entrustment/uscc",
        ),
    ];
    for (bend, expect) in product {
        check("record-product.json", bend, expect);
    }
    check(
        "record-enterprise.json",
        |r| r["payload"]["productionAddress"] = json!("福建省福州市仓山区工厂路 8 号"),
        "ok",
    );
}

#[test]
fn an_input_without_quantity_is_accepted_since_contract_1_2() {
    check(
        "record-transformation.json",
        |r| {
            let input = r["payload"]["inputs"][1].as_object_mut().unwrap();
            input.remove("quantity");
            input.remove("unit");
        },
        "ok",
    );
    check(
        "record-transformation.json",
        |r| {
            r["payload"]["inputs"][1]
                .as_object_mut()
                .unwrap()
                .remove("unit");
        },
        "E_REQUIRED /payload/inputs/1/unit",
    );
    check(
        "record-transformation.json",
        |r| {
            r["payload"]["inputs"][1]
                .as_object_mut()
                .unwrap()
                .remove("quantity");
        },
        "E_REQUIRED /payload/inputs/1/quantity",
    );
    check(
        "record-transformation.json",
        |r| r["payload"]["inputs"][1]["quantity"] = json!("0"),
        "E_QUANTITY /payload/inputs/1/quantity",
    );
}

#[test]
fn malformed_document_numbers_and_dates_are_refused_with_their_pointer() {
    let long = "X".repeat(51);
    let cases: &[(&str, &str, Value, &str)] = &[
        (
            "record-receiving.json",
            "purchaseOrder",
            json!(long),
            "E_TOO_LONG /payload/purchaseOrder",
        ),
        (
            "record-receiving.json",
            "invoiceNo",
            json!("INV\n1"),
            "E_TEXT /payload/invoiceNo",
        ),
        (
            "record-receiving.json",
            "deliveryNote",
            json!(""),
            "E_REQUIRED /payload/deliveryNote",
        ),
        (
            "record-receiving.json",
            "invoiceNo",
            json!("04403250"),
            "ok",
        ),
        (
            "record-shipping.json",
            "orderNo",
            json!(long),
            "E_TOO_LONG /payload/orderNo",
        ),
        (
            "record-shipping.json",
            "invoiceNo",
            json!(12),
            "E_TYPE /payload/invoiceNo",
        ),
        ("record-shipping.json", "invoiceNo", json!("04403311"), "ok"),
        (
            "record-transformation.json",
            "workOrder",
            json!(long),
            "E_TOO_LONG /payload/workOrder",
        ),
        (
            "record-transformation.json",
            "expiryDate",
            json!("2025-02-30"),
            "E_DATE /payload/expiryDate",
        ),
        (
            "record-transformation.json",
            "expiryDate",
            json!("2025-07-14"),
            "E_DATE_ORDER /payload/expiryDate",
        ),
        (
            "record-transformation.json",
            "expiryDate",
            json!("2027-07-14"),
            "ok",
        ),
    ];
    for (base, member, value, expect) in cases {
        check(base, |r| r["payload"][*member] = value.clone(), expect);
    }
    check(
        "record-transformation.json",
        |r| r["payload"]["inspection"]["date"] = json!("2025-13-01"),
        "E_DATE /payload/inspection/date",
    );
}
