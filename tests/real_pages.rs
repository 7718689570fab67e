//! Real content at real size (#24): a commune adopting the 81 commune-level procedures of
//! four sectors of the national records (`../shared/data/dvcqg/`, imported with the
//! importer), looked at in headless Chromium and printed: its page is a list a citizen
//! scans, its danh mục prints as provinces publish it, a procedure's page puts what to
//! bring within two phone screens. And the short citation rule, run over every
//! legal-basis item of the 5,652 national records.

mod common;
use common::*;

use niemyet::render::cite;
use std::path::Path;
use std::process::Command;

/// The 81 commune-level (Cấp Xã) records of Hộ tịch, Chứng thực, Đăng ký, quản lý cư trú
/// and Bảo trợ xã hội: what a commune's one-stop desk publishes.
const CODES: &[&str] = &[
    "1.000080", "1.000094", "1.000110", "1.000419", "1.000593", "1.000656", "1.000689", "1.000893",
    "1.000894", "1.001022", "1.001193", "1.001653", "1.001669", "1.001695", "1.001699", "1.001731",
    "1.001766", "1.001776", "1.002755", "1.003197", "1.003583", "1.003677", "1.004194", "1.004222",
    "1.004746", "1.004772", "1.004827", "1.004837", "1.004845", "1.004859", "1.004873", "1.004884",
    "1.005461", "1.010028", "1.010038", "1.010039", "1.010040", "1.010041", "1.011947", "1.012169",
    "1.012749", "1.012822", "1.012824", "1.013313", "1.013314", "1.014027", "1.014028", "1.014589",
    "2.000282", "2.000286", "2.000477", "2.000497", "2.000513", "2.000522", "2.000528", "2.000547",
    "2.000554", "2.000635", "2.000748", "2.000756", "2.000779", "2.000806", "2.000815", "2.000884",
    "2.000908", "2.000913", "2.000927", "2.000942", "2.000986", "2.000992", "2.001008", "2.001016",
    "2.001019", "2.001023", "2.001035", "2.001159", "2.001406", "2.002189", "2.002516", "3.000322",
    "3.000323",
];

const UNIT: &str = "tinh-thu/xa-thu";
/// Xã Thử's address before the 2025 reorganisation.
const FORMER: &str = "tinh-thu/huyen-cu/xa-cu";

/// The commune, its records imported into the catalogue and adopted.
fn commune() -> Site {
    let s = Site::new();
    let src = tempfile::tempdir().unwrap();
    for code in CODES {
        let from = dvcqg_dir().join(format!("{code}.txt"));
        std::fs::copy(&from, src.path().join(format!("{code}.txt")))
            .unwrap_or_else(|e| panic!("{}: {e}", from.display()));
    }
    s.write(
        "site.toml",
        "title = \"Thủ tục hành chính tỉnh Thử\"\nbase_url = \"https://thu.example.vn/\"\n",
    );
    s.write(
        "content/tinh-thu/_unit.toml",
        "name = \"Tỉnh Thử\"\nkind = \"tinh\"\n[office]\nname = \"Trung tâm Phục vụ hành chính công tỉnh Thử\"\naddress = \"Số 1 đường Thử\"\n[feedback]\nagency = \"Văn phòng UBND tỉnh Thử\"\naddress = \"Số 1 đường Thử\"\n",
    );
    let adopt = CODES
        .iter()
        .map(|c| format!("\"{c}\""))
        .collect::<Vec<_>>()
        .join(", ");
    s.write(
        &format!("content/{UNIT}/_unit.toml"),
        &format!(
            "name = \"Xã Thử\"\nkind = \"xa\"\nadopt = [{adopt}]\n[office]\nname = \"Trung tâm Phục vụ hành chính công xã Thử\"\naddress = \"Thôn Một, xã Thử\"\nphone = \"0207 3822 111\"\nhours = \"Sáng 7:30–11:30, chiều 13:30–17:00, thứ Hai đến thứ Sáu\"\n[[former]]\npath = \"{FORMER}\"\nname = \"Xã Cũ (huyện Cũ)\"\ndate = 2025-07-01\n"
        ),
    );
    let into = s.path().join("content/_catalog/dvcqg");
    niemyet::import::dvcqg::run(&[src.path().to_path_buf()], &into, false)
        .unwrap_or_else(|e| panic!("import: {e:?}"));
    s
}

