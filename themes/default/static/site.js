// niemyet: small progressive enhancements; every page works without this file.
(function () {
  "use strict";
  // Opened from disk (file://), folders do not open their index.html by themselves:
  // point relative folder links at index.html.
  if (location.protocol === "file:") {
    var links = document.querySelectorAll("a[href]");
    for (var i = 0; i < links.length; i++) {
      var h = links[i].getAttribute("href");
      if (!/^[a-z]+:/i.test(h) && !h.startsWith("#") && (h === "" || h.endsWith("/") || h.endsWith("../"))) {
        links[i].setAttribute("href", h + "index.html");
      }
    }
  }
})();
