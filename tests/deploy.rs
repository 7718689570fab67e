//! The nginx block of docs/deploying.md, as written there, serving the bundled example at
//! a sub-path on 127.0.0.1: types, compression, caching, robots.txt, the icon, and the 404
//! page at any depth in Chromium (`tests/browser/deploy.mjs`). Skipped loudly without
//! nginx or Chromium, except in CI.

mod common;

use std::path::Path;
use std::process::{Child, Command};
use std::time::{Duration, Instant};

/// nginx, stopped when dropped.
struct Nginx(Child);

impl Drop for Nginx {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn nginx_binary() -> Option<&'static str> {
    ["/usr/sbin/nginx", "/usr/bin/nginx"]
        .into_iter()
        .find(|p| Path::new(p).exists())
}

/// The ```nginx block of docs/deploying.md, serving `out`.
fn documented_block(out: &Path) -> String {
    let doc = std::fs::read_to_string(common::repo().join("docs/deploying.md")).expect("doc");
    let block = common::between(&doc, "```nginx\n", "```").expect("an nginx block");
    block.replace("/srv/thu-tuc/public", out.to_str().expect("utf-8 path"))
}

#[test]
fn the_documented_nginx_block_serves_the_site_at_a_sub_path() {
    if !common::chromium_available() {
        return;
    }
    let Some(nginx) = nginx_binary() else {
        let why = "the deployment test needs nginx (apt-get install nginx-light)";
        if std::env::var("CI").is_ok_and(|v| v == "true" || v == "1") {
            panic!("{why}: missing in CI");
        }
        eprintln!("\n!!!!!!!! SKIPPED DEPLOYMENT TEST: {why} !!!!!!!!\n");
        return;
    };
    // A free port on the loopback: taken, read, released for nginx.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port();
    // Built for its real address, served here at the same path (the host cannot be
    // reached from here: nothing the pages load may come from it).
    let base = format!("http://127.0.0.1:{port}/thu-tuc/");
    let published = "https://thutuc.example.gov.vn/thu-tuc/";
    let s = common::example();
    s.build(&["--base-url", published]).ok();

    let dir = tempfile::tempdir().expect("tempdir");
    let conf = format!(
        "daemon off;\nmaster_process off;\npid {tmp}/nginx.pid;\nerror_log {tmp}/error.log;\n\
         events {{ worker_connections 64; }}\n\
         http {{\n  access_log off;\n  client_body_temp_path {tmp}/body;\n  proxy_temp_path {tmp}/proxy;\n  \
         fastcgi_temp_path {tmp}/fastcgi;\n  uwsgi_temp_path {tmp}/uwsgi;\n  scgi_temp_path {tmp}/scgi;\n  \
         server {{\n    listen 127.0.0.1:{port};\n    root {tmp}/empty;\n{block}\n  }}\n}}\n",
        tmp = dir.path().display(),
        block = documented_block(&s.out()),
    );
    std::fs::create_dir_all(dir.path().join("empty")).expect("mkdir");
    let conf_path = dir.path().join("nginx.conf");
    std::fs::write(&conf_path, &conf).expect("nginx.conf");
    let test = Command::new(nginx)
        .arg("-t")
        .arg("-c")
        .arg(&conf_path)
        .arg("-p")
        .arg(dir.path())
        .output()
        .expect("nginx -t");
    assert!(
        test.status.success(),
        "the documented block does not load:\n{}\n{conf}",
        String::from_utf8_lossy(&test.stderr)
    );
    let _server = Nginx(
        Command::new(nginx)
            .arg("-c")
            .arg(&conf_path)
            .arg("-p")
            .arg(dir.path())
            .spawn()
            .expect("start nginx"),
    );
    let start = Instant::now();
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "nginx did not listen"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    let shots = std::env::var("NIEMYET_SHOTS").unwrap_or_default();
    let mut args = vec![base.as_str(), published];
    if !shots.is_empty() {
        args.push(&shots);
    }
    common::node("deploy.mjs", &args);
}
