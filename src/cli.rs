//! Command line (the contract's CLI).

use std::path::PathBuf;

use clap::{Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(name = "marginalia", version, about = "A self-hosted blog whose heart is the comment section")]
pub struct Cli {
    /// Configuration file read after the built-in defaults (environment variables
    /// MARGINALIA_<SECTION>__<KEY> override both).
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the site; applies pending migrations first.
    Serve {
        /// Also load the demo articles (created or refreshed by slug) before serving.
        #[arg(long)]
        demo: bool,
    },
    /// Apply pending database migrations and exit.
    Migrate,
    /// Manage articles.
    Post {
        #[command(subcommand)]
        command: PostCommand,
    },
    /// Manage admin and moderator accounts.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// Manage API tokens.
    Token {
        #[command(subcommand)]
        command: TokenCommand,
    },
    /// Mail: check that notifications get through.
    Mail {
        #[command(subcommand)]
        command: MailCommand,
    },
    /// A commenter's data: export, erase; apply IP retention now.
    Privacy {
        #[command(subcommand)]
        command: PrivacyCommand,
    },
    /// Moderate comments from the shell.
    Comments {
        #[command(subcommand)]
        command: CommentsCommand,
    },
    /// Bring a blog in from another engine.
    Import {
        #[command(subcommand)]
        command: ImportCommand,
    },
    /// Write the whole blog out for another engine.
    Export {
        #[command(subcommand)]
        command: ExportCommand,
    },
    /// The learned spam filter: teach it, see how it stands, measure it.
    Spam {
        #[command(subcommand)]
        command: SpamCommand,
    },
    /// A consistent copy of the live SQLite database (and its uploads, in FILE.media/) while
    /// the site serves. On PostgreSQL, use pg_dump.
    Backup {
        #[arg(long, value_name = "FILE")]
        output: PathBuf,
    },
    /// Put a backup in place of the database: refused while a `marginalia serve` has it open,
    /// and for a damaged, foreign or newer file.
    Restore {
        #[arg(value_name = "FILE")]
        file: PathBuf,
    },
    /// The database itself: move a site between SQLite and PostgreSQL.
    Db {
        #[command(subcommand)]
        command: DbCommand,
    },
}

