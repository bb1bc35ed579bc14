//! Spam waves: held and spam comments that share a link domain or near-identical text, so a
//! moderator can deal with a whole run in one action ("spam and block" for the group).

use std::collections::{BTreeMap, HashSet};

use crate::db::Conn;

use crate::db::enums::CommentStatus;
use crate::db::ids::CommentId;
use crate::db::queue::{self, WaveCandidate};
use crate::error::AppError;
use crate::services::classifier;

/// How many of the newest held and spam comments are looked at (bounds the pairwise text
/// comparison: at most this squared over two, of at most `MAX_WORDS` shingles each).
const LOOK_AT: i64 = 200;
const MAX_WORDS: usize = 200;
/// Texts shorter than this are never "near-identical" ("Thanks!" is not a campaign).
const MIN_WORDS: usize = 8;
/// Shared 3-word shingles over all of either text: at least this makes two texts "the same".
const NEAR_IDENTICAL: f64 = 0.6;
/// A wave has at least this many comments.
const MIN_WAVE: usize = 3;

#[derive(Debug, Clone, serde::Serialize)]
pub struct Wave {
    /// "linking to example-pills.com" or "near-identical text: “Great article! …”".
    pub label: String,
    pub ids: Vec<CommentId>,
    pub held: usize,
    pub spam: usize,
}

/// Waves among the newest held and spam comments, largest first. `own_host`: the site's own
/// host, whose links never make a wave.
pub fn find(conn: &mut Conn, own_host: &str) -> Result<Vec<Wave>, AppError> {
    let candidates = queue::newest_in(conn, &[CommentStatus::Pending, CommentStatus::Spam], LOOK_AT)?;
    Ok(group(&candidates, own_host))
}

/// Pure: groups by a host linked in the text, then by near-identical text among the rest.
pub fn group(candidates: &[WaveCandidate], own_host: &str) -> Vec<Wave> {
    let mut by_domain: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, c) in candidates.iter().enumerate() {
        let domains: HashSet<String> = classifier::link_domains(&c.body_source);
        for domain in domains.into_iter().filter(|d| d != own_host) {
            by_domain.entry(domain).or_default().push(i);
        }
    }
    let mut waves = Vec::new();
    let mut grouped = HashSet::new();
    for (domain, members) in by_domain.into_iter().filter(|(_, m)| m.len() >= MIN_WAVE) {
        grouped.extend(members.iter().copied());
        waves.push(wave(format!("linking to {domain}"), &members, candidates));
    }
    let rest: Vec<usize> = (0..candidates.len()).filter(|i| !grouped.contains(i)).collect();
    let shingles: Vec<HashSet<u64>> = rest.iter().map(|i| shingles_of(&candidates[*i].body_source)).collect();
    // Union-find over the pairs that are near-identical.
    let mut parent: Vec<usize> = (0..rest.len()).collect();
    fn root(parent: &mut [usize], mut i: usize) -> usize {
        while parent[i] != i {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        i
    }
    for a in 0..rest.len() {
        for b in a + 1..rest.len() {
            if similar(&shingles[a], &shingles[b]) {
                let (ra, rb) = (root(&mut parent, a), root(&mut parent, b));
                parent[ra] = rb;
            }
        }
    }
    let mut by_root: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for (i, member) in rest.iter().enumerate() {
        let r = root(&mut parent, i);
        by_root.entry(r).or_default().push(*member);
    }
    for members in by_root.into_values().filter(|m| m.len() >= MIN_WAVE) {
        let sample: String =
            candidates[members[0]].body_source.split_whitespace().take(8).collect::<Vec<_>>().join(" ");
        waves.push(wave(format!("near-identical text: “{sample} …”"), &members, candidates));
    }
    waves.sort_by(|a, b| b.ids.len().cmp(&a.ids.len()).then(a.label.cmp(&b.label)));
    waves
}

