//! A `serve` session: the first render, the HTTP server, the watcher, and the loop that
//! turns each batch of edits into an update and a message to the open pages.

use super::http::{self, Hub, Served};
use super::watch::Watcher;
use super::{Changes, Outcome, Preview};
use crate::date::Date;
use crate::diag::say;
use std::io::Write;
use std::net::TcpListener;
use std::path::PathBuf;
use std::sync::mpsc;
use std::sync::{Arc, RwLock};
use std::time::Duration;

/// What `serve` is asked to do.
#[derive(Debug, Clone)]
pub struct ServeArgs {
    pub root: PathBuf,
    pub port: u16,
    pub bind: String,
    pub open: bool,
    pub today: Option<Date>,
}

/// The reload script, wrapped for injection before `</body>`.
pub fn reload_script() -> String {
    format!("<script>{}</script>", include_str!("reload.js"))
}

/// The interface strings of the overlay: the site theme's, or the built-in default's.
fn strings(preview: &Preview) -> [String; 3] {
    texts(
        preview,
        ["serve_errors_title", "serve_errors_hint", "serve_close"],
    )
}

/// Interface strings: the site theme's, or the built-in default's.
fn texts<const N: usize>(preview: &Preview, keys: [&str; N]) -> [String; N] {
    let fallback: toml::Table = crate::theme::DEFAULT_THEME
        .iter()
        .find(|(p, _)| *p == "i18n/vi.toml")
        .and_then(|(_, b)| std::str::from_utf8(b).ok())
        .and_then(|s| s.parse().ok())
        .unwrap_or_default();
    keys.map(|k| {
        preview
            .string(k)
            .or_else(|| fallback.get(k).and_then(|v| v.as_str()).map(str::to_owned))
            .unwrap_or_default()
    })
}

/// One SSE message, with the preview's current errors.
fn message(preview: &Preview, changed: &[String], all: bool) -> String {
    let errors = preview
        .errors
        .read()
        .unwrap_or_else(|e| e.into_inner())
        .clone();
    message_of(&strings(preview), &errors, changed, all)
}

/// One SSE message: the overlay's strings, the errors (none clears the overlay) and
/// the outputs that changed.
fn message_of(strings: &[String; 3], errors: &[String], changed: &[String], all: bool) -> String {
    let [title, hint, close] = strings;
    let json = serde_json::json!({
        "changed": changed,
        "all": all,
        "errors": errors,
        "title": title,
        "hint": hint,
        "close": close,
    });
    format!("event: update\ndata: {json}\n\n")
}

/// Says what an update did. `served_before`: whether a good site was ever served (only
/// then is it "still served" when the content breaks).
fn print(outcome: &Outcome, served_before: bool) {
    match outcome {
        Outcome::Rendered {
            changed,
            rendered,
            took,
            cpu,
            ..
        } => {
            let cpu = cpu.map(|c| c.as_secs_f64() * 1000.0);
            let (n, ms) = (changed.len(), took.as_secs_f64() * 1000.0);
            eprintln!(
                "{}",
                say(
                    format!(
                        "đã dựng {rendered} tệp, {n} tệp thay đổi, trong {} ms{}",
                        format!("{ms:.1}").replace('.', ","),
                        cpu.map(|c| format!(
                            " (bộ xử lý {} ms)",
                            format!("{c:.1}").replace('.', ",")
                        ))
                        .unwrap_or_default()
                    ),
                    format!(
                        "rendered {rendered} output(s), {n} changed, in {ms:.1} ms{}",
                        cpu.map(|c| format!(" (processor {c:.1} ms)"))
                            .unwrap_or_default()
                    ),
                )
            );
        }
        Outcome::Broken(diags) => {
            crate::cmd::report(diags);
            eprintln!(
                "{}",
                if served_before {
                    say(
                        "trang đúng gần nhất vẫn được phục vụ; sửa các tệp ở trên",
                        "the last good site is still served; fix the file(s) above",
                    )
                } else {
                    say(
                        "trang chưa dựng được lần nào: mọi địa chỉ hiện danh sách lỗi ở trên cho tới khi sửa xong",
                        "the site has not built yet: every address shows the errors above until they are fixed",
                    )
                }
            );
        }
    }
}

