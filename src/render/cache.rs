//! What `serve` keeps of a [`RenderContext`] between updates: the views of every
//! published procedure, their rendered components, and which units
//! published which procedures. An update that changed a few units patches these for
//! those units only, so building the context after one edit does not walk the 20,000
//! procedures of the site through hash maps (which cost more than rendering the edit).

use super::view::ProcView;
use super::{key, BodyKey, PlaceMark, RenderContext, RenderOptions};
use crate::model::Procedure;
use crate::resolve::ResolvedSite;
use crate::theme::Theme;
use rayon::prelude::*;
use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};

/// Procedure views kept between the rebuilds of `serve`: a procedure whose file did not
/// change is the same `Arc` in the next resolved site, so its view is reused. Each
/// procedure's `Arc` is held here while any unit publishes it, so the address used as
/// key cannot be reused by another procedure while the entry lives.
///
/// It also keeps the rendered components of every procedure (see
/// [`RenderContext::components`]), so a catalogue edit re-rendering 300 units'
/// noticeboard packs renders only the changed procedure's components again. They are
/// kept under the same keys, so they go with their procedure.
///
/// The maps are moved into the context of an update and taken back after it
/// ([`ViewCache::keep`]); a context not given back (a failed render) makes the next
/// update build them all again.
#[derive(Default)]
pub struct ViewCache {
    /// Every distinct published procedure, with how many units publish it.
    procs: HashMap<usize, (Arc<Procedure>, usize)>,
    views: HashMap<usize, Arc<ProcView>>,
    /// Every procedure counts as shared, so that its components are kept.
    uses: HashMap<usize, usize>,
    bodies: HashMap<BodyKey, Arc<super::Marked>>,
    /// The place mark the kept bodies were rendered with.
    mark: Option<PlaceMark>,
    /// What the search renderer kept from the last update.
    search: super::search::SearchKept,
    /// The procedures each unit published at the last update, by unit path, in order.
    seen: Vec<(String, Vec<usize>)>,
    /// The base URL the QR codes encode.
    base_url: String,
    /// Whether the maps above are complete (false while lent to a context, and after a
    /// context was not given back).
    whole: bool,
}

impl ViewCache {
    /// Forgets every view (the theme's strings or the date changed).
    pub fn clear(&mut self) {
        let mark = self.mark.take();
        *self = ViewCache::default();
        self.mark = mark;
    }

    /// Takes back what a context used, for the next update.
    pub fn keep(&mut self, cx: RenderContext) {
        self.bodies = cx.bodies.into_inner().unwrap_or_else(|e| e.into_inner());
        self.views = cx.views;
        self.uses = cx.uses;
        self.search = cx
            .search_kept
            .into_inner()
            .unwrap_or_else(|e| e.into_inner());
        self.whole = true;
    }

    /// Builds everything for `site` (the first update, or after a change of shape).
    fn rebuild(&mut self, site: &ResolvedSite) {
        let mut procs: HashMap<usize, (Arc<Procedure>, usize)> = HashMap::new();
        for u in &site.units {
            for p in &u.procedures {
                procs
                    .entry(key(&p.procedure))
                    .or_insert_with(|| (Arc::clone(&p.procedure), 0))
                    .1 += 1;
            }
        }
        // Views and components of procedures still published are kept; those of the
        // others go with their `Arc`.
        self.views.retain(|k, _| procs.contains_key(k));
        self.bodies.retain(|k, _| procs.contains_key(&k.0));
        self.uses = procs.keys().map(|k| (*k, 2)).collect();
        self.procs = procs;
        self.base_url.clone_from(&site.config.base_url);
        self.seen = seen(site);
    }

