//! Stage 1, `content`: walk `content/`, read every `_unit.toml`, the catalogue and every
//! procedure file, in parallel, into plain data. Catalogue overrides are merged here, key
//! by key, so each key keeps the file and line it came from. The site's settings come
//! from the `config` stage ([`crate::config`]).

pub mod extract;
pub mod peek;
pub mod placeholders;
pub mod pool;
pub mod source;
pub mod value;
mod walk;

use crate::diag::{Diagnostic, Diagnostics, Loc, Msg, Source};
use crate::model::{Procedure, SiteConfig, Unit};
use crate::text::is_segment;
use extract::{Merged, ProcCtx};
use pool::TextPool;
use rayon::prelude::*;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use toml_spanner::{Arena, Table};
use value::{At, Keys};
pub(crate) use walk::is_procedure_file;
use walk::{folders_between_units, unit_path, walk, Walk};

/// Everything read from a site's files.
#[derive(Debug)]
pub struct Content {
    pub root: PathBuf,
    pub site: SiteConfig,
    /// Sorted by path, so parents come before their children.
    pub units: Vec<UnitContent>,
    /// The catalogue, by code.
    pub catalog: BTreeMap<String, Arc<Procedure>>,
    /// The catalogue files an import wrote: problems found in them are the national
    /// data's, told apart from the webmaster's own in summaries.
    pub imported: HashSet<Arc<Path>>,
    /// Codes of catalogue files that could not be parsed (their error is reported): a
    /// unit adopting one is not also told the code is missing.
    pub unreadable: HashSet<String>,
}

/// A unit with the procedure files in its own folder (catalogue overrides already merged).
/// Both are shared: the content cache of `serve` hands back the same `Arc`s for files
/// that did not change, so later stages can reuse what they made of them.
#[derive(Debug, Clone)]
pub struct UnitContent {
    pub unit: Arc<Unit>,
    pub local: Arc<[Arc<Procedure>]>,
}

/// A procedure file held in memory: its text and where its TOML and body are.
struct ProcSource {
    src: Source,
    toml: std::ops::Range<usize>,
    body: Option<usize>,
    /// Path relative to the site root.
    shown: PathBuf,
}

impl ProcSource {
    fn read(root: &Path, shown: PathBuf, d: &mut Diagnostics) -> Option<ProcSource> {
        let abs = root.join(&shown);
        let src = source::read_text(&abs, shown.clone(), d)?;
        let is_md = shown.extension().is_some_and(|e| e == "md");
        let (toml, body) = if is_md {
            let s = source::split_front_matter(&src, d)?;
            (s.toml_start..s.toml_end, Some(s.body_start))
        } else {
            (0..src.text.len(), None)
        };
        Some(ProcSource {
            src,
            toml,
            body,
            shown,
        })
    }

    fn toml_str(&self) -> &str {
        &self.src.text[self.toml.clone()]
    }

    fn at(&self) -> At<'_> {
        At {
            src: &self.src,
            base: self.toml.start,
        }
    }

    /// Reports the placeholders left in this file (its own keys and its body).
    fn placeholders(&self, table: &Table, d: &mut Diagnostics) {
        placeholders::table(self.at(), table, "", d);
        if let Some(b) = self.body {
            placeholders::body(&self.src, b, d);
        }
    }

    fn merged<'a, 'i>(&'a self, table: &'a Table<'i>) -> Merged<'a, 'i> {
        let first = value::first_key(self.toml_str());
        let mut m = Merged::from_table(self.at(), table, self.src.loc(self.toml.start + first));
        if let Some(b) = self.body {
            let body = &self.src.text[b..];
            if !body.trim().is_empty() {
                m.body = Some((body.trim(), self.src.loc(b)));
            }
        }
        m
    }
}

/// Shared read-only context of a load.
struct LoadCtx<'c> {
    root: &'c Path,
    content: PathBuf,
    content_canon: Option<PathBuf>,
    /// The texts of the procedures read in this load, one copy of each.
    pool: TextPool,
}

