// Admin Tools: while an import runs, poll its status and update the progress bar; reload
// when it ends so the summary (or the error) shows.
(function () {
  "use strict";
  var box = document.getElementById("import-status");
  if (!box || box.getAttribute("data-state") !== "running") return;
  var bar = document.getElementById("import-progress");
  var text = document.getElementById("import-progress-text");
  function describe(s) {
    var what = s.phase === "importing"
      ? s.done + " of " + s.total + " items, " + s.comments_done + " of " + s.comments_total + " comments"
      : s.done + " of " + s.total + " bytes";
    var eta = s.eta_seconds ? ", about " + s.eta_seconds + " s left" : "";
    return s.phase + ": " + what + (s.rate_per_second ? ", " + s.rate_per_second + "/s" : "") + eta;
  }
  function poll() {
    fetch("/admin/tools/import/status", { credentials: "same-origin", cache: "no-store" })
      .then(function (r) { return r.json(); })
      .then(function (s) {
        if (s.state !== "running") { window.location.reload(); return; }
        if (bar) { bar.value = s.percent; bar.textContent = s.percent + "%"; }
        if (text) { text.textContent = describe(s); }
        window.setTimeout(poll, 1000);
      })
      .catch(function () { window.setTimeout(poll, 3000); });
  }
  window.setTimeout(poll, 1000);
})();
