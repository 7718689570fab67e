//! `niemyet serve`: the live preview. The site is rendered into memory and served from
//! there; a watcher reports edited files, and [`Preview::update`] does what they touch:
//! it re-reads only those files (`content::load_cached`), resolves again only the units
//! whose inputs changed (`resolve::resolve_cached`), checks the site (cheap: nothing per
//! procedure is allocated), and renders again only the outputs whose inputs changed
//! ([`deps`]), with the views of unchanged procedures kept ([`cache::ViewCache`]). The
//! pages are published before the slow outputs ([`QUICK`]). Open pages reload over
//! Server-Sent Events when their own output changed; a broken edit shows its
//! diagnostics over the page while the last good site keeps being served.
//!
//! It sits beside the pipeline, not inside it: it calls the same stages as `build`, with
//! caches that hand back what an unchanged input gave last time, and the renderers into
//! an in-memory [`Output`], so what it serves is what `build` writes (`tests/serve.rs`
//! compares the two after every edit of scripted and random series).

pub mod cache;
pub mod deps;
pub mod http;
pub mod session;
pub mod watch;

use crate::content::{self, LoadCache};
use crate::date::Date;
use crate::diag::{Diagnostic, Diagnostics, Severity};
use crate::output::Output;
use crate::render::{self, RenderOptions};
use crate::resolve::{self, ResolveCache, ResolvedSite};
use crate::theme::{self, Theme};
use cache::ViewCache;
use deps::Dirty;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

/// The served files: output path → bytes.
pub type Files = HashMap<String, Arc<Vec<u8>>>;

/// What the watcher saw, sorted by what it touches.
#[derive(Debug, Default, Clone)]
pub struct Changes {
    /// Paths relative to content/.
    pub content: Vec<PathBuf>,
    /// Paths relative to themes/<name>/ of the site's theme (other themes are ignored).
    pub theme: Vec<String>,
    pub site_toml: bool,
    /// The watcher may have missed events: read everything again.
    pub rescan: bool,
}

impl Changes {
    pub fn is_empty(&self) -> bool {
        self.content.is_empty() && self.theme.is_empty() && !self.site_toml && !self.rescan
    }
}

/// The outcome of an update, for the terminal and the open pages.
#[derive(Debug, Clone)]
pub enum Outcome {
    /// The site was rendered again: these outputs changed (`all`: too many to list).
    Rendered {
        changed: Vec<String>,
        all: bool,
        rendered: usize,
        took: Duration,
        /// Processor time the update used (all threads): unlike `took`, the same on a
        /// busy machine.
        cpu: Option<Duration>,
    },
    /// The content has errors: the last good site is still served.
    Broken(Vec<Diagnostic>),
}

/// The preview's state between edits.
pub struct Preview {
    root: PathBuf,
    today: Option<Date>,
    base_url: Option<String>,
    opts: RenderOptions,
    cache: LoadCache,
    resolved: ResolveCache,
    views: ViewCache,
    theme: Option<Theme>,
    /// The last site rendered without errors.
    site: Option<ResolvedSite>,
    /// Edits not rendered yet (kept across broken states, so fixing the last error
    /// renders everything edited meanwhile).
    pending_units: HashSet<String>,
    pending_templates: HashSet<String>,
    pending_all: bool,
    /// A theme file changed (static files may have been added or removed).
    pending_theme: bool,
    /// Outputs to render whatever the dependencies say (form files edited in place).
    pending_paths: HashSet<String>,
    /// Outputs of renderers that cannot list them, by renderer.
    unlisted: HashMap<&'static str, HashSet<String>>,
    /// Outputs of the renderers that list them.
    listed: HashSet<String>,
    /// The renderers that list their outputs.
    listing: HashSet<&'static str>,
    pub files: Arc<RwLock<Files>>,
    /// Diagnostics of the current (broken) state; empty when the site is good.
    pub errors: Arc<RwLock<Vec<String>>>,
    warnings_shown: Vec<Diagnostic>,
    /// Renderers left out (by name): a benchmark knob (`NIEMYET_SERVE_SKIP`), to measure
    /// the rest of an update while one renderer is reworked elsewhere. The served site
    /// then lacks that renderer's outputs; never set in normal use.
    skip: HashSet<String>,
}

