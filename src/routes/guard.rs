//! Rules every request passes before its handler: HEAD answered as GET, a deadline on reading
//! any body, and no state-changing form posted from another site.

use std::cell::Cell;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll};
use std::time::Duration;

use actix_web::dev::{Payload, ServiceRequest};
use actix_web::error::PayloadError;
use actix_web::http::{header, Method};
use actix_web::web::Bytes;
use actix_web::HttpRequest;
use futures_util::Stream;

use crate::config::Config;

/// Routes are declared for GET only; a HEAD is routed as the GET it stands for. actix-web
/// decided at parse time that the answer to a HEAD carries no body, so only headers go out.
/// Not for single-use mailed links: a scanner's HEAD must not use one up.
pub fn head_as_get(req: &mut ServiceRequest) {
    let single_use = ["/privacy/manage/", "/m/", "/unsubscribe/"].iter().any(|p| req.path().starts_with(p));
    if req.method() == Method::HEAD && !single_use {
        req.head_mut().method = Method::GET;
    }
}

/// Set when a request's body did not arrive in time; the response then becomes a 408.
#[derive(Clone, Default)]
pub struct BodyDeadline(Rc<Cell<bool>>);

impl BodyDeadline {
    pub fn missed(&self) -> bool {
        self.0.get()
    }
}

/// Wraps the body of a request in a deadline: the whole body must arrive within the form
/// limit (or the upload limit on the Tools upload), however slowly a client trickles it.
pub fn body_deadline(req: &mut ServiceRequest, config: &Config) -> BodyDeadline {
    let flag = BodyDeadline::default();
    if matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
        return flag;
    }
    let seconds = if req.path() == "/admin/tools/import" {
        config.server.upload_timeout_seconds
    } else {
        config.server.body_timeout_seconds
    };
    let inner = req.parts_mut().1.take();
    let timed = TimedPayload {
        inner,
        sleep: Box::pin(tokio::time::sleep(Duration::from_secs(u64::from(seconds)))),
        missed: flag.clone(),
    };
    req.set_payload(Payload::Stream { payload: Box::pin(timed) });
    flag
}

struct TimedPayload {
    inner: Payload,
    sleep: Pin<Box<tokio::time::Sleep>>,
    missed: BodyDeadline,
}

impl Stream for TimedPayload {
    type Item = Result<Bytes, PayloadError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        if !self.missed.missed() {
            // What has arrived is taken first: a body that came in time is never refused
            // because the handler read it late.
            if let Poll::Ready(next) = Pin::new(&mut self.inner).poll_next(cx) {
                return Poll::Ready(next);
            }
            if self.sleep.as_mut().poll(cx).is_pending() {
                return Poll::Pending;
            }
            self.missed.0.set(true);
        }
        let late = std::io::Error::new(std::io::ErrorKind::TimedOut, "request body deadline passed");
        Poll::Ready(Some(Err(PayloadError::Io(late))))
    }
}

pub const CROSS_SITE_MESSAGE: &str =
    "This form was sent from another website, so nothing was done. If you meant to send it, \
     open this site's own page and send it from there.";

/// Whether a state-changing request came from another site. Browsers say so in
/// `Sec-Fetch-Site` (or, older ones, in `Origin`); clients that send neither (curl, mail
/// clients' RFC 8058 unsubscribe) are not browsers being driven by another page.
pub fn is_cross_site(req: &HttpRequest, config: &Config) -> bool {
    let header_value = |name: header::HeaderName| req.headers().get(name).and_then(|v| v.to_str().ok());
    if let Some(site) = header_value(header::HeaderName::from_static("sec-fetch-site")) {
        return site.eq_ignore_ascii_case("cross-site");
    }
    match header_value(header::ORIGIN) {
        None => false,
        Some(origin) => {
            let origin = origin.trim().to_ascii_lowercase();
            let ours = authority(&config.server.base_url.to_ascii_lowercase()).to_string();
            let host = req.connection_info().host().to_ascii_lowercase();
            let theirs = authority(&origin);
            origin == "null" || (theirs != ours && theirs != host)
        }
    }
}

/// Whether `origin` (an `Origin` header) is this site's own: the configured base URL or the
/// host the request came to.
pub fn is_own_origin(req: &HttpRequest, config: &Config, origin: &str) -> bool {
    let origin = origin.trim().to_ascii_lowercase();
    let theirs = authority(&origin);
    theirs == authority(&config.server.base_url.to_ascii_lowercase())
        || theirs == req.connection_info().host().to_ascii_lowercase()
}

/// `host[:port]` of a URL.
fn authority(url: &str) -> &str {
    let rest = url.split_once("://").map(|(_, r)| r).unwrap_or(url);
    rest.split(['/', '?', '#']).next().unwrap_or("")
}

/// Whether `req` is a form post the cross-site rule refuses here (every unsafe method but
/// the token-authenticated API, and the comment form, which refuses it itself so the
/// reader's text can be shown back).
pub fn refuses_cross_site(req: &ServiceRequest) -> bool {
    let unsafe_method = !matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    let path = req.path();
    let comment_form = path.starts_with("/posts/") && path.ends_with("/comments");
    unsafe_method && !path.starts_with("/api/") && !comment_form
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn authority_is_host_and_port() {
        assert_eq!(authority("https://blog.example:8443/path?q"), "blog.example:8443");
        assert_eq!(authority("http://blog.test"), "blog.test");
        assert_eq!(authority("null"), "null");
    }
}
