//! A theme template rendered into a page: the values every page gets, the rendering
//! itself (its errors naming the template and the page), and `serve`'s reload script.
//! Used by every renderer that writes HTML.

use super::view::Link;
use super::{RenderContext, RenderError};
use serde::Serialize;
use tera::Context;

/// `serve`'s reload script, put before `</body>`.
pub(crate) fn inject(html: String, snippet: &str) -> String {
    let mut html = html.into_bytes();
    html = inject_bytes(html, snippet);
    // Valid UTF-8 with a UTF-8 snippet inserted at an ASCII boundary.
    String::from_utf8(html).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// [`inject`] on bytes.
pub(crate) fn inject_bytes(mut html: Vec<u8>, snippet: &str) -> Vec<u8> {
    let at = html
        .windows(7)
        .rposition(|w| w == b"</body>")
        .unwrap_or(html.len());
    html.splice(at..at, snippet.bytes());
    html
}

#[derive(Serialize)]
struct SiteView<'a> {
    title: &'a str,
    base_url: &'a str,
    description: Option<&'a str>,
    language: &'a str,
    today: String,
    today_iso: String,
    last_changed: Option<String>,
    /// For `<time datetime>`: the HTML checker requires a machine-readable date.
    last_changed_iso: Option<String>,
}

/// Values every page gets (`site`, `file_links`), made into template values once, and
/// the keys of `base.html` that only some pages give, empty (`crumbs`, `search_unit`,
/// `search_unit_name`): every variable a template reads is always there.
pub(crate) fn base_context(cx: &RenderContext) -> Context {
    let c = &cx.site.config;
    let mut ctx = Context::new();
    ctx.insert(
        "site",
        &SiteView {
            title: &c.title,
            base_url: &c.base_url,
            description: c.description.as_deref(),
            language: &c.language,
            today: cx.site.today.vi(),
            today_iso: cx.site.today.iso(),
            last_changed: cx.site.last_changed.map(|d| d.vi()),
            last_changed_iso: cx.site.last_changed.map(|d| d.iso()),
        },
    );
    ctx.insert(
        "meta_description",
        &c.description
            .clone()
            .unwrap_or_else(|| format!("{}: {}", c.title, string(cx, "meta_home"))),
    );
    ctx.insert("file_links", &cx.opts.file_links);
    ctx.insert("crumbs", &Vec::<Link>::new());
    ctx.insert_value("search_unit", tera::Value::none());
    ctx.insert_value("search_unit_name", tera::Value::none());
    ctx
}

/// An interface string of the theme (`i18n/<lang>.toml`), empty when it has none.
pub(crate) fn string<'a>(cx: &RenderContext<'a>, key: &str) -> &'a str {
    cx.theme.strings.get(key).map_or("", String::as_str)
}

/// A page's `<meta name="description">`: what search engines show under its title.
/// A procedure's says its unit, time and fees; a unit's, a code's and the home page's
/// what the page lists (`meta_*` strings of the theme).
pub(crate) fn procedure_description(
    cx: &RenderContext,
    title: &str,
    unit: &str,
    time: &str,
    fee: &str,
) -> String {
    format!(
        "{title} – {unit}. {}: {time}. {}: {fee}.",
        string(cx, "time"),
        string(cx, "fee")
    )
}

/// Renders a theme template, naming the template and the page on failure.
pub(crate) fn render(
    cx: &RenderContext,
    template: &str,
    ctx: &Context,
    path: &str,
) -> Result<String, RenderError> {
    let bytes = render_bytes(cx, template, ctx, path, PAGE_CAPACITY)?;
    Ok(crate::theme::into_string(bytes))
}

/// What a page's frame is given to start with: the frames of procedure pages and sheets
/// (their components go in afterwards) take 5–12 kB.
pub(crate) const PAGE_CAPACITY: usize = 32 * 1024;

/// Renders a theme template into bytes: a page goes to a file as it is, so it is not
/// checked again as UTF-8 (which `Tera::render` does, at 7 % of a large build).
/// `capacity`: what the page is expected to take, so that a long one (a unit's list, a
/// pack's catalogue) is not copied again and again as it grows.
pub(crate) fn render_bytes(
    cx: &RenderContext,
    template: &str,
    ctx: &Context,
    path: &str,
    capacity: usize,
) -> Result<Vec<u8>, RenderError> {
    let mut buf = Vec::with_capacity(capacity);
    cx.theme
        .render_to(template, ctx, &mut buf)
        .map_err(|message| RenderError {
            what: format!(
                "{}/templates/{template} (rendering {path})",
                cx.theme.origin
            ),
            message,
        })?;
    Ok(buf)
}
