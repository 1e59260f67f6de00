//! Products (一品): master data with GTIN and CCC checks, and GTINs generated from the
//! enterprise's 厂商识别代码.

use crate::messages::Msg;
use codes::problem::Fault;
use codes::{Gtin, Problem};

use crate::entries::{Problems, ensure_editable, iso, list_params, parse_date, today};
use crate::{
    ApiError, App, CatalogueEntry, CodeScheme, FieldProblem, Granularity, GtinCheck,
    GtinSuggestion, ListQuery, OemRole, Page, Product, ProductInput, RecordKind, Result,
};

/// Half-width digits, spaces and dashes taken out: how a GTIN is compared.
fn gtin_digits(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '\u{FF10}'..='\u{FF19}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            _ => c,
        })
        .filter(|c| !c.is_whitespace() && *c != '-')
        .collect()
}

/// The forms one GTIN may be stored in: as 14 digits and without its leading zeros (13, 12, 8).
pub(crate) fn gtin_forms(gtin14: &str) -> Vec<String> {
    let mut forms = vec![gtin14.to_string()];
    for len in [13, 12, 8] {
        let cut = 14 - len;
        if gtin14.len() == 14 && gtin14[..cut].bytes().all(|b| b == b'0') {
            forms.push(gtin14[cut..].to_string());
        }
    }
    forms
}

/// The live verdict on a GTIN as typed: valid, or what is wrong, and with a wrong check digit the
/// digit it should be.
pub fn check_gtin(text: &str) -> GtinCheck {
    let normalized = gtin_digits(text);
    match Gtin::parse(&normalized) {
        Ok(g) => GtinCheck {
            valid: true,
            kind: Some(g.kind().to_string()),
            gtin14: Some(g.to_gtin14()),
            expected_check_digit: None,
            corrected: None,
            message_zh: format!("{} 校验通过", g.kind()),
            message_en: format!("valid {}", g.kind()),
            normalized,
        },
        Err(err) => {
            let (expected, corrected) = match &err {
                codes::gs1::KeyError::CheckDigit { expected, .. } => (
                    Some(*expected),
                    Some(format!(
                        "{}{expected}",
                        &normalized[..normalized.len().saturating_sub(1)]
                    )),
                ),
                _ => (None, None),
            };
            // Name the GTIN once: the length and empty messages already start with it.
            let zh_reason = err.zh();
            let mut zh = if zh_reason.starts_with("GTIN") {
                zh_reason
            } else {
                format!("GTIN {zh_reason}")
            };
            let mut en = format!("GTIN: {err}");
            if let Some(c) = &corrected {
                zh.push_str(&format!("（正确的 GTIN 应为 {c}）"));
                en.push_str(&format!(" (the correct GTIN would be {c})"));
            }
            GtinCheck {
                valid: false,
                kind: None,
                gtin14: None,
                expected_check_digit: expected,
                corrected,
                message_zh: zh,
                message_en: en,
                normalized,
            }
        }
    }
}

pub(crate) fn problem_of(field: &str, p: &Problem, problems: &mut Problems) {
    if p.is_error() {
        problems.error(field, &p.code, p.message.zh.clone(), p.message.en.clone());
    } else {
        problems.warning(field, &p.code, p.message.zh.clone(), p.message.en.clone());
    }
}

/// A CCC 证书编号 checked by `codes::ccc`: the number when it can be stored (warnings, such as a
/// product code the catalogue in use does not know, are added to `p`), `None` when blank or refused.
pub(crate) fn ccc_cert(
    field: &str,
    text: &str,
    today: time::Date,
    catalogue: &codes::ccc::CccCatalogue,
    p: &mut Problems,
) -> Option<String> {
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    match codes::CccCertNo::parse(text, codes::ccc::valid_years(today.year())) {
        Ok(cert) => {
            for w in cert.warnings_in(catalogue) {
                problem_of(field, &w, p);
            }
            Some(cert.as_str().to_string())
        }
        Err(problems) => {
            for problem in problems.iter() {
                problem_of(field, problem, p);
            }
            None
        }
    }
}

fn split_models(models: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for m in models
        .iter()
        .flat_map(|m| m.split(['\n', ',', '，', '、', ';', '；']))
    {
        let m = m.trim();
        if !m.is_empty() && !out.iter().any(|o| o == m) {
            out.push(m.to_string());
        }
    }
    out
}

