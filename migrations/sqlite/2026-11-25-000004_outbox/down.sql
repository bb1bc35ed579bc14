DROP TABLE used_links;
DROP TABLE subscriptions;
DROP TABLE outbox;
