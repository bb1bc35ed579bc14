//! The operator commands behind the CLI (users, tokens, comments). Each prints what it did
//! and returns a one-line error for the user's mistakes.

use std::io::{Read, Write};

use crate::cli::{CommentsCommand, RoleArg, SpamCommand, StatusArg, TokenCommand, UserCommand};
use crate::config::Config;
use crate::db::enums::{CommentStatus, Role};
use crate::db::ids::{CommentId, TokenId};
use crate::db::spam_filter::{self, Label};
use crate::db::{queue, tokens, users, Db};
use crate::error::AppError;
use crate::services::accounts;
use crate::services::audit::Actor;
use crate::services::classifier;
use crate::services::media::{self, FilesCopied, MediaStore};
use crate::services::moderation::actions::{self, Outcome};
use crate::services::moderation::Action;
use crate::services::notify::Notifier;
use crate::services::spam_eval::{self, read_corpus, CorpusText};
use crate::services::wordpress::{export as wp_export, import as wp_import};
use crate::views::api::ApiComment;

fn read_password() -> Result<String, AppError> {
    let mut input = String::new();
    std::io::stdin()
        .read_to_string(&mut input)
        .map_err(|e| AppError::Invalid(format!("cannot read the password from standard input: {e}")))?;
    // Only the line break a shell adds is dropped; spaces inside are the user's.
    Ok(input.trim_end_matches(['\n', '\r']).to_string())
}

pub fn user(db: &Db, command: UserCommand) -> Result<(), AppError> {
    match command {
        UserCommand::Add { username, email, role, .. } => {
            let role = match role {
                RoleArg::Admin => Role::Admin,
                RoleArg::Moderator => Role::Moderator,
            };
            let password = read_password()?;
            let user = accounts::add_user(db, &username, &email, role, &password)?;
            println!("added {} ({})", user.username, user.role);
        }
        UserCommand::Passwd { username, .. } => {
            let user = db.read_now(|c| accounts::find_user(c, &username))?;
            accounts::set_password(db, user.id, &read_password()?)?;
            println!("password changed for {}", user.username);
        }
        UserCommand::List => {
            for user in db.read_now(|c| Ok(users::list(c)?))? {
                println!("{}\t{}\t{}", user.username, user.role, user.email);
            }
        }
        UserCommand::Remove { username } => {
            let user = db.write_now(|tx| {
                let user = accounts::find_user(tx, &username)?;
                accounts::remove_user(tx, user.id)
            })?;
            println!("removed {}", user.username);
        }
        UserCommand::Unlock { username } => {
            let cleared = db.write_now(|tx| crate::services::auth::unlock(tx, &username))?;
            println!(
                "cleared {cleared} failed-login counter{} for {}",
                if cleared == 1 { "" } else { "s" },
                username.trim()
            );
        }
    }
    Ok(())
}

pub fn token(db: &Db, command: TokenCommand) -> Result<(), AppError> {
    match command {
        TokenCommand::Create { username, label } => {
            let token = db.write_now(|tx| accounts::create_token(tx, &username, &label))?;
            println!("{token}");
            eprintln!("This token is shown once. Use it as `Authorization: Bearer <token>`.");
        }
        TokenCommand::List => {
            for (token, username) in db.read_now(|c| Ok(tokens::list(c)?))? {
                let state = if token.revoked_at.is_some() { "revoked" } else { "active" };
                let used = token
                    .last_used_at
                    .map(|t| t.format("%Y-%m-%d %H:%M").to_string())
                    .unwrap_or("never".into());
                println!("{}\t{username}\t{}\t{state}\tlast used {used}", token.id, token.label);
            }
        }
        TokenCommand::Revoke { id } => {
            db.write_now(|tx| accounts::revoke_token(tx, TokenId(id)))?;
            println!("revoked token {id}");
        }
    }
    Ok(())
}

