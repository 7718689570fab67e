//! Themes: Tera templates, static files and the interface strings (`i18n/<lang>.toml`).
//!
//! A site uses `themes/<name>/` from its root when that folder exists. The default theme
//! is also built into the binary, so a site without a `themes/` folder still builds.

use crate::diag::{Diagnostics, Loc};
use crate::text::word_may_hold;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

macro_rules! embed {
    ($($path:literal),+ $(,)?) => {
        &[$(($path, include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/themes/default/", $path)))),+]
    };
}

/// The default theme's files, built into the binary.
pub const DEFAULT_THEME: &[(&str, &[u8])] = embed!(
    "templates/base.html",
    "templates/macros.html",
    "templates/index.html",
    "templates/unit.html",
    "templates/procedure.html",
    "templates/components.html",
    "templates/feedback.html",
    "templates/noticeboard.html",
    "templates/sheet.html",
    "templates/tthc.html",
    "templates/redirect.html",
    "templates/successors.html",
    "templates/404.html",
    "templates/feed.xml",
    "templates/sitemap.xml",
    "templates/search.html",
    "static/style.css",
    "static/site.js",
    "static/noticeboard.css",
    "static/search.js",
    "static/search-page.js",
    "i18n/vi.toml",
    "search/lexicon.toml",
);

/// A loaded theme.
pub struct Theme {
    pub tera: tera::Tera,
    /// Static files: path under `static/` → bytes.
    pub statics: BTreeMap<String, Vec<u8>>,
    /// Interface strings.
    pub strings: BTreeMap<String, String>,
    /// Where the theme came from, for messages.
    pub origin: String,
    /// The search lexicon (`search/*.toml`, see `render::search::lexicon`).
    pub lexicon: crate::render::search::Lexicon,
}

impl Theme {
    /// Whether the theme has this template (`templates/<name>`): one copied from an
    /// older default theme may lack a newer, optional one.
    pub fn has_template(&self, name: &str) -> bool {
        self.tera.get_template_names().any(|t| t == name)
    }
}

/// Loads the theme named in site.toml.
pub fn load(root: &Path, name: &str, language: &str, d: &mut Diagnostics) -> Option<Theme> {
    let dir = root.join("themes").join(name);
    let mut files: BTreeMap<String, Vec<u8>> = BTreeMap::new();
    let origin;
    if dir.is_dir() {
        origin = format!("themes/{name}");
        for e in walkdir::WalkDir::new(&dir).sort_by_file_name() {
            let Ok(e) = e else { continue };
            if !e.file_type().is_file() {
                continue;
            }
            let Ok(rel) = e.path().strip_prefix(&dir) else {
                continue;
            };
            let rel = rel.to_string_lossy().replace('\\', "/");
            match std::fs::read(e.path()) {
                Ok(b) => {
                    files.insert(rel, b);
                }
                Err(err) => d.error(
                    loc(&PathBuf::from(&origin).join(&rel)),
                    format!("cannot read: {err}"),
                ),
            }
        }
    } else if name == "default" {
        origin = "built-in default theme".into();
        for (p, b) in DEFAULT_THEME {
            files.insert((*p).to_owned(), b.to_vec());
        }
    } else {
        d.error(
            loc(Path::new("site.toml")),
            format!("`theme` (giao diện): the folder themes/{name}/ does not exist"),
        );
        return None;
    }

    let mut tera = tera::Tera::default();
    let mut templates = Vec::new();
    let mut statics = BTreeMap::new();
    let mut strings = BTreeMap::new();
    let mut lexicon_files = Vec::new();
    let i18n = format!("i18n/{language}.toml");
    for (p, bytes) in files {
        if let Some(t) = p.strip_prefix("templates/") {
            match String::from_utf8(bytes) {
                Ok(s) => templates.push((t.to_owned(), s)),
                Err(_) => d.error(
                    loc(&Path::new(&origin).join(&p)),
                    "the template is not UTF-8",
                ),
            }
        } else if let Some(s) = p.strip_prefix("static/") {
            statics.insert(s.to_owned(), bytes);
        } else if p.starts_with("search/") {
            lexicon_files.push((p, bytes));
        } else if p == i18n {
            let text = String::from_utf8_lossy(&bytes).into_owned();
            match text.parse::<toml::Table>() {
                Ok(t) => {
                    for (k, v) in t {
                        if let toml::Value::String(s) = v {
                            strings.insert(k, s);
                        }
                    }
                }
                Err(e) => d.error(
                    loc(&Path::new(&origin).join(&p)),
                    format!("invalid TOML: {}", e.message()),
                ),
            }
        }
    }
    if strings.is_empty() {
        d.error(
            loc(&Path::new(&origin).join(&i18n)),
            format!("the theme has no interface strings for language `{language}` ({i18n})"),
        );
    }
    let templates: Vec<(String, String)> = templates
        .into_iter()
        .map(|(name, src)| {
            let src = fold_strings(&name, &src, &strings).unwrap_or(src);
            (name, src)
        })
        .collect();
    if let Err(e) = tera.add_raw_templates(templates) {
        d.error(
            loc(Path::new(&origin)),
            format!("template error: {}", tera_error(&e)),
        );
        return None;
    }
    tera.autoescape_on(vec![".html", ".xml"]);
    // `{{ text | css_string | safe }}`: a quoted CSS string for `<style>`, e.g. the
    // running footers of printed sheets (`@page { @bottom-left { content: … } }`).
    tera.register_filter(
        "css_string",
        |v: &tera::Value, _: &std::collections::HashMap<String, tera::Value>| {
            let s = match v {
                tera::Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            Ok(tera::Value::String(crate::render::qr::css_string(&s)))
        },
    );
    tera.set_escape_into_fn(escape_html, escape_html_into);
    let lexicon = crate::render::search::Lexicon::load(&origin, &lexicon_files, d);
    Some(Theme {
        tera,
        statics,
        strings,
        origin,
        lexicon,
    })
}

/// A template with every plain `{{ t.key }}` replaced by the string itself, escaped as
/// autoescape would: the interface strings are the same on every page, and the engine
/// looked each one up again on every page (about 80 lookups per procedure, a tenth of
/// the templates' time). `None` leaves the template as it is: not autoescaped, holding a
/// `raw` block, or binding a `t` of its own (a macro parameter, `set`, `for`), where
/// `t.key` may mean something else. A key the theme lacks, a string with braces or a
/// line break, a filtered or whitespace-trimming `{{- t.key -}}` are left to the engine.
fn fold_strings(name: &str, src: &str, strings: &BTreeMap<String, String>) -> Option<String> {
    if !(name.ends_with(".html") || name.ends_with(".xml")) || binds_t(src) {
        return None;
    }
    let mut out = String::with_capacity(src.len());
    let mut rest = src;
    while let Some(i) = rest.find("{{") {
        out.push_str(&rest[..i]);
        let after = &rest[i..];
        let Some(end) = after.find("}}") else {
            break;
        };
        let inner = after[2..end].trim();
        let value = inner
            .strip_prefix("t.")
            .filter(|k| !k.is_empty() && k.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_'))
            .and_then(|k| strings.get(k))
            .filter(|v| !v.contains(['{', '}', '\n', '\r']));
        match value {
            Some(v) => out.push_str(&escape_html(v)),
            None => out.push_str(&after[..end + 2]),
        }
        rest = &after[end + 2..];
    }
    out.push_str(rest);
    Some(out)
}

/// Whether a template has a `raw` block or gives the name `t` a value of its own.
fn binds_t(src: &str) -> bool {
    let mut rest = src;
    while let Some(i) = rest.find("{%") {
        let after = &rest[i + 2..];
        let Some(end) = after.find("%}") else {
            return true;
        };
        let tag = after[..end].trim_matches(|c: char| c == '-' || c.is_whitespace());
        let (word, args) = tag.split_once(char::is_whitespace).unwrap_or((tag, ""));
        let names: Vec<&str> = match word {
            "raw" => return true,
            "set" | "set_global" => args.split('=').take(1).collect(),
            "for" => args
                .split_once(" in ")
                .map_or(vec![args], |(vars, _)| vars.split(',').collect()),
            "macro" => args
                .split_once('(')
                .and_then(|(_, p)| p.split_once(')'))
                .map_or(Vec::new(), |(p, _)| {
                    p.split(',')
                        .map(|a| a.split('=').next().unwrap_or(a))
                        .collect()
                }),
            _ => Vec::new(),
        };
        if names.iter().any(|n| n.trim() == "t") {
            return true;
        }
        rest = &after[end + 2..];
    }
    false
}

/// Escapes text for HTML and XML: `&`, `<`, `>`, `"` and `'`. Tera's own escaper also
/// rewrites `/`, which turns every URL into `&#x2F;` soup without making anything safer
/// inside quoted attributes.
pub fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + s.len() / 16);
    let Ok(()) = escape_runs::<std::convert::Infallible>(s, |run| {
        out.push_str(run);
        Ok(())
    });
    out
}

/// [`escape_html`] written straight into Tera's output (`{{ name }}`), without a string
/// for the escaped copy: a tenth of the strings a page render allocated.
pub fn escape_html_into(s: &str, w: &mut dyn std::io::Write) -> std::io::Result<()> {
    escape_runs(s, |run| w.write_all(run.as_bytes()))
}

/// Hands `s` escaped to `put`, in pieces: runs between special bytes whole, and the
/// entity of each special byte; stops at `put`'s first error. All five are ASCII, so
/// byte offsets are always on character boundaries.
///
/// Words of eight bytes without any of the five (nearly all of them) are passed over
/// whole ([`word_may_hold`]); only the others are read byte by byte.
fn escape_runs<E>(s: &str, mut put: impl FnMut(&str) -> Result<(), E>) -> Result<(), E> {
    let bytes = s.as_bytes();
    let mut start = 0;
    let mut i = 0;
    while i < bytes.len() {
        if let Some(word) = bytes[i..].first_chunk::<8>() {
            if !word_may_hold(u64::from_le_bytes(*word), b"&<>\"'", 0) {
                i += 8;
                continue;
            }
        }
        let rep = match bytes[i] {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#39;",
            _ => {
                i += 1;
                continue;
            }
        };
        put(&s[start..i])?;
        put(rep)?;
        i += 1;
        start = i;
    }
    put(&s[start..])
}

fn loc(p: &Path) -> Loc {
    Loc::file(&Arc::from(p))
}

/// A Tera error with its causes, which hold the useful part (line, variable).
pub fn tera_error(e: &tera::Error) -> String {
    let mut msg = e.to_string();
    let mut src = std::error::Error::source(e);
    while let Some(s) = src {
        msg.push_str(": ");
        msg.push_str(&s.to_string());
        src = s.source();
    }
    msg
}

#[cfg(test)]
mod tests {
    use super::{escape_html, fold_strings};
    use std::collections::BTreeMap;

    fn strings() -> BTreeMap<String, String> {
        BTreeMap::from([
            ("fee".to_owned(), "Phí & lệ phí".to_owned()),
            ("odd".to_owned(), "a {{ b }}".to_owned()),
        ])
    }

    /// The vendored engine writes integers' digits itself (`vendor/README.md`): what it
    /// prints is what `format!` prints, at either end of every integer type it holds.
    #[test]
    fn template_numbers_print_as_format_prints_them() {
        let mut tera = tera::Tera::default();
        tera.add_raw_template("n.html", "{{ n }}").unwrap();
        let check = |value: tera::Value, want: String| {
            let mut ctx = tera::Context::new();
            ctx.insert("n", &value);
            assert_eq!(tera.render("n.html", &ctx).unwrap(), want);
        };
        for i in [0i64, 1, 9, 10, 99, 100, 12_345, -1, -10, i64::MIN, i64::MAX] {
            check(i.into(), i.to_string());
        }
        for u in [i64::MAX as u64 + 1, u64::MAX] {
            check(u.into(), u.to_string());
        }
        check(1.5.into(), "1.5".into());
        check(true.into(), "true".into());
        check(false.into(), "false".into());
    }

    #[test]
    fn folds_plain_string_lookups_escaped() {
        let out = fold_strings("p.html", "<dt>{{ t.fee }}</dt>{{t.fee}}", &strings());
        assert_eq!(
            out.as_deref(),
            Some("<dt>Phí &amp; lệ phí</dt>Phí &amp; lệ phí")
        );
    }

    #[test]
    fn leaves_what_it_cannot_fold_to_the_engine() {
        let src = "{{ t.missing }} {{ t.odd }} {{ t.fee | upper }} {{- t.fee -}} {{ x.fee }}";
        assert_eq!(
            fold_strings("p.html", src, &strings()).as_deref(),
            Some(src)
        );
        // Not autoescaped: the string would go in unescaped, so the engine keeps it.
        assert_eq!(fold_strings("p.txt", "{{ t.fee }}", &strings()), None);
    }

    #[test]
    fn a_template_binding_t_is_left_whole() {
        for src in [
            "{% macro feedback(f, t) %}{{ t.fee }}{% endmacro %}",
            "{% macro m(t=1) %}{% endmacro %}{{ t.fee }}",
            "{% set t = other %}{{ t.fee }}",
            "{%- set_global t = other -%}{{ t.fee }}",
            "{% for k, t in x %}{{ t.fee }}{% endfor %}",
            "{% for t in x %}{{ t.fee }}{% endfor %}",
            "{% raw %}{{ t.fee }}{% endraw %}",
        ] {
            assert_eq!(fold_strings("p.html", src, &strings()), None, "{src}");
        }
        assert!(fold_strings(
            "p.html",
            "{% set tt = 1 %}{% for x in t %}{% endfor %}",
            &strings()
        )
        .is_some());
    }

    /// A macro reads the interface strings from the page's context without being passed
    /// them, so the default theme's macros take no `t` and their strings are folded
    /// like any template's (a unit's list looked each label up again for every row).
    #[test]
    fn macros_see_the_strings_and_the_default_ones_are_folded() {
        let mut tera = tera::Tera::default();
        tera.add_raw_templates(vec![
            (
                "m.html",
                "{% macro x() %}{{ t.fee | upper }}{% endmacro x %}",
            ),
            ("p.html", "{% import \"m.html\" as m %}[{{ m::x() }}]"),
        ])
        .expect("templates parse");
        let mut cx = tera::Context::new();
        cx.insert("t", &strings());
        assert_eq!(
            tera.render("p.html", &cx).expect("renders"),
            "[PHÍ &amp; LỆ PHÍ]"
        );

        let file = |name: &str| {
            let (_, bytes) = super::DEFAULT_THEME
                .iter()
                .find(|(n, _)| *n == name)
                .expect("embedded");
            std::str::from_utf8(bytes).expect("UTF-8").to_owned()
        };
        let strings: BTreeMap<String, String> =
            toml::from_str(&file("i18n/vi.toml")).expect("strings");
        let macros = file("templates/macros.html");
        assert!(macros.matches("{{ t.").count() > 20);
        let folded = fold_strings("macros.html", &macros, &strings).expect("folded");
        assert!(!folded.contains("{{ t."), "{folded}");
    }

    /// The patched engine (`vendor/tera`) prints variables and macros straight into the
    /// output and tests conditions unescaped; what it prints must not change.
    #[test]
    fn the_patched_engine_prints_what_escaping_first_would() {
        let src = concat!(
            "{% macro m(v) %}[{{ v }}]{% endmacro m %}",
            "{{ s }}|{{ s | safe }}|{{ n }}|{{ none }}|{{ self::m(v=s) }}|",
            "{% if s %}full{% endif %}{% if e %}no{% else %}empty{% endif %}|",
            "{% if s == \"<a&b>\" %}eq{% endif %}{% if s != \"&lt;a&amp;b&gt;\" %}ne{% endif %}|",
            "{% if not e %}not{% endif %}{% if missing %}no{% else %}undefined{% endif %}|",
            "{% if s | length > 3 %}long{% endif %}{% for x in list %}{{ x }}{% endfor %}|",
            "{{ s | upper }}|{{ e | default(value=s) }}|{% if s | lower %}lower{% endif %}|",
            // One side escaped, the other not (`safe`): compared as upstream Tera does.
            "{% if amp | safe == \"&\" %}mixed{% endif %}{% if s | safe == \"<a&b>\" %}no{% endif %}"
        );
        let mut cx = tera::Context::new();
        cx.insert("s", "<a&b>");
        cx.insert("e", "");
        cx.insert("n", &42);
        cx.insert("none", &Option::<String>::None);
        cx.insert("list", &["'q'", "\""]);
        cx.insert("amp", "&amp;");
        let render = |into: bool| {
            let mut tera = tera::Tera::default();
            tera.add_raw_template("t.html", src)
                .expect("template parses");
            tera.autoescape_on(vec![".html"]);
            if into {
                tera.set_escape_into_fn(escape_html, super::escape_html_into);
            } else {
                tera.set_escape_fn(escape_html);
            }
            tera.render("t.html", &cx).expect("renders")
        };
        let want = "&lt;a&amp;b&gt;|<a&b>|42||[&lt;a&amp;b&gt;]|fullempty|eqne|notundefined|\
                    long&#39;q&#39;&quot;|&lt;A&amp;B&gt;||lower|mixed";
        assert_eq!(render(true), want);
        assert_eq!(render(false), want);
        // An undefined variable is still an error, with its name.
        let mut tera = tera::Tera::default();
        tera.add_raw_template("u.html", "{{ nowhere }}")
            .expect("parses");
        tera.set_escape_into_fn(escape_html, super::escape_html_into);
        let err = tera.render("u.html", &cx).expect_err("undefined");
        assert!(super::tera_error(&err).contains("nowhere"), "{err:?}");
    }

    /// The patched engine cuts each variable path once, when it parses the template, and
    /// looks its keys up by a hash computed then (`vendor/README.md`). Every place a name
    /// can come from must still win in the same order: loop variables over `set` names of
    /// outer frames over the context, macro arguments alone inside a macro, `loop.*`, the
    /// key of a key-value loop, array indexes, values the engine made itself (a filtered
    /// list), and names with brackets, which keep the old way.
    #[test]
    fn the_patched_engine_finds_each_name_where_upstream_did() {
        let src = concat!(
            "{% macro m(it) %}<{{ it.name }}{% if p.items %}-ctx{% endif %}>{% endmacro m %}",
            "{{ p.name }}|{{ p.items.1.name }}|{{ p.items.9.name | default(value=\"none\") }}|",
            "{% for it in p.items %}{{ loop.index }}{{ it.name }}{% if loop.first %}^{% endif %}",
            "{% if loop.last %}${% endif %}{% for it in it.parts %}({{ it }}{{ loop.index0 }}){% endfor %}",
            "{{ it.name }};{% endfor %}|",
            "{% set p = p.items.0 %}{{ p.name }}|",
            "{% for k, v in map %}{{ k }}={{ v.n }}{% endfor %}|",
            "{% for it in list | reverse %}{{ it.name }}{% endfor %}|",
            "{{ self::m(it=q) }}|{{ p[\"name\"] }}|{{ q.name.x | default(value=\"deep\") }}|",
            "{% if q.nothing %}no{% else %}falsy{% endif %}|{{ q.k30 }}"
        );
        let mut q = serde_json::Map::new();
        q.insert("name".into(), "Q&".into());
        for i in 0..40 {
            q.insert(format!("k{i}"), i.into());
        }
        let mut cx = tera::Context::new();
        cx.insert(
            "p",
            &serde_json::json!({"name": "P", "items": [
                {"name": "a", "parts": ["x", "y"]},
                {"name": "b", "parts": []}
            ]}),
        );
        cx.insert("map", &serde_json::json!({"z": {"n": 1}, "a": {"n": 2}}));
        cx.insert(
            "list",
            &serde_json::json!([{"name": "1"}, {"name": "2"}, {"name": "3"}]),
        );
        cx.insert("q", &q);
        let mut tera = tera::Tera::default();
        tera.add_raw_template("n.html", src)
            .expect("template parses");
        tera.autoescape_on(vec![".html"]);
        tera.set_escape_into_fn(escape_html, super::escape_html_into);
        let out = tera.render("n.html", &cx).expect("renders");
        // A macro sees its arguments and the context, not the `set` of its caller; a
        // key-value loop goes in key order although the object keeps its keys in the
        // order given (serde_json's `preserve_order`). The same text as upstream Tera.
        let want = "P|b|none|1a^(x0)(y1)a;2b$b;|a|a=2z=1|321|<Q&amp;-ctx>|a|deep|falsy|30";
        assert_eq!(out, want);
    }

    #[test]
    fn escapes_the_five_and_keeps_the_rest() {
        assert_eq!(
            escape_html("Đăng <b> & \"ký\" 'x' / y"),
            "Đăng &lt;b&gt; &amp; &quot;ký&quot; &#39;x&#39; / y"
        );
        assert_eq!(escape_html(""), "");
        assert_eq!(escape_html("không đổi"), "không đổi");
    }

    /// Each of the five, and its neighbours in the byte table, at every place of the
    /// words of eight bytes the escaper skips over, in ASCII and Vietnamese text.
    #[test]
    fn escapes_anywhere_in_long_text() {
        let by_chars = |s: &str| -> String {
            s.chars()
                .map(|c| match c {
                    '&' => "&amp;".to_owned(),
                    '<' => "&lt;".to_owned(),
                    '>' => "&gt;".to_owned(),
                    '"' => "&quot;".to_owned(),
                    '\'' => "&#39;".to_owned(),
                    c => c.to_string(),
                })
                .collect()
        };
        for c in ['&', '<', '>', '"', '\'', '%', '=', '?', '(', ';', '\u{a6}'] {
            for k in 0..17 {
                for base in ["abcdefghijklmnopqrstuvwxyz", "Thủ tục hành chính cấp xã"] {
                    let s = format!("{}{c}{base}{c}{c}", &"xxxxxxxxxxxxxxxxx"[..k]);
                    assert_eq!(escape_html(&s), by_chars(&s), "{s:?}");
                }
            }
        }
    }
}
