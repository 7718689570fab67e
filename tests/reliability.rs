//! Never lose the published site (issue #28): builds of one output at the same time, an
//! output folder that is a link or that holds someone else's files, a full disk. Every
//! case runs the real binary as separate processes on real folders and links.

mod common;
use common::*;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

/// A site big enough for two builds to overlap: a catalogue of `procs` procedures adopted
/// by `communes` communes (each writes every page, its noticeboard and open data).
fn site(communes: usize, procs: usize) -> Site {
    let s = Site::new();
    s.write(
        "content/tinh/_unit.toml",
        &unit_toml("Tỉnh Thử", "tinh", ""),
    );
    for i in 0..procs {
        s.write(
            &format!("content/_catalog/p{i}.md"),
            &procedure_md(&format!("1.{i:06}"), &format!("Thủ tục số {i}"), ""),
        );
    }
    for i in 0..communes {
        s.write(
            &format!("content/tinh/xa-{i}/_unit.toml"),
            &unit_toml(&format!("Xã {i}"), "xa", "adopt_levels = [\"xa\"]"),
        );
    }
    s
}

fn spawn_build(root: &Path, out: &Path, extra: &[&str]) -> Child {
    Command::new(env!("CARGO_BIN_EXE_niemyet"))
        .args(["build", "--today", "2026-11-23", "--root"])
        .arg(root)
        .arg("--out")
        .arg(out)
        .args(extra)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run niemyet")
}

fn finish(c: Child) -> Run {
    Run::from(c.wait_with_output().expect("wait"))
}

/// Every entry (file, folder, link) in `dir`, to see that nothing was added, changed or
/// removed beside an output.
fn entries(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    v
}

/// Everything under `dir`, links as what they point to, files with their bytes.
fn tree(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut v: Vec<(String, Vec<u8>)> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .map(|e| {
            let rel = e
                .path()
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            let t = e.file_type();
            let what = if t.is_symlink() {
                let to = std::fs::read_link(e.path()).unwrap();
                format!("-> {}", to.display()).into_bytes()
            } else if t.is_file() {
                std::fs::read(e.path()).unwrap()
            } else {
                b"<dir>".to_vec()
            };
            (rel, what)
        })
        .collect();
    v.sort();
    v
}

/// Staging and old folders of builds beside `out`.
fn leftovers(out: &Path) -> Vec<String> {
    let name = out.file_name().unwrap().to_string_lossy().into_owned();
    entries(out.parent().unwrap())
        .into_iter()
        .filter(|n| n.starts_with(&format!(".{name}.niemyet-")))
        .collect()
}

/// A cron job and a webmaster build the same site into the same folder at the same time,
/// three rounds: with no output yet, then over an output after an edit each time. Both
/// builds exit 0, and the output is file for file, byte for byte, what one build writes
/// on its own; nothing is left beside it, and the fingerprint describes what is there
/// (the next build has nothing to do).
#[test]
fn two_builds_into_one_folder_at_once_leave_a_whole_site() {
    let s = site(40, 30);
    let out = s.path().join("www");
    let fresh = s.path().join("fresh");
    let mut waited = 0;
    for round in 0..3 {
        match round {
            0 => {}
            1 => {
                s.write(
                    "content/_catalog/new.md",
                    &procedure_md("2.000001", "Thủ tục mới", ""),
                );
            }
            _ => {
                std::fs::remove_dir_all(s.path().join("content/tinh/xa-7")).unwrap();
            }
        }
        let a = spawn_build(s.path(), &out, &[]);
        let b = spawn_build(s.path(), &out, &[]);
        let (a, b) = (finish(a), finish(b));
        for (who, r) in [("first", &a), ("second", &b)] {
            assert_eq!(r.code, Some(0), "round {round}, {who} build:\n{}", r.stderr);
        }
        if format!("{}{}", a.stderr, b.stderr).contains("đang chờ bản dựng khác") {
            waited += 1;
        }
        let r = Run::from(
            Command::new(env!("CARGO_BIN_EXE_niemyet"))
                .args(["build", "-q", "--force", "--today", "2026-11-23", "--root"])
                .arg(s.path())
                .arg("--out")
                .arg(&fresh)
                .output()
                .unwrap(),
        );
        r.ok();
        let (got, want) = (snapshot(&out), snapshot(&fresh));
        let (gn, wn): (Vec<&String>, Vec<&String>) = (
            got.iter().map(|f| &f.0).collect(),
            want.iter().map(|f| &f.0).collect(),
        );
        assert_eq!(gn, wn, "round {round}: the files differ from one build's");
        assert!(got == want, "round {round}: bytes differ from one build's");
        assert!(wn.len() > 1000, "{} files", wn.len());
        assert_eq!(leftovers(&out), Vec::<String>::new(), "round {round}");
        let again = finish(spawn_build(s.path(), &out, &[]));
        again.ok();
        assert!(
            again
                .stderr
                .contains("không có gì thay đổi từ lần dựng trước"),
            "round {round}: the fingerprint does not describe the output:\n{}",
            again.stderr
        );
    }
    assert!(
        waited > 0,
        "in no round did one build wait for the other: the test did not make them overlap"
    );
}

