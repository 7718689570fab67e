//! Walking `content/`: the unit folders, the catalogue's files and every unit's
//! procedure files, in path order; folders between units without `_unit.toml`.

use crate::diag::{Diagnostics, Loc, Msg};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The files found under content/.
#[derive(Default, Clone)]
pub(super) struct Walk {
    /// Unit folders (relative to content/) → has `_unit.toml`.
    pub(super) unit_dirs: Vec<PathBuf>,
    /// Folders (relative to content/) that are neither units nor skipped, in walk order:
    /// one with units below it is reported.
    pub(super) plain_dirs: Vec<PathBuf>,
    pub(super) catalog_files: Vec<PathBuf>,
    /// Procedure files by folder (relative to content/).
    pub(super) proc_files: BTreeMap<PathBuf, Vec<PathBuf>>,
    /// Problems met while walking (unreadable folders, symbolic links).
    pub(super) diags: Diagnostics,
    /// The content/ folder walked.
    pub(super) content_dir: PathBuf,
}

/// Whether a file under content/ is read as a procedure (`.md` or `.toml`, not a README
/// or `_unit.toml`).
pub(crate) fn is_procedure_file(p: &Path) -> bool {
    let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
    if name.eq_ignore_ascii_case("readme.md") || name == "_unit.toml" {
        return false;
    }
    matches!(
        p.extension().and_then(|e| e.to_str()),
        Some("md") | Some("toml")
    )
}

pub(super) fn walk(content: &Path, d: &mut Diagnostics) -> Walk {
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
    // The files of one folder come one after another (the walk is sorted by name), so
    // they are gathered as a run and filed under their folder when it ends: a map
    // search by path (compared component by component) per file was 150 million
    // instructions, all on one thread, at the 20k benchmark. A folder whose files are
    // split by a subfolder's gets two runs.
    let mut run: Option<(PathBuf, Vec<PathBuf>)> = None;
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
                    Msg::CannotRead {
                        error: e.to_string(),
                    },
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
            if !in_catalog && entry.depth() > 0 {
                if entry.path().join("_unit.toml").is_file() {
                    w.unit_dirs.push(rel);
                } else {
                    w.plain_dirs.push(rel);
                }
            }
            continue;
        }
        if entry.path_is_symlink() {
            // A link may lead out of content/; only plain files and folders are read.
            if entry.path().is_dir() {
                d.error(
                    Loc::file(&Arc::from(root_shown.join(&rel).as_path())),
                    Msg::SymlinkFolder,
                );
            } else if is_procedure_file(&rel) || rel.file_name().is_some_and(|n| n == "_unit.toml")
            {
                d.error(
                    Loc::file(&Arc::from(root_shown.join(&rel).as_path())),
                    Msg::SymlinkFile,
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
            let dir = rel.parent().unwrap_or(Path::new(""));
            match &mut run {
                Some((d, files)) if d.as_os_str() == dir.as_os_str() => files.push(rel),
                _ => {
                    let dir = dir.to_path_buf();
                    if let Some((d, f)) = run.replace((dir, vec![rel])) {
                        w.proc_files.entry(d).or_default().extend(f);
                    }
                }
            }
        }
    }
    if let Some((d, f)) = run {
        w.proc_files.entry(d).or_default().extend(f);
    }
    w
}

/// A folder's unit path (`tinh/xa-a`): its names below content/, joined by `/`.
pub(super) fn unit_path(rel: &Path) -> String {
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}

/// Folders without `_unit.toml` that have units below them: their address would be a
/// page that does not exist, between pages that do (`/tinh/huyen-x/` missing while
/// `/tinh/huyen-x/xa-y/` is there). Each is reported once, naming the units below it.
pub(super) fn folders_between_units(w: &Walk, d: &mut Diagnostics) {
    for dir in &w.plain_dirs {
        // `unit_dirs` is sorted by path: the units below `dir` follow its position.
        let start = w.unit_dirs.partition_point(|u| u < dir);
        let below: Vec<&PathBuf> = w.unit_dirs[start..]
            .iter()
            .take_while(|u| u.starts_with(dir))
            .collect();
        if below.is_empty() {
            continue;
        }
        let shown = Path::new("content").join(dir);
        d.error(
            Loc::file(&Arc::from(shown.as_path())),
            Msg::FolderBetweenUnits {
                path: unit_path(dir),
                units: below.iter().take(3).map(|u| unit_path(u)).collect(),
            },
        );
    }
}
