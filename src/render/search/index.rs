//! The documents of the index and the files that carry them.

use super::layout::{level_bit, Entry, Layout};
use super::lexicon::FoldedLexicon;
use super::words::{body_words, FoldMemo, Word};
use super::{tokens, RenderContext};
use crate::model::{OnlineTier, Status};
use crate::render::format::shorten;
use crate::text::fold;
use rayon::prelude::*;
use serde::Serialize;
use std::collections::BTreeMap;

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

impl SearchDoc {
    /// Its JSON.
    pub(super) fn json(&self) -> String {
        // Serialising strings and numbers cannot fail.
        serde_json::to_string(self).unwrap_or_default()
    }
}

/// A repealed procedure, found by its code only: `[code, name, sector, unit or -1 (the
/// catalogue's), repealed on (dd/mm/yyyy), replaced by (a code or "")]`.
#[derive(Debug, Serialize, PartialEq)]
pub struct SearchRepealed(
    pub String,
    pub String,
    pub u32,
    pub i64,
    pub String,
    pub String,
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
    /// Repealed procedures, found by their code.
    pub repealed: Vec<SearchRepealed>,
    /// The theme's lexicon, folded.
    pub lexicon: FoldedLexicon,
}

/// The document of one entry.
pub(super) fn document(cx: &RenderContext, e: &Entry, folds: &FoldMemo) -> SearchDoc {
    let p = e.procedure;
    let name = fold(p.title());
    let kw = fold(&p.keywords.join(" "));
    let own: Vec<Word> = tokens(&name).chain(tokens(&kw)).map(Word::new).collect();
    let body = body_words(p, &own, folds);
    let (time, fee) = cx.summary(p);
    SearchDoc(
        e.id,
        p.code.clone(),
        p.title().to_owned(),
        e.sector,
        p.levels.iter().fold(0, |m, l| m | level_bit(*l)),
        match p.online {
            None => 0,
            Some(OnlineTier::ToanTrinh) => 1,
            Some(OnlineTier::MotPhan) => 2,
        },
        u8::from(e.status == Status::Upcoming),
        shorten(&time, 100),
        shorten(&fee, 100),
        name,
        kw,
        body,
        e.unit,
    )
}

impl SearchIndex {
    pub fn build(cx: &RenderContext) -> SearchIndex {
        let layout = Layout::new(cx.site, Some(&cx.lex.unpublished));
        let words = super::site_words(&layout.entries());
        let lexicon = cx.theme.lexicon.folded_for(|w| words.contains(w));
        let folds = FoldMemo::new();
        let docs = |list: &[Entry]| -> Vec<SearchDoc> {
            list.par_iter().map(|e| document(cx, e, &folds)).collect()
        };
        SearchIndex {
            shared: docs(&layout.shared),
            local: layout
                .local
                .iter()
                .map(|(ui, list)| (*ui, docs(list)))
                .collect(),
            units: layout.units,
            sectors: layout.sectors,
            sets: layout.sets,
            groups: layout.groups,
            repealed: layout.repealed,
            lexicon,
        }
    }

