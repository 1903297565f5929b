//! The expert pool over HTTP on both backends: CRUD with a roster_change entry per
//! change, all-or-nothing imports with every problem named, export round trips,
//! roles, and every endpoint walled off from other provinces.

use super::backends;
use super::http::{request, start};
use serde_json::json;

async fn login_as(
    srv: &super::http::Server,
    user: &str,
    role: &str,
    province: Option<&str>,
) -> String {
    format!(
        "Bearer {}",
        super::http::token_for(srv, user, role, province).await
    )
}

fn expert(id: &str, name: &str) -> serde_json::Value {
    json!({
        "expert_id": id, "name": name, "gender": "女", "organisation": "广州市技师学院",
        "credit_code": null, "avoid_orgs": [], "specialty": "nursing", "other_specialties": [],
        "skill_level": "高级技师", "region": "广州", "status": "active", "phone": "020-12345678", "email": null
    })
}

// The one HTTP client's file helpers, under the names these tests know.
pub use super::http::{raw, upload};

#[tokio::test]
async fn a_coordinator_keeps_the_pool_and_every_change_is_one_log_entry_without_personal_data() {
    for db in backends::all().await {
        let srv = start(&db.url).await;
        let gd = login_as(&srv, "gd", "coordinator", Some("440000")).await;
        let base = "/api/v1/provinces/440000/experts";
        let size = || async { srv.state.store.log_size().await.unwrap() };
        let r = request(
            srv.addr,
            "POST",
            base,
            &[("Authorization", &gd)],
            Some(&expert("E001", "张晓燕")),
        )
        .await;
        assert_eq!(r.status, 201, "{}: {}", db.name, r.body);
        assert_eq!(size().await, 1);
        assert_eq!(
            request(
                srv.addr,
                "POST",
                base,
                &[("Authorization", &gd)],
                Some(&expert("E001", "张晓燕"))
            )
            .await
            .status,
            409
        );
        let r = request(
            srv.addr,
            "GET",
            &format!("{base}/E001"),
            &[("Authorization", &gd)],
            None,
        )
        .await;
        assert_eq!(r.status, 200);
        assert!(r.body.contains("张晓燕"));
        // Updating to the same record changes nothing and logs nothing.
        let r = request(
            srv.addr,
            "PUT",
            &format!("{base}/E001"),
            &[("Authorization", &gd)],
            Some(&expert("E001", "张晓燕")),
        )
        .await;
        assert_eq!(r.status, 200);
        assert!(r.body.contains("\"changed\":0"));
        assert_eq!(size().await, 1);
        let mut suspended = expert("E001", "张晓燕");
        suspended["status"] = json!("suspended");
        let r = request(
            srv.addr,
            "PUT",
            &format!("{base}/E001"),
            &[("Authorization", &gd)],
            Some(&suspended),
        )
        .await;
        assert!(r.body.contains("\"changed\":1"), "{}", r.body);
        assert_eq!(size().await, 2);
        // A bad record is refused with the problem named, and changes nothing.
        let mut bad = expert("E002", "李");
        bad["credit_code"] = json!("91350100M000100Y44");
        bad["skill_level"] = json!("大师");
        let r = request(
            srv.addr,
            "POST",
            base,
            &[("Authorization", &gd)],
            Some(&bad),
        )
        .await;
        assert_eq!(r.status, 422, "{}", r.body);
        assert!(
            r.body.contains("credit_code") || r.body.contains("信用代码"),
            "{}",
            r.body
        );
        assert_eq!(size().await, 2);
        let r = request(
            srv.addr,
            "DELETE",
            &format!("{base}/E001"),
            &[("Authorization", &gd)],
            None,
        )
        .await;
        assert_eq!(r.status, 200);
        assert_eq!(size().await, 3);
        assert_eq!(
            request(
                srv.addr,
                "DELETE",
                &format!("{base}/E001"),
                &[("Authorization", &gd)],
                None
            )
            .await
            .status,
            404
        );
        // The public log holds actions, counts and hashes, never a name.
        let entries = srv.state.store.entries(0, 10).await.unwrap();
        let kinds: Vec<String> = entries
            .iter()
            .map(|e| {
                let p = fairpanel_core::entry::parse(&e.bytes).unwrap();
                match p.body {
                    fairpanel_core::entry::Body::RosterChange(r) => r.action.to_string(),
                    _ => panic!("only roster changes"),
                }
            })
            .collect();
        assert_eq!(kinds, ["create", "suspend", "delete"]);
        for e in &entries {
            let text = String::from_utf8(e.bytes.clone()).unwrap();
            assert!(!text.contains("张晓燕") && !text.contains("E001"), "{text}");
        }
    }
}