/// The QR codes zbarimg reads on every page of `pdf`, in page order: the top of each page
/// (where the codes are printed: in the margin in Chromium, in the sheet's own header in
/// Firefox), rasterised at 150 dpi in one pdftoppm run.
fn qr_per_page(pdf: &Path, dir: &Path) -> Vec<Vec<String>> {
    let prefix = dir.join("top");
    tool(
        "pdftoppm",
        &[
            "-r",
            "150",
            "-y",
            "0",
            "-H",
            "560",
            "-W",
            "1800",
            "-png",
            pdf.to_str().unwrap(),
            prefix.to_str().unwrap(),
        ],
    );
    let mut pngs: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with("top-"))
        })
        .collect();
    pngs.sort();
    pngs.iter().map(|png| qr_codes_in(png)).collect()
}

/// The texts of the pack's headings (h2, h3) and sector rows, as printed.
fn headings(board_html: &str) -> Vec<String> {
    let mut v = Vec::new();
    for tag in ["h2", "h3"] {
        let open = format!("<{tag}");
        let close = format!("</{tag}>");
        let mut rest = board_html;
        while let Some(i) = rest.find(&open) {
            rest = &rest[i..];
            let Some(j) = rest.find(&close) else { break };
            let t = text_of(&rest[..j + close.len()]);
            if !t.is_empty() {
                v.push(t);
            }
            rest = &rest[j..];
        }
    }
    v
}

/// What every printed page of the real commune's board must carry, whichever browser
/// printed it: the unit; a page number (Chromium: "Trang x / y" of the pack) or, where the
/// browser cannot number pages (Firefox), what the page is: the cover, the danh mục, the
/// procedure's number in the danh mục, the feedback sheet; on every procedure page a QR
/// code of the commune's own page of that procedure, on the danh mục and feedback pages
/// one of the commune page; and no page ends with a heading (a sector row or a section
/// heading). Returns the number of pages.
fn assert_every_page_identified(pdf: &Path, board_html: &str, browser: &str) -> usize {
    let sheets = pages(pdf);
    let total = sheets.len();
    let dir = tempfile::tempdir().unwrap();
    let mut qrs = qr_per_page(pdf, dir.path());
    // The cover's code is in the middle of the sheet: read the whole page.
    for (i, q) in qrs.iter_mut().enumerate() {
        if q.is_empty() {
            *q = qr_on_page(pdf, i + 1, dir.path());
        }
    }
    assert_eq!(qrs.len(), total, "{browser}: rasterised pages");
    let heads = headings(board_html);
    assert!(heads.len() > 100, "{browser}: {} headings", heads.len());
    let unit_url = "https://thu.example.vn/tinh-thu/xa-thu/";
    let mut bad = Vec::new();
    for (i, t) in sheets.iter().enumerate() {
        let n = i + 1;
        let flat = t.split_whitespace().collect::<Vec<_>>().join(" ");
        let mut why = Vec::new();
        if !flat.contains("Xã Thử") {
            why.push("no unit name".to_owned());
        }
        // Which sheet this page belongs to, by its footer ("Xã Thử · Mã TTHC <code> ·").
        let code = flat
            .split("Xã Thử · Mã TTHC ")
            .nth(1)
            .and_then(|r| r.split_whitespace().next())
            .filter(|c| CODES.contains(c));
        let catalogue = flat.contains("Danh mục thủ tục hành chính – Xã Thử");
        let cover = flat.contains("BẢNG NIÊM YẾT THỦ TỤC HÀNH CHÍNH");
        let feedback = flat.contains("Xã Thử · Tiếp nhận phản ánh, kiến nghị");
        if browser == "chromium" {
            if !flat.contains(&format!("Trang {n} / {total}")) {
                why.push(format!("no \"Trang {n} / {total}\""));
            }
        } else if let Some(c) = code {
            let of = format!(" / {}", CODES.len());
            let numbered = (1..=CODES.len()).any(|k| flat.contains(&format!("Thủ tục {k}{of}")));
            if !numbered {
                why.push(format!("procedure {c}: no \"Thủ tục n{of}\""));
            }
        } else if !(catalogue || cover || feedback) {
            why.push("neither a procedure's page nor the cover, danh mục or feedback sheet".into());
        }
        // The QR codes.
        let want: Option<String> = match code {
            Some(c) => Some(format!("{unit_url}{c}/")),
            None if catalogue || cover || feedback => Some(unit_url.to_owned()),
            None => None,
        };
        match &want {
            Some(w) if qrs[i] != [w.clone()] => {
                why.push(format!("QR codes {:?}, want {w}", qrs[i]));
            }
            None => why.push(format!("no sheet to tell its QR code (QR {:?})", qrs[i])),
            _ => {}
        }
        // The last line of text, footers and page numbers aside, is never a heading.
        let body: Vec<&str> = t
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .filter(|l| !l.contains("Xã Thử ·") && !l.starts_with("Trang "))
            .collect();
        if let Some(last) = body.last() {
            let last = last.split_whitespace().collect::<Vec<_>>().join(" ");
            if last.starts_with("Lĩnh vực:") || heads.contains(&last) {
                why.push(format!("ends with the heading `{last}`"));
            }
        }
        if !why.is_empty() {
            bad.push(format!("{browser} page {n}/{total}: {}", why.join("; ")));
        }
    }
    assert!(
        bad.is_empty(),
        "{} of {total} pages printed by {browser}:\n{}",
        bad.len(),
        bad[..bad.len().min(40)].join("\n")
    );
    total
}

