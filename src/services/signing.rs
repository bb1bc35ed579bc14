//! HMAC-SHA256 signed tokens: `payload.signature`, each tied to a purpose so a token made for
//! one use (a form) is worthless for another (a cookie, a link).

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use hmac::{Hmac, Mac};
use sha2::Sha256;

use crate::config::Secret;

type HmacSha256 = Hmac<Sha256>;

#[derive(Clone)]
pub struct Signer {
    key: Secret,
}

impl Signer {
    pub fn new(key: Secret) -> Signer {
        Signer { key }
    }

    fn mac(&self, purpose: &str, payload: &str) -> HmacSha256 {
        // HMAC takes keys of any length; new_from_slice cannot fail for it.
        let mut mac = match HmacSha256::new_from_slice(self.key.expose().as_bytes()) {
            Ok(mac) => mac,
            Err(_) => unreachable!("HMAC accepts any key length"),
        };
        mac.update(purpose.as_bytes());
        mac.update(b"\0");
        mac.update(payload.as_bytes());
        mac
    }

    /// A keyed hash of `payload`: the same for the same input on every instance, and tells
    /// nothing of it (rate-limit keys stored instead of addresses).
    pub fn digest(&self, purpose: &str, payload: &str) -> String {
        URL_SAFE_NO_PAD.encode(self.mac(purpose, payload).finalize().into_bytes())
    }

    /// `payload` must not contain '~' (the separator).
    pub fn sign(&self, purpose: &str, payload: &str) -> String {
        let signature = URL_SAFE_NO_PAD.encode(self.mac(purpose, payload).finalize().into_bytes());
        format!("{payload}~{signature}")
    }

    /// The payload when the token was signed by us for `purpose`; constant-time check.
    pub fn verify<'a>(&self, purpose: &str, token: &'a str) -> Option<&'a str> {
        let (payload, signature) = token.rsplit_once('~')?;
        let signature = URL_SAFE_NO_PAD.decode(signature).ok()?;
        self.mac(purpose, payload).verify_slice(&signature).ok()?;
        Some(payload)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn signer(key: &str) -> Signer {
        Signer::new(Secret::new(key))
    }

    #[test]
    fn round_trip_and_tamper() {
        let s = signer("k1k1k1k1k1k1k1k1k1k1k1k1k1k1k1k1");
        let token = s.sign("form", "42.1000");
        assert_eq!(s.verify("form", &token), Some("42.1000"));
        assert_eq!(s.verify("cookie", &token), None, "purpose is bound");
        assert_eq!(s.verify("form", &token.replace("42", "43")), None);
        assert_eq!(signer("k2k2k2k2k2k2k2k2k2k2k2k2k2k2k2k2").verify("form", &token), None);
        assert_eq!(s.verify("form", "garbage"), None);
    }
}
