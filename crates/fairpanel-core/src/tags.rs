//! The per-draw tags of a pool leaf, and the one organisation normalisation.
//!
//! Every draw has its own tag key pair for the ECVRF-RISTRETTO255-SHA512
//! ciphersuite of RFC 9381 (c2sp.org/vrf-r255). The commit publishes the public
//! key; the secret key never leaves the operator. A leaf carries
//!
//! - an **organisation tag**: the first 16 bytes of the VRF output on
//!   `"fairpanel/v1/org-tag" || 0x00 || lp(draw) || lp(org key)`, so members whose
//!   organisations normalise to one key get one tag;
//! - an **identity tag**: the first 16 bytes of the VRF output on
//!   `"fairpanel/v1/id-tag" || 0x00 || lp(draw) || lp(expert id)`, so one expert id
//!   has one tag, and a pool with a repeated identity tag holds someone twice.
//!
//! A disclosure carries, for each opened member, the VRF proofs of both tags;
//! anyone checks them against the commit's key and the opened identity. The VRF's
//! uniqueness means no key can make two outputs for one input: a disclosed
//! member's tags are the only ones their identity can have in that draw.

use crate::hash::{lp, tag};
use curve25519_dalek::ristretto::RistrettoPoint;
use curve25519_dalek::scalar::Scalar;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use sha2::{Digest, Sha512};
use std::fmt;

/// The ciphersuite's `suite_string` (c2sp.org/vrf-r255).
const SUITE_STRING: &[u8] = b"\xFFc2sp.org/vrf-r255";

/// Length of an encoded proof: `Gamma (32) || c (16) || s (32)`.
pub const PROOF_LEN: usize = 80;

/// An organisation name as compared: every Unicode white-space character
/// removed, the full-width forms U+FF01–U+FF5E mapped to ASCII U+0021–U+007E
/// (so `（` is `(`), then ASCII letters lower-cased.
pub fn normalise_name(name: &str) -> String {
    name.chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => {
                char::from_u32(c as u32 - 0xFEE0).expect("U+0021..U+007E are characters")
            }
            c => c,
        })
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// A unified social credit code as compared: white space removed, ASCII letters
/// upper-cased.
pub fn normalise_code(code: &str) -> String {
    code.chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

/// The organisation key: `"uscc:" || normalise_code(code)` when the credit code is
/// known (non-empty once normalised), else `"name:" || normalise_name(name)`.
/// Avoidance, the organisation cap and the verifier all use this one rule.
pub fn org_key(code: &str, name: &str) -> String {
    let c = normalise_code(code);
    if c.is_empty() {
        format!("name:{}", normalise_name(name))
    } else {
        format!("uscc:{c}")
    }
}

fn input(tag: &str, draw: &str, value: &str) -> Vec<u8> {
    let mut m = Vec::with_capacity(tag.len() + 9 + draw.len() + value.len());
    m.extend_from_slice(tag.as_bytes());
    m.push(0);
    lp(&mut m, draw.as_bytes());
    lp(&mut m, value.as_bytes());
    m
}

/// The VRF input (`alpha_string`) of an organisation tag.
pub fn org_input(draw: &str, org_key: &str) -> Vec<u8> {
    input(tag::ORG_TAG, draw, org_key)
}

/// The VRF input (`alpha_string`) of an identity tag.
pub fn id_input(draw: &str, expert: &str) -> Vec<u8> {
    input(tag::ID_TAG, draw, expert)
}

/// RFC 9381 §5.2 `ECVRF_proof_to_hash` for this ciphersuite:
/// `SHA-512(suite_string || 0x03 || Gamma || 0x00)`, Gamma being the proof's
/// first 32 bytes (the cofactor is 1). Only for proofs the producer just made;
/// a verifier gets the output from [`TagKey::verify`].
fn proof_to_hash(pi: &[u8; PROOF_LEN]) -> [u8; 64] {
    let mut h = Sha512::new();
    h.update(SUITE_STRING);
    h.update([0x03]);
    h.update(&pi[..32]);
    h.update([0x00]);
    h.finalize().into()
}

fn first16(beta: &[u8; 64]) -> [u8; 16] {
    beta[..16].try_into().expect("16 bytes")
}

/// A draw's secret tag key. Never serialised: the service keeps its bytes
/// beside the draw's other secrets and never publishes them.
#[derive(Clone)]
pub struct TagSecret {
    key: vrf_r255::SecretKey,
    /// The same secret as a scalar, and half of it, for [`TagSecret::outputs`].
    x: Scalar,
    half_x: Scalar,
    /// The public key's 32 bytes (`Y`, the salt of encode-to-curve).
    y: [u8; 32],
}

impl fmt::Debug for TagSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("TagSecret(..)")
    }
}

