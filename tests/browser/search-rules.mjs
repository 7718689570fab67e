// The search client's rules, each on a small index where the rule decides the order, in
// Chromium: the real themes/default/static/search.js loaded into a blank page and given
// index parts as niemyet writes them (NIEMYET_SEARCH.add). Usage: node search-rules.mjs
import { launch, check, done } from "./lib.mjs";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const client = fs.readFileSync(path.join(here, "../../themes/default/static/search.js"), "utf8");
const browser = await launch();

// A fresh client holding `docs` ({ name, kw, body, code, status }), `lexicon` and
// `repealed`; returns a function giving the codes a query finds, in order.
async function index(docs, { lexicon = null, repealed = [] } = {}) {
  const page = await browser.newPage();
  page.on("pageerror", (e) => check(false, `JS error: ${e.message}`));
  await page.setContent("<!doctype html><title>t</title>");
  await page.addScriptTag({ content: client });
  await page.evaluate(({ docs, lexicon, repealed }) => {
    const S = window.NIEMYET_SEARCH;
    const words = (t) => S.tokens(S.fold(t || ""));
    const part = {
      build: "t", units: [["u", "Xã U", -1, -1, docs.length]], sectors: ["Lĩnh vực"], sets: [],
      groups: [], group_sizes: [], repealed, lexicon, docs: [],
    };
    docs.forEach((d, i) => {
      const own = new Set(words(d.name).concat(words(d.kw)));
      const body = [...new Set(words(d.body))].filter((w) => !own.has(w)).sort().join(" ");
      part.docs.push([i, d.code || "1." + String(i).padStart(6, "0"), d.name, 0, 8, 0, d.status || 0,
        "", "", S.fold(d.name), S.fold(d.kw || ""), body, 0]);
    });
    S.add(part);
  }, { docs, lexicon, repealed });
  const find = (q) => page.evaluate((q) => window.NIEMYET_SEARCH.search(q).map((d) => d[1]), q);
  find.page = page;
  return find;
}
const order = (got, codes) => codes.every((c, i) => i === 0 || got.indexOf(codes[i - 1]) < got.indexOf(c)) && codes.every((c) => got.includes(c));
// Documents that make common syllables common (their idf low), as in real data.
const common = Array.from({ length: 40 }, (_, i) => ({
  code: "5." + String(i).padStart(6, "0"),
  name: ["Cấp giấy phép hoạt động", "Đăng ký thay đổi", "Cấp giấy chứng nhận", "Thủ tục đăng ký"][i % 4] + " số " + i,
  body: "hồ sơ gồm đơn đề nghị cấp giấy phép, bản sao giấy tờ, thủ tục đăng ký",
}));

// Every word first: a longer name holding every word before a short one missing a word;
// a word nothing holds does not empty the list.
{
  const find = await index([
    { code: "1.1", name: "Đăng ký khai sinh" },
    { code: "1.2", name: "Thủ tục đăng ký khai sinh cho trường hợp lưu động tại nhà của người dân" },
    { code: "1.3", name: "Đăng ký kết hôn lưu động" },
    ...common,
  ]);
  let got = await find("đăng ký khai sinh lưu động");
  check(got[0] === "1.2", `every word first: ${got}`);
  got = await find("dang ky khai sinh qwzx");
  check(got[0] === "1.1" && got.includes("1.2"), `a word nothing holds: ${got}`);
  await find.page.close();
}

// Names before keywords before the text.
{
  const find = await index([
    { code: "2.3", name: "Thông báo hoạt động", body: "karaoke" },
    { code: "2.2", name: "Thông báo hoạt động", kw: "karaoke" },
    { code: "2.1", name: "Thông báo hoạt động karaoke" },
    ...common,
  ]);
  check(order(await find("karaoke"), ["2.1", "2.2"]), `name before keywords: ${await find("karaoke")}`);
  check(order(await find("karaoke thong bao"), ["2.1", "2.2", "2.3"]), `keywords before text: ${await find("karaoke thong bao")}`);
  await find.page.close();
}

// Words side by side in the name, as in the query, before the same syllables apart.
{
  const find = await index([
    { code: "3.1", name: "Khai báo thông tin của sinh viên" },
    { code: "3.2", name: "Thông tin về khai sinh của người" },
    ...common,
  ]);
  const got = await find("khai sinh");
  check(got[0] === "3.2", `syllables side by side first: ${got}`);
  await find.page.close();
}