#[derive(Debug, Subcommand)]
pub enum DbCommand {
    /// Copy everything (posts, comments, users, settings, mail, media...) into a new, empty
    /// database: `--from site.db --to postgres://user:pass@host/db`, or back. The source is
    /// only read; the target is created and migrated, and left empty if anything fails.
    Copy {
        /// The database to read: a SQLite file or a postgres:// URL.
        #[arg(long, value_name = "DATABASE")]
        from: String,
        /// The empty database to fill: a SQLite file or a postgres:// URL.
        #[arg(long, value_name = "DATABASE")]
        to: String,
        /// The source's media directory when it is SQLite (default: `media` beside the file).
        #[arg(long, value_name = "DIR")]
        from_media: Option<String>,
        /// The target's media directory when it is SQLite (default: `media` beside the file).
        #[arg(long, value_name = "DIR")]
        to_media: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
pub enum SpamCommand {
    /// Teach the filter texts that are not comments here (e.g. spam WordPress kept in its
    /// database): one text a line, or JSON lines with `text` (and optional `author`, `email`,
    /// `url`).
    Train {
        #[arg(long, value_name = "FILE")]
        spam: Option<PathBuf>,
        #[arg(long, value_name = "FILE")]
        ham: Option<PathBuf>,
    },
    /// What the filter has learned, its thresholds and its record.
    Stats,
    /// Measure the filter on a labelled corpus without touching the site: trains a scratch
    /// database on half of each file through moderators' decisions, scores the other half.
    Eval {
        #[arg(long, value_name = "FILE")]
        spam: PathBuf,
        #[arg(long, value_name = "FILE")]
        ham: PathBuf,
    },
}

#[derive(Debug, Subcommand)]
pub enum ImportCommand {
    /// A WordPress export (WXR 1.0-1.2, from Tools > Export): posts, pages, categories, tags
    /// and comments; old links redirect. Running it again changes nothing.
    Wxr {
        file: PathBuf,
        /// Check the file and print what would be imported; write nothing.
        #[arg(long)]
        dry_run: bool,
        /// Show this marginalia user as the author of every imported post.
        #[arg(long, value_name = "USERNAME")]
        author: Option<String>,
        /// Leave pingbacks and trackbacks out.
        #[arg(long)]
        skip_pingbacks: bool,
    },
    /// Disqus's XML export: threads by their page's URL, with authors, emails and replies.
    Disqus(ForeignImport),
    /// Isso's SQLite file (its pages are paths: name the site with --site).
    Isso(ForeignImport),
    /// Remark42's backup file (gzipped or not).
    Remark42(ForeignImport),
    /// Commento's JSON export.
    Commento(ForeignImport),
}

/// Comments from another system, into threads of `embed.sites`. Running it again adds only
/// what is new; a failure leaves nothing.
#[derive(Debug, clap::Args)]
pub struct ForeignImport {
    pub file: PathBuf,
    /// Print what would be imported; write nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Every page is on this site of embed.sites (else each URL's origin says which).
    #[arg(long, value_name = "NAME")]
    pub site: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum ExportCommand {
    /// A WXR 1.2 file WordPress's importer reads: articles, pages, categories, tags and
    /// comments of every status.
    Wxr {
        /// Where to write (standard output when left out).
        #[arg(long, value_name = "FILE")]
        output: Option<PathBuf>,
        /// Leave spam comments out.
        #[arg(long)]
        no_spam: bool,
    },
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum RoleArg {
    Admin,
    Moderator,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum StatusArg {
    Pending,
    Approved,
    Spam,
    Trash,
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Add a user; the password is read from standard input.
    Add {
        #[arg(long)]
        username: String,
        #[arg(long)]
        email: String,
        #[arg(long, value_enum, default_value = "moderator")]
        role: RoleArg,
        /// Read the password from standard input (required: passwords never go on the command line).
        #[arg(long, required = true)]
        password_stdin: bool,
    },
    /// Set a new password (read from standard input); ends the user's other sessions.
    Passwd {
        #[arg(long)]
        username: String,
        #[arg(long, required = true)]
        password_stdin: bool,
    },
    /// List users.
    List,
    /// Remove a user (the last admin cannot be removed).
    Remove {
        #[arg(long)]
        username: String,
    },
    /// Forget the failed logins counted against a username (from every address).
    Unlock {
        #[arg(long)]
        username: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum PrivacyCommand {
    /// Print everything stored about an email address as JSON (comments in every status, IPs,
    /// user agents, subscriptions, mails).
    Export {
        #[arg(long)]
        email: String,
    },
    /// Anonymize every comment of an email address, delete its subscriptions and mails.
    Erase {
        #[arg(long)]
        email: String,
        /// Keep the comments' text (name, email, website, IP and user agent still go).
        #[arg(long)]
        keep_text: bool,
    },
    /// Truncate IPs older than privacy.ip_retention_days now (for cron).
    Purge,
}

#[derive(Debug, Subcommand)]
pub enum MailCommand {
    /// Send a test mail now through mail.smtp_url: says whether the SMTP server accepted it, and
    /// its error when not.
    Test {
        #[arg(long, value_name = "ADDR")]
        to: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum TokenCommand {
    /// Create an API token for a user; it is printed once and only its hash is stored.
    Create {
        #[arg(long)]
        username: String,
        #[arg(long, default_value = "api")]
        label: String,
    },
    /// List tokens (never the tokens themselves).
    List,
    /// Revoke a token by id.
    Revoke { id: i32 },
}

#[derive(Debug, Subcommand)]
pub enum CommentsCommand {
    /// List comments, newest first.
    List {
        #[arg(long, value_enum)]
        status: Option<StatusArg>,
        /// JSON, as the API answers.
        #[arg(long)]
        json: bool,
    },
    /// Approve comments.
    Approve {
        #[arg(required = true)]
        ids: Vec<i32>,
    },
    /// Mark comments as spam.
    Spam {
        #[arg(required = true)]
        ids: Vec<i32>,
    },
    /// Move comments to the trash.
    Trash {
        #[arg(required = true)]
        ids: Vec<i32>,
    },
}

#[derive(Debug, Subcommand)]
pub enum PostCommand {
    /// Create or update articles (by slug) from Markdown files with TOML front matter.
    Import {
        #[arg(required = true, value_name = "FILE.md")]
        files: Vec<PathBuf>,
    },
    /// Move a post to the trash (its comments are kept with it); restore brings both back.
    Delete {
        slug: String,
        /// Delete it and its comments for good (no restore).
        #[arg(long)]
        permanently: bool,
    },
    /// Take a post out of the trash with the status it had.
    Restore { slug: String },
}
