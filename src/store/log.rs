//! The signed log, persisted: append (one transaction per batch, serialized across
//! processes by the `log_head` row), read ranges, proofs and checkpoints.
//!
//! The Merkle tree is kept as `tlog_tiles` stored hashes. `tlog_tiles` reads hashes
//! through a synchronous `HashReader`, while the database is async; which hashes
//! a computation reads depends only on tree sizes and indexes, never on hash
//! values, so each computation runs twice: once with a reader that records the
//! indexes it asks for, then, after those rows are fetched, for real.

use super::Store;
use crate::with_pool;
use anyhow::{Context, Result, bail};
use fairpanel_core::entry::{self, Body};
use fairpanel_core::hash::Hash32;
use fairpanel_core::types::Province;
use fairpanel_core::{SecretKey, checkpoint};
use std::cell::RefCell;
use std::collections::HashMap;
use tlog_tiles::{Hash, HashReader};

/// An entry to append; its `seq`, `prev` and signer are filled in by the store.
#[derive(Clone, Debug)]
pub struct NewEntry {
    pub time: u64,
    pub province: Option<Province>,
    pub body: Body,
}

/// One entry as stored.
#[derive(Clone, Debug)]
pub struct StoredEntry {
    pub seq: u64,
    pub bytes: Vec<u8>,
    pub sig: Vec<u8>,
    pub hash: Vec<u8>,
}

/// `(seq, bytes, sig)` of an entry, as read inside a write transaction.
pub type RawEntry = (u64, Vec<u8>, Vec<u8>);

/// `(seq, kind, province, draw, time)`: the columns beside an entry's bytes.
pub type EntryColumns = (u64, String, Option<String>, Option<String>, i64);

/// `(seq, bytes, sig, hash)` as read from `log_entries`.
type EntryRow = (i64, Vec<u8>, Vec<u8>, Vec<u8>);

/// Records which stored-hash indexes a computation reads.
#[derive(Default)]
struct Recorder(RefCell<Vec<u64>>);

impl HashReader for Recorder {
    fn read_hashes(&self, indexes: &[u64]) -> Result<Vec<Hash>, tlog_tiles::Error> {
        self.0.borrow_mut().extend_from_slice(indexes);
        Ok(vec![Hash::default(); indexes.len()])
    }
}

/// Serves hashes fetched beforehand.
struct Fetched<'a>(&'a HashMap<u64, Hash>);

impl HashReader for Fetched<'_> {
    fn read_hashes(&self, indexes: &[u64]) -> Result<Vec<Hash>, tlog_tiles::Error> {
        indexes
            .iter()
            .map(|i| {
                self.0
                    .get(i)
                    .copied()
                    .ok_or(tlog_tiles::Error::IndexesNotInTree)
            })
            .collect()
    }
}

fn needed<T>(f: impl Fn(&Recorder) -> Result<T, tlog_tiles::Error>) -> Vec<u64> {
    let r = Recorder::default();
    let _ = f(&r);
    r.0.into_inner()
}

fn hash_from(row: &[u8]) -> Result<Hash> {
    let arr: [u8; 32] = row.try_into().context("a stored hash is not 32 bytes")?;
    Ok(Hash(arr))
}

fn i(v: u64) -> i64 {
    i64::try_from(v).expect("log sizes fit in i64")
}

/// The head row as an append reads it (locked).
pub struct HeadRow {
    pub size: u64,
    pub last: Hash32,
    /// The last entry's time (0 for an empty log).
    pub time: u64,
    /// The stored hashes of the tree's complete subtrees, left to right
    /// (`tlog_tiles::sub_tree_index(0, size)`), when the head row caches them.
    pub frontier: Option<Vec<Hash>>,
    /// A province's last entry hash (protocol 1.7's `pprev`, 64 zeros when
    /// it has none), read with the head when asked ([`LogTx::head_with`]).
    pub province: Option<(Province, Hash32)>,
}

/// What an append writes after its entries: the checkpoint and the new head.
pub struct BatchTail<'a> {
    pub size: u64,
    pub checkpoint: &'a str,
    pub signed_at: u64,
    pub last: Hash32,
    pub last_time: u64,
    /// The new tree's frontier, 32 bytes per hash (see [`HeadRow::frontier`]).
    pub frontier: &'a [u8],
}

/// Entries and stored hashes written in one statement together with the
/// checkpoint and the head (more go in chunks first).
const ONE_STATEMENT_ENTRIES: usize = 100;
const ONE_STATEMENT_HASHES: usize = 400;

