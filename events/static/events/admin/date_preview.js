/* "Reads as" and bounds of a date box, updated while the curator types.
 *
 * The server's one date parser answers (GET data-date-preview?text=…): this file only shows its answer,
 * in the page's read-only rows named by data-reads-as / data-bounds, or under the box. Loaded as a
 * static file: the Content-Security-Policy runs no inline script.
 */
"use strict";

(function () {
  function outputs(input) {
    var form = input.form || document;
    var readsAs = input.dataset.readsAs ? form.querySelector(input.dataset.readsAs) : null;
    var bounds = input.dataset.bounds ? form.querySelector(input.dataset.bounds) : null;
    var own = null;
    if (!readsAs || !bounds) {
      own = input.parentNode.querySelector(".date-preview");
      if (!own) {
        own = document.createElement("div");
        own.className = "help date-preview";
        own.innerHTML =
          '<div>Reads as: <span class="date-preview-reads-as"></span></div>' +
          '<div>Bounds: <span class="date-preview-bounds"></span></div>';
        input.insertAdjacentElement("afterend", own);
      }
      own.setAttribute("aria-live", "polite");
      readsAs = own.querySelector(".date-preview-reads-as");
      bounds = own.querySelector(".date-preview-bounds");
    } else {
      readsAs.setAttribute("aria-live", "polite");
    }
    return { readsAs: readsAs, bounds: bounds, own: own !== null };
  }

  function attach(input) {
    var shown = outputs(input);
    var timer = null;
    var asked = 0;
    function show(answer, ok) {
      shown.readsAs.textContent = ok ? answer.reads_as : answer.error;
      shown.bounds.textContent = ok ? answer.bounds : "";
      shown.readsAs.classList.toggle("date-preview-error", !ok);
      if (shown.own) shown.bounds.parentNode.hidden = !ok;
      input.setAttribute("aria-invalid", ok ? "false" : "true");
    }
    function ask() {
      var number = ++asked;
      var url = input.dataset.datePreview + "?text=" + encodeURIComponent(input.value);
      fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) {
          return response.json().then(function (answer) {
            // A late answer to older text is dropped.
            if (number === asked) show(answer, response.ok && !answer.error);
          });
        })
        .catch(function () {});
    }
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(ask, 150);
    });
    if (shown.own && input.value) ask();  // no read-only rows say it yet
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("input[data-date-preview]").forEach(attach);
  });
})();
