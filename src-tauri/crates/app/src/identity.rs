//! The licence, production site, 委托生产 and party-kind rules that products, parties, the
//! enterprise profile and the import share: one place, so the window, the CLI and the import
//! check them alike. The rules themselves are in `codes::licence` and `codes::person`.

use codes::Uscc;
use codes::person::{self, Masking};

use crate::entries::Problems;
use crate::{FieldProblem, OemRole, PartyType};

/// Longest production address the contract carries (`text(200)`).
const MAX_ADDRESS: usize = 200;

/// A licence number as kept: its shape only warned about, never refused unless the contract
/// cannot carry it.
pub(crate) fn licence_no(p: &mut Problems, field: &str, text: &str) -> String {
    match codes::licence::parse(text) {
        Ok(None) => String::new(),
        Ok(Some(no)) => {
            for note in no.notes() {
                let m = note.message();
                p.warning(field, "licence.unrecognised", m.zh, m.en);
            }
            no.value
        }
        Err(err) => {
            let m = err.message();
            p.error(field, "licence.invalid", m.zh, m.en);
            text.trim().to_string()
        }
    }
}

/// The verdict on a licence number alone, for the enterprise form and `check`.
pub fn check_licence_no(text: &str) -> Vec<FieldProblem> {
    let mut p = Problems::default();
    licence_no(&mut p, "licenceNo", text);
    p.0
}

pub(crate) fn production_address(p: &mut Problems, field: &str, text: &str) -> String {
    let value = text.trim().to_string();
    let len = value.chars().count();
    if len > MAX_ADDRESS {
        p.error(
            field,
            "address.too-long",
            format!("生产地址有 {len} 个字，最多 {MAX_ADDRESS} 个，请精简"),
            format!("the production address has {len} characters, at most {MAX_ADDRESS} fit"),
        );
    }
    value
}

/// 委托生产: the role, and the other party's name and canonical USCC.
pub(crate) fn oem(
    p: &mut Problems,
    role: OemRole,
    name: &str,
    uscc: &str,
) -> (String, String, String) {
    let name = name.trim().to_string();
    let uscc_text = uscc.trim();
    let role_db = match role {
        OemRole::None => {
            if !name.is_empty() || !uscc_text.is_empty() {
                p.warning(
                    "oemRole",
                    "oem.role-missing",
                    "已填写委托方或受托生产企业，但未选择是否委托生产；未选择时这些信息不会保存",
                    "an entrusting party or contract manufacturer is filled in but the product is not marked as made under entrustment; it is not kept unless you choose",
                );
            }
            return (String::new(), String::new(), String::new());
        }
        OemRole::Manufacturer => "manufacturer",
        OemRole::Principal => "principal",
    };
    let (zh_who, en_who) = match role {
        OemRole::Manufacturer => ("委托方", "entrusting party"),
        _ => ("受托生产企业", "contract manufacturer"),
    };
    if name.is_empty() {
        p.error(
            "oemName",
            "oem.name-required",
            format!("委托生产的产品须填写{zh_who}名称"),
            format!("a product made under entrustment needs the {en_who}'s name"),
        );
    }
    let mut canonical = String::new();
    if uscc_text.is_empty() {
        p.error(
            "oemUscc",
            "oem.uscc-required",
            format!("请填写{zh_who}的统一社会信用代码（见其营业执照）"),
            format!("enter the {en_who}'s unified social credit code (on its business licence)"),
        );
    } else {
        match Uscc::parse(uscc_text) {
            Ok(code) => {
                if let Some(m) = code.org_check_mismatch() {
                    let m = m.message();
                    p.warning("oemUscc", "uscc.org-check", m.zh, m.en);
                }
                canonical = code.to_string();
            }
            Err(err) => {
                let m = err.message();
                p.error("oemUscc", "uscc.invalid", m.zh, m.en);
            }
        }
    }
    (role_db.to_string(), name, canonical)
}

