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
        e.matches("\nđã dựng ").count()
            + e.matches("trang đúng gần nhất vẫn được phục vụ").count()
            + e.matches("trang chưa dựng được lần nào").count()
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
        // With a change date: a procedure without one is not in the feed.
        &procedure_md(
            "1.000002",
            "Đăng ký kết hôn lưu động",
            "updated = 2026-11-20",
        ),
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
    // The terminal is read by another thread: the browser's event may come first.
    let deadline = Instant::now() + Duration::from_secs(10);
    while !srv
        .stderr()
        .contains("content/tinh-thu/xa-a/1.000002.md:5:")
        && Instant::now() < deadline
    {
        std::thread::sleep(Duration::from_millis(20));
    }
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
    // The overlay clears: a page connecting now is told so at once, or, if it connects
    // before the last group of the update is published, by that group's message (the
    // state was once set only after the whole update, and a page connecting in between
    // heard of the fixed errors and nothing more).
    let clear = wait_event(&srv, |v| {
        v["errors"].as_array().is_some_and(|a| a.is_empty())
    });
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
    while !second.stderr().contains("đang bận") {
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
    // A theme template with `from` replaced by `to` (once).
    let edit_template = |name: &str, from: &str, to: &str| {
        let p = format!("themes/default/templates/{name}");
        let t = std::fs::read_to_string(s.path().join(&p)).unwrap();
        assert!(t.contains(from), "{name} holds {from}");
        save(&s, &p, &t.replacen(from, to, 1));
    };
    // A template that shows a unit's count on every procedure page: adding a procedure
    // must then re-render its siblings.
    step("edit a template", &|| {
        edit_template(
            "procedure.html",
            "{% block main %}",
            "{% block main %}<p>mẫu đã sửa {{ unit.current_count }} {{ unit.last_changed }}</p>",
        )
    });
    // The feedback section is rendered once per unit into its procedure pages.
    step("edit the feedback section", &|| {
        edit_template(
            "feedback.html",
            "{{ <feedback f={unit.feedback} /> }}",
            "<p>góp ý cho {{ unit.name }}</p>{{ <feedback f={unit.feedback} /> }}",
        )
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
    // A sector change reorders the unit's list, and so the search documents' order and
    // the sitemap (the edits below also change `updated`).
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

// ---------------------------------------------------------------------------------------
// In process: `Preview::update` after each edit against a fresh build of the same files.

use niemyet::diag::{Diagnostic, Diagnostics, Severity};
use niemyet::serve::{Changes, Outcome, Preview};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// A fresh build of the site in memory: its files, or the diagnostics that stop it
/// (and, when it builds, its warnings).
fn fresh_build(root: &Path) -> (Option<HashMap<String, Vec<u8>>>, Vec<Diagnostic>) {
    let today = niemyet::date::Date::parse(TODAY).unwrap();
    let (site, diags) = niemyet::cmd::load(root, today, None);
    // `check` finds addresses claimed twice without a map of every address: it must
    // say what the straightforward map says.
    if site.is_some() {
        let mut d = Diagnostics::new();
        let content = niemyet::content::load(root, &mut d).unwrap();
        let reference = niemyet::resolve::resolve(content, today, &mut d);
        niemyet::check::check_by_address_map(&reference, &mut d);
        assert_eq!(d.finish(), diags, "check agrees with the address map");
    }
    let mut d = Diagnostics::new();
    for x in diags {
        d.push(x);
    }
    let theme = site
        .as_ref()
        .and_then(|s| niemyet::theme::load(root, &s.config.theme, &s.config.language, &mut d));
    let diags = d.finish();
    let (Some(site), Some(theme)) = (site, theme) else {
        return (None, diags);
    };
    if diags.iter().any(|x| x.severity == Severity::Error) {
        return (None, diags);
    }
    let out = niemyet::output::Output::memory();
    if let Err(e) = niemyet::render::render_all(&site, &theme, &Default::default(), &out) {
        // A template that fails while rendering: the preview says what failed.
        return (
            None,
            vec![Diagnostic::error(
                niemyet::diag::Loc::file(&std::sync::Arc::from(Path::new(&theme.origin))),
                e.to_string(),
            )],
        );
    }
    (Some(out.into_files()), diags)
}

/// Compares what the preview serves (or reports) after an update with a fresh build.
fn same_as_fresh(p: &Preview, outcome: &Outcome, root: &Path, after: &str) {
    let (files, diags) = fresh_build(root);
    match (files, outcome) {
        (None, Outcome::Broken(got)) => assert_eq!(
            got, &diags,
            "after {after}: the preview reports what a fresh check does"
        ),
        (Some(want), Outcome::Rendered { .. }) => {
            assert_eq!(
                p.warnings(),
                &diags[..],
                "after {after}: the preview warns as a fresh check does"
            );
            let served = p.files.read().unwrap();
            let mut a: Vec<&String> = served.keys().collect();
            let mut b: Vec<&String> = want.keys().collect();
            a.sort();
            b.sort();
            let only_served: Vec<_> = a.iter().filter(|x| !want.contains_key(**x)).collect();
            let only_built: Vec<_> = b.iter().filter(|x| !served.contains_key(**x)).collect();
            assert!(
                only_served.is_empty() && only_built.is_empty(),
                "after {after}: the served paths are the built paths; only served: {only_served:?}; only built: {only_built:?}"
            );
            for (path, bytes) in &want {
                if served[path].as_slice() != bytes.as_slice() {
                    panic!(
                        "after {after}: {path} differs from a fresh build:\nserved: {}\nbuilt:  {}",
                        String::from_utf8_lossy(&served[path]),
                        String::from_utf8_lossy(bytes)
                    );
                }
            }
        }
        (None, Outcome::Rendered { .. }) => {
            panic!("after {after}: the preview rendered, a fresh build fails: {diags:?}")
        }
        (Some(_), Outcome::Broken(d)) => {
            panic!("after {after}: the preview is broken, a fresh build is not: {d:?}")
        }
    }
}

/// A small deterministic generator (splitmix64).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<'a, T>(&mut self, v: &'a [T]) -> &'a T {
        &v[self.below(v.len())]
    }
}

const SECTORS: &[&str] = &[
    "Hộ tịch",
    "Chứng thực",
    "Đất đai",
    "Hô\u{323} ti\u{323}ch",
    "Tư pháp",
];
const CODES: &[&str] = &[
    "1.000001", "1.000002", "1.000003", "1.000004", "1.000005", "2.000001", "2.000002", "2.000003",
    "niem-yet", "tt-01", "tt-02",
];

/// A procedure file, `.md` or pure TOML.
fn proc_text(
    code: &str,
    name: &str,
    sector: &str,
    level: &str,
    fee: u32,
    extra: &str,
    md: bool,
) -> String {
    let steps = if md {
        String::new()
    } else {
        format!("steps = \"\"\"\nBước 1: nộp hồ sơ {name}.\n\"\"\"\n")
    };
    let body = format!(
        r#"{extra}
code = "{code}"
name = "{name}"
sector = "{sector}"
level = "{level}"
applicants = ["Công dân Việt Nam"]
agency = "Ủy ban nhân dân"
result = ["Giấy chứng nhận"]
legal_basis = ["Luật Hộ tịch 2014"]
{steps}
[[channels]]
method = "truc-tiep"
time = {{ value = 3, unit = "working-days" }}
fees = [{{ amount = {fee}, text = "Lệ phí" }}]

[[dossier]]
items = [{{ name = "Tờ khai", originals = 1 }}]
"#
    );
    if md {
        format!("+++\n{body}+++\nBước 1: nộp hồ sơ {name}.\n")
    } else {
        body
    }
}

/// The edits of one step: files written or removed, and what the watcher reports.
struct Step<'a> {
    root: &'a Path,
    changes: Changes,
}

