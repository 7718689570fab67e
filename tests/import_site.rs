//! `niemyet import dvcqg` end to end, with the real binary: all 5,652 shared records are
//! imported into a site's catalogue, adopted by a test province, checked and built; then
//! every record's `data.json` entry is compared with its source text, counted with simple
//! line rules that do not use the importer's parser, and a sample of pages is read.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use common::{Run, Site};
use unicode_normalization::UnicodeNormalization;

const INTO: &str = "content/_catalog/dvcqg";

/// Runs `niemyet import dvcqg <inputs> --into <into> --root <site> [extra]`.
fn import(site: &Site, inputs: &[&Path], into: &str, extra: &[&str]) -> Run {
    let mut c = Command::new(env!("CARGO_BIN_EXE_niemyet"));
    c.args(["import", "dvcqg"])
        .args(inputs)
        .args(["--into", into, "--root"])
        .arg(site.path())
        .args(extra);
    Run::from(c.output().expect("run niemyet"))
}

/// The counts line of an import, e.g. `thêm mới 3, thay đổi 0, không đổi 0, bỏ qua 0`.
fn counts(run: &Run) -> &str {
    run.stderr
        .lines()
        .find(|l| l.starts_with("thêm mới "))
        .unwrap_or_else(|| panic!("no counts line; stderr:\n{}", run.stderr))
}

/// What a source record holds, counted from its text with line rules (not the importer).
#[derive(Debug, Default, PartialEq, Eq, Clone)]
struct Counts {
    channels: usize,
    fee_tiers: usize,
    dossier_items: usize,
    legal_basis: usize,
}

/// A record's text in NFC (1,187 records arrive partly decomposed).
fn source_text(path: &Path) -> String {
    std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .nfc()
        .collect()
}

/// The block of lines after the column-0 label `label` up to the next column-0 `next`.
fn block<'a>(text: &'a str, label: &str, next: &str) -> Vec<&'a str> {
    text.lines()
        .skip_while(|l| !l.starts_with(label))
        .skip(1)
        .take_while(|l| !l.starts_with(next))
        .collect()
}

/// The line rules, checked against the format described in the shared data's README:
/// a channel is a `  * Hình thức nộp:` line of `Cách thức thực hiện`; its fee tiers are the
/// ` | `-separated parts of its `    Phí, lệ phí:` line unless that says "Không có thông
/// tin" or is empty; a dossier item is a `Số lượng:` line; a legal basis item is a `  * `
/// line of `Căn cứ pháp lý` (wrapped titles continue on lines without `* `).
fn count_source(text: &str) -> (String, Counts) {
    let code = text
        .lines()
        .find_map(|l| l.strip_prefix("Mã thủ tục:"))
        .expect("Mã thủ tục")
        .trim()
        .to_string();
    let mut c = Counts::default();
    for l in block(text, "Cách thức thực hiện:", "Thành phần hồ sơ:") {
        if l.starts_with("  * Hình thức nộp:") {
            c.channels += 1;
        } else if let Some(v) = l.strip_prefix("    Phí, lệ phí:") {
            let v = v.trim();
            if !v.is_empty() && v != "Không có thông tin" {
                c.fee_tiers += v.split(" | ").count();
            }
        }
    }
    c.dossier_items = block(text, "Thành phần hồ sơ:", "Đối tượng thực hiện:")
        .iter()
        .filter(|l| l.trim_start().starts_with("Số lượng:"))
        .count();
    c.legal_basis = block(text, "Căn cứ pháp lý:", "Yêu cầu, điều kiện thực hiện:")
        .iter()
        .filter(|l| l.starts_with("  * "))
        .count();
    (code, c)
}

fn len(v: &serde_json::Value) -> usize {
    v.as_array().map_or(0, Vec::len)
}

