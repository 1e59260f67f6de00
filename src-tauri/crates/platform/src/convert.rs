//! Model → wire (contract §4): which members go out, and how empty ones are left out.

use serde_json::Value;

use crate::canonical::{self, CanonicalError};
use crate::model::{self, Granularity, Kind, Payload, Record, Scheme};
use crate::wire;

fn opt(text: &str) -> Option<String> {
    (!text.is_empty()).then(|| text.to_string())
}

fn items(items: &[String]) -> Option<Vec<String>> {
    (!items.is_empty()).then(|| items.to_vec())
}

fn line(line: &model::Line, granularity: Granularity) -> wire::Line {
    match granularity {
        Granularity::Item => wire::Line {
            product_code: opt(&line.product_code),
            lot: opt(&line.lot),
            quantity: None,
            unit: None,
            items: items(&line.items),
        },
        Granularity::Batch | Granularity::Product => wire::Line {
            product_code: opt(&line.product_code),
            lot: opt(&line.lot),
            quantity: opt(&line.quantity),
            unit: opt(&line.unit),
            items: None,
        },
    }
}

fn material(m: &model::MaterialLine, granularity: Granularity) -> wire::MaterialLine {
    let item = granularity == Granularity::Item && !m.items.is_empty();
    wire::MaterialLine {
        name: opt(&m.name),
        model: opt(&m.model),
        code: opt(&m.code),
        lot: opt(&m.lot),
        quantity: if item { None } else { opt(&m.quantity) },
        unit: if item { None } else { opt(&m.unit) },
        items: if item { items(&m.items) } else { None },
        ccc: opt(&m.ccc).map(|certificate_no| wire::Ccc {
            certificate_no: Some(certificate_no),
            valid_from: None,
            valid_to: None,
        }),
    }
}

fn party(p: &model::Party) -> wire::Party {
    // An organisation is sent without `kind`, exactly as in 1.0/1.1, so its key is unchanged.
    let kind = match p.kind.as_str() {
        "" | "organisation" => None,
        other => Some(other.to_string()),
    };
    wire::Party {
        kind,
        name: opt(&p.name),
        uscc: opt(&p.uscc),
        address: opt(&p.address),
        contact_name: opt(&p.contact_name),
        contact_phone: opt(&p.contact_phone),
        id_number_masked: opt(&p.id_number_masked),
        mobile_masked: opt(&p.mobile_masked),
        consent_at: opt(&p.consent_at),
        country: opt(&p.country),
        registration_no: opt(&p.registration_no),
    }
}

fn inspection(i: &model::Inspection) -> wire::Inspection {
    wire::Inspection {
        result: opt(&i.result),
        report_no: opt(&i.report_no),
        inspector: opt(&i.inspector),
        date: opt(&i.date),
    }
}

fn to_value<T: serde::Serialize>(value: &T) -> Value {
    // Serialising these plain structs of strings cannot fail.
    serde_json::to_value(value).unwrap_or(Value::Null)
}

