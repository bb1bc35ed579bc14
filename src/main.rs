use std::net::TcpListener;
use std::process::ExitCode;

use clap::Parser;
use marginalia::cli::{Cli, Command, DbCommand, ExportCommand, ImportCommand, MailCommand, PostCommand};
use marginalia::commands;
use marginalia::config::{Config, LogFormat};
use marginalia::services::mailer::Mailer;
use marginalia::services::notify::Notifier;
use marginalia::services::wordpress::import::ImportOptions;
use marginalia::services::{articles, backup, demo};
use marginalia::state::AppState;
use marginalia::{app, db};
use tracing_subscriber::EnvFilter;

#[actix_web::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    // The log format is configuration: read it first (a bad file is reported as any error).
    let config = match Config::load(cli.config.as_deref()) {
        Ok(config) => config,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    let logs = tracing_subscriber::fmt()
        .with_env_filter(EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info")))
        .with_writer(std::io::stderr);
    match config.log.format {
        LogFormat::Text => logs.init(),
        LogFormat::Json => logs.json().flatten_event(true).init(),
    }
    match run(cli, config).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

/// Every failure comes back as one human line; no backtraces for user mistakes.
async fn run(cli: Cli, config: Config) -> Result<(), String> {
    // Every command but these opens the database: `restore` waits until none has it open.
    let uses_database = !matches!(cli.command, Command::Restore { .. } | Command::Db { .. });
    let _in_use = if uses_database && !config.database.is_postgres() {
        Some(backup::mark_in_use(std::path::Path::new(&config.database.url)).map_err(|e| e.to_string())?)
    } else {
        None
    };
    // `backup` copies the database as it is: it migrates nothing.
    if uses_database && !matches!(cli.command, Command::Backup { .. }) {
        if let Some(written) = backup::before_migrate(&config).map_err(|e| e.to_string())? {
            eprintln!("new migrations to apply: backed up the database first to {}", written.file.display());
        }
    }
    match cli.command {
        Command::Serve { demo } => serve(config, demo).await,
        Command::Migrate => {
            let db = db::Db::connect(&config.database.url, 1).map_err(|e| e.to_string())?;
            let applied = db.migrate().map_err(|e| e.to_string())?;
            println!("applied {applied} migration(s) to {}", db::display_url(&config.database.url));
            Ok(())
        }
        Command::Post { command: PostCommand::Import { files } } => import_files(config, &files),
        Command::Post { command } => commands::post(&connect(&config)?, command).map_err(|e| e.to_string()),
        Command::User { command } => commands::user(&connect(&config)?, command).map_err(|e| e.to_string()),
        Command::Token { command } => commands::token(&connect(&config)?, command).map_err(|e| e.to_string()),
        Command::Comments { command } => {
            let db = connect(&config)?;
            let notifier = Notifier::for_cli(&db, &config, cli_templates(&config, Some(&db))?)
                .map_err(|e| e.to_string())?;
            commands::comments(&db, &notifier, command).map_err(|e| e.to_string())
        }
        Command::Privacy { command } => {
            commands::privacy(&connect(&config)?, &config, command).map_err(|e| e.to_string())
        }
        Command::Import { command: ImportCommand::Wxr { file, dry_run, author, skip_pingbacks } } => {
            let options = ImportOptions { dry_run, author, skip_pingbacks, display_name: None };
            commands::import_wxr(&connect(&config)?, &file, &options).map_err(|e| e.to_string())
        }
        Command::Import { command: ImportCommand::Disqus(args) } => import_comments(&config, "disqus", &args),
        Command::Import { command: ImportCommand::Isso(args) } => import_comments(&config, "isso", &args),
        Command::Import { command: ImportCommand::Remark42(args) } => {
            import_comments(&config, "remark42", &args)
        }
        Command::Import { command: ImportCommand::Commento(args) } => {
            import_comments(&config, "commento", &args)
        }
        Command::Export { command: ExportCommand::Wxr { output, no_spam } } => {
            commands::export_wxr(&connect(&config)?, &config, output.as_deref(), !no_spam)
                .map_err(|e| e.to_string())
        }
        Command::Backup { output } => commands::backup(&config, &output).map_err(|e| e.to_string()),
        Command::Restore { file } => commands::restore(&config, &file).map_err(|e| e.to_string()),
        Command::Db { command: DbCommand::Copy { from, to, from_media, to_media } } => {
            commands::db_copy(&from, &to, from_media.as_deref(), to_media.as_deref())
                .map_err(|e| e.to_string())
        }
        Command::Spam { command } => {
            commands::spam(&config, command, cli_templates(&config, None)?).map_err(|e| e.to_string())
        }
        Command::Mail { command: MailCommand::Test { to } } => {
            let mailer = Mailer::new(&config.mail).map_err(|e| e.to_string())?;
            let db = connect(&config)?;
            let notifier = Notifier::for_cli(&db, &config, cli_templates(&config, Some(&db))?)
                .map_err(|e| e.to_string())?;
            commands::mail_test(&db, &notifier, &mailer, &to).await.map_err(|e| e.to_string())
        }
    }
}

fn import_comments(
    config: &Config,
    source: &str,
    args: &marginalia::cli::ForeignImport,
) -> Result<(), String> {
    let db = connect(config)?;
    commands::import_comments(&db, config, source, args).map_err(|e| e.to_string())
}

/// The templates, for commands that write mail: in the site's language, as the admin set it
/// when the database is at hand.
fn cli_templates(config: &Config, db: Option<&db::Db>) -> Result<std::sync::Arc<tera::Tera>, String> {
    let site = marginalia::services::settings::SiteSettings::from_config(&config.site);
    let nav = marginalia::services::navigation::Navigation::new(site, &config.embed.sites);
    if let Some(db) = db {
        db.read_now(|c| nav.refresh(c)).map_err(|e| e.to_string())?;
    }
    let tera = marginalia::templates::build(&nav).map_err(|e| e.to_string())?;
    Ok(std::sync::Arc::new(tera))
}

/// The database with migrations applied, for the operator commands.
fn connect(config: &Config) -> Result<db::Db, String> {
    db::Db::open(&config.database.url, 2).map_err(|e| e.to_string())
}

async fn serve(config: Config, load_demo: bool) -> Result<(), String> {
    let bind = config.server.bind;
    let base_url = config.server.base_url.clone();
    let state = AppState::build(config).map_err(|e| e.to_string())?;
    if load_demo {
        for (file, outcome) in demo::load(&state.db).map_err(|e| e.to_string())? {
            tracing::info!(%file, ?outcome, "demo article");
        }
        state.db.read_now(|c| state.navigation.refresh(c)).map_err(|e| e.to_string())?;
        if let Some(password) = demo::ensure_admin(&state.db).map_err(|e| e.to_string())? {
            // Printed once, to the operator's terminal only; never logged.
            eprintln!("\n  Demo admin created: log in at {base_url}/admin/login as `admin` with password `{password}`\n");
        } else {
            eprintln!(
                "\n  Demo site already set up. Forgot the admin password? `marginalia user passwd --username admin --password-stdin`\n"
            );
        }
        if demo::seed_discussion(&state.db).map_err(|e| e.to_string())? {
            tracing::info!("demo discussion left on the seed article");
        }
    }
    let jobs = marginalia::jobs::spawn_all(&state);
    let db = state.db.clone();
    let listener = TcpListener::bind(bind).map_err(|e| format!("cannot listen on {bind}: {e}"))?;
    let metrics_bind = state.config.metrics.bind.trim().to_string();
    if !metrics_bind.is_empty() {
        // Not fatal: a second instance on the machine may find the port taken.
        match TcpListener::bind(&metrics_bind).and_then(|l| app::run_metrics(l, state.clone())) {
            Ok(server) => {
                tracing::info!(bind = %metrics_bind, "metrics at /metrics");
                actix_web::rt::spawn(server);
            }
            Err(e) => tracing::warn!(bind = %metrics_bind, error = %e, "no metrics listener"),
        }
    }
    tracing::info!(%bind, %base_url, "marginalia is listening");
    let server = app::run(listener, state).map_err(|e| e.to_string())?;
    // systemd (Type=notify) learns it is up; nothing happens without NOTIFY_SOCKET.
    let _ = sd_notify::notify(false, &[sd_notify::NotifyState::Ready]);
    // SIGTERM or Ctrl-C: no new connections, requests in flight (a comment's group commit
    // included) are answered, then it returns.
    let served = server.await.map_err(|e| e.to_string());
    let _ = sd_notify::notify(false, &[sd_notify::NotifyState::Stopping]);
    jobs.shut_down(&db);
    tracing::info!("marginalia stopped");
    served
}

fn import_files(config: Config, files: &[std::path::PathBuf]) -> Result<(), String> {
    let state = AppState::build(config).map_err(|e| e.to_string())?;
    // Parse everything first: one bad file stops the run before anything is written.
    let mut articles = Vec::with_capacity(files.len());
    for path in files {
        let name = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|e| format!("{name}: cannot read: {e}"))?;
        articles.push((name.clone(), articles::parse_article(&name, &text).map_err(|e| e.to_string())?));
    }
    for (name, article) in articles {
        let outcome = state
            .db
            .write_now(|tx| articles::import_article(tx, &article))
            .map_err(|e| format!("{name}: {e}"))?;
        let path = marginalia::services::posts::public_path(article.kind, &article.slug);
        println!("{name}: {} {path}", format!("{outcome:?}").to_lowercase());
    }
    Ok(())
}
