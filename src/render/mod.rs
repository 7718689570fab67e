//! Stage 4, `render`: the resolved site becomes files. Each kind of output is a
//! [`Renderer`]: HTML pages, open data, feeds and sitemap, static assets. Renderers share
//! a [`RenderContext`] holding the theme and the views of shared procedures, built once.

pub mod assets;
pub mod changes;
pub mod cite;
pub mod data;
pub mod feeds;
pub mod format;
pub mod html;
pub mod jsonld;
pub mod markdown;
pub mod noticeboard;
mod page;
mod par;
pub mod proc_key;
pub mod qr;
pub mod report;
pub mod search;
pub mod view;

use crate::model::Procedure;
use crate::output::Output;
use crate::resolve::ResolvedSite;
use crate::theme::Theme;
use format::Lexicon;
use markdown::Markdown;
use rayon::prelude::*;
use std::borrow::Cow;
use std::collections::HashSet;
use std::sync::{Arc, Mutex};
use view::ProcView;

pub use proc_key::{ProcKey, ProcMap, ProcRef};

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
    /// Noticeboard packs by their own renderer (`noticeboard`) instead of with their
    /// unit's pages (`html`): `serve` publishes the pages of an edit before the slower
    /// packs. A build renders them together, each procedure's components once for both.
    pub boards_apart: bool,
    /// The date a noticeboard pack is printed on, when it is rendered to be printed at
    /// once (`niemyet pdf`): its sheets say "Ngày in" with it. Otherwise they say "Ngày
    /// tạo" with the build's date, and `site.js` puts the real date of printing in when
    /// the browser prints.
    pub print_date: Option<crate::date::Date>,
}

/// A rendering failure: which output, and why.
#[derive(Debug, Clone)]
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
    /// Views of the procedures published by more than one unit (of all, in `serve`),
    /// made once for all of them.
    views: ProcMap<Arc<ProcView>>,
    /// The summaries of the procedures without a kept view, made once: unit lists, the
    /// search index, the open data, the `/tthc/` pages and the procedure's own view each
    /// made them again. Kept for the 20k target: five or six times a procedure of the 20k
    /// site; made once, 2,000 procedures of it take 2.2 % fewer instructions.
    summaries: ProcMap<format::Summary>,
    /// How many units publish each distinct procedure: a shared one has its components
    /// rendered once (see [`RenderContext::components`]).
    uses: ProcMap<usize>,
    /// Rendered components of shared procedures, by procedure, then page depth and
    /// whether the place is empty.
    bodies: Mutex<ProcMap<Vec<Body>>>,
    /// Stands for the unit's place in the components of shared procedures.
    mark: PlaceMark,
    /// The outputs to write (`serve`'s incremental rebuilds); `None`: all of them.
    only: Option<HashSet<String>>,
    /// What the search renderer keeps for the next render (`serve`'s updates).
    pub(crate) search_kept: Mutex<search::SearchKept>,
}

/// A shared procedure's components rendered at one page depth.
#[derive(Clone)]
pub struct Body {
    root: String,
    place_empty: bool,
    html: Arc<Marked>,
}

/// What a context made that outlives it: `serve` hands it to the context of its next
/// update (`RenderContext::with_kept`) and takes it back (`RenderContext::into_kept`),
/// so that an edit does not make again what it did not touch (`serve::cache`).
#[derive(Default)]
pub struct Kept {
    /// Views of procedures, made already.
    pub views: ProcMap<Arc<ProcView>>,
    /// How many units publish each procedure; more than one keeps its components.
    pub uses: ProcMap<usize>,
    /// Rendered components, made with `mark`.
    pub bodies: ProcMap<Vec<Body>>,
    pub mark: Option<PlaceMark>,
    /// What the search renderer kept.
    pub search: search::SearchKept,
}

