//! Watching the site's files: `content/` and `themes/` recursively, and the site folder
//! itself (not recursively) for `site.toml`. Watching the folder rather than the file
//! matters: an editor's atomic save replaces `site.toml` with a new file, and a watch
//! on the old file would go quiet.
//!
//! Events are gathered here rather than by a fixed debounce: a file is reported as soon
//! as it is complete — closed after writing, renamed into place (an editor's atomic
//! save), or removed — and only files still being written (a write not yet closed, a
//! new folder whose files may follow, systems that report no close) wait until they have
//! been quiet for [`SETTLE`]. A fixed debounce made every save wait for it: 15 to 20 ms
//! of a 50 ms budget. The paths are then sorted into [`Changes`].

use super::Changes;
use notify_debouncer_full::notify::event::{AccessKind, AccessMode, ModifyKind};
use notify_debouncer_full::notify::Watcher as _;
use notify_debouncer_full::notify::{self, Event, EventKind, RecommendedWatcher, RecursiveMode};
use std::collections::HashMap;
use std::path::{Component, Path, PathBuf};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::time::{Duration, Instant};

/// How long a file still being written must stay quiet before it is reported.
pub const SETTLE: Duration = Duration::from_millis(15);

/// Complete files reported within this time of the first are one batch (a save of
/// several files, a `git checkout`).
pub const GATHER: Duration = Duration::from_millis(2);

/// A running watcher; dropping it stops watching (and the thread that gathers events).
pub struct Watcher {
    watcher: RecommendedWatcher,
    root: PathBuf,
    themes_watched: bool,
}

impl Watcher {
    /// Starts watching the site at `root` (an absolute path); each batch of events is
    /// sent as one [`Changes`].
    pub fn start(root: &Path, tx: Sender<Changes>) -> Result<Watcher, String> {
        let (etx, erx) = mpsc::channel::<notify::Result<Event>>();
        let mut watcher = notify::recommended_watcher(move |res| {
            let _ = etx.send(res);
        })
        .map_err(|e| {
            crate::diag::say(
                format!("không theo dõi được các tệp của trang: {e}"),
                format!("cannot watch the site's files: {e}"),
            )
        })?;
        let base = root.to_path_buf();
        std::thread::spawn(move || gather(&erx, &base, &tx));
        let w = |w: &mut RecommendedWatcher, p: &Path, mode| {
            w.watch(p, mode).map_err(|e| {
                crate::diag::say(
                    format!("không theo dõi được {}: {e}", p.display()),
                    format!("cannot watch {}: {e}", p.display()),
                )
            })
        };
        w(&mut watcher, root, RecursiveMode::NonRecursive)?;
        w(
            &mut watcher,
            &root.join("content"),
            RecursiveMode::Recursive,
        )?;
        let mut me = Watcher {
            watcher,
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
                .watcher
                .watch(&themes, RecursiveMode::Recursive)
                .is_ok();
        }
    }
}

/// What an event says of its paths.
enum Seen {
    /// Written and closed, renamed, removed: reported at once.
    Complete,
    /// Being written, or a new folder whose files may still arrive: reported once quiet.
    Settling,
    /// Opened or read (the preview's own reads among them): nothing changed.
    Nothing,
}

fn seen(kind: &EventKind) -> Seen {
    match kind {
        EventKind::Access(AccessKind::Close(AccessMode::Write)) => Seen::Complete,
        EventKind::Access(_) => Seen::Nothing,
        EventKind::Modify(ModifyKind::Name(_)) | EventKind::Remove(_) => Seen::Complete,
        // Data and metadata changes, new folders, and whatever a platform cannot name.
        _ => Seen::Settling,
    }
}

/// Gathers raw events into batches of [`Changes`] until the watcher is dropped.
fn gather(rx: &Receiver<notify::Result<Event>>, root: &Path, tx: &Sender<Changes>) {
    // Files still being written, with the time of their last event.
    let mut settling: HashMap<PathBuf, Instant> = HashMap::new();
    let mut ready: Vec<PathBuf> = Vec::new();
    let mut rescan = false;
    // When the first complete file of the batch arrived.
    let mut since: Option<Instant> = None;
    loop {
        let deadline = since
            .map(|t| t + GATHER)
            .into_iter()
            .chain(settling.values().map(|t| *t + SETTLE))
            .min();
        let received = match deadline {
            Some(d) => rx.recv_timeout(d.saturating_duration_since(Instant::now())),
            None => rx.recv().map_err(|_| RecvTimeoutError::Disconnected),
        };
        let now = Instant::now();
        match received {
            Ok(Ok(ev)) => {
                if ev.need_rescan() {
                    rescan = true;
                    since.get_or_insert(now);
                }
                match seen(&ev.kind) {
                    Seen::Complete => {
                        for p in ev.paths {
                            settling.remove(&p);
                            ready.push(p);
                        }
                        since.get_or_insert(now);
                    }
                    Seen::Settling => {
                        for p in ev.paths {
                            settling.insert(p, now);
                        }
                    }
                    Seen::Nothing => {}
                }
            }
            // The watcher may have missed events: everything is read again.
            Ok(Err(_)) => {
                rescan = true;
                since.get_or_insert(now);
            }
            Err(RecvTimeoutError::Timeout) => {}
            Err(RecvTimeoutError::Disconnected) => return,
        }
        let quiet: Vec<PathBuf> = settling
            .iter()
            .filter(|(_, t)| now.duration_since(**t) >= SETTLE)
            .map(|(p, _)| p.clone())
            .collect();
        for p in quiet {
            settling.remove(&p);
            ready.push(p);
            since.get_or_insert(now.checked_sub(GATHER).unwrap_or(now));
        }
        if since.is_some_and(|t| now.duration_since(t) >= GATHER) {
            let mut ch = Changes {
                rescan,
                ..Changes::default()
            };
            for p in ready.drain(..) {
                classify(root, &p, &mut ch);
            }
            if !ch.is_empty() && tx.send(ch).is_err() {
                return;
            }
            rescan = false;
            since = None;
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
