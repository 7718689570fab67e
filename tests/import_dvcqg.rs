//! `niemyet import dvcqg` on the 5,652 real records of the national procedure database.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::Instant;

use niemyet::import::dvcqg::{self, OTHER_TIME_TEXT};
use niemyet::import::{frontmatter, ImportReport};

/// All records imported once, shared by the tests that only read the result.
struct All {
    dir: tempfile::TempDir,
    report: ImportReport,
    inputs: Vec<PathBuf>,
}

fn all() -> &'static All {
    static ALL: OnceLock<All> = OnceLock::new();
    ALL.get_or_init(|| {
        let src = common::dvcqg_dir();
        let mut inputs: Vec<PathBuf> = std::fs::read_dir(&src)
            .unwrap_or_else(|e| panic!("{}: {e}", src.display()))
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|x| x == "txt"))
            .collect();
        inputs.sort();
        let dir = tempfile::tempdir().unwrap();
        let start = Instant::now();
        let report = dvcqg::run(&[src], dir.path(), false).unwrap();
        eprintln!(
            "imported {} records in {:?} ({} build)",
            inputs.len(),
            start.elapsed(),
            if cfg!(debug_assertions) {
                "debug"
            } else {
                "release"
            }
        );
        eprintln!("{}", report.stats);
        All {
            dir,
            report,
            inputs,
        }
    })
}

/// The front matter of an imported file, parsed with the `toml` crate, and the body.
fn read(code: &str) -> (toml::Table, String) {
    let path = all().dir.path().join(format!("{code}.md"));
    let text = std::fs::read_to_string(&path).unwrap();
    let (front, body) = frontmatter::split(&text).unwrap();
    (toml::from_str(&front).unwrap(), body.to_string())
}

fn strs(v: &toml::Value) -> Vec<&str> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_str().unwrap())
        .collect()
}

fn amounts(channel: &toml::Value) -> Vec<i64> {
    channel["fees"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["amount"].as_integer().unwrap())
        .collect()
}

#[test]
fn imports_every_record_without_error() {
    let a = all();
    assert_eq!(a.inputs.len(), 5652);
    let errors: Vec<String> = a.report.errors.iter().map(|e| e.to_string()).collect();
    assert!(errors.is_empty(), "{}", errors.join("\n"));
    assert_eq!(a.report.added, 5652);
    assert_eq!(
        (a.report.changed, a.report.unchanged, a.report.skipped),
        (0, 0, 0)
    );
    assert_eq!(a.report.stats.records, 5652);
    // Counts the domain notes measured on the same data.
    let s = &a.report.stats;
    assert_eq!(s.count("fees:no-info"), 4243);
    assert_eq!(s.count("time:empty"), 463);
    assert_eq!(s.count("time:n-other"), 963);
    assert_eq!(s.count("agency:no-info"), 1106);
    assert_eq!(s.count("level:no-info"), 85);
    let written = std::fs::read_dir(a.dir.path()).unwrap().count();
    assert_eq!(written, 5652, "one file per code, no temporary file left");
}

