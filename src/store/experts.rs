//! A province's expert pool. Every write that changes it appends one
//! `roster_change` entry (hashes and counts only, no personal data) in the same
//! transaction; a write that changes nothing appends nothing.

use super::Store;
use super::log::{LogTx, NewEntry, append_in};
use crate::roster::{self, ExpertRecord, Status};
use crate::with_pool;
use anyhow::{Context, Result};
use fairpanel_core::SecretKey;
use fairpanel_core::entry::{Body, RosterChange};
use fairpanel_core::hash::{Hash32, tag, tagged};
use fairpanel_core::types::{Province, ReasonCode};
use std::collections::{BTreeMap, HashMap};

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

/// `H(roster, canonical snapshot)` of a roster.
pub fn roster_hash(records: &[ExpertRecord]) -> Hash32 {
    tagged(tag::ROSTER, &[&roster::canonical_snapshot(records)])
}

/// Rows per multi-row upsert: 4 bound values each, far below SQLite's and
/// PostgreSQL's limits on bound parameters.
const UPSERT_ROWS: usize = 500;

fn parse_rows(rows: Vec<(String,)>) -> Result<Vec<ExpertRecord>> {
    rows.into_iter()
        .map(|(r,)| serde_json::from_str(&r).context("a stored expert record is not valid"))
        .collect()
}

impl Store {
    pub async fn list_experts(&self, p: &Province) -> Result<Vec<ExpertRecord>> {
        let rows: Vec<(String,)> = with_pool!(self, pool => sqlx::query_as(
            "SELECT record FROM experts WHERE province = $1 ORDER BY expert_id")
            .bind(p.as_str().to_string())
            .fetch_all(pool)
            .await?);
        parse_rows(rows)
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
        let prov = p.as_str().to_string();
        with_pool!(self, pool => {
            let mut tx = self.begin_write(pool).await?;
            // The log head is locked before the roster is read: on PostgreSQL
            // two writers would otherwise both read the roster, and one would
            // log a hash and count that do not match the table (or fail on the
            // unique key instead of answering that the expert exists).
            tx.lock_head().await?;
            // The province's roster is read once; the changes are applied to
            // it in memory and written as multi-row upserts (issue 15, item
            // 6): one query per few hundred rows instead of two per row, and
            // no second read of the whole roster for its hash. A stored row
            // that does not parse is an error unless this write replaces it.
            let rows: Vec<(String, String)> = sqlx::query_as("SELECT expert_id, record FROM experts WHERE province = $1")
                .bind(prov.clone())
                .fetch_all(&mut *tx)
                .await?;
            let mut roster: HashMap<String, Option<ExpertRecord>> = rows
                .into_iter()
                .map(|(id, r)| (id, serde_json::from_str(&r).ok()))
                .collect();
            // By id: a record given twice is written once, as given last (one
            // statement may not upsert a row twice on PostgreSQL).
            let mut upserts: BTreeMap<&str, String> = BTreeMap::new();
            let mut changed = 0;
            for r in records {
                match (roster.get(&r.expert_id), must) {
                    (Some(_), Must::BeNew) => return Ok(Err(Refused::Exists(r.expert_id.clone()))),
                    (None, Must::Exist) => return Ok(Err(Refused::Missing(r.expert_id.clone()))),
                    (Some(Some(old)), _) if old == r => continue,
                    _ => {}
                }
                upserts.insert(r.expert_id.as_str(), serde_json::to_string(r)?);
                roster.insert(r.expert_id.clone(), Some(r.clone()));
                changed += 1;
            }
            let upserts: Vec<(&str, String)> = upserts.into_iter().collect();
            for chunk in upserts.chunks(UPSERT_ROWS) {
                let mut sql = String::from("INSERT INTO experts (province, expert_id, record, updated_at) VALUES ");
                for i in 0..chunk.len() {
                    if i > 0 {
                        sql.push(',');
                    }
                    sql.push_str(&format!("(${}, ${}, ${}, ${})", 4 * i + 1, 4 * i + 2, 4 * i + 3, 4 * i + 4));
                }
                sql.push_str(" ON CONFLICT (province, expert_id) DO UPDATE SET record = excluded.record, updated_at = excluded.updated_at");
                let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
                for (id, json) in chunk {
                    q = q.bind(prov.clone()).bind(id.to_string()).bind(json.clone()).bind(now as i64);
                }
                q.execute(&mut *tx).await?;
            }
            let all: Vec<ExpertRecord> = roster
                .into_values()
                .map(|r| r.context("a stored expert record is not valid"))
                .collect::<Result<_>>()?;
            let seq = if changed > 0 {
                let entry = roster_entry(p, &all, action, changed, now)?;
                Some(append_in(&mut tx, key, origin, &[entry]).await?[0].seq)
            } else {
                None
            };
            tx.commit().await?;
            Ok(Ok(Written { changed, total: all.len(), seq }))
        })
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
        let prov = p.as_str().to_string();
        with_pool!(self, pool => {
            let mut tx = self.begin_write(pool).await?;
            tx.lock_head().await?;
            let r = sqlx::query("DELETE FROM experts WHERE province = $1 AND expert_id = $2")
                .bind(prov.clone())
                .bind(id.to_string())
                .execute(&mut *tx)
                .await?;
            if r.rows_affected() == 0 {
                return Ok(None);
            }
            let all: Vec<(String,)> = sqlx::query_as("SELECT record FROM experts WHERE province = $1 ORDER BY expert_id")
                .bind(prov.clone())
                .fetch_all(&mut *tx)
                .await?;
            let all = parse_rows(all)?;
            let entry = roster_entry(p, &all, "delete", 1, now)?;
            let seq = append_in(&mut tx, key, origin, &[entry]).await?[0].seq;
            tx.commit().await?;
            Ok(Some(Written { changed: 1, total: all.len(), seq: Some(seq) }))
        })
    }
}

fn roster_entry(
    p: &Province,
    all: &[ExpertRecord],
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
            roster: roster_hash(all),
            size: all.iter().filter(|r| r.status == Status::Active).count() as u64,
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