impl Step<'_> {
    fn write(&mut self, rel: &str, text: &str) {
        let p = self.root.join("content").join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        // Atomically, as editors save.
        let tmp = p.with_file_name(format!(".{}.tmp", p.file_name().unwrap().to_string_lossy()));
        std::fs::write(&tmp, text).unwrap();
        std::fs::rename(&tmp, &p).unwrap();
        self.changes.content.push(PathBuf::from(rel));
    }
    fn remove(&mut self, rel: &str) {
        let p = self.root.join("content").join(rel);
        if p.is_dir() {
            std::fs::remove_dir_all(&p).unwrap();
        } else {
            let _ = std::fs::remove_file(&p);
        }
        self.changes.content.push(PathBuf::from(rel));
    }
}

/// Every file under content/ (relative), sorted.
fn content_files(root: &Path) -> Vec<String> {
    let mut v: Vec<String> = list_files(&root.join("content"))
        .into_iter()
        .filter(|f| !f.rsplit('/').next().unwrap_or("").starts_with('.'))
        .collect();
    v.sort();
    v
}

fn unit_text(rng: &mut Rng, name: &str, kind: &str) -> String {
    let mut extra = String::new();
    match rng.below(5) {
        0 => extra.push_str("adopt_levels = [\"xa\"]\n"),
        1 => {
            let codes: Vec<String> = (0..rng.below(3) + 1)
                .map(|_| format!("\"{}\"", rng.pick(&CODES[..5])))
                .collect::<std::collections::BTreeSet<_>>()
                .into_iter()
                .collect();
            extra.push_str(&format!("adopt = [{}]\n", codes.join(", ")));
        }
        2 => extra.push_str("adopt_levels = [\"tinh\", \"xa\"]\n"),
        _ => {}
    }
    if rng.below(4) == 0 {
        let former = rng.pick(&[
            "tinh-thu/xa-cu",
            "tinh-thu/xa-a/tt-01",
            "tinh-thu/tt-02",
            "huyen-cu/xa-x",
            "tinh-thu/xa-b",
        ]);
        extra.push_str(&format!(
            "\n[[former]]\npath = \"{former}\"\nname = \"Xã cũ\"\n"
        ));
    }
    let feedback = if rng.below(3) == 0 {
        format!("\n[feedback]\nagency = \"Phản ánh {name}\"\naddress = \"Trụ sở {name}\"\n")
    } else {
        String::new()
    };
    format!(
        "name = \"{name}\"\nkind = \"{kind}\"\n{extra}\n[office]\nname = \"Một cửa {name}\"\naddress = \"Trụ sở {name}\"\n{feedback}"
    )
}

