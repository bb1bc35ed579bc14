//! The moderation policy: decides each new comment's status and says why, in words a
//! moderator understands.

use crate::config::{CommentsConfig, ModerationMode, SpamConfig};
use crate::db::enums::CommentStatus;
use crate::services::classifier::Verdict;
use crate::services::spam;

/// The rules in force (from config now; admin settings will override them).
#[derive(Debug, Clone)]
pub struct ModerationPolicy {
    pub mode: ModerationMode,
    pub max_links: u32,
    pub min_submit_ms: i64,
    pub moderation_words: Vec<String>,
    pub disallowed_words: Vec<String>,
    pub trusted_emails: Vec<String>,
    pub filter: FilterThresholds,
}

/// When the learned filter's score marks spam or holds.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FilterThresholds {
    pub spam: f64,
    pub hold: f64,
    /// Decisions of each kind seen before it may mark spam.
    pub min_training: u32,
}

impl FilterThresholds {
    pub fn from_config(config: &SpamConfig) -> FilterThresholds {
        FilterThresholds {
            spam: config.threshold_spam,
            hold: config.threshold_hold,
            min_training: config.min_training,
        }
    }
}

impl ModerationPolicy {
    pub fn from_config(config: &CommentsConfig, spam_config: &SpamConfig) -> ModerationPolicy {
        let mut disallowed: Vec<String> = config.disallowed_words.iter().map(|w| w.to_lowercase()).collect();
        if config.builtin_disallowed {
            disallowed.extend(spam::builtin_disallowed().iter().cloned());
        }
        ModerationPolicy {
            mode: config.moderation,
            max_links: config.max_links,
            min_submit_ms: i64::from(config.min_submit_seconds) * 1000,
            moderation_words: config.moderation_words.iter().map(|w| w.to_lowercase()).collect(),
            disallowed_words: disallowed,
            trusted_emails: config.trusted_emails.clone(),
            filter: FilterThresholds::from_config(spam_config),
        }
    }
}

/// What the policy looks at.
#[derive(Debug, Clone, Default)]
pub struct Candidate<'a> {
    pub author: &'a str,
    pub email: &'a str,
    pub url: &'a str,
    pub text: &'a str,
    pub ip: &'a str,
    pub user_agent: &'a str,
    pub links: usize,
    /// Time from showing the form to receiving it; None when the browser kept no view-time
    /// cookie (a cached page's token alone cannot tell).
    pub elapsed_ms: Option<i64>,
    pub honeypot_filled: bool,
    /// The same name and email have an approved comment and that email has no spam.
    pub trusted_author: bool,
    /// The learned filter's opinion (None: off, or too little training to have one).
    pub learned: Option<Verdict>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    pub status: CommentStatus,
    pub reason: String,
    /// Set when the learned filter made this decision (its record counts them).
    pub by_filter: Option<FilterMark>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FilterMark {
    Spam,
    Held,
}

impl FilterMark {
    pub fn as_str(self) -> &'static str {
        match self {
            FilterMark::Spam => "spam",
            FilterMark::Held => "held",
        }
    }
}

fn decision(status: CommentStatus, reason: String) -> Decision {
    Decision { status, reason, by_filter: None }
}

impl ModerationPolicy {
    /// Bots first, then the disallowed list (spam), then holds, then trust.
    pub fn decide(&self, c: &Candidate<'_>) -> Decision {
        if c.honeypot_filled {
            return decision(CommentStatus::Spam, "the hidden anti-bot field was filled in".into());
        }
        if let Some(elapsed_ms) = c.elapsed_ms.filter(|ms| self.min_submit_ms > 0 && *ms < self.min_submit_ms)
        {
            return decision(
                CommentStatus::Spam,
                format!(
                    "form sent in {:.1} s, minimum is {} s",
                    elapsed_ms as f64 / 1000.0,
                    self.min_submit_ms / 1000
                ),
            );
        }
        let fields = [c.author, c.email, c.url, c.text, c.ip, c.user_agent];
        if let Some(word) = spam::first_match(&self.disallowed_words, &fields) {
            return decision(CommentStatus::Spam, format!("matched disallowed word `{word}`"));
        }
        if self.trusted_emails.iter().any(|e| e.eq_ignore_ascii_case(c.email)) {
            return decision(CommentStatus::Approved, "the email is on the trusted list".into());
        }
        if let Some(held_or_spam) = self.learned_decision(c) {
            return held_or_spam;
        }
        if self.min_submit_ms > 0 && c.elapsed_ms.is_none() {
            return decision(
                CommentStatus::Pending,
                "sent without the view-time cookie (cookies off, or a bot): timing unknown".into(),
            );
        }
        if self.max_links > 0 && c.links >= self.max_links as usize {
            let plural = if c.links == 1 { "" } else { "s" };
            return decision(
                CommentStatus::Pending,
                format!("{} link{plural}, limit is {}", c.links, self.max_links),
            );
        }
        if let Some(word) = spam::first_match(&self.moderation_words, &fields) {
            return decision(CommentStatus::Pending, format!("matched moderation word `{word}`"));
        }
        match self.mode {
            ModerationMode::All => {
                decision(CommentStatus::Pending, "every comment is held (moderation: all)".into())
            }
            ModerationMode::FirstTime if c.trusted_author => decision(
                CommentStatus::Approved,
                "this name and email already have an approved comment".into(),
            ),
            ModerationMode::FirstTime => {
                decision(CommentStatus::Pending, "first comment from this email".into())
            }
            ModerationMode::None => {
                decision(CommentStatus::Approved, "passed every check (moderation: none)".into())
            }
        }
    }
}

