//! What several benches share: the `sqlite3` shell's `.import` as a floor.

use std::time::Instant;

/// The floor of an import: the `sqlite3` shell's `.import` of `csv` into the
/// table `experts` of a fresh WAL database, made first by `schema` (SQL; empty
/// to let `.import` make the table from the header row), in seconds. `None`
/// without a `sqlite3` binary.
pub fn sqlite3_import(csv: &[u8], schema: &str) -> Option<f64> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("experts.csv");
    std::fs::write(&path, csv).unwrap();
    let db = dir.path().join("floor.sqlite");
    let setup = std::process::Command::new("sqlite3")
        .arg(&db)
        .arg(format!("PRAGMA journal_mode=WAL; {schema}"))
        .output()
        .ok()?;
    assert!(setup.status.success(), "sqlite3 setup failed");
    let t = Instant::now();
    let run = std::process::Command::new("sqlite3")
        .arg(&db)
        .arg(".mode csv")
        .arg(format!(".import {} experts", path.display()))
        .output()
        .ok()?;
    let secs = t.elapsed().as_secs_f64();
    assert!(
        run.status.success() && run.stderr.is_empty(),
        "sqlite3 .import failed: {}",
        String::from_utf8_lossy(&run.stderr)
    );
    Some(secs)
}

/// Runs `f` with the URL of a fresh PostgreSQL database named `name`, made
/// on the server of `FAIRPANEL_TEST_PG` (default: the local one) and dropped
/// afterwards, even when `f` panics (then the panic goes on). `None`, with a
/// line saying why, when the server cannot be reached.
pub async fn on_fresh_pg_database<T, F>(name: &str, f: impl FnOnce(String) -> F) -> Option<T>
where
    T: Send + 'static,
    F: std::future::Future<Output = T> + Send + 'static,
{
    use sqlx::Connection;
    let admin = std::env::var("FAIRPANEL_TEST_PG")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into());
    let mut c = match sqlx::PgConnection::connect(&admin).await {
        Ok(c) => c,
        Err(e) => {
            println!("postgres: skipped ({e})");
            return None;
        }
    };
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE \"{name}\"")))
        .execute(&mut c)
        .await
        .unwrap();
    let base = admin.rsplit_once('/').map(|(b, _)| b.to_string()).unwrap();
    // In a task of its own, so the database is dropped even if it panics.
    let outcome = tokio::spawn(f(format!("{base}/{name}"))).await;
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "DROP DATABASE \"{name}\" WITH (FORCE)"
    )))
    .execute(&mut c)
    .await
    .unwrap();
    match outcome {
        Ok(t) => Some(t),
        Err(e) => std::panic::resume_unwind(e.into_panic()),
    }
}