impl LoadCtx<'_> {
    fn proc_ctx(&self, files: Vec<PathBuf>) -> ProcCtx<'_> {
        ProcCtx {
            root: self.root,
            content_canon: self.content_canon.as_deref(),
            files,
            offline: false,
            forms: Default::default(),
            pool: &self.pool,
        }
    }
}

/// Reads a catalogue file on its own.
fn read_catalog(ctx: &LoadCtx, rel: &Path) -> CatalogRead {
    let mut d = Diagnostics::new();
    let shown = Path::new("content").join(rel);
    let Some(ps) = ProcSource::read(ctx.root, shown, &mut d) else {
        return (None, d, Vec::new(), None);
    };
    let pc = ctx.proc_ctx(vec![ps.shown.clone()]);
    let proc = {
        let arena = Arena::new();
        let Some(table) = source::parse_toml(&ps.src, ps.toml.start, ps.toml_str(), &arena, &mut d)
        else {
            return (None, d, Vec::new(), written_code(&ps.src.text));
        };
        ps.placeholders(&table, &mut d);
        let m = ps.merged(&table);
        extract::procedure(&m, &pc, &mut d)
    };
    (
        proc.map(|p| (Arc::new(ps), Arc::new(p))),
        d,
        pc.forms.into_inner(),
        None,
    )
}

/// The code a file that could not be parsed gives on a line of its own (`code =
/// "1.001193"`), so that units adopting it are not also told it is missing.
fn written_code(text: &str) -> Option<String> {
    text.lines().find_map(|l| {
        let (k, v) = l.split_once('=')?;
        (k.trim() == "code").then_some(())?;
        let v = v.trim();
        let v = v.strip_prefix('"')?;
        Some(v[..v.find('"')?].trim().to_owned())
    })
}

/// Reads a unit's procedure file, laid over its catalogue entry when the code matches.
/// `unreadable`: codes of catalogue files that could not be parsed; a file overriding
/// one is not read as a procedure of its own (it would lack every key the catalogue
/// gives): it waits, unpublished, for the catalogue file's reported error to be fixed.
fn read_local(
    ctx: &LoadCtx,
    rel: &Path,
    catalog: &HashMap<String, Arc<ProcSource>>,
    unreadable: &HashSet<String>,
) -> LocalRead {
    let mut d = Diagnostics::new();
    let shown = Path::new("content").join(rel);
    let Some(ps) = ProcSource::read(ctx.root, shown, &mut d) else {
        return (None, d, None, Vec::new());
    };
    let arena = Arena::new();
    let Some(table) = source::parse_toml(&ps.src, ps.toml.start, ps.toml_str(), &arena, &mut d)
    else {
        return (None, d, None, Vec::new());
    };
    ps.placeholders(&table, &mut d);
    let local = ps.merged(&table);
    let code = extract::peek_code(&table);
    let base = code.as_deref().and_then(|c| catalog.get(c));
    if base.is_none() && code.as_ref().is_some_and(|c| unreadable.contains(c)) {
        return (None, d, code, Vec::new());
    }
    let (proc, forms) = match base {
        None => {
            let pc = ctx.proc_ctx(vec![ps.shown.clone()]);
            let proc = extract::procedure(&local, &pc, &mut d);
            (proc, pc.forms.into_inner())
        }
        Some(cat) => {
            // Problems inside the catalogue entry are reported when it is read on its own.
            let mut quiet = Diagnostics::new();
            let cat_arena = Arena::new();
            let Some(cat_table) = source::parse_toml(
                &cat.src,
                cat.toml.start,
                cat.toml_str(),
                &cat_arena,
                &mut quiet,
            ) else {
                return (None, d, code, Vec::new());
            };
            let merged = cat.merged(&cat_table).overlay(local);
            let files = vec![cat.shown.clone(), ps.shown.clone()];
            let pc = ctx.proc_ctx(files);
            let proc = extract::procedure(&merged, &pc, &mut d);
            (proc, pc.forms.into_inner())
        }
    };
    (proc, d, code, forms)
}

