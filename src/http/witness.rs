//! Witnesses' cosignatures (issue 12, item 4; C2SP tlog-cosignature): a
//! registered witness (`fairpanel witness-key add`) posts the line it added
//! to a checkpoint this service signed; the line is checked against the
//! witness's key and the stored checkpoint, then kept and served with it (on
//! `/checkpoint` and in bundles). No account: the signature is the credential.

use super::{AppError, AppState};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use fairpanel_core::cosignature;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(post_cosignature))
}

#[derive(Deserialize, ToSchema)]
pub struct CosignatureIn {
    /// The tree size of the checkpoint the witness cosigned.
    pub size: u64,
    /// The cosignature line: `— <name> base64(key ID || timestamp || signature)`.
    pub line: String,
}

#[derive(Serialize, ToSchema)]
pub struct CosignatureKept {
    pub size: u64,
    pub name: String,
    /// The cosignature's timestamp (POSIX seconds).
    pub time: u64,
}

/// A registered witness's cosignature on one of this log's checkpoints.
#[utoipa::path(post, path = "/cosignatures", tag = "public", request_body = CosignatureIn,
    responses((status = 201, body = CosignatureKept),
        (status = 400, description = "not a cosignature line, or it does not verify"),
        (status = 403, description = "no such witness is registered"),
        (status = 404, description = "no checkpoint of that size")))]
async fn post_cosignature(
    State(s): State<AppState>,
    super::AppJson(body): super::AppJson<CosignatureIn>,
) -> Result<(StatusCode, Json<CosignatureKept>), AppError> {
    let line = cosignature::parse_line(body.line.trim_end()).ok_or_else(|| {
        AppError::BadRequest("the line is not a cosignature/v1 note signature line".to_string())
    })?;
    let key = s
        .store
        .witness_keys()
        .await?
        .into_iter()
        .find(|(n, k)| *n == line.name && cosignature::key_id(n, k) == line.key_id)
        .map(|(_, k)| k)
        .ok_or_else(|| {
            AppError::Forbidden(format!(
                "no witness {} is registered with that key",
                line.name
            ))
        })?;
    let text = s
        .store
        .checkpoint_at(body.size)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("no checkpoint of {} entries", body.size)))?;
    let note = cosignature::attach(
        &text,
        std::slice::from_ref(&body.line.trim_end().to_string()),
    );
    match cosignature::verify(&note, &line.name, &key) {
        Ok(Some(_)) => {}
        _ => {
            return Err(AppError::BadRequest(format!(
                "the cosignature of {} does not verify on the checkpoint of {} entries",
                line.name, body.size
            )));
        }
    }
    s.store
        .put_cosignature(body.size, &line.name, body.line.trim_end(), line.time)
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(CosignatureKept {
            size: body.size,
            name: line.name,
            time: line.time,
        }),
    ))
}

// ---------------------------------------------------------------- the admin's list

/// The admin's witness list (`/api/v1/witnesses`): the same store as
/// `fairpanel witness-key add`.
pub fn admin_router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_witnesses, add_witness))
        .routes(routes!(retire_witness))
}

/// A registered witness.
#[derive(Serialize, ToSchema)]
pub struct WitnessView {
    /// The witness's key name (as in its cosignature lines).
    pub name: String,
    /// Ed25519 public key, 32 bytes in base64.
    pub key: String,
    /// The C2SP key ID of name and key (4 bytes, hex), as the lines carry it.
    pub key_id: String,
    /// POSIX seconds.
    pub added_at: i64,
    /// When an admin retired it (no new cosignature accepted), else null.
    pub retired_at: Option<i64>,
}

impl From<crate::store::witness::WitnessRow> for WitnessView {
    fn from(w: crate::store::witness::WitnessRow) -> Self {
        WitnessView {
            key: w.key.to_base64(),
            key_id: hex::encode(cosignature::key_id(&w.name, &w.key)),
            name: w.name,
            added_at: w.added_at,
            retired_at: w.retired_at,
        }
    }
}