/// One random edit of the site.
fn random_edit(rng: &mut Rng, step: &mut Step) -> String {
    let root = step.root.to_path_buf();
    let files = content_files(&root);
    let procs: Vec<&String> = files
        .iter()
        .filter(|f| (f.ends_with(".md") || f.ends_with(".toml")) && !f.ends_with("_unit.toml"))
        .collect();
    let units: Vec<String> = files
        .iter()
        .filter_map(|f| f.strip_suffix("/_unit.toml").map(str::to_owned))
        .collect();
    let code = *rng.pick(CODES);
    let sector = *rng.pick(SECTORS);
    let fee = 1000 * (rng.below(90) as u32 + 10);
    let md = rng.below(3) > 0;
    let ext = if md { "md" } else { "toml" };
    let level = *rng.pick(&["xa", "tinh", "xa"]);
    let extra = match rng.below(8) {
        0 => "repealed = 2026-01-01\nreplaced_by = \"1.000002\"".to_owned(),
        1 => "effective = 2030-01-01".to_owned(),
        2 => format!(
            "replaced_by = \"{}\"\nrepealed = 2025-01-01",
            rng.pick(CODES)
        ),
        3 => "updated = 2026-03-04".to_owned(),
        _ => String::new(),
    };
    match rng.below(16) {
        // Edit a procedure in place (fee, name, sector, dates).
        0..=4 if !procs.is_empty() => {
            let f = rng.pick(&procs).to_string();
            let text = std::fs::read_to_string(root.join("content").join(&f)).unwrap();
            let code = text
                .lines()
                .find_map(|l| {
                    l.strip_prefix("code = \"")
                        .and_then(|r| r.strip_suffix('"'))
                })
                .unwrap_or(code)
                .to_owned();
            let md = f.ends_with(".md");
            let level = if f.starts_with("_catalog") {
                level
            } else {
                "xa"
            };
            step.write(
                &f,
                &proc_text(
                    &code,
                    &format!("Thủ tục {fee}"),
                    sector,
                    level,
                    fee,
                    &extra,
                    md,
                ),
            );
            format!("edit {f}")
        }
        // A broken file.
        5 if !procs.is_empty() => {
            let f = rng.pick(&procs).to_string();
            let text = std::fs::read_to_string(root.join("content").join(&f)).unwrap();
            step.write(&f, &text.replacen("fees = [", "fees = [[", 1));
            format!("break {f}")
        }
        // A new procedure (perhaps a duplicate code, or an override of the catalogue).
        6 | 7 => {
            let dir = if rng.below(4) == 0 || units.is_empty() {
                "_catalog/moi".to_owned()
            } else {
                rng.pick(&units).clone()
            };
            let name = format!("{}-{}.{ext}", code.replace('.', "-"), rng.below(3));
            let f = format!("{dir}/{name}");
            if rng.below(3) == 0 && !dir.starts_with("_catalog") {
                // An override with one key.
                step.write(
                    &f.replace(".md", ".toml"),
                    &format!("code = \"{code}\"\nname = \"Ghi đè {fee}\"\n"),
                );
            } else {
                step.write(
                    &f,
                    &proc_text(code, &format!("Mới {fee}"), sector, level, fee, &extra, md),
                );
            }
            format!("add {f}")
        }
        // Delete or rename a procedure file.
        8 if !procs.is_empty() => {
            let f = rng.pick(&procs).to_string();
            if rng.below(2) == 0 {
                step.remove(&f);
                format!("delete {f}")
            } else {
                let to = match f.rsplit_once('/') {
                    Some((d, n)) => format!("{d}/z-{n}"),
                    None => format!("z-{f}"),
                };
                let from = root.join("content").join(&f);
                std::fs::rename(&from, root.join("content").join(&to)).unwrap();
                step.changes.content.push(PathBuf::from(&f));
                step.changes.content.push(PathBuf::from(&to));
                format!("rename {f} → {to}")
            }
        }
        // Edit a unit file.
        9 | 10 if !units.is_empty() => {
            let u = rng.pick(&units).clone();
            let kind = if u.contains('/') {
                *rng.pick(&["xa", "phuong", "huyen"])
            } else {
                "tinh"
            };
            let text = unit_text(rng, &format!("Đơn vị {fee}"), kind);
            step.write(&format!("{u}/_unit.toml"), &text);
            format!("edit {u}/_unit.toml")
        }
        // A new unit (perhaps at the address of its parent's procedure), or one deleted.
        11 => {
            if rng.below(3) == 0 && units.len() > 2 {
                let u = rng.pick(&units[1..]).clone();
                step.remove(&u);
                format!("delete unit {u}")
            } else {
                let parent = units.first().cloned().unwrap_or_else(|| "tinh-thu".into());
                let name = *rng.pick(&["xa-moi", "1.000002", "tt-01", "xa-e", "tthc"]);
                let path = if name == "tthc" {
                    name.to_owned()
                } else {
                    format!("{parent}/{name}")
                };
                let text = unit_text(rng, "Xã Mới", "xa");
                step.write(&format!("{path}/_unit.toml"), &text);
                if rng.below(2) == 0 {
                    step.write(
                        &format!("{path}/3.000001.md"),
                        &proc_text("3.000001", "Riêng", sector, "xa", fee, "", true),
                    );
                }
                format!("add unit {path}")
            }
        }
        // The site's feedback contact.
        12 => {
            let text = std::fs::read_to_string(root.join("site.toml")).unwrap();
            let text = match text.split_once("\n[feedback]") {
                Some((head, _)) if rng.below(2) == 0 => head.to_owned(),
                Some((head, _)) => format!(
                    "{head}\n[feedback]\nagency = \"Văn phòng {fee}\"\naddress = \"1 Đường Thử\"\n"
                ),
                None => format!(
                    "{text}\n[feedback]\nagency = \"Văn phòng {fee}\"\naddress = \"1 Đường Thử\"\n"
                ),
            };
            std::fs::write(root.join("site.toml"), text).unwrap();
            step.changes.site_toml = true;
            "edit site.toml".to_owned()
        }
        // A catalogue entry in place.
        _ => {
            let cats: Vec<&&String> = procs.iter().filter(|f| f.starts_with("_catalog")).collect();
            if cats.is_empty() {
                return "nothing".into();
            }
            let f = rng.pick(&cats).to_string();
            let text = std::fs::read_to_string(root.join("content").join(&f)).unwrap();
            let code = text
                .lines()
                .find_map(|l| {
                    l.strip_prefix("code = \"")
                        .and_then(|r| r.strip_suffix('"'))
                })
                .unwrap_or(code)
                .to_owned();
            step.write(
                &f,
                &proc_text(
                    &code,
                    &format!("Danh mục {fee}"),
                    sector,
                    level,
                    fee,
                    &extra,
                    f.ends_with(".md"),
                ),
            );
            format!("edit catalogue {f}")
        }
    }
}

