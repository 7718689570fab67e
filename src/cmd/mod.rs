//! The subcommands, one file each. `main.rs` only parses arguments and calls these.

pub mod build;
pub mod check;
pub mod import;
pub mod init;
pub mod new;
pub mod pdf;
pub mod report;
pub mod serve;

use crate::content::{self, LoadCache};
use crate::date::Date;
use crate::diag::report::Options;
use crate::diag::{Diagnostic, Diagnostics, Lang, Severity};
use crate::resolve::{self, ResolvedSite};
use std::io::Write;
use std::path::Path;

/// Reads, resolves and checks a site: the stages before rendering (config, content,
/// resolve, check), shared by `build`, `check` and `serve`. Returns the site (when it
/// could be read at all) and every diagnostic, those found in imported catalogue data
/// marked as such.
pub fn load(
    root: &Path,
    today: Date,
    base_url: Option<&str>,
) -> (Option<ResolvedSite>, Vec<Diagnostic>) {
    let mut d = Diagnostics::new();
    let config = crate::config::load(root, &mut d);
    let Some(mut c) = content::load_content(root, config, &mut d, &mut LoadCache::default()) else {
        return (None, d.finish());
    };
    if let Some(url) = base_url {
        c.site.base_url = if url.ends_with('/') {
            url.to_owned()
        } else {
            format!("{url}/")
        };
    }
    let imported = std::mem::take(&mut c.imported);
    let site = resolve::resolve(c, today, &mut d);
    crate::check::check(&site, &mut d);
    d.mark_imported(&imported);
    let mut diags = d.finish();
    if base_url.is_some() {
        // Published at another address than site.toml's: its example base_url is moot.
        diags.retain(|x| {
            !matches!(&x.message, crate::diag::Msg::SampleAddress { key, .. } if key == "base_url")
        });
    }
    (Some(site), diags)
}

/// Prints diagnostics to stderr as [`report_with`] does with the default options (errors
/// in full, warnings summarised when many), in the current language. Returns the number
/// of errors.
pub fn report(diags: &[Diagnostic]) -> usize {
    report_with(diags, &Options::current())
}

/// Prints diagnostics to stderr: errors in full, warnings as `opts` says, then a line of
/// counts. Returns the number of errors.
pub fn report_with(diags: &[Diagnostic], opts: &Options) -> usize {
    let text = crate::diag::report::render(diags, opts);
    let _ = std::io::stderr().lock().write_all(text.as_bytes());
    diags
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count()
}

/// Parses `--today`.
pub fn parse_today(s: Option<&str>) -> Result<Date, String> {
    match s {
        None => Ok(Date::today()),
        Some(s) => Date::parse(s).ok_or_else(|| match Lang::current() {
            Lang::Vi => format!(
                "--today: cần một ngày dạng năm-tháng-ngày như 2025-07-01, nhưng đây là \"{s}\""
            ),
            Lang::En => format!("--today: expected a date like 2025-07-01, found \"{s}\""),
        }),
    }
}

/// Prints a command's own error (not a diagnostic), "lỗi: …" (or "error: …" in English),
/// and gives its exit code.
pub fn fail(message: &str, code: i32) -> i32 {
    let word = match Lang::current() {
        Lang::Vi => "lỗi",
        Lang::En => "error",
    };
    eprintln!("{word}: {message}");
    code
}
