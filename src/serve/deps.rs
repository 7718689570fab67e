//! What an edit invalidates: from the previous resolved site, the new one and the files
//! that changed, the set of output paths to render again.
//!
//! The comparison is by identity: the content cache hands back the same `Arc<Procedure>`
//! for a file that did not change (and a new one for a file that did, or for an override
//! whose catalogue entry did), so a procedure whose `Arc` differs between the two sites is
//! one whose page, and every page that shows it, must be rendered again. The units whose
//! `_unit.toml` was read again are passed in by path (their whole subtree changes).
//!
//! Every rule below mirrors what a renderer puts on a page; the equivalence test of
//! `tests/serve.rs` (served site = fresh build, after a scripted series of edits) is what
//! keeps the two in step.

use crate::resolve::{Published, ResolvedSite, ResolvedUnit};
use std::collections::{HashMap, HashSet};

/// Outputs to render again: `All`, or these paths.
#[derive(Debug)]
pub enum Dirty {
    All,
    Paths {
        paths: HashSet<String>,
        /// Whether the set of outputs may have changed (a unit, code, redirect or form
        /// file added or removed); when not, the previous list of outputs still holds.
        reshaped: bool,
    },
}

fn unit_page(path: &str) -> String {
    format!("{path}/index.html")
}

fn proc_page(unit: &str, code: &str) -> String {
    format!("{unit}/{code}/index.html")
}

fn code_page(code: &str) -> String {
    format!("tthc/{code}/index.html")
}

/// Everything a unit's own outputs are: its list, its open data, its procedure pages,
/// and the site-wide page of every code it publishes.
fn mark_unit(out: &mut HashSet<String>, u: &ResolvedUnit) {
    let path = &u.unit.path;
    out.insert(unit_page(path));
    out.insert(format!("{path}/data.json"));
    out.insert(format!("{path}/data.csv"));
    for p in &u.procedures {
        out.insert(proc_page(path, &p.procedure.code));
        out.insert(code_page(&p.procedure.code));
    }
}

/// The parent unit's page lists its children with their names and counts.
fn mark_parent(out: &mut HashSet<String>, site: &ResolvedSite, u: &ResolvedUnit) {
    if let Some(p) = u.parent {
        out.insert(unit_page(&site.units[p].unit.path));
    }
}

fn same(a: &Published, b: &Published) -> bool {
    std::sync::Arc::ptr_eq(&a.procedure, &b.procedure)
        && a.status == b.status
        && a.origin == b.origin
}

