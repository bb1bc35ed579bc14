ALTER TABLE comments DROP COLUMN filter_verdict;
ALTER TABLE comments DROP COLUMN trained_as;
DROP TABLE spam_filter;
DROP TABLE spam_tokens;
