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
    // The same for forms (the search box goes to tim-kiem/).
    var forms = document.querySelectorAll("form[action]");
    for (var j = 0; j < forms.length; j++) {
      var a = forms[j].getAttribute("action");
      if (!/^[a-z]+:/i.test(a) && a.endsWith("/")) forms[j].setAttribute("action", a + "index.html");
    }
  }
})();
