//! Reading files: bytes to checked UTF-8 text, front matter split from the body, TOML
//! parsed with spans. Each failure becomes a diagnostic at the right line.

use crate::diag::{Diagnostics, Loc, Msg, Source};
use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::SystemTime;
use toml_spanner::{Arena, Item, Span, Table, ValueMut};

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
        d.error(
            Loc::file(&shown_arc),
            Msg::CannotRead {
                error: e.to_string(),
            },
        );
    };
    let mut file = match open_regular(path) {
        Ok(f) => f,
        Err(e) => {
            cannot(d, e);
            return None;
        }
    };
    let (len, modified) = match file.metadata() {
        Ok(m) if !m.is_file() => {
            not_regular(&shown_arc, d);
            return None;
        }
        Ok(m) => (m.len(), m.modified().ok()),
        Err(e) => {
            cannot(d, e);
            return None;
        }
    };
    if len > MAX_FILE_BYTES {
        d.error(
            Loc::file(&shown_arc),
            Msg::TooLarge {
                len,
                max: MAX_FILE_BYTES,
            },
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
            d.error(src.loc(good), Msg::NotUtf8);
            return None;
        }
    };
    // A byte-order mark is harmless; drop it so the first key starts at column 1.
    let text = match text.strip_prefix('\u{feff}') {
        Some(t) => t.to_owned(),
        None => text,
    };
    Some((strip_controls(Source::new(shown, text), d), modified))
}

/// Opens a file for reading without waiting: a named pipe (FIFO) opened for reading
/// blocks until something writes to it, which would hang `check`, `build` and `serve`
/// for good. `O_NONBLOCK` changes nothing for a regular file; the caller refuses
/// anything else once it has its metadata.
fn open_regular(path: &Path) -> std::io::Result<File> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(target_os = "linux")]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK);
    }
    // Elsewhere, asked before opening (a pipe swapped in between would still block).
    #[cfg(not(target_os = "linux"))]
    if std::fs::metadata(path).is_ok_and(|m| !m.is_file()) {
        return Err(std::io::Error::other("not a regular file"));
    }
    options.open(path)
}

/// The text of a regular file, for a quick look at a site file outside the loading
/// stage (the language of `site.toml` before anything else is read): never waits on a
/// named pipe, refuses anything but a regular file.
pub fn read_regular_to_string(path: &Path) -> std::io::Result<String> {
    let mut file = open_regular(path)?;
    if !file.metadata()?.is_file() {
        return Err(std::io::Error::other("not a regular file"));
    }
    let mut text = String::new();
    file.read_to_string(&mut text)?;
    Ok(text)
}

/// A `.md` or `.toml` that is not a regular file (a named pipe, a device, a socket): it is
/// skipped with a warning, never read. `site.toml` cannot be skipped: without it there is
/// no site, so it is an error.
fn not_regular(shown: &Arc<Path>, d: &mut Diagnostics) {
    let what =
        "không phải là một tệp thường (not a regular file: a named pipe, a device or a socket)";
    if shown.as_ref() == Path::new("site.toml") {
        d.error(
            Loc::file(shown),
            format!("{what}: site.toml must be a text file; replace it with one (`niemyet init` writes an example)"),
        );
    } else {
        d.warning(
            Loc::file(shown),
            format!("{what}: it is skipped, not read; remove it or replace it with a text file"),
        );
    }
}

/// Whether `b` holds a byte of a C0 control character other than tab, line feed and
/// carriage return. Looked at 64 bytes at a time, each block folded without a branch, so
/// the compiler compares them as vectors: every content file goes through this, and the
/// plain byte-by-byte search was ten times slower (85 ms against 8 ms over the national
/// records' 60 MB; the 20k benchmark reads 59 MB). A test compares it with the plain rule.
fn has_c0(b: &[u8]) -> bool {
    b.chunks(64).any(|block| {
        block.iter().fold(false, |seen, &x| {
            seen | ((x < 0x20) & (x != b'\t') & (x != b'\n') & (x != b'\r'))
        })
    })
}

/// Characters no XML file may hold and HTML forbids: C0 controls other than tab, line feed
/// and carriage return (a carriage return ends lines in CRLF files), and the noncharacters
/// U+FFFE and U+FFFF. Through any text they would reach `feed.xml` and `sitemap.xml`
/// (invalid XML: feed readers and search engines reject the whole file), pages and CSV.
pub fn is_forbidden_char(c: char) -> bool {
    (c < ' ' && !matches!(c, '\t' | '\n' | '\r')) || matches!(c, '\u{fffe}' | '\u{ffff}')
}

