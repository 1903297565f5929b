//! Materials and the pledge over HTTP, under `/api/v1/provinces/{province}`
//! behind the province guard (see `crate::materials`).
//!
//! Who reads a round's materials: its province's coordinators, admins and
//! supervisors, and the experts on the round's panel; nobody else (an expert
//! off the panel gets 404, another province's caller 404 from the guard).

use super::auth::{Caller, Role, Scoped};
use super::scoring::{expert_id, round_of};
use super::{AppError, AppJson, AppState};
use crate::materials::{MAX_MATERIAL_BYTES, MaterialInfo, PledgeView};
use crate::store::rounds::Round;
use axum::body::Body;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};

const RUN: &[Role] = &[Role::Admin, Role::Coordinator];

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_materials))
        .routes(routes!(upload_material))
        .routes(routes!(get_material, delete_material))
        .routes(routes!(get_pledge, set_pledge, confirm_pledge))
}

/// Lets the caller read round `r`'s materials: staff of the province (the
/// guard checked the province), or an expert on the round's panel.
async fn may_read(s: &AppState, caller: &Caller, r: &Round) -> Result<(), AppError> {
    match caller.role {
        Role::Admin | Role::Coordinator | Role::Supervisor => Ok(()),
        // The guard lets no province's route through to the ministry; should
        // one ever, it reads nothing here.
        Role::Ministry => Err(AppError::NotFound(format!("no round {}", r.id))),
        Role::Expert => {
            let e = expert_id(s, caller).await?;
            if s.workflow().on_panel(r, &e).await? {
                Ok(())
            } else {
                Err(AppError::NotFound(
                    "you are not on this round's panel".into(),
                ))
            }
        }
    }
}

/// The round's materials, by application and name.
#[utoipa::path(get, path = "/rounds/{round}/materials", tag = "materials", params(("round" = i64, Path)),
    responses((status = 200, body = Vec<MaterialInfo>), (status = 404, description = "no such round, or an expert not on its panel")))]
async fn list_materials(
    State(s): State<AppState>,
    caller: Caller,
    Extension(Scoped(p)): Extension<Scoped>,
    Path(path): Path<(String, i64)>,
) -> Result<Json<Vec<MaterialInfo>>, AppError> {
    let r = round_of(&s, &p, path.1).await?;
    may_read(&s, &caller, &r).await?;
    Ok(Json(s.workflow().materials(&r, None).await?))
}

#[derive(Deserialize, IntoParams)]
struct Upload {
    /// The file's name, kept (made safe) for display only.
    name: String,
}

/// Uploads one material of an application (the request body is the file's
/// bytes): a PDF, PNG, JPEG or XLSX file of at most 20 MiB, its type read from
/// its content. Only until scoring opens.
#[utoipa::path(post, path = "/rounds/{round}/applications/{ref_no}/materials", tag = "materials",
    params(("round" = i64, Path), ("ref_no" = String, Path), Upload),
    request_body(content = Vec<u8>, content_type = "application/octet-stream", description = "the file's bytes"),
    responses((status = 201, body = MaterialInfo), (status = 400, description = "not a PDF, PNG, JPEG or XLSX file (the answer names what it is)"),
        (status = 404, description = "no such application"), (status = 409, description = "scoring has opened: the materials are fixed"),
        (status = 413, description = "larger than 20 MiB")))]
async fn upload_material(
    State(s): State<AppState>,
    caller: Caller,
    Extension(Scoped(p)): Extension<Scoped>,
    Path(path): Path<(String, i64, String)>,
    Query(u): Query<Upload>,
    body: Body,
) -> Result<Response, AppError> {
    caller.require(RUN)?;
    let r = round_of(&s, &p, path.1).await?;
    let Ok(bytes) = axum::body::to_bytes(body, MAX_MATERIAL_BYTES).await else {
        return Ok(too_large());
    };
    let info = s
        .workflow()
        .add_material(&r, &path.2, &u.name, &bytes, caller.account_id)
        .await?;
    Ok((StatusCode::CREATED, Json(info)).into_response())
}

/// The answer to a material over the limit.
pub fn too_large() -> Response {
    (
        StatusCode::PAYLOAD_TOO_LARGE,
        Json(serde_json::json!({"error": "the file is larger than 20 MiB, the most a material may be"})),
    )
        .into_response()
}

/// One material's bytes, after checking them against their SHA-256 and,
/// once scoring has opened, against what scoring_open fixed (409 if not:
/// the file was changed in the database). PDF and images are shown inline,
/// XLSX downloaded.
#[utoipa::path(get, path = "/rounds/{round}/applications/{ref_no}/materials/{sha256}", tag = "materials",
    params(("round" = i64, Path), ("ref_no" = String, Path), ("sha256" = String, Path)),
    responses((status = 200, description = "the file, with its checked type"), (status = 404, description = "no such material, or an expert not on the panel"),
        (status = 409, description = "the stored bytes are not the ones fixed: not served")))]
async fn get_material(
    State(s): State<AppState>,
    caller: Caller,
    Extension(Scoped(p)): Extension<Scoped>,
    Path(path): Path<(String, i64, String, String)>,
) -> Result<Response, AppError> {
    let r = round_of(&s, &p, path.1).await?;
    may_read(&s, &caller, &r).await?;
    let (info, bytes) = s.workflow().material(&r, &path.2, &path.3).await?;
    let disposition = if info.media_type.starts_with("application/vnd.") {
        "attachment"
    } else {
        "inline"
    };
    let ext = match info.media_type.as_str() {
        "application/pdf" => "pdf",
        "image/png" => "png",
        "image/jpeg" => "jpg",
        _ => "xlsx",
    };
    let fallback = format!(
        "{}-{}.{ext}",
        ascii_only(&info.application),
        &info.sha256[..12]
    );
    Ok((
        [
            (header::CONTENT_TYPE, info.media_type.clone()),
            (
                header::CONTENT_DISPOSITION,
                format!(
                    "{disposition}; filename=\"{fallback}\"; filename*=UTF-8''{}",
                    percent(&info.name)
                ),
            ),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff".to_string()),
            (header::CACHE_CONTROL, "private, no-store".to_string()),
        ],
        bytes,
    )
        .into_response())
}

