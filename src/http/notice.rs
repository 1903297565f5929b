//! The public notice (公示) and objections (异议), issue 14 items 3 and 4
//! ([`crate::notice`]). Under `/api/v1/provinces/{province}` behind the
//! province guard ([`router`]): a round's notice drafted, published, its
//! objections handled, closed. Under `/api/v1/public` ([`public_router`]),
//! no account: every province's notices, one notice's text, the objection
//! form, and a receipt opened with its reference and token.

use super::auth::{Caller, Role, Scoped};
use super::rounds::round_of;
use super::{AppError, AppJson, AppState};
use crate::notice::{
    Handling, NewObjection, NoticeDraft, NoticePreview, NoticeView, ObjectionView, PublicNotice,
    PublicNoticeDetail, Receipt, ReceiptView,
};
use axum::extract::{DefaultBodyLimit, Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use fairpanel_core::types::Province;
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};

const RUN: &[Role] = &[Role::Admin, Role::Coordinator];
const READ: &[Role] = &[Role::Admin, Role::Coordinator, Role::Supervisor];

/// The largest objection body: a 5 MiB attachment in base64 and the text.
pub const MAX_OBJECTION_BODY: usize = 8 * 1024 * 1024;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(get_notice, publish_notice))
        .routes(routes!(preview_notice))
        .routes(routes!(handle_objection))
        .routes(routes!(get_attachment))
        .routes(routes!(close_notice))
}

pub fn public_router() -> OpenApiRouter<AppState> {
    let submit = OpenApiRouter::new()
        .routes(routes!(submit_objection))
        .layer(DefaultBodyLimit::max(MAX_OBJECTION_BODY));
    OpenApiRouter::new()
        .routes(routes!(list_notices))
        .routes(routes!(get_public_notice))
        .routes(routes!(get_receipt))
        .merge(submit)
}

/// The notice a draft would publish, from the round's seal; nothing is
/// written.
#[utoipa::path(post, path = "/rounds/{round}/notice/preview", tag = "notice", params(("round" = i64, Path)),
    request_body = NoticeDraft,
    responses((status = 200, body = NoticePreview), (status = 400, description = "an unknown column, a bad date or period, a year without a calendar"),
        (status = 404, description = "no such round in this province"), (status = 409, description = "the round is not sealed, or its seal recommends nothing")))]
async fn preview_notice(
    State(s): State<AppState>,
    caller: Caller,
    Extension(Scoped(p)): Extension<Scoped>,
    Path(path): Path<(String, i64)>,
    AppJson(d): AppJson<NoticeDraft>,
) -> Result<Json<NoticePreview>, AppError> {
    caller.require(RUN)?;
    let r = round_of(&s, &p, path.1).await?;
    Ok(Json(s.workflow().preview_notice(&r, &d).await?))
}

/// Publishes the round's notice: a `notice` entry with the text's SHA-256,
/// and the round's notice dates. A round has one notice.
#[utoipa::path(post, path = "/rounds/{round}/notice", tag = "notice", params(("round" = i64, Path)),
    request_body = NoticeDraft,
    responses((status = 201, body = NoticeView), (status = 400, description = "an unknown column, a bad date or period"),
        (status = 404, description = "no such round in this province"), (status = 409, description = "not sealed, or already published")))]
async fn publish_notice(
    State(s): State<AppState>,
    caller: Caller,
    Extension(Scoped(p)): Extension<Scoped>,
    Path(path): Path<(String, i64)>,
    AppJson(d): AppJson<NoticeDraft>,
) -> Result<Response, AppError> {
    caller.require(RUN)?;
    let r = round_of(&s, &p, path.1).await?;
    let v = s
        .workflow()
        .publish_notice(&r, &d, caller.account_id)
        .await?;
    Ok((StatusCode::CREATED, Json(v)).into_response())
}

