//! Tagged SHA-256: every use of the hash has its own ASCII domain tag, so the same
//! bytes are never hashed for two purposes.
//!
//! `H(tag, m) = SHA-256(tag || 0x00 || m)`. Tags are ASCII without NUL, so the
//! NUL separator makes the split between tag and message unambiguous. The RFC 9162
//! Merkle hashes (leaf `0x00`, node `0x01`) are the one exception: they follow the
//! RFC so that standard transparency-log tools can check our proofs.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use sha2::{Digest, Sha256};
use std::fmt;

/// Every domain tag the protocol uses. `docs/PROTOCOL.md` must name each one; a
/// test reads the document and checks.
pub mod tag {
    /// Hash of a log entry's exact bytes; the next entry's `prev` field.
    pub const ENTRY: &str = "fairpanel/v1/entry";
    /// A pool member's per-draw token: a salted commitment to who they are.
    pub const MEMBER: &str = "fairpanel/v1/member";
    /// The prefix of an organisation tag's VRF input (nothing is hashed under
    /// it directly; see `tags::org_input`).
    pub const ORG_TAG: &str = "fairpanel/v1/org-tag";
    /// The prefix of an identity tag's VRF input (see `tags::id_input`).
    pub const ID_TAG: &str = "fairpanel/v1/id-tag";
    /// The operator's commitment to its secret seed share.
    pub const SECRET: &str = "fairpanel/v1/secret";
    /// The draw seed.
    pub const SEED: &str = "fairpanel/v1/seed";
    /// A public key's short identifier.
    pub const KEY_ID: &str = "fairpanel/v1/key-id";
    /// The message a supervisor signs with their own key over a contribution.
    pub const ATTEST: &str = "fairpanel/v1/attest";
    /// The prefix of the message a new key signs to accept a key rotation
    /// (nothing is hashed under it; see `entry::rotation_message`).
    pub const ROTATION: &str = "fairpanel/v1/rotation";
    /// A roster snapshot's hash in a roster-change entry.
    pub const ROSTER: &str = "fairpanel/v1/roster";
    /// A scoring rubric's canonical bytes.
    pub const RUBRIC: &str = "fairpanel/v1/rubric";
    /// A submitted score sheet's exact bytes.
    pub const SHEET: &str = "fairpanel/v1/sheet";
    /// A round's pledge text (UTF-8), in scoring_open and pledge entries.
    pub const PLEDGE: &str = "fairpanel/v1/pledge";

    /// An explanation record's exact bytes (protocol 1.2).
    pub const EXPLANATION: &str = "fairpanel/v1/explanation";
    /// The prefix of the message a scorer's personal key signs over a
    /// sheet_commit (protocol 1.5; nothing is hashed under it, see
    /// `entry::scorer_message`); likewise the next two for a recusal and a
    /// pledge.
    pub const SHEET_SIG: &str = "fairpanel/v1/sheet-sig";
    pub const RECUSAL_SIG: &str = "fairpanel/v1/recusal-sig";
    pub const PLEDGE_SIG: &str = "fairpanel/v1/pledge-sig";
    /// The prefix of the message a supervisor's personal key signs to
    /// approve a key_registration that replaces a lost key (protocol 1.6;
    /// nothing is hashed under it, see `entry::replacement_message`).
    pub const KEY_REPLACE: &str = "fairpanel/v1/key-replace";

    /// All tags, for the documentation test.
    pub const ALL: &[&str] = &[
        ENTRY,
        MEMBER,
        ORG_TAG,
        ID_TAG,
        SECRET,
        SEED,
        KEY_ID,
        ATTEST,
        ROTATION,
        ROSTER,
        RUBRIC,
        SHEET,
        PLEDGE,
        EXPLANATION,
        SHEET_SIG,
        RECUSAL_SIG,
        PLEDGE_SIG,
        KEY_REPLACE,
    ];
}

/// A SHA-256 output, written as 64 lowercase hex digits in every record.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Hash32(pub [u8; 32]);

impl Hash32 {
    pub const ZERO: Hash32 = Hash32([0; 32]);

    pub fn to_hex(&self) -> String {
        hex::encode(self.0)
    }

