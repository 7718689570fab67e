//! Reading files: bytes to checked UTF-8 text, front matter split from the body, TOML
//! parsed with spans. Each failure becomes a diagnostic at the right line.

use crate::diag::{Diagnostics, Loc, Source};
use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::SystemTime;
use toml_spanner::{Arena, ErrorKind, Table};

/// Files larger than this are refused rather than read: no procedure is 8 MiB of text.
pub const MAX_FILE_BYTES: u64 = 8 * 1024 * 1024;

/// Reads a text file. `shown` is the path used in messages (relative to the site root).
pub fn read_text(path: &Path, shown: PathBuf, d: &mut Diagnostics) -> Option<Source> {
    read_text_dated(path, shown, d).map(|(src, _)| src)
}

/// [`read_text`], with the file's modification time: one `open`, one `fstat`, one read
/// (twenty thousand files are read per build; each path lookup shows in the profile).
pub fn read_text_dated(
    path: &Path,
    shown: PathBuf,
    d: &mut Diagnostics,
) -> Option<(Source, Option<SystemTime>)> {
    let shown_arc: Arc<Path> = Arc::from(shown.as_path());
    let cannot = |d: &mut Diagnostics, e: std::io::Error| {
        d.error(Loc::file(&shown_arc), format!("cannot read the file: {e}"));
    };
    let mut file = match File::open(path) {
        Ok(f) => f,
        Err(e) => {
            cannot(d, e);
            return None;
        }
    };
    let (len, modified) = match file.metadata() {
        Ok(m) => (m.len(), m.modified().ok()),
        Err(e) => {
            cannot(d, e);
            return None;
        }
    };
    if len > MAX_FILE_BYTES {
        d.error(
            Loc::file(&shown_arc),
            format!(
                "the file is {len} bytes; files larger than {MAX_FILE_BYTES} bytes are not read"
            ),
        );
        return None;
    }
    // Read up to the length just found, through `take`: `File::read_to_end` asks the
    // file for its length and position again and ends with a read that finds nothing,
    // three system calls per file more than this one read (60,000 at the 20k benchmark).
    // A file that grows while it is read is read to its old length; the next build sees
    // the change (its modification time).
    let mut bytes = Vec::with_capacity(len as usize);
    if let Err(e) = (&mut file).take(len).read_to_end(&mut bytes) {
        cannot(d, e);
        return None;
    }
    // simdutf8 checks Vietnamese text (two and three bytes a letter) several times faster
    // than the standard library: it was a twentieth of a build's CPU.
    #[allow(unsafe_code)] // see the SAFETY comment below
    let text = match simdutf8::compat::from_utf8(&bytes) {
        // SAFETY: `bytes` was just checked to be valid UTF-8.
        Ok(_) => unsafe { String::from_utf8_unchecked(bytes) },
        Err(e) => {
            let good = e.valid_up_to();
            let prefix = String::from_utf8_lossy(&bytes[..good]).into_owned();
            let src = Source::new(shown, prefix);
            d.error(
                src.loc(good),
                "the file is not valid UTF-8 text (save it as UTF-8)",
            );
            return None;
        }
    };
    // A byte-order mark is harmless; drop it so the first key starts at column 1.
    let text = match text.strip_prefix('\u{feff}') {
        Some(t) => t.to_owned(),
        None => text,
    };
    Some((Source::new(shown, text), modified))
}

/// A Markdown file split into TOML front matter and body, as byte ranges of the source.
pub struct Split {
    /// Byte offset where the TOML starts.
    pub toml_start: usize,
    pub toml_end: usize,
    /// Byte offset where the body starts.
    pub body_start: usize,
}

/// Why a Markdown file has no usable front matter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SplitError {
    /// The first line is not `+++`.
    Missing,
    /// The first line is `---` (YAML, as other generators use).
    Yaml,
    /// No closing `+++` line.
    Unclosed,
}

impl SplitError {
    pub fn message(self) -> &'static str {
        match self {
            SplitError::Missing => "expected front matter: the file must start with a `+++` line, then TOML keys, then a closing `+++` line",
            SplitError::Yaml => "YAML front matter (---) is not supported: put the keys in TOML between `+++` lines",
            SplitError::Unclosed => "the front matter is not closed: add a `+++` line after the TOML keys",
        }
    }
}

/// Where `+++`-fenced front matter and the body are in a Markdown text. This is the one
/// rule for the format: the reader and the importer (reading a file back to keep a
/// webmaster's keys) both use it, so they cannot disagree on where the body starts.
pub fn front_matter(text: &str) -> Result<Split, SplitError> {
    let toml_start = opening(text)?;
    // The closing line is found among the places `+++` occurs (SIMD substring search)
    // rather than line by line: a search for each line end was 1 % of a build.
    let bytes = text.as_bytes();
    for i in memchr::memmem::find_iter(&bytes[toml_start..], b"+++") {
        let start = toml_start + i;
        if start > toml_start && bytes[start - 1] != b'\n' {
            continue;
        }
        let end = memchr::memchr(b'\n', &bytes[start..]).map_or(text.len(), |j| start + j + 1);
        if text[start..end].trim_end() == "+++" {
            return Ok(Split {
                toml_start,
                toml_end: start,
                body_start: end,
            });
        }
    }
    Err(SplitError::Unclosed)
}

