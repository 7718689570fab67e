//! Watching the site's files: `content/` and `themes/` recursively, and the site folder
//! itself (not recursively) for `site.toml`. Watching the folder rather than the file
//! matters: an editor's atomic save replaces `site.toml` with a new file, and a watch
//! on the old file would go quiet.
//!
//! `notify-debouncer-full` collapses an editor's write-temp-then-rename into one event
//! per file and pairs renames; the paths it reports are sorted here into [`Changes`].

use super::Changes;
use notify_debouncer_full::notify::{EventKind, RecommendedWatcher, RecursiveMode};
use notify_debouncer_full::{new_debouncer, DebounceEventResult, Debouncer, RecommendedCache};
use std::path::{Component, Path, PathBuf};
use std::sync::mpsc::Sender;
use std::time::Duration;

/// How long the watcher waits for more events about a file before reporting it. Short:
/// an editor's save (write, rename) takes microseconds, and the webmaster is waiting.
pub const DEBOUNCE: Duration = Duration::from_millis(15);

/// A running watcher; dropping it stops watching.
pub struct Watcher {
    debouncer: Debouncer<RecommendedWatcher, RecommendedCache>,
    root: PathBuf,
    themes_watched: bool,
}

impl Watcher {
    /// Starts watching the site at `root` (an absolute path); each batch of events is
    /// sent as one [`Changes`].
    pub fn start(root: &Path, tx: Sender<Changes>) -> Result<Watcher, String> {
        let base = root.to_path_buf();
        let handler = move |res: DebounceEventResult| {
            let mut ch = Changes::default();
            match res {
                Ok(events) => {
                    for ev in events {
                        // Reading a file is an event too (inotify's open and close):
                        // the preview's own reads must not trigger another update.
                        if matches!(ev.event.kind, EventKind::Access(_)) {
                            continue;
                        }
                        if ev.event.need_rescan() {
                            ch.rescan = true;
                        }
                        for p in &ev.event.paths {
                            classify(&base, p, &mut ch);
                        }
                    }
                }
                Err(_) => ch.rescan = true,
            }
            if !ch.is_empty() {
                let _ = tx.send(ch);
            }
        };
        let mut debouncer = new_debouncer(DEBOUNCE, Some(Duration::from_millis(5)), handler)
            .map_err(|e| format!("cannot watch the site's files: {e}"))?;
        let w = |d: &mut Debouncer<_, _>, p: &Path, mode| {
            d.watch(p, mode)
                .map_err(|e| format!("cannot watch {}: {e}", p.display()))
        };
        w(&mut debouncer, root, RecursiveMode::NonRecursive)?;
        w(
            &mut debouncer,
            &root.join("content"),
            RecursiveMode::Recursive,
        )?;
        let mut me = Watcher {
            debouncer,
            root: root.to_path_buf(),
            themes_watched: false,
        };
        me.watch_themes();
        Ok(me)
    }

    /// Watches `themes/` once it exists (a site may start without one).
    pub fn watch_themes(&mut self) {
        let themes = self.root.join("themes");
        if !self.themes_watched && themes.is_dir() {
            self.themes_watched = self
                .debouncer
                .watch(&themes, RecursiveMode::Recursive)
                .is_ok();
        }
    }
}

/// Sorts one reported path into content, theme or site.toml; anything else is ignored
/// (the output folder, files beside site.toml, hidden files such as editors' swap files).
pub fn classify(root: &Path, path: &Path, ch: &mut Changes) {
    let Ok(rel) = path.strip_prefix(root) else {
        return;
    };
    let parts: Vec<String> = rel
        .components()
        .filter_map(|c| match c {
            Component::Normal(s) => Some(s.to_string_lossy().into_owned()),
            _ => None,
        })
        .collect();
    if parts.iter().any(|p| p.starts_with('.') || p.ends_with('~')) {
        return;
    }
    match parts.first().map(String::as_str) {
        Some("site.toml") if parts.len() == 1 => ch.site_toml = true,
        Some("content") if parts.len() == 1 => ch.rescan = true,
        Some("content") => ch.content.push(parts[1..].iter().collect()),
        Some("themes") if parts.len() >= 2 => ch.theme.push(parts[1..].join("/")),
        Some("themes") => ch.rescan = true,
        _ => {}
    }
}
