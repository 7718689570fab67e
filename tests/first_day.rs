//! A webmaster's first day, walked with the real binary as the README tells it: `init`, a
//! commune with `new unit`, a catalogue procedure with `new procedure`, then each mistake
//! a new webmaster makes, checking the exit code and the message (file:line:col, the key,
//! the form to write, in Vietnamese), and that no placeholder ever reaches `public/`.

mod common;
use common::*;
use std::path::{Path, PathBuf};
use std::process::Command;

const TODAY: &str = "2026-11-23";

/// A site made by `niemyet init` in a temporary folder.
struct Day {
    site: InitSite,
}

impl std::ops::Deref for Day {
    type Target = InitSite;
    fn deref(&self) -> &InitSite {
        &self.site
    }
}

impl Day {
    fn start() -> Day {
        let (site, r) = InitSite::init(&["--title", "Thủ tục hành chính tỉnh Mẫu"]);
        r.ok();
        assert!(
            r.stdout.contains("niemyet check"),
            "init says what next: {}",
            r.stdout
        );
        let day = Day { site };
        // The sample's only warnings: its example addresses, which init says to change
        // first; the webmaster does.
        let r = day.check();
        r.ok();
        assert_eq!(r.stderr.matches("warning: ").count(), 2, "{}", r.stderr);
        r.has("warning", "site.toml:6:12", &["`base_url`", "địa chỉ mẫu"]);
        let site = day.read("site.toml");
        day.write(
            "site.toml",
            &site
                .replace("thutuc.example.gov.vn", "thutuc.tinhmau.gov.vn")
                .replace("phananh@example.gov.vn", "phananh@tinhmau.gov.vn"),
        );
        day
    }

    fn check(&self) -> Run {
        self.run(&["check"], &["--today", TODAY])
    }

    fn build(&self) -> Run {
        self.run(&["build"], &["--today", TODAY, "-q"])
    }

    fn public(&self) -> PathBuf {
        self.root.join("public")
    }

    /// Makes one mistake in `rel` (`from` → `to`), runs `check` and `build`, asserts both
    /// fail with exit 1, the previous output untouched, and the diagnostic line at `loc`
    /// holding every one of `parts`; then puts the file back.
    #[track_caller]
    fn mistake(&self, rel: &str, from: &str, to: &str, loc: &str, parts: &[&str]) {
        let good = self.read(rel);
        assert!(good.contains(from), "{rel} has no {from:?}");
        self.write(rel, &good.replacen(from, to, 1));
        let before = snapshot(&self.public());
        let r = self.check();
        r.fails().has("error", loc, parts);
        // The message is whole: the key named, no English parser words left bare.
        let line = r.stderr.lines().find(|l| l.starts_with(loc)).unwrap();
        assert!(line.contains('`'), "names the key: {line}");
        let b = self.build();
        b.fails().has("error", loc, parts);
        assert_eq!(
            snapshot(&self.public()),
            before,
            "a failed build leaves public/ whole"
        );
        self.write(rel, &good);
    }
}

/// Every file under `dir` whose text holds `needle`.
fn files_holding(dir: &Path, needle: &str) -> Vec<String> {
    list_files(dir)
        .into_iter()
        .filter(|f| {
            std::fs::read(dir.join(f)).is_ok_and(|b| String::from_utf8_lossy(&b).contains(needle))
        })
        .collect()
}

