//! The roster hash each write keeps incrementally (row hashes, buckets, the
//! province's head) is the one computed from scratch, after many random edits,
//! imports and deletions, on both backends; the in-memory roster follows every
//! write, also one made by another instance on the same database.

use super::backends;
use super::http::{request, start, token_for};
use fairpanel::roster::{ExpertRecord, Status};
use fairpanel::store::Store;
use fairpanel::store::experts::{Must, roster_hash};
use fairpanel_core::entry::{self, Body, RosterChange};
use fairpanel_core::types::Province;
use std::collections::BTreeMap;

/// A small deterministic generator (no dependency needed for test choices).
struct Lcg(u64);
impl Lcg {
    fn below(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) as usize) % n
    }
}

async fn roster_change(store: &Store, seq: u64) -> RosterChange {
    let rows = store.entries(seq, seq + 1).await.unwrap();
    match entry::parse(&rows[0].bytes).unwrap().body {
        Body::RosterChange(c) => c,
        other => panic!("entry {seq} is not a roster_change: {other:?}"),
    }
}

/// The table, the cached roster and the model agree, and so do the last
/// roster_change's hash and size with the table's, from scratch.
async fn check(
    store: &Store,
    p: &Province,
    model: &BTreeMap<String, ExpertRecord>,
    seq: u64,
    what: &str,
) {
    let table = store.read_roster(p).await.unwrap();
    let want: Vec<ExpertRecord> = model.values().cloned().collect();
    assert_eq!(table, want, "{what}: the table");
    assert_eq!(
        *store.roster(p).await.unwrap(),
        want,
        "{what}: the cached roster"
    );
    let c = roster_change(store, seq).await;
    assert_eq!(c.roster, roster_hash(&table), "{what}: the logged hash");
    let active = table.iter().filter(|r| r.status == Status::Active).count() as u64;
    assert_eq!(c.size, active, "{what}: the logged size");
}

#[tokio::test]
async fn the_incrementally_kept_roster_hash_is_the_one_computed_from_scratch_after_random_edits() {
    for db in backends::all().await {
        let srv = start(&db.url).await;
        let (store, key) = (&srv.state.store, &srv.state.key);
        let origin = srv.state.origin.clone();
        let p = Province::try_from("440000").unwrap();
        let mut model: BTreeMap<String, ExpertRecord> = BTreeMap::new();
        let mut next = 0usize;
        let mut fresh = |rng: &mut Lcg| {
            let mut r = fairpanel::demo::synthetic_records(1 + rng.below(50))
                .pop()
                .unwrap();
            r.expert_id = format!("R{next:05}");
            next += 1;
            r
        };
        let mut rng = Lcg(7);
        // More rows than one upsert statement holds (500): three statements.
        let first: Vec<ExpertRecord> = (0..1100).map(|_| fresh(&mut rng)).collect();
        let w = store
            .write_experts(key, &origin, &p, &first, Must::Either, "import", 1)
            .await
            .unwrap()
            .unwrap();
        model.extend(first.into_iter().map(|r| (r.expert_id.clone(), r)));
        check(
            store,
            &p,
            &model,
            w.seq.unwrap(),
            &format!("{}: import", db.name),
        )
        .await;

        // A database from before the stored hashes: the first write builds
        // the columns and the head from the rows.
        fairpanel::with_pool!(store, pool => {
            sqlx::query("UPDATE experts SET rhash = NULL, bucket = NULL, active = NULL").execute(pool).await.unwrap();
            sqlx::query("DELETE FROM roster_heads").execute(pool).await.unwrap();
        });

        for step in 0..120 {
            let what = format!("{}: step {step}", db.name);
            let ids: Vec<String> = model.keys().cloned().collect();
            let pick = |rng: &mut Lcg| ids[rng.below(ids.len())].clone();
            let seq = match rng.below(6) {
                // Edit one expert: a field, or its status.
                0 | 1 => {
                    let mut r = model[&pick(&mut rng)].clone();
                    if rng.below(2) == 0 {
                        r.status = match r.status {
                            Status::Active => Status::Suspended,
                            Status::Suspended => Status::Active,
                        };
                    } else {
                        r.name = format!("区{step}");
                    }
                    let w = store
                        .write_experts(
                            key,
                            &origin,
                            &p,
                            std::slice::from_ref(&r),
                            Must::Exist,
                            "update",
                            2,
                        )
                        .await
                        .unwrap()
                        .unwrap();
                    assert_eq!(w.changed, 1, "{what}");
                    model.insert(r.expert_id.clone(), r);
                    w.seq
                }
                2 => {
                    let r = fresh(&mut rng);
                    let w = store
                        .write_experts(
                            key,
                            &origin,
                            &p,
                            std::slice::from_ref(&r),
                            Must::BeNew,
                            "create",
                            2,
                        )
                        .await
                        .unwrap()
                        .unwrap();
                    model.insert(r.expert_id.clone(), r);
                    w.seq
                }
                3 => {
                    let id = pick(&mut rng);
                    let w = store
                        .delete_expert(key, &origin, &p, &id, 2)
                        .await
                        .unwrap()
                        .unwrap();
                    model.remove(&id);
                    assert_eq!(w.total, model.len(), "{what}");
                    w.seq
                }
                // An import: unchanged, changed and new records, small
                // (looked up by id) or most of the roster (read whole).
                4 => {
                    let n = if rng.below(2) == 0 { 5 } else { ids.len() };
                    let mut batch = Vec::new();
                    for _ in 0..n {
                        match rng.below(3) {
                            0 => batch.push(model[&pick(&mut rng)].clone()),
                            1 => {
                                let mut r = model[&pick(&mut rng)].clone();
                                r.name = format!("改{step}");
                                batch.push(r);
                            }
                            _ => batch.push(fresh(&mut rng)),
                        }
                    }
                    let w = store
                        .write_experts(key, &origin, &p, &batch, Must::Either, "import", 2)
                        .await
                        .unwrap()
                        .unwrap();
                    for r in batch {
                        model.insert(r.expert_id.clone(), r);
                    }
                    assert_eq!(w.total, model.len(), "{what}");
                    w.seq
                }
                // A write that changes nothing logs nothing.
                _ => {
                    let r = model[&pick(&mut rng)].clone();
                    let w = store
                        .write_experts(key, &origin, &p, &[r], Must::Exist, "update", 2)
                        .await
                        .unwrap()
                        .unwrap();
                    assert_eq!((w.changed, w.seq), (0, None), "{what}");
                    None
                }
            };
            if let Some(seq) = seq {
                check(store, &p, &model, seq, &what).await;
            }
        }
        // Through the API as it is: one edit, one import.
        let gd = format!(
            "Bearer {}",
            token_for(&srv, "gd", "coordinator", Some("440000")).await
        );
        let mut r = model.values().next().unwrap().clone();
        r.name = "经接口".into();
        let id = r.expert_id.clone();
        let resp = request(
            srv.addr,
            "PUT",
            &format!("/api/v1/provinces/440000/experts/{id}"),
            &[("Authorization", &gd)],
            Some(&serde_json::to_value(&r).unwrap()),
        )
        .await;
        assert_eq!(resp.status, 200, "{}: {}", db.name, resp.body);
        model.insert(id, r);
        let seq = serde_json::from_str::<serde_json::Value>(&resp.body).unwrap()["log_seq"]
            .as_u64()
            .unwrap();
        check(store, &p, &model, seq, &format!("{}: PUT", db.name)).await;
        let mut all: Vec<ExpertRecord> = model.values().cloned().collect();
        for r in all.iter_mut().step_by(3) {
            r.name = "再导入".into();
        }
        let csv = fairpanel::roster::export_csv(&all);
        let resp = super::http::upload(
            srv.addr,
            "/api/v1/provinces/440000/experts/import?format=csv",
            &gd,
            &csv,
        )
        .await;
        assert_eq!(resp.status, 200, "{}: {}", db.name, resp.body);
        model.extend(all.into_iter().map(|r| (r.expert_id.clone(), r)));
        let seq = serde_json::from_str::<serde_json::Value>(&resp.body).unwrap()["log_seq"]
            .as_u64()
            .unwrap();
        check(store, &p, &model, seq, &format!("{}: CSV import", db.name)).await;

        let a = fairpanel::audit::run(store, &srv.state.key.public(), "test.example/log")
            .await
            .unwrap();
        assert!(a.problems.is_empty(), "{}: {:?}", db.name, a.problems);
    }
}

