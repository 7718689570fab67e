//! schema.org `GovernmentService` JSON-LD for procedure pages, so search engines and the
//! national portal can read the key facts.

use super::RenderContext;
use crate::model::{Procedure, TimeUnit};
use crate::resolve::ResolvedUnit;
use serde::Serialize;

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

// Fields in alphabetical order: the order the page had when this was built with
// `serde_json::json!` (a sorted map), kept so outputs do not change.

#[derive(Serialize)]
struct Service<'a> {
    #[serde(rename = "@context")]
    context: &'static str,
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(rename = "areaServed")]
    area_served: &'a str,
    audience: String,
    #[serde(rename = "availableChannel")]
    available_channel: Vec<Channel<'a>>,
    identifier: &'a str,
    name: &'a str,
    provider: Provider<'a>,
    #[serde(rename = "serviceType")]
    service_type: Option<&'a str>,
    url: String,
}

#[derive(Serialize)]
struct Provider<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    address: Option<&'a str>,
    /// Present (maybe `null`) when the unit has an office, as address and telephone.
    #[serde(skip_serializing_if = "Option::is_none")]
    email: Option<Option<&'a str>>,
    name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    telephone: Option<Option<&'a str>>,
}

#[derive(Serialize)]
struct Channel<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    description: String,
    name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    offers: Option<Vec<Offer<'a>>>,
    #[serde(rename = "processingTime", skip_serializing_if = "Option::is_none")]
    processing_time: Option<String>,
    #[serde(rename = "serviceLocation", skip_serializing_if = "Option::is_none")]
    service_location: Option<Place<'a>>,
}

#[derive(Serialize)]
struct Offer<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    price: Option<i64>,
    #[serde(rename = "priceCurrency")]
    price_currency: &'static str,
}

#[derive(Serialize)]
struct Place<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    address: &'a str,
    name: &'a str,
}

/// Writes JSON so that it is safe inside `<script>`: neither `</script` nor `<!--` may
/// appear there. `<`, `>` and `&` only occur inside JSON strings, where their `\u`
/// escapes mean the same.
struct ScriptSafe<'w>(&'w mut Vec<u8>);

impl std::io::Write for ScriptSafe<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let mut start = 0;
        for (i, b) in buf.iter().enumerate() {
            let esc: &[u8] = match b {
                b'<' => b"\\u003c",
                b'>' => b"\\u003e",
                b'&' => b"\\u0026",
                _ => continue,
            };
            self.0.extend_from_slice(&buf[start..i]);
            self.0.extend_from_slice(esc);
            start = i + 1;
        }
        self.0.extend_from_slice(&buf[start..]);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The JSON-LD of a procedure as a unit publishes it, safe inside `<script>`.
pub fn procedure(
    cx: &RenderContext,
    u: &ResolvedUnit,
    p: &Procedure,
) -> serde_json::Result<Vec<u8>> {
    let office = u.unit.office.as_ref();
    let service = Service {
        context: "https://schema.org",
        kind: "GovernmentService",
        area_served: &u.unit.name,
        audience: p.applicants.join(", "),
        available_channel: p
            .channels
            .iter()
            .map(|c| Channel {
                kind: "ServiceChannel",
                description: cx.lex.time_short(c.time.as_ref()),
                name: c.method.label(),
                offers: c.fees.as_ref().map(|fees| {
                    if fees.is_empty() {
                        vec![Offer {
                            kind: "Offer",
                            description: Some(&cx.lex.free),
                            price: Some(0),
                            price_currency: "VND",
                        }]
                    } else {
                        fees.iter()
                            .map(|f| Offer {
                                kind: "Offer",
                                description: f.text.as_deref(),
                                price: f.amount,
                                price_currency: "VND",
                            })
                            .collect()
                    }
                }),
                processing_time: c
                    .time
                    .as_ref()
                    .and_then(|t| Some(duration(t.value?, t.unit?))),
                service_location: office.map(|o| Place {
                    kind: "Place",
                    address: &o.address,
                    name: &o.name,
                }),
            })
            .collect(),
        identifier: &p.code,
        name: p.title(),
        provider: Provider {
            kind: "GovernmentOrganization",
            address: office.map(|o| o.address.as_str()),
            email: office.map(|o| o.email.as_deref()),
            name: &u.unit.name,
            telephone: office.map(|o| o.phone.as_deref()),
        },
        service_type: p.sector.as_deref(),
        url: cx.absolute(&format!("{}/{}", u.unit.path, p.code)),
    };
    let mut out = Vec::with_capacity(2048);
    serde_json::to_writer(ScriptSafe(&mut out), &service)?;
    Ok(out)
}