/// c2sp.org/vrf-r255's encode-to-curve: the RFC 9496 element derivation of
/// `SHA-512(suite_string || 0x82 || Y || alpha)` (what `vrf-r255` does inside
/// `prove`, which it keeps private).
fn encode_to_curve(y: &[u8; 32], alpha: &[u8]) -> RistrettoPoint {
    let mut h = Sha512::new();
    h.update(SUITE_STRING);
    h.update([0x82]);
    h.update(y);
    h.update(alpha);
    RistrettoPoint::from_uniform_bytes(&h.finalize().into())
}

/// RFC 9381 `ECVRF_proof_to_hash` from Gamma's encoding.
fn gamma_to_hash(gamma: &[u8; 32]) -> [u8; 64] {
    let mut h = Sha512::new();
    h.update(SUITE_STRING);
    h.update([0x03]);
    h.update(gamma);
    h.update([0x00]);
    h.finalize().into()
}

impl TagSecret {
    /// A key from 32 random bytes: the top four bits are cleared so the value is
    /// below the group order (a canonical scalar); zero, which no fair source
    /// gives, is refused.
    pub fn from_random(mut bytes: [u8; 32]) -> Option<TagSecret> {
        bytes[31] &= 0x0f;
        Self::from_bytes(bytes)
    }

    /// The stored form back; `None` if not a canonical non-zero scalar.
    pub fn from_bytes(bytes: [u8; 32]) -> Option<TagSecret> {
        let key: vrf_r255::SecretKey = Option::from(vrf_r255::SecretKey::from_bytes(bytes))?;
        let x: Scalar = Option::from(Scalar::from_canonical_bytes(bytes))?;
        Some(TagSecret {
            key,
            x,
            half_x: x * Scalar::from(2u8).invert(),
            y: vrf_r255::PublicKey::from(key).to_bytes(),
        })
    }

    pub fn to_bytes(&self) -> [u8; 32] {
        self.key.to_bytes()
    }

    pub fn public(&self) -> TagKey {
        TagKey(self.y)
    }

    /// The 16-byte tag of `alpha` and its proof.
    pub fn tag(&self, alpha: &[u8]) -> ([u8; 16], TagProof) {
        let pi = self.key.prove(alpha).to_bytes();
        (first16(&proof_to_hash(&pi)), TagProof(pi))
    }

    /// The 16-byte tag of `alpha` alone, without its proof: the first 16
    /// bytes of `SHA-512(suite || 0x03 || Gamma || 0x00)` with
    /// `Gamma = x·encode_to_curve(Y, alpha)`, exactly the output of
    /// [`TagSecret::tag`] (a test checks this on many keys and inputs). One
    /// variable-base scalar multiplication, where `prove` needs two more and
    /// a fixed-base one; a commit needs only the outputs, the proofs are made
    /// for disclosed members.
    pub fn output(&self, alpha: &[u8]) -> [u8; 16] {
        let gamma = (self.x * encode_to_curve(&self.y, alpha)).compress();
        first16(&gamma_to_hash(gamma.as_bytes()))
    }

