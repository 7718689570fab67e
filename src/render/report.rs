//! The disclosure report for the province's procedure-control office (kiểm soát thủ tục
//! hành chính): for every unit, what it publishes and how completely, as plain data
//! ([`Report::build`]), written as the page `/kiem-soat/` (`report.html`, with the same
//! figures as `kiem-soat/bao-cao.csv` and `.json`) and by `niemyet report` ([`Report::csv`],
//! [`Report::json`]). What each figure counts is said on its field and in `docs/report.md`.

use super::changes;
use super::page::{base_context, render_bytes, PAGE_CAPACITY};
use super::{RenderContext, RenderError, Renderer};
use crate::date::Date;
use crate::disclosure::{component_of, COMPONENTS};
use crate::model::{Method, Procedure, Status};
use crate::output::Output;
use crate::resolve::ResolvedSite;
use serde::Serialize;

/// The folder of the report's page and files ("kiểm soát": control).
pub const REPORT_DIR: &str = "kiem-soat";

/// Whether a unit's feedback contact (phản ánh, kiến nghị) is its own, inherited from a
/// parent unit or `site.toml`, or missing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum FeedbackState {
    Own,
    Inherited,
    Missing,
}

impl FeedbackState {
    /// As the CSV writes it.
    pub fn vi(self) -> &'static str {
        match self {
            FeedbackState::Own => "có",
            FeedbackState::Inherited => "kế thừa",
            FeedbackState::Missing => "thiếu",
        }
    }
}

/// The figures of one unit, or of the whole site (the summary).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Figures {
    /// Procedures in force on the build's date: on the board and in the danh mục.
    pub published: usize,
    /// Announced, not in force yet (`effective` after the build's date).
    pub upcoming: usize,
    /// Repealed on or before the build's date: out of every list, their pages kept and
    /// marked "đã bãi bỏ".
    pub repealed_kept: usize,
    /// For each of the eleven components of Decree 63/2010 art. 8.2 (in its order), how
    /// many procedures in force show it as "Chưa công bố": listed in `unpublished`, or for
    /// the processing time and the fees, a channel without them.
    pub unpublished: [usize; 11],
    /// Procedures in force with no online channel: no `truc-tuyen` channel and no
    /// `online` tier.
    pub no_online: usize,
    /// The last day something changed on the board (`changes::last_change`); for the
    /// summary, the latest of the units'.
    #[serde(serialize_with = "iso")]
    pub last_changed: Option<Date>,
}

fn iso<S: serde::Serializer>(d: &Option<Date>, s: S) -> Result<S::Ok, S::Error> {
    match d {
        Some(d) => s.serialize_str(&d.iso()),
        None => s.serialize_none(),
    }
}

impl Figures {
    fn zero() -> Figures {
        Figures {
            published: 0,
            upcoming: 0,
            repealed_kept: 0,
            unpublished: [0; 11],
            no_online: 0,
            last_changed: None,
        }
    }

    /// Components shown as "Chưa công bố", summed over the components.
    pub fn unpublished_total(&self) -> usize {
        self.unpublished.iter().sum()
    }

    fn add(&mut self, o: &Figures) {
        self.published += o.published;
        self.upcoming += o.upcoming;
        self.repealed_kept += o.repealed_kept;
        for (a, b) in self.unpublished.iter_mut().zip(o.unpublished) {
            *a += b;
        }
        self.no_online += o.no_online;
        self.last_changed = self.last_changed.max(o.last_changed);
    }
}

/// Which components a procedure shows as "Chưa công bố", by index in [`COMPONENTS`].
pub fn unpublished_components(p: &Procedure) -> [bool; 11] {
    let mut shown = [false; 11];
    let mut mark = |key: &str| {
        if let Some(c) = component_of(key) {
            shown[usize::from(c.number) - 1] = true;
        }
    };
    for name in &p.unpublished {
        mark(name);
    }
    if p.channels.iter().any(|c| c.time.is_none()) {
        mark("time");
    }
    if p.channels.iter().any(|c| c.fees.is_none()) {
        mark("fees");
    }
    shown
}

/// Whether a procedure offers any online channel.
pub fn has_online(p: &Procedure) -> bool {
    p.online.is_some() || p.channels.iter().any(|c| c.method == Method::TrucTuyen)
}

/// One unit's line of the report.
#[derive(Debug, Clone, Serialize)]
pub struct UnitLine {
    /// Its address (folder names joined by `/`).
    pub path: String,
    pub name: String,
    /// 0 for a province.
    pub depth: usize,
    pub feedback: FeedbackState,
    #[serde(flatten)]
    pub figures: Figures,
}