fn read_unit(ctx: &LoadCtx, rel: &Path) -> (Option<Unit>, Diagnostics) {
    let mut d = Diagnostics::new();
    let shown = Path::new("content").join(rel).join("_unit.toml");
    let Some(src) = source::read_text(&ctx.root.join(&shown), shown, &mut d) else {
        return (None, d);
    };
    let arena = Arena::new();
    let Some(table) = source::parse_toml(&src, 0, &src.text, &arena, &mut d) else {
        return (None, d);
    };
    let path: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    for seg in &path {
        if !is_segment(seg) {
            d.error(src.whole(), Msg::BadFolderName { name: seg.clone() });
        }
    }
    let at = At { src: &src, base: 0 };
    placeholders::table(at, &table, "", &mut d);
    let keys = Keys::new(at, &table, value::first_key(&src.text), String::new());
    let unit = extract::unit(&keys, path.join("/"), ctx.content.join(rel), &mut d);
    (unit, d)
}

/// A catalogue file read: its source (laid under the units' overrides) and procedure,
/// the form files it looked up (relative to content/), and, when it could not be
/// parsed, the code it seems to give.
type CatalogRead = (
    Option<(Arc<ProcSource>, Arc<Procedure>)>,
    Diagnostics,
    Vec<PathBuf>,
    Option<String>,
);
/// A unit's procedure file read, with the code it declares (which catalogue entry it
/// was laid over, if any) and the form files it looked up.
type LocalRead = (Option<Procedure>, Diagnostics, Option<String>, Vec<PathBuf>);

/// A local file read, kept by [`LoadCache`].
struct LocalEntry {
    proc: Option<Arc<Procedure>>,
    diags: Diagnostics,
    code: Option<String>,
    /// The catalogue entry it was laid over: the entry is re-read when that changes.
    base: Option<Arc<Procedure>>,
    /// The form files it looked up (relative to content/).
    forms: Vec<PathBuf>,
}

/// A unit folder's procedure files put together: what [`UnitContent::local`] holds, and
/// the diagnostics of those files. Kept so that a load after one edit assembles again
/// only the folders whose files changed, instead of looking up every file of the site.
struct Assembled {
    local: Arc<[Arc<Procedure>]>,
    diags: Diagnostics,
}

/// What `serve` keeps between loads: every file read and parsed, by path relative to
/// content/. The watcher tells which paths changed ([`LoadCache::invalidate`]); the next
/// [`load_cached`] re-reads only those (and the overrides of a changed catalogue entry),
/// and an unchanged file yields the same `Arc<Procedure>` (and an unchanged `_unit.toml`
/// the same `Arc<Unit>`) as before, which is how later stages tell what changed.
///
/// A file edited, added or removed inside a known unit folder or the catalogue does not
/// walk the folders again: the walk is patched. Anything else (folders, `_unit.toml`
/// added or removed, links) walks everything again, so the cache never has to guess.
#[derive(Default)]
pub struct LoadCache {
    walk: Option<Walk>,
    catalog: HashMap<PathBuf, CatalogRead>,
    local: HashMap<PathBuf, LocalEntry>,
    units: HashMap<PathBuf, (Option<Arc<Unit>>, Diagnostics)>,
    /// The catalogue files of the last load.
    catalog_files: Vec<PathBuf>,
    /// Local files of the kept walk that are not in `local` (edited or added since the
    /// last load): what the next load reads. Unused when the walk is redone.
    pending: HashSet<PathBuf>,
    /// The unit folders put together by the last load.
    assembled: HashMap<PathBuf, Assembled>,
    /// Unit folders whose files changed since the last load (to put together again).
    stale: HashSet<PathBuf>,
    /// Unit paths (`a/b`) whose `_unit.toml` was read by the last load.
    pub fresh_units: Vec<String>,
}

