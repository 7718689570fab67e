//! The index without its documents: which procedure has which id, the sectors, units,
//! adoption sets and groups of catalogue documents, and the files they make.

use super::{SearchRepealed, SearchUnit, CATALOG, PAGE, SEARCH_PATH};
use crate::model::{Level, Procedure, Status};
use crate::resolve::{Origin, ResolvedSite};
use crate::text::fold;
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

pub(super) fn level_bit(l: Level) -> u8 {
    match l {
        Level::TrungUong => 1,
        Level::Tinh => 2,
        Level::Huyen => 4,
        Level::Xa => 8,
    }
}

/// A procedure's place in the index, before its document is built.
#[derive(Debug, Clone, Copy)]
pub(super) struct Entry<'a> {
    pub(super) id: u32,
    pub(super) procedure: &'a Arc<Procedure>,
    pub(super) status: Status,
    pub(super) sector: u32,
    /// The publishing unit, or -1 for a catalogue procedure.
    pub(super) unit: i64,
}

impl Entry<'_> {
    /// What the entry's document is made of, but for the interface strings (the same
    /// between two updates of `serve`, or everything is rendered again): the same
    /// `Arc` is the same procedure text (see `serve::deps`).
    pub(super) fn identity(&self) -> (usize, Status, u32, i64) {
        (
            Arc::as_ptr(self.procedure) as usize,
            self.status,
            self.sector,
            self.unit,
        )
    }
}

/// The index without its documents: which procedure has which id, the sectors, units,
/// adoption sets and groups. Cheap (of the texts only sectors are folded, once per
/// distinct spelling), so `count`, `outputs` and `serve`'s [`dirty`] use it without
/// folding every procedure, and documents can then be built in parallel, each knowing
/// its ids.
pub(super) struct Layout<'a> {
    pub(super) units: Vec<SearchUnit>,
    pub(super) sectors: Vec<String>,
    pub(super) sets: Vec<Vec<u32>>,
    pub(super) groups: Vec<(Vec<u32>, Vec<u32>)>,
    /// Catalogue procedures, each once, in code order; ids 0, 1, …
    pub(super) shared: Vec<Entry<'a>>,
    /// Each unit's own procedures by unit index; ids follow the shared ones in this order.
    pub(super) local: BTreeMap<usize, Vec<Entry<'a>>>,
    /// Repealed procedures, found by their code only: the catalogue's once (unit -1),
    /// then units' own, in the units' order.
    pub(super) repealed: Vec<SearchRepealed>,
    /// Some procedure has no sector.
    pub(super) unnamed: bool,
}

