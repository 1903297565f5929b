//! An append-only signed log held in memory: the reference producer of entries,
//! checkpoints and bundles. The demo and the test vectors use it directly; the
//! service keeps the same records in its database.

use crate::bundle::Parts;
use crate::checkpoint;
use crate::entry::{self, Body};
use crate::hash::Hash32;
use crate::keys::{PublicKey, SecretKey};
use crate::merkle::MemoryTree;
use crate::types::{DrawId, Province};
use base64::Engine;

/// One signed entry as stored.
#[derive(Clone, Debug)]
pub struct Stored {
    pub bytes: Vec<u8>,
    pub sig: [u8; 64],
    pub hash: Hash32,
    pub draw: Option<DrawId>,
    pub kind: entry::Kind,
    /// The entry's `province` (`None` for a deployment-wide entry, or bytes
    /// that do not say).
    pub province: Option<Province>,
}

pub struct Ledger {
    origin: String,
    key: SecretKey,
    entries: Vec<Stored>,
    tree: MemoryTree,
    /// Whether new entries carry `pprev` (protocol 1.7); off to write a log
    /// as a service before 1.7 did (the old-format vectors).
    pprev: bool,
}

impl Ledger {
    pub fn new(origin: &str, key: SecretKey) -> Ledger {
        assert!(checkpoint::origin_ok(origin), "invalid log origin");
        Ledger {
            origin: origin.to_string(),
            key,
            entries: Vec::new(),
            tree: MemoryTree::default(),
            pprev: true,
        }
    }

    /// Whether the entries appended from now on carry `pprev` (protocol 1.7,
    /// the default). Off, the ledger writes entries as before 1.7.
    pub fn set_pprev(&mut self, on: bool) {
        self.pprev = on;
    }

    /// The entry hash of the last entry of `province`, 64 zeros when it has
    /// none: the `pprev` of its next entry.
    pub fn province_head(&self, province: &Province) -> Hash32 {
        self.entries
            .iter()
            .rev()
            .find(|e| e.province.as_ref() == Some(province))
            .map(|e| e.hash)
            .unwrap_or(Hash32::ZERO)
    }

    pub fn public_key(&self) -> PublicKey {
        self.key.public()
    }

    pub fn entries(&self) -> &[Stored] {
        &self.entries
    }

    pub fn last_hash(&self) -> Hash32 {
        self.entries.last().map(|e| e.hash).unwrap_or(Hash32::ZERO)
    }

    /// Appends an entry signed by the current key; returns its sequence number and
    /// entry hash.
    pub fn append(&mut self, time: u64, province: Option<&Province>, body: Body) -> (u64, Hash32) {
        let seq = self.entries.len() as u64;
        let pprev = match province {
            Some(p) if self.pprev => Some(self.province_head(p)),
            _ => None,
        };
        let bytes = entry::encode(
            seq,
            time,
            province,
            self.last_hash(),
            pprev,
            self.key.public().key_id(),
            &body,
        );
        self.push_signed(bytes, body)
    }

    /// Appends bytes made by the caller (the test vectors use this to build
    /// malformed logs); signs them with the current key.
    pub fn push_raw(&mut self, bytes: Vec<u8>, body: Body) -> (u64, Hash32) {
        self.push_signed(bytes, body)
    }

    fn push_signed(&mut self, bytes: Vec<u8>, body: Body) -> (u64, Hash32) {
        let sig = self.key.sign(&bytes);
        let hash = entry::entry_hash(&bytes);
        self.tree.push(&bytes);
        let province = serde_json::from_slice::<serde_json::Value>(&bytes)
            .ok()
            .and_then(|v| v.get("province").cloned())
            .and_then(|p| serde_json::from_value(p).ok());
        self.entries.push(Stored {
            bytes,
            sig,
            hash,
            draw: body.draw().cloned(),
            kind: body.kind(),
            province,
        });
        (self.entries.len() as u64 - 1, hash)
    }

    /// Replaces the signing key with a rotation entry signed by the old key (the
    /// entry's signature) and by the new one (`new_key_sig`).
    pub fn rotate(&mut self, time: u64, new_key: SecretKey, reason: &str) -> (u64, Hash32) {
        self.rotate_with(time, new_key, reason, |_| {})
    }