/// What identifies a party besides its name, as kept.
#[derive(Debug, Default)]
pub(crate) struct Identity {
    pub party_type: String,
    pub uscc_allowed: bool,
    pub phone: String,
    pub id_masked: String,
    pub consent: bool,
    pub country: String,
    pub foreign_reg_no: String,
}

fn masked(
    p: &mut Problems,
    field: &str,
    result: Result<person::Masked, person::PersonError>,
    what: (&str, &str),
) -> String {
    match result {
        Ok(m) => {
            if m.masking == Masking::MaskedHere {
                let msg = person::masked_here_message(what.0, what.1);
                p.warning(field, "person.masked", msg.zh, msg.en);
            }
            m.value
        }
        Err(err) => {
            let m = err.message();
            p.error(field, "person.invalid", m.zh, m.en);
            String::new()
        }
    }
}

/// The identity of a party of `party_type`: a person's numbers masked (never kept in full), a
/// foreign buyer's country checked. `phone` is the contact phone for organisations and foreign
/// buyers, kept as typed; for a person it is a mobile number, kept masked.
pub(crate) fn party_identity(
    p: &mut Problems,
    party_type: PartyType,
    phone: &str,
    id_number: &str,
    consent: bool,
    country: &str,
    foreign_reg_no: &str,
) -> Identity {
    match party_type {
        PartyType::Organisation => Identity {
            party_type: "organisation".into(),
            uscc_allowed: true,
            phone: phone.trim().to_string(),
            ..Identity::default()
        },
        PartyType::Individual => {
            let phone_text = phone;
            let phone = if phone.trim().is_empty() {
                String::new()
            } else {
                masked(
                    p,
                    "phone",
                    person::mask_phone(phone),
                    ("手机号", "mobile number"),
                )
            };
            let id_masked = if id_number.trim().is_empty() {
                String::new()
            } else {
                masked(
                    p,
                    "idNumber",
                    person::mask_id(id_number),
                    ("身份证号", "ID card number"),
                )
            };
            if phone_text.trim().is_empty() && id_number.trim().is_empty() {
                p.warning(
                    "idNumber",
                    "person.unidentified",
                    "个人客户未填写身份证号或手机号：召回时可能无法联系到此人",
                    "neither an ID card nor a mobile number is given: the person may be unreachable in a recall",
                );
            }
            if (!phone.is_empty() || !id_masked.is_empty()) && !consent {
                p.error(
                    "consent",
                    "person.consent-required",
                    "保存个人的身份证号或手机号（已遮蔽）须经本人同意，请确认已取得同意后勾选",
                    "keeping a person's (masked) ID card or mobile number needs their consent: tick it once they agreed",
                );
            }
            Identity {
                party_type: "individual".into(),
                uscc_allowed: false,
                phone,
                id_masked,
                consent,
                ..Identity::default()
            }
        }
        PartyType::Foreign => {
            let country = match person::country(country) {
                Ok(code) => code,
                Err(err) => {
                    let m = if country.trim().is_empty() {
                        codes::Message::new(
                            "境外客户须填写国家/地区（ISO 3166 两位代码，如 US、DE、JP）",
                            "a foreign buyer needs its country (ISO 3166 alpha-2, e.g. US, DE, JP)",
                        )
                    } else {
                        err.message()
                    };
                    p.error("country", "country.invalid", m.zh, m.en);
                    String::new()
                }
            };
            let reg = foreign_reg_no.trim().to_string();
            if reg.chars().count() > 64 {
                p.error(
                    "foreignRegNo",
                    "foreign-reg.too-long",
                    "境外登记号最多 64 个字符，请只填写编号",
                    "the foreign registration number has at most 64 characters",
                );
            }
            Identity {
                party_type: "foreign".into(),
                uscc_allowed: false,
                phone: phone.trim().to_string(),
                country,
                foreign_reg_no: reg,
                ..Identity::default()
            }
        }
    }
}
