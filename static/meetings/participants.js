// Participants tab: after a person is picked from the search results, move focus to the role field so a
// keyboard or screen-reader user lands on what comes next. (No inline scripts: the CSP forbids them.)
(function () {
  "use strict";
  document.addEventListener("htmx:afterSwap", function (event) {
    var target = event.detail && event.detail.target;
    if (!target || target.id !== "pick-panel") { return; }
    var field = target.querySelector("select, input:not([type=hidden])");
    if (field) {
      field.focus();
      target.scrollIntoView({ block: "nearest" });
    }
  });
})();
