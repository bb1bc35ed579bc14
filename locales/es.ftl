# marginalia: todo lo que ve quien lee o comenta, en español. Todos los catálogos de esta
# carpeta tienen los mismos identificadores; un mensaje que falte se muestra en inglés.
#
# Variables: $count y otros números eligen la forma del plural ([one], [other]);
# $title, $author, $name, $site son texto sin formato.

## Language
# Nombre propio del idioma y dirección de escritura: ltr o rtl.
language-name = Español
language-direction = ltr

## Dates (stored times are UTC)
month-1 = enero
month-2 = febrero
month-3 = marzo
month-4 = abril
month-5 = mayo
month-6 = junio
month-7 = julio
month-8 = agosto
month-9 = septiembre
month-10 = octubre
month-11 = noviembre
month-12 = diciembre
# $month es uno de los nombres anteriores; $day y $year son números.
date-long = { $day } de { $month } de { $year }
# $date es date-long; $time está en formato de 24 horas, «14:05».
date-time = { $date } a las { $time } UTC

## Page frame
skip-to-content = Saltar al contenido
nav-pages = Páginas
nav-site = Sitio
search-label = Buscar
nav-home = Inicio
nav-feed = Feed
nav-sitemap = Mapa del sitio
nav-privacy = Privacidad
nav-manage-comments = Gestionar mis comentarios
powered-by = Funciona con marginalia.
feed-comments-title = { $site }: comentarios
feed-post-comments-title = Comentarios en { $title }
feed-comment-entry = Comentario de { $author } en «{ $title }»

## Listings
listing-articles = Artículos
# Título de página como «Categoría: Viajes (página 2)».
listing-page-title = { $heading } (página { $page })
listing-category = Categoría: { $name }
listing-tag = Etiqueta: { $name }
listing-empty = Aún no se ha publicado nada aquí.
author-empty = Aún no hay nada publicado.
index-empty = Aún no hay artículos.
pagination-label = Páginas
pagination-newer = ← Artículos más recientes
pagination-older = Artículos anteriores →
pagination-page = Página { $page } de { $total }
continue-reading = Seguir leyendo
comment-count = { $count ->
    [one] { $count } comentario
   *[other] { $count } comentarios
}

## Article
article-by = por
article-tags = Etiquetas:
related-articles = Artículos relacionados
comments-heading-none = Aún no hay comentarios
comments-heading-closed = Comentarios
thread-of = Comentarios sobre
comments-heading = { $count ->
    [one] Una respuesta a «{ $title }»
   *[other] { $count } respuestas a «{ $title }»
}
comment-pages-label = Páginas de comentarios
comments-older = ← Comentarios anteriores
comments-newer = Comentarios más recientes →
comments-page = Comentarios: página { $page } de { $total }
mentions-heading = Menciones
mentions-show-all = { $count ->
    [one] Mostrar la mención
   *[other] Mostrar las { $count } menciones
}

## One comment in the thread
comment-moderator = Moderador
comment-edited = (editado)
comment-awaiting-moderation = Tu comentario está pendiente de moderación.
comment-edit-link = Editar o eliminar
comment-reply = Responder
comment-reply-to = Responder a { $author }

## The reply form
form-reply-to = Responder a { $author }
form-leave-reply = Deja una respuesta
form-cancel-reply = Cancelar la respuesta
form-closed = Los comentarios están cerrados.
form-kept-text = Esto es lo que escribiste, para que no se pierda:
form-check-fields = Revisa los campos señalados abajo; todo lo que escribiste sigue aquí.
form-email-notes = Tu dirección de correo electrónico no será publicada.
form-privacy-link = Privacidad
# El asterisco se muestra en rojo: este mensaje debe contener exactamente un «*».
form-required-fields = Los campos obligatorios están marcados con *
form-ip-kept = { $days ->
    [one] Las direcciones IP se conservan completas durante { $days } día.
   *[other] Las direcciones IP se conservan completas durante { $days } días.
}
form-no-ip = No se guarda ninguna dirección IP.
form-comment = Comentario
form-comment-hint = Texto sin formato; se admiten *énfasis*, `código`, > citas, listas y enlaces.
form-name = Nombre
form-email = Correo electrónico
form-website = Web
form-honeypot = Deja este campo vacío
form-notify-replies = Avisarme por correo electrónico cuando haya respuestas.
form-notify-published = Avisarme por correo electrónico cuando se publique mi comentario.
form-remember = Guarda mi nombre, correo electrónico y web en este navegador para la próxima vez que comente.
form-preview-label = Vista previa: así se verá tu comentario.
form-submit = Publicar el comentario
form-preview = Vista previa