/// `--no-wait`: a second build while one writes the output stops at once with exit 4 and
/// says why; the first finishes and its output is whole.
#[test]
fn a_second_build_with_no_wait_stops_and_the_first_finishes() {
    let s = site(60, 30);
    let out = s.path().join("public");
    let a = spawn_build(s.path(), &out, &["-q"]);
    // The first build holds the lock once its staging folder exists.
    let start = std::time::Instant::now();
    while leftovers(&out).is_empty() {
        assert!(
            start.elapsed() < std::time::Duration::from_secs(120),
            "no staging folder"
        );
        std::thread::sleep(std::time::Duration::from_millis(2));
    }
    let b = finish(spawn_build(s.path(), &out, &["--no-wait"]));
    let a = finish(a);
    a.ok();
    assert_eq!(b.code, Some(4), "{}", b.stderr);
    assert!(
        b.stderr.contains("một bản dựng khác đang ghi vào") && b.stderr.contains("--no-wait"),
        "{}",
        b.stderr
    );
    assert!(s.exists("tinh/xa-59/1.000029/index.html"));
    assert!(s.path().join(".public.niemyet.output").is_file());
    assert_eq!(leftovers(&out), Vec::<String>::new());
}

/// `--out` is a link to the web server's folder. When that folder holds files niemyet did
/// not write, the build refuses and touches nothing; once it is empty, the build writes
/// into it, again and again, and the link stays a link to it. Files beside the real folder
/// are never touched.
#[cfg(unix)]
#[test]
fn an_output_folder_behind_a_link_is_written_in_place_and_never_emptied() {
    use std::os::unix::fs::symlink;
    let s = site(3, 4);
    let srv = tempfile::tempdir().unwrap();
    let www = srv.path().join("www");
    std::fs::create_dir_all(&www).unwrap();
    std::fs::write(www.join("index.php"), "<?php phpinfo();").unwrap();
    std::fs::create_dir_all(srv.path().join("other-site")).unwrap();
    std::fs::write(srv.path().join("other-site/index.html"), "khác").unwrap();
    let link = s.path().join("public");
    symlink(&www, &link).unwrap();
    let before = tree(srv.path());

    let r = s.build(&[]);
    assert_eq!(r.code, Some(2), "{}", r.stderr);
    assert!(
        r.stderr.contains(&www.display().to_string()) && r.stderr.contains("không viết ra"),
        "{}",
        r.stderr
    );
    assert!(
        tree(srv.path()) == before,
        "the web server's folder changed"
    );
    assert!(std::fs::symlink_metadata(&link).unwrap().is_symlink());

    // Emptied by its owner, the folder is niemyet's to write.
    std::fs::remove_file(www.join("index.php")).unwrap();
    for round in 0..2 {
        let r = s.build(&[]);
        r.ok();
        assert!(r.stderr.contains("liên kết tượng trưng"), "{}", r.stderr);
        assert!(std::fs::symlink_metadata(&link).unwrap().is_symlink());
        assert_eq!(std::fs::read_link(&link).unwrap(), www, "round {round}");
        assert!(www.join("tinh/xa-2/1.000003/index.html").is_file());
        assert_eq!(
            std::fs::read_to_string(srv.path().join("other-site/index.html")).unwrap(),
            "khác"
        );
        let names = entries(srv.path());
        assert!(
            names.iter().all(|n| [
                "www",
                "other-site",
                ".www.niemyet.lock",
                ".www.niemyet.output",
                ".www.fingerprint"
            ]
            .contains(&n.as_str())),
            "round {round}: {names:?}"
        );
        s.write(
            "content/_catalog/moi.md",
            &procedure_md(&format!("3.00000{round}"), "Mới", ""),
        );
    }
    // A link to nothing is refused, and nothing is made at its end.
    std::fs::remove_file(&link).unwrap();
    symlink(srv.path().join("gone"), &link).unwrap();
    let r = s.build(&[]);
    assert_eq!(r.code, Some(2), "{}", r.stderr);
    assert!(r.stderr.contains("không tồn tại"), "{}", r.stderr);
    assert!(!srv.path().join("gone").exists());
}

