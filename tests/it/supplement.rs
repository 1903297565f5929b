//! The supplementary draw (补抽, protocol 1.2) through the HTTP API, on both
//! backends: a round whose alternates run out is not stuck; a draw linked to
//! the first fills the empty seat from the members the first never named, the
//! seated members keep their seats, the round scores with the whole panel,
//! locks only when it is full, and reaches its seal; both bundles verify, the
//! first one recomputing the scores over the chain; the audit finds nothing.

use super::draws::{Api, app, bundle, setup, verify};
use super::http::{send, token_for};
use super::scoring::{login, pledge, score_everything, sheet_json};
use super::*;
use fairpanel_core::scoring as rules;
use serde_json::{Value, json};
use std::collections::BTreeSet;

const BASE: &str = "/api/v1/provinces/440000";

/// A page (or a form's answer) as the coordinator's browser gets it.
async fn web(
    srv: &super::http::Server,
    token: &str,
    path: &str,
    form: Option<&str>,
) -> (u16, String) {
    let cookie = format!("fairpanel_session={token}; fairpanel_lang=en");
    let mut headers = vec![("Cookie", cookie.as_str())];
    if form.is_some() {
        headers.push(("Origin", "http://test"));
        headers.push(("Content-Type", "application/x-www-form-urlencoded"));
    }
    let method = if form.is_some() { "POST" } else { "GET" };
    let r = send(
        srv.addr,
        method,
        path,
        &headers,
        form.unwrap_or("").as_bytes(),
        false,
    )
    .await;
    (r.status, String::from_utf8_lossy(&r.body).into_owned())
}

