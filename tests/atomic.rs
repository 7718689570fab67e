//! Atomicity: a build killed mid-way (SIGKILL, no chance to clean up) leaves the previous
//! output byte for byte, and the next build removes the staging folder it left behind.

mod common;
use common::*;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Staging and old-output folders beside `public/`.
fn leftovers(s: &Site) -> Vec<String> {
    std::fs::read_dir(s.path())
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".niemyet-"))
        .collect()
}

#[test]
fn killed_build_keeps_previous_output_and_next_build_cleans_up() {
    let s = Site::new();
    s.write(
        "content/tinh/_unit.toml",
        &unit_toml("Tỉnh Thử", "tinh", ""),
    );
    for i in 1..=12 {
        s.write(
            &format!("content/_catalog/p{i}.md"),
            &procedure_md(&format!("1.0000{i:02}"), &format!("Thủ tục {i}"), ""),
        );
    }
    s.write(
        "content/tinh/xa-a/_unit.toml",
        &unit_toml("Xã A", "xa", "adopt_levels = [\"xa\"]"),
    );
    s.build(&[]).ok();
    let before = snapshot(&s.out());
    assert!(before.len() > 20, "{} files", before.len());

    // A large site: 400 communes × 12 procedures, thousands of pages to write.
    for i in 0..400 {
        s.write(
            &format!("content/tinh/xa-{i}/_unit.toml"),
            &unit_toml(&format!("Xã {i}"), "xa", "adopt_levels = [\"xa\"]"),
        );
    }
    let mut child = Command::new(env!("CARGO_BIN_EXE_niemyet"))
        .args(["build", "-q", "--today", "2026-11-23", "--root"])
        .arg(s.path())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // Kill it once the staging folder holds some pages.
    let start = Instant::now();
    let staged = loop {
        let found = leftovers(&s).into_iter().find(|n| {
            let files = list_files(&s.path().join(n)).len();
            files >= 50
        });
        if let Some(f) = found {
            break f;
        }
        assert!(
            child.try_wait().unwrap().is_none(),
            "the build ended before it could be killed"
        );
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "no staging folder"
        );
        std::thread::sleep(Duration::from_millis(2));
    };
    child.kill().unwrap(); // SIGKILL
    let status = child.wait().unwrap();
    assert!(!status.success());
    assert_eq!(
        std::os::unix::process::ExitStatusExt::signal(&status),
        Some(9),
        "killed by SIGKILL"
    );

    // The half-written staging folder is still there; public/ is exactly as before.
    assert!(
        s.path().join(&staged).is_dir(),
        "staging folder {staged} left"
    );
    assert!(
        snapshot(&s.out()) == before,
        "the previous output changed after a killed build"
    );

    // The next build (of a smaller site, to keep the test fast) removes the leftover and
    // writes the new site.
    for i in 1..400 {
        std::fs::remove_dir_all(s.path().join(format!("content/tinh/xa-{i}"))).unwrap();
    }
    s.build(&["-q"]).ok();
    assert_eq!(
        leftovers(&s),
        Vec::<String>::new(),
        "leftovers after the next build"
    );
    assert!(s.exists("tinh/xa-0/1.000012/index.html"));
    assert!(!s.exists("tinh/xa-1/index.html"));
}
