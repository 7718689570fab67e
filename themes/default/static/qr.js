// niemyet: the QR code of each procedure sheet of a noticeboard pack, drawn in the
// browser when the pack is opened (to be printed). Each sheet's code encodes the unit's
// own page of the procedure (`data-qr`): a build used to draw one for every sheet of every
// unit (408,000 in the national benchmark), which doubled the national build for packs
// that few ever print. Without scripts the sheet still prints its address in words.
//
// A QR code (ISO/IEC 18004) in byte mode with medium error correction (survives a crease
// or a pin hole), drawn like the build's own codes (render/qr.rs): an SVG path, one
// stroke per run of dark modules, 25 mm with a four-module quiet zone.
(function () {
  "use strict";

  // Arithmetic in GF(256) modulo x^8 + x^4 + x^3 + x^2 + 1.
  var EXP = [], LOG = [];
  for (var i = 0, x = 1; i < 255; i++) {
    EXP[i] = x;
    LOG[x] = i;
    x <<= 1;
    if (x & 256) x ^= 0x11d;
  }
  function mul(a, b) {
    return a && b ? EXP[(LOG[a] + LOG[b]) % 255] : 0;
  }

  // The Reed–Solomon generator of n correction codewords: (x − α^0)…(x − α^(n−1)).
  function generator(n) {
    var gen = [1];
    for (var i = 0; i < n; i++) {
      var next = [];
      for (var j = 0; j <= gen.length; j++) {
        next[j] = (j < gen.length ? gen[j] : 0) ^ (j > 0 ? mul(gen[j - 1], EXP[i]) : 0);
      }
      gen = next;
    }
    return gen;
  }

  // The error correction codewords of data: the remainder of data·x^n by `gen`
  // (n + 1 coefficients).
  function correction(data, gen) {
    var n = gen.length - 1;
    var rem = [];
    for (var k = 0; k < n; k++) rem[k] = 0;
    for (var d = 0; d < data.length; d++) {
      var factor = data[d] ^ rem.shift();
      rem.push(0);
      for (var m = 0; m < n; m++) rem[m] ^= mul(gen[m + 1], factor);
    }
    return rem;
  }

  // Error correction level M, versions 1 to 40: codewords of correction per block, and
  // blocks (ISO/IEC 18004, table 9).
  var ECC_PER_BLOCK = [0, 10, 16, 26, 18, 24, 16, 18, 22, 22, 26, 30, 22, 22, 24, 24, 28, 28, 26,
    26, 26, 26, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28];
  var BLOCKS = [0, 1, 1, 1, 2, 2, 4, 4, 4, 5, 5, 5, 8, 9, 9, 10, 10, 11, 13, 14, 16, 17, 17, 18,
    20, 21, 23, 25, 26, 28, 29, 31, 33, 35, 37, 38, 40, 43, 45, 47, 49];

  // Where the alignment patterns' centres are along each axis (none in version 1).
  function alignment(v) {
    if (v === 1) return [];
    var n = Math.floor(v / 7) + 2;
    var size = 4 * v + 17;
    var step = v === 32 ? 26 : Math.ceil((4 * v + 4) / (2 * n - 2)) * 2;
    var at = [6];
    for (var p = size - 7; at.length < n; p -= step) at.splice(1, 0, p);
    return at;
  }

  // A version's modules that carry codewords (data and correction, with remainder bits).
  function dataModules(v) {
    var size = 4 * v + 17;
    var n = alignment(v).length;
    var align = n ? n * n - 3 : 0;
    return size * size - 3 * 64 - 2 * (size - 16) - 25 * align + 10 * Math.max(0, n - 2) -
      31 - (v >= 7 ? 36 : 0);
  }

  // The text as UTF-8 bytes.
  function utf8(text) {
    var s = unescape(encodeURIComponent(text));
    var bytes = [];
    for (var i = 0; i < s.length; i++) bytes.push(s.charCodeAt(i));
    return bytes;
  }

  // The data codewords of `bytes` in the smallest version that holds them, or null.
  // Text beyond ASCII says it is UTF-8 (ECI 26), or readers guess another encoding.
  function codewords(bytes) {
    var ascii = bytes.every(function (b) { return b < 128; });
    for (var v = 1; v <= 40; v++) {
      var capacity = Math.floor(dataModules(v) / 8) - ECC_PER_BLOCK[v] * BLOCKS[v];
      var countBits = v < 10 ? 8 : 16;
      if ((ascii ? 0 : 12) + 4 + countBits + 8 * bytes.length > 8 * capacity) continue;
      var bits = [];
      var put = function (value, n) {
        for (var b = n - 1; b >= 0; b--) bits.push((value >>> b) & 1);
      };
      if (!ascii) {
        put(7, 4); // ECI
        put(26, 8); // UTF-8
      }
      put(4, 4); // byte mode
      put(bytes.length, countBits);
      for (var i = 0; i < bytes.length; i++) put(bytes[i], 8);
      put(0, Math.min(4, 8 * capacity - bits.length)); // terminator
      while (bits.length % 8) bits.push(0);
      var data = [];
      for (var j = 0; j < bits.length; j += 8) {
        var byte = 0;
        for (var k = 0; k < 8; k++) byte = (byte << 1) | bits[j + k];
        data.push(byte);
      }
      for (var pad = 0; data.length < capacity; pad ^= 1) data.push(pad ? 0x11 : 0xec);
      return { version: v, data: data };
    }
    return null;
  }

  // Data and correction codewords split into blocks and interleaved, as they are placed.
  function interleave(v, data) {
    var total = Math.floor(dataModules(v) / 8);
    var nb = BLOCKS[v], ecc = ECC_PER_BLOCK[v];
    var shortLen = Math.floor(total / nb) - ecc; // data codewords of a short block
    var shorts = nb - (total % nb);
    var blocks = [], checks = [], gen = generator(ecc);
    for (var b = 0, at = 0; b < nb; b++) {
      var len = shortLen + (b < shorts ? 0 : 1);
      blocks.push(data.slice(at, at + len));
      checks.push(correction(blocks[b], gen));
      at += len;
    }
    var out = [];
    for (var i = 0; i <= shortLen; i++) {
      for (var j = 0; j < nb; j++) if (i < blocks[j].length) out.push(blocks[j][i]);
    }
    for (var e = 0; e < ecc; e++) for (var c = 0; c < nb; c++) out.push(checks[c][e]);
    return out;
  }

  // A code: `size` and its modules row after row (1 dark), with which are function
  // patterns (which masks leave alone).
  function Code(v) {
    this.size = 4 * v + 17;
    this.dark = new Uint8Array(this.size * this.size);
    this.fixed = new Uint8Array(this.size * this.size);
  }
  Code.prototype.set = function (x, y, dark) {
    this.dark[y * this.size + x] = dark ? 1 : 0;
    this.fixed[y * this.size + x] = 1;
  };

  // Finder, separator, timing and alignment patterns, the version information and room
  // for the format information.
  function functionPatterns(code, v) {
    var size = code.size;
    for (var i = 0; i < size; i++) {
      code.set(6, i, i % 2 === 0);
      code.set(i, 6, i % 2 === 0);
    }
    var finder = function (cx, cy) {
      for (var dy = -4; dy <= 4; dy++) {
        for (var dx = -4; dx <= 4; dx++) {
          var x = cx + dx, y = cy + dy;
          if (x < 0 || y < 0 || x >= size || y >= size) continue;
          var d = Math.max(Math.abs(dx), Math.abs(dy));
          code.set(x, y, d !== 2 && d !== 4);
        }
      }
    };
    finder(3, 3);
    finder(size - 4, 3);
    finder(3, size - 4);
    var at = alignment(v);
    for (var a = 0; a < at.length; a++) {
      for (var b = 0; b < at.length; b++) {
        // Not where a finder pattern is.
        if ((a === 0 && b === 0) || (a === 0 && b === at.length - 1) || (a === at.length - 1 && b === 0)) continue;
        for (var dy = -2; dy <= 2; dy++) {
          for (var dx = -2; dx <= 2; dx++) {
            code.set(at[a] + dx, at[b] + dy, Math.max(Math.abs(dx), Math.abs(dy)) !== 1);
          }
        }
      }
    }
    format(code, 0); // reserves the modules; the mask's own are drawn later
    if (v >= 7) {
      var rem = v;
      for (var k = 0; k < 12; k++) rem = (rem << 1) ^ ((rem >>> 11) * 0x1f25);
      var bits = (v << 12) | rem;
      for (var n = 0; n < 18; n++) {
        var bit = (bits >>> n) & 1;
        var p = size - 11 + (n % 3), q = Math.floor(n / 3);
        code.set(p, q, bit);
        code.set(q, p, bit);
      }
    }
  }

  // The format information (level M, `mask`) in its two copies, and the dark module.
  function format(code, mask) {
    var size = code.size;
    var data = mask; // level M is 00
    var rem = data;
    for (var k = 0; k < 10; k++) rem = (rem << 1) ^ ((rem >>> 9) * 0x537);
    var bits = ((data << 10) | rem) ^ 0x5412;
    var bit = function (i) { return (bits >>> i) & 1; };
    for (var i = 0; i <= 5; i++) code.set(8, i, bit(i));
    code.set(8, 7, bit(6));
    code.set(8, 8, bit(7));
    code.set(7, 8, bit(8));
    for (i = 9; i < 15; i++) code.set(14 - i, 8, bit(i));
    for (i = 0; i < 8; i++) code.set(size - 1 - i, 8, bit(i));
    for (i = 8; i < 15; i++) code.set(8, size - 15 + i, bit(i));
    code.set(8, size - 8, 1);
  }

  // The codewords placed in two-module columns, zigzag up and down from the right.
  function place(code, words) {
    var size = code.size, i = 0;
    for (var right = size - 1; right >= 1; right -= 2) {
      if (right === 6) right = 5;
      var up = ((right + 1) & 2) === 0;
      for (var n = 0; n < size; n++) {
        var y = up ? size - 1 - n : n;
        for (var j = 0; j < 2; j++) {
          var x = right - j;
          if (code.fixed[y * size + x]) continue;
          if (i < words.length * 8) code.dark[y * size + x] = (words[i >>> 3] >>> (7 - (i & 7))) & 1;
          i++;
        }
      }
    }
  }

  var MASKS = [
    function (x, y) { return (x + y) % 2 === 0; },
    function (x, y) { return y % 2 === 0; },
    function (x, y) { return x % 3 === 0; },
    function (x, y) { return (x + y) % 3 === 0; },
    function (x, y) { return (Math.floor(y / 2) + Math.floor(x / 3)) % 2 === 0; },
    function (x, y) { return (x * y) % 2 + (x * y) % 3 === 0; },
    function (x, y) { return ((x * y) % 2 + (x * y) % 3) % 2 === 0; },
    function (x, y) { return ((x + y) % 2 + (x * y) % 3) % 2 === 0; }
  ];

  function applyMask(code, m) {
    var size = code.size;
    for (var y = 0; y < size; y++) {
      for (var x = 0; x < size; x++) {
        if (!code.fixed[y * size + x] && MASKS[m](x, y)) code.dark[y * size + x] ^= 1;
      }
    }
  }

  // The penalty of a masked code (ISO/IEC 18004, 7.8.3), scored as render/qr.rs scores
  // it: runs of five or more alike, 2×2 blocks alike, finder-like runs with four light
  // modules (or the edge) on a side, and the imbalance of dark and light.
  function penalty(code) {
    var size = code.size, d = code.dark, score = 0, dark = 0;
    for (var a = 0; a < size; a++) {
      score += linePenalty(d, a * size, 1, size) + linePenalty(d, a, size, size);
    }
    for (var y = 0; y < size; y++) {
      for (var x = 0; x < size; x++) {
        var i = y * size + x, c = d[i];
        dark += c;
        if (x + 1 < size && y + 1 < size && c === d[i + 1] && c === d[i + size] && c === d[i + size + 1]) score += 3;
      }
    }
    return score + Math.abs(Math.floor(dark * 200 / (size * size)) - 100);
  }

  // The penalties of one row or column: the `size` modules from `start`, `step` apart.
  function linePenalty(d, start, step, size) {
    var score = 0, run = 1;
    for (var k = 1; k <= size; k++) {
      if (k < size && d[start + k * step] === d[start + (k - 1) * step]) { run++; continue; }
      if (run >= 5) score += run - 2;
      run = 1;
    }
    // `#.###.#`
    for (var j = 0; j + 7 <= size; j++) {
      var at = start + j * step;
      if (!(d[at] && !d[at + step] && d[at + 2 * step] && d[at + 3 * step] && d[at + 4 * step] &&
        !d[at + 5 * step] && d[at + 6 * step])) continue;
      var before = false, after = false;
      for (var p = Math.max(0, j - 4); p < j; p++) before = before || d[start + p * step] === 1;
      for (var q = j + 7; q < Math.min(size, j + 11); q++) after = after || d[start + q * step] === 1;
      if (!before || !after) score += 40;
    }
    return score;
  }

  // The code of `text` (medium error correction, the mask of least penalty), or null
  // when the text is too long for a QR code.
  function encode(text) {
    var cw = codewords(utf8(text));
    if (!cw) return null;
    var code = new Code(cw.version);
    functionPatterns(code, cw.version);
    place(code, interleave(cw.version, cw.data));
    var best = null, bestScore = Infinity;
    for (var m = 0; m < 8; m++) {
      var trial = new Code(cw.version);
      trial.dark.set(code.dark);
      trial.fixed.set(code.fixed);
      applyMask(trial, m);
      format(trial, m);
      var score = penalty(trial);
      if (score < bestScore) { best = trial; bestScore = score; }
    }
    return best;
  }

  // The code as an SVG document `mm` millimetres wide: each row's runs of dark modules
  // stroked through the middle of the row, inside a white four-module quiet zone.
  function svg(code, mm) {
    var size = code.size, side = size + 8, d = "";
    for (var y = 0; y < size; y++) {
      for (var x = 0; x < size; x++) {
        if (!code.dark[y * size + x]) continue;
        var start = x;
        while (x < size && code.dark[y * size + x]) x++;
        d += "M" + start + " " + y + "h" + (x - start);
      }
    }
    return "<svg xmlns='http://www.w3.org/2000/svg' width='" + mm + "mm' height='" + mm + "mm' viewBox='-4 -4.5 " +
      side + " " + side + "' shape-rendering='crispEdges'><rect x='-4' y='-4.5' width='" + side + "' height='" + side +
      "' fill='#fff'/><path stroke='#000' d='" + d + "'/></svg>";
  }

  window.niemyetQr = { encode: encode, svg: svg };

  // Each sheet's code becomes the custom property its margin box (Chromium) and its own
  // header (Firefox) print: `--qr-<page>` of the root, as noticeboard.html names it.
  var sheets = document.querySelectorAll("[data-qr][data-qr-page]");
  var root = document.documentElement;
  for (var s = 0; s < sheets.length; s++) {
    var code = encode(sheets[s].getAttribute("data-qr"));
    if (!code) continue;
    root.style.setProperty("--qr-" + sheets[s].getAttribute("data-qr-page"),
      'url("data:image/svg+xml,' + encodeURIComponent(svg(code, 25)) + '")');
  }
  if (sheets.length) root.classList.add("qr-drawn");
})();
