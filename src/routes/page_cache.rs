//! The rendered-page cache for anonymous readers: pages kept in memory (bounded, LRU) with
//! their gzip and brotli variants, answered with `ETag`/`Last-Modified` and 304s.
//!
//! Invalidation is exact and lock-cheap: every commit reports what it changed
//! (`db::Change`); the cache stamps each changed thing with a new epoch. A page remembers the
//! epoch at which its render began and what it shows; it is served only while none of that
//! changed since. A render racing a commit therefore keeps the old epoch and is never served.
//!
//! Only pages a handler marks with `cacheable` are kept, and only for requests that carry none
//! of a reader's own cookies (held comments, remembered name, sessions): the cache never holds
//! one reader's data.

use std::collections::HashMap;
use std::io::Write;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant, SystemTime};

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{Service, ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderMap, HeaderName, HeaderValue};
use actix_web::http::{Method, StatusCode};
use actix_web::web::Bytes;
use actix_web::{web, HttpResponse};
use futures_util::future::{ready, Either, LocalBoxFuture, Ready};
use lru::LruCache;

use crate::config::CacheConfig;
use crate::db::Change;
use crate::routes::visitor;
use crate::state::AppState;

/// Query parameters that change what a cached page shows; any other is ignored by the
/// handlers, so it is left out of the key (random `?x=` values cannot flood the cache).
const KEYED_PARAMS: [&str; 5] = ["page", "cpage", "mentions", "p", "page_id"];

/// A page larger than this share of the cache is not kept.
const MAX_SHARE: usize = 8;

/// What a handler's page shows, attached to its response: the cache keeps it under these.
#[derive(Debug, Clone)]
pub struct CacheDeps {
    pub shows: Vec<Change>,
    /// An article's form: (post id, slug) for the view-time cookie sent with every copy.
    pub form: Option<(i32, String)>,
}

