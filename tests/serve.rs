//! `niemyet serve`: the real binary on fixture sites, edited on disk the way editors save
//! (write a temporary file, rename it over the old one), and asked over HTTP.

mod common;
use common::*;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const TODAY: &str = "2026-11-23";
const WAIT: Duration = Duration::from_secs(15);

/// A running `niemyet serve`, killed when dropped.
struct Server {
    child: Child,
    /// `127.0.0.1:port`
    addr: String,
    stderr: Arc<Mutex<String>>,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    fn start(site: &Site, extra: &[&str]) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_niemyet"))
            .arg("serve")
            .arg("--root")
            .arg(site.path())
            .args(["--today", TODAY])
            .args(if extra.contains(&"--port") {
                &[][..]
            } else {
                &["--port", "0"][..]
            })
            .args(extra)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start serve");
        let stderr = Arc::new(Mutex::new(String::new()));
        {
            let err = child.stderr.take().unwrap();
            let buf = Arc::clone(&stderr);
            std::thread::spawn(move || {
                for line in BufReader::new(err).lines().map_while(Result::ok) {
                    let mut b = buf.lock().unwrap();
                    b.push_str(&line);
                    b.push('\n');
                }
            });
        }
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .expect("serve prints its address");
        let addr = line
            .trim()
            .strip_prefix("http://")
            .and_then(|s| s.strip_suffix('/'))
            .unwrap_or_else(|| panic!("address line: {line:?}; stderr: {}", stderr.lock().unwrap()))
            .to_owned();
        Server {
            child,
            addr,
            stderr,
        }
    }

    fn stderr(&self) -> String {
        self.stderr.lock().unwrap().clone()
    }

    /// How many updates the server finished (rendered or broken).
    fn updates(&self) -> usize {
        let e = self.stderr();
        e.matches("\nrendered ").count() + e.matches("the last good site is still served").count()
    }

    /// Raw request; returns (status, headers, body).
    fn raw(&self, request_target: &str) -> (u16, String, Vec<u8>) {
        let mut s = TcpStream::connect(&self.addr).expect("connect");
        s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
        write!(
            s,
            "GET {request_target} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
            self.addr
        )
        .unwrap();
        let mut buf = Vec::new();
        s.read_to_end(&mut buf).expect("read response");
        let end = buf
            .windows(4)
            .position(|w| w == b"\r\n\r\n")
            .expect("header end");
        let head = String::from_utf8_lossy(&buf[..end]).into_owned();
        let status = head
            .split_whitespace()
            .nth(1)
            .and_then(|s| s.parse().ok())
            .expect("status");
        (status, head, buf[end + 4..].to_vec())
    }

    fn get(&self, path: &str) -> (u16, String) {
        let (status, _, body) = self.raw(path);
        (status, String::from_utf8_lossy(&body).into_owned())
    }

    /// Polls until `cond` holds on the page at `path`; panics with the page after WAIT.
    fn wait_for(&self, path: &str, what: &str, cond: impl Fn(u16, &str) -> bool) -> String {
        let start = Instant::now();
        loop {
            let (status, body) = self.get(path);
            if cond(status, &body) {
                return body;
            }
            if start.elapsed() > WAIT {
                panic!(
                    "{path}: {what} did not happen within {WAIT:?}; status {status}; server said:\n{}",
                    self.stderr()
                );
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Waits until the server finished one more update than `before`.
    fn settle(&self, before: usize) {
        let start = Instant::now();
        while self.updates() <= before {
            assert!(
                start.elapsed() < WAIT,
                "no update after an edit; server said:\n{}",
                self.stderr()
            );
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    fn files(&self) -> Vec<String> {
        let (status, body) = self.get("/__niemyet/files");
        assert_eq!(status, 200);
        body.lines().map(str::to_owned).collect()
    }
}

/// Saves like an editor: a temporary file beside the target, renamed over it.
fn save(site: &Site, rel: &str, text: &str) {
    let p = site.path().join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    let tmp = p.with_file_name(format!(".{}.tmp", p.file_name().unwrap().to_string_lossy()));
    std::fs::write(&tmp, text).unwrap();
    std::fs::rename(&tmp, &p).unwrap();
}

/// The reload script `serve` adds before `</body>`; everything else equals a build.
fn strip_script(bytes: &[u8]) -> Vec<u8> {
    let text = String::from_utf8_lossy(bytes);
    let marker = "<script>// niemyet serve: live reload";
    match text.find(marker) {
        Some(i) => {
            let end = text[i..].find("</script>").expect("script end") + i + "</script>".len();
            let mut s = text[..i].to_owned();
            s.push_str(&text[end..]);
            s.into_bytes()
        }
        None => bytes.to_vec(),
    }
}

/// A province with three communes adopting one catalogue entry, and a local procedure.
fn fixture() -> Site {
    let s = Site::new();
    s.write(
        "content/_catalog/ho-tich/1.000001.md",
        &procedure_md("1.000001", "Đăng ký khai sinh", ""),
    );
    s.write(
        "content/tinh-thu/_unit.toml",
        &unit_toml("Tỉnh Thử", "tinh", ""),
    );
    for (dir, name) in [("xa-a", "Xã An"), ("xa-b", "Xã Bình"), ("xa-c", "Xã Cường")] {
        s.write(
            &format!("content/tinh-thu/{dir}/_unit.toml"),
            &unit_toml(name, "xa", r#"adopt = ["1.000001"]"#),
        );
    }
    s.write(
        "content/tinh-thu/xa-a/1.000002.md",
        &procedure_md("1.000002", "Đăng ký kết hôn", ""),
    );
    s
}

#[test]
fn an_edit_reaches_the_page_its_unit_list_and_the_site_wide_pages() {
    let s = fixture();
    let srv = Server::start(&s, &[]);
    assert!(srv.addr.starts_with("127.0.0.1:"), "loopback by default");
    let page = srv.get("/tinh-thu/xa-a/1.000002/").1;
    assert!(page.contains("Đăng ký kết hôn"));
    assert!(page.contains("<script>// niemyet serve: live reload"));

    save(
        &s,
        "content/tinh-thu/xa-a/1.000002.md",
        &procedure_md("1.000002", "Đăng ký kết hôn lưu động", ""),
    );
    srv.wait_for("/tinh-thu/xa-a/1.000002/", "the new name", |st, b| {
        st == 200 && b.contains("Đăng ký kết hôn lưu động")
    });
    for list in [
        "/tinh-thu/xa-a/",
        "/tthc/1.000002/",
        "/",
        "/tinh-thu/xa-a/data.json",
    ] {
        let (st, body) = srv.get(list);
        assert_eq!(st, 200, "{list}");
        assert!(
            body.contains("Đăng ký kết hôn lưu động"),
            "{list} shows the new name"
        );
    }
    // The feed lists it under the new name too.
    assert!(srv.get("/feed.xml").1.contains("Đăng ký kết hôn lưu động"));
}

#[test]
fn a_catalogue_edit_reaches_every_adopter() {
    let s = fixture();
    let srv = Server::start(&s, &[]);
    assert!(srv.get("/tinh-thu/xa-c/1.000001/").1.contains("15.000"));
    let edited = procedure_md("1.000001", "Đăng ký khai sinh", "")
        .replace("amount = 15000", "amount = 19000");
    save(&s, "content/_catalog/ho-tich/1.000001.md", &edited);
    for unit in ["xa-a", "xa-b", "xa-c"] {
        srv.wait_for(
            &format!("/tinh-thu/{unit}/1.000001/"),
            "the new fee",
            |st, b| st == 200 && b.contains("19.000") && !b.contains("15.000"),
        );
        let list = srv.get(&format!("/tinh-thu/{unit}/")).1;
        assert!(list.contains("19.000"), "{unit}'s list shows the new fee");
    }
    let tthc = srv.get("/tthc/1.000001/").1;
    assert!(tthc.matches("19.000").count() >= 3, "every publisher row");
}

#[test]
fn a_deleted_procedure_leaves_every_list() {
    let s = fixture();
    let srv = Server::start(&s, &[]);
    assert!(srv.get("/tinh-thu/xa-a/").1.contains("1.000002"));
    std::fs::remove_file(s.path().join("content/tinh-thu/xa-a/1.000002.md")).unwrap();
    let body = srv.wait_for("/tinh-thu/xa-a/1.000002/", "a 404", |st, _| st == 404);
    assert!(body.contains("<html"), "the site's 404 page");
    for list in [
        "/tinh-thu/xa-a/",
        "/",
        "/tinh-thu/xa-a/data.json",
        "/tinh-thu/xa-a/data.csv",
        "/sitemap.xml",
        "/feed.xml",
    ] {
        let (st, body) = srv.get(list);
        assert_eq!(st, 200, "{list}");
        assert!(
            !body.contains("1.000002"),
            "{list} still lists the deleted procedure"
        );
    }
    assert_eq!(srv.get("/tthc/1.000002/").0, 404);
    assert!(!srv.files().iter().any(|f| f.contains("1.000002")));
}

/// Reads the event stream until a message satisfies `cond`.
fn wait_event(srv: &Server, cond: impl Fn(&serde_json::Value) -> bool) -> serde_json::Value {
    let mut s = TcpStream::connect(&srv.addr).unwrap();
    s.set_read_timeout(Some(WAIT)).unwrap();
    write!(s, "GET /__niemyet/events HTTP/1.1\r\nHost: x\r\n\r\n").unwrap();
    let mut r = BufReader::new(s);
    let start = Instant::now();
    let mut line = String::new();
    loop {
        line.clear();
        let n = r.read_line(&mut line).unwrap_or(0);
        assert!(n > 0 && start.elapsed() < WAIT, "no matching event");
        if let Some(data) = line.strip_prefix("data: ") {
            let v: serde_json::Value = serde_json::from_str(data.trim()).unwrap();
            if cond(&v) {
                return v;
            }
        }
    }
}

#[test]
fn a_broken_edit_shows_its_errors_and_keeps_the_last_good_site_until_fixed() {
    let s = fixture();
    let srv = Server::start(&s, &[]);
    let good = srv.get("/tinh-thu/xa-a/1.000002/").1;
    let file = "content/tinh-thu/xa-a/1.000002.md";
    let broken = procedure_md("1.000002", "Tên mới", "")
        .replace("sector = \"Hộ tịch\"", "sector = \"Hộ tịch");
    save(&s, file, &broken);
    let ev = wait_event(&srv, |v| {
        v["errors"].as_array().is_some_and(|a| !a.is_empty())
    });
    let errors = ev["errors"].to_string();
    assert!(
        errors.contains("content/tinh-thu/xa-a/1.000002.md:5:"),
        "path:line:col in the overlay: {errors}"
    );
    assert!(
        ev["title"].as_str().is_some_and(|t| !t.is_empty()),
        "overlay title from the theme"
    );
    assert!(
        srv.stderr()
            .contains("content/tinh-thu/xa-a/1.000002.md:5:"),
        "and in the terminal"
    );
    // The last good page is still served, and a page opened now gets the errors at once.
    assert_eq!(srv.get("/tinh-thu/xa-a/1.000002/").1, good);
    let now = wait_event(&srv, |_| true);
    assert!(!now["errors"].as_array().unwrap().is_empty());

    save(&s, file, &procedure_md("1.000002", "Tên mới", ""));
    srv.wait_for("/tinh-thu/xa-a/1.000002/", "the fixed page", |st, b| {
        st == 200 && b.contains("Tên mới")
    });
    let clear = wait_event(&srv, |_| true);
    assert!(
        clear["errors"].as_array().unwrap().is_empty(),
        "fixing clears the overlay"
    );
}

#[test]
fn nothing_outside_the_output_is_served_and_types_are_right() {
    let s = fixture();
    // A link inside content/ to a file outside it is not read (and not served).
    #[cfg(unix)]
    std::os::unix::fs::symlink("/etc/hostname", s.path().join("content/tinh-thu/link.pdf"))
        .unwrap();
    let srv = Server::start(&s, &[]);
    for bad in [
        "/../site.toml",
        "/..%2fsite.toml",
        "/%2e%2e/site.toml",
        "/%2E%2E/%2E%2E/etc/passwd",
        "/tinh-thu/../../site.toml",
        "//etc/passwd",
        "/tinh-thu/..%5c..%5csite.toml",
        "/static/%2e%2e%2f%2e%2e%2fsite.toml",
        "/site.toml",
        "/content/tinh-thu/_unit.toml",
        "/tinh-thu/link.pdf",
        "/tep-dinh-kem/tinh-thu/link.pdf",
    ] {
        let (st, body) = srv.get(bad);
        assert_eq!(st, 404, "{bad}");
        assert!(!body.contains("base_url ="), "{bad} leaked site.toml");
    }
    for (path, ty) in [
        ("/", "text/html; charset=utf-8"),
        ("/static/style.css", "text/css; charset=utf-8"),
        ("/static/site.js", "text/javascript; charset=utf-8"),
        ("/tinh-thu/xa-a/data.json", "application/json"),
        ("/tinh-thu/xa-a/data.csv", "text/csv; charset=utf-8"),
        ("/sitemap.xml", "application/xml"),
    ] {
        let (st, head, _) = srv.raw(path);
        assert_eq!(st, 200, "{path}");
        assert!(
            head.to_ascii_lowercase()
                .contains(&format!("content-type: {ty}")),
            "{path}: {head}"
        );
    }
    // A folder without its slash is redirected (relative links need it).
    let (st, head, _) = srv.raw("/tinh-thu/xa-a");
    assert_eq!(st, 301);
    assert!(head.contains("Location: /tinh-thu/xa-a/"));

    // A taken port: another free one is used and printed.
    let port: u16 = srv.addr.rsplit(':').next().unwrap().parse().unwrap();
    let second = Server::start(&s, &["--port", &port.to_string()]);
    assert_ne!(second.addr, srv.addr);
    assert_eq!(second.get("/").0, 200);
    let start = Instant::now();
    while !second.stderr().contains("is taken") {
        assert!(
            start.elapsed() < WAIT,
            "says the port was taken: {}",
            second.stderr()
        );
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// After a scripted series of edits of every kind, the served site is, byte for byte
/// (but for the reload script), what a fresh `build` of the same files writes.
#[test]
fn after_many_edits_the_served_site_equals_a_fresh_build() {
    let s = fixture();
    copy_dir(&repo().join("themes"), &s.path().join("themes"));
    s.write(
        "content/_catalog/ho-tich/1.000003.md",
        &procedure_md("1.000003", "Đăng ký khai tử", "")
            .replace("level = \"xa\"", "level = \"tinh\""),
    );
    s.write(
        "content/tinh-thu/xa-b/1.000004.md",
        &procedure_md(
            "1.000004",
            "Thủ tục cũ",
            "repealed = 2026-01-01\nreplaced_by = \"1.000002\"",
        ),
    );
    let srv = Server::start(&s, &[]);
    let step = |what: &str, edit: &dyn Fn()| {
        let before = srv.updates();
        edit();
        srv.settle(before);
        assert!(
            !srv.stderr().contains("the last good site is still served"),
            "{what} broke the site:\n{}",
            srv.stderr()
        );
        same_as_build(&s, &srv, what);
    };
    // A template that shows a unit's count on every procedure page: adding a procedure
    // must then re-render its siblings.
    step("edit a template", &|| {
        let p = "themes/default/templates/procedure.html";
        let t = std::fs::read_to_string(s.path().join(p)).unwrap();
        save(
            &s,
            p,
            &t.replacen(
                "{% block main %}",
                "{% block main %}<p>mẫu đã sửa {{ unit.current_count }} {{ unit.last_changed }}</p>",
                1,
            ),
        );
    });
    step("add a procedure", &|| {
        save(
            &s,
            "content/tinh-thu/xa-c/1.000005.md",
            &procedure_md("1.000005", "Chứng thực bản sao", ""),
        )
    });
    step("edit a procedure another one is replaced by", &|| {
        save(
            &s,
            "content/tinh-thu/xa-a/1.000002.md",
            &procedure_md("1.000002", "Kết hôn (sửa)", "updated = 2026-02-03"),
        )
    });
    step("an override of a catalogue entry", &|| {
        save(
            &s,
            "content/tinh-thu/xa-b/1.000001.toml",
            "code = \"1.000001\"\nname = \"Khai sinh tại xã Bình\"\n",
        )
    });
    step("rename a file and change its code", &|| {
        std::fs::remove_file(s.path().join("content/tinh-thu/xa-c/1.000005.md")).unwrap();
        save(
            &s,
            "content/tinh-thu/xa-c/1.000006.md",
            &procedure_md("1.000006", "Chứng thực chữ ký", ""),
        );
    });
    step("rename a file, same code", &|| {
        std::fs::rename(
            s.path().join("content/tinh-thu/xa-c/1.000006.md"),
            s.path().join("content/tinh-thu/xa-c/chung-thuc.md"),
        )
        .unwrap()
    });
    step("edit the catalogue entry under the override", &|| {
        save(
            &s,
            "content/_catalog/ho-tich/1.000001.md",
            &procedure_md("1.000001", "Đăng ký khai sinh (mới)", "")
                .replace("amount = 15000", "amount = 16000"),
        )
    });
    step("adopt by level", &|| {
        save(
            &s,
            "content/tinh-thu/_unit.toml",
            &unit_toml("Tỉnh Thử Nghiệm", "tinh", "adopt_levels = [\"tinh\"]"),
        )
    });
    step("edit a commune's unit file", &|| {
        save(
            &s,
            "content/tinh-thu/xa-b/_unit.toml",
            &unit_toml(
                "Xã Bình Mới",
                "xa",
                "adopt = [\"1.000001\"]\n\n[[former]]\npath = \"tinh-thu/xa-cu\"\nname = \"Xã Cũ\"",
            ),
        )
    });
    step("add a unit", &|| {
        save(
            &s,
            "content/tinh-thu/xa-d/_unit.toml",
            &unit_toml("Xã Đông", "xa", "adopt = [\"1.000001\", \"1.000003\"]"),
        )
    });
    step("delete a procedure", &|| {
        std::fs::remove_file(s.path().join("content/tinh-thu/xa-a/1.000002.md")).unwrap()
    });
    step("edit the stylesheet", &|| {
        let p = "themes/default/static/style.css";
        let t = std::fs::read_to_string(s.path().join(p)).unwrap();
        save(&s, p, &format!("{t}\n/* sửa */\n"));
    });
    step("edit the template of /tthc/ pages", &|| {
        let p = "themes/default/templates/tthc.html";
        let t = std::fs::read_to_string(s.path().join(p)).unwrap();
        save(
            &s,
            p,
            &t.replacen("{% block main %}", "{% block main %}<p>tthc đã sửa</p>", 1),
        );
    });
    step("delete a unit", &|| {
        std::fs::remove_dir_all(s.path().join("content/tinh-thu/xa-c")).unwrap()
    });

    let templated = same_as_build(&s, &srv, "the end");
    let files = srv.files();
    assert!(
        files
            .iter()
            .any(|f| f == "tinh-thu/xa-d/1.000003/index.html"),
        "level adoption"
    );
    assert!(
        files.iter().any(|f| f == "tinh-thu/xa-cu/index.html"),
        "the new redirect"
    );
    assert!(
        !files.iter().any(|f| f.starts_with("tinh-thu/xa-c/")),
        "the deleted unit"
    );
    assert!(templated >= 3, "the template edit shows on procedure pages");
    assert!(srv.get("/tthc/1.000001/").1.contains("tthc đã sửa"));
}

/// Edits that move ids inside the search index (documents, sectors, adoption sets) and
/// add or remove its files, each followed by a comparison with a fresh build: `serve`
/// rewrites only the index files an edit reaches (`render::search::dirty`), so every
/// way an edit can reach another file is tried here.
#[test]
fn after_search_index_edits_the_served_site_equals_a_fresh_build() {
    let s = fixture();
    let own = |code: &str, name: &str, extra: &str| procedure_md(code, name, extra);
    s.write(
        "content/tinh-thu/xa-c/1.000020.md",
        &own("1.000020", "Cấp bản sao trích lục", ""),
    );
    s.write(
        "content/_catalog/chung-thuc/1.000030.md",
        &own("1.000030", "Chứng thực bản sao", "")
            .replace("sector = \"Hộ tịch\"", "sector = \"Chứng thực\""),
    );
    s.write(
        "content/tinh-thu/xa-a/_unit.toml",
        &unit_toml("Xã An", "xa", r#"adopt = ["1.000001", "1.000030"]"#),
    );
    let srv = Server::start(&s, &[]);
    let step = |what: &str, edit: &dyn Fn()| {
        let before = srv.updates();
        edit();
        srv.settle(before);
        assert!(
            !srv.stderr().contains("the last good site is still served"),
            "{what} broke the site:\n{}",
            srv.stderr()
        );
        same_as_build(&s, &srv, what);
    };
    step("edit a unit's own procedure (its words only)", &|| {
        save(
            &s,
            "content/tinh-thu/xa-a/1.000002.md",
            &own(
                "1.000002",
                "Đăng ký kết hôn",
                "keywords = [\"kết hôn lưu động\"]",
            ),
        )
    });
    step("add a procedure before another unit's (ids shift)", &|| {
        save(
            &s,
            "content/tinh-thu/xa-a/1.000010.md",
            &own("1.000010", "Đăng ký giám hộ", ""),
        )
    });
    // A sector change reorders the unit's list, and so the sitemap, which `serve` renders
    // again only when a date changed: the edits below change `updated` too (the sitemap
    // is not what this test is about).
    step("a procedure in a new sector, first in code order", &|| {
        save(
            &s,
            "content/tinh-thu/xa-a/1.000002.md",
            &own("1.000002", "Đăng ký kết hôn", "updated = 2026-02-01")
                .replace("sector = \"Hộ tịch\"", "sector = \"Bảo trợ xã hội\""),
        )
    });
    step("a procedure without a sector", &|| {
        save(
            &s,
            "content/tinh-thu/xa-c/1.000020.md",
            &own(
                "1.000020",
                "Cấp bản sao trích lục",
                "updated = 2026-02-03\nunpublished = [\"sector\"]",
            )
            .replace("sector = \"Hộ tịch\"\n", ""),
        )
    });
    step("a catalogue entry changes sector", &|| {
        save(
            &s,
            "content/_catalog/ho-tich/1.000001.md",
            &own("1.000001", "Đăng ký khai sinh", "updated = 2026-02-02")
                .replace("sector = \"Hộ tịch\"", "sector = \"Chứng thực\""),
        )
    });
    step(
        "repeal a unit's only own procedure (its part goes)",
        &|| {
            save(
                &s,
                "content/tinh-thu/xa-c/1.000020.md",
                &own(
                    "1.000020",
                    "Cấp bản sao trích lục",
                    "repealed = 2026-01-01\nunpublished = [\"sector\"]",
                )
                .replace("sector = \"Hộ tịch\"\n", ""),
            )
        },
    );
    step("an upcoming procedure", &|| {
        save(
            &s,
            "content/tinh-thu/xa-a/1.000010.md",
            &own("1.000010", "Đăng ký giám hộ", "effective = 2027-01-01"),
        )
    });
    step(
        "repeal a catalogue entry (adoption sets and groups change)",
        &|| {
            save(
                &s,
                "content/_catalog/chung-thuc/1.000030.md",
                &own("1.000030", "Chứng thực bản sao", "repealed = 2026-01-01")
                    .replace("sector = \"Hộ tịch\"", "sector = \"Chứng thực\""),
            )
        },
    );
    step("bring it back", &|| {
        save(
            &s,
            "content/_catalog/chung-thuc/1.000030.md",
            &own("1.000030", "Chứng thực bản sao", "")
                .replace("sector = \"Hộ tịch\"", "sector = \"Chứng thực\""),
        )
    });
    step(
        "rename a unit (its part's name and the units list)",
        &|| {
            save(
                &s,
                "content/tinh-thu/xa-a/_unit.toml",
                &unit_toml("Xã An Mới", "xa", r#"adopt = ["1.000001", "1.000030"]"#),
            )
        },
    );
    step("remove the last own procedure of a unit", &|| {
        std::fs::remove_file(s.path().join("content/tinh-thu/xa-a/1.000010.md")).unwrap();
        std::fs::remove_file(s.path().join("content/tinh-thu/xa-a/1.000002.md")).unwrap();
    });
    let files = srv.files();
    assert!(
        !files.iter().any(|f| f.starts_with("tim-kiem/idx/u/")),
        "no unit has procedures of its own left: {files:?}"
    );
    assert!(
        files.iter().any(|f| f == "tim-kiem/idx/c/1.js"),
        "two groups"
    );
}

/// Builds the site afresh and compares every output with what the server serves.
/// Returns how many pages show the template edit of the equivalence test.
fn same_as_build(s: &Site, srv: &Server, after: &str) -> usize {
    let out = tempfile::tempdir().unwrap();
    let dest = out.path().join("site");
    s.build(&["--out", dest.to_str().unwrap(), "-q"]).ok();
    let built = list_files(&dest);
    let served = srv.files();
    assert_eq!(
        served, built,
        "after {after}: the served paths are the built paths"
    );
    let mut templated = 0;
    for f in &built {
        let want = std::fs::read(dest.join(f)).unwrap();
        let (st, _, got) = srv.raw(&format!("/{f}"));
        assert_eq!(st, 200, "{f}");
        let got = strip_script(&got);
        if got != want {
            panic!(
                "after {after}: {f} differs from a fresh build:\nserved: {}\nbuilt:  {}",
                String::from_utf8_lossy(&got),
                String::from_utf8_lossy(&want)
            );
        }
        if String::from_utf8_lossy(&got).contains("mẫu đã sửa") {
            templated += 1;
        }
    }
    templated
}

#[test]
fn an_open_page_reloads_by_itself_after_an_edit() {
    if !chromium_available() {
        return;
    }
    let s = fixture();
    let variants = tempfile::tempdir().unwrap();
    let v = |name: &str, text: &str| {
        let p = variants.path().join(name);
        std::fs::write(&p, text).unwrap();
        p.to_str().unwrap().to_owned()
    };
    let edited = v(
        "edited.md",
        &procedure_md("1.000002", "Tên sau khi sửa", ""),
    );
    let broken = v(
        "broken.md",
        &procedure_md("1.000002", "Tên lỗi", "").replace("sector = \"Hộ tịch\"", "sector = "),
    );
    let fixed = v("fixed.md", &procedure_md("1.000002", "Tên đã sửa lỗi", ""));
    let srv = Server::start(&s, &[]);
    let target = s.path().join("content/tinh-thu/xa-a/1.000002.md");
    node(
        "reload.mjs",
        &[
            &format!("http://{}/", srv.addr),
            target.to_str().unwrap(),
            &edited,
            &broken,
            &fixed,
        ],
    );
}
