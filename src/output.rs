//! Stage 5, `output`: pages are written into a staging folder beside the target, and the
//! staging folder is swapped in only when everything succeeded. A failed or killed build
//! leaves the previous output whole; its leftovers are removed by the next build.
//!
//! A file whose bytes are those of the previous output's file at the same path is not
//! written again: the staging folder gets a hard link to the previous file. A rebuild
//! after one decision changed then copies almost no bytes, and the files that did not
//! change keep their modification time, so `rsync` and HTTP caches see them unchanged.

use std::collections::HashMap;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;

/// A build's output being written.
pub struct Output {
    staging: PathBuf,
    target: PathBuf,
    /// The previous output (the target, when it exists): unchanged files are linked
    /// from it.
    previous: Option<PathBuf>,
    /// Files linked from the previous output instead of written.
    kept: AtomicU64,
    files: AtomicU64,
    bytes: AtomicU64,
    /// `Some` for an output kept in memory (`serve`): renderers write the same way, the
    /// files land here instead of on disk.
    memory: Option<Mutex<HashMap<String, Vec<u8>>>>,
    /// The staging folder, held open: files and folders are made relative to it, so the
    /// kernel walks only their path inside the output, not the output folder's own path
    /// again for each of tens of thousands of files. `None` where that is not available
    /// (the full path is used then).
    dir: Option<StagingDir>,
}

#[cfg(target_os = "linux")]
type StagingDir = rustix::fd::OwnedFd;
#[cfg(not(target_os = "linux"))]
type StagingDir = std::convert::Infallible;

/// What a build wrote.
#[derive(Debug, Clone, Copy, Default)]
pub struct OutputStats {
    pub files: u64,
    pub bytes: u64,
    /// Of `files`, those linked unchanged from the previous output.
    pub kept: u64,
}

fn sibling(target: &Path, tag: &str) -> PathBuf {
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "public".into());
    let parent = target.parent().unwrap_or(Path::new("."));
    parent.join(format!(".{name}.niemyet-{tag}-{}", std::process::id()))
}

/// Removes staging and old folders that a killed build left beside `target`.
pub fn clean_leftovers(target: &Path) -> io::Result<()> {
    let name = match target.file_name() {
        Some(n) => n.to_string_lossy().into_owned(),
        None => return Ok(()),
    };
    let parent = match target.parent() {
        Some(p) if p.as_os_str().is_empty() => Path::new("."),
        Some(p) => p,
        None => return Ok(()),
    };
    let prefix = format!(".{name}.niemyet-");
    let Ok(rd) = std::fs::read_dir(parent) else {
        return Ok(());
    };
    for e in rd.flatten() {
        if e.file_name().to_string_lossy().starts_with(&prefix) {
            std::fs::remove_dir_all(e.path())?;
        }
    }
    Ok(())
}

impl Output {
    /// Starts a build's output for `target`.
    pub fn begin(target: &Path) -> io::Result<Output> {
        if target.exists() && !target.is_dir() {
            return Err(io::Error::other(format!(
                "{} exists and is not a folder",
                target.display()
            )));
        }
        if let Some(parent) = target.parent() {
            if !parent.as_os_str().is_empty() {
                std::fs::create_dir_all(parent)?;
            }
        }
        clean_leftovers(target)?;
        let staging = sibling(target, "tmp");
        std::fs::create_dir_all(&staging)?;
        Ok(Output {
            dir: open_dir(&staging),
            staging,
            target: target.to_path_buf(),
            previous: target.is_dir().then(|| target.to_path_buf()),
            kept: AtomicU64::new(0),
            files: AtomicU64::new(0),
            bytes: AtomicU64::new(0),
            memory: None,
        })
    }

    /// An output kept in memory: what `serve` renders into, then serves from.
    pub fn memory() -> Output {
        Output {
            staging: PathBuf::new(),
            target: PathBuf::new(),
            previous: None,
            kept: AtomicU64::new(0),
            files: AtomicU64::new(0),
            bytes: AtomicU64::new(0),
            memory: Some(Mutex::new(HashMap::new())),
            dir: None,
        }
    }

    /// The files of a memory output (path relative to the output → bytes); empty for a
    /// disk output.
    pub fn into_files(self) -> HashMap<String, Vec<u8>> {
        match self.memory {
            Some(m) => m.into_inner().unwrap_or_else(|e| e.into_inner()),
            None => HashMap::new(),
        }
    }

