// Small behaviours shared by every page. No inline scripts: the Content-Security-Policy forbids them.
(function () {
  "use strict";
  // Submit a select's form when it changes (filters), for elements marked data-autosubmit.
  document.addEventListener("change", function (event) {
    var el = event.target;
    if (el.matches && el.matches("[data-autosubmit]") && el.form) {
      el.form.requestSubmit ? el.form.requestSubmit() : el.form.submit();
    }
  });
  // Ask before destructive buttons marked data-confirm.
  document.addEventListener("click", function (event) {
    var el = event.target.closest ? event.target.closest("[data-confirm]") : null;
    if (el && !window.confirm(el.getAttribute("data-confirm"))) {
      event.preventDefault();
      event.stopPropagation();
    }
  }, true);
  // Enter in a search field that fills a select (data-search-only, the library picker) searches now instead
  // of submitting the form around it.
  document.addEventListener("keydown", function (event) {
    var el = event.target;
    if (event.key === "Enter" && el.matches && el.matches("[data-search-only]")) {
      event.preventDefault();
      if (window.htmx) { window.htmx.trigger(el, "search"); }
    }
  });
  // htmx: show a plain message when the connection drops instead of failing silently.
  document.addEventListener("htmx:sendError", function () {
    var box = document.getElementById("connection-error");
    if (box) { box.classList.remove("d-none"); }
  });
  document.addEventListener("htmx:afterRequest", function (event) {
    var box = document.getElementById("connection-error");
    if (box && event.detail.successful) { box.classList.add("d-none"); }
  });
})();
