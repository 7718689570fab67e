//! Hostile and odd input (issue #28): control characters, named pipes, formula-like CSV
//! cells, odd form file names, `%2f` in a preview address, odd import records. Each case
//! runs the real binary on a real site and looks at what a reader would get.

mod common;
use common::*;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A site of one commune with one procedure of its own.
fn commune() -> Site {
    let s = Site::new();
    s.write(
        "content/tinh/_unit.toml",
        &unit_toml("Tỉnh Thử", "tinh", ""),
    );
    s.write("content/tinh/xa-a/_unit.toml", &unit_toml("Xã A", "xa", ""));
    s.write(
        "content/tinh/xa-a/a.md",
        &procedure_md("1.000001", "Đăng ký khai sinh", ""),
    );
    s
}

/// Runs `niemyet <args>` and kills it if it has not finished after `limit`: a hang is a
/// failure of the test, not of the test run.
fn run_within(args: &[&str], root: &Path, limit: Duration) -> Run {
    let mut child = Command::new(env!("CARGO_BIN_EXE_niemyet"))
        .args(args)
        .arg("--root")
        .arg(root)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run niemyet");
    let start = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if start.elapsed() > limit {
            let _ = child.kill();
            let out = child.wait_with_output().unwrap();
            panic!(
                "niemyet {args:?} still ran after {limit:?}: it hangs\n{}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    Run::from(child.wait_with_output().unwrap())
}

/// A running `niemyet serve` on a free port, killed when dropped.
struct Serve {
    child: Child,
    addr: String,
}

impl Drop for Serve {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Serve {
    /// Starts the preview; it must print its address within `limit`.
    fn start(root: &Path, limit: Duration) -> Serve {
        let mut child = Command::new(env!("CARGO_BIN_EXE_niemyet"))
            .args(["serve", "--port", "0", "--today", "2026-11-23", "--root"])
            .arg(root)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start serve");
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut line = String::new();
            let _ = BufReader::new(stdout).read_line(&mut line);
            let _ = tx.send(line);
        });
        let line = match rx.recv_timeout(limit) {
            Ok(l) => l,
            Err(_) => {
                let _ = child.kill();
                panic!("niemyet serve printed no address after {limit:?}: it hangs");
            }
        };
        let addr = line
            .trim()
            .strip_prefix("http://")
            .and_then(|s| s.strip_suffix('/'))
            .unwrap_or_else(|| panic!("address line: {line:?}"))
            .to_owned();
        Serve { child, addr }
    }

    /// GET of a raw request target: (status, headers, body).
    fn get(&self, target: &str) -> (u16, String, String) {
        let mut s = std::net::TcpStream::connect(&self.addr).expect("connect");
        s.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
        write!(
            s,
            "GET {target} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
            self.addr
        )
        .unwrap();
        let mut buf = Vec::new();
        s.read_to_end(&mut buf).expect("read response");
        let text = String::from_utf8_lossy(&buf).into_owned();
        let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
        let status = head
            .split_whitespace()
            .nth(1)
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
        (status, head.to_owned(), body.to_owned())
    }

    /// GET until the page answers 200 (the first render may still be running).
    fn page(&self, target: &str) -> String {
        let start = Instant::now();
        loop {
            let (status, _, body) = self.get(target);
            if status == 200 {
                return body;
            }
            assert!(
                start.elapsed() < Duration::from_secs(60),
                "{target}: {status}\n{body}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

fn mkfifo(p: &Path) {
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    let made = Command::new("mkfifo").arg(p).status();
    assert!(made.is_ok_and(|s| s.success()), "mkfifo {}", p.display());
}

/// Control characters (C0 but tab and line ends, U+FFFE, U+FFFF) in any text, raw or as
/// TOML escapes, even in `base_url`: removed at load with a warning naming file and line;
/// feed.xml and sitemap.xml are well-formed XML (read back by an XML parser), and no
/// page, open data file or search index holds one.
#[test]
fn control_characters_never_reach_the_output() {
    let s = commune();
    s.write(
        "site.toml",
        &SITE_TOML.replace(
            "base_url = \"https://thutuc.example.gov.vn/\"",
            "base_url = \"https://thutuc.example\\u0001.gov.vn/\"",
        ),
    );
    s.write(
        "content/tinh/xa-a/_unit.toml",
        &unit_toml("Xã A\u{b}", "xa", ""),
    );
    s.write(
        "content/tinh/xa-a/a.md",
        &procedure_md("1.000001", "Đăng ký\u{1} khai sinh\u{ffff}", "")
            .replace(
                "Bước 2: Nhận kết quả.",
                "Bước 2:\u{0} nhận\u{1b}[31m kết quả\u{fffe}.",
            )
            .replace("sector = \"Hộ tịch\"", "sector = \"Hộ\\u0007 tịch\\b\"")
            // A change date (on the same line), so that the procedure is in the feed.
            .replace("decision = \"163/QĐ-BTP\"", "updated = 2026-01-05"),
    );
    let r = s.build(&[]);
    r.ok();
    r.has(
        "warning",
        "content/tinh/xa-a/a.md:4:",
        &["ký tự điều khiển U+0001"],
    );
    r.has(
        "warning",
        "content/tinh/xa-a/a.md:5:",
        &["ký tự điều khiển"],
    );
    r.has("warning", "content/tinh/xa-a/a.md:32:", &["U+0000"]);
    r.has("warning", "content/tinh/xa-a/_unit.toml:1:", &["U+000B"]);
    r.has("warning", "site.toml:2:", &["ký tự điều khiển"]);
    for xml in ["feed.xml", "sitemap.xml"] {
        let text = s.page(xml);
        if let Err(e) = roxmltree::Document::parse(&text) {
            panic!("{xml} is not well-formed XML: {e}\n{text}");
        }
    }
    let feed = s.page("feed.xml");
    assert!(feed.contains("Đăng ký khai sinh"), "{feed}");
    assert!(s
        .page("sitemap.xml")
        .contains("https://thutuc.example.gov.vn/tinh/xa-a/"));
    let forbidden = |c: char| {
        (c < ' ' && !matches!(c, '\t' | '\n' | '\r')) || c == '\u{fffe}' || c == '\u{ffff}'
    };
    for f in list_files(&s.out()) {
        let Ok(text) = std::fs::read_to_string(s.out().join(&f)) else {
            continue;
        };
        assert!(!text.contains(forbidden), "{f} holds a control character");
    }
    assert!(s
        .page("tinh/xa-a/1.000001/index.html")
        .contains("Đăng ký khai sinh"));
    assert!(s.page("tinh/xa-a/data.csv").contains("Hộ tịch"));
}

/// A named pipe (FIFO) named like a procedure, a catalogue entry or a unit file is never
/// read: `check`, `build` and `serve` finish (or answer) instead of waiting on it for
/// good, and say which file was skipped.
#[cfg(unix)]
#[test]
fn named_pipes_do_not_hang_check_build_or_serve() {
    let s = commune();
    mkfifo(&s.path().join("content/tinh/xa-a/b.md"));
    mkfifo(&s.path().join("content/_catalog/c.toml"));
    mkfifo(&s.path().join("content/tinh/xa-b/_unit.toml"));
    let limit = Duration::from_secs(60);
    let check = run_within(&["check", "--today", "2026-11-23"], s.path(), limit);
    check.ok();
    let build = run_within(&["build", "--today", "2026-11-23"], s.path(), limit);
    build.ok();
    for r in [&check, &build] {
        r.has(
            "warning",
            "content/tinh/xa-a/b.md",
            &["không phải là một tệp thường", "skipped"],
        );
        r.has(
            "warning",
            "content/_catalog/c.toml",
            &["không phải là một tệp thường"],
        );
    }
    assert!(s.exists("tinh/xa-a/1.000001/index.html"));
    let srv = Serve::start(s.path(), limit);
    assert!(srv
        .page("/tinh/xa-a/1.000001/")
        .contains("Đăng ký khai sinh"));
    // A named pipe as site.toml: nothing to build, said as an error, at once.
    s.remove("site.toml");
    mkfifo(&s.path().join("site.toml"));
    let r = run_within(&["check", "--today", "2026-11-23"], s.path(), limit);
    r.fails();
    r.has("error", "site.toml", &["không phải là một tệp thường"]);
}

/// The importer skips, with a message, a record whose code is not a procedure code
/// (`README`, `index.html`, words) and one that gives two codes; it never writes a file
/// named after them. A named pipe among the records does not stop it.
#[test]
fn odd_import_records_are_skipped_with_a_message() {
    let s = commune();
    let sample = std::fs::read_to_string(dvcqg_dir().join("1.000005.txt")).unwrap();
    let code_line = sample
        .lines()
        .find(|l| l.starts_with("Mã thủ tục:"))
        .unwrap()
        .to_owned();
    let inbox = s.path().join("xuat");
    std::fs::create_dir_all(&inbox).unwrap();
    let record = |name: &str, code_lines: &str| {
        std::fs::write(inbox.join(name), sample.replace(&code_line, code_lines)).unwrap();
    };
    record("a.txt", "Mã thủ tục: README");
    record("b.txt", "Mã thủ tục: index.html");
    record("c.txt", "Mã thủ tục: Thủ tục đăng ký");
    record("d.txt", "Mã thủ tục: 1.000005\nMã thủ tục: 1.000006");
    record("e.txt", &code_line);
    #[cfg(unix)]
    mkfifo(&inbox.join("f.txt"));
    let into = "content/_catalog/dvcqg";
    let r = run_within(
        &["import", "dvcqg", inbox.to_str().unwrap(), "--into", into],
        s.path(),
        Duration::from_secs(60),
    );
    r.ok();
    for (file, says) in [
        ("a.txt:2:", "`README` không phải là một mã thủ tục"),
        ("b.txt:2:", "`index.html` không phải là một mã thủ tục"),
        ("c.txt:2:", "không phải là một mã thủ tục"),
        (
            "d.txt:3:",
            "dòng `Mã thủ tục:` thứ hai (dòng đầu là dòng 2)",
        ),
    ] {
        assert!(
            r.stderr
                .lines()
                .any(|l| l.contains(file) && l.contains(says)),
            "{file} {says}:\n{}",
            r.stderr
        );
    }
    let written: Vec<String> = std::fs::read_dir(s.path().join(into))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(written, ["1.000005.md"], "{}", r.stderr);
    s.build(&[]).ok();
}

/// The `href` values of `<a>` links to attached form files on a page.
fn form_links(html: &str) -> Vec<String> {
    attrs(html, "href")
        .into_iter()
        .filter(|h| h.contains("tep-dinh-kem/"))
        .collect()
}

/// `href` resolved against the page at `page` (an output path such as
/// `tinh/xa-a/1.000001/index.html`), percent-decoded as a browser and a web server do:
/// the output file it names.
fn resolve(page: &str, href: &str) -> String {
    let mut parts: Vec<&str> = page.split('/').collect();
    parts.pop();
    for seg in href.split('/') {
        match seg {
            ".." => {
                parts.pop();
            }
            "." | "" => {}
            s => parts.push(s),
        }
    }
    let joined = parts.join("/");
    percent_encoding::percent_decode_str(&joined)
        .decode_utf8()
        .expect("a link decodes to UTF-8")
        .into_owned()
}

/// Form files whose names hold `#`, `?`, `%`, `\`, spaces and Vietnamese letters: their
/// links are percent-encoded, and each link, followed from the page (on disk, and through
/// the preview server), leads to the copied file with its bytes.
#[test]
fn links_to_form_files_with_odd_names_lead_to_the_files() {
    let s = commune();
    let names = [
        "mẫu đơn #1?.pdf",
        "tờ khai (bản 2) 50%.docx",
        "a\\b.pdf",
        "x&y=z;+@.pdf",
    ];
    let mut forms = Vec::new();
    for (i, n) in names.iter().enumerate() {
        s.write_bytes(
            &format!("content/tinh/xa-a/mau/{n}"),
            format!("%PDF tệp {i}").as_bytes(),
        );
        forms.push(format!("{{ name = \"Mẫu {i}\", file = '''mau/{n}''' }}"));
    }
    let md = procedure_md(
        "1.000001",
        "Đăng ký khai sinh",
        &format!("forms = [{}]", forms.join(", ")),
    )
    .replace(
        "{ name = \"Giấy chứng sinh\", originals = 1 }",
        "{ name = \"Giấy chứng sinh\", originals = 1, form = \"Mẫu 0\" }",
    );
    s.write("content/tinh/xa-a/a.md", &md);
    s.build(&[]).ok();
    let page_path = "tinh/xa-a/1.000001/index.html";
    let page = s.page(page_path);
    let links = form_links(&page);
    assert!(links.len() > names.len(), "{links:?}");
    for href in &links {
        assert!(
            !href.contains(['#', '?', ' ', '\\']) && href.is_ascii(),
            "not encoded: {href}"
        );
        let file = resolve(page_path, href);
        assert!(
            s.out().join(&file).is_file(),
            "{href} → {file}: no such file in the output"
        );
    }
    for (i, n) in names.iter().enumerate() {
        let copied = std::fs::read(s.out().join(format!("tep-dinh-kem/tinh/xa-a/mau/{n}")))
            .unwrap_or_else(|e| panic!("{n}: {e}"));
        assert_eq!(copied, format!("%PDF tệp {i}").as_bytes());
        assert!(
            links.iter().any(|h| resolve(page_path, h).ends_with(n)),
            "no link to {n}: {links:?}"
        );
    }
    // Through the preview, from the page's address, as a browser asks. The preview
    // answers no address with a backslash in it (a wall against Windows-style `..\`),
    // so that one file is looked for on disk only, above.
    let srv = Serve::start(s.path(), Duration::from_secs(60));
    let page = srv.page("/tinh/xa-a/1.000001/");
    for href in form_links(&page).into_iter().filter(|h| !h.contains("%5C")) {
        let target = format!("/{}", resolve("tinh/xa-a/1.000001/x", &href));
        let encoded: Vec<String> = target
            .split('/')
            .map(|seg| {
                percent_encoding::utf8_percent_encode(seg, percent_encoding::NON_ALPHANUMERIC)
                    .to_string()
            })
            .collect();
        let (status, _, body) = srv.get(&encoded.join("/"));
        assert_eq!(status, 200, "{href}");
        assert!(body.starts_with("%PDF tệp"), "{href}: {body}");
    }
}

/// The preview answers `%2f` inside a path segment with 404: it is not a `/`, so
/// `/tinh%2fxa-a/` is no page of the site (served as the unit page, all its relative links
/// would break). The real address still answers.
#[test]
fn the_preview_answers_an_encoded_slash_with_404() {
    let s = commune();
    let srv = Serve::start(s.path(), Duration::from_secs(60));
    assert!(srv.page("/tinh/xa-a/").contains("Xã A"));
    for target in [
        "/tinh%2fxa-a/",
        "/tinh%2Fxa-a/",
        "/tinh%2fxa-a/index.html",
        "/tinh/xa-a%2f1.000001/",
    ] {
        let (status, _, body) = srv.get(target);
        assert_eq!(status, 404, "{target}");
        assert!(!body.contains("Bộ phận một cửa Xã A"), "{target}: {body}");
    }
    assert_eq!(srv.get("/tinh/xa-a/1.000001/").0, 200);
}

/// Cells of data.csv that a spreadsheet would run as a formula (`-2+3+cmd|' /C
/// calc'!A0`, `=…`, `+…`, `@…`) start with `'`, which makes them text; a negative number
/// stays a number.
#[test]
fn csv_cells_that_look_like_formulas_are_made_text() {
    let s = commune();
    s.write(
        "content/tinh/xa-a/a.md",
        &procedure_md("1.000001", "-2+3+cmd|' /C calc'!A0", "")
            .replace(
                "sector = \"Hộ tịch\"",
                "sector = \"=HYPERLINK(\\\"http://x\\\")\"",
            )
            .replace("decision = \"163/QĐ-BTP\"", "decision = \"-5\""),
    );
    s.write(
        "content/tinh/xa-a/b.md",
        &procedure_md("1.000002", "@SUM(A1:A9)", "").replace(
            "legal_basis = [\"Luật Hộ tịch 2014 (60/2014/QH13)\"]",
            "legal_basis = [\"+1+1\"]",
        ),
    );
    s.build(&[]).ok();
    let csv = s.page("tinh/xa-a/data.csv");
    let mut rd = csv::ReaderBuilder::new().from_reader(csv.as_bytes());
    let header = rd.headers().unwrap().clone();
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let rows: Vec<csv::StringRecord> = rd.records().map(Result::unwrap).collect();
    let by_code = |code: &str| {
        rows.iter()
            .find(|r| &r[col("Mã TTHC")] == code)
            .unwrap_or_else(|| panic!("{code}: {csv}"))
            .clone()
    };
    let a = by_code("1.000001");
    assert_eq!(&a[col("Tên TTHC")], "'-2+3+cmd|' /C calc'!A0");
    assert_eq!(&a[col("Lĩnh vực")], "'=HYPERLINK(\"http://x\")");
    assert_eq!(&a[col("Số quyết định công bố")], "-5");
    let b = by_code("1.000002");
    assert_eq!(&b[col("Tên TTHC")], "'@SUM(A1:A9)");
    assert_eq!(&b[col("Căn cứ pháp lý")], "'+1+1");
    for row in &rows {
        for cell in row.iter() {
            let formula = cell.starts_with(['=', '+', '@', '\t', '\r'])
                || (cell.starts_with('-') && cell.len() > 1 && cell != "-5");
            assert!(!formula, "a cell a spreadsheet would run: {cell:?}");
        }
    }
}
