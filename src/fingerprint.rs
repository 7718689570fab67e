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

/// The hash of a file or folder: its path and metadata, and a folder's entries, each
/// hashed the same way, in the order of their names. A folder's entries are hashed in
/// parallel: one `stat` per file, 20,000 of them at the 20k benchmark, were a serial
/// 40 ms before every build.
///
/// A symbolic link is hashed as itself and as what it leads to, as the build reads it
/// (`site.toml` or a theme folder linked from elsewhere: editing the file the link names
/// must rebuild). A folder reached again through a link, inside itself, is not walked
/// twice.
fn hash_tree(path: &Path) -> u64 {
    hash_entry(path, std::fs::symlink_metadata(path), &[])
}

/// The identity of a file or folder (device and inode), to notice a link back to a
/// folder being walked.
type Id = (u64, u64);

#[cfg(unix)]
fn id_of(m: &std::fs::Metadata) -> Id {
    use std::os::unix::fs::MetadataExt;
    (m.dev(), m.ino())
}

#[cfg(not(unix))]
fn id_of(_m: &std::fs::Metadata) -> Id {
    (0, 0)
}

/// Hashes what changes when a file is edited, replaced or moved.
fn hash_meta(m: &std::fs::Metadata, h: &mut impl Hasher) {
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

/// [`hash_tree`] of `path`, whose metadata (not following a link) is `meta`; `within`:
/// the folders being walked, outermost first. An entry's metadata comes from its
/// folder's `DirEntry`, which asks relative to the open folder (`statx` on the folder's
/// descriptor and the name): the kernel does not walk the whole path again for each of
/// the site's files.
fn hash_entry(path: &Path, meta: std::io::Result<std::fs::Metadata>, within: &[Id]) -> u64 {
    use rayon::prelude::*;
    let mut h = std::collections::hash_map::DefaultHasher::new();
    path.hash(&mut h);
    let Ok(mut m) = meta else {
        return h.finish();
    };
    hash_meta(&m, &mut h);
    if m.file_type().is_symlink() {
        if let Ok(target) = std::fs::read_link(path) {
            target.hash(&mut h);
        }
        match std::fs::metadata(path) {
            Ok(t) => {
                hash_meta(&t, &mut h);
                m = t;
            }
            Err(_) => return h.finish(),
        }
    }
    if m.is_dir() {
        let id = id_of(&m);
        if within.contains(&id) {
            return h.finish();
        }
        let mut within = within.to_vec();
        within.push(id);
        let mut entries: Vec<(std::ffi::OsString, std::fs::DirEntry)> = std::fs::read_dir(path)
            .map(|rd| rd.flatten().map(|e| (e.file_name(), e)).collect())
            .unwrap_or_default();
        entries.sort_by(|a, b| a.0.cmp(&b.0));
        let hashes: Vec<u64> = entries
            .par_iter()
            .map(|(name, e)| hash_entry(&path.join(name), e.metadata(), &within))
            .collect();
        hashes.hash(&mut h);
    }
    h.finish()
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
        hash_tree(&root.join(part)).hash(&mut h);
    }
    h.finish()
}

