// Search in Chromium on the fixture of tests/search.rs: queries typed without diacritics,
// in NFD, with codes and typos each find the expected procedure FIRST, over HTTP and from
// file://; facets filter; a unit page's search starts scoped and widens in one click; the
// browser folds like niemyet::text::fold; with JavaScript off the form still leads to a
// list of every procedure. Usage: node search.mjs <site-output-dir> <fold-cases.json>
import { launch, serve, check, done } from "./lib.mjs";
import fs from "node:fs";
import path from "node:path";
const started = Date.now();

const out = path.resolve(process.argv[2]);
const foldCases = JSON.parse(fs.readFileSync(process.argv[3], "utf8"));
const browser = await launch();
const server = await serve(out);

// [query, expected first name, expected code or null]: 30+ queries, most typed without
// diacritics, some in NFD, with codes, typos, keywords and a unit's own procedure.
const NFD = (s) => s.normalize("NFD");
const QUERIES = [
  ["dang ky khai sinh", "Đăng ký khai sinh", "1.001193"],
  ["khai sinh", "Đăng ký khai sinh", "1.001193"],
  ["dang ky khai tu", "Đăng ký khai tử", "1.000656"],
  ["1.004194", "Đăng ký tạm trú", "1.004194"],
  ["2.000884", null, "2.000884"],
  ["ma 1.000894", "Đăng ký kết hôn", "1.000894"], // a code inside other words
  ["1.0048", null, "1.004837"], // the start of a code: codes in order
  ["1.00487", null, "1.004873"],
  ["chung thuc ban sao", null, "2.000815"],
  ["chung thuc chu ky", null, "2.000884"],
  ["dang ky ket hon", "Đăng ký kết hôn", "1.000894"],
  ["tam tru", "Đăng ký tạm trú", "1.004194"],
  ["dang ky tam t", "Đăng ký tạm trú", "1.004194"],
  ["thuong tru", "Đăng ký thường trú", "1.004222"],
  ["tach ho", "Tách hộ", "1.010038"],
  ["ly lich tu phap", null, "3.000333"],
  ["giam ho", "Đăng ký giám hộ", "1.004837"],
  ["nhan cha me con", "Đăng ký nhận cha, mẹ, con", "1.001022"],
  ["xac nhan tinh trang hon nhan", "Cấp Giấy xác nhận tình trạng hôn nhân", "1.004873"],
  ["ban sao trich luc", null, "2.000635"],
  ["nha may che bien cay an qua", null, "1.014378"],
  ["thanh lap ho kinh doanh", "Đăng ký thành lập hộ kinh doanh", "1.001612"],
  ["dang ky khia sinh", "Đăng ký khai sinh", "1.001193"], // a typo: swapped letters
  ["xac nhan tinh trang hon nhna", null, "1.004873"], // a typo: swapped letters
  ["dang ky thuonq tru", "Đăng ký thường trú", "1.004222"], // a typo: one letter wrong
  ["thuy loi", "Hỗ trợ kinh phí thuỷ lợi", "9.000001"], // NFD content, "thuỷ"
  ["thủy lợi", "Hỗ trợ kinh phí thuỷ lợi", "9.000001"], // the other tone placement
  ["tuoi tieu", "Hỗ trợ kinh phí thuỷ lợi", "9.000001"], // a keyword
  ["hoa giai vien", "Công nhận hòa giải viên", "9.000002"], // NFD, "hòa"
  ["hoà giải", "Công nhận hòa giải viên", "9.000002"],
  ["dao duong", "Cấp phép đào đường giao thông nông thôn", "9.100001"], // a unit's own, NFD
  [NFD("Đăng ký kết hôn"), "Đăng ký kết hôn", "1.000894"], // typed in NFD
  ["DANG KY THUONG TRU", "Đăng ký thường trú", "1.004222"],
];

async function ready(page) {
  await page.waitForSelector("#search-form[data-ready]", { timeout: 10000 });
}

async function first(page) {
  return page.evaluate(() => {
    const r = document.querySelector("#results li");
    if (!r) return null;
    const a = r.querySelector(".result-name");
    return {
      name: a.textContent, href: a.getAttribute("href"),
      code: r.querySelector(".code").textContent.trim(), meta: r.querySelector(".result-meta").textContent,
    };
  });
}

