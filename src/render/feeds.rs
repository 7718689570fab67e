//! `feed.xml` (Atom: the procedures that changed, newest first), `sitemap.xml` and
//! `robots.txt` (which names the sitemap).

use super::{RenderContext, RenderError, Renderer};
use crate::model::Status;
use crate::output::Output;
use serde::Serialize;
use tera::Context;

pub struct FeedRenderer;

/// How many changed procedures the feed lists.
const FEED_ENTRIES: usize = 100;

#[derive(Serialize)]
struct Entry {
    title: String,
    url: String,
    id: String,
    updated: String,
    /// `sap-co-hieu-luc` or `da-bai-bo` (an Atom category), none when in force.
    status: Option<&'static str>,
    status_label: String,
    summary: String,
}

#[derive(Serialize)]
struct UrlEntry {
    loc: String,
    lastmod: Option<String>,
}

impl Renderer for FeedRenderer {
    fn name(&self) -> &'static str {
        "feeds"
    }

    fn count(&self, _cx: &RenderContext) -> u64 {
        3
    }

    fn outputs(&self, _cx: &RenderContext) -> Option<Vec<String>> {
        Some(vec![
            "feed.xml".into(),
            "sitemap.xml".into(),
            "robots.txt".into(),
        ])
    }

    fn render(&self, cx: &RenderContext, out: &Output) -> Result<(), RenderError> {
        if cx.wants("feed.xml") {
            self.feed(cx, out)?;
        }
        if cx.wants("sitemap.xml") {
            self.sitemap(cx, out)?;
        }
        if cx.wants("robots.txt") {
            out.write("robots.txt", robots(&cx.site.config.base_url).as_bytes())
                .map_err(|e| RenderError::io("robots.txt", e))?;
            cx.tick();
        }
        Ok(())
    }
}

impl FeedRenderer {
    fn feed(&self, cx: &RenderContext, out: &Output) -> Result<(), RenderError> {
        let site = cx.site;
        let today = site.today;
        // One entry per code, at its latest change anywhere on the site; a procedure
        // whose content gives no change date has none to list. The newest are chosen
        // first and only those are formatted: the site may have 20,000 codes.
        let mut latest: Vec<(crate::date::Date, &str, usize, usize)> = site
            .by_code
            .iter()
            .filter_map(|(code, places)| {
                let (ui, pi) = places.iter().copied().max_by_key(|&(ui, pi)| {
                    site.units[ui].procedures[pi].procedure.changed(today)
                })?;
                let p = &site.units[ui].procedures[pi].procedure;
                Some((p.changed(today)?, code.as_str(), ui, pi))
            })
            .collect();
        // Newest first, then by entry id (`…/tthc/<code>/`).
        let id_order = |a: &str, b: &str| {
            a.bytes()
                .chain(std::iter::once(b'/'))
                .cmp(b.bytes().chain(std::iter::once(b'/')))
        };
        latest.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| id_order(a.1, b.1)));
        latest.truncate(FEED_ENTRIES);
        let string = |key: &str, default: &'static str| -> String {
            cx.theme
                .strings
                .get(key)
                .cloned()
                .unwrap_or_else(|| default.to_owned())
        };
        let entries: Vec<Entry> = latest
            .into_iter()
            .map(|(changed, code, ui, pi)| {
                let p = &site.units[ui].procedures[pi].procedure;
                let url = cx.absolute(&format!("tthc/{code}"));
                // What a reader of the feed must know before anything else: the
                // procedure is not in force yet, or no longer.
                let (status, label, when) = match p.status(today) {
                    Status::Current => (None, String::new(), String::new()),
                    Status::Upcoming => (
                        Some("sap-co-hieu-luc"),
                        string("status_upcoming", "Sắp có hiệu lực"),
                        p.effective
                            .map(|d| {
                                format!("{} {}", string("upcoming_from", "Có hiệu lực từ"), d.vi())
                            })
                            .unwrap_or_default(),
                    ),
                    Status::Repealed => (
                        Some("da-bai-bo"),
                        string("status_repealed", "Đã bãi bỏ"),
                        p.repealed
                            .map(|d| format!("{} {}", string("repealed_on", "Bãi bỏ từ"), d.vi()))
                            .unwrap_or_default(),
                    ),
                };
                let mut title = format!("{} – {}", code, p.title());
                let mut summary = Vec::new();
                if status.is_some() {
                    title = format!("{title} ({})", label.to_lowercase());
                    summary.push(label.clone());
                    if !when.is_empty() {
                        summary.push(when);
                    }
                }
                summary.push(p.sector.as_deref().unwrap_or("").to_owned());
                summary.push(format!(
                    "{}: {}",
                    string("time", "Thời hạn"),
                    cx.lex.times_summary(&p.channels)
                ));
                summary.push(format!(
                    "{}: {}",
                    string("fee", "Phí, lệ phí"),
                    cx.lex.fees_summary(&p.channels)
                ));
                Entry {
                    title,
                    id: url.clone(),
                    url,
                    updated: format!("{}T00:00:00+07:00", changed.iso()),
                    status,
                    status_label: label,
                    summary: summary.join(" · "),
                }
            })
            .collect();
        let updated = site.last_changed.unwrap_or(site.today);
        let mut ctx = Context::new();
        ctx.insert("site_title", &site.config.title);
        ctx.insert("base_url", &site.config.base_url);
        ctx.insert("updated", &format!("{}T00:00:00+07:00", updated.iso()));
        ctx.insert("entries", &entries);
        let xml = render(cx, "feed.xml", &ctx)?;
        out.write("feed.xml", &xml)
            .map_err(|e| RenderError::io("feed.xml", e))?;
        cx.tick();
        Ok(())
    }

    fn sitemap(&self, cx: &RenderContext, out: &Output) -> Result<(), RenderError> {
        let site = cx.site;
        let mut urls = vec![UrlEntry {
            loc: cx.absolute(""),
            lastmod: site.last_changed.map(|d| d.iso()),
        }];
        for u in &site.units {
            urls.push(UrlEntry {
                loc: cx.absolute(&u.unit.path),
                lastmod: u.last_changed.map(|d| d.iso()),
            });
            for p in &u.procedures {
                urls.push(UrlEntry {
                    loc: cx.absolute(&[&u.unit.path, "/", &p.procedure.code].concat()),
                    lastmod: p.procedure.changed(site.today).map(|d| d.iso()),
                });
            }
        }
        for code in site.by_code.keys() {
            urls.push(UrlEntry {
                loc: cx.absolute(&format!("tthc/{code}")),
                lastmod: None,
            });
        }
        let mut ctx = Context::new();
        ctx.insert("urls", &urls);
        // The context holds a copy; the list goes before the page is rendered (20,000
        // addresses at the 20k benchmark, while the other renderers run).
        drop(urls);
        let xml = render(cx, "sitemap.xml", &ctx)?;
        out.write("sitemap.xml", &xml)
            .map_err(|e| RenderError::io("sitemap.xml", e))?;
        cx.tick();
        Ok(())
    }
}

