//! Helpers shared by the integration tests: fixture sites written to a temporary folder,
//! the real `niemyet` binary run on them, and small readers of the output.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The repository root.
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The shared folder beside the clone (`../shared`), or `NIEMYET_SHARED`.
pub fn shared() -> PathBuf {
    if let Ok(p) = std::env::var("NIEMYET_SHARED") {
        return PathBuf::from(p);
    }
    let beside = repo().join("../shared");
    if beside.is_dir() {
        return beside;
    }
    PathBuf::from("/work/shared")
}

/// A fixture site in a temporary folder.
pub struct Site {
    pub dir: tempfile::TempDir,
}

pub const SITE_TOML: &str = r#"title = "Thủ tục hành chính thử nghiệm"
base_url = "https://thutuc.example.gov.vn/"

[feedback]
agency = "Văn phòng UBND tỉnh"
address = "1 Đường Thử, Tỉnh Thử"
phone = "0207 3822 000"
email = "phananh@example.gov.vn"
"#;

/// A unit's `_unit.toml` with an office.
pub fn unit_toml(name: &str, kind: &str, extra: &str) -> String {
    format!(
        r#"name = "{name}"
kind = "{kind}"
{extra}

[office]
name = "Bộ phận một cửa {name}"
address = "Trụ sở {name}"
phone = "0207 000 000"
"#
    )
}

/// A complete procedure in `.md` form. `extra` goes at the top of the front matter.
pub fn procedure_md(code: &str, name: &str, extra: &str) -> String {
    format!(
        r#"+++
{extra}
code = "{code}"
name = "{name}"
sector = "Hộ tịch"
level = "xa"
decision = "163/QĐ-BTP"
applicants = ["Công dân Việt Nam"]
agency = "Ủy ban nhân dân cấp xã"
result = ["Giấy khai sinh"]
legal_basis = ["Luật Hộ tịch 2014 (60/2014/QH13)"]

[[channels]]
method = "truc-tiep"
time = {{ value = 3, unit = "working-days" }}
fees = [{{ amount = 15000, text = "Lệ phí đăng ký" }}]

[[channels]]
method = "truc-tuyen"
time = {{ value = 3, unit = "working-days" }}
fees = [{{ amount = 7000, text = "Nộp trực tuyến" }}]

[[dossier]]
case = "Giấy tờ phải nộp"
items = [
  {{ name = "Tờ khai đăng ký khai sinh", originals = 1, copies = 0 }},
  {{ name = "Giấy chứng sinh", originals = 1 }},
]
+++
Bước 1: Nộp hồ sơ tại Bộ phận một cửa.

Bước 2: Nhận kết quả.
"#
    )
}

impl Site {
    pub fn new() -> Site {
        let s = Site {
            dir: tempfile::tempdir().expect("tempdir"),
        };
        s.write("site.toml", SITE_TOML);
        std::fs::create_dir_all(s.path().join("content")).expect("content dir");
        s
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn write(&self, rel: &str, text: &str) -> &Self {
        let p = self.path().join(rel);
        std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
        std::fs::write(p, text).expect("write");
        self
    }

    pub fn write_bytes(&self, rel: &str, bytes: &[u8]) -> &Self {
        let p = self.path().join(rel);
        std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
        std::fs::write(p, bytes).expect("write");
        self
    }

    pub fn remove(&self, rel: &str) {
        std::fs::remove_file(self.path().join(rel)).expect("remove");
    }

    /// Runs `niemyet <args>` with `--root` this site.
    pub fn run(&self, cmd: &str, args: &[&str]) -> Run {
        let mut c = Command::new(env!("CARGO_BIN_EXE_niemyet"));
        c.arg(cmd).arg("--root").arg(self.path()).args(args);
        Run::from(c.output().expect("run niemyet"))
    }

    /// Builds into `public/` as of 2026-11-23 (unless `--today` is given).
    pub fn build(&self, args: &[&str]) -> Run {
        let mut all = vec![];
        if !args.contains(&"--today") {
            all.extend(["--today", "2026-11-23"]);
        }
        all.extend_from_slice(args);
        self.run("build", &all)
    }

    pub fn check(&self) -> Run {
        self.run("check", &["--today", "2026-11-23"])
    }

    pub fn out(&self) -> PathBuf {
        self.path().join("public")
    }

    /// Prints with `niemyet pdf <args> -o <site>/<file>`, which must succeed: the PDF.
    pub fn pdf(&self, file: &str, args: &[&str]) -> PathBuf {
        let pdf = self.path().join(file);
        let to = pdf.to_str().expect("a UTF-8 temporary folder").to_owned();
        let mut all = args.to_vec();
        all.extend(["-o", to.as_str()]);
        self.run("pdf", &all).ok();
        pdf
    }

    /// An output file's text; panics with the list of files when missing.
    pub fn page(&self, rel: &str) -> String {
        let p = self.out().join(rel);
        std::fs::read_to_string(&p).unwrap_or_else(|e| {
            panic!(
                "{}: {e}; output has: {:?}",
                p.display(),
                list_files(&self.out())
            )
        })
    }

    pub fn exists(&self, rel: &str) -> bool {
        self.out().join(rel).exists()
    }
}

/// Runs `niemyet <args>` outside any site (`init`, a folder that is not a site).
pub fn niemyet(args: &[&str]) -> Run {
    Run::from(
        Command::new(env!("CARGO_BIN_EXE_niemyet"))
            .args(args)
            .output()
            .expect("run niemyet"),
    )
}

/// A site made as a new webmaster makes one: `niemyet init <tmp>/trang <init_args>`.
pub struct InitSite {
    _dir: tempfile::TempDir,
    pub root: PathBuf,
}

impl InitSite {
    /// The site, and what `init` answered (not yet checked).
    pub fn init(init_args: &[&str]) -> (InitSite, Run) {
        let dir = tempfile::tempdir().expect("tempdir");
        let root = dir.path().join("trang");
        let root_arg = root.to_str().expect("a UTF-8 temporary folder").to_owned();
        let mut args = vec!["init", root_arg.as_str()];
        args.extend_from_slice(init_args);
        let r = niemyet(&args);
        (InitSite { _dir: dir, root }, r)
    }

