//! A draw through the store, per backend and pool size (the curve): `commit` +
//! `reveal` of a beacon-less draw (panel 7, 3 alternates) through `Workflow`,
//! against `SELECT expert_id, record FROM experts WHERE province = '440000'
//! ORDER BY random() LIMIT 7` on the same table (the floor). For each size:
//! the floor; the draw's latency (commit, contribution, reveal); the same
//! draw with its pool prepared ahead by the preview (`draws/prepared.rs`);
//! the CPU a draw costs the process (user + system of every thread, from
//! `/proc/self/stat`, preparation included); the peak memory of one draw in a
//! child process (this binary again, `DRAW_STORE_CHILD` set, `VmHWM`). Then,
//! at one size, where the draw's time goes: the steps the commit and the reveal
//! call, timed alone, with what is left of each phase; and the bundle rows:
//! `fairpanel verify` (this build's binary) of a draw's bundle against
//! `openssl dgst -sha256` of the same file, and the bundle of a draw with
//! 10,000 roster changes of another province between its commit and reveal.
//! Targets (issue 15): latency ≤ 1.5× the floor, CPU per draw with preparation
//! ≤ 5× the floor, peak memory ≤ 100 MB.
//!
//! `cargo bench --bench draw_store` (PostgreSQL from FAIRPANEL_TEST_PG, default
//! postgres://postgres@127.0.0.1:5432/test; skipped with a notice if absent).
//! `DRAW_STORE_SIZES` the pool sizes (default `1000,10000,100000`; add
//! `1000000` for the 1M point, minutes per backend), `DRAW_STORE_N` the timed
//! runs per measurement (default 5; at most 2 above 100,000),
//! `DRAW_STORE_BREAKDOWN` the size whose breakdown and bundle rows are printed
//! (default the largest size up to 100,000; `0` for none),
//! `DRAW_STORE_KEEP_BUNDLES` a directory to keep the two bundles in,
//! `DRAW_STORE_CHILD_WRAP` a command (a heap profiler) to run the memory
//! child under.
//! PostgreSQL's own CPU (the server process) is not in the CPU column, which
//! is this process's.

mod common;

use fairpanel::clock::Clock;
use fairpanel::draws::{BeaconChoice, DrawRequest, Workflow};
use fairpanel::roster::ExpertRecord;
use fairpanel::store::Store;
use fairpanel::store::experts::Must;
use fairpanel::store::log::NewEntry;
use fairpanel::with_pool;
use fairpanel_core::SecretKey;
use fairpanel_core::draw::{self, Candidate};
use fairpanel_core::entry::{Body, RosterChange};
use fairpanel_core::fill;
use fairpanel_core::hash::{Hash32, tag, tagged};
use fairpanel_core::pool;
use fairpanel_core::tags;
use fairpanel_core::types::{Province, ReasonCode};
use std::collections::HashSet;
use std::hint::black_box;
use std::path::Path;
use std::time::{Duration, Instant};

const PROVINCE: &str = "440000";
const ORIGIN: &str = "bench.example/log";
const T0: u64 = 1_750_000_000;
const TARGET_RATIO: f64 = 1.5;
const TARGET_CPU: f64 = 5.0;
const TARGET_MB: f64 = 100.0;
const CHILD: &str = "DRAW_STORE_CHILD";

fn env_usize(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .filter(|&v| v > 0)
        .unwrap_or(default)
}

fn sizes() -> Vec<usize> {
    std::env::var("DRAW_STORE_SIZES")
        .ok()
        .map(|v| v.split(',').filter_map(|x| x.trim().parse().ok()).collect())
        .filter(|v: &Vec<usize>| !v.is_empty())
        .unwrap_or_else(|| vec![1_000, 10_000, 100_000])
}

fn province() -> Province {
    Province::try_from(PROVINCE).unwrap()
}

fn request() -> DrawRequest {
    DrawRequest {
        title: "基准测试 benchmark draw".into(),
        panel: 7,
        alternates: 3,
        quotas: vec![],
        org_cap: None,
        cooldown_days: None,
        beacon: BeaconChoice::None,
        entropy_window: 0,
        personal_keys: false,
    }
}

/// `n` roster records with unique ids. `synthetic_records` numbers its ids
/// `GD-E{:05}` from 1, which stays unique past 99,999; checked anyway.
fn records(n: usize) -> Vec<ExpertRecord> {
    let r = fairpanel::demo::synthetic_records(n);
    let ids: HashSet<&str> = r.iter().map(|e| e.expert_id.as_str()).collect();
    assert_eq!(ids.len(), n, "synthetic expert ids collide");
    r
}

