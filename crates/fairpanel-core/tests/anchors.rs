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
const SEED: &str = "c862ba432f6223b7d084a61ce2e223f375b9896a0a30f0d4bfff04029c15006a";

#[test]
fn the_worked_examples_commitment_and_seed_match_the_independent_computation() {
    let commit = h("d980c482cce0ca53128ee7894352ecb8f50d191e90d2a56f84e56dd3b6a85d36");
    let secret = h("837191536fde4d8ac0d3307923b4f125bbcbfab46687b4eb5693a1a2f7494d4b");
    let beacon = h("fe290beca10872ef2fb164d2aa4442de4566183ec51c56ff3cd603d930e54fdd");
    let value = h("ac75d408486c7fb7f6eda998ec9c48272149c1f5aec1ad02b2172d050ee03c83");
    assert_eq!(
        draw::secret_commitment(&secret).to_hex(),
        "dd641aea41fc33fa6c2ae7f3013ee12865ca29f73dfa9f428cd83d27639d2da7"
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
        [0x3abdede5b2ea7640, 0xd797dd657f988539, 0xde9e78b5f04f6da2]
    );
    assert_eq!(sampler::ranks(seed, 4), [1, 3, 2, 0]);
    assert_eq!(
        sampler::ranks(seed, 1000)[..10],
        [402, 937, 980, 990, 618, 174, 164, 877, 71, 965]
    );
}

#[test]
fn below_matches_the_independent_computation_on_its_rejection_and_modulo_paths() {
    let seed = h(SEED).0;
    // About half the words are at least 2^63 + 1 and rejected: the values are the
    // stream's words 0, 8, 9, 10, 14, 17, 18 and 19 (a `below` that kept the others would differ).
    let mut s = Stream::new(seed);
    let got: Vec<u64> = (0..8).map(|_| s.below((1 << 63) + 1)).collect();
    assert_eq!(
        got,
        [
            4232800795603138112,
            4934234164712002248,
            995645299412075592,
            5546383919866553118,
            3461544617663037766,
            5097375972708909298,
            1068593989307502604,
            6993495197666847883,
        ]
    );
    let mut s = Stream::new(seed);
    let got: Vec<u64> = (0..16).map(|_| s.below(7)).collect();
    assert_eq!(got, [4, 0, 3, 4, 4, 6, 2, 4, 0, 0, 5, 6, 6, 1, 0, 5]);
}
