# marginalia: everything a reader or commenter sees, in Arabic (Modern Standard Arabic).
# Same message ids as locales/en.ftl; a message this catalogue lacks is shown in English.
#
# Variables: $count and other numbers select the CLDR plural forms of Arabic:
# [zero], [one], [two], [few] (3–10), [many] (11–99), [other] (100 and others);
# $title, $author, $name, $site are plain text.

## Language
# The language's own name, and its writing direction: ltr or rtl.
language-name = العربية
language-direction = rtl

## Dates (stored times are UTC)
month-1 = يناير
month-2 = فبراير
month-3 = مارس
month-4 = أبريل
month-5 = مايو
month-6 = يونيو
month-7 = يوليو
month-8 = أغسطس
month-9 = سبتمبر
month-10 = أكتوبر
month-11 = نوفمبر
month-12 = ديسمبر
# $month is one of the names above; $day and $year are numbers.
date-long = { $day } { $month } { $year }
# $date is date-long; $time is 24-hour "14:05".
date-time = { $date } الساعة { $time } UTC

## Page frame
skip-to-content = انتقل إلى المحتوى
nav-pages = الصفحات
nav-site = الموقع
search-label = بحث
nav-home = الرئيسية
nav-feed = الخلاصة
nav-sitemap = خريطة الموقع
nav-privacy = الخصوصية
nav-manage-comments = إدارة تعليقاتي
powered-by = يعمل بمحرّك marginalia.
feed-comments-title = تعليقات { $site }
feed-post-comments-title = التعليقات على «{ $title }»
feed-comment-entry = تعليق { $author } على «{ $title }»

## Listings
listing-articles = المقالات
# A page title such as "Category: Travel (page 2)".
listing-page-title = { $heading } (الصفحة { $page })
listing-category = التصنيف: { $name }
listing-tag = الوسم: { $name }
listing-empty = لم يُنشر شيء هنا بعد.
author-empty = لم يُنشر شيء بعد.
index-empty = لا توجد مقالات بعد.
pagination-label = الصفحات
pagination-newer = → المقالات الأحدث
pagination-older = المقالات الأقدم ←
pagination-page = الصفحة { $page } من { $total }
continue-reading = متابعة القراءة
comment-count = { $count ->
    [zero] لا تعليقات
    [one] تعليق واحد
    [two] تعليقان
    [few] { $count } تعليقات
    [many] { $count } تعليقًا
   *[other] { $count } تعليق
}

## Article
article-by = بقلم
article-tags = الوسوم:
related-articles = مقالات ذات صلة
comments-heading-none = لا توجد تعليقات بعد
comments-heading-closed = التعليقات
thread-of = تعليقات على
comments-heading = { $count ->
    [zero] لا تعليقات على «{ $title }»
    [one] تعليق واحد على «{ $title }»
    [two] تعليقان على «{ $title }»
    [few] { $count } تعليقات على «{ $title }»
    [many] { $count } تعليقًا على «{ $title }»
   *[other] { $count } تعليق على «{ $title }»
}
comment-pages-label = صفحات التعليقات
comments-older = → التعليقات الأقدم
comments-newer = التعليقات الأحدث ←
comments-page = صفحة التعليقات { $page } من { $total }
mentions-heading = الإشارات
mentions-show-all = { $count ->
    [zero] عرض الإشارات
    [one] عرض الإشارة
    [two] عرض الإشارتين
    [few] عرض الإشارات كلها ({ $count } إشارات)
    [many] عرض الإشارات كلها ({ $count } إشارة)
   *[other] عرض الإشارات كلها ({ $count } إشارة)
}

## One comment in the thread
comment-moderator = مشرف
comment-edited = (مُعدَّل)
comment-awaiting-moderation = تعليقك في انتظار المراجعة.
comment-edit-link = تعديل أو حذف
comment-reply = رد
comment-reply-to = رد على { $author }

