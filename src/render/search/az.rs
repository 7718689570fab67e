//! The A–Z list the search page shows without JavaScript.

use super::{RenderContext, RenderError, PAGE};
use crate::model::{Procedure, Status};
use crate::resolve::ResolvedSite;
use crate::text::fold;
use serde::Serialize;
use std::collections::HashMap;
use std::sync::Arc;

#[derive(Serialize)]
pub(super) struct AzSector {
    name: String,
    procedures: Vec<AzEntry>,
}

#[derive(Serialize)]
pub(super) struct AzEntry {
    code: String,
    name: String,
    href: String,
    units: usize,
}

/// Every code in force or upcoming, grouped by sector and sorted by folded name: what the
/// page shows without JavaScript (a readable A–Z a browser's find-in-page can search).
/// Sectors come in the order of their folded names, each named as its first code spells
/// it; a sector is folded once per spelling, and the rows sorted once.
pub(super) fn a_to_z(cx: &RenderContext, site: &ResolvedSite) -> Vec<AzSector> {
    // (folded name, name shown) of each sector, and its index by folded name and spelling.
    let mut sectors: Vec<(String, String)> = Vec::new();
    let mut by_key: HashMap<String, usize> = HashMap::new();
    let mut spelled: HashMap<&str, usize> = HashMap::new();
    // (sector, folded name and code, entry)
    let mut rows: Vec<(usize, String, AzEntry)> = Vec::with_capacity(site.by_code.len());
    for (code, places) in &site.by_code {
        let mut live = places
            .iter()
            .filter(|(ui, pi)| site.units[*ui].procedures[*pi].status != Status::Repealed);
        let Some(&(ui, pi)) = live.next() else {
            continue;
        };
        let units = 1 + live.count();
        let p = &site.units[ui].procedures[pi].procedure;
        let spelling = p.sector.as_deref().unwrap_or(&cx.lex.unpublished);
        let sector = match spelled.get(spelling) {
            Some(&i) => i,
            None => {
                let key = fold(spelling);
                let i = *by_key.entry(key.clone()).or_insert_with(|| {
                    sectors.push((key, spelling.to_owned()));
                    sectors.len() - 1
                });
                spelled.insert(spelling, i);
                i
            }
        };
        let mut sort = fold(p.title());
        sort.push(' ');
        sort.push_str(code);
        rows.push((
            sector,
            sort,
            AzEntry {
                code: code.clone(),
                name: p.title().to_owned(),
                href: cx.link(&format!("tthc/{code}")),
                units,
            },
        ));
    }
    let mut order: Vec<usize> = (0..sectors.len()).collect();
    order.sort_unstable_by(|a, b| sectors[*a].0.cmp(&sectors[*b].0));
    let mut rank = vec![0; sectors.len()];
    for (r, s) in order.iter().enumerate() {
        rank[*s] = r;
    }
    rows.sort_unstable_by(|a, b| rank[a.0].cmp(&rank[b.0]).then_with(|| a.1.cmp(&b.1)));
    let mut names: Vec<Option<String>> = sectors.into_iter().map(|(_, n)| Some(n)).collect();
    let mut out: Vec<AzSector> = Vec::with_capacity(names.len());
    let mut current = None;
    for (sector, _, entry) in rows {
        if current != Some(sector) {
            current = Some(sector);
            out.push(AzSector {
                name: names[sector].take().unwrap_or_default(),
                procedures: Vec::new(),
            });
        }
        if let Some(last) = out.last_mut() {
            last.procedures.push(entry);
        }
    }
    out
}

/// The A–Z of the last search page rendered, as the template's value, kept for the next
/// page: every update of `serve` renders the page again (it carries the build id), but
/// the A–Z changes only when a code's title, sector or number of units does; building
/// it and turning it into a template value is most of the page's cost at 20,000 codes.
/// Kept in [`SearchKept`], as [`DocCache`] is.
pub(super) struct AzCache {
    key: AzKey,
    value: tera::Value,
}

/// What the A–Z is made of: for each code published and not repealed, the procedure
/// shown (code, title, sector) and how many units publish it; the name of procedures
/// without a sector; the form of links.
pub(super) struct AzKey {
    /// (procedure shown, number of units), in code order. The key holds the `Arc`s, so
    /// an address cannot be reused by another procedure while the key lives.
    rows: Vec<(Arc<Procedure>, usize)>,
    unpublished: String,
    file_links: bool,
}

impl PartialEq for AzKey {
    fn eq(&self, other: &Self) -> bool {
        // An edit gives the edited procedure a new `Arc`, mostly with the same title and
        // sector: those are compared when the `Arc`s differ.
        let same = |(a, n): &(Arc<Procedure>, usize), (b, m): &(Arc<Procedure>, usize)| {
            n == m
                && (Arc::ptr_eq(a, b)
                    || (a.code == b.code && a.title() == b.title() && a.sector == b.sector))
        };
        self.unpublished == other.unpublished
            && self.file_links == other.file_links
            && self.rows.len() == other.rows.len()
            && self.rows.iter().zip(&other.rows).all(|(a, b)| same(a, b))
    }
}

impl AzCache {
    /// The A–Z of `cx`'s site as a template value: the last one if made of the same.
    pub(super) fn take(cx: &RenderContext) -> Result<(AzKey, tera::Value), RenderError> {
        let site = cx.site;
        let mut rows = Vec::with_capacity(site.by_code.len());
        for places in site.by_code.values() {
            let mut live = places
                .iter()
                .filter(|(ui, pi)| site.units[*ui].procedures[*pi].status != Status::Repealed);
            if let Some(&(ui, pi)) = live.next() {
                let p = &site.units[ui].procedures[pi].procedure;
                rows.push((Arc::clone(p), 1 + live.count()));
            }
        }
        let key = AzKey {
            rows,
            unpublished: cx.lex.unpublished.clone(),
            file_links: cx.opts.file_links,
        };
        let last = cx
            .search_kept
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .az
            .take();
        if let Some(c) = last.filter(|c| c.key == key) {
            return Ok((key, c.value));
        }
        let value =
            tera::Value::try_from_serializable(&a_to_z(cx, site)).map_err(|e| RenderError {
                what: PAGE.into(),
                message: e.to_string(),
            })?;
        Ok((key, value))
    }

    /// Keeps the A–Z given to the template for the next page.
    pub(super) fn keep(cx: &RenderContext, key: AzKey, value: Option<tera::Value>) {
        if let Some(value) = value {
            cx.search_kept.lock().unwrap_or_else(|e| e.into_inner()).az =
                Some(AzCache { key, value });
        }
    }
}
