//! The site navigation (published pages), kept in memory so rendering never waits on the
//! database: refreshed at start, after in-process changes, and every few seconds by a job
//! (another process, such as `marginalia import wxr`, may have changed the pages).

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock};

use diesel::SqliteConnection;
use serde::Serialize;

use crate::db::enums::PostKind;
use crate::db::posts;
use crate::error::AppError;
use crate::services::posts::public_path;

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct NavLink {
    pub title: String,
    pub url: String,
}

#[derive(Debug, Clone, Default)]
pub struct Navigation {
    pages: Arc<RwLock<Vec<NavLink>>>,
    /// Bumped whenever the links change (the page cache drops pages rendered before).
    version: Arc<AtomicU64>,
}

impl Navigation {
    pub fn refresh(&self, conn: &mut SqliteConnection) -> Result<(), AppError> {
        let links: Vec<NavLink> = posts::published_pages(conn)?
            .into_iter()
            .map(|(title, slug)| NavLink { url: public_path(PostKind::Page, &slug), title })
            .collect();
        if let Ok(mut pages) = self.pages.write() {
            if *pages != links {
                *pages = links;
                self.version.fetch_add(1, Ordering::AcqRel);
            }
        }
        Ok(())
    }

    pub fn version(&self) -> u64 {
        self.version.load(Ordering::Acquire)
    }

    pub fn pages(&self) -> Vec<NavLink> {
        self.pages.read().map(|p| p.clone()).unwrap_or_default()
    }

    /// `nav_pages()` in templates.
    pub fn tera_function(&self) -> impl tera::Function {
        let nav = self.clone();
        move |_: &HashMap<String, tera::Value>| -> tera::Result<tera::Value> {
            Ok(tera::to_value(nav.pages())?)
        }
    }
}
