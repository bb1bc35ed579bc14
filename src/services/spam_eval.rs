//! `marginalia spam eval`: how well the learned filter sorts a labelled corpus. Half of each
//! file is posted to a scratch database as held comments and decided by a moderator (spam or
//! approve, through `actions::apply`, so the filter learns exactly as on a live site); the
//! other half is scored as new comments are. The site's own database is never touched.

use std::fmt;
use std::path::PathBuf;
use std::sync::Arc;

use chrono::Utc;

use crate::config::Config;
use crate::db::comments::{self, NewComment};
use crate::db::enums::{CommentFormat, CommentKind, CommentStatus};
use crate::db::Db;
use crate::error::AppError;
use crate::services::audit::Actor;
use crate::services::classifier::{self, CommentText};
use crate::services::comment_form::COMMENT_MAX;
use crate::services::moderation::actions;
use crate::services::moderation::policy::FilterThresholds;
use crate::services::moderation::Action;
use crate::services::notify::Notifier;
use crate::services::signing::Signer;

/// One text of a training or eval file.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default)]
pub struct CorpusText {
    pub text: String,
    pub author: String,
    pub email: String,
    pub url: String,
}

impl CorpusText {
    pub fn as_comment(&self) -> CommentText<'_> {
        CommentText { author: &self.author, email: &self.email, url: &self.url, text: &self.text }
    }
}

/// Texts of a file: one a line, or JSON lines (`{"text": ...}`); blank lines skipped, each text
/// cut at a comment's maximum length.
pub fn read_corpus(path: &std::path::Path) -> Result<Vec<CorpusText>, AppError> {
    use std::io::BufRead;
    let name = path.display();
    let file =
        std::fs::File::open(path).map_err(|e| AppError::Invalid(format!("{name}: cannot read: {e}")))?;
    let mut texts = Vec::new();
    for (n, line) in std::io::BufReader::new(file).lines().enumerate() {
        let line = line.map_err(|e| AppError::Invalid(format!("{name}: line {}: {e}", n + 1)))?;
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        let mut text = if line.starts_with('{') {
            serde_json::from_str::<CorpusText>(line)
                .map_err(|e| AppError::Invalid(format!("{name}: line {}: not a JSON text: {e}", n + 1)))?
        } else {
            CorpusText { text: line.to_string(), ..CorpusText::default() }
        };
        if text.text.len() > COMMENT_MAX {
            let mut end = COMMENT_MAX;
            while !text.text.is_char_boundary(end) {
                end -= 1;
            }
            text.text.truncate(end);
        }
        if !text.text.trim().is_empty() {
            texts.push(text);
        }
    }
    Ok(texts)
}

/// How one half of a kind was sorted.
#[derive(Debug, Clone, Copy, Default)]
pub struct Sorted {
    pub total: usize,
    pub marked_spam: usize,
    pub held: usize,
}

impl Sorted {
    fn passed(&self) -> usize {
        self.total - self.marked_spam - self.held
    }
    fn share(&self, n: usize) -> f64 {
        if self.total == 0 {
            0.0
        } else {
            n as f64 * 100.0 / self.total as f64
        }
    }
}

#[derive(Debug, Clone)]
pub struct EvalReport {
    pub trained_spam: usize,
    pub trained_ham: usize,
    pub spam: Sorted,
    pub ham: Sorted,
    pub thresholds: FilterThresholds,
    pub seconds: f64,
}

impl EvalReport {
    /// The targets: at least 90% of spam marked spam, at most 1% of genuine.
    pub fn meets_targets(&self) -> bool {
        self.spam.share(self.spam.marked_spam) >= 90.0 && self.ham.share(self.ham.marked_spam) <= 1.0
    }
}

impl fmt::Display for EvalReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let t = &self.thresholds;
        writeln!(
            f,
            "learned filter eval: trained on {} spam and {} genuine (moderator decisions on a scratch database), \
             tested on the other {} spam and {} genuine; spam at {:.2}, held at {:.2}; {:.1} s",
            self.trained_spam, self.trained_ham, self.spam.total, self.ham.total, t.spam, t.hold, self.seconds
        )?;
        writeln!(f, "{:<18} {:>12} {:>12} {:>12}", "", "marked spam", "held", "published")?;
        for (name, s) in [("spam", &self.spam), ("genuine", &self.ham)] {
            writeln!(
                f,
                "{:<18} {:>11.1}% {:>11.1}% {:>11.1}%",
                format!("{name} ({})", s.total),
                s.share(s.marked_spam),
                s.share(s.held),
                s.share(s.passed())
            )?;
        }
        let spam_ok = self.spam.share(self.spam.marked_spam) >= 90.0;
        let ham_ok = self.ham.share(self.ham.marked_spam) <= 1.0;
        write!(
            f,
            "targets: spam marked spam >= 90%: {}; genuine marked spam <= 1%: {}",
            if spam_ok { "ok" } else { "FAIL" },
            if ham_ok { "ok" } else { "FAIL" }
        )
    }
}