/// The payload object of `record`, as the contract spells it.
pub(crate) fn payload(record: &Record) -> Value {
    let g = record.granularity;
    match &record.payload {
        Payload::Enterprise(e) => to_value(&wire::Enterprise {
            uscc: opt(&e.uscc),
            name: opt(&e.name),
            address: opt(&e.address),
            contact_name: opt(&e.contact_name),
            contact_phone: opt(&e.contact_phone),
            gcp: opt(&e.gcp),
            production_licence_no: opt(&e.production_licence_no),
            production_address: opt(&e.production_address),
            client_ref: opt(&e.client_ref),
        }),
        Payload::Product(p) => to_value(&wire::Product {
            enterprise_uscc: opt(&p.enterprise_uscc),
            product_code: opt(&p.product_code),
            name: opt(&p.name),
            model: opt(&p.model),
            brand: opt(&p.brand),
            category: opt(&p.category),
            standard: opt(&p.standard),
            ccc: p.ccc.as_ref().map(|c| wire::Ccc {
                certificate_no: opt(&c.certificate_no),
                valid_from: opt(&c.valid_from),
                valid_to: opt(&c.valid_to),
            }),
            production_licence_no: opt(&p.production_licence_no),
            production_address: opt(&p.production_address),
            entrustment: p.entrustment.as_ref().map(|e| wire::Entrustment {
                role: opt(&e.role),
                name: opt(&e.name),
                uscc: opt(&e.uscc),
            }),
            client_ref: opt(&p.client_ref),
        }),
        Payload::Commissioning(c) => to_value(&wire::Commissioning {
            enterprise_uscc: opt(&c.enterprise_uscc),
            event_time: opt(&c.event_time),
            line: line(&c.line, g),
            production_date: opt(&c.production_date),
            expiry_date: opt(&c.expiry_date),
            client_ref: opt(&c.client_ref),
        }),
        Payload::Receiving(r) => to_value(&wire::Receiving {
            enterprise_uscc: opt(&r.enterprise_uscc),
            event_time: opt(&r.event_time),
            supplier: party(&r.supplier),
            material: material(&r.material, g),
            inspection: inspection(&r.inspection),
            purchase_order: opt(&r.purchase_order),
            invoice_no: opt(&r.invoice_no),
            delivery_note: opt(&r.delivery_note),
            client_ref: opt(&r.client_ref),
        }),
        Payload::Transformation(t) => to_value(&wire::Transformation {
            enterprise_uscc: opt(&t.enterprise_uscc),
            event_time: opt(&t.event_time),
            inputs: t
                .inputs
                .iter()
                .map(|i| wire::Input {
                    name: opt(&i.name),
                    lot: opt(&i.lot),
                    quantity: opt(&i.quantity),
                    unit: opt(&i.unit),
                    code: opt(&i.code),
                    supplier_uscc: opt(&i.supplier_uscc),
                    receiving_key: opt(&i.receiving_key),
                })
                .collect(),
            output: line(&t.output, g),
            production_date: opt(&t.production_date),
            expiry_date: opt(&t.expiry_date),
            inspection: inspection(&t.inspection),
            work_order: opt(&t.work_order),
            client_ref: opt(&t.client_ref),
        }),
        Payload::Shipping(s) => to_value(&wire::Shipping {
            enterprise_uscc: opt(&s.enterprise_uscc),
            event_time: opt(&s.event_time),
            customer: party(&s.customer),
            lines: s.lines.iter().map(|l| line(l, g)).collect(),
            ship_to: opt(&s.ship_to),
            delivery_note: opt(&s.delivery_note),
            order_no: opt(&s.order_no),
            invoice_no: opt(&s.invoice_no),
            client_ref: opt(&s.client_ref),
        }),
        Payload::ErrorDeclaration(d) => to_value(&wire::ErrorDeclaration {
            declared_key: opt(&d.declared_key),
            declaration_time: opt(&d.declaration_time),
            reason: Some(d.reason.as_str().to_string()),
            reason_text: opt(&d.reason_text),
            corrective_keys: d.corrective_keys.clone(),
            client_ref: opt(&d.client_ref),
        }),
    }
}

/// A record made ready to send: its key and its exact JSON text (the canonical form, key
/// included). The outbox stores both; the text is what goes on the wire, byte for byte, on every
/// attempt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sealed {
    /// Invariant: the contract key of `body` (64 lower-case hex).
    pub key: String,
    pub kind: Kind,
    pub scheme: Scheme,
    pub granularity: Granularity,
    pub body: String,
}

/// Computes the key of `record` and its JSON text.
pub fn seal(record: &Record) -> Result<Sealed, CanonicalError> {
    let mut envelope = serde_json::Map::new();
    envelope.insert("kind".into(), Value::from(record.kind().as_str()));
    envelope.insert("scheme".into(), Value::from(record.scheme.as_str()));
    envelope.insert(
        "granularity".into(),
        Value::from(record.granularity.as_str()),
    );
    envelope.insert("payload".into(), payload(record));
    let key =
        canonical::sha256_hex(canonical::canonical(&Value::Object(envelope.clone()))?.as_bytes());
    envelope.insert("idempotencyKey".into(), Value::from(key.clone()));
    let body = canonical::canonical(&Value::Object(envelope))?;
    Ok(Sealed {
        key,
        kind: record.kind(),
        scheme: record.scheme,
        granularity: record.granularity,
        body,
    })
}

/// A stored record's text, read back: the envelope and the payload as JSON. Exports use it.
pub(crate) fn parse(body: &str) -> Option<wire::Record> {
    serde_json::from_str(body).ok()
}
