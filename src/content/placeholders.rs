//! Placeholders: the values `niemyet new` leaves for the webmaster to fill in are written
//! `"<Điền …>"` ("fill in …"). Any string value holding that mark, and any procedure body
//! holding it, is an error naming the file, line, column and key ("còn giá trị mẫu"), so a
//! half-filled file is never published. Half-edited placeholders are caught too: the
//! brackets taken off but the skeleton's words kept (`"Điền địa chỉ …"`), one bracket left
//! (`"Trung tâm … Xã P>"`, `"<0200 3 811 222"`), a whole value in `<…>`, or a value that
//! is only an ellipsis `"…"` (as examples in comments were written).
//!
//! Example addresses (`example.gov.vn`, any `example.` domain) left in `base_url`, an
//! e-mail address or a website are warnings: a printed noticeboard's QR code would lead
//! there.

use super::value::At;
use crate::diag::{Diagnostics, Msg, Source};
use memchr::memmem;
use toml_spanner::{Item, Table, Value as TomlValue};

/// The mark every placeholder starts with.
pub const MARKER: &str = "<Điền";

/// The words after "Điền" in the skeletons `niemyet new` writes: a value starting with
/// "Điền " and one of these is a placeholder whose brackets were taken off. (National
/// records hold real values starting "Điền thông tin …": only these words count.)
pub const WHAT: &[&str] = &[
    "tên",
    "địa chỉ",
    "số điện thoại",
    "điện thoại",
    "giờ làm việc",
    "thư điện tử",
    "trang thông tin",
    "lĩnh vực",
    "đối tượng",
    "cơ quan",
    "kết quả",
    "căn cứ",
    "thời hạn",
    "phí",
    "bước",
    "mã",
    "số quyết định",
    "số nghị quyết",
    "ngày",
    "yêu cầu",
    "địa điểm",
    "mức thu",
    "diễn giải",
    "ghi chú",
    "đường dẫn",
    "từ khóa",
    "mô tả",
    "trường hợp",
    "hình thức",
    "loại thủ tục",
];

/// Whether a text holds a placeholder, whole or half-edited.
pub fn is_placeholder(s: &str) -> bool {
    if s.contains(MARKER) || s.contains("‹Điền") || s.contains("<điền") {
        return true;
    }
    let t = s.trim();
    // Not "...": the national records hold it as a value (1.003482's result).
    if matches!(t, "…" | "<…>" | "‹…›") {
        return true;
    }
    let bare = t.trim_start_matches(['<', '‹']).trim_start();
    if let Some(rest) = bare
        .strip_prefix("Điền ")
        .or_else(|| bare.strip_prefix("điền "))
    {
        if WHAT.iter().any(|w| rest.starts_with(w)) {
            return true;
        }
    }
    stray_bracket(t)
}

/// A skeleton's value for the webmaster to replace: `<Điền {what}>`.
pub fn placeholder(what: &str) -> String {
    format!("{MARKER} {what}>")
}

/// A `<`/`>` (or `‹`/`›`) left from a skeleton: the whole value in one pair
/// (`<0200 3 811 222>`), a closing one at the end with no opening one
/// (`Trung tâm … Xã P>`), or an opening one at the start, against the text, with no
/// closing one (`<0200 3 811 222`). A comparison inside a text (`công suất < 40kW`) is
/// none of these.
fn stray_bracket(t: &str) -> bool {
    let opens = |c: char| c == '<' || c == '‹';
    let closes = |c: char| c == '>' || c == '›';
    let has_open = t.contains(opens);
    let has_close = t.contains(closes);
    let starts = t.starts_with(opens);
    let ends = t.ends_with(closes);
    let second_is_text = t
        .chars()
        .nth(1)
        .is_some_and(|c| !c.is_whitespace() && c != '=');
    if starts && ends {
        // One pair around the whole value, nothing else in brackets (`<b>x</b>` is not).
        return t.matches(opens).count() == 1 && t.matches(closes).count() == 1;
    }
    (ends && !has_open) || (starts && second_is_text && !has_close)
}

/// Whether a web or e-mail address is an example one (`example.gov.vn`, `example.com`,
/// `thutuc.example.gov.vn`): the domains reserved for examples, or the sample site's.
pub fn is_example_address(s: &str) -> bool {
    let lower = s.to_lowercase();
    let host = lower
        .split_once("://")
        .map(|(_, r)| r)
        .unwrap_or(&lower)
        .split(['/', '?', '#'])
        .next()
        .unwrap_or("");
    let host = host.rsplit('@').next().unwrap_or(host);
    host.split('.').any(|label| label == "example") || host.ends_with(".example")
}

