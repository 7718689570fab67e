//! The bundled example (`content/`, `site.toml`) builds, and every address the format
//! names exists in its output.

mod common;
use common::*;

#[test]
fn bundled_example_builds_every_address() {
    let s = example();
    let r = s.build(&[]);
    r.ok();
    assert!(!r.stderr.contains(": error:"), "{}", r.stderr);
    for f in [
        "index.html",
        "404.html",
        "sitemap.xml",
        "feed.xml",
        "static/style.css",
        "tuyen-quang/index.html",
        "tuyen-quang/data.json",
        "tuyen-quang/data.csv",
        "tuyen-quang/xa-dong-loi/index.html",
        "tuyen-quang/xa-dong-loi/1.001193/index.html",
        "tthc/1.001193/index.html",
        "tuyen-quang/huyen-ham-yen/index.html",
    ] {
        assert!(s.exists(f), "missing {f}");
    }
    // Every unit has its list and open data; every published procedure has its page.
    let mut units = 0;
    let mut procs = 0;
    for f in list_files(&s.out()) {
        if f.ends_with("/data.json") {
            units += 1;
            let dir = f.trim_end_matches("data.json");
            assert!(s.exists(&format!("{dir}index.html")) && s.exists(&format!("{dir}data.csv")));
            let v: serde_json::Value = serde_json::from_str(&s.page(&f)).expect("data.json parses");
            for p in v["procedures"].as_array().unwrap() {
                let code = p["code"].as_str().unwrap();
                assert!(s.exists(&format!("{dir}{code}/index.html")), "{dir}{code}");
                assert!(s.exists(&format!("tthc/{code}/index.html")));
                procs += 1;
            }
        }
    }
    assert!(units >= 8, "{units} units");
    assert!(procs >= 40, "{procs} procedures");
}

#[test]
fn example_has_the_required_real_procedures_and_features() {
    let s = example();
    s.build(&[]).ok();
    for code in ["1.001193", "1.000894", "2.000815", "1.004194", "1.001612"] {
        assert!(s.exists(&format!("tthc/{code}/index.html")), "{code}");
    }
    // 1.004194: the real fee tiers and 3 working days.
    let p = text_of(&s.page("tuyen-quang/xa-dong-loi/1.004194/index.html"));
    for needle in [
        "15.000 đồng",
        "10.000 đồng",
        "7.000 đồng",
        "5.000 đồng",
        "3 ngày làm việc",
    ] {
        assert!(p.contains(needle), "{needle}");
    }
    // A merge redirects, a split lists successors.
    let home = s.page("index.html");
    assert!(home.contains("Xã Đông Lợi"));
    let merged = list_files(&s.out())
        .into_iter()
        .filter(|f| f.ends_with("index.html"))
        .map(|f| s.page(&f))
        .filter(|h| h.contains("http-equiv=\"refresh\""))
        .count();
    assert!(merged >= 2, "{merged} redirect pages");
    assert!(s
        .page("tuyen-quang/thanh-pho-tuyen-quang/phuong-tan-ha/index.html")
        .contains("phuong-nong-tien"));
    // An upcoming and a repealed procedure, and a form file.
    let all: String = list_files(&s.out())
        .into_iter()
        .filter(|f| f.ends_with("/index.html") && f.matches('/').count() == 2)
        .map(|f| s.page(&f))
        .collect();
    assert!(
        all.contains("id=\"upcoming-h\""),
        "an upcoming section somewhere"
    );
    assert!(
        all.contains("id=\"repealed-h\""),
        "a repealed section somewhere"
    );
    assert!(list_files(&s.out())
        .iter()
        .any(|f| f.starts_with("tep-dinh-kem/") && f.ends_with(".pdf")));
}

#[test]
fn output_folder_that_would_replace_the_site_is_refused() {
    let s = example();
    let r = s.run("build", &["--out", s.path().to_str().unwrap()]);
    assert_eq!(r.code, Some(2), "{}", r.stderr);
    assert!(r.stderr.contains("chứa cả trang"), "{}", r.stderr);
    assert!(s.path().join("content").is_dir());
}

/// The bundled commune at real size (Xã Thái Bình, 81 real procedures, some with long
/// hand-written times) prints its danh mục on at most one A4 sheet per 7 procedures, as
/// the fixture of real records does (tests/real_pages.rs).
#[test]
fn the_bundled_real_size_commune_prints_its_danh_muc_on_twelve_sheets() {
    if !chromium_available() {
        return;
    }
    let s = example();
    let pdf = s.pdf(
        "thai-binh.pdf",
        &["tuyen-quang/xa-thai-binh", "--today", "2026-12-07"],
    );
    let list = pages(&pdf)
        .iter()
        .filter(|p| p.contains("Danh mục thủ tục hành chính ·"))
        .count();
    assert!(list > 0, "no danh mục sheet in the pack");
    assert!(
        list <= 81usize.div_ceil(7),
        "Xã Thái Bình's danh mục of 81 procedures on {list} sheets (at most 12)"
    );
}

/// Every HTML page of the example, former addresses and noticeboard packs included, has a
/// meta description and the site's icon (a browser asks for one on every page view; a
/// missing link is a 404 at a sub-path).
#[test]
fn every_page_has_a_description_and_an_icon() {
    let s = example();
    s.build(&[]).ok();
    let mut pages = 0;
    for f in list_files(&s.out()) {
        if !f.ends_with(".html") {
            continue;
        }
        let html = s.page(&f);
        assert!(
            html.contains("<meta name=\"description\" content=\""),
            "{f}: no description"
        );
        assert!(html.contains("rel=\"icon\""), "{f}: no icon");
        pages += 1;
    }
    assert!(pages > 100, "{pages} pages");
}
