// Search benchmark, run by bench/search.sh on a built site: index bytes per unit, bytes a
// first query transfers (gzip), and query latency per keystroke in headless Chromium.
// Usage: node bench/search.mjs <site-output-dir> <unit path>
import { launch, serve } from "../tests/browser/lib.mjs";
import fs from "node:fs";
import path from "node:path";
import zlib from "node:zlib";

const out = path.resolve(process.argv[2]);
const unit = process.argv[3];
const gz = (buf) => zlib.gzipSync(buf, { level: 6 }).length;
const kb = (n) => (n / 1024).toFixed(1) + " KB";
const pct = (xs, p) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]; };

// 1. Index bytes.
const idx = path.join(out, "tim-kiem/idx");
const shared = fs.readFileSync(path.join(idx, "catalog.js"));
const local = fs.readFileSync(path.join(idx, "local.js"));
const parts = fs.readdirSync(path.join(idx, "u")).map((f) => fs.readFileSync(path.join(idx, "u", f)));
const parse = (b) => JSON.parse(b.toString().replace(/^NIEMYET_SEARCH\.add\(/, "").replace(/\);\s*$/, ""));
const meta = parse(shared);
meta.docs = parse(fs.readFileSync(path.join(idx, "shared.js"))).docs;
const groups = fs.readdirSync(path.join(idx, "c")).map((f) => fs.readFileSync(path.join(idx, "c", f)));
const ownRaw = parts.map((b) => b.length), ownGz = parts.map(gz);
const all = fs.readFileSync(path.join(idx, "shared.js"));
console.log(`index: ${meta.units.length} units, ${meta.docs.length} catalogue documents (indexed once), ${meta.sets.length} adoption set(s), ${groups.length} catalogue group(s), ${parts.length} unit parts`);
console.log(`  catalog.js (units, sectors, sets, repealed codes, lexicon): ${kb(shared.length)} raw, ${kb(gz(shared))} gzip`);
if (meta.lexicon) {
  const lex = Buffer.from(JSON.stringify(meta.lexicon));
  console.log(`    of which the lexicon: ${meta.lexicon.terms.length} phrases, ${kb(lex.length)} raw, ${kb(gz(lex))} gzip`);
}
console.log(`  shared.js (every catalogue document): ${kb(all.length)} raw, ${kb(gz(all))} gzip; groups: ${groups.map((b) => kb(gz(b))).join(", ")} gzip`);
console.log(`  per unit (own part): median ${kb(pct(ownRaw, 50))} raw / ${kb(pct(ownGz, 50))} gzip, max ${kb(Math.max(...ownRaw))} / ${kb(Math.max(...ownGz))}`);
console.log(`  local.js (every unit's own, for site-wide searches): ${kb(local.length)} raw, ${kb(gz(local))} gzip`);

const browser = await launch();
const server = await serve(out);

// 2. First-query transfer: from the unit page's search box to the first results.
async function firstQuery(label, startUrl, q) {
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  await page.goto(startUrl);
  const files = new Map();
  page.on("requestfinished", (req) => {
    const u = new URL(req.url());
    files.set(u.pathname, path.join(out, decodeURIComponent(u.pathname)));
  });
  await page.fill("#site-q", q);
  await page.press("#site-q", "Enter");
  await page.waitForSelector("#search-form[data-ready]");
  await page.waitForSelector("#results li");
  let raw = 0, zipped = 0;
  const list = [];
  for (const [p, f] of files) {
    let file = f;
    if (fs.existsSync(file) && fs.statSync(file).isDirectory()) file = path.join(file, "index.html");
    if (!fs.existsSync(file)) continue;
    const b = fs.readFileSync(file);
    raw += b.length;
    zipped += gz(b);
    list.push(`${p} ${kb(gz(b))}`);
  }
  console.log(`first query ${label}: ${files.size} files, ${kb(raw)} raw, ${kb(zipped)} gzip (search page, CSS, JS, index parts)`);
  console.log("    " + list.join(", "));
  await ctx.close();
}
await firstQuery(`from ${unit}/`, server.url + unit + "/", "dang ky khai sinh");
await firstQuery("from the home page (site-wide)", server.url, "dang ky khai sinh");

// 3. Latency: every keystroke of these queries, typed without diacritics, in the page.
const QUERIES = ["dang ky khai sinh", "chung thuc ban sao", meta.docs[42][1], "dang ky tam tru", "ket hon",
  "giam ho", "xac nhan tinh trang hon nhan", "ho kinh doanh", "ly lich tu phap", "dang ky khia sinh",
  "thuong tru", "tach ho", "cap ban sao trich luc", "ho tro dau tu", "doanh nghiep tu nhan"];
async function latency(label, url) {
  const page = await browser.newPage();
  await page.goto(url);
  await page.waitForSelector("#search-form[data-ready]");
  const r = await page.evaluate(async (queries) => {
    const input = document.getElementById("q");
    const sync = [], frame = [];
    let found = 0;
    for (let round = 0; round < 3; round++) {
      for (const q of queries) {
        for (let i = 1; i <= q.length; i++) {
          const t0 = performance.now();
          input.value = q.slice(0, i);
          input.dispatchEvent(new Event("input", { bubbles: true }));
          const t1 = performance.now();
          await new Promise((res) => requestAnimationFrame(() => res()));
          const t2 = performance.now();
          if (round > 0) { sync.push(t1 - t0); frame.push(t2 - t0); }
        }
        if (document.querySelector("#results li")) found++;
      }
    }
    return { sync, frame, found };
  }, QUERIES);
  console.log(`latency ${label}: ${r.sync.length} keystrokes; search + results in the DOM p50 ${pct(r.sync, 50).toFixed(2)} ms, p95 ${pct(r.sync, 95).toFixed(2)} ms, max ${Math.max(...r.sync).toFixed(2)} ms; to the next painted frame p50 ${pct(r.frame, 50).toFixed(1)} ms, p95 ${pct(r.frame, 95).toFixed(1)} ms; ${r.found}/${QUERIES.length * 3} queries with results`);
  await page.close();
}
await latency(`scoped to ${unit}`, server.url + "tim-kiem/?u=" + encodeURIComponent(unit));
await latency("site-wide", server.url + "tim-kiem/");
console.log(`load average during the run: ${fs.readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ")} on ${(await import("node:os")).cpus().length} cores`);
await server.close();
await browser.close();
