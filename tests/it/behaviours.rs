//! Behaviours the README and ARCHITECTURE.md promise that no other test covers:
//! the service only ever inserts log rows, log time never goes backwards when the
//! clock does, a forgotten draw is listed as abandoned, SQLite runs in WAL mode.

use super::draws::{Api, setup};
use super::http::{request, token_for};
use super::*;
use fairpanel::store::Store;
use fairpanel_core::entry;
use serde_json::{Value, json};

/// Makes the database refuse any UPDATE or DELETE of a log row.
async fn forbid_log_changes(store: &Store) {
    match store {
        Store::Sqlite(p) => {
            for op in ["UPDATE", "DELETE"] {
                sqlx::query(sqlx::AssertSqlSafe(format!(
                    "CREATE TRIGGER fp_no_{op} BEFORE {op} ON log_entries BEGIN SELECT RAISE(ABORT, 'log row {op}'); END"
                )))
                .execute(p)
                .await
                .unwrap();
            }
        }
        Store::Postgres(p) => {
            sqlx::query(
                "CREATE FUNCTION fp_no_change() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'log row %', TG_OP; END $$",
            )
            .execute(p)
            .await
            .unwrap();
            sqlx::query(
                "CREATE TRIGGER fp_no_change BEFORE UPDATE OR DELETE ON log_entries FOR EACH ROW EXECUTE FUNCTION fp_no_change()",
            )
            .execute(p)
            .await
            .unwrap();
        }
    }
}

/// Runs `sql` on the store; whether it succeeded.
async fn try_exec(store: &Store, sql: &'static str) -> bool {
    match store {
        Store::Sqlite(p) => sqlx::query(sql).execute(p).await.is_ok(),
        Store::Postgres(p) => sqlx::query(sql).execute(p).await.is_ok(),
    }
}

#[tokio::test]
async fn the_service_only_ever_inserts_log_rows() {
    for db in backends::all().await {
        let srv = setup(&db.url).await;
        let store = &srv.state.store;
        forbid_log_changes(store).await;
        // The guard works: a change by hand is refused.
        assert!(!try_exec(store, "UPDATE log_entries SET time = time + 1").await);
        assert!(!try_exec(store, "DELETE FROM log_entries").await);

        // Every kind of write the draw and scoring workflow makes.
        let coord = Api {
            srv: &srv,
            token: token_for(&srv, "gd-coord", "coordinator", Some("440000")).await,
        };
        let sup = Api {
            srv: &srv,
            token: token_for(&srv, "gd-sup1", "supervisor", Some("440000")).await,
        };
        let base = "/api/v1/provinces/440000";
        let rid = coord.open_round("base_new", "评审").await;
        let (st, v) = coord
            .post(
                &format!("{base}/rounds/{rid}/applications"),
                super::draws::app("A1", "甲单位"),
            )
            .await;
        assert_eq!(st, 201, "{v}");
        let req = json!({"title": "抽取", "panel": 5, "alternates": 2, "beacon": {"mode": "none"}, "entropy_window": 60});
        let (st, d) = coord
            .post(&format!("{base}/rounds/{rid}/draws"), req.clone())
            .await;
        assert_eq!(st, 201, "{d}");
        let voided = d["id"].as_str().unwrap().to_string();
        let (st, v) = coord
            .post(
                &format!("{base}/draws/{voided}/void"),
                json!({"reason": "重新抽取"}),
            )
            .await;
        assert_eq!(st, 200, "{v}");
        let (st, d) = coord.post(&format!("{base}/rounds/{rid}/draws"), req).await;
        assert_eq!(st, 201, "{d}");
        let id = d["id"].as_str().unwrap().to_string();
        let draw = format!("{base}/draws/{id}");
        let (st, v) = sup
            .post(
                &format!("{draw}/entropy"),
                json!({"value": hex::encode([7; 32])}),
            )
            .await;
        assert_eq!(st, 200, "{v}");
        srv.state.clock.advance(61);
        let (st, v) = coord.post(&format!("{draw}/reveal"), json!({})).await;
        assert_eq!(st, 200, "{v}");
        let (_, d) = coord.get(&draw).await;
        let who = d["panel"][0]["expert_id"].as_str().unwrap().to_string();
        let (st, v) = coord
            .post(
                &format!("{draw}/declines"),
                json!({"expert_id": who, "reason": "illness"}),
            )
            .await;
        assert_eq!(st, 200, "{v}");
        let (st, v) = coord
            .post(
                &format!("{base}/rounds/{rid}/advance"),
                json!({"to": "scoring"}),
            )
            .await;
        assert_eq!(st, 200, "{v}");
        super::scoring::score_everything(&coord, rid, &id).await;
        let (st, v) = coord
            .post(
                &format!("{base}/rounds/{rid}/advance"),
                json!({"to": "closed"}),
            )
            .await;
        assert_eq!(st, 200, "{v}");
        let (st, v) = coord.post(&format!("{draw}/disclose"), json!({})).await;
        assert_eq!(st, 200, "{v}");

        // All of it went into the log.
        let size = store.log_size().await.unwrap();
        let kinds: Vec<String> = store
            .entries(0, size)
            .await
            .unwrap()
            .iter()
            .map(|e| format!("{:?}", entry::parse(&e.bytes).unwrap().body.kind()))
            .collect();
        for k in [
            "Commit",
            "Void",
            "Entropy",
            "Reveal",
            "Decline",
            "ScoringOpen",
            "SheetCommit",
            "Seal",
            "Disclosure",
        ] {
            assert!(
                kinds.iter().any(|x| x == k),
                "{}: no {k} in {kinds:?}",
                db.name
            );
        }
    }
}