/// The outputs that differ between `old` and `new`. `fresh_units` are the unit paths
/// whose `_unit.toml` was read again since `old` was rendered.
pub fn dirty(old: &ResolvedSite, new: &ResolvedSite, fresh_units: &HashSet<String>) -> Dirty {
    // Site-wide values on every page (base template, footer "data updated").
    if old.today != new.today
        || old.last_changed != new.last_changed
        || format!("{:?}", old.config) != format!("{:?}", new.config)
    {
        return Dirty::All;
    }
    let mut out: HashSet<String> = HashSet::new();
    let mut reshaped = false;
    let mut home = false;
    let mut sitemap = false;

    // Units whose file changed, appeared or went: their whole subtree (crumbs, inherited
    // feedback, names on every page below), their parent's list, every redirect.
    let mut roots: HashSet<&str> = fresh_units.iter().map(String::as_str).collect();
    for u in &old.units {
        if !new.by_path.contains_key(&u.unit.path) {
            roots.insert(&u.unit.path);
        }
    }
    for u in &new.units {
        if !old.by_path.contains_key(&u.unit.path) {
            roots.insert(&u.unit.path);
        }
    }
    let under = |path: &str| {
        roots.iter().any(|r| {
            path == *r || (path.starts_with(r) && path.as_bytes().get(r.len()) == Some(&b'/'))
        })
    };
    // Codes whose publishers changed: pages that name them (a repealed procedure's
    // replacement) are rendered again.
    let mut changed_codes: HashSet<&str> = HashSet::new();
    if !roots.is_empty() {
        reshaped = true;
        for site in [old, new] {
            for u in &site.units {
                if under(&u.unit.path) {
                    mark_unit(&mut out, u);
                    mark_parent(&mut out, site, u);
                    changed_codes.extend(u.procedures.iter().map(|p| p.procedure.code.as_str()));
                }
            }
            for r in &site.redirects {
                out.insert(unit_page(&r.from));
            }
        }
    }

    // Procedures that differ, unit by unit.
    for nu in &new.units {
        let Some(&oi) = old.by_path.get(&nu.unit.path) else {
            continue;
        };
        let ou = &old.units[oi];
        // Most units did not change: the same procedures in the same order.
        if ou.procedures.len() == nu.procedures.len()
            && ou
                .procedures
                .iter()
                .zip(&nu.procedures)
                .all(|(a, b)| same(a, b))
            && !under(&nu.unit.path)
        {
            continue;
        }
        if under(&nu.unit.path) {
            for p in ou.procedures.iter().chain(&nu.procedures) {
                changed_codes.insert(&p.procedure.code);
            }
            continue;
        }
        let olds: HashMap<&str, &Published> = ou
            .procedures
            .iter()
            .map(|p| (p.procedure.code.as_str(), p))
            .collect();
        let news: HashMap<&str, &Published> = nu
            .procedures
            .iter()
            .map(|p| (p.procedure.code.as_str(), p))
            .collect();
        let mut any = false;
        for (code, np) in &news {
            match olds.get(code) {
                None => reshaped = true,
                Some(op) if op.procedure.forms != np.procedure.forms => reshaped = true,
                _ => {}
            }
            if let Some(op) = olds.get(code) {
                let (a, b) = (&op.procedure, &np.procedure);
                if op.status != np.status || a.title() != b.title() || a.sector != b.sector {
                    home = true;
                }
                // What `Procedure::changed` is made of.
                if (a.updated, a.effective, a.repealed) != (b.updated, b.effective, b.repealed) {
                    sitemap = true;
                }
            }
            if olds.get(code).is_none_or(|op| !same(op, np)) {
                out.insert(proc_page(&nu.unit.path, code));
                out.insert(code_page(code));
                changed_codes.insert(&np.procedure.code);
                any = true;
            }
        }
        for (code, op) in &olds {
            if !news.contains_key(code) {
                reshaped = true;
                out.insert(code_page(code));
                changed_codes.insert(&op.procedure.code);
                any = true;
            }
        }
        // The sitemap lists a unit's procedures in its order (by sector, then code).
        if !ou
            .procedures
            .iter()
            .map(|p| &p.procedure.code)
            .eq(nu.procedures.iter().map(|p| &p.procedure.code))
        {
            sitemap = true;
        }
        if any {
            let path = &nu.unit.path;
            out.insert(unit_page(path));
            out.insert(format!("{path}/data.json"));
            out.insert(format!("{path}/data.csv"));
            mark_parent(&mut out, new, nu);
            mark_parent(&mut out, old, ou);
            home |= ou.current().count() != nu.current().count();
            // A unit has a noticeboard pack only while it publishes a current procedure.
            reshaped |= ou.current().next().is_none() != nu.current().next().is_none();
            sitemap |= ou.last_changed != nu.last_changed;
            // Every procedure page shows the unit's "updated" date and current count.
            if ou.last_changed != nu.last_changed || ou.current().count() != nu.current().count() {
                for p in &nu.procedures {
                    out.insert(proc_page(path, &p.procedure.code));
                }
            }
        }
    }

    // A former unit's addresses of codes and of its board lead to what its successors
    // publish (`render::html`, `former_page`): rendered again when anything was reshaped.
    if reshaped {
        for site in [old, new] {
            for r in &site.redirects {
                out.insert(crate::render::noticeboard::board_file(&r.from));
                for (ui, _) in &r.to {
                    for p in &site.units[*ui].procedures {
                        out.insert(proc_page(&r.from, &p.procedure.code));
                    }
                }
            }
        }
    }

    // A repealed procedure links to its replacement by title, in its unit or site-wide.
    if !changed_codes.is_empty() {
        for site in [old, new] {
            for u in &site.units {
                for p in &u.procedures {
                    if p.procedure
                        .replaced_by
                        .as_deref()
                        .is_some_and(|c| changed_codes.contains(c))
                    {
                        out.insert(proc_page(&u.unit.path, &p.procedure.code));
                        out.insert(unit_page(&u.unit.path));
                    }
                }
            }
        }
    }

    // A unit's noticeboard pack shows what its list shows (the unit, its current
    // procedures in full): rendered again with the list.
    let boards: Vec<String> = out
        .iter()
        .filter_map(|p| p.strip_suffix("/index.html"))
        .filter(|d| new.by_path.contains_key(*d) || old.by_path.contains_key(*d))
        .map(crate::render::noticeboard::board_file)
        .collect();
    // Its change page lists its procedures' changes; the report counts every unit's.
    let changes: Vec<String> = boards
        .iter()
        .filter_map(|b| b.strip_suffix("/niem-yet/index.html"))
        .map(|u| crate::render::changes::changes_path(u) + "/index.html")
        .collect();
    out.extend(boards);
    out.extend(changes);
    if !out.is_empty() {
        out.extend(crate::render::report::files());
    }

    // Pages that list the whole site: rendered again only when what they show changed
    // (at 20,000 procedures they cost more than everything else an edit touches). The
    // home page shows units with their counts and each code's title and sector; the
    // sitemap every address with its date; the feed the latest changes with their fees.
    if reshaped || home {
        out.insert("index.html".into());
    }
    if reshaped || sitemap {
        out.insert("sitemap.xml".into());
    }
    if !out.is_empty() {
        out.insert("feed.xml".into());
    }
    // The search index has rules of its own (ids shared between its files).
    reshaped |= crate::render::search::dirty(old, new, &mut out);
    Dirty::Paths {
        paths: out,
        reshaped,
    }
}

