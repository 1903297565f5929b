//! Running fairpanel for real, on both backends: key rotation through the log,
//! backups that restore (a drill on a busy instance), the first admin's
//! password reset on the server, and a command line that says only what
//! applies.

use super::draws::{Api, setup};
use super::http::{Server, get, login, request, start_configured, token, token_for};
use super::*;
use fairpanel::clock::Clock;
use fairpanel_core::PublicKey;
use serde_json::Value;
use std::path::{Path, PathBuf};

const ORIGIN: &str = "test.example/log";

/// `fairpanel ARGS` in `dir`, off the async runtime.
async fn run(dir: &Path, args: Vec<String>) -> Output {
    let dir = dir.to_path_buf();
    tokio::task::spawn_blocking(move || {
        let a: Vec<&str> = args.iter().map(String::as_str).collect();
        fairpanel(&dir, &a)
    })
    .await
    .unwrap()
}

fn args(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

/// `--database-url URL --keys KEYS --origin ORIGIN`.
fn store_args(url: &str, keys: &Path) -> Vec<String> {
    args(&[
        "--database-url",
        url,
        "--keys",
        &keys.display().to_string(),
        "--origin",
        ORIGIN,
    ])
}

/// The service on `url` with the keys in `keys` and the clock `clock`.
async fn start_at(url: &str, keys: &Path, clock: Clock) -> Server {
    let keys = keys.to_path_buf();
    start_configured(url, move |c| {
        c.keys = keys;
        c.clock = clock;
    })
    .await
}

async fn bundle(srv: &Server, id: &str) -> String {
    bundle_at(srv.addr, id).await
}

async fn bundle_at(addr: std::net::SocketAddr, id: &str) -> String {
    let r = request(
        addr,
        "GET",
        &format!("/api/v1/public/draws/{id}/bundle"),
        &[],
        None,
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);
    r.body
}

/// `fairpanel verify` of `bytes` with `--key key`: exit code and output.
async fn verify_with(bytes: &str, key: &PublicKey) -> (i32, String) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("b.json"), bytes).unwrap();
    let o = run(
        dir.path(),
        args(&["verify", "b.json", "--key", &key.to_base64()]),
    )
    .await;
    (o.status.code().unwrap_or(-1), stdout(&o) + &stderr(&o))
}

async fn audit_ok(url: &str, keys: &Path, what: &str) {
    let dir = tempfile::tempdir().unwrap();
    let mut a = args(&["audit"]);
    a.extend(store_args(url, keys));
    let o = run(dir.path(), a).await;
    assert_eq!(
        o.status.code(),
        Some(0),
        "{what}: {}{}",
        stdout(&o),
        stderr(&o)
    );
    assert!(stdout(&o).contains("OK: the log is whole"), "{what}");
}

/// Flips expert `k`'s status: a logged roster change the audit finds sound.
async fn flip_expert(state: &fairpanel::http::AppState, k: usize, suspended: bool) {
    let p = fairpanel_core::types::Province::try_from("440000").unwrap();
    let mut r = fairpanel::demo::synthetic_records(320)[k].clone();
    if suspended {
        r.status = fairpanel::roster::Status::Suspended;
    }
    state
        .store
        .write_experts(
            &state.key,
            &state.origin,
            &p,
            &[r],
            fairpanel::store::experts::Must::Exist,
            "update",
            state.clock.now(),
        )
        .await
        .unwrap()
        .unwrap();
}

fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = vec![];
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(files_under(&p));
        } else {
            out.push(p);
        }
    }
    out
}

#[cfg(unix)]
fn mode(p: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(p).unwrap().permissions().mode() & 0o777
}

