//! EPCIS 2.0 JSON-LD export (domain.md §F.3, contract §4.11), pure: records in, document out.
//!
//! Mapping: `commissioning` → ObjectEvent ADD / commissioning / active; `receiving` → ObjectEvent
//! OBSERVE / receiving / in_progress (non_conformant when the inspection failed); `transformation`
//! → TransformationEvent / commissioning / active, except a batch with no recorded inputs, which
//! becomes an ObjectEvent ADD / commissioning (or creating_class_instance) / active of its output
//! (`output_without_inputs` says why); `shipping` → ObjectEvent OBSERVE / shipping / in_transit;
//! `errorDeclaration` → a copy of the declared event carrying `errorDeclaration` with the
//! corrective events' IDs. `enterprise` and `product` records become master data in the
//! header (`epcisMasterData`).
//!
//! Identifiers: GS1 codes become GS1 Digital Link URIs (`https://id.gs1.org/01/{gtin}/10/{lot}`
//! for a class with a lot, `…/21/{serial}` for an item). Ecode and 数字身份码 values are opaque:
//! a value that already is an absolute URI is kept, any other becomes
//! `urn:tracedesk:{scheme}:{value}` (percent-encoded). Parties are
//! `urn:tracedesk:party:uscc:{uscc}`, event IDs `urn:tracedesk:record:{idempotencyKey}`, and
//! tracedesk's own attributes use the `tracedesk:` prefix declared in `@context`.

use serde_json::{Map, Value, json};

use crate::convert;
use crate::wire;

pub const EPCIS_CONTEXT: &str = "https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld";
const TD_NS: &str = "https://tracedesk.invalid/epcis/";

/// What the export left out, and why (e.g. a declaration whose original is not in the export).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Skipped {
    pub key: String,
    pub reason: String,
}

/// The document and what could not be expressed.
#[derive(Debug, Clone)]
pub struct Document {
    pub json: Value,
    pub events: usize,
    pub master_data: usize,
    pub skipped: Vec<Skipped>,
}

