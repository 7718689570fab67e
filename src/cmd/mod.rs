//! The subcommands, one file each. `main.rs` only parses arguments and calls these.

pub mod build;
pub mod check;
pub mod import;
pub mod init;
pub mod new;
pub mod pdf;
pub mod serve;

use crate::content;
use crate::date::Date;
use crate::diag::{Diagnostic, Diagnostics, Severity};
use crate::resolve::{self, ResolvedSite};
use std::io::Write;
use std::path::Path;

/// Reads, resolves and checks a site: the first three stages, shared by `build`, `check`
/// and `serve`. Returns the site (when it could be read at all) and every diagnostic.
pub fn load(
    root: &Path,
    today: Date,
    base_url: Option<&str>,
) -> (Option<ResolvedSite>, Vec<Diagnostic>) {
    let mut d = Diagnostics::new();
    let Some(mut c) = content::load(root, &mut d) else {
        return (None, d.finish());
    };
    if let Some(url) = base_url {
        c.site.base_url = if url.ends_with('/') {
            url.to_owned()
        } else {
            format!("{url}/")
        };
    }
    let site = resolve::resolve(c, today, &mut d);
    crate::check::check(&site, &mut d);
    (Some(site), d.finish())
}

/// Prints diagnostics to stderr, then a one-line count. Returns the number of errors.
pub fn report(diags: &[Diagnostic]) -> usize {
    let stderr = std::io::stderr();
    let mut w = stderr.lock();
    for d in diags {
        let _ = writeln!(w, "{d}");
    }
    let errors = diags
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    let warnings = diags.len() - errors;
    if !diags.is_empty() {
        let _ = writeln!(w, "{errors} error(s), {warnings} warning(s)");
    }
    errors
}

/// Parses `--today`.
pub fn parse_today(s: Option<&str>) -> Result<Date, String> {
    match s {
        None => Ok(Date::today()),
        Some(s) => Date::parse(s)
            .ok_or_else(|| format!("--today: expected a date like 2025-07-01, found \"{s}\"")),
    }
}
