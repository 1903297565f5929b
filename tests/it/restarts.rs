//! Zero-downtime restarts: three `fairpanel serve` processes on one PostgreSQL
//! database, restarted one at a time while clients keep reading and writing.
//! No request is lost or answered 5xx, and the log holds every acknowledged
//! write exactly once. PostgreSQL only (the backend for several instances): it
//! is skipped, loudly, without a server, and fails under CI without one.
//!
//! The clients stand in for a proxy in front of the instances: a health checker
//! polls each instance's `/readyz`, and each request goes to the next instance
//! that last answered ready. A request is tried on another instance only when
//! it was certainly never received: the connection could not be made. A failure
//! after the request was written leaves it in doubt; a GET (idempotent) is then
//! retried, a POST never is: it is counted as in doubt and fails the test, since
//! a graceful restart must never drop a request it accepted.

use super::backends;
use serde_json::json;
use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU8, AtomicU64, Ordering};
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// How long each instance keeps serving, not ready, after SIGTERM: far above
/// the health checker's period, as an operator sets it above the proxy's.
const GRACE_SECONDS: &str = "2";
const CHECK_PERIOD: Duration = Duration::from_millis(20);
/// Bounds on waits, so that a hang fails the test instead of blocking the run.
const PATIENCE: Duration = Duration::from_secs(60);

const DOWN: u8 = 0;
const READY: u8 = 1;
const DRAINING: u8 = 2;

struct Instance {
    child: Option<Child>,
    addr: SocketAddr,
    admin_password: Option<String>,
    /// What it writes to standard error, whole once it has exited.
    errors: Option<std::thread::JoinHandle<String>>,
}

