//! Pass 1: read the whole file without writing, refuse a malformed one, pick every new
//! post's slug and learn every old URL; and the dry run's preview from the same plan.

use super::*;

/// Pass 1: read everything, write nothing.
pub(super) fn plan(
    conn: &mut Conn,
    path: &Path,
    options: &ImportOptions,
    progress: &dyn Progress,
) -> Result<Plan, AppError> {
    let Scan { channel, categories, tags, authors, items, mut preview, item_count, comment_count } =
        scan(path, options, progress)?;
    let (site, bases, base_path) = site_bases(&channel);

    // Slugs: a post imported before keeps its slug; a new one gets a free one.
    let known: HashMap<i32, (Option<PostId>, Option<NaiveDateTime>)> = wp_db::post_mappings(conn, &site)?
        .into_iter()
        .map(|(wp, post, synced)| (wp, (post, synced)))
        .collect();
    let existing_slugs: HashMap<PostId, String> = posts::all_slugs(conn)?.into_iter().collect();
    let mut taken: HashSet<String> = existing_slugs.values().cloned().collect();
    let mut header = Header::of_site(conn)?;
    let mut planned = HashMap::new();
    let mut url_map = HashMap::new();
    // Keys from an item's own <link> and <guid> win over keys guessed from a post_name (an
    // article whose slug is `about` must not take the About page's real address).
    let exact_keys: HashSet<String> = items
        .iter()
        .flat_map(|(_, item)| [&item.link, &item.guid])
        .flat_map(|url| bases.iter().filter_map(|b| redirect_keys::key_for_url(url, b)).collect::<Vec<_>>())
        .collect();
    for (wp_id, item) in items {
        let mapping = i32::try_from(wp_id).ok().and_then(|id| known.get(&id));
        let existing = mapping.and_then(|(post, _)| *post).filter(|id| existing_slugs.contains_key(id));
        let synced_at = mapping.and_then(|(_, synced)| *synced);
        let slug = match existing.and_then(|id| existing_slugs.get(&id)) {
            Some(slug) => slug.clone(),
            None => free_slug(&item.wanted_slug, wp_id, &mut taken),
        };
        let new_path = post_service::public_path(item.kind, &slug);
        let keys = old_paths(&item, wp_id, &bases, &base_path, &new_path, &exact_keys);
        count_planned(&mut preview, &item, existing.is_some());
        for key in &keys {
            url_map.entry(key.clone()).or_insert_with(|| new_path.clone());
        }
        let was_renamed = !item.wanted_slug.is_empty() && slug != item.wanted_slug;
        let in_navigation = header.place(&item, &slug, was_renamed);
        let renamed = (was_renamed && existing.is_none()).then(|| Renamed {
            kind: item.kind.to_string(),
            title: item.title.clone(),
            wanted_slug: item.wanted_slug.clone(),
            path: new_path.clone(),
            kept_out_of_header: item.kind == PostKind::Page && item.top_level && !in_navigation,
        });
        preview.renamed.extend(renamed.clone());
        planned.insert(
            wp_id,
            PlannedPost {
                kind: item.kind,
                status: item.status,
                slug,
                existing,
                synced_at,
                keys,
                in_navigation,
                renamed,
            },
        );
    }
    let path_redirects = fixed_redirects(&base_path, &categories, &tags);
    for (from, to) in &path_redirects {
        url_map.entry(from.clone()).or_insert_with(|| to.clone());
    }
    Ok(Plan {
        site,
        bases,
        posts: planned,
        url_map,
        path_redirects,
        categories,
        tags,
        authors,
        items: item_count,
        comments: comment_count,
        preview,
    })
}

/// The titles of the pages in the site's header (lower-cased), each with the slugs holding it.
struct Header(HashMap<String, HashSet<String>>);

impl Header {
    fn of_site(conn: &mut Conn) -> Result<Header, AppError> {
        let mut titles: HashMap<String, HashSet<String>> = HashMap::new();
        for (title, slug) in posts::published_pages(conn)? {
            titles.entry(title.to_lowercase()).or_default().insert(slug);
        }
        Ok(Header(titles))
    }

    /// Whether an item goes in the header. A renamed page whose title another page in the
    /// header already has stays out of it: two same-named links ("About About") would be the
    /// only sign of the rename, and the page that owns the address keeps its place.
    fn place(&mut self, item: &PlanItem, slug: &str, was_renamed: bool) -> bool {
        if !item.top_level {
            return false;
        }
        if item.kind != PostKind::Page {
            return true;
        }
        let key = item.title.to_lowercase();
        let clash = self.0.get(&key).is_some_and(|slugs| slugs.iter().any(|s| s != slug));
        if was_renamed && clash {
            return false;
        }
        if item.status == PostStatus::Published {
            self.0.entry(key).or_default().insert(slug.to_string());
        }
        true
    }
}