#[test]
fn dang_ky_tam_tru_1_004194_has_two_channels_of_three_tiers() {
    let (t, body) = read("1.004194");
    assert_eq!(t["name"].as_str(), Some("Đăng ký tạm trú"));
    assert_eq!(t["level"].as_str(), Some("xa"));
    assert_eq!(t["decision"].as_str(), Some("9354/QĐ-BCA-C06"));
    let ch = t["channels"].as_array().unwrap();
    assert_eq!(ch.len(), 2);
    assert_eq!(ch[0]["method"].as_str(), Some("truc-tuyen"));
    assert_eq!(amounts(&ch[0]), [7000, 5000, 0]);
    assert_eq!(ch[1]["method"].as_str(), Some("truc-tiep"));
    assert_eq!(amounts(&ch[1]), [10000, 15000, 0]);
    for c in ch {
        assert_eq!(c["time"]["value"].as_integer(), Some(3));
        assert_eq!(c["time"]["unit"].as_str(), Some("working-days"));
        assert_eq!(c["time"]["raw"].as_str(), Some("3 WORKING_DAY"));
        assert!(c["note"]
            .as_str()
            .unwrap()
            .contains("Thời gian tiếp nhận hồ sơ"));
    }
    assert_eq!(
        ch[0]["fees"][0]["text"].as_str(),
        Some("- Đăng ký tạm trú (cá nhân, hộ gia đình): + Trường hợp công dân nộp hồ sơ qua cổng dịch vụ công trực tuyến thu 7.000 đồng/lần đăng ký.")
    );
    assert!(ch[1]["fees"][2]["text"]
        .as_str()
        .unwrap()
        .starts_with("Miễn phí Đồng - Trường hợp công dân thuộc diện được miễn phí"));
    // The note that closes the last dossier case.
    let last_case = t["dossier"].as_array().unwrap().last().unwrap();
    let note = last_case["items"].as_array().unwrap().last().unwrap();
    assert_eq!(note["name"].as_str(), Some("Lưu ý"));
    assert!(note["note"]
        .as_str()
        .unwrap()
        .starts_with("- Trường hợp giấy tờ, tài liệu chứng minh chỗ ở hợp pháp"));
    assert_eq!(t["legal_basis"].as_array().unwrap().len(), 11);
    assert!(body.starts_with(
        "Bước 1: Cá nhân, tổ chức chuẩn bị hồ sơ theo quy định của pháp luật.\n\nBước 2: "
    ));
    assert!(t.get("unpublished").is_none(), "everything published");
}

#[test]
fn khai_sinh_1_001193_dossier_and_other_time() {
    let (t, _) = read("1.001193");
    let d = t["dossier"].as_array().unwrap();
    let cases: Vec<(&str, usize)> = d
        .iter()
        .map(|c| {
            (
                c["case"].as_str().unwrap(),
                c["items"].as_array().unwrap().len(),
            )
        })
        .collect();
    assert_eq!(
        cases,
        [
            ("* Giấy tờ phải nộp:", 5),
            ("* Giấy tờ phải xuất trình:", 6),
            ("* Lưu ý:", 22)
        ]
    );
    let first = &d[0]["items"][0];
    assert_eq!(
        first["name"].as_str(),
        Some("- Trường hợp trẻ em bị bỏ rơi thì phải có biên bản về việc trẻ bị bỏ rơi do cơ quan có thẩm quyền lập.")
    );
    assert_eq!(first["originals"].as_integer(), Some(1));
    assert_eq!(first["copies"].as_integer(), Some(0));
    let paper = &d[0]["items"][2];
    assert!(paper["name"]
        .as_str()
        .unwrap()
        .starts_with("Trường hợp người yêu cầu đã nộp bản điện tử Giấy chứng sinh"));
    assert_eq!(paper["originals"].as_integer(), Some(0));
    // "1 OTHER" on every channel.
    let ch = t["channels"].as_array().unwrap();
    assert_eq!(ch.len(), 3);
    for c in ch {
        assert_eq!(c["time"]["text"].as_str(), Some(OTHER_TIME_TEXT));
        assert_eq!(c["time"]["raw"].as_str(), Some("1 OTHER"));
        assert!(c["time"].get("value").is_none());
        // "0 VNĐ ()": amount 0, no text, as published.
        assert_eq!(amounts(c), [0]);
        assert!(c["fees"][0].get("text").is_none());
        assert_eq!(c["fees"][0]["raw"].as_str(), Some("0 VNĐ ()"));
    }
    assert_eq!(strs(&t["unpublished"]), ["agency"]);
}

#[test]
fn chung_thuc_2_000815_fee_texts() {
    let (t, _) = read("2.000815");
    let ch = t["channels"].as_array().unwrap();
    assert_eq!(ch.len(), 2);
    assert_eq!(ch[0]["fees"][0]["amount"].as_integer(), Some(2000));
    assert_eq!(ch[0]["fees"][0]["text"].as_str(), Some("/trang"));
    assert_eq!(ch[0]["fees"][0]["raw"].as_str(), Some("2000 VNĐ (/trang)"));
    assert!(ch[0]["note"].as_str().unwrap().starts_with(
        "Tại Ủy ban nhân dân cấp xã, Tổ chức hành nghề công chứng: 2.000 đồng/trang;"
    ));
    // Published as "10 VNĐ (/bản)" while the note says 10 USD: kept as published.
    assert_eq!(ch[1]["fees"][0]["amount"].as_integer(), Some(10));
    assert_eq!(ch[1]["fees"][0]["text"].as_str(), Some("/bản"));
    assert_eq!(
        ch[1]["note"].as_str(),
        Some("Tại cơ quan đại diện: 10 USD/bản.")
    );
    // Time " OTHER" (empty): left out, and listed as unpublished.
    assert!(ch.iter().all(|c| c.get("time").is_none()));
    assert_eq!(strs(&t["unpublished"]), ["time"]);
    assert_eq!(
        t["procedure_type"].as_str(),
        Some("NOT_ASSIGNED_REGULATION")
    );
}