/// A plain file (not a link, not a folder), by `symlink_metadata`: `None` when nothing
/// is there.
fn plain_file(p: &Path) -> Option<bool> {
    match std::fs::symlink_metadata(p) {
        Ok(m) => Some(m.file_type().is_file()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        // Unreadable: not plain, so the walk is redone and reports it.
        Err(_) => Some(false),
    }
}

impl LoadCache {
    /// Forgets a file (path relative to content/), or a folder and everything in it.
    /// The folder walk is redone unless the change is a plain file edited, added or
    /// removed where the walk can be patched ([`LoadCache::patch_walk`]).
    pub fn invalidate(&mut self, rel: &Path) {
        // Procedures naming a form file under the path are read again: whether the file
        // exists (and stays inside content/) is part of reading them.
        let (pending, stale) = (&mut self.pending, &mut self.stale);
        self.local.retain(|p, e| {
            let names = e.forms.iter().any(|f| f.starts_with(rel));
            if names {
                pending.insert(p.clone());
                stale.insert(p.parent().unwrap_or(Path::new("")).to_path_buf());
            }
            !names
        });
        self.catalog
            .retain(|_, (_, _, forms, _)| !forms.iter().any(|f| f.starts_with(rel)));
        let known_local = self.local.remove(rel).is_some();
        let known = self.catalog.remove(rel).is_some() | known_local;
        let is_unit_file = rel.file_name().is_some_and(|n| n == "_unit.toml");
        let unit_known = is_unit_file
            && self
                .units
                .remove(rel.parent().unwrap_or(Path::new("")))
                .is_some();
        let state = self
            .walk
            .as_ref()
            .map(|w| plain_file(&w.content_dir.join(rel)));
        if (known || unit_known) && state == Some(Some(true)) {
            // A file edited in place: the walk still holds.
            if known_local {
                self.pending.insert(rel.to_path_buf());
                self.stale
                    .insert(rel.parent().unwrap_or(Path::new("")).to_path_buf());
            }
            return;
        }
        if !unit_known && !is_unit_file && self.patch_walk(rel, known, state.flatten()) {
            return;
        }
        // A folder, a unit file added or removed, a link, or anything unusual: anything
        // under the path goes, and the walk is redone.
        self.catalog.retain(|p, _| !p.starts_with(rel));
        self.local.retain(|p, _| !p.starts_with(rel));
        self.units.retain(|p, _| !p.starts_with(rel));
        self.walk = None;
    }

    /// Adds a new plain procedure file to the kept walk, or removes a deleted one, when
    /// it is in a known unit folder or in the catalogue (where `walk` would find it).
    /// Returns false when the walk must be redone instead. `plain`: what is at the path
    /// now (`None`: nothing).
    fn patch_walk(&mut self, rel: &Path, known: bool, plain: Option<bool>) -> bool {
        let Some(w) = self.walk.as_mut() else {
            return false;
        };
        if !is_procedure_file(rel) {
            // A plain file the walk does not record (a form, a picture) changes nothing
            // in it; anything else may be a folder.
            let unit_file = rel.file_name().is_some_and(|n| n == "_unit.toml");
            return plain == Some(true) && !unit_file;
        }
        let parts: Vec<&std::ffi::OsStr> = rel
            .components()
            .map(|c| match c {
                std::path::Component::Normal(s) => Some(s),
                _ => None,
            })
            .collect::<Option<_>>()
            .unwrap_or_default();
        let Some((name, dirs)) = parts.split_last() else {
            return false;
        };
        // What `walk` skips: hidden names, and `_` folders other than the catalogue.
        let hidden = |s: &std::ffi::OsStr| s.to_string_lossy().starts_with('.');
        let underscore = |s: &std::ffi::OsStr| s.to_string_lossy().starts_with('_');
        if hidden(name)
            || dirs.iter().any(|d| hidden(d))
            || dirs.iter().skip(1).any(|d| underscore(d))
        {
            return false;
        }
        let in_catalog = dirs.first().is_some_and(|d| *d == "_catalog");
        if !in_catalog && dirs.first().is_some_and(|d| underscore(d)) {
            return false;
        }
        let dir = rel.parent().unwrap_or(Path::new("")).to_path_buf();
        let is_unit = w.unit_dirs.binary_search(&dir).is_ok();
        if !in_catalog && !is_unit {
            return false;
        }
        // Every folder on the way must be a plain folder (`walk` does not enter links).
        let mut at = w.content_dir.clone();
        for d in dirs {
            at.push(d);
            match std::fs::symlink_metadata(&at) {
                Ok(m) if m.file_type().is_dir() => {}
                _ => return false,
            }
        }
        let list = if in_catalog {
            &mut w.catalog_files
        } else {
            w.proc_files.entry(dir.clone()).or_default()
        };
        match (known, plain) {
            // Added.
            (false, Some(true)) => match list.binary_search_by(|p| p.as_path().cmp(rel)) {
                Ok(_) => {}
                Err(i) => list.insert(i, rel.to_path_buf()),
            },
            // Removed.
            (true, None) => {
                if let Ok(i) = list.binary_search_by(|p| p.as_path().cmp(rel)) {
                    list.remove(i);
                }
                if !in_catalog && list.is_empty() {
                    w.proc_files.remove(&dir);
                }
            }
            // Not there before and not there now: nothing to do.
            (false, None) => return true,
            _ => return false,
        }
        if !in_catalog {
            self.pending.insert(rel.to_path_buf());
            self.stale.insert(dir);
        }
        true
    }

    /// Forgets everything (the watcher lost events).
    pub fn clear(&mut self) {
        *self = LoadCache::default();
    }
}

/// Maps in parallel, or in this thread for a few items: after one edit in `serve`, waking
/// the thread pool for one file costs more than reading it.
fn par_map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync + Send) -> Vec<R> {
    if items.len() < 16 {
        items.iter().map(f).collect()
    } else {
        items.par_iter().map(f).collect()
    }
}

