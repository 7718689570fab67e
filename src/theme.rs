//! Themes: Tera 2 templates, static files and the interface strings (`i18n/<lang>.toml`).
//!
//! A site uses `themes/<name>/` from its root when that folder exists. The default theme
//! is also built into the binary, so a site without a `themes/` folder still builds.
//! The theme author's guide is `docs/themes.md`.

use crate::diag::{say, Diagnostics, Loc, Msg};
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
    "templates/parts.html",
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
    "templates/changes.html",
    "templates/change_lists.html",
    "templates/change_cover.html",
    "templates/report.html",
    "static/style.css",
    "static/icon.svg",
    "static/favicon.ico",
    "static/site.js",
    "static/noticeboard.css",
    "static/search.js",
    "static/search-page.js",
    "static/changes.css",
    "static/changes.js",
    "static/report.css",
    "static/sort-table.js",
    "static/qr.js",
    "static/moved.js",
    "i18n/vi.toml",
    "search/lexicon.toml",
);

/// Warns when a site's own copy of a template drops what leads a former unit's old
/// procedure addresses on (`static/moved.js`, loaded by `404.html`, reads the successor
/// links marked `data-successor` on `redirect.html` and `successors.html`): without it the
/// build succeeds and every such address is a plain 404, which nobody would notice.
fn lead_on_kept(template: &str, text: &str, file: &Path, d: &mut Diagnostics) {
    let (needs, what) = match template {
        "404.html" => (
            "static/moved.js",
            "<script src=\"{{ root }}static/moved.js\" defer></script>",
        ),
        "redirect.html" | "successors.html" => ("data-successor", "data-successor"),
        _ => return,
    };
    if !text.contains(needs) {
        d.warning(
            loc(file),
            say(
                format!(
                    "mẫu {template} của trang không có `{needs}`: địa chỉ cũ của thủ tục tại đơn vị đã sắp xếp lại (<đơn vị cũ>/<mã>/) sẽ chỉ là trang 404; thêm {what} như mẫu mặc định (docs/themes.md)"
                ),
                format!(
                    "the site's {template} has no `{needs}`: a former unit's procedure addresses (<old unit>/<code>/) will be plain 404s; add {what} as the default template does (docs/themes.md)"
                ),
            ),
        );
    }
}

/// A loaded theme.
pub struct Theme {
    /// The templates, with the interface strings in its global context as `t`.
    pub tera: tera::Tera,
    /// Static files: path under `static/` → bytes.
    pub statics: BTreeMap<String, Vec<u8>>,
    /// Interface strings.
    pub strings: BTreeMap<String, String>,
    /// Where the theme came from, for messages.
    pub origin: String,
    /// The search lexicon (`search/*.toml`, see `render::search::lexicon`).
    pub lexicon: crate::render::search::Lexicon,
    /// Where each template came from, for messages: name → path shown.
    sources: BTreeMap<String, String>,
    /// What each built-in template asks of its page ([`asked_of_page`]), worked out
    /// once when the theme is loaded (debug builds, whose every render checks it).
    #[cfg(debug_assertions)]
    asked: BTreeMap<String, Vec<String>>,
}

/// The variables a page template of the built-in default theme reads that the page's
/// context does not give (in debug builds, where every render checks: the default theme
/// reads only what its pages give, `none` where there is nothing, so that `{% if x %}`
/// never tests a variable that is not there).
#[cfg(debug_assertions)]
fn missing_variables(theme: &Theme, template: &str, ctx: &tera::Context) -> Vec<String> {
    let Some(asked) = theme.asked.get(template) else {
        return Vec::new();
    };
    asked
        .iter()
        .filter(|v| !ctx.contains_key(v))
        .cloned()
        .collect()
}

