//! The learned spam filter: a token classifier trained by moderators' decisions, with no third
//! party. Features are words, link and website domains, the email's domain, the link count,
//! the name's shape and the writing script; scoring is Robinson's chi-square combining (as in
//! SpamBayes): each token's spam probability from how often it was in spam and in genuine
//! comments, the strongest clues combined into one score.
//!
//! What is pure lives here (features, scoring); `learn` and `assess` read and write the model
//! through `db::spam_filter`.

use std::collections::{HashMap, HashSet};

use crate::db::spam_filter::{self, Label, ModelTotals, TokenCounts};
use crate::db::Tx;
use crate::error::AppError;

/// At most this many distinct features per comment (a 64 KB text of distinct words is scored
/// from its first ones): bounds the lookup and the training write.
pub const MAX_FEATURES: usize = 400;
/// Words longer than this are one `long-word` feature (hashes, base64, spun gibberish).
const MAX_WORD_CHARS: usize = 24;
/// The strongest clues combined into a score (SpamBayes: 150).
const MAX_CLUES: usize = 150;
/// A token this close to 0.5 says nothing and is left out.
const MIN_CLUE_STRENGTH: f64 = 0.1;
/// Robinson's prior for a token seen rarely: its probability is pulled towards 0.5 with this
/// weight (SpamBayes `unknown_word_strength`).
const PRIOR_STRENGTH: f64 = 0.45;
/// Fewer decisions than this of either kind: no opinion at all (with spam only, every known
/// word would look like spam).
pub const MIN_OPINION_DOCS: i64 = 5;

/// The parts of a comment the filter reads. The email gives only its domain.
#[derive(Debug, Clone, Copy, Default)]
pub struct CommentText<'a> {
    pub author: &'a str,
    pub email: &'a str,
    pub url: &'a str,
    pub text: &'a str,
}

impl<'a> CommentText<'a> {
    pub fn of(stored: &'a spam_filter::TrainingView) -> CommentText<'a> {
        CommentText {
            author: &stored.author,
            email: &stored.email,
            url: stored.url.as_deref().unwrap_or(""),
            text: &stored.body_source,
        }
    }
}

/// The distinct features of a comment, in the order first seen, at most `MAX_FEATURES`.
pub fn features(c: &CommentText<'_>) -> Vec<String> {
    let mut out = Features::default();
    let text = c.text;
    let mut links = 0usize;
    for host in link_hosts(text) {
        links += 1;
        out.add_host("url", &host);
    }
    let site = host_of(c.url.trim());
    match &site {
        Some(host) => out.add_host("site", host),
        None => out.add("site:none".into()),
    }
    if let Some((_, domain)) = c.email.trim().rsplit_once('@') {
        out.add(format!("email:{}", domain.to_lowercase()));
    }
    out.add(
        match links {
            0 => "links:0",
            1 => "links:1",
            2 | 3 => "links:2-3",
            _ => "links:4+",
        }
        .into(),
    );
    let name = c.author.trim();
    let name_words: Vec<String> = words(name).collect();
    out.add(format!("name-words:{}", name_words.len().min(5)));
    if name.chars().any(|ch| ch.is_ascii_digit()) {
        out.add("name:digits".into());
    }
    if host_of(name).is_some() || name.contains(".com") {
        out.add("name:domain".into());
    }
    for word in name_words {
        out.add(format!("name:{word}"));
    }
    out.add(length_bucket(text.chars().count()).into());
    for script in scripts(text) {
        out.add(format!("script:{script}"));
    }
    if shouting(text) {
        out.add("caps:most".into());
    }
    // Words, and pairs of neighbouring words ("work from", "from home"): spam that avoids
    // trigger words still repeats its phrases.
    let mut previous: Option<String> = None;
    for word in words(text) {
        if out.full() {
            break;
        }
        if let Some(previous) = previous.replace(word.clone()) {
            out.add(format!("{previous} {word}"));
        }
        out.add(word);
    }
    out.tokens
}

#[derive(Default)]
struct Features {
    tokens: Vec<String>,
    seen: HashSet<String>,
}

impl Features {
    fn full(&self) -> bool {
        self.tokens.len() >= MAX_FEATURES
    }
    fn add(&mut self, token: String) {
        if !self.full() && self.seen.insert(token.clone()) {
            self.tokens.push(token);
        }
    }
    /// A host and the domain it belongs to (`www.shop.example-pills.com` also counts as
    /// `example-pills.com`: spammers rotate subdomains).
    fn add_host(&mut self, kind: &str, host: &str) {
        self.add(format!("{kind}:{host}"));
        let labels: Vec<&str> = host.split('.').collect();
        if labels.len() > 2 {
            self.add(format!("{kind}:{}", labels[labels.len() - 2..].join(".")));
        }
        if let Some(tld) = labels.last().filter(|_| labels.len() > 1) {
            self.add(format!("tld:{tld}"));
        }
    }
}

/// The hosts (without `www.`) a comment's text links to. Whole hosts, not "the last two
/// labels": `co.uk`, `github.io` or `blogspot.com` are many unrelated sites.
pub fn link_domains(text: &str) -> HashSet<String> {
    link_hosts(text).collect()
}

/// Lowercased words of 2 to `MAX_WORD_CHARS` characters; longer runs are `long-word`, long
/// numbers `long-number` (phone numbers, order numbers).
fn words(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|ch: char| !(ch.is_alphanumeric() || ch == '\'' || ch == '$' || ch == '%' || ch == '€'))
        .map(|w| w.trim_matches('\''))
        .filter_map(|w| {
            let chars = w.chars().count();
            if chars < 2 {
                return None;
            }
            if w.chars().all(|ch| ch.is_ascii_digit()) {
                return Some(if chars > 4 { "long-number".to_string() } else { w.to_string() });
            }
            if chars > MAX_WORD_CHARS {
                return Some("long-word".to_string());
            }
            Some(w.to_lowercase())
        })
}

