//! Protocol 1.7, the per-province hash chain (`pprev`), on both backends: a
//! draw's bundle leaves out other provinces' entries, so thousands of another
//! province's roster changes between its commit and reveal change neither its
//! entries nor its size (beyond the inclusion proofs' extra levels and the seq
//! digits, counted exactly); both verifiers accept it; and an entry signed off
//! its province's chain (two entries naming the same `pprev`, which would hide
//! one from the province's bundles) is named by `fairpanel audit` and
//! `fairpanel monitor` with both seqs.

use super::backends;
use super::draws::{Api, bundle, setup, verify};
use super::http::{Server, token_for};
use super::*;
use fairpanel::store::log::NewEntry;
use fairpanel_core::entry::{self, Body, RosterChange};
use fairpanel_core::hash::Hash32;
use fairpanel_core::types::{Province, ReasonCode};
use serde_json::{Value, json};

/// Foreign roster changes between one draw's commit and its reveal.
const FOREIGN: u64 = 1000;

fn js() -> Province {
    Province::try_from("320000").unwrap()
}

/// A roster change of 320000 (whose expert table is empty, as its hash says).
fn foreign(_: u64) -> NewEntry {
    NewEntry {
        time: super::draws::t0(),
        province: Some(js()),
        body: Body::RosterChange(RosterChange {
            action: ReasonCode::try_from("update").unwrap(),
            changed: 1,
            roster: fairpanel::store::experts::roster_hash(&[]),
            size: 0,
        }),
    }
}

/// Appends `n` foreign roster changes, 100 per transaction.
async fn append_foreign(srv: &Server, n: u64) {
    let all: Vec<NewEntry> = (0..n).map(foreign).collect();
    for chunk in all.chunks(100) {
        srv.state
            .store
            .append(&srv.state.key, &srv.state.origin, chunk)
            .await
            .unwrap();
    }
}

/// A beacon-less draw in a fresh round of 440000, with `n` foreign roster
/// changes between its commit and its contribution and as many between the
/// contribution and its reveal; with `old_writer`, also an entry of 440000
/// without `pprev` after the first ones (as an instance from before 1.7 still
/// appending during an upgrade writes it). Its bundle.
async fn draw_with_foreign(srv: &Server, n: u64, old_writer: bool) -> Vec<u8> {
    let coord = Api {
        srv,
        token: token_for(srv, "gd-coord", "coordinator", Some("440000")).await,
    };
    let base = "/api/v1/provinces/440000";
    let rid = coord.open_round("studio", "t").await;
    let (st, d) = coord
        .post(
            &format!("{base}/rounds/{rid}/draws"),
            json!({"title": "抽取", "panel": 5, "alternates": 2, "beacon": {"mode": "none"}, "entropy_window": 0}),
        )
        .await;
    assert_eq!(st, 201, "{d}");
    let id = d["id"].as_str().unwrap().to_string();
    append_foreign(srv, n).await;
    let p = Province::try_from("440000").unwrap();
    if old_writer {
        let store = &srv.state.store;
        fairpanel::with_pool!(store, pool => {
            let mut tx = store.begin_write(pool).await.unwrap();
            let old = NewEntry { province: Some(p.clone()), ..foreign(0) };
            fairpanel::store::log::append_with_pprev_in(
                &mut tx,
                &srv.state.key,
                &srv.state.origin,
                &[old],
                None,
            )
            .await
            .unwrap();
            tx.commit().await.unwrap();
        });
    }
    srv.state
        .workflow()
        .contribute(&p, &id, "supervisor-test", Hash32([0x5c; 32]))
        .await
        .unwrap_or_else(|e| panic!("contribution: {e:?}"));
    append_foreign(srv, n).await;
    srv.state.clock.advance(1);
    let (st, v) = coord
        .post(&format!("{base}/draws/{id}/reveal"), json!({}))
        .await;
    assert_eq!(st, 200, "{v}");
    bundle(srv, &id).await.into_bytes()
}

fn digits(n: u64) -> i64 {
    n.to_string().len() as i64
}

/// `(seq, kind, province, entry length, proof hashes)` of each entry.
fn entries(b: &Value) -> Vec<(u64, String, String, usize, usize)> {
    b["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            let en = &e["entry"];
            (
                en["seq"].as_u64().unwrap(),
                en["kind"].as_str().unwrap().to_string(),
                en["province"].as_str().unwrap_or("").to_string(),
                serde_json::to_string(en).unwrap().len(),
                e["proof"].as_array().map_or(0, |p| p.len()),
            )
        })
        .collect()
}

