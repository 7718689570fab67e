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

/// The whole object, which [`procedure`] writes in pieces; serialised whole, it is the
/// reference they are tested against.
#[cfg(test)]
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

/// What a procedure's JSON-LD says whatever unit publishes it, serialised once per
/// procedure and kept with its view ([`super::view::ProcView`]): a catalogue procedure
/// that every commune of a province adopts was serialised again for each, its channels
/// and fees with it (a twentieth of a province build). [`procedure`] puts the unit's
/// parts between these pieces; the bytes are those of serialising [`Service`] whole
/// (tested against it).
pub struct Parts {
    /// `,"audience":…,"availableChannel":[`
    audience: String,
    /// Each channel's object up to its `serviceLocation`, the last key, which is the
    /// unit's (the closing brace follows it).
    channels: Vec<String>,
    /// `],"identifier":…,"name":…,"provider":`
    identity: String,
    /// `,"serviceType":…,"url":`
    service_type: String,
}

impl Parts {
    pub fn of(p: &Procedure, lex: &Lexicon) -> serde_json::Result<Parts> {
        let mut audience = String::from(",\"audience\":");
        audience.push_str(&serde_json::to_string(&p.applicants.join(", "))?);
        audience.push_str(",\"availableChannel\":[");
        let channels = channels(p, lex, None)
            .map(|c| {
                let mut s = serde_json::to_string(&c)?;
                s.pop(); // `}`: the unit's `serviceLocation` goes before it
                Ok(s)
            })
            .collect::<serde_json::Result<Vec<String>>>()?;
        let identity = [
            "],\"identifier\":",
            &serde_json::to_string(&p.code)?,
            ",\"name\":",
            &serde_json::to_string(p.title())?,
            ",\"provider\":",
        ]
        .concat();
        let service_type = [
            ",\"serviceType\":",
            &serde_json::to_string(&p.sector.as_deref())?,
            ",\"url\":",
        ]
        .concat();
        Ok(Parts {
            audience,
            channels,
            identity,
            service_type,
        })
    }
}

/// The JSON-LD of a procedure as a unit publishes it, safe inside `<script>`: the
/// procedure's [`Parts`] with the unit's name, office and address between them.
pub fn procedure(
    cx: &RenderContext,
    u: &ResolvedUnit,
    p: &Procedure,
    parts: Option<&Parts>,
) -> serde_json::Result<Vec<u8>> {
    let Some(parts) = parts else {
        // `Parts::of` failed when the view was built (it serialises only strings).
        return Err(serde::ser::Error::custom(format!(
            "the JSON-LD of {} could not be serialised",
            p.code
        )));
    };
    let office = u.unit.office.as_ref();
    let area = serde_json::to_string(&*u.unit.name)?;
    let location = match office {
        Some(o) => {
            let place = Place {
                kind: "Place",
                address: &o.address,
                name: &o.name,
            };
            [",\"serviceLocation\":", &serde_json::to_string(&place)?].concat()
        }
        None => String::new(),
    };
    let provider = serde_json::to_string(&provider(u))?;
    let url = serde_json::to_string(&cx.absolute(&[&u.unit.path, "/", &p.code].concat()))?;
    let channels: usize = parts.channels.iter().map(|c| c.len() + 2).sum::<usize>()
        + parts.channels.len() * location.len();
    let mut out = Vec::with_capacity(
        96 + area.len()
            + parts.audience.len()
            + channels
            + parts.identity.len()
            + provider.len()
            + parts.service_type.len()
            + url.len(),
    );
    out.extend_from_slice(
        br#"{"@context":"https://schema.org","@type":"GovernmentService","areaServed":"#,
    );
    out.extend_from_slice(area.as_bytes());
    out.extend_from_slice(parts.audience.as_bytes());
    for (i, c) in parts.channels.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        out.extend_from_slice(c.as_bytes());
        out.extend_from_slice(location.as_bytes());
        out.push(b'}');
    }
    out.extend_from_slice(parts.identity.as_bytes());
    out.extend_from_slice(provider.as_bytes());
    out.extend_from_slice(parts.service_type.as_bytes());
    out.extend_from_slice(url.as_bytes());
    out.push(b'}');
    Ok(script_safe(out))
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

/// The JSON-LD serialised whole, as [`procedure`] wrote it before [`Parts`]: the
/// reference the pieces are tested against.
#[cfg(test)]
fn procedure_whole(cx: &RenderContext, u: &ResolvedUnit, p: &Procedure) -> Vec<u8> {
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
    script_safe(serde_json::to_vec(&service).expect("JSON-LD"))
}

#[cfg(test)]
mod tests {
    use super::{duration, procedure, procedure_whole, script_safe, Parts};
    use crate::model::{Fee, Procedure, TimeUnit};
    use crate::render::RenderContext;

    /// The JSON-LD put together from a procedure's [`Parts`] and the unit's pieces is
    /// byte for byte the one serialised whole, for every procedure of every unit of the
    /// example site, for each again with its channels free, unpublished, without times,
    /// with texts that need escaping and with no channel, for units with and without an
    /// office.
    #[test]
    fn pieces_give_the_bytes_of_the_whole() {
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
                    let parts = Parts::of(&p, &cx.lex).expect("parts");
                    let pieces = procedure(&cx, u, &p, Some(&parts)).expect("JSON-LD");
                    assert_eq!(
                        String::from_utf8_lossy(&pieces),
                        String::from_utf8_lossy(&procedure_whole(&cx, u, &p)),
                        "{} in {}",
                        p.code,
                        u.unit.path
                    );
                    checked += 1;
                    without_office += usize::from(u.unit.office.is_none());
                }
            }
        }
        assert!(
            checked > 200 && without_office > 50,
            "{checked} {without_office}"
        );
        // Parts that failed to serialise are an error, not an empty script.
        let u = &site.units[0];
        let p = &u.procedures[0].procedure;
        assert!(procedure(&cx, u, p, None).is_err());
    }

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
