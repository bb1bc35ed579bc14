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
}

#[derive(Debug, Subcommand)]
pub enum PostCommand {
    /// Create or update articles (by slug) from Markdown files with TOML front matter.
    Import {
        #[arg(required = true, value_name = "FILE.md")]
        files: Vec<PathBuf>,
    },
}
