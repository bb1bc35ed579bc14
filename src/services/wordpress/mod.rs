//! WordPress in and out: the WXR reader, content conversion, import and export.

pub mod background;
pub mod content;
pub mod export;
pub mod import;
pub mod wxr;
