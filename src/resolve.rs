//! Stage 2, `resolve`: which procedures each unit publishes (adoption from the catalogue,
//! local overrides, local procedures), their status on the build date, inherited feedback
//! contacts, the unit tree and the redirects of former units.
//!
//! Adopted procedures are shared (`Arc`), not copied: a catalogue entry adopted by 300
//! communes is resolved once and rendered 300 times.

use crate::content::{Content, UnitContent};
use crate::date::Date;
use crate::diag::{Diagnostics, Msg};
use crate::model::*;
use crate::text::fold;
use rayon::prelude::*;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::PathBuf;
use std::sync::Arc;

/// Where a unit's procedure comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Origin {
    /// Adopted from the catalogue as it is.
    Catalog,
    /// The unit's own file laid over a catalogue entry.
    Override,
    /// The unit's own procedure, not in the catalogue.
    Local,
}

/// A procedure as a unit publishes it.
#[derive(Debug, Clone)]
pub struct Published {
    pub procedure: Arc<Procedure>,
    pub status: Status,
    pub origin: Origin,
}

/// A unit with everything resolved.
#[derive(Debug)]
pub struct ResolvedUnit {
    /// Shared with the content cache of `serve` (the same `Arc` while the file is
    /// unchanged).
    pub unit: Arc<Unit>,
    pub parent: Option<usize>,
    pub children: Vec<usize>,
    pub depth: usize,
    /// Its own feedback contact, or the nearest ancestor's, or the site's.
    pub feedback: Option<Feedback>,
    /// Sorted by sector, then code.
    pub procedures: Vec<Published>,
    /// The latest `changed` date of its procedures.
    pub last_changed: Option<Date>,
}

impl ResolvedUnit {
    pub fn current(&self) -> impl Iterator<Item = &Published> {
        self.procedures
            .iter()
            .filter(|p| p.status == Status::Current)
    }
}

/// An old address that must keep answering.
#[derive(Debug)]
pub struct Redirect {
    pub from: String,
    /// (successor unit index, what the successor says of the old unit)
    pub to: Vec<(usize, Former)>,
}

/// The site ready to render.
#[derive(Debug)]
pub struct ResolvedSite {
    pub root: PathBuf,
    pub config: SiteConfig,
    pub today: Date,
    pub units: Vec<ResolvedUnit>,
    pub by_path: HashMap<String, usize>,
    pub redirects: Vec<Redirect>,
    pub catalog: BTreeMap<String, Arc<Procedure>>,
    /// Every code published anywhere → (unit index, position in its list).
    pub by_code: BTreeMap<String, Vec<(usize, usize)>>,
    /// The latest change of anything published.
    pub last_changed: Option<Date>,
}

impl ResolvedSite {
    /// A procedure of a unit by code.
    pub fn find(&self, unit: usize, code: &str) -> Option<&Published> {
        self.units[unit]
            .procedures
            .iter()
            .find(|p| p.procedure.code == code)
    }
}

/// What a unit's own resolution made of its inputs: its procedures (chosen, with status
/// and origin, sorted) and the problems met. It depends only on the unit's file, its
/// procedure files, the catalogue entries it adopts and the date, so `serve` keeps it
/// and reuses it while those stay the same `Arc`s.
#[derive(Clone)]
struct UnitEntry {
    unit: Arc<Unit>,
    local: Arc<[Arc<Procedure>]>,
    procedures: Vec<Published>,
    last_changed: Option<Date>,
    diags: Diagnostics,
}

/// What [`resolve_cached`] keeps between updates of `serve`.
#[derive(Default)]
pub struct ResolveCache {
    today: Option<Date>,
    /// The catalogue the kept units were resolved against.
    catalog: BTreeMap<String, Arc<Procedure>>,
    /// By unit path.
    units: HashMap<String, UnitEntry>,
    /// Sector → its folded form (sorting key), folded once per distinct sector.
    folded: HashMap<String, String>,
    /// `by_code` of the last site, and the unit paths with their codes, in order, it
    /// was built from: reused while no unit's list of codes changed.
    by_code: BTreeMap<String, Vec<(usize, usize)>>,
    by_code_of: Vec<(String, Vec<String>)>,
}

