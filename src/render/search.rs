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
use crate::model::{Level, OnlineTier, Procedure, Status, Text};
use crate::output::Output;
use crate::resolve::{Origin, ResolvedSite};
use crate::text::{fold, fold_into};
use rayon::prelude::*;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::{Arc, Mutex};

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
    fn json(&self) -> String {
        // Serialising strings and numbers cannot fail.
        serde_json::to_string(self).unwrap_or_default()
    }
}

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

/// A procedure's place in the index, before its document is built.
#[derive(Debug, Clone, Copy)]
struct Entry<'a> {
    id: u32,
    procedure: &'a Arc<Procedure>,
    status: Status,
    sector: u32,
    /// The publishing unit, or -1 for a catalogue procedure.
    unit: i64,
}

impl Entry<'_> {
    /// What the entry's document is made of, but for the interface strings (the same
    /// between two updates of `serve`, or everything is rendered again): the same
    /// `Arc` is the same procedure text (see `serve::deps`).
    fn identity(&self) -> (usize, Status, u32, i64) {
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
struct Layout<'a> {
    units: Vec<SearchUnit>,
    sectors: Vec<String>,
    sets: Vec<Vec<u32>>,
    groups: Vec<(Vec<u32>, Vec<u32>)>,
    /// Catalogue procedures, each once, in code order; ids 0, 1, …
    shared: Vec<Entry<'a>>,
    /// Each unit's own procedures by unit index; ids follow the shared ones in this order.
    local: BTreeMap<usize, Vec<Entry<'a>>>,
    /// Some procedure has no sector.
    unnamed: bool,
}

impl<'a> Layout<'a> {
    /// The layout of `site`. Procedures without a sector are shown under `unpublished`
    /// (the theme's string) and share its sector id with any sector folding alike; with
    /// `None` (no theme at hand: [`dirty`]) they have a sector of their own, named "".
    fn new(site: &'a ResolvedSite, unpublished: Option<&str>) -> Layout<'a> {
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
            unnamed,
        }
    }

    /// Every entry in id order: the catalogue's, then each unit's own.
    fn entries(&self) -> Vec<&Entry<'a>> {
        self.shared
            .iter()
            .chain(self.local.values().flatten())
            .collect()
    }

    /// The index files (paths in the output) holding documents, with their ids.
    fn doc_files(&self) -> Vec<(String, Vec<u32>)> {
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
    fn outputs(&self) -> Vec<String> {
        let mut out = vec![PAGE.to_owned(), CATALOG.to_owned()];
        out.extend(self.doc_files().into_iter().map(|(path, _)| path));
        out
    }
}

/// The search page and the index file every other part depends on (they hold the build
/// id), as paths in the output.
const PAGE: &str = concat!(search_path!(), "/index.html");
const CATALOG: &str = concat!(search_path!(), "/idx/catalog.js");

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
    {
        out.insert(CATALOG.to_owned());
        out.insert(PAGE.to_owned());
    }
    reshaped
}

/// A word and its first sixteen bytes as a big-endian number, zero-padded: numbers
/// compare as the strings' starts do (a shorter start is smaller), so nearly every
/// comparison of a sort is one integer comparison: two words with the same number and
/// the same length of at most sixteen bytes are the same word, and only longer words
/// sharing their first sixteen bytes compare as strings.
#[derive(Clone, Copy)]
struct Word<'t> {
    key: u128,
    text: &'t str,
}

impl<'t> Word<'t> {
    fn new(text: &'t str) -> Word<'t> {
        Word::within(text, text.as_bytes())
    }

    /// The word `text`, which starts `rest`: sixteen bytes are read at once when `rest`
    /// has them (the bytes after the word masked off).
    fn within(text: &'t str, rest: &[u8]) -> Word<'t> {
        let key = match rest.first_chunk::<16>() {
            Some(chunk) if text.len() >= 16 => u128::from_be_bytes(*chunk),
            Some(chunk) => u128::from_be_bytes(*chunk) & !(u128::MAX >> (8 * text.len())),
            None => text
                .bytes()
                .take(16)
                .enumerate()
                .fold(0, |k, (i, b)| k | (u128::from(b) << (8 * (15 - i)))),
        };
        Word { key, text }
    }
}

impl Ord for Word<'_> {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.key.cmp(&other.key).then_with(|| {
            if self.text.len() == other.text.len() && self.text.len() <= 16 {
                std::cmp::Ordering::Equal
            } else {
                self.text.cmp(other.text)
            }
        })
    }
}