#[test]
fn no_fee_information_leaves_fees_out() {
    let (t, _) = read("1.000028");
    let ch = t["channels"].as_array().unwrap();
    assert_eq!(ch.len(), 6);
    assert!(ch.iter().all(|c| c.get("fees").is_none()));
    assert!(strs(&t["unpublished"]).contains(&"fees"));
}

#[test]
fn labels_quoted_in_text_do_not_split_fields() {
    // 1.004411's requirements and description both end with a line "Từ khóa:".
    let (t, _) = read("1.004411");
    assert!(t["requirements"].as_str().unwrap().ends_with("Từ khóa:"));
    assert!(t.get("keywords").is_none());
    assert_eq!(
        t["source"]["description_same_as"].as_str(),
        Some("requirements")
    );
}

/// Counts in the source text, by plain line matching (independent of the parser).
#[derive(Debug, PartialEq, Default)]
struct Counts {
    channels: usize,
    fee_tiers: usize,
    dossier_items: usize,
    legal_basis: usize,
}

fn source_counts(text: &str) -> Counts {
    const SECTIONS: [&str; 5] = [
        "Cách thức thực hiện:",
        "Thành phần hồ sơ:",
        "Đối tượng thực hiện:",
        "Căn cứ pháp lý:",
        "Yêu cầu, điều kiện thực hiện:",
    ];
    let mut c = Counts::default();
    let mut section = "";
    for line in text.lines() {
        if let Some(s) = SECTIONS.iter().find(|s| line.starts_with(**s)) {
            section = s.trim_end_matches(':');
        }
        if line.starts_with("  * Hình thức nộp:") {
            c.channels += 1;
        } else if let Some(v) = line.strip_prefix("    Phí, lệ phí:") {
            let v = v.trim();
            if v.starts_with(|ch: char| ch.is_ascii_digit()) && v.ends_with(')') {
                // a tier starts at the beginning and after each ") | N VNĐ ("
                c.fee_tiers += 1 + v
                    .match_indices(") | ")
                    .filter(|(i, _)| {
                        let rest = &v[i + 4..];
                        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
                        digits > 0 && rest[digits..].starts_with(" VNĐ (")
                    })
                    .count();
            } else if !v.is_empty() && v != "Không có thông tin" {
                // free text: one tier per " | "-separated part
                c.fee_tiers += v.split(" | ").count();
            }
        } else if section == "Thành phần hồ sơ" && (line.starts_with("    - ") || line == "    -")
        {
            c.dossier_items += 1;
        } else if section == "Căn cứ pháp lý" && line.starts_with("  * ") {
            c.legal_basis += 1;
        }
    }
    c
}

fn output_counts(t: &toml::Table) -> Counts {
    fn arr(v: Option<&toml::Value>) -> &[toml::Value] {
        v.and_then(|v| v.as_array())
            .map_or(&[][..], |a| a.as_slice())
    }
    let channels = arr(t.get("channels"));
    Counts {
        channels: channels.len(),
        fee_tiers: channels.iter().map(|c| arr(c.get("fees")).len()).sum(),
        dossier_items: arr(t.get("dossier"))
            .iter()
            .map(|d| arr(d.get("items")).len())
            .sum(),
        legal_basis: arr(t.get("legal_basis")).len(),
    }
}

