//! Open data: each unit's list as `data.json` (every field, raw values beside parsed
//! ones) and `data.csv` (the danh mục columns, for spreadsheets).

use super::format::Lexicon;
use super::view::place_of;
use super::{ProcKey, ProcMap, ProcRef, RenderContext, RenderError, Renderer};
use crate::model::{Channel, Fee, Procedure, ProcessingTime, Status};
use crate::output::Output;
use crate::resolve::{Origin, ResolvedUnit};
use rayon::prelude::*;
use serde::Serialize;
use std::borrow::Cow;
use std::sync::Arc;

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
    changed: Option<String>,
    #[serde(flatten)]
    procedure: &'a Procedure,
}

#[derive(Serialize)]
struct Data<'a> {
    generator: &'static str,
    generated: String,
    updated: Option<String>,
    licence: crate::config::Licence,
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
        let wanted: Vec<&ResolvedUnit> = cx
            .site
            .units
            .iter()
            .filter(|u| {
                cx.wants(&format!("{}/data.json", u.unit.path))
                    || cx.wants(&format!("{}/data.csv", u.unit.path))
            })
            .collect();
        let shared = Shared::of(cx, &wanted).map_err(|e| RenderError {
            what: "data.json".into(),
            message: e.to_string(),
        })?;
        super::par::try_each(wanted.par_iter(), |u| {
            // The unit's own procedures' parts, dropped with the unit.
            let own = Shared::own(cx, u, &shared).map_err(|e| RenderError {
                what: format!("{}/data.json", u.unit.path),
                message: e.to_string(),
            })?;
            let shared = [&shared, &own];
            let path = format!("{}/data.json", u.unit.path);
            if cx.wants(&path) {
                let json = json(cx, u, &shared).map_err(|e| RenderError {
                    what: path.clone(),
                    message: e.to_string(),
                })?;
                out.write(&path, json.as_bytes())
                    .map_err(|e| RenderError::io(path, e))?;
                cx.tick();
            }
            let path = format!("{}/data.csv", u.unit.path);
            if cx.wants(&path) {
                let csv = csv(cx, u, &shared).map_err(|e| RenderError {
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

/// What a procedure's open data says whatever unit publishes it, written once per
/// distinct procedure: a catalogue entry adopted by 300 units is serialised once, not
/// 300 times (in a build, and in `serve` after a catalogue edit).
struct Shared {
    /// Its JSON object without the opening brace (`"code":…}`), to follow the unit's
    /// own fields in the same object, as `#[serde(flatten)]` writes them.
    json_tail: String,
    /// The CSV cells that do not depend on the unit, in [`CSV_HEADER`]'s order from
    /// "Mã TTHC" to "Ngày bãi bỏ" except "Tình trạng" and "Địa điểm thực hiện".
    cells: Vec<String>,
}

/// About how long a procedure's JSON is, to allocate it once: its Markdown, and 4 KB
/// for the rest (3.7 KB on average at the 20k benchmark). Written through
/// `serde_json::to_string`, the buffer started at 128 bytes and was copied into a
/// bigger one six times.
impl Shared {
    fn new(cx: &RenderContext, p: &Procedure) -> serde_json::Result<Shared> {
        let mut json = serde_json::to_string(p)?;
        // The brace dropped in place: the tail copied out was a second string as long.
        if json.starts_with('{') {
            json.remove(0);
        } else {
            json = "}".into();
        }
        Ok(Shared {
            json_tail: json,
            cells: shared_cells(cx, p),
        })
    }

    /// The shared parts of every procedure published by more than one of the units, by
    /// procedure. The others' are made with their unit ([`Shared::own`]), so a site of
    /// unique procedures never holds them all at once.
    fn of(cx: &RenderContext, units: &[&ResolvedUnit]) -> serde_json::Result<ProcMap<Shared>> {
        let mut uses: ProcMap<usize> = ProcMap::default();
        for u in units {
            for p in &u.procedures {
                *uses.entry(ProcKey::of(&p.procedure)).or_default() += 1;
            }
        }
        let list: Vec<ProcKey> = uses
            .into_iter()
            .filter(|(_, n)| *n > 1)
            .map(|(k, _)| k)
            .collect();
        let made = list
            .into_par_iter()
            .map(|k| {
                let sh = Shared::new(cx, k.procedure())?;
                Ok((k, sh))
            })
            .collect::<serde_json::Result<Vec<_>>>()?;
        Ok(made.into_iter().collect())
    }

    /// The parts of the procedures of `u` that `shared` lacks.
    fn own(
        cx: &RenderContext,
        u: &ResolvedUnit,
        shared: &ProcMap<Shared>,
    ) -> serde_json::Result<ProcMap<Shared>> {
        u.procedures
            .iter()
            .filter(|p| !shared.contains_key(&ProcRef(&p.procedure)))
            .map(|p| Ok((ProcKey::of(&p.procedure), Shared::new(cx, &p.procedure)?)))
            .collect()
    }
}

/// The shared parts of `p`, from the first map that has them.
fn find<'a>(shared: &[&'a ProcMap<Shared>], p: &Arc<Procedure>) -> Option<&'a Shared> {
    shared.iter().find_map(|m| m.get(&ProcRef(p)))
}

/// The unit's own fields of a procedure in its data.json, before the shared ones.
#[derive(Serialize)]
struct ItemHead<'a> {
    status: Status,
    origin: Origin,
    url: &'a str,
    /// `Procedure::changed` as of the build's date, ISO.
    changed: Option<String>,
}

/// What a unit's data.json says of the unit, with `procedures` to fill in.
fn data<'a>(cx: &RenderContext, u: &'a ResolvedUnit, procedures: Vec<ProcData<'a>>) -> Data<'a> {
    Data {
        generator: concat!("niemyet ", env!("CARGO_PKG_VERSION")),
        generated: cx.site.today.iso(),
        updated: u.last_changed.map(|d| d.iso()),
        licence: cx.site.config.licence.clone(),
        unit: UnitData {
            name: &u.unit.name,
            path: &u.unit.path,
            kind: u.unit.kind.slug(),
            code: u.unit.code.as_deref(),
            url: cx.absolute(&u.unit.path),
            office: u.unit.office.as_ref(),
            feedback: u.feedback.as_ref(),
        },
        procedures,
    }
}

/// The unit's data.json: what [`Data`] serialises to, with each procedure's shared part
/// written once per procedure (see [`Shared`]).
fn json(
    cx: &RenderContext,
    u: &ResolvedUnit,
    shared: &[&ProcMap<Shared>],
) -> serde_json::Result<String> {
    let head = serde_json::to_string(&data(cx, u, Vec::new()))?;
    // `…,"procedures":[]}`: the list goes between the brackets.
    let open = head.strip_suffix("]}").unwrap_or(&head);
    // Each procedure's head (without its `}`) and the rest of its object: shared, or its
    // own made here.
    let mut items: Vec<(String, Cow<str>)> = Vec::with_capacity(u.procedures.len());
    for p in &u.procedures {
        let url = cx.absolute(&[&u.unit.path, "/", &p.procedure.code].concat());
        let mut item = serde_json::to_string(&ItemHead {
            status: p.status,
            origin: p.origin,
            url: &url,
            changed: p.procedure.changed(cx.site.today).map(|d| d.iso()),
        })?;
        item.pop(); // its `}`: the procedure's own keys follow
        let tail = match find(shared, &p.procedure) {
            Some(sh) => Cow::Borrowed(sh.json_tail.as_str()),
            None => Cow::Owned(Shared::new(cx, &p.procedure)?.json_tail),
        };
        items.push((item, tail));
    }
    // Allocated at its final size: the file of a province adopting a whole catalogue is
    // tens of megabytes, and growing it copied it over and over.
    let len = open.len()
        + items
            .iter()
            .map(|(item, tail)| item.len() + 2 + tail.len())
            .sum::<usize>()
        + 2;
    let mut s = String::with_capacity(len);
    s.push_str(open);
    for (i, (item, tail)) in items.iter().enumerate() {
        if i > 0 {
            s.push(',');
        }
        s.push_str(item);
        s.push(',');
        s.push_str(tail);
    }
    s.push_str("]}");
    Ok(s)
}

/// data.json serialised in one piece: the reference [`json`] is tested against.
#[cfg(test)]
fn json_whole(cx: &RenderContext, u: &ResolvedUnit) -> String {
    let procedures = u
        .procedures
        .iter()
        .map(|p| ProcData {
            status: p.status,
            origin: p.origin,
            url: cx.absolute(&format!("{}/{}", u.unit.path, p.procedure.code)),
            changed: p.procedure.changed(cx.site.today).map(|d| d.iso()),
            procedure: &p.procedure,
        })
        .collect();
    let data = data(cx, u, procedures);
    serde_json::to_string(&data).expect("data.json")
}

/// A text cell of the CSV. Spreadsheet programs run a cell that starts with `=`, `+`, `@`,
/// a tab, a carriage return or `-` as a formula, which can fetch URLs or run commands (CSV
/// injection: `-2+3+cmd|' /C calc'!A0`); such a cell gets a leading `'`, which
/// spreadsheets treat as "text". A `-` alone, or before a plain number (`-5`, `-1.000`,
/// `-2,5`), is left as it is: spreadsheets read it as a number, nothing runs.
pub(crate) fn cell(s: &str) -> String {
    let risky = match s.as_bytes() {
        [b'=' | b'+' | b'@' | b'\t' | b'\r', ..] => true,
        // Anything but a plain negative number after the `-`.
        [b'-', first, rest @ ..] => {
            !first.is_ascii_digit()
                || !rest
                    .iter()
                    .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b','))
        }
        _ => false,
    };
    if risky {
        format!("'{s}")
    } else {
        s.to_owned()
    }
}

