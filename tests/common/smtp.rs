//! A real SMTP server for tests: speaks the protocol on 127.0.0.1, keeps what it receives.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinSet;

#[derive(Debug, Clone)]
pub struct Received {
    pub from: String,
    pub to: Vec<String>,
    pub data: String,
}

impl Received {
    pub fn parsed(&self) -> mail_parser::Message<'_> {
        mail_parser::MessageParser::default().parse(self.data.as_bytes()).expect("parsable mail")
    }
    pub fn subject(&self) -> String {
        self.parsed().subject().unwrap_or("").to_string()
    }
    pub fn text(&self) -> String {
        self.parsed().body_text(0).map(|t| t.to_string()).unwrap_or_default()
    }
    pub fn html(&self) -> String {
        self.parsed().body_html(0).map(|t| t.to_string()).unwrap_or_default()
    }
    pub fn header(&self, name: &str) -> Option<String> {
        let message = self.parsed();
        message.header_raw(name).map(|v| v.trim().to_string())
    }
    /// Every http URL in the text part.
    pub fn links(&self) -> Vec<String> {
        self.text()
            .split_whitespace()
            .filter(|w| w.starts_with("http://") || w.starts_with("https://"))
            .map(|w| w.trim_end_matches(['.', ',', ')', '>']).to_string())
            .collect()
    }
}

pub struct SmtpSink {
    pub port: u16,
    pub received: Arc<Mutex<Vec<Received>>>,
    tasks: Option<JoinSet<()>>,
}

impl SmtpSink {
    /// Listens on `port` (0: any free port).
    pub async fn start(port: u16) -> SmtpSink {
        Self::start_with(port, Arc::new(Mutex::new(Vec::new()))).await
    }

    /// Listens again, keeping what was received before.
    pub async fn start_with(port: u16, received: Arc<Mutex<Vec<Received>>>) -> SmtpSink {
        let listener = TcpListener::bind(("127.0.0.1", port)).await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let mut tasks = JoinSet::new();
        let store = received.clone();
        tasks.spawn(async move {
            let mut connections = JoinSet::new();
            while let Ok((stream, _)) = listener.accept().await {
                connections.spawn(session(stream, store.clone()));
            }
        });
        SmtpSink { port, received, tasks: Some(tasks) }
    }

    /// Closes the listener and every open connection.
    pub fn stop(&mut self) {
        if let Some(mut tasks) = self.tasks.take() {
            tasks.abort_all();
        }
    }

    pub fn messages(&self) -> Vec<Received> {
        self.received.lock().unwrap().clone()
    }

    /// Waits until at least `n` messages arrived (or panics after `secs`).
    pub async fn wait_for(&self, n: usize, secs: u64) -> Vec<Received> {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(secs);
        loop {
            let messages = self.messages();
            if messages.len() >= n {
                return messages;
            }
            assert!(
                tokio::time::Instant::now() < deadline,
                "waited {secs}s for {n} mails, got {}",
                messages.len()
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

impl Drop for SmtpSink {
    fn drop(&mut self) {
        self.stop();
    }
}

async fn session(stream: TcpStream, store: Arc<Mutex<Vec<Received>>>) {
    let (read, mut write) = stream.into_split();
    let mut lines = BufReader::new(read);
    let reply = |text: &'static str| text.as_bytes();
    if write.write_all(reply("220 sink.test ESMTP ready\r\n")).await.is_err() {
        return;
    }
    let (mut from, mut to) = (String::new(), Vec::new());
    let mut line = String::new();
    loop {
        line.clear();
        if lines.read_line(&mut line).await.unwrap_or(0) == 0 {
            return;
        }
        let upper = line.to_ascii_uppercase();
        let answer: &[u8] = if upper.starts_with("EHLO") {
            b"250-sink.test\r\n250-8BITMIME\r\n250 SMTPUTF8\r\n"
        } else if upper.starts_with("HELO") || upper.starts_with("NOOP") {
            b"250 OK\r\n"
        } else if upper.starts_with("RSET") {
            from.clear();
            to.clear();
            b"250 OK\r\n"
        } else if upper.starts_with("MAIL FROM:") {
            from = line[10..].trim().to_string();
            b"250 OK\r\n"
        } else if upper.starts_with("RCPT TO:") {
            to.push(line[8..].trim().trim_matches(['<', '>']).to_string());
            b"250 OK\r\n"
        } else if upper.starts_with("DATA") {
            if write.write_all(b"354 end with <CRLF>.<CRLF>\r\n").await.is_err() {
                return;
            }
            let mut data = String::new();
            loop {
                line.clear();
                if lines.read_line(&mut line).await.unwrap_or(0) == 0 {
                    return;
                }
                if line == ".\r\n" || line == ".\n" {
                    break;
                }
                data.push_str(line.strip_prefix('.').unwrap_or(&line));
            }
            store.lock().unwrap().push(Received { from: from.clone(), to: std::mem::take(&mut to), data });
            b"250 OK queued\r\n"
        } else if upper.starts_with("QUIT") {
            let _ = write.write_all(b"221 bye\r\n").await;
            return;
        } else {
            b"502 not implemented\r\n"
        };
        if write.write_all(answer).await.is_err() {
            return;
        }
    }
}