    /// [`Ledger::rotate`], with the body changed by `tamper` before it is
    /// signed (the test vectors use this to forge rotations).
    pub fn rotate_with(
        &mut self,
        time: u64,
        new_key: SecretKey,
        reason: &str,
        tamper: impl FnOnce(&mut entry::KeyRotation),
    ) -> (u64, Hash32) {
        let msg = entry::rotation_message(
            self.entries.len() as u64,
            &self.last_hash(),
            &self.key.public(),
            &new_key.public(),
        );
        let mut body = entry::KeyRotation {
            new_key: new_key.public(),
            new_key_id: new_key.public().key_id(),
            new_key_sig: base64::engine::general_purpose::STANDARD.encode(new_key.sign(&msg)),
            old_key: self.key.public(),
            reason: reason.to_string(),
        };
        tamper(&mut body);
        let r = self.append(time, None, Body::KeyRotation(body));
        self.key = new_key;
        r
    }

    pub fn size(&self) -> u64 {
        self.tree.size()
    }

    pub fn root(&self, size: u64) -> Hash32 {
        self.tree.root(size)
    }

    pub fn checkpoint(&self) -> String {
        checkpoint::sign(&self.origin, self.size(), self.root(self.size()), &self.key)
    }

    pub fn inclusion_proof(&self, size: u64, index: u64) -> Vec<Hash32> {
        self.tree.inclusion_proof(size, index)
    }

    pub fn consistency_proof(&self, size: u64, old_size: u64) -> Vec<Hash32> {
        self.tree.consistency_proof(size, old_size)
    }

    /// The bundle of `draw` at the current checkpoint: entries from the draw's
    /// commit to its last entry (protocol 1.7: those of the draw's province,
    /// when every one carries `pprev`; else every entry, in the v1.1 format),
    /// proofs for the draw's own entries, for every key rotation and for the
    /// last entry.
    pub fn bundle(&self, draw: &DrawId, pool: &[Vec<u8>]) -> Vec<u8> {
        self.bundle_with(draw, pool, None, &[], &[])
    }

    /// [`Ledger::bundle`], with a scored round's rubric, sheets and
    /// explanation records (exact bytes).
    pub fn bundle_with(
        &self,
        draw: &DrawId,
        pool: &[Vec<u8>],
        rubric: Option<&[u8]>,
        sheets: &[Vec<u8>],
        explanations: &[Vec<u8>],
    ) -> Vec<u8> {
        let size = self.size();
        let own: Vec<usize> = (0..self.entries.len())
            .filter(|&i| self.entries[i].draw.as_ref() == Some(draw))
            .collect();
        let (mut first, last) = (
            *own.first().expect("draw has entries"),
            *own.last().unwrap(),
        );
        // A supplementary draw's bundle starts at the commit it supplements.
        if let Ok(p) = entry::parse(&self.entries[first].bytes)
            && let entry::Body::Commit(entry::Commit {
                supplements: Some(s),
                ..
            }) = &p.body
            && let Some(i) = self.entries.iter().position(|e| e.hash == s.commit)
        {
            first = i;
        }
        let cp = self.checkpoint();
        let item = |i: usize, with_proof: bool| {
            let e = &self.entries[i];
            let proof = with_proof.then(|| self.inclusion_proof(size, i as u64));
            (e.bytes.as_slice(), e.sig, proof)
        };
        let province = self.entries[own[0]].province.clone();
        let same: Vec<usize> = (first..=last)
            .filter(|&i| province.is_some() && self.entries[i].province == province)
            .collect();
        let format =
            crate::bundle::format_for(same.iter().map(|&i| self.entries[i].bytes.as_slice()));
        let range: Vec<usize> = if format == crate::bundle::FORMAT {
            same
        } else {
            (first..=last).collect()
        };
        let entries = range
            .iter()
            .map(|&i| {
                item(
                    i,
                    own.contains(&i)
                        || self.entries[i].kind == entry::Kind::KeyRotation
                        || i == last,
                )
            })
            .collect();
        let rotations = (0..self.entries.len())
            .filter(|&i| self.entries[i].kind == entry::Kind::KeyRotation)
            .map(|i| item(i, true))
            .collect();
        Parts {
            format,
            checkpoint: &cp,
            draw: draw.as_str(),
            entries,
            key: self.key.public(),
            origin: &self.origin,
            pool: pool.iter().map(|b| b.as_slice()).collect(),
            rotations,
            rubric,
            sheets: sheets.iter().map(|b| b.as_slice()).collect(),
            explanations: explanations.iter().map(|b| b.as_slice()).collect(),
        }
        .write()
    }
}
