//! Markdown to safe HTML. Content is untrusted: raw HTML is allowed by CommonMark, so the
//! output of pulldown-cmark always goes through ammonia, which keeps the harmless tags
//! and drops scripts, event handlers, `javascript:`/`data:` URLs, iframes and styles.

use pulldown_cmark::{html, Alignment, Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use std::collections::HashSet;

/// A configured Markdown renderer (the sanitiser's tables are built once).
pub struct Markdown {
    cleaner: ammonia::Builder<'static>,
}

impl Default for Markdown {
    fn default() -> Self {
        Self::new()
    }
}

impl Markdown {
    pub fn new() -> Self {
        let mut cleaner = ammonia::Builder::default();
        cleaner
            .url_schemes(HashSet::from(["http", "https", "mailto", "tel"]))
            .link_rel(Some("noopener noreferrer"))
            .add_generic_attributes(["id"])
            .id_prefix(Some("md-"));
        Markdown { cleaner }
    }

    /// Renders Markdown and sanitises the result. Headings are shifted down two levels
    /// (`#` becomes `<h3>`) so the page keeps one `<h1>` and its own `<h2>` sections.
    ///
    /// Text without raw HTML, whose links all have a plainly allowed address, cannot
    /// hold anything the sanitiser would remove: pulldown-cmark escapes every text and
    /// attribute it writes. Such text (nearly all procedure texts) skips the sanitiser,
    /// which costs five times the Markdown rendering, and gets what the sanitiser would
    /// have written (`rel` on links, its way of writing void elements and no-break
    /// spaces); the tests compare the two on every record of the national database.
    /// Anything else goes through ammonia. Kept for the 20k target: through the
    /// sanitiser, 2,000 procedures of the 20k site take 41 % more instructions.
    pub fn render(&self, src: &str) -> String {
        // Room for an event every eight bytes (a procedure's steps hold one every twelve
        // or so): collected into a list grown from empty, they were copied four times.
        let mut events: Vec<Event> = Vec::with_capacity(src.len() / 8 + 16);
        events.extend(parse(src));
        if !all_plain(events.iter()) {
            return self.render_sanitised(src);
        }
        let mut out = String::with_capacity(src.len() * 3 / 2);
        html::push_html(&mut out, events.into_iter());
        // No `replace_controls`: [`plain`] let through no text, code or address holding a
        // control character other than tab and line feed, and pulldown-cmark writes none
        // of its own, so the scan would find nothing (0.9 % of a 20k build's
        // instructions). The tests compare this path with the sanitiser's on every record.
        let html = as_sanitised(&out);
        debug_assert!(!has_control(&html, HTML_CONTROLS));
        html
    }

    /// Whether [`Markdown::render`] skips the sanitiser for `src`.
    pub fn is_plain(&self, src: &str) -> bool {
        let events: Vec<Event> = parse(src).collect();
        all_plain(events.iter())
    }

    /// [`Markdown::render`] always through the sanitiser (the reference the shortcut is
    /// tested against).
    pub fn render_sanitised(&self, src: &str) -> String {
        let mut out = String::with_capacity(src.len() * 3 / 2);
        html::push_html(&mut out, parse(src));
        replace_controls(self.cleaner.clean(&out).to_string())
    }
}

/// The Markdown parser, with headings shifted down two levels.
fn parse(src: &str) -> impl Iterator<Item = Event<'_>> {
    let opts = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
    Parser::new_ext(src, opts).map(|ev| {
        let shift = |l: HeadingLevel| match l {
            HeadingLevel::H1 => HeadingLevel::H3,
            HeadingLevel::H2 => HeadingLevel::H4,
            HeadingLevel::H3 => HeadingLevel::H5,
            _ => HeadingLevel::H6,
        };
        match ev {
            Event::Start(Tag::Heading {
                level,
                id,
                classes,
                attrs,
            }) => Event::Start(Tag::Heading {
                level: shift(level),
                id,
                classes,
                attrs,
            }),
            Event::End(TagEnd::Heading(level)) => Event::End(TagEnd::Heading(shift(level))),
            e => e,
        }
    })
}

