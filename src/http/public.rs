//! The public API: no account needed. The log's checkpoint (C2SP signed note),
//! the public key, entries by range, inclusion and consistency proofs.

use super::{AppError, AppState};
use axum::Json;
use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use base64::Engine;
use fairpanel_core::rotation::Window;
use fairpanel_core::{checkpoint, hash::Hash32};
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use std::collections::HashMap;
use std::sync::RwLock;
use std::time::{Duration, Instant};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};

/// How long the newest checkpoint is served from memory before the database is
/// asked again: an append (by this process or another on the same database)
/// shows up on `/checkpoint` within this time.
pub const CHECKPOINT_TTL: Duration = Duration::from_millis(250);

/// At most this many entries are kept in memory (about 600 bytes each).
pub const MAX_CACHED_ENTRIES: usize = 100_000;

/// The public reads' in-memory copies, one per service.
#[derive(Default)]
pub struct Cache {
    /// The newest checkpoint read from the database: when, its size, its text.
    checkpoint: RwLock<Option<(Instant, u64, Bytes)>>,
    /// Each entry as served (`{"seq":…,"entry":…,"sig":…}`), by seq. A committed
    /// entry never changes, so nothing here is ever invalidated.
    entries: RwLock<HashMap<u64, Bytes>>,
}

impl Cache {
    fn fresh_checkpoint(&self) -> Option<Bytes> {
        let c = self.checkpoint.read().unwrap();
        c.as_ref()
            .filter(|(at, _, _)| at.elapsed() < CHECKPOINT_TTL)
            .map(|(_, _, t)| t.clone())
    }

    /// Keeps `text` (of `size`) unless a newer one is already kept; what to serve.
    fn keep_checkpoint(&self, size: u64, text: Bytes) -> Bytes {
        let mut c = self.checkpoint.write().unwrap();
        match c.as_mut() {
            Some((at, n, t)) if *n > size => {
                *at = Instant::now();
                t.clone()
            }
            _ => {
                *c = Some((Instant::now(), size, text.clone()));
                text
            }
        }
    }

    /// The JSON array of entries `start..end` if every one of them is in memory.
    fn range(&self, start: u64, end: u64) -> Option<Vec<u8>> {
        let m = self.entries.read().unwrap();
        let mut out = Vec::with_capacity(2 + (end - start) as usize * 600);
        out.push(b'[');
        for seq in start..end {
            if seq > start {
                out.push(b',');
            }
            out.extend_from_slice(m.get(&seq)?);
        }
        out.push(b']');
        Some(out)
    }

    fn keep_entries(&self, items: &[(u64, Bytes)]) {
        let mut m = self.entries.write().unwrap();
        for (seq, json) in items {
            if m.len() >= MAX_CACHED_ENTRIES {
                break;
            }
            m.insert(*seq, json.clone());
        }
    }
}

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(get_checkpoint))
        .routes(routes!(get_key))
        .routes(routes!(get_entries))
        .routes(routes!(get_inclusion))
        .routes(routes!(get_consistency))
        .routes(routes!(list_draws))
        .routes(routes!(get_bundle))
}

/// Every draw of every province with its state, abandoned and voided ones
/// included. Tokens and counts only: no names.
#[utoipa::path(get, path = "/draws", tag = "public",
    responses((status = 200, body = Vec<crate::draws::DrawListed>)))]
async fn list_draws(
    State(s): State<AppState>,
) -> Result<Json<Vec<crate::draws::DrawListed>>, AppError> {
    Ok(Json(s.workflow().list(None).await?))
}

/// The one-file bundle of a draw at the newest checkpoint, which
/// `fairpanel verify` checks offline. Before disclosure it holds tokens only.
#[utoipa::path(get, path = "/draws/{draw}/bundle", tag = "public", params(("draw" = String, Path)),
    responses((status = 200, description = "the bundle (JSON)", content_type = "application/json"), (status = 404, description = "no such draw")))]
async fn get_bundle(
    State(s): State<AppState>,
    axum::extract::Path(id): axum::extract::Path<String>,
) -> Result<impl IntoResponse, AppError> {
    let bytes = s.workflow().bundle(&id).await?;
    Ok((
        [
            (header::CONTENT_TYPE, "application/json".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{id}.json\""),
            ),
        ],
        bytes,
    ))
}

/// The newest checkpoint as `text/plain` (a C2SP signed note). An empty log has a
/// checkpoint too: size 0, the root of the empty tree.
#[utoipa::path(get, path = "/checkpoint", tag = "public",
    responses((status = 200, description = "C2SP signed note: origin, size, base64 root, the log's signature, then any witnesses' cosignatures (C2SP tlog-cosignature)", body = String, content_type = "text/plain")))]
