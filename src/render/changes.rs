//! What changed on a unit's noticeboard since a date: the change sheets of
//! `niemyet pdf UNIT --since DATE` and the page `/<unit>/niem-yet/thay-doi/`.
//!
//! [`since`] is a pure function from the resolved site, a unit and a date to a plain
//! [`Changes`] value; the rule it applies is written in its doc comment and in
//! `docs/printing.md`. [`pack`] prints the changes with the noticeboard's own template
//! (`noticeboard.html` given a `change`: the change cover, the sheets to post and replace,
//! the danh mục when the list changed), so a sheet looks the same in both packs.
//! [`ChangesRenderer`] writes the page.

use super::noticeboard::{self, board_path, Pack};
use super::page::{base_context, render_bytes, PAGE_CAPACITY};
use super::view::{self, Link, UnitView};
use super::{root_prefix, RenderContext, RenderError, Renderer};
use crate::date::Date;
use crate::model::{Procedure, Status};
use crate::output::Output;
use crate::resolve::ResolvedSite;
use rayon::prelude::*;
use serde::Serialize;
use std::collections::{BTreeMap, HashSet};

/// What a change asks of the office.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    /// Niêm yết mới: post its sheets (new to the unit, or now in force).
    Post,
    /// Thay thế: take its old sheets down and post the new ones (amended).
    Replace,
    /// Gỡ bỏ: take its sheets down (repealed).
    TakeDown,
}

/// One procedure to post, replace or take down.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    pub kind: Kind,
    /// The day it took effect, was amended, or was repealed.
    #[serde(skip)]
    pub date: Date,
    pub code: String,
    pub name: String,
    /// The announcing decision (số quyết định công bố), when given.
    pub decision: Option<String>,
    /// For a repealed procedure, the code that replaces it.
    pub replaced_by: Option<String>,
    /// Its place in the unit's list of procedures (`ResolvedUnit::procedures`).
    #[serde(skip)]
    pub index: usize,
}

/// What changed on a unit's board between `since` and `today` (both included).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Changes {
    pub since: Date,
    pub today: Date,
    /// In the unit's order (sector, then code).
    pub post: Vec<Change>,
    pub replace: Vec<Change>,
    pub take_down: Vec<Change>,
}

impl Changes {
    pub fn is_empty(&self) -> bool {
        self.post.is_empty() && self.replace.is_empty() && self.take_down.is_empty()
    }

    /// Whether the danh mục itself changed: a row added (a procedure to post) or taken
    /// away (one to take down). An amendment alone leaves the list as it is: its sheets
    /// are replaced, the list is not reprinted (hundreds of sheets for a real commune).
    pub fn list_changed(&self) -> bool {
        !self.post.is_empty() || !self.take_down.is_empty()
    }

    /// The codes whose sheets are printed: those to post and to replace.
    pub fn printed(&self) -> HashSet<&str> {
        self.post
            .iter()
            .chain(&self.replace)
            .map(|c| c.code.as_str())
            .collect()
    }

    /// Every change, posts first, then replacements, then take-downs.
    pub fn all(&self) -> impl Iterator<Item = &Change> {
        self.post.iter().chain(&self.replace).chain(&self.take_down)
    }
}

/// A procedure's amendment date: `updated`, what its content says it was amended on
/// (never a file's modification time, which a copy, a checkout or a `touch` moves without
/// changing a word). [`Procedure::changed`] is the latest of this, `effective` and
/// `repealed`; [`since`] looks at those dates one by one because each makes a different
/// kind of change, and it agrees with `changed`: a procedure in force is listed exactly when its
/// `changed` date falls in the window.
pub fn change_date(p: &Procedure) -> Option<Date> {
    p.updated
}

