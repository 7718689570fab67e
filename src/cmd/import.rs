//! `niemyet import dvcqg`: turns the national procedure database's text export into
//! procedure files under the site's `content/` (see `docs/import.md`).
//!
//! The target must lie inside `content/`: the importer replaces the files it owns there, and
//! anywhere else the site would never read them (or, worse, they could land in `themes/` or
//! the output folder).

use crate::diag::{say, word, Severity};
use crate::import::{dvcqg, ImportReport};
use std::path::{Component, Path, PathBuf};

/// What `import dvcqg` is asked to do.
#[derive(Debug, Clone)]
pub struct ImportArgs {
    /// Export files or folders (walked for `*.txt`).
    pub inputs: Vec<PathBuf>,
    /// The site folder.
    pub root: PathBuf,
    /// The target folder, relative to `root` (or absolute), inside `root/content/`.
    pub into: PathBuf,
    /// Replace existing files whose front matter can not be read.
    pub force: bool,
}

/// Resolves `--into` against `--root` and makes sure it lies inside `content/`. Checked on
/// the path's components (no `..`), and, for the part that already exists, on the real path,
/// so a symbolic link can not lead the import out of the site either.
fn target(root: &Path, into: &Path) -> Result<PathBuf, String> {
    let refuse = || {
        say(
            format!("--into {}: thư mục đích phải nằm trong content/ của trang (ví dụ content/_catalog/dvcqg)", into.display()),
            format!("--into {}: the target must be a folder inside the site's content/ (e.g. content/_catalog/dvcqg)", into.display()),
        )
    };
    let abs = |p: &Path| -> PathBuf {
        if p.is_absolute() {
            p.to_path_buf()
        } else {
            std::env::current_dir().unwrap_or_default().join(p)
        }
    };
    let root = abs(root);
    let content = root.join("content");
    let target = if into.is_absolute() {
        into.to_path_buf()
    } else {
        root.join(into)
    };
    if target
        .components()
        .any(|c| matches!(c, Component::ParentDir))
    {
        return Err(refuse());
    }
    let rel = target.strip_prefix(&content).map_err(|_| refuse())?;
    if rel.as_os_str().is_empty() {
        return Err(refuse());
    }
    // The deepest existing ancestor must still be inside the real content/ folder.
    let real_content = content.canonicalize().map_err(|e| {
        say(
            format!(
                "{}: {e}: --root có phải thư mục của trang (nơi có site.toml và content/) không?",
                content.display()
            ),
            format!(
                "{}: {e}: is --root the site folder (holding site.toml and content/)?",
                content.display()
            ),
        )
    })?;
    let mut existing = target.as_path();
    while !existing.exists() {
        match existing.parent() {
            Some(p) => existing = p,
            None => break,
        }
    }
    let real = existing
        .canonicalize()
        .map_err(|e| format!("{}: {e}", existing.display()))?;
    if !real.starts_with(&real_content) {
        return Err(refuse());
    }
    if target.exists() && !target.is_dir() {
        return Err(say(
            format!("--into {}: không phải thư mục", into.display()),
            format!("--into {}: not a folder", into.display()),
        ));
    }
    Ok(target)
}

/// Prints the report: every error as `file:line: message` on stderr, then the counts.
fn print_report(report: &ImportReport) {
    for e in &report.errors {
        eprintln!("{e}");
    }
    for (file, keys) in &report.replaced {
        let keys = keys
            .iter()
            .map(|k| format!("`{k}`"))
            .collect::<Vec<_>>()
            .join(", ");
        eprintln!(
            "{}",
            say(
                format!("{}: đã thay {keys} bằng giá trị của dữ liệu quốc gia (lần nhập quản lý các khóa này, nên sửa tay ở đó không được giữ; muốn đổi cho đơn vị mình, dùng tệp ghi đè: niemyet new procedure ĐƠN_VỊ MÃ)", file.display()),
                format!("{}: replaced {keys} with the national data's values (the import owns these keys, so hand edits there are not kept; to change them for a unit, use an override file: niemyet new procedure UNIT CODE)", file.display()),
            )
        );
    }
    let (a, c, u, s) = (
        report.added,
        report.changed,
        report.unchanged,
        report.skipped,
    );
    eprintln!(
        "{}",
        say(
            format!("thêm mới {a}, thay đổi {c}, không đổi {u}, bỏ qua {s}"),
            format!("added {a}, changed {c}, unchanged {u}, skipped {s}"),
        )
    );
}

/// Runs the import; returns the process exit code: 0 when records were imported (even if
/// some were skipped), 1 when every record failed, 2 on usage errors.
pub fn run(args: &ImportArgs) -> i32 {
    let into = match target(&args.root, &args.into) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("{}: {e}", word(Severity::Error));
            return 2;
        }
    };
    let report = match dvcqg::run(&args.inputs, &into, args.force) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("{}: {e}", word(Severity::Error));
            return 2;
        }
    };
    print_report(&report);
    let imported = report.added + report.changed + report.unchanged;
    if imported == 0 {
        eprintln!(
            "{}: {}",
            word(Severity::Error),
            say("không nhập được bản ghi nào", "no record was imported")
        );
        return 1;
    }
    if report.skipped > 0 {
        let n = report.skipped;
        eprintln!(
            "{}: {}",
            word(Severity::Warning),
            say(
                format!("bỏ qua {n} bản ghi (xem ở trên); các bản ghi khác đã được nhập"),
                format!("{n} record(s) skipped (see above); the others were imported"),
            )
        );
    }
    0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn target_must_be_inside_content() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("content/_catalog")).unwrap();
        let ok = target(dir.path(), Path::new("content/_catalog/dvcqg")).unwrap();
        assert!(ok.ends_with("content/_catalog/dvcqg"));
        for bad in [
            "content",
            "public",
            "themes/default",
            "content/../public",
            "/tmp/elsewhere",
        ] {
            assert!(target(dir.path(), Path::new(bad)).is_err(), "{bad}");
        }
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink("/tmp", dir.path().join("content/out")).unwrap();
            assert!(target(dir.path(), Path::new("content/out/x")).is_err());
        }
    }
}
