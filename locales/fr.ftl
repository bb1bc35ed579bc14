# marginalia : tout ce que voit un lecteur ou un commentateur, en français. Chaque catalogue de
# ce dossier a les mêmes identifiants de messages ; un message absent d’un catalogue s’affiche en anglais.
#
# Variables : $count et les autres nombres choisissent la forme du pluriel (en français : [one]
# pour 0 et 1, [other] sinon) ; $title, $author, $name, $site sont du texte brut.

## Langue
# Le nom de la langue dans la langue elle-même, et son sens d’écriture : ltr ou rtl.
language-name = Français
language-direction = ltr

## Dates (les heures enregistrées sont en UTC)
month-1 = janvier
month-2 = février
month-3 = mars
month-4 = avril
month-5 = mai
month-6 = juin
month-7 = juillet
month-8 = août
month-9 = septembre
month-10 = octobre
month-11 = novembre
month-12 = décembre
# $month est l’un des noms ci-dessus ; $day et $year sont des nombres. Le premier du mois s’écrit « 1er ».
date-long =
    { $day ->
        [1] 1er
       *[other] { $day }
    } { $month } { $year }
# $date est date-long ; $time est au format 24 heures « 14:05 ».
date-time = { $date } à { $time } UTC

## Cadre de la page
skip-to-content = Aller au contenu
nav-pages = Pages
nav-site = Site
search-label = Rechercher
nav-home = Accueil
nav-feed = Flux
nav-sitemap = Plan du site
nav-privacy = Confidentialité
nav-manage-comments = Gérer mes commentaires
powered-by = Propulsé par marginalia.
feed-comments-title = { $site } : commentaires
feed-post-comments-title = Commentaires sur { $title }
feed-comment-entry = Commentaire de { $author } sur « { $title } »

## Listes d’articles
listing-articles = Articles
# Un titre de page comme « Catégorie : Voyages (page 2) ».
listing-page-title = { $heading } (page { $page })
listing-category = Catégorie : { $name }
listing-tag = Étiquette : { $name }
listing-empty = Rien n’a encore été publié ici.
author-empty = Rien n’a encore été publié.
index-empty = Aucun article pour le moment.
pagination-label = Pages
pagination-newer = ← Articles plus récents
pagination-older = Articles plus anciens →
pagination-page = Page { $page } sur { $total }
continue-reading = Lire la suite
comment-count = { $count ->
    [one] { $count } commentaire
   *[other] { $count } commentaires
}

## Article
article-by = par
article-tags = Étiquettes :
related-articles = Articles similaires
comments-heading-none = Aucun commentaire pour le moment
comments-heading-closed = Commentaires
thread-of = Commentaires sur
comments-heading = { $count ->
    [one] { $count } réflexion sur « { $title } »
   *[other] { $count } réflexions sur « { $title } »
}
comment-pages-label = Pages de commentaires
comments-older = ← Commentaires plus anciens
comments-newer = Commentaires plus récents →
comments-page = Commentaires : page { $page } sur { $total }
mentions-heading = Mentions
mentions-show-all = { $count ->
    [one] Afficher la mention
   *[other] Afficher les { $count } mentions
}

## Un commentaire dans la discussion
comment-moderator = Modérateur
comment-edited = (modifié)
comment-awaiting-moderation = Votre commentaire est en attente de modération.
comment-edit-link = Modifier ou supprimer
comment-reply = Répondre
comment-reply-to = Répondre à { $author }