    /// Patches the maps for the units whose procedures changed since the last update,
    /// when the units are the same (same paths, same order), and returns the procedures
    /// published now that were not before. `None` when the units are not the same, or
    /// the maps are not whole: then [`ViewCache::rebuild`].
    fn patch(&mut self, site: &ResolvedSite) -> Option<Vec<Arc<Procedure>>> {
        if !self.whole
            || self.base_url != site.config.base_url
            || self.seen.len() != site.units.len()
            || self
                .seen
                .iter()
                .zip(&site.units)
                .any(|((path, _), u)| *path != u.unit.path)
        {
            return None;
        }
        let mut fresh: Vec<Arc<Procedure>> = Vec::new();
        let mut gone: HashSet<usize> = HashSet::new();
        for ((_, old), u) in self.seen.iter_mut().zip(&site.units) {
            if old.len() == u.procedures.len()
                && old
                    .iter()
                    .zip(&u.procedures)
                    .all(|(k, p)| *k == key(&p.procedure))
            {
                continue;
            }
            for p in &u.procedures {
                let k = key(&p.procedure);
                self.procs
                    .entry(k)
                    .or_insert_with(|| {
                        fresh.push(Arc::clone(&p.procedure));
                        (Arc::clone(&p.procedure), 0)
                    })
                    .1 += 1;
                self.uses.insert(k, 2);
                gone.remove(&k);
            }
            for k in old.iter() {
                if let Some(e) = self.procs.get_mut(k) {
                    e.1 -= 1;
                    if e.1 == 0 {
                        gone.insert(*k);
                    }
                }
            }
            *old = u.procedures.iter().map(|p| key(&p.procedure)).collect();
        }
        for k in &gone {
            self.procs.remove(k);
            self.views.remove(k);
            self.uses.remove(k);
        }
        if !gone.is_empty() {
            self.bodies.retain(|k, _| !gone.contains(&k.0));
        }
        // A procedure published again after going has no view any more.
        fresh.retain(|p| self.procs.contains_key(&key(p)) && !self.views.contains_key(&key(p)));
        Some(fresh)
    }
}

/// Each unit's path and procedures, as keys.
fn seen(site: &ResolvedSite) -> Vec<(String, Vec<usize>)> {
    site.units
        .iter()
        .map(|u| {
            (
                u.unit.path.clone(),
                u.procedures.iter().map(|p| key(&p.procedure)).collect(),
            )
        })
        .collect()
}

impl<'a> RenderContext<'a> {
    /// A context for an incremental rebuild: views come from `cache` (built only for
    /// procedures not seen before, and the cache keeps only the site's procedures), and
    /// renderers write only the outputs in `only` (all when `None`). Give the context
    /// back with [`ViewCache::keep`].
    pub fn cached(
        site: &'a ResolvedSite,
        theme: &'a Theme,
        opts: &'a RenderOptions,
        cache: &mut ViewCache,
        only: Option<HashSet<String>>,
    ) -> Self {
        let lex = super::format::Lexicon::from_strings(&theme.strings);
        let md = super::markdown::Markdown::new();
        // Views and QR codes of the procedures and codes not seen before.
        let missing = match cache.patch(site) {
            Some(fresh) => fresh,
            None => {
                if !cache.whole {
                    cache.views.clear();
                    cache.bodies.clear();
                }
                cache.rebuild(site);
                cache
                    .procs
                    .iter()
                    .filter(|(k, _)| !cache.views.contains_key(k))
                    .map(|(_, (p, _))| Arc::clone(p))
                    .collect()
            }
        };
        cache.whole = false;
        let mark = cache.mark.get_or_insert_with(PlaceMark::new).clone();
        let build = |p: Arc<Procedure>| {
            let v = Arc::new(ProcView::build(&p, site.today, &lex, &md));
            (key(&p), v)
        };
        // A few after an edit: not worth waking the thread pool.
        let built: Vec<_> = if missing.len() < 16 {
            missing.into_iter().map(build).collect()
        } else {
            missing.into_par_iter().map(build).collect()
        };
        cache.views.extend(built);
        RenderContext {
            site,
            theme,
            opts,
            lex,
            md,
            views: std::mem::take(&mut cache.views),
            // Every procedure has a view here.
            summaries: HashMap::new(),
            uses: std::mem::take(&mut cache.uses),
            bodies: Mutex::new(std::mem::take(&mut cache.bodies)),
            mark,
            only,
            search_kept: std::sync::Mutex::new(std::mem::take(&mut cache.search)),
        }
    }
}
