//! Every shipped language (issue 18): with `site.language` set, the article page, the form's
//! errors and the mails to commenters are in that language, with no English catalogue
//! phrase left over.

use marginalia::db::enums::CommentStatus;
use marginalia::i18n::Locale;
use marginalia::services::moderation::Action;

use crate::common::{comment_id, CommentDraft, TestApp};

const SLUG: &str = "hello";

/// The phrases of the English catalogue: the text between its placeables, of two words or
/// more (a single word such as "Feed" may be the same in another language).
fn english_phrases() -> Vec<String> {
    let mut phrases = Vec::new();
    for line in include_str!("../../locales/en.ftl").lines() {
        let line = line.trim();
        if line.starts_with('#') || line.ends_with("->") || line == "}" {
            continue;
        }
        let value = match line.split_once(" = ") {
            Some((_, value)) => value,
            None => line.trim_start_matches('*').split_once(']').map(|(_, v)| v).unwrap_or(""),
        };
        let mut text = String::new();
        let mut depth = 0;
        for ch in value.chars() {
            match ch {
                '{' => {
                    depth += 1;
                    text.push('\n');
                }
                '}' => depth -= 1,
                _ if depth == 0 => text.push(ch),
                _ => {}
            }
        }
        for piece in text.split('\n') {
            let piece = piece.trim_matches(|c: char| !c.is_alphanumeric());
            if piece.split_whitespace().count() >= 2 {
                phrases.push(piece.to_string());
            }
        }
    }
    phrases.sort();
    phrases.dedup();
    phrases
}

