//! `fairpanel rotate-key`: hands the log's signing to a new key through a
//! `key_rotation` entry signed by both keys (docs/PROTOCOL.md, "key_rotation").
//!
//! How it stays safe while other processes may be signing with the old key:
//! - everything happens inside one write transaction that holds the log head
//!   (SQLite `BEGIN IMMEDIATE`, PostgreSQL `SELECT … FOR UPDATE`), so no other
//!   append can come between reading the head and the rotation;
//! - before the commit, the new private key is written as `keys/log.key.new`
//!   (0600) and the retired key's public key as `keys/retired/<key id>.pub`;
//! - every later append with the old key sees that file (or, in a keys folder
//!   on another machine, the rotation entry itself) and is refused, with a
//!   message that says to restart (see `store::log::append_in`);
//! - after the commit, `log.key.new` is renamed over `log.key` (the retired
//!   private key is gone; only its public key stays) and `log.pub` is rewritten.
//!
//! If the command dies between the commit and the rename, running it again
//! finishes the rename (the log's key chain says which key is current); if the
//! transaction did not commit, it removes the leftovers and rotates afresh.

use crate::config::Config;
use crate::keyfile;
use crate::store::Store;
use crate::store::log::{LogTx, NewEntry, append_in};
use crate::with_pool;
use anyhow::{Context, Result, bail};
use base64::Engine;
use fairpanel_core::entry::{self, Body, KeyRotation};
use fairpanel_core::keys::KeyId;
use fairpanel_core::rotation::{self, Chain, Rotation};
use fairpanel_core::{PublicKey, SecretKey};
use std::path::{Path, PathBuf};

/// The folder, inside `keys/`, holding the public keys of retired keys.
pub const RETIRED: &str = "retired";
/// The new private key between the rotation's commit and its rename.
pub const NEW: &str = "log.key.new";

/// `keys/retired/<key id>.pub`: the retired key's public key (base64).
pub fn retired_path(dir: &Path, id: &KeyId) -> PathBuf {
    dir.join(RETIRED).join(format!("{id}.pub"))
}

/// Refuses to sign with `key` once `rotate-key` has retired it. `anchor` is
/// the key's anchor file (`keys/log.checkpoint`); the retired keys sit beside
/// it.
pub fn check_not_retired(anchor: &Path, key: &PublicKey) -> Result<()> {
    let dir = anchor.parent().unwrap_or(Path::new("."));
    if retired_path(dir, &key.key_id()).exists() {
        bail!("{}", retired_message(key, dir));
    }
    Ok(())
}

/// What a process still holding a retired key is told.
pub fn retired_message(key: &PublicKey, dir: &Path) -> String {
    format!(
        "the signing key {} was retired by `fairpanel rotate-key`; nothing more is signed with it. Restart fairpanel so that it loads the new key from {}",
        key.key_id(),
        dir.join(keyfile::PRIVATE).display()
    )
}

/// The log's key chain, checked, ending at `current`.
pub async fn chain(store: &Store, current: &PublicKey) -> Result<Chain> {
    let rows = store.rotation_entries().await?;
    let parsed: Vec<_> = rows
        .iter()
        .map(|r| {
            entry::parse(&r.bytes).map_err(|m| anyhow::anyhow!("rotation entry seq {}: {m}", r.seq))
        })
        .collect::<Result<_>>()?;
    let rots: Vec<Rotation> = parsed
        .iter()
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
    rotation::chain(&rots, current).map_err(|m| anyhow::anyhow!("the log's key chain: {m}"))
}

/// What a rotation did.
pub struct Rotated {
    pub seq: u64,
    pub old: PublicKey,
    pub new: PublicKey,
    /// True when this run only finished an interrupted rotation.
    pub finished_only: bool,
}

/// Rotates the key of the log in `cfg.database_url`, whose key is in `cfg.keys`.
pub async fn run(cfg: &Config, reason: &str) -> Result<Rotated> {
    if reason.trim().is_empty() {
        bail!("give the reason for the rotation with --reason (it is written into the log)");
    }
    let store = Store::open(&cfg.database_url).await?;
    let out = run_on(&store, cfg, reason).await;
    store.close().await;
    out
}

