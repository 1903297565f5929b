//! Ed25519 keys: signing, strict verification, key ids, and the encodings a third
//! party needs to check a signature by hand (raw base64, SPKI PEM for `openssl`).

use crate::hash::{Hash32, tag, tagged};
use base64::Engine;
use base64::engine::general_purpose::STANDARD as B64;
use ed25519_dalek::pkcs8::{DecodePrivateKey, DecodePublicKey, EncodePrivateKey, EncodePublicKey};
use ed25519_dalek::{Signature, Signer, SigningKey, VerifyingKey};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// A public key's identifier: the first 8 bytes of `H(key-id, public key)`, as 16
/// hex digits. Every entry names the key that signed it by this id.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct KeyId(pub [u8; 8]);

impl fmt::Display for KeyId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&hex::encode(self.0))
    }
}

impl fmt::Debug for KeyId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "KeyId({self})")
    }
}

impl Serialize for KeyId {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_string())
    }
}

impl<'de> Deserialize<'de> for KeyId {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        Ok(KeyId(
            crate::hash::parse_hex_exact::<8>(&s).map_err(serde::de::Error::custom)?,
        ))
    }
}

/// An Ed25519 public key.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct PublicKey(VerifyingKey);

impl PublicKey {
    pub fn from_bytes(bytes: &[u8; 32]) -> Result<Self, String> {
        VerifyingKey::from_bytes(bytes)
            .map(PublicKey)
            .map_err(|_| "not a valid Ed25519 public key".to_string())
    }

    /// Reads a key as 44 characters of standard base64 (32 raw bytes), or as an
    /// SPKI PEM block.
    pub fn parse(text: &str) -> Result<Self, String> {
        let t = text.trim();
        if t.starts_with("-----BEGIN") {
            return VerifyingKey::from_public_key_pem(t)
                .map(PublicKey)
                .map_err(|e| format!("not an Ed25519 public key PEM: {e}"));
        }
        let raw = B64
            .decode(t)
            .map_err(|_| "public key is neither base64 nor PEM".to_string())?;
        let arr: [u8; 32] = raw
            .try_into()
            .map_err(|_| "a base64 Ed25519 public key is 32 bytes".to_string())?;
        Self::from_bytes(&arr)
    }

    pub fn to_bytes(&self) -> [u8; 32] {
        self.0.to_bytes()
    }

    pub fn to_base64(&self) -> String {
        B64.encode(self.0.to_bytes())
    }

    /// SubjectPublicKeyInfo PEM, the form `openssl pkeyutl -verify -pubin` reads.
    pub fn to_pem(&self) -> String {
        self.0
            .to_public_key_pem(ed25519_dalek::pkcs8::spki::der::pem::LineEnding::LF)
            .expect("an Ed25519 key always encodes")
    }

    pub fn key_id(&self) -> KeyId {
        let h: Hash32 = tagged(tag::KEY_ID, &[&self.to_bytes()]);
        let mut id = [0u8; 8];
        id.copy_from_slice(&h.0[..8]);
        KeyId(id)
    }

    /// Checks a signature with `verify_strict`: it refuses small-order keys and
    /// non-canonical signature encodings that plain `verify` lets through.
    pub fn verify(&self, msg: &[u8], sig: &[u8]) -> Result<(), String> {
        let sig: [u8; 64] = sig
            .try_into()
            .map_err(|_| format!("an Ed25519 signature is 64 bytes, not {}", sig.len()))?;
        self.0
            .verify_strict(msg, &Signature::from_bytes(&sig))
            .map_err(|_| "signature does not verify".to_string())
    }
}

impl fmt::Debug for PublicKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PublicKey({})", self.to_base64())
    }
}

impl Serialize for PublicKey {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_base64())
    }
}

impl<'de> Deserialize<'de> for PublicKey {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        if s.starts_with("-----") {
            return Err(serde::de::Error::custom("expected base64, not PEM"));
        }
        PublicKey::parse(&s).map_err(serde::de::Error::custom)
    }
}

/// An Ed25519 signing key. It has no `Debug` output beyond its key id and no
/// `Serialize`: it cannot end up in a response or a log line by accident.
pub struct SecretKey(SigningKey);

impl SecretKey {
    /// Makes a key from 32 secret bytes. The core has no randomness of its own: the
    /// caller brings the bytes (from the OS, or fixed ones in test vectors).
    pub fn from_seed(seed: &[u8; 32]) -> Self {
        SecretKey(SigningKey::from_bytes(seed))
    }

    pub fn public(&self) -> PublicKey {
        PublicKey(self.0.verifying_key())
    }

    pub fn sign(&self, msg: &[u8]) -> [u8; 64] {
        self.0.sign(msg).to_bytes()
    }

    /// PKCS#8 PEM (`-----BEGIN PRIVATE KEY-----`), the form `openssl` reads.
    pub fn to_pkcs8_pem(&self) -> String {
        self.0
            .to_pkcs8_pem(ed25519_dalek::pkcs8::spki::der::pem::LineEnding::LF)
            .expect("an Ed25519 key always encodes")
            .to_string()
    }

    pub fn from_pkcs8_pem(pem: &str) -> Result<Self, String> {
        SigningKey::from_pkcs8_pem(pem)
            .map(SecretKey)
            .map_err(|_| "not an Ed25519 PKCS#8 private key".to_string())
    }
}

impl fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SecretKey(for {})", self.public().key_id())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signatures_verify_and_tampering_is_caught() {
        let k = SecretKey::from_seed(&[7; 32]);
        let sig = k.sign(b"hello");
        assert!(k.public().verify(b"hello", &sig).is_ok());
        assert!(k.public().verify(b"hellp", &sig).is_err());
        let mut bad = sig;
        bad[10] ^= 1;
        assert!(k.public().verify(b"hello", &bad).is_err());
        assert!(k.public().verify(b"hello", &sig[..63]).is_err());
    }

    #[test]
    fn keys_round_trip_through_pem_and_base64() {
        let k = SecretKey::from_seed(&[9; 32]);
        let pk = k.public();
        assert_eq!(PublicKey::parse(&pk.to_pem()).unwrap(), pk);
        assert_eq!(PublicKey::parse(&pk.to_base64()).unwrap(), pk);
        let again = SecretKey::from_pkcs8_pem(&k.to_pkcs8_pem()).unwrap();
        assert_eq!(again.public(), pk);
        assert!(pk.to_pem().starts_with("-----BEGIN PUBLIC KEY-----"));
    }

    #[test]
    fn debug_output_never_shows_the_secret() {
        let k = SecretKey::from_seed(&[1; 32]);
        let shown = format!("{k:?}");
        assert!(!shown.contains(&hex::encode([1u8; 32])));
        assert!(!shown.contains(&k.to_pkcs8_pem()));
        assert!(shown.contains(&k.public().key_id().to_string()));
    }

    #[test]
    fn parse_refuses_garbage() {
        assert!(PublicKey::parse("not a key").is_err());
        assert!(PublicKey::parse(&B64.encode([0u8; 31])).is_err());
    }
}
