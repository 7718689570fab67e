//! The noticeboard print pack (bảng niêm yết): `/<unit>/niem-yet/`, one HTML page that
//! prints on A4 as the whole board of a one-stop desk, meeting the duty to publish at the
//! office itself (Decree 63/2010, art. 8): a cover sheet, the danh mục, every current
//! procedure on its own sheets with its forms after it, and the feedback notice.
//!
//! Procedures are laid out by the same template as their web pages (`components.html`,
//! rendered once for both, see [`RenderContext::components`]), so the order of the
//! decree's components is defined once. A build renders each procedure's sheets
//! (`sheet.html`, [`sheet`]) as it renders its page, and [`assemble`] puts the pack
//! together; [`pack`] does the whole for `niemyet pdf` and `serve`. Every sheet gets a running footer (unit,
//! procedure code, decision, print date, page x / y) and a procedure's sheets its QR
//! code, through CSS named pages and `@page` margin boxes (see the template).

use super::page::{base_context, inject_bytes, render_bytes, PAGE_CAPACITY};
use super::view::{self, Link, ProcView, SectorGroup, UnitView};
use super::{root_prefix, RenderContext, RenderError, Renderer};
use crate::model::Status;
use crate::output::Output;
use crate::resolve::Origin;
use rayon::prelude::*;
use serde::Serialize;

/// The folder of a unit's print pack, under the unit's own address.
pub fn board_path(unit_path: &str) -> String {
    [unit_path.trim_matches('/'), "/", BOARD].concat()
}

/// The file of a unit's print pack (what `pack` writes).
pub fn board_file(unit_path: &str) -> String {
    [unit_path.trim_matches('/'), "/", BOARD, "/index.html"].concat()
}

/// The name of a pack's folder ("niêm yết": posted up).
const BOARD: &str = "niem-yet";

/// The packs by themselves, when [`super::RenderOptions::boards_apart`] (else the HTML
/// renderer writes each with its unit's pages, and this one writes nothing).
pub struct NoticeboardRenderer;

impl NoticeboardRenderer {
    fn units(cx: &RenderContext) -> Vec<usize> {
        if !cx.opts.boards_apart {
            return Vec::new();
        }
        (0..cx.site.units.len())
            .filter(|&ui| has_board(cx, ui))
            .collect()
    }
}

impl Renderer for NoticeboardRenderer {
    fn name(&self) -> &'static str {
        "noticeboard"
    }

    fn count(&self, cx: &RenderContext) -> u64 {
        Self::units(cx).len() as u64
    }

    fn outputs(&self, cx: &RenderContext) -> Option<Vec<String>> {
        Some(
            Self::units(cx)
                .into_iter()
                .map(|ui| board_file(&cx.site.units[ui].unit.path))
                .collect(),
        )
    }

    fn render(&self, cx: &RenderContext, out: &Output) -> Result<(), RenderError> {
        super::par::try_each(Self::units(cx).into_par_iter(), |ui| {
            if !cx.wants(&board_file(&cx.site.units[ui].unit.path)) {
                return Ok(());
            }
            let Some(pack) = pack(cx, ui)? else {
                return Ok(());
            };
            pack.write(cx, out)?;
            cx.tick();
            Ok(())
        })
    }
}

/// Whether unit `ui` has a pack: an empty board is not a board.
pub fn has_board(cx: &RenderContext, ui: usize) -> bool {
    cx.site.units[ui].current().next().is_some()
}

