//! `fairpanel audit`: reads the whole stored log and checks it as a third party
//! would: contiguous sequence numbers, canonical entries, signatures, the hash
//! chain, the stored Merkle hashes, the head, and every checkpoint. Each problem
//! names the sequence number (or hash index, or checkpoint size) it concerns.

use crate::store::Store;
use anyhow::Result;
use fairpanel_core::entry::{self, Body};
use fairpanel_core::hash::Hash32;
use fairpanel_core::merkle::MemoryTree;
use fairpanel_core::rotation::{self, Rotation};
use fairpanel_core::{PublicKey, checkpoint};
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

/// Checks the stored log against `key`, the log's current public key. Older
/// keys are trusted only through rotation entries signed by both keys (see
/// `fairpanel_core::rotation`), each within its window of sequence numbers.
pub async fn run(store: &Store, key: &PublicKey, origin: &str) -> Result<Audit> {
    run_with_anchor(store, key, origin, None).await
}

/// [`run`], also checking the log against the checkpoint kept beside the key
/// (`keys/log.checkpoint`, see [`crate::anchor`]) when `anchor` names it: a log
/// rolled back or rewritten under it is a problem.
pub async fn run_with_anchor(
    store: &Store,
    key: &PublicKey,
    origin: &str,
    anchor: Option<&std::path::Path>,
) -> Result<Audit> {
    let mut problems = Vec::new();
    let size = store.log_size().await?;
    let rows = store.entries(0, u64::MAX >> 1).await?;
    // Keys: the current one, and those that rotations signed by both keys lead
    // back to.
    let parsed: Vec<Option<entry::Parsed>> =
        rows.iter().map(|r| entry::parse(&r.bytes).ok()).collect();
    let rots: Vec<Rotation> = parsed
        .iter()
        .flatten()
        .filter_map(|p| match &p.body {
            Body::KeyRotation(b) => Some(Rotation {
                seq: p.entry.seq,
                prev: p.entry.prev,
                signer: p.entry.signer,
                body: b,
            }),
            _ => None,
        })
        .collect();
    let keys = match rotation::chain(&rots, key) {
        Ok(c) => c,
        Err(m) => {
            problems.push(Problem {
                at: "key chain".into(),
                what: format!("{m}; only the current key {} is trusted", key.key_id()),
            });
            rotation::chain(&[], key).expect("a chain of one key")
        }
    };
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
                match keys.signer(&p.entry.signer, r.seq) {
                    Err(m) => problems.push(at_seq(r.seq, m)),
                    Ok(k) => {
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
        // Signed by the key that signed the entry before it, or by the key a
        // rotation there introduced.
        let signer = keys
            .0
            .iter()
            .filter(|w| {
                let last = s.saturating_sub(1);
                w.after.is_none_or(|a| a <= last) && w.until.is_none_or(|u| last <= u)
            })
            .map(|w| w.key)
            .find(|k| checkpoint::verify(text, k, Some(origin)).is_ok())
            .unwrap_or(*key);
        match checkpoint::verify(text, &signer, Some(origin)) {
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
    // The newest checkpoint covers the whole log: every append signs one.
    match cps.last() {
        Some((s, _)) if *s != size => problems.push(Problem {
            at: "checkpoints".into(),
            what: format!("the newest is of size {s}, the log holds {size} entries (an append without its checkpoint, or checkpoints deleted)"),
        }),
        None if size > 0 => problems.push(Problem {
            at: "checkpoints".into(),
            what: "none, for a log that holds entries".into(),
        }),
        _ => {}
    }
    // The head row names the last entry.
    let head_hash = store.head_hash().await?;
    if head_hash.as_slice() != prev.0.as_slice() {
        problems.push(Problem {
            at: "log head".into(),
            what: "last_hash is not the hash of the last entry".into(),
        });
    }
    // The columns beside the bytes say what the signed bytes say.
    for (seq, kind, province, draw, time) in store.entry_columns().await? {
        let Some(Some(p)) = parsed
            .iter()
            .find(|p| p.as_ref().is_some_and(|p| p.entry.seq == seq))
        else {
            continue;
        };
        let want_kind = serde_json::to_value(p.entry.kind).ok();
        let mut differs = Vec::new();
        if want_kind.as_ref().and_then(|v| v.as_str()) != Some(kind.as_str()) {
            differs.push(format!("kind {kind:?}"));
        }
        if p.entry.province.as_ref().map(|x| x.as_str()) != province.as_deref() {
            differs.push(format!("province {province:?}"));
        }
        if p.body.draw().map(|d| d.as_str()) != draw.as_deref() {
            differs.push(format!("draw {draw:?}"));
        }
        if i64::try_from(p.entry.time).ok() != Some(time) {
            differs.push(format!("time {time}"));
        }
        if !differs.is_empty() {
            problems.push(Problem {
                at: format!("log_entries seq {seq}"),
                what: format!(
                    "column {} differs from the signed entry",
                    differs.join(", column ")
                ),
            });
        }
    }
    // The checkpoint kept beside the key: the log must extend it.
    if let Some(path) = anchor {
        match crate::anchor::read(path) {
            Err(e) => problems.push(Problem {
                at: path.display().to_string(),
                what: format!("{e:#}"),
            }),
            Ok(None) => problems.push(Problem {
                at: path.display().to_string(),
                what: "no checkpoint is kept beside the key".into(),
            }),
            Ok(Some(a)) => {
                let holds = |h: &crate::anchor::Head| {
                    h.size == 0 || (h.size <= tree.size() && tree.root(h.size) == h.root)
                };
                if !holds(&a.pending) && !holds(&a.committed) {
                    problems.push(Problem {
                        at: "log".into(),
                        what: format!(
                            "rolled back or rewritten: the last checkpoint the key signed (kept in {}) is of size {} with root {}, and the stored log of {} entries does not extend it",
                            path.display(),
                            a.committed.size,
                            a.committed.root,
                            tree.size()
                        ),
                    });
                }
            }
        }
    }
    protected_rows(store, &parsed, &mut problems).await?;
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

/// The rows the log protects through hashes: each must be what its entries say.
/// A row that does not parse is a finding, never an error.
async fn protected_rows(
    store: &Store,
    parsed: &[Option<entry::Parsed>],
    problems: &mut Vec<Problem>,
) -> Result<()> {
    use fairpanel_core::types::Province;
    use std::collections::BTreeMap;
    let entries: Vec<&entry::Parsed> = parsed.iter().flatten().collect();
    // Experts: the table of each province against its last roster_change.
    let mut last_roster: BTreeMap<String, (u64, &fairpanel_core::entry::RosterChange)> =
        BTreeMap::new();
    for p in &entries {
        if let (Body::RosterChange(c), Some(pr)) = (&p.body, &p.entry.province) {
            last_roster.insert(pr.as_str().to_string(), (p.entry.seq, c));
        }
    }
    let provinces: Vec<(String,)> = crate::with_pool!(store, pool => sqlx::query_as(
        "SELECT DISTINCT province FROM experts").fetch_all(pool).await?);
    let mut all: Vec<String> = provinces.into_iter().map(|(p,)| p).collect();
    all.extend(last_roster.keys().cloned());
    all.sort();
    all.dedup();
    for prov in all {
        let at = format!("experts of {prov}");
        let records = match Province::try_from(prov.clone()) {
            Err(e) => {
                problems.push(Problem {
                    at,
                    what: format!("not a province: {e}"),
                });
                continue;
            }
            Ok(p) => store.list_experts(&p).await,
        };
        let records = match records {
            Ok(r) => r,
            Err(e) => {
                problems.push(Problem {
                    at,
                    what: format!("a row does not parse: {e:#}"),
                });
                continue;
            }
        };
        let hash = crate::store::experts::roster_hash(&records);
        let active = records
            .iter()
            .filter(|r| r.status == crate::roster::Status::Active)
            .count() as u64;
        match last_roster.get(&prov) {
            None if records.is_empty() => {}
            None => problems.push(Problem {
                at,
                what: format!("{} experts, but no roster_change in the log", records.len()),
            }),
            Some((seq, c)) if c.roster != hash || c.size != active => problems.push(Problem {
                at,
                what: format!(
                    "the table (hash {hash}, {active} active) is not the roster of the last roster_change (seq {seq}: hash {}, {} active)",
                    c.roster, c.size
                ),
            }),
            Some(_) => {}
        }
    }
    // Draws: the row against its commit, reveal, declines, void and disclosure.
    type DrawRow = (
        String,
        String,
        i64,
        Vec<u8>,
        Vec<u8>,
        Vec<u8>,
        String,
        String,
        Option<Vec<u8>>,
    );
    let draws: Vec<DrawRow> = crate::with_pool!(store, pool => sqlx::query_as(
        "SELECT id, state, commit_seq, commit_hash, secret, leaves, panel, alternates, tag_secret FROM draws ORDER BY id")
        .fetch_all(pool).await?);
    for (id, state, commit_seq, commit_hash, secret, leaves, panel, alternates, tag_secret) in draws
    {
        let at = format!("draws {id}");
        let mut bad = |what: String| {
            problems.push(Problem {
                at: at.clone(),
                what,
            })
        };
        let mine: Vec<&&entry::Parsed> = entries
            .iter()
            .filter(|p| p.body.draw().map(|d| d.as_str()) == Some(id.as_str()))
            .collect();
        let Some(commit) = mine.iter().find_map(|p| match &p.body {
            Body::Commit(c) => Some((p, c)),
            _ => None,
        }) else {
            bad("no commit entry in the log".into());
            continue;
        };
        let (ce, c) = commit;
        if i64::try_from(ce.entry.seq).ok() != Some(commit_seq)
            || ce.hash.0.as_slice() != commit_hash.as_slice()
        {
            bad(format!(
                "commit_seq/commit_hash differ from the commit entry (seq {})",
                ce.entry.seq
            ));
        }
        let leaf_lines: Vec<&[u8]> = leaves
            .split(|&b| b == b'\n')
            .filter(|l| !l.is_empty())
            .collect();
        if fairpanel_core::pool::root(leaf_lines.iter().copied()) != c.pool_root
            || leaf_lines.len() as u64 != c.pool_size
        {
            bad("the stored pool leaves are not the pool the commit fixed".into());
        }
        let parsed: Result<Vec<_>, _> = leaf_lines
            .iter()
            .map(|l| fairpanel_core::pool::parse_leaf(l))
            .collect();
        match parsed {
            Ok(ls) => {
                if let Err(m) = fairpanel_core::pool::check_identities(&ls) {
                    bad(m);
                }
            }
            Err(m) => bad(format!("a stored pool leaf does not parse: {m}")),
        }
        let tag_key = tag_secret
            .and_then(|b| <[u8; 32]>::try_from(b).ok())
            .and_then(fairpanel_core::tags::TagSecret::from_bytes)
            .map(|k| k.public());
        if tag_key != Some(c.tag_key) {
            bad("the stored tag key is not the secret of the commit's tag_key".into());
        }
        match <[u8; 32]>::try_from(secret.as_slice()) {
            Ok(s) if fairpanel_core::draw::secret_commitment(&Hash32(s)) == c.secret_commitment => {
            }
            _ => bad("the stored secret does not open the commit's secret_commitment".into()),
        }
        let has = |k: entry::Kind| mine.iter().any(|p| p.entry.kind == k);
        let want_state = if has(entry::Kind::Void) {
            "voided"
        } else if has(entry::Kind::Disclosure) {
            "disclosed"
        } else if has(entry::Kind::Reveal) {
            "revealed"
        } else {
            "committed"
        };
        if state != want_state {
            bad(format!("state is {state:?}, the log says {want_state:?}"));
        }
        // Seats: the reveal's panel with every decline applied, by token.
        let leaf_tokens: Vec<Option<fairpanel_core::types::Token>> = leaf_lines
            .iter()
            .map(|l| fairpanel_core::pool::parse_leaf(l).ok().map(|x| x.token))
            .collect();
        let tokens_of = |text: &str| -> Option<Vec<fairpanel_core::types::Token>> {
            let idx: Vec<u32> = serde_json::from_str(text).ok()?;
            idx.iter()
                .map(|&i| leaf_tokens.get(i as usize).copied().flatten())
                .collect()
        };
        let (mut seated, mut alts) = (Vec::new(), Vec::new());
        for p in &mine {
            match &p.body {
                Body::Reveal(r) => {
                    seated = r.panel.clone();
                    alts = r.alternates.clone();
                }
                Body::Decline(d) => {
                    match (seated.iter().position(|t| *t == d.token), d.replacement) {
                        (Some(k), Some(r)) => seated[k] = r,
                        (Some(k), None) => {
                            seated.remove(k);
                        }
                        (None, _) => {}
                    }
                }
                _ => {}
            }
        }
        if tokens_of(&panel) != Some(seated) {
            bad("the stored panel is not the log's (reveal and declines)".into());
        }
        if tokens_of(&alternates) != Some(alts) {
            bad("the stored alternates are not the reveal's".into());
        }
    }
    // Submitted sheets: their bytes against their sheet_commit.
    let committed: std::collections::HashSet<(String, Hash32)> = entries
        .iter()
        .filter_map(|p| match &p.body {
            Body::SheetCommit(sc) => Some((sc.application.clone(), sc.sheet)),
            _ => None,
        })
        .collect();
    type SheetRow = (i64, String, String, Option<Vec<u8>>);
    let sheets: Vec<SheetRow> = crate::with_pool!(store, pool => sqlx::query_as(
        "SELECT round_id, ref_no, expert_id, bytes FROM sheets WHERE state = 'submitted' ORDER BY round_id, ref_no, expert_id")
        .fetch_all(pool).await?);
    for (round, app, expert, bytes) in sheets {
        let at = format!("sheets round {round} application {app} expert {expert}");
        match bytes {
            None => problems.push(Problem {
                at,
                what: "submitted without its bytes".into(),
            }),
            Some(b) => {
                let h = fairpanel_core::scoring::SheetRecord::hash_of(&b);
                if !committed.contains(&(app.clone(), h)) {
                    problems.push(Problem {
                        at,
                        what: format!(
                            "its bytes (hash {h}) are not a sheet committed in the log for {app}"
                        ),
                    });
                }
            }
        }
    }
    Ok(())
}