## The reply form
form-reply-to = الرد على { $author }
form-leave-reply = أضف تعليقًا
form-cancel-reply = إلغاء الرد
form-closed = التعليقات مغلقة.
form-kept-text = إليك ما كتبته حتى لا يضيع:
form-check-fields = يُرجى مراجعة الحقول المشار إليها أدناه؛ فكل ما كتبته لا يزال موجودًا.
form-email-notes = لن يُنشر عنوان بريدك الإلكتروني.
form-privacy-link = الخصوصية
# The asterisk is shown in red: keep exactly one "*" in this message.
form-required-fields = الحقول الإلزامية مشار إليها بـ *
form-ip-kept = { $days ->
    [zero] تُحفظ عناوين IP كاملةً لمدة { $days } يوم.
    [one] تُحفظ عناوين IP كاملةً لمدة يوم واحد.
    [two] تُحفظ عناوين IP كاملةً لمدة يومين.
    [few] تُحفظ عناوين IP كاملةً لمدة { $days } أيام.
    [many] تُحفظ عناوين IP كاملةً لمدة { $days } يومًا.
   *[other] تُحفظ عناوين IP كاملةً لمدة { $days } يوم.
}
form-no-ip = لا يُخزَّن أي عنوان IP.
form-comment = التعليق
form-comment-hint = نص عادي؛ يمكنك استخدام *التوكيد* و`الشيفرة` والاقتباسات (>) والقوائم والروابط.
form-name = الاسم
form-email = البريد الإلكتروني
form-website = الموقع الإلكتروني
form-honeypot = اترك هذا الحقل فارغًا
form-notify-replies = أعلمني بالردود عبر البريد الإلكتروني.
form-notify-published = أخبرني عبر البريد الإلكتروني عند نشر تعليقي.
form-remember = احفظ اسمي وبريدي الإلكتروني وموقعي الإلكتروني في هذا المتصفح لاستخدامها في المرة القادمة التي أعلّق فيها.
form-preview-label = معاينة: هكذا سيظهر تعليقك.
form-submit = إرسال التعليق
form-preview = معاينة

## Why a field was refused
error-name-required = يُرجى إدخال اسمك.
error-name-too-long = اسمك طويل جدًا (الحد الأقصى { $max } بايت).
error-name-control = يحتوي اسمك على حرف تحكّم غير مرئي. يُرجى حذفه ثم الإرسال مجددًا.
error-email-required = يُرجى إدخال عنوان بريدك الإلكتروني.
error-email-too-long = عنوان بريدك الإلكتروني طويل جدًا (الحد الأقصى { $max } بايت).
error-email-control = يحتوي عنوان بريدك الإلكتروني على حرف تحكّم غير مرئي. يُرجى حذفه ثم الإرسال مجددًا.
error-email-invalid = يُرجى إدخال عنوان بريد إلكتروني صالح، مثل name@example.org.
error-website-too-long = عنوان موقعك الإلكتروني طويل جدًا (الحد الأقصى { $max } بايت).
error-website-control = يحتوي عنوان موقعك الإلكتروني على حرف تحكّم غير مرئي. يُرجى حذفه ثم الإرسال مجددًا.
error-website-invalid = يجب أن يبدأ عنوان موقعك الإلكتروني بـ http:// أو https://.
error-comment-required = يُرجى كتابة تعليقك.
error-comment-too-long = تعليقك طويل جدًا ({ $length } بايت؛ والحد الأقصى { $max }).
error-comment-control = يحتوي تعليقك على حرف تحكّم غير مرئي. يُرجى حذفه ثم الإرسال مجددًا.

## Why a comment was refused (shown above the form)
refused-broken-reply = رابط الرد هذا معطوب؛ يُرجى اختيار التعليق مجددًا.
refused-rate-limited = وصلت تعليقات كثيرة جدًا من عنوانك خلال الدقيقة الماضية. يُرجى الانتظار قليلًا ثم الإرسال مجددًا.
refused-closed = التعليقات مغلقة.
refused-forged-token = تعذّر علينا التحقق من هذا النموذج (ربما عُدِّل، أو أُرسل من صفحة أخرى). نصك لا يزال هنا: يُرجى إرساله مجددًا.
refused-expired-token = بقيت هذه الصفحة مفتوحة مدة طويلة حتى انتهت صلاحية نموذجها. نصك لا يزال هنا: يُرجى إرساله مجددًا.
refused-bad-reply = لا يُسمح بالرد على تعليقات لم تتم الموافقة عليها.
refused-duplicate = تعليق مكرر: يبدو أنك قلت هذا من قبل!
refused-flood = أنت تنشر التعليقات بسرعة كبيرة. يُرجى الانتظار بضع ثوانٍ ثم الإرسال مجددًا.
refused-cross-site = أُرسل هذا النموذج من موقع آخر، لذا لم يُنفَّذ أي شيء. إن كنت تقصد إرساله، فافتح الصفحة على هذا الموقع نفسه وأرسله من هناك.

