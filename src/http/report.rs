//! After the scores (issue 14). Under `/api/v1/provinces/{province}` behind the
//! province guard: the province-year's limit of projects and a round's dates.
//! Under `/api/v1/calendar` ([`calendar_router`]): the working-day calendar,
//! read by any account, extended by an admin (a year, a province's exception).

use super::auth::{Caller, Role, Scoped};
use super::rounds::round_of;
use super::{AppError, AppJson, AppState};
use crate::calendar::{CalendarError, Exception, YearFile, YearView};
use crate::limits::YearLimit;
use crate::store::rounds::RoundDates;
use axum::extract::{Path, State};
use axum::{Extension, Json};
use fairpanel_core::types::Province;
use serde::Deserialize;
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

const RUN: &[Role] = &[Role::Admin, Role::Coordinator];
const READ: &[Role] = &[Role::Admin, Role::Coordinator, Role::Supervisor];

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(get_year_limit, put_year_limit))
        .routes(routes!(put_round_dates))
}

pub fn calendar_router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_calendar_years, add_calendar_year))
        .routes(routes!(get_calendar_year))
        .routes(routes!(put_calendar_exception))
        .routes(routes!(calendar_period))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
struct PeriodQuery {
    /// The period's first day (`YYYY-MM-DD`); a day off moves it to the next
    /// working day.
    start: String,
    /// Working days, 1 to 60 (a public notice's is commonly 5).
    days: u32,
    /// A province whose exceptions apply (the caller's own, for a
    /// coordinator or supervisor).
    province: Option<String>,
}

/// A period of working days counted on the calendar: where it ends.
#[derive(serde::Serialize, ToSchema)]
struct Period {
    start: String,
    /// The first working day of the period.
    first: String,
    days: u32,
    /// The period's last day.
    end: String,
}

/// Counts a period of working days (a public notice's 公示期): its first and
/// last day. Every year the period touches must have a calendar.
#[utoipa::path(get, path = "/period", tag = "calendar", params(PeriodQuery),
    responses((status = 200, body = Period), (status = 400, description = "a bad date or number of days"), (status = 409, description = "a year the period touches has no calendar")))]
async fn calendar_period(
    State(s): State<AppState>,
    caller: Caller,
    axum::extract::Query(q): axum::extract::Query<PeriodQuery>,
) -> Result<Json<Period>, AppError> {
    caller.require(ANYONE)?;
    let start = crate::limits::parse_date("start", &q.start).map_err(AppError::BadRequest)?;
    if !(1..=60).contains(&q.days) {
        return Err(AppError::BadRequest("days must be 1 to 60".into()));
    }
    let p = match q.province {
        Some(code) => {
            let p = Province::try_from(code.as_str())
                .map_err(|e| AppError::BadRequest(e.to_string()))?;
            if caller.province.as_ref().is_some_and(|own| *own != p) {
                return Err(AppError::NotFound(format!("no province {code}")));
            }
            Some(p)
        }
        None => None,
    };
    let cal = s.store.calendar(p.as_ref()).await?;
    let conflict = |e: CalendarError| AppError::Conflict(e.to_string());
    let first = cal.next_working(start).map_err(conflict)?;
    let end = cal.end_of_period(start, q.days).map_err(conflict)?;
    Ok(Json(Period {
        start: crate::limits::format_date(start),
        first: crate::limits::format_date(first),
        days: q.days,
        end: crate::limits::format_date(end),
    }))
}

const ANYONE: &[Role] = &[
    Role::Admin,
    Role::Coordinator,
    Role::Supervisor,
    Role::Expert,
];
const ADMIN: &[Role] = &[Role::Admin];

/// The years that have a working-day calendar (shipped or added).
#[utoipa::path(get, path = "/years", tag = "calendar", responses((status = 200, body = Vec<i32>)))]
async fn list_calendar_years(
    State(s): State<AppState>,
    caller: Caller,
) -> Result<Json<Vec<i32>>, AppError> {
    caller.require(ANYONE)?;
    Ok(Json(s.store.calendar_years().await?))
}

/// Adds a year's calendar from the State Council's notice (admin): days off
/// per holiday and the weekend days made working days, with the notice as
/// source. A shipped year or one added before is refused.
#[utoipa::path(post, path = "/years", tag = "calendar", request_body = YearFile,
    responses((status = 201, body = YearView), (status = 400, description = "a date outside the year, a made-working day that is not a weekend day, a day named twice, no source"), (status = 409, description = "the year ships with the service or was added before")))]
async fn add_calendar_year(
    State(s): State<AppState>,
    caller: Caller,
    AppJson(f): AppJson<YearFile>,
) -> Result<axum::response::Response, AppError> {
    use axum::response::IntoResponse;
    caller.require(ADMIN)?;
    let year = f.year;
    if let Err(e) = crate::calendar::YearCalendar::from_file(f.clone()) {
        return Err(AppError::BadRequest(e));
    }
    match s
        .store
        .add_calendar_year(f, Some(caller.account_id), s.clock.now())
        .await?
    {
        Ok(_) => {}
        Err(e) => return Err(AppError::Conflict(e)),
    }
    let v = s
        .store
        .calendar_year(year, None)
        .await?
        .ok_or_else(|| anyhow::anyhow!("the calendar just added is missing"))?;
    Ok((axum::http::StatusCode::CREATED, Json(v)).into_response())
}

#[derive(Deserialize, utoipa::IntoParams)]
struct CalendarQuery {
    /// A province (GB/T 2260 code) whose exceptions to list.
    province: Option<String>,
}

