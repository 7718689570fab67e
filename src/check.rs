//! Stage 3, `check`: problems that only show across files — addresses claimed twice,
//! units that publish without an office or feedback contact, stale unit kinds, broken or
//! circular `replaced_by` links. Problems inside one file were reported while reading it.

use crate::date::Date;
use crate::diag::msg::Claimant;
use crate::diag::{Diagnostics, Loc, Msg};
use crate::model::Status;
use crate::resolve::ResolvedSite;
use std::collections::{BTreeMap, HashMap, HashSet};

/// Top-level addresses the site itself uses.
pub const RESERVED_TOP: &[&str] = &["tthc", "tim-kiem", "static", "tep-dinh-kem"];
/// Addresses inside a unit that pages use.
pub const RESERVED_IN_UNIT: &[&str] = &["niem-yet", "data.json", "data.csv", "index.html"];

/// The day districts stopped existing.
pub fn reorganisation_date() -> Date {
    Date {
        year: 2025,
        month: 7,
        day: 1,
    }
}

/// Who claims an address: a unit, or a unit's procedure (indices into the site).
#[derive(Clone, Copy)]
enum Claim {
    Unit(usize),
    Procedure(usize, usize),
}

/// Adds the cross-file diagnostics of a resolved site. It runs on every edit in
/// `serve`, so it allocates nothing per procedure: at 20,000 procedures a map of every
/// address cost more than the rest of an edit's checks together.
pub fn check(site: &ResolvedSite, d: &mut Diagnostics) {
    replacement_loops(site, d);
    reserved_names(site, d);
    // Unit paths are distinct unless two folder names read the same (names that are not
    // UTF-8): only then can any two pages but a unit and a procedure collide.
    let mut paths = HashSet::with_capacity(site.units.len());
    if site
        .units
        .iter()
        .all(|u| paths.insert(u.unit.path.as_str()))
    {
        claims(site, d);
    } else {
        claims_by_map(site, d);
    }
    per_unit(site, d);
}

/// [`check`] with the addresses claimed twice found by a map of every address, as it
/// was done before [`claims`]: the reference the tests compare `check` with.
#[doc(hidden)]
pub fn check_by_address_map(site: &ResolvedSite, d: &mut Diagnostics) {
    replacement_loops(site, d);
    reserved_names(site, d);
    claims_by_map(site, d);
    per_unit(site, d);
}

/// Units without office or feedback contact, stale kinds, dates out of order and
/// replacements published nowhere.
fn per_unit(site: &ResolvedSite, d: &mut Diagnostics) {
    let stale_after = reorganisation_date();
    for u in &site.units {
        let publishes = !u.procedures.is_empty();
        if u.unit.kind.is_stale() && site.today >= stale_after {
            d.warning(
                u.unit.loc.clone(),
                Msg::StaleKind {
                    kind: u.unit.kind.slug().to_owned(),
                },
            );
        }
        // What a publishing unit must show beside its procedures (the disclosure rules).
        for fact in crate::disclosure::UNIT_FACTS.iter().filter(|_| publishes) {
            let unit = u.unit.path.clone();
            match fact.key {
                "office" if u.unit.office.is_none() => {
                    d.error(u.unit.loc.clone(), Msg::MissingOffice { unit })
                }
                // Its own, a parent's, or the site's (`resolve` found the nearest).
                "feedback" if u.feedback.is_none() => {
                    d.error(u.unit.loc.clone(), Msg::MissingFeedback { unit })
                }
                _ => {}
            }
        }
        for p in &u.procedures {
            let proc = &p.procedure;
            if let (Some(e), Some(r)) = (proc.effective, proc.repealed) {
                if r < e {
                    d.error(
                        proc.loc.clone(),
                        Msg::RepealedBeforeEffective {
                            repealed: r,
                            effective: e,
                        },
                    );
                }
            }
            if p.status == Status::Repealed {
                if let Some(rb) = &proc.replaced_by {
                    if !site.by_code.contains_key(rb) && !site.catalog.contains_key(rb) {
                        d.warning(
                            proc.loc.clone(),
                            Msg::ReplacedByNowhere { code: rb.clone() },
                        );
                    }
                }
            }
        }
    }
}

fn describe(site: &ResolvedSite, c: Claim) -> (Loc, Claimant) {
    match c {
        Claim::Unit(ui) => {
            let u = &site.units[ui];
            (
                u.unit.loc.clone(),
                Claimant::Unit {
                    path: u.unit.path.clone(),
                },
            )
        }
        Claim::Procedure(ui, pi) => {
            let u = &site.units[ui];
            let p = &u.procedures[pi].procedure;
            (
                p.loc.clone(),
                Claimant::Procedure {
                    code: p.code.clone(),
                    unit: u.unit.path.clone(),
                },
            )
        }
    }
}

/// Folder names and codes that the site's own addresses use.
fn reserved_names(site: &ResolvedSite, d: &mut Diagnostics) {
    for u in &site.units {
        let path = &u.unit.path;
        let top = path.split('/').next().unwrap_or("");
        if RESERVED_TOP.contains(&top) {
            d.error(
                u.unit.loc.clone(),
                Msg::ReservedTop {
                    name: top.to_owned(),
                },
            );
        }
        let last = path.rsplit('/').next().unwrap_or("");
        if path.contains('/') && RESERVED_IN_UNIT.contains(&last) {
            d.error(
                u.unit.loc.clone(),
                Msg::ReservedInUnit {
                    name: last.to_owned(),
                },
            );
        }
        for p in &u.procedures {
            if RESERVED_IN_UNIT.contains(&p.procedure.code.as_str()) {
                d.error(
                    p.procedure.loc.clone(),
                    Msg::ReservedCode {
                        code: p.procedure.code.clone(),
                    },
                );
            }
        }
    }
    for r in &site.redirects {
        let top = r.from.split('/').next().unwrap_or("");
        if RESERVED_TOP.contains(&top) {
            for (_, f) in &r.to {
                d.error(
                    f.loc.clone(),
                    Msg::FormerReserved {
                        path: r.from.clone(),
                    },
                );
            }
        }
    }
}