/// What changed on unit `ui`'s board from `from` to the build's date, both included.
///
/// The rule, decided from each procedure's content (for an adopted catalogue entry, the
/// dates the province set in the catalogue, or the unit's own file over it):
///
/// - **to post** (niêm yết mới): in force today and its `effective` date in the window:
///   newly adopted or written, or announced earlier and now in force;
/// - **to replace** (thay thế): in force today, not to post, and its change date
///   ([`change_date`]: `updated`) in the window: amended (fees, times, documents, steps,
///   legal basis, office…);
/// - **to take down** (gỡ bỏ): its `repealed` date in the window (with `replaced_by`).
///
/// A procedure none of whose dates falls in the window is not listed, whatever happened
/// to its file: editing a file without changing its dates, or not editing it at all,
/// lists nothing. A date after the build's date is not in the window (an announced
/// procedure not yet in force is not posted; a repeal to come is not taken down yet).
pub fn since(site: &ResolvedSite, ui: usize, from: Date) -> Changes {
    let today = site.today;
    let within = |d: Option<Date>| d.is_some_and(|d| from <= d && d <= today);
    let mut ch = Changes {
        since: from,
        today,
        post: Vec::new(),
        replace: Vec::new(),
        take_down: Vec::new(),
    };
    for (index, pb) in site.units[ui].procedures.iter().enumerate() {
        let p = &pb.procedure;
        let change = |kind, date: Option<Date>| Change {
            kind,
            date: date.unwrap_or(today),
            code: p.code.clone(),
            name: p.title().to_owned(),
            decision: p.decision.as_deref().map(str::to_owned),
            replaced_by: p.replaced_by.clone(),
            index,
        };
        match pb.status {
            Status::Current if within(p.effective) => {
                ch.post.push(change(Kind::Post, p.effective));
            }
            Status::Current if within(change_date(p)) => {
                ch.replace.push(change(Kind::Replace, change_date(p)));
            }
            Status::Repealed if within(p.repealed) => {
                ch.take_down.push(change(Kind::TakeDown, p.repealed));
            }
            _ => {}
        }
    }
    ch
}

/// The last day something changed on unit `ui`'s board by the rule of [`since`]: the
/// latest `effective` of a procedure in force, change date of one in force, or `repealed`
/// of a repealed one, on or before the build's date. `since` from that day is not empty.
pub fn last_change(site: &ResolvedSite, ui: usize) -> Option<Date> {
    let today = site.today;
    site.units[ui]
        .procedures
        .iter()
        .flat_map(|pb| {
            let p = &pb.procedure;
            match pb.status {
                Status::Current => [p.effective, change_date(p)],
                Status::Repealed => [p.repealed, None],
                Status::Upcoming => [None, None],
            }
        })
        .flatten()
        .filter(|d| *d <= today)
        .max()
}

/// The same day a year before `d` (28 February for 29 February).
pub fn year_before(d: Date) -> Date {
    Date::new(d.year - 1, d.month, d.day)
        .or_else(|| Date::new(d.year - 1, d.month, 28))
        .unwrap_or(d)
}

/// The changes of the last 12 months ([`since`] from [`year_before`] the build's date),
/// grouped by the day they happened, newest first.
pub fn by_date(site: &ResolvedSite, ui: usize) -> Vec<Changes> {
    let year = since(site, ui, year_before(site.today));
    let mut days: BTreeMap<Date, Changes> = BTreeMap::new();
    for c in year.all() {
        let day = days.entry(c.date).or_insert_with(|| Changes {
            since: c.date,
            today: c.date,
            post: Vec::new(),
            replace: Vec::new(),
            take_down: Vec::new(),
        });
        match c.kind {
            Kind::Post => day.post.push(c.clone()),
            Kind::Replace => day.replace.push(c.clone()),
            Kind::TakeDown => day.take_down.push(c.clone()),
        }
    }
    days.into_values().rev().collect()
}

/// A line of a change list, as templates get it.
#[derive(Serialize)]
struct LineView {
    code: String,
    name: String,
    decision: Option<String>,
    replaced_by: Option<String>,
    /// The procedure's page, relative to the page showing the list.
    href: String,
    /// The replacing procedure's page on the same unit, when it has one.
    replaced_by_href: Option<String>,
    /// Its row number in the danh mục printed with it (posted and replaced ones).
    n: Option<usize>,
}

