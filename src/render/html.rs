//! HTML pages: home, units, procedures, `/tthc/<code>/`, redirects of former units, 404.

use super::page::{inject_bytes, render_bytes, PAGE_CAPACITY};
use super::view::{self, Link, ProcView, SectorGroup, UnitView};
use super::{jsonld, noticeboard, qr, root_prefix, RenderContext, RenderError, Renderer};
// What the search renderer takes from here (written before `page` existed).
pub(crate) use super::page::{base_context, inject, render};
use crate::model::Status;
use crate::output::Output;
use crate::resolve::Redirect;
use crate::text::fold;
use rayon::prelude::*;
use serde::Serialize;
use std::collections::BTreeMap;
use std::sync::OnceLock;
use tera::Context;

pub struct HtmlRenderer;

/// A page to write.
enum Page<'a> {
    Home,
    Unit(usize),
    Procedure(usize, usize),
    /// A unit's noticeboard pack (see `noticeboard.rs`).
    Board(usize),
    Code(&'a str),
    /// The QR code printed with every page and sheet of a procedure code (see `qr.rs`).
    Qr(&'a str),
    Redirect(&'a Redirect),
    /// A former unit's noticeboard pack (`old/niem-yet/`).
    FormerBoard(&'a Redirect),
    NotFound,
}

/// A piece of work: a page by itself, or a unit with its procedure pages and its pack,
/// rendered together so that each procedure's components are rendered once for both.
enum Job<'a> {
    Unit(usize),
    Page(Page<'a>),
}

impl Renderer for HtmlRenderer {
    fn name(&self) -> &'static str {
        "html"
    }

    fn count(&self, cx: &RenderContext) -> u64 {
        pages(cx).len() as u64
    }

    fn outputs(&self, cx: &RenderContext) -> Option<Vec<String>> {
        Some(pages(cx).iter().map(|p| page_path(cx, p)).collect())
    }

    fn render(&self, cx: &RenderContext, out: &Output) -> Result<(), RenderError> {
        let base = base_context(cx);
        // Units are the big jobs (a province adopting a national catalogue is one unit of
        // thousands of procedures); the first starts at once, and the rest fills around them.
        let mut jobs: Vec<Job> = Vec::new();
        match cx.only() {
            // A few outputs wanted (an edit in `serve`): find their pages by path rather
            // than listing every page of the site; a unit job writes only what is wanted.
            Some(only) => {
                let mut units = std::collections::BTreeSet::new();
                for page in only.iter().filter_map(|p| page_for(cx, p)) {
                    match page {
                        Page::Unit(ui) | Page::Procedure(ui, _) | Page::Board(ui) => {
                            units.insert(ui);
                        }
                        other => jobs.push(Job::Page(other)),
                    }
                }
                jobs.splice(0..0, units.into_iter().map(Job::Unit));
            }
            None => {
                let small: Vec<Page> = pages(cx)
                    .into_iter()
                    .filter(|p| !matches!(p, Page::Unit(_) | Page::Procedure(..) | Page::Board(_)))
                    .collect();
                // Each unit followed by its share of the small pages (`/tthc/` pages, QR
                // codes, redirects), rather than all units first: a thread that finished its
                // half of a unit and waits for the other half steals small pages that sit
                // near it in the list instead of sleeping (20k: 2.73 → 2.62 s and 3.17 →
                // 2.89 s, province 2.66 → 2.57 s, medians of 5, alternating).
                let units = cx.site.units.len().max(1);
                let stride = small.len().div_ceil(units).max(1);
                let mut small = small.into_iter();
                for ui in 0..cx.site.units.len() {
                    jobs.push(Job::Unit(ui));
                    jobs.extend(small.by_ref().take(stride).map(Job::Page));
                }
                jobs.extend(small.map(Job::Page));
            }
        }
        super::par::try_each(jobs.par_iter(), |job| match job {
            Job::Unit(ui) => render_unit(cx, &base, *ui, out),
            Job::Page(Page::Qr(code)) => {
                let path = qr::procedure_qr_file(code);
                let svg =
                    qr::printed(&cx.absolute(&format!("tthc/{code}"))).map_err(|message| {
                        RenderError {
                            what: path.clone(),
                            message,
                        }
                    })?;
                out.write(&path, svg.as_bytes())
                    .map_err(|e| RenderError::io(path.clone(), e))?;
                cx.tick();
                Ok(())
            }
            Job::Page(page) => {
                let (path, html) = render_page(cx, &base, page)?;
                write_page(cx, out, &path, html)
            }
        })
    }
}

/// Writes a page (with `serve`'s reload script, if any) and ticks the progress bar.
fn write_page(
    cx: &RenderContext,
    out: &Output,
    path: &str,
    html: Vec<u8>,
) -> Result<(), RenderError> {
    let html = match &cx.opts.inject {
        Some(snippet) => inject_bytes(html, snippet),
        None => html,
    };
    out.write(path, &html)
        .map_err(|e| RenderError::io(path.to_owned(), e))?;
    cx.tick();
    Ok(())
}

/// A unit's page, its procedure pages and its noticeboard pack (those wanted).
fn render_unit(
    cx: &RenderContext,
    base: &Context,
    ui: usize,
    out: &Output,
) -> Result<(), RenderError> {
    let site = cx.site;
    let u = &site.units[ui];
    // Built once for the unit's pages (it holds the unit's rendered description).
    let uv = UnitView::build(site, u, &cx.md, |x| cx.link(x));
    let unit_file = format!("{}/index.html", u.unit.path);
    if cx.wants(&unit_file) {
        let html = unit_page(cx, base, ui, &uv)?;
        write_page(cx, out, &unit_file, html)?;
    }
    let board = !cx.opts.boards_apart
        && noticeboard::has_board(cx, ui)
        && cx.wants(&noticeboard::board_file(&u.unit.path));
    let board_root = root_prefix(&noticeboard::board_path(&u.unit.path));
    // What every procedure page of the unit shares, made into template values once;
    // each page adds its own to a copy (the values are shared, not copied).
    let mut shared = base.clone();
    shared.insert("crumbs", &crumbs(cx, Some(ui)));
    shared.insert("unit", &uv);
    shared.insert("search_unit", &uv.path);
    shared.insert("search_unit_name", &uv.name);
    // The feedback section, alike on every procedure page of the unit: rendered once,
    // by the first page that is written, instead of on each page. Kept for the 20k
    // target: rendered on each page, 2,000 procedures take 1.8 % more instructions.
    let feedback: OnceLock<Result<tera::Value, RenderError>> = OnceLock::new();
    // Each current procedure's number in the danh mục (its sheets' number in the pack).
    let mut numbers = Vec::with_capacity(u.procedures.len());
    let mut n = 0;
    for pb in &u.procedures {
        if pb.status == Status::Current {
            n += 1;
        }
        numbers.push(n);
    }
    let sheets = super::par::try_map_init(
        u.procedures.par_iter().zip(numbers.par_iter()),
        || (),
        |(), (pb, &n)| -> Result<Option<noticeboard::SheetOut>, RenderError> {
            let p = &pb.procedure;
            let path = [&u.unit.path, "/", &p.code].concat();
            let file = [&path, "/index.html"].concat();
            let page = cx.wants(&file);
            let on_board = board && pb.status == Status::Current;
            if !page && !on_board {
                return Ok(None);
            }
            let root = root_prefix(&path);
            let place = view::place_of(p, u);
            let pv = cx.view(p);
            let body = cx.components(p, &pv, &root, &place)?;
            if page {
                let html = feedback.get_or_init(|| {
                    let what = ["the procedure pages of ", u.unit.path.as_str()].concat();
                    let html = render_bytes(cx, "feedback.html", &shared, &what, 1024)?;
                    Ok(crate::theme::safe_value(&html))
                });
                let feedback_html = match html {
                    Ok(v) => v.clone(),
                    Err(e) => return Err(e.clone()),
                };
                let page = ProcPage {
                    pb,
                    pv: &pv,
                    feedback_html,
                    path: &path,
                    place: &place,
                    components: &body,
                };
                let html = procedure_page(cx, &shared, ui, page)?;
                write_page(cx, out, &file, html)?;
            }
            if !on_board {
                return Ok(None);
            }
            let body = if board_root == root {
                body
            } else {
                cx.components(p, &pv, &board_root, &place)?
            };
            Ok(Some(noticeboard::sheet(cx, ui, n, pb, &pv, &body.whole())))
        },
    )?;
    if board {
        noticeboard::assemble(cx, ui, sheets.into_iter().flatten().collect())?.write(cx, out)?;
        cx.tick();
    }
    Ok(())
}

fn pages<'a>(cx: &'a RenderContext) -> Vec<Page<'a>> {
    let site = cx.site;
    let mut v = vec![Page::Home, Page::NotFound];
    for (ui, u) in site.units.iter().enumerate() {
        v.push(Page::Unit(ui));
        for pi in 0..u.procedures.len() {
            v.push(Page::Procedure(ui, pi));
        }
        if !cx.opts.boards_apart && noticeboard::has_board(cx, ui) {
            v.push(Page::Board(ui));
        }
    }
    v.extend(site.by_code.keys().map(|c| Page::Code(c)));
    v.extend(site.by_code.keys().map(|c| Page::Qr(c)));
    v.extend(site.redirects.iter().map(Page::Redirect));
    // A former unit's own address and its board's are pages; the addresses below it
    // (`old/<code>/`) are not: 404.html leads them on (see `static/moved.js`).
    v.extend(site.redirects.iter().map(Page::FormerBoard));
    v
}