/// `rotate-key` appends a rotation signed by both keys, puts the new key in
/// place and keeps only the retired key's public half; a running instance
/// refuses to sign with the retired key; after a restart the key endpoint
/// shows the history, bundles of draws from before and after verify with
/// either key, and the audit is clean.
#[tokio::test]
async fn rotate_key_hands_signing_to_a_new_key_and_trust_follows_it() {
    for db in backends::all().await {
        let srv = setup(&db.url).await;
        let keys = srv.dir.path().join("keys");
        let coord = Api {
            srv: &srv,
            token: token_for(&srv, "gd-coord", "coordinator", Some("440000")).await,
        };
        let rid = coord.open_round("base_new", "轮换前").await;
        let before = coord.revealed_draw(rid, 5, 2).await;
        let old = srv.state.key.public();
        let old_private = std::fs::read_to_string(keys.join("log.key")).unwrap();
        let size = srv.state.store.log_size().await.unwrap();

        // A second instance with its own copy of keys/ (another machine): in
        // this process it is now the anchor the old key's appends check.
        let keys_b = srv.dir.path().join("keys-b");
        copy_dir(&keys, &keys_b);
        let other = start_at(&db.url, &keys_b, srv.state.clock.clone()).await;

        let mut a = args(&["rotate-key", "--reason", "annual rotation"]);
        a.extend(store_args(&db.url, &keys));
        let o = run(srv.dir.path(), a.clone()).await;
        assert_eq!(o.status.code(), Some(0), "{}: {}", db.name, stderr(&o));
        assert!(
            stdout(&o).contains(&format!("key rotation appended at seq {size}")),
            "{}: {}",
            db.name,
            stdout(&o)
        );
        let new = fairpanel::keyfile::load(&keys).unwrap().public();
        assert_ne!(new, old);
        assert_eq!(
            fairpanel::keyfile::read_public(&keys.join("log.pub").display().to_string()).unwrap(),
            new
        );
        #[cfg(unix)]
        assert_eq!(mode(&keys.join("log.key")), 0o600);
        let retired = keys.join(format!("retired/{}.pub", old.key_id()));
        assert_eq!(
            fairpanel::keyfile::read_public(&retired.display().to_string()).unwrap(),
            old
        );
        // The retired private key is gone from keys/.
        for f in files_under(&keys) {
            let text = std::fs::read_to_string(&f).unwrap_or_default();
            assert!(!text.contains(old_private.trim()), "{}", f.display());
        }
        // The entry, as the log holds it.
        let rot = srv.state.store.rotation_entries().await.unwrap();
        assert_eq!(rot.len(), 1);
        assert_eq!(rot[0].seq, size);
        let p = fairpanel_core::entry::parse(&rot[0].bytes).unwrap();
        assert_eq!(p.entry.signer, old.key_id());
        let fairpanel_core::entry::Body::KeyRotation(k) = p.body else {
            panic!("not a rotation")
        };
        assert_eq!((k.old_key, k.new_key), (old, new));
        assert_eq!(k.reason, "annual rotation");

        // The instances still holding the old key sign nothing more: the one
        // whose keys/ the rotation did not touch finds the rotation in the log,
        // the other the retired key's file.
        for (who, dir) in [("elsewhere", &keys_b), ("same keys/", &keys)] {
            fairpanel::anchor::register(&old, dir);
            let err = other
                .state
                .store
                .append(
                    &other.state.key,
                    &other.state.origin,
                    &[backends::roster_change(0)],
                )
                .await
                .unwrap_err()
                .to_string();
            assert!(
                err.contains("retired by `fairpanel rotate-key`") && err.contains("Restart"),
                "{} {who}: {err}",
                db.name
            );
        }
        drop(other);
        assert_eq!(srv.state.store.log_size().await.unwrap(), size + 1);

        // The rotation's time is the system clock's; the test's manual clock
        // catches up so that draws can be revealed after it.
        let behind = fairpanel::serve::now().saturating_sub(srv.state.clock.now());
        srv.state.clock.advance(behind + 10);
        // Restarted, it signs with the new key and shows the history.
        let srv2 = start_at(&db.url, &keys, srv.state.clock.clone()).await;
        assert_eq!(srv2.state.key.public(), new);
        let (st, body) = get(srv2.addr, "/api/v1/public/key").await;
        assert_eq!(st, 200);
        let v: Value = serde_json::from_str(&body).unwrap();
        assert_eq!(v["key_id"], new.key_id().to_string(), "old fields kept");
        assert_eq!(
            PublicKey::parse(v["base64"].as_str().unwrap()).unwrap(),
            new
        );
        assert_eq!(PublicKey::parse(v["pem"].as_str().unwrap()).unwrap(), new);
        let h = v["history"].as_array().unwrap();
        assert_eq!(h.len(), 2, "{body}");
        assert_eq!(h[0]["key_id"], old.key_id().to_string());
        assert_eq!(h[0]["retired_at"], size);
        assert!(h[0]["since_rotation"].is_null());
        assert_eq!(h[1]["key_id"], new.key_id().to_string());
        assert_eq!(h[1]["since_rotation"], size);
        assert!(h[1]["retired_at"].is_null());

        let coord2 = Api {
            srv: &srv2,
            token: token_for(&srv2, "gd-coord2", "coordinator", Some("440000")).await,
        };
        let rid2 = coord2.open_round("base_new", "轮换后").await;
        let after = coord2.revealed_draw(rid2, 5, 2).await;
        for id in [&before, &after] {
            let b = bundle(&srv2, id).await;
            for key in [&new, &old] {
                let (code, out) = verify_with(&b, key).await;
                assert_eq!(code, 0, "{} {id} with {}: {out}", db.name, key.key_id());
            }
        }
        // A key outside the chain is still refused.
        let stranger = fairpanel_core::SecretKey::from_seed(&[9; 32]).public();
        let (code, out) = verify_with(&bundle(&srv2, &before).await, &stranger).await;
        assert_eq!(code, 1, "{out}");
        audit_ok(&db.url, &keys, db.name).await;

        // A second rotation continues the chain.
        let o = run(srv.dir.path(), a).await;
        assert_eq!(o.status.code(), Some(0), "{}: {}", db.name, stderr(&o));
        let srv3 = start_at(&db.url, &keys, srv.state.clock.clone()).await;
        let (_, body) = get(srv3.addr, "/api/v1/public/key").await;
        let v: Value = serde_json::from_str(&body).unwrap();
        assert_eq!(v["history"].as_array().unwrap().len(), 3, "{body}");
        audit_ok(&db.url, &keys, db.name).await;
    }
}

