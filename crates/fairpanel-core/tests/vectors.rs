//! The protocol test vectors in `tests/vectors/` (at the repository root): each
//! must give exactly what `index.json` says, and the files must be what the
//! documented command writes today.

#[path = "../examples/make_vectors.rs"]
#[allow(dead_code)]
mod maker;

use fairpanel_core::PublicKey;
use fairpanel_core::verify::{Outcome, verify_bundle, verify_bundle_witnessed};
use std::path::PathBuf;

fn dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/vectors")
}

fn read(name: &str) -> Vec<u8> {
    std::fs::read(dir().join(name)).unwrap_or_else(|e| panic!("read {name}: {e}"))
}

#[test]
fn every_vector_gives_what_the_index_says() {
    let index: Vec<serde_json::Value> = serde_json::from_slice(&read("index.json")).unwrap();
    assert!(index.len() >= 20, "the index lists every vector");
    let mut accepted = 0;
    let mut rejected = 0;
    for v in &index {
        let file = v["file"].as_str().unwrap();
        let pin = PublicKey::parse(std::str::from_utf8(&read(v["pin"].as_str().unwrap())).unwrap())
            .unwrap();
        // Protocol 1.4: a vector may name a witness to require (`--witness`).
        let witnesses: Vec<_> = v["witness"]
            .as_str()
            .map(|w| {
                let spec = String::from_utf8(read(w)).unwrap();
                fairpanel_core::cosignature::parse_witness(spec.trim()).unwrap()
            })
            .into_iter()
            .collect();
        let got = verify_bundle_witnessed(&read(file), Some(&pin), &witnesses);
        match v["expect"].as_str().unwrap() {
            "accept" => {
                let report = got.unwrap_or_else(|e| panic!("{file}: {e}"));
                assert!(
                    report.ok(),
                    "{file} must verify: {:?}",
                    report.first_failure()
                );
                accepted += 1;
            }
            "reject" => {
                let report = got.unwrap_or_else(|e| panic!("{file}: {e}"));
                let first = report
                    .first_failure()
                    .unwrap_or_else(|| panic!("{file} must be rejected"));
                assert_eq!(first.name, v["check"].as_str().unwrap(), "{file}: {first}");
                let Outcome::Failed(reason) = &first.outcome else {
                    unreachable!()
                };
                let want = v["reason_contains"].as_str().unwrap();
                assert!(
                    reason.contains(want),
                    "{file}: reason {reason:?} lacks {want:?}"
                );
                rejected += 1;
            }
            "not_a_bundle" => {
                let err = got.expect_err(file);
                assert!(
                    err.0.contains(v["reason_contains"].as_str().unwrap()),
                    "{file}: {err}"
                );
            }
            other => panic!("unknown expectation {other}"),
        }
    }
    assert!(accepted >= 8 && rejected >= 12);
}

#[test]
fn the_committed_vectors_are_what_the_maker_writes() {
    for (name, bytes) in maker::files() {
        assert!(
            read(&name) == bytes,
            "tests/vectors/{name} is stale: run `cargo run -p fairpanel-core --example make-vectors -- tests/vectors`"
        );
    }
}

#[test]
fn an_accepted_vector_fails_when_verified_against_another_key() {
    let other = PublicKey::parse(std::str::from_utf8(&read("other.pub")).unwrap()).unwrap();
    let r = verify_bundle(&read("accept-quotas.json"), Some(&other)).unwrap();
    assert_eq!(r.first_failure().unwrap().name, "key");
}

#[test]
fn the_beaconless_vector_says_its_assurance_is_lower() {
    let r = verify_bundle(&read("accept-beaconless.json"), None).unwrap();
    assert!(r.ok());
    assert!(
        r.summary.iter().any(|l| l.contains("LOWER")),
        "{:?}",
        r.summary
    );
}

