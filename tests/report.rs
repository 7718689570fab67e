//! The disclosure report (`niemyet report`, `/kiem-soat/`): its CSV parsed back and every
//! count compared with what the fixture's files imply, read from those files here; the
//! page linked from the province only and left out of the sitemap; and the report of a
//! site made from the 5,652 national records, whose totals must add up.

mod common;
use common::*;
use std::collections::BTreeMap;
use std::path::Path;

const TODAY: &str = "2026-12-07";

/// The eleven components' keys, in the decree's order (the report's columns).
const COMPONENTS: [&str; 11] = [
    "name",
    "steps",
    "channels",
    "dossier",
    "time",
    "applicants",
    "agency",
    "forms",
    "result",
    "requirements",
    "fees",
];

/// Units of the fixture: (path, kind, own feedback, procedures).
const UNITS: [(&str, &str, bool, usize); 4] = [
    ("tinh-thu", "tinh", true, 3),
    ("tinh-thu/xa-mot", "xa", false, 9),
    ("tinh-thu/xa-hai", "xa", true, 7),
    ("tinh-thu/xa-ba", "xa", false, 0),
];

/// A procedure varied by its number: some list `agency` as unpublished, some leave a
/// channel's fees or time out, some have no online channel, some are not in force yet,
/// some repealed.
fn varied(code: &str, i: usize) -> String {
    let mut md = procedure_md(code, &format!("Thủ tục số {i}"), "effective = 2025-07-01");
    if i % 5 == 1 {
        md = md.replace(
            "agency = \"Ủy ban nhân dân cấp xã\"\n",
            "unpublished = [\"agency\"]\n",
        );
    }
    if i % 4 == 2 {
        md = md.replace(
            "fees = [{ amount = 7000, text = \"Nộp trực tuyến\" }]\n",
            "",
        );
    }
    if i % 6 == 4 {
        md = md.replacen("time = { value = 3, unit = \"working-days\" }\n", "", 1);
    }
    if i.is_multiple_of(3) {
        let start = md.find("[[channels]]\nmethod = \"truc-tuyen\"").unwrap();
        let end = md[start..].find("[[dossier]]").unwrap() + start;
        md.replace_range(start..end, "");
    }
    if i % 7 == 3 {
        md = md.replace("effective = 2025-07-01", "effective = 2027-02-01");
    }
    if i % 8 == 5 {
        md = md.replace(
            "effective = 2025-07-01",
            "effective = 2025-07-01\nrepealed = 2026-10-01",
        );
    }
    if i % 4 == 1 {
        md = md.replace(
            "effective = 2025-07-01",
            &format!(
                "effective = 2025-07-01\nupdated = 2026-0{}-1{}",
                1 + i % 9,
                i % 10
            ),
        );
    }
    md
}

fn fixture() -> Site {
    let s = Site::new();
    let mut n = 0;
    for (path, kind, own, count) in UNITS {
        let extra = if own {
            format!("[feedback]\nagency = \"Văn phòng {path}\"\naddress = \"Số 1 {path}\"\n")
        } else {
            String::new()
        };
        s.write(
            &format!("content/{path}/_unit.toml"),
            &unit_toml(&format!("Đơn vị {path}"), kind, &extra),
        );
        for _ in 0..count {
            n += 1;
            let code = format!("1.00{}", 6000 + n);
            s.write(&format!("content/{path}/{code}.md"), &varied(&code, n));
        }
    }
    s
}

/// What a procedure file says, read from its front matter here (not by niemyet).
#[derive(Default, Debug)]
struct Facts {
    effective: Option<String>,
    repealed: Option<String>,
    updated: Option<String>,
    unpublished: Vec<String>,
    /// Per channel: (method, has time, has fees).
    channels: Vec<(String, bool, bool)>,
    online: bool,
}

