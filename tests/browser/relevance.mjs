// Search relevance on a built site, through the real search page in Chromium: each query
// typed into /tim-kiem/ (the input event the page answers), the status line's count and
// the first ten result codes read back, then scored against the queries' acceptable codes
// (TSV columns id, query, best_code, acceptable_codes, kind, ...), as the shared runner
// (../shared/search/relevance.mjs) scores them, without its waiting: the page answers
// each keystroke synchronously.
//
// Usage: node relevance.mjs <site-output-dir> <queries.tsv>...
// Prints one line per query that misses the first place, the scores by kind and in all
// for each file, and as its last line the scores as JSON:
//   {"files": [{"file", "hit1", "hit3", "hit10", "mrr", "median", "n", "kinds": {...}}]}
import { launch, serve } from "./lib.mjs";
import fs from "node:fs";
import path from "node:path";

const out = path.resolve(process.argv[2]);
const files = process.argv.slice(3);
const browser = await launch();
const server = await serve(out);
const page = await browser.newPage({ viewport: { width: 412, height: 915 } });
const errors = [];
page.on("pageerror", (e) => errors.push(e.message));
await page.goto(server.url + "tim-kiem/");
await page.waitForSelector("#search-form[data-ready]", { timeout: 60000 });

function read(file) {
  const lines = fs.readFileSync(file, "utf8").replace(/^\uFEFF/, "").split(/\r?\n/).filter((l) => l.trim());
  const head = lines[0].split("\t").map((s) => s.trim().toLowerCase());
  const col = (n) => head.indexOf(n);
  return lines.slice(1).map((l) => {
    const f = l.split("\t");
    const acc = f[col("acceptable_codes")].split(",").map((s) => s.trim()).filter(Boolean);
    acc.push(f[col("best_code")].trim());
    return { id: f[col("id")], q: f[col("query")], acc, kind: f[col("kind")] || "" };
  });
}

function score(rs) {
  const n = rs.length || 1;
  const hit = (k) => rs.filter((r) => r.rank && r.rank <= k).length / n;
  const counts = rs.map((r) => r.count).sort((a, b) => a - b);
  const mid = counts.length % 2 ? counts[(counts.length - 1) / 2]
    : (counts[counts.length / 2 - 1] + counts[counts.length / 2]) / 2;
  const mrr = rs.reduce((a, r) => a + (r.rank ? 1 / r.rank : 0), 0) / n;
  return { hit1: hit(1), hit3: hit(3), hit10: hit(10), mrr, median: mid || 0, n: rs.length };
}
const f2 = (x) => x.toFixed(2);
const line = (s) => `hit@1 ${f2(s.hit1)} hit@3 ${f2(s.hit3)} hit@10 ${f2(s.hit10)} mrr ${f2(s.mrr)} median_results ${s.median} (${s.n} queries)`;

const report = { files: [] };
for (const file of files) {
  const queries = read(file);
  const answers = await page.evaluate((qs) => {
    const input = document.getElementById("q");
    const re = /(\d+\.\d+)\/(?:index\.html)?$/;
    return qs.map((q) => {
      input.value = q;
      input.dispatchEvent(new Event("input", { bubbles: true }));
      const status = document.getElementById("search-status").textContent;
      const m = status.match(/^\d+/);
      const codes = [...document.querySelectorAll("#results li .result-name")].slice(0, 10)
        .map((a) => (a.getAttribute("href").match(re) || [])[1]);
      const first = document.querySelector("#results li .result-name");
      return { count: m ? +m[0] : 0, codes, first: first ? first.textContent : "" };
    });
  }, queries.map((q) => q.q));
  const rs = queries.map((q, i) => {
    const a = answers[i];
    const k = a.codes.findIndex((c) => q.acc.includes(c));
    return { ...q, rank: k >= 0 ? k + 1 : null, count: a.count, top: a.codes[0] || "", first: a.first };
  });
  const name = file;
  for (const r of rs) {
    if (r.rank !== 1) console.log([name, r.id, r.rank ?? "-", r.count, r.kind, r.q, r.top, r.first.slice(0, 70)].join("\t"));
  }
  const kinds = {};
  for (const k of [...new Set(rs.map((r) => r.kind))].sort()) {
    kinds[k] = score(rs.filter((r) => r.kind === k));
    console.log(`${name} kind ${k.padEnd(12)} ${line(kinds[k])}`);
  }
  const all = score(rs);
  console.log(`${name} relevance: ${line(all)}`);
  report.files.push({ file: name, ...all, kinds });
}
report.errors = errors;
await server.close();
await browser.close();
console.log(JSON.stringify(report));
