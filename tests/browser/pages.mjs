// The bundled example in Chromium: pages render without JS errors, fit 320 px without
// horizontal scrolling, links work from file://, and the print layout is A4.
import { launch, serve, check, done } from "./lib.mjs";
import path from "node:path";

const out = path.resolve(process.argv[2]);
const browser = await launch();
const server = await serve(out);
const pages = ["", "tuyen-quang/", "tuyen-quang/xa-dong-loi/", "tuyen-quang/xa-dong-loi/1.004194/", "tthc/1.001193/"];

for (const width of [320, 1280]) {
  const ctx = await browser.newContext({ viewport: { width, height: 900 } });
  const page = await ctx.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));
  for (const p of pages) {
    const resp = await page.goto(server.url + p);
    check(resp.status() === 200, `${p}: status ${resp.status()}`);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    check(overflow <= 1, `${p} at ${width}px: ${overflow}px wider than the screen`);
    const h1 = await page.locator("h1").count();
    check(h1 === 1, `${p}: ${h1} <h1> elements`);
  }
  check(errors.length === 0, `JS errors: ${errors.join("; ")}`);
  await ctx.close();
}

// From disk: following folder links lands on index.html pages, not directory listings.
{
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  await page.goto("file://" + path.join(out, "index.html"));
  await page.click("text=Xã Đông Lợi");
  await page.waitForLoadState();
  check(page.url().endsWith("/tuyen-quang/xa-dong-loi/index.html"), `file:// navigation went to ${page.url()}`);
  check((await page.locator("h1").innerText()) === "Xã Đông Lợi", "file:// unit page has its heading");
  await ctx.close();
}

// Print: the procedure page is A4 and hides navigation.
{
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  await page.goto(server.url + "tuyen-quang/xa-dong-loi/1.004194/");
  await page.emulateMedia({ media: "print" });
  const crumbsShown = await page.locator(".crumbs").isVisible();
  check(!crumbsShown, "breadcrumbs hidden on paper");
  const pdf = await page.pdf({ preferCSSPageSize: true });
  const text = pdf.toString("latin1");
  const box = /MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]/.exec(text);
  check(box && Math.abs(parseFloat(box[1]) - 595.3) < 2 && Math.abs(parseFloat(box[2]) - 841.9) < 2, `A4 page box, got ${box && box.slice(1)}`);
  await ctx.close();
}

await server.close();
await browser.close();
done("pages");
