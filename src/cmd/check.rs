//! `niemyet check`: every problem at once, non-zero exit on any error.

use std::path::Path;

/// Returns the process exit code.
pub fn run(root: &Path, today: Option<&str>) -> i32 {
    let today = match super::parse_today(today) {
        Ok(d) => d,
        Err(e) => {
            eprintln!("error: {e}");
            return 2;
        }
    };
    let (site, mut diags) = super::load(root, today, None);
    if let Some(s) = &site {
        // The theme too: `check` passing must mean `build` can render.
        let mut d = crate::diag::Diagnostics::new();
        let _ = crate::theme::load(&s.root, &s.config.theme, &s.config.language, &mut d);
        diags.extend(d.finish());
    }
    let errors = super::report(&diags);
    if errors > 0 || site.is_none() {
        return 1;
    }
    if let Some(site) = site {
        let procs: usize = site.units.iter().map(|u| u.procedures.len()).sum();
        eprintln!(
            "ok: {} units, {} catalogue entries, {} published procedures",
            site.units.len(),
            site.catalog.len(),
            procs
        );
    }
    0
}