impl Preview {
    /// `inject` goes before `</body>` of every page (the reload script).
    pub fn new(
        root: &Path,
        today: Option<Date>,
        base_url: Option<String>,
        inject: Option<String>,
    ) -> Preview {
        Preview {
            root: root.to_path_buf(),
            today,
            base_url,
            opts: RenderOptions {
                inject,
                boards_apart: true,
                ..RenderOptions::default()
            },
            cache: LoadCache::default(),
            resolved: ResolveCache::default(),
            views: ViewCache::default(),
            theme: None,
            site: None,
            pending_units: HashSet::new(),
            pending_templates: HashSet::new(),
            pending_all: true,
            pending_theme: false,
            pending_paths: HashSet::new(),
            unlisted: HashMap::new(),
            listed: HashSet::new(),
            listing: HashSet::new(),
            files: Arc::new(RwLock::new(HashMap::new())),
            errors: Arc::new(RwLock::new(Vec::new())),
            warnings_shown: Vec::new(),
            skip: HashSet::new(),
        }
    }

    /// Leaves out the named renderers (see [`Preview`]'s `skip`): for benchmarks only.
    pub fn skip_renderers<I: IntoIterator<Item = String>>(&mut self, names: I) {
        self.skip.extend(names);
        self.pending_all = true;
    }

    /// The theme folder name of the last good site (default until one was read).
    pub fn theme_name(&self) -> String {
        self.site
            .as_ref()
            .map(|s| s.config.theme.clone())
            .unwrap_or_else(|| "default".into())
    }

    /// The diagnostics (warnings) of the site served now, as of the last update that
    /// rendered: the same as `niemyet check` reports for it.
    pub fn warnings(&self) -> &[Diagnostic] {
        &self.warnings_shown
    }

    /// An interface string of the current theme.
    pub fn string(&self, key: &str) -> Option<String> {
        self.theme.as_ref()?.strings.get(key).cloned()
    }

    /// Reads what changed and renders what it invalidates.
    pub fn update(&mut self, changes: &Changes) -> Outcome {
        self.update_with(changes, &mut |_, _| {})
    }

