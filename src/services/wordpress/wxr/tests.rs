#![allow(clippy::unwrap_used, clippy::expect_used)]
use super::*;
use std::convert::Infallible;

fn read_all(xml: &str) -> Result<Vec<WxrEvent>, WxrError> {
    let mut events = Vec::new();
    read_wxr(xml.as_bytes(), |event| {
        events.push(event);
        Ok::<(), Infallible>(())
    })
    .map_err(ReadError::into_wxr)?;
    Ok(events)
}

fn items(events: &[WxrEvent]) -> Vec<&WxrItem> {
    events
        .iter()
        .filter_map(|event| match event {
            WxrEvent::Item(item) => Some(item.as_ref()),
            _ => None,
        })
        .collect()
}

fn syntax_error(xml: &str) -> (u64, String) {
    match read_all(xml) {
        Err(WxrError::Syntax { offset, message }) => (offset, message),
        other => panic!("expected a syntax error, got {other:?}"),
    }
}

const HEADER: &str = r#"<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0"
	xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"
	xmlns:content="http://purl.org/rss/1.0/modules/content/"
	xmlns:wfw="http://wellformedweb.org/CommentAPI/"
	xmlns:dc="http://purl.org/dc/elements/1.1/"
	xmlns:wp="http://wordpress.org/export/1.2/"
>
"#;

fn wxr12(body: &str) -> String {
    format!(
        "{HEADER}<channel>\n\t<title>Test Blog</title>\n\t<wp:wxr_version>1.2</wp:wxr_version>\n{body}\n\
         </channel>\n</rss>\n"
    )
}

const FULL: &str = r#"<?xml version="1.0" encoding="UTF-8" ?>
<!-- generator="WordPress/6.4.3" created="2024-03-01 10:00" -->
<rss version="2.0"
	xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"
	xmlns:content="http://purl.org/rss/1.0/modules/content/"
	xmlns:wfw="http://wellformedweb.org/CommentAPI/"
	xmlns:dc="http://purl.org/dc/elements/1.1/"
	xmlns:wp="http://wordpress.org/export/1.2/"
>

