//! The coordinator's scoring pages: open scoring (check page), progress as
//! counts, reopening a sheet with a reason, the results (printable, with a QR
//! code), and closing the round (the seal). Routes are registered in
//! `coordinator.rs`; every step calls the scoring workflow.

use super::account::CsrfOnly;
use super::coordinator::{READ, RUN, RoundView, round_view};
use super::draw::ConfirmStep;
use super::{Base, Errors, User, WebError, confirmed, page, refusal, sent_back};
use crate::http::AppState;
use crate::http::rounds as api;
use crate::store::rounds::RoundState;
use askama::Template;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use fairpanel_core::types::Province;
use serde::Deserialize;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/p/{p}/rounds/{r}/scoring", get(scoring))
        .route(
            "/p/{p}/rounds/{r}/scoring/open",
            get(open_check).post(open_scoring),
        )
        .route("/p/{p}/rounds/{r}/scoring/reopen", post(reopen))
        .route("/p/{p}/rounds/{r}/scoring/lock", post(lock))
        .route("/p/{p}/rounds/{r}/scoring/unlock", post(unlock))
        .route("/p/{p}/rounds/{r}/results", get(results))
        .route("/p/{p}/rounds/{r}/close", get(close_check).post(close))
}

pub struct ProgressRow {
    pub application: String,
    pub submitted: usize,
    pub recused: usize,
    pub pending: usize,
    pub explanations_needed: usize,
}

#[derive(Template)]
#[template(path = "web/scoring.html")]
struct Scoring {
    base: Base,
    p: String,
    round: RoundView,
    progress: Vec<ProgressRow>,
    all_in: bool,
    coordinator: bool,
    panel: Vec<String>,
    applications: Vec<String>,
    /// The reopen form's problems, when it was sent back.
    errors: Errors,
    /// What the reopen form held when it was sent back.
    reopen: (String, String, String),
    /// The seq of the scoring_lock in force, if the sheets are locked.
    locked: Option<u64>,
    /// What the unlock form held when it was sent back.
    unlock_reason: String,
}

async fn scoring(
    State(s): State<AppState>,
    u: User,
    Path((code, id)): Path<(String, i64)>,
) -> Result<Response, WebError> {
    let p = u.province(&code)?;
    u.require(READ)?;
    page(scoring_page(&s, &u, &p, id).await?)
}

async fn scoring_page(s: &AppState, u: &User, p: &Province, id: i64) -> Result<Scoring, WebError> {
    let r = api::round_of(s, p, id).await?;
    let progress: Vec<ProgressRow> = if matches!(
        r.state,
        RoundState::Scoring | RoundState::Closed | RoundState::Reported
    ) {
        s.workflow()
            .progress(&r)
            .await?
            .into_iter()
            .map(|x| ProgressRow {
                application: x.application,
                submitted: x.submitted,
                recused: x.recused,
                pending: x.pending,
                explanations_needed: x.explanations_needed,
            })
            .collect()
    } else {
        vec![]
    };
    let all_in = !progress.is_empty() && progress.iter().all(|x| x.pending == 0);
    let mut panel = vec![];
    for d in s.workflow().draws_of_round(r.id).await? {
        if d.state == "revealed" || d.state == "disclosed" {
            let l = s.workflow().load(p, &d.id).await?;
            panel.extend(l.panel.iter().map(|i| l.expert_of(*i).to_string()));
        }
    }
    Ok(Scoring {
        base: u.base(u.tr.t("scoring-title")),
        p: p.as_str().to_string(),
        round: round_view(&u.tr, &r),
        applications: progress.iter().map(|x| x.application.clone()).collect(),
        progress,
        all_in,
        coordinator: RUN.contains(&u.caller.role),
        panel,
        errors: Errors::default(),
        reopen: Default::default(),
        locked: s.workflow().locked(&r).await?,
        unlock_reason: String::new(),
    })
}

