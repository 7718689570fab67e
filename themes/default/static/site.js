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

  // The print date. Pages say when they were made ("Ngày tạo 07/12/2026": true without
  // scripts); printed, they say the day they are printed ("Ngày in …"), in the running
  // footers (@page rules in a <style>) and in the text.
  function printDate() {
    var b = document.body;
    var created = b.getAttribute("data-created");
    var label = b.getAttribute("data-print-label");
    if (!created || !label) return;
    var d = new Date();
    var two = function (n) { return (n < 10 ? "0" : "") + n; };
    var today = two(d.getDate()) + "/" + two(d.getMonth() + 1) + "/" + d.getFullYear();
    var printed = function (text) { return text.split(created).join(label + " " + today); };
    var styles = document.querySelectorAll("style");
    for (var i = 0; i < styles.length; i++) {
      var css = styles[i].textContent;
      if (css.indexOf(created) >= 0) styles[i].textContent = printed(css);
    }
    // The sheets' own footers (printed where margin boxes are missing) say it as well.
    var footers = document.querySelectorAll("[data-printed]");
    for (var f = 0; f < footers.length; f++) footers[f].textContent = printed(footers[f].textContent);
    var dates = document.querySelectorAll("[data-print-date]");
    for (var j = 0; j < dates.length; j++) dates[j].textContent = today;
    var labels = document.querySelectorAll("[data-print-label]");
    for (var k = 0; k < labels.length; k++) {
      if (labels[k] !== b) labels[k].textContent = labels[k].getAttribute("data-print-label");
    }
    b.setAttribute("data-created", label + " " + today);
  }
  window.addEventListener("beforeprint", printDate);
})();