/// Hosts of the links in a text: `http(s)://host` and bare `www.host`.
fn link_hosts(text: &str) -> impl Iterator<Item = String> + '_ {
    let lower_starts = |at: usize, prefix: &str| {
        text.get(at..at + prefix.len()).is_some_and(|s| s.eq_ignore_ascii_case(prefix))
    };
    text.char_indices()
        .filter(move |(at, ch)| {
            matches!(ch, 'h' | 'H' | 'w' | 'W')
                && (*at == 0 || !text[..*at].ends_with(|c: char| c.is_alphanumeric() || c == '.' || c == '/'))
                && (lower_starts(*at, "http://")
                    || lower_starts(*at, "https://")
                    || lower_starts(*at, "www."))
        })
        .filter_map(move |(at, _)| host_of(&text[at..]))
}

/// The host of a URL or of `www.` text, lowercased, without port or `www.`.
fn host_of(url: &str) -> Option<String> {
    let lower = url.get(..8).map(str::to_ascii_lowercase).unwrap_or_default();
    let rest = if lower.starts_with("https://") {
        &url[8..]
    } else if lower.starts_with("http://") {
        &url[7..]
    } else if lower.starts_with("www.") {
        url
    } else {
        return None;
    };
    let host: String = rest
        .chars()
        .take_while(|ch| ch.is_alphanumeric() || *ch == '.' || *ch == '-')
        .take(253)
        .collect::<String>()
        .to_lowercase();
    let host = host.trim_end_matches('.');
    let host = host.strip_prefix("www.").unwrap_or(host);
    (host.contains('.') && !host.starts_with('.')).then(|| host.to_string())
}

fn length_bucket(chars: usize) -> &'static str {
    match chars {
        0..=49 => "length:<50",
        50..=199 => "length:<200",
        200..=999 => "length:<1000",
        _ => "length:1000+",
    }
}

