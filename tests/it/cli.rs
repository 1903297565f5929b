//! `fairpanel verify`, `extract`, `keygen` and `demo`, run as a user would.

use super::*;

#[test]
fn verify_accepts_every_accept_vector_and_names_the_failing_check_of_every_reject_vector() {
    let index: Vec<serde_json::Value> =
        serde_json::from_slice(&std::fs::read(vectors().join("index.json")).unwrap()).unwrap();
    for v in &index {
        let file = vectors().join(v["file"].as_str().unwrap());
        let key = vectors().join(v["pin"].as_str().unwrap());
        let mut args = vec![
            "verify".to_string(),
            file.display().to_string(),
            "--key".to_string(),
            key.display().to_string(),
        ];
        // Protocol 1.4: the witness whose cosignature the vector requires.
        if let Some(w) = v["witness"].as_str() {
            let spec = std::fs::read_to_string(vectors().join(w)).unwrap();
            args.extend(["--witness".to_string(), spec.trim().to_string()]);
        }
        let args: Vec<&str> = args.iter().map(|a| a.as_str()).collect();
        let o = fairpanel(&root(), &args);
        let out = stdout(&o);
        match v["expect"].as_str().unwrap() {
            "accept" => {
                assert_eq!(o.status.code(), Some(0), "{}: {out}", file.display());
                assert!(out.contains("OK: "), "{out}");
                assert!(!out.contains("FAILED"), "{out}");
                // One line per check.
                for name in fairpanel_core::verify::CHECKS {
                    assert!(
                        out.lines().any(|l| l.trim_start().starts_with(name)),
                        "{name} missing in {out}"
                    );
                }
            }
            "reject" => {
                assert_eq!(o.status.code(), Some(1), "{}: {out}", file.display());
                let want = format!(
                    "FAILED: first failing check is {}: ",
                    v["check"].as_str().unwrap()
                );
                assert!(out.contains(&want), "{}: {out}", file.display());
                assert!(
                    out.contains(v["reason_contains"].as_str().unwrap()),
                    "{out}"
                );
            }
            _ => {
                assert_eq!(o.status.code(), Some(2), "{}", file.display());
                assert!(
                    stderr(&o).contains("not a fairpanel bundle"),
                    "{}",
                    stderr(&o)
                );
            }
        }
    }
}

