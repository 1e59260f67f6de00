//! Record validation, written from contract §3–§5 and §6.3. Each record is judged on its own and
//! the first problem found is reported, with a Chinese reason and a JSON pointer.

use serde_json::{Map, Value};
use time::OffsetDateTime;

use crate::canonical;
use crate::checks;

mod values;

use values::{
    Obj, key, label, lot, phone, product_code, quantity, require, text, type_error, unit, uscc,
};

/// A record-level rejection (contract §6.1): never stored, `retryable: false`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reject {
    pub code: &'static str,
    pub reason: String,
    pub pointer: Option<String>,
}

impl Reject {
    pub fn new(
        code: &'static str,
        reason: impl Into<String>,
        pointer: impl Into<String>,
    ) -> Reject {
        Reject {
            code,
            reason: reason.into(),
            pointer: Some(pointer.into()),
        }
    }
}

type V<T> = Result<T, Reject>;

/// The code schemes of contract §4.1.
// Deliberately not `codes::Scheme` / `codes::Granularity`: the simulator stands for SAMR's
// platform, which is not our code, so it reads the contract on its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scheme {
    Gs1,
    Ecode,
    DigitalId,
}

/// The granularities of contract §4.1.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Granularity {
    Product,
    Batch,
    Item,
}

/// What the batch processor needs from a record whose content is valid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checked {
    pub kind: String,
    pub scheme: String,
    pub granularity: String,
    pub declaration: Option<Declaration>,
}

/// The store-dependent part of an `errorDeclaration` (contract §5), checked by the processor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Declaration {
    pub declared_key: String,
    pub corrective_keys: Vec<String>,
}

const KINDS: [&str; 7] = [
    "enterprise",
    "product",
    "commissioning",
    "receiving",
    "transformation",
    "shipping",
    "errorDeclaration",
];

/// Step one of contract §6.3: the record is an object and its key is well-formed and matches its
/// content. Returns the record's members and its key. On failure the key (if it was a string) is
/// returned alongside so the result can echo it.
/// A record's members and key, or the key as echoed (if it was a string) with the rejection.
pub type KeyCheck<'a> = Result<(&'a Map<String, Value>, String), (Option<String>, Reject)>;

pub fn check_key(record: &Value) -> KeyCheck<'_> {
    let Some(map) = record.as_object() else {
        return Err((None, Reject::new("E_TYPE", "记录应为 JSON 对象", "")));
    };
    let key = match map.get("idempotencyKey") {
        None => {
            return Err((
                None,
                Reject::new(
                    "E_REQUIRED",
                    "缺少必填字段「幂等键」(/idempotencyKey)",
                    "/idempotencyKey",
                ),
            ));
        }
        Some(Value::String(s)) => s.clone(),
        Some(_) => {
            return Err((
                None,
                Reject::new(
                    "E_TYPE",
                    "字段「幂等键」类型错误：应为字符串",
                    "/idempotencyKey",
                ),
            ));
        }
    };
    if !checks::key(&key) {
        return Err((
            Some(key),
            Reject::new(
                "E_KEY_FORMAT",
                "幂等键格式错误：应为 64 位小写十六进制",
                "/idempotencyKey",
            ),
        ));
    }
    let computed = match canonical::idempotency_key(map) {
        Ok(k) => k,
        Err(e) => {
            return Err((
                Some(key),
                Reject::new(
                    "E_TYPE",
                    format!(
                        "记录中不允许出现 {}（{}）：可选字段请省略，数量请用字符串",
                        e.found, e.pointer
                    ),
                    e.pointer,
                ),
            ));
        }
    };
    if computed != key {
        return Err((
            Some(key),
            Reject::new(
                "E_KEY_MISMATCH",
                format!("幂等键与记录内容不符：按规范化内容计算应为 {computed}"),
                "/idempotencyKey",
            ),
        ));
    }
    Ok((map, key))
}