/// Makes every file named by an error valid again (or removes it), so that the random
/// walk spends most of its steps on sites that render.
fn repair(diags: &[Diagnostic], step: &mut Step) -> String {
    let root = step.root.to_path_buf();
    let mut done = Vec::new();
    for d in diags.iter().filter(|d| d.severity == Severity::Error) {
        let shown = d.loc.path.to_string_lossy().replace('\\', "/");
        if done.contains(&shown) {
            continue;
        }
        done.push(shown.clone());
        if shown == "site.toml" || d.message.en().contains("`feedback`") {
            std::fs::write(root.join("site.toml"), SITE_TOML).unwrap();
            step.changes.site_toml = true;
            continue;
        }
        let Some(rel) = shown.strip_prefix("content/") else {
            continue;
        };
        let abs = root.join("content").join(rel);
        if let Some(dir) = rel.strip_suffix("/_unit.toml") {
            if d.message.en().contains("folder name ")
                || d.message.en().contains("claim the address")
            {
                step.remove(dir);
            } else if abs.is_file() {
                step.write(rel, &unit_toml("Đơn vị sửa", "xa", ""));
            }
        } else if abs.is_dir() {
            step.remove(rel);
        } else if abs.is_file() {
            if d.message.en().contains("duplicate code")
                || d.message.en().contains("claim the address")
            {
                step.remove(rel);
            } else {
                let text = std::fs::read_to_string(&abs).unwrap_or_default();
                let code = text
                    .lines()
                    .find_map(|l| {
                        l.strip_prefix("code = \"")
                            .and_then(|r| r.strip_suffix('"'))
                    })
                    .unwrap_or("9.000009")
                    .to_owned();
                let code = if code == "niem-yet" {
                    "9.000008".to_owned()
                } else {
                    code
                };
                let md = rel.ends_with(".md");
                step.write(
                    rel,
                    &proc_text(&code, "Sửa lại", "Hộ tịch", "xa", 1000, "", md),
                );
            }
        }
    }
    format!("repair {}", done.join(", "))
}

