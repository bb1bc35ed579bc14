//! Characters no field may hold: C0 controls other than tab, newline and carriage return,
//! DEL, and the noncharacters U+FFFE/U+FFFF. XML 1.0 cannot carry them, so one `\x0b` in a
//! name would make every feed and export that includes it unreadable.

use std::borrow::Cow;

/// Hex SHA-256 of `bytes` (API token hashes, uploaded files' digests).
pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

pub fn is_forbidden(c: char) -> bool {
    (c.is_ascii_control() && !matches!(c, '\t' | '\n' | '\r')) || matches!(c, '\u{FFFE}' | '\u{FFFF}')
}

pub fn has_forbidden(text: &str) -> bool {
    text.chars().any(is_forbidden)
}

/// `text` without forbidden characters, for output formats (feeds, WXR) fed by older rows.
pub fn strip_forbidden(text: &str) -> Cow<'_, str> {
    if has_forbidden(text) {
        Cow::Owned(text.chars().filter(|&c| !is_forbidden(c)).collect())
    } else {
        Cow::Borrowed(text)
    }
}

/// The friendly message for a field that holds one.
pub fn forbidden_message(field_label: &str) -> String {
    format!("{field_label} contains an invisible control character. Please remove it and send it again.")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_other_than_whitespace_are_forbidden() {
        for bad in ["a\u{0}b", "a\u{1}", "\u{b}", "x\u{1f}", "\u{7f}", "\u{FFFE}", "\u{FFFF}"] {
            assert!(has_forbidden(bad), "{bad:?}");
        }
        for good in ["tab\there", "line\nbreak\r\n", "ünïcödé 🚀", "\u{FFFD}"] {
            assert!(!has_forbidden(good), "{good:?}");
        }
        assert_eq!(strip_forbidden("a\u{b}b\u{1}c\nd"), "abc\nd");
    }
}
