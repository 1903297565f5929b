//! The ministry's national view (issue 14, item 7): every province's filing
//! status for a year, counted from the log; and nothing else. Every documented
//! province route answers the ministry 404 and changes nothing; the overview
//! answers 403 to a province's own people. On both backends.

use super::draws::{Api, setup};
use super::http::{request, token_for};
use super::isolation::fill;
use super::report::{open_scoring, round_with, score_and_seal};
use super::*;
use serde_json::{Value, json};
use std::collections::HashMap;

const BASE: &str = "/api/v1/provinces/440000";

fn row<'a>(o: &'a Value, code: &str) -> &'a Value {
    o["provinces"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["province"] == code)
        .unwrap_or_else(|| panic!("no row for {code}: {o}"))
}

#[tokio::test]
async fn the_ministry_sees_every_provinces_filings_and_nothing_else() {
    for db in backends::all().await {
        let srv = setup(&db.url).await;
        let gd = Api {
            srv: &srv,
            token: token_for(&srv, "gd-coord", "coordinator", Some("440000")).await,
        };
        // A round scored and sealed (three recommended), and a studio round
        // still open.
        let r1 = round_with(&gd, "第一轮", &["B1", "B2", "B3"]).await;
        let d1 = gd.revealed_draw(r1, 5, 2).await;
        let (st, v) = open_scoring(&gd, r1).await;
        assert_eq!(st, 200, "{v}");
        assert_eq!(score_and_seal(&gd, r1, &d1).await.len(), 3);
        let r2 = gd.open_round("studio", "工作室评审").await;

        let ministry = Api {
            srv: &srv,
            token: token_for(&srv, "mohrss", "ministry", None).await,
        };
        let (st, o) = ministry.get("/api/v1/ministry/years/2026").await;
        assert_eq!(st, 200, "{}: {o}", db.name);
        let all = o["provinces"].as_array().unwrap();
        assert_eq!(all.len(), fairpanel_core::types::PROVINCES.len());
        let g = row(&o, "440000");
        assert_eq!(
            (&g["limit"], &g["recommended"], &g["status"]),
            (&json!(5), &json!(3), &json!("to_file")),
            "{g}"
        );
        assert_eq!(
            g["by_kind"],
            json!({"base_new": 3, "base_existing": 0, "studio": 0})
        );
        let refs: Vec<&str> = g["rounds"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["reference"].as_str().unwrap())
            .collect();
        assert_eq!(
            refs,
            [format!("440000-2026-r{r1}"), format!("440000-2026-r{r2}")]
        );
        assert_eq!(row(&o, "320000")["status"], "none");
        assert_eq!((&o["filed"], &o["late"]), (&json!(0), &json!(0)));
        // Nothing of the province's people or scores: the overview names no
        // applicant's organisation and no expert.
        let text = o.to_string();
        assert!(!text.contains("第一轮单位"), "{text}");
        assert!(!text.contains("GD-"), "{text}");

        // Filed after 31 October: filed, and late.
        let (st, v) = gd
            .call(
                "PUT",
                &format!("{BASE}/rounds/{r1}/dates"),
                Some(json!({"filing": "2026-11-02"})),
            )
            .await;
        assert_eq!(st, 200, "{v}");
        // A round reaching `reported` is not a filing: the filings table is.
        let (st, v) = gd
            .post(&format!("{BASE}/draws/{d1}/disclose"), json!({}))
            .await;
        assert_eq!(st, 200, "{v}");
        let (st, v) = gd
            .post(&format!("{BASE}/rounds/{r1}/report"), json!({}))
            .await;
        assert_eq!(st, 201, "{v}");
        // 2026-11-02 00:00 Beijing time.
        let now = srv.state.clock.now();
        srv.state.clock.advance(1_793_548_800 - now);
        let (st, filed) = gd
            .post(&format!("{BASE}/rounds/{r1}/filing"), json!({}))
            .await;
        assert_eq!(st, 201, "{filed}");
        let (_, o) = ministry.get("/api/v1/ministry/years/2026").await;
        let g = row(&o, "440000");
        assert_eq!((&g["status"], &g["late"]), (&json!("filed"), &json!(true)));
        let filed_round = g["rounds"]
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x["reference"] == format!("440000-2026-r{r1}"))
            .unwrap();
        assert_eq!(filed_round["filing_seq"], filed["seq"]);
        assert_eq!(filed_round["filed_at"], filed["filed_at"]);
        // The ministry opens the filed report and verifies it.
        let json_path = filed_round["report_json"].as_str().unwrap().to_string();
        let h = format!("Bearer {}", ministry.token);
        let rep = request(srv.addr, "GET", &json_path, &[("Authorization", &h)], None).await;
        assert_eq!(rep.status, 200, "{}", rep.body);
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("r.json");
        std::fs::write(&f, &rep.body).unwrap();
        let run = fairpanel(&root(), &["verify", f.to_str().unwrap()]);
        assert_eq!(run.status.code(), Some(0), "{}", stdout(&run));
        let html = request(
            srv.addr,
            "GET",
            filed_round["report_html"].as_str().unwrap(),
            &[("Authorization", &h)],
            None,
        )
        .await;
        assert_eq!(html.status, 200);
        assert!(html.body.contains("评审报告"));
        let (st, _) = ministry
            .get(&format!(
                "/api/v1/ministry/rounds/440000-2026-r{r2}/report.json"
            ))
            .await;
        assert_eq!(st, 404, "an unfiled round has no report");
        let (st, _) = gd.get(&json_path).await;
        assert_eq!(st, 403, "the province reads its own through its routes");
        assert_eq!((&o["filed"], &o["late"]), (&json!(1), &json!(1)));
        let (st, o) = ministry.get("/api/v1/ministry/years/2025").await;
        assert_eq!(st, 200);
        assert_eq!(row(&o, "440000")["status"], "none", "another year");
        let (st, v) = ministry.get("/api/v1/ministry/years/1999").await;
        assert_eq!(st, 400, "{v}");

        // The province's own people do not read the national view.
        let sup = token_for(&srv, "gd-sup", "supervisor", Some("440000")).await;
        for token in [&gd.token, &sup] {
            let api = Api {
                srv: &srv,
                token: token.clone(),
            };
            let (st, v) = api.get("/api/v1/ministry/years/2026").await;
            assert_eq!(st, 403, "{v}");
        }

        // The wall: every documented province route, with 广东's own ids,
        // answers the ministry 404 (reads) or a refusal (writes), and the log
        // does not grow.
        let (_, d) = gd.get(&format!("{BASE}/draws/{d1}")).await;
        let expert = d["panel"][0]["expert_id"].as_str().unwrap().to_string();
        let ids: HashMap<&str, String> = HashMap::from([
            ("province", "440000".to_string()),
            ("round", r1.to_string()),
            ("draw", d1.clone()),
            ("ref_no", "B1".to_string()),
            ("id", expert.clone()),
            ("expert", expert),
            ("year", "2026".to_string()),
            ("sha256", fairpanel_core::hash::sha256(b"x").to_hex()),
            ("reference", "23-440000-1".to_string()),
        ]);
        let size = srv.state.store.log_size().await.unwrap();
        let (_, body) = super::http::get(srv.addr, "/api/v1/openapi.json").await;
        let doc: Value = serde_json::from_str(&body).unwrap();
        let auth = format!("Bearer {}", ministry.token);
        let (mut reads, mut writes) = (0, 0);
        for (path, item) in doc["paths"].as_object().unwrap() {
            if !path.starts_with("/api/v1/provinces/{province}") {
                continue;
            }
            for m in ["get", "post", "put", "delete", "patch"] {
                if item.get(m).is_none() {
                    continue;
                }
                let method = m.to_uppercase();
                let body = (method != "GET" && method != "DELETE").then(|| json!({}));
                let target = fill(path, &ids);
                let r = request(
                    srv.addr,
                    &method,
                    &target,
                    &[("Authorization", &auth)],
                    body.as_ref(),
                )
                .await;
                let what = format!("{} ministry {method} {target}", db.name);
                if method == "GET" {
                    assert_eq!(r.status, 404, "{what}: {}", r.body);
                    reads += 1;
                } else {
                    assert!((400..500).contains(&r.status), "{what}: {}", r.body);
                    writes += 1;
                }
                assert!(!r.body.contains("第一轮"), "{what}: {}", r.body);
            }
        }
        assert!(
            reads >= 20 && writes >= 20,
            "{reads} reads, {writes} writes"
        );
        assert_eq!(srv.state.store.log_size().await.unwrap(), size);

        // The pages: the overview for the ministry, 404 for a province's pages,
        // 403 for a coordinator asking for the overview.
        let r = request(
            srv.addr,
            "GET",
            "/ministry?year=2026",
            &[("Authorization", &auth)],
            None,
        )
        .await;
        assert_eq!(r.status, 200, "{}", r.body);
        assert!(
            r.body.contains("广东省") && r.body.contains("id=\"province-440000\""),
            "{}",
            r.body
        );
        assert!(r.body.contains("class=\"filing-filed\""), "{}", r.body);
        for page in [
            "/p/440000",
            &format!("/p/440000/rounds/{r1}"),
            "/p/440000/watch",
            "/admin/accounts",
        ] {
            let r = request(srv.addr, "GET", page, &[("Authorization", &auth)], None).await;
            assert!([403, 404].contains(&r.status), "{page}: {}", r.status);
            assert!(!r.body.contains("第一轮"), "{page}");
        }
        let coord_auth = format!("Bearer {}", gd.token);
        let r = request(
            srv.addr,
            "GET",
            "/ministry",
            &[("Authorization", &coord_auth)],
            None,
        )
        .await;
        assert_eq!(r.status, 403);

        // Only an admin makes a ministry account, and it has no province.
        let admin = Api {
            srv: &srv,
            token: token_for(&srv, "root", "admin", None).await,
        };
        let (st, v) = admin
            .post(
                "/api/v1/accounts",
                json!({"username": "mohrss-2", "role": "ministry", "province": "440000"}),
            )
            .await;
        assert_eq!(st, 400, "{v}");
        assert!(v["error"].as_str().unwrap().contains("no province"), "{v}");
        let (st, v) = admin
            .post(
                "/api/v1/accounts",
                json!({"username": "mohrss-2", "role": "ministry"}),
            )
            .await;
        assert_eq!(st, 200, "{v}");
        let (st, v) = gd
            .post(
                "/api/v1/accounts",
                json!({"username": "mohrss-3", "role": "ministry"}),
            )
            .await;
        assert_eq!(st, 403, "{v}");
    }
}