impl Drop for Instance {
    fn drop(&mut self) {
        if let Some(c) = &mut self.child {
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}

/// Starts `fairpanel serve` on `listen` and reads what it prints until it listens.
fn spawn(db: &str, dir: &std::path::Path, listen: &str) -> Instance {
    spawn_with(db, dir, listen, GRACE_SECONDS, "30")
}

/// [`spawn`] with a grace period and drain timeout of the test's choosing.
fn spawn_with(db: &str, dir: &std::path::Path, listen: &str, grace: &str, drain: &str) -> Instance {
    let mut child = Command::new(env!("CARGO_BIN_EXE_fairpanel"))
        .args([
            "serve",
            "--listen",
            listen,
            "--shutdown-grace",
            grace,
            "--drain-timeout",
            drain,
        ])
        .env("DATABASE_URL", db)
        .env("FAIRPANEL_KEYS", dir.join("keys"))
        .env_remove("FAIRPANEL_CONFIG")
        .env("RUST_LOG", "warn")
        .current_dir(dir)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stderr = child.stderr.take().unwrap();
    let errors = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = std::io::Read::read_to_string(&mut BufReader::new(stderr), &mut s);
        s
    });
    let stdout = child.stdout.take().unwrap();
    let mut p = Instance {
        child: Some(child),
        addr: "0.0.0.0:0".parse().unwrap(),
        admin_password: None,
        errors: Some(errors),
    };
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    loop {
        let line = match rx.recv_timeout(PATIENCE) {
            Ok(line) => line,
            Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {
                panic!("serve did not listen within a minute")
            }
            Err(_) => {
                let status = p.child.as_mut().unwrap().wait().unwrap();
                panic!(
                    "serve ended ({status}) before it listened: {}",
                    p.errors.take().unwrap().join().unwrap()
                )
            }
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

/// What became of one request sent to one instance.
enum Outcome {
    /// No connection: the instance never saw the request.
    NotSent,
    /// The request was (perhaps partly) written, then the exchange failed: the
    /// instance may or may not have acted on it.
    InDoubt(String),
    Reply(u16, String),
}

async fn exchange(addr: SocketAddr, method: &str, path: &str, auth: &str, body: &str) -> Outcome {
    let Ok(mut s) = tokio::net::TcpStream::connect(addr).await else {
        return Outcome::NotSent;
    };
    let head = format!(
        "{method} {path} HTTP/1.1\r\nHost: test\r\nConnection: close\r\nAuthorization: {auth}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    );
    let talk = async {
        s.write_all(head.as_bytes()).await?;
        let mut buf = Vec::new();
        s.read_to_end(&mut buf).await?;
        Ok::<_, std::io::Error>(buf)
    };
    let buf = match tokio::time::timeout(PATIENCE, talk).await {
        Err(_) => return Outcome::InDoubt("no reply within a minute".into()),
        Ok(Err(e)) => return Outcome::InDoubt(e.to_string()),
        Ok(Ok(b)) => b,
    };
    let text = String::from_utf8_lossy(&buf).into_owned();
    let Some((head, body)) = text.split_once("\r\n\r\n") else {
        return Outcome::InDoubt(format!("not an HTTP reply: {text:?}"));
    };
    match head.split(' ').nth(1).and_then(|s| s.parse().ok()) {
        Some(status) => Outcome::Reply(status, body.to_string()),
        None => Outcome::InDoubt(format!("not an HTTP reply: {text:?}")),
    }
}

/// The instances as a proxy sees them: their addresses, their state as the
/// health checker last found it, and how many requests each answered.
struct Pool {
    addrs: Vec<SocketAddr>,
    state: Vec<AtomicU8>,
    saw_draining: Vec<AtomicBool>,
    answered: Vec<AtomicU64>,
    next: AtomicU64,
    in_doubt: AtomicU64,
}

impl Pool {
    /// Polls every instance's `/readyz` until `stop`.
    async fn check(self: Arc<Self>, stop: Arc<AtomicBool>) {
        while !stop.load(Ordering::SeqCst) {
            for (i, addr) in self.addrs.iter().enumerate() {
                let s = match exchange(*addr, "GET", "/readyz", "none", "").await {
                    Outcome::Reply(200, b) if b == "ready" => READY,
                    Outcome::Reply(503, b) if b == "draining" => {
                        self.saw_draining[i].store(true, Ordering::SeqCst);
                        DRAINING
                    }
                    Outcome::Reply(s, b) => panic!("/readyz answered {s} {b}"),
                    _ => DOWN,
                };
                self.state[i].store(s, Ordering::SeqCst);
            }
            tokio::time::sleep(CHECK_PERIOD).await;
        }
    }

    /// Sends one request to the next ready instance. Tried elsewhere only when
    /// never sent; a GET in doubt is sent again, a POST in doubt is counted and
    /// returned as status 0.
    async fn send(&self, method: &str, path: &str, auth: &str, body: &str) -> (u16, String) {
        let deadline = Instant::now() + PATIENCE;
        loop {
            assert!(
                Instant::now() < deadline,
                "{method} {path}: no instance took it within a minute"
            );
            let n = self.addrs.len() as u64;
            let start = self.next.fetch_add(1, Ordering::SeqCst);
            let Some(i) = (0..n)
                .map(|k| ((start + k) % n) as usize)
                .find(|&i| self.state[i].load(Ordering::SeqCst) == READY)
            else {
                tokio::time::sleep(CHECK_PERIOD).await;
                continue;
            };
            match exchange(self.addrs[i], method, path, auth, body).await {
                Outcome::NotSent => {
                    // Safe to try elsewhere: the instance never saw it.
                    tokio::time::sleep(Duration::from_millis(5)).await;
                }
                Outcome::InDoubt(e) if method == "GET" => {
                    // Idempotent: asking again changes nothing.
                    eprintln!("GET {path} in doubt ({e}); asked again");
                }
                Outcome::InDoubt(e) => {
                    eprintln!("{method} {path} in doubt: {e}");
                    self.in_doubt.fetch_add(1, Ordering::SeqCst);
                    return (0, e);
                }
                Outcome::Reply(status, body) => {
                    self.answered[i].fetch_add(1, Ordering::SeqCst);
                    return (status, body);
                }
            }
        }
    }
}

fn expert(id: &str) -> String {
    json!({
        "expert_id": id, "name": "测试专家", "gender": null, "organisation": "广州市技师学院",
        "credit_code": null, "avoid_orgs": [], "specialty": "welding", "other_specialties": [],
        "skill_level": null, "region": null, "status": "active", "phone": null, "email": null
    })
    .to_string()
}

/// Waits (bounded) until `cond` holds.
async fn until(what: &str, cond: impl Fn() -> bool) {
    let deadline = Instant::now() + PATIENCE;
    while !cond() {
        assert!(Instant::now() < deadline, "{what}: not within a minute");
        tokio::time::sleep(CHECK_PERIOD).await;
    }
}

/// SIGTERM to `child`, then its exit status code (bounded wait).
async fn terminate(child: &mut Child) -> Option<i32> {
    let st = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(st.success(), "kill -TERM failed");
    terminate_wait(child).await
}

/// The exit status code of `child`, already told to stop (bounded wait).
async fn terminate_wait(child: &mut Child) -> Option<i32> {
    let deadline = Instant::now() + PATIENCE;
    loop {
        if let Some(s) = child.try_wait().unwrap() {
            return s.code();
        }
        assert!(
            Instant::now() < deadline,
            "serve did not exit within a minute"
        );
        tokio::time::sleep(CHECK_PERIOD).await;
    }
}

/// `/readyz` is the proxy's signal: ready while serving, 503 once shutdown
/// began; `/healthz` stays a liveness check throughout. On both backends.
#[tokio::test]
async fn readyz_turns_503_once_shutdown_begins_while_healthz_stays_ok() {
    for db in backends::all().await {
        let srv = super::http::start(&db.url).await;
        assert_eq!(
            super::http::get(srv.addr, "/readyz").await,
            (200, "ready".to_string()),
            "{}",
            db.name
        );
        srv.state.draining.store(true, Ordering::SeqCst);
        assert_eq!(
            super::http::get(srv.addr, "/readyz").await,
            (503, "draining".to_string()),
            "{}",
            db.name
        );
        assert_eq!(
            super::http::get(srv.addr, "/healthz").await,
            (200, "ok".to_string()),
            "{}",
            db.name
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn instances_restarted_one_at_a_time_lose_no_request() {
    let Some(db) = backends::postgres().await else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    // The key exists before the first start, so that the three instances can
    // start at once: their migrations and first-admin creation then race on
    // the fresh database, as at a deployment that starts them together.
    fairpanel::keyfile::generate(&dir.path().join("keys"), false).unwrap();
    let starts: Vec<_> = (0..3)
        .map(|_| {
            let (url, d) = (db.url.clone(), dir.path().to_path_buf());
            std::thread::spawn(move || spawn(&url, &d, "127.0.0.1:0"))
        })
        .collect();
    let mut instances: Vec<Instance> = starts.into_iter().map(|t| t.join().unwrap()).collect();
    let passwords: Vec<String> = instances
        .iter()
        .filter_map(|p| p.admin_password.clone())
        .collect();
    assert_eq!(passwords.len(), 1, "exactly one start creates the admin");
    let token = super::http::one_time_login(instances[0].addr, "admin", &passwords[0]).await;
    let auth = format!("Bearer {token}");

    let pool = Arc::new(Pool {
        addrs: instances.iter().map(|p| p.addr).collect(),
        state: (0..3).map(|_| AtomicU8::new(DOWN)).collect(),
        saw_draining: (0..3).map(|_| AtomicBool::new(false)).collect(),
        answered: (0..3).map(|_| AtomicU64::new(0)).collect(),
        next: AtomicU64::new(0),
        in_doubt: AtomicU64::new(0),
    });
    let stop_checks = Arc::new(AtomicBool::new(false));
    let checker = tokio::spawn(pool.clone().check(stop_checks.clone()));
    until("all three ready", || {
        pool.state.iter().all(|s| s.load(Ordering::SeqCst) == READY)
    })
    .await;

    // Two writers (each write one log entry) and one reader, until told to stop.
    let stop = Arc::new(AtomicBool::new(false));
    let writes = Arc::new(AtomicU64::new(0));
    let mut writers = Vec::new();
    for w in 0..2 {
        let (pool, auth, stop, writes) = (pool.clone(), auth.clone(), stop.clone(), writes.clone());
        writers.push(tokio::spawn(async move {
            let mut acked = Vec::new();
            let mut j = 0;
            while !stop.load(Ordering::SeqCst) {
                let id = format!("W{w}-{j}");
                j += 1;
                let (status, body) = pool
                    .send(
                        "POST",
                        "/api/v1/provinces/440000/experts",
                        &auth,
                        &expert(&id),
                    )
                    .await;
                assert_eq!(status, 201, "POST {id}: {body}");
                acked.push(id);
                writes.fetch_add(1, Ordering::SeqCst);
            }
            acked
        }));
    }
    let reader = {
        let (pool, auth, stop) = (pool.clone(), auth.clone(), stop.clone());
        tokio::spawn(async move {
            let mut reads = 0u64;
            while !stop.load(Ordering::SeqCst) {
                let (status, body) = pool
                    .send("GET", "/api/v1/provinces/440000/experts", &auth, "")
                    .await;
                assert_eq!(status, 200, "GET experts: {body}");
                reads += 1;
            }
            reads
        })
    };

    for (i, inst) in instances.iter_mut().enumerate() {
        // Traffic flows before each restart.
        let before = writes.load(Ordering::SeqCst);
        until("writes go on", || {
            writes.load(Ordering::SeqCst) >= before + 10
        })
        .await;
        let addr = inst.addr;
        let code = terminate(inst.child.as_mut().unwrap()).await;
        assert_eq!(code, Some(0), "instance {i} exits 0 after SIGTERM");
        assert!(
            pool.saw_draining[i].load(Ordering::SeqCst),
            "instance {i} answered /readyz 503 draining before it stopped"
        );
        inst.child = None;
        let again = spawn(&db.url, dir.path(), &addr.to_string());
        assert_eq!(again.addr, addr, "restarted on its own address");
        assert!(again.admin_password.is_none(), "no second admin");
        *inst = again;
        let served = pool.answered[i].load(Ordering::SeqCst);
        until("the restarted instance is ready and serving", || {
            pool.state[i].load(Ordering::SeqCst) == READY
                && pool.answered[i].load(Ordering::SeqCst) > served
        })
        .await;
    }

    stop.store(true, Ordering::SeqCst);
    let mut acked = Vec::new();
    for w in writers {
        acked.extend(w.await.unwrap());
    }
    let reads = reader.await.unwrap();
    assert_eq!(pool.in_doubt.load(Ordering::SeqCst), 0, "no write in doubt");
    assert!(
        reads > 0 && acked.len() >= 30,
        "{reads} reads, {} writes",
        acked.len()
    );
    until("all three ready at the end", || {
        pool.state.iter().all(|s| s.load(Ordering::SeqCst) == READY)
    })
    .await;

    // Every acknowledged write is there exactly once, and nothing else is.
    let (status, body) = pool
        .send("GET", "/api/v1/provinces/440000/experts", &auth, "")
        .await;
    assert_eq!(status, 200, "{body}");
    let list: Vec<serde_json::Value> = serde_json::from_str(&body).unwrap();
    let mut ids: Vec<&str> = list
        .iter()
        .map(|e| e["expert_id"].as_str().unwrap())
        .collect();
    ids.sort_unstable();
    let mut want: Vec<&str> = acked.iter().map(String::as_str).collect();
    want.sort_unstable();
    assert_eq!(
        ids, want,
        "the roster holds exactly the acknowledged writes"
    );

    stop_checks.store(true, Ordering::SeqCst);
    checker.await.unwrap();
    for (i, p) in instances.iter_mut().enumerate() {
        let code = terminate(p.child.as_mut().unwrap()).await;
        assert_eq!(code, Some(0), "instance {i} exits 0 at the end");
        p.child = None;
    }
    // One entry per acknowledged write, in one log that verifies.
    let audit = Command::new(env!("CARGO_BIN_EXE_fairpanel"))
        .args(["audit"])
        .env("DATABASE_URL", &db.url)
        .env("FAIRPANEL_KEYS", dir.path().join("keys"))
        .env_remove("FAIRPANEL_CONFIG")
        .current_dir(dir.path())
        .output()
        .unwrap();
    let out = String::from_utf8_lossy(&audit.stdout);
    assert_eq!(audit.status.code(), Some(0), "{out}");
    assert!(
        out.contains(&format!("{} entries", acked.len())),
        "one log entry per acknowledged write ({}): {out}",
        acked.len()
    );
}

/// A request the service is reading when SIGTERM comes is finished and
/// answered before the process exits 0; one that does not finish within the
/// drain timeout is cut off, and the service exits 2 saying so. The request is
/// held in flight by its body: with `Expect: 100-continue` the service says
/// when it starts reading it, so the signal comes while the request is in
/// flight.
#[tokio::test]
async fn a_request_in_flight_at_sigterm_is_finished_and_a_stuck_one_is_cut_at_the_drain_timeout() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite:{}", dir.path().join("db.sqlite").display());
    let body = r#"{"username": "nobody", "password": "wrong-password-1"}"#;
    // Sends the head of a login, waits for 100 Continue: the handler runs.
    let begin = |addr: SocketAddr| async move {
        let mut s = tokio::net::TcpStream::connect(addr).await.unwrap();
        let head = format!(
            "POST /api/v1/auth/login HTTP/1.1\r\nHost: test\r\nConnection: close\r\nContent-Type: application/json\r\nExpect: 100-continue\r\nContent-Length: {}\r\n\r\n",
            body.len()
        );
        s.write_all(head.as_bytes()).await.unwrap();
        let mut got = Vec::new();
        while !got.windows(4).any(|w| w == b"\r\n\r\n") {
            let mut b = [0u8; 256];
            let n = tokio::time::timeout(PATIENCE, s.read(&mut b))
                .await
                .expect("100 Continue within a minute")
                .unwrap();
            assert!(n > 0, "closed before 100 Continue");
            got.extend_from_slice(&b[..n]);
        }
        assert!(
            String::from_utf8_lossy(&got).starts_with("HTTP/1.1 100"),
            "{}",
            String::from_utf8_lossy(&got)
        );
        s
    };

    let mut p = spawn_with(&db, dir.path(), "127.0.0.1:0", "0", "30");
    let mut s = begin(p.addr).await;
    let child = p.child.as_mut().unwrap();
    let st = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(st.success());
    // The service has stopped accepting: a new connection is refused.
    until("new connections refused", || {
        std::net::TcpStream::connect(p.addr).is_err()
    })
    .await;
    assert!(
        p.child.as_mut().unwrap().try_wait().unwrap().is_none(),
        "serve waits for the request in flight"
    );
    s.write_all(body.as_bytes()).await.unwrap();
    let mut reply = Vec::new();
    tokio::time::timeout(PATIENCE, s.read_to_end(&mut reply))
        .await
        .expect("a reply within a minute")
        .unwrap();
    let reply = String::from_utf8_lossy(&reply);
    assert!(
        reply.starts_with("HTTP/1.1 401"),
        "the login in flight was answered: {reply}"
    );
    let code = terminate_wait(p.child.as_mut().unwrap()).await;
    assert_eq!(code, Some(0), "a drained service exits 0");
    p.child = None;

    // The same, but the body never comes: cut off after the drain timeout.
    let mut p = spawn_with(&db, dir.path(), "127.0.0.1:0", "0", "1");
    let _held = begin(p.addr).await;
    let code = terminate(p.child.as_mut().unwrap()).await;
    let errors = p.errors.take().unwrap().join().unwrap();
    assert_eq!(code, Some(2), "cut off at the drain timeout: {errors}");
    assert!(
        errors.contains("were still in flight 1 s after"),
        "the exit says why: {errors}"
    );
    p.child = None;
}