## Le formulaire de commentaire
form-reply-to = Répondre à { $author }
form-leave-reply = Laisser un commentaire
form-cancel-reply = Annuler la réponse
form-closed = Les commentaires sont fermés.
form-kept-text = Voici ce que vous avez écrit, pour que rien ne soit perdu :
form-check-fields = Veuillez vérifier les champs signalés ci-dessous ; tout ce que vous avez saisi est toujours là.
form-email-notes = Votre adresse e-mail ne sera pas publiée.
form-privacy-link = Confidentialité
# L’astérisque s’affiche en rouge : gardez exactement un « * » dans ce message.
form-required-fields = Les champs obligatoires sont indiqués avec *
form-ip-kept = { $days ->
    [one] Les adresses IP sont conservées en entier pendant { $days } jour.
   *[other] Les adresses IP sont conservées en entier pendant { $days } jours.
}
form-no-ip = Aucune adresse IP n’est enregistrée.
form-comment = Commentaire
form-comment-hint = Texte brut ; *mise en valeur*, `code`, > citations, listes et liens sont pris en charge.
form-name = Nom
form-email = E-mail
form-website = Site web
form-honeypot = Laissez ce champ vide
form-notify-replies = Me prévenir des réponses par e-mail.
form-notify-published = Me prévenir par e-mail quand mon commentaire sera publié.
form-remember = Enregistrer mon nom, mon e-mail et mon site dans le navigateur pour mon prochain commentaire.
form-preview-label = Aperçu : voici à quoi ressemblera votre commentaire.
form-submit = Publier le commentaire
form-preview = Prévisualiser

## Pourquoi un champ a été refusé
error-name-required = Veuillez indiquer votre nom.
error-name-too-long = Votre nom est trop long ({ $max } octets au maximum).
error-name-control = Votre nom contient un caractère de contrôle invisible. Veuillez le retirer, puis renvoyer votre commentaire.
error-email-required = Veuillez indiquer votre adresse e-mail.
error-email-too-long = Votre adresse e-mail est trop longue ({ $max } octets au maximum).
error-email-control = Votre adresse e-mail contient un caractère de contrôle invisible. Veuillez le retirer, puis renvoyer votre commentaire.
error-email-invalid = Veuillez saisir une adresse e-mail valide, par exemple name@example.org.
error-website-too-long = L’adresse de votre site web est trop longue ({ $max } octets au maximum).
error-website-control = L’adresse de votre site web contient un caractère de contrôle invisible. Veuillez le retirer, puis renvoyer votre commentaire.
error-website-invalid = L’adresse de votre site web doit commencer par http:// ou https://.
error-comment-required = Veuillez saisir votre commentaire.
error-comment-too-long = Votre commentaire est trop long ({ $length } octets ; { $max } au maximum).
error-comment-control = Votre commentaire contient un caractère de contrôle invisible. Veuillez le retirer, puis renvoyer votre commentaire.

## Pourquoi un commentaire a été refusé (affiché au-dessus du formulaire)
refused-broken-reply = Ce lien de réponse ne fonctionnait pas ; veuillez sélectionner à nouveau le commentaire auquel vous répondez.
refused-rate-limited = Trop de commentaires ont été envoyés depuis votre adresse au cours de la dernière minute. Veuillez patienter un instant, puis renvoyer votre commentaire.
refused-closed = Les commentaires sont fermés.
refused-forged-token = Nous n’avons pas pu vérifier ce formulaire (il a peut-être été modifié, ou envoyé depuis une autre page). Votre texte est toujours là : veuillez le renvoyer.
refused-expired-token = Cette page est restée ouverte si longtemps que son formulaire a expiré. Votre texte est toujours là : veuillez le renvoyer.
refused-bad-reply = Il n’est pas possible de répondre à un commentaire qui n’a pas été approuvé.
refused-duplicate = Commentaire en double : il semble que vous ayez déjà dit cela !
refused-flood = Vous publiez des commentaires trop rapidement. Veuillez patienter quelques secondes, puis renvoyer votre commentaire.
refused-cross-site = Ce formulaire a été envoyé depuis un autre site web : rien n’a donc été fait. Si vous vouliez vraiment l’envoyer, ouvrez la page de ce site et envoyez-le depuis celle-ci.