/// The import's floor: the `sqlite3` shell's `.import` of the same rows
/// (province, id, record JSON, time) as CSV into a fresh WAL database with the
/// experts table's schema, in seconds. `None` without a `sqlite3` binary.
fn sqlite3_import(records: &[ExpertRecord]) -> Option<f64> {
    let mut out = String::new();
    for r in records {
        let json = serde_json::to_string(r).unwrap().replace('"', "\"\"");
        out.push_str(&format!("{PROVINCE},{},\"{json}\",{T0}\n", r.expert_id));
    }
    common::sqlite3_import(
        out.as_bytes(),
        "CREATE TABLE experts (province TEXT NOT NULL, expert_id TEXT NOT NULL, record TEXT NOT NULL, updated_at INTEGER NOT NULL, PRIMARY KEY (province, expert_id));",
    )
}

fn random32() -> [u8; 32] {
    let mut b = [0u8; 32];
    getrandom::fill(&mut b).unwrap();
    b
}

/// The draw's own eligibility, with no applications and no cooldown.
fn candidates(experts: &[ExpertRecord]) -> Vec<Candidate> {
    fairpanel::draws::candidates(experts, &[], &HashSet::new())
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn mean(v: &[f64]) -> f64 {
    v.iter().sum::<f64>() / v.len() as f64
}

fn min(v: &[f64]) -> f64 {
    v.iter().copied().fold(f64::INFINITY, f64::min)
}

/// CPU time of this process so far (user + system, every thread, exited ones
/// included), in ms, from `/proc/self/stat` (clock ticks: 10 ms at the usual
/// 100 Hz, so it is summed over several draws).
fn cpu_ms() -> f64 {
    let s = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // Fields after the command name (which ends at the last ')'): utime and
    // stime are the 14th and 15th fields of the line, so the 12th and 13th
    // after it.
    let rest = s.rsplit_once(')').map(|(_, r)| r).unwrap_or("");
    let f: Vec<u64> = rest
        .split_whitespace()
        .map(|x| x.parse().unwrap_or(0))
        .collect();
    if f.len() < 13 {
        return 0.0;
    }
    (f[11] + f[12]) as f64 * 1000.0 / 100.0
}

/// Peak and current resident set of this process, in kB, from /proc/self/status.
fn vm(field: &str) -> u64 {
    let s = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    s.lines()
        .find_map(|l| l.strip_prefix(field))
        .and_then(|r| r.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

/// Resets VmHWM to the current RSS (Linux ≥ 4.0); false if refused.
fn reset_hwm() -> bool {
    std::fs::write("/proc/self/clear_refs", "5").is_ok()
}

fn mb(kb: u64) -> f64 {
    kb as f64 * 1024.0 / 1e6
}

async fn floor(store: &Store) -> f64 {
    let t = Instant::now();
    let rows: Vec<(String, String)> = with_pool!(store, p => sqlx::query_as(
        "SELECT expert_id, record FROM experts WHERE province = '440000' ORDER BY random() LIMIT 7")
        .fetch_all(p)
        .await
        .unwrap());
    let e = ms(t.elapsed());
    assert_eq!(rows.len(), 7);
    black_box(rows);
    e
}

/// One draw's phases, in ms: commit, the supervisor's contribution, reveal.
struct Phases {
    commit: f64,
    contribute: f64,
    reveal: f64,
}

impl Phases {
    fn total(&self) -> f64 {
        self.commit + self.contribute + self.reveal
    }
}

async fn one_draw(wf: &Workflow<'_>, round: &fairpanel::store::rounds::Round) -> (Phases, String) {
    let req = request();
    let t = Instant::now();
    let c = wf
        .commit(round, &req)
        .await
        .map_err(|e| format!("{e:?}"))
        .unwrap();
    let commit = ms(t.elapsed());
    // A beacon-less draw needs one supervisor's contribution (protocol 1.1).
    let t = Instant::now();
    wf.contribute(
        &round.province,
        &c.id,
        "supervisor-1",
        fairpanel_core::Hash32([7; 32]),
    )
    .await
    .map_err(|e| format!("{e:?}"))
    .unwrap();
    let contribute = ms(t.elapsed());
    wf.clock.advance(1);
    let t = Instant::now();
    let r = wf
        .reveal(&round.province, &c.id)
        .await
        .map_err(|e| format!("{e:?}"))
        .unwrap();
    let reveal = ms(t.elapsed());
    assert_eq!(r.panel.len(), 7);
    assert_eq!(r.alternates.len(), 3);
    (
        Phases {
            commit,
            contribute,
            reveal,
        },
        c.id,
    )
}

async fn new_round(store: &Store, clock: &Clock, k: usize) -> fairpanel::store::rounds::Round {
    store
        .create_round(
            &province(),
            2025,
            "studio",
            &format!("bench round {k}"),
            clock.now(),
        )
        .await
        .unwrap()
}

/// One row of the breakdown: its phase, times per draw and the mean of one call.
struct Part {
    phase: &'static str,
    name: String,
    per_draw: u32,
    each: f64,
    top: bool,
}

/// Times `f` `n` times (after one untimed warm-up) and returns the mean in ms.
async fn time_n<F, Fut>(n: usize, mut f: F) -> f64
where
    F: FnMut(usize) -> Fut,
    Fut: std::future::Future<Output = Duration>,
{
    let _ = f(usize::MAX).await;
    let mut v = Vec::with_capacity(n);
    for k in 0..n {
        v.push(ms(f(k).await));
    }
    mean(&v)
}

/// The steps `Workflow::commit` and `Workflow::reveal` call, each timed alone
/// on the same store (a draw of the bench already committed as `draw_id`).
async fn breakdown(
    store: &Store,
    key: &SecretKey,
    clock: &Clock,
    wf: &Workflow<'_>,
    draw_id: &str,
    n: usize,
) -> Vec<Part> {
    let p = province();
    let mut parts = Vec::new();
    let mut part = |phase: &'static str, name: &str, per_draw: u32, each: f64, top: bool| {
        parts.push(Part {
            phase,
            name: name.to_string(),
            per_draw,
            each,
            top,
        })
    };

    // Candidates' inputs, built once for the in-memory steps.
    let experts = &store.list_experts(&p).await.unwrap();
    let cands = &candidates(experts);
    let prepared = &draw::prepare_pool("gd-2026-r1-d1", cands, random32);
    let members = &draw::prepare_members("gd-2026-r1-d1", cands, random32);
    let spec = &request().spec(5).unwrap();
    let p = &p;

    let t = time_n(n, |_| async move {
        let t = Instant::now();
        black_box(store.list_experts(p).await.unwrap());
        t.elapsed()
    })
    .await;
    part(
        "commit",
        "list_experts (SELECT + parse JSON records)",
        1,
        t,
        true,
    );
    let t = time_n(n, |_| async move {
        let t = Instant::now();
        let rows: Vec<(String,)> = with_pool!(store, pool => sqlx::query_as(
            "SELECT record FROM experts WHERE province = $1 ORDER BY expert_id")
            .bind(PROVINCE.to_string())
            .fetch_all(pool)
            .await
            .unwrap());
        black_box(rows);
        t.elapsed()
    })
    .await;
    part(
        "commit",
        "  of which SELECT record … ORDER BY expert_id",
        1,
        t,
        false,
    );
    let t = time_n(n, |_| async move {
        let t = Instant::now();
        black_box(candidates(black_box(experts)));
        t.elapsed()
    })
    .await;
    part(
        "commit",
        "candidates (records -> Candidate, org keys)",
        1,
        t,
        true,
    );
    let t = time_n(n, |_| async move {
        let t = Instant::now();
        black_box(draw::prepare_pool(
            "gd-2026-r1-d1",
            black_box(cands),
            random32,
        ));
        t.elapsed()
    })
    .await;
    part(
        "commit",
        "draw::prepare_pool (key, salts, tags, tokens, sort, JCS, root)",
        1,
        t,
        true,
    );
    // The part a preview prepares ahead: the tag key, salts, identity and
    // organisation tags (VRF outputs without proofs) on every core.
    let t = time_n(n, |_| async move {
        let t = Instant::now();
        black_box(draw::prepare_members("gd-2026-r1-d1", cands, random32));
        t.elapsed()
    })
    .await;
    part(
        "commit",
        "  of which tags and salts (draw::prepare_members, every core)",
        1,
        t,
        false,
    );
    let secret = &draw::tag_secret(random32);
    let one = cands.len().min(2_000);
    let t = time_n(n, |_| async move {
        let t = Instant::now();
        for c in &cands[..one] {
            black_box(secret.output(&tags::id_input("gd-2026-r1-d1", &c.expert)));
        }
        t.elapsed()
    })
    .await;
    part(
        "commit",
        &format!(
            "    one VRF output, one core (x{}; {one} timed)",
            cands.len()
        ),
        cands.len() as u32,
        t / one as f64,
        false,
    );
    let t = time_n(n, |_| async move {
        let t = Instant::now();
        for c in &cands[..one] {
            black_box(secret.tag(&tags::id_input("gd-2026-r1-d1", &c.expert)));
        }
        t.elapsed()
    })
    .await;
    part(
        "commit",
        &format!(
            "    (before: one VRF proof, one core, x{}; not called now)",
            cands.len()
        ),
        cands.len() as u32,
        t / one as f64,
        false,
    );
    let t = time_n(n, |_| async move {
        let pm = members.clone();
        let t = Instant::now();
        black_box(draw::assemble_pool(pm, cands, random32));
        t.elapsed()
    })
    .await;
    part(
        "commit",
        "  of which the rest: draw::assemble_pool (tokens, leaves, sort, JCS, root)",
        1,
        t,
        false,
    );
    let t = time_n(n, |_| async move {
        let t = Instant::now();
        black_box(pool::root(prepared.leaf_bytes.iter().map(|b| b.as_slice())));
        t.elapsed()
    })
    .await;
    part(
        "commit",
        "    of which Merkle root (pool::root)",
        1,
        t,
        false,
    );
    let t = time_n(n, |_| async move {
        let t = Instant::now();
        black_box(fill::check_feasible(spec, &prepared.leaves).is_ok());
        t.elapsed()
    })
    .await;
    part("commit", "fill::check_feasible", 1, t, true);
    let t = time_n(n, |_| async move {
        let pool = prepared.clone();
        let t = Instant::now();
        black_box(fairpanel::draws::prepared::PoolForm::new(pool, cands).unwrap());
        t.elapsed()
    })
    .await;
    part(
        "commit",
        "the pool's stored form (prepared::PoolForm: leaves, ids, openings JSON)",
        1,
        t,
        true,
    );
    let t = time_n(n, |k| async move {
        let e = NewEntry {
            time: clock.now(),
            province: Some(province()),
            body: Body::RosterChange(RosterChange {
                action: ReasonCode::try_from("update").unwrap(),
                changed: 1,
                roster: tagged(tag::ROSTER, &[&k.to_be_bytes()]),
                size: 1,
            }),
        };
        let t = Instant::now();
        store.append(key, ORIGIN, &[e]).await.unwrap();
        t.elapsed()
    })
    .await;
    part(
        "commit",
        "log append, one entry (sign, tiles, checkpoint, COMMIT)",
        1,
        t,
        true,
    );
    part("contribute", "log append, one entry (as above)", 1, t, true);
    part("reveal", "log append, one entry (as above)", 1, t, true);
    let t = time_n(n, |_| async move {
        let t = Instant::now();
        black_box(
            wf.load(p, draw_id)
                .await
                .map_err(|e| format!("{e:?}"))
                .unwrap(),
        );
        t.elapsed()
    })
    .await;
    part(
        "reveal",
        "Workflow::load (leaves parsed, expert ids)",
        1,
        t,
        true,
    );
    let seed = &Hash32(random32());
    let t = time_n(n, |_| async move {
        let t = Instant::now();
        black_box(draw::select(spec, &prepared.leaves, seed));
        t.elapsed()
    })
    .await;
    part("reveal", "draw::select (ranks + fill)", 1, t, true);
    parts
}

/// The province whose roster changes fall between a commit and its reveal in
/// the bundle measurement: another province's work, which a bundle must not
/// carry (protocol 1.7).
const OTHER: &str = "110000";
/// Roster changes of [`OTHER`] between that commit and its reveal (the issue's).
const OTHER_CHANGES: usize = 10_000;

/// The wall time of `cmd` run to completion, in ms; panics if it fails, so a
/// bundle that does not verify never yields a figure.
fn run_cmd(cmd: &mut std::process::Command) -> f64 {
    let t = Instant::now();
    let out = cmd.output().expect("spawn");
    let e = ms(t.elapsed());
    assert!(
        out.status.success(),
        "{cmd:?} failed: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    e
}

/// One bundle's figures: its size, `fairpanel verify`'s wall time and that
/// of `openssl dgst -sha256` on the same file (min of `n`, interleaved).
struct BundleRun {
    bytes: usize,
    verify: f64,
    openssl: Option<f64>,
}

fn time_bundle(bytes: &[u8], n: usize) -> BundleRun {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bundle.json");
    std::fs::write(&path, bytes).unwrap();
    let has_openssl = std::process::Command::new("openssl")
        .arg("version")
        .output()
        .is_ok_and(|o| o.status.success());
    let (mut verify, mut openssl) = (Vec::new(), Vec::new());
    for _ in 0..=n {
        verify.push(run_cmd(
            std::process::Command::new(env!("CARGO_BIN_EXE_fairpanel"))
                .arg("verify")
                .arg(&path),
        ));
        if has_openssl {
            openssl.push(run_cmd(
                std::process::Command::new("openssl")
                    .args(["dgst", "-sha256"])
                    .arg(&path),
            ));
        }
    }
    // The first of each is a warm-up (page cache, the binary's first load).
    BundleRun {
        bytes: bytes.len(),
        verify: min(&verify[1..]),
        openssl: has_openssl.then(|| min(&openssl[1..])),
    }
}

/// The bundle rows of issue 15, on this store: the bundle of a draw
/// (`draw_id`, revealed, nothing else between its commit and its reveal),
/// verified by the release `fairpanel verify` against `openssl dgst -sha256`
/// of its bytes; then a draw of the same pool with [`OTHER_CHANGES`] roster
/// changes of another province appended between its commit and its reveal,
/// whose bundle should be the same size and verify in the same time.
async fn bundles(wf: &Workflow<'_>, store: &Store, key: &SecretKey, draw_id: &str, n: usize) {
    let plain = wf
        .bundle(draw_id)
        .await
        .map_err(|e| format!("{e:?}"))
        .unwrap();
    let round = new_round(store, wf.clock, 3_000_000).await;
    let c = wf
        .commit(&round, &request())
        .await
        .map_err(|e| format!("{e:?}"))
        .unwrap();
    let other = Province::try_from(OTHER).unwrap();
    let t = Instant::now();
    for first in (0..OTHER_CHANGES).step_by(1_000) {
        let entries: Vec<NewEntry> = (first..OTHER_CHANGES.min(first + 1_000))
            .map(|k| NewEntry {
                time: wf.clock.now(),
                province: Some(other.clone()),
                body: Body::RosterChange(RosterChange {
                    action: ReasonCode::try_from("update").unwrap(),
                    changed: 1,
                    roster: tagged(tag::ROSTER, &[&(k as u64).to_be_bytes()]),
                    size: 1,
                }),
            })
            .collect();
        store.append(key, ORIGIN, &entries).await.unwrap();
    }
    let appended = t.elapsed().as_secs_f64();
    wf.contribute(&round.province, &c.id, "supervisor-1", Hash32([7; 32]))
        .await
        .map_err(|e| format!("{e:?}"))
        .unwrap();
    wf.clock.advance(1);
    wf.reveal(&round.province, &c.id)
        .await
        .map_err(|e| format!("{e:?}"))
        .unwrap();
    let crowded = wf
        .bundle(&c.id)
        .await
        .map_err(|e| format!("{e:?}"))
        .unwrap();
    // `DRAW_STORE_KEEP_BUNDLES=DIR` keeps both files (to time other verifiers).
    if let Some(dir) = std::env::var_os("DRAW_STORE_KEEP_BUNDLES") {
        let dir = Path::new(&dir);
        std::fs::create_dir_all(dir).unwrap();
        std::fs::write(dir.join("plain.json"), &plain).unwrap();
        std::fs::write(dir.join("crowded.json"), &crowded).unwrap();
    }
    let (a, b) = (time_bundle(&plain, n), time_bundle(&crowded, n));
    println!(
        "  bundle: {:.2} MB; fairpanel verify (release, whole process) min {:.1} ms",
        a.bytes as f64 / 1e6,
        a.verify
    );
    match a.openssl {
        Some(o) => println!(
            "    openssl dgst -sha256 of the same file min {o:.1} ms; ratio verify / openssl {:.2}x (target <= 3)  {}",
            a.verify / o,
            verdict(a.verify / o <= 3.0)
        ),
        None => println!("    openssl not found: no floor measured"),
    }
    println!(
        "  the same draw with {OTHER_CHANGES} roster changes of province {OTHER} between its commit and its reveal (appended in {appended:.1} s): bundle {:.2} MB ({:+} bytes), verify min {:.1} ms ({:.2}x the plain bundle's)",
        b.bytes as f64 / 1e6,
        b.bytes as i64 - a.bytes as i64,
        b.verify,
        b.verify / a.verify
    );
}

/// The child: one draw on the parent's store, reporting VmHWM before and after.
fn child() {
    let url = std::env::var("DRAW_STORE_URL").unwrap();
    let keys = std::env::var("DRAW_STORE_KEYS").unwrap();
    let round: i64 = std::env::var("DRAW_STORE_ROUND").unwrap().parse().unwrap();
    let now: u64 = std::env::var("DRAW_STORE_CLOCK").unwrap().parse().unwrap();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let store = Store::open(&url).await.unwrap();
        let key = fairpanel::serve::ensure_key(Path::new(&keys)).unwrap();
        let clock = Clock::manual(now);
        let wf = Workflow {
            store: &store,
            key: &key,
            origin: ORIGIN,
            clock: &clock,
            min_panel: 5,
            prepared: None,
            sheets: None,
        };
        let round = store.round(&province(), round).await.unwrap().unwrap();
        let base = vm("VmHWM:");
        let c = wf
            .commit(&round, &request())
            .await
            .map_err(|e| format!("{e:?}"))
            .unwrap();
        let after_commit = vm("VmHWM:");
        let reset = reset_hwm();
        let rss_at_reset = vm("VmRSS:");
        wf.contribute(
            &round.province,
            &c.id,
            "supervisor-1",
            fairpanel_core::Hash32([7; 32]),
        )
        .await
        .map_err(|e| format!("{e:?}"))
        .unwrap();
        clock.advance(1);
        wf.reveal(&round.province, &c.id)
            .await
            .map_err(|e| format!("{e:?}"))
            .unwrap();
        let after_reveal = vm("VmHWM:");
        let peak = if reset {
            after_commit.max(after_reveal)
        } else {
            after_reveal
        };
        println!(
            "MEM {base} {after_commit} {} {rss_at_reset} {after_reveal} {peak}",
            reset as u8
        );
        store.close().await;
    });
}

struct Mem {
    base: u64,
    commit: u64,
    reset: bool,
    rss_at_reset: u64,
    reveal: u64,
    peak: u64,
}

async fn memory(url: &str, keys: &Path, round: i64, now: u64) -> Result<Mem, String> {
    let exe = std::env::current_exe().map_err(|e| e.to_string())?;
    let keys = keys.to_path_buf();
    let url = url.to_string();
    // DRAW_STORE_CHILD_WRAP runs the child under a profiler, for instance
    // `heaptrack -o /tmp/draw` to see what holds the peak (its VmHWM then
    // includes the profiler's own memory).
    let wrap: Vec<String> = std::env::var("DRAW_STORE_CHILD_WRAP")
        .unwrap_or_default()
        .split_whitespace()
        .map(str::to_string)
        .collect();
    let out = tokio::task::spawn_blocking(move || {
        let mut cmd = match wrap.split_first() {
            Some((program, args)) => {
                let mut c = std::process::Command::new(program);
                c.args(args).arg(exe);
                c
            }
            None => std::process::Command::new(exe),
        };
        cmd.env(CHILD, "1")
            .env("DRAW_STORE_URL", url)
            .env("DRAW_STORE_KEYS", keys)
            .env("DRAW_STORE_ROUND", round.to_string())
            .env("DRAW_STORE_CLOCK", now.to_string())
            .output()
    })
    .await
    .map_err(|e| e.to_string())?
    .map_err(|e| e.to_string())?;
    let stdout = String::from_utf8_lossy(&out.stdout);
    let line = stdout
        .lines()
        .find_map(|l| l.strip_prefix("MEM "))
        .ok_or_else(|| {
            format!(
                "child failed ({}): {}",
                out.status,
                String::from_utf8_lossy(&out.stderr)
            )
        })?;
    let v: Vec<u64> = line.split(' ').filter_map(|x| x.parse().ok()).collect();
    if v.len() != 6 {
        return Err(format!("child printed {line:?}"));
    }
    Ok(Mem {
        base: v[0],
        commit: v[1],
        reset: v[2] == 1,
        rss_at_reset: v[3],
        reveal: v[4],
        peak: v[5],
    })
}

/// One point of the curve.
struct Point {
    experts: usize,
    floor: f64,
    draw: f64,
    prepared: f64,
    preparation: f64,
    cpu_floor: f64,
    cpu_draw: f64,
    cpu_prepared: f64,
    peak_mb: Option<f64>,
}

fn verdict(ok: bool) -> &'static str {
    if ok { "MET" } else { "NOT MET" }
}

