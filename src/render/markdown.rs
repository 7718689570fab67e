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
        let out = depth::bounded(out);
        replace_controls(self.cleaner.clean(&out).to_string())
    }
}

/// How deep the elements handed to the sanitiser nest. Its HTML parser (html5ever, as
/// the standard describes it) looks through the whole stack of open elements for most
/// start tags ("is a `p` open in button scope?"), and nothing caps the stack
/// (servo/html5ever#788): its time grows with the square of the depth, and a Markdown
/// body of nested `<div>`s took 19 s at 240 kB, over a minute at 1 MB. Browsers stop
/// nesting at 512; no procedure text comes near [`depth::MAX`]. What nests deeper is
/// flattened before the sanitiser sees it: its tags dropped, its text kept, so the parser
/// never holds more than that many open elements (benches/hostile.rs shows the time
/// against the input's size).
pub mod depth {
    use html5ever::tendril::StrTendril;
    use html5ever::tokenizer::states::RawKind;
    use html5ever::tokenizer::{
        BufferQueue, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
    };
    use html5ever::{local_name, LocalName};
    use std::cell::{Cell, RefCell};

    /// The deepest nesting kept.
    pub const MAX: usize = 128;

    /// `html` as it is when its elements nest at most [`MAX`] deep (nearly always: text
    /// with fewer `<` than that is not even tokenized), else [`flatten`]ed.
    pub fn bounded(html: String) -> String {
        if memchr::memchr_iter(b'<', html.as_bytes())
            .nth(MAX)
            .is_none()
        {
            return html;
        }
        // One pass: the flattened text is written as the depth is followed, and kept
        // only when it was needed.
        match run(&html, Some(String::with_capacity(html.len()))) {
            (deepest, _) if deepest <= MAX => html,
            (_, flat) => flat,
        }
    }

    /// The deepest nesting of `html`'s elements, as its tokens open and close them; past
    /// [`MAX`], `MAX + 1`.
    pub fn deepest(html: &str) -> usize {
        run(html, None).0
    }

    /// `html` written again from its tokens, without the tags of elements that would
    /// nest deeper than [`MAX`] (nor their end tags), comments and doctypes. Text and
    /// attribute values are escaped again; the sanitiser reads the result.
    pub fn flatten(html: &str) -> String {
        run(html, Some(String::with_capacity(html.len()))).1
    }

    /// Tokenizes `html`, following its open elements, writing the flattened text into
    /// `out` when there is one. Returns the deepest nesting met and `out`.
    fn run(html: &str, out: Option<String>) -> (usize, String) {
        let sink = Sink {
            open: RefCell::new(Vec::new()),
            deepest: Cell::new(0),
            out: RefCell::new(out),
        };
        let tokenizer = Tokenizer::new(sink, TokenizerOpts::default());
        let input = BufferQueue::default();
        input.push_back(StrTendril::from_slice(html));
        let _ = tokenizer.feed(&input);
        tokenizer.end();
        let Sink { deepest, out, .. } = tokenizer.sink;
        (deepest.get(), out.into_inner().unwrap_or_default())
    }

    /// Follows the elements the tokens open and close, as the sanitiser's parser would,
    /// near enough: a start tag of an element that is not void opens it (a `/>` does not
    /// close an HTML element); an end tag closes the nearest open element of its name and
    /// those opened after it, or nothing if none is open; a `<p>`, `<li>` and the like
    /// right after one of the same name closes it first. Elements that hold raw text
    /// (`<script>`, `<textarea>`…) switch the tokenizer as the parser does.
    struct Sink {
        open: RefCell<Vec<LocalName>>,
        deepest: Cell<usize>,
        out: RefCell<Option<String>>,
    }

