//! Builds of fixture sites, asserting what a citizen or webmaster would see.

mod common;
use common::*;

/// A province with two communes adopting one catalogue procedure; one commune overrides
/// its fees; a merged and a split former unit.
fn two_communes() -> Site {
    let s = Site::new();
    s.write(
        "content/_catalog/ho-tich/khai-sinh.md",
        &procedure_md(
            "1.001193",
            "Thủ tục đăng ký khai sinh",
            "effective = 2025-07-01",
        ),
    );
    s.write(
        "content/tinh-thu/_unit.toml",
        &unit_toml("Tỉnh Thử", "tinh", ""),
    );
    s.write(
        "content/tinh-thu/xa-a/_unit.toml",
        &unit_toml(
            "Xã A",
            "xa",
            r#"adopt = ["1.001193"]
[[former]]
path = "huyen-cu/xa-hop-nhat-1"
name = "Xã Hợp Nhất Một"
date = 2025-07-01
basis = "Nghị quyết số 1684/NQ-UBTVQH15"
[[former]]
path = "huyen-cu/phuong-chia"
name = "Phường Chia"
"#,
        ),
    );
    s.write(
        "content/tinh-thu/xa-b/_unit.toml",
        &unit_toml(
            "Xã B",
            "xa",
            r#"adopt_levels = ["xa"]
[[former]]
path = "huyen-cu/phuong-chia"
name = "Phường Chia"
"#,
        ),
    );
    // Xã B overrides only the channels (fees).
    s.write(
        "content/tinh-thu/xa-b/khai-sinh.toml",
        r#"code = "1.001193"
place = "Điểm tiếp nhận thôn Đông"

[[channels]]
method = "truc-tiep"
time = { value = 5, unit = "working-days" }
fees = [{ amount = 20000, text = "Mức thu riêng của xã B" }]
"#,
    );
    s
}

#[test]
fn adopted_procedure_appears_in_both_units_with_each_office() {
    let s = two_communes();
    s.build(&[]).ok();
    let a = s.page("tinh-thu/xa-a/1.001193/index.html");
    let b = s.page("tinh-thu/xa-b/1.001193/index.html");
    assert!(
        a.contains("Bộ phận một cửa Xã A"),
        "unit A page shows A's office"
    );
    assert!(!a.contains("Bộ phận một cửa Xã B"));
    assert!(b.contains("Điểm tiếp nhận thôn Đông"), "B's own place");
    assert!(a.contains("Thủ tục đăng ký khai sinh") && b.contains("Thủ tục đăng ký khai sinh"));
    // Both lists carry it.
    assert!(s.page("tinh-thu/xa-a/index.html").contains("1.001193/"));
    assert!(s.page("tinh-thu/xa-b/index.html").contains("1.001193/"));
    // The site-wide page lists both.
    let t = s.page("tthc/1.001193/index.html");
    assert!(t.contains("Xã A") && t.contains("Xã B"), "{}", text_of(&t));
}

#[test]
fn override_changes_only_what_it_sets() {
    let s = two_communes();
    s.build(&[]).ok();
    let a = text_of(&s.page("tinh-thu/xa-a/1.001193/index.html"));
    let b = text_of(&s.page("tinh-thu/xa-b/1.001193/index.html"));
    assert!(a.contains("15.000 đồng") && a.contains("7.000 đồng"));
    assert!(!a.contains("20.000 đồng"));
    assert!(b.contains("20.000 đồng") && b.contains("5 ngày làm việc"));
    assert!(
        !b.contains("15.000 đồng"),
        "B's channels replace the catalogue's whole"
    );
    assert!(
        !b.contains("Trực tuyến: 3"),
        "the online channel is gone in B"
    );
    // What B did not set comes from the catalogue.
    assert!(b.contains("Giấy chứng sinh") && b.contains("Bước 1: Nộp hồ sơ"));
    assert!(b.contains("163/QĐ-BTP") && b.contains("Luật Hộ tịch 2014"));
    // The open data says where it came from.
    let data: serde_json::Value = serde_json::from_str(&s.page("tinh-thu/xa-b/data.json")).unwrap();
    assert_eq!(data["procedures"][0]["origin"], "override");
    assert_eq!(
        data["procedures"][0]["channels"][0]["fees"][0]["amount"],
        20000
    );
    let data: serde_json::Value = serde_json::from_str(&s.page("tinh-thu/xa-a/data.json")).unwrap();
    assert_eq!(data["procedures"][0]["origin"], "catalog");
}

