//! Stage 4, `render`: the resolved site becomes files. Each kind of output is a
//! [`Renderer`]: HTML pages, open data, feeds and sitemap, static assets. Renderers share
//! a [`RenderContext`] holding the theme and the procedure views built once.

pub mod assets;
mod cache;
pub mod data;
pub mod feeds;
pub mod format;
pub mod html;
pub mod jsonld;
pub mod markdown;
pub mod noticeboard;
pub mod qr;
pub mod search;
pub mod view;

use crate::model::Procedure;
use crate::output::Output;
use crate::resolve::ResolvedSite;
use crate::theme::Theme;
use format::Lexicon;
use markdown::Markdown;
use rayon::prelude::*;
use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};
use view::ProcView;

pub use cache::ViewCache;

/// Choices that change the output but not the content.
#[derive(Clone, Default)]
pub struct RenderOptions {
    /// Links end in `index.html`, for output browsed from disk or a USB stick without JS.
    pub file_links: bool,
    /// HTML inserted before `</body>` of every page (the live-reload script of `serve`).
    pub inject: Option<String>,
    /// Ticks once per page written.
    pub progress: Option<indicatif::ProgressBar>,
    /// Render every page whole instead of sharing the components of adopted procedures
    /// (the output is the same; tests compare the two).
    pub unshared: bool,
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
    /// The QR code of every published procedure code (it encodes `/tthc/<code>/`, the
    /// same for every unit), drawn once.
    qr_codes: HashMap<String, Result<Arc<qr::Qr>, String>>,
    /// How many units publish each distinct procedure: a shared one has its components
    /// rendered once (see [`RenderContext::components`]).
    uses: HashMap<usize, usize>,
    /// Rendered components of shared procedures, by procedure, page depth and variant.
    bodies: Mutex<HashMap<BodyKey, Arc<str>>>,
    /// Stands for the unit's place in a shared body; replaced per unit. Random per build,
    /// so no content can contain it.
    place_mark: String,
    /// The outputs to write (`serve`'s incremental rebuilds); `None`: all of them.
    only: Option<HashSet<String>>,
}

/// (procedure, root prefix, printed pack, place empty)
type BodyKey = (usize, String, bool, bool);

fn key(p: &Arc<Procedure>) -> usize {
    Arc::as_ptr(p) as usize
}

impl<'a> RenderContext<'a> {
    pub fn new(site: &'a ResolvedSite, theme: &'a Theme, opts: &'a RenderOptions) -> Self {
        let lex = Lexicon::from_strings(&theme.strings);
        let md = Markdown::new();
        // Distinct procedures: an adopted catalogue entry is one, however many adopt it.
        let mut distinct: HashMap<usize, &Arc<Procedure>> = HashMap::new();
        let mut uses: HashMap<usize, usize> = HashMap::new();
        for u in &site.units {
            for p in &u.procedures {
                distinct.entry(key(&p.procedure)).or_insert(&p.procedure);
                *uses.entry(key(&p.procedure)).or_default() += 1;
            }
        }
        let list: Vec<_> = distinct.into_iter().collect();
        let views = list
            .par_iter()
            .map(|(k, p)| (*k, Arc::new(ProcView::build(p, site.today, &lex, &md))))
            .collect();
        let qr_codes = site
            .by_code
            .par_iter()
            .map(|(code, _)| {
                let url = absolute(&site.config.base_url, &format!("tthc/{code}"));
                (code.clone(), qr::Qr::new(&url).map(Arc::new))
            })
            .collect();
        RenderContext {
            site,
            theme,
            opts,
            lex,
            md,
            views,
            qr_codes,
            uses,
            bodies: Mutex::new(HashMap::new()),
            place_mark: place_mark(),
            only: None,
        }
    }

    /// The eleven components of a procedure (theme template `components.html`), as a unit
    /// at page depth `root` shows them. A procedure published by several units is
    /// rendered once per depth and variant and the unit's `place` put in afterwards:
    /// with 300 communes adopting a catalogue, most of a procedure page is rendered once
    /// instead of 300 times.
    pub fn components(
        &self,
        p: &Arc<Procedure>,
        root: &str,
        place: &str,
        board: bool,
    ) -> Result<String, RenderError> {
        let shared = !self.opts.unshared && self.uses.get(&key(p)).copied().unwrap_or(0) > 1;
        if !shared {
            return self.render_components(p, root, place, board);
        }
        let k = (key(p), root.to_owned(), board, place.is_empty());
        let cached = self.bodies.lock().ok().and_then(|m| m.get(&k).cloned());
        let body = match cached {
            Some(b) => b,
            None => {
                let mark = if place.is_empty() {
                    ""
                } else {
                    &self.place_mark
                };
                let b: Arc<str> = Arc::from(self.render_components(p, root, mark, board)?);
                if let Ok(mut m) = self.bodies.lock() {
                    m.insert(k, Arc::clone(&b));
                }
                b
            }
        };
        Ok(if place.is_empty() {
            body.to_string()
        } else {
            body.replace(&self.place_mark, &crate::theme::escape_html(place))
        })
    }

    fn render_components(
        &self,
        p: &Arc<Procedure>,
        root: &str,
        place: &str,
        board: bool,
    ) -> Result<String, RenderError> {
        let view = self.view(p);
        let mut ctx = tera::Context::new();
        ctx.insert("t", &self.theme.strings);
        ctx.insert("p", &*view);
        ctx.insert("root", root);
        ctx.insert("place", place);
        ctx.insert("board", &board);
        let pre = if board {
            format!("tthc-{}-", p.code)
        } else {
            String::new()
        };
        ctx.insert("pre", &pre);
        self.theme
            .tera
            .render("components.html", &ctx)
            .map_err(|e| RenderError {
                what: format!(
                    "{}/templates/components.html ({})",
                    self.theme.origin, p.code
                ),
                message: crate::theme::tera_error(&e),
            })
    }

    /// The QR code printed with a procedure: the absolute URL of `/tthc/<code>/` (see
    /// [`qr`] for why not the unit's own page).
    pub fn procedure_qr(&self, code: &str) -> Result<Arc<qr::Qr>, RenderError> {
        let fail = |message: String| RenderError {
            what: format!("QR code of {code}"),
            message,
        };
        match self.qr_codes.get(code) {
            Some(Ok(q)) => Ok(Arc::clone(q)),
            Some(Err(e)) => Err(fail(e.clone())),
            None => qr::Qr::new(&self.absolute(&format!("tthc/{code}")))
                .map(Arc::new)
                .map_err(fail),
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
        absolute(&self.site.config.base_url, path)
    }

    pub fn tick(&self) {
        if let Some(pb) = &self.opts.progress {
            pb.inc(1);
        }
    }
}

/// The absolute URL of a folder page under `base_url` (which ends with `/`).
fn absolute(base_url: &str, path: &str) -> String {
    let p = path.trim_matches('/');
    if p.is_empty() {
        base_url.to_owned()
    } else {
        format!("{base_url}{p}/")
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
        Box::new(noticeboard::NoticeboardRenderer),
        Box::new(data::DataRenderer),
        Box::new(feeds::FeedRenderer),
        Box::new(assets::AssetRenderer),
        Box::new(search::SearchRenderer),
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

/// A marker no content can contain: private-use characters around a random number.
fn place_mark() -> String {
    use std::hash::BuildHasher;
    let n = std::collections::hash_map::RandomState::new().hash_one(std::process::id());
    format!("\u{F8FF}niemyet-place-{n:016x}\u{F8FF}")
}