#[test]
fn the_abandoned_and_voided_vectors_say_so() {
    let r = verify_bundle(&read("accept-abandoned.json"), None).unwrap();
    assert!(r.summary.iter().any(|l| l.contains("not revealed")));
    assert!(matches!(r.outcome("panel"), Some(Outcome::Skipped(_))));
    let r = verify_bundle(&read("accept-voided.json"), None).unwrap();
    assert!(r.summary.iter().any(|l| l.contains("VOIDED")));
}

#[test]
fn the_disclosed_vector_names_the_panel() {
    let r = verify_bundle(&read("accept-disclosed.json"), None).unwrap();
    assert!(matches!(r.outcome("disclosure"), Some(Outcome::Passed(_))));
    assert!(
        r.summary.iter().any(|l| l.contains("E00")),
        "{:?}",
        r.summary
    );
    // Before disclosure no name appears anywhere in a bundle.
    let plain = String::from_utf8(read("accept-plain.json")).unwrap();
    assert!(!plain.contains("\"name\""));
}

/// The panel line of the worked example (its ranks, which the maker does not
/// choose, are checked against the independent anchor in `tests/anchors.rs`).
#[test]
fn the_dead_end_vector_seats_z_y_w_and_lists_x() {
    let wx = std::fs::read_to_string(dir().join("worked-example.md")).unwrap();
    assert!(
        wx.contains("Panel in seat order: z, y, w; alternates: x"),
        "{wx}"
    );
}

/// Every check of `verify::CHECKS` has at least one must-reject vector whose
/// first failure is that check (the index test above checks that each vector
/// really fails there). A new check without a vector makes this test fail.
#[test]
fn every_check_has_a_vector_that_makes_it_fail() {
    let index: Vec<serde_json::Value> = serde_json::from_slice(&read("index.json")).unwrap();
    let failing: std::collections::BTreeSet<&str> = index
        .iter()
        .filter(|v| v["expect"] == "reject")
        .filter_map(|v| v["check"].as_str())
        .collect();
    let missing: Vec<&&str> = fairpanel_core::verify::CHECKS
        .iter()
        .filter(|c| !failing.contains(**c))
        .collect();
    assert!(
        missing.is_empty(),
        "checks that no must-reject vector makes fail: {missing:?}"
    );
}

#[test]
fn a_protocol_v1_bundle_is_refused_as_another_version() {
    let index: Vec<serde_json::Value> = serde_json::from_slice(&read("index.json")).unwrap();
    let v1 = index
        .iter()
        .find(|v| v["file"] == "reject-protocol-v1.json")
        .expect("the index lists the v1 bundle");
    assert_eq!(v1["expect"], "not_a_bundle");
    let err = verify_bundle(&read("reject-protocol-v1.json"), None).unwrap_err();
    assert!(err.0.contains("protocol v1 bundle"), "{err}");
    assert!(err.0.contains("1.1"), "{err}");
}

#[test]
fn without_a_pinned_key_the_report_says_it_proves_only_consistency() {
    let r = verify_bundle(&read("accept-plain.json"), None).unwrap();
    let Some(Outcome::Passed(m)) = r.outcome("key") else {
        panic!("key check: {:?}", r.outcome("key"))
    };
    assert!(m.contains("NOT PINNED"), "{m}");
    let key = PublicKey::parse(std::str::from_utf8(&read("key.pub")).unwrap()).unwrap();
    let r = verify_bundle(&read("accept-plain.json"), Some(&key)).unwrap();
    let Some(Outcome::Passed(m)) = r.outcome("key") else {
        panic!()
    };
    assert!(!m.contains("NOT PINNED"), "{m}");
}

