# marginalia: alles, was Leserinnen, Leser und Kommentierende sehen, auf Deutsch (Anrede „Sie“).
# Jeder Katalog in diesem Ordner hat dieselben Message-IDs; fehlt einer eine Meldung, wird sie
# auf Englisch angezeigt.
#
# Variablen: $count und andere Zahlen wählen die Pluralform ([one], [other]);
# $title, $author, $name, $site sind einfacher Text.

## Language
# Name der Sprache in der Sprache selbst und Schreibrichtung: ltr oder rtl.
language-name = Deutsch
language-direction = ltr

## Dates (stored times are UTC)
month-1 = Januar
month-2 = Februar
month-3 = März
month-4 = April
month-5 = Mai
month-6 = Juni
month-7 = Juli
month-8 = August
month-9 = September
month-10 = Oktober
month-11 = November
month-12 = Dezember
# $month ist einer der Namen oben; $day und $year sind Zahlen, z. B. „5. März 2026“.
date-long = { $day }. { $month } { $year }
# $date ist date-long; $time im 24-Stunden-Format „14:05“.
date-time = { $date } um { $time } UTC

## Page frame
skip-to-content = Zum Inhalt springen
nav-pages = Seiten
nav-site = Website
search-label = Suche
nav-home = Startseite
nav-feed = Feed
nav-sitemap = Sitemap
nav-privacy = Datenschutz
nav-manage-comments = Meine Kommentare verwalten
powered-by = Betrieben mit marginalia.
feed-comments-title = { $site }: Kommentare
feed-post-comments-title = Kommentare zu { $title }
feed-comment-entry = Kommentar von { $author } zu „{ $title }“

## Listings
listing-articles = Beiträge
# Ein Seitentitel wie „Kategorie: Reisen (Seite 2)“.
listing-page-title = { $heading } (Seite { $page })
listing-category = Kategorie: { $name }
listing-tag = Schlagwort: { $name }
listing-empty = Hier wurde noch nichts veröffentlicht.
author-empty = Noch nichts veröffentlicht.
index-empty = Noch keine Beiträge.
pagination-label = Seiten
pagination-newer = ← Neuere Beiträge
pagination-older = Ältere Beiträge →
pagination-page = Seite { $page } von { $total }
continue-reading = Weiterlesen
comment-count = { $count ->
    [one] { $count } Kommentar
   *[other] { $count } Kommentare
}

## Article
article-by = von
article-tags = Schlagwörter:
related-articles = Ähnliche Beiträge
comments-heading-none = Noch keine Kommentare
comments-heading-closed = Kommentare
thread-of = Kommentare zu
comments-heading = { $count ->
    [one] Ein Gedanke zu „{ $title }“
   *[other] { $count } Gedanken zu „{ $title }“
}
comment-pages-label = Kommentarseiten
comments-older = ← Ältere Kommentare
comments-newer = Neuere Kommentare →
comments-page = Kommentarseite { $page } von { $total }
mentions-heading = Erwähnungen
mentions-show-all = { $count ->
    [one] Erwähnung anzeigen
   *[other] Alle { $count } Erwähnungen anzeigen
}

## One comment in the thread
comment-moderator = Moderator
comment-edited = (bearbeitet)
comment-awaiting-moderation = Ihr Kommentar muss noch freigegeben werden.
comment-edit-link = Bearbeiten oder löschen
comment-reply = Antworten
comment-reply-to = { $author } antworten

## The reply form
form-reply-to = Antwort an { $author }
form-leave-reply = Schreiben Sie einen Kommentar
form-cancel-reply = Antworten abbrechen
form-closed = Die Kommentare sind geschlossen.
form-kept-text = Hier ist Ihr Text, damit er nicht verloren geht:
form-check-fields = Bitte prüfen Sie die unten markierten Felder; alles, was Sie eingegeben haben, ist noch da.
form-email-notes = Ihre E-Mail-Adresse wird nicht veröffentlicht.
form-privacy-link = Datenschutz
# Das Sternchen wird rot angezeigt: genau ein „*“ in dieser Meldung lassen.
form-required-fields = Erforderliche Felder sind mit * markiert
form-ip-kept = { $days ->
    [one] IP-Adressen werden { $days } Tag lang vollständig gespeichert.
   *[other] IP-Adressen werden { $days } Tage lang vollständig gespeichert.
}
form-no-ip = Es wird keine IP-Adresse gespeichert.
form-comment = Kommentar
form-comment-hint = Nur Text; *Hervorhebung*, `Code`, > Zitate, Listen und Links sind möglich.
form-name = Name
form-email = E-Mail
form-website = Website
form-honeypot = Dieses Feld bitte leer lassen
form-notify-replies = Mich per E-Mail über Antworten benachrichtigen.
form-notify-published = Mich per E-Mail benachrichtigen, wenn mein Kommentar veröffentlicht wird.
form-remember = Meinen Namen, meine E-Mail-Adresse und meine Website in diesem Browser für die nächste Kommentierung speichern.
form-preview-label = Vorschau: So wird Ihr Kommentar aussehen.
form-submit = Kommentar abschicken
form-preview = Vorschau

