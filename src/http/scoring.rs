//! Scoring over HTTP, under `/api/v1/provinces/{province}` behind the province
//! guard: rubrics, opening scoring, the experts' own sheets (blind: an expert
//! sees only their own until every sheet is in), the coordinator's progress
//! view, reopening, and the results.

use super::auth::{Caller, Role, Scoped};
use super::{AppError, AppJson, AppState};
use crate::scores::{HistoryRow, MySheet, Progress, Results};
use crate::store::rounds::Round;
use axum::extract::{Path, State};
use axum::{Extension, Json};
use fairpanel_core::scoring::{self as rules, Rubric, Sheet};
use fairpanel_core::types::Province;
use serde::Deserialize;
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

const RUN: &[Role] = &[Role::Admin, Role::Coordinator];

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(default_rubrics))
        .routes(routes!(get_rubric, put_rubric))
        .routes(routes!(progress))
        .routes(routes!(my_sheets))
        .routes(routes!(save_draft))
        .routes(routes!(submit))
        .routes(routes!(recuse))
        .routes(routes!(reopen))
        .routes(routes!(explain))
        .routes(routes!(lock))
        .routes(routes!(unlock))
        .routes(routes!(history))
        .routes(routes!(put_abnormal))
        .routes(routes!(results))
        .routes(routes!(screen))
        .routes(routes!(override_screen))
}

/// Every application against the policy's hard conditions for its kind, with
/// the reasons it fails and any override.
#[utoipa::path(get, path = "/rounds/{round}/screen", tag = "scoring", params(("round" = i64, Path)),
    responses((status = 200, body = Vec<crate::screen::Screened>)))]
async fn screen(
    State(s): State<AppState>,
    caller: Caller,
    Extension(Scoped(p)): Extension<Scoped>,
    Path(path): Path<(String, i64)>,
) -> Result<Json<Vec<crate::screen::Screened>>, AppError> {
    caller.require(&[Role::Admin, Role::Coordinator, Role::Supervisor])?;
    let r = round_of(&s, &p, path.1).await?;
    Ok(Json(s.workflow().screens(&r).await?))
}

/// Has an application that failed the screen scored anyway, with a written
/// reason that is logged (screen_override entry).
#[utoipa::path(post, path = "/rounds/{round}/applications/{ref_no}/override", tag = "scoring",
    params(("round" = i64, Path), ("ref_no" = String, Path)), request_body = Reason,
    responses((status = 200, description = "`{seq}`"), (status = 400, description = "no reason"), (status = 409, description = "passed the screen, already overridden, or the round is closed")))]
async fn override_screen(
    State(s): State<AppState>,
    caller: Caller,
    Extension(Scoped(p)): Extension<Scoped>,
    Path(path): Path<(String, i64, String)>,
    AppJson(why): AppJson<Reason>,
) -> Result<Json<serde_json::Value>, AppError> {
    caller.require(RUN)?;
    let r = round_of(&s, &p, path.1).await?;
    let seq = s
        .workflow()
        .override_screen(&r, &path.2, &why.reason, caller.account_id)
        .await?;
    Ok(Json(serde_json::json!({"seq": seq})))
}

pub async fn round_of(s: &AppState, p: &Province, id: i64) -> Result<Round, AppError> {
    s.store
        .round(p, id)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("no round {id}")))
}

/// The roster entry an expert account is linked to.
/// (Read with the caller's session, in the same request.)
pub async fn expert_id(_s: &AppState, caller: &Caller) -> Result<String, AppError> {
    caller.require(&[Role::Expert])?;
    caller.expert_id.clone().ok_or_else(|| {
        AppError::Forbidden("this expert account is not linked to a roster entry".into())
    })
}

/// The default rubrics built from the policy's conditions, one per kind.
#[utoipa::path(get, path = "/rubrics/defaults", tag = "scoring",
    responses((status = 200, description = "`[Rubric]`: indicators with maximum points (summing to 100), steps, level descriptions, objective flags, and gate items")))]
async fn default_rubrics(caller: Caller) -> Result<Json<Vec<Rubric>>, AppError> {
    caller.require(&[
        Role::Admin,
        Role::Coordinator,
        Role::Supervisor,
        Role::Expert,
    ])?;
    Ok(Json(rules::default_rubrics()))
}

#[derive(serde::Serialize, ToSchema)]
struct RubricView {
    #[schema(value_type = Object)]
    rubric: Rubric,
    /// Fixed into the log when scoring opened.
    fixed: bool,
    hash: String,
}

#[utoipa::path(get, path = "/rounds/{round}/rubric", tag = "scoring", params(("round" = i64, Path)),
    responses((status = 200, body = RubricView)))]