impl<'a> RenderContext<'a> {
    pub fn new(site: &'a ResolvedSite, theme: &'a Theme, opts: &'a RenderOptions) -> Self {
        let lex = Lexicon::from_strings(&theme.strings);
        let md = Markdown::new();
        // Distinct procedures: an adopted catalogue entry is one, however many adopt it.
        let mut uses: ProcMap<usize> = ProcMap::default();
        for u in &site.units {
            for p in &u.procedures {
                *uses.entry(ProcKey::of(&p.procedure)).or_default() += 1;
            }
        }
        // Views of shared procedures are built here, once; the others when their unit
        // renders, and dropped with it, so a site of unique procedures never holds every
        // view at once (see `RenderContext::view`).
        let (shared, single): (Vec<_>, Vec<_>) = uses.iter().partition(|(_, n)| **n > 1);
        let views = shared
            .par_iter()
            .map(|(k, _)| {
                let v = ProcView::build(k.procedure(), site.today, &lex, &md);
                ((*k).clone(), Arc::new(v))
            })
            .collect::<Vec<_>>()
            .into_iter()
            .collect();
        let summaries = single
            .par_iter()
            .map(|(k, _)| ((*k).clone(), lex.summary(&k.procedure().channels)))
            .collect::<Vec<_>>()
            .into_iter()
            .collect();
        RenderContext {
            site,
            theme,
            opts,
            lex,
            md,
            views,
            summaries,
            uses,
            bodies: Mutex::default(),
            mark: PlaceMark::new(),
            only: None,
            search_kept: Mutex::default(),
        }
    }

    /// A context with the views, components and search documents `kept` from an earlier
    /// one (`serve`): every procedure of `site` must have its view there.
    pub fn with_kept(
        site: &'a ResolvedSite,
        theme: &'a Theme,
        opts: &'a RenderOptions,
        kept: Kept,
        only: Option<HashSet<String>>,
    ) -> Self {
        RenderContext {
            site,
            theme,
            opts,
            lex: Lexicon::from_strings(&theme.strings),
            md: Markdown::new(),
            views: kept.views,
            summaries: ProcMap::default(),
            uses: kept.uses,
            bodies: Mutex::new(kept.bodies),
            mark: kept.mark.unwrap_or_default(),
            only,
            search_kept: Mutex::new(kept.search),
        }
    }

    /// What the context made that a next one can use (see [`Kept`]).
    pub fn into_kept(self) -> Kept {
        Kept {
            views: self.views,
            uses: self.uses,
            bodies: self.bodies.into_inner().unwrap_or_else(|e| e.into_inner()),
            mark: Some(self.mark),
            search: self
                .search_kept
                .into_inner()
                .unwrap_or_else(|e| e.into_inner()),
        }
    }

    /// The eleven components of a procedure (theme template `components.html`) at page
    /// depth `root`, with the unit's `place`, as a safe template value for the page's and
    /// the noticeboard sheet's `components` (the same rendering serves both: element ids
    /// are unique per procedure, `tthc-<code>-…`).
    ///
    /// A procedure published by several units is rendered once per depth and kept, with
    /// a mark where the template printed `place` ([`PlaceMark`]), filled with each
    /// unit's: with 300 communes adopting a catalogue, the components of a procedure are
    /// rendered once instead of 300 times. Only whether the place is empty is decided
    /// when rendering (the template shows "Chưa công bố" for an empty one).
    ///
    /// `view` is `p`'s (see [`RenderContext::view`]).
    pub fn components(
        &self,
        p: &Arc<Procedure>,
        view: &ProcView,
        root: &str,
        place: &str,
    ) -> Result<Components, RenderError> {
        let shared = !self.opts.unshared && self.uses.get(&ProcRef(p)).copied().unwrap_or(0) > 1;
        if !shared {
            let html = self.render_components(p, view, root, place)?;
            return Ok(Components {
                marked: Arc::new(Marked::plain(html)),
                place: String::new(),
            });
        }
        let found = |bodies: &ProcMap<Vec<Body>>| {
            bodies.get(&ProcRef(p)).and_then(|v| {
                v.iter()
                    .find(|b| b.root == root && b.place_empty == place.is_empty())
                    .map(|b| Arc::clone(&b.html))
            })
        };
        let kept = self.bodies.lock().ok().and_then(|m| found(&m));
        let body = match kept {
            Some(b) => b,
            None => {
                let mark = if place.is_empty() {
                    ""
                } else {
                    self.mark.text()
                };
                let html = self.render_components(p, view, root, mark)?;
                let b = Arc::new(self.mark.find(html));
                if let Ok(mut m) = self.bodies.lock() {
                    m.entry(ProcKey::of(p)).or_default().push(Body {
                        root: root.to_owned(),
                        place_empty: place.is_empty(),
                        html: Arc::clone(&b),
                    });
                }
                b
            }
        };
        Ok(Components {
            marked: body,
            place: crate::theme::escape_html(place),
        })
    }