/// A document number as the national database writes it in a title's parenthesis
/// (`123/2015/NĐ-CP`, `66.7/2025/NQ-CP`): digits, a year, an issuer. Independent of the
/// rule under test: a plain token match.
fn standard_numbers(s: &str) -> Vec<String> {
    s.split_whitespace()
        .map(|w| w.trim_matches(|c: char| ",;:.()".contains(c)))
        .filter(|w| {
            let parts: Vec<&str> = w.splitn(3, '/').collect();
            parts.len() == 3
                && !parts[0].is_empty()
                && parts[0].chars().all(|c| c.is_ascii_digit() || c == '.')
                && parts[1].len() == 4
                && parts[1].chars().all(|c| c.is_ascii_digit())
                && parts[2].starts_with(|c: char| c.is_uppercase())
                && !parts[2].ends_with('-')
        })
        .map(str::to_owned)
        .collect()
}

#[test]
fn every_legal_basis_item_of_the_national_records_gets_a_short_citation() {
    let dir = dvcqg_dir();
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    files.sort();
    assert!(files.len() >= 5_652, "{} records", files.len());
    let (mut items, mut numbered, mut bad) = (0, 0, Vec::new());
    for f in &files {
        let text = std::fs::read_to_string(f).unwrap();
        let Ok(rec) = niemyet::import::dvcqg::parse_record(f, &text) else {
            continue;
        };
        let Some(lb) = rec.legal_basis else { continue };
        for item in &lb.items {
            items += 1;
            let c = cite::citation(item);
            let flat = item.split_whitespace().collect::<Vec<_>>().join(" ");
            let flat_joined = flat.replace("- ", "-").replace("/ ", "/");
            // The number the database puts in the trailing parenthesis; the title's when
            // the parenthesis holds none. A malformed number in the parenthesis
            // ("225/NĐ-CP") may give way to the title's well-formed one: then the citation
            // holds one of the two, never a number of its own.
            let paren = flat_joined
                .trim_end_matches([';', '.', ' '])
                .strip_suffix(')')
                .and_then(|s| s.rfind('(').map(|i| &s[i + 1..]));
            let paren_has_number = paren.is_some_and(|p| {
                p.split_whitespace()
                    .any(|w| w.contains('/') && w.chars().any(|c| c.is_ascii_digit()))
            });
            let wanted = match paren {
                Some(p) if paren_has_number => standard_numbers(p),
                _ => standard_numbers(&flat_joined),
            };
            let mut why = None;
            if c.trim().is_empty() {
                why = Some("empty");
            } else if let Some(n) = wanted.first() {
                numbered += 1;
                if !c.contains(n.as_str()) {
                    why = Some("lacks the document number");
                }
            }
            // Never a cut number: every number-like token of the citation is whole in the
            // item, and an ellipsis never follows a letter or digit of a cut word.
            for w in c.split_whitespace() {
                let w = w.trim_end_matches('…');
                if w.contains('/') && !flat_joined.contains(w) {
                    why = Some("cuts or changes a number");
                }
            }
            if let Some(i) = c.find('…') {
                let kept = &c[..i];
                if !flat.starts_with(kept.trim_end()) {
                    why = Some("shortened text is not the title's start");
                }
            }
            if c.chars().count() > 80 {
                why = Some("longer than 80 characters");
            }
            if let Some(why) = why {
                bad.push(format!("{}: {why}: `{item}` -> `{c}`", f.display()));
            }
        }
    }
    eprintln!("{items} legal-basis items, {numbered} with a document number");
    assert!(items > 20_000, "{items}");
    assert!(
        bad.is_empty(),
        "{} of {items} items:\n{}",
        bad.len(),
        bad[..bad.len().min(40)].join("\n")
    );
}