/// The keys whose value is an address a citizen follows (or a QR code leads to).
fn is_address_key(key: &str) -> bool {
    matches!(
        crate::diag::msg::last_name(key),
        "base_url" | "email" | "website" | "online_url" | "url"
    )
}

/// Whether a file's text holds anything [`is_placeholder`] or [`is_example_address`]
/// could find: files without any of it (most of the national records) are passed over at
/// the speed of a few substring searches instead of a walk over every value. Kept for
/// the import of the national records and the 20k benchmark (walking every value of
/// every file costs a string scan per value; this is one scan per file).
fn may_hold_placeholder(b: &[u8]) -> bool {
    memchr::memchr2(b'<', b'>', b).is_some()
        || ["iền ", "‹", "›", "\"…\"", "xample."]
            .iter()
            .any(|n| memmem::find(b, n.as_bytes()).is_some())
}

/// Reports every placeholder among the values of `t` (keys in messages start with
/// `prefix`), and warns of every example address.
pub fn table(at: At, t: &Table, prefix: &str, d: &mut Diagnostics) {
    let text = at.src.text.get(at.base..).unwrap_or("");
    if !may_hold_placeholder(text.as_bytes()) {
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
        TomlValue::String(s) if is_address_key(key) && is_example_address(s) => d.warning(
            at.loc(item.span().start as usize),
            Msg::SampleAddress {
                key: key.to_owned(),
                value: s.to_string(),
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
    let bare = memmem::find_iter(text.as_bytes(), "Điền bước".as_bytes())
        .filter(|&i| i == 0 || text.as_bytes()[i - 1] != b'<');
    let mut at: Vec<usize> = memmem::find_iter(text.as_bytes(), MARKER.as_bytes())
        .chain(bare)
        .collect();
    at.sort_unstable();
    for i in at {
        d.error(
            src.loc(start + i),
            Msg::Placeholder {
                key: "steps".into(),
                value: marked(&text[i..]).to_owned(),
            },
        );
    }
}

/// The placeholder in `s`: from its mark to the `>` that closes it; a half-edited one
/// whole (its first 80 characters).
fn marked(s: &str) -> &str {
    let Some(i) = s.find(MARKER) else {
        return match s.char_indices().nth(80) {
            Some((i, _)) => &s[..i],
            None => s,
        };
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

    const HALF_EDITED: &[&str] = &[
        "<Điền địa chỉ>",
        "Điền địa chỉ nơi tiếp nhận hồ sơ",
        "Trung tâm Phục vụ hành chính công Xã P>",
        "<0200 3 811 222>",
        "<0200 3 811 222",
        "‹Điền tên›",
        "…",
        " <…> ",
    ];
    const REAL: &[&str] = &[
        "Thôn Phong Điền, xã Mới",
        "Điền Lư, Bá Thước",
        "Điền thông tin đăng ký hoàn tiền.",
        "có công suất lớn nhất < 40kW",
        "300 tỷ đồng x N1 < C",
        "...",
        "Nghị quyết số 1656/NQ-UBTVQH15",
        "<b>x</b>",
    ];

    #[test]
    fn half_edited_placeholders_are_placeholders_and_real_values_are_not() {
        for v in HALF_EDITED {
            assert!(is_placeholder(v), "{v:?}");
        }
        for v in REAL {
            assert!(!is_placeholder(v), "{v:?}");
        }
        assert!(is_example_address("https://thutuc.example.gov.vn/"));
        assert!(is_example_address("phananh@example.gov.vn"));
        assert!(is_example_address("http://x.example/"));
        assert!(!is_example_address("https://dichvucong.gov.vn/"));
        assert!(!is_example_address("motcua@examples.gov.vn"));
    }

    /// The file-level shortcut never passes over a file the walk would report: every
    /// value either finds, written in TOML, is seen by it (against the plain walk).
    #[test]
    fn the_shortcut_misses_nothing_the_walk_finds() {
        for v in HALF_EDITED
            .iter()
            .chain(&["https://thutuc.example.gov.vn/"])
        {
            let text = format!("email = {}\n", crate::diag::fix::quoted(v));
            assert!(may_hold_placeholder(text.as_bytes()), "{text}");
            let (_, diags) = crate::content::parse_unit_text(
                Path::new("content/a/_unit.toml"),
                &format!("name = \"Xã A\"\nkind = \"xa\"\n[office]\nname = \"A\"\naddress = \"B\"\n{text}"),
            );
            assert!(
                diags.iter().any(|d| matches!(
                    d.message,
                    Msg::Placeholder { .. } | Msg::SampleAddress { .. }
                )),
                "{text}: {diags:?}"
            );
        }
        assert!(!may_hold_placeholder(
            b"name = \"Xa A\"\nphone = \"0207\"\n"
        ));
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
