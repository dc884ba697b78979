// Awards form: offer only the libraries the chosen category allows (regency offices or village libraries).
// The server checks the same rule; this only spares a round trip. No inline scripts (CSP).
(function () {
  "use strict";
  function filterLibraries(category) {
    var form = category.form;
    var library = form && form.querySelector("[data-award-library]");
    if (!library) { return; }
    var kinds = JSON.parse(library.getAttribute("data-award-library") || "{}");
    var wanted = kinds[category.value];
    library.querySelectorAll("option[data-kind]").forEach(function (option) {
      option.disabled = Boolean(wanted) && option.getAttribute("data-kind") !== wanted;
    });
    library.querySelectorAll("optgroup").forEach(function (group) {
      group.disabled = !group.querySelector("option:not(:disabled)");
    });
    var selected = library.options[library.selectedIndex];
    if (selected && selected.disabled) { library.value = ""; }
  }
  document.addEventListener("change", function (event) {
    if (event.target.matches && event.target.matches("[data-award-category]")) {
      filterLibraries(event.target);
    }
  });
  // Forms arrive with the page or by htmx swaps; htmx fires htmx:load for both.
  document.addEventListener("htmx:load", function (event) {
    var root = event.detail && event.detail.elt ? event.detail.elt : document;
    if (root.querySelectorAll) {
      root.querySelectorAll("[data-award-category]").forEach(filterLibraries);
    }
  });
})();
