//! The eligible pool as committed: one leaf per member, holding only what the
//! constraints need, and the salted commitments that the disclosure opens.
//!
//! A leaf is the JCS object
//! `{"id":<identity tag>,"org":<org tag>,"spec":<specialty>,"token":<token>}`.
//! The pool is the list of leaves sorted by token (bytewise, strictly increasing);
//! its root is the RFC 9162 Merkle root over the leaves' exact bytes.

use crate::hash::{Hash32, lp, tag, tagged};
use crate::merkle;
use crate::par::on_every_core;
use crate::types::{IdTag, OrgTag, Specialty, Token};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PoolLeaf {
    pub id: IdTag,
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
    /// The organisation's name as the roster spells it.
    pub org: &'a str,
    /// The organisation's unified social credit code; empty when unknown.
    pub code: &'a str,
}

impl Identity<'_> {
    /// The organisation key the cap and avoidance compare ([`crate::tags::org_key`]).
    pub fn org_key(&self) -> String {
        crate::tags::org_key(self.code, self.org)
    }
}

/// `token = H(member, salt || lp(expert) || lp(name) || lp(org) || lp(code))`.
pub fn member_token(salt: &[u8; 32], id: &Identity) -> Token {
    let mut m = Vec::with_capacity(
        32 + 16 + id.expert.len() + id.name.len() + id.org.len() + id.code.len(),
    );
    m.extend_from_slice(salt);
    lp(&mut m, id.expert.as_bytes());
    lp(&mut m, id.name.as_bytes());
    lp(&mut m, id.org.as_bytes());
    lp(&mut m, id.code.as_bytes());
    Token(tagged(tag::MEMBER, &[&m]))
}

/// A leaf's canonical bytes, written directly:
/// `{"id":"<32 hex>","org":"<32 hex>","spec":"<code>","token":"<64 hex>"}`.
/// The same bytes as `jcs::encode(leaf)` (the fields are already in JCS order
/// and a specialty code needs no escaping; a test holds them equal), at a
/// fraction of the cost for pools of 100,000 members.
pub fn encode_leaf(leaf: &PoolLeaf) -> Vec<u8> {
    let mut b = Vec::with_capacity(48 + 32 + 32 + 64 + leaf.spec.as_str().len());
    b.extend_from_slice(b"{\"id\":\"");
    b.extend_from_slice(hex::encode(leaf.id.0).as_bytes());
    b.extend_from_slice(b"\",\"org\":\"");
    b.extend_from_slice(hex::encode(leaf.org.0).as_bytes());
    b.extend_from_slice(b"\",\"spec\":\"");
    b.extend_from_slice(leaf.spec.as_str().as_bytes());
    b.extend_from_slice(b"\",\"token\":\"");
    b.extend_from_slice(hex::encode(leaf.token.0.0).as_bytes());
    b.extend_from_slice(b"\"}");
    b
}

/// Parses one leaf from its exact bytes, refusing any non-canonical spelling.
///
/// A leaf's fields are two 32-digit hex strings, a code of `a-z 0-9 _` and a
/// 64-digit hex string, none of which JCS escapes, so the canonical bytes of a leaf
/// are exactly `{"id":"<32 hex>","org":"<32 hex>","spec":"<code>","token":"<64 hex>"}` and nothing
/// else. This matcher accepts that shape only, byte for byte, without allocating
/// per field: a verifier reads 10^5 leaves per draw. (A test checks that it
/// agrees with the generic JCS check on every leaf and on mutated ones.)
pub fn parse_leaf(bytes: &[u8]) -> Result<PoolLeaf, String> {
    fn lit<'a>(rest: &'a [u8], want: &[u8]) -> Result<&'a [u8], String> {
        rest.strip_prefix(want).ok_or_else(|| {
            "pool leaf is not canonical JSON (RFC 8785) of {id, org, spec, token}".to_string()
        })
    }
    fn hex_field<const N: usize>(rest: &[u8]) -> Result<([u8; N], &[u8]), String> {
        if rest.len() < 2 * N {
            return Err("pool leaf is cut short".into());
        }
        let v = crate::hash::parse_hex_bytes::<N>(&rest[..2 * N])
            .map_err(|e| format!("pool leaf: {e}"))?;
        Ok((v, &rest[2 * N..]))
    }
    let rest = lit(bytes, b"{\"id\":\"")?;
    let (id, rest) = hex_field::<16>(rest)?;
    let rest = lit(rest, b"\",\"org\":\"")?;
    let (org, rest) = hex_field::<16>(rest)?;
    let rest = lit(rest, b"\",\"spec\":\"")?;
    let end = rest
        .iter()
        .position(|&b| b == b'"')
        .ok_or_else(|| "pool leaf is cut short".to_string())?;
    let spec =
        std::str::from_utf8(&rest[..end]).map_err(|_| "pool leaf is not UTF-8".to_string())?;
    let spec = Specialty::try_from(spec).map_err(|e| format!("pool leaf: {e}"))?;
    let rest = lit(&rest[end..], b"\",\"token\":\"")?;
    let (token, rest) = hex_field::<32>(rest)?;
    if rest != b"\"}" {
        return Err("pool leaf is not canonical JSON (RFC 8785) of {id, org, spec, token}".into());
    }
    Ok(PoolLeaf {
        id: IdTag(id),
        org: OrgTag(org),
        spec,
        token: Token(Hash32(token)),
    })
}