/// The columns of `data.csv` (Vietnamese headings, for spreadsheet users), each
/// documented in docs/open-data.md with the data.json field it holds.
const CSV_HEADER: [&str; 21] = [
    "TT",
    "Mã TTHC",
    "Tên TTHC",
    "Lĩnh vực",
    "Cấp thực hiện",
    "Tình trạng",
    "Thời hạn giải quyết",
    "Phí, lệ phí",
    "Địa điểm thực hiện",
    "Cơ quan thực hiện",
    "Đối tượng thực hiện",
    "Kết quả thực hiện",
    "Căn cứ pháp lý",
    "Số quyết định công bố",
    "Dịch vụ công trực tuyến",
    "Ngày có hiệu lực",
    "Ngày bãi bỏ",
    "Thay thế bằng",
    "Ngày cập nhật",
    "Địa chỉ trang",
    "Giấy phép dữ liệu",
];

/// The status column of data.csv.
fn status_label(status: Status) -> &'static str {
    match status {
        Status::Current => "Đang áp dụng",
        Status::Upcoming => "Sắp có hiệu lực",
        Status::Repealed => "Đã bãi bỏ",
    }
}

/// A channel's time in full: the value and the source's text, both when both are
/// given (the lists show one of them, shortened).
fn time_full(lex: &Lexicon, t: Option<&ProcessingTime>) -> String {
    let parts: Vec<String> = t
        .map(|t| [lex.time_value(t), t.text.as_deref().map(str::to_owned)])
        .into_iter()
        .flatten()
        .flatten()
        .collect();
    if parts.is_empty() {
        lex.unpublished.clone()
    } else {
        parts.join(" – ")
    }
}