/// Whether `s` holds a [`is_forbidden_char`]: C0 bytes, or U+FFFE/U+FFFF (EF BF BE/BF).
pub fn has_forbidden_chars(s: &str) -> bool {
    let b = s.as_bytes();
    has_c0(b)
        || memchr::memmem::find_iter(b, b"\xef\xbf")
            .any(|i| b.get(i + 2).is_some_and(|&x| x >= 0xbe))
}

/// `src` with every [`is_forbidden_char`] removed, each line that held one named in a
/// warning (at its first such character). Nearly every file holds none and is returned
/// as it is.
fn strip_controls(src: Source, d: &mut Diagnostics) -> Source {
    if !has_forbidden_chars(&src.text) {
        return src;
    }
    let mut last_line = 0;
    for (i, c) in src.text.char_indices() {
        if is_forbidden_char(c) {
            let loc = src.loc(i);
            if loc.line != last_line {
                last_line = loc.line;
                d.warning(
                    loc,
                    crate::diag::say(
                        format!("ký tự điều khiển U+{:04X} bị bỏ: không tệp XML nào (feed.xml, sitemap.xml) và không trang HTML nào được chứa nó; xoá nó khỏi tệp", c as u32),
                        format!("control character U+{:04X} removed: no XML file (feed.xml, sitemap.xml) and no HTML page may hold it; delete it from the file", c as u32),
                    ),
                );
            }
        }
    }
    let text: String = src
        .text
        .chars()
        .filter(|&c| !is_forbidden_char(c))
        .collect();
    Source::new(src.path.to_path_buf(), text)
}