/// The product as the UI sees it; `entries` are the catalogue entries in use, for its category's
/// name.
pub(crate) fn product_dto(entries: &[CatalogueEntry], row: store::products::ProductRow) -> Product {
    let f = row.fields;
    Product {
        id: row.id,
        category_name: entries
            .iter()
            .find(|e| e.code == f.category)
            .map(|e| e.name.clone()),
        name: f.name,
        model: f.model,
        category: f.category,
        brand: f.brand,
        standard: f.standard,
        gtin: f.gtin,
        scheme: CodeScheme::from_db(&f.scheme),
        granularity: Granularity::from_db(&f.granularity),
        ccc_cert_no: f.ccc_cert_no,
        ccc_valid_from: f.ccc_valid_from,
        ccc_valid_to: f.ccc_valid_to,
        ccc_mark_no: f.ccc_mark_no,
        ccc_models: f
            .ccc_models
            .lines()
            .filter(|l| !l.trim().is_empty())
            .map(str::to_string)
            .collect(),
        licence_no: f.licence_no,
        production_address: f.production_address,
        oem_role: match f.oem_role.as_str() {
            "manufacturer" => OemRole::Manufacturer,
            "principal" => OemRole::Principal,
            _ => OemRole::None,
        },
        oem_name: f.oem_name,
        oem_uscc: f.oem_uscc,
        batch_count: row.batch_count,
        created_at: row.created_at,
        updated_at: row.updated_at,
    }
}

impl App {
    fn coding_defaults(&self) -> Result<(CodeScheme, Granularity, String)> {
        let coding = self.status()?.coding;
        Ok(match coding {
            Some(c) => (c.scheme, c.granularity, c.gs1_company_prefix),
            None => (CodeScheme::Gs1, Granularity::Batch, String::new()),
        })
    }

    /// Every problem with `input`, for the form; `id` is the product being edited.
    pub fn check_product(
        &self,
        input: &ProductInput,
        id: Option<i64>,
    ) -> Result<Vec<FieldProblem>> {
        Ok(self.validate_product(input, id)?.1.0)
    }

