//! Stage 1, `content`: walk `content/`, read `site.toml`, every `_unit.toml`, the
//! catalogue and every procedure file, in parallel, into plain data. Catalogue overrides
//! are merged here, key by key, so each key keeps the file and line it came from.

pub mod extract;
pub mod source;
pub mod value;

use crate::date::Date;
use crate::diag::{Diagnostic, Diagnostics, Loc, Source};
use crate::model::{Procedure, SiteConfig, Unit};
use crate::text::is_segment;
use extract::{Merged, ProcCtx};
use rayon::prelude::*;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use value::{At, Keys};

/// Everything read from a site's files.
#[derive(Debug)]
pub struct Content {
    pub root: PathBuf,
    pub site: SiteConfig,
    /// Sorted by path, so parents come before their children.
    pub units: Vec<UnitContent>,
    /// The catalogue, by code.
    pub catalog: BTreeMap<String, Arc<Procedure>>,
}

/// A unit with the procedure files in its own folder (catalogue overrides already merged).
#[derive(Debug)]
pub struct UnitContent {
    pub unit: Unit,
    pub local: Vec<Arc<Procedure>>,
}

/// The files found under content/.
#[derive(Default)]
struct Walk {
    /// Unit folders (relative to content/) → has `_unit.toml`.
    unit_dirs: Vec<PathBuf>,
    catalog_files: Vec<PathBuf>,
    /// Procedure files by folder (relative to content/).
    proc_files: BTreeMap<PathBuf, Vec<PathBuf>>,
}

fn is_procedure_file(p: &Path) -> bool {
    let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
    if name.eq_ignore_ascii_case("readme.md") || name == "_unit.toml" {
        return false;
    }
    matches!(
        p.extension().and_then(|e| e.to_str()),
        Some("md") | Some("toml")
    )
}

fn walk(content: &Path, d: &mut Diagnostics) -> Walk {
    let mut w = Walk::default();
    let root_shown = PathBuf::from("content");
    let it = walkdir::WalkDir::new(content)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            let name = e.file_name().to_string_lossy();
            if e.depth() == 0 {
                return true;
            }
            if name.starts_with('.') {
                return false;
            }
            // `_catalog` at the top is the catalogue; other `_` folders are not units.
            if e.file_type().is_dir() && name.starts_with('_') {
                return e.depth() == 1 && name == "_catalog";
            }
            true
        });
    for entry in it {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                let p = e
                    .path()
                    .and_then(|p| p.strip_prefix(content).ok())
                    .map(|p| root_shown.join(p))
                    .unwrap_or_else(|| root_shown.clone());
                d.error(
                    Loc::file(&Arc::from(p.as_path())),
                    format!("cannot read: {e}"),
                );
                continue;
            }
        };
        let Ok(rel) = entry.path().strip_prefix(content) else {
            continue;
        };
        let rel = rel.to_path_buf();
        let in_catalog = rel.starts_with("_catalog");
        if entry.file_type().is_dir() {
            if !in_catalog && entry.depth() > 0 && entry.path().join("_unit.toml").is_file() {
                w.unit_dirs.push(rel);
            }
            continue;
        }
        if entry.path_is_symlink() {
            // A link may lead out of content/; only plain files and folders are read.
            if entry.path().is_dir() {
                d.error(
                    Loc::file(&Arc::from(root_shown.join(&rel).as_path())),
                    "this folder is a symbolic link; units must be plain folders inside content/ (it is not read)",
                );
            } else if is_procedure_file(&rel) || rel.file_name().is_some_and(|n| n == "_unit.toml")
            {
                d.error(
                    Loc::file(&Arc::from(root_shown.join(&rel).as_path())),
                    "this is a symbolic link; procedure and unit files must be plain files inside content/",
                );
            }
            continue;
        }
        if !is_procedure_file(&rel) {
            continue;
        }
        if in_catalog {
            w.catalog_files.push(rel);
        } else {
            let dir = rel.parent().unwrap_or(Path::new("")).to_path_buf();
            w.proc_files.entry(dir).or_default().push(rel);
        }
    }
    w
}

/// Modification date of a file (the "last changed" date when `updated` is not given).
fn mtime(path: &Path) -> Date {
    std::fs::metadata(path)
        .and_then(|m| m.modified())
        .map(Date::from_system_time)
        .unwrap_or_else(|_| Date::today())
}

/// A procedure file held in memory: its text and where its TOML and body are.
struct ProcSource {
    src: Source,
    toml: std::ops::Range<usize>,
    body: Option<usize>,
    mtime: Date,
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
            mtime: mtime(&abs),
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