/// The report: the summary of the site first, then every unit in the site's order.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    #[serde(serialize_with = "iso_date")]
    pub today: Date,
    pub title: String,
    /// How many units, and how many of them publish at least one procedure in force.
    pub unit_count: usize,
    pub publishing_units: usize,
    /// Units publishing procedures whose feedback contact is missing.
    pub feedback_missing: usize,
    pub summary: Figures,
    pub units: Vec<UnitLine>,
}

fn iso_date<S: serde::Serializer>(d: &Date, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&d.iso())
}

/// The CSV's columns before the components' (Vietnamese, for spreadsheet users).
const CSV_HEAD: [&str; 6] = [
    "Đơn vị",
    "Tên đơn vị",
    "Số đơn vị",
    "Đang niêm yết",
    "Sắp có hiệu lực",
    "Đã bãi bỏ, còn giữ trang",
];

/// The CSV's columns after the components'.
const CSV_TAIL: [&str; 4] = [
    "Chưa công bố (tổng)",
    "Không có dịch vụ trực tuyến",
    "Địa chỉ phản ánh",
    "Dữ liệu thay đổi lần cuối",
];

impl Report {
    /// The report of a resolved site on its build date.
    pub fn build(site: &ResolvedSite) -> Report {
        let mut summary = Figures::zero();
        let mut units = Vec::with_capacity(site.units.len());
        let (mut publishing, mut feedback_missing) = (0, 0);
        for (ui, u) in site.units.iter().enumerate() {
            let mut f = Figures::zero();
            for pb in &u.procedures {
                match pb.status {
                    Status::Upcoming => f.upcoming += 1,
                    Status::Repealed => f.repealed_kept += 1,
                    Status::Current => {
                        f.published += 1;
                        let p = &pb.procedure;
                        for (n, shown) in f.unpublished.iter_mut().zip(unpublished_components(p)) {
                            *n += usize::from(shown);
                        }
                        f.no_online += usize::from(!has_online(p));
                    }
                }
            }
            f.last_changed = changes::last_change(site, ui);
            let feedback = match (&u.unit.feedback, &u.feedback) {
                (Some(_), _) => FeedbackState::Own,
                (None, Some(_)) => FeedbackState::Inherited,
                (None, None) => FeedbackState::Missing,
            };
            if f.published > 0 {
                publishing += 1;
                feedback_missing += usize::from(feedback == FeedbackState::Missing);
            }
            summary.add(&f);
            units.push(UnitLine {
                path: u.unit.path.clone(),
                name: u.unit.name.clone(),
                depth: u.depth,
                feedback,
                figures: f,
            });
        }
        Report {
            today: site.today,
            title: site.config.title.clone(),
            unit_count: site.units.len(),
            publishing_units: publishing,
            feedback_missing,
            summary,
            units,
        }
    }

    /// The report as CSV: a heading row, the summary (address empty, name "Toàn tỉnh"),
    /// then one row per unit; dates ISO; cells a spreadsheet would run made text.
    pub fn csv(&self) -> Result<Vec<u8>, csv::Error> {
        let mut buf = Vec::new();
        {
            let mut w = csv::Writer::from_writer(&mut buf);
            let mut head: Vec<String> = CSV_HEAD.iter().map(|s| s.to_string()).collect();
            head.extend(
                COMPONENTS
                    .iter()
                    .map(|c| format!("Chưa công bố: {}", c.label)),
            );
            head.extend(CSV_TAIL.iter().map(|s| s.to_string()));
            w.write_record(&head)?;
            let row = |path: &str, name: &str, count: usize, f: &Figures, feedback: String| {
                let mut r = vec![
                    super::data::cell(path),
                    super::data::cell(name),
                    count.to_string(),
                    f.published.to_string(),
                    f.upcoming.to_string(),
                    f.repealed_kept.to_string(),
                ];
                r.extend(f.unpublished.iter().map(|n| n.to_string()));
                r.push(f.unpublished_total().to_string());
                r.push(f.no_online.to_string());
                r.push(feedback);
                r.push(f.last_changed.map(|d| d.iso()).unwrap_or_default());
                r
            };
            w.write_record(row(
                "",
                "Toàn tỉnh",
                self.unit_count,
                &self.summary,
                format!("thiếu ở {} đơn vị", self.feedback_missing),
            ))?;
            for u in &self.units {
                w.write_record(row(&u.path, &u.name, 1, &u.figures, u.feedback.vi().into()))?;
            }
            w.flush()?;
        }
        Ok(buf)
    }

