//! Witnesses and their cosignatures (issue 12, item 4; C2SP tlog-cosignature).

use super::Store;
use crate::with_pool;
use anyhow::Result;
use fairpanel_core::PublicKey;

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

    /// Every registered witness, by name.
    pub async fn witness_keys(&self) -> Result<Vec<(String, PublicKey)>> {
        let rows: Vec<(String, String)> = with_pool!(self, p => sqlx::query_as(
            "SELECT name, pubkey FROM witness_keys ORDER BY name")
            .fetch_all(p)
            .await?);
        rows.into_iter()
            .map(|(n, k)| Ok((n, PublicKey::parse(&k).map_err(anyhow::Error::msg)?)))
            .collect()
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
