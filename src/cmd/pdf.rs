//! `niemyet pdf <unit>`: the unit's noticeboard pack printed to an A4 PDF by a locally
//! installed Chromium (headless, `--print-to-pdf`). Chromium is the printer because it
//! implements the CSS the pack relies on (named pages, `@page` margin boxes with page
//! counters), and it is what most offices already have; no PDF library is bundled.

use crate::render::{changes, noticeboard, qr, RenderContext, RenderOptions};
use crate::theme;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// What `pdf` is asked to do.
#[derive(Debug, Clone)]
pub struct PdfArgs {
    pub root: PathBuf,
    /// Unit path, e.g. `tuyen-quang/xa-son-duong`.
    pub unit: String,
    /// Default: `niem-yet-<unit path with - for />.pdf` in the current folder.
    pub out: Option<PathBuf>,
    pub today: Option<String>,
    /// `--since YYYY-MM-DD`: print only what changed on the board since that day (the
    /// change pack, `render::changes`).
    pub since: Option<String>,
}

/// Why no PDF was written.
#[derive(Debug)]
pub enum PdfError {
    /// Bad arguments: unknown unit, bad date.
    Usage(String),
    /// The content has errors (already printed).
    Content(usize),
    /// No Chromium, or Chromium failed.
    Printer(String),
    /// `--since`: nothing changed on the board, so there is nothing to print.
    Nothing(String),
}

impl PdfError {
    /// The exit code: 1 content errors, 2 bad arguments, 3 printing failed, 5 nothing
    /// changed since `--since` (no PDF).
    pub fn exit_code(&self) -> i32 {
        match self {
            PdfError::Nothing(_) => 5,
            PdfError::Content(_) => 1,
            PdfError::Usage(_) => 2,
            PdfError::Printer(_) => 3,
        }
    }
}

impl std::fmt::Display for PdfError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PdfError::Usage(s) | PdfError::Printer(s) | PdfError::Nothing(s) => f.write_str(s),
            PdfError::Content(n) => write!(f, "{n} error(s) in the content; no PDF was written"),
        }
    }
}

/// Browsers tried in order on `PATH` when `$CHROMIUM` is not set.
const BROWSERS: &[&str] = &[
    "chromium",
    "chromium-browser",
    "google-chrome",
    "google-chrome-stable",
];

/// How long Chromium may take before it is considered stuck.
const PRINT_TIMEOUT: Duration = Duration::from_secs(180);

/// The Chromium to print with: `$CHROMIUM`, else the first of [`BROWSERS`] on `PATH`.
pub fn find_chromium() -> Result<PathBuf, PdfError> {
    if let Some(p) = std::env::var_os("CHROMIUM") {
        let p = PathBuf::from(p);
        return if p.is_file() {
            Ok(p)
        } else {
            Err(PdfError::Printer(format!(
                "$CHROMIUM is set to {}, which is not a file",
                p.display()
            )))
        };
    }
    let path = std::env::var_os("PATH").unwrap_or_default();
    for name in BROWSERS {
        for dir in std::env::split_paths(&path) {
            let candidate = dir.join(name);
            if candidate.is_file() {
                return Ok(candidate);
            }
        }
    }
    Err(PdfError::Printer(format!(
        "no Chromium found (looked for {} on PATH). Install one, e.g. `apt-get install chromium` \
         on Debian or Ubuntu, or set CHROMIUM=/path/to/chrome. Without it, open the pack's \
         niem-yet/index.html in Chrome or Edge and print it (A4, portrait, no headers and footers).",
        BROWSERS.join(", ")
    )))
}