impl PartialOrd for Word<'_> {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for Word<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other).is_eq()
    }
}

impl Eq for Word<'_> {}

/// The distinct words of a text, in order of first appearance: an open-addressing table
/// of indices into the list, at most half full. Most words of a procedure recur; a lookup
/// is a multiply and usually one comparison of integers.
struct WordSet<'t> {
    words: Vec<Word<'t>>,
    /// 0: free; else the index in `words` plus one.
    slots: Vec<u32>,
    shift: u32,
}

impl<'t> WordSet<'t> {
    /// A set for the words of a text of `len` bytes, sized for a sixteenth of it in
    /// distinct words (a procedure has about that) and doubled when half full: sized for
    /// every word to be distinct, the zeroed table was 650 MB of writes at the 20k
    /// benchmark.
    fn for_text(len: usize) -> WordSet<'t> {
        let slots = (len / 8 + 16).next_power_of_two();
        WordSet {
            words: Vec::with_capacity(len / 16 + 16),
            slots: vec![0; slots],
            shift: 64 - slots.trailing_zeros(),
        }
    }

    /// Where the search for `w` starts in a table of `64 - shift` bits.
    fn slot_of(shift: u32, w: &Word) -> usize {
        let mixed = (w.key as u64) ^ ((w.key >> 64) as u64).rotate_left(23) ^ w.text.len() as u64;
        (mixed.wrapping_mul(0x9e37_79b9_7f4a_7c15) >> shift) as usize
    }

    // Inlined into the loop over a text's words (called from two places, it was not).
    #[inline(always)]
    fn insert(&mut self, w: Word<'t>) {
        let mask = self.slots.len() - 1;
        let mut i = Self::slot_of(self.shift, &w);
        loop {
            match self.slots[i] {
                0 => {
                    self.words.push(w);
                    self.slots[i] = self.words.len() as u32;
                    if 2 * self.words.len() > self.slots.len() {
                        self.grow();
                    }
                    return;
                }
                n if self.words[n as usize - 1] == w => return,
                _ => i = (i + 1) & mask,
            }
        }
    }

    /// Doubles the table and places every word again.
    fn grow(&mut self) {
        let len = self.slots.len() * 2;
        self.slots = vec![0; len];
        self.shift = 64 - len.trailing_zeros();
        let mask = len - 1;
        for (n, w) in self.words.iter().enumerate() {
            let mut i = Self::slot_of(self.shift, w);
            while self.slots[i] != 0 {
                i = (i + 1) & mask;
            }
            self.slots[i] = n as u32 + 1;
        }
    }
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
struct DocCache {
    strings: BTreeMap<String, String>,
    docs: HashMap<DocKey, (Arc<Procedure>, Arc<str>)>,
}

type DocKey = ((usize, Status, u32, i64), u32);

/// What the search renderer keeps from one render for the next (see [`DocCache`] and
/// [`AzCache`]); empty in a build, carried between `serve`'s updates.
#[derive(Default)]
pub struct SearchKept {
    docs: Option<DocCache>,
    az: Option<AzCache>,
}