    fn is_void(name: &LocalName) -> bool {
        matches!(
            *name,
            local_name!("area")
                | local_name!("base")
                | local_name!("br")
                | local_name!("col")
                | local_name!("embed")
                | local_name!("hr")
                | local_name!("img")
                | local_name!("input")
                | local_name!("link")
                | local_name!("meta")
                | local_name!("source")
                | local_name!("track")
                | local_name!("wbr")
        )
    }

    /// Elements a start tag of the same name closes when it is the current one.
    fn closes_itself(name: &LocalName) -> bool {
        matches!(
            *name,
            local_name!("p")
                | local_name!("li")
                | local_name!("dt")
                | local_name!("dd")
                | local_name!("tr")
                | local_name!("td")
                | local_name!("th")
                | local_name!("option")
        )
    }

    /// How the tokenizer reads the inside of an element of raw text, as the parser tells
    /// it to.
    fn raw_text(name: &LocalName) -> Option<TokenSinkResult<()>> {
        match *name {
            local_name!("script") => Some(TokenSinkResult::RawData(RawKind::ScriptData)),
            local_name!("style")
            | local_name!("xmp")
            | local_name!("iframe")
            | local_name!("noembed")
            | local_name!("noframes") => Some(TokenSinkResult::RawData(RawKind::Rawtext)),
            local_name!("textarea") | local_name!("title") => {
                Some(TokenSinkResult::RawData(RawKind::Rcdata))
            }
            local_name!("plaintext") => Some(TokenSinkResult::Plaintext),
            _ => None,
        }
    }

    fn escape_text(out: &mut String, s: &str) {
        for c in s.chars() {
            match c {
                '&' => out.push_str("&amp;"),
                '<' => out.push_str("&lt;"),
                '>' => out.push_str("&gt;"),
                c => out.push(c),
            }
        }
    }

    impl TokenSink for Sink {
        type Handle = ();

        fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
            let mut out = self.out.borrow_mut();
            let mut open = self.open.borrow_mut();
            match token {
                Token::TagToken(tag) => match tag.kind {
                    TagKind::StartTag => {
                        if is_void(&tag.name) {
                            if let Some(out) = out.as_mut() {
                                write_start(out, &tag);
                            }
                            return TokenSinkResult::Continue;
                        }
                        if closes_itself(&tag.name) && open.last() == Some(&tag.name) {
                            open.pop();
                        }
                        let raw = raw_text(&tag.name);
                        // An element of raw text holds no elements: it is kept even at the
                        // limit (one more), so its text stays inside it.
                        if open.len() >= MAX && raw.is_none() {
                            // Too deep: the tag is dropped, its text kept. Counted, so
                            // the caller knows to flatten.
                            self.deepest.set(MAX + 1);
                        } else {
                            open.push(tag.name.clone());
                            self.deepest.set(self.deepest.get().max(open.len()));
                            if let Some(out) = out.as_mut() {
                                write_start(out, &tag);
                            }
                        }
                        if let Some(raw) = raw {
                            return raw;
                        }
                    }
                    TagKind::EndTag => {
                        // The open elements are at most MAX: the search is bounded.
                        if let Some(i) = open.iter().rposition(|n| *n == tag.name) {
                            open.truncate(i);
                            if let Some(out) = out.as_mut() {
                                out.push_str("</");
                                out.push_str(&tag.name);
                                out.push('>');
                            }
                        }
                    }
                },
                Token::CharacterTokens(text) => {
                    if let Some(out) = out.as_mut() {
                        escape_text(out, &text);
                    }
                }
                Token::NullCharacterToken
                | Token::CommentToken(_)
                | Token::DoctypeToken(_)
                | Token::ParseError(_)
                | Token::EOFToken => {}
            }
            TokenSinkResult::Continue
        }
    }

    fn write_start(out: &mut String, tag: &html5ever::tokenizer::Tag) {
        out.push('<');
        out.push_str(&tag.name);
        for a in &tag.attrs {
            out.push(' ');
            out.push_str(&a.name.local);
            out.push_str("=\"");
            for c in a.value.chars() {
                match c {
                    '&' => out.push_str("&amp;"),
                    '"' => out.push_str("&quot;"),
                    c => out.push(c),
                }
            }
            out.push('"');
        }
        out.push('>');
    }
}

