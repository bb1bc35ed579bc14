//! What the frame of every page shows: the site navigation (published pages) and the site's
//! identity (title, tagline, logo... as the admin set them), kept in memory so rendering
//! never waits on the database: refreshed at start, after in-process changes, and every few
//! seconds by a job (another process, such as `marginalia import wxr`, may have changed them).

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock};

use crate::db::Conn;
use serde::Serialize;

use crate::db::enums::PostKind;
use crate::db::posts;
use crate::error::AppError;
use crate::services::embed::EmbedSites;
use crate::services::posts::public_path;
use crate::services::settings::{self, SiteSettings};

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct NavLink {
    pub title: String,
    pub url: String,
}

#[derive(Debug, Clone, Default)]
pub struct Navigation {
    pages: Arc<RwLock<Vec<NavLink>>>,
    /// `config/`'s values, under what the admin stored.
    base: Arc<SiteSettings>,
    site: Arc<RwLock<Arc<SiteSettings>>>,
    /// Sites allowed to embed threads: `embed.sites`, then the admin's.
    embed_base: Arc<Vec<crate::config::EmbedSite>>,
    embed: Arc<RwLock<Arc<EmbedSites>>>,
    /// Bumped whenever the links change (the page cache drops pages rendered before).
    version: Arc<AtomicU64>,
}

impl Navigation {
    pub fn new(base: SiteSettings, embed: &[crate::config::EmbedSite]) -> Navigation {
        Navigation {
            site: Arc::new(RwLock::new(Arc::new(base.clone()))),
            base: Arc::new(base),
            embed_base: Arc::new(embed.to_vec()),
            embed: Arc::new(RwLock::new(Arc::new(EmbedSites::new(embed, Vec::new())))),
            ..Navigation::default()
        }
    }

    /// The sites that may embed threads now.
    pub fn embed_sites(&self) -> Arc<EmbedSites> {
        self.embed.read().map(|s| s.clone()).unwrap_or_default()
    }

    /// The site's identity as configured, before the admin's changes.
    pub fn base_site(&self) -> &SiteSettings {
        &self.base
    }

    /// The site's identity now.
    pub fn site(&self) -> Arc<SiteSettings> {
        self.site.read().map(|s| s.clone()).unwrap_or_else(|_| self.base.clone())
    }

    pub fn refresh(&self, conn: &mut Conn) -> Result<(), AppError> {
        let site = settings::effective_site(conn, &self.base)?;
        if let Ok(mut current) = self.site.write() {
            if **current != site {
                *current = Arc::new(site);
                self.version.fetch_add(1, Ordering::AcqRel);
            }
        }
        let embed = EmbedSites::new(&self.embed_base, crate::services::embed::stored_sites(conn)?);
        if let Ok(mut current) = self.embed.write() {
            if **current != embed {
                *current = Arc::new(embed);
            }
        }
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

    /// `site_identity()` in templates.
    pub fn site_function(&self) -> impl tera::Function {
        let nav = self.clone();
        move |_: &HashMap<String, tera::Value>| -> tera::Result<tera::Value> {
            let site = nav.site();
            let mut value = tera::to_value(&*site)?;
            if let tera::Value::Object(map) = &mut value {
                map.insert("tagline_shown".into(), tera::Value::String(site.tagline_shown().to_string()));
                let locale = crate::i18n::Locale::get(&site.language);
                map.insert("dir".into(), tera::Value::String(locale.dir().into()));
            }
            Ok(value)
        }
    }

    /// `nav_pages()` in templates.
    pub fn tera_function(&self) -> impl tera::Function {
        let nav = self.clone();
        move |_: &HashMap<String, tera::Value>| -> tera::Result<tera::Value> {
            Ok(tera::to_value(nav.pages())?)
        }
    }
}