/// The round's notice with every objection (names and contacts included:
/// the province handles them).
#[utoipa::path(get, path = "/rounds/{round}/notice", tag = "notice", params(("round" = i64, Path)),
    responses((status = 200, body = NoticeView), (status = 404, description = "no such round in this province, or no notice yet")))]
async fn get_notice(
    State(s): State<AppState>,
    caller: Caller,
    Extension(Scoped(p)): Extension<Scoped>,
    Path(path): Path<(String, i64)>,
) -> Result<Json<NoticeView>, AppError> {
    caller.require(READ)?;
    let r = round_of(&s, &p, path.1).await?;
    s.workflow()
        .notice_of(&r)
        .await?
        .map(Json)
        .ok_or_else(|| AppError::NotFound(format!("round {} has no notice", r.id)))
}

/// Handles an objection: upheld or rejected with a written answer; an upheld
/// one may withdraw the project's recommendation (a `withdrawal` entry),
/// which frees its place in the province-year's limit.
#[utoipa::path(post, path = "/rounds/{round}/notice/objections/{reference}/handling", tag = "notice",
    params(("round" = i64, Path), ("reference" = String, Path)), request_body = Handling,
    responses((status = 200, body = ObjectionView), (status = 400, description = "a bad outcome, no answer, a withdrawal without a reason or of a rejected objection"),
        (status = 404, description = "no such round or objection"), (status = 409, description = "already handled, the notice closed, or the project not recommended or already withdrawn")))]
async fn handle_objection(
    State(s): State<AppState>,
    caller: Caller,
    Extension(Scoped(p)): Extension<Scoped>,
    Path(path): Path<(String, i64, String)>,
    AppJson(h): AppJson<Handling>,
) -> Result<Json<ObjectionView>, AppError> {
    caller.require(RUN)?;
    let r = round_of(&s, &p, path.1).await?;
    Ok(Json(
        s.workflow()
            .handle_objection(&r, &path.2, &h, caller.account_id)
            .await?,
    ))
}

/// An objection's attachment, with its checked type.
#[utoipa::path(get, path = "/rounds/{round}/notice/objections/{reference}/attachment", tag = "notice",
    params(("round" = i64, Path), ("reference" = String, Path)),
    responses((status = 200, description = "the file"), (status = 404, description = "no such round, objection or attachment")))]
async fn get_attachment(
    State(s): State<AppState>,
    caller: Caller,
    Extension(Scoped(p)): Extension<Scoped>,
    Path(path): Path<(String, i64, String)>,
) -> Result<Response, AppError> {
    caller.require(READ)?;
    let r = round_of(&s, &p, path.1).await?;
    let (t, bytes) = crate::notice::attachment_of(&s.store, r.id, &path.2)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("objection {} has no attachment", path.2)))?;
    Ok((
        [
            (header::CONTENT_TYPE, t),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"objection-attachment\"".to_string(),
            ),
        ],
        bytes,
    )
        .into_response())
}

/// Closes the round's notice after its last day, with every objection
/// handled: a `notice_close` entry with the counts.
#[utoipa::path(post, path = "/rounds/{round}/notice/close", tag = "notice", params(("round" = i64, Path)),
    responses((status = 200, body = NoticeView), (status = 404, description = "no such round, or no notice"),
        (status = 409, description = "the period is not over, an objection is pending, or already closed")))]
async fn close_notice(
    State(s): State<AppState>,
    caller: Caller,
    Extension(Scoped(p)): Extension<Scoped>,
    Path(path): Path<(String, i64)>,
) -> Result<Json<NoticeView>, AppError> {
    caller.require(RUN)?;
    let r = round_of(&s, &p, path.1).await?;
    Ok(Json(s.workflow().close_notice(&r).await?))
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
struct ListQuery {
    /// A province (GB/T 2260 code).
    province: Option<String>,
    year: Option<i32>,
}

/// Every province's notices, open ones first, then the newest.
#[utoipa::path(get, path = "/notices", tag = "public", params(ListQuery),
    responses((status = 200, body = Vec<PublicNotice>), (status = 400, description = "a bad province code")))]
