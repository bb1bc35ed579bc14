//! A per-key sliding-window limit kept in memory (per process). The flood check in the
//! database backs it up across restarts and instances.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;
use std::time::{Duration, Instant};

pub struct RateLimiter {
    window: Duration,
    hits: Mutex<HashMap<String, VecDeque<Instant>>>,
}

/// Past this many tracked keys, stale ones are swept on the next hit.
const SWEEP_AT: usize = 10_000;

impl RateLimiter {
    /// Counts hits per `window`.
    pub fn new(window: Duration) -> RateLimiter {
        RateLimiter { window, hits: Mutex::new(HashMap::new()) }
    }

    /// Records a hit for `key`; false when the key already has `limit` hits in the window (the
    /// hit is then not counted). A limit of 0 allows everything. The limit is passed per call
    /// so admin settings apply at once.
    pub fn allow(&self, key: &str, limit: u32) -> bool {
        self.allow_at(key, limit, Instant::now())
    }

    fn allow_at(&self, key: &str, limit: u32, now: Instant) -> bool {
        if limit == 0 {
            return true;
        }
        let mut hits = match self.hits.lock() {
            Ok(guard) => guard,
            Err(poisoned) => poisoned.into_inner(),
        };
        if hits.len() > SWEEP_AT {
            hits.retain(|_, times| times.back().is_some_and(|t| now.duration_since(*t) < self.window));
        }
        let times = hits.entry(key.to_string()).or_default();
        while times.front().is_some_and(|t| now.duration_since(*t) >= self.window) {
            times.pop_front();
        }
        if times.len() >= limit as usize {
            return false;
        }
        times.push_back(now);
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_within_the_window_and_recovers_after() {
        let limiter = RateLimiter::new(Duration::from_secs(60));
        let t0 = Instant::now();
        assert!(limiter.allow_at("ip", 2, t0));
        assert!(limiter.allow_at("ip", 2, t0));
        assert!(!limiter.allow_at("ip", 2, t0 + Duration::from_secs(59)));
        assert!(limiter.allow_at("other", 2, t0));
        assert!(limiter.allow_at("ip", 2, t0 + Duration::from_secs(60)));
    }

    #[test]
    fn zero_disables() {
        let limiter = RateLimiter::new(Duration::from_secs(60));
        assert!((0..100).all(|_| limiter.allow("x", 0)));
    }
}