#[test]
fn fees_times_and_dates_are_formatted() {
    let s = two_communes();
    s.build(&[]).ok();
    let a = text_of(&s.page("tinh-thu/xa-a/1.001193/index.html"));
    assert!(a.contains("3 ngày làm việc"), "{a}");
    let html = s.page("tinh-thu/xa-a/1.001193/index.html");
    assert!(
        html.contains("<strong>15.000 đồng</strong>: Lệ phí đăng ký"),
        "{a}"
    );
    assert!(
        a.contains("01/07/2025"),
        "effective date as dd/mm/yyyy: {a}"
    );
    // The unit page's list gives the fee in a few words; each channel's on the page.
    let list = text_of(&s.page("tinh-thu/xa-a/index.html"));
    assert!(list.contains("7.000–15.000 đồng"), "{list}");
    let facts = text_of(between(&html, "class=\"key-facts\"", "</section>").unwrap());
    assert!(
        facts.contains("Trực tiếp: 15.000 đồng") && facts.contains("Trực tuyến: 7.000 đồng"),
        "{facts}"
    );
    let csv = s.page("tinh-thu/xa-a/data.csv");
    assert!(csv.contains("Mã TTHC") && csv.contains("1.001193") && csv.contains("3 ngày làm việc"));
}

#[test]
fn upcoming_procedure_is_hidden_from_lists_and_counts_before_its_date() {
    let s = two_communes();
    s.write(
        "content/tinh-thu/xa-a/moi.md",
        &procedure_md("9.000001", "Thủ tục sắp áp dụng", "effective = 2027-01-01"),
    );
    s.build(&["--today", "2026-12-31"]).ok();
    let list = s.page("tinh-thu/xa-a/index.html");
    let current = between(&list, "id=\"list-h\"", "id=\"upcoming-h\"").expect("upcoming section");
    assert!(!current.contains("9.000001"), "not in the current list");
    assert!(
        current.contains("(1 thủ tục)"),
        "count excludes it: {}",
        text_of(current)
    );
    let upcoming = between(&list, "id=\"upcoming-h\"", "</section>").unwrap();
    assert!(upcoming.contains("9.000001") && upcoming.contains("01/01/2027"));
    let home = text_of(&s.page("index.html"));
    assert!(home.contains("Xã A 1 thủ tục"), "{home}");
    assert!(
        !home.contains("Thủ tục sắp áp dụng"),
        "not under sectors on the home page"
    );
    let page = s.page("tinh-thu/xa-a/9.000001/index.html");
    assert!(page.contains("chưa có hiệu lực"));
    // On its date it becomes current.
    s.build(&["--today", "2027-01-01"]).ok();
    let list = s.page("tinh-thu/xa-a/index.html");
    assert!(!list.contains("id=\"upcoming-h\""));
    assert!(text_of(&list).contains("(2 thủ tục)"));
}

