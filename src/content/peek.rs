//! Quick looks at a site's files without loading it: which codes the catalogue has and
//! which a unit's own files give, for `niemyet new procedure`. Problems are not reported
//! here (the full load does that); a file that cannot be read is passed over.

use super::source;
use crate::diag::{Diagnostics, Source};
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use toml_spanner::{Arena, Value as TomlValue};

/// A procedure file's code and name, as written.
#[derive(Debug, Clone)]
pub struct Peeked {
    /// Relative to the site root (`content/_catalog/ho-tich/a.md`).
    pub file: PathBuf,
    pub code: String,
    pub name: Option<String>,
}

/// The catalogue's entries by code (the first file of a duplicated code).
pub fn catalog(root: &Path) -> BTreeMap<String, Peeked> {
    let dir = root.join("content/_catalog");
    let files: Vec<PathBuf> = walkdir::WalkDir::new(&dir)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'))
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file() && super::is_procedure_file(e.path()))
        .filter_map(|e| e.path().strip_prefix(root).ok().map(Path::to_path_buf))
        .collect();
    let peeked: Vec<Peeked> = files.par_iter().filter_map(|f| file(root, f)).collect();
    let mut out = BTreeMap::new();
    for p in peeked {
        out.entry(p.code.clone()).or_insert(p);
    }
    out
}

/// The procedure files directly in a unit's folder (`rel`: the folder, relative to the
/// site root), with their codes.
pub fn unit(root: &Path, rel: &Path) -> Vec<Peeked> {
    let Ok(entries) = std::fs::read_dir(root.join(rel)) else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
        .map(|e| rel.join(e.file_name()))
        .filter(|p| super::is_procedure_file(p))
        .collect();
    files.sort();
    files.iter().filter_map(|f| file(root, f)).collect()
}

/// One file's code and name (`rel` relative to the root).
fn file(root: &Path, rel: &Path) -> Option<Peeked> {
    let mut quiet = Diagnostics::new();
    let src: Source = source::read_text(&root.join(rel), rel.to_path_buf(), &mut quiet)?;
    let toml = if rel.extension().is_some_and(|e| e == "md") {
        let s = source::front_matter(&src.text).ok()?;
        &src.text[s.toml_start..s.toml_end]
    } else {
        &src.text[..]
    };
    let arena = Arena::new();
    let table = toml_spanner::parse(toml, &arena).ok()?.into_table();
    let text = |key: &str| match table.get(key).map(|v| v.value()) {
        Some(TomlValue::String(s)) => Some(s.trim().to_owned()),
        _ => None,
    };
    Some(Peeked {
        file: rel.to_path_buf(),
        code: text("code")?,
        name: text("name"),
    })
}
