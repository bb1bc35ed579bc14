# marginalia: okurların ve yorum yapanların gördüğü her şey, Türkçe.
# Bu katalog locales/en.ftl ile aynı ileti kimliklerini kullanır; eksik bir ileti İngilizce gösterilir.
#
# Türkçede değişkenlere ($author, $title, $email, $site, sayılar) ek getirilmez: ek ünlü
# uyumuna göre değişir ve burada hesaplanamaz. Cümleler bu yüzden "adlı", "adresi",
# "yazısına" gibi ayrı bir sözcükle ya da değişken yalın hâlde kalacak biçimde kuruldu.
# Sayılardan sonra ad çoğul eki almaz ("3 yorum").

## Language
# The language's own name, and its writing direction: ltr or rtl.
language-name = Türkçe
language-direction = ltr

## Dates (stored times are UTC)
month-1 = Ocak
month-2 = Şubat
month-3 = Mart
month-4 = Nisan
month-5 = Mayıs
month-6 = Haziran
month-7 = Temmuz
month-8 = Ağustos
month-9 = Eylül
month-10 = Ekim
month-11 = Kasım
month-12 = Aralık
# $month is one of the names above; $day and $year are numbers.
date-long = { $day } { $month } { $year }
# $date is date-long; $time is 24-hour "14:05".
date-time = { $date }, { $time } UTC

## Page frame
skip-to-content = İçeriğe geç
nav-pages = Sayfalar
nav-site = Site
search-label = Ara
nav-home = Ana sayfa
nav-feed = Besleme
nav-sitemap = Site haritası
nav-privacy = Gizlilik
nav-manage-comments = Yorumlarımı yönet
powered-by = marginalia ile çalışır.
feed-comments-title = { $site }: yorumlar
feed-post-comments-title = Yorumlar: { $title }
feed-comment-entry = “{ $title }” yazısına yorum: { $author }

## Listings
listing-articles = Yazılar
# A page title such as "Category: Travel (page 2)".
listing-page-title = { $heading } (sayfa { $page })
listing-category = Kategori: { $name }
listing-tag = Etiket: { $name }
listing-empty = Burada henüz yayınlanmış bir şey yok.
author-empty = Henüz yayınlanmış bir şey yok.
index-empty = Henüz yazı yok.
pagination-label = Sayfalar
pagination-newer = ← Daha yeni yazılar
pagination-older = Daha eski yazılar →
pagination-page = Sayfa { $page } / { $total }
continue-reading = Devamını oku
comment-count = { $count ->
    [one] { $count } yorum
   *[other] { $count } yorum
}

## Article
article-by = Yazan:
article-tags = Etiketler:
related-articles = İlgili yazılar
comments-heading-none = Henüz yorum yok
comments-heading-closed = Yorumlar
thread-of = Yorumların yapıldığı sayfa:
comments-heading = { $count ->
    [one] “{ $title }” için bir yorum
   *[other] “{ $title }” için { $count } yorum
}
comment-pages-label = Yorum sayfaları
comments-older = ← Daha eski yorumlar
comments-newer = Daha yeni yorumlar →
comments-page = Yorum sayfası { $page } / { $total }
mentions-heading = Bahsetmeler
mentions-show-all = { $count ->
    [one] Bahsetmeyi göster
   *[other] { $count } bahsetmenin tümünü göster
}

## One comment in the thread
comment-moderator = Moderatör
comment-edited = (düzenlendi)
comment-awaiting-moderation = Yorumunuz onay bekliyor.
comment-edit-link = Düzenle veya sil
comment-reply = Yanıtla
comment-reply-to = Yanıtla: { $author }