/// Resolves a loaded site for the given date.
pub fn resolve(content: Content, today: Date, d: &mut Diagnostics) -> ResolvedSite {
    resolve_with(content, today, d, None)
}

/// [`resolve`], reusing from `cache` the units whose inputs did not change (the same
/// `Arc`s from the content cache, the same date, no change in the catalogue entries
/// they could adopt), and keeping what it resolves for the next call. The result is the
/// same as [`resolve`]'s, diagnostics included.
pub fn resolve_cached(
    content: Content,
    today: Date,
    d: &mut Diagnostics,
    cache: &mut ResolveCache,
) -> ResolvedSite {
    resolve_with(content, today, d, Some(cache))
}

/// The codes whose catalogue entry differs between two catalogues (added, removed or
/// another `Arc`).
fn catalog_changes<'a>(
    old: &'a BTreeMap<String, Arc<Procedure>>,
    new: &'a BTreeMap<String, Arc<Procedure>>,
) -> HashSet<&'a str> {
    let mut out = HashSet::new();
    for (code, p) in new {
        if old.get(code).is_none_or(|o| !Arc::ptr_eq(o, p)) {
            out.insert(code.as_str());
        }
    }
    for code in old.keys() {
        if !new.contains_key(code) {
            out.insert(code.as_str());
        }
    }
    out
}

/// Which procedures a unit publishes, sorted by (folded sector, code), with the problems
/// of its `adopt` and its duplicate local codes. `rank`: the order of every sector.
fn resolve_unit(
    uc: &UnitContent,
    catalog: &BTreeMap<String, Arc<Procedure>>,
    today: Date,
    rank: &HashMap<&str, usize>,
) -> UnitEntry {
    let unit = &uc.unit;
    let mut d = Diagnostics::new();
    // Local files first: they win over adoption.
    let mut chosen: BTreeMap<&str, Published> = BTreeMap::new();
    for p in uc.local.iter() {
        let origin = if catalog.contains_key(&p.code) {
            Origin::Override
        } else {
            Origin::Local
        };
        if let Some(prev) = chosen.get(p.code.as_str()) {
            d.error(
                p.loc.clone(),
                Msg::DuplicateCode {
                    code: p.code.clone(),
                    unit: unit.path.clone(),
                    other: prev.procedure.loc.clone(),
                },
            );
            continue;
        }
        chosen.insert(
            &p.code,
            Published {
                status: p.status(today),
                procedure: Arc::clone(p),
                origin,
            },
        );
    }
    for a in &unit.adopt {
        match catalog.get_key_value(&a.code) {
            None if !chosen.contains_key(a.code.as_str()) => d.error(
                a.loc.clone(),
                Msg::AdoptMissing {
                    code: a.code.clone(),
                },
            ),
            // A unit adopting its own local procedure: a loop that adopts nothing.
            None => d.warning(
                a.loc.clone(),
                Msg::AdoptOwn {
                    code: a.code.clone(),
                    file: chosen
                        .get(a.code.as_str())
                        .map(|p| p.procedure.loc.path.display().to_string())
                        .unwrap_or_default(),
                },
            ),
            Some((code, p)) => {
                chosen.entry(code).or_insert_with(|| Published {
                    status: p.status(today),
                    procedure: Arc::clone(p),
                    origin: Origin::Catalog,
                });
            }
        }
    }
    if !unit.adopt_levels.is_empty() {
        for (code, p) in catalog {
            if p.levels.iter().any(|l| unit.adopt_levels.contains(l)) {
                chosen.entry(code).or_insert_with(|| Published {
                    status: p.status(today),
                    procedure: Arc::clone(p),
                    origin: Origin::Catalog,
                });
            }
        }
    }
    let mut procedures: Vec<Published> = chosen.into_values().collect();
    // `chosen` is ordered by code already, and the sort is stable: sorting by the
    // folded sector's rank alone gives (folded sector, code).
    procedures.sort_by_cached_key(|p| {
        let sector = p.procedure.sector.as_deref().unwrap_or("~");
        rank.get(sector).copied().unwrap_or(usize::MAX)
    });
    // Dates to come are not changes yet (`Procedure::changed`).
    let last_changed = procedures
        .iter()
        .filter_map(|p| p.procedure.changed(today))
        .max();
    UnitEntry {
        unit: Arc::clone(unit),
        local: Arc::clone(&uc.local),
        procedures,
        last_changed,
        diags: d,
    }
}

