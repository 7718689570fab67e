//! The noticeboard print pack (`/<unit>/niem-yet/`) and `niemyet pdf`: the pack of a
//! fixture unit is printed to PDF by the real command through headless Chromium, then read
//! back with poppler (pdfinfo, pdftotext, pdftoppm) and zbar (zbarimg) like a person
//! checking the printed sheets. Skipped loudly without Chromium, failing in CI.

mod common;
use common::*;
use std::path::Path;
use std::process::Command;

const UNIT: &str = "tinh-thu/xa-thu";
const BASE: &str = "https://thutuc.example.gov.vn/";

/// One procedure of the fixture: code, name, sector, days, fee in đồng.
struct Spec {
    code: String,
    name: String,
    sector: &'static str,
    days: u32,
    fee: i64,
}

fn specs() -> Vec<Spec> {
    let sectors = ["Hộ tịch", "Chứng thực", "Đất đai"];
    (0..7)
        .map(|i| Spec {
            code: format!("1.00{}", 4100 + i),
            name: format!("Thủ tục thử số {}", i + 1),
            sector: sectors[i % 3],
            days: 2 + i as u32,
            fee: 11_000 + 1_000 * i as i64,
        })
        .collect()
}

/// `12.000 đồng`: how the theme writes an amount.
fn dong(n: i64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(c);
    }
    format!("{out} đồng")
}

/// The legal basis of a procedure: six documents, long enough that the danh mục needs
/// more than one sheet; the last names its procedure, to find where its row ends.
fn basis(code: &str) -> Vec<String> {
    let mut v: Vec<String> = (1..=5)
        .map(|n| format!("Nghị định số {n}0/2025/NĐ-CP quy định chi tiết một số điều và biện pháp thi hành Luật Hộ tịch, sửa đổi, bổ sung năm 2025"))
        .collect();
    v.push(format!("Căn cứ cuối của {code}"));
    v
}

/// A unit with seven procedures in three sectors; the last one has sixty steps, so it
/// needs more than one sheet, and a form to attach after it.
fn fixture() -> Site {
    let s = Site::new();
    s.write(
        "content/tinh-thu/_unit.toml",
        &unit_toml("Tỉnh Thử", "tinh", ""),
    );
    s.write(
        &format!("content/{UNIT}/_unit.toml"),
        &unit_toml(
            "Xã Thử",
            "xa",
            "[[former]]\npath = \"tinh-thu/xa-cu\"\nname = \"Xã Cũ\"\n",
        ),
    );
    s.write_bytes(&format!("content/{UNIT}/mau/to-khai.pdf"), b"%PDF-1.4 test");
    let all = specs();
    for (i, p) in all.iter().enumerate() {
        let list: Vec<String> = basis(&p.code).iter().map(|b| format!("\"{b}\"")).collect();
        let mut md = procedure_md(&p.code, &p.name, "")
            .replace(
                "legal_basis = [\"Luật Hộ tịch 2014 (60/2014/QH13)\"]",
                &format!("legal_basis = [{}]", list.join(", ")),
            )
            .replace(
                "sector = \"Hộ tịch\"",
                &format!("sector = \"{}\"", p.sector),
            )
            .replace(
                "time = { value = 3, unit = \"working-days\" }\nfees = [{ amount = 15000",
                &format!(
                    "time = {{ value = {}, unit = \"working-days\" }}\nfees = [{{ amount = {}",
                    p.days, p.fee
                ),
            );
        if i == all.len() - 1 {
            md = md.replace(
                "level = \"xa\"",
                "level = \"xa\"\nforms = [{ name = \"Tờ khai mẫu số 01\", file = \"mau/to-khai.pdf\" }]",
            );
            for n in 3..=60 {
                md.push_str(&format!(
                    "\nBước {n}: Cán bộ tiếp nhận kiểm tra thành phần hồ sơ, ghi phiếu hẹn và chuyển hồ sơ cho bộ phận giải quyết.\n"
                ));
            }
        }
        s.write(&format!("content/{UNIT}/{}.md", p.code), &md);
    }
    s
}

