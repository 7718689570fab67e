//! `niemyet build`: check, render into a staging folder, swap it in.

use crate::date::Date;
use crate::fingerprint;
use crate::output::{Output, OutputStats};
use crate::render::{self, RenderOptions};
use crate::resolve::ResolvedSite;
use crate::theme;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// What `build` is asked to do.
#[derive(Debug, Clone)]
pub struct BuildArgs {
    pub root: PathBuf,
    pub out: PathBuf,
    pub today: Option<String>,
    pub base_url: Option<String>,
    pub file_links: bool,
    pub quiet: bool,
    /// How problems are printed (`-q`, `--warnings`, `--lang`).
    pub report: crate::diag::report::Options,
    /// Print how long each stage took.
    pub timings: bool,
    /// Build even when nothing changed since the last build.
    pub force: bool,
}

/// Why a build wrote nothing.
#[derive(Debug)]
pub enum BuildError {
    /// Bad arguments or an unusable output folder.
    Usage(String),
    /// The content has errors (already printed).
    Content(usize),
    /// Writing failed.
    Io(String),
}

impl std::fmt::Display for BuildError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            BuildError::Usage(s) | BuildError::Io(s) => f.write_str(s),
            BuildError::Content(n) => write!(f, "{n} error(s) in the content; nothing was written, the previous output is unchanged"),
        }
    }
}

/// The output folder must not hold the site's own files: it is replaced whole.
fn check_out(root: &Path, out: &Path) -> Result<(), BuildError> {
    let abs = |p: &Path| -> PathBuf {
        let p = if p.is_absolute() {
            p.to_path_buf()
        } else {
            std::env::current_dir().unwrap_or_default().join(p)
        };
        p.canonicalize().unwrap_or(p)
    };
    let (root, out) = (abs(root), abs(out));
    let content = root.join("content");
    if root.starts_with(&out) || out.starts_with(&content) || out.starts_with(root.join("themes")) {
        return Err(BuildError::Usage(format!(
            "--out {} would replace the site's own files; choose a separate folder such as public/",
            out.display()
        )));
    }
    Ok(())
}

/// Renders a resolved site into `out` atomically.
pub fn write_site(
    site: &ResolvedSite,
    out: &Path,
    opts: &RenderOptions,
) -> Result<OutputStats, BuildError> {
    write_site_timed(site, out, opts).map(|(stats, _)| stats)
}

/// A theme as loaded for a site's theme name and language, with what loading it found.
struct LoadedTheme {
    name: String,
    language: String,
    theme: Option<theme::Theme>,
    diags: Vec<crate::diag::Diagnostic>,
}

impl LoadedTheme {
    fn load(root: &Path, name: &str, language: &str) -> LoadedTheme {
        let mut d = crate::diag::Diagnostics::new();
        let theme = theme::load(root, name, language, &mut d);
        LoadedTheme {
            name: name.to_owned(),
            language: language.to_owned(),
            theme,
            diags: d.finish(),
        }
    }

    /// Whether this is the theme `site` asks for.
    fn fits(&self, site: &ResolvedSite) -> bool {
        self.name == site.config.theme && self.language == site.config.language
    }
}

/// [`write_site`], also saying how long each renderer took.
pub fn write_site_timed(
    site: &ResolvedSite,
    out: &Path,
    opts: &RenderOptions,
) -> Result<(OutputStats, render::RenderTimings), BuildError> {
    write_site_with(site, None, out, opts)
}

/// [`write_site_timed`] with the theme loaded beforehand, if it was: used when it is the
/// theme `site` names, else the theme is loaded (again).
fn write_site_with(
    site: &ResolvedSite,
    theme: Option<LoadedTheme>,
    out: &Path,
    opts: &RenderOptions,
) -> Result<(OutputStats, render::RenderTimings), BuildError> {
    let LoadedTheme { theme, diags, .. } = match theme {
        Some(t) if t.fits(site) => t,
        _ => LoadedTheme::load(&site.root, &site.config.theme, &site.config.language),
    };
    if !diags.is_empty() {
        let n = super::report(&diags);
        if n > 0 {
            return Err(BuildError::Content(n));
        }
    }
    let Some(theme) = theme else {
        return Err(BuildError::Content(1));
    };
    let output =
        Output::begin(out).map_err(|e| BuildError::Io(format!("{}: {e}", out.display())))?;
    match render::render_all(site, &theme, opts, &output) {
        Ok(timings) => output
            .commit()
            .map(|stats| (stats, timings))
            .map_err(|e| BuildError::Io(format!("{}: {e}", out.display()))),
        Err(e) => {
            output.abort();
            eprintln!("{e}");
            Err(BuildError::Content(1))
        }
    }
}