/// [`parse_leaf`] of every item (its bytes given by `bytes`), in order, on
/// every core; the first leaf that does not parse is named by its index.
pub fn parse_leaves<T: Sync>(
    items: &[T],
    bytes: impl Fn(&T) -> &[u8] + Sync,
) -> Result<Vec<PoolLeaf>, (usize, String)> {
    on_every_core(items, 4096, |part| {
        part.iter().map(|x| parse_leaf(bytes(x))).collect()
    })
    .into_iter()
    .enumerate()
    .map(|(i, r)| r.map_err(|m| (i, m)))
    .collect()
}

/// The pool root over leaves' exact bytes, in order.
pub fn root<'a>(leaves: impl IntoIterator<Item = &'a [u8]>) -> Hash32 {
    merkle::root_of_leaf_hashes(leaves.into_iter().map(merkle::leaf_hash))
}

/// [`root`] of `leaves` (each one's bytes given by `bytes`), on every core.
/// The leaves are cut into runs whose length is one power of two (the last
/// run may be shorter); every split of RFC 9162's tree over `n` leaves falls
/// between two runs (the left part of a split holds the largest power of two
/// below `n`, a multiple of the run's length), so the tree over the runs'
/// roots, taken as leaf hashes, is the tree over the leaves.
pub fn root_of<T: Sync>(leaves: &[T], bytes: impl Fn(&T) -> &[u8] + Sync) -> Hash32 {
    let mut run = 1024usize;
    while leaves.len() / run > 64 {
        run *= 2;
    }
    let runs: Vec<&[T]> = leaves.chunks(run).collect();
    let roots = on_every_core(&runs, 2, |part| {
        part.iter().map(|r| root(r.iter().map(&bytes))).collect()
    });
    merkle::root_of_leaf_hashes(roots)
}

