//! The preview's HTTP server: GET and HEAD of the in-memory site, and a Server-Sent
//! Events stream (`/__niemyet/events`) that tells open pages what changed.
//!
//! Written on `std::net` rather than an HTTP crate: the server only answers GET/HEAD from
//! a map in memory, and the event stream must be written and flushed event by event on a
//! connection held open, which the small blocking HTTP crates buffer (tiny_http copies a
//! response body through a chunk buffer without flushing). One thread per connection is
//! plenty for one webmaster's browser tabs; each closes after one response, except the
//! event stream.

use super::Files;
use percent_encoding::percent_decode_str;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::sync::{Arc, Mutex, RwLock};
use std::time::Duration;

/// The address of the event stream.
pub const EVENTS: &str = "/__niemyet/events";
/// The list of served paths, one per line (for scripts and tests comparing with a build).
pub const FILES: &str = "/__niemyet/files";

/// Open event streams: each gets every message.
#[derive(Default)]
pub struct Hub {
    subs: Mutex<Vec<Sender<String>>>,
}

impl Hub {
    /// Sends one SSE message (already formatted) to every open page.
    pub fn broadcast(&self, msg: &str) {
        let mut subs = self.subs.lock().unwrap_or_else(|e| e.into_inner());
        subs.retain(|s| s.send(msg.to_owned()).is_ok());
    }

    fn subscribe(&self) -> Receiver<String> {
        let (tx, rx) = mpsc::channel();
        self.subs.lock().unwrap_or_else(|e| e.into_inner()).push(tx);
        rx
    }
}

/// What the server answers from.
pub struct Served {
    pub files: Arc<RwLock<Files>>,
    pub hub: Arc<Hub>,
    /// The message a page gets when it connects (the current errors, or none).
    pub state: Arc<RwLock<String>>,
    /// The errors of the current state, one line each (empty when the site is good).
    pub errors: Arc<RwLock<Vec<String>>>,
    /// The heading and hint of the diagnostics page (the theme's interface strings).
    pub texts: [String; 2],
}

/// The page every address answers while no good site has been made yet (a site broken
/// from the start): the errors, refreshed every two seconds until the site is fixed.
/// Readable without JavaScript; the text is escaped.
fn broken_page(texts: &[String; 2], errors: &[String]) -> Vec<u8> {
    let escape = |s: &str| {
        s.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
            .replace('"', "&quot;")
    };
    include_str!("broken.html")
        .replace("{title}", &escape(&texts[0]))
        .replace("{hint}", &escape(&texts[1]))
        .replace("{errors}", &escape(&errors.join("\n\n")))
        .into_bytes()
}

/// Accepts connections until the listener fails.
pub fn run(listener: TcpListener, served: Arc<Served>) {
    for stream in listener.incoming() {
        let Ok(stream) = stream else { continue };
        let served = Arc::clone(&served);
        std::thread::spawn(move || {
            let _ = handle(stream, &served);
        });
    }
}

/// The output path a request path names, or `None` for anything that could leave the
/// output: `..` or `.` segments (also percent-encoded), backslashes, NUL, a second
/// leading slash (an absolute path). The site is served from memory, so no file system
/// path is ever formed from a request; this is the second wall.
///
/// Each segment is decoded on its own: a `/` written as `%2f` inside a segment is not a
/// separator (RFC 3986), so `/tinh%2fxa-a/` names no page of the site. Served as
/// `/tinh/xa-a/`, the unit page would come with relative links that all break.
pub fn output_path(target: &str) -> Option<String> {
    let raw = target.split(['?', '#']).next().unwrap_or("");
    let rest = raw.strip_prefix('/')?;
    let mut segments = Vec::new();
    for seg in rest.split('/') {
        let s = percent_decode_str(seg).decode_utf8().ok()?;
        if s.contains('/') {
            return None;
        }
        segments.push(s);
    }
    let path = segments.join("/");
    if path.starts_with('/') || path.contains('\\') || path.contains('\0') {
        return None;
    }
    if segments
        .iter()
        .any(|s| s == ".." || s == "." || s.contains(':'))
    {
        return None;
    }
    if path.is_empty() || path.ends_with('/') {
        Some(format!("{path}index.html"))
    } else {
        Some(path)
    }
}

/// The content type of an output by its extension.
pub fn content_type(path: &str) -> &'static str {
    let ext = path.rsplit_once('.').map(|(_, e)| e).unwrap_or("");
    match ext.to_ascii_lowercase().as_str() {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "csv" => "text/csv; charset=utf-8",
        "xml" => "application/xml",
        "txt" => "text/plain; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        "pdf" => "application/pdf",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "webmanifest" => "application/manifest+json",
        "zip" => "application/zip",
        "doc" => "application/msword",
        "docx" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "xls" => "application/vnd.ms-excel",
        "xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        _ => "application/octet-stream",
    }
}

