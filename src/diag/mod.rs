//! Diagnostics: every problem found in a site, with the file, line and column it sits at.
//!
//! The pipeline never stops at the first problem: each stage pushes what it finds into a
//! [`Diagnostics`] list and carries on with what it could read, so `niemyet check` shows a
//! webmaster everything at once.
//!
//! A problem's words live in one place, the catalogue [`msg`] (one [`Msg`] per kind of
//! problem, with its Vietnamese text in [`vi`] and its English text in [`en`]), so a
//! translator finds every message together and none is missing in either language.
//! [`report`] prints a list of them: errors in full, warnings summarised by kind.

pub mod en;
pub mod fix;
pub mod msg;
pub mod report;
pub mod vi;

pub use msg::{Kind, Msg};

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU8, AtomicUsize, Ordering};
use std::sync::Arc;

/// The language niemyet's own messages are written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Lang {
    /// Tiếng Việt: the default.
    #[default]
    Vi,
    En,
}

impl Lang {
    /// `vi` or `en` (a site's `language`, or `--lang`); `None` for any other code.
    pub fn from_code(code: &str) -> Option<Lang> {
        match code.trim().to_ascii_lowercase().as_str() {
            "vi" => Some(Lang::Vi),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    /// The language messages are shown in when none is given: set once by the command
    /// line (`--lang`, else the site's `language`), Vietnamese until then.
    pub fn current() -> Lang {
        match CURRENT.load(Ordering::Relaxed) {
            1 => Lang::En,
            _ => Lang::Vi,
        }
    }

    /// Makes `self` the language of messages shown without one (see [`Lang::current`]).
    pub fn set_current(self) {
        CURRENT.store(self as u8, Ordering::Relaxed);
    }
}

static CURRENT: AtomicU8 = AtomicU8::new(0);

/// A command's own message (not a diagnostic of the content: a summary, a note of the
/// preview, an import's count) in the current language: `vi` by default, `en` with
/// `--lang en` or the site's `language = "en"`. Both are written where the message is
/// made, so neither can be forgotten.
pub fn say(vi: impl Into<String>, en: impl Into<String>) -> String {
    match Lang::current() {
        Lang::Vi => vi.into(),
        Lang::En => en.into(),
    }
}

/// "lỗi" / "error", "cảnh báo" / "warning": the word before a command's own message.
pub fn word(severity: Severity) -> &'static str {
    match (Lang::current(), severity) {
        (Lang::Vi, Severity::Error) => "lỗi",
        (Lang::Vi, Severity::Warning) => "cảnh báo",
        (Lang::En, Severity::Error) => "error",
        (Lang::En, Severity::Warning) => "warning",
    }
}

/// How bad a problem is. Errors stop a build; warnings are printed and the build goes on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Error,
    Warning,
}

impl Severity {
    /// The word in `path:line:col: error|warning: …` (the format's contract: the same in
    /// every language, so scripts and editors can read it).
    pub fn word(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

/// A place in a source file. `line` and `col` are 1-based; 0 means "the whole file".
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Loc {
    pub path: Arc<Path>,
    pub line: u32,
    pub col: u32,
}

impl Loc {
    /// The whole file, when no finer position is known.
    pub fn file(path: &Arc<Path>) -> Loc {
        Loc {
            path: Arc::clone(path),
            line: 0,
            col: 0,
        }
    }
}

impl fmt::Display for Loc {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line == 0 {
            write!(f, "{}", self.path.display())
        } else {
            write!(f, "{}:{}:{}", self.path.display(), self.line, self.col)
        }
    }
}

/// One problem.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Diagnostic {
    pub loc: Loc,
    pub severity: Severity,
    pub message: Msg,
    /// Found in catalogue data an import wrote (`[source]` with an `origin`): the
    /// webmaster did not write it and usually cannot fix it, so summaries keep it apart.
    pub imported: bool,
}

impl Diagnostic {
    pub fn error(loc: Loc, message: impl Into<Msg>) -> Diagnostic {
        Diagnostic {
            loc,
            severity: Severity::Error,
            message: message.into(),
            imported: false,
        }
    }

    pub fn warning(loc: Loc, message: impl Into<Msg>) -> Diagnostic {
        Diagnostic {
            loc,
            severity: Severity::Warning,
            message: message.into(),
            imported: false,
        }
    }

    /// `path:line:col: error|warning: message`, the message in `lang`.
    pub fn text(&self, lang: Lang) -> String {
        format!(
            "{}: {}: {}",
            self.loc,
            self.severity.word(),
            self.message.text(lang)
        )
    }
}

impl fmt::Display for Diagnostic {
    /// [`Diagnostic::text`] in the current language ([`Lang::current`]).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text(Lang::current()))
    }
}