/// `robots.txt`: every page may be crawled; where the sitemap is. Crawlers read it at the
/// root of a host only: a site published at a sub-path gives this line to the host's own
/// robots.txt (docs/deploying.md).
fn robots(base_url: &str) -> String {
    format!("User-agent: *\nAllow: /\n\nSitemap: {base_url}sitemap.xml\n")
}

/// The path of `base_url`, from the host's root: `/` for `https://x.gov.vn/`,
/// `/thu-tuc/` for `https://x.gov.vn/thu-tuc/`. Links from it hold at any depth on the
/// host the site is published on (the 404 page, served for any missing address).
pub fn base_path(base_url: &str) -> String {
    let after_scheme = base_url.split_once("://").map_or(base_url, |(_, r)| r);
    match after_scheme.find('/') {
        Some(i) => after_scheme[i..].to_owned(),
        None => "/".to_owned(),
    }
}

fn render(cx: &RenderContext, template: &str, ctx: &Context) -> Result<Vec<u8>, RenderError> {
    let mut out = Vec::with_capacity(64 * 1024);
    cx.theme
        .render_to(template, ctx, &mut out)
        .map_err(|message| RenderError {
            what: format!("{}/templates/{template}", cx.theme.origin),
            message,
        })?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::{base_path, robots};

    #[test]
    fn the_base_path_is_the_path_of_base_url() {
        assert_eq!(base_path("https://x.gov.vn/"), "/");
        assert_eq!(base_path("https://x.gov.vn/thu-tuc/"), "/thu-tuc/");
        assert_eq!(base_path("http://127.0.0.1:8080/a/b/"), "/a/b/");
    }

    #[test]
    fn robots_names_the_sitemap() {
        assert_eq!(
            robots("https://x.gov.vn/thu-tuc/"),
            "User-agent: *\nAllow: /\n\nSitemap: https://x.gov.vn/thu-tuc/sitemap.xml\n"
        );
    }
}
