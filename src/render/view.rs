//! View models: what templates see. Values are formatted here, in Rust, once; templates
//! only lay them out. A procedure's unit-independent view ([`ProcView`]) is built once
//! per distinct procedure and shared by every unit that adopts it.

use super::format::Lexicon;
use super::markdown::Markdown;
use crate::model::*;
use crate::resolve::{Published, ResolvedSite, ResolvedUnit};
use serde::Serialize;

#[derive(Serialize)]
pub struct FeeView {
    pub amount: Option<String>,
    pub text: Option<Text>,
}

/// The fees of channels that ask the same, for the key facts: each tier with its amount
/// ("Miễn phí" for zero) and its condition cut between words (the whole text is in the
/// fees component).
#[derive(Serialize)]
pub struct FeeGroup {
    /// The channels' names ("Trực tiếp, Bưu chính"); empty when every channel asks the
    /// same.
    pub methods: String,
    /// `listed`, `free` or `unpublished`.
    pub state: &'static str,
    pub tiers: Vec<FeeView>,
}

/// How long a fee condition may be in the key facts.
const FEE_CONDITION_CHARS: usize = 110;

fn fee_groups(channels: &[Channel], lex: &Lexicon) -> Vec<FeeGroup> {
    let mut groups: Vec<(Option<&[Fee]>, Vec<&'static str>)> = Vec::new();
    for c in channels {
        match groups.iter_mut().find(|(f, _)| *f == c.fees.as_deref()) {
            Some((_, m)) => m.push(c.method.label()),
            None => groups.push((c.fees.as_deref(), vec![c.method.label()])),
        }
    }
    let one = groups.len() == 1;
    groups
        .into_iter()
        .map(|(fees, methods)| FeeGroup {
            methods: if one {
                String::new()
            } else {
                methods.join(", ")
            },
            state: match fees {
                None => "unpublished",
                Some([]) => "free",
                Some(_) => "listed",
            },
            tiers: fees
                .unwrap_or_default()
                .iter()
                .map(|f| FeeView {
                    amount: match f.amount {
                        Some(a) if a <= 0 => Some(lex.free_short.clone()),
                        _ => lex.fee_amount(f),
                    },
                    text: f
                        .text
                        .as_deref()
                        .map(|t| super::format::shorten(t, FEE_CONDITION_CHARS).into()),
                })
                .collect(),
        })
        .collect()
}

/// A name without the bullet the national export leaves in front ("* Trường hợp…",
/// "- Tờ khai…").
fn unbulleted(t: &Text) -> Text {
    let trimmed =
        t.trim_start_matches(|c: char| c == '*' || c == '-' || c == '•' || c.is_whitespace());
    if trimmed.len() == t.len() || trimmed.is_empty() {
        t.clone()
    } else {
        trimmed.into()
    }
}

#[derive(Serialize)]
pub struct ChannelView {
    pub method: &'static str,
    pub method_label: &'static str,
    /// `3 ngày làm việc`, or the text, or "Chưa công bố".
    pub time: String,
    /// The text beside a measured time.
    pub time_note: Option<Text>,
    pub time_published: bool,
    /// `listed`, `free` or `unpublished`.
    pub fees_state: &'static str,
    pub fees: Vec<FeeView>,
    pub fees_short: String,
    pub note: Option<Text>,
}

#[derive(Serialize)]
pub struct ItemView {
    pub name: Text,
    pub originals: u32,
    pub copies: u32,
    pub form: Option<Text>,
    /// Root-relative link to the form, when it is a file or URL.
    pub form_href: Option<String>,
    pub note: Option<Text>,
}

#[derive(Serialize)]
pub struct CaseView {
    pub case: Option<Text>,
    pub note: Option<Text>,
    pub items: Vec<ItemView>,
}

#[derive(Serialize)]
pub struct FormView {
    pub name: Text,
    /// Root-relative link to a copied file (`tep-dinh-kem/...`, percent-encoded).
    pub file: Option<String>,
    pub url: Option<String>,
    /// File name shown to the reader.
    pub label: String,
}

/// A procedure, formatted, independent of the unit publishing it: what templates get as
/// `p` (`components.html`, `procedure.html`, `tthc.html`, `sheet.html`; every field is
/// listed in docs/themes.md). Made into a template value once ([`ProcView::value`]) and
/// shared by every page and sheet that shows the procedure.
#[derive(Serialize)]
pub struct ProcData {
    pub code: String,
    pub name: Option<Text>,
    pub title: String,
    pub sector: Option<Text>,
    pub levels: Vec<&'static str>,
    pub decision: Option<Text>,
    pub effective: Option<String>,
    pub repealed: Option<String>,
    pub replaced_by: Option<String>,
    pub status: Status,
    pub applicants: Vec<Text>,
    pub agency: Option<Text>,
    pub authority: Option<Text>,
    pub place: Option<Text>,
    pub result: Vec<Text>,
    pub requirements_html: Option<String>,
    pub legal_basis: Vec<Text>,
    pub online: Option<&'static str>,
    pub online_slug: Option<&'static str>,
    pub online_url: Option<Text>,
    pub keywords: Vec<Text>,
    pub channels: Vec<ChannelView>,
    pub dossier: Vec<CaseView>,
    pub forms: Vec<FormView>,
    pub steps_html: Option<String>,
    pub description_html: Option<String>,
    pub procedure_type: Option<Text>,
    pub delegated_agency: Option<Text>,
    pub coordinating_agency: Option<Text>,
    pub unpublished: Vec<String>,
    pub changed: Option<String>,
    pub changed_iso: Option<String>,
    pub time_summary: String,
    pub fee_summary: String,
    /// The fees for the key facts: each tier with its condition, channels asking the
    /// same together.
    pub fee_groups: Vec<FeeGroup>,
    /// Documents to bring (items asking for at least one original or copy).
    pub documents: usize,
}

/// A procedure's view: its [`ProcData`] as a template value, and what the renderers
/// need of it themselves.
pub struct ProcView {
    /// `p` of the templates: the [`ProcData`], made once. A [`tera::Value`] holds its
    /// strings, lists and maps behind `Arc`s, so every page, sheet and adopting unit
    /// shares it without a copy.
    pub value: tera::Value,
    pub code: String,
    /// The forms a noticeboard sheet lists after the procedure.
    pub forms: Vec<FormView>,
    pub time_summary: String,
    pub fee_summary: String,
    /// The legal basis as the danh mục cites it ([`super::cite::citations`]): made once
    /// per procedure, not once for each unit that prints it.
    pub citations: Vec<super::cite::Citation>,
}

/// Root-relative path of a form file copied into the output.
pub fn form_output_path(content_rel: &str) -> String {
    format!("tep-dinh-kem/{content_rel}")
}

/// Characters left as they are in a link to a form file: letters, digits and `-._~`
/// (RFC 3986's unreserved). Everything else, `#`, `?`, `%`, `\`, spaces and every
/// non-ASCII byte among them, is percent-encoded, so the link names the file.
const FORM_HREF_KEEP: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// The link (root-relative) to a form file copied into the output: its output path with
/// each name percent-encoded.
pub fn form_href(content_rel: &str) -> String {
    let path = form_output_path(content_rel);
    let names: Vec<String> = path
        .split('/')
        .map(|n| percent_encoding::utf8_percent_encode(n, FORM_HREF_KEEP).to_string())
        .collect();
    names.join("/")
}

impl ProcView {
    pub fn build(
        p: &Procedure,
        today: crate::date::Date,
        lex: &Lexicon,
        md: &Markdown,
    ) -> ProcView {
        Self::build_with(p, today, lex, md, lex.summary(&p.channels))
    }

    /// [`ProcView::build`] with the summaries made already.
    pub fn build_with(
        p: &Procedure,
        today: crate::date::Date,
        lex: &Lexicon,
        md: &Markdown,
        summary: super::format::Summary,
    ) -> ProcView {
        let forms: Vec<FormView> = p
            .forms
            .iter()
            .map(|f| match &f.target {
                FormTarget::File { path } => FormView {
                    name: f.name.clone(),
                    file: Some(form_href(path)),
                    url: None,
                    label: path.rsplit('/').next().unwrap_or(path).to_owned(),
                },
                FormTarget::Url { url } => FormView {
                    name: f.name.clone(),
                    file: None,
                    url: Some(url.clone()),
                    label: url.clone(),
                },
            })
            .collect();
        let channels = p
            .channels
            .iter()
            .map(|c| {
                let (fees_state, fees) = match &c.fees {
                    None => ("unpublished", Vec::new()),
                    Some(v) if v.is_empty() => ("free", Vec::new()),
                    Some(v) => (
                        "listed",
                        v.iter()
                            .map(|f| FeeView {
                                amount: lex.fee_amount(f),
                                text: f.text.clone(),
                            })
                            .collect(),
                    ),
                };
                let time_value = c.time.as_ref().and_then(|t| lex.time_value(t));
                ChannelView {
                    method: c.method.slug(),
                    method_label: c.method.label(),
                    time: lex.time_short(c.time.as_ref()),
                    time_note: if time_value.is_some() {
                        c.time.as_ref().and_then(|t| t.text.clone())
                    } else {
                        None
                    },
                    time_published: c
                        .time
                        .as_ref()
                        .is_some_and(|t| t.value.is_some() || t.text.is_some())
                        && !super::format::refers_to_missing_note(c),
                    fees_state,
                    fees,
                    fees_short: lex.fees_short(c.fees.as_deref()),
                    note: c.note.clone(),
                }
            })
            .collect();
        let dossier = p
            .dossier
            .iter()
            .map(|c| CaseView {
                case: c.case.as_ref().map(unbulleted),
                note: c.note.clone(),
                items: c
                    .items
                    .iter()
                    .map(|it| {
                        let form_href = it.form.as_ref().and_then(|name| {
                            forms
                                .iter()
                                .find(|f| &f.name == name)
                                .and_then(|f| f.file.clone().or_else(|| f.url.clone()))
                        });
                        ItemView {
                            name: unbulleted(&it.name),
                            originals: it.originals,
                            copies: it.copies,
                            form: it.form.clone(),
                            form_href,
                            note: it.note.clone(),
                        }
                    })
                    .collect(),
            })
            .collect();
        let documents = p
            .dossier
            .iter()
            .flat_map(|c| &c.items)
            .filter(|i| i.originals + i.copies > 0)
            .count();
        let data = ProcData {
            code: p.code.clone(),
            name: p.name.clone(),
            title: p.title().to_owned(),
            sector: p.sector.clone(),
            levels: p.levels.iter().map(|l| l.label()).collect(),
            decision: p.decision.clone(),
            effective: p.effective.map(|d| d.vi()),
            repealed: p.repealed.map(|d| d.vi()),
            replaced_by: p.replaced_by.clone(),
            status: p.status(today),
            applicants: p.applicants.clone(),
            agency: p.agency.clone(),
            authority: p.authority.clone(),
            place: p.place.clone(),
            result: p.result.clone(),
            requirements_html: p.requirements.as_deref().map(|s| md.render(s)),
            legal_basis: p.legal_basis.clone(),
            online: p.online.map(|o| o.label()),
            online_slug: p.online.map(|o| o.slug()),
            online_url: p.online_url.clone(),
            keywords: p.keywords.clone(),
            channels,
            dossier,
            forms,
            steps_html: p.steps.as_deref().map(|s| md.render(s)),
            description_html: p.description.as_deref().map(|s| md.render(s)),
            procedure_type: lex.procedure_type(p.procedure_type.as_ref()),
            delegated_agency: p.delegated_agency.clone(),
            coordinating_agency: p.coordinating_agency.clone(),
            unpublished: p.unpublished.clone(),
            changed: p.changed(today).map(|d| d.vi()),
            changed_iso: p.changed(today).map(|d| d.iso()),
            time_summary: summary.time,
            fee_summary: summary.fee,
            fee_groups: fee_groups(&p.channels, lex),
            documents,
        };
        ProcView {
            // Strings, numbers, lists and structs: nothing that can fail to serialise
            // (no map with keys other than strings).
            value: tera::Value::try_from_serializable(&data)
                .unwrap_or_else(|_| tera::Value::none()),
            code: data.code,
            forms: data.forms,
            time_summary: data.time_summary,
            fee_summary: data.fee_summary,
            citations: super::cite::citations(&p.legal_basis),
        }
    }
}

#[derive(Serialize, Clone)]
pub struct Link {
    pub name: String,
    pub href: String,
}

/// A unit as shown on its own pages.
#[derive(Serialize)]
pub struct UnitView {
    pub name: String,
    pub kind: &'static str,
    pub kind_label: &'static str,
    pub stale_kind: bool,
    pub code: Option<String>,
    pub path: String,
    pub href: String,
    pub office: Option<Office>,
    pub feedback: Option<Feedback>,
    pub description_html: Option<String>,
    pub former: Vec<FormerView>,
    pub parent: Option<Link>,
    pub last_changed: Option<String>,
    /// For `<time datetime>`.
    pub last_changed_iso: Option<String>,
    pub current_count: usize,
}

#[derive(Serialize)]
pub struct FormerView {
    pub name: String,
    pub path: String,
    pub date: Option<String>,
    pub basis: Option<String>,
}

impl UnitView {
    pub fn build(
        site: &ResolvedSite,
        u: &ResolvedUnit,
        md: &Markdown,
        link: impl Fn(&str) -> String,
    ) -> UnitView {
        UnitView {
            name: u.unit.name.clone(),
            kind: u.unit.kind.slug(),
            kind_label: u.unit.kind.label(),
            stale_kind: u.unit.kind.is_stale(),
            code: u.unit.code.clone(),
            path: u.unit.path.clone(),
            href: link(&u.unit.path),
            office: u.unit.office.clone(),
            feedback: u.feedback.clone(),
            description_html: u.unit.description.as_deref().map(|s| md.render(s)),
            former: u
                .unit
                .former
                .iter()
                .map(|f| FormerView {
                    name: f.name.clone(),
                    path: f.path.clone(),
                    date: f.date.map(|d| d.vi()),
                    basis: f.basis.clone(),
                })
                .collect(),
            parent: u.parent.map(|p| Link {
                name: site.units[p].unit.name.clone(),
                href: link(&site.units[p].unit.path),
            }),
            last_changed: u.last_changed.map(|d| d.vi()),
            last_changed_iso: u.last_changed.map(|d| d.iso()),
            current_count: u.current().count(),
        }
    }
}

/// One row of a danh mục.
#[derive(Serialize)]
pub struct Row {
    pub tt: usize,
    pub code: String,
    pub name: String,
    pub href: String,
    pub sector: Text,
    pub time: String,
    pub fee: String,
    /// The time and the fee in a few words, for the unit page's list
    /// ([`Lexicon::time_brief`], [`Lexicon::fee_brief`]).
    pub time_brief: String,
    pub fee_brief: String,
    pub place: Text,
    pub legal_basis: Vec<Text>,
    /// The legal basis as short citations ("Nghị định 123/2015/NĐ-CP"): filled for the
    /// printed danh mục only ([`super::cite`]), empty elsewhere.
    pub citations: Vec<super::cite::Citation>,
    pub online: Option<&'static str>,
    pub effective: Option<String>,
    pub repealed: Option<String>,
    pub replaced_by: Option<Link>,
    pub origin: crate::resolve::Origin,
}

/// Rows grouped by sector.
#[derive(Serialize)]
pub struct SectorGroup {
    pub sector: Text,
    pub rows: Vec<Row>,
}

impl SectorGroup {
    /// Adds a row of a list in sector order: to the last group if it is of the row's
    /// sector, else in a new group.
    pub fn add(groups: &mut Vec<SectorGroup>, row: Row) {
        match groups.last_mut() {
            Some(g) if g.sector == row.sector => g.rows.push(row),
            _ => groups.push(SectorGroup {
                sector: row.sector.clone(),
                rows: vec![row],
            }),
        }
    }
}

/// Where a unit's procedure is carried out: its own `place`, else the unit's office.
pub fn place_of(p: &Procedure, u: &ResolvedUnit) -> Text {
    p.place.clone().unwrap_or_else(|| match &u.unit.office {
        Some(o) => [&*o.name, ", ", &*o.address].concat().into(),
        None => Text::from(""),
    })
}

pub fn row(
    tt: usize,
    pb: &Published,
    u: &ResolvedUnit,
    lex: &Lexicon,
    summary: (&str, &str),
    link: &dyn Fn(&str) -> String,
    replaced: Option<Link>,
) -> Row {
    let p = &pb.procedure;
    Row {
        tt,
        code: p.code.clone(),
        name: p.title().to_owned(),
        href: link(&[&u.unit.path, "/", &p.code].concat()),
        sector: p
            .sector
            .clone()
            .unwrap_or_else(|| lex.unpublished.as_str().into()),
        time: summary.0.to_owned(),
        fee: summary.1.to_owned(),
        time_brief: lex.time_brief(&p.channels),
        fee_brief: lex.fee_brief(&p.channels),
        place: place_of(p, u),
        legal_basis: p.legal_basis.clone(),
        citations: Vec::new(),
        online: p.online.map(|o| o.label()),
        effective: p.effective.map(|d| d.vi()),
        repealed: p.repealed.map(|d| d.vi()),
        replaced_by: replaced,
        origin: pb.origin,
    }
}