/// The log's statements inside one write transaction, for either backend. The
/// append logic ([`append_in`]) is plain Rust over this trait, so any write that
/// must be logged (a roster change, a draw step) runs its own statements and its
/// log entries in the same transaction.
pub trait LogTx: Send {
    /// Locks the log head and reads it, with the cached last time and frontier
    /// when the row holds them for its size (else the time from `log_entries`).
    fn head(&mut self) -> impl std::future::Future<Output = Result<HeadRow>> + Send {
        self.head_with(None)
    }
    /// [`Self::head`], and `province`'s last entry hash when given, in one
    /// statement. On PostgreSQL a statement's snapshot is taken before it
    /// waits for the row lock, so the province's hash may predate entries
    /// committed while it waited: the statement also reads the head's size
    /// in its snapshot, and when that differs from the locked row's the
    /// province's hash is read again (now after the lock). On SQLite the
    /// write lock is the transaction's from `BEGIN IMMEDIATE`.
    fn head_with(
        &mut self,
        province: Option<&Province>,
    ) -> impl std::future::Future<Output = Result<HeadRow>> + Send;
    /// Locks the log head and reads `(size, last entry hash, last entry time)`.
    fn lock_head(
        &mut self,
    ) -> impl std::future::Future<Output = Result<(u64, Hash32, u64)>> + Send {
        async {
            let h = self.head().await?;
            Ok((h.size, h.last, h.time))
        }
    }
    fn read_hashes(
        &mut self,
        idx: &[u64],
    ) -> impl std::future::Future<Output = Result<Vec<(u64, Hash)>>> + Send;
    /// Protocol 1.7: the entry hash of `province`'s last entry in the log (64
    /// zeros when it has none), one lookup on the `(province, seq)` index.
    fn province_head(
        &mut self,
        province: &Province,
    ) -> impl std::future::Future<Output = Result<Hash32>> + Send;
    /// `(seq, bytes, sig)` of the entries with `from <= seq < to`, in order.
    fn read_entries(
        &mut self,
        from: u64,
        to: u64,
    ) -> impl std::future::Future<Output = Result<Vec<RawEntry>>> + Send;
    /// Writes a batch: entry rows, stored hashes at indexes `first, first + 1,
    /// …`, the checkpoint and the new head. A batch of up to
    /// [`ONE_STATEMENT_ENTRIES`] entries is one statement (one round trip);
    /// larger ones insert their rows a few hundred per statement first.
    fn write_batch(
        &mut self,
        rows: &[EntryInsert<'_>],
        first: u64,
        hashes: &[Hash],
        tail: &BatchTail<'_>,
    ) -> impl std::future::Future<Output = Result<()>> + Send;
}

/// One `log_entries` row to insert.
pub struct EntryInsert<'a> {
    pub seq: u64,
    pub bytes: &'a [u8],
    pub sig: &'a [u8],
    pub hash: Hash32,
    pub kind: &'a str,
    pub province: Option<&'a str>,
    pub draw: Option<&'a str>,
    pub time: u64,
}

const INSERT_ENTRIES: &str =
    "INSERT INTO log_entries (seq, bytes, sig, hash, kind, province, draw, time) VALUES ";
const INSERT_HASHES: &str = "INSERT INTO log_hashes (idx, hash) VALUES ";

/// `($b+1, …, $b+k)` for each of `rows` rows of `k` parameters from `*b` on
/// (SQLite: anonymous parameters, see [`super::placeholder`]).
fn values(postgres: bool, rows: usize, k: usize, b: &mut usize) -> String {
    let mut out = Vec::with_capacity(rows);
    for _ in 0..rows {
        out.push(format!("({})", super::placeholders(postgres, *b + 1, k)));
        *b += k;
    }
    out.join(", ")
}

/// The batch's statement: inserts of `entries` rows and `hashes` hashes (either
/// may be 0), the checkpoint and the head update. PostgreSQL runs them as one
/// statement of data-modifying `WITH` clauses; SQLite as one string of several
/// statements, which sqlx runs in one call (numbered parameters bind across them).
fn batch_sql(postgres: bool, entries: usize, hashes: usize) -> String {
    let mut b = 0;
    let mut parts = Vec::new();
    if entries > 0 {
        parts.push(format!(
            "{INSERT_ENTRIES}{}",
            values(postgres, entries, 8, &mut b)
        ));
    }
    if hashes > 0 {
        parts.push(format!(
            "{INSERT_HASHES}{}",
            values(postgres, hashes, 2, &mut b)
        ));
    }
    parts.push(format!(
        "INSERT INTO checkpoints (size, text, signed_at) VALUES {}",
        values(postgres, 1, 3, &mut b)
    ));
    // The size is bound again for the head (a parameter is used once, so
    // that SQLite's may be anonymous).
    let head = format!(
        "UPDATE log_head SET size = {}, last_hash = {}, cached_size = {}, last_time = {}, frontier = {} WHERE id = 1",
        super::placeholder(postgres, b + 1),
        super::placeholder(postgres, b + 2),
        super::placeholder(postgres, b + 3),
        super::placeholder(postgres, b + 4),
        super::placeholder(postgres, b + 5),
    );
    if postgres {
        let with: Vec<String> = parts
            .into_iter()
            .enumerate()
            .map(|(k, p)| format!("w{k} AS ({p})"))
            .collect();
        format!("WITH {} {head}", with.join(", "))
    } else {
        parts.push(head);
        parts.join("; ")
    }
}

