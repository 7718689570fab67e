//! schema.org `GovernmentService` JSON-LD for procedure pages, so search engines and the
//! national portal can read the key facts. Every type and property is used within
//! schema.org's domains and ranges (tests/open_data.rs checks each block against the
//! vocabulary); the mapping is documented in docs/open-data.md.

use super::format::Lexicon;
use super::RenderContext;
use crate::model::{Method, Procedure, Status, TimeUnit};
use crate::resolve::ResolvedUnit;
use serde::Serialize;

/// ISO 8601 duration of a processing time in calendar units (schema.org's
/// `processingTime` is a `Duration`). Working days have no ISO form: counting them as
/// days would promise a citizen 22 calendar days for 22 working days (a month), so
/// they get none and the channel's `description` says them.
fn duration(value: f64, unit: TimeUnit) -> Option<String> {
    let (head, tail) = match unit {
        TimeUnit::WorkingDays => return None,
        TimeUnit::Days => ("P", 'D'),
        TimeUnit::Hours => ("PT", 'H'),
        TimeUnit::Months => ("P", 'M'),
        TimeUnit::Years => ("P", 'Y'),
    };
    Some(if value.fract() == 0.0 {
        format!("{head}{}{tail}", value as i64)
    } else {
        format!("{head}{value}{tail}")
    })
}

/// The JSON-LD object of a procedure page.
#[derive(Serialize)]
struct Service<'a> {
    #[serde(rename = "@context")]
    context: &'static str,
    #[serde(rename = "@type")]
    kind: &'static str,
    name: &'a str,
    identifier: &'a str,
    url: String,
    #[serde(rename = "serviceType", skip_serializing_if = "Option::is_none")]
    service_type: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<String>,
    #[serde(rename = "areaServed")]
    area_served: Named<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    audience: Option<Audience>,
    provider: Organization<'a>,
    #[serde(rename = "serviceOperator", skip_serializing_if = "Option::is_none")]
    service_operator: Option<Organization<'a>>,
    #[serde(rename = "availableChannel")]
    available_channel: Vec<Channel<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    offers: Vec<Offer<'a>>,
    #[serde(rename = "isRelatedTo", skip_serializing_if = "Option::is_none")]
    is_related_to: Option<Related>,
}

/// A typed thing known by its name (`AdministrativeArea`, `Place`).
#[derive(Serialize)]
struct Named<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    address: Option<&'a str>,
}

#[derive(Serialize)]
struct Audience {
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(rename = "audienceType")]
    audience_type: String,
}

#[derive(Serialize)]
struct Organization<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    address: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    email: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    telephone: Option<&'a str>,
}

#[derive(Serialize)]
struct Channel<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    name: &'a str,
    description: String,
    #[serde(rename = "processingTime", skip_serializing_if = "Option::is_none")]
    processing_time: Option<String>,
    #[serde(rename = "serviceLocation", skip_serializing_if = "Option::is_none")]
    service_location: Option<Named<'a>>,
    #[serde(rename = "serviceUrl", skip_serializing_if = "Option::is_none")]
    service_url: Option<&'a str>,
}

#[derive(Serialize)]
struct Offer<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    /// The channel the fee is paid on.
    name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    price: Option<i64>,
    #[serde(rename = "priceCurrency", skip_serializing_if = "Option::is_none")]
    price_currency: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    availability: Option<&'static str>,
    #[serde(rename = "validFrom", skip_serializing_if = "Option::is_none")]
    valid_from: Option<String>,
    #[serde(rename = "validThrough", skip_serializing_if = "Option::is_none")]
    valid_through: Option<String>,
}

/// The procedure that replaces a repealed one.
#[derive(Serialize)]
struct Related {
    #[serde(rename = "@type")]
    kind: &'static str,
    identifier: String,
    url: String,
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

/// The offers of a procedure: its fees, on the service (schema.org puts `offers` on a
/// `Service`, not on a `ServiceChannel`), each named by its channel. A repealed
/// procedure's offers are `Discontinued` through the day before its repeal, an upcoming
/// one's valid from its effective date; such a procedure has at least one offer, so
/// the mark is there even when its fees are not published.
fn offers<'a>(p: &'a Procedure, lex: &'a Lexicon, status: Status) -> Vec<Offer<'a>> {
    let mut list: Vec<Offer> = Vec::new();
    for c in &p.channels {
        let name = c.method.label();
        match c.fees.as_deref() {
            None => {}
            Some([]) => list.push(Offer::new(name, Some(&lex.free), Some(0))),
            Some(fees) => list.extend(
                fees.iter()
                    .map(|f| Offer::new(name, f.text.as_deref(), f.amount)),
            ),
        }
    }
    if status != Status::Current && list.is_empty() {
        list.push(Offer::new(p.title(), None, None));
    }
    for o in &mut list {
        match status {
            Status::Current => {}
            Status::Upcoming => o.valid_from = p.effective.map(|d| d.iso()),
            Status::Repealed => {
                o.availability = Some("https://schema.org/Discontinued");
                o.valid_through = p.repealed.map(|d| d.iso());
            }
        }
    }
    list
}

impl<'a> Offer<'a> {
    fn new(name: &'a str, description: Option<&'a str>, price: Option<i64>) -> Offer<'a> {
        Offer {
            kind: "Offer",
            name,
            description,
            price,
            price_currency: price.map(|_| "VND"),
            availability: None,
            valid_from: None,
            valid_through: None,
        }
    }
}