<channel>
	<title>My Blog</title>
	<link>https://example.com</link>
	<description>Just another WordPress site</description>
	<pubDate>Fri, 01 Mar 2024 10:00:00 +0000</pubDate>
	<language>en-US</language>
	<wp:wxr_version>1.2</wp:wxr_version>
	<wp:base_site_url>https://example.com</wp:base_site_url>
	<wp:base_blog_url>https://example.com/blog</wp:base_blog_url>

	<wp:author><wp:author_id>1</wp:author_id><wp:author_login><![CDATA[admin]]></wp:author_login><wp:author_email><![CDATA[admin@example.com]]></wp:author_email><wp:author_display_name><![CDATA[Ada Admin]]></wp:author_display_name><wp:author_first_name><![CDATA[Ada]]></wp:author_first_name><wp:author_last_name><![CDATA[]]></wp:author_last_name></wp:author>

	<wp:category>
		<wp:term_id>1</wp:term_id>
		<wp:category_nicename><![CDATA[news]]></wp:category_nicename>
		<wp:category_parent><![CDATA[]]></wp:category_parent>
		<wp:cat_name><![CDATA[News]]></wp:cat_name>
	</wp:category>
	<wp:category>
		<wp:term_id>2</wp:term_id>
		<wp:category_nicename><![CDATA[local]]></wp:category_nicename>
		<wp:category_parent><![CDATA[news]]></wp:category_parent>
		<wp:cat_name><![CDATA[Local &amp; Regional]]></wp:cat_name>
		<wp:category_description><![CDATA[Close to home]]></wp:category_description>
	</wp:category>
	<wp:tag>
		<wp:term_id>3</wp:term_id>
		<wp:tag_slug><![CDATA[rust]]></wp:tag_slug>
		<wp:tag_name><![CDATA[Rust]]></wp:tag_name>
	</wp:tag>
	<wp:term><wp:term_id>4</wp:term_id><wp:term_taxonomy><![CDATA[nav_menu]]></wp:term_taxonomy><wp:term_slug><![CDATA[main]]></wp:term_slug><wp:term_name><![CDATA[Main]]></wp:term_name><wp:termmeta><wp:meta_key><![CDATA[color]]></wp:meta_key><wp:meta_value><![CDATA[blue]]></wp:meta_value></wp:termmeta></wp:term>

	<generator>https://wordpress.org/?v=6.4.3</generator>

	<item>
		<title><![CDATA[Hello world!]]></title>
		<link>https://example.com/blog/hello-world/</link>
		<pubDate>Fri, 01 Mar 2024 09:00:00 +0000</pubDate>
		<dc:creator><![CDATA[admin]]></dc:creator>
		<guid isPermaLink="false">https://example.com/?p=1</guid>
		<description></description>
		<content:encoded><![CDATA[<!-- wp:paragraph -->
<p>Welcome to WordPress.</p>
<!-- /wp:paragraph -->]]></content:encoded>
		<excerpt:encoded><![CDATA[]]></excerpt:encoded>
		<wp:post_id>1</wp:post_id>
		<wp:post_date><![CDATA[2024-03-01 09:00:00]]></wp:post_date>
		<wp:post_date_gmt><![CDATA[2024-03-01 09:00:00]]></wp:post_date_gmt>
		<wp:post_modified><![CDATA[2024-03-01 09:30:00]]></wp:post_modified>
		<wp:post_modified_gmt><![CDATA[2024-03-01 09:30:00]]></wp:post_modified_gmt>
		<wp:comment_status><![CDATA[open]]></wp:comment_status>
		<wp:ping_status><![CDATA[open]]></wp:ping_status>
		<wp:post_name><![CDATA[hello-world]]></wp:post_name>
		<wp:status><![CDATA[publish]]></wp:status>
		<wp:post_parent>0</wp:post_parent>
		<wp:menu_order>0</wp:menu_order>
		<wp:post_type><![CDATA[post]]></wp:post_type>
		<wp:post_password><![CDATA[]]></wp:post_password>
		<wp:is_sticky>1</wp:is_sticky>
		<category domain="category" nicename="news"><![CDATA[News]]></category>
		<category domain="category" nicename="local"><![CDATA[Local &amp; Regional]]></category>
		<category domain="post_tag" nicename="rust"><![CDATA[Rust]]></category>
		<wp:postmeta>
		<wp:meta_key><![CDATA[_edit_last]]></wp:meta_key>
		<wp:meta_value><![CDATA[1]]></wp:meta_value>
		</wp:postmeta>
		<wp:comment>
			<wp:comment_id>1</wp:comment_id>
			<wp:comment_author><![CDATA[A WordPress Commenter]]></wp:comment_author>
			<wp:comment_author_email><![CDATA[wapuu@wordpress.example]]></wp:comment_author_email>
			<wp:comment_author_url>https://wordpress.org/</wp:comment_author_url>
			<wp:comment_author_IP><![CDATA[127.0.0.1]]></wp:comment_author_IP>
			<wp:comment_date><![CDATA[2024-03-01 09:05:00]]></wp:comment_date>
			<wp:comment_date_gmt><![CDATA[2024-03-01 09:05:00]]></wp:comment_date_gmt>
			<wp:comment_content><![CDATA[Hi, this is a comment.
To get started...]]></wp:comment_content>
			<wp:comment_approved><![CDATA[1]]></wp:comment_approved>
			<wp:comment_type><![CDATA[comment]]></wp:comment_type>
			<wp:comment_parent>0</wp:comment_parent>
			<wp:comment_user_id>0</wp:comment_user_id>
			<wp:commentmeta>
				<wp:meta_key><![CDATA[rating]]></wp:meta_key>
				<wp:meta_value><![CDATA[5]]></wp:meta_value>
			</wp:commentmeta>
		</wp:comment>
		<wp:comment>
			<wp:comment_id>2</wp:comment_id>
			<wp:comment_author><![CDATA[Ada Admin]]></wp:comment_author>
			<wp:comment_author_email><![CDATA[admin@example.com]]></wp:comment_author_email>
			<wp:comment_author_url></wp:comment_author_url>
			<wp:comment_author_IP><![CDATA[10.0.0.1]]></wp:comment_author_IP>
			<wp:comment_date><![CDATA[2024-03-01 09:10:00]]></wp:comment_date>
			<wp:comment_date_gmt><![CDATA[2024-03-01 09:10:00]]></wp:comment_date_gmt>
			<wp:comment_content><![CDATA[  Thanks!  ]]></wp:comment_content>
			<wp:comment_approved><![CDATA[1]]></wp:comment_approved>
			<wp:comment_type><![CDATA[comment]]></wp:comment_type>
			<wp:comment_parent>1</wp:comment_parent>
			<wp:comment_user_id>1</wp:comment_user_id>
		</wp:comment>
		<wp:comment>
			<wp:comment_id>3</wp:comment_id>
			<wp:comment_author><![CDATA[Other Blog]]></wp:comment_author>
			<wp:comment_author_email><![CDATA[]]></wp:comment_author_email>
			<wp:comment_author_url>https://other.example/post</wp:comment_author_url>
			<wp:comment_author_IP><![CDATA[192.0.2.7]]></wp:comment_author_IP>
			<wp:comment_date><![CDATA[2024-03-01 09:20:00]]></wp:comment_date>
			<wp:comment_date_gmt><![CDATA[2024-03-01 09:20:00]]></wp:comment_date_gmt>
			<wp:comment_content><![CDATA[[&#8230;] linked here [&#8230;]]]></wp:comment_content>
			<wp:comment_approved><![CDATA[spam]]></wp:comment_approved>
			<wp:comment_type><![CDATA[pingback]]></wp:comment_type>
			<wp:comment_parent>0</wp:comment_parent>
			<wp:comment_user_id>0</wp:comment_user_id>
		</wp:comment>
	</item>
	<item>
		<title><![CDATA[About]]></title>
		<link>https://example.com/about/</link>
		<pubDate>Fri, 01 Mar 2024 09:00:00 +0000</pubDate>
		<dc:creator><![CDATA[admin]]></dc:creator>
		<guid isPermaLink="false">https://example.com/?page_id=2</guid>
		<description></description>
		<content:encoded><![CDATA[About us.]]></content:encoded>
		<excerpt:encoded><![CDATA[]]></excerpt:encoded>
		<wp:post_id>2</wp:post_id>
		<wp:post_date><![CDATA[2024-03-01 09:00:00]]></wp:post_date>
		<wp:post_date_gmt><![CDATA[0000-00-00 00:00:00]]></wp:post_date_gmt>
		<wp:comment_status><![CDATA[closed]]></wp:comment_status>
		<wp:ping_status><![CDATA[closed]]></wp:ping_status>
		<wp:post_name><![CDATA[about]]></wp:post_name>
		<wp:status><![CDATA[draft]]></wp:status>
		<wp:post_parent>0</wp:post_parent>
		<wp:menu_order>3</wp:menu_order>
		<wp:post_type><![CDATA[page]]></wp:post_type>
		<wp:post_password><![CDATA[s3cret]]></wp:post_password>
		<wp:is_sticky>0</wp:is_sticky>
		<wp:postmeta>
		<wp:meta_key><![CDATA[_wp_page_template]]></wp:meta_key>
		<wp:meta_value><![CDATA[default]]></wp:meta_value>
		</wp:postmeta>
	</item>
</channel>
</rss>
"#;

#[test]
fn reads_a_full_wxr_1_2_export_in_order() {
    let events = read_all(FULL).unwrap();
    let kinds: Vec<&str> = events
        .iter()
        .map(|event| match event {
            WxrEvent::Channel(_) => "channel",
            WxrEvent::Author(_) => "author",
            WxrEvent::Category(_) => "category",
            WxrEvent::Tag(_) => "tag",
            WxrEvent::Term(_) => "term",
            WxrEvent::Item(_) => "item",
        })
        .collect();
    assert_eq!(kinds, ["channel", "author", "category", "category", "tag", "term", "item", "item"]);

    assert_eq!(
        events[0],
        WxrEvent::Channel(WxrChannel {
            title: "My Blog".into(),
            link: "https://example.com".into(),
            description: "Just another WordPress site".into(),
            language: "en-US".into(),
            base_site_url: "https://example.com".into(),
            base_blog_url: "https://example.com/blog".into(),
            wxr_version: "1.2".into(),
        })
    );
    assert_eq!(
        events[1],
        WxrEvent::Author(WxrAuthor {
            id: Some(1),
            login: "admin".into(),
            email: "admin@example.com".into(),
            display_name: "Ada Admin".into(),
            first_name: "Ada".into(),
            last_name: String::new(),
        })
    );
    assert_eq!(
        events[2],
        WxrEvent::Category(WxrTerm {
            term_id: Some(1),
            taxonomy: "category".into(),
            slug: "news".into(),
            name: "News".into(),
            parent: None,
            description: String::new(),
            meta: vec![],
        })
    );
    let WxrEvent::Category(local) = &events[3] else { panic!() };
    assert_eq!(local.parent.as_deref(), Some("news"));
    // CDATA is verbatim: an escaped entity inside it stays escaped.
    assert_eq!(local.name, "Local &amp; Regional");
    assert_eq!(local.description, "Close to home");
    let WxrEvent::Tag(tag) = &events[4] else { panic!() };
    assert_eq!((tag.term_id, tag.slug.as_str(), tag.name.as_str()), (Some(3), "rust", "Rust"));
    assert_eq!(tag.taxonomy, "post_tag");
    let WxrEvent::Term(term) = &events[5] else { panic!() };
    assert_eq!(term.taxonomy, "nav_menu");
    assert_eq!((term.slug.as_str(), term.name.as_str()), ("main", "Main"));
    assert_eq!(term.meta, [("color".to_string(), "blue".to_string())]);

    let items = items(&events);
    let post = items[0];
    assert_eq!(post.title, "Hello world!");
    assert_eq!(post.link, "https://example.com/blog/hello-world/");
    assert_eq!(post.creator, "admin");
    assert_eq!(post.guid, "https://example.com/?p=1");
    assert_eq!(post.content, "<!-- wp:paragraph -->\n<p>Welcome to WordPress.</p>\n<!-- /wp:paragraph -->");
    assert_eq!(post.excerpt, "");
    assert_eq!(post.post_id, 1);
    assert_eq!(post.post_date, "2024-03-01 09:00:00");
    assert_eq!(post.post_modified, "2024-03-01 09:30:00");
    assert_eq!(post.status, "publish");
    assert_eq!(post.post_type, "post");
    assert!(post.is_sticky);
    assert_eq!(
        post.terms,
        [
            WxrItemTerm { domain: "category".into(), slug: "news".into(), name: "News".into() },
            WxrItemTerm {
                domain: "category".into(),
                slug: "local".into(),
                name: "Local &amp; Regional".into()
            },
            WxrItemTerm { domain: "post_tag".into(), slug: "rust".into(), name: "Rust".into() },
        ]
    );
    assert_eq!(post.meta, [("_edit_last".to_string(), "1".to_string())]);
    assert_eq!(post.comments.len(), 3);
    let first = &post.comments[0];
    assert_eq!(first.id, 1);
    assert_eq!(first.author, "A WordPress Commenter");
    assert_eq!(first.author_url, "https://wordpress.org/");
    assert_eq!(first.author_ip, "127.0.0.1");
    assert_eq!(first.content, "Hi, this is a comment.\nTo get started...");
    assert_eq!(first.comment_type, "comment");
    assert_eq!(first.meta, [("rating".to_string(), "5".to_string())]);
    let reply = &post.comments[1];
    assert_eq!((reply.id, reply.parent, reply.user_id), (2, 1, 1));
    assert_eq!(reply.content, "  Thanks!  ", "comment content is not trimmed");
    assert!(reply.meta.is_empty());
    let ping = &post.comments[2];
    assert_eq!((ping.comment_type.as_str(), ping.approved.as_str()), ("pingback", "spam"));
    assert_eq!(ping.content, "[&#8230;] linked here [&#8230;]");

    let page = items[1];
    assert_eq!((page.post_id, page.post_type.as_str(), page.status.as_str()), (2, "page", "draft"));
    assert_eq!(page.menu_order, 3);
    assert_eq!(page.post_password, "s3cret");
    assert_eq!(page.post_date_gmt, "0000-00-00 00:00:00");
    assert!(!page.is_sticky);
    assert!(page.terms.is_empty() && page.comments.is_empty());
    assert_eq!(page.meta, [("_wp_page_template".to_string(), "default".to_string())]);

    // Offsets point at the `<item>` start tags.
    for item in items {
        let at = usize::try_from(item.offset).unwrap();
        assert!(FULL[at..].starts_with("<item>"), "offset {at}");
    }
}

#[test]
fn split_cdata_joins_into_the_literal_terminator() {
    let xml = wxr12(
        "<item><wp:post_id>7</wp:post_id>\
         <content:encoded><![CDATA[a ]]]]><![CDATA[> b]]></content:encoded>\
         <title><![CDATA[x]]]]><![CDATA[>y]]></title></item>",
    );
    let events = read_all(&xml).unwrap();
    let item = items(&events)[0];
    assert_eq!(item.content, "a ]]> b");
    assert_eq!(item.title, "x]]>y");
}

#[test]
fn entities_are_unescaped_in_text_but_not_in_cdata() {
    let xml = wxr12(
        "<item><title>Tom &amp; Jerry&#8217;s &lt;b&gt; &#x1F600; &quot;q&quot; &apos;a&apos;</title>\
         <content:encoded>&lt;p&gt;mixed &amp; <![CDATA[<b>&amp;</b>]]></content:encoded>\
         <category domain=\"post_tag\" nicename=\"r&amp;d\">R&amp;D</category>\
         <wp:post_id>1</wp:post_id></item>",
    );
    let events = read_all(&xml).unwrap();
    let item = items(&events)[0];
    assert_eq!(item.title, "Tom & Jerry\u{2019}s <b> 😀 \"q\" 'a'");
    assert_eq!(item.content, "<p>mixed & <b>&amp;</b>");
    assert_eq!(
        item.terms[0],
        WxrItemTerm { domain: "post_tag".into(), slug: "r&d".into(), name: "R&D".into() }
    );
}

#[test]
fn unicode_emoji_and_backslashes_survive_byte_exact() {
    let content = "Ünïcödé 日本語 👩‍💻🎉 C:\\path\\to \\\\server \\n \\\" \r\n  trailing  \n";
    let xml = wxr12(&format!(
        "<item><title>Émoji 🎉</title><wp:post_id>1</wp:post_id>\
         <content:encoded><![CDATA[{content}]]></content:encoded>\
         <excerpt:encoded><![CDATA[ \\o/ ]]></excerpt:encoded>\
         <wp:postmeta><wp:meta_key>_data</wp:meta_key>\
         <wp:meta_value><![CDATA[a:1:{{s:1:\"k\";s:4:\"\\\\x \";}}]]></wp:meta_value></wp:postmeta>\
         <category domain=\"category\" nicename=\"%e6%97%a5%e6%9c%ac\"><![CDATA[日本]]></category></item>"
    ));
    let events = read_all(&xml).unwrap();
    let item = items(&events)[0];
    assert_eq!(item.content, content);
    assert_eq!(item.title, "Émoji 🎉");
    assert_eq!(item.excerpt, " \\o/ ");
    assert_eq!(item.meta, [("_data".to_string(), "a:1:{s:1:\"k\";s:4:\"\\\\x \";}".to_string())]);
    assert_eq!(item.terms[0].slug, "%e6%97%a5%e6%9c%ac");
    assert_eq!(item.terms[0].name, "日本");
}

const WXR_1_0: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<!-- generator="WordPress/2.9.2" created="2010-03-01 12:00"-->
<rss version="2.0"
	xmlns:excerpt="http://wordpress.org/export/1.0/excerpt/"
	xmlns:content="http://purl.org/rss/1.0/modules/content/"
	xmlns:wfw="http://wellformedweb.org/CommentAPI/"
	xmlns:dc="http://purl.org/dc/elements/1.1/"
	xmlns:wp="http://wordpress.org/export/1.0/"
>
<channel>
	<title>Old Blog</title>
	<link>http://old.example</link>
	<description>Old times</description>
	<pubDate>Mon, 01 Mar 2010 12:00:00 +0000</pubDate>
	<generator>http://wordpress.org/?v=2.9.2</generator>
	<language>en</language>
	<wp:wxr_version>1.0</wp:wxr_version>
	<wp:base_site_url>http://old.example</wp:base_site_url>
	<wp:category><wp:category_nicename>uncategorized</wp:category_nicename><wp:category_parent></wp:category_parent><wp:cat_name><![CDATA[Uncategorized]]></wp:cat_name></wp:category>
	<wp:category><wp:category_nicename>kids</wp:category_nicename><wp:category_parent>uncategorized</wp:category_parent><wp:cat_name><![CDATA[Kids]]></wp:cat_name></wp:category>
	<wp:tag><wp:tag_slug>old</wp:tag_slug><wp:tag_name><![CDATA[old]]></wp:tag_name></wp:tag>
<item>
<title>Hello</title>
<link>http://old.example/?p=1</link>
<pubDate>Mon, 01 Mar 2010 11:00:00 +0000</pubDate>
<dc:creator><![CDATA[admin]]></dc:creator>

		<category><![CDATA[Uncategorized]]></category>

		<category domain="category" nicename="uncategorized"><![CDATA[Uncategorized]]></category>

		<category domain="tag"><![CDATA[old]]></category>

		<category domain="tag" nicename="old"><![CDATA[old]]></category>

<guid isPermaLink="false">http://old.example/?p=1</guid>
<description></description>
<content:encoded><![CDATA[Old post]]></content:encoded>
<excerpt:encoded><![CDATA[]]></excerpt:encoded>
<wp:post_id>1</wp:post_id>
<wp:post_date>2010-03-01 11:00:00</wp:post_date>
<wp:post_date_gmt>2010-03-01 11:00:00</wp:post_date_gmt>
<wp:comment_status>open</wp:comment_status>
<wp:ping_status>open</wp:ping_status>
<wp:post_name>hello</wp:post_name>
<wp:status>publish</wp:status>
<wp:post_parent>0</wp:post_parent>
<wp:menu_order>0</wp:menu_order>
<wp:post_type>post</wp:post_type>
<wp:post_password></wp:post_password>
<wp:comment>
<wp:comment_id>5</wp:comment_id>
<wp:comment_author><![CDATA[Bob]]></wp:comment_author>
<wp:comment_author_email>bob@example.com</wp:comment_author_email>
<wp:comment_author_url></wp:comment_author_url>
<wp:comment_author_IP>127.0.0.1</wp:comment_author_IP>
<wp:comment_date>2010-03-01 11:30:00</wp:comment_date>
<wp:comment_date_gmt>2010-03-01 11:30:00</wp:comment_date_gmt>
<wp:comment_content><![CDATA[Nice]]></wp:comment_content>
<wp:comment_approved>1</wp:comment_approved>
<wp:comment_type></wp:comment_type>
<wp:comment_parent>0</wp:comment_parent>
<wp:comment_user_id>0</wp:comment_user_id>
</wp:comment>
</item>
</channel>
</rss>
"#;

#[test]
fn reads_wxr_1_0() {
    let events = read_all(WXR_1_0).unwrap();
    let WxrEvent::Channel(channel) = &events[0] else { panic!("{events:?}") };
    assert_eq!(channel.wxr_version, "1.0");
    assert_eq!(channel.base_blog_url, "http://old.example", "falls back to base_site_url");
    let WxrEvent::Category(kids) = &events[2] else { panic!() };
    assert_eq!(kids.term_id, None);
    assert_eq!((kids.slug.as_str(), kids.name.as_str()), ("kids", "Kids"));
    assert_eq!(kids.parent.as_deref(), Some("uncategorized"));
    let WxrEvent::Tag(tag) = &events[3] else { panic!() };
    assert_eq!((tag.slug.as_str(), tag.name.as_str()), ("old", "old"));
    let item = items(&events)[0];
    assert_eq!(
        item.terms,
        [
            WxrItemTerm {
                domain: "category".into(),
                slug: "uncategorized".into(),
                name: "Uncategorized".into()
            },
            WxrItemTerm { domain: "post_tag".into(), slug: "old".into(), name: "old".into() },
        ]
    );
    assert!(!item.is_sticky);
    assert_eq!(item.comments[0].id, 5);
    assert_eq!(item.comments[0].comment_type, "");
    assert_eq!(item.comments[0].author, "Bob");
}

#[test]
fn missing_optional_tags_give_defaults() {
    let xml = format!(
        "{HEADER}<channel><wp:wxr_version> 1.1 </wp:wxr_version>\n\
         <item><title>Bare</title><wp:post_id>9</wp:post_id><wp:post_parent></wp:post_parent>\
         <wp:menu_order/><wp:comment><wp:comment_content>x</wp:comment_content>\
         <wp:comment_parent/></wp:comment></item>\n<item/></channel></rss>"
    );
    let events = read_all(&xml).unwrap();
    let WxrEvent::Channel(channel) = &events[0] else { panic!() };
    assert_eq!(channel, &WxrChannel { wxr_version: "1.1".into(), ..Default::default() });
    let items = items(&events);
    assert_eq!(items.len(), 2);
    let bare = items[0];
    assert_eq!((bare.post_id, bare.post_parent, bare.menu_order), (9, 0, 0));
    assert_eq!(bare.content, "");
    assert_eq!(bare.post_type, "");
    assert_eq!(bare.comments[0], WxrComment { content: "x".into(), ..Default::default() });
    assert_eq!(items[1].post_id, 0);
}

#[test]
fn channel_without_entries_is_emitted_at_its_end() {
    let events = read_all(&wxr12("")).unwrap();
    assert_eq!(events.len(), 1);
    assert!(matches!(&events[0], WxrEvent::Channel(c) if c.title == "Test Blog"));
}

#[test]
fn mismatched_tag_is_located() {
    let xml = wxr12("<item>\n\t<title>Oops</titel>\n</item>");
    let (offset, message) = syntax_error(&xml);
    assert!(message.contains("</titel>") && message.contains("</title>"), "{message}");
    let (line, column) = locate(xml.as_bytes(), offset).unwrap();
    let expected_line = xml.lines().position(|l| l.contains("</titel>")).unwrap() as u64 + 1;
    assert_eq!(line, expected_line);
    // `\t<title>Oops</titel>`: the bad end tag starts at character 13 (1-based).
    assert_eq!(column, 13, "offset {offset}: {message}");
}

#[test]
fn locate_counts_characters_not_bytes() {
    let text = "ab\nçé😀x";
    let offset = text.find('x').unwrap() as u64;
    assert_eq!(locate(text.as_bytes(), offset).unwrap(), (2, 4));
    assert_eq!(locate(text.as_bytes(), 0).unwrap(), (1, 1));
    assert_eq!(locate(text.as_bytes(), 1000).unwrap(), (2, 5));
}

#[test]
fn truncated_files_are_errors() {
    let full = FULL;
    for cut in [full.len() - 8, full.find("<wp:post_id>2").unwrap() + 5, full.find("Welcome").unwrap()] {
        let (offset, message) = syntax_error(&full[..cut]);
        assert!(offset <= cut as u64, "{offset} > {cut}");
        assert!(message.contains("truncated"), "cut at {cut}: {message}");
    }
}

#[test]
fn file_without_wxr_version_is_refused() {
    let xml =
        format!("{HEADER}<channel><title>t</title><item><wp:post_id>1</wp:post_id></item></channel></rss>");
    let (offset, message) = syntax_error(&xml);
    assert_eq!(message, "not a WordPress export: no <wp:wxr_version>");
    assert!(xml[usize::try_from(offset).unwrap()..].starts_with("<item>"));

    let empty = format!("{HEADER}<channel><title>t</title></channel></rss>");
    assert_eq!(syntax_error(&empty).1, "not a WordPress export: no <wp:wxr_version>");
}

#[test]
fn other_documents_are_refused() {
    assert!(syntax_error("<html><body/></html>").1.contains("not a WordPress export"));
    assert!(syntax_error("").1.contains("not a WordPress export"));
    assert!(syntax_error("<rss version=\"2.0\"></rss>").1.contains("no <channel>"));
    let bad = syntax_error(&wxr12("").replace(">1.2<", ">2.0<"));
    assert_eq!(bad.1, "unsupported WXR version 2.0");
}

#[test]
fn bad_ids_and_entities_are_errors() {
    let xml = wxr12("<item><wp:post_id>12a</wp:post_id></item>");
    let (offset, message) = syntax_error(&xml);
    assert_eq!(message, "<wp:post_id> is not a number: \"12a\"");
    assert!(xml[usize::try_from(offset).unwrap()..].starts_with("<wp:post_id>"));

    let xml = wxr12("<item><wp:comment><wp:comment_id>x</wp:comment_id></wp:comment></item>");
    assert!(syntax_error(&xml).1.contains("<wp:comment_id> is not a number"));

    // HTML entities (WordPress plugins write them outside CDATA) are read, not refused;
    // an unknown one is an error at its position.
    let xml = wxr12("<item><title>a &nbsp;&raquo; b</title></item>");
    assert_eq!(items(&read_all(&xml).unwrap())[0].title, "a \u{a0}\u{bb} b");
    let xml = wxr12("<item><title>a &bogus; b</title></item>");
    let (offset, message) = syntax_error(&xml);
    assert!(message.contains("&bogus;"), "{message}");
    assert!(xml[usize::try_from(offset).unwrap()..].starts_with("&bogus;"));

    let xml = wxr12("<item><title>a & b</title></item>");
    let (_, message) = syntax_error(&xml);
    assert!(message.contains('&'), "{message}");
}

#[test]
fn stray_nesting_does_not_panic() {
    let xml = wxr12(
        "<item><wp:post_id>1</wp:post_id><item><wp:post_id>2</wp:post_id><title>inner</title></item>\
         <wp:comment><wp:comment><wp:comment_id>3</wp:comment_id></wp:comment></wp:comment>\
         <wp:postmeta><wp:postmeta><wp:meta_key>k</wp:meta_key></wp:postmeta></wp:postmeta>\
         <category domain=\"category\" nicename=\"a\"><category nicename=\"b\">x</category></category>\
         <content:encoded><p>not <b>cdata</b></p></content:encoded>\
         <a><b><c><d><e><f><g><h>deep</h></g></f></e></d></c></b></a></item>",
    );
    let events = read_all(&xml).unwrap();
    let items = items(&events);
    assert_eq!(items.len(), 1);
    assert_eq!(items[0].post_id, 1);
    assert_eq!(items[0].title, "");
}

#[test]
fn callback_errors_stop_the_read() {
    let mut seen = 0;
    let result = read_wxr(FULL.as_bytes(), |event| {
        seen += 1;
        match event {
            WxrEvent::Category(_) => Err("stop"),
            _ => Ok(()),
        }
    });
    assert!(matches!(result, Err(ReadError::Callback("stop"))));
    assert_eq!(seen, 3);
    assert_eq!(ReadError::<&str>::Callback("stop").to_string(), "stop");
}

#[test]
fn reads_through_a_small_buffer() {
    let reader = std::io::BufReader::with_capacity(7, FULL.as_bytes());
    let mut events = Vec::new();
    read_wxr(reader, |event| {
        events.push(event);
        Ok::<(), Infallible>(())
    })
    .unwrap();
    assert_eq!(events, read_all(FULL).unwrap());
}

#[test]
fn non_utf8_is_refused() {
    let decl = "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><rss></rss>";
    assert!(syntax_error(decl).1.contains("ISO-8859-1"));
    let mut bytes = wxr12("<item><title>caf_</title></item>").into_bytes();
    let at = bytes.iter().position(|&b| b == b'_').unwrap();
    bytes[at] = 0xE9;
    let result = read_wxr(bytes.as_slice(), |_| Ok::<(), Infallible>(()));
    let err = result.unwrap_err().into_wxr();
    assert!(err.to_string().contains("UTF-8"), "{err}");
}

#[test]
fn byte_order_mark_is_accepted() {
    let xml = format!("\u{feff}{}", wxr12(""));
    assert_eq!(read_all(&xml).unwrap().len(), 1);
}
