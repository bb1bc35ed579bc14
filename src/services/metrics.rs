//! Numbers to alert on, in Prometheus' text format (`/metrics`): requests by route pattern and
//! status with latency histograms, comments by outcome, background job runs and failures,
//! and, read when scraped, the page cache, the outbox and the database pool.
//!
//! Labels are route patterns (`/posts/{slug}`, never a slug), statuses, outcomes, refusal
//! kinds and job names: never an address, an email or anything a reader typed.

use prometheus::{
    Encoder, HistogramOpts, HistogramVec, IntCounterVec, IntGauge, IntGaugeVec, Opts, Registry, TextEncoder,
};

use crate::db::enums::OutboxState;
use crate::error::AppError;

/// What a scrape reads from outside this module.
pub struct Snapshot {
    pub cache_hits: u64,
    pub cache_misses: u64,
    pub cache_pages: usize,
    pub cache_bytes: usize,
    /// Mails per state, with the age in seconds of each state's oldest.
    pub outbox: Vec<(OutboxState, i64, i64)>,
    pub pool: crate::db::PoolStats,
}

pub struct Metrics {
    registry: Registry,
    requests: IntCounterVec,
    latency: HistogramVec,
    comments: IntCounterVec,
    job_runs: IntCounterVec,
    job_failures: IntCounterVec,
    cache: IntGaugeVec,
    outbox_mails: IntGaugeVec,
    outbox_oldest: IntGauge,
    pool: IntGaugeVec,
}

fn made<T>(what: Result<T, prometheus::Error>) -> T {
    // Only fails for a malformed name or a duplicate registration: fixed here, so a bug.
    what.unwrap_or_else(|e| panic!("metrics definition: {e}"))
}

impl Metrics {
    pub fn new() -> Metrics {
        let registry = Registry::new();
        let counter = |name: &str, help: &str, labels: &[&str]| {
            let c = made(IntCounterVec::new(Opts::new(name, help), labels));
            made(registry.register(Box::new(c.clone())));
            c
        };
        let gauge = |name: &str, help: &str, labels: &[&str]| {
            let g = made(IntGaugeVec::new(Opts::new(name, help), labels));
            made(registry.register(Box::new(g.clone())));
            g
        };
        let requests = counter(
            "marginalia_http_requests_total",
            "HTTP requests answered, by route pattern, method and status.",
            &["route", "method", "status"],
        );
        let latency = made(HistogramVec::new(
            HistogramOpts::new(
                "marginalia_http_request_duration_seconds",
                "Time to answer, by route pattern.",
            )
            .buckets(vec![
                0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
            ]),
            &["route"],
        ));
        made(registry.register(Box::new(latency.clone())));
        let comments = counter(
            "marginalia_comments_total",
            "Comments submitted, by outcome (approved, held, spam, refused) and, when refused, why.",
            &["outcome", "reason"],
        );
        let job_runs = counter("marginalia_job_runs_total", "Background job runs, by job.", &["job"]);
        let job_failures =
            counter("marginalia_job_failures_total", "Background job runs that failed, by job.", &["job"]);
        let cache = gauge(
            "marginalia_page_cache",
            "The page cache: hits and misses since start, pages and bytes kept now.",
            &["measure"],
        );
        let outbox_mails = gauge("marginalia_outbox_mails", "Mails in the outbox, by state.", &["state"]);
        let outbox_oldest = made(IntGauge::new(
            "marginalia_outbox_oldest_pending_seconds",
            "Age of the oldest mail not yet sent (0 when none waits).",
        ));
        made(registry.register(Box::new(outbox_oldest.clone())));
        let pool = gauge(
            "marginalia_db_pool",
            "The database pool: connections, idle connections, waits for a connection and the \
             total milliseconds waited since start.",
            &["measure"],
        );
        Metrics {
            registry,
            requests,
            latency,
            comments,
            job_runs,
            job_failures,
            cache,
            outbox_mails,
            outbox_oldest,
            pool,
        }
    }

    pub fn request(&self, route: &str, method: &str, status: u16, seconds: f64) {
        self.requests.with_label_values(&[route, method, &status.to_string()]).inc();
        self.latency.with_label_values(&[route]).observe(seconds);
    }

    /// `outcome`: approved, held, spam or refused; `reason`: why refused ("" otherwise).
    pub fn comment(&self, outcome: &str, reason: &str) {
        self.comments.with_label_values(&[outcome, reason]).inc();
    }

    pub fn job(&self, name: &str, failed: bool) {
        self.job_runs.with_label_values(&[name]).inc();
        if failed {
            self.job_failures.with_label_values(&[name]).inc();
        }
    }

    /// The text a scrape gets, with what is read at scrape time in `now`.
    pub fn render(&self, now: &Snapshot) -> Result<String, AppError> {
        let cache = [
            ("hits", now.cache_hits as i64),
            ("misses", now.cache_misses as i64),
            ("pages", now.cache_pages as i64),
            ("bytes", now.cache_bytes as i64),
        ];
        for (measure, value) in cache {
            self.cache.with_label_values(&[measure]).set(value);
        }
        self.outbox_mails.reset();
        let mut oldest = 0;
        for (state, mails, age) in &now.outbox {
            self.outbox_mails.with_label_values(&[state.as_str()]).set(*mails);
            if matches!(state, OutboxState::Pending | OutboxState::Sending) {
                oldest = oldest.max(*age);
            }
        }
        self.outbox_oldest.set(oldest);
        let p = &now.pool;
        for (measure, value) in [
            ("connections", i64::from(p.connections)),
            ("idle", i64::from(p.idle)),
            ("waits", p.waits as i64),
            ("waited_ms", p.waited_ms as i64),
        ] {
            self.pool.with_label_values(&[measure]).set(value);
        }
        let mut out = Vec::new();
        TextEncoder::new()
            .encode(&self.registry.gather(), &mut out)
            .map_err(|e| AppError::Internal(format!("metrics: {e}")))?;
        String::from_utf8(out).map_err(|e| AppError::Internal(format!("metrics: {e}")))
    }
}

impl Default for Metrics {
    fn default() -> Self {
        Metrics::new()
    }
}
