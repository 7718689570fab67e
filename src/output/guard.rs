//! What keeps a build from losing the published site: the lock that lets one build of an
//! output run at a time, the marker beside an output that says the folder is niemyet's to
//! replace, and the count of a staging folder checked before it is swapped in.

use super::parent_of;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// What the marker beside an output says to a person who opens it; the folder's identity
/// follows on the next line.
const MARKER_TEXT: &str = "niemyet build: the folder beside this file is niemyet's output, replaced whole by every build (keep no files of your own in it). Thư mục bên cạnh tệp này do niemyet viết ra, mỗi lần dựng được thay toàn bộ.\n";

/// The marker beside an output folder (`.<name>.niemyet.output`): written after each
/// swap with the identity (device and inode) of the folder swapped in, it tells the next
/// build that the folder at that path is the one niemyet wrote, so it may replace it.
/// Beside the output, never inside it: the published folder holds only the site.
pub fn marker_path(target: &Path) -> PathBuf {
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "public".into());
    target.with_file_name(format!(".{name}.niemyet.output"))
}

/// The identity of a folder (device, inode) as the marker writes it; `0 0` where the
/// system has none to give.
fn identity(m: &std::fs::Metadata) -> String {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        format!("{} {}", m.dev(), m.ino())
    }
    #[cfg(not(unix))]
    {
        let _ = m;
        "0 0".to_owned()
    }
}

/// Records that the folder now at `target` is niemyet's output.
pub(super) fn write_marker(target: &Path) -> io::Result<()> {
    let m = std::fs::symlink_metadata(target)?;
    let path = marker_path(target);
    let mut tmp = path.clone().into_os_string();
    tmp.push(".tmp");
    std::fs::write(&tmp, format!("{MARKER_TEXT}{}\n", identity(&m)))?;
    std::fs::rename(&tmp, &path)
}

/// Whether `dir` is an output niemyet wrote: the marker beside it names this very
/// folder (a folder removed and made again, or another one moved there, is not niemyet's
/// any more); or it is an output of a niemyet from before the marker, or copied from
/// elsewhere: the build fingerprint is beside it, or it holds the folders and pages only
/// niemyet writes (`tthc/`, `tim-kiem/index.html`, `index.html`).
pub fn is_niemyet_output(dir: &Path) -> bool {
    let Ok(m) = std::fs::symlink_metadata(dir) else {
        return false;
    };
    if !m.is_dir() {
        return false;
    }
    let marked = std::fs::read_to_string(marker_path(dir))
        .is_ok_and(|text| text.lines().nth(1) == Some(identity(&m).as_str()));
    if marked {
        return true;
    }
    let name = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let fingerprint = dir.with_file_name(format!(".{name}.fingerprint"));
    let real_dir = |p: PathBuf| std::fs::symlink_metadata(p).is_ok_and(|m| m.is_dir());
    let real_file = |p: PathBuf| std::fs::symlink_metadata(p).is_ok_and(|m| m.is_file());
    real_file(fingerprint)
        || (real_dir(dir.join("tthc"))
            && real_file(dir.join("tim-kiem/index.html"))
            && real_file(dir.join("index.html")))
}

/// Whether `dir` is a folder with nothing in it.
pub fn is_empty_dir(dir: &Path) -> bool {
    std::fs::read_dir(dir).is_ok_and(|mut rd| rd.next().is_none())
}

/// The lock that keeps two builds of one output apart: `flock` on a file beside the
/// output (`.<name>.niemyet.lock`), released when the build ends, however it ends (the
/// kernel drops it with the process). The file stays: removing a lock file while another
/// build waits on it would let a third build take a new one.
pub struct OutputLock {
    file: std::fs::File,
}

/// Another build holds the lock (its process id, when it wrote one).
#[derive(Debug, Clone, Copy)]
pub struct Busy(pub Option<u32>);