#[test]
fn a_webmasters_first_day() {
    let day = Day::start();

    // The sample site is complete: no placeholder, no theme copied, no error, no warning.
    assert!(files_holding(&day.root, "<Điền").is_empty());
    assert!(!day.root.join("themes").exists(), "init copies no theme");
    let r = day.check();
    r.ok();
    assert!(!r.stderr.contains("warning"), "{}", r.stderr);
    assert!(r.stderr.contains("ổn: 2 đơn vị"), "{}", r.stderr);
    day.build().ok();
    let page = std::fs::read_to_string(day.public().join("tinh-mau/xa-mau/1.001193/index.html"))
        .expect("the sample commune's procedure page");
    assert!(page.contains("Đăng ký khai sinh"));

    // A commune, with the path as tab completion gives it (content/…).
    let r = day.run(
        &["new", "unit", "content/tinh-mau/xa-moi"],
        &["--name", "Xã Mới", "--kind", "xa"],
    );
    r.ok();
    assert!(day
        .root
        .join("content/tinh-mau/xa-moi/_unit.toml")
        .is_file());
    assert!(!day.root.join("content/content").exists());
    let unit = day.read("content/tinh-mau/xa-moi/_unit.toml");
    assert!(
        unit.contains("name = \"Xã Mới\"") && unit.contains("<Điền"),
        "{unit}"
    );

    // Its placeholders are errors, each at its line and column with its key; the build
    // writes nothing, and the last good site stays.
    let before = snapshot(&day.public());
    let r = day.check();
    r.fails();
    let placeholders: Vec<&str> = r
        .stderr
        .lines()
        .filter(|l| l.contains("còn giá trị mẫu"))
        .collect();
    assert_eq!(placeholders.len(), 4, "{}", r.stderr);
    r.has(
        "error",
        "content/tinh-mau/xa-moi/_unit.toml:15:11",
        &[
            "`office.address` (địa chỉ)",
            "còn giá trị mẫu",
            "<Điền địa chỉ nơi tiếp nhận hồ sơ>",
        ],
    );
    r.has(
        "error",
        "content/tinh-mau/xa-moi/_unit.toml:16:9",
        &["`office.phone`", "còn giá trị mẫu", "không bắt buộc"],
    );
    day.build().fails();
    assert_eq!(snapshot(&day.public()), before);

    // Filled in, and adopting a catalogue procedure.
    let filled = unit
        .replace(
            "<Điền tên nơi tiếp nhận hồ sơ, ví dụ: Trung tâm Phục vụ hành chính công Xã Mới>",
            "Trung tâm Phục vụ hành chính công xã Mới",
        )
        .replace(
            "<Điền địa chỉ nơi tiếp nhận hồ sơ>",
            "Thôn Trung Tâm, xã Mới",
        )
        .replace("<Điền số điện thoại>", "0200 3 800 200")
        .replace(
            "<Điền giờ làm việc, ví dụ: Sáng 7h30–11h30, chiều 13h30–17h00, thứ Hai đến thứ Sáu>",
            "Thứ Hai đến thứ Sáu",
        )
        .replace("adopt = []", "adopt = [\"2.000815\"]");
    day.write("content/tinh-mau/xa-moi/_unit.toml", &filled);
    day.check().ok();

    // A procedure the catalogue has: a short override file, the code and comments only.
    let r = day.run(&["new", "procedure", "tinh-mau/xa-moi", "1.001193"], &[]);
    r.ok();
    assert!(r.stdout.contains("danh mục chung"), "{}", r.stdout);
    let over = day.read("content/tinh-mau/xa-moi/1.001193.md");
    let keys: Vec<&str> = over
        .lines()
        .filter(|l| !l.starts_with('#') && l.trim() != "+++" && !l.trim().is_empty())
        .collect();
    assert_eq!(keys, ["code = \"1.001193\""], "{over}");
    for key in [
        "name",
        "sector",
        "channels",
        "dossier",
        "legal_basis",
        "fees",
    ] {
        assert!(
            over.lines()
                .any(|l| l.starts_with(&format!("# {key} ")) || l.contains(key)),
            "a comment for `{key}`: {over}"
        );
    }
    day.check().ok();
    day.build().ok();
    let page = std::fs::read_to_string(day.public().join("tinh-mau/xa-moi/1.001193/index.html"))
        .expect("the commune's page of the catalogue procedure");
    let text = text_of(&page);
    for catalogue_value in [
        "Đăng ký khai sinh",
        "Hộ tịch",
        "Luật Hộ tịch số 60/2014/QH13",
    ] {
        assert!(
            text.contains(catalogue_value),
            "{catalogue_value} from the catalogue"
        );
    }
    for skeleton in [
        "Tên thủ tục",
        "Văn bản quy phạm pháp luật",
        "Kết quả thực hiện\"",
    ] {
        assert!(
            !page.contains(skeleton),
            "no skeleton value {skeleton:?} on the page"
        );
    }
    // Neither twice, nor a code the unit already publishes in another file.
    let r = day.run(&["new", "procedure", "tinh-mau/xa-moi", "1.001193"], &[]);
    assert_eq!(r.code, Some(2), "{}", r.stderr);
    assert!(
        r.stderr.contains("1.001193") && r.stderr.contains("đã có"),
        "{}",
        r.stderr
    );
    std::fs::rename(
        day.root.join("content/tinh-mau/xa-moi/1.001193.md"),
        day.root.join("content/tinh-mau/xa-moi/khai-sinh.md"),
    )
    .unwrap();
    let r = day.run(
        &["new", "procedure", "content/tinh-mau/xa-moi", "1.001193"],
        &[],
    );
    assert_eq!(r.code, Some(2), "{}", r.stderr);
    assert!(
        r.stderr.contains("content/tinh-mau/xa-moi/khai-sinh.md"),
        "{}",
        r.stderr
    );

    // A code the catalogue does not have: a full file whose values are placeholders.
    let r = day.run(
        &["new", "procedure", "tinh-mau/xa-moi", "9.000001"],
        &["--name", "Hỗ trợ cây giống"],
    );
    r.ok();
    let r = day.check();
    r.fails();
    for key in [
        "`sector`",
        "`agency`",
        "`applicants[1]`",
        "`legal_basis[1]`",
        "`steps`",
    ] {
        r.has(
            "error",
            "content/tinh-mau/xa-moi/9.000001.md:",
            &[key, "còn giá trị mẫu"],
        );
    }
    assert!(
        !r.stderr.contains("`name`"),
        "the name given is not a placeholder"
    );
    day.build().fails();
    std::fs::remove_file(day.root.join("content/tinh-mau/xa-moi/9.000001.md")).unwrap();
    day.check().ok();
    day.build().ok();

    // The mistakes of the issue, one at a time.
    let unit_file = "content/tinh-mau/xa-moi/_unit.toml";
    let line_of =
        |text: &str, needle: &str| text.lines().position(|l| l.contains(needle)).unwrap() + 1;
    let adopt_line = line_of(&day.read(unit_file), "adopt = [");
    day.mistake(
        unit_file,
        "adopt = [",
        "adpot = [",
        &format!("{unit_file}:{adopt_line}:1"),
        &["`adpot`", "ý bạn là `adopt`?"],
    );
    let proc_file = "content/_catalog/ho-tich/dang-ky-khai-sinh.md";
    let eff = line_of(&day.read(proc_file), "effective = ");
    day.mistake(
        proc_file,
        "effective = 2025-07-01",
        "effective = 01/07/2025",
        &format!("{proc_file}:{eff}:13"),
        &[
            "`effective` (ngày có hiệu lực)",
            "năm-tháng-ngày",
            "Viết: `effective = 2025-07-01`",
        ],
    );
    day.mistake(
        proc_file,
        "effective = 2025-07-01",
        "effective = 2025-7-1",
        &format!("{proc_file}:{eff}:13"),
        &[
            "`effective`",
            "hai chữ số",
            "Viết: `effective = 2025-07-01`",
        ],
    );
    let fee_file = "content/_catalog/chung-thuc/chung-thuc-ban-sao-tu-ban-chinh.toml";
    let fee = line_of(&day.read(fee_file), "amount = 2000,");
    day.mistake(
        fee_file,
        "amount = 2000,",
        "amount = 15.000,",
        &format!("{fee_file}:{fee}:14"),
        &[
            "`channels[1].fees[1].amount` (mức thu)",
            "số nguyên",
            "Viết: `amount = 15000`",
        ],
    );
    let time = line_of(&day.read(fee_file), "time = ");
    day.mistake(
        fee_file,
        "time = { text = \"Trong ngày tiếp nhận yêu cầu; nếu tiếp nhận sau 15 giờ thì trả kết quả trong ngày làm việc tiếp theo\" }",
        "time = \"3 ngày làm việc\"",
        &format!("{fee_file}:{time}:8"),
        &[
            "`channels[1].time` (thời hạn giải quyết)",
            "cần một bảng",
            "Viết: `time = { value = 3, unit = \"working-days\" }`",
        ],
    );
    // A folder between units without _unit.toml.
    std::fs::create_dir_all(day.root.join("content/tinh-mau/huyen-cu/xa-cu")).unwrap();
    day.write(
        "content/tinh-mau/huyen-cu/xa-cu/_unit.toml",
        "name = \"Xã Cũ\"\nkind = \"xa\"\n",
    );
    day.check().fails().has(
        "error",
        "content/tinh-mau/huyen-cu:",
        &["_unit.toml", "niemyet new unit tinh-mau/huyen-cu"],
    );
    std::fs::remove_dir_all(day.root.join("content/tinh-mau/huyen-cu")).unwrap();
    // `new unit` under a folder that is not a unit says what to create first.
    let r = day.run(
        &["new", "unit", "tinh-mau/huyen-cu/xa-cu"],
        &["--name", "Xã Cũ"],
    );
    assert_eq!(r.code, Some(2), "{}", r.stderr);
    assert!(
        r.stderr.contains("niemyet new unit tinh-mau/huyen-cu"),
        "{}",
        r.stderr
    );
    assert!(!day.root.join("content/tinh-mau/huyen-cu").exists());

    // Nothing half-filled was ever published.
    day.check().ok();
    day.build().ok();
    assert!(files_holding(&day.public(), "<Điền").is_empty());
    assert!(files_holding(&day.public(), "Điền").is_empty());
}

