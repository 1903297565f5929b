//! Review rounds, applications and draws of a province over HTTP, mounted under
//! `/api/v1/provinces/{province}` behind the province guard.
//!
//! Coordinators (and admins) run rounds and draws; supervisors contribute
//! entropy and read; experts see only their own assignments.

use super::auth::{Caller, Role, Scoped};
use super::experts::unprocessable;
use super::{AppError, AppJson, AppState};
use crate::applications::{self, ApplicationRecord};
use crate::draws::{
    DeclineOutcome, DrawListed, DrawRequest, DrawSummary, Preview, SupplementRequest,
};
use crate::store::rounds::{Round, RoundState};
use crate::with_pool;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use fairpanel_core::hash::Hash32;
use fairpanel_core::types::Province;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};

const RUN: &[Role] = &[Role::Admin, Role::Coordinator];
const READ: &[Role] = &[Role::Admin, Role::Coordinator, Role::Supervisor];

pub fn router() -> OpenApiRouter<AppState> {
    let (schemas, paths, import) = routes!(import_applications);
    OpenApiRouter::new()
        .routes(routes!(list_rounds, create_round))
        .routes(routes!(get_round))
        .routes(routes!(round_tasks))
        .routes(routes!(advance_round))
        .routes(routes!(list_applications, add_application))
        .routes(routes!(delete_application))
        .routes((
            schemas,
            paths,
            import.layer(DefaultBodyLimit::max(super::experts::MAX_IMPORT_BYTES)),
        ))
        .routes(routes!(applications_template))
        .routes(routes!(preview_draw))
        .routes(routes!(list_round_draws, commit_draw))
        .routes(routes!(list_draws))
        .routes(routes!(get_draw))
        .routes(routes!(contribute))
        .routes(routes!(register_key))
        .routes(routes!(record_beacon))
        .routes(routes!(reveal))
        .routes(routes!(decline))
        .routes(routes!(supplement))
        .routes(routes!(void))
        .routes(routes!(disclose))
        .routes(routes!(record_sheet))
        .routes(routes!(assignments))
        .routes(routes!(outbox))
}

pub async fn round_of(s: &AppState, p: &Province, id: i64) -> Result<Round, AppError> {
    s.store
        .round(p, id)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("no round {id}")))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct NewRound {
    year: i32,
    /// `base_new`, `base_existing` or `studio`.
    kind: String,
    title: String,
}

#[utoipa::path(get, path = "/rounds", tag = "rounds", responses((status = 200, body = Vec<Round>)))]
async fn list_rounds(
    State(s): State<AppState>,
    caller: Caller,
    Extension(Scoped(p)): Extension<Scoped>,
) -> Result<Json<Vec<Round>>, AppError> {
    caller.require(READ)?;
    Ok(Json(s.store.rounds(&p).await?))
}

/// Opens a review round for a year and kind.
#[utoipa::path(post, path = "/rounds", tag = "rounds", request_body = NewRound,
    responses((status = 201, body = Round), (status = 400, description = "bad year, kind or title")))]
async fn create_round(
    State(s): State<AppState>,
    caller: Caller,
    Extension(Scoped(p)): Extension<Scoped>,
    AppJson(n): AppJson<NewRound>,
) -> Result<Response, AppError> {
    caller.require(RUN)?;
    let r = open_round(&s, &p, n.year, &n.kind, &n.title).await?;
    Ok((StatusCode::CREATED, Json(r)).into_response())
}

/// Opens a review round after checking its kind, year and title.
pub async fn open_round(
    s: &AppState,
    p: &Province,
    year: i32,
    kind: &str,
    title: &str,
) -> Result<Round, AppError> {
    if !["base_new", "base_existing", "studio"].contains(&kind) {
        return Err(AppError::BadRequest(format!(
            "kind must be base_new, base_existing or studio, not {kind}"
        )));
    }
    if !(2000..=2100).contains(&year) {
        return Err(AppError::BadRequest(format!(
            "year {year} is not plausible"
        )));
    }
    let title = title.trim();
    if title.is_empty() || title.chars().count() > 200 {
        return Err(AppError::BadRequest(
            "title must be 1 to 200 characters".into(),
        ));
    }
    let title = &crate::text::line("title", title).map_err(AppError::BadRequest)?;
    Ok(s.store
        .create_round(p, year, kind, title, s.clock.now())
        .await?)
}

#[utoipa::path(get, path = "/rounds/{round}", tag = "rounds", params(("round" = i64, Path)),
    responses((status = 200, body = Round), (status = 404, description = "no such round in this province")))]
async fn get_round(
    State(s): State<AppState>,
    caller: Caller,
    Extension(Scoped(p)): Extension<Scoped>,
    Path(path): Path<(String, i64)>,
) -> Result<Json<Round>, AppError> {
    caller.require(READ)?;
    Ok(Json(round_of(&s, &p, path.1).await?))
}

