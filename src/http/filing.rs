//! The review report (评审报告) and the filing (备案) over HTTP, under
//! `/api/v1/provinces/{province}` behind the province guard (another
//! province's caller gets 404 there). (`http/report.rs` serves the year's
//! limit, the round's dates and the calendar.)

use super::auth::{Caller, Role, Scoped};
use super::rounds::round_of;
use super::{AppError, AppState};
use crate::report::Issued;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use utoipa_axum::{router::OpenApiRouter, routes};

const RUN: &[Role] = &[Role::Admin, Role::Coordinator];
const READ: &[Role] = &[Role::Admin, Role::Coordinator, Role::Supervisor];

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(issue_report))
        .routes(routes!(get_report_json))
}

/// Issues the round's review report: the document is built from the
/// service's records (six sections) and a `report` log entry fixes its
/// SHA-256, in one transaction. Once per round, after the round is closed
/// and its panel disclosed.
#[utoipa::path(post, path = "/rounds/{round}/report", tag = "report", params(("round" = i64, Path)),
    responses((status = 201, body = Issued), (status = 404, description = "no such round in this province"),
        (status = 409, description = "the round is not closed, its panel is not disclosed, or the report was already issued")))]
async fn issue_report(
    State(s): State<AppState>,
    caller: Caller,
    Extension(Scoped(p)): Extension<Scoped>,
    Path(path): Path<(String, i64)>,
) -> Result<Response, AppError> {
    caller.require(RUN)?;
    let r = round_of(&s, &p, path.1).await?;
    let issued = s.workflow().issue_report(&r, caller.account_id).await?;
    Ok((StatusCode::CREATED, Json(issued)).into_response())
}

/// The issued report as a file for `fairpanel verify`: the document with the
/// log entries it cites, their inclusion proofs and the newest checkpoint.
#[utoipa::path(get, path = "/rounds/{round}/report.json", tag = "report", params(("round" = i64, Path)),
    responses((status = 200, description = "the report file (format fairpanel-report/v1)", content_type = "application/json"),
        (status = 404, description = "no such round in this province, or no issued report")))]
async fn get_report_json(
    State(s): State<AppState>,
    caller: Caller,
    Extension(Scoped(p)): Extension<Scoped>,
    Path(path): Path<(String, i64)>,
) -> Result<Response, AppError> {
    caller.require(READ)?;
    let r = round_of(&s, &p, path.1).await?;
    let bytes = s.workflow().report_file(&r).await?;
    Ok(download(
        bytes,
        "application/json",
        &format!("report-{}.json", crate::scores::round_ref(&r)),
    ))
}

/// A file to download, with its name.
pub(crate) fn download(bytes: Vec<u8>, media_type: &str, name: &str) -> Response {
    (
        [
            (header::CONTENT_TYPE, media_type.to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        bytes,
    )
        .into_response()
}
