// A real commune at real size (#24), in headless Chromium with JavaScript off:
// node real.mjs <out> <unit path> <number of current procedures>
// - the unit page at 360 px: at most 170 px per procedure, a sector index whose links
//   reach every sector, every procedure a link; at 320 px no sideways scrolling;
// - procedure pages at 360 × 800: the list of what to bring starts within two screens,
//   and the key facts give each fee tier with its amount, never "0 đồng", never a word cut
//   before "…";
// - the pack printed without scripts: no sheet asks to scan a code it does not have, each
//   gives its address in words.
import { launch, serve, check, done } from "./lib.mjs";
import fs from "node:fs";
import path from "node:path";
import { spawnSync } from "node:child_process";

const [out, unit, countArg, former] = process.argv.slice(2);
const count = Number(countArg);
const { url, close } = await serve(out, { notFoundPage: true });
const browser = await launch();
const ctx = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 360, height: 800 } });
const page = await ctx.newPage();

await page.goto(`${url}${unit}/`);
const m = await page.evaluate(() => ({
  height: document.documentElement.scrollHeight,
  rows: document.querySelectorAll("table.procs tbody tr").length,
  links: [...document.querySelectorAll("table.procs .proc-name a")].map((a) => a.getAttribute("href")),
  index: [...document.querySelectorAll(".sector-index a")].map((a) => a.getAttribute("href")),
  sectors: [...document.querySelectorAll("h3.sector-h")].map((h) => h.id),
  overflow: document.documentElement.scrollWidth > document.documentElement.clientWidth,
}));
console.log(`unit page at 360 px: ${m.height} px for ${m.rows} procedures (${(m.height / count).toFixed(0)} px each)`);
check(m.rows === count, `${m.rows} rows, want ${count}`);
check(m.height <= 170 * count, `unit page ${m.height} px at 360 px: more than 170 px per procedure`);
check(!m.overflow, "unit page scrolls sideways at 360 px");
check(m.sectors.length >= 2 && m.index.length >= m.sectors.length, `sector index ${m.index} for sectors ${m.sectors}`);
for (const id of m.sectors) check(m.index.includes(`#${id}`), `sector ${id} missing from the index`);
// The index works without scripts: following a link brings its sector to the top.
const last = m.index[m.sectors.length - 1];
await page.click(`.sector-index a[href="${last}"]`);
const top = await page.evaluate((id) => document.getElementById(id.slice(1)).getBoundingClientRect().top, last);
check(Math.abs(top) < 40, `sector link ${last} leaves the heading at ${top} px`);

await page.setViewportSize({ width: 320, height: 800 });
await page.goto(`${url}${unit}/`);
const wide = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
check(wide <= 0, `unit page at 320 px scrolls sideways by ${wide} px`);
await page.setViewportSize({ width: 360, height: 800 });

// Procedure pages: what to bring within two screens; key facts honest.
const codes = m.links.map((h) => h.replace(/\/$/, "").split("/").pop());
let worst = 0;
for (const code of codes) {
  await page.goto(`${url}${unit}/${code}/`);
  const p = await page.evaluate((code) => {
    const h = document.getElementById(`tthc-${code}-ho-so`);
    const facts = document.querySelector(".key-facts");
    return {
      y: h ? h.getBoundingClientRect().top + scrollY : -1,
      facts: facts ? facts.innerText : "",
      body: document.querySelector("main").innerText,
    };
  }, code);
  worst = Math.max(worst, p.y);
  check(p.y >= 0 && p.y <= 1600, `${code}: what to bring starts at ${p.y} px (more than two 800 px screens)`);
  check(!/(^|[^0-9.])0 đồng/.test(p.facts), `${code}: key facts say "0 đồng": ${p.facts}`);
  // Anything shortened ends with a whole word: the full text, also on the page, has
  // that word followed by a space or punctuation, never by more letters.
  for (const m of p.body.matchAll(/([^\n…–:]{1,40})…/gu)) {
    const kept = m[1];
    const next = [...p.body.matchAll(new RegExp(kept.replace(/[.*+?^${}()|[\]\\]/g, "\\$&") + "(.)", "gsu"))]
      .map((x) => x[1]).filter((c) => c !== "…");
    check(next.length > 0, `${code}: "${kept}…" shortened, and its full text is not on the page`);
    check(next.every((c) => !/[\p{L}\p{N}]/u.test(c)), `${code}: cut inside a word before "…": "${kept}…"`);
  }
  check(!/NOT_ASSIGNED_REGULATION|LOCAL_REGULATION|CENTRAL_REGULATION/.test(p.body), `${code}: a raw national code on the page`);
  check(!/(^|\n)\s*[*] /.test(p.body), `${code}: a line starts with the export's "* "`);
}
console.log(`what to bring: the lowest starts at ${worst} px (${(worst / 800).toFixed(1)} screens)`);

