// niemyet search page: the form, the facets, the results, the address; the index and the
// ranking are in search.js, loaded before (window.NIEMYET_SEARCH).
(function () {
  "use strict";
  var S = window.NIEMYET_SEARCH;
  var form = document.getElementById("search-form");
  if (!S || !form) return;
  var state = S.state, fold = S.fold, search = S.search;
  var subtree = S.subtree, setScope = S.setScope, publishers = S.publishers, inHome = S.inHome;
  var ix = S.index();
  // Positions in a document array (SearchDoc in src/render/search/index.rs).
  var D_ID = 0, D_CODE = 1, D_NAME = 2, D_SECTOR = 3, D_STATUS = 6, D_TIME = 7, D_FEE = 8, D_UNIT = 12;
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
    for (var i = 0; i < ix.units.length; i++) {
      if (!mark[i]) continue;
      if (ix.units[i][4] > 0) own.push("idx/u/" + ix.units[i][0].replace(/\//g, ".") + ".js");
      if (ix.units[i][3] >= 0) used[ix.units[i][3]] = true;
    }
    for (var g = 0; g < ix.groups.length; g++) {
      total += ix.groupSizes[g] || 0;
      if (ix.groups[g].some(function (s) { return used[s]; })) {
        shared.push("idx/c/" + g + ".js");
        needed += ix.groupSizes[g] || 0;
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
    if (state.unit >= 0) p.set("u", ix.units[state.unit][0]);
    if (state.home >= 0 && state.home !== state.unit) p.set("h", ix.units[state.home][0]);
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
    var kids = ix.units.map(function () { return []; });
    ix.units.forEach(function (u, i) { if (u[2] >= 0) kids[u[2]].push(i); });
    (function walk(list, depth) {
      list.forEach(function (i) { order.push([i, depth]); walk(kids[i], depth + 1); });
    })(ix.units.map(function (u, i) { return i; }).filter(function (i) { return ix.units[i][2] < 0; }), 0);
    order.forEach(function (x) { option(sel.unit, ix.units[x[0]][0], "\u00a0\u00a0".repeat(x[1]) + ix.units[x[0]][1]); });
    ix.sectors.map(function (s, i) { return [fold(s), s, i]; })
      .sort(function (a, b) { return a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0; })
      .forEach(function (s) { option(sel.sector, String(s[2]), s[1]); });
    facets.hidden = false;
    // Open on wide screens, or when a facet is set; a phone keeps the results in view.
    if (state.sector || state.level || state.online || state.status || window.matchMedia("(min-width: 40em)").matches) facets.open = true;
  }

  function syncControls() {
    input.value = state.q;
    sel.unit.value = state.unit >= 0 ? ix.units[state.unit][0] : "";
    sel.sector.value = state.sector;
    sel.level.value = state.level;
    sel.online.value = state.online;
    sel.status.value = state.status;
    scopeEl.hidden = state.unit < 0;
    if (state.unit >= 0) document.getElementById("scope-name").textContent = ix.units[state.unit][1];
  }

  function row(d) {
    var li = document.createElement("li");
    li.className = "result";
    var a = document.createElement("a");
    var unitLabel;
    if (d[D_UNIT] >= 0) {
      a.href = href(ix.units[d[D_UNIT]][0] + "/" + d[D_CODE]);
      unitLabel = ix.units[d[D_UNIT]][1];
    } else if (d[D_STATUS] === 2) {
      a.href = href("tthc/" + d[D_CODE]);
      unitLabel = "";
    } else if (inHome(d)) {
      a.href = href(ix.units[state.home][0] + "/" + d[D_CODE]);
      unitLabel = ix.units[state.home][1];
    } else {
      var n = publishers(d), only = n === 1 ? S.onlyPublisher(d) : -1;
      if (only >= 0) {
        a.href = href(ix.units[only][0] + "/" + d[D_CODE]);
        unitLabel = ix.units[only][1];
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
    if (d[D_STATUS] === 1 || d[D_STATUS] === 2) {
      var tag = document.createElement("span");
      tag.className = d[D_STATUS] === 2 ? "tag tag-repealed" : "tag";
      tag.textContent = d[D_STATUS] === 2 ? T.status_repealed : T.status_upcoming;
      li.appendChild(document.createTextNode(" "));
      li.appendChild(tag);
    }
    var meta = document.createElement("div");
    meta.className = "result-meta";
    if (d[D_STATUS] === 2) {
      meta.textContent = [unitLabel, ix.sectors[d[D_SECTOR]], T.search_repealed_on + " " + d[D_TIME]]
        .filter(Boolean).join(" · ") + (d[D_FEE] ? " · " + T.replaced_by + " " : "");
      if (d[D_FEE]) {
        var rb = document.createElement("a");
        rb.href = href("tthc/" + d[D_FEE]);
        rb.textContent = d[D_FEE];
        meta.appendChild(rb);
      }
    } else {
      meta.textContent = unitLabel + " · " + ix.sectors[d[D_SECTOR]] + " · " + T.time + ": " + d[D_TIME] + " · " + T.fee + ": " + d[D_FEE];
    }
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
    var key = results.slice(0, PAGE).map(function (d) { return d[D_ID] + d[D_CODE]; }).join(",") + "|" + state.unit + "|" + state.home;
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
    for (var i = 0; i < ix.units.length; i++) if (ix.units[i][0] === path) return i;
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
    ix = S.index();
    if (!ix.units.length) {
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