#[test]
fn repealed_procedure_leaves_lists_and_links_its_replacement() {
    let s = two_communes();
    s.write(
        "content/tinh-thu/xa-a/cu.md",
        &procedure_md(
            "9.000002",
            "Thủ tục cũ",
            "repealed = 2026-03-01\nreplaced_by = \"1.001193\"",
        ),
    );
    s.build(&[]).ok();
    let page = s.page("tinh-thu/xa-a/9.000002/index.html");
    assert!(
        text_of(&page).contains("đã bãi bỏ từ ngày 01/03/2026"),
        "{}",
        text_of(&page)
    );
    assert!(
        page.contains("href=\"../../../tinh-thu/xa-a/1.001193/\""),
        "links the replacement in the same unit"
    );
    let list = s.page("tinh-thu/xa-a/index.html");
    let current = between(&list, "id=\"list-h\"", "id=\"repealed-h\"").unwrap();
    assert!(!current.contains("9.000002"));
    assert!(between(&list, "id=\"repealed-h\"", "</section>")
        .unwrap()
        .contains("9.000002"));
    // Before its repeal date it is current.
    s.build(&["--today", "2026-02-28"]).ok();
    let list = s.page("tinh-thu/xa-a/index.html");
    assert!(!list.contains("id=\"repealed-h\""));
}

#[test]
fn merged_unit_old_address_redirects() {
    let s = two_communes();
    s.build(&[]).ok();
    let r = s.page("huyen-cu/xa-hop-nhat-1/index.html");
    assert!(
        r.contains("http-equiv=\"refresh\" content=\"0; url=../../tinh-thu/xa-a/\""),
        "{r}"
    );
    assert!(r.contains("rel=\"canonical\" href=\"https://thutuc.example.gov.vn/tinh-thu/xa-a/\""));
    assert!(
        r.contains("<a href=\"../../tinh-thu/xa-a/\">Xã A</a>"),
        "a visible link"
    );
}

#[test]
fn split_unit_old_address_lists_successors() {
    let s = two_communes();
    s.build(&[]).ok();
    let r = s.page("huyen-cu/phuong-chia/index.html");
    assert!(!r.contains("http-equiv=\"refresh\""));
    assert!(r.contains("../../tinh-thu/xa-a/") && r.contains("../../tinh-thu/xa-b/"));
    assert!(text_of(&r).contains("Phường Chia"));
}

#[test]
fn nfd_input_renders_as_nfc() {
    use unicode_normalization::UnicodeNormalization;
    let s = two_communes();
    let name_nfc = "Thủ tục đăng ký hộ tịch có yếu tố nước ngoài";
    let name_nfd: String = name_nfc.nfd().collect();
    assert_ne!(name_nfc, name_nfd);
    s.write(
        "content/tinh-thu/xa-a/nfd.md",
        &procedure_md("9.000003", &name_nfd, ""),
    );
    s.build(&[]).ok();
    let page = s.page("tinh-thu/xa-a/9.000003/index.html");
    assert!(page.contains(name_nfc), "NFC name in the page");
    assert!(!page.contains(&name_nfd), "no NFD left");
    assert!(s.page("tinh-thu/xa-a/data.json").contains(name_nfc));
}

#[test]
fn json_ld_carries_code_name_provider_times_and_fees() {
    let s = two_communes();
    s.build(&[]).ok();
    let page = s.page("tinh-thu/xa-a/1.001193/index.html");
    let json =
        between(&page, "<script type=\"application/ld+json\">", "</script>").expect("JSON-LD");
    let v: serde_json::Value = serde_json::from_str(json).expect("JSON-LD parses");
    assert_eq!(v["@type"], "GovernmentService");
    assert_eq!(v["identifier"], "1.001193");
    assert_eq!(v["name"], "Thủ tục đăng ký khai sinh");
    // The executing agency, as the page names it (not the unit's office).
    assert_eq!(v["provider"]["name"], "Ủy ban nhân dân cấp xã");
    assert_eq!(
        v["url"],
        "https://thutuc.example.gov.vn/tinh-thu/xa-a/1.001193/"
    );
    let ch = v["availableChannel"].as_array().unwrap();
    assert_eq!(ch.len(), 2);
    // 3 working days are not 3 calendar days: no `processingTime` Duration, the text.
    assert!(ch[0].get("processingTime").is_none(), "{json}");
    assert_eq!(ch[0]["description"], "3 ngày làm việc");
    // Fees are offers of the service (schema.org has no `offers` on a channel).
    assert!(ch[0].get("offers").is_none(), "{json}");
    let offers = v["offers"].as_array().expect("offers on the service");
    assert_eq!(
        (&offers[0]["name"], &offers[0]["price"]),
        (&"Trực tiếp".into(), &15000.into())
    );
    assert_eq!(offers[0]["priceCurrency"], "VND");
    assert_eq!(
        (&offers[1]["name"], &offers[1]["price"]),
        (&"Trực tuyến".into(), &7000.into())
    );
}

