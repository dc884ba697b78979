// Laporan tab: a refused "Buat PDF" (400) still replaces the documents, so its reason shows next to them.
(function () {
  "use strict";
  document.addEventListener("htmx:beforeSwap", function (event) {
    var target = event.detail.target;
    if (event.detail.xhr.status === 400 && target && target.id === "report-docs") {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });
})();