/// One step of a round's work, as the task list shows it.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct Task {
    /// `pool`, `applications`, `screen`, `draw`, `scoring`, `results`,
    /// `notice`, `report` or `filing`.
    pub task: &'static str,
    /// `done`, `in-progress`, `not-started` or `cannot-start`.
    pub state: &'static str,
    /// Why, as a code: `pool-why`, `applications-why`, `screen-why` (with
    /// `count`), `need-applications`, `draw-done`, `draw-live`,
    /// `need-pool-and-applications`, `round-not-open`, `need-draw`,
    /// `results-when`, `need-scoring`, `later`.
    pub reason: Option<&'static str>,
    /// The number the reason speaks of (active experts, applications,
    /// applications failing the screen).
    pub count: Option<usize>,
    /// The draw the `draw` task is about (the newest one not voided).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub draw: Option<String>,
}

/// A round, its tasks and its draws: what the round's task list shows.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct RoundTasks {
    pub round: Round,
    pub tasks: Vec<Task>,
    pub draws: Vec<DrawListed>,
}

/// Each task of round `id` with its state and why it cannot start yet. The
/// page and the API both answer from this.
pub async fn tasks_of(s: &AppState, p: &Province, id: i64) -> Result<RoundTasks, AppError> {
    let r = round_of(s, p, id).await?;
    let active = s.store.active_experts(p).await?;
    let apps = s.store.applications(r.id).await?;
    let failing = if apps.is_empty() {
        0
    } else {
        s.workflow()
            .screens_of(&r, &apps)
            .await?
            .iter()
            .filter(|x| !x.scored())
            .count()
    };
    let draws = s.workflow().draws_of_round(r.id).await?;
    let live = draws.iter().any(|d| d.state == "committed" && !d.abandoned);
    let revealed = draws
        .iter()
        .any(|d| d.state == "revealed" || d.state == "disclosed");
    let t = |task, state, reason, count| Task {
        task,
        state,
        reason,
        count,
        draw: None,
    };
    let mut tasks = vec![
        t(
            "pool",
            if active > 0 { "done" } else { "not-started" },
            Some("pool-why"),
            Some(active),
        ),
        t(
            "applications",
            if apps.is_empty() {
                "not-started"
            } else {
                "done"
            },
            Some("applications-why"),
            Some(apps.len()),
        ),
        if apps.is_empty() {
            t("screen", "cannot-start", Some("need-applications"), None)
        } else {
            t(
                "screen",
                if failing > 0 { "in-progress" } else { "done" },
                Some("screen-why"),
                Some(failing),
            )
        },
    ];
    let (state, reason) = if revealed {
        ("done", Some("draw-done"))
    } else if live {
        ("in-progress", Some("draw-live"))
    } else if apps.is_empty() || active == 0 {
        ("cannot-start", Some("need-pool-and-applications"))
    } else if r.state != RoundState::Open {
        ("cannot-start", Some("round-not-open"))
    } else {
        ("not-started", None)
    };
    tasks.push(Task {
        draw: draws
            .iter()
            .rev()
            .find(|d| d.state != "voided")
            .map(|d| d.id.clone()),
        ..t("draw", state, reason, None)
    });
    let places = s.store.year_limit(p, r.year).await?.places_left as usize;
    tasks.push(match r.state {
        RoundState::Open => t("scoring", "cannot-start", Some("need-draw"), None),
        RoundState::Drawn if places == 0 => {
            t("scoring", "cannot-start", Some("no-places-left"), None)
        }
        RoundState::Drawn => t("scoring", "not-started", Some("places-left"), Some(places)),
        RoundState::Scoring => t("scoring", "in-progress", None, None),
        _ => t("scoring", "done", None, None),
    });
    tasks.push(match r.state {
        RoundState::Closed | RoundState::Reported => t("results", "done", None, None),
        RoundState::Scoring => t("results", "not-started", Some("results-when"), None),
        _ => t("results", "cannot-start", Some("need-scoring"), None),
    });
    let d = &r.dates;
    let set = [&d.meeting, &d.notice_start, &d.filing]
        .iter()
        .filter(|x| x.is_some())
        .count();
    tasks.push(t(
        "dates",
        match set {
            0 => "not-started",
            3 => "done",
            _ => "in-progress",
        },
        Some("dates-why"),
        Some(set),
    ));
    let notice = crate::notice::notice_of_round(&s.store, r.id).await?;
    tasks.push(match (&r.state, &notice) {
        (_, Some(n)) if n.closed_at.is_some() => t(
            "notice",
            "done",
            Some("notice-objections"),
            Some(n.objections.len()),
        ),
        (_, Some(n)) => t(
            "notice",
            "in-progress",
            Some("notice-pending"),
            Some(
                n.objections
                    .iter()
                    .filter(|o| o.outcome == "pending")
                    .count(),
            ),
        ),
        (RoundState::Closed | RoundState::Reported, None) => {
            t("notice", "not-started", Some("notice-why"), None)
        }
        _ => t("notice", "cannot-start", Some("need-seal"), None),
    });
    let wf = s.workflow();
    let issued = wf.issued_report(&r).await?.is_some();
    let filed = wf.filed(&r).await?.is_some();
    tasks.push(match r.state {
        _ if issued => t("report", "done", None, None),
        RoundState::Closed => t("report", "not-started", Some("report-when"), None),
        _ => t("report", "cannot-start", Some("need-results"), None),
    });
    let missing = crate::filing::missing(&s.store, &r).await?;
    tasks.push(if filed {
        t("filing", "done", None, None)
    } else if issued && r.state == RoundState::Closed {
        t(
            "filing",
            "not-started",
            Some("filing-missing"),
            Some(missing.len()),
        )
    } else {
        t("filing", "cannot-start", Some("need-report"), None)
    });
    Ok(RoundTasks {
        round: r,
        tasks,
        draws,
    })
}

