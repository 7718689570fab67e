//! Warnings summarised: a province adopting all 5,652 national records (13,005 warnings,
//! all in the imported data) gets a short report, and a real error of the webmaster's own
//! among them is printed in full.

mod common;
use common::*;
use std::process::Command;

/// Imports the national records into a site whose province adopts every one of them.
fn national_site() -> Site {
    let site = Site::new();
    let r = Run::from(
        Command::new(env!("CARGO_BIN_EXE_niemyet"))
            .args(["import", "dvcqg"])
            .arg(dvcqg_dir())
            .args(["--into", "content/_catalog/dvcqg", "--root"])
            .arg(site.path())
            .output()
            .expect("import"),
    );
    r.ok();
    // The records that give no level are adopted by code.
    let mut no_level = Vec::new();
    for e in std::fs::read_dir(site.path().join("content/_catalog/dvcqg")).unwrap() {
        let text = std::fs::read_to_string(e.unwrap().path()).unwrap();
        if !text.lines().any(|l| l.starts_with("level = ")) {
            let code = text
                .lines()
                .find_map(|l| l.strip_prefix("code = "))
                .expect("code");
            no_level.push(code.to_owned());
        }
    }
    site.write(
        "content/tinh-thu/_unit.toml",
        &unit_toml(
            "Tỉnh Thử",
            "tinh",
            &format!(
                "adopt_levels = [\"trung-uong\", \"tinh\", \"huyen\", \"xa\"]\nadopt = [{}]",
                no_level.join(", ")
            ),
        ),
    );
    site
}

#[test]
fn the_national_records_give_a_short_report_and_a_real_error_stands_out() {
    let site = national_site();
    let all = site.run("check", &["--today", "2026-11-23", "--warnings", "all"]);
    all.ok();
    let warnings = all.stderr.matches(": warning: ").count();
    assert!(
        warnings > 10_000,
        "{warnings} warnings in the national data"
    );

    // By default: a few dozen lines, every kind counted, the imported data named.
    let check = site.check();
    check.ok();
    let lines = check.stderr.lines().count();
    eprintln!(
        "check prints {lines} lines for {warnings} warnings:\n{}",
        check.stderr
    );
    assert!(lines <= 60, "{lines} lines:\n{}", check.stderr);
    assert!(check.stderr.contains("dữ liệu nhập từ CSDL quốc gia"));
    assert!(check.stderr.contains("mức thu 0 đồng không có diễn giải"));
    assert!(check.stderr.contains("niemyet check --warnings all"));
    let counted: usize = check
        .stderr
        .lines()
        .filter_map(|l| l.trim_start().split_once(" × "))
        .map(|(n, _)| n.replace('.', "").parse::<usize>().unwrap())
        .sum();
    assert_eq!(counted, warnings, "the kinds add up to every warning");

    // A mistake of the webmaster's own: printed whole, with the form to write, first;
    // the province's own warning is counted apart from the imported ones.
    site.write(
        "content/tinh-thu/rieng.md",
        &procedure_md(
            "9.000001",
            "Thủ tục riêng của tỉnh",
            "effective = 01/07/2025",
        ),
    );
    site.write(
        "content/tinh-thu/mien-phi.md",
        &procedure_md("9.000002", "Thủ tục miễn phí", "").replace(
            "fees = [{ amount = 7000, text = \"Nộp trực tuyến\" }]",
            "fees = [{ amount = 0 }]",
        ),
    );
    let check = site.check();
    check.fails().has(
        "error",
        "content/tinh-thu/rieng.md:2:13",
        &["`effective`", "Viết: `effective = 2025-07-01`"],
    );
    let lines: Vec<&str> = check.stderr.lines().collect();
    assert!(lines.len() <= 60, "{}", check.stderr);
    assert!(
        lines[0].starts_with("content/tinh-thu/rieng.md:2:13: error: "),
        "{}",
        check.stderr
    );
    let own = check
        .stderr
        .find("1 × mức thu 0 đồng")
        .expect("the own warning's kind");
    let imported = check.stderr.find("— dữ liệu nhập").expect("imported kinds");
    assert!(
        own < imported,
        "the unit's own warnings first:\n{}",
        check.stderr
    );

    // `-q`: the error and one line of counts; the build says as little.
    let quiet = site.run("check", &["--today", "2026-11-23", "-q"]);
    assert_eq!(quiet.stderr.lines().count(), 2, "{}", quiet.stderr);
    // (A successful quiet build is tests/first_day.rs's; building 5,652 pages here would
    // double this test's time.)
    let build = site.build(&["-q"]);
    build.fails();
    assert!(build.stderr.lines().count() <= 3, "{}", build.stderr);
    assert!(!site.out().exists());
}