/// Where the TOML starts: after a first line of `+++`.
fn opening(text: &str) -> Result<usize, SplitError> {
    let mut lines = LineIter { text, pos: 0 };
    match lines.next() {
        Some((_, l)) if l.trim_end() == "+++" => Ok(lines.pos),
        Some((_, l)) if l.trim_end() == "---" => Err(SplitError::Yaml),
        _ => Err(SplitError::Missing),
    }
}

/// Splits `+++`-fenced front matter from a Markdown body, reporting a problem at 1:1.
pub fn split_front_matter(src: &Source, d: &mut Diagnostics) -> Option<Split> {
    match front_matter(&src.text) {
        Ok(s) => Some(s),
        Err(e) => {
            d.error(src.loc(0), e.message());
            None
        }
    }
}

/// Lines with their start offsets, each including its line end.
struct LineIter<'a> {
    text: &'a str,
    pos: usize,
}

impl<'a> Iterator for LineIter<'a> {
    type Item = (usize, &'a str);
    fn next(&mut self) -> Option<Self::Item> {
        if self.pos >= self.text.len() {
            return None;
        }
        let rest = &self.text[self.pos..];
        let len = rest.find('\n').map(|i| i + 1).unwrap_or(rest.len());
        let start = self.pos;
        self.pos += len;
        Some((start, &rest[..len]))
    }
}

/// Parses TOML text into a table held in `arena`, reporting a syntax error at its line
/// and column.
pub fn parse_toml<'i>(
    src: &Source,
    base: usize,
    toml: &'i str,
    arena: &'i Arena,
    d: &mut Diagnostics,
) -> Option<Table<'i>> {
    match toml_spanner::parse(toml, arena) {
        Ok(doc) => Some(doc.into_table()),
        Err(e) => {
            let span = e.span();
            let mut msg = e.to_string().trim().replace('\n', " ");
            match e.kind() {
                // The span of a duplicate is the key written the second time.
                ErrorKind::DuplicateKey { .. } => {
                    if let Some(key) = toml.get(span.start as usize..span.end as usize) {
                        msg = format!(
                            "duplicate key `{}`: a key can be given only once",
                            key.trim()
                        );
                    }
                }
                // The parser says "value out of range for Max recursion depth exceeded".
                ErrorKind::OutOfRange { ty, .. } if ty.contains("recursion") => {
                    msg = "lists or tables nested too deeply (the parser stops its recursion \
                           at 256 levels)"
                        .to_owned();
                }
                _ => {}
            }
            d.error(
                src.loc(base + span.start as usize),
                format!("invalid TOML: {msg}"),
            );
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_front_matter_with_crlf() {
        let src = Source::new(
            "a.md".into(),
            "+++\r\ncode = \"1\"\r\n+++\r\nBody\r\n".into(),
        );
        let mut d = Diagnostics::new();
        let s = split_front_matter(&src, &mut d).unwrap();
        assert_eq!(&src.text[s.toml_start..s.toml_end], "code = \"1\"\r\n");
        assert_eq!(&src.text[s.body_start..], "Body\r\n");
    }

    /// The closing line found line by line, as the format defines it.
    fn front_matter_by_lines(text: &str) -> Result<Split, SplitError> {
        let toml_start = opening(text)?;
        let lines = LineIter {
            text,
            pos: toml_start,
        };
        for (start, l) in lines {
            if l.trim_end() == "+++" {
                return Ok(Split {
                    toml_start,
                    toml_end: start,
                    body_start: start + l.len(),
                });
            }
        }
        Err(SplitError::Unclosed)
    }

    #[test]
    fn the_closing_line_is_the_first_line_of_just_plus_signs() {
        let closings = ["+++", "+++ ", "+++\u{a0}", "+++\r", "+++\t"];
        let others = [
            "++++", " +++", "a +++", "x+++", "++", "+++a", "'+++'", "+ ++",
        ];
        for close in closings {
            for other in others {
                for text in [
                    format!("+++\nk = 1\n{other}\n{close}\nbody\n"),
                    format!("+++\n{other}\n{close}"),
                    format!("+++\n{close}\n{other}\n"),
                    format!("+++\r\nk = \"{other}\"\r\n{close}\nbody"),
                    format!("+++\n{other}{close}\n"),
                    format!("+++\n{other}\n"),
                ] {
                    let (fast, lines) = (front_matter(&text), front_matter_by_lines(&text));
                    assert_eq!(
                        fast.map(|s| (s.toml_start, s.toml_end, s.body_start)),
                        lines.map(|s| (s.toml_start, s.toml_end, s.body_start)),
                        "{text:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn unclosed_front_matter_is_an_error() {
        let src = Source::new("a.md".into(), "+++\ncode = 1\n".into());
        let mut d = Diagnostics::new();
        assert!(split_front_matter(&src, &mut d).is_none());
        assert!(d.iter().next().unwrap().to_string().contains("a.md:1:1"));
    }

    #[test]
    fn toml_error_has_line() {
        let src = Source::new("a.toml".into(), "a = 1\nb = \n".into());
        let mut d = Diagnostics::new();
        assert!(parse_toml(&src, 0, &src.text, &Arena::new(), &mut d).is_none());
        let msg = d.iter().next().unwrap().to_string();
        assert!(msg.starts_with("a.toml:2:"), "{msg}");
    }
}