#[test]
fn pack_page_holds_cover_catalogue_procedures_and_feedback() {
    let s = fixture();
    s.build(&[]).ok();
    let html = s.page(&format!("{UNIT}/niem-yet/index.html"));
    let text = text_of(&html);
    // Cover sheet.
    assert!(text.contains("BẢNG NIÊM YẾT THỦ TỤC HÀNH CHÍNH"), "{text}");
    assert!(text.contains("Bộ phận một cửa Xã Thử"));
    // Built, the pack cannot know when it will be printed: it says when it was made, and
    // site.js puts in the date of printing when the browser prints.
    assert!(text.contains("Ngày tạo 23/11/2026"), "{text}");
    assert!(!text.contains("Ngày in 23/11/2026"), "{text}");
    assert!(html.contains("data-created=\"Ngày tạo 23/11/2026\" data-print-label=\"Ngày in\""));
    assert!(html.contains("static/site.js"));
    // The danh mục: the official columns, one header repeated by the browser on every
    // printed page (thead as table-header-group), grouped by sector.
    let table = between(&html, "<table class=\"list board-list\">", "</table>").unwrap();
    // The header, repeated on every sheet, says first what the list is and whose.
    let head = text_of(between(table, "<thead>", "</thead>").unwrap());
    assert_eq!(
        head,
        "Danh mục thủ tục hành chính – Xã Thử TT Mã TTHC Tên TTHC Thời hạn giải quyết Địa điểm thực hiện Phí/lệ phí Căn cứ pháp lý"
    );
    let css = std::fs::read_to_string(s.out().join("static/noticeboard.css")).unwrap();
    assert!(css.contains("thead { display: table-header-group; }"));
    assert!(css.contains("tr { break-inside: avoid;"));
    for sector in ["Hộ tịch", "Chứng thực", "Đất đai"] {
        assert!(table.contains(&format!("Lĩnh vực: {sector}")), "{sector}");
    }
    for p in specs() {
        assert!(
            table.contains(&p.code),
            "{} missing from the danh mục",
            p.code
        );
        // Its sheet, with the components in the decree's order.
        let sheet = between(&html, &format!("id=\"tthc-{}\"", p.code), "</article>").unwrap();
        let order = [
            "Trình tự thực hiện",
            "Cách thức thực hiện",
            "Thành phần, số lượng hồ sơ",
            "Thời hạn giải quyết",
            "Đối tượng thực hiện",
            "Cơ quan thực hiện",
            "Mẫu đơn, mẫu tờ khai",
            "Kết quả thực hiện",
            "Yêu cầu, điều kiện thực hiện",
            "Phí, lệ phí",
            "Căn cứ pháp lý",
        ];
        let sheet_text = text_of(sheet);
        let mut at = 0;
        for (i, h) in order.iter().enumerate() {
            let needle = format!("{}. {h}", i + 1);
            let pos = sheet_text[at..]
                .find(&needle)
                .unwrap_or_else(|| panic!("{}: `{needle}` missing or out of order", p.code));
            at += pos;
        }
        assert!(
            sheet.contains(&format!("href=\"{BASE}{UNIT}/{}/\"", p.code)),
            "the address of {}'s QR code",
            p.code
        );
    }
    // The form is listed right after its procedure, with an address that works on paper.
    let last = specs().pop().unwrap();
    let sheet = between(&html, &format!("id=\"tthc-{}\"", last.code), "</article>").unwrap();
    assert!(sheet.contains(&format!("{BASE}tep-dinh-kem/{UNIT}/mau/to-khai.pdf")));
    // The feedback sheet: the contact inherited from the site, and the rules.
    let fb = text_of(between(&html, "class=\"sheet sheet-feedback\"", "</section>").unwrap());
    for part in [
        "Văn phòng UBND tỉnh",
        "1 Đường Thử, Tỉnh Thử",
        "0207 3822 000",
        "phananh@example.gov.vn",
        "Sử dụng tiếng Việt",
        "số điện thoại",
    ] {
        assert!(fb.contains(part), "feedback sheet lacks {part}: {fb}");
    }
    // The pack's two scripts put in the date of printing (site.js) and draw the sheets'
    // QR codes (qr.js); no search, nothing else to navigate on paper.
    assert!(!html.contains("search.js") && html.matches("<script").count() == 2);
    assert!(html.contains("static/site.js\" defer") && html.contains("static/qr.js\" defer"));
    // The unit page links to its pack.
    let unit = s.page(&format!("{UNIT}/index.html"));
    assert!(
        unit.contains("href=\"../../tinh-thu/xa-thu/niem-yet/\"")
            || unit.contains("href=\"niem-yet/\""),
        "{}",
        between(&unit, "board-link", "</p>").unwrap_or("no board link")
    );
    assert!(text_of(&unit).contains("In bảng niêm yết"));
    // A unit without current procedures has no pack, and no link to one.
    assert!(!s.exists("tinh-thu/niem-yet/index.html"));
    assert!(!s.page("tinh-thu/index.html").contains("In bảng niêm yết"));
}

