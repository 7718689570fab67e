//! Stage 4, `render`: the resolved site becomes files. Each kind of output is a
//! [`Renderer`]: HTML pages, open data, feeds and sitemap, static assets. Renderers share
//! a [`RenderContext`] holding the theme and the views of shared procedures, built once.

pub mod assets;
mod cache;
pub mod data;
pub mod feeds;
pub mod format;
pub mod html;
pub mod jsonld;
pub mod markdown;
pub mod noticeboard;
mod par;
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
use std::borrow::Cow;
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
    /// Noticeboard packs by their own renderer (`noticeboard`) instead of with their
    /// unit's pages (`html`): `serve` publishes the pages of an edit before the slower
    /// packs. A build renders them together, each procedure's components once for both.
    pub boards_apart: bool,
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
    /// Views of every distinct procedure, by address of the shared `Procedure`.
    views: HashMap<usize, Arc<ProcView>>,
    /// The summaries of the procedures without a kept view, made once: unit lists, the
    /// search index, the open data, the `/tthc/` pages and the procedure's own view each
    /// made them again (five or six times a procedure of the 20k site; made once, its
    /// build runs 1.6 % fewer instructions).
    summaries: HashMap<usize, format::Summary>,
    /// How many units publish each distinct procedure: a shared one has its components
    /// rendered once (see [`RenderContext::components`]).
    uses: HashMap<usize, usize>,
    /// Rendered components of shared procedures, by procedure, page depth and variant.
    bodies: Mutex<HashMap<BodyKey, Arc<Marked>>>,
    /// Stand for the id prefix and the unit's place in rendered components.
    marks: Marks,
    /// The outputs to write (`serve`'s incremental rebuilds); `None`: all of them.
    only: Option<HashSet<String>>,
    /// What the search renderer keeps for the next render (`serve`'s updates).
    pub(crate) search_kept: Mutex<search::SearchKept>,
}

/// (procedure, root prefix, place empty)
type BodyKey = (usize, String, bool);