    fn merged<'a, 'i>(&'a self, table: &'a toml::Spanned<toml::de::DeTable<'i>>) -> Merged<'a, 'i> {
        let mut m = Merged::from_table(self.at(), table.get_ref(), self.src.loc(self.toml.start));
        if let Some(b) = self.body {
            let body = &self.src.text[b..];
            if !body.trim().is_empty() {
                m.body = Some((body.trim().to_owned(), self.src.loc(b)));
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
}

impl LoadCtx<'_> {
    fn proc_ctx(&self, mtime: Date, files: Vec<PathBuf>) -> ProcCtx<'_> {
        ProcCtx {
            root: self.root,
            content: &self.content,
            content_canon: self.content_canon.as_deref(),
            mtime,
            files,
            offline: false,
        }
    }
}

/// Reads a catalogue file on its own.
fn read_catalog(ctx: &LoadCtx, rel: &Path) -> (Option<(ProcSource, Arc<Procedure>)>, Diagnostics) {
    let mut d = Diagnostics::new();
    let shown = Path::new("content").join(rel);
    let Some(ps) = ProcSource::read(ctx.root, shown, &mut d) else {
        return (None, d);
    };
    let proc = {
        let Some(table) = source::parse_toml(&ps.src, ps.toml.start, ps.toml_str(), &mut d) else {
            return (None, d);
        };
        let m = ps.merged(&table);
        extract::procedure(&m, &ctx.proc_ctx(ps.mtime, vec![ps.shown.clone()]), &mut d)
    };
    (proc.map(|p| (ps, Arc::new(p))), d)
}

/// Reads a unit's procedure file, laid over its catalogue entry when the code matches.
fn read_local(
    ctx: &LoadCtx,
    rel: &Path,
    catalog: &HashMap<String, ProcSource>,
) -> (Option<Procedure>, Diagnostics) {
    let mut d = Diagnostics::new();
    let shown = Path::new("content").join(rel);
    let Some(ps) = ProcSource::read(ctx.root, shown, &mut d) else {
        return (None, d);
    };
    let Some(table) = source::parse_toml(&ps.src, ps.toml.start, ps.toml_str(), &mut d) else {
        return (None, d);
    };
    let local = ps.merged(&table);
    let code = extract::peek_code(&table);
    let base = code.as_deref().and_then(|c| catalog.get(c));
    let proc = match base {
        None => extract::procedure(
            &local,
            &ctx.proc_ctx(ps.mtime, vec![ps.shown.clone()]),
            &mut d,
        ),
        Some(cat) => {
            // Problems inside the catalogue entry are reported when it is read on its own.
            let mut quiet = Diagnostics::new();
            let Some(cat_table) =
                source::parse_toml(&cat.src, cat.toml.start, cat.toml_str(), &mut quiet)
            else {
                return (None, d);
            };
            let merged = cat.merged(&cat_table).overlay(local);
            let files = vec![cat.shown.clone(), ps.shown.clone()];
            extract::procedure(
                &merged,
                &ctx.proc_ctx(cat.mtime.max(ps.mtime), files),
                &mut d,
            )
        }
    };
    (proc, d)
}

fn read_unit(ctx: &LoadCtx, rel: &Path) -> (Option<Unit>, Diagnostics) {
    let mut d = Diagnostics::new();
    let shown = Path::new("content").join(rel).join("_unit.toml");
    let Some(src) = source::read_text(&ctx.root.join(&shown), shown, &mut d) else {
        return (None, d);
    };
    let Some(table) = source::parse_toml(&src, 0, &src.text, &mut d) else {
        return (None, d);
    };
    let path: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    for seg in &path {
        if !is_segment(seg) {
            d.error(
                src.whole(),
                format!("the folder name \"{seg}\" cannot be an address: use lowercase ASCII letters, digits and - (e.g. xa-dong-loi)"),
            );
        }
    }
    let at = At { src: &src, base: 0 };
    let keys = Keys::new(at, table.get_ref(), src.loc(0), String::new());
    let unit = extract::unit(&keys, path.join("/"), ctx.content.join(rel), &mut d);
    (unit, d)
}

/// Reads a whole site. Returns `None` only when nothing useful could be read (no
/// site.toml); every problem is in `d`.
pub fn load(root: &Path, d: &mut Diagnostics) -> Option<Content> {
    let site_shown = PathBuf::from("site.toml");
    let site = match source::read_text(&root.join("site.toml"), site_shown.clone(), d) {
        None => None,
        Some(src) => source::parse_toml(&src, 0, &src.text, d).and_then(|t| {
            let keys = Keys::new(
                At { src: &src, base: 0 },
                t.get_ref(),
                src.loc(0),
                String::new(),
            );
            extract::site(&keys, d)
        }),
    };
    let content = root.join("content");
    if !content.is_dir() {
        d.error(
            Loc::file(&Arc::from(Path::new("content"))),
            "the folder content/ does not exist (run `niemyet init` to start a site)",
        );
        return None;
    }
    let ctx = LoadCtx {
        root,
        content_canon: content.canonicalize().ok(),
        content: content.clone(),
    };
    let w = walk(&content, d);

    // Folders with procedure files but no _unit.toml.
    for (dir, files) in &w.proc_files {
        if !w.unit_dirs.contains(dir) {
            let shown = Path::new("content").join(dir);
            d.error(
                Loc::file(&Arc::from(shown.as_path())),
                format!(
                    "this folder holds {} procedure file(s) ({}) but no _unit.toml: add one, or move the files into a unit",
                    files.len(),
                    files
                        .iter()
                        .take(3)
                        .filter_map(|f| f.file_name().map(|n| n.to_string_lossy().into_owned()))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            );
        }
    }

    // The catalogue first: units' files are laid over it.
    let cat_results: Vec<_> = w
        .catalog_files
        .par_iter()
        .map(|rel| read_catalog(&ctx, rel))
        .collect();
    let mut catalog: BTreeMap<String, Arc<Procedure>> = BTreeMap::new();
    let mut cat_sources: HashMap<String, ProcSource> = HashMap::new();
    for (res, dd) in cat_results {
        d.extend(dd);
        if let Some((ps, p)) = res {
            if let Some(prev) = catalog.get(&p.code) {
                d.error(
                    p.loc.clone(),
                    format!(
                        "duplicate code `{}` in the catalogue: also defined at {}",
                        p.code, prev.loc
                    ),
                );
                continue;
            }
            cat_sources.insert(p.code.clone(), ps);
            catalog.insert(p.code.clone(), p);
        }
    }

    let unit_results: Vec<_> = w
        .unit_dirs
        .par_iter()
        .map(|rel| {
            let (u, mut dd) = read_unit(&ctx, rel);
            let files = w.proc_files.get(rel).map(Vec::as_slice).unwrap_or(&[]);
            let procs: Vec<_> = files
                .par_iter()
                .map(|f| read_local(&ctx, f, &cat_sources))
                .collect();
            let mut local = Vec::new();
            for (p, pd) in procs {
                dd.extend(pd);
                if let Some(p) = p {
                    local.push(Arc::new(p));
                }
            }
            (u.map(|unit| UnitContent { unit, local }), dd)
        })
        .collect();
    let mut units = Vec::new();
    for (u, dd) in unit_results {
        d.extend(dd);
        units.extend(u);
    }
    units.sort_by(|a, b| a.unit.path.cmp(&b.unit.path));
    Some(Content {
        root: root.to_path_buf(),
        site: site?,
        units,
        catalog,
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
        // No file, no modification date: a fixed one, so the result depends on the text only.
        mtime: Date::new(2025, 7, 1).unwrap_or_else(Date::today),
        src,
        toml,
        body,
        shown: path.to_path_buf(),
    };
    let proc = source::parse_toml(&ps.src, ps.toml.start, ps.toml_str(), &mut d).and_then(|t| {
        let m = ps.merged(&t);
        let root = Path::new("");
        let content = Path::new("content");
        let ctx = ProcCtx {
            root,
            content,
            content_canon: None,
            mtime: ps.mtime,
            files: vec![ps.shown.clone()],
            offline: true,
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
    let unit = source::parse_toml(&src, 0, &src.text, &mut d).and_then(|t| {
        let keys = Keys::new(
            At { src: &src, base: 0 },
            t.get_ref(),
            src.loc(0),
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

/// Reads `site.toml` from its text alone (see [`parse_procedure_text`]).
pub fn parse_site_text(path: &Path, text: &str) -> (Option<SiteConfig>, Vec<Diagnostic>) {
    let mut d = Diagnostics::new();
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let src = Source::new(path.to_path_buf(), text.to_owned());
    let site = source::parse_toml(&src, 0, &src.text, &mut d).and_then(|t| {
        let keys = Keys::new(
            At { src: &src, base: 0 },
            t.get_ref(),
            src.loc(0),
            String::new(),
        );
        extract::site(&keys, &mut d)
    });
    (site, d.finish())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Severity;

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
                .any(|d| d.message.contains("leads outside content/")),
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
