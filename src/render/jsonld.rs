//! schema.org `GovernmentService` JSON-LD for procedure pages, so search engines and the
//! national portal can read the key facts.

use super::RenderContext;
use crate::model::{Procedure, TimeUnit};
use crate::resolve::ResolvedUnit;
use serde::Serialize;

/// ISO 8601 duration of a processing time, when it has a value (working days count as
/// days: ISO has no working days; the text says which).
fn duration(value: f64, unit: TimeUnit) -> String {
    use std::fmt::Write;
    let (head, tail) = match unit {
        TimeUnit::WorkingDays | TimeUnit::Days => ("P", 'D'),
        TimeUnit::Hours => ("PT", 'H'),
        TimeUnit::Months => ("P", 'M'),
        TimeUnit::Years => ("P", 'Y'),
    };
    // Written piece by piece: `format!` starts from an empty string and grows it, and
    // this runs for every channel of every page.
    let mut s = String::with_capacity(24);
    s.push_str(head);
    match value as i64 {
        whole if value.fract() == 0.0 && whole >= 0 => crate::text::push_uint(&mut s, whole as u64),
        whole if value.fract() == 0.0 => {
            let _ = write!(s, "{whole}");
        }
        _ => {
            let _ = write!(s, "{value}");
        }
    }
    s.push(tail);
    s
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

/// Makes JSON safe inside `<script>`: neither `</script` nor `<!--` may appear there.
/// `<`, `>` and `&` only occur inside JSON strings, where their `\u` escapes mean the
/// same. The JSON is written whole first and then searched (memchr), usually finding
/// none: escaping in the writer, which serde_json calls for every key and punctuation
/// mark, cost more than the serialising.
fn script_safe(json: Vec<u8>) -> Vec<u8> {
    if memchr::memchr3(b'<', b'>', b'&', &json).is_none() {
        return json;
    }
    let mut out = Vec::with_capacity(json.len() + 64);
    let mut start = 0;
    for i in memchr::memchr3_iter(b'<', b'>', b'&', &json) {
        out.extend_from_slice(&json[start..i]);
        out.extend_from_slice(match json[i] {
            b'<' => b"\\u003c",
            b'>' => b"\\u003e",
            _ => b"\\u0026",
        });
        start = i + 1;
    }
    out.extend_from_slice(&json[start..]);
    out
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
        url: cx.absolute(&[&u.unit.path, "/", &p.code].concat()),
    };
    let mut out = Vec::with_capacity(2048);
    serde_json::to_writer(&mut out, &service)?;
    Ok(script_safe(out))
}

#[cfg(test)]
mod tests {
    use super::{duration, script_safe};
    use crate::model::TimeUnit;

    /// Durations as `format!` wrote them before: whole values without a fraction,
    /// negative and fractional ones as Rust prints them.
    #[test]
    fn durations_are_iso_8601() {
        fn reference(value: f64, unit: TimeUnit) -> String {
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
        assert_eq!(duration(3.0, TimeUnit::WorkingDays), "P3D");
        assert_eq!(duration(4.0, TimeUnit::Hours), "PT4H");
        assert_eq!(duration(0.5, TimeUnit::Days), "P0.5D");
        let units = [
            TimeUnit::WorkingDays,
            TimeUnit::Days,
            TimeUnit::Hours,
            TimeUnit::Months,
            TimeUnit::Years,
        ];
        let values = [
            0.0, 1.0, 9.0, 10.0, 15.0, 60.0, 365.0, 1e6, 0.5, 1.25, -2.0, -0.5, 1e300,
        ];
        for unit in units {
            for v in values {
                assert_eq!(duration(v, unit), reference(v, unit), "{v} {unit:?}");
            }
        }
    }

    /// What could end the script element or open a comment is escaped, and the JSON
    /// still reads as the same value; JSON without any is returned as it was.
    #[test]
    fn json_is_made_safe_inside_script() {
        let value = serde_json::json!({"name": "a </script><!-- b & c > d", "n": 1});
        let safe = script_safe(serde_json::to_vec(&value).unwrap());
        let text = String::from_utf8(safe).unwrap();
        assert!(
            !text.contains('<') && !text.contains('>') && !text.contains('&'),
            "{text}"
        );
        assert!(
            text.contains(r"\u003c/script\u003e\u003c!-- b \u0026 c \u003e d"),
            "{text}"
        );
        let back: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(back, value);
        let plain = br#"{"name":"Th\u1ee7 t\u1ee5c","n":1}"#.to_vec();
        assert_eq!(script_safe(plain.clone()), plain);
    }
}