#[utoipa::path(get, path = "/rounds/{round}/tasks", tag = "rounds", params(("round" = i64, Path)),
    responses((status = 200, body = RoundTasks), (status = 404, description = "no such round in this province")))]
async fn round_tasks(
    State(s): State<AppState>,
    caller: Caller,
    Extension(Scoped(p)): Extension<Scoped>,
    Path(path): Path<(String, i64)>,
) -> Result<Json<RoundTasks>, AppError> {
    caller.require(READ)?;
    Ok(Json(tasks_of(&s, &p, path.1).await?))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct Advance {
    /// The next state: `scoring` (from drawn) or `closed` (from scoring).
    /// `drawn` is reached by revealing a draw, `reported` by filing
    /// (`POST …/rounds/{round}/filing`).
    to: RoundState,
}

/// Moves a round one step forward; anything out of order is refused.
#[utoipa::path(post, path = "/rounds/{round}/advance", tag = "rounds", params(("round" = i64, Path)), request_body = Advance,
    responses((status = 200, body = Round), (status = 409, description = "out of order")))]
async fn advance_round(
    State(s): State<AppState>,
    caller: Caller,
    Extension(Scoped(p)): Extension<Scoped>,
    Path(path): Path<(String, i64)>,
    AppJson(a): AppJson<Advance>,
) -> Result<Json<Round>, AppError> {
    caller.require(RUN)?;
    let r = round_of(&s, &p, path.1).await?;
    Ok(Json(advance(&s, &p, &r, a.to).await?.0))
}

/// Moves a round one step forward (opening scoring and closing go through
/// the scoring workflow, which writes their log entries); anything out of
/// order is refused.
/// Returns the round and, when the step wrote one, its log entry's sequence number.
pub async fn advance(
    s: &AppState,
    p: &Province,
    r: &Round,
    to: RoundState,
) -> Result<(Round, Option<u64>), AppError> {
    if to == RoundState::Drawn {
        return Err(AppError::Conflict(
            "a round becomes drawn when its draw is revealed, not by request".into(),
        ));
    }
    if to == RoundState::Reported {
        return Err(AppError::Conflict(
            "a round becomes reported when it is filed (POST …/filing), not by request".into(),
        ));
    }
    if r.state.next() != Some(to) {
        let from = RoundState::ALL
            .into_iter()
            .find(|x| x.next() == Some(to))
            .map(|x| x.as_str())
            .unwrap_or("nothing");
        return Err(AppError::Conflict(format!(
            "round {} is {} ({}); it can move to {} only from {from}",
            r.id,
            r.state.as_str(),
            r.state.zh(),
            to.as_str()
        )));
    }
    // Opening scoring fixes the rubric and panel in the log; closing seals the
    // sheets and the result.
    match to {
        RoundState::Scoring => {
            let seq = s.workflow().open_scoring(r).await?;
            return Ok((round_of(s, p, r.id).await?, Some(seq)));
        }
        RoundState::Closed => {
            let seq = s.workflow().close(r).await?;
            return Ok((round_of(s, p, r.id).await?, Some(seq)));
        }
        _ => {}
    }
    if !s
        .store
        .move_round(p, r.id, r.state, to, s.clock.now())
        .await?
    {
        return Err(AppError::Conflict(format!(
            "round {} changed meanwhile; reload it",
            r.id
        )));
    }
    Ok((round_of(s, p, r.id).await?, None))
}

