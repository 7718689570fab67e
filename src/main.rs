//! The `niemyet` command: parses arguments and calls [`niemyet::cmd`].

use clap::{Parser, Subcommand};
use niemyet::cmd;
use niemyet::diag::report::{Options, WarningMode};
use niemyet::diag::Lang;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// mimalloc's `mi_option_purge_delay` (mimalloc.h), which libmimalloc-sys does not name;
/// the option after it, `use_numa_nodes`, it does (a test checks the default).
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t =
    libmimalloc_sys::mi_option_use_numa_nodes - 1;

/// A one-shot command (build, check, import, pdf) keeps the memory it frees for its next
/// allocations: by default mimalloc returns freed memory to the OS after a delay and takes
/// it back, zeroed, at the next page fault. A 20k build took 4,000 page faults (most of
/// them 2 MiB huge pages, 6 % of its samples in the kernel's `clear_page`) instead of
/// 500; keeping the memory saves 2 % of its wall time (0.06 s of system time, medians of
/// 9 alternating runs) for 2 % more peak memory. A site whose big files are rebuilt in
/// big buffers gains more: the province adopting all 5,652 national records (an 82 MB
/// pack) 1.86 → 1.69 s. National builds showed no change beyond the machine's noise
/// (peak memory 658–666 MiB both ways).
/// `serve` runs for hours and keeps the default, giving memory back between rebuilds.
#[allow(unsafe_code)] // see the SAFETY comment below
fn keep_freed_memory() {
    // SAFETY: sets one integer option before any other thread exists; mimalloc reads it
    // on its next purge. -1 is the documented "no purging at all".
    unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, -1) }
}