## Editing your own comment
edit-title = تعديل تعليقك
edit-intro = تعليقك على «{ $title }». يُراجَع التعليق المعدَّل من جديد، كأي تعليق جديد.
edit-save = حفظ التغييرات
edit-delete = حذف تعليقي
edit-cancel = إلغاء
edit-not-this-browser = لا يمكن تعديل التعليق إلا من المتصفح الذي أرسله.
edit-disabled = لا يمكن تعديل التعليقات على هذا الموقع بعد إرسالها.
edit-window-passed = { $minutes ->
    [zero] يمكن تعديل التعليق خلال { $minutes } دقيقة من إرساله؛ وقد انقضت هذه المدة.
    [one] يمكن تعديل التعليق خلال دقيقة واحدة من إرساله؛ وقد انقضت هذه المدة.
    [two] يمكن تعديل التعليق خلال دقيقتين من إرساله؛ وقد انقضت هذه المدة.
    [few] يمكن تعديل التعليق خلال { $minutes } دقائق من إرساله؛ وقد انقضت هذه المدة.
    [many] يمكن تعديل التعليق خلال { $minutes } دقيقة من إرساله؛ وقد انقضت هذه المدة.
   *[other] يمكن تعديل التعليق خلال { $minutes } دقيقة من إرساله؛ وقد انقضت هذه المدة.
}
edit-has-reply = ردّ أحدهم على هذا التعليق، لذا لم يعد من الممكن تعديله.
edit-empty = يُرجى كتابة شيء ما، أو حذف التعليق بدلًا من ذلك.
edit-unsendable = لا يمكن إرسال هذا النص (فهو طويل جدًا، أو يحتوي على أحرف لا يقبلها التعليق).

## Search
search-title = بحث
# A page title: "Search: birds".
search-title-query = بحث: { $query }
search-the-site = ابحث في الموقع
search-button = بحث
search-none = لا توجد نتائج للبحث عن «{ $query }».
search-results = { $count ->
    [zero] لا توجد نتائج للبحث عن «{ $query }».
    [one] نتيجة واحدة للبحث عن «{ $query }».
    [two] نتيجتان للبحث عن «{ $query }».
    [few] { $count } نتائج للبحث عن «{ $query }».
    [many] { $count } نتيجة للبحث عن «{ $query }».
   *[other] { $count } نتيجة للبحث عن «{ $query }».
}
search-pages-label = صفحات النتائج
search-previous = → السابق
search-next = التالي ←
search-rate-limited = عمليات بحث كثيرة جدًا من عنوانك؛ يُرجى الانتظار دقيقة.

## Error pages
error-heading-not-found = الصفحة غير موجودة
error-heading-forbidden = غير مسموح
error-heading-rate-limited = تمهّل قليلًا
error-heading-failed = لم تنجح العملية
error-heading-server = حدث خطأ ما
error-back-home = العودة إلى الصفحة الرئيسية
error-not-found = لم نتمكن من العثور على هذه الصفحة. ربما نُقلت، أو لم تكن موجودة أصلًا.
error-forged-form = انتهت صلاحية هذا النموذج أو أنه لم يأتِ من هذا الموقع. أعد تحميل الصفحة وحاول مجددًا.
error-body-timeout = وصل ما أرسله متصفحك ببطء شديد. يُرجى التحقق من اتصالك ثم الإرسال مجددًا.
error-busy = الموقع مشغول حاليًا. يُرجى المحاولة مجددًا بعد قليل.
error-internal = حدث خطأ ما من جهتنا. لم يضع شيء مما أرسلته؛ يُرجى المحاولة مجددًا.
error-method = هذا العنوان لا يقبل هذا النوع من الطلبات.
error-too-large = هذا أكثر مما يمكننا قبوله دفعة واحدة.
error-server-default = حدث خطأ ما من جهتنا. يُرجى المحاولة مجددًا.

