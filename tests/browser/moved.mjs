// Addresses below a former unit (bookmarks and QR codes printed on boards before the
// 2025 reorganisation) have no page of their own: served as every deploy serves a missing
// address (404.html, status 404), the page's static/moved.js leads them on. In Chromium,
// with scripts: a merged commune's procedure address ends at the new commune's page of
// that procedure, a code the new commune does not publish at its unit page; a split
// ward's is listed with each new ward's page of it; a missing address that is not a
// former unit's stays the 404 page, and nothing leads off the site. Without scripts: the
// 404 page, saying where to start.
// Usage: node moved.mjs <output dir> <old unit path> <its successor's path> <code it
//        publishes> <a split unit's old path> <a code only one of the split's publishes>
import { launch, serve, check, done } from "./lib.mjs";
import http from "node:http";

const [out, old, successor, code, split, splitOnly] = process.argv.slice(2);
const { url, close } = await serve(out, { notFoundPage: true });
const browser = await launch();

async function landing(page, from) {
  const t0 = Date.now();
  const r = await page.goto(url + from);
  await page.waitForURL((u) => u.href !== url + from, { timeout: 3000 }).catch(() => {});
  await page.waitForLoadState("load");
  return { status: r.status(), at: page.url().slice(url.length), ms: Date.now() - t0 };
}

const page = await browser.newPage({ viewport: { width: 360, height: 740 } });
const cases = [
  [`${old}/${code}/`, `${successor}/${code}/`],
  [`${old}/${code}/index.html`, `${successor}/${code}/`],
  [`${old}/${code}/#tthc-${code}-ho-so`, `${successor}/${code}/#tthc-${code}-ho-so`],
  [`${old}/9.999999/`, `${successor}/`],
  ["khong-co/1.2/", "khong-co/1.2/"],
  [`${successor}/9.999999/`, `${successor}/9.999999/`],
];
for (const [from, to] of cases) {
  const { status, at, ms } = await landing(page, from);
  console.log(`${from} → ${at} (${ms} ms)`);
  check(status === 404, `${from}: the server answers ${status}, not 404.html`);
  check(at === to, `${from}: ended at ${at}, want ${to}`);
}
// A split ward's procedure address: the 404 page shows the ward's list of new wards in
// its place, each linking to its own page of the procedure when it publishes it, else to
// its unit page; the address stays (nothing to choose for the reader).
for (const c of [code, splitOnly]) {
  const from = `${split}/${c}/`;
  const { status, at } = await landing(page, from);
  check(status === 404 && at === from, `${from}: ended at ${at} (${status})`);
  await page.waitForFunction(() => document.querySelectorAll("main a[data-successor]").length > 1, null, { timeout: 3000 }).catch(() => {});
  const links = await page.$$eval("main a[data-successor]", (as) => as.map((a) => [a.textContent, a.href]));
  const heading = await page.$eval("main h1", (h) => h.textContent).catch(() => "");
  console.log(`${from}: "${heading}" ${JSON.stringify(links)}`);
  check(links.length === 2, `${from}: ${links.length} successors listed`);
  check(!/Không tìm thấy/.test(heading), `${from}: still titled ${heading}`);
  let toCode = 0;
  for (const [name, href] of links) {
    const unitHref = href.endsWith(`/${c}/`) ? href.slice(0, -(c.length + 1)) : href;
    const own = await fetch(unitHref + `${c}/`, { method: "HEAD" });
    if (own.ok) toCode++;
    check(href === (own.ok ? unitHref + `${c}/` : unitHref), `${from}: ${name} links ${href}`);
    check((await fetch(href)).status === 200, `${from}: ${name}'s link ${href} is not a page`);
  }
  check(toCode >= 1, `${from}: no successor's link goes to the procedure`);
}

// Never off the site: an address whose "one level up" is another host (//host/x/) stays
// the 404 page, even when that host answers like a former unit's page and allows the
// read (an open redirect from a government site would send readers anywhere).
const other = http.createServer((req, res) => {
  res.writeHead(200, { "content-type": "text/html; charset=utf-8", "access-control-allow-origin": "*" });
  res.end(req.method === "HEAD" ? "" : '<a data-successor href="/elsewhere/">x</a>');
});
await new Promise((r) => other.listen(0, "127.0.0.1", r));
const host = `127.0.0.1:${other.address().port}`;
for (const from of [`/${host}/x/`, `/${host}/1.001193/`]) {
  const { at } = await landing(page, from);
  check(at === from && page.url().startsWith(url), `${from}: went to ${page.url()}`);
}
// The last part read as an address of its own ("https:host") is a path below the unit.
{
  const from = `${old}/https:${host}`;
  const { at } = await landing(page, from);
  check(page.url().startsWith(url) && at === `${successor}/`, `${from}: went to ${page.url()}`);
}
other.close();

// Where it leads is a real page of the new commune, not another 404.
await landing(page, `${old}/${code}/`);
check(
  (await page.title()).includes(await page.$eval("h1", (h) => h.textContent.trim())),
  `${old}/${code}/ led to a page titled ${await page.title()}`,
);

// Without scripts: the 404 page, which says where to start, and its link home works.
const off = await browser.newPage({ viewport: { width: 360, height: 740 }, javaScriptEnabled: false });
const r = await off.goto(url + `${old}/${code}/`);
check(r.status() === 404, `no script: status ${r.status()}`);
check(off.url() === url + `${old}/${code}/`, `no script: moved to ${off.url()}`);
const text = await off.$eval("main", (m) => m.innerText);
check(/sắp xếp lại năm 2025/.test(text), `no script: the 404 page does not say where to start: ${text}`);
check(!(await off.$eval("[data-moved-note]", (n) => n.offsetParent !== null)), "no script: the moving note shows");

await browser.close();
await close();
done("moved");