async fn run(name: &str, url: &str, experts: usize, breakdown_at: usize) -> Point {
    let n = if experts > 100_000 {
        env_usize("DRAW_STORE_N", 2).min(2)
    } else {
        env_usize("DRAW_STORE_N", 5)
    };
    let store = Store::open(url).await.unwrap();
    let keys = tempfile::tempdir().unwrap();
    let key = fairpanel::serve::ensure_key(keys.path()).unwrap();
    let clock = Clock::manual(T0);
    let p = province();

    let t = Instant::now();
    let w = store
        .write_experts(
            &key,
            ORIGIN,
            &p,
            &records(experts),
            Must::BeNew,
            "import",
            clock.now(),
        )
        .await
        .unwrap()
        .unwrap();
    assert_eq!(w.total, experts);
    let loaded = t.elapsed().as_secs_f64();

    let wf = Workflow {
        store: &store,
        key: &key,
        origin: ORIGIN,
        clock: &clock,
        min_panel: 5,
        prepared: None,
        sheets: None,
    };
    // Fresh rounds for every draw, made outside the timed part.
    let mut rounds = Vec::new();
    for k in 0..=n {
        rounds.push(new_round(&store, &clock, k).await);
    }
    // Warm-up (untimed): one query, one draw.
    floor(&store).await;
    let (_, mut last_id) = one_draw(&wf, &rounds[0]).await;
    // Interleaved, so background load falls on both alike.
    let mut floors = Vec::new();
    let mut draws = Vec::new();
    let (mut cpu_floor, mut cpu_draw) = (0.0, 0.0);
    for round in &rounds[1..] {
        let c = cpu_ms();
        floors.push(floor(&store).await);
        cpu_floor += cpu_ms() - c;
        let c = cpu_ms();
        let (e, id) = one_draw(&wf, round).await;
        cpu_draw += cpu_ms() - c;
        draws.push(e);
        last_id = id;
    }
    // The same draw with its pool prepared ahead (issue 15, item 4): the
    // preview starts the preparation, the commit finds it ready. The latency
    // a coordinator waits for is the draw's; the work is both.
    let prep = fairpanel::draws::prepared::Prepared::default();
    let wfp = Workflow {
        store: &store,
        key: &key,
        origin: ORIGIN,
        clock: &clock,
        min_panel: 5,
        prepared: Some(&prep),
        sheets: None,
    };
    let mut ahead = Vec::new();
    let mut fast = Vec::new();
    let mut cpu_prepared = 0.0;
    for k in 0..n {
        let round = new_round(&store, &clock, n + 1 + k).await;
        let c = cpu_ms();
        let t = Instant::now();
        wfp.preview(&round, &request()).await.unwrap();
        while !prep.idle() {
            tokio::time::sleep(Duration::from_millis(2)).await;
        }
        ahead.push(ms(t.elapsed()));
        fast.push(one_draw(&wfp, &round).await.0);
        cpu_prepared += cpu_ms() - c;
        assert!(prep.is_empty(), "the commit took its preparation");
        assert_eq!(
            prep.finished_used(),
            k + 1,
            "the commit wrote the pool the preparation finished"
        );
    }
    let totals: Vec<f64> = draws.iter().map(Phases::total).collect();
    let fast_totals: Vec<f64> = fast.iter().map(Phases::total).collect();
    let (f, d) = (mean(&floors), mean(&totals));
    let nf = n as f64;
    let (cpu_floor, cpu_draw, cpu_prepared) = (cpu_floor / nf, cpu_draw / nf, cpu_prepared / nf);

    println!(
        "{name}: {experts} experts in {PROVINCE} (loaded through write_experts in {loaded:.2} s), N = {n}"
    );
    if name.starts_with("sqlite") {
        match sqlite3_import(&records(experts)) {
            Some(floor) => println!(
                "  import: write_experts {loaded:.2} s, sqlite3 .import of the same rows as CSV {floor:.2} s, ratio {:.2}x (target <= 3)",
                loaded / floor
            ),
            None => println!("  import: sqlite3 not found, no floor measured"),
        }
    }
    println!(
        "  floor: SELECT expert_id, record … ORDER BY random() LIMIT 7   mean {f:9.1} ms   min {:9.1} ms   CPU {cpu_floor:7.1} ms",
        min(&floors)
    );
    let phase = |v: &[Phases], g: fn(&Phases) -> f64| mean(&v.iter().map(g).collect::<Vec<_>>());
    println!(
        "  draw:  commit + contribution + reveal (panel 7 + 3 alt.)  mean {d:9.1} ms   min {:9.1} ms   (commit {:.1}, contribution {:.1}, reveal {:.1})",
        min(&totals),
        phase(&draws, |p| p.commit),
        phase(&draws, |p| p.contribute),
        phase(&draws, |p| p.reveal),
    );
    println!(
        "  ratio draw / floor {:8.2}x   (target <= {TARGET_RATIO})  {}",
        d / f,
        verdict(d / f <= TARGET_RATIO)
    );
    let (a, q) = (mean(&ahead), mean(&fast_totals));
    println!(
        "  prepared ahead: preview + preparation {a:9.1} ms (wall, every core); then the draw mean {q:9.1} ms   min {:9.1} ms   (commit {:.1}, contribution {:.1}, reveal {:.1})",
        min(&fast_totals),
        phase(&fast, |p| p.commit),
        phase(&fast, |p| p.contribute),
        phase(&fast, |p| p.reveal),
    );
    println!(
        "  ratio prepared draw / floor {:8.2}x   (target <= {TARGET_RATIO})  {}",
        q / f,
        verdict(q / f <= TARGET_RATIO)
    );
    println!(
        "  CPU per draw (this process, user + system): unprepared {cpu_draw:.0} ms ({:.1}x the floor's time); prepared, preview and preparation included {cpu_prepared:.0} ms ({:.1}x, target <= {TARGET_CPU})  {}",
        cpu_draw / f,
        cpu_prepared / f,
        verdict(cpu_prepared / f <= TARGET_CPU)
    );

    if experts == breakdown_at {
        let parts_n = env_usize("DRAW_STORE_PARTS_N", n.min(5));
        let parts = breakdown(&store, &key, &clock, &wf, &last_id, parts_n).await;
        println!(
            "  breakdown of the unprepared draw (steps timed alone, mean of {parts_n}):   x/draw    each ms  per draw ms  of phase"
        );
        for (phase, measured) in [
            ("commit", phase(&draws, |p| p.commit)),
            ("contribute", phase(&draws, |p| p.contribute)),
            ("reveal", phase(&draws, |p| p.reveal)),
        ] {
            println!("    {phase} ({measured:.1} ms measured in the draws above)");
            let mut sum = 0.0;
            for part in parts.iter().filter(|p| p.phase == phase) {
                let per = part.each * part.per_draw as f64;
                if part.top {
                    sum += per;
                }
                println!(
                    "      {:<72} {:>6}  {:9.3}  {:11.1}  {:4.0}%",
                    part.name,
                    part.per_draw,
                    part.each,
                    per,
                    100.0 * per / measured
                );
            }
            println!(
                "      {:<72} {:>6}  {:>9}  {:11.1}  {:4.0}%",
                "rest (the phase's other queries and writes, its transaction, noise)",
                "",
                "",
                measured - sum,
                100.0 * (measured - sum) / measured
            );
        }
    }

    if experts == breakdown_at {
        bundles(&wf, &store, &key, &last_id, n.min(5)).await;
    }

    // Peak memory of one draw, in a process of its own.
    let round = new_round(&store, &clock, 2_000_000).await;
    let peak_mb = match memory(url, keys.path(), round.id, clock.now() + 10).await {
        Ok(m) => {
            let delta = mb(m.peak.saturating_sub(m.base));
            println!(
                "  peak memory of one draw (child process, VmHWM): after opening the store {:.1} MB, after the draw {:.1} MB; the draw's own {delta:.1} MB (target <= {TARGET_MB} MB)  {}",
                mb(m.base),
                mb(m.peak),
                verdict(delta <= TARGET_MB)
            );
            if m.reset {
                println!(
                    "    commit: VmHWM {:.1} MB (+{:.1});  reveal: RSS before {:.1} MB, VmHWM {:.1} MB (+{:.1})",
                    mb(m.commit),
                    mb(m.commit.saturating_sub(m.base)),
                    mb(m.rss_at_reset),
                    mb(m.reveal),
                    mb(m.reveal.saturating_sub(m.base)),
                );
            }
            Some(delta)
        }
        Err(e) => {
            println!("  peak memory: child failed: {e}");
            None
        }
    };
    store.close().await;
    Point {
        experts,
        floor: f,
        draw: d,
        prepared: q,
        preparation: a,
        cpu_floor,
        cpu_draw,
        cpu_prepared,
        peak_mb,
    }
}

