//! The persisted log's benchmark, in one run per backend: signed log appends per
//! second through the store, one per transaction and through the group-commit
//! queue under concurrency, against plain sqlx single-row inserts, one per
//! transaction, into the same database. Targets: one by one ≥ 0.8×, batched ≥ 3×.
//!
//! `cargo bench --bench log` (PostgreSQL from FAIRPANEL_TEST_PG, default
//! postgres://postgres@127.0.0.1:5432/test; skipped with a notice if absent).

use fairpanel::store::Store;
use fairpanel::store::log::NewEntry;
use fairpanel::store::queue::AppendQueue;
use fairpanel::with_pool;
use fairpanel_core::SecretKey;
use fairpanel_core::entry::{Body, Entropy};
use fairpanel_core::hash::{Hash32, sha256};
use fairpanel_core::types::{DrawId, Province};
use sqlx::Connection;
use std::sync::Arc;
use std::time::Instant;

const N: u64 = 2000;
const TASKS: u64 = 16;

fn entry(i: u64) -> NewEntry {
    // A supervisor's contribution: a typical small entry (~400 bytes signed).
    NewEntry {
        time: 1_700_000_000 + i,
        province: Some(Province::try_from("440000").unwrap()),
        body: Body::Entropy(Entropy {
            attestation: None,
            commit: sha256(b"commit"),
            draw: DrawId::try_from("bench-draw").unwrap(),
            supervisor: "监督员".into(),
            value: Hash32(sha256(&i.to_be_bytes()).0),
        }),
    }
}

async fn plain_inserts(store: &Store) -> f64 {
    with_pool!(store, p => {
        sqlx::query("CREATE TABLE bench_plain (id BIGINT PRIMARY KEY, payload TEXT NOT NULL)").execute(p).await.unwrap();
    });
    let payload = "x".repeat(400);
    let t = Instant::now();
    for i in 0..N {
        with_pool!(store, p => {
            let mut tx = p.begin().await.unwrap();
            sqlx::query("INSERT INTO bench_plain (id, payload) VALUES ($1, $2)")
                .bind(i as i64)
                .bind(payload.clone())
                .execute(&mut *tx)
                .await
                .unwrap();
            tx.commit().await.unwrap();
        });
    }
    N as f64 / t.elapsed().as_secs_f64()
}

async fn one_by_one(store: &Store, key: &SecretKey) -> f64 {
    let t = Instant::now();
    for i in 0..N {
        store
            .append(key, "bench.example/log", &[entry(i)])
            .await
            .unwrap();
    }
    N as f64 / t.elapsed().as_secs_f64()
}

async fn batched(store: &Store, key: SecretKey) -> f64 {
    let q = AppendQueue::start(store.clone(), Arc::new(key), "bench.example/log".into());
    let t = Instant::now();
    let mut tasks = Vec::new();
    for w in 0..TASKS {
        let q = q.clone();
        tasks.push(tokio::spawn(async move {
            for j in 0..N / TASKS {
                q.append(vec![entry(N + w * N + j)]).await.unwrap();
            }
        }));
    }
    for task in tasks {
        task.await.unwrap();
    }
    N as f64 / t.elapsed().as_secs_f64()
}

async fn run(name: &str, url: &str) {
    let store = Store::open(url).await.unwrap();
    let plain = plain_inserts(&store).await;
    let key = SecretKey::from_seed(&[9; 32]);
    let single = one_by_one(&store, &key).await;
    let group = batched(&store, key).await;
    let audit = fairpanel::audit::run(
        &store,
        &SecretKey::from_seed(&[9; 32]).public(),
        "bench.example/log",
    )
    .await
    .unwrap();
    assert!(audit.problems.is_empty());
    println!("{name}: {N} each");
    println!("  plain sqlx single-row insert per transaction  {plain:9.0} /s");
    println!(
        "  signed log append, one per transaction        {single:9.0} /s   {:5.2}x  (target >= 0.8)",
        single / plain
    );
    println!(
        "  signed log append, {TASKS} tasks, group commit   {group:9.0} /s   {:5.2}x  (target >= 3)",
        group / plain
    );
    store.close().await;
}

fn main() {
    // The allocator as the service's `main` sets it (`fairpanel::memory`).
    fairpanel::memory::tune();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let dir = tempfile::tempdir().unwrap();
        run(
            "sqlite (file, WAL)",
            &format!("sqlite:{}", dir.path().join("bench.sqlite").display()),
        )
        .await;
        let admin = std::env::var("FAIRPANEL_TEST_PG")
            .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into());
        match sqlx::PgConnection::connect(&admin).await {
            Err(e) => println!("postgres: skipped ({e})"),
            Ok(mut c) => {
                let db = format!("fp_bench_{}", std::process::id());
                sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE \"{db}\"")))
                    .execute(&mut c)
                    .await
                    .unwrap();
                let base = admin.rsplit_once('/').map(|(b, _)| b.to_string()).unwrap();
                run("postgres", &format!("{base}/{db}")).await;
                sqlx::query(sqlx::AssertSqlSafe(format!(
                    "DROP DATABASE \"{db}\" WITH (FORCE)"
                )))
                .execute(&mut c)
                .await
                .unwrap();
            }
        }
    });
}