/// Commands pointed at a folder that is not a site: exit 2 and a message, nothing made.
#[test]
fn a_folder_that_is_not_a_site_is_refused_with_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let nowhere = dir.path().join("khong-co");
    let nowhere = nowhere.to_str().unwrap();
    for cmd in [&["build"][..], &["check"], &["serve"], &["pdf", "tinh/xa"]] {
        let mut args = cmd.to_vec();
        args.extend(["--root", nowhere]);
        let r = niemyet(&args);
        assert_eq!(r.code, Some(2), "{cmd:?}: {}", r.stderr);
        assert!(
            r.stderr.contains("không có thư mục"),
            "{cmd:?}: {}",
            r.stderr
        );
    }
    let r = niemyet(&["new", "unit", "tinh/xa-a", "--name", "X", "--root", nowhere]);
    assert_eq!(r.code, Some(2), "{}", r.stderr);
    assert!(r.stderr.contains("site.toml"), "{}", r.stderr);
    assert!(!Path::new(nowhere).exists(), "new unit made no folder");
    // A folder without site.toml.
    let empty = dir.path().to_str().unwrap();
    let r = niemyet(&["build", "-r", empty]);
    assert_eq!(r.code, Some(2), "{}", r.stderr);
    assert!(r.stderr.contains("không có site.toml"), "{}", r.stderr);
    let r = niemyet(&["build", "-r", empty, "--lang", "en"]);
    assert!(r.stderr.contains("it has no site.toml"), "{}", r.stderr);
    // `new unit` refuses content/content/….
    let day = Day::start();
    let r = day.run(
        &["new", "unit", "content/content/tinh-mau/xa-b"],
        &["--name", "X"],
    );
    assert_eq!(r.code, Some(2), "{}", r.stderr);
    assert!(r.stderr.contains("content/content"), "{}", r.stderr);
    assert!(!day.root.join("content/content").exists());
}

