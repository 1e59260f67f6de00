//! Records to report, built from the store's rows: pure code, no IO. Each builder returns the
//! contract record (`platform::model`) and what it lacks for the platform (the checklist), with a
//! link to the screen and record where the clerk fixes it.
//!
//! Rules (contract §4): dates become `YYYY-MM-DDT00:00:00+08:00` (our records keep the day, and
//! China is UTC+8); quantities become decimal strings; Chinese unit words become UN/ECE Rec 20
//! codes; GTINs become GTIN-14; a USCC is sent in its canonical form. A member the contract
//! requires but the data lacks is left out (the platform then answers `E_REQUIRED`) and listed as
//! a problem. Optional members that would make the platform refuse the whole record (a phone
//! number with letters) are left out. Every record carries `clientRef` (our table and row id), so
//! two real events with the same content still get different keys (contract §3).

use std::collections::HashMap;

use platform::model::{self, Granularity, Payload, Record, Scheme};
use store::EnterpriseRow;
use store::batches::{BatchRow, InputFields};
use store::ledger::AllocationRow;
use store::parties::PartyRow;
use store::products::ProductRow;
use store::receipts::{ReceiptCode, ReceiptRow};
use store::shipments::{LineRow, ShipmentRow};

use crate::{ChecklistProblem, FixLink};

/// What the builders read besides the row itself.
pub(crate) struct Context<'a> {
    pub enterprise: &'a EnterpriseRow,
    pub default_scheme: Scheme,
    pub default_granularity: Granularity,
    pub gs1_company_prefix: &'a str,
    pub products: &'a HashMap<i64, ProductRow>,
    /// Platform-issued product codes (Ecode, 数字身份码) from `trace_code`, by product.
    pub product_codes: &'a HashMap<i64, String>,
    pub parties: &'a HashMap<i64, PartyRow>,
    /// The key of each receipt's current `receiving` record.
    pub receiving_keys: HashMap<i64, String>,
    /// The unit table in use (`codes::units`, or a newer one the app loaded).
    pub units: &'a codes::units::Units,
}

/// A built record, before sealing.
#[derive(Debug, Clone)]
pub(crate) struct Built {
    pub source_kind: &'static str,
    pub source_id: i64,
    pub part: i64,
    pub record: Record,
    pub label: String,
    pub product_id: Option<i64>,
    pub event_date: Option<String>,
    pub link: FixLink,
    pub problems: Vec<ChecklistProblem>,
}

pub(crate) fn link(screen: &str, id: Option<i64>, field: Option<&str>) -> FixLink {
    FixLink {
        screen: screen.to_string(),
        id,
        field: field.map(str::to_string),
    }
}

fn problem(pointer: &str, code: &str, zh: String, en: String, fix: FixLink) -> ChecklistProblem {
    ChecklistProblem {
        pointer: pointer.to_string(),
        code: code.to_string(),
        message_zh: zh,
        message_en: en,
        fix,
    }
}

pub(crate) fn scheme_of(text: &str) -> Scheme {
    Scheme::parse(text).unwrap_or(Scheme::Gs1)
}

pub(crate) fn granularity_of(text: &str) -> Granularity {
    Granularity::parse(text).unwrap_or(Granularity::Batch)
}

fn event_time(date: &str) -> String {
    format!("{date}T00:00:00+08:00")
}

fn phone_ok(phone: &str) -> bool {
    (3..=30).contains(&phone.chars().count())
        && phone
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '+' | '(' | ')' | ' ' | '-'))
}

/// Collects problems while a record is built.
struct Checks<'u> {
    problems: Vec<ChecklistProblem>,
    units: &'u codes::units::Units,
}