#[test]
fn links_are_relative_and_all_resolve() {
    let s = two_communes();
    s.build(&[]).ok();
    let out = s.out();
    let mut checked = 0;
    for f in list_files(&out) {
        if !f.ends_with(".html") || f == "404.html" {
            continue;
        }
        let html = s.page(&f);
        let dir = std::path::Path::new(&f).parent().unwrap().to_path_buf();
        for href in attrs(&html, "href").into_iter().chain(attrs(&html, "src")) {
            if href.starts_with("https://")
                || href.starts_with("mailto:")
                || href.starts_with("tel:")
                || href.starts_with('#')
            {
                continue;
            }
            assert!(
                !href.starts_with('/'),
                "{f}: root-absolute link {href} breaks sub-paths and file://"
            );
            let target = out.join(&dir).join(href.split('#').next().unwrap());
            let target = if href.ends_with('/') || href.is_empty() {
                target.join("index.html")
            } else {
                target
            };
            assert!(target.exists(), "{f}: broken link {href}");
            checked += 1;
        }
    }
    assert!(checked > 50, "checked {checked} links");
}

#[test]
fn file_links_option_points_at_index_html() {
    let s = two_communes();
    s.build(&["--file-links"]).ok();
    let home = s.page("index.html");
    assert!(home.contains("href=\"tinh-thu/xa-a/index.html\""), "{home}");
}

#[test]
fn base_url_option_changes_absolute_urls_only() {
    let s = two_communes();
    s.build(&["--base-url", "https://example.org/thu-tuc"]).ok();
    let page = s.page("tinh-thu/xa-a/1.001193/index.html");
    assert!(page.contains("href=\"https://example.org/thu-tuc/tinh-thu/xa-a/1.001193/\""));
    assert!(s
        .page("sitemap.xml")
        .contains("<loc>https://example.org/thu-tuc/tinh-thu/xa-b/</loc>"));
}

#[test]
fn feed_and_sitemap_list_procedures() {
    let s = two_communes();
    s.write(
        "content/tinh-thu/xa-a/moi.md",
        &procedure_md(
            "9.000004",
            "Thủ tục mới sửa",
            "updated = 2026-11-01\neffective = 2025-01-01",
        ),
    );
    s.build(&[]).ok();
    let feed = s.page("feed.xml");
    assert!(feed.starts_with("<?xml"));
    let first = between(&feed, "<entry>", "</entry>").unwrap();
    assert!(
        first.contains("9.000004") && first.contains("2026-11-01"),
        "newest change first: {first}"
    );
    let sitemap = s.page("sitemap.xml");
    assert!(sitemap.contains("https://thutuc.example.gov.vn/tinh-thu/xa-b/1.001193/"));
    assert!(sitemap.contains("https://thutuc.example.gov.vn/tthc/1.001193/"));
    // Served at any depth: links from base_url's path, the style inside the page.
    let nf = s.page("404.html");
    assert!(
        nf.contains("href=\"/static/style.css\"") && nf.contains("<style>"),
        "{nf}"
    );
}