## Why a field was refused
error-name-required = Bitte geben Sie Ihren Namen ein.
error-name-too-long = Ihr Name ist zu lang (höchstens { $max } Byte).
error-name-control = Ihr Name enthält ein unsichtbares Steuerzeichen. Bitte entfernen Sie es und senden Sie das Formular erneut ab.
error-email-required = Bitte geben Sie Ihre E-Mail-Adresse ein.
error-email-too-long = Ihre E-Mail-Adresse ist zu lang (höchstens { $max } Byte).
error-email-control = Ihre E-Mail-Adresse enthält ein unsichtbares Steuerzeichen. Bitte entfernen Sie es und senden Sie das Formular erneut ab.
error-email-invalid = Bitte geben Sie eine gültige E-Mail-Adresse ein, etwa name@example.org.
error-website-too-long = Die Adresse Ihrer Website ist zu lang (höchstens { $max } Byte).
error-website-control = Die Adresse Ihrer Website enthält ein unsichtbares Steuerzeichen. Bitte entfernen Sie es und senden Sie das Formular erneut ab.
error-website-invalid = Die Adresse Ihrer Website muss mit http:// oder https:// beginnen.
error-comment-required = Bitte schreiben Sie einen Kommentar.
error-comment-too-long = Ihr Kommentar ist zu lang ({ $length } Byte; höchstens { $max }).
error-comment-control = Ihr Kommentar enthält ein unsichtbares Steuerzeichen. Bitte entfernen Sie es und senden Sie das Formular erneut ab.

## Why a comment was refused (shown above the form)
refused-broken-reply = Der Antwort-Link war fehlerhaft; bitte wählen Sie den Kommentar erneut aus.
refused-rate-limited = Von Ihrer Adresse kamen in der letzten Minute zu viele Kommentare. Bitte warten Sie einen Moment und senden Sie den Kommentar dann erneut ab.
refused-closed = Die Kommentare sind geschlossen.
refused-forged-token = Wir konnten dieses Formular nicht überprüfen (vielleicht wurde es verändert oder von einer anderen Seite aus gesendet). Ihr Text ist noch da: Bitte senden Sie ihn erneut ab.
refused-expired-token = Diese Seite war so lange geöffnet, dass das Formular abgelaufen ist. Ihr Text ist noch da: Bitte senden Sie ihn erneut ab.
refused-bad-reply = Antworten auf nicht freigegebene Kommentare sind nicht erlaubt.
refused-duplicate = Doppelter Kommentar: Es sieht so aus, als hätten Sie das schon einmal geschrieben!
refused-flood = Sie schreiben Kommentare zu schnell. Bitte warten Sie ein paar Sekunden und senden Sie den Kommentar dann erneut ab.
refused-cross-site = Dieses Formular wurde von einer anderen Website aus gesendet, daher ist nichts passiert. Wenn Sie es absenden wollten, öffnen Sie die Seite direkt auf dieser Website und senden Sie es von dort ab.

## Editing your own comment
edit-title = Ihren Kommentar bearbeiten
edit-intro = Zu „{ $title }“. Ein geänderter Kommentar wird erneut geprüft, genau wie ein neuer.
edit-save = Änderungen speichern
edit-delete = Meinen Kommentar löschen
edit-cancel = Abbrechen
edit-not-this-browser = Ein Kommentar kann nur in dem Browser geändert werden, mit dem er gesendet wurde.
edit-disabled = Kommentare auf dieser Website können nach dem Absenden nicht mehr geändert werden.
edit-window-passed = { $minutes ->
    [one] Ein Kommentar kann nach dem Absenden { $minutes } Minute lang geändert werden; diese Zeit ist abgelaufen.
   *[other] Ein Kommentar kann nach dem Absenden { $minutes } Minuten lang geändert werden; diese Zeit ist abgelaufen.
}
edit-has-reply = Auf diesen Kommentar wurde bereits geantwortet, daher kann er nicht mehr geändert werden.
edit-empty = Bitte schreiben Sie etwas oder löschen Sie den Kommentar stattdessen.
edit-unsendable = Dieser Text kann nicht gesendet werden (er ist zu lang oder enthält Zeichen, die in einem Kommentar nicht erlaubt sind).