    /// [`TagSecret::output`] of each input, in order. The points are encoded
    /// together: `Gamma = 2·((x/2)·H)` and ristretto255's batched
    /// double-and-encode shares one field inversion among all of them.
    pub fn outputs<'a>(&self, alphas: impl IntoIterator<Item = &'a [u8]>) -> Vec<[u8; 16]> {
        let halves: Vec<RistrettoPoint> = alphas
            .into_iter()
            .map(|a| self.half_x * encode_to_curve(&self.y, a))
            .collect();
        RistrettoPoint::double_and_compress_batch(&halves)
            .iter()
            .map(|g| first16(&gamma_to_hash(g.as_bytes())))
            .collect()
    }
}

/// A draw's public tag key: a ristretto255 element, 32 bytes, hex in records.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct TagKey(pub [u8; 32]);

impl TagKey {
    /// Whether the bytes encode a valid, non-identity ristretto255 element (a
    /// key any proof could be checked against).
    pub fn is_valid(&self) -> bool {
        vrf_r255::PublicKey::from_bytes(self.0).is_some()
    }

    /// RFC 9381 §5.3 verification; the 16-byte tag if `proof` is valid for
    /// `alpha` under this key.
    pub fn verify(&self, alpha: &[u8], proof: &TagProof) -> Option<[u8; 16]> {
        let pk = vrf_r255::PublicKey::from_bytes(self.0)?;
        let pi = vrf_r255::Proof::from_bytes(proof.0)?;
        let beta: Option<[u8; 64]> = pk.verify(alpha, &pi).into();
        beta.map(|b| first16(&b))
    }
}

/// An encoded VRF proof, 80 bytes, hex in records.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct TagProof(pub [u8; PROOF_LEN]);

macro_rules! hex_serde {
    ($t:ty, $n:expr) => {
        impl Serialize for $t {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(&hex::encode(self.0))
            }
        }
        impl<'de> Deserialize<'de> for $t {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
                Ok(Self(
                    crate::hash::parse_hex_exact::<$n>(&s).map_err(serde::de::Error::custom)?,
                ))
            }
        }
        impl fmt::Debug for $t {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&hex::encode(self.0))
            }
        }
        impl fmt::Display for $t {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&hex::encode(self.0))
            }
        }
    };
}
hex_serde!(TagKey, 32);
hex_serde!(TagProof, PROOF_LEN);

#[cfg(test)]
mod tests {
    use super::*;

    fn key() -> TagSecret {
        TagSecret::from_random([0xab; 32]).unwrap()
    }

    #[test]
    fn the_published_test_vector_of_the_ciphersuite() {
        // c2sp.org/vrf-r255's test vector (the crate's own test carries it too):
        // key, proof, and the output whose first 16 bytes are the tag.
        let sk = hex::decode("3431c2b03533e280b23232e280b34e2c3132c2b03238e280b23131e280b34500")
            .unwrap();
        let sk = TagSecret::from_bytes(sk.try_into().unwrap()).unwrap();
        assert_eq!(
            sk.public().to_string(),
            "54136cd90d99fbd1d4e855d9556efea87ba0337f2a6ce22028d0f5726fcb854e"
        );
        let alpha = hex::decode("633273702e6f72672f7672662d72323535").unwrap();
        let (tag, pi) = sk.tag(&alpha);
        assert_eq!(
            pi.to_string(),
            "0a97d961262fb549b4175c5117860f42ae44a123f93c476c439eddd1c0cff9265c805525233e2284dbed45e593b8eea31d5ca9734d72bcbba9738d5237f955f3b2422351149d1312503b6441a47c940c"
        );
        assert_eq!(hex::encode(tag), "dd653f0879b48c3ef69e13551239bec4");
        assert_eq!(sk.public().verify(&alpha, &pi), Some(tag));
    }