/// Steps two and three of contract §6.3: envelope and payload. `now` is the platform's clock.
pub fn check_content(record: &Map<String, Value>, now: OffsetDateTime) -> V<Checked> {
    let root = Obj::from_map(
        record,
        String::new(),
        &["idempotencyKey", "kind", "scheme", "granularity", "payload"],
    )?;
    let kind = root.req_str("kind", |s, p| {
        if KINDS.contains(&s) {
            Ok(())
        } else {
            Err(Reject::new("E_KIND", format!("不支持的记录类型 {s:?}"), p))
        }
    })?;
    let scheme_text = root.req_str("scheme", |s, p| {
        scheme_of(s).map(|_| ()).ok_or_else(|| {
            Reject::new(
                "E_SCHEME",
                format!("不支持的编码体系 {s:?}（应为 gs1、ecode 或 digital-id）"),
                p,
            )
        })
    })?;
    let granularity_text = root.req_str("granularity", |s, p| {
        granularity_of(s).map(|_| ()).ok_or_else(|| {
            Reject::new(
                "E_GRANULARITY",
                format!("不支持的赋码粒度 {s:?}（应为 product、batch 或 item）"),
                p,
            )
        })
    })?;
    let (Some(scheme), Some(granularity)) =
        (scheme_of(scheme_text), granularity_of(granularity_text))
    else {
        return Err(Reject::new("E_SCHEME", "编码体系或赋码粒度错误", "/scheme"));
    };
    let ctx = Ctx {
        scheme,
        granularity,
        now,
    };
    let payload_value = root.req("payload")?;
    let mut declaration = None;
    match kind {
        "enterprise" => enterprise(payload_value, &ctx)?,
        "product" => product(payload_value, &ctx)?,
        "commissioning" => commissioning(payload_value, &ctx)?,
        "receiving" => receiving(payload_value, &ctx)?,
        "transformation" => transformation(payload_value, &ctx)?,
        "shipping" => shipping(payload_value, &ctx)?,
        _ => declaration = Some(error_declaration(payload_value, &ctx)?),
    }
    Ok(Checked {
        kind: kind.to_owned(),
        scheme: scheme_text.to_owned(),
        granularity: granularity_text.to_owned(),
        declaration,
    })
}

fn scheme_of(s: &str) -> Option<Scheme> {
    match s {
        "gs1" => Some(Scheme::Gs1),
        "ecode" => Some(Scheme::Ecode),
        "digital-id" => Some(Scheme::DigitalId),
        _ => None,
    }
}

fn granularity_of(s: &str) -> Option<Granularity> {
    match s {
        "product" => Some(Granularity::Product),
        "batch" => Some(Granularity::Batch),
        "item" => Some(Granularity::Item),
        _ => None,
    }
}

struct Ctx {
    scheme: Scheme,
    granularity: Granularity,
    now: OffsetDateTime,
}

// ---- kinds (contract §4.5–4.10, §5) ----

fn enterprise(v: &Value, _ctx: &Ctx) -> V<()> {
    let o = Obj::new(
        v,
        "/payload",
        &[
            "uscc",
            "name",
            "address",
            "contactName",
            "contactPhone",
            "gcp",
            "productionLicenceNo",
            "productionAddress",
            "clientRef",
        ],
    )?;
    o.req_str("uscc", uscc)?;
    o.req_str("name", text(100))?;
    o.req_str("address", text(200))?;
    o.opt_str("contactName", text(50))?;
    o.opt_str("contactPhone", phone)?;
    o.opt_str("gcp", |s, p| {
        if (7..=12).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit()) {
            Ok(())
        } else {
            Err(Reject::new(
                "E_GCP",
                format!("厂商识别代码应为 7–12 位数字，实为 {s:?}"),
                p,
            ))
        }
    })?;
    o.opt_str("productionLicenceNo", text(50))?;
    o.opt_str("productionAddress", text(200))?;
    o.opt_str("clientRef", text(64))?;
    Ok(())
}

