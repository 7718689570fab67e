//! Open data: each unit's list as `data.json` (every field, raw values beside parsed
//! ones) and `data.csv` (the danh mục columns, for spreadsheets).

use super::view::place_of;
use super::{RenderContext, RenderError, Renderer};
use crate::model::{Procedure, Status};
use crate::output::Output;
use crate::resolve::{Origin, ResolvedUnit};
use rayon::prelude::*;
use serde::Serialize;

pub struct DataRenderer;

#[derive(Serialize)]
struct UnitData<'a> {
    name: &'a str,
    path: &'a str,
    kind: &'static str,
    code: Option<&'a str>,
    url: String,
    office: Option<&'a crate::model::Office>,
    feedback: Option<&'a crate::model::Feedback>,
}

#[derive(Serialize)]
struct ProcData<'a> {
    status: Status,
    origin: Origin,
    url: String,
    #[serde(flatten)]
    procedure: &'a Procedure,
}

#[derive(Serialize)]
struct Data<'a> {
    generator: &'static str,
    generated: String,
    updated: Option<String>,
    unit: UnitData<'a>,
    procedures: Vec<ProcData<'a>>,
}

impl Renderer for DataRenderer {
    fn name(&self) -> &'static str {
        "data"
    }

    fn count(&self, cx: &RenderContext) -> u64 {
        2 * cx.site.units.len() as u64
    }

    fn outputs(&self, cx: &RenderContext) -> Option<Vec<String>> {
        Some(
            cx.site
                .units
                .iter()
                .flat_map(|u| {
                    [
                        format!("{}/data.json", u.unit.path),
                        format!("{}/data.csv", u.unit.path),
                    ]
                })
                .collect(),
        )
    }

    fn render(&self, cx: &RenderContext, out: &Output) -> Result<(), RenderError> {
        cx.site.units.par_iter().try_for_each(|u| {
            let path = format!("{}/data.json", u.unit.path);
            if cx.wants(&path) {
                let json = json(cx, u);
                out.write(&path, json.as_bytes())
                    .map_err(|e| RenderError::io(path, e))?;
                cx.tick();
            }
            let path = format!("{}/data.csv", u.unit.path);
            if cx.wants(&path) {
                let csv = csv(cx, u).map_err(|e| RenderError {
                    what: path.clone(),
                    message: e.to_string(),
                })?;
                out.write(&path, &csv)
                    .map_err(|e| RenderError::io(path, e))?;
                cx.tick();
            }
            Ok(())
        })
    }
}

fn json(cx: &RenderContext, u: &ResolvedUnit) -> String {
    let data = Data {
        generator: concat!("niemyet ", env!("CARGO_PKG_VERSION")),
        generated: cx.site.today.iso(),
        updated: u.last_changed.map(|d| d.iso()),
        unit: UnitData {
            name: &u.unit.name,
            path: &u.unit.path,
            kind: u.unit.kind.slug(),
            code: u.unit.code.as_deref(),
            url: cx.absolute(&u.unit.path),
            office: u.unit.office.as_ref(),
            feedback: u.feedback.as_ref(),
        },
        procedures: u
            .procedures
            .iter()
            .map(|p| ProcData {
                status: p.status,
                origin: p.origin,
                url: cx.absolute(&format!("{}/{}", u.unit.path, p.procedure.code)),
                procedure: &p.procedure,
            })
            .collect(),
    };
    serde_json::to_string(&data).unwrap_or_else(|_| "{}".into())
}

/// A text cell of the CSV. Spreadsheet programs run a cell that starts with `=`, `+`, `@`
/// or `-` (then not a space or digit) as a formula, which can fetch URLs or run commands
/// (CSV injection); such a cell gets a leading `'`, which spreadsheets treat as "text".
fn cell(s: &str) -> String {
    let mut chars = s.chars();
    let risky = match chars.next() {
        Some('=' | '+' | '@' | '\t' | '\r') => true,
        Some('-') => !matches!(chars.next(), None | Some(' ') | Some('0'..='9')),
        _ => false,
    };
    if risky {
        format!("'{s}")
    } else {
        s.to_owned()
    }
}

fn csv(cx: &RenderContext, u: &ResolvedUnit) -> Result<Vec<u8>, csv::Error> {
    // A UTF-8 byte-order mark, so spreadsheet programs read the Vietnamese correctly.
    let mut buf = b"\xEF\xBB\xBF".to_vec();
    {
        let mut w = csv::Writer::from_writer(&mut buf);
        w.write_record([
            "TT",
            "Mã TTHC",
            "Tên TTHC",
            "Lĩnh vực",
            "Cấp thực hiện",
            "Tình trạng",
            "Thời hạn giải quyết",
            "Phí, lệ phí",
            "Địa điểm thực hiện",
            "Căn cứ pháp lý",
            "Số quyết định công bố",
            "Ngày có hiệu lực",
            "Địa chỉ trang",
        ])?;
        for (i, pb) in u.procedures.iter().enumerate() {
            let p = &pb.procedure;
            let status = match pb.status {
                Status::Current => "Đang áp dụng",
                Status::Upcoming => "Sắp có hiệu lực",
                Status::Repealed => "Đã bãi bỏ",
            };
            w.write_record([
                (i + 1).to_string(),
                p.code.clone(),
                cell(p.title()),
                cell(p.sector.as_deref().unwrap_or_default()),
                p.levels
                    .iter()
                    .map(|l| l.label())
                    .collect::<Vec<_>>()
                    .join(", "),
                status.to_owned(),
                cell(&cx.lex.times_summary(&p.channels)),
                cell(&cx.lex.fees_summary(&p.channels)),
                cell(&place_of(p, u)),
                cell(&p.legal_basis.join("; ")),
                cell(p.decision.as_deref().unwrap_or_default()),
                p.effective.map(|d| d.vi()).unwrap_or_default(),
                cx.absolute(&format!("{}/{}", u.unit.path, p.code)),
            ])?;
        }
        w.flush()?;
    }
    Ok(buf)
}
