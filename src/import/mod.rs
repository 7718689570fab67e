//! Importers: turn exports of other systems into niemyet procedure files.
//!
//! # Why
//!
//! Most procedures a commune or province publishes are already in the national procedure
//! database (Cơ sở dữ liệu quốc gia về thủ tục hành chính, published on the Cổng Dịch vụ công
//! quốc gia, "dvcqg"). Retyping them is slow and error-prone, so `niemyet import dvcqg` reads
//! the portal's plain-text export and writes one procedure file per code in our own format
//! (`docs/import.md` has the label → key table and every decision taken).
//!
//! # How
//!
//! * [`dvcqg::parse_record`] reads one export file into a [`dvcqg::Record`]. It never panics
//!   (this module denies `unwrap`, `expect`, indexing and slicing outside tests); every problem
//!   becomes an [`ImportError`] with file, line and a message, and a bad record is skipped
//!   while the others still import.
//! * [`dvcqg::record_to_toml`] writes a record as the text of a `.md` procedure file: TOML front
//!   matter between `+++` lines, the steps (trình tự thực hiện) as the Markdown body. We chose
//!   `.md` over pure `.toml` because the steps are long prose: in the body they are edited as
//!   plain text, without TOML string quoting. The output is deterministic: the same record
//!   always gives byte-identical text, so a re-import touches nothing and version control
//!   shows only real changes.
//! * Nothing the source says is dropped: values that could not be parsed are kept as text,
//!   and every parsed time and fee keeps its source text in a `raw` key. "Không có thông tin"
//!   (nothing published) never becomes a blank: the key is left out and, for keys the format
//!   requires, named in `unpublished`, so the site shows "Chưa công bố".
//! * [`dvcqg::run`] imports whole folders: parses in parallel (rayon), writes `<code>.md`
//!   files, leaves unchanged files untouched, and keeps keys a webmaster added by hand to an
//!   imported file (see [`frontmatter`]).

// Never panic on input: no unwrap/expect/indexing in this module's non-test code.
#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::indexing_slicing,
        clippy::panic
    )
)]

use std::fmt;
use std::path::{Path, PathBuf};

pub mod dvcqg;
pub mod frontmatter;
pub mod toml_text;

/// A problem with one input (or output) file, shown as `file:line: message`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportError {
    /// The file the problem is in.
    pub file: PathBuf,
    /// 1-based line number, when the problem has one.
    pub line: Option<usize>,
    /// What is wrong, in English, naming the Vietnamese label where there is one.
    pub message: String,
}

impl ImportError {
    /// An error at a line of a file.
    pub fn at(file: &Path, line: usize, message: impl Into<String>) -> Self {
        ImportError {
            file: file.to_path_buf(),
            line: Some(line),
            message: message.into(),
        }
    }

    /// An error about a whole file.
    pub fn file(file: &Path, message: impl Into<String>) -> Self {
        ImportError {
            file: file.to_path_buf(),
            line: None,
            message: message.into(),
        }
    }
}

impl fmt::Display for ImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{}: {}", self.file.display(), line, self.message),
            None => write!(f, "{}: {}", self.file.display(), self.message),
        }
    }
}

impl std::error::Error for ImportError {}

/// What an import did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportReport {
    /// Files written that did not exist before.
    pub added: usize,
    /// Existing files rewritten because the record changed (local keys kept).
    pub changed: usize,
    /// Existing files left untouched: the import would write the same bytes.
    pub unchanged: usize,
    /// Records not written: bad input, a duplicate code, or an existing file that could not
    /// be read safely. Each has at least one entry in `errors`.
    pub skipped: usize,
    /// One entry per problem, in input order; `file:line: message` when displayed.
    pub errors: Vec<ImportError>,
    /// Files rewritten whose keys owned by the importer (name, keywords…) held other
    /// values: hand edits there are replaced, and the import says so.
    pub replaced: Vec<(PathBuf, Vec<&'static str>)>,
    /// How often each irregularity of the source was met (see [`Stats`]).
    pub stats: Stats,
}

/// Counts of the source's irregularities, measured while parsing: the tag names are listed
/// in `docs/import.md` (e.g. `time:n-other`, `fees:no-info`, `dossier:note-item`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Stats {
    /// Records parsed successfully.
    pub records: usize,
    /// Tag → number of occurrences (a record can count several times).
    pub occurrences: std::collections::BTreeMap<&'static str, usize>,
    /// Tag → number of records with at least one occurrence.
    pub records_with: std::collections::BTreeMap<&'static str, usize>,
}

impl Stats {
    /// Adds the tags of one record.
    pub fn add_record(&mut self, tags: &[&'static str]) {
        self.records += 1;
        let mut seen: Vec<&'static str> = Vec::new();
        for tag in tags {
            *self.occurrences.entry(tag).or_insert(0) += 1;
            if !seen.contains(tag) {
                seen.push(tag);
                *self.records_with.entry(tag).or_insert(0) += 1;
            }
        }
    }

    /// Occurrences of a tag (0 if never met).
    pub fn count(&self, tag: &str) -> usize {
        self.occurrences.get(tag).copied().unwrap_or(0)
    }

    /// Records with at least one occurrence of a tag.
    pub fn records(&self, tag: &str) -> usize {
        self.records_with.get(tag).copied().unwrap_or(0)
    }
}

impl fmt::Display for Stats {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "{} records", self.records)?;
        for (tag, n) in &self.occurrences {
            let r = self.records_with.get(tag).copied().unwrap_or(0);
            writeln!(f, "{tag:<40} {n:>7} in {r:>5} records")?;
        }
        Ok(())
    }
}
