//! What changed on a unit's board: `niemyet pdf UNIT --since DATE` (the change pack,
//! printed by headless Chromium and read back with pdftotext) and the page
//! `/<unit>/niem-yet/thay-doi/`. A fixture commune is built, then one fee is changed, one
//! procedure repealed and one added, as a webmaster would write it; the change sheets
//! must hold exactly those three, and editing files without changing their dates must
//! list nothing.

mod common;
use common::*;
use std::path::Path;
use std::process::Command;

const UNIT: &str = "tinh-thu/xa-thu";
const TODAY: &str = "2026-12-07";
const SINCE: &str = "2026-11-01";

/// The codes of the fixture's procedures, all in force since 01/07/2025.
fn codes() -> Vec<String> {
    (0..6).map(|i| format!("1.00{}", 5100 + i)).collect()
}

fn fixture() -> Site {
    let s = Site::new();
    s.write(
        "content/tinh-thu/_unit.toml",
        &unit_toml("Tỉnh Thử", "tinh", ""),
    );
    s.write(
        &format!("content/{UNIT}/_unit.toml"),
        &unit_toml("Xã Thử", "xa", ""),
    );
    for (i, code) in codes().iter().enumerate() {
        s.write(
            &format!("content/{UNIT}/{code}.md"),
            &procedure_md(
                code,
                &format!("Thủ tục thử số {}", i + 1),
                "effective = 2025-07-01",
            ),
        );
    }
    s
}

/// The three edits of the issue, as a webmaster writes them: a fee changed (with the day
/// of the amendment in `updated`), a procedure repealed and replaced, one added.
/// Returns (amended, repealed, added) codes.
fn edit(s: &Site) -> (String, String, String) {
    let all = codes();
    let (amended, repealed) = (all[1].clone(), all[4].clone());
    let added = "1.009999".to_string();
    let path = format!("content/{UNIT}/{amended}.md");
    let text = std::fs::read_to_string(s.path().join(&path)).unwrap();
    s.write(
        &path,
        &text.replace("amount = 15000", "amount = 25000").replace(
            "effective = 2025-07-01",
            "effective = 2025-07-01\nupdated = 2026-11-20",
        ),
    );
    let path = format!("content/{UNIT}/{repealed}.md");
    let text = std::fs::read_to_string(s.path().join(&path)).unwrap();
    s.write(
        &path,
        &text.replace(
            "effective = 2025-07-01",
            &format!("effective = 2025-07-01\nrepealed = 2026-11-15\nreplaced_by = \"{added}\""),
        ),
    );
    s.write(
        &format!("content/{UNIT}/{added}.md"),
        &procedure_md(&added, "Thủ tục mới thay thế", "effective = 2026-11-15")
            // A ministry's decision number, long and hyphenated as real ones are.
            .replace(
                "decision = \"163/QĐ-BTP\"",
                "decision = \"9354/QĐ-BCA-C06\"",
            ),
    );
    (amended, repealed, added)
}

/// Rewrites every file of the site with the same bytes (a copy, a checkout, a `touch`):
/// their modification times move, their content does not.
fn touch_all(dir: &Path) {
    for e in walk(dir) {
        let bytes = std::fs::read(&e).unwrap();
        std::fs::write(&e, bytes).unwrap();
    }
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut v = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            v.extend(walk(&p));
        } else {
            v.push(p);
        }
    }
    v
}

fn change_page(s: &Site) -> String {
    s.page(&format!("{UNIT}/niem-yet/thay-doi/index.html"))
}

/// The text of a page section between two markers.
fn section<'a>(text: &'a str, from: &str, to: &str) -> &'a str {
    let start = text
        .find(from)
        .unwrap_or_else(|| panic!("no `{from}` in:\n{text}"));
    let rest = &text[start..];
    let end = rest[from.len()..]
        .find(to)
        .map(|e| e + from.len())
        .unwrap_or(rest.len());
    &rest[..end]
}

