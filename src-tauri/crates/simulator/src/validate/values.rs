//! Value checks of contract §4.2–4.3 (text, codes, lots, quantities, dates) and the typed
//! reading of a record's JSON object that reports the first problem with its JSON pointer.

use serde_json::{Map, Value};
use time::{Date, Duration, OffsetDateTime};

use super::{Ctx, Reject, Scheme, V};
use crate::canonical::escape_pointer;
use crate::checks;

/// `Ok` when `ok`; otherwise the rejection `code` at `p`, for the reason `reason` gives.
pub(super) fn require(
    ok: bool,
    code: &'static str,
    p: &str,
    reason: impl FnOnce() -> String,
) -> V<()> {
    if ok {
        Ok(())
    } else {
        Err(Reject::new(code, reason(), p))
    }
}

pub(super) fn text(max: usize) -> impl Fn(&str, &str) -> V<()> {
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

pub(super) fn uscc(s: &str, p: &str) -> V<()> {
    checks::uscc(s).map_err(|e| {
        Reject::new(
            "E_USCC",
            format!("统一社会信用代码 {s:?} 错误：{}", e.zh()),
            p,
        )
    })
}

pub(super) fn product_code(s: &str, p: &str, scheme: Scheme) -> V<()> {
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
        Scheme::Ecode => require(
            (1..=128).contains(&s.len()) && checks::is_printable_ascii(s),
            "E_CODE",
            p,
            || format!("Ecode 编码 {s:?} 应为 1–128 位可见 ASCII 字符，不含空格"),
        ),
        Scheme::DigitalId => require(
            (1..=512).contains(&s.chars().count()) && checks::has_no_space_or_control(s),
            "E_CODE",
            p,
            || "数字身份码应为 1–512 个字符，不含空白或控制字符".to_owned(),
        ),
    }
}

pub(super) fn lot(s: &str, p: &str, scheme: Scheme) -> V<()> {
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

pub(super) fn quantity(s: &str, p: &str) -> V<()> {
    require(checks::quantity(s), "E_QUANTITY", p, || {
        format!("数量 {s:?} 应为大于 0 的数字字符串（最多 12 位整数、6 位小数，如 \"180.5\"）")
    })
}

pub(super) fn unit(s: &str, p: &str) -> V<()> {
    require(checks::unit(s), "E_UNIT", p, || {
        format!("计量单位 {s:?} 不在列表中（如 PCE 个/件、KGM 千克、MTR 米）")
    })
}

pub(super) fn phone(s: &str, p: &str) -> V<()> {
    require(checks::phone(s), "E_TEXT", p, || {
        format!("联系电话 {s:?} 格式错误：3–30 位数字及 + ( ) - 空格")
    })
}

pub(super) fn key(s: &str, p: &str) -> V<()> {
    require(checks::key(s), "E_KEY_FORMAT", p, || {
        format!("幂等键 {s:?} 格式错误：应为 64 位小写十六进制")
    })
}

pub(super) fn type_error(ptr: &str, expected: &str) -> Reject {
    Reject::new(
        "E_TYPE",
        format!("字段「{}」类型错误：应为{expected} ({ptr})", label_of(ptr)),
        ptr,
    )
}

/// Chinese labels for the reasons shown to the clerk; unknown names are shown as they are.
pub(super) fn label(name: &str) -> &str {
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
pub(super) struct Obj<'a> {
    map: &'a Map<String, Value>,
    ptr: String,
}

impl<'a> Obj<'a> {
    /// Type-checks `v` as an object and rejects members outside `allowed`.
    pub(super) fn new(v: &'a Value, ptr: &str, allowed: &[&str]) -> V<Obj<'a>> {
        let Some(map) = v.as_object() else {
            return Err(type_error(ptr, "对象"));
        };
        Obj::from_map(map, ptr.to_owned(), allowed)
    }

    pub(super) fn from_map(
        map: &'a Map<String, Value>,
        ptr: String,
        allowed: &[&str],
    ) -> V<Obj<'a>> {
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

    pub(super) fn child(&self, name: &str) -> String {
        format!("{}/{}", self.ptr, escape_pointer(name))
    }

    pub(super) fn opt(&self, name: &str) -> Option<&'a Value> {
        self.map.get(name)
    }

    pub(super) fn req(&self, name: &str) -> V<&'a Value> {
        self.map.get(name).ok_or_else(|| {
            let p = self.child(name);
            Reject::new(
                "E_REQUIRED",
                format!("缺少必填字段「{}」({p})", label(name)),
                p,
            )
        })
    }

    pub(super) fn req_str(
        &self,
        name: &str,
        check: impl FnOnce(&'a str, &str) -> V<()>,
    ) -> V<&'a str> {
        let v = self.req(name)?;
        let p = self.child(name);
        let Some(s) = v.as_str() else {
            return Err(type_error(&p, "字符串"));
        };
        check(s, &p)?;
        Ok(s)
    }

    pub(super) fn opt_str(
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

    pub(super) fn req_array(&self, name: &str, max: usize) -> V<&'a Vec<Value>> {
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

    pub(super) fn req_date(&self, name: &str) -> V<Date> {
        let mut out = None;
        self.req_str(name, |s, p| {
            out = checks::date(s);
            out.map(|_| ()).ok_or_else(|| date_error(name, s, p))
        })?;
        out.ok_or_else(|| date_error(name, "", &self.child(name)))
    }

    pub(super) fn opt_date(&self, name: &str) -> V<Option<Date>> {
        if self.map.contains_key(name) {
            self.req_date(name).map(Some)
        } else {
            Ok(None)
        }
    }

    pub(super) fn req_date_time(&self, name: &str, ctx: &Ctx) -> V<OffsetDateTime> {
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