async fn open_check(
    State(s): State<AppState>,
    u: User,
    Path((code, id)): Path<(String, i64)>,
) -> Result<Response, WebError> {
    let p = u.province(&code)?;
    u.require(RUN)?;
    let r = api::round_of(&s, &p, id).await?;
    let (rubric, _) = s.workflow().rubric(&r).await?;
    ConfirmStep::page(
        &u,
        "open-check-title",
        u.tr.args(
            "open-check-what",
            &[
                ("rubric", rubric.title.clone()),
                ("hash", rubric.hash().to_hex()),
            ],
        ),
        format!("/p/{p}/rounds/{id}/scoring/open"),
        "open-button",
        format!("/p/{p}/rounds/{id}"),
    )
}

async fn open_scoring(
    State(s): State<AppState>,
    u: User,
    Path((code, id)): Path<(String, i64)>,
    Form(f): Form<CsrfOnly>,
) -> Result<Response, WebError> {
    let p = u.province(&code)?;
    u.require(RUN)?;
    u.check_csrf(&f.csrf)?;
    let r = api::round_of(&s, &p, id).await?;
    let (_, seq) = api::advance(&s, &p, &r, RoundState::Scoring).await?;
    let seq = seq.ok_or_else(|| anyhow::anyhow!("opening scoring wrote no entry"))?;
    confirmed(
        &s,
        &u,
        u.tr.t("scoring-opened"),
        seq,
        format!("/p/{p}/rounds/{id}/scoring"),
        u.tr.t("to-scoring"),
    )
    .await
}

#[derive(Deserialize)]
struct ReopenForm {
    #[serde(default)]
    csrf: String,
    application: String,
    expert_id: String,
    #[serde(default)]
    reason: String,
}

async fn reopen(
    State(s): State<AppState>,
    u: User,
    Path((code, id)): Path<(String, i64)>,
    Form(f): Form<ReopenForm>,
) -> Result<Response, WebError> {
    let p = u.province(&code)?;
    u.require(RUN)?;
    u.check_csrf(&f.csrf)?;
    let problem = if f.reason.trim().is_empty() {
        Some(("reopen-reason", u.tr.t("reason-needed")))
    } else {
        let r = api::round_of(&s, &p, id).await?;
        match s
            .workflow()
            .reopen(
                &r,
                f.application.trim(),
                f.expert_id.trim(),
                u.caller.account_id,
                f.reason.trim(),
            )
            .await
        {
            Ok(_) => None,
            Err(e) => Some(("reopen-app", refusal(&u.tr, e)?)),
        }
    };
    let Some((field, message)) = problem else {
        return Ok(Redirect::to(&format!("/p/{p}/rounds/{id}/scoring")).into_response());
    };
    let mut d = scoring_page(&s, &u, &p, id).await?;
    d.errors.add(field, message);
    d.reopen = (f.application, f.expert_id, f.reason);
    sent_back(d)
}

/// Locks the sheets once every one is in (when no submission did).
async fn lock(
    State(s): State<AppState>,
    u: User,
    Path((code, id)): Path<(String, i64)>,
    Form(f): Form<CsrfOnly>,
) -> Result<Response, WebError> {
    let p = u.province(&code)?;
    u.require(RUN)?;
    u.check_csrf(&f.csrf)?;
    let r = api::round_of(&s, &p, id).await?;
    match s.workflow().lock(&r).await {
        Ok(seq) => {
            confirmed(
                &s,
                &u,
                u.tr.t1("scoring-locked", "seq", seq.to_string()),
                seq,
                format!("/p/{p}/rounds/{id}/scoring"),
                u.tr.t("to-scoring"),
            )
            .await
        }
        Err(e) => {
            let mut d = scoring_page(&s, &u, &p, id).await?;
            d.errors.add("lock", refusal(&u.tr, e)?);
            sent_back(d)
        }
    }
}

#[derive(Deserialize)]
struct UnlockForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    reason: String,
}

