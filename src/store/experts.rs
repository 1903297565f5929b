//! A province's expert pool. Every write that changes it appends one
//! `roster_change` entry (hashes and counts only, no personal data) in the same
//! transaction; a write that changes nothing appends nothing.
//!
//! The roster hash is kept incrementally (issue 15, item 3): each row stores
//! its record's hash and bucket, and `roster_heads` holds the province's bucket
//! hashes, counts and a version every write changes. A write reads and writes
//! the rows it touches and the buckets they fall in, never the whole roster
//! (an import of most of it reads the province's hashes once instead).
//! [`Store::roster`] keeps the parsed roster in memory per province and
//! version; every read checks the version in the database first, so several
//! instances on one database never serve each other's stale rosters.

use super::Store;
use super::log::{LogTx, NewEntry, append_in};
use crate::roster::{self, ExpertRecord, Status};
use crate::with_pool;
use anyhow::{Context, Result};
use fairpanel_core::SecretKey;
use fairpanel_core::entry::{Body, RosterChange};
use fairpanel_core::hash::{Hash32, sha256, tag, tagged};
use fairpanel_core::types::{Province, ReasonCode};
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::sync::{Arc, LazyLock, Mutex};

/// What a write requires of the records it touches.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Must {
    /// Every record is new (create).
    BeNew,
    /// Every record exists (update).
    Exist,
    /// Either (import).
    Either,
}

/// Why a write was refused; nothing was changed.
#[derive(Debug, PartialEq, Eq)]
pub enum Refused {
    Exists(String),
    Missing(String),
}

/// What a write did.
#[derive(Debug, PartialEq, Eq)]
pub struct Written {
    pub changed: usize,
    pub total: usize,
    /// The roster_change entry's sequence number, when something changed.
    pub seq: Option<u64>,
}

/// How many buckets the roster hash groups the experts into.
pub const BUCKETS: usize = 1024;
/// Tag of one expert's record hash.
pub const TAG_RECORD: &str = "fairpanel/v1/roster-record";
/// Tag of one bucket's hash.
pub const TAG_BUCKET: &str = "fairpanel/v1/roster-bucket";

/// A record's canonical line: its JSON, fields in [`ExpertRecord`] declaration
/// order, serde_json's compact form (the line of [`roster::canonical_snapshot`]).
fn line(r: &ExpertRecord) -> Vec<u8> {
    serde_json::to_vec(r).expect("a record always serialises")
}

/// `H("fairpanel/v1/roster-record", line)` of one record.
pub fn record_hash(r: &ExpertRecord) -> Hash32 {
    tagged(TAG_RECORD, &[&line(r)])
}

/// The bucket of an expert id: the first 10 bits of SHA-256 of the id's UTF-8
/// bytes (0 to 1023).
pub fn bucket_of(expert_id: &str) -> usize {
    let h = sha256(expert_id.as_bytes()).0;
    ((h[0] as usize) << 2) | ((h[1] as usize) >> 6)
}

/// `H("fairpanel/v1/roster-bucket", the bucket's record hashes sorted
/// bytewise, concatenated)`; an empty bucket hashes the empty string.
pub fn bucket_hash(hashes: &mut [[u8; 32]]) -> Hash32 {
    hashes.sort_unstable();
    tagged(TAG_BUCKET, &[hashes.as_flattened()])
}

/// The roster hash over the 1024 bucket hashes, in bucket order, 32 bytes each.
fn hash_of_buckets(buckets: &[u8]) -> Hash32 {
    tagged(tag::ROSTER, &[buckets])
}

/// The roster hash of `records`, computed from scratch (see docs/PROTOCOL.md,
/// roster_change): `H("fairpanel/v1/roster", bucket hash 0 || … || bucket hash
/// 1023)`. The writes keep the same value incrementally.
pub fn roster_hash(records: &[ExpertRecord]) -> Hash32 {
    let mut buckets: Vec<Vec<[u8; 32]>> = vec![Vec::new(); BUCKETS];
    for r in records {
        buckets[bucket_of(&r.expert_id)].push(record_hash(r).0);
    }
    let mut all = Vec::with_capacity(BUCKETS * 32);
    for mut b in buckets {
        all.extend_from_slice(&bucket_hash(&mut b).0);
    }
    hash_of_buckets(&all)
}

