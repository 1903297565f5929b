//! Delivers queued notifications (the `outbox` table) to a webhook: each row's
//! JSON payload is POSTed to the configured URL; a 2xx answer marks it sent,
//! anything else counts an attempt and keeps the error for the coordinator's
//! outbox view. SMS or voice gateways plug in behind the webhook.
//!
//! Delivery is at least once: a row is claimed (its attempt counted) before it
//! is sent, so several processes on one database rarely send the same row, but
//! a crash between sending and marking can repeat it. Payloads carry the draw
//! and seat so receivers can drop repeats.

use crate::client::Http;
use crate::store::Store;
use crate::with_pool;
use anyhow::Result;
use std::time::Duration;

/// Attempts before a notification is left for a person to look at.
pub const MAX_ATTEMPTS: i64 = 20;
/// How often the sender looks for work.
pub const INTERVAL: Duration = Duration::from_secs(2);

/// Sends what is due now; returns how many were delivered.
pub async fn deliver_due(store: &Store, http: &Http, url: &str, now: u64) -> Result<usize> {
    let due: Vec<(i64, String, i64)> = with_pool!(store, p => sqlx::query_as(
        "SELECT id, payload, attempts FROM outbox WHERE sent_at IS NULL AND attempts < $1 ORDER BY id LIMIT 50")
        .bind(MAX_ATTEMPTS)
        .fetch_all(p)
        .await?);
    let mut sent = 0;
    for (id, payload, attempts) in due {
        // Claim the row: only one sender moves `attempts` from this value.
        let claimed = with_pool!(store, p => sqlx::query(
            "UPDATE outbox SET attempts = attempts + 1 WHERE id = $1 AND attempts = $2 AND sent_at IS NULL")
            .bind(id)
            .bind(attempts)
            .execute(p)
            .await?
            .rows_affected());
        if claimed != 1 {
            continue;
        }
        let body: serde_json::Value = serde_json::from_str(&payload)?;
        let outcome = match http.send("POST", url, None, Some(&body)).await {
            Ok(r) if (200..300).contains(&r.status) => Ok(()),
            Ok(r) => Err(format!(
                "HTTP {}: {}",
                r.status,
                String::from_utf8_lossy(&r.body)
                    .chars()
                    .take(200)
                    .collect::<String>()
            )),
            Err(e) => Err(format!("{e:#}")),
        };
        match outcome {
            Ok(()) => {
                with_pool!(store, p => sqlx::query("UPDATE outbox SET sent_at = $1, last_error = NULL WHERE id = $2")
                    .bind(now as i64)
                    .bind(id)
                    .execute(p)
                    .await
                    .map(|_| ())?);
                sent += 1;
            }
            Err(e) => {
                tracing::warn!(id, error = %e, "notification not delivered");
                with_pool!(store, p => sqlx::query("UPDATE outbox SET last_error = $1 WHERE id = $2")
                    .bind(e)
                    .bind(id)
                    .execute(p)
                    .await
                    .map(|_| ())?);
            }
        }
    }
    Ok(sent)
}

/// Runs the sender until the process ends.
pub fn spawn(store: Store, url: String, clock: crate::clock::Clock) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let http = Http::new(Duration::from_secs(10));
        loop {
            if let Err(e) = deliver_due(&store, &http, &url, clock.now()).await {
                tracing::warn!(error = %format!("{e:#}"), "outbox sender");
            }
            tokio::time::sleep(INTERVAL).await;
        }
    })
}