fn product(v: &Value, ctx: &Ctx) -> V<()> {
    let o = Obj::new(
        v,
        "/payload",
        &[
            "enterpriseUscc",
            "productCode",
            "name",
            "model",
            "brand",
            "category",
            "standard",
            "ccc",
            "productionLicenceNo",
            "productionAddress",
            "entrustment",
            "clientRef",
        ],
    )?;
    o.req_str("enterpriseUscc", uscc)?;
    o.req_str("productCode", |s, p| product_code(s, p, ctx.scheme))?;
    o.req_str("name", text(100))?;
    o.req_str("model", text(100))?;
    o.opt_str("brand", text(50))?;
    o.opt_str("category", text(100))?;
    o.opt_str("standard", text(100))?;
    if let Some(ccc) = o.opt("ccc") {
        let c = Obj::new(
            ccc,
            &o.child("ccc"),
            &["certificateNo", "validFrom", "validTo"],
        )?;
        c.req_str("certificateNo", ccc_certificate_no)?;
        let from = c.opt_date("validFrom")?;
        let to = c.opt_date("validTo")?;
        if let (Some(from), Some(to)) = (from, to)
            && to < from
        {
            return Err(Reject::new(
                "E_DATE_ORDER",
                "CCC 证书有效期截止日早于起始日",
                c.child("validTo"),
            ));
        }
    }
    o.opt_str("productionLicenceNo", text(50))?;
    o.opt_str("productionAddress", text(200))?;
    if let Some(e) = o.opt("entrustment") {
        let e = Obj::new(e, &o.child("entrustment"), &["role", "name", "uscc"])?;
        e.req_str("role", |s, p| {
            if s == "manufacturer" || s == "principal" {
                Ok(())
            } else {
                Err(Reject::new(
                    "E_ENTRUSTMENT",
                    format!("委托生产的 role 应为 \"manufacturer\"（受托生产）或 \"principal\"（委托方），实为 {s:?}"),
                    p,
                ))
            }
        })?;
        e.req_str("name", text(100))?;
        e.req_str("uscc", uscc)?;
    }
    o.opt_str("clientRef", text(64))?;
    Ok(())
}

fn commissioning(v: &Value, ctx: &Ctx) -> V<()> {
    let o = Obj::new(
        v,
        "/payload",
        &[
            "enterpriseUscc",
            "eventTime",
            "line",
            "productionDate",
            "expiryDate",
            "clientRef",
        ],
    )?;
    o.req_str("enterpriseUscc", uscc)?;
    o.req_date_time("eventTime", ctx)?;
    line(o.req("line")?, &o.child("line"), ctx)?;
    production_and_expiry(&o, false)?;
    o.opt_str("clientRef", text(64))?;
    Ok(())
}

fn receiving(v: &Value, ctx: &Ctx) -> V<()> {
    let o = Obj::new(
        v,
        "/payload",
        &[
            "enterpriseUscc",
            "eventTime",
            "supplier",
            "material",
            "inspection",
            "purchaseOrder",
            "invoiceNo",
            "deliveryNote",
            "clientRef",
        ],
    )?;
    o.req_str("enterpriseUscc", uscc)?;
    o.req_date_time("eventTime", ctx)?;
    party(o.req("supplier")?, &o.child("supplier"), ctx)?;
    material_line(o.req("material")?, &o.child("material"), ctx)?;
    inspection(o.req("inspection")?, &o.child("inspection"))?;
    o.opt_str("purchaseOrder", text(50))?;
    o.opt_str("invoiceNo", text(50))?;
    o.opt_str("deliveryNote", text(50))?;
    o.opt_str("clientRef", text(64))?;
    Ok(())
}

fn transformation(v: &Value, ctx: &Ctx) -> V<()> {
    let o = Obj::new(
        v,
        "/payload",
        &[
            "enterpriseUscc",
            "eventTime",
            "inputs",
            "output",
            "productionDate",
            "expiryDate",
            "inspection",
            "workOrder",
            "clientRef",
        ],
    )?;
    o.req_str("enterpriseUscc", uscc)?;
    o.req_date_time("eventTime", ctx)?;
    let inputs = o.req_array("inputs", 200)?;
    for (i, item) in inputs.iter().enumerate() {
        input(item, &format!("{}/{i}", o.child("inputs")))?;
    }
    line(o.req("output")?, &o.child("output"), ctx)?;
    production_and_expiry(&o, true)?;
    inspection(o.req("inspection")?, &o.child("inspection"))?;
    o.opt_str("workOrder", text(50))?;
    o.opt_str("clientRef", text(64))?;
    Ok(())
}

fn shipping(v: &Value, ctx: &Ctx) -> V<()> {
    let o = Obj::new(
        v,
        "/payload",
        &[
            "enterpriseUscc",
            "eventTime",
            "customer",
            "lines",
            "shipTo",
            "deliveryNote",
            "orderNo",
            "invoiceNo",
            "clientRef",
        ],
    )?;
    o.req_str("enterpriseUscc", uscc)?;
    o.req_date_time("eventTime", ctx)?;
    party(o.req("customer")?, &o.child("customer"), ctx)?;
    let lines = o.req_array("lines", 500)?;
    for (i, item) in lines.iter().enumerate() {
        line(item, &format!("{}/{i}", o.child("lines")), ctx)?;
    }
    o.opt_str("shipTo", text(200))?;
    o.opt_str("deliveryNote", text(50))?;
    o.opt_str("orderNo", text(50))?;
    o.opt_str("invoiceNo", text(50))?;
    o.opt_str("clientRef", text(64))?;
    Ok(())
}

