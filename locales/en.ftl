# marginalia: everything a reader or commenter sees, in English. Every other catalogue in
# this folder has the same message ids; a message a catalogue lacks is shown in English.
#
# Variables: $count and other numbers select plural forms ([one], [other], and in some
# languages [zero], [two], [few], [many]); $title, $author, $name, $site are plain text.

## Language
# The language's own name, and its writing direction: ltr or rtl.
language-name = English
language-direction = ltr

## Dates (stored times are UTC)
month-1 = January
month-2 = February
month-3 = March
month-4 = April
month-5 = May
month-6 = June
month-7 = July
month-8 = August
month-9 = September
month-10 = October
month-11 = November
month-12 = December
# $month is one of the names above; $day and $year are numbers.
date-long = { $month } { $day }, { $year }
# $date is date-long; $time is 24-hour "14:05".
date-time = { $date } at { $time } UTC

## Page frame
skip-to-content = Skip to content
nav-pages = Pages
nav-site = Site
search-label = Search
nav-home = Home
nav-feed = Feed
nav-sitemap = Sitemap
nav-privacy = Privacy
nav-manage-comments = Manage my comments
powered-by = Powered by marginalia.
feed-comments-title = { $site }: comments
feed-post-comments-title = Comments on { $title }
feed-comment-entry = Comment on { $title } by { $author }

## Listings
listing-articles = Articles
# A page title such as "Category: Travel (page 2)".
listing-page-title = { $heading } (page { $page })
listing-category = Category: { $name }
listing-tag = Tag: { $name }
listing-empty = Nothing published here yet.
author-empty = Nothing published yet.
index-empty = No articles yet.
pagination-label = Pages
pagination-newer = ← Newer articles
pagination-older = Older articles →
pagination-page = Page { $page } of { $total }
continue-reading = Continue reading
comment-count = { $count ->
    [one] { $count } comment
   *[other] { $count } comments
}

## Article
article-by = by
article-tags = Tags:
related-articles = Related Articles
comments-heading-none = No comments yet
comments-heading-closed = Comments
# Heading of a thread page for another site's page: "Comments on <the page's title>".
thread-of = Comments on
comments-heading = { $count ->
    [one] One thought on “{ $title }”
   *[other] { $count } thoughts on “{ $title }”
}
comment-pages-label = Comment pages
comments-older = ← Older comments
comments-newer = Newer comments →
comments-page = Comments page { $page } of { $total }
mentions-heading = Mentions
mentions-show-all = { $count ->
    [one] Show the mention
   *[other] Show all { $count } mentions
}

## One comment in the thread
comment-moderator = Moderator
comment-edited = (edited)
comment-awaiting-moderation = Your comment is awaiting moderation.
comment-edit-link = Edit or delete
comment-reply = Reply
comment-reply-to = Reply to { $author }

## The reply form
form-reply-to = Reply to { $author }
form-leave-reply = Leave a Reply
form-cancel-reply = Cancel reply
form-closed = Comments are closed.
form-kept-text = Here is what you wrote, so it is not lost:
form-check-fields = Please check the fields marked below; everything you typed is still here.
form-email-notes = Your email address will not be published.
form-privacy-link = Privacy
# The asterisk is shown in red: keep exactly one "*" in this message.
form-required-fields = Required fields are marked *
form-ip-kept = { $days ->
    [one] IP addresses are kept in full for { $days } day.
   *[other] IP addresses are kept in full for { $days } days.
}
form-no-ip = No IP address is stored.
form-comment = Comment
form-comment-hint = Plain text; *emphasis*, `code`, > quotes, lists and links work.
form-name = Name
form-email = Email
form-website = Website
form-honeypot = Leave this field empty
form-notify-replies = Notify me of replies by email.
form-notify-published = Tell me by email when my comment is published.
form-remember = Save my name, email, and website in this browser for the next time I comment.
form-preview-label = Preview: this is how your comment will look.
form-submit = Post Comment
form-preview = Preview

## Why a field was refused
error-name-required = Please enter your name.
error-name-too-long = Your name is too long (at most { $max } bytes).
error-name-control = Your name contains an invisible control character. Please remove it and send it again.
error-email-required = Please enter your email address.
error-email-too-long = Your email address is too long (at most { $max } bytes).
error-email-control = Your email address contains an invisible control character. Please remove it and send it again.
error-email-invalid = Please enter a valid email address, like name@example.org.
error-website-too-long = Your website address is too long (at most { $max } bytes).
error-website-control = Your website address contains an invisible control character. Please remove it and send it again.
error-website-invalid = Your website must be an http:// or https:// address.
error-comment-required = Please type your comment.
error-comment-too-long = Your comment is too long ({ $length } bytes; at most { $max }).
error-comment-control = Your comment contains an invisible control character. Please remove it and send it again.