/// The Markdown parser, with headings shifted down two levels, and elements nested
/// deeper than [`depth::MAX`] (`>` repeated, lists in lists) left out, their text kept:
/// a megabyte of `>` is a million nested quotes, 28 MB of HTML that the sanitiser's
/// parser and a browser would have to read. Both ways of rendering see the same events.
fn parse(src: &str) -> impl Iterator<Item = Event<'_>> {
    let opts = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
    // For each open element, whether it was kept; and how many kept ones are open.
    let mut kept: Vec<bool> = Vec::new();
    let mut open = 0usize;
    Parser::new_ext(src, opts)
        .filter(move |ev| match ev {
            Event::Start(_) => {
                let keep = open < depth::MAX;
                kept.push(keep);
                open += usize::from(keep);
                keep
            }
            Event::End(_) => {
                let keep = kept.pop().unwrap_or(true);
                open -= usize::from(keep && open > 0);
                keep
            }
            _ => true,
        })
        .map(|ev| {
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

    /// Nesting a page needs goes to the sanitiser as it is; deeper nesting is flattened to
    /// at most `depth::MAX` open elements, its text kept, and still sanitised.
    #[test]
    fn deep_nesting_is_flattened_and_still_sanitised() {
        let md = Markdown::new();
        let ok = format!("{}Bước 1{}", "<div>".repeat(100), "</div>".repeat(100));
        assert_eq!(depth::deepest(&md_html(&ok)), 100);
        // Markdown's own nesting (quotes in quotes) stops at the limit too, its text kept,
        // with or without the sanitiser.
        for tail in ["", " <b>x</b>"] {
            let quotes = format!("{} Bước 2{tail}", ">".repeat(100_000));
            let out = md.render(&quotes);
            assert!(out.contains("Bước 2"), "{tail}");
            assert_eq!(out.matches("<blockquote>").count(), depth::MAX, "{tail}");
            assert!(out.len() < 20_000, "{tail}: {} bytes", out.len());
        }
        assert_eq!(depth::bounded(md_html(&ok)), md_html(&ok));
        for n in [depth::MAX + 1, 5_000, 100_000] {
            let src = format!(
                "{}<script>alert(1)</script><img src=x onerror=alert(2)><a title='\"><script>alert(3)</script>' href=\"javascript:alert(4)\">Bước 1 &amp; 2</a>{}\n\nBước 3",
                "<div><b>".repeat(n / 2),
                "</b></div>".repeat(n / 2)
            );
            let out = md.render(&src);
            for bad in ["<script", "onerror", "javascript:", "alert(1)"] {
                assert!(!out.contains(bad), "{n}: {bad}");
            }
            assert!(
                out.contains("Bước 1 &amp; 2") && out.contains("Bước 3"),
                "{n}"
            );
            assert!(depth::deepest(&out) <= depth::MAX, "{n}");
        }
        // Unclosed siblings that close each other are not nesting.
        let list = format!("<ul>{}</ul>", "<li>mục".repeat(5_000));
        assert_eq!(depth::deepest(&list), 2);
        // Raw text is not markup: tags inside a script or a textarea open nothing.
        let raw = format!("<textarea>{}</textarea>", "<div>".repeat(5_000));
        assert_eq!(depth::deepest(&raw), 1);
        assert!(md.render(&raw).contains("&lt;div&gt;"));
    }

    fn md_html(src: &str) -> String {
        let mut out = String::new();
        html::push_html(&mut out, parse(src));
        out
    }

    #[test]
    fn shifts_headings() {
        let md = Markdown::new();
        assert!(md.render("# Bước 1").contains("<h3>"));
    }
}