/// Reads a whole site. Returns `None` only when nothing useful could be read (no
/// site.toml); every problem is in `d`.
pub fn load(root: &Path, d: &mut Diagnostics) -> Option<Content> {
    load_cached(root, d, &mut LoadCache::default())
}

/// The site's settings alone: [`crate::config::peek`] (kept for callers of the
/// content stage that started before the config stage existed).
pub fn site_config(root: &Path) -> Option<SiteConfig> {
    crate::config::peek(root)
}

/// [`load`], reusing what `cache` holds from the previous load and keeping what it
/// reads for the next. With the walk kept, the work is proportional to the files that
/// changed and the number of units, not to the number of procedure files.
pub fn load_cached(root: &Path, d: &mut Diagnostics, cache: &mut LoadCache) -> Option<Content> {
    let site = crate::config::load(root, d);
    load_content(root, site, d, cache)
}

/// The content stage proper: everything under `content/`, with the settings the config
/// stage read (`None` when `site.toml` could not be used: the files are still read and
/// checked, and nothing is returned).
pub fn load_content(
    root: &Path,
    site: Option<SiteConfig>,
    d: &mut Diagnostics,
    cache: &mut LoadCache,
) -> Option<Content> {
    cache.fresh_units.clear();
    let content = root.join("content");
    if !content.is_dir() {
        d.error(
            Loc::file(&Arc::from(Path::new("content"))),
            Msg::NoContentFolder,
        );
        cache.clear();
        return None;
    }
    let ctx = LoadCtx {
        root,
        content_canon: content.canonicalize().ok(),
        content: content.clone(),
        pool: TextPool::default(),
    };
    let (w, walked) = match cache.walk.take() {
        Some(w) => (w, false),
        None => {
            let mut wd = Diagnostics::new();
            let mut w = walk(&content, &mut wd);
            w.diags = wd;
            w.content_dir = content.clone();
            (w, true)
        }
    };
    if walked {
        // Every folder is put together again, and every file not cached is read.
        cache.assembled.clear();
        cache.pending.clear();
        cache.stale.clear();
    }
    d.extend(w.diags.clone());

    // Folders with procedure files but no _unit.toml (`unit_dirs` is in walk order,
    // which is path order).
    for (dir, files) in &w.proc_files {
        if w.unit_dirs.binary_search(dir).is_err() {
            let shown = Path::new("content").join(dir);
            d.error(
                Loc::file(&Arc::from(shown.as_path())),
                Msg::FolderWithoutUnit {
                    count: files.len(),
                    files: files
                        .iter()
                        .take(3)
                        .filter_map(|f| f.file_name().map(|n| n.to_string_lossy().into_owned()))
                        .collect(),
                    path: unit_path(dir),
                },
            );
        }
    }
    folders_between_units(&w, d);

    // The catalogue first: units' files are laid over it.
    let missing: Vec<&PathBuf> = w
        .catalog_files
        .iter()
        .filter(|rel| !cache.catalog.contains_key(*rel))
        .collect();
    let fresh: Vec<_> = par_map(&missing, |rel| ((*rel).clone(), read_catalog(&ctx, rel)));
    let fresh_catalog = fresh.len();
    cache.catalog.extend(fresh);
    let mut catalog: BTreeMap<String, Arc<Procedure>> = BTreeMap::new();
    let mut cat_sources: HashMap<String, Arc<ProcSource>> = HashMap::new();
    let mut unreadable = HashSet::new();
    for rel in &w.catalog_files {
        let Some((res, dd, _, written)) = cache.catalog.get(rel) else {
            continue;
        };
        d.extend(dd.clone());
        unreadable.extend(written.clone());
        if let Some((ps, p)) = res {
            if let Some(prev) = catalog.get(&p.code) {
                d.error(
                    p.loc.clone(),
                    Msg::DuplicateCatalogCode {
                        code: p.code.clone(),
                        other: prev.loc.clone(),
                    },
                );
                continue;
            }
            cat_sources.insert(p.code.clone(), Arc::clone(ps));
            catalog.insert(p.code.clone(), Arc::clone(p));
        }
    }

    // Local files whose catalogue entry changed (or appeared, or went) are read again.
    // Nothing to do when no catalogue file was read and the catalogue files are the same.
    let catalog_same = fresh_catalog == 0 && cache.catalog_files == w.catalog_files;
    cache.catalog_files.clone_from(&w.catalog_files);
    if !catalog_same {
        let (pending, stale) = (&mut cache.pending, &mut cache.stale);
        cache.local.retain(|path, e| {
            let now = e.code.as_deref().and_then(|c| catalog.get(c));
            let keep = match (now, &e.base) {
                (None, None) => true,
                (Some(a), Some(b)) => Arc::ptr_eq(a, b),
                _ => false,
            };
            if !keep {
                pending.insert(path.clone());
                stale.insert(path.parent().unwrap_or(Path::new("")).to_path_buf());
            }
            keep
        });
    }
    let missing_units: Vec<&PathBuf> = w
        .unit_dirs
        .iter()
        .filter(|rel| !cache.units.contains_key(*rel))
        .collect();
    let fresh: Vec<_> = par_map(&missing_units, |rel| ((*rel).clone(), read_unit(&ctx, rel)));
    for (rel, (u, dd)) in fresh {
        if let Some(u) = &u {
            cache.fresh_units.push(u.path.clone());
        }
        cache.units.insert(rel, (u.map(Arc::new), dd));
    }
    // The local files to read: after a walk, every one not cached; otherwise only the
    // pending ones still in the walk (a file may be edited, then deleted).
    let in_walk = |f: &PathBuf| {
        f.parent()
            .and_then(|dir| w.proc_files.get(dir))
            .is_some_and(|fs| fs.binary_search(f).is_ok())
            && w.unit_dirs
                .binary_search(&f.parent().unwrap_or(Path::new("")).to_path_buf())
                .is_ok()
    };
    let missing_local: Vec<&PathBuf> = if walked {
        w.unit_dirs
            .iter()
            .filter_map(|rel| w.proc_files.get(rel))
            .flatten()
            .filter(|f| !cache.local.contains_key(*f))
            .collect()
    } else {
        let mut v: Vec<&PathBuf> = cache
            .pending
            .iter()
            .filter(|f| in_walk(f) && !cache.local.contains_key(*f))
            .collect();
        v.sort();
        v
    };
    let fresh: Vec<_> = par_map(&missing_local, |f| {
        let (p, dd, code, forms) = read_local(&ctx, f, &cat_sources, &unreadable);
        let base = code.as_deref().and_then(|c| catalog.get(c)).cloned();
        (
            (*f).clone(),
            LocalEntry {
                proc: p.map(Arc::new),
                diags: dd,
                code,
                base,
                forms,
            },
        )
    });
    cache.local.extend(fresh);
    cache.pending.clear();

    let mut units = Vec::with_capacity(w.unit_dirs.len());
    let mut assembled = HashMap::with_capacity(w.unit_dirs.len());
    for rel in &w.unit_dirs {
        let Some((u, dd)) = cache.units.get(rel) else {
            continue;
        };
        d.extend(dd.clone());
        let kept = match cache.assembled.remove(rel) {
            Some(a) if !cache.stale.contains(rel) => Some(a),
            _ => None,
        };
        let a = kept.unwrap_or_else(|| {
            let files = w.proc_files.get(rel).map(Vec::as_slice).unwrap_or(&[]);
            let mut local = Vec::with_capacity(files.len());
            let mut diags = Diagnostics::new();
            for f in files {
                if let Some(e) = cache.local.get(f) {
                    diags.extend(e.diags.clone());
                    local.extend(e.proc.clone());
                }
            }
            Assembled {
                local: local.into(),
                diags,
            }
        });
        d.extend(a.diags.clone());
        if let Some(unit) = u {
            units.push(UnitContent {
                unit: Arc::clone(unit),
                local: Arc::clone(&a.local),
            });
        }
        assembled.insert(rel.clone(), a);
    }
    cache.assembled = assembled;
    cache.stale.clear();
    units.sort_by(|a, b| a.unit.path.cmp(&b.unit.path));
    cache.walk = Some(w);
    let imported = catalog
        .values()
        .filter(|p| p.imported)
        .map(|p| Arc::clone(&p.loc.path))
        .collect();
    Some(Content {
        root: root.to_path_buf(),
        site: site?,
        units,
        catalog,
        imported,
        unreadable,
    })
}