/// Marks `response` as the same for every anonymous reader, showing `deps`.
pub fn cacheable(mut response: HttpResponse, deps: CacheDeps) -> HttpResponse {
    response.extensions_mut().insert(deps);
    response
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Encoding {
    Identity,
    Gzip,
    Brotli,
}

impl Encoding {
    /// The best the client accepts (brotli, then gzip); `q=0` refuses.
    fn negotiate(headers: &HeaderMap) -> Encoding {
        let Some(accept) = headers.get(header::ACCEPT_ENCODING).and_then(|v| v.to_str().ok()) else {
            return Encoding::Identity;
        };
        let (mut br, mut gzip) = (false, false);
        for part in accept.split(',') {
            let mut pieces = part.split(';');
            let name = pieces.next().unwrap_or("").trim();
            let refused = pieces.any(|p| {
                let p = p.trim();
                p.strip_prefix("q=").is_some_and(|q| q.trim().parse::<f32>().map_or(true, |q| q <= 0.0))
            });
            if refused {
                continue;
            }
            match name {
                "br" => br = true,
                "gzip" | "x-gzip" => gzip = true,
                _ => {}
            }
        }
        if br {
            Encoding::Brotli
        } else if gzip {
            Encoding::Gzip
        } else {
            Encoding::Identity
        }
    }
}

/// One kept page.
struct Page {
    body: Bytes,
    gzip: OnceLock<Bytes>,
    brotli: OnceLock<Bytes>,
    /// Response headers as rendered (content type, security headers), cookies removed.
    headers: Vec<(HeaderName, HeaderValue)>,
    etag: String,
    last_modified: SystemTime,
    last_modified_header: HeaderValue,
    shows: Vec<Change>,
    form: Option<(i32, String)>,
    /// Text worth compressing (images are compressed already).
    compressible: bool,
    /// The last view-time cookie sent with it: signing one per hit would cost more than the
    /// rest of the hit, and a quarter of a second changes nothing for the timing check.
    seen: Mutex<Option<(Instant, HeaderValue)>>,
    /// The cache epoch and the navigation's version when its render began.
    epoch: u64,
    navigation: u64,
    stored_at: Instant,
}

/// The header an embedded thread's view time travels in (`embed.js` sends it back).
pub const EMBED_SEEN: &str = "x-marginalia-seen";

/// A signed "shown now" for `post`.
pub fn embed_seen(state: &AppState, post: i32) -> Option<HeaderValue> {
    HeaderValue::from_str(&crate::services::spam::view_stamp(&state.signer, post)).ok()
}

/// How long one signed view-time cookie is reused.
const SEEN_REUSE: Duration = Duration::from_millis(250);

impl Page {
    /// `ETag` (of the variant sent), `Last-Modified` and `Vary`, on a fresh render and a hit.
    fn insert_validators(&self, headers: &mut HeaderMap, etag: &str) {
        if let Ok(value) = HeaderValue::from_str(etag) {
            headers.insert(header::ETAG, value);
        }
        headers.insert(header::LAST_MODIFIED, self.last_modified_header.clone());
        headers.insert(header::VARY, HeaderValue::from_static("Accept-Encoding"));
    }

    fn seen_cookie(&self, state: &AppState) -> Option<HeaderValue> {
        let (post, slug) = self.form.as_ref()?;
        let mut memo = self.seen.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some((_, value)) = memo.as_ref().filter(|(made, _)| made.elapsed() < SEEN_REUSE) {
            return Some(value.clone());
        }
        let cookie = visitor::seen_cookie(&state.signer, *post, slug, state.config.is_https());
        let value = HeaderValue::from_str(&cookie.to_string()).ok()?;
        *memo = Some((Instant::now(), value.clone()));
        Some(value)
    }

    fn variant(&self, encoding: Encoding) -> Option<&Bytes> {
        match encoding {
            Encoding::Identity => Some(&self.body),
            Encoding::Gzip => self.gzip.get(),
            Encoding::Brotli => self.brotli.get(),
        }
    }

    fn size(&self) -> usize {
        let extra: usize = self.headers.iter().map(|(n, v)| n.as_str().len() + v.len()).sum();
        self.body.len()
            + self.gzip.get().map_or(0, Bytes::len)
            + self.brotli.get().map_or(0, Bytes::len)
            + extra
            + 256
    }
}

struct Inner {
    pages: LruCache<String, Arc<Page>>,
    bytes: usize,
    epoch: u64,
    /// The epoch at which each thing last changed.
    changed: HashMap<Change, u64>,
    everything_changed: u64,
}

impl Inner {
    fn fresh(&self, page: &Page, max_age: Duration, navigation: u64) -> bool {
        page.epoch >= self.everything_changed
            && page.navigation == navigation
            && page.stored_at.elapsed() < max_age
            && page.shows.iter().all(|c| self.changed.get(c).is_none_or(|&at| at <= page.epoch))
    }

    fn remove(&mut self, key: &str) {
        if let Some(page) = self.pages.pop(key) {
            self.bytes = self.bytes.saturating_sub(page.size());
        }
    }

    fn evict_to(&mut self, max_bytes: usize) {
        while self.bytes > max_bytes {
            match self.pages.pop_lru() {
                Some((_, page)) => self.bytes = self.bytes.saturating_sub(page.size()),
                None => {
                    self.bytes = 0;
                    break;
                }
            }
        }
    }
}

/// Hit and miss counts for the admin dashboard.
#[derive(Debug, Clone, serde::Serialize)]
pub struct CacheStats {
    pub enabled: bool,
    pub hits: u64,
    pub misses: u64,
    pub pages: usize,
    pub bytes: usize,
    pub max_bytes: usize,
}

pub struct PageCache {
    pub enabled: bool,
    max_bytes: usize,
    max_age: Duration,
    inner: Mutex<Inner>,
    hits: AtomicU64,
    misses: AtomicU64,
}

impl PageCache {
    pub fn new(config: &CacheConfig) -> PageCache {
        PageCache {
            enabled: config.enabled && config.max_mb > 0,
            max_bytes: config.max_mb as usize * 1024 * 1024,
            max_age: Duration::from_secs(u64::from(config.max_age_seconds.max(1))),
            inner: Mutex::new(Inner {
                pages: LruCache::unbounded(),
                bytes: 0,
                epoch: 0,
                changed: HashMap::new(),
                everything_changed: 0,
            }),
            hits: AtomicU64::new(0),
            misses: AtomicU64::new(0),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// After a commit: what it changed is stale from now on.
    pub fn changed(&self, changes: &[Change]) {
        let mut inner = self.lock();
        inner.epoch += 1;
        let epoch = inner.epoch;
        for change in changes {
            match change {
                Change::Everything => inner.everything_changed = epoch,
                other => {
                    inner.changed.insert(*other, epoch);
                }
            }
        }
    }

    pub fn stats(&self) -> CacheStats {
        let inner = self.lock();
        CacheStats {
            enabled: self.enabled,
            hits: self.hits.load(Ordering::Relaxed),
            misses: self.misses.load(Ordering::Relaxed),
            pages: inner.pages.len(),
            bytes: inner.bytes,
            max_bytes: self.max_bytes,
        }
    }

    fn epoch(&self) -> u64 {
        self.lock().epoch
    }

    fn lookup(&self, key: &str, navigation: u64) -> Option<Arc<Page>> {
        let mut inner = self.lock();
        let page = inner.pages.get(key)?.clone();
        if inner.fresh(&page, self.max_age, navigation) {
            return Some(page);
        }
        inner.remove(key);
        None
    }

    fn store(&self, key: String, page: Page, navigation: u64) -> Arc<Page> {
        let page = Arc::new(page);
        if page.size() > self.max_bytes / MAX_SHARE {
            return page;
        }
        let mut inner = self.lock();
        if !inner.fresh(&page, self.max_age, navigation) {
            return page; // changed while it rendered: served this once, never kept
        }
        inner.remove(&key);
        inner.bytes += page.size();
        inner.pages.put(key, page.clone());
        inner.evict_to(self.max_bytes);
        page
    }

    /// A compressed variant, made once (outside the lock) and then kept with the page.
    fn compressed(&self, key: &str, page: &Page, encoding: Encoding) -> Option<Bytes> {
        if let Some(bytes) = page.variant(encoding) {
            return Some(bytes.clone());
        }
        let made = compress(&page.body, encoding)?;
        let slot = match encoding {
            Encoding::Gzip => &page.gzip,
            Encoding::Brotli => &page.brotli,
            Encoding::Identity => return None,
        };
        if slot.set(made.clone()).is_ok() {
            let mut inner = self.lock();
            if inner.pages.peek(key).is_some_and(|kept| std::ptr::eq(&**kept, page)) {
                inner.bytes += made.len();
                inner.evict_to(self.max_bytes);
            }
        }
        Some(made)
    }
}

fn compress(body: &[u8], encoding: Encoding) -> Option<Bytes> {
    match encoding {
        Encoding::Identity => None,
        Encoding::Gzip => {
            let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::new(6));
            encoder.write_all(body).ok()?;
            encoder.finish().ok().map(Bytes::from)
        }
        Encoding::Brotli => {
            let mut out = Vec::new();
            let params = brotli::enc::BrotliEncoderParams { quality: 6, lgwin: 20, ..Default::default() };
            brotli::BrotliCompress(&mut &body[..], &mut out, &params).ok()?;
            Some(Bytes::from(out))
        }
    }
}

/// The cache key of a request the cache may answer, or None (personal, not GET...).
fn key_of(req: &ServiceRequest) -> Option<String> {
    if req.method() != Method::GET && req.method() != Method::HEAD {
        return None;
    }
    for value in req.headers().get_all(header::COOKIE) {
        let cookies = value.to_str().ok()?;
        // Any of our cookies but the view-time one means a reader's own page.
        let personal = cookies.split(';').any(|c| {
            let name = c.split('=').next().unwrap_or("").trim();
            name.starts_with("marginalia") && name != visitor::SEEN_COOKIE
        });
        if personal {
            return None;
        }
    }
    let query = req.query_string();
    if req.path() == "/embed/thread" {
        // Per asking origin too: a kept copy is only for an origin the handler let through.
        let origin = req.headers().get(header::ORIGIN).and_then(|v| v.to_str().ok()).unwrap_or("");
        return embed_key(query).map(|key| format!("{key}&origin={}", origin.to_ascii_lowercase()));
    }
    if query.is_empty() {
        return Some(req.path().to_string());
    }
    let mut key = String::with_capacity(req.path().len() + query.len() + 1);
    key.push_str(req.path());
    let mut first = true;
    for pair in query.split('&') {
        let name = pair.split('=').next().unwrap_or("");
        if name == "replytocom" {
            return None; // the form names the comment replied to
        }
        if !KEYED_PARAMS.contains(&name) {
            continue;
        }
        // Written back in one form, so `cpage=0001` or `mentions=x` cannot make a new entry
        // (and a fresh render) per spelling: numbers as numbers, `mentions` only as `all`.
        let value = pair.split_once('=').map(|(_, v)| v).unwrap_or("");
        let value = if name == "mentions" {
            (value == "all").then(|| "all".to_string())
        } else {
            // Not a number: the handler refuses it (400), never from the cache.
            Some(value.parse::<u32>().ok()?.to_string())
        };
        if let Some(value) = value {
            key.push(if first { '?' } else { '&' });
            key.push_str(name);
            key.push('=');
            key.push_str(&value);
            first = false;
        }
    }
    Some(key)
}

/// An embedded thread is one page per `url` (and comment page); a reader's own tokens make it
/// theirs. The title is read only when the thread starts.
fn embed_key(query: &str) -> Option<String> {
    let (mut url, mut cpage) = (None, None);
    for (name, value) in form_urlencoded::parse(query.as_bytes()) {
        match &*name {
            "own" | "edit" if !value.is_empty() => return None,
            "url" => url = Some(value.into_owned()),
            "cpage" => cpage = Some(value.parse::<u32>().ok()?),
            _ => {}
        }
    }
    let url: String = form_urlencoded::byte_serialize(url?.as_bytes()).collect();
    Some(match cpage {
        Some(n) => format!("/embed/thread?url={url}&cpage={n}"),
        None => format!("/embed/thread?url={url}"),
    })
}

/// Whether the client's copy (If-None-Match / If-Modified-Since) is still this page.
fn not_modified(req: &ServiceRequest, etag: &str, last_modified: SystemTime) -> bool {
    if let Some(tags) = req.headers().get(header::IF_NONE_MATCH).and_then(|v| v.to_str().ok()) {
        return tags.split(',').any(|t| {
            let t = t.trim();
            t == "*" || t.trim_start_matches("W/") == etag
        });
    }
    req.headers()
        .get(header::IF_MODIFIED_SINCE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<header::HttpDate>().ok())
        .is_some_and(|since| {
            let since: SystemTime = since.into();
            // HTTP dates have whole seconds.
            last_modified.duration_since(since).map_or(true, |d| d < Duration::from_secs(1))
        })
}

fn etag_for(etag: &str, encoding: Encoding) -> String {
    match encoding {
        Encoding::Identity => etag.to_string(),
        Encoding::Gzip => format!("{}-gz\"", etag.trim_end_matches('"')),
        Encoding::Brotli => format!("{}-br\"", etag.trim_end_matches('"')),
    }
}

/// The answer from a kept page.
fn answer(state: &AppState, req: &ServiceRequest, key: &str, page: &Page, cache: &PageCache) -> HttpResponse {
    let mut encoding =
        if page.compressible { Encoding::negotiate(req.headers()) } else { Encoding::Identity };
    let body = match encoding {
        Encoding::Identity => page.body.clone(),
        other => match cache.compressed(key, page, other) {
            Some(bytes) => bytes,
            None => {
                encoding = Encoding::Identity;
                page.body.clone()
            }
        },
    };
    let etag = etag_for(&page.etag, encoding);
    let status =
        if not_modified(req, &etag, page.last_modified) { StatusCode::NOT_MODIFIED } else { StatusCode::OK };
    let mut response = HttpResponse::with_body(status, ());
    let headers = response.headers_mut();
    for (name, value) in &page.headers {
        headers.insert(name.clone(), value.clone());
    }
    page.insert_validators(headers, &etag);
    if encoding != Encoding::Identity {
        let name = if encoding == Encoding::Gzip { "gzip" } else { "br" };
        headers.insert(header::CONTENT_ENCODING, HeaderValue::from_static(name));
    }
    if key.starts_with("/embed/thread") {
        // The embed carries no cookies: its view time comes in a header, fresh per copy.
        if let Some(value) = page.form.as_ref().and_then(|(post, _)| embed_seen(state, *post)) {
            headers.insert(HeaderName::from_static(EMBED_SEEN), value);
        }
    } else if let Some(value) = page.seen_cookie(state) {
        headers.append(header::SET_COOKIE, value);
    }
    if status == StatusCode::NOT_MODIFIED {
        return response.set_body(BoxBody::new(()));
    }
    response.set_body(BoxBody::new(body))
}

type Answer = Result<ServiceResponse<BoxBody>, actix_web::Error>;

/// The middleware: answers from the cache, or renders and keeps what may be kept.
pub fn serve<S, B>(req: ServiceRequest, srv: &S) -> Either<Ready<Answer>, LocalBoxFuture<'static, Answer>>
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = actix_web::Error>,
    S::Future: 'static,
    B: MessageBody + 'static,
{
    let state = req.app_data::<web::Data<AppState>>().cloned();
    let key = state.as_ref().filter(|s| s.page_cache.enabled).and_then(|_| key_of(&req));
    let (Some(state), Some(key)) = (state, key) else {
        let response = srv.call(req);
        return Either::Right(Box::pin(
            async move { response.await.map(ServiceResponse::map_into_boxed_body) },
        ));
    };
    let cache = &state.page_cache;
    let navigation = state.navigation.version();
    if let Some(page) = cache.lookup(&key, navigation) {
        cache.hits.fetch_add(1, Ordering::Relaxed);
        let response = answer(&state, &req, &key, &page, cache);
        if tracing::enabled!(tracing::Level::INFO) {
            tracing::info!(path = %req.path(), status = response.status().as_u16(), "request (cached)");
        }
        return Either::Left(ready(Ok(req.into_response(response))));
    }
    let began = (cache.epoch(), navigation);
    let response = srv.call(req);
    Either::Right(Box::pin(async move { keep(&state, key, began, response.await?).await }))
}

/// Keeps a freshly rendered page when its handler marked it `cacheable`.
async fn keep<B: MessageBody + 'static>(
    state: &AppState,
    key: String,
    (epoch, navigation): (u64, u64),
    response: ServiceResponse<B>,
) -> Answer {
    let deps = response.response().extensions().get::<CacheDeps>().cloned();
    let keepable = response.status() == StatusCode::OK
        && !response
            .headers()
            .get(header::CACHE_CONTROL)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.contains("private") || v.contains("no-store"));
    let Some(deps) = deps.filter(|_| keepable) else {
        return Ok(response.map_into_boxed_body());
    };
    state.page_cache.misses.fetch_add(1, Ordering::Relaxed);
    let (http_req, res) = response.into_parts();
    let (mut head, body) = res.into_parts();
    let Ok(body) = actix_web::body::to_bytes(body).await else {
        return Err(actix_web::error::ErrorInternalServerError("page body unreadable"));
    };
    let now = SystemTime::now();
    if !head.headers().contains_key(header::CACHE_CONTROL) {
        // Browsers ask again each time, and get a 304 while nothing changed.
        head.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    }
    let headers: Vec<(HeaderName, HeaderValue)> = head
        .headers()
        .iter()
        .filter(|(name, _)| {
            **name != header::SET_COOKIE && **name != header::CONTENT_LENGTH && **name != header::DATE
        })
        .map(|(name, value)| (name.clone(), value.clone()))
        .collect();
    let compressible = !head
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|t| t.starts_with("image/"));
    let page = Page {
        compressible,
        etag: format!("\"{:016x}\"", fingerprint(&body)),
        body,
        gzip: OnceLock::new(),
        brotli: OnceLock::new(),
        headers,
        last_modified: now,
        last_modified_header: HeaderValue::from_str(&header::HttpDate::from(now).to_string())
            .unwrap_or_else(|_| HeaderValue::from_static("")),
        shows: deps.shows,
        form: deps.form,
        seen: Mutex::new(None),
        epoch,
        navigation,
        stored_at: Instant::now(),
    };
    let page = state.page_cache.store(key, page, state.navigation.version());
    // This reader gets what the handler rendered (its cookies included), with validators.
    page.insert_validators(head.headers_mut(), &page.etag);
    let res = head.set_body(BoxBody::new(page.body.clone()));
    Ok(ServiceResponse::new(http_req, res))
}

