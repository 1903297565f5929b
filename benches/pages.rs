//! The pages against the JSON endpoints that return the same data, in one run,
//! on the real service (SQLite): the round's task list against
//! `GET …/rounds/{id}/tasks` (its data, from the same function), the pool page (10,000 experts, 50 a page) against
//! `GET …/experts`, and an expert's score sheet against `GET …/sheets/mine`.
//! Each is loaded for a few seconds by 16 keep-alive connections from this
//! process. Target: each page ≥ 0.5× its JSON endpoint's requests per second.
//! Then the pool page's time to first byte on a 100,000-expert pool (target
//! under 50 ms), median of 11 requests.
//!
//! `cargo bench --bench pages`; `PAGES_BENCH_SECONDS` sets each run (default 5).

use fairpanel::clock::Clock;
use fairpanel::draws::{BeaconChoice, DrawRequest};
use fairpanel::http::AppState;
use fairpanel::store::experts::Must;
use fairpanel_core::hash::Hash32;
use fairpanel_core::types::Province;
use http_body_util::{BodyExt, Empty};
use hyper::body::Bytes;
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

const CONNECTIONS: usize = 16;
const TARGET: f64 = 0.5;

type Http = Client<hyper_util::client::legacy::connect::HttpConnector, Empty<Bytes>>;

async fn fetch(c: &Http, addr: SocketAddr, path: &str, cookie: &str) -> (u16, usize) {
    let req = hyper::Request::get(format!("http://{addr}{path}"))
        .header("cookie", cookie)
        .body(Empty::new())
        .unwrap();
    let res = c.request(req).await.unwrap();
    let status = res.status().as_u16();
    if status == 303 {
        eprintln!("{path} redirects to {:?}", res.headers().get("location"));
    }
    let body = res.into_body().collect().await.unwrap().to_bytes();
    (status, body.len())
}

/// Requests per second over `secs` seconds with `CONNECTIONS` workers.
async fn load(addr: SocketAddr, path: &str, cookie: &str, secs: u64) -> f64 {
    let done = Arc::new(AtomicU64::new(0));
    let end = Instant::now() + Duration::from_secs(secs);
    let mut tasks = vec![];
    for _ in 0..CONNECTIONS {
        let c: Http = Client::builder(TokioExecutor::new()).build_http();
        let (path, cookie, done) = (path.to_string(), cookie.to_string(), done.clone());
        tasks.push(tokio::spawn(async move {
            while Instant::now() < end {
                let (st, _) = fetch(&c, addr, &path, &cookie).await;
                assert_eq!(st, 200, "{path}");
                done.fetch_add(1, Ordering::Relaxed);
            }
        }));
    }
    let start = Instant::now();
    for t in tasks {
        t.await.unwrap();
    }
    done.load(Ordering::Relaxed) as f64 / start.elapsed().as_secs_f64()
}

async fn import(s: &AppState, p: &Province, n: usize) {
    let records = fairpanel::demo::synthetic_records(n);
    s.store
        .write_experts(
            &s.key,
            &s.origin,
            p,
            &records,
            Must::Either,
            "import",
            s.clock.now(),
        )
        .await
        .unwrap()
        .unwrap();
}

async fn session(s: &AppState, user: &str, role: &str, p: &str, expert: Option<&str>) -> String {
    let pw = "Correct-Horse-Battery-9";
    assert!(
        fairpanel::accounts::create_linked(&s.store, user, pw, role, Some(p), expert, 0)
            .await
            .unwrap()
    );
    // As after the first sign-in's password change.
    fairpanel::with_pool!(&s.store, pool => sqlx::query("UPDATE accounts SET must_change_password = $1 WHERE username = $2")
        .bind(false)
        .bind(user)
        .execute(pool)
        .await
        .map(|_| ())
        .unwrap());
    let signed = fairpanel::http::auth::sign_in(s, user, pw, None)
        .await
        .unwrap();
    format!("{}={}", fairpanel::http::auth::COOKIE_NAME, signed.token)
}