## The reply form
form-reply-to = { $author } için bir yanıt yazın
form-leave-reply = Bir yanıt yazın
form-cancel-reply = Yanıtı iptal et
form-closed = Yorumlar kapalı.
form-kept-text = Yazdıklarınız kaybolmasın diye burada duruyor:
form-check-fields = Lütfen aşağıda işaretlenen alanları kontrol edin; yazdığınız her şey hâlâ burada.
form-email-notes = E-posta adresiniz yayınlanmayacak.
form-privacy-link = Gizlilik
# The asterisk is shown in red: keep exactly one "*" in this message.
form-required-fields = Zorunlu alanlar * ile işaretlenmiştir
form-ip-kept = { $days ->
    [one] IP adresleri { $days } gün boyunca eksiksiz saklanır.
   *[other] IP adresleri { $days } gün boyunca eksiksiz saklanır.
}
form-no-ip = Hiçbir IP adresi saklanmaz.
form-comment = Yorum
form-comment-hint = Düz metin; *vurgu*, `kod`, > alıntı, listeler ve bağlantılar kullanılabilir.
form-name = Ad
form-email = E-posta
form-website = İnternet sitesi
form-honeypot = Bu alanı boş bırakın
form-notify-replies = Yanıtları bana e-posta ile bildir.
form-notify-published = Yorumum yayınlandığında bana e-posta ile haber ver.
form-remember = Bir dahaki sefere yorum yaptığımda kullanılmak üzere adımı, e-posta adresimi ve internet sitesi adresimi bu tarayıcıya kaydet.
form-preview-label = Önizleme: Yorumunuz böyle görünecek.
form-submit = Yorum gönder
form-preview = Önizle

## Why a field was refused
error-name-required = Lütfen adınızı girin.
error-name-too-long = Adınız çok uzun (en fazla { $max } bayt).
error-name-control = Adınızda görünmeyen bir kontrol karakteri var. Lütfen bu karakteri kaldırıp yeniden gönderin.
error-email-required = Lütfen e-posta adresinizi girin.
error-email-too-long = E-posta adresiniz çok uzun (en fazla { $max } bayt).
error-email-control = E-posta adresinizde görünmeyen bir kontrol karakteri var. Lütfen bu karakteri kaldırıp yeniden gönderin.
error-email-invalid = Lütfen name@example.org gibi geçerli bir e-posta adresi girin.
error-website-too-long = İnternet sitesi adresiniz çok uzun (en fazla { $max } bayt).
error-website-control = İnternet sitesi adresinizde görünmeyen bir kontrol karakteri var. Lütfen bu karakteri kaldırıp yeniden gönderin.
error-website-invalid = İnternet sitesi adresiniz http:// veya https:// ile başlamalıdır.
error-comment-required = Lütfen yorumunuzu yazın.
error-comment-too-long = Yorumunuz çok uzun ({ $length } bayt; en fazla { $max }).
error-comment-control = Yorumunuzda görünmeyen bir kontrol karakteri var. Lütfen bu karakteri kaldırıp yeniden gönderin.

## Why a comment was refused (shown above the form)
refused-broken-reply = Yanıt bağlantısı bozuktu; lütfen yanıtlamak istediğiniz yorumu yeniden seçin.
refused-rate-limited = Son bir dakika içinde adresinizden çok fazla yorum gönderildi. Lütfen biraz bekleyip yeniden gönderin.
refused-closed = Yorumlar kapalı.
refused-forged-token = Bu form doğrulanamadı (değiştirilmiş ya da başka bir sayfadan gönderilmiş olabilir). Yazdıklarınız hâlâ burada: Lütfen yeniden gönderin.
refused-expired-token = Bu sayfa o kadar uzun süre açık kaldı ki formun süresi doldu. Yazdıklarınız hâlâ burada: Lütfen yeniden gönderin.
refused-bad-reply = Onaylanmamış yorumlara yanıt verilemez.
refused-duplicate = Yinelenen yorum: Bunu zaten söylemişsiniz gibi görünüyor!
refused-flood = Çok hızlı yorum gönderiyorsunuz. Lütfen birkaç saniye bekleyip yeniden gönderin.
refused-cross-site = Bu form başka bir web sitesinden gönderildiği için hiçbir işlem yapılmadı. Göndermek istediyseniz bu sitenin kendi sayfasını açıp formu oradan gönderin.

## Editing your own comment
edit-title = Yorumunuzu düzenleyin
edit-intro = “{ $title }” yazısına yaptığınız yorum. Değiştirdiğiniz yorum, yeni bir yorum gibi yeniden incelenir.
edit-save = Değişiklikleri kaydet
edit-delete = Yorumumu sil
edit-cancel = İptal
edit-not-this-browser = Bir yorum yalnızca onu gönderen tarayıcıdan değiştirilebilir.
edit-disabled = Bu sitede yorumlar gönderildikten sonra değiştirilemez.
edit-window-passed = { $minutes ->
    [one] Bir yorum, gönderildikten sonra { $minutes } dakika boyunca değiştirilebilir; bu süre doldu.
   *[other] Bir yorum, gönderildikten sonra { $minutes } dakika boyunca değiştirilebilir; bu süre doldu.
}
edit-has-reply = Bu yoruma yanıt verildiği için yorum artık değiştirilemez.
edit-empty = Lütfen bir şey yazın ya da yorumu silin.
edit-unsendable = Bu metin gönderilemiyor (çok uzun ya da yorumlarda kullanılamayan karakterler içeriyor).

