//! The real server on a random loopback port, on both backends: health, the
//! public log API, and `fairpanel audit` run as a command against the database.

use super::*;
use fairpanel::store::log::NewEntry;
use fairpanel_core::hash::Hash32;
use fairpanel_core::{PublicKey, checkpoint, merkle};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// A running service and what the test needs to talk to it.
pub struct Server {
    pub addr: std::net::SocketAddr,
    pub state: fairpanel::http::AppState,
    pub dir: tempfile::TempDir,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for Server {
    fn drop(&mut self) {
        self.task.abort();
    }
}

pub async fn start(database_url: &str) -> Server {
    start_with(database_url, fairpanel::clock::Clock::System).await
}

/// The service with a clock of the test's choosing.
pub async fn start_with(database_url: &str, clock: fairpanel::clock::Clock) -> Server {
    start_configured(database_url, |c| c.clock = clock).await
}

/// The service with the test's changes to the default test configuration.
pub async fn start_configured(
    database_url: &str,
    change: impl FnOnce(&mut fairpanel::config::Config),
) -> Server {
    let dir = tempfile::tempdir().unwrap();
    let mut cfg = config_at(database_url, &dir.path().join("keys"));
    change(&mut cfg);
    let state = fairpanel::serve::prepare(&cfg).await.unwrap();
    let listener = tokio::net::TcpListener::bind(cfg.listen).await.unwrap();
    let addr = listener.local_addr().unwrap();
    // With the client's address, as `serve` runs it (throttles key on it).
    let app = fairpanel::http::router(state.clone())
        .into_make_service_with_connect_info::<std::net::SocketAddr>();
    let task = tokio::spawn(async move {
        axum::serve(listener, app).await.unwrap();
    });
    Server {
        addr,
        state,
        dir,
        task,
    }
}

/// A minimal HTTP/1.1 GET: status and body.
pub async fn get(addr: std::net::SocketAddr, path: &str) -> (u16, String) {
    let r = request(addr, "GET", path, &[], None).await;
    (r.status, r.body)
}

pub struct Reply {
    pub status: u16,
    pub headers: String,
    pub body: String,
}

/// A reply whose body may not be text.
pub struct RawReply {
    pub status: u16,
    pub headers: String,
    pub body: Vec<u8>,
}

/// How long any one request may take before the test fails (a hung server must
/// fail the test, not block the run).
pub const REQUEST_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(60);

/// The integration tests' one HTTP client: an HTTP/1.1 request with extra
/// headers and a body, on a new connection, within [`REQUEST_TIMEOUT`]. With
/// `tolerant`, a server that refuses the body before reading it all (and closes
/// the connection) is not an error: whatever it answered is returned, status 0 if
/// nothing.
pub async fn send(
    addr: std::net::SocketAddr,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &[u8],
    tolerant: bool,
) -> RawReply {
    let exchange = async {
        let mut s = tokio::net::TcpStream::connect(addr).await.unwrap();
        let mut head = format!(
            "{method} {path} HTTP/1.1\r\nHost: test\r\nConnection: close\r\nContent-Length: {}\r\n",
            body.len()
        );
        for (k, v) in headers {
            head.push_str(&format!("{k}: {v}\r\n"));
        }
        head.push_str("\r\n");
        let sent = async {
            s.write_all(head.as_bytes()).await?;
            s.write_all(body).await
        }
        .await;
        if !tolerant {
            sent.unwrap();
        }
        let mut buf = Vec::new();
        let read = s.read_to_end(&mut buf).await;
        if !tolerant {
            read.unwrap();
        }
        buf
    };
    let buf = tokio::time::timeout(REQUEST_TIMEOUT, exchange)
        .await
        .unwrap_or_else(|_| panic!("{method} {path}: no reply within {REQUEST_TIMEOUT:?}"));
    let Some(split) = buf.windows(4).position(|w| w == b"\r\n\r\n") else {
        assert!(tolerant, "{method} {path}: not an HTTP reply: {buf:?}");
        return RawReply {
            status: 0,
            headers: String::from_utf8_lossy(&buf).into_owned(),
            body: Vec::new(),
        };
    };
    let head = String::from_utf8_lossy(&buf[..split]).into_owned();
    let status = head.split(' ').nth(1).unwrap().parse().unwrap();
    let body = &buf[split + 4..];
    let body = if head
        .to_ascii_lowercase()
        .contains("transfer-encoding: chunked")
    {
        dechunk(body)
    } else {
        body.to_vec()
    };
    RawReply {
        status,
        headers: head,
        body,
    }
}

/// A minimal HTTP/1.1 request with extra headers and an optional JSON body.
pub async fn request(
    addr: std::net::SocketAddr,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    json: Option<&serde_json::Value>,
) -> Reply {
    let body = json.map(|j| j.to_string()).unwrap_or_default();
    let mut all = headers.to_vec();
    if json.is_some() {
        all.push(("Content-Type", "application/json"));
    }
    let r = send(addr, method, path, &all, body.as_bytes(), false).await;
    Reply {
        status: r.status,
        headers: r.headers,
        body: String::from_utf8(r.body).unwrap(),
    }
}

/// A request with raw bytes (a file) and an `Authorization` header value; the
/// reply's status and body as bytes.
pub async fn raw(
    addr: std::net::SocketAddr,
    method: &str,
    path: &str,
    auth: &str,
    bytes: &[u8],
) -> (u16, Vec<u8>) {
    let headers = [
        ("Authorization", auth),
        ("Content-Type", "application/octet-stream"),
    ];
    let r = send(addr, method, path, &headers, bytes, false).await;
    (r.status, r.body)
}

/// Posts a file (raw bytes); the reply as text.
pub async fn upload(addr: std::net::SocketAddr, path: &str, auth: &str, bytes: &[u8]) -> Reply {
    let (status, body) = raw(addr, "POST", path, auth, bytes).await;
    Reply {
        status,
        headers: String::new(),
        body: String::from_utf8(body).unwrap(),
    }
}

/// Posts a file the server may refuse before reading it all: the status (0 if
/// the server answered nothing) and the whole reply as text.
pub async fn upload_tolerant(
    addr: std::net::SocketAddr,
    path: &str,
    auth: &str,
    bytes: &[u8],
) -> (u16, String) {
    let headers = [
        ("Authorization", auth),
        ("Content-Type", "application/octet-stream"),
    ];
    let r = send(addr, "POST", path, &headers, bytes, true).await;
    (
        r.status,
        format!("{}\r\n\r\n{}", r.headers, String::from_utf8_lossy(&r.body)),
    )
}

fn dechunk(mut body: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    loop {
        let line = body.windows(2).position(|w| w == b"\r\n").unwrap();
        let len = std::str::from_utf8(&body[..line]).unwrap();
        let n = usize::from_str_radix(len.trim(), 16).unwrap();
        if n == 0 {
            return out;
        }
        let rest = &body[line + 2..];
        out.extend_from_slice(&rest[..n]);
        body = &rest[n + 2..];
    }
}

/// The one login: `POST /api/v1/auth/login` with a user name and password.
pub async fn login(addr: std::net::SocketAddr, user: &str, pw: &str) -> Reply {
    request(
        addr,
        "POST",
        "/api/v1/auth/login",
        &[],
        Some(&serde_json::json!({"username": user, "password": pw})),
    )
    .await
}

/// The password a person sets at the first sign-in in these tests.
pub const CHOSEN_PW: &str = "Correct-Horse-Battery-9";

/// Opens a new account's activation code choosing [`CHOSEN_PW`], as its
/// person does, and signs in; the session token.
pub async fn first_login(addr: std::net::SocketAddr, user: &str, code: &str) -> String {
    let r = request(
        addr,
        "POST",
        "/api/v1/auth/activate",
        &[],
        Some(&serde_json::json!({"code": code, "password": CHOSEN_PW})),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);
    token(&login(addr, user, CHOSEN_PW).await)
}

/// Signs in with a one-time password (the first admin's), which that sign-in
/// uses up, and sets [`CHOSEN_PW`] in the same session; the session token.
pub async fn one_time_login(addr: std::net::SocketAddr, user: &str, one_time: &str) -> String {
    let t = token(&login(addr, user, one_time).await);
    let r = request(
        addr,
        "POST",
        "/api/v1/auth/password",
        &[("Authorization", &format!("Bearer {t}"))],
        Some(&serde_json::json!({"new_password": CHOSEN_PW})),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);
    t
}

/// The session token of a successful login reply.
pub fn token(r: &Reply) -> String {
    assert_eq!(r.status, 200, "{}", r.body);
    let v: serde_json::Value = serde_json::from_str(&r.body).unwrap();
    v["token"].as_str().unwrap().to_string()
}

use super::backends::roster_change as change;

/// Creates an account with a password its owner chose (no one-time password
/// to change) and logs it in; the bearer token.
pub async fn token_for(srv: &Server, user: &str, role: &str, province: Option<&str>) -> String {
    let pw = format!("pw-{user}-long-enough");
    assert!(
        fairpanel::accounts::create_chosen(&srv.state.store, user, &pw, role, province, None, 1)
            .await
            .unwrap()
    );
    token(&login(srv.addr, user, &pw).await)
}

#[tokio::test]
async fn the_public_api_serves_a_checkpoint_entries_and_proofs_that_verify() {
    for db in backends::all().await {
        let srv = start(&db.url).await;
        let (status, body) = get(srv.addr, "/healthz").await;
        assert_eq!((status, body.as_str()), (200, "ok"), "{}", db.name);
        // An empty log still has a signed checkpoint, of size 0.
        let (status, empty) = get(srv.addr, "/api/v1/public/checkpoint").await;
        assert_eq!(status, 200);
        let (_, key_json) = get(srv.addr, "/api/v1/public/key").await;
        let key: serde_json::Value = serde_json::from_str(&key_json).unwrap();
        let pk = PublicKey::parse(key["base64"].as_str().unwrap()).unwrap();
        assert_eq!(PublicKey::parse(key["pem"].as_str().unwrap()).unwrap(), pk);
        assert_eq!(key["key_id"].as_str().unwrap(), pk.key_id().to_string());
        assert!(!key_json.contains("PRIVATE"));
        assert_eq!(
            checkpoint::verify(&empty, &pk, Some("test.example/log"))
                .unwrap()
                .size,
            0
        );

        let entries: Vec<NewEntry> = (0..7).map(change).collect();
        srv.state
            .store
            .append(&srv.state.key, &srv.state.origin, &entries)
            .await
            .unwrap();
        let (_, cp_text) = get(srv.addr, "/api/v1/public/checkpoint").await;
        let cp = checkpoint::verify(&cp_text, &pk, Some("test.example/log")).unwrap();
        assert_eq!(cp.size, 7, "{}", db.name);

        let (status, list) = get(srv.addr, "/api/v1/public/entries?start=2&end=5").await;
        assert_eq!(status, 200);
        let list: Vec<serde_json::Value> = serde_json::from_str(&list).unwrap();
        assert_eq!(list.len(), 3);
        for item in &list {
            // The entry is served as its exact bytes: re-serialising the embedded
            // object gives the canonical form back, which the signature covers.
            let bytes = serde_json::to_vec(&item["entry"]).unwrap();
            let sig = base64_decode(item["sig"].as_str().unwrap());
            pk.verify(&bytes, &sig).unwrap();
            let seq = item["seq"].as_u64().unwrap();
            let (_, proof) = get(
                srv.addr,
                &format!("/api/v1/public/proof/inclusion?seq={seq}&size=7"),
            )
            .await;
            let proof: serde_json::Value = serde_json::from_str(&proof).unwrap();
            let hashes: Vec<Hash32> = serde_json::from_value(proof["proof"].clone()).unwrap();
            merkle::check_inclusion(&hashes, 7, cp.root, seq, merkle::leaf_hash(&bytes)).unwrap();
        }
        let (status, cons) = get(srv.addr, "/api/v1/public/proof/consistency?from=3&to=7").await;
        assert_eq!(status, 200);
        let cons: serde_json::Value = serde_json::from_str(&cons).unwrap();
        let hashes: Vec<Hash32> = serde_json::from_value(cons["proof"].clone()).unwrap();
        let old_root = srv.state.store.root(3).await.unwrap();
        merkle::check_consistency(&hashes, 7, cp.root, 3, old_root).unwrap();

        // Out of range: 404 with a clear error, never 500.
        for path in [
            "/api/v1/public/proof/inclusion?seq=7&size=7",
            "/api/v1/public/proof/inclusion?seq=1&size=99",
            "/api/v1/public/proof/consistency?from=0&to=7",
            "/api/v1/public/proof/consistency?from=5&to=3",
        ] {
            let (status, body) = get(srv.addr, path).await;
            assert_eq!(status, 404, "{path}: {body}");
            assert!(body.contains("\"error\""));
        }
        let (status, _) = get(srv.addr, "/api/v1/public/entries?start=x").await;
        assert_eq!(status, 400);
        // Above what a sequence number can be: 400, never a panic.
        for path in [
            "/api/v1/public/entries?start=9223372036854775808",
            "/api/v1/public/entries?start=0&end=18446744073709551615",
        ] {
            let (status, body) = get(srv.addr, path).await;
            assert_eq!(status, 400, "{path}: {body}");
            assert!(body.contains("at most"), "{path}: {body}");
        }
        let (status, _) = get(srv.addr, "/api/v1/public/entries?start=9223372036854775807").await;
        assert_eq!(
            status, 200,
            "the largest sequence number is a valid, empty range"
        );
    }
}

fn base64_decode(s: &str) -> Vec<u8> {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.decode(s).unwrap()
}

#[tokio::test]
async fn fairpanel_audit_passes_a_sound_log_and_names_the_row_someone_changed() {
    for db in backends::all().await {
        let srv = start(&db.url).await;
        let entries: Vec<NewEntry> = (0..6).map(change).collect();
        srv.state
            .store
            .append(&srv.state.key, &srv.state.origin, &entries)
            .await
            .unwrap();
        let keys = srv.dir.path().join("keys");
        let run = || {
            std::process::Command::new(env!("CARGO_BIN_EXE_fairpanel"))
                .args(["audit", "--origin", "test.example/log"])
                .env("DATABASE_URL", &db.url)
                .env("FAIRPANEL_KEYS", &keys)
                .output()
                .unwrap()
        };
        let ok = run();
        assert_eq!(
            ok.status.code(),
            Some(0),
            "{}: {}{}",
            db.name,
            stdout(&ok),
            stderr(&ok)
        );
        assert!(stdout(&ok).contains("6 entries"));
        // Someone with database access edits entry 2's time inside its bytes.
        let sql = match db.name {
            "sqlite" => {
                "UPDATE log_entries SET bytes = CAST(replace(CAST(bytes AS TEXT), '\"time\":1700000002', '\"time\":1700000009') AS BLOB) WHERE seq = 2"
            }
            _ => {
                "UPDATE log_entries SET bytes = convert_to(replace(convert_from(bytes, 'UTF8'), '\"time\":1700000002', '\"time\":1700000009'), 'UTF8') WHERE seq = 2"
            }
        };
        fairpanel::with_pool!(&srv.state.store, p => {
            let r = sqlx::query(sql).execute(p).await.unwrap();
            assert_eq!(r.rows_affected(), 1);
        });
        let bad = run();
        assert_eq!(bad.status.code(), Some(1), "{}: {}", db.name, stdout(&bad));
        assert!(
            stdout(&bad).contains("PROBLEM entry seq 2"),
            "{}",
            stdout(&bad)
        );
    }
}

/// A request with a text body of any type (a page's form, for example).
pub async fn request_raw(
    addr: std::net::SocketAddr,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> Reply {
    let r = send(addr, method, path, headers, body.as_bytes(), false).await;
    Reply {
        status: r.status,
        headers: r.headers,
        body: String::from_utf8(r.body).unwrap(),
    }
}

fn config_at(url: &str, keys: &std::path::Path) -> fairpanel::config::Config {
    fairpanel::config::Config {
        listen: "127.0.0.1:0".parse().unwrap(),
        database_url: url.to_string(),
        keys: keys.to_path_buf(),
        origin: "test.example/log".into(),
        webhook_url: None,
        webhook_ca: None,
        tls: None,
        clock: fairpanel::clock::Clock::System,
        min_panel: fairpanel::draws::DEFAULT_MIN_PANEL,
        public_url: None,
        log_format: Default::default(),
        metrics_listen: None,
        shutdown_grace: std::time::Duration::ZERO,
        drain_timeout: fairpanel::config::DEFAULT_DRAIN_TIMEOUT,
    }
}

async fn exec(store: &fairpanel::store::Store, sql: &str) -> u64 {
    fairpanel::with_pool!(store, p => sqlx::query(sqlx::AssertSqlSafe(sql.to_string())).execute(p).await.unwrap().rows_affected())
}

/// `fairpanel audit` on a real database, each mutation class named; the service
/// refuses to sign over a rolled-back log or over entries signed by another key,
/// and refuses to start without its key over a log signed by one.
#[tokio::test]
async fn audit_names_each_mutation_and_the_service_refuses_to_sign_over_a_rollback() {
    for db in backends::all().await {
        let srv = start(&db.url).await;
        let store = &srv.state.store;
        for k in 0..6 {
            store
                .append(&srv.state.key, &srv.state.origin, &[change(k)])
                .await
                .unwrap();
        }
        let keys = srv.dir.path().join("keys");
        let audit = || {
            let o = std::process::Command::new(env!("CARGO_BIN_EXE_fairpanel"))
                .args(["audit", "--origin", "test.example/log"])
                .env("DATABASE_URL", &db.url)
                .env("FAIRPANEL_KEYS", &keys)
                .output()
                .unwrap();
            (o.status.code(), stdout(&o))
        };
        let (code, out) = audit();
        assert_eq!(code, Some(0), "{}: {out}", db.name);

        // Columns beside the signed bytes.
        for (sql, undo, want) in [
            (
                "UPDATE log_entries SET time = time + 1 WHERE seq = 3",
                "UPDATE log_entries SET time = time - 1 WHERE seq = 3",
                "log_entries seq 3: column time",
            ),
            (
                "UPDATE log_entries SET kind = 'void' WHERE seq = 2",
                "UPDATE log_entries SET kind = 'roster_change' WHERE seq = 2",
                "log_entries seq 2: column kind",
            ),
            (
                "UPDATE log_entries SET province = '320000' WHERE seq = 1",
                "UPDATE log_entries SET province = '440000' WHERE seq = 1",
                "log_entries seq 1: column province",
            ),
            (
                "UPDATE log_entries SET draw = 'x' WHERE seq = 4",
                "UPDATE log_entries SET draw = NULL WHERE seq = 4",
                "log_entries seq 4: column draw",
            ),
            (
                "DELETE FROM checkpoints WHERE size = 6",
                "",
                "checkpoints: the newest is of size 5",
            ),
        ] {
            assert_eq!(exec(store, sql).await, 1, "{sql}");
            let (code, out) = audit();
            assert_eq!(code, Some(1), "{}: {sql}: {out}", db.name);
            assert!(out.contains(want), "{}: {sql}: {out}", db.name);
            if !undo.is_empty() {
                exec(store, undo).await;
            }
        }

        // A rollback: the last two entries, their hashes and checkpoints gone,
        // the head set back.
        let keep = tlog_tiles::stored_hash_count(4);
        exec(store, "DELETE FROM log_entries WHERE seq >= 4").await;
        exec(
            store,
            &format!("DELETE FROM log_hashes WHERE idx >= {keep}"),
        )
        .await;
        exec(store, "DELETE FROM checkpoints WHERE size > 4").await;
        exec(
            store,
            "UPDATE log_head SET size = 4, last_hash = (SELECT hash FROM log_entries WHERE seq = 3) WHERE id = 1",
        )
        .await;
        let (code, out) = audit();
        assert_eq!(code, Some(1), "{}: {out}", db.name);
        assert!(
            out.contains("rolled back or rewritten"),
            "{}: {out}",
            db.name
        );
        let err = store
            .append(&srv.state.key, &srv.state.origin, &[change(9)])
            .await
            .unwrap_err()
            .to_string();
        assert!(err.contains("not an extension"), "{}: {err}", db.name);
        assert_eq!(store.log_size().await.unwrap(), 4, "nothing was written");
        let err = fairpanel::serve::prepare(&config_at(&db.url, &keys))
            .await
            .err()
            .expect("serve refuses to start over a rolled-back log")
            .to_string();
        assert!(err.contains("not an extension"), "{}: {err}", db.name);

        // Started where keys/ is missing: refused, naming the log's key and
        // where it looked; no key is made.
        let elsewhere = tempfile::tempdir().unwrap();
        let err = fairpanel::serve::prepare(&config_at(&db.url, &elsewhere.path().join("keys")))
            .await
            .err()
            .expect("no new key over an existing log")
            .to_string();
        let id = srv.state.key.public().key_id().to_string();
        assert!(err.contains(&id), "{}: {err}", db.name);
        assert!(err.contains("no signing key at"), "{}: {err}", db.name);
        assert!(!elsewhere.path().join("keys/log.key").exists());
    }
}

/// A rollback of exactly the last batch, once its checkpoint was served, is
/// refused as well: served, the checkpoint counts as committed beside the key,
/// so the next append cannot fall back behind it. Before it was served (an
/// unserved batch is what a failed transaction leaves), the service goes on.
#[tokio::test]
async fn a_rollback_of_the_last_batch_is_refused_once_its_checkpoint_was_served() {
    for db in backends::all().await {
        let srv = start(&db.url).await;
        let store = &srv.state.store;
        let roll_back_to = |size: u64| async move {
            let keep = tlog_tiles::stored_hash_count(size);
            exec(
                store,
                &format!("DELETE FROM log_entries WHERE seq >= {size}"),
            )
            .await;
            exec(
                store,
                &format!("DELETE FROM log_hashes WHERE idx >= {keep}"),
            )
            .await;
            exec(
                store,
                &format!("DELETE FROM checkpoints WHERE size > {size}"),
            )
            .await;
            exec(
                store,
                &format!(
                    "UPDATE log_head SET size = {size}, last_hash = (SELECT hash FROM log_entries WHERE seq = {}) WHERE id = 1",
                    size - 1
                ),
            )
            .await;
        };
        for k in 0..3 {
            store
                .append(&srv.state.key, &srv.state.origin, &[change(k)])
                .await
                .unwrap();
        }
        // Never served: the service takes the shorter log as a failed batch.
        roll_back_to(2).await;
        store
            .append(&srv.state.key, &srv.state.origin, &[change(7)])
            .await
            .unwrap();
        // Served, then rolled back by one batch: refused.
        let (st, cp) = get(srv.addr, "/api/v1/public/checkpoint").await;
        assert_eq!(st, 200, "{cp}");
        assert!(cp.lines().nth(1) == Some("3"), "{cp}");
        roll_back_to(2).await;
        let err = store
            .append(&srv.state.key, &srv.state.origin, &[change(8)])
            .await
            .unwrap_err()
            .to_string();
        assert!(err.contains("not an extension"), "{}: {err}", db.name);
        assert_eq!(store.log_size().await.unwrap(), 2, "nothing was written");
    }
}

/// Someone who can write the database but not read keys/ appends entries with
/// a key of their own and a rotation to the real key: the service refuses to
/// sign a checkpoint over them, and the audit names the broken key chain.
#[tokio::test]
async fn a_forged_rotation_in_the_database_is_refused_by_the_service_and_named_by_the_audit() {
    use base64::Engine;
    use fairpanel_core::entry::{self, Body, KeyRotation};
    for db in backends::all().await {
        let srv = start(&db.url).await;
        let store = &srv.state.store;
        store
            .append(&srv.state.key, &srv.state.origin, &[change(0)])
            .await
            .unwrap();
        let attacker = fairpanel_core::SecretKey::from_seed(&[0x44; 32]);
        store
            .append(&attacker, &srv.state.origin, &[change(1)])
            .await
            .unwrap();
        let (seq, prev) = (2u64, store.entries(1, 2).await.unwrap()[0].hash.clone());
        let real = srv.state.key.public();
        let msg = entry::rotation_message(
            seq,
            &Hash32(prev.try_into().unwrap()),
            &attacker.public(),
            &real,
        );
        store
            .append(
                &attacker,
                &srv.state.origin,
                &[NewEntry {
                    time: 1_700_000_100,
                    province: None,
                    body: Body::KeyRotation(KeyRotation {
                        new_key: real,
                        new_key_id: real.key_id(),
                        new_key_sig: base64::engine::general_purpose::STANDARD
                            .encode(attacker.sign(&msg)),
                        old_key: attacker.public(),
                        reason: "forged".into(),
                    }),
                }],
            )
            .await
            .unwrap();
        let err = store
            .append(&srv.state.key, &srv.state.origin, &[change(3)])
            .await
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("entry seq 1 was not signed by this service's key"),
            "{}: {err}",
            db.name
        );
        let a = fairpanel::audit::run(store, &real, "test.example/log")
            .await
            .unwrap();
        let text: Vec<String> = a.problems.iter().map(|p| p.to_string()).collect();
        assert!(
            text.iter()
                .any(|p| p.contains("key chain") && p.contains("not signed by its new key")),
            "{}: {text:?}",
            db.name
        );
        assert!(
            text.iter()
                .any(|p| p.contains("entry seq 1") && p.contains("unknown key")),
            "{}: {text:?}",
            db.name
        );
        let err = fairpanel::serve::prepare(&config_at(&db.url, &srv.dir.path().join("keys")))
            .await
            .err()
            .expect("serve refuses to start")
            .to_string();
        assert!(
            err.contains("not signed by its new key"),
            "{}: {err}",
            db.name
        );
    }
}
