//! Themes by override: a site's `themes/<name>/` holds only the files it changes, and
//! everything it lacks comes from the built-in default theme (docs/themes.md).

mod common;
use common::*;

/// The bundled example without a `themes/` folder: the built-in default theme alone.
fn bare_example() -> Site {
    let s = example();
    std::fs::remove_dir_all(s.path().join("themes")).expect("remove themes/");
    s
}

/// `bare_example` with `site.toml` naming the theme `themes/tinh/` (empty until a test
/// writes into it).
fn example_with_theme_tinh() -> Site {
    let s = bare_example();
    let config = std::fs::read_to_string(s.path().join("site.toml")).expect("site.toml");
    s.write(
        "site.toml",
        &config.replace("# theme = \"default\"", "theme = \"tinh\""),
    );
    s
}

/// A theme with only `base.html` and one interface string: every page takes both, and
/// everything else (the other templates, the static files, the other strings) is the
/// default theme's, byte for byte.
#[test]
fn a_theme_overriding_base_html_and_one_string() {
    let plain = bare_example();
    plain.build(&[]).ok();

    let s = example_with_theme_tinh();
    let base = std::fs::read_to_string(repo().join("themes/default/templates/base.html"))
        .expect("default base.html");
    assert!(base.contains("<footer class=\"site-footer\">"));
    s.write(
        "themes/tinh/templates/base.html",
        &base.replace(
            "<footer class=\"site-footer\">",
            "<p class=\"banner-tinh\">Cổng thông tin tỉnh</p>\n<footer class=\"site-footer\">",
        ),
    );
    // One string changed; the file holds nothing else.
    s.write("themes/tinh/i18n/vi.toml", "home = \"Về trang chủ tỉnh\"\n");
    let run = s.build(&[]);
    run.ok();
    assert!(run.stderr.contains("0 lỗi"), "{}", run.stderr);

    let before = snapshot(&plain.out());
    let after = snapshot(&s.out());
    assert_eq!(
        before.iter().map(|(p, _)| p).collect::<Vec<_>>(),
        after.iter().map(|(p, _)| p).collect::<Vec<_>>(),
        "the same files"
    );
    let mut pages = 0;
    for ((path, a), (_, b)) in before.iter().zip(&after) {
        let (a, b) = (String::from_utf8_lossy(a), String::from_utf8_lossy(b));
        if path.ends_with(".html") && a.contains("<footer class=\"site-footer\">") {
            // A page built on base.html: the banner and the string, nothing else changed.
            let changed = a
                .replace(
                    "<footer class=\"site-footer\">",
                    "<p class=\"banner-tinh\">Cổng thông tin tỉnh</p>\n<footer class=\"site-footer\">",
                )
                .replace(">Trang chủ</a>", ">Về trang chủ tỉnh</a>");
            assert_eq!(changed, b, "{path}");
            pages += 1;
        } else {
            // Static files, the print packs (not built on base.html), data, search.
            assert!(a == b, "{path} changed");
        }
    }
    assert!(pages > 50, "{pages} pages built on base.html");
    let unit = s.page("tuyen-quang/xa-dong-loi/index.html");
    assert!(unit.contains("Cổng thông tin tỉnh") && unit.contains("Về trang chủ tỉnh"));
    // The other strings are the default's.
    assert!(unit.contains("Danh mục thủ tục hành chính"), "{unit}");
}

