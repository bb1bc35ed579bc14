DROP TABLE rate_limits;
DROP TABLE job_leases;
DROP TABLE cache_changes;