#[tokio::test]
async fn an_import_is_all_or_nothing_names_every_problem_and_is_idempotent() {
    for db in backends::all().await {
        let srv = start(&db.url).await;
        let gd = login_as(&srv, "gd", "coordinator", Some("440000")).await;
        let base = "/api/v1/provinces/440000/experts";
        let r = request(
            srv.addr,
            "GET",
            &format!("{base}/template?format=csv"),
            &[("Authorization", &gd)],
            None,
        )
        .await;
        assert_eq!(r.status, 200);
        let header = r
            .body
            .trim_start_matches('\u{feff}')
            .lines()
            .next()
            .unwrap()
            .to_string();
        let good = format!(
            "{header}\r\nE1,王芳,女,广东省技师学院,,,护理,,高级技师,广州,在库,13800000000,\r\nE2,李强,男,美的集团,,,先进制造业,,技师,佛山,在库,,\r\n"
        );
        let bad = format!(
            "{header}\r\nE1,王芳,女,广东省技师学院,,,护理,,高级技师,广州,在库,13800000000,\r\nE2,,男,美的集团,,,不存在的专业,,技师,佛山,在库,,\r\nE1,重复,男,x,,,护理,,,,,,\r\n"
        );
        let r = upload(
            srv.addr,
            &format!("{base}/import?format=csv"),
            &gd,
            bad.as_bytes(),
        )
        .await;
        assert_eq!(r.status, 422, "{}: {}", db.name, r.body);
        let v: serde_json::Value = serde_json::from_str(&r.body).unwrap();
        let problems = v["problems"].as_array().unwrap();
        assert!(problems.len() >= 3, "{problems:?}");
        assert!(problems.iter().any(|p| p["row"] == 3), "{problems:?}");
        assert!(problems.iter().any(|p| p["row"] == 4), "{problems:?}");
        assert!(
            problems
                .iter()
                .all(|p| p["text"].as_str().unwrap().contains('第'))
        );
        assert_eq!(
            srv.state.store.log_size().await.unwrap(),
            0,
            "nothing changed"
        );
        assert!(
            srv.state
                .store
                .list_experts(&"440000".try_into().unwrap())
                .await
                .unwrap()
                .is_empty()
        );

        let r = upload(
            srv.addr,
            &format!("{base}/import?format=csv"),
            &gd,
            good.as_bytes(),
        )
        .await;
        assert_eq!(r.status, 200, "{}", r.body);
        assert!(r.body.contains("\"changed\":2"));
        assert_eq!(srv.state.store.log_size().await.unwrap(), 1);
        // The same file again changes nothing.
        let r = upload(
            srv.addr,
            &format!("{base}/import?format=csv"),
            &gd,
            good.as_bytes(),
        )
        .await;
        assert!(r.body.contains("\"changed\":0"), "{}", r.body);
        assert_eq!(srv.state.store.log_size().await.unwrap(), 1);
        // The XLSX export imports back to the same pool.
        let (status, xlsx) = raw(
            srv.addr,
            "GET",
            &format!("{base}/export?format=xlsx"),
            &gd,
            b"",
        )
        .await;
        assert_eq!(status, 200);
        assert!(xlsx.starts_with(b"PK"), "an XLSX file is a zip");
        let r = upload(srv.addr, &format!("{base}/import?format=xlsx"), &gd, &xlsx).await;
        assert_eq!(r.status, 200, "{}", r.body);
        assert!(r.body.contains("\"changed\":0"), "{}", r.body);
    }
}