#[derive(Parser)]
#[command(
    name = "niemyet",
    version,
    about = "Publishes administrative procedures (thủ tục hành chính) as a static site",
    long_about = "Publishes administrative procedures (thủ tục hành chính) as a fast, searchable, printable static site.\n\nA site is site.toml, content/ (units, procedures, the shared catalogue) and optionally themes/. See README.md for the format.\n\nExit codes: 0 success, 1 content errors (printed), 2 bad arguments or no site at --root, 3 printing failed (pdf), 5 nothing changed since pdf --since (no PDF)."
)]
struct Cli {
    /// Language of niemyet's messages: vi (default) or en. Default: the site's `language`.
    #[arg(long, global = true, value_name = "vi|en")]
    lang: Option<String>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Check the content and write the site into the output folder (atomically).
    Build {
        /// The site folder (holding site.toml and content/).
        #[arg(long, short, default_value = ".")]
        root: PathBuf,
        /// Output folder; replaced whole only when the build succeeds. Default: ROOT/public.
        #[arg(long, short)]
        out: Option<PathBuf>,
        /// Build as of this date (YYYY-MM-DD): decides what is current, upcoming, repealed.
        #[arg(long)]
        today: Option<String>,
        /// Publish at this URL instead of site.toml's base_url.
        #[arg(long)]
        base_url: Option<String>,
        /// Links end in index.html, for browsing from disk or a USB stick without JavaScript.
        #[arg(long)]
        file_links: bool,
        /// Print only errors (and one line counting the warnings).
        #[arg(long, short)]
        quiet: bool,
        /// How to print warnings: all, summary (a count per kind when there are many), none.
        #[arg(long, value_enum, default_value_t = WarningMode::Summary)]
        warnings: WarningMode,
        /// Print how long each stage took.
        #[arg(long)]
        timings: bool,
        /// Rebuild even when no input changed since the last build.
        #[arg(long)]
        force: bool,
        /// Stop (exit 4) instead of waiting when another build writes the same output.
        #[arg(long)]
        no_wait: bool,
    },
    /// Report every problem in the content at once (path:line:col: error|warning: …).
    Check {
        /// The site folder (holding site.toml and content/).
        #[arg(long, short, default_value = ".")]
        root: PathBuf,
        /// Check as of this date (YYYY-MM-DD).
        #[arg(long)]
        today: Option<String>,
        /// Print only errors (and one line counting the warnings).
        #[arg(long, short)]
        quiet: bool,
        /// How to print warnings: all, summary (a count per kind when there are many), none.
        #[arg(long, value_enum, default_value_t = WarningMode::Summary)]
        warnings: WarningMode,
    },
    /// Import procedures from another system's export into content/.
    Import {
        #[command(subcommand)]
        from: ImportFrom,
    },
    /// Preview the site while editing: serves it, rebuilds what an edit changes, reloads open pages.
    Serve {
        /// The site folder (holding site.toml and content/).
        #[arg(long, short, default_value = ".")]
        root: PathBuf,
        /// Port to listen on; a free one is taken when it is in use.
        #[arg(long, short, default_value_t = 8000)]
        port: u16,
        /// Address to listen on (loopback by default: the preview is for this computer).
        #[arg(long, default_value = "127.0.0.1")]
        bind: String,
        /// Open the preview in the browser.
        #[arg(long)]
        open: bool,
        /// Build as of this date (YYYY-MM-DD) instead of today.
        #[arg(long)]
        today: Option<String>,
    },
    /// Create a new sample site that builds (a province, a commune, a catalogue procedure).
    Init {
        /// Folder to create the site in.
        dir: PathBuf,
        /// Site title.
        #[arg(long, default_value = "Thủ tục hành chính tỉnh Mẫu")]
        title: String,
    },
    /// Print a unit's noticeboard (bảng niêm yết) to an A4 PDF with a local Chromium.
    Pdf {
        /// Unit path, e.g. tuyen-quang/xa-son-duong.
        unit: String,
        /// The PDF to write. Default: niem-yet-<unit path>.pdf in the current folder.
        #[arg(long, short)]
        out: Option<PathBuf>,
        /// The site folder (holding site.toml and content/).
        #[arg(long, short, default_value = ".")]
        root: PathBuf,
        /// Print as of this date (YYYY-MM-DD): decides what is current and the print date.
        #[arg(long)]
        today: Option<String>,
        /// Print only what changed on the board since this date (YYYY-MM-DD): a cover
        /// listing what to post, replace and take down, the sheets to post, and the danh mục
        /// when it changed. Exit 5 (no PDF) when nothing changed.
        #[arg(long, value_name = "DATE")]
        since: Option<String>,
    },
    /// The disclosure report for the province: every unit's published, upcoming and
    /// repealed procedures, unpublished components, feedback contact, last change.
    Report {
        /// csv (Vietnamese column names, the province summary first) or json.
        #[arg(long, value_enum, default_value_t = cmd::report::Format::Csv)]
        format: cmd::report::Format,
        /// Write to this file instead of standard output.
        #[arg(long, short)]
        out: Option<PathBuf>,
        /// The site folder (holding site.toml and content/).
        #[arg(long, short, default_value = ".")]
        root: PathBuf,
        /// Report as of this date (YYYY-MM-DD).
        #[arg(long)]
        today: Option<String>,
    },
    /// Create a unit or procedure file to fill in.
    New {
        #[command(subcommand)]
        what: NewWhat,
    },
}

#[derive(Subcommand)]
enum ImportFrom {
    /// The national procedure database's plain-text export (Cổng Dịch vụ công quốc gia):
    /// one <code>.md per procedure code, re-importable without losing local keys.
    #[command(
        long_about = "Import the national procedure database's plain-text export (Cổng Dịch vụ công quốc gia).\n\nEach record becomes <code>.md in the target folder. Re-importing leaves unchanged files untouched, rewrites changed ones keeping the keys you added by hand, and reports added / changed / unchanged / skipped counts. Bad records are reported as file:line: message and skipped. Exit 0 when records were imported (even if some were skipped), 1 when none could be, 2 on bad arguments. See docs/import.md for the mapping."
    )]
    Dvcqg {
        /// Export files (any name) or folders (walked for *.txt).
        #[arg(required = true)]
        inputs: Vec<PathBuf>,
        /// Target folder inside the site's content/, relative to --root, e.g. content/_catalog/dvcqg.
        #[arg(long)]
        into: PathBuf,
        /// The site folder (holding site.toml and content/).
        #[arg(long, short, default_value = ".")]
        root: PathBuf,
        /// Replace existing files even when their front matter can not be read (hand edits in them are lost).
        #[arg(long)]
        force: bool,
    },
}