#[test]
fn pack_prints_to_a4_pdf_with_footers_new_sheets_and_scannable_qr_codes() {
    if !chromium_available() {
        return;
    }
    let s = fixture();
    let pdf = s.pdf("board.pdf", &[UNIT, "--today", "2026-11-23"]);

    let info = tool("pdfinfo", &[pdf.to_str().unwrap()]);
    assert!(info.contains("(A4)"), "not A4:\n{info}");
    let pages = pages(&pdf);
    let total = pages.len();
    let declared: usize = info
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
        .unwrap();
    assert_eq!(total, declared);
    // Section 7 of a sheet points to the forms printed after it; the web page, rendered
    // from the same components, does not say so (it is `board-only`).
    assert!(
        pages.iter().any(|p| p.contains(BOARD_NOTE)),
        "no sheet says its forms follow"
    );

    // Which part of the pack each sheet belongs to, read from its footer, which gives the
    // day it is printed (`--today` is the day the content is read as of).
    let printed = format!("Ngày in {}", niemyet::date::Date::today().vi());
    let all = specs();
    let part_of = |page: &str| -> String {
        let foot = page
            .lines()
            .rev()
            .find(|l| l.contains(&printed))
            .unwrap_or_else(|| panic!("a page without the footer:\n{page}"));
        assert!(foot.contains("Xã Thử"), "footer without the unit: {foot}");
        if let Some(p) = all
            .iter()
            .find(|p| foot.contains(&format!("Mã TTHC {}", p.code)))
        {
            assert!(
                foot.contains("QĐ 163/QĐ-BTP"),
                "footer without the decision: {foot}"
            );
            p.code.clone()
        } else if foot.contains("Danh mục") {
            "danh-muc".into()
        } else if foot.contains("phản ánh") {
            "phan-anh".into()
        } else {
            "bia".into()
        }
    };
    let parts: Vec<String> = pages.iter().map(|p| part_of(p)).collect();
    for (i, p) in pages.iter().enumerate() {
        let want = format!("Trang {} / {total}", i + 1);
        assert!(p.contains(&want), "page {} lacks `{want}`", i + 1);
    }

    // The order the content implies: 1 cover, the danh mục, every procedure in the
    // danh mục's order (sector, then code), 1 feedback sheet.
    let mut runs: Vec<(String, usize)> = Vec::new();
    for p in &parts {
        match runs.last_mut() {
            Some((name, n)) if name == p => *n += 1,
            _ => runs.push((p.clone(), 1)),
        }
    }
    let names: Vec<&str> = runs.iter().map(|(n, _)| n.as_str()).collect();
    let mut expected = vec!["bia", "danh-muc"];
    // The danh mục is sorted by sector as the resolver orders it; read that order back
    // from the danh mục text rather than assuming a collation.
    let catalogue_text: String = pages
        .iter()
        .zip(&parts)
        .filter(|(_, p)| *p == "danh-muc")
        .map(|(t, _)| t.as_str())
        .collect();
    let mut listed: Vec<(usize, &str)> = all
        .iter()
        .map(|p| {
            (
                catalogue_text.find(&p.code).expect("code in danh mục"),
                p.code.as_str(),
            )
        })
        .collect();
    listed.sort();
    expected.extend(listed.iter().map(|(_, c)| *c));
    expected.push("phan-anh");
    assert_eq!(names, expected, "sheets out of order: {runs:?}");
    let count = |name: &str| runs.iter().find(|(n, _)| n == name).unwrap().1;
    assert_eq!(count("bia"), 1);
    assert_eq!(count("phan-anh"), 1);
    // Seven short rows fit on one or two sheets; six short procedures on one or two each;
    // sixty steps need more.
    // Seven rows of six legal documents each fit on one landscape sheet, the documents as
    // short citations (their full titles took two sheets).
    assert_eq!(count("danh-muc"), 1, "{runs:?}");
    let long = &all[all.len() - 1].code;
    for p in &all {
        let n = count(&p.code);
        if &p.code == long {
            assert!(n >= 2, "sixty steps on {n} sheet: {runs:?}");
        } else {
            assert!((1..=2).contains(&n), "{}: {n} sheets: {runs:?}", p.code);
        }
    }
    let implied: usize = runs.iter().map(|(_, n)| n).sum();
    assert_eq!(implied, total);

    // Each danh mục sheet repeats the header row, and no row is split across sheets:
    // a row's code and its last legal document are on the same sheet.
    let catalogue: Vec<&String> = pages
        .iter()
        .zip(&parts)
        .filter(|(_, p)| *p == "danh-muc")
        .map(|(t, _)| t)
        .collect();
    for t in &catalogue {
        assert!(
            t.contains("Mã") && t.contains("Căn cứ pháp lý") && t.contains("Thời hạn"),
            "a danh mục sheet without the header row:\n{t}"
        );
    }
    for p in &all {
        let start = catalogue.iter().position(|t| t.contains(&p.code)).unwrap();
        assert!(
            catalogue[start].contains(&format!("Căn cứ cuối của {}", p.code)),
            "the row of {} is split across sheets:\n{}",
            p.code,
            catalogue[start]
        );
    }

    // Every procedure starts a sheet with its own heading near the top; the text holds its
    // code, formatted times and fees.
    let text = pages.join("\n");
    for p in &all {
        let first = parts.iter().position(|x| x == &p.code).unwrap();
        let top: String = pages[first]
            .lines()
            .filter(|l| !l.trim().is_empty())
            .take(6)
            .collect::<Vec<_>>()
            .join("\n");
        assert!(
            top.contains(&p.name) && top.contains(&p.code),
            "{} does not start sheet {}:\n{top}",
            p.code,
            first + 1
        );
        assert!(text.contains(&dong(p.fee)), "{} missing", dong(p.fee));
        assert!(text.contains(&format!("{} ngày làm việc", p.days)));
    }
    assert!(text.contains("7.000 đồng"));
    assert!(text.contains("BẢNG NIÊM YẾT THỦ TỤC HÀNH CHÍNH"));
    assert!(text.contains("Tờ khai mẫu số 01"));

    // QR codes: every sheet of a procedure scans to the unit's own page of it (its place,
    // fees and office), not the province-wide list; the other sheets to the unit page.
    let dir = tempfile::tempdir().unwrap();
    let first_long = parts.iter().position(|x| x == long).unwrap();
    for (n, want) in [
        (first_long + 1, format!("{BASE}{UNIT}/{long}/")),
        (first_long + 2, format!("{BASE}{UNIT}/{long}/")),
        (
            parts.iter().position(|x| x == &all[0].code).unwrap() + 1,
            format!("{BASE}{UNIT}/{}/", all[0].code),
        ),
        (1, format!("{BASE}{UNIT}/")),
        (2, format!("{BASE}{UNIT}/")),
        (total, format!("{BASE}{UNIT}/")),
    ] {
        assert_eq!(qr_on_page(&pdf, n, dir.path()), vec![want], "page {n}");
    }
}