// Former addresses at every depth answer: the old commune's own and board addresses
// (pages that lead on) and its procedure addresses (bookmarks, boards printed before the
// merger; answered by 404.html, whose script leads on) end at the new commune's.
if (former) {
  const scripted = await browser.newPage({ viewport: { width: 360, height: 800 } });
  for (const [from, to] of [[`${former}/${codes[0]}/`, `${unit}/${codes[0]}/`], [`${former}/niem-yet/`, `${unit}/niem-yet/`], [`${former}/`, `${unit}/`]]) {
    await scripted.goto(`${url}${from}`);
    await scripted.waitForURL(`${url}${to}`, { timeout: 5000 }).catch(() => {});
    check(scripted.url() === `${url}${to}`, `former address ${from} leads to ${scripted.url()}, want ${to}`);
  }
  await scripted.close();
}

// Printed from the browser, a page says the day it is printed (site.js on beforeprint),
// not the day it was built; without scripts it says "Ngày tạo" (made on).
{
  const js = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const pp = await js.newPage();
  await pp.goto(`${url}${unit}/${codes[0]}/`);
  const file = path.join(fs.mkdtempSync("/tmp/niemyet-real-"), "page.pdf");
  await pp.pdf({ path: file, format: "A4", preferCSSPageSize: true });
  const text = spawnSync("pdftotext", ["-layout", file, "-"], { encoding: "utf8" }).stdout;
  const d = new Date();
  const two = (n) => String(n).padStart(2, "0");
  const today = `${two(d.getDate())}/${two(d.getMonth() + 1)}/${d.getFullYear()}`;
  const sheets = text.split("\f").filter((t) => t.trim());
  check(sheets.length > 0 && sheets.every((t) => t.includes(`Ngày in ${today}`)), `printed page without "Ngày in ${today}" on every sheet:\n${text.slice(-600)}`);
  check(!text.includes("Ngày tạo"), "printed page still says Ngày tạo");
  fs.rmSync(path.dirname(file), { recursive: true });
  await js.close();
  await page.goto(`${url}${unit}/niem-yet/`);
  const cover = await page.evaluate(() => document.querySelector(".board-dates").innerText);
  check(/Ngày tạo/.test(cover) && !/Ngày in/.test(cover), `without scripts the cover claims a print date: ${cover}`);
}

// The pack printed with scripts off: a procedure sheet's QR code is drawn by qr.js, so
// without it the sheet has no code and no caption asking to scan one, and still gives
// its address in words (the unit's own page of the procedure).
{
  await page.goto(`${url}${unit}/niem-yet/`);
  const sheets = await page.evaluate(() => [...document.querySelectorAll("article.sheet-procedure")].map((a) => a.getAttribute("data-qr")));
  check(sheets.length === count, `${sheets.length} procedure sheets with an address for their code, want ${count}`);
  const file = path.join(fs.mkdtempSync("/tmp/niemyet-real-"), "board.pdf");
  await page.pdf({ path: file, preferCSSPageSize: true });
  // A whole pack's text is megabytes: more than spawnSync's default 1 MB buffer.
  const text = spawnSync("pdftotext", ["-layout", file, "-"], { encoding: "utf8", maxBuffer: 1 << 28 }).stdout.replace(/\s+/g, " ");
  check(!text.includes("Quét mã QR để xem thủ tục này"), "printed without scripts, a sheet asks to scan a code it does not have");
  const missing = sheets.filter((a) => !text.includes(a));
  check(missing.length === 0, `printed without scripts, ${missing.length} sheets do not give their address, e.g. ${missing[0]}`);
  console.log(`pack printed without scripts: ${sheets.length} sheets give their address in words, none asks to scan`);
  fs.rmSync(path.dirname(file), { recursive: true });
}

await browser.close();
await close();
done("real");