/// A channel's fees in full: each tier's amount with its text, or its text alone.
fn fees_full(lex: &Lexicon, fees: Option<&[Fee]>) -> String {
    match fees {
        None => lex.unpublished.clone(),
        Some([]) => lex.free.clone(),
        Some(list) => {
            let tiers: Vec<String> = list
                .iter()
                .filter_map(|f| match (f.amount, f.text.as_deref()) {
                    (Some(a), Some(t)) => Some(format!("{} ({t})", lex.money(a))),
                    (Some(a), None) => Some(lex.money(a)),
                    (None, Some(t)) => Some(t.to_owned()),
                    (None, None) => None,
                })
                .collect();
            if tiers.is_empty() {
                lex.unpublished.clone()
            } else {
                tiers.join(" / ")
            }
        }
    }
}

/// One value per channel, `Trực tiếp: …; Trực tuyến: …`, or the one value when all
/// channels agree.
fn per_channel(lex: &Lexicon, channels: &[Channel], f: impl Fn(&Channel) -> String) -> String {
    let mut parts: Vec<(String, Vec<&str>)> = Vec::new();
    for c in channels {
        let v = f(c);
        match parts.iter_mut().find(|(x, _)| *x == v) {
            Some((_, methods)) => methods.push(c.method.label()),
            None => parts.push((v, vec![c.method.label()])),
        }
    }
    match parts.len() {
        0 => lex.unpublished.clone(),
        1 => parts.remove(0).0,
        _ => parts
            .into_iter()
            .map(|(v, m)| format!("{}: {v}", m.join(", ")))
            .collect::<Vec<_>>()
            .join("; "),
    }
}

