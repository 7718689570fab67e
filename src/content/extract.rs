//! From spanned TOML tables to the domain types of [`crate::model`], collecting every
//! problem on the way.

use super::pool::TextPool;
use super::value::{self as v, At, Field, Keys};
use crate::diag::msg::Part;
use crate::diag::{Diagnostics, Loc, Msg};
use crate::disclosure;
use crate::model::*;
use crate::text::{is_code, is_segment, nfc};
use std::path::{Component, Path, PathBuf};
use toml_spanner::{Array, Table, Value as TomlValue};

fn sub<'a, 'i>(f: Field<'a, 'i>, t: &'a Table<'i>, prefix: String) -> Keys<'a, 'i> {
    Keys::new(f.at, t, f.value.span().start as usize, prefix)
}

/// The tables of an array of tables named `key`, each as its keys (prefixed `key[n].` in
/// messages) with unknown keys reported; an item that is not a table is reported and
/// skipped. `keys.loc` is where the item starts.
fn table_items<'a, 'i>(
    arr: &'a Array<'i>,
    at: v::At<'a>,
    key: &str,
    known: &[&str],
    d: &mut Diagnostics,
) -> Vec<Keys<'a, 'i>> {
    let mut out = Vec::with_capacity(arr.len());
    for (i, item) in arr.iter().enumerate() {
        let fi = Field { value: item, at };
        // `{key}[{n}].`, without `format!` (see `Keys::path`).
        let mut prefix = String::with_capacity(key.len() + 8);
        prefix.push_str(key);
        prefix.push('[');
        crate::text::push_uint(&mut prefix, i as u64 + 1);
        prefix.push_str("].");
        if let Some(t) = v::table(fi, &prefix[..prefix.len() - 1], d) {
            let k = sub(fi, t, prefix);
            k.check_unknown(known, d);
            out.push(k);
        }
    }
    out
}

fn office(f: Field, key: &str, d: &mut Diagnostics) -> Option<Office> {
    let t = v::table(f, key, d)?;
    let k = sub(f, t, [key, "."].concat());
    k.check_unknown(
        &["name", "address", "phone", "email", "hours", "website"],
        d,
    );
    let name = k.text_req("name", d);
    let address = k.text_req("address", d);
    Some(Office {
        name: name?,
        address: address?,
        phone: k.phone_opt("phone", d),
        email: k.email_opt("email", d),
        hours: k.str_opt("hours", d),
        website: k.url_opt("website", d),
    })
}

/// A feedback (phản ánh, kiến nghị) contact table.
pub fn feedback(f: Field, key: &str, d: &mut Diagnostics) -> Option<Feedback> {
    let t = v::table(f, key, d)?;
    let k = sub(f, t, [key, "."].concat());
    k.check_unknown(&["agency", "address", "phone", "email", "website"], d);
    let agency = k.text_req("agency", d);
    let address = k.text_req("address", d);
    Some(Feedback {
        agency: agency?,
        address: address?,
        phone: k.phone_opt("phone", d),
        email: k.email_opt("email", d),
        website: k.url_opt("website", d),
    })
}

/// The keys of `_unit.toml`.
pub const UNIT_KEYS: &[&str] = &[
    "name",
    "kind",
    "code",
    "office",
    "feedback",
    "adopt",
    "adopt_levels",
    "former",
    "description",
    "extra",
];