fn curve(name: &str, points: &[Point]) {
    println!("{name}: the curve (means; ratios to the floor's time)");
    println!(
        "  {:>9} {:>9} {:>18} {:>18} {:>11} {:>18} {:>18} {:>9} {:>10}",
        "experts",
        "floor ms",
        "draw ms (x)",
        "prepared ms (x)",
        "prep. ms",
        "CPU draw ms (x)",
        "CPU w/ prep. (x)",
        "CPU fl.",
        "peak MB"
    );
    for p in points {
        println!(
            "  {:>9} {:>9.1} {:>10.1} ({:>5.0}) {:>10.1} ({:>5.0}) {:>11.1} {:>10.0} ({:>5.0}) {:>10.0} ({:>5.0}) {:>9.1} {:>10}",
            p.experts,
            p.floor,
            p.draw,
            p.draw / p.floor,
            p.prepared,
            p.prepared / p.floor,
            p.preparation,
            p.cpu_draw,
            p.cpu_draw / p.floor,
            p.cpu_prepared,
            p.cpu_prepared / p.floor,
            p.cpu_floor,
            p.peak_mb.map_or("-".into(), |m| format!("{m:.1}"))
        );
    }
}

fn main() {
    // The allocator as the service's `main` sets it (`fairpanel::memory`),
    // for the timings and the memory child alike.
    fairpanel::memory::tune();
    if std::env::var_os(CHILD).is_some() {
        child();
        return;
    }
    let sizes = sizes();
    let breakdown_at = std::env::var("DRAW_STORE_BREAKDOWN")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| {
            sizes
                .iter()
                .copied()
                .filter(|&s| s <= 100_000)
                .max()
                .unwrap_or(0)
        });
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let mut points = Vec::new();
        for &size in &sizes {
            let dir = tempfile::tempdir().unwrap();
            points.push(
                run(
                    "sqlite (file, WAL)",
                    &format!("sqlite:{}", dir.path().join("bench.sqlite").display()),
                    size,
                    breakdown_at,
                )
                .await,
            );
        }
        curve("sqlite (file, WAL)", &points);
        let mut points = Vec::new();
        for &size in &sizes {
            let db = format!("fp_bench_{}_{size}", std::process::id());
            let p = common::on_fresh_pg_database(&db, move |url| async move {
                run("postgres", &url, size, breakdown_at).await
            })
            .await;
            match p {
                Some(p) => points.push(p),
                None => break,
            }
        }
        if !points.is_empty() {
            curve("postgres", &points);
        }
    });
}