#[test]
fn missing_components_show_chua_cong_bo() {
    let s = two_communes();
    s.write(
        "content/tinh-thu/xa-a/thieu.toml",
        r#"code = "9.000005"
name = "Thủ tục thiếu thông tin"
sector = "Hộ tịch"
level = "xa"
applicants = ["Công dân Việt Nam"]
result = ["Kết quả"]
legal_basis = ["Luật"]
unpublished = ["agency", "dossier"]
steps = "Bước 1"

[[channels]]
method = "truc-tiep"
time = { value = 1, unit = "days" }
"#,
    );
    let r = s.build(&[]);
    r.ok();
    r.has(
        "warning",
        "content/tinh-thu/xa-a/thieu.toml:11:1",
        &["`channels[1].fees`", "phí, lệ phí"],
    );
    let page = text_of(&s.page("tinh-thu/xa-a/9.000005/index.html"));
    let missing = page.matches("Chưa công bố").count();
    assert!(
        missing >= 3,
        "agency, dossier and fees shown as not published ({missing}): {page}"
    );
}

#[test]
fn failed_build_leaves_previous_output_byte_identical() {
    let s = two_communes();
    s.build(&[]).ok();
    let before = snapshot(&s.out());
    assert!(before.len() > 10);
    s.write(
        "content/tinh-thu/xa-a/hong.md",
        "+++\ncode = \"1\"\nname = [\n+++\n",
    );
    s.build(&[]).fails();
    assert_eq!(snapshot(&s.out()), before, "output untouched");
    let leftovers: Vec<_> = std::fs::read_dir(s.path())
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().contains("niemyet-"))
        .collect();
    assert!(leftovers.is_empty(), "no staging folder left");
    // A successful build replaces it whole (the broken file removed).
    s.remove("content/tinh-thu/xa-a/hong.md");
    s.write(
        "content/tinh-thu/xa-a/moi.md",
        &procedure_md("9.000006", "Thủ tục thêm", ""),
    );
    s.build(&[]).ok();
    assert!(s.exists("tinh-thu/xa-a/9.000006/index.html"));
}

/// Identity of an output file: its inode, which only a write changes (a kept file is a
/// hard link to the previous one).
fn inode(s: &Site, rel: &str) -> u64 {
    use std::os::unix::fs::MetadataExt;
    std::fs::symlink_metadata(s.out().join(rel))
        .unwrap_or_else(|e| panic!("{rel}: {e}"))
        .ino()
}