#[derive(Subcommand)]
enum NewWhat {
    /// A unit: content/<PATH>/_unit.toml, its values to fill in marked "<Điền …>".
    Unit {
        /// Unit path, e.g. tuyen-quang/xa-dong-loi (content/tuyen-quang/xa-dong-loi works too).
        path: String,
        /// Name, e.g. "Xã Đông Lợi".
        #[arg(long)]
        name: String,
        /// Kind: tinh, thanh-pho-tw, xa, phuong, dac-khu (or legacy huyen, quan, thi-xa, thanh-pho, thi-tran).
        #[arg(long, default_value = "xa")]
        kind: String,
        /// The site folder (holding site.toml and content/).
        #[arg(long, short, default_value = ".")]
        root: PathBuf,
    },
    /// A procedure: content/<UNIT>/<CODE>.md (UNIT may be _catalog). For a code the
    /// catalogue has, a short override file; else a full file to fill in.
    Procedure {
        /// Unit path, or _catalog for the shared catalogue.
        unit: String,
        /// Procedure code, e.g. 1.001193.
        code: String,
        /// The procedure's name (tên thủ tục), for a code not in the catalogue.
        #[arg(long)]
        name: Option<String>,
        /// The site folder (holding site.toml and content/).
        #[arg(long, short, default_value = ".")]
        root: PathBuf,
    },
}

/// The site folder a command works in, when it has one.
fn root_of(c: &Command) -> Option<&Path> {
    match c {
        Command::Build { root, .. }
        | Command::Check { root, .. }
        | Command::Serve { root, .. }
        | Command::Pdf { root, .. }
        | Command::Report { root, .. } => Some(root),
        Command::New {
            what: NewWhat::Unit { root, .. } | NewWhat::Procedure { root, .. },
        } => Some(root),
        Command::Import {
            from: ImportFrom::Dvcqg { root, .. },
        } => Some(root),
        Command::Init { .. } => None,
    }
}

/// Prints a command's own error (not a diagnostic) and gives its exit code.
fn fail(message: &str, code: i32) -> i32 {
    let word = match Lang::current() {
        Lang::Vi => "lỗi",
        Lang::En => "error",
    };
    eprintln!("{word}: {message}");
    code
}

/// Exit code 2 with a message when `root` holds no site: a typo in --root is not a
/// content error.
fn require_site(root: &Path) -> Result<(), i32> {
    if niemyet::config::is_site(root) {
        return Ok(());
    }
    let shown = root.display();
    let message = match (Lang::current(), root.is_dir()) {
        (Lang::Vi, true) => format!(
            "{shown} không phải thư mục của một trang: không có site.toml. Chọn đúng thư mục bằng --root, hoặc tạo trang mới: niemyet init THƯ_MỤC"
        ),
        (Lang::Vi, false) => format!(
            "không có thư mục {shown}: chọn thư mục của trang (nơi có site.toml) bằng --root, hoặc tạo trang mới: niemyet init THƯ_MỤC"
        ),
        (Lang::En, true) => format!(
            "{shown} is not a site: it has no site.toml. Give the site's folder with --root, or start one: niemyet init DIR"
        ),
        (Lang::En, false) => format!(
            "the folder {shown} does not exist: give the site's folder (holding site.toml) with --root, or start one: niemyet init DIR"
        ),
    };
    Err(fail(&message, 2))
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    if !matches!(cli.command, Command::Serve { .. }) {
        keep_freed_memory();
    }
    // The language of messages: --lang, else the site's `language`, else Vietnamese.
    let lang = match cli.lang.as_deref() {
        Some(code) => match Lang::from_code(code) {
            Some(l) => l,
            None => {
                eprintln!(
                    "lỗi: --lang: cần vi hoặc en, nhưng đây là \"{code}\" (error: --lang: expected vi or en, found \"{code}\")"
                );
                return ExitCode::from(2);
            }
        },
        None => root_of(&cli.command)
            .and_then(niemyet::config::peek_language)
            .and_then(|l| Lang::from_code(&l))
            .unwrap_or_default(),
    };
    lang.set_current();
    ExitCode::from(run(cli.command, lang) as u8)
}