/// What `data.json` says about one procedure, counted the same way.
fn count_data(p: &serde_json::Value) -> Counts {
    let channels = p["channels"].as_array().cloned().unwrap_or_default();
    let dossier = p["dossier"].as_array().cloned().unwrap_or_default();
    Counts {
        channels: channels.len(),
        fee_tiers: channels.iter().map(|c| len(&c["fees"])).sum(),
        dossier_items: dossier.iter().map(|c| len(&c["items"])).sum(),
        legal_basis: len(&p["legal_basis"]),
    }
}

/// Page text with tags removed, entities decoded and whitespace folded.
fn text(html: &str) -> String {
    common::text_of(html)
        .replace("&#x2F;", "/")
        .replace("&#x27;", "'")
        .replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

fn fold(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The HTML of one `<section>` of a procedure page, from the end of its heading's id
/// (`<h2 id="tthc-<code>-fees-h">`).
fn section<'a>(page: &'a str, heading_id: &str) -> &'a str {
    let end = format!("-{heading_id}\">");
    page.match_indices("<h2 id=\"tthc-")
        .find_map(|(i, _)| {
            let tag = &page[i..i + page[i..].find('>')? + 1];
            let rest = &page[i + tag.len()..];
            tag.ends_with(&end)
                .then(|| &rest[..rest.find("</section>").unwrap_or(rest.len())])
        })
        .unwrap_or_else(|| panic!("no section {heading_id}"))
}

/// The cells of a column, by its `data-label`.
fn cells<'a>(html: &'a str, label: &str) -> Vec<&'a str> {
    let open = format!("<td data-label=\"{label}\">");
    html.split(&open)
        .skip(1)
        .map(|s| s.split("</td>").next().unwrap_or(""))
        .collect()
}

fn sources() -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(common::dvcqg_dir())
        .expect("shared records")
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    v.sort();
    v
}

