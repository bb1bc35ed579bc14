// @generated shape of `diesel print-schema` for migrations/; keep in step with the SQL.

diesel::table! {
    api_tokens (id) {
        id -> Integer,
        user_id -> Integer,
        label -> Text,
        token_hash -> Text,
        created_at -> Timestamp,
        last_used_at -> Nullable<Timestamp>,
        revoked_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    audit_log (id) {
        id -> Integer,
        actor -> Text,
        user_id -> Nullable<Integer>,
        action -> Text,
        comment_id -> Nullable<Integer>,
        from_status -> Nullable<Text>,
        to_status -> Nullable<Text>,
        detail -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    import_runs (id) {
        id -> Integer,
        site -> Text,
        file_name -> Text,
        state -> Text,
        started_at -> Timestamp,
        heartbeat_at -> Timestamp,
        finished_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    import_undo (id) {
        id -> Integer,
        run_id -> Integer,
        kind -> Text,
        ref_id -> Nullable<Integer>,
        detail -> Nullable<Text>,
    }
}

diesel::table! {
    admin_sessions (id) {
        id -> Integer,
        token_hash -> Text,
        user_id -> Integer,
        session_version -> Integer,
        csrf_token -> Text,
        created_at -> Timestamp,
        last_seen_at -> Timestamp,
        ip_network -> Nullable<Text>,
        user_agent -> Nullable<Text>,
    }
}

diesel::table! {
    login_throttle (key) {
        key -> Text,
        failures -> Integer,
        locked_until -> Nullable<Timestamp>,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    used_links (nonce) {
        nonce -> Text,
        used_at -> Timestamp,
    }
}

diesel::table! {
    wordpress_comments (site, wp_id) {
        site -> Text,
        wp_id -> Integer,
        comment_id -> Nullable<Integer>,
    }
}

diesel::table! {
    wordpress_posts (site, wp_id) {
        site -> Text,
        wp_id -> Integer,
        post_id -> Nullable<Integer>,
        synced_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    users (id) {
        id -> Integer,
        username -> Text,
        email -> Text,
        role -> Text,
        password_hash -> Text,
        session_version -> Integer,
        created_at -> Timestamp,
        last_login_at -> Nullable<Timestamp>,
        display_name -> Text,
        slug -> Nullable<Text>,
        bio -> Text,
        avatar_media_id -> Nullable<Integer>,
    }
}

diesel::table! {
    categories (id) {

        id -> Integer,
        name -> Text,
        slug -> Text,
    }
}

diesel::table! {
    comments (id) {
        id -> Integer,
        post_id -> Integer,
        parent_id -> Nullable<Integer>,
        status -> Text,
        author -> Text,
        email -> Text,
        url -> Nullable<Text>,
        ip -> Nullable<Text>,
        user_agent -> Nullable<Text>,
        body_source -> Text,
        body_html -> Text,
        reason -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        previous_status -> Nullable<Text>,
        user_id -> Nullable<Integer>,
        ip_truncated_at -> Nullable<Timestamp>,
        kind -> Text,
        body_format -> Text,
        trained_as -> Nullable<Text>,
        filter_verdict -> Nullable<Text>,
        edited_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    outbox (id) {
        id -> Integer,
        kind -> Text,
        recipient -> Text,
        subject -> Text,
        body_text -> Text,
        body_html -> Text,
        unsubscribe_url -> Nullable<Text>,
        message_id -> Text,
        comment_id -> Nullable<Integer>,
        state -> Text,
        attempts -> Integer,
        next_attempt_at -> Timestamp,
        claimed_until -> Nullable<Timestamp>,
        last_error -> Nullable<Text>,
        created_at -> Timestamp,
        sent_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    listing_counts (listing) {
        listing -> Text,
        posts -> Integer,
    }
}

diesel::table! {
    post_tags (post_id, tag_id) {
        post_id -> Integer,
        tag_id -> Integer,
        listed -> Bool,
        published_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    posts (id) {
        id -> Integer,
        slug -> Text,
        title -> Text,
        body_source -> Text,
        body_html -> Text,
        excerpt -> Text,
        status -> Text,
        category_id -> Nullable<Integer>,
        published_at -> Timestamp,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        comments_open -> Bool,
        kind -> Text,
        body_format -> Text,
        author_name -> Nullable<Text>,
        menu_order -> Integer,
        in_navigation -> Bool,
        approved_comments -> Integer,
        approved_threads -> Integer,
        trashed_from -> Nullable<Text>,
        trashed_at -> Nullable<Timestamp>,
        author_id -> Nullable<Integer>,
        featured_media_id -> Nullable<Integer>,
        excerpt_source -> Text,
    }
}

diesel::table! {
    media (id) {
        id -> Integer,
        file_key -> Text,
        original_name -> Text,
        format -> Text,
        width -> Integer,
        height -> Integer,
        bytes -> Integer,
        variants -> Text,
        alt_text -> Text,
        uploaded_by -> Nullable<Integer>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    media_files (media_id, name) {
        media_id -> Integer,
        name -> Text,
        sha256 -> Text,
        data -> Binary,
    }
}

diesel::table! {
    related_posts (post_id, rank) {
        post_id -> Integer,
        rank -> Integer,
        related_id -> Integer,
        score -> Integer,
        published_at -> Timestamp,
    }
}

diesel::table! {
    privacy_requests (id) {
        id -> Integer,
        token_hash -> Text,
        email -> Nullable<Text>,
        created_at -> Timestamp,
        expires_at -> Timestamp,
        used_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    redirects (from_path) {
        from_path -> Text,
        post_id -> Nullable<Integer>,
        to_path -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    settings (key) {
        key -> Text,
        value -> Text,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    subscriptions (id) {
        id -> Integer,
        comment_id -> Integer,
        email -> Text,
        kind -> Text,
        created_at -> Timestamp,
        cancelled_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    tags (id) {
        id -> Integer,
        name -> Text,
        slug -> Text,
    }
}

diesel::joinable!(admin_sessions -> users (user_id));
diesel::joinable!(api_tokens -> users (user_id));
diesel::joinable!(audit_log -> users (user_id));
diesel::joinable!(comments -> posts (post_id));
diesel::joinable!(comments -> users (user_id));
diesel::joinable!(import_undo -> import_runs (run_id));
diesel::joinable!(outbox -> comments (comment_id));
diesel::joinable!(subscriptions -> comments (comment_id));

diesel::joinable!(post_tags -> posts (post_id));
diesel::joinable!(post_tags -> tags (tag_id));
diesel::joinable!(posts -> categories (category_id));
diesel::joinable!(posts -> media (featured_media_id));
diesel::joinable!(posts -> users (author_id));
diesel::joinable!(media -> users (uploaded_by));
diesel::joinable!(media_files -> media (media_id));
diesel::joinable!(redirects -> posts (post_id));
diesel::joinable!(threads -> posts (post_id));
diesel::joinable!(imported_comments -> comments (comment_id));
diesel::joinable!(wordpress_comments -> comments (comment_id));
diesel::joinable!(wordpress_posts -> posts (post_id));

diesel::allow_tables_to_appear_in_same_query!(
    admin_sessions,
    api_tokens,
    audit_log,
    categories,
    comments,
    import_runs,
    import_undo,
    listing_counts,
    login_throttle,
    media,
    media_files,
    outbox,
    post_tags,
    posts,
    redirects,
    related_posts,
    settings,
    subscriptions,
    tags,
    threads,
    imported_comments,
    used_links,
    users,
    wordpress_comments,
    wordpress_posts,
);

diesel::table! {
    spam_tokens (token) {
        token -> Text,
        spam -> BigInt,
        ham -> BigInt,
        trained_at -> Timestamp,
    }
}

diesel::table! {
    spam_filter (id) {
        id -> Integer,
        spam_docs -> BigInt,
        ham_docs -> BigInt,
        marked_spam -> BigInt,
        reversed -> BigInt,
        held -> BigInt,
    }
}

diesel::table! {
    cache_changes (id) {
        id -> Integer,
        instance -> Text,
        change -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    job_leases (name) {
        name -> Text,
        holder -> Text,
        until -> Timestamp,
    }
}

diesel::table! {
    rate_limits (scope, key, window_start) {
        scope -> Text,
        key -> Text,
        window_start -> Timestamp,
        hits -> Integer,
    }
}

diesel::table! {
    threads (post_id) {
        post_id -> Integer,
        site -> Text,
        url -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    imported_comments (source, external_id) {
        source -> Text,
        external_id -> Text,
        comment_id -> Nullable<Integer>,
    }
}
