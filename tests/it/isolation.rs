//! Isolation with another province's ids under one's own prefix: with data in
//! 广东 (440000) and 江苏 (320000), every documented province route is called by
//! 江苏's accounts under `/provinces/320000/…` with 广东's round, draw,
//! application, sheet and expert ids. Nothing may answer with 广东's data or
//! change it; every read answers 404 (and answers 200 with 江苏's own ids, so the
//! 404 is the wall's, not the route's). On both backends.

use super::draws::{Api, app, setup, t0};
use super::http::{request, token_for};
use super::*;
use fairpanel_core::types::Province;
use serde_json::{Value, json};
use std::collections::HashMap;

const METHODS: [&str; 5] = ["get", "post", "put", "delete", "patch"];

/// `path` with each `{name}` replaced by `values[name]`.
pub(super) fn fill(path: &str, values: &HashMap<&str, String>) -> String {
    let mut out = String::new();
    let mut rest = path;
    while let Some(i) = rest.find('{') {
        out.push_str(&rest[..i]);
        let j = rest[i..].find('}').unwrap() + i;
        let name = &rest[i + 1..j];
        out.push_str(
            values
                .get(name)
                .unwrap_or_else(|| panic!("no value for {{{name}}} in {path}")),
        );
        rest = &rest[j + 1..];
    }
    out.push_str(rest);
    out
}

/// A round with one application and a revealed draw whose members have scored
/// it; the ids a route may take.
async fn province_data(
    coord: &Api<'_>,
    province: &str,
    title: &str,
    ref_no: &str,
    org: &str,
) -> HashMap<&'static str, String> {
    let base = format!("/api/v1/provinces/{province}");
    let (st, round) = coord
        .post(
            &format!("{base}/rounds"),
            json!({"year": 2026, "kind": "base_new", "title": title}),
        )
        .await;
    assert_eq!(st, 201, "{round}");
    let rid = round["id"].as_i64().unwrap();
    let (st, v) = coord
        .post(
            &format!("{base}/rounds/{rid}/applications"),
            app(ref_no, org),
        )
        .await;
    assert_eq!(st, 201, "{v}");
    let (st, d) = coord
        .post(
            &format!("{base}/rounds/{rid}/draws"),
            json!({"title": title, "panel": 5, "alternates": 1, "beacon": {"mode": "none"}, "entropy_window": 0}),
        )
        .await;
    assert_eq!(st, 201, "{d}");
    let draw = d["id"].as_str().unwrap().to_string();
    // A beacon-less draw needs at least one supervisor's contribution.
    coord
        .srv
        .state
        .workflow()
        .contribute(
            &fairpanel_core::types::Province::try_from(&draw[..6]).unwrap(),
            &draw,
            "supervisor-test",
            fairpanel_core::Hash32([0x5c; 32]),
        )
        .await
        .unwrap_or_else(|e| panic!("contribution: {e:?}"));
    coord.srv.state.clock.advance(1);
    let (st, v) = coord
        .post(&format!("{base}/draws/{draw}/reveal"), json!({}))
        .await;
    assert_eq!(st, 200, "{v}");
    let (_, d) = coord.get(&format!("{base}/draws/{draw}")).await;
    let expert = d["panel"][0]["expert_id"].as_str().unwrap().to_string();
    HashMap::from([
        ("province", province.to_string()),
        ("round", rid.to_string()),
        ("draw", draw),
        ("ref_no", ref_no.to_string()),
        ("id", expert.clone()),
        ("expert", expert),
        // An objection's reference to the round's notice.
        ("reference", format!("23-{province}-1")),
        (
            "sha256",
            fairpanel_core::hash::sha256(b"a material").to_hex(),
        ),
    ])
}

/// What 广东's coordinator sees of its own data: the log size, and its round and
/// draw as the API shows them.
async fn snapshot(gd: &Api<'_>, ids: &HashMap<&str, String>) -> (u64, Value, Value) {
    let base = "/api/v1/provinces/440000";
    (
        gd.srv.state.store.log_size().await.unwrap(),
        gd.get(&format!("{base}/rounds/{}", ids["round"])).await.1,
        gd.get(&format!("{base}/draws/{}", ids["draw"])).await.1,
    )
}

