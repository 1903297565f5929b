//! The browser verifier (`web/verifier`, TypeScript) under Node's test runner,
//! with this build's `fairpanel` binary: every vector with the outcome
//! `index.json` names, bad input, and the agreement of the two verifiers on
//! the demo's bundles and on bundles mutated at random from a fixed seed
//! (`web/verifier/test/`). Without Node or `node_modules` the run is skipped
//! and the test binary ends with a `SKIPPED:` line; under CI it fails.

use super::*;
use std::sync::atomic::{AtomicU32, Ordering};

static SKIPPED: AtomicU32 = AtomicU32::new(0);

/// Says, once the test binary exits (after libtest's summary, on stderr, which
/// libtest does not capture), that the TypeScript verifier's tests did not run.
#[cfg(target_os = "linux")]
#[used]
#[unsafe(link_section = ".fini_array")]
static REPORT_SKIPS: extern "C" fn() = report_skips;

extern "C" fn report_skips() {
    if SKIPPED.load(Ordering::SeqCst) > 0 {
        use std::io::Write;
        let _ = writeln!(
            std::io::stderr(),
            "SKIPPED: 1 run of the TypeScript verifier's tests (web/verifier/test): node or node_modules is missing; install Node.js and run `npm ci`"
        );
    }
}

#[test]
fn the_typescript_verifier_passes_every_vector_and_agrees_with_fairpanel_verify() {
    let node = Command::new("node")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    let modules = root().join("node_modules/@noble/curves").is_dir();
    if !(node && modules) {
        if backends::under_ci() {
            panic!(
                "Node.js and node_modules are required under CI: install Node.js and run `npm ci`"
            );
        }
        SKIPPED.fetch_add(1, Ordering::SeqCst);
        eprintln!("NOTICE: node or node_modules missing; skipping the TypeScript verifier's tests");
        return;
    }
    let mut cmd = Command::new("node");
    cmd.args(["--test", "web/verifier/test/"])
        .current_dir(root())
        .env("FAIRPANEL_BIN", env!("CARGO_BIN_EXE_fairpanel"));
    let o = output_within(cmd, Duration::from_secs(1200));
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(
        o.status.success(),
        "node --test web/verifier/test/ failed:\n{out}\n{}",
        String::from_utf8_lossy(&o.stderr)
    );
    // Node's runner ends with its counts; every test ran and none was skipped.
    assert!(out.contains("\n# fail 0\n"), "{out}");
    assert!(out.contains("\n# skipped 0\n"), "{out}");
}