/// The old site's identity (scheme and www ignored), its base URLs, and the path it lives
/// under (a blog in a subdirectory).
fn site_bases(channel: &WxrChannel) -> (String, Vec<String>, String) {
    let site = site_key(&first_nonempty(&[&channel.base_site_url, &channel.base_blog_url, &channel.link]));
    let mut bases: Vec<String> = [&channel.base_blog_url, &channel.base_site_url, &channel.link]
        .iter()
        .map(|b| b.trim().trim_end_matches('/').to_string())
        .filter(|b| !b.is_empty())
        .collect();
    bases.dedup();
    let path = base_path(&bases.first().cloned().unwrap_or_default());
    (site, bases, path)
}

/// What the read pass collects.
struct Scan {
    channel: WxrChannel,
    categories: Vec<WxrTerm>,
    tags: Vec<WxrTerm>,
    authors: HashMap<String, String>,
    items: Vec<(i64, PlanItem)>,
    preview: Summary,
    item_count: u64,
    comment_count: u64,
}

/// Reads the whole file once, checking it (dates included) and keeping what the plan needs.
fn scan(path: &Path, options: &ImportOptions, progress: &dyn Progress) -> Result<Scan, AppError> {
    let name = display_name(path, options);
    let file = File::open(path).map_err(|e| AppError::Invalid(format!("{name}: {e}")))?;
    progress.phase("checking", file.metadata().map(|m| m.len()).unwrap_or(0), 0);
    let mut scan = Scan {
        channel: WxrChannel::default(),
        categories: Vec::new(),
        tags: Vec::new(),
        authors: HashMap::new(),
        items: Vec::new(),
        preview: Summary { dry_run: true, ..Summary::default() },
        item_count: 0,
        comment_count: 0,
    };
    let mut seen_ids = HashSet::new();
    wxr::read_wxr(BufReader::with_capacity(1 << 16, file), |event| {
        match event {
            WxrEvent::Channel(c) => scan.channel = c,
            WxrEvent::Author(a) => {
                let shown = if a.display_name.trim().is_empty() { &a.login } else { &a.display_name };
                scan.authors.insert(a.login.clone(), shown.trim().to_string());
            }
            WxrEvent::Category(term) => scan.categories.push(term),
            WxrEvent::Tag(term) => scan.tags.push(term),
            WxrEvent::Term(_) => {}
            WxrEvent::Item(item) => match item_kind(&item) {
                Err(reason) => scan.preview.skip(reason),
                Ok(_) if !seen_ids.insert(item.post_id) => {
                    scan.preview.skip("item with a post id seen before in the file")
                }
                Ok(kind) => {
                    check_dates(&item, path, &name)?;
                    scan.item_count += 1;
                    scan.comment_count += item.comments.len() as u64;
                    progress.advance(item.offset, scan.comment_count);
                    scan.items.push((item.post_id, PlanItem::new(&item, kind)));
                }
            },
        }
        Ok::<(), AppError>(())
    })
    .map_err(|e| located(path, &name, e))?;
    Ok(scan)
}

/// Every date of an item and its comments parses (else the file is refused, at the item).
fn check_dates(item: &WxrItem, path: &Path, name: &str) -> Result<(), AppError> {
    parse_wp_date(&item.post_date_gmt, &item.post_date)
        .map_err(|m| at(path, name, item.offset, &format!("post {}: {m}", item.post_id)))?;
    for comment in &item.comments {
        parse_wp_date(&comment.date_gmt, &comment.date)
            .map_err(|m| at(path, name, item.offset, &format!("comment {}: {m}", comment.id)))?;
    }
    Ok(())
}

/// The old site's paths of an item: its own link and guid, `?p=` (and `?page_id=`), and a
/// guess from its post_name unless another item owns that path exactly.
fn old_paths(
    item: &PlanItem,
    wp_id: i64,
    bases: &[String],
    base_path: &str,
    new_path: &str,
    exact_keys: &HashSet<String>,
) -> Vec<String> {
    let mut keys = Vec::new();
    for url in [&item.link, &item.guid] {
        bases.iter().filter_map(|b| redirect_keys::key_for_url(url, b)).for_each(|k| keys.push(k));
    }
    keys.push(format!("{base_path}/?p={wp_id}"));
    if item.kind == PostKind::Page {
        keys.push(format!("{base_path}/?page_id={wp_id}"));
    }
    let guessed = format!("{base_path}/{}", item.post_name.to_ascii_lowercase());
    if !item.post_name.is_empty() && !exact_keys.contains(&guessed) {
        keys.push(guessed);
    }
    keys.retain(|k| k != new_path && k != "/" && !k.is_empty());
    keys.sort();
    keys.dedup();
    keys
}