/// Protocol 1.3: each report vector gives what `report-index.json` says.
#[test]
fn every_report_vector_gives_what_its_index_says() {
    use fairpanel_core::report::verify_report;
    let index: Vec<serde_json::Value> = serde_json::from_slice(&read("report-index.json")).unwrap();
    let (mut accepted, mut rejected) = (0, 0);
    for v in &index {
        let file = v["file"].as_str().unwrap();
        let pin = PublicKey::parse(std::str::from_utf8(&read(v["pin"].as_str().unwrap())).unwrap())
            .unwrap();
        let report =
            verify_report(&read(file), Some(&pin)).unwrap_or_else(|e| panic!("{file}: {e}"));
        match v["expect"].as_str().unwrap() {
            "accept" => {
                assert!(report.ok(), "{file}: {:?}", report.first_failure());
                accepted += 1;
            }
            "reject" => {
                let first = report
                    .first_failure()
                    .unwrap_or_else(|| panic!("{file} must be rejected"));
                assert_eq!(first.name, v["check"].as_str().unwrap(), "{file}: {first}");
                let Outcome::Failed(reason) = &first.outcome else {
                    unreachable!()
                };
                let want = v["reason_contains"].as_str().unwrap();
                assert!(reason.contains(want), "{file}: {reason:?} lacks {want:?}");
                rejected += 1;
            }
            other => panic!("unknown expectation {other}"),
        }
    }
    assert_eq!((accepted, rejected), (1, 4));
}

/// A report pinned to another key is refused at `key`.
#[test]
fn a_report_pinned_to_another_key_is_refused() {
    let other = PublicKey::parse(std::str::from_utf8(&read("other.pub")).unwrap()).unwrap();
    let r =
        fairpanel_core::report::verify_report(&read("report-accept.json"), Some(&other)).unwrap();
    assert_eq!(r.first_failure().unwrap().name, "key");
}

/// The report says who signed what (for the verify page): each contribution
/// signed with a personal key, with the key and the role it was registered
/// with, and the cosignature lines on the checkpoint; none where there are none.
#[test]
fn the_report_names_who_signed_each_contribution_and_the_cosigners() {
    use fairpanel_core::entry::{self, Body};
    let bytes = read("accept-personal-keys.json");
    let b: fairpanel_core::bundle::Bundle = serde_json::from_slice(&bytes).unwrap();
    let (mut registered, mut signed) = (vec![], vec![]);
    for e in &b.entries {
        let p = entry::parse(e.entry.get().as_bytes()).unwrap();
        match p.body {
            Body::KeyRegistration(k) => registered.push(k.key.key_id().to_string()),
            Body::Entropy(x) => {
                signed.push((p.entry.seq, x.attestation.unwrap().key.key_id().to_string()))
            }
            _ => {}
        }
    }
    assert_eq!(signed.len(), 2);
    let r = verify_bundle(&bytes, None).unwrap();
    assert!(r.ok());
    let got: Vec<(u64, String)> = r.signed.iter().map(|s| (s.seq, s.key.clone())).collect();
    assert_eq!(got, signed);
    assert!(r.signed.iter().all(|s| s.what == "contribution"
        && s.role == Some(entry::Role::Supervisor)
        && registered.contains(&s.key)));
    assert!(r.cosigners.is_empty());
    // A 1.3 attestation (a supervisor's own key, not registered in the draw)
    // is named with no role.
    let plain = verify_bundle(&read("accept-plain.json"), None).unwrap();
    assert!(
        plain.signed.iter().all(|s| s.role.is_none()),
        "{:?}",
        plain.signed
    );

    let (name, key) = fairpanel_core::cosignature::parse_witness(
        String::from_utf8(read("witness.pub")).unwrap().trim(),
    )
    .unwrap();
    let r = verify_bundle_witnessed(&read("accept-cosigned.json"), None, &[]).unwrap();
    let got: Vec<(String, [u8; 4], u64)> = r
        .cosigners
        .iter()
        .map(|l| (l.name.clone(), l.key_id, l.time))
        .collect();
    assert_eq!(
        got,
        vec![(
            name.clone(),
            fairpanel_core::cosignature::key_id(&name, &key),
            1_700_000_000
        )]
    );
}