// Types the end of a query key by key (as a phone does; each key searches again).
async function type(page, q) {
  const cut = Math.max(0, q.length - 2);
  await page.fill("#q", q.slice(0, cut));
  await page.locator("#q").pressSequentially(q.slice(cut));
}

async function queries(label, url) {
  const page = await browser.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await page.goto(url);
  await ready(page);
  for (const [q, name, code] of QUERIES) {
    await type(page, q);
    const f = await first(page);
    check(f !== null, `${label}: "${q}" found nothing`);
    if (!f) continue;
    if (name) check(f.name === name, `${label}: "${q}" first is "${f.name}", expected "${name}"`);
    if (code) check(f.code === code, `${label}: "${q}" first is ${f.code} ${f.name}, expected ${code}`);
  }
  // The query is in the address, so a reload or a shared link shows the same results.
  await type(page, "tach ho");
  // The address follows the search of the last key, which may still be running: wait
  // for it (up to 5 s) rather than read it at once (a busy machine showed "q=tach+h").
  for (let t = 0; t < 50 && !/[?&]q=tach\+ho/.test(page.url()); t++) {
    await page.waitForTimeout(100);
  }
  check(/[?&]q=tach\+ho/.test(page.url()), `${label}: address keeps the query: ${page.url()}`);
  await page.reload();
  await ready(page);
  check((await page.inputValue("#q")) === "tach ho", `${label}: reload keeps the query`);
  check((await first(page))?.code === "1.010038", `${label}: reload shows the results`);
  check(errors.length === 0, `${label}: JS errors: ${errors.join("; ")}`);
  await page.close();
}

await queries("http", server.url + "tim-kiem/");
await queries("file://", "file://" + path.join(out, "tim-kiem/index.html"));

// Folding agrees with niemyet::text::fold on NFC and NFD, both tone placements, codes.
{
  const page = await browser.newPage();
  await page.goto(server.url + "tim-kiem/");
  await ready(page);
  const got = await page.evaluate((cases) => cases.map(([s]) => {
    const f = window.NIEMYET_SEARCH.fold(s);
    return [f, window.NIEMYET_SEARCH.tokens(f)];
  }), foldCases);
  foldCases.forEach(([s, want, words], i) => {
    check(got[i][0] === want, `fold(${JSON.stringify(s)}): browser ${JSON.stringify(got[i][0])}, niemyet ${JSON.stringify(want)}`);
    check(JSON.stringify(got[i][1]) === JSON.stringify(words), `tokens(${JSON.stringify(s)}): browser ${JSON.stringify(got[i][1])}, niemyet ${JSON.stringify(words)}`);
  });
  check(foldCases.length >= 30, "fold cases arrived");
  await page.close();
}

// Codes in any state: a repealed procedure is found by its code (the catalogue's and a
// unit's own), marked, with its date and replacement, and its page opens; an upcoming one
// is marked too. Their words do not find them.
for (const [label, base, index] of [["http", server.url, ""], ["file://", "file://" + out + "/", "index.html"]]) {
  const page = await browser.newPage();
  await page.goto(base + "tim-kiem/" + index);
  await ready(page);
  const rows = async () => page.locator("#results li").evaluateAll((els) => els.map((e) => ({
    code: e.querySelector(".code").textContent.trim(), tag: e.querySelector(".tag")?.textContent || "",
    href: e.querySelector(".result-name").getAttribute("href"), meta: e.querySelector(".result-meta").textContent,
    replaced: e.querySelector(".result-meta a")?.getAttribute("href") || "",
  })));
  await type(page, "2.001023");
  let r = await rows();
  check(r.length === 1 && r[0].code === "2.001023" && r[0].tag === "Đã bãi bỏ", `${label}: repealed code found and marked: ${JSON.stringify(r)}`);
  check(r[0]?.meta.includes("Bãi bỏ từ ngày 01/03/2026") && r[0]?.replaced.endsWith("tthc/1.001193/" + index), `${label}: repealed on, replaced by: ${JSON.stringify(r[0])}`);
  check(r[0]?.href.endsWith("tthc/2.001023/" + index), `${label}: repealed links to its page: ${r[0]?.href}`);
  await type(page, "9.000002");
  r = await rows();
  check(r.length === 1 && r[0].tag === "Sắp có hiệu lực", `${label}: upcoming code marked: ${JSON.stringify(r)}`);
  await type(page, "9.00000");
  r = await rows();
  check(r.map((x) => x.code).join() === "9.000001,9.000002,9.000003", `${label}: a code's start lists codes in every state: ${r.map((x) => x.code)}`);
  await type(page, "cap giay chung nhan ho tich cu");
  r = await rows();
  check(!r.some((x) => x.code === "9.000003"), `${label}: a repealed procedure's words do not find it`);
  await page.click("#q");
  await type(page, "2.001023");
  await page.click("#results li .result-name >> nth=0");
  await page.waitForLoadState();
  check((await page.locator("h1").innerText()).includes("Liên thông"), `${label}: the repealed procedure's page opens`);
  // Scoped to the commune publishing it, a unit's own repealed procedure links into it.
  await page.goto(base + "tim-kiem/" + index + "?u=tuyen-quang/xa-thu-nghiem");
  await ready(page);
  await type(page, "9.100002");
  r = await rows();
  check(r.length === 1 && r[0].tag === "Đã bãi bỏ" && r[0].href.endsWith("tuyen-quang/xa-thu-nghiem/9.100002/" + index), `${label}: a unit's repealed procedure: ${JSON.stringify(r)}`);
  await page.close();
}

