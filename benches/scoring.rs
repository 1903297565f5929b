//! Score-sheet submissions per second over HTTP, with authentication, on
//! SQLite, against plain sqlx single-row inserts (one transaction each) on the
//! same database, in one run. Target: ≥ 0.5×.
//!
//! Each submission is a real `POST …/rounds/{r}/sheets/{ref}/submit` by a
//! panel expert's bearer token: the caller, the panel and the screen are
//! checked, the sheet is validated against the rubric, the abnormal-total rule
//! runs against the other sheets, the sheet's bytes are stored and its hash is
//! appended to the signed log (one transaction). 7 experts × `SCORING_APPS`
//! applications (default 300), `SCORING_TASKS` concurrent clients (default 16).
//!
//! The last `SCORING_COUNTED` submissions (default 140) are not timed: they
//! run with every SQL statement counted (sqlx's `sqlx::query` events, which
//! cost a formatted summary each while counted), to print the statements a
//! submission makes beside a plain insert's. `BEGIN` and `COMMIT` are not
//! among them.
//!
//! `cargo bench --bench scoring`

use fairpanel::client::Http;
use fairpanel::draws::{BeaconChoice, DrawRequest};
use fairpanel::store::experts::Must;
use fairpanel_core::types::Province;
use serde_json::json;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Instant;
use tracing_subscriber::layer::SubscriberExt;

const TARGET: f64 = 0.5;

/// Counts sqlx's statement events while switched on; while off, sqlx's own
/// check finds the event disabled and formats nothing.
#[derive(Clone, Default)]
struct Statements {
    on: Arc<AtomicBool>,
    seen: Arc<AtomicU64>,
}

impl Statements {
    fn count_during(&self, on: bool) -> u64 {
        self.on.store(on, Ordering::SeqCst);
        self.seen.swap(0, Ordering::SeqCst)
    }
}

impl<S: tracing::Subscriber> tracing_subscriber::Layer<S> for Statements {
    fn register_callsite(
        &self,
        m: &'static tracing::Metadata<'static>,
    ) -> tracing::subscriber::Interest {
        if m.target() == "sqlx::query" {
            tracing::subscriber::Interest::sometimes()
        } else {
            tracing::subscriber::Interest::never()
        }
    }

    fn enabled(
        &self,
        m: &tracing::Metadata<'_>,
        _: tracing_subscriber::layer::Context<'_, S>,
    ) -> bool {
        m.target() == "sqlx::query" && self.on.load(Ordering::Relaxed)
    }

    fn on_event(&self, e: &tracing::Event<'_>, _: tracing_subscriber::layer::Context<'_, S>) {
        if e.metadata().target() == "sqlx::query" {
            self.seen.fetch_add(1, Ordering::Relaxed);
        }
    }
}