    /// [`Preview::update`], calling `published(changed, all)` each time a group of
    /// outputs has been swapped into the served files (see [`QUICK`]): the pages first,
    /// then the print packs and the search index. On `Outcome::Rendered`, every changed
    /// path has been passed to `published` exactly once; `all` (with the first group):
    /// every page may have changed (the site's settings, the date or the interface
    /// strings). When a later group fails, the earlier ones are taken back (the last
    /// good site stays served) and the outcome is `Broken`.
    pub fn update_with(
        &mut self,
        changes: &Changes,
        published: &mut dyn FnMut(&[String], bool),
    ) -> Outcome {
        let start = Instant::now();
        let cpu_start = cpu_time();
        if std::env::var_os("NIEMYET_SERVE_TIMING").is_some() {
            eprintln!("  changes: {changes:?}");
        }
        if changes.rescan || changes.site_toml {
            self.cache.clear();
            self.resolved = ResolveCache::default();
            self.pending_all = true;
        }
        // The watcher may name a file twice (the rename of an atomic save, then a write).
        let mut content: Vec<&PathBuf> = changes.content.iter().collect();
        content.sort();
        content.dedup();
        for p in content {
            self.cache.invalidate(p);
        }
        for p in &changes.content {
            // A form file attached to procedures: copied again if it is published.
            if let Some(s) = p.to_str() {
                self.pending_paths
                    .insert(render::view::form_output_path(&s.replace('\\', "/")));
            }
        }
        let prefix = format!("{}/", self.theme_name());
        for t in &changes.theme {
            let Some(t) = t.strip_prefix(&prefix) else {
                if *t == self.theme_name() {
                    self.theme = None;
                    self.pending_all = true;
                }
                continue;
            };
            self.theme = None;
            self.pending_theme = true;
            match t.strip_prefix("templates/") {
                Some(name) => {
                    self.pending_templates.insert(name.to_owned());
                }
                // Static files are rendered again on every update; 404.html holds the
                // style sheet (served at any depth, see `render::html`).
                None if t.starts_with("static/") => {
                    self.pending_templates.insert("404.html".to_owned());
                }
                // The interface strings are on every page.
                None => self.pending_all = true,
            }
        }

        let today = self.today.unwrap_or_else(Date::today);
        let mut d = Diagnostics::new();
        let t = Timer::new();
        let content = content::load_cached(&self.root, &mut d, &mut self.cache);
        t.lap("load");
        self.pending_units.extend(self.cache.fresh_units.drain(..));
        let new = content.map(|mut c| {
            let imported = std::mem::take(&mut c.imported);
            if let Some(url) = &self.base_url {
                c.site.base_url = if url.ends_with('/') {
                    url.clone()
                } else {
                    format!("{url}/")
                };
            }
            let site = resolve::resolve_cached(c, today, &mut d, &mut self.resolved);
            t.lap("resolve");
            crate::check::check(&site, &mut d);
            d.mark_imported(&imported);
            t.lap("check");
            site
        });
        if let Some(site) = &new {
            if self.theme.is_none()
                || self
                    .site
                    .as_ref()
                    .is_none_or(|s| s.config.theme != site.config.theme)
            {
                self.theme = theme::load(
                    &self.root,
                    &site.config.theme,
                    &site.config.language,
                    &mut d,
                );
            }
        }
        let diags = d.finish();
        let broken = diags.iter().any(|x| x.severity == Severity::Error) || self.theme.is_none();
        let (Some(new), Some(theme), false) = (new, self.theme.take(), broken) else {
            let mut diags = diags;
            if diags.is_empty() {
                diags.push(Diagnostic::error(
                    crate::diag::Loc::file(&Arc::from(Path::new("site.toml"))),
                    "the site could not be read",
                ));
            }
            self.set_errors(&diags);
            return Outcome::Broken(diags);
        };
        // Warnings are printed when they change, not on every keystroke.
        if diags != self.warnings_shown {
            crate::cmd::report(&diags);
            self.warnings_shown = diags;
        }

        let dirty = match &self.site {
            _ if self.pending_all => Dirty::All,
            None => Dirty::All,
            Some(old) => match deps::dirty(old, &new, &self.pending_units) {
                Dirty::All => Dirty::All,
                Dirty::Paths {
                    mut paths,
                    mut reshaped,
                } => {
                    if self.pending_templates.is_empty() && !self.pending_theme {
                        Dirty::Paths { paths, reshaped }
                    } else {
                        // A new static file or template may add outputs.
                        reshaped = true;
                        let sources = template_sources(&self.root, &new.config.theme);
                        let reached = deps::templates_reached(&sources, &self.pending_templates);
                        match deps::outputs_of_templates(&new, &reached) {
                            Some(t) => {
                                paths.extend(t);
                                Dirty::Paths { paths, reshaped }
                            }
                            None => Dirty::All,
                        }
                    }
                }
            },
        };
        t.lap("dependencies");
        if matches!(dirty, Dirty::All) {
            self.views.clear();
        }
        let result = self.render(&new, &theme, dirty, published);
        self.theme = Some(theme);
        match result {
            Ok((changed, all, rendered)) => {
                self.site = Some(new);
                self.pending_theme = false;
                self.pending_units.clear();
                self.pending_templates.clear();
                self.pending_all = false;
                self.pending_paths.clear();
                self.set_errors(&[]);
                Outcome::Rendered {
                    changed,
                    all,
                    rendered,
                    took: start.elapsed(),
                    cpu: cpu_time().zip(cpu_start).map(|(b, a)| b.saturating_sub(a)),
                }
            }
            Err(e) => {
                let origin = self
                    .theme
                    .as_ref()
                    .map(|t| t.origin.clone())
                    .unwrap_or_default();
                let diags = vec![Diagnostic::error(
                    crate::diag::Loc::file(&Arc::from(Path::new(&origin))),
                    e.to_string(),
                )];
                self.set_errors(&diags);
                Outcome::Broken(diags)
            }
        }
    }

    fn set_errors(&self, diags: &[Diagnostic]) {
        let list: Vec<String> = diags
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .map(|d| d.to_string())
            .collect();
        *self.errors.write().unwrap_or_else(|e| e.into_inner()) = list;
    }