macro_rules! impl_log_tx {
    ($db:ty, $lock:expr, $postgres:expr) => {
        impl<'c> LogTx for sqlx::Transaction<'c, $db> {
            async fn head_with(&mut self, province: Option<&Province>) -> Result<HeadRow> {
                type Row = (i64, Vec<u8>, i64, i64, Option<Vec<u8>>, Option<Vec<u8>>, i64);
                let (size, last, cached, time, frontier, phash, seen): Row = sqlx::query_as($lock)
                    .bind(province.map(|p| p.as_str().to_string()))
                    .fetch_one(&mut **self)
                    .await?;
                let last: [u8; 32] = last.as_slice().try_into().context("log head hash is not 32 bytes")?;
                let province = match province {
                    None => None,
                    Some(p) if seen != size => Some((p.clone(), self.province_head(p).await?)),
                    Some(p) => Some((p.clone(), match phash {
                        None => Hash32::ZERO,
                        Some(h) => Hash32(h.as_slice().try_into().context("a stored entry hash is not 32 bytes")?),
                    })),
                };
                if cached == size {
                    let frontier = frontier
                        .filter(|f| f.len() % 32 == 0)
                        .map(|f| f.chunks(32).map(|c| Hash(c.try_into().expect("32 bytes"))).collect());
                    return Ok(HeadRow { size: size as u64, last: Hash32(last), time: time as u64, frontier, province });
                }
                // The head was written without the cache (a database from before
                // it, or a head rewritten by hand): the last entry's own time.
                let time: Option<(i64,)> = sqlx::query_as("SELECT time FROM log_entries WHERE seq = $1")
                    .bind(size - 1)
                    .fetch_optional(&mut **self)
                    .await?;
                Ok(HeadRow { size: size as u64, last: Hash32(last), time: time.map(|(t,)| t as u64).unwrap_or(0), frontier: None, province })
            }

            async fn read_hashes(&mut self, idx: &[u64]) -> Result<Vec<(u64, Hash)>> {
                let mut out = Vec::with_capacity(idx.len());
                for chunk in idx.chunks(500) {
                    let sql = format!("SELECT idx, hash FROM log_hashes WHERE idx IN ({})", super::placeholders($postgres, 1, chunk.len()));
                    let mut q = sqlx::query_as::<_, (i64, Vec<u8>)>(sqlx::AssertSqlSafe(sql));
                    for k in chunk {
                        q = q.bind(i(*k));
                    }
                    for (k, h) in q.fetch_all(&mut **self).await? {
                        out.push((k as u64, hash_from(&h)?));
                    }
                }
                Ok(out)
            }

            async fn province_head(&mut self, province: &Province) -> Result<Hash32> {
                let row: Option<(Vec<u8>,)> = sqlx::query_as("SELECT hash FROM log_entries WHERE province = $1 ORDER BY seq DESC LIMIT 1")
                    .bind(province.as_str().to_string())
                    .fetch_optional(&mut **self)
                    .await?;
                match row {
                    None => Ok(Hash32::ZERO),
                    Some((h,)) => Ok(Hash32(h.as_slice().try_into().context("a stored entry hash is not 32 bytes")?)),
                }
            }

            async fn read_entries(&mut self, from: u64, to: u64) -> Result<Vec<RawEntry>> {
                let rows: Vec<(i64, Vec<u8>, Vec<u8>)> = sqlx::query_as("SELECT seq, bytes, sig FROM log_entries WHERE seq >= $1 AND seq < $2 ORDER BY seq")
                    .bind(i(from))
                    .bind(i(to))
                    .fetch_all(&mut **self)
                    .await?;
                Ok(rows.into_iter().map(|(s, b, g)| (s as u64, b, g)).collect())
            }

            async fn write_batch(&mut self, rows: &[EntryInsert<'_>], first: u64, hashes: &[Hash], tail: &BatchTail<'_>) -> Result<()> {
                // A large batch: all but the last chunk of rows and hashes first.
                let (mut rows, mut hashes, mut first) = (rows, hashes, first);
                while rows.len() > ONE_STATEMENT_ENTRIES || hashes.len() > ONE_STATEMENT_HASHES {
                    let (r, rest) = rows.split_at(rows.len().min(ONE_STATEMENT_ENTRIES));
                    let (h, hrest) = hashes.split_at(hashes.len().min(ONE_STATEMENT_HASHES));
                    let mut b = 0;
                    if !r.is_empty() {
                        let sql = format!("{INSERT_ENTRIES}{}", values($postgres, r.len(), 8, &mut b));
                        bind_entries!(sqlx::query(sqlx::AssertSqlSafe(sql)), r).execute(&mut **self).await?;
                    }
                    if !h.is_empty() {
                        let mut b = 0;
                        let sql = format!("{INSERT_HASHES}{}", values($postgres, h.len(), 2, &mut b));
                        bind_hashes!(sqlx::query(sqlx::AssertSqlSafe(sql)), first, h).execute(&mut **self).await?;
                    }
                    (rows, hashes, first) = (rest, hrest, first + h.len() as u64);
                }
                let sql = batch_sql($postgres, rows.len(), hashes.len());
                let q = bind_entries!(sqlx::query(sqlx::AssertSqlSafe(sql)), rows);
                bind_hashes!(q, first, hashes)
                    .bind(i(tail.size))
                    .bind(tail.checkpoint.to_string())
                    .bind(i(tail.signed_at))
                    .bind(i(tail.size))
                    .bind(tail.last.0.to_vec())
                    .bind(i(tail.size))
                    .bind(i(tail.last_time))
                    .bind(tail.frontier.to_vec())
                    .execute(&mut **self)
                    .await?;
                Ok(())
            }
        }
    };
}

macro_rules! bind_entries {
    ($q:expr, $rows:expr) => {{
        let mut q = $q;
        for r in $rows {
            q = q
                .bind(i(r.seq))
                .bind(r.bytes.to_vec())
                .bind(r.sig.to_vec())
                .bind(r.hash.0.to_vec())
                .bind(r.kind.to_string())
                .bind(r.province.map(str::to_string))
                .bind(r.draw.map(str::to_string))
                .bind(i(r.time));
        }
        q
    }};
}

macro_rules! bind_hashes {
    ($q:expr, $first:expr, $hashes:expr) => {{
        let mut q = $q;
        for (k, h) in $hashes.iter().enumerate() {
            q = q.bind(i($first + k as u64)).bind(h.0.to_vec());
        }
        q
    }};
}

/// The head row, locked, with a province's last entry hash (`$1`) and the
/// head's size as the statement's snapshot saw it (see [`LogTx::head_with`]).
macro_rules! head_sql {
    ($lock:literal) => {
        concat!(
            "SELECT size, last_hash, cached_size, last_time, frontier, \
             (SELECT hash FROM log_entries WHERE province = $1 ORDER BY seq DESC LIMIT 1), \
             (SELECT size FROM log_head WHERE id = 1) FROM log_head WHERE id = 1",
            $lock
        )
    };
}

impl_log_tx!(sqlx::Sqlite, head_sql!(""), false);
impl_log_tx!(sqlx::Postgres, head_sql!(" FOR UPDATE"), true);

/// An entry made in memory, waiting for the batch insert.
struct Made {
    bytes: Vec<u8>,
    sig: [u8; 64],
    hash: Hash32,
    seq: u64,
    kind: serde_json::Value,
    time: u64,
}

/// One appended entry.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Appended {
    pub seq: u64,
    pub hash: Hash32,
    /// The time written into the entry: the requested time, or the previous
    /// entry's time if that is later (log time never goes backwards, even when
    /// several processes with slightly different clocks share the database).
    pub time: u64,
}

