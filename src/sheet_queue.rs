//! Group commit for score-sheet submissions (issue 15, item 6). A request
//! checks its sheet against the rubric on its own task, then queues it; one
//! writer task writes whatever has gathered in one transaction
//! ([`Workflow::write_sheets`]: each sheet's rows after its own checks, one
//! append of all their entries and of any lock they complete, one checkpoint,
//! one anchor write, one commit) and answers each request with its own
//! outcome. A sheet refused in the batch writes nothing and is told why; an
//! error of the batch (the database, the log) writes nothing for any of them.

use crate::clock::Clock;
use crate::draws::prepared::Prepared;
use crate::draws::{DrawError, Workflow};
use crate::scores::SheetJob;
use crate::store::Store;
use anyhow::anyhow;
use fairpanel_core::SecretKey;
use std::sync::Arc;
use tokio::sync::{mpsc, oneshot};

/// At most this many sheets go into one transaction.
pub const MAX_BATCH: usize = 64;

type Outcome = Result<(u64, String), DrawError>;
type Reply = oneshot::Sender<Outcome>;

/// What the writer needs to build its [`Workflow`].
pub struct Writer {
    pub store: Store,
    pub key: Arc<SecretKey>,
    pub origin: Arc<str>,
    pub clock: Clock,
    pub min_panel: u32,
    pub prepared: Arc<Prepared>,
}

#[derive(Clone)]
pub struct SheetQueue {
    tx: mpsc::Sender<(SheetJob, Reply)>,
}

/// The same refusal for every sheet of a failed batch.
fn again(e: &DrawError) -> DrawError {
    match e {
        DrawError::NotFound(m) => DrawError::NotFound(m.clone()),
        DrawError::Conflict(m) => DrawError::Conflict(m.clone()),
        DrawError::Invalid(m) => DrawError::Invalid(m.clone()),
        DrawError::Internal(e) => DrawError::Internal(anyhow!("{e:#}")),
        other => DrawError::Internal(anyhow!("{other:?}")),
    }
}

impl SheetQueue {
    /// Starts the writer task (it ends when the last queue handle is dropped).
    pub fn start(w: Writer) -> SheetQueue {
        let (tx, mut rx) = mpsc::channel::<(SheetJob, Reply)>(4 * MAX_BATCH);
        tokio::spawn(async move {
            let wf = Workflow {
                store: &w.store,
                key: &w.key,
                origin: &w.origin,
                clock: &w.clock,
                min_panel: w.min_panel,
                prepared: Some(&w.prepared),
                sheets: None,
            };
            while let Some(first) = rx.recv().await {
                let mut jobs = vec![first.0];
                let mut replies = vec![first.1];
                while jobs.len() < MAX_BATCH {
                    match rx.try_recv() {
                        Ok((j, r)) => {
                            jobs.push(j);
                            replies.push(r);
                        }
                        Err(_) => break,
                    }
                }
                match wf.write_sheets(&jobs).await {
                    Ok(outcomes) => {
                        for (o, reply) in outcomes.into_iter().zip(replies) {
                            let _ = reply.send(o);
                        }
                    }
                    Err(e) => {
                        for reply in replies {
                            let _ = reply.send(Err(again(&e)));
                        }
                    }
                }
            }
        });
        SheetQueue { tx }
    }

    /// Queues a checked sheet and waits until it is written (or refused).
    pub async fn submit(&self, job: SheetJob) -> Outcome {
        let (reply, wait) = oneshot::channel();
        let stopped = || DrawError::Internal(anyhow!("the sheet writer has stopped"));
        self.tx.send((job, reply)).await.map_err(|_| stopped())?;
        wait.await.map_err(|_| stopped())?
    }
}