#[test]
fn all_records_import_build_and_match_their_source() {
    let records = sources();
    assert_eq!(records.len(), 5652, "the shared data set has 5,652 records");
    let site = Site::new();

    // Import everything with the real binary.
    let t = Instant::now();
    let run = import(&site, &[&common::dvcqg_dir()], INTO, &[]);
    run.ok();
    assert_eq!(
        counts(&run),
        "thêm mới 5652, thay đổi 0, không đổi 0, bỏ qua 0"
    );
    let import_time = t.elapsed();

    // Every record counted from its source, and the codes with no level.
    let mut expected: BTreeMap<String, Counts> = BTreeMap::new();
    let mut texts: BTreeMap<String, String> = BTreeMap::new();
    let mut no_level = Vec::new();
    for path in &records {
        let text = source_text(path);
        let (code, counts) = count_source(&text);
        let level = text
            .lines()
            .find_map(|l| l.strip_prefix("Cấp thực hiện:"))
            .unwrap_or("")
            .trim();
        if !level.starts_with("Cấp ") {
            no_level.push(format!("\"{code}\""));
        }
        expected.insert(code.clone(), counts);
        texts.insert(code, text);
    }
    assert_eq!(expected.len(), 5652, "one code per record");
    assert!(!no_level.is_empty(), "some records give no level");

    // A province that adopts them all: by level, and the records with no level by code.
    site.write(
        "content/tinh-thu/_unit.toml",
        &common::unit_toml(
            "Tỉnh Thử",
            "tinh",
            &format!(
                "adopt_levels = [\"trung-uong\", \"tinh\", \"huyen\", \"xa\"]\nadopt = [{}]",
                no_level.join(", ")
            ),
        ),
    );

    // The imported catalogue passes the check: warnings (unpublished parts, 0 fees without a
    // text), no error, and no key the core does not know.
    let check = site.check();
    check.ok();
    assert!(
        check.stderr.contains("0 lỗi"),
        "check summary: {}",
        check.stderr.lines().last().unwrap_or("")
    );
    let mut kinds: BTreeMap<String, usize> = BTreeMap::new();
    for l in check.stderr.lines().filter(|l| l.contains(": warning: ")) {
        let msg = l.split(": warning: ").nth(1).unwrap_or("");
        let key = msg.split('`').nth(1).unwrap_or(msg);
        let kind: String = key
            .split('.')
            .map(|p| p.split('[').next().unwrap_or(p))
            .collect::<Vec<_>>()
            .join(".");
        *kinds.entry(kind).or_default() += 1;
    }
    eprintln!("check warnings by key: {kinds:?}");
    assert!(
        !check.stderr.contains("khóa không có trong định dạng"),
        "the importer writes only keys the core reads:\n{}",
        check
            .stderr
            .lines()
            .filter(|l| l.contains("khóa không có trong định dạng"))
            .take(5)
            .collect::<Vec<_>>()
            .join("\n")
    );
    assert!(
        check.stderr.contains("5.652 thủ tục được công bố"),
        "every record is adopted: {}",
        check.stderr.lines().last().unwrap_or("")
    );

    let t = Instant::now();
    site.build(&[]).ok();
    let build_time = t.elapsed();
    eprintln!(
        "import {import_time:?}, build {build_time:?} ({} build)",
        if cfg!(debug_assertions) {
            "debug"
        } else {
            "release"
        }
    );

    // Round trip: for every record, data.json has as many channels, fee tiers, dossier items
    // and legal basis items as the source.
    let data: serde_json::Value =
        serde_json::from_str(&site.page("tinh-thu/data.json")).expect("data.json");
    let procs = data["procedures"].as_array().expect("procedures");
    assert_eq!(procs.len(), 5652);
    let mut mismatches = Vec::new();
    for p in procs {
        let code = p["code"].as_str().expect("code");
        let want = expected.get(code).expect("a code from the source");
        let got = count_data(p);
        if &got != want {
            mismatches.push(format!("{code}: source {want:?}, data.json {got:?}"));
        }
    }
    assert!(
        mismatches.is_empty(),
        "{} records differ, e.g.:\n{}",
        mismatches.len(),
        mismatches[..mismatches.len().min(10)].join("\n")
    );
    let total = |f: fn(&Counts) -> usize| expected.values().map(f).sum::<usize>();
    eprintln!(
        "compared {} channels, {} fee tiers, {} dossier items, {} legal basis items",
        total(|c| c.channels),
        total(|c| c.fee_tiers),
        total(|c| c.dossier_items),
        total(|c| c.legal_basis)
    );

    pages_show_the_source(&site, &texts);

    // Re-importing the same export changes nothing, byte for byte.
    let before = common::snapshot(&site.path().join(INTO));
    let run = import(&site, &[&common::dvcqg_dir()], INTO, &[]);
    run.ok();
    assert_eq!(
        counts(&run),
        "thêm mới 0, thay đổi 0, không đổi 5652, bỏ qua 0"
    );
    assert!(before == common::snapshot(&site.path().join(INTO)));
}