pub fn comments(db: &Db, notifier: &Notifier, command: CommentsCommand) -> Result<(), AppError> {
    let (action, ids) = match command {
        CommentsCommand::List { status, json } => {
            let status = status.map(|s| match s {
                StatusArg::Pending => CommentStatus::Pending,
                StatusArg::Approved => CommentStatus::Approved,
                StatusArg::Spam => CommentStatus::Spam,
                StatusArg::Trash => CommentStatus::Trash,
            });
            let rows = db.read_now(|c| Ok(queue::api_list(c, status, 0, 10_000)?))?;
            let mut out = std::io::stdout().lock();
            let written = if json {
                let list: Vec<ApiComment> = rows.into_iter().map(ApiComment::from).collect();
                let text =
                    serde_json::to_string_pretty(&list).map_err(|e| AppError::Internal(e.to_string()))?;
                writeln!(out, "{text}")
            } else {
                list_rows(&mut out, rows)
            };
            // `comments list | head` closes the pipe early: that is the reader's choice, not an error.
            return match written {
                Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
                    Err(AppError::Internal(format!("cannot write the list: {e}")))
                }
                _ => Ok(()),
            };
        }
        CommentsCommand::Approve { ids } => (Action::Approve, ids),
        CommentsCommand::Spam { ids } => (Action::Spam, ids),
        CommentsCommand::Trash { ids } => (Action::Trash, ids),
    };
    let actor = Actor::cli();
    let mut missing = Vec::new();
    for id in ids {
        match db.write_now(|tx| actions::apply(tx, notifier, &actor, CommentId(id), action)) {
            Ok(Outcome::Changed { from, to }) => println!("{id}: {from} -> {to}"),
            Ok(Outcome::Deleted) => println!("{id}: deleted"),
            Ok(Outcome::Unchanged(why)) => println!("{id}: unchanged ({why})"),
            Err(AppError::NotFound) => missing.push(id.to_string()),
            Err(other) => return Err(other),
        }
    }
    if !missing.is_empty() {
        return Err(AppError::Invalid(format!("no comment with id {}", missing.join(", "))));
    }
    Ok(())
}

/// The tab-separated list with its header line (and a line saying so when it is empty).
fn list_rows(out: &mut impl std::io::Write, rows: Vec<crate::db::queue::QueueRow>) -> std::io::Result<()> {
    writeln!(out, "ID\tSTATUS\tARTICLE\tAUTHOR\tEMAIL\tTEXT")?;
    if rows.is_empty() {
        writeln!(out, "(no comments)")?;
    }
    for (c, slug, _) in rows {
        let text: String = c.body_source.chars().take(60).collect::<String>().replace('\n', " ");
        writeln!(out, "{}\t{}\t{}\t{}\t{}\t{}", c.id, c.status, slug, c.author, c.email, text)?;
    }
    Ok(())
}

/// Queues a test mail and delivers it at once, reporting the SMTP server's answer.
pub async fn mail_test(
    db: &Db,
    notifier: &Notifier,
    mailer: &crate::services::mailer::Mailer,
    to: &str,
) -> Result<(), AppError> {
    crate::services::comment_form::validate_email(&to.trim().to_lowercase())
        .map_err(|_| AppError::Invalid(format!("`{to}` is not a valid email address")))?;
    let mail = db.write_now(|tx| {
        let id = crate::services::notify::test_mail(notifier, tx, to.trim())?;
        crate::db::outbox::find(tx, id)?.ok_or_else(|| AppError::Internal("the test mail vanished".into()))
    })?;
    // No retries from the command line: the answer is what the operator asked for.
    let mut once = notifier.config.mail.clone();
    once.max_attempts = 1;
    match crate::jobs::deliver(db, mailer, &once, &mail).await? {
        Ok(()) => {
            println!("sent: the SMTP server accepted a test mail for {to}");
            Ok(())
        }
        Err(error) => {
            Err(AppError::Invalid(format!("the SMTP server refused or could not be reached: {error}")))
        }
    }
}

pub fn privacy(
    db: &Db,
    config: &crate::config::Config,
    command: crate::cli::PrivacyCommand,
) -> Result<(), AppError> {
    use crate::cli::PrivacyCommand;
    use crate::services::privacy;
    match command {
        PrivacyCommand::Export { email } => {
            let export = db.read_now(|c| privacy::export(c, config, &email))?;
            println!(
                "{}",
                serde_json::to_string_pretty(&export).map_err(|e| AppError::Internal(e.to_string()))?
            );
        }
        PrivacyCommand::Erase { email, keep_text } => {
            let erased = db.write_now(|tx| privacy::erase(tx, config, "cli", &email, keep_text, None))?;
            println!(
                "{} comment(s) anonymized, {} subscription(s) and {} mail(s) deleted",
                erased.comments, erased.subscriptions, erased.mails
            );
        }
        PrivacyCommand::Purge => {
            let n = privacy::purge_ips(db, config.privacy.ip_retention_days)?;
            println!("{n} comment(s) had their IP truncated");
        }
    }
    Ok(())
}

