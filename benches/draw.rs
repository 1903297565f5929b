//! The draw core's benchmark, in one run: the draw over a 100,000-member pool
//! against the Merkle root over the same leaves (target ≤ 2×), and `verify_bundle`
//! on that draw's bundle against SHA-256 of the bundle's bytes (target ≤ 3×).
//!
//! `cargo bench --bench draw` prints criterion's figures, then the ratios.

use criterion::{Criterion, criterion_group};
use fairpanel_core::beacon;
use fairpanel_core::draw::{self, Candidate};
use fairpanel_core::hash::{Hash32, sha256};
use fairpanel_core::ledger::Ledger;
use fairpanel_core::pool;
use fairpanel_core::script::{BeaconPlan, Commitment, ScriptedDraw};
use fairpanel_core::types::{DrawId, DrawSpec, Province, Quota, Specialty};
use fairpanel_core::{SecretKey, verify_bundle};
use std::hint::black_box;

const N: usize = 100_000;
/// The recorded drand quicknet round 1000 (one copy, the demo's).
const ROUND_SIG: &str = fairpanel::demo::ROUND_SIG;
const SPECS: &[&str] = &[
    "adv_manufacturing",
    "strategic_emerging",
    "childcare",
    "nursing",
    "elderly_care",
    "domestic_services",
];

fn candidates() -> Vec<Candidate> {
    (0..N)
        .map(|i| Candidate {
            expert: format!("E{i:06}"),
            name: format!("专家{i}"),
            org: format!("org-{}", i % 5_000),
            code: String::new(),
            spec: Specialty::try_from(SPECS[i % SPECS.len()]).unwrap(),
            excluded: None,
        })
        .collect()
}

/// A revealed draw over N members and its bundle.
fn revealed(spec: DrawSpec) -> (ScriptedDraw, Vec<u8>, fairpanel_core::PublicKey) {
    let key = SecretKey::from_seed(&[1; 32]);
    let public = key.public();
    let mut log = Ledger::new("bench.example/log", key);
    let t = beacon::round_time(1000) - 60;
    let mut d = ScriptedDraw::commit(
        &mut log,
        [2; 32],
        Commitment {
            province: Province::try_from("440000").unwrap(),
            draw: DrawId::try_from("bench").unwrap(),
            title: "benchmark",
            spec,
            candidates: &candidates(),
            time: t,
            beacon: BeaconPlan::Margin(60),
            entropy_window: 50,
            personal_keys: false,
        },
    )
    .unwrap();
    d.entropy(&mut log, t + 5, "supervisor", None);
    d.beacon(&mut log, t + 70, 1000, ROUND_SIG);
    d.reveal(&mut log, t + 80, |_| {});
    let bytes = d.bundle(&log);
    (d, bytes, public)
}

fn plain() -> DrawSpec {
    DrawSpec {
        panel: 7,
        alternates: 3,
        org_cap: None,
        quotas: vec![],
    }
}

fn constrained() -> DrawSpec {
    DrawSpec {
        panel: 9,
        alternates: 4,
        org_cap: Some(1),
        quotas: vec![
            Quota {
                min: 2,
                spec: Specialty::try_from("nursing").unwrap(),
            },
            Quota {
                min: 2,
                spec: Specialty::try_from("childcare").unwrap(),
            },
            Quota {
                min: 1,
                spec: Specialty::try_from("elderly_care").unwrap(),
            },
        ],
    }
}

fn bench(c: &mut Criterion) {
    let (d, bytes, public) = revealed(plain());
    let seed = Hash32(sha256(b"bench seed").0);
    let mut g = c.benchmark_group("core");
    g.sample_size(10);
    g.bench_function("draw_100k", |b| {
        b.iter(|| draw::select(black_box(&d.spec), black_box(&d.pool.leaves), &seed))
    });
    let cons = constrained();
    g.bench_function("draw_100k_quotas_cap", |b| {
        b.iter(|| draw::select(black_box(&cons), black_box(&d.pool.leaves), &seed))
    });
    g.bench_function("merkle_root_100k", |b| {
        b.iter(|| pool::root(black_box(&d.pool.leaf_bytes).iter().map(|l| l.as_slice())))
    });
    g.bench_function("sha256_bundle", |b| b.iter(|| sha256(black_box(&bytes))));
    g.bench_function("verify_bundle_100k", |b| {
        b.iter(|| {
            let r = verify_bundle(black_box(&bytes), Some(&public)).unwrap();
            assert!(r.ok());
        })
    });
    g.finish();
    println!(
        "bundle: {} bytes for {} pool members",
        bytes.len(),
        d.pool.leaves.len()
    );
    if let Ok(path) = std::env::var("FAIRPANEL_BENCH_BUNDLE") {
        // For profiling the verifier outside criterion.
        std::fs::write(path, &bytes).expect("write the bundle");
    }
}

/// Reads criterion's point estimate (mean, ns) for one benchmark of this run.
fn mean_ns(name: &str) -> Option<f64> {
    let dir = std::env::var("CARGO_TARGET_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|_| std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target"));
    let path = dir
        .join("criterion/core")
        .join(name)
        .join("new/estimates.json");
    let v: serde_json::Value = serde_json::from_slice(&std::fs::read(path).ok()?).ok()?;
    v["mean"]["point_estimate"].as_f64()
}

criterion_group!(benches, bench);

fn main() {
    // The allocator as the service's `main` sets it (`fairpanel::memory`).
    fairpanel::memory::tune();
    benches();
    Criterion::default().configure_from_args().final_summary();
    let f = |n| mean_ns(n).map(|x| x / 1e6);
    if let (Some(draw), Some(cons), Some(root), Some(hash), Some(verify)) = (
        f("draw_100k"),
        f("draw_100k_quotas_cap"),
        f("merkle_root_100k"),
        f("sha256_bundle"),
        f("verify_bundle_100k"),
    ) {
        println!("\nfigures (mean, ms):");
        println!("  draw, 100k pool, no constraints  {draw:9.3}");
        println!("  draw, 100k pool, quotas + cap    {cons:9.3}");
        println!("  Merkle root over the 100k leaves {root:9.3}");
        println!("  SHA-256 of the bundle's bytes    {hash:9.3}");
        println!("  verify_bundle on that bundle     {verify:9.3}");
        println!("ratios:");
        println!(
            "  draw / Merkle root               {:6.2}x  (target <= 2)",
            draw / root
        );
        println!("  draw (quotas + cap) / Merkle root{:6.2}x", cons / root);
        println!(
            "  verify / SHA-256 of bytes        {:6.2}x  (target <= 3)",
            verify / hash
        );
    }
}