// Facets.
{
  const page = await browser.newPage();
  await page.goto(server.url + "tim-kiem/");
  await ready(page);
  const all = async () => page.locator("#results li").evaluateAll((els) => els.map((e) => ({
    name: e.querySelector(".result-name").textContent, meta: e.querySelector(".result-meta").textContent,
    code: e.querySelector(".code").textContent.trim(),
  })));
  await page.selectOption("#f-sector", { label: "Chứng thực" });
  let r = await all();
  check(r.length === 2 && r.every((x) => x.meta.includes("Chứng thực")), `sector facet: ${JSON.stringify(r.map((x) => x.code))}`);
  await page.selectOption("#f-sector", "");
  await page.selectOption("#f-level", { label: "Cấp tỉnh" });
  r = await all();
  check(r.some((x) => x.code === "3.000333") && !r.some((x) => x.code === "1.001193"), `level facet: ${r.map((x) => x.code)}`);
  await page.selectOption("#f-level", "");
  await page.selectOption("#f-online", { label: "Dịch vụ công trực tuyến một phần" });
  r = await all();
  check(r.length === 1 && r[0].code === "9.000001", `online facet: ${r.map((x) => x.code)}`);
  await page.selectOption("#f-online", "");
  await page.selectOption("#f-status", "1");
  r = await all();
  const tags = await page.locator("#results li").evaluateAll((els) => els.map((e) => e.querySelector(".tag")?.textContent));
  check(r.some((x) => x.code === "9.000002") && tags.every((t) => t === "Sắp có hiệu lực"), `status facet (upcoming): ${r.map((x) => x.code)} ${tags}`);
  await page.selectOption("#f-status", "0");
  await type(page, "hoa giai");
  r = await all();
  check(!r.some((x) => x.code === "9.000002"), `status facet (current) leaves out the upcoming one`);
  await page.selectOption("#f-status", "");
  // A unit includes its sub-units: the former district has none of its own.
  await page.selectOption("#f-unit", "tuyen-quang/huyen-ham-yen");
  await page.waitForSelector("#search-form[data-ready]");
  await type(page, "khai sinh");
  let f = await first(page);
  check(f && f.code === "1.001193" && f.href.endsWith("tuyen-quang/huyen-ham-yen/xa-yen-thuan/1.001193/"), `unit facet with sub-units: ${JSON.stringify(f)}`);
  await type(page, "dang ky ket hon");
  r = await all();
  check(!r.some((x) => x.code === "1.000894"), `unit facet leaves out what its sub-units do not publish: ${r.map((x) => x.code)}`);
  await page.close();
}