/// The roster hash of protocol 1.0–1.4 databases (before migration 0028):
/// `H("fairpanel/v1/roster", canonical snapshot)`. `audit` accepts it in a
/// roster_change written before the first write since that migration.
pub fn legacy_roster_hash(records: &[ExpertRecord]) -> Hash32 {
    tagged(tag::ROSTER, &[&roster::canonical_snapshot(records)])
}

/// Rows per multi-row upsert: 5 bound values each (the province and the time
/// are bound once), far below SQLite's and PostgreSQL's limits.
const UPSERT_ROWS: usize = 500;
/// Ids per `IN (…)` lookup.
const LOOKUP_IDS: usize = 500;

/// A province's head row: its version, bucket hashes and counts.
struct Head {
    buckets: Vec<u8>,
    active: i64,
    total: i64,
}

/// What the store knows of an existing expert without parsing its record.
#[derive(Clone)]
struct Old {
    hash: Vec<u8>,
    bucket: i64,
    active: bool,
}

/// `(expert_id, rhash, bucket, active)` as stored.
type OldRow = (String, Option<Vec<u8>>, Option<i64>, Option<bool>);

/// One row to write.
struct Row {
    id: String,
    json: String,
    hash: [u8; 32],
    bucket: i64,
    active: bool,
}

impl Row {
    fn of(r: &ExpertRecord) -> Row {
        let l = line(r);
        let hash = tagged(TAG_RECORD, &[&l]).0;
        Row {
            id: r.expert_id.clone(),
            json: String::from_utf8(l).expect("serde_json writes UTF-8"),
            hash,
            bucket: bucket_of(&r.expert_id) as i64,
            active: r.status == Status::Active,
        }
    }
}

/// A fresh, random roster version: versions are compared for equality only,
/// and a random one cannot repeat across databases sharing one process's cache.
fn new_version() -> i64 {
    let mut b = [0u8; 8];
    getrandom::fill(&mut b).expect("the system's random source");
    i64::from_le_bytes(b)
}

/// A cached roster: the version it was read at, the roster, and when it was
/// last used (a counter, for evicting the least recently used).
type Cached = (i64, Arc<Vec<ExpertRecord>>, u64);
/// Which cached roster: the store's pool (its connect options' address, the
/// same for every clone of one pool) and the province. The pool is in the key
/// so that stores on different databases in one process (several instances
/// in a test run, say) neither evict nor (with random versions) ever match
/// each other's entries; an address reused by a later pool can only match
/// when the database's version matches too.
type CacheKey = (usize, String);
/// The parsed rosters, each with the version it was read at. A process holds
/// at most [`CACHED`] of them, evicting the least recently used.
static ROSTERS: LazyLock<Mutex<(HashMap<CacheKey, Cached>, u64)>> = LazyLock::new(Default::default);
const CACHED: usize = 8;

fn parse_rows(rows: Vec<(String,)>) -> Result<Vec<ExpertRecord>> {
    rows.into_iter()
        .map(|(r,)| serde_json::from_str(&r).context("a stored expert record is not valid"))
        .collect()
}

/// The SQL of a multi-row upsert of `n` rows, seven parameters per row in
/// column order (anonymous on SQLite, see [`super::placeholder`]).
fn upsert_sql(n: usize, postgres: bool) -> String {
    let mut sql = String::with_capacity(100 + n * 40);
    sql.push_str("INSERT INTO experts (province, expert_id, record, updated_at, rhash, bucket, active) VALUES ");
    for i in 0..n {
        if i > 0 {
            sql.push(',');
        }
        sql.push_str(&format!(
            "({})",
            super::placeholders(postgres, 1 + 7 * i, 7)
        ));
    }
    sql.push_str(" ON CONFLICT (province, expert_id) DO UPDATE SET record = excluded.record, updated_at = excluded.updated_at, rhash = excluded.rhash, bucket = excluded.bucket, active = excluded.active");
    sql
}

/// `province = <1> AND <column> IN (<2>, …)` for `n` values, bound in that
/// order.
fn in_province(postgres: bool, column: &str, n: usize) -> String {
    format!(
        "province = {} AND {column} IN ({})",
        super::placeholder(postgres, 1),
        super::placeholders(postgres, 2, n)
    )
}

