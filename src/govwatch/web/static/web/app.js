// The only script of the dashboard: small conveniences; every page works without it.
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("select[data-autosubmit]").forEach(function (el) {
    el.addEventListener("change", function () { el.form.submit(); });
  });
  document.querySelectorAll("input[data-check-all]").forEach(function (box) {
    box.addEventListener("change", function () {
      box.form.querySelectorAll("input[name='" + box.dataset.checkAll + "']").forEach(function (el) {
        el.checked = box.checked;
      });
    });
  });
});