    /// Renders the dirty outputs (and any listed output not served yet) into memory and
    /// swaps them into the served files, the quick renderers' first (see [`QUICK`]).
    /// Returns the paths whose bytes changed.
    fn render(
        &mut self,
        site: &ResolvedSite,
        theme: &Theme,
        dirty: Dirty,
        published: &mut dyn FnMut(&[String], bool),
    ) -> Result<(Vec<String>, bool, usize), render::RenderError> {
        let t = Timer::new();
        let mut cx = self.views.context(site, theme, &self.opts, None);
        t.lap("views");
        let mut renderers = render::renderers();
        renderers.retain(|r| !self.skip.contains(r.name()));
        let reshaped = match &dirty {
            Dirty::All => true,
            Dirty::Paths { reshaped, .. } => *reshaped || self.listed.is_empty(),
        };
        // The outputs of the renderers that list them: listed again only when the shape
        // of the site may have changed (listing 40,000 paths costs more than an edit).
        let mut listed_by: Vec<bool> = Vec::new();
        let mut expected: Option<HashSet<String>> = reshaped.then(HashSet::new);
        for r in &renderers {
            if expected.is_none() && self.listing.contains(r.name()) {
                listed_by.push(true);
                continue;
            }
            match r.outputs(&cx) {
                Some(list) => {
                    if let Some(e) = &mut expected {
                        e.extend(list);
                    }
                    listed_by.push(true);
                }
                None => listed_by.push(false),
            }
        }
        self.listing = renderers
            .iter()
            .zip(&listed_by)
            .filter(|(_, l)| **l)
            .map(|(r, _)| r.name())
            .collect();
        t.lap("outputs");
        let all = matches!(dirty, Dirty::All);
        let only = match dirty {
            Dirty::All => None,
            Dirty::Paths { paths: mut set, .. } => {
                let known = expected.as_ref().unwrap_or(&self.listed);
                // New outputs, and the theme's static files (cheap, and edited in place).
                if let Some(e) = &expected {
                    set.extend(
                        e.iter()
                            .filter(|p| {
                                !self.listed.contains(*p)
                                    || p.starts_with("static/")
                                    || *p == "favicon.ico"
                            })
                            .cloned(),
                    );
                }
                set.extend(self.pending_paths.iter().cloned());
                set.retain(|p| known.contains(p));
                Some(set)
            }
        };
        cx.set_only(only);
        // The pages first, then the slow outputs.
        let (quick, slow): (Vec<usize>, Vec<usize>) =
            (0..renderers.len()).partition(|i| QUICK.contains(&renderers[*i].name()));
        let groups: Vec<Vec<usize>> = [quick, slow]
            .into_iter()
            .filter(|g| !g.is_empty())
            .collect();
        let mut unlisted_now: HashMap<&'static str, HashSet<String>> = HashMap::new();
        let mut rendered = 0;
        let mut changed = Vec::new();
        // What the swaps replaced, to put back if a later group fails: the last good
        // site stays served whole, as the dependencies of the next update assume.
        let mut undo: Vec<(String, Option<Arc<Vec<u8>>>)> = Vec::new();
        for (g, group) in groups.iter().enumerate() {
            let mut fresh: HashMap<String, Vec<u8>> = HashMap::new();
            let mut done_unlisted: Vec<&'static str> = Vec::new();
            for &i in group {
                let r = &renderers[i];
                let out = Output::memory();
                if let Err(e) = r.render(&cx, &out) {
                    let mut served = self.files.write().unwrap_or_else(|e| e.into_inner());
                    for (p, old) in undo.into_iter().rev() {
                        match old {
                            Some(b) => served.insert(p, b),
                            None => served.remove(&p),
                        };
                    }
                    return Err(e);
                }
                let files = out.into_files();
                if !listed_by[i] {
                    unlisted_now.insert(r.name(), files.keys().cloned().collect());
                    done_unlisted.push(r.name());
                }
                fresh.extend(files);
                t.lap(r.name());
            }
            rendered += fresh.len();
            let mut now_changed = Vec::new();
            {
                let mut served = self.files.write().unwrap_or_else(|e| e.into_inner());
                // Outputs that no longer exist: the listed ones with the first group,
                // an unlisted renderer's with its own.
                let mut gone: Vec<String> = match &expected {
                    Some(e) if g == 0 => self
                        .listed
                        .iter()
                        .filter(|p| !e.contains(*p))
                        .cloned()
                        .collect(),
                    _ => Vec::new(),
                };
                for name in &done_unlisted {
                    let (Some(old), now) = (self.unlisted.get(name), unlisted_now.get(name)) else {
                        continue;
                    };
                    gone.extend(
                        old.iter()
                            .filter(|p| now.is_none_or(|n| !n.contains(*p)))
                            .cloned(),
                    );
                }
                for p in gone {
                    if fresh.contains_key(&p) {
                        continue;
                    }
                    if let Some(old) = served.remove(&p) {
                        undo.push((p.clone(), Some(old)));
                        now_changed.push(p);
                    }
                }
                for (p, bytes) in fresh {
                    if served.get(&p).is_none_or(|b| **b != bytes) {
                        now_changed.push(p.clone());
                        let old = served.insert(p.clone(), Arc::new(bytes));
                        undo.push((p, old));
                    }
                }
            }
            now_changed.sort();
            // When every page may have changed, the first group reloads them all; the
            // second then names its own outputs (a print pack reloaded early reloads
            // again when it is ready).
            published(&now_changed, all && g == 0);
            changed.extend(now_changed);
            t.lap("swap");
        }
        self.views.keep(cx);
        if let Some(e) = expected {
            self.listed = e;
        }
        self.unlisted = unlisted_now;
        changed.sort();
        Ok((changed, all, rendered))
    }
}