async fn get_rubric(
    State(s): State<AppState>,
    caller: Caller,
    Extension(Scoped(p)): Extension<Scoped>,
    Path(path): Path<(String, i64)>,
) -> Result<Json<RubricView>, AppError> {
    caller.require(&[
        Role::Admin,
        Role::Coordinator,
        Role::Supervisor,
        Role::Expert,
    ])?;
    let r = round_of(&s, &p, path.1).await?;
    let (rubric, fixed) = s.workflow().rubric(&r).await?;
    Ok(Json(RubricView {
        hash: rubric.hash().to_hex(),
        rubric,
        fixed,
    }))
}

/// Adapts the round's rubric (weights must still sum to 100); only before
/// scoring opens.
#[utoipa::path(put, path = "/rounds/{round}/rubric", tag = "scoring", params(("round" = i64, Path)),
    request_body(content = Object, description = "a Rubric"),
    responses((status = 200, body = RubricView), (status = 400, description = "invalid rubric"), (status = 409, description = "scoring has opened")))]
async fn put_rubric(
    State(s): State<AppState>,
    caller: Caller,
    Extension(Scoped(p)): Extension<Scoped>,
    Path(path): Path<(String, i64)>,
    AppJson(rubric): AppJson<Rubric>,
) -> Result<Json<RubricView>, AppError> {
    caller.require(RUN)?;
    let r = round_of(&s, &p, path.1).await?;
    s.workflow().set_rubric(&r, &rubric).await?;
    Ok(Json(RubricView {
        hash: rubric.hash().to_hex(),
        rubric,
        fixed: false,
    }))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct Abnormal {
    /// Points from the median of the other totals at which a total needs an
    /// explanation: above 0, at most 100, at most two decimals (default 15).
    #[schema(value_type = String, example = "15.00")]
    points: serde_json::Value,
}

/// Sets the round's abnormal-total threshold; fixed in the log when scoring
/// opens (scoring_open's `abnormal_points`).
#[utoipa::path(put, path = "/rounds/{round}/abnormal-threshold", tag = "scoring", params(("round" = i64, Path)),
    request_body = Abnormal, responses((status = 200, description = "`{abnormal_points}`"), (status = 400, description = "not a number of points above 0 and at most 100"), (status = 409, description = "scoring has opened: the threshold is fixed in the log")))]
async fn put_abnormal(
    State(s): State<AppState>,
    caller: Caller,
    Extension(Scoped(p)): Extension<Scoped>,
    Path(path): Path<(String, i64)>,
    AppJson(a): AppJson<Abnormal>,
) -> Result<Json<serde_json::Value>, AppError> {
    caller.require(RUN)?;
    let r = round_of(&s, &p, path.1).await?;
    let text = match a.points {
        serde_json::Value::Number(n) => n.to_string(),
        serde_json::Value::String(t) => t,
        other => {
            return Err(AppError::BadRequest(format!(
                "the abnormal-total threshold must be a number of points, not {other}"
            )));
        }
    };
    let v = s.workflow().set_abnormal_limit(&r, &text).await?;
    Ok(Json(serde_json::json!({"abnormal_points": v})))
}

/// How many sheets are in per application; never scores.
#[utoipa::path(get, path = "/rounds/{round}/scoring/progress", tag = "scoring", params(("round" = i64, Path)),
    responses((status = 200, body = Vec<Progress>)))]
async fn progress(
    State(s): State<AppState>,
    caller: Caller,
    Extension(Scoped(p)): Extension<Scoped>,
    Path(path): Path<(String, i64)>,
) -> Result<Json<Vec<Progress>>, AppError> {
    caller.require(&[Role::Admin, Role::Coordinator, Role::Supervisor])?;
    let r = round_of(&s, &p, path.1).await?;
    Ok(Json(s.workflow().progress(&r).await?))
}

/// The calling expert's own sheets, one per application.
#[utoipa::path(get, path = "/rounds/{round}/sheets/mine", tag = "scoring", params(("round" = i64, Path)),
    responses((status = 200, body = Vec<MySheet>), (status = 404, description = "not on this round's panel")))]
async fn my_sheets(
    State(s): State<AppState>,
    caller: Caller,
    Extension(Scoped(p)): Extension<Scoped>,
    Path(path): Path<(String, i64)>,
) -> Result<Json<Vec<MySheet>>, AppError> {
    let e = expert_id(&s, &caller).await?;
    let r = round_of(&s, &p, path.1).await?;
    Ok(Json(s.workflow().my_sheets(&r, &e).await?))
}

