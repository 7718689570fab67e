//! Search: the `/tim-kiem/` page and its index, built here in Rust and read by a small
//! hand-written client (`themes/default/static/search.js`).
//!
//! Why this shape (measurements in README.md, "Search"):
//! - The index is plain JavaScript files that call `NIEMYET_SEARCH.add({...})`, loaded with
//!   `<script>` tags. That works over HTTP *and* from `file://` (a USB stick, a kiosk), where
//!   `fetch()` and WebAssembly are blocked; Pagefind needs both.
//! - Text is folded here with [`crate::text::fold`] (tones, vowel marks, đ → d, case), so
//!   NFC and NFD content and both tone placements index alike; the client folds queries the
//!   same way (tested against each other in tests/search.rs).
//! - Adopted procedures are indexed once: a catalogue procedure adopted by 300 communes is
//!   one document in `idx/catalog.js`; which units publish it is one small "adoption set"
//!   shared by every unit adopting the same list. Catalogue documents are written in
//!   groups (`idx/c/<n>.js`) of those adopted by the same sets, so a commune loads the
//!   catalogue procedures it publishes and not the province's. A unit's own and overriding
//!   procedures go in `idx/u/<unit>.js`. A site-wide search loads everything at once:
//!   `idx/shared.js` and `idx/local.js`.

mod az;
mod index;
mod kept;
mod layout;
pub mod lexicon;
mod words;

pub use index::{SearchDoc, SearchIndex, SearchRepealed, SearchUnit};
pub use kept::{dirty, SearchKept};
pub use layout::unit_file;
pub use lexicon::Lexicon;

use super::html::{base_context, render as render_template};
use super::{RenderContext, RenderError, Renderer};
use crate::model::{Level, OnlineTier};
use crate::output::Output;
use az::AzCache;
use index::{catalog_js, docs_part, BuildId};
use kept::DocCache;
use layout::{level_bit, Layout};
use serde::Serialize;
use std::collections::BTreeMap;

/// Where the search page and its index live (a macro, so the paths below can be
/// spelled with `concat!`).
macro_rules! search_path {
    () => {
        "tim-kiem"
    };
}
pub const SEARCH_PATH: &str = search_path!();

/// Words of a folded text: split at spaces, dots kept only inside (codes like `1.001193`).
/// The client's `tokens()` does exactly this.
pub fn tokens(folded: &str) -> impl Iterator<Item = &str> {
    folded
        .split(' ')
        .map(|t| t.trim_matches('.'))
        .filter(|t| !t.is_empty())
}

/// The search page and the index file every other part depends on (they hold the build
/// id), as paths in the output.
const PAGE: &str = concat!(search_path!(), "/index.html");
const CATALOG: &str = concat!(search_path!(), "/idx/catalog.js");

/// The words of the names and keywords of the index's procedures, folded: the lexicon's
/// wordings that use other words could match none of them.
fn site_words(entries: &[&layout::Entry]) -> std::collections::HashSet<String> {
    let mut words = std::collections::HashSet::new();
    let mut folded = String::new();
    for e in entries {
        folded.clear();
        crate::text::fold_into(e.procedure.title(), &mut folded);
        for k in &e.procedure.keywords {
            folded.push(' ');
            crate::text::fold_into(k, &mut folded);
        }
        for w in tokens(&folded) {
            if !words.contains(w) {
                words.insert(w.to_owned());
            }
        }
    }
    words
}

/// The interface strings the client shows, as JSON safe inside `<script>`.
fn client_strings(cx: &RenderContext) -> String {
    let keys = [
        "search_results",
        "search_none",
        "search_none_scoped",
        "search_loading",
        "search_units_count",
        "status_upcoming",
        "status_repealed",
        "search_repealed_on",
        "replaced_by",
        "time",
        "fee",
        "code_short",
        "sector",
    ];
    let map: BTreeMap<&str, &str> = keys
        .iter()
        .map(|k| (*k, cx.theme.strings.get(*k).map_or("", String::as_str)))
        .collect();
    serde_json::to_string(&map)
        .unwrap_or_else(|_| "{}".into())
        .replace('<', "\\u003c")
}

/// Whether the theme has a search page (one copied before search existed has none).
fn has_page(cx: &RenderContext) -> bool {
    cx.theme.has_template("search.html")
}

/// Writes `/tim-kiem/` and its index.
pub struct SearchRenderer;