// Common syllables weigh little: the rare word in the name beats the common ones there.
{
  const find = await index([
    { code: "4.1", name: "Cấp giấy phép hoạt động đặc biệt", body: "karaoke" },
    { code: "4.2", name: "Kinh doanh dịch vụ karaoke", body: "cấp giấy phép" },
    ...common,
  ]);
  const got = await find("cap giay phep karaoke");
  check(got[0] === "4.2", `a rare word outweighs common ones: ${got}`);
  await find.page.close();
}

// Spelling: i or y, both tone placements, Telex and VNI keys left in, one typo in a word of
// four letters or more, NFD input.
{
  const find = await index([
    { code: "6.1", name: "Đăng ký kết hôn" },
    { code: "6.2", name: "Trợ cấp thờ cúng liệt sĩ" },
    { code: "6.3", name: "Công nhận hoà giải viên" },
    { code: "6.4", name: "Giải quyết trợ cấp tuất" },
    { code: "6.5", name: "Cấp giấy chứng nhận mỹ phẩm" },
    ...common,
  ]);
  for (const [q, code] of [["đăng kí kết hôn", "6.1"], ["dang ki ket hon", "6.1"], ["liet sy", "6.2"],
    ["liệt sỹ", "6.2"], ["hòa giải", "6.3"], ["hoà giải", "6.3"], ["ddawng kys ket hon", "6.1"],
    ["dangw ky ket hoon", "6.1"], ["d9a8ng ky1 ke6t ho6n", "6.1"], ["tro caapj tuaats", "6.4"],
    ["dang ky ket hno", "6.1"], ["giai qyuet tro cap tuat", "6.4"], ["mĩ phẩm", "6.5"],
    ["Đăng ký kết hôn".normalize("NFD"), "6.1"]]) {
    const got = await find(q);
    check(got[0] === code, `spelling "${q}": ${got[0]}, expected ${code}`);
  }
  // A typo is forgiven in words of four letters or more only.
  check((await find("ket hnon"))[0] === "6.1", `a typo in four letters: ${await find("ket hnon")}`);
  check((await find("hob")).length === 0, `no typo in three letters: ${await find("hob")}`);
  check((await find("qqq")).length === 0, "nothing like it: no result");
  await find.page.close();
}

// The lexicon: what people say finds the official wording; fillers are not required;
// marks typed choose between words that fold alike ("gà", "ga").
{
  const lexicon = {
    fillers: ["làm", "xin", "thủ tục"],
    secondary: [], narrower: [],
    terms: [
      ["sổ đỏ", "giay chung nhan quyen su dung dat"],
      ["gà", "gia cam"],
      ["ga", "khi dau mo hoa long"],
      ["chuyển khẩu", "dang ky thuong tru"],
      ["cccd", "the can cuoc"],
    ],
  };
  const find = await index([
    { code: "7.1", name: "Cấp Giấy chứng nhận quyền sử dụng đất lần đầu" },
    { code: "7.2", name: "Khai báo màu sơn đỏ của sổ tay" },
    { code: "7.3", name: "Kiểm dịch gia cầm" },
    { code: "7.4", name: "Kinh doanh khí dầu mỏ hóa lỏng" },
    { code: "7.5", name: "Đăng ký thường trú" },
    { code: "7.6", name: "Cấp lại thẻ căn cước" },
    ...common,
  ], { lexicon });
  check((await find("lam so do"))[0] === "7.1", `"lam so do": ${await find("lam so do")}`);
  check((await find("làm sổ đỏ"))[0] === "7.1", `"làm sổ đỏ": ${await find("làm sổ đỏ")}`);
  check((await find("chuyen khau"))[0] === "7.5", `"chuyen khau": ${await find("chuyen khau")}`);
  check((await find("xin thủ tục chuyển khẩu"))[0] === "7.5", "fillers are not required");
  check((await find("lam lai cccd"))[0] === "7.6", `"lam lai cccd": ${await find("lam lai cccd")}`);
  const ga = await find("gà"), gaBare = await find("ga"), gas = await find("gá");
  check(ga.includes("7.3") && !ga.includes("7.4"), `"gà": ${ga}`);
  check(gaBare.includes("7.3") && gaBare.includes("7.4"), `"ga": ${gaBare}`);
  check(!gas.includes("7.3") && !gas.includes("7.4"), `"gá": ${gas}`);
  await find.page.close();
}

