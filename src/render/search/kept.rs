//! What `serve` keeps between updates, and which index files an edit reaches.

use super::az::AzCache;
use super::index::document;
use super::layout::{Entry, Layout};
use super::words::FoldMemo;
use super::{RenderContext, CATALOG, PAGE};
use crate::model::{Procedure, Status};
use crate::resolve::ResolvedSite;
use rayon::prelude::*;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;

/// For `serve` (called by `serve::deps::dirty`, which has the site before and after an
/// edit): adds to `out` the search outputs whose bytes may differ, and returns whether
/// the list of search outputs may have changed (a unit's own part or a group of
/// catalogue documents appeared or went).
///
/// The parts depend on each other through ids (of documents, sectors, adoption sets), so
/// a file of documents is rewritten when its list of ids changed or one of its documents
/// did: another procedure `Arc` (the same `Arc` is the same text, see `serve::deps`),
/// status, sector id or unit index. An edit that adds a procedure shifts the ids after
/// it, and the files holding those are found the same way. `catalog.js` and the page
/// carry a build id computed from every part: rewritten whenever anything changed.
///
/// Without the theme, procedures without a sector cannot be placed among the sectors
/// exactly (their name, the theme's "unpublished", may fold like a real sector's); when
/// there are any and the sectors moved at all, every file of documents is rewritten.
/// The interface strings, date, theme and configuration are not compared: a change to
/// any of them re-renders everything (`serve::deps`, `serve::Preview::update`).
/// `tests/serve.rs` checks the outcome against a fresh build after a series of edits.
pub fn dirty(old: &ResolvedSite, new: &ResolvedSite, out: &mut HashSet<String>) -> bool {
    let (before, after) = (Layout::new(old, None), Layout::new(new, None));
    let ids_before: Vec<_> = before.entries().iter().map(|e| e.identity()).collect();
    let ids_after: Vec<_> = after.entries().iter().map(|e| e.identity()).collect();
    let sectors_moved = || {
        before.sectors != after.sectors
            || ids_before.len() != ids_after.len()
            || ids_before.iter().zip(&ids_after).any(|(a, b)| a.2 != b.2)
    };
    let all = (before.unnamed || after.unnamed) && sectors_moved();
    let changed = |id: &u32| {
        let i = *id as usize;
        ids_before.get(i) != ids_after.get(i)
    };
    let files_before: HashMap<String, Vec<u32>> = before.doc_files().into_iter().collect();
    let files_after = after.doc_files();
    let mut reshaped = files_before.len() != files_after.len();
    let mut any = false;
    for (path, ids) in files_after {
        let same = match files_before.get(&path) {
            Some(old_ids) => !all && *old_ids == ids && !ids.iter().any(changed),
            None => {
                reshaped = true;
                false
            }
        };
        if !same {
            any = true;
            out.insert(path);
        }
    }
    if any
        || before.units != after.units
        || before.sectors != after.sectors
        || before.sets != after.sets
        || before.groups != after.groups
        || before.repealed != after.repealed
    {
        out.insert(CATALOG.to_owned());
        out.insert(PAGE.to_owned());
    }
    reshaped
}

/// The documents of the last index rendered, as JSON, kept for the next render. In
/// `serve` an edit changes a few documents, but the build id needs them all: the others
/// are taken from here instead of being folded again (at 20,000 procedures, most of an
/// update's time otherwise). Kept in the render context's [`SearchKept`], which `serve`'s
/// view cache carries from one update to the next; one generation is kept.
///
/// A document is a function of its entry ([`Entry::identity`], the same `Arc` being the
/// same text; the cache holds the `Arc`, so its address cannot be taken by another
/// procedure meanwhile), its id, and the interface strings (times and fees in short),
/// which are compared whole.
pub(super) struct DocCache {
    strings: BTreeMap<String, String>,
    docs: HashMap<DocKey, (Arc<Procedure>, Arc<str>)>,
}

pub(super) type DocKey = ((usize, Status, u32, i64), u32);

/// What the search renderer keeps from one render for the next (see [`DocCache`] and
/// [`AzCache`]); empty in a build, carried between `serve`'s updates.
#[derive(Default)]
pub struct SearchKept {
    pub(super) docs: Option<DocCache>,
    pub(super) az: Option<AzCache>,
}

