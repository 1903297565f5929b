//! The persisted log on both backends: appends, proofs, checkpoints, the audit,
//! and concurrent appenders keeping one linear log.

use super::backends;
use fairpanel::store::Store;
use fairpanel::store::log::NewEntry;
use fairpanel_core::hash::Hash32;
use fairpanel_core::{SecretKey, checkpoint, merkle};

const ORIGIN: &str = "test.example/log";

use super::backends::roster_change;

fn key() -> SecretKey {
    SecretKey::from_seed(&[7; 32])
}

/// The audit of `store`'s log (signed by [`key`]) finds nothing.
async fn audit_is_clean(store: &Store, what: &str) {
    let a = fairpanel::audit::run(store, &key().public(), ORIGIN)
        .await
        .unwrap();
    assert!(a.problems.is_empty(), "{what}: {:?}", a.problems);
}

#[tokio::test]
async fn appended_entries_come_back_with_proofs_that_verify_against_signed_checkpoints() {
    for db in backends::all().await {
        let store = Store::open(&db.url).await.unwrap();
        let k = key();
        // One by one and in a batch.
        for i in 0..5 {
            store.append(&k, ORIGIN, &[roster_change(i)]).await.unwrap();
        }
        let batch: Vec<NewEntry> = (5..13).map(roster_change).collect();
        let got = store.append(&k, ORIGIN, &batch).await.unwrap();
        assert_eq!(got.first().unwrap().0, 5, "{}", db.name);
        assert_eq!(store.log_size().await.unwrap(), 13);
        let entries = store.entries(0, 100).await.unwrap();
        assert_eq!(entries.len(), 13);
        let mut prev = Hash32::ZERO;
        for e in &entries {
            let p = fairpanel_core::entry::parse(&e.bytes).unwrap();
            assert_eq!(p.entry.seq, e.seq);
            assert_eq!(p.entry.prev, prev, "{}: chain", db.name);
            k.public().verify(&e.bytes, &e.sig).unwrap();
            prev = p.hash;
        }
        let (size, text) = store.latest_checkpoint().await.unwrap().unwrap();
        assert_eq!(size, 13);
        let cp = checkpoint::verify(&text, &k.public(), Some(ORIGIN)).unwrap();
        for e in &entries {
            let proof = store.inclusion_proof(e.seq, 13).await.unwrap();
            merkle::check_inclusion(&proof, 13, cp.root, e.seq, merkle::leaf_hash(&e.bytes))
                .unwrap();
        }
        // Every earlier checkpoint is consistent with the newest: one for each
        // append, so the loop below checks six.
        let checkpoints = store.checkpoints().await.unwrap();
        let sizes: Vec<u64> = checkpoints.iter().map(|(s, _)| *s).collect();
        assert_eq!(sizes, [1, 2, 3, 4, 5, 13], "{}", db.name);
        for (old, old_text) in checkpoints {
            let old_cp = checkpoint::verify(&old_text, &k.public(), Some(ORIGIN)).unwrap();
            let proof = store.consistency_proof(old, 13).await.unwrap();
            merkle::check_consistency(&proof, 13, cp.root, old, old_cp.root).unwrap();
        }
        audit_is_clean(&store, db.name).await;
        store.close().await;
    }
}

async fn exec(store: &Store, sql: &str) {
    let sql = sql.to_string();
    fairpanel::with_pool!(store, p => {
        sqlx::query(sqlx::AssertSqlSafe(sql)).execute(p).await.unwrap();
    });
}

async fn problems_after(db: &backends::TestDb, tamper: &str) -> Vec<String> {
    let store = Store::open(&db.url).await.unwrap();
    let k = key();
    let batch: Vec<NewEntry> = (0..8).map(roster_change).collect();
    store.append(&k, ORIGIN, &batch).await.unwrap();
    exec(&store, tamper).await;
    let a = fairpanel::audit::run(&store, &k.public(), ORIGIN)
        .await
        .unwrap();
    store.close().await;
    a.problems.iter().map(|p| p.to_string()).collect()
}