    pub fn root(&self) -> &str {
        self.root.to_str().expect("a UTF-8 temporary folder")
    }

    /// `niemyet <cmd> -r ROOT <args>`.
    pub fn run(&self, cmd: &[&str], args: &[&str]) -> Run {
        let mut all: Vec<&str> = cmd.to_vec();
        all.extend(["-r", self.root()]);
        all.extend(args);
        niemyet(&all)
    }

    pub fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.root.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
    }

    pub fn write(&self, rel: &str, text: &str) {
        let p = self.root.join(rel);
        std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
        std::fs::write(p, text).expect("write");
    }
}

/// The result of one run of the binary.
pub struct Run {
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

impl From<Output> for Run {
    fn from(o: Output) -> Run {
        Run {
            code: o.status.code(),
            stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
        }
    }
}

impl Run {
    #[track_caller]
    pub fn ok(&self) -> &Self {
        assert_eq!(
            self.code,
            Some(0),
            "expected success; stderr:\n{}",
            self.stderr
        );
        self
    }

    #[track_caller]
    pub fn fails(&self) -> &Self {
        assert_eq!(
            self.code,
            Some(1),
            "expected exit 1 (content error, not a crash); stderr:\n{}",
            self.stderr
        );
        assert!(!self.stderr.contains("panicked"), "panic:\n{}", self.stderr);
        self
    }

    /// Asserts a diagnostic line that starts with `loc` (e.g. `content/a/x.md:7:`) and
    /// contains every one of `parts`.
    #[track_caller]
    pub fn has(&self, severity: &str, loc: &str, parts: &[&str]) -> &Self {
        let found = self.stderr.lines().any(|l| {
            l.starts_with(loc)
                && l.contains(&format!(": {severity}: "))
                && parts.iter().all(|p| l.contains(p))
        });
        assert!(
            found,
            "no {severity} at `{loc}` containing {parts:?}; stderr:\n{}",
            self.stderr
        );
        self
    }
}

pub fn list_files(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .filter_map(|e| {
            e.path()
                .strip_prefix(dir)
                .ok()
                .map(|p| p.to_string_lossy().into_owned())
        })
        .collect();
    v.sort();
    v
}

/// Every file under `dir` with its bytes.
pub fn snapshot(dir: &Path) -> Vec<(String, Vec<u8>)> {
    list_files(dir)
        .into_iter()
        .map(|f| {
            let b = std::fs::read(dir.join(&f)).expect("read");
            (f, b)
        })
        .collect()
}

pub fn copy_dir(src: &Path, dst: &Path) {
    for e in walkdir::WalkDir::new(src)
        .into_iter()
        .filter_map(Result::ok)
    {
        let rel = e.path().strip_prefix(src).expect("prefix");
        let to = dst.join(rel);
        if e.file_type().is_dir() {
            std::fs::create_dir_all(&to).expect("mkdir");
        } else if e.file_type().is_file() {
            std::fs::copy(e.path(), &to).expect("copy");
        }
    }
}

/// Values of an attribute (`href`, `src`) in an HTML text.
pub fn attrs(html: &str, name: &str) -> Vec<String> {
    let pat = format!(" {name}=\"");
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find(&pat) {
        rest = &rest[i + pat.len()..];
        if let Some(j) = rest.find('"') {
            out.push(rest[..j].replace("&amp;", "&"));
            rest = &rest[j..];
        }
    }
    out
}

/// The text between the first `start` and the next `end` after it.
pub fn between<'a>(s: &'a str, start: &str, end: &str) -> Option<&'a str> {
    let i = s.find(start)? + start.len();
    let j = s[i..].find(end)? + i;
    Some(&s[i..j])
}