// From a unit's page: the header box searches that unit first; one click widens.
for (const [label, base, index] of [["http", server.url, ""], ["file://", "file://" + out + "/", "index.html"]]) {
  const page = await browser.newPage();
  const requested = [];
  page.on("request", (r) => requested.push(r.url()));
  await page.goto(base + "tuyen-quang/xa-dong-loi/" + index);
  await page.fill("#site-q", "khai sinh");
  await page.press("#site-q", "Enter");
  await page.waitForURL(/tim-kiem\//);
  await ready(page);
  check(/[?&]u=tuyen-quang%2Fxa-dong-loi/.test(page.url()), `${label}: scoped address ${page.url()}`);
  // Only what the commune publishes: its catalogue groups, no site-wide files.
  const idx = requested.filter((u) => u.includes("/idx/")).map((u) => u.replace(/^.*\/idx\//, "").replace(/\?.*$/, ""));
  check(idx.includes("catalog.js") && idx.some((f) => f.startsWith("c/")) && !idx.includes("shared.js") && !idx.includes("local.js"), `${label}: a commune's search loads ${idx}`);
  check(await page.locator("#scope").isVisible(), `${label}: scope shown`);
  check((await page.locator("#scope-name").innerText()) === "Xã Đông Lợi", `${label}: scope names the unit`);
  let f = await first(page);
  check(f && f.code === "1.001193" && f.href.endsWith("tuyen-quang/xa-dong-loi/1.001193/" + index), `${label}: scoped first result links into the unit: ${JSON.stringify(f)}`);
  check(f && f.meta.startsWith("Xã Đông Lợi"), `${label}: the result names the unit`);
  await type(page, "ly lich tu phap");
  const codes = await page.locator("#results li .code").allInnerTexts();
  check(!codes.some((c) => c.trim() === "3.000333"), `${label}: the commune does not publish 3.000333: ${codes}`);
  await page.click("#widen");
  await page.waitForSelector("#search-form[data-ready]");
  f = await first(page);
  check(f && f.code === "3.000333", `${label}: widened search finds it: ${JSON.stringify(f)}`);
  check(!(await page.locator("#scope").isVisible()), `${label}: scope gone after widening`);
  // Widened, the home unit's procedures still come first and link into it.
  await type(page, "dang ky khai sinh");
  f = await first(page);
  check(f && f.href.endsWith("tuyen-quang/xa-dong-loi/1.001193/" + index), `${label}: widened keeps the unit first: ${JSON.stringify(f)}`);
  // Following a result opens the procedure page.
  await page.click("#results li .result-name >> nth=0");
  await page.waitForLoadState();
  check((await page.locator("h1").innerText()).includes("Đăng ký khai sinh"), `${label}: result opens the procedure`);
  await page.close();
}

// 320 px: the header box and the search page fit a small phone.
{
  const ctx = await browser.newContext({ viewport: { width: 320, height: 700 } });
  const page = await ctx.newPage();
  for (const p of ["tuyen-quang/xa-dong-loi/", "tim-kiem/?q=chung+thuc&u=tuyen-quang/xa-dong-loi"]) {
    await page.goto(server.url + p);
    if (p.startsWith("tim")) await ready(page);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    check(overflow <= 1, `${p} at 320px: ${overflow}px too wide`);
  }
  await ctx.close();
}

// JavaScript off: the form still leads to a list of every procedure, with links.
{
  const ctx = await browser.newContext({ javaScriptEnabled: false });
  const page = await ctx.newPage();
  await page.goto(server.url + "tuyen-quang/xa-dong-loi/");
  await page.fill("#site-q", "khai sinh");
  await page.press("#site-q", "Enter");
  await page.waitForURL(/tim-kiem\/\?q=khai\+sinh/);
  check(await page.locator("noscript").count() === 1 && (await page.content()).includes("cần JavaScript"), "no-JS notice");
  const link = page.locator("#az a", { hasText: "Đăng ký khai sinh" }).first();
  check(await link.isVisible(), "no-JS: the A–Z lists Đăng ký khai sinh");
  check(await page.locator("#az a", { hasText: "Hỗ trợ kinh phí thuỷ lợi" }).count() === 1, "no-JS: NFD content listed in NFC");
  await link.click();
  await page.waitForLoadState();
  check(page.url().endsWith("/tthc/1.001193/"), `no-JS: the link leads to the procedure, got ${page.url()}`);
  await ctx.close();
}

await server.close();
await browser.close();
console.log(`search.mjs: ${((Date.now() - started) / 1000).toFixed(1)} s`);
done("search");