/// Reads `_unit.toml`. `path` is the unit's address, `dir` its folder.
pub fn unit(keys: &Keys, path: String, dir: PathBuf, d: &mut Diagnostics) -> Option<Unit> {
    keys.check_unknown(UNIT_KEYS, d);
    let name = keys.text_req("name", d);
    let kind_loc = keys.get("kind").map_or_else(|| keys.loc(), |f| f.loc());
    let kind = match keys.get("kind") {
        Some(f) => v::slug::<UnitKind>(f, "kind", d),
        None => {
            keys.missing("kind", d);
            None
        }
    };
    let code = keys.str_opt("code", d);
    let office = keys.get("office").and_then(|f| office(f, "office", d));
    let feedback = keys
        .get("feedback")
        .and_then(|f| feedback(f, "feedback", d));
    let mut adopt = Vec::new();
    if let Some(f) = keys.get("adopt") {
        if let Some(arr) = v::array(f, "adopt", d) {
            for (i, item) in arr.iter().enumerate() {
                let fi = Field {
                    value: item,
                    at: f.at,
                };
                if let Some(code) = v::string(fi, &format!("adopt[{}]", i + 1), d) {
                    adopt.push(Adoption {
                        code: code.trim().to_owned(),
                        loc: fi.loc(),
                    });
                }
            }
        }
    }
    let adopt_levels = keys
        .get("adopt_levels")
        .and_then(|f| v::slug_list::<Level>(f, "adopt_levels", d))
        .unwrap_or_default();
    let mut former = Vec::new();
    if let Some(f) = keys.get("former") {
        if let Some(arr) = v::array(f, "former", d) {
            for k in table_items(arr, f.at, "former", &["path", "name", "date", "basis"], d) {
                let p = k.text_req("path", d).and_then(|p| {
                    let p = p.trim_matches('/').to_owned();
                    if p.split('/').all(is_segment) {
                        Some(p)
                    } else {
                        d.error(
                            k.get("path").map(|f| f.loc()).unwrap_or_else(|| k.loc()),
                            Msg::BadFormerPath {
                                key: k.path("path"),
                                found: p,
                            },
                        );
                        None
                    }
                });
                let n = k.text_req("name", d);
                let date = k.get("date").and_then(|f| v::date(f, &k.path("date"), d));
                let basis = k.str_opt("basis", d);
                if let (Some(path), Some(name)) = (p, n) {
                    former.push(Former {
                        path,
                        name,
                        date,
                        basis,
                        loc: k.loc(),
                    });
                }
            }
        }
    }
    let description = keys.str_opt("description", d);
    let extra = v::extra(keys, UNIT_KEYS, d);
    Some(Unit {
        path,
        dir,
        name: name?,
        kind: kind?,
        code,
        office,
        feedback,
        adopt,
        adopt_levels,
        former,
        description,
        extra,
        kind_loc,
        loc: keys.loc(),
    })
}

/// Every key a procedure may have: the spec's and niemyet's extensions.
pub const PROCEDURE_KEYS: &[&str] = &[
    "code",
    "name",
    "sector",
    "level",
    "decision",
    "effective",
    "repealed",
    "replaced_by",
    "applicants",
    "agency",
    "authority",
    "place",
    "result",
    "requirements",
    "legal_basis",
    "online",
    "online_url",
    "keywords",
    "channels",
    "dossier",
    "forms",
    "steps",
    "unpublished",
    "updated",
    "procedure_type",
    "delegated_agency",
    "coordinating_agency",
    "description",
    "source",
    "extra",
];

/// Keys that belong in a procedure's tables, not at its top (`fees` is per channel): an
/// unknown top-level key close to one of them is pointed there.
const NESTED: &[(&str, &str)] = &[
    ("fees", "channels[].fees"),
    ("time", "channels[].time"),
    ("method", "channels[].method"),
    ("items", "dossier[].items"),
    ("case", "dossier[].case"),
];

/// The message for an unknown top-level key of a procedure.
fn unknown_procedure_key(k: &str) -> Msg {
    match v::unknown_key("", k, PROCEDURE_KEYS) {
        Msg::UnknownKey {
            key,
            suggestion: None,
            known,
        } => {
            let nested = crate::diag::fix::closest(
                k,
                NESTED
                    .iter()
                    .map(|(name, _)| (*name, crate::diag::msg::label(name))),
            )
            .and_then(|n| NESTED.iter().find(|(name, _)| *name == n))
            .map(|(_, path)| (*path).to_owned());
            Msg::UnknownKey {
                key,
                suggestion: nested,
                known,
            }
        }
        other => other,
    }
}

