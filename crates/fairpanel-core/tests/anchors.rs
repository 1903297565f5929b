//! Independent anchors: the worked example's secret commitment, seed, stream words
//! and ranks, and `below` on both of its paths (rejection and modulo), as computed
//! by `tests/anchors/worked_example.py` with Python's hashlib and OpenSSL's
//! ChaCha20 (the `cryptography` package) from docs/PROTOCOL.md alone. The
//! literals below are that script's; `.ci/run` runs the script, which asserts the
//! same literals. The accept vectors and `sampler.json` only pin the Rust code's
//! own output; these values come from another implementation.

use fairpanel_core::draw;
use fairpanel_core::hash::Hash32;
use fairpanel_core::sampler::{self, Stream};

fn h(s: &str) -> Hash32 {
    Hash32::from_hex(s).unwrap()
}

/// The worked example's seed (docs/PROTOCOL.md, "Worked example").
const SEED: &str = "8da33df2986e0961a8556b2bc79f0613da29b3be474c96ee0b54db5ff5bffa94";

#[test]
fn the_worked_examples_commitment_and_seed_match_the_independent_computation() {
    let commit = h("f0506fd293c2f4411f8d42418e4dfdb6f5411ad5c97b9acc2fbcdf26f0cf785d");
    let secret = h("8a2cda7147966b336db15e45d73cc98f657ed48379ec4670fd0e9d3e8404be81");
    let beacon = h("fe290beca10872ef2fb164d2aa4442de4566183ec51c56ff3cd603d930e54fdd");
    let value = h("86f10a8d43c4e7c8554ad97fea7bb899e80dbfd9dc6db04350e1281e31e02b84");
    assert_eq!(
        draw::secret_commitment(&secret).to_hex(),
        "b54cfb3417bf8a068d523719a42413b0d8378e02cdcafcdc87dfbd5862e2a482"
    );
    assert_eq!(
        draw::seed(&commit, &secret, Some(&beacon), &[value]).to_hex(),
        SEED
    );
}

#[test]
fn the_worked_examples_stream_and_ranks_match_the_independent_computation() {
    let seed = h(SEED).0;
    let mut s = Stream::new(seed);
    let words: Vec<u64> = (0..3).map(|_| s.next_u64()).collect();
    assert_eq!(
        words,
        [0x7abf4428d1493ba7, 0x877ac61f63d29175, 0x832b3287dab1b97f]
    );
    assert_eq!(sampler::ranks(seed, 4), [0, 2, 1, 3]);
    assert_eq!(
        sampler::ranks(seed, 1000)[..10],
        [189, 311, 904, 50, 74, 457, 166, 259, 651, 31]
    );
}

#[test]
fn below_matches_the_independent_computation_on_its_rejection_and_modulo_paths() {
    let seed = h(SEED).0;
    // About half the words are at least 2^63 + 1 and rejected: the values are the
    // stream's words 0, 3, 4, 7, 10, 11, 12 and 14 (a `below` that kept the others would differ).
    let mut s = Stream::new(seed);
    let got: Vec<u64> = (0..8).map(|_| s.below((1 << 63) + 1)).collect();
    assert_eq!(
        got,
        [
            8844863135279561639,
            6525025781769353720,
            1023210813557997123,
            7474631611020541170,
            5612497911530490908,
            8789095859081894647,
            2227855893038351504,
            1217525057061640043,
        ]
    );
    let mut s = Stream::new(seed);
    let got: Vec<u64> = (0..16).map(|_| s.below(7)).collect();
    assert_eq!(got, [4, 4, 0, 1, 3, 6, 3, 0, 2, 5, 4, 4, 5, 0, 3, 1]);
}