#[test]
fn touching_files_without_changing_their_dates_lists_nothing() {
    let s = fixture();
    s.build(&["--today", TODAY]).ok();
    let page = text_of(&change_page(&s));
    assert!(
        page.contains("Không có thay đổi trong 12 tháng qua"),
        "a unit whose procedures all took effect 17 months ago has changes:\n{page}"
    );
    // The board links to the change page.
    assert!(s
        .page(&format!("{UNIT}/niem-yet/index.html"))
        .contains("href=\"thay-doi/\""));

    // Every file rewritten as it was (its modification time is now): still nothing.
    touch_all(&s.path().join("content"));
    s.build(&["--today", TODAY, "--force"]).ok();
    assert!(text_of(&change_page(&s)).contains("Không có thay đổi trong 12 tháng qua"));
    // And a file reformatted (comments, blank lines), its published text the same.
    let path = format!("content/{UNIT}/{}.md", codes()[2]);
    let text = std::fs::read_to_string(s.path().join(&path)).unwrap();
    s.write(
        &path,
        &text.replacen(
            "+++\n",
            "+++\n# Sửa lại cách trình bày, không đổi nội dung\n\n",
            1,
        ),
    );
    s.build(&["--today", TODAY]).ok();
    assert!(text_of(&change_page(&s)).contains("Không có thay đổi trong 12 tháng qua"));
    if chromium_available() {
        let pdf = s.path().join("changes.pdf");
        let run = s.run(
            "pdf",
            &[
                UNIT,
                "--since",
                SINCE,
                "--today",
                TODAY,
                "-o",
                pdf.to_str().unwrap(),
            ],
        );
        assert_eq!(run.code, Some(5), "nothing changed: exit 5\n{}", run.stderr);
        assert!(
            run.stderr
                .contains("không có thay đổi niêm yết từ 01/11/2026"),
            "{}",
            run.stderr
        );
        assert!(!pdf.exists(), "a PDF was written with nothing to print");
    }
}

#[test]
fn the_change_page_groups_the_three_edits_by_day() {
    let s = fixture();
    let (amended, repealed, added) = edit(&s);
    s.build(&["--today", TODAY]).ok();
    let html = change_page(&s);
    let page = text_of(&html);
    assert!(!page.contains("Không có thay đổi"), "{page}");
    // Newest day first: the amendment (20/11), then the repeal and its replacement (15/11).
    let d20 = page
        .find("Ngày 20/11/2026")
        .expect("a group for 20/11/2026");
    let d15 = page
        .find("Ngày 15/11/2026")
        .expect("a group for 15/11/2026");
    assert!(d20 < d15, "days not newest first");
    let day20 = &page[d20..d15];
    let day15 = &page[d15..];
    // A day shows only its lists that have lines.
    let listed = |day: &str, list: &str, next: &str| -> Vec<String> {
        if !day.contains(list) {
            return Vec::new();
        }
        let start = day.find(list).unwrap() + list.len();
        let rest = &day[start..];
        let end = [next, "Niêm yết mới (", "Thay thế (", "Gỡ bỏ (", "Ngày "]
            .iter()
            .filter_map(|h| rest.find(h))
            .min()
            .unwrap_or(rest.len());
        let part = &rest[..end];
        part.split_whitespace()
            .filter(|w| {
                w.len() == 8
                    && w.as_bytes()[1] == b'.'
                    && w[2..].bytes().all(|b| b.is_ascii_digit())
            })
            .map(str::to_owned)
            .collect()
    };
    assert_eq!(
        listed(day20, "Niêm yết mới (", "Thay thế ("),
        Vec::<String>::new()
    );
    assert_eq!(
        listed(day20, "Thay thế (", "Gỡ bỏ ("),
        vec![amended.clone()]
    );
    assert_eq!(listed(day20, "Gỡ bỏ (", "Ngày "), Vec::<String>::new());
    assert!(!day20.contains("Niêm yết mới") && !day20.contains("Gỡ bỏ ("));
    assert_eq!(
        listed(day15, "Niêm yết mới (", "Thay thế ("),
        vec![added.clone()]
    );
    assert_eq!(listed(day15, "Thay thế (", "Gỡ bỏ ("), Vec::<String>::new());
    // The repealed one, with the code replacing it (twice: its own and the replacement's).
    assert_eq!(
        listed(day15, "Gỡ bỏ (", "\u{0}"),
        vec![repealed.clone(), added.clone()]
    );
    // Each day prints on its own: an anchor and a link to it, and a page break in print.
    assert!(html.contains("id=\"d-2026-11-20\"") && html.contains("href=\"#d-2026-11-20\""));
    let css = s.page("static/changes.css");
    assert!(css.contains(".change-day { break-before: page"));
    // The unit's other procedures are not listed anywhere.
    for c in codes() {
        if c != amended && c != repealed {
            assert!(!page.contains(&c), "{c} did not change but is listed");
        }
    }
    // Not in the sitemap (a working page for staff, like /kiem-soat/).
    assert!(!s.page("sitemap.xml").contains("thay-doi"));
}

