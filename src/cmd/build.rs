//! `niemyet build`: check, render into a staging folder, swap it in.

use crate::date::Date;
use crate::diag::say;
use crate::fingerprint;
use crate::output::{self, Output, OutputLock, OutputStats, TreeState};
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
    /// Stop at once, instead of waiting, when another build of the same output runs.
    pub no_wait: bool,
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
    /// Another build of the same output runs (`--no-wait`).
    Busy(String),
}

impl BuildError {
    /// The exit code of `niemyet build` (README.md, "Exit codes").
    pub fn exit_code(&self) -> i32 {
        match self {
            BuildError::Usage(_) => 2,
            BuildError::Content(_) | BuildError::Io(_) => 1,
            BuildError::Busy(_) => 4,
        }
    }
}

impl std::fmt::Display for BuildError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            BuildError::Usage(s) | BuildError::Io(s) | BuildError::Busy(s) => f.write_str(s),
            BuildError::Content(n) => write!(f, "{n} error(s) in the content; nothing was written, the previous output is unchanged"),
        }
    }
}

/// `p` made absolute against the current folder, without resolving anything.
fn absolute(p: &Path) -> PathBuf {
    let cwd = std::env::current_dir().unwrap_or_default();
    if p.as_os_str().is_empty() {
        cwd
    } else {
        cwd.join(p)
    }
}

/// `p` (absolute) with every symbolic link and `.`/`..` resolved: the longest part that
/// exists resolved by the system, the names after it (folders to be made) appended.
fn resolved(p: &Path) -> std::io::Result<PathBuf> {
    use std::path::Component;
    let mut existing = p.to_path_buf();
    let mut rest = Vec::new();
    while std::fs::symlink_metadata(&existing).is_err() {
        match existing.components().next_back() {
            Some(c) => rest.push(c.as_os_str().to_owned()),
            None => break,
        }
        if !existing.pop() {
            break;
        }
    }
    let mut out = existing.canonicalize()?;
    for name in rest.iter().rev() {
        match Path::new(name).components().next() {
            Some(Component::CurDir) => {}
            Some(Component::ParentDir) => {
                out.pop();
            }
            _ => out.push(name),
        }
    }
    Ok(out)
}