/// Builds the pack and prints it. Returns the PDF's path.
pub fn run(args: &PdfArgs) -> Result<PathBuf, PdfError> {
    let today = super::parse_today(args.today.as_deref()).map_err(PdfError::Usage)?;
    let since = match args.since.as_deref() {
        None => None,
        Some(s) => Some(super::report::parse_since(s).map_err(PdfError::Usage)?),
    };
    // Find the printer first: no point checking a whole site to then fail on this.
    let chromium = find_chromium()?;
    let (site, diags) = super::load(&args.root, today, None);
    let errors = super::report(&diags);
    let site = match site {
        Some(s) if errors == 0 => s,
        _ => return Err(PdfError::Content(errors.max(1))),
    };
    let wanted = args.unit.trim_matches('/');
    let Some(&ui) = site.by_path.get(wanted) else {
        if let Some(r) = site.redirects.iter().find(|r| r.from == wanted) {
            let now: Vec<&str> =
                r.to.iter()
                    .map(|(i, _)| site.units[*i].unit.path.as_str())
                    .collect();
            return Err(PdfError::Usage(format!(
                "`{wanted}` is a former unit; it is now {}",
                now.join(" or ")
            )));
        }
        let mut known: Vec<&str> = site.units.iter().map(|u| u.unit.path.as_str()).collect();
        known.sort_unstable();
        return Err(PdfError::Usage(format!(
            "no unit at `{wanted}`; units: {}",
            known.join(", ")
        )));
    };

    let mut d = crate::diag::Diagnostics::new();
    let theme = theme::load(
        &site.root,
        &site.config.theme,
        &site.config.language,
        &mut d,
    );
    let n = super::report(&d.finish());
    let Some(theme) = theme.filter(|_| n == 0) else {
        return Err(PdfError::Content(n.max(1)));
    };
    // Printed now: the sheets carry the date of printing.
    let opts = RenderOptions {
        print_date: Some(crate::date::Date::today()),
        ..RenderOptions::default()
    };
    let cx = RenderContext::new(&site, &theme, &opts);
    let made = match since {
        Some(from) => changes::pack(&cx, ui, &changes::since(&site, ui, from)).map(|p| {
            p.ok_or_else(|| {
                PdfError::Nothing(super::report::no_changes(&site.units[ui].unit.name, from))
            })
        }),
        None => noticeboard::pack(&cx, ui).map(|p| {
            p.ok_or_else(|| {
                PdfError::Usage(format!(
                    "`{wanted}` publishes no current procedure on {}: there is no board to print",
                    today.vi()
                ))
            })
        }),
    };
    let (rel, html) = match made {
        Ok(Ok(p)) => (p.file.clone(), p.into_bytes(&cx)),
        Ok(Err(e)) => return Err(e),
        Err(e) => {
            eprintln!("{e}");
            return Err(PdfError::Content(1));
        }
    };

    // The pack and the theme's static files, laid out as in a built site.
    let tmp = tempfile::Builder::new()
        .prefix("niemyet-pdf-")
        .tempdir()
        .map_err(|e| PdfError::Printer(format!("cannot create a temporary folder: {e}")))?;
    let write = |rel: &str, bytes: &[u8]| -> Result<(), PdfError> {
        let p = tmp.path().join(rel);
        if let Some(dir) = p.parent() {
            std::fs::create_dir_all(dir)
                .map_err(|e| PdfError::Printer(format!("{}: {e}", dir.display())))?;
        }
        std::fs::write(&p, bytes).map_err(|e| PdfError::Printer(format!("{}: {e}", p.display())))
    };
    write(&rel, &html)?;
    for (path, bytes) in &cx.theme.statics {
        write(&format!("static/{path}"), bytes)?;
    }
    // The QR code of every procedure on the board (its sheets refer to the file).
    for pb in site.units[ui].current() {
        let code = &pb.procedure.code;
        let svg = qr::printed(&cx.absolute(&format!("tthc/{code}")))
            .map_err(|e| PdfError::Printer(format!("QR code of {code}: {e}")))?;
        write(&qr::procedure_qr_file(code), svg.as_bytes())?;
    }

    let out = args
        .out
        .clone()
        .unwrap_or_else(|| PathBuf::from(format!("niem-yet-{}.pdf", wanted.replace('/', "-"))));
    let out_abs = absolute(&out);
    let page = tmp.path().join(&rel);
    print(&chromium, &page, &out_abs, tmp.path())?;
    Ok(out)
}

fn absolute(p: &Path) -> PathBuf {
    if p.is_absolute() {
        p.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(p)
    }
}

/// Runs Chromium headless on a local file. `--no-sandbox` because it runs as root in CI and
/// in containers, where the sandbox cannot start; the page is our own output, read from
/// disk with networking and extensions off, in a throwaway profile.
/// Chromium's profile and log go in `scratch`.
fn print(chromium: &Path, page: &Path, pdf: &Path, scratch: &Path) -> Result<(), PdfError> {
    let _ = std::fs::remove_file(pdf);
    let log_path = scratch.join("chromium.log");
    // A file, not a pipe: Chromium logs a lot, and a full pipe would block it.
    let log = std::fs::File::create(&log_path)
        .map_err(|e| PdfError::Printer(format!("{}: {e}", log_path.display())))?;
    let mut child = Command::new(chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--no-default-browser-check",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-extensions",
            "--no-pdf-header-footer",
        ])
        .arg(format!(
            "--user-data-dir={}",
            scratch.join("profile").display()
        ))
        .arg(format!("--print-to-pdf={}", pdf.display()))
        .arg(file_url(page))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::from(log))
        .spawn()
        .map_err(|e| PdfError::Printer(format!("cannot start {}: {e}", chromium.display())))?;
    let start = Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(s)) => break s,
            Ok(None) if start.elapsed() > PRINT_TIMEOUT => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(PdfError::Printer(format!(
                    "{} did not finish printing within {} s",
                    chromium.display(),
                    PRINT_TIMEOUT.as_secs()
                )));
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(50)),
            Err(e) => return Err(PdfError::Printer(format!("waiting for Chromium: {e}"))),
        }
    };
    let stderr = std::fs::read_to_string(&log_path).unwrap_or_default();
    let written = std::fs::metadata(pdf).map(|m| m.len()).unwrap_or(0);
    if !status.success() || written == 0 {
        let last: Vec<&str> = stderr.lines().rev().take(5).collect();
        return Err(PdfError::Printer(format!(
            "{} failed to print ({status}); its last messages:\n{}",
            chromium.display(),
            last.into_iter().rev().collect::<Vec<_>>().join("\n")
        )));
    }
    Ok(())
}

/// `file://` URL of an absolute path, percent-encoding what a URL cannot hold.
fn file_url(p: &Path) -> String {
    let mut s = String::from("file://");
    for b in p.to_string_lossy().bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'/' | b'-' | b'_' | b'.' | b'~' => {
                s.push(b as char)
            }
            _ => s.push_str(&format!("%{b:02X}")),
        }
    }
    s
}
