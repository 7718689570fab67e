// Sortable tables (table.sortable, /kiem-soat/): each column heading becomes a button
// that sorts the rows by that column, ascending then descending. A cell's `data-sort`
// is its sort key when given; `data-type="number"` on the heading sorts as numbers.
// Without JavaScript the table stays as it was written, in the site's order.
(function () {
  var tables = document.querySelectorAll("table.sortable");
  if (!tables.length) return;
  document.querySelectorAll(".js-only").forEach(function (e) { e.hidden = false; });
  tables.forEach(function (table) {
    var body = table.tBodies[0];
    var heads = table.tHead ? table.tHead.rows[0].cells : [];
    Array.prototype.forEach.call(heads, function (th, col) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "sort-button";
      while (th.firstChild) button.appendChild(th.firstChild);
      th.appendChild(button);
      th.setAttribute("aria-sort", "none");
      var numeric = th.getAttribute("data-type") === "number";
      button.addEventListener("click", function () {
        var asc = th.getAttribute("aria-sort") !== "ascending";
        Array.prototype.forEach.call(heads, function (h) { h.setAttribute("aria-sort", "none"); });
        th.setAttribute("aria-sort", asc ? "ascending" : "descending");
        var key = function (row) {
          var cell = row.cells[col];
          var v = cell.hasAttribute("data-sort") ? cell.getAttribute("data-sort") : cell.textContent.trim();
          return numeric ? parseFloat(v) || 0 : v;
        };
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b) {
          var x = key(a), y = key(b);
          var c = numeric ? x - y : String(x).localeCompare(String(y), "vi");
          return asc ? c : -c;
        });
        rows.forEach(function (r) { body.appendChild(r); });
      });
    });
  });
})();
