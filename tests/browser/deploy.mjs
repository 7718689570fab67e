// The output served by nginx at a sub-path with the block of docs/deploying.md
// (tests/deploy.rs starts it): the types, charset, compression and caching the page
// promises, robots.txt and the icon, and in Chromium a missing address at any depth
// answered by 404.html with its style and working links, an old commune's procedure
// address led on by it, and page views that ask for nothing the server lacks (no icon
// 404).
// The site is built for its real address (`published`, a host this machine cannot
// reach) and served here at the same path: nothing may depend on reaching that host.
// Usage: node deploy.mjs <local url, ending in /thu-tuc/> <published url> [screenshot folder]
import { launch, check, done } from "./lib.mjs";

const base = process.argv[2];
const published = process.argv[3];
const shots = process.argv[4];

async function head(path, headers = {}) {
  const r = await fetch(base + path, { headers });
  await r.arrayBuffer();
  return r;
}

const types = {
  "": "text/html; charset=utf-8",
  "tuyen-quang/data.csv": "text/csv; charset=utf-8",
  "tuyen-quang/data.json": "application/json; charset=utf-8",
  "feed.xml": "application/atom+xml; charset=utf-8",
  "sitemap.xml": "application/xml; charset=utf-8",
  "robots.txt": null,
  "favicon.ico": "image/x-icon",
  "static/icon.svg": "image/svg+xml; charset=utf-8",
  "static/style.css": "text/css; charset=utf-8",
};
for (const [path, type] of Object.entries(types)) {
  const r = await head(path);
  check(r.status === 200, `${path}: status ${r.status}`);
  if (type) check(r.headers.get("content-type") === type, `${path}: ${r.headers.get("content-type")}, want ${type}`);
}
const robots = await (await fetch(base + "robots.txt")).text();
check(robots.includes(`Sitemap: ${published}sitemap.xml`), `robots.txt: ${robots}`);
const gz = await head("tuyen-quang/data.json", { "accept-encoding": "gzip" });
check(gz.headers.get("content-encoding") === "gzip", `data.json not compressed: ${gz.headers.get("content-encoding")}`);
check((await head("")).headers.get("cache-control") === "max-age=300", "pages: max-age=300");
check((await head("static/style.css")).headers.get("cache-control") === "max-age=86400", "static: a day");

const browser = await launch();
const page = await browser.newPage({ viewport: { width: 360, height: 740 } });
const failed = [];
page.on("response", (r) => { if (r.status() >= 400 && !r.url().includes("/khong-co/")) failed.push(`${r.status()} ${r.url()}`); });
page.on("requestfailed", (r) => failed.push(`${r.failure()?.errorText} ${r.url()}`));
// Page views: the home page, a unit, a procedure: nothing they load is missing.
for (const path of ["", "tuyen-quang/", "tuyen-quang/xa-dong-loi/1.001193/"]) {
  const r = await page.goto(base + path);
  check(r.status() === 200, `${path}: ${r.status()}`);
  const icons = await page.$$eval("link[rel=icon]", (ls) => ls.map((l) => l.href));
  check(icons.length === 2, `${path}: icons ${icons}`);
  const desc = await page.$eval("meta[name=description]", (m) => m.content).catch(() => "");
  check(desc.length > 20, `${path}: meta description ${JSON.stringify(desc)}`);
}
const homeFont = await page.goto(base).then(() =>
  page.$eval(".site-header", (h) => getComputedStyle(h).borderBottomWidth + " " + getComputedStyle(document.body).fontFamily));
// A missing address, at several depths under the site: the 404 page, styled as the
// others, its links leading to real pages.
for (const missing of ["khong-co/", "khong-co/a/b/c/", "tuyen-quang/khong-co/1.2.3/"]) {
  const r = await page.goto(base + missing);
  check(r.status() === 404, `${missing}: status ${r.status()}`);
  check((await page.title()).startsWith("Không tìm thấy trang"), `${missing}: ${await page.title()}`);
  const style = await page.$eval(".site-header", (h) => getComputedStyle(h).borderBottomWidth + " " + getComputedStyle(document.body).fontFamily);
  check(style === homeFont, `${missing}: styled ${style}, the home page ${homeFont}`);
  const links = await page.$$eval("a[href]", (as) => as.map((a) => a.href).filter((h) => !h.includes("#")));
  for (const href of links) {
    const status = await fetch(href).then((lr) => lr.status, (e) => e.cause?.code || String(e));
    check(status === 200, `${missing}: link ${href} answers ${status}`);
  }
  check(links.some((h) => h === base), `${missing}: no link home (${links})`);
  if (shots && missing === "khong-co/a/b/c/") {
    await page.screenshot({ path: `${shots}/404-360.png`, fullPage: true });
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.screenshot({ path: `${shots}/404-1280.png`, fullPage: true });
    await page.setViewportSize({ width: 360, height: 740 });
  }
}
check(failed.length === 0, `requests that failed: ${failed.join(", ")}`);

// An address below a former commune (on a board printed before 2025) has no page: nginx
// answers it with 404.html, whose script leads it to the new commune's page of the same
// procedure (tests/browser/moved.mjs tries every case).
const old = await browser.newPage({ viewport: { width: 360, height: 740 } });
const from = base + "tuyen-quang/huyen-son-duong/xa-dong-loi/1.001193/";
const to = base + "tuyen-quang/xa-dong-loi/1.001193/";
const moved = await old.goto(from);
check(moved.status() === 404, `${from}: status ${moved.status()}`);
await old.waitForURL(to, { timeout: 5000 }).catch(() => {});
check(old.url() === to, `${from}: ended at ${old.url()}, want ${to}`);
await browser.close();
done("deploy");
