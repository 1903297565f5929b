//! The ministry's national, read-only view (issue 14, item 7), under
//! `/api/v1/ministry`: every province's filing status for a year. Only the
//! `ministry` role (and an admin) reads it; the ministry reads nothing else:
//! every province's own routes answer it 404, as they answer a caller of
//! another province.

use super::auth::{Caller, Role};
use super::{AppError, AppState};
use crate::ministry::YearOverview;
use axum::Json;
use axum::extract::{Path, State};
use utoipa_axum::{router::OpenApiRouter, routes};

pub const READ: &[Role] = &[Role::Ministry, Role::Admin];

/// The years an overview can be asked for.
pub const YEARS: std::ops::RangeInclusive<i32> = 2022..=2100;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(year_overview))
        .routes(routes!(round_report_json))
        .routes(routes!(round_report_html))
}

/// Checks a year asked for.
pub fn check_year(year: i32) -> Result<i32, AppError> {
    if YEARS.contains(&year) {
        Ok(year)
    } else {
        Err(AppError::BadRequest(format!(
            "year must be {} to {} (the policy is of 2022)",
            YEARS.start(),
            YEARS.end()
        )))
    }
}

/// Every province's year: filed or not, on time or late, projects per kind
/// against the limit, each round with its state and dates.
#[utoipa::path(get, path = "/years/{year}", tag = "ministry", params(("year" = i32, Path, description = "2022 to 2100")),
    responses((status = 200, body = YearOverview), (status = 400, description = "a year out of range"),
        (status = 401, description = "not logged in"), (status = 403, description = "not the ministry or an admin")))]
async fn year_overview(
    State(s): State<AppState>,
    caller: Caller,
    Path(year): Path<i32>,
) -> Result<Json<YearOverview>, AppError> {
    caller.require(READ)?;
    let year = check_year(year)?;
    Ok(Json(s.store.year_overview(year).await?))
}

/// The round a reference (`{province}-{year}-r{id}`) names, any province.
pub async fn round_by_reference(
    s: &AppState,
    reference: &str,
) -> Result<crate::store::rounds::Round, AppError> {
    let none = || AppError::NotFound(format!("no round {reference}"));
    let mut parts = reference.splitn(3, '-');
    let (Some(p), Some(_), Some(id)) = (parts.next(), parts.next(), parts.next()) else {
        return Err(none());
    };
    let p = fairpanel_core::types::Province::try_from(p).map_err(|_| none())?;
    let id: i64 = id
        .strip_prefix('r')
        .and_then(|x| x.parse().ok())
        .ok_or_else(none)?;
    let r = s.store.round(&p, id).await?.ok_or_else(none)?;
    if crate::scores::round_ref(&r).as_str() != reference {
        return Err(none());
    }
    Ok(r)
}

/// A filed round's review report as a file for `fairpanel verify` (the
/// ministry opens any province's filed report).
#[utoipa::path(get, path = "/rounds/{reference}/report.json", tag = "ministry",
    params(("reference" = String, Path, description = "the round's reference, {province}-{year}-r{id}")),
    responses((status = 200, description = "the report file (format fairpanel-report/v1)", content_type = "application/json"),
        (status = 401, description = "not logged in"), (status = 403, description = "not the ministry or an admin"),
        (status = 404, description = "no such round, or no issued report")))]
async fn round_report_json(
    State(s): State<AppState>,
    caller: Caller,
    Path(reference): Path<String>,
) -> Result<axum::response::Response, AppError> {
    caller.require(READ)?;
    let r = round_by_reference(&s, &reference).await?;
    let bytes = s.workflow().report_file(&r).await?;
    Ok(super::filing::download(
        bytes,
        "application/json",
        &format!("report-{reference}.json"),
    ))
}

/// A round's printable review report (the ministry's copy).
#[utoipa::path(get, path = "/rounds/{reference}/report.html", tag = "ministry",
    params(("reference" = String, Path, description = "the round's reference, {province}-{year}-r{id}")),
    responses((status = 200, description = "the printable report", content_type = "text/html"),
        (status = 401, description = "not logged in"), (status = 403, description = "not the ministry or an admin"),
        (status = 404, description = "no such round, or no issued report")))]
async fn round_report_html(
    State(s): State<AppState>,
    caller: Caller,
    Path(reference): Path<String>,
    headers: axum::http::HeaderMap,
) -> Result<axum::response::Response, AppError> {
    use axum::response::IntoResponse;
    caller.require(READ)?;
    let r = round_by_reference(&s, &reference).await?;
    let html = super::filing::report_html(&s, &r, &s.public_base(&headers)).await?;
    Ok((
        [(axum::http::header::CONTENT_TYPE, "text/html; charset=utf-8")],
        html,
    )
        .into_response())
}