## Privacy page
privacy-title = الخصوصية
privacy-stored-heading = ما نخزّنه عندما تعلّق
privacy-stored-fields = اسمك، وعنوان بريدك الإلكتروني، وموقعك الإلكتروني (إن أدخلته)، وتعليقك.
privacy-stored-ip = عنوان IP الذي أُرسل منه تعليقك، وسلسلة وكيل المستخدم (user agent) الخاصة بمتصفحك، وذلك لمكافحة الرسائل المزعجة.
privacy-stored-no-ip = لا نخزّن أي عنوان IP. نحتفظ بسلسلة وكيل المستخدم (user agent) الخاصة بمتصفحك لمكافحة الرسائل المزعجة.
privacy-stored-mail = ما إذا كنت قد طلبت رسائل بريدية عن الردود، أو رسالة واحدة عند نشر تعليقك، والرسائل التي أرسلناها إليك.
privacy-who-heading = من يطّلع عليها
privacy-who-ip = يرى الجميع اسمك وموقعك الإلكتروني وتعليقك بعد الموافقة عليه. أما عنوان بريدك الإلكتروني وعنوان IP ووكيل المستخدم، فلا يطّلع عليها إلا مشرفو هذا الموقع؛ ولا تظهر أبدًا في أي صفحة عامة أو خلاصة أو رسالة بريدية إلى قارئ آخر.
privacy-who-no-ip = يرى الجميع اسمك وموقعك الإلكتروني وتعليقك بعد الموافقة عليه. أما عنوان بريدك الإلكتروني ووكيل المستخدم، فلا يطّلع عليهما إلا مشرفو هذا الموقع؛ ولا يظهران أبدًا في أي صفحة عامة أو خلاصة أو رسالة بريدية إلى قارئ آخر.
privacy-who-no-third-party = لا يُطلب أي شيء من أي طرف ثالث: تُرسم الصور الرمزية هنا من الأحرف الأولى لاسمك، ولا نستخدم Gravatar.
privacy-how-long-heading = مدة الاحتفاظ
privacy-ip-retention = { $days ->
    [zero] بعد { $days } يوم، يُختصر عنوان IP إلى عنوان شبكته (بحذف الجزء الأخير منه) ويُحذف وكيل المستخدم.
    [one] بعد يوم واحد، يُختصر عنوان IP إلى عنوان شبكته (بحذف الجزء الأخير منه) ويُحذف وكيل المستخدم.
    [two] بعد يومين، يُختصر عنوان IP إلى عنوان شبكته (بحذف الجزء الأخير منه) ويُحذف وكيل المستخدم.
    [few] بعد { $days } أيام، يُختصر عنوان IP إلى عنوان شبكته (بحذف الجزء الأخير منه) ويُحذف وكيل المستخدم.
    [many] بعد { $days } يومًا، يُختصر عنوان IP إلى عنوان شبكته (بحذف الجزء الأخير منه) ويُحذف وكيل المستخدم.
   *[other] بعد { $days } يوم، يُختصر عنوان IP إلى عنوان شبكته (بحذف الجزء الأخير منه) ويُحذف وكيل المستخدم.
}
privacy-purge = { $days ->
    [zero] تُحذف التعليقات المصنّفة رسائلَ مزعجة أو المنقولة إلى سلة المهملات نهائيًا بعد { $days } يوم.
    [one] تُحذف التعليقات المصنّفة رسائلَ مزعجة أو المنقولة إلى سلة المهملات نهائيًا بعد يوم واحد.
    [two] تُحذف التعليقات المصنّفة رسائلَ مزعجة أو المنقولة إلى سلة المهملات نهائيًا بعد يومين.
    [few] تُحذف التعليقات المصنّفة رسائلَ مزعجة أو المنقولة إلى سلة المهملات نهائيًا بعد { $days } أيام.
    [many] تُحذف التعليقات المصنّفة رسائلَ مزعجة أو المنقولة إلى سلة المهملات نهائيًا بعد { $days } يومًا.
   *[other] تُحذف التعليقات المصنّفة رسائلَ مزعجة أو المنقولة إلى سلة المهملات نهائيًا بعد { $days } يوم.
}
privacy-approved-stay = تبقى التعليقات الموافق عليها إلى أن تحذفها أنت أو أحد المشرفين.
privacy-remember-cookie = { $days ->
    [zero] إذا حدّدت خيار «احفظ اسمي وبريدي الإلكتروني وموقعي الإلكتروني في هذا المتصفح»، فإنها تُحفظ في ملف تعريف ارتباط (cookie) في متصفحك فقط، لمدة تصل إلى { $days } يوم؛ وإلغاء تحديد الخيار يحذف ملف تعريف الارتباط.
    [one] إذا حدّدت خيار «احفظ اسمي وبريدي الإلكتروني وموقعي الإلكتروني في هذا المتصفح»، فإنها تُحفظ في ملف تعريف ارتباط (cookie) في متصفحك فقط، لمدة تصل إلى يوم واحد؛ وإلغاء تحديد الخيار يحذف ملف تعريف الارتباط.
    [two] إذا حدّدت خيار «احفظ اسمي وبريدي الإلكتروني وموقعي الإلكتروني في هذا المتصفح»، فإنها تُحفظ في ملف تعريف ارتباط (cookie) في متصفحك فقط، لمدة تصل إلى يومين؛ وإلغاء تحديد الخيار يحذف ملف تعريف الارتباط.
    [few] إذا حدّدت خيار «احفظ اسمي وبريدي الإلكتروني وموقعي الإلكتروني في هذا المتصفح»، فإنها تُحفظ في ملف تعريف ارتباط (cookie) في متصفحك فقط، لمدة تصل إلى { $days } أيام؛ وإلغاء تحديد الخيار يحذف ملف تعريف الارتباط.
    [many] إذا حدّدت خيار «احفظ اسمي وبريدي الإلكتروني وموقعي الإلكتروني في هذا المتصفح»، فإنها تُحفظ في ملف تعريف ارتباط (cookie) في متصفحك فقط، لمدة تصل إلى { $days } يومًا؛ وإلغاء تحديد الخيار يحذف ملف تعريف الارتباط.
   *[other] إذا حدّدت خيار «احفظ اسمي وبريدي الإلكتروني وموقعي الإلكتروني في هذا المتصفح»، فإنها تُحفظ في ملف تعريف ارتباط (cookie) في متصفحك فقط، لمدة تصل إلى { $days } يوم؛ وإلغاء تحديد الخيار يحذف ملف تعريف الارتباط.
}
privacy-request-log = يسجّل سجلُّ طلبات الخادم الوقتَ والصفحة والاستجابة، ولا يسجّل أبدًا عنوان IP الخاص بك أو بريدك الإلكتروني.
privacy-choice-heading = بياناتك، والقرار لك
privacy-choice = من صفحة «إدارة تعليقاتي» يمكنك أن تطلب إرسال رابط إلى بريدك الإلكتروني يعرض كل ما هو مخزّن عن عنوانك، ويتيح لك تنزيله، وحذف تعليق واحد أو جميع تعليقاتك (إن كانت عليها ردود، تبقى الردود ويظهر التعليق المحذوف باسم «مجهول»)، وإيقاف جميع الرسائل البريدية. ويمكن لمديري الموقع القيام بذلك نيابةً عنك عند الطلب.
privacy-manage-link = إدارة تعليقاتي

