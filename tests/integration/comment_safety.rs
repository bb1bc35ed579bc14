//! Hostile input: XSS payloads come out inert, and no commenter email or IP reaches any
//! public page, feed or sitemap.

use crate::common::{comment_id, comments_section, seed_article, CommentDraft, TestApp};
use marginalia::config::ModerationMode;

const SLUG: &str = "does-smp-hair-treatment-treat-hair-loss";

/// Payloads that would run script, load something, or break out of markup if not cleaned.
const XSS_PAYLOADS: &[&str] = &[
    "<script>window.__xss=1</script>",
    "<SCRIPT SRC=https://evil.example/x.js></SCRIPT>",
    "<img src=x onerror=\"window.__xss=1\">",
    "<svg onload=window.__xss=1>",
    "<svg><script>window.__xss=1</script></svg>",
    "<iframe src=\"javascript:window.__xss=1\"></iframe>",
    "<body onload=window.__xss=1>",
    "<a href=\"javascript:window.__xss=1\">click</a>",
    "[click](javascript:window.__xss=1)",
    "[click](JaVaScRiPt:window.__xss=1)",
    "[click](java\tscript:window.__xss=1)",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[click](vbscript:msgbox(1))",
    "![x](javascript:window.__xss=1)",
    "![x\" onerror=\"window.__xss=1](https://e.example/x.png)",
    "<details open ontoggle=window.__xss=1>",
    "<div style=\"background:url(javascript:window.__xss=1)\">x</div>",
    "<style>*{background:url(javascript:1)}</style>",
    "<math><mtext><table><mglyph><style><img src=x onerror=window.__xss=1>",
    "<noscript><p title=\"</noscript><img src=x onerror=window.__xss=1>\">",
    "\"><script>window.__xss=1</script>",
    "'><img src=x onerror=window.__xss=1>",
    "&lt;script&gt;window.__xss=1&lt;/script&gt;",
    "&#60;script&#62;window.__xss=1&#60;/script&#62;",
    "<scr<script>ipt>window.__xss=1</scr</script>ipt>",
    "<<script>script>window.__xss=1<</script>/script>",
    "<input autofocus onfocus=window.__xss=1>",
    "<form action=javascript:window.__xss=1><button>x</button></form>",
    "<object data=\"javascript:window.__xss=1\"></object>",
    "<embed src=\"javascript:window.__xss=1\">",
    "<meta http-equiv=\"refresh\" content=\"0;url=javascript:window.__xss=1\">",
    "<link rel=stylesheet href=javascript:window.__xss=1>",
    "<a href=\"https://ok.example\" onclick=\"window.__xss=1\">ok</a>",
    "[ok](https://ok.example \"title\\\" onmouseover=\\\"window.__xss=1\")",
    "<base href=\"javascript:/\">",
    "`<script>window.__xss=1</script>`",
    "```\n<script>window.__xss=1</script>\n```",
    "<svg><a xlink:href=\"javascript:window.__xss=1\"><text>x</text></a></svg>",
    "<img src=\"x\" onerror=&#97;&#108;&#101;&#114;&#116;(1)>",
    "<a href=\"&#106;avascript:window.__xss=1\">x</a>",
    "<a href=\"jav&#x09;ascript:window.__xss=1\">x</a>",
    "<!--<img src=\"--><img src=x onerror=window.__xss=1//\">",
];

/// Parses the HTML as a browser would and checks no element could run or load anything:
/// only expected tags, no event handlers, no style, no script URLs.
fn assert_inert(section: &str, context: &str) {
    const ALLOWED: &[&str] = &[
        "html",
        "head",
        "body",
        "section",
        "h2",
        "ol",
        "li",
        "article",
        "header",
        "span",
        "a",
        "time",
        "div",
        "p",
        "br",
        "em",
        "strong",
        "del",
        "code",
        "pre",
        "blockquote",
        "ul",
        "nav",
    ];
    let document = scraper::Html::parse_fragment(section);
    let mut elements = 0;
    for node in document.tree.nodes() {
        let Some(element) = node.value().as_element() else {
            continue;
        };
        elements += 1;
        let name = element.name();
        assert!(ALLOWED.contains(&name), "{context}: element <{name}> in {section}");
        for (attr, value) in element.attrs() {
            let attr = attr.to_ascii_lowercase();
            assert!(!attr.starts_with("on"), "{context}: handler {attr} on <{name}>");
            assert_ne!(attr, "style", "{context}: style on <{name}>");
            if attr == "href" || attr == "src" || attr == "action" {
                let url: String = value.chars().filter(|c| !c.is_whitespace() && !c.is_control()).collect();
                let url = url.to_ascii_lowercase();
                for scheme in ["javascript:", "vbscript:", "data:"] {
                    assert!(!url.starts_with(scheme), "{context}: {attr}={value} on <{name}>");
                }
            }
        }
    }
    assert!(elements > 0, "{context}: nothing parsed");
}