#[test]
fn every_record_keeps_its_channels_fees_dossier_and_legal_basis() {
    let a = all();
    let mut totals = Counts::default();
    for input in &a.inputs {
        let text = std::fs::read_to_string(input).unwrap();
        let code = input.file_stem().unwrap().to_str().unwrap();
        let (t, _) = read(code);
        let written = std::fs::read_to_string(all().dir.path().join(format!("{code}.md"))).unwrap();
        assert!(
            unicode_normalization::is_nfc(&written),
            "{code}: NFC output"
        );
        let want = source_counts(&text);
        assert_eq!(output_counts(&t), want, "{code}");
        assert_eq!(t["code"].as_str(), Some(code));
        totals.channels += want.channels;
        totals.fee_tiers += want.fee_tiers;
        totals.dossier_items += want.dossier_items;
        totals.legal_basis += want.legal_basis;
    }
    eprintln!("{totals:?}");
    assert_eq!(totals.channels, 16509);
    assert_eq!(totals.dossier_items, 27958);
}

fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let p = e.unwrap().path();
            let bytes = std::fs::read(&p).unwrap();
            (p, bytes)
        })
        .collect()
}

#[test]
fn reimport_changes_nothing() {
    let a = all();
    let before = snapshot(a.dir.path());
    let start = Instant::now();
    let report = dvcqg::run(&[common::dvcqg_dir()], a.dir.path(), false).unwrap();
    eprintln!("re-import in {:?}", start.elapsed());
    assert!(report.errors.is_empty());
    assert_eq!(
        (
            report.added,
            report.changed,
            report.unchanged,
            report.skipped
        ),
        (0, 0, 5652, 0)
    );
    assert!(before == snapshot(a.dir.path()), "byte-identical");
}

/// A few real records copied to a folder of their own.
fn small_input(codes: &[&str]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for code in codes {
        std::fs::copy(
            common::dvcqg_dir().join(format!("{code}.txt")),
            dir.path().join(format!("{code}.txt")),
        )
        .unwrap();
    }
    dir
}

#[test]
fn a_changed_record_updates_its_file_and_keeps_local_keys() {
    let input = small_input(&["1.004194", "1.001193", "2.000815"]);
    let out = tempfile::tempdir().unwrap();
    let r = dvcqg::run(&[input.path().to_path_buf()], out.path(), false).unwrap();
    assert_eq!(r.added, 3);

    // A webmaster adds keys of their own to one file.
    let target = out.path().join("1.001193.md");
    let text = std::fs::read_to_string(&target).unwrap();
    let edited = text.replacen(
        "+++\n",
        "+++\neffective = 2025-07-01\nonline = \"toan-trinh\"\n",
        1,
    ) + "";
    let edited = edited.replacen(
        "\n+++\n",
        "\n\n[[forms]]\nname = \"Tờ khai đăng ký khai sinh\"\nfile = \"forms/to-khai.pdf\"\n+++\n",
        1,
    );
    std::fs::write(&target, &edited).unwrap();

    // The national database changes that record.
    let src = input.path().join("1.001193.txt");
    let record = std::fs::read_to_string(&src).unwrap();
    std::fs::write(
        &src,
        record.replace(
            "Tên thủ tục: Thủ tục đăng ký khai sinh",
            "Tên thủ tục: Đăng ký khai sinh",
        ),
    )
    .unwrap();

    let before = snapshot(out.path());
    let r = dvcqg::run(&[input.path().to_path_buf()], out.path(), false).unwrap();
    assert!(r.errors.is_empty(), "{:?}", r.errors);
    assert_eq!((r.added, r.changed, r.unchanged), (0, 1, 2));
    let after = snapshot(out.path());
    for (path, bytes) in &before {
        if path != &target {
            assert!(after[path] == *bytes, "{} untouched", path.display());
        }
    }
    let text = std::fs::read_to_string(&target).unwrap();
    let t: toml::Table = toml::from_str(&frontmatter::split(&text).unwrap().0).unwrap();
    assert_eq!(t["name"].as_str(), Some("Đăng ký khai sinh"));
    assert_eq!(
        t["effective"].as_datetime().unwrap().to_string(),
        "2025-07-01"
    );
    assert_eq!(t["online"].as_str(), Some("toan-trinh"));
    assert_eq!(t["forms"][0]["file"].as_str(), Some("forms/to-khai.pdf"));
    assert_eq!(t["dossier"].as_array().unwrap().len(), 3);

    // And the merged file is stable.
    let r = dvcqg::run(&[input.path().to_path_buf()], out.path(), false).unwrap();
    assert_eq!((r.added, r.changed, r.unchanged), (0, 0, 3));
}

