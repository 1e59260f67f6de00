//! The vocabulary of real ledgers: every spelling of `data/header_vocabulary.tsv` names its
//! field, every unit spelling folds into its unit, each required or common field has at least
//! five spellings, and a missing required column names the closest headers of the sheet.

use super::{V, ctx, open, put, read_first, xlsx};
use crate::cell::{self, Cell};
use crate::columns::{self, FieldKey, Need, RecordKind};
use crate::header::{self, Confidence, Matcher};
use crate::problem::ProblemCode;

#[test]
fn every_vocabulary_spelling_names_its_field_in_its_kind() {
    let spellings = columns::header_vocabulary();
    assert!(spellings.len() > 250, "{} spellings", spellings.len());
    let mut wrong = Vec::new();
    for s in spellings {
        let matcher = Matcher::new(s.kind);
        let got = matcher
            .classify(s.text)
            .map(|(i, confidence, _)| (s.kind.fields()[i].key, confidence));
        match got {
            Some((field, Confidence::Exact | Confidence::Normalised)) if field == s.field => {}
            other => wrong.push(format!(
                "{} {:?} ({}): expected {}, got {other:?}",
                s.kind.as_str(),
                s.text,
                s.source,
                s.field.as_str()
            )),
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn the_ledger_headers_of_the_factories_map_as_clerks_mean_them() {
    use FieldKey::*;
    use RecordKind::*;
    let cases: &[(RecordKind, &str, FieldKey)] = &[
        // 检验/验收/查验/判定 × 结果/结论/情况
        (Receipt, "检验结果", InspectionResult),
        (Receipt, "检验结论", InspectionResult),
        (Receipt, "检验情况", InspectionResult),
        (Receipt, "验收结果", InspectionResult),
        (Receipt, "验收结论", InspectionResult),
        (Receipt, "验收情况", InspectionResult),
        (Receipt, "查验结果", InspectionResult),
        (Receipt, "查验结论", InspectionResult),
        (Receipt, "查验情况", InspectionResult),
        (Receipt, "判定结果", InspectionResult),
        (Receipt, "判定结论", InspectionResult),
        (Receipt, "判定", InspectionResult),
        (Receipt, "进货查验结果（合格/不合格）", InspectionResult),
        (Batch, "判定结果", InspectionResult),
        (Batch, "出厂检验情况", InspectionResult),
        // 供方 / 供货单位 / 供应商名称
        (Receipt, "供方", Supplier),
        (Receipt, "供方名称", Supplier),
        (Receipt, "供货单位", Supplier),
        (Receipt, "供货单位名称", Supplier),
        (Receipt, "供应商名称", Supplier),
        (Receipt, "供应商", Supplier),
        // 炉号 / 批号 / 进货批号
        (Receipt, "炉号", SupplierLot),
        (Receipt, "炉批号", SupplierLot),
        (Receipt, "批号", SupplierLot),
        (Receipt, "进货批号", SupplierLot),
        (Receipt, "来料批号", SupplierLot),
        (Batch, "批号", LotNo),
        (Batch, "出厂批号", LotNo),
        // 数量 / 数目 / 件数
        (Receipt, "数量", Quantity),
        (Receipt, "数目", Quantity),
        (Receipt, "件数", Quantity),
        (Receipt, "数量（kg）", Quantity),
        (Batch, "件数", Quantity),
        (Shipment, "数目", Quantity),
        // units
        (Receipt, "计量单位", Unit),
        (Receipt, "单位", Unit),
        (Receipt, "UoM Code", Unit),
        // shipments and parties
        (Shipment, "需方", Customer),
        (Shipment, "购货单位", Customer),
        (Shipment, "送货单编号", DeliveryNoteNo),
        (Party, "通讯地址", Address),
        (RecordKind::Product, "69码", Gtin),
    ];
    let mut wrong = Vec::new();
    for (kind, text, field) in cases {
        let matcher = Matcher::new(*kind);
        let got = matcher.classify(text).map(|(i, _, _)| kind.fields()[i].key);
        if got != Some(*field) {
            wrong.push(format!(
                "{} {text:?}: expected {:?}, got {got:?}",
                kind.as_str(),
                field
            ));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// Optional fields that most ledgers carry, held to the same five spellings as required ones.
const COMMON: &[FieldKey] = &[
    FieldKey::Spec,
    FieldKey::ReportNo,
    FieldKey::SupplierUscc,
    FieldKey::CustomerUscc,
    FieldKey::Gtin,
    FieldKey::Address,
    FieldKey::Contact,
    FieldKey::Phone,
    FieldKey::Inspector,
    FieldKey::Category,
    FieldKey::Standard,
    FieldKey::CccCertNo,
    FieldKey::CccValidTo,
    FieldKey::Note,
];

#[test]
fn every_required_and_common_field_has_at_least_five_spellings() {
    let mut short = Vec::new();
    for kind in RecordKind::ALL {
        for spec in kind.fields() {
            let counted = !matches!(spec.need, Need::Optional) || COMMON.contains(&spec.key);
            if !counted {
                continue;
            }
            let mut distinct: Vec<String> = columns::spellings_of(kind, spec)
                .map(header::normalise_header)
                .collect();
            distinct.sort();
            distinct.dedup();
            if distinct.len() < 5 {
                short.push(format!(
                    "{} {}: {distinct:?}",
                    kind.as_str(),
                    spec.key.as_str()
                ));
            }
        }
    }
    assert!(short.is_empty(), "{}", short.join("\n"));
}

#[test]
fn every_unit_spelling_folds_into_its_unit() {
    let units = columns::unit_vocabulary();
    assert!(units.len() > 40);
    let mut wrong = Vec::new();
    for u in units {
        let mut issues = Vec::new();
        let got = cell::unit(&Cell::Text(u.text.to_string()), &ctx(), &mut issues);
        if got.as_deref() != Some(u.zh) {
            wrong.push(format!(
                "{:?} ({}): expected {}, got {got:?}",
                u.text, u.source, u.zh
            ));
        }
    }
    // The Rec 20 codes most ledgers meet, case-insensitively.
    for (code, zh) in [
        ("KGM", "千克"),
        ("kgm", "千克"),
        ("MTR", "米"),
        ("TNE", "吨"),
        ("C62", "个"),
        ("LTR", "升"),
    ] {
        let mut issues = Vec::new();
        let got = cell::unit(&Cell::Text(code.to_string()), &ctx(), &mut issues);
        if got.as_deref() != Some(zh) {
            wrong.push(format!("{code}: expected {zh}, got {got:?}"));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// The units and spellings the template offered before the unit table became data
/// (`codes/data/rec20_units.tsv`): each spelling still folds into the same unit word.
const UNITS_BEFORE: &[(&str, &[&str])] = &[
    ("个", &["个", "pcs", "pc", "piece", "pieces", "ea", "只"]),
    ("台", &["台", "set", "unit", "units"]),
    ("套", &["套", "kit", "sets"]),
    ("件", &["件", "item", "items"]),
    ("米", &["米", "m", "meter", "metre", "meters", "metres"]),
    (
        "千克",
        &["千克", "kg", "kgs", "公斤", "kilogram", "kilograms"],
    ),
    ("吨", &["吨", "t", "ton", "tons", "tonne", "tonnes"]),
    (
        "箱",
        &["箱", "ctn", "ctns", "carton", "cartons", "box", "boxes"],
    ),
];

#[test]
fn unit_spellings_fold_as_before_and_words_the_table_adds_fold_to_themselves() {
    let fold = |text: &str| {
        let mut issues = Vec::new();
        cell::unit(&Cell::Text(text.to_string()), &ctx(), &mut issues)
    };
    for (zh, spellings) in UNITS_BEFORE {
        for s in *spellings {
            assert_eq!(fold(s).as_deref(), Some(*zh), "{s}");
            assert_eq!(fold(&s.to_uppercase()).as_deref(), Some(*zh), "{s}");
        }
    }
    // Words the table knows on their own stay as written, as before; new spellings fold.
    for (text, zh) in [
        ("辆", "辆"),
        ("盒", "盒"),
        ("双", "双"),
        ("纸箱", "纸箱"),
        ("托", "托"),
        ("栈板", "托"),
        ("组", "组"),
        ("坨", "坨"),
    ] {
        assert_eq!(fold(text).as_deref(), Some(zh), "{text}");
    }
    assert_eq!(
        columns::TEMPLATE_UNITS.join("、"),
        "个、台、套、件、米、千克、吨、箱"
    );
}

#[test]
fn near_misses_score_above_unrelated_headers() {
    let n = header::normalise_header;
    let cases: &[(&str, &str, bool)] = &[
        // (header, spelling, should be suggested)
        ("检验结果说明", "检验结果", true),
        ("检验结过", "检验结果", true),
        ("来料IQC", "IQC判定", true),
        ("Inspection Reslt", "Inspection Result", true),
        ("供货单位全称", "供货单位", true),
        ("联系电话", "检验结果", false),
        ("备注", "供应商批号", false),
        ("金额", "数量", false),
    ];
    for (a, b, suggested) in cases {
        let score = header::similarity(&n(a), &n(b));
        assert_eq!(
            score >= header::SUGGEST_THRESHOLD,
            *suggested,
            "{a} ~ {b}: {score:.2}"
        );
    }
    assert_eq!(header::similarity("", "x"), 0.0);
    assert_eq!(header::similarity("检验结果", "检验结果"), 1.0);
}

#[test]
fn a_missing_required_column_names_the_closest_headers_of_the_sheet() {
    use V::*;
    let bytes = xlsx(|ws| {
        put(
            ws,
            0,
            &[
                S("序号"),
                S("进货日期"),
                S("供应商"),
                S("原料名称"),
                S("供应商批号"),
                S("数量"),
                S("单位"),
                S("检验结果说明"),
                S("联系电话"),
            ],
        )?;
        put(
            ws,
            1,
            &[
                N(1.0),
                S("2025-03-03"),
                S("宁波钢材"),
                S("钢板"),
                S("L1"),
                N(5.0),
                S("kg"),
                S("合格"),
                S("110"),
            ],
        )?;
        Ok(())
    });
    let read = read_first(&mut open(bytes, "ledger.xlsx"), RecordKind::Receipt);
    let missing: Vec<_> = read
        .all_problems()
        .filter(|p| p.code == ProblemCode::ColumnMissing)
        .collect();
    assert_eq!(missing.len(), 1, "{missing:?}");
    let p = missing[0];
    assert_eq!(p.field, Some(FieldKey::InspectionResult));
    assert!(
        p.message
            .zh
            .contains("表头中最接近的是：H 列“检验结果说明”"),
        "{}",
        p.message.zh
    );
    assert!(
        p.message
            .en
            .contains("The closest headers are column H \"检验结果说明\""),
        "{}",
        p.message.en
    );
    assert!(!p.message.zh.contains("联系电话"), "{}", p.message.zh);
    assert!(!p.message.zh.contains("序号"), "{}", p.message.zh);

    // With nothing near, the message says only what is missing.
    let bytes = xlsx(|ws| {
        put(
            ws,
            0,
            &[
                S("进货日期"),
                S("供应商"),
                S("原料名称"),
                S("供应商批号"),
                S("数量"),
                S("单位"),
                S("金额"),
            ],
        )?;
        put(
            ws,
            1,
            &[
                S("2025-03-03"),
                S("宁波钢材"),
                S("钢板"),
                S("L1"),
                N(5.0),
                S("kg"),
                N(9.0),
            ],
        )?;
        Ok(())
    });
    let read = read_first(&mut open(bytes, "ledger.xlsx"), RecordKind::Receipt);
    let p = read
        .all_problems()
        .find(|p| p.code == ProblemCode::ColumnMissing)
        .expect("inspection result is missing");
    assert!(!p.message.zh.contains("最接近"), "{}", p.message.zh);
}
