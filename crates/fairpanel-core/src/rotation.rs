//! The chain of signing keys: key-rotation entries, each signed by both keys,
//! and the window of sequence numbers in which each key may sign.
//!
//! Trust never comes from a rotation entry alone. A verifier starts from a key
//! it trusts (pinned) and a rotation passes trust on only through a signature
//! by a key already trusted: forward through the old key's signature of the
//! rotation entry, backward through the new key's co-signature
//! (`new_key_sig`), which fixes the rotation's place in the log (`seq` and
//! `prev`). Someone who can write the log but holds neither key cannot make a
//! rotation to or from a trusted key. `fairpanel verify` and `fairpanel audit`
//! both use [`chain`].

use crate::entry::{self, KeyRotation};
use crate::hash::Hash32;
use crate::keys::{KeyId, PublicKey};
use base64::Engine;

/// One rotation entry, as read from the log or a bundle.
pub struct Rotation<'a> {
    pub seq: u64,
    pub prev: Hash32,
    pub signer: KeyId,
    pub body: &'a KeyRotation,
}

/// A key and the entries it may sign: `seq > after` (no bound for the first
/// key) and `seq <= until` (no bound for the current key).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Window {
    pub key: PublicKey,
    pub after: Option<u64>,
    pub until: Option<u64>,
}

/// The keys of a log, oldest first; the last is the current key.
#[derive(Clone, Debug)]
pub struct Chain(pub Vec<Window>);

impl Chain {
    /// The key that may sign entry `seq` under key id `signer`, or why not.
    pub fn signer(&self, signer: &KeyId, seq: u64) -> Result<&PublicKey, String> {
        let w = self
            .0
            .iter()
            .find(|w| &w.key.key_id() == signer)
            .ok_or_else(|| format!("entry seq {seq}: signed by unknown key {signer}"))?;
        if let Some(r) = w.until
            && seq > r
        {
            return Err(format!(
                "entry seq {seq}: signed by key {signer}, retired at seq {r}"
            ));
        }
        if let Some(a) = w.after
            && seq <= a
        {
            return Err(format!(
                "entry seq {seq}: signed by key {signer}, which only signs after its rotation at seq {a}"
            ));
        }
        Ok(&w.key)
    }

    pub fn current(&self) -> &PublicKey {
        &self.0.last().expect("a chain has a key").key
    }

    pub fn contains(&self, key: &PublicKey) -> bool {
        self.0.iter().any(|w| &w.key == key)
    }

    pub fn ids(&self) -> String {
        self.0
            .iter()
            .map(|w| w.key.key_id().to_string())
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// Checks the rotations (in log order) and builds the chain that ends at
/// `current`. Each rotation must name its signer's key as `old_key`, continue
/// the previous one, come later in the log, never bring back a retired key,
/// and carry a valid co-signature by its new key over [`entry::rotation_message`].
/// The old key's signature of the entry itself is checked with every other
/// entry's, through [`Chain::signer`].
pub fn chain(rotations: &[Rotation], current: &PublicKey) -> Result<Chain, String> {
    let mut windows: Vec<Window> = Vec::new();
    let mut last_seq: Option<u64> = None;
    for r in rotations {
        let (seq, b) = (r.seq, r.body);
        if b.new_key.key_id() != b.new_key_id || r.signer != b.old_key.key_id() {
            return Err(format!(
                "rotation at seq {seq}: key ids do not match the keys"
            ));
        }
        if let Some(prev) = windows.last()
            && prev.key != b.old_key
        {
            return Err(format!(
                "rotation at seq {seq} does not continue the previous one"
            ));
        }
        if last_seq.is_some_and(|s| seq <= s) {
            return Err(format!("rotation at seq {seq} is out of order"));
        }
        if b.new_key == b.old_key || windows.iter().any(|w| w.key == b.new_key) {
            return Err(format!("rotation at seq {seq} brings back a retired key"));
        }
        let sig = base64::engine::general_purpose::STANDARD
            .decode(&b.new_key_sig)
            .map_err(|_| format!("rotation at seq {seq}: new_key_sig is not base64"))?;
        b.new_key
            .verify(
                &entry::rotation_message(seq, &r.prev, &b.old_key, &b.new_key),
                &sig,
            )
            .map_err(|m| {
                format!(
                    "rotation at seq {seq} is not signed by its new key {}: {m}",
                    b.new_key_id
                )
            })?;
        match windows.last_mut() {
            Some(w) => w.until = Some(seq),
            None => windows.push(Window {
                key: b.old_key,
                after: None,
                until: Some(seq),
            }),
        }
        windows.push(Window {
            key: b.new_key,
            after: Some(seq),
            until: None,
        });
        last_seq = Some(seq);
    }
    match windows.last() {
        Some(w) if &w.key != current => {
            return Err(format!(
                "the last key rotation leads to key {}, not to the current key {}",
                w.key.key_id(),
                current.key_id()
            ));
        }
        Some(_) => {}
        None => windows.push(Window {
            key: *current,
            after: None,
            until: None,
        }),
    }
    Ok(Chain(windows))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::keys::SecretKey;

    fn rot(
        seq: u64,
        prev: Hash32,
        old: &SecretKey,
        new: &SecretKey,
        cosigner: &SecretKey,
    ) -> KeyRotation {
        let msg = entry::rotation_message(seq, &prev, &old.public(), &new.public());
        KeyRotation {
            new_key: new.public(),
            new_key_id: new.public().key_id(),
            new_key_sig: base64::engine::general_purpose::STANDARD.encode(cosigner.sign(&msg)),
            old_key: old.public(),
            reason: "test".into(),
        }
    }

    #[test]
    fn a_rotation_needs_the_new_keys_signature() {
        let (a, b, x) = (
            SecretKey::from_seed(&[1; 32]),
            SecretKey::from_seed(&[2; 32]),
            SecretKey::from_seed(&[3; 32]),
        );
        let prev = Hash32([7; 32]);
        let good = rot(5, prev, &a, &b, &b);
        let r = [Rotation {
            seq: 5,
            prev,
            signer: a.public().key_id(),
            body: &good,
        }];
        let c = chain(&r, &b.public()).unwrap();
        assert_eq!(c.0.len(), 2);
        assert!(c.signer(&a.public().key_id(), 5).is_ok());
        assert!(
            c.signer(&a.public().key_id(), 6)
                .unwrap_err()
                .contains("retired")
        );
        assert!(
            c.signer(&b.public().key_id(), 5)
                .unwrap_err()
                .contains("only signs after")
        );
        assert!(c.signer(&b.public().key_id(), 6).is_ok());
        // The forged rotation of the attack: the attacker's key hands over to the
        // real key, co-signed by the attacker (it cannot sign with the real key).
        let forged = rot(5, prev, &x, &b, &x);
        let r = [Rotation {
            seq: 5,
            prev,
            signer: x.public().key_id(),
            body: &forged,
        }];
        assert!(
            chain(&r, &b.public())
                .unwrap_err()
                .contains("not signed by its new key")
        );
        // A genuine co-signature moved to another place in the log fails too.
        let r = [Rotation {
            seq: 6,
            prev,
            signer: a.public().key_id(),
            body: &good,
        }];
        assert!(
            chain(&r, &b.public())
                .unwrap_err()
                .contains("not signed by its new key")
        );
        let r = [Rotation {
            seq: 5,
            prev,
            signer: a.public().key_id(),
            body: &good,
        }];
        assert!(
            chain(&r, &x.public())
                .unwrap_err()
                .contains("not to the current key")
        );
    }
}
