//! Pools prepared ahead of their commit (issue 15, item 4).
//!
//! Most of a commit's work is the pool's tags: one VRF evaluation per member
//! (the identity tag) and one per organisation, under a tag key made for the
//! draw. None of it depends on anything the commit fixes later than the
//! draw's id and its members, so when a coordinator previews a draw the
//! service starts that work in the background for the round's next draw id;
//! the commit then finishes the pool (tokens, leaves, root) against the
//! candidates of that moment ([`fairpanel_core::draw::assemble_pool`], which
//! computes whatever the roster gained since). A preparation is used at most
//! once: `take` removes it, whether the commit then succeeds or not, so no
//! salt or tag key ever serves two commits. It lives in this process's memory
//! only (nothing secret is written before the commit); another instance on
//! the same database, or a restart, simply prepares at the commit as before.

use fairpanel_core::draw::{self, Candidate, PreparedMembers};
use std::collections::VecDeque;
use std::sync::Mutex;
use tokio::task::JoinHandle;

/// Preparations kept at once; the oldest is dropped beyond this (a preview
/// whose round never draws must not hold memory for ever: about 15 MB per
/// 100,000 members).
const SLOTS: usize = 8;

/// The preparations of one process, by draw id.
#[derive(Default)]
pub struct Prepared {
    slots: Mutex<VecDeque<(String, JoinHandle<PreparedMembers>)>>,
}

impl Prepared {
    /// Starts preparing `draw`'s pool over `candidates` unless a preparation
    /// for that draw id is already kept, or another is still running (one at
    /// a time: previews, however many, cost at most one pool's work at once).
    pub fn start(&self, draw: &str, candidates: Vec<Candidate>) {
        let mut slots = self.slots.lock().expect("the preparations' lock");
        if slots.iter().any(|(d, h)| d == draw || !h.is_finished()) {
            return;
        }
        let id = draw.to_string();
        let handle = tokio::task::spawn_blocking(move || {
            draw::prepare_members(&id, &candidates, super::random_batch(candidates.len() + 1))
        });
        slots.push_back((draw.to_string(), handle));
        while slots.len() > SLOTS {
            slots.pop_front();
        }
    }

    /// Takes `draw`'s preparation, waiting for it if it is still running.
    /// `None` if there is none (or it failed): the commit prepares its own.
    pub async fn take(&self, draw: &str) -> Option<PreparedMembers> {
        let handle = {
            let mut slots = self.slots.lock().expect("the preparations' lock");
            let i = slots.iter().position(|(d, _)| d == draw)?;
            slots.remove(i)?.1
        };
        handle.await.ok().filter(|p| p.draw == draw)
    }

    /// Whether no preparation is running.
    pub fn idle(&self) -> bool {
        self.slots
            .lock()
            .expect("the preparations' lock")
            .iter()
            .all(|(_, h)| h.is_finished())
    }

    /// How many preparations are kept (for tests and metrics).
    pub fn len(&self) -> usize {
        self.slots.lock().expect("the preparations' lock").len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}