## Why a field was refused
error-name-required = Escribe tu nombre.
error-name-too-long = Tu nombre es demasiado largo (máximo { $max } bytes).
error-name-control = Tu nombre contiene un carácter de control invisible. Quítalo y vuelve a enviar el comentario.
error-email-required = Escribe tu dirección de correo electrónico.
error-email-too-long = Tu dirección de correo electrónico es demasiado larga (máximo { $max } bytes).
error-email-control = Tu dirección de correo electrónico contiene un carácter de control invisible. Quítalo y vuelve a enviar el comentario.
error-email-invalid = Escribe una dirección de correo electrónico válida, como name@example.org.
error-website-too-long = La dirección de tu web es demasiado larga (máximo { $max } bytes).
error-website-control = La dirección de tu web contiene un carácter de control invisible. Quítalo y vuelve a enviar el comentario.
error-website-invalid = La dirección de tu web debe empezar por http:// o https://.
error-comment-required = Escribe tu comentario.
error-comment-too-long = Tu comentario es demasiado largo ({ $length } bytes; máximo { $max }).
error-comment-control = Tu comentario contiene un carácter de control invisible. Quítalo y vuelve a enviarlo.

## Why a comment was refused (shown above the form)
refused-broken-reply = El enlace para responder no era válido; vuelve a elegir el comentario al que quieres responder.
refused-rate-limited = Se han enviado demasiados comentarios desde tu dirección en el último minuto. Espera un momento y vuelve a enviar el comentario.
refused-closed = Los comentarios están cerrados.
refused-forged-token = No se pudo verificar este formulario (puede que se haya modificado o que se enviara desde otra página). Tu texto sigue aquí: vuelve a enviarlo.
refused-expired-token = Esta página estuvo abierta tanto tiempo que su formulario caducó. Tu texto sigue aquí: vuelve a enviarlo.
refused-bad-reply = No se permiten respuestas a comentarios no aprobados.
refused-duplicate = Comentario duplicado: ¡parece que ya has dicho eso!
refused-flood = Estás publicando comentarios demasiado rápido. Espera unos segundos y vuelve a enviar el comentario.
refused-cross-site = Este formulario se envió desde otro sitio web, así que no se ha hecho nada. Si querías enviarlo, abre la página de este sitio y envíalo desde allí.

## Editing your own comment
edit-title = Editar tu comentario
edit-intro = Comentario en «{ $title }». Un comentario modificado vuelve a revisarse, igual que uno nuevo.
edit-save = Guardar los cambios
edit-delete = Eliminar mi comentario
edit-cancel = Cancelar
edit-not-this-browser = Un comentario solo puede modificarse desde el navegador con el que se envió.
edit-disabled = En este sitio, los comentarios no pueden modificarse una vez enviados.
edit-window-passed = { $minutes ->
    [one] Un comentario puede modificarse durante { $minutes } minuto después de enviarlo; ese plazo ya ha pasado.
   *[other] Un comentario puede modificarse durante { $minutes } minutos después de enviarlo; ese plazo ya ha pasado.
}
edit-has-reply = Alguien ha respondido a este comentario, así que ya no puede modificarse.
edit-empty = Escribe algo o, si lo prefieres, elimina el comentario.
edit-unsendable = Este texto no se puede enviar (es demasiado largo o contiene caracteres que un comentario no admite).

## Search
search-title = Búsqueda
# Título de página: «Búsqueda: pájaros».
search-title-query = Búsqueda: { $query }
search-the-site = Buscar en el sitio
search-button = Buscar
search-none = No se encontró nada para «{ $query }».
search-results = { $count ->
    [one] Un resultado para «{ $query }».
   *[other] { $count } resultados para «{ $query }».
}
search-pages-label = Páginas de resultados
search-previous = ← Anterior
search-next = Siguiente →
search-rate-limited = Demasiadas búsquedas desde tu dirección; espera un minuto.

## Error pages
error-heading-not-found = Página no encontrada
error-heading-forbidden = Acceso no permitido
error-heading-rate-limited = Más despacio, por favor
error-heading-failed = Eso no ha funcionado
error-heading-server = Algo salió mal
error-back-home = Volver a la portada
error-not-found = No encontramos esa página. Puede que se haya movido o que nunca haya existido.
error-forged-form = Este formulario ha caducado o no procede de este sitio. Recarga la página e inténtalo de nuevo.
error-body-timeout = Los datos que envió tu navegador tardaron demasiado en llegar. Comprueba tu conexión y vuelve a enviarlos.
error-busy = El sitio está muy ocupado en este momento. Inténtalo de nuevo en unos instantes.
error-internal = Algo salió mal por nuestra parte. No se ha perdido nada de lo que enviaste; inténtalo de nuevo.
error-method = Esa dirección no acepta este tipo de solicitud.
error-too-large = Es más de lo que podemos aceptar de una sola vez.
error-server-default = Algo salió mal por nuestra parte. Inténtalo de nuevo.

