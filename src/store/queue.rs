//! Group commit for log appends: requests from many tasks are queued, and one
//! writer task appends whatever has gathered in a single transaction (one lock
//! of the head, one checkpoint, one commit), then answers each request with its
//! own sequence numbers. Order within a request is kept; across requests it is
//! arrival order.

use super::Store;
use super::log::NewEntry;
use anyhow::{Result, anyhow};
use fairpanel_core::SecretKey;
use fairpanel_core::hash::Hash32;
use std::sync::Arc;
use tokio::sync::{mpsc, oneshot};

/// At most this many entries go into one transaction.
pub const MAX_BATCH: usize = 256;

type Reply = oneshot::Sender<Result<Vec<(u64, Hash32)>, String>>;

#[derive(Clone)]
pub struct AppendQueue {
    tx: mpsc::Sender<(Vec<NewEntry>, Reply)>,
}

impl AppendQueue {
    /// Starts the writer task.
    pub fn start(store: Store, key: Arc<SecretKey>, origin: Arc<str>) -> AppendQueue {
        let (tx, mut rx) = mpsc::channel::<(Vec<NewEntry>, Reply)>(4 * MAX_BATCH);
        tokio::spawn(async move {
            while let Some(first) = rx.recv().await {
                let mut batch = vec![first];
                let mut n = batch[0].0.len();
                while n < MAX_BATCH {
                    match rx.try_recv() {
                        Ok(next) => {
                            n += next.0.len();
                            batch.push(next);
                        }
                        Err(_) => break,
                    }
                }
                let all: Vec<NewEntry> =
                    batch.iter().flat_map(|(e, _)| e.iter().cloned()).collect();
                match store.append(&key, &origin, &all).await {
                    Ok(done) => {
                        let mut at = 0;
                        for (entries, reply) in batch {
                            let k = entries.len();
                            let _ = reply.send(Ok(done[at..at + k].to_vec()));
                            at += k;
                        }
                    }
                    Err(e) => {
                        // Nothing of the batch was written: every caller hears so.
                        let msg = format!("{e:#}");
                        for (_, reply) in batch {
                            let _ = reply.send(Err(msg.clone()));
                        }
                    }
                }
            }
        });
        AppendQueue { tx }
    }

    /// Appends `entries` (in order, contiguous) and waits until they are committed.
    pub async fn append(&self, entries: Vec<NewEntry>) -> Result<Vec<(u64, Hash32)>> {
        let (reply, wait) = oneshot::channel();
        self.tx
            .send((entries, reply))
            .await
            .map_err(|_| anyhow!("the log writer has stopped"))?;
        wait.await
            .map_err(|_| anyhow!("the log writer has stopped"))?
            .map_err(|e| anyhow!("append failed: {e}"))
    }
}