    /// Parses exactly 64 lowercase hex digits; anything else is refused so that a
    /// record has one spelling only.
    pub fn from_hex(s: &str) -> Result<Self, String> {
        Ok(Hash32(parse_hex_exact::<32>(s)?))
    }
}

/// Parses exactly `2*N` lowercase hex digits.
pub fn parse_hex_exact<const N: usize>(s: &str) -> Result<[u8; N], String> {
    parse_hex_bytes(s.as_bytes())
}

/// Lowercase hex digit values; 0xff marks every other byte.
static NIBBLE: [u8; 256] = {
    let mut t = [0xffu8; 256];
    let mut c = 0;
    while c < 10 {
        t[b'0' as usize + c] = c as u8;
        c += 1;
    }
    let mut c = 0;
    while c < 6 {
        t[b'a' as usize + c] = 10 + c as u8;
        c += 1;
    }
    t
};

/// [`parse_hex_exact`] over bytes: one pass, no allocation (a verifier parses
/// hundreds of thousands of these per bundle).
pub fn parse_hex_bytes<const N: usize>(b: &[u8]) -> Result<[u8; N], String> {
    if b.len() != 2 * N {
        return Err(format!("expected {} hex digits, found {}", 2 * N, b.len()));
    }
    let mut out = [0u8; N];
    let mut bad = 0u8;
    for (o, pair) in out.iter_mut().zip(b.chunks_exact(2)) {
        let (hi, lo) = (NIBBLE[pair[0] as usize], NIBBLE[pair[1] as usize]);
        bad |= hi | lo;
        *o = (hi << 4) | (lo & 0x0f);
    }
    if bad > 0x0f {
        return Err("expected lowercase hex digits".into());
    }
    Ok(out)
}

impl fmt::Debug for Hash32 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.to_hex())
    }
}

impl fmt::Display for Hash32 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.to_hex())
    }
}

impl Serialize for Hash32 {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_hex())
    }
}

impl<'de> Deserialize<'de> for Hash32 {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        Hash32::from_hex(&s).map_err(serde::de::Error::custom)
    }
}

/// `H(tag, parts[0] || parts[1] || ...)`.
pub fn tagged(tag: &str, parts: &[&[u8]]) -> Hash32 {
    debug_assert!(!tag.as_bytes().contains(&0));
    let mut h = Sha256::new();
    h.update(tag.as_bytes());
    h.update([0u8]);
    for p in parts {
        h.update(p);
    }
    Hash32(h.finalize().into())
}

/// Plain SHA-256, for the places where a standard fixes it (drand randomness,
/// the benchmark floor).
pub fn sha256(data: &[u8]) -> Hash32 {
    Hash32(Sha256::digest(data).into())
}

/// A length-prefixed field: 4-byte big-endian length, then the bytes. Used where a
/// hash input holds variable-length strings.
pub fn lp(out: &mut Vec<u8>, field: &[u8]) {
    out.extend_from_slice(&(field.len() as u32).to_be_bytes());
    out.extend_from_slice(field);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tagged_hash_separates_tag_from_message() {
        // "ab" + "c" and "a" + "bc" must differ: the NUL separator does that.
        assert_ne!(tagged("ab", &[b"c"]), tagged("a", &[b"bc"]));
    }

    #[test]
    fn tagged_hash_matches_its_definition() {
        let mut m = b"fairpanel/v1/seed".to_vec();
        m.push(0);
        m.extend_from_slice(b"xyz");
        assert_eq!(tagged(tag::SEED, &[b"x", b"yz"]), sha256(&m));
    }

    #[test]
    fn hex_parsing_refuses_uppercase_and_wrong_length() {
        let ok = "00".repeat(32);
        assert!(Hash32::from_hex(&ok).is_ok());
        assert!(Hash32::from_hex(&"AA".repeat(32)).is_err());
        assert!(Hash32::from_hex(&"00".repeat(31)).is_err());
        assert!(Hash32::from_hex(&"0g".repeat(32)).is_err());
    }

    #[test]
    fn all_tags_are_distinct() {
        let mut v = tag::ALL.to_vec();
        v.sort();
        v.dedup();
        assert_eq!(v.len(), tag::ALL.len());
    }
}