/// A score sheet as people and programs write it. Points may be JSON numbers
/// or strings (`8`, `8.5`, `"8"`, `"8.50"`), at most two decimals; they are
/// kept as the two-decimal strings the log's sheet bytes use, and checked
/// against the indicator's range and step when the sheet is submitted.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SheetInput {
    /// The application's reference (as in the address).
    application: String,
    /// One per indicator of the round's rubric.
    scores: Vec<ScoreInput>,
    /// One per gate of the rubric.
    #[serde(default)]
    gates: Vec<GateInput>,
    #[serde(default)]
    comment: Option<String>,
    /// A reason for the total, given up front; without one, an abnormal
    /// total is explained when the round's lock asks for it.
    #[serde(default)]
    explanation: Option<String>,
    /// Protocol 1.5, on submission: the expert's base64 Ed25519 signature
    /// with their registered personal key over the sheet_commit's message
    /// (docs/PROTOCOL.md, "Scorers' signatures"). Required when the panel's
    /// draw requires personal keys. Not kept with a draft.
    #[serde(default)]
    signature: Option<String>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct ScoreInput {
    /// The indicator's code.
    code: String,
    /// A number or a string, at most two decimals: `8`, `8.5`, `"8.50"`.
    #[serde(deserialize_with = "lenient_points")]
    #[schema(value_type = String, example = "8.50")]
    points: rust_decimal::Decimal,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct GateInput {
    /// The gate's code.
    code: String,
    /// Whether the application passes it.
    pass: bool,
}

/// Points given as a JSON number or a string, at most two decimals.
fn lenient_points<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> Result<rust_decimal::Decimal, D::Error> {
    use serde::de::Error;
    let text = match serde_json::Value::deserialize(d)? {
        serde_json::Value::Number(n) => n.to_string(),
        serde_json::Value::String(s) => s.trim().to_string(),
        other => {
            return Err(D::Error::custom(format!(
                "points must be a number or a string like \"8.5\", not {other}"
            )));
        }
    };
    let dec = rust_decimal::Decimal::from_str_exact(&text)
        .map_err(|_| D::Error::custom(format!("points {text:?} is not a decimal number")))?;
    if dec.normalize().scale() > 2 {
        return Err(D::Error::custom(format!(
            "points {text:?} has more than two decimals"
        )));
    }
    Ok(dec.normalize())
}

impl From<SheetInput> for Sheet {
    fn from(i: SheetInput) -> Sheet {
        Sheet {
            application: i.application,
            scores: i
                .scores
                .into_iter()
                .map(|x| rules::Score {
                    code: x.code,
                    points: x.points,
                })
                .collect(),
            gates: i
                .gates
                .into_iter()
                .map(|g| rules::GateAnswer {
                    code: g.code,
                    pass: g.pass,
                })
                .collect(),
            comment: i.comment,
            explanation: i.explanation,
        }
    }
}

fn check_app(path_app: &str, sheet: &Sheet) -> Result<(), AppError> {
    if sheet.application != path_app {
        return Err(AppError::BadRequest(format!(
            "the sheet is for {}, the address for {path_app}",
            sheet.application
        )));
    }
    Ok(())
}

/// Saves a draft of the caller's sheet for one application.
#[utoipa::path(put, path = "/rounds/{round}/sheets/{ref_no}", tag = "scoring",
    params(("round" = i64, Path), ("ref_no" = String, Path)),
    request_body = SheetInput,
    responses((status = 200, description = "saved"), (status = 409, description = "submitted or recused")))]
async fn save_draft(
    State(s): State<AppState>,
    caller: Caller,
    Extension(Scoped(p)): Extension<Scoped>,
    Path(path): Path<(String, i64, String)>,
    AppJson(sheet): AppJson<SheetInput>,
) -> Result<Json<serde_json::Value>, AppError> {
    let sheet = Sheet::from(sheet);
    let e = expert_id(&s, &caller).await?;
    check_app(&path.2, &sheet)?;
    let r = round_of(&s, &p, path.1).await?;
    s.workflow().save_draft(&r, &e, &sheet).await?;
    Ok(Json(serde_json::json!({"saved": true})))
}

/// Submits the caller's sheet: every indicator within its range and step,
/// every gate answered. Its hash goes into the log. Nothing is compared with
/// other sheets here: when the last sheet is in, the round's sheets lock and
/// the authors of abnormal totals are asked for an explanation. Without a
/// body, the caller's saved draft is submitted.
#[utoipa::path(post, path = "/rounds/{round}/sheets/{ref_no}/submit", tag = "scoring",
    params(("round" = i64, Path), ("ref_no" = String, Path)),
    request_body(content = Option<SheetInput>, description = "the sheet, or nothing to submit the saved draft"),
    responses((status = 200, description = "`{seq, total}`"), (status = 400, description = "every problem of the sheet"), (status = 409, description = "already submitted, or the round's sheets are locked")))]
