//! Delivers queued notifications (the `outbox` table) to a webhook: each row's
//! JSON payload is POSTed to the configured URL (https or http), signed with
//! the log's key; a 2xx answer marks it sent, anything else counts an attempt,
//! keeps the error for the coordinator's outbox view and waits longer before
//! the next one (exponential backoff), so a dead receiver is not hammered.
//! SMS or voice gateways plug in behind the webhook.
//!
//! Delivery is at least once: a row is claimed (its attempt counted, its next
//! attempt moved on) before it is sent, so several processes on one database
//! rarely send the same row, but a crash between sending and marking can repeat
//! it. Payloads carry the draw and seat so receivers can drop repeats.
//!
//! The signature ([`sign`]): `Fairpanel-Timestamp: <unix seconds>` and
//! `Fairpanel-Signature: keyid=<key id>,ed25519=<base64>`, an Ed25519
//! signature by the log's signing key over the bytes
//! `fairpanel-webhook-v1\n<timestamp>\n<body>`. The receiver checks it with the
//! province's published public key, and refuses old timestamps (replays).

use crate::client::Http;
use crate::store::Store;
use crate::with_pool;
use anyhow::Result;
use base64::Engine;
use fairpanel_core::SecretKey;
use std::sync::Arc;
use std::time::Duration;

/// Attempts before a notification is left for a person to look at.
pub const MAX_ATTEMPTS: i64 = 20;
/// How often the sender looks for work.
pub const INTERVAL: Duration = Duration::from_secs(2);
/// How long one delivery may take.
pub const TIMEOUT: Duration = Duration::from_secs(10);
/// The wait after the first failed attempt; it doubles with each further one.
pub const FIRST_RETRY: u64 = 10;
/// The longest wait between two attempts.
pub const MAX_RETRY: u64 = 3600;

/// What the signature covers comes after this line: a signature made for
/// anything else (a log entry, a checkpoint) never passes for a webhook's.
pub const SIGNATURE_CONTEXT: &str = "fairpanel-webhook-v1";
pub const TIMESTAMP_HEADER: &str = "fairpanel-timestamp";
pub const SIGNATURE_HEADER: &str = "fairpanel-signature";

/// Seconds to wait after attempt number `attempts` (1 for the first) failed:
/// 10 s, 20 s, 40 s, … up to an hour.
pub fn backoff(attempts: i64) -> u64 {
    let doublings = attempts.clamp(1, 32) as u32 - 1;
    FIRST_RETRY.saturating_mul(1u64 << doublings).min(MAX_RETRY)
}

/// The bytes a webhook signature covers.
pub fn signed_bytes(timestamp: u64, body: &[u8]) -> Vec<u8> {
    let mut m = format!("{SIGNATURE_CONTEXT}\n{timestamp}\n").into_bytes();
    m.extend_from_slice(body);
    m
}

/// The values of the `Fairpanel-Timestamp` and `Fairpanel-Signature` headers
/// for `body` sent at `timestamp`.
pub fn sign(key: &SecretKey, timestamp: u64, body: &[u8]) -> (String, String) {
    let sig = key.sign(&signed_bytes(timestamp, body));
    (
        timestamp.to_string(),
        format!(
            "keyid={},ed25519={}",
            key.public().key_id(),
            base64::engine::general_purpose::STANDARD.encode(sig)
        ),
    )
}

/// Sends what is due at `now`, signed with `key`; returns how many were
/// delivered.
pub async fn deliver_due(
    store: &Store,
    http: &Http,
    url: &str,
    key: &SecretKey,
    now: u64,
) -> Result<usize> {
    let now = now as i64;
    let due: Vec<(i64, String, i64)> = with_pool!(store, p => sqlx::query_as(
        "SELECT id, payload, attempts FROM outbox WHERE sent_at IS NULL AND attempts < $1 AND (next_attempt_at IS NULL OR next_attempt_at <= $2) ORDER BY id LIMIT 50")
        .bind(MAX_ATTEMPTS)
        .bind(now)
        .fetch_all(p)
        .await?);
    let mut sent = 0;
    for (id, payload, attempts) in due {
        // Claim the row: only one sender moves `attempts` from this value. The
        // next attempt is set now, so that a sender that dies mid-send leaves
        // the row waiting like a failure.
        let next = now.saturating_add(backoff(attempts + 1) as i64);
        let claimed = with_pool!(store, p => sqlx::query(
            "UPDATE outbox SET attempts = attempts + 1, next_attempt_at = $1 WHERE id = $2 AND attempts = $3 AND sent_at IS NULL")
            .bind(next)
            .bind(id)
            .bind(attempts)
            .execute(p)
            .await?
            .rows_affected());
        if claimed != 1 {
            continue;
        }
        let body = payload.into_bytes();
        let (timestamp, signature) = sign(key, now as u64, &body);
        let headers = [
            ("content-type", "application/json".to_string()),
            (TIMESTAMP_HEADER, timestamp),
            (SIGNATURE_HEADER, signature),
        ];
        let outcome = match http.request("POST", url, &headers, body.into()).await {
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
                with_pool!(store, p => sqlx::query("UPDATE outbox SET sent_at = $1, last_error = NULL, next_attempt_at = NULL WHERE id = $2")
                    .bind(now)
                    .bind(id)
                    .execute(p)
                    .await
                    .map(|_| ())?);
                sent += 1;
            }
            Err(e) => {
                tracing::warn!(id, error = %e, retry_at = next, "notification not delivered");
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
pub fn spawn(
    store: Store,
    http: Http,
    url: String,
    key: Arc<SecretKey>,
    clock: crate::clock::Clock,
) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        loop {
            if let Err(e) = deliver_due(&store, &http, &url, &key, clock.now()).await {
                tracing::warn!(error = %format!("{e:#}"), "outbox sender");
            }
            tokio::time::sleep(INTERVAL).await;
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_wait_doubles_from_ten_seconds_to_an_hour() {
        let waits: Vec<u64> = (1..=10).map(backoff).collect();
        assert_eq!(waits, [10, 20, 40, 80, 160, 320, 640, 1280, 2560, 3600]);
        assert_eq!(backoff(MAX_ATTEMPTS), MAX_RETRY);
        assert_eq!(backoff(1000), MAX_RETRY);
        assert_eq!(backoff(0), FIRST_RETRY);
    }

    #[test]
    fn a_signature_covers_context_timestamp_and_body() {
        let key = SecretKey::from_seed(&[3; 32]);
        let (ts, sig) = sign(&key, 1_700_000_000, b"{\"a\":1}");
        assert_eq!(ts, "1700000000");
        let (id, b64) = sig.split_once(",ed25519=").unwrap();
        assert_eq!(id, format!("keyid={}", key.public().key_id()));
        let raw = base64::engine::general_purpose::STANDARD
            .decode(b64)
            .unwrap();
        let public = key.public();
        let msg = b"fairpanel-webhook-v1\n1700000000\n{\"a\":1}";
        assert!(public.verify(msg, &raw).is_ok());
        assert!(
            public
                .verify(b"fairpanel-webhook-v1\n1700000001\n{\"a\":1}", &raw)
                .is_err()
        );
        assert!(
            public
                .verify(b"fairpanel-webhook-v1\n1700000000\n{\"a\":2}", &raw)
                .is_err()
        );
    }
}