#[test]
fn a_procedure_page_prints_alone_on_a4_with_its_qr_code() {
    if !chromium_available() {
        return;
    }
    let s = fixture();
    s.build(&[]).ok();
    let code = &specs()[0].code;
    let page = s.out().join(format!("{UNIT}/{code}/index.html"));
    let html = std::fs::read_to_string(&page).unwrap();
    assert!(html.contains("class=\"qr-code\""));
    let dir = tempfile::tempdir().unwrap();
    let pdf = dir.path().join("p.pdf");
    print_page(&page, &pdf, dir.path());
    assert!(tool("pdfinfo", &[pdf.to_str().unwrap()]).contains("(A4)"));
    let pages = pages(&pdf);
    let first = &pages[0];
    assert!(first.contains(&specs()[0].name));
    assert!(
        !first.contains("Chuyển đến nội dung chính"),
        "skip link printed"
    );
    for (i, p) in pages.iter().enumerate() {
        assert!(
            p.contains(&format!("Mã TTHC {code}")),
            "page {} footer",
            i + 1
        );
        assert!(
            p.contains(&format!("Trang {} / {}", i + 1, pages.len())),
            "page {} number:\n{p}",
            i + 1
        );
    }
    assert_eq!(
        qr_on_page(&pdf, 1, dir.path()),
        vec![format!("{BASE}tthc/{code}/")]
    );

    // The procedure with a form: its page lists the form but, unlike its sheet, does
    // not say the form is printed after it, on screen or on paper.
    let last = specs().pop().unwrap();
    let page = s.out().join(format!("{UNIT}/{}/index.html", last.code));
    let pdf = dir.path().join("last.pdf");
    print_page(&page, &pdf, dir.path());
    let text = self::pages(&pdf).join("\n");
    assert!(text.contains("Tờ khai mẫu số 01"), "the form is listed");
    assert!(
        !text.contains(BOARD_NOTE),
        "a web page printed the sheet's note"
    );
}