/// What each template of the built-in theme reads that its page must give, sorted: what
/// Tera finds it reads, less `t` (the interface strings, global) and what the template or
/// one it includes binds itself ([`bound_names`]: `printed` and the loop's `s` that
/// noticeboard.html gives sheet.html). A site's own templates are not checked.
#[cfg(debug_assertions)]
fn asked_of_page(
    tera: &tera::Tera,
    sources: &BTreeMap<String, String>,
) -> BTreeMap<String, Vec<String>> {
    sources
        .iter()
        .filter(|(_, from)| from.starts_with(BUILT_IN))
        .filter_map(|(name, _)| {
            let vars = tera.get_template_variables(name).ok()?;
            let mut bound = std::collections::BTreeSet::new();
            bound_names(name, &mut bound, &mut std::collections::BTreeSet::new());
            let mut asked: Vec<String> = vars
                .into_iter()
                .filter(|v| *v != "t" && !bound.contains(*v))
                .map(str::to_owned)
                .collect();
            asked.sort();
            Some((name.clone(), asked))
        })
        .collect()
}

/// The names built-in `template` binds for the templates it includes: those in scope
/// where an `{% include "…" %}` stands (the variables of the `{% for %}` loops around it,
/// `{% set %}` before it in the same scope, `{% set_global %}`), and so on down the
/// included templates (each followed once). A loop's variable read outside its loop is
/// still reported. Read from the templates' text, as Tera gives no list of them.
#[cfg(debug_assertions)]
fn bound_names(
    template: &str,
    out: &mut std::collections::BTreeSet<String>,
    seen: &mut std::collections::BTreeSet<String>,
) {
    if !seen.insert(template.to_owned()) {
        return;
    }
    let Some((_, bytes)) = DEFAULT_THEME
        .iter()
        .find(|(p, _)| p.strip_prefix("templates/") == Some(template))
    else {
        return;
    };
    let text = String::from_utf8_lossy(bytes);
    // The names of each open scope: the template's, then one per enclosing loop.
    let mut scopes: Vec<Vec<String>> = vec![Vec::new()];
    for tag in text.split("{%").skip(1) {
        let body = tag.split("%}").next().unwrap_or_default();
        let body = body.trim_matches(|c: char| c == '-' || c.is_whitespace());
        let mut words = body.split_whitespace();
        let name_of = |w: &str| w.split('=').next().unwrap_or_default().to_owned();
        match words.next() {
            Some("for") => {
                let names = words.take_while(|w| *w != "in");
                let names = names.flat_map(|w| w.split(',')).filter(|n| !n.is_empty());
                scopes.push(names.map(str::to_owned).collect());
            }
            Some("endfor") if scopes.len() > 1 => {
                scopes.pop();
            }
            Some("set") => {
                if let (Some(w), Some(scope)) = (words.next(), scopes.last_mut()) {
                    scope.push(name_of(w));
                }
            }
            Some("set_global") => {
                if let Some(w) = words.next() {
                    scopes[0].push(name_of(w));
                }
            }
            Some("include") => {
                out.extend(scopes.iter().flatten().cloned());
                if let Some(name) = words.next() {
                    bound_names(name.trim_matches('"'), out, seen);
                }
            }
            _ => {}
        }
    }
}

impl Theme {
    /// Whether the theme has this template (`templates/<name>`).
    pub fn has_template(&self, name: &str) -> bool {
        self.tera.contains_template(name)
    }

    /// Renders `template` into `out`; on failure, what failed and where (see
    /// [`Theme::describe`]).
    pub fn render_to(
        &self,
        template: &str,
        ctx: &tera::Context,
        out: &mut Vec<u8>,
    ) -> Result<(), String> {
        #[cfg(debug_assertions)]
        {
            let missing = missing_variables(self, template, ctx);
            if !missing.is_empty() {
                return Err(format!("the page does not give {missing:?}"));
            }
        }
        self.tera
            .render_to(template, ctx, out)
            .map_err(|e| self.describe(&e))
    }

    /// A Tera error as Tera reports it (the message, then each place with its line of
    /// the template and a caret under the spot), template names given as the theme's
    /// paths: `--> themes/mine/templates/unit.html:12:5`.
    pub fn describe(&self, e: &tera::Error) -> String {
        let mut text = e.to_string();
        for (name, shown) in &self.sources {
            for before in [format!("--> {name}:"), format!("called from {name}:")] {
                let after = before.replace(name.as_str(), shown);
                text = text.replace(&before, &after);
            }
        }
        text
    }