## Search
search-title = Arama
# A page title: "Search: birds".
search-title-query = Arama: { $query }
search-the-site = Sitede ara
search-button = Ara
search-none = “{ $query }” için hiçbir sonuç bulunamadı.
search-results = { $count ->
    [one] “{ $query }” için bir sonuç bulundu.
   *[other] “{ $query }” için { $count } sonuç bulundu.
}
search-pages-label = Sonuç sayfaları
search-previous = ← Önceki
search-next = Sonraki →
search-rate-limited = Adresinizden çok fazla arama yapıldı; lütfen bir dakika bekleyin.

## Error pages
error-heading-not-found = Sayfa bulunamadı
error-heading-forbidden = İzin verilmiyor
error-heading-rate-limited = Biraz yavaşlayın
error-heading-failed = İşlem gerçekleştirilemedi
error-heading-server = Bir şeyler ters gitti
error-back-home = Ana sayfaya dön
error-not-found = Bu sayfayı bulamadık. Taşınmış ya da hiç var olmamış olabilir.
error-forged-form = Bu formun süresi dolmuş ya da form bu siteden gelmemiş. Sayfayı yeniden yükleyip tekrar deneyin.
error-body-timeout = Tarayıcınızın gönderdiği veriler çok yavaş ulaştı. Lütfen bağlantınızı kontrol edip yeniden gönderin.
error-busy = Site şu anda çok yoğun. Lütfen biraz sonra yeniden deneyin.
error-internal = Bizim tarafımızda bir sorun oluştu. Gönderdiğiniz hiçbir şey kaybolmadı; lütfen yeniden deneyin.
error-method = Bu adres bu tür bir isteği kabul etmiyor.
error-too-large = Gönderdiğiniz veri, tek seferde kabul edebileceğimizden fazla.
error-server-default = Bizim tarafımızda bir sorun oluştu. Lütfen yeniden deneyin.

