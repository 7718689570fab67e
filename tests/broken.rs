//! The broken-site corpus: every folder under `tests/broken/` (except `_base`) is a site
//! laid over `tests/broken/_base/` (a valid site), with an `expect.toml` saying what
//! `niemyet check` and `niemyet build` must do with it: the exit code (1 for content
//! errors, never 101, a panic), the diagnostic lines (severity, where: file and line where
//! there is one, and the words they must contain, such as the key), and, on success, the
//! pages written. A failed build must write nothing. Inputs too big or too odd to commit
//! (huge files, deep nesting, symbolic links) are generated at test time.

mod common;
use common::*;
use serde::Deserialize;
use std::path::Path;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Expect {
    /// What the case shows (for people reading the corpus).
    #[allow(dead_code)]
    about: String,
    exit: i32,
    /// Lay the case over `_base` (default).
    #[serde(default = "yes")]
    base: bool,
    /// Files or folders of `_base` to remove.
    #[serde(default)]
    remove: Vec<String>,
    /// Inputs made at test time.
    #[serde(default)]
    generate: Vec<String>,
    /// Output files a successful build must write.
    #[serde(default)]
    pages: Vec<String>,
    #[serde(default)]
    diag: Vec<Diag>,
}

fn yes() -> bool {
    true
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Diag {
    severity: String,
    /// The start of the line: `path:line:` (or just the path when the problem is the
    /// whole file).
    loc: String,
    has: Vec<String>,
}

const UNIT_A: &str = "content/tinh/xa-a";

/// Makes what a case's `generate` list names.
fn generate(what: &str, site: &Site, outside: &Path) {
    let root = site.path();
    match what {
        "huge-file" => {
            // Valid front matter, then a body larger than the 8 MiB limit.
            let mut text = std::fs::read_to_string(root.join(UNIT_A).join("a.md"))
                .unwrap()
                .replace("1.000001", "1.000009");
            let line = "Bước: nộp hồ sơ tại Bộ phận một cửa của Ủy ban nhân dân xã.\n";
            while text.len() < 9 * 1024 * 1024 {
                text.push_str(line);
            }
            site.write(&format!("{UNIT_A}/huge.md"), &text);
        }
        "deep-toml" => {
            let n = 100_000;
            let text = format!("x = {}{}\n", "[".repeat(n), "]".repeat(n));
            site.write(&format!("{UNIT_A}/deep.toml"), &text);
        }
        "deep-units" => {
            let mut dir = String::from("content/tinh");
            for i in 0..40 {
                dir.push_str(&format!("/xa-{i}"));
                site.write(
                    &format!("{dir}/_unit.toml"),
                    &unit_toml(&format!("Xã {i}"), "xa", "adopt = [\"2.000001\"]"),
                );
            }
        }
        "symlink-procedure-out" => {
            let target = outside.join("b.md");
            std::fs::write(&target, procedure_md("1.000002", "Ngoài", "")).unwrap();
            std::os::unix::fs::symlink(&target, root.join(UNIT_A).join("b.md")).unwrap();
        }
        "symlink-unit-out" => {
            let target = outside.join("xa-z");
            std::fs::create_dir_all(&target).unwrap();
            std::fs::write(target.join("_unit.toml"), unit_toml("Xã Z", "xa", "")).unwrap();
            std::os::unix::fs::symlink(&target, root.join("content/tinh/xa-z")).unwrap();
        }
        "symlink-form-out" => {
            let target = outside.join("secret.pdf");
            std::fs::write(&target, b"%PDF-1.4 not for publishing").unwrap();
            std::os::unix::fs::symlink(&target, root.join(UNIT_A).join("mau.pdf")).unwrap();
        }
        "long-unit-folder" => {
            // 248 bytes: a folder name file systems take, but the unit's search index
            // file, `tinh.<folder>.js`, would be 256.
            let dir = format!("content/tinh/xa-{}", "a".repeat(245));
            site.write(
                &format!("{dir}/_unit.toml"),
                &unit_toml("Xã Dài", "xa", "adopt = [\"2.000001\"]"),
            );
        }
        "fifo-procedure" => {
            let p = root.join(UNIT_A).join("b.md");
            let made = std::process::Command::new("mkfifo").arg(&p).status();
            assert!(made.is_ok_and(|s| s.success()), "mkfifo");
        }
        other => panic!("unknown generator `{other}`"),
    }
}

/// Runs one case; returns what went wrong.
fn run_case(dir: &Path) -> Vec<String> {
    let name = dir.file_name().unwrap().to_string_lossy().into_owned();
    let expect: Expect = toml::from_str(
        &std::fs::read_to_string(dir.join("expect.toml"))
            .unwrap_or_else(|e| panic!("{name}/expect.toml: {e}")),
    )
    .unwrap_or_else(|e| panic!("{name}/expect.toml: {e}"));
    let site = Site {
        dir: tempfile::tempdir().unwrap(),
    };
    // Things "outside content/" live beside the site, not inside it.
    let outside = tempfile::tempdir().unwrap();
    let base = dir.parent().unwrap().join("_base");
    if expect.base {
        copy_dir(&base, site.path());
    }
    for r in &expect.remove {
        let p = site.path().join(r);
        if p.is_dir() {
            std::fs::remove_dir_all(p).unwrap();
        } else {
            std::fs::remove_file(p).unwrap();
        }
    }
    copy_dir(dir, site.path());
    std::fs::remove_file(site.path().join("expect.toml")).unwrap();
    for g in &expect.generate {
        generate(g, &site, outside.path());
    }

    let mut errs = Vec::new();
    let check = site.check();
    let build = site.build(&[]);
    for (cmd, run) in [("check", &check), ("build", &build)] {
        if run.code != Some(expect.exit) {
            errs.push(format!(
                "{cmd}: exit {:?}, expected {}\n{}",
                run.code, expect.exit, run.stderr
            ));
        }
        if run.stderr.contains("panicked") {
            errs.push(format!("{cmd} panicked:\n{}", run.stderr));
        }
        for dg in &expect.diag {
            let found = run.stderr.lines().any(|l| {
                l.starts_with(&dg.loc)
                    && l.contains(&format!(": {}: ", dg.severity))
                    && dg.has.iter().all(|h| l.contains(h.as_str()))
            });
            if !found {
                errs.push(format!(
                    "{cmd}: no {} at `{}` containing {:?}; stderr:\n{}",
                    dg.severity, dg.loc, dg.has, run.stderr
                ));
            }
        }
    }
    if expect.exit == 0 {
        if !site.out().join("index.html").is_file() {
            errs.push("build succeeded but wrote no index.html".into());
        }
        for p in &expect.pages {
            if !site.out().join(p).is_file() {
                errs.push(format!("missing page {p}"));
            }
        }
    } else {
        if site.out().exists() {
            errs.push(format!(
                "a failed build wrote public/: {:?}",
                list_files(&site.out())
            ));
        }
        // No staging folder left beside the output either.
        let extra: Vec<String> = std::fs::read_dir(site.path())
            .unwrap()
            .filter_map(Result::ok)
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.contains("niemyet") || n.starts_with("public"))
            .collect();
        if !extra.is_empty() {
            errs.push(format!("a failed build left {extra:?}"));
        }
    }
    errs.into_iter().map(|e| format!("[{name}] {e}")).collect()
}

