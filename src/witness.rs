//! `fairpanel witness --log URL --key FILE --name NAME --state DIR`: a witness
//! in the sense of C2SP tlog-cosignature (issue 12, item 4), run by a
//! supervisor's office or the ministry. Each round is a [`Monitor`] round (the
//! new checkpoint must extend the last one the witness accepted: consistency
//! proof, every new entry checked); only then does the witness sign a
//! `cosignature/v1` line on it and hand the line to the instance, which checks
//! it against the witness key the admin registered and serves it with the
//! checkpoint. A fork or a rollback is refused: nothing is cosigned, both
//! checkpoints are printed, exit code 3.

use crate::monitor::{Monitor, Round, print_conflict};
use anyhow::{Context, Result};
use fairpanel_core::{PublicKey, SecretKey, cosignature};
use std::path::Path;
use std::time::Duration;

pub struct Witness {
    monitor: Monitor,
    name: String,
    key: SecretKey,
}

/// The outcome of one witness round.
#[derive(Debug, PartialEq)]
pub enum Cosigned {
    /// The checkpoint of `size` entries was cosigned at `time` and handed in.
    Yes { size: u64, time: u64 },
    /// A fork or rollback: refused, nothing cosigned.
    Refused {
        why: String,
        kept: String,
        seen: String,
    },
}

impl Witness {
    pub fn new(url: &str, dir: &Path, name: &str, key: SecretKey) -> Result<Witness> {
        if !fairpanel_core::checkpoint::origin_ok(name) {
            anyhow::bail!("{name:?} is not a valid witness name (no spaces, no +)");
        }
        Ok(Witness {
            monitor: Monitor::new(url, dir)?,
            name: name.to_string(),
            key,
        })
    }

    /// The monitor's state this witness keeps (the last checkpoint it accepted).
    pub fn monitor(&self) -> &Monitor {
        &self.monitor
    }

    /// One round: follow the log, then cosign what was accepted.
    pub async fn round(&self, log_key: Option<PublicKey>) -> Result<Cosigned> {
        match self.monitor.round(log_key).await? {
            Round::Conflict { why, kept, seen } => Ok(Cosigned::Refused { why, kept, seen }),
            Round::Consistent { .. } => {
                let kept = self
                    .monitor
                    .kept()?
                    .context("a consistent round keeps a checkpoint")?;
                if kept.size == 0 {
                    // The empty log's checkpoint is signed afresh, never stored: nothing to cosign.
                    return Ok(Cosigned::Yes { size: 0, time: 0 });
                }
                let time = crate::serve::now();
                let line = cosignature::sign(&kept.checkpoint, &self.name, &self.key, time)
                    .map_err(anyhow::Error::msg)?;
                self.monitor
                    .post(
                        "cosignatures",
                        &serde_json::json!({ "size": kept.size, "line": line }),
                    )
                    .await
                    .context("hand the cosignature to the instance")?;
                Ok(Cosigned::Yes {
                    size: kept.size,
                    time,
                })
            }
        }
    }
}

/// The command: rounds until a refusal (exit 3) or an error; with `once`, one
/// round (exit 0 when cosigned).
pub async fn run(
    url: &str,
    dir: &Path,
    name: &str,
    key: SecretKey,
    log_key: Option<PublicKey>,
    once: bool,
    every: Duration,
) -> Result<std::process::ExitCode> {
    std::fs::create_dir_all(dir).with_context(|| format!("create {}", dir.display()))?;
    let w = Witness::new(url, dir, name, key)?;
    loop {
        match w.round(log_key).await? {
            Cosigned::Yes { size, time } => {
                println!("cosigned: the checkpoint of {size} entries, time {time}, as {name}");
            }
            Cosigned::Refused { why, kept, seen } => {
                println!("REFUSED to cosign:");
                print_conflict("witness", &why, &kept, &seen);
                return Ok(std::process::ExitCode::from(3));
            }
        }
        if once {
            return Ok(std::process::ExitCode::SUCCESS);
        }
        tokio::time::sleep(every).await;
    }
}