    fn validate_product(
        &self,
        input: &ProductInput,
        id: Option<i64>,
    ) -> Result<(store::products::ProductFields, Problems)> {
        let (default_scheme, default_granularity, prefix) = self.coding_defaults()?;
        let today = today();
        let mut p = Problems::default();
        let name = p.required("name", &input.name, "产品名称", "product name");
        let model = input.model.trim().to_string();
        let scheme = input.scheme.unwrap_or(default_scheme);
        let granularity = input.granularity.unwrap_or(default_granularity);

        let db = self.db();
        let conn = db.conn();
        if !name.is_empty()
            && let Some(other) = store::products::id_by_name_model(conn, &name, &model, id)?
        {
            p.error(
                "model",
                "product.duplicate",
                format!("已有同名同型号的产品“{name} {model}”（编号 {other}），请修改规格型号或直接使用该产品"),
                format!("a product {name:?} with model {model:?} exists already (#{other})"),
            );
        }

        let gtin_text = gtin_digits(&input.gtin);
        let mut gtin = None;
        if !gtin_text.is_empty() {
            let check = check_gtin(&gtin_text);
            if !check.valid {
                p.error("gtin", "gtin.invalid", check.message_zh, check.message_en);
            } else {
                let forms = gtin_forms(check.gtin14.as_deref().unwrap_or_default());
                if let Some(other) =
                    store::products::by_gtin(conn, &forms)?.filter(|other| Some(other.id) != id)
                {
                    p.error(
                        "gtin",
                        "gtin.duplicate",
                        format!(
                            "GTIN {gtin_text} 已用于产品“{} {}”，一个 GTIN 只能对应一种产品",
                            other.fields.name, other.fields.model
                        ),
                        format!("GTIN {gtin_text} is used by another product already"),
                    );
                }
                let g13 = check
                    .gtin14
                    .as_deref()
                    .and_then(|g| g.strip_prefix('0'))
                    .unwrap_or_default();
                if !prefix.is_empty() && gtin_text.len() >= 13 && !g13.starts_with(&prefix) {
                    p.warning(
                        "gtin",
                        "gtin.foreign-prefix",
                        format!(
                            "该 GTIN 不在本企业厂商识别代码 {prefix} 之下，请确认是本企业的编码"
                        ),
                        format!("this GTIN is not under the company prefix {prefix}"),
                    );
                }
                gtin = Some(gtin_text.clone());
            }
        } else if scheme == CodeScheme::Gs1 {
            p.warning(
                "gtin",
                "gtin.missing",
                "GS1 方案赋码需要 GTIN：可点“生成”从厂商识别代码生成，或以后再填",
                "the GS1 scheme needs a GTIN to issue codes; generate one or fill it in later",
            );
        }

        let category = input.category.trim().to_string();
        let cert_text = input.ccc_cert_no.trim();
        let ccc_cert_no = ccc_cert(
            "cccCertNo",
            cert_text,
            today,
            &self.catalogues().ccc(),
            &mut p,
        );
        if cert_text.is_empty() && category.starts_with("CCC-") {
            p.warning(
                "cccCertNo",
                "ccc.missing",
                "该类别属于 CCC 目录，请填写 CCC 证书编号",
                "this category is in the CCC catalogue: enter the CCC certificate number",
            );
        }
        let mut date = |field: &str, text: &str| -> Option<String> {
            let text = text.trim();
            if text.is_empty() {
                return None;
            }
            match parse_date(text) {
                Some(d) => Some(iso(d)),
                None => {
                    p.error(
                        field,
                        "date.invalid",
                        format!("“{text}”不是有效日期，请按 2025-03-01 的格式填写"),
                        format!("{text:?} is not a valid date"),
                    );
                    None
                }
            }
        };
        let valid_from = date("cccValidFrom", &input.ccc_valid_from);
        let valid_to = date("cccValidTo", &input.ccc_valid_to);
        if let (Some(from), Some(to)) = (&valid_from, &valid_to)
            && from > to
        {
            p.error(
                "cccValidTo",
                "ccc.dates",
                "证书有效期截止日期早于起始日期",
                "the certificate ends before it starts",
            );
        }
        if let Some(to) = valid_to.as_deref().and_then(parse_date) {
            if to < today {
                p.warning(
                    "cccValidTo",
                    "ccc.expired",
                    format!("CCC 证书已于 {} 过期，请更新证书", iso(to)),
                    format!("the CCC certificate expired on {}", iso(to)),
                );
            } else if to <= today + time::Duration::days(60) {
                p.warning(
                    "cccValidTo",
                    "ccc.expiring",
                    format!("CCC 证书将于 {} 到期（60 天内），请及时换证", iso(to)),
                    format!("the CCC certificate ends on {} (within 60 days)", iso(to)),
                );
            }
        }
        let mark_text = input.ccc_mark_no.trim();
        let mut ccc_mark_no = None;
        if !mark_text.is_empty() {
            match codes::CccMarkNo::parse(mark_text) {
                Ok((mark, warnings)) => {
                    for w in &warnings {
                        problem_of("cccMarkNo", w, &mut p);
                    }
                    ccc_mark_no = Some(mark.as_str().to_string());
                }
                Err(problems) => {
                    for problem in problems.iter() {
                        problem_of("cccMarkNo", problem, &mut p);
                    }
                }
            }
        }
        let models = split_models(&input.ccc_models);
        if !models.is_empty() && !model.is_empty() && !models.contains(&model) {
            p.warning(
                "cccModels",
                "ccc.model-not-covered",
                format!("规格型号“{model}”不在证书覆盖的型号中，请核对证书"),
                format!("model {model:?} is not among the models the certificate covers"),
            );
        }
        let licence_no = crate::identity::licence_no(&mut p, "licenceNo", &input.licence_no);
        let production_address = crate::identity::production_address(
            &mut p,
            "productionAddress",
            &input.production_address,
        );
        let (oem_role, oem_name, oem_uscc) =
            crate::identity::oem(&mut p, input.oem_role, &input.oem_name, &input.oem_uscc);
        let fields = store::products::ProductFields {
            name,
            model,
            category,
            brand: input.brand.trim().to_string(),
            standard: input.standard.trim().to_string(),
            gtin,
            scheme: scheme.as_str().to_string(),
            granularity: granularity.as_str().to_string(),
            ccc_cert_no,
            ccc_valid_from: valid_from,
            ccc_valid_to: valid_to,
            ccc_mark_no,
            ccc_models: models.join("\n"),
            licence_no,
            production_address,
            oem_role,
            oem_name,
            oem_uscc,
        };
        Ok((fields, p))
    }

    /// Adds a product; refuses with the first field error.
    pub fn add_product(&self, input: &ProductInput) -> Result<Product> {
        let (fields, problems) = self.validate_product(input, None)?;
        problems.refuse_on_error()?;
        let id = self.db().write(|tx| store::products::insert(tx, &fields))?;
        self.product(id)
    }