#[tokio::test]
async fn log_time_never_goes_backwards_when_the_clock_does() {
    for db in backends::all().await {
        let srv = setup(&db.url).await;
        let coord = Api {
            srv: &srv,
            token: token_for(&srv, "gd-coord", "coordinator", Some("440000")).await,
        };
        let rid = coord.open_round("studio", "评审").await;
        // The clock jumps an hour back (a corrected system clock, say).
        srv.state.clock.rewind(3600);
        let (st, d) = coord
            .post(
                &format!("/api/v1/provinces/440000/rounds/{rid}/draws"),
                json!({"title": "抽取", "panel": 5, "alternates": 0, "beacon": {"mode": "none"}, "entropy_window": 0}),
            )
            .await;
        assert_eq!(st, 201, "{d}");
        let store = &srv.state.store;
        let size = store.log_size().await.unwrap();
        let times: Vec<u64> = store
            .entries(0, size)
            .await
            .unwrap()
            .iter()
            .map(|e| entry::parse(&e.bytes).unwrap().entry.time)
            .collect();
        assert!(times.len() >= 2, "{times:?}");
        assert!(
            times.windows(2).all(|w| w[0] <= w[1]),
            "{}: log times go backwards: {times:?}",
            db.name
        );
        // The clock really was behind the log when the commit was written.
        assert!(srv.state.clock.now() < times[times.len() - 2]);
    }
}

#[tokio::test]
async fn a_committed_draw_left_past_its_deadline_is_listed_as_abandoned_and_only_then() {
    for db in backends::all().await {
        let srv = setup(&db.url).await;
        let coord = Api {
            srv: &srv,
            token: token_for(&srv, "gd-coord", "coordinator", Some("440000")).await,
        };
        let rid = coord.open_round("studio", "评审").await;
        let (st, d) = coord
            .post(
                &format!("/api/v1/provinces/440000/rounds/{rid}/draws"),
                json!({"title": "抽取", "panel": 5, "alternates": 0, "beacon": {"mode": "none"}, "entropy_window": 60}),
            )
            .await;
        assert_eq!(st, 201, "{d}");
        let id = d["id"].as_str().unwrap().to_string();
        let abandoned = || async {
            let r = request(srv.addr, "GET", "/api/v1/public/draws", &[], None).await;
            let list: Value = serde_json::from_str(&r.body).unwrap();
            let d = list
                .as_array()
                .unwrap()
                .iter()
                .find(|d| d["id"] == id.as_str())
                .unwrap()
                .clone();
            (d["state"].clone(), d["abandoned"].clone())
        };
        assert_eq!(abandoned().await, (json!("committed"), json!(false)));
        // Up to a day after the deadline it is merely late…
        srv.state
            .clock
            .advance(60 + fairpanel::draws::ABANDONED_AFTER);
        assert_eq!(abandoned().await, (json!("committed"), json!(false)));
        // …then abandoned.
        srv.state.clock.advance(1);
        assert_eq!(abandoned().await, (json!("committed"), json!(true)));
    }
}