#[test]
fn rebuild_writes_only_changed_files_and_equals_a_fresh_build() {
    let s = two_communes();
    s.write(
        "content/tinh-thu/xa-a/rieng.md",
        &procedure_md("9.000001", "Thủ tục riêng của xã A", ""),
    );
    s.build(&[]).ok();
    let unchanged = "tinh-thu/xa-b/1.001193/index.html";
    let changed = "tinh-thu/xa-a/9.000001/index.html";
    let (ino_unchanged, ino_changed) = (inode(&s, unchanged), inode(&s, changed));
    // Written in pieces (the search index of the other commune's own procedures): kept
    // the same way.
    let pieces = "tim-kiem/idx/u/tinh-thu.xa-b.js";
    let ino_pieces = inode(&s, pieces);
    let mtime = |rel: &str| {
        std::fs::metadata(s.out().join(rel))
            .and_then(|m| m.modified())
            .unwrap()
    };
    let mtime_unchanged = mtime(unchanged);
    // By hand, a page of the previous output: same size, other bytes. And a symlink where
    // a page goes, to a file holding exactly that page: it must not be kept as a link.
    let tampered = "tinh-thu/xa-a/1.001193/index.html";
    let mut bytes = std::fs::read(s.out().join(tampered)).unwrap();
    let first = bytes.iter().position(|b| *b == b'<').unwrap();
    bytes[first] = b'{';
    std::fs::write(s.out().join(tampered), &bytes).unwrap();
    let linked = "tinh-thu/index.html";
    let elsewhere = s.path().join("elsewhere.html");
    std::fs::copy(s.out().join(linked), &elsewhere).unwrap();
    std::fs::remove_file(s.out().join(linked)).unwrap();
    std::os::unix::fs::symlink(&elsewhere, s.out().join(linked)).unwrap();

    std::thread::sleep(std::time::Duration::from_millis(20));
    s.write(
        "content/tinh-thu/xa-a/rieng.md",
        &procedure_md("9.000001", "Thủ tục riêng của xã A, đã sửa", ""),
    );
    let run = s.build(&[]);
    run.ok();
    assert!(
        run.stderr.contains("tệp không đổi, giữ nguyên"),
        "the summary counts kept files: {}",
        run.stderr
    );
    assert_eq!(inode(&s, unchanged), ino_unchanged, "unchanged page kept");
    assert_eq!(
        inode(&s, pieces),
        ino_pieces,
        "unchanged file written in pieces kept"
    );
    assert_eq!(
        mtime(unchanged),
        mtime_unchanged,
        "and its modification time"
    );
    assert_ne!(inode(&s, changed), ino_changed, "changed page written");
    assert!(s.page(changed).contains("Thủ tục riêng của xã A, đã sửa"));
    assert_eq!(
        s.page(tampered).as_bytes()[first],
        b'<',
        "a page changed by hand is written again"
    );
    assert!(
        std::fs::symlink_metadata(s.out().join(linked))
            .unwrap()
            .file_type()
            .is_file(),
        "a symlink in the previous output is replaced by a file, never kept"
    );

    // Whatever was kept, the output is what a fresh build writes.
    let fresh = Site::new();
    copy_dir(&s.path().join("content"), &fresh.path().join("content"));
    std::fs::copy(s.path().join("site.toml"), fresh.path().join("site.toml")).unwrap();
    fresh.build(&[]).ok();
    assert_eq!(snapshot(&s.out()), snapshot(&fresh.out()));
}

#[test]
fn form_files_are_copied_and_linked() {
    let s = Site::new();
    s.write(
        "content/tinh/_unit.toml",
        &unit_toml("Tỉnh", "tinh", "adopt = [\"1.001193\"]"),
    );
    s.write_bytes("content/_catalog/forms/to-khai.pdf", b"%PDF-1.4 test");
    s.write(
        "content/_catalog/khai-sinh.md",
        &procedure_md(
            "1.001193",
            "Khai sinh",
            "forms = [{ name = \"Tờ khai\", file = \"forms/to-khai.pdf\" }, { name = \"Mẫu trực tuyến\", url = \"https://dichvucong.gov.vn/mau\" }]",
        )
        .replace("{ name = \"Giấy chứng sinh\", originals = 1 }", "{ name = \"Giấy chứng sinh\", originals = 1, form = \"Tờ khai\" }"),
    );
    s.build(&[]).ok();
    assert_eq!(
        std::fs::read(s.out().join("tep-dinh-kem/_catalog/forms/to-khai.pdf")).unwrap(),
        b"%PDF-1.4 test"
    );
    let page = s.page("tinh/1.001193/index.html");
    assert!(
        page.contains("href=\"../../tep-dinh-kem/_catalog/forms/to-khai.pdf\""),
        "{page}"
    );
    assert!(page.contains("https://dichvucong.gov.vn/mau"));
}