/// The conventional short flags and the quiet report.
#[test]
fn short_flags_and_quiet_output() {
    let day = Day::start();
    let out = day.root.join("ra");
    let r = niemyet(&[
        "build",
        "-r",
        day.root(),
        "-o",
        out.to_str().unwrap(),
        "-q",
        "--today",
        TODAY,
    ]);
    r.ok();
    assert!(
        r.stderr.is_empty(),
        "-q prints nothing on success: {}",
        r.stderr
    );
    assert!(out.join("index.html").is_file());
    // A warning: -q hides it behind one line of counts.
    let f = "content/_catalog/chung-thuc/chung-thuc-ban-sao-tu-ban-chinh.toml";
    let text = day.read(f);
    day.write(
        f,
        &text.replace("{ amount = 2000, text = \"Mỗi trang\" }", "{ amount = 0 }"),
    );
    let r = day.run(&["check"], &["-q"]);
    r.ok();
    assert_eq!(r.stderr.lines().count(), 1, "{}", r.stderr);
    assert!(r.stderr.contains("0 lỗi, 1 cảnh báo"), "{}", r.stderr);
    assert!(r.stderr.contains("--warnings all"), "{}", r.stderr);
    let r = day.run(&["check"], &["--warnings", "all"]);
    r.ok().has("warning", &format!("{f}:"), &["mức thu 0 đồng"]);
}

