//! `fairpanel monitor URL --state DIR`: an outsider's watch on an instance's
//! log (issue 12, item 5). It keeps, in its own folder, every checkpoint it
//! accepted, the log's keys and the hash of the last entry it checked; each
//! round it fetches the newest checkpoint and, before accepting it:
//!
//! - a smaller tree than the last accepted one is a rollback, the same size
//!   with another root a fork: both are reported, with the two checkpoints;
//! - every new entry is fetched and checked: canonical bytes, signature by a
//!   key the monitor knows (the pinned one, or one a checked `key_rotation`
//!   entry handed over to, countersigned by the new key), its `seq`, and its
//!   `prev` equal to the hash of the entry before it (the chain continues
//!   from the last entry the monitor checked); and (protocol 1.7) its
//!   `pprev`, when it has one, equal to the hash of the previous entry of the
//!   same province: an entry signed off its province's chain would be left
//!   out of that province's v1.7 bundles, so only a watcher of the whole log
//!   can see it; and every entry of a draw filed under the province of the
//!   draw's commit (a v1.7 bundle would leave out one filed elsewhere);
//! - the checkpoint's signature, by the key in force after those entries;
//! - an RFC 9162 consistency proof from the last accepted checkpoint, and the
//!   inclusion of the newest entry in the new tree (with the chain, that binds
//!   every new entry to the new root).
//!
//! The first run checks the whole log from its first entry. Nothing is
//! accepted, and nothing in the folder changes, unless every check passes.

use crate::client::Http;
use anyhow::{Context, Result, bail};
use fairpanel_core::PublicKey;
use fairpanel_core::checkpoint::{self, Checkpoint};
use fairpanel_core::entry::{self, Body};
use fairpanel_core::hash::Hash32;
use fairpanel_core::merkle;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Entries per request (the public endpoint's own limit).
const PAGE: u64 = 1000;

/// What the monitor keeps between runs (`state.json` in its folder), beside
/// `checkpoints/<size>.txt`, every checkpoint it accepted.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct Kept {
    /// The log's origin line, fixed at the first run.
    pub origin: String,
    /// Every key the log was seen to use, oldest first, base64; the last signs now.
    pub keys: Vec<String>,
    /// The newest accepted checkpoint, verbatim.
    pub checkpoint: String,
    pub size: u64,
    /// Its root, hex.
    pub root: Hash32,
    /// The hash of entry `size - 1` (64 zeros for an empty log).
    pub last_entry: Hash32,
    /// Protocol 1.7: each province's last entry, `(seq, entry hash)`, which
    /// the province's next `pprev` must name. Absent in a state written
    /// before 1.7: the first entry of each province seen afterwards is then
    /// taken as it is (its `pprev` unchecked), and the ones after it checked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provinces: Option<BTreeMap<String, (u64, Hash32)>>,
    /// Protocol 1.7: each draw's commit, `draw → (province, seq)`, which every
    /// later entry of the draw must share. Absent in a state written before
    /// 1.7: draws committed before are then not checked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub draws: Option<BTreeMap<String, (String, u64)>>,
}