## Search
search-title = Suche
# Ein Seitentitel: „Suche: Vögel“.
search-title-query = Suche: { $query }
search-the-site = Website durchsuchen
search-button = Suchen
search-none = Für „{ $query }“ wurde nichts gefunden.
search-results = { $count ->
    [one] Ein Ergebnis für „{ $query }“.
   *[other] { $count } Ergebnisse für „{ $query }“.
}
search-pages-label = Ergebnisseiten
search-previous = ← Zurück
search-next = Weiter →
search-rate-limited = Zu viele Suchanfragen von Ihrer Adresse; bitte warten Sie eine Minute.

## Error pages
error-heading-not-found = Seite nicht gefunden
error-heading-forbidden = Nicht erlaubt
error-heading-rate-limited = Bitte etwas langsamer
error-heading-failed = Das hat nicht geklappt
error-heading-server = Etwas ist schiefgelaufen
error-back-home = Zurück zur Startseite
error-not-found = Diese Seite konnten wir nicht finden. Vielleicht wurde sie verschoben, oder es hat sie nie gegeben.
error-forged-form = Dieses Formular ist abgelaufen oder stammt nicht von dieser Website. Laden Sie die Seite neu und versuchen Sie es noch einmal.
error-body-timeout = Die von Ihrem Browser gesendeten Daten kamen zu langsam an. Bitte prüfen Sie Ihre Verbindung und senden Sie sie erneut.
error-busy = Die Website ist gerade ausgelastet. Bitte versuchen Sie es gleich noch einmal.
error-internal = Bei uns ist etwas schiefgelaufen. Was Sie gesendet haben, ist nicht verloren; bitte versuchen Sie es noch einmal.
error-method = Diese Adresse nimmt diese Art von Anfrage nicht an.
error-too-large = Das war mehr, als wir auf einmal annehmen können.
error-server-default = Bei uns ist etwas schiefgelaufen. Bitte versuchen Sie es noch einmal.

