//! Protocol 1.5: an expert's personal key over HTTP, under
//! `/api/v1/provinces/{province}` behind the province guard. Only the
//! expert's own account registers or reads it (a coordinator or admin gets
//! 403: nobody registers a key in an expert's name).

use super::auth::{Caller, Role, Scoped};
use super::scoring::{expert_id, round_of};
use super::{AppError, AppJson, AppState};
use axum::extract::{Path, State};
use axum::{Extension, Json};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(my_key, register_key))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct PersonalKey {
    /// The expert's own Ed25519 public key, base64 (44 characters); made in
    /// the browser (WebCrypto) or with `fairpanel keygen`. Never a private key.
    key: String,
}

#[derive(Serialize, ToSchema)]
struct Registered {
    seq: u64,
    /// The key id (16 hex digits), to confirm out of band.
    fingerprint: String,
}

#[derive(Serialize, ToSchema)]
struct MyKey {
    /// The round's panel draw, where the key is registered.
    draw: String,
    /// The round's id in the log (the `round` of the entries to sign).
    round: String,
    /// The caller's token in the draw (the `scorer` of the entries to sign).
    scorer: String,
    /// The draw's commit requires every sheet, recusal and pledge signed.
    required: bool,
    /// The registered key (base64), its fingerprint and its entry's seq.
    key: Option<String>,
    fingerprint: Option<String>,
    seq: Option<u64>,
}

/// The calling expert's personal key in the round's panel draw (protocol 1.5).
#[utoipa::path(get, path = "/rounds/{round}/keys/mine", tag = "scoring", params(("round" = i64, Path)),
    responses((status = 200, body = MyKey), (status = 404, description = "not on this round's panel")))]
async fn my_key(
    State(s): State<AppState>,
    caller: Caller,
    Extension(Scoped(p)): Extension<Scoped>,
    Path(path): Path<(String, i64)>,
) -> Result<Json<MyKey>, AppError> {
    let e = expert_id(&s, &caller).await?;
    let r = round_of(&s, &p, path.1).await?;
    let k = s.workflow().expert_key(&r, &e).await?;
    Ok(Json(MyKey {
        draw: k.draw.to_string(),
        round: crate::scores::round_ref(&r).to_string(),
        scorer: k.token.to_string(),
        required: k.required,
        key: k.key.map(|(k, _)| k.to_base64()),
        fingerprint: k.key.map(|(k, _)| k.key_id().to_string()),
        seq: k.key.map(|(_, s)| s),
    }))
}

/// Protocol 1.5: registers the calling expert's personal key in the round's
/// panel draw (a key_registration entry, role expert, person = the expert's
/// pool token). One key per expert and draw; only the expert's own account.
#[utoipa::path(post, path = "/rounds/{round}/keys", tag = "scoring", params(("round" = i64, Path)),
    request_body = PersonalKey,
    responses((status = 200, body = Registered), (status = 400, description = "not a key, or the log's own key"),
        (status = 403, description = "not an expert account"), (status = 404, description = "not on this round's panel"),
        (status = 409, description = "already registered, the draw is void or the round closed")))]
async fn register_key(
    State(s): State<AppState>,
    caller: Caller,
    Extension(Scoped(p)): Extension<Scoped>,
    Path(path): Path<(String, i64)>,
    AppJson(k): AppJson<PersonalKey>,
) -> Result<Json<Registered>, AppError> {
    caller.require(&[Role::Expert])?;
    let e = expert_id(&s, &caller).await?;
    let r = round_of(&s, &p, path.1).await?;
    let (seq, fingerprint) = s.workflow().register_expert_key(&r, &e, &k.key).await?;
    Ok(Json(Registered { seq, fingerprint }))
}