impl Renderer for SearchRenderer {
    fn name(&self) -> &'static str {
        "search"
    }

    fn count(&self, cx: &RenderContext) -> u64 {
        if !has_page(cx) {
            return 0;
        }
        Layout::new(cx.site, Some(&cx.lex.unpublished))
            .outputs()
            .len() as u64
    }

    fn outputs(&self, cx: &RenderContext) -> Option<Vec<String>> {
        if !has_page(cx) {
            return Some(Vec::new());
        }
        Some(Layout::new(cx.site, Some(&cx.lex.unpublished)).outputs())
    }

    fn render(&self, cx: &RenderContext, out: &Output) -> Result<(), RenderError> {
        // A theme copied before search existed has no search page: build without one.
        if !has_page(cx) {
            return Ok(());
        }
        let layout = Layout::new(cx.site, Some(&cx.lex.unpublished));
        let files = layout.doc_files();
        // An edit in `serve` that did not touch the index (see `dirty`).
        if !cx.wants(PAGE) && !cx.wants(CATALOG) && !files.iter().any(|(p, _)| cx.wants(p)) {
            return Ok(());
        }
        // A file from pieces written one after the other: the site-wide parts are tens of
        // megabytes of documents that are not joined first.
        let write = |rel: &str, parts: &[&str]| -> Result<(), RenderError> {
            if !cx.wants(rel) {
                return Ok(());
            }
            out.write_parts(rel, parts.iter().map(|p| p.as_bytes()))
                .map_err(|e| RenderError::io(rel, e))?;
            cx.tick();
            Ok(())
        };
        // Every document once, as JSON, in id order (the entries' ids are 0, 1, …): all
        // are needed whatever is written, for the build id.
        let json = DocCache::documents(cx, &layout.entries());
        let (shared_json, local_json) = json.split_at(layout.shared.len().min(json.len()));
        // The site-wide parts stay in pieces: joined, the local one alone was as big as
        // every document again (20 MB at 20,000 procedures).
        let all_shared = docs_part(shared_json.iter().map(|d| &**d));
        let all_local = docs_part(local_json.iter().map(|d| &**d));
        let words = site_words(&layout.entries());
        let lexicon = cx.theme.lexicon.folded_for(|w| words.contains(w));
        let catalog = |build: &str| {
            catalog_js(
                &layout.units,
                &layout.sectors,
                &layout.sets,
                &layout.groups,
                &layout.repealed,
                &lexicon,
                build,
            )
        };
        // The build id covers every part, so a rebuild never mixes old and new ids.
        let mut id = BuildId::new();
        id.feed(catalog("").as_bytes());
        for part in all_shared.clone().chain(all_local.clone()) {
            id.feed(part.as_bytes());
        }
        id.feed(cx.site.today.iso().as_bytes());
        let build = id.finish();
        write(CATALOG, &[&catalog(&build)])?;
        let doc = |id: &u32| json.get(*id as usize).map_or("", |d| &**d);
        for (path, ids) in &files {
            let parts: Vec<&str> = if path.ends_with("/shared.js") {
                all_shared.clone().collect()
            } else if path.ends_with("/local.js") {
                all_local.clone().collect()
            } else if cx.wants(path) {
                docs_part(ids.iter().map(doc)).collect()
            } else {
                continue;
            };
            write(path, &parts)?;
        }
        if !cx.wants(PAGE) {
            return Ok(());
        }

        let mut ctx = base_context(cx);
        ctx.insert("root", "../");
        ctx.insert("canonical", &cx.absolute(SEARCH_PATH));
        ctx.insert("build", &build);
        #[derive(Serialize)]
        struct Opt {
            value: u8,
            label: &'static str,
        }
        let levels: Vec<Opt> = Level::ALL
            .iter()
            .map(|l| Opt {
                value: level_bit(*l),
                label: l.label(),
            })
            .collect();
        ctx.insert("levels", &levels);
        let online = [
            Opt {
                value: 1,
                label: OnlineTier::ToanTrinh.label(),
            },
            Opt {
                value: 2,
                label: OnlineTier::MotPhan.label(),
            },
        ];
        ctx.insert("online", &online);
        ctx.insert("strings_json", &client_strings(cx));
        // The A–Z goes in as a template value taken from (and given back to) the cache:
        // no copy of its 20,000 rows.
        let (az_key, az) = AzCache::take(cx)?;
        ctx.insert_value("az", az);
        let html = render_template(cx, "search.html", &ctx, PAGE);
        AzCache::keep(cx, az_key, ctx.remove("az"));
        let html = html?;
        let html = match &cx.opts.inject {
            Some(snippet) => super::html::inject(html, snippet),
            None => html,
        };
        write(PAGE, &[&html])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::fold;

    #[test]
    fn tokens_keep_code_dots_only_inside() {
        let f = fold("Mã 1.001193. Hộ tịch, (cấp xã).");
        assert_eq!(
            tokens(&f).collect::<Vec<_>>(),
            ["ma", "1.001193", "ho", "tich", "cap", "xa"]
        );
    }
}

/// Fixture sites for the tests of the modules.
#[cfg(test)]
mod fixture {
    pub(super) fn write(dir: &std::path::Path, rel: &str, text: &str) {
        let p = dir.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }

    pub(super) fn proc(code: &str, name: &str, extra: &str) -> String {
        format!(
            "+++\ncode = \"{code}\"\nname = \"{name}\"\nsector = \"Hộ tịch\"\nlevel = \"xa\"\n\
             applicants = [\"Công dân\"]\nagency = \"UBND xã\"\nresult = [\"Giấy chứng nhận\"]\n\
             legal_basis = [\"Luật Hộ tịch\"]\n{extra}\n[[channels]]\nmethod = \"truc-tiep\"\n\
             time = {{ value = 3, unit = \"working-days\" }}\nfees = []\n\n[[dossier]]\n\
             items = [{{ name = \"Tờ khai\", originals = 1 }}]\n+++\nNộp hồ sơ tại bộ phận một cửa.\n"
        )
    }

    pub(super) fn unit(name: &str, extra: &str) -> String {
        format!(
            "name = \"{name}\"\nkind = \"xa\"\n{extra}\n[office]\nname = \"Một cửa\"\naddress = \"Trụ sở\"\n\
             [feedback]\nagency = \"UBND\"\naddress = \"Trụ sở\"\n"
        )
    }
}