## Modifier son propre commentaire
edit-title = Modifier votre commentaire
edit-intro = Sur « { $title } ». Un commentaire modifié est vérifié à nouveau, comme un nouveau commentaire.
edit-save = Enregistrer les modifications
edit-delete = Supprimer mon commentaire
edit-cancel = Annuler
edit-not-this-browser = Un commentaire ne peut être modifié que depuis le navigateur qui l’a envoyé.
edit-disabled = Sur ce site, les commentaires ne peuvent plus être modifiés une fois envoyés.
edit-window-passed = { $minutes ->
    [one] Un commentaire peut être modifié pendant { $minutes } minute après son envoi ; ce délai est dépassé.
   *[other] Un commentaire peut être modifié pendant { $minutes } minutes après son envoi ; ce délai est dépassé.
}
edit-has-reply = Quelqu’un a répondu à ce commentaire : il ne peut donc plus être modifié.
edit-empty = Veuillez écrire quelque chose, ou bien supprimer le commentaire.
edit-unsendable = Ce texte ne peut pas être envoyé (il est trop long, ou contient des caractères qu’un commentaire ne peut pas contenir).

## Recherche
search-title = Recherche
# Un titre de page : « Recherche : oiseaux ».
search-title-query = Recherche : { $query }
search-the-site = Rechercher sur le site
search-button = Rechercher
search-none = Aucun résultat pour « { $query } ».
search-results = { $count ->
    [one] { $count } résultat pour « { $query } ».
   *[other] { $count } résultats pour « { $query } ».
}
search-pages-label = Pages de résultats
search-previous = ← Précédent
search-next = Suivant →
search-rate-limited = Trop de recherches depuis votre adresse ; veuillez patienter une minute.

## Pages d’erreur
error-heading-not-found = Page introuvable
error-heading-forbidden = Accès refusé
error-heading-rate-limited = Un peu moins vite, s’il vous plaît
error-heading-failed = Cela n’a pas fonctionné
error-heading-server = Une erreur s’est produite
error-back-home = Retour à l’accueil
error-not-found = Nous n’avons pas trouvé cette page. Elle a peut-être été déplacée, ou n’a jamais existé.
error-forged-form = Ce formulaire a expiré ou ne provient pas de ce site. Rechargez la page et réessayez.
error-body-timeout = Les données envoyées par votre navigateur sont arrivées trop lentement. Veuillez vérifier votre connexion, puis réessayer.
error-busy = Le site est très sollicité en ce moment. Veuillez réessayer dans un instant.
error-internal = Une erreur s’est produite de notre côté. Rien de ce que vous avez envoyé n’a été perdu ; veuillez réessayer.
error-method = Cette adresse n’accepte pas ce type de requête.
error-too-large = C’est plus que ce que nous pouvons accepter en une seule fois.
error-server-default = Une erreur s’est produite de notre côté. Veuillez réessayer.