fn experts(d: &Value, list: &str) -> Vec<String> {
    d[list]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["expert_id"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn a_round_whose_alternates_run_out_reaches_its_seal_through_a_supplementary_draw() {
    for db in backends::all().await {
        let srv = setup(&db.url).await;
        let coord = Api {
            srv: &srv,
            token: token_for(&srv, "gd-coord", "coordinator", Some("440000")).await,
        };
        let rid = coord.open_round("base_new", "评审").await;
        let (st, v) = coord
            .post(
                &format!("{BASE}/rounds/{rid}/applications"),
                app("A1", "甲单位"),
            )
            .await;
        assert_eq!(st, 201, "{v}");
        // One alternate only: the second decline leaves a seat empty.
        let first = coord.revealed_draw(rid, 5, 1).await;
        let (_, d1) = coord.get(&format!("{BASE}/draws/{first}")).await;
        let named: BTreeSet<String> = experts(&d1, "panel")
            .into_iter()
            .chain(experts(&d1, "alternates"))
            .collect();
        let (st, v) = coord
            .post(
                &format!("{BASE}/rounds/{rid}/advance"),
                json!({"to": "scoring"}),
            )
            .await;
        assert_eq!(st, 200, "{v}");
        let mut short = false;
        for _ in 0..2 {
            let (_, d) = coord.get(&format!("{BASE}/draws/{first}")).await;
            let who = experts(&d, "panel")[0].clone();
            let (st, v) = coord
                .post(
                    &format!("{BASE}/draws/{first}/declines"),
                    json!({"expert_id": who, "reason": "illness"}),
                )
                .await;
            assert_eq!(st, 200, "{v}");
            short = v["new_draw_required"].as_bool().unwrap();
        }
        assert!(short, "one alternate covers one decline, not two");
        let (_, d1) = coord.get(&format!("{BASE}/draws/{first}")).await;
        let kept = experts(&d1, "panel");
        assert_eq!(kept.len(), 4, "{d1}");

        // The four seated members score; a panel with an empty seat never
        // locks, so the results stay closed.
        score_everything(&coord, rid, &first).await;
        let (st, v) = coord.get(&format!("{BASE}/rounds/{rid}/results")).await;
        assert_eq!(st, 409, "{v}");
        let (st, v) = coord
            .post(&format!("{BASE}/rounds/{rid}/scoring/lock"), json!({}))
            .await;
        assert_eq!(st, 409, "no lock with a seat empty: {v}");

        // An unrelated new draw is refused: the way on is the supplement.
        let (st, v) = coord
            .post(
                &format!("{BASE}/rounds/{rid}/draws"),
                json!({"title": "另抽", "panel": 5, "beacon": {"mode": "none"}, "entropy_window": 0}),
            )
            .await;
        assert_eq!(st, 409, "{v}");
        assert!(
            v["error"].as_str().unwrap().contains("supplementary draw"),
            "{v}"
        );
        // Bad input changes nothing.
        let (st, v) = coord
            .post(
                &format!("{BASE}/draws/{first}/supplement"),
                json!({"alternates": 100, "beacon": {"mode": "none"}, "entropy_window": 0}),
            )
            .await;
        assert_eq!(st, 422, "{v}");
        let (st, v) = coord
            .post(
                &format!("{BASE}/draws/{first}/supplement"),
                json!({"alternates": 1, "beacon": {"mode": "none"}, "entropy_window": 0, "panel": 7}),
            )
            .await;
        assert_eq!(st, 400, "the rules are the first draw's: {v}");
        // Another province's coordinator cannot touch it.
        let other = Api {
            srv: &srv,
            token: token_for(&srv, "js-coord", "coordinator", Some("320000")).await,
        };
        let r = other
            .post(
                &format!("/api/v1/provinces/440000/draws/{first}/supplement"),
                json!({"alternates": 1, "beacon": {"mode": "none"}, "entropy_window": 0}),
            )
            .await;
        assert_eq!(r.0, 404, "{}", r.1);
        let r = other
            .post(
                &format!("/api/v1/provinces/320000/draws/{first}/supplement"),
                json!({"alternates": 1, "beacon": {"mode": "none"}, "entropy_window": 0}),
            )
            .await;
        assert_eq!(r.0, 404, "{}", r.1);

        // The draw's page offers the supplementary draw; a bad number is
        // named beside its field and commits nothing.
        let page_of = format!("/p/440000/draws/{first}");
        let (st, page) = web(&srv, &coord.token, &page_of, None).await;
        assert_eq!(st, 200);
        assert!(page.contains("id=\"supplement-form\""), "{page}");
        let at = page.find("name=\"csrf\" value=\"").unwrap() + 19;
        let csrf = page[at..at + page[at..].find('"').unwrap()].to_string();
        let before = srv.state.store.log_size().await.unwrap();
        let (st, page) = web(
            &srv,
            &coord.token,
            &format!("{page_of}/supplement"),
            Some(&format!("csrf={csrf}&alternates=two&beacon=none&window=0")),
        )
        .await;
        assert_eq!(st, 400, "{page}");
        assert!(page.contains("has-error"), "{page}");
        assert_eq!(srv.state.store.log_size().await.unwrap(), before);
        let (st, d) = coord
            .post(
                &format!("{BASE}/draws/{first}/supplement"),
                json!({"alternates": 2, "beacon": {"mode": "none"}, "entropy_window": 0}),
            )
            .await;
        assert_eq!(st, 201, "{d}");
        let second = d["id"].as_str().unwrap().to_string();
        assert!(d["title"].as_str().unwrap().contains("补抽"), "{d}");
        let (st, v) = coord
            .post(
                &format!("{BASE}/draws/{first}/supplement"),
                json!({"alternates": 2, "beacon": {"mode": "none"}, "entropy_window": 0}),
            )
            .await;
        assert_eq!(st, 409, "one supplement at a time: {v}");
        // From the supplement's commit on, the panel's declines are its own.
        let (st, v) = coord
            .post(
                &format!("{BASE}/draws/{first}/declines"),
                json!({"expert_id": kept[0], "reason": "illness"}),
            )
            .await;
        assert_eq!(st, 409, "{v}");
        assert!(v["error"].as_str().unwrap().contains(&second), "{v}");

        let p = fairpanel_core::types::Province::try_from("440000").unwrap();
        srv.state
            .workflow()
            .contribute(
                &p,
                &second,
                "supervisor-test",
                fairpanel_core::Hash32([0x3a; 32]),
            )
            .await
            .unwrap_or_else(|e| panic!("{e:?}"));
        srv.state.clock.advance(1);
        let (st, d2) = coord
            .post(&format!("{BASE}/draws/{second}/reveal"), json!({}))
            .await;
        assert_eq!(st, 200, "{d2}");
        let (_, d2) = coord.get(&format!("{BASE}/draws/{second}")).await;
        let (_, page) = web(&srv, &coord.token, &page_of, None).await;
        assert!(
            page.contains(&format!("href=\"/p/440000/draws/{second}\"")),
            "the first links the second"
        );
        assert!(
            !page.contains("id=\"supplement-form\""),
            "no second supplement offered"
        );
        let (_, page) = web(
            &srv,
            &coord.token,
            &format!("/p/440000/draws/{second}"),
            None,
        )
        .await;
        assert!(page.contains("id=\"supplement-of\""), "{page}");
        let panel2 = experts(&d2, "panel");
        assert_eq!(panel2.len(), 5, "{d2}");
        assert_eq!(d2["panel_short"], false);
        assert_eq!(panel2[..4], kept[..], "the seated members keep their seats");
        let newcomer = panel2[4].clone();
        assert!(
            !named.contains(&newcomer),
            "{newcomer} was named by the first draw"
        );
        for a in experts(&d2, "alternates") {
            assert!(!named.contains(&a) && !panel2.contains(&a), "{a}");
        }

        // The newcomer scores; the round locks with the whole panel.
        let (_, rv) = coord.get(&format!("{BASE}/rounds/{rid}/rubric")).await;
        let rubric: rules::Rubric = serde_json::from_value(rv["rubric"].clone()).unwrap();
        let (st, a) = coord
            .post(
                "/api/v1/accounts",
                json!({"username": "newcomer", "role": "expert", "province": "440000", "expert_id": newcomer}),
            )
            .await;
        assert_eq!(st, 200, "{a}");
        let t = login(&srv, "newcomer", a["activation_code"].as_str().unwrap()).await;
        let me = Api {
            srv: &srv,
            token: t,
        };
        pledge(&me, rid).await;
        let (st, v) = me
            .post(
                &format!("{BASE}/rounds/{rid}/sheets/A1/submit"),
                sheet_json(&fairpanel::scores::sample_sheet(&rubric, "A1", 9)),
            )
            .await;
        assert_eq!(st, 200, "{v}");
        let (st, res) = coord.get(&format!("{BASE}/rounds/{rid}/results")).await;
        assert_eq!(st, 200, "{res}");
        assert_eq!(res["results"][0]["aggregate"]["sheets"], 5, "{res}");
        let (st, v) = coord
            .post(
                &format!("{BASE}/rounds/{rid}/advance"),
                json!({"to": "closed"}),
            )
            .await;
        assert_eq!(st, 200, "{v}");
        for id in [&first, &second] {
            let (st, v) = coord
                .post(&format!("{BASE}/draws/{id}/disclose"), json!({}))
                .await;
            assert_eq!(st, 200, "{id}: {v}");
        }

        // The review report follows the chain: the seated panel is the
        // supplement's (the four carried and the newcomer), and it verifies.
        let (st, v) = coord
            .post(&format!("{BASE}/rounds/{rid}/report"), json!({}))
            .await;
        assert_eq!(st, 201, "{v}");
        let (st, text) = super::review_report::report_text(&coord, rid).await;
        assert_eq!(st, 200, "{text}");
        let doc: serde_json::Value = serde_json::from_str(&text).unwrap();
        let panel = &doc["sections"]["panel"];
        assert_eq!(panel["members"].as_array().unwrap().len(), 5, "{panel}");
        assert_eq!(
            (&panel["declined"], &panel["replaced"]),
            (&json!(2), &json!(1)),
            "{panel}"
        );
        let tokens: BTreeSet<&str> = panel["members"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m["token"].as_str().unwrap())
            .collect();
        let want: BTreeSet<&str> = d2["panel"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m["token"].as_str().unwrap())
            .collect();
        assert_eq!(tokens, want);
        let (code, out) = {
            let dir = tempfile::tempdir().unwrap();
            let f = dir.path().join("r.json");
            std::fs::write(&f, &text).unwrap();
            let o = fairpanel(&root(), &["verify", f.to_str().unwrap()]);
            (o.status.code(), stdout(&o))
        };
        assert_eq!(code, Some(0), "{out}");

        // Both bundles verify: the supplement's follows the link from the
        // first commit; the first's recomputes the seal over the chain's panel.
        let b2 = bundle(&srv, &second).await;
        let (code, out) = verify(b2.as_bytes()).await;
        assert_eq!(code, 0, "{out}");
        assert!(
            out.contains(&format!("supplementary draw (补抽) of {first}")),
            "{out}"
        );
        let b1 = bundle(&srv, &first).await;
        let (code, out) = verify(b1.as_bytes()).await;
        assert_eq!(code, 0, "{out}");
        let scoring = out
            .lines()
            .find(|l| l.trim_start().starts_with("scoring"))
            .unwrap();
        assert!(scoring.contains("passed"), "{out}");
        // A bundle with the link's carried members changed fails.
        let tampered = b2.replacen(
            &d2["panel"][0]["token"].as_str().unwrap()[..16],
            "0000000000000000",
            1,
        );
        let (code, _) = verify(tampered.as_bytes()).await;
        assert_eq!(code, 1);

        let a = fairpanel::audit::run(
            &srv.state.store,
            &srv.state.key.public(),
            "test.example/log",
        )
        .await
        .unwrap();
        assert!(a.problems.is_empty(), "{} {:?}", db.name, a.problems);
    }
}