## Why a comment was refused (shown above the form)
refused-broken-reply = That reply link was broken; please choose the comment again.
refused-rate-limited = Too many comments from your address in the last minute. Please wait a moment and send it again.
refused-closed = Comments are closed.
refused-forged-token = We could not verify this form (it may have been changed, or sent from another page). Your text is still here: please send it again.
refused-expired-token = This page was open so long that its form expired. Your text is still here: please send it again.
refused-bad-reply = Replies to unapproved comments are not allowed.
refused-duplicate = Duplicate comment: it looks as though you've already said that!
refused-flood = You are posting comments too quickly. Please wait a few seconds and send it again.
refused-cross-site = This form was sent from another website, so nothing was done. If you meant to send it, open this site's own page and send it from there.

## Editing your own comment
edit-title = Edit your comment
edit-intro = On { $title }. A changed comment is checked again, like a new one.
edit-save = Save changes
edit-delete = Delete my comment
edit-cancel = Cancel
edit-not-this-browser = A comment can only be changed from the browser that sent it.
edit-disabled = Comments on this site cannot be changed after they are sent.
edit-window-passed = { $minutes ->
    [one] A comment can be changed for { $minutes } minute after it is sent; that time has passed.
   *[other] A comment can be changed for { $minutes } minutes after it is sent; that time has passed.
}
edit-has-reply = Someone has replied to this comment, so it can no longer be changed.
edit-empty = Please write something, or delete the comment instead.
edit-unsendable = This text cannot be sent (too long, or with characters a comment cannot hold).

## Search
search-title = Search
# A page title: "Search: birds".
search-title-query = Search: { $query }
search-the-site = Search the site
search-button = Search
search-none = Nothing found for “{ $query }”.
search-results = { $count ->
    [one] One result for “{ $query }”.
   *[other] { $count } results for “{ $query }”.
}
search-pages-label = Pages of results
search-previous = ← Previous
search-next = Next →
search-rate-limited = Too many searches from your address; please wait a minute.

## Error pages
error-heading-not-found = Page not found
error-heading-forbidden = Not allowed
error-heading-rate-limited = Slow down a little
error-heading-failed = That did not work
error-heading-server = Something went wrong
error-back-home = Back to the front page
error-not-found = We could not find that page. It may have moved, or never existed.
error-forged-form = This form has expired or did not come from this site. Reload the page and try again.
error-body-timeout = What your browser sent arrived too slowly. Please check your connection and send it again.
error-busy = The site is busy right now. Please try again in a moment.
error-internal = Something went wrong on our side. Nothing you sent was lost; please try again.
error-method = That address does not accept this kind of request.
error-too-large = That was more than we can accept in one go.
error-server-default = Something went wrong on our side. Please try again.

## Privacy page
privacy-title = Privacy
privacy-stored-heading = What we store when you comment
privacy-stored-fields = Your name, your email address, your website (if you give one) and your comment.
privacy-stored-ip = The IP address your comment came from and your browser's user agent string, to fight spam.
privacy-stored-no-ip = No IP address. Your browser's user agent string is kept to fight spam.
privacy-stored-mail = Whether you asked for mail about replies, or for one mail when your comment is published, and the mails we sent you.
privacy-who-heading = Who sees it
privacy-who-ip = Everyone sees your name, your website and your approved comment. Your email address, IP address and user agent are seen only by this site's moderators; they never appear on a public page, in a feed or in a mail to another reader.
privacy-who-no-ip = Everyone sees your name, your website and your approved comment. Your email address and user agent are seen only by this site's moderators; they never appear on a public page, in a feed or in a mail to another reader.
privacy-who-no-third-party = No third party is asked for anything: avatars are drawn here from your initials, there is no Gravatar.
privacy-how-long-heading = For how long
privacy-ip-retention = { $days ->
    [one] After { $days } day the IP address is cut to its network (the last part is removed) and the user agent is deleted.
   *[other] After { $days } days the IP address is cut to its network (the last part is removed) and the user agent is deleted.
}
privacy-purge = { $days ->
    [one] Comments marked as spam or moved to the trash are deleted for good after { $days } day.
   *[other] Comments marked as spam or moved to the trash are deleted for good after { $days } days.
}
privacy-approved-stay = Approved comments stay until you or a moderator delete them.
privacy-remember-cookie = { $days ->
    [one] If you tick “Save my name, email, and website in this browser”, they are kept in a cookie in your browser only, for up to { $days } day; unticking it removes the cookie.
   *[other] If you tick “Save my name, email, and website in this browser”, they are kept in a cookie in your browser only, for up to { $days } days; unticking it removes the cookie.
}
privacy-request-log = The server's request log records the time, the page and the answer, never your IP address or email.
privacy-choice-heading = Your data, your choice
privacy-choice = At “Manage my comments” you can have a link mailed to you that shows everything stored about your address, lets you download it, delete one or all of your comments (replies to them stay, under “Anonymous”), and stop all mail. The site's admins can do the same for you on request.
privacy-manage-link = Manage my comments

