-- When the commenter last changed their own comment (shown as "edited" beside its date).
ALTER TABLE comments ADD COLUMN edited_at TIMESTAMP;