#[tokio::test]
async fn the_audit_names_a_modified_a_deleted_and_a_reordered_row() {
    let cases = [
        // A changed byte in entry 3: its stored hash, signature and the chain fail.
        (
            "UPDATE log_entries SET time = time + 1, bytes = bytes || bytes WHERE seq = 3",
            "entry seq 3",
        ),
        (
            "DELETE FROM log_entries WHERE seq = 5",
            "entry seq 5: missing",
        ),
        (
            "UPDATE log_entries SET seq = CASE seq WHEN 1 THEN 100 WHEN 2 THEN 1 END WHERE seq IN (1, 2)",
            "entry seq 1",
        ),
        ("DELETE FROM log_hashes WHERE idx = 4", "stored hash"),
        (
            "UPDATE checkpoints SET text = replace(text, 'test.example', 'evil.example') WHERE size = 8",
            "checkpoint 8",
        ),
    ];
    for (tamper, want) in cases {
        let mut dbs = vec![backends::sqlite()];
        if let Some(pg) = backends::postgres().await {
            dbs.push(pg);
        }
        for db in dbs {
            let problems = problems_after(&db, tamper).await;
            assert!(
                problems.iter().any(|p| p.contains(want)),
                "{}: after {tamper:?} the audit said {problems:?}",
                db.name
            );
        }
    }
}

#[tokio::test]
async fn concurrent_appenders_on_one_database_keep_one_linear_log() {
    for db in backends::all().await {
        // Separate stores are separate connection pools, as separate processes
        // would have.
        let mut stores = Vec::new();
        for _ in 0..4 {
            stores.push(Store::open(&db.url).await.unwrap());
        }
        let mut tasks = Vec::new();
        for (w, s) in stores.iter().enumerate() {
            let s = s.clone();
            tasks.push(tokio::spawn(async move {
                let k = key();
                for j in 0..15u64 {
                    let n = if j % 3 == 0 { 2 } else { 1 };
                    let batch: Vec<NewEntry> = (0..n)
                        .map(|x| roster_change(w as u64 * 1000 + j * 10 + x))
                        .collect();
                    s.append(&k, ORIGIN, &batch).await.unwrap();
                }
            }));
        }
        for t in tasks {
            t.await.unwrap();
        }
        let expected = 4 * (15 + 5);
        let s = &stores[0];
        assert_eq!(s.log_size().await.unwrap(), expected, "{}", db.name);
        let entries = s.entries(0, 1000).await.unwrap();
        let seqs: Vec<u64> = entries.iter().map(|e| e.seq).collect();
        assert_eq!(
            seqs,
            (0..expected).collect::<Vec<_>>(),
            "{}: no gaps",
            db.name
        );
        audit_is_clean(s, db.name).await;
        for st in stores {
            st.close().await;
        }
    }
}

/// An append reads its province's last entry hash (the next entry's `pprev`)
/// with the head row, in one statement. One that waited for the head's lock
/// while another instance committed an entry of the same province must chain
/// to that entry, not to the one its statement's snapshot saw (on PostgreSQL
/// the snapshot predates the wait).
#[tokio::test]
async fn an_append_that_waited_for_the_head_chains_to_the_entry_committed_meanwhile() {
    for db in backends::all().await {
        let (a, b) = (
            Store::open(&db.url).await.unwrap(),
            Store::open(&db.url).await.unwrap(),
        );
        a.append(&key(), ORIGIN, &[roster_change(1)]).await.unwrap();
        fairpanel::with_pool!(&a, pool => {
            let mut tx = a.begin_write(pool).await.unwrap();
            fairpanel::store::log::append_in(&mut tx, &key(), ORIGIN, &[roster_change(2)])
                .await
                .unwrap();
            let waiting = {
                let b = b.clone();
                tokio::spawn(async move { b.append(&key(), ORIGIN, &[roster_change(3)]).await })
            };
            tokio::time::sleep(std::time::Duration::from_millis(400)).await;
            assert!(!waiting.is_finished(), "{}: the second append waits for the head", db.name);
            tx.commit().await.unwrap();
            waiting.await.unwrap().unwrap();
        });
        let entries = a.entries(0, 10).await.unwrap();
        assert_eq!(entries.len(), 3, "{}", db.name);
        let third = fairpanel_core::entry::parse(&entries[2].bytes).unwrap();
        assert_eq!(
            third.entry.pprev,
            Some(Hash32(entries[1].hash.as_slice().try_into().unwrap())),
            "{}: the waiting append chains to the entry committed while it waited",
            db.name
        );
        audit_is_clean(&a, db.name).await;
        a.close().await;
        b.close().await;
    }
}

