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

use super::format::shorten;
use super::html::{base_context, render as render_template};
use super::{RenderContext, RenderError, Renderer};
use crate::model::{Level, OnlineTier, Procedure, Status};
use crate::output::Output;
use crate::resolve::{Origin, ResolvedSite};
use crate::text::fold;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;

/// Where the search page and its index live.
pub const SEARCH_PATH: &str = "tim-kiem";

/// Words of a folded text: split at spaces, dots kept only inside (codes like `1.001193`).
/// The client's `tokens()` does exactly this.
pub fn tokens(folded: &str) -> impl Iterator<Item = &str> {
    folded
        .split(' ')
        .map(|t| t.trim_matches('.'))
        .filter(|t| !t.is_empty())
}

/// One searchable procedure, as an array in the index (compact; the client names the
/// positions). Field order is the client's contract: see `D_*` in search.js.
#[derive(Debug, Serialize, PartialEq)]
pub struct SearchDoc(
    /// Document id, unique in the site's index.
    pub u32,
    /// Code (mã thủ tục).
    pub String,
    /// Display name (NFC).
    pub String,
    /// Sector, as an index into `sectors`.
    pub u32,
    /// Levels as bits: trung-uong 1, tinh 2, huyen 4, xa 8.
    pub u8,
    /// Online tier: 0 none, 1 toàn trình, 2 một phần.
    pub u8,
    /// 0 current, 1 upcoming (repealed procedures are not searched).
    pub u8,
    /// Processing time in short.
    pub String,
    /// Fee in short.
    pub String,
    /// Folded name.
    pub String,
    /// Folded keywords.
    pub String,
    /// Other words (folded, distinct, sorted, minus those of name and keywords).
    pub String,
    /// The unit publishing it, or -1 for a catalogue procedure (see adoption sets).
    pub i64,
);

/// A unit in the index: `[path, name, parent or -1, adoption set or -1, own docs]`.
#[derive(Debug, Serialize, PartialEq)]
pub struct SearchUnit(pub String, pub String, pub i64, pub i64, pub u32);

/// The whole index of a site.
#[derive(Debug)]
pub struct SearchIndex {
    pub units: Vec<SearchUnit>,
    pub sectors: Vec<String>,
    /// Distinct lists of catalogue doc ids that units publish as they are.
    pub sets: Vec<Vec<u32>>,
    /// Catalogue documents grouped by the sets that hold them: (sets, doc ids).
    pub groups: Vec<(Vec<u32>, Vec<u32>)>,
    /// Catalogue procedures, each once.
    pub shared: Vec<SearchDoc>,
    /// Each unit's own procedures (local and overrides), by unit index.
    pub local: BTreeMap<usize, Vec<SearchDoc>>,
}

fn level_bit(l: Level) -> u8 {
    match l {
        Level::TrungUong => 1,
        Level::Tinh => 2,
        Level::Huyen => 4,
        Level::Xa => 8,
    }
}

/// Every folded word of a procedure's text other than name and keywords.
fn body_words(p: &Procedure) -> Vec<String> {
    let mut texts: Vec<&str> = Vec::new();
    texts.extend(p.sector.as_deref());
    texts.extend(p.applicants.iter().map(String::as_str));
    texts.extend(p.agency.as_deref());
    texts.extend(p.authority.as_deref());
    texts.extend(p.place.as_deref());
    texts.extend(p.result.iter().map(String::as_str));
    texts.extend(p.requirements.as_deref());
    texts.extend(p.legal_basis.iter().map(String::as_str));
    texts.extend(p.decision.as_deref());
    texts.extend(p.procedure_type.as_deref());
    texts.extend(p.description.as_deref());
    texts.extend(p.steps.as_deref());
    for c in &p.dossier {
        texts.extend(c.case.as_deref());
        texts.extend(c.items.iter().map(|i| i.name.as_str()));
    }
    texts.extend(p.forms.iter().map(|f| f.name.as_str()));
    let mut words = BTreeSet::new();
    for t in texts {
        for w in tokens(&fold(t)) {
            // One letter says nothing, nor do day and month numbers; years, law numbers
            // and codes do.
            let digits = w.bytes().all(|b| b.is_ascii_digit());
            if (digits && w.len() > 2) || (!digits && w.chars().count() > 1) {
                words.insert(w.to_owned());
            }
        }
    }
    words.into_iter().collect()
}

