//! Rules and transactions; synchronous functions taking `&mut Conn`.

pub mod accounts;
pub mod articles;
pub mod audit;
pub mod auth;
pub mod backup;
pub mod classifier;
pub mod comment_form;
pub mod comments;
pub mod demo;
pub mod links;
pub mod mailer;
pub mod markup;
pub mod media;
pub mod metrics;
pub mod moderation;
pub mod navigation;
pub mod notify;
pub mod own_comments;
pub mod post_admin;
pub mod posts;
pub mod privacy;
pub mod rate_limit;
pub mod redirects;
pub mod related;
pub mod search;
pub mod secrets;
pub mod sessions;
pub mod settings;

pub mod signing;
pub mod slug;
pub mod spam;
pub mod spam_eval;
pub mod threads;
pub mod wordpress;
