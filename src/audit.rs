//! `fairpanel audit`: reads the whole stored log and checks it as a third party
//! would: contiguous sequence numbers, canonical entries, signatures, the hash
//! chain, the stored Merkle hashes, the head, and every checkpoint. Each problem
//! names the sequence number (or hash index, or checkpoint size) it concerns.

use crate::store::Store;
use anyhow::Result;
use fairpanel_core::entry::{self, Body};
use fairpanel_core::hash::Hash32;
use fairpanel_core::merkle::MemoryTree;
use fairpanel_core::{KeyId, PublicKey, checkpoint};
use std::collections::BTreeMap;
use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub at: String,
    pub what: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.at, self.what)
    }
}

/// What the audit read and found.
pub struct Audit {
    pub entries: u64,
    pub checkpoints: usize,
    pub problems: Vec<Problem>,
}

fn at_seq(seq: u64, what: impl Into<String>) -> Problem {
    Problem {
        at: format!("entry seq {seq}"),
        what: what.into(),
    }
}

/// Checks the stored log against `key`, the log's current public key (older keys
/// are accepted through the log's own key-rotation entries).
pub async fn run(store: &Store, key: &PublicKey, origin: &str) -> Result<Audit> {
    let mut problems = Vec::new();
    let size = store.log_size().await?;
    let rows = store.entries(0, u64::MAX >> 1).await?;
    // Keys: the current one, and those the log's rotation entries name.
    let mut keys: BTreeMap<KeyId, PublicKey> = BTreeMap::new();
    keys.insert(key.key_id(), *key);
    for r in &rows {
        if let Ok(p) = entry::parse(&r.bytes)
            && let Body::KeyRotation(k) = &p.body
        {
            keys.insert(k.old_key.key_id(), k.old_key);
            keys.insert(k.new_key.key_id(), k.new_key);
        }
    }
    let mut tree = MemoryTree::default();
    // The stored hashes the entries imply, in index order.
    let mut expected: Vec<Hash32> = Vec::new();
    let mut prev = Hash32::ZERO;
    let mut expected_seq = 0u64;
    for r in &rows {
        while expected_seq < r.seq {
            problems.push(at_seq(expected_seq, "missing (deleted?)"));
            expected_seq += 1;
        }
        expected_seq = r.seq + 1;
        let hash = entry::entry_hash(&r.bytes);
        if r.hash != hash.0 {
            problems.push(at_seq(
                r.seq,
                "the stored entry hash does not match its bytes",
            ));
        }
        match entry::parse(&r.bytes) {
            Err(e) => problems.push(at_seq(r.seq, format!("not a valid entry: {e}"))),
            Ok(p) => {
                if p.entry.seq != r.seq {
                    problems.push(at_seq(
                        r.seq,
                        format!("the entry says seq {} (moved or reordered)", p.entry.seq),
                    ));
                }
                if p.entry.prev != prev {
                    problems.push(at_seq(
                        r.seq,
                        "prev is not the hash of the entry before it (chain broken)",
                    ));
                }
                match keys.get(&p.entry.signer) {
                    None => problems.push(at_seq(
                        r.seq,
                        format!("signed by unknown key {}", p.entry.signer),
                    )),
                    Some(k) => {
                        if let Err(e) = k.verify(&r.bytes, &r.sig) {
                            problems.push(at_seq(r.seq, e));
                        }
                    }
                }
            }
        }
        prev = hash;
        let before = tlog_tiles::stored_hash_count(tree.size());
        tree.push(&r.bytes);
        for k in before..tlog_tiles::stored_hash_count(tree.size()) {
            expected.push(hash_at(&tree, k));
        }
    }
    if size != rows.len() as u64 || rows.last().is_some_and(|r| r.seq + 1 != size) {
        problems.push(Problem {
            at: "log head".into(),
            what: format!("says {size} entries, the table holds {}", rows.len()),
        });
    }
    // The stored Merkle hashes must be exactly those of the entries.
    let stored = store.stored_hashes().await?;
    for (k, h) in &stored {
        match expected.get(*k as usize) {
            Some(e) if e.0.as_slice() == h.as_slice() => {}
            Some(_) => problems.push(Problem {
                at: format!("stored hash {k}"),
                what: "does not match the entries".into(),
            }),
            None => problems.push(Problem {
                at: format!("stored hash {k}"),
                what: "beyond the log's entries".into(),
            }),
        }
    }
    if stored.len() < expected.len() {
        problems.push(Problem {
            at: "stored hashes".into(),
            what: format!("{} missing", expected.len() - stored.len()),
        });
    }
    // Every checkpoint: signed by the log's key, root of the entries at its size.
    let cps = store.checkpoints().await?;
    for (s, text) in &cps {
        let at = format!("checkpoint {s}");
        match checkpoint::verify(text, key, Some(origin)) {
            Err(e) => problems.push(Problem { at, what: e }),
            Ok(cp) if cp.size != *s => problems.push(Problem {
                at,
                what: format!("its text says size {}", cp.size),
            }),
            Ok(cp) if cp.size > tree.size() => problems.push(Problem {
                at,
                what: "covers entries the log does not hold".into(),
            }),
            Ok(cp) if tree.root(cp.size) != cp.root => problems.push(Problem {
                at,
                what: "its root is not the root of the stored entries (history rewritten?)".into(),
            }),
            Ok(_) => {}
        }
    }
    Ok(Audit {
        entries: rows.len() as u64,
        checkpoints: cps.len(),
        problems,
    })
}

/// The stored hash at index `k` of an in-memory tree.
fn hash_at(tree: &MemoryTree, k: u64) -> Hash32 {
    use tlog_tiles::HashReader;
    Hash32(tree.read_hashes(&[k]).expect("index within the tree")[0].0)
}