/// HTML with tags removed and whitespace folded, for reading text.
pub fn text_of(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                out.push(' ');
            }
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Whether browser tests can run here. Without Chromium they are skipped loudly, except in
/// CI (`CI=true`), where a missing browser is a failure.
pub fn chromium_available() -> bool {
    let path = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    browser_available(&path, "playwright-core", "SKIPPED BROWSER TEST")
}

/// Whether the Firefox print test can run: Debian's `firefox-esr` (or `$FIREFOX`) and
/// puppeteer-core in tests/browser/node_modules; skipped or failed as Chromium's tests are.
pub fn firefox_available() -> bool {
    let path = std::env::var("FIREFOX").unwrap_or_else(|_| "/usr/bin/firefox-esr".into());
    browser_available(&path, "puppeteer-core", "SKIPPED")
}

/// A browser at `path` and its node driver in tests/browser/node_modules: true when both
/// are there; otherwise a loud skip, or a failure in CI (`CI=true`).
fn browser_available(path: &str, driver: &str, label: &str) -> bool {
    let has_browser = Path::new(path).exists();
    let has_driver = repo()
        .join("tests/browser/node_modules")
        .join(driver)
        .is_dir();
    if has_browser && has_driver {
        return true;
    }
    let why = if has_browser {
        format!("browser tests need tests/browser/node_modules/{driver} (run `npm ci` in tests/browser)")
    } else {
        format!("{path} not installed (apt-get install chromium firefox-esr; `npm ci` in tests/browser)")
    };
    if std::env::var("CI").is_ok_and(|v| v == "true" || v == "1") {
        panic!("{why}: missing in CI");
    }
    eprintln!("\n!!!!!!!! {label}: {why} !!!!!!!!\n");
    false
}

/// Runs `node tests/browser/<script> <args>`; panics with its output when it fails.
pub fn node(script: &str, args: &[&str]) -> String {
    let out = Command::new("node")
        .arg(repo().join("tests/browser").join(script))
        .args(args)
        .current_dir(repo().join("tests/browser"))
        .output()
        .expect("run node");
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{script} failed:\n{stdout}\n{stderr}");
    stdout
}

/// A copy of the bundled example site (site.toml, content/, themes/).
pub fn example() -> Site {
    let s = Site {
        dir: tempfile::tempdir().expect("tempdir"),
    };
    std::fs::copy(repo().join("site.toml"), s.path().join("site.toml")).expect("site.toml");
    copy_dir(&repo().join("content"), &s.path().join("content"));
    copy_dir(&repo().join("themes"), &s.path().join("themes"));
    s
}

/// The shared folder (`shared()`), under the name the importer tests use.
pub fn shared_dir() -> PathBuf {
    shared()
}

/// The 5,652 real records of the national procedure database.
pub fn dvcqg_dir() -> PathBuf {
    shared().join("data/dvcqg")
}

/// Runs a command-line tool (poppler, zbar) and gives its output; fails the test when it
/// is missing or fails.
pub fn tool(name: &str, args: &[&str]) -> String {
    let out = Command::new(name)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{name}: {e} (install poppler-utils and zbar-tools)"));
    assert!(
        out.status.success(),
        "{name} {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The text of every page, in order.
pub fn pages(pdf: &Path) -> Vec<String> {
    let text = tool("pdftotext", &["-layout", pdf.to_str().unwrap(), "-"]);
    let mut v: Vec<String> = text.split('\u{c}').map(str::to_owned).collect();
    if v.last().is_some_and(|p| p.trim().is_empty()) {
        v.pop();
    }
    v
}

/// The QR codes zbarimg reads on page `n` (1-based), rasterised at 150 dpi.
pub fn qr_on_page(pdf: &Path, n: usize, dir: &Path) -> Vec<String> {
    let prefix = dir.join(format!("page{n}"));
    let ns = n.to_string();
    tool(
        "pdftoppm",
        &[
            "-r",
            "150",
            "-f",
            &ns,
            "-l",
            &ns,
            "-png",
            "-singlefile",
            pdf.to_str().unwrap(),
            prefix.to_str().unwrap(),
        ],
    );
    qr_codes_in(Path::new(&format!("{}.png", prefix.display())))
}

/// The QR codes zbarimg reads in an image (none when it finds none).
pub fn qr_codes_in(png: &Path) -> Vec<String> {
    let out = Command::new("zbarimg")
        .args(["--quiet", "--raw"])
        .arg(png)
        .output()
        .expect("zbarimg (zbar-tools)");
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(str::to_owned)
        .collect()
}