/// Reads one procedure from its text alone, without touching the file system: the pure
/// core of [`load`] for one file, for fuzzing and tools. `path` is the path shown in
/// messages (its extension decides between front matter + Markdown, `.md`, and pure TOML);
/// form files are checked to stay inside content/ but not looked up. Never panics.
pub fn parse_procedure_text(path: &Path, text: &str) -> (Option<Procedure>, Vec<Diagnostic>) {
    let mut d = Diagnostics::new();
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let src = Source::new(path.to_path_buf(), text.to_owned());
    let (toml, body) = if path.extension().is_some_and(|e| e == "md") {
        let Some(s) = source::split_front_matter(&src, &mut d) else {
            return (None, d.finish());
        };
        (s.toml_start..s.toml_end, Some(s.body_start))
    } else {
        (0..src.text.len(), None)
    };
    let ps = ProcSource {
        src,
        toml,
        body,
        shown: path.to_path_buf(),
    };
    let pool = TextPool::default();
    let arena = Arena::new();
    let toml = source::parse_toml(&ps.src, ps.toml.start, ps.toml_str(), &arena, &mut d);
    let proc = toml.and_then(|t| {
        ps.placeholders(&t, &mut d);
        let m = ps.merged(&t);
        let ctx = ProcCtx {
            root: Path::new(""),
            content_canon: None,
            files: vec![ps.shown.clone()],
            offline: true,
            forms: Default::default(),
            pool: &pool,
        };
        extract::procedure(&m, &ctx, &mut d)
    });
    (proc, d.finish())
}

