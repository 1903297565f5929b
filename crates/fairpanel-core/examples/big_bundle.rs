//! Writes the bundles of two revealed draws over a large pool (default 100,000
//! members), for the benchmark that times the browser verifier against
//! `fairpanel verify` on the same files (`web/verifier/bench/verify.mjs`):
//! `cargo run --release -p fairpanel-core --example big-bundle -- OUT_DIR [N]`
//! writes `OUT_DIR/plain-N.json` (no constraints), `OUT_DIR/constrained-N.json`
//! (quotas and an organisation cap of 1) and `OUT_DIR/key.pub`.
use fairpanel_core::SecretKey;
use fairpanel_core::beacon;
use fairpanel_core::draw::Candidate;
use fairpanel_core::ledger::Ledger;
use fairpanel_core::script::{BeaconPlan, Commitment, ScriptedDraw};
use fairpanel_core::types::{DrawId, DrawSpec, Province, Quota, Specialty};

/// The recorded drand quicknet round 1000 (the vectors' and the demo's).
const ROUND_SIG: &str = "b44679b9a59af2ec876b1a6b1ad52ea9b1615fc3982b19576350f93447cb1125e342b73a8dd2bacbe47e4b6b63ed5e39";
const SPECS: &[&str] = &[
    "adv_manufacturing",
    "strategic_emerging",
    "childcare",
    "nursing",
    "elderly_care",
    "domestic_services",
];

fn main() {
    let mut args = std::env::args().skip(1);
    let out = std::path::PathBuf::from(args.next().expect("usage: big-bundle OUT_DIR [N]"));
    let n: usize = args
        .next()
        .map(|s| s.parse().expect("N"))
        .unwrap_or(100_000);
    std::fs::create_dir_all(&out).expect("create OUT_DIR");
    let candidates: Vec<Candidate> = (0..n)
        .map(|i| Candidate {
            expert: format!("E{i:06}"),
            name: format!("专家{i}"),
            org: format!("org-{}", i % 5_000),
            code: String::new(),
            spec: Specialty::try_from(SPECS[i % SPECS.len()]).unwrap(),
            excluded: None,
        })
        .collect();
    let q = |min, s: &str| Quota {
        min,
        spec: Specialty::try_from(s).unwrap(),
    };
    let specs = [
        (
            "plain",
            DrawSpec {
                panel: 7,
                alternates: 3,
                org_cap: None,
                quotas: vec![],
            },
        ),
        (
            "constrained",
            DrawSpec {
                panel: 9,
                alternates: 4,
                org_cap: Some(1),
                quotas: vec![q(2, "nursing"), q(2, "childcare"), q(1, "elderly_care")],
            },
        ),
    ];
    let key = SecretKey::from_seed(&[1; 32]);
    std::fs::write(
        out.join("key.pub"),
        format!("{}\n", key.public().to_base64()),
    )
    .unwrap();
    for (name, spec) in specs {
        let mut log = Ledger::new("bench.example/log", SecretKey::from_seed(&[1; 32]));
        let t = beacon::round_time(1000) - 60;
        let mut d = ScriptedDraw::commit(
            &mut log,
            [2; 32],
            Commitment {
                province: Province::try_from("440000").unwrap(),
                draw: DrawId::try_from("bench").unwrap(),
                title: "benchmark",
                spec,
                candidates: &candidates,
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
        let path = out.join(format!("{name}-{n}.json"));
        std::fs::write(&path, d.bundle(&log)).unwrap();
        println!("{}", path.display());
    }
}
