//! Stage 5, `output`: pages are written into a staging folder beside the target, and the
//! staging folder is swapped in only when everything succeeded and what it holds was
//! checked against what the renderers wrote. A failed or killed build leaves the previous
//! output whole; its leftovers are removed by the next build of the same output.
//!
//! Builds of one output exclude each other ([`OutputLock`], a lock file beside it): a
//! second build's clean-up would otherwise remove the first one's staging folder while it
//! is written. Nothing is ever swapped or removed through a symbolic link, and a folder
//! that niemyet did not write (see [`is_niemyet_output`]) is never replaced.
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

mod guard;
use guard::write_marker;
pub use guard::{
    is_disk_full, is_empty_dir, is_niemyet_output, marker_path, tree_state, Busy, OutputLock,
    TreeState,
};

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
    /// The first write that failed, with the file it was for: a full disk is reported as
    /// such, not as a problem of the content.
    failed: Mutex<Option<(String, io::Error)>>,
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

/// The folder `target` is in (`.` for a bare name).
fn parent_of(target: &Path) -> Option<&Path> {
    match target.parent() {
        Some(p) if p.as_os_str().is_empty() => Some(Path::new(".")),
        other => other,
    }
}

/// Removes staging and old folders that a killed build left beside `target`. Call it
/// only while holding the output's [`OutputLock`]: then no live build of this output
/// owns any of them. A leftover is removed without following links.
pub fn clean_leftovers(target: &Path) -> io::Result<()> {
    let name = match target.file_name() {
        Some(n) => n.to_string_lossy().into_owned(),
        None => return Ok(()),
    };
    let Some(parent) = parent_of(target) else {
        return Ok(());
    };
    let prefix = format!(".{name}.niemyet-");
    let Ok(rd) = std::fs::read_dir(parent) else {
        return Ok(());
    };
    for e in rd.flatten() {
        if e.file_name().to_string_lossy().starts_with(&prefix) {
            match e.file_type() {
                Ok(t) if t.is_dir() => remove_tree(&e.path())?,
                Ok(_) => std::fs::remove_file(e.path())?,
                Err(_) => {}
            }
        }
    }
    Ok(())
}