/// Unlocks the round's sheets, with a reason (results hidden again).
async fn unlock(
    State(s): State<AppState>,
    u: User,
    Path((code, id)): Path<(String, i64)>,
    Form(f): Form<UnlockForm>,
) -> Result<Response, WebError> {
    let p = u.province(&code)?;
    u.require(RUN)?;
    u.check_csrf(&f.csrf)?;
    let problem = if f.reason.trim().is_empty() {
        u.tr.t("reason-needed")
    } else {
        let r = api::round_of(&s, &p, id).await?;
        match s
            .workflow()
            .unlock(&r, u.caller.account_id, f.reason.trim())
            .await
        {
            Ok(_) => {
                return Ok(Redirect::to(&format!("/p/{p}/rounds/{id}/scoring")).into_response());
            }
            Err(e) => refusal(&u.tr, e)?,
        }
    };
    let mut d = scoring_page(&s, &u, &p, id).await?;
    d.errors.add("unlock-reason", problem);
    d.unlock_reason = f.reason;
    sent_back(d)
}

pub struct ResultView {
    pub rank: u32,
    pub application: String,
    pub final_score: String,
    pub totals: String,
    pub recommended: bool,
    pub explanations: Vec<String>,
}

#[derive(Template)]
#[template(path = "web/results.html")]
struct ResultsPage {
    base: Base,
    p: String,
    round: RoundView,
    rows: Vec<ResultView>,
    quota: u32,
    kendalls_w: String,
    rule: String,
    can_close: bool,
    /// The QR code (inline SVG) of the public draws page, for the printed copy.
    qr: String,
}

async fn results(
    State(s): State<AppState>,
    u: User,
    headers: axum::http::HeaderMap,
    Path((code, id)): Path<(String, i64)>,
) -> Result<Response, WebError> {
    let p = u.province(&code)?;
    u.require(READ)?;
    let r = api::round_of(&s, &p, id).await?;
    let res = s.workflow().results(&r).await?;
    let rows = res
        .results
        .iter()
        .map(|x| ResultView {
            rank: x.rank,
            application: x
                .aggregate
                .get("application")
                .and_then(|v| v.as_str())
                .unwrap_or_default()
                .to_string(),
            final_score: x
                .aggregate
                .get("final")
                .or_else(|| x.aggregate.get("score"))
                .map(|v| {
                    v.as_str()
                        .map(str::to_string)
                        .unwrap_or_else(|| v.to_string())
                })
                .unwrap_or_default(),
            totals: x.totals.join(" · "),
            recommended: x.recommended,
            explanations: x.explanations.clone(),
        })
        .collect();
    page(ResultsPage {
        base: u.base(u.tr.t("results-title")),
        p: p.as_str().to_string(),
        round: round_view(&u.tr, &r),
        rows,
        quota: res.quota,
        kendalls_w: res.kendalls_w.clone().unwrap_or_default(),
        rule: res.rule.to_string(),
        can_close: RUN.contains(&u.caller.role) && r.state == RoundState::Scoring,
        qr: crate::qr::qr_svg(&format!("{}/public/draws", s.public_base(&headers))),
    })
}

async fn close_check(u: User, Path((code, id)): Path<(String, i64)>) -> Result<Response, WebError> {
    let p = u.province(&code)?;
    u.require(RUN)?;
    ConfirmStep::page(
        &u,
        "close-check-title",
        u.tr.t("close-check-what"),
        format!("/p/{p}/rounds/{id}/close"),
        "close-button",
        format!("/p/{p}/rounds/{id}/results"),
    )
}

async fn close(
    State(s): State<AppState>,
    u: User,
    Path((code, id)): Path<(String, i64)>,
    Form(f): Form<CsrfOnly>,
) -> Result<Response, WebError> {
    let p = u.province(&code)?;
    u.require(RUN)?;
    u.check_csrf(&f.csrf)?;
    let r = api::round_of(&s, &p, id).await?;
    let (_, seq) = api::advance(&s, &p, &r, RoundState::Closed).await?;
    let seq = seq.ok_or_else(|| anyhow::anyhow!("closing wrote no entry"))?;
    confirmed(
        &s,
        &u,
        u.tr.t("round-closed"),
        seq,
        format!("/p/{p}/rounds/{id}"),
        u.tr.t("back-to-round"),
    )
    .await
}