// A secondary form ("cấp lại") and a narrower case ("có yếu tố nước ngoài") come after the
// main procedure, unless the query asks for them.
{
  const lexicon = {
    fillers: [], terms: [["mat", "cap lai"]],
    secondary: ["cap lai", "gia han"], narrower: ["co yeu to nuoc ngoai"],
  };
  const find = await index([
    { code: "8.1", name: "Cấp giấy phép kinh doanh dịch vụ lữ hành nội địa cho doanh nghiệp" },
    { code: "8.2", name: "Cấp lại giấy phép kinh doanh dịch vụ lữ hành nội địa" },
    { code: "8.3", name: "Đăng ký kết hôn tại xã nơi cư trú" },
    { code: "8.4", name: "Đăng ký kết hôn có yếu tố nước ngoài" },
    { code: "8.5", name: "Cấp, cấp lại thẻ hướng dẫn viên" },
    { code: "8.6", name: "Cấp lại thẻ hướng dẫn viên" },
    ...common,
  ], { lexicon });
  check((await find("giay phep lu hanh noi dia"))[0] === "8.1", `main before "cấp lại": ${await find("giay phep lu hanh noi dia")}`);
  check((await find("cap lai giay phep lu hanh"))[0] === "8.2", `"cấp lại" asked: ${await find("cap lai giay phep lu hanh")}`);
  check((await find("mat giay phep lu hanh"))[0] === "8.2", `"mất" asks for "cấp lại": ${await find("mat giay phep lu hanh")}`);
  check((await find("dang ky ket hon"))[0] === "8.3", `general before narrower: ${await find("dang ky ket hon")}`);
  check((await find("ket hon nuoc ngoai"))[0] === "8.4", `narrower asked: ${await find("ket hon nuoc ngoai")}`);
  check((await find("the huong dan vien"))[0] === "8.5", `"Cấp, cấp lại" is a main form: ${await find("the huong dan vien")}`);
  await find.page.close();
}

// Only the relevant results: those scoring well below the best are not listed.
{
  const docs = [{ code: "9.1", name: "Cấp giấy phép kinh doanh karaoke" }];
  const text = "hồ sơ gồm tờ khai, bản sao giấy tờ tùy thân, giấy phép kinh doanh karaoke của cơ sở nếu có, nộp tại bộ phận một cửa";
  for (let i = 0; i < 30; i++) docs.push({ code: "9.2" + i, name: "Thông báo số " + i, body: text });
  const find = await index(docs.concat(common));
  const got = await find("karaoke");
  check(got[0] === "9.1" && got.length < 5, `weak matches cut: ${got.length} results`);
  await find.page.close();
}

// Codes: a whole code first; the start of a code lists codes in order; repealed ones are
// found by their code only, marked with status 2.
{
  const find = await index([
    { code: "1.004194", name: "Đăng ký tạm trú" },
    { code: "1.004222", name: "Đăng ký thường trú" },
    { code: "1.004221", name: "Đăng ký thường trú cũ", status: 1 },
  ], { repealed: [["1.004200", "Đăng ký tạm vắng cũ", 0, -1, "01/07/2025", "1.004194"]] });
  check((await find("1.004222"))[0] === "1.004222", "whole code");
  check((await find("ma 1.004222"))[0] === "1.004222", "code among words");
  check((await find("1.0042")).join() === "1.004200,1.004221,1.004222", `code start: ${await find("1.0042")}`);
  const rep = await find.page.evaluate(() => window.NIEMYET_SEARCH.search("1.004200").map((d) => [d[1], d[6], d[7], d[8]]));
  check(JSON.stringify(rep) === JSON.stringify([["1.004200", 2, "01/07/2025", "1.004194"]]), `repealed code: ${JSON.stringify(rep)}`);
  check(!(await find("tam vang")).includes("1.004200"), "a repealed procedure's words do not find it");
  await find.page.close();
}

await browser.close();
done("search-rules");