/// One of a change's three lists.
#[derive(Serialize)]
struct ListView {
    /// `post`, `replace` or `take-down`.
    kind: &'static str,
    lines: Vec<LineView>,
}

/// Changes as templates get them (`c` of `change_lists.html`; `change` of
/// `noticeboard.html`).
#[derive(Serialize)]
pub struct ChangesView {
    /// `DD/MM/YYYY`.
    since: String,
    since_iso: String,
    /// The anchor of a group on the change page.
    id: String,
    /// To post, to replace, to take down, in that order (each even when empty).
    lists: [ListView; 3],
    /// The danh mục is printed with the change sheets.
    list_changed: bool,
    /// How many procedures' sheets follow the cover.
    sheets: usize,
}

impl ChangesView {
    /// `numbers`: [`row_numbers`] of the unit.
    fn build(
        cx: &RenderContext,
        ui: usize,
        ch: &Changes,
        root: &str,
        numbers: &BTreeMap<usize, usize>,
    ) -> ChangesView {
        let u = &cx.site.units[ui];
        let line = |c: &Change| {
            let href =
                |code: &str| [root, &cx.link(&[u.unit.path.as_str(), "/", code].concat())].concat();
            LineView {
                code: c.code.clone(),
                name: c.name.clone(),
                decision: c.decision.clone(),
                replaced_by: c.replaced_by.clone(),
                href: href(&c.code),
                replaced_by_href: c
                    .replaced_by
                    .as_deref()
                    .filter(|r| cx.site.find(ui, r).is_some())
                    .map(href),
                n: numbers.get(&c.index).copied(),
            }
        };
        ChangesView {
            since: ch.since.vi(),
            since_iso: ch.since.iso(),
            id: ["d-", &ch.since.iso()].concat(),
            lists: [
                ListView {
                    kind: "post",
                    lines: ch.post.iter().map(line).collect(),
                },
                ListView {
                    kind: "replace",
                    lines: ch.replace.iter().map(line).collect(),
                },
                ListView {
                    kind: "take-down",
                    lines: ch.take_down.iter().map(line).collect(),
                },
            ],
            list_changed: ch.list_changed(),
            sheets: ch.post.len() + ch.replace.len(),
        }
    }
}

/// Row numbers in the danh mục of unit `ui`'s current procedures, by their place in its
/// list of procedures.
fn row_numbers(site: &ResolvedSite, ui: usize) -> BTreeMap<usize, usize> {
    site.units[ui]
        .procedures
        .iter()
        .enumerate()
        .filter(|(_, p)| p.status == Status::Current)
        .enumerate()
        .map(|(n, (i, _))| (i, n + 1))
        .collect()
}

/// The change pack of unit `ui`: the noticeboard pack (`noticeboard.html`) with the
/// change cover instead of the board's, the sheets of the procedures to post and replace
/// only (numbered as in the new danh mục), the danh mục when the list changed, and no
/// feedback sheet (it did not change). `None` when nothing changed.
pub fn pack(cx: &RenderContext, ui: usize, ch: &Changes) -> Result<Option<Pack>, RenderError> {
    if ch.is_empty() {
        return Ok(None);
    }
    let u = &cx.site.units[ui];
    let root = root_prefix(&board_path(&u.unit.path));
    let printed = ch.printed();
    let current: Vec<_> = u
        .procedures
        .iter()
        .filter(|p| p.status == Status::Current)
        .collect();
    // Every current procedure gives its row of the danh mục; only the changed ones have
    // their components rendered for their sheets.
    let sheets = super::par::try_map_init(
        current.par_iter().enumerate(),
        || (),
        |(), (i, pb)| {
            let place = view::place_of(&pb.procedure, u);
            let pv = cx.view(&pb.procedure);
            let body = if printed.contains(pb.procedure.code.as_str()) {
                cx.components(&pb.procedure, &pv, &root, &place)?.whole()
            } else {
                tera::Value::none()
            };
            Ok(noticeboard::sheet(cx, ui, i + 1, pb, &pv, &body))
        },
    )?;
    let change = ChangesView::build(cx, ui, ch, &root, &row_numbers(cx.site, ui));
    noticeboard::assemble_with(cx, ui, sheets, Some((&printed, &change))).map(Some)
}

