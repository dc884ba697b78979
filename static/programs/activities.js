// The activity form: check the chosen photos before a long upload, and send the form once.
// The server checks everything again; this only spares a weak connection a refused upload.
(function () {
  "use strict";
  var form = document.querySelector("[data-activity-form]");
  if (!form) { return; }

  function photoInput() { return form.querySelector("input[type=file][data-max-files]"); }

  function left(input) {
    var hint = document.getElementById("photos-left");
    var value = hint ? hint.getAttribute("data-left") : input.getAttribute("data-max-files");
    return parseInt(value, 10) || 0;
  }

  function problems(input) {
    var box = document.getElementById("photos-check");
    var found = [];
    if (!input || !input.files || !box) { return found; }
    var maxBytes = parseInt(input.getAttribute("data-max-bytes"), 10);
    if (input.files.length > left(input)) {
      found.push(box.getAttribute("data-too-many").replace("%(count)s", String(left(input))));
    }
    for (var i = 0; i < input.files.length; i += 1) {
      if (maxBytes && input.files[i].size > maxBytes) {
        found.push(box.getAttribute("data-too-big").replace("%(name)s", input.files[i].name)
          .replace("%(mb)s", String(Math.floor(maxBytes / 1048576))));
      }
    }
    return found;
  }

  function show(input) {
    var box = document.getElementById("photos-check");
    var found = problems(input);
    if (!box) { return found; }
    box.textContent = found.join(" ");
    box.classList.toggle("d-none", found.length === 0);
    input.classList.toggle("is-invalid", found.length > 0);
    return found;
  }

  form.addEventListener("change", function (event) {
    if (event.target === photoInput()) { show(event.target); }
  });

  form.addEventListener("submit", function (event) {
    var input = photoInput();
    if (input && show(input).length) {
      event.preventDefault();
      input.focus();
      return;
    }
    var button = form.querySelector("[data-submit-once]");
    if (button) {
      // After the submit has started, so the button's own value (none here) is still sent.
      window.setTimeout(function () { button.disabled = true; }, 0);
    }
  });

  // Back to a page kept by the browser: the button must work again.
  window.addEventListener("pageshow", function () {
    var button = form.querySelector("[data-submit-once]");
    if (button) { button.disabled = false; }
  });
})();
