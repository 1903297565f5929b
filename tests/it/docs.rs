//! The protocol document covers what the code does.

use super::*;
use fairpanel_core::entry::Kind;

fn protocol() -> String {
    std::fs::read_to_string(root().join("docs/PROTOCOL.md")).expect("docs/PROTOCOL.md exists")
}

#[test]
fn every_domain_tag_in_the_code_appears_in_the_protocol_document() {
    let doc = protocol();
    for tag in fairpanel_core::hash::tag::ALL {
        assert!(
            doc.contains(&format!("`{tag}`")),
            "docs/PROTOCOL.md does not name the tag {tag}"
        );
    }
}

#[test]
fn every_verifier_check_and_entry_kind_appears_in_the_protocol_document() {
    let doc = protocol();
    for check in fairpanel_core::verify::CHECKS {
        assert!(
            doc.contains(&format!("`{check}`")),
            "docs/PROTOCOL.md does not describe the check {check}"
        );
    }
    for kind in ENTRY_KINDS {
        let name = serde_json::to_value(kind).unwrap();
        let name = name.as_str().unwrap();
        // Named in code style, or as the bold heading of its description.
        assert!(
            doc.contains(&format!("`{name}`")) || doc.contains(&format!("**{name}**")),
            "docs/PROTOCOL.md does not describe the entry kind {name}"
        );
    }
}

/// Every entry kind the code has.
const ENTRY_KINDS: [Kind; 25] = [
    Kind::RosterChange,
    Kind::Commit,
    Kind::Entropy,
    Kind::Beacon,
    Kind::Reveal,
    Kind::Decline,
    Kind::Void,
    Kind::Disclosure,
    Kind::KeyRotation,
    Kind::ScoringOpen,
    Kind::SheetCommit,
    Kind::Seal,
    Kind::ScreenOverride,
    Kind::Recusal,
    Kind::SheetReopen,
    Kind::Pledge,
    Kind::ScoringLock,
    Kind::Explanation,
    Kind::ScoringUnlock,
    Kind::Report,
    Kind::Filing,
    Kind::Notice,
    Kind::NoticeClose,
    Kind::Withdrawal,
    Kind::KeyRegistration,
];

/// The position of `k` in [`ENTRY_KINDS`]. The match has no catch-all: a new
/// kind does not compile until it is given a place, and the test below fails
/// until the list holds it there.
fn place(k: Kind) -> usize {
    match k {
        Kind::RosterChange => 0,
        Kind::Commit => 1,
        Kind::Entropy => 2,
        Kind::Beacon => 3,
        Kind::Reveal => 4,
        Kind::Decline => 5,
        Kind::Void => 6,
        Kind::Disclosure => 7,
        Kind::KeyRotation => 8,
        Kind::ScoringOpen => 9,
        Kind::SheetCommit => 10,
        Kind::Seal => 11,
        Kind::ScreenOverride => 12,
        Kind::Recusal => 13,
        Kind::SheetReopen => 14,
        Kind::Pledge => 15,
        Kind::ScoringLock => 16,
        Kind::Explanation => 17,
        Kind::ScoringUnlock => 18,
        Kind::Report => 19,
        Kind::Filing => 20,
        Kind::Notice => 21,
        Kind::NoticeClose => 22,
        Kind::Withdrawal => 23,
        Kind::KeyRegistration => 24,
    }
}

#[test]
fn the_list_of_entry_kinds_is_every_kind_the_code_has() {
    for (i, k) in ENTRY_KINDS.iter().enumerate() {
        assert_eq!(place(*k), i, "{k:?}");
    }
}

#[test]
fn the_worked_example_in_the_protocol_document_matches_the_vectors() {
    let doc = protocol();
    let example = std::fs::read_to_string(vectors().join("worked-example.md")).unwrap();
    assert!(
        doc.contains(example.trim()),
        "paste tests/vectors/worked-example.md into the Worked example section"
    );
}

/// The packages in Cargo.lock that depend on `name` at a version starting with
/// `version` (as `name version`), sorted.
fn dependents(lock: &toml::Table, name: &str, version: &str) -> Vec<String> {
    let packages = lock["package"].as_array().unwrap();
    let exact: Vec<&str> = packages
        .iter()
        .filter(|p| p["name"].as_str() == Some(name))
        .map(|p| p["version"].as_str().unwrap())
        .collect();
    let wanted: Vec<&str> = exact
        .iter()
        .copied()
        .filter(|v| v.starts_with(version))
        .collect();
    assert_eq!(
        wanted.len(),
        1,
        "{name} {version}.* in Cargo.lock: {exact:?}"
    );
    let mut out: Vec<String> = packages
        .iter()
        .filter(|p| {
            p.get("dependencies")
                .and_then(|d| d.as_array())
                .is_some_and(|deps| {
                    deps.iter().any(|d| {
                        let d = d.as_str().unwrap();
                        // A bare name when only one version is locked.
                        d == name || d == format!("{name} {}", wanted[0])
                    })
                })
        })
        .map(|p| {
            format!(
                "{} {}",
                p["name"].as_str().unwrap(),
                p["version"].as_str().unwrap()
            )
        })
        .collect();
    out.sort();
    out
}

/// ARCHITECTURE.md says where the old versions of the crypto crates come from
/// and why they stay; the lock file must still say the same (a new crate that
/// brings one of them, or a release that drops one, makes this fail until the
/// section is updated).
#[test]
fn the_duplicate_crypto_versions_come_only_from_where_the_architecture_says() {
    let lock: toml::Table = std::fs::read_to_string(root().join("Cargo.lock"))
        .unwrap()
        .parse()
        .unwrap();
    assert_eq!(
        dependents(&lock, "ed25519-dalek", "2."),
        ["signed_note 0.2.0"]
    );
    assert_eq!(
        dependents(&lock, "curve25519-dalek", "4."),
        [
            "ed25519-dalek 2.2.0",
            "fairpanel-core 0.1.0",
            "vrf-r255 0.1.0"
        ]
    );
    assert_eq!(dependents(&lock, "sha2", "0.9."), ["drand-verify 0.6.2"]);
    assert_eq!(
        dependents(&lock, "sha2", "0.10."),
        [
            "ed25519-dalek 2.2.0",
            "signed_note 0.2.0",
            "sqlx-core 0.9.0",
            "sqlx-macros-core 0.9.0",
            "tlog_tiles 0.2.0",
            "vrf-r255 0.1.0"
        ]
    );
    let arch = std::fs::read_to_string(root().join("ARCHITECTURE.md")).unwrap();
    let section = &arch[arch
        .find("### Duplicate versions")
        .expect("the section exists")..];
    for named in [
        "`signed_note` 0.2.0",
        "`vrf-r255` 0.1.0",
        "`drand-verify` 0.6.2",
        "`tlog_tiles` 0.2.0",
        "`sqlx-core` 0.9",
    ] {
        assert!(section.contains(named), "the section names {named}");
    }
}