fn error_declaration(v: &Value, ctx: &Ctx) -> V<Declaration> {
    let o = Obj::new(
        v,
        "/payload",
        &[
            "declaredKey",
            "declarationTime",
            "reason",
            "reasonText",
            "correctiveKeys",
            "clientRef",
        ],
    )?;
    let declared_key = o.req_str("declaredKey", key)?;
    o.req_date_time("declarationTime", ctx)?;
    let reason = o.req_str("reason", |s, p| {
        if s == "incorrect_data" || s == "did_not_occur" {
            Ok(())
        } else {
            Err(Reject::new(
                "E_REASON",
                format!("更正原因应为 incorrect_data 或 did_not_occur，实为 {s:?}"),
                p,
            ))
        }
    })?;
    o.opt_str("reasonText", text(200))?;
    let keys_ptr = o.child("correctiveKeys");
    let Some(keys) = o.req("correctiveKeys")?.as_array() else {
        return Err(type_error(&keys_ptr, "数组"));
    };
    let mut corrective_keys = Vec::with_capacity(keys.len());
    for (i, k) in keys.iter().enumerate() {
        let p = format!("{keys_ptr}/{i}");
        let Some(s) = k.as_str() else {
            return Err(type_error(&p, "字符串"));
        };
        key(s, &p)?;
        if s == declared_key || corrective_keys.iter().any(|c: &String| c == s) {
            return Err(Reject::new(
                "E_CORRECTIVE_KEYS",
                "更正记录的幂等键重复，或与被更正记录相同",
                p,
            ));
        }
        corrective_keys.push(s.to_owned());
    }
    let count_ok = if reason == "incorrect_data" {
        (1..=50).contains(&corrective_keys.len())
    } else {
        corrective_keys.is_empty()
    };
    if !count_ok {
        return Err(Reject::new(
            "E_CORRECTIVE_KEYS",
            "incorrect_data 须列出 1–50 条更正记录；did_not_occur 不应列出更正记录",
            keys_ptr,
        ));
    }
    o.opt_str("clientRef", text(64))?;
    Ok(Declaration {
        declared_key: declared_key.to_owned(),
        corrective_keys,
    })
}

// ---- shared parts (contract §4.4) ----

fn line(v: &Value, ptr: &str, ctx: &Ctx) -> V<()> {
    let o = Obj::new(v, ptr, &["productCode", "lot", "quantity", "unit", "items"])?;
    o.req_str("productCode", |s, p| product_code(s, p, ctx.scheme))?;
    goods(&o, ctx)
}

/// A CCC 证书编号 (contract §4.6 and, since 1.2, §4.4.1): 16 digits, or 12 for early certificates.
fn ccc_certificate_no(s: &str, p: &str) -> V<()> {
    if (s.len() == 16 || s.len() == 12) && s.bytes().all(|b| b.is_ascii_digit()) {
        Ok(())
    } else {
        Err(Reject::new(
            "E_CCC",
            format!("CCC 证书编号应为 16 位数字（早期证书 12 位），实为 {s:?}"),
            p,
        ))
    }
}

fn material_line(v: &Value, ptr: &str, ctx: &Ctx) -> V<()> {
    let o = Obj::new(
        v,
        ptr,
        &[
            "name", "model", "code", "lot", "quantity", "unit", "items", "ccc",
        ],
    )?;
    o.req_str("name", text(100))?;
    o.opt_str("model", text(100))?;
    // 1.2: a key component's CCC certificate (§4.4.1).
    if let Some(ccc) = o.opt("ccc") {
        let c = Obj::new(ccc, &o.child("ccc"), &["certificateNo"])?;
        c.req_str("certificateNo", ccc_certificate_no)?;
    }
    // Serials only mean something under their GTIN, so gs1 item-level material needs its code.
    if ctx.scheme == Scheme::Gs1 && ctx.granularity == Granularity::Item {
        o.req_str("code", |s, p| product_code(s, p, ctx.scheme))?;
    } else {
        o.opt_str("code", |s, p| product_code(s, p, ctx.scheme))?;
    }
    goods(&o, ctx)
}