/// Where a page is written (the same path `render_page` returns).
fn page_path(cx: &RenderContext, page: &Page) -> String {
    let site = cx.site;
    match page {
        Page::Home => "index.html".into(),
        Page::NotFound => "404.html".into(),
        Page::Unit(ui) => format!("{}/index.html", site.units[*ui].unit.path),
        Page::Procedure(ui, pi) => [
            site.units[*ui].unit.path.as_str(),
            "/",
            &site.units[*ui].procedures[*pi].procedure.code,
            "/index.html",
        ]
        .concat(),
        Page::Board(ui) => noticeboard::board_file(&site.units[*ui].unit.path),
        Page::Code(code) => format!("tthc/{code}/index.html"),
        Page::Qr(code) => qr::procedure_qr_file(code),
        Page::Redirect(r) => format!("{}/index.html", r.from),
        Page::FormerBoard(r) => noticeboard::board_file(&r.from),
    }
}

/// The page written at `path`, if any (the inverse of `page_path`).
fn page_for<'a>(cx: &'a RenderContext, path: &str) -> Option<Page<'a>> {
    let site = cx.site;
    let page = match path {
        "index.html" => Page::Home,
        "404.html" => Page::NotFound,
        _ if path.ends_with("/qr.svg") => {
            let code = path.strip_prefix("tthc/")?.strip_suffix("/qr.svg")?;
            let (code, _) = site.by_code.get_key_value(code)?;
            Page::Qr(code)
        }
        _ => {
            let dir = path.strip_suffix("/index.html")?;
            if let Some(code) = dir.strip_prefix("tthc/") {
                let (code, _) = site.by_code.get_key_value(code)?;
                Page::Code(code)
            } else if let Some(&ui) = site.by_path.get(dir) {
                Page::Unit(ui)
            } else if let Some(r) = site.redirects.iter().find(|r| r.from == dir) {
                Page::Redirect(r)
            } else if let Some(r) = dir
                .strip_suffix("/niem-yet")
                .and_then(|old| site.redirects.iter().find(|r| r.from == old))
            {
                Page::FormerBoard(r)
            } else if let Some(&ui) = dir
                .strip_suffix("/niem-yet")
                .and_then(|unit| site.by_path.get(unit))
                .filter(|_| !cx.opts.boards_apart)
            {
                Page::Board(ui)
            } else {
                let (unit, code) = dir.rsplit_once('/')?;
                let ui = *site.by_path.get(unit)?;
                let pi = site.units[ui]
                    .procedures
                    .iter()
                    .position(|p| p.procedure.code == code)?;
                Page::Procedure(ui, pi)
            }
        }
    };
    (page_path(cx, &page) == path).then_some(page)
}