/// Removes a material; only until scoring opens.
#[utoipa::path(delete, path = "/rounds/{round}/applications/{ref_no}/materials/{sha256}", tag = "materials",
    params(("round" = i64, Path), ("ref_no" = String, Path), ("sha256" = String, Path)),
    responses((status = 200, description = "removed"), (status = 404, description = "no such material"), (status = 409, description = "scoring has opened")))]
async fn delete_material(
    State(s): State<AppState>,
    caller: Caller,
    Extension(Scoped(p)): Extension<Scoped>,
    Path(path): Path<(String, i64, String, String)>,
) -> Result<Json<serde_json::Value>, AppError> {
    caller.require(RUN)?;
    let r = round_of(&s, &p, path.1).await?;
    s.workflow().remove_material(&r, &path.2, &path.3).await?;
    Ok(Json(serde_json::json!({"removed": path.3})))
}

/// Letters, digits, `-` and `_` of `s`; the rest as `_`.
fn ascii_only(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

/// RFC 8187 percent-encoding of a file name (UTF-8).
fn percent(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The round's pledge (承诺书): its text and hash, whether it is fixed and
/// required, and for an expert whether they confirmed it.
#[utoipa::path(get, path = "/rounds/{round}/pledge", tag = "materials", params(("round" = i64, Path)),
    responses((status = 200, body = PledgeView), (status = 404, description = "an expert not on the round's panel")))]
async fn get_pledge(
    State(s): State<AppState>,
    caller: Caller,
    Extension(Scoped(p)): Extension<Scoped>,
    Path(path): Path<(String, i64)>,
) -> Result<Json<PledgeView>, AppError> {
    let r = round_of(&s, &p, path.1).await?;
    may_read(&s, &caller, &r).await?;
    let expert = match caller.role {
        Role::Expert => Some(expert_id(&s, &caller).await?),
        _ => None,
    };
    Ok(Json(s.workflow().pledge_view(&r, expert.as_deref()).await?))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct PledgeText {
    /// 1 to 5000 characters.
    text: String,
}

/// Sets the round's pledge text (the default is Chinese and English); only
/// before scoring opens, which fixes it in the log.
#[utoipa::path(put, path = "/rounds/{round}/pledge", tag = "materials", params(("round" = i64, Path)),
    request_body = PledgeText,
    responses((status = 200, body = PledgeView), (status = 400, description = "empty or too long"), (status = 409, description = "scoring has opened")))]
async fn set_pledge(
    State(s): State<AppState>,
    caller: Caller,
    Extension(Scoped(p)): Extension<Scoped>,
    Path(path): Path<(String, i64)>,
    AppJson(t): AppJson<PledgeText>,
) -> Result<Json<PledgeView>, AppError> {
    caller.require(RUN)?;
    let r = round_of(&s, &p, path.1).await?;
    Ok(Json(s.workflow().set_pledge_text(&r, &t.text).await?))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct Conflict {
    application: String,
    /// Stays with the service (it may name people); the log records the recusal only.
    reason: String,
    /// Protocol 1.5: base64 signature over this recusal's message.
    #[serde(default)]
    signature: Option<String>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct Confirmation {
    /// The hash of the text the expert read (`hash` of GET pledge).
    hash: String,
    /// Applications the expert has a conflict with: each becomes a recusal.
    #[serde(default)]
    conflicts: Vec<Conflict>,
    /// Protocol 1.5: base64 Ed25519 signature with the expert's registered
    /// personal key over the pledge's message; required (with each
    /// conflict's) when the panel's draw requires personal keys.
    #[serde(default)]
    signature: Option<String>,
}

/// A panel expert confirms the round's pledge before their first sheet, and
/// declares conflicts (each a recusal); a pledge entry and the recusals are
/// logged together.
#[utoipa::path(post, path = "/rounds/{round}/pledge", tag = "materials", params(("round" = i64, Path)),
    request_body = Confirmation,
    responses((status = 200, description = "`{seq}`"), (status = 400, description = "a conflict without a reason, or named twice"),
        (status = 404, description = "not on the panel, or no such application"), (status = 409, description = "already confirmed, or the text changed")))]
async fn confirm_pledge(
    State(s): State<AppState>,
    caller: Caller,
    Extension(Scoped(p)): Extension<Scoped>,
    Path(path): Path<(String, i64)>,
    AppJson(c): AppJson<Confirmation>,
) -> Result<Json<serde_json::Value>, AppError> {
    let e = expert_id(&s, &caller).await?;
    let r = round_of(&s, &p, path.1).await?;
    let signed: Vec<(String, String)> = c
        .conflicts
        .iter()
        .filter_map(|x| Some((x.application.clone(), x.signature.clone()?)))
        .collect();
    let conflicts: Vec<(String, String)> = c
        .conflicts
        .into_iter()
        .map(|x| (x.application, x.reason))
        .collect();
    let seq = s
        .workflow()
        .pledge_signed(
            &r,
            &e,
            caller.account_id,
            &c.hash,
            &conflicts,
            c.signature.as_deref(),
            &signed,
        )
        .await?;
    Ok(Json(serde_json::json!({"seq": seq})))
}
