//! The bundled example's output is valid, linked and accessible, and its procedure pages
//! are light: the Nu HTML checker (vnu.jar from npm, run with Java) reports no error on
//! any page or on the stylesheet, every relative link and `#fragment` resolves, axe-core
//! finds no WCAG 2.1 A/AA violation on any page type, and a typical procedure page stays
//! within 30 KB gzip (HTML + CSS + JS) and reads with JavaScript off.

mod common;
use common::*;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The page budget of a procedure page: gzip(HTML) + gzip(CSS) + gzip(JS).
const PAGE_BUDGET: usize = 30 * 1024;

fn built_example() -> Site {
    let s = example();
    s.build(&["-q"]).ok();
    s
}

fn html_files(out: &Path) -> Vec<String> {
    list_files(out)
        .into_iter()
        .filter(|f| f.ends_with(".html"))
        .collect()
}

/// `java` and vnu.jar, or `None` (a loud skip; a failure in CI).
fn vnu() -> Option<PathBuf> {
    let jar = repo().join("tests/browser/node_modules/vnu-jar/build/dist/vnu.jar");
    let java = Command::new("java")
        .arg("-version")
        .output()
        .is_ok_and(|o| o.status.success());
    if java && jar.is_file() {
        return Some(jar);
    }
    let why = format!(
        "the HTML validity test needs `java` (default-jre-headless) and {} (npm ci in tests/browser)",
        jar.display()
    );
    if std::env::var("CI").is_ok_and(|v| v == "true" || v == "1") {
        panic!("{why}");
    }
    eprintln!("SKIPPED: {why}");
    None
}

#[test]
fn example_is_valid_html_and_css() {
    let Some(jar) = vnu() else { return };
    let s = built_example();
    let pages = html_files(&s.out());
    assert!(pages.len() > 50, "{} pages", pages.len());
    let out = Command::new("java")
        // The checker's schema evaluation needs a deep stack (it says so when it lacks one).
        .arg("-Xss4m")
        .arg("-jar")
        .arg(&jar)
        .args(["--errors-only", "--also-check-css", "--format", "gnu"])
        .args(pages.iter().map(|p| s.out().join(p)))
        .arg(s.out().join("static/style.css"))
        .output()
        .unwrap();
    let report =
        String::from_utf8_lossy(&out.stderr).into_owned() + &String::from_utf8_lossy(&out.stdout);
    let errors: Vec<&str> = report.lines().filter(|l| l.contains("error")).collect();
    assert!(
        out.status.success() && errors.is_empty() && !report.contains("StackOverflowError"),
        "Nu HTML checker: {} error(s) on {} pages:\n{}",
        errors.len(),
        pages.len(),
        report
    );
}

/// Ids and names a page defines, for `#fragment` links.
fn anchors(html: &str) -> Vec<String> {
    let mut v = attrs(html, "id");
    v.extend(attrs(html, "name"));
    v
}