/// An ordered collection of problems.
#[derive(Debug, Default, Clone)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn error(&mut self, loc: Loc, message: impl Into<Msg>) {
        self.items.push(Diagnostic::error(loc, message));
    }

    pub fn warning(&mut self, loc: Loc, message: impl Into<Msg>) {
        self.items.push(Diagnostic::warning(loc, message));
    }

    pub fn push(&mut self, d: Diagnostic) {
        self.items.push(d);
    }

    pub fn extend(&mut self, other: Diagnostics) {
        self.items.extend(other.items);
    }

    pub fn has_errors(&self) -> bool {
        self.items.iter().any(|d| d.severity == Severity::Error)
    }

    pub fn count(&self, severity: Severity) -> usize {
        self.items.iter().filter(|d| d.severity == severity).count()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter()
    }

    /// Keeps only the problems `keep` says yes to.
    pub fn retain(&mut self, keep: impl FnMut(&Diagnostic) -> bool) {
        self.items.retain(keep);
    }

    /// Marks every problem found in one of `files` as found in imported data.
    pub fn mark_imported(&mut self, files: &std::collections::HashSet<Arc<Path>>) {
        if files.is_empty() {
            return;
        }
        for d in &mut self.items {
            if files.contains(&d.loc.path) {
                d.imported = true;
            }
        }
    }

    /// Sorted by file and position, duplicates removed (a catalogue entry overridden by
    /// many units would otherwise report its own problem once per unit).
    pub fn finish(mut self) -> Vec<Diagnostic> {
        self.items.sort();
        self.items.dedup();
        self.items
    }
}

/// Byte offsets of line starts, to turn a byte span into line:column.
#[derive(Debug, Clone)]
pub struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1));
        LineIndex { starts }
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, text: &str, offset: usize) -> (u32, u32) {
        let offset = offset.min(text.len());
        let line = match self.starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i.saturating_sub(1),
        };
        let start = self.starts.get(line).copied().unwrap_or(0);
        position(text, line, start, offset)
    }
}

/// [`LineIndex::line_col`] without the index: the line feeds before `offset` counted.
fn line_col_counted(text: &str, offset: usize) -> (u32, u32) {
    let before = text.as_bytes().get(..offset).unwrap_or(text.as_bytes());
    let line = memchr::memchr_iter(b'\n', before).count();
    let start = memchr::memrchr(b'\n', before).map_or(0, |i| i + 1);
    position(text, line, start, offset)
}

/// 1-based line and column of `offset`, on the 0-based `line` that starts at byte `start`:
/// the column counts characters.
fn position(text: &str, line: usize, start: usize, offset: usize) -> (u32, u32) {
    let col = text.get(start..offset).map_or(0, |s| s.chars().count());
    (line as u32 + 1, col as u32 + 1)
}

/// A source file held in memory while it is being read, so spans can become locations.
#[derive(Debug)]
pub struct Source {
    /// Path shown in messages: relative to the site root.
    pub path: Arc<Path>,
    pub text: String,
    /// Made when [`Source::loc`] has counted its way through the text once: a file read
    /// without a problem is asked for two or three locations (where its keys and its
    /// body start), which cost less counted directly than the index of every line
    /// (20,000 of them at the 20k benchmark, each a vector grown line by line).
    index: std::sync::OnceLock<LineIndex>,
    /// Bytes counted through by locations found without the index: past the text's
    /// length, the index is made (a file with many problems costs at most twice).
    counted: AtomicUsize,
}

impl Source {
    pub fn new(path: PathBuf, text: String) -> Self {
        Source {
            path: Arc::from(path.as_path()),
            text,
            index: std::sync::OnceLock::new(),
            counted: AtomicUsize::new(0),
        }
    }

    /// The location of a byte offset into this file.
    pub fn loc(&self, offset: usize) -> Loc {
        let offset = offset.min(self.text.len());
        let (line, col) = match self.index.get() {
            Some(index) => index.line_col(&self.text, offset),
            None if self.counted.fetch_add(offset, Ordering::Relaxed) < self.text.len() => {
                line_col_counted(&self.text, offset)
            }
            None => self
                .index
                .get_or_init(|| LineIndex::new(&self.text))
                .line_col(&self.text, offset),
        };
        Loc {
            path: Arc::clone(&self.path),
            line,
            col,
        }
    }

    pub fn whole(&self) -> Loc {
        Loc::file(&self.path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_characters_not_bytes() {
        let s = Source::new("a.toml".into(), "x = 1\ntên = \"Đăng\"\n".into());
        let off = s.text.find("\"Đăng").unwrap();
        let loc = s.loc(off);
        assert_eq!((loc.line, loc.col), (2, 7));
        assert_eq!(loc.to_string(), "a.toml:2:7");
    }

    /// The first locations are counted, the later ones read from the index: both give
    /// the same line and column at every offset, on character boundaries or not.
    #[test]
    fn counted_and_indexed_locations_agree() {
        let text = "x = 1\r\ntên = \"Đăng ký\"\n\n[[channels]]\nmethod = \"truc-tiep\"\n";
        let index = LineIndex::new(text);
        let s = Source::new("a.toml".into(), text.into());
        for offset in (0..=text.len() + 2).chain(0..=text.len()) {
            let want = index.line_col(text, offset);
            assert_eq!(
                line_col_counted(text, offset.min(text.len())),
                want,
                "{offset}"
            );
            let loc = s.loc(offset);
            assert_eq!((loc.line, loc.col), want, "{offset}");
        }
        assert!(
            s.index.get().is_some(),
            "made once the text was counted through"
        );
    }
}