/// Applications may change only while the round is open and no draw of it is
/// committed (the commit fixed the avoidance list).
pub async fn applications_writable(s: &AppState, r: &Round) -> Result<(), AppError> {
    if r.state != RoundState::Open {
        return Err(AppError::Conflict(format!(
            "round {} is {} ({}); applications change only while it is open",
            r.id,
            r.state.as_str(),
            r.state.zh()
        )));
    }
    let live = s
        .workflow()
        .draws_of_round(r.id)
        .await?
        .into_iter()
        .any(|d| d.state == "committed");
    if live {
        return Err(AppError::Conflict(
            "a draw of this round is committed: its avoidance list is fixed; void it or reveal it first".into(),
        ));
    }
    Ok(())
}

#[utoipa::path(get, path = "/rounds/{round}/applications", tag = "rounds", params(("round" = i64, Path)),
    responses((status = 200, body = Vec<ApplicationRecord>)))]
async fn list_applications(
    State(s): State<AppState>,
    caller: Caller,
    Extension(Scoped(p)): Extension<Scoped>,
    Path(path): Path<(String, i64)>,
) -> Result<Json<Vec<ApplicationRecord>>, AppError> {
    caller.require(READ)?;
    let r = round_of(&s, &p, path.1).await?;
    Ok(Json(s.store.applications(r.id).await?))
}

/// Adds one application (checked by the import rules).
#[utoipa::path(post, path = "/rounds/{round}/applications", tag = "rounds", params(("round" = i64, Path)),
    request_body = ApplicationRecord,
    responses((status = 201, description = "added"), (status = 409, description = "reference taken, or the round no longer takes applications"), (status = 422, description = "problems")))]
async fn add_application(
    State(s): State<AppState>,
    caller: Caller,
    Extension(Scoped(p)): Extension<Scoped>,
    Path(path): Path<(String, i64)>,
    AppJson(a): AppJson<ApplicationRecord>,
) -> Result<Response, AppError> {
    caller.require(RUN)?;
    let r = round_of(&s, &p, path.1).await?;
    applications_writable(&s, &r).await?;
    let a = applications::check(&a).map_err(unprocessable)?;
    match s
        .store
        .write_applications(r.id, &[a], true, s.clock.now())
        .await?
    {
        Ok(n) => Ok((StatusCode::CREATED, Json(serde_json::json!({"changed": n}))).into_response()),
        Err(ref_no) => Err(AppError::Conflict(format!(
            "application {ref_no} already exists"
        ))),
    }
}

#[utoipa::path(delete, path = "/rounds/{round}/applications/{ref_no}", tag = "rounds",
    params(("round" = i64, Path), ("ref_no" = String, Path)),
    responses((status = 200, description = "deleted"), (status = 404, description = "no such application")))]
async fn delete_application(
    State(s): State<AppState>,
    caller: Caller,
    Extension(Scoped(p)): Extension<Scoped>,
    Path(path): Path<(String, i64, String)>,
) -> Result<Json<serde_json::Value>, AppError> {
    caller.require(RUN)?;
    let r = round_of(&s, &p, path.1).await?;
    applications_writable(&s, &r).await?;
    if s.store.delete_application(r.id, &path.2).await? {
        Ok(Json(serde_json::json!({"deleted": path.2})))
    } else {
        Err(AppError::NotFound(format!("no application {}", path.2)))
    }
}

#[derive(Deserialize, IntoParams)]
struct Format {
    /// `xlsx` (default) or `csv`.
    format: Option<String>,
}

fn is_csv(f: &Format) -> Result<bool, AppError> {
    match f.format.as_deref().unwrap_or("xlsx") {
        "csv" => Ok(true),
        "xlsx" => Ok(false),
        other => Err(AppError::BadRequest(format!(
            "format must be csv or xlsx, not {other}"
        ))),
    }
}

/// Imports applications from CSV or XLSX: all or nothing, every problem with
/// row and column; the same file again changes nothing.
#[utoipa::path(post, path = "/rounds/{round}/applications/import", tag = "rounds",
    params(("round" = i64, Path), Format),
    request_body(content = Vec<u8>, description = "the CSV or XLSX file, at most 10 MiB", content_type = "application/octet-stream"),
    responses((status = 200, description = "`{changed, total}`"), (status = 422, description = "every problem; nothing changed")))]
async fn import_applications(
    State(s): State<AppState>,
    caller: Caller,
    Extension(Scoped(p)): Extension<Scoped>,
    Path(path): Path<(String, i64)>,
    Query(f): Query<Format>,
    body: Bytes,
) -> Result<Json<serde_json::Value>, AppError> {
    caller.require(RUN)?;
    let r = round_of(&s, &p, path.1).await?;
    applications_writable(&s, &r).await?;
    let records = if is_csv(&f)? {
        applications::parse_csv(&body)
    } else {
        applications::parse_xlsx(&body)
    }
    .map_err(unprocessable)?;
    let changed = s
        .store
        .write_applications(r.id, &records, false, s.clock.now())
        .await?
        .map_err(AppError::Conflict)?;
    Ok(Json(
        serde_json::json!({"changed": changed, "total": s.store.applications(r.id).await?.len()}),
    ))
}