    fn keep(&self, rel: &str, data: Vec<u8>) -> bool {
        let Some(m) = &self.memory else {
            return false;
        };
        self.files.fetch_add(1, Ordering::Relaxed);
        self.bytes.fetch_add(data.len() as u64, Ordering::Relaxed);
        m.lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(rel.to_owned(), data);
        true
    }

    /// The staging folder (pages written so far).
    pub fn staging(&self) -> &Path {
        &self.staging
    }

    fn path(&self, rel: &str) -> io::Result<PathBuf> {
        // Output paths come from folder names and codes that were validated, but a
        // last guard costs nothing.
        if rel.split('/').any(|s| s == "..") || rel.starts_with('/') {
            return Err(io::Error::other(format!(
                "refusing to write outside the output: {rel}"
            )));
        }
        Ok(self.staging.join(rel))
    }

    /// Creates `rel`'s folders in the staging folder (`full`: its whole path), as
    /// `create_dir_all` does.
    fn create_dirs(&self, rel: &str, full: &Path) -> io::Result<()> {
        #[cfg(target_os = "linux")]
        if let Some(dir) = &self.dir {
            return match rel.rsplit_once('/') {
                Some((parent, _)) => dirs_at(dir, parent),
                None => Ok(()),
            };
        }
        match full.parent() {
            Some(parent) => std::fs::create_dir_all(parent),
            None => Ok(()),
        }
    }

    /// Creates (or truncates) the file `rel` of the staging folder, its folders made.
    fn create(&self, rel: &str, full: &Path) -> io::Result<std::fs::File> {
        #[cfg(target_os = "linux")]
        if let Some(dir) = &self.dir {
            use rustix::fs::{openat, Mode, OFlags};
            // What `File::create` asks for.
            let flags = OFlags::WRONLY | OFlags::CREATE | OFlags::TRUNC | OFlags::CLOEXEC;
            return Ok(openat(dir, rel, flags, Mode::from_raw_mode(0o666))?.into());
        }
        std::fs::File::create(full)
    }

    /// Writes one file, creating its folders.
    pub fn write(&self, rel: &str, data: &[u8]) -> io::Result<()> {
        let p = self.path(rel)?;
        if self.memory.is_some() {
            self.keep(rel, data.to_vec());
            return Ok(());
        }
        self.create_dirs(rel, &p)?;
        if !self.keep_previous(rel, &p, Bytes::Slice(data)) {
            self.create(rel, &p)?.write_all(data)?;
        }
        self.files.fetch_add(1, Ordering::Relaxed);
        self.bytes.fetch_add(data.len() as u64, Ordering::Relaxed);
        Ok(())
    }

    /// Links `rel` from the previous output into `staged` when the previous file holds
    /// exactly `data`; false when it was not (no previous file, other bytes, a link that
    /// the file system refuses): the caller writes it.
    fn keep_previous(&self, rel: &str, staged: &Path, data: Bytes) -> bool {
        let Some(prev) = &self.previous else {
            return false;
        };
        let old = prev.join(rel);
        if !same_bytes(&old, data) || std::fs::hard_link(&old, staged).is_err() {
            return false;
        }
        self.kept.fetch_add(1, Ordering::Relaxed);
        true
    }