#[test]
fn deep_legacy_tree_builds() {
    let s = Site::new();
    s.write(
        "content/_catalog/a.md",
        &procedure_md("1.000001", "Thủ tục A", ""),
    );
    s.write("content/tinh/_unit.toml", &unit_toml("Tỉnh", "tinh", ""));
    s.write(
        "content/tinh/huyen-x/_unit.toml",
        &unit_toml("Huyện X", "huyen", ""),
    );
    s.write(
        "content/tinh/huyen-x/thi-tran-y/_unit.toml",
        &unit_toml("Thị trấn Y", "thi-tran", "adopt = [\"1.000001\"]"),
    );
    let r = s.build(&[]);
    r.ok();
    r.has(
        "warning",
        "content/tinh/huyen-x/_unit.toml",
        &["`huyen`", "01/07/2025"],
    );
    let page = s.page("tinh/huyen-x/thi-tran-y/1.000001/index.html");
    assert!(page.contains("href=\"../../../../static/style.css\""));
    let crumbs = between(&page, "class=\"crumbs\"", "</nav>").unwrap();
    assert!(crumbs.contains("Tỉnh") && crumbs.contains("Huyện X") && crumbs.contains("Thị trấn Y"));
    // Before the reorganisation the kind is not stale.
    let r = s.build(&["--today", "2025-06-30"]);
    assert!(
        !r.stderr.contains("không còn từ 01/07/2025"),
        "{}",
        r.stderr
    );
}

#[test]
fn unchanged_rebuild_does_nothing_but_notices_any_change() {
    let s = two_communes();
    s.write(
        "content/tinh-thu/xa-a/thieu.md",
        &procedure_md("9.000007", "Thiếu phí", "").replace(
            "fees = [{ amount = 7000, text = \"Nộp trực tuyến\" }]",
            "fees = [{ amount = 0 }]",
        ),
    );
    let first = s.build(&[]);
    first.ok();
    assert!(first
        .stderr
        .contains("mức thu 0 đồng mà không có diễn giải"));
    let before = snapshot(&s.out());
    let again = s.build(&[]);
    again.ok();
    assert!(
        again
            .stderr
            .contains("không có gì thay đổi từ lần dựng trước"),
        "{}",
        again.stderr
    );
    assert!(
        again
            .stderr
            .contains("mức thu 0 đồng mà không có diễn giải"),
        "warnings are replayed"
    );
    assert_eq!(snapshot(&s.out()), before);
    // An edit is noticed.
    s.write(
        "content/tinh-thu/xa-a/moi.md",
        &procedure_md("9.000008", "Thủ tục mới", ""),
    );
    let r = s.build(&[]);
    assert!(!r.stderr.contains("không có gì thay đổi"), "{}", r.stderr);
    assert!(s.exists("tinh-thu/xa-a/9.000008/index.html"));
    // So is a hand-deleted output file, another date, and --force.
    std::fs::remove_file(s.out().join("tinh-thu/xa-a/9.000008/index.html")).unwrap();
    assert!(!s.build(&[]).stderr.contains("không có gì thay đổi"));
    assert!(s.exists("tinh-thu/xa-a/9.000008/index.html"));
    assert!(!s
        .build(&["--today", "2026-11-24"])
        .stderr
        .contains("không có gì thay đổi"));
    assert!(!s
        .build(&["--today", "2026-11-24", "--force"])
        .stderr
        .contains("không có gì thay đổi"));
    assert!(s
        .build(&["--today", "2026-11-24"])
        .stderr
        .contains("không có gì thay đổi"));
}

