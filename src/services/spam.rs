//! Spam signals that need no third-party service: word lists, the honeypot, form timing.

use std::sync::OnceLock;

use chrono::Utc;

use crate::services::signing::Signer;

const BUILTIN_LIST: &str = include_str!("../../config/spam-words.txt");
const FORM_TOKEN_PURPOSE: &str = "comment-form";
/// A form older than this is stale: it gets a fresh token and the reader's text back.
pub const FORM_MAX_AGE_MS: i64 = 7 * 24 * 3600 * 1000;

/// The built-in starter list of disallowed terms.
pub fn builtin_disallowed() -> &'static [String] {
    static LIST: OnceLock<Vec<String>> = OnceLock::new();
    LIST.get_or_init(|| parse_word_list(BUILTIN_LIST))
}

/// One term per line; `#` starts a comment line; blank lines ignored; lowercased.
pub fn parse_word_list(text: &str) -> Vec<String> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(str::to_lowercase)
        .collect()
}

/// The first term of `terms` found in any of `fields`, case-insensitive, at the start of a word
/// (so `casino` catches `casinositeleri` but `sex` does not catch `Essex`). A term that is a
/// whole IP address matches that address only (`1.2.3.4` is not `1.2.3.45`); a partial one
/// (`1.2.3.`) still matches as a prefix, for blocking a range.
pub fn first_match<'t>(terms: &'t [String], fields: &[&str]) -> Option<&'t str> {
    // One lowercased haystack, fields separated by a newline (not a word character, and in no
    // term): one search per term instead of one per term and field.
    let mut haystack = String::with_capacity(fields.iter().map(|f| f.len() + 1).sum());
    for field in fields {
        haystack.push('\n');
        haystack.push_str(&field.to_lowercase());
    }
    let addresses: Vec<std::net::IpAddr> = fields.iter().filter_map(|f| f.trim().parse().ok()).collect();
    terms.iter().map(|t| t.trim()).filter(|t| !t.is_empty()).find(|term| {
        match term.parse::<std::net::IpAddr>() {
            Ok(address) => addresses.contains(&address),
            Err(_) => contains_at_word_start(&haystack, term),
        }
    })
}

fn contains_at_word_start(haystack: &str, needle: &str) -> bool {
    let needle: std::borrow::Cow<'_, str> =
        if needle.chars().any(char::is_uppercase) { needle.to_lowercase().into() } else { needle.into() };
    let starts_with_word_char = needle.chars().next().is_some_and(char::is_alphanumeric);
    haystack.match_indices(needle.as_ref()).any(|(at, _)| {
        !starts_with_word_char || haystack[..at].chars().next_back().is_none_or(|c| !c.is_alphanumeric())
    })
}

/// A signed token for the comment form of `post`, carrying when it was rendered.
pub fn form_token(signer: &Signer, post: i32) -> String {
    signer.sign(FORM_TOKEN_PURPOSE, &format!("{post}.{}", Utc::now().timestamp_millis()))
}

const VIEW_PURPOSE: &str = "form-view";

/// A signed "the form of `post` was shown now" (the view-time cookie of cached pages).
pub fn view_stamp(signer: &Signer, post: i32) -> String {
    signer.sign(VIEW_PURPOSE, &format!("{post}.{}", Utc::now().timestamp_millis()))
}