/// Appends `entries` inside `tx`, with their stored hashes, a signed checkpoint of
/// the new size and the new head. The caller commits.
pub async fn append_in<T: LogTx>(
    tx: &mut T,
    key: &SecretKey,
    origin: &str,
    entries: &[NewEntry],
) -> Result<Vec<Appended>> {
    append_with(tx, None, key, origin, entries, None).await
}

/// [`append_in`] over a head this transaction has already read and locked
/// ([`LogTx::head_with`]) and not changed since: a writer that needs the log's
/// time before its own rows reads the head once instead of twice.
pub async fn append_at<T: LogTx>(
    tx: &mut T,
    head: HeadRow,
    key: &SecretKey,
    origin: &str,
    entries: &[NewEntry],
) -> Result<Vec<Appended>> {
    append_with(tx, Some(head), key, origin, entries, None).await
}

/// [`append_in`] with every new entry's `pprev` set to `pprev` instead of its
/// province's last entry: `Some(h)`, a forged log, signed and in the tree,
/// whose only fault is a province chain off its course; `None`, entries as a
/// writer before protocol 1.7 made them (no `pprev`: an older instance still
/// appending during an upgrade). For tests only; never called by the service.
#[doc(hidden)]
pub async fn append_with_pprev_in<T: LogTx>(
    tx: &mut T,
    key: &SecretKey,
    origin: &str,
    entries: &[NewEntry],
    pprev: Option<Hash32>,
) -> Result<Vec<Appended>> {
    append_with(tx, None, key, origin, entries, Some(pprev)).await
}

