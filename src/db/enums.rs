//! Status enums stored as TEXT (each column has a matching CHECK constraint in SQL).

use diesel::deserialize::{self, FromSql, FromSqlRow};
use diesel::expression::AsExpression;
use diesel::serialize::{self, Output, ToSql};
use diesel::sql_types::Text;
use serde::{Deserialize, Serialize};

macro_rules! text_enum {
    ($name:ident { $($variant:ident => $text:literal),* $(,)? }) => {
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, AsExpression, FromSqlRow, Serialize, Deserialize)]
        #[diesel(sql_type = Text)]
        #[serde(rename_all = "lowercase")]
        pub enum $name { $($variant),* }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),*];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),* }
            }
        }

        impl std::str::FromStr for $name {
            type Err = String;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                match s {
                    $($text => Ok($name::$variant),)*
                    other => Err(format!("unknown {} `{other}`", stringify!($name))),
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl<DB: diesel::backend::Backend> ToSql<Text, DB> for $name
        where
            str: ToSql<Text, DB>,
        {
            fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, DB>) -> serialize::Result {
                <str as ToSql<Text, DB>>::to_sql(self.as_str(), out)
            }
        }

        impl<DB: diesel::backend::Backend> FromSql<Text, DB> for $name
        where
            String: FromSql<Text, DB>,
        {
            fn from_sql(value: DB::RawValue<'_>) -> deserialize::Result<Self> {
                let text = <String as FromSql<Text, DB>>::from_sql(value)?;
                text.parse().map_err(Into::into)
            }
        }
    };
}

text_enum!(PostStatus { Draft => "draft", Scheduled => "scheduled", Published => "published", Trash => "trash" });

text_enum!(MediaFormat { Jpeg => "jpeg", Png => "png", Gif => "gif", Webp => "webp" });

impl MediaFormat {
    pub fn content_type(self) -> &'static str {
        match self {
            MediaFormat::Jpeg => "image/jpeg",
            MediaFormat::Png => "image/png",
            MediaFormat::Gif => "image/gif",
            MediaFormat::Webp => "image/webp",
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            MediaFormat::Jpeg => "jpg",
            MediaFormat::Png => "png",
            MediaFormat::Gif => "gif",
            MediaFormat::Webp => "webp",
        }
    }
}

// A thread: the comments of a page on another site (embed.sites), keyed in `threads`.
text_enum!(PostKind { Article => "article", Page => "page", Thread => "thread" });

// What `body_source` of a post is written in.
text_enum!(BodyFormat { Markdown => "markdown", Html => "html" });

text_enum!(CommentKind { Comment => "comment", Pingback => "pingback", Trackback => "trackback" });

// `text`: typed by a reader, rendered by our comment rules; `html`: imported from WordPress.
text_enum!(CommentFormat { Text => "text", Html => "html" });

text_enum!(CommentStatus {
    Pending => "pending",
    Approved => "approved",
    Spam => "spam",
    Trash => "trash",
});

text_enum!(Role { Admin => "admin", Moderator => "moderator" });

text_enum!(MailKind {
    HeldComment => "held_comment",
    NewComment => "new_comment",
    ReplyNotice => "reply_notice",
    PublishedNotice => "published_notice",
    Digest => "digest",
    Test => "test",
    PrivacyLink => "privacy_link",
});

text_enum!(OutboxState {
    Pending => "pending",
    Sending => "sending",
    Sent => "sent",
    Failed => "failed",
    Cancelled => "cancelled",
});

text_enum!(RunState { Running => "running", Done => "done", Failed => "failed", Undone => "undone" });

// What one import_undo row takes back.
text_enum!(UndoKind {
    PostCreated => "post_created",
    PostUpdated => "post_updated",
    CommentCreated => "comment_created",
    CategoryCreated => "category_created",
    TagCreated => "tag_created",
    MappedPost => "mapped_post",
    MappedComment => "mapped_comment",
    Redirect => "redirect",
});

text_enum!(SubscriptionKind { Replies => "replies", Published => "published" });

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comment_status_round_trips_through_text() {
        for status in CommentStatus::ALL {
            assert_eq!(status.as_str().parse::<CommentStatus>(), Ok(*status));
        }
        assert!("deleted".parse::<CommentStatus>().is_err());
    }
}