#[tokio::test]
async fn the_roster_kept_in_memory_follows_a_write_by_another_instance() {
    for db in backends::all().await {
        let srv = start(&db.url).await;
        let (store, key) = (&srv.state.store, &srv.state.key);
        let origin = srv.state.origin.clone();
        let p = Province::try_from("440000").unwrap();
        let records = fairpanel::demo::synthetic_records(20);
        store
            .write_experts(key, &origin, &p, &records, Must::BeNew, "import", 1)
            .await
            .unwrap()
            .unwrap();
        let before = store.roster(&p).await.unwrap();
        let mut sorted = records.clone();
        sorted.sort_by(|a, b| a.expert_id.cmp(&b.expert_id));
        assert_eq!(*before, sorted, "{}", db.name);
        // Read again unchanged: the same parsed roster, not a new read.
        assert!(
            std::sync::Arc::ptr_eq(&before, &store.roster(&p).await.unwrap()),
            "{}",
            db.name
        );
        // Another instance on the same database changes a row as its write
        // does (the row, then a new version), which this process never sees
        // as a call.
        let id = before[0].expert_id.clone();
        let mut changed = before[0].clone();
        changed.name = "另一实例".into();
        let json = serde_json::to_string(&changed).unwrap();
        fairpanel::with_pool!(store, pool => {
            sqlx::query("UPDATE experts SET record = $1 WHERE province = '440000' AND expert_id = $2")
                .bind(json).bind(id.clone()).execute(pool).await.unwrap();
            sqlx::query("UPDATE roster_heads SET version = version + 1 WHERE province = '440000'")
                .execute(pool).await.unwrap();
        });
        let after = store.roster(&p).await.unwrap();
        assert_eq!(after[0].name, "另一实例", "{}", db.name);
        assert_eq!(store.list_experts(&p).await.unwrap(), *after, "{}", db.name);
        // A second store on the same database, writing through the service's
        // own path: the first sees its change.
        let other = Store::open(&db.url).await.unwrap();
        let mut again = after[1].clone();
        again.status = Status::Suspended;
        other
            .write_experts(key, &origin, &p, &[again], Must::Exist, "suspend", 2)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            store.roster(&p).await.unwrap()[1].status,
            Status::Suspended,
            "{}",
            db.name
        );
        other.close().await;
    }
}