async fn append_with<T: LogTx>(
    tx: &mut T,
    head: Option<HeadRow>,
    key: &SecretKey,
    origin: &str,
    entries: &[NewEntry],
    forced_pprev: Option<Option<Hash32>>,
) -> Result<Vec<Appended>> {
    let signer = key.public().key_id();
    let signer_id = signer;
    let head = match head {
        Some(h) => h,
        None => {
            tx.head_with(entries.iter().find_map(|e| e.province.as_ref()))
                .await?
        }
    };
    let (mut n, mut prev, mut last_time) = (head.size, head.last, head.time);
    // The hashes this batch reads: the tree's frontier from the head row when it
    // holds it (else from the table as they are needed), its own from memory.
    let mut known: HashMap<u64, Hash> = HashMap::new();
    if let Some(f) = head.frontier {
        let idx = tlog_tiles::sub_tree_index(0, n, vec![]);
        if idx.len() == f.len() {
            known.extend(idx.into_iter().zip(f));
        }
    }
    // The log must extend the last checkpoint this key signed (kept beside the
    // key by `serve`), or nothing is signed over it.
    let anchor = match crate::anchor::path_for(&key.public()) {
        None => None,
        Some(path) => {
            crate::rotate::check_not_retired(&path, &key.public())?;
            let a = crate::anchor::read(&path)?.ok_or_else(|| {
                anyhow::anyhow!(
                    "{} is missing: the last signed checkpoint is unknown, so nothing is signed (restore the file from a backup of keys/)",
                    path.display()
                )
            })?;
            let mut base = None;
            for h in [a.pending, a.committed] {
                if h.size == 0 || (h.size <= n && root_in(tx, h.size, &known).await? == h.root) {
                    base = Some(h);
                    break;
                }
            }
            let base = base.ok_or_else(|| crate::anchor::refusal(&a, n, &path))?;
            // Entries appended since that checkpoint must be this key's own: a
            // checkpoint signed over someone else's entries would vouch for them.
            let rows = if base.size == n {
                vec![]
            } else {
                tx.read_entries(base.size, n).await?
            };
            if rows.len() as u64 != n - base.size {
                bail!(
                    "entries {}..{n} are missing from the log; nothing is signed over it",
                    base.size
                );
            }
            for (seq, bytes, sig) in &rows {
                let parsed = entry::parse(bytes).ok();
                // A rotation away from this key (made with a keys folder
                // elsewhere): this process must not sign with it any more.
                if let Some(Body::KeyRotation(r)) = parsed.as_ref().map(|p| &p.body)
                    && r.old_key == key.public()
                {
                    bail!(
                        "{}",
                        crate::rotate::retired_message(
                            &key.public(),
                            path.parent().unwrap_or(std::path::Path::new("."))
                        )
                    );
                }
                let signer = parsed.map(|p| p.entry.signer);
                if signer != Some(signer_id) || key.public().verify(bytes, sig).is_err() {
                    bail!(
                        "entry seq {seq} was not signed by this service's key {signer_id}: refusing to sign a checkpoint over it (run `fairpanel audit`)"
                    );
                }
            }
            Some((path, base))
        }
    };
    let first_index = tlog_tiles::stored_hash_count(n);
    let mut new_hashes: Vec<Hash> = Vec::new();
    let mut rows: Vec<Made> = Vec::with_capacity(entries.len());
    let mut out = Vec::with_capacity(entries.len());
    // Protocol 1.7: each province's last entry hash (its next entry's
    // `pprev`): the batch's own first, else one indexed read of the log.
    let mut heads: HashMap<Province, Hash32> = head.province.into_iter().collect();
    for e in entries {
        let time = e.time.max(last_time);
        last_time = time;
        let pprev = match &e.province {
            None => None,
            Some(_) if forced_pprev.is_some() => forced_pprev.flatten(),
            Some(p) => Some(match heads.get(p) {
                Some(h) => *h,
                None => tx.province_head(p).await?,
            }),
        };
        let bytes = entry::encode(n, time, e.province.as_ref(), prev, pprev, signer, &e.body);
        let sig = key.sign(&bytes);
        let hash = entry::entry_hash(&bytes);
        let want: Vec<u64> = needed(|r| tlog_tiles::stored_hashes(n, &bytes, r))
            .into_iter()
            .filter(|k| !known.contains_key(k))
            .collect();
        known.extend(tx.read_hashes(&want).await?);
        let new = tlog_tiles::stored_hashes(n, &bytes, &Fetched(&known))
            .map_err(|e| anyhow::anyhow!("the stored Merkle hashes are incomplete: {e}"))?;
        for h in new {
            known.insert(first_index + new_hashes.len() as u64, h);
            new_hashes.push(h);
        }
        rows.push(Made {
            bytes,
            sig,
            hash,
            seq: n,
            kind: serde_json::to_value(e.body.kind())?,
            time,
        });
        out.push(Appended { seq: n, hash, time });
        if let Some(p) = &e.province {
            heads.insert(p.clone(), hash);
        }
        prev = hash;
        n += 1;
    }
    let want: Vec<u64> = needed(|r| tlog_tiles::tree_hash(n, r))
        .into_iter()
        .filter(|k| !known.contains_key(k))
        .collect();
    known.extend(tx.read_hashes(&want).await?);
    let root = tlog_tiles::tree_hash(n, &Fetched(&known))
        .map_err(|e| anyhow::anyhow!("the stored Merkle hashes are incomplete: {e}"))?;
    // The new frontier is exactly what `tree_hash(n)` read.
    let mut frontier = Vec::new();
    for k in tlog_tiles::sub_tree_index(0, n, vec![]) {
        let h = known.get(&k).context("the tree's frontier is incomplete")?;
        frontier.extend_from_slice(&h.0);
    }
    // The anchor records the new head before the caller can commit it. Its
    // fsync runs off the async workers (on a 2-core server, a worker held
    // for the fsync was half the capacity for every other request), and
    // while the batch's rows are written: it was a third of a sheet batch's
    // append. Written ahead of rows that then fail is harmless: a pending
    // head the log does not reach is passed over for the committed one.
    let anchored = anchor.map(|(path, base)| {
        let a = crate::anchor::Anchor {
            committed: base,
            pending: crate::anchor::Head {
                size: n,
                root: Hash32(root.0),
            },
        };
        tokio::task::spawn_blocking(move || crate::anchor::write(&path, &a))
    });
    let text = checkpoint::sign(origin, n, Hash32(root.0), key);
    // The batch's rows, the checkpoint and the head in one statement (large
    // batches: as few statements as the placeholder limits allow).
    let inserts: Vec<EntryInsert> = rows
        .iter()
        .zip(entries)
        .map(|(m, e)| EntryInsert {
            seq: m.seq,
            bytes: &m.bytes,
            sig: &m.sig,
            hash: m.hash,
            kind: m.kind.as_str().unwrap_or_default(),
            province: e.province.as_ref().map(|p| p.as_str()),
            draw: e.body.draw().map(|d| d.as_str()),
            time: m.time,
        })
        .collect();
    let written = tx
        .write_batch(
            &inserts,
            first_index,
            &new_hashes,
            &BatchTail {
                size: n,
                checkpoint: &text,
                signed_at: last_time,
                last: prev,
                last_time,
                frontier: &frontier,
            },
        )
        .await;
    if let Some(w) = anchored {
        w.await.context("the anchor file's writer")??;
    }
    written?;
    // Counted once the entries are written into the caller's transaction (a
    // caller that then fails to commit is rare: a lost connection).
    crate::observe::LOG_APPENDS.inc_by(out.len() as u64);
    Ok(out)
}