/// Whether every event is [`plain`] and no link is inside another (CommonMark allows an
/// autolink inside a link's text; HTML does not, and the sanitiser's parser closes the
/// outer link first).
fn all_plain<'e>(events: impl Iterator<Item = &'e Event<'e>>) -> bool {
    let mut in_link = false;
    for ev in events {
        match ev {
            Event::Start(Tag::Link { .. }) if in_link => return false,
            Event::Start(Tag::Link { .. }) => in_link = true,
            Event::End(TagEnd::Link) => in_link = false,
            _ => {}
        }
        if !plain(ev) {
            return false;
        }
    }
    true
}

/// Whether pulldown-cmark writes this event as the sanitiser would keep it (after
/// [`as_sanitised`]): no raw HTML, no attribute the sanitiser drops (table alignment
/// styles, code language classes, images), links to plainly allowed addresses only.
fn plain(ev: &Event) -> bool {
    match ev {
        Event::Html(_) | Event::InlineHtml(_) => false,
        // The sanitiser's HTML parser reads a carriage return as a line feed and drops
        // NUL; other control characters are left to it too.
        Event::Text(t) | Event::Code(t) => !has_control(t, b"\t\n"),
        Event::InlineMath(_) | Event::DisplayMath(_) | Event::FootnoteReference(_) => false,
        Event::Start(tag) => match tag {
            Tag::Link {
                dest_url, title, ..
            } => title.is_empty() && plain_url(dest_url),
            Tag::Image { .. } | Tag::CodeBlock(_) | Tag::HtmlBlock => false,
            Tag::Table(align) => align.iter().all(|a| *a == Alignment::None),
            Tag::Heading {
                id, classes, attrs, ..
            } => id.is_none() && classes.is_empty() && attrs.is_empty(),
            _ => true,
        },
        _ => true,
    }
}

/// An address the sanitiser keeps as it is: `http`, `https`, `mailto` or `tel`, or
/// relative without anything that could be read as a scheme; nothing the two escapers
/// write differently (`'`, `&`, a no-break space).
fn plain_url(url: &str) -> bool {
    if url.contains(['\'', '&', '\u{a0}']) || has_control(url, b"") {
        return false;
    }
    let scheme_end = url.find([':', '/', '?', '#']);
    match scheme_end {
        Some(i) if url[i..].starts_with(':') => {
            matches!(&url[..i], "http" | "https" | "mailto" | "tel")
        }
        _ => true,
    }
}

/// pulldown-cmark's HTML of plain text (see [`plain`]) written as the sanitiser writes
/// it: `rel` on links, `<br>` and `<hr>`, `&nbsp;`.
fn as_sanitised(html: &str) -> String {
    let mut out = String::with_capacity(html.len() + html.len() / 16);
    let mut rest = html;
    // A no-break space is 0xC2 0xA0; 0xC2 only ever starts a character, so `i` is on a
    // character boundary. Found by bytes (memchr), not by decoding every character.
    while let Some(i) = memchr::memchr2(b'<', 0xc2, rest.as_bytes()) {
        out.push_str(&rest[..i]);
        let at = &rest[i..];
        if let Some(r) = at.strip_prefix('\u{a0}') {
            out.push_str("&nbsp;");
            rest = r;
        } else if !at.starts_with('<') {
            // Another character from U+0080 to U+00BF: kept as it is.
            let n = at.chars().next().map_or(1, char::len_utf8);
            out.push_str(&at[..n]);
            rest = &at[n..];
        } else if let Some(r) = at.strip_prefix("<br />") {
            out.push_str("<br>");
            rest = r;
        } else if let Some(r) = at.strip_prefix("<hr />") {
            out.push_str("<hr>");
            rest = r;
        } else if at.starts_with("<a href=\"") {
            // Attribute values are escaped, so the first `>` ends the tag.
            let end = at.find('>').unwrap_or(at.len());
            out.push_str(&at[..end]);
            out.push_str(" rel=\"noopener noreferrer\"");
            rest = &at[end..];
        } else {
            out.push('<');
            rest = &at[1..];
        }
    }
    out.push_str(rest);
    out
}

