//! Markdown rendering + sanitising. Must never panic, and the sanitised HTML must hold
//! no executable element, no event-handler attribute and no script URL.
#![no_main]
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

static MD: OnceLock<niemyet::render::markdown::Markdown> = OnceLock::new();

/// Elements that run code or load active content.
const FORBIDDEN: &[&str] = &[
    "script", "iframe", "style", "object", "embed", "svg", "math", "form", "link", "meta", "base",
    "frame", "frameset", "template",
];

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let md = MD.get_or_init(niemyet::render::markdown::Markdown::new);
    let html = md.render(text);
    check(&html);
});

/// A small tag scanner over sanitiser output (which is well-formed: every `<` in text is
/// escaped, attribute values are double-quoted).
fn check(html: &str) {
    let mut rest = html;
    while let Some(i) = rest.find('<') {
        rest = &rest[i + 1..];
        let end = rest.find('>').expect("unclosed tag in sanitised output");
        let tag = &rest[..end];
        rest = &rest[end + 1..];
        let tag = tag.trim_start_matches('/');
        let name: String = tag
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase();
        assert!(
            !FORBIDDEN.contains(&name.as_str()),
            "<{name}> survived: {html}"
        );
        // Attributes: name="value" pairs.
        let mut attrs = &tag[name.len()..];
        while let Some(eq) = attrs.find("=\"") {
            let aname = attrs[..eq]
                .rsplit(|c: char| c.is_whitespace())
                .next()
                .unwrap_or("")
                .to_ascii_lowercase();
            let after = &attrs[eq + 2..];
            let close = after.find('"').expect("unclosed attribute");
            let value = &after[..close];
            attrs = &after[close + 1..];
            assert!(
                !aname.starts_with("on"),
                "event handler {aname} survived: {html}"
            );
            assert!(aname != "style", "style attribute survived: {html}");
            if aname == "href" || aname == "src" {
                let scheme = url_scheme(&value.replace("&amp;", "&"));
                assert!(
                    scheme
                        .as_deref()
                        .is_none_or(|s| ["http", "https", "mailto", "tel"].contains(&s)),
                    "URL scheme {scheme:?} survived: {html}"
                );
            }
        }
    }
}

/// The scheme a browser sees in a URL, as the WHATWG URL parser finds it: leading and
/// trailing C0 controls and spaces are stripped, tabs and line breaks removed anywhere;
/// the scheme is an ASCII letter then letters, digits, `+`, `-`, `.` up to a `:`.
fn url_scheme(v: &str) -> Option<String> {
    let v: String = v
        .trim_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect();
    let (scheme, _) = v.split_once(':')?;
    let mut chars = scheme.chars();
    let ok = chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    ok.then(|| scheme.to_ascii_lowercase())
}