## Page de confidentialité
privacy-title = Confidentialité
privacy-stored-heading = Ce que nous enregistrons quand vous commentez
privacy-stored-fields = Votre nom, votre adresse e-mail, votre site web (si vous en indiquez un) et votre commentaire.
privacy-stored-ip = L’adresse IP d’où provient votre commentaire et la chaîne d’agent utilisateur (« user agent ») de votre navigateur, pour lutter contre le spam.
privacy-stored-no-ip = Aucune adresse IP. La chaîne d’agent utilisateur (« user agent ») de votre navigateur est conservée pour lutter contre le spam.
privacy-stored-mail = Le fait que vous ayez demandé ou non à recevoir un e-mail en cas de réponse, ou un seul e-mail lors de la publication de votre commentaire, ainsi que les e-mails que nous vous avons envoyés.
privacy-who-heading = Qui y a accès
privacy-who-ip = Tout le monde voit votre nom, votre site web et votre commentaire une fois approuvé. Votre adresse e-mail, votre adresse IP et votre agent utilisateur ne sont visibles que par les modérateurs de ce site ; ils n’apparaissent jamais sur une page publique, dans un flux ni dans un e-mail adressé à un autre lecteur.
privacy-who-no-ip = Tout le monde voit votre nom, votre site web et votre commentaire une fois approuvé. Votre adresse e-mail et votre agent utilisateur ne sont visibles que par les modérateurs de ce site ; ils n’apparaissent jamais sur une page publique, dans un flux ni dans un e-mail adressé à un autre lecteur.
privacy-who-no-third-party = Aucun service tiers n’est sollicité : les avatars sont générés ici à partir de vos initiales, sans Gravatar.
privacy-how-long-heading = Pendant combien de temps
privacy-ip-retention = { $days ->
    [one] Au bout de { $days } jour, l’adresse IP est tronquée à son réseau (la dernière partie est supprimée) et l’agent utilisateur est effacé.
   *[other] Au bout de { $days } jours, l’adresse IP est tronquée à son réseau (la dernière partie est supprimée) et l’agent utilisateur est effacé.
}
privacy-purge = { $days ->
    [one] Les commentaires marqués comme indésirables ou placés dans la corbeille sont définitivement supprimés au bout de { $days } jour.
   *[other] Les commentaires marqués comme indésirables ou placés dans la corbeille sont définitivement supprimés au bout de { $days } jours.
}
privacy-approved-stay = Les commentaires approuvés sont conservés jusqu’à ce que vous ou un modérateur les supprimiez.
privacy-remember-cookie = { $days ->
    [one] Si vous cochez « Enregistrer mon nom, mon e-mail et mon site dans le navigateur », ces informations sont conservées dans un cookie, uniquement dans votre navigateur, pendant { $days } jour au maximum ; décocher la case supprime le cookie.
   *[other] Si vous cochez « Enregistrer mon nom, mon e-mail et mon site dans le navigateur », ces informations sont conservées dans un cookie, uniquement dans votre navigateur, pendant { $days } jours au maximum ; décocher la case supprime le cookie.
}
privacy-request-log = Le journal des requêtes du serveur enregistre l’heure, la page et la réponse, mais jamais votre adresse IP ni votre e-mail.
privacy-choice-heading = Vos données, votre choix
privacy-choice = Depuis « Gérer mes commentaires », vous pouvez recevoir par e-mail un lien qui affiche tout ce qui est enregistré au sujet de votre adresse et vous permet de le télécharger, de supprimer un ou tous vos commentaires (si un commentaire a reçu des réponses, celles-ci restent en ligne et il apparaît alors sous le nom « Anonyme ») et d’arrêter tous les e-mails. Les administrateurs du site peuvent aussi le faire pour vous sur demande.
privacy-manage-link = Gérer mes commentaires

## Gérer vos commentaires
manage-title = Gérer mes commentaires
manage-sent = Si des commentaires ont été publiés ici avec l’adresse { $email }, un lien est en route vers celle-ci. Il ne fonctionne qu’une seule fois, pendant une journée.
manage-intro = Saisissez l’adresse e-mail avec laquelle vous avez commenté. Si des commentaires y sont associés, nous y enverrons un lien pour les consulter, les télécharger ou les supprimer, ou pour arrêter tous les e-mails.
manage-email = E-mail
manage-send = M’envoyer un lien
manage-what-we-store = Ce que nous enregistrons, et pourquoi
manage-invalid-email = Veuillez saisir une adresse e-mail valide, par exemple name@example.org.
manage-rate-limited = Trop de demandes. Veuillez réessayer dans une heure.
manage-link-invalid = Ce lien n’est pas valide. Il a peut-être été tronqué ou modifié.
manage-link-expired = Ce lien a expiré. Les liens sont valables une journée.
manage-link-used = Ce lien a déjà été utilisé. Chaque lien ne fonctionne qu’une seule fois.
manage-ask-again = Vous pouvez en demander un nouveau ci-dessous.
manage-open-heading = Vos commentaires
manage-open-button = Ouvrir mes commentaires
manage-open-intro = { $minutes ->
    [one] Ce bouton ouvre une page, valable { $minutes } minute, où vous pouvez consulter, télécharger ou supprimer les commentaires écrits avec votre adresse, et arrêter tous les e-mails qui lui sont envoyés.
   *[other] Ce bouton ouvre une page, valable { $minutes } minutes, où vous pouvez consulter, télécharger ou supprimer les commentaires écrits avec votre adresse, et arrêter tous les e-mails qui lui sont envoyés.
}
manage-needs-fresh-link = Cette page nécessite un nouveau lien : demandez-en un sur /privacy/manage.
own-title = Vos commentaires
own-stored = Tout ce qui est enregistré au sujet de { $email } : { $comments ->
    [one] { $comments } commentaire
   *[other] { $comments } commentaires
}, { $subscriptions ->
    [one] { $subscriptions } abonnement par e-mail
   *[other] { $subscriptions } abonnements par e-mail
}, { $mails ->
    [one] { $mails } e-mail envoyé ou en attente d’envoi
   *[other] { $mails } e-mails envoyés ou en attente d’envoi
}.
own-download = Tout télécharger (JSON)
own-stop-mail = Arrêter tous les e-mails
own-delete-all = Supprimer tous mes commentaires
own-delete-one = Supprimer ce commentaire
own-browser = Navigateur : { $browser }
own-deleted = Supprimé.
own-stopped = Plus aucun e-mail ne sera envoyé à cette adresse.
comment-status-approved = publié
comment-status-pending = en attente de modération
comment-status-spam = marqué comme indésirable
comment-status-trash = dans la corbeille

