//! Placeholders: the values `niemyet new` leaves for the webmaster to fill in are written
//! `"<Điền …>"` ("fill in …"). Any string value holding that mark, and any procedure body
//! holding it, is an error naming the file, line, column and key ("còn giá trị mẫu"), so a
//! half-filled file is never published.

use super::value::At;
use crate::diag::{Diagnostics, Msg, Source};
use memchr::memmem;
use toml_spanner::{Item, Table, Value as TomlValue};

/// The mark every placeholder starts with.
pub const MARKER: &str = "<Điền";

/// Whether a text holds a placeholder.
pub fn is_placeholder(s: &str) -> bool {
    s.contains(MARKER)
}

/// A skeleton's value for the webmaster to replace: `<Điền {what}>`.
pub fn placeholder(what: &str) -> String {
    format!("{MARKER} {what}>")
}

/// Reports every placeholder among the values of `t` (keys in messages start with
/// `prefix`). Files without the mark anywhere are passed over at the speed of a
/// substring search.
pub fn table(at: At, t: &Table, prefix: &str, d: &mut Diagnostics) {
    let text = at.src.text.get(at.base..).unwrap_or("");
    if memmem::find(text.as_bytes(), MARKER.as_bytes()).is_none() {
        return;
    }
    walk_table(at, t, prefix, d);
}

fn walk_table(at: At, t: &Table, prefix: &str, d: &mut Diagnostics) {
    for (k, v) in t.iter() {
        walk(at, v, &[prefix, k.name].concat(), d);
    }
}

fn walk(at: At, item: &Item, key: &str, d: &mut Diagnostics) {
    match item.value() {
        TomlValue::String(s) if is_placeholder(s) => d.error(
            at.loc(item.span().start as usize),
            Msg::Placeholder {
                key: key.to_owned(),
                value: marked(s).to_owned(),
            },
        ),
        TomlValue::Array(a) => {
            for (i, v) in a.iter().enumerate() {
                walk(at, v, &format!("{key}[{}]", i + 1), d);
            }
        }
        TomlValue::Table(t) => walk_table(at, t, &format!("{key}."), d),
        _ => {}
    }
}

/// Reports every placeholder in a procedure's Markdown body (its steps), which starts at
/// byte `start` of `src`.
pub fn body(src: &Source, start: usize, d: &mut Diagnostics) {
    let Some(text) = src.text.get(start..) else {
        return;
    };
    for i in memmem::find_iter(text.as_bytes(), MARKER.as_bytes()) {
        d.error(
            src.loc(start + i),
            Msg::Placeholder {
                key: "steps".into(),
                value: marked(&text[i..]).to_owned(),
            },
        );
    }
}

/// The placeholder in `s`: from its mark to the `>` that closes it.
fn marked(s: &str) -> &str {
    let Some(i) = s.find(MARKER) else {
        return s;
    };
    let rest = &s[i..];
    match rest.find('>') {
        Some(j) => &rest[..=j],
        None => rest,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    #[test]
    fn placeholders_are_found_at_their_value_with_their_key() {
        let text = "name = \"Xã A\"\n[office]\nname = \"Bộ phận một cửa\"\naddress = \"<Điền địa chỉ>\"\nphone = \"0207\"\nhours = [\"a\", \"Sáng <Điền giờ>\"]\n";
        let (_, diags) = crate::content::parse_unit_text(Path::new("content/a/_unit.toml"), text);
        let found: Vec<String> = diags
            .iter()
            .filter(|d| matches!(d.message, Msg::Placeholder { .. }))
            .map(|d| d.text(crate::diag::Lang::Vi))
            .collect();
        assert_eq!(found.len(), 2, "{diags:?}");
        assert!(
            found[0].starts_with("content/a/_unit.toml:4:11: error: `office.address` (địa chỉ): còn giá trị mẫu \"<Điền địa chỉ>\""),
            "{found:?}"
        );
        assert!(found[1].contains("`office.hours[2]`"), "{found:?}");
    }

    #[test]
    fn a_placeholder_in_the_steps_is_found_too() {
        let src = Source::new("a.md".into(), "+++\n+++\nBước 1: <Điền bước 1>\n".into());
        let mut d = Diagnostics::new();
        body(&src, 8, &mut d);
        let d = d.finish();
        assert_eq!(d.len(), 1);
        assert_eq!((d[0].loc.line, d[0].loc.col), (3, 9));
    }
}