async fn get_checkpoint(State(s): State<AppState>) -> Result<Response, AppError> {
    let text = match s.public.fresh_checkpoint() {
        Some(t) => t,
        None => match s.store.latest_checkpoint().await? {
            // With the witnesses' cosignature lines on it (C2SP tlog-cosignature).
            Some((size, t)) => {
                let lines = s.store.cosignatures(size).await?;
                let t = fairpanel_core::cosignature::attach(&t, &lines);
                s.public.keep_checkpoint(size, Bytes::from(t))
            }
            // An empty log: signed afresh, not kept (the first append must show).
            None => {
                checkpoint::sign(&s.origin, 0, fairpanel_core::hash::sha256(b""), &s.key).into()
            }
        },
    };
    Ok(([(header::CONTENT_TYPE, "text/plain; charset=utf-8")], text).into_response())
}

#[derive(Serialize, ToSchema)]
struct KeyView {
    /// The current key's id.
    key_id: String,
    /// The current key, raw 32 bytes in base64.
    base64: String,
    /// The current key, SPKI PEM.
    pem: String,
    /// Every key of the log, oldest first, the current one last: the key
    /// chain that key_rotation entries (each signed by both keys) make.
    history: Vec<KeyWindowView>,
}

#[derive(Serialize, ToSchema)]
struct KeyWindowView {
    key_id: String,
    base64: String,
    /// Seq of the rotation that brought this key in (it signs only later
    /// entries); null for the log's first key.
    since_rotation: Option<u64>,
    /// Seq of the rotation that retired it (its last entry); null for the
    /// current key.
    retired_at: Option<u64>,
}

/// The log's public key: key id, raw 32 bytes in base64, SPKI PEM, and the
/// history of keys through the log's key rotations.
#[utoipa::path(get, path = "/key", tag = "public", responses((status = 200, body = KeyView)))]
async fn get_key(State(s): State<AppState>) -> Result<Json<KeyView>, AppError> {
    let pk = s.key.public();
    // The chain that ends at this instance's key changes only through a
    // rotation away from it, after which the instance must be restarted: it is
    // read once per key (the rotation query scans the log).
    type Cache = std::sync::Mutex<std::collections::HashMap<[u8; 32], Vec<Window>>>;
    static CHAINS: std::sync::OnceLock<Cache> = std::sync::OnceLock::new();
    let cache = CHAINS.get_or_init(Default::default);
    let cached = cache
        .lock()
        .expect("key chains")
        .get(&pk.to_bytes())
        .cloned();
    let chain = match cached {
        Some(c) => c,
        None => match crate::rotate::chain(&s.store, &pk).await {
            Ok(c) => {
                cache
                    .lock()
                    .expect("key chains")
                    .insert(pk.to_bytes(), c.0.clone());
                c.0
            }
            Err(e) => {
                // A running instance whose key was rotated away (it must be
                // restarted): its own key alone, as before.
                tracing::warn!(error = %e, "the key chain does not lead to this instance's key");
                fairpanel_core::rotation::chain(&[], &pk)
                    .map_err(|m| anyhow::anyhow!(m))?
                    .0
            }
        },
    };
    Ok(Json(KeyView {
        key_id: pk.key_id().to_string(),
        base64: pk.to_base64(),
        pem: pk.to_pem(),
        history: chain
            .into_iter()
            .map(|w| KeyWindowView {
                key_id: w.key.key_id().to_string(),
                base64: w.key.to_base64(),
                since_rotation: w.after,
                retired_at: w.until,
            })
            .collect(),
    }))
}

#[derive(Deserialize, IntoParams)]
struct Range {
    start: u64,
    end: Option<u64>,
}

/// At most this many entries per request.
pub const MAX_ENTRIES: u64 = 1000;

#[derive(Serialize, ToSchema)]
struct EntryView {
    seq: u64,
    /// The entry's exact bytes, embedded as JSON.
    #[schema(value_type = Object)]
    entry: Box<RawValue>,
    sig: String,
}

/// Entries `start..end` (end exclusive, at most 1000), each with its signature.
#[utoipa::path(get, path = "/entries", tag = "public", params(Range),
    responses((status = 200, body = Vec<EntryView>), (status = 400, description = "end before start, or start or end above 2^63 - 1")))]
