// Small enhancements only; every page works without JavaScript.
document.addEventListener("DOMContentLoaded", function () {
  // After a refused action, move focus to its error summary so keyboard and screen-reader users hear it.
  var alert = document.querySelector("[data-autofocus]");
  if (alert) { alert.focus(); alert.scrollIntoView({ block: "center" }); }
  // Confirm actions that cannot be undone.
  document.querySelectorAll("details.danger form").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      var title = form.closest("details").querySelector("summary").textContent.trim();
      if (!window.confirm(title + ": bạn có chắc chắn?")) { event.preventDefault(); }
    });
  });
  // "Select all" checkboxes of a table of choices.
  document.querySelectorAll("[data-select-all]").forEach(function (box) {
    box.addEventListener("change", function () {
      document.querySelectorAll('input[name="' + box.dataset.selectAll + '"]').forEach(function (c) { c.checked = box.checked; });
    });
  });
  document.querySelectorAll("[data-print]").forEach(function (b) {
    b.addEventListener("click", function () { window.print(); });
  });
  // Long lists take a moment: show progress while the server checks or records them.
  document.querySelectorAll("form[data-progress]").forEach(function (form) {
    form.addEventListener("submit", function () {
      var bar = form.querySelector("progress");
      if (bar) { bar.hidden = false; }
      form.querySelectorAll("button[type=submit]").forEach(function (b) { b.disabled = true; });
    });
  });
});
