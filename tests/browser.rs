//! The reader's and the moderator's paths in a real browser: headless Chromium driven over
//! WebDriver (chromedriver, started here as a child process) against the real server.
//!
//! Needs Debian's `chromium` and `chromium-driver`. Without them every test prints why and
//! passes, unless `REQUIRE_BROWSER_TESTS=1` (CI) makes a missing browser a failure.
//! `BROWSER_TESTS_CHROMEDRIVER` and `BROWSER_TESTS_CHROMIUM` may name the binaries (otherwise they
//! are looked up on PATH); naming one that does not exist counts as not installed.
//! Screenshots go to `target/screenshots/`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use common::{comment_id, seed_article, CommentDraft, TestApp};
use fantoccini::{Client, ClientBuilder, Locator};
use marginalia::config::{Config, ModerationMode};
use marginalia::db::enums::Role;
use serde_json::{json, Value};

const SLUG: &str = "does-smp-hair-treatment-treat-hair-loss";
const WAIT: Duration = Duration::from_secs(15);

const CHROME_ARGS: &[&str] = &[
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--no-first-run",
    "--disable-dev-shm-usage",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--window-size=1280,900",
];

// ---------------------------------------------------------------------------------------------
// chromedriver and browser sessions

/// A binary named by `env` (which must then exist) or else the first of `names` on PATH.
fn locate(env: &str, names: &[&str]) -> Option<PathBuf> {
    if let Some(path) = std::env::var_os(env).filter(|p| !p.is_empty()) {
        let path = PathBuf::from(path);
        return path.is_file().then_some(path);
    }
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .flat_map(|dir| names.iter().map(move |name| dir.join(name)))
        .find(|candidate| candidate.is_file())
}

fn browser_required() -> bool {
    std::env::var("REQUIRE_BROWSER_TESTS").is_ok_and(|v| v == "1")
}

/// chromedriver on a free 127.0.0.1 port, killed on drop together with the browsers it runs.
struct Driver {
    child: Child,
    port: u16,
    chromium: PathBuf,
    sessions: Mutex<Vec<String>>,
    // Dropped after `drop` has ended the sessions, so the browsers no longer use them.
    profiles: Mutex<Vec<tempfile::TempDir>>,
}

impl Driver {
    /// Starts chromedriver, or returns None after saying why the test is skipped (or panics if
    /// `REQUIRE_BROWSER_TESTS=1`).
    fn start(test: &str) -> Option<Driver> {
        let driver = locate("BROWSER_TESTS_CHROMEDRIVER", &["chromedriver"]);
        let chromium = locate(
            "BROWSER_TESTS_CHROMIUM",
            &["chromium", "chromium-browser", "google-chrome", "google-chrome-stable"],
        );
        let missing = match (&driver, &chromium) {
            (None, _) => Some("chromedriver not found"),
            (_, None) => Some("chromium not found"),
            _ => None,
        };
        if let Some(missing) = missing {
            let install = "install Debian chromium and chromium-driver";
            if browser_required() {
                panic!(
                    "browser tests cannot run: {missing}; {install} (required by REQUIRE_BROWSER_TESTS=1)"
                );
            }
            // Straight to stderr, past the test harness's capture, so a plain `cargo test`
            // shows it.
            let _ = writeln!(std::io::stderr(), "{test}: skipping browser tests: {missing}; {install}");
            return None;
        }
        let (driver, chromium) = (driver.unwrap(), chromium.unwrap());
        // The port is free when probed; another process could take it before chromedriver
        // binds, so try a few.
        let mut last_error = String::new();
        for _ in 0..3 {
            let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
            let child = Command::new(&driver)
                .arg(format!("--port={port}"))
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .unwrap_or_else(|e| panic!("cannot run {}: {e}", driver.display()));
            let mut this = Driver {
                child,
                port,
                chromium: chromium.clone(),
                sessions: Mutex::new(Vec::new()),
                profiles: Mutex::new(Vec::new()),
            };
            let deadline = Instant::now() + Duration::from_secs(10);
            loop {
                if let Ok(Some(status)) = this.child.try_wait() {
                    last_error = format!("chromedriver exited at start ({status})");
                    break;
                }
                if TcpStream::connect(("127.0.0.1", port)).is_ok() {
                    return Some(this);
                }
                if Instant::now() > deadline {
                    last_error = "chromedriver did not listen within 10 s".into();
                    break;
                }
                std::thread::sleep(Duration::from_millis(50));
            }
        }
        panic!("{last_error}");
    }

    /// A new browser with a fresh profile (its own cookies): another reader.
    async fn session(&self) -> Client {
        self.session_with(&[]).await
    }

    /// A browser with JavaScript off (pages as a reader who blocks scripts sees them).
    async fn session_without_javascript(&self) -> Client {
        self.session_with(&["--blink-settings=scriptEnabled=false"]).await
    }

    async fn session_with(&self, extra: &[&str]) -> Client {
        let profile = tempfile::tempdir().unwrap();
        let mut args: Vec<String> = CHROME_ARGS.iter().chain(extra).map(|a| a.to_string()).collect();
        args.push(format!("--user-data-dir={}", profile.path().display()));
        let capabilities = json!({
            "browserName": "chrome",
            // Leave alert() dialogs open so the XSS test can see them.
            "unhandledPromptBehavior": "ignore",
            "goog:chromeOptions": { "binary": self.chromium, "args": args },
        });
        let Value::Object(capabilities) = capabilities else { unreachable!() };
        let client = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
            .capabilities(capabilities)
            .connect(&format!("http://127.0.0.1:{}", self.port))
            .await
            .unwrap_or_else(|e| panic!("cannot start {} through chromedriver: {e}", self.chromium.display()));
        if let Some(id) = client.session_id().await.unwrap() {
            self.sessions.lock().unwrap().push(id);
        }
        self.profiles.lock().unwrap().push(profile);
        client.set_window_size(1280, 900).await.unwrap();
        client
    }

