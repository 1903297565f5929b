//! `fairpanel audit`: reads the whole stored log and checks it as a third party
//! would: contiguous sequence numbers, canonical entries, signatures, the hash
//! chain, each province's chain of `pprev` (protocol 1.7), the stored Merkle
//! hashes, the head, and every checkpoint. Each problem
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
    run_against(store, key, origin, anchor, None).await
}

/// A signed checkpoint kept outside the service (by a monitor, a witness, a
/// supervisor's office): its file's name, for the report, and its text.
pub struct Outside<'a> {
    pub name: &'a str,
    pub text: &'a str,
}

/// [`run_with_anchor`], also checking the stored log against checkpoints kept
/// outside it (`fairpanel audit --checkpoint FILE`): each must be signed by a
/// key of the log for its origin, and the stored tree must extend it. This
/// catches what a self-contained audit cannot: a truncated tail, deleted
/// checkpoints, a re-signed suffix.
pub async fn run_against(
    store: &Store,
    key: &PublicKey,
    origin: &str,
    anchor: Option<&std::path::Path>,
    outside: Option<&[Outside<'_>]>,
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
    // Protocol 1.7: each province's last entry, which its next pprev names.
    let mut heads = std::collections::BTreeMap::new();
    // …and each draw's commit, whose province the draw's entries share.
    let mut draws = std::collections::BTreeMap::new();
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
                if let Err(m) = crate::monitor::check_pprev(&p, &mut heads, true) {
                    problems.push(at_seq(r.seq, m));
                }
                if let Err(m) = crate::monitor::check_draw_province(&p, &mut draws) {
                    problems.push(at_seq(r.seq, m));
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
    for o in outside.unwrap_or_default() {
        let cp = keys
            .0
            .iter()
            .rev()
            .find_map(|w| checkpoint::verify(o.text, &w.key, Some(origin)).ok());
        match cp {
            None => problems.push(Problem {
                at: o.name.to_string(),
                what: format!(
                    "not a checkpoint of the log {origin:?} signed by one of its keys"
                ),
            }),
            Some(cp) if cp.size > tree.size() || tree.root(cp.size) != cp.root => {
                problems.push(Problem {
                    at: "log".into(),
                    what: format!(
                        "rolled back or rewritten: the checkpoint kept in {} is of size {} with root {}, and the stored log of {} entries does not extend it",
                        o.name,
                        cp.size,
                        cp.root,
                        tree.size()
                    ),
                })
            }
            Some(_) => {}
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
            Ok(p) => store.read_roster(&p).await,
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
        // The head the writes keep (bucket hashes and counts) must be the
        // table's, or the next write would log a wrong hash.
        let head: Option<(Vec<u8>, i64, i64)> = crate::with_pool!(store, pool => sqlx::query_as(
            "SELECT buckets, active, total FROM roster_heads WHERE province = $1")
            .bind(prov.clone()).fetch_optional(pool).await?);
        if let Some((buckets, a, t)) = head
            && (fairpanel_core::hash::tagged(fairpanel_core::hash::tag::ROSTER, &[&buckets])
                != hash
                || a as u64 != active
                || t as usize != records.len())
        {
            problems.push(Problem {
                at: at.clone(),
                what: format!(
                    "the roster head ({a} active, {t} in all) is not the table's (hash {hash}, {active} active, {} in all)",
                    records.len()
                ),
            });
        }
        // A roster_change written before migration 0028 carries the older
        // whole-snapshot hash; it names the table as well.
        let hash = match last_roster.get(&prov) {
            Some((_, c))
                if c.roster != hash
                    && c.roster == crate::store::experts::legacy_roster_hash(&records) =>
            {
                c.roster
            }
            _ => hash,
        };
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
    // Each row's key column is its record's expert id (lookups go by the key).
    // Each row's stored hash, bucket and status are its record's (the writes
    // keep the roster hash from them); rows from before migration 0028 have
    // none until the province's next write.
    type KeyedRow = (
        String,
        String,
        String,
        Option<Vec<u8>>,
        Option<i64>,
        Option<bool>,
    );
    let keyed: Vec<KeyedRow> = crate::with_pool!(store, pool => sqlx::query_as(
        "SELECT province, expert_id, record, rhash, bucket, active FROM experts ORDER BY province, expert_id")
        .fetch_all(pool).await?);
    for (prov, id, record, rhash, bucket, active) in keyed {
        let Ok(r) = serde_json::from_str::<crate::roster::ExpertRecord>(&record) else {
            continue;
        };
        if r.expert_id != id {
            problems.push(Problem {
                at: format!("experts of {prov}"),
                what: format!("the row keyed {id:?} holds the record of {:?}", r.expert_id),
            });
        }
        let stored = (rhash, bucket, active);
        let want = (
            Some(crate::store::experts::record_hash(&r).0.to_vec()),
            Some(crate::store::experts::bucket_of(&r.expert_id) as i64),
            Some(r.status == crate::roster::Status::Active),
        );
        if stored != (None, None, None) && stored != want {
            problems.push(Problem {
                at: format!("experts of {prov}"),
                what: format!(
                    "the row keyed {id:?} stores a hash, bucket or status that is not its record's"
                ),
            });
        }
    }
    // Draws: the row against its commit, reveal, declines, void and disclosure.
    type DrawRow = (
        String,
        String,
        i64,
        Vec<u8>,
        Vec<u8>,
        Option<Vec<u8>>,
        String,
        String,
        Option<Vec<u8>>,
    );
    // The pool is in its own table (draw_pools); a draw without one is a
    // finding, and its empty leaves then differ from the commit's root.
    let draws: Vec<DrawRow> = crate::with_pool!(store, pool => sqlx::query_as(
        "SELECT d.id, d.state, d.commit_seq, d.commit_hash, d.secret, p.leaves, d.panel, d.alternates, d.tag_secret FROM draws d LEFT JOIN draw_pools p ON p.draw_id = d.id ORDER BY d.id")
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
        if leaves.is_none() {
            bad("its pool (the draw_pools row) is missing".to_string());
        }
        let leaves = leaves.unwrap_or_default();
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
                    // A supplementary draw seats the members it carried first.
                    seated = c
                        .supplements
                        .iter()
                        .flat_map(|l| l.seated.iter())
                        .chain(&r.panel)
                        .copied()
                        .collect();
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
    // The draws' other columns and members; the scoring rows.
    draw_details(store, &entries, problems).await?;
    scoring_rows(store, &entries, problems).await?;
    materials_rows(store, &entries, problems).await?;
    report_rows(store, &entries, problems).await?;
    notice_rows(store, &entries, problems).await?;
    Ok(())
}

/// Who each pool index stands for in a draw: the `experts` column, checked
/// against the `openings` (each opening must give its leaf's token and
/// organisation tag); the tokens themselves are in the log through the pool
/// root. `None` when they do not agree (a finding is pushed).
fn draw_experts(
    id: &str,
    leaf_lines: &[&[u8]],
    experts: &str,
    openings: &[u8],
    commit: &fairpanel_core::entry::Commit,
    problems: &mut Vec<Problem>,
) -> Option<Vec<(fairpanel_core::types::Token, String)>> {
    use fairpanel_core::pool;
    let mut bad = |what: String| {
        problems.push(Problem {
            at: format!("draws {id}"),
            what,
        });
        None
    };
    let Ok(ops) = serde_json::from_slice::<Vec<fairpanel_core::entry::Opening>>(openings) else {
        return bad("the openings column does not parse".into());
    };
    let names: Vec<&str> = experts.split('\n').collect();
    if names.len() != leaf_lines.len() || ops.len() < leaf_lines.len() {
        return bad(format!(
            "the experts column names {} members and the openings column {}, for {} pool leaves",
            names.len(),
            ops.len(),
            leaf_lines.len()
        ));
    }
    let mut out = Vec::with_capacity(leaf_lines.len());
    let excluded = &commit.excluded;
    // A supplementary draw keeps the chain's first pool and its tags.
    let draw = commit
        .supplements
        .as_ref()
        .map_or(commit.draw.as_str(), |s| s.pool_draw.as_str());
    for (i, op) in ops.iter().enumerate() {
        let identity = pool::Identity {
            expert: &op.expert,
            name: &op.name,
            org: &op.org,
            code: &op.code,
        };
        let token = pool::member_token(&op.salt.0, &identity);
        if token != op.token {
            return bad(format!("opening {i} does not give its token"));
        }
        match leaf_lines.get(i) {
            Some(l) => {
                let leaf = match pool::parse_leaf(l) {
                    Ok(x) => x,
                    Err(e) => return bad(format!("pool leaf {i}: {e}")),
                };
                // A stored opening's proofs, when it carries them, must prove
                // its leaf's tags under the commit's tag key (a changed
                // identity field already changes the token above).
                let disproved = |proof: &Option<fairpanel_core::tags::TagProof>,
                                 alpha: Vec<u8>,
                                 tag: [u8; 16]| {
                    proof
                        .as_ref()
                        .is_some_and(|p| commit.tag_key.verify(&alpha, p) != Some(tag))
                };
                if leaf.token != token
                    || disproved(
                        &op.id_proof,
                        fairpanel_core::tags::id_input(draw, &op.expert),
                        leaf.id.0,
                    )
                    || disproved(
                        &op.org_proof,
                        fairpanel_core::tags::org_input(draw, &identity.org_key()),
                        leaf.org.0,
                    )
                {
                    return bad(format!(
                        "opening {i} is not the opening of pool leaf {i} (token, identity tag or organisation tag differs)"
                    ));
                }
                if names[i] != op.expert {
                    return bad(format!(
                        "the experts column says member {i} is {:?}, its opening says otherwise",
                        names[i]
                    ));
                }
                out.push((token, op.expert.clone()));
            }
            None => {
                if !excluded.iter().any(|x| x.token == token) {
                    return bad(format!(
                        "opening {i} is neither a pool leaf nor a member the commit excluded"
                    ));
                }
            }
        }
    }
    Some(out)
}

/// The draw rows' other columns against the log: `request`, `spec`, the times,
/// `ever`, the experts and openings, and the draw_members rows.
async fn draw_details(
    store: &Store,
    entries: &[&entry::Parsed],
    problems: &mut Vec<Problem>,
) -> Result<()> {
    use fairpanel_core::types::Token;
    use std::collections::BTreeMap;
    type Row = (
        String,
        String,
        String,
        String,
        Option<String>,
        Option<Vec<u8>>,
        i64,
        i64,
        Option<i64>,
        Option<i64>,
        String,
        Option<Vec<u8>>,
    );
    let rows: Vec<Row> = crate::with_pool!(store, pool => sqlx::query_as(
        "SELECT d.id, d.request, d.spec, d.ever, p.experts, p.openings, d.commit_time, d.entropy_deadline, d.beacon_round, d.revealed_at, d.province, p.leaves FROM draws d LEFT JOIN draw_pools p ON p.draw_id = d.id ORDER BY d.id")
        .fetch_all(pool).await?);
    type Member = (String, String, String, String, i64, i64);
    let members: Vec<Member> = crate::with_pool!(store, pool => sqlx::query_as(
        "SELECT draw_id, expert_id, province, role, position, since FROM draw_members ORDER BY draw_id, expert_id")
        .fetch_all(pool).await?);
    type MemberRow = (String, String, String, i64, i64);
    let mut stored_members: BTreeMap<String, Vec<MemberRow>> = BTreeMap::new();
    for (d, e, p, role, pos, since) in members {
        stored_members
            .entry(d)
            .or_default()
            .push((e, p, role, pos, since));
    }
    for (
        id,
        request,
        spec,
        ever,
        experts,
        openings,
        commit_time,
        deadline,
        beacon_round,
        revealed_at,
        province,
        leaves,
    ) in rows
    {
        // A missing pool row is named by the draws check; here its columns
        // are empty and differ from what the log says.
        let (experts, openings, leaves) = (
            experts.unwrap_or_default(),
            openings.unwrap_or_default(),
            leaves.unwrap_or_default(),
        );
        let mine: Vec<&&entry::Parsed> = entries
            .iter()
            .filter(|p| p.body.draw().map(|d| d.as_str()) == Some(id.as_str()))
            .collect();
        let Some((ce, c)) = mine.iter().find_map(|p| match &p.body {
            Body::Commit(c) => Some((p, c)),
            _ => None,
        }) else {
            stored_members.remove(&id);
            continue; // named by the draws check
        };
        let mut differs = Vec::new();
        match serde_json::from_str::<fairpanel_core::types::DrawSpec>(&spec) {
            Ok(s) if s == c.spec => {}
            _ => differs.push("spec".to_string()),
        }
        match serde_json::from_str::<crate::draws::DrawRequest>(&request) {
            Ok(r) => {
                use crate::draws::BeaconChoice;
                let spec_ok = r.spec(0).ok().as_ref() == Some(&c.spec);
                let beacon_ok = match (&r.beacon, &c.beacon) {
                    (BeaconChoice::None, None) => true,
                    (
                        BeaconChoice::Drand {
                            margin,
                            round: None,
                        },
                        Some(t),
                    ) => *margin == t.margin,
                    (BeaconChoice::Drand { round: Some(x), .. }, Some(t)) => *x == t.round,
                    _ => false,
                };
                if !spec_ok
                    || !beacon_ok
                    || r.title != c.title
                    || Some(r.entropy_window) != c.entropy_deadline.checked_sub(ce.entry.time)
                {
                    differs.push("request".into());
                }
            }
            Err(_) => differs.push("request (does not parse)".into()),
        }
        if i64::try_from(ce.entry.time).ok() != Some(commit_time) {
            differs.push("commit_time".into());
        }
        if i64::try_from(c.entropy_deadline).ok() != Some(deadline) {
            differs.push("entropy_deadline".into());
        }
        if c.beacon.as_ref().map(|b| b.round as i64) != beacon_round {
            differs.push("beacon_round".into());
        }
        if ce.entry.province.as_ref().map(|p| p.as_str()) != Some(province.as_str()) {
            differs.push("province".into());
        }
        let reveal = mine.iter().find_map(|p| match &p.body {
            Body::Reveal(r) => Some((p.entry.time, r)),
            _ => None,
        });
        if reveal.map(|(t, _)| t as i64) != revealed_at {
            differs.push("revealed_at".into());
        }
        let leaf_lines: Vec<&[u8]> = leaves
            .split(|&b| b == b'\n')
            .filter(|l| !l.is_empty())
            .collect();
        let who = draw_experts(&id, &leaf_lines, &experts, &openings, c, problems);
        // `ever`, and the members' rows, from the reveal and the declines.
        let mut want_ever: Vec<Token> = Vec::new();
        let mut want: BTreeMap<Token, (&str, i64, i64)> = BTreeMap::new();
        if let Some((t, r)) = reveal {
            // A supplementary draw's panel is the members it carried, then its own.
            let carried: Vec<Token> = c
                .supplements
                .iter()
                .flat_map(|l| l.seated.iter())
                .copied()
                .collect();
            want_ever = carried.iter().chain(&r.panel).copied().collect();
            let mut seated = want_ever.clone();
            for (k, tok) in want_ever.iter().enumerate() {
                want.insert(*tok, ("panel", k as i64, t as i64));
            }
            for (k, tok) in r.alternates.iter().enumerate() {
                want.insert(*tok, ("alternate", k as i64, t as i64));
            }
            for p in &mine {
                if let Body::Decline(d) = &p.body {
                    let t = p.entry.time as i64;
                    let Some(seat) = seated.iter().position(|x| *x == d.token) else {
                        continue;
                    };
                    if let Some(w) = want.get_mut(&d.token) {
                        w.0 = "declined";
                        w.2 = t;
                    }
                    match d.replacement {
                        Some(rep) => {
                            seated[seat] = rep;
                            want_ever.push(rep);
                            want.insert(rep, ("panel", seat as i64, t));
                        }
                        None => {
                            seated.remove(seat);
                        }
                    }
                }
            }
            // Once a supplementary draw of this one is revealed, the seated
            // members' seats pass to it: their rows here say `passed`.
            let next_reveal = entries.iter().find_map(|p| match &p.body {
                Body::Reveal(r2) => entries.iter().find_map(|q| match &q.body {
                    Body::Commit(c2)
                        if c2.draw == r2.draw
                            && c2
                                .supplements
                                .as_ref()
                                .is_some_and(|l| l.draw.as_str() == id) =>
                    {
                        Some(p.entry.time as i64)
                    }
                    _ => None,
                }),
                _ => None,
            });
            if let Some(t2) = next_reveal {
                for tok in &seated {
                    if let Some(w) = want.get_mut(tok) {
                        w.0 = "passed";
                        w.2 = t2;
                    }
                }
            }
        }
        let got = stored_members.remove(&id).unwrap_or_default();
        if let Some(who) = &who {
            let ever_tokens: Option<Vec<Token>> =
                serde_json::from_str::<Vec<u32>>(&ever).ok().and_then(|v| {
                    v.iter()
                        .map(|&i| who.get(i as usize).map(|x| x.0))
                        .collect()
                });
            if ever_tokens.as_ref() != Some(&want_ever) {
                differs.push("ever".into());
            }
            let expert_of: BTreeMap<Token, &str> =
                who.iter().map(|(t, e)| (*t, e.as_str())).collect();
            let mut want_rows: Vec<MemberRow> = want
                .iter()
                .filter_map(|(t, (role, pos, since))| {
                    Some((
                        expert_of.get(t)?.to_string(),
                        province.clone(),
                        role.to_string(),
                        *pos,
                        *since,
                    ))
                })
                .collect();
            want_rows.sort();
            if got != want_rows {
                let missing: Vec<String> = want_rows
                    .iter()
                    .filter(|w| !got.contains(w))
                    .map(|w| format!("{} {} {} since {}", w.0, w.2, w.3, w.4))
                    .collect();
                let extra: Vec<String> = got
                    .iter()
                    .filter(|g| !want_rows.contains(g))
                    .map(|g| format!("{} {} {} since {} ({})", g.0, g.2, g.3, g.4, g.1))
                    .collect();
                problems.push(Problem {
                    at: format!("draw_members {id}"),
                    what: format!(
                        "the rows are not the log's reveal and declines: missing [{}], not in the log [{}]",
                        missing.join("; "),
                        extra.join("; ")
                    ),
                });
            }
        }
        if !differs.is_empty() {
            problems.push(Problem {
                at: format!("draws {id}"),
                what: format!(
                    "column {} differs from the draw's entries",
                    differs.join(", column ")
                ),
            });
        }
    }
    for (d, rows) in stored_members {
        problems.push(Problem {
            at: format!("draw_members {d}"),
            what: format!(
                "{} rows for a draw the draws table does not hold",
                rows.len()
            ),
        });
    }
    Ok(())
}
/// A scoring event of the log, as the service's rows record it.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Event {
    round: String,
    application: String,
    scorer: fairpanel_core::types::Token,
    /// `submit`, `recuse` or `reopen` (sheet_history's actions).
    action: &'static str,
    /// The submitted sheet's hash (submit only).
    sheet: Option<Hash32>,
    time: i64,
}

/// The scoring rows against the log: rounds (state, quota, panel draw) against
/// scoring_open and seal; the fixed rubric against scoring_open's hash; the
/// scored applications against scoring_open and the screen_overrides; the
/// screen_overrides rows against their entries; each sheet's state, bytes,
/// total, scorer and round against the last sheet_commit, recusal or
/// sheet_reopen of its (application, scorer); sheet_history against the
/// entries one for one.
async fn scoring_rows(
    store: &Store,
    entries: &[&entry::Parsed],
    problems: &mut Vec<Problem>,
) -> Result<()> {
    use fairpanel_core::types::Token;
    use std::collections::{BTreeMap, BTreeSet};
    type RoundRow = (i64, String, i64, String, i64, i64, Option<String>);
    let rounds: Vec<RoundRow> = crate::with_pool!(store, pool => sqlx::query_as(
        "SELECT id, province, year, state, quota, already_recommended, panel_draw FROM rounds ORDER BY id")
        .fetch_all(pool).await?);
    let round_ref: BTreeMap<i64, String> = rounds
        .iter()
        .map(|(id, p, y, ..)| (*id, format!("{p}-{y}-r{id}")))
        .collect();
    // The log, per round.
    let mut opens: BTreeMap<String, (u64, &fairpanel_core::entry::ScoringOpen)> = BTreeMap::new();
    let mut seals: BTreeMap<String, u64> = BTreeMap::new();
    let mut overrides: BTreeMap<(String, String), (u64, u64, &str)> = BTreeMap::new();
    let mut events: Vec<Event> = Vec::new();
    let mut state: BTreeMap<(String, String, Token), (&'static str, Option<Hash32>)> =
        BTreeMap::new();
    // Protocol 1.2: the lock in force per round, and every explanation.
    let mut locks: BTreeMap<String, Option<u64>> = BTreeMap::new();
    let mut explained: BTreeMap<Hash32, (String, Hash32)> = BTreeMap::new();
    for p in entries {
        let time = p.entry.time as i64;
        let (round, app, scorer, action, sheet) = match &p.body {
            Body::ScoringLock(x) => {
                locks.insert(x.round.to_string(), Some(p.entry.seq));
                continue;
            }
            Body::ScoringUnlock(x) => {
                locks.insert(x.round.to_string(), None);
                continue;
            }
            Body::Explanation(x) => {
                explained.insert(x.explanation, (x.round.to_string(), x.sheet));
                (&x.round, &x.application, x.scorer, "explain", None)
            }
            Body::ScoringOpen(o) => {
                opens.insert(o.round.to_string(), (p.entry.seq, o));
                continue;
            }
            Body::Seal(x) => {
                seals.insert(x.round.to_string(), p.entry.seq);
                continue;
            }
            Body::ScreenOverride(o) => {
                overrides.insert(
                    (o.round.to_string(), o.application.clone()),
                    (p.entry.seq, p.entry.time, o.reason.as_str()),
                );
                continue;
            }
            Body::SheetCommit(x) => (&x.round, &x.application, x.scorer, "submit", Some(x.sheet)),
            Body::Recusal(x) => (&x.round, &x.application, x.scorer, "recuse", None),
            Body::SheetReopen(x) => (&x.round, &x.application, x.scorer, "reopen", Some(x.sheet)),
            _ => continue,
        };
        let key = (round.to_string(), app.clone(), scorer);
        if action != "explain" {
            state.insert(
                key,
                match action {
                    "submit" => ("submitted", sheet),
                    "recuse" => ("recused", None),
                    _ => ("draft", None),
                },
            );
        }
        events.push(Event {
            round: round.to_string(),
            application: app.clone(),
            scorer,
            action,
            sheet: if action == "submit" { sheet } else { None },
            time,
        });
    }
    let mut bad = |at: String, what: String| problems.push(Problem { at, what });
    // Each round's lock against the log's last scoring_lock or unlock.
    let locked: Vec<(i64, Option<i64>)> = crate::with_pool!(store, pool => sqlx::query_as(
        "SELECT id, locked_seq FROM rounds ORDER BY id")
        .fetch_all(pool).await?);
    for (id, seq) in locked {
        let want = round_ref
            .get(&id)
            .and_then(|r| locks.get(r).copied().flatten());
        if seq.map(|x| x as u64) != want {
            bad(
                format!("rounds {id}"),
                format!("column locked_seq {seq:?} is not the log's lock in force ({want:?})"),
            );
        }
    }
    // Given explanations against their entries, one for one.
    let rows: Vec<(i64, String, Vec<u8>)> = crate::with_pool!(store, pool => sqlx::query_as(
        "SELECT round_id, sheet_hash, bytes FROM explanations WHERE bytes IS NOT NULL ORDER BY round_id, seq")
        .fetch_all(pool).await?);
    let mut seen = BTreeSet::new();
    for (rid, sheet_hash, bytes) in rows {
        let h = fairpanel_core::scoring::ExplanationRecord::hash_of(&bytes);
        let rec: Option<fairpanel_core::scoring::ExplanationRecord> =
            serde_json::from_slice(&bytes).ok();
        let ok = match (explained.get(&h), rec, round_ref.get(&rid)) {
            (Some((round, sheet)), Some(rec), Some(r)) => {
                round == r
                    && rec.round.as_str() == r
                    && rec.sheet == *sheet
                    && sheet_hash == sheet.to_hex()
            }
            _ => false,
        };
        if !ok {
            bad(
                format!("explanations round {rid}"),
                format!("an explanation (hash {h}) that no explanation entry of the round names"),
            );
        }
        seen.insert(h);
    }
    if let Some(h) = explained.keys().find(|h| !seen.contains(*h)) {
        bad(
            "explanations".into(),
            format!("the log's explanation {h} has no row (deleted?)"),
        );
    }
    // Rounds against scoring_open and seal.
    for (id, _, _, st, quota, already, panel_draw) in &rounds {
        let r = &round_ref[id];
        let Some((_, o)) = opens.get(r) else {
            if matches!(st.as_str(), "scoring" | "closed" | "reported") {
                bad(
                    format!("rounds {id}"),
                    format!("state is {st:?}, but the log holds no scoring_open of {r}"),
                );
            }
            continue;
        };
        let want_state = if seals.contains_key(r) {
            ["closed", "reported"]
        } else {
            ["scoring", "scoring"]
        };
        let mut differs = Vec::new();
        if !want_state.contains(&st.as_str()) {
            differs.push(format!("state {st:?}"));
        }
        if i64::from(o.quota) != *quota {
            differs.push(format!("quota {quota}"));
        }
        if i64::from(o.already_recommended) != *already {
            differs.push(format!("already_recommended {already}"));
        }
        if panel_draw.as_deref() != Some(o.draw.as_str()) {
            differs.push(format!("panel_draw {panel_draw:?}"));
        }
        if !differs.is_empty() {
            bad(
                format!("rounds {id}"),
                format!(
                    "column {} differs from scoring_open (or the seal) of {r}",
                    differs.join(", column ")
                ),
            );
        }
    }
    // Fixed rubrics against scoring_open's hash.
    let rubrics: Vec<(i64, String, Option<i64>)> = crate::with_pool!(store, pool => sqlx::query_as(
        "SELECT round_id, rubric, fixed_at FROM round_rubrics ORDER BY round_id")
        .fetch_all(pool).await?);
    let mut rubric_of: BTreeMap<i64, fairpanel_core::scoring::Rubric> = BTreeMap::new();
    for (rid, text, fixed_at) in rubrics {
        let Some(r) = round_ref.get(&rid) else {
            bad(format!("round_rubrics {rid}"), "no such round".into());
            continue;
        };
        let Some((seq, o)) = opens.get(r) else {
            continue;
        };
        let at = format!("round_rubrics {rid}");
        match serde_json::from_str::<fairpanel_core::scoring::Rubric>(&text) {
            Ok(rb) if rb.hash() == o.rubric => {
                rubric_of.insert(rid, rb);
            }
            Ok(_) => bad(
                at.clone(),
                format!("the rubric is not the one scoring_open (seq {seq}) fixed"),
            ),
            Err(e) => bad(at.clone(), format!("the rubric does not parse: {e}")),
        }
        let open_time = entries
            .iter()
            .find(|p| p.entry.seq == *seq)
            .map(|p| p.entry.time as i64);
        if fixed_at != open_time {
            bad(
                at,
                format!("fixed_at {fixed_at:?} is not the time of scoring_open (seq {seq})"),
            );
        }
    }
    // Screen overrides: each row against its entry, each entry against a row.
    type OverrideRow = (i64, String, String, i64, i64);
    let rows: Vec<OverrideRow> = crate::with_pool!(store, pool => sqlx::query_as(
        "SELECT round_id, ref_no, reason, seq, at FROM screen_overrides ORDER BY round_id, ref_no")
        .fetch_all(pool).await?);
    let mut seen_overrides = BTreeSet::new();
    for (rid, app, reason, seq, at_time) in rows {
        let at = format!("screen_overrides round {rid} application {app}");
        let r = round_ref.get(&rid).cloned().unwrap_or_default();
        match overrides.get(&(r.clone(), app.clone())) {
            Some((s, t, why))
                if i64::try_from(*s).ok() == Some(seq)
                    && *t as i64 == at_time
                    && *why == reason =>
            {
                seen_overrides.insert((r, app));
            }
            Some((s, ..)) => bad(
                at,
                format!("seq, at or reason differ from its screen_override entry (seq {s})"),
            ),
            None => bad(at, "no screen_override entry in the log for it".into()),
        }
    }
    for ((r, app), (seq, ..)) in &overrides {
        if !seen_overrides.contains(&(r.clone(), app.clone())) {
            bad(
                format!("screen_override seq {seq}"),
                format!("round {r} application {app}: no screen_overrides row says so (deleted?)"),
            );
        }
    }
    // Each application row's key is its record's reference.
    let keyed: Vec<(i64, String, String)> = crate::with_pool!(store, pool => sqlx::query_as(
        "SELECT round_id, ref_no, record FROM applications ORDER BY round_id, ref_no")
        .fetch_all(pool).await?);
    for (rid, ref_no, record) in keyed {
        let inner = serde_json::from_str::<serde_json::Value>(&record)
            .ok()
            .and_then(|v| v.get("ref_no").and_then(|x| x.as_str()).map(str::to_string));
        if inner.as_deref() != Some(ref_no.as_str()) {
            bad(
                format!("applications round {rid} application {ref_no}"),
                format!("the row's record names {inner:?}"),
            );
        }
    }
    // The scored applications against scoring_open and the later overrides.
    for (id, ..) in &rounds {
        let r = &round_ref[id];
        let Some((open_seq, o)) = opens.get(r) else {
            continue;
        };
        let mut want: BTreeSet<String> = o.applications.iter().cloned().collect();
        for ((or, app), (seq, ..)) in &overrides {
            if or == r && seq > open_seq {
                want.insert(app.clone());
            }
        }
        let got: BTreeSet<String> = match store.applications(*id).await {
            Ok(apps) => apps
                .into_iter()
                .filter(|a| {
                    crate::screen::screen(a).is_empty()
                        || seen_overrides.contains(&(r.clone(), a.ref_no.clone()))
                })
                .map(|a| a.ref_no)
                .collect(),
            Err(e) => {
                bad(
                    format!("applications of round {id}"),
                    format!("a row does not parse: {e:#}"),
                );
                continue;
            }
        };
        if got != want {
            bad(
                format!("applications of round {id}"),
                format!(
                    "the applications scored now ({}) are not those scoring_open fixed with the later overrides ({})",
                    got.into_iter().collect::<Vec<_>>().join(", "),
                    want.into_iter().collect::<Vec<_>>().join(", ")
                ),
            );
        }
    }
    // Tokens of each round's panel draw: expert id → token.
    let mut token_of: BTreeMap<i64, BTreeMap<String, Token>> = BTreeMap::new();
    for (id, ..) in &rounds {
        let Some((_, o)) = opens.get(&round_ref[id]) else {
            continue;
        };
        let row: Option<(Vec<u8>, String)> = crate::with_pool!(store, pool => sqlx::query_as(
            "SELECT leaves, experts FROM draw_pools WHERE draw_id = $1")
            .bind(o.draw.as_str().to_string())
            .fetch_optional(pool).await?);
        let Some((leaves, experts)) = row else {
            continue;
        };
        let map = leaves
            .split(|&b| b == b'\n')
            .filter(|l| !l.is_empty())
            .zip(experts.split('\n'))
            .filter_map(|(l, e)| {
                Some((
                    e.to_string(),
                    fairpanel_core::pool::parse_leaf(l).ok()?.token,
                ))
            })
            .collect();
        token_of.insert(*id, map);
    }
    let key_of = |rid: i64, app: &str, expert: &str| -> Option<(String, String, Token)> {
        Some((
            round_ref.get(&rid)?.clone(),
            app.to_string(),
            *token_of.get(&rid)?.get(expert)?,
        ))
    };
    // Sheets: each row's state against its pair's last entry.
    type SheetRow = (i64, String, String, String, Option<Vec<u8>>, Option<String>);
    let sheets: Vec<SheetRow> = crate::with_pool!(store, pool => sqlx::query_as(
        "SELECT round_id, ref_no, expert_id, state, bytes, total FROM sheets ORDER BY round_id, ref_no, expert_id")
        .fetch_all(pool).await?);
    let mut rows_seen = BTreeSet::new();
    for (rid, app, expert, st, bytes, total) in sheets {
        let at = format!("sheets round {rid} application {app} expert {expert}");
        let Some(key) = key_of(rid, &app, &expert) else {
            bad(at, "its round has no scoring_open in the log, or the expert is not in the panel's draw".into());
            continue;
        };
        let want = state.get(&key).copied().unwrap_or(("draft", None));
        rows_seen.insert(key.clone());
        if want.0 != st {
            bad(at, format!("state is {st:?}, the log says {:?}", want.0));
            continue;
        }
        if st != "submitted" {
            continue;
        }
        let Some(b) = bytes else {
            bad(at, "submitted without its bytes".into());
            continue;
        };
        let h = fairpanel_core::scoring::SheetRecord::hash_of(&b);
        if Some(h) != want.1 {
            bad(
                at,
                format!(
                    "its bytes (hash {h}) are not the last sheet its scorer committed for {app} in {}",
                    key.0
                ),
            );
            continue;
        }
        // The bytes are the committed ones; they must also name this row.
        match serde_json::from_slice::<fairpanel_core::scoring::SheetRecord>(&b) {
            Ok(rec)
                if rec.application == app && rec.round.as_str() == key.0 && rec.scorer == key.2 =>
            {
                if let Some(rb) = rubric_of.get(&rid) {
                    let t = fairpanel_core::scoring::validate_sheet(rb, &rec.sheet())
                        .ok()
                        .map(|t| fairpanel_core::scoring::dec2::format(&t));
                    if t != total {
                        bad(
                            at,
                            format!("total {total:?} is not the committed sheet's total {t:?}"),
                        );
                    }
                }
            }
            Ok(_) => bad(
                at,
                "the committed bytes name another application, round or scorer".into(),
            ),
            Err(e) => bad(at, format!("the committed bytes do not parse: {e}")),
        }
    }
    for (key, (st, _)) in &state {
        if *st != "draft" && !rows_seen.contains(key) {
            bad(
                format!("sheets of {} application {}", key.0, key.1),
                format!(
                    "the log says the sheet of {} is {st}; no row says so (deleted?)",
                    key.2
                ),
            );
        }
    }
    // sheet_history against the entries, one for one.
    type HistRow = (i64, String, String, String, Option<Vec<u8>>, i64);
    let hist: Vec<HistRow> = crate::with_pool!(store, pool => sqlx::query_as(
        "SELECT round_id, ref_no, expert_id, action, bytes, at FROM sheet_history ORDER BY id")
        .fetch_all(pool).await?);
    let mut got: Vec<Event> = Vec::new();
    for (rid, app, expert, action, bytes, at_time) in hist {
        let at = format!("sheet_history round {rid} application {app} expert {expert}");
        let Some((round, application, scorer)) = key_of(rid, &app, &expert) else {
            bad(at, "its round has no scoring_open in the log, or the expert is not in the panel's draw".into());
            continue;
        };
        let action = match action.as_str() {
            "submit" => "submit",
            "recuse" => "recuse",
            "reopen" => "reopen",
            "explain" => "explain",
            other => {
                bad(at, format!("unknown action {other:?}"));
                continue;
            }
        };
        got.push(Event {
            round,
            application,
            scorer,
            action,
            sheet: if action == "submit" {
                bytes.map(|b| fairpanel_core::scoring::SheetRecord::hash_of(&b))
            } else {
                None
            },
            time: at_time,
        });
    }
    let mut want = events;
    want.sort();
    got.sort();
    if got != want {
        let missing: Vec<String> = want
            .iter()
            .filter(|e| !got.contains(e))
            .map(|e| format!("{} {} {} at {}", e.action, e.application, e.scorer, e.time))
            .collect();
        let extra: Vec<String> = got
            .iter()
            .filter(|e| !want.contains(e))
            .map(|e| format!("{} {} {} at {}", e.action, e.application, e.scorer, e.time))
            .collect();
        bad(
            "sheet_history".into(),
            format!(
                "the history is not the log's sheet_commit, recusal and sheet_reopen entries: not in the history [{}], not in the log [{}]",
                missing.join("; "),
                extra.join("; ")
            ),
        );
    }
    Ok(())
}

/// The materials and pledge rows against the log: each round's `materials`
/// (and their blobs' hashes) against scoring_open's list; the fixed pledge
/// text (`round_pledges`) against scoring_open's `pledge` and time; each
/// `pledges` row against its pledge entry (round, the expert's token, text
/// hash, time), and every pledge entry against a row.
/// reports and filings (issue 14, items 5 and 6): each reports row against
/// its `report` entry (round, sha256, seq, time) and its stored document's
/// hash; each filings row against its `filing` entry (round, manifest hash,
/// late, seq, time), the package's manifest.json against that hash, and the
/// round's state (reported); every report and filing entry has its row.
async fn report_rows(
    store: &Store,
    entries: &[&entry::Parsed],
    problems: &mut Vec<Problem>,
) -> Result<()> {
    use std::collections::BTreeMap;
    let mut bad = |at: String, what: String| problems.push(Problem { at, what });
    let rounds: Vec<(i64, String, i64, String)> = crate::with_pool!(store, pool => sqlx::query_as(
        "SELECT id, province, year, state FROM rounds ORDER BY id")
        .fetch_all(pool).await?);
    let rref: BTreeMap<i64, (String, &str)> = rounds
        .iter()
        .map(|(id, p, y, st)| (*id, (format!("{p}-{y}-r{id}"), st.as_str())))
        .collect();
    let by_seq: BTreeMap<u64, &entry::Parsed> = entries.iter().map(|p| (p.entry.seq, *p)).collect();
    type ReportRow = (i64, Vec<u8>, String, i64, i64);
    let reports: Vec<ReportRow> = crate::with_pool!(store, pool => sqlx::query_as(
        "SELECT round_id, document, sha256, seq, issued_at FROM reports ORDER BY round_id")
        .fetch_all(pool).await?);
    let mut seen = std::collections::BTreeSet::new();
    for (rid, doc, sha, seq, at) in &reports {
        let where_ = format!("reports round {rid}");
        seen.insert(*seq as u64);
        if fairpanel_core::hash::sha256(doc).to_hex() != *sha {
            bad(
                where_.clone(),
                "the stored document does not hash to its sha256".into(),
            );
        }
        match by_seq.get(&(*seq as u64)).map(|p| (p, &p.body)) {
            Some((p, Body::Report(r))) => {
                if Some(r.round.as_str()) != rref.get(rid).map(|x| x.0.as_str())
                    || r.sha256.to_hex() != *sha
                    || p.entry.time as i64 != *at
                {
                    bad(
                        where_,
                        format!(
                            "differs from its report entry at seq {seq} (round, sha256 or time)"
                        ),
                    );
                }
            }
            _ => bad(where_, format!("seq {seq} is not a report entry")),
        }
    }
    type FilingRow = (i64, Vec<u8>, String, i64, i64, i64);
    let filings: Vec<FilingRow> = crate::with_pool!(store, pool => sqlx::query_as(
        "SELECT round_id, package, manifest_sha256, seq, late, filed_at FROM filings ORDER BY round_id")
        .fetch_all(pool).await?);
    for (rid, zip, msha, seq, late, at) in &filings {
        let where_ = format!("filings round {rid}");
        seen.insert(*seq as u64);
        if rref.get(rid).map(|x| x.1) != Some("reported") {
            bad(where_.clone(), "the round is filed but not reported".into());
        }
        let manifest = (|| {
            use std::io::Read;
            let mut z = zip::ZipArchive::new(std::io::Cursor::new(zip)).ok()?;
            let mut f = z.by_name("manifest.json").ok()?;
            let mut b = Vec::new();
            f.read_to_end(&mut b).ok()?;
            Some(b)
        })();
        match manifest {
            Some(m) if fairpanel_core::hash::sha256(&m).to_hex() == *msha => {}
            _ => bad(
                where_.clone(),
                "the package's manifest.json does not hash to manifest_sha256".into(),
            ),
        }
        match by_seq.get(&(*seq as u64)).map(|p| (p, &p.body)) {
            Some((p, Body::Filing(f))) => {
                if Some(f.round.as_str()) != rref.get(rid).map(|x| x.0.as_str())
                    || f.manifest.to_hex() != *msha
                    || f.late != (*late != 0)
                    || p.entry.time as i64 != *at
                {
                    bad(
                        where_,
                        format!(
                            "differs from its filing entry at seq {seq} (round, manifest, late or time)"
                        ),
                    );
                }
            }
            _ => bad(where_, format!("seq {seq} is not a filing entry")),
        }
    }
    for p in entries {
        if matches!(p.body, Body::Report(_) | Body::Filing(_)) && !seen.contains(&p.entry.seq) {
            bad(
                format!("log seq {}", p.entry.seq),
                format!("a {:?} entry without its row", p.entry.kind),
            );
        }
    }
    Ok(())
}

async fn materials_rows(
    store: &Store,
    entries: &[&entry::Parsed],
    problems: &mut Vec<Problem>,
) -> Result<()> {
    use fairpanel_core::types::Token;
    use std::collections::BTreeMap;
    let mut bad = |at: String, what: String| problems.push(Problem { at, what });
    let rounds: Vec<(i64, String, i64, Option<String>)> = crate::with_pool!(store, pool => sqlx::query_as(
        "SELECT id, province, year, panel_draw FROM rounds ORDER BY id")
        .fetch_all(pool).await?);
    let mut opens: BTreeMap<String, (u64, u64, &entry::ScoringOpen)> = BTreeMap::new();
    let mut pledged: BTreeMap<u64, &entry::Pledge> = BTreeMap::new();
    for p in entries {
        match &p.body {
            Body::ScoringOpen(o) => {
                opens.insert(o.round.to_string(), (p.entry.seq, p.entry.time, o));
            }
            Body::Pledge(x) => {
                pledged.insert(p.entry.seq, x);
            }
            _ => {}
        }
    }
    let mut seen_pledges = std::collections::BTreeSet::new();
    for (rid, province, year, _) in &rounds {
        let r = format!("{province}-{year}-r{rid}");
        let Some((seq, time, o)) = opens.get(&r) else {
            continue;
        };
        // Materials, as open_scoring reads them.
        let rows: Vec<(String, String, String)> = crate::with_pool!(store, pool => sqlx::query_as(
            "SELECT ref_no, sha256, media_type FROM materials WHERE round_id = $1")
            .bind(*rid)
            .fetch_all(pool).await?);
        match crate::materials::fixed_materials(rows) {
            Ok(m) if m == o.materials => {}
            Ok(_) => bad(
                format!("materials round {rid}"),
                format!("the round's materials are not those scoring_open (seq {seq}) fixed"),
            ),
            Err(e) => bad(format!("materials round {rid}"), format!("{e:?}")),
        }
        for m in &o.materials {
            let sha = m.sha256.to_hex();
            let blob: Option<(Vec<u8>,)> = crate::with_pool!(store, pool => sqlx::query_as(
                "SELECT bytes FROM material_blobs WHERE sha256 = $1")
                .bind(sha.clone())
                .fetch_optional(pool).await?);
            match blob {
                Some((b,)) if fairpanel_core::hash::sha256(&b) == m.sha256 => {}
                Some(_) => bad(
                    format!("material_blobs {sha}"),
                    "the bytes do not hash to their key, which scoring_open fixed".into(),
                ),
                None => bad(
                    format!("material_blobs {sha}"),
                    format!("missing; scoring_open (seq {seq}) fixed it"),
                ),
            }
        }
        // The pledge text.
        let text: Option<(String, Option<i64>)> = crate::with_pool!(store, pool => sqlx::query_as(
            "SELECT text, fixed_at FROM round_pledges WHERE round_id = $1")
            .bind(*rid)
            .fetch_optional(pool).await?);
        let at = format!("round_pledges {rid}");
        match (o.pledge, text) {
            (None, Some((_, Some(_)))) => bad(
                at,
                format!("a fixed text, but scoring_open (seq {seq}) fixed none"),
            ),
            (None, _) => {}
            (Some(_), None) => bad(
                at,
                format!("missing; scoring_open (seq {seq}) fixed a pledge"),
            ),
            (Some(h), Some((t, fixed_at))) => {
                if crate::materials::pledge_hash(&t) != h {
                    bad(
                        at.clone(),
                        format!("the text is not the one scoring_open (seq {seq}) fixed"),
                    );
                }
                if fixed_at != Some(*time as i64) {
                    bad(
                        at,
                        format!(
                            "fixed_at {fixed_at:?} is not the time of scoring_open (seq {seq})"
                        ),
                    );
                }
            }
        }
        // Each confirmation against its entry.
        let panel: Option<(Vec<u8>, String)> = crate::with_pool!(store, pool => sqlx::query_as(
            "SELECT leaves, experts FROM draw_pools WHERE draw_id = $1")
            .bind(o.draw.as_str().to_string())
            .fetch_optional(pool).await?);
        let token_of: BTreeMap<String, Token> = panel
            .map(|(leaves, experts)| {
                leaves
                    .split(|&b| b == b'\n')
                    .filter(|l| !l.is_empty())
                    .zip(experts.split('\n').map(str::to_string).collect::<Vec<_>>())
                    .filter_map(|(l, e)| Some((e, fairpanel_core::pool::parse_leaf(l).ok()?.token)))
                    .collect()
            })
            .unwrap_or_default();
        type PledgeRow = (String, String, i64, i64);
        let rows: Vec<PledgeRow> = crate::with_pool!(store, pool => sqlx::query_as(
            "SELECT expert_id, text_hash, seq, at FROM pledges WHERE round_id = $1 ORDER BY expert_id")
            .bind(*rid)
            .fetch_all(pool).await?);
        for (expert, hash, pseq, at_time) in rows {
            let at = format!("pledges round {rid} expert {expert}");
            let Some(x) = u64::try_from(pseq).ok().and_then(|q| pledged.get(&q)) else {
                bad(at, format!("seq {pseq} is not a pledge entry"));
                continue;
            };
            seen_pledges.insert(pseq as u64);
            let time = entries
                .iter()
                .find(|p| p.entry.seq == pseq as u64)
                .map(|p| p.entry.time as i64);
            if x.round.as_str() != r
                || Some(&x.scorer) != token_of.get(&expert)
                || x.text.to_hex() != hash
                || time != Some(at_time)
            {
                bad(
                    at,
                    format!(
                        "the row is not the pledge entry at seq {pseq} (round, scorer, text or time)"
                    ),
                );
            }
        }
    }
    for (seq, x) in pledged {
        if !seen_pledges.contains(&seq) {
            bad(
                format!("pledges round {}", x.round),
                format!("the pledge entry at seq {seq} has no row (deleted?)"),
            );
        }
    }
    Ok(())
}

/// The notices and objections against the log (protocol 1.3): each notice's
/// text hashes to its `text_sha256`, which its notice entry (round, period,
/// working days, listed projects, time) fixes; a closed notice's
/// notice_close names that entry and counts the stored outcomes; an
/// objection's withdrawal is its withdrawal entry (round, project,
/// reference) and the objection is upheld; and every notice, notice_close
/// and withdrawal entry has its row.
async fn notice_rows(
    store: &Store,
    entries: &[&entry::Parsed],
    problems: &mut Vec<Problem>,
) -> Result<()> {
    use std::collections::{BTreeMap, BTreeSet};
    let mut bad = |at: String, what: String| problems.push(Problem { at, what });
    let by_seq: BTreeMap<u64, &entry::Parsed> = entries.iter().map(|p| (p.entry.seq, *p)).collect();
    type NoticeRow = (
        i64,
        i64,
        String,
        i64,
        String,
        String,
        String,
        String,
        i64,
        String,
        i64,
        i64,
        Option<i64>,
    );
    let notices: Vec<NoticeRow> = crate::with_pool!(store, pool => sqlx::query_as(
        "SELECT id, round_id, province, year, text, text_sha256, start_date, end_date, working_days, projects, seq, published_at, close_seq FROM notices ORDER BY id")
        .fetch_all(pool).await?);
    type ObjectionRow = (i64, String, String, String, Option<i64>);
    let objections: Vec<ObjectionRow> = crate::with_pool!(store, pool => sqlx::query_as(
        "SELECT notice_id, reference, project, outcome, withdrawal_seq FROM objections ORDER BY id")
        .fetch_all(pool).await?);
    let mut rows_of: BTreeSet<u64> = BTreeSet::new();
    for (id, rid, province, year, text, sha, start, end, days, projects, seq, at, close_seq) in
        &notices
    {
        let here = format!("notices {id}");
        let round = format!("{province}-{year}-r{rid}");
        let hash = fairpanel_core::hash::sha256(text.as_bytes());
        if hash.to_hex() != *sha {
            bad(
                here.clone(),
                "the stored text does not hash to its text_sha256".into(),
            );
        }
        let listed = serde_json::from_str::<Vec<String>>(projects)
            .map(|v| v.len())
            .unwrap_or(usize::MAX);
        rows_of.insert(*seq as u64);
        match by_seq.get(&(*seq as u64)).map(|p| (&p.body, p)) {
            Some((Body::Notice(n), p)) => {
                if n.round.as_str() != round
                    || n.text != hash
                    || n.start != *start
                    || n.end != *end
                    || i64::from(n.working_days) != *days
                    || n.items as usize != listed
                    || p.entry.time as i64 != *at
                {
                    bad(
                        here.clone(),
                        format!("the row is not the notice entry at seq {seq}"),
                    );
                }
            }
            _ => bad(here.clone(), format!("seq {seq} is not a notice entry")),
        }
        let mine: Vec<&ObjectionRow> = objections.iter().filter(|o| o.0 == *id).collect();
        if let Some(cs) = close_seq {
            rows_of.insert(*cs as u64);
            let count = |o: &str| mine.iter().filter(|x| x.3 == o).count() as u32;
            let notice_hash = by_seq.get(&(*seq as u64)).map(|p| p.hash);
            match by_seq.get(&(*cs as u64)).map(|p| &p.body) {
                Some(Body::NoticeClose(c)) => {
                    if Some(c.notice) != notice_hash
                        || c.round.as_str() != round
                        || c.upheld != count("upheld")
                        || c.rejected != count("rejected")
                        || c.objections as usize != mine.len()
                    {
                        bad(
                            here.clone(),
                            format!(
                                "the notice_close at seq {cs} does not count the stored objections of this notice"
                            ),
                        );
                    }
                }
                _ => bad(
                    here.clone(),
                    format!("close_seq {cs} is not a notice_close entry"),
                ),
            }
        }
        for (_, reference, project, outcome, wseq) in mine {
            let Some(w) = wseq else { continue };
            rows_of.insert(*w as u64);
            let at = format!("objections {reference}");
            if outcome != "upheld" {
                bad(
                    at.clone(),
                    "a withdrawal by an objection that is not upheld".into(),
                );
            }
            match by_seq.get(&(*w as u64)).map(|p| &p.body) {
                Some(Body::Withdrawal(x))
                    if x.round.as_str() == round
                        && x.application == *project
                        && x.objection.as_deref() == Some(reference.as_str()) => {}
                _ => bad(
                    at,
                    format!("seq {w} is not this objection's withdrawal entry"),
                ),
            }
        }
    }
    for p in entries {
        if matches!(
            p.body,
            Body::Notice(_) | Body::NoticeClose(_) | Body::Withdrawal(_)
        ) && !rows_of.contains(&p.entry.seq)
        {
            bad(
                format!("entry seq {}", p.entry.seq),
                format!(
                    "the {:?} entry has no notice or objection row",
                    p.entry.kind
                ),
            );
        }
    }
    Ok(())
}
