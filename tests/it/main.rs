//! The one integration-test binary: the `fairpanel` command as a user runs it, and
//! the documentation checks.

mod auth;
mod backends;
mod browser;
mod cli;
mod docs;
mod draws;
mod experts;
mod http;
mod openapi;
mod processes;
mod scoring;
mod store;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn vectors() -> PathBuf {
    root().join("tests/vectors")
}

/// Runs `fairpanel ARGS` in `dir`.
pub fn fairpanel(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_fairpanel"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("run fairpanel")
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}