/// An empty applications file: headers, drop-down lists (XLSX) and notes, and
/// example rows whose ids begin with 示例, which an import refuses.
#[utoipa::path(get, path = "/rounds/applications/template", tag = "rounds", params(Format),
    responses((status = 200, description = "CSV or XLSX file, as `format` asks", content((String = "text/csv"), ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")))))]
async fn applications_template(
    caller: Caller,
    Query(f): Query<Format>,
) -> Result<Response, AppError> {
    caller.require(RUN)?;
    let (bytes, ct, ext) = if is_csv(&f)? {
        (
            applications::template_csv(),
            "text/csv; charset=utf-8",
            "csv",
        )
    } else {
        (
            applications::template_xlsx(),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "xlsx",
        )
    };
    Ok((
        [
            (header::CONTENT_TYPE, ct.to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"applications-template.{ext}\""),
            ),
        ],
        bytes,
    )
        .into_response())
}

/// The pool a draw request would commit: eligible count, exclusions with
/// reasons, and whether the specification can be met. Writes nothing.
#[utoipa::path(post, path = "/rounds/{round}/draws/preview", tag = "draws", params(("round" = i64, Path)),
    request_body = DrawRequest, responses((status = 200, body = Preview), (status = 400, description = "bad request")))]
async fn preview_draw(
    State(s): State<AppState>,
    caller: Caller,
    Extension(Scoped(p)): Extension<Scoped>,
    Path(path): Path<(String, i64)>,
    AppJson(req): AppJson<DrawRequest>,
) -> Result<Json<Preview>, AppError> {
    caller.require(RUN)?;
    let r = round_of(&s, &p, path.1).await?;
    Ok(Json(s.workflow().preview(&r, &req).await?))
}

/// Commits a draw: a signed entry fixing the pool (Merkle root), exclusions,
/// rules, the secret's commitment, the beacon round and the entropy deadline.
/// An infeasible specification is refused (422) naming the constraint.
#[utoipa::path(post, path = "/rounds/{round}/draws", tag = "draws", params(("round" = i64, Path)),
    request_body = DrawRequest,
    responses((status = 201, body = DrawSummary), (status = 409, description = "the round cannot take a draw now"),
        (status = 422, description = "infeasible: `problems[0].constraint` names it")))]
async fn commit_draw(
    State(s): State<AppState>,
    caller: Caller,
    Extension(Scoped(p)): Extension<Scoped>,
    Path(path): Path<(String, i64)>,
    AppJson(req): AppJson<DrawRequest>,
) -> Result<Response, AppError> {
    caller.require(RUN)?;
    let r = round_of(&s, &p, path.1).await?;
    let d = s.workflow().commit(&r, &req).await?;
    Ok((StatusCode::CREATED, Json(d)).into_response())
}

#[utoipa::path(get, path = "/rounds/{round}/draws", tag = "draws", params(("round" = i64, Path)),
    responses((status = 200, body = Vec<DrawListed>)))]
async fn list_round_draws(
    State(s): State<AppState>,
    caller: Caller,
    Extension(Scoped(p)): Extension<Scoped>,
    Path(path): Path<(String, i64)>,
) -> Result<Json<Vec<DrawListed>>, AppError> {
    caller.require(READ)?;
    let r = round_of(&s, &p, path.1).await?;
    Ok(Json(
        s.workflow()
            .list(Some(&p))
            .await?
            .into_iter()
            .filter(|d| d.round_id == r.id)
            .collect(),
    ))
}

#[utoipa::path(get, path = "/draws", tag = "draws", responses((status = 200, body = Vec<DrawListed>)))]
async fn list_draws(
    State(s): State<AppState>,
    caller: Caller,
    Extension(Scoped(p)): Extension<Scoped>,
) -> Result<Json<Vec<DrawListed>>, AppError> {
    caller.require(READ)?;
    Ok(Json(s.workflow().list(Some(&p)).await?))
}

/// A draw with its panel and alternates; the province's coordinators and
/// supervisors see expert ids, names only after disclosure.
#[utoipa::path(get, path = "/draws/{draw}", tag = "draws", params(("draw" = String, Path)),
    responses((status = 200, body = DrawSummary), (status = 404, description = "no such draw in this province")))]