#[test]
fn an_unreadable_existing_file_is_left_alone_unless_forced() {
    let input = small_input(&["1.004194", "1.001193"]);
    let out = tempfile::tempdir().unwrap();
    dvcqg::run(&[input.path().to_path_buf()], out.path(), false).unwrap();
    let target = out.path().join("1.004194.md");
    let broken = "+++\ncode = \"1.004194\"\nname = \"unterminated\n+++\nhand-written steps\n";
    std::fs::write(&target, broken).unwrap();

    let r = dvcqg::run(&[input.path().to_path_buf()], out.path(), false).unwrap();
    assert_eq!((r.skipped, r.unchanged), (1, 1));
    assert_eq!(r.errors.len(), 1);
    let e = r.errors[0].to_string();
    assert!(e.starts_with(&format!("{}:3: ", target.display())), "{e}");
    assert!(e.contains("--force"), "{e}");
    assert_eq!(std::fs::read_to_string(&target).unwrap(), broken);

    let r = dvcqg::run(&[input.path().to_path_buf()], out.path(), true).unwrap();
    assert_eq!((r.changed, r.unchanged, r.skipped), (1, 1, 0));
    assert!(std::fs::read_to_string(&target)
        .unwrap()
        .contains("name = \"Đăng ký tạm trú\""));
}

#[test]
fn bad_records_are_reported_and_skipped() {
    let input = small_input(&["1.004194", "2.000815"]);
    let real = std::fs::read_to_string(common::dvcqg_dir().join("1.001193.txt")).unwrap();
    let truncated: String = real.lines().take(40).collect::<Vec<_>>().join("\n");
    std::fs::write(input.path().join("truncated.txt"), &truncated).unwrap();
    std::fs::write(
        input.path().join("binary.txt"),
        [0x89u8, b'P', b'N', b'G', 0, 1, 2, 0xff],
    )
    .unwrap();
    std::fs::write(
        input.path().join("garbage.txt"),
        "lorem ipsum\ndolor: sit amet\n",
    )
    .unwrap();
    std::fs::write(
        input.path().join("nocode.txt"),
        real.replace("Mã thủ tục: 1.001193\n", ""),
    )
    .unwrap();
    std::fs::write(
        input.path().join("unknown-label.txt"),
        real.replace(
            "Lĩnh vực: Hộ tịch\n",
            "Lĩnh vực: Hộ tịch\nNgày hiệu lực: 01/07/2025\n",
        ),
    )
    .unwrap();
    std::fs::write(input.path().join("notes.md"), "not a record").unwrap();

    let out = tempfile::tempdir().unwrap();
    let r = dvcqg::run(&[input.path().to_path_buf()], out.path(), false).unwrap();
    assert_eq!((r.added, r.skipped), (2, 5));
    let messages: Vec<String> = r.errors.iter().map(|e| e.to_string()).collect();
    let find = |name: &str| -> String {
        let file = input.path().join(name);
        let found: Vec<&String> = messages
            .iter()
            .filter(|m| m.starts_with(&file.display().to_string()))
            .collect();
        assert!(!found.is_empty(), "{name}: {messages:#?}");
        found[0].clone()
    };
    let e = find("truncated.txt");
    assert!(e.contains(":40: ") && e.contains("bị cắt cụt"), "{e}");
    let e = find("binary.txt");
    assert!(e.contains(":1: không phải văn bản UTF-8"), "{e}");
    let e = find("garbage.txt");
    assert!(
        e.contains(":1: không phải bản ghi của Cơ sở dữ liệu quốc gia"),
        "{e}"
    );
    let e = find("nocode.txt");
    assert!(e.contains("thiếu `Mã thủ tục:`"), "{e}");
    let e = find("unknown-label.txt");
    assert!(e.contains(":8: nhãn `Ngày hiệu lực:` không rõ"), "{e}");
    assert!(out.path().join("1.004194.md").exists());
    assert!(out.path().join("2.000815.md").exists());
}