/// A current procedure as the pack prints it: `sheets[i]` of `noticeboard.html`, which
/// includes `sheet.html` for each (as `s`).
#[derive(Serialize)]
struct Sheet {
    /// Its row number in the danh mục.
    n: usize,
    /// The CSS named page of its sheets (`@page tthc-3 { … }`).
    page: String,
    /// The procedure's view, shared with its pages.
    p: tera::Value,
    place: crate::model::Text,
    /// The eleven components, rendered (a safe value; see [`RenderContext::components`]).
    components: tera::Value,
    origin: Origin,
    /// The national code's QR file, root-relative (`tthc/<code>/qr.svg`, the address
    /// every unit publishing the code shares), for themes that want it.
    qr_src: String,
    /// What the sheet's QR code encodes: the unit's own page of the procedure, with its
    /// place, fees and office (a former address of the unit keeps leading there). The
    /// code is drawn by the browser when the pack is opened (`static/qr.js`), not here:
    /// a build would draw one for every sheet of every unit (408,000 in the national
    /// benchmark, twice its time) for packs that few print.
    qr_url: String,
    /// The forms attached after the procedure, with absolute addresses (paper has no
    /// relative links).
    forms: Vec<Link>,
}

/// What the pack needs of a current procedure: its sheets and its row in the danh mục.
pub struct SheetOut {
    sheet: Sheet,
    row: view::Row,
}

/// The sheets of current procedure number `n` (from 1, in the unit's order) of unit `ui`,
/// from its view and rendered components: made as soon as the procedure is rendered, so
/// that its view is not kept for the whole unit (the components are, as a value, until
/// the pack is rendered).
pub fn sheet(
    cx: &RenderContext,
    ui: usize,
    n: usize,
    pb: &crate::resolve::Published,
    pv: &ProcView,
    components: &tera::Value,
) -> SheetOut {
    let site = cx.site;
    let u = &site.units[ui];
    let forms = pv
        .forms
        .iter()
        .map(|f| Link {
            name: f.name.to_string(),
            href: match (&f.file, &f.url) {
                (Some(file), _) => format!("{}{file}", site.config.base_url),
                (None, Some(url)) => url.clone(),
                (None, None) => String::new(),
            },
        })
        .collect();
    let place = view::place_of(&pb.procedure, u);
    let qr_url = cx.absolute(&[u.unit.path.as_str(), "/", &pv.code].concat());
    let sheet = Sheet {
        n,
        page: format!("tthc-{n}"),
        p: pv.value.clone(),
        components: components.clone(),
        place: place.clone(),
        origin: pb.origin,
        qr_src: super::qr::procedure_qr_file(&pv.code),
        qr_url,
        forms,
    };
    // Rows link to the sheets of the same page.
    let anchor = |p: &str| ["#tthc-", p.rsplit('/').next().unwrap_or(p)].concat();
    let mut row = view::row(
        n,
        pb,
        u,
        &cx.lex,
        (&pv.time_summary, &pv.fee_summary),
        &anchor,
        None,
    );
    row.citations = pv.citations.clone();
    // The danh mục gives the time in a few words, as the unit page does; the procedure's
    // sheets give it in full. Whole texts of 150 characters in a 22 mm column made Xã
    // Thái Bình's list (81 procedures) 13 sheets; in a few words, 11.
    row.time = super::cite::keep_numbers_whole(&row.time_brief);
    row.fee = super::cite::keep_numbers_whole(&row.fee);
    SheetOut { sheet, row }
}

/// The pack of unit `ui`, or `None` when the unit publishes no current procedure.
/// (`niemyet pdf`, `serve`; a build makes packs with the unit's pages, see `html.rs`,
/// sharing each procedure's rendered components with its page.)
pub fn pack(cx: &RenderContext, ui: usize) -> Result<Option<Pack>, RenderError> {
    if !has_board(cx, ui) {
        return Ok(None);
    }
    let u = &cx.site.units[ui];
    let root = root_prefix(&board_path(&u.unit.path));
    let current: Vec<_> = u
        .procedures
        .iter()
        .filter(|p| p.status == Status::Current)
        .collect();
    // In parallel: a province adopting a whole national catalogue has one pack of
    // thousands of procedures (75 MB).
    let sheets = super::par::try_map_init(
        current.par_iter().enumerate(),
        || (),
        |(), (i, pb)| {
            let place = view::place_of(&pb.procedure, u);
            let pv = cx.view(&pb.procedure);
            let body = cx.components(&pb.procedure, &pv, &root, &place)?;
            Ok(sheet(cx, ui, i + 1, pb, &pv, &body.whole()))
        },
    )?;
    assemble(cx, ui, sheets).map(Some)
}