## Privacy page
privacy-title = Gizlilik
privacy-stored-heading = Yorum yaptığınızda neleri saklıyoruz
privacy-stored-fields = Adınız, e-posta adresiniz, internet siteniz (belirttiyseniz) ve yorumunuz.
privacy-stored-ip = Spam ile mücadele etmek için yorumunuzun geldiği IP adresi ve tarayıcınızın kullanıcı aracısı (user agent) dizesi.
privacy-stored-no-ip = IP adresi saklanmaz. Spam ile mücadele etmek için tarayıcınızın kullanıcı aracısı (user agent) dizesi saklanır.
privacy-stored-mail = Yanıtlarla ilgili e-posta ya da yorumunuz yayınlandığında tek bir e-posta isteyip istemediğiniz ve size gönderdiğimiz e-postalar.
privacy-who-heading = Kimler görebilir
privacy-who-ip = Adınızı, internet sitenizi ve onaylanmış yorumunuzu herkes görebilir. E-posta adresinizi, IP adresinizi ve kullanıcı aracısı bilginizi yalnızca bu sitenin moderatörleri görür; bunlar hiçbir zaman herkese açık bir sayfada, bir beslemede ya da başka bir okura gönderilen bir e-postada yer almaz.
privacy-who-no-ip = Adınızı, internet sitenizi ve onaylanmış yorumunuzu herkes görebilir. E-posta adresinizi ve kullanıcı aracısı bilginizi yalnızca bu sitenin moderatörleri görür; bunlar hiçbir zaman herkese açık bir sayfada, bir beslemede ya da başka bir okura gönderilen bir e-postada yer almaz.
privacy-who-no-third-party = Hiçbir üçüncü taraf hizmetine başvurulmaz: Avatarlar burada, adınızın baş harflerinden oluşturulur; Gravatar kullanılmaz.
privacy-how-long-heading = Ne kadar süre saklıyoruz
privacy-ip-retention = { $days ->
    [one] { $days } gün sonra IP adresinin son bölümü silinerek yalnızca ağ kısmı bırakılır ve kullanıcı aracısı bilgisi silinir.
   *[other] { $days } gün sonra IP adresinin son bölümü silinerek yalnızca ağ kısmı bırakılır ve kullanıcı aracısı bilgisi silinir.
}
privacy-purge = { $days ->
    [one] Spam olarak işaretlenen ya da çöp kutusuna taşınan yorumlar { $days } gün sonra kalıcı olarak silinir.
   *[other] Spam olarak işaretlenen ya da çöp kutusuna taşınan yorumlar { $days } gün sonra kalıcı olarak silinir.
}
privacy-approved-stay = Onaylanmış yorumlar, siz ya da bir moderatör silene kadar yayında kalır.
privacy-remember-cookie = { $days ->
    [one] “Adımı, e-posta adresimi ve internet sitesi adresimi bu tarayıcıya kaydet” seçeneğini işaretlerseniz bu bilgiler yalnızca tarayıcınızdaki bir çerezde, en fazla { $days } gün süreyle saklanır; işareti kaldırdığınızda çerez silinir.
   *[other] “Adımı, e-posta adresimi ve internet sitesi adresimi bu tarayıcıya kaydet” seçeneğini işaretlerseniz bu bilgiler yalnızca tarayıcınızdaki bir çerezde, en fazla { $days } gün süreyle saklanır; işareti kaldırdığınızda çerez silinir.
}
privacy-request-log = Sunucunun istek günlüğü zamanı, istenen sayfayı ve verilen yanıtı kaydeder; IP adresinizi ya da e-posta adresinizi asla kaydetmez.
privacy-choice-heading = Verileriniz, sizin tercihiniz
privacy-choice = “Yorumlarımı yönet” sayfasından kendinize bir bağlantı gönderilmesini isteyebilirsiniz. Bu bağlantıyla adresiniz hakkında saklanan her şeyi görebilir ve indirebilir, yorumlarınızdan birini ya da tümünü silebilir (yanıt almış bir yorum “Anonim” adıyla görünür, yanıtlar yerinde kalır) ve tüm e-postaları durdurabilirsiniz. Sitenin yöneticileri de isteğiniz üzerine bunları sizin için yapabilir.
privacy-manage-link = Yorumlarımı yönet

## Managing your comments
manage-title = Yorumlarımı yönet
manage-sent = Bu sitede { $email } adresiyle yapılmış yorumlar varsa bu adrese bir bağlantı gönderildi. Bağlantı yalnızca bir kez ve bir gün boyunca geçerlidir.
manage-intro = Yorum yaparken kullandığınız e-posta adresini girin. Bu adresle yapılmış yorumlar varsa, bunları görebilmeniz, indirebilmeniz ya da silebilmeniz veya tüm e-postaları durdurabilmeniz için adrese bir bağlantı göndeririz.
manage-email = E-posta
manage-send = Bana bir bağlantı gönder
manage-what-we-store = Neleri, neden saklıyoruz
manage-invalid-email = Lütfen name@example.org gibi geçerli bir e-posta adresi girin.
manage-rate-limited = Çok fazla istek yapıldı. Lütfen bir saat sonra yeniden deneyin.
manage-link-invalid = Bu bağlantı geçerli değil. Eksik kopyalanmış ya da değiştirilmiş olabilir.
manage-link-expired = Bu bağlantının süresi dolmuş. Bağlantılar bir gün boyunca geçerlidir.
manage-link-used = Bu bağlantı zaten kullanılmış. Her bağlantı yalnızca bir kez kullanılabilir.
manage-ask-again = Aşağıdan yeni bir bağlantı isteyebilirsiniz.
manage-open-heading = Yorumlarınız
manage-open-button = Yorumlarımı aç
manage-open-intro = { $minutes ->
    [one] Bu düğme, { $minutes } dakika boyunca açık kalacak bir sayfa açar. Orada adresinizle yazılmış yorumları görebilir, indirebilir ya da silebilir ve bu adrese gönderilen tüm e-postaları durdurabilirsiniz.
   *[other] Bu düğme, { $minutes } dakika boyunca açık kalacak bir sayfa açar. Orada adresinizle yazılmış yorumları görebilir, indirebilir ya da silebilir ve bu adrese gönderilen tüm e-postaları durdurabilirsiniz.
}
manage-needs-fresh-link = Bu sayfa için yeni bir bağlantı gerekiyor: /privacy/manage adresinden yeni bir bağlantı isteyin.
own-title = Yorumlarınız
own-stored = { $email } adresi hakkında saklanan her şey: { $comments ->
    [one] { $comments } yorum
   *[other] { $comments } yorum
}, { $subscriptions ->
    [one] { $subscriptions } e-posta aboneliği
   *[other] { $subscriptions } e-posta aboneliği
} ve gönderilmiş ya da sırada bekleyen { $mails ->
    [one] { $mails } e-posta
   *[other] { $mails } e-posta
}.
own-download = Her şeyi indir (JSON)
own-stop-mail = Tüm e-postaları durdur
own-delete-all = Tüm yorumlarımı sil
own-delete-one = Bu yorumu sil
own-browser = Tarayıcı: { $browser }
own-deleted = Silindi.
own-stopped = Bu adrese artık e-posta gönderilmeyecek.
comment-status-approved = yayınlandı
comment-status-pending = onay bekliyor
comment-status-spam = spam olarak işaretlendi
comment-status-trash = çöp kutusunda