/// Crumbs from the home page down to a unit.
fn crumbs(cx: &RenderContext, mut unit: Option<usize>) -> Vec<Link> {
    let mut out = Vec::new();
    while let Some(i) = unit {
        let u = &cx.site.units[i];
        out.push(Link {
            name: u.unit.name.clone(),
            href: cx.link(&u.unit.path),
        });
        unit = u.parent;
    }
    out.reverse();
    out
}

#[derive(Serialize)]
struct UnitEntry {
    name: String,
    kind_label: &'static str,
    href: String,
    depth: usize,
    count: usize,
    stale: bool,
}

#[derive(Serialize)]
struct SectorEntry {
    name: String,
    procedures: Vec<Link>,
}

#[derive(Serialize)]
struct ChildEntry {
    name: String,
    kind_label: &'static str,
    href: String,
    count: usize,
}

#[derive(Serialize)]
struct Successor {
    name: String,
    href: String,
    former_name: String,
    date: Option<String>,
    basis: Option<String>,
}

/// A unit's page: its danh mục by sector, upcoming and repealed procedures, sub-units.
fn unit_page(
    cx: &RenderContext,
    base: &Context,
    ui: usize,
    uv: &UnitView,
) -> Result<Vec<u8>, RenderError> {
    let mut ctx = base.clone();
    let site = cx.site;
    let u = &site.units[ui];
    let path = &u.unit.path;
    let link = |p: &str| cx.link(p);
    let mut groups: Vec<SectorGroup> = Vec::new();
    let mut upcoming = Vec::new();
    let mut repealed = Vec::new();
    let mut tt = 0;
    let row = |n: usize, pb: &crate::resolve::Published, replaced: Option<Link>| {
        let (time, fee) = cx.summary(&pb.procedure);
        view::row(n, pb, u, &cx.lex, (&time, &fee), &link, replaced)
    };
    for pb in &u.procedures {
        match pb.status {
            Status::Current => {
                tt += 1;
                view::SectorGroup::add(&mut groups, row(tt, pb, None));
            }
            Status::Upcoming => upcoming.push(row(upcoming.len() + 1, pb, None)),
            Status::Repealed => {
                let rb = replaced_link(cx, ui, pb.procedure.replaced_by.as_deref());
                repealed.push(row(repealed.len() + 1, pb, rb))
            }
        }
    }
    let children: Vec<ChildEntry> = u
        .children
        .iter()
        .map(|&c| {
            let cu = &site.units[c];
            ChildEntry {
                name: cu.unit.name.clone(),
                kind_label: cu.unit.kind.label(),
                href: cx.link(&cu.unit.path),
                count: cu.current().count(),
            }
        })
        .collect();
    ctx.insert("root", &root_prefix(path));
    ctx.insert("canonical", &cx.absolute(path));
    ctx.insert(
        "meta_description",
        &format!("{}: {}", u.unit.name, super::page::string(cx, "meta_unit")),
    );
    ctx.insert("crumbs", &crumbs(cx, u.parent));
    ctx.insert("unit", uv);
    ctx.insert("groups", &groups);
    ctx.insert("current_count", &tt);
    ctx.insert("upcoming", &upcoming);
    ctx.insert("repealed", &repealed);
    ctx.insert("children", &children);
    ctx.insert("data_json", &format!("{path}/data.json"));
    ctx.insert("search_unit", &uv.path);
    ctx.insert("search_unit_name", &uv.name);
    ctx.insert("data_csv", &format!("{path}/data.csv"));
    // The unit's noticeboard pack, when it has one (an empty board is not a board).
    let board_href = (tt > 0).then(|| cx.link(&super::noticeboard::board_path(path)));
    ctx.insert_value("board_href", board_href.into());
    let file = format!("{path}/index.html");
    // About 1.2 kB a row of its lists (room for 1.5 kB).
    let rows = u.procedures.len();
    render_bytes(cx, "unit.html", &ctx, &file, PAGE_CAPACITY + 1536 * rows)
}