impl DocCache {
    /// The JSON of every entry, in their order, from the last render's where it holds
    /// them; keeps this render's for the next.
    fn documents(cx: &RenderContext, entries: &[&Entry]) -> Vec<Arc<str>> {
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

/// Appends to `words` the words of a folded text worth indexing: one letter says
/// nothing, nor do day and month numbers; years, law numbers and codes do. The words are
/// those of [`tokens`], found by bytes (space and dot are ASCII): each word's end is the
/// next space, looked for eight bytes at a time ([`next_space`]).
fn index_words<'t>(folded: &'t str, mut add: impl FnMut(Word<'t>)) {
    let bytes = folded.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        // A piece up to the next space, without its leading and trailing dots.
        while bytes.get(i) == Some(&b'.') {
            i += 1;
        }
        let from = i;
        let end = next_space(bytes, i);
        let mut to = end;
        while to > from && bytes[to - 1] == b'.' {
            to -= 1;
        }
        i = end + 1;
        let Some(w) = folded.get(from..to) else {
            continue;
        };
        let keep = if w.bytes().all(|b| b.is_ascii_digit()) {
            w.len() > 2
        } else {
            // More than one character (one is at most four bytes).
            w.len() > 4 || (w.len() > 1 && w.chars().nth(1).is_some())
        };
        if keep {
            add(Word::within(w, &bytes[from..]));
        }
    }
}

/// The index of the first space in `bytes` from `i` on (`bytes.len()` if none), eight
/// bytes at a time: a folded Vietnamese word is a syllable of two to seven letters, and
/// byte by byte the search was most of the time spent finding words.
fn next_space(bytes: &[u8], mut i: usize) -> usize {
    const ONES: u64 = u64::from_ne_bytes([0x01; 8]);
    const HIGH: u64 = u64::from_ne_bytes([0x80; 8]);
    const SPACES: u64 = u64::from_ne_bytes([b' '; 8]);
    while let Some(chunk) = bytes.get(i..).and_then(|rest| rest.first_chunk::<8>()) {
        // Zero where a byte is a space; the lowest byte flagged is the first zero (a
        // borrow only runs upwards, past a zero byte).
        let x = u64::from_le_bytes(*chunk) ^ SPACES;
        let zero = x.wrapping_sub(ONES) & !x & HIGH;
        if zero != 0 {
            return i + (zero.trailing_zeros() / 8) as usize;
        }
        i += 8;
    }
    bytes[i.min(bytes.len())..]
        .iter()
        .position(|&b| b == b' ')
        .map_or(bytes.len(), |k| i + k)
}

/// Every folded word of a procedure's text other than name and keywords (`own`):
/// distinct, sorted, joined by spaces.
///
/// All texts are folded into one buffer, a space between them (a fold neither starts nor
/// ends with a space or dot, so the words are those of each text), and the words are
/// slices of it, sorted and deduplicated: no string per text or per word.
fn body_words(p: &Procedure, own: &[Word], folds: &FoldMemo) -> String {
    let mut texts: Vec<&Text> = Vec::new();
    texts.extend(&p.sector);
    texts.extend(&p.applicants);
    texts.extend(&p.agency);
    texts.extend(&p.authority);
    texts.extend(&p.place);
    texts.extend(&p.result);
    texts.extend(&p.requirements);
    texts.extend(&p.legal_basis);
    texts.extend(&p.decision);
    texts.extend(&p.procedure_type);
    texts.extend(&p.description);
    for c in &p.dossier {
        texts.extend(&c.case);
        texts.extend(c.items.iter().map(|i| &i.name));
    }
    texts.extend(p.forms.iter().map(|f| &f.name));
    let steps = p.steps.as_deref().unwrap_or_default();
    let len = texts.iter().map(|t| t.len() + 1).sum::<usize>() + steps.len();
    let mut folded = String::with_capacity(len);
    for t in texts {
        if !folded.is_empty() {
            folded.push(' ');
        }
        folds.fold_into(t, &mut folded);
    }
    if !steps.is_empty() {
        if !folded.is_empty() {
            folded.push(' ');
        }
        fold_into(steps, &mut folded);
    }
    // Most words recur (a procedure's texts repeat its terms): deduplicate, then sort.
    // The words of name and keywords go in first, so the texts' own copies of them are
    // found there and not kept again; they are left out below.
    let mut distinct = WordSet::for_text(folded.len() + own.len() * 16);
    for w in own {
        distinct.insert(*w);
    }
    let owned = distinct.words.len();
    index_words(&folded, |w| distinct.insert(w));
    let words = distinct.words.get(owned..).unwrap_or_default();
    // Each word and a space (the last one dropped), and room for the sixteen bytes each
    // short word is written with.
    let mut out: Vec<u8> =
        Vec::with_capacity(words.iter().map(|w| w.text.len() + 1).sum::<usize>() + 16);
    // A word of at most sixteen bytes is its key (no word holds a zero byte, so the key's
    // padding cannot be read as part of one): those are sorted as integers, half the bytes
    // of a `Word` to move, one comparison each (sorting words was 4 % of a 20k build's
    // instructions, this takes half). The few longer words are sorted as words and merged
    // in: a short word comes before a long one with the same key, which it starts.
    let mut short: Vec<u128> = Vec::with_capacity(words.len());
    let mut long: Vec<Word> = Vec::new();
    for w in words {
        if w.text.len() <= 16 {
            short.push(w.key);
        } else {
            long.push(*w);
        }
    }
    short.sort_unstable();
    long.sort_unstable();
    let mut long = long.into_iter().peekable();
    for key in short {
        while let Some(w) = long.next_if(|w| w.key < key) {
            out.extend_from_slice(w.text.as_bytes());
            out.push(b' ');
        }
        // All sixteen bytes of the key, then its padding cut off: a copy of known length,
        // not a call to `memcpy` for a few bytes.
        let padding = (key.trailing_zeros() / 8) as usize;
        out.extend_from_slice(&key.to_be_bytes());
        out.truncate(out.len() - padding);
        out.push(b' ');
    }
    for w in long {
        out.extend_from_slice(w.text.as_bytes());
        out.push(b' ');
    }
    out.pop();
    // Whole words of a string, each a slice at character boundaries (a short word's key
    // holds all of its bytes), joined by spaces: UTF-8.
    String::from_utf8(out).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// Folds of the short texts procedures share (an agency, a decree, a document to bring:
/// interned when the site was loaded, one `Arc` each), made once per text instead of
/// once per procedure naming it; by the text's address, its `Arc` kept so the address
/// cannot be taken by another text meanwhile. Sharded like the load's text pool.
pub(crate) struct FoldMemo {
    shards: Box<[Mutex<FoldShard>]>,
}

/// Folds by the address of their text (the text kept alongside).
type FoldShard = hashbrown::HashMap<usize, (Text, Box<str>)>;

impl FoldMemo {
    /// Shards: a power of two, well above the thread count.
    const SHARDS: usize = 64;
    /// Longer texts are not interned (`content::pool`), so not shared either.
    const MAX_LEN: usize = 1024;

    pub(crate) fn new() -> FoldMemo {
        FoldMemo {
            shards: (0..Self::SHARDS).map(|_| Mutex::default()).collect(),
        }
    }

    /// [`fold_into`] of `t`, from the memo when `t` was folded before.
    fn fold_into(&self, t: &Text, out: &mut String) {
        if t.len() > Self::MAX_LEN {
            return fold_into(t, out);
        }
        let key = Arc::as_ptr(t).cast::<u8>() as usize;
        // Allocations are 8-aligned: the bits above pick the shard.
        let shard = &self.shards[(key >> 3) & (Self::SHARDS - 1)];
        // A poisoned shard only means another thread panicked; its entries are whole.
        if let Some((_, f)) = shard.lock().unwrap_or_else(|e| e.into_inner()).get(&key) {
            out.push_str(f);
            return;
        }
        let start = out.len();
        fold_into(t, out);
        let f: Box<str> = out[start..].into();
        shard
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(key, (Arc::clone(t), f));
    }
}

/// The document of one entry.
fn document(cx: &RenderContext, e: &Entry, folds: &FoldMemo) -> SearchDoc {
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
        }
    }