    /// Changes product `id`, recorded in the audit trail.
    pub fn update_product(&self, id: i64, input: &ProductInput) -> Result<Product> {
        let (fields, problems) = self.validate_product(input, Some(id))?;
        problems.refuse_on_error()?;
        let found = self.db().transact(|tx| {
            ensure_editable(tx, RecordKind::Product, id)?;
            Ok::<_, ApiError>(store::products::update(tx, id, &fields)?)
        })?;
        if !found {
            return Err(not_found("产品", "product", id));
        }
        self.product(id)
    }

    pub fn product(&self, id: i64) -> Result<Product> {
        let entries = self.product_catalogue();
        store::products::get(self.db().conn(), id)?
            .map(|row| product_dto(&entries, row))
            .ok_or_else(|| not_found("产品", "product", id))
    }

    pub fn list_products(&self, query: &ListQuery) -> Result<Page<Product>> {
        let filter = store::products::ProductFilter {
            params: list_params(query),
            category: query.kind.clone(),
            scheme: None,
        };
        let (rows, total) = store::products::list(self.db().conn(), &filter)?;
        Ok(Page {
            rows: {
                let entries = self.product_catalogue();
                rows.into_iter()
                    .map(|row| product_dto(&entries, row))
                    .collect()
            },
            total,
        })
    }

    /// The next free GTIN-13 under the 厂商识别代码 of the coding settings: the highest item
    /// reference in use plus one.
    pub fn suggest_gtin(&self) -> Result<GtinSuggestion> {
        let (_, _, prefix) = self.coding_defaults()?;
        if prefix.is_empty() {
            return Err(Msg::NoCompanyPrefix.err());
        }
        let digits = 12 - prefix.len();
        let used: Vec<u64> = store::products::gtins(self.db().conn())?
            .iter()
            .filter_map(|g| Gtin::parse(g).ok())
            .filter_map(|g| g.to_gtin14().strip_prefix('0').map(str::to_string))
            .filter(|g13| g13.starts_with(&prefix))
            .filter_map(|g13| g13[prefix.len()..12].parse::<u64>().ok().or(Some(0)))
            .collect();
        let capacity = 10u64.pow(digits as u32);
        let next = used
            .iter()
            .max()
            .map(|m| m + 1)
            .unwrap_or(1.min(capacity - 1));
        if next >= capacity || (digits == 0 && !used.is_empty()) {
            return Err(Msg::ItemReferencesUsedUp {
                prefix: prefix.to_string(),
            }
            .err());
        }
        let item_reference = if digits == 0 {
            String::new()
        } else {
            format!("{next:0digits$}")
        };
        let gtin = Gtin::from_body(&format!("{prefix}{item_reference}")).map_err(|e| {
            Msg::GtinUnbuildable {
                zh: e.zh().to_string(),
                en: e.to_string(),
            }
            .err()
        })?;
        Ok(GtinSuggestion {
            gtin: gtin.as_str().to_string(),
            company_prefix: prefix,
            item_reference,
        })
    }
}

pub(crate) fn not_found(zh: &str, en: &str, id: i64) -> ApiError {
    Msg::NotFoundById {
        zh: zh.to_string(),
        en: en.to_string(),
        id,
    }
    .err()
}

#[cfg(test)]
mod tests {
    use codes::message::rule_breaks;

    use super::check_gtin;

    /// Every verdict the live GTIN check can give keeps the message rule, and names the GTIN
    /// once.
    #[test]
    fn every_gtin_verdict_keeps_the_message_rule() {
        let cases = [
            ("", "gs1.empty"),
            ("12345", "gs1.length"),
            ("690123456789X", "gs1.non-digit"),
            ("6901234567891", "gs1.check-digit"),
            ("６９０１２３４５６７８９２", "valid"),
            ("6901234567892", "valid"),
            ("06901234567892", "valid"),
        ];
        for (text, what) in cases {
            let c = check_gtin(text);
            assert_eq!(c.valid, what == "valid", "{text:?}: {c:?}");
            let broken = rule_breaks(&c.message_zh, &c.message_en);
            assert!(broken.is_empty(), "{text:?} ({what}): {broken:?}: {c:?}");
        }
        assert_eq!(
            check_gtin("12345").message_zh,
            "GTIN 应为 8、12、13 或 14 位数字，实际为 5 位，请核对是否多写或漏写"
        );
    }
}