/// Checks that no identity tag repeats: one expert id, one leaf. Names two leaves
/// that share a tag.
pub fn check_identities(leaves: &[PoolLeaf]) -> Result<(), String> {
    let mut ids: Vec<(IdTag, usize)> = leaves.iter().enumerate().map(|(i, l)| (l.id, i)).collect();
    ids.sort_unstable();
    for w in ids.windows(2) {
        if w[0].0 == w[1].0 {
            return Err(format!(
                "pool leaves {} and {} have one identity tag {}: one expert holds two leaves",
                w[0].1,
                w[1].1,
                hex::encode(w[0].0.0)
            ));
        }
    }
    Ok(())
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
            id: IdTag([t ^ 0x55; 16]),
            org: OrgTag([t; 16]),
            spec: Specialty::try_from("nursing").unwrap(),
            token: Token(Hash32([t; 32])),
        }
    }

    /// The root on every core is the one-pass root at every size near a
    /// split: below one run, at and around run and power-of-two boundaries,
    /// and where the run length doubles (above 64 runs of 1,024).
    #[test]
    fn the_root_on_every_core_is_the_root() {
        let all: Vec<Vec<u8>> = (0..140_000u32).map(|i| i.to_be_bytes().to_vec()).collect();
        for n in [
            0, 1, 2, 3, 1023, 1024, 1025, 2047, 2048, 2049, 4095, 4096, 4097, 65_535, 65_536,
            65_537, 66_560, 66_561, 99_999, 131_072, 131_073, 140_000,
        ] {
            let l = &all[..n];
            assert_eq!(
                root_of(l, |b| b.as_slice()),
                root(l.iter().map(|b| b.as_slice())),
                "{n} leaves"
            );
        }
    }

    /// Parsing on every core gives the leaves in order, and names the first
    /// bad leaf by its index even when it lies in a later core's part.
    #[test]
    fn leaves_parsed_on_every_core_keep_their_order_and_name_the_first_bad_one() {
        let mut all: Vec<Vec<u8>> = (0..10_000u32)
            .map(|i| crate::jcs::encode(&leaf((i % 251) as u8)))
            .collect();
        let parsed = parse_leaves(&all, |b| b.as_slice()).unwrap();
        assert_eq!(parsed.len(), all.len());
        for (i, l) in parsed.iter().enumerate() {
            assert_eq!(*l, leaf((i % 251) as u8), "leaf {i}");
        }
        all[9_000] = b"{}".to_vec();
        all[7_001].push(b' ');
        let (i, m) = parse_leaves(&all, |b| b.as_slice()).unwrap_err();
        assert_eq!(i, 7_001, "{m}");
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
        let a = member_token(
            &s,
            &Identity {
                expert: "e1",
                name: "张三",
                org: "o",
                code: "",
            },
        );
        assert_ne!(
            a,
            member_token(
                &s,
                &Identity {
                    expert: "e1",
                    name: "张四",
                    org: "o",
                    code: "",
                }
            )
        );
        assert_ne!(
            a,
            member_token(
                &s,
                &Identity {
                    expert: "e",
                    name: "1张三",
                    org: "o",
                    code: "",
                }
            )
        );
        assert_ne!(
            a,
            member_token(
                &[2; 32],
                &Identity {
                    expert: "e1",
                    name: "张三",
                    org: "o",
                    code: "",
                }
            )
        );
        assert_ne!(
            a,
            member_token(
                &s,
                &Identity {
                    expert: "e1",
                    name: "张三",
                    org: "o",
                    code: "1",
                }
            )
        );
    }

    #[test]
    fn the_leaf_matcher_agrees_with_the_generic_canonical_check() {
        let b = crate::jcs::encode(&leaf(7));
        assert!(crate::jcs::check_canonical(&b).is_ok());
        assert_eq!(parse_leaf(&b).unwrap(), leaf(7));
        // Every single-byte change and every truncation: the matcher accepts only
        // what the generic check plus the schema accepts.
        for i in 0..b.len() {
            for x in [0x01u8, 0x20, 0x80] {
                let mut m = b.clone();
                m[i] ^= x;
                let generic = crate::jcs::parse::<PoolLeaf>(&m);
                assert_eq!(
                    parse_leaf(&m).is_ok(),
                    generic.is_ok(),
                    "byte {i} ^ {x:#x}: {:?}",
                    String::from_utf8_lossy(&m)
                );
                if let (Ok(a), Ok(g)) = (parse_leaf(&m), generic) {
                    assert_eq!(a, g);
                }
            }
            assert!(parse_leaf(&b[..i]).is_err());
        }
    }

    #[test]
    fn the_identity_check_refuses_a_repeated_tag() {
        assert!(check_identities(&[leaf(1), leaf(2)]).is_ok());
        let mut twin = leaf(2);
        twin.id = leaf(1).id;
        let e = check_identities(&[leaf(1), twin]).unwrap_err();
        assert!(e.contains("leaves 0 and 1"), "{e}");
    }

    #[test]
    fn order_check_refuses_repeats_and_disorder() {
        assert!(check_order(&[leaf(1), leaf(2)]).is_ok());
        assert!(check_order(&[leaf(2), leaf(1)]).is_err());
        assert!(check_order(&[leaf(1), leaf(1)]).is_err());
    }

    #[test]
    fn the_direct_leaf_encoding_is_jcs() {
        for n in 0..50u8 {
            let l = leaf(n);
            assert_eq!(encode_leaf(&l), crate::jcs::encode(&l));
        }
        let mut l = leaf(3);
        l.spec = Specialty::try_from("strategic_emerging_2").unwrap();
        assert_eq!(encode_leaf(&l), crate::jcs::encode(&l));
    }
}