/// The writing systems making up at least a tenth of the letters.
fn scripts(text: &str) -> Vec<&'static str> {
    let mut counts: HashMap<&'static str, usize> = HashMap::new();
    let mut letters = 0usize;
    for ch in text.chars().filter(|ch| ch.is_alphabetic()).take(20_000) {
        letters += 1;
        *counts.entry(script_of(ch)).or_default() += 1;
    }
    let mut found: Vec<&'static str> =
        counts.into_iter().filter(|(_, n)| *n * 10 >= letters).map(|(script, _)| script).collect();
    found.sort_unstable();
    found
}

fn script_of(ch: char) -> &'static str {
    match ch as u32 {
        0x0000..=0x024F | 0x1E00..=0x1EFF => "latin",
        0x0370..=0x03FF | 0x1F00..=0x1FFF => "greek",
        0x0400..=0x052F => "cyrillic",
        0x0530..=0x058F => "armenian",
        0x0590..=0x05FF => "hebrew",
        0x0600..=0x06FF | 0x0750..=0x077F | 0xFB50..=0xFDFF | 0xFE70..=0xFEFF => "arabic",
        0x0900..=0x097F => "devanagari",
        0x0E00..=0x0E7F => "thai",
        0x10A0..=0x10FF => "georgian",
        0x1100..=0x11FF | 0xAC00..=0xD7AF => "hangul",
        0x3040..=0x30FF => "kana",
        0x4E00..=0x9FFF | 0x3400..=0x4DBF => "han",
        _ => "other",
    }
}

/// Most letters capitals, in a text long enough for that to mean something.
fn shouting(text: &str) -> bool {
    let (mut upper, mut letters) = (0usize, 0usize);
    for ch in text.chars().filter(|ch| ch.is_alphabetic()).take(20_000) {
        letters += 1;
        upper += usize::from(ch.is_uppercase());
    }
    letters >= 20 && upper * 2 > letters
}

/// A token's spam probability, pulled towards 0.5 while it has been seen rarely.
fn token_probability(counts: &TokenCounts, totals: &ModelTotals) -> f64 {
    let spam_ratio = counts.spam as f64 / totals.spam_docs.max(1) as f64;
    let ham_ratio = counts.ham as f64 / totals.ham_docs.max(1) as f64;
    let seen = (counts.spam + counts.ham) as f64;
    if seen == 0.0 || spam_ratio + ham_ratio == 0.0 {
        return 0.5;
    }
    let raw = spam_ratio / (spam_ratio + ham_ratio);
    ((PRIOR_STRENGTH * 0.5 + seen * raw) / (PRIOR_STRENGTH + seen)).clamp(0.0001, 0.9999)
}

/// How the filter sees one comment.
#[derive(Debug, Clone, PartialEq)]
pub struct Verdict {
    /// 0 (genuine) to 1 (spam).
    pub score: f64,
    /// The spammiest tokens, strongest first, shown to moderators.
    pub clues: Vec<String>,
    /// Decisions of each kind seen so far.
    pub spam_docs: i64,
    pub ham_docs: i64,
}

impl Verdict {
    /// Trained enough to mark spam (below, it only holds).
    pub fn is_trained(&self, min_training: u32) -> bool {
        self.spam_docs >= i64::from(min_training) && self.ham_docs >= i64::from(min_training)
    }

    /// "learned filter: 99.7% spam; clues: `mortgage`, `refund`, `example-pills.com`".
    pub fn reason(&self) -> String {
        let clues: Vec<String> = self.clues.iter().map(|c| format!("`{}`", clue_label(c))).collect();
        let percent = (self.score * 1000.0).floor() / 10.0;
        if clues.is_empty() {
            format!("learned filter: {percent:.1}% spam")
        } else {
            format!("learned filter: {percent:.1}% spam; clues: {}", clues.join(", "))
        }
    }
}

/// What a moderator reads for a token: the word or domain itself, the kind in words otherwise.
fn clue_label(token: &str) -> String {
    match token.split_once(':') {
        Some(("url" | "site", host)) => host.to_string(),
        Some(("email", domain)) => format!("email at {domain}"),
        Some(("name", word)) => format!("name “{word}”"),
        Some((_, _)) => token.to_string(),
        None => token.to_string(),
    }
}

