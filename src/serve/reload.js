// niemyet serve: live reload. Injected into pages only by `niemyet serve`, never into a
// build. Listens to the server's event stream; reloads this page when its own output
// changed, and shows the content's errors over the page (text only, no HTML from the
// server is ever inserted).
(function () {
  if (!window.EventSource) return;
  var me = decodeURIComponent(location.pathname).replace(/^\/+/, "");
  if (me === "" || me.charAt(me.length - 1) === "/") me += "index.html";
  var box = null;
  function overlay(m) {
    if (box) { box.remove(); box = null; }
    if (!m.errors || !m.errors.length) return;
    box = document.createElement("div");
    box.id = "niemyet-errors";
    box.setAttribute("role", "alert");
    box.style.cssText = "position:fixed;inset:0 0 auto 0;max-height:80vh;overflow:auto;z-index:2147483647;" +
      "background:#fff4f4;color:#600;border-bottom:3px solid #b00;padding:1rem;font:14px/1.5 system-ui,sans-serif;box-shadow:0 2px 8px #0004";
    var h = document.createElement("strong");
    h.textContent = m.title || "";
    var p = document.createElement("p");
    p.textContent = m.hint || "";
    p.style.margin = ".25rem 0";
    var pre = document.createElement("pre");
    pre.style.cssText = "white-space:pre-wrap;word-break:break-word;margin:0;font:13px/1.4 monospace";
    pre.textContent = m.errors.join("\n");
    var close = document.createElement("button");
    close.type = "button";
    close.textContent = m.close || "×";
    close.style.cssText = "float:right;min-height:2.5rem;min-width:2.5rem";
    close.onclick = function () { if (box) { box.remove(); box = null; } };
    box.appendChild(close); box.appendChild(h); box.appendChild(p); box.appendChild(pre);
    document.body.appendChild(box);
  }
  var es = new EventSource("/__niemyet/events");
  // For tests and the curious: the page is listening.
  es.onopen = function () { window.__niemyetLive = true; };
  es.addEventListener("update", function (e) {
    var m;
    try { m = JSON.parse(e.data); } catch (err) { return; }
    overlay(m);
    if (m.all || (m.changed && m.changed.indexOf(me) >= 0)) location.reload();
  });
})();