#[tokio::test]
async fn every_expert_endpoint_answers_404_to_another_province_and_roles_are_enforced() {
    for db in backends::all().await {
        let srv = start(&db.url).await;
        let gd = login_as(&srv, "gd", "coordinator", Some("440000")).await;
        let js = login_as(&srv, "js", "coordinator", Some("320000")).await;
        let gd_sup = login_as(&srv, "gd-sup", "supervisor", Some("440000")).await;
        let gd_exp = login_as(&srv, "gd-exp", "expert", Some("440000")).await;
        let gd_base = "/api/v1/provinces/440000/experts";
        assert_eq!(
            request(
                srv.addr,
                "POST",
                gd_base,
                &[("Authorization", &gd)],
                Some(&expert("G1", "广东专家"))
            )
            .await
            .status,
            201
        );
        assert_eq!(
            request(
                srv.addr,
                "POST",
                "/api/v1/provinces/320000/experts",
                &[("Authorization", &js)],
                Some(&expert("J1", "江苏专家"))
            )
            .await
            .status,
            201
        );
        let calls: Vec<(&str, String, Option<serde_json::Value>)> = vec![
            ("GET", gd_base.to_string(), None),
            ("POST", gd_base.to_string(), Some(expert("X1", "x"))),
            ("GET", format!("{gd_base}/G1"), None),
            ("PUT", format!("{gd_base}/G1"), Some(expert("G1", "改名"))),
            ("DELETE", format!("{gd_base}/G1"), None),
            ("GET", format!("{gd_base}/export?format=csv"), None),
            ("GET", format!("{gd_base}/template?format=csv"), None),
            (
                "POST",
                format!("{gd_base}/import?format=csv"),
                Some(json!("x")),
            ),
        ];
        for (m, path, body) in &calls {
            let r = request(srv.addr, m, path, &[("Authorization", &js)], body.as_ref()).await;
            assert_eq!(
                r.status, 404,
                "{}: {m} {path} by another province's coordinator: {}",
                db.name, r.body
            );
        }
        // Nothing leaked or changed: G1 is still there, unchanged.
        let r = request(
            srv.addr,
            "GET",
            &format!("{gd_base}/G1"),
            &[("Authorization", &gd)],
            None,
        )
        .await;
        assert!(r.body.contains("广东专家"));
        // Guangdong cannot reach Jiangsu's expert through its own province either.
        assert_eq!(
            request(
                srv.addr,
                "GET",
                &format!("{gd_base}/J1"),
                &[("Authorization", &gd)],
                None
            )
            .await
            .status,
            404
        );
        // A supervisor reads, does not write; an expert does neither.
        assert_eq!(
            request(
                srv.addr,
                "GET",
                gd_base,
                &[("Authorization", &gd_sup)],
                None
            )
            .await
            .status,
            200
        );
        assert_eq!(
            request(
                srv.addr,
                "POST",
                gd_base,
                &[("Authorization", &gd_sup)],
                Some(&expert("S1", "s"))
            )
            .await
            .status,
            403
        );
        assert_eq!(
            request(
                srv.addr,
                "GET",
                gd_base,
                &[("Authorization", &gd_exp)],
                None
            )
            .await
            .status,
            403
        );
        assert_eq!(
            request(srv.addr, "GET", gd_base, &[], None).await.status,
            401
        );
    }
}