/// Runs the TypeScript verifier's command line on `bytes`: its exit status
/// and output; `None` without Node or node_modules (outside CI).
fn ts_verify(bytes: &[u8]) -> Option<(i32, String)> {
    let node = Command::new("node")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !(node && root().join("node_modules/@noble/curves").is_dir()) {
        assert!(
            !backends::under_ci(),
            "Node.js and node_modules are required under CI"
        );
        eprintln!("NOTICE: node or node_modules missing; the TypeScript verifier is not run");
        return None;
    }
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("b.json"), bytes).unwrap();
    let mut cmd = Command::new("node");
    cmd.arg(root().join("web/verifier/dist/cli.mjs"))
        .arg("b.json")
        .current_dir(dir.path());
    let o = output_within(cmd, COMMAND_TIMEOUT);
    Some((o.status.code().unwrap_or(-1), stdout(&o) + &stderr(&o)))
}

#[tokio::test]
async fn other_provinces_entries_between_a_draws_entries_leave_its_bundle_as_it_was() {
    // Two servers per backend, each on its own database: the same draw, with
    // no foreign entries (`plain`) and with 2 × FOREIGN of them in its range.
    let (plain_dbs, busy_dbs) = (backends::all().await, backends::all().await);
    for (pdb, bdb) in plain_dbs.iter().zip(&busy_dbs) {
        let name = pdb.name;
        let plain_srv = setup(&pdb.url).await;
        let busy_srv = setup(&bdb.url).await;
        let plain = draw_with_foreign(&plain_srv, 0, false).await;
        let busy = draw_with_foreign(&busy_srv, FOREIGN, false).await;
        let (pv, bv): (Value, Value) = (
            serde_json::from_slice(&plain).unwrap(),
            serde_json::from_slice(&busy).unwrap(),
        );
        assert_eq!(pv["format"], fairpanel_core::bundle::FORMAT, "{name}");
        assert_eq!(bv["format"], fairpanel_core::bundle::FORMAT, "{name}");
        let (pe, be) = (entries(&pv), entries(&bv));

        // The same entries: kinds in order, all of 440000; the busy draw's
        // seqs skip the foreign entries.
        let kinds = |v: &[(u64, String, String, usize, usize)]| -> Vec<String> {
            v.iter().map(|e| e.1.clone()).collect()
        };
        assert_eq!(kinds(&pe), kinds(&be), "{name}");
        assert!(be.iter().all(|e| e.2 == "440000"), "{name}: {be:?}");
        let span = |v: &[(u64, String, String, usize, usize)]| v.last().unwrap().0 - v[0].0;
        assert!(span(&be) >= span(&pe) + 2 * FOREIGN, "{name}: {be:?}");
        assert!(!String::from_utf8_lossy(&busy).contains("\"province\":\"320000\""));

        // Each entry's bytes: the same length but for its seq's digits.
        for (p, b) in pe.iter().zip(&be) {
            assert_eq!(
                b.3 as i64 - p.3 as i64,
                digits(b.0) - digits(p.0),
                "{name}: entry {} ({}) against {}",
                b.0,
                b.1,
                p.0
            );
        }
        // The whole file: every byte of difference is an inclusion proof's
        // extra hash (`"<64 hex>",`, 67 bytes), a seq's digits or the
        // checkpoint's (its size line): nothing of the foreign entries.
        let hashes = |v: &[(u64, String, String, usize, usize)]| -> i64 {
            v.iter().map(|e| e.4 as i64).sum()
        };
        let seq_digits: i64 = pe
            .iter()
            .zip(&be)
            .map(|(p, b)| digits(b.0) - digits(p.0))
            .sum();
        let rot_hashes = |v: &Value| -> i64 {
            v["rotations"]
                .as_array()
                .unwrap()
                .iter()
                .map(|r| r["proof"].as_array().map_or(0, |p| p.len()) as i64)
                .sum()
        };
        let cp = |v: &Value| serde_json::to_string(&v["checkpoint"]).unwrap().len() as i64;
        assert_eq!(
            busy.len() as i64 - plain.len() as i64,
            67 * (hashes(&be) - hashes(&pe) + rot_hashes(&bv) - rot_hashes(&pv))
                + seq_digits
                + (cp(&bv) - cp(&pv)),
            "{name}"
        );
        eprintln!(
            "{name}: bundle of {} entries without foreign entries: {} bytes; of {} entries with {} foreign entries in its range: {} bytes ({} more proof hashes)",
            pe.len(),
            plain.len(),
            be.len(),
            2 * FOREIGN,
            busy.len(),
            hashes(&be) - hashes(&pe)
        );

        // Both verifiers accept both bundles.
        for (what, b) in [("plain", &plain), ("busy", &busy)] {
            let (code, out) = verify(b).await;
            assert_eq!(code, 0, "{name} {what}: {out}");
            assert!(
                out.contains("hash-chained by pprev"),
                "{name} {what}: {out}"
            );
            if let Some((code, out)) = ts_verify(b) {
                assert_eq!(code, 0, "{name} {what} (TypeScript): {out}");
                assert!(out.contains("hash-chained by pprev"), "{out}");
            }
        }
        // A province entry left out of the busy bundle: both refuse it.
        let text = String::from_utf8(busy.clone()).unwrap();
        let entropy = text
            .lines()
            .find(|l| l.contains("\"kind\":\"entropy\""))
            .unwrap();
        let cut = text.replacen(&format!("{entropy}\n"), "", 1);
        let (code, out) = verify(cut.as_bytes()).await;
        assert_eq!(code, 1, "{name}: {out}");
        assert!(out.contains("an entry of the province is missing"), "{out}");
        if let Some((code, out)) = ts_verify(cut.as_bytes()) {
            assert_eq!(code, 1, "{name} (TypeScript): {out}");
            assert!(out.contains("an entry of the province is missing"), "{out}");
        }
    }
}

