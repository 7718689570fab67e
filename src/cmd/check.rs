//! `niemyet check`: every problem at once, non-zero exit on any error.

use crate::diag::report::Options;
use crate::diag::Lang;
use std::path::Path;

/// Returns the process exit code: 0 no error, 1 errors (printed), 2 a bad `--today`.
pub fn run(root: &Path, today: Option<&str>, opts: &Options) -> i32 {
    let today = match super::parse_today(today) {
        Ok(d) => d,
        Err(e) => {
            eprintln!("{}: {e}", error_word(opts.lang));
            return 2;
        }
    };
    let (site, mut diags) = super::load(root, today, None);
    // The theme too (`check` passing must mean `build` can render), unless site.toml's
    // `theme` or `language` was already found wrong: the same problem once.
    let settings_wrong = diags.iter().any(|d| {
        matches!(
            d.message,
            crate::diag::Msg::ThemeMissing { .. } | crate::diag::Msg::UnknownLanguage { .. }
        )
    });
    if let Some(s) = site.as_ref().filter(|_| !settings_wrong) {
        let mut d = crate::diag::Diagnostics::new();
        let _ = crate::theme::load(&s.root, &s.config.theme, &s.config.language, &mut d);
        diags.extend(d.finish());
    }
    let errors = super::report_with(&diags, opts);
    if errors > 0 || site.is_none() {
        return 1;
    }
    if let (Some(site), false) = (site, opts.quiet) {
        let n = |x: usize| crate::diag::report::number(x, opts.lang);
        let procs = n(site.units.iter().map(|u| u.procedures.len()).sum());
        let (units, catalog) = (n(site.units.len()), n(site.catalog.len()));
        eprintln!(
            "{}",
            match opts.lang {
                Lang::Vi => format!(
                    "ổn: {units} đơn vị, {catalog} thủ tục trong danh mục chung, {procs} thủ tục được công bố"
                ),
                Lang::En => format!(
                    "ok: {units} units, {catalog} catalogue entries, {procs} published procedures"
                ),
            }
        );
    }
    0
}

fn error_word(lang: Lang) -> &'static str {
    match lang {
        Lang::Vi => "lỗi",
        Lang::En => "error",
    }
}
