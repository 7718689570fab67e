// Loads every HTML page of an output folder in headless Chromium and fails if any page
// runs a payload: the payloads set `window.__xss` (in the page or, from frames, its
// parent) or open a dialog. Used by tests/xss.rs.
import { launch, serve, check, done } from "./lib.mjs";
import fs from "node:fs";
import path from "node:path";

const root = process.argv[2];
const pages = [];
(function walk(dir) {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) walk(p);
    else if (e.name.endsWith(".html")) pages.push(path.relative(root, p));
  }
})(root);

const browser = await launch();
const server = await serve(root);
const context = await browser.newContext();
let fired = [];
for (const rel of pages.sort()) {
  const page = await context.newPage();
  page.on("dialog", async (d) => { fired.push(`${rel}: dialog ${d.message()}`); await d.dismiss(); });
  await page.goto(server.url + rel.split(path.sep).map(encodeURIComponent).join("/"), { waitUntil: "load" });
  // Give onload/onfocus/ontoggle handlers and meta refreshes a moment.
  await page.waitForTimeout(150);
  // Focus and hover everything, as a user might.
  // (A redirect page may have moved on to its target meanwhile: that page is checked.)
  await page.evaluate(() => {
    for (const el of document.querySelectorAll("*")) {
      el.dispatchEvent(new MouseEvent("mouseover", { bubbles: true }));
    }
  }).catch(() => page.waitForLoadState("load"));
  for (const frame of page.frames()) {
    const v = await frame.evaluate(() => window.__xss).catch(() => undefined);
    if (v !== undefined) fired.push(`${rel}: window.__xss = ${v} in ${frame.url()}`);
  }
  await page.close();
}
check(fired.length === 0, `payloads ran:\n${fired.join("\n")}`);
console.log(`${pages.length} pages loaded`);
await browser.close();
await server.close();
done("xss");