#[tokio::test]
async fn xss_payloads_in_the_comment_text_come_out_inert() {
    assert!(XSS_PAYLOADS.len() >= 30);
    let app = TestApp::builder()
        .with_config(|c| {
            c.comments.moderation = ModerationMode::None;
            c.comments.max_links = 0;
            c.comments.builtin_disallowed = false;
        })
        .spawn()
        .await;
    app.import(&seed_article());
    for (n, payload) in XSS_PAYLOADS.iter().enumerate() {
        let draft = CommentDraft::new(&format!("Tester {n}"), &format!("t{n}@example.org"), payload);
        let id = comment_id(&app.submit(SLUG, draft).await);
        app.set_comment_status(id, "approved");
    }
    let (status, html) = app.get_text(&format!("/posts/{SLUG}")).await;
    assert_eq!(status, 200);
    let section = comments_section(&html);
    assert_eq!(section.matches("class=\"comment-content\"").count(), XSS_PAYLOADS.len());
    assert_inert(section, "page");
    let (_, feed) = app.get_text("/comments/feed.xml").await;
    let feed = <atom_syndication::Feed as std::str::FromStr>::from_str(&feed).unwrap();
    // The feed shows at most its newest entries; an empty feed would prove nothing.
    assert_eq!(
        feed.entries().len(),
        XSS_PAYLOADS.len().min(30),
        "expected the 30 newest hostile comments in the feed"
    );
    for entry in feed.entries() {
        let content = entry.content().and_then(|c| c.value()).expect("an entry with content");
        assert!(!content.is_empty());
        assert_inert(content, "feed");
    }
}

#[tokio::test]
async fn hostile_names_and_websites_are_escaped_or_refused() {
    let app = TestApp::builder()
        .with_config(|c| {
            c.comments.moderation = ModerationMode::None;
            c.comments.builtin_disallowed = false;
        })
        .spawn()
        .await;
    app.import(&seed_article());
    let names = [
        "<script>window.__xss=1</script>",
        "\"><img src=x onerror=window.__xss=1>",
        "' onmouseover='window.__xss=1",
    ];
    for (n, name) in names.iter().enumerate() {
        let draft = CommentDraft::new(name, &format!("n{n}@example.org"), &format!("named {n}"))
            .set("url", "https://ok.example/\"onmouseover=\"window.__xss=1");
        let response = app.submit(SLUG, draft).await;
        if response.status() == 303 {
            app.set_comment_status(comment_id(&response), "approved");
        }
    }
    for url in ["javascript:window.__xss=1", "data:text/html,<script>1</script>", "vbscript:x"] {
        let response = app.submit(SLUG, CommentDraft::new("U", "u@example.org", url).set("url", url)).await;
        assert_eq!(response.status(), 422, "{url} refused");
    }
    let (_, html) = app.get_text(&format!("/posts/{SLUG}")).await;
    let section = comments_section(&html);
    assert_inert(section, "names");
    assert!(
        section.contains("&lt;script&gt;window.__xss=1&lt;&#x2F;script&gt;")
            || section.contains("&lt;script&gt;")
    );
    assert!(section.contains("rel=\"nofollow ugc noopener\" class=\"url\""));
}

#[tokio::test]
async fn no_commenter_email_or_ip_on_any_public_page() {
    let app = TestApp::builder().with_config(|c| c.comments.moderation = ModerationMode::None).spawn().await;
    app.import(&seed_article());
    app.article("second", "Second", 24, "Health and Fitness", &["smp"]);
    let emails = ["private.reader@example.org", "another.person@mail.example.net"];
    let mut parent = 0;
    for (n, email) in emails.iter().enumerate() {
        let draft = CommentDraft::new(
            &format!("Reader {n}"),
            email,
            &format!("Comment {n} with a link https://ok.example"),
        )
        .set("url", "https://reader.example")
        .set("comment_parent", &parent.to_string());
        let id = comment_id(&app.submit(SLUG, draft).await);
        app.set_comment_status(id, "approved");
        parent = id;
    }
    let held = CommentDraft::new("Held", "held.reader@example.org", "held one");
    app.submit(SLUG, held).await;

    let stranger = app.new_client();
    let pages = [
        "/".to_string(),
        format!("/posts/{SLUG}"),
        "/posts/second".into(),
        "/category/health-and-fitness".into(),
        "/tag/smp".into(),
        "/feed.xml".into(),
        "/comments/feed.xml".into(),
        "/sitemap.xml".into(),
        "/sitemap-posts-1.xml".into(),
        "/sitemap-site.xml".into(),
        "/robots.txt".into(),
        "/nope".into(),
    ];
    for path in &pages {
        let body = stranger.get(app.url(path)).send().await.unwrap().text().await.unwrap();
        for needle in ["@example.org", "@mail.example.net", "127.0.0.1", "example.org&quot;", "gravatar"] {
            assert!(!body.contains(needle), "{path} contains {needle}");
        }
    }
    // The comments did render (the crawl looked at real content).
    let body = stranger.get(app.url(&format!("/posts/{SLUG}"))).send().await.unwrap().text().await.unwrap();
    assert!(body.contains("Comment 0") && body.contains("Comment 1"));
}