/// Scores `tokens` against counts from the model. Pure: bounded by `MAX_FEATURES` lookups and
/// `MAX_CLUES` terms whatever the text.
pub fn score(
    tokens: &[String],
    counts: &HashMap<String, TokenCounts>,
    totals: &ModelTotals,
) -> Option<Verdict> {
    if totals.spam_docs < MIN_OPINION_DOCS || totals.ham_docs < MIN_OPINION_DOCS {
        return None;
    }
    let mut clues: Vec<(f64, &str)> = tokens
        .iter()
        .filter_map(|t| counts.get(t).map(|c| (token_probability(c, totals), t.as_str())))
        .filter(|(p, _)| (p - 0.5).abs() >= MIN_CLUE_STRENGTH)
        .collect();
    clues.sort_by(|a, b| (b.0 - 0.5).abs().total_cmp(&(a.0 - 0.5).abs()).then(a.1.cmp(b.1)));
    clues.truncate(MAX_CLUES);
    let score = if clues.is_empty() {
        0.5
    } else {
        let n = clues.len();
        let spam_log: f64 = clues.iter().map(|(p, _)| (1.0 - p).ln()).sum();
        let ham_log: f64 = clues.iter().map(|(p, _)| p.ln()).sum();
        let s = 1.0 - chi2_q(-2.0 * spam_log, 2 * n);
        let h = 1.0 - chi2_q(-2.0 * ham_log, 2 * n);
        ((s - h + 1.0) / 2.0).clamp(0.0, 1.0)
    };
    // Clues are words, domains and shapes: never the commenter's name or email domain (the
    // reason is kept with the comment and shown in the queue after an erasure).
    let mut spammy: Vec<&(f64, &str)> = clues
        .iter()
        .filter(|(p, t)| *p > 0.9 && !t.starts_with("email:") && !t.starts_with("name:"))
        .collect();
    spammy.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(b.1)));
    Some(Verdict {
        score,
        clues: spammy.iter().take(3).map(|(_, t)| t.to_string()).collect(),
        spam_docs: totals.spam_docs,
        ham_docs: totals.ham_docs,
    })
}

/// The chance that a chi-square variable with `freedom` (even) degrees is at least `x2`.
fn chi2_q(x2: f64, freedom: usize) -> f64 {
    let m = x2 / 2.0;
    let mut term = (-m).exp();
    let mut sum = term;
    for i in 1..freedom / 2 {
        term *= m / i as f64;
        sum += term;
    }
    sum.min(1.0)
}

/// The filter's opinion of a comment before it is stored; None while it has too little
/// training, or when the model cannot be read (no opinion is never an error for a reader).
pub fn assess(conn: &mut crate::db::Conn, comment: &CommentText<'_>) -> Option<Verdict> {
    let read = spam_filter::totals(conn).and_then(|totals| {
        if totals.spam_docs < MIN_OPINION_DOCS || totals.ham_docs < MIN_OPINION_DOCS {
            return Ok(None); // no opinion yet: nothing to look up
        }
        let tokens = features(comment);
        let counts = spam_filter::counts(conn, &tokens)?;
        Ok(Some((tokens, counts, totals)))
    });
    match read {
        Ok(None) => None,
        Ok(Some((tokens, counts, totals))) => score(&tokens, &counts, &totals),
        Err(error) => {
            tracing::warn!(%error, "spam filter model unreadable: no opinion");
            None
        }
    }
}