/// Runs until killed.
pub fn run(args: &ServeArgs) -> Result<(), String> {
    let root = args
        .root
        .canonicalize()
        .map_err(|e| format!("{}: {e}", args.root.display()))?;
    if !root.join("content").is_dir() {
        return Err(say(
            format!("{} không có thư mục content/: đây có phải thư mục của một trang không (trang mới: niemyet init THƯ_MỤC)?", root.display()),
            format!("{} has no content/ folder: is it a site (run `niemyet init`)?", root.display()),
        ));
    }
    let mut preview = Preview::new(&root, args.today, None, Some(reload_script()));
    // A benchmark knob: renderers to leave out (see `Preview::skip_renderers`).
    if let Ok(skip) = std::env::var("NIEMYET_SERVE_SKIP") {
        eprintln!("NIEMYET_SERVE_SKIP: leaving out {skip} (benchmarks only)");
        preview.skip_renderers(skip.split(',').filter(|s| !s.is_empty()).map(str::to_owned));
    }
    let outcome = preview.update(&Changes {
        rescan: true,
        ..Changes::default()
    });
    print(&outcome, false);
    let mut served_before = matches!(outcome, Outcome::Rendered { .. });

    let listener = match TcpListener::bind((args.bind.as_str(), args.port)) {
        Ok(l) => l,
        Err(e) if e.kind() == std::io::ErrorKind::AddrInUse => {
            eprintln!(
                "{}",
                say(
                    format!("cổng {} đang bận; dùng một cổng còn trống", args.port),
                    format!("port {} is taken; using a free one", args.port),
                )
            );
            TcpListener::bind((args.bind.as_str(), 0)).map_err(|e| {
                say(
                    format!("không mở được cổng trên {}: {e}", args.bind),
                    format!("cannot listen on {}: {e}", args.bind),
                )
            })?
        }
        Err(e) => {
            return Err(say(
                format!("không mở được cổng {}:{}: {e}", args.bind, args.port),
                format!("cannot listen on {}:{}: {e}", args.bind, args.port),
            ))
        }
    };
    let addr = listener.local_addr().map_err(|e| {
        say(
            format!("không mở được cổng: {e}"),
            format!("cannot listen: {e}"),
        )
    })?;
    let url = format!("http://{addr}/");
    let [title, hint] = texts(&preview, ["serve_broken_title", "serve_errors_hint"]);
    let served = Arc::new(Served {
        files: Arc::clone(&preview.files),
        hub: Arc::new(Hub::default()),
        state: Arc::new(RwLock::new(message(&preview, &[], false))),
        errors: Arc::clone(&preview.errors),
        texts: [title, hint],
    });
    {
        let served = Arc::clone(&served);
        std::thread::spawn(move || http::run(listener, served));
    }
    let (tx, rx) = mpsc::channel::<Changes>();
    let mut watcher = Watcher::start(&root, tx)?;
    // The address is the one line on stdout, for scripts and tests.
    println!("{url}");
    let _ = std::io::stdout().flush();
    eprintln!(
        "{}",
        say(
            format!("xem trước {} tại {url} (Ctrl+C để dừng)", root.display()),
            format!("serving {} at {url} (Ctrl+C stops)", root.display()),
        )
    );
    if args.open {
        open_browser(&url);
    }
    while let Ok(first) = rx.recv() {
        // Edits that arrive together are one update.
        let mut changes = first;
        while let Ok(more) = rx.recv_timeout(Duration::from_millis(1)) {
            changes.content.extend(more.content);
            changes.theme.extend(more.theme);
            changes.site_toml |= more.site_toml;
            changes.rescan |= more.rescan;
        }
        watcher.watch_themes();
        // Open pages hear of each group of outputs as soon as it is served (the page
        // being edited before the print packs and the search index), without errors:
        // what is published rendered.
        let texts = strings(&preview);
        let hub = Arc::clone(&served.hub);
        let state = Arc::clone(&served.state);
        let outcome = preview.update_with(&changes, &mut |changed, all| {
            if all || !changed.is_empty() {
                // The state first: a page connecting after this broadcast, before the
                // update ends, would otherwise be told of errors already fixed, and
                // hear nothing more until the next edit.
                *state.write().unwrap_or_else(|e| e.into_inner()) =
                    message_of(&texts, &[], &[], false);
                hub.broadcast(&message_of(&texts, &[], changed, all));
            }
        });
        print(&outcome, served_before);
        served_before |= matches!(outcome, Outcome::Rendered { .. });
        let msg = match &outcome {
            // An update that changed nothing still clears a fixed error's overlay.
            Outcome::Rendered { changed, all, .. } if changed.is_empty() && !*all => {
                Some(message(&preview, &[], false))
            }
            Outcome::Rendered { .. } => None,
            Outcome::Broken(_) => Some(message(&preview, &[], false)),
        };
        *served.state.write().unwrap_or_else(|e| e.into_inner()) = message(&preview, &[], false);
        if let Some(msg) = msg {
            served.hub.broadcast(&msg);
        }
    }
    Ok(())
}

/// Opens the preview in the desktop's browser; failing is not an error.
fn open_browser(url: &str) {
    let cmd = if cfg!(target_os = "macos") {
        "open"
    } else if cfg!(target_os = "windows") {
        "explorer"
    } else {
        "xdg-open"
    };
    if let Err(e) = std::process::Command::new(cmd)
        .arg(url)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
    {
        eprintln!(
            "{}",
            say(
                format!("không mở được trình duyệt ({cmd}: {e}); hãy tự mở {url}"),
                format!("could not open a browser ({cmd}: {e}); open {url} yourself"),
            )
        );
    }
}
