// The change page (/<unit>/niem-yet/thay-doi/) and the disclosure report (/kiem-soat/) in
// Chromium: `node changes.mjs <output> <unit path> <day id>`.
// - printed with a day as the page's target, only that day is shown; printed without,
//   every day is, each starting a new sheet;
// - the report's table sorts by a column with JavaScript and is the plain table in the
//   site's order without it;
// - both fit a 320 px screen without the page scrolling sideways.
import { launch, serve, check, done } from "./lib.mjs";

const [root, unit, day] = process.argv.slice(2);
const site = await serve(root);
const browser = await launch();

const changes = `${site.url}${unit}/niem-yet/thay-doi/`;
{
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.emulateMedia({ media: "print" });
  await page.goto(changes);
  const shown = () =>
    page.$$eval(".change-day", (ds) =>
      ds.filter((d) => getComputedStyle(d).display !== "none").map((d) => d.id));
  const all = await shown();
  check(all.length >= 2, `every day printed without a target: ${all}`);
  const breaks = await page.$$eval(".change-day", (ds) =>
    ds.map((d) => getComputedStyle(d).breakBefore));
  check(breaks.slice(1).every((b) => b === "page"), `each day starts a new sheet: ${breaks}`);
  // The day's link makes it the target; the print then holds it alone.
  await page.emulateMedia({ media: "screen" });
  await page.evaluate(() => { window.print = () => { window.__printed = true; }; });
  await page.click(`a.change-print[href="#${day}"]`);
  check(await page.evaluate(() => window.__printed === true), "the link opens the print dialog");
  await page.emulateMedia({ media: "print" });
  const alone = await shown();
  check(alone.length === 1 && alone[0] === day, `printed alone: ${alone} (want ${day})`);
  const pdf = await page.pdf({ format: "A4" });
  check(pdf.length > 1000, "the day prints");
  await page.close();
}

const report = `${site.url}kiem-soat/`;
const column = async (page, n) =>
  page.$$eval(".report-table tbody tr", (rows, n) =>
    rows.map((r) => r.cells[n].textContent.trim()), n);
{
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.goto(report);
  const names = await column(page, 0);
  const before = await column(page, 1);
  await page.click(".report-table thead th:nth-child(2) button");
  const up = (await column(page, 1)).map(Number);
  check(up.every((v, i) => i === 0 || up[i - 1] <= v), `ascending: ${up}`);
  check(up.length === before.length, "every row kept");
  check(await page.$eval(".report-table thead th:nth-child(2)", (t) => t.getAttribute("aria-sort")) === "ascending",
    "aria-sort says ascending");
  await page.click(".report-table thead th:nth-child(2) button");
  const down = (await column(page, 1)).map(Number);
  check(down.every((v, i) => i === 0 || down[i - 1] >= v), `descending: ${down}`);
  // By the last change (ISO sort keys), then by the unit again: the site's order back.
  await page.click(".report-table thead th:first-child button");
  check(JSON.stringify(await column(page, 0)) === JSON.stringify(names), "sorted back by unit");
  await page.close();

  const plain = await browser.newContext({ javaScriptEnabled: false });
  const p2 = await plain.newPage();
  await p2.goto(report);
  check((await p2.$$(".report-table thead button")).length === 0, "no buttons without JavaScript");
  check(JSON.stringify(await column(p2, 0)) === JSON.stringify(names), "the site's order without JavaScript");
  check(await p2.$eval(".js-only", (e) => e.hidden), "the sorting hint hidden without JavaScript");
  await plain.close();
}

for (const url of [changes, report]) {
  const page = await browser.newPage({ viewport: { width: 320, height: 640 } });
  await page.goto(url);
  const wide = await page.evaluate(() => document.documentElement.scrollWidth);
  check(wide <= 320, `${url} is ${wide} px wide at 320 px`);
  await page.close();
}

await browser.close();
await site.close();
done("changes");