async fn submit(
    State(s): State<AppState>,
    caller: Caller,
    Extension(Scoped(p)): Extension<Scoped>,
    Path(path): Path<(String, i64, String)>,
    axum::extract::Query(q): axum::extract::Query<SignatureQuery>,
    body: axum::body::Bytes,
) -> Result<Json<serde_json::Value>, AppError> {
    let e = expert_id(&s, &caller).await?;
    let r = round_of(&s, &p, path.1).await?;
    let mut signature = q.signature;
    let sheet: Sheet = if body.iter().all(u8::is_ascii_whitespace) {
        let saved = s
            .workflow()
            .my_sheets(&r, &e)
            .await?
            .into_iter()
            .find(|x| x.application == path.2 && x.state == "draft")
            .and_then(|x| x.sheet)
            .ok_or_else(|| {
                AppError::BadRequest(format!(
                    "no saved draft of {} to submit: send the sheet",
                    path.2
                ))
            })?;
        serde_json::from_value(saved)
            .map_err(|e| AppError::Internal(anyhow::anyhow!("a saved draft does not parse: {e}")))?
    } else {
        let mut input = serde_json::from_slice::<SheetInput>(&body)
            .map_err(|e| AppError::BadRequest(format!("the sheet: {e}")))?;
        signature = input.signature.take().or(signature);
        input.into()
    };
    check_app(&path.2, &sheet)?;
    let (seq, total) = s
        .workflow()
        .submit_signed(&r, &e, caller.account_id, &sheet, signature.as_deref())
        .await?;
    Ok(Json(serde_json::json!({"seq": seq, "total": total})))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct Reason {
    reason: String,
}

/// Protocol 1.5: the signature of a saved draft's submission.
#[derive(Deserialize, utoipa::IntoParams)]
pub struct SignatureQuery {
    /// Base64 Ed25519 signature over the sheet_commit's message, when the
    /// body is empty (the saved draft is submitted).
    #[serde(default)]
    signature: Option<String>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct Recusing {
    reason: String,
    /// Protocol 1.5: base64 Ed25519 signature with the expert's registered
    /// personal key over the recusal's message; required when the panel's
    /// draw requires personal keys.
    #[serde(default)]
    signature: Option<String>,
}

/// Declares a conflict with one application: it is scored without the caller.
#[utoipa::path(post, path = "/rounds/{round}/sheets/{ref_no}/recuse", tag = "scoring",
    params(("round" = i64, Path), ("ref_no" = String, Path)), request_body = Recusing,
    responses((status = 200, description = "recorded"), (status = 409, description = "already submitted")))]
async fn recuse(
    State(s): State<AppState>,
    caller: Caller,
    Extension(Scoped(p)): Extension<Scoped>,
    Path(path): Path<(String, i64, String)>,
    AppJson(why): AppJson<Recusing>,
) -> Result<Json<serde_json::Value>, AppError> {
    let e = expert_id(&s, &caller).await?;
    let r = round_of(&s, &p, path.1).await?;
    s.workflow()
        .recuse_signed(
            &r,
            &e,
            caller.account_id,
            &path.2,
            &why.reason,
            why.signature.as_deref(),
        )
        .await?;
    Ok(Json(serde_json::json!({"recused": path.2})))
}

/// Reopens an expert's submitted sheet (coordinator, with a reason; the
/// history keeps the submitted bytes).
#[utoipa::path(post, path = "/rounds/{round}/sheets/{ref_no}/{expert}/reopen", tag = "scoring",
    params(("round" = i64, Path), ("ref_no" = String, Path), ("expert" = String, Path)), request_body = Reason,
    responses((status = 200, description = "reopened"), (status = 404, description = "no such submitted sheet")))]
async fn reopen(
    State(s): State<AppState>,
    caller: Caller,
    Extension(Scoped(p)): Extension<Scoped>,
    Path(path): Path<(String, i64, String, String)>,
    AppJson(why): AppJson<Reason>,
) -> Result<Json<serde_json::Value>, AppError> {
    caller.require(RUN)?;
    let r = round_of(&s, &p, path.1).await?;
    s.workflow()
        .reopen(&r, &path.2, &path.3, caller.account_id, &why.reason)
        .await?;
    Ok(Json(serde_json::json!({"reopened": true})))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct ExplanationInput {
    explanation: String,
}

/// Explains the abnormal total of the caller's locked sheet, when the round's
/// lock asks for it (an explanation entry in the log).
#[utoipa::path(post, path = "/rounds/{round}/sheets/{ref_no}/explain", tag = "scoring",
    params(("round" = i64, Path), ("ref_no" = String, Path)), request_body = ExplanationInput,
    responses((status = 200, description = "`{seq}`"), (status = 400, description = "empty or too long"), (status = 409, description = "no explanation of this sheet is asked for, or it is given")))]
