//! Pools prepared ahead of their commit (issue 15, item 4).
//!
//! Most of a commit's work is the pool's tags: one VRF evaluation per member
//! (the identity tag) and one per organisation, under a tag key made for the
//! draw. None of it depends on anything the commit fixes later than the
//! draw's id and its members, so when a coordinator previews a draw the
//! service starts that work in the background for the round's next draw id,
//! and then finishes the pool there too (tokens, leaves, root, and the stored
//! form the commit writes: [`PoolForm`]) over the candidates of the preview.
//! The commit takes the preparation and compares the candidates of its own
//! moment with the preview's: when they are the same (the usual case, a
//! commit right after its preview) it writes the finished form as it is, the
//! pool being exactly what finishing it at the commit would give; when they
//! differ (the roster, the applications or the cooldown changed) it finishes
//! the prepared tags and salts against its own candidates
//! ([`fairpanel_core::draw::assemble_pool`], which computes whatever the
//! roster gained since) and the finished form is thrown away unpublished.
//!
//! A preparation is used at most once: `take` removes it, whether the commit
//! then succeeds or not, so no salt or tag key ever serves two commits. It
//! lives in this process's memory only (nothing secret is written before the
//! commit); another instance on the same database, or a restart, simply
//! prepares at the commit as before.

use fairpanel_core::draw::{self, Candidate, PreparedMembers, PreparedPool};
use fairpanel_core::entry::Exclusion;
use fairpanel_core::hash::Hash32;
use fairpanel_core::pool::PoolLeaf;
use fairpanel_core::tags::{TagKey, TagSecret};
use std::collections::VecDeque;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use tokio::task::JoinHandle;

/// Preparations kept at once; the oldest is dropped beyond this (a preview
/// whose round never draws must not hold memory for ever: about 90 MB per
/// 100,000 members, the finished form included).
const SLOTS: usize = 4;

/// A pool as the commit writes it: the leaves (for the feasibility check),
/// the root, the exclusions, the tag key pair, and the three stored columns
/// of `draw_pools`.
pub struct PoolForm {
    pub leaves: Vec<PoolLeaf>,
    pub root: Hash32,
    pub excluded: Vec<Exclusion>,
    pub tag_secret: TagSecret,
    pub tag_key: TagKey,
    /// The leaves' exact bytes, one per line, in leaf order.
    pub leaves_blob: Vec<u8>,
    /// The members' expert ids, one per line, in leaf order.
    pub experts: String,
    /// Every member's opening as one JSON array: the leaves' in leaf order,
    /// then the excluded members'.
    pub openings: Vec<u8>,
}

impl PoolForm {
    /// The stored form of `pool`, made from `candidates` (in the same
    /// order). Each input is dropped once used, and the openings' JSON is
    /// written straight from the candidates, so that one draw's peak memory
    /// holds as few copies of the pool as it can (issue 15: peak memory).
    pub fn new(mut pool: PreparedPool, candidates: &[Candidate]) -> anyhow::Result<PoolForm> {
        let leaves_blob = pool.leaf_bytes.join(&b'\n');
        pool.leaf_bytes = Vec::new();
        let stored = pool.stored_openings(candidates)?;
        let PreparedPool {
            leaves,
            root,
            excluded,
            tag_secret,
            tag_key,
            ..
        } = pool;
        Ok(PoolForm {
            leaves,
            root,
            excluded,
            tag_secret,
            tag_key,
            leaves_blob,
            experts: stored.experts,
            openings: stored.json,
        })
    }
}

/// What a preparation holds: the tags and salts, the candidates of the
/// preview and the pool finished over them.
pub struct Ahead {
    members: PreparedMembers,
    candidates: Vec<Candidate>,
    form: Option<PoolForm>,
}

impl Ahead {
    /// The pool to commit for `candidates`: the finished form when they are
    /// the preview's, else the prepared tags and salts finished against them
    /// (`random` for members the preparation did not know).
    pub fn pool_for(
        self,
        candidates: Vec<Candidate>,
        random: impl FnMut() -> [u8; 32],
        stats: &Prepared,
    ) -> anyhow::Result<PoolForm> {
        match self.form {
            Some(form) if self.candidates == candidates => {
                stats.finished_used.fetch_add(1, Ordering::Relaxed);
                Ok(form)
            }
            _ => {
                drop(self.form);
                drop(self.candidates);
                let pool = draw::assemble_pool(self.members, &candidates, random);
                PoolForm::new(pool, &candidates)
            }
        }
    }
}

/// The preparations of one process, by draw id.
#[derive(Default)]
pub struct Prepared {
    slots: Mutex<VecDeque<(String, JoinHandle<Ahead>)>>,
    /// Commits that wrote a pool finished ahead as it was.
    finished_used: AtomicUsize,
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
            let members =
                draw::prepare_members(&id, &candidates, super::random_batch(candidates.len() + 1));
            // Every candidate has its salt and tags: finishing draws nothing.
            let pool = draw::assemble_pool(members.clone(), &candidates, super::random_batch(0));
            let form = PoolForm::new(pool, &candidates).ok();
            Ahead {
                members,
                candidates,
                form,
            }
        });
        slots.push_back((draw.to_string(), handle));
        while slots.len() > SLOTS {
            slots.pop_front();
        }
    }

    /// Takes `draw`'s preparation, waiting for it if it is still running.
    /// `None` if there is none (or it failed): the commit prepares its own.
    pub async fn take(&self, draw: &str) -> Option<Ahead> {
        let handle = {
            let mut slots = self.slots.lock().expect("the preparations' lock");
            let i = slots.iter().position(|(d, _)| d == draw)?;
            slots.remove(i)?.1
        };
        handle.await.ok().filter(|p| p.members.draw == draw)
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

    /// How many commits wrote a pool finished ahead as it was (their
    /// candidates were the preview's), for tests and metrics.
    pub fn finished_used(&self) -> usize {
        self.finished_used.load(Ordering::Relaxed)
    }
}