/// The Merkle root of the first `size` entries, read inside `tx` (the hashes
/// not in `cached`).
async fn root_in<T: LogTx>(tx: &mut T, size: u64, cached: &HashMap<u64, Hash>) -> Result<Hash32> {
    let want: Vec<u64> = needed(|r| tlog_tiles::tree_hash(size, r))
        .into_iter()
        .filter(|k| !cached.contains_key(k))
        .collect();
    let mut known: HashMap<u64, Hash> = tx.read_hashes(&want).await?.into_iter().collect();
    for (k, h) in cached {
        known.entry(*k).or_insert(*h);
    }
    let h = tlog_tiles::tree_hash(size, &Fetched(&known))
        .map_err(|e| anyhow::anyhow!("the stored Merkle hashes are incomplete: {e}"))?;
    Ok(Hash32(h.0))
}

impl Store {
    /// Appends `entries` in one transaction, signs a checkpoint of the new size, and
    /// returns each entry's `(seq, entry hash)`. Concurrent appenders, in this
    /// process or another on the same database, are serialized by the head row.
    pub async fn append(
        &self,
        key: &SecretKey,
        origin: &str,
        entries: &[NewEntry],
    ) -> Result<Vec<(u64, Hash32)>> {
        if entries.is_empty() {
            return Ok(vec![]);
        }
        with_pool!(self, pool => {
            let mut tx = self.begin_write(pool).await?;
            let out = append_in(&mut tx, key, origin, entries).await?;
            tx.commit().await?;
            Ok(out.into_iter().map(|a| (a.seq, a.hash)).collect())
        })
    }

