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
      // Long lists take a moment: show progress while the server checks or records them.
  document.querySelectorAll("form[data-progress]").forEach(function (form) {
    form.addEventListener("submit", function () {
      var bar = form.querySelector("progress");
      if (bar) { bar.hidden = false; }
      form.querySelectorAll("button[type=submit]").forEach(function (b) { b.disabled = true; });
    });
  });
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
  // Long lists take a moment: show progress while the server checks or records them.
  document.querySelectorAll("form[data-progress]").forEach(function (form) {
    form.addEventListener("submit", function () {
      var bar = form.querySelector("progress");
      if (bar) { bar.hidden = false; }
      form.querySelectorAll("button[type=submit]").forEach(function (b) { b.disabled = true; });
    });
  });
});
