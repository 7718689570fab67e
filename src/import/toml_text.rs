//! Writing TOML text by hand.
//!
//! The importer writes its files itself instead of through a serializer, because the layout
//! is part of the product: a webmaster edits these files, so key order, multi-line strings
//! for prose, one array element per line and `[[channels.fees]]` sections are chosen for
//! reading, and the bytes must be the same on every run. Everything written here is
//! TOML 1.0 (no 1.1-only syntax), and the tests parse every written file back with the
//! `toml` crate.

use std::fmt::Write as _;

/// A key, bare when TOML allows it, quoted otherwise.
pub fn key(k: &str) -> String {
    let bare = !k.is_empty()
        && k.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    if bare {
        k.to_string()
    } else {
        basic_string(k)
    }
}

/// Appends `\uXXXX` for a character that must be escaped.
fn push_unicode_escape(out: &mut String, c: char) {
    let _ = write!(out, "\\u{:04X}", c as u32);
}

/// Whether a character can not appear literally in a TOML basic string (tab can).
fn needs_escape(c: char) -> bool {
    (c.is_control() && c != '\t') || c == '\u{7F}'
}

/// A one-line basic string: `"…"` with `\`, `"`, newlines and control characters escaped.
pub fn basic_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c if needs_escape(c) => push_unicode_escape(&mut out, c),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A multi-line basic string: `"""` then a newline (which TOML drops), the text, `"""`.
///
/// Quotes are escaped only where they would end the string (a run of three, or one right
/// before the closing delimiter), so prose stays readable. A line starting with `+++` gets
/// its first `+` escaped: a front-matter reader looking for the closing `+++` line must
/// never stop inside a string.
pub fn multiline_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    out.push_str("\"\"\"\n");
    let chars: Vec<char> = s.chars().collect();
    let mut at_line_start = true;
    for (i, &c) in chars.iter().enumerate() {
        let next = chars.get(i + 1).copied();
        match c {
            '\\' => out.push_str("\\\\"),
            '"' if next == Some('"') || next.is_none() => out.push_str("\\\""),
            '+' if at_line_start && next == Some('+') && chars.get(i + 2).copied() == Some('+') => {
                push_unicode_escape(&mut out, c)
            }
            '\n' => out.push('\n'),
            '\r' => out.push_str("\\r"),
            c if needs_escape(c) => push_unicode_escape(&mut out, c),
            c => out.push(c),
        }
        at_line_start = c == '\n';
    }
    out.push_str("\"\"\"");
    out
}

/// A string value: multi-line when the text has line breaks, one-line otherwise.
pub fn string(s: &str) -> String {
    if s.contains('\n') {
        multiline_string(s)
    } else {
        basic_string(s)
    }
}

/// An array of strings: `["a"]` for one element, one element per line otherwise.
pub fn string_array(items: &[String]) -> String {
    match items {
        [] => "[]".to_string(),
        [one] => format!("[{}]", basic_string(one)),
        many => {
            let mut out = String::from("[\n");
            for item in many {
                out.push_str("  ");
                out.push_str(&basic_string(item));
                out.push_str(",\n");
            }
            out.push(']');
            out
        }
    }
}

/// Any TOML value on one line (inline tables and arrays), for keys the importer does not
/// own and only carries over.
pub fn inline_value(v: &toml::Value) -> String {
    match v {
        toml::Value::String(s) => basic_string(s),
        toml::Value::Integer(i) => i.to_string(),
        toml::Value::Float(f) => float(*f),
        toml::Value::Boolean(b) => b.to_string(),
        toml::Value::Datetime(d) => d.to_string(),
        toml::Value::Array(items) => {
            let parts: Vec<String> = items.iter().map(inline_value).collect();
            format!("[{}]", parts.join(", "))
        }
        toml::Value::Table(t) => {
            if t.is_empty() {
                return "{}".to_string();
            }
            let mut keys: Vec<&String> = t.keys().collect();
            keys.sort();
            let parts: Vec<String> = keys
                .into_iter()
                .filter_map(|k| {
                    t.get(k)
                        .map(|v| format!("{} = {}", key(k), inline_value(v)))
                })
                .collect();
            format!("{{ {} }}", parts.join(", "))
        }
    }
}

/// A float as TOML spells it (always with a `.` or exponent; `inf`, `nan`).
fn float(f: f64) -> String {
    if f.is_nan() {
        "nan".to_string()
    } else if f.is_infinite() {
        if f > 0.0 { "inf" } else { "-inf" }.to_string()
    } else {
        let s = format!("{f:?}");
        if s.contains(['.', 'e', 'E']) {
            s
        } else {
            format!("{s}.0")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trip(value: &str) -> String {
        let doc = format!("v = {value}\n");
        let t: toml::Table = toml::from_str(&doc).unwrap();
        t["v"].as_str().unwrap().to_string()
    }

    #[test]
    fn strings_round_trip() {
        for s in [
            "",
            "plain",
            "quote \" inside",
            "ends with quote\"",
            "\"\"\" triple",
            "back\\slash\\",
            "tab\there",
            "nul \u{0} bell \u{7} del \u{7F}",
            "Đăng ký khai sinh",
            "line\nbreak",
            "line\n+++\nnot a delimiter",
            "+++",
            "\n\nleading newlines",
            "trailing newline\n",
            "a line ending in backslash \\\nnext",
            "cr\r\nlf",
        ] {
            assert_eq!(round_trip(&basic_string(s)), s, "basic {s:?}");
            assert_eq!(round_trip(&multiline_string(s)), s, "multi {s:?}");
            assert_eq!(round_trip(&string(s)), s, "string {s:?}");
        }
    }

    #[test]
    fn multiline_never_has_a_delimiter_line() {
        let m = multiline_string("a\n+++\n+++ b");
        assert!(!m.lines().any(|l| l.trim_end() == "+++"));
    }

    #[test]
    fn keys_are_bare_or_quoted() {
        assert_eq!(key("legal_basis"), "legal_basis");
        assert_eq!(key("a b"), "\"a b\"");
        assert_eq!(key("khóa"), "\"khóa\"");
        assert_eq!(key(""), "\"\"");
    }

    #[test]
    fn arrays_and_inline_values_parse() {
        let items = vec!["a".to_string(), "b \"c\"".to_string()];
        let doc = format!("v = {}\n", string_array(&items));
        let t: toml::Table = toml::from_str(&doc).unwrap();
        assert_eq!(t["v"].as_array().unwrap().len(), 2);

        let src = "v = { b = [1, 2.5, true, \"x\"], a = 1979-05-27, c = {}, d = 1e300, e = -0.0 }";
        let t: toml::Table = toml::from_str(src).unwrap();
        let again = format!("v = {}\n", inline_value(&t["v"]));
        let t2: toml::Table = toml::from_str(&again).unwrap();
        assert_eq!(t, t2);
    }
}
