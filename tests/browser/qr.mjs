// The noticeboard's QR encoder (themes/default/static/qr.js), run as a page runs it, on
// texts of every QR version (1 to 40) and on real sheet addresses: each code drawn is
// rasterised from its SVG path and read back by zbar (`zbarimg`), which must give the text
// back. Prints one line per code read; fails on the first that is not read right.
// Usage: node qr.mjs SCRATCH_DIR [ADDRESS ...]
import fs from "node:fs";
import path from "node:path";
import vm from "node:vm";
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const source = fs.readFileSync(path.join(here, "../../themes/default/static/qr.js"), "utf8");
const [scratch, ...addresses] = process.argv.slice(2);
if (!scratch) throw new Error("usage: node qr.mjs SCRATCH_DIR [ADDRESS ...]");

// A page without sheets: the script only defines its encoder.
const window = {};
const document = { querySelectorAll: () => [], documentElement: { style: {}, classList: { add() {} } } };
vm.runInNewContext(source, { window, document, unescape, encodeURIComponent, Uint8Array, Math, Infinity });
const { encode, svg } = window.niemyetQr;

// The byte capacity of each version at level M (ISO/IEC 18004, table 7), to make a text
// that fills version v exactly.
const CAPACITY = [0, 14, 26, 42, 62, 84, 106, 122, 152, 180, 213, 251, 287, 331, 362, 412, 450,
  504, 560, 624, 666, 711, 779, 857, 911, 997, 1059, 1125, 1190, 1264, 1370, 1452, 1538, 1628,
  1722, 1809, 1911, 1989, 2099, 2213, 2331];
const texts = [];
for (let v = 1; v <= 40; v++) {
  const head = `https://thutuc.example.gov.vn/v${v}/`;
  texts.push({ text: (head + "abcdefghijklmnopqrstuvwxyz0123456789-/".repeat(70)).slice(0, CAPACITY[v]), version: v });
}
// Vietnamese letters are two or three bytes each in UTF-8.
texts.push({ text: "https://xã-đông-lợi.gov.vn/tuyên-quang/xã-đông-lợi/1.004194/", version: null });
for (const a of addresses) texts.push({ text: a, version: null });

// The SVG's path back to modules: `M{x} {y}h{len}` runs of dark modules.
function modules(svgText, size) {
  const d = svgText.match(/ d='([^']*)'/)[1];
  const dark = new Uint8Array(size * size);
  for (const m of d.matchAll(/M(\d+) (\d+)h(\d+)/g)) {
    const [x, y, len] = [Number(m[1]), Number(m[2]), Number(m[3])];
    for (let i = 0; i < len; i++) dark[y * size + x + i] = 1;
  }
  return dark;
}

// A greyscale PGM, `scale` pixels a module, with the four-module quiet zone.
function pgm(dark, size, scale) {
  const side = (size + 8) * scale;
  const px = Buffer.alloc(side * side, 255);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      if (!dark[y * size + x]) continue;
      for (let dy = 0; dy < scale; dy++) {
        px.fill(0, ((y + 4) * scale + dy) * side + (x + 4) * scale, ((y + 4) * scale + dy) * side + (x + 5) * scale);
      }
    }
  }
  return Buffer.concat([Buffer.from(`P5\n${side} ${side}\n255\n`), px]);
}

fs.mkdirSync(scratch, { recursive: true });
let failed = 0;
texts.forEach(({ text, version }, i) => {
  const code = encode(text);
  if (!code) {
    console.log(`NOT DRAWN: ${text}`);
    failed++;
    return;
  }
  const v = (code.size - 17) / 4;
  if (version && v !== version) {
    console.log(`version ${v}, expected ${version}: ${text.length} bytes`);
    failed++;
  }
  const drawn = svg(code, 25);
  if (!drawn.startsWith("<svg") || !drawn.includes("width='25mm'")) {
    console.log(`not an SVG of 25 mm: ${drawn.slice(0, 80)}`);
    failed++;
  }
  const file = path.join(scratch, `qr-${i}.pgm`);
  fs.writeFileSync(file, pgm(modules(drawn, code.size), code.size, v > 20 ? 3 : 4));
  let read = "";
  try {
    read = execFileSync("zbarimg", ["--quiet", "--raw", "-Sdisable", "-Sqrcode.enable", file], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });
  } catch (e) {
    read = e.stdout || "";
  }
  read = read.replace(/\n$/, "");
  if (read === text) {
    console.log(`read v${v}: ${text.length > 70 ? text.slice(0, 67) + "…" : text}`);
  } else {
    console.log(`MISREAD v${v}: ${JSON.stringify(text.slice(0, 80))} read as ${JSON.stringify(read.slice(0, 80))}`);
    failed++;
  }
});
console.log(`${texts.length} codes, ${failed} failed`);
process.exit(failed ? 1 : 0);
