//! The protocol document covers what the code does.

use super::*;

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
    for kind in [
        "roster_change",
        "commit",
        "entropy",
        "beacon",
        "reveal",
        "decline",
        "void",
        "disclosure",
        "key_rotation",
    ] {
        assert!(
            doc.contains(&format!("`{kind}`")),
            "docs/PROTOCOL.md does not describe the entry kind {kind}"
        );
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
