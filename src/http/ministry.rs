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
    OpenApiRouter::new().routes(routes!(year_overview))
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