/// A broken template of a site theme fails the build with its path, line and column and
/// what is wrong, and the previous output stays whole; the default theme's templates
/// the site did not change are not blamed.
#[test]
fn a_broken_template_is_named_with_its_file_and_line() {
    let s = bare_example();
    s.build(&[]).ok();
    let before = snapshot(&s.out());
    s.write(
        "themes/default/templates/tthc.html",
        "{% extends \"base.html\" %}\n{% block main %}\n<h1>{{ p.title }</h1>\n{% endblock main %}\n",
    );
    let run = s.build(&[]);
    run.fails();
    run.has(
        "error",
        "themes/default/templates/tthc.html:3:",
        &["lỗi mẫu giao diện"],
    );
    assert_eq!(snapshot(&s.out()), before, "the last good site stays whole");

    // A variable the page does not give: the template, its line, the variable.
    s.write(
        "themes/default/templates/tthc.html",
        "{% extends \"base.html\" %}\n{% block main %}\n<h1>{{ p.titel }}</h1>\n{% endblock main %}\n",
    );
    let run = s.build(&[]);
    run.fails();
    assert!(
        run.stderr
            .contains("--> themes/default/templates/tthc.html:3:")
            && run.stderr.contains("Field `titel` is not defined"),
        "{}",
        run.stderr
    );
    assert_eq!(snapshot(&s.out()), before, "the last good site stays whole");
}

/// Element ids of a procedure's components are unique per procedure (`tthc-<code>-…`),
/// the same on its page and on its noticeboard sheet: every in-page link of a procedure
/// page and of a print pack leads to an element of that page, and no id is given twice.
#[test]
fn in_page_links_lead_to_unique_ids() {
    let s = bare_example();
    s.build(&[]).ok();
    let mut pages = 0;
    for (path, bytes) in snapshot(&s.out()) {
        if !path.ends_with("index.html") {
            continue;
        }
        let html = String::from_utf8(bytes).expect("UTF-8");
        let ids = attrs(&html, "id");
        let mut seen = std::collections::BTreeSet::new();
        for id in &ids {
            assert!(seen.insert(id.as_str()), "{path}: id {id} given twice");
        }
        for href in attrs(&html, "href") {
            if let Some(target) = href.strip_prefix('#') {
                assert!(seen.contains(target), "{path}: no element #{target}");
            }
        }
        pages += 1;
    }
    assert!(pages > 100);
    // The dossier link of the key facts.
    let page = s.page("tuyen-quang/xa-dong-loi/1.001193/index.html");
    assert!(page.contains("href=\"#tthc-1.001193-ho-so\""), "{page}");
    assert!(page.contains("id=\"tthc-1.001193-ho-so\""));
    let pack = s.page("tuyen-quang/xa-dong-loi/niem-yet/index.html");
    assert!(pack.contains("id=\"tthc-1.001193-ho-so\""));
}

/// A site's own `404.html` (or `redirect.html`, `successors.html`) that drops what leads
/// a former unit's procedure addresses on builds, but says so: otherwise every such
/// address would quietly be a plain 404. The default templates, copied whole, say nothing.
#[test]
fn a_theme_that_drops_the_old_addresses_lead_on_is_warned() {
    let s = example_with_theme_tinh();
    let default = |t: &str| {
        std::fs::read_to_string(repo().join("themes/default/templates").join(t)).expect(t)
    };
    for t in ["404.html", "redirect.html", "successors.html"] {
        s.write(&format!("themes/tinh/templates/{t}"), &default(t));
    }
    let run = s.build(&["--warnings", "all"]);
    run.ok();
    assert!(!run.stderr.contains("moved.js"), "{}", run.stderr);
    assert!(!run.stderr.contains("data-successor"), "{}", run.stderr);

    s.write(
        "themes/tinh/templates/404.html",
        &default("404.html").replace(
            "<script src=\"{{ root }}static/moved.js\" defer></script>",
            "",
        ),
    );
    s.write(
        "themes/tinh/templates/successors.html",
        &default("successors.html").replace("data-successor ", ""),
    );
    let run = s.build(&["--warnings", "all"]);
    run.ok();
    let warned = |file: &str, needs: &str| {
        run.stderr.lines().any(|l| {
            l.contains(&format!("themes/tinh/templates/{file}"))
                && l.contains(needs)
                && l.contains("404")
        })
    };
    assert!(warned("404.html", "static/moved.js"), "{}", run.stderr);
    assert!(
        warned("successors.html", "data-successor"),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("redirect.html"), "{}", run.stderr);
}