impl SearchIndex {
    pub fn build(cx: &RenderContext) -> SearchIndex {
        let site = cx.site;
        let mut sectors: Vec<String> = Vec::new();
        let mut sector_ids: HashMap<String, u32> = HashMap::new();
        let mut sector_of = |p: &Procedure| -> u32 {
            let s = p
                .sector
                .clone()
                .unwrap_or_else(|| cx.lex.unpublished.clone());
            let key = fold(&s);
            *sector_ids.entry(key).or_insert_with(|| {
                sectors.push(s);
                (sectors.len() - 1) as u32
            })
        };
        let doc = |id: u32, p: &Procedure, status: Status, sector: u32, unit: i64| {
            let name = fold(p.title());
            let kw = fold(&p.keywords.join(" "));
            let own: BTreeSet<&str> = tokens(&name).chain(tokens(&kw)).collect();
            let body: Vec<String> = body_words(p)
                .into_iter()
                .filter(|w| !own.contains(w.as_str()))
                .collect();
            SearchDoc(
                id,
                p.code.clone(),
                p.title().to_owned(),
                sector,
                p.levels.iter().fold(0, |m, l| m | level_bit(*l)),
                match p.online {
                    None => 0,
                    Some(OnlineTier::ToanTrinh) => 1,
                    Some(OnlineTier::MotPhan) => 2,
                },
                u8::from(status == Status::Upcoming),
                shorten(&cx.lex.times_summary(&p.channels), 100),
                shorten(&cx.lex.fees_summary(&p.channels), 100),
                name,
                kw,
                body.join(" "),
                unit,
            )
        };

        // Catalogue procedures, each once, in code order.
        let mut shared_ids: HashMap<usize, u32> = HashMap::new();
        let mut shared_procs: BTreeMap<&str, (&Arc<Procedure>, Status)> = BTreeMap::new();
        for u in &site.units {
            for pb in &u.procedures {
                if pb.origin == Origin::Catalog && pb.status != Status::Repealed {
                    shared_procs
                        .entry(pb.procedure.code.as_str())
                        .or_insert((&pb.procedure, pb.status));
                }
            }
        }
        let mut shared = Vec::with_capacity(shared_procs.len());
        for (p, status) in shared_procs.into_values() {
            let id = shared.len() as u32;
            shared_ids.insert(Arc::as_ptr(p) as usize, id);
            let s = sector_of(p);
            shared.push(doc(id, p, status, s, -1));
        }

        let mut next = shared.len() as u32;
        let mut sets: Vec<Vec<u32>> = Vec::new();
        let mut set_ids: HashMap<Vec<u32>, i64> = HashMap::new();
        let mut units = Vec::with_capacity(site.units.len());
        let mut local: BTreeMap<usize, Vec<SearchDoc>> = BTreeMap::new();
        for (ui, u) in site.units.iter().enumerate() {
            let mut adopted: Vec<u32> = Vec::new();
            let mut own = Vec::new();
            for pb in &u.procedures {
                if pb.status == Status::Repealed {
                    continue;
                }
                match shared_ids.get(&(Arc::as_ptr(&pb.procedure) as usize)) {
                    Some(&id) if pb.origin == Origin::Catalog => adopted.push(id),
                    _ => {
                        let s = sector_of(&pb.procedure);
                        own.push(doc(next, &pb.procedure, pb.status, s, ui as i64));
                        next += 1;
                    }
                }
            }
            adopted.sort_unstable();
            let set = if adopted.is_empty() {
                -1
            } else {
                *set_ids.entry(adopted.clone()).or_insert_with(|| {
                    sets.push(adopted);
                    (sets.len() - 1) as i64
                })
            };
            units.push(SearchUnit(
                u.unit.path.clone(),
                u.unit.name.clone(),
                u.parent.map_or(-1, |p| p as i64),
                set,
                own.len() as u32,
            ));
            if !own.is_empty() {
                local.insert(ui, own);
            }
        }
        // Group catalogue documents by the adoption sets that hold them.
        let mut by_sets: BTreeMap<Vec<u32>, Vec<u32>> = BTreeMap::new();
        for d in &shared {
            let holders: Vec<u32> = sets
                .iter()
                .enumerate()
                .filter(|(_, s)| s.binary_search(&d.0).is_ok())
                .map(|(i, _)| i as u32)
                .collect();
            by_sets.entry(holders).or_default().push(d.0);
        }
        SearchIndex {
            units,
            sectors,
            sets,
            groups: by_sets.into_iter().collect(),
            shared,
            local,
        }
    }