    /// `idx/catalog.js`: units, sectors, adoption sets, and which sets each group of
    /// catalogue documents (`idx/c/<n>.js`) serves. No documents: those come by scope.
    pub fn catalog_js(&self, build: &str) -> String {
        catalog_js(&self.units, &self.sectors, &self.sets, &self.groups, build)
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
fn catalog_js(
    units: &[SearchUnit],
    sectors: &[String],
    sets: &[Vec<u32>],
    groups: &[(Vec<u32>, Vec<u32>)],
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
        docs: [u8; 0],
    }
    script(&Part {
        build,
        units,
        sectors,
        sets,
        groups: groups.iter().map(|(s, _)| s.as_slice()).collect(),
        group_sizes: groups.iter().map(|(_, d)| d.len()).collect(),
        docs: [],
    })
}

/// A part of documents from their JSON, in the pieces to write one after the other: byte
/// for byte what [`SearchIndex::docs_js`] writes (serde_json's compact arrays: elements
/// joined by commas). Each document is serialised once, though it appears in two files.
fn docs_part<'a>(
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

/// The file of a unit's own documents, relative to the search page.
pub fn unit_file(path: &str) -> String {
    format!("idx/u/{}.js", path.replace('/', "."))
}

fn script<T: Serialize>(part: &T) -> String {
    // Serialising plain strings and numbers cannot fail; an empty part is still valid JS.
    let json = serde_json::to_string(part).unwrap_or_else(|_| "{}".into());
    format!("NIEMYET_SEARCH.add({json});\n")
}

/// A short build id, so browsers refetch the index after a rebuild: FNV-1a over the
/// parts eight bytes at a time (byte by byte, it was a multiplication per byte of the
/// 23 MB of a 20,000-procedure index, on one thread). Fed piece by piece: the id of the
/// parts in a row without joining them; the same pieces give the same id.
struct BuildId(u64);

impl BuildId {
    fn new() -> BuildId {
        BuildId(0xcbf29ce484222325)
    }

