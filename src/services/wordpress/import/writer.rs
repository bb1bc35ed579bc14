//! Pass 2: prepared items written in bounded transactions, each logging its undo entries.

use super::*;

impl<'p> Writer<'p> {
    pub(super) fn new(
        plan: &'p Plan,
        options: &'p ImportOptions,
        author_name: Option<String>,
        run: i32,
    ) -> Writer<'p> {
        let summary = Summary { skipped: plan.preview.skipped.clone(), ..Summary::default() };
        Writer {
            plan,
            options,
            author_name,
            buffer: Vec::new(),
            buffered_rows: 0,
            summary,
            run,
            known_comments: HashSet::new(),
            local_comments: HashMap::new(),
            categories: HashMap::new(),
            tags: HashMap::new(),
            terms_ready: false,
            done_items: 0,
            done_comments: 0,
            now: Utc::now().naive_utc(),
        }
    }

    pub(super) fn push(&mut self, db: &Db, item: WxrItem, progress: &dyn Progress) -> Result<(), AppError> {
        let Some(planned) = self.plan.posts.get(&item.post_id) else { return Ok(()) };
        let (body, stats, links_rewritten) = convert_body(self.plan, &item.content);
        let body_html = markup::render_body(BodyFormat::Html, &body).into_string();
        let excerpt = if item.excerpt.trim().is_empty() {
            markup::excerpt_html(&body_html, EXCERPT_CHARS)
        } else {
            let mut ignored = ContentStats::default();
            markup::excerpt_html(&content::post_to_html(&item.excerpt, &mut ignored), EXCERPT_CHARS)
        };
        let post_is_new = planned.existing.is_none();
        let comment_html = item
            .comments
            .iter()
            .map(|c| {
                let fate = comment_fate(c, &self.known_comments, post_is_new, self.options.skip_pingbacks);
                matches!(fate, CommentFate::New(..))
                    .then(|| markup::render_imported_comment(&c.content).html.into_string())
            })
            .collect();
        self.buffered_rows += 1 + item.comments.len();
        self.buffer.push(Prepared { item, body, body_html, excerpt, stats, links_rewritten, comment_html });
        if self.buffered_rows >= BATCH_ROWS {
            self.flush(db, progress)?;
        }
        Ok(())
    }

    pub(super) fn flush(&mut self, db: &Db, progress: &dyn Progress) -> Result<(), AppError> {
        let batch = std::mem::take(&mut self.buffer);
        self.buffered_rows = 0;
        db.write_now(|tx| {
            if !self.terms_ready {
                self.prepare(tx)?;
            }
            import_runs::heartbeat(tx, self.run, Utc::now().naive_utc())?;
            for prepared in &batch {
                self.write_item(tx, prepared)?;
            }
            Ok::<(), AppError>(())
        })?;
        self.done_items += batch.len() as u64;
        self.done_comments += batch.iter().map(|p| p.item.comments.len() as u64).sum::<u64>();
        progress.advance(self.done_items, self.done_comments);
        Ok(())
    }

    /// First batch: the mapping of comments imported before, channel terms, fixed redirects.
    pub(super) fn prepare(&mut self, conn: &mut Conn) -> Result<(), AppError> {
        for term in &self.plan.categories {
            self.category(conn, &term.slug, &term.name)?;
        }
        for term in &self.plan.tags {
            self.tag(conn, &term.slug, &term.name)?;
        }
        for (from, to) in &self.plan.path_redirects {
            if redirects::insert_if_absent(conn, from, None, Some(to), self.now)? {
                import_runs::log(conn, self.run, UndoKind::Redirect, None, Some(from))?;
                self.summary.redirects += 1;
            }
        }
        self.terms_ready = true;
        Ok(())
    }

    pub(super) fn category(
        &mut self,
        conn: &mut Conn,
        wp_slug: &str,
        name: &str,
    ) -> Result<CategoryId, AppError> {
        let slug =
            term_slug(&WxrTerm { slug: wp_slug.to_string(), name: name.to_string(), ..WxrTerm::default() });
        if let Some(id) = self.categories.get(&slug) {
            return Ok(*id);
        }
        let existed = taxonomy::find_category_by_slug(conn, &slug)?.is_some();
        let name = if name.trim().is_empty() { slug.as_str() } else { name.trim() };
        let category = taxonomy::find_or_create_category(conn, name, &slug)?;
        if !existed {
            import_runs::log(conn, self.run, UndoKind::CategoryCreated, Some(category.id.0), None)?;
        }
        self.categories.insert(slug, category.id);
        Ok(category.id)
    }

    pub(super) fn tag(&mut self, conn: &mut Conn, wp_slug: &str, name: &str) -> Result<TagId, AppError> {
        let slug =
            term_slug(&WxrTerm { slug: wp_slug.to_string(), name: name.to_string(), ..WxrTerm::default() });
        if let Some(id) = self.tags.get(&slug) {
            return Ok(*id);
        }
        let existed = taxonomy::find_tag_by_slug(conn, &slug)?.is_some();
        let name = if name.trim().is_empty() { slug.as_str() } else { name.trim() };
        let tag = taxonomy::find_or_create_tag(conn, name, &slug)?;
        if !existed {
            import_runs::log(conn, self.run, UndoKind::TagCreated, Some(tag.id.0), None)?;
        }
        self.tags.insert(slug, tag.id);
        Ok(tag.id)
    }

    pub(super) fn write_item(&mut self, conn: &mut Conn, prepared: &Prepared) -> Result<(), AppError> {
        let item = &prepared.item;
        let Some(planned) = self.plan.posts.get(&item.post_id) else { return Ok(()) };
        let (category, tag_ids) = self.item_terms(conn, item)?;
        let published_at = parse_wp_date(&item.post_date_gmt, &item.post_date)
            .map_err(AppError::Invalid)?
            .unwrap_or(self.now);
        let author = self.author_name.clone().or_else(|| {
            let login = item.creator.trim();
            (!login.is_empty())
                .then(|| self.plan.authors.get(login).cloned().unwrap_or_else(|| login.to_string()))
        });
        let title = decode_entities(item.title.trim());
        let existing = planned.existing.map(|id| posts::find(conn, id)).transpose()?.flatten();
        // What the export does not carry stays as set here.
        let kept = existing.as_ref().map(|p| (p.author_id, p.featured_media_id, p.excerpt_source.clone()));
        let (author_id, featured_media_id, excerpt_source) = kept.unwrap_or_default();
        let fields = PostChanges {
            title: if title.is_empty() { "(no title)" } else { title.as_str() },
            body_source: &prepared.body,
            body_html: &prepared.body_html,
            excerpt: &prepared.excerpt,
            status: planned.status,
            category_id: category,
            published_at,
            updated_at: self.now,
            comments_open: item.comment_status.trim() == "open",
            kind: planned.kind,
            body_format: BodyFormat::Html,
            author_name: author.as_deref(),
            menu_order: i32::try_from(item.menu_order).unwrap_or(0),
            in_navigation: planned.in_navigation,
            author_id,
            featured_media_id,
            excerpt_source: &excerpt_source,
        };
        let post_is_new = existing.is_none();
        let (post_id, written) = match existing {
            Some(old) => self.update_post(conn, old, fields, tag_ids, planned, item.post_id)?,
            None => (self.create_post(conn, &fields, &tag_ids, planned, item.post_id)?, true),
        };
        if written {
            self.summary.count_content(&prepared.stats, prepared.links_rewritten);
        }
        self.write_redirects(conn, planned, post_id, post_is_new)?;
        self.write_comments(conn, post_id, published_at, post_is_new, &item.comments, &prepared.comment_html)
    }

    /// The item's first category and its tags (created as needed).
    fn item_terms(
        &mut self,
        conn: &mut Conn,
        item: &WxrItem,
    ) -> Result<(Option<CategoryId>, Vec<TagId>), AppError> {
        let mut category = None;
        let mut tag_ids = Vec::new();
        for term in &item.terms {
            match term.domain.as_str() {
                "category" if category.is_none() => {
                    category = Some(self.category(conn, &term.slug, &term.name)?)
                }
                "post_tag" => {
                    let id = self.tag(conn, &term.slug, &term.name)?;
                    if !tag_ids.contains(&id) {
                        tag_ids.push(id);
                    }
                }
                _ => {}
            }
        }
        tag_ids.sort();
        Ok((category, tag_ids))
    }

    /// A post imported before: unchanged, kept (edited here since), or updated with a
    /// snapshot in the undo log; true when updated.
    fn update_post(
        &mut self,
        conn: &mut Conn,
        old: Post,
        fields: PostChanges<'_>,
        tag_ids: Vec<TagId>,
        planned: &PlannedPost,
        wp_post_id: i64,
    ) -> Result<(PostId, bool), AppError> {
        let mut old_tags: Vec<TagId> =
            taxonomy::tags_for_post(conn, old.id)?.into_iter().map(|t| t.id).collect();
        old_tags.sort();
        if old.same_as(&fields) && old_tags == tag_ids {
            self.summary.unchanged += 1;
            return Ok((old.id, false));
        }
        if planned.synced_at != Some(old.updated_at) || old.status == crate::db::enums::PostStatus::Trash {
            // (A post moved to the trash here stays there: that is an edit too.)
            // Edited here since it was imported: the edit wins over the export.
            self.summary.kept_local_edits += 1;
            return Ok((old.id, false));
        }
        posts::update(conn, old.id, &PostChanges { updated_at: self.now, ..fields })?;
        taxonomy::set_post_tags(conn, old.id, &tag_ids)?;
        match planned.kind {
            PostKind::Article => self.summary.articles_updated += 1,
            PostKind::Page => self.summary.pages_updated += 1,
            PostKind::Thread => {} // never from a WXR file
        }
        let wp_id = i32::try_from(wp_post_id).unwrap_or_default();
        let id = old.id;
        let snapshot = PostSnapshot { post: old, tags: old_tags, wp_id, synced_at: planned.synced_at };
        let snapshot =
            serde_json::to_string(&snapshot).map_err(|e| AppError::Internal(format!("undo entry: {e}")))?;
        wp_db::set_synced(conn, &self.plan.site, wp_id, Some(self.now))?;
        import_runs::log(conn, self.run, UndoKind::PostUpdated, Some(id.0), Some(&snapshot))?;
        Ok((id, true))
    }

    fn create_post(
        &mut self,
        conn: &mut Conn,
        fields: &PostChanges<'_>,
        tag_ids: &[TagId],
        planned: &PlannedPost,
        wp_post_id: i64,
    ) -> Result<PostId, AppError> {
        let post = posts::insert(conn, &NewPost::from_changes(&planned.slug, fields, self.now))?;
        taxonomy::set_post_tags(conn, post.id, tag_ids)?;
        import_runs::log(conn, self.run, UndoKind::PostCreated, Some(post.id.0), None)?;
        if let Ok(wp_id) = i32::try_from(wp_post_id) {
            wp_db::map_post(conn, &self.plan.site, wp_id, post.id, self.now)?;
            import_runs::log(conn, self.run, UndoKind::MappedPost, Some(wp_id), None)?;
        }
        match planned.kind {
            PostKind::Article => self.summary.articles_created += 1,
            PostKind::Page => self.summary.pages_created += 1,
            PostKind::Thread => {} // never from a WXR file
        }
        if planned.status == PostStatus::Draft {
            self.summary.drafts += 1;
        }
        self.summary.renamed.extend(planned.renamed.clone());
        Ok(post.id)
    }

    /// The post's old addresses answer 301 to it.
    fn write_redirects(
        &mut self,
        conn: &mut Conn,
        planned: &PlannedPost,
        post_id: PostId,
        post_is_new: bool,
    ) -> Result<(), AppError> {
        for key in &planned.keys {
            if redirects::insert_if_absent(conn, key, Some(post_id), None, self.now)? {
                // Redirects to a post created here go with it; to an older post they need a log.
                if !post_is_new {
                    import_runs::log(conn, self.run, UndoKind::Redirect, None, Some(key))?;
                }
                self.summary.redirects += 1;
            }
        }
        Ok(())
    }

    /// One imported comment, parentless for now, with its mapping and undo entries.
    fn insert_comment(
        &mut self,
        conn: &mut Conn,
        post_id: PostId,
        post_date: NaiveDateTime,
        comment: &WxrComment,
        (kind, status): (CommentKind, CommentStatus),
        html: &str,
    ) -> Result<CommentId, AppError> {
        let created_at =
            parse_wp_date(&comment.date_gmt, &comment.date).map_err(AppError::Invalid)?.unwrap_or(post_date);
        let email = comment.author_email.trim().to_lowercase();
        let author = decode_entities(comment.author.trim());
        let (id, _) = comment_rows::insert(
            conn,
            &NewComment {
                post_id,
                // Set once every comment of the post exists.
                parent_id: None,
                status,
                kind,
                body_format: CommentFormat::Html,
                author: if author.is_empty() {
                    crate::db::privacy::ERASED_AUTHOR
                } else {
                    cut_at(&author, AUTHOR_MAX)
                },
                email: &email,
                url: commenter_url(&comment.author_url),
                ip: Some(comment.author_ip.trim()).filter(|ip| !ip.is_empty()),
                user_agent: None,
                body_source: &comment.content,
                body_html: html,
                reason: IMPORT_REASON,
                created_at,
                updated_at: self.now,
                user_id: None,
            },
        )?;
        import_runs::log(conn, self.run, UndoKind::CommentCreated, Some(id.0), None)?;
        if let Ok(wp_id) = i32::try_from(comment.id) {
            wp_db::map_comment(conn, &self.plan.site, wp_id, id)?;
            import_runs::log(conn, self.run, UndoKind::MappedComment, Some(wp_id), None)?;
            self.local_comments.insert(wp_id, Some(id));
        }
        Ok(id)
    }

    pub(super) fn write_comments(
        &mut self,
        conn: &mut Conn,
        post_id: PostId,
        post_date: NaiveDateTime,
        post_is_new: bool,
        comments: &[WxrComment],
        rendered: &[Option<String>],
    ) -> Result<(), AppError> {
        let mut new_here: Vec<(CommentId, i64)> = Vec::new();
        for (index, comment) in comments.iter().enumerate() {
            let fate = comment_fate(comment, &self.known_comments, post_is_new, self.options.skip_pingbacks);
            if let CommentFate::New(kind, status) = fate {
                // Rendered before the transaction; only a post deleted here meanwhile needs it now.
                let html = match rendered.get(index).cloned().flatten() {
                    Some(html) => html,
                    None => markup::render_imported_comment(&comment.content).html.into_string(),
                };
                let id = self.insert_comment(conn, post_id, post_date, comment, (kind, status), &html)?;
                new_here.push((id, comment.parent));
            }
            self.summary.count_comment(fate);
        }
        // Parents after all comments of the post exist: WordPress does not promise order.
        // A parent deleted here since (its mapping is NULL): the reply becomes top-level.
        let intended: HashMap<CommentId, CommentId> = new_here
            .iter()
            .filter_map(|&(id, parent)| {
                let parent = i32::try_from(parent)
                    .ok()
                    .filter(|p| *p > 0)
                    .and_then(|p| self.local_comments.get(&p).copied().flatten())?;
                (parent != id).then_some((id, parent))
            })
            .collect();
        for (id, parent) in
            place_replies(conn, &new_here.iter().map(|(id, _)| *id).collect::<Vec<_>>(), &intended)?
        {
            if let Some(parent) = parent {
                wp_db::set_parent(conn, id, parent)?;
            }
        }
        Ok(())
    }
}