## Managing your comments
manage-title = إدارة تعليقاتي
manage-sent = إن كانت للعنوان { $email } تعليقات هنا، فقد أرسلنا إليه رابطًا. يعمل الرابط مرة واحدة فقط ولمدة يوم واحد.
manage-intro = أدخل عنوان البريد الإلكتروني الذي علّقت به. إن كانت له تعليقات هنا، فسنرسل إليه رابطًا لعرضها أو تنزيلها أو حذفها، أو لإيقاف جميع الرسائل البريدية.
manage-email = البريد الإلكتروني
manage-send = أرسل لي رابطًا
manage-what-we-store = ما نخزّنه ولماذا
manage-invalid-email = يُرجى إدخال عنوان بريد إلكتروني صالح، مثل name@example.org.
manage-rate-limited = طلبات كثيرة جدًا. يُرجى المحاولة مجددًا بعد ساعة.
manage-link-invalid = هذا الرابط غير صالح. ربما اقتُطع جزء منه أو جرى تغييره.
manage-link-expired = انتهت صلاحية هذا الرابط. تبقى الروابط صالحة لمدة يوم واحد.
manage-link-used = سبق استخدام هذا الرابط. كل رابط يعمل مرة واحدة فقط.
manage-ask-again = يمكنك طلب رابط جديد أدناه.
manage-open-heading = تعليقاتك
manage-open-button = افتح تعليقاتي
manage-open-intro = { $minutes ->
    [zero] يفتح هذا الزر صفحةً تبقى متاحة لمدة { $minutes } دقيقة، يمكنك فيها عرض التعليقات المكتوبة بعنوانك أو تنزيلها أو حذفها، وإيقاف جميع الرسائل البريدية إليه.
    [one] يفتح هذا الزر صفحةً تبقى متاحة لمدة دقيقة واحدة، يمكنك فيها عرض التعليقات المكتوبة بعنوانك أو تنزيلها أو حذفها، وإيقاف جميع الرسائل البريدية إليه.
    [two] يفتح هذا الزر صفحةً تبقى متاحة لمدة دقيقتين، يمكنك فيها عرض التعليقات المكتوبة بعنوانك أو تنزيلها أو حذفها، وإيقاف جميع الرسائل البريدية إليه.
    [few] يفتح هذا الزر صفحةً تبقى متاحة لمدة { $minutes } دقائق، يمكنك فيها عرض التعليقات المكتوبة بعنوانك أو تنزيلها أو حذفها، وإيقاف جميع الرسائل البريدية إليه.
    [many] يفتح هذا الزر صفحةً تبقى متاحة لمدة { $minutes } دقيقة، يمكنك فيها عرض التعليقات المكتوبة بعنوانك أو تنزيلها أو حذفها، وإيقاف جميع الرسائل البريدية إليه.
   *[other] يفتح هذا الزر صفحةً تبقى متاحة لمدة { $minutes } دقيقة، يمكنك فيها عرض التعليقات المكتوبة بعنوانك أو تنزيلها أو حذفها، وإيقاف جميع الرسائل البريدية إليه.
}
manage-needs-fresh-link = تحتاج هذه الصفحة إلى رابط جديد: اطلبه من /privacy/manage.
own-title = تعليقاتك
own-stored = كل ما هو مخزّن عن { $email }: { $comments ->
    [zero] لا تعليقات
    [one] تعليق واحد
    [two] تعليقان
    [few] { $comments } تعليقات
    [many] { $comments } تعليقًا
   *[other] { $comments } تعليق
}، و{ $subscriptions ->
    [zero] لا اشتراكات بريدية
    [one] اشتراك بريدي واحد
    [two] اشتراكان بريديان
    [few] { $subscriptions } اشتراكات بريدية
    [many] { $subscriptions } اشتراكًا بريديًا
   *[other] { $subscriptions } اشتراك بريدي
}، و{ $mails ->
    [zero] لا رسائل مُرسلة أو قيد الانتظار
    [one] رسالة واحدة مُرسلة أو قيد الانتظار
    [two] رسالتان مُرسلتان أو قيد الانتظار
    [few] { $mails } رسائل مُرسلة أو قيد الانتظار
    [many] { $mails } رسالة مُرسلة أو قيد الانتظار
   *[other] { $mails } رسالة مُرسلة أو قيد الانتظار
}.
own-download = تنزيل كل شيء (JSON)
own-stop-mail = إيقاف جميع الرسائل البريدية
own-delete-all = حذف جميع تعليقاتي
own-delete-one = حذف هذا التعليق
own-browser = المتصفح: { $browser }
own-deleted = تم الحذف.
own-stopped = لن تُرسل أي رسائل أخرى إلى هذا العنوان.
comment-status-approved = منشور
comment-status-pending = في انتظار المراجعة
comment-status-spam = مصنّف رسالةً مزعجة
comment-status-trash = في سلة المهملات

