// niemyet: leads an address below a former unit on to where it is now. Before the 2025
// reorganisation a commune's procedures had addresses under its own (old/1.001193/),
// bookmarked and printed in QR codes on its board. The former unit's own address is a
// page (it leads to the unit that replaced it, or lists them after a split), and so is
// its board's (old/niem-yet/); the addresses below it are not: a page for each would be
// a file for every code of every former commune (247,000 files nationally, a seventh of
// the national build's time), for addresses few will open. So the server answers them
// with 404.html, which loads this script: it reads the page one level up, and when that
// is a former unit's page, goes on to the same address at the unit that replaced it when
// that unit publishes it (a HEAD request says so), else to that unit's page; after a
// split, to the former unit's page, which lists the new units. Anything else stays the
// 404 page. Without scripts the 404 page says where to start instead.
(function () {
  "use strict";
  if (!window.fetch || !window.DOMParser || location.protocol === "file:") return;
  var path = location.pathname.replace(/index\.html$/, "");
  var last = /[^\/]+\/?$/.exec(path);
  if (!last) return;
  var rest = last[0];
  var parent = new URL(path.slice(0, path.length - rest.length), location.href);
  var tail = location.search + location.hash;
  // Only ever within this site: an address like //other.host/x/ makes "one level up"
  // another host, which must not choose where the site's 404 page sends a reader.
  if (parent.origin !== location.origin) return;

  function go(url) {
    var note = document.querySelector("[data-moved-note]");
    if (note) note.hidden = false;
    location.replace(url);
  }

  fetch(parent.href, { mode: "same-origin", credentials: "same-origin" })
    .then(function (r) {
      var type = r.headers.get("content-type") || "";
      return r.ok && type.indexOf("text/html") === 0 ? r.text() : "";
    })
    .then(function (html) {
      if (!html) return;
      var doc = new DOMParser().parseFromString(html, "text/html");
      var successors = doc.querySelectorAll("a[data-successor]");
      if (successors.length === 0) return;
      if (successors.length > 1) return go(parent.href);
      var unit = new URL(successors[0].getAttribute("href").replace(/index\.html$/, ""), parent.href);
      var there = new URL(rest, unit.href);
      if (unit.origin !== location.origin || there.origin !== location.origin) return;
      return fetch(there.href, { method: "HEAD", mode: "same-origin", credentials: "same-origin" }).then(
        function (r) { go(r.ok ? there.href + tail : unit.href); },
        function () { go(unit.href); }
      );
    })
    .catch(function () {});
})();