impl OutputLock {
    /// The lock file of an output folder.
    pub fn path_for(target: &Path) -> PathBuf {
        let name = target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "public".into());
        target.with_file_name(format!(".{name}.niemyet.lock"))
    }

    /// Takes the lock of `target`'s output. When another build holds it, `waiting` is
    /// called once with that build's process id; then, if `wait`, this waits for it,
    /// else it returns [`Busy`].
    pub fn acquire(
        target: &Path,
        wait: bool,
        waiting: impl FnOnce(Option<u32>),
    ) -> io::Result<Result<OutputLock, Busy>> {
        use std::fs::TryLockError;
        use std::io::{Read, Seek};
        let path = Self::path_for(target);
        if let Some(parent) = parent_of(&path) {
            std::fs::create_dir_all(parent)?;
        }
        let mut options = std::fs::OpenOptions::new();
        options.read(true).write(true).create(true).truncate(false);
        #[cfg(target_os = "linux")]
        {
            use std::os::unix::fs::OpenOptionsExt;
            // A link planted in its place is not followed.
            options.custom_flags(libc::O_NOFOLLOW);
        }
        let mut file = options.open(&path)?;
        match file.try_lock() {
            Ok(()) => {}
            Err(TryLockError::WouldBlock) => {
                let mut text = String::new();
                let _ = file.read_to_string(&mut text);
                let pid = text.trim().parse().ok();
                waiting(pid);
                if !wait {
                    return Ok(Err(Busy(pid)));
                }
                file.lock()?;
                file.rewind()?;
            }
            Err(TryLockError::Error(e)) => return Err(e),
        }
        // Who holds it, for the message of a build that waits.
        file.set_len(0)?;
        write!(file, "{}", std::process::id())?;
        Ok(Ok(OutputLock { file }))
    }
}

impl Drop for OutputLock {
    fn drop(&mut self) {
        let _ = self.file.set_len(0);
        let _ = self.file.unlock();
    }
}

/// Regular files under a folder and their bytes, and the entries that are neither
/// regular files nor folders (links, pipes…), counted without following links.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TreeState {
    pub files: u64,
    pub bytes: u64,
    pub others: u64,
}

/// [`TreeState`] of `dir`, folders walked in parallel; an entry that cannot be read is
/// an error.
pub fn tree_state(dir: &Path) -> io::Result<TreeState> {
    #[cfg(target_os = "linux")]
    {
        use rustix::fs::{open, Mode, OFlags};
        let fd = open(
            dir,
            OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC,
            Mode::empty(),
        )?;
        Ok(tree_state_at(fd)?)
    }
    #[cfg(not(target_os = "linux"))]
    tree_state_by_path(dir)
}

impl std::ops::Add for TreeState {
    type Output = TreeState;
    fn add(self, b: TreeState) -> TreeState {
        TreeState {
            files: self.files + b.files,
            bytes: self.bytes + b.bytes,
            others: self.others + b.others,
        }
    }
}

/// [`tree_state`] of the open folder `fd`: its entries read with their types
/// (`getdents`), a file's size asked relative to the folder, a subfolder opened relative
/// to it, each folder opened once. By whole paths (`std::fs::read_dir`), the kernel looked
/// up every parent of each of the tens of thousands of folders again, and the listing
/// opened each folder twice: 138-145 ms for the 20k benchmark's output (21,715 files in
/// 20,807 folders), 98-116 ms this way (both on a loaded machine, `examples`-style timing
/// of `tree_state` alone).
#[cfg(target_os = "linux")]
fn tree_state_at(fd: rustix::fd::OwnedFd) -> rustix::io::Result<TreeState> {
    use rayon::prelude::*;
    use rustix::fs::{openat, statat, AtFlags, Dir, FileType, Mode, OFlags};
    // The listing owns the folder's descriptor (`read_from` would open it once more).
    let mut listing = Dir::new(fd)?;
    let mut entries = Vec::new();
    while let Some(e) = listing.read() {
        let e = e?;
        let name = e.file_name();
        if name.to_bytes() != b"." && name.to_bytes() != b".." {
            entries.push((name.to_owned(), e.file_type()));
        }
    }
    let fd = listing.fd()?;
    let mut here = TreeState::default();
    let mut dirs = Vec::new();
    for (name, kind) in entries {
        let kind = match kind {
            // A file system that does not tell types in its listing.
            FileType::Unknown => {
                FileType::from_raw_mode(statat(fd, &name, AtFlags::SYMLINK_NOFOLLOW)?.st_mode)
            }
            k => k,
        };
        match kind {
            FileType::Directory => dirs.push(name),
            FileType::RegularFile => {
                here.files += 1;
                here.bytes += statat(fd, &name, AtFlags::SYMLINK_NOFOLLOW)?.st_size as u64;
            }
            _ => here.others += 1,
        }
    }
    let below = dirs
        .par_iter()
        .map(|name| {
            let sub = openat(
                fd,
                name.as_c_str(),
                OFlags::RDONLY | OFlags::DIRECTORY | OFlags::NOFOLLOW | OFlags::CLOEXEC,
                Mode::empty(),
            )?;
            tree_state_at(sub)
        })
        .try_reduce(TreeState::default, |a, b| Ok(a + b))?;
    Ok(here + below)
}

