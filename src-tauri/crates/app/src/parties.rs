//! Suppliers and customers (往来单位), with their 统一社会信用代码.

use codes::Uscc;

use crate::entries::{Problems, ensure_editable, list_params};
use crate::products::not_found;
use crate::{
    ApiError, App, FieldProblem, ListQuery, Page, Party, PartyInput, PartyKind, PartyType,
    RecordKind, Result,
};

pub(crate) fn party_dto(row: store::parties::PartyRow) -> Party {
    Party {
        id: row.id,
        kind: PartyKind::from_db(&row.fields.kind),
        name: row.fields.name,
        uscc: row.fields.uscc,
        address: row.fields.address,
        contact: row.fields.contact,
        phone: row.fields.phone,
        party_type: match row.fields.party_type.as_str() {
            "individual" => PartyType::Individual,
            "foreign" => PartyType::Foreign,
            _ => PartyType::Organisation,
        },
        id_masked: row.fields.id_masked,
        consent_at: row.fields.consent_at,
        country: row.fields.country,
        foreign_reg_no: row.fields.foreign_reg_no,
        created_at: row.created_at,
        updated_at: row.updated_at,
    }
}

impl App {
    pub fn check_party(&self, input: &PartyInput, id: Option<i64>) -> Result<Vec<FieldProblem>> {
        Ok(self.validate_party(input, id)?.1.0)
    }

    fn validate_party(
        &self,
        input: &PartyInput,
        id: Option<i64>,
    ) -> Result<(store::parties::PartyFields, Problems)> {
        let mut p = Problems::default();
        let name = p.required("name", &input.name, "单位名称", "name");
        let db = self.db();
        let conn = db.conn();
        if !name.is_empty()
            && let Some(other) = store::parties::by_name(conn, &name)?.filter(|o| Some(o.id) != id)
        {
            p.error(
                "name",
                "party.duplicate",
                format!(
                    "往来单位“{name}”已存在（编号 {}），请直接选用或修改名称",
                    other.id
                ),
                format!("a party named {name:?} exists already (#{})", other.id),
            );
        }
        let identity = crate::identity::party_identity(
            &mut p,
            input.party_type,
            &input.phone,
            &input.id_number,
            input.consent,
            &input.country,
            &input.foreign_reg_no,
        );
        let mut uscc = None;
        if !identity.uscc_allowed && !input.uscc.trim().is_empty() {
            p.error(
                "uscc",
                "party.uscc-not-for-kind",
                "个人客户和境外客户没有统一社会信用代码，请清空此栏，或把客户类型改为“单位”",
                "individuals and foreign buyers have no unified social credit code: clear it, or make the party an organisation",
            );
        } else if !input.uscc.trim().is_empty() {
            match Uscc::parse(&input.uscc) {
                Ok(parsed) => {
                    let code = parsed.to_string();
                    if let Some(other) =
                        store::parties::by_uscc(conn, &code)?.filter(|o| Some(o.id) != id)
                    {
                        p.error(
                            "uscc",
                            "party.uscc-duplicate",
                            format!("统一社会信用代码 {code} 已用于“{}”", other.fields.name),
                            format!("USCC {code} belongs to {:?} already", other.fields.name),
                        );
                    }
                    if let Some(m) = parsed.org_check_mismatch() {
                        let m = m.message();
                        p.warning("uscc", "uscc.org-check", m.zh, m.en);
                    }
                    uscc = Some(code);
                }
                Err(err) => {
                    let m = err.message();
                    p.error("uscc", "uscc.invalid", m.zh, m.en);
                }
            }
        }
        // Consent keeps the time it was first recorded; withdrawing it clears it.
        let consent_at = if identity.consent {
            let earlier = match id {
                Some(id) => store::parties::get(conn, id)?.and_then(|r| r.fields.consent_at),
                None => None,
            };
            Some(earlier.unwrap_or_else(crate::paths::now_iso))
        } else {
            None
        };
        let fields = store::parties::PartyFields {
            kind: input.kind.as_str().to_string(),
            name,
            uscc,
            address: input.address.trim().to_string(),
            contact: input.contact.trim().to_string(),
            phone: identity.phone,
            party_type: identity.party_type,
            id_masked: identity.id_masked,
            consent_at,
            country: identity.country,
            foreign_reg_no: identity.foreign_reg_no,
        };
        Ok((fields, p))
    }

    pub fn add_party(&self, input: &PartyInput) -> Result<Party> {
        let (fields, problems) = self.validate_party(input, None)?;
        problems.refuse_on_error()?;
        let id = self.db().write(|tx| store::parties::insert(tx, &fields))?;
        self.party(id)
    }

    pub fn update_party(&self, id: i64, input: &PartyInput) -> Result<Party> {
        let (fields, problems) = self.validate_party(input, Some(id))?;
        problems.refuse_on_error()?;
        let found = self.db().transact(|tx| {
            ensure_editable(tx, RecordKind::Party, id)?;
            Ok::<_, ApiError>(store::parties::update(tx, id, &fields)?)
        })?;
        if !found {
            return Err(not_found("往来单位", "party", id));
        }
        self.party(id)
    }

    pub fn party(&self, id: i64) -> Result<Party> {
        store::parties::get(self.db().conn(), id)?
            .map(party_dto)
            .ok_or_else(|| not_found("往来单位", "party", id))
    }

    pub fn list_parties(&self, query: &ListQuery) -> Result<Page<Party>> {
        let filter = store::parties::PartyFilter {
            params: list_params(query),
            role: query.kind.clone(),
        };
        let (rows, total) = store::parties::list(self.db().conn(), &filter)?;
        Ok(Page {
            rows: rows.into_iter().map(party_dto).collect(),
            total,
        })
    }
}