/// The folder a build writes into: `--out` made absolute, with a symbolic link followed
/// to the folder it names (the link itself is never swapped, and nothing is removed
/// through it). Refused, with what to do instead: the current folder or one holding it,
/// the site's folder or one holding it, a folder inside content/ or themes/, something
/// that is not a folder, a link to nothing, and a folder that is not empty and that
/// niemyet did not write (its files would be lost). Nothing is made or changed here.
pub fn output_folder(root: &Path, out: &Path, quiet: bool) -> Result<PathBuf, BuildError> {
    let shown = out.display();
    let given = absolute(out);
    let is_link = std::fs::symlink_metadata(&given).is_ok_and(|m| m.file_type().is_symlink());
    let real = if is_link {
        match given.canonicalize() {
            Ok(p) => p,
            Err(_) => {
                let to = std::fs::read_link(&given).unwrap_or_default();
                let to = to.display();
                return Err(BuildError::Usage(say(
                    format!("--out {shown} là liên kết tượng trưng (symbolic link) trỏ tới {to}, nơi không tồn tại: tạo thư mục đó, hoặc chọn một thư mục khác, ví dụ --out public"),
                    format!("--out {shown} is a symbolic link to {to}, which does not exist: make that folder, or choose another, e.g. --out public"),
                )));
            }
        }
    } else {
        resolved(&given).map_err(|e| {
            BuildError::Usage(say(
                format!("--out {shown}: không xác định được thư mục này ({e}); chọn một thư mục khác, ví dụ --out public"),
                format!("--out {shown}: this folder cannot be resolved ({e}); choose another, e.g. --out public"),
            ))
        })?
    };
    if is_link && !quiet {
        let real = real.display();
        eprintln!(
            "{}",
            say(
                format!("ghi chú: --out {shown} là liên kết tượng trưng tới {real}; bản dựng được ghi vào thư mục đó, liên kết giữ nguyên"),
                format!("note: --out {shown} is a symbolic link to {real}; the build is written there, the link stays"),
            )
        );
    }
    let root = absolute(root)
        .canonicalize()
        .unwrap_or_else(|_| absolute(root));
    let cwd = absolute(Path::new("")).canonicalize().unwrap_or_default();
    let refuse = |why: String, what: String| {
        let real = real.display();
        Err(BuildError::Usage(say(
            format!("--out {shown} ({real}) {why}: niemyet thay cả thư mục đầu ra mỗi lần dựng, nên {what}. Hãy chọn một thư mục riêng, trống hoặc chưa có, ví dụ --out public"),
            format!("--out {shown} ({real}) {why}: niemyet replaces the whole output folder on every build, so {what}. Choose a folder of its own, empty or not there yet, e.g. --out public"),
        )))
    };
    if cwd == real {
        return refuse(
            say("là thư mục hiện tại", "is the current folder"),
            say(
                "thư mục bạn đang làm việc sẽ bị thay",
                "the folder you work in would be replaced",
            ),
        );
    }
    if root.starts_with(&real) {
        return refuse(
            say(
                "chứa cả trang (site.toml, content/)",
                "holds the site itself (site.toml, content/)",
            ),
            say(
                "nội dung của trang sẽ bị xoá",
                "the site's content would be deleted",
            ),
        );
    }
    if cwd.starts_with(&real) {
        return refuse(
            say("chứa thư mục hiện tại", "holds the current folder"),
            say(
                "thư mục bạn đang làm việc sẽ bị thay",
                "the folder you work in would be replaced",
            ),
        );
    }
    for own in ["content", "themes"] {
        if real.starts_with(root.join(own)) {
            return refuse(
                say(
                    format!("nằm trong {own}/ của trang"),
                    format!("is inside the site's {own}/"),
                ),
                say(
                    format!("những tệp trong {own}/ sẽ bị xoá"),
                    format!("the files in {own}/ would be deleted"),
                ),
            );
        }
    }
    match std::fs::metadata(&real) {
        Ok(m) if !m.is_dir() => {
            let real = real.display();
            return Err(BuildError::Usage(say(
                format!("--out {shown} ({real}) đã có và không phải là thư mục: chọn một thư mục, ví dụ --out public"),
                format!("--out {shown} ({real}) exists and is not a folder: choose a folder, e.g. --out public"),
            )));
        }
        Ok(_) if !output::is_empty_dir(&real) && !output::is_niemyet_output(&real) => {
            let real = real.display();
            return Err(BuildError::Usage(say(
                format!("--out {shown} ({real}) đã có tệp mà niemyet không viết ra: niemyet thay cả thư mục khi dựng nên sẽ xoá chúng. Hãy chọn một thư mục trống hoặc chưa có (ví dụ --out public), hoặc tự chuyển những tệp đó đi rồi dựng lại"),
                format!("--out {shown} ({real}) holds files niemyet did not write: a build replaces the whole folder and would delete them. Choose an empty folder or a new one (e.g. --out public), or move those files away and build again"),
            )));
        }
        _ => {}
    }
    Ok(real)
}

/// What a failed write means for the webmaster: a full disk is said plainly.
fn write_failed(out: &Path, what: &str, kind: std::io::ErrorKind, message: &str) -> BuildError {
    let e = std::io::Error::new(kind, message.to_owned());
    let out = out.display();
    if output::is_disk_full(&e) {
        BuildError::Io(say(
            format!("hết chỗ trên đĩa khi ghi {what} (vào thư mục tạm bên cạnh {out}): bản dựng dừng lại; {out} vẫn là bản trước, nguyên vẹn. Giải phóng chỗ trống trên đĩa rồi dựng lại"),
            format!("the disk is full while writing {what} (into a staging folder beside {out}): the build stopped; {out} is still the previous build, whole. Free some disk space and build again"),
        ))
    } else {
        BuildError::Io(say(
            format!("không ghi được {what} (vào thư mục tạm bên cạnh {out}): {message}; {out} vẫn là bản trước, nguyên vẹn"),
            format!("cannot write {what} (into a staging folder beside {out}): {message}; {out} is still the previous build, whole"),
        ))
    }
}

/// The output folder of a build, locked against other builds of it.
struct Locked<'a> {
    out: &'a Path,
    _lock: OutputLock,
}