## Mails to commenters
mail-published-subject = [{ $site }] نُشر تعليقك على «{ $title }»
mail-published-intro = تمت الموافقة على تعليقك في «{ $title }» وأصبح منشورًا للجميع الآن:
mail-published-intro-html = تمت الموافقة على تعليقك في { $title } وأصبح منشورًا للجميع الآن.
mail-you-wrote = تعليقك:
mail-published-only-once = لقد طلبت هذه الرسالة وحدها؛ فلن تصلك رسائل أخرى عن هذا التعليق ما لم تكن قد طلبت إعلامك بالردود.
mail-published-only-once-html = لقد طلبت هذه الرسالة وحدها.
mail-stop-this-comment = إيقاف جميع الرسائل المتعلقة بهذا التعليق
mail-manage-all = إدارة جميع تعليقاتك
mail-reply-subject = [{ $site }] ردّ { $author } على تعليقك في «{ $title }»
mail-reply-intro = ردّ { $author } على تعليقك في «{ $title }»:
mail-reply-read = اقرأ الرد وأجب عليه
mail-reply-why = تصلك هذه الرسالة لأنك طلبت إعلامك بالردود.
mail-reply-stop = إيقاف الرسائل المتعلقة بهذا التعليق
mail-manage-subject = [{ $site }] إدارة تعليقاتك
mail-manage-intro = طلب أحدهم (ونأمل أن تكون أنت) إدارة التعليقات المكتوبة بهذا العنوان في موقع { $site }.
mail-manage-open = افتح هذا الرابط لعرضها أو تنزيلها أو حذفها، أو لإيقاف جميع الرسائل البريدية:
mail-manage-open-html = اعرض تعليقاتك أو نزّلها أو احذفها، أو أوقف جميع الرسائل البريدية
mail-manage-expiry = { $hours ->
    [zero] يعمل الرابط مرة واحدة فقط ولمدة { $hours } ساعة. إن لم تطلب ذلك، فتجاهل هذه الرسالة؛ لن يتغير شيء.
    [one] يعمل الرابط مرة واحدة فقط ولمدة ساعة واحدة. إن لم تطلب ذلك، فتجاهل هذه الرسالة؛ لن يتغير شيء.
    [two] يعمل الرابط مرة واحدة فقط ولمدة ساعتين. إن لم تطلب ذلك، فتجاهل هذه الرسالة؛ لن يتغير شيء.
    [few] يعمل الرابط مرة واحدة فقط ولمدة { $hours } ساعات. إن لم تطلب ذلك، فتجاهل هذه الرسالة؛ لن يتغير شيء.
    [many] يعمل الرابط مرة واحدة فقط ولمدة { $hours } ساعة. إن لم تطلب ذلك، فتجاهل هذه الرسالة؛ لن يتغير شيء.
   *[other] يعمل الرابط مرة واحدة فقط ولمدة { $hours } ساعة. إن لم تطلب ذلك، فتجاهل هذه الرسالة؛ لن يتغير شيء.
}

## Stopping mail from a mailed link
unsubscribe-invalid-heading = هذا الرابط غير صالح
unsubscribe-invalid = ربما اقتُطع جزء منه أو عُدّل.
unsubscribe-ask-heading = هل تريد إيقاف هذه الرسائل؟
unsubscribe-what = لن تصلك أي رسائل أخرى بخصوص هذا التعليق.
unsubscribe-button = إلغاء الاشتراك
unsubscribe-done-heading = تم إلغاء الاشتراك

## Erased comments, mentions, browsers, more errors
comment-anonymous = مجهول
comment-removed = [حُذف بناءً على طلب كاتبه]
mention-kind-pingback = تنبيه
mention-kind-trackback = تعقيب
browser-on = { $browser } على { $system }
browser-unknown = متصفح غير معروف
error-bad-query = في هذا العنوان جزء لا تفهمه هذه الصفحة.
error-unreadable-form = تعذّرت قراءة ما أرسله متصفحك. يُرجى الرجوع والمحاولة مرة أخرى.
error-not-understood = تعذّر فهم الطلب.