#[test]
fn verify_says_clearly_when_a_file_is_not_a_bundle_or_is_missing() {
    let o = fairpanel(&root(), &["verify", "Cargo.toml"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("not a fairpanel bundle: the file is not JSON"),
        "{}",
        stderr(&o)
    );
    let o = fairpanel(&root(), &["verify", "no-such-file.json"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("read no-such-file.json"),
        "{}",
        stderr(&o)
    );
    let o = fairpanel(
        &root(),
        &[
            "verify",
            "tests/vectors/accept-plain.json",
            "--key",
            "not-a-key",
        ],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("--key not-a-key"), "{}", stderr(&o));
}

#[test]
fn verify_without_a_pinned_key_says_where_the_key_came_from() {
    let o = fairpanel(&root(), &["verify", "tests/vectors/accept-plain.json"]);
    assert_eq!(o.status.code(), Some(0));
    let out = stdout(&o);
    assert!(out.contains("taken from the bundle itself"), "{out}");
    assert!(out.contains("WARNING: no --key given"), "{out}");
    assert!(out.contains("NOT who signed"), "{out}");
    // The report ends with what the checks do not prove.
    assert!(out.contains("What these checks do not prove:"), "{out}");
    let o = fairpanel(
        &root(),
        &[
            "verify",
            "tests/vectors/accept-plain.json",
            "--key",
            "tests/vectors/key.pub",
        ],
    );
    assert!(!stdout(&o).contains("WARNING: no --key given"));
}

/// `verify --checkpoint FILE`: current against the bundle's own checkpoint,
/// not current against a larger one, a fork against another tree of the same
/// size (the vectors are separate logs under one key and origin).
#[test]
fn verify_with_a_newer_checkpoint_says_whether_the_bundle_is_current() {
    let dir = tempfile::tempdir().unwrap();
    let cp_of = |name: &str| -> std::path::PathBuf {
        let b: serde_json::Value =
            serde_json::from_slice(&std::fs::read(vectors().join(name)).unwrap()).unwrap();
        let p = dir.path().join(format!("{name}.cp"));
        std::fs::write(&p, b["checkpoint"].as_str().unwrap()).unwrap();
        p
    };
    let run = |cp: &std::path::Path| {
        let o = fairpanel(
            &root(),
            &[
                "verify",
                "tests/vectors/accept-quotas.json",
                "--key",
                "tests/vectors/key.pub",
                "--checkpoint",
                cp.to_str().unwrap(),
            ],
        );
        (o.status.code(), stdout(&o))
    };
    let (code, out) = run(&cp_of("accept-quotas.json"));
    assert_eq!(code, Some(0), "{out}");
    assert!(out.contains("CURRENT: "), "{out}");
    let (code, out) = run(&cp_of("accept-plain.json"));
    assert_eq!(code, Some(0), "{out}");
    assert!(
        out.contains("NOT CURRENT: the log has grown from 5 to 7"),
        "{out}"
    );
    let (code, out) = run(&cp_of("accept-org-cap.json"));
    assert_eq!(code, Some(1), "{out}");
    assert!(out.contains("FORK: "), "{out}");
    let (code, out) = run(&cp_of("accept-voided.json"));
    assert_eq!(code, Some(0), "{out}");
    assert!(out.contains("OLDER: "), "{out}");
}

#[test]
fn keygen_writes_a_private_key_only_its_owner_can_read_and_prints_the_public_forms() {
    let dir = tempfile::tempdir().unwrap();
    let o = fairpanel(dir.path(), &["keygen"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    let private = dir.path().join("keys/log.key");
    let pem = std::fs::read_to_string(&private).unwrap();
    assert!(pem.contains("BEGIN PRIVATE KEY"));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(
            std::fs::metadata(&private).unwrap().permissions().mode() & 0o777,
            0o600
        );
    }
    // The public key in three forms, and never the private one.
    assert!(
        out.contains("key id:  ") && out.contains("base64:  ") && out.contains("BEGIN PUBLIC KEY")
    );
    // Neither a private-key PEM block nor the key's own base64 line.
    assert!(!out.contains("PRIVATE KEY-----"), "{out}");
    assert!(!out.contains(pem.lines().nth(1).unwrap()));
    let pub_b64 = std::fs::read_to_string(dir.path().join("keys/log.pub")).unwrap();
    assert!(out.contains(pub_b64.trim()));
    // A second run does not replace the key.
    let again = fairpanel(dir.path(), &["keygen"]);
    assert_eq!(again.status.code(), Some(2));
    assert!(stderr(&again).contains("not replaced silently"));
    assert_eq!(std::fs::read_to_string(&private).unwrap(), pem);
}

#[test]
fn approve_key_signs_the_replacement_message_of_exactly_the_registration_given() {
    use fairpanel_core::entry;
    let dir = tempfile::tempdir().unwrap();
    assert!(fairpanel(dir.path(), &["keygen"]).status.success());
    let supervisor = std::fs::read_to_string(dir.path().join("keys/log.pub")).unwrap();
    let new = fairpanel_core::keys::SecretKey::from_seed(&[7; 32]).public();
    let old = fairpanel_core::keys::SecretKey::from_seed(&[8; 32]).public();
    let person = "ab".repeat(32);
    let (draw, role, new_b64, old_id) = (
        "gd-2026-d1",
        "expert",
        new.to_base64(),
        old.key_id().to_string(),
    );
    let o = fairpanel(
        dir.path(),
        &[
            "approve-key",
            "--key",
            "keys/log.key",
            "--draw",
            draw,
            "--person",
            &person,
            "--role",
            role,
            "--new-key",
            &new_b64,
            "--replaces",
            &old_id,
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let approval: entry::Attestation = serde_json::from_str(stdout(&o).trim()).unwrap();
    assert_eq!(approval.key.to_base64(), supervisor.trim());
    let reg = entry::KeyRegistration {
        approval: None,
        draw: fairpanel_core::types::DrawId::try_from(draw).unwrap(),
        key: new,
        person: serde_json::from_value(serde_json::Value::String(person)).unwrap(),
        replaces: Some(old.key_id()),
        role: entry::Role::Expert,
    };
    use base64::Engine as _;
    let sig = base64::engine::general_purpose::STANDARD
        .decode(&approval.sig)
        .unwrap();
    approval
        .key
        .verify(&entry::replacement_message(&reg), &sig)
        .unwrap();
    // The same signature does not approve another role (or anything else).
    let other = entry::KeyRegistration {
        role: entry::Role::Supervisor,
        ..reg
    };
    assert!(
        approval
            .key
            .verify(&entry::replacement_message(&other), &sig)
            .is_err()
    );
    // No private key in what it prints.
    let pem = std::fs::read_to_string(dir.path().join("keys/log.key")).unwrap();
    assert!(!stdout(&o).contains(pem.lines().nth(1).unwrap()));
}

#[test]
fn an_extracted_entry_verifies_with_plain_openssl_and_a_changed_one_does_not() {
    let dir = tempfile::tempdir().unwrap();
    let bundle = vectors().join("accept-plain.json");
    let o = fairpanel(
        dir.path(),
        &[
            "extract",
            bundle.to_str().unwrap(),
            "--seq",
            "4",
            "--out",
            ".",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let openssl = |entry: &str| {
        std::process::Command::new("openssl")
            .args([
                "pkeyutl",
                "-verify",
                "-pubin",
                "-inkey",
                "key.pem",
                "-rawin",
                "-in",
                entry,
                "-sigfile",
                "entry-4.sig",
            ])
            .current_dir(dir.path())
            .output()
            .expect("openssl is installed (.ci/run installs it)")
    };
    let ok = openssl("entry-4.json");
    assert!(ok.status.success(), "{}{}", stdout(&ok), stderr(&ok));
    assert!(stdout(&ok).contains("Signature Verified Successfully"));
    let mut bytes = std::fs::read(dir.path().join("entry-4.json")).unwrap();
    let last = bytes.len() - 2;
    bytes[last] ^= 1;
    std::fs::write(dir.path().join("changed.json"), bytes).unwrap();
    assert!(!openssl("changed.json").status.success());
}

#[test]
fn extract_picks_the_key_that_signed_the_entry_across_a_rotation() {
    let dir = tempfile::tempdir().unwrap();
    let bundle = vectors().join("accept-key-rotation.json");
    // seq 1 (the commit) was signed by the old key, seq 5 (the reveal) by the new one.
    for seq in ["1", "5"] {
        let o = fairpanel(
            dir.path(),
            &[
                "extract",
                bundle.to_str().unwrap(),
                "--seq",
                seq,
                "--out",
                ".",
            ],
        );
        assert!(o.status.success(), "{}", stderr(&o));
        let entry = format!("entry-{seq}.json");
        let sig = format!("entry-{seq}.sig");
        let v = std::process::Command::new("openssl")
            .args([
                "pkeyutl", "-verify", "-pubin", "-inkey", "key.pem", "-rawin", "-in", &entry,
                "-sigfile", &sig,
            ])
            .current_dir(dir.path())
            .output()
            .unwrap();
        assert!(v.status.success(), "seq {seq}: {}", stdout(&v));
    }
}

#[test]
fn demo_runs_a_round_through_the_service_and_its_bundles_verify_with_the_served_key() {
    let dir = tempfile::tempdir().unwrap();
    let o = fairpanel(dir.path(), &["demo", "--out", "out"]);
    assert!(o.status.success(), "{}{}", stdout(&o), stderr(&o));
    let out = stdout(&o);
    for step in [
        "committed draw",
        "supervisor 2 contributed",
        "recorded drand quicknet round 1000",
        "revealed",
        "补抽",
        "the notice (公示) of its results published",
        "rejected with a written answer",
        "the notice closed after its period",
        "disclosure",
    ] {
        assert!(out.contains(step), "missing {step:?} in:\n{out}");
    }
    let demo = dir.path().join("out");
    let key = demo.join("key.pub");
    let files = [
        "1-committed.json",
        "2-revealed.json",
        "3-declined.json",
        "4-disclosed.json",
    ];
    for f in files {
        let path = demo.join(f);
        let v = fairpanel(
            dir.path(),
            &[
                "verify",
                path.to_str().unwrap(),
                "--key",
                key.to_str().unwrap(),
            ],
        );
        assert_eq!(v.status.code(), Some(0), "{f}: {}", stdout(&v));
    }
    // The review report verifies as a report; the filing package is there.
    let v = fairpanel(
        dir.path(),
        &[
            "verify",
            demo.join("report.json").to_str().unwrap(),
            "--key",
            key.to_str().unwrap(),
        ],
    );
    assert_eq!(v.status.code(), Some(0), "report.json: {}", stdout(&v));
    assert!(stdout(&v).contains("(review report)"));
    for f in ["report.html", "report.xlsx", "filing.zip"] {
        assert!(demo.join(f).metadata().unwrap().len() > 0, "{f}");
    }
    // Only the disclosed bundle names people.
    let disclosed = std::fs::read_to_string(demo.join("4-disclosed.json")).unwrap();
    assert!(disclosed.contains("\"name\":"));
    for f in &files[..3] {
        let s = std::fs::read_to_string(demo.join(f)).unwrap();
        assert!(!s.contains("\"name\":"), "{f} must not disclose names");
    }
    let declined = fairpanel(
        dir.path(),
        &["verify", demo.join("3-declined.json").to_str().unwrap()],
    );
    assert!(
        stdout(&declined).contains("1 declines, each replaced by the rule"),
        "{}",
        stdout(&declined)
    );
    // The disclosed bundle carries the sealed score sheets, and the verifier
    // recomputes the round's result from them.
    let scored = fairpanel(
        dir.path(),
        &["verify", demo.join("4-disclosed.json").to_str().unwrap()],
    );
    assert!(
        stdout(&scored).contains("sheets of 2 applications are the committed and sealed ones"),
        "{}",
        stdout(&scored)
    );
    // The notice after the seal is in the disclosed bundle and checked.
    assert!(
        stdout(&scored).contains("1 notice(s) after the seal, 1 closed with counts that add up"),
        "{}",
        stdout(&scored)
    );
    let notice = std::fs::read_to_string(demo.join("notice.html")).unwrap();
    assert!(
        notice.contains("公示期：2023-08-28 至 2023-09-01"),
        "{notice}"
    );
    let sheet = std::fs::read_to_string(demo.join("record-sheet.html")).unwrap();
    assert!(sheet.contains("监督人") && sheet.contains("440000-2023-r1-d1"));
    // results.json: both applications ranked, and the ranking is the one the
    // verifier recomputed from the sealed sheets in the disclosed bundle.
    let results: serde_json::Value =
        serde_json::from_slice(&std::fs::read(demo.join("results.json")).unwrap()).unwrap();
    let rows = results["results"].as_array().unwrap();
    assert_eq!(rows.len(), 2, "{results}");
    let ranks: Vec<u64> = rows.iter().map(|r| r["rank"].as_u64().unwrap()).collect();
    assert_eq!(ranks, [1, 2]);
    let bundle: serde_json::Value = serde_json::from_str(&disclosed).unwrap();
    let seal = bundle["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| &e["entry"])
        .find(|e| e["kind"] == "seal")
        .expect("the disclosed bundle carries the seal");
    let mut sealed: Vec<(&str, &str, u64)> = seal["body"]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let (app, score) = (
                r["application"].as_str().unwrap(),
                r["final_score"].as_str().unwrap(),
            );
            (app, score, r["rank"].as_u64().unwrap())
        })
        .collect();
    let mut written: Vec<(&str, &str, u64)> = rows
        .iter()
        .map(|r| {
            let a = &r["aggregate"];
            let (app, score) = (
                a["application"].as_str().unwrap(),
                a["final_score"].as_str().unwrap(),
            );
            (app, score, r["rank"].as_u64().unwrap())
        })
        .collect();
    sealed.sort();
    written.sort();
    assert_eq!(written, sealed, "results.json is not what the seal says");
}

/// `fairpanel verify REPORT.json` (protocol 1.3): every report vector as
/// `report-index.json` says, exit 0 or 1 with the failing check named; a
/// report with a changed byte inside the document is rejected; a file that is
/// neither a bundle nor a report exits 2.
#[test]
fn verify_checks_review_reports_by_their_index() {
    let index: Vec<serde_json::Value> =
        serde_json::from_slice(&std::fs::read(vectors().join("report-index.json")).unwrap())
            .unwrap();
    assert!(index.len() >= 5);
    for v in &index {
        let file = vectors().join(v["file"].as_str().unwrap());
        let key = vectors().join(v["pin"].as_str().unwrap());
        let o = fairpanel(
            &root(),
            &[
                "verify",
                file.to_str().unwrap(),
                "--key",
                key.to_str().unwrap(),
            ],
        );
        let out = stdout(&o);
        assert!(out.contains("(review report)"), "{out}");
        match v["expect"].as_str().unwrap() {
            "accept" => {
                assert_eq!(o.status.code(), Some(0), "{}: {out}", file.display());
                for name in fairpanel_core::report::CHECKS {
                    assert!(
                        out.lines().any(|l| l.trim_start().starts_with(name)),
                        "{name} missing in {out}"
                    );
                }
            }
            _ => {
                assert_eq!(o.status.code(), Some(1), "{}: {out}", file.display());
                let want = format!(
                    "FAILED: first failing check is {}: ",
                    v["check"].as_str().unwrap()
                );
                assert!(out.contains(&want), "{out}");
                assert!(
                    out.contains(v["reason_contains"].as_str().unwrap()),
                    "{out}"
                );
            }
        }
    }
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("r.json");
    std::fs::write(&bad, br#"{"format":"fairpanel-report/v1","title":"x"}"#).unwrap();
    let o = fairpanel(&root(), &["verify", bad.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2), "{}", stdout(&o));
}