/// `import wxr`: the import with a progress bar (or plain lines when stderr is not a
/// terminal), then the summary table on stdout.
pub fn import_wxr(
    db: &Db,
    file: &std::path::Path,
    options: &wp_import::ImportOptions,
) -> Result<(), AppError> {
    let progress = TerminalProgress::new("items");
    let result = wp_import::import_file(db, file, options, &progress);
    progress.finish();
    let summary = result?;
    print!("{summary}");
    Ok(())
}

/// `import disqus|isso|remark42|commento FILE`: into threads of the sites allowed to embed.
pub fn import_comments(
    db: &Db,
    config: &Config,
    source: &str,
    args: &crate::cli::ForeignImport,
) -> Result<(), AppError> {
    use crate::services::comment_import::{self as foreign, Target};
    let open = || {
        std::fs::File::open(&args.file)
            .map_err(|e| AppError::Invalid(format!("cannot open {}: {e}", args.file.display())))
    };
    let comments = match source {
        "disqus" => foreign::disqus::read(std::io::BufReader::new(open()?))?,
        "isso" => foreign::isso::read(&args.file)?,
        "remark42" => foreign::remark42::read(open()?)?,
        _ => foreign::commento::read(open()?)?,
    };
    let site = crate::services::settings::SiteSettings::from_config(&config.site);
    let navigation = crate::services::navigation::Navigation::new(site, &config.embed.sites);
    db.read_now(|c| navigation.refresh(c))?;
    let sites = navigation.embed_sites();
    let source = match source {
        "isso" => foreign::isso::source_key(args.site.as_deref()),
        other => other.to_string(),
    };
    let target = Target { source: &source, sites: &sites, site: args.site.as_deref(), dry_run: args.dry_run };
    print!("{}", foreign::import(db, &target, comments)?);
    Ok(())
}

/// `export wxr`: to a file (written beside it, then renamed, so a failed export never leaves
/// half a file under the name) or to standard output.
pub fn export_wxr(
    db: &Db,
    config: &crate::config::Config,
    output: Option<&std::path::Path>,
    with_spam: bool,
) -> Result<(), AppError> {
    let site = wp_export::SiteInfo::from_config(config);
    match output {
        Some(path) => {
            let counts = wp_export::export_to_file(db, &site, path, with_spam)?;
            eprintln!("exported {counts} to {}", path.display());
        }
        None => {
            let stdout = std::io::stdout();
            let counts = wp_export::export(db, &site, std::io::BufWriter::new(stdout.lock()), with_spam)?;
            eprintln!("exported {counts}");
        }
    }
    Ok(())
}

/// Progress on stderr: indicatif's bar on a terminal, a line every few seconds otherwise.
struct TerminalProgress {
    bar: Option<indicatif::ProgressBar>,
    /// What the phases count ("items" of an import, "rows" of a copy).
    unit: &'static str,
    plain: std::sync::Mutex<PlainProgress>,
}

struct PlainProgress {
    phase: String,
    total_items: u64,
    total_comments: u64,
    started: std::time::Instant,
    last: std::time::Instant,
}

const PLAIN_EVERY: std::time::Duration = std::time::Duration::from_secs(2);

impl TerminalProgress {
    fn new(unit: &'static str) -> TerminalProgress {
        use std::io::IsTerminal;
        let bar = std::io::stderr().is_terminal().then(indicatif::ProgressBar::hidden);
        let now = std::time::Instant::now();
        TerminalProgress {
            bar,
            unit,
            plain: std::sync::Mutex::new(PlainProgress {
                phase: String::new(),
                total_items: 0,
                total_comments: 0,
                started: now,
                last: now,
            }),
        }
    }

    fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

impl wp_import::Progress for TerminalProgress {
    fn phase(&self, name: &str, items: u64, comments: u64) {
        if let Some(bar) = &self.bar {
            // "checking" counts bytes of the file; "importing" counts items.
            let template = if name == "checking" {
                "{prefix:>10} [{bar:30}] {bytes}/{total_bytes} {bytes_per_sec}, ETA {eta} {msg}".to_string()
            } else {
                format!(
                    "{{prefix:>18}} [{{bar:30}}] {{pos}}/{{len}} {}, {{per_sec}}, ETA {{eta}} {{msg}}",
                    self.unit
                )
            };
            if let Ok(style) = indicatif::ProgressStyle::with_template(&template) {
                bar.set_style(style.progress_chars("=> "));
            }
            bar.set_draw_target(indicatif::ProgressDrawTarget::stderr());
            bar.set_prefix(name.to_string());
            bar.set_length(items);
            bar.set_position(0);
            bar.reset_eta();
            bar.set_message(if comments > 0 { format!("({comments} comments)") } else { String::new() });
        }
        if let Ok(mut plain) = self.plain.lock() {
            let now = std::time::Instant::now();
            *plain = PlainProgress {
                phase: name.to_string(),
                total_items: items,
                total_comments: comments,
                started: now,
                last: now,
            };
        }
    }

    fn advance(&self, items: u64, comments: u64) {
        if let Some(bar) = &self.bar {
            bar.set_position(items);
            if comments > 0 {
                bar.set_message(format!("({comments} comments)"));
            }
            return;
        }
        let Ok(mut plain) = self.plain.lock() else { return };
        let now = std::time::Instant::now();
        if now.duration_since(plain.last) < PLAIN_EVERY {
            return;
        }
        plain.last = now;
        let elapsed = now.duration_since(plain.started).as_secs_f64().max(0.001);
        let rate = items as f64 / elapsed;
        let eta = if rate > 0.0 { (plain.total_items.saturating_sub(items)) as f64 / rate } else { 0.0 };
        let unit = if plain.phase == "checking" { "bytes" } else { self.unit };
        let comments = if plain.total_comments > 0 {
            format!(", {comments}/{} comments", plain.total_comments)
        } else {
            String::new()
        };
        eprintln!(
            "{}: {items}/{} {unit}{comments}, {rate:.0} {unit}/s, ETA {eta:.0} s",
            plain.phase, plain.total_items
        );
    }
}

impl crate::db::copy::CopyProgress for TerminalProgress {
    fn table(&self, name: &str, rows: u64) {
        wp_import::Progress::phase(self, name, rows, 0);
    }

