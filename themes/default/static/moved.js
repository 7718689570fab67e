// niemyet: leads an address below a former unit on to where it is now. Before the 2025
// reorganisation a commune's procedures had addresses under its own (old/1.001193/),
// bookmarked and printed in QR codes on its board. The former unit's own address is a
// page (it leads to the unit that replaced it, or lists them after a split), and so is
// its board's (old/niem-yet/); the addresses below it are not: a page for each would be
// a file for every code of every former commune (247,000 files nationally, a seventh of
// the national build's time), for addresses few will open. So the server answers them
// with 404.html, which loads this script: it reads the page one level up, and when that
// is a former unit's page, goes on to the same address at the unit that replaced it when
// that unit publishes it (a HEAD request says so), else to that unit's page. After a
// split it shows, in place of the 404 text, the former unit's list of new units, each
// linking to its own page of the address when it has one. Anything else stays the 404
// page. Without scripts the 404 page says where to start instead.
(function () {
  "use strict";
  if (!window.fetch || !window.DOMParser || location.protocol === "file:") return;
  var path = location.pathname.replace(/index\.html$/, "");
  var last = /[^\/]+\/?$/.exec(path);
  if (!last) return;
  // "./": the last part is always a path below the new unit, never read as an address
  // of its own ("https:host").
  var rest = "./" + last[0];
  var parent = new URL(path.slice(0, path.length - last[0].length), location.href);
  var tail = location.search + location.hash;
  // Only ever within this site: an address like //other.host/x/ makes "one level up"
  // another host, which must not choose where the site's 404 page sends a reader.
  if (parent.origin !== location.origin) return;

  function ours(href, base) {
    var u = new URL(href, base);
    return u.origin === location.origin ? u : null;
  }

  // Where a successor's link goes: its page of the address when it has one, else its
  // own page.
  function target(unit) {
    var there = ours(rest, unit.href);
    if (!there) return Promise.resolve(unit.href);
    return fetch(there.href, { method: "HEAD", mode: "same-origin", credentials: "same-origin" }).then(
      function (r) { return r.ok ? there.href + tail : unit.href; },
      function () { return unit.href; }
    );
  }

  fetch(parent.href, { mode: "same-origin", credentials: "same-origin" })
    .then(function (r) {
      var type = r.headers.get("content-type") || "";
      return r.ok && type.indexOf("text/html") === 0 ? r.text() : "";
    })
    .then(function (html) {
      if (!html) return;
      var doc = new DOMParser().parseFromString(html, "text/html");
      var links = Array.prototype.slice.call(doc.querySelectorAll("a[data-successor]"));
      var units = links.map(function (a) {
        return ours(a.getAttribute("href").replace(/index\.html$/, ""), parent.href);
      });
      if (units.length === 0 || units.indexOf(null) >= 0) return;
      var note = document.querySelector("[data-moved-note]");
      if (note) note.hidden = false;
      if (units.length === 1) {
        return target(units[0]).then(function (url) { location.replace(url); });
      }
      return Promise.all(units.map(target)).then(function (urls) {
        var main = doc.querySelector("main");
        var here = document.querySelector("main");
        if (!main || !here) return location.replace(parent.href);
        links.forEach(function (a, i) { a.setAttribute("href", urls[i]); });
        var others = main.querySelectorAll("a[href]:not([data-successor])");
        for (var i = 0; i < others.length; i++) {
          var u = ours(others[i].getAttribute("href"), parent.href);
          if (u) others[i].setAttribute("href", u.href); else others[i].removeAttribute("href");
        }
        while (here.firstChild) here.removeChild(here.firstChild);
        while (main.firstChild) here.appendChild(document.adoptNode(main.firstChild));
        document.title = doc.title;
      });
    })
    .catch(function () {});
})();
