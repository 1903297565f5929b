//! Witnesses and their cosignatures (issue 12, item 4; C2SP tlog-cosignature).

use super::Store;
use crate::with_pool;
use anyhow::Result;
use fairpanel_core::PublicKey;

/// A registered witness, as the admin's page lists it.
#[derive(Clone, Debug)]
pub struct WitnessRow {
    pub name: String,
    pub key: PublicKey,
    pub added_at: i64,
    /// When an admin retired it: its cosignatures are no longer accepted.
    pub retired_at: Option<i64>,
}

/// What [`Store::retire_witness`] did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Retired {
    Now,
    /// Retired before.
    Already,
    /// No witness of that name.
    Unknown,
}

impl Store {
    /// Registers witness `name` with `key`; `false` when the name is taken.
    pub async fn add_witness_key(&self, name: &str, key: &PublicKey, now: i64) -> Result<bool> {
        let n = with_pool!(self, p => sqlx::query(
            "INSERT INTO witness_keys (name, pubkey, added_at) VALUES ($1, $2, $3) ON CONFLICT (name) DO NOTHING")
            .bind(name)
            .bind(key.to_base64())
            .bind(now)
            .execute(p)
            .await?
            .rows_affected());
        Ok(n == 1)
    }

    /// Every witness whose cosignatures are accepted (registered, not
    /// retired), by name.
    pub async fn witness_keys(&self) -> Result<Vec<(String, PublicKey)>> {
        let rows: Vec<(String, String)> = with_pool!(self, p => sqlx::query_as(
            "SELECT name, pubkey FROM witness_keys WHERE retired_at IS NULL ORDER BY name")
            .fetch_all(p)
            .await?);
        rows.into_iter()
            .map(|(n, k)| Ok((n, PublicKey::parse(&k).map_err(anyhow::Error::msg)?)))
            .collect()
    }

    /// Every witness ever registered, retired ones too, by name.
    pub async fn witness_rows(&self) -> Result<Vec<WitnessRow>> {
        let rows: Vec<(String, String, i64, Option<i64>)> = with_pool!(self, p => sqlx::query_as(
            "SELECT name, pubkey, added_at, retired_at FROM witness_keys ORDER BY name")
            .fetch_all(p)
            .await?);
        rows.into_iter()
            .map(|(name, k, added_at, retired_at)| {
                Ok(WitnessRow {
                    name,
                    key: PublicKey::parse(&k).map_err(anyhow::Error::msg)?,
                    added_at,
                    retired_at,
                })
            })
            .collect()
    }

    /// Stops accepting witness `name`'s cosignatures (one conditional
    /// update); the lines kept stay served with their checkpoints.
    pub async fn retire_witness(&self, name: &str, now: i64) -> Result<Retired> {
        let n = with_pool!(self, p => sqlx::query(
            "UPDATE witness_keys SET retired_at = $1 WHERE name = $2 AND retired_at IS NULL")
            .bind(now)
            .bind(name)
            .execute(p)
            .await?
            .rows_affected());
        if n == 1 {
            return Ok(Retired::Now);
        }
        let known: Option<(String,)> = with_pool!(self, p => sqlx::query_as(
            "SELECT name FROM witness_keys WHERE name = $1")
            .bind(name)
            .fetch_optional(p)
            .await?);
        Ok(if known.is_some() {
            Retired::Already
        } else {
            Retired::Unknown
        })
    }

    /// The signed checkpoint of `size` entries, if one was published.
    pub async fn checkpoint_at(&self, size: u64) -> Result<Option<String>> {
        let row: Option<(String,)> = with_pool!(self, p => sqlx::query_as(
            "SELECT text FROM checkpoints WHERE size = $1")
            .bind(size as i64)
            .fetch_optional(p)
            .await?);
        Ok(row.map(|(t,)| t))
    }

    /// Keeps witness `name`'s cosignature `line` (at `time`) on the checkpoint
    /// of `size`, unless one of a later time is kept already.
    pub async fn put_cosignature(
        &self,
        size: u64,
        name: &str,
        line: &str,
        time: u64,
    ) -> Result<()> {
        with_pool!(self, p => sqlx::query(
            "INSERT INTO cosignatures (size, name, line, time) VALUES ($1, $2, $3, $4)
             ON CONFLICT (size, name) DO UPDATE SET line = excluded.line, time = excluded.time
             WHERE cosignatures.time < excluded.time")
            .bind(size as i64)
            .bind(name)
            .bind(line)
            .bind(time as i64)
            .execute(p)
            .await
            .map(|_| ())?);
        Ok(())
    }

    /// The cosignature lines on the checkpoint of `size`, by witness name.
    pub async fn cosignatures(&self, size: u64) -> Result<Vec<String>> {
        let rows: Vec<(String,)> = with_pool!(self, p => sqlx::query_as(
            "SELECT line FROM cosignatures WHERE size = $1 ORDER BY name")
            .bind(size as i64)
            .fetch_all(p)
            .await?);
        Ok(rows.into_iter().map(|(l,)| l).collect())
    }

    /// The checkpoint a bundle whose last entry is `last` embeds: the newest
    /// cosigned checkpoint that covers it, with its cosignature lines, else the
    /// newest checkpoint. Not one from before a key rotation: a bundle carries
    /// the current key, which must have signed its checkpoint.
    pub async fn checkpoint_for_bundle(&self, last: u64) -> Result<Option<(u64, String)>> {
        let row: Option<(Option<i64>,)> = with_pool!(self, p => sqlx::query_as(
            "SELECT MAX(size) FROM cosignatures WHERE size > $1")
            .bind(last as i64)
            .fetch_optional(p)
            .await?);
        let rotated: Option<(Option<i64>,)> = with_pool!(self, p => sqlx::query_as(
            "SELECT MAX(seq) FROM log_entries WHERE kind = 'key_rotation'")
            .fetch_optional(p)
            .await?);
        let rotated = rotated.and_then(|(s,)| s);
        if let Some(size) = row.and_then(|(s,)| s)
            && rotated.is_none_or(|r| r < size)
            && let Some(text) = self.checkpoint_at(size as u64).await?
        {
            let lines = self.cosignatures(size as u64).await?;
            return Ok(Some((
                size as u64,
                fairpanel_core::cosignature::attach(&text, &lines),
            )));
        }
        self.latest_checkpoint().await
    }
}