/// Removes [`is_forbidden_char`]s that TOML escapes put into string values (`"\u0007"`,
/// `"\b"`, `"\uFFFF"`): the raw text had none (see [`strip_controls`]), the parsed
/// value does. Each value that held one is named in a warning. Only text with a
/// backslash can have an escape, so other files are not walked.
fn strip_escaped_controls<'i>(
    src: &Source,
    base: usize,
    toml: &str,
    table: &mut Table<'i>,
    arena: &'i Arena,
    d: &mut Diagnostics,
) {
    fn walk<'i>(
        item: &mut Item<'i>,
        at: &dyn Fn(Span) -> Loc,
        arena: &'i Arena,
        d: &mut Diagnostics,
    ) {
        let span = item.span();
        match item.value_mut() {
            ValueMut::String(s) if has_forbidden_chars(s) => {
                let clean: String = s.chars().filter(|&c| !is_forbidden_char(c)).collect();
                *s = arena.alloc_str(&clean);
                d.warning(
                    at(span),
                    crate::diag::say(
                        "ký tự điều khiển (viết bằng mã thoát như \\u0007) bị bỏ khỏi giá trị này: không tệp XML nào và không trang HTML nào được chứa nó; xoá nó khỏi giá trị",
                        "a control character written as an escape, such as \\u0007, removed from this value: no XML file and no HTML page may hold it; delete it from the value",
                    ),
                );
            }
            ValueMut::Table(t) => {
                for (_, v) in t.entries_mut() {
                    walk(v, at, arena, d);
                }
            }
            ValueMut::Array(a) => {
                for v in a.as_mut_slice() {
                    walk(v, at, arena, d);
                }
            }
            _ => {}
        }
    }
    if memchr::memchr(b'\\', toml.as_bytes()).is_none() {
        return;
    }
    let at = |span: Span| src.loc(base + span.start as usize);
    for (_, v) in table.entries_mut() {
        walk(v, &at, arena, d);
    }
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
    /// The catalogue's message for it.
    pub fn msg(self) -> Msg {
        match self {
            SplitError::Missing => Msg::FrontMatterMissing,
            SplitError::Yaml => Msg::FrontMatterYaml,
            SplitError::Unclosed => Msg::FrontMatterUnclosed,
        }
    }

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
            d.error(src.loc(0), e.msg());
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
        Ok(doc) => {
            let mut table = doc.into_table();
            strip_escaped_controls(src, base, toml, &mut table, arena, d);
            Some(table)
        }
        Err(e) => {
            let at = base + e.span().start as usize;
            d.error(src.loc(at), crate::diag::fix::toml_error(&e, toml));
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

    /// The block scan finds a C0 byte exactly where the plain rule does: every byte value
    /// at every place of texts of one to two blocks and a bit.
    #[test]
    fn the_block_scan_agrees_with_the_plain_rule() {
        let plain = |b: &[u8]| {
            b.iter()
                .any(|&c| c < 0x20 && !matches!(c, b'\t' | b'\n' | b'\r'))
        };
        let base: Vec<u8> = "Đăng ký khai sinh, thủ tục cấp xã.\t\r\n"
            .bytes()
            .cycle()
            .take(140)
            .collect();
        for len in [1, 63, 64, 65, 128, 140] {
            for at in 0..len {
                for x in 0..=255u8 {
                    let mut b = base[..len].to_vec();
                    b[at] = x;
                    assert_eq!(has_c0(&b), plain(&b), "byte {x:#x} at {at} of {len}");
                }
            }
        }
        assert!(has_forbidden_chars("a\u{fffe}b") && has_forbidden_chars("\u{ffff}"));
        assert!(!has_forbidden_chars("\u{fffd}\u{feff}\u{ff21}ẹ\r\n\t"));
    }

    #[test]
    fn control_characters_are_removed_at_load_with_a_warning_per_line() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.md");
        std::fs::write(
            &p,
            "+++\nname = \"Khai\u{1}sinh\"\n+++\nBước\u{0} 1\u{b}\u{ffff}\r\nBước 2\u{fffe}\n",
        )
        .unwrap();
        let mut d = Diagnostics::new();
        let src = read_text(&p, "content/a.md".into(), &mut d).unwrap();
        assert_eq!(
            src.text,
            "+++\nname = \"Khaisinh\"\n+++\nBước 1\r\nBước 2\n"
        );
        let msgs: Vec<String> = d.iter().map(|x| x.to_string()).collect();
        assert_eq!(msgs.len(), 3, "{msgs:?}");
        assert!(
            msgs[0].starts_with("content/a.md:2:13: warning: ký tự điều khiển U+0001"),
            "{msgs:?}"
        );
        assert!(
            msgs[1].starts_with("content/a.md:4:5: warning:"),
            "{msgs:?}"
        );
        assert!(
            msgs[2].starts_with("content/a.md:5:7: warning:"),
            "{msgs:?}"
        );
    }

    #[test]
    fn control_characters_written_as_toml_escapes_are_removed_with_a_warning() {
        let src = Source::new(
            "site.toml".into(),
            "title = \"Trang\\u0007 \\b\\uFFFF\"\nlist = [\"a\", \"b\\u0000\"]\nok = 'C:\\bin'\n[t]\nx = \"\\u001B\"\n".into(),
        );
        let mut d = Diagnostics::new();
        let arena = Arena::new();
        let t = parse_toml(&src, 0, &src.text, &arena, &mut d).unwrap();
        assert_eq!(t.get("title").and_then(|v| v.as_str()), Some("Trang "));
        let list = t.get("list").and_then(|v| v.as_array()).unwrap();
        assert_eq!(list.get(1).and_then(|v| v.as_str()), Some("b"));
        assert_eq!(t.get("ok").and_then(|v| v.as_str()), Some("C:\\bin"));
        let msgs: Vec<String> = d.iter().map(|x| x.to_string()).collect();
        assert_eq!(msgs.len(), 3, "{msgs:?}");
        for (m, line) in msgs.iter().zip([1, 2, 5]) {
            assert!(m.starts_with(&format!("site.toml:{line}:")), "{m}");
            assert!(m.contains("warning: ký tự điều khiển"), "{m}");
        }
    }

    /// A named pipe named like a procedure is skipped with a warning and never opened
    /// for a blocking read (the read would wait forever: the test would hang).
    #[cfg(unix)]
    #[test]
    fn a_named_pipe_is_skipped_not_read() {
        let dir = tempfile::tempdir().unwrap();
        for name in ["b.md", "site.toml"] {
            let p = dir.path().join(name);
            assert!(std::process::Command::new("mkfifo")
                .arg(&p)
                .status()
                .is_ok_and(|s| s.success()));
            let (tx, rx) = std::sync::mpsc::channel();
            let shown = PathBuf::from(name);
            std::thread::spawn(move || {
                let mut d = Diagnostics::new();
                let read = read_text(&p, shown, &mut d);
                let _ = tx.send((read.is_none(), d.finish()));
            });
            let (skipped, diags) = rx
                .recv_timeout(std::time::Duration::from_secs(20))
                .expect("reading a named pipe hung");
            assert!(skipped);
            assert_eq!(diags.len(), 1, "{diags:?}");
            let msg = diags[0].to_string();
            let severity = if name == "site.toml" {
                "error"
            } else {
                "warning"
            };
            assert!(
                msg.starts_with(&format!("{name}: {severity}: không phải là một tệp thường")),
                "{msg}"
            );
        }
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