impl DocCache {
    /// The JSON of every entry, in their order, from the last render's where it holds
    /// them; keeps this render's for the next.
    pub(super) fn documents(cx: &RenderContext, entries: &[&Entry]) -> Vec<Arc<str>> {
        let last = cx
            .search_kept
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .docs
            .take()
            .filter(|c| c.strings == cx.theme.strings);
        let key = |e: &Entry| (e.identity(), e.id);
        let folds = FoldMemo::new();
        let json: Vec<Arc<str>> = entries
            .par_iter()
            .map(|e| match last.as_ref().and_then(|c| c.docs.get(&key(e))) {
                Some((_, json)) => Arc::clone(json),
                // Serialising strings and numbers cannot fail.
                None => Arc::from(document(cx, e, &folds).json()),
            })
            .collect();
        let docs = entries
            .iter()
            .zip(&json)
            .map(|(e, j)| (key(e), (Arc::clone(e.procedure), Arc::clone(j))))
            .collect();
        cx.search_kept
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .docs = Some(DocCache {
            strings: cx.theme.strings.clone(),
            docs,
        });
        json
    }
}

#[cfg(test)]
mod tests {
    use super::super::fixture::{proc, unit, write};
    use super::super::SearchRenderer;
    use super::*;
    use crate::output::Output;
    use crate::render::{RenderOptions, Renderer};
    use std::collections::BTreeSet;

    /// A site being edited as `serve` edits it: files re-read through a [`LoadCache`],
    /// so unchanged procedures keep their `Arc` between two loads.
    struct Edited {
        dir: tempfile::TempDir,
        cache: crate::content::LoadCache,
        theme: crate::theme::Theme,
        /// What the last render kept, as `serve`'s view cache carries it.
        kept: std::cell::RefCell<SearchKept>,
    }

    impl Edited {
        fn new(files: &[(&str, String)]) -> Edited {
            let dir = tempfile::tempdir().unwrap();
            write(
                dir.path(),
                "site.toml",
                "title = \"T\"\nbase_url = \"https://x.example/\"\n",
            );
            for (rel, text) in files {
                write(dir.path(), &format!("content/{rel}"), text);
            }
            let mut d = crate::diag::Diagnostics::new();
            let theme = crate::theme::load(dir.path(), "default", "vi", &mut d).unwrap();
            Edited {
                dir,
                cache: Default::default(),
                theme,
                kept: Default::default(),
            }
        }

        fn load(&mut self) -> ResolvedSite {
            let mut d = crate::diag::Diagnostics::new();
            let c = crate::content::load_cached(self.dir.path(), &mut d, &mut self.cache).unwrap();
            let today = crate::date::Date::parse("2026-01-01").unwrap();
            let site = crate::resolve::resolve(c, today, &mut d);
            let diags = d.finish();
            assert!(
                diags
                    .iter()
                    .all(|x| x.severity != crate::diag::Severity::Error),
                "{diags:?}"
            );
            site
        }

        /// Writes (or with `None` removes) a file under content/.
        fn edit(&mut self, rel: &str, text: Option<String>) {
            match text {
                Some(t) => write(self.dir.path(), &format!("content/{rel}"), &t),
                None => std::fs::remove_file(self.dir.path().join("content").join(rel)).unwrap(),
            }
            self.cache.invalidate(std::path::Path::new(rel));
        }

        /// The search outputs of a site, rendered whole, or only those in `only`.
        fn render(&self, site: &ResolvedSite, only: Option<&HashSet<String>>) -> Files {
            let opts = RenderOptions::default();
            let mut cx = RenderContext::new(site, &self.theme, &opts);
            cx.set_only(only.cloned());
            *cx.search_kept.get_mut().unwrap() = self.kept.take();
            let out = Output::memory();
            SearchRenderer.render(&cx, &out).unwrap();
            self.kept.replace(cx.search_kept.into_inner().unwrap());
            out.into_files().into_iter().collect()
        }

        /// Forgets the documents and A–Z kept from the last render.
        fn forget_last_render(&self) {
            self.kept.take();
        }
    }

    type Files = BTreeMap<String, Vec<u8>>;