/// `lot`, `quantity`, `unit`, `items` by granularity (contract §4.4 table).
fn goods(o: &Obj<'_>, ctx: &Ctx) -> V<()> {
    let forbid = |name: &str| -> V<()> {
        if o.opt(name).is_some() {
            let g = match ctx.granularity {
                Granularity::Product => "product",
                Granularity::Batch => "batch",
                Granularity::Item => "item",
            };
            Err(Reject::new(
                "E_GRANULARITY",
                format!("赋码粒度为 {g} 时不应填写「{}」", label(name)),
                o.child(name),
            ))
        } else {
            Ok(())
        }
    };
    let lot_check = |s: &str, p: &str| lot(s, p, ctx.scheme);
    match ctx.granularity {
        Granularity::Product => {
            o.opt_str("lot", lot_check)?;
            o.req_str("quantity", quantity)?;
            o.req_str("unit", unit)?;
            forbid("items")
        }
        Granularity::Batch => {
            o.req_str("lot", lot_check)?;
            o.req_str("quantity", quantity)?;
            o.req_str("unit", unit)?;
            forbid("items")
        }
        Granularity::Item => {
            o.opt_str("lot", lot_check)?;
            forbid("quantity")?;
            forbid("unit")?;
            items(o, ctx.scheme)
        }
    }
}

fn items(o: &Obj<'_>, scheme: Scheme) -> V<()> {
    let ptr = o.child("items");
    let Some(list) = o.req("items")?.as_array() else {
        return Err(type_error(&ptr, "数组"));
    };
    if list.is_empty() || list.len() > 10_000 {
        return Err(Reject::new(
            "E_ITEMS",
            format!("单品码应有 1–10000 个，实为 {} 个", list.len()),
            ptr,
        ));
    }
    let mut seen = std::collections::HashSet::with_capacity(list.len());
    for (i, item) in list.iter().enumerate() {
        let p = format!("{ptr}/{i}");
        let Some(s) = item.as_str() else {
            return Err(type_error(&p, "字符串"));
        };
        let ok = match scheme {
            Scheme::Gs1 => (1..=20).contains(&s.len()) && checks::is_cset82(s),
            Scheme::Ecode => (1..=128).contains(&s.len()) && checks::is_printable_ascii(s),
            Scheme::DigitalId => {
                (1..=512).contains(&s.chars().count()) && checks::has_no_space_or_control(s)
            }
        };
        if !ok {
            let rule = match scheme {
                Scheme::Gs1 => "GS1 序列号应为 1–20 位 CSET 82 字符（不含空格、中文）",
                Scheme::Ecode => "Ecode 应为 1–128 位可见 ASCII 字符，不含空格",
                Scheme::DigitalId => "数字身份码应为 1–512 个字符，不含空白或控制字符",
            };
            return Err(Reject::new(
                "E_ITEMS",
                format!("单品码 {s:?} 格式错误：{rule}"),
                p,
            ));
        }
        if !seen.insert(s) {
            return Err(Reject::new("E_ITEMS", format!("单品码 {s:?} 重复"), p));
        }
    }
    Ok(())
}

fn input(v: &Value, ptr: &str) -> V<()> {
    let o = Obj::new(
        v,
        ptr,
        &[
            "name",
            "lot",
            "quantity",
            "unit",
            "code",
            "supplierUscc",
            "receivingKey",
        ],
    )?;
    o.req_str("name", text(100))?;
    o.req_str("lot", text(64))?;
    // Contract 1.2: the amount of an input is optional (the lot is what traces), but a quantity
    // needs its unit and a unit says nothing without a quantity.
    if o.opt_str("quantity", quantity)?.is_some() {
        o.req_str("unit", unit)?;
    } else if o.opt("unit").is_some() {
        o.req_str("quantity", quantity)?;
    }
    o.opt_str("code", |s, p| {
        if (1..=512).contains(&s.chars().count()) && checks::has_no_space_or_control(s) {
            Ok(())
        } else {
            Err(Reject::new(
                "E_CODE",
                "原料编码应为 1–512 个字符，不含空白或控制字符",
                p,
            ))
        }
    })?;
    o.opt_str("supplierUscc", uscc)?;
    o.opt_str("receivingKey", key)?;
    Ok(())
}

