//! WordPress in and out: the WXR reader, content conversion, import and export.

pub mod content;
pub mod export;
pub mod background;
pub mod import;
pub mod wxr;
