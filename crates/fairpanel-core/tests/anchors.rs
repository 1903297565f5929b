//! Independent anchors: the worked example's secret commitment, seed, stream words
//! and ranks, and `below` on both of its paths (rejection and modulo), as computed
//! by `tests/anchors/worked_example.py` with Python's hashlib and OpenSSL's
//! ChaCha20 (the `cryptography` package) from docs/PROTOCOL.md alone. The
//! literals below are that script's; `.ci/run` runs the script, which asserts the
//! same literals. The accept vectors and `sampler.json` only pin the Rust code's
//! own output; these values come from another implementation, and the last test
//! ties the dead-end vector (whose label the maker fixes, not searches for) to
//! them.

use fairpanel_core::draw;
use fairpanel_core::hash::Hash32;
use fairpanel_core::sampler::{self, Stream};
use serde_json::Value;

fn h(s: &str) -> Hash32 {
    Hash32::from_hex(s).unwrap()
}

/// The worked example's seed (docs/PROTOCOL.md, "Worked example").
const SEED: &str = "c862ba432f6223b7d084a61ce2e223f375b9896a0a30f0d4bfff04029c15006a";
/// Its inputs: the commit entry's hash, the operator's secret, the beacon's
/// randomness and the one contribution's value.
const COMMIT: &str = "d980c482cce0ca53128ee7894352ecb8f50d191e90d2a56f84e56dd3b6a85d36";
const SECRET: &str = "837191536fde4d8ac0d3307923b4f125bbcbfab46687b4eb5693a1a2f7494d4b";
const BEACON: &str = "fe290beca10872ef2fb164d2aa4442de4566183ec51c56ff3cd603d930e54fdd";
const VALUE: &str = "ac75d408486c7fb7f6eda998ec9c48272149c1f5aec1ad02b2172d050ee03c83";
/// Its ranks over a pool of 4, as the independent implementation computed them.
const RANKS_4: [u32; 4] = [1, 3, 2, 0];

#[test]
fn the_worked_examples_commitment_and_seed_match_the_independent_computation() {
    let (commit, secret, beacon, value) = (h(COMMIT), h(SECRET), h(BEACON), h(VALUE));
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
    assert_eq!(sampler::ranks(seed, 4), RANKS_4);
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

/// The dead-end vector is the worked example: its reveal's inputs and seed are
/// the literals above, so the ranks of its pool are the independent
/// implementation's `RANKS_4`, not whatever the maker's own sampler gave. Read
/// through them, its pool is x, y, z, w as the scenario needs (x and y share an
/// organisation, y is the only spec_b), and its panel skips the greedy dead end.
#[test]
fn the_dead_end_vector_has_the_independent_ranks_and_its_panel_skips_the_dead_end() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/vectors");
    let b: Value =
        serde_json::from_slice(&std::fs::read(dir.join("accept-dead-end.json")).unwrap()).unwrap();
    let body = |kind: &str| -> Vec<&Value> {
        b["entries"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| &e["entry"])
            .filter(|e| e["kind"] == kind)
            .map(|e| &e["body"])
            .collect()
    };
    let reveal = body("reveal");
    let [reveal] = reveal.as_slice() else {
        panic!("one reveal: {reveal:?}")
    };
    assert_eq!(reveal["commit"], COMMIT);
    assert_eq!(reveal["secret"], SECRET);
    assert_eq!(reveal["seed"], SEED);
    let beacons: Vec<&Value> = body("beacon").iter().map(|b| &b["randomness"]).collect();
    assert_eq!(beacons, [BEACON]);
    let values: Vec<&Value> = body("entropy").iter().map(|e| &e["value"]).collect();
    assert_eq!(values, [VALUE]);

    // The pool in the bundle's (token) order, read in the independent ranks.
    let pool = b["pool"].as_array().unwrap();
    assert_eq!(pool.len(), RANKS_4.len());
    let [x, y, z, w] = RANKS_4.map(|i| &pool[i as usize]);
    let spec = |l: &Value| l["spec"].as_str().unwrap().to_string();
    assert_eq!(
        [x, y, z, w].map(spec),
        ["spec_a", "spec_b", "spec_a", "spec_c"]
    );
    assert_eq!(x["org"], y["org"], "x and y share an organisation");
    assert!(
        z["org"] != x["org"] && w["org"] != x["org"] && w["org"] != z["org"],
        "z and w each have an organisation of their own"
    );
    // Greedy would seat x and then could not seat y, the only spec_b: the fill
    // seats z, y, w (the two quota strata, then the rest) and keeps x back.
    assert_eq!(
        reveal["panel"],
        serde_json::json!([z["token"], y["token"], w["token"]])
    );
    assert_eq!(reveal["alternates"], serde_json::json!([x["token"]]));

    // The worked example states the same ranks.
    let wx = std::fs::read_to_string(dir.join("worked-example.md")).unwrap();
    assert!(
        wx.contains(&format!(
            "Fisher–Yates order (indexes): {RANKS_4:?}, that is ranks 1–4 = x, y, z, w"
        )),
        "{wx}"
    );
}