    /// The path shown for template `name`.
    fn shown(&self, name: &str) -> String {
        self.sources
            .get(name)
            .cloned()
            .unwrap_or_else(|| format!("{}/templates/{name}", self.origin))
    }
}

/// Where the files of the built-in default theme come from, for messages.
const BUILT_IN: &str = "built-in default theme";

/// Loads the theme named in site.toml: the built-in default theme, with the files of
/// `themes/<name>/` in place of its own (a site's theme holds only the files it changes,
/// and every template, static file and interface string it lacks is the default's).
pub fn load(root: &Path, name: &str, language: &str, d: &mut Diagnostics) -> Option<Theme> {
    load_with(root, name, language, d, true)
}

/// [`load`], with the interface strings folded into the templates or not (see
/// [`fold_strings`]; the tests compare the two).
pub(crate) fn load_with(
    root: &Path,
    name: &str,
    language: &str,
    d: &mut Diagnostics,
    fold: bool,
) -> Option<Theme> {
    let dir = root.join("themes").join(name);
    // Each file with where it comes from (for messages).
    let mut files: BTreeMap<String, (String, Vec<u8>)> = DEFAULT_THEME
        .iter()
        .map(|(p, b)| ((*p).to_owned(), (BUILT_IN.to_owned(), b.to_vec())))
        .collect();
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
                    files.insert(rel, (origin.clone(), b));
                }
                Err(err) => d.error(
                    loc(&PathBuf::from(&origin).join(&rel)),
                    say(
                        format!("không đọc được: {err}"),
                        format!("cannot read: {err}"),
                    ),
                ),
            }
        }
    } else if name == "default" {
        origin = BUILT_IN.into();
    } else {
        d.error(
            loc(Path::new("site.toml")),
            Msg::ThemeMissing {
                found: name.to_owned(),
                suggestion: None,
                available: crate::config::themes(root),
            },
        );
        return None;
    }

    let mut templates = Vec::new();
    let mut statics = BTreeMap::new();
    let mut strings = BTreeMap::new();
    let mut lexicon_files = Vec::new();
    let mut sources = BTreeMap::new();
    let i18n = format!("i18n/{language}.toml");
    // The default's strings first, so that a theme's file needs only the ones it changes.
    let default_strings = DEFAULT_THEME
        .iter()
        .find(|(p, _)| *p == i18n)
        .map(|(_, b)| (BUILT_IN.to_owned(), b.to_vec()));
    let own_strings = files.remove(&i18n);
    for (from, bytes) in default_strings.into_iter().chain(own_strings) {
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
                loc(&Path::new(&from).join(&i18n)),
                say(
                    format!("TOML không hợp lệ: {}", e.message()),
                    format!("invalid TOML: {}", e.message()),
                ),
            ),
        }
    }
    for (p, (from, bytes)) in files {
        if let Some(t) = p.strip_prefix("templates/") {
            match String::from_utf8(bytes) {
                Ok(s) => {
                    if from != BUILT_IN {
                        lead_on_kept(t, &s, &Path::new(&from).join(&p), d);
                    }
                    sources.insert(t.to_owned(), format!("{from}/{p}"));
                    templates.push((t.to_owned(), s));
                }
                Err(_) => d.error(
                    loc(&Path::new(&from).join(&p)),
                    say(
                        "mẫu giao diện không phải văn bản UTF-8 (lưu lại với bảng mã UTF-8)",
                        "the template is not UTF-8",
                    ),
                ),
            }
        } else if let Some(s) = p.strip_prefix("static/") {
            statics.insert(s.to_owned(), bytes);
        } else if p.starts_with("search/") {
            // The site's own lexicon files; the default's is read by `Lexicon::load`.
            if from != BUILT_IN {
                lexicon_files.push((p, bytes));
            }
        }
    }
    if strings.is_empty() {
        d.error(
            loc(&Path::new(&origin).join(&i18n)),
            say(
                format!("giao diện không có chữ giao diện cho ngôn ngữ `{language}` ({i18n})"),
                format!("the theme has no interface strings for language `{language}` ({i18n})"),
            ),
        );
    }

    let templates: Vec<(String, String)> = templates
        .into_iter()
        .map(|(name, src)| {
            let src = if fold {
                fold_strings(&name, &src, &strings).unwrap_or(src)
            } else {
                src
            };
            (name, src)
        })
        .collect();
    let mut tera = tera::Tera::default();
    // Filters are registered before the templates: Tera checks, as it adds them, that
    // every filter, test and component they use exists.
    //
    // `{{ text | css_string | safe }}`: a quoted CSS string for `<style>`, e.g. the
    // running footers of printed sheets (`@page { @bottom-left { content: … } }`).
    tera.register_filter(
        "css_string",
        |v: tera::Value, _: tera::Kwargs, _: &tera::State| match v.as_str() {
            Some(s) => crate::render::qr::css_string(s),
            None => crate::render::qr::css_string(&v.to_string()),
        },
    );
    // Escaping: Tera's own escaper, which replaces exactly `&`, `<`, `>`, `"` and `'`
    // (`&#39;`) and leaves `/` alone (URLs stay readable; nothing is made safer inside a
    // quoted attribute by escaping it).
    tera.autoescape_on([".html", ".xml"]);
    match tera::Value::try_from_serializable(&strings) {
        Ok(t) => tera.global_context().insert_value("t", t),
        Err(e) => d.error(
            loc(Path::new(&origin)),
            say(
                format!("chữ giao diện: {e}"),
                format!("interface strings: {e}"),
            ),
        ),
    }
    let theme = Theme {
        tera: tera::Tera::default(),
        statics,
        strings,
        origin,
        sources,
        lexicon: crate::render::search::Lexicon::default(),
        #[cfg(debug_assertions)]
        asked: BTreeMap::new(),
    };
    if let Err(e) = tera.add_raw_templates(templates) {
        for (path, line, col, message) in template_errors(&theme, &e) {
            d.error(
                Loc {
                    path: Arc::from(Path::new(&path)),
                    line,
                    col,
                },
                say(
                    format!("lỗi mẫu giao diện: {message}"),
                    format!("template error: {message}"),
                ),
            );
        }
        return None;
    }
    let lexicon = crate::render::search::Lexicon::load(&theme.origin, &lexicon_files, d);
    Some(Theme {
        #[cfg(debug_assertions)]
        asked: asked_of_page(&tera, &theme.sources),
        tera,
        lexicon,
        ..theme
    })
}