/// §4.4 Party: an organisation (no `kind`, or `organisation`: USCC required, as in 1.0/1.1), an
/// `individual` (masked ID card and/or mobile number and the consent time; never a full number)
/// or a `foreign` buyer (country, registration number).
fn party(v: &Value, ptr: &str, ctx: &Ctx) -> V<()> {
    let o = Obj::new(
        v,
        ptr,
        &[
            "kind",
            "name",
            "uscc",
            "address",
            "contactName",
            "contactPhone",
            "idNumberMasked",
            "mobileMasked",
            "consentAt",
            "country",
            "registrationNo",
        ],
    )?;
    let mut kind = String::from("organisation");
    o.opt_str("kind", |s, p| {
        if ["organisation", "individual", "foreign"].contains(&s) {
            kind = s.to_string();
            Ok(())
        } else {
            Err(Reject::new(
                "E_PARTY_KIND",
                format!("主体类型 kind 应为 organisation、individual 或 foreign，实为 {s:?}"),
                p,
            ))
        }
    })?;
    // Members that belong to another kind of party are refused, so nothing personal slips in.
    let allowed: &[&str] = match kind.as_str() {
        "individual" => &["idNumberMasked", "mobileMasked", "consentAt"],
        "foreign" => &["country", "registrationNo", "contactPhone"],
        _ => &["uscc", "contactPhone"],
    };
    for member in [
        "uscc",
        "contactPhone",
        "idNumberMasked",
        "mobileMasked",
        "consentAt",
        "country",
        "registrationNo",
    ] {
        if !allowed.contains(&member) && o.opt(member).is_some() {
            return Err(Reject::new(
                "E_PARTY_KIND",
                format!("{kind} 类型的主体不应有 {member}"),
                o.child(member),
            ));
        }
    }
    o.req_str("name", text(100))?;
    o.opt_str("address", text(200))?;
    o.opt_str("contactName", text(50))?;
    match kind.as_str() {
        "individual" => {
            o.opt_str("idNumberMasked", |s, p| {
                require(checks::masked_id(s), "E_PERSONAL_DATA", p, || {
                    format!(
                        "身份证号只能报送遮蔽形式（前 3 位、11 个 *、后 4 位），实为 {} 位字符",
                        s.chars().count()
                    )
                })
            })?;
            o.opt_str("mobileMasked", |s, p| {
                require(checks::masked_mobile(s), "E_PERSONAL_DATA", p, || {
                    "手机号只能报送遮蔽形式（前 3 位、4 个 *、后 4 位）".to_string()
                })
            })?;
            if o.opt("idNumberMasked").is_some() || o.opt("mobileMasked").is_some() {
                o.req_date_time("consentAt", ctx)?;
            } else {
                o.opt_str("consentAt", |_, _| Ok(()))?;
            }
        }
        "foreign" => {
            o.req_str("country", |s, p| {
                require(checks::country(s), "E_COUNTRY", p, || {
                    format!("国家/地区 {s:?} 不是 ISO 3166-1 两位代码")
                })
            })?;
            o.opt_str("registrationNo", text(64))?;
            o.opt_str("contactPhone", phone)?;
        }
        _ => {
            o.req_str("uscc", uscc)?;
            o.opt_str("contactPhone", phone)?;
        }
    }
    Ok(())
}

fn inspection(v: &Value, ptr: &str) -> V<()> {
    let o = Obj::new(v, ptr, &["result", "reportNo", "inspector", "date"])?;
    o.req_str("result", |s, p| {
        if s == "pass" || s == "fail" {
            Ok(())
        } else {
            Err(Reject::new(
                "E_INSPECTION",
                format!("检验结果应为 pass（合格）或 fail（不合格），实为 {s:?}"),
                p,
            ))
        }
    })?;
    o.opt_str("reportNo", text(64))?;
    o.opt_str("inspector", text(50))?;
    o.opt_date("date")?;
    Ok(())
}

fn production_and_expiry(o: &Obj<'_>, production_required: bool) -> V<()> {
    let production = if production_required {
        Some(o.req_date("productionDate")?)
    } else {
        o.opt_date("productionDate")?
    };
    let expiry = o.opt_date("expiryDate")?;
    if let (Some(p), Some(e)) = (production, expiry)
        && e < p
    {
        return Err(Reject::new(
            "E_DATE_ORDER",
            "有效期早于生产日期",
            o.child("expiryDate"),
        ));
    }
    Ok(())
}