/// A template that fails on every noticeboard pack names the same pack, the first in
/// order, build after build: the pages render in parallel, and the error used to be
/// whichever failed first in time.
#[test]
fn a_template_failing_everywhere_names_the_same_first_page_every_time() {
    let s = Site::new();
    s.write(
        "content/_catalog/ho-tich/khai-sinh.md",
        &procedure_md("1.001193", "Thủ tục đăng ký khai sinh", ""),
    );
    s.write(
        "content/tinh-thu/_unit.toml",
        &unit_toml("Tỉnh Thử", "tinh", ""),
    );
    for i in 1..=24 {
        s.write(
            &format!("content/tinh-thu/xa-{i:02}/_unit.toml"),
            &unit_toml(&format!("Xã {i}"), "xa", r#"adopt = ["1.001193"]"#),
        );
    }
    // The first commune has no board (its procedures take effect next year) but many
    // pages: while one thread renders them, the other fails on a later pack.
    for i in 0..150 {
        s.write(
            &format!("content/tinh-thu/xa-00/thu-tuc-{i}.md"),
            &procedure_md(
                &format!("9.{i:06}"),
                &format!("Thủ tục sắp áp dụng {i}"),
                "effective = 2027-01-01",
            ),
        );
    }
    s.write(
        "content/tinh-thu/xa-00/_unit.toml",
        &unit_toml("Xã 0", "xa", ""),
    );
    copy_dir(&repo().join("themes"), &s.path().join("themes"));
    s.build(&[]).ok();
    assert!(!s.exists("tinh-thu/xa-00/niem-yet/index.html"));
    assert!(s.exists("tinh-thu/xa-00/9.000149/index.html"));
    let before = snapshot(&s.out());
    let board = s.path().join("themes/default/templates/noticeboard.html");
    let text = std::fs::read_to_string(&board).unwrap();
    assert!(text.contains("<title>"));
    std::fs::write(
        &board,
        text.replacen("<title>", "{{ nope.nope }}<title>", 1),
    )
    .unwrap();
    let mut seen = Vec::new();
    for _ in 0..6 {
        let run = s.build(&[]);
        run.fails();
        seen.push(run.stderr.clone());
    }
    assert!(
        seen[0].contains("noticeboard.html (rendering tinh-thu/xa-01/niem-yet/index.html)")
            && seen[0].contains("nope.nope"),
        "names the first commune's pack and the variable:\n{}",
        seen[0]
    );
    assert!(seen.iter().all(|e| *e == seen[0]), "{seen:#?}");
    assert_eq!(snapshot(&s.out()), before, "the last good site stays whole");
}

/// A procedure page's feedback section (phản ánh, kiến nghị) is rendered once per unit
/// from the theme's `feedback.html`. A site theme without that file (a theme holds only
/// the files it changes) takes the default theme's, and its pages come out byte for byte
/// the same.
#[test]
fn a_theme_without_feedback_html_prints_the_same_feedback_on_every_procedure_page() {
    let s = example();
    s.build(&[]).ok();
    let page = s.page("tuyen-quang/xa-dong-loi/1.001193/index.html");
    let section = between(&page, "<section class=\"feedback\"", "</section>")
        .expect("a feedback section on the procedure page");
    assert!(
        section.contains("Cá nhân, tổ chức phản ánh, kiến nghị"),
        "{section}"
    );
    let before = snapshot(&s.out());
    s.remove("themes/default/templates/feedback.html");
    s.build(&["--force"]).ok();
    assert_eq!(snapshot(&s.out()), before);
}

/// A mistake in `feedback.html` fails the build with the template, the variable and the
/// unit whose pages it was rendered for (the same one every time, though the pages render
/// in parallel), and leaves the last good site whole.
#[test]
fn a_broken_feedback_template_names_itself_and_keeps_the_last_good_site() {
    let s = example();
    s.build(&[]).ok();
    let before = snapshot(&s.out());
    let template = s.path().join("themes/default/templates/feedback.html");
    let text = std::fs::read_to_string(&template).unwrap();
    s.write(
        "themes/default/templates/feedback.html",
        &format!("{text}{{{{ unit.nope.nope }}}}"),
    );
    let runs: Vec<String> = (0..3)
        .map(|_| {
            let r = s.build(&[]);
            r.fails();
            r.stderr.clone()
        })
        .collect();
    assert!(
        runs[0].contains("templates/feedback.html (rendering the procedure pages of ")
            && runs[0].contains("unit.nope.nope"),
        "{}",
        runs[0]
    );
    assert!(!runs[0].contains("panicked"), "{}", runs[0]);
    assert!(runs.iter().all(|r| *r == runs[0]), "{runs:#?}");
    assert_eq!(snapshot(&s.out()), before, "the last good site stays whole");
}
