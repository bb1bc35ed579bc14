// The article editor: an image dropped on the body (or chosen in the file field) is uploaded
// at once to the media library and its Markdown inserted at the cursor. Without this script
// the file field is sent with the form and the server does the same on save.
(function () {
  "use strict";
  var body = document.querySelector("textarea[data-drop-images]");
  var form = body && body.form;
  if (!form) return;
  var file = document.getElementById("image");
  var alt = document.getElementById("image_alt");
  var status = document.getElementById("image-upload-status");
  var csrf = form.querySelector("input[name=csrf_token]").value;

  function insert(text) {
    var start = body.selectionStart, end = body.selectionEnd, value = body.value;
    var before = value.slice(0, start), after = value.slice(end);
    var lead = before && !/\n\n$/.test(before) ? (/\n$/.test(before) ? "\n" : "\n\n") : "";
    body.value = before + lead + text + "\n" + after;
    body.selectionStart = body.selectionEnd = (before + lead + text + "\n").length;
    body.focus();
  }

  function upload(picked) {
    var data = new FormData();
    data.append("csrf_token", csrf);
    data.append("alt", alt ? alt.value : "");
    data.append("file", picked, picked.name);
    status.textContent = "Uploading " + picked.name + "…";
    fetch("/admin/media/upload", { method: "POST", body: data, credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (r) { return r.json().then(function (j) { return { ok: r.ok, json: j }; }); })
      .then(function (res) {
        if (!res.ok) { status.textContent = res.json.error || "The upload failed."; return; }
        insert(res.json.markdown);
        status.textContent = picked.name + " uploaded and inserted.";
        if (alt) alt.value = "";
        if (file) file.value = "";
      })
      .catch(function () { status.textContent = "The upload failed; the file field will send it with the form instead."; });
  }

  body.addEventListener("dragover", function (e) { e.preventDefault(); body.classList.add("dropping"); });
  body.addEventListener("dragleave", function () { body.classList.remove("dropping"); });
  body.addEventListener("drop", function (e) {
    e.preventDefault();
    body.classList.remove("dropping");
    var files = e.dataTransfer && e.dataTransfer.files;
    for (var i = 0; files && i < files.length; i++) {
      if (/^image\//.test(files[i].type)) upload(files[i]);
    }
  });
  if (file) {
    file.addEventListener("change", function () { if (file.files[0]) upload(file.files[0]); });
  }
})();