async fn get_draw(
    State(s): State<AppState>,
    caller: Caller,
    Extension(Scoped(p)): Extension<Scoped>,
    Path(path): Path<(String, String)>,
) -> Result<Json<DrawSummary>, AppError> {
    caller.require(READ)?;
    let w = s.workflow();
    let d = w.load(&p, &path.1).await?;
    let names = if d.state == "disclosed" {
        Some(w.openings(&d.id).await?)
    } else {
        None
    };
    let mut sum = d.summary(names.as_ref());
    for (seat, i) in sum
        .panel
        .iter_mut()
        .zip(d.panel.iter())
        .chain(sum.alternates.iter_mut().zip(d.alternates.iter()))
    {
        seat.expert_id = Some(d.expert_of(*i).to_string());
    }
    Ok(Json(sum))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct Contribution {
    /// 32 bytes of the supervisor's own randomness, as 64 hex digits (dice,
    /// a hardware token, `openssl rand -hex 32`).
    value: String,
    /// Protocol 1.4: base64 Ed25519 signature with the supervisor's key
    /// registered in the draw, over `"fairpanel/v1/attest" || 0x00 || commit
    /// hash || value` (raw bytes). Required when the draw's commit requires
    /// personal keys.
    #[serde(default)]
    signature: Option<String>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct PersonalKey {
    /// The supervisor's own Ed25519 public key, base64 (44 characters); made
    /// in the browser (WebCrypto) or with `fairpanel keygen`. Never a private key.
    key: String,
}

#[derive(Serialize, ToSchema)]
struct Registered {
    seq: u64,
    /// The key id (16 hex digits), to confirm out of band.
    fingerprint: String,
}

/// Protocol 1.4: registers the calling supervisor's personal key in a
/// committed draw (a key_registration entry). One key per supervisor and draw.
#[utoipa::path(post, path = "/draws/{draw}/keys", tag = "draws", params(("draw" = String, Path)),
    request_body = PersonalKey,
    responses((status = 200, body = Registered), (status = 400, description = "not a key, or the log's own key"), (status = 409, description = "already registered, or the draw is past committed")))]
async fn register_key(
    State(s): State<AppState>,
    caller: Caller,
    Extension(Scoped(p)): Extension<Scoped>,
    Path(path): Path<(String, String)>,
    AppJson(k): AppJson<PersonalKey>,
) -> Result<Json<Registered>, AppError> {
    caller.require(&[Role::Supervisor])?;
    let label = format!("supervisor-{}", caller.account_id);
    let (seq, fingerprint) = s
        .workflow()
        .register_key(
            &p,
            &path.1,
            &label,
            fairpanel_core::entry::Role::Supervisor,
            &k.key,
        )
        .await?;
    Ok(Json(Registered { seq, fingerprint }))
}

#[derive(Serialize, ToSchema)]
struct Appended {
    seq: u64,
}

/// A supervisor's entropy contribution, before the draw's deadline; one per
/// supervisor. The log names the supervisor by account number only.
#[utoipa::path(post, path = "/draws/{draw}/entropy", tag = "draws", params(("draw" = String, Path)),
    request_body = Contribution,
    responses((status = 200, body = Appended), (status = 409, description = "late, twice, or the draw is past committed")))]
async fn contribute(
    State(s): State<AppState>,
    caller: Caller,
    Extension(Scoped(p)): Extension<Scoped>,
    Path(path): Path<(String, String)>,
    AppJson(c): AppJson<Contribution>,
) -> Result<Json<Appended>, AppError> {
    caller.require(&[Role::Supervisor])?;
    let value = Hash32::from_hex(c.value.trim())
        .map_err(|e| AppError::BadRequest(format!("value: {e}")))?;
    let label = format!("supervisor-{}", caller.account_id);
    let seq = s
        .workflow()
        .contribute_signed(&p, &path.1, &label, value, c.signature.as_deref())
        .await?;
    Ok(Json(Appended { seq }))
}

#[derive(Deserialize, ToSchema)]
struct DrandRound {
    /// drand quicknet round number.
    round: u64,
    /// The round's BLS signature, hex (48 bytes).
    signature: String,
}

/// Records the target drand quicknet round, as drand's JSON
/// (`{"round": …, "signature": …}`; other fields are ignored); its BLS
/// signature is checked offline.
#[utoipa::path(post, path = "/draws/{draw}/beacon", tag = "draws", params(("draw" = String, Path)),
    request_body = DrandRound,
    responses((status = 200, body = Appended), (status = 400, description = "wrong round or bad signature"), (status = 409, description = "not yet published, recorded already, or beacon-less")))]
async fn record_beacon(
    State(s): State<AppState>,
    caller: Caller,
    Extension(Scoped(p)): Extension<Scoped>,
    Path(path): Path<(String, String)>,
    AppJson(b): AppJson<DrandRound>,
) -> Result<Json<Appended>, AppError> {
    caller.require(RUN)?;
    let seq = s
        .workflow()
        .record_beacon(&p, &path.1, b.round, &b.signature)
        .await?;
    Ok(Json(Appended { seq }))
}

/// Reveals the operator's secret, derives the seed and draws the panel and
/// alternates. Once only: a concurrent second reveal gets 409.
#[utoipa::path(post, path = "/draws/{draw}/reveal", tag = "draws", params(("draw" = String, Path)),
    responses((status = 200, body = DrawSummary), (status = 409, description = "before the deadline, without the beacon, or already revealed")))]
