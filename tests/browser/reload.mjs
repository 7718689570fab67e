// `niemyet serve` in Chromium: an open page reloads by itself when its own output
// changes, a page the edit does not touch stays as it is, and a broken edit shows the
// errors over the page until the file is fixed.
//
// usage: node reload.mjs URL TARGET_FILE EDITED BROKEN FIXED
// (TARGET_FILE is replaced by each of the other three in turn, the way editors save.)
import { launch, check, done } from "./lib.mjs";
import fs from "node:fs";
import path from "node:path";

const [url, target, edited, broken, fixed] = process.argv.slice(2);

function save(from) {
  const tmp = path.join(path.dirname(target), "." + path.basename(target) + ".tmp");
  fs.writeFileSync(tmp, fs.readFileSync(from));
  fs.renameSync(tmp, target);
}

const browser = await launch();
const ctx = await browser.newContext({ viewport: { width: 320, height: 800 } });
const errors = [];
const page = await ctx.newPage();
page.on("pageerror", (e) => errors.push(e.message));
const other = await ctx.newPage();
other.on("pageerror", (e) => errors.push(e.message));

await page.goto(url + "tinh-thu/xa-a/1.000002/");
await other.goto(url + "tinh-thu/xa-b/");
// Wait until both pages listen to the event stream, then mark them: a reload clears it.
const listening = () => window.__niemyetLive === true;
await page.waitForFunction(listening, null, { timeout: 10000 });
await other.waitForFunction(listening, null, { timeout: 10000 });
await page.evaluate(() => { window.__marker = 1; });
await other.evaluate(() => { window.__marker = 1; });

save(edited);
const reloaded = await page
  .waitForFunction(() => !window.__marker && document.querySelector("h1")?.textContent.includes("Tên sau khi sửa"), null, { timeout: 15000 })
  .then(() => true, () => false);
check(reloaded, "the open procedure page reloaded by itself and shows the new name");
await other.waitForTimeout(500);
check(await other.evaluate(() => window.__marker === 1), "a page the edit does not change was not reloaded");

// A broken edit: the errors over the page, no reload.
await page.evaluate(() => { window.__marker = 2; });
save(broken);
const overlay = await page
  .waitForFunction(() => document.getElementById("niemyet-errors")?.textContent.includes("1.000002.md:"), null, { timeout: 15000 })
  .then(() => true, () => false);
check(overlay, "the errors (path:line:col) show over the page");
check(await page.evaluate(() => window.__marker === 2), "the broken edit did not reload the page");
const box = await page.evaluate(() => {
  const r = document.getElementById("niemyet-errors")?.getBoundingClientRect();
  return r ? { w: r.width, h: r.height } : null;
});
check(box && box.w <= 320 && box.h > 20, `the overlay fits a 320 px screen: ${JSON.stringify(box)}`);

// Fixed: the overlay goes, the page shows the fix.
save(fixed);
const cleared = await page
  .waitForFunction(() => !document.getElementById("niemyet-errors") && document.querySelector("h1")?.textContent.includes("Tên đã sửa lỗi"), null, { timeout: 15000 })
  .then(() => true, () => false);
check(cleared, "fixing the file clears the overlay and reloads the page");
check(errors.length === 0, `JS errors: ${errors.join("; ")}`);

await browser.close();
done("reload");