/// A sample of pages read against the source text.
fn pages_show_the_source(site: &Site, texts: &BTreeMap<String, String>) {
    let page = |code: &str| site.page(&format!("tinh-thu/{code}/index.html"));

    // 1.004194: two channels of 3 working days; the fee tiers of each channel, amounts
    // and texts, in the fees section.
    let p = page("1.004194");
    let times = cells(&p, "Thời hạn giải quyết");
    assert_eq!(times.len(), 2, "two channels");
    assert!(
        times.iter().all(|c| text(c) == "3 ngày làm việc"),
        "{times:?}"
    );
    let fees = section(&p, "fees-h");
    let src = &texts["1.004194"];
    let fee_lines: Vec<&str> = src
        .lines()
        .filter_map(|l| l.strip_prefix("    Phí, lệ phí: "))
        .collect();
    let tiers: usize = fee_lines.iter().map(|l| l.split(" | ").count()).sum();
    assert_eq!(tiers, 6, "1.004194 publishes three tiers per channel");
    assert_eq!(fees.matches("<li>").count(), tiers, "one line per tier");
    for amount in ["7.000 đồng", "5.000 đồng", "10.000 đồng", "15.000 đồng"] {
        assert!(
            fees.contains(&format!("<strong>{amount}</strong>")),
            "{amount}"
        );
    }
    let fees_text = text(fees);
    for tier in fee_lines.iter().flat_map(|l| l.split(" | ")) {
        // `7000 VNĐ (text)`: the text between the first "(" and the last ")".
        let inner = &tier[tier.find('(').unwrap() + 1..tier.rfind(')').unwrap()];
        assert!(fees_text.contains(&fold(inner)), "tier text {inner}");
    }
    // Its "*Lưu ý" item (0 originals, 0 copies) is a note row, not a document with "0 0".
    let dossier = section(&p, "ho-so");
    assert!(dossier.contains("<tr class=\"dossier-note\">"));
    assert!(text(dossier).contains("Lưu ý: - Trường hợp giấy tờ"));

    // 1.001193: every document of every case, under its case heading; documents to bring
    // have their counts, the 0/0 explanations are note rows without counts.
    let p = page("1.001193");
    let dossier = section(&p, "ho-so");
    let dossier_text = text(dossier);
    let src = &texts["1.001193"];
    let lines = block(src, "Thành phần hồ sơ:", "Đối tượng thực hiện:");
    let mut with_counts = 0;
    let mut without = 0;
    for (i, l) in lines.iter().enumerate() {
        if let Some(h) = l.trim().strip_prefix("[ ") {
            // Without the export's bullet ("* Giấy tờ phải nộp:").
            let h = h.trim_end_matches(" ]").trim_start_matches("* ");
            assert!(dossier.contains(&format!("<h3>{h}</h3>")), "case {h}");
        }
        if let Some(name) = l.strip_prefix("    - ") {
            // Without a bullet left in front of the name ("- - Trường hợp…").
            let name = name.trim_start_matches("- ");
            assert!(dossier_text.contains(&fold(name)), "document {name}");
            let q = lines[i + 1].trim();
            if q == "Số lượng: Bản chính: 0, Bản sao: 0" {
                without += 1;
            } else {
                with_counts += 1;
            }
        }
    }
    assert!(with_counts > 0 && without > 0);
    assert_eq!(dossier.matches("class=\"num\"").count(), 2 * with_counts);
    assert_eq!(dossier.matches("class=\"dossier-note\"").count(), without);
    // The key facts count only the documents to bring.
    assert!(
        text(&p).contains(&format!("{with_counts} loại giấy tờ")),
        "{with_counts} documents in the key facts"
    );

    // 2.000815: the fee text as published ("/trang", "/bản"), with the channel notes that
    // explain it, and no time ("Chưa công bố" for both channels).
    let p = page("2.000815");
    let fees = text(section(&p, "fees-h"));
    assert!(fees.contains("2.000 đồng : /trang"), "{fees}");
    assert!(fees.contains("10 đồng : /bản"), "{fees}");
    let channels = text(section(&p, "channels-h"));
    assert!(channels.contains("Tại cơ quan đại diện: 10 USD/bản."));
    assert!(cells(&p, "Thời hạn giải quyết")
        .iter()
        .all(|c| text(c) == "Chưa công bố"));

    // A record whose time is "N OTHER": the page says "Theo mô tả" and shows the channel's
    // description, never the meaningless number as days.
    let (code, note) = texts
        .iter()
        .find_map(|(code, t)| {
            let lines: Vec<&str> = t.lines().collect();
            lines.windows(3).find_map(|w| {
                let n = w[0].strip_prefix("    Thời hạn giải quyết: ")?;
                let (num, unit) = n.split_once(' ')?;
                let note = w[2].strip_prefix("    Mô tả: ")?;
                (unit == "OTHER" && num.parse::<u32>().is_ok() && note.len() > 20)
                    .then(|| (code.clone(), note.to_string()))
            })
        })
        .expect("a record with an N OTHER time and a channel description");
    let p = page(&code);
    let times: Vec<String> = cells(&p, "Thời hạn giải quyết")
        .iter()
        .map(|c| text(c))
        .collect();
    assert!(times.iter().any(|t| t == "Theo mô tả"), "{code}: {times:?}");
    assert!(
        text(section(&p, "channels-h")).contains(&fold(&note)),
        "{code}: channel description {note}"
    );

    // A record with no fee information on any channel: "Chưa công bố", never "0 đồng".
    let code = texts
        .iter()
        .find(|(_, t)| {
            let fees: Vec<&str> = t
                .lines()
                .filter_map(|l| l.strip_prefix("    Phí, lệ phí:"))
                .collect();
            fees.len() > 1 && fees.iter().all(|f| f.trim() == "Không có thông tin")
        })
        .map(|(c, _)| c.clone())
        .expect("a record without fee information");
    let p = page(&code);
    let fee_cells = cells(&p, "Phí, lệ phí");
    assert!(!fee_cells.is_empty());
    for c in &fee_cells {
        assert_eq!(text(c), "Chưa công bố", "{code}");
    }
    let fees = text(section(&p, "fees-h"));
    assert!(fees.contains("Chưa công bố"), "{code}: {fees}");
    assert!(!fees.contains("đồng"), "{code}: {fees}");
}