impl<'a> Layout<'a> {
    /// The layout of `site`. Procedures without a sector are shown under `unpublished`
    /// (the theme's string) and share its sector id with any sector folding alike; with
    /// `None` (no theme at hand: [`dirty`]) they have a sector of their own, named "".
    pub(super) fn new(site: &'a ResolvedSite, unpublished: Option<&str>) -> Layout<'a> {
        let mut sectors: Vec<String> = Vec::new();
        // Sector ids by folded name; `None`: the unpublished sector without a theme.
        let mut sector_ids: HashMap<Option<String>, u32> = HashMap::new();
        // Sectors are spelled alike by most procedures: fold each spelling once.
        let mut spelled: HashMap<Option<&'a str>, u32> = HashMap::new();
        let mut unnamed = false;
        let mut sector_of = |p: &'a Procedure| -> u32 {
            unnamed |= p.sector.is_none();
            let spelling = p.sector.as_deref();
            if let Some(&id) = spelled.get(&spelling) {
                return id;
            }
            let shown = spelling.or(unpublished);
            let id = *sector_ids.entry(shown.map(fold)).or_insert_with(|| {
                sectors.push(shown.unwrap_or_default().to_owned());
                (sectors.len() - 1) as u32
            });
            spelled.insert(spelling, id);
            id
        };

        // Catalogue procedures, each once, in code order.
        let mut shared_ids: HashMap<usize, u32> = HashMap::new();
        let mut shared_procs: BTreeMap<&str, (&'a Arc<Procedure>, Status)> = BTreeMap::new();
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
            shared.push(Entry {
                id,
                procedure: p,
                status,
                sector: sector_of(p),
                unit: -1,
            });
        }

        let mut next = shared.len() as u32;
        let mut sets: Vec<Vec<u32>> = Vec::new();
        let mut set_ids: HashMap<Vec<u32>, i64> = HashMap::new();
        let mut units = Vec::with_capacity(site.units.len());
        let mut local: BTreeMap<usize, Vec<Entry>> = BTreeMap::new();
        let mut repealed = Vec::new();
        let mut repealed_codes = std::collections::HashSet::new();
        for (ui, u) in site.units.iter().enumerate() {
            let mut adopted: Vec<u32> = Vec::new();
            let mut own = Vec::new();
            for pb in &u.procedures {
                if pb.status == Status::Repealed {
                    let p = &pb.procedure;
                    let catalogue = pb.origin == Origin::Catalog;
                    if !catalogue || repealed_codes.insert(p.code.as_str()) {
                        repealed.push(SearchRepealed(
                            p.code.clone(),
                            p.title().to_owned(),
                            sector_of(p),
                            if catalogue { -1 } else { ui as i64 },
                            p.repealed.map(|d| d.vi()).unwrap_or_default(),
                            p.replaced_by.clone().unwrap_or_default(),
                        ));
                    }
                    continue;
                }
                match shared_ids.get(&(Arc::as_ptr(&pb.procedure) as usize)) {
                    Some(&id) if pb.origin == Origin::Catalog => adopted.push(id),
                    _ => {
                        own.push(Entry {
                            id: next,
                            procedure: &pb.procedure,
                            status: pb.status,
                            sector: sector_of(&pb.procedure),
                            unit: ui as i64,
                        });
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
                .filter(|(_, s)| s.binary_search(&d.id).is_ok())
                .map(|(i, _)| i as u32)
                .collect();
            by_sets.entry(holders).or_default().push(d.id);
        }
        Layout {
            units,
            sectors,
            sets,
            groups: by_sets.into_iter().collect(),
            shared,
            local,
            repealed,
            unnamed,
        }
    }

    /// Every entry in id order: the catalogue's, then each unit's own.
    pub(super) fn entries(&self) -> Vec<&Entry<'a>> {
        self.shared
            .iter()
            .chain(self.local.values().flatten())
            .collect()
    }

    /// The index files (paths in the output) holding documents, with their ids.
    pub(super) fn doc_files(&self) -> Vec<(String, Vec<u32>)> {
        let local_ids = |list: &mut dyn Iterator<Item = &Entry>| list.map(|e| e.id).collect();
        let mut files = vec![
            (
                format!("{SEARCH_PATH}/idx/shared.js"),
                self.shared.iter().map(|e| e.id).collect(),
            ),
            (
                format!("{SEARCH_PATH}/idx/local.js"),
                local_ids(&mut self.local.values().flatten()),
            ),
        ];
        for (g, (_, ids)) in self.groups.iter().enumerate() {
            files.push((format!("{SEARCH_PATH}/idx/c/{g}.js"), ids.clone()));
        }
        for (ui, entries) in &self.local {
            let path = self.units.get(*ui).map_or("", |u| u.0.as_str());
            files.push((
                format!("{SEARCH_PATH}/{}", unit_file(path)),
                local_ids(&mut entries.iter()),
            ));
        }
        files
    }

    /// Every output: the page, `catalog.js` and the files of documents.
    pub(super) fn outputs(&self) -> Vec<String> {
        let mut out = vec![PAGE.to_owned(), CATALOG.to_owned()];
        out.extend(self.doc_files().into_iter().map(|(path, _)| path));
        out
    }
}

/// The file of a unit's own documents, relative to the search page.
pub fn unit_file(path: &str) -> String {
    format!("idx/u/{}.js", path.replace('/', "."))
}