/// A procedure's keys from one file, or a catalogue entry's keys overridden by a unit's
/// file: each key remembers which file it came from.
pub struct Merged<'a, 'i> {
    /// In the order of the file (a catalogue entry's keys, then the unit's new ones): a
    /// procedure has a few dozen keys, found by a scan comparing lengths first, where a
    /// B-tree compared strings and allocated nodes (1 % of a 20k build).
    /// Each with where its key is written (an offset into its TOML), for messages about
    /// the key itself.
    pub fields: Vec<(&'a str, Field<'a, 'i>, u32)>,
    /// Where missing keys are reported: the start of the front matter of the file that was
    /// written last (the unit's own file when overriding).
    pub loc: Loc,
    /// Markdown body (a `.md` file's steps) with where it starts; an empty body is unset.
    pub body: Option<(&'a str, Loc)>,
}

impl<'a, 'i> Merged<'a, 'i> {
    pub fn from_table(at: At<'a>, table: &'a Table<'i>, loc: Loc) -> Self {
        let fields = table
            .iter()
            .map(|(k, value)| (k.name, Field { value, at }, k.span.start))
            .collect();
        Merged {
            fields,
            loc,
            body: None,
        }
    }

    /// Lays `local` over `self`: every key `local` sets replaces the whole of ours.
    pub fn overlay(mut self, local: Merged<'a, 'i>) -> Self {
        for (k, f, at) in local.fields {
            match self.position(k) {
                Some(i) => self.fields[i] = (k, f, at),
                None => self.fields.push((k, f, at)),
            }
        }
        if local.body.is_some() {
            self.body = local.body;
        }
        self.loc = local.loc;
        self
    }

    fn position(&self, key: &str) -> Option<usize> {
        self.fields.iter().position(|(name, _, _)| *name == key)
    }

    fn get(&self, key: &str) -> Option<Field<'a, 'i>> {
        self.position(key).map(|i| self.fields[i].1)
    }
}

/// Context a procedure is read in.
pub struct ProcCtx<'c> {
    /// The site root, to find form files.
    pub root: &'c Path,
    /// The canonical form of `content`, to catch symlinks that lead out of it.
    pub content_canon: Option<&'c Path>,
    pub files: Vec<PathBuf>,
    /// When true, form files are not looked up on disk (pure parsing of a text, e.g. for
    /// fuzzing); their paths are still checked to stay inside content/.
    pub offline: bool,
    /// The form files looked up, relative to content/: the procedure is read again when
    /// one appears or goes (`serve`), since whether it exists is part of the reading.
    pub forms: std::cell::RefCell<Vec<PathBuf>>,
    /// Where the texts go (one copy of each).
    pub pool: &'c TextPool,
}

/// Reads a procedure from its (possibly merged) keys.
pub fn procedure(m: &Merged, ctx: &ProcCtx, d: &mut Diagnostics) -> Option<Procedure> {
    // Unknown keys, per file they came from.
    for (k, f, at) in &m.fields {
        if !PROCEDURE_KEYS.contains(k) {
            d.error(f.at.loc(*at as usize), unknown_procedure_key(k));
        }
    }

    let unpublished: Vec<String> = m
        .get("unpublished")
        .and_then(|f| {
            let list = v::string_list(f, "unpublished", d)?;
            for k in &list {
                if !disclosure::may_be_unpublished(k) {
                    d.error(
                        f.loc(),
                        Msg::NotUnpublishable {
                            item: k.clone(),
                            allowed: disclosure::unpublishable()
                                .iter()
                                .map(|s| (*s).to_owned())
                                .collect(),
                        },
                    );
                }
            }
            Some(list)
        })
        .unwrap_or_default();
    let is_unpub = |k: &str| unpublished.iter().any(|u| u == k);

    // A required key (the disclosure rules say which): an error when missing, a warning
    // when the source left it empty.
    let required = |key: &str, d: &mut Diagnostics| -> Option<Field> {
        debug_assert!(disclosure::is_required(key), "{key} is not a required key");
        match m.get(key) {
            Some(f) => Some(f),
            None if is_unpub(key) => {
                d.warning(
                    m.loc.clone(),
                    Msg::NotPublished {
                        key: key.to_owned(),
                    },
                );
                None
            }
            None => {
                d.error(
                    m.loc.clone(),
                    Msg::MissingKey {
                        key: key.to_owned(),
                    },
                );
                None
            }
        }
    };
    let pool = ctx.pool;
    let opt_str = |key: &str, d: &mut Diagnostics| -> Option<Text> {
        let f = m.get(key)?;
        let s = v::str_ref(f, key, d)?;
        let s = s.trim();
        (!s.is_empty()).then(|| pool.text(s))
    };

    let code = match m.get("code") {
        Some(f) => v::text(f, "code", d).and_then(|c| {
            if is_code(&c) {
                Some(c)
            } else {
                d.error(f.loc(), Msg::BadCode { found: c });
                None
            }
        }),
        None => {
            d.error(m.loc.clone(), Msg::MissingKey { key: "code".into() });
            None
        }
    };
    let code_loc = m
        .get("code")
        .map(|f| f.loc())
        .unwrap_or_else(|| m.loc.clone());

    let name = required("name", d).and_then(|f| v::text_in(f, "name", pool, d));
    let sector = required("sector", d).and_then(|f| v::text_in(f, "sector", pool, d));
    let levels = required("level", d)
        .and_then(|f| {
            let l = v::slug_list::<Level>(f, "level", d)?;
            if l.is_empty() {
                d.error(
                    f.loc(),
                    Msg::EmptyList {
                        key: "level".into(),
                    },
                );
            }
            Some(l)
        })
        .unwrap_or_default();
    let decision = opt_str("decision", d);
    let effective = m.get("effective").and_then(|f| v::date(f, "effective", d));
    let repealed = m.get("repealed").and_then(|f| v::date(f, "repealed", d));
    let replaced_by = opt_str("replaced_by", d).map(|c| c.to_string());
    if let (Some(f), None) = (m.get("replaced_by"), repealed) {
        d.warning(f.loc(), Msg::ReplacedByWithoutRepealed);
    }
    let list = |key: &str, d: &mut Diagnostics| -> Vec<Text> {
        required(key, d)
            .and_then(|f| {
                let l = v::string_list_in(f, key, pool, d)?;
                if l.iter().all(|s| s.is_empty()) {
                    d.error(
                        f.loc(),
                        Msg::EmptyList {
                            key: key.to_owned(),
                        },
                    );
                }
                Some(l.into_iter().filter(|s| !s.is_empty()).collect())
            })
            .unwrap_or_default()
    };
    let applicants = list("applicants", d);
    let agency = required("agency", d).and_then(|f| v::text_in(f, "agency", pool, d));
    let authority = opt_str("authority", d);
    let place = opt_str("place", d);
    let result = list("result", d);
    let requirements = opt_str("requirements", d);
    let legal_basis = list("legal_basis", d);
    let online = m
        .get("online")
        .and_then(|f| v::slug::<OnlineTier>(f, "online", d));
    let online_url = m
        .get("online_url")
        .and_then(|f| v::web_url(f, "online_url", d))
        .map(Text::from);
    let keywords = m
        .get("keywords")
        .and_then(|f| v::string_list_in(f, "keywords", pool, d))
        .unwrap_or_default();

    let forms = m.get("forms").map(|f| forms(f, ctx, d)).unwrap_or_default();
    let channels = required("channels", d)
        .map(|f| channels(f, &unpublished, pool, d))
        .unwrap_or_default();
    let dossier = required("dossier", d)
        .map(|f| dossier(f, &forms, pool, d))
        .unwrap_or_default();

    let steps = match (m.get("steps"), &m.body) {
        (steps_key, Some((b, body_loc))) => {
            if steps_key.is_some() {
                d.warning(body_loc.clone(), Msg::BodyAndSteps);
            }
            Some(nfc(b))
        }
        (Some(f), None) => v::text(f, "steps", d),
        (None, None) => {
            required("steps", d);
            None
        }
    };
    let updated = m.get("updated").and_then(|f| v::date(f, "updated", d));
    let procedure_type = opt_str("procedure_type", d);
    let delegated_agency = opt_str("delegated_agency", d);
    let coordinating_agency = opt_str("coordinating_agency", d);
    let description = opt_str("description", d);
    let imported = m
        .get("source")
        .and_then(|f| v::table(f, "source", d))
        .is_some_and(|t| t.get("origin").is_some());
    let extra = match m.get("extra") {
        Some(f) if v::table(f, "extra", d).is_some() => {
            v::keys_in_extra(f, PROCEDURE_KEYS, d);
            v::to_json(f)
        }
        _ => serde_json::Value::Null,
    };

    Some(Procedure {
        code: code?,
        name,
        sector,
        levels,
        decision,
        effective,
        repealed,
        replaced_by,
        applicants,
        agency,
        authority,
        place,
        result,
        requirements,
        legal_basis,
        online,
        online_url,
        keywords,
        channels,
        dossier,
        forms,
        steps,
        unpublished,
        updated,
        procedure_type,
        delegated_agency,
        coordinating_agency,
        description,
        extra,
        imported,
        files: ctx.files.clone(),
        loc: code_loc,
    })
}

fn channels(
    f: Field,
    unpublished: &[String],
    pool: &TextPool,
    d: &mut Diagnostics,
) -> Vec<Channel> {
    let Some(arr) = v::array(f, "channels", d) else {
        return Vec::new();
    };
    if arr.is_empty() {
        d.error(f.loc(), Msg::EmptyChannels);
    }
    // Lists are kept for the whole build: allocated at their length, not grown (a grown
    // list held up to twice its items; the 20k site's channels, fees and dossier items
    // were 40 MB of its 125 MB).
    let mut out = Vec::with_capacity(arr.len());
    for k in table_items(
        arr,
        f.at,
        "channels",
        &["method", "time", "fees", "note"],
        d,
    ) {
        let method = match k.get("method") {
            Some(mf) => v::slug::<Method>(mf, &k.path("method"), d),
            None => {
                k.missing("method", d);
                None
            }
        };
        let time = match k.get("time") {
            Some(tf) => time(tf, &k.path("time"), pool, d),
            None => {
                missing_part(
                    "time",
                    k.loc(),
                    Msg::ChannelLacks {
                        key: k.path("time"),
                        part: Part::Time,
                        unpublished: unpublished.iter().any(|u| u == "time"),
                    },
                    d,
                );
                None
            }
        };
        let fees = match k.get("fees") {
            Some(ff) => Some(fees(ff, &k.path("fees"), pool, d)),
            None => {
                missing_part(
                    "fees",
                    k.loc(),
                    Msg::ChannelLacks {
                        key: k.path("fees"),
                        part: Part::Fees,
                        unpublished: unpublished.iter().any(|u| u == "fees"),
                    },
                    d,
                );
                None
            }
        };
        let note = k.text_opt("note", pool, d);
        if let Some(method) = method {
            out.push(Channel {
                method,
                time,
                fees,
                note,
            });
        }
    }
    out
}

/// A channel's part left out: reported as the disclosure rules say for its component.
fn missing_part(component: &str, loc: Loc, msg: Msg, d: &mut Diagnostics) {
    match disclosure::component_of(component).map(|c| c.missing) {
        Some(disclosure::Missing::Error) => d.error(loc, msg),
        Some(disclosure::Missing::Allowed) => {}
        Some(disclosure::Missing::Warning) | None => d.warning(loc, msg),
    }
}

fn time(f: Field, key: &str, pool: &TextPool, d: &mut Diagnostics) -> Option<ProcessingTime> {
    let t = v::table(f, key, d)?;
    let k = sub(f, t, [key, "."].concat());
    k.check_unknown(&["value", "unit", "text", "raw"], d);
    let value = k.get("value").and_then(|f| {
        let x = v::number(f, &k.path("value"), d)?;
        if x < 0.0 {
            d.error(
                f.loc(),
                Msg::NegativeTime {
                    key: k.path("value"),
                    found: x.to_string(),
                },
            );
            return None;
        }
        Some(x)
    });
    let unit = k
        .get("unit")
        .and_then(|f| v::slug::<TimeUnit>(f, &k.path("unit"), d));
    let text = k.text_opt("text", pool, d);
    let raw = k.text_opt("raw", pool, d);
    if value == Some(0.0) && text.is_none() {
        if let Some(f) = k.get("value") {
            d.warning(
                f.loc(),
                Msg::TimeZero {
                    key: key.to_owned(),
                },
            );
        }
    }
    match (k.get("value"), k.get("unit")) {
        (Some(_), None) => d.error(
            k.loc(),
            Msg::TimeValueWithoutUnit {
                key: key.to_owned(),
            },
        ),
        (None, Some(_)) => d.error(
            k.loc(),
            Msg::TimeUnitWithoutValue {
                key: key.to_owned(),
            },
        ),
        (None, None) if text.is_none() => d.warning(
            k.loc(),
            Msg::TimeEmpty {
                key: key.to_owned(),
            },
        ),
        _ => {}
    }
    Some(ProcessingTime {
        value: value.filter(|_| unit.is_some()),
        unit: unit.filter(|_| value.is_some()),
        text,
        raw,
    })
}

fn fees(f: Field, key: &str, pool: &TextPool, d: &mut Diagnostics) -> Vec<Fee> {
    let Some(arr) = v::array(f, key, d) else {
        return Vec::new();
    };
    let mut out = Vec::with_capacity(arr.len());
    for k in table_items(arr, f.at, key, &["amount", "text", "raw"], d) {
        let ikey = k.prefix.trim_end_matches('.').to_owned();
        let amount = k.get("amount").and_then(|af| {
            let n = v::integer(af, &k.path("amount"), d)?;
            if n < 0 {
                d.error(
                    af.loc(),
                    Msg::NegativeAmount {
                        key: k.path("amount"),
                        found: n,
                    },
                );
                return None;
            }
            Some(n)
        });
        let text = k.text_opt("text", pool, d);
        let raw = k.text_opt("raw", pool, d);
        if k.get("amount").is_none() && text.is_none() {
            d.error(k.loc(), Msg::FeeEmpty { key: ikey });
            continue;
        }
        if amount == Some(0) && text.is_none() {
            d.warning(k.loc(), Msg::FeeZeroNoText { key: ikey });
        }
        out.push(Fee { amount, text, raw });
    }
    out
}

fn dossier(f: Field, forms: &[Form], pool: &TextPool, d: &mut Diagnostics) -> Vec<DossierCase> {
    let Some(arr) = v::array(f, "dossier", d) else {
        return Vec::new();
    };
    let mut out = Vec::with_capacity(arr.len());
    for k in table_items(arr, f.at, "dossier", &["case", "note", "items"], d) {
        let case = k.text_opt("case", pool, d);
        let note = k.text_opt("note", pool, d);
        let mut items = Vec::new();
        match k.get("items") {
            None => k.missing("items", d),
            Some(itf) => {
                let items_key = k.path("items");
                if let Some(iarr) = v::array(itf, &items_key, d) {
                    items.reserve_exact(iarr.len());
                    let known = ["name", "originals", "copies", "form", "note"];
                    for kj in table_items(iarr, f.at, &items_key, &known, d) {
                        let name = kj.text_req_in("name", pool, d);
                        let originals = kj.count("originals", d).unwrap_or(0);
                        let copies = kj.count("copies", d).unwrap_or(0);
                        let form = kj.text_opt("form", pool, d);
                        if let (Some(fname), Some(ff)) = (&form, kj.get("form")) {
                            if !forms.iter().any(|x| &x.name == fname) {
                                d.error(
                                    ff.loc(),
                                    Msg::UnknownForm {
                                        key: kj.path("form"),
                                        name: fname.to_string(),
                                    },
                                );
                            }
                        }
                        let note = kj.text_opt("note", pool, d);
                        if let Some(name) = name {
                            items.push(DossierItem {
                                name,
                                originals,
                                copies,
                                form,
                                note,
                            });
                        }
                    }
                }
            }
        }
        out.push(DossierCase { case, note, items });
    }
    out
}

fn forms(f: Field, ctx: &ProcCtx, d: &mut Diagnostics) -> Vec<Form> {
    let Some(arr) = v::array(f, "forms", d) else {
        return Vec::new();
    };
    let mut out = Vec::with_capacity(arr.len());
    for k in table_items(arr, f.at, "forms", &["name", "file", "url"], d) {
        let key = k.prefix.trim_end_matches('.').to_owned();
        let name = k.text_req_in("name", ctx.pool, d);
        let target = match (k.get("file"), k.get("url")) {
            (Some(_), Some(_)) => {
                d.error(k.loc(), Msg::FormBoth { key: key.clone() });
                None
            }
            (None, None) => {
                d.error(k.loc(), Msg::FormNeither { key: key.clone() });
                None
            }
            (Some(ff), None) => v::text(ff, &k.path("file"), d)
                .and_then(|p| form_file(&p, ff, &k.path("file"), ctx, d))
                .map(|path| FormTarget::File { path }),
            (None, Some(uf)) => {
                v::web_url(uf, &k.path("url"), d).map(|url| FormTarget::Url { url })
            }
        };
        if let (Some(name), Some(target)) = (name, target) {
            out.push(Form { name, target });
        }
    }
    out
}

/// Resolves a form's `file` against the procedure's own file; it must exist and stay
/// inside content/. Returns the path relative to content/, with `/`.
fn form_file(p: &str, f: Field, key: &str, ctx: &ProcCtx, d: &mut Diagnostics) -> Option<String> {
    let rel = Path::new(p);
    if rel.is_absolute() || p.starts_with('/') || p.starts_with('\\') || p.contains(':') {
        d.error(
            f.loc(),
            Msg::FormAbsolute {
                key: key.to_owned(),
                path: p.to_owned(),
            },
        );
        return None;
    }
    // The file this key was written in, relative to the root.
    let dir = f.at.src.path.parent().unwrap_or(Path::new(""));
    let joined = dir.join(rel);
    let mut parts: Vec<&std::ffi::OsStr> = Vec::new();
    for c in joined.components() {
        match c {
            Component::Normal(x) => parts.push(x),
            // `..` above the root is kept, so the check below sees it leave content/.
            Component::ParentDir => {
                let above_root = parts.pop().is_none();
                if above_root {
                    parts.push(std::ffi::OsStr::new(".."));
                }
            }
            _ => {}
        }
    }
    let norm: PathBuf = parts.iter().collect();
    let Ok(in_content) = norm.strip_prefix("content") else {
        d.error(
            f.loc(),
            Msg::FormOutside {
                key: key.to_owned(),
                path: p.to_owned(),
            },
        );
        return None;
    };
    ctx.forms.borrow_mut().push(in_content.to_path_buf());
    let full = ctx.root.join(&norm);
    if ctx.offline {
        return Some(content_relative(in_content));
    }
    if !full.is_file() {
        d.error(
            f.loc(),
            Msg::FormMissing {
                key: key.to_owned(),
                path: p.to_owned(),
                looked: norm.display().to_string(),
            },
        );
        return None;
    }
    if let (Some(canon_content), Ok(canon)) = (ctx.content_canon, full.canonicalize()) {
        if !canon.starts_with(canon_content) {
            d.error(
                f.loc(),
                Msg::FormLinkOutside {
                    key: key.to_owned(),
                    path: p.to_owned(),
                },
            );
            return None;
        }
    }
    Some(content_relative(in_content))
}

/// A path relative to content/, joined with `/` for links.
fn content_relative(in_content: &Path) -> String {
    let s: Vec<String> = in_content
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    s.join("/")
}

/// Reads the `code` of a procedure table, quietly (the full read reports problems).
pub fn peek_code(t: &Table) -> Option<String> {
    match t.get("code").map(|v| v.value()) {
        Some(TomlValue::String(s)) => Some(s.trim().to_owned()),
        _ => None,
    }
}