impl<'u> Checks<'u> {
    fn new(units: &'u codes::units::Units) -> Checks<'u> {
        Checks {
            problems: Vec::new(),
            units,
        }
    }

    /// The canonical USCC, or the text as typed with a problem.
    fn uscc(
        &mut self,
        value: Option<&str>,
        pointer: &str,
        whose: (&str, &str),
        fix: FixLink,
    ) -> String {
        let value = value.unwrap_or("").trim();
        if value.is_empty() {
            self.problems.push(problem(
                pointer,
                "missing-uscc",
                format!("{}缺少统一社会信用代码，平台要求填写", whose.0),
                format!(
                    "{} has no unified social credit code; the platform requires it",
                    whose.1
                ),
                fix,
            ));
            return String::new();
        }
        match codes::Uscc::parse(value) {
            Ok(u) => u.to_string(),
            Err(e) => {
                let m = e.message();
                self.problems.push(problem(
                    pointer,
                    "invalid-uscc",
                    format!("{}的统一社会信用代码有误：{}", whose.0, m.zh),
                    format!(
                        "{}'s unified social credit code is wrong: {}",
                        whose.1, m.en
                    ),
                    fix,
                ));
                value.to_string()
            }
        }
    }

    fn required(&mut self, value: &str, pointer: &str, name: (&str, &str), fix: FixLink) -> String {
        let value = value.trim();
        if value.is_empty() {
            self.problems.push(problem(
                pointer,
                "missing",
                format!("缺少{}，平台要求填写", name.0),
                format!("{} is missing; the platform requires it", name.1),
                fix,
            ));
        }
        value.to_string()
    }

    fn quantity(&mut self, value: Option<f64>, pointer: &str, fix: FixLink) -> String {
        match value.and_then(model::quantity) {
            Some(q) => q,
            None => {
                let (zh, en) = match value {
                    None => (
                        "未记录数量".to_string(),
                        "the quantity was not recorded".to_string(),
                    ),
                    Some(v) => (
                        format!("数量 {v} 无法报送：须大于 0、最多 6 位小数、12 位整数"),
                        format!(
                            "quantity {v} cannot be reported: it must be > 0 with at most 6 decimals and 12 integer digits"
                        ),
                    ),
                };
                self.problems
                    .push(problem(pointer, "quantity", zh, en, fix));
                String::new()
            }
        }
    }

    fn unit(&mut self, word: &str, pointer: &str, fix: FixLink) -> String {
        match model::unit_code_in(self.units, word) {
            Some(code) => code.to_string(),
            None => {
                self.problems.push(problem(
                    pointer,
                    "unit",
                    format!("计量单位“{word}”不在平台的单位表中（如 个、千克、米、套、箱），请改用表中的单位"),
                    format!("unit {word:?} is not in the platform's list (e.g. 个, kg, m, set, box); use one of them"),
                    fix,
                ));
                String::new()
            }
        }
    }

    fn inspection(&mut self, result: &str, pointer: &str, fix: FixLink) -> String {
        match result {
            "pass" | "fail" => result.to_string(),
            _ => {
                self.problems.push(problem(
                    pointer,
                    "inspection-pending",
                    "检验结论仍为“待检”，平台要求合格或不合格".into(),
                    "the inspection is still pending; the platform needs pass or fail".into(),
                    fix,
                ));
                String::new()
            }
        }
    }

    /// A recorded amount: its quantity and unit checked at `{at}/quantity` and `{at}/unit`, each
    /// fixed in the form field of that name.
    fn amount(
        &mut self,
        quantity: f64,
        unit: &str,
        at: &str,
        fix: impl Fn(&str) -> FixLink,
    ) -> (String, String) {
        let quantity = self.quantity(Some(quantity), &format!("{at}/quantity"), fix("quantity"));
        (
            quantity,
            self.unit(unit, &format!("{at}/unit"), fix("unit")),
        )
    }

    /// A recorded factory inspection, its result checked at `/payload/inspection/result`.
    fn recorded_inspection(
        &mut self,
        result: &str,
        report_no: Option<&str>,
        inspector: &str,
        fix: FixLink,
    ) -> model::Inspection {
        model::Inspection {
            result: self.inspection(result, "/payload/inspection/result", fix),
            report_no: report_no.unwrap_or_default().trim().to_string(),
            inspector: inspector.trim().to_string(),
            date: String::new(),
        }
    }

    /// The product code of `product` for its scheme.
    fn product_code(&mut self, ctx: &Context<'_>, product: &ProductRow, pointer: &str) -> String {
        let fix = link("products", Some(product.id), Some("gtin"));
        match scheme_of(&product.fields.scheme) {
            Scheme::Gs1 => match product.fields.gtin.as_deref().filter(|g| !g.is_empty()) {
                None => {
                    self.problems.push(problem(
                        pointer,
                        "missing-gtin",
                        format!(
                            "产品“{}”没有商品条码（GTIN），GS1 方案下平台要求填写",
                            product.fields.name
                        ),
                        format!(
                            "product {:?} has no GTIN, which the GS1 scheme requires",
                            product.fields.name
                        ),
                        fix,
                    ));
                    String::new()
                }
                Some(g) => match codes::Gtin::parse(g) {
                    Ok(gtin) => gtin.to_gtin14(),
                    Err(e) => {
                        self.problems.push(problem(
                            pointer,
                            "invalid-gtin",
                            format!("产品“{}”的商品条码有误：{e}", product.fields.name),
                            format!("product {:?} has a wrong GTIN: {e}", product.fields.name),
                            fix,
                        ));
                        g.to_string()
                    }
                },
            },
            scheme => match ctx.product_codes.get(&product.id) {
                Some(code) => code.clone(),
                None => {
                    let name = if scheme == Scheme::Ecode {
                        "Ecode"
                    } else {
                        "数字身份码"
                    };
                    self.problems.push(problem(
                        pointer,
                        "missing-product-code",
                        format!("产品“{}”还没有平台分配的{name}产品码，请在“赋码”中导入", product.fields.name),
                        format!("product {:?} has no platform-issued {name} product code yet; import it under Coding", product.fields.name),
                        link("coding", Some(product.id), None),
                    ));
                    String::new()
                }
            },
        }
    }
}

fn party(
    ctx: &Context<'_>,
    checks: &mut Checks,
    id: i64,
    pointer: &str,
    role: (&str, &str),
) -> model::Party {
    let fix = link("parties", Some(id), Some("uscc"));
    let Some(p) = ctx.parties.get(&id) else {
        checks.problems.push(problem(
            pointer,
            "missing-party",
            format!("找不到{}", role.0),
            format!("the {} is missing", role.1),
            fix,
        ));
        return model::Party::default();
    };
    let f = &p.fields;
    let phone = f.phone.trim();
    let base = model::Party {
        name: f.name.trim().to_string(),
        address: f.address.trim().to_string(),
        contact_name: f.contact.trim().to_string(),
        ..model::Party::default()
    };
    match f.party_type.as_str() {
        // A person (contract 1.2): only the masked numbers the store keeps, and the consent.
        "individual" => model::Party {
            kind: "individual".into(),
            id_number_masked: f.id_masked.clone(),
            mobile_masked: phone.to_string(),
            consent_at: f.consent_at.clone().unwrap_or_default(),
            ..base
        },
        "foreign" => model::Party {
            kind: "foreign".into(),
            country: f.country.clone(),
            registration_no: f.foreign_reg_no.trim().to_string(),
            contact_phone: if phone_ok(phone) {
                phone.to_string()
            } else {
                String::new()
            },
            ..base
        },
        _ => {
            let uscc = checks.uscc(
                f.uscc.as_deref(),
                &format!("{pointer}/uscc"),
                (
                    &format!("{}“{}”", role.0, f.name),
                    &format!("{} {:?}", role.1, f.name),
                ),
                fix,
            );
            model::Party {
                uscc,
                contact_phone: if phone_ok(phone) {
                    phone.to_string()
                } else {
                    String::new()
                },
                ..base
            }
        }
    }
}

fn enterprise_uscc(ctx: &Context<'_>) -> String {
    codes::Uscc::parse(&ctx.enterprise.uscc)
        .map(|u| u.to_string())
        .unwrap_or_else(|_| ctx.enterprise.uscc.clone())
}

pub(crate) fn enterprise(ctx: &Context<'_>) -> Built {
    let e = ctx.enterprise;
    let mut checks = Checks::new(ctx.units);
    let fix = |field: &str| link("settings", None, Some(field));
    let uscc = checks.uscc(
        Some(&e.uscc),
        "/payload/uscc",
        ("企业", "the enterprise"),
        fix("uscc"),
    );
    let name = checks.required(
        &e.name,
        "/payload/name",
        ("企业名称", "the enterprise name"),
        fix("name"),
    );
    let address = checks.required(
        &e.address,
        "/payload/address",
        ("企业地址", "the enterprise address"),
        fix("address"),
    );
    let phone = e.phone.trim();
    let gcp = ctx.gs1_company_prefix.trim();
    let record = Record {
        scheme: ctx.default_scheme,
        granularity: ctx.default_granularity,
        payload: Payload::Enterprise(model::Enterprise {
            uscc,
            name,
            address,
            contact_name: e.contact.trim().to_string(),
            contact_phone: if phone_ok(phone) {
                phone.to_string()
            } else {
                String::new()
            },
            gcp: if (7..=12).contains(&gcp.len()) && gcp.bytes().all(|b| b.is_ascii_digit()) {
                gcp.to_string()
            } else {
                String::new()
            },
            production_licence_no: e.licence_no.trim().to_string(),
            production_address: e.production_address.trim().to_string(),
            client_ref: "enterprise".into(),
        }),
    };
    Built {
        source_kind: "enterprise",
        source_id: 1,
        part: 0,
        record,
        label: e.name.clone(),
        product_id: None,
        event_date: None,
        link: link("settings", None, None),
        problems: checks.problems,
    }
}

pub(crate) fn product(ctx: &Context<'_>, p: &ProductRow) -> Built {
    let mut checks = Checks::new(ctx.units);
    let fix = |field: &str| link("products", Some(p.id), Some(field));
    let product_code = checks.product_code(ctx, p, "/payload/productCode");
    let name = checks.required(
        &p.fields.name,
        "/payload/name",
        ("产品名称", "the product name"),
        fix("name"),
    );
    let model_text = checks.required(
        &p.fields.model,
        "/payload/model",
        ("规格型号", "the model"),
        fix("model"),
    );
    let ccc = p
        .fields
        .ccc_cert_no
        .as_deref()
        .filter(|c| !c.trim().is_empty())
        .map(|c| model::Ccc {
            certificate_no: c.trim().to_string(),
            valid_from: p.fields.ccc_valid_from.clone().unwrap_or_default(),
            valid_to: p.fields.ccc_valid_to.clone().unwrap_or_default(),
        });
    let record = Record {
        scheme: scheme_of(&p.fields.scheme),
        granularity: granularity_of(&p.fields.granularity),
        payload: Payload::Product(model::Product {
            enterprise_uscc: enterprise_uscc(ctx),
            product_code,
            name,
            model: model_text,
            brand: p.fields.brand.trim().to_string(),
            category: p.fields.category.trim().to_string(),
            standard: p.fields.standard.trim().to_string(),
            ccc,
            production_licence_no: p.fields.licence_no.trim().to_string(),
            production_address: p.fields.production_address.trim().to_string(),
            entrustment: (!p.fields.oem_role.is_empty()).then(|| model::Entrustment {
                role: p.fields.oem_role.clone(),
                name: p.fields.oem_name.trim().to_string(),
                uscc: p.fields.oem_uscc.clone(),
            }),
            client_ref: format!("product-{}", p.id),
        }),
    };
    Built {
        source_kind: "product",
        source_id: p.id,
        part: 0,
        label: format!("{} {}", p.fields.name, p.fields.model)
            .trim()
            .to_string(),
        record,
        product_id: Some(p.id),
        event_date: crate::entries::china_day(&p.created_at),
        link: link("products", Some(p.id), None),
        problems: checks.problems,
    }
}

mod supplier;

/// A receipt's receiving record; `codes`: the supplier's codes of the goods (contract 1.2,
/// §4.4.1), with the key component's CCC certificate from the receipt.
pub(crate) fn receipt(ctx: &Context<'_>, r: &ReceiptRow, codes: &[ReceiptCode]) -> Built {
    let mut checks = Checks::new(ctx.units);
    let fix = |field: &str| link("receipts", Some(r.id), Some(field));
    let f = &r.fields;
    let supplier = party(
        ctx,
        &mut checks,
        f.supplier_id,
        "/payload/supplier",
        ("供应商", "supplier"),
    );
    let name = checks.required(
        &f.material,
        "/payload/material/name",
        ("原料名称", "the material"),
        fix("material"),
    );
    let lot = checks.required(
        &f.supplier_lot,
        "/payload/material/lot",
        ("供应商批号", "the supplier lot"),
        fix("supplierLot"),
    );
    let (quantity, unit) = checks.amount(f.quantity, &f.unit, "/payload/material", fix);
    let pieces = (unit == "PCE").then_some(f.quantity);
    // The codes are read on the day the goods came in (the schema keeps that a real date).
    let supplied = crate::entries::parse_date(&f.received_on)
        .map(crate::entries::to_ymd)
        .and_then(|day| supplier::supplier_material(codes, day, pieces));
    let material = model::MaterialLine {
        name,
        model: f.spec.trim().to_string(),
        code: supplied
            .as_ref()
            .map(|s| s.code.clone())
            .unwrap_or_default(),
        lot,
        quantity,
        unit,
        items: supplied
            .as_ref()
            .map(|s| s.items.clone())
            .unwrap_or_default(),
        ccc: f.component_ccc.clone().unwrap_or_default(),
    };
    let inspection = checks.recorded_inspection(
        &f.inspection_result,
        f.report_no.as_deref(),
        "",
        fix("inspectionResult"),
    );
    let record = Record {
        scheme: supplied.as_ref().map_or(ctx.default_scheme, |s| s.scheme),
        granularity: supplied
            .as_ref()
            .map_or(Granularity::Batch, |s| s.granularity),
        payload: Payload::Receiving(model::Receiving {
            enterprise_uscc: enterprise_uscc(ctx),
            event_time: event_time(&f.received_on),
            supplier,
            material,
            inspection,
            purchase_order: f.docs.purchase_order_no.trim().to_string(),
            invoice_no: f.docs.invoice_no.trim().to_string(),
            delivery_note: f.docs.delivery_note_no.trim().to_string(),
            client_ref: format!("receipt-{}", r.id),
        }),
    };
    Built {
        source_kind: "receipt",
        source_id: r.id,
        part: 0,
        label: format!("{} {}", f.material, f.supplier_lot),
        record,
        product_id: None,
        event_date: Some(f.received_on.clone()),
        link: link("receipts", Some(r.id), None),
        problems: checks.problems,
    }
}

/// A production batch: the material lots in, the batch out.
pub(crate) fn batch(
    ctx: &Context<'_>,
    b: &BatchRow,
    inputs: &[(InputFields, Option<&ReceiptRow>)],
) -> Built {
    let mut checks = Checks::new(ctx.units);
    let fix = |field: &str| link("production", Some(b.id), Some(field));
    let f = &b.fields;
    let product = ctx.products.get(&f.product_id);
    let (scheme, granularity, product_code) = match product {
        Some(p) => {
            let g = match granularity_of(&p.fields.granularity) {
                // Item codes go out in commissioning records (up to 10 000 per record); the
                // production record names the batch by its lot and quantity.
                Granularity::Item => Granularity::Batch,
                g => g,
            };
            (
                scheme_of(&p.fields.scheme),
                g,
                checks.product_code(ctx, p, "/payload/output/productCode"),
            )
        }
        None => (ctx.default_scheme, Granularity::Batch, String::new()),
    };
    if inputs.is_empty() {
        checks.problems.push(problem(
            "/payload/inputs",
            "missing-inputs",
            "未记录投入的原料批次，平台要求至少一条".into(),
            "no material lots were recorded as inputs; the platform needs at least one".into(),
            fix("inputs"),
        ));
    }
    let inputs: Vec<model::Input> = inputs
        .iter()
        .enumerate()
        .map(|(i, (input, receipt))| {
            let pointer = format!("/payload/inputs/{i}");
            let Some(r) = receipt else {
                return model::Input::default();
            };
            let supplier_uscc = ctx
                .parties
                .get(&r.fields.supplier_id)
                .and_then(|p| p.fields.uscc.as_deref())
                .and_then(|u| codes::Uscc::parse(u).ok())
                .map(|u| u.to_string())
                .unwrap_or_default();
            // Contract 1.2: the lot is what traces; an amount the ledger did not record is
            // left out together with its unit, and is no gap to report.
            let (quantity, unit) = match input.quantity {
                None => (String::new(), String::new()),
                Some(_) => (
                    checks.quantity(
                        input.quantity,
                        &format!("{pointer}/quantity"),
                        fix(&format!("inputs.{i}.quantity")),
                    ),
                    checks.unit(
                        &r.fields.unit,
                        &format!("{pointer}/unit"),
                        link("receipts", Some(r.id), Some("unit")),
                    ),
                ),
            };
            model::Input {
                name: r.fields.material.trim().to_string(),
                lot: r.fields.supplier_lot.trim().to_string(),
                quantity,
                unit,
                code: String::new(),
                supplier_uscc,
                receiving_key: ctx.receiving_keys.get(&r.id).cloned().unwrap_or_default(),
            }
        })
        .collect();
    let lot = checks.required(
        &f.lot_no,
        "/payload/output/lot",
        ("批号", "the lot number"),
        fix("lotNo"),
    );
    let (quantity, unit) = checks.amount(f.quantity, &f.unit, "/payload/output", fix);
    let output = model::Line {
        product_code,
        lot,
        quantity,
        unit,
        items: Vec::new(),
    };
    let mut inspection = checks.recorded_inspection(
        &f.inspection_result,
        f.report_no.as_deref(),
        &f.inspector,
        fix("inspectionResult"),
    );
    inspection.date = f.docs.inspected_on.clone().unwrap_or_default();
    let record = Record {
        scheme,
        granularity,
        payload: Payload::Transformation(model::Transformation {
            enterprise_uscc: enterprise_uscc(ctx),
            event_time: event_time(&f.produced_on),
            inputs,
            output,
            production_date: f.produced_on.clone(),
            expiry_date: f.docs.expires_on.clone().unwrap_or_default(),
            inspection,
            work_order: f.docs.work_order_no.trim().to_string(),
            client_ref: format!("batch-{}", b.id),
        }),
    };
    Built {
        source_kind: "batch",
        source_id: b.id,
        part: 0,
        label: format!("{} 批号 {}", b.product_name, f.lot_no),
        record,
        product_id: Some(f.product_id),
        event_date: Some(f.produced_on.clone()),
        link: link("production", Some(b.id), None),
        problems: checks.problems,
    }
}

/// A shipment: item granularity when every line is a scanned item, else lots and quantities.
pub(crate) fn shipment(ctx: &Context<'_>, s: &ShipmentRow, lines: &[LineRow]) -> Built {
    let mut checks = Checks::new(ctx.units);
    let f = &s.fields;
    let fix = |field: &str| link("shipments", Some(s.id), Some(field));
    let customer = party(
        ctx,
        &mut checks,
        f.customer_id,
        "/payload/customer",
        ("客户", "customer"),
    );
    let items_only = !lines.is_empty() && lines.iter().all(|l| l.line.item_id.is_some());
    let mut schemes: Vec<Scheme> = Vec::new();
    // One goods line per batch, in the order the lines were entered.
    let mut order: Vec<i64> = Vec::new();
    let mut groups: HashMap<i64, Vec<&LineRow>> = HashMap::new();
    for l in lines {
        let entry = groups.entry(l.line.batch_id).or_default();
        if entry.is_empty() {
            order.push(l.line.batch_id);
        }
        entry.push(l);
    }
    let mut out = Vec::new();
    let mut product_id = None;
    for (i, batch_id) in order.iter().enumerate() {
        let group = &groups[batch_id];
        let first = group[0];
        let pointer = format!("/payload/lines/{i}");
        product_id = product_id.or(Some(first.product_id));
        let (code, scheme) = match ctx.products.get(&first.product_id) {
            Some(p) => (
                checks.product_code(ctx, p, &format!("{pointer}/productCode")),
                scheme_of(&p.fields.scheme),
            ),
            None => (String::new(), ctx.default_scheme),
        };
        if !schemes.contains(&scheme) {
            schemes.push(scheme);
        }
        let total: f64 = group.iter().map(|l| l.line.quantity).sum();
        let items: Vec<String> = if items_only {
            group.iter().filter_map(|l| l.serial.clone()).collect()
        } else {
            Vec::new()
        };
        let unit = if group.iter().any(|l| l.line.item_id.is_some()) && !items_only {
            "PCE".to_string()
        } else {
            checks.unit(
                &first.unit,
                &format!("{pointer}/unit"),
                link("production", Some(*batch_id), Some("unit")),
            )
        };
        out.push(model::Line {
            product_code: code,
            lot: first.lot_no.clone(),
            quantity: checks.quantity(Some(total), &format!("{pointer}/quantity"), fix("lines")),
            unit,
            items,
        });
    }
    if lines.is_empty() {
        checks.problems.push(problem(
            "/payload/lines",
            "missing-lines",
            "出库单没有明细行".into(),
            "the shipment has no lines".into(),
            fix("lines"),
        ));
    }
    if schemes.len() > 1 {
        checks.problems.push(problem(
            "/payload/lines",
            "mixed-schemes",
            "一张出库单包含不同编码体系的产品，请按编码体系分开出库".into(),
            "the shipment mixes products of different code schemes; split it by scheme".into(),
            fix("lines"),
        ));
    }
    let record = Record {
        scheme: schemes.first().copied().unwrap_or(ctx.default_scheme),
        granularity: if items_only {
            Granularity::Item
        } else {
            Granularity::Batch
        },
        payload: Payload::Shipping(model::Shipping {
            enterprise_uscc: enterprise_uscc(ctx),
            event_time: event_time(&f.shipped_on),
            customer,
            lines: out,
            ship_to: f.ship_to.trim().to_string(),
            delivery_note: f.delivery_note_no.trim().to_string(),
            order_no: f.docs.order_no.trim().to_string(),
            invoice_no: f.docs.invoice_no.trim().to_string(),
            client_ref: format!("shipment-{}", s.id),
        }),
    };
    Built {
        source_kind: "shipment",
        source_id: s.id,
        part: 0,
        label: format!("出库单 {}（{}）", f.delivery_note_no, s.customer_name),
        record,
        product_id,
        event_date: Some(f.shipped_on.clone()),
        link: link("shipments", Some(s.id), None),
        problems: checks.problems,
    }
}

/// Items per commissioning record (contract §9: 10 000 per line).
pub(crate) const ITEMS_PER_RECORD: usize = 10_000;

/// 赋码: one chunk (`part`) of an issued serial range.
pub(crate) fn allocation(
    ctx: &Context<'_>,
    a: &AllocationRow,
    part: i64,
    serials: Vec<String>,
    produced_on: Option<&str>,
) -> Built {
    // The issuing time in China time: fixed once issued, so the key never changes.
    let when = time::OffsetDateTime::parse(
        &a.created_at,
        &time::format_description::well_known::Rfc3339,
    )
    .ok()
    .and_then(|t| {
        t.to_offset(crate::entries::CHINA)
            .format(&time::format_description::well_known::Rfc3339)
            .ok()
    })
    .unwrap_or_else(|| event_time(a.created_at.get(..10).unwrap_or("2000-01-01")));
    commissioning(
        ctx,
        Commissioned {
            source_kind: "allocation",
            source_id: a.id,
            part,
            product_id: a.product_id,
            lot: a.lot_no.as_deref(),
            when,
            produced_on,
            client_ref: format!("allocation-{}-{part}", a.id),
            what_zh: "单品码",
        },
        serials,
    )
}

/// 赋码 of items an import brought (codes the factory's coder printed before tracedesk): chunk
/// `part` (1, 2, …) of batch `b`'s imported item list, dated on the batch's production day.
pub(crate) fn imported_items(
    ctx: &Context<'_>,
    b: &BatchRow,
    part: i64,
    serials: Vec<String>,
) -> Built {
    commissioning(
        ctx,
        Commissioned {
            source_kind: "batch",
            source_id: b.id,
            part,
            product_id: b.fields.product_id,
            lot: Some(b.fields.lot_no.as_str()),
            when: event_time(&b.fields.produced_on),
            produced_on: Some(b.fields.produced_on.as_str()),
            client_ref: format!("batch-{}-items-{part}", b.id),
            what_zh: "导入单品码",
        },
        serials,
    )
}

/// What a commissioning record is built from.
struct Commissioned<'a> {
    source_kind: &'static str,
    source_id: i64,
    part: i64,
    product_id: i64,
    lot: Option<&'a str>,
    /// The event time, fixed for the record's life so its key never changes.
    when: String,
    produced_on: Option<&'a str>,
    client_ref: String,
    what_zh: &'static str,
}