/// Every `--out` a build must not replace is refused with exit 2, a message in Vietnamese
/// naming the folder and what to do, and nothing made, changed or removed anywhere.
#[test]
fn output_folders_that_are_not_the_builds_own_are_refused() {
    let outer = tempfile::tempdir().unwrap();
    let s = Site {
        dir: tempfile::tempdir_in(outer.path()).unwrap(),
    };
    s.write("site.toml", SITE_TOML);
    s.write(
        "content/tinh/_unit.toml",
        &unit_toml("Tỉnh Thử", "tinh", "adopt = [\"1.000001\"]"),
    );
    s.write(
        "content/_catalog/a.md",
        &procedure_md("1.000001", "Thủ tục", ""),
    );
    std::fs::create_dir_all(s.path().join("themes/khac")).unwrap();
    let foreign = outer.path().join("tai-lieu");
    std::fs::create_dir_all(&foreign).unwrap();
    std::fs::write(foreign.join("bao-cao.docx"), "báo cáo").unwrap();
    let root = s.path().to_path_buf();
    let cases: Vec<(&str, PathBuf, Option<PathBuf>, &str)> = vec![
        (
            ".",
            PathBuf::from("."),
            Some(root.clone()),
            "thư mục hiện tại",
        ),
        ("the site", root.clone(), None, "chứa cả trang"),
        (
            "above the site",
            outer.path().to_path_buf(),
            None,
            "chứa cả trang",
        ),
        ("the root folder", PathBuf::from("/"), None, "chứa cả trang"),
        ("content/", root.join("content"), None, "content/"),
        (
            "inside content/",
            root.join("content/tinh/moi"),
            None,
            "content/",
        ),
        ("themes/", root.join("themes/khac"), None, "themes/"),
        ("someone's folder", foreign.clone(), None, "không viết ra"),
        (
            "a file",
            root.join("site.toml"),
            None,
            "không phải là thư mục",
        ),
    ];
    for (what, out, cwd, says) in cases {
        let before = tree(outer.path());
        let mut c = Command::new(env!("CARGO_BIN_EXE_niemyet"));
        c.args(["build", "--today", "2026-11-23", "--root"])
            .arg(&root)
            .arg("--out")
            .arg(&out);
        if let Some(dir) = cwd {
            c.current_dir(dir);
        }
        let r = Run::from(c.output().unwrap());
        assert_eq!(r.code, Some(2), "{what}: {}", r.stderr);
        assert!(r.stderr.contains(says), "{what}: {}", r.stderr);
        assert!(
            r.stderr.contains(&format!("--out {}", out.display())),
            "{what}: the folder is not named: {}",
            r.stderr
        );
        assert!(
            r.stderr.contains("--out public") || r.stderr.contains("chọn một thư mục"),
            "{what}: no way out is shown: {}",
            r.stderr
        );
        assert!(!r.stderr.contains("panicked"), "{}", r.stderr);
        assert!(tree(outer.path()) == before, "{what}: something changed");
    }
    // The default, public/ inside the site, is the build's own.
    s.build(&[]).ok();
}