#[tokio::test]
async fn an_sqlite_store_runs_in_wal_mode() {
    let db = backends::sqlite();
    let store = Store::open(&db.url).await.unwrap();
    let Store::Sqlite(p) = &store else {
        panic!("an sqlite: URL opens SQLite");
    };
    let mode: String = sqlx::query_scalar("PRAGMA journal_mode")
        .fetch_one(p)
        .await
        .unwrap();
    assert_eq!(mode, "wal");
    // The WAL file exists next to the database once something is written.
    let path = db.url.strip_prefix("sqlite:").unwrap().to_string();
    assert!(std::path::Path::new(&format!("{path}-wal")).exists());
}

/// Starts `fairpanel serve` in `dir` with `args` and `env`, and returns the line
/// of its start-up log that reports the store's origin and backend (it is then
/// stopped). Fails, rather than hangs, if that line does not come within 60 s.
fn store_ready_line(dir: &std::path::Path, args: &[&str], env: &[(&str, &str)]) -> String {
    use std::io::{BufRead, BufReader};
    use std::process::{Command, Stdio};
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_fairpanel"));
    cmd.arg("serve")
        .args(["--listen", "127.0.0.1:0"])
        .args(args)
        .current_dir(dir)
        .env("RUST_LOG", "info")
        .env("NO_COLOR", "1")
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    for var in [
        "DATABASE_URL",
        "FAIRPANEL_KEYS",
        "FAIRPANEL_ORIGIN",
        "FAIRPANEL_CONFIG",
        "FAIRPANEL_WEBHOOK_URL",
    ] {
        cmd.env_remove(var);
    }
    for (k, v) in env {
        cmd.env(k, v);
    }
    let mut child = cmd.spawn().unwrap();
    let stderr = child.stderr.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            if line.contains("store ready") {
                let _ = tx.send(line);
                return;
            }
        }
    });
    let line = rx.recv_timeout(std::time::Duration::from_secs(60));
    let _ = child.kill();
    let _ = child.wait();
    line.expect("serve reported its store within 60 s")
}

#[test]
fn configuration_flags_beat_the_environment_which_beats_the_file() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("fairpanel.toml"),
        "origin = \"file.example/log\"\ndatabase_url = \"sqlite:file.sqlite\"\n",
    )
    .unwrap();
    let file = [("FAIRPANEL_CONFIG", "fairpanel.toml")];
    let env = [
        ("FAIRPANEL_CONFIG", "fairpanel.toml"),
        ("FAIRPANEL_ORIGIN", "env.example/log"),
        ("DATABASE_URL", "sqlite:env.sqlite"),
    ];
    let flags = [
        "--origin",
        "flag.example/log",
        "--database-url",
        "sqlite:flag.sqlite",
    ];
    /// Flags, environment, and the origin and database file they must give.
    type Case<'a> = (&'a [&'a str], &'a [(&'a str, &'a str)], &'a str, &'a str);
    let cases: [Case; 4] = [
        (&[], &[], "fairpanel.local/log", "fairpanel.sqlite"),
        (&[], &file, "file.example/log", "file.sqlite"),
        (&[], &env, "env.example/log", "env.sqlite"),
        (&flags, &env, "flag.example/log", "flag.sqlite"),
    ];
    for (args, env, origin, db) in cases {
        let line = store_ready_line(dir.path(), args, env);
        assert!(
            line.contains(&format!("origin={origin}")),
            "{args:?} {env:?}: {line}"
        );
        assert!(dir.path().join(db).exists(), "{args:?} {env:?}: no {db}");
        std::fs::remove_file(dir.path().join(db)).unwrap();
    }
}
