// Attendance tab (check-in at the door), the self check-in QR page and the public self check-in page.
// No inline scripts or eval: the Content-Security-Policy forbids them.
(function () {
  "use strict";

  // The check-in list's search and "not yet present" filter are answered by the server (htmx, or a plain GET
  // form without JavaScript): the list is paged, and the person asked for may be on another page.

  // On a wide screen the self check-in panel has room beside the list: show it open.
  var panel = document.getElementById("self-checkin");
  if (panel && window.matchMedia && window.matchMedia("(min-width: 992px)").matches) {
    panel.open = true;
  }

  // After a tap the row is replaced: put focus back on its (new) button so keyboard and screen-reader users
  // keep their place. The new row stays listed even when "not yet present" is on, so a mistake can be undone.
  var pendingRow = null;
  document.addEventListener("htmx:beforeRequest", function (event) {
    var row = event.target.closest ? event.target.closest(".att-row") : null;
    if (row) {
      pendingRow = row.id;
      var error = document.getElementById("att-error");
      if (error) { error.classList.add("d-none"); }
    }
  });
  document.addEventListener("htmx:afterSettle", function () {
    if (!pendingRow) { return; }
    var row = document.getElementById(pendingRow);
    pendingRow = null;
    if (row) {
      var button = row.querySelector(".att-btn");
      if (button) { button.focus({ preventScroll: true }); }
    }
  });
  // A refused tap: a 400 answers with a short message, shown as text; anything else gets the generic one.
  document.addEventListener("htmx:responseError", function (event) {
    var box = document.getElementById("att-error");
    if (!box || !event.target.closest || !event.target.closest(".att-row")) { return; }
    var text = "";
    if (event.detail.xhr.status === 400) {
      var doc = new DOMParser().parseFromString(event.detail.xhr.responseText || "", "text/html");
      text = (doc.body.textContent || "").trim();
    }
    box.textContent = text || box.dataset.fallback || "";
    box.classList.remove("d-none");
    pendingRow = null;
  });
  // Signed out meanwhile (the request was redirected to the sign-in page): reload, which leads to the
  // sign-in page and back here, instead of swapping the sign-in page into the row.
  document.addEventListener("htmx:beforeSwap", function (event) {
    var elt = event.detail.requestConfig && event.detail.requestConfig.elt;
    if (!elt || !elt.closest || !elt.closest(".att-row")) { return; }
    var finalUrl = event.detail.xhr.responseURL || "";
    if (finalUrl && new URL(finalUrl).pathname !== new URL(event.detail.requestConfig.path, finalUrl).pathname) {
      event.detail.shouldSwap = false;
      window.location.reload();
    }
  });

  // --- Self check-in panel: copy the link. ---
  document.querySelectorAll("[data-copy]").forEach(function (button) {
    var input = document.getElementById(button.dataset.copy);
    if (!input) { return; }
    button.hidden = false;
    button.addEventListener("click", function () {
      input.select();
      var done = function () { button.textContent = button.dataset.copied; };
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(input.value).then(done, function () {});
      } else if (document.execCommand && document.execCommand("copy")) {
        done();
      }
    });
  });

  // --- QR page: full screen for the room. ---
  var fullscreen = document.querySelector("[data-fullscreen]");
  if (fullscreen && document.documentElement.requestFullscreen) {
    fullscreen.hidden = false;
    fullscreen.addEventListener("click", function () {
      if (document.fullscreenElement) {
        document.exitFullscreen();
      } else {
        document.documentElement.requestFullscreen().catch(function () {});
      }
    });
  }

  // --- Public self check-in: after picking a name, go straight to the digits. ---
  document.addEventListener("change", function (event) {
    var el = event.target;
    if (el.matches && el.matches(".checkin-option input[type=radio]")) {
      var digits = document.getElementById("id_digits");
      if (digits) { digits.focus(); }
    }
  });
  // A search refused for too many tries (429) carries its message: show it like any answer.
  document.addEventListener("htmx:beforeSwap", function (event) {
    var target = event.detail.target;
    if (event.detail.xhr.status === 429 && target && target.id === "checkin-results") {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });
})();