#[test]
fn a_real_commune_is_a_list_to_scan_and_prints_its_danh_muc_as_provinces_do() {
    if !chromium_available() {
        return;
    }
    let s = commune();
    s.build(&["--today", "2026-12-07"]).ok();
    let out = s.out();
    // In Chromium: the unit page's height per procedure at 360 px, 320 px without
    // sideways scrolling, the sector index, what to bring within two phone screens.
    let report = node("real.mjs", &[out.to_str().unwrap(), UNIT, "81", FORMER]);
    eprintln!("{report}");

    // The pack printed by `niemyet pdf`: the danh mục sheets.
    let pdf = s.path().join("board.pdf");
    let run = Command::new(env!("CARGO_BIN_EXE_niemyet"))
        .args(["pdf", "--root", s.path().to_str().unwrap(), UNIT, "-o"])
        .arg(&pdf)
        .args(["--today", "2026-12-07"])
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let board = std::fs::read_to_string(out.join(UNIT).join("niem-yet/index.html")).unwrap();
    let total = assert_every_page_identified(&pdf, &board, "chromium");
    eprintln!("chromium: {total} pages, each with the unit, its number and its QR code");
    let sheets = pages(&pdf);
    let list: Vec<(usize, &String)> = sheets
        .iter()
        .enumerate()
        .filter(|(_, t)| t.contains("Danh mục thủ tục hành chính ·"))
        .collect();
    let total = sheets.len();
    eprintln!("pack: {total} sheets, danh mục {} sheets", list.len());
    assert!(
        list.len() <= CODES.len().div_ceil(7),
        "danh mục of {} procedures on {} sheets (at most one sheet per 7)",
        CODES.len(),
        list.len()
    );
    for (i, t) in &list {
        // Every sheet of the list says what it is, whose, and which page.
        assert!(
            t.contains("Danh mục thủ tục hành chính – Xã Thử"),
            "sheet {}: {t}",
            i + 1
        );
        assert!(
            t.contains(&format!("Trang {} / {total}", i + 1)),
            "sheet {}: {t}",
            i + 1
        );
        // A sector heading is never the last thing on a sheet: a row follows it.
        let body: Vec<&str> = t
            .lines()
            .filter(|l| !l.trim().is_empty())
            .filter(|l| !l.contains("Ngày in") && !l.contains("Trang "))
            .collect();
        if let Some(pos) = body.iter().rposition(|l| l.contains("Lĩnh vực:")) {
            assert!(
                body[pos + 1..]
                    .iter()
                    .any(|l| CODES.iter().any(|c| l.contains(c))),
                "sheet {} ends with a sector heading:\n{t}",
                i + 1
            );
        }
        // No code or document number broken across lines: each line's tokens that look
        // like the start of a number end whole.
        for l in t.lines() {
            for w in l.split_whitespace() {
                let w = w.trim_end_matches([';', ',']);
                assert!(
                    !(w.ends_with("/N") || w.ends_with("/NĐ-") || w.ends_with("/TT-")),
                    "sheet {}: number cut at the end of a line: `{w}`",
                    i + 1
                );
            }
        }
    }
    // QR codes: a procedure's sheet holds the commune's own page of it; the cover and the
    // list the commune's page.
    let dir = tempfile::tempdir().unwrap();
    let first = sheets
        .iter()
        .position(|t| t.contains("Mã TTHC 1.000894"))
        .expect("the sheet of 1.000894");
    assert_eq!(
        qr_on_page(&pdf, first + 1, dir.path()),
        ["https://thu.example.vn/tinh-thu/xa-thu/1.000894/"]
    );
    for n in [1, list[0].0 + 1] {
        assert_eq!(
            qr_on_page(&pdf, n, dir.path()),
            ["https://thu.example.vn/tinh-thu/xa-thu/"],
            "sheet {n}"
        );
    }
    // Every procedure is in the list, with short citations.
    let all = list.iter().map(|(_, t)| t.as_str()).collect::<String>();
    for c in CODES {
        assert!(all.contains(c), "{c} missing from the printed danh mục");
    }
    assert!(all.contains("Nghị định 123/2015/NĐ-CP"), "{all}");
}