fn env(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn application(k: usize) -> fairpanel::applications::ApplicationRecord {
    serde_json::from_value(json!({
        "ref_no": format!("A{k:04}"), "applicant_org": format!("单位{k}"), "credit_code": null,
        "kind": "base_new", "occupations": ["焊工", "电工", "钳工", "车工", "铣工"],
        "leader_name": null, "leader_level": null, "craft_exception": null,
        "figures": {"annual_trainees": 2500, "high_skill_trainees": 900, "pass_rate_pct": "95",
                    "satisfaction_pct": "96", "existing_national_studio": null},
        "no_sanctions": true, "sanctions_evidence": "信用中国报告 XY-0001",
        "notes": null
    }))
    .unwrap()
}

fn main() {
    // The allocator as the service's `main` sets it (`fairpanel::memory`).
    fairpanel::memory::tune();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(run());
}

async fn run() {
    let apps = env("SCORING_APPS", 300);
    let counted = env("SCORING_COUNTED", 140);
    let statements = Statements::default();
    tracing::subscriber::set_global_default(
        tracing_subscriber::registry().with(statements.clone()),
    )
    .expect("the bench's subscriber is the first");
    let tasks = env("SCORING_TASKS", 16);
    let dir = tempfile::tempdir().unwrap();
    let args = fairpanel::config::Args {
        database_url: Some(format!(
            "sqlite:{}",
            dir.path().join("bench.sqlite").display()
        )),
        keys: Some(dir.path().join("keys")),
        origin: Some("bench.example/log".into()),
        ..Default::default()
    };
    let mut cfg = fairpanel::config::Config::resolve(&args, Some("127.0.0.1:0")).unwrap();
    cfg.clock = fairpanel::clock::Clock::manual(1_800_000_000);
    let state = fairpanel::serve::prepare(&cfg).await.unwrap();
    let p = Province::try_from("440000").unwrap();
    let store = &state.store;
    store
        .write_experts(
            &state.key,
            &state.origin,
            &p,
            &fairpanel::demo::synthetic_records(320),
            Must::Either,
            "import",
            state.clock.now(),
        )
        .await
        .unwrap()
        .unwrap();
    let round = store
        .create_round(&p, 2026, "base_new", "bench", state.clock.now())
        .await
        .unwrap();
    let records: Vec<_> = (0..apps).map(application).collect();
    store
        .write_applications(round.id, &records, false, state.clock.now())
        .await
        .unwrap()
        .unwrap();
    let wf = state.workflow();
    let d = wf
        .commit(
            &round,
            &DrawRequest {
                title: "bench".into(),
                panel: 7,
                alternates: 0,
                quotas: vec![],
                org_cap: None,
                cooldown_days: None,
                beacon: BeaconChoice::None,
                entropy_window: 0,
                personal_keys: false,
            },
        )
        .await
        .map_err(|e| format!("{e:?}"))
        .unwrap();
    // A beacon-less draw needs one supervisor's contribution (protocol 1.1).
    wf.contribute(&p, &d.id, "supervisor-1", fairpanel_core::Hash32([7; 32]))
        .await
        .map_err(|e| format!("{e:?}"))
        .unwrap();
    state.clock.advance(1);
    wf.reveal(&p, &d.id)
        .await
        .map_err(|e| format!("{e:?}"))
        .unwrap();
    let round = store.round(&p, round.id).await.unwrap().unwrap();
    wf.open_scoring(&round)
        .await
        .map_err(|e| format!("{e:?}"))
        .unwrap();
    let loaded = wf
        .load(&p, &d.id)
        .await
        .map_err(|e| format!("{e:?}"))
        .unwrap();
    let (rubric, _) = wf
        .rubric(&round)
        .await
        .map_err(|e| format!("{e:?}"))
        .unwrap();

    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let app = fairpanel::http::router(state.clone());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    let http = Http::default();
    let mut tokens = Vec::new();
    for (k, &i) in loaded.panel.iter().enumerate() {
        let user = format!("expert{k}");
        let pw = format!("password-{k}-long-enough");
        assert!(
            fairpanel::accounts::create_chosen(
                store,
                &user,
                &pw,
                "expert",
                Some("440000"),
                Some(loaded.expert_of(i)),
                1
            )
            .await
            .unwrap()
        );
        let r = http
            .send(
                "POST",
                &format!("{base}/api/v1/auth/login"),
                None,
                Some(&json!({"username": user, "password": pw})),
            )
            .await
            .unwrap()
            .ok()
            .unwrap();
        let token = r.json().unwrap()["token"].as_str().unwrap().to_string();
        // Each expert confirms the round's pledge before any sheet.
        let pledge = format!("{base}/api/v1/provinces/440000/rounds/{}/pledge", round.id);
        let text = http
            .send("GET", &pledge, Some(&token), None)
            .await
            .unwrap()
            .ok()
            .unwrap();
        let hash = text.json().unwrap()["hash"].clone();
        http.send(
            "POST",
            &pledge,
            Some(&token),
            Some(&json!({ "hash": hash })),
        )
        .await
        .unwrap()
        .ok()
        .unwrap();
        tokens.push(token);
    }

    // Work: every (expert, application) pair once, shared by the clients.
    let mut work: Vec<Request> = Vec::new();
    for a in 0..apps {
        for k in 0..tokens.len() {
            let s = fairpanel::scores::sample_sheet(&rubric, &format!("A{a:04}"), k);
            work.push((
                k,
                "POST",
                format!(
                    "{base}/api/v1/provinces/440000/rounds/{}/sheets/A{a:04}/submit",
                    round.id
                ),
                Some(serde_json::to_value(&s).unwrap()),
            ));
        }
    }
    let counted = counted.min(work.len() / 2);
    let last = work.split_off(work.len() - counted);
    let tokens = Arc::new(tokens);
    let send = |work: Vec<Request>| send_all(work, tasks, &tokens, &http);
    let n = work.len();
    let t = Instant::now();
    send(work).await;
    let submit = n as f64 / t.elapsed().as_secs_f64();
    statements.count_during(true);
    send(last).await;
    let per_submission = statements.count_during(false) as f64 / counted as f64;
    // What the HTTP layer alone costs: `GET /api/v1/me` authenticates the
    // caller (one read of the session) and answers from it, as many times,
    // by as many clients.
    let me: Vec<Request> = (0..n)
        .map(|w| (w % tokens.len(), "GET", format!("{base}/api/v1/me"), None))
        .collect();
    let t = Instant::now();
    send(me).await;
    let http_floor = n as f64 / t.elapsed().as_secs_f64();

    // The floor: plain single-row inserts, one transaction each, same database.
    let fairpanel::store::Store::Sqlite(pool) = store else {
        unreachable!("the bench runs on SQLite")
    };
    sqlx::query("CREATE TABLE plain (id INTEGER PRIMARY KEY, body TEXT NOT NULL)")
        .execute(pool)
        .await
        .unwrap();
    let body =
        serde_json::to_string(&fairpanel::scores::sample_sheet(&rubric, "A0000", 0)).unwrap();
    let t = Instant::now();
    let mut inserts = Vec::new();
    let per = n / tasks;
    for w in 0..tasks {
        let (pool, body) = (pool.clone(), body.clone());
        inserts.push(tokio::spawn(async move {
            for i in 0..per {
                let mut tx = pool.begin().await.unwrap();
                sqlx::query("INSERT INTO plain (id, body) VALUES ($1, $2)")
                    .bind((w * per + i) as i64)
                    .bind(body.clone())
                    .execute(&mut *tx)
                    .await
                    .unwrap();
                tx.commit().await.unwrap();
            }
        }));
    }
    for h in inserts {
        h.await.unwrap();
    }
    let plain = (per * tasks) as f64 / t.elapsed().as_secs_f64();
    statements.count_during(true);
    for i in 0..counted {
        let mut tx = pool.begin().await.unwrap();
        sqlx::query("INSERT INTO plain (id, body) VALUES ($1, $2)")
            .bind((n + i) as i64)
            .bind(body.clone())
            .execute(&mut *tx)
            .await
            .unwrap();
        tx.commit().await.unwrap();
    }
    let per_insert = statements.count_during(false) as f64 / counted as f64;
    println!(
        "sqlite (file, WAL): {n} submissions by 7 experts over {apps} applications, {tasks} clients"
    );
    println!("  plain sqlx single-row insert per transaction   {plain:>8.0} /s");
    let ratio = submit / plain;
    println!(
        "  sheet submission over HTTP (auth, validation, log) {submit:>8.0} /s   {ratio:.2}x  (target >= {TARGET}){}",
        if ratio >= TARGET {
            ""
        } else {
            "  BELOW TARGET"
        }
    );
    println!(
        "  an authenticated GET /api/v1/me over HTTP (one read)   {http_floor:>8.0} /s   {:.2}x",
        http_floor / plain
    );
    println!(
        "  statements besides BEGIN/COMMIT (last {counted} of each, counted, not timed): {per_submission:.2} per submission, {per_insert:.2} per plain insert"
    );
}

/// One request of the bench: the caller's token index, method, URL, body.
type Request = (usize, &'static str, String, Option<serde_json::Value>);

/// Sends every request of `work` over HTTP, shared by `tasks` clients; each
/// must answer 200.
async fn send_all(work: Vec<Request>, tasks: usize, tokens: &Arc<Vec<String>>, http: &Http) {
    let work = Arc::new(std::sync::Mutex::new(work));
    let mut handles = Vec::new();
    for _ in 0..tasks {
        let (work, tokens, http) = (work.clone(), tokens.clone(), http.clone());
        handles.push(tokio::spawn(async move {
            loop {
                let Some((k, method, url, body)) = work.lock().unwrap().pop() else {
                    return;
                };
                let r = http
                    .send(method, &url, Some(&tokens[k]), body.as_ref())
                    .await
                    .unwrap();
                assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
            }
        }));
    }
    for h in handles {
        h.await.unwrap();
    }
}