#[tokio::test]
async fn a_draw_whose_range_holds_an_entry_without_pprev_gets_the_v1_1_bundle() {
    for db in backends::all().await {
        let name = db.name;
        let srv = setup(&db.url).await;
        let b = draw_with_foreign(&srv, 3, true).await;
        let v: Value = serde_json::from_slice(&b).unwrap();
        assert_eq!(v["format"], fairpanel_core::bundle::FORMAT_V1_1, "{name}");
        // Every entry of the range: the six foreign ones and the old one too,
        // seqs consecutive.
        let es = entries(&v);
        assert_eq!(
            es.iter().filter(|e| e.2 == "320000").count(),
            6,
            "{name}: {es:?}"
        );
        assert!(
            es.windows(2).all(|w| w[1].0 == w[0].0 + 1),
            "{name}: {es:?}"
        );
        let lacking: Vec<u64> = v["entries"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| e["entry"].get("pprev").is_none())
            .map(|e| e["entry"]["seq"].as_u64().unwrap())
            .collect();
        assert_eq!(lacking.len(), 1, "{name}: {lacking:?}");
        // The province's next entry names the old one: the chain goes on.
        let next = v["entries"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| {
                e["entry"]["province"] == "440000"
                    && e["entry"]["seq"].as_u64().unwrap() > lacking[0]
            })
            .unwrap();
        let old = srv
            .state
            .store
            .entries(lacking[0], lacking[0] + 1)
            .await
            .unwrap();
        assert_eq!(
            next["entry"]["pprev"],
            entry::entry_hash(&old[0].bytes).to_string(),
            "{name}"
        );
        let (code, out) = verify(&b).await;
        assert_eq!(code, 0, "{name}: {out}");
        assert!(
            out.contains("are hash-chained") && !out.contains("by pprev"),
            "{out}"
        );
        if let Some((code, out)) = ts_verify(&b) {
            assert_eq!(code, 0, "{name} (TypeScript): {out}");
        }
        let a = fairpanel::audit::run(&srv.state.store, &srv.state.key.public(), "x")
            .await
            .unwrap();
        assert!(
            !a.problems.iter().any(|p| p.what.contains("pprev")),
            "{name}: {:?}",
            a.problems
        );
    }
}

/// The hash and seq of `province`'s last entry in the stored log.
async fn head_of(srv: &Server, province: &str) -> (u64, Hash32) {
    let all = srv.state.store.entries(0, u64::MAX >> 1).await.unwrap();
    let e = all
        .iter()
        .rev()
        .find(|e| {
            entry::parse(&e.bytes)
                .unwrap()
                .entry
                .province
                .is_some_and(|p| p.as_str() == province)
        })
        .unwrap();
    (e.seq, entry::entry_hash(&e.bytes))
}