    /// `idx/catalog.js`: units, sectors, adoption sets, and which sets each group of
    /// catalogue documents (`idx/c/<n>.js`) serves. No documents: those come by scope.
    pub fn catalog_js(&self, build: &str) -> String {
        #[derive(Serialize)]
        struct Part<'a> {
            build: &'a str,
            units: &'a [SearchUnit],
            sectors: &'a [String],
            sets: &'a [Vec<u32>],
            groups: Vec<&'a [u32]>,
            group_sizes: Vec<usize>,
            docs: [u8; 0],
        }
        script(&Part {
            build,
            units: &self.units,
            sectors: &self.sectors,
            sets: &self.sets,
            groups: self.groups.iter().map(|(s, _)| s.as_slice()).collect(),
            group_sizes: self.groups.iter().map(|(_, d)| d.len()).collect(),
            docs: [],
        })
    }

    /// The documents of one group of catalogue procedures.
    pub fn group_js(&self, group: usize) -> String {
        let ids = self
            .groups
            .get(group)
            .map(|g| g.1.as_slice())
            .unwrap_or(&[]);
        Self::docs_js(ids.iter().filter_map(|&id| self.shared.get(id as usize)))
    }

    /// A part holding only documents (a unit's own, or all units' own).
    pub fn docs_js<'a>(docs: impl Iterator<Item = &'a SearchDoc>) -> String {
        #[derive(Serialize)]
        struct Part<'a> {
            docs: Vec<&'a SearchDoc>,
        }
        script(&Part {
            docs: docs.collect(),
        })
    }
}

/// The file of a unit's own documents, relative to the search page.
pub fn unit_file(path: &str) -> String {
    format!("idx/u/{}.js", path.replace('/', "."))
}

fn script<T: Serialize>(part: &T) -> String {
    // Serialising plain strings and numbers cannot fail; an empty part is still valid JS.
    let json = serde_json::to_string(part).unwrap_or_else(|_| "{}".into());
    format!("NIEMYET_SEARCH.add({json});\n")
}

/// FNV-1a: a short build id, so browsers refetch the index after a rebuild.
fn build_id(bytes: &[u8]) -> String {
    let mut h: u64 = 0xcbf29ce484222325;
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x100000001b3);
    }
    format!("{:08x}", h >> 32)
}

#[derive(Serialize)]
struct AzSector {
    name: String,
    procedures: Vec<AzEntry>,
}

#[derive(Serialize)]
struct AzEntry {
    code: String,
    name: String,
    href: String,
    units: usize,
}

