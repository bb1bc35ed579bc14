//! The comment form's rules: what the browser sends, and the validation (validator crate),
//! with one message per bad field. The form's state for templates is `views::forms`.

use std::collections::BTreeMap;

use serde::Deserialize;
use validator::{Validate, ValidateEmail, ValidateUrl, ValidationError};

use crate::db::ids::CommentId;
use crate::i18n::Text;

// WordPress's column limits, in bytes.
pub const AUTHOR_MAX: usize = 245;
pub const EMAIL_MAX: usize = 100;
pub const URL_MAX: usize = 200;
pub const COMMENT_MAX: usize = 65_525;
/// Name of the hidden honeypot input; people never see it, form-filling bots fill it.
pub const HONEYPOT_FIELD: &str = "marginalia_hp";

/// Exactly what the form posts. Every field defaults to empty so a missing field becomes a
/// friendly message rather than a bare 400.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct RawCommentForm {
    #[serde(default)]
    pub author: String,
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub url: String,
    #[serde(default)]
    pub comment: String,
    #[serde(default)]
    pub comment_parent: String,
    #[serde(default)]
    pub form_token: String,
    #[serde(default, rename = "marginalia_hp")]
    pub honeypot: String,
    #[serde(default)]
    pub remember: Option<String>,
    /// "Notify me of replies by email".
    #[serde(default)]
    pub notify_replies: Option<String>,
    /// "Tell me when my comment is published".
    #[serde(default)]
    pub notify_published: Option<String>,
    /// The "Preview" button: render it, store nothing.
    #[serde(default)]
    pub preview: Option<String>,
}

/// Trimmed fields under the validation rules.
#[derive(Debug, Clone, Validate)]
pub struct CommentFields {
    #[validate(custom(function = "validate_author"))]
    pub author: String,
    #[validate(custom(function = "validate_email"))]
    pub email: String,
    #[validate(custom(function = "validate_url"))]
    pub url: String,
    #[validate(custom(function = "validate_comment"))]
    pub comment: String,
}

/// A comment that passed validation.
#[derive(Debug, Clone)]
pub struct CommentInput {
    pub author: String,
    /// Lowercased: trust and duplicate checks compare emails exactly.
    pub email: String,
    pub url: Option<String>,
    pub text: String,
    pub parent: Option<CommentId>,
}

/// The error's code is its message id in `locales/` ("error-name-required"); numbers it
/// needs are its params.
fn error(id: &'static str) -> ValidationError {
    ValidationError::new(id)
}

fn too_long(id: &'static str, max: usize, length: usize) -> ValidationError {
    let mut e = ValidationError::new(id);
    e.add_param("max".into(), &max);
    e.add_param("length".into(), &length);
    e
}

fn refuse_controls(value: &str, id: &'static str) -> Result<(), ValidationError> {
    if crate::text::has_forbidden(value) {
        return Err(error(id));
    }
    Ok(())
}

fn validate_author(value: &str) -> Result<(), ValidationError> {
    if value.is_empty() {
        return Err(error("error-name-required"));
    }
    refuse_controls(value, "error-name-control")?;
    if value.len() > AUTHOR_MAX {
        return Err(too_long("error-name-too-long", AUTHOR_MAX, value.len()));
    }
    Ok(())
}

/// validator's check accepts `user@localhost` and `user@[1.2.3.4]`; like WordPress we also
/// want a dot inside the domain and no address literal.
pub fn validate_email(value: &str) -> Result<(), ValidationError> {
    if value.is_empty() {
        return Err(error("error-email-required"));
    }
    if value.len() > EMAIL_MAX {
        return Err(too_long("error-email-too-long", EMAIL_MAX, value.len()));
    }
    refuse_controls(value, "error-email-control")?;
    let domain = value.rsplit_once('@').map(|(_, d)| d).unwrap_or("");
    let domain_ok = domain.contains('.')
        && !domain.starts_with('[')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains("..");
    if !value.validate_email() || !domain_ok {
        return Err(error("error-email-invalid"));
    }
    Ok(())
}

fn validate_url(value: &str) -> Result<(), ValidationError> {
    if value.is_empty() {
        return Ok(());
    }
    if value.len() > URL_MAX {
        return Err(too_long("error-website-too-long", URL_MAX, value.len()));
    }
    refuse_controls(value, "error-website-control")?;
    let lower = value.to_ascii_lowercase();
    let http = lower.starts_with("http://") || lower.starts_with("https://");
    if !http || !value.validate_url() || value.contains(char::is_whitespace) {
        return Err(error("error-website-invalid"));
    }
    Ok(())
}

fn validate_comment(value: &str) -> Result<(), ValidationError> {
    if value.is_empty() {
        return Err(error("error-comment-required"));
    }
    if value.len() > COMMENT_MAX {
        return Err(too_long("error-comment-too-long", COMMENT_MAX, value.len()));
    }
    refuse_controls(value, "error-comment-control")?;
    Ok(())
}

/// Why a form was refused: one message per bad field, and a notice for the rest.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Rejected {
    pub errors: BTreeMap<String, Text>,
    pub notice: Option<Text>,
}

