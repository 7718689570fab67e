// niemyet search client: the index and the ranking (the page is search-page.js). The
// index is built by niemyet (src/render/search/) as script files that call
// NIEMYET_SEARCH.add(...): they load with <script> tags, so search works over HTTP and
// from file:// alike (no fetch, no WebAssembly). Without JavaScript the page still lists
// every procedure by sector. How the ranking works: docs/search.md.
(function () {
  "use strict";

  // ---- Folding: exactly niemyet::text::fold (src/text.rs). Tests compare the two. ----
  var MARK = /\p{M}/u;
  var ALNUM = /[\p{Alphabetic}\p{N}]/u;
  function fold(s) {
    var out = "";
    var space = true;
    for (var c of String(s).normalize("NFD")) {
      if (MARK.test(c)) continue;
      if (c === "đ" || c === "Đ") c = "d";
      if (ALNUM.test(c) || (c === "." && !space)) {
        out += c.toLowerCase();
        space = false;
      } else if (!space) {
        out += " ";
        space = true;
      }
    }
    return out.replace(/[ .]+$/, "");
  }
  // Words of a folded text: niemyet::render::search::tokens.
  function tokens(folded) {
    var out = [];
    var parts = folded.split(" ");
    for (var i = 0; i < parts.length; i++) {
      var t = parts[i].replace(/^\.+|\.+$/g, "");
      if (t) out.push(t);
    }
    return out;
  }

  // The words of a query as fold and tokens make them, each with the marks typed on it
  // (tones, vowel marks, and "đ" as a mark of its d), sorted: "hoà" and "hòa" alike.
  function marked(s) {
    var out = [], word = "", marks = [];
    var end = function () {
      var w = word.replace(/^\.+|\.+$/g, "");
      if (w) out.push({ w: w, marks: marks.sort() });
      word = "";
      marks = [];
    };
    for (var c of String(s).normalize("NFD")) {
      if (MARK.test(c)) {
        if (word) marks.push(c);
        continue;
      }
      if (c === "đ" || c === "Đ") {
        marks.push("đ");
        c = "d";
      }
      if (ALNUM.test(c) || (c === "." && word)) word += c.toLowerCase();
      else end();
    }
    end();
    return out;
  }
  // Whether the marks typed on a word (`typed`) are among those of a lexicon word: "ga"
  // and "gà" fit "gà", "gá" does not; "mât" fits "mất", "mật" does not.
  function fits(typed, marks) {
    var i = 0;
    for (var k = 0; k < typed.length; k++) {
      while (i < marks.length && marks[i] < typed[k]) i++;
      if (i === marks.length || marks[i] !== typed[k]) return false;
      i++;
    }
    return true;
  }

  // ---- Spelling variants ----
  // "kí" and "ký", "lí" and "lý", "mĩ" and "mỹ", "sĩ" and "sỹ" are both correct: a
  // syllable of h, k, l, m, s, t or qu and a final i or y is keyed with y.
  var IY = /^(qu|[hklmst])i$/;
  function spellingKey(w) {
    return IY.test(w) ? w.slice(0, -1) + "y" : w;
  }
  // What a word typed with Telex or VNI keys but without the input method becomes:
  // "tuwr" -> "tu", "dungj" -> "dung", "dda8ng" -> "dang". Null when nothing changes.
  function untyped(w) {
    if (/^\d/.test(w) || !/[a-z]/.test(w)) return null;
    var s = w.replace(/[0-9]/g, "");
    if (s.length > 2) s = s.replace(/([a-z])[sfrxjz]$/, "$1");
    s = s.replace(/dd/g, "d").replace(/([aeo])\1/g, "$1").replace(/([aou])w/g, "$1").replace(/w/g, "u");
    return s && s !== w ? s : null;
  }

  // Positions in a document array (SearchDoc in src/render/search/index.rs).
  var D_ID = 0, D_CODE = 1, D_NAME = 2, D_SECTOR = 3, D_LEVELS = 4, D_ONLINE = 5,
    D_STATUS = 6, D_TIME = 7, D_FEE = 8, D_NF = 9, D_KW = 10, D_BODY = 11, D_UNIT = 12;
  // Fields a word can match in, and what a match there is worth.
  var F_NAME = 0, F_KW = 1, F_BODY = 2;
  var FIELD = [1, 0.6, 0.3];
  // BM25's saturation for a word present once: a match in a field of average length is
  // worth 1, in a shorter one more, a longer one less (B: how much length counts).
  var K1 = 1.2, B_NAME = 0.5, B_BODY = 0.5;
  // The first words of a name (see early).
  var HEAD = 16;
  // What a match is worth besides its field: the word itself (or its other spelling) 1,
  // the word without stray Telex keys 0.9, the start of the word being typed 0.7, one typo
  // 0.55 (0.35 when the typed word is a word of the index too).
  var Q_EXACT = 1, Q_UNTYPED = 0.9, Q_PREFIX = 0.7, Q_TYPO = 0.55, Q_TYPO_WORD = 0.35;
  // Words that only carry the request ("xin", "làm", "thủ tục") weigh this much.
  var OPTIONAL = 0.3;
  // Two query words side by side in a name: this share of their weight again.
  var ADJACENT = 0.6;
  // A wording of the lexicon whose words a name holds apart.
  var SCATTERED = 0.5;
  // A wording the lexicon gives for a bare syllable that also reads as other words.
  var WEAK = 0.6;
  // A required word carrying less than this share of the query's weight does not decide
  // whether a document matches every word.
  var MINOR = 0.1;
  // A secondary form of a procedure the query did not ask for ("cấp lại", "gia hạn").
  var SECONDARY = 0.85;
  // A procedure for a narrower case the query did not name ("có yếu tố nước ngoài").
  var NARROWER = 0.85;
  // Results shown: those scoring at least this share of the best.
  var CUT = 0.4;
  // How much a word's frequency in whole texts counts against it (see weight).
  var BODY_DF = 0.1;

  var units = [], sectors = [], sets = [], groups = [], groupSizes = [], docs = [], build = "";
  var repealed = []; // [code, name, sector, unit or -1, date, replaced by]
  var count = 0; // documents loaded
  var vocab = new Map(); // word -> [doc id * 4 + field, ...]
  var words = null; // vocab keys, rebuilt after new documents arrive
  var setOf = []; // set index -> Set of doc ids
  var lexicon = new Map(); // key (spelling keys joined by spaces) -> [{ marks, alts, filler }]
  var lexLongest = 0;
  var secondary = []; // [words]: names holding them are a secondary form of a procedure
  var narrower = []; // [words]: names holding them are for a narrower case
  var norms = null; // [name, body] length factors by doc id, made after documents arrive

  var api = {
    fold: fold,
    tokens: tokens,
    spellingKey: spellingKey,
    untyped: untyped,
    add: function (part) {
      if (part.units) {
        units = part.units;
        sectors = part.sectors;
        sets = part.sets;
        groups = part.groups || [];
        groupSizes = part.group_sizes || [];
        build = part.build;
        repealed = part.repealed || [];
        setOf = sets.map(function (s) { return new Set(s); });
        readLexicon(part.lexicon);
        if (!inUnits) setScope();
      }
      for (var i = 0; i < part.docs.length; i++) {
        var d = part.docs[i];
        if (docs[d[D_ID]]) continue; // a unit's part and local.js may both arrive
        docs[d[D_ID]] = d;
        count++;
        index(d);
      }
      words = null;
      norms = null;
    },
  };
  window.NIEMYET_SEARCH = api;

  function index(d) {
    var id = d[D_ID];
    var fields = [d[D_NF], d[D_KW], d[D_BODY]];
    for (var f = 0; f < 3; f++) {
      var ws = tokens(fields[f]);
      for (var i = 0; i < ws.length; i++) {
        var list = vocab.get(ws[i]);
        if (!list) vocab.set(ws[i], (list = []));
        var p = id * 4 + f;
        if (list[list.length - 1] !== p) list.push(p);
      }
    }
  }

  // The lexicon (themes/default/search/lexicon.toml and the site's own terms): what people
  // say, as they write it, with the official wordings folded by niemyet:
  // { fillers: [phrase], terms: [[what people say, wording, ...]] }. By the spelling keys
  // of what people say, the ways it is written: { marks (of each word), alts, filler }.
  function readLexicon(lex) {
    lexicon = new Map();
    lexLongest = 0;
    secondary = [];
    narrower = [];
    if (!lex) return;
    var phrases = function (list) {
      return (list || []).map(tokens).filter(function (ws) { return ws.length; });
    };
    secondary = phrases(lex.secondary);
    narrower = phrases(lex.narrower);
    var put = function (said, filler, alts) {
      var ws = marked(said);
      if (!ws.length) return;
      var key = ws.map(function (x) { return spellingKey(x.w); }).join(" ");
      var list = lexicon.get(key);
      if (!list) lexicon.set(key, (list = []));
      list.push({ marks: ws.map(function (x) { return x.marks; }), filler: filler, alts: alts });
      lexLongest = Math.max(lexLongest, ws.length);
    };
    (lex.fillers || []).forEach(function (f) { put(f, true, []); });
    (lex.terms || []).forEach(function (t) { put(t[0], false, t.slice(1).map(tokens)); });
  }

  // The lexicon's reading of the query words `qs[i..i+n)` (typed with `marks`): null, or
  // { filler, alts } merged from the entries the typed marks fit.
  function lookUp(keys, marks, i, n) {
    var list = lexicon.get(keys.slice(i, i + n).join(" "));
    if (!list) return null;
    var found = null;
    list.forEach(function (e) {
      for (var k = 0; k < n; k++) if (!fits(marks[i + k], e.marks[k])) return;
      // One syllable typed bare is many words ("bo": bố, bò, bộ, bỏ): the wordings of a
      // word written with marks count for less then.
      var weak = n === 1 && marks[i].length === 0 && e.marks[0].length > 0;
      var alts = e.alts.map(function (a) { return { toks: a, weak: weak }; });
      // A filler that also reads as a term ("cho", "chợ") is a filler: the term's wordings
      // still count, but the word is not required.
      if (!found) found = { filler: e.filler, alts: alts };
      else {
        found.filler = found.filler || e.filler;
        found.alts = found.alts.concat(alts);
      }
    });
    return found;
  }

  // Length factors: a field's BM25 weight for one occurrence, by doc id.
  function lengthNorms() {
    var n = docs.length, name = new Float32Array(n), body = new Float32Array(n);
    var sumN = 0, sumB = 0;
    for (var i = 0; i < n; i++) {
      var d = docs[i];
      if (!d) continue;
      name[i] = d[D_NF].split(" ").length;
      body[i] = d[D_BODY] ? d[D_BODY].split(" ").length : 0;
      sumN += name[i];
      sumB += body[i];
    }
    var avgN = sumN / Math.max(1, count) || 1, avgB = sumB / Math.max(1, count) || 1;
    for (var j = 0; j < n; j++) {
      name[j] = (K1 + 1) / (1 + K1 * (1 - B_NAME + B_NAME * name[j] / avgN));
      body[j] = (K1 + 1) / (1 + K1 * (1 - B_BODY + B_BODY * body[j] / avgB));
    }
    return [name, body];
  }

  function idf(df) {
    return Math.log(1 + (count - df + 0.5) / (df + 0.5));
  }
  // What a word or concept is worth: its idf among names and keywords, where procedures
  // say what they are about (most syllables occur somewhere in most procedures' texts),
  // with a tenth of its frequency in whole texts.
  function weight(inNames, inTexts) {
    return idf(inNames + BODY_DF * inTexts);
  }

  // `a` and the first `lb` letters of `b` are at most one edit apart (insert, delete,
  // substitute, or swap two neighbours). No substrings: this runs on every word per key.
  function within1(a, b, lb) {
    var la = a.length;
    if (la - lb > 1 || lb - la > 1) return false;
    var i = 0;
    while (i < la && i < lb && a.charCodeAt(i) === b.charCodeAt(i)) i++;
    if (i === la || i === lb) return true;
    if (la === lb) {
      if (same(a, i + 1, b, i + 1, la - i - 1)) return true;
      return a.charCodeAt(i) === b.charCodeAt(i + 1) && a.charCodeAt(i + 1) === b.charCodeAt(i) &&
        same(a, i + 2, b, i + 2, la - i - 2);
    }
    return la > lb ? same(a, i + 1, b, i, lb - i) : same(a, i, b, i + 1, la - i);
  }
  function same(a, ai, b, bi, n) {
    for (var k = 0; k < n; k++) if (a.charCodeAt(ai + k) !== b.charCodeAt(bi + k)) return false;
    return true;
  }

  // The words of the index a query word matches, each with its quality (Q_*).
  function expand(q, last) {
    var out = new Map();
    var put = function (w, s) {
      if (w && vocab.has(w) && !(out.get(w) >= s)) out.set(w, s);
    };
    var known = vocab.has(q);
    put(q, Q_EXACT);
    put(spellingKey(q), Q_EXACT);
    if (/^(qu|[hklmst])y$/.test(q)) put(q.slice(0, -1) + "i", Q_EXACT);
    var base = q;
    if (!known) {
      var u = untyped(q);
      if (u && vocab.has(u)) {
        base = u;
        put(u, Q_UNTYPED);
        put(spellingKey(u), Q_UNTYPED);
      }
    }
    var ql = base.length;
    var typo = ql >= 4;
    var typoQ = vocab.has(base) ? Q_TYPO_WORD : Q_TYPO;
    for (var i = 0; i < words.length; i++) {
      var w = words[i];
      if (last && w.length > ql && w.startsWith(base)) put(w, Q_PREFIX);
      else if (typo && w !== base && within1(base, w, w.length)) put(w, typoQ);
      else if (typo && last && w.length > ql && within1(base, w, ql)) put(w, typoQ * 0.8);
    }
    return out;
  }

  // A query word's matches: its score in every document (best field and quality, times
  // the field's length factor), the documents it reaches, and the words it matched.
  var hitCache = new Map();
  function hits(q, last) {
    var key = (last ? "1" : "0") + q;
    var h = hitCache.get(key);
    if (h) return h;
    var ex = expand(q, last);
    var s = new Float32Array(docs.length), named = new Uint8Array(docs.length), reach = [], inNames = 0;
    ex.forEach(function (quality, w) {
      var list = vocab.get(w);
      // One or two letters typed: their completions count in names and keywords only
      // (in the body they match nearly everything and only slow the first keystrokes).
      var bodyToo = quality >= Q_UNTYPED || q.length > 2;
      for (var k = 0; k < list.length; k++) {
        var id = list[k] >> 2, f = list[k] & 3;
        if (f === F_BODY && !bodyToo) continue;
        var v = quality * FIELD[f] * (f === F_NAME ? norms[0][id] * early(docs[id], w) : f === F_BODY ? norms[1][id] : 1);
        if (s[id] === 0) reach.push(id);
        if (v > s[id]) s[id] = v;
        if (f !== F_BODY && !named[id]) {
          named[id] = 1;
          inNames++;
        }
      }
    });
    h = { s: s, named: named, reach: reach, idf: weight(inNames, reach.length), words: ex };
    if (hitCache.size > 300) hitCache.clear();
    hitCache.set(key, h);
    return h;
  }

  // A name says what the procedure is in its first words; the rest lists cases and
  // conditions: a word counts for less the later it comes, half at word HEAD.
  function early(d, w) {
    var p = nameWords(d).indexOf(w);
    return HEAD / (HEAD + Math.max(0, p));
  }

  // Whether the words `seq` (a name's or keywords') hold the matches of `toks[from]` …
  // `toks[from + n - 1]` (hits) side by side.
  function sideBySide(seq, toks, from, n) {
    for (var p = 0; p + n <= seq.length; p++) {
      var k = 0;
      while (k < n && toks[from + k].words.has(seq[p + k])) k++;
      if (k === n) return true;
    }
    return false;
  }
  function nameWords(d) {
    if (!d.nw) d.nw = tokens(d[D_NF]);
    return d.nw;
  }
  function kwWords(d) {
    if (!d.kw) d.kw = tokens(d[D_KW]);
    return d.kw;
  }
  // Pairs of neighbouring words of `toks` that stand side by side in the name.
  function pairsInName(d, toks) {
    var nw = nameWords(d), n = 0;
    for (var i = 0; i + 1 < toks.length; i++) if (sideBySide(nw, toks, i, 2)) n++;
    return n;
  }

  // ---- Understanding a query ----
  // A query is a list of concepts, each one or more words in the query: a concept matches
  // a document when one of its alternatives does (all of its words match). A plain word
  // is its own alternative; a phrase of the lexicon ("sổ đỏ") has the official wording
  // too ("giấy chứng nhận quyền sử dụng đất"), its own words counting only side by side
  // in a name or keywords. Fillers ("xin", "làm") are optional.
  function concepts(qs, marks) {
    var n = qs.length, keys = qs.map(function (q) {
      var w = vocab.has(q) ? q : untyped(q) || q;
      return spellingKey(w);
    });
    // The phrases of the lexicon read in the query: of the ways to cut it into phrases and
    // words, the one whose phrases cover the most words, then the most informative ones
    // ("bản sao | bằng tốt nghiệp" rather than "bản sao bằng | tốt nghiệp").
    var info = qs.map(function (q, k) { return hits(q, k === n - 1).idf; });
    var best = [{ words: 0, info: 0, parts: 0, cut: null }];
    for (var i = n - 1; i >= 0; i--) {
      best[i - n] = null;
      var choice = { words: best[i + 1 - n].words, info: best[i + 1 - n].info, parts: best[i + 1 - n].parts + 1, cut: [i, 1, null] };
      for (var len = Math.min(lexLongest, n - i); len > 0; len--) {
        var found = lookUp(keys, marks, i, len);
        if (!found) continue;
        var rest = best[i + len - n], gain = 0;
        for (var k = i; k < i + len; k++) gain += info[k];
        var c = { words: rest.words + len, info: rest.info + gain, parts: rest.parts + 1, cut: [i, len, found] };
        if (c.words > choice.words || (c.words === choice.words && (c.info > choice.info + 1e-9 ||
          (Math.abs(c.info - choice.info) < 1e-9 && c.parts < choice.parts)))) choice = c;
      }
      best[i - n] = choice;
    }
    var out = [];
    for (var at = 0; at < n;) {
      var cut = best[at - n].cut, size = cut[1], got = cut[2];
      if (got) {
        var own = { toks: qs.slice(at, at + size), phrase: size > 1 && got.alts.length > 0 };
        out.push({ alts: [own].concat(got.alts), optional: got.filler, lexicon: got.alts.length > 0, at: at, len: size });
      } else {
        out.push({ alts: [{ toks: [qs[at]] }], optional: false, at: at, len: 1 });
      }
      at += size;
    }
    // Words next to a phrase of the lexicon that, with it, make one of its wordings belong
    // to it: "bảo hiểm" before "thất nghiệp" (read "bảo hiểm thất nghiệp", "trợ cấp thất
    // nghiệp") is said by that wording.
    for (var c = 0; c < out.length; c++) absorb(out, c, keys);
    // A word said twice is one word to find ("khai sinh cho bé mới sinh"); not a word
    // within a phrase of the lexicon ("làm lại bằng lái").
    var seen = new Set();
    out = out.filter(function (c) {
      if (c.alts.length > 1 || c.alts[0].toks.length > 1) return true;
      var w = c.alts[0].toks[0] + "|" + marks[c.at].join("");
      return !seen.has(w) && seen.add(w);
    });
    // Every word a filler ("thủ tục"): they are what was asked for.
    if (out.every(function (c) { return c.optional; })) out.forEach(function (c) { c.optional = false; });
    var last = n - 1;
    out.forEach(function (c) {
      c.alts.forEach(function (a) {
        // The word being typed may be the start of a longer one; a phrase of the lexicon
        // was matched whole.
        a.hits = a.toks.map(function (t, k) { return hits(t, !c.lexicon && c.at + k === last); });
      });
    });
    return out;
  }

  // Folds into lexicon concept `out[c]` the plain words before or after it that, with its
  // own words, spell one of its wordings (see concepts).
  function absorb(out, c, keys) {
    var lex = out[c];
    if (!lex.lexicon) return;
    var spells = function (ws) {
      return lex.alts.some(function (a, ai) {
        return ai > 0 && a.toks.length === ws.length && a.toks.every(function (t, k) { return spellingKey(t) === ws[k]; });
      });
    };
    var own = keys.slice(lex.at, lex.at + lex.len);
    for (var k = 1; k <= 3; k++) {
      var before = out.slice(Math.max(0, c - k), c), after = out.slice(c + 1, c + 1 + k);
      var plain = function (list) { return list.length === k && list.every(function (x) { return !x.lexicon && !x.optional && x.len === 1; }); };
      if (plain(before) && spells(keys.slice(lex.at - k, lex.at).concat(own))) {
        lex.alts[0].toks = before.map(function (x) { return x.alts[0].toks[0]; }).concat(lex.alts[0].toks);
        lex.at -= k;
        lex.len += k;
        lex.alts[0].phrase = true;
        out.splice(c - k, k);
        return;
      }
      if (plain(after) && spells(own.concat(keys.slice(lex.at + lex.len, lex.at + lex.len + k)))) {
        lex.alts[0].toks = lex.alts[0].toks.concat(after.map(function (x) { return x.alts[0].toks[0]; }));
        lex.len += k;
        lex.alts[0].phrase = true;
        out.splice(c + 1, k);
        return;
      }
    }
  }

  // How well each document matches a concept (0 = not at all): its best alternative whose
  // words all match. The query's own words count as the idf-weighted mean of their scores;
  // a wording of the lexicon as much as it says: the idf-weighted sum of its words' scores
  // over that of the most informative wording ("xây dựng nhà ở riêng lẻ" matched is worth
  // more than "giấy phép xây dựng" matched).
  function conceptScores(c) {
    var m = new Map(), named = 0;
    var sums = c.alts.map(function (a) {
      return a.hits.reduce(function (t, h) { return t + h.idf; }, 0);
    });
    var most = Math.max.apply(null, sums.slice(1).concat([0]));
    c.alts.forEach(function (a, ai) {
      var hs = a.hits, rare = hs[0];
      for (var k = 1; k < hs.length; k++) if (hs[k].reach.length < rare.reach.length) rare = hs[k];
      var wsum = ai === 0 ? sums[0] : most;
      for (var r = 0; r < rare.reach.length; r++) {
        var id = rare.reach[r], sum = 0, all = true, inName = true;
        for (k = 0; k < hs.length && all; k++) {
          var v = hs[k].s[id];
          if (v === 0) all = false;
          if (!hs[k].named[id]) inName = false;
          sum += hs[k].idf * v;
        }
        if (!all) continue;
        // A wording's syllables scattered over a name ("mã số" here, "thuế" there), or
        // partly in the name and partly in the text, are not the wording; all in the text,
        // where their order is not kept, they count as text.
        var apart = false, d = docs[id];
        if (a.phrase) {
          if (!inName || !(sideBySide(nameWords(d), hs, 0, hs.length) || sideBySide(kwWords(d), hs, 0, hs.length))) continue;
        } else if (hs.length > 1 && (inName || someNamed(hs, id))) {
          apart = !inName || !(inOrder(nameWords(d), hs) || inOrder(kwWords(d), hs));
        }
        var score = (wsum > 0 ? sum / wsum : 0) * (a.weak ? WEAK : 1) * (apart ? SCATTERED : 1);
        var old = m.get(id);
        if (old === undefined && inName) named++;
        if (!(old >= score)) m.set(id, score);
      }
    });
    c.m = m;
    c.idf = weight(named, m.size);
  }

  // Neighbouring words of the query as pairs: the documents holding them side by side in
  // the name or keywords, and the pair's idf among names.
  function wordPairs(cs) {
    var out = [];
    for (var i = 0; i + 1 < cs.length; i++) {
      var a = cs[i].alts[0].hits, b = cs[i + 1].alts[0].hits;
      var pair = [a[a.length - 1], b[0]];
      var rare = pair[0].reach.length < pair[1].reach.length ? pair[0] : pair[1];
      var ids = new Set();
      for (var r = 0; r < rare.reach.length; r++) {
        var id = rare.reach[r];
        if (!pair[0].named[id] || !pair[1].named[id]) continue;
        var d = docs[id];
        if (sideBySide(nameWords(d), pair, 0, 2) || sideBySide(kwWords(d), pair, 0, 2)) ids.add(id);
      }
      var weight = cs[i].optional || cs[i + 1].optional ? OPTIONAL : 1;
      // What the pair says beyond its syllables: "khai tử" much, "giấy phép" little.
      var extra = idf(ids.size) - Math.max(pair[0].idf, pair[1].idf);
      if (ids.size && extra > 0) out.push({ docs: ids, idf: extra, weight: weight });
    }
    return out;
  }

  // Whether the matches of `hs` come in this order in `seq`, close together: within
  // three words each and six more (an official name puts cases in between: "cấp Giấy
  // chứng nhận quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất lần đầu").
  function inOrder(seq, hs) {
    var span = 3 * hs.length + 6;
    for (var p = 0; p < seq.length; p++) {
      if (!hs[0].words.has(seq[p])) continue;
      var k = 1, q = p + 1;
      for (; q < seq.length && q - p < span && k < hs.length; q++) if (hs[k].words.has(seq[q])) k++;
      if (k === hs.length) return true;
    }
    return false;
  }

  function someNamed(hs, id) {
    for (var k = 0; k < hs.length; k++) if (hs[k].named[id]) return true;
    return false;
  }

  // Whether `ws` stand in `seq` side by side.
  function holds(seq, ws) {
    for (var p = 0; p + ws.length <= seq.length; p++) {
      var k = 0;
      while (k < ws.length && seq[p + k] === ws[k]) k++;
      if (k === ws.length) return true;
    }
    return false;
  }

  // The secondary forms a query asks for: those whose words it has side by side, in its
  // own words or in a wording the lexicon gave it.
  function askedFor(qs, cs) {
    var said = [qs];
    cs.forEach(function (c) { c.alts.forEach(function (a) { said.push(a.toks); }); });
    var asked = function (ws) {
      return said.some(function (seq) { return holds(seq, ws); });
    };
    return { secondary: secondary.map(asked), narrower: narrower.map(asked) };
  }

  // Whether a document's name is a secondary form the query did not ask for: its first
  // words (after "thủ tục", "đăng ký", "đề nghị", "thông báo") are one ("Cấp lại", "Xóa đăng
  // ký", "Đăng ký thay đổi"), and not a main form listed first ("Cấp, cấp lại").
  var LEAD = ["thu tuc", "dang ky", "de nghi", "thong bao"].map(tokens);
  function unasked(d, asked) {
    if (!d.sec) {
      var nw = nameWords(d), at = 0;
      d.sec = [];
      for (var l = 0; l < LEAD.length; l++) {
        if (holds(nw.slice(at, at + LEAD[l].length), LEAD[l])) at += LEAD[l].length;
      }
      var head = nw.slice(at, at + 4);
      if (!(head.length > 1 && head[0] === head[1])) {
        secondary.forEach(function (ws, i) {
          if (holds(head.slice(0, ws.length), ws) || (at > 0 && holds(nw.slice(at - 2, at - 2 + ws.length), ws))) d.sec.push(i);
        });
      }
      d.nar = [];
      narrower.forEach(function (ws, i) { if (holds(nw, ws)) d.nar.push(i); });
    }
    var factor = 1;
    if (d.sec.some(function (i) { return !asked.secondary[i]; })) factor *= SECONDARY;
    if (d.nar.some(function (i) { return !asked.narrower[i]; })) factor *= NARROWER;
    return factor;
  }

  // ---- Facets and scope ----
  var state = { q: "", unit: -1, home: -1, sector: "", level: "", online: "", status: "" };
  var inUnits = null; // unit index -> true, for the chosen unit and its sub-units
  var setCount = []; // set index -> how many chosen units publish it
  var homeSet = null;

  function subtree(u) {
    var mark = new Array(units.length).fill(false);
    if (u < 0) return mark.fill(true);
    mark[u] = true;
    // Parents come before their children in the index (niemyet resolves them in order).
    for (var i = u + 1; i < units.length; i++) if (units[i][2] >= 0 && mark[units[i][2]]) mark[i] = true;
    return mark;
  }

  function setScope() {
    inUnits = subtree(state.unit);
    setCount = sets.map(function () { return 0; });
    for (var i = 0; i < units.length; i++) {
      if (inUnits[i] && units[i][3] >= 0) setCount[units[i][3]]++;
    }
    pubCount = null;
    homeSet = state.home >= 0 && units[state.home][3] >= 0 ? setOf[units[state.home][3]] : null;
  }
  // Tests and tools search a scope without the page: a unit's index, or -1 for all.
  api.scope = function (u, home) {
    state.unit = u;
    state.home = home === undefined ? -1 : home;
    setScope();
  };

  // How many chosen units publish a catalogue document (counted once per scope).
  var pubCount = null;
  function publishers(d) {
    if (!pubCount) {
      pubCount = new Map();
      for (var s = 0; s < sets.length; s++) {
        if (!setCount[s]) continue;
        for (var i = 0; i < sets[s].length; i++) pubCount.set(sets[s][i], (pubCount.get(sets[s][i]) || 0) + setCount[s]);
      }
    }
    return pubCount.get(d[D_ID]) || 0;
  }

  function inHome(d) {
    if (state.home < 0) return false;
    if (d[D_UNIT] >= 0) return d[D_UNIT] === state.home;
    return homeSet !== null && homeSet.has(d[D_ID]);
  }

  function allowed(d) {
    if (state.sector !== "" && d[D_SECTOR] !== +state.sector) return false;
    if (state.level !== "" && !(d[D_LEVELS] & +state.level)) return false;
    if (state.online !== "" && d[D_ONLINE] !== +state.online) return false;
    if (state.status !== "" && d[D_STATUS] !== +state.status) return false;
    if (d[D_UNIT] >= 0) return inUnits[d[D_UNIT]];
    return publishers(d) > 0;
  }

  // A repealed procedure as a document (found by its code only): status 2, its date and
  // replacement where time and fee go.
  function repealedDoc(r) {
    return [-1, r[0], r[1], r[2], 0, 0, 2, r[4], r[5], fold(r[1]), "", "", r[3]];
  }

  // ---- Ranking ----
  function byCode(folded, qs) {
    // A query word that is a whole code finds that procedure (in any state); a query that
    // is the start of a code (typing "1.0041") finds the codes it starts, in order.
    var codeLike = /^\d+(\.\d*)?$/.test(folded);
    var exact = [], starts = [];
    var take = function (d, code) {
      if (qs.indexOf(code) >= 0) exact.push(d);
      else if (codeLike && code.startsWith(folded)) starts.push(d);
    };
    for (var c = 0; c < docs.length; c++) {
      var d = docs[c];
      if (d && allowed(d)) take(d, d[D_CODE].toLowerCase());
    }
    repealed.forEach(function (r) {
      if (r[3] < 0 || !inUnits || inUnits[r[3]]) take(repealedDoc(r), r[0].toLowerCase());
    });
    starts.sort(function (a, b) { return a[D_CODE] < b[D_CODE] ? -1 : a[D_CODE] > b[D_CODE] ? 1 : a[D_STATUS] - b[D_STATUS]; });
    return exact.length ? exact : starts;
  }

  function search(q) {
    if (!words) {
      words = Array.from(vocab.keys());
      hitCache.clear();
    }
    if (!norms) norms = lengthNorms();
    var folded = fold(q);
    var qs = tokens(folded);
    if (qs.length === 0) {
      // Browsing by facets: every allowed document, by sector then name.
      var all = [];
      for (var i = 0; i < docs.length; i++) if (docs[i] && allowed(docs[i])) all.push(docs[i]);
      all.sort(function (a, b) {
        return fold(sectors[a[D_SECTOR]]).localeCompare(fold(sectors[b[D_SECTOR]])) || a[D_NF].localeCompare(b[D_NF]);
      });
      return all;
    }
    var coded = byCode(folded, qs);
    if (coded.length) return coded;

    var typed = marked(q);
    var marks = qs.map(function (w, k) {
      return typed[k] && typed[k].w === w ? typed[k].marks : [];
    });
    var cs = concepts(qs, marks);
    var asked = askedFor(qs, cs);
    cs.forEach(conceptScores);
    // A concept weighs as many query words as it stands for: "sổ đỏ" as "kết hôn"; a
    // filler a little, whatever its idf. The concepts that count for "every word matched":
    // the required ones but those carrying little of the query's weight ("khác").
    cs.forEach(function (c) { c.weight = c.optional ? OPTIONAL : c.idf * c.len; });
    var mass = cs.reduce(function (t, c) { return t + (c.optional ? 0 : c.weight); }, 0);
    cs.forEach(function (c) { c.counts = !c.optional && c.weight >= MINOR * mass; });
    var required = cs.filter(function (c) { return c.counts; }).length;
    var found = new Map(); // doc id -> { covered, score }
    cs.forEach(function (c) {
      c.m.forEach(function (m, id) {
        var h = found.get(id);
        if (!h) found.set(id, (h = { covered: 0, score: 0, id: id }));
        if (c.counts) h.covered++;
        h.score += c.weight * m;
      });
    });
    var pairs = wordPairs(cs);
    var most = 0;
    found.forEach(function (h) {
      if (h.covered > most && allowed(docs[h.id])) most = h.covered;
    });
    // Every required concept matched, when some document matches them all; else the best
    // coverage there is, ranked by score alone (a stray word does not empty the list).
    var all = most === required;
    var out = [];
    found.forEach(function (h) {
      if (h.covered < (all ? required : Math.max(1, most - 1)) || !allowed(docs[h.id])) return;
      var d = docs[h.id];
      // Words side by side in the name as in the query ("khai tử", "tàu cá"): a pair of
      // syllables is a word, worth its own idf.
      pairs.forEach(function (p) {
        if (p.docs.has(h.id)) h.score += ADJACENT * p.idf * p.weight;
      });
      cs.forEach(function (c) {
        if (!c.lexicon || !c.m.has(h.id)) return;
        var best = 0;
        c.alts.forEach(function (alt) {
          if (alt.hits.length > 1) best = Math.max(best, pairsInName(d, alt.hits) / (alt.hits.length - 1));
        });
        h.score += ADJACENT * c.idf * best;
      });
      h.score *= unasked(d, asked);
      if (inHome(d)) h.score *= 1.1;
      h.doc = d;
      out.push(h);
    });
    out.sort(function (a, b) {
      return b.score - a.score ||
        a.doc[D_NF].length - b.doc[D_NF].length || (a.doc[D_NF] < b.doc[D_NF] ? -1 : 1);
    });
    var top = out.length ? out[0].score : 0;
    var shown = out.filter(function (h) { return h.score >= CUT * top; });
    return shown.map(function (h) { return h.doc; });
  }

  api.search = search; // ranked documents for a query, under the current facets

  // What the page (search-page.js) reads and drives.
  api.state = state;
  api.index = function () {
    return { units: units, sectors: sectors, groups: groups, groupSizes: groupSizes };
  };
  api.subtree = subtree;
  api.setScope = setScope;
  api.publishers = publishers;
  api.inHome = inHome;
  // The one unit in scope publishing a catalogue document, or -1.
  api.onlyPublisher = function (d) {
    for (var i = 0; i < units.length; i++) {
      if (inUnits[i] && units[i][3] >= 0 && setOf[units[i][3]].has(d[D_ID])) return i;
    }
    return -1;
  };
})();