## Privacy page
privacy-title = Privacidad
privacy-stored-heading = Qué guardamos cuando comentas
privacy-stored-fields = Tu nombre, tu dirección de correo electrónico, tu web (si la indicas) y tu comentario.
privacy-stored-ip = La dirección IP desde la que se envió tu comentario y la cadena de agente de usuario de tu navegador, para combatir el spam.
privacy-stored-no-ip = Ninguna dirección IP. Se guarda la cadena de agente de usuario de tu navegador para combatir el spam.
privacy-stored-mail = Si has pedido recibir correos sobre las respuestas o un único correo cuando se publicara tu comentario, y los correos que te hemos enviado.
privacy-who-heading = Quién lo ve
privacy-who-ip = Cualquiera puede ver tu nombre, tu web y tu comentario aprobado. Tu dirección de correo electrónico, tu dirección IP y tu agente de usuario solo los ven los moderadores de este sitio; nunca aparecen en una página pública, en un feed ni en un correo dirigido a otro lector.
privacy-who-no-ip = Cualquiera puede ver tu nombre, tu web y tu comentario aprobado. Tu dirección de correo electrónico y tu agente de usuario solo los ven los moderadores de este sitio; nunca aparecen en una página pública, en un feed ni en un correo dirigido a otro lector.
privacy-who-no-third-party = No se solicita nada a terceros: los avatares se generan aquí a partir de tus iniciales, sin Gravatar.
privacy-how-long-heading = Durante cuánto tiempo
privacy-ip-retention = { $days ->
    [one] Pasado { $days } día, la dirección IP se recorta a su red (se elimina la última parte) y se borra el agente de usuario.
   *[other] Pasados { $days } días, la dirección IP se recorta a su red (se elimina la última parte) y se borra el agente de usuario.
}
privacy-purge = { $days ->
    [one] Los comentarios marcados como spam o enviados a la papelera se eliminan definitivamente pasado { $days } día.
   *[other] Los comentarios marcados como spam o enviados a la papelera se eliminan definitivamente pasados { $days } días.
}
privacy-approved-stay = Los comentarios aprobados se conservan hasta que tú o un moderador los eliminen.
privacy-remember-cookie = { $days ->
    [one] Si marcas «Guarda mi nombre, correo electrónico y web en este navegador», estos datos se guardan en una cookie únicamente en tu navegador, durante un máximo de { $days } día; si desmarcas la casilla, la cookie se elimina.
   *[other] Si marcas «Guarda mi nombre, correo electrónico y web en este navegador», estos datos se guardan en una cookie únicamente en tu navegador, durante un máximo de { $days } días; si desmarcas la casilla, la cookie se elimina.
}
privacy-request-log = El registro de solicitudes del servidor anota la hora, la página y la respuesta, pero nunca tu dirección IP ni tu correo electrónico.
privacy-choice-heading = Tus datos, tu decisión
privacy-choice = En «Gestionar mis comentarios» puedes pedir que te enviemos por correo un enlace que muestra todo lo que se guarda sobre tu dirección y te permite descargarlo, eliminar uno o todos tus comentarios (si un comentario tiene respuestas, estas se conservan y el comentario pasa a aparecer como «Anónimo») y dejar de recibir correos. Los administradores del sitio también pueden hacerlo por ti si se lo pides.
privacy-manage-link = Gestionar mis comentarios

