// Prints a unit's noticeboard pack from Debian's Firefox ESR (WebDriver BiDi, through
// puppeteer-core; no browser download) to an A4 PDF, as a clerk printing the board from
// Firefox would: node firefox-print.mjs <site-output-dir> <unit path> <out.pdf>
// The PDF is read back by the Rust test (tests/real_pages.rs) with pdftotext and zbarimg.
import puppeteer from "puppeteer-core";
import fs from "node:fs";
import path from "node:path";
import { serve } from "./lib.mjs";

export const FIREFOX = process.env.FIREFOX || "/usr/bin/firefox-esr";

const [out, unit, file] = process.argv.slice(2);
const server = await serve(path.resolve(out));
const browser = await puppeteer.launch({
  browser: "firefox",
  executablePath: FIREFOX,
  headless: true,
  // A throwaway profile with nothing fetched from the network.
  extraPrefsFirefox: { "network.proxy.type": 0, "app.update.enabled": false, "browser.shell.checkDefaultBrowser": false },
});
try {
  const page = await browser.newPage();
  const resp = await page.goto(`${server.url}${unit}/niem-yet/`, { waitUntil: "load" });
  if (!resp || resp.status() !== 200) throw new Error(`board: status ${resp && resp.status()}`);
  // The sizes of the pack's named pages (A4 portrait, the danh mục landscape) as the
  // print dialog's "use the page's size" does.
  const pdf = await page.pdf({ preferCSSPageSize: true, timeout: 300_000 });
  fs.writeFileSync(file, pdf);
  console.log(`${await browser.version()}: ${file}`);
} finally {
  await browser.close();
  await server.close();
}
