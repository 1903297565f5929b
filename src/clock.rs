//! The service's clock: every time written into the log comes from here.
//!
//! In production it is the system clock. For demonstrations and tests it can be
//! a simulated clock that starts at a chosen instant and runs `rate` times faster
//! than real time, a manual one, or one stepped through a file by another
//! process: that is how `fairpanel demo` commits a draw before drand quicknet
//! round 1000 (published 2023-08-23) and then uses that recorded round as its
//! beacon, with no network and no dependence on how fast the machine is. A simulated clock is announced at start-up and
//! shows in every entry's time; it is never the default.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

#[derive(Clone, Debug)]
pub enum Clock {
    System,
    Simulated {
        origin: Instant,
        start: u64,
        rate: u64,
    },
    /// Moved only by [`Clock::advance`] (tests).
    Manual(Arc<AtomicU64>),
    /// Stepped by another process: the unix seconds written in a file, read at
    /// every call (`fairpanel demo` steps its `serve` this way, so that nothing
    /// depends on how fast the machine is).
    Stepped(Arc<std::path::Path>),
}

impl Clock {
    pub fn simulated(start: u64, rate: u64) -> Clock {
        Clock::Simulated {
            origin: Instant::now(),
            start,
            rate: rate.max(1),
        }
    }

    pub fn manual(start: u64) -> Clock {
        Clock::Manual(Arc::new(AtomicU64::new(start)))
    }

    /// Unix seconds now.
    pub fn now(&self) -> u64 {
        match self {
            Clock::System => crate::serve::now(),
            Clock::Simulated {
                origin,
                start,
                rate,
            } => start + origin.elapsed().as_secs() * rate,
            Clock::Manual(t) => t.load(Ordering::SeqCst),
            Clock::Stepped(path) => std::fs::read_to_string(path)
                .ok()
                .and_then(|s| s.trim().parse().ok())
                .unwrap_or_else(|| {
                    panic!("the stepped clock file {} holds no time", path.display())
                }),
        }
    }

    /// Moves a manual clock forward; other clocks ignore it.
    pub fn advance(&self, seconds: u64) {
        if let Clock::Manual(t) = self {
            t.fetch_add(seconds, Ordering::SeqCst);
        }
    }

    /// Moves a manual clock back (tests: the service must not let log time go
    /// backwards when its clock does); other clocks ignore it.
    pub fn rewind(&self, seconds: u64) {
        if let Clock::Manual(t) = self {
            t.fetch_sub(seconds, Ordering::SeqCst);
        }
    }

    pub fn is_system(&self) -> bool {
        matches!(self, Clock::System)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn manual_clocks_move_only_when_told_and_simulated_ones_start_where_asked() {
        let c = Clock::manual(100);
        assert_eq!(c.now(), 100);
        c.advance(5);
        assert_eq!(c.now(), 105);
        let s = Clock::simulated(1_692_806_000, 60);
        assert!((1_692_806_000..1_692_806_060).contains(&s.now()));
        let sys = Clock::System;
        sys.advance(1000);
        assert!(sys.now() > 1_700_000_000);
    }
}