## Privacy page
privacy-title = Datenschutz
privacy-stored-heading = Was wir speichern, wenn Sie kommentieren
privacy-stored-fields = Ihren Namen, Ihre E-Mail-Adresse, Ihre Website (falls angegeben) und Ihren Kommentar.
privacy-stored-ip = Die IP-Adresse, von der Ihr Kommentar kam, und die User-Agent-Kennung Ihres Browsers, um Spam zu bekämpfen.
privacy-stored-no-ip = Keine IP-Adresse. Die User-Agent-Kennung Ihres Browsers wird gespeichert, um Spam zu bekämpfen.
privacy-stored-mail = Ob Sie E-Mails zu Antworten oder eine einzelne E-Mail bei Veröffentlichung Ihres Kommentars angefordert haben, und die E-Mails, die wir Ihnen geschickt haben.
privacy-who-heading = Wer das sieht
privacy-who-ip = Ihren Namen, Ihre Website und Ihren freigegebenen Kommentar kann jeder sehen. Ihre E-Mail-Adresse, Ihre IP-Adresse und Ihren User-Agent sehen nur die Moderatoren dieser Website; sie erscheinen nie auf einer öffentlichen Seite, in einem Feed oder in einer E-Mail an andere Leser.
privacy-who-no-ip = Ihren Namen, Ihre Website und Ihren freigegebenen Kommentar kann jeder sehen. Ihre E-Mail-Adresse und Ihren User-Agent sehen nur die Moderatoren dieser Website; sie erscheinen nie auf einer öffentlichen Seite, in einem Feed oder in einer E-Mail an andere Leser.
privacy-who-no-third-party = Es werden keine Dritten einbezogen: Avatare werden hier aus Ihren Initialen erzeugt, Gravatar wird nicht verwendet.
privacy-how-long-heading = Wie lange
privacy-ip-retention = { $days ->
    [one] Nach { $days } Tag wird die IP-Adresse auf ihr Netz gekürzt (der letzte Teil wird entfernt) und der User-Agent gelöscht.
   *[other] Nach { $days } Tagen wird die IP-Adresse auf ihr Netz gekürzt (der letzte Teil wird entfernt) und der User-Agent gelöscht.
}
privacy-purge = { $days ->
    [one] Kommentare, die als Spam markiert oder in den Papierkorb verschoben wurden, werden nach { $days } Tag endgültig gelöscht.
   *[other] Kommentare, die als Spam markiert oder in den Papierkorb verschoben wurden, werden nach { $days } Tagen endgültig gelöscht.
}
privacy-approved-stay = Freigegebene Kommentare bleiben erhalten, bis Sie oder ein Moderator sie löschen.
privacy-remember-cookie = { $days ->
    [one] Wenn Sie „Meinen Namen, meine E-Mail-Adresse und meine Website in diesem Browser speichern“ ankreuzen, werden diese Angaben bis zu { $days } Tag lang in einem Cookie gespeichert, und zwar nur in Ihrem Browser; entfernen Sie das Häkchen, wird das Cookie gelöscht.
   *[other] Wenn Sie „Meinen Namen, meine E-Mail-Adresse und meine Website in diesem Browser speichern“ ankreuzen, werden diese Angaben bis zu { $days } Tage lang in einem Cookie gespeichert, und zwar nur in Ihrem Browser; entfernen Sie das Häkchen, wird das Cookie gelöscht.
}
privacy-request-log = Das Anfrageprotokoll des Servers erfasst Uhrzeit, Seite und Antwort, aber niemals Ihre IP-Adresse oder E-Mail-Adresse.
privacy-choice-heading = Ihre Daten, Ihre Entscheidung
privacy-choice = Unter „Meine Kommentare verwalten“ können Sie sich einen Link zuschicken lassen, der alles zeigt, was zu Ihrer Adresse gespeichert ist. Dort können Sie die Daten herunterladen, einzelne oder alle Ihre Kommentare löschen (gibt es Antworten darauf, bleiben diese erhalten, und Ihr Kommentar erscheint dann unter dem Namen „Anonym“) und alle E-Mails abbestellen. Auf Anfrage erledigen das auch die Administratoren der Website für Sie.
privacy-manage-link = Meine Kommentare verwalten

## Managing your comments
manage-title = Meine Kommentare verwalten
manage-sent = Falls zu { $email } Kommentare vorhanden sind, ist ein Link unterwegs. Er ist einen Tag lang gültig und funktioniert nur einmal.
manage-intro = Geben Sie die E-Mail-Adresse ein, mit der Sie kommentiert haben. Gibt es dazu Kommentare, schicken wir Ihnen einen Link, mit dem Sie sie ansehen, herunterladen oder löschen oder alle E-Mails abbestellen können.
manage-email = E-Mail
manage-send = Link anfordern
manage-what-we-store = Was wir speichern und warum
manage-invalid-email = Bitte geben Sie eine gültige E-Mail-Adresse ein, etwa name@example.org.
manage-rate-limited = Zu viele Anfragen. Bitte versuchen Sie es in einer Stunde erneut.
manage-link-invalid = Dieser Link ist ungültig. Vielleicht wurde er abgeschnitten oder verändert.
manage-link-expired = Dieser Link ist abgelaufen. Links sind einen Tag lang gültig.
manage-link-used = Dieser Link wurde bereits verwendet. Jeder Link funktioniert nur einmal.
manage-ask-again = Unten können Sie einen neuen anfordern.
manage-open-heading = Ihre Kommentare
manage-open-button = Meine Kommentare öffnen
manage-open-intro = { $minutes ->
    [one] Damit öffnen Sie für { $minutes } Minute eine Seite, auf der Sie die mit Ihrer Adresse geschriebenen Kommentare ansehen, herunterladen oder löschen und alle E-Mails an diese Adresse abbestellen können.
   *[other] Damit öffnen Sie für { $minutes } Minuten eine Seite, auf der Sie die mit Ihrer Adresse geschriebenen Kommentare ansehen, herunterladen oder löschen und alle E-Mails an diese Adresse abbestellen können.
}
manage-needs-fresh-link = Für diese Seite brauchen Sie einen neuen Link: Fordern Sie ihn unter /privacy/manage an.
own-title = Ihre Kommentare
own-stored = Alles, was zu { $email } gespeichert ist: { $comments ->
    [one] { $comments } Kommentar
   *[other] { $comments } Kommentare
}, { $subscriptions ->
    [one] { $subscriptions } E-Mail-Abonnement
   *[other] { $subscriptions } E-Mail-Abonnements
}, { $mails ->
    [one] { $mails } versendete oder noch ausstehende E-Mail
   *[other] { $mails } versendete oder noch ausstehende E-Mails
}.
own-download = Alles herunterladen (JSON)
own-stop-mail = Alle E-Mails abbestellen
own-delete-all = Alle meine Kommentare löschen
own-delete-one = Diesen Kommentar löschen
own-browser = Browser: { $browser }
own-deleted = Gelöscht.
own-stopped = An diese Adresse werden keine E-Mails mehr gesendet.
comment-status-approved = veröffentlicht
comment-status-pending = wartet auf Freigabe
comment-status-spam = als Spam markiert
comment-status-trash = im Papierkorb