/// The site the in-process tests start from: a province adopting by level, communes
/// adopting by list and by level, local procedures, an override, a repealed procedure.
fn inprocess_site() -> Site {
    let s = Site::new();
    s.write(
        "content/_catalog/ho-tich/1.000001.md",
        &proc_text("1.000001", "Khai sinh", "Hộ tịch", "xa", 15000, "", true),
    );
    s.write(
        "content/_catalog/ho-tich/1.000003.toml",
        &proc_text("1.000003", "Khai tử", "Hộ tịch", "tinh", 12000, "", false),
    );
    s.write(
        "content/_catalog/dat-dai/1.000004.md",
        &proc_text("1.000004", "Đất", "Đất đai", "xa", 30000, "", true),
    );
    s.write(
        "content/tinh-thu/_unit.toml",
        &unit_toml("Tỉnh Thử", "tinh", "adopt_levels = [\"tinh\"]"),
    );
    s.write(
        "content/tinh-thu/xa-a/_unit.toml",
        &unit_toml("Xã An", "xa", "adopt = [\"1.000001\"]"),
    );
    s.write(
        "content/tinh-thu/xa-b/_unit.toml",
        &unit_toml("Xã Bình", "xa", "adopt_levels = [\"xa\"]"),
    );
    s.write(
        "content/tinh-thu/xa-c/_unit.toml",
        &unit_toml("Xã Cường", "xa", ""),
    );
    s.write(
        "content/tinh-thu/xa-a/1.000002.md",
        &proc_text("1.000002", "Kết hôn", "Hộ tịch", "xa", 20000, "", true),
    );
    s.write(
        "content/tinh-thu/xa-b/1.000001.toml",
        "code = \"1.000001\"\nname = \"Khai sinh tại xã Bình\"\n",
    );
    s.write(
        "content/tinh-thu/xa-c/2.000001.md",
        &proc_text(
            "2.000001",
            "Cũ",
            "Tư pháp",
            "xa",
            5000,
            "repealed = 2026-01-01\nreplaced_by = \"2.000002\"",
            true,
        ),
    );
    s.write(
        "content/tinh-thu/xa-c/2.000002.md",
        &proc_text("2.000002", "Mới", "Tư pháp", "xa", 5000, "", true),
    );
    s
}