impl RawCommentForm {
    /// Trims, normalizes and validates; a refusal says what is wrong, field by field.
    pub fn validate_input(&self) -> Result<CommentInput, Box<Rejected>> {
        let mut url = self.url.trim().to_string();
        // Like WordPress: "example.org" means http://example.org.
        if !url.is_empty() && !url.contains("://") && !url.contains(':') {
            url = format!("http://{url}");
        }
        let fields = CommentFields {
            author: self.author.trim().to_string(),
            email: self.email.trim().to_lowercase(),
            url,
            comment: self.comment.trim().replace("\r\n", "\n"),
        };
        let mut state = Rejected::default();
        if let Err(errors) = fields.validate() {
            for (field, list) in errors.field_errors() {
                if let Some(first) = list.first() {
                    let mut text = Text::new(first.code.clone());
                    for (name, value) in &first.params {
                        if let Some(n) = value.as_i64() {
                            text.args.push((name.clone(), crate::i18n::Arg::Number(n)));
                        }
                    }
                    state.errors.insert(field.to_string(), text);
                }
            }
        }
        let parent = match self.comment_parent.trim() {
            "" | "0" => None,
            other => match other.parse::<i32>() {
                Ok(id) if id > 0 => Some(CommentId(id)),
                _ => {
                    state.notice = Some(Text::new("refused-broken-reply"));
                    None
                }
            },
        };
        if !state.errors.is_empty() || state.notice.is_some() {
            return Err(Box::new(state));
        }
        Ok(CommentInput {
            author: fields.author,
            email: fields.email,
            url: (!fields.url.is_empty()).then_some(fields.url),
            text: fields.comment,
            parent,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(author: &str, email: &str, url: &str, comment: &str) -> RawCommentForm {
        RawCommentForm {
            author: author.into(),
            email: email.into(),
            url: url.into(),
            comment: comment.into(),
            ..RawCommentForm::default()
        }
    }

    #[test]
    fn email_rule_wants_a_dot_and_no_literals() {
        for good in ["ada@example.org", "a.b+tag@mail.example.co.uk"] {
            assert!(validate_email(good).is_ok(), "{good}");
        }
        for bad in [
            "user@localhost",
            "user@[127.0.0.1]",
            "user@example.",
            "nobody",
            "@example.org",
            "a@.org",
            "a@b..org",
        ] {
            assert!(validate_email(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn values_are_trimmed_and_normalized() {
        let input = form("  Ada ", " Ada@Example.ORG ", " example.org ", "  hi\r\nthere  ")
            .validate_input()
            .expect("valid");
        assert_eq!(input.author, "Ada");
        assert_eq!(input.email, "ada@example.org");
        assert_eq!(input.url.as_deref(), Some("http://example.org"));
        assert_eq!(input.text, "hi\nthere");
    }

    #[test]
    fn whitespace_only_is_empty_and_every_field_gets_its_message() {
        let state = form("   ", "", "javascript:alert(1)", " \n ").validate_input().expect_err("invalid");
        assert_eq!(state.errors.len(), 4, "{:?}", state.errors);
        assert_eq!(state.errors["author"].in_english(), "Please enter your name.");
        assert!(state.errors["url"].in_english().contains("http"));
    }

    #[test]
    fn byte_limits_at_and_past_the_boundary() {
        let ok = form(&"a".repeat(AUTHOR_MAX), "a@b.org", "", &"x".repeat(COMMENT_MAX));
        assert!(ok.validate_input().is_ok());
        let long = form(&"a".repeat(AUTHOR_MAX + 1), "a@b.org", "", &"x".repeat(COMMENT_MAX + 1));
        let state = long.validate_input().expect_err("too long");
        assert!(state.errors.contains_key("author") && state.errors.contains_key("comment"));
        // Bytes, not characters: 123 two-byte letters are 246 bytes.
        assert!(form(&"é".repeat(123), "a@b.org", "", "x").validate_input().is_err());
        // Local parts stop at 64 characters (RFC 5321), so the length comes from the domain.
        let email = format!("abcdefghij@{}.{}.example", "a".repeat(40), "b".repeat(40));
        assert_eq!(email.len(), EMAIL_MAX);
        assert!(form("a", &email, "", "x").validate_input().is_ok());
        let email = format!("abcdefghij@{}.{}.example", "a".repeat(41), "b".repeat(40));
        let state = form("a", &email, "", "x").validate_input().expect_err("101 bytes");
        assert!(state.errors["email"].in_english().contains("too long"));
        let url = format!("https://example.org/{}", "p".repeat(URL_MAX - 20));
        assert_eq!(url.len(), URL_MAX);
        assert!(form("a", "a@b.org", &url, "x").validate_input().is_ok());
        assert!(form("a", "a@b.org", &format!("{url}p"), "x").validate_input().is_err());
    }

    #[test]
    fn url_schemes_other_than_http_are_refused() {
        for bad in ["ftp://example.org", "javascript:alert(1)", "data:text/html,x", "http://exa mple.org"] {
            assert!(form("a", "a@b.org", bad, "x").validate_input().is_err(), "{bad}");
        }
    }

    #[test]
    fn control_characters_are_refused_per_field() {
        let state = form("Ada\u{b}Lovelace", "a@b.org", "", "hello\u{1} there")
            .validate_input()
            .expect_err("controls");
        assert!(state.errors["author"].in_english().contains("control character"), "{:?}", state.errors);
        assert!(state.errors["comment"].in_english().contains("control character"), "{:?}", state.errors);
        assert!(form("Ada", "a@b.org", "", "tab\there\r\nnext").validate_input().is_ok());
    }

    #[test]
    fn parent_parsing() {
        let mut raw = form("a", "a@b.org", "", "x");
        raw.comment_parent = "12".into();
        assert_eq!(raw.validate_input().expect("valid").parent, Some(CommentId(12)));
        raw.comment_parent = "0".into();
        assert_eq!(raw.validate_input().expect("valid").parent, None);
        raw.comment_parent = "abc".into();
        assert!(raw.validate_input().expect_err("bad").notice.is_some());
    }
}