/// Where each of a post's new comments is stored, given the parent WordPress gave it
/// (`intended`): parents are placed before their replies, depth is capped at
/// `MAX_THREAD_DEPTH` (a 5,000-deep WordPress chain stays 10 deep here), and a parent cycle
/// is cut where it closes. Loops only: a WordPress thread is user-controlled and unbounded.
pub(crate) fn place_replies(
    conn: &mut Conn,
    new_ids: &[CommentId],
    intended: &HashMap<CommentId, CommentId>,
) -> Result<Vec<(CommentId, Option<CommentId>)>, AppError> {
    let is_new: HashSet<CommentId> = new_ids.iter().copied().collect();
    let mut placed: HashMap<CommentId, Option<CommentId>> = HashMap::new();
    let mut cut: HashSet<CommentId> = HashSet::new();
    let mut order = Vec::with_capacity(new_ids.len());
    for &start in new_ids {
        if placed.contains_key(&start) {
            continue;
        }
        // Up through unplaced new comments; stop at a placed one, an older one, or the top.
        let mut path = vec![start];
        let mut on_path = HashSet::from([start]);
        let mut at = start;
        while let Some(&parent) = intended.get(&at) {
            if !is_new.contains(&parent) || placed.contains_key(&parent) {
                break;
            }
            if !on_path.insert(parent) {
                cut.insert(at);
                break;
            }
            path.push(parent);
            at = parent;
        }
        for &id in path.iter().rev() {
            let parent = match intended.get(&id).filter(|_| !cut.contains(&id)) {
                Some(&parent) => {
                    let mut chain = vec![parent];
                    let mut top = parent;
                    while let Some(Some(up)) = placed.get(&top) {
                        chain.push(*up);
                        top = *up;
                    }
                    if !is_new.contains(&top) {
                        // An older comment (an earlier import): its own ancestry from the database.
                        chain.extend(comment_rows::ancestry(conn, top)?.into_iter().skip(1));
                    }
                    threads::capped_parent(&chain, threads::MAX_THREAD_DEPTH)
                }
                None => None,
            };
            placed.insert(id, parent);
            order.push((id, parent));
        }
    }
    Ok(order)
}