## Managing your comments
manage-title = Gestionar mis comentarios
manage-sent = Si { $email } tiene comentarios aquí, hemos enviado un enlace a esa dirección. Funciona una sola vez y durante un día.
manage-intro = Escribe la dirección de correo electrónico con la que comentaste. Si tiene comentarios aquí, le enviaremos un enlace para verlos, descargarlos o eliminarlos, o para dejar de recibir correos.
manage-email = Correo electrónico
manage-send = Enviarme un enlace
manage-what-we-store = Qué guardamos y por qué
manage-invalid-email = Escribe una dirección de correo electrónico válida, como name@example.org.
manage-rate-limited = Demasiadas solicitudes. Inténtalo de nuevo dentro de una hora.
manage-link-invalid = Este enlace no es válido. Puede que se haya cortado o modificado.
manage-link-expired = Este enlace ha caducado. Los enlaces funcionan durante un día.
manage-link-used = Este enlace ya se ha usado. Cada enlace funciona una sola vez.
manage-ask-again = Puedes pedir uno nuevo aquí abajo.
manage-open-heading = Tus comentarios
manage-open-button = Abrir mis comentarios
manage-open-intro = { $minutes ->
    [one] Se abrirá, durante { $minutes } minuto, una página donde puedes ver, descargar o eliminar los comentarios escritos con tu dirección, y dejar de recibir correos en ella.
   *[other] Se abrirá, durante { $minutes } minutos, una página donde puedes ver, descargar o eliminar los comentarios escritos con tu dirección, y dejar de recibir correos en ella.
}
manage-needs-fresh-link = Esta página necesita un enlace nuevo: solicítalo en /privacy/manage.
own-title = Tus comentarios
own-stored = Todo lo que se guarda sobre { $email }: { $comments ->
    [one] { $comments } comentario
   *[other] { $comments } comentarios
}, { $subscriptions ->
    [one] { $subscriptions } suscripción por correo
   *[other] { $subscriptions } suscripciones por correo
} y { $mails ->
    [one] { $mails } correo enviado o en cola
   *[other] { $mails } correos enviados o en cola
}.
own-download = Descargar todo (JSON)
own-stop-mail = Dejar de recibir correos
own-delete-all = Eliminar todos mis comentarios
own-delete-one = Eliminar este comentario
own-browser = Navegador: { $browser }
own-deleted = Eliminado.
own-stopped = No se enviarán más correos a esta dirección.
comment-status-approved = publicado
comment-status-pending = pendiente de moderación
comment-status-spam = marcado como spam
comment-status-trash = en la papelera

## Mails to commenters
mail-published-subject = [{ $site }] Tu comentario en «{ $title }» ya está publicado
mail-published-intro = Tu comentario en «{ $title }» ha sido aprobado y ya es público:
mail-published-intro-html = Tu comentario en «{ $title }» ha sido aprobado y ya es público.
mail-you-wrote = Escribiste:
mail-published-only-once = Has pedido solo este correo; no recibirás ningún otro sobre este comentario, salvo que también hayas pedido que te avisemos de las respuestas.
mail-published-only-once-html = Has pedido solo este correo.
mail-stop-this-comment = Dejar de recibir correos sobre este comentario
mail-manage-all = Gestionar todos tus comentarios
mail-reply-subject = [{ $site }] { $author } ha respondido a tu comentario en «{ $title }»
mail-reply-intro = { $author } ha respondido a tu comentario en «{ $title }»:
mail-reply-read = Leer y responder
mail-reply-why = Recibes este correo porque has pedido que te avisemos de las respuestas.
mail-reply-stop = Dejar de recibir correos sobre este comentario
mail-manage-subject = [{ $site }] Gestiona tus comentarios
mail-manage-intro = Alguien (esperamos que tú) ha pedido gestionar los comentarios escritos con esta dirección en { $site }.
mail-manage-open = Abre este enlace para verlos, descargarlos o eliminarlos, o para dejar de recibir correos:
mail-manage-open-html = Ver, descargar o eliminar tus comentarios, o dejar de recibir correos
mail-manage-expiry = { $hours ->
    [one] El enlace funciona una sola vez y durante { $hours } hora. Si no lo pediste, ignora este correo; no cambiará nada.
   *[other] El enlace funciona una sola vez y durante { $hours } horas. Si no lo pediste, ignora este correo; no cambiará nada.
}

## Stopping mail from a mailed link
unsubscribe-invalid-heading = Este enlace no es válido
unsubscribe-invalid = Puede que esté incompleto o que se haya modificado.
unsubscribe-ask-heading = ¿Dejar de recibir estos correos?
unsubscribe-what = No recibirás más correos sobre este comentario.
unsubscribe-button = Darme de baja
unsubscribe-done-heading = Baja confirmada

## Erased comments, mentions, browsers, more errors
comment-anonymous = Anónimo
comment-removed = [eliminado a petición de su autor]
mention-kind-pingback = Pingback
mention-kind-trackback = Trackback
browser-on = { $browser } en { $system }
browser-unknown = navegador desconocido
error-bad-query = Esta dirección tiene una parte que esta página no entiende.
error-unreadable-form = No hemos podido leer lo que ha enviado tu navegador. Vuelve atrás e inténtalo de nuevo.
error-not-understood = No se ha podido entender la petición.
