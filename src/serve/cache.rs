//! What `serve` keeps of the rendering between updates: the views of every published
//! procedure, their rendered components, and which units published which procedures.
//! An update that changed a few units patches these for those units only, so making
//! the render context after one edit does not walk the 20,000 procedures of the site
//! through hash maps (which cost more than rendering the edit).

use crate::model::Procedure;
use crate::render::format::Lexicon;
use crate::render::markdown::Markdown;
use crate::render::view::ProcView;
use crate::render::{Kept, ProcKey, ProcMap, ProcRef, RenderContext, RenderOptions};
use crate::resolve::ResolvedSite;
use crate::theme::Theme;
use rayon::prelude::*;
use std::collections::HashSet;
use std::sync::Arc;

/// The render context's [`Kept`] between the updates of `serve`: a procedure whose file
/// did not change is the same `Arc` in the next resolved site, so its view and rendered
/// components are reused (a catalogue edit re-rendering 300 units' noticeboard packs
/// renders only the changed procedure's components again).
///
/// It is lent to the context of an update ([`ViewCache::context`]) and taken back after
/// it ([`ViewCache::keep`]); a context not given back (a failed render) makes the next
/// update build everything again.
#[derive(Default)]
pub struct ViewCache {
    kept: Kept,
    /// How many units publish each distinct procedure.
    counts: ProcMap<usize>,
    /// The procedures each unit published at the last update, by unit path, in order.
    seen: Vec<(String, Vec<ProcKey>)>,
    /// The base URL the QR codes encode.
    base_url: String,
    /// Whether `kept` is complete (false while lent to a context, and after a context
    /// was not given back).
    whole: bool,
}

impl ViewCache {
    /// Forgets every view (the theme's strings or the date changed).
    pub fn clear(&mut self) {
        let mark = self.kept.mark.take();
        *self = ViewCache::default();
        self.kept.mark = mark;
    }

    /// Takes back what a context made, for the next update.
    pub fn keep(&mut self, cx: RenderContext) {
        self.kept = cx.into_kept();
        self.whole = true;
    }

    /// A context for an incremental rebuild of `site`: views come from the cache (made
    /// only for procedures not seen before, and the cache keeps only the site's
    /// procedures), and renderers write only the outputs in `only` (all when `None`).
    /// Give the context back with [`ViewCache::keep`].
    pub fn context<'a>(
        &mut self,
        site: &'a ResolvedSite,
        theme: &'a Theme,
        opts: &'a RenderOptions,
        only: Option<HashSet<String>>,
    ) -> RenderContext<'a> {
        // Views of the procedures not seen before.
        let missing = match self.patch(site) {
            Some(fresh) => fresh,
            None => {
                if !self.whole {
                    self.kept.views.clear();
                    self.kept.bodies.clear();
                }
                self.rebuild(site);
                self.counts
                    .keys()
                    .filter(|k| !self.kept.views.contains_key(*k))
                    .map(|k| Arc::clone(k.procedure()))
                    .collect()
            }
        };
        self.whole = false;
        let lex = Lexicon::from_strings(&theme.strings);
        let md = Markdown::new();
        let build = |p: Arc<Procedure>| {
            let v = Arc::new(ProcView::build(&p, site.today, &lex, &md));
            (ProcKey::of(&p), v)
        };
        // A few after an edit: not worth waking the thread pool.
        let built: Vec<_> = if missing.len() < 16 {
            missing.into_iter().map(build).collect()
        } else {
            missing.into_par_iter().map(build).collect()
        };
        self.kept.views.extend(built);
        RenderContext::with_kept(site, theme, opts, std::mem::take(&mut self.kept), only)
    }

    /// Builds everything for `site` (the first update, or after a change of shape).
    fn rebuild(&mut self, site: &ResolvedSite) {
        let mut counts: ProcMap<usize> = ProcMap::default();
        for u in &site.units {
            for p in &u.procedures {
                *counts.entry(ProcKey::of(&p.procedure)).or_default() += 1;
            }
        }
        // Views and components of procedures still published are kept; those of the
        // others go.
        self.kept.views.retain(|k, _| counts.contains_key(k));
        self.kept.bodies.retain(|k, _| counts.contains_key(k));
        // Every procedure counts as shared, so that its components are kept.
        self.kept.uses = counts.keys().map(|k| (k.clone(), 2)).collect();
        self.counts = counts;
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
        let mut gone: ProcMap<()> = ProcMap::default();
        for ((_, old), u) in self.seen.iter_mut().zip(&site.units) {
            if old.len() == u.procedures.len()
                && old
                    .iter()
                    .zip(&u.procedures)
                    .all(|(k, p)| Arc::ptr_eq(k.procedure(), &p.procedure))
            {
                continue;
            }
            for p in &u.procedures {
                let n = self
                    .counts
                    .entry(ProcKey::of(&p.procedure))
                    .or_insert_with(|| {
                        fresh.push(Arc::clone(&p.procedure));
                        0
                    });
                *n += 1;
                self.kept.uses.insert(ProcKey::of(&p.procedure), 2);
                gone.remove(&ProcRef(&p.procedure));
            }
            for k in old.iter() {
                if let Some(n) = self.counts.get_mut(k) {
                    *n -= 1;
                    if *n == 0 {
                        gone.insert(k.clone(), ());
                    }
                }
            }
            *old = u
                .procedures
                .iter()
                .map(|p| ProcKey::of(&p.procedure))
                .collect();
        }
        for k in gone.keys() {
            self.counts.remove(k);
            self.kept.views.remove(k);
            self.kept.uses.remove(k);
            self.kept.bodies.remove(k);
        }
        // A procedure published again after going has no view any more.
        fresh.retain(|p| {
            self.counts.contains_key(&ProcRef(p)) && !self.kept.views.contains_key(&ProcRef(p))
        });
        Some(fresh)
    }
}

/// Each unit's path and procedures.
fn seen(site: &ResolvedSite) -> Vec<(String, Vec<ProcKey>)> {
    site.units
        .iter()
        .map(|u| {
            (
                u.unit.path.clone(),
                u.procedures
                    .iter()
                    .map(|p| ProcKey::of(&p.procedure))
                    .collect(),
            )
        })
        .collect()
}