    /// Light or dark for `client`'s pages (`prefers-color-scheme`), through chromedriver's
    /// DevTools endpoint.
    async fn color_scheme(&self, client: &Client, scheme: &str) {
        let id = client.session_id().await.unwrap().unwrap();
        let body = json!({
            "cmd": "Emulation.setEmulatedMedia",
            "params": { "features": [{ "name": "prefers-color-scheme", "value": scheme }] },
        })
        .to_string();
        let port = self.port;
        let response = tokio::task::spawn_blocking(move || {
            let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
            stream.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
            let request = format!(
                "POST /session/{id}/goog/cdp/execute HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
            stream.write_all(request.as_bytes()).unwrap();
            String::from_utf8_lossy(&read_response(&mut stream)).into_owned()
        })
        .await
        .unwrap();
        assert!(response.starts_with("HTTP/1.1 200"), "emulating {scheme}: {response}");
    }

    /// Ends a session with a plain blocking HTTP request (usable from `drop`, even after a
    /// panic): chromedriver then quits that browser.
    fn delete_session(&self, id: &str) {
        let Ok(mut stream) = TcpStream::connect(("127.0.0.1", self.port)) else { return };
        let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
        let request = format!(
            "DELETE /session/{id} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
            self.port
        );
        if stream.write_all(request.as_bytes()).is_err() {
            return;
        }
        // Wait for the whole response (chromedriver keeps the connection open): the browser
        // has quit by then.
        read_response(&mut stream);
    }
}

/// Reads one HTTP response (chromedriver keeps the connection open, so until its
/// Content-Length is in, not until EOF).
fn read_response(stream: &mut TcpStream) -> Vec<u8> {
    let mut response = Vec::new();
    let mut chunk = [0u8; 4096];
    while let Ok(n @ 1..) = stream.read(&mut chunk) {
        response.extend_from_slice(&chunk[..n]);
        if response_complete(&response) {
            break;
        }
    }
    response
}

/// Whether `bytes` hold a whole HTTP response with a Content-Length body.
fn response_complete(bytes: &[u8]) -> bool {
    let Some(end) = bytes.windows(4).position(|w| w == b"\r\n\r\n") else { return false };
    let head = String::from_utf8_lossy(&bytes[..end]).to_ascii_lowercase();
    let length = head
        .lines()
        .find_map(|line| line.strip_prefix("content-length:"))
        .and_then(|v| v.trim().parse::<usize>().ok())
        .unwrap_or(0);
    bytes.len() >= end + 4 + length
}

impl Drop for Driver {
    fn drop(&mut self) {
        let sessions = std::mem::take(&mut *self.sessions.lock().unwrap_or_else(|e| e.into_inner()));
        for id in sessions {
            self.delete_session(&id);
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

// ---------------------------------------------------------------------------------------------
// page helpers

async fn app_with(tweak: impl FnOnce(&mut Config) + 'static) -> TestApp {
    let app = TestApp::builder().with_config(tweak).spawn().await;
    app.import(&seed_article());
    app
}

fn article_url(app: &TestApp) -> String {
    app.url(&format!("/posts/{SLUG}"))
}

async fn wait_for(client: &Client, css: &str) -> fantoccini::elements::Element {
    client
        .wait()
        .at_most(WAIT)
        .for_element(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("waiting for {css}: {e}"))
}

async fn find(client: &Client, css: &str) -> fantoccini::elements::Element {
    client.find(Locator::Css(css)).await.unwrap_or_else(|e| panic!("finding {css}: {e}"))
}

async fn exists(client: &Client, css: &str) -> bool {
    !client.find_all(Locator::Css(css)).await.unwrap().is_empty()
}

/// Types into a field as a user would, replacing what is there.
async fn fill(client: &Client, css: &str, text: &str) {
    let field = find(client, css).await;
    field.clear().await.unwrap();
    field.send_keys(text).await.unwrap();
}

/// The live value of a form field (what the user sees, not the HTML attribute).
async fn value(client: &Client, css: &str) -> String {
    find(client, css).await.prop("value").await.unwrap().unwrap_or_default()
}

async fn checked(client: &Client, css: &str) -> bool {
    find(client, css).await.is_selected().await.unwrap()
}

async fn text(client: &Client, css: &str) -> String {
    find(client, css).await.text().await.unwrap()
}

async fn script(client: &Client, js: &str) -> Value {
    client.execute(js, vec![]).await.unwrap_or_else(|e| panic!("running {js}: {e}"))
}

/// Opens the article and waits for the reply form.
async fn open_article(client: &Client, app: &TestApp) {
    client.goto(&article_url(app)).await.unwrap();
    wait_for(client, "#commentform").await;
}

/// Fills the reply form (the website only if given) and clicks "Post Comment".
async fn post_comment(client: &Client, author: &str, email: &str, url: &str, comment: &str) {
    fill(client, "#comment", comment).await;
    fill(client, "#author", author).await;
    fill(client, "#email", email).await;
    if !url.is_empty() {
        fill(client, "#url", url).await;
    }
    find(client, "#submit").await.click().await.unwrap();
}

/// The comment id in the URL after a successful post (`/posts/slug#comment-12`).
async fn posted_id(client: &Client) -> i32 {
    let deadline = Instant::now() + WAIT;
    loop {
        let url = client.current_url().await.unwrap();
        if let Some(id) = url.fragment().and_then(|f| f.strip_prefix("comment-")) {
            return id.parse().unwrap();
        }
        assert!(Instant::now() < deadline, "no #comment-N after posting; at {url}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Logs in through /admin/login in this browser.
async fn admin_login(client: &Client, app: &TestApp, username: &str, password: &str) {
    client.goto(&app.url("/admin/login")).await.unwrap();
    wait_for(client, "#loginform").await;
    fill(client, "#username", username).await;
    fill(client, "#password", password).await;
    find(client, "#loginform button[type=submit]").await.click().await.unwrap();
    wait_for(client, "header.admin-header").await;
}

fn screenshot_dir() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target").join("screenshots");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Saves a PNG of the whole page at the current window width: the window is made as tall as
/// the document for the shot, then put back.
async fn full_page_screenshot(client: &Client, name: &str) -> PathBuf {
    let (width, height) = client.get_window_size().await.unwrap();
    let sizes = script(client, "return [document.documentElement.scrollHeight, window.innerHeight]").await;
    let (document, viewport) = (sizes[0].as_u64().unwrap(), sizes[1].as_u64().unwrap());
    // The window is taller than its viewport by the (invisible) browser frame.
    let frame = height.saturating_sub(viewport);
    let tall = (document + frame).clamp(height, 12_000);
    client.set_window_size(width as u32, tall as u32).await.unwrap();
    let png = client.screenshot().await.unwrap();
    client.set_window_size(width as u32, height as u32).await.unwrap();
    let path = screenshot_dir().join(name);
    std::fs::write(&path, png).unwrap();
    path
}

async fn viewport_screenshot(client: &Client, name: &str) -> PathBuf {
    let path = screenshot_dir().join(name);
    std::fs::write(&path, client.screenshot().await.unwrap()).unwrap();
    path
}

// ---------------------------------------------------------------------------------------------
// the tests

/// Scenario 1: an error kept in the form, a held comment only its author sees, the moderator
/// approving it from the queue in the browser, everyone seeing it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn held_comment_is_fixed_approved_and_then_seen_by_everyone() {
    let Some(driver) = Driver::start("held_comment_is_fixed_approved_and_then_seen_by_everyone") else {
        return;
    };
    let app = app_with(|c| c.comments.moderation = ModerationMode::All).await;
    app.user("mod", Role::Moderator, "long-enough-password");
    let body = "Does the pigment fade over the years?\n\nAsking for a friend with *very* short hair.";

    let reader = driver.session().await;
    open_article(&reader, &app).await;
    // `user@localhost` passes the browser's type=email check; the server refuses it.
    post_comment(&reader, "Ada Lovelace", "user@localhost", "https://ada.example/", body).await;
    let error = wait_for(&reader, "#email-error.field-error").await;
    assert!(!error.text().await.unwrap().trim().is_empty(), "the email error says something");
    assert_eq!(find(&reader, "#email").await.attr("aria-invalid").await.unwrap().as_deref(), Some("true"));
    assert!(text_of_page(&reader).await.contains("everything you typed is still here"));
    assert_eq!(value(&reader, "#comment").await, body, "the comment text is kept");
    assert_eq!(value(&reader, "#author").await, "Ada Lovelace");
    assert_eq!(value(&reader, "#email").await, "user@localhost");
    assert_eq!(value(&reader, "#url").await, "https://ada.example/");
    // Where the refused post lands (see the report: at the top of the article), then the form.
    viewport_screenshot(&reader, "article-validation-error-landing.png").await;
    script(&reader, "document.getElementById('respond').scrollIntoView()").await;
    viewport_screenshot(&reader, "article-validation-error-form.png").await;

    // Fix only the email and send again.
    fill(&reader, "#email", "ada@example.org").await;
    find(&reader, "#submit").await.click().await.unwrap();
    let id = posted_id(&reader).await;
    let mine = format!("#comment-{id}");
    wait_for(&reader, &format!("{mine}.comment-pending .awaiting-moderation")).await;
    assert_eq!(
        text(&reader, &format!("{mine} .awaiting-moderation")).await,
        "Your comment is awaiting moderation."
    );
    let shown = text(&reader, &format!("{mine} .comment-content")).await;
    assert!(shown.contains("Does the pigment fade over the years?"), "{shown}");
    assert!(shown.contains("Asking for a friend with very short hair."), "{shown}");
    assert_eq!(text(&reader, &format!("{mine} .comment-author")).await, "Ada Lovelace");
    assert_eq!(app.comment_status(id).0, "pending");
    // The form is empty again for a next comment.
    assert_eq!(value(&reader, "#comment").await, "");

    // Another reader, another profile: nothing there.
    let other = driver.session().await;
    open_article(&other, &app).await;
    assert!(!exists(&other, &mine).await, "a held comment is shown to someone else");
    assert!(!text_of_page(&other).await.contains("pigment fade"));
    assert!(!exists(&other, ".awaiting-moderation").await);

    // The moderator approves it from the queue.
    let moderator = driver.session().await;
    admin_login(&moderator, &app, "mod", "long-enough-password").await;
    moderator.goto(&app.url("/admin/comments?status=pending")).await.unwrap();
    let card = wait_for(&moderator, &format!("#mod-comment-{id}.mod-comment")).await;
    assert!(card.text().await.unwrap().contains("pigment fade"));
    full_page_screenshot(&moderator, "admin-queue-desktop.png").await;
    let approve = find(&moderator, &format!("button[name=single][value=\"{id}:approve\"]")).await;
    assert_eq!(approve.text().await.unwrap(), "Approve");
    approve.click().await.unwrap();
    let flash = wait_for(&moderator, "p.flash").await.text().await.unwrap();
    assert!(flash.contains("approved"), "flash: {flash}");
    assert!(!exists(&moderator, &format!("#mod-comment-{id}")).await, "still in the pending queue");
    assert_eq!(app.comment_status(id).0, "approved");

    // Both readers see it now, as a published comment.
    for client in [&reader, &other] {
        client.refresh().await.unwrap();
        wait_for(client, &format!("{mine} .comment-content")).await;
        assert!(text(client, &format!("{mine} .comment-content")).await.contains("pigment fade"));
        assert!(!exists(client, &format!("{mine} .awaiting-moderation")).await);
        assert!(!exists(client, &format!("{mine}.comment-pending")).await);
        assert!(text(client, "#comments-heading").await.starts_with("One thought on"));
    }
}

async fn text_of_page(client: &Client) -> String {
    text(client, "body").await
}

/// Scenario 2: "Reply" moves the form under the comment (reply.js) and the reply is published
/// inside the parent's `ol.children`; the no-JavaScript link sets the parent as well.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reply_link_puts_the_reply_under_its_parent() {
    let Some(driver) = Driver::start("reply_link_puts_the_reply_under_its_parent") else { return };
    let app = app_with(|c| c.comments.moderation = ModerationMode::None).await;
    let parent = comment_id(
        &app.submit(SLUG, CommentDraft::new("Grace Hopper", "grace@example.org", "How long does it last?"))
            .await,
    );
    let other = comment_id(
        &app.submit(SLUG, CommentDraft::new("Alan Turing", "alan@example.org", "A top-level remark.")).await,
    );

    let reader = driver.session().await;
    open_article(&reader, &app).await;
    let link = find(&reader, &format!("#comment-{parent} a.comment-reply-link")).await;
    assert_eq!(link.attr("data-comment-id").await.unwrap(), Some(parent.to_string()));
    link.click().await.unwrap();
    // The script moved the form under the parent without a reload.
    wait_for(&reader, &format!("#comment-{parent} #respond #commentform")).await;
    assert_eq!(value(&reader, "#comment_parent").await, parent.to_string());
    assert!(text(&reader, "#reply-title").await.starts_with("Reply to Grace Hopper"));
    assert!(find(&reader, "#cancel-comment-reply-link").await.is_displayed().await.unwrap());
    assert!(reader.current_url().await.unwrap().query().is_none(), "the page was reloaded");

    post_comment(&reader, "Ada Lovelace", "ada@example.org", "", "About five years, says my artist.").await;
    let reply = posted_id(&reader).await;
    let nested = format!("#comment-{parent} > ol.children > li#comment-{reply}");
    wait_for(&reader, &nested).await;
    // Depth counts from 1 at the top level.
    assert!(find(&reader, &format!("li#comment-{parent}.depth-1")).await.is_displayed().await.unwrap());
    assert!(find(&reader, &nested).await.attr("class").await.unwrap().unwrap().contains("depth-2"));
    assert!(text(&reader, &format!("{nested} .comment-content")).await.contains("About five years"));
    assert!(!exists(&reader, &format!("#comment-{other} #comment-{reply}")).await);
    assert_eq!(app.comment_status(reply).0, "approved");
    // Back home: the form is at the bottom again, replying to nobody.
    assert!(!exists(&reader, &format!("#comment-{parent} #commentform")).await);
    assert_eq!(value(&reader, "#comment_parent").await, "0");

    // Cancel reply puts the form back where it was.
    find(&reader, &format!("#comment-{other} a.comment-reply-link")).await.click().await.unwrap();
    wait_for(&reader, &format!("#comment-{other} #commentform")).await;
    find(&reader, "#cancel-comment-reply-link").await.click().await.unwrap();
    assert!(!exists(&reader, &format!("#comment-{other} #commentform")).await);
    assert_eq!(value(&reader, "#comment_parent").await, "0");

    // Without the script the link is a plain reload with ?replytocom=.
    reader.goto(&app.url(&format!("/posts/{SLUG}?replytocom={other}#respond"))).await.unwrap();
    wait_for(&reader, "#commentform").await;
    assert_eq!(value(&reader, "#comment_parent").await, other.to_string());
    assert!(text(&reader, "#reply-title").await.starts_with("Reply to Alan Turing"));
}

/// Scenario 3: "Save my name, email, and website in this browser" prefills the form next time;
/// unchecking it forgets them.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn remember_me_prefills_the_form_next_time() {
    let Some(driver) = Driver::start("remember_me_prefills_the_form_next_time") else { return };
    let app = app_with(|c| c.comments.moderation = ModerationMode::None).await;

    let reader = driver.session().await;
    open_article(&reader, &app).await;
    assert!(!checked(&reader, "#remember").await, "remember me is opt-in");
    find(&reader, "label[for=remember]").await.click().await.unwrap();
    assert!(checked(&reader, "#remember").await);
    post_comment(&reader, "Ada Lovelace", "ada@example.org", "https://ada.example/", "First visit.").await;
    posted_id(&reader).await;

    // Coming back later in the same browser.
    reader.goto(&app.url("/")).await.unwrap();
    open_article(&reader, &app).await;
    assert_eq!(value(&reader, "#author").await, "Ada Lovelace");
    assert_eq!(value(&reader, "#email").await, "ada@example.org");
    assert_eq!(value(&reader, "#url").await, "https://ada.example/");
    assert!(checked(&reader, "#remember").await);
    assert_eq!(value(&reader, "#comment").await, "", "the comment itself is not remembered");

    // Unchecking the box when posting forgets them.
    find(&reader, "#remember").await.click().await.unwrap();
    assert!(!checked(&reader, "#remember").await);
    post_comment(&reader, "Ada Lovelace", "ada@example.org", "", "Second visit, forget me.").await;
    posted_id(&reader).await;
    open_article(&reader, &app).await;
    assert_eq!(value(&reader, "#author").await, "");
    assert_eq!(value(&reader, "#email").await, "");
    assert_eq!(value(&reader, "#url").await, "");
    assert!(!checked(&reader, "#remember").await);
}

/// Scenario 4: script in a comment's text, name or website never runs in the reader's browser.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn script_in_comments_never_runs() {
    let Some(driver) = Driver::start("script_in_comments_never_runs") else { return };
    let app = app_with(|c| c.comments.moderation = ModerationMode::None).await;
    let reader = driver.session().await;
    open_article(&reader, &app).await;

    // The two detectors work: a flag set by script and an open alert() are both seen.
    assert_eq!(script(&reader, "window.__probe = 1; return typeof window.__probe").await, json!("number"));
    script(&reader, "setTimeout(function () { alert('probe'); }, 0)").await;
    let mut alert = reader.get_alert_text().await;
    for _ in 0..50 {
        if alert.is_ok() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
        alert = reader.get_alert_text().await;
    }
    assert_eq!(alert.expect("an open alert is detected"), "probe");
    reader.dismiss_alert().await.unwrap();
    assert_no_script_ran(&reader, "a fresh page").await;

    // Name, website and text through the browser's own form (type=url accepts the website).
    post_comment(
        &reader,
        "<svg onload=window.__xss=1>",
        "eve@example.org",
        "https://ok.example/\"onmouseover=\"window.__xss=1",
        "<img src=x onerror=\"window.__xss=1\"> and <script>window.__xss=1</script> inline.",
    )
    .await;
    let mut ids = vec![posted_id(&reader).await];
    assert_no_script_ran(&reader, "the page right after posting").await;
    // More of the same over plain HTTP (quicker); at most two links each so none is held.
    let more: &[(&str, &str, &str)] = &[
        (
            "Eve <img src=x onerror=alert(1)>",
            "",
            "[click me](javascript:window.__xss=1) or [this](javascript:alert(1))",
        ),
        (
            "Mallory\"><script>alert(1)</script>",
            "https://ok.example/?q='><script>alert(1)</script>",
            "<a href=\"javascript:alert(1)\">raw link</a> <iframe src=\"javascript:alert(1)\"></iframe>\n\n\
             <details open ontoggle=alert(1)>x</details> <svg><script>alert(1)</script></svg>",
        ),
        (
            "Trudy",
            "",
            "![pic](x\" onerror=\"window.__xss=1) and <style>body{display:none}</style> \
             `<b onmouseover=alert(1)>code</b>`",
        ),
    ];
    for (n, (author, url, comment)) in more.iter().enumerate() {
        let draft = CommentDraft::new(author, &format!("eve{n}@example.org"), comment).set("url", url);
        ids.push(comment_id(&app.submit_with(&app.new_client(), SLUG, draft).await));
    }
    for id in &ids {
        assert_eq!(app.comment_status(*id).0, "approved", "comment {id} was published");
    }

    // Reading the page: everything shown as text, nothing active left in the markup.
    open_article(&reader, &app).await;
    for id in &ids {
        wait_for(&reader, &format!("#comment-{id} .comment-content")).await;
    }
    assert_no_script_ran(&reader, "loading the page").await;
    let shown = text(&reader, "#comments").await;
    assert!(shown.contains("<img src=x onerror=\"window.__xss=1\">"), "HTML is shown as text: {shown}");
    assert!(shown.contains("<svg onload=window.__xss=1>"), "the name is shown as text: {shown}");
    let hostile = script(
        &reader,
        "return document.querySelectorAll('#comments script, #comments iframe, #comments svg, \
         #comments img, #comments style, #comments details, #comments [onerror], #comments [onload], \
         #comments [onmouseover], #comments [ontoggle], #comments a[href^=\"javascript:\" i]').length",
    )
    .await;
    assert_eq!(hostile, json!(0), "active markup survived in the comments");
    assert!(text(&reader, "#comments-heading").await.starts_with(&format!("{} thoughts", ids.len())));

    // Hovering every link in the comments, clicking those that stay on the site.
    const LINKS: &str = "#comments .comment-author a, #comments .comment-content a";
    let article = article_url(&app);
    let count = reader.find_all(Locator::Css(LINKS)).await.unwrap().len();
    assert!(count >= 4, "the websites and Markdown links are there to try ({count})");
    for i in 0..count {
        // Found again every time: a click may have navigated away and back.
        let link = reader.find_all(Locator::Css(LINKS)).await.unwrap().swap_remove(i);
        let href = link.attr("href").await.unwrap().unwrap_or_default();
        assert!(!href.trim_start().to_ascii_lowercase().starts_with("javascript:"), "{href}");
        hover(&reader, &link).await;
        assert_no_script_ran(&reader, &format!("hovering link {i} ({href})")).await;
        // A website would leave for the network; a link without href stays here.
        if !href.starts_with("http") {
            link.click().await.unwrap();
            assert_no_script_ran(&reader, &format!("clicking link {i} ({href})")).await;
            if reader.current_url().await.unwrap().as_str().split('#').next() != Some(article.as_str()) {
                open_article(&reader, &app).await;
            }
        }
    }
    full_page_screenshot(&reader, "article-xss-comments.png").await;
}

/// Moves the pointer onto an element (fires mouseover).
async fn hover(client: &Client, element: &fantoccini::elements::Element) {
    use fantoccini::actions::{InputSource, MouseActions, PointerAction};
    let target = serde_json::to_value(element).unwrap();
    client.execute("arguments[0].scrollIntoView({block: 'center'})", vec![target]).await.unwrap();
    let actions = MouseActions::new("mouse".into()).then(PointerAction::MoveToElement {
        element: element.clone(),
        duration: None,
        x: 0.0,
        y: 0.0,
    });
    client.perform_actions(actions).await.unwrap();
}

async fn assert_no_script_ran(client: &Client, when: &str) {
    if let Ok(alert) = client.get_alert_text().await {
        panic!("{when}: an alert dialog is open: {alert:?}");
    }
    let flag = script(client, "return typeof window.__xss").await;
    assert_eq!(flag, json!("undefined"), "{when}: window.__xss was set");
}

/// Scenario 5: screenshots at desktop and phone width, and no sideways scrolling on a phone.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn screenshots_and_no_horizontal_overflow_on_a_phone() {
    let Some(driver) = Driver::start("screenshots_and_no_horizontal_overflow_on_a_phone") else { return };
    let app = app_with(|c| c.comments.moderation = ModerationMode::FirstTime).await;
    app.user("mod", Role::Moderator, "long-enough-password");
    // A thread worth looking at: approved comments three deep, a long unbroken word and URL,
    // Markdown, and one held comment.
    let grace = CommentDraft::new(
        "Grace Hopper",
        "grace@example.org",
        "How long does the pigment last? I read *somewhere* that it needs a touch-up every \
         couple of years.\n\n> quoting the article: it is not a cure\n\nFair enough.",
    )
    .set("url", "https://grace.example/");
    let first = comment_id(&app.submit(SLUG, grace).await);
    app.set_comment_status(first, "approved");
    let reply = CommentDraft::new(
        "Ada Lovelace",
        "ada@example.org",
        "About five years for me. Here is the clinic's page: \
         https://a-very-long-domain-name-for-a-clinic.example/with/a/long/path/that/does/not/break",
    )
    .set("comment_parent", &first.to_string());
    let second = comment_id(&app.submit(SLUG, reply).await);
    app.set_comment_status(second, "approved");
    let deeper = CommentDraft::new(
        "Grace Hopper",
        "grace@example.org",
        "Thanks! Supercalifragilisticexpialidocious-pneumonoultramicroscopicsilicovolcanoconiosis.",
    )
    .set("comment_parent", &second.to_string());
    let third = comment_id(&app.submit(SLUG, deeper).await);
    app.set_comment_status(third, "approved");
    let held = comment_id(
        &app.submit(SLUG, CommentDraft::new("New Reader", "new@example.org", "Is it painful?")).await,
    );
    assert_eq!(app.comment_status(held).0, "pending");

    let reader = driver.session().await;
    open_article(&reader, &app).await;
    assert!(exists(&reader, &format!("#comment-{second} > ol.children > li#comment-{third}")).await);
    let desktop = full_page_screenshot(&reader, "article-desktop-1280.png").await;

    reader.set_window_size(390, 844).await.unwrap();
    open_article(&reader, &app).await;
    let inner = script(&reader, "return window.innerWidth").await;
    assert_eq!(inner, json!(390), "the window is phone-sized");
    let widths = script(
        &reader,
        "return [document.documentElement.scrollWidth, window.innerWidth, document.documentElement.clientWidth]",
    )
    .await;
    let [scroll, inner, client] = [0, 1, 2].map(|i| widths[i].as_u64().unwrap());
    let phone = full_page_screenshot(&reader, "article-phone-390.png").await;
    assert!(
        scroll <= inner,
        "the article scrolls sideways at 390px: scrollWidth {scroll} > innerWidth {inner}"
    );
    // Stricter: not even under the vertical scrollbar.
    assert!(
        scroll <= client,
        "the article scrolls sideways at 390px: scrollWidth {scroll} > clientWidth {client}"
    );

    // The reply form under a nested comment on a phone.
    find(&reader, &format!("#comment-{third} a.comment-reply-link")).await.click().await.unwrap();
    wait_for(&reader, &format!("#comment-{third} #commentform")).await;
    let widths = script(
        &reader,
        "return [document.documentElement.scrollWidth, document.documentElement.clientWidth]",
    )
    .await;
    assert!(widths[0].as_u64() <= widths[1].as_u64(), "the nested reply form scrolls sideways: {widths}");
    viewport_screenshot(&reader, "article-phone-390-reply-form.png").await;

    // The moderation queue.
    let moderator = driver.session().await;
    admin_login(&moderator, &app, "mod", "long-enough-password").await;
    moderator.goto(&app.url("/admin/comments?status=pending")).await.unwrap();
    wait_for(&moderator, &format!("#mod-comment-{held}")).await;
    let queue = full_page_screenshot(&moderator, "admin-queue-pending.png").await;
    moderator.set_window_size(390, 844).await.unwrap();
    moderator.refresh().await.unwrap();
    wait_for(&moderator, &format!("#mod-comment-{held}")).await;
    let queue_phone = full_page_screenshot(&moderator, "admin-queue-phone-390.png").await;
    let admin_widths = script(
        &moderator,
        "return [document.documentElement.scrollWidth, document.documentElement.clientWidth]",
    )
    .await;
    assert!(
        admin_widths[0].as_u64() <= admin_widths[1].as_u64(),
        "the queue scrolls sideways: {admin_widths}"
    );

    for path in [&desktop, &phone, &queue, &queue_phone] {
        let bytes = std::fs::read(path).unwrap();
        assert!(bytes.starts_with(b"\x89PNG"), "{} is a PNG", path.display());
    }
    let _ = writeln!(std::io::stderr(), "screenshots in {}", screenshot_dir().display());
}

/// A WordPress export with `posts` posts of a few paragraphs and two comments each.
fn generated_export(posts: usize) -> String {
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" ?>\n<rss version=\"2.0\" \
         xmlns:excerpt=\"http://wordpress.org/export/1.2/excerpt/\" \
         xmlns:content=\"http://purl.org/rss/1.0/modules/content/\" \
         xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:wp=\"http://wordpress.org/export/1.2/\">\n<channel>\n\
         <title>Generated</title>\n<link>https://gen.example</link>\n<wp:wxr_version>1.2</wp:wxr_version>\n\
         <wp:base_site_url>https://gen.example</wp:base_site_url>\n<wp:base_blog_url>https://gen.example</wp:base_blog_url>\n",
    );
    let paragraph = "A paragraph of an old post, long enough to be worth converting.\n\n".repeat(8);
    for i in 1..=posts {
        xml.push_str(&format!(
            "<item>\n<title>Generated post {i}</title>\n<link>https://gen.example/generated-{i}/</link>\n\
             <content:encoded><![CDATA[{paragraph}]]></content:encoded>\n<wp:post_id>{i}</wp:post_id>\n\
             <wp:post_date_gmt>2020-01-01 10:00:00</wp:post_date_gmt>\n<wp:post_name>generated-{i}</wp:post_name>\n\
             <wp:status>publish</wp:status>\n<wp:post_type>post</wp:post_type>\n<wp:comment_status>open</wp:comment_status>\n"
        ));
        for c in 0..2 {
            let id = i * 10 + c;
            xml.push_str(&format!(
                "<wp:comment><wp:comment_id>{id}</wp:comment_id><wp:comment_author>Reader {id}</wp:comment_author>\
                 <wp:comment_author_email>r{id}@example.com</wp:comment_author_email>\
                 <wp:comment_date_gmt>2020-01-02 10:00:00</wp:comment_date_gmt>\
                 <wp:comment_content><![CDATA[Comment {id}]]></wp:comment_content>\
                 <wp:comment_approved>1</wp:comment_approved><wp:comment_parent>0</wp:comment_parent></wp:comment>\n"
            ));
        }
        xml.push_str("</item>\n");
    }
    xml.push_str("</channel>\n</rss>\n");
    xml
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn admin_imports_a_wordpress_export_and_watches_its_progress() {
    let Some(driver) = Driver::start("admin_imports_a_wordpress_export_and_watches_its_progress") else {
        return;
    };
    let app = TestApp::spawn().await;
    app.user("boss", Role::Admin, "long-enough-password");
    let dir = tempfile::tempdir().unwrap();
    let export = dir.path().join("export.xml");
    std::fs::write(&export, generated_export(3000)).unwrap();

    let admin = driver.session().await;
    admin_login(&admin, &app, "boss", "long-enough-password").await;
    admin.goto(&app.url("/admin/tools")).await.unwrap();
    let input = wait_for(&admin, "#wxr-file").await;
    input.send_keys(export.to_str().unwrap()).await.unwrap();
    find(&admin, "#import-panel form button[type=submit]").await.click().await.unwrap();

    // While it runs, the page updates itself (fetching the status, no reload needed).
    let bar = wait_for(&admin, "#import-progress").await;
    let first = bar.attr("value").await.unwrap().unwrap_or_default();
    viewport_screenshot(&admin, "admin-tools-import-running.png").await;
    let started = Instant::now();
    let mut moved = false;
    while started.elapsed() < Duration::from_secs(120) {
        if exists(&admin, "pre.import-summary").await {
            break;
        }
        if let Ok(bar) = admin.find(Locator::Css("#import-progress")).await {
            moved |= bar.attr("value").await.ok().flatten().unwrap_or_default() != first;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let summary = text(&admin, "pre.import-summary").await;
    assert!(moved, "the progress bar moved while the import ran (it started at {first})");
    assert!(summary.contains("articles created") && summary.contains("3000"), "{summary}");
    viewport_screenshot(&admin, "admin-tools-import-done.png").await;

    let reader = driver.session().await;
    reader.goto(&app.url("/posts/generated-1500")).await.unwrap();
    wait_for(&reader, ".article-body").await;
    assert!(text_of_page(&reader).await.contains("Comment 15000"), "the imported comments are on the page");
}

/// Fails when the page scrolls sideways (at a phone's width).
async fn assert_no_sideways_scroll(client: &Client, what: &str) {
    let widths =
        script(client, "return [document.documentElement.scrollWidth, document.documentElement.clientWidth]")
            .await;
    assert!(widths[0].as_u64() <= widths[1].as_u64(), "{what} scrolls sideways: {widths}");
}

/// A photo-sized PNG written to a file the browser can pick.
fn picture_file(dir: &Path, name: &str) -> PathBuf {
    let mut picture = image::RgbImage::new(1600, 900);
    for (x, y, pixel) in picture.enumerate_pixels_mut() {
        *pixel = image::Rgb([(x % 256) as u8, (y % 256) as u8, 160]);
    }
    let path = dir.join(name);
    picture.save(&path).unwrap();
    path
}

/// Issue 17: an image chosen in the editor is uploaded at once (the script inserts its
/// Markdown at the cursor), the published post shows it at desktop and phone width from the
/// resized files; the new admin pages are screenshotted.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_image_uploaded_in_the_editor_shows_in_the_published_post() {
    let Some(driver) = Driver::start("an_image_uploaded_in_the_editor_shows_in_the_published_post") else {
        return;
    };
    let app = TestApp::spawn().await;
    app.user("boss", Role::Admin, "long-enough-password");
    let dir = tempfile::tempdir().unwrap();
    let photo = picture_file(dir.path(), "harbour.png");

    let admin = driver.session().await;
    admin.set_window_size(1280, 900).await.unwrap();
    admin_login(&admin, &app, "boss", "long-enough-password").await;
    admin.goto(&app.url("/admin/posts/new")).await.unwrap();
    wait_for(&admin, "form.post-editor").await;
    fill(&admin, "#title", "A Morning at the Harbour").await;
    fill(&admin, "#body", "The boats came in early.").await;
    fill(&admin, "#image_alt", "Boats in the harbour").await;
    find(&admin, "#image").await.send_keys(photo.to_str().unwrap()).await.unwrap();
    let deadline = Instant::now() + WAIT;
    while !value(&admin, "#body").await.contains("](/media/") {
        assert!(
            Instant::now() < deadline,
            "the image's Markdown was not inserted: {}",
            value(&admin, "#body").await
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let body = value(&admin, "#body").await;
    assert!(
        body.starts_with("The boats came in early.") && body.contains("![Boats in the harbour](/media/"),
        "{body}"
    );
    assert!(text(&admin, "#image-upload-status").await.contains("uploaded and inserted"));
    full_page_screenshot(&admin, "admin-editor-1280.png").await;
    find(&admin, "button[name=intent][value=publish]").await.click().await.unwrap();
    wait_for(&admin, "p.flash").await;
    assert!(text(&admin, "p.flash").await.contains("published"));

    let reader = driver.session().await;
    for (width, name) in [(1280u32, "post-with-image-1280.png"), (390, "post-with-image-390.png")] {
        reader.set_window_size(width, 900).await.unwrap();
        reader.goto(&app.url("/posts/a-morning-at-the-harbour")).await.unwrap();
        wait_for(&reader, ".article-body picture img").await;
        let deadline = Instant::now() + WAIT;
        let loaded = loop {
            let state = script(
                &reader,
                "var i = document.querySelector('.article-body picture img'); \
                 return [i.complete && i.naturalWidth, i.currentSrc, i.getBoundingClientRect().width, \
                 document.querySelector('.article-body').getBoundingClientRect().width];",
            )
            .await;
            if state[0].as_u64().unwrap_or(0) > 0 {
                break state;
            }
            assert!(Instant::now() < deadline, "the image never loaded: {state}");
            tokio::time::sleep(Duration::from_millis(100)).await;
        };
        let src = loaded[1].as_str().unwrap();
        assert!(src.contains("/media/") && src.ends_with(".webp"), "Chromium picks a WebP file: {src}");
        assert!(
            loaded[2].as_f64().unwrap() <= loaded[3].as_f64().unwrap() + 0.5,
            "the image fits the column: {loaded}"
        );
        if width == 390 {
            assert!(!src.contains("full."), "a phone gets a resized file, not the original: {src}");
            assert_no_sideways_scroll(&reader, "the post with an image at 390px").await;
        }
        full_page_screenshot(&reader, name).await;
    }

    // The new admin pages, for review.
    for (path, name) in [
        ("/admin/posts", "admin-posts.png"),
        ("/admin/media", "admin-media.png"),
        ("/admin/site", "admin-site.png"),
        ("/admin/profile", "admin-profile.png"),
    ] {
        admin.goto(&app.url(path)).await.unwrap();
        wait_for(&admin, "main.admin-main h1").await;
        full_page_screenshot(&admin, name).await;
    }
    admin.set_window_size(390, 844).await.unwrap();
    for path in ["/admin/posts", "/admin/media", "/admin/posts/new"] {
        admin.goto(&app.url(path)).await.unwrap();
        wait_for(&admin, "main.admin-main h1").await;
        assert_no_sideways_scroll(&admin, path).await;
    }
    full_page_screenshot(&admin, "admin-editor-390.png").await;
}

/// Issue 17: publishing with a date a few seconds ahead schedules the post; the reader's front
/// page shows it once that time has come, without anyone doing anything.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_scheduled_post_appears_on_its_own() {
    let Some(driver) = Driver::start("a_scheduled_post_appears_on_its_own") else { return };
    let app = TestApp::spawn().await;
    app.user("boss", Role::Admin, "long-enough-password");
    let admin = driver.session().await;
    admin_login(&admin, &app, "boss", "long-enough-password").await;
    admin.goto(&app.url("/admin/posts/new")).await.unwrap();
    wait_for(&admin, "form.post-editor").await;
    fill(&admin, "#title", "Announcing the Spring Meetup").await;
    fill(&admin, "#body", "See you there.").await;
    let soon = (chrono::Utc::now() + chrono::Duration::seconds(4)).format("%Y-%m-%dT%H:%M:%S").to_string();
    // The field takes minutes; seconds here keep the test short (step=1 lets the form send them).
    script(
        &admin,
        &format!("var d = document.getElementById('date'); d.step = 1; d.value = '{soon}'; return d.value;"),
    )
    .await;
    find(&admin, "button[name=intent][value=publish]").await.click().await.unwrap();
    wait_for(&admin, "p.flash").await;
    assert!(text(&admin, "p.flash").await.contains("scheduled for"), "{}", text(&admin, "p.flash").await);

    let reader = driver.session().await;
    reader.goto(&app.url("/")).await.unwrap();
    assert!(!text_of_page(&reader).await.contains("Spring Meetup"), "not before its time");
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        reader.refresh().await.unwrap();
        if text_of_page(&reader).await.contains("Announcing the Spring Meetup") {
            break;
        }
        assert!(Instant::now() < deadline, "the scheduled post never appeared on the front page");
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    viewport_screenshot(&reader, "scheduled-post-on-front-page.png").await;
}

/// Issue 18: "Preview" shows the comment rendered by the server in place (no reload, the text
/// kept); then the author edits it from the same browser and sees it marked edited.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn preview_in_place_then_edit_your_own_comment() {
    let Some(driver) = Driver::start("preview_in_place_then_edit_your_own_comment") else { return };
    let app = app_with(|c| c.comments.moderation = ModerationMode::None).await;
    let reader = driver.session().await;
    open_article(&reader, &app).await;
    fill(&reader, "#comment", "Does it *hurt*? <b>really</b>").await;
    fill(&reader, "#author", "Ada").await;
    fill(&reader, "#email", "ada@example.org").await;
    let before = reader.current_url().await.unwrap();
    find(&reader, "#preview").await.click().await.unwrap();
    wait_for(&reader, "#comment-preview em").await;
    assert_eq!(text(&reader, "#comment-preview em").await, "hurt");
    assert!(
        !exists(&reader, "#comment-preview b").await,
        "the preview is sanitized like the comment will be"
    );
    assert_eq!(reader.current_url().await.unwrap(), before, "in place, no reload");
    assert_eq!(value(&reader, "#comment").await, "Does it *hurt*? <b>really</b>", "the text stays");
    viewport_screenshot(&reader, "comment-preview.png").await;
    let stored =
        app.db(|c| marginalia::db::comments::count_for_post(c, marginalia::db::ids::PostId(1))).unwrap();
    assert_eq!(stored, 0, "a preview stores nothing");

    find(&reader, "#submit").await.click().await.unwrap();
    let id = posted_id(&reader).await;
    wait_for(&reader, &format!("#comment-{id} a.comment-edit-link")).await.click().await.unwrap();
    wait_for(&reader, "#editform").await;
    fill(&reader, "#editform #comment", "Does it hurt? Asking for a friend.").await;
    find(&reader, "#save-edit").await.click().await.unwrap();
    wait_for(&reader, &format!("#comment-{id} .comment-edited")).await;
    assert!(text(&reader, &format!("#comment-{id} .comment-content")).await.contains("Asking for a friend."));
    viewport_screenshot(&reader, "comment-edited.png").await;

    let stranger = driver.session().await;
    open_article(&stranger, &app).await;
    assert!(
        !exists(&stranger, &format!("#comment-{id} a.comment-edit-link")).await,
        "only its author gets Edit"
    );
}

/// Issue 18: the reply form and the thread have no serious or critical accessibility
/// violations (axe-core, vendored in tests/vendor), at 1280 and 390 px, light and dark.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn accessibility_of_the_thread_and_the_form() {
    let Some(driver) = Driver::start("accessibility_of_the_thread_and_the_form") else { return };
    let app = app_with(|c| c.comments.moderation = ModerationMode::FirstTime).await;
    let first =
        comment_id(&app.submit(SLUG, CommentDraft::new("Grace", "grace@example.org", "A question?")).await);
    app.set_comment_status(first, "approved");
    let reply =
        CommentDraft::new("Ada", "ada@example.org", "An answer.").set("comment_parent", &first.to_string());
    let second = comment_id(&app.submit(SLUG, reply).await);
    app.set_comment_status(second, "approved");
    let axe =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/vendor/axe-core/axe.min.js"))
            .unwrap();
    let reader = driver.session().await;
    let mut failures = Vec::new();
    for (width, height) in [(1280u32, 900u32), (390, 844)] {
        for scheme in ["light", "dark"] {
            reader.set_window_size(width, height).await.unwrap();
            driver.color_scheme(&reader, scheme).await;
            open_article(&reader, &app).await;
            // A refused form too: errors, notices and aria-invalid fields.
            if width == 390 {
                fill(&reader, "#comment", "x").await;
                // Past the browser's own checks, so the server's messages show.
                script(&reader, "document.getElementById('commentform').noValidate = true; return true;")
                    .await;
                find(&reader, "#submit").await.click().await.unwrap();
                wait_for(&reader, ".field-error").await;
            }
            let found = serious_violations(&reader, &axe).await;
            for violation in found.as_array().unwrap() {
                failures.push(format!("{width}px {scheme}: {}", violation.as_str().unwrap_or_default()));
            }
            if width == 390 && scheme == "dark" {
                full_page_screenshot(&reader, "article-phone-390-dark.png").await;
            }
        }
    }
    assert!(failures.is_empty(), "accessibility violations:\n{}", failures.join("\n"));
    // The check itself sees a violation when there is one (a button with no name).
    script(&reader, "document.getElementById('commentform').insertAdjacentHTML('beforeend', '<button></button>'); return true;").await;
    let found = serious_violations(&reader, &axe).await;
    assert!(found.to_string().contains("button-name"), "axe found no nameless button: {found}");
}

/// axe-core's serious and critical findings on the page, as "rule (impact): elements".
async fn serious_violations(reader: &Client, axe: &str) -> Value {
    reader.execute(&format!("{axe}\nreturn true;"), vec![]).await.unwrap();
    reader
        .execute_async(
            "var done = arguments[arguments.length - 1];
             axe.run(document, { resultTypes: ['violations'] }).then(function (r) {
               done(r.violations.filter(function (v) { return v.impact === 'serious' || v.impact === 'critical'; })
                 .map(function (v) { return v.id + ' (' + v.impact + '): ' + v.nodes.map(function (n) { return n.target.join(' '); }).join(', '); }));
             });",
            vec![],
        )
        .await
        .unwrap()
}

/// Issue 18: the article page in Turkish and in Arabic (right to left): the words come from
/// the catalogue, Reply moves the form with the heading in that language, replies indent
/// from the start side (the right in Arabic), and nothing scrolls sideways on a phone.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn turkish_and_arabic_article_pages() {
    let Some(driver) = Driver::start("turkish_and_arabic_article_pages") else { return };
    let articles = [
        (
            "tr",
            "Kışın bahçede neler yapılır?",
            "Kış aylarında bahçe uyur ama bahçıvan uyumaz. Ağaçların budanması, toprağın \
             hazırlanması ve tohum siparişi için en uygun zaman budur.",
            [
                ("Ayşe Yılmaz", "Çok faydalı bir yazı, teşekkürler!"),
                ("Mehmet Öz", "Budama için hangi ayı önerirsiniz?"),
            ],
        ),
        (
            "ar",
            "ماذا نفعل في الحديقة في الشتاء؟",
            "تنام الحديقة في أشهر الشتاء، لكن البستاني لا ينام. هذا هو الوقت المناسب لتقليم الأشجار \
             وتحضير التربة وطلب البذور.",
            [("ليلى حسن", "مقال مفيد جدًا، شكرًا لك!"), ("عمر خالد", "ما الشهر الذي تنصح به للتقليم؟")],
        ),
    ];
    for (language, title, body, [(first_author, first_text), (second_author, second_text)]) in articles {
        let app = TestApp::builder()
            .with_config(move |c| {
                c.site.language = language.into();
                c.comments.moderation = ModerationMode::None;
            })
            .spawn()
            .await;
        app.import(&format!(
            "+++\ntitle = \"{title}\"\nslug = \"kis\"\ndate = 2026-11-20T10:00:00Z\ncategory = \"Bahçe\"\n+++\n{body}\n"
        ));
        let first = comment_id(
            &app.submit("kis", CommentDraft::new(first_author, "a@example.org", first_text)).await,
        );
        let reply = CommentDraft::new(second_author, "b@example.org", second_text)
            .set("comment_parent", &first.to_string());
        comment_id(&app.submit("kis", reply).await);
        let locale = marginalia::i18n::Locale::get(language);

        let reader = driver.session().await;
        reader.goto(&app.url("/posts/kis")).await.unwrap();
        wait_for(&reader, "#commentform").await;
        assert_eq!(script(&reader, "return document.documentElement.dir").await, json!(locale.dir()));
        assert_eq!(text(&reader, "#submit").await, locale.get_text("form-submit"));
        let indent_side = if locale.dir() == "rtl" { "borderRightWidth" } else { "borderLeftWidth" };
        let border = script(
            &reader,
            &format!("return getComputedStyle(document.querySelector('ol.children')).{indent_side}"),
        )
        .await;
        assert_eq!(border, json!("2px"), "{language}: replies indent from the start side");
        let axe =
            std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/vendor/axe-core/axe.min.js"))
                .unwrap();
        let found = serious_violations(&reader, &axe).await;
        assert_eq!(found, json!([]), "{language}: accessibility violations");
        full_page_screenshot(&reader, &format!("article-{language}-1280.png")).await;

        find(&reader, &format!("#comment-{first} .comment-reply-link")).await.click().await.unwrap();
        let heading = text(&reader, "#reply-title").await;
        let expected =
            locale.text(&marginalia::i18n::Text::new("form-reply-to").string("author", first_author));
        assert!(heading.starts_with(&expected), "{language}: {heading:?} starts with {expected:?}");

        reader.set_window_size(390, 844).await.unwrap();
        reader.goto(&app.url("/posts/kis")).await.unwrap();
        wait_for(&reader, "#commentform").await;
        assert_no_sideways_scroll(&reader, &format!("the {language} article on a phone")).await;
        full_page_screenshot(&reader, &format!("article-{language}-390.png")).await;
    }
}

/// Issue 20: a static page on another origin (a second server on 127.0.0.1) embeds the
/// thread; a reader posts through it and sees "awaiting moderation"; the moderator approves
/// it in the admin; the embedded thread shows it. Then the same without JavaScript, through
/// the link the page holds.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_thread_embedded_in_a_static_site_with_and_without_javascript() {
    let Some(driver) = Driver::start("a_thread_embedded_in_a_static_site_with_and_without_javascript") else {
        return;
    };
    let site = common::StaticSite::start().await;
    let origin = site.origin.clone();
    let app = TestApp::builder()
        .with_config(move |c| {
            c.comments.moderation = ModerationMode::All;
            c.embed.sites = vec![marginalia::config::EmbedSite {
                name: "hugo".into(),
                origins: vec![origin],
                keep_query: vec![],
            }];
        })
        .spawn()
        .await;
    // The pages name the comment server, whose address is known once it runs.
    for (path, title) in [("/posts/hello/", "Hello from Hugo"), ("/posts/plain/", "No script here")] {
        site.add(path, common::embedding_page(&app.base_url, &format!("{}{path}", site.origin), title));
    }
    // A strict host page: no 'unsafe-inline' anywhere, the comment server named where needed.
    let server = &app.base_url;
    site.set_csp(&format!(
        "default-src 'self'; script-src 'self' {server}; style-src 'self' {server}; connect-src {server}; \
         img-src 'self'; form-action 'self' {server}"
    ));
    app.user("mod", Role::Moderator, "long-enough-password");