/// The renderers whose outputs are published first: the pages a browser shows (and
/// their styles and scripts), the open data and the feeds, all quick to render again.
/// The others (the noticeboard print packs, the search index, renderers added later)
/// follow in a second group, so a slow one does not hold back the page being edited.
pub const QUICK: &[&str] = &["html", "assets", "data", "feeds", "changes", "report"];

/// The template sources of the site's theme, by name (for template dependencies).
fn template_sources(root: &Path, theme: &str) -> HashMap<String, String> {
    let dir = root.join("themes").join(theme).join("templates");
    let mut out = HashMap::new();
    for e in walkdir::WalkDir::new(&dir).into_iter().flatten() {
        if !e.file_type().is_file() {
            continue;
        }
        let Ok(rel) = e.path().strip_prefix(&dir) else {
            continue;
        };
        if let Ok(text) = std::fs::read_to_string(e.path()) {
            out.insert(rel.to_string_lossy().replace('\\', "/"), text);
        }
    }
    out
}

/// Phase timings of an update, printed when `NIEMYET_SERVE_TIMING` is set (for tuning):
/// wall time and this thread's processor time.
struct Timer {
    on: bool,
    last: std::cell::Cell<(Instant, Duration)>,
}

impl Timer {
    fn new() -> Timer {
        Timer {
            on: std::env::var_os("NIEMYET_SERVE_TIMING").is_some(),
            last: std::cell::Cell::new((Instant::now(), thread_cpu())),
        }
    }

    fn lap(&self, what: &str) {
        if self.on {
            let now = (Instant::now(), thread_cpu());
            let (w, c) = self.last.get();
            eprintln!(
                "  {what}: {:.1} ms ({:.1} ms processor)",
                (now.0 - w).as_secs_f64() * 1000.0,
                now.1.saturating_sub(c).as_secs_f64() * 1000.0
            );
            self.last.set(now);
        }
    }
}

/// Processor time of the calling thread.
#[cfg(target_os = "linux")]
fn thread_cpu() -> Duration {
    duration(rustix::time::clock_gettime(
        rustix::time::ClockId::ThreadCPUTime,
    ))
}

#[cfg(not(target_os = "linux"))]
fn thread_cpu() -> Duration {
    Duration::ZERO
}

/// Processor time used by the process so far (user + system, all threads).
#[cfg(target_os = "linux")]
fn cpu_time() -> Option<Duration> {
    Some(duration(rustix::time::clock_gettime(
        rustix::time::ClockId::ProcessCPUTime,
    )))
}

#[cfg(target_os = "linux")]
fn duration(t: rustix::time::Timespec) -> Duration {
    Duration::new(
        u64::try_from(t.tv_sec).unwrap_or(0),
        u32::try_from(t.tv_nsec).unwrap_or(0),
    )
}

#[cfg(not(target_os = "linux"))]
fn cpu_time() -> Option<Duration> {
    None
}