/// Prints a page to PDF with headless Chromium, as a person would from the browser.
fn print_page(page: &Path, pdf: &Path, dir: &Path) {
    let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    let st = Command::new(chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-pdf-header-footer",
        ])
        .arg(format!("--user-data-dir={}", dir.join("profile").display()))
        .arg(format!("--print-to-pdf={}", pdf.display()))
        .arg(format!("file://{}", page.display()))
        .output()
        .unwrap();
    assert!(st.status.success());
}

/// What a sheet says after its forms (theme string `board_forms_after`).
const BOARD_NOTE: &str = "Các mẫu được liệt kê ngay sau thủ tục này";

#[test]
fn pdf_says_what_to_install_without_chromium_and_names_units() {
    let s = fixture();
    // No browser anywhere on PATH.
    let empty = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_niemyet"))
        .args(["pdf", UNIT, "--root"])
        .arg(s.path())
        .env("PATH", empty.path())
        .env_remove("CHROMIUM")
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(3), "{err}");
    assert!(err.contains("apt-get install chromium"), "{err}");
    assert!(!err.contains("panicked"));

    // An unknown unit, and a former one, are named with what exists.
    if chromium_available() {
        let r = s.run("pdf", &["tinh-thu/xa-khong-co"]);
        assert_eq!(r.code, Some(2), "{}", r.stderr);
        assert!(r.stderr.contains(UNIT), "{}", r.stderr);
        let r = s.run("pdf", &["tinh-thu/xa-cu"]);
        assert_eq!(r.code, Some(2), "{}", r.stderr);
        assert!(
            r.stderr.contains("former") && r.stderr.contains(UNIT),
            "{}",
            r.stderr
        );
    }
}

/// The sheets' QR codes are drawn in the browser (themes/default/static/qr.js): its
/// encoder, run as the page runs it, on a text filling each of the 40 QR versions, on
/// Vietnamese letters and on every sheet address of the example's largest commune; every
/// code rasterised from its SVG and read back by zbar gives its text back
/// (tests/browser/qr.mjs).
#[test]
fn the_browsers_qr_codes_read_back_as_their_addresses() {
    if !chromium_available() {
        return;
    }
    let s = example();
    s.build(&[]).ok();
    let board = s.page("tuyen-quang/xa-thai-binh/niem-yet/index.html");
    let addresses = attrs(&board, "data-qr");
    assert!(addresses.len() >= 80, "{} sheet addresses", addresses.len());
    let dir = tempfile::tempdir().unwrap();
    let mut args = vec![dir.path().to_str().unwrap()];
    args.extend(addresses.iter().map(String::as_str));
    let report = node("qr.mjs", &args);
    let read = report.lines().filter(|l| l.starts_with("read v")).count();
    assert_eq!(read, 41 + addresses.len(), "{report}");
    assert!(report.contains("read v40: "), "{report}");
}
