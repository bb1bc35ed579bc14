// @generated shape of `diesel print-schema` for migrations/; keep in step with the SQL.

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
    }
}

diesel::table! {
    post_tags (post_id, tag_id) {
        post_id -> Integer,
        tag_id -> Integer,
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
    tags (id) {
        id -> Integer,
        name -> Text,
        slug -> Text,
    }
}

diesel::joinable!(comments -> posts (post_id));
diesel::joinable!(post_tags -> posts (post_id));
diesel::joinable!(post_tags -> tags (tag_id));
diesel::joinable!(posts -> categories (category_id));

diesel::allow_tables_to_appear_in_same_query!(categories, comments, post_tags, posts, settings, tags,);
