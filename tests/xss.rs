//! Sanitising: every payload of `tests/xss/payloads.txt` is placed in every text key of a
//! procedure (Markdown and pure TOML), a unit, site.toml and the Markdown body; the site is
//! built and no payload may survive in any output file. "Survive" per format:
//! - HTML: no executable element (script other than the theme's own and the JSON-LD,
//!   iframe, object, embed, style, base, form, svg, math…), no event-handler or style
//!   attribute, no URL with a scheme other than http(s), mailto and tel; the JSON-LD holds
//!   no `<`; and in headless Chromium no page sets the `window.__xss` canary or opens a
//!   dialog.
//! - XML (feed, sitemap): the payloads' tags appear only escaped.
//! - JSON (open data): the payloads are data: the file parses and carries them verbatim.
//! - CSV: they are data too, and no cell starts like a spreadsheet formula.
//!
//! Web addresses (`website`, `online_url`, a form's `url`) become links, so a payload
//! there is refused with an error naming the key.

mod common;
use common::*;

fn payloads() -> Vec<String> {
    std::fs::read_to_string(repo().join("tests/xss/payloads.txt"))
        .unwrap()
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(str::to_owned)
        .collect()
}

/// A TOML basic string.
fn q(s: &str) -> String {
    let mut o = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => o.push_str("\\\""),
            '\\' => o.push_str("\\\\"),
            '\n' => o.push_str("\\n"),
            '\t' => o.push_str("\\t"),
            c => o.push(c),
        }
    }
    o.push('"');
    o
}

/// The hostile site: every text key holds every payload (one per line). A phone number
/// must hold digits and nothing else than a phone's signs, and an e-mail address must be
/// one (no spaces), so they hold the payloads' characters that pass those checks.
fn hostile_site(all: &str) -> Site {
    let s = Site::new();
    let t = q(all);
    let phone = q("0207 3822 000");
    let email = q("\"'><script>window.__xss=1</script>&amp;@evil.vn");
    s.write(
        "site.toml",
        &format!(
            "title = {t}\ndescription = {t}\nbase_url = \"https://thutuc.example.gov.vn/\"\n\n[feedback]\nagency = {t}\naddress = {t}\nphone = {phone}\nemail = {email}\nwebsite = \"https://thutuc.example.gov.vn/\"\n"
        ),
    );
    let office = format!(
        "[office]\nname = {t}\naddress = {t}\nphone = {phone}\nemail = {email}\nhours = {t}\nwebsite = \"https://example.gov.vn/\"\n\n[feedback]\nagency = {t}\naddress = {t}\nphone = {phone}\nemail = {email}\n"
    );
    s.write(
        "content/tinh/_unit.toml",
        &format!("name = {t}\nkind = \"tinh\"\ncode = {t}\ndescription = {t}\n\n{office}"),
    );
    s.write(
        "content/tinh/xa-a/_unit.toml",
        &format!(
            "name = {t}\nkind = \"xa\"\ndescription = {t}\nadopt = [\"2.000001\"]\n\n{office}\n[[former]]\npath = \"huyen-cu/xa-a\"\nname = {t}\nbasis = {t}\ndate = 2025-07-01\n"
        ),
    );
    let keys = format!(
        r#"name = {t}
sector = {t}
level = "xa"
decision = {t}
applicants = [{t}, {t}]
agency = {t}
authority = {t}
place = {t}
result = [{t}]
requirements = {t}
legal_basis = [{t}, {t}]
keywords = [{t}]
procedure_type = {t}
delegated_agency = {t}
coordinating_agency = {t}
description = {t}
online = "mot-phan"
online_url = "https://dichvucong.gov.vn/"
forms = [{{ name = {t}, url = "https://example.gov.vn/mau.pdf" }}]

[[channels]]
method = "truc-tiep"
time = {{ value = 3, unit = "working-days", text = {t} }}
fees = [{{ amount = 15000, text = {t} }}]
note = {t}

[[channels]]
method = "truc-tuyen"
time = {{ text = {t} }}
fees = [{{ text = {t} }}]

[[dossier]]
case = {t}
note = {t}
items = [{{ name = {t}, originals = 1, copies = 1, form = {t}, note = {t} }}]
"#
    );
    let body = all.replace('\n', "\n\n");
    s.write(
        "content/tinh/xa-a/a.md",
        &format!("+++\ncode = \"1.000001\"\n{keys}+++\n{body}\n"),
    );
    s.write(
        "content/_catalog/c.toml",
        &format!("code = \"2.000001\"\nsteps = {t}\n{keys}"),
    );
    // A repealed procedure replaced by the local one: its page and notices render too.
    s.write(
        "content/tinh/xa-a/r.toml",
        &format!(
            "code = \"1.000002\"\nrepealed = 2026-01-01\nreplaced_by = \"1.000001\"\nsteps = {t}\n{keys}"
        ),
    );
    // One replaced by a code that is itself a payload (published nowhere: shown as text).
    s.write(
        "content/tinh/xa-a/r2.toml",
        &format!(
            "code = \"1.000003\"\nrepealed = 2026-01-01\nreplaced_by = {t}\nsteps = {t}\n{keys}"
        ),
    );
    s
}