/// Protocol 1.7: an entry of a draw carries the province of the draw's
/// commit (`draws`, updated with each commit). A v1.7 bundle holds only its
/// draw's province's entries, so an entry of the draw filed under another
/// province would be left out of it; only the whole log shows it.
pub fn check_draw_province(
    parsed: &entry::Parsed,
    draws: &mut BTreeMap<String, (String, u64)>,
) -> std::result::Result<(), String> {
    let seq = parsed.entry.seq;
    let p = parsed
        .entry
        .province
        .as_ref()
        .map(|p| p.as_str().to_string())
        .unwrap_or_else(|| "null".into());
    // A review round's entries (scoring, notice, report) carry the province
    // of the draw its scoring_open names, kept under "round:{id}": a panel
    // draw's bundle carries them, so one filed elsewhere would be left out.
    if let Some(r) = parsed.body.round() {
        let key = format!("round:{r}");
        if let Body::ScoringOpen(o) = &parsed.body
            && let Some((dp, _)) = draws.get(o.draw.as_str())
        {
            let dp = dp.clone();
            draws.entry(key.clone()).or_insert((dp, seq));
        }
        return match draws.get(&key) {
            Some((rp, rs)) if *rp != p => Err(format!(
                "entry seq {seq} of round {r} is filed under province {p}, but the round's scoring_open, seq {rs}, is of province {rp}: the panel draw's bundle would leave it out"
            )),
            _ => Ok(()),
        };
    }
    let Some(d) = parsed.body.draw() else {
        return Ok(());
    };
    if parsed.entry.kind == entry::Kind::Commit {
        draws.entry(d.as_str().to_string()).or_insert((p, seq));
        return Ok(());
    }
    match draws.get(d.as_str()) {
        Some((cp, cs)) if *cp != p => Err(format!(
            "entry seq {seq} of draw {d} is filed under province {p}, but the draw's commit, seq {cs}, is of province {cp}: the draw's bundle would leave it out"
        )),
        _ => Ok(()),
    }
}

/// Protocol 1.7: `parsed`'s `pprev` names the previous entry of its province
/// (`heads`, updated; `known` false when the heads before this run are not
/// known, so a province's first entry seen is taken as it is).
pub fn check_pprev(
    parsed: &entry::Parsed,
    heads: &mut BTreeMap<String, (u64, Hash32)>,
    known: bool,
) -> std::result::Result<(), String> {
    let Some(p) = &parsed.entry.province else {
        return Ok(());
    };
    let seq = parsed.entry.seq;
    let head = heads.get(p.as_str()).copied();
    let r = match (parsed.entry.pprev, head) {
        (None, _) => Ok(()),
        (Some(pp), Some((hs, hh))) if pp != hh => Err(format!(
            "entry seq {seq} of province {p}: its pprev {pp} does not name the previous entry of the province, seq {hs} (hash {hh}): the province's hash chain is forked"
        )),
        (Some(pp), None) if known && pp != Hash32::ZERO => Err(format!(
            "entry seq {seq} of province {p}: its pprev {pp} names an earlier entry, but it is the province's first entry in the log"
        )),
        _ => Ok(()),
    };
    heads.insert(p.as_str().to_string(), (seq, parsed.hash));
    r
}

/// The outcome of one round.
#[derive(Debug, PartialEq)]
pub enum Round {
    /// The log grew (or stayed) consistently: `from` → `to` entries.
    Consistent { from: u64, to: u64 },
    /// The log forked or rolled back: the accepted checkpoint and the new one.
    Conflict {
        why: String,
        kept: String,
        seen: String,
    },
}

pub struct Monitor {
    http: Http,
    base: String,
    dir: PathBuf,
}

impl Monitor {
    pub fn new(url: &str, dir: &Path) -> Result<Monitor> {
        let base = url.trim_end_matches('/').to_string();
        if !(base.starts_with("http://") || base.starts_with("https://")) {
            bail!("{url} is not an http:// or https:// address of a fairpanel instance");
        }
        Ok(Monitor {
            http: Http::new(Duration::from_secs(30)),
            base,
            dir: dir.to_path_buf(),
        })
    }

    fn state_file(&self) -> PathBuf {
        self.dir.join("state.json")
    }

    pub fn kept(&self) -> Result<Option<Kept>> {
        match std::fs::read(self.state_file()) {
            Ok(b) => Ok(Some(serde_json::from_slice(&b).with_context(|| {
                format!("{} is not a monitor's state", self.state_file().display())
            })?)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e).with_context(|| format!("read {}", self.state_file().display())),
        }
    }

    /// POSTs `body` to `/api/v1/public/<path>` of the instance (the witness
    /// hands its cosignature in this way); the answer's JSON.
    pub async fn post(&self, path: &str, body: &serde_json::Value) -> Result<serde_json::Value> {
        let url = format!("{}/api/v1/public/{path}", self.base);
        let r = self.http.send("POST", &url, None, Some(body)).await?;
        r.ok().with_context(|| format!("POST {url}"))?.json()
    }