/// The JSON-LD of a procedure as a unit publishes it, safe inside `<script>`.
pub fn procedure(
    cx: &RenderContext,
    u: &ResolvedUnit,
    p: &Procedure,
) -> serde_json::Result<String> {
    let status = p.status(cx.site.today);
    // Where a citizen goes: the procedure's own `place`, the unit's office only when it
    // gives none (as the page shows it).
    let office = u.unit.office.as_ref();
    let location = if p.place.is_some() {
        Some(Named {
            kind: "Place",
            name: p.place.as_deref().unwrap_or_default(),
            address: None,
        })
    } else {
        office.map(|o| Named {
            kind: "Place",
            name: &o.name,
            address: Some(&o.address),
        })
    };
    let channels = p
        .channels
        .iter()
        .map(|c| Channel {
            kind: "ServiceChannel",
            name: c.method.label(),
            description: cx.lex.time_short(c.time.as_ref()),
            processing_time: c.time.as_ref().and_then(|t| duration(t.value?, t.unit?)),
            service_location: location.as_ref().map(|l| Named {
                kind: l.kind,
                name: l.name,
                address: l.address,
            }),
            service_url: match c.method {
                Method::TrucTuyen => p.online_url.as_deref(),
                _ => None,
            },
        })
        .collect();
    let description = match status {
        Status::Current => None,
        Status::Upcoming => p.effective.map(|d| {
            format!(
                "{} {}",
                cx.theme
                    .strings
                    .get("banner_upcoming")
                    .map(String::as_str)
                    .unwrap_or("Thủ tục này chưa có hiệu lực. Ngày có hiệu lực:"),
                d.vi()
            )
        }),
        Status::Repealed => Some(format!(
            "{} {}",
            cx.theme
                .strings
                .get("banner_repealed")
                .map(String::as_str)
                .unwrap_or("Thủ tục này đã bãi bỏ từ ngày"),
            p.repealed.map(|d| d.vi()).unwrap_or_default()
        )),
    };
    let (provider, operator) = agencies(u, p);
    let service = Service {
        context: "https://schema.org",
        kind: "GovernmentService",
        name: p.title(),
        identifier: &p.code,
        url: cx.absolute(&[&u.unit.path, "/", &p.code].concat()),
        service_type: p.sector.as_deref(),
        description,
        area_served: Named {
            kind: "AdministrativeArea",
            name: &u.unit.name,
            address: None,
        },
        audience: (!p.applicants.is_empty()).then(|| Audience {
            kind: "Audience",
            audience_type: p.applicants.join(", "),
        }),
        provider,
        service_operator: operator,
        available_channel: channels,
        offers: offers(p, &cx.lex, status),
        is_related_to: p
            .replaced_by
            .as_ref()
            .filter(|_| status == Status::Repealed)
            .map(|code| Related {
                kind: "GovernmentService",
                identifier: code.to_string(),
                url: cx.absolute(&format!("tthc/{code}")),
            }),
    };
    Ok(script_safe(serde_json::to_string(&service)?))
}

/// `provider` and `serviceOperator` as schema.org means them: the provider is the body
/// the service is the duty of (`authority`, the cơ quan có thẩm quyền, where the
/// procedure names one, else the executing `agency`); the operator is the executing
/// agency when it differs from the provider. Both named as the page names them. Only a
/// procedure that names no agency falls back to the publishing unit, with its office's
/// contact.
fn agencies<'a>(
    u: &'a ResolvedUnit,
    p: &'a Procedure,
) -> (Organization<'a>, Option<Organization<'a>>) {
    let org = |name: &'a str| Organization {
        kind: "GovernmentOrganization",
        name,
        address: None,
        email: None,
        telephone: None,
    };
    match (p.authority.as_deref(), p.agency.as_deref()) {
        (Some(auth), Some(agency)) if auth != agency => (org(auth), Some(org(agency))),
        (Some(name), _) | (None, Some(name)) => (org(name), None),
        (None, None) => {
            let office = u.unit.office.as_ref();
            (
                Organization {
                    kind: "GovernmentOrganization",
                    name: &u.unit.name,
                    address: office.map(|o| o.address.as_str()),
                    email: office.and_then(|o| o.email.as_deref()),
                    telephone: office.and_then(|o| o.phone.as_deref()),
                },
                None,
            )
        }
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
                    assert_eq!(v["areaServed"]["name"], &*u.unit.name);
                    let channels = v["availableChannel"].as_array().expect("channels");
                    assert_eq!(channels.len(), p.channels.len());
                    for c in channels {
                        // The procedure's own place, else the unit's office.
                        let place = &c["serviceLocation"]["name"];
                        match (&p.place, &u.unit.office) {
                            (Some(own), _) => assert_eq!(place, &**own, "{text}"),
                            (None, Some(o)) => assert_eq!(place, o.name.as_str(), "{text}"),
                            (None, None) => assert!(place.is_null(), "{text}"),
                        }
                        assert!(c.get("offers").is_none(), "{text}");
                    }
                    // The agency the page shows, the unit only when none is named.
                    let provider = v["provider"]["name"].as_str().unwrap_or_default();
                    let named = p.authority.as_deref().or(p.agency.as_deref());
                    assert_eq!(provider, named.unwrap_or(&u.unit.name), "{text}");
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

    /// Whole values without a fraction, negative and fractional ones as Rust prints them;
    /// working days none (ISO 8601 has no working days).
    #[test]
    fn durations_are_iso_8601_in_calendar_units_only() {
        assert_eq!(duration(3.0, TimeUnit::WorkingDays), None);
        assert_eq!(duration(4.0, TimeUnit::Hours).as_deref(), Some("PT4H"));
        assert_eq!(duration(0.5, TimeUnit::Days).as_deref(), Some("P0.5D"));
        assert_eq!(duration(2.0, TimeUnit::Months).as_deref(), Some("P2M"));
        assert_eq!(duration(1.25, TimeUnit::Years).as_deref(), Some("P1.25Y"));
        assert_eq!(duration(-2.0, TimeUnit::Days).as_deref(), Some("P-2D"));
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