/// A procedure as its unit's page shows it.
struct ProcPage<'a> {
    pb: &'a crate::resolve::Published,
    pv: &'a ProcView,
    /// The unit's feedback section, rendered once for its pages.
    feedback_html: tera::Value,
    /// Its folder, relative to the output.
    path: &'a str,
    /// The unit's place of submission (see `view::place_of`).
    place: &'a str,
    /// Its rendered components (see [`RenderContext::components`]).
    components: &'a super::Components,
}

/// A procedure page: `shared` (what the unit's pages share, see `render_unit`) and the
/// procedure's own values: its rendered components and its JSON-LD go in as safe values.
fn procedure_page(
    cx: &RenderContext,
    shared: &Context,
    ui: usize,
    page: ProcPage,
) -> Result<Vec<u8>, RenderError> {
    let ProcPage {
        pb,
        pv,
        feedback_html,
        path,
        place,
        components,
    } = page;
    let u = &cx.site.units[ui];
    let p = &pb.procedure;
    let jsonld = jsonld::procedure(cx, u, p).map_err(|e| RenderError {
        what: format!("{path}/index.html (JSON-LD)"),
        message: e.to_string(),
    })?;
    let mut ctx = shared.clone();
    ctx.insert_value("p", pv.value.clone());
    ctx.insert_value("feedback_html", feedback_html);
    ctx.insert_value("root", root_prefix(path).into());
    ctx.insert_value("canonical", cx.absolute(path).into());
    ctx.insert(
        "meta_description",
        &super::page::procedure_description(
            cx,
            p.title(),
            &u.unit.name,
            &pv.time_summary,
            &pv.fee_summary,
        ),
    );
    ctx.insert("status", &pb.status);
    ctx.insert("origin", &pb.origin);
    // The dossier first, right after the key facts: what to bring within two phone
    // screens; the sheet keeps the decree's order (components.html marks the section).
    let (dossier_html, components) = components.page_parts();
    ctx.insert_value("dossier_html", dossier_html);
    ctx.insert_value("components", components);
    ctx.insert_value("place", place.into());
    ctx.insert(
        "replaced_by",
        &replaced_link(cx, ui, p.replaced_by.as_deref()),
    );
    ctx.insert_value("tthc_href", cx.link(&["tthc/", &p.code].concat()).into());
    ctx.insert_value("jsonld", tera::Value::safe_string(&jsonld));
    ctx.insert_value("qr_src", qr::procedure_qr_file(&p.code).into());
    ctx.insert_value("qr_url", cx.absolute(&["tthc/", &p.code].concat()).into());
    render_bytes(
        cx,
        "procedure.html",
        &ctx,
        &[path, "/index.html"].concat(),
        PAGE_CAPACITY,
    )
}