## Mails to commenters
mail-published-subject = [{ $site }] Ihr Kommentar zu „{ $title }“ wurde veröffentlicht
mail-published-intro = Ihr Kommentar zu „{ $title }“ wurde freigegeben und ist jetzt öffentlich:
mail-published-intro-html = Ihr Kommentar zu „{ $title }“ wurde freigegeben und ist jetzt öffentlich.
mail-you-wrote = Sie haben geschrieben:
mail-published-only-once = Sie haben diese eine E-Mail angefordert; zu diesem Kommentar folgen keine weiteren, es sei denn, Sie haben auch Benachrichtigungen über Antworten angefordert.
mail-published-only-once-html = Sie haben diese eine E-Mail angefordert.
mail-stop-this-comment = Alle E-Mails zu diesem Kommentar abbestellen
mail-manage-all = Alle Ihre Kommentare verwalten
mail-reply-subject = [{ $site }] { $author } hat auf Ihren Kommentar zu „{ $title }“ geantwortet
mail-reply-intro = { $author } hat auf Ihren Kommentar zu „{ $title }“ geantwortet:
mail-reply-read = Lesen und antworten
mail-reply-why = Sie erhalten diese E-Mail, weil Sie Benachrichtigungen über Antworten angefordert haben.
mail-reply-stop = E-Mails zu diesem Kommentar abbestellen
mail-manage-subject = [{ $site }] Ihre Kommentare verwalten
mail-manage-intro = Jemand (hoffentlich Sie) möchte die Kommentare verwalten, die mit dieser Adresse auf { $site } geschrieben wurden.
mail-manage-open = Öffnen Sie diesen Link, um sie anzusehen, herunterzuladen oder zu löschen oder um alle E-Mails abzubestellen:
mail-manage-open-html = Ihre Kommentare ansehen, herunterladen oder löschen oder alle E-Mails abbestellen
mail-manage-expiry = { $hours ->
    [one] Der Link ist { $hours } Stunde lang gültig und funktioniert nur einmal. Falls Sie das nicht angefordert haben, ignorieren Sie diese E-Mail einfach; es ändert sich nichts.
   *[other] Der Link ist { $hours } Stunden lang gültig und funktioniert nur einmal. Falls Sie das nicht angefordert haben, ignorieren Sie diese E-Mail einfach; es ändert sich nichts.
}

## Stopping mail from a mailed link
unsubscribe-invalid-heading = Dieser Link ist ungültig
unsubscribe-invalid = Er wurde vielleicht abgeschnitten oder verändert.
unsubscribe-ask-heading = Diese E-Mails abbestellen?
unsubscribe-what = Sie erhalten keine E-Mails mehr zu diesem Kommentar.
unsubscribe-button = Abbestellen
unsubscribe-done-heading = Abbestellt

## Erased comments, mentions, browsers, more errors
comment-anonymous = Anonym
comment-removed = [auf Wunsch des Verfassers entfernt]
mention-kind-pingback = Pingback
mention-kind-trackback = Trackback
browser-on = { $browser } unter { $system }
browser-unknown = unbekannter Browser
error-bad-query = Diese Adresse enthält einen Teil, den diese Seite nicht versteht.
error-unreadable-form = Was Ihr Browser gesendet hat, konnten wir nicht lesen. Bitte gehen Sie zurück und versuchen Sie es noch einmal.
error-not-understood = Die Anfrage war nicht verständlich.