async fn reveal(
    State(s): State<AppState>,
    caller: Caller,
    Extension(Scoped(p)): Extension<Scoped>,
    Path(path): Path<(String, String)>,
) -> Result<Json<DrawSummary>, AppError> {
    caller.require(RUN)?;
    Ok(Json(s.workflow().reveal(&p, &path.1).await?))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct DeclineRequest {
    expert_id: String,
    /// A reason code, e.g. `unavailable`, `conflict_of_interest`, `illness`.
    reason: String,
}

/// A panel member declined; the seat goes to the next alternate by the
/// replacement rule (递补), or stays empty and the answer says a supplementary
/// draw (补抽, `POST /draws/{draw}/supplement`) is required.
#[utoipa::path(post, path = "/draws/{draw}/declines", tag = "draws", params(("draw" = String, Path)),
    request_body = DeclineRequest,
    responses((status = 200, body = DeclineOutcome), (status = 409, description = "not revealed, or disclosed already")))]
async fn decline(
    State(s): State<AppState>,
    caller: Caller,
    Extension(Scoped(p)): Extension<Scoped>,
    Path(path): Path<(String, String)>,
    AppJson(d): AppJson<DeclineRequest>,
) -> Result<Json<DeclineOutcome>, AppError> {
    caller.require(RUN)?;
    Ok(Json(
        s.workflow()
            .decline(&p, &path.1, &d.expert_id, &d.reason)
            .await?,
    ))
}

/// Commits a supplementary draw (补抽, protocol 1.2) of a revealed draw whose
/// alternates ran out: the same pool and rules, the seated members kept, the
/// empty seats filled from the members the draw has not named, with randomness
/// of its own. From its commit on, the panel's declines are recorded on it.
#[utoipa::path(post, path = "/draws/{draw}/supplement", tag = "draws", params(("draw" = String, Path)),
    request_body = SupplementRequest,
    responses((status = 201, body = DrawSummary),
        (status = 409, description = "no empty seat, already supplemented, another draw committed, or the round locked"),
        (status = 422, description = "the empty seats cannot be filled: `problems[0].constraint` names why")))]
async fn supplement(
    State(s): State<AppState>,
    caller: Caller,
    Extension(Scoped(p)): Extension<Scoped>,
    Path(path): Path<(String, String)>,
    AppJson(req): AppJson<SupplementRequest>,
) -> Result<Response, AppError> {
    caller.require(RUN)?;
    let d = s.workflow().supplement(&p, &path.1, &req).await?;
    Ok((StatusCode::CREATED, Json(d)).into_response())
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct VoidRequest {
    reason: String,
}

/// Voids a committed draw that was never revealed. The commit and the reason
/// stay in the log and in every list.
#[utoipa::path(post, path = "/draws/{draw}/void", tag = "draws", params(("draw" = String, Path)),
    request_body = VoidRequest,
    responses((status = 200, body = Appended), (status = 409, description = "revealed already")))]
async fn void(
    State(s): State<AppState>,
    caller: Caller,
    Extension(Scoped(p)): Extension<Scoped>,
    Path(path): Path<(String, String)>,
    AppJson(v): AppJson<VoidRequest>,
) -> Result<Json<Appended>, AppError> {
    caller.require(RUN)?;
    let seq = s.workflow().void(&p, &path.1, &v.reason).await?;
    Ok(Json(Appended { seq }))
}

/// Publishes who the tokens of everyone ever seated and of the alternates
/// stand for; only after the round is closed.
#[utoipa::path(post, path = "/draws/{draw}/disclose", tag = "draws", params(("draw" = String, Path)),
    responses((status = 200, body = Appended), (status = 409, description = "round not closed, or not revealed")))]
async fn disclose(
    State(s): State<AppState>,
    caller: Caller,
    Extension(Scoped(p)): Extension<Scoped>,
    Path(path): Path<(String, String)>,
) -> Result<Json<Appended>, AppError> {
    caller.require(RUN)?;
    let seq = s.workflow().disclose(&p, &path.1).await?;
    Ok(Json(Appended { seq }))
}

/// The printable draw record sheet (抽取专家记录表), in Chinese.
#[utoipa::path(get, path = "/draws/{draw}/record", tag = "draws", params(("draw" = String, Path)),
    responses((status = 200, description = "HTML page", content_type = "text/html")))]
async fn record_sheet(
    State(s): State<AppState>,
    caller: Caller,
    Extension(Scoped(p)): Extension<Scoped>,
    Path(path): Path<(String, String)>,
    headers: axum::http::HeaderMap,
) -> Result<Response, AppError> {
    caller.require(READ)?;
    let base = s.public_base(&headers);
    let html = super::sheet::render_for(&s, &p, &path.1, &base).await?;
    Ok(([(header::CONTENT_TYPE, "text/html; charset=utf-8")], html).into_response())
}