    async fn get(&self, path: &str) -> Result<Vec<u8>> {
        let url = format!("{}/api/v1/public/{path}", self.base);
        let r = self.http.send("GET", &url, None, None).await?;
        Ok(r.ok().with_context(|| format!("GET {url}"))?.body)
    }

    /// One round: fetch, check, and keep the new checkpoint if all holds.
    /// `pinned` is the log's key as the operator published it; without it the
    /// first run trusts the key the instance serves (and says so).
    pub async fn round(&self, pinned: Option<PublicKey>) -> Result<Round> {
        let kept = self.kept()?;
        let seen = String::from_utf8(self.get("checkpoint").await?)
            .context("the checkpoint is not UTF-8")?;
        let (origin, size) = unverified(&seen)?;
        let mut keys: Vec<PublicKey> = match &kept {
            Some(k) => {
                if k.origin != origin {
                    bail!(
                        "the instance's log is now {origin:?}, the monitor follows {:?}",
                        k.origin
                    );
                }
                k.keys
                    .iter()
                    .map(|b| PublicKey::parse(b).map_err(|e| anyhow::anyhow!(e)))
                    .collect::<Result<_>>()?
            }
            None => match pinned {
                Some(k) => vec![k],
                None => {
                    let v: serde_json::Value = serde_json::from_slice(&self.get("key").await?)?;
                    let first = v["history"][0]["key"]
                        .as_str()
                        .or_else(|| v["base64"].as_str())
                        .context("the instance's /key answer has no key")?;
                    eprintln!(
                        "WARNING: no --key given on the first run: trusting the key the instance serves ({first}). Pin the province's published key with --key."
                    );
                    vec![PublicKey::parse(first).map_err(|e| anyhow::anyhow!(e))?]
                }
            },
        };
        let (from, mut prev) = match &kept {
            Some(k) => (k.size, k.last_entry),
            None => (0, Hash32([0; 32])),
        };
        // Each province's last entry, for the 1.7 pprev checks; unknown when
        // the kept state predates them (then learnt from here on).
        let heads_known = kept.as_ref().is_none_or(|k| k.provinces.is_some());
        let mut heads = kept
            .as_ref()
            .and_then(|k| k.provinces.clone())
            .unwrap_or_default();
        let mut draws = kept
            .as_ref()
            .and_then(|k| k.draws.clone())
            .unwrap_or_default();
        if let Some(k) = &kept
            && size < k.size
        {
            // Evidence only if the log's key signed it.
            if !keys
                .iter()
                .any(|key| checkpoint::verify(&seen, key, Some(&origin)).is_ok())
            {
                bail!("the new checkpoint is not signed by any key of the log");
            }
            return Ok(conflict(
                format!("rollback: the log shrank from {} to {size} entries", k.size),
                k,
                &seen,
            ));
        }
        // A longer tree signed by a key already known: its consistency with the
        // kept one first, so that a fork (whose new entries do not continue the
        // kept chain) is named as one rather than as a broken chain.
        if let Some(k) = &kept
            && k.size > 0
            && size > k.size
            && let Some(cp) = keys
                .iter()
                .find_map(|key| checkpoint::verify(&seen, key, Some(&origin)).ok())
            && let Some(why) = self.inconsistent(k, &cp).await?
        {
            return Ok(conflict(why, k, &seen));
        }
        // The new entries, each checked before the next is trusted.
        let mut last_bytes: Option<Vec<u8>> = None;
        let mut start = from;
        while start < size {
            let end = (start + PAGE).min(size);
            let body = self
                .get(&format!("entries?start={start}&end={end}"))
                .await?;
            let page: Vec<Served> =
                serde_json::from_slice(&body).context("the entries are not JSON")?;
            if page.len() as u64 != end - start {
                bail!(
                    "the instance served {} entries for {start}..{end}",
                    page.len()
                );
            }
            for (i, e) in page.iter().enumerate() {
                let seq = start + i as u64;
                // The entry's exact bytes as served (embedded JSON, not re-encoded).
                let bytes = e.entry.get().as_bytes().to_vec();
                let sig = e.sig.as_str();
                let parsed = check_entry(seq, &bytes, sig, &prev, &mut keys)
                    .with_context(|| format!("entry {seq}"))?;
                check_pprev(&parsed, &mut heads, heads_known).map_err(|e| anyhow::anyhow!(e))?;
                check_draw_province(&parsed, &mut draws).map_err(|e| anyhow::anyhow!(e))?;
                prev = entry::entry_hash(&bytes);
                last_bytes = Some(bytes);
            }
            start = end;
        }
        let signer = *keys.last().expect("at least one key");
        let cp: Checkpoint = checkpoint::verify(&seen, &signer, Some(&origin))
            .map_err(|e| anyhow::anyhow!("the new checkpoint: {e}"))?;
        if let Some(k) = &kept {
            if cp.size == k.size && cp.root != k.root {
                return Ok(conflict(
                    format!("fork: two roots for the tree of {} entries", k.size),
                    k,
                    &seen,
                ));
            }
            if k.size > 0
                && cp.size > k.size
                && let Some(why) = self.inconsistent(k, &cp).await?
            {
                return Ok(conflict(why, k, &seen));
            }
        }
        if let Some(bytes) = &last_bytes {
            let seq = cp.size - 1;
            let v: serde_json::Value = serde_json::from_slice(
                &self
                    .get(&format!("proof/inclusion?seq={seq}&size={}", cp.size))
                    .await?,
            )?;
            let proof = hashes(&v["proof"])?;
            merkle::check_inclusion(&proof, cp.size, cp.root, seq, merkle::leaf_hash(bytes))
                .map_err(|e| {
                    anyhow::anyhow!("the newest entry is not the one the checkpoint holds: {e}")
                })?;
        } else if kept.is_none() && cp.size > 0 {
            bail!(
                "the checkpoint names {} entries and none were served",
                cp.size
            );
        }
        let next = Kept {
            origin,
            keys: keys.iter().map(|k| k.to_base64()).collect(),
            checkpoint: seen.clone(),
            size: cp.size,
            root: cp.root,
            last_entry: prev,
            provinces: Some(heads),
            draws: Some(draws),
        };
        self.keep(&next)?;
        Ok(Round::Consistent { from, to: cp.size })
    }