    fn render_components(
        &self,
        p: &Arc<Procedure>,
        view: &ProcView,
        root: &str,
        place: &str,
    ) -> Result<Vec<u8>, RenderError> {
        let mut ctx = tera::Context::new();
        ctx.insert_value("p", view.value.clone());
        ctx.insert_value("root", root.into());
        ctx.insert_value("place", place.into());
        let mut buf = Vec::with_capacity(16 * 1024);
        self.theme
            .render_to("components.html", &ctx, &mut buf)
            .map_err(|message| RenderError {
                what: format!(
                    "{}/templates/components.html ({})",
                    self.theme.origin, p.code
                ),
                message,
            })?;
        Ok(buf)
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

    /// The view of a published procedure: the one kept if it is shared (or `serve`
    /// keeps it), else built now. A caller needing it several times keeps it.
    pub fn view(&self, p: &Arc<Procedure>) -> Arc<ProcView> {
        match self.views.get(&ProcRef(p)) {
            Some(v) => Arc::clone(v),
            None => {
                let summary = match self.summaries.get(&ProcRef(p)) {
                    Some(s) => s.clone(),
                    None => self.lex.summary(&p.channels),
                };
                Arc::new(ProcView::build_with(
                    p,
                    self.site.today,
                    &self.lex,
                    &self.md,
                    summary,
                ))
            }
        }
    }

    /// A procedure's time and fee summaries ([`format::Summary`]): its kept view's, else
    /// the ones made for it, else (a procedure the site does not publish) made now.
    pub fn summary(&self, p: &Procedure) -> (Cow<'_, str>, Cow<'_, str>) {
        if let Some(v) = self.views.get(&ProcRef(p)) {
            return (
                Cow::Borrowed(v.time_summary.as_str()),
                Cow::Borrowed(v.fee_summary.as_str()),
            );
        }
        match self.summaries.get(&ProcRef(p)) {
            Some(s) => (
                Cow::Borrowed(s.time.as_str()),
                Cow::Borrowed(s.fee.as_str()),
            ),
            None => {
                let s = self.lex.summary(&p.channels);
                (Cow::Owned(s.time), Cow::Owned(s.fee))
            }
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
        [base_url, p, "/"].concat()
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
        Box::new(changes::ChangesRenderer),
        Box::new(report::ReportRenderer),
    ]
}

/// How long each renderer took (wall time; they run at the same time).
pub type RenderTimings = Vec<(&'static str, std::time::Duration)>;

/// Renders everything into `out`.
pub fn render_all(
    site: &ResolvedSite,
    theme: &Theme,
    opts: &RenderOptions,
    out: &Output,
) -> Result<RenderTimings, RenderError> {
    let start = std::time::Instant::now();
    let cx = RenderContext::new(site, theme, opts);
    let mut timings = vec![("views", start.elapsed())];
    let rs = renderers();
    if let Some(pb) = &opts.progress {
        pb.set_length(rs.iter().map(|r| r.count(&cx)).sum());
    }
    // All at once: each is parallel inside, but some have long serial parts (one
    // province's 51 MB data.json, the search index's site-wide files) that the others'
    // pages fill in around.
    let each = par::try_map_init(
        rs.par_iter(),
        || (),
        |(), r| {
            let t = std::time::Instant::now();
            r.render(&cx, out).map(|()| (r.name(), t.elapsed()))
        },
    )?;
    timings.extend(each);
    Ok(timings)
}

/// Where the components of a shared procedure print the unit's place, rendered once for
/// all units ([`RenderContext::components`]): private-use characters around a number
/// random per build, which no content can contain.
#[derive(Clone)]
pub struct PlaceMark {
    text: String,
}

impl Default for PlaceMark {
    fn default() -> Self {
        Self::new()
    }
}

impl PlaceMark {
    pub fn new() -> Self {
        use std::hash::BuildHasher;
        let n = std::collections::hash_map::RandomState::new().hash_one(std::process::id());
        PlaceMark {
            text: format!("\u{F8FF}niemyet-place-{n:016x}\u{F8FF}"),
        }
    }

    fn text(&self) -> &str {
        &self.text
    }

    /// `html` with the places of the mark found.
    fn find(&self, html: Vec<u8>) -> Marked {
        let html = crate::theme::checked_string(&html);
        let at = html.match_indices(&self.text).map(|(i, _)| i).collect();
        Marked::new(html, at, self.text.len())
    }
}

/// Where `components.html` marks the dossier section (what to bring), which a procedure
/// page shows first, right after the key facts, while its sheet keeps the decree's order.
const DOSSIER_START: &str = "<!--niemyet:dossier-->";
const DOSSIER_END: &str = "<!--/niemyet:dossier-->";

/// Rendered components with the places of the place mark, and the dossier section, found
/// once, for all the units that publish the procedure and for both its page and sheet.
pub struct Marked {
    html: String,
    /// Where each mark starts.
    at: Vec<usize>,
    /// The mark's length.
    len: usize,
    /// The dossier section, inside its marks (a theme's components.html without them: none).
    dossier: Option<std::ops::Range<usize>>,
}

impl Marked {
    fn new(html: String, at: Vec<usize>, len: usize) -> Marked {
        let dossier = html.find(DOSSIER_START).and_then(|start| {
            let from = start + DOSSIER_START.len();
            let end = html[from..].find(DOSSIER_END)?;
            Some(from..from + end)
        });
        Marked {
            html,
            at,
            len,
            dossier,
        }
    }

    /// Components rendered for one unit, its place already in them.
    fn plain(html: Vec<u8>) -> Marked {
        Marked::new(crate::theme::checked_string(&html), Vec::new(), 0)
    }

    /// `range` of the HTML with `place` (escaped) in place of each mark, onto `out`.
    fn fill_into(&self, out: &mut String, range: std::ops::Range<usize>, place: &str) {
        let mut from = range.start;
        for &i in self.at.iter().filter(|&&i| range.contains(&i)) {
            out.push_str(&self.html[from..i]);
            out.push_str(place);
            from = i + self.len;
        }
        out.push_str(&self.html[from..range.end]);
    }

    /// The parts `ranges`, filled and joined, as a safe value.
    fn part(&self, ranges: &[std::ops::Range<usize>], place: &str) -> tera::Value {
        // One part without marks (components rendered for one unit) is taken as it is.
        if let [r] = ranges {
            if !self.at.iter().any(|i| r.contains(i)) {
                return tera::Value::safe_string(&self.html[r.clone()]);
            }
        }
        let len: usize = ranges.iter().map(|r| r.len()).sum();
        let mut out = String::with_capacity(len + self.at.len() * place.len());
        for r in ranges {
            self.fill_into(&mut out, r.clone(), place);
        }
        tera::Value::safe_string(&out)
    }
}

/// A procedure's rendered components for one unit ([`RenderContext::components`]).
pub struct Components {
    marked: Arc<Marked>,
    /// The unit's place, escaped, for the marks.
    place: String,
}

impl Components {
    /// All of them in the decree's order, as a safe value: a noticeboard sheet's.
    pub fn whole(&self) -> tera::Value {
        self.marked.part(
            std::slice::from_ref(&(0..self.marked.html.len())),
            &self.place,
        )
    }

    /// The dossier section, and the others in their order, as safe values: a procedure
    /// page's, which shows the dossier first. Without the section's marks, no dossier
    /// apart and all the rest. Made from the places found once, without searching or
    /// copying the whole HTML again for every unit's page.
    pub fn page_parts(&self) -> (tera::Value, tera::Value) {
        let m = &*self.marked;
        let Some(d) = m.dossier.clone() else {
            return (tera::Value::safe_string(""), self.whole());
        };
        let before = 0..d.start - DOSSIER_START.len();
        let after = d.end + DOSSIER_END.len()..m.html.len();
        (
            m.part(std::slice::from_ref(&d), &self.place),
            m.part(&[before, after], &self.place),
        )
    }
}

/// The bundled example site (`content/`, as of 2026-11-23) and the default theme: what
/// the renderers' tests put their pieces together from.
#[cfg(test)]
pub(crate) fn example_site() -> (ResolvedSite, Theme) {
    use crate::diag::Diagnostics;
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut d = Diagnostics::new();
    let content = crate::content::load(root, &mut d).expect("example site");
    let today = crate::date::Date::parse("2026-11-23").expect("date");
    let site = crate::resolve::resolve(content, today, &mut d);
    let theme = crate::theme::load(root, "default", "vi", &mut d).expect("theme");
    (site, theme)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The place goes wherever the components printed the mark, escaped, and nowhere
    /// else; components without a mark are left as they are.
    #[test]
    fn the_place_fills_every_mark() {
        let mark = PlaceMark::new();
        let m = mark.text();
        let html = format!("<dd>{m}</dd><p>đ {m}{m}</p>{m}");
        let fill = |html: String, place: &str| Components {
            marked: Arc::new(mark.find(html.into_bytes())),
            place: crate::theme::escape_html(place),
        };
        assert_eq!(
            fill(html, "Xã <Đông> Lợi").whole().as_str(),
            Some("<dd>Xã &lt;Đông&gt; Lợi</dd><p>đ Xã &lt;Đông&gt; LợiXã &lt;Đông&gt; Lợi</p>Xã &lt;Đông&gt; Lợi")
        );
        let none = fill("<p>không</p>".into(), "x");
        assert_eq!(none.whole().as_str(), Some("<p>không</p>"));
        assert_ne!(PlaceMark::new().text(), "", "a mark is never empty");
    }

    /// A procedure page shows the dossier section first: its parts are the section and
    /// everything else in order, each with the unit's place, and together they are the
    /// sheet's whole, less the section's marks. Without the marks: no section apart.
    #[test]
    fn a_page_takes_the_dossier_apart_and_the_sheet_keeps_it_in_place() {
        let mark = PlaceMark::new();
        let m = mark.text();
        let html = format!("<s1>{m}</s1>{DOSSIER_START}<s3>mang {m}</s3>{DOSSIER_END}<s4>{m}</s4>");
        let c = Components {
            marked: Arc::new(mark.find(html.into_bytes())),
            place: crate::theme::escape_html("Xã A&B"),
        };
        let (dossier, rest) = c.page_parts();
        assert_eq!(dossier.as_str(), Some("<s3>mang Xã A&amp;B</s3>"));
        assert_eq!(
            rest.as_str(),
            Some("<s1>Xã A&amp;B</s1><s4>Xã A&amp;B</s4>")
        );
        assert_eq!(
            c.whole().as_str(),
            Some(
                format!("<s1>Xã A&amp;B</s1>{DOSSIER_START}<s3>mang Xã A&amp;B</s3>{DOSSIER_END}<s4>Xã A&amp;B</s4>")
                    .as_str()
            )
        );
        let plain = Components {
            marked: Arc::new(Marked::plain(b"<s1>x</s1>".to_vec())),
            place: String::new(),
        };
        let (dossier, rest) = plain.page_parts();
        assert_eq!(
            (dossier.as_str(), rest.as_str()),
            (Some(""), Some("<s1>x</s1>"))
        );
    }

    /// The interface strings folded into the templates when the theme loads
    /// (`theme::fold_strings`) give the same site as looked up while rendering.
    #[test]
    fn folded_strings_give_the_same_site() {
        let (site, folded) = example_site();
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut d = crate::diag::Diagnostics::new();
        let plain = crate::theme::load_with(root, "default", "vi", &mut d, false).expect("theme");
        let render = |theme: &Theme| {
            let out = Output::memory();
            render_all(&site, theme, &RenderOptions::default(), &out).expect("renders");
            let mut files: Vec<_> = out.into_files().into_iter().collect();
            files.sort();
            files
        };
        let (a, b) = (render(&folded), render(&plain));
        assert_eq!(a.len(), b.len());
        assert!(a.len() > 100);
        for ((pa, ba), (pb, bb)) in a.iter().zip(&b) {
            assert_eq!(pa, pb);
            assert!(ba == bb, "{pa} differs with and without folding");
        }
    }
}