/// A symbolic link as `site.toml` (kept in another folder): editing the file it names is
/// an edit of the site, and the next build writes it, not "nothing changed".
#[cfg(unix)]
#[test]
fn editing_the_file_a_linked_site_toml_names_rebuilds() {
    let s = site(1, 2);
    let away = tempfile::tempdir().unwrap();
    let real = away.path().join("site.toml");
    std::fs::write(&real, SITE_TOML).unwrap();
    s.remove("site.toml");
    std::os::unix::fs::symlink(&real, s.path().join("site.toml")).unwrap();
    s.build(&[]).ok();
    assert!(s
        .page("index.html")
        .contains("Thủ tục hành chính thử nghiệm"));
    std::fs::write(&real, SITE_TOML.replace("thử nghiệm", "tỉnh Thử, đã sửa")).unwrap();
    let r = s.build(&[]);
    r.ok();
    assert!(!r.stderr.contains("không có gì thay đổi"), "{}", r.stderr);
    assert!(s.page("index.html").contains("tỉnh Thử, đã sửa"));
}

/// Whether this machine lets a test mount a small file system of its own (a user and
/// mount namespace, `unshare -rm`). In CI (`CI=true`) it must; elsewhere the test says
/// loudly that it was skipped.
fn private_mounts() -> bool {
    let ok = Command::new("unshare")
        .args(["-rm", "sh", "-c", "mount -t tmpfs -o size=64k tmpfs /mnt"])
        .output()
        .is_ok_and(|o| o.status.success());
    let ci = std::env::var("CI").is_ok_and(|v| v == "true" || v == "1");
    if !ok {
        let why = "the full-disk test needs `unshare -rm` (user and mount namespaces) to mount a small tmpfs";
        if ci {
            panic!("{why}: not available in CI");
        }
        eprintln!("\n!!!!!!!! SKIPPED FULL-DISK TEST: {why} !!!!!!!!\n");
    }
    ok
}

/// The disk fills up while a build writes: it stops with "hết chỗ trên đĩa" naming the
/// file, exit 1, not "errors in the content"; the previous output is whole, byte for
/// byte, and no staging folder is left to fill the disk further. Run on a 1 MB tmpfs in a
/// private mount namespace.
#[cfg(target_os = "linux")]
#[test]
fn a_full_disk_is_reported_as_such_and_the_previous_output_stays() {
    if !private_mounts() {
        return;
    }
    let small = site(1, 2);
    let big = site(40, 30);
    let work = tempfile::tempdir().unwrap();
    let mnt = work.path().join("mnt");
    std::fs::create_dir_all(&mnt).unwrap();
    let keep = work.path().join("keep");
    std::fs::create_dir_all(&keep).unwrap();
    let script = r#"
        set -e
        mount -t tmpfs -o size=1m tmpfs "$MNT"
        "$BIN" build -q --today 2026-11-23 --root "$SMALL" --out "$MNT/public"
        set +e
        "$BIN" build --today 2026-11-23 --root "$BIG" --out "$MNT/public" 2> "$KEEP/stderr"
        echo "exit=$?"
        set -e
        cp -a "$MNT/public" "$KEEP/after"
        ls -a "$MNT"
    "#;
    let o = Command::new("unshare")
        .args(["-rm", "sh", "-c", script])
        .env("MNT", &mnt)
        .env("BIN", env!("CARGO_BIN_EXE_niemyet"))
        .env("SMALL", small.path())
        .env("BIG", big.path())
        .env("KEEP", &keep)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert!(
        o.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let stderr = std::fs::read_to_string(keep.join("stderr")).unwrap();
    assert!(stdout.contains("exit=1"), "{stdout}\n{stderr}");
    assert!(stderr.contains("hết chỗ trên đĩa khi ghi"), "{stderr}");
    assert!(stderr.contains("vẫn là bản trước"), "{stderr}");
    assert!(!stderr.contains("in the content"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    let beside: Vec<&str> = stdout
        .lines()
        .filter(|l| !l.starts_with("exit=") && *l != "." && *l != "..")
        .collect();
    assert_eq!(
        beside,
        [".public.niemyet.lock", ".public.niemyet.output", "public"],
        "{stdout}"
    );
    // The output is the small site's, as a build of it on its own writes it.
    let reference = work.path().join("reference");
    let r = Run::from(
        Command::new(env!("CARGO_BIN_EXE_niemyet"))
            .args(["build", "-q", "--today", "2026-11-23", "--root"])
            .arg(small.path())
            .arg("--out")
            .arg(&reference)
            .output()
            .unwrap(),
    );
    r.ok();
    assert!(snapshot(&keep.join("after")) == snapshot(&reference));
}