fn run(command: Command, lang: Lang) -> i32 {
    // `new` and `import` say themselves what they need of the folder; `init` makes one.
    let needs_site = !matches!(command, Command::New { .. } | Command::Import { .. });
    if let Some(root) = root_of(&command).filter(|_| needs_site) {
        if let Err(code) = require_site(root) {
            return code;
        }
    }
    match command {
        Command::Build {
            root,
            out,
            today,
            base_url,
            file_links,
            quiet,
            warnings,
            timings,
            force,
            no_wait,
        } => {
            let out = out.unwrap_or_else(|| root.join("public"));
            let args = cmd::build::BuildArgs {
                root,
                out,
                today,
                base_url,
                file_links,
                quiet,
                report: Options {
                    warnings,
                    quiet,
                    lang,
                },
                timings,
                force,
                no_wait,
            };
            match cmd::build::run(&args) {
                Ok(_) => 0,
                Err(cmd::build::BuildError::Usage(e)) => fail(&e, 2),
                Err(cmd::build::BuildError::Content(n)) => fail(
                    &match lang {
                        Lang::Vi => format!("{n} lỗi trong nội dung; không ghi gì, bản dựng trước vẫn giữ nguyên"),
                        Lang::En => format!("{n} error(s) in the content; nothing was written, the previous output is unchanged"),
                    },
                    1,
                ),
                Err(e) => fail(&e.to_string(), e.exit_code()),
            }
        }
        Command::Check {
            root,
            today,
            quiet,
            warnings,
        } => cmd::check::run(
            &root,
            today.as_deref(),
            &Options {
                warnings,
                quiet,
                lang,
            },
        ),
        Command::Import {
            from:
                ImportFrom::Dvcqg {
                    inputs,
                    into,
                    root,
                    force,
                },
        } => cmd::import::run(&cmd::import::ImportArgs {
            inputs,
            root,
            into,
            force,
        }),
        Command::Serve {
            root,
            port,
            bind,
            open,
            today,
        } => cmd::serve::run(root, port, bind, open, today.as_deref()),
        Command::Init { dir, title } => result(cmd::init::run(&dir, &title)),
        Command::Pdf {
            unit,
            out,
            root,
            today,
            since,
        } => {
            let args = cmd::pdf::PdfArgs {
                root,
                unit,
                out,
                today,
                since,
            };
            match cmd::pdf::run(&args) {
                Ok(pdf) => {
                    eprintln!("wrote {}", pdf.display());
                    0
                }
                Err(cmd::pdf::PdfError::Nothing(m)) => {
                    eprintln!("{m}");
                    5
                }
                Err(e) => fail(&e.to_string(), e.exit_code()),
            }
        }
        Command::Report {
            format,
            out,
            root,
            today,
        } => cmd::report::run(&cmd::report::ReportArgs {
            root,
            format,
            out,
            today,
        }),
        Command::New { what } => match what {
            NewWhat::Unit {
                path,
                name,
                kind,
                root,
            } => result(cmd::new::unit(&root, &path, &name, &kind)),
            NewWhat::Procedure {
                unit,
                code,
                name,
                root,
            } => result(cmd::new::procedure(&root, &unit, &code, name.as_deref())),
        },
    }
}

/// Exit 0, or 2 with the message: the errors of `init` and `new` are all about their
/// arguments or the folder they were pointed at.
fn result(r: Result<(), String>) -> i32 {
    match r {
        Ok(()) => 0,
        Err(e) => fail(&e, 2),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The option index is the one mimalloc reads `MIMALLOC_PURGE_DELAY` into: its
    /// default (1000 ms in mimalloc 3) is what `mi_option_get` gives, unless the
    /// environment sets it.
    #[test]
    #[allow(unsafe_code)] // see the SAFETY comment below
    fn the_purge_delay_option_is_the_one_mimalloc_documents() {
        if std::env::var_os("MIMALLOC_PURGE_DELAY").is_some() {
            eprintln!("MIMALLOC_PURGE_DELAY is set: default not checked");
            return;
        }
        // SAFETY: reads an integer option.
        let delay = unsafe { libmimalloc_sys::mi_option_get(MI_OPTION_PURGE_DELAY) };
        assert_eq!(
            delay, 1000,
            "option {MI_OPTION_PURGE_DELAY} is not purge_delay"
        );
    }
}