/// Reads one `_unit.toml` from its text alone (see [`parse_procedure_text`]). The unit's
/// address is taken from the folders of `path` below `content/`.
pub fn parse_unit_text(path: &Path, text: &str) -> (Option<Unit>, Vec<Diagnostic>) {
    let mut d = Diagnostics::new();
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let src = Source::new(path.to_path_buf(), text.to_owned());
    let dir = path.parent().unwrap_or(Path::new(""));
    let rel = dir.strip_prefix("content").unwrap_or(dir);
    let arena = Arena::new();
    let unit = source::parse_toml(&src, 0, &src.text, &arena, &mut d).and_then(|t| {
        placeholders::table(At { src: &src, base: 0 }, &t, "", &mut d);
        let keys = Keys::new(
            At { src: &src, base: 0 },
            &t,
            value::first_key(&src.text),
            String::new(),
        );
        let addr: Vec<String> = rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        extract::unit(&keys, addr.join("/"), dir.to_path_buf(), &mut d)
    });
    (unit, d.finish())
}

/// Reads `site.toml` from its text alone: [`crate::config::parse_text`].
pub fn parse_site_text(path: &Path, text: &str) -> (Option<SiteConfig>, Vec<Diagnostic>) {
    crate::config::parse_text(path, text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Severity;

    /// Numbers the parser reads but a procedure cannot hold are reported at their line
    /// and column, naming the key: a time of `nan` or `inf`, a count beyond 64 bits.
    #[test]
    fn numbers_out_of_reach_are_reported_where_they_stand() {
        let path = Path::new("content/_catalog/ho-tich/dang-ky-khai-sinh.md");
        let text = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(path))
            .expect("example file");
        let time = "time = { text = \"Ngay trong ngày";
        let line_of = |needle: &str| text.lines().position(|l| l.contains(needle)).map(|i| i + 1);
        let time_line = line_of(time).expect("a channel with a time");
        let count_line = line_of("originals = 1, copies = 0").expect("a dossier item");
        for (value, message) in [
            ("nan", "expected a finite number"),
            ("-inf", "expected a finite number"),
        ] {
            let broken = text.replacen(
                time,
                &format!("time = {{ value = {value}, text = \"Ngay trong ngày"),
                1,
            );
            let (_, d) = parse_procedure_text(path, &broken);
            let at = format!("{}:{time_line}:", path.display());
            assert!(
                d.iter()
                    .any(|d| d.text(crate::diag::Lang::En).starts_with(&at)
                        && d.text(crate::diag::Lang::En)
                            .contains("channels[1].time.value")
                        && d.text(crate::diag::Lang::En).contains(message)),
                "{value}: {d:?}"
            );
        }
        let broken = text.replacen(
            "originals = 1, copies = 0",
            "originals = 99999999999999999999, copies = 0",
            1,
        );
        let (_, d) = parse_procedure_text(path, &broken);
        let at = format!("{}:{count_line}:", path.display());
        assert!(
            d.iter()
                .any(|d| d.text(crate::diag::Lang::Vi).starts_with(&at)
                    && d.text(crate::diag::Lang::Vi).contains("originals")
                    && d.text(crate::diag::Lang::Vi).contains("số quá lớn")),
            "{d:?}"
        );
    }

    #[test]
    fn parses_a_procedure_text_without_the_file_system() {
        let path = Path::new("content/_catalog/ho-tich/dang-ky-khai-sinh.md");
        let text = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(path))
            .expect("example file");
        let (p, d) = parse_procedure_text(path, &text);
        assert!(d.iter().all(|d| d.severity != Severity::Error), "{d:?}");
        let p = p.expect("procedure");
        assert_eq!(p.code, "1.001193");
        // Form files are not looked up, but still kept inside content/.
        let escaping = text.replace("file = \"forms/", "file = \"../../../../etc/");
        let (_, d) = parse_procedure_text(path, &escaping);
        assert!(
            d.iter()
                .any(|d| matches!(d.message, Msg::FormOutside { .. })),
            "{d:?}"
        );
    }

    #[test]
    fn unit_and_site_texts_report_their_path() {
        let (u, d) = parse_unit_text(Path::new("content/tinh/xa-a/_unit.toml"), "name = 1\n");
        assert!(u.is_none());
        assert!(
            d.iter().all(|d| d.loc.path.ends_with("_unit.toml")),
            "{d:?}"
        );
        let (s, d) = parse_site_text(
            Path::new("site.toml"),
            "\u{feff}title = \"T\"\nbase_url = \"https://x.vn\"\n",
        );
        assert!(d.is_empty(), "{d:?}");
        assert_eq!(s.expect("site").base_url, "https://x.vn/");
    }
}
