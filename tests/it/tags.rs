//! Protocol 1.1's per-draw tags through the service, on both backends: colleagues
//! whose organisation is spelled differently share one organisation tag, so a
//! cap of 1 seats one of them, and the disclosed bundle proves every opened
//! member's tags; one expert given two leaves by an edit behind the service's
//! back is caught by `fairpanel verify` and by `fairpanel audit`.

use super::draws::{Api, app, t0};
use super::http::{Server, request, start_with, token_for};
use super::*;
use fairpanel::clock::Clock;
use fairpanel::roster::ExpertRecord;
use fairpanel::store::Store;
use fairpanel_core::types::Province;
use serde_json::{Value, json};

const BASE: &str = "/api/v1/provinces/440000";

fn p440() -> Province {
    Province::try_from("440000").unwrap()
}

/// A roster record of `org` (with `code` if given), specialty nursing, active.
fn expert(id: &str, name: &str, org: &str, code: Option<&str>) -> ExpertRecord {
    let mut r = fairpanel::demo::synthetic_records(1).remove(0);
    r.expert_id = id.to_string();
    r.name = name.to_string();
    r.organisation = org.to_string();
    r.credit_code = code.map(str::to_string);
    r.specialty = fairpanel_core::types::Specialty::try_from("nursing").unwrap();
    r
}

async fn server_with(url: &str, roster: &[ExpertRecord]) -> Server {
    let srv = start_with(url, Clock::manual(t0())).await;
    srv.state
        .store
        .write_experts(
            &srv.state.key,
            &srv.state.origin,
            &p440(),
            roster,
            fairpanel::store::experts::Must::Either,
            "import",
            t0(),
        )
        .await
        .unwrap()
        .unwrap();
    srv
}

/// Commits a beacon-less draw with `spec` (JSON fields), contributes and
/// reveals; returns its id.
async fn draw(coord: &Api<'_>, rid: i64, spec: Value) -> String {
    let mut req = json!({"title": "抽取", "beacon": {"mode": "none"}, "entropy_window": 0});
    for (k, v) in spec.as_object().unwrap() {
        req[k] = v.clone();
    }
    let (st, d) = coord.post(&format!("{BASE}/rounds/{rid}/draws"), req).await;
    assert_eq!(st, 201, "{d}");
    let id = d["id"].as_str().unwrap().to_string();
    coord
        .srv
        .state
        .workflow()
        .contribute(
            &p440(),
            &id,
            "supervisor-test",
            fairpanel_core::Hash32([0x5c; 32]),
        )
        .await
        .unwrap_or_else(|e| panic!("contribution: {e:?}"));
    coord.srv.state.clock.advance(1);
    let (st, v) = coord
        .post(&format!("{BASE}/draws/{id}/reveal"), json!({}))
        .await;
    assert_eq!(st, 200, "{v}");
    id
}

async fn bundle(srv: &Server, id: &str) -> String {
    let r = request(
        srv.addr,
        "GET",
        &format!("/api/v1/public/draws/{id}/bundle"),
        &[],
        None,
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);
    r.body
}

/// `fairpanel verify` on `bytes`: exit code and output.
async fn verify(bytes: &str) -> (i32, String) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("b.json"), bytes).unwrap();
    tokio::task::spawn_blocking(move || {
        let o = fairpanel(dir.path(), &["verify", "b.json"]);
        (o.status.code().unwrap_or(-1), stdout(&o) + &stderr(&o))
    })
    .await
    .unwrap()
}