    /// The report as JSON (keys in English, dates ISO, `unpublished` by component key).
    pub fn json(&self) -> serde_json::Result<Vec<u8>> {
        let by_key = |f: &Figures| -> serde_json::Map<String, serde_json::Value> {
            COMPONENTS
                .iter()
                .zip(f.unpublished)
                .map(|(c, n)| (c.key.to_owned(), n.into()))
                .collect()
        };
        let mut v = serde_json::to_value(self)?;
        if let Some(s) = v.get_mut("summary") {
            s["unpublished"] = by_key(&self.summary).into();
        }
        if let Some(serde_json::Value::Array(us)) = v.get_mut("units") {
            for (j, u) in us.iter_mut().zip(&self.units) {
                j["unpublished"] = by_key(&u.figures).into();
            }
        }
        let mut out = serde_json::to_vec_pretty(&v)?;
        out.push(b'\n');
        Ok(out)
    }
}

/// `/kiem-soat/` with its CSV and JSON: linked from the province's page only, left out of
/// the sitemap, not indexed.
pub struct ReportRenderer;

/// What the page writes (`serve` renders them again after any edit).
pub fn files() -> [String; 3] {
    [
        format!("{REPORT_DIR}/index.html"),
        format!("{REPORT_DIR}/bao-cao.csv"),
        format!("{REPORT_DIR}/bao-cao.json"),
    ]
}

/// A unit's line as `report.html` gets it.
#[derive(Serialize)]
struct LineView<'a> {
    line: &'a UnitLine,
    href: String,
    unpublished_total: usize,
    last_changed: Option<String>,
    last_changed_iso: Option<String>,
}

/// A component as `report.html` gets it (only those some procedure shows as unpublished).
#[derive(Serialize)]
struct ComponentView {
    /// Its index in `unpublished`.
    i: usize,
    number: u8,
    label: &'static str,
}

impl Renderer for ReportRenderer {
    fn name(&self) -> &'static str {
        "report"
    }

    fn count(&self, _cx: &RenderContext) -> u64 {
        3
    }

    fn outputs(&self, _cx: &RenderContext) -> Option<Vec<String>> {
        Some(files().to_vec())
    }

    fn render(&self, cx: &RenderContext, out: &Output) -> Result<(), RenderError> {
        let report = Report::build(cx.site);
        let [page, csv, json] = files();
        let fail = |what: &str, e: String| RenderError {
            what: what.to_owned(),
            message: e,
        };
        if cx.wants(&csv) {
            let bytes = report.csv().map_err(|e| fail(&csv, e.to_string()))?;
            out.write(&csv, &bytes)
                .map_err(|e| RenderError::io(csv.clone(), e))?;
            cx.tick();
        }
        if cx.wants(&json) {
            let bytes = report.json().map_err(|e| fail(&json, e.to_string()))?;
            out.write(&json, &bytes)
                .map_err(|e| RenderError::io(json.clone(), e))?;
            cx.tick();
        }
        if cx.wants(&page) {
            let html = self.page(cx, &report, &page)?;
            out.write(&page, &html)
                .map_err(|e| RenderError::io(page.clone(), e))?;
            cx.tick();
        }
        Ok(())
    }
}

impl ReportRenderer {
    fn page(&self, cx: &RenderContext, r: &Report, file: &str) -> Result<Vec<u8>, RenderError> {
        let root = "../";
        let lines: Vec<LineView> = r
            .units
            .iter()
            .map(|l| LineView {
                line: l,
                href: cx.link(&l.path),
                unpublished_total: l.figures.unpublished_total(),
                last_changed: l.figures.last_changed.map(|d| d.vi()),
                last_changed_iso: l.figures.last_changed.map(|d| d.iso()),
            })
            .collect();
        let components: Vec<ComponentView> = COMPONENTS
            .iter()
            .enumerate()
            .filter(|(i, _)| r.summary.unpublished[*i] > 0)
            .map(|(i, c)| ComponentView {
                i,
                number: c.number,
                label: c.label,
            })
            .collect();
        let mut ctx = base_context(cx);
        ctx.insert("root", root);
        ctx.insert("canonical", &cx.absolute(REPORT_DIR));
        ctx.insert("report", r);
        ctx.insert("summary_unpublished_total", &r.summary.unpublished_total());
        ctx.insert(
            "summary_last_changed",
            &r.summary.last_changed.map(|d| d.vi()),
        );
        ctx.insert("lines", &lines);
        ctx.insert("components", &components);
        let html = render_bytes(cx, "report.html", &ctx, file, PAGE_CAPACITY)?;
        Ok(match &cx.opts.inject {
            Some(snippet) => super::page::inject_bytes(html, snippet),
            None => html,
        })
    }
}