/// `serve` on a site broken from the start: every address shows the diagnostics (not a
/// bare 404), and the real pages come once the file is fixed.
#[test]
fn serve_on_a_site_broken_from_the_start_shows_why_and_recovers() {
    use std::io::{BufRead, BufReader, Read, Write};
    let day = Day::start();
    let unit = "content/tinh-mau/xa-mau/_unit.toml";
    let good = day.read(unit);
    day.write(
        unit,
        &good.replace("Trụ sở Ủy ban nhân dân xã Mẫu, tỉnh Mẫu", "<Điền địa chỉ>"),
    );

    struct Kill(std::process::Child);
    impl Drop for Kill {
        fn drop(&mut self) {
            let _ = self.0.kill();
            let _ = self.0.wait();
        }
    }
    let mut child = Command::new(env!("CARGO_BIN_EXE_niemyet"))
        .args(["serve", "-r", day.root(), "-p", "0", "--today", TODAY])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("serve");
    let stdout = child.stdout.take().unwrap();
    let _kill = Kill(child);
    let mut line = String::new();
    BufReader::new(stdout).read_line(&mut line).unwrap();
    let addr = line
        .trim()
        .trim_start_matches("http://")
        .trim_end_matches('/')
        .to_owned();
    let get = |path: &str| -> (u16, String) {
        let mut s = std::net::TcpStream::connect(&addr).expect("connect");
        write!(
            s,
            "GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
        )
        .unwrap();
        let mut buf = Vec::new();
        s.read_to_end(&mut buf).unwrap();
        let text = String::from_utf8_lossy(&buf).into_owned();
        let status = text
            .split_whitespace()
            .nth(1)
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
        (status, text)
    };
    for path in ["/", "/tinh-mau/xa-mau/", "/khong-co/trang-nao/"] {
        let (status, text) = get(path);
        assert_eq!(status, 503, "{path}: {text}");
        assert!(text.contains("text/html"), "{text}");
        assert!(
            text.contains("content/tinh-mau/xa-mau/_unit.toml:")
                && text.contains("còn giá trị mẫu")
                && text.contains("&lt;Điền địa chỉ&gt;"),
            "{path}: the diagnostics, escaped: {text}"
        );
    }
    day.write(unit, &good);
    let start = std::time::Instant::now();
    loop {
        let (status, text) = get("/tinh-mau/xa-mau/");
        if status == 200 {
            assert!(text.contains("Xã Mẫu"), "{text}");
            break;
        }
        assert!(
            start.elapsed() < std::time::Duration::from_secs(20),
            "not fixed after 20 s: {text}"
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    assert_eq!(
        get("/khong-co/").0,
        404,
        "an address that does not exist is a 404 again"
    );
}

/// The site `init` makes keeps its builds out of version control: after a build, git sees
/// the site's own files only, not `public/` nor the lock, marker and fingerprint a build
/// keeps beside it (a webmaster running `git add .` would have published them).
#[test]
fn a_built_site_shows_git_only_its_own_files() {
    let (site, r) = InitSite::init(&[]);
    r.ok();
    let git = |args: &[&str]| {
        Command::new("git")
            .arg("-C")
            .arg(&site.root)
            .args(args)
            .output()
    };
    match git(&["init", "-q"]) {
        Ok(o) if o.status.success() => {}
        _ if std::env::var("CI").is_ok_and(|v| v == "true" || v == "1") => {
            panic!("git is missing in CI")
        }
        _ => {
            eprintln!("\n!!!!!!!! SKIPPED: git not installed !!!!!!!!\n");
            return;
        }
    }
    site.run(&["build"], &["--today", TODAY]).ok();
    assert!(site.root.join("public/index.html").is_file());
    let beside: Vec<String> = std::fs::read_dir(&site.root)
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".public"))
        .collect();
    assert!(
        beside.len() >= 2,
        "the build's files beside public/: {beside:?}"
    );
    let status = git(&["status", "--porcelain", "--untracked-files=all"]).unwrap();
    let listed = String::from_utf8_lossy(&status.stdout);
    let stray: Vec<&str> = listed.lines().filter(|l| l.contains("public")).collect();
    assert!(
        stray.is_empty(),
        "git would add the build's files: {stray:?}"
    );
    assert!(listed.contains("site.toml"), "{listed}");
}