async fn get_entries(
    State(s): State<AppState>,
    Query(r): Query<Range>,
) -> Result<Response, AppError> {
    // Sequence numbers are stored as signed 64-bit integers.
    const MAX_SEQ: u64 = i64::MAX as u64;
    if r.start > MAX_SEQ || r.end.is_some_and(|e| e > MAX_SEQ) {
        return Err(AppError::BadRequest(format!(
            "start and end must be at most {MAX_SEQ}"
        )));
    }
    let end = r.end.unwrap_or(r.start.saturating_add(MAX_ENTRIES));
    if end < r.start {
        return Err(AppError::BadRequest("end must not be before start".into()));
    }
    let end = end.min(r.start.saturating_add(MAX_ENTRIES));
    let json = [(header::CONTENT_TYPE, "application/json")];
    if let Some(body) = s.public.range(r.start, end) {
        return Ok((json, body).into_response());
    }
    let rows = s.store.entries(r.start, end).await?;
    let b64 = base64::engine::general_purpose::STANDARD;
    let mut items = Vec::with_capacity(rows.len());
    for e in rows {
        let text = String::from_utf8(e.bytes)
            .map_err(|_| anyhow::anyhow!("entry {} is not UTF-8", e.seq))?;
        let view = EntryView {
            seq: e.seq,
            entry: RawValue::from_string(text)
                .map_err(|_| anyhow::anyhow!("entry {} is not JSON", e.seq))?,
            sig: b64.encode(&e.sig),
        };
        items.push((
            e.seq,
            Bytes::from(serde_json::to_vec(&view).map_err(anyhow::Error::from)?),
        ));
    }
    s.public.keep_entries(&items);
    let mut body = Vec::with_capacity(2 + items.iter().map(|(_, j)| j.len() + 1).sum::<usize>());
    body.push(b'[');
    for (k, (_, j)) in items.iter().enumerate() {
        if k > 0 {
            body.push(b',');
        }
        body.extend_from_slice(j);
    }
    body.push(b']');
    Ok((json, body).into_response())
}

#[derive(Deserialize, IntoParams)]
struct InclusionQuery {
    seq: u64,
    size: Option<u64>,
}

#[derive(Serialize, ToSchema)]
struct InclusionView {
    seq: u64,
    size: u64,
    /// RFC 9162 audit path, hex hashes.
    #[schema(value_type = Vec<String>)]
    proof: Vec<Hash32>,
}

/// RFC 9162 inclusion proof of entry `seq` in the tree of `size` entries
/// (default: the current size).
#[utoipa::path(get, path = "/proof/inclusion", tag = "public", params(InclusionQuery),
    responses((status = 200, body = InclusionView), (status = 404, description = "no such entry or tree size")))]
async fn get_inclusion(
    State(s): State<AppState>,
    Query(q): Query<InclusionQuery>,
) -> Result<Json<InclusionView>, AppError> {
    let size = match q.size {
        Some(n) => n,
        None => s.store.log_size().await?,
    };
    if q.seq >= size || size > s.store.log_size().await? {
        return Err(AppError::NotFound(format!(
            "no entry {} in a tree of {size} entries",
            q.seq
        )));
    }
    let proof = s.store.inclusion_proof(q.seq, size).await?;
    Ok(Json(InclusionView {
        seq: q.seq,
        size,
        proof,
    }))
}

#[derive(Deserialize, IntoParams)]
struct ConsistencyQuery {
    from: u64,
    to: Option<u64>,
}

#[derive(Serialize, ToSchema)]
struct ConsistencyView {
    from: u64,
    to: u64,
    /// RFC 9162 consistency proof, hex hashes.
    #[schema(value_type = Vec<String>)]
    proof: Vec<Hash32>,
}

/// RFC 9162 consistency proof between tree sizes `from` and `to` (default: the
/// current size).
#[utoipa::path(get, path = "/proof/consistency", tag = "public", params(ConsistencyQuery),
    responses((status = 200, body = ConsistencyView), (status = 404, description = "no such pair of sizes")))]
async fn get_consistency(
    State(s): State<AppState>,
    Query(q): Query<ConsistencyQuery>,
) -> Result<Json<ConsistencyView>, AppError> {
    let size = s.store.log_size().await?;
    let to = q.to.unwrap_or(size);
    if q.from == 0 || q.from > to || to > size {
        return Err(AppError::NotFound(format!(
            "no consistency proof from {} to {to} (the log has {size} entries)",
            q.from
        )));
    }
    let proof = s.store.consistency_proof(q.from, to).await?;
    Ok(Json(ConsistencyView {
        from: q.from,
        to,
        proof,
    }))
}
