//! Stage 4, `render`: the resolved site becomes files. Each kind of output is a
//! [`Renderer`]: HTML pages, open data, feeds and sitemap, static assets. Renderers share
//! a [`RenderContext`] holding the theme and the procedure views built once.

pub mod assets;
pub mod data;
pub mod feeds;
pub mod format;
pub mod html;
pub mod jsonld;
pub mod markdown;
pub mod view;

use crate::model::Procedure;
use crate::output::Output;
use crate::resolve::ResolvedSite;
use crate::theme::Theme;
use format::Lexicon;
use markdown::Markdown;
use rayon::prelude::*;
use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use view::ProcView;

/// Choices that change the output but not the content.
#[derive(Clone, Default)]
pub struct RenderOptions {
    /// Links end in `index.html`, for output browsed from disk or a USB stick without JS.
    pub file_links: bool,
    /// HTML inserted before `</body>` of every page (the live-reload script of `serve`).
    pub inject: Option<String>,
    /// Ticks once per page written.
    pub progress: Option<indicatif::ProgressBar>,
}

/// A rendering failure: which output, and why.
#[derive(Debug)]
pub struct RenderError {
    pub what: String,
    pub message: String,
}

impl std::fmt::Display for RenderError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.what, self.message)
    }
}

impl RenderError {
    pub fn io(what: impl Into<String>, e: std::io::Error) -> Self {
        RenderError {
            what: what.into(),
            message: e.to_string(),
        }
    }
}

/// One kind of output.
pub trait Renderer: Sync {
    fn name(&self) -> &'static str;
    /// How many files it will write (for the progress bar).
    fn count(&self, cx: &RenderContext) -> u64;
    /// Writes its outputs; when [`RenderContext::wants`] says no for a path, a renderer
    /// that lists its outputs may skip it (an incremental rebuild of `serve`).
    fn render(&self, cx: &RenderContext, out: &Output) -> Result<(), RenderError>;
    /// Every path it writes, listed without rendering, so `serve` can re-render only the
    /// outputs whose inputs changed and drop the ones that no longer exist. `None` (the
    /// default): it ignores [`RenderContext::wants`] and `serve` re-runs it whole on
    /// every change, which is correct, only slower.
    fn outputs(&self, _cx: &RenderContext) -> Option<Vec<String>> {
        None
    }
}

/// What every renderer shares.
pub struct RenderContext<'a> {
    pub site: &'a ResolvedSite,
    pub theme: &'a Theme,
    pub opts: &'a RenderOptions,
    pub lex: Lexicon,
    pub md: Markdown,
    /// Views of every distinct procedure, by address of the shared `Procedure`.
    views: HashMap<usize, Arc<ProcView>>,
    /// The outputs to write (`serve`'s incremental rebuilds); `None`: all of them.
    only: Option<HashSet<String>>,
}

/// Procedure views kept between the rebuilds of `serve`: a procedure whose file did not
/// change is the same `Arc` in the next resolved site, so its view is reused. Each entry
/// holds its `Arc<Procedure>`, so the address used as key cannot be reused by another
/// procedure while the entry lives.
#[derive(Default)]
pub struct ViewCache {
    map: HashMap<usize, (Arc<Procedure>, Arc<ProcView>)>,
}

impl ViewCache {
    /// Forgets every view (the theme's strings or the date changed).
    pub fn clear(&mut self) {
        self.map.clear();
    }
}

fn key(p: &Arc<Procedure>) -> usize {
    Arc::as_ptr(p) as usize
}

impl<'a> RenderContext<'a> {
    pub fn new(site: &'a ResolvedSite, theme: &'a Theme, opts: &'a RenderOptions) -> Self {
        let lex = Lexicon::from_strings(&theme.strings);
        let md = Markdown::new();
        // Distinct procedures: an adopted catalogue entry is one, however many adopt it.
        let mut distinct: HashMap<usize, &Arc<Procedure>> = HashMap::new();
        for u in &site.units {
            for p in &u.procedures {
                distinct.entry(key(&p.procedure)).or_insert(&p.procedure);
            }
        }
        let list: Vec<_> = distinct.into_iter().collect();
        let views = list
            .par_iter()
            .map(|(k, p)| (*k, Arc::new(ProcView::build(p, site.today, &lex, &md))))
            .collect();
        RenderContext {
            site,
            theme,
            opts,
            lex,
            md,
            views,
            only: None,
        }
    }