/// The page `/<unit>/niem-yet/thay-doi/` of every unit that publishes or published a
/// procedure: its changes of the last 12 months by day.
pub struct ChangesRenderer;

/// The folder of a unit's change page.
pub fn changes_path(unit_path: &str) -> String {
    [&board_path(unit_path), "/", CHANGES].concat()
}

/// The page's folder under the board's ("thay đổi": changes).
const CHANGES: &str = "thay-doi";

impl ChangesRenderer {
    fn units(cx: &RenderContext) -> Vec<usize> {
        (0..cx.site.units.len())
            .filter(|&ui| !cx.site.units[ui].procedures.is_empty())
            .collect()
    }
}

impl Renderer for ChangesRenderer {
    fn name(&self) -> &'static str {
        "changes"
    }

    fn count(&self, cx: &RenderContext) -> u64 {
        Self::units(cx).len() as u64
    }

    fn outputs(&self, cx: &RenderContext) -> Option<Vec<String>> {
        Some(
            Self::units(cx)
                .into_iter()
                .map(|ui| changes_path(&cx.site.units[ui].unit.path) + "/index.html")
                .collect(),
        )
    }

    fn render(&self, cx: &RenderContext, out: &Output) -> Result<(), RenderError> {
        super::par::try_each(Self::units(cx).into_par_iter(), |ui| {
            let file = changes_path(&cx.site.units[ui].unit.path) + "/index.html";
            if !cx.wants(&file) {
                return Ok(());
            }
            let html = page(cx, ui)?;
            out.write(&file, &html)
                .map_err(|e| RenderError::io(file.clone(), e))?;
            cx.tick();
            Ok(())
        })
    }
}

/// The change page of unit `ui` (`changes.html`).
fn page(cx: &RenderContext, ui: usize) -> Result<Vec<u8>, RenderError> {
    let site = cx.site;
    let u = &site.units[ui];
    let path = changes_path(&u.unit.path);
    let root = root_prefix(&path);
    let numbers = row_numbers(site, ui);
    let groups: Vec<ChangesView> = by_date(site, ui)
        .iter()
        .map(|ch| ChangesView::build(cx, ui, ch, &root, &numbers))
        .collect();
    let unit_view = UnitView::build(site, u, &cx.md, |x| cx.link(x));
    let mut ctx = base_context(cx);
    ctx.insert("root", &root);
    ctx.insert("canonical", &cx.absolute(&path));
    ctx.insert(
        "crumbs",
        &[Link {
            name: u.unit.name.clone(),
            href: cx.link(&u.unit.path),
        }],
    );
    ctx.insert("unit", &unit_view);
    ctx.insert(
        "board_href",
        &noticeboard::has_board(cx, ui).then(|| cx.link(&board_path(&u.unit.path))),
    );
    ctx.insert("from", &year_before(site.today).vi());
    ctx.insert("groups", &groups);
    let file = format!("{path}/index.html");
    let html = render_bytes(cx, "changes.html", &ctx, &file, PAGE_CAPACITY)?;
    Ok(match &cx.opts.inject {
        Some(snippet) => super::page::inject_bytes(html, snippet),
        None => html,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_year_before_29_february_is_28_february() {
        let d = |y, m, d| Date::new(y, m, d).unwrap();
        assert_eq!(year_before(d(2028, 2, 29)), d(2027, 2, 28));
        assert_eq!(year_before(d(2026, 12, 7)), d(2025, 12, 7));
    }
}
