//! schema.org `GovernmentService` JSON-LD for procedure pages, so search engines and the
//! national portal can read the key facts.

use super::RenderContext;
use crate::model::{Procedure, TimeUnit};
use crate::resolve::ResolvedUnit;
use serde_json::{json, Value};

/// ISO 8601 duration of a processing time, when it has a value (working days count as
/// days: ISO has no working days; the text says which).
fn duration(value: f64, unit: TimeUnit) -> String {
    let v = if value.fract() == 0.0 {
        format!("{}", value as i64)
    } else {
        format!("{value}")
    };
    match unit {
        TimeUnit::WorkingDays | TimeUnit::Days => format!("P{v}D"),
        TimeUnit::Hours => format!("PT{v}H"),
        TimeUnit::Months => format!("P{v}M"),
        TimeUnit::Years => format!("P{v}Y"),
    }
}

/// The JSON-LD of a procedure as a unit publishes it, as a string safe inside `<script>`.
pub fn procedure(cx: &RenderContext, u: &ResolvedUnit, p: &Procedure) -> String {
    let url = cx.absolute(&format!("{}/{}", u.unit.path, p.code));
    let provider = match &u.unit.office {
        Some(o) => json!({
            "@type": "GovernmentOrganization",
            "name": u.unit.name,
            "address": o.address,
            "telephone": o.phone,
            "email": o.email,
        }),
        None => json!({ "@type": "GovernmentOrganization", "name": u.unit.name }),
    };
    let channels: Vec<Value> = p
        .channels
        .iter()
        .map(|c| {
            let mut ch = json!({
                "@type": "ServiceChannel",
                "name": c.method.label(),
                "description": cx.lex.time_short(c.time.as_ref()),
            });
            if let Some(t) = &c.time {
                if let (Some(v), Some(unit)) = (t.value, t.unit) {
                    ch["processingTime"] = json!(duration(v, unit));
                }
            }
            if let Some(fees) = &c.fees {
                let offers: Vec<Value> = if fees.is_empty() {
                    vec![json!({"@type": "Offer", "price": 0, "priceCurrency": "VND", "description": cx.lex.free})]
                } else {
                    fees.iter()
                        .map(|f| {
                            let mut o = json!({"@type": "Offer", "priceCurrency": "VND"});
                            if let Some(a) = f.amount {
                                o["price"] = json!(a);
                            }
                            if let Some(t) = &f.text {
                                o["description"] = json!(t);
                            }
                            o
                        })
                        .collect()
                };
                ch["offers"] = json!(offers);
            }
            if let Some(o) = &u.unit.office {
                ch["serviceLocation"] = json!({"@type": "Place", "name": o.name, "address": o.address});
            }
            ch
        })
        .collect();
    let v = json!({
        "@context": "https://schema.org",
        "@type": "GovernmentService",
        "name": p.title(),
        "identifier": p.code,
        "serviceType": p.sector,
        "url": url,
        "provider": provider,
        "areaServed": u.unit.name,
        "audience": p.applicants.join(", "),
        "availableChannel": channels,
    });
    // Inside a script element neither `</script` nor `<!--` may appear: `<`, `>` and `&`
    // only occur inside JSON strings, where their \u escapes mean the same.
    serde_json::to_string(&v)
        .unwrap_or_default()
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}