#[test]
fn broken_sites_fail_cleanly_with_located_messages() {
    let corpus = repo().join("tests/broken");
    let mut cases: Vec<_> = std::fs::read_dir(&corpus)
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.is_dir() && !p.file_name().unwrap().to_string_lossy().starts_with('_'))
        .collect();
    cases.sort();
    assert!(cases.len() >= 40, "only {} cases", cases.len());
    let failing = cases.len()
        - cases
            .iter()
            .filter(|c| {
                let e = std::fs::read_to_string(c.join("expect.toml")).unwrap();
                e.contains("exit = 0")
            })
            .count();
    assert!(failing >= 40, "only {failing} cases expect failure");
    // Two threads: cases are independent sites.
    let (a, b) = cases.split_at(cases.len() / 2);
    let (ea, eb) = std::thread::scope(|s| {
        let ha = s.spawn(|| a.iter().flat_map(|c| run_case(c)).collect::<Vec<_>>());
        let hb = s.spawn(|| b.iter().flat_map(|c| run_case(c)).collect::<Vec<_>>());
        (ha.join().unwrap(), hb.join().unwrap())
    });
    let errs: Vec<String> = ea.into_iter().chain(eb).collect();
    assert!(
        errs.is_empty(),
        "{} problem(s):\n\n{}",
        errs.len(),
        errs.join("\n\n")
    );
}