fn resolve_with(
    content: Content,
    today: Date,
    d: &mut Diagnostics,
    mut cache: Option<&mut ResolveCache>,
) -> ResolvedSite {
    let Content {
        root,
        site,
        units,
        catalog,
        unreadable,
        ..
    } = content;
    let by_path: HashMap<String, usize> = units
        .iter()
        .enumerate()
        .map(|(i, u)| (u.unit.path.clone(), i))
        .collect();

    // The units that can keep what they resolved to last time.
    let mut kept: Vec<Option<UnitEntry>> = units.iter().map(|_| None).collect();
    if let Some(c) = cache.as_deref_mut() {
        if c.today != Some(today) {
            c.units.clear();
            c.today = Some(today);
        }
        let changed = catalog_changes(&c.catalog, &catalog);
        for (i, uc) in units.iter().enumerate() {
            let Some(e) = c.units.remove(&uc.unit.path) else {
                continue;
            };
            let same = Arc::ptr_eq(&e.unit, &uc.unit) && Arc::ptr_eq(&e.local, &uc.local);
            // A catalogue change reaches the units that adopt by level, adopt a changed
            // code, or override one (an override becomes local when its entry goes).
            let reached = !changed.is_empty()
                && (!uc.unit.adopt_levels.is_empty()
                    || uc
                        .unit
                        .adopt
                        .iter()
                        .any(|a| changed.contains(a.code.as_str()))
                    || uc.local.iter().any(|p| changed.contains(p.code.as_str())));
            if same && !reached {
                kept[i] = Some(e);
            }
        }
        c.units.clear();
        c.catalog.clone_from(&catalog);
    }

    // Sectors are few: each is folded once, and procedures sort by the rank of their
    // folded sector (this runs on every edit in `serve`).
    let mut own_folded = HashMap::new();
    let folded = match cache.as_deref_mut() {
        Some(c) => &mut c.folded,
        None => &mut own_folded,
    };
    folded.entry("~".to_owned()).or_insert_with(|| fold("~"));
    for p in units
        .iter()
        .zip(&kept)
        .filter(|(_, k)| k.is_none())
        .flat_map(|(u, _)| u.local.iter())
        .chain(catalog.values())
    {
        let s = p.sector.as_deref().unwrap_or("~");
        if !folded.contains_key(s) {
            folded.insert(s.to_owned(), fold(s));
        }
    }
    let rank: HashMap<&str, usize> = {
        let mut order: Vec<&String> = folded.values().collect();
        order.sort();
        order.dedup();
        folded
            .iter()
            .map(|(s, f)| (s.as_str(), order.partition_point(|o| *o < f)))
            .collect()
    };
    let todo: Vec<usize> = (0..units.len()).filter(|i| kept[*i].is_none()).collect();
    let compute = |i: &usize| (*i, resolve_unit(&units[*i], &catalog, today, &rank));
    // A few after an edit: not worth waking the thread pool.
    let fresh: Vec<(usize, UnitEntry)> = if todo.len() < 8 {
        todo.iter().map(compute).collect()
    } else {
        todo.par_iter().map(compute).collect()
    };
    for (i, e) in fresh {
        kept[i] = Some(e);
    }

    let mut resolved: Vec<ResolvedUnit> = Vec::with_capacity(units.len());
    let mut entries: Vec<UnitEntry> = Vec::new();
    for (uc, e) in units.iter().zip(kept) {
        let Some(e) = e else { continue };
        let unit = Arc::clone(&uc.unit);
        // The nearest ancestor that is a unit.
        let mut parent = None;
        let mut p = unit.path.as_str();
        while let Some(i) = p.rfind('/') {
            p = &p[..i];
            if let Some(&idx) = by_path.get(p) {
                parent = Some(idx);
                break;
            }
        }
        let depth = parent.map(|p| resolved[p].depth + 1).unwrap_or(0);
        let feedback = unit
            .feedback
            .clone()
            .or_else(|| parent.and_then(|p| resolved[p].feedback.clone()))
            .or_else(|| site.feedback.clone());
        // A catalogue file that cannot be parsed is reported once, at its own error, not
        // again at every unit adopting its code.
        for x in e.diags.iter() {
            if !matches!(&x.message, Msg::AdoptMissing { code } if unreadable.contains(code)) {
                d.push(x.clone());
            }
        }
        let last_changed = e.last_changed;
        let procedures = if cache.is_some() {
            let procedures = e.procedures.clone();
            entries.push(e);
            procedures
        } else {
            e.procedures
        };
        resolved.push(ResolvedUnit {
            last_changed,
            unit,
            parent,
            children: Vec::new(),
            depth,
            feedback,
            procedures,
        });
    }
    for i in 0..resolved.len() {
        if let Some(p) = resolved[i].parent {
            resolved[p].children.push(i);
        }
    }

    // Former addresses: one successor redirects, several get a list.
    let mut formers: BTreeMap<String, Vec<(usize, Former)>> = BTreeMap::new();
    for (i, u) in resolved.iter().enumerate() {
        for f in &u.unit.former {
            formers
                .entry(f.path.clone())
                .or_default()
                .push((i, f.clone()));
        }
    }
    let redirects = formers
        .into_iter()
        .map(|(from, to)| Redirect { from, to })
        .collect();

    // Every code → its publishers. Unchanged while every unit lists the same codes in
    // the same order, which is most edits in `serve`.
    let codes_same = cache.as_deref().is_some_and(|c| {
        c.by_code_of.len() == resolved.len()
            && c.by_code_of
                .iter()
                .zip(&resolved)
                .all(|((path, codes), u)| {
                    *path == u.unit.path
                        && codes.len() == u.procedures.len()
                        && codes
                            .iter()
                            .zip(&u.procedures)
                            .all(|(c, p)| *c == p.procedure.code)
                })
    });
    let by_code = match cache.as_deref_mut() {
        Some(c) if codes_same => c.by_code.clone(),
        _ => {
            let mut by_code: BTreeMap<String, Vec<(usize, usize)>> = BTreeMap::new();
            for (ui, u) in resolved.iter().enumerate() {
                for (pi, p) in u.procedures.iter().enumerate() {
                    match by_code.get_mut(&p.procedure.code) {
                        Some(v) => v.push((ui, pi)),
                        None => {
                            by_code.insert(p.procedure.code.clone(), vec![(ui, pi)]);
                        }
                    }
                }
            }
            if let Some(c) = cache.as_deref_mut() {
                c.by_code.clone_from(&by_code);
                c.by_code_of = resolved
                    .iter()
                    .map(|u| {
                        (
                            u.unit.path.clone(),
                            u.procedures
                                .iter()
                                .map(|p| p.procedure.code.clone())
                                .collect(),
                        )
                    })
                    .collect();
            }
            by_code
        }
    };
    if let Some(c) = cache {
        c.units = entries
            .into_iter()
            .map(|e| (e.unit.path.clone(), e))
            .collect();
    }
    let last_changed = resolved.iter().filter_map(|u| u.last_changed).max();
    ResolvedSite {
        root,
        config: site,
        today,
        units: resolved,
        by_path,
        redirects,
        catalog,
        by_code,
        last_changed,
    }
}