/// Every code in force or upcoming, grouped by sector and sorted by folded name: what the
/// page shows without JavaScript (a readable A–Z a browser's find-in-page can search).
fn a_to_z(cx: &RenderContext, site: &ResolvedSite) -> Vec<AzSector> {
    let mut sectors: BTreeMap<String, (String, BTreeMap<String, AzEntry>)> = BTreeMap::new();
    for (code, places) in &site.by_code {
        let live: Vec<_> = places
            .iter()
            .filter(|(ui, pi)| site.units[*ui].procedures[*pi].status != Status::Repealed)
            .collect();
        let Some(&&(ui, pi)) = live.first() else {
            continue;
        };
        let p = &site.units[ui].procedures[pi].procedure;
        let sector = p
            .sector
            .clone()
            .unwrap_or_else(|| cx.lex.unpublished.clone());
        sectors
            .entry(fold(&sector))
            .or_insert_with(|| (sector, BTreeMap::new()))
            .1
            .insert(
                format!("{} {code}", fold(p.title())),
                AzEntry {
                    code: code.clone(),
                    name: p.title().to_owned(),
                    href: cx.link(&format!("tthc/{code}")),
                    units: live.len(),
                },
            );
    }
    sectors
        .into_values()
        .map(|(name, m)| AzSector {
            name,
            procedures: m.into_values().collect(),
        })
        .collect()
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
    cx.theme
        .tera
        .get_template_names()
        .any(|t| t == "search.html")
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
        // Page, catalog.js, shared.js, local.js, the groups and the units' parts. Building
        // the index twice is cheap: it folds each distinct procedure once.
        let index = SearchIndex::build(cx);
        (4 + index.groups.len() + index.local.len()) as u64
    }

    fn render(&self, cx: &RenderContext, out: &Output) -> Result<(), RenderError> {
        // A theme copied before search existed has no search page: build without one.
        if !has_page(cx) {
            return Ok(());
        }
        let index = SearchIndex::build(cx);
        let write = |rel: String, text: &str| -> Result<(), RenderError> {
            out.write(&rel, text.as_bytes())
                .map_err(|e| RenderError::io(rel.clone(), e))?;
            cx.tick();
            Ok(())
        };
        // The build id covers every part, so a rebuild never mixes old and new ids.
        let locals: Vec<(String, String)> = index
            .local
            .iter()
            .map(|(ui, docs)| {
                (
                    unit_file(&cx.site.units[*ui].unit.path),
                    SearchIndex::docs_js(docs.iter()),
                )
            })
            .collect();
        let all_local = SearchIndex::docs_js(index.local.values().flatten());
        let all_shared = SearchIndex::docs_js(index.shared.iter());
        let build = build_id(
            format!(
                "{}{all_shared}{all_local}{}",
                index.catalog_js(""),
                cx.site.today.iso()
            )
            .as_bytes(),
        );
        write(
            format!("{SEARCH_PATH}/idx/catalog.js"),
            &index.catalog_js(&build),
        )?;
        write(format!("{SEARCH_PATH}/idx/local.js"), &all_local)?;
        write(format!("{SEARCH_PATH}/idx/shared.js"), &all_shared)?;
        for g in 0..index.groups.len() {
            write(format!("{SEARCH_PATH}/idx/c/{g}.js"), &index.group_js(g))?;
        }
        for (rel, js) in &locals {
            write(format!("{SEARCH_PATH}/{rel}"), js)?;
        }

        let mut ctx = base_context(cx);
        ctx.insert("root", "../");
        ctx.insert("canonical", &cx.absolute(SEARCH_PATH));
        ctx.insert("build", &build);
        ctx.insert("az", &a_to_z(cx, cx.site));
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
        let file = format!("{SEARCH_PATH}/index.html");
        let html = render_template(cx, "search.html", &ctx, &file)?;
        let html = match &cx.opts.inject {
            Some(snippet) => super::html::inject(html, snippet),
            None => html,
        };
        write(file, &html)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::RenderOptions;

    #[test]
    fn tokens_keep_code_dots_only_inside() {
        let f = fold("Mã 1.001193. Hộ tịch, (cấp xã).");
        assert_eq!(
            tokens(&f).collect::<Vec<_>>(),
            ["ma", "1.001193", "ho", "tich", "cap", "xa"]
        );
    }

    fn write(dir: &std::path::Path, rel: &str, text: &str) {
        let p = dir.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }

    fn proc(code: &str, name: &str, extra: &str) -> String {
        format!(
            "+++\ncode = \"{code}\"\nname = \"{name}\"\nsector = \"Hộ tịch\"\nlevel = \"xa\"\n\
             applicants = [\"Công dân\"]\nagency = \"UBND xã\"\nresult = [\"Giấy chứng nhận\"]\n\
             legal_basis = [\"Luật Hộ tịch\"]\n{extra}\n[[channels]]\nmethod = \"truc-tiep\"\n\
             time = {{ value = 3, unit = \"working-days\" }}\nfees = []\n\n[[dossier]]\n\
             items = [{{ name = \"Tờ khai\", originals = 1 }}]\n+++\nNộp hồ sơ tại bộ phận một cửa.\n"
        )
    }

    fn unit(name: &str, extra: &str) -> String {
        format!(
            "name = \"{name}\"\nkind = \"xa\"\n{extra}\n[office]\nname = \"Một cửa\"\naddress = \"Trụ sở\"\n\
             [feedback]\nagency = \"UBND\"\naddress = \"Trụ sở\"\n"
        )
    }

    /// A province with three communes: two adopt the same list, one overrides a code and
    /// has its own procedure; a repealed catalogue entry is adopted by all.
    fn index() -> SearchIndex {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        write(
            d,
            "site.toml",
            "title = \"T\"\nbase_url = \"https://x.example/\"\n",
        );
        write(
            d,
            "content/_catalog/a.md",
            &proc(
                "1.1",
                "Đăng ký khai sinh",
                "keywords = [\"giấy khai sinh\"]",
            ),
        );
        write(
            d,
            "content/_catalog/b.md",
            &proc("1.2", "Đăng ký khai tử", ""),
        );
        write(
            d,
            "content/_catalog/c.md",
            &proc("1.3", "Thủ tục cũ", "repealed = 2020-01-01"),
        );
        write(d, "content/tinh/_unit.toml", &unit("Tỉnh", ""));
        let adopt = "adopt = [\"1.1\", \"1.2\", \"1.3\"]";
        write(d, "content/tinh/xa-a/_unit.toml", &unit("Xã A", adopt));
        write(d, "content/tinh/xa-b/_unit.toml", &unit("Xã B", adopt));
        write(d, "content/tinh/xa-c/_unit.toml", &unit("Xã C", adopt));
        write(
            d,
            "content/tinh/xa-c/kt.md",
            "+++\ncode = \"1.2\"\nname = \"Đăng ký khai tử (xã C)\"\n+++\nRiêng.\n",
        );
        write(
            d,
            "content/tinh/xa-c/own.md",
            &proc("9.9", "Hỗ trợ thuỷ lợi", ""),
        );
        let (site, diags) =
            crate::cmd::load(d, crate::date::Date::parse("2026-01-01").unwrap(), None);
        assert!(
            diags
                .iter()
                .all(|x| x.severity != crate::diag::Severity::Error),
            "{diags:?}"
        );
        let site = site.unwrap();
        let mut dd = crate::diag::Diagnostics::new();
        let theme = crate::theme::load(d, "default", "vi", &mut dd).unwrap();
        let opts = RenderOptions::default();
        let cx = RenderContext::new(&site, &theme, &opts);
        SearchIndex::build(&cx)
    }

    #[test]
    fn adopted_procedures_are_indexed_once_and_sets_are_shared() {
        let ix = index();
        // 1.1 and 1.2 once each; the repealed 1.3 is not searchable.
        let codes: Vec<&str> = ix.shared.iter().map(|d| d.1.as_str()).collect();
        assert_eq!(codes, ["1.1", "1.2"]);
        // Xã A and Xã B adopt the same list: one set. Xã C overrides 1.2: its own set.
        let set_of = |name: &str| ix.units.iter().find(|u| u.1 == name).unwrap().3;
        assert_eq!(set_of("Xã A"), set_of("Xã B"));
        assert_ne!(set_of("Xã A"), set_of("Xã C"));
        assert_eq!(set_of("Tỉnh"), -1);
        assert_eq!(ix.sets.len(), 2);
        assert_eq!(ix.sets[set_of("Xã C") as usize], [0]);
        // Xã C's own part: the override and its local procedure, ids after the shared.
        let c = ix.units.iter().position(|u| u.1 == "Xã C").unwrap();
        let own = &ix.local[&c];
        let names: Vec<&str> = own.iter().map(|d| d.2.as_str()).collect();
        assert_eq!(names, ["Đăng ký khai tử (xã C)", "Hỗ trợ thuỷ lợi"]);
        assert!(own.iter().all(|d| d.0 >= 2 && d.12 == c as i64));
        assert_eq!(ix.local.len(), 1);
    }

    #[test]
    fn documents_are_folded_and_split_by_field() {
        let ix = index();
        let d = &ix.shared[0];
        assert_eq!(d.9, "dang ky khai sinh");
        assert_eq!(d.10, "giay khai sinh");
        let body: Vec<&str> = d.11.split(' ').collect();
        // Body words are distinct, sorted, folded, and leave out name and keyword words.
        assert!(body.contains(&"cong") && body.contains(&"dan") && body.contains(&"ho"));
        assert!(!body.contains(&"khai") && !body.contains(&"giay"));
        assert!(body.windows(2).all(|w| w[0] < w[1]));
        assert_eq!(d.4, 8, "level xa");
        assert_eq!(d.7, "3 ngày làm việc");
        assert_eq!(d.8, "Không thu phí, lệ phí");
        let c = ix.units.iter().position(|u| u.1 == "Xã C").unwrap();
        assert_eq!(ix.local[&c][1].9, "ho tro thuy loi");
    }

    #[test]
    fn parts_are_scripts_that_register_data() {
        let ix = index();
        let js = ix.catalog_js("abc");
        assert!(js.starts_with("NIEMYET_SEARCH.add({\"build\":\"abc\",\"units\":[["));
        assert!(js.trim_end().ends_with("});"));
        let json = &js["NIEMYET_SEARCH.add(".len()..js.trim_end().len() - 2];
        let v: serde_json::Value = serde_json::from_str(json).unwrap();
        assert_eq!(
            v["docs"].as_array().unwrap().len(),
            0,
            "documents come in groups"
        );
        // 1.1 is in both sets, 1.2 only in Xã A's and Xã B's: two groups.
        assert_eq!(v["groups"].as_array().unwrap().len(), 2);
        let g: Vec<Vec<&str>> = (0..2)
            .map(|i| {
                let js = ix.group_js(i);
                let json = &js["NIEMYET_SEARCH.add(".len()..js.trim_end().len() - 2];
                let v: serde_json::Value = serde_json::from_str(json).unwrap();
                v["docs"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|d| d[1].as_str().unwrap().to_owned())
                    .map(|c| if c == "1.1" { "1.1" } else { "1.2" })
                    .collect()
            })
            .collect();
        assert!(
            g.contains(&vec!["1.1"]) && g.contains(&vec!["1.2"]),
            "{g:?}"
        );
        assert_eq!(unit_file("tinh/xa-c"), "idx/u/tinh.xa-c.js");
    }
}