impl ModerationPolicy {
    /// Spam at `filter.spam` once trained on `min_training` decisions of each kind; held at
    /// `filter.hold` (and at the spam threshold while still learning, or for an author with an
    /// approved comment: a regular is never marked spam by the filter alone).
    fn learned_decision(&self, c: &Candidate<'_>) -> Option<Decision> {
        let verdict = c.learned.as_ref()?;
        if verdict.score >= self.filter.spam
            && verdict.is_trained(self.filter.min_training)
            && !c.trusted_author
        {
            return Some(Decision {
                status: CommentStatus::Spam,
                reason: verdict.reason(),
                by_filter: Some(FilterMark::Spam),
            });
        }
        if verdict.score >= self.filter.hold {
            let mut reason = verdict.reason();
            if verdict.score >= self.filter.spam && !verdict.is_trained(self.filter.min_training) {
                reason.push_str(&format!(
                    " (held, not marked: still learning, {} spam and {} genuine decisions of the {} each it needs)",
                    verdict.spam_docs, verdict.ham_docs, self.filter.min_training
                ));
            }
            return Some(Decision {
                status: CommentStatus::Pending,
                reason,
                by_filter: Some(FilterMark::Held),
            });
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy(mode: ModerationMode) -> ModerationPolicy {
        ModerationPolicy {
            mode,
            max_links: 2,
            min_submit_ms: 3000,
            moderation_words: vec!["refund".into()],
            disallowed_words: spam::builtin_disallowed().to_vec(),
            trusted_emails: vec!["trusted@example.org".into()],
            filter: FilterThresholds { spam: 0.99, hold: 0.8, min_training: 20 },
        }
    }

    fn learned(score: f64, docs: i64) -> Option<Verdict> {
        Some(Verdict {
            score,
            clues: vec!["mortgage".into(), "url:example-pills.com".into()],
            spam_docs: docs,
            ham_docs: docs,
        })
    }

    #[test]
    fn the_learned_filter_marks_spam_only_once_trained() {
        let p = policy(ModerationMode::None);
        let sure = Candidate { learned: learned(0.997, 20), ..human("x") };
        let d = p.decide(&sure);
        assert_eq!(d.status, CommentStatus::Spam);
        assert_eq!(d.by_filter, Some(FilterMark::Spam));
        assert_eq!(d.reason, "learned filter: 99.7% spam; clues: `mortgage`, `example-pills.com`");
        let learning = Candidate { learned: learned(0.997, 19), ..human("x") };
        let d = p.decide(&learning);
        assert_eq!(d.status, CommentStatus::Pending, "below min_training it only holds");
        assert!(d.reason.contains("still learning"), "{}", d.reason);
        let unsure = Candidate { learned: learned(0.85, 50), ..human("x") };
        assert_eq!(p.decide(&unsure).by_filter, Some(FilterMark::Held));
        let genuine = Candidate { learned: learned(0.2, 50), ..human("x") };
        assert_eq!(p.decide(&genuine).status, CommentStatus::Approved);
        let regular = Candidate { learned: learned(0.999, 50), trusted_author: true, ..human("x") };
        assert_eq!(p.decide(&regular).status, CommentStatus::Pending, "a regular is held, not marked");
    }

    fn human<'a>(text: &'a str) -> Candidate<'a> {
        Candidate {
            author: "Ada",
            email: "ada@example.org",
            text,
            ip: "203.0.113.9",
            user_agent: "Mozilla/5.0",
            elapsed_ms: Some(20_000),
            ..Candidate::default()
        }
    }