    /// Opens a write transaction. On SQLite it takes the write lock at once
    /// (`BEGIN IMMEDIATE`), so two writers never both read and then both try to
    /// upgrade; on PostgreSQL the log head row is locked when the log is touched.
    pub async fn begin_write<DB: sqlx::Database>(
        &self,
        pool: &sqlx::Pool<DB>,
    ) -> Result<sqlx::Transaction<'static, DB>> {
        Ok(match self {
            Store::Sqlite(_) => pool.begin_with("BEGIN IMMEDIATE").await?,
            Store::Postgres(_) => pool.begin().await?,
        })
    }

    /// The number of entries in the log.
    pub async fn log_size(&self) -> Result<u64> {
        let (n,): (i64,) = with_pool!(self, p => sqlx::query_as("SELECT size FROM log_head WHERE id = 1").fetch_one(p).await?);
        Ok(n as u64)
    }

    /// Entries with `start <= seq < end`, in order.
    pub async fn entries(&self, start: u64, end: u64) -> Result<Vec<StoredEntry>> {
        let rows: Vec<EntryRow> = with_pool!(self, p => sqlx::query_as(
            "SELECT seq, bytes, sig, hash FROM log_entries WHERE seq >= $1 AND seq < $2 ORDER BY seq")
            .bind(i(start.min(i64::MAX as u64)))
            .bind(i(end.min(i64::MAX as u64)))
            .fetch_all(p)
            .await?);
        Ok(rows
            .into_iter()
            .map(|(seq, bytes, sig, hash)| StoredEntry {
                seq: seq as u64,
                bytes,
                sig,
                hash,
            })
            .collect())
    }

    /// The entries of `province` with `start <= seq < end`, in order (a v1.7
    /// bundle's range; read through the `(province, seq)` index).
    pub async fn province_entries(
        &self,
        province: &str,
        start: u64,
        end: u64,
    ) -> Result<Vec<StoredEntry>> {
        let rows: Vec<EntryRow> = with_pool!(self, p => sqlx::query_as(
            "SELECT seq, bytes, sig, hash FROM log_entries WHERE province = $1 AND seq >= $2 AND seq < $3 ORDER BY seq")
            .bind(province.to_string())
            .bind(i(start.min(i64::MAX as u64)))
            .bind(i(end.min(i64::MAX as u64)))
            .fetch_all(p)
            .await?);
        Ok(rows
            .into_iter()
            .map(|(seq, bytes, sig, hash)| StoredEntry {
                seq: seq as u64,
                bytes,
                sig,
                hash,
            })
            .collect())
    }

    /// The head row's `last_hash` (for the audit).
    pub async fn head_hash(&self) -> Result<Vec<u8>> {
        let (h,): (Vec<u8>,) = with_pool!(self, p => sqlx::query_as("SELECT last_hash FROM log_head WHERE id = 1").fetch_one(p).await?);
        Ok(h)
    }

    /// `(seq, kind, province, draw, time)` of every entry row: the columns kept
    /// beside the signed bytes for queries (for the audit).
    pub async fn entry_columns(&self) -> Result<Vec<EntryColumns>> {
        type Row = (i64, String, Option<String>, Option<String>, i64);
        let rows: Vec<Row> = with_pool!(self, p => sqlx::query_as(
            "SELECT seq, kind, province, draw, time FROM log_entries ORDER BY seq")
            .fetch_all(p)
            .await?);
        Ok(rows
            .into_iter()
            .map(|(s, k, p, d, t)| (s as u64, k, p, d, t))
            .collect())
    }

    /// The key_rotation entries, in log order (by the `kind` column; the
    /// audit reads every entry's bytes instead).
    pub async fn rotation_entries(&self) -> Result<Vec<StoredEntry>> {
        let rows: Vec<EntryRow> = with_pool!(self, p => sqlx::query_as(
            "SELECT seq, bytes, sig, hash FROM log_entries WHERE kind = 'key_rotation' ORDER BY seq")
            .fetch_all(p)
            .await?);
        Ok(rows
            .into_iter()
            .map(|(seq, bytes, sig, hash)| StoredEntry {
                seq: seq as u64,
                bytes,
                sig,
                hash,
            })
            .collect())
    }

    /// The newest signed checkpoint, if the log has any entry. It is read to be
    /// served, so the anchor beside the key counts it as committed
    /// ([`crate::anchor::served`]).
    pub async fn latest_checkpoint(&self) -> Result<Option<(u64, String)>> {
        let row: Option<(i64, String)> = with_pool!(self, p => sqlx::query_as(
            "SELECT size, text FROM checkpoints ORDER BY size DESC LIMIT 1")
            .fetch_optional(p)
            .await?);
        if let Some((size, text)) = &row {
            crate::anchor::served(*size as u64, text)?;
        }
        Ok(row.map(|(s, t)| (s as u64, t)))
    }

    /// Every checkpoint, oldest first.
    pub async fn checkpoints(&self) -> Result<Vec<(u64, String)>> {
        let rows: Vec<(i64, String)> = with_pool!(self, p => sqlx::query_as(
            "SELECT size, text FROM checkpoints ORDER BY size")
            .fetch_all(p)
            .await?);
        Ok(rows.into_iter().map(|(s, t)| (s as u64, t)).collect())
    }

    /// Every stored hash, by index (for the audit).
    pub async fn stored_hashes(&self) -> Result<Vec<(u64, Vec<u8>)>> {
        let rows: Vec<(i64, Vec<u8>)> = with_pool!(self, p => sqlx::query_as(
            "SELECT idx, hash FROM log_hashes ORDER BY idx")
            .fetch_all(p)
            .await?);
        Ok(rows.into_iter().map(|(k, h)| (k as u64, h)).collect())
    }

    /// Reads stored hashes with the same statement appends use ([`LogTx::read_hashes`]),
    /// in a read-only transaction so the rows come from one snapshot.
    async fn fetch_hashes(&self, want: &[u64]) -> Result<HashMap<u64, Hash>> {
        with_pool!(self, p => {
            let mut tx = p.begin().await?;
            let rows = tx.read_hashes(want).await?;
            tx.commit().await?;
            Ok(rows.into_iter().collect())
        })
    }

    /// The inclusion proof of entry `seq` in the tree of `size` entries.
    pub async fn inclusion_proof(&self, seq: u64, size: u64) -> Result<Vec<Hash32>> {
        if seq >= size || size > self.log_size().await? {
            bail!("no entry {seq} in a tree of {size}");
        }
        let known = self
            .fetch_hashes(&needed(|r| tlog_tiles::prove_record(size, seq, r)))
            .await?;
        let p = tlog_tiles::prove_record(size, seq, &Fetched(&known))
            .map_err(|e| anyhow::anyhow!("{e}"))?;
        Ok(p.into_iter().map(|h| Hash32(h.0)).collect())
    }

    /// The consistency proof from the tree of `old` entries to the tree of `size`.
    pub async fn consistency_proof(&self, old: u64, size: u64) -> Result<Vec<Hash32>> {
        if old == 0 || old > size || size > self.log_size().await? {
            bail!("no consistency proof from {old} to {size}");
        }
        let known = self
            .fetch_hashes(&needed(|r| tlog_tiles::prove_tree(size, old, r)))
            .await?;
        let p = tlog_tiles::prove_tree(size, old, &Fetched(&known))
            .map_err(|e| anyhow::anyhow!("{e}"))?;
        Ok(p.into_iter().map(|h| Hash32(h.0)).collect())
    }

    /// The Merkle root of the first `size` entries, from the stored hashes.
    pub async fn root(&self, size: u64) -> Result<Hash32> {
        let known = self
            .fetch_hashes(&needed(|r| tlog_tiles::tree_hash(size, r)))
            .await?;
        let h =
            tlog_tiles::tree_hash(size, &Fetched(&known)).map_err(|e| anyhow::anyhow!("{e}"))?;
        Ok(Hash32(h.0))
    }
}