/// Writes `$rows` (a slice of [`Row`] or `&Row`) as one multi-row upsert in
/// the transaction `$tx` (`$pg`: whether it is PostgreSQL's).
macro_rules! upsert {
    ($tx:expr, $pg:expr, $prov:expr, $now:expr, $rows:expr) => {{
        let rows = $rows;
        let mut q = sqlx::query(sqlx::AssertSqlSafe(upsert_sql(rows.len(), $pg)));
        for r in rows {
            let r: &Row = std::borrow::Borrow::borrow(r);
            q = q
                .bind($prov.to_string())
                .bind(r.id.clone())
                .bind(r.json.clone())
                .bind($now as i64)
                .bind(r.hash.to_vec())
                .bind(r.bucket)
                .bind(r.active);
        }
        q.execute(&mut *$tx).await?;
    }};
}

impl Store {
    /// The province's roster in expert-id order, parsed, shared: from memory
    /// when the province's version in the database is the one it was read at,
    /// else read, parsed and kept. A row that does not parse is an error.
    pub async fn roster(&self, p: &Province) -> Result<Arc<Vec<ExpertRecord>>> {
        let prov = p.as_str().to_string();
        let key = (self.cache_id(), prov.clone());
        let v1 = self.roster_version(&prov).await?;
        if let Some(v) = v1 {
            let mut guard = ROSTERS.lock().expect("roster cache");
            let (cache, clock) = &mut *guard;
            *clock += 1;
            if let Some((cv, r, used)) = cache.get_mut(&key)
                && *cv == v
            {
                *used = *clock;
                return Ok(r.clone());
            }
        }
        let roster = Arc::new(self.read_roster(p).await?);
        // Kept only if no write committed while the rows were read: every
        // write changes the version, and versions never repeat.
        if let Some(v) = v1
            && self.roster_version(&prov).await? == v1
        {
            let mut guard = ROSTERS.lock().expect("roster cache");
            let (cache, clock) = &mut *guard;
            *clock += 1;
            if cache.len() >= CACHED
                && !cache.contains_key(&key)
                && let Some(oldest) = cache
                    .iter()
                    .min_by_key(|(_, (_, _, used))| *used)
                    .map(|(k, _)| k.clone())
            {
                cache.remove(&oldest);
            }
            cache.insert(key, (v, roster.clone(), *clock));
        }
        Ok(roster)
    }

    /// This store's pool, as the roster cache tells pools apart.
    fn cache_id(&self) -> usize {
        with_pool!(self, pool => Arc::as_ptr(&pool.connect_options()) as usize)
    }

    async fn roster_version(&self, prov: &str) -> Result<Option<i64>> {
        let row: Option<(i64,)> = with_pool!(self, pool => sqlx::query_as(
            "SELECT version FROM roster_heads WHERE province = $1")
            .bind(prov.to_string())
            .fetch_optional(pool)
            .await?);
        Ok(row.map(|(v,)| v))
    }

    /// The province's roster as the table holds it now, bypassing the cache
    /// (`audit` reads this way, so a row changed behind the service's back is
    /// seen).
    pub async fn read_roster(&self, p: &Province) -> Result<Vec<ExpertRecord>> {
        let rows: Vec<(String,)> = with_pool!(self, pool => sqlx::query_as(
            "SELECT record FROM experts WHERE province = $1 ORDER BY expert_id")
            .bind(p.as_str().to_string())
            .fetch_all(pool)
            .await?);
        parse_rows(rows)
    }

    /// The province's roster in expert-id order (a copy of [`Store::roster`]).
    pub async fn list_experts(&self, p: &Province) -> Result<Vec<ExpertRecord>> {
        Ok(self.roster(p).await?.as_ref().clone())
    }

    pub async fn get_expert(&self, p: &Province, id: &str) -> Result<Option<ExpertRecord>> {
        let row: Option<(String,)> = with_pool!(self, pool => sqlx::query_as(
            "SELECT record FROM experts WHERE province = $1 AND expert_id = $2")
            .bind(p.as_str().to_string())
            .bind(id.to_string())
            .fetch_optional(pool)
            .await?);
        Ok(parse_rows(row.into_iter().collect())?.pop())
    }