#[tokio::test]
async fn colleagues_spelled_differently_share_one_tag_and_a_cap_of_one_seats_one() {
    for db in backends::all().await {
        // Three colleagues: one organisation spelled three ways (full-width and
        // ASCII brackets, spaces), one of them with its credit code recorded;
        // and four experts of four other organisations.
        let colleagues = ["C1", "C2", "C3"];
        let roster = vec![
            expert(
                "C1",
                "陈一",
                "广州（市）第一人民医院",
                Some("91350100M000100Y43"),
            ),
            expert("C2", "陈二", "广州(市) 第一人民医院", None),
            expert("C3", "陈三", " 广州（市）第一人民医院\u{3000}", None),
            expert("O1", "王一", "佛山市护理学校", None),
            expert("O2", "王二", "深圳市养老服务中心", None),
            expert("O3", "王三", "东莞市技师学院", None),
            expert("O4", "王四", "珠海市家政协会", None),
        ];
        let srv = server_with(&db.url, &roster).await;
        let coord = Api {
            srv: &srv,
            token: token_for(&srv, "gd-coord", "coordinator", Some("440000")).await,
        };
        let rid = coord.open_round("base_new", "评审").await;
        let (st, v) = coord
            .post(
                &format!("{BASE}/rounds/{rid}/applications"),
                app("A1", "申报单位甲"),
            )
            .await;
        assert_eq!(st, 201, "{v}");

        // Five organisations for a panel of 5 with a cap of 1: feasible only if
        // the colleagues count as one organisation with the four others.
        let id = draw(
            &coord,
            rid,
            json!({"panel": 5, "alternates": 0, "org_cap": 1}),
        )
        .await;

        // The committed leaves: one organisation tag for the three colleagues,
        // others apart; every identity tag distinct.
        let d = srv.state.workflow().load(&p440(), &id).await.unwrap();
        let tag_of = |e: &str| d.leaves[d.experts.iter().position(|x| x == e).unwrap()].org;
        assert_eq!(tag_of("C1"), tag_of("C2"), "{}", db.name);
        assert_eq!(tag_of("C1"), tag_of("C3"), "{}", db.name);
        for o in ["O1", "O2", "O3", "O4"] {
            assert_ne!(tag_of("C1"), tag_of(o), "{}: {o}", db.name);
        }
        let mut ids: Vec<_> = d.leaves.iter().map(|l| l.id).collect();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), roster.len());

        // The panel: exactly one of the colleagues.
        let (_, full) = coord.get(&format!("{BASE}/draws/{id}")).await;
        let seated: Vec<String> = full["panel"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["expert_id"].as_str().unwrap().to_string())
            .collect();
        assert_eq!(seated.len(), 5, "{full}");
        let n = seated
            .iter()
            .filter(|e| colleagues.contains(&e.as_str()))
            .count();
        assert_eq!(
            n, 1,
            "{}: the cap of 1 seats one colleague: {seated:?}",
            db.name
        );

        // Scored, closed, disclosed: the bundle carries each opened member's
        // proofs, and verifies.
        let (st, v) = coord
            .post(
                &format!("{BASE}/rounds/{rid}/advance"),
                json!({"to": "scoring"}),
            )
            .await;
        assert_eq!(st, 200, "{v}");
        super::scoring::score_everything(&coord, rid, &id).await;
        let (st, v) = coord
            .post(
                &format!("{BASE}/rounds/{rid}/advance"),
                json!({"to": "closed"}),
            )
            .await;
        assert_eq!(st, 200, "{v}");
        let (st, v) = coord
            .post(&format!("{BASE}/draws/{id}/disclose"), json!({}))
            .await;
        assert_eq!(st, 200, "{v}");
        let b = bundle(&srv, &id).await;
        assert_eq!(b.matches("\"id_proof\":\"").count(), 5, "{b}");
        assert_eq!(b.matches("\"org_proof\":\"").count(), 5);
        let (code, out) = verify(&b).await;
        assert_eq!(code, 0, "{}: {out}", db.name);
        assert!(
            out.contains("identity and organisation tags are proven"),
            "{out}"
        );

        // The disclosure is what the check reads: swap the seated colleague's
        // organisation proof for another member's and the bundle is refused.
        let proofs: Vec<&str> = b
            .match_indices("\"org_proof\":\"")
            .map(|(i, m)| &b[i + m.len()..i + m.len() + 160])
            .collect();
        assert_ne!(proofs[0], proofs[1]);
        let swapped = b.replacen(proofs[0], proofs[1], 1);
        let (code, out) = verify(&swapped).await;
        assert_eq!(code, 1, "{out}");
    }
}

#[tokio::test]
async fn one_expert_given_two_leaves_by_a_database_edit_is_caught_by_verify_and_audit() {
    for db in backends::all().await {
        let roster: Vec<ExpertRecord> = (1..=8)
            .map(|i| {
                expert(
                    &format!("E{i}"),
                    &format!("专家{i}"),
                    &format!("第{i}单位"),
                    None,
                )
            })
            .collect();
        let srv = server_with(&db.url, &roster).await;
        let coord = Api {
            srv: &srv,
            token: token_for(&srv, "gd-coord", "coordinator", Some("440000")).await,
        };
        let rid = coord.open_round("base_new", "评审").await;
        let (st, v) = coord
            .post(
                &format!("{BASE}/rounds/{rid}/applications"),
                app("A1", "申报单位甲"),
            )
            .await;
        assert_eq!(st, 201, "{v}");

        // Behind the service's back: the row of E2 now holds E1's record, so the
        // roster lists E1 twice and the draw gives E1 two leaves (two salts, two
        // tokens, one identity tag).
        let e1 = serde_json::to_string(&roster[0]).unwrap();
        const SQL: &str = "UPDATE experts SET record = $1 WHERE expert_id = 'E2'";
        let n = match &srv.state.store {
            Store::Sqlite(p) => sqlx::query(SQL)
                .bind(&e1)
                .execute(p)
                .await
                .unwrap()
                .rows_affected(),
            Store::Postgres(p) => sqlx::query(SQL)
                .bind(&e1)
                .execute(p)
                .await
                .unwrap()
                .rows_affected(),
        };
        assert_eq!(n, 1);

        // The commit goes through (the service trusts its roster table); the
        // committed bundle already shows the repeat to anyone.
        let (st, d) = coord
            .post(
                &format!("{BASE}/rounds/{rid}/draws"),
                json!({"title": "抽取", "panel": 5, "alternates": 1, "beacon": {"mode": "none"}, "entropy_window": 60}),
            )
            .await;
        assert_eq!(st, 201, "{d}");
        let id = d["id"].as_str().unwrap().to_string();
        let d = srv.state.workflow().load(&p440(), &id).await.unwrap();
        assert_eq!(d.experts.iter().filter(|e| *e == "E1").count(), 2);

        let (code, out) = verify(&bundle(&srv, &id).await).await;
        assert_eq!(code, 1, "{}: {out}", db.name);
        assert!(out.contains("one expert holds two leaves"), "{out}");
        assert!(
            out.lines()
                .any(|l| l.trim_start().starts_with("pool") && l.contains("FAILED")),
            "the pool check fails: {out}"
        );

        // `fairpanel audit` finds it from the database side too: the draw's
        // stored leaves repeat an identity tag (and the roster no longer matches
        // its last roster_change).
        let a = fairpanel::audit::run(
            &srv.state.store,
            &srv.state.key.public(),
            "test.example/log",
        )
        .await
        .unwrap();
        assert!(
            a.problems
                .iter()
                .any(|p| p.at == format!("draws {id}")
                    && p.what.contains("one expert holds two leaves")),
            "{}: {:?}",
            db.name,
            a.problems
        );
    }
}