/// The cells of a procedure that do not depend on the unit publishing it (see
/// [`Shared::cells`]): full texts, never the lists' shortened summaries; dates ISO.
fn shared_cells(cx: &RenderContext, p: &Procedure) -> Vec<String> {
    let lex = &cx.lex;
    let list = |v: &[crate::model::Text]| cell(&v.join("; "));
    let date = |d: Option<crate::date::Date>| d.map(|d| d.iso()).unwrap_or_default();
    vec![
        cell(&p.code),
        cell(p.title()),
        cell(p.sector.as_deref().unwrap_or_default()),
        p.levels
            .iter()
            .map(|l| l.label())
            .collect::<Vec<_>>()
            .join(", "),
        cell(&per_channel(lex, &p.channels, |c| {
            time_full(lex, c.time.as_ref())
        })),
        cell(&per_channel(lex, &p.channels, |c| {
            fees_full(lex, c.fees.as_deref())
        })),
        cell(p.agency.as_deref().unwrap_or_default()),
        list(&p.applicants),
        list(&p.result),
        list(&p.legal_basis),
        cell(p.decision.as_deref().unwrap_or_default()),
        p.online.map(|o| o.label()).unwrap_or_default().to_owned(),
        date(p.effective),
        date(p.repealed),
        cell(p.replaced_by.as_deref().unwrap_or_default()),
    ]
}

/// One row of data.csv: the shared cells with the unit's own in their places.
fn row(
    cx: &RenderContext,
    u: &ResolvedUnit,
    i: usize,
    pb: &crate::resolve::Published,
    shared: &[String],
) -> Vec<String> {
    let p = &pb.procedure;
    let mut r = Vec::with_capacity(CSV_HEADER.len());
    r.push((i + 1).to_string());
    r.extend_from_slice(&shared[..4]);
    r.push(status_label(pb.status).to_owned());
    r.extend_from_slice(&shared[4..6]);
    r.push(cell(&place_of(p, u)));
    r.extend_from_slice(&shared[6..]);
    r.push(
        p.changed(cx.site.today)
            .map(|d| d.iso())
            .unwrap_or_default(),
    );
    r.push(cx.absolute(&[&u.unit.path, "/", &p.code].concat()));
    r.push(cell(&cx.site.config.licence.line()));
    r
}