#[test]
fn example_has_no_broken_internal_links_or_fragments() {
    let s = built_example();
    let out = s.out();
    let pages = html_files(&out);
    let mut broken = Vec::new();
    let mut checked = 0;
    let mut fragments = 0;
    for page in &pages {
        let html = std::fs::read_to_string(out.join(page)).unwrap();
        let dir = Path::new(page)
            .parent()
            .unwrap_or(Path::new(""))
            .to_path_buf();
        let mut links = attrs(&html, "href");
        links.extend(attrs(&html, "src"));
        for link in links {
            let lower = link.to_ascii_lowercase();
            if lower.starts_with("http://")
                || lower.starts_with("https://")
                || lower.starts_with("mailto:")
                || lower.starts_with("tel:")
                || lower.starts_with("//")
            {
                continue;
            }
            checked += 1;
            let (path, frag) = match link.split_once('#') {
                Some((p, f)) => (p.to_owned(), Some(f.to_owned())),
                None => (link.clone(), None),
            };
            let path = path.split('?').next().unwrap_or("").to_owned();
            // Resolve against the page's folder, never above the output root.
            let mut parts: Vec<String> = dir
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            // 404.html is served at any depth: its links start from the path of
            // base_url (`/` for the example), which it resolves from the output's root.
            if page == "404.html" && path.starts_with('/') {
                parts.clear();
            } else if path.starts_with('/') {
                broken.push(format!(
                    "{page}: root-relative link {link} (breaks from a sub-path)"
                ));
                continue;
            }
            let mut escaped = false;
            for seg in path.split('/') {
                match seg {
                    "" | "." => {}
                    ".." => {
                        if parts.pop().is_none() {
                            escaped = true;
                        }
                    }
                    s => parts.push(s.to_owned()),
                }
            }
            if escaped {
                broken.push(format!("{page}: {link} leads above the site root"));
                continue;
            }
            let mut target = out.join(parts.join("/"));
            if path.is_empty() {
                target = out.join(page);
            } else if target.is_dir() {
                target = target.join("index.html");
            }
            if !target.is_file() {
                broken.push(format!("{page}: {link} → {} missing", target.display()));
                continue;
            }
            if let Some(f) = frag.filter(|f| !f.is_empty()) {
                fragments += 1;
                let t = std::fs::read_to_string(&target).unwrap_or_default();
                if !anchors(&t).contains(&f) {
                    broken.push(format!(
                        "{page}: {link}: no id=\"{f}\" in {}",
                        target.display()
                    ));
                }
            }
        }
    }
    assert!(
        checked > 500 && fragments > 50,
        "{checked} links, {fragments} fragments checked"
    );
    assert!(
        broken.is_empty(),
        "{} broken link(s):\n{}",
        broken.len(),
        broken.join("\n")
    );
    println!(
        "{} pages, {checked} internal links, {fragments} fragments: all resolve",
        pages.len()
    );
}

/// One page of every kind the example has.
const PAGE_TYPES: &[&str] = &[
    "index.html",
    "404.html",
    "tuyen-quang/index.html",
    "tuyen-quang/xa-dong-loi/index.html",
    "tuyen-quang/xa-dong-loi/1.001193/index.html",
    "tuyen-quang/xa-son-duong/2.001023/index.html",
    "tuyen-quang/phuong-minh-xuan/1.014379/index.html",
    "tuyen-quang/xa-bac-quang/1.010494/index.html",
    "tthc/1.001193/index.html",
    "tuyen-quang/huyen-son-duong/xa-dong-loi/index.html",
    "tuyen-quang/thanh-pho-tuyen-quang/phuong-tan-ha/index.html",
    "tuyen-quang/xa-dong-loi/niem-yet/thay-doi/index.html",
    "kiem-soat/index.html",
];

#[test]
fn example_has_no_axe_violations_on_any_page_type() {
    if !chromium_available() {
        return;
    }
    let s = built_example();
    for p in PAGE_TYPES {
        assert!(s.exists(p), "page type {p} missing from the example");
    }
    let out_dir = s.out();
    let mut args = vec![out_dir.to_str().unwrap()];
    args.extend_from_slice(PAGE_TYPES);
    let out = node("axe.mjs", &args);
    assert!(out.contains("0 violations"), "{out}");
}

#[test]
fn procedure_page_is_within_budget_and_reads_without_js() {
    if !chromium_available() {
        return;
    }
    let s = built_example();
    let page = "tuyen-quang/xa-dong-loi/1.001193/index.html";
    let max = PAGE_BUDGET.to_string();
    let out = node("budget.mjs", &[s.out().to_str().unwrap(), page, &max]);
    let line = out.lines().find(|l| l.starts_with("weight:")).unwrap_or("");
    let total: usize = line
        .split_whitespace()
        .nth(4)
        .and_then(|n| n.parse().ok())
        .unwrap_or(usize::MAX);
    assert!(total <= PAGE_BUDGET, "{out}");
    println!("{page}: {line}");
}
