//! The one integration-test binary: the `fairpanel` command as a user runs it, and
//! the documentation checks.

mod accounts;
mod audit;
mod auth;
mod backends;
mod behaviours;
mod browser;
mod cli;
mod docs;
mod draws;
mod expert_keys;
mod experts;
mod http;
mod hygiene;
mod isolation;
mod key_replace;
mod materials;
mod ministry;
mod monitor;
mod notice;
mod observe;
mod openapi;
mod ops;
mod personal_keys;
mod processes;
mod province_chain;
mod public;
mod races;
mod report;
mod restarts;
mod review_report;
mod roster_hash;
mod scoring;
mod secrecy;
mod store;
mod supplement;
mod tags;
mod tls;
mod tsverifier;
mod witness;

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn vectors() -> PathBuf {
    root().join("tests/vectors")
}

/// How long one `fairpanel` command may run before the test fails (a hang must
/// fail the test, not block the run; the demo, the slowest, takes seconds).
pub const COMMAND_TIMEOUT: Duration = Duration::from_secs(300);

/// Runs `fairpanel ARGS` in `dir`, killing it and failing after
/// [`COMMAND_TIMEOUT`].
pub fn fairpanel(dir: &Path, args: &[&str]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_fairpanel"));
    cmd.args(args).current_dir(dir);
    output_within(cmd, COMMAND_TIMEOUT)
}

/// `cmd.output()`, but killed and failed after `limit`.
pub fn output_within(mut cmd: Command, limit: Duration) -> Output {
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run fairpanel");
    // Read both pipes on their own threads so that a full pipe cannot block it.
    let mut out = child.stdout.take().unwrap();
    let mut err = child.stderr.take().unwrap();
    let out = std::thread::spawn(move || {
        let mut b = Vec::new();
        let _ = out.read_to_end(&mut b);
        b
    });
    let err = std::thread::spawn(move || {
        let mut b = Vec::new();
        let _ = err.read_to_end(&mut b);
        b
    });
    let deadline = Instant::now() + limit;
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("{cmd:?} did not finish within {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    Output {
        status,
        stdout: out.join().unwrap(),
        stderr: err.join().unwrap(),
    }
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}
