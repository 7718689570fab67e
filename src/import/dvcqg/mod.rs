//! The national procedure database's plain-text export (Cổng Dịch vụ công quốc gia,
//! "dvcqg"): one `.txt` file per procedure code.
//!
//! A file starts with `Chi tiết thủ tục hành chính`, then has twenty labels in a fixed order
//! (`Mã thủ tục: …` … `Mô tả: …`). Most values are one line; the steps, channels, dossier
//! and legal basis are indented blocks; requirements, description, the receiving address
//! and a channel's description run on over further lines, which may start at column 0 and
//! may even begin with another label's words (three records quote `Từ khóa:` inside their
//! requirements). So labels are found in their fixed order: for each label the parser takes
//! the last line starting with it before the next label's first line, and text in between
//! belongs to the value. A label-like line (`Something: …`) where only a one-line value can
//! be is reported as an unknown label: it means the export format changed.
//!
//! `docs/import.md` has the full label → key table, every decision and the counts measured
//! on 5,652 real records.

use super::{frontmatter, toml_text, ImportError, ImportReport};
use crate::diag::say;

mod blocks;
mod files;
mod labels;
mod parse;
mod record;
mod values;
mod write;

use blocks::*;
pub use files::*;
use labels::*;
pub use parse::*;
pub use record::*;
pub use values::*;
pub use write::*;

/// The first line of every record.
pub const HEADER: &str = "Chi tiết thủ tục hành chính";
/// What the source says when it published nothing for a field.
pub const NO_INFO: &str = "Không có thông tin";
/// What the site shows for something the source left out (used for a dossier item without
/// a name, where a key can not simply be left out).
pub const UNPUBLISHED_TEXT: &str = "Chưa công bố";
/// The time text written for the source's "N OTHER" (no fixed time: the source's own staff
/// write "Theo mô tả OTHER" for the same case, so we use their words).
pub const OTHER_TIME_TEXT: &str = "Theo mô tả";
/// Input files larger than this are refused (the largest real record is far smaller).
pub const MAX_FILE_BYTES: u64 = 8 * 1024 * 1024;

#[cfg(test)]
mod tests;