fn unescape(html: &str) -> String {
    html.replace("&#x27;", "'")
        .replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

fn assert_no_english(what: &str, text: &str, phrases: &[String]) {
    let text = unescape(text);
    let left: Vec<&String> = phrases.iter().filter(|p| text.contains(p.as_str())).collect();
    assert!(left.is_empty(), "{what} still has English: {left:?}\n{text}");
}

async fn everything_a_reader_sees_is_in(language: &str) {
    let app = TestApp::builder()
        .with_config({
            let language = language.to_string();
            move |c| c.site.language = language
        })
        .spawn()
        .await;
    let locale = Locale::get(language);
    assert_eq!(locale.code(), language, "a shipped catalogue");
    let phrases = english_phrases();
    assert!(phrases.len() > 100, "the English catalogue read: {}", phrases.len());
    app.article(SLUG, "Merhaba", 20, "Genel", &["etiket"]);

    // Pat comments (held: a first comment), asks for both mails, and is approved.
    let pat = app.new_client();
    let draft = CommentDraft::new("Pat", "pat@example.org", "Birinci yorum.")
        .set("notify_replies", "yes")
        .set("notify_published", "yes");
    let first = comment_id(&app.submit_with(&pat, SLUG, draft).await);
    app.moderate(first, Action::Approve);
    // Rex replies; approved, Pat hears of it.
    let rex = app.new_client();
    let reply = CommentDraft::new("Rex", "rex@example.org", "İkinci yorum.")
        .set("comment_parent", &first.to_string());
    let reply = comment_id(&app.submit_with(&rex, SLUG, reply).await);
    app.moderate(reply, Action::Approve);
    // Sue's comment is still held: her browser shows it "awaiting moderation".
    let sue = app.new_client();
    let held = comment_id(
        &app.submit_with(&sue, SLUG, CommentDraft::new("Sue", "sue@example.org", "Üçüncü.")).await,
    );
    assert_eq!(app.comment_status(held).0, CommentStatus::Pending.to_string());

    let page = sue.get(app.url(&format!("/posts/{SLUG}"))).send().await.unwrap().text().await.unwrap();
    assert!(page.contains(&format!("<html lang=\"{language}\" dir=\"{}\">", locale.dir())), "lang and dir");
    for id in [
        "form-submit",
        "form-leave-reply",
        "comment-awaiting-moderation",
        "comment-reply",
        "form-email-notes",
    ] {
        let words = marginalia::templates::escape_html(&locale.get_text(id));
        assert!(page.contains(&words), "{language}: {id} shown as {words:?}");
    }
    assert_no_english("the article page", &page, &phrases);

    // A refused form: every field's message in the language, the text kept.
    let refused = app.submit_with(&rex, SLUG, CommentDraft::new("", "not-an-email", "Yine ben.")).await;
    assert_eq!(refused.status(), 422);
    let refused = refused.text().await.unwrap();
    for id in ["error-name-required", "error-email-invalid", "form-check-fields"] {
        let words = marginalia::templates::escape_html(&locale.get_text(id));
        assert!(refused.contains(&words), "{language}: {id} shown as {words:?}");
    }
    assert!(refused.contains("Yine ben."));
    assert_no_english("the refused form", &refused, &phrases);

    // The mails to Pat: published, a reply, and the manage-my-comments link.
    pat.post(app.url("/privacy/manage")).form(&[("email", "pat@example.org")]).send().await.unwrap();
    let mut to_pat = Vec::new();
    for _ in 0..100 {
        to_pat = app
            .smtp
            .messages()
            .into_iter()
            .filter(|m| m.to.contains(&"pat@example.org".to_string()))
            .collect();
        if to_pat.len() >= 3 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(to_pat.len(), 3, "published, reply and link mails");
    for mail in &to_pat {
        let all = format!("{}\n{}\n{}", mail.subject(), mail.text(), mail.html());
        assert_no_english(&format!("the mail {:?}", mail.subject()), &all, &phrases);
    }
    let subjects: Vec<String> = to_pat.iter().map(|m| m.subject()).collect();
    assert!(subjects.iter().any(|s| s.contains("Rex")), "{subjects:?}");

    // The privacy page, the page a mail's "stop" link opens, and the article's comment feed.
    let (_, privacy) = app.get_text("/privacy").await;
    assert_no_english("the privacy page", &privacy, &phrases);
    let reply_mail = to_pat.iter().find(|m| m.subject().contains("Rex")).unwrap();
    let stop = reply_mail.header("List-Unsubscribe").expect("List-Unsubscribe");
    let stop = stop.trim_matches(|c| c == '<' || c == '>').trim_start_matches("http://blog.test");
    let (status, stop_page) = app.get_text(stop).await;
    assert_eq!(status, 200, "{stop}");
    assert!(stop_page.contains(&marginalia::templates::escape_html(&locale.get_text("unsubscribe-button"))));
    assert_no_english("the unsubscribe page", &stop_page, &phrases);
    let (_, feed) = app.get_text(&format!("/posts/{SLUG}/comments.xml")).await;
    assert!(feed.contains("Rex"), "{feed}");
    assert_no_english("the comment feed", &feed, &phrases);

    // Error pages: a missing page, an address with a bad query, an edit from another browser.
    let edit = format!("/comments/{reply}/edit");
    for (path, status) in [("/posts/no-such-post", 404), ("/?page=x", 400), (edit.as_str(), 403)] {
        let (got, page) = app.get_text(path).await;
        assert_eq!(got, status, "{path}");
        assert!(page.contains(&format!("dir=\"{}\"", locale.dir())), "{path}: the themed page");
        assert_no_english(&format!("the error page of {path}"), &page, &phrases);
    }

    // Pat's comment erased at Pat's request: shown under the language's "Anonymous".
    let config = app.state.config.clone();
    app.write(move |tx| {
        marginalia::services::privacy::erase(
            tx,
            &config,
            "test",
            "pat@example.org",
            false,
            Some(marginalia::db::ids::CommentId(first)),
        )
    })
    .unwrap();
    let (_, page) = app.get_text(&format!("/posts/{SLUG}")).await;
    for id in ["comment-anonymous", "comment-removed"] {
        let words = marginalia::templates::escape_html(&locale.get_text(id));
        assert!(page.contains(&words), "{language}: {id} shown as {words:?}");
    }
    assert_no_english("the page with an erased comment", &page, &phrases);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn german() {
    everything_a_reader_sees_is_in("de").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn french() {
    everything_a_reader_sees_is_in("fr").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn spanish() {
    everything_a_reader_sees_is_in("es").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn turkish() {
    everything_a_reader_sees_is_in("tr").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn arabic() {
    everything_a_reader_sees_is_in("ar").await;
}

#[test]
fn the_check_finds_english_where_it_is() {
    let phrases = english_phrases();
    assert!(phrases.iter().any(|p| p == "Leave a Reply"));
    assert!(phrases.iter().any(|p| p.starts_with("Your comment is awaiting moderation")));
    let english_page = "<h3>Leave a Reply</h3>";
    assert!(phrases.iter().any(|p| english_page.contains(p.as_str())));
}