/// Runs a build. Diagnostics go to stderr.
pub fn run(args: &BuildArgs) -> Result<OutputStats, BuildError> {
    let start = Instant::now();
    let today: Date = super::parse_today(args.today.as_deref()).map_err(BuildError::Usage)?;
    check_out(&args.root, &args.out)?;
    let today_iso = today.iso();
    let fp_opts = fingerprint::Options {
        today: &today_iso,
        base_url: args.base_url.as_deref(),
        file_links: args.file_links,
    };
    let inputs = fingerprint::inputs(&args.root, &fp_opts);
    if !args.force {
        if let Some(st) = fingerprint::read(&args.out) {
            if st.inputs == inputs && (st.files, st.bytes) == fingerprint::output_state(&args.out) {
                eprint!("{}", st.warnings);
                if !args.quiet {
                    eprintln!(
                        "nothing changed since the last build: {} is up to date ({:.2} s; --force rebuilds)",
                        args.out.display(),
                        start.elapsed().as_secs_f64()
                    );
                }
                return Ok(OutputStats {
                    files: st.files,
                    bytes: st.bytes,
                    kept: st.files,
                });
            }
        }
    }
    fingerprint::clear(&args.out);
    let t_load = Instant::now();
    // The theme (its templates parsed: 54 million instructions on one thread, with the
    // other idle, at the 20k benchmark) is loaded while the content is read, for the
    // theme and language site.toml names; should the content say otherwise once read,
    // it is loaded again.
    let ((site, diags), early_theme) = rayon::join(
        || super::load(&args.root, today, args.base_url.as_deref()),
        || {
            crate::content::site_config(&args.root)
                .map(|c| LoadedTheme::load(&args.root, &c.theme, &c.language))
        },
    );
    let load_time = t_load.elapsed();
    let errors = super::report_with(&diags, &args.report);
    let site = match site {
        Some(s) if errors == 0 => s,
        _ => return Err(BuildError::Content(errors.max(1))),
    };
    let progress = if !args.quiet && std::io::stderr().is_terminal() {
        let pb = indicatif::ProgressBar::new(0);
        pb.set_style(
            indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} trang ({elapsed})")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        Some(pb)
    } else {
        None
    };
    let opts = RenderOptions {
        file_links: args.file_links,
        inject: None,
        progress: progress.clone(),
        ..RenderOptions::default()
    };
    let t_render = Instant::now();
    let (stats, each) = write_site_with(&site, early_theme, &args.out, &opts)?;
    if args.timings {
        let each: Vec<String> = each
            .iter()
            .map(|(name, t)| format!("{name} {:.3}", t.as_secs_f64()))
            .collect();
        eprintln!(
            "timings: load+resolve+check {:.3} s, render+write+swap {:.3} s ({} s)",
            load_time.as_secs_f64(),
            t_render.elapsed().as_secs_f64(),
            each.join(", ")
        );
    }
    if let Some(pb) = progress {
        pb.finish_and_clear();
    }
    // What was written is what is there: no walk of the output (a serial pass over
    // 50,000 files at province size). Were they ever to differ, the next build would
    // only not be skipped.
    let (files, bytes) = (stats.files, stats.bytes);
    // The warnings as printed, replayed by a build that finds nothing changed.
    let warnings = crate::diag::report::render(&diags, &args.report);
    let stored = fingerprint::Stored {
        inputs,
        files,
        bytes,
        warnings,
    };
    if let Err(e) = fingerprint::write(&args.out, &stored) {
        eprintln!("note: could not record the build fingerprint: {e}");
    }
    if !args.quiet {
        let procs: usize = site.units.iter().map(|u| u.procedures.len()).sum();
        let kept = match stats.kept {
            0 => String::new(),
            n => format!(" ({n} unchanged, kept)"),
        };
        eprintln!(
            "built {} units, {} procedure pages: {} files{kept}, {:.1} MB in {} ({:.2} s)",
            site.units.len(),
            procs,
            stats.files,
            stats.bytes as f64 / 1e6,
            args.out.display(),
            start.elapsed().as_secs_f64()
        );
    }
    // Freeing 400,000 procedures one by one takes a tenth of a second that nobody waits
    // for: a thread does it, and the process, ending, does not wait for the thread.
    std::thread::spawn(move || drop(site));
    Ok(stats)
}