#[tokio::test]
async fn every_route_refuses_another_provinces_ids_under_ones_own_prefix() {
    for db in backends::all().await {
        // 广东's pool (by `setup`), and 江苏's: the same synthetic people under
        // other ids and names.
        let srv = setup(&db.url).await;
        let js_records: Vec<_> = fairpanel::demo::synthetic_records(320)
            .into_iter()
            .map(|mut r| {
                r.expert_id = r.expert_id.replace("GD-", "JS-");
                r.name = format!("{}苏", r.name);
                r
            })
            .collect();
        srv.state
            .store
            .write_experts(
                &srv.state.key,
                &srv.state.origin,
                &Province::try_from("320000").unwrap(),
                &js_records,
                fairpanel::store::experts::Must::Either,
                "import",
                t0(),
            )
            .await
            .unwrap()
            .unwrap();
        let gd = Api {
            srv: &srv,
            token: token_for(&srv, "gd-coord", "coordinator", Some("440000")).await,
        };
        let js = Api {
            srv: &srv,
            token: token_for(&srv, "js-coord", "coordinator", Some("320000")).await,
        };
        let gd_ids = province_data(&gd, "440000", "广东绝密评审", "GD-A1", "粤秘技师学院").await;
        let mut js_ids = province_data(&js, "320000", "江苏评审", "JS-A1", "苏州技师学院").await;
        assert_ne!(gd_ids["round"], js_ids["round"]);
        assert!(gd_ids["id"].starts_with("GD-") && js_ids["id"].starts_with("JS-"));
        let mut foreign = gd_ids.clone();
        foreign.insert("province", "320000".into());
        js_ids.insert("province", "320000".into());

        let callers = [
            ("coordinator", js.token.clone()),
            (
                "supervisor",
                token_for(&srv, "js-sup", "supervisor", Some("320000")).await,
            ),
        ];
        let (_, body) = super::http::get(srv.addr, "/api/v1/openapi.json").await;
        let doc: Value = serde_json::from_str(&body).unwrap();
        let before = snapshot(&gd, &gd_ids).await;
        let gd_names: Vec<String> = fairpanel::demo::synthetic_records(320)
            .into_iter()
            .map(|r| r.name)
            .collect();
        let (mut reads, mut writes, mut controls) = (0, 0, 0);
        for (path, item) in doc["paths"].as_object().unwrap() {
            // Only routes that take an id: the others have nothing to mix up.
            // A year is no id (`/years/{year}/…` under one's own province is
            // one's own data; `report.rs` checks those routes' wall).
            let ids = path.matches('{').count() - path.matches("{year}").count();
            if !path.starts_with("/api/v1/provinces/{province}/") || ids < 2 {
                continue;
            }
            for m in METHODS.iter().filter(|m| item.get(**m).is_some()) {
                let method = m.to_uppercase();
                let body = (method != "GET" && method != "DELETE").then(|| json!({}));
                let target = fill(path, &foreign);
                for (role, token) in &callers {
                    let auth = format!("Bearer {token}");
                    let r = request(
                        srv.addr,
                        &method,
                        &target,
                        &[("Authorization", &auth)],
                        body.as_ref(),
                    )
                    .await;
                    let what = format!("{} {role} {method} {target}", db.name);
                    assert!(
                        (400..500).contains(&r.status),
                        "{what}: {} {}",
                        r.status,
                        r.body
                    );
                    assert!(
                        !r.body.contains("广东绝密评审"),
                        "{what} shows 广东's round: {}",
                        r.body
                    );
                    // The applicant's organisation, which shares no text with the
                    // round's title (when it did, this check followed from the last).
                    assert!(
                        !r.body.contains("粤秘技师学院"),
                        "{what} shows 广东's applicant: {}",
                        r.body
                    );
                    if let Some(n) = gd_names.iter().find(|n| r.body.contains(n.as_str())) {
                        panic!("{what} shows 广东's expert {n}: {}", r.body);
                    }
                    if method == "GET" {
                        // The same read with 江苏's own ids: where the role may
                        // read, 广东's ids must answer 404.
                        let own = request(
                            srv.addr,
                            "GET",
                            &fill(path, &js_ids),
                            &[("Authorization", &auth)],
                            None,
                        )
                        .await;
                        if own.status == 403 {
                            assert!([403, 404].contains(&r.status), "{what}: {}", r.body);
                        } else {
                            assert_eq!(r.status, 404, "{what}: {}", r.body);
                        }
                        if own.status == 200 {
                            controls += 1;
                        }
                        reads += 1;
                    } else {
                        writes += 1;
                    }
                }
            }
        }
        assert_eq!(
            snapshot(&gd, &gd_ids).await,
            before,
            "{}: 广东's data changed",
            db.name
        );
        assert!(
            reads >= 16 && writes >= 20,
            "{reads} reads, {writes} writes"
        );
        assert!(
            controls >= reads / 2,
            "only {controls} of {reads} reads work with 江苏's own ids"
        );
    }
}