#[tokio::test]
async fn demo_data_loads_once_into_an_empty_pool_and_never_over_real_data() {
    for db in backends::all().await {
        let srv = start(&db.url).await;
        fairpanel::serve::load_demo(&srv.state).await.unwrap();
        let gd = "440000".try_into().unwrap();
        assert_eq!(
            srv.state.store.list_experts(&gd).await.unwrap().len(),
            320,
            "{}",
            db.name
        );
        assert_eq!(srv.state.store.log_size().await.unwrap(), 1);
        fairpanel::serve::load_demo(&srv.state).await.unwrap();
        assert_eq!(srv.state.store.list_experts(&gd).await.unwrap().len(), 320);
        assert_eq!(
            srv.state.store.log_size().await.unwrap(),
            1,
            "the second start loads nothing"
        );
        // The demo coordinator can log in... with a password only the terminal saw;
        // the account exists with the right role and province.
        let (role, province): (String, Option<String>) = fairpanel::with_pool!(&srv.state.store, p => sqlx::query_as(
            "SELECT role, province FROM accounts WHERE username = 'gd-coordinator'").fetch_one(p).await.unwrap());
        assert_eq!(
            (role.as_str(), province.as_deref()),
            ("coordinator", Some("440000"))
        );
    }
}

/// Concurrent roster writes on a multi-thread runtime: the same expert created
/// three times at once gives one 201 and two 409, and three different experts
/// created at once leave a log whose last roster_change hash and count are the
/// table's (PostgreSQL read the roster before locking the log head).
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_roster_writes_give_one_creation_and_a_log_that_matches_the_table() {
    use fairpanel_core::entry::{self, Body};
    for db in backends::all().await {
        let srv = start(&db.url).await;
        let gd = login_as(&srv, "gd", "coordinator", Some("440000")).await;
        let base = "/api/v1/provinces/440000/experts";
        for round in 0..3 {
            let barrier = std::sync::Arc::new(tokio::sync::Barrier::new(3));
            let mut same = Vec::new();
            for _ in 0..3 {
                let (b, gd, addr) = (barrier.clone(), gd.clone(), srv.addr);
                let body = expert(&format!("S{round}"), "并发");
                same.push(tokio::spawn(async move {
                    b.wait().await;
                    request(addr, "POST", base, &[("Authorization", &gd)], Some(&body))
                        .await
                        .status
                }));
            }
            let mut codes = Vec::new();
            for h in same {
                codes.push(h.await.unwrap());
            }
            codes.sort();
            assert_eq!(codes, vec![201, 409, 409], "{} round {round}", db.name);

            let barrier = std::sync::Arc::new(tokio::sync::Barrier::new(3));
            let mut different = Vec::new();
            for k in 0..3 {
                let (b, gd, addr) = (barrier.clone(), gd.clone(), srv.addr);
                let body = expert(&format!("D{round}-{k}"), "并发");
                different.push(tokio::spawn(async move {
                    b.wait().await;
                    request(addr, "POST", base, &[("Authorization", &gd)], Some(&body))
                        .await
                        .status
                }));
            }
            for h in different {
                assert_eq!(h.await.unwrap(), 201, "{}", db.name);
            }
        }
        // The last roster_change of 440000 names the table as it is.
        let p = fairpanel_core::types::Province::try_from("440000").unwrap();
        let table = srv.state.store.list_experts(&p).await.unwrap();
        assert_eq!(table.len(), 12, "{}", db.name);
        let n = srv.state.store.log_size().await.unwrap();
        let rows = srv.state.store.entries(0, n).await.unwrap();
        let last = rows
            .iter()
            .rev()
            .find_map(|r| match entry::parse(&r.bytes).unwrap().body {
                Body::RosterChange(c) => Some(c),
                _ => None,
            })
            .unwrap();
        assert_eq!(last.size, 12, "{}", db.name);
        assert_eq!(
            last.roster,
            fairpanel::store::experts::roster_hash(&table),
            "{}",
            db.name
        );
        let a = fairpanel::audit::run(
            &srv.state.store,
            &srv.state.key.public(),
            "test.example/log",
        )
        .await
        .unwrap();
        assert!(a.problems.is_empty(), "{}: {:?}", db.name, a.problems);
    }
}