/// Two roster changes of 320000, then a third signed off the chain: it names
/// the same `pprev` as the second (the first's hash). Returns the seqs of the
/// second and the forged entry.
async fn fork_the_province_chain(srv: &Server) -> (u64, u64) {
    append_foreign(srv, 1).await;
    let (first, first_hash) = head_of(srv, "320000").await;
    append_foreign(srv, 1).await;
    let (second, _) = head_of(srv, "320000").await;
    let all = srv.state.store.entries(second, second + 1).await.unwrap();
    assert_eq!(
        entry::parse(&all[0].bytes).unwrap().entry.pprev,
        Some(first_hash),
        "the service chains the province: entry {second} names entry {first}"
    );
    let store = &srv.state.store;
    let forged = fairpanel::with_pool!(store, pool => {
        let mut tx = store.begin_write(pool).await.unwrap();
        let a = fairpanel::store::log::append_with_pprev_in(
            &mut tx,
            &srv.state.key,
            &srv.state.origin,
            &[foreign(7)],
            Some(first_hash),
        )
        .await
        .unwrap();
        tx.commit().await.unwrap();
        a[0].seq
    });
    (second, forged)
}

#[tokio::test]
async fn audit_names_an_entry_signed_off_its_provinces_chain() {
    for db in backends::all().await {
        let srv = setup(&db.url).await;
        let before = fairpanel::audit::run(&srv.state.store, &srv.state.key.public(), "x")
            .await
            .unwrap();
        assert!(
            !before.problems.iter().any(|p| p.what.contains("pprev")),
            "{}: {:?}",
            db.name,
            before.problems
        );
        let (second, forged) = fork_the_province_chain(&srv).await;
        let a = fairpanel::audit::run(&srv.state.store, &srv.state.key.public(), &srv.state.origin)
            .await
            .unwrap();
        let found: Vec<String> = a.problems.iter().map(|p| p.to_string()).collect();
        let want = format!("does not name the previous entry of the province, seq {second}");
        assert!(
            found
                .iter()
                .any(|p| p.starts_with(&format!("entry seq {forged}:")) && p.contains(&want)),
            "{}: {found:?}",
            db.name
        );
        // The forged entry is the only pprev problem.
        assert_eq!(
            found.iter().filter(|p| p.contains("pprev")).count(),
            1,
            "{}: {found:?}",
            db.name
        );
    }
}

#[tokio::test]
async fn the_monitor_refuses_an_entry_signed_off_its_provinces_chain() {
    for db in backends::all().await {
        let srv = setup(&db.url).await;
        let url = format!("http://{}", srv.addr);
        let dir = tempfile::tempdir().unwrap();
        let m = fairpanel::monitor::Monitor::new(&url, dir.path()).unwrap();
        // A log whose province chains are whole: accepted, heads kept.
        append_foreign(&srv, 2).await;
        let r = m.round(Some(srv.state.key.public())).await.unwrap();
        assert!(
            matches!(r, fairpanel::monitor::Round::Consistent { .. }),
            "{}: {r:?}",
            db.name
        );
        let kept = m.kept().unwrap().unwrap();
        let heads = kept.provinces.clone().unwrap();
        assert_eq!(
            heads["320000"],
            head_of(&srv, "320000").await,
            "{}",
            db.name
        );

        let (second, forged) = fork_the_province_chain(&srv).await;
        tokio::time::sleep(
            fairpanel::http::public::CHECKPOINT_TTL + std::time::Duration::from_millis(50),
        )
        .await;
        let e = m.round(None).await.unwrap_err();
        let e = format!("{e:#}");
        assert!(
            e.contains(&format!("entry seq {forged} of province 320000"))
                && e.contains(&format!("previous entry of the province, seq {second}")),
            "{}: {e}",
            db.name
        );
        // Nothing was accepted over it.
        assert_eq!(m.kept().unwrap().unwrap(), kept, "{}", db.name);
    }
}

