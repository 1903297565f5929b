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
const SEED: &str = "8da33df2986e0961a8556b2bc79f0613da29b3be474c96ee0b54db5ff5bffa94";
/// Its inputs: the commit entry's hash, the operator's secret, the beacon's
/// randomness and the one contribution's value.
const COMMIT: &str = "f0506fd293c2f4411f8d42418e4dfdb6f5411ad5c97b9acc2fbcdf26f0cf785d";
const SECRET: &str = "8a2cda7147966b336db15e45d73cc98f657ed48379ec4670fd0e9d3e8404be81";
const BEACON: &str = "fe290beca10872ef2fb164d2aa4442de4566183ec51c56ff3cd603d930e54fdd";
const VALUE: &str = "86f10a8d43c4e7c8554ad97fea7bb899e80dbfd9dc6db04350e1281e31e02b84";
/// Its ranks over a pool of 4, as the independent implementation computed them.
const RANKS_4: [u32; 4] = [0, 2, 1, 3];

#[test]
fn the_worked_examples_commitment_and_seed_match_the_independent_computation() {
    let (commit, secret, beacon, value) = (h(COMMIT), h(SECRET), h(BEACON), h(VALUE));
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
    assert_eq!(sampler::ranks(seed, 4), RANKS_4);
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
