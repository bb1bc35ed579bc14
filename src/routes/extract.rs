//! Request extractors.

use std::future::{ready, Ready};
use std::net::IpAddr;

use actix_web::{dev::Payload, http::header, FromRequest, HttpRequest};

use crate::error::AppError;
use crate::services::comments::ClientInfo;

const USER_AGENT_MAX: usize = 512;

/// The client's address: the TCP peer, unless the peer is a trusted proxy, in which case the
/// right-most X-Forwarded-For entry that is not itself a trusted proxy (entries further left
/// are whatever the client claimed and are not believed).
pub fn client_ip(peer: IpAddr, forwarded: Option<&str>, trusted: &[IpAddr]) -> IpAddr {
    if !trusted.contains(&peer) {
        return peer;
    }
    let Some(forwarded) = forwarded else {
        return peer;
    };
    let mut chain: Vec<IpAddr> = Vec::new();
    for hop in forwarded.split(',').map(str::trim) {
        match hop.parse::<IpAddr>() {
            Ok(ip) => chain.push(ip),
            // A malformed hop: nothing left of it can be trusted either.
            Err(_) => chain.clear(),
        }
    }
    chain.into_iter().rev().find(|ip| !trusted.contains(ip)).unwrap_or(peer)
}

/// Behind a proxy that is not in `trusted_proxies`, every reader has the proxy's address, so
/// rate limits and login throttles would treat them all as one client. Said once, at the
/// first such request (no address in the line).
fn warn_untrusted_proxy_once() {
    static WARNED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);
    if !WARNED.swap(true, std::sync::atomic::Ordering::Relaxed) {
        tracing::warn!(
            "requests arrive with X-Forwarded-For from a peer not in server.trusted_proxies: \
             if this site is behind a reverse proxy, add the proxy's address there, or every \
             reader shares one address for rate limits and login throttling"
        );
    }
}

impl FromRequest for ClientInfo {
    type Error = AppError;
    type Future = Ready<Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let trusted = req
            .app_data::<actix_web::web::Data<crate::state::AppState>>()
            .map(|s| s.config.server.trusted_proxies.clone())
            .unwrap_or_default();
        let forwarded = req.headers().get("x-forwarded-for").and_then(|v| v.to_str().ok());
        if let (Some(_), Some(peer)) = (forwarded, req.peer_addr()) {
            if !trusted.contains(&peer.ip()) {
                warn_untrusted_proxy_once();
            }
        }
        let ip = req.peer_addr().map(|addr| client_ip(addr.ip(), forwarded, &trusted).to_string());
        let user_agent = req
            .headers()
            .get(header::USER_AGENT)
            .and_then(|v| v.to_str().ok())
            .map(|ua| ua.chars().take(USER_AGENT_MAX).collect::<String>());
        let form_viewed = req.cookie(crate::routes::visitor::SEEN_COOKIE).map(|c| c.value().to_string());
        ready(Ok(ClientInfo { ip, user_agent, form_viewed }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().expect("ip")
    }

    #[test]
    fn forwarded_for_is_believed_only_from_trusted_proxies() {
        let proxy = [ip("10.0.0.1")];
        assert_eq!(client_ip(ip("198.51.100.9"), Some("203.0.113.7"), &proxy), ip("198.51.100.9"));
        assert_eq!(client_ip(ip("10.0.0.1"), Some("203.0.113.7"), &proxy), ip("203.0.113.7"));
        assert_eq!(client_ip(ip("10.0.0.1"), Some("1.2.3.4, 203.0.113.7"), &proxy), ip("203.0.113.7"));
        assert_eq!(client_ip(ip("10.0.0.1"), Some("203.0.113.7, 10.0.0.1"), &proxy), ip("203.0.113.7"));
        assert_eq!(client_ip(ip("10.0.0.1"), None, &proxy), ip("10.0.0.1"));
        assert_eq!(client_ip(ip("10.0.0.1"), Some("garbage"), &proxy), ip("10.0.0.1"));
    }
}