fn handle(stream: TcpStream, served: &Served) -> std::io::Result<()> {
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut line = String::new();
    // The request line, then headers up to the blank line; at most 16 KiB in all.
    let mut total = (&mut reader).take(16 * 1024).read_line(&mut line)?;
    let mut parts = line.split_whitespace();
    let (method, target) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
    let (method, target) = (method.to_owned(), target.to_owned());
    loop {
        let mut h = String::new();
        let n = (&mut reader).take(16 * 1024).read_line(&mut h)?;
        total += n;
        if n == 0 || h == "\r\n" || h == "\n" || total > 16 * 1024 {
            break;
        }
    }
    let mut w = stream;
    if method != "GET" && method != "HEAD" {
        return respond(
            &mut w,
            "405 Method Not Allowed",
            "text/plain; charset=utf-8",
            b"",
            true,
            &[("Allow", "GET, HEAD")],
        );
    }
    let head = method == "HEAD";
    if target.split('?').next() == Some(EVENTS) {
        return events(w, served);
    }
    let files = served.files.read().unwrap_or_else(|e| e.into_inner());
    if target.split('?').next() == Some(FILES) {
        let mut list: Vec<&str> = files.keys().map(String::as_str).collect();
        list.sort_unstable();
        let body = list.join("\n");
        drop(files);
        return respond(
            &mut w,
            "200 OK",
            "text/plain; charset=utf-8",
            body.as_bytes(),
            head,
            &[],
        );
    }
    if files.is_empty() {
        // Nothing good was ever made: every address shows why.
        let errors = served
            .errors
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone();
        if !errors.is_empty() {
            drop(files);
            let page = broken_page(&served.texts, &errors);
            return respond(
                &mut w,
                "503 Service Unavailable",
                "text/html; charset=utf-8",
                &page,
                head,
                &[],
            );
        }
    }
    let Some(path) = output_path(&target) else {
        return not_found(&mut w, &files, head);
    };
    if let Some(body) = files.get(&path) {
        let body = Arc::clone(body);
        drop(files);
        return respond(&mut w, "200 OK", content_type(&path), &body, head, &[]);
    }
    // A folder page asked without its slash: relative links need the slash.
    if files.contains_key(&format!("{path}/index.html")) {
        let location = format!("/{path}/");
        drop(files);
        return respond(
            &mut w,
            "301 Moved Permanently",
            "text/plain; charset=utf-8",
            b"",
            head,
            &[("Location", &location)],
        );
    }
    not_found(&mut w, &files, head)
}

fn not_found(w: &mut TcpStream, files: &Files, head: bool) -> std::io::Result<()> {
    match files.get("404.html") {
        Some(b) => respond(w, "404 Not Found", "text/html; charset=utf-8", b, head, &[]),
        None => respond(
            w,
            "404 Not Found",
            "text/plain; charset=utf-8",
            b"404",
            head,
            &[],
        ),
    }
}

fn respond(
    w: &mut TcpStream,
    status: &str,
    ctype: &str,
    body: &[u8],
    head: bool,
    extra: &[(&str, &str)],
) -> std::io::Result<()> {
    let mut h = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {ctype}\r\nContent-Length: {}\r\nCache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\nConnection: close\r\n",
        body.len()
    );
    for (k, v) in extra {
        h.push_str(&format!("{k}: {v}\r\n"));
    }
    h.push_str("\r\n");
    w.write_all(h.as_bytes())?;
    if !head {
        w.write_all(body)?;
    }
    w.flush()
}

/// The event stream: the current state at once, then every update, and a comment every
/// 15 s so a closed page is noticed and its thread ends.
fn events(mut w: TcpStream, served: &Served) -> std::io::Result<()> {
    let rx = served.hub.subscribe();
    w.write_all(b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\nConnection: keep-alive\r\n\r\n")?;
    let first = served
        .state
        .read()
        .unwrap_or_else(|e| e.into_inner())
        .clone();
    w.write_all(first.as_bytes())?;
    w.flush()?;
    loop {
        match rx.recv_timeout(Duration::from_secs(15)) {
            Ok(msg) => w.write_all(msg.as_bytes())?,
            Err(RecvTimeoutError::Timeout) => w.write_all(b": ping\n\n")?,
            Err(RecvTimeoutError::Disconnected) => return Ok(()),
        }
        w.flush()?;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_paths_that_leave_the_output() {
        for bad in [
            "/../etc/passwd",
            "/a/../../x",
            "/%2e%2e/x",
            "/%2E%2E%2Fx",
            "//etc/passwd",
            "/a\\..\\b",
            "/a%5c..%5cb",
            "/a/%00",
            "/./a",
            "/C:/x",
            "relative",
            "/tinh%2fxa-a/",
            "/tinh%2Fxa-a/index.html",
            "/%2f/etc/passwd",
            "/tinh/xa-a%2F1.000001/",
        ] {
            assert_eq!(output_path(bad), None, "{bad}");
        }
        assert_eq!(output_path("/").as_deref(), Some("index.html"));
        assert_eq!(output_path("/a/b/?x=1").as_deref(), Some("a/b/index.html"));
        assert_eq!(output_path("/feed.xml").as_deref(), Some("feed.xml"));
        assert_eq!(
            output_path("/tep-dinh-kem/m%E1%BA%ABu%20%231.pdf").as_deref(),
            Some("tep-dinh-kem/mẫu #1.pdf")
        );
    }
}
