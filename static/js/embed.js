/* marginalia embed: <script src="https://comments.example.org/embed.js" data-site="blog" async>
   and <div id="marginalia-thread"></div>. The server renders the thread (its templates,
   sanitizer and language); this script inserts it and sends the form with fetch. No inline
   styles or scripts are added, so the host page needs no 'unsafe-inline'. */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || !window.fetch) return;
  var server = new URL(script.src).origin;
  var store = "marginalia:" + server;
  var warn = function (m) { if (window.console) console.warn("marginalia: " + m); };
  var seen = ""; // when the thread on screen was shown (signed by the server)
  var remembered = "marginalia-commenter:" + server;

  function tokens() {
    try { return JSON.parse(localStorage.getItem(store)) || {}; } catch (e) { return {}; }
  }
  function keep(root) {
    var t = tokens();
    if (root.getAttribute("data-own")) t.own = root.getAttribute("data-own");
    if (root.getAttribute("data-edit")) t.edit = root.getAttribute("data-edit");
    try { localStorage.setItem(store, JSON.stringify(t)); } catch (e) { /* private mode */ }
  }
  function withTokens(params) {
    var t = tokens();
    if (t.own) params.set("own", t.own);
    if (t.edit) params.set("edit", t.edit);
    return params;
  }
  var problems = {
    400: "this address is not a page of a site allowed on " + server,
    403: "this page's origin is not in embed.sites on " + server,
    404: "no thread for this page (it did not answer " + server + "'s check as a page)",
    429: "too many new threads just now (from this address or for this site); try again later"
  };
  function failed(status) { warn(problems[status] || "the comment server answered " + status); }

  function style() {
    if (document.getElementById("marginalia-style")) return;
    var link = document.createElement("link");
    link.id = "marginalia-style";
    link.rel = "stylesheet";
    link.href = server + "/static/css/embed.css";
    document.head.appendChild(link);
  }

  function pageUrl(el) {
    var canonical = document.querySelector("link[rel=canonical]");
    return el.getAttribute("data-url") || (canonical && canonical.href) || location.href.split("#")[0];
  }

  function show(box, html, response) {
    if (response && response.headers.get("X-Marginalia-Seen")) seen = response.headers.get("X-Marginalia-Seen");
    var doc = new DOMParser().parseFromString(html, "text/html");
    var root = doc.querySelector(".marginalia-thread");
    if (!root) return null;
    // Addresses in the thread are the comment server's, not the host page's.
    root.querySelectorAll("a[href^='/']").forEach(function (a) { a.href = server + a.getAttribute("href"); });
    root.querySelectorAll("form[action^='/']").forEach(function (f) { f.action = server + f.getAttribute("action"); });
    root.querySelectorAll("a.comment-edit-link").forEach(function (a) {
      var t = tokens();
      // Edited on the comment server's page, which brings the reader back here.
      if (t.edit) a.href += (a.href.indexOf("?") < 0 ? "?" : "&") + "edit=" + encodeURIComponent(t.edit);
    });
    keep(root);
    box.replaceChildren(document.adoptNode(root));
    prefill(root);
    wire(box, root);
    return root;
  }

  // "Save my name...": kept in this browser's storage for this page's site, as asked.
  var fields = ["author", "email", "url"];
  function prefill(root) {
    var saved;
    try { saved = JSON.parse(localStorage.getItem(remembered)); } catch (e) { saved = null; }
    if (!saved) return;
    fields.forEach(function (name) {
      var input = root.querySelector("#" + name);
      if (input && !input.value) input.value = saved[name] || "";
    });
    var box = root.querySelector("#remember");
    if (box) box.checked = true;
  }
  function remember(form) {
    var box = form.querySelector("#remember");
    try {
      if (box && box.checked) {
        var saved = {};
        fields.forEach(function (name) { saved[name] = (form.querySelector("#" + name) || {}).value || ""; });
        localStorage.setItem(remembered, JSON.stringify(saved));
      } else {
        localStorage.removeItem(remembered);
      }
    } catch (e) { /* private mode */ }
  }

  function load(box, page) {
    var q = withTokens(new URLSearchParams({ url: pageUrl(box), title: box.getAttribute("data-title") || document.title }));
    if (page) q.set("cpage", page);
    fetch(server + "/embed/thread?" + q, { credentials: "omit" })
      .then(function (r) {
        if (!r.ok) { failed(r.status); return null; }
        return r.text().then(function (html) { return { html: html, response: r }; });
      })
      .then(function (got) {
        if (!got) return;
        var root = show(box, got.html, got.response);
        if (page && root) root.scrollIntoView();
        // A mailed link to a comment (#comment-12) arrives before the thread does.
        var linked = !page && root && /^#comment-\d+$/.test(location.hash) && root.querySelector(location.hash);
        if (linked) linked.scrollIntoView();
      })
      .catch(function () { warn("could not load the thread from " + server + " (is this page's origin in embed.sites?)"); });
  }

  function wire(box, root) {
    var respond = root.querySelector("#respond");
    var form = root.querySelector("#commentform");
    var parentField = root.querySelector("#comment_parent");
    var title = root.querySelector("#reply-title");
    var cancel = root.querySelector("#cancel-comment-reply-link");
    if (!respond || !form) return;
    var home = document.createElement("div");
    respond.before(home);
    root.addEventListener("click", function (event) {
      var older = event.target.closest(".comment-pagination a");
      if (older) {
        // Pages of comments stay on the host page.
        event.preventDefault();
        load(box, new URL(older.href).searchParams.get("cpage"));
        return;
      }
      var link = event.target.closest(".comment-reply-link");
      if (link) {
        event.preventDefault();
        var comment = root.querySelector("#comment-" + link.getAttribute("data-comment-id"));
        if (!comment) return;
        comment.querySelector(".comment-body").after(respond);
        parentField.value = link.getAttribute("data-comment-id");
        var author = (comment.querySelector(".comment-author") || {}).textContent || "";
        title.firstChild.textContent = (title.getAttribute("data-reply") || "{author}").split("{author}").join(author.trim()) + " ";
        cancel.hidden = false;
        form.querySelector("textarea").focus();
      } else if (event.target === cancel) {
        event.preventDefault();
        home.after(respond);
        parentField.value = "0";
        title.firstChild.textContent = (title.getAttribute("data-leave") || "") + " ";
        cancel.hidden = true;
      }
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var preview = event.submitter && event.submitter.name === "preview";
      var body = new URLSearchParams(new FormData(form));
      if (preview) body.set("preview", "1");
      var buttons = form.querySelectorAll("button");
      buttons.forEach(function (b) { b.disabled = true; });
      var q = withTokens(new URLSearchParams({ embed: "1", seen: seen }));
      if (!preview) remember(form);
      fetch(form.action.split("#")[0] + "?" + q, { method: "POST", body: body, credentials: "omit" })
        .then(function (r) { return r.text().then(function (html) { return { status: r.status, html: html, response: r }; }); })
        .then(function (answer) {
          var fresh = show(box, answer.html, answer.response);
          if (!fresh) {
            warn("the comment server did not take the form (status " + answer.status + ")");
            buttons.forEach(function (b) { b.disabled = false; });
            return;
          }
          var target = fresh.getAttribute("data-new") ? fresh.querySelector("#comment-" + fresh.getAttribute("data-new"))
            : fresh.querySelector("#comment-preview, #respond .form-notice, .field-error");
          if (target) target.scrollIntoView({ block: "center" });
        })
        .catch(function () {
          warn("could not reach " + server);
          buttons.forEach(function (b) { b.disabled = false; });
        });
    });
  }

  function counts() {
    var els = document.querySelectorAll("[data-marginalia-count]");
    if (!els.length) return;
    var urlOf = function (el) { return new URL(el.getAttribute("data-marginalia-count") || el.getAttribute("href") || location.href, location.href).href.split("#")[0]; };
    var q = new URLSearchParams();
    els.forEach(function (el) { q.append("url", urlOf(el)); });
    fetch(server + "/api/v1/counts?" + q, { credentials: "omit" })
      .then(function (r) { return r.ok ? r.json() : Promise.reject(r.status); })
      .then(function (data) {
        els.forEach(function (el) {
          var n = data.counts[urlOf(el)];
          if (n !== undefined) el.textContent = String(n);
        });
      })
      .catch(function (status) { failed(status); });
  }

  function start() {
    var box = document.getElementById("marginalia-thread");
    if (box) { style(); load(box); }
    counts();
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