/// A fixed-seed shuffle, so two runs on the same files split them alike.
fn shuffle<T>(items: &mut [T], mut seed: u64) {
    for i in (1..items.len()).rev() {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        items.swap(i, (seed % (i as u64 + 1)) as usize);
    }
}

/// A scratch SQLite file, removed (with its WAL files) when dropped.
struct Scratch(PathBuf);

impl Drop for Scratch {
    fn drop(&mut self) {
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", self.0.display()));
        }
    }
}

pub fn run(
    config: &Config,
    tera: Arc<tera::Tera>,
    mut spam: Vec<CorpusText>,
    mut ham: Vec<CorpusText>,
) -> Result<EvalReport, AppError> {
    if spam.len() < 2 || ham.len() < 2 {
        return Err(AppError::Invalid(
            "each file needs at least two texts (one to train, one to test)".into(),
        ));
    }
    let started = std::time::Instant::now();
    shuffle(&mut spam, 0x9e37_79b9_7f4a_7c15);
    shuffle(&mut ham, 0x2545_f491_4f6c_dd1d);
    let (spam_train, spam_test) = spam.split_at(spam.len() / 2);
    let (ham_train, ham_test) = ham.split_at(ham.len() / 2);

    let scratch = Scratch(std::env::temp_dir().join(format!(
        "marginalia-spam-eval-{}-{}.db",
        std::process::id(),
        Utc::now().timestamp_nanos_opt().unwrap_or_default()
    )));
    let db = Db::open(&scratch.0.display().to_string(), 2)?;
    let mut scratch_config = config.clone();
    scratch_config.database.url = scratch.0.display().to_string();
    let notifier = Notifier {
        tera,
        config: Arc::new(scratch_config),
        signer: Signer::new(crate::config::Secret::new("spam-eval-scratch-key-not-a-secret-000")),
    };
    let article = classifier_post()?;
    db.write_now(|tx| {
        crate::services::articles::import_article(tx, &article)?;
        let post = crate::db::posts::find_published_by_slug(tx, "spam-eval")?
            .ok_or_else(|| AppError::Internal("the eval's article was not stored".into()))?
            .id;
        let actor = Actor::cli();
        let now = Utc::now().naive_utc();
        for (texts, action) in [(spam_train, Action::Spam), (ham_train, Action::Approve)] {
            for text in texts {
                let (id, _) = comments::insert(
                    tx,
                    &NewComment {
                        post_id: post,
                        parent_id: None,
                        status: CommentStatus::Pending,
                        author: &text.author,
                        email: &text.email,
                        url: Some(text.url.as_str()).filter(|u| !u.is_empty()),
                        ip: None,
                        user_agent: None,
                        body_source: &text.text,
                        body_html: "",
                        reason: "spam eval",
                        created_at: now,
                        updated_at: now,
                        user_id: None,
                        kind: CommentKind::Comment,
                        body_format: CommentFormat::Text,
                    },
                )?;
                actions::apply(tx, &notifier, &actor, id, action)?;
            }
        }
        Ok(())
    })?;
    let thresholds = FilterThresholds::from_config(&config.spam);
    let sort = |texts: &[CorpusText]| -> Result<Sorted, AppError> {
        db.read_now(|c| {
            let mut sorted = Sorted { total: texts.len(), ..Sorted::default() };
            for text in texts {
                let Some(verdict) = classifier::assess(c, &text.as_comment()) else { continue };
                if verdict.score >= thresholds.spam && verdict.is_trained(thresholds.min_training) {
                    sorted.marked_spam += 1;
                } else if verdict.score >= thresholds.hold {
                    sorted.held += 1;
                }
            }
            Ok(sorted)
        })
    };
    let (spam_sorted, ham_sorted) = (sort(spam_test)?, sort(ham_test)?);
    Ok(EvalReport {
        trained_spam: spam_train.len(),
        trained_ham: ham_train.len(),
        spam: spam_sorted,
        ham: ham_sorted,
        thresholds,
        seconds: started.elapsed().as_secs_f64(),
    })
}

fn classifier_post() -> Result<crate::services::articles::ArticleSource, AppError> {
    crate::services::articles::parse_article(
        "spam-eval.md",
        "+++\ntitle = \"Spam eval\"\nslug = \"spam-eval\"\n+++\nThe article the eval's comments are left on.\n",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shuffle_is_a_permutation_and_repeatable() {
        let mut a: Vec<u32> = (0..100).collect();
        let mut b = a.clone();
        shuffle(&mut a, 7);
        shuffle(&mut b, 7);
        assert_eq!(a, b);
        assert_ne!(a, (0..100).collect::<Vec<_>>());
        let mut sorted = a.clone();
        sorted.sort_unstable();
        assert_eq!(sorted, (0..100).collect::<Vec<_>>());
    }
}
