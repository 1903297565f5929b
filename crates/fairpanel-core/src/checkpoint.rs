//! Checkpoints in the C2SP `tlog-checkpoint` format, signed as C2SP signed notes,
//! so that existing transparency-log tools read them. Formatting and parsing come
//! from `tlog_tiles` and `signed_note`; the signature itself is ours (Ed25519 with
//! `verify_strict`), plugged into `signed_note`'s `Signer`/`Verifier` traits.
//!
//! ```text
//! <origin>\n<tree size>\n<base64 root hash>\n\n— <origin> <base64(key hash || signature)>\n
//! ```
//! The key hash is the first 4 bytes of `SHA-256(origin || 0x0A || 0x01 || public key)`.

use crate::hash::Hash32;
use crate::keys::{PublicKey, SecretKey};
use base64::Engine;
use signed_note::{Note, VerifierList};

/// A checkpoint's content once its signature has been checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Checkpoint {
    pub origin: String,
    pub size: u64,
    pub root: Hash32,
}

fn note_key_id(origin: &str, key: &PublicKey) -> u32 {
    let mut k = vec![0x01];
    k.extend_from_slice(&key.to_bytes());
    signed_note::key_id(origin, &k)
}

struct NoteSigner<'a> {
    origin: &'a str,
    key: &'a SecretKey,
}

impl signed_note::Signer for NoteSigner<'_> {
    fn name(&self) -> &str {
        self.origin
    }
    fn key_id(&self) -> u32 {
        note_key_id(self.origin, &self.key.public())
    }
    fn sign(&self, msg: &[u8]) -> Result<Vec<u8>, signature::Error> {
        Ok(self.key.sign(msg).to_vec())
    }
}

struct NoteVerifier {
    origin: String,
    key: PublicKey,
}

impl signed_note::Verifier for NoteVerifier {
    fn name(&self) -> &str {
        &self.origin
    }
    fn key_id(&self) -> u32 {
        note_key_id(&self.origin, &self.key)
    }
    fn verify(&self, msg: &[u8], sig: &[u8]) -> bool {
        self.key.verify(msg, sig).is_ok()
    }
}

/// Whether `origin` may name a log: non-empty, no white space, no `+`.
pub fn origin_ok(origin: &str) -> bool {
    signed_note::is_key_name_valid(origin)
}

/// The signed checkpoint text for a tree of `size` leaves with `root`.
pub fn sign(origin: &str, size: u64, root: Hash32, key: &SecretKey) -> String {
    assert!(origin_ok(origin), "origin must be a valid note name");
    let body = tlog_tiles::Checkpoint::new(origin, size, tlog_tiles::Hash(root.0), "")
        .expect("a valid origin makes a valid checkpoint");
    let mut note = Note::new(&body.to_bytes(), &[]).expect("checkpoint text is a valid note");
    note.add_sigs(&[&NoteSigner { origin, key }])
        .expect("Ed25519 signing cannot fail");
    String::from_utf8(note.to_bytes()).expect("notes are UTF-8")
}

/// Parses a signed checkpoint and checks the signature of `key` under the
/// checkpoint's own origin (which must equal `origin` when one is expected).
pub fn verify(text: &str, key: &PublicKey, origin: Option<&str>) -> Result<Checkpoint, String> {
    let note = Note::from_bytes(text.as_bytes()).map_err(|e| format!("not a signed note: {e}"))?;
    let body = tlog_tiles::Checkpoint::from_bytes(note.text())
        .map_err(|_| "not a C2SP checkpoint".to_string())?;
    if let Some(o) = origin
        && body.origin() != o
    {
        return Err(format!(
            "checkpoint origin is {:?}, expected {o:?}",
            body.origin()
        ));
    }
    let verifiers = VerifierList::new(vec![Box::new(NoteVerifier {
        origin: body.origin().to_string(),
        key: *key,
    })]);
    note.verify(&verifiers)
        .map_err(|e| format!("checkpoint signature: {e}"))?;
    // Every line of the log's name and key hash must verify, wherever it stands
    // (the note library checks only the first such line): a bad one makes the
    // checkpoint invalid, so the result never depends on line order.
    let want = note_key_id(body.origin(), key);
    let sigs = text.split_once("\n\n").map(|(_, s)| s).unwrap_or_default();
    for line in sigs.lines() {
        let Some((name, b64)) = line
            .strip_prefix("\u{2014} ")
            .and_then(|l| l.rsplit_once(' '))
        else {
            continue;
        };
        let Ok(raw) = base64::engine::general_purpose::STANDARD.decode(b64) else {
            continue;
        };
        if name != body.origin() || raw.len() < 4 || raw[..4] != want.to_be_bytes() {
            continue;
        }
        if key.verify(note.text(), &raw[4..]).is_err() {
            return Err(
                "checkpoint signature: a signature line of the log's name and key does not verify (every such line must)"
                    .to_string(),
            );
        }
    }
    Ok(Checkpoint {
        origin: body.origin().to_string(),
        size: body.size(),
        root: Hash32(body.hash().0),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checkpoints_round_trip_and_tampering_is_refused() {
        let k = SecretKey::from_seed(&[4; 32]);
        let root = Hash32([9; 32]);
        let text = sign("fairpanel.example/log", 12, root, &k);
        assert!(text.starts_with("fairpanel.example/log\n12\n"));
        let cp = verify(&text, &k.public(), Some("fairpanel.example/log")).unwrap();
        assert_eq!((cp.size, cp.root), (12, root));

        let other = SecretKey::from_seed(&[5; 32]);
        assert!(verify(&text, &other.public(), None).is_err());
        assert!(verify(&text.replacen("\n12\n", "\n13\n", 1), &k.public(), None).is_err());
        assert!(verify(&text, &k.public(), Some("elsewhere")).is_err());
        assert!(verify("hello", &k.public(), None).is_err());

        // A bad line of the same name and key hash fails before or after a
        // valid one: the result does not depend on line order.
        let line = text.lines().last().unwrap();
        let mut bad = line.to_string();
        let i = bad.len() - 10;
        let c = if &bad[i..i + 1] == "A" { "B" } else { "A" };
        bad.replace_range(i..i + 1, c);
        let after = format!("{text}{bad}\n");
        let before = text.replacen(line, &format!("{bad}\n{line}"), 1);
        for t in [&after, &before] {
            let e = verify(t, &k.public(), None).unwrap_err();
            assert!(e.contains("signature"), "{e}");
        }
    }
}
