//! Markdown to safe HTML. Content is untrusted: raw HTML is allowed by CommonMark, so the
//! output of pulldown-cmark always goes through ammonia, which keeps the harmless tags
//! and drops scripts, event handlers, `javascript:`/`data:` URLs, iframes and styles.

use pulldown_cmark::{html, Options, Parser};
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
    pub fn render(&self, src: &str) -> String {
        let opts = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
        let parser = Parser::new_ext(src, opts).map(|ev| {
            use pulldown_cmark::{Event, HeadingLevel, Tag, TagEnd};
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
        });
        let mut out = String::with_capacity(src.len() * 3 / 2);
        html::push_html(&mut out, parser);
        let clean = self.cleaner.clean(&out).to_string();
        // Control characters (from `&#x08;` and the like) are not allowed in HTML. They are
        // replaced, never dropped: dropping would turn `jav&#x08;ascript:` into a live
        // `javascript:` URL.
        if clean.chars().any(is_forbidden_control) {
            clean
                .chars()
                .map(|c| {
                    if is_forbidden_control(c) {
                        '\u{fffd}'
                    } else {
                        c
                    }
                })
                .collect()
        } else {
            clean
        }
    }
}

/// C0 and C1 control characters other than tab, line feed, form feed and carriage return.
fn is_forbidden_control(c: char) -> bool {
    c.is_control() && !matches!(c, '\t' | '\n' | '\r' | '\u{c}')
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn shifts_headings() {
        let md = Markdown::new();
        assert!(md.render("# Bước 1").contains("<h3>"));
    }
}