    /// Creates, updates or imports `records` in one transaction with their log
    /// entry. `action` names the change in the log (`import`, `create`, `update`,
    /// `suspend`, `reinstate`).
    #[allow(clippy::too_many_arguments)]
    pub async fn write_experts(
        &self,
        key: &SecretKey,
        origin: &str,
        p: &Province,
        records: &[ExpertRecord],
        must: Must,
        action: &str,
        now: u64,
    ) -> Result<Result<Written, Refused>> {
        let w = self
            .change(key, origin, p, records, None, must, action, now)
            .await?;
        Ok(w.map(|w| w.expect("a write without a deletion answers")))
    }

    /// Deletes one expert, with its log entry. `Ok(None)` if there was none.
    pub async fn delete_expert(
        &self,
        key: &SecretKey,
        origin: &str,
        p: &Province,
        id: &str,
        now: u64,
    ) -> Result<Option<Written>> {
        match self
            .change(key, origin, p, &[], Some(id), Must::Either, "delete", now)
            .await?
        {
            Ok(w) => Ok(w),
            Err(_) => unreachable!("a deletion is never refused"),
        }
    }

    /// One change of a province's roster: upserts `records` (as `must` allows)
    /// or deletes `delete`, keeps the rows' hashes and the head's buckets, and
    /// appends the roster_change, all in one transaction. `Ok(Ok(None))`: the
    /// expert to delete did not exist.
    #[allow(clippy::too_many_arguments)]
    async fn change(
        &self,
        key: &SecretKey,
        origin: &str,
        p: &Province,
        records: &[ExpertRecord],
        delete: Option<&str>,
        must: Must,
        action: &str,
        now: u64,
    ) -> Result<Result<Option<Written>, Refused>> {
        let prov = p.as_str().to_string();
        // The per-record work (serialising, hashing) is done before the
        // transaction; by id, a record given twice is written once, as given
        // last (one statement may not upsert a row twice on PostgreSQL).
        let mut given: BTreeMap<&str, Row> = BTreeMap::new();
        for r in records {
            if given.insert(r.expert_id.as_str(), Row::of(r)).is_some() && must == Must::BeNew {
                return Ok(Err(Refused::Exists(r.expert_id.clone())));
            }
        }
        let ids: Vec<&str> = given.keys().copied().chain(delete).collect();
        let pg = self.is_postgres();
        let result = with_pool!(self, pool => {
            let mut tx = self.begin_write(pool).await?;
            // The log head is locked before the roster is read: on PostgreSQL
            // two writers would otherwise both read the roster, and one would
            // log a hash and count that do not match the table (or fail on the
            // unique key instead of answering that the expert exists).
            tx.lock_head().await?;
            let head: Option<(Vec<u8>, i64, i64)> = sqlx::query_as(
                "SELECT buckets, active, total FROM roster_heads WHERE province = $1")
                .bind(prov.clone())
                .fetch_optional(&mut *tx)
                .await?;
            let (mut head, rebuilt) = match head {
                Some((buckets, active, total)) if buckets.len() == BUCKETS * 32 => {
                    (Head { buckets, active, total }, false)
                }
                _ => {
                    // No head yet (a new province, or rows from before
                    // migration 0028): every row gets its hash and bucket,
                    // and the head is built from them, once.
                    let rows: Vec<(String,)> = sqlx::query_as(
                        "SELECT record FROM experts WHERE province = $1")
                        .bind(prov.clone())
                        .fetch_all(&mut *tx)
                        .await?;
                    let rows: Vec<Row> = parse_rows(rows)?.iter().map(Row::of).collect();
                    for r in &rows {
                        sqlx::query("UPDATE experts SET rhash = $1, bucket = $2, active = $3 WHERE province = $4 AND expert_id = $5")
                            .bind(r.hash.to_vec())
                            .bind(r.bucket)
                            .bind(r.active)
                            .bind(prov.clone())
                            .bind(r.id.clone())
                            .execute(&mut *tx)
                            .await?;
                    }
                    let mut buckets: Vec<Vec<[u8; 32]>> = vec![Vec::new(); BUCKETS];
                    for r in &rows {
                        buckets[r.bucket as usize].push(r.hash);
                    }
                    let mut all = Vec::with_capacity(BUCKETS * 32);
                    for mut b in buckets {
                        all.extend_from_slice(&bucket_hash(&mut b).0);
                    }
                    let active = rows.iter().filter(|r| r.active).count() as i64;
                    (Head { buckets: all, active, total: rows.len() as i64 }, true)
                }
            };
            // What the store holds of the ids touched: looked up by id, or,
            // for a write of a good part of the roster, the whole province's
            // hashes at once (which also give the buckets' new hashes below
            // without reading them again).
            let whole = ids.len() >= 64 && ids.len() as i64 * 4 >= head.total;
            let mut old: HashMap<String, Old> = HashMap::new();
            if whole {
                let rows: Vec<OldRow> = sqlx::query_as(
                    "SELECT expert_id, rhash, bucket, active FROM experts WHERE province = $1")
                    .bind(prov.clone())
                    .fetch_all(&mut *tx)
                    .await?;
                for (id, h, b, a) in rows {
                    let (Some(hash), Some(bucket), Some(active)) = (h, b, a) else {
                        anyhow::bail!("the expert row {id} of {prov} has no stored hash");
                    };
                    old.insert(id, Old { hash, bucket, active });
                }
            } else {
                for chunk in ids.chunks(LOOKUP_IDS) {
                    let sql = format!(
                        "SELECT expert_id, rhash, bucket, active FROM experts WHERE {}",
                        in_province(pg, "expert_id", chunk.len())
                    );
                    let mut q = sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(prov.clone());
                    for id in chunk {
                        q = q.bind(id.to_string());
                    }
                    let rows: Vec<OldRow> = q.fetch_all(&mut *tx).await?;
                    for (id, h, b, a) in rows {
                        let (Some(hash), Some(bucket), Some(active)) = (h, b, a) else {
                            anyhow::bail!("the expert row {id} of {prov} has no stored hash");
                        };
                        old.insert(id, Old { hash, bucket, active });
                    }
                }
            }
            for r in records {
                match (old.contains_key(&r.expert_id), must) {
                    (true, Must::BeNew) => return Ok(Err(Refused::Exists(r.expert_id.clone()))),
                    (false, Must::Exist) => return Ok(Err(Refused::Missing(r.expert_id.clone()))),
                    _ => {}
                }
            }
            let mut dirty: BTreeSet<i64> = BTreeSet::new();
            let mut rows: Vec<&Row> = Vec::new();
            for row in given.values() {
                let before = old.get(&row.id);
                if let Some(o) = before
                    && o.hash.as_slice() == row.hash.as_slice()
                {
                    continue;
                }
                match before {
                    Some(o) => {
                        head.active -= o.active as i64;
                        dirty.insert(o.bucket);
                    }
                    None => head.total += 1,
                }
                head.active += row.active as i64;
                dirty.insert(row.bucket);
                rows.push(row);
            }
            let mut changed = rows.len();
            for chunk in rows.chunks(UPSERT_ROWS) {
                upsert!(tx, pg, prov, now, chunk);
            }
            if let Some(id) = delete {
                let Some(o) = old.get(id) else { return Ok(Ok(None)) };
                sqlx::query("DELETE FROM experts WHERE province = $1 AND expert_id = $2")
                    .bind(prov.clone())
                    .bind(id.to_string())
                    .execute(&mut *tx)
                    .await?;
                head.total -= 1;
                head.active -= o.active as i64;
                dirty.insert(o.bucket);
                changed += 1;
            }
            // The new hashes of the buckets the change touched.
            let mut hashes: BTreeMap<i64, Vec<[u8; 32]>> = dirty.iter().map(|b| (*b, Vec::new())).collect();
            if whole {
                let written: HashSet<&str> = rows.iter().map(|r| r.id.as_str()).chain(delete).collect();
                for (id, o) in &old {
                    if !written.contains(id.as_str())
                        && let Some(v) = hashes.get_mut(&o.bucket)
                    {
                        v.push(o.hash.as_slice().try_into().context("a stored record hash is not 32 bytes")?);
                    }
                }
                for r in &rows {
                    hashes.get_mut(&r.bucket).expect("a written row's bucket is dirty").push(r.hash);
                }
            } else if !dirty.is_empty() {
                let list: Vec<i64> = dirty.iter().copied().collect();
                for chunk in list.chunks(LOOKUP_IDS) {
                    let sql = format!(
                        "SELECT bucket, rhash FROM experts WHERE {}",
                        in_province(pg, "bucket", chunk.len())
                    );
                    let mut q = sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(prov.clone());
                    for b in chunk {
                        q = q.bind(*b);
                    }
                    let found: Vec<(i64, Option<Vec<u8>>)> = q.fetch_all(&mut *tx).await?;
                    for (b, h) in found {
                        let h = h.with_context(|| format!("an expert row of {prov} has no stored hash"))?;
                        hashes.get_mut(&b).context("a row of another bucket")?
                            .push(h.as_slice().try_into().context("a stored record hash is not 32 bytes")?);
                    }
                }
            }
            for (b, mut v) in hashes {
                let at = b as usize * 32;
                head.buckets[at..at + 32].copy_from_slice(&bucket_hash(&mut v).0);
            }
            if changed > 0 || rebuilt {
                sqlx::query("INSERT INTO roster_heads (province, version, buckets, active, total) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (province) DO UPDATE SET version = excluded.version, buckets = excluded.buckets, active = excluded.active, total = excluded.total")
                    .bind(prov.clone())
                    .bind(new_version())
                    .bind(head.buckets.clone())
                    .bind(head.active)
                    .bind(head.total)
                    .execute(&mut *tx)
                    .await?;
            }
            let seq = if changed > 0 {
                let entry = roster_entry(p, hash_of_buckets(&head.buckets), head.active, action, changed, now)?;
                Some(append_in(&mut tx, key, origin, &[entry]).await?[0].seq)
            } else {
                None
            };
            tx.commit().await?;
            Ok::<_, anyhow::Error>(Ok(Some(Written { changed, total: head.total as usize, seq })))
        });
        if matches!(result, Ok(Ok(Some(Written { seq: Some(_), .. })))) {
            let key = (self.cache_id(), prov.clone());
            ROSTERS.lock().expect("roster cache").0.remove(&key);
        }
        result
    }
}