/// A small export: three records copied into a folder the test may change.
fn small_export() -> (tempfile::TempDir, [PathBuf; 3]) {
    let dir = tempfile::tempdir().unwrap();
    let files = ["1.004194", "1.001193", "2.000815"].map(|c| {
        let to = dir.path().join(format!("{c}.txt"));
        std::fs::copy(common::dvcqg_dir().join(format!("{c}.txt")), &to).unwrap();
        to
    });
    (dir, files)
}

#[test]
fn a_changed_record_updates_only_its_file_and_keeps_local_keys() {
    let site = Site::new();
    let (export, [changed_src, ..]) = small_export();
    let run = import(&site, &[export.path()], INTO, &[]);
    run.ok();
    assert_eq!(
        counts(&run),
        "thêm mới 3, thay đổi 0, không đổi 0, bỏ qua 0"
    );

    // The webmaster adds a local key to one file.
    let target = site.path().join(INTO).join("1.004194.md");
    let original = std::fs::read_to_string(&target).unwrap();
    let edited = original.replacen(
        "+++\n",
        "+++\nonline_url = \"https://dichvucong.gov.vn/p/home/dvc-tthc-thu-tuc-hanh-chinh-chi-tiet.html?ma_thu_tuc=1.004194\"\n",
        1,
    );
    assert_ne!(edited, original);
    std::fs::write(&target, &edited).unwrap();

    // The national database renames the procedure.
    let src = std::fs::read_to_string(&changed_src).unwrap();
    std::fs::write(
        &changed_src,
        src.replace(
            "Tên thủ tục: Đăng ký tạm trú",
            "Tên thủ tục: Đăng ký tạm trú (sửa đổi)",
        ),
    )
    .unwrap();
    let others = |site: &Site| {
        ["1.001193.md", "2.000815.md"]
            .map(|f| std::fs::read(site.path().join(INTO).join(f)).unwrap())
    };
    let before = others(&site);
    let run = import(&site, &[export.path()], INTO, &[]);
    run.ok();
    assert_eq!(
        counts(&run),
        "thêm mới 0, thay đổi 1, không đổi 2, bỏ qua 0"
    );
    assert_eq!(others(&site), before, "the other files are untouched");
    let now = std::fs::read_to_string(&target).unwrap();
    assert!(
        now.contains("name = \"Đăng ký tạm trú (sửa đổi)\""),
        "{now}"
    );
    assert!(
        now.contains("online_url = \"https://dichvucong.gov.vn/"),
        "local key kept"
    );

    // The site still builds and the local key reaches the open data.
    site.write(
        "content/xa-thu/_unit.toml",
        &common::unit_toml("Xã Thử", "xa", "adopt = [\"1.004194\"]"),
    );
    site.build(&[]).ok();
    let data = site.page("xa-thu/data.json");
    assert!(data.contains("ma_thu_tuc=1.004194"));
    assert!(data.contains("Đăng ký tạm trú (sửa đổi)"));

    // A file whose front matter no longer parses is not overwritten without --force.
    let broken = now.replacen("name = \"", "name = \"unterminated\n", 1);
    std::fs::write(&target, &broken).unwrap();
    let run = import(&site, &[export.path()], INTO, &[]);
    run.ok();
    assert_eq!(
        counts(&run),
        "thêm mới 0, thay đổi 0, không đổi 2, bỏ qua 1"
    );
    assert!(
        run.stderr
            .lines()
            .any(|l| l.starts_with(&format!("{}:", target.display())) && l.contains("--force")),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("bỏ qua 1 bản ghi"), "{}", run.stderr);
    assert_eq!(std::fs::read_to_string(&target).unwrap(), broken);

    let run = import(&site, &[export.path()], INTO, &["--force"]);
    run.ok();
    assert_eq!(
        counts(&run),
        "thêm mới 0, thay đổi 1, không đổi 2, bỏ qua 0"
    );
    let forced = std::fs::read_to_string(&target).unwrap();
    assert!(forced.contains("name = \"Đăng ký tạm trú (sửa đổi)\""));
    assert!(!forced.contains("unterminated"));
    let run = import(&site, &[export.path()], INTO, &[]);
    assert_eq!(
        counts(&run),
        "thêm mới 0, thay đổi 0, không đổi 3, bỏ qua 0"
    );
}

