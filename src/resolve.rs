//! Stage 2, `resolve`: which procedures each unit publishes (adoption from the catalogue,
//! local overrides, local procedures), their status on the build date, inherited feedback
//! contacts, the unit tree and the redirects of former units.
//!
//! Adopted procedures are shared (`Arc`), not copied: a catalogue entry adopted by 300
//! communes is resolved once and rendered 300 times.

use crate::content::Content;
use crate::date::Date;
use crate::diag::Diagnostics;
use crate::model::*;
use crate::text::fold;
use std::collections::{BTreeMap, HashMap};
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
    pub unit: Unit,
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

/// Resolves a loaded site for the given date.
pub fn resolve(content: Content, today: Date, d: &mut Diagnostics) -> ResolvedSite {
    let Content {
        root,
        site,
        units,
        catalog,
    } = content;
    let by_path: HashMap<String, usize> = units
        .iter()
        .enumerate()
        .map(|(i, u)| (u.unit.path.clone(), i))
        .collect();

    let mut resolved: Vec<ResolvedUnit> = Vec::with_capacity(units.len());
    // Sectors are few: each is folded once, and procedures sort by the rank of their
    // folded sector (this runs on every edit in `serve`, over every procedure).
    let rank: HashMap<String, usize> = {
        let mut distinct: HashMap<&str, ()> = HashMap::new();
        distinct.insert("~", ());
        for p in units
            .iter()
            .flat_map(|u| u.local.iter())
            .chain(catalog.values())
        {
            distinct.insert(p.sector.as_deref().unwrap_or("~"), ());
        }
        let folded: Vec<(String, &str)> = distinct.into_keys().map(|s| (fold(s), s)).collect();
        let mut order: Vec<&String> = folded.iter().map(|(f, _)| f).collect();
        order.sort();
        order.dedup();
        folded
            .iter()
            .map(|(f, s)| ((*s).to_owned(), order.partition_point(|o| *o < f)))
            .collect()
    };
    for uc in units {
        let unit = uc.unit;
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

        // Local files first: they win over adoption.
        let mut chosen: BTreeMap<String, Published> = BTreeMap::new();
        for p in uc.local {
            let origin = if catalog.contains_key(&p.code) {
                Origin::Override
            } else {
                Origin::Local
            };
            if let Some(prev) = chosen.get(&p.code) {
                d.error(
                    p.loc.clone(),
                    format!(
                        "duplicate code `{}` in unit {}: also defined at {}",
                        p.code, unit.path, prev.procedure.loc
                    ),
                );
                continue;
            }
            chosen.insert(
                p.code.clone(),
                Published {
                    status: p.status(today),
                    procedure: p,
                    origin,
                },
            );
        }
        for a in &unit.adopt {
            match catalog.get(&a.code) {
                None if !chosen.contains_key(&a.code) => d.error(
                    a.loc.clone(),
                    format!(
                        "`adopt` (thủ tục áp dụng từ danh mục): code `{}` is not in the catalogue (content/_catalog/)",
                        a.code
                    ),
                ),
                // A unit adopting its own local procedure: a loop that adopts nothing.
                None => d.warning(
                    a.loc.clone(),
                    format!(
                        "`adopt` (thủ tục áp dụng từ danh mục): code `{}` is this unit's own procedure ({}), not a catalogue entry; a unit cannot adopt from itself: remove it from `adopt`",
                        a.code,
                        chosen
                            .get(&a.code)
                            .map(|p| p.procedure.loc.path.display().to_string())
                            .unwrap_or_default()
                    ),
                ),
                Some(p) => {
                    chosen.entry(a.code.clone()).or_insert_with(|| Published {
                        status: p.status(today),
                        procedure: Arc::clone(p),
                        origin: Origin::Catalog,
                    });
                }
            }
        }
        if !unit.adopt_levels.is_empty() {
            for (code, p) in &catalog {
                if p.levels.iter().any(|l| unit.adopt_levels.contains(l)) {
                    chosen.entry(code.clone()).or_insert_with(|| Published {
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
        // A future `effective` date is not a change that has happened yet.
        let last_changed = procedures
            .iter()
            .map(|p| p.procedure.changed.min(today))
            .max();
        resolved.push(ResolvedUnit {
            unit,
            parent,
            children: Vec::new(),
            depth,
            feedback,
            procedures,
            last_changed,
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

    let mut by_code: BTreeMap<String, Vec<(usize, usize)>> = BTreeMap::new();
    for (ui, u) in resolved.iter().enumerate() {
        for (pi, p) in u.procedures.iter().enumerate() {
            by_code
                .entry(p.procedure.code.clone())
                .or_default()
                .push((ui, pi));
        }
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