fn facts(text: &str) -> Facts {
    let front = text.split("+++").nth(1).expect("front matter");
    let mut f = Facts::default();
    let value = |l: &str| {
        l.split_once('=')
            .map(|(_, v)| v.trim().trim_matches('"').to_string())
    };
    for block in front.split("[[").enumerate() {
        let (i, b) = block;
        if i == 0 {
            for l in b.lines() {
                let key = l.split('=').next().unwrap_or("").trim();
                match key {
                    "effective" => f.effective = value(l),
                    "repealed" => f.repealed = value(l),
                    "updated" => f.updated = value(l),
                    "online" => f.online = true,
                    "unpublished" => {
                        f.unpublished = value(l)
                            .unwrap()
                            .trim_matches(|c| c == '[' || c == ']')
                            .split(',')
                            .map(|s| s.trim().trim_matches('"').to_string())
                            .collect()
                    }
                    _ => {}
                }
            }
        } else if let Some(body) = b.strip_prefix("channels]]") {
            let method = body
                .lines()
                .find(|l| l.starts_with("method"))
                .and_then(value)
                .unwrap();
            f.channels.push((
                method,
                body.lines().any(|l| l.starts_with("time")),
                body.lines().any(|l| l.starts_with("fees")),
            ));
        }
    }
    f
}

/// One unit's expected figures, from its files on disk.
#[derive(Debug, PartialEq)]
struct Expected {
    published: usize,
    upcoming: usize,
    repealed: usize,
    unpublished: [usize; 11],
    no_online: usize,
    last_changed: String,
}

fn expected(dir: &Path) -> Expected {
    let mut e = Expected {
        published: 0,
        upcoming: 0,
        repealed: 0,
        unpublished: [0; 11],
        no_online: 0,
        last_changed: String::new(),
    };
    let mut dates: Vec<String> = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let p = entry.unwrap().path();
        if p.extension().is_none_or(|x| x != "md") {
            continue;
        }
        let f = facts(&std::fs::read_to_string(&p).unwrap());
        let eff = f.effective.clone().unwrap_or_default();
        if f.repealed.as_deref().is_some_and(|r| r <= TODAY) {
            e.repealed += 1;
            dates.push(f.repealed.clone().unwrap());
            continue;
        }
        if eff.as_str() > TODAY {
            e.upcoming += 1;
            continue;
        }
        e.published += 1;
        dates.push(eff);
        dates.extend(f.updated.clone().filter(|u| u.as_str() <= TODAY));
        let mut shown = [false; 11];
        for u in &f.unpublished {
            shown[COMPONENTS.iter().position(|c| c == u).unwrap()] = true;
        }
        if f.channels.iter().any(|c| !c.1) {
            shown[4] = true;
        }
        if f.channels.iter().any(|c| !c.2) {
            shown[10] = true;
        }
        for (n, s) in e.unpublished.iter_mut().zip(shown) {
            *n += usize::from(s);
        }
        if !f.online && !f.channels.iter().any(|c| c.0 == "truc-tuyen") {
            e.no_online += 1;
        }
    }
    e.last_changed = dates.into_iter().max().unwrap_or_default();
    e
}

/// The CSV parsed: heading → cell, one map per row.
fn parse_csv(text: &str) -> Vec<BTreeMap<String, String>> {
    let mut rows = Vec::new();
    let mut fields: Vec<Vec<String>> = Vec::new();
    // A small RFC 4180 reader: quoted cells may hold commas and doubled quotes.
    let mut cur = vec![String::new()];
    let (mut quoted, mut chars) = (false, text.chars().peekable());
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                cur.last_mut().unwrap().push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => cur.last_mut().unwrap().push(c),
            (false, '"') => quoted = true,
            (false, ',') => cur.push(String::new()),
            (false, '\n') => fields.push(std::mem::replace(&mut cur, vec![String::new()])),
            (false, '\r') => {}
            (false, c) => cur.last_mut().unwrap().push(c),
        }
    }
    let head = fields.remove(0);
    for f in fields {
        assert_eq!(f.len(), head.len(), "a row with another number of cells");
        rows.push(head.iter().cloned().zip(f).collect());
    }
    rows
}

fn num(row: &BTreeMap<String, String>, col: &str) -> usize {
    row.get(col)
        .unwrap_or_else(|| panic!("no column {col}: {:?}", row.keys()))
        .parse()
        .unwrap_or_else(|_| panic!("{col} = {:?}", row[col]))
}

