// "In riêng ngày này" on /<unit>/niem-yet/thay-doi/: the link makes its day the page's
// target (changes.css then prints that day alone); with JavaScript it also opens the
// print dialog. Without JavaScript the link still selects the day for the browser's Print.
document.addEventListener("click", function (e) {
  var a = e.target.closest && e.target.closest("a.change-print");
  if (!a) return;
  e.preventDefault();
  location.hash = a.getAttribute("href").slice(1);
  window.print();
});
