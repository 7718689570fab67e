// Runs axe-core (WCAG 2.1 A and AA rules) on the given pages of an output folder in
// headless Chromium at a phone's width (320 px, the narrowest the theme supports). Used by
// tests/valid.rs.
// Usage: node axe.mjs <output-dir> <page.html>...
import { launch, serve, check, done } from "./lib.mjs";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const axePath = require.resolve("axe-core/axe.min.js");
const [root, ...pages] = process.argv.slice(2);
const browser = await launch();
const server = await serve(root);
let total = 0;
for (const width of [320]) {
  const context = await browser.newContext({ viewport: { width, height: 800 } });
  for (const rel of pages) {
    const page = await context.newPage();
    // A redirect page would leave before axe runs: check it with its meta refresh
    // taken out (everything else as served).
    await page.route(server.url + rel, async (route) => {
      const response = await route.fetch();
      const body = (await response.text()).replace(/<meta http-equiv="refresh"[^>]*>/i, "");
      await route.fulfill({ response, body });
    });
    await page.goto(server.url + rel, { waitUntil: "load" });
    await page.addScriptTag({ path: axePath });
    const result = await page.evaluate(async () => {
      // eslint-disable-next-line no-undef
      const r = await axe.run(document, {
        runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] },
      });
      return r.violations.map((v) => ({
        id: v.id, impact: v.impact, help: v.help,
        nodes: v.nodes.slice(0, 3).map((n) => n.target.join(" ") + " " + (n.failureSummary || "").split("\n").slice(1, 2).join("")),
      }));
    });
    total += result.length;
    for (const v of result) {
      check(false, `${rel} @${width}px: ${v.id} (${v.impact}): ${v.help}\n    ${v.nodes.join("\n    ")}`);
    }
    await page.close();
  }
  await context.close();
}
console.log(`axe: ${pages.length} pages at 320 px, ${total} violations`);
await browser.close();
await server.close();
done("axe");
