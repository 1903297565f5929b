//! Witnesses (issue 12, item 4; C2SP tlog-cosignature): `fairpanel witness`
//! cosigns while the service appends, the service keeps the cosignatures of
//! registered witnesses only and serves them on `/checkpoint` and in bundles,
//! `verify --witness` requires them; a forked log (two databases from one start,
//! each appended) is caught by `monitor` and refused by the witness.

use super::backends;
use super::draws::{Api, add_expert, bundle, t0};
use super::http::{Server, request, start_configured, token_for};
use super::{fairpanel, stdout};
use fairpanel::monitor::{Monitor, Round};
use fairpanel::witness::{Cosigned, Witness};
use fairpanel_core::{SecretKey, cosignature};
use serde_json::json;
use std::time::Duration;

const NAME: &str = "witness.test/ministry";

async fn checkpoint(srv: &Server) -> String {
    let r = request(srv.addr, "GET", "/api/v1/public/checkpoint", &[], None).await;
    assert_eq!(r.status, 200);
    r.body
}

/// A witness key file (mode 0600) and its key.
fn witness_key(dir: &std::path::Path, seed: u8) -> (std::path::PathBuf, SecretKey) {
    let k = SecretKey::from_seed(&[seed; 32]);
    let p = dir.join(format!("witness-{seed}.key"));
    fairpanel::keyfile::write_private(&p, &k).unwrap();
    (p, k)
}

/// A service on `url` signing with the key in `keys`, on a manual clock at t0,
/// with the same 320 experts: two of them on two databases start identical.
async fn start_at(url: &str, keys: &std::path::Path) -> Server {
    let keys = keys.to_path_buf();
    let srv = start_configured(url, move |c| {
        c.keys = keys;
        c.clock = fairpanel::clock::Clock::manual(t0());
    })
    .await;
    let p = fairpanel_core::types::Province::try_from("440000").unwrap();
    srv.state
        .store
        .write_experts(
            &srv.state.key,
            &srv.state.origin,
            &p,
            &fairpanel::demo::synthetic_records(320),
            fairpanel::store::experts::Must::Either,
            "import",
            t0(),
        )
        .await
        .unwrap()
        .unwrap();
    srv
}

async fn settle() {
    tokio::time::sleep(fairpanel::http::public::CHECKPOINT_TTL + Duration::from_millis(50)).await;
}