fn main() {
    // The allocator as the service's `main` sets it (`fairpanel::memory`).
    fairpanel::memory::tune();
    let secs: u64 = std::env::var("PAGES_BENCH_SECONDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(5);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async move {
        let dir = tempfile::tempdir().unwrap();
        let args = fairpanel::config::Args {
            database_url: Some(format!("sqlite:{}", dir.path().join("bench.sqlite").display())),
            keys: Some(dir.path().join("keys")),
            origin: Some("bench.example/log".into()),
            ..Default::default()
        };
        let mut cfg = fairpanel::config::Config::resolve(&args, Some("127.0.0.1:0")).unwrap();
        cfg.clock = Clock::manual(1_700_000_000);
        let s = fairpanel::serve::prepare(&cfg).await.unwrap();
        let gd = Province::try_from("440000").unwrap();
        let bj = Province::try_from("110000").unwrap();
        import(&s, &gd, 10_000).await;
        import(&s, &bj, 100_000).await;

        // A round with two applications, a beacon-less draw revealed, scoring open.
        let r = fairpanel::http::rounds::open_round(&s, &gd, 2023, "base_new", "测试轮次").await.unwrap();
        for (k, org) in ["广州市高级技工学校", "深圳技师学院"].iter().enumerate() {
            let a: fairpanel::applications::ApplicationRecord = serde_json::from_value(serde_json::json!({
                "ref_no": format!("GD2023-{:03}", k + 1), "applicant_org": org, "credit_code": null,
                "kind": "base_new", "occupations": ["焊工", "电工", "钳工", "车工", "数控车工"],
                "leader_name": null, "leader_level": null, "craft_exception": null,
                "figures": {"annual_trainees": 2600, "high_skill_trainees": 1100, "pass_rate_pct": "93.5",
                            "satisfaction_pct": "95", "existing_national_studio": null},
                "no_sanctions": true, "sanctions_evidence": "信用中国报告 XY-0001",
                "notes": null
            }))
            .unwrap();
            s.store.write_applications(r.id, &[a], true, 0).await.unwrap().unwrap();
        }
        let w = s.workflow();
        let d = w
            .commit(&r, &DrawRequest {
                title: "bench".into(),
                panel: 7,
                alternates: 2,
                quotas: vec![],
                org_cap: None,
                cooldown_days: None,
                beacon: BeaconChoice::None,
                entropy_window: 60,
                personal_keys: false,
            })
            .await
            .unwrap();
        w.contribute(&gd, &d.id, "supervisor-bench", Hash32([7; 32])).await.unwrap();
        s.clock.advance(120);
        let d = w.reveal(&gd, &d.id).await.unwrap();
        let r = s.store.round(&gd, r.id).await.unwrap().unwrap();
        w.open_scoring(&r).await.unwrap();
        let loaded = w.load(&gd, &d.id).await.unwrap();
        let panel_expert = loaded.expert_of(loaded.panel[0]).to_string();

        let coord = session(&s, "gd-coord", "coordinator", "440000", None).await;
        let expert = session(&s, "gd-expert", "expert", "440000", Some(&panel_expert)).await;
        let bj_coord = session(&s, "bj-coord", "coordinator", "110000", None).await;

        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let app = fairpanel::http::router(s.clone());
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });

        let rid = r.id;
        let pairs = [
            ("round task list", format!("/p/440000/rounds/{rid}"), format!("/api/v1/provinces/440000/rounds/{rid}/tasks"), &coord),
            ("pool page (10,000)", "/p/440000/experts".to_string(), "/api/v1/provinces/440000/experts".to_string(), &coord),
            ("score sheet", format!("/p/440000/rounds/{rid}/sheets/GD2023-001"), format!("/api/v1/provinces/440000/rounds/{rid}/sheets/mine"), &expert),
        ];
        println!("pages against their JSON endpoints, {CONNECTIONS} connections, {secs} s each:");
        let mut ok = true;
        for (name, page, json, cookie) in pairs {
            let c: Http = Client::builder(TokioExecutor::new()).build_http();
            assert_eq!(fetch(&c, addr, &page, cookie).await.0, 200, "{page}");
            assert_eq!(fetch(&c, addr, &json, cookie).await.0, 200, "{json}");
            let p = load(addr, &page, cookie, secs).await;
            let j = load(addr, &json, cookie, secs).await;
            let ratio = p / j;
            ok &= ratio >= TARGET;
            println!(
                "  {name:<20} page {p:>9.0}/s  json {j:>9.0}/s  = {ratio:.2}x (target >= {TARGET}){}",
                if ratio >= TARGET { "" } else { "  NOT MET" }
            );
        }
        // Time to first byte of the pool page on 100,000 experts.
        let c: Http = Client::builder(TokioExecutor::new()).build_http();
        let mut times = vec![];
        for _ in 0..11 {
            let req = hyper::Request::get(format!("http://{addr}/p/110000/experts"))
                .header("cookie", &bj_coord)
                .body(Empty::new())
                .unwrap();
            let t = Instant::now();
            let res = c.request(req).await.unwrap();
            times.push(t.elapsed());
            assert_eq!(res.status(), 200);
            res.into_body().collect().await.unwrap();
        }
        times.sort();
        let median = times[times.len() / 2];
        println!(
            "  pool page (100,000) first byte: median {:.1} ms, min {:.1} ms (target < 50 ms){}",
            median.as_secs_f64() * 1e3,
            times[0].as_secs_f64() * 1e3,
            if median < Duration::from_millis(50) { "" } else { "  NOT MET" }
        );
        if !ok {
            println!("(a target above is not met)");
        }
    });
}