/// A year's calendar: its source, days off, weekend days worked, and a
/// province's exceptions when asked for (a coordinator or supervisor sees
/// their own province's only).
#[utoipa::path(get, path = "/years/{year}", tag = "calendar", params(("year" = i32, Path), CalendarQuery),
    responses((status = 200, body = YearView), (status = 404, description = "no calendar for that year")))]
async fn get_calendar_year(
    State(s): State<AppState>,
    caller: Caller,
    Path(year): Path<i32>,
    axum::extract::Query(q): axum::extract::Query<CalendarQuery>,
) -> Result<Json<YearView>, AppError> {
    caller.require(ANYONE)?;
    let p = match q.province {
        Some(code) => {
            let p = Province::try_from(code.as_str())
                .map_err(|e| AppError::BadRequest(e.to_string()))?;
            if caller.province.as_ref().is_some_and(|own| *own != p) {
                return Err(AppError::NotFound(format!("no province {code}")));
            }
            Some(p)
        }
        None => None,
    };
    s.store
        .calendar_year(year, p.as_ref())
        .await?
        .map(Json)
        .ok_or_else(|| AppError::NotFound(CalendarError::NoCalendar(year).to_string()))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct NewException {
    /// GB/T 2260 province code.
    province: String,
    /// `YYYY-MM-DD`, in a year that has a calendar.
    date: String,
    /// `true`: a working day in that province; `false`: a day off.
    working: bool,
    /// Why (the provincial notice), 1 to 300 characters.
    note: String,
}

/// Sets a province's exception to the national calendar (admin).
#[utoipa::path(put, path = "/exceptions", tag = "calendar", request_body = NewException,
    responses((status = 200, body = Exception), (status = 400, description = "bad province, date or note, or a year without a calendar")))]
async fn put_calendar_exception(
    State(s): State<AppState>,
    caller: Caller,
    AppJson(n): AppJson<NewException>,
) -> Result<Json<Exception>, AppError> {
    caller.require(ADMIN)?;
    let p =
        Province::try_from(n.province.as_str()).map_err(|e| AppError::BadRequest(e.to_string()))?;
    let out = s
        .store
        .set_calendar_exception(
            &p,
            &n.date,
            n.working,
            &n.note,
            Some(caller.account_id),
            s.clock.now(),
        )
        .await?;
    Ok(Json(out.map_err(AppError::BadRequest)?))
}

fn check_year(year: i32) -> Result<(), AppError> {
    if (2000..=2100).contains(&year) {
        Ok(())
    } else {
        Err(AppError::BadRequest(format!(
            "year {year} is not plausible"
        )))
    }
}

/// The province's limit of projects for a year (every round and kind
/// together), and the recommendations its sealed rounds used, from the log.
#[utoipa::path(get, path = "/years/{year}/limit", tag = "report", params(("year" = i32, Path)),
    responses((status = 200, body = YearLimit), (status = 400, description = "implausible year")))]
async fn get_year_limit(
    State(s): State<AppState>,
    caller: Caller,
    Extension(Scoped(p)): Extension<Scoped>,
    Path(path): Path<(String, i32)>,
) -> Result<Json<YearLimit>, AppError> {
    caller.require(READ)?;
    check_year(path.1)?;
    Ok(Json(s.store.year_limit(&p, path.1).await?))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct NewLimit {
    /// Projects the province may recommend this year, 1 to 100; above the
    /// policy's 5 only with a reason.
    limit: u32,
    /// Required when `limit` is above 5: why (kept with the change).
    #[serde(default)]
    reason: Option<String>,
}

/// Sets the province's limit for a year: lower than the policy's five freely,
/// higher only with a written reason; never below what sealed rounds already
/// recommended. Rounds whose scoring has opened keep the places fixed in their
/// scoring_open entry.
#[utoipa::path(put, path = "/years/{year}/limit", tag = "report", params(("year" = i32, Path)),
    request_body = NewLimit,
    responses((status = 200, body = YearLimit), (status = 400, description = "limit out of range, a higher limit without a reason, or below what is already recommended")))]
async fn put_year_limit(
    State(s): State<AppState>,
    caller: Caller,
    Extension(Scoped(p)): Extension<Scoped>,
    Path(path): Path<(String, i32)>,
    AppJson(n): AppJson<NewLimit>,
) -> Result<Json<YearLimit>, AppError> {
    caller.require(RUN)?;
    check_year(path.1)?;
    let out = s
        .store
        .set_year_limit(
            &p,
            path.1,
            n.limit,
            n.reason.as_deref(),
            Some(caller.account_id),
            s.clock.now(),
        )
        .await?;
    Ok(Json(out.map_err(AppError::BadRequest)?))
}

/// Sets a round's planned dates (review meeting, notice, filing): dates of the
/// round's year, in that order.
#[utoipa::path(put, path = "/rounds/{round}/dates", tag = "report", params(("round" = i64, Path)),
    request_body = RoundDates,
    responses((status = 200, body = RoundDates), (status = 400, description = "not a date, not in the round's year, or out of order"), (status = 404, description = "no such round in this province")))]
async fn put_round_dates(
    State(s): State<AppState>,
    caller: Caller,
    Extension(Scoped(p)): Extension<Scoped>,
    Path(path): Path<(String, i64)>,
    AppJson(d): AppJson<RoundDates>,
) -> Result<Json<RoundDates>, AppError> {
    caller.require(RUN)?;
    let r = round_of(&s, &p, path.1).await?;
    let out = s.store.set_round_dates(&r, &d, s.clock.now()).await?;
    Ok(Json(out.map_err(AppError::BadRequest)?))
}
