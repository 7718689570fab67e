// Shared helpers for the browser tests: Debian's Chromium through playwright-core, and a
// tiny static file server for an output folder. Each test script is run by cargo test
// (tests/browser.rs) as `node <script>.mjs <site-output-dir> [args]`; it exits non-zero
// with a message on the first failed assertion.
import { chromium } from "playwright-core";
import http from "node:http";
import fs from "node:fs";
import path from "node:path";

export const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";

export async function launch() {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync",
    ],
  });
}

const TYPES = {
  ".html": "text/html; charset=utf-8", ".css": "text/css; charset=utf-8",
  ".js": "text/javascript; charset=utf-8", ".json": "application/json; charset=utf-8",
  ".xml": "application/xml; charset=utf-8", ".csv": "text/csv; charset=utf-8",
  ".svg": "image/svg+xml", ".pdf": "application/pdf", ".png": "image/png",
};

/// Serves `root` on 127.0.0.1 (a free port); resolves to { url, close }. With
/// `notFoundPage`, a missing address is answered by the root's 404.html (status 404), as
/// every deploy of docs/deploying.md does.
export function serve(root, { gzip = false, notFoundPage = false } = {}) {
  return new Promise((resolve) => {
    const server = http.createServer((req, res) => {
      let p = decodeURIComponent(new URL(req.url, "http://x").pathname);
      let file = path.join(root, p);
      if (!file.startsWith(path.resolve(root))) { res.writeHead(404); return res.end(); }
      if (fs.existsSync(file) && fs.statSync(file).isDirectory()) file = path.join(file, "index.html");
      if (!fs.existsSync(file)) {
        const page = path.join(root, "404.html");
        if (notFoundPage && fs.existsSync(page)) {
          res.writeHead(404, { "content-type": TYPES[".html"] });
          return req.method === "HEAD" ? res.end() : fs.createReadStream(page).pipe(res);
        }
        res.writeHead(404);
        return res.end("not found");
      }
      res.writeHead(200, { "content-type": TYPES[path.extname(file)] || "application/octet-stream" });
      fs.createReadStream(file).pipe(res);
    });
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      resolve({ url: `http://127.0.0.1:${port}/`, close: () => new Promise((r) => server.close(r)) });
    });
  });
}

let failures = 0;
/// Records a failed expectation and keeps going, so one run reports every failure.
export function check(cond, message) {
  if (!cond) {
    failures++;
    console.error(`FAIL: ${message}`);
  }
}

/// Ends the test: exit code 1 when any check failed.
export function done(name) {
  if (failures > 0) {
    console.error(`${name}: ${failures} failure(s)`);
    process.exit(1);
  }
  console.log(`${name}: ok`);
}