fn roster_entry(
    p: &Province,
    roster: Hash32,
    active: i64,
    action: &str,
    changed: usize,
    now: u64,
) -> Result<NewEntry> {
    Ok(NewEntry {
        time: now,
        province: Some(p.clone()),
        body: Body::RosterChange(RosterChange {
            action: ReasonCode::try_from(action).map_err(|e| anyhow::anyhow!(e))?,
            changed: changed as u64,
            roster,
            size: active as u64,
        }),
    })
}

impl Store {
    /// How many of a province's experts may be drawn (status active): the
    /// `size` of the province's last `roster_change` entry, which every write
    /// of the pool appends in the same transaction (and `audit` checks against
    /// the table), so the pool itself is not read.
    pub async fn active_experts(&self, p: &Province) -> Result<usize> {
        let row: Option<(Vec<u8>,)> = with_pool!(self, pool => sqlx::query_as(
            "SELECT bytes FROM log_entries WHERE province = $1 AND kind = 'roster_change' ORDER BY seq DESC LIMIT 1")
            .bind(p.as_str().to_string())
            .fetch_optional(pool)
            .await?);
        let Some((bytes,)) = row else { return Ok(0) };
        match fairpanel_core::entry::parse(&bytes)
            .map_err(|e| anyhow::anyhow!("a stored roster_change does not parse: {e}"))?
            .body
        {
            Body::RosterChange(r) => Ok(r.size as usize),
            _ => anyhow::bail!("a roster_change row holds another kind of entry"),
        }
    }

    /// One page of a province's pool in expert-id order, and the pool's size:
    /// the pool page's unfiltered view reads only the rows it shows.
    pub async fn experts_page(
        &self,
        p: &Province,
        offset: usize,
        limit: usize,
    ) -> Result<(Vec<ExpertRecord>, usize)> {
        let prov = p.as_str().to_string();
        let (rows, total): (Vec<(String,)>, (i64,)) = with_pool!(self, pool => {
            let rows = sqlx::query_as("SELECT record FROM experts WHERE province = $1 ORDER BY expert_id LIMIT $2 OFFSET $3")
                .bind(prov.clone())
                .bind(limit as i64)
                .bind(offset as i64)
                .fetch_all(pool)
                .await?;
            let total = sqlx::query_as("SELECT COUNT(*) FROM experts WHERE province = $1")
                .bind(prov.clone())
                .fetch_one(pool)
                .await?;
            (rows, total)
        });
        Ok((parse_rows(rows)?, total.0 as usize))
    }
}
