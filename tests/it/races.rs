//! Races as races: many identical requests released at once by a barrier on a
//! multi-threaded runtime, so that the service's handlers really run in parallel.
//! What must hold is counted in the log itself, not read off status codes: one
//! reveal, one decline of a seated member, one contribution per supervisor, on
//! both backends.

use super::draws::{Api, setup};
use super::http::{request, token_for};
use super::*;
use fairpanel_core::entry::{self, Body};
use serde_json::{Value, json};
use std::sync::Arc;
use tokio::sync::Barrier;

/// How many copies of each request race.
const RACERS: usize = 8;

/// Sends `RACERS` copies of one request, all released at the same moment; their
/// statuses, sorted.
async fn race(api: &Api<'_>, path: &str, body: Value) -> Vec<u16> {
    let barrier = Arc::new(Barrier::new(RACERS));
    let mut tasks = Vec::new();
    for _ in 0..RACERS {
        let (barrier, addr) = (barrier.clone(), api.srv.addr);
        let (auth, path, body) = (
            format!("Bearer {}", api.token),
            path.to_string(),
            body.clone(),
        );
        tasks.push(tokio::spawn(async move {
            barrier.wait().await;
            request(
                addr,
                "POST",
                &path,
                &[("Authorization", &auth)],
                Some(&body),
            )
            .await
            .status
        }));
    }
    let mut statuses = Vec::new();
    for t in tasks {
        statuses.push(t.await.unwrap());
    }
    statuses.sort();
    statuses
}

/// The bodies of the log's entries, parsed.
async fn log_bodies(api: &Api<'_>) -> Vec<Body> {
    let store = &api.srv.state.store;
    let size = store.log_size().await.unwrap();
    store
        .entries(0, size)
        .await
        .unwrap()
        .iter()
        .map(|e| entry::parse(&e.bytes).unwrap().body)
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn racing_contributions_reveals_and_declines_each_write_one_entry() {
    for db in backends::all().await {
        let srv = setup(&db.url).await;
        let coord = Api {
            srv: &srv,
            token: token_for(&srv, "gd-coord", "coordinator", Some("440000")).await,
        };
        let sup = Api {
            srv: &srv,
            token: token_for(&srv, "gd-sup1", "supervisor", Some("440000")).await,
        };
        let base = "/api/v1/provinces/440000";
        let rid = coord.open_round("studio", "技能大师工作室评审").await;
        let (st, d) = coord
            .post(
                &format!("{base}/rounds/{rid}/draws"),
                json!({"title": "抽取", "panel": 5, "alternates": 2, "beacon": {"mode": "none"}, "entropy_window": 60}),
            )
            .await;
        assert_eq!(st, 201, "{d}");
        let id = d["id"].as_str().unwrap().to_string();
        let draw = format!("{base}/draws/{id}");

        // One supervisor, eight contributions at once.
        let statuses = race(
            &sup,
            &format!("{draw}/entropy"),
            json!({"value": hex::encode([9; 32])}),
        )
        .await;
        let ok = statuses.iter().filter(|&&s| s == 200).count();
        let contributions = log_bodies(&coord)
            .await
            .into_iter()
            .filter(|b| matches!(b, Body::Entropy(e) if e.draw.as_str() == id))
            .count();
        assert_eq!((ok, contributions), (1, 1), "{}: {statuses:?}", db.name);
        assert!(
            statuses.iter().all(|&s| s == 200 || s == 409),
            "{statuses:?}"
        );

        srv.state.clock.advance(61);
        let statuses = race(&coord, &format!("{draw}/reveal"), json!({})).await;
        let reveals = log_bodies(&coord)
            .await
            .into_iter()
            .filter(|b| matches!(b, Body::Reveal(r) if r.draw.as_str() == id))
            .count();
        let ok = statuses.iter().filter(|&&s| s == 200).count();
        assert_eq!((ok, reveals), (1, 1), "{}: {statuses:?}", db.name);
        assert!(
            statuses.iter().all(|&s| s == 200 || s == 409),
            "{statuses:?}"
        );

        // The same seated member declined eight times at once: one decline, one
        // alternate seated, the other alternate still free.
        let (_, d) = coord.get(&draw).await;
        let who = d["panel"][0]["expert_id"].as_str().unwrap().to_string();
        let statuses = race(
            &coord,
            &format!("{draw}/declines"),
            json!({"expert_id": who, "reason": "illness"}),
        )
        .await;
        let declines = log_bodies(&coord)
            .await
            .into_iter()
            .filter(|b| matches!(b, Body::Decline(x) if x.draw.as_str() == id))
            .count();
        let ok = statuses.iter().filter(|&&s| s == 200).count();
        assert_eq!((ok, declines), (1, 1), "{}: {statuses:?}", db.name);
        // A loser is told the member is no longer seated (400) or that the draw
        // changed under it (409).
        assert!(
            statuses.iter().all(|&s| [200, 400, 409].contains(&s)),
            "{statuses:?}"
        );
        let (_, d) = coord.get(&draw).await;
        assert_eq!(d["panel_short"], false, "{d}");
    }
}