/// A template with every plain `{{ t.key }}` replaced by the string itself, escaped as
/// autoescape would. Kept for the 20k benchmark target (CPU no more than the build
/// before Tera 2): a procedure's page, components and sheet print about 120 interface
/// strings, each looked up by name in the page's variables, then in Tera's global
/// context, then among the 150 strings, and escaped, on every page; folded, they are
/// template text: 2,000 procedures of the 20k site take 9.6 % fewer instructions. The
/// tests compare sites built with and without it.
///
/// `None` leaves the template as it is: not autoescaped, holding a `raw` block, or giving
/// the name `t` a value of its own (`set`, `set_global`, `for`, a component parameter
/// other than the implicit `@t`, which is the caller's `t`), where `t.key` may mean
/// something else. A key the theme lacks, a string with braces or a line break, a filtered
/// or whitespace-trimming `{{- t.key -}}` are left to the engine.
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
            // `set t = …`, `set t %}…{% endset`, `set t | upper %}…`
            "set" | "set_global" => args
                .split(|c: char| c == '=' || c == '|' || c.is_whitespace())
                .take(1)
                .collect(),
            "for" => args
                .split_once(" in ")
                .map_or(vec![args], |(vars, _)| vars.split(',').collect()),
            // `component name(a, b: string = "x", @t, ...rest)`
            "component" => args
                .split_once('(')
                .and_then(|(_, p)| p.rsplit_once(')'))
                .map_or(Vec::new(), |(p, _)| {
                    p.split(',')
                        .map(|a| a.split([':', '=']).next().unwrap_or(a).trim())
                        .filter(|a| !a.starts_with('@'))
                        .map(|a| a.trim_start_matches("..."))
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

/// Each problem a failed [`tera::Tera::add_raw_templates`] reports: the template's path
/// as shown, line and column (1-based; 0 when Tera gives none) and the message (with the
/// offending line of the template when known).
fn template_errors(theme: &Theme, e: &tera::Error) -> Vec<(String, u32, u32, String)> {
    let at = |name: &str, line: usize, col: usize, message: String| {
        let line = u32::try_from(line).unwrap_or(u32::MAX);
        let col = u32::try_from(col).unwrap_or(u32::MAX);
        (theme.shown(name), line, col, message)
    };
    match e.kind() {
        tera::ErrorKind::SyntaxError(r) | tera::ErrorKind::RenderingError(r) => {
            let s = r.span();
            // Tera's report without its first line (`error: <message>`): the place and
            // the line of the template.
            let report = theme.describe(e);
            let place = report.split_once('\n').map_or("", |(_, rest)| rest);
            let message = format!("{}\n{place}", r.message());
            vec![at(r.filename(), s.start_line, s.start_col + 1, message)]
        }
        // Tera checks the templates it adds (unknown filters, tests, components and
        // templates, blocks missing from the parent) and reports each problem as a block
        // that starts `error: <message>` and names its place on the next line, as
        // ` --> <template>:<line>:<col>`.
        tera::ErrorKind::Msg(text) => {
            let mut found = Vec::new();
            let mut lines = text.lines().peekable();
            while let Some(l) = lines.next() {
                let Some(message) = l.strip_prefix("error: ") else {
                    continue;
                };
                let place = lines
                    .peek()
                    .and_then(|n| n.trim_start().strip_prefix("--> "))
                    .and_then(|p| {
                        let mut it = p.rsplitn(3, ':');
                        let col = it.next()?.parse().ok()?;
                        let line = it.next()?.parse().ok()?;
                        Some((it.next()?.to_owned(), line, col))
                    });
                if let Some((name, line, col)) = place {
                    let quoted = theme_line(&lines.clone().collect::<Vec<_>>());
                    found.push(at(&name, line, col, format!("{message}{quoted}")));
                }
            }
            if found.is_empty() {
                found.push((theme.origin.clone(), 0, 0, theme.describe(e)));
            }
            found
        }
        _ => vec![(theme.origin.clone(), 0, 0, theme.describe(e))],
    }
}

/// The template line a Tera report quotes (`12 | <line>`, two lines after the place),
/// as `: <line>`, or nothing.
fn theme_line(rest: &[&str]) -> String {
    rest.iter()
        .skip(1)
        .take(2)
        .find_map(|l| {
            l.split_once(" | ")
                .filter(|(n, _)| n.trim().parse::<u32>().is_ok())
        })
        .map(|(_, text)| format!(": {}", text.trim()))
        .unwrap_or_default()
}

/// Escapes text for HTML and XML as templates do: `&`, `<`, `>`, `"` and `'`.
pub fn escape_html(s: &str) -> String {
    let mut out = Vec::with_capacity(s.len() + s.len() / 16);
    // Writing into a `Vec` cannot fail, and escaping keeps UTF-8 whole.
    let _ = tera::escape_html(s, &mut out);
    String::from_utf8(out).unwrap_or_default()
}

/// Rendered HTML as a string (templates and values are UTF-8, and so is what Tera makes
/// of them).
pub fn into_string(html: Vec<u8>) -> String {
    String::from_utf8(html).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// Rendered HTML as a string, checked as UTF-8 as [`safe_value`] checks it: copying the
/// checked text costs less than the standard library's check (`into_string`) of these
/// pieces, mostly multi-byte Vietnamese letters (the components of every procedure page).
pub fn checked_string(html: &[u8]) -> String {
    match simdutf8::basic::from_utf8(html) {
        Ok(s) => s.to_owned(),
        Err(_) => String::from_utf8_lossy(html).into_owned(),
    }
}

/// Rendered HTML as a template value printed as it is (not escaped again): a page's
/// components, a pack's sheets. Checked as UTF-8 with SIMD (`simdutf8`): the standard
/// library's check of these pieces, mostly multi-byte Vietnamese letters, was a tenth of
/// a 20k build's instructions.
pub fn safe_value(html: &[u8]) -> tera::Value {
    match simdutf8::basic::from_utf8(html) {
        Ok(s) => tera::Value::safe_string(s),
        Err(_) => tera::Value::safe_string(&String::from_utf8_lossy(html)),
    }
}

fn loc(p: &Path) -> Loc {
    Loc::file(&Arc::from(p))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn theme_of(files: &[(&str, &str)]) -> (Option<Theme>, Diagnostics) {
        let dir = tempfile::tempdir().expect("tempdir");
        for (rel, text) in files {
            let p = dir.path().join("themes/t").join(rel);
            std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
            std::fs::write(p, text).expect("write");
        }
        let mut d = Diagnostics::new();
        let theme = load(dir.path(), "t", "vi", &mut d);
        (theme, d)
    }

    fn strings() -> BTreeMap<String, String> {
        BTreeMap::from([
            ("fee".to_owned(), "Phí & lệ phí".to_owned()),
            ("odd".to_owned(), "a {{ b }}".to_owned()),
        ])
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
            "{% component feedback(f, t) %}{{ t.fee }}{% endcomponent feedback %}",
            "{% component m(a: string = \"x\", t=1) %}{% endcomponent m %}{{ t.fee }}",
            "{% component m(...t) %}{% endcomponent m %}{{ t.fee }}",
            "{% set t = other %}{{ t.fee }}",
            "{% set t %}x{% endset %}{{ t.fee }}",
            "{% set t | upper %}x{% endset %}{{ t.fee }}",
            "{%- set_global t = other -%}{{ t.fee }}",
            "{% for k, t in x %}{{ t.fee }}{% endfor %}",
            "{% for t in x %}{{ t.fee }}{% endfor %}",
            "{% raw %}{{ t.fee }}{% endraw %}",
        ] {
            assert_eq!(fold_strings("p.html", src, &strings()), None, "{src}");
        }
        // The implicit `@t` is the caller's `t`: the interface strings.
        for src in [
            "{% set tt = 1 %}{% for x in t %}{% endfor %}",
            "{% component office(o, @t) %}{{ t.fee }}{% endcomponent office %}",
            "{% component rows(rows: array, extra = \"\", @root, @t) %}{% endcomponent rows %}",
        ] {
            assert!(fold_strings("p.html", src, &strings()).is_some(), "{src}");
        }
    }

    /// Every plain `{{ t.… }}` of the default theme is folded.
    #[test]
    fn the_default_templates_are_folded() {
        let file = |name: &str| {
            let (_, bytes) = DEFAULT_THEME
                .iter()
                .find(|(n, _)| *n == name)
                .expect("embedded");
            std::str::from_utf8(bytes).expect("UTF-8").to_owned()
        };
        let strings: BTreeMap<String, String> =
            toml::from_str(&file("i18n/vi.toml")).expect("strings");
        for (p, _) in DEFAULT_THEME {
            let Some(name) = p.strip_prefix("templates/") else {
                continue;
            };
            let src = file(p);
            let folded = fold_strings(name, &src, &strings).expect("folded");
            // What is left are strings with filters (`{{ t.page | css_string | safe }}`).
            for left in folded.split("{{ t.").skip(1) {
                let lookup = left.split("}}").next().unwrap_or(left);
                assert!(
                    lookup.contains('|'),
                    "{name}: {{{{ t.{lookup}}}}} not folded"
                );
            }
        }
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

    /// Templates escape what they print as [`escape_html`] does (the pages' bytes
    /// depend on it), whatever its length (Tera's escaper takes 16 bytes at a time).
    #[test]
    fn templates_escape_as_escape_html_does() {
        let (theme, d) = theme_of(&[
            ("i18n/vi.toml", "x = \"y\""),
            ("templates/p.html", "{{ s }}|{{ s | safe }}"),
        ]);
        let theme = theme.unwrap_or_else(|| panic!("{d:?}"));
        for k in 0..40 {
            let s = format!("{}<a href='/x?a=1&b=2'>\"Đ\"</a>", "y".repeat(k));
            let mut cx = tera::Context::new();
            cx.insert("s", &s);
            let mut out = Vec::new();
            theme.render_to("p.html", &cx, &mut out).expect("renders");
            assert_eq!(
                String::from_utf8(out).expect("UTF-8"),
                format!("{}|{s}", escape_html(&s))
            );
        }
    }

    /// The interface strings are in every template as `t`, components included.
    #[test]
    fn templates_and_components_see_the_strings() {
        let (theme, d) = theme_of(&[
            ("i18n/vi.toml", "fee = \"Phí & lệ phí\""),
            (
                "templates/c.html",
                "{% component x(@t) %}[{{ t.fee }}]{% endcomponent x %}",
            ),
            ("templates/p.html", "{{ t.fee }}{{ <x /> }}"),
        ]);
        let theme = theme.unwrap_or_else(|| panic!("{d:?}"));
        let mut out = Vec::new();
        theme
            .render_to("p.html", &tera::Context::new(), &mut out)
            .expect("renders");
        assert_eq!(
            out,
            b"Ph\xc3\xad &amp; l\xe1\xbb\x87 ph\xc3\xad[Ph\xc3\xad &amp; l\xe1\xbb\x87 ph\xc3\xad]"
        );
    }

    /// A template that does not parse, or calls what does not exist, fails the theme
    /// with its file, line and column, and what is wrong.
    #[test]
    fn a_broken_template_is_named_with_its_line() {
        let (theme, d) = theme_of(&[
            ("i18n/vi.toml", "x = \"y\""),
            ("templates/a.html", "<p>\n  {% if x %}never closed\n"),
        ]);
        assert!(theme.is_none());
        let msg = d
            .iter()
            .map(|x| x.to_string())
            .collect::<Vec<_>>()
            .join("\n");
        assert!(msg.starts_with("themes/t/templates/a.html:"), "{msg}");
        assert!(msg.contains("error: lỗi mẫu giao diện"), "{msg}");

        let (theme, d) = theme_of(&[
            ("i18n/vi.toml", "x = \"y\""),
            ("templates/b.html", "<p>\n\n  {{ x | no_such_filter }}</p>"),
        ]);
        assert!(theme.is_none());
        let msg = d
            .iter()
            .map(|x| x.to_string())
            .collect::<Vec<_>>()
            .join("\n");
        assert!(
            msg.starts_with("themes/t/templates/b.html:3:")
                && msg.contains("no_such_filter")
                && msg.contains("{{ x | no_such_filter }}"),
            "{msg}"
        );
    }

    /// In debug builds (the tests), a template of the default theme that reads a
    /// variable its page does not give fails, even in `{% if %}`, where Tera would take
    /// it for false.
    #[cfg(debug_assertions)]
    #[test]
    fn default_templates_read_only_what_their_page_gives() {
        let mut d = Diagnostics::new();
        let theme = load(Path::new("/nonexistent"), "default", "vi", &mut d)
            .unwrap_or_else(|| panic!("{d:?}"));
        let mut cx = tera::Context::new();
        cx.insert("p", &BTreeMap::from([("code", "1.001193")]));
        cx.insert("root", "../");
        let err = theme
            .render_to("components.html", &cx, &mut Vec::new())
            .expect_err("no place");
        assert!(err.contains("place"), "{err}");
    }

    /// What a page template binds for the templates it includes is not asked of the page:
    /// the board's `printed` and its loop's `s` (for sheet.html), the change lists' `c`
    /// and `hl`; what the page gives (`unit`, `sheets`) is still asked.
    #[cfg(debug_assertions)]
    #[test]
    fn names_bound_before_an_include_are_the_templates_own() {
        let mut bound = std::collections::BTreeSet::new();
        bound_names("noticeboard.html", &mut bound, &mut Default::default());
        for name in ["printed", "s", "c", "hl", "f_sheet"] {
            assert!(bound.contains(name), "{name}: {bound:?}");
        }
        for name in ["unit", "sheets", "t", "print_date"] {
            assert!(!bound.contains(name), "{name}: {bound:?}");
        }
        // A loop's variable is the included template's only inside the loop: the danh
        // mục's rows (`r`) enclose no include.
        assert!(!bound.contains("r"), "{bound:?}");
        let mut bound = std::collections::BTreeSet::new();
        bound_names("changes.html", &mut bound, &mut Default::default());
        assert!(bound.contains("c") && bound.contains("hl"), "{bound:?}");
        assert!(!bound.contains("groups"), "{bound:?}");
    }

    /// Every variable a default template reads is in docs/themes.md, in the section of
    /// that template or among the common variables.
    #[test]
    fn every_template_variable_is_documented() {
        let doc = include_str!("../docs/themes.md");
        // The `### ` section whose heading names `what`.
        let section = |what: &str| -> &str {
            doc.split("\n### ")
                .find(|s| s.lines().next().is_some_and(|h| h.contains(what)))
                .unwrap_or_else(|| panic!("docs/themes.md has no section on {what}"))
        };
        let common = section("Common variables");
        let mut d = Diagnostics::new();
        let theme = load(Path::new("/nonexistent"), "default", "vi", &mut d)
            .unwrap_or_else(|| panic!("{d:?}"));
        let mut checked = 0;
        for (p, _) in DEFAULT_THEME {
            let Some(name) = p.strip_prefix("templates/") else {
                continue;
            };
            let vars = theme.tera.get_template_variables(name).expect("template");
            if vars.is_empty() {
                continue;
            }
            let own = section(&format!("`{name}`"));
            for v in vars {
                let quoted = format!("`{v}`");
                let with_fields = format!("`{v}.");
                assert!(
                    own.contains(&quoted) || own.contains(&with_fields) || common.contains(&quoted),
                    "{name} reads `{v}`, which docs/themes.md does not describe"
                );
                checked += 1;
            }
        }
        assert!(checked > 60, "{checked}");
    }

    /// A variable a template reads that its page does not give fails the page, naming
    /// the template's path, line and variable.
    #[test]
    fn an_undefined_variable_names_the_template_and_line() {
        let (theme, d) = theme_of(&[
            ("i18n/vi.toml", "x = \"y\""),
            ("templates/p.html", "<p>\n{{ unit.nope.nope }}</p>"),
        ]);
        let theme = theme.unwrap_or_else(|| panic!("{d:?}"));
        let mut cx = tera::Context::new();
        cx.insert("unit", &BTreeMap::from([("name", "Xã")]));
        let err = theme
            .render_to("p.html", &cx, &mut Vec::new())
            .expect_err("undefined");
        assert!(
            err.contains("--> themes/t/templates/p.html:2:")
                && err.contains("nope")
                && err.contains("{{ unit.nope.nope }}"),
            "{err}"
        );
    }

    /// `css_string` quotes any value, and each template of the default theme parses
    /// with the filters registered.
    #[test]
    fn the_default_theme_loads() {
        let mut d = Diagnostics::new();
        let theme = load(Path::new("/nonexistent"), "default", "vi", &mut d)
            .unwrap_or_else(|| panic!("{d:?}"));
        for (p, _) in DEFAULT_THEME {
            if let Some(t) = p.strip_prefix("templates/") {
                assert!(theme.has_template(t), "{t}");
            }
        }
        let out = theme
            .tera
            .render_str(
                "{{ 3 | css_string }}{{ \"a\\\"b\" | css_string }}",
                &tera::Context::new(),
                false,
            )
            .expect("renders");
        assert_eq!(out, "\"3\"\"a\\\"b\"");
    }
}