async fn explain(
    State(s): State<AppState>,
    caller: Caller,
    Extension(Scoped(p)): Extension<Scoped>,
    Path(path): Path<(String, i64, String)>,
    AppJson(x): AppJson<ExplanationInput>,
) -> Result<Json<serde_json::Value>, AppError> {
    let e = expert_id(&s, &caller).await?;
    let r = round_of(&s, &p, path.1).await?;
    let seq = s
        .workflow()
        .explain(&r, &e, caller.account_id, &path.2, &x.explanation)
        .await?;
    Ok(Json(serde_json::json!({"seq": seq})))
}

/// Locks the round's sheets when every one is in and nothing locked them
/// (after an unlock that changed nothing, or a decline that left a seat
/// empty). A submission or recusal that completes the round locks it itself.
#[utoipa::path(post, path = "/rounds/{round}/scoring/lock", tag = "scoring", params(("round" = i64, Path)),
    responses((status = 200, description = "`{seq}`"), (status = 409, description = "sheets missing, or already locked")))]
async fn lock(
    State(s): State<AppState>,
    caller: Caller,
    Extension(Scoped(p)): Extension<Scoped>,
    Path(path): Path<(String, i64)>,
) -> Result<Json<serde_json::Value>, AppError> {
    caller.require(RUN)?;
    let r = round_of(&s, &p, path.1).await?;
    let seq = s.workflow().lock(&r).await?;
    Ok(Json(serde_json::json!({"seq": seq})))
}

/// Unlocks the round's locked sheets, with a reason kept with the round's
/// history (a scoring_unlock entry in the log): results are hidden again;
/// sheets can be reopened and panel members replaced.
#[utoipa::path(post, path = "/rounds/{round}/scoring/unlock", tag = "scoring", params(("round" = i64, Path)),
    request_body = Reason,
    responses((status = 200, description = "`{seq}`"), (status = 400, description = "no reason"), (status = 409, description = "not locked, or not scoring")))]
async fn unlock(
    State(s): State<AppState>,
    caller: Caller,
    Extension(Scoped(p)): Extension<Scoped>,
    Path(path): Path<(String, i64)>,
    AppJson(why): AppJson<Reason>,
) -> Result<Json<serde_json::Value>, AppError> {
    caller.require(RUN)?;
    let r = round_of(&s, &p, path.1).await?;
    let seq = s
        .workflow()
        .unlock(&r, caller.account_id, &why.reason)
        .await?;
    Ok(Json(serde_json::json!({"seq": seq})))
}

/// The round's scoring history: submissions, recusals, reopenings,
/// explanations, locks and unlocks, with the reasons given.
#[utoipa::path(get, path = "/rounds/{round}/scoring/history", tag = "scoring", params(("round" = i64, Path)),
    responses((status = 200, body = Vec<HistoryRow>)))]
async fn history(
    State(s): State<AppState>,
    caller: Caller,
    Extension(Scoped(p)): Extension<Scoped>,
    Path(path): Path<(String, i64)>,
) -> Result<Json<Vec<HistoryRow>>, AppError> {
    caller.require(&[Role::Admin, Role::Coordinator, Role::Supervisor])?;
    let r = round_of(&s, &p, path.1).await?;
    Ok(Json(s.workflow().history(&r).await?))
}

/// Totals, trimmed means, ranking, recommendation and Kendall's W, once every
/// sheet is in, locked and every abnormal total explained (409 before, for
/// everyone).
#[utoipa::path(get, path = "/rounds/{round}/results", tag = "scoring", params(("round" = i64, Path)),
    responses((status = 200, body = Results), (status = 409, description = "sheets still missing")))]
async fn results(
    State(s): State<AppState>,
    caller: Caller,
    Extension(Scoped(p)): Extension<Scoped>,
    Path(path): Path<(String, i64)>,
) -> Result<Json<Results>, AppError> {
    let r = round_of(&s, &p, path.1).await?;
    if caller.role == Role::Expert {
        let e = expert_id(&s, &caller).await?;
        if !s.workflow().on_panel(&r, &e).await? {
            return Err(AppError::NotFound(
                "you are not on this round's panel".into(),
            ));
        }
    }
    Ok(Json(s.workflow().results(&r).await?))
}