/// A unit's noticeboard pack, rendered.
pub struct Pack {
    /// Its path in the output.
    pub file: String,
    html: Vec<u8>,
}

impl Pack {
    /// Its bytes, with `serve`'s script when there is one.
    pub fn into_bytes(self, cx: &RenderContext) -> Vec<u8> {
        match &cx.opts.inject {
            Some(snippet) => inject_bytes(self.html, snippet),
            None => self.html,
        }
    }

    /// Writes it into the output.
    pub fn write(self, cx: &RenderContext, out: &Output) -> Result<(), RenderError> {
        let file = self.file.clone();
        out.write(&file, &self.into_bytes(cx))
            .map_err(|e| RenderError::io(file, e))
    }
}

/// The pack of unit `ui` (which has a board) from the sheets of its current procedures,
/// in order (see [`sheet`]).
pub fn assemble(cx: &RenderContext, ui: usize, sheets: Vec<SheetOut>) -> Result<Pack, RenderError> {
    assemble_with(cx, ui, sheets, None)
}

/// [`assemble`], or with `change` (the codes whose sheets to keep, and the change cover's
/// view) the change pack of `super::changes::pack`: every current procedure still gives
/// its row of the danh mục.
pub fn assemble_with(
    cx: &RenderContext,
    ui: usize,
    sheets: Vec<SheetOut>,
    change: Option<(
        &std::collections::HashSet<&str>,
        &super::changes::ChangesView,
    )>,
) -> Result<Pack, RenderError> {
    let site = cx.site;
    let u = &site.units[ui];
    let path = board_path(&u.unit.path);
    let root = root_prefix(&path);
    let current = u.current().count();
    if sheets.len() != current {
        return Err(RenderError {
            what: board_file(&u.unit.path),
            message: format!(
                "{} procedure sheets for {} current procedures",
                sheets.len(),
                current
            ),
        });
    }
    let mut groups: Vec<SectorGroup> = Vec::new();
    let mut entries = Vec::with_capacity(sheets.len());
    for SheetOut { sheet, row } in sheets {
        let kept = change.is_none_or(|(keep, _)| keep.contains(row.code.as_str()));
        SectorGroup::add(&mut groups, row);
        if kept {
            entries.push(sheet);
        }
    }
    let sheets = entries;
    let unit_view = UnitView::build(site, u, &cx.md, |x| cx.link(x));
    let unit_url = cx.absolute(&u.unit.path);
    let unit_qr = super::qr::Qr::new(&unit_url).map_err(|message| RenderError {
        what: format!("QR code of {unit_url}"),
        message,
    })?;

    let mut ctx = base_context(cx);
    ctx.insert("root", &root);
    ctx.insert("canonical", &cx.absolute(&path));
    ctx.insert("unit", &unit_view);
    ctx.insert("unit_url", &unit_url);
    ctx.insert("unit_qr", &unit_qr.svg);
    ctx.insert("unit_qr_css", &unit_qr.css_image);
    ctx.insert("groups", &groups);
    ctx.insert("current_count", &current);
    ctx.insert("change", &change.map(|(_, c)| c));
    ctx.insert_value("print_date", cx.opts.print_date.map(|d| d.vi()).into());
    let file = format!("{path}/index.html");
    ctx.insert("sheets", &sheets);
    // Each sheet, and its row in the catalogue and page style: about 30 kB a procedure.
    let capacity = PAGE_CAPACITY + 30 * 1024 * current;
    let html = render_bytes(cx, "noticeboard.html", &ctx, &file, capacity)?;
    Ok(Pack { file, html })
}