/// Files and bytes under the output folder, to notice it was changed by hand. Folders
/// are counted in parallel, as [`hash_tree`] does.
pub fn output_state(out: &Path) -> (u64, u64) {
    use rayon::prelude::*;
    let Ok(rd) = std::fs::read_dir(out) else {
        return (0, 0);
    };
    let entries: Vec<std::fs::DirEntry> = rd.flatten().collect();
    entries
        .par_iter()
        .map(|e| match e.file_type() {
            Ok(t) if t.is_dir() => output_state(&e.path()),
            Ok(t) if t.is_file() => (1, e.metadata().map(|m| m.len()).unwrap_or(0)),
            _ => (0, 0),
        })
        .reduce(|| (0, 0), |a, b| (a.0 + b.0, a.1 + b.1))
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

/// Writes the fingerprint whole or not at all (a file beside it, renamed over it): a
/// build reading it meanwhile never sees half of it.
pub fn write(out: &Path, s: &Stored) -> std::io::Result<()> {
    let path = path_for(out);
    let mut tmp = path.clone().into_os_string();
    tmp.push(".tmp");
    std::fs::write(
        &tmp,
        format!("{} {} {}\n{}", s.inputs, s.files, s.bytes, s.warnings),
    )?;
    std::fs::rename(&tmp, &path)
}

/// Forgets the fingerprint (before a build that may fail half-way).
pub fn clear(out: &Path) {
    let _ = std::fs::remove_file(path_for(out));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_tree_hash_notices_edits_additions_and_renames_at_any_depth() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let write = |rel: &str, text: &str| {
            let p = root.join(rel);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, text).unwrap();
        };
        for i in 0..40 {
            write(
                &format!("content/tinh/xa-{i:02}/1.{i:06}.md"),
                "+++\ncode = 1\n+++\n",
            );
        }
        write("themes/default/templates/base.html", "<html>");
        let opts = Options {
            today: "2026-11-23",
            base_url: None,
            file_links: false,
        };
        let first = inputs(root, &opts);
        assert_eq!(
            first,
            inputs(root, &opts),
            "nothing changed: the same fingerprint"
        );
        let mut seen = vec![first];
        let mut changed = |what: &str| {
            let now = inputs(root, &opts);
            assert!(!seen.contains(&now), "{what} went unnoticed");
            seen.push(now);
        };
        write("content/tinh/xa-17/1.000017.md", "+++\ncode = 17\n+++\n");
        changed("an edit deep inside");
        write("content/tinh/xa-39/moi.md", "+++\n+++\n");
        changed("a new file");
        std::fs::rename(
            root.join("content/tinh/xa-39/moi.md"),
            root.join("content/tinh/xa-38/moi.md"),
        )
        .unwrap();
        changed("a file moved to another folder");
        write("themes/default/templates/base.html", "<html lang=vi>");
        changed("a theme edit");
        write("site.toml", "title = \"x\"\n");
        changed("site.toml");
        let other = Options {
            today: "2026-11-24",
            ..opts
        };
        assert_ne!(inputs(root, &other), inputs(root, &opts), "another date");
    }

    /// `site.toml` and the theme folder may be links to files kept elsewhere: editing
    /// what they lead to is an edit of the site. A link back into a folder being walked
    /// ends the walk instead of going round.
    #[cfg(unix)]
    #[test]
    fn links_are_followed_to_what_they_name() {
        use std::os::unix::fs::symlink;
        let dir = tempfile::tempdir().unwrap();
        let elsewhere = tempfile::tempdir().unwrap();
        let (root, away) = (dir.path(), elsewhere.path());
        let write = |p: &Path, text: &str| {
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, text).unwrap();
        };
        write(&away.join("site.toml"), "title = \"a\"\n");
        write(&away.join("theme/templates/base.html"), "<html>");
        write(&root.join("content/tinh/_unit.toml"), "name = \"T\"\n");
        std::fs::create_dir_all(root.join("themes")).unwrap();
        symlink(away.join("site.toml"), root.join("site.toml")).unwrap();
        symlink(away.join("theme"), root.join("themes/default")).unwrap();
        symlink(away.join("theme"), away.join("theme/templates/loop")).unwrap();
        let opts = Options {
            today: "2026-11-23",
            base_url: None,
            file_links: false,
        };
        let mut seen = vec![inputs(root, &opts)];
        let mut changed = |what: &str| {
            let now = inputs(root, &opts);
            assert!(!seen.contains(&now), "{what} went unnoticed");
            seen.push(now);
        };
        write(&away.join("site.toml"), "title = \"b, sửa\"\n");
        changed("an edit of the file site.toml links to");
        write(&away.join("theme/templates/base.html"), "<html lang=vi>");
        changed("an edit inside the linked theme folder");
        write(&away.join("site2.toml"), "title = \"c\"\n");
        std::fs::remove_file(root.join("site.toml")).unwrap();
        symlink(away.join("site2.toml"), root.join("site.toml")).unwrap();
        changed("site.toml linked to another file");
    }

    #[test]
    fn the_output_state_counts_every_file_and_byte_at_any_depth() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path();
        assert_eq!(output_state(&out.join("missing")), (0, 0));
        let mut bytes = 0;
        for i in 0..30u64 {
            let p = out.join(format!("tinh/xa-{}/{i}/index.html", i % 7));
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(&p, vec![b'x'; i as usize * 10]).unwrap();
            bytes += i * 10;
        }
        std::fs::write(out.join("index.html"), "abc").unwrap();
        std::fs::create_dir_all(out.join("empty/folder")).unwrap();
        assert_eq!(output_state(out), (31, bytes + 3));
    }
}