## E-mails aux commentateurs
mail-published-subject = [{ $site }] Votre commentaire sur « { $title } » est publié
mail-published-intro = Votre commentaire sur « { $title } » a été approuvé et est maintenant public :
mail-published-intro-html = Votre commentaire sur « { $title } » a été approuvé et est maintenant public.
mail-you-wrote = Vous avez écrit :
mail-published-only-once = Vous avez demandé à recevoir cet e-mail unique ; vous n’en recevrez pas d’autre au sujet de ce commentaire, sauf si vous avez aussi demandé à être averti des réponses.
mail-published-only-once-html = Vous avez demandé à recevoir cet e-mail unique.
mail-stop-this-comment = Ne plus recevoir d’e-mails au sujet de ce commentaire
mail-manage-all = Gérer tous vos commentaires
mail-reply-subject = [{ $site }] { $author } a répondu à votre commentaire sur « { $title } »
mail-reply-intro = { $author } a répondu à votre commentaire sur « { $title } » :
mail-reply-read = Lire et répondre
mail-reply-why = Vous recevez cet e-mail parce que vous avez demandé à être averti des réponses.
mail-reply-stop = Ne plus recevoir d’e-mails au sujet de ce commentaire
mail-manage-subject = [{ $site }] Gérer vos commentaires
mail-manage-intro = Quelqu’un (vous, espérons-le) a demandé à gérer les commentaires écrits avec cette adresse sur { $site }.
mail-manage-open = Ouvrez ce lien pour les consulter, les télécharger ou les supprimer, ou pour arrêter tous les e-mails :
mail-manage-open-html = Consulter, télécharger ou supprimer vos commentaires, ou arrêter tous les e-mails
mail-manage-expiry = { $hours ->
    [one] Ce lien ne fonctionne qu’une seule fois, pendant { $hours } heure. Si vous n’êtes pas à l’origine de cette demande, ignorez cet e-mail : rien ne sera modifié.
   *[other] Ce lien ne fonctionne qu’une seule fois, pendant { $hours } heures. Si vous n’êtes pas à l’origine de cette demande, ignorez cet e-mail : rien ne sera modifié.
}

## Stopping mail from a mailed link
unsubscribe-invalid-heading = Ce lien n’est pas valide
unsubscribe-invalid = Il a peut-être été tronqué ou modifié.
unsubscribe-ask-heading = Ne plus recevoir ces e-mails ?
unsubscribe-what = Vous ne recevrez plus d’e-mails concernant ce commentaire.
unsubscribe-button = Se désabonner
unsubscribe-done-heading = Désabonnement effectué

## Erased comments, mentions, browsers, more errors
comment-anonymous = Anonyme
comment-removed = [supprimé à la demande de son auteur]
mention-kind-pingback = Ping
mention-kind-trackback = Rétrolien
browser-on = { $browser } sous { $system }
browser-unknown = navigateur inconnu
error-bad-query = Cette adresse contient une partie que cette page ne comprend pas.
error-unreadable-form = Nous n’avons pas pu lire ce que votre navigateur a envoyé. Revenez en arrière et réessayez.
error-not-understood = La requête n’a pas pu être comprise.
