// The page budget of a procedure page: gzip(HTML) + gzip(CSS) + gzip(JS) it loads, and
// that it reads with JavaScript off. Used by tests/valid.rs.
// Usage: node budget.mjs <output-dir> <page.html> <max-bytes>
// Prints `weight: <html> <css> <js> <total>` (gzip bytes).
import { launch, serve, check, done } from "./lib.mjs";
import fs from "node:fs";
import path from "node:path";
import zlib from "node:zlib";

const [root, rel, max] = process.argv.slice(2);
const browser = await launch();
const server = await serve(root);

// What the page loads, as a browser sees it (every request, so nothing is missed).
const context = await browser.newContext();
const page = await context.newPage();
const loaded = [];
page.on("requestfinished", (r) => loaded.push(new URL(r.url()).pathname));
await page.goto(server.url + rel, { waitUntil: "load" });
// The icons the page declares (<link rel="icon">) are fetched by the browser for its tab, at a
// moment of its choosing (sometimes before `load` ends, sometimes after), once per site: they
// are weighed on their own, with their own small ceiling, not as page weight.
const icons = new Set(
  await page.$$eval('link[rel~="icon"]', (ls) => ls.map((l) => new URL(l.href).pathname)),
);
await page.close();
const gz = (f) => zlib.gzipSync(fs.readFileSync(f), { level: 6 }).length;
const sizes = { html: 0, css: 0, js: 0, icon: 0, other: 0 };
const others = [];
for (const p of loaded) {
  let f = path.join(root, decodeURIComponent(p));
  if (fs.existsSync(f) && fs.statSync(f).isDirectory()) f = path.join(f, "index.html");
  const kind = icons.has(p) ? "icon" : { ".html": "html", ".css": "css", ".js": "js" }[path.extname(f)] || "other";
  if (kind === "other") others.push(p);
  sizes[kind] += gz(f);
}
const total = sizes.html + sizes.css + sizes.js;
console.log(
  `weight: ${sizes.html} ${sizes.css} ${sizes.js} ${total} (icons ${sizes.icon}, other ${sizes.other}; ${loaded.length} requests)`,
);
check(icons.size > 0, "the page declares its icon");
check(sizes.html > 0 && sizes.css > 0, `page and stylesheet measured: ${JSON.stringify(sizes)}`);
check(total <= Number(max), `gzip(HTML + CSS + JS) = ${total} bytes > ${max}`);
check(sizes.icon <= 1024, `the icons the page declares weigh ${sizes.icon} gzip bytes > 1024`);
check(sizes.other === 0, `the page loads ${sizes.other} gzip bytes of other files (${others.join(", ")})`);

// JavaScript off: the title and the key facts are there and visible.
const nojs = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 320, height: 640 } });
const p2 = await nojs.newPage();
await p2.goto(server.url + rel, { waitUntil: "load" });
const h1 = p2.locator("h1");
check(await h1.isVisible(), "h1 visible without JS");
const facts = p2.locator("main dl").first();
check(await facts.isVisible(), "key facts visible without JS");
const text = await p2.locator("main").innerText();
for (const word of ["Thời hạn giải quyết", "Phí, lệ phí"]) {
  check(text.includes(word), `"${word}" readable without JS`);
}
const scrollW = await p2.evaluate(() => document.documentElement.scrollWidth);
check(scrollW <= 320, `no sideways scrolling at 320 px without JS (${scrollW})`);
await browser.close();
await server.close();
done("budget");
