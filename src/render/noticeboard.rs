//! The noticeboard print pack (bảng niêm yết): `/<unit>/niem-yet/`, one HTML page that
//! prints on A4 as the whole board of a one-stop desk, meeting the duty to publish at the
//! office itself (Decree 63/2010, art. 8): a cover sheet, the danh mục, every current
//! procedure on its own sheets with its forms after it, and the feedback notice.
//!
//! Procedures are laid out by the same template macro as their web pages
//! (`macros.html`, `components`), from the same shared [`ProcView`]s, so the order of
//! the decree's components is defined once. Every sheet gets a running footer (unit,
//! procedure code, decision, print date, page x / y) and a procedure's sheets its QR
//! code, through CSS named pages and `@page` margin boxes (see the template).

use super::html::{base_context, render};
use super::view::{self, Link, ProcView, SectorGroup, UnitView};
use super::{root_prefix, RenderContext, RenderError, Renderer};
use crate::model::Status;
use crate::output::Output;
use crate::resolve::Origin;
use rayon::prelude::*;
use serde::Serialize;
use std::sync::Arc;

pub struct NoticeboardRenderer;

/// The folder of a unit's print pack, under the unit's own address.
pub fn board_path(unit_path: &str) -> String {
    format!("{}/niem-yet", unit_path.trim_matches('/'))
}

/// The file of a unit's print pack (what `pack` writes).
pub fn board_file(unit_path: &str) -> String {
    format!("{}/index.html", board_path(unit_path))
}

impl Renderer for NoticeboardRenderer {
    fn name(&self) -> &'static str {
        "noticeboard"
    }

    fn count(&self, cx: &RenderContext) -> u64 {
        cx.site
            .units
            .iter()
            .filter(|u| u.current().next().is_some())
            .count() as u64
    }

    fn outputs(&self, cx: &RenderContext) -> Option<Vec<String>> {
        Some(
            cx.site
                .units
                .iter()
                .filter(|u| u.current().next().is_some())
                .map(|u| board_file(&u.unit.path))
                .collect(),
        )
    }

    fn render(&self, cx: &RenderContext, out: &Output) -> Result<(), RenderError> {
        (0..cx.site.units.len()).into_par_iter().try_for_each(|ui| {
            if !cx.wants(&board_file(&cx.site.units[ui].unit.path)) {
                return Ok(());
            }
            let Some((path, html)) = pack(cx, ui)? else {
                return Ok(());
            };
            out.write(&path, html.as_bytes())
                .map_err(|e| RenderError::io(path.clone(), e))?;
            cx.tick();
            Ok(())
        })
    }
}

/// What a sheet's heading and footer show of its procedure; the body is the rendered
/// `components`. (Serialising the whole view of thousands of procedures into the pack's
/// template context was most of the cost of a large pack.)
#[derive(Serialize)]
struct SheetHead<'a> {
    code: &'a str,
    title: &'a str,
    sector: Option<&'a str>,
    decision: Option<&'a str>,
    effective: Option<&'a str>,
    levels: &'a [&'static str],
}

impl<'a> SheetHead<'a> {
    fn of(p: &'a ProcView) -> Self {
        SheetHead {
            code: &p.code,
            title: &p.title,
            sector: p.sector.as_deref(),
            decision: p.decision.as_deref(),
            effective: p.effective.as_deref(),
            levels: &p.levels,
        }
    }
}

/// A current procedure as the board prints it.
#[derive(Serialize)]
struct Sheet<'a> {
    /// Its row number in the danh mục.
    n: usize,
    /// The CSS named page of its sheets (`@page tthc-3 { … }`).
    page: String,
    p: SheetHead<'a>,
    place: String,
    /// The eleven components, rendered once per shared procedure.
    components: String,
    origin: Origin,
    qr_svg: String,
    qr_url: String,
    /// `url("data:…")` for the margin box that repeats the code on every sheet.
    qr_css: String,
    /// The forms attached after the procedure, with absolute addresses (paper has no
    /// relative links).
    forms: Vec<Link>,
}

/// The pack of unit `ui`: its output path and HTML, or `None` when the unit publishes no
/// current procedure (an empty board is not a board).
pub fn pack(cx: &RenderContext, ui: usize) -> Result<Option<(String, String)>, RenderError> {
    let site = cx.site;
    let u = &site.units[ui];
    if u.current().next().is_none() {
        return Ok(None);
    }
    let path = board_path(&u.unit.path);
    let root = root_prefix(&path);
    // Rows link to the sheets of the same page.
    let anchor = |p: &str| format!("#tthc-{}", p.rsplit('/').next().unwrap_or(p));
    let mut groups: Vec<SectorGroup> = Vec::new();
    let mut views: Vec<(usize, Arc<ProcView>, &crate::resolve::Published)> = Vec::new();
    for pb in u.procedures.iter().filter(|p| p.status == Status::Current) {
        let n = views.len() + 1;
        let r = view::row(n, pb, u, &cx.lex, &anchor, None);
        match groups.last_mut() {
            Some(g) if g.sector == r.sector => g.rows.push(r),
            _ => groups.push(SectorGroup {
                sector: r.sector.clone(),
                rows: vec![r],
            }),
        }
        views.push((n, cx.view(&pb.procedure), pb));
    }
    // Sheets in parallel: a province adopting a whole national catalogue has one pack of
    // thousands of procedures, which would otherwise be rendered on one core.
    let sheets = views
        .par_iter()
        .map(|(n, pv, pb)| {
            let qr = cx.procedure_qr(&pv.code)?;
            let forms = pv
                .forms
                .iter()
                .map(|f| Link {
                    name: f.name.clone(),
                    href: match (&f.file, &f.url) {
                        (Some(file), _) => format!("{}{file}", site.config.base_url),
                        (None, Some(url)) => url.clone(),
                        (None, None) => String::new(),
                    },
                })
                .collect();
            let place = view::place_of(&pb.procedure, u);
            Ok(Sheet {
                n: *n,
                page: format!("tthc-{n}"),
                p: SheetHead::of(pv),
                components: cx.components(&pb.procedure, &root, &place, true)?,
                place,
                origin: pb.origin,
                qr_svg: qr.svg.clone(),
                qr_url: qr.url.clone(),
                qr_css: qr.css_image.clone(),
                forms,
            })
        })
        .collect::<Result<Vec<Sheet>, RenderError>>()?;
    let unit_url = cx.absolute(&u.unit.path);
    let unit_qr = super::qr::Qr::new(&unit_url).map_err(|message| RenderError {
        what: format!("QR code of {unit_url}"),
        message,
    })?;

    let mut ctx = base_context(cx);
    ctx.insert("root", &root);
    ctx.insert("canonical", &cx.absolute(&path));
    ctx.insert("unit", &UnitView::build(site, u, &cx.md, |x| cx.link(x)));
    ctx.insert("unit_url", &unit_url);
    ctx.insert("unit_qr", &unit_qr.svg);
    ctx.insert("unit_qr_css", &unit_qr.css_image);
    ctx.insert("groups", &groups);
    ctx.insert("current_count", &sheets.len());
    ctx.insert("sheets", &sheets);
    let file = format!("{path}/index.html");
    let html = render(cx, "noticeboard.html", &ctx, &file)?;
    let html = match &cx.opts.inject {
        Some(snippet) => match html.rfind("</body>") {
            Some(i) => {
                let mut h = html;
                h.insert_str(i, snippet);
                h
            }
            None => html,
        },
        None => html,
    };
    Ok(Some((file, html)))
}