fn commissioning(ctx: &Context<'_>, c: Commissioned<'_>, serials: Vec<String>) -> Built {
    let mut checks = Checks::new(ctx.units);
    let (scheme, code) = match ctx.products.get(&c.product_id) {
        Some(p) => (
            scheme_of(&p.fields.scheme),
            checks.product_code(ctx, p, "/payload/line/productCode"),
        ),
        None => (ctx.default_scheme, String::new()),
    };
    let count = serials.len();
    let record = Record {
        scheme,
        granularity: Granularity::Item,
        payload: Payload::Commissioning(model::Commissioning {
            enterprise_uscc: enterprise_uscc(ctx),
            event_time: c.when.clone(),
            line: model::Line {
                product_code: code,
                lot: c.lot.unwrap_or_default().to_string(),
                quantity: String::new(),
                unit: String::new(),
                items: serials,
            },
            production_date: c.produced_on.unwrap_or("").to_string(),
            expiry_date: String::new(),
            client_ref: c.client_ref,
        }),
    };
    let product_name = ctx
        .products
        .get(&c.product_id)
        .map(|p| p.fields.name.clone())
        .unwrap_or_default();
    Built {
        source_kind: c.source_kind,
        source_id: c.source_id,
        part: c.part,
        label: format!(
            "{product_name} {} {count} 个{}",
            c.what_zh,
            c.lot.map(|l| format!("（批号 {l}）")).unwrap_or_default()
        ),
        record,
        product_id: Some(c.product_id),
        event_date: crate::entries::china_day(&c.when),
        link: link("coding", Some(c.product_id), None),
        problems: checks.problems,
    }
}

/// The record as revision `revision` of its source: revision 0 is the record itself; a later
/// revision (a correction after the platform accepted earlier ones) carries the revision in its
/// clientRef, so content that reverts to an earlier accepted version still gets a key of its own.
pub(crate) fn with_revision(record: &Record, revision: i64) -> Record {
    let mut r = record.clone();
    if revision == 0 {
        return r;
    }
    let client_ref = match &mut r.payload {
        Payload::Enterprise(p) => &mut p.client_ref,
        Payload::Product(p) => &mut p.client_ref,
        Payload::Commissioning(p) => &mut p.client_ref,
        Payload::Receiving(p) => &mut p.client_ref,
        Payload::Transformation(p) => &mut p.client_ref,
        Payload::Shipping(p) => &mut p.client_ref,
        Payload::ErrorDeclaration(p) => &mut p.client_ref,
    };
    *client_ref = format!("{client_ref}/r{revision}");
    r
}