impl Output {
    /// Starts a build's output for `target`, which must be a real folder or not exist:
    /// a symbolic link is refused (the caller resolves it, see `cmd::build`), and so is
    /// a folder that is not empty and that niemyet did not write. Take the output's
    /// [`OutputLock`] first: the leftovers of earlier builds are removed here.
    pub fn begin(target: &Path) -> io::Result<Output> {
        match std::fs::symlink_metadata(target) {
            Ok(m) if m.file_type().is_symlink() => {
                return Err(io::Error::other(format!(
                    "{} là một liên kết tượng trưng (symbolic link): niemyet không ghi, không thay và không xoá gì qua liên kết",
                    target.display()
                )));
            }
            Ok(m) if !m.is_dir() => {
                return Err(io::Error::other(format!(
                    "{} đã có và không phải là thư mục",
                    target.display()
                )));
            }
            Ok(_) if !is_empty_dir(target) && !is_niemyet_output(target) => {
                return Err(io::Error::other(format!(
                    "{} có những tệp không do niemyet viết ra: không thay thư mục này",
                    target.display()
                )));
            }
            _ => {}
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
            failed: Mutex::new(None),
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
            failed: Mutex::new(None),
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

    /// Keeps a file of a memory output (false for a disk output). A second file at the
    /// same path is an error, as on disk.
    fn keep(&self, rel: &str, data: Vec<u8>) -> io::Result<bool> {
        let Some(m) = &self.memory else {
            return Ok(false);
        };
        let n = data.len() as u64;
        let mut files = m.lock().unwrap_or_else(|e| e.into_inner());
        match files.entry(rel.to_owned()) {
            std::collections::hash_map::Entry::Occupied(_) => return Err(written_twice(rel)),
            std::collections::hash_map::Entry::Vacant(v) => {
                v.insert(data);
            }
        }
        self.files.fetch_add(1, Ordering::Relaxed);
        self.bytes.fetch_add(n, Ordering::Relaxed);
        Ok(true)
    }

    /// The staging folder (pages written so far).
    pub fn staging(&self) -> &Path {
        &self.staging
    }

    /// The first write that failed, if one did: (the file, the error).
    pub fn failure(&self) -> Option<(String, io::ErrorKind, String)> {
        let f = self.failed.lock().unwrap_or_else(|e| e.into_inner());
        f.as_ref()
            .map(|(rel, e)| (rel.clone(), e.kind(), e.to_string()))
    }

    /// Notes the first failed write, and hands the error back.
    fn note<T>(&self, rel: &str, r: io::Result<T>) -> io::Result<T> {
        if let Err(e) = &r {
            let mut f = self.failed.lock().unwrap_or_else(|e| e.into_inner());
            if f.is_none() {
                *f = Some((rel.to_owned(), io::Error::new(e.kind(), e.to_string())));
            }
        }
        r
    }

    fn path(&self, rel: &str) -> io::Result<PathBuf> {
        // Output paths come from folder names and codes that were validated, but a
        // last guard costs nothing.
        if rel.split('/').any(|s| s == ".." || s.is_empty()) || rel.starts_with('/') {
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

    /// Creates the file `rel` of the staging folder, its folders made. The staging folder
    /// starts empty, so a file already there is a second output at the same path: an
    /// error (`O_EXCL`), never an overwrite.
    fn create(&self, rel: &str, full: &Path) -> io::Result<std::fs::File> {
        let made = {
            #[cfg(target_os = "linux")]
            match &self.dir {
                Some(dir) => {
                    use rustix::fs::{openat, Mode, OFlags};
                    let flags = OFlags::WRONLY | OFlags::CREATE | OFlags::EXCL | OFlags::CLOEXEC;
                    openat(dir, rel, flags, Mode::from_raw_mode(0o666))
                        .map(std::fs::File::from)
                        .map_err(io::Error::from)
                }
                None => std::fs::File::create_new(full),
            }
            #[cfg(not(target_os = "linux"))]
            std::fs::File::create_new(full)
        };
        made.map_err(|e| match e.kind() {
            io::ErrorKind::AlreadyExists => written_twice(rel),
            _ => e,
        })
    }

    /// Writes one file, creating its folders.
    pub fn write(&self, rel: &str, data: &[u8]) -> io::Result<()> {
        let p = self.path(rel)?;
        if self.memory.is_some() {
            self.keep(rel, data.to_vec())?;
            return Ok(());
        }
        self.note(rel, self.write_disk(rel, &p, data))
    }

    fn write_disk(&self, rel: &str, p: &Path, data: &[u8]) -> io::Result<()> {
        self.create_dirs(rel, p)?;
        if !self.keep_previous(rel, p, Bytes::Slice(data)) {
            self.create(rel, p)?.write_all(data)?;
        }
        self.files.fetch_add(1, Ordering::Relaxed);
        self.bytes.fetch_add(data.len() as u64, Ordering::Relaxed);
        Ok(())
    }

    /// Links `rel` from the previous output into `staged` when the previous file holds
    /// exactly `data`; false when it was not (no previous file, other bytes, a link that
    /// the file system refuses, a file already staged there): the caller writes it.
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
            self.keep(rel, parts.into_iter().flatten().copied().collect())?;
            return Ok(());
        }
        // The pieces are borrowed: listing them costs no copy, and lets them be compared
        // with the previous file before anything is written.
        let parts: Vec<&[u8]> = parts.into_iter().collect();
        let r = (|| {
            self.create_dirs(rel, &p)?;
            let n: u64 = parts.iter().map(|part| part.len() as u64).sum();
            if !self.keep_previous(rel, &p, Bytes::Parts(&parts, n)) {
                write_all_vectored(&mut self.create(rel, &p)?, &parts)?;
            }
            self.files.fetch_add(1, Ordering::Relaxed);
            self.bytes.fetch_add(n, Ordering::Relaxed);
            Ok(())
        })();
        self.note(rel, r)
    }

    /// Copies a file into the output. Only a regular file is read (a named pipe put in
    /// its place would block the build for good).
    pub fn copy(&self, rel: &str, from: &Path) -> io::Result<()> {
        let p = self.path(rel)?;
        if self.memory.is_some() {
            let mut data = Vec::new();
            io::Read::read_to_end(&mut open_source(from)?, &mut data)?;
            self.keep(rel, data)?;
            return Ok(());
        }
        let r = (|| {
            self.create_dirs(rel, &p)?;
            let n = if self.keep_previous(rel, &p, Bytes::File(from)) {
                std::fs::symlink_metadata(&p)?.len()
            } else {
                let mut src = open_source(from)?;
                io::copy(&mut src, &mut self.create(rel, &p)?)?
            };
            self.files.fetch_add(1, Ordering::Relaxed);
            self.bytes.fetch_add(n, Ordering::Relaxed);
            Ok(())
        })();
        self.note(rel, r)
    }

    pub fn stats(&self) -> OutputStats {
        OutputStats {
            files: self.files.load(Ordering::Relaxed),
            bytes: self.bytes.load(Ordering::Relaxed),
            kept: self.kept.load(Ordering::Relaxed),
        }
    }

    /// Checks the staging folder, then swaps it in and removes the previous output. The
    /// staging folder must hold exactly the files and bytes the renderers wrote: anything
    /// else (a file missing, one more, a link) means something other than this build
    /// changed it, and nothing is swapped. Then the marker beside the output records the
    /// folder swapped in. Returns what was written, and what the output holds now. On an
    /// error the staging folder is removed and the previous output is untouched.
    pub fn commit(self) -> io::Result<(OutputStats, TreeState)> {
        let stats = self.stats();
        if self.memory.is_some() {
            let state = TreeState {
                files: stats.files,
                bytes: stats.bytes,
                others: 0,
            };
            return Ok((stats, state));
        }
        match self.check_and_swap(stats) {
            Ok(state) => {
                // Without it (a full disk), the next build knows the output by its
                // folders (see `is_niemyet_output`), or says it does not.
                let _ = write_marker(&self.target);
                Ok((stats, state))
            }
            Err(e) => {
                // Either still the new output (the swap did not happen) or already the
                // old one (it did, and removing it failed): the target is whole.
                let _ = remove_tree(&self.staging);
                Err(e)
            }
        }
    }

    fn check_and_swap(&self, stats: OutputStats) -> io::Result<TreeState> {
        let want = TreeState {
            files: stats.files,
            bytes: stats.bytes,
            others: 0,
        };
        let have = tree_state(&self.staging)?;
        if have != want {
            return Err(io::Error::other(format!(
                "thư mục tạm {} không khớp với những gì bản dựng đã ghi ({} tệp, {} byte đã ghi; trong thư mục có {} tệp, {} byte và {} mục khác): có chương trình khác đã sửa nó, nên bản dựng không được đưa vào",
                self.staging.display(),
                want.files,
                want.bytes,
                have.files,
                have.bytes,
                have.others
            )));
        }
        match std::fs::symlink_metadata(&self.target) {
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                rename_new(&self.staging, &self.target)?;
                return Ok(have);
            }
            Err(e) => return Err(e),
            Ok(m) if !m.is_dir() => {
                return Err(io::Error::other(format!(
                    "{} không còn là thư mục (một liên kết hay một tệp đã được đặt vào chỗ của nó trong lúc dựng): bản dựng không được đưa vào",
                    self.target.display()
                )));
            }
            Ok(_) => {}
        }
        if exchange(&self.staging, &self.target).is_ok() {
            // `staging` now holds the previous output.
            remove_tree(&self.staging)?;
            return Ok(have);
        }
        let old = sibling(&self.target, "old");
        std::fs::rename(&self.target, &old)?;
        if let Err(e) = std::fs::rename(&self.staging, &self.target) {
            let _ = std::fs::rename(&old, &self.target);
            return Err(e);
        }
        remove_tree(&old)?;
        Ok(have)
    }

    /// Drops what was written; the previous output is untouched.
    pub fn abort(self) {
        if self.memory.is_none() {
            let _ = remove_tree(&self.staging);
        }
    }
}

/// The error of a second output at a path already written.
fn written_twice(rel: &str) -> io::Error {
    io::Error::new(
        io::ErrorKind::AlreadyExists,
        format!("hai đầu ra cùng ghi vào một tệp ({rel}): hai trang trùng địa chỉ"),
    )
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
        Bytes::File(from) => {
            let mut v = Vec::new();
            match open_source(from) {
                Ok(mut f) if f.metadata().is_ok_and(|m| m.len() == len) => {
                    if f.read_to_end(&mut v).is_err() {
                        return false;
                    }
                }
                _ => return false,
            }
            std::borrow::Cow::Owned(v)
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

/// Opens `p` for reading only if it is a regular file, never through a symlink, and
/// without waiting on a named pipe.
fn open_regular(p: &Path) -> Option<std::fs::File> {
    #[cfg(target_os = "linux")]
    let f = {
        use std::os::unix::fs::OpenOptionsExt;
        std::fs::OpenOptions::new()
            .read(true)
            .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK)
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

/// Opens a file to copy into the output (a form: a link to another file inside
/// content/ is followed), refusing anything but a regular file. Opening does not wait
/// on a named pipe (`O_NONBLOCK`, which changes nothing for a regular file).
fn open_source(p: &Path) -> io::Result<std::fs::File> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(target_os = "linux")]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK);
    }
    // Elsewhere, asked before opening (a pipe swapped in between would still block).
    #[cfg(not(target_os = "linux"))]
    if !std::fs::metadata(p)?.is_file() {
        return Err(io::Error::other(format!(
            "{} không phải là một tệp thường",
            p.display()
        )));
    }
    let f = options.open(p)?;
    if f.metadata()?.is_file() {
        Ok(f)
    } else {
        Err(io::Error::other(format!(
            "{} không phải là một tệp thường",
            p.display()
        )))
    }
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
    use rustix::fs::{renameat_with, RenameFlags, CWD};
    Ok(renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE)?)
}