## Managing your comments
manage-title = Manage my comments
manage-sent = If { $email } has comments here, a link is on its way. It works once and for a day.
manage-intro = Enter the email address you commented with. If it has comments here, we mail it a link to see, download or delete them, or to stop all mail.
manage-email = Email
manage-send = Send me a link
manage-what-we-store = What we store and why
manage-invalid-email = Please enter a valid email address, like name@example.org.
manage-rate-limited = Too many requests. Please try again in an hour.
manage-link-invalid = This link is not valid. It may have been cut off or changed.
manage-link-expired = This link has expired. Links work for a day.
manage-link-used = This link was already used. Each link works once.
manage-ask-again = You can ask for a new one below.
manage-open-heading = Your comments
manage-open-button = Open my comments
manage-open-intro = { $minutes ->
    [one] This opens a page, for { $minutes } minute, where you can see, download or delete the comments written with your address, and stop all mail to it.
   *[other] This opens a page, for { $minutes } minutes, where you can see, download or delete the comments written with your address, and stop all mail to it.
}
manage-needs-fresh-link = This page needs a fresh link: ask for one at /privacy/manage.
own-title = Your comments
own-stored = Everything stored about { $email }: { $comments ->
    [one] { $comments } comment
   *[other] { $comments } comments
}, { $subscriptions ->
    [one] { $subscriptions } mail subscription
   *[other] { $subscriptions } mail subscriptions
}, { $mails ->
    [one] { $mails } mail
   *[other] { $mails } mails
} sent or queued.
own-download = Download everything (JSON)
own-stop-mail = Stop all mail
own-delete-all = Delete all my comments
own-delete-one = Delete this comment
own-browser = Browser: { $browser }
own-deleted = Deleted.
own-stopped = No more mail will be sent to this address.
comment-status-approved = published
comment-status-pending = awaiting moderation
comment-status-spam = marked as spam
comment-status-trash = in the trash

## Mails to commenters
mail-published-subject = [{ $site }] Your comment on “{ $title }” is published
mail-published-intro = Your comment on “{ $title }” was approved and is now public:
mail-published-intro-html = Your comment on “{ $title }” was approved and is now public.
mail-you-wrote = You wrote:
mail-published-only-once = You asked for this one mail; there will be no other about this comment unless you asked for replies.
mail-published-only-once-html = You asked for this one mail.
mail-stop-this-comment = Stop all mail about this comment
mail-manage-all = Manage all your comments
mail-reply-subject = [{ $site }] { $author } replied to your comment on “{ $title }”
mail-reply-intro = { $author } replied to your comment on “{ $title }”:
mail-reply-read = Read it and answer
mail-reply-why = You get this mail because you asked to be told about replies.
mail-reply-stop = Stop mail about this comment
mail-manage-subject = [{ $site }] Manage your comments
mail-manage-intro = Someone (hopefully you) asked to manage the comments written with this address on { $site }.
mail-manage-open = Open this link to see, download or delete them, or to stop all mail:
mail-manage-open-html = See, download or delete your comments, or stop all mail
mail-manage-expiry = { $hours ->
    [one] It works once and for { $hours } hour. If you did not ask, ignore this mail; nothing changes.
   *[other] It works once and for { $hours } hours. If you did not ask, ignore this mail; nothing changes.
}

## Stopping mail from a mailed link
unsubscribe-invalid-heading = This link is not valid
unsubscribe-invalid = It may have been cut off or changed.
unsubscribe-ask-heading = Stop these mails?
unsubscribe-what = You will get no more mail about this comment.
unsubscribe-button = Unsubscribe
unsubscribe-done-heading = Unsubscribed

## Erased comments, mentions, browsers, more errors
comment-anonymous = Anonymous
comment-removed = [removed at the author's request]
mention-kind-pingback = Pingback
mention-kind-trackback = Trackback
browser-on = { $browser } on { $system }
browser-unknown = unknown browser
error-bad-query = That address has a part this page does not understand.
error-unreadable-form = We could not read what your browser sent. Please go back and try again.
error-not-understood = The request could not be understood.
