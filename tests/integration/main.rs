//! Every integration test in one binary (one link step, and the tests of all modules run in
//! parallel): each starts what it needs (a real server on 127.0.0.1, a temp SQLite file, an
//! SMTP server) through `common::TestApp`. The browser tests are their own binary.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../common/mod.rs"]
mod common;

mod blog;
mod cli;
mod comment_safety;
mod comments;
mod db_copy;
mod embed;
mod foreign_import;
mod instances;
mod languages;
mod moderation;
mod notify;
mod operating;
mod page_cache;
mod privacy;
mod public_pages;
mod query_plans;
mod readers;
mod rough_edges;
mod schema;
mod security;
mod snapshots;
mod spam_filter;
mod wxr;
mod wxr_admin;