fn render_page(
    cx: &RenderContext,
    base: &Context,
    page: &Page,
) -> Result<(String, Vec<u8>), RenderError> {
    let site = cx.site;
    let mut ctx = base.clone();
    match page {
        Page::Home => {
            let mut units = Vec::new();
            // Depth-first, so sub-units follow their parent.
            fn walk(cx: &RenderContext, i: usize, out: &mut Vec<UnitEntry>) {
                let u = &cx.site.units[i];
                out.push(UnitEntry {
                    name: u.unit.name.clone(),
                    kind_label: u.unit.kind.label(),
                    href: cx.link(&u.unit.path),
                    depth: u.depth,
                    count: u.current().count(),
                    stale: u.unit.kind.is_stale(),
                });
                for &c in &u.children {
                    walk(cx, c, out);
                }
            }
            for (i, u) in site.units.iter().enumerate() {
                if u.parent.is_none() {
                    walk(cx, i, &mut units);
                }
            }
            // Sectors: every current procedure code, once.
            let mut sectors: BTreeMap<String, (String, BTreeMap<String, Link>)> = BTreeMap::new();
            for (code, places) in &site.by_code {
                let Some(&(ui, pi)) = places
                    .iter()
                    .find(|(ui, pi)| site.units[*ui].procedures[*pi].status == Status::Current)
                else {
                    continue;
                };
                let p = &site.units[ui].procedures[pi].procedure;
                let sector = p.sector.as_deref().unwrap_or(&cx.lex.unpublished);
                let entry = sectors
                    .entry(fold(sector))
                    .or_insert_with(|| (sector.to_owned(), BTreeMap::new()));
                entry.1.insert(
                    format!("{} {code}", fold(p.title())),
                    Link {
                        name: p.title().to_owned(),
                        href: cx.link(&format!("tthc/{code}")),
                    },
                );
            }
            let sectors: Vec<SectorEntry> = sectors
                .into_values()
                .map(|(name, procs)| SectorEntry {
                    name,
                    procedures: procs.into_values().collect(),
                })
                .collect();
            ctx.insert("root", "");
            ctx.insert("canonical", &cx.absolute(""));
            ctx.insert("units", &units);
            ctx.insert("sectors", &sectors);
            Ok((
                "index.html".into(),
                render_bytes(cx, "index.html", &ctx, "index.html", PAGE_CAPACITY)?,
            ))
        }
        Page::NotFound => {
            // Served for any missing address, at any depth: links start from the path
            // of `base_url` (`/`, or `/thu-tuc/` for a site published at a sub-path), so
            // they hold on the host the site is published on; the style sheet is inlined,
            // so the page keeps its look wherever it is served.
            ctx.insert("root", &super::feeds::base_path(&site.config.base_url));
            let css = cx
                .theme
                .statics
                .get("style.css")
                .map(|b| String::from_utf8_lossy(b));
            ctx.insert_value(
                "style_css",
                tera::Value::safe_string(css.as_deref().unwrap_or("")),
            );
            ctx.insert("canonical", &cx.absolute(""));
            Ok((
                "404.html".into(),
                render_bytes(cx, "404.html", &ctx, "404.html", PAGE_CAPACITY)?,
            ))
        }
        Page::Unit(_) | Page::Procedure(..) | Page::Board(_) | Page::Qr(_) => Err(RenderError {
            what: page_path(cx, page),
            message: "not a template page (see HtmlRenderer::render)".into(),
        }),
        Page::Code(code) => {
            let path = format!("tthc/{code}");
            let places = &site.by_code[*code];
            #[derive(Serialize)]
            struct Publisher {
                unit: String,
                unit_href: String,
                href: String,
                status: Status,
                time: String,
                fee: String,
                origin: crate::resolve::Origin,
            }
            let mut publishers: Vec<Publisher> = places
                .iter()
                .map(|&(ui, pi)| {
                    let u = &site.units[ui];
                    let pb = &u.procedures[pi];
                    let (time, fee) = cx.summary(&pb.procedure);
                    Publisher {
                        unit: u.unit.name.clone(),
                        unit_href: cx.link(&u.unit.path),
                        href: cx.link(&format!("{}/{}", u.unit.path, code)),
                        status: pb.status,
                        time: time.into_owned(),
                        fee: fee.into_owned(),
                        origin: pb.origin,
                    }
                })
                .collect();
            publishers.sort_by_key(|p| (p.status != Status::Current, fold(&p.unit)));
            // The catalogue's version describes the procedure; else the first publisher's.
            let first = &site.units[places[0].0].procedures[places[0].1].procedure;
            let reference = site.catalog.get(*code).unwrap_or(first);
            let pv = cx.view(reference);
            ctx.insert("root", &root_prefix(&path));
            ctx.insert("canonical", &cx.absolute(&path));
            ctx.insert(
                "meta_description",
                &format!(
                    "{code} – {}: {}",
                    reference.title(),
                    super::page::string(cx, "meta_code")
                ),
            );
            ctx.insert_value("p", pv.value.clone());
            ctx.insert("publishers", &publishers);
            ctx.insert(
                "current_count",
                &publishers
                    .iter()
                    .filter(|p| p.status == Status::Current)
                    .count(),
            );
            let file = format!("{path}/index.html");
            let html = render_bytes(cx, "tthc.html", &ctx, &file, PAGE_CAPACITY)?;
            Ok((file, html))
        }
        Page::Redirect(r) => former_page(cx, ctx, r, false),
        Page::FormerBoard(r) => former_page(cx, ctx, r, true),
    }
}

