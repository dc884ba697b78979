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