/// The component columns, in order.
fn component_columns(row: &BTreeMap<String, String>) -> Vec<String> {
    let labels = [
        "Tên thủ tục hành chính",
        "Trình tự thực hiện",
        "Cách thức thực hiện",
        "Thành phần, số lượng hồ sơ",
        "Thời hạn giải quyết",
        "Đối tượng thực hiện thủ tục hành chính",
        "Cơ quan thực hiện thủ tục hành chính",
        "Mẫu đơn, mẫu tờ khai",
        "Kết quả thực hiện thủ tục hành chính",
        "Yêu cầu, điều kiện thực hiện thủ tục hành chính",
        "Phí, lệ phí",
    ];
    let cols: Vec<String> = labels
        .iter()
        .map(|l| format!("Chưa công bố: {l}"))
        .collect();
    for c in &cols {
        assert!(row.contains_key(c), "no column {c}");
    }
    cols
}

const NUMERIC: [&str; 5] = [
    "Đang niêm yết",
    "Sắp có hiệu lực",
    "Đã bãi bỏ, còn giữ trang",
    "Chưa công bố (tổng)",
    "Không có dịch vụ trực tuyến",
];

/// Every numeric column of the summary row is the sum of the units' rows.
fn assert_totals_add_up(rows: &[BTreeMap<String, String>]) {
    let (summary, units) = rows.split_first().expect("a summary row");
    assert_eq!(summary["Tên đơn vị"], "Toàn tỉnh");
    assert_eq!(num(summary, "Số đơn vị"), units.len());
    let mut cols: Vec<String> = NUMERIC.iter().map(|s| s.to_string()).collect();
    cols.extend(component_columns(summary));
    for col in &cols {
        let sum: usize = units.iter().map(|r| num(r, col)).sum();
        assert_eq!(num(summary, col), sum, "the summary's {col}");
    }
    let components: usize = component_columns(summary)
        .iter()
        .map(|c| num(summary, c))
        .sum();
    assert_eq!(num(summary, "Chưa công bố (tổng)"), components);
    let latest = units
        .iter()
        .map(|r| r["Dữ liệu thay đổi lần cuối"].clone())
        .max()
        .unwrap();
    assert_eq!(summary["Dữ liệu thay đổi lần cuối"], latest);
}

#[test]
fn the_reports_counts_are_what_the_content_implies() {
    let s = fixture();
    let run = s.run("report", &["--today", TODAY]);
    run.ok();
    let rows = parse_csv(&run.stdout);
    assert_eq!(rows.len(), 1 + UNITS.len(), "the summary, then every unit");
    assert_totals_add_up(&rows);
    for (path, _, own, count) in UNITS {
        let row = rows[1..]
            .iter()
            .find(|r| r["Đơn vị"] == path)
            .unwrap_or_else(|| panic!("no row for {path}"));
        let e = expected(&s.path().join("content").join(path));
        assert_eq!(e.published + e.upcoming + e.repealed, count);
        let cols = component_columns(row);
        let got = Expected {
            published: num(row, "Đang niêm yết"),
            upcoming: num(row, "Sắp có hiệu lực"),
            repealed: num(row, "Đã bãi bỏ, còn giữ trang"),
            unpublished: std::array::from_fn(|i| num(row, &cols[i])),
            no_online: num(row, "Không có dịch vụ trực tuyến"),
            last_changed: row["Dữ liệu thay đổi lần cuối"].clone(),
        };
        assert_eq!(got, e, "{path}");
        // Every unit but the province inherits the site's contact unless it has its own.
        let feedback = if own { "có" } else { "kế thừa" };
        assert_eq!(row["Địa chỉ phản ánh"], feedback, "{path}");
    }
    // The fixture exercises every figure: nothing above passed by being zero.
    let summary = &rows[0];
    for col in NUMERIC {
        assert!(num(summary, col) > 0, "{col} is 0 in the fixture");
    }

    // JSON: the same figures, dates ISO.
    let json = s.run("report", &["--today", TODAY, "--format", "json"]);
    json.ok();
    let v: serde_json::Value = serde_json::from_str(&json.stdout).expect("JSON");
    assert_eq!(v["today"], TODAY);
    assert_eq!(
        v["summary"]["published"].as_u64().unwrap() as usize,
        num(summary, "Đang niêm yết")
    );
    assert_eq!(
        v["summary"]["unpublished"]["agency"].as_u64().unwrap() as usize,
        num(
            summary,
            "Chưa công bố: Cơ quan thực hiện thủ tục hành chính"
        )
    );
    assert_eq!(v["units"].as_array().unwrap().len(), UNITS.len());

    // -o writes the same bytes into a file.
    let file = s.path().join("bao-cao.csv");
    s.run("report", &["--today", TODAY, "-o", file.to_str().unwrap()])
        .ok();
    assert_eq!(std::fs::read_to_string(&file).unwrap(), run.stdout);
}