#[cfg(not(target_os = "linux"))]
fn exchange(_a: &Path, _b: &Path) -> io::Result<()> {
    Err(io::Error::other("no atomic exchange on this system"))
}

/// Renames `from` to `to`, which must not exist: a folder made there meanwhile is not
/// replaced (Linux `RENAME_NOREPLACE`; elsewhere, as `rename` does).
#[cfg(target_os = "linux")]
fn rename_new(from: &Path, to: &Path) -> io::Result<()> {
    use rustix::fs::{renameat_with, RenameFlags, CWD};
    match renameat_with(CWD, from, CWD, to, RenameFlags::NOREPLACE) {
        Ok(()) => Ok(()),
        // A file system without the flag.
        Err(rustix::io::Errno::INVAL) => std::fs::rename(from, to),
        Err(e) => Err(e.into()),
    }
}

#[cfg(not(target_os = "linux"))]
fn rename_new(from: &Path, to: &Path) -> io::Result<()> {
    std::fs::rename(from, to)
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
        let (stats, _) = out.commit().unwrap();
        assert_eq!((stats.files, stats.bytes), (3, 11));
        assert_eq!(read(&target.join("index.html")), "home");
        assert_eq!(read(&target.join("tinh/xa/1.000001/index.html")), "page");
        assert_eq!(read(&target.join("tinh/xa/search.js")), "abc");

        // The next build writes one page the same, one changed, and drops the third.
        let out = Output::begin(&target).unwrap();
        out.write("index.html", b"home").unwrap();
        out.write("tinh/xa/1.000001/index.html", b"new page")
            .unwrap();
        let (stats, _) = out.commit().unwrap();
        assert_eq!((stats.files, stats.kept), (2, 1));
        assert_eq!(
            read(&target.join("tinh/xa/1.000001/index.html")),
            "new page"
        );
        assert!(!target.join("tinh/xa/search.js").exists());
        // Nothing is left beside the output.
        let mut names: Vec<_> = std::fs::read_dir(tmp.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        names.sort();
        assert_eq!(names, [".public.niemyet.output", "public"]);
        assert!(is_niemyet_output(&target), "the marker names the output");
        // The same path, another folder: not niemyet's any more.
        std::fs::rename(&target, tmp.path().join("moved")).unwrap();
        std::fs::create_dir_all(target.join("tai-lieu")).unwrap();
        assert!(!is_niemyet_output(&target));
    }

    /// Two outputs at one path would leave one of them lost: the second write is an
    /// error, on disk and in memory, and the first file keeps its bytes.
    #[test]
    fn a_second_output_at_the_same_path_is_an_error() {
        let tmp = tempfile::tempdir().unwrap();
        let target = tmp.path().join("public");
        for out in [Output::begin(&target).unwrap(), Output::memory()] {
            out.write("tinh/xa-a/index.html", b"unit").unwrap();
            let e = out.write("tinh/xa-a/index.html", b"redirect").unwrap_err();
            assert_eq!(e.kind(), io::ErrorKind::AlreadyExists, "{e}");
            assert!(e.to_string().contains("tinh/xa-a/index.html"), "{e}");
            assert!(out
                .write_parts("tinh/xa-a/index.html", [&b"x"[..]])
                .is_err());
            let src = tmp.path().join("form.pdf");
            std::fs::write(&src, b"%PDF").unwrap();
            out.copy("tep-dinh-kem/a.pdf", &src).unwrap();
            assert!(out.copy("tep-dinh-kem/a.pdf", &src).is_err());
            assert_eq!(out.stats().files, 2);
            if out.memory.is_some() {
                assert_eq!(out.into_files()["tinh/xa-a/index.html"], b"unit");
            } else {
                let (stats, state) = out.commit().unwrap();
                assert_eq!((stats.files, state.files), (2, 2));
                assert_eq!(read(&target.join("tinh/xa-a/index.html")), "unit");
            }
        }
    }

    /// A named pipe where a form file should be is refused, not waited on.
    #[cfg(unix)]
    #[test]
    fn a_named_pipe_is_never_read() {
        let tmp = tempfile::tempdir().unwrap();
        let fifo = tmp.path().join("mau.pdf");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        if !made.is_ok_and(|s| s.success()) {
            panic!("mkfifo is needed for this test");
        }
        for out in [
            Output::begin(&tmp.path().join("public")).unwrap(),
            Output::memory(),
        ] {
            let e = out.copy("tep-dinh-kem/mau.pdf", &fifo).unwrap_err();
            assert!(
                e.to_string().contains("không phải là một tệp thường"),
                "{e}"
            );
        }
    }

    /// Only a real folder that is empty or niemyet's is replaced; a link is not gone
    /// through, and a folder with someone else's files is left as it is.
    #[cfg(unix)]
    #[test]
    fn only_an_empty_folder_or_a_niemyet_output_is_replaced() {
        let tmp = tempfile::tempdir().unwrap();
        let web = tmp.path().join("www");
        std::fs::create_dir_all(&web).unwrap();
        std::fs::write(web.join("index.php"), b"<?php").unwrap();
        let link = tmp.path().join("public");
        std::os::unix::fs::symlink(&web, &link).unwrap();
        assert!(Output::begin(&link).is_err(), "a link");
        assert!(Output::begin(&web).is_err(), "someone else's files");
        assert_eq!(read(&web.join("index.php")), "<?php");
        let empty = tmp.path().join("empty");
        std::fs::create_dir_all(&empty).unwrap();
        let out = Output::begin(&empty).unwrap();
        out.write("index.html", b"home").unwrap();
        out.commit().unwrap();
        // Now it is niemyet's: the next build replaces it.
        let out = Output::begin(&empty).unwrap();
        out.write("index.html", b"home 2").unwrap();
        out.commit().unwrap();
        assert_eq!(read(&empty.join("index.html")), "home 2");
    }

    /// What is swapped in is what the renderers wrote: a file put into the staging folder
    /// by anything else stops the swap, and the previous output stays.
    #[test]
    fn a_staging_folder_changed_behind_the_build_is_not_swapped_in() {
        let tmp = tempfile::tempdir().unwrap();
        let target = tmp.path().join("public");
        let out = Output::begin(&target).unwrap();
        out.write("index.html", b"first").unwrap();
        out.commit().unwrap();
        for tamper in ["add", "remove", "grow"] {
            let out = Output::begin(&target).unwrap();
            out.write("index.html", b"second").unwrap();
            out.write("tinh/index.html", b"unit").unwrap();
            let staged = out.staging().to_path_buf();
            match tamper {
                "add" => std::fs::write(staged.join("tinh/extra.html"), b"x").unwrap(),
                "remove" => std::fs::remove_file(staged.join("tinh/index.html")).unwrap(),
                _ => std::fs::write(staged.join("tinh/index.html"), b"unit, longer").unwrap(),
            }
            let e = out.commit().unwrap_err();
            assert!(e.to_string().contains("không khớp"), "{tamper}: {e}");
            assert_eq!(read(&target.join("index.html")), "first", "{tamper}");
            assert!(!staged.exists(), "{tamper}: staging folder left");
        }
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
            let (stats, _) = out.commit().unwrap();
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