/// FNV-1a: a cheap fingerprint of the body for the ETag (not a security boundary).
fn fingerprint(bytes: &[u8]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in bytes {
        hash ^= u64::from(*byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    hash
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::test::TestRequest;

    fn negotiate(value: &str) -> Encoding {
        let req = TestRequest::default().insert_header((header::ACCEPT_ENCODING, value)).to_srv_request();
        Encoding::negotiate(req.headers())
    }

    #[test]
    fn brotli_then_gzip_and_q_zero_refuses() {
        assert_eq!(negotiate("gzip, deflate, br"), Encoding::Brotli);
        assert_eq!(negotiate("gzip"), Encoding::Gzip);
        assert_eq!(negotiate("br;q=0, gzip;q=0.5"), Encoding::Gzip);
        assert_eq!(negotiate("identity"), Encoding::Identity);
        assert_eq!(negotiate("br;q=0, gzip;q=0"), Encoding::Identity);
    }

    #[test]
    fn keys_keep_only_what_changes_the_page() {
        let key = |uri: &str, cookie: Option<&str>| {
            let mut req = TestRequest::get().uri(uri);
            if let Some(c) = cookie {
                req = req.insert_header((header::COOKIE, c));
            }
            key_of(&req.to_srv_request())
        };
        assert_eq!(key("/tag/x?page=2&utm_source=y", None).as_deref(), Some("/tag/x?page=2"));
        assert_eq!(key("/posts/a?x=1", None).as_deref(), Some("/posts/a"));
        assert_eq!(key("/posts/a?replytocom=3", None), None);
        assert_eq!(key("/posts/a", Some("marginalia_own=abc")), None);
        assert_eq!(key("/posts/a", Some("theme=dark; marginalia_commenter=x")), None);
        assert_eq!(key("/posts/a", Some("marginalia_seen=1; other=2")).as_deref(), Some("/posts/a"));
    }

    fn page(shows: Vec<Change>, epoch: u64, size: usize) -> Page {
        Page {
            body: Bytes::from(vec![b'x'; size]),
            compressible: true,
            gzip: OnceLock::new(),
            brotli: OnceLock::new(),
            headers: Vec::new(),
            etag: "\"1\"".into(),
            last_modified: SystemTime::now(),
            last_modified_header: HeaderValue::from_static("x"),
            shows,
            form: None,
            seen: Mutex::new(None),
            epoch,
            navigation: 0,
            stored_at: Instant::now(),
        }
    }

    fn cache(max_mb: u32) -> PageCache {
        PageCache::new(&CacheConfig { enabled: true, max_mb, max_age_seconds: 600 })
    }

    #[test]
    fn a_change_drops_exactly_the_pages_that_show_it() {
        use crate::db::ids::PostId;
        let cache = cache(1);
        cache.store("/a".into(), page(vec![Change::Comments(PostId(1))], cache.epoch(), 10), 0);
        cache.store("/b".into(), page(vec![Change::Comments(PostId(2))], cache.epoch(), 10), 0);
        cache.changed(&[Change::Comments(PostId(1))]);
        assert!(cache.lookup("/a", 0).is_none());
        assert!(cache.lookup("/b", 0).is_some());
        cache.changed(&[Change::Everything]);
        assert!(cache.lookup("/b", 0).is_none());
    }

    #[test]
    fn a_render_that_raced_a_commit_is_not_kept() {
        use crate::db::ids::PostId;
        let cache = cache(1);
        let began = cache.epoch();
        cache.changed(&[Change::Post(PostId(1))]);
        cache.store("/a".into(), page(vec![Change::Post(PostId(1))], began, 10), 0);
        assert!(cache.lookup("/a", 0).is_none());
    }

    #[test]
    fn a_full_cache_evicts_the_least_recently_used() {
        let cache = cache(1);
        for i in 0..100 {
            cache.store(format!("/{i}"), page(Vec::new(), cache.epoch(), 100 * 1024), 0);
            assert!(cache.stats().bytes <= 1024 * 1024);
        }
        assert!(cache.lookup("/99", 0).is_some());
        assert!(cache.lookup("/0", 0).is_none());
        assert!(cache.stats().pages < 100);
    }
}