/// [`tree_state`] by paths, where folders cannot be opened relative to each other.
#[cfg(not(target_os = "linux"))]
fn tree_state_by_path(dir: &Path) -> io::Result<TreeState> {
    use rayon::prelude::*;
    let entries: Vec<std::fs::DirEntry> = std::fs::read_dir(dir)?.collect::<io::Result<_>>()?;
    entries
        .par_iter()
        .map(|e| {
            let t = e.file_type()?;
            if t.is_dir() {
                tree_state_by_path(&e.path())
            } else if t.is_file() {
                Ok(TreeState {
                    files: 1,
                    bytes: e.metadata()?.len(),
                    others: 0,
                })
            } else {
                Ok(TreeState {
                    others: 1,
                    ..TreeState::default()
                })
            }
        })
        .try_reduce(TreeState::default, |a, b| Ok(a + b))
}

/// Whether an error means the disk (or the user's quota) is full.
pub fn is_disk_full(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::StorageFull | io::ErrorKind::QuotaExceeded
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Files and their bytes at any depth, empty folders, and a link and a pipe counted
    /// apart, never followed.
    #[cfg(unix)]
    #[test]
    fn the_tree_state_counts_files_bytes_and_other_entries() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("out");
        let mut bytes = 0;
        for i in 0..50u64 {
            let p = root.join(format!("tinh/xa-{}/{i}/index.html", i % 7));
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(&p, vec![b'x'; i as usize * 3]).unwrap();
            bytes += i * 3;
        }
        std::fs::create_dir_all(root.join("empty/deeper")).unwrap();
        let outside = tmp.path().join("big");
        std::fs::write(&outside, vec![0u8; 1 << 20]).unwrap();
        std::os::unix::fs::symlink(&outside, root.join("tinh/link.html")).unwrap();
        std::os::unix::fs::symlink(tmp.path(), root.join("loop")).unwrap();
        let fifo = root.join("tinh/xa-1/pipe");
        assert!(std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .is_ok_and(|s| s.success()));
        assert_eq!(
            tree_state(&root).unwrap(),
            TreeState {
                files: 50,
                bytes,
                others: 3
            }
        );
        assert!(tree_state(&tmp.path().join("missing")).is_err());
    }

    /// One build of an output at a time: the second finds it busy (or waits), and gets it
    /// once the first is done.
    #[test]
    fn the_output_lock_is_held_by_one_build_at_a_time() {
        let tmp = tempfile::tempdir().unwrap();
        let target = tmp.path().join("public");
        let first = OutputLock::acquire(&target, false, |_| panic!("free"))
            .unwrap()
            .unwrap();
        let mut seen = None;
        let busy = OutputLock::acquire(&target, false, |pid| seen = Some(pid)).unwrap();
        assert!(busy.is_err());
        assert_eq!(seen, Some(Some(std::process::id())));
        let waiter = std::thread::spawn({
            let target = target.clone();
            move || {
                let t = std::time::Instant::now();
                let lock = OutputLock::acquire(&target, true, |_| {}).unwrap().unwrap();
                drop(lock);
                t.elapsed()
            }
        });
        std::thread::sleep(std::time::Duration::from_millis(300));
        drop(first);
        assert!(waiter.join().unwrap() >= std::time::Duration::from_millis(250));
        assert!(OutputLock::acquire(&target, false, |_| panic!("free"))
            .unwrap()
            .is_ok());
    }
}