#[tokio::test]
async fn a_witness_cosigns_while_the_service_appends_and_bundles_carry_its_cosignature() {
    for db in backends::all().await {
        let keys = tempfile::tempdir().unwrap();
        fairpanel::keyfile::generate(&keys.path().join("keys"), false).unwrap();
        let srv = start_at(&db.url, &keys.path().join("keys")).await;
        let url = format!("http://{}", srv.addr);
        let dir = tempfile::tempdir().unwrap();
        let (key_file, wkey) = witness_key(dir.path(), 0x31);

        // Registered with the command an admin runs.
        let cwd = tempfile::tempdir().unwrap();
        let o = {
            let (u, k) = (db.url.clone(), wkey.public().to_base64());
            tokio::task::spawn_blocking(move || {
                fairpanel(
                    cwd.path(),
                    &["witness-key", "add", NAME, &k, "--database-url", &u],
                )
            })
            .await
            .unwrap()
        };
        assert_eq!(
            o.status.code(),
            Some(0),
            "{}: {}{}",
            db.name,
            stdout(&o),
            super::stderr(&o)
        );
        let id = hex::encode(cosignature::key_id(NAME, &wkey.public()));
        assert!(stdout(&o).contains(&id), "{}", stdout(&o));

        // The witness as a process, every second, while the service appends.
        let state = dir.path().join("state");
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_fairpanel"))
            .args([
                "witness",
                "--log",
                &url,
                "--key",
                key_file.to_str().unwrap(),
            ])
            .args([
                "--name",
                NAME,
                "--state",
                state.to_str().unwrap(),
                "--every",
                "1",
            ])
            .args(["--log-key", &srv.state.key.public().to_base64()])
            .stdout(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        for n in 321..324 {
            add_expert(&srv, n).await;
            tokio::time::sleep(Duration::from_millis(400)).await;
        }
        let size = srv.state.store.log_size().await.unwrap();
        let mut seen = String::new();
        for _ in 0..100 {
            seen = checkpoint(&srv).await;
            if seen.starts_with(&format!("test.example/log\n{size}\n"))
                && cosignature::verify(&seen, NAME, &wkey.public())
                    .unwrap()
                    .is_some()
            {
                break;
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
        child.kill().unwrap();
        let out = child.wait_with_output().unwrap();
        let out = String::from_utf8_lossy(&out.stdout).to_string();
        assert!(
            cosignature::verify(&seen, NAME, &wkey.public())
                .unwrap()
                .is_some(),
            "{}: the checkpoint of {size} was not cosigned: {seen}\n{out}",
            db.name
        );
        assert!(
            out.contains(&format!("cosigned: the checkpoint of {size} entries")),
            "{out}"
        );
        // Still the log's own checkpoint: its signature verifies with the line on it.
        fairpanel_core::checkpoint::verify(
            &seen,
            &srv.state.key.public(),
            Some("test.example/log"),
        )
        .unwrap();

        // The service refuses what no registered witness signed, and bad lines.
        let stranger = SecretKey::from_seed(&[0x32; 32]);
        let text = srv.state.store.checkpoint_at(size).await.unwrap().unwrap();
        let post = |body: serde_json::Value| {
            let addr = srv.addr;
            async move {
                request(
                    addr,
                    "POST",
                    "/api/v1/public/cosignatures",
                    &[],
                    Some(&body),
                )
                .await
            }
        };
        let line = cosignature::sign(&text, NAME, &stranger, 5).unwrap();
        let r = post(json!({"size": size, "line": line})).await;
        assert_eq!(r.status, 403, "{}", r.body);
        let line = cosignature::sign(&text, NAME, &wkey, 5).unwrap();
        let r = post(json!({"size": size - 1, "line": line})).await;
        assert_eq!(r.status, 400, "{}: another checkpoint: {}", db.name, r.body);
        assert!(r.body.contains("does not verify"), "{}", r.body);
        let r = post(json!({"size": size + 9, "line": line})).await;
        assert_eq!(r.status, 404, "{}", r.body);
        let r = post(json!({"size": size, "line": "— witness.test/ministry AAAA"})).await;
        assert_eq!(r.status, 400, "{}", r.body);
        // None of these changed what is served.
        settle().await;
        assert_eq!(checkpoint(&srv).await, seen, "{}", db.name);

        // A draw's bundle embeds the cosigned checkpoint; `verify --witness`.
        let api = Api {
            srv: &srv,
            token: token_for(&srv, "coord", "coordinator", Some("440000")).await,
        };
        let rid = api.open_round("base_new", "见证").await;
        let draw = api.revealed_draw(rid, 5, 2).await;
        let w = Witness::new(&url, &state, NAME, SecretKey::from_seed(&[0x31; 32])).unwrap();
        settle().await;
        let Cosigned::Yes { size: at, .. } = w.round(None).await.unwrap() else {
            panic!("{}: refused a consistent log", db.name)
        };
        assert_eq!(at, srv.state.store.log_size().await.unwrap());
        // An append after the cosigned checkpoint: the bundle stays on the cosigned one.
        add_expert(&srv, 330).await;
        let b = bundle(&srv, &draw).await;
        let v: serde_json::Value = serde_json::from_str(&b).unwrap();
        let cp = v["checkpoint"].as_str().unwrap();
        assert!(cp.starts_with(&format!("test.example/log\n{at}\n")), "{cp}");
        let f = dir.path().join("b.json");
        std::fs::write(&f, &b).unwrap();
        let verify = |witness: String| {
            let (f, k) = (f.clone(), srv.state.key.public().to_base64());
            tokio::task::spawn_blocking(move || {
                let cwd = tempfile::tempdir().unwrap();
                fairpanel(
                    cwd.path(),
                    &[
                        "verify",
                        f.to_str().unwrap(),
                        "--key",
                        &k,
                        "--witness",
                        &witness,
                    ],
                )
            })
        };
        let o = verify(format!("{NAME}={}", wkey.public().to_base64()))
            .await
            .unwrap();
        assert_eq!(o.status.code(), Some(0), "{}: {}", db.name, stdout(&o));
        assert!(
            stdout(&o).contains(&format!("cosigned by witness {NAME}")),
            "{}",
            stdout(&o)
        );
        let o = verify(format!("{NAME}={}", stranger.public().to_base64()))
            .await
            .unwrap();
        assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
        assert!(
            stdout(&o).contains(&format!("FAILED: first failing check is checkpoint: the checkpoint has no cosignature by witness {NAME}")),
            "{}",
            stdout(&o)
        );
    }
}

#[tokio::test]
async fn a_forked_log_is_caught_by_the_monitor_and_refused_by_the_witness() {
    for (a_db, b_db) in backends::all().await.into_iter().zip(backends::all().await) {
        // Two databases from one start: the same key, clock and roster.
        let keys = tempfile::tempdir().unwrap();
        fairpanel::keyfile::generate(&keys.path().join("a"), false).unwrap();
        let copy = keys.path().join("b");
        std::fs::create_dir(&copy).unwrap();
        for f in ["log.key", "log.pub"] {
            let from = keys.path().join("a").join(f);
            if from.exists() {
                std::fs::copy(&from, copy.join(f)).unwrap();
            }
        }
        let a = start_at(&a_db.url, &keys.path().join("a")).await;
        let b = start_at(&b_db.url, &copy).await;
        assert_eq!(a.state.key.public(), b.state.key.public());
        assert_eq!(
            checkpoint(&a).await,
            checkpoint(&b).await,
            "{}: one start",
            a_db.name
        );
        a.state
            .store
            .add_witness_key(NAME, &SecretKey::from_seed(&[0x33; 32]).public(), 1)
            .await
            .unwrap();
        b.state
            .store
            .add_witness_key(NAME, &SecretKey::from_seed(&[0x33; 32]).public(), 1)
            .await
            .unwrap();

        let dir = tempfile::tempdir().unwrap();
        let witness = |url: &str| {
            Witness::new(
                url,
                &dir.path().join("w"),
                NAME,
                SecretKey::from_seed(&[0x33; 32]),
            )
            .unwrap()
        };
        let monitor = |url: &str| Monitor::new(url, &dir.path().join("m")).unwrap();
        let (ua, ub) = (format!("http://{}", a.addr), format!("http://{}", b.addr));
        let pinned = Some(a.state.key.public());
        assert!(matches!(
            witness(&ua).round(pinned).await.unwrap(),
            Cosigned::Yes { .. }
        ));
        assert!(matches!(
            monitor(&ua).round(pinned).await.unwrap(),
            Round::Consistent { .. }
        ));

        // Each appended: A one entry, B two others.
        add_expert(&a, 321).await;
        add_expert(&b, 400).await;
        add_expert(&b, 401).await;
        settle().await;
        assert!(matches!(
            witness(&ua).round(None).await.unwrap(),
            Cosigned::Yes { .. }
        ));
        assert!(matches!(
            monitor(&ua).round(None).await.unwrap(),
            Round::Consistent { .. }
        ));
        let kept = std::fs::read_to_string(dir.path().join("w/state.json")).unwrap();

        // The same log name and key, another history.
        let r = monitor(&ub).round(None).await.unwrap();
        assert!(
            matches!(&r, Round::Conflict { why, .. } if why.starts_with("fork")),
            "{}: {r:?}",
            a_db.name
        );
        let r = witness(&ub).round(None).await.unwrap();
        let Cosigned::Refused { why, kept: k, seen } = &r else {
            panic!("{}: the witness cosigned a fork: {r:?}", a_db.name)
        };
        assert!(why.starts_with("fork"), "{why}");
        assert!(k.contains(&a.state.store.log_size().await.unwrap().to_string()));
        assert!(seen.starts_with(&format!(
            "test.example/log\n{}\n",
            b.state.store.log_size().await.unwrap()
        )));
        // Nothing was cosigned on B, and the witness kept what it had.
        let size_b = b.state.store.log_size().await.unwrap();
        assert!(b.state.store.cosignatures(size_b).await.unwrap().is_empty());
        assert_eq!(
            std::fs::read_to_string(dir.path().join("w/state.json")).unwrap(),
            kept
        );

        // The command says so: exit 3, naming both checkpoints.
        let o = {
            let (ub, d) = (ub.clone(), dir.path().to_path_buf());
            tokio::task::spawn_blocking(move || {
                let kf = d.join("w.key");
                fairpanel::keyfile::write_private(&kf, &SecretKey::from_seed(&[0x33; 32])).unwrap();
                fairpanel(
                    &d,
                    &[
                        "witness",
                        "--log",
                        &ub,
                        "--key",
                        kf.to_str().unwrap(),
                        "--name",
                        NAME,
                        "--state",
                        d.join("w").to_str().unwrap(),
                        "--once",
                    ],
                )
            })
            .await
            .unwrap()
        };
        let out = stdout(&o);
        assert_eq!(o.status.code(), Some(3), "{}: {out}", a_db.name);
        assert!(
            out.contains("REFUSED to cosign") && out.contains("CONFLICT: fork"),
            "{out}"
        );
        assert!(out.contains("the checkpoint the witness kept"), "{out}");
    }
}

/// A page's form posted with the session cookie and its anti-forgery token,
/// as a browser sends it.
async fn form(srv: &Server, session: &str, path: &str, body: &str) -> (u16, String) {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    h.update(b"fairpanel/csrf\0");
    h.update(Sha256::digest(session.as_bytes()));
    let csrf = hex::encode(&h.finalize()[..16]);
    let r = super::http::send(
        srv.addr,
        "POST",
        path,
        &[
            ("Cookie", &format!("fairpanel_session={session}")),
            ("Origin", "http://test"),
            ("Content-Type", "application/x-www-form-urlencoded"),
        ],
        format!("csrf={csrf}&{body}").as_bytes(),
        false,
    )
    .await;
    (r.status, String::from_utf8(r.body).unwrap())
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// The admin's witness list (issue 12, items 4 and 6): listed, registered and
/// retired over the API and on the admin's page, with clear refusals (a bad
/// name, a bad key, a duplicate name, retiring twice or an unknown witness);
/// a retired witness's new cosignature is refused while its kept one is still
/// served on the public log page; nobody but an admin reaches any of it.
#[tokio::test]
async fn an_admin_registers_lists_and_retires_witnesses_and_no_one_else_can() {
    for db in backends::all().await {
        let keys = tempfile::tempdir().unwrap();
        fairpanel::keyfile::generate(&keys.path().join("keys"), false).unwrap();
        let srv = start_at(&db.url, &keys.path().join("keys")).await;
        let admin_token = token_for(&srv, "root", "admin", None).await;
        let admin = Api {
            srv: &srv,
            token: admin_token.clone(),
        };
        let coord_token = token_for(&srv, "gd-coord", "coordinator", Some("440000")).await;
        let coord = Api {
            srv: &srv,
            token: coord_token.clone(),
        };
        let sup = Api {
            srv: &srv,
            token: token_for(&srv, "gd-sup", "supervisor", Some("440000")).await,
        };
        let wkey = SecretKey::from_seed(&[0x41; 32]);
        let other = SecretKey::from_seed(&[0x42; 32]);
        let (st, v) = admin.get("/api/v1/witnesses").await;
        assert_eq!((st, v.clone()), (200, json!([])), "{}", db.name);

        // Nobody but an admin lists, registers or retires.
        for who in [&coord, &sup] {
            let (st, _) = who.get("/api/v1/witnesses").await;
            assert_eq!(st, 403, "{}", db.name);
            let (st, _) = who
                .post(
                    "/api/v1/witnesses",
                    json!({"name": NAME, "key": wkey.public().to_base64()}),
                )
                .await;
            assert_eq!(st, 403, "{}", db.name);
            let (st, _) = who
                .post("/api/v1/witnesses/retire", json!({"name": NAME}))
                .await;
            assert_eq!(st, 403, "{}", db.name);
        }
        let (st, v) = admin.get("/api/v1/witnesses").await;
        assert_eq!((st, v), (200, json!([])), "{}", db.name);

        // Clear refusals.
        let (st, v) = admin
            .post(
                "/api/v1/witnesses",
                json!({"name": "a witness", "key": wkey.public().to_base64()}),
            )
            .await;
        assert_eq!(st, 400, "{v}");
        assert_eq!(
            v["error"],
            "a witness is not a valid witness name (no spaces, no +)"
        );
        let (st, v) = admin
            .post(
                "/api/v1/witnesses",
                json!({"name": NAME, "key": "c2VjcmV0"}),
            )
            .await;
        assert_eq!(st, 400, "{v}");
        assert!(
            v["error"]
                .as_str()
                .unwrap()
                .contains("not an Ed25519 public key"),
            "{v}"
        );

        // Registered (base64, and PEM), with the key ID its lines carry.
        let (st, v) = admin
            .post(
                "/api/v1/witnesses",
                json!({"name": NAME, "key": wkey.public().to_base64()}),
            )
            .await;
        assert_eq!(st, 201, "{v}");
        assert_eq!(
            v["key_id"],
            hex::encode(cosignature::key_id(NAME, &wkey.public()))
        );
        assert_eq!(v["retired_at"], serde_json::Value::Null);
        let (st, v) = admin
            .post(
                "/api/v1/witnesses",
                json!({"name": "witness.test/office", "key": other.public().to_pem()}),
            )
            .await;
        assert_eq!(st, 201, "{v}");
        assert_eq!(v["key"], other.public().to_base64());
        let (st, v) = admin
            .post(
                "/api/v1/witnesses",
                json!({"name": NAME, "key": other.public().to_base64()}),
            )
            .await;
        assert_eq!(st, 409, "{v}");
        assert_eq!(
            v["error"],
            format!("a witness named {NAME} is registered already")
        );
        let (st, v) = admin.get("/api/v1/witnesses").await;
        assert_eq!(st, 200);
        let names: Vec<&str> = v
            .as_array()
            .unwrap()
            .iter()
            .map(|w| w["name"].as_str().unwrap())
            .collect();
        assert_eq!(names, vec![NAME, "witness.test/office"], "{}", db.name);

        // Its cosignature is accepted and shown on the public log page.
        let text = checkpoint(&srv).await;
        let size: u64 = text.lines().nth(1).unwrap().parse().unwrap();
        let line = cosignature::sign(&text, NAME, &wkey, t0() + 5).unwrap();
        let r = request(
            srv.addr,
            "POST",
            "/api/v1/public/cosignatures",
            &[],
            Some(&json!({"size": size, "line": line})),
        )
        .await;
        assert_eq!(r.status, 201, "{}", r.body);
        let kid = hex::encode(cosignature::key_id(NAME, &wkey.public()));
        let (st, page) = super::http::get(srv.addr, "/public/log").await;
        assert_eq!(st, 200);
        let list = page
            .split("id=\"cosignature-list\"")
            .nth(1)
            .unwrap_or_else(|| panic!("no cosignature list: {page}"));
        assert!(list.contains(NAME) && list.contains(&kid), "{list}");
        assert!(page.contains(&format!("{size} 条记录的检查点")), "{page}");

        // The admin's page lists both; a coordinator's request is refused.
        let r = request(
            srv.addr,
            "GET",
            "/admin/witnesses",
            &[("Cookie", &format!("fairpanel_session={admin_token}"))],
            None,
        )
        .await;
        assert_eq!(r.status, 200, "{}", r.body);
        assert!(
            r.body.contains(&format!("data-witness=\"{NAME}\""))
                && r.body.contains(&kid)
                && r.body.contains("witness.test/office"),
            "{}",
            r.body
        );
        let r = request(
            srv.addr,
            "GET",
            "/admin/witnesses",
            &[("Cookie", &format!("fairpanel_session={coord_token}"))],
            None,
        )
        .await;
        assert_eq!(r.status, 403);
        let (st, _) = form(
            &srv,
            &coord_token,
            "/admin/witnesses",
            &format!(
                "name=x.test%2Fw&key={}",
                urlencode(&wkey.public().to_base64())
            ),
        )
        .await;
        assert_eq!(st, 403);

        // The page's form: a bad key is explained beside the field, in Chinese.
        let (st, body) = form(
            &srv,
            &admin_token,
            "/admin/witnesses",
            "name=witness.test%2Fthird&key=not-a-key",
        )
        .await;
        assert_eq!(st, 400, "{body}");
        assert!(body.contains("见证方公钥不是 Ed25519 公钥"), "{body}");
        let (st, body) = form(
            &srv,
            &admin_token,
            "/admin/witnesses",
            &format!("name={}&key=x", urlencode(NAME)),
        )
        .await;
        assert_eq!(st, 400, "{body}");
        let third = SecretKey::from_seed(&[0x43; 32]);
        let (st, body) = form(
            &srv,
            &admin_token,
            "/admin/witnesses",
            &format!(
                "name=witness.test%2Fthird&key={}",
                urlencode(&third.public().to_base64())
            ),
        )
        .await;
        assert_eq!(st, 200, "{body}");
        assert!(
            body.contains("id=\"witness-done\"")
                && body.contains("data-witness=\"witness.test/third\""),
            "{body}"
        );

        // Retired: over the API, then the page's button for another.
        let (st, v) = admin
            .post("/api/v1/witnesses/retire", json!({"name": NAME}))
            .await;
        assert_eq!(st, 204, "{v}");
        let (st, v) = admin
            .post("/api/v1/witnesses/retire", json!({"name": NAME}))
            .await;
        assert_eq!(st, 409, "{v}");
        assert_eq!(v["error"], format!("witness {NAME} is retired already"));
        let (st, v) = admin
            .post("/api/v1/witnesses/retire", json!({"name": "nobody.test/w"}))
            .await;
        assert_eq!(st, 404, "{v}");
        assert_eq!(v["error"], "no witness named nobody.test/w");
        let (st, body) = form(
            &srv,
            &admin_token,
            "/admin/witnesses/retire",
            "name=witness.test%2Fthird",
        )
        .await;
        assert_eq!(st, 200, "{body}");
        assert!(body.contains("已停用"), "{body}");
        let (_, v) = admin.get("/api/v1/witnesses").await;
        let retired: Vec<(&str, bool)> = v
            .as_array()
            .unwrap()
            .iter()
            .map(|w| (w["name"].as_str().unwrap(), w["retired_at"].is_i64()))
            .collect();
        assert_eq!(
            retired,
            vec![
                (NAME, true),
                ("witness.test/office", false),
                ("witness.test/third", true)
            ]
        );

        // A retired witness's new cosignature is refused; its kept one stays.
        let line = cosignature::sign(&text, NAME, &wkey, t0() + 9).unwrap();
        let r = request(
            srv.addr,
            "POST",
            "/api/v1/public/cosignatures",
            &[],
            Some(&json!({"size": size, "line": line})),
        )
        .await;
        assert_eq!(r.status, 403, "{}", r.body);
        let (_, page) = super::http::get(srv.addr, "/public/log").await;
        assert!(page.contains(&kid), "{page}");
    }
}