    /// Why the tree of `cp` does not extend the kept one (RFC 9162 consistency
    /// proof from the instance), or `None` when it does.
    async fn inconsistent(&self, k: &Kept, cp: &Checkpoint) -> Result<Option<String>> {
        let v: serde_json::Value = serde_json::from_slice(
            &self
                .get(&format!("proof/consistency?from={}&to={}", k.size, cp.size))
                .await?,
        )?;
        let proof = hashes(&v["proof"])?;
        Ok(
            merkle::check_consistency(&proof, cp.size, cp.root, k.size, k.root)
                .err()
                .map(|e| format!("fork: the new tree does not extend the kept one ({e})")),
        )
    }

    /// Writes the checkpoint file, then the state (atomically, by rename).
    fn keep(&self, k: &Kept) -> Result<()> {
        let cps = self.dir.join("checkpoints");
        std::fs::create_dir_all(&cps).with_context(|| format!("create {}", cps.display()))?;
        std::fs::write(cps.join(format!("{}.txt", k.size)), &k.checkpoint)?;
        let tmp = self.dir.join("state.json.tmp");
        std::fs::write(&tmp, serde_json::to_vec_pretty(k)?)?;
        std::fs::rename(&tmp, self.state_file())?;
        Ok(())
    }
}

fn conflict(why: String, kept: &Kept, seen: &str) -> Round {
    Round::Conflict {
        why,
        kept: kept.checkpoint.clone(),
        seen: seen.to_string(),
    }
}