/// The procedure whose page is at `addr` (`<unit path>/<code>`): codes hold no `/`, so
/// only the unit at the address's parent path can claim it.
fn procedure_at(site: &ResolvedSite, addr: &str) -> Option<Claim> {
    let (unit, code) = addr.rsplit_once('/')?;
    let &ui = site.by_path.get(unit)?;
    let &(_, pi) = site.by_code.get(code)?.iter().find(|(u, _)| *u == ui)?;
    Some(Claim::Procedure(ui, pi))
}

/// Addresses claimed twice, when unit paths are distinct: a unit whose path is the
/// address of its parent's procedure (`a/1.001` beside procedure `1.001` of `a`), and
/// `former` paths that a unit or a procedure holds. The messages are those of
/// [`claims_by_map`]; the first claimant of an address is the one met first in unit
/// order, and a unit comes after its parent's procedures.
fn claims(site: &ResolvedSite, d: &mut Diagnostics) {
    for u in &site.units {
        let path = &u.unit.path;
        if let Some(first) = procedure_at(site, path) {
            let (_, first) = describe(site, first);
            d.error(
                u.unit.loc.clone(),
                Msg::AddressTwice {
                    addr: path.clone(),
                    first,
                    second: Claimant::Unit { path: path.clone() },
                },
            );
        }
    }
    for r in &site.redirects {
        let existing = procedure_at(site, &r.from)
            .or_else(|| site.by_path.get(&r.from).map(|&ui| Claim::Unit(ui)));
        if let Some(existing) = existing {
            let (_, who) = describe(site, existing);
            for (_, f) in &r.to {
                d.error(
                    f.loc.clone(),
                    Msg::FormerClaimed {
                        path: r.from.clone(),
                        who: who.clone(),
                    },
                );
            }
        }
    }
}

/// Addresses claimed twice, by a map of every address: for sites where two units have
/// the same path, so that anything may collide.
fn claims_by_map(site: &ResolvedSite, d: &mut Diagnostics) {
    let mut claims: HashMap<String, Claim> = HashMap::new();
    let mut others: HashMap<String, Vec<Claim>> = HashMap::new();
    let mut claim = |addr: String, c: Claim| match claims.entry(addr) {
        std::collections::hash_map::Entry::Vacant(e) => {
            e.insert(c);
        }
        std::collections::hash_map::Entry::Occupied(e) => {
            others.entry(e.key().clone()).or_default().push(c);
        }
    };
    for (ui, u) in site.units.iter().enumerate() {
        let path = &u.unit.path;
        claim(path.clone(), Claim::Unit(ui));
        for (pi, p) in u.procedures.iter().enumerate() {
            claim(
                format!("{path}/{}", p.procedure.code),
                Claim::Procedure(ui, pi),
            );
        }
    }
    for r in &site.redirects {
        if let Some(existing) = claims.get(&r.from) {
            let (_, who) = describe(site, *existing);
            for (_, f) in &r.to {
                d.error(
                    f.loc.clone(),
                    Msg::FormerClaimed {
                        path: r.from.clone(),
                        who: who.clone(),
                    },
                );
            }
        }
    }
    for (addr, rest) in &others {
        let Some(first) = claims.get(addr) else {
            continue;
        };
        let (_, first) = describe(site, *first);
        let (_, second) = describe(site, rest[0]);
        for c in rest {
            let (loc, _) = describe(site, *c);
            d.error(
                loc,
                Msg::AddressTwice {
                    addr: addr.clone(),
                    first: first.clone(),
                    second: second.clone(),
                },
            );
        }
    }
}

/// `replaced_by` chains that come back to where they started (A → B → A, or A → A): a
/// citizen following "thay thế bằng" from a repealed procedure would never reach one in
/// force. Reported once per loop, at the procedure with the smallest code in it.
fn replacement_loops(site: &ResolvedSite, d: &mut Diagnostics) {
    // Repealed procedures by code, with what replaces them (the catalogue, then units).
    let mut next: BTreeMap<&str, (&str, &Loc)> = BTreeMap::new();
    let repealed = |p: &crate::model::Procedure| p.status(site.today) == Status::Repealed;
    let all = site.catalog.values().map(|p| p.as_ref()).chain(
        site.units
            .iter()
            .flat_map(|u| u.procedures.iter().map(|p| p.procedure.as_ref())),
    );
    for p in all {
        if let (true, Some(rb)) = (repealed(p), p.replaced_by.as_deref()) {
            next.entry(p.code.as_str()).or_insert((rb, &p.loc));
        }
    }
    for (&start, &(_, loc)) in &next {
        let mut chain = vec![start];
        let mut at = start;
        while let Some(&(to, _)) = next.get(at) {
            if to == start {
                if chain.iter().all(|c| *c >= start) {
                    chain.push(start);
                    d.error(
                        loc.clone(),
                        Msg::ReplacementLoop {
                            chain: chain.iter().map(|c| (*c).to_owned()).collect(),
                        },
                    );
                }
                break;
            }
            if chain.contains(&to) || chain.len() > next.len() {
                break;
            }
            chain.push(to);
            at = to;
        }
    }
}