#[test]
fn an_announced_procedure_is_posted_the_day_it_takes_effect_not_before() {
    let s = fixture();
    s.write(
        &format!("content/{UNIT}/1.008888.md"),
        &procedure_md(
            "1.008888",
            "Thủ tục sắp có hiệu lực",
            "effective = 2026-12-20",
        ),
    );
    s.build(&["--today", TODAY]).ok();
    assert!(text_of(&change_page(&s)).contains("Không có thay đổi trong 12 tháng qua"));
    s.build(&["--today", "2026-12-21"]).ok();
    let page = text_of(&change_page(&s));
    let day = section(&page, "Ngày 20/12/2026", "\u{0}");
    assert!(
        section(day, "Niêm yết mới (1)", "Thay thế (").contains("1.008888"),
        "now in force, to post:\n{day}"
    );
}

fn pdftotext(pdf: &Path) -> Vec<String> {
    let out = Command::new("pdftotext")
        .args(["-layout", pdf.to_str().unwrap(), "-"])
        .output()
        .expect("pdftotext (poppler-utils)");
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let mut v: Vec<String> = text.split('\u{c}').map(str::to_owned).collect();
    if v.last().is_some_and(|p| p.trim().is_empty()) {
        v.pop();
    }
    v
}

/// What the footers and the cover of a pack printed now say: the day it is printed, in
/// Vietnam, not `--today` (the day the content is read as of).
fn printed() -> String {
    format!("Ngày in {}", niemyet::date::Date::today().vi())
}

/// Which part of a pack a printed page is, from its footer.
fn part(page: &str, codes: &[String]) -> String {
    let foot = page
        .lines()
        .rev()
        .find(|l| l.contains(&printed()))
        .unwrap_or_else(|| panic!("a page without the footer:\n{page}"));
    if let Some(c) = codes
        .iter()
        .find(|c| foot.contains(&format!("Mã TTHC {c}")))
    {
        c.clone()
    } else if foot.contains("Danh mục") {
        "danh-muc".into()
    } else if foot.contains("Thay đổi niêm yết từ 01/11/2026") {
        "bia".into()
    } else if foot.contains("phản ánh") {
        "phan-anh".into()
    } else {
        format!("? {foot}")
    }
}

