// Moves the reply form under the comment being answered. Without JavaScript the Reply links
// still work: they reload the page with ?replytocom=ID, which sets comment_parent server-side.
(function () {
  "use strict";
  var respond = document.getElementById("respond");
  var parentField = document.getElementById("comment_parent");
  var cancel = document.getElementById("cancel-comment-reply-link");
  var title = document.getElementById("reply-title");
  if (!respond || !parentField || !cancel || !title) return;
  var home = document.createElement("div");
  home.id = "respond-home";
  respond.parentNode.insertBefore(home, respond);
  // The words come from the page, in its language.
  var leave = title.getAttribute("data-leave") || "";
  var replyTo = title.getAttribute("data-reply") || "{author}";

  document.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest(".comment-reply-link") : null;
    if (link) {
      event.preventDefault();
      var body = document.getElementById("comment-" + link.getAttribute("data-comment-id"));
      if (!body) return;
      body.querySelector(".comment-body").after(respond);
      parentField.value = link.getAttribute("data-comment-id");
      title.firstChild.textContent = replyTo.split("{author}").join((body.querySelector(".comment-author").textContent || "").trim()) + " ";
      cancel.hidden = false;
      var textarea = document.getElementById("comment");
      if (textarea) textarea.focus();
      return;
    }
    if (event.target === cancel) {
      event.preventDefault();
      home.after(respond);
      parentField.value = "0";
      title.firstChild.textContent = leave + " ";
      cancel.hidden = true;
    }
  });
})();