/// The origin and size of a checkpoint, before its signature is checked
/// (the signing key may be one the new entries hand over to).
fn unverified(text: &str) -> Result<(String, u64)> {
    let mut lines = text.lines();
    let origin = lines.next().context("an empty checkpoint")?.to_string();
    let size = lines
        .next()
        .and_then(|l| l.parse::<u64>().ok())
        .context("the checkpoint's second line is not a tree size")?;
    Ok((origin, size))
}

fn hashes(v: &serde_json::Value) -> Result<Vec<Hash32>> {
    serde_json::from_value(v.clone()).context("a proof is not a list of hex hashes")
}

/// An entry as `/public/entries` serves it.
#[derive(Deserialize)]
struct Served<'a> {
    #[serde(borrow)]
    entry: &'a serde_json::value::RawValue,
    sig: String,
}

/// One entry: its bytes as the log holds them, its place, its predecessor,
/// its signature by a known key; a key rotation hands over to the new key.
fn check_entry(
    seq: u64,
    bytes: &[u8],
    sig: &str,
    prev: &Hash32,
    keys: &mut Vec<PublicKey>,
) -> Result<entry::Parsed> {
    let parsed = entry::parse(bytes).map_err(|e| anyhow::anyhow!(e))?;
    if parsed.entry.seq != seq {
        bail!("it says it is entry {}", parsed.entry.seq);
    }
    if parsed.entry.prev != *prev {
        bail!("its prev does not name the entry before it: the hash chain is broken");
    }
    let key = keys
        .iter()
        .find(|k| k.key_id() == parsed.entry.signer)
        .copied()
        .ok_or_else(|| {
            anyhow::anyhow!(
                "signed by {}, a key the log never handed over to",
                parsed.entry.signer
            )
        })?;
    let sig = base64_decode(sig)?;
    key.verify(bytes, &sig)
        .map_err(|e| anyhow::anyhow!("its signature does not verify: {e}"))?;
    if let Body::KeyRotation(r) = &parsed.body {
        if r.old_key != key {
            bail!("a key rotation not signed by the key it retires");
        }
        let msg = entry::rotation_message(seq, prev, &r.old_key, &r.new_key);
        r.new_key
            .verify(&msg, &base64_decode(&r.new_key_sig)?)
            .map_err(|e| anyhow::anyhow!("the new key's signature on the rotation: {e}"))?;
        if !keys.contains(&r.new_key) {
            keys.push(r.new_key);
        } else {
            // Back to an earlier key: it signs from here on.
            keys.retain(|k| *k != r.new_key);
            keys.push(r.new_key);
        }
    }
    Ok(parsed)
}

fn base64_decode(s: &str) -> Result<Vec<u8>> {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD
        .decode(s)
        .context("a signature is not base64")
}

/// Names a fork or rollback with both checkpoints (the monitor's and the
/// witness's report).
pub fn print_conflict(who: &str, why: &str, kept: &str, seen: &str) {
    println!("CONFLICT: {why}");
    println!("--- the checkpoint the {who} kept:\n{kept}");
    println!("--- the checkpoint the instance serves now:\n{seen}");
}

/// The command: rounds until a conflict (exit 3) or an error (exit 1); with
/// `once`, one round (exit 0 when consistent).
pub async fn run(
    url: &str,
    dir: &Path,
    key: Option<PublicKey>,
    once: bool,
    every: Duration,
) -> Result<std::process::ExitCode> {
    std::fs::create_dir_all(dir).with_context(|| format!("create {}", dir.display()))?;
    let m = Monitor::new(url, dir)?;
    loop {
        match m.round(key).await? {
            Round::Consistent { from, to } => {
                println!("consistent: {from} → {to} entries, every new entry checked");
            }
            Round::Conflict { why, kept, seen } => {
                print_conflict("monitor", &why, &kept, &seen);
                return Ok(std::process::ExitCode::from(3));
            }
        }
        if once {
            return Ok(std::process::ExitCode::SUCCESS);
        }
        tokio::time::sleep(every).await;
    }
}
