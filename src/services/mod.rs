//! Rules and transactions; synchronous functions taking `&mut SqliteConnection`.

pub mod demo;
pub mod import;
pub mod markup;
pub mod posts;
pub mod secrets;
pub mod slug;
