//! The process-wide request pacer: one per E-utilities server and key status, shared by every
//! [`crate::Client`] of the process that talks to it.

use std::{
    collections::HashMap,
    sync::{Arc, Mutex, OnceLock},
    time::Duration,
};

use tokio::time::Instant;

/// Limiters by (server, requests per second).
type Registry = HashMap<(String, u32), Arc<Limiter>>;

/// Spaces request starts at least `interval` apart; a 429 can push the next slot later.
#[derive(Debug)]
pub(crate) struct Limiter {
    interval: Duration,
    next: Mutex<Option<Instant>>,
}

impl Limiter {
    fn new(per_second: u32) -> Self {
        // A small margin under the limit: NCBI counts arrivals, not our send times.
        let interval = Duration::from_secs(1) / per_second.max(1) + Duration::from_millis(12);
        Self {
            interval,
            next: Mutex::new(None),
        }
    }

    /// The limiter of `server` for `per_second` requests/s, shared process-wide.
    pub(crate) fn shared(server: &str, per_second: u32) -> Arc<Limiter> {
        static ALL: OnceLock<Mutex<Registry>> = OnceLock::new();
        let mut map = ALL
            .get_or_init(Mutex::default)
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        map.entry((server.to_string(), per_second))
            .or_insert_with(|| Arc::new(Limiter::new(per_second)))
            .clone()
    }

    /// Waits for this caller's slot.
    pub(crate) async fn acquire(&self) {
        let slot = {
            let mut next = self
                .next
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            let now = Instant::now();
            let slot = next.map_or(now, |n| n.max(now));
            *next = Some(slot + self.interval);
            slot
        };
        tokio::time::sleep_until(slot).await;
    }

    /// No request starts before `until` (the server asked us to back off).
    pub(crate) fn pause_until(&self, until: Instant) {
        let mut next = self
            .next
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if next.is_none_or(|n| n < until) {
            *next = Some(until);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn spaces_requests() {
        let l = Limiter::new(10);
        let t0 = Instant::now();
        for _ in 0..6 {
            l.acquire().await;
        }
        // Five intervals of >= 100 ms after the first, immediate, slot.
        assert!(t0.elapsed() >= Duration::from_millis(500));
        l.pause_until(Instant::now() + Duration::from_millis(300));
        let t1 = Instant::now();
        l.acquire().await;
        assert!(t1.elapsed() >= Duration::from_millis(250));
    }

    #[test]
    fn shared_per_server_and_rate() {
        let a = Limiter::shared("http://127.0.0.1:1/", 3);
        let b = Limiter::shared("http://127.0.0.1:1/", 3);
        let c = Limiter::shared("http://127.0.0.1:2/", 3);
        assert!(Arc::ptr_eq(&a, &b));
        assert!(!Arc::ptr_eq(&a, &c));
    }
}