/// Takes the lock of `out` (resolved). Another build holding it is waited for, with a
/// message, or, with `no_wait`, is an error.
fn lock_output<'a>(out: &'a Path, no_wait: bool) -> Result<Locked<'a>, BuildError> {
    let waiting = |pid: Option<u32>| {
        let who = pid
            .map(|p| say(format!(" (tiến trình {p})"), format!(" (process {p})")))
            .unwrap_or_default();
        let out = out.display();
        if no_wait {
            eprintln!(
                "{}",
                say(
                    format!("một bản dựng khác{who} đang ghi vào {out}"),
                    format!("another build{who} is writing {out}"),
                )
            );
        } else {
            eprintln!(
                "{}",
                say(
                    format!("đang chờ bản dựng khác{who} ghi xong vào {out}…"),
                    format!("waiting for another build{who} to finish writing {out}…"),
                )
            );
        }
    };
    match OutputLock::acquire(out, !no_wait, waiting) {
        Ok(Ok(lock)) => Ok(Locked { out, _lock: lock }),
        Ok(Err(_)) => Err(BuildError::Busy(say(
            format!("không dựng: một bản dựng khác đang ghi vào {}; chạy lại khi nó xong, hoặc bỏ --no-wait để chờ", out.display()),
            format!("not built: another build is writing {}; run again when it is done, or leave out --no-wait to wait", out.display()),
        ))),
        Err(e) => Err(BuildError::Io(say(
            format!("không khoá được thư mục đầu ra {} ({}): {e}", out.display(), OutputLock::path_for(out).display()),
            format!("cannot lock the output folder {} ({}): {e}", out.display(), OutputLock::path_for(out).display()),
        ))),
    }
}

