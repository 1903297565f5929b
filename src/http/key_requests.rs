//! Protocol 1.6 over HTTP: replacing a lost personal key, under
//! `/api/v1/provinces/{province}` behind the province guard. The person asks
//! from their own account (a supervisor for their key in a draw, an expert
//! for theirs in the round's panel draw); another supervisor of the draw
//! approves with their own key's signature over the request's `message`.
//! Nobody asks in someone else's name, and a coordinator approves nothing.

use super::auth::{Caller, Role, Scoped};
use super::scoring::{expert_id, round_of};
use super::{AppError, AppJson, AppState};
use crate::key_replace::KeyRequest;
use axum::extract::{Path, State};
use axum::{Extension, Json};
use base64::Engine;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(request_supervisor_key))
        .routes(routes!(request_expert_key))
        .routes(routes!(requests))
        .routes(routes!(approve))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct NewKey {
    /// The new Ed25519 public key, base64 (44 characters), made in the
    /// browser (WebCrypto) or with `fairpanel keygen`. Never a private key.
    key: String,
}

/// A pending key replacement.
#[derive(Serialize, ToSchema)]
pub struct Request {
    id: i64,
    draw: String,
    /// `supervisor` or `expert`.
    role: String,
    /// The person's token in the draw, hex.
    person: String,
    /// The new key (base64) and its fingerprint.
    key: String,
    fingerprint: String,
    /// The fingerprint of the key it replaces (the person's current key).
    replaces: String,
    /// Unix seconds.
    requested_at: u64,
    /// The key_registration it becomes once approved, without `approval`
    /// (the arguments of `fairpanel approve-key`).
    #[schema(value_type = Object)]
    registration: serde_json::Value,
    /// The exact message an approving supervisor's key signs, base64:
    /// `"fairpanel/v1/key-replace" || 0x00 || JCS(registration)`.
    message: String,
}

impl From<KeyRequest> for Request {
    fn from(k: KeyRequest) -> Self {
        let r = &k.registration;
        Request {
            id: k.id,
            draw: k.draw.clone(),
            role: r.role.as_str().to_string(),
            person: r.person.to_hex(),
            key: r.key.to_base64(),
            fingerprint: r.key.key_id().to_string(),
            replaces: r.replaces.map(|x| x.to_string()).unwrap_or_default(),
            requested_at: k.requested_at,
            registration: serde_json::to_value(r).unwrap_or_default(),
            message: base64::engine::general_purpose::STANDARD.encode(k.message()),
        }
    }
}

/// A supervisor asks to replace their lost personal key in a draw: a pending
/// request that another supervisor of the draw approves.
#[utoipa::path(post, path = "/draws/{draw}/keys/replace", tag = "draws", params(("draw" = String, Path)),
    request_body = NewKey,
    responses((status = 200, body = Request), (status = 400, description = "not a key, or the log's own key"),
        (status = 403, description = "not a supervisor"), (status = 404, description = "no such draw in the province"),
        (status = 409, description = "no key to replace, the key is registered already, or the draw is void")))]
async fn request_supervisor_key(
    State(s): State<AppState>,
    caller: Caller,
    Extension(Scoped(p)): Extension<Scoped>,
    Path(path): Path<(String, String)>,
    AppJson(k): AppJson<NewKey>,
) -> Result<Json<Request>, AppError> {
    caller.require(&[Role::Supervisor])?;
    let r = s
        .workflow()
        .request_supervisor_key(&p, &path.1, caller.account_id, &k.key)
        .await?;
    Ok(Json(r.into()))
}

/// A seated expert asks to replace their lost personal key in the round's
/// panel draw: a pending request that a supervisor of the draw approves.
#[utoipa::path(post, path = "/rounds/{round}/keys/replace", tag = "scoring", params(("round" = i64, Path)),
    request_body = NewKey,
    responses((status = 200, body = Request), (status = 400, description = "not a key, or the log's own key"),
        (status = 403, description = "not an expert account"), (status = 404, description = "not on this round's panel"),
        (status = 409, description = "no key to replace, the key is registered already, the draw is void or the round closed")))]
async fn request_expert_key(
    State(s): State<AppState>,
    caller: Caller,
    Extension(Scoped(p)): Extension<Scoped>,
    Path(path): Path<(String, i64)>,
    AppJson(k): AppJson<NewKey>,
) -> Result<Json<Request>, AppError> {
    caller.require(&[Role::Expert])?;
    let e = expert_id(&s, &caller).await?;
    let r = round_of(&s, &p, path.1).await?;
    let req = s
        .workflow()
        .request_expert_key(&r, &e, caller.account_id, &k.key)
        .await?;
    Ok(Json(req.into()))
}

/// The draw's pending key replacements, oldest first: for its supervisors
/// to approve, its coordinators to see.
#[utoipa::path(get, path = "/draws/{draw}/keys/requests", tag = "draws", params(("draw" = String, Path)),
    responses((status = 200, body = Vec<Request>), (status = 403, description = "an expert"), (status = 404, description = "no such draw in the province")))]
async fn requests(
    State(s): State<AppState>,
    caller: Caller,
    Extension(Scoped(p)): Extension<Scoped>,
    Path(path): Path<(String, String)>,
) -> Result<Json<Vec<Request>>, AppError> {
    caller.require(&[Role::Admin, Role::Coordinator, Role::Supervisor])?;
    let rs = s.workflow().key_requests(&p, &path.1).await?;
    Ok(Json(rs.into_iter().map(Request::from).collect()))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct Approval {
    /// Base64 Ed25519 signature, with the approving supervisor's current key
    /// in the draw, over the request's `message`.
    signature: String,
}

#[derive(Serialize, ToSchema)]
struct Approved {
    /// The key_registration entry now in the log.
    seq: u64,
}

/// A supervisor approves another person's key replacement with their own
/// key: the registration, approval included, is appended to the log.
#[utoipa::path(post, path = "/draws/{draw}/keys/requests/{id}/approve", tag = "draws",
    params(("draw" = String, Path), ("id" = i64, Path)),
    request_body = Approval,
    responses((status = 200, body = Approved),
        (status = 400, description = "no key of the approver's in the draw, their own key, or a bad signature"),
        (status = 403, description = "not a supervisor"), (status = 404, description = "no such request"),
        (status = 409, description = "already approved, superseded, or the person's key changed since")))]
async fn approve(
    State(s): State<AppState>,
    caller: Caller,
    Extension(Scoped(p)): Extension<Scoped>,
    Path(path): Path<(String, String, i64)>,
    AppJson(a): AppJson<Approval>,
) -> Result<Json<Approved>, AppError> {
    caller.require(&[Role::Supervisor])?;
    let seq = s
        .workflow()
        .approve_key_request(&p, &path.1, path.2, caller.account_id, &a.signature)
        .await?;
    Ok(Json(Approved { seq }))
}