#[derive(Deserialize, ToSchema)]
pub struct NewWitness {
    /// The witness's key name: no spaces, no `+` (e.g. `witness.example/ministry`).
    pub name: String,
    /// Its Ed25519 public key: 32 bytes in base64, or a PEM block.
    pub key: String,
}

#[derive(Deserialize, ToSchema)]
pub struct RetireWitness {
    pub name: String,
}

/// Registers a witness, as `fairpanel witness-key add` does; the caller has
/// checked that it is an admin.
pub async fn add(s: &AppState, name: &str, key: &str) -> Result<WitnessView, AppError> {
    let name = name.trim();
    if !fairpanel_core::checkpoint::origin_ok(name) {
        return Err(AppError::BadRequest(format!(
            "{name} is not a valid witness name (no spaces, no +)"
        )));
    }
    let key = fairpanel_core::PublicKey::parse(key.trim()).map_err(|_| {
        AppError::BadRequest(
            "the witness key is not an Ed25519 public key (32 bytes in base64, or PEM)".into(),
        )
    })?;
    let now = crate::serve::now() as i64;
    if !s.store.add_witness_key(name, &key, now).await? {
        return Err(AppError::Conflict(format!(
            "a witness named {name} is registered already"
        )));
    }
    tracing::info!(witness = name, "witness registered");
    Ok(WitnessView {
        name: name.to_string(),
        key: key.to_base64(),
        key_id: hex::encode(cosignature::key_id(name, &key)),
        added_at: now,
        retired_at: None,
    })
}

/// Retires a witness; the caller has checked that it is an admin.
pub async fn retire(s: &AppState, name: &str) -> Result<(), AppError> {
    use crate::store::witness::Retired;
    match s
        .store
        .retire_witness(name, crate::serve::now() as i64)
        .await?
    {
        Retired::Now => {
            tracing::info!(witness = name, "witness retired");
            Ok(())
        }
        Retired::Already => Err(AppError::Conflict(format!(
            "witness {name} is retired already"
        ))),
        Retired::Unknown => Err(AppError::NotFound(format!("no witness named {name}"))),
    }
}

/// Every witness registered, retired ones too (admins only).
#[utoipa::path(get, path = "/witnesses", tag = "witnesses",
    responses((status = 200, body = Vec<WitnessView>), (status = 403, description = "not an admin")))]
async fn list_witnesses(
    State(s): State<AppState>,
    caller: super::auth::Caller,
) -> Result<Json<Vec<WitnessView>>, AppError> {
    caller.require(&[super::auth::Role::Admin])?;
    Ok(Json(
        s.store
            .witness_rows()
            .await?
            .into_iter()
            .map(WitnessView::from)
            .collect(),
    ))
}

/// Registers a witness whose cosignatures the service accepts (admins only).
#[utoipa::path(post, path = "/witnesses", tag = "witnesses", request_body = NewWitness,
    responses((status = 201, body = WitnessView),
        (status = 400, description = "not a valid name, or not an Ed25519 public key"),
        (status = 403, description = "not an admin"),
        (status = 409, description = "a witness of that name is registered already")))]
async fn add_witness(
    State(s): State<AppState>,
    caller: super::auth::Caller,
    super::AppJson(body): super::AppJson<NewWitness>,
) -> Result<(StatusCode, Json<WitnessView>), AppError> {
    caller.require(&[super::auth::Role::Admin])?;
    Ok((
        StatusCode::CREATED,
        Json(add(&s, &body.name, &body.key).await?),
    ))
}

/// Retires a witness: no new cosignature of it is accepted; those kept stay
/// with their checkpoints (admins only).
#[utoipa::path(post, path = "/witnesses/retire", tag = "witnesses", request_body = RetireWitness,
    responses((status = 204, description = "retired"),
        (status = 403, description = "not an admin"),
        (status = 404, description = "no witness of that name"),
        (status = 409, description = "retired already")))]
async fn retire_witness(
    State(s): State<AppState>,
    caller: super::auth::Caller,
    super::AppJson(body): super::AppJson<RetireWitness>,
) -> Result<StatusCode, AppError> {
    caller.require(&[super::auth::Role::Admin])?;
    retire(&s, body.name.trim()).await?;
    Ok(StatusCode::NO_CONTENT)
}
