// niemyet search client. The index is built by niemyet (src/render/search.rs) as script
// files that call NIEMYET_SEARCH.add(...): they load with <script> tags, so search works
// over HTTP and from file:// alike (no fetch, no WebAssembly). Without JavaScript the
// page still lists every procedure by sector.
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

  // Positions in a document array (SearchDoc in search.rs).
  var D_ID = 0, D_CODE = 1, D_NAME = 2, D_SECTOR = 3, D_LEVELS = 4, D_ONLINE = 5,
    D_STATUS = 6, D_TIME = 7, D_FEE = 8, D_NF = 9, D_KW = 10, D_BODY = 11, D_UNIT = 12;
  // Fields a word can match in, and what a match there is worth.
  var F_NAME = 0, F_KW = 1, F_BODY = 2;
  var WEIGHT = [10, 7, 2];

  var units = [], sectors = [], sets = [], groups = [], groupSizes = [], docs = [], build = "";
  var vocab = new Map(); // word -> [doc id * 4 + field, ...]
  var words = null; // vocab keys, rebuilt after new documents arrive
  var setOf = []; // set index -> Set of doc ids

  var api = {
    fold: fold,
    tokens: tokens,
    add: function (part) {
      if (part.units) {
        units = part.units;
        sectors = part.sectors;
        sets = part.sets;
        groups = part.groups || [];
        groupSizes = part.group_sizes || [];
        build = part.build;
        setOf = sets.map(function (s) { return new Set(s); });
      }
      for (var i = 0; i < part.docs.length; i++) {
        var d = part.docs[i];
        if (docs[d[D_ID]]) continue; // a unit's part and local.js may both arrive
        docs[d[D_ID]] = d;
        index(d);
      }
      words = null;
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

  // The words of the index a query word matches, with how well: 1 exact, 0.75 prefix
  // (the word being typed), 0.45 one typo (words of 4 letters or more). Remembered, so
  // typing on only looks up the word being typed.
  var expanded = new Map();
  function expand(q, last) {
    if (!words) {
      words = Array.from(vocab.keys());
      expanded.clear();
    }
    var key = (last ? "1" : "0") + q;
    var hit = expanded.get(key);
    if (hit) return hit;
    var out = [];
    var typo = q.length >= 4;
    var ql = q.length;
    for (var i = 0; i < words.length; i++) {
      var w = words[i];
      if (w === q) out.push([w, 1]);
      else if (w.length > ql && w.startsWith(q)) out.push([w, last ? 0.75 : 0.6]);
      else if (typo && within1(q, w, w.length)) out.push([w, 0.45]);
      else if (typo && last && w.length > ql && within1(q, w, ql)) out.push([w, 0.35]);
    }
    if (expanded.size > 500) expanded.clear();
    expanded.set(key, out);
    return out;
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

  // ---- Ranking ----
  function search(q) {
    var folded = fold(q);
    var qs = tokens(folded);
    var hits = new Map(); // doc id -> { score, matched, strong }
    if (qs.length === 0) {
      // Browsing by facets: every allowed document, by sector then name.
      var all = [];
      for (var i = 0; i < docs.length; i++) if (docs[i] && allowed(docs[i])) all.push(docs[i]);
      all.sort(function (a, b) {
        return fold(sectors[a[D_SECTOR]]).localeCompare(fold(sectors[b[D_SECTOR]])) || a[D_NF].localeCompare(b[D_NF]);
      });
      return all;
    }
    for (var t = 0; t < qs.length; t++) {
      var best = new Map(); // doc id -> [best score, fields matched as bits]
      var ex = expand(qs[t], t === qs.length - 1);
      for (var e = 0; e < ex.length; e++) {
        var list = vocab.get(ex[e][0]);
        // One or two letters typed: their prefixes count in names and keywords only (in
        // the body they match nearly everything and only slow the first keystrokes).
        var bodyToo = ex[e][1] === 1 || qs[t].length > 2;
        for (var k = 0; k < list.length; k++) {
          var id = list[k] >> 2, f = list[k] & 3;
          if (f === F_BODY && !bodyToo) continue;
          var s = WEIGHT[f] * ex[e][1];
          var prev = best.get(id);
          if (!prev) best.set(id, [s, 1 << f]);
          else {
            if (prev[0] < s) prev[0] = s;
            prev[1] |= 1 << f;
          }
        }
      }
      best.forEach(function (v, id) {
        var h = hits.get(id);
        if (!h) hits.set(id, (h = { score: 0, matched: 0, strong: 0, name: 0 }));
        h.score += v[0];
        h.matched++;
        if (v[1] & (1 << F_NAME)) h.name++;
        if (v[1] & ((1 << F_NAME) | (1 << F_KW))) h.strong++;
      });
    }
    // Codes: a query word that is a whole code ranks that procedure first; a query that
    // is the start of a code (typing "1.0041") finds the codes it starts.
    var codeLike = /^\d+(\.\d*)?$/.test(folded);
    for (var c = 0; c < docs.length; c++) {
      var d = docs[c];
      if (!d) continue;
      var code = d[D_CODE].toLowerCase();
      var exact = qs.indexOf(code) >= 0;
      if (exact || (codeLike && code.startsWith(folded))) {
        var h2 = hits.get(d[D_ID]);
        if (!h2) hits.set(d[D_ID], (h2 = { score: 0, matched: 0, strong: 0, name: 0 }));
        h2.matched = h2.strong = h2.name = qs.length;
        h2.code = exact ? 2 : 1;
      }
    }
    // Every word must match; when nothing does, one word may miss (a stray word).
    var need = qs.length;
    if (qs.length >= 2) {
      var full = false;
      hits.forEach(function (h, id) { if (!full && h.matched === qs.length && allowed(docs[id])) full = true; });
      if (!full) need = qs.length - 1;
    }
    var out = [];
    hits.forEach(function (h, id) {
      if (h.matched < need) return;
      var d = docs[id];
      if (!allowed(d)) return;
      var nf = d[D_NF];
      if (nf === folded) h.score += 30;
      else if (nf.startsWith(folded)) h.score += 15;
      else if (nf.indexOf(folded) >= 0) h.score += 8;
      h.doc = d;
      h.home = inHome(d) ? 1 : 0;
      out.push(h);
    });
    out.sort(function (a, b) {
      return (b.code || 0) - (a.code || 0) ||
        (a.code === 1 && b.code === 1 ? (a.doc[D_CODE] < b.doc[D_CODE] ? -1 : 1) : 0) ||
        b.matched - a.matched ||
        b.name - a.name ||
        b.strong - a.strong ||
        b.home - a.home ||
        b.score - a.score ||
        a.doc[D_NF].length - b.doc[D_NF].length ||
        (a.doc[D_NF] < b.doc[D_NF] ? -1 : 1);
    });
    return out.map(function (h) { return h.doc; });
  }

  api.search = search; // ranked documents for a query, under the current facets

  // ---- Page ----
  var form = document.getElementById("search-form");
  if (!form) return; // loaded on another page (tests load the folding alone)
  var T = JSON.parse(document.getElementById("search-strings").textContent);
  var root = form.getAttribute("data-root") || "";
  var fileLinks = form.getAttribute("data-file-links") === "true" || location.protocol === "file:";
  var input = document.getElementById("q");
  var statusEl = document.getElementById("search-status");
  var list = document.getElementById("results");
  var more = document.getElementById("more");
  var az = document.getElementById("az");
  var facets = document.getElementById("facets");
  var sel = {
    unit: document.getElementById("f-unit"), sector: document.getElementById("f-sector"),
    level: document.getElementById("f-level"), online: document.getElementById("f-online"),
    status: document.getElementById("f-status"),
  };
  var scopeEl = document.getElementById("scope");
  var shown = 0, results = [], ready = false;
  var PAGE = 20;

  function href(path) {
    return root + path + "/" + (fileLinks ? "index.html" : "");
  }

  function src(file) {
    var v = form.getAttribute("data-build");
    return file + (location.protocol === "file:" || !v ? "" : "?v=" + v);
  }

  var loaded = {};
  function load(files, done) {
    var left = 0;
    files.forEach(function (f) {
      if (loaded[f]) return;
      loaded[f] = true;
      left++;
      var s = document.createElement("script");
      s.src = src(f);
      s.onload = s.onerror = function () {
        if (--left === 0) done();
      };
      document.head.appendChild(s);
    });
    if (left === 0) done();
  }

  // The parts a search in the chosen unit needs: the groups of catalogue procedures its
  // units adopt, and its units' own documents. When the groups hold most of the catalogue
  // anyway, or the parts are many, the whole files instead (fewer requests, same bytes).
  function partsFor(u) {
    if (u < 0) return ["idx/shared.js", "idx/local.js"];
    var mark = subtree(u), own = [], used = {}, shared = [], needed = 0, total = 0;
    for (var i = 0; i < units.length; i++) {
      if (!mark[i]) continue;
      if (units[i][4] > 0) own.push("idx/u/" + units[i][0].replace(/\//g, ".") + ".js");
      if (units[i][3] >= 0) used[units[i][3]] = true;
    }
    for (var g = 0; g < groups.length; g++) {
      total += groupSizes[g] || 0;
      if (groups[g].some(function (s) { return used[s]; })) {
        shared.push("idx/c/" + g + ".js");
        needed += groupSizes[g] || 0;
      }
    }
    var whole = shared.length > 40 || (shared.length > 1 && needed >= 0.8 * total);
    return (whole ? ["idx/shared.js"] : shared).concat(own.length > 8 ? ["idx/local.js"] : own);
  }

  function readState() {
    var p = new URLSearchParams(location.search);
    state.q = p.get("q") || "";
    state.sector = p.get("s") || "";
    state.level = p.get("l") || "";
    state.online = p.get("o") || "";
    state.status = p.get("st") || "";
    return p.get("u") || "";
  }

  function writeState() {
    var p = new URLSearchParams();
    if (state.q) p.set("q", state.q);
    if (state.unit >= 0) p.set("u", units[state.unit][0]);
    if (state.home >= 0 && state.home !== state.unit) p.set("h", units[state.home][0]);
    if (state.sector) p.set("s", state.sector);
    if (state.level) p.set("l", state.level);
    if (state.online) p.set("o", state.online);
    if (state.status) p.set("st", state.status);
    var qs = p.toString();
    try {
      history.replaceState(null, "", location.pathname + (qs ? "?" + qs : ""));
    } catch (e) { /* some file:// browsers refuse; the search still works */ }
  }

  function option(select, value, label) {
    var o = document.createElement("option");
    o.value = value;
    o.textContent = label;
    select.appendChild(o);
  }

  function fillFacets() {
    var order = [];
    var kids = units.map(function () { return []; });
    units.forEach(function (u, i) { if (u[2] >= 0) kids[u[2]].push(i); });
    (function walk(list, depth) {
      list.forEach(function (i) { order.push([i, depth]); walk(kids[i], depth + 1); });
    })(units.map(function (u, i) { return i; }).filter(function (i) { return units[i][2] < 0; }), 0);
    order.forEach(function (x) { option(sel.unit, units[x[0]][0], "\u00a0\u00a0".repeat(x[1]) + units[x[0]][1]); });
    sectors.map(function (s, i) { return [fold(s), s, i]; })
      .sort(function (a, b) { return a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0; })
      .forEach(function (s) { option(sel.sector, String(s[2]), s[1]); });
    facets.hidden = false;
    // Open on wide screens, or when a facet is set; a phone keeps the results in view.
    if (state.sector || state.level || state.online || state.status || window.matchMedia("(min-width: 40em)").matches) facets.open = true;
  }

  function syncControls() {
    input.value = state.q;
    sel.unit.value = state.unit >= 0 ? units[state.unit][0] : "";
    sel.sector.value = state.sector;
    sel.level.value = state.level;
    sel.online.value = state.online;
    sel.status.value = state.status;
    scopeEl.hidden = state.unit < 0;
    if (state.unit >= 0) document.getElementById("scope-name").textContent = units[state.unit][1];
  }

  function row(d) {
    var li = document.createElement("li");
    li.className = "result";
    var a = document.createElement("a");
    var unitLabel;
    if (d[D_UNIT] >= 0) {
      a.href = href(units[d[D_UNIT]][0] + "/" + d[D_CODE]);
      unitLabel = units[d[D_UNIT]][1];
    } else if (inHome(d)) {
      a.href = href(units[state.home][0] + "/" + d[D_CODE]);
      unitLabel = units[state.home][1];
    } else {
      var n = publishers(d), only = -1;
      if (n === 1) {
        for (var i = 0; i < units.length; i++) {
          if (inUnits[i] && units[i][3] >= 0 && setOf[units[i][3]].has(d[D_ID])) { only = i; break; }
        }
      }
      if (only >= 0) {
        a.href = href(units[only][0] + "/" + d[D_CODE]);
        unitLabel = units[only][1];
      } else {
        a.href = href("tthc/" + d[D_CODE]);
        unitLabel = n + " " + T.search_units_count;
      }
    }
    a.className = "result-name";
    a.textContent = d[D_NAME];
    li.appendChild(a);
    var code = document.createElement("span");
    code.className = "code";
    code.textContent = " " + d[D_CODE];
    li.appendChild(code);
    if (d[D_STATUS] === 1) {
      var tag = document.createElement("span");
      tag.className = "tag";
      tag.textContent = T.status_upcoming;
      li.appendChild(document.createTextNode(" "));
      li.appendChild(tag);
    }
    var meta = document.createElement("div");
    meta.className = "result-meta";
    meta.textContent = unitLabel + " · " + sectors[d[D_SECTOR]] + " · " + T.time + ": " + d[D_TIME] + " · " + T.fee + ": " + d[D_FEE];
    li.appendChild(meta);
    return li;
  }

  function showMore() {
    var frag = document.createDocumentFragment();
    var end = Math.min(results.length, shown + PAGE);
    for (; shown < end; shown++) frag.appendChild(row(results[shown]));
    list.appendChild(frag);
    more.hidden = shown >= results.length;
  }

  var shownKey = "";
  function run() {
    if (!ready) return;
    var browsing = !state.q.trim() && !state.sector && !state.level && !state.online && !state.status && state.unit < 0;
    shown = 0;
    if (browsing) {
      list.textContent = "";
      shownKey = "";
      results = [];
      statusEl.textContent = "";
      more.hidden = true;
      az.hidden = false;
      return;
    }
    az.hidden = true;
    results = search(state.q);
    var status = results.length
      ? results.length + " " + T.search_results
      : state.unit >= 0 ? T.search_none_scoped + " " + T.search_none : T.search_none;
    if (statusEl.textContent !== status) statusEl.textContent = status;
    // Typing on often keeps the same first results: leave the list as it is then.
    var key = results.slice(0, PAGE).map(function (d) { return d[D_ID]; }).join(",") + "|" + state.unit + "|" + state.home;
    if (key === shownKey && list.children.length === Math.min(results.length, PAGE)) {
      shown = Math.min(results.length, PAGE);
      more.hidden = shown >= results.length;
      return;
    }
    shownKey = key;
    list.textContent = "";
    showMore();
  }

  function unitIndex(path) {
    path = path.replace(/^\/+|\/+$/g, "");
    for (var i = 0; i < units.length; i++) if (units[i][0] === path) return i;
    return -1;
  }

  function chooseUnit(u) {
    state.unit = u;
    setScope();
    syncControls();
    ready = false;
    statusEl.textContent = T.search_loading;
    form.removeAttribute("data-ready");
    load(partsFor(u), function () {
      ready = true;
      form.setAttribute("data-ready", "1");
      run();
      writeState();
    });
  }

  var homePath = readState();
  statusEl.textContent = T.search_loading;
  load(["idx/catalog.js"], function () {
    if (!units.length) {
      // No index (not built, or not copied): the list of every procedure stays.
      statusEl.textContent = "";
      return;
    }
    var p = new URLSearchParams(location.search);
    state.home = unitIndex(p.get("h") || homePath);
    fillFacets();
    chooseUnit(unitIndex(homePath));
  });

  input.addEventListener("input", function () {
    state.q = input.value;
    run();
    writeState();
  });
  form.addEventListener("submit", function (e) {
    e.preventDefault();
    state.q = input.value;
    run();
    writeState();
  });
  ["sector", "level", "online", "status"].forEach(function (k) {
    sel[k].addEventListener("change", function () {
      state[k] = sel[k].value;
      syncControls();
      run();
      writeState();
    });
  });
  sel.unit.addEventListener("change", function () {
    chooseUnit(unitIndex(sel.unit.value));
  });
  document.getElementById("widen").addEventListener("click", function () {
    chooseUnit(-1);
    input.focus();
  });
  more.addEventListener("click", showMore);
})();