fn count_planned(preview: &mut Summary, item: &PlanItem, exists: bool) {
    if exists {
        preview.unchanged += 1;
        return;
    }
    if item.status == PostStatus::Draft {
        preview.drafts += 1;
    }
    match item.kind {
        PostKind::Article => preview.articles_created += 1,
        PostKind::Page => preview.pages_created += 1,
        PostKind::Thread => {} // never from a WXR file
    }
}

/// Feeds and archives of the old site, to their new addresses.
fn fixed_redirects(base_path: &str, categories: &[WxrTerm], tags: &[WxrTerm]) -> Vec<(String, String)> {
    let mut redirects = vec![
        (format!("{base_path}/feed"), "/feed.xml".to_string()),
        (format!("{base_path}/comments/feed"), "/comments/feed.xml".to_string()),
    ];
    for term in categories {
        redirects
            .push((format!("{base_path}/category/{}", term.slug), format!("/category/{}", term_slug(term))));
    }
    for term in tags {
        redirects.push((format!("{base_path}/tag/{}", term.slug), format!("/tag/{}", term_slug(term))));
    }
    redirects
}

impl PlanItem {
    pub(super) fn new(item: &WxrItem, kind: PostKind) -> PlanItem {
        let post_name = percent_decode(item.post_name.trim());
        let wanted = slug::slugify(&post_name);
        let wanted = if wanted.is_empty() { slug::slugify(&item.title) } else { wanted };
        let title = decode_entities(item.title.trim());
        PlanItem {
            kind,
            status: post_status(&item.status, &item.post_password),
            title: if title.is_empty() { "(no title)".into() } else { title },
            top_level: item.post_parent == 0,
            wanted_slug: wanted,
            post_name: item.post_name.trim().to_string(),
            link: item.link.trim().to_string(),
            guid: item.guid.trim().to_string(),
        }
    }
}

/// Article or page, or why the item is left out.
pub(super) fn item_kind(item: &WxrItem) -> Result<PostKind, String> {
    let kind = match item.post_type.trim() {
        "post" | "" => PostKind::Article,
        "page" => PostKind::Page,
        other => return Err(format!("post type `{other}`")),
    };
    match item.status.trim() {
        "publish" | "draft" | "pending" | "private" | "future" => Ok(kind),
        "trash" => Err("post in the WordPress trash".into()),
        "auto-draft" => Err("auto-draft".into()),
        "inherit" => Err("revision".into()),
        other => Err(format!("post status `{other}`")),
    }
}

/// A dry run's pass 2: the same reading and conversion as the import, against what the
/// database holds, with no write at all; so it prints what the import will print.
pub(super) fn preview(
    conn: &mut Conn,
    path: &Path,
    plan: &Plan,
    options: &ImportOptions,
    progress: &dyn Progress,
) -> Result<Summary, AppError> {
    let mut summary = plan.preview.clone();
    let known: HashSet<i32> =
        wp_db::comment_mappings(conn, &plan.site)?.into_iter().map(|(wp, _)| wp).collect();
    let mut claimed: HashSet<String> = redirects::all_from_paths(conn)?.into_iter().collect();
    for (from, _) in &plan.path_redirects {
        if claimed.insert(from.clone()) {
            summary.redirects += 1;
        }
    }
    progress.phase("previewing", plan.items, plan.comments);
    let (mut items, mut comments) = (0u64, 0u64);
    read_items(path, &display_name(path, options), |item| {
        let Some(planned) = plan.posts.get(&item.post_id) else { return Ok(()) };
        let post_is_new = planned.existing.is_none();
        // Like the import, content counts are of what is written: the preview counts a post
        // imported before as unchanged.
        if post_is_new {
            let (_, stats, rewritten) = convert_body(plan, &item.content);
            summary.count_content(&stats, rewritten);
        }
        for key in &planned.keys {
            if claimed.insert(key.clone()) {
                summary.redirects += 1;
            }
        }
        for comment in &item.comments {
            summary.count_comment(comment_fate(comment, &known, post_is_new, options.skip_pingbacks));
        }
        items += 1;
        comments += item.comments.len() as u64;
        progress.advance(items, comments);
        Ok(())
    })?;
    Ok(summary)
}