    fn copied(&self, rows: u64) {
        wp_import::Progress::advance(self, rows, 0);
    }
}

/// `backup --output FILE`.
pub fn backup(config: &Config, output: &std::path::Path) -> Result<(), AppError> {
    if config.database.is_postgres() {
        return Err(AppError::Invalid(
            "on PostgreSQL, back up with pg_dump (see the README, \"Operating\")".into(),
        ));
    }
    // As it is, without migrating it (an older database is backed up as it is).
    let db = Db::connect(&config.database.url, 1)?;
    let written = crate::services::backup::backup_to(&db, config, output)?;
    let media = if written.media_files > 0 {
        format!(", {} upload file(s) in {}.media/", written.media_files, written.file.display())
    } else {
        String::new()
    };
    println!("backed up to {} ({} bytes){media}", written.file.display(), written.bytes);
    Ok(())
}

/// `restore FILE`.
pub fn restore(config: &Config, file: &std::path::Path) -> Result<(), AppError> {
    let restored = crate::services::backup::restore(config, file)?;
    let c = &restored.check;
    if let Some(kept) = &restored.previous {
        println!("the database it replaced is kept as {}", kept.display());
    }
    println!(
        "restored {} to {}: {} post(s), {} comment(s), {} upload file(s){}",
        file.display(),
        config.database.url,
        c.posts,
        c.comments,
        restored.media_files,
        if c.behind > 0 {
            format!("; {} migration(s) will run at the next start", c.behind)
        } else {
            String::new()
        }
    );
    Ok(())
}

/// `db copy`: the whole site from one database into a new, empty one, media included.
pub fn db_copy(
    from: &str,
    to: &str,
    from_media: Option<&str>,
    to_media: Option<&str>,
) -> Result<(), AppError> {
    let (from_store, to_store) = (
        MediaStore::for_database(from, from_media.unwrap_or("")),
        MediaStore::for_database(to, to_media.unwrap_or("")),
    );
    let progress = TerminalProgress::new("rows");
    let mut files = FilesCopied::default();
    let copied = crate::db::copy::copy(from, to, &progress, |src, dst| {
        files = media::copy_files(src, dst, &from_store, &to_store)?;
        Ok(())
    });
    progress.finish();
    let report = copied?;
    for (table, rows) in &report.tables {
        println!("{table:>20}: {rows} row(s)");
    }
    let media_place = match &to_store {
        MediaStore::Directory(dir) => format!("into {}", dir.display()),
        MediaStore::Database(_) => "into the database".to_string(),
    };
    println!("{:>20}: {} upload(s), {} file(s) {media_place}", "media files", files.uploads, files.files);
    if !files.missing.is_empty() {
        eprintln!(
            "warning: {} upload(s) had no files in the source (their images were already gone): {}",
            files.missing.len(),
            files.missing.join(", ")
        );
    }
    println!(
        "copied {} to {}; every table's rows counted on both sides",
        crate::db::display_url(from),
        crate::db::display_url(to)
    );
    Ok(())
}

pub fn spam(config: &Config, command: SpamCommand, tera: std::sync::Arc<tera::Tera>) -> Result<(), AppError> {
    match command {
        SpamCommand::Train { spam, ham } => {
            if spam.is_none() && ham.is_none() {
                return Err(AppError::Invalid("give --spam FILE, --ham FILE or both".into()));
            }
            let db = Db::open(&config.database.url, 2)?;
            for (path, label) in [(spam, Label::Spam), (ham, Label::Ham)] {
                let Some(path) = path else { continue };
                let texts = read_corpus(&path)?;
                let n = db.write_private_now(|tx| {
                    classifier::train_many(tx, texts.iter().map(CorpusText::as_comment), label)
                })?;
                println!("trained {n} {} text(s) from {}", label.as_str(), path.display());
            }
            print_stats(&db, config)
        }
        SpamCommand::Stats => print_stats(&Db::open(&config.database.url, 2)?, config),
        SpamCommand::Eval { spam, ham } => {
            let report = spam_eval::run(config, tera, read_corpus(&spam)?, read_corpus(&ham)?)?;
            println!("{report}");
            Ok(())
        }
    }
}

fn print_stats(db: &Db, config: &Config) -> Result<(), AppError> {
    let r = db.read_now(|c| Ok(spam_filter::record(c)?))?;
    let s = &config.spam;
    println!("learned filter: {}", if s.learn { "on" } else { "off (still learning from decisions)" });
    println!("trained on: {} spam, {} genuine ({} tokens)", r.spam_docs, r.ham_docs, r.tokens);
    let needs = i64::from(s.min_training);
    if r.spam_docs < needs || r.ham_docs < needs {
        println!("still learning: marks spam once it has {needs} of each kind, only holds until then");
    }
    println!("thresholds: spam at {:.2}, held at {:.2}", s.threshold_spam, s.threshold_hold);
    println!(
        "record: {} marked spam, {} of them reversed by moderators; {} held",
        r.marked_spam, r.reversed, r.held
    );
    Ok(())
}

/// `marginalia post delete|restore SLUG`.
pub fn post(db: &Db, command: crate::cli::PostCommand) -> Result<(), AppError> {
    use crate::cli::PostCommand;
    use crate::services::post_admin;
    let find = |slug: &str| -> Result<crate::db::posts::Post, AppError> {
        let slug = slug.to_string();
        db.read_now(move |c| crate::db::posts::find_by_slug(c, &slug)?.ok_or(AppError::NotFound)).map_err(
            |e| match e {
                AppError::NotFound => AppError::Invalid("no post has that slug".into()),
                other => other,
            },
        )
    };
    match command {
        PostCommand::Import { .. } => Err(AppError::Internal("post import is handled by main".into())),
        PostCommand::Delete { slug, permanently } => {
            let id = find(&slug)?.id;
            let post = db.write_now(|tx| {
                let trashed = post_admin::trash(tx, id, "cli")?;
                if permanently {
                    post_admin::delete_permanently(tx, id, "cli")
                } else {
                    Ok(trashed)
                }
            })?;
            if permanently {
                println!("deleted “{}” and its comments for good", post.title);
            } else {
                println!(
                    "moved “{}” to the trash with its comments (restore: marginalia post restore {slug}; deleted for good after {} days)",
                    post.title,
                    post_admin::TRASH_DAYS
                );
            }
            Ok(())
        }
        PostCommand::Restore { slug } => {
            let id = find(&slug)?.id;
            let post = db.write_now(|tx| post_admin::restore(tx, id, "cli"))?;
            println!("restored “{}” as {}", post.title, post.status);
            Ok(())
        }
    }
}