#[test]
fn pdf_since_prints_exactly_the_three_changes_with_the_cover_lists_right() {
    if !chromium_available() {
        return;
    }
    let s = fixture();
    let (amended, repealed, added) = edit(&s);
    let mut all = codes();
    all.push(added.clone());
    let pdf = s.pdf("changes.pdf", &[UNIT, "--since", SINCE, "--today", TODAY]);
    let pages = pdftotext(&pdf);
    let parts: Vec<String> = pages.iter().map(|p| part(p, &all)).collect();
    let mut runs: Vec<String> = Vec::new();
    for p in &parts {
        if runs.last() != Some(p) {
            runs.push(p.clone());
        }
    }
    // The cover, the new danh mục (a row added and one taken away), then the sheets to
    // post and replace in the danh mục's order (by code in one sector): nothing else.
    let mut sheets = vec![amended.clone(), added.clone()];
    sheets.sort();
    let mut want = vec!["bia".to_string(), "danh-muc".to_string()];
    want.extend(sheets);
    assert_eq!(runs, want, "the change pack's parts, in order");

    // The cover's three lists.
    let cover: String = pages
        .iter()
        .zip(&parts)
        .filter(|(_, p)| *p == "bia")
        .map(|(t, _)| t.as_str())
        .collect();
    assert!(cover.contains("THAY ĐỔI NIÊM YẾT TỪ 01/11/2026"), "{cover}");
    // The cover gives the day it is printed, as its footer does (it gave `--today`).
    let date_line: String = cover
        .lines()
        .find(|l| l.trim_start().starts_with("Ngày in"))
        .unwrap_or_default()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    assert_eq!(date_line, printed(), "{cover}");
    let post = section(&cover, "Niêm yết mới (1)", "Thay thế (");
    // The decision number is whole on one line, never "9354/QĐ-BCA-" / "C06".
    assert!(
        post.contains(&added) && post.contains("9354/QĐ-BCA-C06"),
        "{post}"
    );
    let replace = section(&cover, "Thay thế (1)", "Gỡ bỏ (");
    assert!(
        replace.contains(&amended) && replace.contains("163/QĐ-BTP"),
        "{replace}"
    );
    let take_down = section(&cover, "Gỡ bỏ (1)", "\u{0}");
    assert!(take_down.contains(&repealed), "{take_down}");
    assert!(
        take_down.contains(&added),
        "the replacing code: {take_down}"
    );
    for c in codes() {
        if c != amended && c != repealed {
            assert!(
                !cover.contains(&c),
                "{c} did not change but is on the cover"
            );
        }
    }
    // The amended sheet shows the new fee; the danh mục lists the new procedure and no
    // longer the repealed one.
    let sheet: String = pages
        .iter()
        .zip(&parts)
        .filter(|(_, p)| **p == amended)
        .map(|(t, _)| t.as_str())
        .collect();
    assert!(sheet.contains("25.000 đồng"), "{sheet}");
    let list: String = pages
        .iter()
        .zip(&parts)
        .filter(|(_, p)| *p == "danh-muc")
        .map(|(t, _)| t.as_str())
        .collect();
    assert!(list.contains(&added) && !list.contains(&repealed), "{list}");

    // Since the 16th only the amendment: its sheets after the cover, the list unchanged.
    let amended_only = s.pdf(
        "amended.pdf",
        &[UNIT, "--since", "2026-11-16", "--today", TODAY],
    );
    let pages16 = pdftotext(&amended_only);
    let mut runs16: Vec<String> = Vec::new();
    for p in pages16.iter().map(|p| part(p, &all)) {
        let p = if p.starts_with("? ") && p.contains("Thay đổi niêm yết từ 16/11/2026") {
            "bia".to_string()
        } else {
            p
        };
        if runs16.last() != Some(&p) {
            runs16.push(p);
        }
    }
    assert_eq!(runs16, vec!["bia".to_string(), amended.clone()]);
    let cover16 = &pages16[0];
    assert!(cover16.contains("Niêm yết mới (0)") && cover16.contains("Gỡ bỏ (0)"));
    assert!(section(cover16, "Thay thế (1)", "Gỡ bỏ (").contains(&amended));

    // Against the whole board: fewer sheets.
    let full = s.pdf("full.pdf", &[UNIT, "--today", TODAY]);
    let full_pages = pdftotext(&full).len();
    assert!(
        pages.len() < full_pages,
        "change pack {} sheets, full pack {full_pages}",
        pages.len()
    );
    eprintln!(
        "change pack: {} sheets; full pack: {full_pages}",
        pages.len()
    );
}

/// In Chromium: a day of the change page prints alone from its link, every day starts a
/// new sheet, the report's table sorts with JavaScript and stays plain without, and both
/// pages fit 320 px (tests/browser/changes.mjs).
#[test]
fn a_day_prints_alone_and_the_report_sorts_in_chromium() {
    if !chromium_available() {
        return;
    }
    let s = fixture();
    edit(&s);
    s.build(&["--today", TODAY]).ok();
    node(
        "changes.mjs",
        &[s.out().to_str().unwrap(), UNIT, "d-2026-11-15"],
    );
}
