// "Preview" without leaving the page: the form is sent with preview=1 as it would be without
// JavaScript, and the server's rendering (or its error messages) replaces the preview box.
(function () {
  "use strict";
  var button = document.getElementById("preview");
  var form = button && button.form;
  if (!form || !window.fetch || !window.DOMParser) return;
  button.addEventListener("click", function (event) {
    event.preventDefault();
    var data = new URLSearchParams(new FormData(form));
    data.set("preview", "1");
    button.disabled = true;
    fetch(form.action.split("#")[0], { method: "POST", body: data, credentials: "same-origin" })
      .then(function (r) { return r.text(); })
      .then(function (html) {
        var page = new DOMParser().parseFromString(html, "text/html");
        var fresh = page.getElementById("comment-preview");
        var old = document.getElementById("comment-preview");
        if (old) old.remove();
        form.querySelectorAll(".field-error").forEach(function (e) { e.remove(); });
        if (fresh) {
          form.querySelector(".form-submit").before(document.adoptNode(fresh));
          return;
        }
        // Refused: show the server's messages next to their fields.
        page.querySelectorAll("#commentform .field-error").forEach(function (error) {
          var field = form.querySelector("#" + error.id.replace(/-error$/, ""));
          if (field) field.after(document.adoptNode(error));
        });
      })
      .catch(function () {
        // The plain form then: a preview still, never a post.
        var flag = document.createElement("input");
        flag.type = "hidden"; flag.name = "preview"; flag.value = "1";
        form.appendChild(flag);
        form.submit();
      })
      .finally(function () { button.disabled = false; });
  });
})();