    #[test]
    fn first_time_holds_new_authors_and_approves_trusted_ones() {
        let p = policy(ModerationMode::FirstTime);
        let d = p.decide(&human("Nice post"));
        assert_eq!(d, decision(CommentStatus::Pending, "first comment from this email".into()));
        let trusted = Candidate { trusted_author: true, ..human("Nice post") };
        assert_eq!(p.decide(&trusted).status, CommentStatus::Approved);
    }

    #[test]
    fn all_holds_and_none_approves() {
        let trusted = Candidate { trusted_author: true, ..human("Nice") };
        assert_eq!(policy(ModerationMode::All).decide(&trusted).status, CommentStatus::Pending);
        assert_eq!(policy(ModerationMode::None).decide(&human("Nice")).status, CommentStatus::Approved);
    }

    #[test]
    fn link_limit_holds_at_the_limit_not_below() {
        let p = policy(ModerationMode::None);
        let one = Candidate { links: 1, ..human("x") };
        assert_eq!(p.decide(&one).status, CommentStatus::Approved);
        let two = Candidate { links: 2, ..human("x") };
        assert_eq!(p.decide(&two), decision(CommentStatus::Pending, "2 links, limit is 2".into()));
    }

    #[test]
    fn link_limit_applies_even_to_trusted_authors() {
        let c = Candidate { links: 3, trusted_author: true, ..human("x") };
        assert_eq!(policy(ModerationMode::FirstTime).decide(&c).status, CommentStatus::Pending);
    }

    #[test]
    fn disallowed_words_mean_spam_in_any_field() {
        let p = policy(ModerationMode::None);
        let seed = "casino siteleri canlı casino siteleri 1xbet canlı casino siteleri sex hikayeleri";
        let d = p.decide(&human(seed));
        assert_eq!(d.status, CommentStatus::Spam);
        assert!(d.reason.starts_with("matched disallowed word"), "{}", d.reason);
        let by_url = Candidate { url: "https://1xbet.example", ..human("hello") };
        assert_eq!(p.decide(&by_url).status, CommentStatus::Spam);
        let by_name = Candidate { author: "Viagra Shop", ..human("hello") };
        assert_eq!(p.decide(&by_name).status, CommentStatus::Spam);
    }

    #[test]
    fn trusted_emails_skip_holds_but_not_spam_checks() {
        let p = policy(ModerationMode::All);
        let c = Candidate { email: "Trusted@example.org", links: 5, ..human("x") };
        assert_eq!(p.decide(&c).status, CommentStatus::Approved);
        let spam = Candidate { email: "trusted@example.org", ..human("buy viagra") };
        assert_eq!(p.decide(&spam).status, CommentStatus::Spam);
    }

    #[test]
    fn moderation_words_hold() {
        let d = policy(ModerationMode::None).decide(&human("I want a REFUND"));
        assert_eq!(d, decision(CommentStatus::Pending, "matched moderation word `refund`".into()));
    }

    #[test]
    fn bots_are_spam() {
        let p = policy(ModerationMode::None);
        let honeypot = Candidate { honeypot_filled: true, ..human("hi") };
        assert_eq!(p.decide(&honeypot).status, CommentStatus::Spam);
        let fast = Candidate { elapsed_ms: Some(400), ..human("hi") };
        assert_eq!(
            p.decide(&fast),
            decision(CommentStatus::Spam, "form sent in 0.4 s, minimum is 3 s".into())
        );
        let at_limit = Candidate { elapsed_ms: Some(3000), ..human("hi") };
        assert_eq!(p.decide(&at_limit).status, CommentStatus::Approved);
    }

    #[test]
    fn without_a_view_time_the_comment_is_held() {
        let p = policy(ModerationMode::None);
        let unknown = Candidate { elapsed_ms: None, ..human("hi") };
        assert_eq!(p.decide(&unknown).status, CommentStatus::Pending);
        let off = ModerationPolicy { min_submit_ms: 0, ..p };
        assert_eq!(off.decide(&unknown).status, CommentStatus::Approved);
    }

    #[test]
    fn timing_check_can_be_disabled() {
        let p = ModerationPolicy { min_submit_ms: 0, ..policy(ModerationMode::None) };
        let fast = Candidate { elapsed_ms: Some(0), ..human("hi") };
        assert_eq!(p.decide(&fast).status, CommentStatus::Approved);
    }
}