async fn run_on(store: &Store, cfg: &Config, reason: &str) -> Result<Rotated> {
    let dir = &cfg.keys;
    let new_path = dir.join(NEW);
    if new_path.exists()
        && let Some(r) = finish_interrupted(store, dir).await?
    {
        return Ok(r);
    }
    if store.log_size().await? == 0 {
        bail!(
            "the log is empty: there is nothing signed yet, so there is no key to rotate (start `fairpanel serve` once, or replace the key with `fairpanel keygen --force`)"
        );
    }
    // The current key, checked against the log as `serve` checks it (key chain
    // and the checkpoint kept beside it); this also makes every append in this
    // process check that checkpoint.
    let old = crate::serve::key_for_log(store, dir, &cfg.database_url).await?;
    let new = SecretKey::from_seed(&keyfile::os_random());
    let (old_pub, new_pub) = (old.public(), new.public());
    let retired = retired_path(dir, &old_pub.key_id());
    let seq = with_pool!(store, pool => {
        let mut tx = store.begin_write(pool).await?;
        let (n, prev, last_time) = tx.lock_head().await?;
        let msg = entry::rotation_message(n, &prev, &old_pub, &new_pub);
        let body = KeyRotation {
            new_key: new_pub,
            new_key_id: new_pub.key_id(),
            new_key_sig: base64::engine::general_purpose::STANDARD.encode(new.sign(&msg)),
            old_key: old_pub,
            reason: reason.trim().to_string(),
        };
        let time = cfg.clock.now().max(last_time);
        let appended = append_in(&mut tx, &old, &cfg.origin, &[NewEntry { time, province: None, body: Body::KeyRotation(body) }]).await?;
        if appended.first().map(|a| a.seq) != Some(n) {
            bail!("the rotation was not appended at seq {n}");
        }
        // Both files before the commit: once it commits, no append with the old
        // key may follow, and the new key must not be lost.
        keyfile::write_private(&new_path, &new)?;
        if let Err(e) = write_public(&retired, &old_pub) {
            let _ = std::fs::remove_file(&new_path);
            return Err(e);
        }
        if let Err(e) = tx.commit().await {
            let _ = std::fs::remove_file(&new_path);
            let _ = std::fs::remove_file(&retired);
            return Err(e).context("commit the key rotation (nothing was changed)");
        }
        n
    });
    put_in_place(dir, &new_pub)?;
    Ok(Rotated {
        seq,
        old: old_pub,
        new: new_pub,
        finished_only: false,
    })
}

/// `log.key.new` exists: either the rotation committed (finish the rename) or
/// it did not (remove what it left).
async fn finish_interrupted(store: &Store, dir: &Path) -> Result<Option<Rotated>> {
    let new = keyfile::load_file(&dir.join(NEW))?;
    let new_pub = new.public();
    if let Ok(c) = chain(store, &new_pub).await
        && c.0.len() >= 2
    {
        let w = &c.0[c.0.len() - 2];
        let (old, seq) = (w.key, w.until.unwrap_or_default());
        write_public(&retired_path(dir, &old.key_id()), &old)?;
        put_in_place(dir, &new_pub)?;
        return Ok(Some(Rotated {
            seq,
            old,
            new: new_pub,
            finished_only: true,
        }));
    }
    // Not committed: the key in log.key is still current.
    let current = keyfile::load(dir)?.public();
    let _ = std::fs::remove_file(retired_path(dir, &current.key_id()));
    std::fs::remove_file(dir.join(NEW))
        .with_context(|| format!("remove {}", dir.join(NEW).display()))?;
    Ok(None)
}

/// Renames `log.key.new` over `log.key` and rewrites `log.pub`.
fn put_in_place(dir: &Path, new: &PublicKey) -> Result<()> {
    let private = dir.join(keyfile::PRIVATE);
    std::fs::rename(dir.join(NEW), &private)
        .with_context(|| format!("move the new key into {}", private.display()))?;
    let public = dir.join(keyfile::PUBLIC);
    let tmp = dir.join("log.pub.new");
    std::fs::write(&tmp, format!("{}\n", new.to_base64()))
        .and_then(|_| std::fs::rename(&tmp, &public))
        .with_context(|| format!("write {}", public.display()))
}

fn write_public(path: &Path, key: &PublicKey) -> Result<()> {
    if let Some(d) = path.parent() {
        std::fs::create_dir_all(d).with_context(|| format!("create {}", d.display()))?;
    }
    std::fs::write(path, format!("{}\n", key.to_base64()))
        .with_context(|| format!("write {}", path.display()))
}