/// Scripted edits of every kind, then random ones (seeded: a failure is reproducible);
/// after each, the preview equals a fresh build. `NIEMYET_SERVE_STEPS` sets how many
/// random edits (default 150), `NIEMYET_SERVE_SEED` the seed.
#[test]
fn updates_in_process_equal_a_fresh_build_after_every_edit() {
    let s = inprocess_site();
    let root = s.path().to_path_buf();
    let today = niemyet::date::Date::parse(TODAY);
    let mut p = Preview::new(&root, today, None, None);
    let first = p.update(&Changes {
        rescan: true,
        ..Changes::default()
    });
    same_as_fresh(&p, &first, &root, "the first render");

    type Edit = fn(&mut Step);
    let scripted: Vec<(&str, Edit)> = vec![
        ("a fee", |st| {
            st.write(
                "tinh-thu/xa-a/1.000002.md",
                &proc_text("1.000002", "Kết hôn", "Hộ tịch", "xa", 25000, "", true),
            )
        }),
        ("a sector (the list's order)", |st| {
            st.write(
                "tinh-thu/xa-a/1.000002.md",
                &proc_text("1.000002", "Kết hôn", "Chứng thực", "xa", 25000, "", true),
            )
        }),
        ("a broken procedure", |st| {
            st.write(
                "tinh-thu/xa-a/1.000002.md",
                "+++\ncode = \"1.000002\"\nname = \"x\n+++\n",
            )
        }),
        ("the broken procedure fixed", |st| {
            st.write(
                "tinh-thu/xa-a/1.000002.md",
                &proc_text("1.000002", "Kết hôn lại", "Hộ tịch", "xa", 26000, "", true),
            )
        }),
        ("a catalogue entry adopted by level and by list", |st| {
            st.write(
                "_catalog/ho-tich/1.000001.md",
                &proc_text(
                    "1.000001",
                    "Khai sinh (mới)",
                    "Hộ tịch",
                    "xa",
                    16000,
                    "",
                    true,
                ),
            )
        }),
        ("a catalogue entry's level", |st| {
            st.write(
                "_catalog/ho-tich/1.000003.toml",
                &proc_text("1.000003", "Khai tử", "Hộ tịch", "xa", 12000, "", false),
            )
        }),
        ("a new catalogue entry (adopted by level)", |st| {
            st.write(
                "_catalog/tu-phap/2.000003.md",
                &proc_text("2.000003", "Lý lịch", "Tư pháp", "xa", 0, "", true),
            )
        }),
        ("a catalogue entry under a local procedure's code", |st| {
            st.write(
                "_catalog/tu-phap/2.000002.md",
                &proc_text(
                    "2.000002",
                    "Mới (danh mục)",
                    "Tư pháp",
                    "xa",
                    7000,
                    "",
                    true,
                ),
            )
        }),
        ("that entry removed", |st| {
            st.remove("_catalog/tu-phap/2.000002.md")
        }),
        ("a duplicate code in a unit", |st| {
            st.write(
                "tinh-thu/xa-a/ban-sao.md",
                &proc_text("1.000002", "Trùng", "Hộ tịch", "xa", 1000, "", true),
            )
        }),
        ("the duplicate removed", |st| {
            st.remove("tinh-thu/xa-a/ban-sao.md")
        }),
        ("a unit's feedback (inherited below)", |st| {
            st.write("tinh-thu/_unit.toml", &unit_toml("Tỉnh Thử", "tinh", "adopt_levels = [\"tinh\"]\n\n[feedback]\nagency = \"Tỉnh\"\naddress = \"Tỉnh Thử\"").replace("\n\n[office]", "\n[office]"))
        }),
        ("adopting a missing code", |st| {
            st.write(
                "tinh-thu/xa-a/_unit.toml",
                &unit_toml("Xã An", "xa", "adopt = [\"1.000001\", \"9.999999\"]"),
            )
        }),
        ("adopting it fixed", |st| {
            st.write(
                "tinh-thu/xa-a/_unit.toml",
                &unit_toml("Xã An", "xa", "adopt = [\"1.000001\", \"1.000004\"]"),
            )
        }),
        ("a code that could be a folder name", |st| {
            st.write(
                "tinh-thu/xa-a/tt-01.md",
                &proc_text("tt-01", "Mã chữ", "Hộ tịch", "xa", 1000, "", true),
            )
        }),
        ("a unit at a procedure's address", |st| {
            st.write(
                "tinh-thu/xa-a/tt-01/_unit.toml",
                &unit_toml("Thôn", "xa", ""),
            )
        }),
        ("that unit removed", |st| st.remove("tinh-thu/xa-a/tt-01")),
        ("a former path taken by a procedure", |st| {
            st.write(
                "tinh-thu/xa-c/_unit.toml",
                &unit_toml(
                    "Xã Cường",
                    "xa",
                    "\n[[former]]\npath = \"tinh-thu/xa-a/tt-01\"\nname = \"Cũ\"",
                )
                .replace("\n\n[office]", "\n[office]"),
            )
        }),
        ("a former path taken by a unit", |st| {
            st.write(
                "tinh-thu/xa-c/_unit.toml",
                &unit_toml(
                    "Xã Cường",
                    "xa",
                    "\n[[former]]\npath = \"tinh-thu/xa-a\"\nname = \"Cũ\"",
                )
                .replace("\n\n[office]", "\n[office]"),
            )
        }),
        ("a former path free", |st| {
            st.write(
                "tinh-thu/xa-c/_unit.toml",
                &unit_toml(
                    "Xã Cường",
                    "xa",
                    "\n[[former]]\npath = \"tinh-thu/xa-cu\"\nname = \"Cũ\"",
                )
                .replace("\n\n[office]", "\n[office]"),
            )
        }),
        ("a new unit with a procedure", |st| {
            st.write(
                "tinh-thu/xa-d/_unit.toml",
                &unit_toml("Xã Đông", "xa", "adopt_levels = [\"xa\"]"),
            );
            st.write(
                "tinh-thu/xa-d/4.000001.md",
                &proc_text("4.000001", "Riêng", "Đất đai", "xa", 1000, "", true),
            );
        }),
        ("the replacement of a repealed procedure renamed", |st| {
            st.write(
                "tinh-thu/xa-c/2.000002.md",
                &proc_text("2.000002", "Mới hơn", "Tư pháp", "xa", 5000, "", true),
            )
        }),
        ("a replacement loop", |st| {
            st.write(
                "tinh-thu/xa-c/2.000002.md",
                &proc_text(
                    "2.000002",
                    "Vòng",
                    "Tư pháp",
                    "xa",
                    5000,
                    "repealed = 2026-01-01\nreplaced_by = \"2.000001\"",
                    true,
                ),
            )
        }),
        ("the loop broken", |st| {
            st.write(
                "tinh-thu/xa-c/2.000002.md",
                &proc_text("2.000002", "Mới", "Tư pháp", "xa", 5000, "", true),
            )
        }),
        ("a file renamed", |st| {
            let c = st.root.join("content/tinh-thu/xa-c");
            std::fs::rename(c.join("2.000002.md"), c.join("moi.md")).unwrap();
            st.changes.content.push("tinh-thu/xa-c/2.000002.md".into());
            st.changes.content.push("tinh-thu/xa-c/moi.md".into());
        }),
        ("a unit deleted", |st| st.remove("tinh-thu/xa-d")),
        ("a file in a folder without _unit.toml", |st| {
            st.write(
                "tinh-thu/xa-c/thon/5.000001.md",
                &proc_text("5.000001", "Lạc", "Hộ tịch", "xa", 1, "", true),
            )
        }),
        ("that folder made a unit", |st| {
            st.write(
                "tinh-thu/xa-c/thon/_unit.toml",
                &unit_toml("Thôn", "xa", ""),
            )
        }),
        ("a procedure naming a form file that does not exist", |st| {
            st.write(
                "tinh-thu/xa-a/1.000002.md",
                &proc_text(
                    "1.000002",
                    "Kết hôn",
                    "Hộ tịch",
                    "xa",
                    25000,
                    "forms = [{ name = \"Tờ khai\", file = \"mau/to-khai.pdf\" }]",
                    true,
                ),
            )
        }),
        ("the form file added", |st| {
            st.write("tinh-thu/xa-a/mau/to-khai.pdf", "%PDF-1.4 một")
        }),
        ("the form file edited", |st| {
            st.write("tinh-thu/xa-a/mau/to-khai.pdf", "%PDF-1.4 hai")
        }),
        (
            "a catalogue entry naming a form file that does not exist",
            |st| {
                st.write(
                    "_catalog/ho-tich/1.000001.md",
                    &proc_text(
                        "1.000001",
                        "Khai sinh",
                        "Hộ tịch",
                        "xa",
                        15000,
                        "forms = [{ name = \"Tờ khai\", file = \"../mau/khai-sinh.pdf\" }]",
                        true,
                    ),
                )
            },
        ),
        ("its form file added", |st| {
            st.write("_catalog/mau/khai-sinh.pdf", "%PDF-1.4 ba")
        }),
        ("its form file removed", |st| {
            st.remove("_catalog/mau/khai-sinh.pdf")
        }),
        ("its form file back", |st| {
            st.write("_catalog/mau/khai-sinh.pdf", "%PDF-1.4 bốn")
        }),
        ("the unit's form folder removed", |st| {
            st.remove("tinh-thu/xa-a/mau")
        }),
        ("the unit's form file back", |st| {
            st.write("tinh-thu/xa-a/mau/to-khai.pdf", "%PDF-1.4 năm")
        }),
        ("a print pack template failing as it renders", |st| {
            let t = "themes/default/templates/noticeboard.html";
            let path = st.root.join(t);
            let text = std::fs::read_to_string(&path).unwrap();
            std::fs::write(&path, text.replacen("<title>", "{{ nope.nope }}<title>", 1)).unwrap();
            st.changes
                .theme
                .push("default/templates/noticeboard.html".into());
        }),
        ("an edit while the packs fail", |st| {
            st.write(
                "tinh-thu/xa-a/1.000002.md",
                &proc_text(
                    "1.000002",
                    "Kết hôn khi lỗi",
                    "Hộ tịch",
                    "xa",
                    31000,
                    "",
                    true,
                ),
            )
        }),
        ("a new procedure while the packs fail", |st| {
            st.write(
                "tinh-thu/xa-c/6.000001.md",
                &proc_text("6.000001", "Mới khi lỗi", "Đất đai", "xa", 1000, "", true),
            )
        }),
        ("a deleted procedure while the packs fail", |st| {
            st.remove("tinh-thu/xa-c/6.000001.md")
        }),
        ("the pack template fixed", |st| {
            let t = "themes/default/templates/noticeboard.html";
            let path = st.root.join(t);
            let text = std::fs::read_to_string(&path).unwrap();
            std::fs::write(&path, text.replacen("{{ nope.nope }}<title>", "<title>", 1)).unwrap();
            st.changes
                .theme
                .push("default/templates/noticeboard.html".into());
        }),
        ("a template", |st| {
            let t = "themes/default/templates/procedure.html";
            let path = st.root.join(t);
            let text = std::fs::read_to_string(&path).unwrap();
            std::fs::write(
                &path,
                text.replacen(
                    "{% block main %}",
                    "{% block main %}<p>mẫu {{ unit.current_count }}</p>",
                    1,
                ),
            )
            .unwrap();
            st.changes
                .theme
                .push("default/templates/procedure.html".into());
        }),
    ];
    copy_dir(&repo().join("themes"), &root.join("themes"));
    let update = |p: &mut Preview, st: Step, what: &str| -> Outcome {
        // Every changed output is published once, the pages before the slow outputs.
        let mut published: Vec<Vec<String>> = Vec::new();
        let outcome = p.update_with(&st.changes, &mut |changed, _| {
            published.push(changed.to_vec())
        });
        if let Outcome::Rendered { changed, .. } = &outcome {
            let mut all: Vec<String> = published.concat();
            all.sort();
            assert_eq!(
                &all, changed,
                "after {what}: what was published is what changed"
            );
            assert!(published.len() <= 2, "after {what}: two groups at most");
            if published.len() == 2 {
                assert!(
                    published[1]
                        .iter()
                        .all(|p| p.contains("/niem-yet/") || p.starts_with("tim-kiem/")),
                    "after {what}: the second group holds the slow outputs: {:?}",
                    published[1]
                );
            }
        }
        same_as_fresh(p, &outcome, &root, what);
        outcome
    };
    // The theme copied in: a rescan, as the watcher would report a new folder.
    update(
        &mut p,
        Step {
            root: &root,
            changes: Changes {
                rescan: true,
                ..Changes::default()
            },
        },
        "the theme copied",
    );
    for (what, edit) in scripted {
        let mut st = Step {
            root: &root,
            changes: Changes::default(),
        };
        edit(&mut st);
        let outcome = update(&mut p, st, what);
        if what.contains("while the packs fail") {
            // The pages rendered before the packs failed are taken back: the last good
            // site stays served whole.
            assert!(matches!(outcome, Outcome::Broken(_)), "{what}");
            let served = p.files.read().unwrap();
            let page = served
                .get("tinh-thu/xa-a/1.000002/index.html")
                .map(|b| String::from_utf8_lossy(b).into_owned())
                .unwrap_or_default();
            assert!(
                !page.is_empty() && !page.contains("Kết hôn khi lỗi"),
                "{what}"
            );
        }
    }

    let steps: usize = std::env::var("NIEMYET_SERVE_STEPS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(150);
    let seed = std::env::var("NIEMYET_SERVE_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0x5eed);
    let mut rng = Rng(seed);
    let mut rendered = 0;
    for i in 0..steps {
        let mut st = Step {
            root: &root,
            changes: Changes::default(),
        };
        // Sometimes two edits arrive in one batch.
        let mut what = random_edit(&mut rng, &mut st);
        if rng.below(5) == 0 {
            what = format!("{what} + {}", random_edit(&mut rng, &mut st));
        }
        let outcome = update(&mut p, st, &format!("random edit {i}: {what}"));
        match outcome {
            Outcome::Rendered { .. } => rendered += 1,
            // Mostly fixed at once, sometimes after more edits.
            Outcome::Broken(diags) if rng.below(4) > 0 => {
                let mut st = Step {
                    root: &root,
                    changes: Changes::default(),
                };
                let what = repair(&diags, &mut st);
                update(&mut p, st, &format!("random edit {i}, then {what}"));
            }
            Outcome::Broken(_) => {}
        }
    }
    // The walk must exercise rendering, not only broken sites.
    assert!(
        rendered * 3 >= steps,
        "only {rendered} of {steps} random edits rendered"
    );
}
