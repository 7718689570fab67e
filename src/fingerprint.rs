//! A build's fingerprint: every input file's path, size and times, the options, the binary,
//! and the output folder's own file count and size. When a rebuild finds the same
//! fingerprint it has nothing to do: the output is what a full build would write again.
//! It replays the previous build's warnings so the webmaster still sees them.
//!
//! Stored beside the output (`.<out>.fingerprint`), never inside it, so the published
//! folder holds only the site.

use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};

/// What a fingerprint covers besides the files.
#[derive(Hash)]
pub struct Options<'a> {
    pub today: &'a str,
    pub base_url: Option<&'a str>,
    pub file_links: bool,
}

/// The fingerprint file of an output folder.
pub fn path_for(out: &Path) -> PathBuf {
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "public".into());
    out.with_file_name(format!(".{name}.fingerprint"))
}

fn hash_tree(dir: &Path, h: &mut impl Hasher) {
    for e in walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .flatten()
    {
        e.path().hash(h);
        if let Ok(m) = e.metadata() {
            m.len().hash(h);
            m.is_dir().hash(h);
            if let Ok(t) = m.modified() {
                t.hash(h);
            }
            #[cfg(unix)]
            {
                use std::os::unix::fs::MetadataExt;
                (m.ctime(), m.ctime_nsec(), m.ino()).hash(h);
            }
        }
    }
}

/// The fingerprint of the inputs under `root` and the options.
pub fn inputs(root: &Path, opts: &Options) -> u64 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    env!("CARGO_PKG_VERSION").hash(&mut h);
    // A rebuilt binary may render differently.
    if let Ok(exe) = std::env::current_exe() {
        if let Ok(m) = std::fs::metadata(exe) {
            (m.len(), m.modified().ok()).hash(&mut h);
        }
    }
    opts.hash(&mut h);
    root.canonicalize()
        .unwrap_or_else(|_| root.to_path_buf())
        .hash(&mut h);
    for part in ["site.toml", "content", "themes"] {
        hash_tree(&root.join(part), &mut h);
    }
    h.finish()
}

/// Files and bytes under the output folder, to notice it was changed by hand.
pub fn output_state(out: &Path) -> (u64, u64) {
    let mut files = 0;
    let mut bytes = 0;
    for e in walkdir::WalkDir::new(out).into_iter().flatten() {
        if e.file_type().is_file() {
            files += 1;
            bytes += e.metadata().map(|m| m.len()).unwrap_or(0);
        }
    }
    (files, bytes)
}

/// A stored fingerprint: `inputs files bytes`, then the warnings, one per line.
pub struct Stored {
    pub inputs: u64,
    pub files: u64,
    pub bytes: u64,
    pub warnings: String,
}

pub fn read(out: &Path) -> Option<Stored> {
    let text = std::fs::read_to_string(path_for(out)).ok()?;
    let (head, warnings) = text.split_once('\n').unwrap_or((&text, ""));
    let mut it = head.split_whitespace().map(|x| x.parse::<u64>().ok());
    Some(Stored {
        inputs: it.next()??,
        files: it.next()??,
        bytes: it.next()??,
        warnings: warnings.to_owned(),
    })
}

pub fn write(out: &Path, s: &Stored) -> std::io::Result<()> {
    std::fs::write(
        path_for(out),
        format!("{} {} {}\n{}", s.inputs, s.files, s.bytes, s.warnings),
    )
}

/// Forgets the fingerprint (before a build that may fail half-way).
pub fn clear(out: &Path) {
    let _ = std::fs::remove_file(path_for(out));
}
