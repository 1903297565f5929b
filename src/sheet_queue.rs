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
use fairpanel_core::hash::Hash32;
use fairpanel_core::scoring::Rubric;
use fairpanel_core::types::Token;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
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
    memo: Arc<Memo>,
}

/// A panel's members: expert id and token, in seat order.
pub type Members = Arc<Vec<(String, Token)>>;

/// At most this many values of each kind are kept (then all are dropped).
const MEMO_MAX: usize = 256;

/// What the per-request checks of a sheet would otherwise parse again on
/// every request, memoised by the exact bytes that determine it (read from
/// the database on every request as before): so a value is never stale,
/// whatever another instance changed. Per server (one database).
#[derive(Default)]
pub struct Memo {
    /// (draw id, its `panel` column) → the seated members' expert ids and
    /// tokens, parsed from the draw's pool leaves. A pool is written once,
    /// with its draw, and never rewritten (`draw_pools`), so the draw id and
    /// the panel's seat indexes determine the members.
    panels: Mutex<HashMap<(String, String), Members>>,
    /// A stored rubric's JSON → the rubric and its hash.
    rubrics: Mutex<HashMap<String, Arc<(Rubric, Hash32)>>>,
    /// Whether a draw's commit requires personal keys: fixed by the commit
    /// entry, which never changes.
    personal_keys: Mutex<HashMap<String, bool>>,
}

fn memo_get<K: std::hash::Hash + Eq, V: Clone>(m: &Mutex<HashMap<K, V>>, k: &K) -> Option<V> {
    m.lock().expect("the sheet memo").get(k).cloned()
}

fn memo_put<K: std::hash::Hash + Eq, V>(m: &Mutex<HashMap<K, V>>, k: K, v: V) {
    let mut m = m.lock().expect("the sheet memo");
    if m.len() >= MEMO_MAX {
        m.clear();
    }
    m.insert(k, v);
}

impl Memo {
    pub fn panel(&self, draw: &str, panel: &str) -> Option<Members> {
        memo_get(&self.panels, &(draw.to_string(), panel.to_string()))
    }

    pub fn keep_panel(&self, draw: &str, panel: &str, members: Members) {
        memo_put(&self.panels, (draw.to_string(), panel.to_string()), members);
    }

    /// The rubric stored as `json`, parsed and hashed once.
    pub fn personal_keys(&self, draw: &str) -> Option<bool> {
        memo_get(&self.personal_keys, &draw.to_string())
    }

    pub fn keep_personal_keys(&self, draw: &str, required: bool) {
        memo_put(&self.personal_keys, draw.to_string(), required);
    }

    pub fn rubric(&self, json: &str) -> serde_json::Result<Arc<(Rubric, Hash32)>> {
        if let Some(r) = self.rubrics.lock().expect("the sheet memo").get(json) {
            return Ok(r.clone());
        }
        let rubric: Rubric = serde_json::from_str(json)?;
        let hash = rubric.hash();
        let r = Arc::new((rubric, hash));
        memo_put(&self.rubrics, json.to_string(), r.clone());
        Ok(r)
    }
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
        SheetQueue {
            tx,
            memo: Arc::default(),
        }
    }

    /// The per-request checks' memo of this server.
    pub fn memo(&self) -> &Memo {
        &self.memo
    }

    /// Queues a checked sheet and waits until it is written (or refused).
    pub async fn submit(&self, job: SheetJob) -> Outcome {
        let (reply, wait) = oneshot::channel();
        let stopped = || DrawError::Internal(anyhow!("the sheet writer has stopped"));
        self.tx.send((job, reply)).await.map_err(|_| stopped())?;
        wait.await.map_err(|_| stopped())?
    }
}