/// Renders into the locked output: a staging folder, checked, then swapped in. Returns
/// what was written and what the output holds now.
fn render_into(
    site: &ResolvedSite,
    theme: &theme::Theme,
    out: &Locked,
    opts: &RenderOptions,
) -> Result<(OutputStats, TreeState, render::RenderTimings), BuildError> {
    let out = out.out;
    let output = Output::begin(out).map_err(|e| {
        write_failed(
            out,
            &say("thư mục tạm", "the staging folder"),
            e.kind(),
            &e.to_string(),
        )
    })?;
    match render::render_all(site, theme, opts, &output) {
        Ok(timings) => {
            let failed = output.failure();
            output
                .commit()
                .map(|(stats, state)| (stats, state, timings))
                .map_err(|e| match failed {
                    Some((rel, kind, msg)) => write_failed(out, &rel, kind, &msg),
                    None => {
                        write_failed(out, &say("bản dựng", "the build"), e.kind(), &e.to_string())
                    }
                })
        }
        Err(e) => {
            let failed = output.failure();
            output.abort();
            match failed {
                Some((rel, kind, msg)) => Err(write_failed(out, &rel, kind, &msg)),
                None => {
                    eprintln!("{e}");
                    Err(BuildError::Content(1))
                }
            }
        }
    }
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

/// [`write_site`], also saying how long each renderer took. `out` is locked while it is
/// written, waiting for another build of it.
pub fn write_site_timed(
    site: &ResolvedSite,
    out: &Path,
    opts: &RenderOptions,
) -> Result<(OutputStats, render::RenderTimings), BuildError> {
    let theme = usable_theme(site, None)?;
    let locked = lock_output(out, false)?;
    render_into(site, &theme, &locked, opts).map(|(stats, _, timings)| (stats, timings))
}

/// The theme to render `site` with: `theme`, loaded beforehand, when it is the one the
/// site names, else loaded (again). Its problems are printed; an error stops the build.
fn usable_theme(
    site: &ResolvedSite,
    theme: Option<LoadedTheme>,
) -> Result<theme::Theme, BuildError> {
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
    theme.ok_or(BuildError::Content(1))
}

/// The previous build's output when it is what this build would write: the same
/// inputs, and the output as that build left it. Its warnings are printed again.
fn unchanged(out: &Path, inputs: u64, quiet: bool, start: Instant) -> Option<OutputStats> {
    let st = fingerprint::read(out)?;
    if st.inputs != inputs || (st.files, st.bytes) != fingerprint::output_state(out) {
        return None;
    }
    eprint!("{}", st.warnings);
    if !quiet {
        let (out, secs) = (out.display(), start.elapsed().as_secs_f64());
        eprintln!(
            "{}",
            crate::diag::say(
                format!("không có gì thay đổi từ lần dựng trước: {out} đã mới ({secs:.2} giây; --force để dựng lại)"),
                format!("nothing changed since the last build: {out} is up to date ({secs:.2} s; --force rebuilds)"),
            )
        );
    }
    Some(OutputStats {
        files: st.files,
        bytes: st.bytes,
        kept: st.files,
    })
}

/// `x` with `places` decimals and a decimal comma, as Vietnamese writes numbers (`1,5`).
fn vi_decimal(x: f64, places: usize) -> String {
    format!("{x:.places$}").replace('.', ",")
}

/// Runs a build. Diagnostics go to stderr.
pub fn run(args: &BuildArgs) -> Result<OutputStats, BuildError> {
    let start = Instant::now();
    let today: Date = super::parse_today(args.today.as_deref()).map_err(BuildError::Usage)?;
    let out = output_folder(&args.root, &args.out, args.quiet)?;
    let today_iso = today.iso();
    let fp_opts = fingerprint::Options {
        today: &today_iso,
        base_url: args.base_url.as_deref(),
        file_links: args.file_links,
    };
    let inputs = fingerprint::inputs(&args.root, &fp_opts);
    if !args.force {
        if let Some(stats) = unchanged(&out, inputs, args.quiet, start) {
            return Ok(stats);
        }
    }
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
    let theme = usable_theme(&site, early_theme)?;
    // Nothing was written so far. From here the output is this build's alone: another
    // build of it is waited for (or refused), and may have written this very site
    // meanwhile.
    let locked = lock_output(&out, args.no_wait)?;
    if !args.force {
        if let Some(stats) = unchanged(&out, inputs, args.quiet, start) {
            return Ok(stats);
        }
    }
    // The folder may have changed while this build waited.
    output_folder(&args.root, &out, true)?;
    fingerprint::clear(&out);
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
    let (stats, state, each) = render_into(&site, &theme, &locked, &opts)?;
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
    // The output as checked before it was swapped in (the renderers' files and the
    // marker): the next build compares the folder with it. The warnings as printed,
    // replayed by a build that finds nothing changed.
    let warnings = crate::diag::report::render(&diags, &args.report);
    let stored = fingerprint::Stored {
        inputs,
        files: state.files,
        bytes: state.bytes,
        warnings,
    };
    if let Err(e) = fingerprint::write(&out, &stored) {
        eprintln!(
            "{}",
            crate::diag::say(
                format!("ghi chú: không ghi được dấu vết của bản dựng (lần sau sẽ dựng lại toàn bộ): {e}"),
                format!("note: could not record the build fingerprint (the next build rebuilds everything): {e}"),
            )
        );
    }
    drop(locked);
    if !args.quiet {
        let procs: usize = site.units.iter().map(|u| u.procedures.len()).sum();
        let units = site.units.len();
        let files = stats.files;
        let mb = stats.bytes as f64 / 1e6;
        let out = args.out.display();
        let secs = start.elapsed().as_secs_f64();
        let kept = stats.kept;
        eprintln!(
            "{}",
            crate::diag::say(
                format!(
                    "đã dựng {units} đơn vị, {procs} trang thủ tục: {files} tệp{}, {} MB trong {out} ({} giây)",
                    if kept > 0 { format!(" ({kept} tệp không đổi, giữ nguyên)") } else { String::new() },
                    vi_decimal(mb, 1),
                    vi_decimal(secs, 2),
                ),
                format!(
                    "built {units} units, {procs} procedure pages: {files} files{}, {mb:.1} MB in {out} ({secs:.2} s)",
                    if kept > 0 { format!(" ({kept} unchanged, kept)") } else { String::new() },
                ),
            )
        );
    }
    // Freeing 400,000 procedures one by one takes a tenth of a second that nobody waits
    // for: a thread does it, and the process, ending, does not wait for the thread.
    std::thread::spawn(move || drop(site));
    Ok(stats)
}
