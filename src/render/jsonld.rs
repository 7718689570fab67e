//! schema.org `GovernmentService` JSON-LD for procedure pages, so search engines and the
//! national portal can read the key facts.

use super::format::Lexicon;
use super::RenderContext;
use crate::model::{Office, Procedure, TimeUnit};
use crate::resolve::ResolvedUnit;
use serde::Serialize;

/// ISO 8601 duration of a processing time, when it has a value (working days count as
/// days: ISO has no working days; the text says which).
fn duration(value: f64, unit: TimeUnit) -> String {
    let (head, tail) = match unit {
        TimeUnit::WorkingDays | TimeUnit::Days => ("P", 'D'),
        TimeUnit::Hours => ("PT", 'H'),
        TimeUnit::Months => ("P", 'M'),
        TimeUnit::Years => ("P", 'Y'),
    };
    if value.fract() == 0.0 {
        format!("{head}{}{tail}", value as i64)
    } else {
        format!("{head}{value}{tail}")
    }
}

// Fields in alphabetical order: the order the page had when this was built with
// `serde_json::json!` (a sorted map), kept so outputs do not change.

/// The JSON-LD object of a procedure page.
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
/// same.
fn script_safe(json: String) -> String {
    if !json.contains(['<', '>', '&']) {
        return json;
    }
    json.replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

/// The channels of a procedure as [`Service`] lists them; `office` is the publishing
/// unit's, whose place each channel names (`serviceLocation`).
fn channels<'a>(
    p: &'a Procedure,
    lex: &'a Lexicon,
    office: Option<&'a Office>,
) -> impl Iterator<Item = Channel<'a>> {
    p.channels.iter().map(move |c| Channel {
        kind: "ServiceChannel",
        description: lex.time_short(c.time.as_ref()),
        name: c.method.label(),
        offers: c.fees.as_ref().map(|fees| {
            if fees.is_empty() {
                vec![Offer {
                    kind: "Offer",
                    description: Some(&lex.free),
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
}

/// The JSON-LD of a procedure as a unit publishes it, safe inside `<script>`.
pub fn procedure(
    cx: &RenderContext,
    u: &ResolvedUnit,
    p: &Procedure,
) -> serde_json::Result<String> {
    let office = u.unit.office.as_ref();
    let service = Service {
        context: "https://schema.org",
        kind: "GovernmentService",
        area_served: &u.unit.name,
        audience: p.applicants.join(", "),
        available_channel: channels(p, &cx.lex, office).collect(),
        identifier: &p.code,
        name: p.title(),
        provider: provider(u),
        service_type: p.sector.as_deref(),
        url: cx.absolute(&[&u.unit.path, "/", &p.code].concat()),
    };
    Ok(script_safe(serde_json::to_string(&service)?))
}

fn provider(u: &ResolvedUnit) -> Provider<'_> {
    let office = u.unit.office.as_ref();
    Provider {
        kind: "GovernmentOrganization",
        address: office.map(|o| o.address.as_str()),
        email: office.map(|o| o.email.as_deref()),
        name: &u.unit.name,
        telephone: office.map(|o| o.phone.as_deref()),
    }
}

#[cfg(test)]
mod tests {
    use super::{duration, procedure, script_safe};
    use crate::model::{Fee, Procedure, TimeUnit};
    use crate::render::RenderContext;

    /// The JSON-LD of every procedure of every unit of the example site, and of each
    /// again with its channels free, unpublished, without times, with texts that need
    /// escaping and with no channel, for units with and without an office: JSON that
    /// holds nothing that could end its `<script>`, with the unit's place in every
    /// channel when the unit has an office.
    #[test]
    fn every_procedure_has_json_ld_safe_in_a_script() {
        let (mut site, theme) = crate::render::example_site();
        // Half the units without an office (no `serviceLocation`, a bare provider).
        for u in site.units.iter_mut().step_by(2) {
            std::sync::Arc::make_mut(&mut u.unit).office = None;
        }
        let opts = crate::render::RenderOptions::default();
        let cx = RenderContext::new(&site, &theme, &opts);
        let variants = |p: &Procedure| -> Vec<Procedure> {
            let mut free = p.clone();
            let mut unpublished = p.clone();
            let mut timeless = p.clone();
            let mut odd = p.clone();
            for c in &mut free.channels {
                c.fees = Some(Vec::new());
            }
            for c in &mut unpublished.channels {
                c.fees = None;
            }
            for c in &mut timeless.channels {
                c.time = None;
            }
            odd.applicants = vec!["Người \"đặc biệt\" </script>".into()];
            odd.sector = None;
            for c in &mut odd.channels {
                c.fees = Some(vec![Fee {
                    amount: None,
                    text: Some("Phí <b>&</b> \\ \u{1}".into()),
                    raw: None,
                }]);
            }
            let mut none = p.clone();
            none.channels.clear();
            vec![p.clone(), free, unpublished, timeless, odd, none]
        };
        let mut checked = 0;
        let mut without_office = 0;
        for u in &site.units {
            for pb in &u.procedures {
                for p in variants(&pb.procedure) {
                    let text = procedure(&cx, u, &p).expect("JSON-LD");
                    assert!(!text.contains(['<', '>', '&']), "{text}");
                    let v: serde_json::Value = serde_json::from_str(&text).expect("JSON");
                    assert_eq!(v["identifier"], p.code.as_str());
                    assert_eq!(v["areaServed"], &*u.unit.name);
                    let channels = v["availableChannel"].as_array().expect("channels");
                    assert_eq!(channels.len(), p.channels.len());
                    for c in channels {
                        assert_eq!(
                            c.get("serviceLocation").is_some(),
                            u.unit.office.is_some(),
                            "{text}"
                        );
                    }
                    checked += 1;
                    without_office += usize::from(u.unit.office.is_none());
                }
            }
        }
        assert!(
            checked > 200 && without_office > 50,
            "{checked} {without_office}"
        );
    }

    /// Whole values without a fraction, negative and fractional ones as Rust prints them.
    #[test]
    fn durations_are_iso_8601() {
        assert_eq!(duration(3.0, TimeUnit::WorkingDays), "P3D");
        assert_eq!(duration(4.0, TimeUnit::Hours), "PT4H");
        assert_eq!(duration(0.5, TimeUnit::Days), "P0.5D");
        assert_eq!(duration(2.0, TimeUnit::Months), "P2M");
        assert_eq!(duration(1.25, TimeUnit::Years), "P1.25Y");
        assert_eq!(duration(-2.0, TimeUnit::Days), "P-2D");
    }

    /// What could end the script element or open a comment is escaped, and the JSON
    /// still reads as the same value; JSON without any is returned as it was.
    #[test]
    fn json_is_made_safe_inside_script() {
        let value = serde_json::json!({"name": "a </script><!-- b & c > d", "n": 1});
        let text = script_safe(serde_json::to_string(&value).unwrap());
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
        let plain = r#"{"name":"Th\u1ee7 t\u1ee5c","n":1}"#.to_owned();
        assert_eq!(script_safe(plain.clone()), plain);
    }
}