/// Makes the model hold `wanted` for a stored comment: untrains what it was trained as (a
/// changed mind), trains the new label, and records it on the comment. None untrains only.
pub fn learn(
    conn: &mut crate::db::Conn,
    comment: crate::db::ids::CommentId,
    wanted: Option<Label>,
) -> Result<(), AppError> {
    let Some(stored) = spam_filter::training_view(conn, comment)? else {
        return Ok(());
    };
    if stored.trained_as == wanted {
        return Ok(());
    }
    if wanted == Some(Label::Ham) && stored.filter_verdict.as_deref() == Some("spam") {
        // The filter marked it spam by itself and a moderator says otherwise: its record,
        // counted once per comment (the verdict is spent).
        spam_filter::tally(conn, spam_filter::Tally::Reversed)?;
        spam_filter::clear_filter_verdict(conn, comment)?;
    }
    let tokens = features(&CommentText::of(&stored));
    let now = chrono::Utc::now().naive_utc();
    if let Some(old) = stored.trained_as {
        spam_filter::untrain(conn, &tokens, old)?;
    }
    if let Some(new) = wanted {
        spam_filter::train(conn, &tokens, new, 1, now)?;
    }
    spam_filter::set_trained_as(conn, comment, wanted)?;
    Ok(())
}

/// A moderator changed a trained comment's text: the model forgets the old text and learns the
/// new one under the same label (`old` is the comment as it was before the edit).
pub fn relearn_edited(
    conn: &mut Tx<'_>,
    old: &CommentText<'_>,
    new: &CommentText<'_>,
    label: Label,
) -> Result<(), AppError> {
    let now = chrono::Utc::now().naive_utc();
    spam_filter::untrain(conn, &features(old), label)?;
    spam_filter::train(conn, &features(new), label, 1, now)?;
    Ok(())
}

/// Trains many texts that are not comments here (`spam train`, the eval): the token counts
/// are summed in memory and written once per token.
pub fn train_many<'a>(
    conn: &mut Tx<'_>,
    texts: impl IntoIterator<Item = CommentText<'a>>,
    label: Label,
) -> Result<usize, AppError> {
    let mut sums: HashMap<String, i64> = HashMap::new();
    let mut docs = 0usize;
    for text in texts {
        docs += 1;
        for token in features(&text) {
            *sums.entry(token).or_default() += 1;
        }
    }
    spam_filter::train_sums(conn, &sums, label, docs as i64, chrono::Utc::now().naive_utc())?;
    Ok(docs)
}