/// The same board printed from Firefox ESR, which has no @page margin boxes: every page
/// still carries the unit, what it is (the procedure's number in the danh mục where
/// Firefox cannot number pages) and the QR code, and no heading ends a page.
#[test]
fn a_real_commune_board_printed_from_firefox_keeps_unit_number_and_qr_on_every_page() {
    if !firefox_available() {
        return;
    }
    let s = commune();
    s.build(&["--today", "2026-12-07"]).ok();
    let out = s.out();
    let pdf = s.path().join("firefox.pdf");
    let report = node(
        "firefox-print.mjs",
        &[out.to_str().unwrap(), UNIT, pdf.to_str().unwrap()],
    );
    eprintln!("{report}");
    let info = tool("pdfinfo", &[pdf.to_str().unwrap()]);
    assert!(info.contains("(A4)"), "{info}");
    let board = std::fs::read_to_string(out.join(UNIT).join("niem-yet/index.html")).unwrap();
    let total = assert_every_page_identified(&pdf, &board, "firefox");
    let sheets = pages(&pdf);
    let list = sheets
        .iter()
        .filter(|t| t.contains("Danh mục thủ tục hành chính – Xã Thử"))
        .count();
    eprintln!("firefox: {total} pages, danh mục {list} pages");
    // The danh mục is a table on landscape sheets, not the phone's stacked cards.
    assert!(
        list >= 2 && list <= CODES.len().div_ceil(7),
        "danh mục of {} procedures on {list} pages",
        CODES.len()
    );
    // Each procedure starts a new sheet: no page holds two procedures' footers.
    for (i, t) in sheets.iter().enumerate() {
        let mut codes: Vec<&str> = t
            .split("Xã Thử · Mã TTHC ")
            .skip(1)
            .filter_map(|r| r.split_whitespace().next())
            .collect();
        codes.dedup();
        assert!(codes.len() <= 1, "page {} holds {codes:?}", i + 1);
    }
    for c in CODES {
        assert!(
            sheets
                .iter()
                .any(|t| t.contains(&format!("Xã Thử · Mã TTHC {c}"))),
            "no page of {c}"
        );
    }
}

/// Former addresses at every depth. The former unit's own address and its board's are
/// pages that lead on; an address below it (`old/<code>/`, on boards and bookmarks from
/// before 2025) is answered by 404.html, whose script leads it on in the browser (see
/// `tests/browser/moved.mjs`, and `tests/deploy.rs` through nginx).
#[test]
fn former_addresses_answer_at_every_depth() {
    let s = example();
    s.build(&[]).ok();
    let old = "tuyen-quang/huyen-son-duong/xa-dong-loi";
    let split = "tuyen-quang/thanh-pho-tuyen-quang/phuong-tan-ha";
    // A merger: the old commune's address and its board's lead to the new commune's.
    let unit = s.page(&format!("{old}/index.html"));
    assert!(
        unit.contains("data-successor href=\"../../../tuyen-quang/xa-dong-loi/\""),
        "{unit}"
    );
    let board = s.page(&format!("{old}/niem-yet/index.html"));
    assert!(
        board.contains("url=../../../../tuyen-quang/xa-dong-loi/niem-yet/\""),
        "{board}"
    );
    // A split lists its successors, and does not choose.
    let page = s.page(&format!("{split}/index.html"));
    assert_eq!(page.matches("data-successor").count(), 2, "{page}");
    assert!(!page.contains("http-equiv=\"refresh\""));
    // No file per old procedure address: the 404 page leads them on.
    assert!(!s.exists(&format!("{old}/1.001193/index.html")));
    let missing = s.page("404.html");
    assert!(missing.contains("static/moved.js"), "{missing}");
    if chromium_available() {
        let out = s.out();
        let report = node(
            "moved.mjs",
            &[
                out.to_str().unwrap(),
                old,
                "tuyen-quang/xa-dong-loi",
                "1.001193",
                split,
                "1.000080",
            ],
        );
        eprintln!("{report}");
    }
}

#[test]
fn the_bundled_example_has_a_commune_at_real_size() {
    let s = example();
    s.build(&[]).ok();
    let unit = "tuyen-quang/xa-thai-binh";
    let page = s.page(&format!("{unit}/index.html"));
    let rows = page
        .matches("<th scope=\"row\" class=\"proc-name\">")
        .count();
    assert!(rows >= 80, "{rows} procedures on Xã Thái Bình's page");
    // Grouped by sector with an index; the danh mục prints short citations.
    assert!(page.matches("class=\"sector-h\"").count() >= 4);
    assert!(page.contains("class=\"sector-index\""));
    let board = s.page(&format!("{unit}/niem-yet/index.html"));
    assert!(board.contains("Nghị định <span class=\"nb\">123/2015/NĐ-CP</span>"));
}