async fn list_notices(
    State(s): State<AppState>,
    Query(q): Query<ListQuery>,
) -> Result<Json<Vec<PublicNotice>>, AppError> {
    let p = match q.province.as_deref().filter(|p| !p.is_empty()) {
        Some(code) => {
            Some(Province::try_from(code).map_err(|e| AppError::BadRequest(e.to_string()))?)
        }
        None => None,
    };
    Ok(Json(
        crate::notice::public_notices(&s.store, p.as_ref(), q.year).await?,
    ))
}

/// One notice: its exact text (whose SHA-256 is the notice entry's `text`),
/// the period, how to object, and the counts of objections.
#[utoipa::path(get, path = "/notices/{id}", tag = "public", params(("id" = i64, Path)),
    responses((status = 200, body = PublicNoticeDetail), (status = 404, description = "no such notice")))]
async fn get_public_notice(
    State(s): State<AppState>,
    Path(id): Path<i64>,
) -> Result<Json<PublicNoticeDetail>, AppError> {
    crate::notice::public_notice(&s.store, id)
        .await?
        .map(Json)
        .ok_or_else(|| AppError::NotFound(format!("no notice {id}")))
}

/// Sends an objection to an open notice: a receipt with the reference and a
/// secret token (shown once) that opens the receipt later.
#[utoipa::path(post, path = "/notices/{id}/objections", tag = "public", params(("id" = i64, Path)),
    request_body = NewObjection,
    responses((status = 201, body = Receipt), (status = 400, description = "a missing field, a project not on the notice, an attachment too large or of another type"),
        (status = 404, description = "no such notice"), (status = 409, description = "the notice is closed, or its period not begun or over"),
        (status = 429, description = "too many objections from this address: wait `retry_after` seconds")))]
async fn submit_objection(
    State(s): State<AppState>,
    addr: crate::web::guard::ClientAddr,
    Path(id): Path<i64>,
    AppJson(o): AppJson<NewObjection>,
) -> Result<Response, AppError> {
    pace_objections(&s, addr.0)?;
    let r = s.workflow().submit_objection(id, &o).await?;
    count_objection(&s, addr.0);
    Ok((StatusCode::CREATED, Json(r)).into_response())
}

/// The objection form is public and takes files: each client address sends
/// a few objections freely (`throttle::FREE_FAILURES`), then each next one
/// waits twice as long as the last (up to 15 minutes), and the count is
/// forgotten after a day without one. The pages' form and the API share it.
pub fn pace_objections(s: &AppState, addr: Option<std::net::IpAddr>) -> Result<(), AppError> {
    let Some(a) = addr else { return Ok(()) };
    match s
        .throttle
        .check(&[format!("objection:{a}")], crate::serve::now())
    {
        Ok(()) => Ok(()),
        Err(wait) => Err(AppError::TooManyRequests(
            format!("too many objections from this address; wait {wait} s and try again"),
            wait,
        )),
    }
}

/// Counts a taken objection against its address (see [`pace_objections`]).
pub fn count_objection(s: &AppState, addr: Option<std::net::IpAddr>) {
    if let Some(a) = addr {
        s.throttle
            .fail(&[format!("objection:{a}")], crate::serve::now());
    }
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct ReceiptQuery {
    reference: String,
    token: String,
}

/// An objection's receipt: its state and answer, opened with its reference
/// and the token given at submission (never who sent it).
#[utoipa::path(post, path = "/notices/receipt", tag = "public", request_body = ReceiptQuery,
    responses((status = 200, body = ReceiptView), (status = 404, description = "no objection with that reference and token")))]
async fn get_receipt(
    State(s): State<AppState>,
    AppJson(q): AppJson<ReceiptQuery>,
) -> Result<Json<ReceiptView>, AppError> {
    crate::notice::receipt(&s.store, &q.reference, &q.token)
        .await?
        .map(Json)
        .ok_or_else(|| AppError::NotFound("no objection with that reference and token".into()))
}
