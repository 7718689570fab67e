//! A webmaster's second day (issue #27, round 2): what a new user found after the first
//! round, walked with the real binary. Placeholders that slipped through, the example
//! addresses of the sample site, messages in Vietnamese (and English on request), fix
//! suggestions that show the real form, and the small things of the follow-up list.

mod common;
use common::*;
use std::process::Command;

const TODAY: &str = "2026-11-23";

/// A site made by `niemyet init`, with a commune `xa-moi` whose office is filled in.
struct Site2 {
    site: InitSite,
}

impl std::ops::Deref for Site2 {
    type Target = InitSite;
    fn deref(&self) -> &InitSite {
        &self.site
    }
}

const UNIT: &str = "content/tinh-mau/xa-moi/_unit.toml";

impl Site2 {
    fn new() -> Site2 {
        let (site, r) = InitSite::init(&[]);
        r.ok();
        let s = Site2 { site };
        s.run(&["new", "unit", "tinh-mau/xa-moi"], &["--name", "Xã Mới"])
            .ok();
        let unit = s.read(UNIT);
        let filled = unit
            .replace(
                "<Điền tên nơi tiếp nhận hồ sơ, ví dụ: Trung tâm Phục vụ hành chính công Xã Mới>",
                "Trung tâm Phục vụ hành chính công xã Mới",
            )
            .replace("<Điền địa chỉ nơi tiếp nhận hồ sơ>", "Thôn Trung Tâm, xã Mới")
            .replace("<Điền số điện thoại>", "0200 3 800 200")
            .replace(
                "<Điền giờ làm việc, ví dụ: Sáng 7h30–11h30, chiều 13h30–17h00, thứ Hai đến thứ Sáu>",
                "Thứ Hai đến thứ Sáu",
            )
            .replace("adopt = []", "adopt = [\"2.000815\"]");
        s.write(UNIT, &filled);
        s
    }

    fn check(&self) -> Run {
        self.run(&["check"], &["--today", TODAY, "--warnings", "all"])
    }

    fn build(&self) -> Run {
        self.run(&["build"], &["--today", TODAY])
    }

    /// Replaces `from` by `to` in `rel`, runs check, gives the run and puts the file back.
    fn try_edit(&self, rel: &str, from: &str, to: &str) -> Run {
        let good = self.read(rel);
        assert!(good.contains(from), "{rel} has no {from:?}:\n{good}");
        self.write(rel, &good.replacen(from, to, 1));
        let r = self.check();
        self.write(rel, &good);
        r
    }
}

fn line_of(text: &str, needle: &str) -> usize {
    text.lines()
        .position(|l| l.contains(needle))
        .unwrap_or_else(|| panic!("no {needle:?} in\n{text}"))
        + 1
}

