//! The eligible pool as committed: one leaf per member, holding only what the
//! constraints need, and the salted commitments that the disclosure opens.
//!
//! A leaf is the JCS object `{"org":<org tag>,"spec":<specialty>,"token":<token>}`.
//! The pool is the list of leaves sorted by token (bytewise, strictly increasing);
//! its root is the RFC 9162 Merkle root over the leaves' exact bytes.

use crate::hash::{Hash32, lp, tag, tagged};
use crate::merkle;
use crate::types::{OrgTag, Specialty, Token};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PoolLeaf {
    pub org: OrgTag,
    pub spec: Specialty,
    pub token: Token,
}

/// Who a token stands for; opened by a disclosure.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Identity<'a> {
    /// The expert's stable id in the province's pool.
    pub expert: &'a str,
    pub name: &'a str,
    /// The organisation's id (unified social credit code where known).
    pub org: &'a str,
}

/// `token = H(member, salt || lp(expert) || lp(name) || lp(org))`.
pub fn member_token(salt: &[u8; 32], id: &Identity) -> Token {
    let mut m = Vec::with_capacity(32 + 12 + id.expert.len() + id.name.len() + id.org.len());
    m.extend_from_slice(salt);
    lp(&mut m, id.expert.as_bytes());
    lp(&mut m, id.name.as_bytes());
    lp(&mut m, id.org.as_bytes());
    Token(tagged(tag::MEMBER, &[&m]))
}

/// `org tag = first 16 bytes of H(org, org_salt || lp(org))`. The salt is per draw
/// and per organisation, so tags of different draws cannot be linked and opening
/// one organisation's tag says nothing of another's.
pub fn org_tag(org_salt: &[u8; 32], org: &str) -> OrgTag {
    let mut m = Vec::with_capacity(36 + org.len());
    m.extend_from_slice(org_salt);
    lp(&mut m, org.as_bytes());
    let h = tagged(tag::ORG, &[&m]);
    let mut t = [0u8; 16];
    t.copy_from_slice(&h.0[..16]);
    OrgTag(t)
}

/// Parses one leaf from its exact bytes, refusing any non-canonical spelling.
pub fn parse_leaf(bytes: &[u8]) -> Result<PoolLeaf, String> {
    let leaf: PoolLeaf = serde_json::from_slice(bytes).map_err(|e| format!("not a pool leaf: {e}"))?;
    // Every field of a leaf is a restricted ASCII string, so its canonical form is
    // fixed by its fields; re-encoding the typed leaf and comparing is the
    // canonical-form check (and is much faster than a generic one over 10^5 leaves).
    if crate::jcs::encode(&leaf) != bytes {
        return Err("pool leaf is not canonical JSON (RFC 8785)".into());
    }
    Ok(leaf)
}

/// The pool root over leaves' exact bytes, in order.
pub fn root<'a>(leaves: impl IntoIterator<Item = &'a [u8]>) -> Hash32 {
    merkle::root_of_leaf_hashes(leaves.into_iter().map(merkle::leaf_hash))
}

/// Checks that leaves are sorted by token with no repeats; names the first that is not.
pub fn check_order(leaves: &[PoolLeaf]) -> Result<(), String> {
    for (i, w) in leaves.windows(2).enumerate() {
        if w[0].token >= w[1].token {
            return Err(format!(
                "pool leaf {} is not after leaf {} in token order (leaves must be sorted, without repeats)",
                i + 1,
                i
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn leaf(t: u8) -> PoolLeaf {
        PoolLeaf {
            org: OrgTag([t; 16]),
            spec: Specialty::try_from("nursing").unwrap(),
            token: Token(Hash32([t; 32])),
        }
    }

    #[test]
    fn leaves_round_trip_and_odd_spellings_are_refused() {
        let b = crate::jcs::encode(&leaf(1));
        assert_eq!(parse_leaf(&b).unwrap(), leaf(1));
        let spaced = String::from_utf8(b.clone()).unwrap().replace(":", ": ");
        assert!(parse_leaf(spaced.as_bytes()).is_err());
        let extra = String::from_utf8(b).unwrap().replace("{", "{\"x\":1,");
        assert!(parse_leaf(extra.as_bytes()).is_err());
    }

    #[test]
    fn tokens_bind_every_identity_field() {
        let s = [1; 32];
        let a = member_token(&s, &Identity { expert: "e1", name: "张三", org: "o" });
        assert_ne!(a, member_token(&s, &Identity { expert: "e1", name: "张四", org: "o" }));
        assert_ne!(a, member_token(&s, &Identity { expert: "e", name: "1张三", org: "o" }));
        assert_ne!(a, member_token(&[2; 32], &Identity { expert: "e1", name: "张三", org: "o" }));
        assert_eq!(org_tag(&s, "org"), org_tag(&s, "org"));
        assert_ne!(org_tag(&s, "org"), org_tag(&[3; 32], "org"));
    }

    #[test]
    fn order_check_refuses_repeats_and_disorder() {
        assert!(check_order(&[leaf(1), leaf(2)]).is_ok());
        assert!(check_order(&[leaf(2), leaf(1)]).is_err());
        assert!(check_order(&[leaf(1), leaf(1)]).is_err());
    }
}