    // With JavaScript: the thread appears inside the static page, styled by its own sheet.
    let reader = driver.session().await;
    reader.goto(&format!("{}/posts/hello/", site.origin)).await.unwrap();
    wait_for(&reader, "#marginalia-thread .marginalia-thread #commentform").await;
    assert!(text(&reader, "#marginalia-thread").await.contains("Leave a Reply"));
    assert!(exists(&reader, "link#marginalia-style").await);
    // Its sheet applied under the host's strict policy (embed.css rounds the buttons).
    let deadline = Instant::now() + WAIT;
    while script(
        &reader,
        "return getComputedStyle(document.querySelector('#marginalia-thread #submit')).borderTopLeftRadius",
    )
    .await
        != "6px"
    {
        assert!(Instant::now() < deadline, "embed.css was not applied");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    // Preview first: rendered by the server, in place, nothing stored.
    fill(&reader, "#comment", "Embedded and *still* moderated.").await;
    fill(&reader, "#author", "Grace Hopper").await;
    fill(&reader, "#email", "grace@example.org").await;
    find(&reader, "#preview").await.click().await.unwrap();
    let preview = wait_for(&reader, "#marginalia-thread #comment-preview em").await;
    assert_eq!(preview.text().await.unwrap(), "still");
    assert_eq!(app.db(|c| common::count_rows(c, "comments")), 0);
    assert_eq!(value(&reader, "#comment").await, "Embedded and *still* moderated.", "the text is kept");
    fill(&reader, "#comment", "Embedded and still moderated.").await;
    find(&reader, "#submit").await.click().await.unwrap();
    let held = wait_for(&reader, "#marginalia-thread .comment-pending .awaiting-moderation").await;
    assert_eq!(held.text().await.unwrap(), "Your comment is awaiting moderation.");
    assert_eq!(
        reader.current_url().await.unwrap().origin().ascii_serialization(),
        site.origin,
        "never left the page"
    );
    let id: i32 = app.db(|c| common::count_rows(c, "comments")) as i32;
    assert_eq!(app.comment_status(id).0, "pending");
    // A reload keeps it visible to its author (the embed kept its token), and to nobody else.
    reader.refresh().await.unwrap();
    wait_for(&reader, &format!("#comment-{id}.comment-pending")).await;
    // A typo fixed: "Edit" opens the comment server's page, which brings the reader back.
    find(&reader, &format!("#comment-{id} a.comment-edit-link")).await.click().await.unwrap();
    let edit_box = wait_for(&reader, "#editform textarea[name=comment]").await;
    edit_box.clear().await.unwrap();
    edit_box.send_keys("Embedded, edited and still moderated.").await.unwrap();
    find(&reader, "#editform button[name=action][value=save]").await.click().await.unwrap();
    let edited = wait_for(&reader, &format!("#marginalia-thread #comment-{id} .comment-content")).await;
    assert!(edited.text().await.unwrap().contains("Embedded, edited and still moderated."));
    assert_eq!(
        reader.current_url().await.unwrap().origin().ascii_serialization(),
        site.origin,
        "back on the page"
    );
    let other = driver.session().await;
    other.goto(&format!("{}/posts/hello/", site.origin)).await.unwrap();
    wait_for(&other, "#marginalia-thread #commentform").await;
    assert!(!exists(&other, &format!("#comment-{id}")).await);

    // The moderator approves it in the admin queue, where the thread's site is named.
    let moderator = driver.session().await;
    admin_login(&moderator, &app, "mod", "long-enough-password").await;
    moderator.goto(&app.url("/admin/comments?status=pending")).await.unwrap();
    let card = wait_for(&moderator, &format!("#mod-comment-{id}.mod-comment")).await;
    assert!(card.text().await.unwrap().contains("Hello from Hugo"));
    find(&moderator, &format!("button[name=single][value=\"{id}:approve\"]")).await.click().await.unwrap();
    wait_for(&moderator, "p.flash").await;
    assert_eq!(app.comment_status(id).0, "approved");

    // Everyone sees it in the embedded thread now, and the count on the page says 1.
    other.refresh().await.unwrap();
    let shown = wait_for(&other, &format!("#marginalia-thread #comment-{id} .comment-content")).await;
    assert!(shown.text().await.unwrap().contains("Embedded, edited and still moderated."));
    assert!(!exists(&other, &format!("#comment-{id} .awaiting-moderation")).await);
    let deadline = Instant::now() + WAIT;
    while text(&other, "[data-marginalia-count]").await != "1" {
        assert!(Instant::now() < deadline, "the count never said 1");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }

    // Without JavaScript: the div's link leads to the thread's own page, where the form works.
    let plain = driver.session_without_javascript().await;
    plain.goto(&format!("{}/posts/plain/", site.origin)).await.unwrap();
    find(&plain, "#marginalia-thread a").await.click().await.unwrap();
    wait_for(&plain, "#commentform").await;
    assert!(text(&plain, ".thread-of").await.contains("Comments on"));
    assert_eq!(text(&plain, "h1.article-title").await, "No script here");
    post_comment(&plain, "Linus", "linus@example.org", "", "Posted with scripts off.").await;
    let plain_id = posted_id(&plain).await;
    wait_for(&plain, &format!("#comment-{plain_id}.comment-pending .awaiting-moderation")).await;
    assert!(plain.current_url().await.unwrap().path().starts_with("/threads/t-"));
    // Approved in the admin queue as well.
    moderator.goto(&app.url("/admin/comments?status=pending")).await.unwrap();
    wait_for(&moderator, &format!("#mod-comment-{plain_id}.mod-comment")).await;
    find(&moderator, &format!("button[name=single][value=\"{plain_id}:approve\"]"))
        .await
        .click()
        .await
        .unwrap();
    wait_for(&moderator, "p.flash").await;
    assert_eq!(app.comment_status(plain_id).0, "approved");
    plain.refresh().await.unwrap();
    wait_for(&plain, &format!("#comment-{plain_id} .comment-content")).await;
    assert!(!exists(&plain, &format!("#comment-{plain_id} .awaiting-moderation")).await);
    // And the embedded thread of that page shows it to a reader with JavaScript.
    other.goto(&format!("{}/posts/plain/", site.origin)).await.unwrap();
    wait_for(&other, &format!("#marginalia-thread #comment-{plain_id} .comment-content")).await;
}
