//! Throttling of wrong passwords, per account and per client address. The
//! first few failures cost nothing; after that each failure makes the next
//! attempt wait twice as long as the last (up to 15 minutes), so guessing a
//! password is slow while a person who mistyped twice is not held up. A
//! success clears the account's record (not the address's: one address that
//! guesses many accounts stays slowed).
//!
//! Kept in memory, per process: several instances behind one proxy each
//! count their own share, which only makes guessing slower by that factor.

use std::collections::HashMap;
use std::sync::Mutex;

/// Failures allowed before any wait.
pub const FREE_FAILURES: u32 = 5;
/// The longest wait, in seconds.
pub const MAX_WAIT: u64 = 15 * 60;
/// A record with no failure for this long is forgotten.
const FORGET_AFTER: u64 = 24 * 3600;

#[derive(Default)]
pub struct Throttle {
    seen: Mutex<HashMap<String, Record>>,
}

#[derive(Clone, Copy, Debug)]
struct Record {
    failures: u32,
    last: u64,
    /// No attempt is answered before this time.
    until: u64,
}

impl Throttle {
    /// `Err(seconds)` when any of `keys` must still wait.
    pub fn check(&self, keys: &[String], now: u64) -> Result<(), u64> {
        let seen = self.seen.lock().expect("throttle lock");
        let wait = keys
            .iter()
            .filter_map(|k| seen.get(k))
            .map(|r| r.until.saturating_sub(now))
            .max()
            .unwrap_or(0);
        if wait > 0 { Err(wait) } else { Ok(()) }
    }

    /// Records a failure for each key; returns the wait it imposes.
    pub fn fail(&self, keys: &[String], now: u64) -> u64 {
        let mut seen = self.seen.lock().expect("throttle lock");
        if seen.len() > 100_000 {
            seen.retain(|_, r| now.saturating_sub(r.last) < FORGET_AFTER);
        }
        let mut wait = 0;
        for k in keys {
            let r = seen.entry(k.clone()).or_insert(Record {
                failures: 0,
                last: now,
                until: 0,
            });
            if now.saturating_sub(r.last) >= FORGET_AFTER {
                r.failures = 0;
            }
            r.failures += 1;
            r.last = now;
            if r.failures >= FREE_FAILURES {
                let w = 1u64
                    .checked_shl(r.failures - FREE_FAILURES)
                    .unwrap_or(MAX_WAIT)
                    .min(MAX_WAIT);
                r.until = now + w;
                wait = wait.max(w);
            }
        }
        wait
    }

    pub fn succeed(&self, key: &str) {
        self.seen.lock().expect("throttle lock").remove(key);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waits_grow_after_the_free_failures_and_a_success_clears_the_account() {
        let t = Throttle::default();
        let keys = vec!["u:alice".to_string(), "ip:10.0.0.1".to_string()];
        for _ in 1..FREE_FAILURES {
            assert_eq!(t.fail(&keys, 100), 0);
            assert!(t.check(&keys, 100).is_ok());
        }
        assert_eq!(t.fail(&keys, 100), 1);
        assert_eq!(t.check(&keys, 100), Err(1));
        assert!(t.check(&keys, 101).is_ok());
        assert_eq!(t.fail(&keys, 101), 2);
        assert_eq!(t.fail(&keys, 103), 4);
        assert_eq!(t.check(&keys, 104), Err(3));
        // Another account from the same address still waits.
        assert!(
            t.check(&["u:bob".into(), "ip:10.0.0.1".into()], 104)
                .is_err()
        );
        t.succeed("u:alice");
        assert!(t.check(&["u:alice".into()], 104).is_ok());
        for _ in 0..40 {
            t.fail(&keys, 200);
        }
        assert_eq!(t.check(&keys, 200), Err(MAX_WAIT));
    }
}