#[derive(Serialize, ToSchema)]
pub struct Assignment {
    pub draw: String,
    pub round_id: i64,
    pub title: String,
    /// panel, alternate, declined
    pub role: String,
    /// 1-based seat or alternate rank.
    pub position: i64,
    pub draw_state: String,
}

/// An expert's own assignments (the account must be linked to a roster entry);
/// coordinators and supervisors see everyone's.
#[utoipa::path(get, path = "/assignments", tag = "draws", responses((status = 200, body = Vec<Assignment>)))]
async fn assignments(
    State(s): State<AppState>,
    caller: Caller,
    Extension(Scoped(p)): Extension<Scoped>,
) -> Result<Json<Vec<Assignment>>, AppError> {
    Ok(Json(assignments_of(&s, &caller, &p).await?))
}

/// A province's panel assignments; an expert sees only their own.
pub async fn assignments_of(
    s: &AppState,
    caller: &Caller,
    p: &Province,
) -> Result<Vec<Assignment>, AppError> {
    let only: Option<String> = match caller.role {
        Role::Expert => {
            let (e,): (Option<String>,) = with_pool!(&s.store, pool => sqlx::query_as("SELECT expert_id FROM accounts WHERE id = $1")
                .bind(caller.account_id)
                .fetch_one(pool)
                .await?);
            match e {
                Some(e) => Some(e),
                None => return Ok(vec![]),
            }
        }
        _ => None,
    };
    type Row = (String, i64, String, String, i64, String);
    let rows: Vec<Row> = with_pool!(&s.store, pool => sqlx::query_as(
        "SELECT m.draw_id, d.round_id, m.expert_id, m.role, m.position, d.state FROM draw_members m JOIN draws d ON d.id = m.draw_id WHERE m.province = $1 ORDER BY m.draw_id, m.role, m.position")
        .bind(p.as_str().to_string())
        .fetch_all(pool)
        .await?);
    let titles: std::collections::HashMap<String, String> = s
        .workflow()
        .list(Some(p))
        .await?
        .into_iter()
        .map(|d| (d.id, d.title))
        .collect();
    Ok(rows
        .into_iter()
        .filter(|r| only.as_deref().is_none_or(|e| e == r.2))
        .map(|r| Assignment {
            title: titles.get(&r.0).cloned().unwrap_or_default(),
            draw: r.0,
            round_id: r.1,
            role: r.3,
            position: r.4 + 1,
            draw_state: r.5,
        })
        .collect())
}

#[derive(Serialize, ToSchema)]
struct OutboxItem {
    id: i64,
    kind: String,
    recipient: String,
    #[schema(value_type = Object)]
    payload: serde_json::Value,
    created_at: i64,
    sent_at: Option<i64>,
    attempts: i64,
    last_error: Option<String>,
    /// When the sender tries an undelivered notification again (unix
    /// seconds); null before the first attempt, once delivered, and after the
    /// last attempt (the sender has given up: a person must look).
    next_attempt_at: Option<i64>,
}

/// Notifications of this province and whether the webhook delivered them:
/// attempts so far, the last error, and when the next attempt is due (each
/// failure doubles the wait, from 10 s up to an hour; after 20 attempts the
/// sender gives up and the row waits for a person).
#[utoipa::path(get, path = "/outbox", tag = "draws", responses((status = 200, body = Vec<OutboxItem>)))]
async fn outbox(
    State(s): State<AppState>,
    caller: Caller,
    Extension(Scoped(p)): Extension<Scoped>,
) -> Result<Json<Vec<OutboxItem>>, AppError> {
    caller.require(RUN)?;
    type Row = (
        i64,
        String,
        String,
        String,
        i64,
        Option<i64>,
        i64,
        Option<String>,
        Option<i64>,
    );
    let rows: Vec<Row> = with_pool!(&s.store, pool => sqlx::query_as(
        "SELECT id, kind, recipient, payload, created_at, sent_at, attempts, last_error, next_attempt_at FROM outbox WHERE province = $1 ORDER BY id")
        .bind(p.as_str().to_string())
        .fetch_all(pool)
        .await?);
    Ok(Json(
        rows.into_iter()
            .map(|r| OutboxItem {
                id: r.0,
                kind: r.1,
                recipient: r.2,
                payload: serde_json::from_str(&r.3).unwrap_or(serde_json::Value::Null),
                created_at: r.4,
                sent_at: r.5,
                attempts: r.6,
                last_error: r.7,
                next_attempt_at: r
                    .8
                    .filter(|_| r.5.is_none() && r.6 < crate::outbox::MAX_ATTEMPTS),
            })
            .collect(),
    ))
}