    /// A context for an incremental rebuild: views come from `cache` (built only for
    /// procedures not seen before, and the cache keeps only the site's procedures), and
    /// renderers write only the outputs in `only` (all when `None`).
    pub fn cached(
        site: &'a ResolvedSite,
        theme: &'a Theme,
        opts: &'a RenderOptions,
        cache: &mut ViewCache,
        only: Option<HashSet<String>>,
    ) -> Self {
        let lex = Lexicon::from_strings(&theme.strings);
        let md = Markdown::new();
        let mut distinct: HashMap<usize, &Arc<Procedure>> = HashMap::new();
        for u in &site.units {
            for p in &u.procedures {
                distinct.entry(key(&p.procedure)).or_insert(&p.procedure);
            }
        }
        let missing: Vec<_> = distinct
            .iter()
            .filter(|(k, _)| !cache.map.contains_key(k))
            .map(|(k, p)| (*k, Arc::clone(p)))
            .collect();
        let build = |(k, p): (usize, Arc<Procedure>)| {
            let v = Arc::new(ProcView::build(&p, site.today, &lex, &md));
            (k, (p, v))
        };
        // A few after an edit: not worth waking the thread pool.
        let built: Vec<_> = if missing.len() < 16 {
            missing.into_iter().map(build).collect()
        } else {
            missing.into_par_iter().map(build).collect()
        };
        cache.map.extend(built);
        cache.map.retain(|k, _| distinct.contains_key(k));
        let views = cache
            .map
            .iter()
            .map(|(k, (_, v))| (*k, Arc::clone(v)))
            .collect();
        RenderContext {
            site,
            theme,
            opts,
            lex,
            md,
            views,
            only,
        }
    }

    /// Restricts the outputs to write (`None`: all).
    pub fn set_only(&mut self, only: Option<HashSet<String>>) {
        self.only = only;
    }

    /// The outputs to write, when not all of them.
    pub fn only(&self) -> Option<&HashSet<String>> {
        self.only.as_ref()
    }

    /// Whether the output at `path` (relative to the output folder) is to be written.
    pub fn wants(&self, path: &str) -> bool {
        match &self.only {
            None => true,
            Some(set) => set.contains(path),
        }
    }

    /// The view of a published procedure.
    pub fn view(&self, p: &Arc<Procedure>) -> Arc<ProcView> {
        match self.views.get(&key(p)) {
            Some(v) => Arc::clone(v),
            None => Arc::new(ProcView::build(p, self.site.today, &self.lex, &self.md)),
        }
    }

    /// A root-relative link to a folder page (`a/b` → `a/b/`, or `a/b/index.html`).
    pub fn link(&self, path: &str) -> String {
        let mut s = String::with_capacity(path.len() + 12);
        s.push_str(path.trim_matches('/'));
        if !s.is_empty() {
            s.push('/');
        }
        if self.opts.file_links {
            s.push_str("index.html");
        }
        s
    }

    /// The absolute URL of a folder page.
    pub fn absolute(&self, path: &str) -> String {
        let p = path.trim_matches('/');
        if p.is_empty() {
            self.site.config.base_url.clone()
        } else {
            format!("{}{p}/", self.site.config.base_url)
        }
    }

    pub fn tick(&self) {
        if let Some(pb) = &self.opts.progress {
            pb.inc(1);
        }
    }
}

/// `../` once per folder level of a page at `path` (a folder page).
pub fn root_prefix(path: &str) -> String {
    let depth = path
        .trim_matches('/')
        .split('/')
        .filter(|s| !s.is_empty())
        .count();
    "../".repeat(depth)
}

/// The renderers of a build, in order.
pub fn renderers() -> Vec<Box<dyn Renderer>> {
    vec![
        Box::new(html::HtmlRenderer),
        Box::new(data::DataRenderer),
        Box::new(feeds::FeedRenderer),
        Box::new(assets::AssetRenderer),
    ]
}

/// Renders everything into `out`.
pub fn render_all(
    site: &ResolvedSite,
    theme: &Theme,
    opts: &RenderOptions,
    out: &Output,
) -> Result<(), RenderError> {
    let cx = RenderContext::new(site, theme, opts);
    let rs = renderers();
    if let Some(pb) = &opts.progress {
        pb.set_length(rs.iter().map(|r| r.count(&cx)).sum());
    }
    for r in &rs {
        r.render(&cx, out)?;
    }
    Ok(())
}
