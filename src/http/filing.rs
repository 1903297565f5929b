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
        .routes(routes!(get_report_html))
        .routes(routes!(get_report_xlsx))
        .routes(routes!(file_round, get_filing))
        .routes(routes!(get_filing_zip))
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

/// The issued report, printable: A4, page numbers, signature and seal block,
/// a QR code to the public verification page.
#[utoipa::path(get, path = "/rounds/{round}/report.html", tag = "report", params(("round" = i64, Path)),
    responses((status = 200, description = "the printable report", content_type = "text/html"),
        (status = 404, description = "no such round in this province, or no issued report")))]
async fn get_report_html(
    State(s): State<AppState>,
    caller: Caller,
    Extension(Scoped(p)): Extension<Scoped>,
    Path(path): Path<(String, i64)>,
    headers: axum::http::HeaderMap,
) -> Result<Response, AppError> {
    caller.require(READ)?;
    let r = round_of(&s, &p, path.1).await?;
    let html = report_html(&s, &r, &s.public_base(&headers)).await?;
    Ok(([(header::CONTENT_TYPE, "text/html; charset=utf-8")], html).into_response())
}

/// The printable report of round `r`, its QR code pointing under `base`.
pub(crate) async fn report_html(
    s: &AppState,
    r: &crate::store::rounds::Round,
    base: &str,
) -> Result<String, AppError> {
    let wf = s.workflow();
    let doc = wf.report_doc(r).await?;
    let issued = wf
        .issued_report(r)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("round {} has no issued report", r.id)))?;
    Ok(crate::report_render::html(
        &doc,
        &issued,
        &format!("{base}/public/verify"),
    ))
}

/// The issued report as a workbook, one sheet per section.
#[utoipa::path(get, path = "/rounds/{round}/report.xlsx", tag = "report", params(("round" = i64, Path)),
    responses((status = 200, description = "the report workbook", content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        (status = 404, description = "no such round in this province, or no issued report")))]
async fn get_report_xlsx(
    State(s): State<AppState>,
    caller: Caller,
    Extension(Scoped(p)): Extension<Scoped>,
    Path(path): Path<(String, i64)>,
) -> Result<Response, AppError> {
    caller.require(READ)?;
    let r = round_of(&s, &p, path.1).await?;
    let doc = s.workflow().report_doc(&r).await?;
    let bytes = crate::report_render::xlsx(&doc)?;
    Ok(download(
        bytes,
        XLSX,
        &format!("report-{}.xlsx", crate::scores::round_ref(&r)),
    ))
}

/// Where a round's report and filing stand.
#[derive(serde::Serialize, utoipa::ToSchema)]
struct FilingStatus {
    report: Option<Issued>,
    filing: Option<crate::filing::Filed>,
    /// What is still missing before the round can be filed.
    missing: Vec<crate::filing::Missing>,
    /// From 1 October of the round's year (Beijing time) until it is filed.
    warn: bool,
    /// Filing now would be late (after 31 October).
    late_now: bool,
}

/// The round's report and filing: issued, filed (when, late or not), and
/// what is still missing.
#[utoipa::path(get, path = "/rounds/{round}/filing", tag = "report", params(("round" = i64, Path)),
    responses((status = 200, body = FilingStatus), (status = 404, description = "no such round in this province")))]
async fn get_filing(
    State(s): State<AppState>,
    caller: Caller,
    Extension(Scoped(p)): Extension<Scoped>,
    Path(path): Path<(String, i64)>,
) -> Result<Json<FilingStatus>, AppError> {
    caller.require(READ)?;
    let r = round_of(&s, &p, path.1).await?;
    let wf = s.workflow();
    let filing = wf.filed(&r).await?;
    let now = s.clock.now();
    Ok(Json(FilingStatus {
        report: wf.issued_report(&r).await?,
        missing: crate::filing::missing(&s.store, &r).await?,
        warn: filing.is_none() && crate::filing::warn_from(r.year, now),
        late_now: crate::filing::is_late(r.year, now),
        filing,
    }))
}

/// Files the round (备案): the package (report in three forms, every draw
/// bundle, the attachments, manifest.json with each file's SHA-256 and its
/// signature), a `filing` entry with the manifest's hash and whether it is
/// late (after 31 October), and the round moved to reported; one transaction.
#[utoipa::path(post, path = "/rounds/{round}/filing", tag = "report", params(("round" = i64, Path)),
    responses((status = 201, body = crate::filing::Filed), (status = 404, description = "no such round in this province"),
        (status = 409, description = "the round is not closed or its report is not issued")))]
async fn file_round(
    State(s): State<AppState>,
    caller: Caller,
    Extension(Scoped(p)): Extension<Scoped>,
    Path(path): Path<(String, i64)>,
    headers: axum::http::HeaderMap,
) -> Result<Response, AppError> {
    caller.require(RUN)?;
    let r = round_of(&s, &p, path.1).await?;
    let filed = s
        .workflow()
        .file(&r, caller.account_id, &s.public_base(&headers))
        .await?;
    Ok((StatusCode::CREATED, Json(filed)).into_response())
}

/// The filed package (ZIP).
#[utoipa::path(get, path = "/rounds/{round}/filing.zip", tag = "report", params(("round" = i64, Path)),
    responses((status = 200, description = "the filing package", content_type = "application/zip"),
        (status = 404, description = "no such round in this province, or not filed")))]
async fn get_filing_zip(
    State(s): State<AppState>,
    caller: Caller,
    Extension(Scoped(p)): Extension<Scoped>,
    Path(path): Path<(String, i64)>,
) -> Result<Response, AppError> {
    caller.require(READ)?;
    let r = round_of(&s, &p, path.1).await?;
    let bytes = s.workflow().filing_zip(&r).await?;
    Ok(download(
        bytes,
        "application/zip",
        &format!("filing-{}.zip", crate::scores::round_ref(&r)),
    ))
}

pub(crate) const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

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