#[test]
fn bad_records_and_bad_arguments() {
    let site = Site::new();
    let (export, [_, _, third]) = small_export();
    // A truncated record is reported with file and line and skipped; the rest import.
    let src = std::fs::read_to_string(&third).unwrap();
    let cut = &src[..src.find("Đối tượng thực hiện:").unwrap()];
    std::fs::write(&third, cut).unwrap();
    let run = import(&site, &[export.path()], INTO, &[]);
    run.ok();
    assert_eq!(
        counts(&run),
        "thêm mới 2, thay đổi 0, không đổi 0, bỏ qua 1"
    );
    // At the end of what is left of the file.
    let at = format!("{}:", third.display());
    let line: usize = run
        .stderr
        .lines()
        .find_map(|l| l.strip_prefix(&at)?.split(':').next()?.parse().ok())
        .unwrap_or_else(|| panic!("no error at {at}N:\n{}", run.stderr));
    assert!(line >= cut.lines().count(), "line {line}");
    assert!(
        run.stderr.contains("có vẻ tệp bị cắt cụt"),
        "{}",
        run.stderr
    );
    assert!(!site.path().join(INTO).join("2.000815.md").exists());

    // Only bad records: exit 1.
    let garbage = export.path().join("garbage.txt");
    std::fs::write(&garbage, "not an export\n").unwrap();
    let run = import(&site, &[&garbage], INTO, &[]);
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert!(run.stderr.contains(&format!("{}:1: ", garbage.display())));
    assert!(run
        .stderr
        .contains("thêm mới 0, thay đổi 0, không đổi 0, bỏ qua 1"));

    // Usage errors: exit 2, nothing written.
    for into in ["public", "content", "content/../themes", "/tmp"] {
        let run = import(&site, &[export.path()], into, &[]);
        assert_eq!(run.code, Some(2), "--into {into}: {}", run.stderr);
        assert!(
            run.stderr.contains("phải nằm trong content/"),
            "{}",
            run.stderr
        );
    }
    assert!(!site.path().join("public").exists());
    let run = import(&site, &[&export.path().join("missing")], INTO, &[]);
    assert_eq!(run.code, Some(2), "{}", run.stderr);
    let mut c = Command::new(env!("CARGO_BIN_EXE_niemyet"));
    let run = Run::from(
        c.args(["import", "dvcqg", "--into", INTO])
            .output()
            .unwrap(),
    );
    assert_eq!(run.code, Some(2), "no input: {}", run.stderr);
}
