//! `niemyet report [--format csv|json] [-o FILE]`: the disclosure report of the site
//! (`render::report`) for the province's procedure-control office, on standard output or
//! into a file. It reads and checks the content like `check`; it needs no build.

use super::fail;
use crate::date::Date;
use crate::diag::Lang;
use crate::render::report::Report;
use std::io::Write;
use std::path::PathBuf;

/// The report's formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Comma-separated, Vietnamese column names, the province summary as the first row.
    Csv,
    /// JSON: `summary`, then `units`.
    Json,
}

/// What `report` is asked to do.
#[derive(Debug, Clone)]
pub struct ReportArgs {
    pub root: PathBuf,
    pub format: Format,
    /// Default: standard output.
    pub out: Option<PathBuf>,
    pub today: Option<String>,
}

/// Runs `report`. Exit code: 0, 1 when the content has errors (printed; no report), 2
/// on a bad date or a file that cannot be written.
pub fn run(args: &ReportArgs) -> i32 {
    let today = match super::parse_today(args.today.as_deref()) {
        Ok(d) => d,
        Err(e) => return fail(&e, 2),
    };
    let (site, diags) = super::load(&args.root, today, None);
    let errors = super::report(&diags);
    let site = match site {
        Some(s) if errors == 0 => s,
        _ => return 1,
    };
    let report = Report::build(&site);
    let bytes = match args.format {
        Format::Csv => report.csv().map_err(|e| e.to_string()),
        Format::Json => report.json().map_err(|e| e.to_string()),
    };
    let bytes = match bytes {
        Ok(b) => b,
        Err(e) => return fail(&e, 2),
    };
    let written = match &args.out {
        Some(path) => std::fs::write(path, &bytes).map_err(|e| format!("{}: {e}", path.display())),
        None => std::io::stdout()
            .lock()
            .write_all(&bytes)
            .map_err(|e| format!("stdout: {e}")),
    };
    match written {
        Ok(()) => 0,
        Err(e) => fail(&e, 2),
    }
}

/// Parses `--since` (of `pdf`).
pub fn parse_since(s: &str) -> Result<Date, String> {
    Date::parse(s).ok_or_else(|| match Lang::current() {
        Lang::Vi => format!(
            "--since: cần một ngày dạng năm-tháng-ngày như 2025-07-01, nhưng đây là \"{s}\""
        ),
        Lang::En => format!("--since: expected a date like 2025-07-01, found \"{s}\""),
    })
}

/// What `pdf --since` says when nothing changed.
pub fn no_changes(unit: &str, since: Date) -> String {
    match Lang::current() {
        Lang::Vi => format!(
            "{unit}: không có thay đổi niêm yết từ {} đến nay, không có gì để in; không ghi tệp PDF",
            since.vi()
        ),
        Lang::En => format!(
            "{unit}: nothing changed on the board since {}, nothing to print; no PDF was written",
            since.iso()
        ),
    }
}