/// An interrupted rotation (the command died between its commit and moving
/// the new key into place) is finished by running the command again.
#[tokio::test]
async fn an_interrupted_rotation_is_finished_by_running_it_again() {
    let db = backends::sqlite();
    let srv = setup(&db.url).await;
    let keys = srv.dir.path().join("keys");
    let mut a = args(&["rotate-key", "--reason", "r"]);
    a.extend(store_args(&db.url, &keys));
    // A rotation that never committed leaves log.key.new: it is removed and a
    // fresh rotation made.
    let stray = fairpanel_core::SecretKey::from_seed(&[7; 32]);
    fairpanel::keyfile::write_private(&keys.join("log.key.new"), &stray).unwrap();
    let o = run(srv.dir.path(), a.clone()).await;
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let current = fairpanel::keyfile::load(&keys).unwrap();
    assert_ne!(current.public(), stray.public());
    assert!(!keys.join("log.key.new").exists());
    // A committed rotation whose rename did not happen: simulate it by putting
    // the old key back in place with the new one beside it.
    let old_private = std::fs::read_to_string(keys.join("log.key")).unwrap();
    let o = run(srv.dir.path(), a.clone()).await;
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let newest = std::fs::read_to_string(keys.join("log.key")).unwrap();
    std::fs::rename(keys.join("log.key"), keys.join("log.key.new")).unwrap();
    fairpanel::keyfile::write_private(
        &keys.join("log.key"),
        &fairpanel_core::SecretKey::from_pkcs8_pem(&old_private).unwrap(),
    )
    .unwrap();
    // serve, meanwhile, says what to do.
    let err = match fairpanel::serve::key_for_log(&srv.state.store, &keys, &db.url).await {
        Ok(_) => panic!("the key in log.key is retired"),
        Err(e) => e.to_string(),
    };
    assert!(err.contains("run it again to finish it"), "{err}");
    let o = run(srv.dir.path(), a).await;
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        stdout(&o).contains("finished an interrupted rotation"),
        "{}",
        stdout(&o)
    );
    assert_eq!(
        std::fs::read_to_string(keys.join("log.key")).unwrap(),
        newest
    );
    assert_eq!(srv.state.store.rotation_entries().await.unwrap().len(), 2);
    audit_ok(&db.url, &keys, "sqlite").await;
}

/// Drops everything the service stored: the SQLite file, or every table.
async fn destroy(url: &str) {
    if let Some(path) = url.strip_prefix("sqlite:") {
        for s in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{path}{s}"));
        }
        assert!(!Path::new(path).exists());
    } else {
        use sqlx::Connection;
        let mut c = sqlx::PgConnection::connect(url).await.unwrap();
        sqlx::query("DROP SCHEMA public CASCADE")
            .execute(&mut c)
            .await
            .unwrap();
        sqlx::query("CREATE SCHEMA public")
            .execute(&mut c)
            .await
            .unwrap();
    }
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            copy_dir(&p, &to.join(p.file_name().unwrap()));
        } else {
            std::fs::copy(&p, to.join(p.file_name().unwrap())).unwrap();
        }
    }
}