    /// Writes one file from pieces, in order, without joining them first (the search
    /// index's site-wide file of every document is tens of megabytes).
    pub fn write_parts<'a>(
        &self,
        rel: &str,
        parts: impl IntoIterator<Item = &'a [u8]>,
    ) -> io::Result<()> {
        let p = self.path(rel)?;
        if self.memory.is_some() {
            self.keep(rel, parts.into_iter().flatten().copied().collect());
            return Ok(());
        }
        self.create_dirs(rel, &p)?;
        // The pieces are borrowed: listing them costs no copy, and lets them be compared
        // with the previous file before anything is written.
        let parts: Vec<&[u8]> = parts.into_iter().collect();
        let n: u64 = parts.iter().map(|part| part.len() as u64).sum();
        if !self.keep_previous(rel, &p, Bytes::Parts(&parts, n)) {
            write_all_vectored(&mut self.create(rel, &p)?, &parts)?;
        }
        self.files.fetch_add(1, Ordering::Relaxed);
        self.bytes.fetch_add(n, Ordering::Relaxed);
        Ok(())
    }

    /// Copies a file into the output.
    pub fn copy(&self, rel: &str, from: &Path) -> io::Result<()> {
        let p = self.path(rel)?;
        if self.memory.is_some() {
            self.keep(rel, std::fs::read(from)?);
            return Ok(());
        }
        if let Some(dir) = p.parent() {
            std::fs::create_dir_all(dir)?;
        }
        let n = if self.keep_previous(rel, &p, Bytes::File(from)) {
            std::fs::metadata(&p)?.len()
        } else {
            std::fs::copy(from, &p)?
        };
        self.files.fetch_add(1, Ordering::Relaxed);
        self.bytes.fetch_add(n, Ordering::Relaxed);
        Ok(())
    }

    pub fn stats(&self) -> OutputStats {
        OutputStats {
            files: self.files.load(Ordering::Relaxed),
            bytes: self.bytes.load(Ordering::Relaxed),
            kept: self.kept.load(Ordering::Relaxed),
        }
    }

    /// Swaps the new output in and removes the old one.
    pub fn commit(self) -> io::Result<OutputStats> {
        let stats = self.stats();
        if self.memory.is_some() {
            return Ok(stats);
        }
        if !self.target.exists() {
            std::fs::rename(&self.staging, &self.target)?;
            return Ok(stats);
        }
        if exchange(&self.staging, &self.target).is_ok() {
            // `staging` now holds the previous output.
            remove_tree(&self.staging)?;
            return Ok(stats);
        }
        let old = sibling(&self.target, "old");
        std::fs::rename(&self.target, &old)?;
        std::fs::rename(&self.staging, &self.target)?;
        remove_tree(&old)?;
        Ok(stats)
    }

    /// Drops what was written; the previous output is untouched.
    pub fn abort(self) {
        let _ = std::fs::remove_dir_all(&self.staging);
    }
}

/// The staging folder `path` opened to make files relative to it (see [`Output::dir`]).
#[cfg(target_os = "linux")]
fn open_dir(path: &Path) -> Option<StagingDir> {
    use rustix::fs::{open, Mode, OFlags};
    open(
        path,
        OFlags::PATH | OFlags::DIRECTORY | OFlags::CLOEXEC,
        Mode::empty(),
    )
    .ok()
}

#[cfg(not(target_os = "linux"))]
fn open_dir(_path: &Path) -> Option<StagingDir> {
    None
}

/// `create_dir_all` for `rel` (a folder, `/` between names) inside `dir`. A name already
/// there is taken to be a folder: if it is not, making the file inside it fails.
#[cfg(target_os = "linux")]
fn dirs_at(dir: &StagingDir, rel: &str) -> io::Result<()> {
    use rustix::fs::{mkdirat, Mode};
    use rustix::io::Errno;
    match mkdirat(dir, rel, Mode::from_raw_mode(0o777)) {
        Ok(()) | Err(Errno::EXIST) => Ok(()),
        Err(Errno::NOENT) => {
            if let Some((parent, _)) = rel.rsplit_once('/') {
                dirs_at(dir, parent)?;
            }
            match mkdirat(dir, rel, Mode::from_raw_mode(0o777)) {
                // Made meanwhile by another thread writing into it.
                Ok(()) | Err(Errno::EXIST) => Ok(()),
                Err(e) => Err(e.into()),
            }
        }
        Err(e) => Err(e.into()),
    }
}