/// Every commented example `new unit` and `new procedure` write, once uncommented and
/// not filled in, is an error: nothing of them is ever published.
#[test]
fn commented_examples_uncommented_are_never_published() {
    let s = Site2::new();
    s.check().ok();
    // The unit's [feedback] block, uncommented as it is.
    let unit = s.read(UNIT);
    let uncommented: String = unit
        .lines()
        .map(|l| {
            let t = l.strip_prefix("# ").unwrap_or(l);
            if t.starts_with("[feedback]")
                || ["agency =", "address =", "phone =", "email ="]
                    .iter()
                    .any(|k| t.starts_with(k) && l.starts_with("# "))
            {
                t.to_owned()
            } else {
                l.to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    s.write(UNIT, &uncommented);
    let r = s.check();
    r.fails();
    for key in [
        "`feedback.agency`",
        "`feedback.address`",
        "`feedback.phone`",
        "`feedback.email`",
    ] {
        r.has("error", &format!("{UNIT}:"), &[key, "còn giá trị mẫu"]);
    }
    s.build().fails();
    assert!(!s.root.join("public/tinh-mau/xa-moi").exists());
    s.write(UNIT, &unit);

    // An override file's comments: each, uncommented, is refused.
    s.run(&["new", "procedure", "tinh-mau/xa-moi", "1.001193"], &[])
        .ok();
    let file = "content/tinh-mau/xa-moi/1.001193.md";
    s.check().ok();
    for (key, parts) in [
        ("# name = ", &["`name`", "còn giá trị mẫu"][..]),
        ("# agency = ", &["`agency`", "còn giá trị mẫu"]),
        ("# place = ", &["`place`", "còn giá trị mẫu"]),
        ("# authority = ", &["`authority`", "còn giá trị mẫu"]),
        ("# replaced_by = ", &["`replaced_by`", "còn giá trị mẫu"]),
        (
            "# channels = ",
            &["`channels[1].time.text`", "còn giá trị mẫu"],
        ),
        (
            "# effective = ",
            &["`effective`", "YYYY-MM-DD", "ngày thật"],
        ),
    ] {
        let line = line_of(&s.read(file), key);
        let r = s.try_edit(file, key, &key[2..]);
        r.fails();
        r.has("error", &format!("{file}:{line}:"), parts);
    }
    // The replacement example is not the procedure's own code.
    assert!(!s.read(file).contains("replaced_by = \"1.001193\""));
    // The generated files point to documentation the webmaster has, not a docs/ folder
    // the site does not hold.
    for f in [UNIT, file] {
        let text = s.read(f);
        assert!(!text.contains("Xem docs/format.md"), "{text}");
        assert!(text.contains("README"), "{text}");
    }
}

/// Placeholders half edited: the brackets taken off, one bracket left, the whole value
/// in brackets, an ellipsis.
#[test]
fn half_edited_placeholders_are_errors() {
    let s = Site2::new();
    let unit = s.read(UNIT);
    let addr = line_of(&unit, "address = \"Thôn Trung Tâm");
    let name = line_of(&unit, "name = \"Trung tâm Phục vụ");
    let phone = line_of(&unit, "phone = \"0200 3 800 200\"");
    for (from, to, line, key, shown) in [
        (
            "\"Thôn Trung Tâm, xã Mới\"",
            "\"Điền địa chỉ nơi tiếp nhận hồ sơ\"",
            addr,
            "`office.address`",
            "Điền địa chỉ",
        ),
        (
            "\"Thôn Trung Tâm, xã Mới\"",
            "\"…\"",
            addr,
            "`office.address`",
            "\"…\"",
        ),
        (
            "\"Trung tâm Phục vụ hành chính công xã Mới\"",
            "\"Trung tâm Phục vụ hành chính công Xã P>\"",
            name,
            "`office.name`",
            "Xã P>",
        ),
        (
            "\"0200 3 800 200\"",
            "\"<0200 3 811 222>\"",
            phone,
            "`office.phone`",
            "<0200 3 811 222>",
        ),
        (
            "\"0200 3 800 200\"",
            "\"<0200 3 811 222\"",
            phone,
            "`office.phone`",
            "<0200 3 811 222",
        ),
    ] {
        let r = s.try_edit(UNIT, from, to);
        r.fails();
        r.has(
            "error",
            &format!("{UNIT}:{line}:"),
            &[key, "còn giá trị mẫu", shown],
        );
    }
    // Real values that look a little like them are not: a comparison, a place named Điền,
    // a real instruction starting "Điền thông tin" (as national records hold).
    for (from, to) in [
        ("\"Thôn Trung Tâm, xã Mới\"", "\"Thôn Phong Điền, xã Mới\""),
        ("\"Thôn Trung Tâm, xã Mới\"", "\"Điền Lư, xã Mới\""),
        (
            "\"Thứ Hai đến thứ Sáu\"",
            "\"Điền thông tin vào phiếu tại quầy; nhận số < 100 trước 9 giờ\"",
        ),
    ] {
        s.try_edit(UNIT, from, to).ok();
    }
    s.build().ok();
    assert!(!s
        .read("public/tinh-mau/xa-moi/index.html")
        .contains("Điền địa chỉ"));
}

/// The sample site's example addresses: check and build warn, saying where a printed QR
/// code would lead; a real base_url (in site.toml or with --base-url) silences it.
#[test]
fn example_addresses_of_the_sample_site_are_warned() {
    let s = Site2::new();
    let r = s.build();
    r.ok();
    r.has(
        "warning",
        "site.toml:6:",
        &[
            "`base_url`",
            "địa chỉ mẫu",
            "mã QR",
            "https://thutuc.example.gov.vn/",
        ],
    );
    r.has(
        "warning",
        "site.toml:",
        &["`feedback.email`", "địa chỉ mẫu"],
    );
    let r = s.run(
        &["check"],
        &["--today", TODAY, "--warnings", "all", "--lang", "en"],
    );
    r.has("warning", "site.toml:6:", &["example address", "QR codes"]);
    // Published elsewhere: no word about the base_url any more.
    let r = s.run(
        &["build"],
        &[
            "--today",
            TODAY,
            "--base-url",
            "https://thutuc.tinhmau.gov.vn/",
        ],
    );
    r.ok();
    assert!(!r.stderr.contains("`base_url`"), "{}", r.stderr);
    let site = s.read("site.toml");
    s.write(
        "site.toml",
        &site
            .replace(
                "https://thutuc.example.gov.vn/",
                "https://thutuc.tinhmau.gov.vn/",
            )
            .replace("phananh@example.gov.vn", "phananh@tinhmau.gov.vn"),
    );
    let r = s.check();
    r.ok();
    assert!(!r.stderr.contains("địa chỉ mẫu"), "{}", r.stderr);
    // A unit's website on an example domain too.
    let r = s.try_edit(
        UNIT,
        "phone = \"0200 3 800 200\"",
        "phone = \"0200 3 800 200\"\nwebsite = \"https://xamoi.example.com/\"",
    );
    r.ok()
        .has("warning", UNIT, &["`office.website`", "địa chỉ mẫu"]);
    // init says what to change first.
    let dir = tempfile::tempdir().unwrap();
    let r = niemyet(&["init", dir.path().join("x").to_str().unwrap()]);
    r.ok();
    assert!(
        r.stdout.contains("Sửa trước tiên") && r.stdout.contains("base_url"),
        "{}",
        r.stdout
    );
}

/// The command line speaks Vietnamese: help, argument errors with a suggestion and the
/// usage; English with --lang en. `-r` is accepted before or after the command; the
/// wrong folder is explained (inside content/, a file given as --root, no content/).
#[test]
fn the_command_line_in_vietnamese_and_the_wrong_folder_explained() {
    let r = niemyet(&["--help"]);
    r.ok();
    for part in [
        "Cách dùng:",
        "Lệnh:",
        "Tùy chọn:",
        "Kiểm tra nội dung",
        "Mã thoát",
    ] {
        assert!(r.stdout.contains(part), "{part}: {}", r.stdout);
    }
    let r = niemyet(&["build", "--help"]);
    r.ok();
    assert!(r.stdout.contains("Thư mục đầu ra"), "{}", r.stdout);
    assert!(!r.stdout.contains("Print help"), "{}", r.stdout);
    let r = niemyet(&["buld"]);
    assert_eq!(r.code, Some(2), "{}", r.stderr);
    assert!(
        r.stderr
            .contains("lỗi: không có lệnh `buld` — ý bạn là `build`?")
            && r.stderr.contains("Cách dùng:"),
        "{}",
        r.stderr
    );
    let r = niemyet(&["build", "--frce"]);
    assert_eq!(r.code, Some(2));
    assert!(r.stderr.contains("ý bạn là `--force`?"), "{}", r.stderr);
    let r = niemyet(&["check", "--warnings", "lots"]);
    assert_eq!(r.code, Some(2));
    assert!(
        r.stderr
            .contains("\"lots\" không dùng được (chọn một trong: all, summary, none)"),
        "{}",
        r.stderr
    );
    let r = niemyet(&["new", "unit"]);
    assert_eq!(r.code, Some(2));
    assert!(r.stderr.contains("thiếu tham số bắt buộc"), "{}", r.stderr);
    let r = niemyet(&["--lang", "en", "buld"]);
    assert_eq!(r.code, Some(2));
    assert!(r.stderr.contains("did you mean `build`?"), "{}", r.stderr);

    let s = Site2::new();
    // -r before the command, as well as after it.
    let r = niemyet(&["-r", s.root(), "check", "--today", TODAY]);
    r.ok();
    // init takes no --root.
    let r = niemyet(&["-r", s.root(), "init", "x"]);
    assert_eq!(r.code, Some(2));
    assert!(r.stderr.contains("init không dùng --root"), "{}", r.stderr);
    // Run from inside content/: the site is one folder up.
    let r = Run::from(
        Command::new(env!("CARGO_BIN_EXE_niemyet"))
            .arg("check")
            .current_dir(s.root.join("content"))
            .output()
            .unwrap(),
    );
    assert_eq!(r.code, Some(2), "{}", r.stderr);
    assert!(
        r.stderr.contains("trang ở thư mục cha") && r.stderr.contains("--root .."),
        "{}",
        r.stderr
    );
    // site.toml given as --root.
    let toml = s.root.join("site.toml");
    let r = niemyet(&["check", "-r", toml.to_str().unwrap()]);
    assert_eq!(r.code, Some(2));
    assert!(
        r.stderr.contains("là một tệp, không phải thư mục"),
        "{}",
        r.stderr
    );
    // No content/: exit 2, like no site.
    std::fs::rename(s.root.join("content"), s.root.join("noi-dung")).unwrap();
    for cmd in ["check", "build"] {
        let r = s.run(&[cmd], &[]);
        assert_eq!(r.code, Some(2), "{cmd}: {}", r.stderr);
        assert!(
            r.stderr.contains("không có thư mục content/"),
            "{}",
            r.stderr
        );
    }
}

/// The build's own lines and the site's theme and language problems, in Vietnamese and
/// in English.
#[test]
fn build_lines_theme_and_language_in_both_languages() {
    let s = Site2::new();
    let r = s.build();
    r.ok();
    assert!(
        r.stderr.contains("đã dựng 3 đơn vị, ") && r.stderr.contains(" giây)"),
        "{}",
        r.stderr
    );
    let r = s.build();
    assert!(
        r.stderr.contains("không có gì thay đổi từ lần dựng trước"),
        "{}",
        r.stderr
    );
    let r = s.run(&["build"], &["--today", TODAY, "--lang", "en", "--force"]);
    assert!(r.stderr.contains("built 3 units, "), "{}", r.stderr);
    let r = s.run(&["build"], &["--today", TODAY, "--lang", "en"]);
    assert!(r.stderr.contains("nothing changed"), "{}", r.stderr);

    let site = s.read("site.toml");
    s.write(
        "site.toml",
        &site.replace("language = \"vi\"", "language = \"vi\"\ntheme = \"xanh\""),
    );
    std::fs::create_dir_all(s.root.join("themes/xanh-la")).unwrap();
    let r = s.check();
    r.fails().has(
        "error",
        "site.toml:",
        &[
            "`theme` (giao diện)",
            "không có thư mục themes/xanh/",
            "ý bạn là `xanh-la`?",
            "default, xanh-la",
        ],
    );
    let r = s.run(&["check"], &["--lang", "en"]);
    r.fails().has(
        "error",
        "site.toml:",
        &["no folder themes/xanh/", "did you mean `xanh-la`?"],
    );
    s.write(
        "site.toml",
        &site.replace("language = \"vi\"", "language = \"vn\""),
    );
    let line = line_of(&site, "language = ");
    let r = s.check();
    r.fails().has(
        "error",
        &format!("site.toml:{line}:"),
        &[
            "`language` (ngôn ngữ)",
            "\"vn\"",
            "ý bạn là `vi`?",
            "Viết: `language = \"vi\"`",
        ],
    );
    s.write("site.toml", &site);
    s.check().ok();
}

/// Fix suggestions show the value written, rightly written, never a made-up one; the
/// TOML parser's refusals get Vietnamese words and the form to write.
#[test]
fn fix_suggestions_are_the_value_written_rightly() {
    let s = Site2::new();
    let p = "content/_catalog/ho-tich/dang-ky-khai-sinh.md";
    let f = "content/_catalog/chung-thuc/chung-thuc-ban-sao-tu-ban-chinh.toml";
    let unit = "content/tinh-mau/xa-mau/_unit.toml";
    let cases: &[(&str, &str, &str, &[&str])] = &[
        (
            p,
            "effective = 2025-07-01",
            "effective = \"ngày 15/8/2025\"",
            &["Viết: `effective = 2025-08-15`"],
        ),
        (
            p,
            "effective = 2025-07-01",
            "effective = \"tháng 8/2025\"",
            &["Viết: `effective = 2025-08-DD`"],
        ),
        (
            p,
            "effective = 2025-07-01",
            "effective = \"sớm nhất có thể\"",
            &["Viết: `effective = YYYY-MM-DD`"],
        ),
        (
            p,
            "effective = 2025-07-01",
            "effective = ngày 15 tháng 8 năm 2025",
            &["không có chữ", "Viết: `effective = 2025-08-15`"],
        ),
        (
            p,
            "effective = 2025-07-01",
            "effective = 2025/08/15",
            &["dấu gạch ngang", "Viết: `effective = 2025-08-15`"],
        ),
        (
            f,
            "amount = 2000,",
            "amount = 1.200.000,",
            &["`channels[1].fees[1].amount`", "Viết: `amount = 1200000`"],
        ),
        (
            f,
            "amount = 2000,",
            "amount = 15,000,",
            &["`channels[1].fees[1].amount`", "Viết: `amount = 15000`"],
        ),
        (
            f,
            "amount = 2000,",
            "amount = \"miễn phí\",",
            &["Viết: `{ amount = 0, text = \"Miễn phí\" }`", "`fees = []`"],
        ),
        (
            f,
            "amount = 2000,",
            "amount = 20.5,",
            &["số nguyên", "Viết: `amount = SỐ_ĐỒNG`"],
        ),
        (
            f,
            "amount = 2000,",
            "amount = 1e3,",
            &["Viết: `amount = 1000`"],
        ),
        (f, "amount = 2000,", "amount = 1e400,", &["số quá lớn"]),
        (
            unit,
            "adopt = [\"1.001193\"",
            "adopt = [1.001193",
            &["Viết: `adopt = [\"1.001193\"]`"],
        ),
        (
            p,
            "name = \"Đăng ký khai sinh\"",
            "name = “Đăng ký khai sinh”",
            &["ngoặc kép cong", "Viết: `name = \"Đăng ký khai sinh\"`"],
        ),
        (
            p,
            "sector = \"Hộ tịch\"",
            "sector: \"Hộ tịch\"",
            &["không phải dấu :", "Viết: `sector = \"Hộ tịch\"`"],
        ),
        (
            p,
            "sector = \"Hộ tịch\"",
            "sector ＝ \"Hộ tịch\"",
            &["toàn khổ", "Viết: `sector = \"Hộ tịch\"`"],
        ),
    ];
    for (file, from, to, parts) in cases {
        let r = s.try_edit(file, from, to);
        r.fails();
        let line = line_of(&s.read(file), from);
        r.has("error", &format!("{file}:{line}:"), parts);
        assert!(
            !r.stderr.contains("expected") && !r.stderr.contains("found a"),
            "{to}: English parser words left: {}",
            r.stderr
        );
        assert!(
            !r.stderr.contains("2025-07-01`") || to.contains("07"),
            "{to}: a made-up date: {}",
            r.stderr
        );
    }
    // `+++` fences in a .toml file.
    let text = s.read(f);
    s.write(f, &format!("+++\n{text}+++\n"));
    s.check().fails().has(
        "error",
        &format!("{f}:1:1"),
        &["tệp .toml không có dòng +++"],
    );
    s.write(f, &text);
    // In English on request.
    let good = s.read(p);
    s.write(
        p,
        &good.replacen("effective = 2025-07-01", "effective = 2025/08/15", 1),
    );
    let r = s.run(&["check"], &["--lang", "en"]);
    r.fails().has(
        "error",
        p,
        &["with dashes", "Write: `effective = 2025-08-15`"],
    );
    s.write(p, &good);
}

/// The small things of the follow-up list: contact details checked, a time of 0 warned,
/// keys after `[extra]` pointed out, the feedback agency named as such, `new procedure`
/// taking a file name, and an import over the sample catalogue told what to do.
#[test]
fn the_small_things() {
    let s = Site2::new();
    let unit = s.read(UNIT);
    let phone = line_of(&unit, "phone = \"0200 3 800 200\"");
    let r = s.try_edit(UNIT, "\"0200 3 800 200\"", "\"chưa có\"");
    r.fails().has(
        "error",
        &format!("{UNIT}:{phone}:"),
        &["`office.phone`", "\"chưa có\" không phải số điện thoại"],
    );
    let r = s.try_edit(
        UNIT,
        "phone = \"0200 3 800 200\"",
        "phone = \"0200 3 800 200\"\nemail = \"xamoi@\"",
    );
    r.fails().has(
        "error",
        &format!("{UNIT}:{}:", phone + 1),
        &[
            "`office.email`",
            "\"xamoi@\" không phải địa chỉ thư điện tử",
        ],
    );
    s.try_edit(
        UNIT,
        "phone = \"0200 3 800 200\"",
        "phone = \"0200 3 800 200 (máy lẻ 12)\"\nemail = \"mot.cua@xamoi.gov.vn\"",
    )
    .ok();
    s.build().ok();
    let page = s.read("public/tinh-mau/xa-moi/index.html");
    assert!(!page.contains("tel:chưa"), "no call link to words");

    // A time of 0.
    let f = "content/_catalog/chung-thuc/chung-thuc-ban-sao-tu-ban-chinh.toml";
    let text = s.read(f);
    let time = text
        .lines()
        .find(|l| l.trim_start().starts_with("time = "))
        .unwrap()
        .to_owned();
    let r = s.try_edit(f, &time, "time = { value = 0, unit = \"days\" }");
    r.ok().has(
        "warning",
        &format!("{f}:{}:", line_of(&text, &time)),
        &["thời hạn 0", "Trong ngày"],
    );

    // [extra] in the middle of a unit file.
    let r = s.try_edit(
        UNIT,
        "adopt = [\"2.000815\"]",
        "[extra]\nlogo = \"logo.png\"\nadopt = [\"2.000815\"]",
    );
    r.has("warning", UNIT, &["`adopt`", "[extra]", "cuối tệp"]);

    // site.toml's [feedback] without its agency: named as the feedback agency.
    let site = s.read("site.toml");
    let agency = site
        .lines()
        .find(|l| l.starts_with("agency = "))
        .unwrap()
        .to_owned();
    let r = s.try_edit("site.toml", &format!("{agency}\n"), "");
    r.fails().has(
        "error",
        "site.toml:",
        &[
            "`feedback.agency` (cơ quan tiếp nhận phản ánh, kiến nghị)",
            "Văn phòng",
        ],
    );
    assert!(!r.stderr.contains("cơ quan thực hiện"), "{}", r.stderr);

    // `new procedure UNIT 1.001193.md`: the code without its ending.
    s.run(&["new", "procedure", "tinh-mau/xa-moi", "1.001193.md"], &[])
        .ok();
    assert!(s.root.join("content/tinh-mau/xa-moi/1.001193.md").is_file());
    assert!(!s
        .root
        .join("content/tinh-mau/xa-moi/1.001193.md.md")
        .exists());
    std::fs::remove_file(s.root.join("content/tinh-mau/xa-moi/1.001193.md")).unwrap();

    // Importing the national record of a code the sample catalogue has.
    let export = tempfile::tempdir().unwrap();
    std::fs::copy(
        dvcqg_dir().join("1.001193.txt"),
        export.path().join("1.001193.txt"),
    )
    .unwrap();
    let r = s.run(
        &["import", "dvcqg", export.path().to_str().unwrap()],
        &["--into", "content/_catalog/dvcqg"],
    );
    r.ok();
    assert!(r.stderr.contains("thêm mới 1"), "{}", r.stderr);
    let r = s.check();
    r.fails().has(
        "error",
        "content/_catalog/",
        &[
            "mã `1.001193` trùng trong danh mục chung",
            "xóa tệp kia",
            "niemyet init",
        ],
    );
    // The import's comment in the file is Vietnamese; a hand edit of `name` is named
    // when a re-import replaces it.
    let imported = "content/_catalog/dvcqg/1.001193.md";
    let text = s.read(imported);
    assert!(!text.contains("Local keys"), "{text}");
    let name = text
        .lines()
        .find(|l| l.starts_with("name = "))
        .unwrap()
        .to_owned();
    s.write(
        imported,
        &text.replacen(
            &name,
            "name = \"Khai sinh (sửa tay)\"\neffective = 2025-07-01",
            1,
        ),
    );
    let r = s.run(
        &["import", "dvcqg", export.path().to_str().unwrap()],
        &["--into", "content/_catalog/dvcqg"],
    );
    r.ok();
    assert!(
        r.stderr.contains("đã thay `name`") && r.stderr.contains("thay đổi 1"),
        "{}",
        r.stderr
    );
    let again = s.read(imported);
    assert!(
        again.contains("# Khóa riêng của trang") && again.contains("effective = 2025-07-01"),
        "{again}"
    );
    let r = s.run(
        &["import", "dvcqg", export.path().to_str().unwrap()],
        &["--into", "content/_catalog/dvcqg", "--lang", "en"],
    );
    assert!(
        r.stderr.contains("added 0, changed 0, unchanged 1"),
        "{}",
        r.stderr
    );
}

/// A missing key is reported at the file's first key, not at the comment above it.
#[test]
fn missing_keys_are_reported_at_the_first_key_not_a_comment() {
    let s = Site2::new();
    let unit = s.read(UNIT);
    let name_line = line_of(&unit, "name = \"Xã Mới\"");
    assert!(name_line > 1, "the skeleton starts with comments");
    let r = s.try_edit(UNIT, "name = \"Xã Mới\"\n", "");
    r.fails().has(
        "error",
        &format!("{UNIT}:{name_line}:1"),
        &["thiếu khóa bắt buộc `name`"],
    );
}

/// A stale unit kind is warned at its `kind` line, not at 1:1.
#[test]
fn a_stale_kind_is_warned_at_its_line() {
    let s = Site2::new();
    let unit = s.read(UNIT);
    let kind = line_of(&unit, "kind = \"xa\"");
    assert!(kind > 1);
    let r = s.try_edit(UNIT, "kind = \"xa\"", "kind = \"thi-tran\"");
    r.ok().has(
        "warning",
        &format!("{UNIT}:{kind}:8"),
        &["`kind`", "thi-tran", "01/07/2025"],
    );
}

/// `serve` on a site broken from the start says it has not built yet (not that "the last
/// good site is still served": there never was one), in Vietnamese.
#[test]
fn serve_broken_from_the_start_says_so() {
    use std::io::{BufRead, BufReader};
    let s = Site2::new();
    let unit = s.read(UNIT);
    s.write(
        UNIT,
        &unit.replace("Thôn Trung Tâm, xã Mới", "<Điền địa chỉ>"),
    );
    let mut child = Command::new(env!("CARGO_BIN_EXE_niemyet"))
        .args(["serve", "-r", s.root(), "-p", "0", "--today", TODAY])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("serve");
    let stderr = child.stderr.take().unwrap();
    let mut seen = String::new();
    for line in BufReader::new(stderr).lines() {
        let Ok(line) = line else { break };
        seen.push_str(&line);
        seen.push('\n');
        if line.starts_with("xem trước ") {
            break;
        }
    }
    let _ = child.kill();
    let _ = child.wait();
    assert!(seen.contains("còn giá trị mẫu"), "{seen}");
    assert!(seen.contains("trang chưa dựng được lần nào"), "{seen}");
    assert!(!seen.contains("vẫn được phục vụ"), "{seen}");
    assert!(seen.contains("(Ctrl+C để dừng)"), "{seen}");
}
