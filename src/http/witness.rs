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