/// Templates that a changed template reaches: itself and, transitively, every template
/// that extends, includes or imports it.
pub fn templates_reached(
    sources: &HashMap<String, String>,
    changed: &HashSet<String>,
) -> HashSet<String> {
    let mut reached: HashSet<String> = changed.clone();
    loop {
        let before = reached.len();
        for (name, text) in sources {
            if reached.contains(name) {
                continue;
            }
            if references(text).iter().any(|r| reached.contains(*r)) {
                reached.insert(name.clone());
            }
        }
        if reached.len() == before {
            return reached;
        }
    }
}

/// The template names a Tera template names in `extends`, `include` and `import` tags.
fn references(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(i) = rest.find("{%") {
        rest = &rest[i + 2..];
        let end = rest.find("%}").unwrap_or(rest.len());
        let tag = rest[..end].trim_start_matches('-').trim();
        if ["extends", "include", "import"]
            .iter()
            .any(|k| tag.starts_with(k))
        {
            // Every quoted name in the tag (`include ["a", "b"]` names several).
            let mut t = tag;
            while let Some(q) = t.find(['"', '\'']) {
                let quote = t.as_bytes()[q] as char;
                let after = &t[q + 1..];
                let Some(e) = after.find(quote) else { break };
                out.push(&after[..e]);
                t = &after[e + 1..];
            }
        }
        rest = &rest[end..];
    }
    out
}

/// The outputs rendered from the given top-level templates. `None`: a template this
/// function does not know (a renderer added later), so everything.
pub fn outputs_of_templates(
    site: &ResolvedSite,
    templates: &HashSet<String>,
) -> Option<HashSet<String>> {
    let mut out = HashSet::new();
    for t in templates {
        match t.as_str() {
            "base.html" | "macros.html" => {}
            "index.html" | "404.html" => {
                out.insert(t.clone());
            }
            "feed.xml" | "sitemap.xml" => {
                out.insert(t.clone());
            }
            "unit.html" => out.extend(site.units.iter().map(|u| unit_page(&u.unit.path))),
            // `feedback.html` is rendered once per unit into its procedure pages.
            "procedure.html" | "feedback.html" => {
                for u in &site.units {
                    for p in &u.procedures {
                        out.insert(proc_page(&u.unit.path, &p.procedure.code));
                    }
                }
            }
            "tthc.html" => out.extend(site.by_code.keys().map(|c| code_page(c))),
            "noticeboard.html" => out.extend(
                site.units
                    .iter()
                    .filter(|u| u.current().next().is_some())
                    .map(|u| crate::render::noticeboard::board_file(&u.unit.path)),
            ),
            "redirect.html" | "successors.html" => {
                for r in &site.redirects {
                    out.insert(unit_page(&r.from));
                    out.insert(crate::render::noticeboard::board_file(&r.from));
                    for (ui, _) in &r.to {
                        for p in &site.units[*ui].procedures {
                            out.insert(proc_page(&r.from, &p.procedure.code));
                        }
                    }
                }
            }
            _ => return None,
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_referenced_templates() {
        let t =
            r#"{% extends "base.html" %}{% import "macros.html" as m %}{%- include 'x.html' -%}"#;
        assert_eq!(references(t), vec!["base.html", "macros.html", "x.html"]);
    }

    #[test]
    fn base_change_reaches_children() {
        let mut s = HashMap::new();
        s.insert("base.html".to_string(), "<html>".to_string());
        s.insert(
            "unit.html".to_string(),
            r#"{% extends "base.html" %}"#.to_string(),
        );
        s.insert("feed.xml".to_string(), "<feed>".to_string());
        let r = templates_reached(&s, &HashSet::from(["base.html".to_string()]));
        assert!(r.contains("unit.html") && !r.contains("feed.xml"));
    }
}