/// Percent-encodes everything but RFC 3986 unreserved characters.
fn pct(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn is_absolute_uri(text: &str) -> bool {
    let Some((scheme, rest)) = text.split_once(':') else {
        return false;
    };
    !rest.is_empty()
        && scheme.len() > 1
        && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        && !text.chars().any(|c| c.is_whitespace() || c.is_control())
        && text.is_ascii()
}

fn opaque(scheme: &str, value: &str) -> String {
    if is_absolute_uri(value) {
        value.to_string()
    } else {
        format!("urn:tracedesk:{scheme}:{}", pct(value))
    }
}

fn is_gtin14(code: &str) -> bool {
    code.len() == 14 && code.bytes().all(|b| b.is_ascii_digit())
}

/// The EPC class of `code` (+ `lot`).
fn class_uri(scheme: &str, code: &str, lot: Option<&str>) -> String {
    if scheme == "gs1" && is_gtin14(code) {
        match lot {
            Some(lot) => format!("https://id.gs1.org/01/{code}/10/{}", pct(lot)),
            None => format!("https://id.gs1.org/01/{code}"),
        }
    } else {
        let base = opaque(scheme, code);
        match lot {
            Some(lot) if base.starts_with("urn:") => format!("{base}:lot:{}", pct(lot)),
            Some(lot) => format!("urn:tracedesk:{scheme}-lot:{}:{}", pct(code), pct(lot)),
            None => base,
        }
    }
}

/// The EPC of one item.
fn item_uri(scheme: &str, product_code: &str, item: &str) -> String {
    if scheme == "gs1" && is_gtin14(product_code) {
        format!("https://id.gs1.org/01/{product_code}/21/{}", pct(item))
    } else {
        opaque(scheme, item)
    }
}

fn material_class(
    scheme: &str,
    code: Option<&str>,
    name: Option<&str>,
    lot: Option<&str>,
) -> String {
    match code {
        Some(code) => class_uri(scheme, code, lot),
        None => {
            let base = format!("urn:tracedesk:material:{}", pct(name.unwrap_or("")));
            match lot {
                Some(lot) => format!("{base}:lot:{}", pct(lot)),
                None => base,
            }
        }
    }
}

fn party_uri(uscc: Option<&str>, name: Option<&str>) -> String {
    match uscc {
        Some(uscc) => format!("urn:tracedesk:party:uscc:{}", pct(uscc)),
        None => format!("urn:tracedesk:party:name:{}", pct(name.unwrap_or(""))),
    }
}

/// `+08:00` from an RFC 3339 time (`Z` is `+00:00`).
fn offset_of(time: &str) -> String {
    if time.ends_with('Z') || time.ends_with('z') {
        return "+00:00".into();
    }
    let tail = &time[time.len().saturating_sub(6)..];
    if tail.len() == 6 && (tail.starts_with('+') || tail.starts_with('-')) {
        tail.to_string()
    } else {
        "+00:00".into()
    }
}

fn quantity_number(text: Option<&str>) -> Option<Value> {
    let n: f64 = text?.parse().ok()?;
    serde_json::Number::from_f64(n).map(Value::Number)
}

fn quantity_element(class: String, quantity: Option<&str>, unit: Option<&str>) -> Value {
    let mut q = Map::new();
    q.insert("epcClass".into(), Value::from(class));
    if let Some(n) = quantity_number(quantity) {
        q.insert("quantity".into(), n);
        if let Some(u) = unit.filter(|u| u.len() >= 2 && u.len() <= 3) {
            q.insert("uom".into(), Value::from(u));
        }
    }
    Value::Object(q)
}

fn biz_transactions(list: &[(&str, &Option<String>)]) -> Option<Value> {
    let items: Vec<Value> = list
        .iter()
        .filter_map(|(kind, value)| {
            value.as_deref().map(|v| {
                json!({"type": kind, "bizTransaction": format!("urn:tracedesk:bt:{kind}:{}", pct(v))})
            })
        })
        .collect();
    (!items.is_empty()).then_some(Value::Array(items))
}

fn inspection_value(i: &wire::Inspection) -> Value {
    serde_json::to_value(i).unwrap_or(Value::Null)
}

/// Puts line `l` into the event as EPCs (items) or a quantity element.
fn add_line(scheme: &str, l: &wire::Line, epcs: &mut Vec<Value>, quantities: &mut Vec<Value>) {
    let code = l.product_code.as_deref().unwrap_or("");
    match &l.items {
        Some(items) => epcs.extend(items.iter().map(|i| Value::from(item_uri(scheme, code, i)))),
        None => quantities.push(quantity_element(
            class_uri(scheme, code, l.lot.as_deref()),
            l.quantity.as_deref(),
            l.unit.as_deref(),
        )),
    }
}

fn ilmd(lot: Option<&str>, production: Option<&str>, expiry: Option<&str>) -> Option<Value> {
    let mut m = Map::new();
    if let Some(lot) = lot {
        m.insert("cbvmda:lotNumber".into(), Value::from(lot));
    }
    if let Some(d) = expiry {
        m.insert("cbvmda:itemExpirationDate".into(), Value::from(d));
    }
    if let Some(d) = production {
        m.insert("tracedesk:productionDate".into(), Value::from(d));
    }
    (!m.is_empty()).then_some(Value::Object(m))
}

fn base_event(kind: &str, key: &str, time: Option<&str>) -> Map<String, Value> {
    let mut e = Map::new();
    e.insert("type".into(), Value::from(kind));
    e.insert(
        "eventID".into(),
        Value::from(format!("urn:tracedesk:record:{key}")),
    );
    let time = time.unwrap_or("2000-01-01T00:00:00Z");
    e.insert("eventTime".into(), Value::from(time));
    e.insert("eventTimeZoneOffset".into(), Value::from(offset_of(time)));
    e
}

fn put(e: &mut Map<String, Value>, name: &str, value: Option<Value>) {
    if let Some(v) = value {
        e.insert(name.into(), v);
    }
}

fn list(values: Vec<Value>) -> Option<Value> {
    (!values.is_empty()).then_some(Value::Array(values))
}

/// The event of one (non-master-data) record, or `None` for master data.
fn event(record: &wire::Record, key: &str) -> Option<Result<Map<String, Value>, String>> {
    let scheme = record.scheme.as_str();
    let payload = record.payload.clone();
    let bad = |e: serde_json::Error| format!("unreadable {} payload: {e}", record.kind);
    Some(match record.kind.as_str() {
        "commissioning" => serde_json::from_value::<wire::Commissioning>(payload)
            .map_err(bad)
            .map(|c| {
                let mut e = base_event("ObjectEvent", key, c.event_time.as_deref());
                let (mut epcs, mut qs) = (Vec::new(), Vec::new());
                add_line(scheme, &c.line, &mut epcs, &mut qs);
                put(&mut e, "epcList", list(epcs));
                put(&mut e, "quantityList", list(qs));
                e.insert("action".into(), Value::from("ADD"));
                e.insert("bizStep".into(), Value::from("commissioning"));
                e.insert("disposition".into(), Value::from("active"));
                put(
                    &mut e,
                    "ilmd",
                    ilmd(
                        c.line.lot.as_deref(),
                        c.production_date.as_deref(),
                        c.expiry_date.as_deref(),
                    ),
                );
                e
            }),
        "receiving" => serde_json::from_value::<wire::Receiving>(payload)
            .map_err(bad)
            .map(|r| {
                let mut e = base_event("ObjectEvent", key, r.event_time.as_deref());
                let m = &r.material;
                match &m.items {
                    Some(items) => {
                        let code = m.code.as_deref().unwrap_or("");
                        put(
                            &mut e,
                            "epcList",
                            list(
                                items
                                    .iter()
                                    .map(|i| Value::from(item_uri(scheme, code, i)))
                                    .collect(),
                            ),
                        );
                    }
                    None => {
                        e.insert(
                            "quantityList".into(),
                            json!([quantity_element(
                                material_class(
                                    scheme,
                                    m.code.as_deref(),
                                    m.name.as_deref(),
                                    m.lot.as_deref()
                                ),
                                m.quantity.as_deref(),
                                m.unit.as_deref()
                            )]),
                        );
                    }
                }
                e.insert("action".into(), Value::from("OBSERVE"));
                e.insert("bizStep".into(), Value::from("receiving"));
                if let Some(no) = m.ccc.as_ref().and_then(|c| c.certificate_no.as_deref()) {
                    // Contract 1.2: a key component's CCC certificate, as a tracedesk extension.
                    e.insert(
                        "tracedesk:componentCccCertificateNo".into(),
                        Value::from(no),
                    );
                }
                let failed = r.inspection.result.as_deref() == Some("fail");
                e.insert(
                    "disposition".into(),
                    Value::from(if failed {
                        "non_conformant"
                    } else {
                        "in_progress"
                    }),
                );
                put(
                    &mut e,
                    "bizTransactionList",
                    biz_transactions(&[
                        ("po", &r.purchase_order),
                        ("inv", &r.invoice_no),
                        ("desadv", &r.delivery_note),
                    ]),
                );
                put_owning_party(
                    &mut e,
                    "source",
                    party_uri(r.supplier.uscc.as_deref(), r.supplier.name.as_deref()),
                );
                if let Some(uscc) = &r.enterprise_uscc {
                    put_owning_party(&mut e, "destination", party_uri(Some(uscc), None));
                }
                e.insert(
                    "tracedesk:inspection".into(),
                    inspection_value(&r.inspection),
                );
                if let Some(name) = &m.name {
                    e.insert("tracedesk:materialName".into(), Value::from(name.as_str()));
                }
                e
            }),
        "transformation" => serde_json::from_value::<wire::Transformation>(payload)
            .map_err(bad)
            .map(|t| {
                if t.inputs.is_empty() {
                    return output_without_inputs(scheme, key, &t);
                }
                let mut e = base_event("TransformationEvent", key, t.event_time.as_deref());
                let inputs: Vec<Value> = t
                    .inputs
                    .iter()
                    .map(|i| {
                        quantity_element(
                            material_class(
                                scheme,
                                i.code.as_deref(),
                                i.name.as_deref(),
                                i.lot.as_deref(),
                            ),
                            i.quantity.as_deref(),
                            i.unit.as_deref(),
                        )
                    })
                    .collect();
                put(&mut e, "inputQuantityList", list(inputs));
                let (mut epcs, mut qs) = (Vec::new(), Vec::new());
                add_line(scheme, &t.output, &mut epcs, &mut qs);
                put(&mut e, "outputEPCList", list(epcs));
                put(&mut e, "outputQuantityList", list(qs));
                e.insert("bizStep".into(), Value::from("commissioning"));
                e.insert("disposition".into(), Value::from("active"));
                put_production(&mut e, &t);
                e
            }),
        "shipping" => serde_json::from_value::<wire::Shipping>(payload)
            .map_err(bad)
            .map(|s| {
                let mut e = base_event("ObjectEvent", key, s.event_time.as_deref());
                put_object_lists(&mut e, scheme, &s.lines);
                e.insert("action".into(), Value::from("OBSERVE"));
                e.insert("bizStep".into(), Value::from("shipping"));
                e.insert("disposition".into(), Value::from("in_transit"));
                put(
                    &mut e,
                    "bizTransactionList",
                    biz_transactions(&[
                        ("desadv", &s.delivery_note),
                        ("po", &s.order_no),
                        ("inv", &s.invoice_no),
                    ]),
                );
                if let Some(uscc) = &s.enterprise_uscc {
                    put_owning_party(&mut e, "source", party_uri(Some(uscc), None));
                }
                put_owning_party(
                    &mut e,
                    "destination",
                    party_uri(s.customer.uscc.as_deref(), s.customer.name.as_deref()),
                );
                e
            }),
        _ => return None,
    })
}

/// A production batch with no recorded inputs, as an ObjectEvent that ADDs its output.
///
/// EPCIS 2.0 has no TransformationEvent without inputs: its schema requires a non-empty
/// `inputEPCList` or `inputQuantityList` beside the outputs (and the contract's own record
/// requires 1–200 inputs, so such a record is only ever local or rejected). What is known is that
/// the output came into being, which is what an ObjectEvent with action ADD says.
///
/// `bizStep`: `commissioning` (CBV: associating an identifier not used before with objects) when
/// the output is a new lot (`…/01/{gtin}/10/{lot}`) or new serials, which is every batch and item
/// output; `creating_class_instance` (CBV: an instance or increased quantity of an existing class
/// is created) when the output names only the product class, with neither lot nor items
/// (product granularity), since that identifier is not new. `disposition` `active`, as for the
/// TransformationEvent; the lot and dates go into `ilmd`, which ADD allows.
/// `tracedesk:inputsRecorded: false` tells a reader this event stands for a production record.
fn output_without_inputs(scheme: &str, key: &str, t: &wire::Transformation) -> Map<String, Value> {
    let mut e = base_event("ObjectEvent", key, t.event_time.as_deref());
    put_object_lists(&mut e, scheme, std::slice::from_ref(&t.output));
    let new_identifier = t.output.lot.is_some() || t.output.items.is_some();
    e.insert("action".into(), Value::from("ADD"));
    e.insert(
        "bizStep".into(),
        Value::from(if new_identifier {
            "commissioning"
        } else {
            "creating_class_instance"
        }),
    );
    e.insert("disposition".into(), Value::from("active"));
    put_production(&mut e, t);
    e.insert("tracedesk:inputsRecorded".into(), Value::from(false));
    e
}

/// The `sourceList` or `destinationList` (`end` is `source` or `destination`) naming the owning
/// party `uri`.
fn put_owning_party(e: &mut Map<String, Value>, end: &str, uri: String) {
    let mut party = Map::new();
    party.insert("type".into(), Value::from("owning_party"));
    party.insert(end.into(), Value::from(uri));
    e.insert(
        format!("{end}List"),
        Value::Array(vec![Value::Object(party)]),
    );
}

/// The `epcList` and `quantityList` of an ObjectEvent over `lines`. The schema needs one of the
/// lists; when the lines name nothing, an empty EPC list (which is valid) stands.
fn put_object_lists(e: &mut Map<String, Value>, scheme: &str, lines: &[wire::Line]) {
    let (mut epcs, mut qs) = (Vec::new(), Vec::new());
    for l in lines {
        add_line(scheme, l, &mut epcs, &mut qs);
    }
    if epcs.is_empty() && qs.is_empty() {
        e.insert("epcList".into(), json!([]));
    }
    put(e, "epcList", list(epcs));
    put(e, "quantityList", list(qs));
}

/// What every event of a production record ends with: its work order, the output lot's master
/// data (`ilmd`) and the factory inspection.
fn put_production(e: &mut Map<String, Value>, t: &wire::Transformation) {
    put(
        e,
        "bizTransactionList",
        biz_transactions(&[("prodorder", &t.work_order)]),
    );
    put(
        e,
        "ilmd",
        ilmd(
            t.output.lot.as_deref(),
            t.production_date.as_deref(),
            t.expiry_date.as_deref(),
        ),
    );
    e.insert(
        "tracedesk:inspection".into(),
        inspection_value(&t.inspection),
    );
}

fn attribute(id: &str, value: &Option<String>) -> Option<Value> {
    value
        .as_deref()
        .map(|v| json!({"id": format!("tracedesk:{id}"), "attribute": v}))
}

/// Builds the EPCIS document of `bodies` (stored record texts), created at `creation_date`
/// (RFC 3339). Records that cannot be read are listed in `skipped`.
pub fn document(bodies: &[&str], creation_date: &str) -> Document {
    let mut records: Vec<(String, wire::Record)> = Vec::new();
    let mut skipped = Vec::new();
    for body in bodies {
        match convert::parse(body) {
            Some(r) => records.push((r.idempotency_key.clone().unwrap_or_default(), r)),
            None => skipped.push(Skipped {
                key: String::new(),
                reason: "unreadable record text".into(),
            }),
        }
    }
    let mut events: Vec<Value> = Vec::new();
    let mut by_key: std::collections::HashMap<&str, Map<String, Value>> = Default::default();
    let mut products: Vec<Value> = Vec::new();
    let mut parties: Vec<Value> = Vec::new();
    for (key, record) in &records {
        match record.kind.as_str() {
            "product" => {
                if let Ok(p) = serde_json::from_value::<wire::Product>(record.payload.clone()) {
                    let attrs: Vec<Value> = [
                        attribute("name", &p.name),
                        attribute("model", &p.model),
                        attribute("brand", &p.brand),
                        attribute("category", &p.category),
                        attribute("standard", &p.standard),
                        attribute(
                            "cccCertificateNo",
                            &p.ccc.as_ref().and_then(|c| c.certificate_no.clone()),
                        ),
                        attribute(
                            "cccValidTo",
                            &p.ccc.as_ref().and_then(|c| c.valid_to.clone()),
                        ),
                        attribute("producerUscc", &p.enterprise_uscc),
                    ]
                    .into_iter()
                    .flatten()
                    .collect();
                    products.push(json!({
                        "id": class_uri(&record.scheme, p.product_code.as_deref().unwrap_or(""), None),
                        "attributes": attrs,
                    }));
                }
            }
            "enterprise" => {
                if let Ok(e) = serde_json::from_value::<wire::Enterprise>(record.payload.clone()) {
                    let attrs: Vec<Value> = [
                        attribute("name", &e.name),
                        attribute("address", &e.address),
                        attribute("gcp", &e.gcp),
                        attribute("productionLicenceNo", &e.production_licence_no),
                    ]
                    .into_iter()
                    .flatten()
                    .collect();
                    parties.push(json!({
                        "id": party_uri(e.uscc.as_deref(), e.name.as_deref()),
                        "attributes": attrs,
                    }));
                }
            }
            "errorDeclaration" => {}
            _ => match event(record, key) {
                Some(Ok(e)) => {
                    by_key.insert(key.as_str(), e.clone());
                    events.push(Value::Object(e));
                }
                Some(Err(reason)) => skipped.push(Skipped {
                    key: key.clone(),
                    reason,
                }),
                None => {}
            },
        }
    }
    for (key, record) in &records {
        if record.kind != "errorDeclaration" {
            continue;
        }
        let Ok(d) = serde_json::from_value::<wire::ErrorDeclaration>(record.payload.clone()) else {
            skipped.push(Skipped {
                key: key.clone(),
                reason: "unreadable errorDeclaration payload".into(),
            });
            continue;
        };
        let declared = d.declared_key.clone().unwrap_or_default();
        let Some(original) = by_key.get(declared.as_str()) else {
            skipped.push(Skipped {
                key: key.clone(),
                reason: format!("the declared record {declared} is not in this export"),
            });
            continue;
        };
        let mut copy = original.clone();
        let mut decl = Map::new();
        decl.insert(
            "declarationTime".into(),
            Value::from(d.declaration_time.clone().unwrap_or_default()),
        );
        if let Some(reason) = &d.reason {
            decl.insert("reason".into(), Value::from(reason.as_str()));
        }
        decl.insert(
            "correctiveEventIDs".into(),
            Value::Array(
                d.corrective_keys
                    .iter()
                    .map(|k| Value::from(format!("urn:tracedesk:record:{k}")))
                    .collect(),
            ),
        );
        if let Some(text) = &d.reason_text {
            decl.insert("tracedesk:reasonText".into(), Value::from(text.as_str()));
        }
        copy.insert("errorDeclaration".into(), Value::Object(decl));
        events.push(Value::Object(copy));
    }
    let master_data = products.len() + parties.len();
    let mut vocabularies = Vec::new();
    if !products.is_empty() {
        vocabularies.push(json!({"type": "urn:epcglobal:epcis:vtype:EPCClass", "vocabularyElementList": products}));
    }
    if !parties.is_empty() {
        vocabularies.push(
            json!({"type": "urn:epcglobal:epcis:vtype:Party", "vocabularyElementList": parties}),
        );
    }
    let mut doc = Map::new();
    doc.insert(
        "@context".into(),
        json!([EPCIS_CONTEXT, {"tracedesk": TD_NS, "cbvmda": "urn:epcglobal:cbv:mda:"}]),
    );
    doc.insert("type".into(), Value::from("EPCISDocument"));
    doc.insert("schemaVersion".into(), Value::from("2.0"));
    doc.insert("creationDate".into(), Value::from(creation_date));
    if !vocabularies.is_empty() {
        doc.insert(
            "epcisHeader".into(),
            json!({"epcisMasterData": {"vocabularyList": vocabularies}}),
        );
    }
    let count = events.len();
    doc.insert("epcisBody".into(), json!({"eventList": events}));
    Document {
        json: Value::Object(doc),
        events: count,
        master_data,
        skipped,
    }
}