fn wave(label: String, members: &[usize], candidates: &[WaveCandidate]) -> Wave {
    let held = members.iter().filter(|i| candidates[**i].status == CommentStatus::Pending).count();
    Wave { label, ids: members.iter().map(|i| candidates[*i].id).collect(), held, spam: members.len() - held }
}

/// Hashes of the text's 3-word runs (lowercased, digits dropped: spam rotates numbers).
fn shingles_of(text: &str) -> HashSet<u64> {
    use std::hash::{Hash, Hasher};
    let words: Vec<String> = text
        .split(|c: char| !c.is_alphanumeric())
        .map(|w| w.chars().filter(|c| !c.is_ascii_digit()).collect::<String>().to_lowercase())
        .filter(|w| !w.is_empty())
        .take(MAX_WORDS)
        .collect();
    if words.len() < MIN_WORDS {
        return HashSet::new();
    }
    words
        .windows(3)
        .map(|run| {
            let mut h = std::collections::hash_map::DefaultHasher::new();
            run.hash(&mut h);
            h.finish()
        })
        .collect()
}

fn similar(a: &HashSet<u64>, b: &HashSet<u64>) -> bool {
    if a.is_empty() || b.is_empty() {
        return false;
    }
    let shared = a.intersection(b).count() as f64;
    shared / a.len().max(b.len()) as f64 >= NEAR_IDENTICAL
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(id: i32, text: &str, url: &str) -> WaveCandidate {
        WaveCandidate {
            id: CommentId(id),
            status: CommentStatus::Pending,
            url: Some(url.to_string()).filter(|u| !u.is_empty()),
            body_source: text.to_string(),
        }
    }

    #[test]
    fn groups_by_domain_and_by_near_identical_text() {
        let comments = vec![
            c(1, "see https://pills.example/x", ""),
            c(2, "great deals at http://www.pills.example", ""),
            c(3, "hello https://pills.example/y and https://blog.test/", ""),
            c(4, "Great article, I learned a lot from this post, thanks 123", ""),
            c(5, "Great article, I learned a lot from this post, thanks 456!", ""),
            c(6, "great article i learned a lot from this post thanks", ""),
            c(7, "The pigment faded after two years", ""),
            c(8, "Does sweating matter while it heals?", ""),
        ];
        let waves = group(&comments, "blog.test");
        assert_eq!(waves.len(), 2, "{waves:?}");
        let domain = waves.iter().find(|w| w.label == "linking to pills.example").expect("a domain wave");
        assert_eq!(domain.ids, vec![CommentId(1), CommentId(2), CommentId(3)]);
        let text = waves.iter().find(|w| w.label.starts_with("near-identical")).expect("a text wave");
        assert_eq!(text.ids, vec![CommentId(4), CommentId(5), CommentId(6)]);
    }

    #[test]
    fn two_alike_short_texts_websites_and_the_site_itself_are_not_waves() {
        let comments = vec![c(1, "see https://x.example", ""), c(2, "see https://x.example", "")];
        assert!(group(&comments, "blog.test").is_empty(), "two are not a wave");
        let thanks = vec![c(1, "Thanks!", ""), c(2, "Thanks!", ""), c(3, "thanks", "")];
        assert!(group(&thanks, "blog.test").is_empty(), "short texts are not a campaign");
        let sites: Vec<WaveCandidate> =
            (1..=3).map(|i| c(i, &format!("Reader number {i}"), "https://github.io")).collect();
        assert!(group(&sites, "blog.test").is_empty(), "a shared website field is not a wave");
        let own: Vec<WaveCandidate> =
            (1..=3).map(|i| c(i, &format!("see https://blog.test/post-{i}"), "")).collect();
        assert!(group(&own, "blog.test").is_empty(), "links to the site itself are not a wave");
        let subdomains =
            vec![c(1, "https://a.co.uk", ""), c(2, "https://b.co.uk", ""), c(3, "https://c.co.uk", "")];
        assert!(group(&subdomains, "blog.test").is_empty(), "unrelated sites under one suffix");
    }
}