    /// `idx/catalog.js`: units, sectors, adoption sets, and which sets each group of
    /// catalogue documents (`idx/c/<n>.js`) serves. No documents: those come by scope.
    pub fn catalog_js(&self, build: &str) -> String {
        catalog_js(
            &self.units,
            &self.sectors,
            &self.sets,
            &self.groups,
            &self.repealed,
            &self.lexicon,
            build,
        )
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

/// `idx/catalog.js` (see [`SearchIndex::catalog_js`]).
pub(super) fn catalog_js(
    units: &[SearchUnit],
    sectors: &[String],
    sets: &[Vec<u32>],
    groups: &[(Vec<u32>, Vec<u32>)],
    repealed: &[SearchRepealed],
    lexicon: &FoldedLexicon,
    build: &str,
) -> String {
    #[derive(Serialize)]
    struct Part<'a> {
        build: &'a str,
        units: &'a [SearchUnit],
        sectors: &'a [String],
        sets: &'a [Vec<u32>],
        groups: Vec<&'a [u32]>,
        group_sizes: Vec<usize>,
        repealed: &'a [SearchRepealed],
        lexicon: &'a FoldedLexicon,
        docs: [u8; 0],
    }
    script(&Part {
        build,
        units,
        sectors,
        sets,
        groups: groups.iter().map(|(s, _)| s.as_slice()).collect(),
        group_sizes: groups.iter().map(|(_, d)| d.len()).collect(),
        repealed,
        lexicon,
        docs: [],
    })
}

/// A part of documents from their JSON, in the pieces to write one after the other: byte
/// for byte what [`SearchIndex::docs_js`] writes (serde_json's compact arrays: elements
/// joined by commas). Each document is serialised once, though it appears in two files.
pub(super) fn docs_part<'a>(
    json: impl Iterator<Item = &'a str> + Clone,
) -> impl Iterator<Item = &'a str> + Clone {
    const HEAD: &str = "NIEMYET_SEARCH.add({\"docs\":[";
    const TAIL: &str = "]});\n";
    let docs = json
        .enumerate()
        .flat_map(|(i, d)| [if i > 0 { "," } else { "" }, d]);
    std::iter::once(HEAD)
        .chain(docs)
        .chain(std::iter::once(TAIL))
}

pub(super) fn script<T: Serialize>(part: &T) -> String {
    // Serialising plain strings and numbers cannot fail; an empty part is still valid JS.
    let json = serde_json::to_string(part).unwrap_or_else(|_| "{}".into());
    format!("NIEMYET_SEARCH.add({json});\n")
}

/// A short build id, so browsers refetch the index after a rebuild: FNV-1a over the
/// parts eight bytes at a time (byte by byte, it was a multiplication per byte of the
/// 23 MB of a 20,000-procedure index, on one thread). Fed piece by piece: the id of the
/// parts in a row without joining them; the same pieces give the same id.
pub(super) struct BuildId(u64);

impl BuildId {
    pub(super) fn new() -> BuildId {
        BuildId(0xcbf29ce484222325)
    }

    pub(super) fn feed(&mut self, bytes: &[u8]) {
        let mut words = bytes.chunks_exact(8);
        for w in &mut words {
            let mut b = [0u8; 8];
            b.copy_from_slice(w);
            self.mix(u64::from_le_bytes(b));
        }
        for b in words.remainder() {
            self.mix(u64::from(*b));
        }
        // The length, so pieces cut elsewhere do not run together alike.
        self.mix(bytes.len() as u64);
    }

    fn mix(&mut self, v: u64) {
        self.0 ^= v;
        self.0 = self.0.wrapping_mul(0x100000001b3);
    }

    pub(super) fn finish(&self) -> String {
        format!("{:08x}", self.0 >> 32)
    }
}

#[cfg(test)]
mod tests {
    use super::super::fixture::{proc, unit, write};
    use super::super::unit_file;
    use super::*;
    use crate::render::RenderOptions;

    fn build_id(parts: &[&[u8]]) -> String {
        let mut id = BuildId::new();
        for p in parts {
            id.feed(p);
        }
        id.finish()
    }

    #[test]
    fn the_build_id_follows_every_byte_of_the_parts() {
        let doc: Vec<u8> = (0..100_003u32).map(|i| (i % 251) as u8).collect();
        let id = build_id(&[&doc, b"2026-11-23"]);
        assert_eq!(id, build_id(&[&doc, b"2026-11-23"]), "same parts, same id");
        assert_eq!(id.len(), 8);
        // A byte changed anywhere: in a whole word, in the tail, in the last part.
        for at in [0, 4_000, 100_000, 100_002] {
            let mut other = doc.clone();
            other[at] ^= 1;
            assert_ne!(id, build_id(&[&other, b"2026-11-23"]), "byte {at}");
        }
        assert_ne!(id, build_id(&[&doc, b"2026-11-24"]));
        // The same bytes cut into other pieces are other parts.
        assert_ne!(id, build_id(&[&doc[..8], &doc[8..], b"2026-11-23"]));
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