## Mails to commenters
mail-published-subject = [{ $site }] “{ $title }” yazısına yaptığınız yorum yayınlandı
mail-published-intro = “{ $title }” yazısına yaptığınız yorum onaylandı ve artık herkese açık:
mail-published-intro-html = “{ $title }” yazısına yaptığınız yorum onaylandı ve artık herkese açık.
mail-you-wrote = Yazdığınız yorum:
mail-published-only-once = Bu e-postayı siz istemiştiniz; yanıtların bildirilmesini de istemediyseniz bu yorumla ilgili başka e-posta gönderilmeyecek.
mail-published-only-once-html = Bu e-postayı siz istemiştiniz.
mail-stop-this-comment = Bu yorumla ilgili tüm e-postaları durdurun
mail-manage-all = Tüm yorumlarınızı yönetin
mail-reply-subject = [{ $site }] “{ $title }” yazısındaki yorumunuza { $author } yanıt verdi
mail-reply-intro = “{ $title }” yazısındaki yorumunuza { $author } yanıt verdi:
mail-reply-read = Okuyun ve yanıtlayın
mail-reply-why = Bu e-postayı, yanıtlardan haberdar edilmek istediğiniz için alıyorsunuz.
mail-reply-stop = Bu yorumla ilgili e-postaları durdurun
mail-manage-subject = [{ $site }] Yorumlarınızı yönetin
mail-manage-intro = Birisi (umarız sizsiniz) { $site } sitesinde bu adresle yazılmış yorumları yönetmek istedi.
mail-manage-open = Yorumlarınızı görmek, indirmek ya da silmek veya tüm e-postaları durdurmak için bu bağlantıyı açın:
mail-manage-open-html = Yorumlarınızı görün, indirin ya da silin veya tüm e-postaları durdurun
mail-manage-expiry = { $hours ->
    [one] Bağlantı yalnızca bir kez ve { $hours } saat boyunca geçerlidir. Bunu siz istemediyseniz bu e-postayı dikkate almayın; hiçbir şey değişmez.
   *[other] Bağlantı yalnızca bir kez ve { $hours } saat boyunca geçerlidir. Bunu siz istemediyseniz bu e-postayı dikkate almayın; hiçbir şey değişmez.
}

## Stopping mail from a mailed link
unsubscribe-invalid-heading = Bu bağlantı geçerli değil
unsubscribe-invalid = Bağlantı eksik kopyalanmış ya da değiştirilmiş olabilir.
unsubscribe-ask-heading = Bu e-postalar durdurulsun mu?
unsubscribe-what = Bu yorumla ilgili artık e-posta almayacaksınız.
unsubscribe-button = Aboneliği iptal et
unsubscribe-done-heading = Abonelik iptal edildi

## Erased comments, mentions, browsers, more errors
comment-anonymous = Anonim
comment-removed = [yazarının isteğiyle kaldırıldı]
mention-kind-pingback = Geri bildirim
mention-kind-trackback = Geri izleme
browser-on = { $system } üzerinde { $browser }
browser-unknown = bilinmeyen tarayıcı
error-bad-query = Bu adreste sayfanın anlayamadığı bir bölüm var.
error-unreadable-form = Tarayıcınızın gönderdiği veriler okunamadı. Lütfen geri dönüp yeniden deneyin.
error-not-understood = İstek anlaşılamadı.