#[tokio::test]
async fn audit_and_monitor_name_an_entry_of_a_draw_filed_under_another_province() {
    for db in backends::all().await {
        let name = db.name;
        let srv = setup(&db.url).await;
        let coord = Api {
            srv: &srv,
            token: token_for(&srv, "gd-coord", "coordinator", Some("440000")).await,
        };
        let rid = coord.open_round("studio", "t").await;
        let id = coord.revealed_draw(rid, 5, 0).await;
        let url = format!("http://{}", srv.addr);
        let dir = tempfile::tempdir().unwrap();
        let m = fairpanel::monitor::Monitor::new(&url, dir.path()).unwrap();
        let r = m.round(Some(srv.state.key.public())).await.unwrap();
        assert!(
            matches!(r, fairpanel::monitor::Round::Consistent { .. }),
            "{name}: {r:?}"
        );
        let commit_seq = m.kept().unwrap().unwrap().draws.unwrap()[&id].1;
        // A void of the draw, signed and in the tree, filed under 320000:
        // the draw's v1.7 bundle leaves it out.
        let void = NewEntry {
            time: super::draws::t0() + 1,
            province: Some(js()),
            body: Body::Void(entry::Void {
                commit: Hash32([1; 32]),
                draw: fairpanel_core::types::DrawId::try_from(id.clone()).unwrap(),
                reason: "录入错误".into(),
            }),
        };
        let seq = srv
            .state
            .store
            .append(&srv.state.key, &srv.state.origin, &[void])
            .await
            .unwrap()[0]
            .0;
        let b = bundle(&srv, &id).await;
        assert!(!b.contains("\"kind\":\"void\""), "{name}: {b}");
        // …and still verifies: the bundle alone does not show it (a known
        // limit of 1.7), the whole log does.
        let (code, out) = verify(b.as_bytes()).await;
        assert_eq!(code, 0, "{name}: {out}");
        let want = format!(
            "entry seq {seq} of draw {id} is filed under province 320000, but the draw's commit, seq {commit_seq}, is of province 440000"
        );
        let a = fairpanel::audit::run(&srv.state.store, &srv.state.key.public(), "x")
            .await
            .unwrap();
        assert!(
            a.problems.iter().any(|p| p.what.contains(&want)),
            "{name}: {:?}",
            a.problems
        );
        tokio::time::sleep(
            fairpanel::http::public::CHECKPOINT_TTL + std::time::Duration::from_millis(50),
        )
        .await;
        let e = format!("{:#}", m.round(None).await.unwrap_err());
        assert!(e.contains(&want), "{name}: {e}");
    }
}

#[tokio::test]
async fn audit_names_an_entry_of_a_round_filed_under_another_province() {
    for db in backends::all().await {
        let name = db.name;
        let srv = setup(&db.url).await;
        let coord = Api {
            srv: &srv,
            token: token_for(&srv, "gd-coord", "coordinator", Some("440000")).await,
        };
        let rid = coord.open_round("base_new", "t").await;
        let (st, v) = coord
            .post(
                &format!("/api/v1/provinces/440000/rounds/{rid}/applications"),
                super::draws::app("A1", "甲单位"),
            )
            .await;
        assert_eq!(st, 201, "{v}");
        coord.revealed_draw(rid, 5, 0).await;
        let (st, v) = coord
            .post(
                &format!("/api/v1/provinces/440000/rounds/{rid}/advance"),
                serde_json::json!({"to": "scoring"}),
            )
            .await;
        assert_eq!(st, 200, "{name}: {v}");
        let gd = Province::try_from("440000").unwrap();
        let r = srv.state.store.round(&gd, rid).await.unwrap().unwrap();
        let round = fairpanel::scores::round_ref(&r);
        // A pledge of the round, signed and in the tree, filed under 320000:
        // the panel draw's v1.7 bundle would leave it out.
        let pledge = NewEntry {
            time: super::draws::t0() + 1,
            province: Some(js()),
            body: Body::Pledge(entry::Pledge {
                round: round.clone(),
                scorer: fairpanel_core::types::Token(Hash32([2; 32])),
                text: Hash32([3; 32]),
                signature: None,
            }),
        };
        let seq = srv
            .state
            .store
            .append(&srv.state.key, &srv.state.origin, &[pledge])
            .await
            .unwrap()[0]
            .0;
        let want = format!(
            "entry seq {seq} of round {round} is filed under province 320000, but the round's scoring_open"
        );
        let a = fairpanel::audit::run(&srv.state.store, &srv.state.key.public(), "x")
            .await
            .unwrap();
        assert!(
            a.problems.iter().any(|p| p.what.contains(&want)),
            "{name}: {:?}",
            a.problems
        );
    }
}
