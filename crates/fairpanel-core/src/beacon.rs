//! The drand quicknet beacon: the target-round rule and offline verification of a
//! round (BLS12-381, signatures on G1, scheme `bls-unchained-g1-rfc9380`).
//!
//! Verification goes through `drand-verify`, whose point decoding
//! (`G1Affine::from_compressed` of `bls12_381`) checks that the signature is on
//! the curve and in the prime-order subgroup: a genuine signature plus a
//! cofactor-torsion point passes the bare pairing equation and must be refused here.

use crate::hash::{Hash32, sha256};
use drand_verify::{G2PubkeyRfc, Pubkey};

/// quicknet's chain hash.
pub const QUICKNET_CHAIN: &str = "52db9ba70e0cc0f6eaf7803dd07447a1f5477735fd3f661792ba94600c84e971";
/// quicknet's group public key (G2, compressed).
pub const QUICKNET_PUBLIC_KEY: &str = "83cf0f2896adee7eb8b5f01fcad3912212c437e0073e911fb90022d3e760183c8c4b450b6a0a6c3ac6a5776a2d1064510d1fec758c921cc22b0e17e63aaf4bcb5ed66304de9cf809bd274ca73bab4af5a6e9c76a4bc09e76eae8991ef5ece45a";
/// Unix time of round 1.
pub const QUICKNET_GENESIS: u64 = 1_692_803_367;
/// Seconds between rounds.
pub const QUICKNET_PERIOD: u64 = 3;
/// The smallest margin, in seconds, between a commit's time and its target round.
pub const MIN_MARGIN: u64 = 30;

/// Unix time at which `round` (≥ 1) is published.
pub fn round_time(round: u64) -> u64 {
    QUICKNET_GENESIS + (round.saturating_sub(1)) * QUICKNET_PERIOD
}

/// The first round whose time is at least `t`.
pub fn first_round_at_or_after(t: u64) -> u64 {
    if t <= QUICKNET_GENESIS {
        1
    } else {
        (t - QUICKNET_GENESIS).div_ceil(QUICKNET_PERIOD) + 1
    }
}

/// The target round of a commit made at `commit_time` with `margin` seconds.
pub fn target_round(commit_time: u64, margin: u64) -> u64 {
    first_round_at_or_after(commit_time + margin)
}

/// Checks a quicknet round's signature and returns its randomness,
/// `SHA-256(signature)`.
pub fn verify_round(round: u64, signature: &[u8]) -> Result<Hash32, String> {
    if round == 0 {
        return Err("drand rounds start at 1".into());
    }
    if signature.len() != 48 {
        return Err(format!(
            "a quicknet signature is 48 bytes (a compressed G1 point), not {}",
            signature.len()
        ));
    }
    let mut pk = [0u8; 96];
    hex::decode_to_slice(QUICKNET_PUBLIC_KEY, &mut pk).expect("constant is hex");
    let pk = G2PubkeyRfc::from_fixed(pk).expect("quicknet's key is a valid G2 point");
    match pk.verify(round, b"", signature) {
        Ok(true) => Ok(sha256(signature)),
        Ok(false) => Err(format!(
            "signature is not quicknet's signature of round {round}"
        )),
        Err(e) => Err(format!(
            "signature is not a valid G1 point in the prime-order subgroup ({e})"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SIG_1000: &str = "b44679b9a59af2ec876b1a6b1ad52ea9b1615fc3982b19576350f93447cb1125e342b73a8dd2bacbe47e4b6b63ed5e39";
    const RAND_1000: &str = "fe290beca10872ef2fb164d2aa4442de4566183ec51c56ff3cd603d930e54fdd";

    #[test]
    fn recorded_round_1000_verifies() {
        let sig = hex::decode(SIG_1000).unwrap();
        assert_eq!(verify_round(1000, &sig).unwrap().to_hex(), RAND_1000);
    }

    #[test]
    fn a_signature_for_another_round_is_refused() {
        let sig = hex::decode(SIG_1000).unwrap();
        assert!(verify_round(1001, &sig).unwrap_err().contains("round 1001"));
        assert!(verify_round(1000, &sig[..47]).is_err());
        assert!(verify_round(0, &sig).is_err());
    }

    #[test]
    fn target_round_is_the_first_at_or_after_commit_plus_margin() {
        assert_eq!(round_time(1000), 1_692_806_364);
        assert_eq!(target_round(1_692_806_364 - 60, 60), 1000);
        assert_eq!(target_round(1_692_806_362 - 60, 60), 1000);
        assert_eq!(target_round(1_692_806_361 - 60, 60), 999);
        assert_eq!(target_round(1_692_806_365 - 60, 60), 1001);
        assert_eq!(first_round_at_or_after(0), 1);
    }
}