/// A procedure's identity: the address of the one `Procedure` every unit publishing it
/// shares (an `Arc`'s contents).
fn key(p: &Procedure) -> usize {
    p as *const Procedure as usize
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
        // Views of shared procedures are built here, once; the others when their unit
        // renders, and dropped with it, so a site of unique procedures never holds every
        // view at once (see `RenderContext::view`).
        let (shared, single): (Vec<_>, Vec<_>) = distinct
            .into_iter()
            .partition(|(k, _)| uses.get(k).copied().unwrap_or(0) > 1);
        let views = shared
            .par_iter()
            .map(|(k, p)| (*k, Arc::new(ProcView::build(p, site.today, &lex, &md))))
            .collect();
        let summaries = single
            .par_iter()
            .map(|(k, p)| (*k, lex.summary(&p.channels)))
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
            bodies: Mutex::new(HashMap::new()),
            marks: Marks::new(),
            only: None,
            search_kept: Mutex::default(),
        }
    }

    /// The eleven components of a procedure (theme template `components.html`) at page
    /// depth `root`, with two marks left in: [`RenderContext::expand`] puts in the element-id
    /// prefix and the unit's place, making the web page's copy and the noticeboard sheet's
    /// from one rendering. Only whether the place is empty is decided here (the template
    /// shows "Chưa công bố" for an empty one).
    ///
    /// A procedure published by several units is rendered once per depth and kept: with
    /// 300 communes adopting a catalogue, most of a procedure page is rendered once
    /// instead of 600 times (page and sheet of each commune).
    ///
    /// `view` is `p`'s (see [`RenderContext::view`]).
    pub fn components(
        &self,
        p: &Arc<Procedure>,
        view: &ProcView,
        root: &str,
        place_empty: bool,
    ) -> Result<Arc<Marked>, RenderError> {
        let shared = !self.opts.unshared && self.uses.get(&key(p)).copied().unwrap_or(0) > 1;
        let render = || {
            self.render_components(p, view, root, place_empty)
                .map(|b| Arc::new(self.marked(b)))
        };
        if !shared {
            return render();
        }
        let k = (key(p), root.to_owned(), place_empty);
        if let Some(b) = self.bodies.lock().ok().and_then(|m| m.get(&k).cloned()) {
            return Ok(b);
        }
        let b = render()?;
        if let Ok(mut m) = self.bodies.lock() {
            m.insert(k, Arc::clone(&b));
        }
        Ok(b)
    }

    /// Rendered template output with its marks replaced: `pre` before every element id
    /// (empty on the web page, `tthc-<code>-` on a noticeboard sheet, which holds many
    /// procedures), the unit's `place` (both escaped here), and slot `n` by
    /// `fill.slots[n]` (see [`Slot`]), itself expanded with the same `pre` and `place`.
    ///
    /// Big pieces already rendered (a procedure's components, a pack's sheets) go into
    /// their page this way instead of through the template context: no copy into a
    /// `serde_json::Value`, no second pass of the template engine over them.
    pub fn expand(&self, src: &[u8], fill: &Fill, out: &mut Vec<u8>) {
        self.expand_in(src, fill, fill.slots, out);
    }

    /// [`RenderContext::expand`] with `slots` in place of `fill`'s (none inside a slot).
    fn expand_in(&self, src: &[u8], fill: &Fill, slots: &[Slot], out: &mut Vec<u8>) {
        self.marks.scan(src, |range, piece| match piece {
            Piece::Text => out.extend_from_slice(&src[range]),
            Piece::Pre => out.extend_from_slice(fill.pre.as_bytes()),
            Piece::Place => out.extend_from_slice(fill.place.as_bytes()),
            Piece::Slot(n) => match slots.get(n) {
                Some(Slot::Marked(m)) => m.expand(fill, out),
                Some(Slot::Verbatim(b)) => out.extend_from_slice(b),
                None => {}
            },
        });
    }

    /// The pieces of `src` with each slot mark replaced by `slots[n]`, borrowed, not
    /// copied: what [`RenderContext::expand`] writes with an empty `pre` and `place` and
    /// verbatim slots, for [`Output::write_parts`] (a noticeboard pack: its frame and
    /// every sheet, 2.6 MB a unit at the 20k benchmark, copied once more to be joined).
    pub fn expand_parts<'s>(&self, src: &'s [u8], slots: &'s [Vec<u8>]) -> Vec<&'s [u8]> {
        let mut parts = Vec::with_capacity(2 * slots.len() + 1);
        self.marks.scan(src, |range, piece| match piece {
            Piece::Text => parts.push(&src[range]),
            Piece::Pre | Piece::Place => {}
            Piece::Slot(n) => parts.extend(slots.get(n).map(Vec::as_slice)),
        });
        parts
    }

    /// `bytes` with the places of their marks found once (see [`Marked`]).
    pub fn marked(&self, bytes: Vec<u8>) -> Marked {
        let mut marks = Vec::new();
        self.marks.scan(&bytes, |range, piece| {
            if !matches!(piece, Piece::Text) {
                marks.push((range.start, range.end, piece));
            }
        });
        Marked { bytes, marks }
    }

    /// The mark [`RenderContext::expand`] replaces by slot `n`.
    pub fn slot(&self, n: usize) -> String {
        let mut s = String::with_capacity(self.marks.stem.len() + 8 + MARK_END.len_utf8());
        s.push_str(&self.marks.stem);
        s.push_str("slot");
        crate::text::push_uint(&mut s, n as u64);
        s.push(MARK_END);
        s
    }

    fn render_components(
        &self,
        p: &Arc<Procedure>,
        view: &ProcView,
        root: &str,
        place_empty: bool,
    ) -> Result<Vec<u8>, RenderError> {
        let mut ctx = tera::Context::new();
        ctx.insert_value("p", view.value.clone());
        ctx.insert_value("root", root.into());
        let place = if place_empty { "" } else { &self.marks.place };
        ctx.insert_value("place", place.into());
        ctx.insert_value("pre", self.marks.pre.as_str().into());
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
        match self.views.get(&key(p)) {
            Some(v) => Arc::clone(v),
            None => {
                let summary = match self.summaries.get(&key(p)) {
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
        let k = key(p);
        if let Some(v) = self.views.get(&k) {
            return (
                Cow::Borrowed(v.time_summary.as_str()),
                Cow::Borrowed(v.fee_summary.as_str()),
            );
        }
        match self.summaries.get(&k) {
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

/// Marks no content can contain: private-use characters around a number random per
/// build. All begin with `stem`, so [`RenderContext::expand`] finds them in one pass.
#[derive(Clone)]
pub(crate) struct Marks {
    stem: String,
    /// `stem`, then [`MARK_PRE`].
    pre: String,
    /// `stem`, then [`MARK_PLACE`].
    place: String,
    finder: memchr::memmem::Finder<'static>,
}

const MARK_END: char = '\u{F8FF}';
const MARK_PRE: &[u8] = "pre\u{F8FF}".as_bytes();
const MARK_PLACE: &[u8] = "place\u{F8FF}".as_bytes();

/// `slot<n>` and the end mark at the start of `s`: `n` and what follows.
fn slot_number(s: &[u8]) -> Option<(usize, &[u8])> {
    let digits = s.strip_prefix(b"slot")?;
    let len = digits.iter().take_while(|b| b.is_ascii_digit()).count();
    let n = std::str::from_utf8(&digits[..len]).ok()?.parse().ok()?;
    let mut end = [0u8; 4];
    let end = MARK_END.encode_utf8(&mut end).as_bytes();
    let rest = digits[len..].strip_prefix(end)?;
    Some((n, rest))
}

impl Marks {
    pub(crate) fn new() -> Self {
        use std::hash::BuildHasher;
        let n = std::collections::hash_map::RandomState::new().hash_one(std::process::id());
        let stem = format!("{MARK_END}niemyet-{n:016x}-");
        Marks {
            pre: format!("{stem}pre{MARK_END}"),
            place: format!("{stem}place{MARK_END}"),
            finder: memchr::memmem::Finder::new(stem.as_bytes()).into_owned(),
            stem,
        }
    }

    /// Cuts `src` into text and marks, in order: `each(range, piece)`. A mark-like run
    /// that is not one of ours (cannot happen: the stem is random per build) is text.
    fn scan(&self, src: &[u8], mut each: impl FnMut(std::ops::Range<usize>, Piece)) {
        let stem = self.stem.len();
        let mut at = 0;
        while let Some(i) = self.finder.find(&src[at..]) {
            let start = at + i;
            each(at..start, Piece::Text);
            let after = &src[start + stem..];
            let (piece, rest) = if let Some(r) = after.strip_prefix(MARK_PRE) {
                (Piece::Pre, r)
            } else if let Some(r) = after.strip_prefix(MARK_PLACE) {
                (Piece::Place, r)
            } else if let Some((n, r)) = slot_number(after) {
                (Piece::Slot(n), r)
            } else {
                (Piece::Text, after)
            };
            let end = src.len() - rest.len();
            each(start..end, piece);
            at = end;
        }
        each(at..src.len(), Piece::Text);
    }
}

/// What a piece of rendered output is, as [`Marks::scan`] cuts it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Piece {
    /// Bytes to copy as they are.
    Text,
    Pre,
    Place,
    Slot(usize),
}

/// Rendered output whose marks were found once ([`RenderContext::marked`]): a
/// procedure's components go into its page and its sheet, and an adopted procedure's
/// into those of every unit publishing it; searched for marks at every copy, they were
/// searched 600 times at province size.
pub struct Marked {
    bytes: Vec<u8>,
    /// Where each mark starts and ends, and which it is, in order.
    marks: Vec<(usize, usize, Piece)>,
}

impl Marked {
    pub(crate) fn len(&self) -> usize {
        self.bytes.len()
    }

    /// As [`RenderContext::expand`] would put it into a slot (no slots inside a slot).
    fn expand(&self, fill: &Fill, out: &mut Vec<u8>) {
        let mut at = 0;
        for &(start, end, piece) in &self.marks {
            out.extend_from_slice(&self.bytes[at..start]);
            match piece {
                Piece::Pre => out.extend_from_slice(fill.pre.as_bytes()),
                Piece::Place => out.extend_from_slice(fill.place.as_bytes()),
                Piece::Text | Piece::Slot(_) => {}
            }
            at = end;
        }
        out.extend_from_slice(&self.bytes[at..]);
    }
}

/// What fills slot `n` of a [`Fill`].
#[derive(Clone, Copy)]
pub enum Slot<'a> {
    /// Its marks found already.
    Marked(&'a Marked),
    /// Copied as it is: it holds no marks (a finished sheet, the JSON-LD).
    Verbatim(&'a [u8]),
}

/// What [`RenderContext::expand`] puts in place of the marks.
pub struct Fill<'s> {
    pre: String,
    place: String,
    slots: &'s [Slot<'s>],
}

impl<'s> Fill<'s> {
    /// `pre` and `place` as given (they are escaped here), and the slots.
    pub fn new(pre: &str, place: &str, slots: &'s [Slot<'s>]) -> Self {
        Fill {
            pre: crate::theme::escape_html(pre),
            place: crate::theme::escape_html(place),
            slots,
        }
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

    /// Components go into pages as [`Marked`] slots, their marks found once; the pack's
    /// finished sheets as verbatim ones. A marked slot must give what expanding the same
    /// bytes as they are copied gives.
    #[test]
    fn marks_found_once_expand_as_marks_found_while_copying() {
        let (site, theme) = example_site();
        let opts = RenderOptions::default();
        let cx = RenderContext::new(&site, &theme, &opts);
        let m = &cx.marks;
        let stem = m.stem.as_str();
        let pieces = [
            "<h2 id=\"",
            m.pre.as_str(),
            "steps-h\">Các bước</h2>",
            m.place.as_str(),
            "",
            m.pre.as_str(),
            "đ",
            stem,
            "lạ",
            &cx.slot(0),
            &cx.slot(7),
            "<p>Nơi: ",
            m.place.as_str(),
            "</p>",
            stem,
        ];
        // Every cut of the pieces, so marks meet each other and both ends.
        for from in 0..pieces.len() {
            for to in from..=pieces.len() {
                let src = pieces[from..to].concat().into_bytes();
                let frame = format!("<main>{}</main>{}", cx.slot(0), cx.slot(1)).into_bytes();
                let fill_slots = |s: Slot<'_>| {
                    let slots = [s, Slot::Verbatim(b"<script>{}</script>")];
                    let fill = Fill::new("tthc-1.001-", "Xã <Đông> Lợi", &slots);
                    let mut out = Vec::new();
                    cx.expand(&frame, &fill, &mut out);
                    out
                };
                // The reference: the bytes expanded as they are copied, as every slot
                // was before `Marked` (with the same fill, no slots inside a slot).
                let mut scanned = b"<main>".to_vec();
                let fill = Fill::new("tthc-1.001-", "Xã <Đông> Lợi", &[]);
                cx.expand(&src, &fill, &mut scanned);
                scanned.extend_from_slice(b"</main><script>{}</script>");
                let marked = cx.marked(src.clone());
                assert_eq!(marked.len(), src.len());
                assert_eq!(
                    String::from_utf8_lossy(&fill_slots(Slot::Marked(&marked))),
                    String::from_utf8_lossy(&scanned),
                    "pieces {from}..{to}"
                );
                let text = String::from_utf8_lossy(&scanned);
                assert!(!text.contains(m.pre.as_str()) && !text.contains(m.place.as_str()));
                if src.windows(m.pre.len()).any(|w| w == m.pre.as_bytes()) {
                    assert!(text.contains("tthc-1.001-"), "{text}");
                }
                if src.windows(m.place.len()).any(|w| w == m.place.as_bytes()) {
                    assert!(text.contains("Xã &lt;Đông&gt; Lợi"), "{text}");
                }
            }
        }
        // A verbatim slot is copied as it is, marks and all.
        let slots = [Slot::Verbatim(m.pre.as_bytes())];
        let mut out = Vec::new();
        cx.expand(
            cx.slot(0).as_bytes(),
            &Fill::new("x", "y", &slots),
            &mut out,
        );
        assert_eq!(out, m.pre.as_bytes());
    }
}