/// Writes `parts` in order, many to a system call (`writev`): the kernel copies each
/// from where it is, without gathering them into one buffer first (a noticeboard pack
/// is its frame and every sheet, 2.6 MB a unit at the 20k benchmark; the search index,
/// thousands of documents).
fn write_all_vectored(file: &mut std::fs::File, parts: &[&[u8]]) -> io::Result<()> {
    // Linux takes at most 1,024 pieces a call (IOV_MAX).
    const BATCH: usize = 1024;
    let mut slices: Vec<io::IoSlice> = Vec::with_capacity(parts.len().min(BATCH));
    for batch in parts.chunks(BATCH) {
        slices.clear();
        slices.extend(
            batch
                .iter()
                .filter(|p| !p.is_empty())
                .map(|p| io::IoSlice::new(p)),
        );
        let mut rest = &mut slices[..];
        while !rest.is_empty() {
            match file.write_vectored(rest) {
                Ok(0) => return Err(io::ErrorKind::WriteZero.into()),
                Ok(n) => io::IoSlice::advance_slices(&mut rest, n),
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
    }
    Ok(())
}

/// The bytes a file should hold: in memory, or those of another file.
#[derive(Clone, Copy)]
enum Bytes<'a> {
    Slice(&'a [u8]),
    /// Pieces, and their total length.
    Parts(&'a [&'a [u8]], u64),
    File(&'a Path),
}

/// Whether `old` is a regular file (not a symlink: it is never followed) holding exactly
/// `data`. Sizes first, so a changed page usually costs one `open` and one `fstat`.
fn same_bytes(old: &Path, data: Bytes) -> bool {
    use std::io::Read;
    let Some(mut a) = open_regular(old) else {
        return false;
    };
    let Ok(len) = a.metadata().map(|m| m.len()) else {
        return false;
    };
    let wanted = match data {
        Bytes::Slice(d) if d.len() as u64 == len => std::borrow::Cow::Borrowed(d),
        Bytes::File(from) if std::fs::metadata(from).is_ok_and(|m| m.len() == len) => {
            match std::fs::read(from) {
                Ok(v) => std::borrow::Cow::Owned(v),
                Err(_) => return false,
            }
        }
        Bytes::Parts(parts, total) if total == len => {
            // `read_to_end` fills spare capacity without zeroing it first.
            let mut have = Vec::with_capacity(len as usize + 1);
            if a.read_to_end(&mut have).is_err() || have.len() as u64 != len {
                return false;
            }
            let mut rest = &have[..];
            return parts
                .iter()
                .all(|part| match rest.split_at_checked(part.len()) {
                    Some((head, tail)) if head == *part => {
                        rest = tail;
                        true
                    }
                    _ => false,
                });
        }
        _ => return false,
    };
    let mut have = Vec::with_capacity(wanted.len() + 1);
    a.read_to_end(&mut have).is_ok() && have == *wanted
}

/// Opens `p` for reading only if it is a regular file, never through a symlink.
fn open_regular(p: &Path) -> Option<std::fs::File> {
    #[cfg(target_os = "linux")]
    let f = {
        use std::os::unix::fs::OpenOptionsExt;
        std::fs::OpenOptions::new()
            .read(true)
            .custom_flags(libc::O_NOFOLLOW)
            .open(p)
            .ok()?
    };
    #[cfg(not(target_os = "linux"))]
    let f = {
        if !std::fs::symlink_metadata(p).ok()?.is_file() {
            return None;
        }
        std::fs::File::open(p).ok()?
    };
    f.metadata().ok()?.is_file().then_some(f)
}

/// Removes a folder and everything in it, folders in parallel: the previous output of a
/// large site is tens of thousands of files, and removing them one by one was the last,
/// single-threaded step of a build. Symlinks are removed, never followed.
fn remove_tree(path: &Path) -> io::Result<()> {
    use rayon::prelude::*;
    let entries: Vec<std::fs::DirEntry> = std::fs::read_dir(path)?.collect::<io::Result<_>>()?;
    entries.par_iter().try_for_each(|e| {
        if e.file_type()?.is_dir() {
            remove_tree(&e.path())
        } else {
            std::fs::remove_file(e.path())
        }
    })?;
    std::fs::remove_dir(path)
}

/// Atomically exchanges two paths (Linux `renameat2(RENAME_EXCHANGE)`).
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> io::Result<()> {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;
    let ca = CString::new(a.as_os_str().as_bytes()).map_err(io::Error::other)?;
    let cb = CString::new(b.as_os_str().as_bytes()).map_err(io::Error::other)?;
    // SAFETY: both are valid NUL-terminated paths; AT_FDCWD resolves them like rename(2).
    #[allow(unsafe_code)]
    let r = unsafe {
        libc::renameat2(
            libc::AT_FDCWD,
            ca.as_ptr(),
            libc::AT_FDCWD,
            cb.as_ptr(),
            libc::RENAME_EXCHANGE,
        )
    };
    if r == 0 {
        Ok(())
    } else {
        Err(io::Error::last_os_error())
    }
}

#[cfg(not(target_os = "linux"))]
fn exchange(_a: &Path, _b: &Path) -> io::Result<()> {
    Err(io::Error::other("no atomic exchange on this system"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use rayon::prelude::*;

    fn read(p: &Path) -> String {
        std::fs::read_to_string(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
    }

    #[test]
    fn files_land_in_their_folders_and_a_second_build_replaces_the_first() {
        let tmp = tempfile::tempdir().unwrap();
        let target = tmp.path().join("public");
        let out = Output::begin(&target).unwrap();
        out.write("index.html", b"home").unwrap();
        out.write("tinh/xa/1.000001/index.html", b"page").unwrap();
        out.write_parts("tinh/xa/search.js", [&b"a"[..], b"b", b"c"])
            .unwrap();
        let stats = out.commit().unwrap();
        assert_eq!((stats.files, stats.bytes), (3, 11));
        assert_eq!(read(&target.join("index.html")), "home");
        assert_eq!(read(&target.join("tinh/xa/1.000001/index.html")), "page");
        assert_eq!(read(&target.join("tinh/xa/search.js")), "abc");

        // The next build writes one page the same, one changed, and drops the third.
        let out = Output::begin(&target).unwrap();
        out.write("index.html", b"home").unwrap();
        out.write("tinh/xa/1.000001/index.html", b"new page")
            .unwrap();
        let stats = out.commit().unwrap();
        assert_eq!((stats.files, stats.kept), (2, 1));
        assert_eq!(
            read(&target.join("tinh/xa/1.000001/index.html")),
            "new page"
        );
        assert!(!target.join("tinh/xa/search.js").exists());
        // Nothing is left beside the output.
        let names: Vec<_> = std::fs::read_dir(tmp.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, ["public"]);
    }

    /// Parts go out many to a system call: more than one call holds (1,024 each), empty
    /// parts among them, and a second build with the same parts keeps the file.
    #[test]
    fn a_file_written_from_thousands_of_parts_holds_them_in_order() {
        let tmp = tempfile::tempdir().unwrap();
        let target = tmp.path().join("public");
        let owned: Vec<Vec<u8>> = (0..2500u32)
            .map(|i| match i % 5 {
                0 => Vec::new(),
                4 => vec![b'x'; 70_000],
                _ => format!("[{i}]").into_bytes(),
            })
            .collect();
        let parts = || owned.iter().map(Vec::as_slice);
        let want: Vec<u8> = parts().flatten().copied().collect();
        for kept in [0, 1] {
            let out = Output::begin(&target).unwrap();
            out.write_parts("tim-kiem/idx/local.js", parts()).unwrap();
            let stats = out.commit().unwrap();
            assert_eq!((stats.bytes, stats.kept), (want.len() as u64, kept));
            let got = std::fs::read(target.join("tim-kiem/idx/local.js")).unwrap();
            assert!(
                got == want,
                "{} bytes written, {} wanted",
                got.len(),
                want.len()
            );
        }
    }

    #[test]
    fn threads_writing_into_the_same_new_folders_all_succeed() {
        let tmp = tempfile::tempdir().unwrap();
        let target = tmp.path().join("public");
        let out = Output::begin(&target).unwrap();
        (0..64).into_par_iter().for_each(|i| {
            let rel = format!("tinh/xa-{}/{i}/index.html", i % 4);
            out.write(&rel, i.to_string().as_bytes()).unwrap();
        });
        out.commit().unwrap();
        for i in 0..64 {
            let p = target.join(format!("tinh/xa-{}/{i}/index.html", i % 4));
            assert_eq!(read(&p), i.to_string());
        }
    }

    #[test]
    fn a_file_where_a_folder_must_go_is_an_error() {
        let tmp = tempfile::tempdir().unwrap();
        let target = tmp.path().join("public");
        let out = Output::begin(&target).unwrap();
        out.write("tinh/xa", b"a file").unwrap();
        assert!(out.write("tinh/xa/index.html", b"page").is_err());
        assert!(out.write("../outside.html", b"x").is_err());
        out.abort();
        assert!(!target.exists());
        assert!(!tmp.path().join("outside.html").exists());
    }
}
