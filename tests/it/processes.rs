//! Several `fairpanel serve` processes on one database keep one linear log: on
//! PostgreSQL (the scale-out backend) and on one SQLite file.

use super::backends;
use super::http::request;
use serde_json::json;
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

struct Proc {
    child: Child,
    addr: std::net::SocketAddr,
    admin_password: Option<String>,
}

impl Drop for Proc {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts `fairpanel serve` on a free port and reads what it prints until it listens.
fn spawn(db: &str, dir: &std::path::Path) -> Proc {
    let mut child = Command::new(env!("CARGO_BIN_EXE_fairpanel"))
        .args(["serve", "--listen", "127.0.0.1:0"])
        .env("DATABASE_URL", db)
        .env("FAIRPANEL_KEYS", dir.join("keys"))
        .env("RUST_LOG", "warn")
        .current_dir(dir)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    // Owned by `Proc` from here on, so it is killed and waited for on any path.
    let mut p = Proc {
        child,
        addr: "0.0.0.0:0".parse().unwrap(),
        admin_password: None,
    };
    // Read on a thread, so that a serve that never listens fails the test after a
    // minute instead of blocking it; the thread drains serve's output to the end.
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    loop {
        let line = match rx.recv_timeout(std::time::Duration::from_secs(60)) {
            Ok(line) => line,
            Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {
                panic!("serve did not listen within 60 s")
            }
            Err(_) => panic!("serve ended before it listened"),
        };
        if let Some(pw) = line.split("one-time password ").nth(1) {
            p.admin_password = Some(pw.trim().to_string());
        }
        if let Some(a) = line.strip_prefix("fairpanel listening on http://") {
            p.addr = a.trim().parse().unwrap();
            return p;
        }
    }
}

fn expert(id: &str) -> serde_json::Value {
    json!({
        "expert_id": id, "name": "测试专家", "gender": null, "organisation": "广州市技师学院",
        "credit_code": null, "avoid_orgs": [], "specialty": "welding", "other_specialties": [],
        "skill_level": null, "region": null, "status": "active", "phone": null, "email": null
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn three_serve_processes_on_one_database_keep_one_linear_log() {
    for db in backends::all().await {
        let dir = tempfile::tempdir().unwrap();
        // The first start creates the key and the admin; the others find both.
        let first = spawn(&db.url, dir.path());
        let others = [spawn(&db.url, dir.path()), spawn(&db.url, dir.path())];
        let pw = first
            .admin_password
            .clone()
            .expect("the first start prints the admin's password");
        assert!(
            others.iter().all(|p| p.admin_password.is_none()),
            "only one admin is ever created"
        );
        let login = request(
            first.addr,
            "POST",
            "/api/v1/auth/login",
            &[],
            Some(&json!({"username": "admin", "password": pw})),
        )
        .await;
        assert_eq!(login.status, 200, "{}", login.body);
        let token: serde_json::Value = serde_json::from_str(&login.body).unwrap();
        let auth = format!("Bearer {}", token["token"].as_str().unwrap());
        // The admin's password is one-time: set a chosen one first.
        let changed = request(
            first.addr,
            "POST",
            "/api/v1/auth/password",
            &[("Authorization", &auth)],
            Some(&json!({"old_password": pw, "new_password": super::http::CHOSEN_PW})),
        )
        .await;
        assert_eq!(changed.status, 200, "{}", changed.body);
        let addrs = [first.addr, others[0].addr, others[1].addr];
        let mut tasks = Vec::new();
        for (k, addr) in addrs.into_iter().enumerate() {
            let auth = auth.clone();
            tasks.push(tokio::spawn(async move {
                for j in 0..8 {
                    let r = request(
                        addr,
                        "POST",
                        "/api/v1/provinces/440000/experts",
                        &[("Authorization", &auth)],
                        Some(&expert(&format!("P{k}-{j}"))),
                    )
                    .await;
                    assert_eq!(r.status, 201, "{}", r.body);
                }
            }));
        }
        for t in tasks {
            t.await.unwrap();
        }
        drop(first);
        drop(others);
        let audit = Command::new(env!("CARGO_BIN_EXE_fairpanel"))
            .args(["audit"])
            .env("DATABASE_URL", &db.url)
            .env("FAIRPANEL_KEYS", dir.path().join("keys"))
            .current_dir(dir.path())
            .output()
            .unwrap();
        let out = String::from_utf8_lossy(&audit.stdout);
        assert_eq!(audit.status.code(), Some(0), "{}: {out}", db.name);
        assert!(
            out.contains("24 entries"),
            "{}: one entry per expert written, from three processes: {out}",
            db.name
        );
    }
}

/// `serve` started with a webhook URL in its configuration (the environment)
/// starts the notification loop itself: a revealed draw's seated members are
/// announced at the URL with no one calling the outbox. The clock is a file
/// stepped by the test, so nothing waits on real time but the loop's own period.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_webhook_url_in_the_configuration_starts_the_notification_loop() {
    use axum::routing::post;
    let dir = tempfile::tempdir().unwrap();
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel::<serde_json::Value>();
    let hook = axum::Router::new().route(
        "/hook",
        post(move |axum::Json(v): axum::Json<serde_json::Value>| {
            let tx = tx.clone();
            async move {
                let _ = tx.send(v);
                axum::http::StatusCode::NO_CONTENT
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/hook", listener.local_addr().unwrap());
    let receiver = tokio::spawn(async move { axum::serve(listener, hook).await.unwrap() });

    let clock = dir.path().join("clock");
    let t0 = super::draws::t0();
    std::fs::write(&clock, t0.to_string()).unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_fairpanel"))
        .args(["serve", "--demo", "--listen", "127.0.0.1:0"])
        .env(
            "DATABASE_URL",
            format!("sqlite:{}", dir.path().join("db.sqlite").display()),
        )
        .env("FAIRPANEL_KEYS", dir.path().join("keys"))
        .env("FAIRPANEL_WEBHOOK_URL", &url)
        .env(
            "FAIRPANEL_SIMULATED_CLOCK",
            format!("file:{}", clock.display()),
        )
        .env_remove("FAIRPANEL_CONFIG")
        .env("RUST_LOG", "warn")
        .current_dir(dir.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let mut p = Proc {
        child,
        addr: "0.0.0.0:0".parse().unwrap(),
        admin_password: None,
    };
    let (lines_tx, lines) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            let _ = lines_tx.send(line);
        }
    });
    let mut coordinator_code = None;
    let mut supervisor_code = None;
    loop {
        let line = lines
            .recv_timeout(std::time::Duration::from_secs(60))
            .expect("serve --demo listens within 60 s");
        if line.contains("\"gd-coordinator\"") {
            coordinator_code = line
                .split("activation code ")
                .nth(1)
                .and_then(|s| s.split_whitespace().next())
                .map(|s| s.to_string());
        }
        if line.contains("\"gd-supervisor\"") {
            supervisor_code = line
                .split("activation code ")
                .nth(1)
                .and_then(|s| s.split_whitespace().next())
                .map(|s| s.to_string());
        }
        if let Some(a) = line.strip_prefix("fairpanel listening on http://") {
            p.addr = a.trim().parse().unwrap();
            break;
        }
    }
    let addr = p.addr;
    let sup = super::http::first_login(addr, "gd-supervisor", &supervisor_code.unwrap()).await;
    let sup_auth = format!("Bearer {sup}");
    let r = super::http::first_login(addr, "gd-coordinator", &coordinator_code.unwrap()).await;
    let auth = format!("Bearer {r}");
    let call = |method: &'static str, path: String, body: serde_json::Value| {
        let auth = auth.clone();
        async move {
            let r = request(
                addr,
                method,
                &path,
                &[("Authorization", &auth)],
                Some(&body),
            )
            .await;
            assert!(r.status < 300, "{method} {path}: {} {}", r.status, r.body);
            serde_json::from_str::<serde_json::Value>(&r.body).unwrap()
        }
    };
    let base = "/api/v1/provinces/440000";
    let round = call(
        "POST",
        format!("{base}/rounds"),
        json!({"year": 2026, "kind": "studio", "title": "t"}),
    )
    .await;
    let d = call(
        "POST",
        format!("{base}/rounds/{}/draws", round["id"]),
        json!({"title": "抽取", "panel": 5, "alternates": 0, "beacon": {"mode": "none"}, "entropy_window": 5}),
    )
    .await;
    let id = d["id"].as_str().unwrap().to_string();
    // A beacon-less draw needs at least one supervisor's contribution.
    let r = request(
        addr,
        "POST",
        &format!("{base}/draws/{id}/entropy"),
        &[("Authorization", &sup_auth)],
        Some(&json!({"value": "5c".repeat(32)})),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);
    std::fs::write(&clock, (t0 + 6).to_string()).unwrap();
    call("POST", format!("{base}/draws/{id}/reveal"), json!({})).await;

    let mut got = Vec::new();
    while got.len() < 5 {
        let v = tokio::time::timeout(std::time::Duration::from_secs(60), rx.recv())
            .await
            .expect("the notification loop delivers within 60 s")
            .unwrap();
        got.push(v);
    }
    assert!(
        got.iter()
            .all(|v| v["draw"] == id.as_str() && v["kind"] == "seated"),
        "{got:?}"
    );
    drop(p);
    receiver.abort();
}