/// An append reads the last time and the tree's frontier from the head row,
/// which every append writes for its new size; a head whose cache is for
/// another size (rewritten by hand, a database from before the cache) is
/// read from the tables instead. Either way, and through batches larger than
/// one statement holds (300 entries: 300 rows, about 600 stored hashes), the
/// log, its stored hashes and every checkpoint are what the audit expects.
#[tokio::test]
async fn appends_use_the_head_rows_frontier_and_rebuild_it_when_it_is_stale() {
    for db in backends::all().await {
        let store = Store::open(&db.url).await.unwrap();
        let k = key();
        for i in 0..3 {
            store.append(&k, ORIGIN, &[roster_change(i)]).await.unwrap();
        }
        let big: Vec<NewEntry> = (3..303).map(roster_change).collect();
        let got = store.append(&k, ORIGIN, &big).await.unwrap();
        assert_eq!(got.len(), 300, "{}", db.name);
        let cached = |store: Store| async move {
            let row: (i64, i64, Option<Vec<u8>>) = fairpanel::with_pool!(&store, p => sqlx::query_as(
                "SELECT size, cached_size, frontier FROM log_head WHERE id = 1").fetch_one(p).await.unwrap());
            row
        };
        let (size, at, frontier) = cached(store.clone()).await;
        assert_eq!((size, at), (303, 303), "{}", db.name);
        // 303 = 256 + 32 + 8 + 4 + 2 + 1: six complete subtrees.
        assert_eq!(frontier.map(|f| f.len()), Some(6 * 32), "{}", db.name);
        // A stale cache: the frontier zeroed, its size not the head's. The
        // next append must not use it.
        exec(
            &store,
            "UPDATE log_head SET cached_size = 5, last_time = 0, frontier = NULL WHERE id = 1",
        )
        .await;
        store
            .append(&k, ORIGIN, &[roster_change(303)])
            .await
            .unwrap();
        let (size, at, _) = cached(store.clone()).await;
        assert_eq!((size, at), (304, 304), "{}", db.name);
        for i in 304..310 {
            store.append(&k, ORIGIN, &[roster_change(i)]).await.unwrap();
        }
        // Log time never goes back, also over the stale cache's zero.
        let entries = store.entries(0, 310).await.unwrap();
        let times: Vec<u64> = entries
            .iter()
            .map(|e| fairpanel_core::entry::parse(&e.bytes).unwrap().entry.time)
            .collect();
        assert!(times.windows(2).all(|w| w[0] <= w[1]), "{}", db.name);
        audit_is_clean(&store, db.name).await;
        let sizes: Vec<u64> = store
            .checkpoints()
            .await
            .unwrap()
            .iter()
            .map(|(s, _)| *s)
            .collect();
        assert_eq!(sizes.len(), 11, "{}: {sizes:?}", db.name);
        store.close().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_append_queue_batches_concurrent_appends_into_one_linear_log() {
    for db in backends::all().await {
        let store = Store::open(&db.url).await.unwrap();
        let q = fairpanel::store::queue::AppendQueue::start(
            store.clone(),
            std::sync::Arc::new(key()),
            ORIGIN.into(),
        );
        let mut tasks = Vec::new();
        for w in 0..8u64 {
            let q = q.clone();
            tasks.push(tokio::spawn(async move {
                let mut mine = Vec::new();
                for j in 0..20u64 {
                    let n = 1 + (j % 2);
                    let got = q
                        .append(
                            (0..n)
                                .map(|x| roster_change(w * 1000 + j * 10 + x))
                                .collect(),
                        )
                        .await
                        .unwrap();
                    assert_eq!(got.len() as u64, n);
                    // A request's entries are contiguous.
                    assert!(got.windows(2).all(|p| p[1].0 == p[0].0 + 1));
                    mine.extend(got.into_iter().map(|(s, _)| s));
                }
                mine
            }));
        }
        let mut seqs = Vec::new();
        for t in tasks {
            seqs.extend(t.await.unwrap());
        }
        seqs.sort();
        assert_eq!(
            seqs,
            (0..240).collect::<Vec<_>>(),
            "{}: every entry once, no gaps",
            db.name
        );
        let cps = store.checkpoints().await.unwrap().len();
        assert!(
            cps < 160,
            "{}: {cps} checkpoints for 160 requests: appends were batched",
            db.name
        );
        let a = fairpanel::audit::run(&store, &key().public(), ORIGIN)
            .await
            .unwrap();
        assert!(a.problems.is_empty(), "{:?}", a.problems);
        store.close().await;
    }
}

/// The embedded migrations are what sqlx itself reads from the folders (the
/// reading `migrate!` did before): a file the build missed, or a changed version,
/// description or checksum (which would make sqlx refuse a database migrated
/// before), fails here.
#[tokio::test]
async fn the_embedded_migrations_are_the_migration_folders_as_sqlx_reads_them() {
    use fairpanel::store::{Backend, migrator};
    for (backend, dir) in [
        (Backend::Sqlite, "migrations/sqlite"),
        (Backend::Postgres, "migrations/postgres"),
    ] {
        let ours = migrator(backend);
        let sqlx = sqlx::migrate::Migrator::new(super::root().join(dir))
            .await
            .unwrap();
        let files = std::fs::read_dir(super::root().join(dir)).unwrap().count();
        assert_eq!(
            sqlx.migrations.len(),
            files,
            "{dir}: one migration per file"
        );
        assert_eq!(ours.migrations.len(), sqlx.migrations.len(), "{dir}");
        for (a, b) in ours.migrations.iter().zip(sqlx.migrations.iter()) {
            assert_eq!(
                (
                    a.version,
                    &a.description,
                    a.migration_type,
                    &a.checksum,
                    a.no_tx
                ),
                (
                    b.version,
                    &b.description,
                    b.migration_type,
                    &b.checksum,
                    b.no_tx
                ),
                "{dir}"
            );
            assert_eq!(a.sql.as_str(), b.sql.as_str(), "{dir}");
        }
        assert_eq!(
            (
                ours.locking,
                ours.no_tx,
                ours.ignore_missing,
                &ours.table_name
            ),
            (
                sqlx.locking,
                sqlx.no_tx,
                sqlx.ignore_missing,
                &sqlx.table_name
            )
        );
    }
}

/// The SQLite file holds draw secrets and members' identities before reveal and
/// disclosure: it is created readable by its owner only, and a file found
/// readable by others is narrowed to 0600.
#[cfg(unix)]
#[tokio::test]
async fn the_sqlite_file_is_created_readable_by_its_owner_only() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("fp.sqlite");
    let url = format!("sqlite:{}", path.display());
    let store = fairpanel::store::Store::open(&url).await.unwrap();
    store.close().await;
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&path), 0o600);
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
    let store = fairpanel::store::Store::open(&url).await.unwrap();
    assert_eq!(
        mode(&path),
        0o600,
        "an existing file readable by others is narrowed"
    );
    for suffix in ["-wal", "-shm"] {
        let p = std::path::PathBuf::from(format!("{}{suffix}", path.display()));
        if p.exists() {
            assert_eq!(mode(&p), 0o600, "{}", p.display());
        }
    }
    store.close().await;
}