    #[test]
    fn the_producers_output_is_the_verified_output() {
        let sk = key();
        for alpha in [&b""[..], b"a", &org_input("gd-2026-r1-d1", "name:x")] {
            let (t, pi) = sk.tag(alpha);
            assert_eq!(sk.public().verify(alpha, &pi), Some(t));
            // Another input, another key or a changed proof fails.
            assert_eq!(sk.public().verify(b"other", &pi), None);
            let other = TagSecret::from_random([0xcd; 32]).unwrap();
            assert_eq!(other.public().verify(alpha, &pi), None);
            let mut bad = pi;
            bad.0[40] ^= 1;
            assert_eq!(sk.public().verify(alpha, &bad), None);
        }
    }

    #[test]
    fn the_output_without_a_proof_is_the_proved_output() {
        // Many keys and inputs, from a fixed stream: the commit's fast outputs
        // must be the tags `vrf-r255`'s proofs give (and so what a verifier
        // derives from a disclosed member's proof).
        use rand_chacha::rand_core::{Rng, SeedableRng};
        let mut rng = rand_chacha::ChaCha20Rng::seed_from_u64(15);
        for _ in 0..40 {
            let mut kb = [0u8; 32];
            rng.fill_bytes(&mut kb);
            let sk = TagSecret::from_random(kb).unwrap();
            let alphas: Vec<Vec<u8>> = (0..12)
                .map(|i| {
                    let mut a = vec![0u8; (rng.next_u32() % 90) as usize];
                    rng.fill_bytes(&mut a);
                    if i % 3 == 0 {
                        id_input("gd-2026-r1-d1", &hex::encode(&a))
                    } else {
                        a
                    }
                })
                .collect();
            let batch = sk.outputs(alphas.iter().map(|a| a.as_slice()));
            for (a, b) in alphas.iter().zip(&batch) {
                let (t, pi) = sk.tag(a);
                assert_eq!(sk.output(a), t);
                assert_eq!(*b, t);
                assert_eq!(sk.public().verify(a, &pi), Some(t));
            }
        }
        assert!(key().outputs(std::iter::empty()).is_empty());
    }

    #[test]
    fn secrets_round_trip_and_zero_is_refused() {
        let sk = key();
        let again = TagSecret::from_bytes(sk.to_bytes()).unwrap();
        assert!(again.public() == sk.public());
        assert!(TagSecret::from_random([0; 32]).is_none());
        assert!(TagSecret::from_random([0xff; 32]).is_some());
        assert!(sk.public().is_valid());
        assert!(!TagKey([0xff; 32]).is_valid());
    }

    #[test]
    fn names_and_codes_normalise_by_the_one_rule() {
        assert_eq!(
            org_key("", " 广州 （市）第一 人民医院\u{3000}"),
            org_key("", "广州(市)第一人民医院")
        );
        assert_eq!(org_key("", "ＡＢＣ Lab"), "name:abclab");
        assert_eq!(
            org_key("91440101 mA5CXXXX1X", "甲"),
            org_key("91440101MA5CXXXX1X", "乙")
        );
        assert_eq!(
            org_key("91440101MA5CXXXX1X", "甲"),
            "uscc:91440101MA5CXXXX1X"
        );
        assert_eq!(org_key("  ", "甲"), "name:甲");
        // A name never collides with a code.
        assert_ne!(org_key("", "uscc:1"), org_key("1", ""));
    }

    #[test]
    fn tags_separate_draws_purposes_and_values() {
        let sk = key();
        let t = |a: Vec<u8>| sk.tag(&a).0;
        assert_eq!(t(org_input("d1", "name:x")), t(org_input("d1", "name:x")));
        assert_ne!(t(org_input("d1", "name:x")), t(org_input("d2", "name:x")));
        assert_ne!(t(org_input("d1", "e1")), t(id_input("d1", "e1")));
        assert_ne!(t(id_input("d1", "e1")), t(id_input("d1", "e2")));
        assert_ne!(id_input("d", "1e"), id_input("d1", "e"));
    }
}