#[test]
fn duplicate_codes_and_toml_twins_are_refused() {
    let a = small_input(&["1.004194"]);
    let b = small_input(&["1.004194", "2.000815"]);
    let out = tempfile::tempdir().unwrap();
    std::fs::write(out.path().join("2.000815.toml"), "code = \"2.000815\"\n").unwrap();
    let r = dvcqg::run(
        &[a.path().to_path_buf(), b.path().to_path_buf()],
        out.path(),
        false,
    )
    .unwrap();
    assert_eq!((r.added, r.skipped), (1, 2));
    let messages: Vec<String> = r.errors.iter().map(|e| e.to_string()).collect();
    assert!(
        messages
            .iter()
            .any(|m| m.contains("thủ tục 1.004194 cũng có trong")),
        "{messages:?}"
    );
    assert!(
        messages
            .iter()
            .any(|m| m.contains("2.000815.toml: đã có thủ tục 2.000815")),
        "{messages:?}"
    );
}

#[test]
fn nothing_to_import_is_an_error() {
    let empty = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    let e = dvcqg::run(&[empty.path().to_path_buf()], out.path(), false).unwrap_err();
    assert!(e.message.contains("không tìm thấy tệp bản ghi `.txt`"));
    let e = dvcqg::run(&[empty.path().join("missing")], out.path(), false).unwrap_err();
    assert!(e.message.contains("không đọc được"));
}

#[test]
fn every_real_record_cut_anywhere_or_decomposed_never_panics() {
    use unicode_normalization::UnicodeNormalization;
    let a = all();
    let mut seed: u64 = 7;
    let (mut ok, mut bad, mut decomposed) = (0, 0, 0);
    for input in &a.inputs {
        let text = std::fs::read_to_string(input).unwrap();
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let cut = (seed >> 33) as usize % (text.chars().count() + 1);
        let prefix: String = text.chars().take(cut).collect();
        match dvcqg::parse_record(input, &prefix) {
            Ok(r) => {
                ok += 1;
                let out = dvcqg::record_to_toml(&r);
                let (front, _) = frontmatter::split(&out).unwrap();
                assert!(
                    toml::from_str::<toml::Table>(&front).is_ok(),
                    "{}",
                    input.display()
                );
            }
            Err(errors) => {
                bad += 1;
                assert!(errors
                    .iter()
                    .all(|e| e.file == *input && !e.message.is_empty()));
            }
        }
        // The same record in NFD with CRLF line ends reads the same.
        if (seed >> 40).is_multiple_of(50) {
            decomposed += 1;
            let nfd: String = text.nfd().collect::<String>().replace('\n', "\r\n");
            let mut r = dvcqg::parse_record(input, &nfd).unwrap();
            let base = dvcqg::parse_record(input, &text).unwrap();
            r.tags.retain(|t| !t.starts_with("input:"));
            let mut b = base.clone();
            b.tags.retain(|t| !t.starts_with("input:"));
            assert_eq!(r, b, "{}", input.display());
        }
    }
    eprintln!("cut records: {ok} still complete, {bad} reported; {decomposed} read as NFD+CRLF");
    assert!(bad > 5000);
    assert!(decomposed > 50);
}

/// Markdown without raw HTML skips the sanitiser (`Markdown::render`); on every text of
/// the national database the shortcut writes what the sanitiser writes, byte for byte.
#[test]
fn markdown_shortcut_matches_the_sanitiser_on_every_record() {
    let md = niemyet::render::markdown::Markdown::new();
    let (mut texts, mut plain) = (0, 0);
    for input in &all().inputs {
        let code = input.file_stem().unwrap().to_string_lossy();
        let (front, body) = read(&code);
        let fields = ["requirements", "description"]
            .iter()
            .filter_map(|k| front.get(*k).and_then(|v| v.as_str()).map(str::to_owned));
        for text in std::iter::once(body).chain(fields) {
            texts += 1;
            if md.is_plain(&text) {
                plain += 1;
                assert_eq!(md.render(&text), md.render_sanitised(&text), "{code}");
            }
        }
    }
    eprintln!("{plain} of {texts} texts skip the sanitiser");
    assert!(plain * 10 >= texts * 9, "{plain} of {texts}");
}
