//! marginalia: a self-hosted blog engine whose heart is the comment section.

pub mod app;
pub mod cli;
pub mod commands;
pub mod config;
pub mod db;
pub mod error;
pub mod i18n;
pub mod jobs;
pub mod routes;
pub mod services;
pub mod state;
pub mod templates;
pub mod text;
pub mod views;