/// data.csv: RFC 4180 (comma, `"` quoting, CRLF), UTF-8 with a byte-order mark, one
/// row per procedure. The mark is what makes Excel read the file as UTF-8 when opened
/// by a double click (without it, Vietnamese letters come out as Windows-1252
/// mojibake); LibreOffice, pandas (`encoding="utf-8-sig"`) and Python's `csv` read it.
fn csv(
    cx: &RenderContext,
    u: &ResolvedUnit,
    shared: &[&ProcMap<Shared>],
) -> Result<Vec<u8>, csv::Error> {
    // About 1.5 KB a procedure: allocated once rather than doubled from 3 bytes.
    let mut buf = Vec::with_capacity(1536 * (u.procedures.len() + 1));
    buf.extend_from_slice(b"\xEF\xBB\xBF");
    {
        let mut w = csv::WriterBuilder::new()
            .terminator(csv::Terminator::CRLF)
            .from_writer(&mut buf);
        w.write_record(CSV_HEADER)?;
        for (i, pb) in u.procedures.iter().enumerate() {
            let p = &pb.procedure;
            let own;
            let sh = match find(shared, p) {
                Some(sh) => sh,
                None => {
                    own = Shared::new(cx, p)
                        .map_err(|e| csv::Error::from(std::io::Error::other(e)))?;
                    &own
                }
            };
            w.write_record(row(cx, u, i, pb, &sh.cells))?;
        }
        w.flush()?;
    }
    Ok(buf)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_cells_that_a_spreadsheet_would_run_are_made_text() {
        for risky in [
            "-2+3+cmd|' /C calc'!A0",
            "-1+1",
            "-5*2",
            "-3-1",
            "-1 ",
            "- 2+3",
            "-cmd|' /C calc'!A0",
            "- Tờ khai",
            "-(1)",
            "=HYPERLINK(\"http://x\")",
            "+1",
            "@SUM(A1)",
            "\t=1",
            "\r=1",
        ] {
            assert_eq!(cell(risky), format!("'{risky}"), "{risky:?}");
        }
        for safe in [
            "",
            "-",
            "-5",
            "-1.000",
            "-2,5",
            "15.000 đồng",
            "Miễn phí",
            "1+1",
            "a=b",
        ] {
            assert_eq!(cell(safe), safe, "{safe:?}");
        }
    }

    /// JSON's escaping as RFC 8259 and upstream serde_json write it: `"`, `\` and the
    /// controls escaped (the short forms where there is one), everything else as it is.
    fn escaped_reference(s: &str) -> String {
        let mut out = String::from("\"");
        for c in s.chars() {
            match c {
                '"' => out.push_str("\\\""),
                '\\' => out.push_str("\\\\"),
                '\n' => out.push_str("\\n"),
                '\r' => out.push_str("\\r"),
                '\t' => out.push_str("\\t"),
                '\u{8}' => out.push_str("\\b"),
                '\u{c}' => out.push_str("\\f"),
                c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
                c => out.push(c),
            }
        }
        out.push('"');
        out
    }

    /// The vendored serde_json finds what to escape eight bytes at a time
    /// (vendor/README.md): every ASCII byte, at every position of an eight-byte word and
    /// across two of them, amid Vietnamese letters (bytes with the high bit set, which
    /// must not pass for controls), is written as the reference writes it, and reads back.
    #[test]
    fn json_strings_are_escaped_as_the_standard_says() {
        let fillers = ["", "a", "Đăng ký", "hồ sơ ~~ xyz 0123456789", "ư\u{7f}ờ"];
        for b in 0u8..0x80 {
            let c = char::from(b);
            for filler in fillers {
                for at in 0..=filler.chars().count() {
                    for tail in ["", "1234567", "ệ", "trường hợp đầy đủ"] {
                        let head: String = filler.chars().take(at).collect();
                        let rest: String = filler.chars().skip(at).collect();
                        let s = format!("{head}{c}{rest}{tail}{c}");
                        let json = serde_json::to_string(&s).unwrap_or_default();
                        assert_eq!(json, escaped_reference(&s), "{s:?}");
                        let back: String = serde_json::from_str(&json).unwrap_or_default();
                        assert_eq!(back, s);
                    }
                }
            }
        }
    }

    /// data.csv written cell by cell, every cell made for its row: the reference
    /// [`csv`] is tested against.
    fn csv_whole(cx: &RenderContext, u: &ResolvedUnit) -> Vec<u8> {
        let mut buf = b"\xEF\xBB\xBF".to_vec();
        {
            let mut w = csv::WriterBuilder::new()
                .terminator(csv::Terminator::CRLF)
                .from_writer(&mut buf);
            w.write_record(CSV_HEADER).unwrap();
            for (i, pb) in u.procedures.iter().enumerate() {
                let cells = shared_cells(cx, &pb.procedure);
                w.write_record(row(cx, u, i, pb, &cells)).unwrap();
            }
            w.flush().unwrap();
        }
        buf
    }

    /// The example site of the repository (adoption, overrides, repealed and upcoming
    /// procedures, raw texts, forms): written per procedure, the open data is what
    /// serialising each unit whole writes, byte for byte.
    #[test]
    fn shared_parts_give_the_same_bytes() {
        let (site, theme) = crate::render::example_site();
        let opts = crate::render::RenderOptions::default();
        let cx = RenderContext::new(&site, &theme, &opts);
        let units: Vec<&ResolvedUnit> = site.units.iter().collect();
        let shared = Shared::of(&cx, &units).expect("shared");
        assert!(units.iter().map(|u| u.procedures.len()).sum::<usize>() > shared.len());
        for u in &units {
            assert_eq!(
                json(&cx, u, &[&shared]).expect("json"),
                json_whole(&cx, u),
                "{}",
                u.unit.path
            );
            assert_eq!(json(&cx, u, &[]).expect("json"), json_whole(&cx, u));
            assert_eq!(
                csv(&cx, u, &[&shared]).expect("csv"),
                csv_whole(&cx, u),
                "{}",
                u.unit.path
            );
        }
    }
}