    fn feed(&mut self, bytes: &[u8]) {
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

    fn finish(&self) -> String {
        format!("{:08x}", self.0 >> 32)
    }
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
/// Sectors come in the order of their folded names, each named as its first code spells
/// it; a sector is folded once per spelling, and the rows sorted once.
fn a_to_z(cx: &RenderContext, site: &ResolvedSite) -> Vec<AzSector> {
    // (folded name, name shown) of each sector, and its index by folded name and spelling.
    let mut sectors: Vec<(String, String)> = Vec::new();
    let mut by_key: HashMap<String, usize> = HashMap::new();
    let mut spelled: HashMap<&str, usize> = HashMap::new();
    // (sector, folded name and code, entry)
    let mut rows: Vec<(usize, String, AzEntry)> = Vec::with_capacity(site.by_code.len());
    for (code, places) in &site.by_code {
        let mut live = places
            .iter()
            .filter(|(ui, pi)| site.units[*ui].procedures[*pi].status != Status::Repealed);
        let Some(&(ui, pi)) = live.next() else {
            continue;
        };
        let units = 1 + live.count();
        let p = &site.units[ui].procedures[pi].procedure;
        let spelling = p.sector.as_deref().unwrap_or(&cx.lex.unpublished);
        let sector = match spelled.get(spelling) {
            Some(&i) => i,
            None => {
                let key = fold(spelling);
                let i = *by_key.entry(key.clone()).or_insert_with(|| {
                    sectors.push((key, spelling.to_owned()));
                    sectors.len() - 1
                });
                spelled.insert(spelling, i);
                i
            }
        };
        let mut sort = fold(p.title());
        sort.push(' ');
        sort.push_str(code);
        rows.push((
            sector,
            sort,
            AzEntry {
                code: code.clone(),
                name: p.title().to_owned(),
                href: cx.link(&format!("tthc/{code}")),
                units,
            },
        ));
    }
    let mut order: Vec<usize> = (0..sectors.len()).collect();
    order.sort_unstable_by(|a, b| sectors[*a].0.cmp(&sectors[*b].0));
    let mut rank = vec![0; sectors.len()];
    for (r, s) in order.iter().enumerate() {
        rank[*s] = r;
    }
    rows.sort_unstable_by(|a, b| rank[a.0].cmp(&rank[b.0]).then_with(|| a.1.cmp(&b.1)));
    let mut names: Vec<Option<String>> = sectors.into_iter().map(|(_, n)| Some(n)).collect();
    let mut out: Vec<AzSector> = Vec::with_capacity(names.len());
    let mut current = None;
    for (sector, _, entry) in rows {
        if current != Some(sector) {
            current = Some(sector);
            out.push(AzSector {
                name: names[sector].take().unwrap_or_default(),
                procedures: Vec::new(),
            });
        }
        if let Some(last) = out.last_mut() {
            last.procedures.push(entry);
        }
    }
    out
}

/// The A–Z of the last search page rendered, as the template's value, kept for the next
/// page: every update of `serve` renders the page again (it carries the build id), but
/// the A–Z changes only when a code's title, sector or number of units does; building
/// it and turning it into a template value is most of the page's cost at 20,000 codes.
/// Kept in [`SearchKept`], as [`DocCache`] is.
struct AzCache {
    key: AzKey,
    value: tera::Value,
}

/// What the A–Z is made of: for each code published and not repealed, the procedure
/// shown (code, title, sector) and how many units publish it; the name of procedures
/// without a sector; the form of links.
struct AzKey {
    /// (procedure shown, number of units), in code order. The key holds the `Arc`s, so
    /// an address cannot be reused by another procedure while the key lives.
    rows: Vec<(Arc<Procedure>, usize)>,
    unpublished: String,
    file_links: bool,
}

impl PartialEq for AzKey {
    fn eq(&self, other: &Self) -> bool {
        // An edit gives the edited procedure a new `Arc`, mostly with the same title and
        // sector: those are compared when the `Arc`s differ.
        let same = |(a, n): &(Arc<Procedure>, usize), (b, m): &(Arc<Procedure>, usize)| {
            n == m
                && (Arc::ptr_eq(a, b)
                    || (a.code == b.code && a.title() == b.title() && a.sector == b.sector))
        };
        self.unpublished == other.unpublished
            && self.file_links == other.file_links
            && self.rows.len() == other.rows.len()
            && self.rows.iter().zip(&other.rows).all(|(a, b)| same(a, b))
    }
}

impl AzCache {
    /// The A–Z of `cx`'s site as a template value: the last one if made of the same.
    fn take(cx: &RenderContext) -> Result<(AzKey, tera::Value), RenderError> {
        let site = cx.site;
        let mut rows = Vec::with_capacity(site.by_code.len());
        for places in site.by_code.values() {
            let mut live = places
                .iter()
                .filter(|(ui, pi)| site.units[*ui].procedures[*pi].status != Status::Repealed);
            if let Some(&(ui, pi)) = live.next() {
                let p = &site.units[ui].procedures[pi].procedure;
                rows.push((Arc::clone(p), 1 + live.count()));
            }
        }
        let key = AzKey {
            rows,
            unpublished: cx.lex.unpublished.clone(),
            file_links: cx.opts.file_links,
        };
        let last = cx
            .search_kept
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .az
            .take();
        if let Some(c) = last.filter(|c| c.key == key) {
            return Ok((key, c.value));
        }
        let value =
            tera::Value::try_from_serializable(&a_to_z(cx, site)).map_err(|e| RenderError {
                what: PAGE.into(),
                message: e.to_string(),
            })?;
        Ok((key, value))
    }

    /// Keeps the A–Z given to the template for the next page.
    fn keep(cx: &RenderContext, key: AzKey, value: Option<tera::Value>) {
        if let Some(value) = value {
            cx.search_kept.lock().unwrap_or_else(|e| e.into_inner()).az =
                Some(AzCache { key, value });
        }
    }
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
        let catalog = |build: &str| {
            catalog_js(
                &layout.units,
                &layout.sectors,
                &layout.sets,
                &layout.groups,
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
    use crate::render::RenderOptions;
    use std::collections::BTreeSet;

    /// The body's words come out as the distinct words of its texts in string order,
    /// without name and keywords: words of sixteen bytes and fewer (sorted as keys), longer
    /// ones sharing their first sixteen bytes with each other and with a shorter word (sorted
    /// as words and merged in), digits and dots, and words of another script.
    #[test]
    fn body_words_are_the_distinct_words_in_string_order() {
        let steps = "chungthucbansaoa chungthucbansao chungthucbansaoab chungthucbansaoaa \
            chungthucbansaoz chungthucbansaob 1.001234 10.5 zz ab abc đăng ký khai sinh \
            chungthucbansao. xa 2025 chungthucbansaoa qwertyuiopasdfgh qwertyuiopasdfghj a \
            Ωμέγα ωμεγαωμεγαωμεγα";
        let text = format!(
            "+++\ncode = \"1.000001\"\nname = \"Đăng ký khai sinh\"\nkeywords = [\"xa\"]\n+++\n{steps}\n"
        );
        let (p, diags) = crate::content::parse_procedure_text(std::path::Path::new("p.md"), &text);
        let p = p.unwrap_or_else(|| panic!("{diags:?}"));
        let name = fold(p.title());
        let kw = fold(&p.keywords.join(" "));
        let own: Vec<Word> = tokens(&name).chain(tokens(&kw)).map(Word::new).collect();
        let body = body_words(&p, &own, &FoldMemo::new());
        // The reference: every kept word of the folded texts, as strings.
        let folded = fold(steps);
        let mut want = BTreeSet::new();
        index_words(&folded, |w| {
            want.insert(w.text);
        });
        for o in &own {
            want.remove(o.text);
        }
        let want: Vec<&str> = want.into_iter().collect();
        assert_eq!(body, want.join(" "));
        assert!(
            body.contains("chungthucbansao chungthucbansaoa chungthucbansaoaa"),
            "{body}"
        );
        assert!(!body.split(' ').any(|w| w == "dang" || w == "xa"), "{body}");
        assert!(body.ends_with("ωμεγα ωμεγαωμεγαωμεγα"), "{body}");
    }

    /// The words found by bytes, eight at a time, are those of `tokens` (the client's
    /// split) that say something: wherever the spaces and dots fall in a word of eight
    /// bytes, and at the end of the text.
    #[test]
    fn index_words_are_the_kept_tokens_wherever_the_spaces_fall() {
        let kept = |t: &&str| {
            if t.bytes().all(|b| b.is_ascii_digit()) {
                t.len() > 2
            } else {
                t.chars().count() > 1
            }
        };
        let words = [
            "a",
            "ab",
            "abc",
            "thutuc",
            "1.001234",
            ".x.",
            "..",
            "12",
            "2025",
            "ωμ",
            "đ",
            "hanhchinhcongxa",
            "q.",
        ];
        let mut texts = Vec::new();
        for lead in 0..9 {
            for (i, w) in words.iter().enumerate() {
                let next = words[(i + 3) % words.len()];
                texts.push(format!("{}{w} {next}", "x ".repeat(lead)));
                texts.push(format!("{}{w}  {next}.", "y".repeat(lead)));
                texts.push(format!("{w}{}", " ab".repeat(lead)));
            }
        }
        for text in &texts {
            let mut got = Vec::new();
            index_words(text, |w| got.push(w.text));
            let want: Vec<&str> = tokens(text).filter(kept).collect();
            assert_eq!(got, want, "{text:?}");
        }
    }

    /// The set starts small and doubles: from one word to many thousands of distinct
    /// ones (long ones sharing their first sixteen bytes too), each is kept once, in
    /// order of first appearance, whatever the text's length said to expect.
    #[test]
    fn the_word_set_keeps_each_distinct_word_once_as_it_grows() {
        for distinct in [1usize, 7, 100, 1_000, 20_000] {
            let words: Vec<String> = (0..distinct)
                .map(|i| match i % 3 {
                    0 => format!("w{i}"),
                    1 => format!("thutuchanhchinhso{i}"),
                    _ => format!("{}", 100 + i),
                })
                .collect();
            // Each word three times, the text read with a length hint far too small.
            let text = [words.join(" "), words.join(" "), words.join(" ")].join(" ");
            let mut set = WordSet::for_text(text.len() / 64);
            index_words(&text, |w| set.insert(w));
            let got: Vec<&str> = set.words.iter().map(|w| w.text).collect();
            let want: Vec<&str> = words.iter().map(String::as_str).collect();
            assert_eq!(got, want, "{distinct} distinct words");
        }
    }

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