/// Teaches the filter an imported blog's decisions: its approved comments are genuine, its
/// spam is spam (WordPress exports leave spam out unless asked). In batches, each read and
/// written in one transaction (a moderator's decision in between is never counted twice).
/// Returns (spam, genuine) comments learned.
pub fn learn_import(db: &crate::db::Db, site: &str) -> Result<(usize, usize), AppError> {
    const BATCH: i64 = 2000;
    let (mut spam_total, mut ham_total) = (0, 0);
    let mut after = crate::db::ids::CommentId(0);
    loop {
        let learned = db.write_private_now(|tx| {
            let batch = spam_filter::untrained_imported(tx, site, after, BATCH)?;
            let Some(last) = batch.last() else { return Ok(None) };
            let last = last.id;
            let mut sums = [HashMap::<String, i64>::new(), HashMap::new()];
            let mut ids = [Vec::new(), Vec::new()];
            for comment in &batch {
                let side = usize::from(!comment.spam);
                ids[side].push(comment.id);
                for token in features(&CommentText::of(&comment.view)) {
                    *sums[side].entry(token).or_default() += 1;
                }
            }
            let now = chrono::Utc::now().naive_utc();
            for (side, label) in [(0, Label::Spam), (1, Label::Ham)] {
                if !ids[side].is_empty() {
                    spam_filter::train_sums(tx, &sums[side], label, ids[side].len() as i64, now)?;
                    spam_filter::set_many_trained_as(tx, &ids[side], label)?;
                }
            }
            Ok(Some((last, ids[0].len(), ids[1].len())))
        })?;
        let Some((last, spam, ham)) = learned else { break };
        after = last;
        spam_total += spam;
        ham_total += ham;
    }
    Ok((spam_total, ham_total))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(t: &str) -> CommentText<'_> {
        CommentText { author: "Ada Lovelace", email: "ada@example.org", url: "", text: t }
    }

    #[test]
    fn features_read_words_domains_and_shape() {
        let f = features(&CommentText {
            author: "Cheap Pills 24",
            email: "x@spam.example",
            url: "https://www.shop.example-pills.com/buy",
            text: "Great MORTGAGE rates at http://deals.example-pills.com/a and www.other.test now",
        });
        for expected in [
            "url:deals.example-pills.com",
            "url:example-pills.com",
            "url:other.test",
            "site:shop.example-pills.com",
            "site:example-pills.com",
            "tld:com",
            "email:spam.example",
            "links:2-3",
            "name:digits",
            "name:cheap",
            "mortgage",
            "script:latin",
        ] {
            assert!(f.contains(&expected.to_string()), "{expected} missing from {f:?}");
        }
        assert!(!f.iter().any(|t| t.contains("x@")), "the email's local part is never a feature");
    }

    #[test]
    fn odd_texts_are_bounded() {
        let repeated = "buy ".repeat(16_000);
        assert!(features(&text(&repeated)).len() < 20, "one repeated word is one feature");
        let distinct: String = (0..20_000).map(|i| format!("w{i} ")).collect();
        assert_eq!(features(&text(&distinct)).len(), MAX_FEATURES);
        let long = "x".repeat(65_536);
        assert!(features(&text(&long)).contains(&"long-word".to_string()));
        let scripts_and_emoji = "Привет مرحبا שלום 你好 こんにちは 안녕하세요 😀🎉 ok";
        let f = features(&text(scripts_and_emoji));
        assert!(f.iter().any(|t| t.starts_with("script:")));
    }

    fn totals(spam: i64, ham: i64) -> ModelTotals {
        ModelTotals { spam_docs: spam, ham_docs: ham }
    }

    #[test]
    fn no_opinion_without_decisions_of_both_kinds() {
        let counts = HashMap::from([("mortgage".to_string(), TokenCounts { spam: 30, ham: 0 })]);
        assert_eq!(score(&["mortgage".into()], &counts, &totals(30, 0)), None);
        assert!(score(&["mortgage".into()], &counts, &totals(30, 30)).is_some());
    }

    #[test]
    fn spam_words_score_high_ham_words_low_and_name_the_clues() {
        let counts = HashMap::from([
            ("mortgage".to_string(), TokenCounts { spam: 40, ham: 0 }),
            ("refund".to_string(), TokenCounts { spam: 35, ham: 1 }),
            ("url:example-pills.com".to_string(), TokenCounts { spam: 20, ham: 0 }),
            ("pigment".to_string(), TokenCounts { spam: 0, ham: 30 }),
            ("scalp".to_string(), TokenCounts { spam: 1, ham: 25 }),
            ("the".to_string(), TokenCounts { spam: 40, ham: 40 }),
        ]);
        let t = totals(50, 50);
        let spam = score(
            &["the".into(), "mortgage".into(), "refund".into(), "url:example-pills.com".into()],
            &counts,
            &t,
        )
        .unwrap();
        assert!(spam.score > 0.99, "{spam:?}");
        assert_eq!(spam.clues.len(), 3);
        let reason = spam.reason();
        assert!(reason.starts_with("learned filter: 99."), "{reason}");
        assert!(reason.contains("`mortgage`") && reason.contains("`example-pills.com`"), "{reason}");
        let ham = score(&["the".into(), "pigment".into(), "scalp".into()], &counts, &t).unwrap();
        assert!(ham.score < 0.05, "{ham:?}");
        let unknown = score(&["never-seen".into()], &counts, &t).unwrap();
        assert_eq!(unknown.score, 0.5);
    }

    #[test]
    fn chi2_q_matches_known_values() {
        assert!((chi2_q(0.0, 2) - 1.0).abs() < 1e-12);
        // P(chi2 with 4 degrees >= 9.4877) = 0.05
        assert!((chi2_q(9.4877, 4) - 0.05).abs() < 1e-4);
    }
}