/// The restore drill: a backup taken while the instance is busy restores and
/// audits clean (and, being older than the key's last checkpoint, only with
/// --accept-rollback); a backup of the instance, which is then destroyed,
/// restores with every bundle byte-identical, a clean audit, and a log that
/// continues.
#[tokio::test]
async fn restore_drill_a_busy_instance_backed_up_destroyed_and_restored() {
    for db in backends::all().await {
        let srv = setup(&db.url).await;
        let keys = srv.dir.path().join("keys");
        let work = tempfile::tempdir().unwrap();
        let coord = Api {
            srv: &srv,
            token: token_for(&srv, "gd-coord", "coordinator", Some("440000")).await,
        };
        let mut draws = vec![];
        for t in ["一", "二"] {
            let rid = coord.open_round("base_new", t).await;
            draws.push(coord.revealed_draw(rid, 5, 2).await);
        }

        // Busy: roster changes and bundle downloads while the backup runs.
        let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let writer = {
            let (stop, srv_state) = (stop.clone(), srv.state.clone());
            let addr = srv.addr;
            let id = draws[0].clone();
            tokio::spawn(async move {
                let mut k = 0;
                while !stop.load(std::sync::atomic::Ordering::SeqCst) {
                    flip_expert(&srv_state, 10 + k % 5, k % 2 == 0).await;
                    let _ = bundle_at(addr, &id).await;
                    k += 1;
                }
                k
            })
        };
        let busy = work.path().join("busy.bak");
        let o = run(
            work.path(),
            args(&[
                "backup",
                "--out",
                &busy.display().to_string(),
                "--database-url",
                &db.url,
            ]),
        )
        .await;
        assert_eq!(o.status.code(), Some(0), "{}: {}", db.name, stderr(&o));
        assert!(stdout(&o).contains("NOT in it"), "{}", stdout(&o));
        #[cfg(unix)]
        assert_eq!(mode(&busy), 0o600);
        let backed: u64 = stdout(&o)
            .split("a log of ")
            .nth(1)
            .and_then(|r| r.split(' ').next())
            .and_then(|n| n.parse().ok())
            .unwrap_or_else(|| panic!("{}", stdout(&o)));
        // Let the instance sign past the backup, then stop the load.
        while srv.state.store.log_size().await.unwrap() <= backed {
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
        stop.store(true, std::sync::atomic::Ordering::SeqCst);
        assert!(writer.await.unwrap() > 0);
        // The key is never in a database backup.
        let private = std::fs::read_to_string(keys.join("log.key")).unwrap();
        let secret_b64: String = private
            .lines()
            .filter(|l| !l.starts_with("-----"))
            .collect();
        let bak = std::fs::read(&busy).unwrap();
        assert!(
            !bak.windows(secret_b64.len())
                .any(|w| w == secret_b64.as_bytes())
        );

        // The busy backup, restored elsewhere with a copy of keys/: refused
        // as a rollback, then accepted when asked, and sound.
        let elsewhere = match db.name {
            "sqlite" => backends::sqlite(),
            _ => backends::postgres().await.unwrap(),
        };
        let keys_copy = work.path().join("keys-copy");
        copy_dir(&keys, &keys_copy);
        let mut a = args(&["restore", "--from", &busy.display().to_string()]);
        a.extend(store_args(&elsewhere.url, &keys_copy));
        let o = run(work.path(), a.clone()).await;
        assert_eq!(o.status.code(), Some(2), "{}: {}", db.name, stdout(&o));
        assert!(
            stderr(&o).contains("already signed a checkpoint of")
                && stderr(&o).contains("Nothing was restored"),
            "{}: {}",
            db.name,
            stderr(&o)
        );
        a.push("--accept-rollback".into());
        let o = run(work.path(), a).await;
        assert_eq!(o.status.code(), Some(0), "{}: {}", db.name, stderr(&o));
        assert!(stdout(&o).contains("ROLLED BACK"), "{}", stdout(&o));
        audit_ok(&elsewhere.url, &keys_copy, "the busy backup").await;

        // The drill proper: every bundle, a backup, the instance destroyed.
        let mut served = vec![];
        for id in &draws {
            served.push(bundle(&srv, id).await);
        }
        let size = srv.state.store.log_size().await.unwrap();
        let drill = work.path().join("drill.bak");
        let o = run(
            work.path(),
            args(&[
                "backup",
                "--out",
                &drill.display().to_string(),
                "--database-url",
                &db.url,
            ]),
        )
        .await;
        assert_eq!(o.status.code(), Some(0), "{}: {}", db.name, stderr(&o));
        let clock = srv.state.clock.clone();
        srv.state.store.close().await;
        // keys/ survives (it is backed up on its own); the database does not.
        let kept = work.path().join("keys-kept");
        copy_dir(&keys, &kept);
        let keys = kept;
        drop(srv);
        destroy(&db.url).await;

        let mut a = args(&["restore", "--from", &drill.display().to_string()]);
        a.extend(store_args(&db.url, &keys));
        let o = run(work.path(), a.clone()).await;
        assert_eq!(
            o.status.code(),
            Some(0),
            "{}: {}{}",
            db.name,
            stdout(&o),
            stderr(&o)
        );
        assert!(stdout(&o).contains("audit of the backup: OK"));
        audit_ok(&db.url, &keys, "restored").await;
        // Restoring over it again is refused without --force.
        let o = run(work.path(), a.clone()).await;
        assert_eq!(o.status.code(), Some(2));
        assert!(stderr(&o).contains("--force"), "{}", stderr(&o));

        let srv2 = start_at(&db.url, &keys, clock).await;
        assert_eq!(srv2.state.store.log_size().await.unwrap(), size);
        for (id, b) in draws.iter().zip(&served) {
            assert!(bundle(&srv2, id).await == *b, "{} bundle {id}", db.name);
        }
        // The log continues where it stopped.
        flip_expert(&srv2.state, 20, true).await;
        assert_eq!(srv2.state.store.log_size().await.unwrap(), size + 1);
        let (_, cp) = get(srv2.addr, "/api/v1/public/checkpoint").await;
        assert!(cp.contains(&format!("\n{}\n", size + 1)), "{cp}");
        audit_ok(&db.url, &keys, "continued").await;

        // A backup that fails the audit is not put in place.
        if db.name == "sqlite" {
            let bad = work.path().join("bad.bak");
            std::fs::copy(&drill, &bad).unwrap();
            {
                use sqlx::Connection;
                let mut c = sqlx::SqliteConnection::connect(&format!("sqlite:{}", bad.display()))
                    .await
                    .unwrap();
                sqlx::query("UPDATE log_entries SET bytes = CAST(REPLACE(CAST(bytes AS TEXT), '440000', '440001') AS BLOB) WHERE seq = 1")
                    .execute(&mut c)
                    .await
                    .unwrap();
            }
            let target = backends::sqlite();
            let mut a = args(&["restore", "--from", &bad.display().to_string()]);
            a.extend(store_args(&target.url, &keys_copy));
            a.push("--accept-rollback".into());
            let o = run(work.path(), a).await;
            assert_eq!(o.status.code(), Some(2), "{}", stdout(&o));
            assert!(
                stderr(&o).contains("fails the audit")
                    && stderr(&o).contains("nothing was restored"),
                "{}",
                stderr(&o)
            );
            assert!(!Path::new(target.url.strip_prefix("sqlite:").unwrap()).exists());
        }
    }
}

/// `admin reset-password` on the server: a new one-time password printed once,
/// the old one and the account's sessions no longer work, and the new one must
/// be changed at the next sign-in.
#[tokio::test]
async fn admin_reset_password_gives_a_new_one_time_password() {
    for db in backends::all().await {
        let srv = super::http::start(&db.url).await;
        assert!(
            fairpanel::accounts::create_chosen(
                &srv.state.store,
                "gd-admin",
                "old-password-1234",
                "admin",
                None,
                None,
                1
            )
            .await
            .unwrap()
        );
        let tok = token(&login(srv.addr, "gd-admin", "old-password-1234").await);
        let work = tempfile::tempdir().unwrap();
        let o = run(
            work.path(),
            args(&[
                "admin",
                "reset-password",
                "gd-admin",
                "--database-url",
                &db.url,
            ]),
        )
        .await;
        assert_eq!(o.status.code(), Some(0), "{}: {}", db.name, stderr(&o));
        let out = stdout(&o);
        let pw = out
            .split("new one-time password ")
            .nth(1)
            .and_then(|r| r.split_whitespace().next())
            .unwrap_or_else(|| panic!("{out}"))
            .to_string();
        assert!(pw.len() >= 20);
        assert!(!stderr(&o).contains(&pw), "never logged");
        assert_eq!(
            login(srv.addr, "gd-admin", "old-password-1234")
                .await
                .status,
            401
        );
        let me = request(
            srv.addr,
            "GET",
            "/api/v1/me",
            &[("Authorization", &format!("Bearer {tok}"))],
            None,
        )
        .await;
        assert_eq!(me.status, 401, "the old session ended: {}", me.body);
        assert_eq!(login(srv.addr, "gd-admin", &pw).await.status, 200);
        assert_eq!(
            login(srv.addr, "gd-admin", &pw).await.status,
            401,
            "{}: the printed password signs in once",
            db.name
        );
        let (must,): (bool,) = fairpanel::with_pool!(&srv.state.store, p => sqlx::query_as(
            "SELECT must_change_password FROM accounts WHERE username = 'gd-admin'")
            .fetch_one(p).await.unwrap());
        assert!(must, "{}", db.name);
        // An unknown account is named, and nothing changes.
        let o = run(
            work.path(),
            args(&[
                "admin",
                "reset-password",
                "nobody",
                "--database-url",
                &db.url,
            ]),
        )
        .await;
        assert_eq!(o.status.code(), Some(2));
        assert!(
            stderr(&o).contains("no account named \"nobody\""),
            "{}",
            stderr(&o)
        );
    }
}

/// Each subcommand's help lists only its own options.
#[test]
fn each_subcommand_offers_only_the_options_that_apply_to_it() {
    let dir = tempfile::tempdir().unwrap();
    let help = |cmd: &[&str]| {
        let mut a = cmd.to_vec();
        a.push("--help");
        let o = fairpanel(dir.path(), &a);
        assert!(o.status.success());
        stdout(&o)
    };
    let serve_only = [
        "--listen",
        "--webhook-url",
        "--webhook-ca",
        "--tls-cert",
        "--tls-key",
        "--min-panel",
        "--public-url",
        "--log-format",
        "--metrics-listen",
        "--demo",
    ];
    let serve = help(&["serve"]);
    for o in serve_only
        .iter()
        .chain(&["--database-url", "--keys", "--origin", "--config"])
    {
        assert!(serve.contains(o), "serve {o}");
    }
    for cmd in [
        &["audit"][..],
        &["rotate-key"],
        &["restore"],
        &["backup"],
        &["admin", "reset-password"],
    ] {
        let h = help(cmd);
        assert!(h.contains("--database-url"), "{cmd:?}");
        for o in serve_only {
            assert!(!h.contains(o), "{cmd:?} offers {o}:\n{h}");
        }
    }
    // Commands that do not touch the log do not offer a keys folder.
    for cmd in [&["backup"][..], &["admin", "reset-password"]] {
        let h = help(cmd);
        assert!(!h.contains("--keys"), "{cmd:?}");
        assert!(!h.contains("--origin"), "{cmd:?}");
    }
    for cmd in [&["verify"][..], &["extract"], &["keygen"], &["demo"]] {
        let h = help(cmd);
        assert!(!h.contains("--database-url"), "{cmd:?}");
    }
}

/// `--config` documents every key the file accepts, and each one documented
/// is accepted.
#[test]
fn config_help_documents_every_key_the_file_accepts() {
    let dir = tempfile::tempdir().unwrap();
    let o = fairpanel(dir.path(), &["serve", "--help"]);
    let help = stdout(&o);
    let keys = [
        ("listen", "\"127.0.0.1:9000\""),
        ("database_url", "\"sqlite:x.sqlite\""),
        ("keys", "\"k\""),
        ("origin", "\"gd.example/log\""),
        ("webhook_url", "\"https://127.0.0.1:1/hook\""),
        ("webhook_ca", "\"ca.pem\""),
        ("tls_cert", "\"server.pem\""),
        ("tls_key", "\"server.key\""),
        ("min_panel", "7"),
        ("public_url", "\"https://fairpanel.example\""),
        ("log_format", "\"json\""),
        ("metrics_listen", "\"127.0.0.1:9100\""),
        ("shutdown_grace", "5"),
        ("drain_timeout", "12"),
    ];
    let file = dir.path().join("c.toml");
    let mut all = String::new();
    for (k, v) in keys {
        assert!(
            help.contains(&format!("{k} =")),
            "--config help lacks {k}:\n{help}"
        );
        all.push_str(&format!("{k} = {v}\n"));
    }
    std::fs::write(&file, &all).unwrap();
    let c = fairpanel::config::Config::resolve(
        &fairpanel::config::Args {
            config: Some(file.clone()),
            ..Default::default()
        },
        None,
    )
    .unwrap();
    assert_eq!(c.min_panel, 7);
    assert_eq!(c.public_url.as_deref(), Some("https://fairpanel.example"));
    assert_eq!(
        c.tls,
        Some(fairpanel::config::TlsFiles {
            cert: "server.pem".into(),
            key: "server.key".into()
        })
    );
    assert_eq!(c.webhook_ca.as_deref(), Some(Path::new("ca.pem")));
    assert_eq!(c.log_format, fairpanel::config::LogFormat::Json);
    assert_eq!(c.metrics_listen, Some("127.0.0.1:9100".parse().unwrap()));
    assert_eq!(c.shutdown_grace, std::time::Duration::from_secs(5));
    assert_eq!(c.drain_timeout, std::time::Duration::from_secs(12));
    // A key the help does not list is refused.
    std::fs::write(&file, format!("{all}colour = \"red\"\n")).unwrap();
    assert!(
        fairpanel::config::Config::resolve(
            &fairpanel::config::Args {
                config: Some(file),
                ..Default::default()
            },
            None
        )
        .is_err()
    );
}

/// A key file that does not exist says so.
#[test]
fn a_missing_key_file_is_reported_as_not_found() {
    let dir = tempfile::tempdir().unwrap();
    let bundle = vectors().join("accept-basic.json");
    let bundle = if bundle.exists() {
        bundle
    } else {
        std::fs::read_dir(vectors())
            .unwrap()
            .map(|e| e.unwrap().path())
            .find(|p| {
                p.file_name()
                    .unwrap()
                    .to_string_lossy()
                    .starts_with("accept")
            })
            .unwrap()
    };
    for missing in ["gd-key.pem", "keys/log.pub", "published.b64"] {
        let o = fairpanel(
            dir.path(),
            &["verify", &bundle.display().to_string(), "--key", missing],
        );
        assert_eq!(o.status.code(), Some(2), "{missing}");
        let e = stderr(&o);
        assert!(e.contains("not found"), "{missing}: {e}");
        assert!(!e.contains("neither"), "{missing}: {e}");
    }
    // Key text that is not a key still says what is wrong with it.
    let o = fairpanel(
        dir.path(),
        &[
            "verify",
            &bundle.display().to_string(),
            "--key",
            "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        ],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(!stderr(&o).contains("not found"), "{}", stderr(&o));
    // The same for the service's own key folder.
    let o = fairpanel(
        dir.path(),
        &[
            "audit",
            "--database-url",
            "sqlite:a.sqlite",
            "--keys",
            "nokeys",
        ],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("not found"), "{}", stderr(&o));
}

/// Log lines carry no colour codes when the output is not a terminal.
#[test]
fn no_colour_codes_when_the_output_is_not_a_terminal() {
    use std::io::BufRead;
    let dir = tempfile::tempdir().unwrap();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_fairpanel"))
        .args([
            "serve",
            "--listen",
            "127.0.0.1:0",
            "--database-url",
            "sqlite:fp.sqlite",
        ])
        .current_dir(dir.path())
        .env_remove("NO_COLOR")
        .env("RUST_LOG", "info")
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let err = child.stderr.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in std::io::BufReader::new(err).lines() {
            let Ok(l) = line else { break };
            let _ = tx.send(l);
        }
    });
    let mut seen = String::new();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while !seen.contains("store ready") && std::time::Instant::now() < deadline {
        if let Ok(l) = rx.recv_timeout(std::time::Duration::from_millis(200)) {
            seen.push_str(&l);
            seen.push('\n');
        }
    }
    let _ = child.kill();
    let _ = child.wait();
    assert!(seen.contains("store ready"), "{seen}");
    assert!(!seen.contains('\u{1b}'), "colour codes in {seen:?}");
}