/// A former unit's address (`old/`), or its noticeboard pack's (`old/niem-yet/`, `board`):
/// leads to the successor's page, or its board (its page when it has none); with several
/// successors, lists them. Either way the successor links carry `data-successor`, which
/// `static/moved.js` reads to lead the addresses below a former unit on.
fn former_page(
    cx: &RenderContext,
    mut ctx: Context,
    r: &Redirect,
    board: bool,
) -> Result<(String, Vec<u8>), RenderError> {
    let site = cx.site;
    let path = if board {
        noticeboard::board_path(&r.from)
    } else {
        r.from.clone()
    };
    let target_of = |ui: usize| -> String {
        let u = &site.units[ui];
        if board && noticeboard::has_board(cx, ui) {
            noticeboard::board_path(&u.unit.path)
        } else {
            u.unit.path.clone()
        }
    };
    let successors: Vec<Successor> =
        r.to.iter()
            .map(|(ui, f)| Successor {
                name: site.units[*ui].unit.name.clone(),
                href: cx.link(&target_of(*ui)),
                former_name: f.name.clone(),
                date: f.date.map(|d| d.vi()),
                basis: f.basis.clone(),
            })
            .collect();
    ctx.insert("root", &root_prefix(&path));
    ctx.insert("former_path", &path);
    ctx.insert("former_name", &r.to[0].1.name);
    let file = format!("{path}/index.html");
    let html = if successors.len() == 1 {
        ctx.insert("canonical", &cx.absolute(&target_of(r.to[0].0)));
        ctx.insert("target", &successors[0]);
        render_bytes(cx, "redirect.html", &ctx, &file, PAGE_CAPACITY)?
    } else {
        ctx.insert("canonical", &cx.absolute(&path));
        ctx.insert("successors", &successors);
        render_bytes(cx, "successors.html", &ctx, &file, PAGE_CAPACITY)?
    };
    Ok((file, html))
}

/// A link to the procedure that replaced a repealed one: in the same unit when it
/// publishes it, else the site-wide page of that code.
fn replaced_link(cx: &RenderContext, ui: usize, code: Option<&str>) -> Option<Link> {
    let code = code?;
    let site = cx.site;
    if let Some(pb) = site.find(ui, code) {
        return Some(Link {
            name: format!("{} – {}", code, pb.procedure.title()),
            href: cx.link(&format!("{}/{}", site.units[ui].unit.path, code)),
        });
    }
    if let Some(places) = site.by_code.get(code) {
        let (u2, p2) = places[0];
        return Some(Link {
            name: format!(
                "{} – {}",
                code,
                site.units[u2].procedures[p2].procedure.title()
            ),
            href: cx.link(&format!("tthc/{code}")),
        });
    }
    Some(Link {
        name: code.to_owned(),
        href: String::new(),
    })
}