/// Control characters (from `&#x08;` and the like) are not allowed in HTML. They are
/// replaced, never dropped: dropping would turn `jav&#x08;ascript:` into a live
/// `javascript:` URL.
fn replace_controls(html: String) -> String {
    if has_control(&html, HTML_CONTROLS) {
        html.chars()
            .map(|c| {
                if is_forbidden_control(c) {
                    '\u{fffd}'
                } else {
                    c
                }
            })
            .collect()
    } else {
        html
    }
}

/// The control characters HTML allows: tab, line feed, form feed and carriage return.
const HTML_CONTROLS: &[u8] = b"\t\n\x0c\r";

/// C0 and C1 control characters other than [`HTML_CONTROLS`].
fn is_forbidden_control(c: char) -> bool {
    c.is_control() && !(c.is_ascii() && HTML_CONTROLS.contains(&(c as u8)))
}

/// Whether `s` holds a control character (`char::is_control`: C0, DEL, C1) other than the
/// ASCII ones `allowed`. Reads bytes: a C1 character is the only one encoded as 0xC2
/// then a byte below 0xA0.
///
/// Every text of every procedure's Markdown is checked. Nearly none holds a byte that
/// starts a control character, so all bytes are looked at first by a loop that never
/// stops early, which the compiler turns into vector instructions; byte by byte with an
/// early stop, the check was 3 % of the instructions of a 20k build (kept for the 20k
/// target; the test below compares it with `char::is_control`).
fn has_control(s: &str, allowed: &[u8]) -> bool {
    let b = s.as_bytes();
    let suspect = b.iter().fold(false, |any, &x| {
        any | (x < 0x20) | (x == 0x7f) | (x == 0xc2)
    });
    if !suspect {
        return false;
    }
    b.iter().enumerate().any(|(i, &x)| match x {
        0x00..=0x1f => !allowed.contains(&x),
        0x7f => true,
        0xc2 => matches!(b.get(i + 1), Some(0x80..=0x9f)),
        _ => false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The byte scan finds exactly the characters `char::is_control` names, alone and
    /// among Vietnamese text, with and without allowed ones.
    #[test]
    fn the_byte_scan_finds_the_control_characters_chars_would() {
        for allowed in [&b""[..], b"\t\n", HTML_CONTROLS] {
            for cp in (0..0x800)
                .chain(0x1e00..0x1f00)
                .chain([0xfeff, 0xfffd, 0x1f600])
            {
                let Some(c) = char::from_u32(cp) else {
                    continue;
                };
                // Short texts, and the character at every place of longer ones.
                let mut texts = vec![
                    c.to_string(),
                    format!("Thủ tục {c}ấp"),
                    format!("{c}\u{a0}é"),
                ];
                texts.extend((0..9).map(|k| format!("{}{c}hành chính cấp xã", "a".repeat(k))));
                for s in texts {
                    let by_chars = s
                        .chars()
                        .any(|c| c.is_control() && !(c.is_ascii() && allowed.contains(&(c as u8))));
                    assert_eq!(has_control(&s, allowed), by_chars, "{s:?} {allowed:?}");
                }
            }
        }
    }

    #[test]
    fn strips_scripts_and_js_urls() {
        let md = Markdown::new();
        let out = md.render(
            "Hi <script>alert(1)</script> [x](javascript:alert(1)) <img src=x onerror=alert(1)>",
        );
        assert!(!out.contains("<script"), "{out}");
        assert!(!out.contains("javascript:"), "{out}");
        assert!(!out.contains("onerror"), "{out}");
    }

    /// Found by the `markdown` fuzz target: an entity-encoded control character inside a
    /// scheme reached the output as a raw control character (invalid HTML).
    #[test]
    fn control_characters_are_replaced_not_dropped() {
        let md = Markdown::new();
        let out = md.render("<a href=\"jav&#x08;ascript:alert(1)\">a</a> x&#x01;y");
        assert!(!out.chars().any(is_forbidden_control), "{out:?}");
        assert!(!out.contains("javascript:"), "{out}");
        assert!(out.contains("x\u{fffd}y"), "{out}");
    }

    #[test]
    fn the_shortcut_writes_what_the_sanitiser_writes() {
        let md = Markdown::new();
        for src in [
            "**Bước 1.** Nộp hồ sơ tại [Cổng](https://dichvucong.gov.vn/p?ma_thu_tuc=1.001055) hoặc <https://x.vn>.\n\n- một\n- hai  \n  ba\n\n---\n\n1. a\n2. b",
            "| a | b |\n|---|---|\n| 1 | 2 |\n\n# Tiêu đề\n\n~~cũ~~ `mã` 10\u{a0}000 đồng & <không> \"x\"",
            "[thư](mailto:a@b.vn) [gọi](tel:0123) [trang](../tthc/1.0/) [neo](#ho-so) <a@b.vn>",
            "dòng\r\nmới\r\n\r\nđoạn",
        ] {
            assert!(md.is_plain(src), "{src}");
            assert_eq!(md.render(src), md.render_sanitised(src), "{src}");
        }
    }

    /// Random text from Markdown's pieces (emphasis, links, lists, tables, entities,
    /// quotes, no-break spaces, breaks, code, escapes): wherever the shortcut is taken, it
    /// writes what the sanitiser writes.
    #[test]
    fn the_shortcut_agrees_with_the_sanitiser_on_random_text() {
        const PIECES: &[&str] = &[
            "*",
            "**",
            "_",
            "~~",
            "`",
            "\\",
            "[",
            "]",
            "(",
            ")",
            "<",
            ">",
            "&",
            "&amp;",
            "&nbsp;",
            "&#39;",
            "&quot;",
            "\"",
            "'",
            "\n",
            "\n\n",
            "  \n",
            "- ",
            "1. ",
            "# ",
            "## ",
            "> ",
            "|",
            "| a | b |\n|---|---|\n| 1 | 2 |\n",
            "---\n",
            "\u{a0}",
            "đồng",
            "Bước 1.",
            " ",
            "x",
            "[a](https://dichvucong.gov.vn/p?ma=1)",
            "[b](../tthc/1/)",
            "[c](#ho-so)",
            "<https://a.vn/x>",
            "a@b.vn",
            "<a@b.vn>",
            "[d](mailto:a@b.vn)",
            "    code\n",
            "```\nx\n```\n",
            "\t",
            "=",
            "+",
            "%",
            "é",
            "\u{2013}",
            "\r\n",
            "\u{0}",
            "\u{7}",
            "&#x0;",
            "&#8203;",
            "&#x08;",
            "***",
            "\\|",
            "| x |",
            "\u{feff}",
            "[e]: https://a.vn\n",
            "[e]",
            "![",
            "<!-- -->",
            "&lt;",
            "\u{85}",
            "\u{2028}",
        ];
        let md = Markdown::new();
        let mut state = 0x6e69_656d_7965_7421u64;
        let mut next = || {
            state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
            let mut z = state;
            z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
            z ^ (z >> 31)
        };
        let mut plain = 0;
        for _ in 0..20_000 {
            let len = 1 + next() % 24;
            let src: String = (0..len)
                .map(|_| PIECES[(next() % PIECES.len() as u64) as usize])
                .collect();
            if md.is_plain(&src) {
                plain += 1;
                assert_eq!(md.render(&src), md.render_sanitised(&src), "{src:?}");
            }
        }
        assert!(plain > 4000, "{plain}");
    }

    #[test]
    fn anything_else_goes_through_the_sanitiser() {
        let md = Markdown::new();
        for src in [
            "<b>x</b>",
            "a <span onclick=x>b</span>",
            "[x](javascript:alert(1))",
            "[x](JAVASCRIPT:alert(1))",
            "[x](data:text/html,hi)",
            "[x](vbscript:x)",
            "[x](//evil.example/a'b)",
            "[x](a&#x08;b)",
            "[x](/a \"title\")",
            "![ảnh](a.png)",
            "```js\nx\n```",
            "| a |\n|:-:|\n| 1 |",
            "[x](https://a.vn/?a=1&b=2)",
        ] {
            assert!(!md.is_plain(src), "{src}");
        }
        let out = md.render("[x](JAVASCRIPT:alert(1)) [y](<java\tscript:alert(1)>)");
        assert!(!out.to_lowercase().contains("href=\"javascript"), "{out}");
    }

    #[test]
    fn shifts_headings() {
        let md = Markdown::new();
        assert!(md.render("# Bước 1").contains("<h3>"));
    }
}