/// Elements that must never come from content.
const FORBIDDEN: &[&str] = &[
    "iframe", "object", "embed", "style", "base", "form", "input", "button", "svg", "math",
    "frame", "frameset", "template", "noscript", "applet",
];

/// The scheme a browser sees in a URL (WHATWG: leading/trailing C0 and spaces stripped,
/// tabs and line breaks removed anywhere), if it has one.
fn scheme(v: &str) -> Option<String> {
    let v: String = v
        .trim_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect();
    let (s, _) = v.split_once(':')?;
    let mut cs = s.chars();
    let ok = cs.next().is_some_and(|c| c.is_ascii_alphabetic())
        && cs.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    ok.then(|| s.to_ascii_lowercase())
}

/// Decodes the character references a browser decodes in an attribute value (the named
/// ones templates and the sanitiser write, and every numeric one).
fn decode(v: &str) -> String {
    let mut out = String::new();
    let mut rest = v;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let end = rest.find(';').filter(|&e| e <= 12);
        let ent = end.map(|e| &rest[1..e]);
        let ch = match ent {
            Some("quot") => Some('"'),
            Some("amp") => Some('&'),
            Some("lt") => Some('<'),
            Some("gt") => Some('>'),
            Some("apos") => Some('\''),
            Some("Tab") => Some('\t'),
            Some("NewLine") => Some('\n'),
            Some("colon") => Some(':'),
            Some(e) if e.starts_with("#x") || e.starts_with("#X") => {
                u32::from_str_radix(&e[2..], 16)
                    .ok()
                    .and_then(char::from_u32)
            }
            Some(e) if e.starts_with('#') => e[1..].parse().ok().and_then(char::from_u32),
            _ => None,
        };
        match (ch, end) {
            (Some(c), Some(e)) => {
                out.push(c);
                rest = &rest[e + 1..];
            }
            _ => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// A procedure's QR code file as the theme refers to it: `../../tthc/<code>/qr.svg`, only
/// `../` steps and the code's own characters, no scheme.
fn is_qr_file(s: &str) -> bool {
    let rest = s.trim_start_matches("../");
    rest.strip_prefix("tthc/")
        .and_then(|r| r.strip_suffix("/qr.svg"))
        .is_some_and(|code| {
            !code.is_empty()
                && code
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-' || c == '_')
        })
}

/// CSS with its quoted strings emptied (backslash escapes honoured), except that a string
/// holding an SVG data URL keeps that prefix and one naming a QR code file becomes `qr.svg`; a raw `<` inside a string is kept so it is
/// still caught.
fn strip_css_strings(css: &str) -> String {
    let mut out = String::with_capacity(css.len());
    let mut quote: Option<char> = None;
    let mut escaped = false;
    let mut current = String::new();
    for c in css.chars() {
        match quote {
            Some(q) => {
                if c == '<' {
                    out.push(c);
                }
                if escaped {
                    escaped = false;
                } else if c == '\\' {
                    escaped = true;
                } else if c == q {
                    quote = None;
                    if current.starts_with("data:image/svg+xml") {
                        out.push_str("data:image/svg+xml");
                    } else if is_qr_file(&current) {
                        out.push_str("qr.svg");
                    }
                    out.push(c);
                    continue;
                }
                current.push(c);
            }
            None => {
                if c == '"' || c == '\'' {
                    quote = Some(c);
                    current.clear();
                }
                out.push(c);
            }
        }
    }
    out
}

/// Static checks of one HTML page; returns what survived.
fn html_problems(file: &str, html: &str) -> Vec<String> {
    let mut errs = Vec::new();
    let mut bodies = 0;
    // Inside the theme's own search form (`<form role="search">`), whose controls are
    // checked like any other element for handlers and URLs.
    let mut in_search_form = false;
    let mut rest = html;
    while let Some(i) = rest.find('<') {
        rest = &rest[i + 1..];
        if rest.starts_with("!--") {
            match rest.find("-->") {
                Some(e) => rest = &rest[e + 3..],
                None => break,
            }
            continue;
        }
        let Some(end) = rest.find('>') else {
            errs.push(format!("{file}: unclosed tag"));
            break;
        };
        let closing = rest.starts_with('/');
        let tag = rest[..end].trim_start_matches('/');
        rest = &rest[end + 1..];
        let name: String = tag
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase();
        if name.is_empty() {
            continue;
        }
        let attrs = parse_attrs(&tag[name.len()..]);
        let attr = |n: &str| attrs.iter().find(|(k, _)| k == n).map(|(_, v)| v.as_str());
        // The theme's own inline QR code and print rules are allowed, and checked: the
        // QR `<svg>` carries only path elements (their attributes are checked below like
        // any other), and a `<style>` holds only `@page` rules with quoted strings, after
        // the custom properties of the QR codes' images (`:root { --qr-…: url("data:…") }`).
        let theme_qr = name == "svg" && attr("class") == Some("qr-code");
        let theme_style = name == "style" && !closing && {
            let body = &rest[..rest.find("</style>").unwrap_or(rest.len())];
            // Quoted CSS strings are inert text (`content: "…"`); check what is outside them.
            let lower = strip_css_strings(body).to_ascii_lowercase();
            let urls_ok = lower.match_indices("url(").all(|(i, _)| {
                lower[i..].starts_with("url(\"data:image/svg+xml\")")
                    || lower[i..].starts_with("url(\"qr.svg\")")
            });
            // 404.html holds the theme's own style sheet, byte for byte (it is served
            // at any depth, see docs/deploying.md).
            let own_sheet = file == "404.html"
                && std::fs::read_to_string(repo().join("themes/default/static/style.css"))
                    .is_ok_and(|css| body == css);
            own_sheet
                || (lower.trim_start().starts_with("@page")
                    || lower.trim_start().starts_with(":root { --qr-"))
                    && urls_ok
                    && !["javascript:", "expression(", "@import", "<", "behavior:"]
                        .iter()
                        .any(|bad| lower.contains(bad))
        };
        let theme_close = closing && matches!(name.as_str(), "svg" | "style");
        let search_form =
            name == "form" && (closing && in_search_form || attr("role") == Some("search"));
        if name == "form" {
            in_search_form = !closing && search_form;
        }
        let search_control = in_search_form
            && matches!(
                name.as_str(),
                "input" | "button" | "select" | "option" | "label" | "fieldset" | "legend"
            );
        // The search page's own controls and no-JS notice (`search.html`).
        let search_page = file == "tim-kiem/index.html"
            && (name == "noscript"
                || name == "button"
                    && attr("type") == Some("button")
                    && matches!(attr("id"), Some("widen" | "more"))
                || closing && name == "button");
        let allowed =
            theme_qr || theme_style || theme_close || search_form || search_control || search_page;
        if FORBIDDEN.contains(&name.as_str()) && !allowed {
            errs.push(format!("{file}: <{name}> survived"));
        }
        if name == "body" && !closing {
            bodies += 1;
        }
        if name == "script" && !closing {
            let close = rest.find("</script>").unwrap_or(rest.len());
            let inner = &rest[..close];
            match (attr("type"), attr("src")) {
                (Some("application/ld+json"), None) => {
                    if inner.contains('<') {
                        errs.push(format!("{file}: `<` inside the JSON-LD"));
                    }
                    if serde_json::from_str::<serde_json::Value>(inner).is_err() {
                        errs.push(format!("{file}: JSON-LD does not parse"));
                    }
                }
                (Some("application/json"), None) if attr("id") == Some("search-strings") => {
                    if inner.contains('<')
                        || serde_json::from_str::<serde_json::Value>(inner).is_err()
                    {
                        errs.push(format!("{file}: the search strings are not plain JSON"));
                    }
                }
                (None, Some(src))
                    if (src.ends_with("static/site.js")
                        || src.ends_with("static/search.js")
                        || src.ends_with("static/search-page.js")
                        || src.ends_with("static/changes.js")
                        || src.ends_with("static/sort-table.js")
                        || src.ends_with("static/qr.js")
                        || src.ends_with("static/moved.js"))
                        && inner.is_empty() => {}
                _ => errs.push(format!("{file}: a script survived: <{tag}>{inner}")),
            }
            rest = &rest[close..];
        }
        if name == "meta" && attr("http-equiv").is_some_and(|v| v.eq_ignore_ascii_case("refresh")) {
            let url = attr("content")
                .and_then(|c| c.split_once("url=").map(|(_, u)| u.to_owned()))
                .unwrap_or_default();
            if scheme(&url).is_some_and(|s| s != "http" && s != "https") {
                errs.push(format!("{file}: refresh to {url}"));
            }
        }
        if name == "link"
            && !attr("rel")
                .is_some_and(|r| ["stylesheet", "canonical", "alternate", "icon"].contains(&r))
        {
            errs.push(format!("{file}: <link {tag}>"));
        }
        for (k, v) in &attrs {
            if k.starts_with("on") || k == "style" || k == "srcdoc" || k == "formaction" {
                errs.push(format!(
                    "{file}: attribute {k}=\"{v}\" survived on <{name}>"
                ));
            }
            if [
                "href",
                "src",
                "action",
                "data",
                "poster",
                "cite",
                "xlink:href",
            ]
            .contains(&k.as_str())
            {
                if let Some(s) = scheme(v) {
                    if !["http", "https", "mailto", "tel"].contains(&s.as_str()) {
                        errs.push(format!("{file}: {k}=\"{v}\" on <{name}>"));
                    }
                }
            }
        }
    }
    if bodies != 1 {
        errs.push(format!("{file}: {bodies} <body> tags"));
    }
    errs
}

/// `name="value"` pairs (and bare names), values decoded.
fn parse_attrs(s: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut rest = s.trim_end_matches('/');
    loop {
        rest = rest.trim_start();
        if rest.is_empty() {
            break;
        }
        let n_end = rest
            .find(|c: char| c == '=' || c.is_whitespace())
            .unwrap_or(rest.len());
        let name = rest[..n_end].to_ascii_lowercase();
        rest = &rest[n_end..];
        if let Some(r) = rest.strip_prefix('=') {
            let (val, after) = if let Some(r) = r.strip_prefix('"') {
                let e = r.find('"').unwrap_or(r.len());
                (&r[..e], r.get(e + 1..).unwrap_or(""))
            } else if let Some(r) = r.strip_prefix('\'') {
                let e = r.find('\'').unwrap_or(r.len());
                (&r[..e], r.get(e + 1..).unwrap_or(""))
            } else {
                let e = r.find(char::is_whitespace).unwrap_or(r.len());
                (&r[..e], &r[e..])
            };
            out.push((name, decode(val)));
            rest = after;
        } else {
            out.push((name, String::new()));
        }
    }
    out
}

#[test]
fn no_payload_survives_in_any_output_file() {
    let payloads = payloads();
    assert!(payloads.len() >= 20, "only {} payloads", payloads.len());
    let all = payloads.join("\n");
    let s = hostile_site(&all);
    s.build(&[]).ok();
    let files = list_files(&s.out());
    let mut errs = Vec::new();
    let mut html_pages = 0;
    let payload_tags: Vec<String> = payloads
        .iter()
        .flat_map(|p| {
            p.match_indices('<')
                .filter_map(|(i, _)| p[i..].find('>').map(|e| p[i..i + e + 1].to_owned()))
                .collect::<Vec<_>>()
        })
        .collect();
    let mut csv_names = 0;
    for f in &files {
        let path = s.out().join(f);
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        if f.ends_with(".html") {
            html_pages += 1;
            errs.extend(html_problems(f, &text));
            // Template values are printed, never evaluated.
            if f.ends_with("1.000001/index.html") {
                if !text.contains("{{ 7*7 }}") {
                    errs.push(format!(
                        "{f}: the text `{{{{ 7*7 }}}}` was not printed as it is"
                    ));
                }
                // The payloads are on the page, as text: every text key was rendered.
                let shown = text
                    .matches("&lt;script&gt;window.__xss=1&lt;&#x2F;script&gt;")
                    .count()
                    + text
                        .matches("&lt;script&gt;window.__xss=1&lt;/script&gt;")
                        .count();
                if shown < 20 {
                    errs.push(format!(
                        "{f}: the payload is shown as text only {shown} times"
                    ));
                }
            }
        } else if f.ends_with(".xml") {
            // Every tag of every payload may appear only escaped (but `<summary>` is also
            // an Atom element).
            for t in payload_tags.iter().filter(|t| !t.contains("summary>")) {
                if text.contains(t.as_str()) {
                    errs.push(format!("{f}: `{t}` unescaped"));
                }
            }
        } else if f.ends_with(".json") {
            match serde_json::from_str::<serde_json::Value>(&text) {
                Err(e) => errs.push(format!("{f}: not JSON: {e}")),
                Ok(_) if f.ends_with("data.json") => {
                    // Open data keeps the raw text: the payloads are data, not markup.
                    if !text.contains(r#"<script>window.__xss=1</script>"#) {
                        errs.push(format!("{f}: the raw text was not kept as data"));
                    }
                }
                Ok(_) => {}
            }
        } else if f.ends_with(".csv") {
            let mut r = csv::Reader::from_reader(text.trim_start_matches('\u{feff}').as_bytes());
            for rec in r.records() {
                match rec {
                    Err(e) => errs.push(format!("{f}: bad CSV: {e}")),
                    Ok(rec) => {
                        for c in rec.iter() {
                            if c.starts_with(['=', '+', '@']) {
                                errs.push(format!("{f}: a cell starts like a formula: {c}"));
                            }
                        }
                    }
                }
            }
            csv_names += text.matches("'=HYPERLINK").count();
        }
    }
    assert!(html_pages >= 8, "only {html_pages} pages: {files:?}");
    assert!(
        csv_names >= 2,
        "the names are missing from data.csv ({csv_names})"
    );
    assert!(
        errs.is_empty(),
        "{} problem(s):\n{}",
        errs.len(),
        errs.join("\n")
    );

    // The canary, in a real browser: no payload runs on any page.
    if chromium_available() {
        let out = node("xss.mjs", &[s.out().to_str().unwrap()]);
        assert!(out.contains("pages"), "{out}");
    }
}

#[test]
fn web_addresses_refuse_script_urls() {
    let hostile = [
        "javascript:window.__xss=1",
        " JAVASCRIPT:window.__xss=1",
        "data:text/html,<script>window.__xss=1</script>",
        "https://example.gov.vn/\" onmouseover=\"window.__xss=1",
        "vbscript:msgbox(1)",
    ];
    for h in hostile {
        let s = Site::new();
        s.write(
            "content/tinh/_unit.toml",
            &unit_toml("Tỉnh", "tinh", "").replace(
                "phone = \"0207 000 000\"",
                &format!("phone = \"0207 000 000\"\nwebsite = {}", q(h)),
            ),
        );
        s.write("content/tinh/xa-a/_unit.toml", &unit_toml("Xã A", "xa", ""));
        s.write(
            "content/tinh/xa-a/a.md",
            &procedure_md(
                "1.000001",
                "A",
                &format!(
                    "online_url = {}\nforms = [{{ name = \"Tờ khai\", url = {} }}]",
                    q(h),
                    q(h)
                ),
            ),
        );
        let r = s.build(&[]);
        r.fails()
            .has("error", "content/tinh/_unit.toml:", &["office.website"])
            .has("error", "content/tinh/xa-a/a.md:2:", &["online_url"])
            .has("error", "content/tinh/xa-a/a.md:3:", &["url"]);
        assert!(!s.out().exists());
    }
}

/// The static checker itself finds raw payloads (so the test above can fail).
#[test]
fn static_checker_finds_raw_payloads() {
    let page = |inner: &str| format!("<!doctype html><html><body>{inner}</body></html>");
    for p in payloads().iter().filter(|p| {
        p.contains('<') && !p.contains("&lt;") && !p.contains("HYPERLINK") && !p.starts_with('[')
    }) {
        assert!(
            !html_problems("t.html", &page(p)).is_empty(),
            "not caught: {p}"
        );
    }
    assert!(html_problems(
        "t.html",
        &page("<p>Nộp <a href=\"https://x.vn/\">hồ sơ</a></p>")
    )
    .is_empty());
}
