//! Record validation, written from contract §3–§5 and §6.3. Each record is judged on its own and
//! the first problem found is reported, with a Chinese reason and a JSON pointer.

use serde_json::{Map, Value};
use time::{Date, Duration, OffsetDateTime};

use crate::canonical::{self, escape_pointer};
use crate::checks;

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
        c.req_str("certificateNo", |s, p| {
            if (s.len() == 16 || s.len() == 12) && s.bytes().all(|b| b.is_ascii_digit()) {
                Ok(())
            } else {
                Err(Reject::new(
                    "E_CCC",
                    format!("CCC 证书编号应为 16 位数字（早期证书 12 位），实为 {s:?}"),
                    p,
                ))
            }
        })?;
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
    party(o.req("supplier")?, &o.child("supplier"))?;
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
            "deliveryNote",
            "orderNo",
            "invoiceNo",
            "clientRef",
        ],
    )?;
    o.req_str("enterpriseUscc", uscc)?;
    o.req_date_time("eventTime", ctx)?;
    party(o.req("customer")?, &o.child("customer"))?;
    let lines = o.req_array("lines", 500)?;
    for (i, item) in lines.iter().enumerate() {
        line(item, &format!("{}/{i}", o.child("lines")), ctx)?;
    }
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

fn material_line(v: &Value, ptr: &str, ctx: &Ctx) -> V<()> {
    let o = Obj::new(
        v,
        ptr,
        &["name", "model", "code", "lot", "quantity", "unit", "items"],
    )?;
    o.req_str("name", text(100))?;
    o.opt_str("model", text(100))?;
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
    o.req_str("quantity", quantity)?;
    o.req_str("unit", unit)?;
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

fn party(v: &Value, ptr: &str) -> V<()> {
    let o = Obj::new(
        v,
        ptr,
        &["name", "uscc", "address", "contactName", "contactPhone"],
    )?;
    o.req_str("name", text(100))?;
    o.req_str("uscc", uscc)?;
    o.opt_str("address", text(200))?;
    o.opt_str("contactName", text(50))?;
    o.opt_str("contactPhone", phone)?;
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

// ---- value checks (contract §4.2–4.3) ----

fn text(max: usize) -> impl Fn(&str, &str) -> V<()> {
    move |s, p| {
        if s.trim().is_empty() {
            return Err(Reject::new(
                "E_REQUIRED",
                format!("「{}」不能为空 ({p})", label_of(p)),
                p,
            ));
        }
        let n = s.chars().count();
        if n > max {
            return Err(Reject::new(
                "E_TOO_LONG",
                format!("「{}」过长：最多 {max} 个字符，实为 {n} 个", label_of(p)),
                p,
            ));
        }
        if s.chars().any(checks::is_text_control) {
            return Err(Reject::new(
                "E_TEXT",
                format!("「{}」含控制字符（如换行）", label_of(p)),
                p,
            ));
        }
        Ok(())
    }
}

fn uscc(s: &str, p: &str) -> V<()> {
    checks::uscc(s).map_err(|e| {
        Reject::new(
            "E_USCC",
            format!("统一社会信用代码 {s:?} 错误：{}", e.zh()),
            p,
        )
    })
}

fn product_code(s: &str, p: &str, scheme: Scheme) -> V<()> {
    match scheme {
        Scheme::Gs1 => match checks::gtin14(s) {
            Ok(()) => Ok(()),
            Err(Some((expected, found))) => Err(Reject::new(
                "E_GTIN",
                format!("商品条码(GTIN) {s} 校验位错误：应为 {expected}，实为 {found}"),
                p,
            )),
            Err(None) => Err(Reject::new(
                "E_GTIN",
                format!("商品条码(GTIN)应为 14 位数字（8/12/13 位请在左侧补 0），实为 {s:?}"),
                p,
            )),
        },
        Scheme::Ecode => {
            if (1..=128).contains(&s.len()) && checks::is_printable_ascii(s) {
                Ok(())
            } else {
                Err(Reject::new(
                    "E_CODE",
                    format!("Ecode 编码 {s:?} 应为 1–128 位可见 ASCII 字符，不含空格"),
                    p,
                ))
            }
        }
        Scheme::DigitalId => {
            if (1..=512).contains(&s.chars().count()) && checks::has_no_space_or_control(s) {
                Ok(())
            } else {
                Err(Reject::new(
                    "E_CODE",
                    "数字身份码应为 1–512 个字符，不含空白或控制字符",
                    p,
                ))
            }
        }
    }
}

fn lot(s: &str, p: &str, scheme: Scheme) -> V<()> {
    let ok = match scheme {
        Scheme::Gs1 => (1..=20).contains(&s.len()) && checks::is_cset82(s),
        Scheme::Ecode | Scheme::DigitalId => {
            (1..=64).contains(&s.chars().count()) && checks::has_no_space_or_control(s)
        }
    };
    if ok {
        Ok(())
    } else if scheme == Scheme::Gs1 {
        Err(Reject::new(
            "E_LOT",
            format!(
                "批号 {s:?} 不符合 GS1 规则：1–20 位，仅限字母、数字及 CSET 82 符号，不含空格和中文"
            ),
            p,
        ))
    } else {
        Err(Reject::new(
            "E_LOT",
            format!("批号 {s:?} 应为 1–64 个字符，不含空白或控制字符"),
            p,
        ))
    }
}

fn quantity(s: &str, p: &str) -> V<()> {
    if checks::quantity(s) {
        Ok(())
    } else {
        Err(Reject::new(
            "E_QUANTITY",
            format!("数量 {s:?} 应为大于 0 的数字字符串（最多 12 位整数、6 位小数，如 \"180.5\"）"),
            p,
        ))
    }
}

fn unit(s: &str, p: &str) -> V<()> {
    if checks::unit(s) {
        Ok(())
    } else {
        Err(Reject::new(
            "E_UNIT",
            format!("计量单位 {s:?} 不在列表中（如 PCE 个/件、KGM 千克、MTR 米）"),
            p,
        ))
    }
}

fn phone(s: &str, p: &str) -> V<()> {
    if checks::phone(s) {
        Ok(())
    } else {
        Err(Reject::new(
            "E_TEXT",
            format!("联系电话 {s:?} 格式错误：3–30 位数字及 + ( ) - 空格"),
            p,
        ))
    }
}

fn key(s: &str, p: &str) -> V<()> {
    if checks::key(s) {
        Ok(())
    } else {
        Err(Reject::new(
            "E_KEY_FORMAT",
            format!("幂等键 {s:?} 格式错误：应为 64 位小写十六进制"),
            p,
        ))
    }
}

fn type_error(ptr: &str, expected: &str) -> Reject {
    Reject::new(
        "E_TYPE",
        format!("字段「{}」类型错误：应为{expected} ({ptr})", label_of(ptr)),
        ptr,
    )
}

/// Chinese labels for the reasons shown to the clerk; unknown names are shown as they are.
fn label(name: &str) -> &str {
    match name {
        "idempotencyKey" => "幂等键",
        "kind" => "记录类型",
        "scheme" => "编码体系",
        "granularity" => "赋码粒度",
        "payload" => "记录内容",
        "uscc" => "统一社会信用代码",
        "enterpriseUscc" => "报送企业统一社会信用代码",
        "supplierUscc" => "供应商统一社会信用代码",
        "name" => "名称",
        "address" => "地址",
        "contactName" => "联系人",
        "contactPhone" => "联系电话",
        "gcp" => "厂商识别代码",
        "productionLicenceNo" => "生产许可证编号",
        "productCode" => "产品编码",
        "model" => "规格型号",
        "brand" => "品牌",
        "category" => "产品类别",
        "standard" => "执行标准",
        "ccc" => "CCC 认证",
        "certificateNo" => "CCC 证书编号",
        "validFrom" => "有效期起",
        "validTo" => "有效期止",
        "eventTime" => "业务时间",
        "line" | "output" => "产品",
        "lines" => "出库明细",
        "productionDate" => "生产日期",
        "expiryDate" => "有效期",
        "supplier" => "供应商",
        "customer" => "客户",
        "material" => "原料",
        "inspection" => "检验信息",
        "result" => "检验结果",
        "reportNo" => "报告编号",
        "inspector" => "检验员",
        "date" => "日期",
        "purchaseOrder" => "采购单号",
        "invoiceNo" => "发票号",
        "deliveryNote" => "送货/出库单号",
        "orderNo" => "订单号",
        "inputs" => "投入原料",
        "workOrder" => "生产工单号",
        "code" => "编码",
        "lot" => "批号",
        "quantity" => "数量",
        "unit" => "计量单位",
        "items" => "单品码",
        "receivingKey" => "进货记录幂等键",
        "declaredKey" => "被更正记录幂等键",
        "declarationTime" => "更正时间",
        "reason" => "更正原因",
        "reasonText" => "更正说明",
        "correctiveKeys" => "更正记录幂等键",
        "clientRef" => "客户端记录编号",
        other => other,
    }
}

/// The label of the last non-index segment of a pointer.
fn label_of(ptr: &str) -> &str {
    let name = ptr
        .rsplit('/')
        .find(|seg| !seg.is_empty() && !seg.bytes().all(|b| b.is_ascii_digit()))
        .unwrap_or("");
    label(name)
}

/// An object being validated, with its pointer from the record root.
struct Obj<'a> {
    map: &'a Map<String, Value>,
    ptr: String,
}

impl<'a> Obj<'a> {
    /// Type-checks `v` as an object and rejects members outside `allowed`.
    fn new(v: &'a Value, ptr: &str, allowed: &[&str]) -> V<Obj<'a>> {
        let Some(map) = v.as_object() else {
            return Err(type_error(ptr, "对象"));
        };
        Obj::from_map(map, ptr.to_owned(), allowed)
    }

    fn from_map(map: &'a Map<String, Value>, ptr: String, allowed: &[&str]) -> V<Obj<'a>> {
        // Report unknown members in sorted order so the answer does not depend on map ordering.
        let mut unknown: Vec<&String> = map
            .keys()
            .filter(|k| !allowed.contains(&k.as_str()))
            .collect();
        unknown.sort();
        if let Some(name) = unknown.first() {
            let p = format!("{ptr}/{}", escape_pointer(name));
            return Err(Reject::new(
                "E_UNKNOWN_FIELD",
                format!("未知字段 {name:?} ({p})，请检查拼写"),
                p,
            ));
        }
        Ok(Obj { map, ptr })
    }

    fn child(&self, name: &str) -> String {
        format!("{}/{}", self.ptr, escape_pointer(name))
    }

    fn opt(&self, name: &str) -> Option<&'a Value> {
        self.map.get(name)
    }

    fn req(&self, name: &str) -> V<&'a Value> {
        self.map.get(name).ok_or_else(|| {
            let p = self.child(name);
            Reject::new(
                "E_REQUIRED",
                format!("缺少必填字段「{}」({p})", label(name)),
                p,
            )
        })
    }

    fn req_str(&self, name: &str, check: impl FnOnce(&'a str, &str) -> V<()>) -> V<&'a str> {
        let v = self.req(name)?;
        let p = self.child(name);
        let Some(s) = v.as_str() else {
            return Err(type_error(&p, "字符串"));
        };
        check(s, &p)?;
        Ok(s)
    }

    fn opt_str(
        &self,
        name: &str,
        check: impl FnOnce(&'a str, &str) -> V<()>,
    ) -> V<Option<&'a str>> {
        if self.map.contains_key(name) {
            self.req_str(name, check).map(Some)
        } else {
            Ok(None)
        }
    }

    fn req_array(&self, name: &str, max: usize) -> V<&'a Vec<Value>> {
        let p = self.child(name);
        let Some(list) = self.req(name)?.as_array() else {
            return Err(type_error(&p, "数组"));
        };
        if list.is_empty() {
            return Err(Reject::new(
                "E_REQUIRED",
                format!("「{}」至少需要 1 条", label(name)),
                p,
            ));
        }
        if list.len() > max {
            return Err(Reject::new(
                "E_TOO_LONG",
                format!("「{}」最多 {max} 条，实为 {} 条", label(name), list.len()),
                p,
            ));
        }
        Ok(list)
    }

    fn req_date(&self, name: &str) -> V<Date> {
        let mut out = None;
        self.req_str(name, |s, p| {
            out = checks::date(s);
            out.map(|_| ()).ok_or_else(|| date_error(name, s, p))
        })?;
        out.ok_or_else(|| date_error(name, "", &self.child(name)))
    }

    fn opt_date(&self, name: &str) -> V<Option<Date>> {
        if self.map.contains_key(name) {
            self.req_date(name).map(Some)
        } else {
            Ok(None)
        }
    }

    fn req_date_time(&self, name: &str, ctx: &Ctx) -> V<OffsetDateTime> {
        let mut out = None;
        self.req_str(name, |s, p| {
            let Some(t) = checks::date_time(s) else {
                return Err(Reject::new(
                    "E_DATE",
                    format!(
                        "「{}」{s:?} 格式错误：应为带时区的 ISO 8601 时间，如 2025-07-15T10:20:00+08:00",
                        label(name)
                    ),
                    p,
                ));
            };
            if t > ctx.now + Duration::hours(24) {
                return Err(Reject::new(
                    "E_FUTURE_TIME",
                    format!("「{}」{s} 晚于平台当前时间，请检查日期或电脑时间", label(name)),
                    p,
                ));
            }
            out = Some(t);
            Ok(())
        })?;
        out.ok_or_else(|| Reject::new("E_DATE", "时间格式错误", self.child(name)))
    }
}

fn date_error(name: &str, s: &str, p: &str) -> Reject {
    Reject::new(
        "E_DATE",
        format!(
            "「{}」{s:?} 不是有效日期：应为 YYYY-MM-DD（2000–2099 年）",
            label(name)
        ),
        p,
    )
}