    /// Catalogue entries 1.1 (Hộ tịch) and 1.2 (Chứng thực) adopted by three communes,
    /// two of them with procedures of their own.
    fn adopt() -> &'static str {
        "adopt = [\"1.1\", \"1.2\"]"
    }

    fn edited() -> Edited {
        let adopt = adopt();
        Edited::new(&[
            ("_catalog/a.md", proc("1.1", "Đăng ký khai sinh", "")),
            (
                "_catalog/b.md",
                proc("1.2", "Chứng thực bản sao", "")
                    .replace("sector = \"Hộ tịch\"", "sector = \"Chứng thực\""),
            ),
            ("tinh/_unit.toml", unit("Tỉnh", "")),
            ("tinh/xa-a/_unit.toml", unit("Xã A", adopt)),
            ("tinh/xa-b/_unit.toml", unit("Xã B", adopt)),
            ("tinh/xa-c/_unit.toml", unit("Xã C", adopt)),
            ("tinh/xa-a/own.md", proc("8.1", "Hỗ trợ thuỷ lợi", "")),
            ("tinh/xa-c/own.md", proc("9.1", "Cấp phép đào đường", "")),
        ])
    }

    /// Applies one edit as `serve` does and checks it against whole renders made from
    /// nothing: every file whose bytes changed is dirty, a file appearing or going says
    /// reshaped, and rendering only the dirty files, with what the render before the edit
    /// kept, gives the same bytes as a whole render. Returns the dirty set.
    fn check_edit(e: &mut Edited, rel: &str, text: Option<String>) -> BTreeSet<String> {
        let old = e.load();
        e.forget_last_render();
        let before = e.render(&old, None);
        e.edit(rel, text);
        let new = e.load();
        let mut set = HashSet::new();
        let reshaped = dirty(&old, &new, &mut set);
        let partial = e.render(&new, Some(&set));
        e.forget_last_render();
        let after = e.render(&new, None);
        for (path, bytes) in &after {
            if before.get(path) != Some(bytes) {
                assert!(set.contains(path), "{rel}: {path} changed but is not dirty");
            }
        }
        let paths = |f: &Files| f.keys().cloned().collect::<BTreeSet<_>>();
        if paths(&before) != paths(&after) {
            assert!(reshaped, "{rel}: the files changed but not reshaped");
        }
        let listed: BTreeSet<String> = {
            let opts = RenderOptions::default();
            let cx = RenderContext::new(&new, &e.theme, &opts);
            SearchRenderer.outputs(&cx).unwrap().into_iter().collect()
        };
        assert_eq!(listed, paths(&after), "outputs() lists what render writes");
        for (path, bytes) in &partial {
            assert_eq!(Some(bytes), after.get(path), "{path} rendered alone");
        }
        let wanted: BTreeSet<String> = set
            .iter()
            .filter(|p| after.contains_key(*p))
            .cloned()
            .collect();
        assert_eq!(paths(&partial), wanted, "only the dirty files are written");
        set.into_iter().collect()
    }

    #[test]
    fn an_edit_rewrites_the_index_files_holding_it_and_those_with_the_build_id() {
        let mut e = edited();
        // Words of a unit's own procedure: its part, all units' parts, and the two
        // files carrying the build id; not the catalogue's documents nor the other unit.
        let set = check_edit(
            &mut e,
            "tinh/xa-a/own.md",
            Some(proc("8.1", "Hỗ trợ thuỷ lợi nội đồng", "")),
        );
        assert_eq!(
            set,
            BTreeSet::from(
                [
                    "tim-kiem/idx/u/tinh.xa-a.js",
                    "tim-kiem/idx/local.js",
                    "tim-kiem/idx/catalog.js",
                    "tim-kiem/index.html"
                ]
                .map(String::from)
            )
        );
        // A catalogue entry: its group and shared.js.
        let set = check_edit(
            &mut e,
            "_catalog/b.md",
            Some(
                proc("1.2", "Chứng thực bản sao điện tử", "")
                    .replace("sector = \"Hộ tịch\"", "sector = \"Chứng thực\""),
            ),
        );
        assert!(set.contains("tim-kiem/idx/shared.js") && set.contains("tim-kiem/idx/c/0.js"));
        assert!(
            !set.iter().any(|p| p.starts_with("tim-kiem/idx/u/")),
            "{set:?}"
        );
        // A unit renamed: the units' list in catalog.js (and the build id).
        let set = check_edit(
            &mut e,
            "tinh/xa-b/_unit.toml",
            Some(unit("Xã B Mới", adopt())),
        );
        assert!(set.contains(CATALOG) && set.contains(PAGE), "{set:?}");
        // Nothing in the index: nothing to write.
        let set = check_edit(&mut e, "tinh/xa-b/other.txt", Some("x".into()));
        assert!(set.is_empty(), "{set:?}");
    }

    #[test]
    fn edits_that_move_ids_rewrite_every_file_they_reach() {
        let mut e = edited();
        // A procedure added to the first unit shifts the ids of the next unit's.
        let set = check_edit(
            &mut e,
            "tinh/xa-a/new.md",
            Some(proc("8.2", "Cấp nước", "")),
        );
        assert!(set.contains("tim-kiem/idx/u/tinh.xa-c.js"), "{set:?}");
        // A unit's own procedure in a new sector, and back.
        let moved = proc("8.1", "Hỗ trợ thuỷ lợi", "")
            .replace("sector = \"Hộ tịch\"", "sector = \"Thuỷ lợi\"");
        check_edit(&mut e, "tinh/xa-a/own.md", Some(moved));
        check_edit(
            &mut e,
            "tinh/xa-a/own.md",
            Some(proc("8.1", "Hỗ trợ thuỷ lợi", "")),
        );
        // A catalogue entry changing sector shifts every later sector's id.
        let cat = proc("1.1", "Đăng ký khai sinh", "")
            .replace("sector = \"Hộ tịch\"", "sector = \"Chứng thực\"");
        let set = check_edit(&mut e, "_catalog/a.md", Some(cat));
        assert!(set.contains("tim-kiem/idx/u/tinh.xa-c.js"), "{set:?}");
        // The only own procedure of a unit repealed: its part goes.
        let repealed = proc("9.1", "Cấp phép đào đường", "repealed = 2025-01-01");
        check_edit(&mut e, "tinh/xa-c/own.md", Some(repealed));
        // A catalogue entry repealed: adoption sets and groups change.
        let gone = proc("1.2", "Chứng thực bản sao", "repealed = 2025-01-01")
            .replace("sector = \"Hộ tịch\"", "sector = \"Chứng thực\"");
        check_edit(&mut e, "_catalog/b.md", Some(gone));
        // An override: the unit's own document, no longer in the adoption set.
        let over = "+++\ncode = \"1.1\"\nname = \"Khai sinh tại xã B\"\n+++\nRiêng.\n";
        check_edit(&mut e, "tinh/xa-b/kt.md", Some(over.into()));
        check_edit(&mut e, "tinh/xa-b/kt.md", None);
        check_edit(&mut e, "tinh/xa-a/new.md", None);
    }

    /// What a render keeps for the next is not used once the interface strings changed
    /// (documents show times and fees in words).
    #[test]
    fn kept_documents_follow_the_interface_strings() {
        let mut e = edited();
        let site = e.load();
        e.render(&site, None);
        e.theme
            .strings
            .insert("fee_free".into(), "Miễn phí hoàn toàn".into());
        let again = e.render(&site, None);
        e.forget_last_render();
        let fresh = e.render(&site, None);
        assert_eq!(again, fresh);
        let shared = String::from_utf8_lossy(&fresh["tim-kiem/idx/shared.js"]).into_owned();
        assert!(shared.contains("Miễn phí hoàn toàn"), "{shared}");
    }

    /// Without the theme, `dirty` keeps procedures without a sector apart; the theme
    /// names them "Chưa công bố", which a real sector may fold like: their ids can move
    /// while `dirty`'s do not, so then every file is rewritten.
    #[test]
    fn procedures_without_a_sector_are_placed_safely() {
        let mut e = edited();
        let unnamed = proc(
            "9.2",
            "Thủ tục chưa rõ lĩnh vực",
            "unpublished = [\"sector\"]",
        )
        .replace("sector = \"Hộ tịch\"\n", "");
        check_edit(&mut e, "tinh/xa-c/unnamed.md", Some(unnamed));
        // A procedure before it takes the sector its name folds like, then leaves it.
        for sector in ["Chưa công bố", "Thuỷ lợi", "chua cong bo", "Hộ tịch"] {
            let text = proc("8.1", "Hỗ trợ thuỷ lợi", "")
                .replace("sector = \"Hộ tịch\"", &format!("sector = \"{sector}\""));
            check_edit(&mut e, "tinh/xa-a/own.md", Some(text));
        }
    }
}