#[test]
fn the_report_page_is_linked_from_the_province_only_and_not_in_the_sitemap() {
    let s = fixture();
    s.build(&["--today", TODAY]).ok();
    let page = s.page("kiem-soat/index.html");
    assert!(page.contains("noindex"));
    let text = text_of(&page);
    assert!(text.contains("Kiểm soát việc công khai thủ tục hành chính"));
    // Its figures are the report's.
    let csv = s.page("kiem-soat/bao-cao.csv");
    let rows = parse_csv(&csv);
    let cli = s.run("report", &["--today", TODAY]);
    assert_eq!(csv, cli.stdout, "the page's CSV is `niemyet report`'s");
    // A plain table, one row per unit, each linking to its unit page.
    let table = between(&page, "<tbody>", "</tbody>").expect("a table body");
    assert_eq!(table.matches("<tr>").count(), UNITS.len());
    for (path, ..) in UNITS {
        assert!(table.contains(&format!("href=\"../{path}/\"")), "{path}");
    }
    assert!(text.contains(&format!("Đang niêm yết {}", num(&rows[0], "Đang niêm yết"))));
    assert!(page.contains("static/sort-table.js"));

    // Linked from the province's page, not from the communes'.
    let link = "kiem-soat/";
    assert!(s
        .page("tinh-thu/index.html")
        .contains(&format!("href=\"../{link}\"")));
    for (path, ..) in &UNITS[1..] {
        assert!(
            !s.page(&format!("{path}/index.html")).contains(link),
            "{path} links to the report"
        );
    }
    assert!(!s.page("sitemap.xml").contains("kiem-soat"));
}

/// A province and two communes adopting the national records by level, reported without
/// a build: every total adds up, and each unit's procedures are the records of its
/// levels, counted from the imported files.
#[test]
fn the_report_of_the_national_records_adds_up() {
    let s = Site::new();
    s.write(
        "content/tinh-thu/_unit.toml",
        &unit_toml(
            "Tỉnh Thử",
            "tinh",
            "adopt_levels = [\"tinh\"]\n[feedback]\nagency = \"VP\"\naddress = \"Số 1\"\n",
        ),
    );
    for x in ["xa-mot", "xa-hai"] {
        s.write(
            &format!("content/tinh-thu/{x}/_unit.toml"),
            &unit_toml(x, "xa", "adopt_levels = [\"xa\"]"),
        );
    }
    let import = std::process::Command::new(env!("CARGO_BIN_EXE_niemyet"))
        .args(["import", "dvcqg"])
        .arg(dvcqg_dir())
        .args(["--into", "content/_catalog"])
        .current_dir(s.path())
        .output()
        .expect("run niemyet import");
    assert!(
        import.status.success(),
        "{}",
        String::from_utf8_lossy(&import.stderr)
    );
    let run = s.run("report", &["--today", TODAY]);
    run.ok();
    let rows = parse_csv(&run.stdout);
    assert_eq!(rows.len(), 4);
    assert_totals_add_up(&rows);

    // The records of each level, counted from the imported files' `level` line.
    let (mut tinh, mut xa) = (0, 0);
    for e in std::fs::read_dir(s.path().join("content/_catalog")).unwrap() {
        let text = std::fs::read_to_string(e.unwrap().path()).unwrap();
        let Some(level) = text.lines().find(|l| l.starts_with("level =")) else {
            continue;
        };
        tinh += usize::from(level.contains("\"tinh\""));
        xa += usize::from(level.contains("\"xa\""));
    }
    let all = |r: &BTreeMap<String, String>| {
        num(r, "Đang niêm yết") + num(r, "Sắp có hiệu lực") + num(r, "Đã bãi bỏ, còn giữ trang")
    };
    assert_eq!(all(&rows[1]), tinh, "the province's procedures");
    assert_eq!(all(&rows[2]), xa, "a commune's procedures");
    assert_eq!(rows[2]["Địa chỉ phản ánh"], "kế thừa");
    // Real records leave components out: the report sees them.
    assert!(num(&rows[0], "Chưa công bố (tổng)") > 0);
    eprintln!(
        "national records: province {tinh}, commune {xa}; unpublished components {}",
        num(&rows[0], "Chưa công bố (tổng)")
    );
}