/// Milliseconds since `stamp` showed the form of `post`; None when absent, forged, for another
/// post or older than a form token may be.
pub fn view_elapsed(signer: &Signer, stamp: &str, post: i32) -> Option<i64> {
    let (stamp_post, shown) = signer.verify(VIEW_PURPOSE, stamp)?.split_once('.')?;
    if stamp_post.parse::<i32>().ok()? != post {
        return None;
    }
    let elapsed = Utc::now().timestamp_millis() - shown.parse::<i64>().ok()?;
    (elapsed <= FORM_MAX_AGE_MS).then_some(elapsed.max(0))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormTokenCheck {
    /// Milliseconds between rendering the form and receiving it.
    Valid {
        elapsed_ms: i64,
    },
    Forged,
    Expired,
}

/// Checks the token was made by us for this post and is not too old.
pub fn check_form_token(signer: &Signer, token: &str, post: i32) -> FormTokenCheck {
    let Some(payload) = signer.verify(FORM_TOKEN_PURPOSE, token) else {
        return FormTokenCheck::Forged;
    };
    let Some((token_post, issued)) = payload.split_once('.') else {
        return FormTokenCheck::Forged;
    };
    let (Ok(token_post), Ok(issued)) = (token_post.parse::<i32>(), issued.parse::<i64>()) else {
        return FormTokenCheck::Forged;
    };
    if token_post != post {
        return FormTokenCheck::Forged;
    }
    let elapsed_ms = Utc::now().timestamp_millis() - issued;
    if elapsed_ms > FORM_MAX_AGE_MS {
        return FormTokenCheck::Expired;
    }
    FormTokenCheck::Valid { elapsed_ms: elapsed_ms.max(0) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_blocked_address_matches_itself_only() {
        let terms = vec!["1.2.3.4".to_string()];
        assert_eq!(first_match(&terms, &["Ada", "1.2.3.4"]), Some("1.2.3.4"));
        assert_eq!(first_match(&terms, &["Ada", "1.2.3.45"]), None);
        assert_eq!(first_match(&terms, &["Ada", "11.2.3.4"]), None);
        let v6 = vec!["2001:db8::1".to_string()];
        assert!(first_match(&v6, &["2001:0db8:0:0:0:0:0:1"]).is_some(), "the same address written longer");
        assert!(first_match(&v6, &["2001:db8::10"]).is_none());
        let range = vec!["1.2.3.".to_string()];
        assert!(first_match(&range, &["1.2.3.45"]).is_some(), "a partial address is a prefix");
    }
    use crate::config::Secret;

    const SEED_SPAM: &str =
        "casino siteleri canlı casino siteleri 1xbet canlı casino siteleri sex hikayeleri";

    #[test]
    fn seed_spam_line_is_caught_by_the_builtin_list() {
        assert!(first_match(builtin_disallowed(), &[SEED_SPAM]).is_some());
    }

    #[test]
    fn builtin_list_catches_spam_in_several_languages() {
        let samples = [
            "Best CASINO bonuses here",
            "En iyi bahis siteleri burada",
            "Najlepsze kasyno online",
            "лучшее казино онлайн",
            "situs slot gacor hari ini",
            "buy viagra cheap",
            "visit https://1xbet-promo.example",
            "cheap replica watches",
        ];
        for sample in samples {
            assert!(first_match(builtin_disallowed(), &[sample]).is_some(), "{sample}");
        }
    }

    #[test]
    fn ordinary_comments_are_not_matched() {
        let samples = [
            "I live in Essex and had SMP done last year; it looks natural.",
            "Does the pigment fade after a few years?",
            "Occasionally my scalp itches. Is that normal?",
            "Thanks for the article, very helpful!",
        ];
        for sample in samples {
            assert_eq!(first_match(builtin_disallowed(), &[sample]), None, "{sample}");
        }
    }

    #[test]
    fn matching_is_at_word_start_and_case_insensitive() {
        let terms = vec!["casino".to_string(), "192.168.1.".to_string()];
        assert_eq!(first_match(&terms, &["CasinoSiteleri"]), Some("casino"));
        assert_eq!(first_match(&terms, &["occasinos"]), None);
        assert_eq!(first_match(&terms, &["ip 192.168.1.7"]), Some("192.168.1."));
        assert_eq!(first_match(&terms, &["", "fine"]), None);
    }

    #[test]
    fn form_tokens_are_bound_to_the_post_and_signed() {
        let signer = Signer::new(Secret::new("0123456789abcdef0123456789abcdef"));
        let token = form_token(&signer, 7);
        assert!(matches!(check_form_token(&signer, &token, 7), FormTokenCheck::Valid { .. }));
        assert_eq!(check_form_token(&signer, &token, 8), FormTokenCheck::Forged);
        assert_eq!(check_form_token(&signer, "7.1~AAAA", 7), FormTokenCheck::Forged);
        let old = signer
            .sign(FORM_TOKEN_PURPOSE, &format!("7.{}", Utc::now().timestamp_millis() - FORM_MAX_AGE_MS - 1));
        assert_eq!(check_form_token(&signer, &old, 7), FormTokenCheck::Expired);
    }
}
