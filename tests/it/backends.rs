//! Fresh databases for storage tests: every storage test runs on SQLite (a temp
//! file) and on PostgreSQL (a new database on the server at
//! `FAIRPANEL_TEST_PG`, default `postgres://postgres@127.0.0.1:5432/test`).
//! Without a server, the PostgreSQL run of each storage test is skipped, and the
//! test binary ends with one `SKIPPED:` line on stderr saying how many were and
//! how to run them; under CI (`CI=true`, as `.ci/run` sets) a missing server fails
//! the test instead.

use sqlx::Connection;
use std::sync::atomic::{AtomicU32, Ordering};

pub struct TestDb {
    pub name: &'static str,
    pub url: String,
    _dir: Option<tempfile::TempDir>,
    drop_pg: Option<(String, String)>,
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let Some((admin, db)) = self.drop_pg.take() {
            // Best effort: a leftover test database is harmless.
            let _ = std::thread::spawn(move || {
                let rt = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .unwrap();
                rt.block_on(async {
                    if let Ok(mut c) = sqlx::PgConnection::connect(&admin).await {
                        let _ = sqlx::query(sqlx::AssertSqlSafe(format!(
                            "DROP DATABASE IF EXISTS \"{db}\" WITH (FORCE)"
                        )))
                        .execute(&mut c)
                        .await;
                    }
                });
            })
            .join();
        }
    }
}

pub fn pg_admin_url() -> String {
    std::env::var("FAIRPANEL_TEST_PG")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".to_string())
}

pub fn sqlite() -> TestDb {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite:{}", dir.path().join("fairpanel.sqlite").display());
    TestDb {
        name: "sqlite",
        url,
        _dir: Some(dir),
        drop_pg: None,
    }
}

static N: AtomicU32 = AtomicU32::new(0);

/// PostgreSQL runs skipped so far in this test binary.
static SKIPPED: AtomicU32 = AtomicU32::new(0);

/// Whether a missing PostgreSQL server must fail the tests (under CI).
pub fn under_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| v == "true")
}

/// Says, once the test binary exits, how many PostgreSQL runs were skipped. It
/// runs from the ELF `.fini_array`, that is after libtest's own summary, and
/// writes straight to stderr, which libtest does not capture.
#[cfg(target_os = "linux")]
#[used]
#[unsafe(link_section = ".fini_array")]
static REPORT_SKIPS: extern "C" fn() = report_skips;

extern "C" fn report_skips() {
    let n = SKIPPED.load(Ordering::SeqCst);
    if n > 0 {
        use std::io::Write;
        let _ = writeln!(
            std::io::stderr(),
            "SKIPPED: {n} PostgreSQL runs of storage tests ({} not reachable); start PostgreSQL there or set FAIRPANEL_TEST_PG to a reachable server to run them",
            pg_admin_url()
        );
    }
}

pub async fn postgres() -> Option<TestDb> {
    let admin = pg_admin_url();
    let mut c = match sqlx::PgConnection::connect(&admin).await {
        Ok(c) => c,
        Err(e) => {
            if under_ci() {
                panic!("PostgreSQL is required under CI but {admin} is not reachable: {e}");
            }
            SKIPPED.fetch_add(1, Ordering::SeqCst);
            eprintln!(
                "NOTICE: PostgreSQL at {admin} is not reachable ({e}); skipping the PostgreSQL run of this test"
            );
            return None;
        }
    };
    let db = format!(
        "fp_test_{}_{}_{}",
        std::process::id(),
        N.fetch_add(1, Ordering::SeqCst),
        fairpanel_nanos()
    );
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE \"{db}\"")))
        .execute(&mut c)
        .await
        .expect("create a test database");
    let base = admin
        .rsplit_once('/')
        .map(|(b, _)| b.to_string())
        .unwrap_or(admin.clone());
    Some(TestDb {
        name: "postgres",
        url: format!("{base}/{db}"),
        _dir: None,
        drop_pg: Some((admin, db)),
    })
}

fn fairpanel_nanos() -> u32 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .subsec_nanos()
}

/// SQLite, then PostgreSQL when there is a server.
pub async fn all() -> Vec<TestDb> {
    let mut v = vec![sqlite()];
    if let Some(pg) = postgres().await {
        v.push(pg);
    }
    v
}

/// A small log entry for storage tests: roster change number `i`.
pub fn roster_change(i: u64) -> fairpanel::store::log::NewEntry {
    use fairpanel_core::entry::{Body, RosterChange};
    use fairpanel_core::types::{Province, ReasonCode};
    fairpanel::store::log::NewEntry {
        time: 1_700_000_000 + i,
        province: Some(Province::try_from("440000").unwrap()),
        body: Body::RosterChange(RosterChange {
            action: ReasonCode::try_from("update").unwrap(),
            changed: 1,
            // The roster of an empty table, so that `audit`, which checks the
            // expert table against the last roster_change, finds them sound.
            roster: fairpanel::store::experts::roster_hash(&[]),
            size: 0,
        }),
    }
}
