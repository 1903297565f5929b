//! The expert's pages: their assignments, the applications they score, the
//! score sheet (the rubric with each level's description, step-checked
//! inputs, gates as yes/no, a live total, drafts, the abnormal-total
//! explanation, check your answers, submit), recusal, and their submitted
//! sheets read-only. An expert sees only their own sheets.

use super::{Base, Errors, User, WebError, confirmed, page};
use crate::http::auth::Role;
use crate::http::{AppError, AppState};
use crate::store::rounds::RoundState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use fairpanel_core::scoring::{self as rules, GateAnswer, Rubric, Score, Sheet};
use rust_decimal::Decimal;
use serde::Deserialize;
use std::collections::HashMap;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/p/{p}/me", get(me))
        .route("/p/{p}/rounds/{r}/sheets", get(sheets))
        .route("/p/{p}/rounds/{r}/sheets/{a}", get(sheet))
        .route("/p/{p}/rounds/{r}/sheets/{a}/save", post(save))
        .route("/p/{p}/rounds/{r}/sheets/{a}/check", post(check))
        .route("/p/{p}/rounds/{r}/sheets/{a}/submit", post(submit))
        .route("/p/{p}/rounds/{r}/sheets/{a}/recuse", post(recuse))
        .route("/p/{p}/rounds/{r}/sheets/{a}/explain", post(explain))
        .route("/p/{p}/rounds/{r}/key", post(register_key))
        .route("/p/{p}/rounds/{r}/key/replace", post(replace_key))
}

/// Protocol 1.5: what the browser needs to sign an expert's entry with the
/// personal key it keeps (IndexedDB, under "draw/account", as a
/// supervisor's): the key's name, the exact message (base64), whether the
/// draw requires it.
pub struct SignView {
    pub key_name: String,
    pub message: String,
    pub required: bool,
}

/// The expert's personal key on their sheets page (protocol 1.5).
pub struct KeyView {
    pub draw: String,
    pub account: i64,
    pub fingerprint: Option<String>,
    pub required: bool,
    /// Protocol 1.6: the fingerprint of the new key the expert asked for.
    pub pending: Option<String>,
}

/// The browser's signing of `body` for `u`, when the round's panel draw has
/// the expert's key or requires one.
fn sign_view(
    u: &User,
    key: &Option<crate::expert_keys::ExpertKey>,
    body: impl FnOnce(&crate::expert_keys::ExpertKey) -> fairpanel_core::entry::Body,
) -> Option<SignView> {
    let k = key.as_ref()?;
    (k.required || k.key.is_some()).then(|| SignView {
        key_name: format!("{}/{}", k.draw, u.caller.account_id),
        message: crate::expert_keys::message_b64(&body(k)),
        required: k.required,
    })
}

fn recusal_of(
    r: &crate::store::rounds::Round,
    app: &str,
) -> impl FnOnce(&crate::expert_keys::ExpertKey) -> fairpanel_core::entry::Body {
    let (round, app) = (crate::scores::round_ref(r), app.to_string());
    move |k| {
        fairpanel_core::entry::Body::Recusal(fairpanel_core::entry::Recusal {
            application: app,
            round,
            scorer: k.token,
            signature: None,
        })
    }
}

/// Protocol 1.5: registers the expert's personal key (public half only) in
/// the round's panel draw, then shows the sheets page with its fingerprint.
async fn register_key(
    State(s): State<AppState>,
    u: User,
    Path((code, id)): Path<(String, i64)>,
    Form(f): Form<super::supervisor::KeyForm>,
) -> Result<Response, WebError> {
    key_form(&s, &u, &code, id, &f, false).await
}

/// Protocol 1.6: the expert asks for a new key to replace their lost one in
/// the round's panel draw; the sheets page then shows the request waiting.
async fn replace_key(
    State(s): State<AppState>,
    u: User,
    Path((code, id)): Path<(String, i64)>,
    Form(f): Form<super::supervisor::KeyForm>,
) -> Result<Response, WebError> {
    key_form(&s, &u, &code, id, &f, true).await
}

/// The expert's key form, a first key or a replacement's request: back to
/// the sheets page, with the refusal under the form.
async fn key_form(
    s: &AppState,
    u: &User,
    code: &str,
    id: i64,
    f: &super::supervisor::KeyForm,
    replace: bool,
) -> Result<Response, WebError> {
    let p = u.province(code)?;
    u.require(&[Role::Expert])?;
    u.check_csrf(&f.csrf)?;
    let e = crate::http::scoring::expert_id(s, &u.caller).await?;
    let r = crate::http::rounds::round_of(s, &p, id).await?;
    let w = s.workflow();
    let done = if replace {
        w.request_expert_key(&r, &e, u.caller.account_id, &f.key)
            .await
            .map(|_| ())
    } else {
        w.register_expert_key(&r, &e, &f.key).await.map(|_| ())
    };
    match done {
        Ok(()) => {
            Ok(Redirect::to(&format!("/p/{p}/rounds/{id}/sheets#personal-key")).into_response())
        }
        Err(e @ (crate::draws::DrawError::Invalid(_) | crate::draws::DrawError::Conflict(_))) => {
            let m = super::refusal(&u.tr, e)?;
            sheets_page(s, u, code, id, false, Some(m)).await
        }
        Err(e) => Err(e.into()),
    }
}

pub struct AssignmentRow {
    pub draw: String,
    pub title: String,
    pub role: String,
    pub position: i64,
    pub state: String,
    pub sheets: Option<String>,
}

#[derive(Template)]
#[template(path = "web/me.html")]
struct Me {
    base: Base,
    rows: Vec<AssignmentRow>,
    linked: bool,
}

async fn me(
    State(s): State<AppState>,
    u: User,
    Path(code): Path<String>,
) -> Result<Response, WebError> {
    let p = u.province(&code)?;
    u.require(&[Role::Expert])?;
    let linked = crate::http::scoring::expert_id(&s, &u.caller).await.is_ok();
    let mut rows = vec![];
    for a in crate::http::rounds::assignments_of(&s, &u.caller, &p).await? {
        let r = crate::http::rounds::round_of(&s, &p, a.round_id).await?;
        let scoring = matches!(
            r.state,
            RoundState::Scoring | RoundState::Closed | RoundState::Reported
        );
        rows.push(AssignmentRow {
            sheets: (a.role == "panel" && scoring)
                .then(|| format!("/p/{p}/rounds/{}/sheets", r.id)),
            draw: a.draw,
            title: a.title,
            role: u.tr.t(&format!("seat-{}", a.role)),
            position: a.position,
            state: u.tr.t(&format!("draw-state-{}", a.draw_state)),
        });
    }
    page(Me {
        base: u.base(u.tr.t("me-title")),
        rows,
        linked,
    })
}

pub struct SheetRow {
    pub application: String,
    pub org: String,
    pub state: String,
    pub state_label: String,
    pub total: String,
    /// Protocol 1.5: the live sheet's log entry carries the expert's signature.
    pub signed: bool,
    /// The browser's signing of a recusal of this application (a conflict
    /// declared with the pledge).
    pub recusal: Option<SignView>,
}

#[derive(Template)]
#[template(path = "web/sheets.html")]
struct Sheets {
    base: Base,
    p: String,
    round_id: i64,
    round_title: String,
    rows: Vec<SheetRow>,
    /// The pledge to confirm before any sheet, if not yet confirmed.
    pledge: Option<PledgeForm>,
    /// Protocol 1.5: the expert's personal key in the panel's draw.
    key: Option<KeyView>,
    /// The browser's signing of the pledge.
    pledge_sign: Option<SignView>,
    errors: Errors,
}

/// The pledge (承诺书) as the sheets page asks for it.
pub struct PledgeForm {
    pub text: String,
    pub hash: String,
    /// The last attempt did not tick the confirmation.
    pub unconfirmed: bool,
}

async fn sheets(
    State(s): State<AppState>,
    u: User,
    Path((code, id)): Path<(String, i64)>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, WebError> {
    let unconfirmed = q.get("pledge").map(String::as_str) == Some("unconfirmed");
    sheets_page(&s, &u, &code, id, unconfirmed, None).await
}

/// The sheets of the expert's round, with `key_error` under the key form.
async fn sheets_page(
    s: &AppState,
    u: &User,
    code: &str,
    id: i64,
    unconfirmed: bool,
    key_error: Option<String>,
) -> Result<Response, WebError> {
    let p = u.province(code)?;
    let e = crate::http::scoring::expert_id(s, &u.caller).await?;
    let r = crate::http::rounds::round_of(s, &p, id).await?;
    let view = s.workflow().pledge_view(&r, Some(&e)).await?;
    // Protocol 1.5: the key, when the expert is seated on the round's panel.
    let ek = s.workflow().expert_key(&r, &e).await.ok();
    let signed = match &ek {
        Some(k) => signed_sheets(s, &r, k.token).await?,
        None => Default::default(),
    };
    let pledge_sign = sign_view(u, &ek, |k| {
        fairpanel_core::entry::Body::Pledge(fairpanel_core::entry::Pledge {
            round: crate::scores::round_ref(&r),
            scorer: k.token,
            text: fairpanel_core::hash::Hash32::from_hex(&view.hash)
                .unwrap_or(fairpanel_core::hash::Hash32::ZERO),
            signature: None,
        })
    });
    let pledge =
        (view.required && view.fixed && view.pledged == Some(false)).then_some(PledgeForm {
            text: view.text,
            hash: view.hash,
            unconfirmed,
        });
    let apps = s.store.applications(r.id).await?;
    let rows = s
        .workflow()
        .my_sheets(&r, &e)
        .await?
        .into_iter()
        .map(|m| SheetRow {
            signed: m.state == "submitted" && signed.contains(&m.application),
            org: apps
                .iter()
                .find(|a| a.ref_no == m.application)
                .map(|a| a.applicant_org.clone())
                .unwrap_or_default(),
            state_label: match m.explanation.as_deref() {
                Some("needed") => u.tr.t("sheet-explanation-needed"),
                _ => u.tr.t(&format!("sheet-{}", m.state)),
            },
            state: match m.explanation.as_deref() {
                Some("needed") => "explanation-needed".to_string(),
                _ => m.state,
            },
            total: m.total.unwrap_or_default(),
            recusal: sign_view(u, &ek, recusal_of(&r, &m.application)),
            application: m.application,
        })
        .collect();
    let mut errors = Errors::default();
    if let Some(m) = key_error {
        errors.add("key", m);
    }
    let pending = match &ek {
        Some(k) => s
            .workflow()
            .my_key_request(&k.draw, u.caller.account_id)
            .await?
            .map(|q| q.registration.key.key_id().to_string()),
        None => None,
    };
    page(Sheets {
        base: u.base(u.tr.t("sheets-title")),
        p: p.as_str().to_string(),
        round_id: r.id,
        round_title: r.title.clone(),
        rows,
        pledge,
        key: ek.map(|k| KeyView {
            draw: k.draw.to_string(),
            account: u.caller.account_id,
            fingerprint: k.key.map(|(k, _)| k.key_id().to_string()),
            required: k.required,
            pending,
        }),
        pledge_sign,
        errors,
    })
}

/// The applications whose last sheet_commit by `scorer` in round `r`
/// carries a signature (protocol 1.5).
async fn signed_sheets(
    s: &AppState,
    r: &crate::store::rounds::Round,
    scorer: fairpanel_core::types::Token,
) -> Result<std::collections::BTreeSet<String>, WebError> {
    let round = crate::scores::round_ref(r);
    let rows: Vec<(Vec<u8>,)> = crate::with_pool!(&s.store, pool => sqlx::query_as(
        "SELECT bytes FROM log_entries WHERE kind = 'sheet_commit' AND province = $1 ORDER BY seq")
        .bind(r.province.as_str().to_string())
        .fetch_all(pool)
        .await.map_err(AppError::from)?);
    let mut out = std::collections::BTreeSet::new();
    for (b,) in rows {
        if let Ok(fairpanel_core::entry::Body::SheetCommit(x)) =
            fairpanel_core::entry::parse(&b).map(|x| x.body)
            && x.round == round
            && x.scorer == scorer
        {
            if x.signature.is_some() {
                out.insert(x.application);
            } else {
                out.remove(&x.application);
            }
        }
    }
    Ok(out)
}

/// Where a member who has not confirmed the round's pledge is sent instead of
/// a sheet: the sheets page, which asks for it first.
async fn pledge_first(s: &AppState, l: &Loaded) -> Result<Option<Response>, WebError> {
    let v = s.workflow().pledge_view(&l.r, Some(&l.expert)).await?;
    Ok((v.fixed && v.pledged == Some(false))
        .then(|| Redirect::to(&format!("/p/{}/rounds/{}/sheets", l.p, l.r.id)).into_response()))
}

pub struct IndicatorView {
    pub code: String,
    pub name: String,
    pub max: String,
    pub step: String,
    pub objective: bool,
    pub levels: Vec<(String, String)>,
    pub value: String,
}

pub struct GateView {
    pub code: String,
    pub name: String,
    pub description: String,
    /// "yes", "no" or "".
    pub value: String,
}

#[derive(Template)]
#[template(path = "web/sheet.html")]
struct SheetPage {
    base: Base,
    p: String,
    round_id: i64,
    app: String,
    org: String,
    rubric_title: String,
    record: Vec<(String, String)>,
    indicators: Vec<IndicatorView>,
    gates: Vec<GateView>,
    comment: String,
    explanation: String,
    ask_explanation: bool,
    /// After the round's sheets locked: `needed` when this sheet's abnormal
    /// total must be explained, `given` once it is.
    explanation_state: String,
    errors: Errors,
    /// Submitted or recused: shown read-only.
    read_only: bool,
    state_label: String,
    total: String,
    saved: bool,
    materials: Vec<super::materials::MaterialRow>,
    /// Protocol 1.5: the browser's signing of a recusal.
    recuse_sign: Option<SignView>,
}

/// The form's values by field name: `s_{code}` points, `g_{code}` yes/no,
/// `comment`, `explanation`.
type Fields = HashMap<String, String>;

fn fields_of(sheet: &Sheet) -> Fields {
    let mut f = Fields::new();
    for s in &sheet.scores {
        f.insert(format!("s_{}", s.code), rules::dec2::format(&s.points));
    }
    for g in &sheet.gates {
        f.insert(
            format!("g_{}", g.code),
            if g.pass { "yes" } else { "no" }.into(),
        );
    }
    f.insert("comment".into(), sheet.comment.clone().unwrap_or_default());
    f.insert(
        "explanation".into(),
        sheet.explanation.clone().unwrap_or_default(),
    );
    f
}

/// The sheet the fields describe, or each field's problem (checked against
/// the rubric: range, step, every gate answered).
fn sheet_of(tr: &super::Tr, rubric: &Rubric, app: &str, f: &Fields) -> Result<Sheet, Errors> {
    let mut e = Errors::default();
    let mut scores = vec![];
    for i in &rubric.indicators {
        let field = format!("s_{}", i.code);
        let raw = f.get(&field).map(|v| v.trim()).unwrap_or("");
        match raw.parse::<Decimal>() {
            Ok(d) if d >= Decimal::ZERO && d <= i.max_points && (d % i.step).is_zero() => scores
                .push(Score {
                    code: i.code.clone(),
                    points: d.round_dp(2),
                }),
            Ok(_) => e.add(
                &field,
                tr.args(
                    "sheet-bad-points",
                    &[
                        ("max", rules::dec2::format(&i.max_points)),
                        ("step", rules::dec2::format(&i.step)),
                    ],
                ),
            ),
            Err(_) => e.add(&field, tr.t("sheet-need-points")),
        }
    }
    let mut gates = vec![];
    for g in &rubric.gates {
        let field = format!("g_{}", g.code);
        match f.get(&field).map(String::as_str) {
            Some("yes") => gates.push(GateAnswer {
                code: g.code.clone(),
                pass: true,
            }),
            Some("no") => gates.push(GateAnswer {
                code: g.code.clone(),
                pass: false,
            }),
            _ => e.add(&field, tr.t("sheet-need-gate")),
        }
    }
    // The page builds the sheet for the expert: what they typed is put in
    // NFC here, and a hidden character or look-alike word is shown at its field.
    for k in ["comment", "explanation"] {
        if let Some(v) = f.get(k)
            && let Err(m) = crate::text::multiline(k, v.trim())
        {
            e.add(k, super::messages::translate(tr, &m));
        }
    }
    if !e.is_empty() {
        return Err(e);
    }
    let text = |k: &str| {
        f.get(k)
            .map(|v| crate::text::nfc(v.trim()))
            .filter(|v| !v.is_empty())
    };
    Ok(Sheet {
        application: app.to_string(),
        scores,
        gates,
        comment: text("comment"),
        explanation: text("explanation"),
    })
}

struct Loaded {
    p: fairpanel_core::types::Province,
    r: crate::store::rounds::Round,
    expert: String,
    rubric: Rubric,
    org: String,
    /// The application as the coordinator entered it: (label, value) rows.
    record: Vec<(String, String)>,
    mine: Option<crate::scores::MySheet>,
    materials: Vec<super::materials::MaterialRow>,
    /// Protocol 1.5: the expert's key in the round's panel draw.
    key: Option<crate::expert_keys::ExpertKey>,
}

/// What an expert reads about the application they score.
fn record_rows(
    tr: &super::Tr,
    a: &crate::applications::ApplicationRecord,
) -> Vec<(String, String)> {
    let f = &a.figures;
    let opt = |v: Option<String>| v.unwrap_or_default();
    vec![
        (tr.t("col-ref"), a.ref_no.clone()),
        (tr.t("col-org"), a.applicant_org.clone()),
        (tr.t("col-credit-code"), opt(a.credit_code.clone())),
        (tr.t("round-kind"), tr.t(&format!("kind-{}", a.kind.code()))),
        (tr.t("col-occupations"), a.occupations.join("、")),
        (tr.t("app-leader"), opt(a.leader_name.clone())),
        (tr.t("col-level"), opt(a.leader_level.clone())),
        (tr.t("app-craft"), opt(a.craft_exception.clone())),
        (
            tr.t("app-trainees"),
            opt(f.annual_trainees.map(|n| n.to_string())),
        ),
        (
            tr.t("app-high-skill"),
            opt(f.high_skill_trainees.map(|n| n.to_string())),
        ),
        (tr.t("app-pass-rate"), opt(f.pass_rate_pct.clone())),
        (tr.t("app-satisfaction"), opt(f.satisfaction_pct.clone())),
        (tr.t("app-notes"), opt(a.notes.clone())),
    ]
    .into_iter()
    .filter(|(_, v)| !v.is_empty())
    .collect()
}

async fn load(s: &AppState, u: &User, code: &str, id: i64, app: &str) -> Result<Loaded, WebError> {
    let p = u.province(code)?;
    let expert = crate::http::scoring::expert_id(s, &u.caller).await?;
    let r = crate::http::rounds::round_of(s, &p, id).await?;
    let mine = s
        .workflow()
        .my_sheets(&r, &expert)
        .await?
        .into_iter()
        .find(|m| m.application == app);
    if mine.is_none() {
        return Err(AppError::NotFound(format!("no application {app} to score")).into());
    }
    let (rubric, _) = s.workflow().rubric(&r).await?;
    let application = s
        .store
        .applications(r.id)
        .await?
        .into_iter()
        .find(|a| a.ref_no == app);
    let org = application
        .as_ref()
        .map(|a| a.applicant_org.clone())
        .unwrap_or_default();
    let record = application
        .as_ref()
        .map(|a| record_rows(&u.tr, a))
        .unwrap_or_default();
    let materials = super::materials::rows(s, &u.tr, &r, Some(app)).await?;
    let key = s.workflow().expert_key(&r, &expert).await.ok();
    Ok(Loaded {
        key,
        p,
        r,
        expert,
        rubric,
        org,
        record,
        mine,
        materials,
    })
}

fn sheet_page(
    u: &User,
    l: &Loaded,
    app: &str,
    f: &Fields,
    errors: Errors,
    saved: bool,
    ask: bool,
) -> SheetPage {
    let tr = u.tr;
    let state = l.mine.as_ref().map(|m| m.state.clone()).unwrap_or_default();
    let get = |k: &str| f.get(k).cloned().unwrap_or_default();
    SheetPage {
        base: u.base(tr.t1("sheet-title", "app", app)),
        p: l.p.as_str().to_string(),
        round_id: l.r.id,
        app: app.to_string(),
        org: l.org.clone(),
        rubric_title: l.rubric.title.clone(),
        record: l.record.clone(),
        indicators: l
            .rubric
            .indicators
            .iter()
            .map(|i| IndicatorView {
                value: get(&format!("s_{}", i.code)),
                code: i.code.clone(),
                name: i.name.clone(),
                max: rules::dec2::format(&i.max_points),
                step: rules::dec2::format(&i.step),
                objective: i.objective,
                levels: vec![
                    (tr.t("level-full"), i.levels.full.clone()),
                    (tr.t("level-good"), i.levels.good.clone()),
                    (tr.t("level-fair"), i.levels.fair.clone()),
                    (tr.t("level-poor"), i.levels.poor.clone()),
                ],
            })
            .collect(),
        gates: l
            .rubric
            .gates
            .iter()
            .map(|g| GateView {
                value: get(&format!("g_{}", g.code)),
                code: g.code.clone(),
                name: g.name.clone(),
                description: g.description.clone(),
            })
            .collect(),
        comment: get("comment"),
        explanation: get("explanation"),
        ask_explanation: ask || !get("explanation").is_empty(),
        explanation_state: l
            .mine
            .as_ref()
            .and_then(|m| m.explanation.clone())
            .unwrap_or_default(),
        errors,
        read_only: matches!(state.as_str(), "submitted" | "recused"),
        state_label: tr.t(&format!("sheet-{state}")),
        total: l
            .mine
            .as_ref()
            .and_then(|m| m.total.clone())
            .unwrap_or_default(),
        saved,
        recuse_sign: sign_view(u, &l.key, recusal_of(&l.r, app)),
        materials: l
            .materials
            .iter()
            .map(|m| super::materials::MaterialRow {
                application: m.application.clone(),
                name: m.name.clone(),
                kind: m.kind.clone(),
                size: m.size.clone(),
                href: m.href.clone(),
                sha256: m.sha256.clone(),
            })
            .collect(),
    }
}

async fn sheet(
    State(s): State<AppState>,
    u: User,
    Path((code, id, app)): Path<(String, i64, String)>,
) -> Result<Response, WebError> {
    let l = load(&s, &u, &code, id, &app).await?;
    if let Some(go) = pledge_first(&s, &l).await? {
        return Ok(go);
    }
    let f = l
        .mine
        .as_ref()
        .and_then(|m| m.sheet.clone())
        .and_then(|v| serde_json::from_value::<Sheet>(v).ok())
        .map(|sh| fields_of(&sh))
        .unwrap_or_default();
    page(sheet_page(
        &u,
        &l,
        &app,
        &f,
        Errors::default(),
        false,
        false,
    ))
}

fn csrf_of(f: &Fields) -> &str {
    f.get("csrf").map(String::as_str).unwrap_or("")
}

async fn save(
    State(s): State<AppState>,
    u: User,
    Path((code, id, app)): Path<(String, i64, String)>,
    Form(f): Form<Fields>,
) -> Result<Response, WebError> {
    u.check_csrf(csrf_of(&f))?;
    let l = load(&s, &u, &code, id, &app).await?;
    if let Some(go) = pledge_first(&s, &l).await? {
        return Ok(go);
    }
    // A draft may be incomplete: keep what parses, leave the rest out.
    let sheet = match sheet_of(&u.tr, &l.rubric, &app, &f) {
        Ok(sh) => sh,
        Err(_) => partial(&l.rubric, &app, &f),
    };
    s.workflow().save_draft(&l.r, &l.expert, &sheet).await?;
    let l = load(&s, &u, &code, id, &app).await?;
    page(sheet_page(&u, &l, &app, &f, Errors::default(), true, false))
}

/// The parts of an unfinished sheet that are valid on their own.
fn partial(rubric: &Rubric, app: &str, f: &Fields) -> Sheet {
    let text = |k: &str| {
        f.get(k)
            .map(|v| crate::text::nfc(v.trim()))
            .filter(|v| !v.is_empty())
    };
    Sheet {
        application: app.to_string(),
        scores: rubric
            .indicators
            .iter()
            .filter_map(|i| {
                let d: Decimal = f.get(&format!("s_{}", i.code))?.trim().parse().ok()?;
                (d >= Decimal::ZERO && d <= i.max_points && (d % i.step).is_zero()).then(|| Score {
                    code: i.code.clone(),
                    points: d.round_dp(2),
                })
            })
            .collect(),
        gates: rubric
            .gates
            .iter()
            .filter_map(
                |g| match f.get(&format!("g_{}", g.code)).map(String::as_str) {
                    Some("yes") => Some(GateAnswer {
                        code: g.code.clone(),
                        pass: true,
                    }),
                    Some("no") => Some(GateAnswer {
                        code: g.code.clone(),
                        pass: false,
                    }),
                    _ => None,
                },
            )
            .collect(),
        comment: text("comment"),
        explanation: text("explanation"),
    }
}

#[derive(Template)]
#[template(path = "web/sheet_check.html")]
struct SheetCheck {
    base: Base,
    p: String,
    round_id: i64,
    app: String,
    org: String,
    rows: Vec<(String, String, String)>,
    gates: Vec<(String, String)>,
    comment: String,
    explanation: String,
    total: String,
    hidden: Vec<(String, String)>,
    /// Protocol 1.5: the browser's signing of the sheet_commit.
    sign: Option<SignView>,
}

/// Check your answers: the sheet exactly as it will be submitted, with its total.
async fn check(
    State(s): State<AppState>,
    u: User,
    Path((code, id, app)): Path<(String, i64, String)>,
    Form(f): Form<Fields>,
) -> Result<Response, WebError> {
    u.check_csrf(csrf_of(&f))?;
    let l = load(&s, &u, &code, id, &app).await?;
    if let Some(go) = pledge_first(&s, &l).await? {
        return Ok(go);
    }
    let tr = u.tr;
    let sheet = match sheet_of(&tr, &l.rubric, &app, &f) {
        Ok(sh) => sh,
        Err(errors) => {
            let mut r = page(sheet_page(&u, &l, &app, &f, errors, false, false))?;
            *r.status_mut() = axum::http::StatusCode::BAD_REQUEST;
            return Ok(r);
        }
    };
    let total = match rules::validate_sheet(&l.rubric, &sheet) {
        Ok(t) => t,
        Err(problems) => {
            let mut errors = Errors::default();
            for m in problems {
                errors.add("comment", m);
            }
            let mut r = page(sheet_page(&u, &l, &app, &f, errors, false, false))?;
            *r.status_mut() = axum::http::StatusCode::BAD_REQUEST;
            return Ok(r);
        }
    };
    // Saved as a draft, so nothing typed is lost if the person leaves here.
    s.workflow().save_draft(&l.r, &l.expert, &sheet).await?;
    let hidden: Vec<(String, String)> = f
        .iter()
        .filter(|(k, _)| k.as_str() != "csrf")
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    page(SheetCheck {
        base: u.base(tr.t("sheet-check-title")),
        p: l.p.as_str().to_string(),
        round_id: l.r.id,
        app: app.clone(),
        org: l.org.clone(),
        rows: l
            .rubric
            .indicators
            .iter()
            .map(|i| {
                let pts = sheet
                    .scores
                    .iter()
                    .find(|x| x.code == i.code)
                    .map(|x| rules::dec2::format(&x.points))
                    .unwrap_or_default();
                (i.name.clone(), pts, rules::dec2::format(&i.max_points))
            })
            .collect(),
        gates: l
            .rubric
            .gates
            .iter()
            .map(|g| {
                let pass = sheet.gates.iter().any(|x| x.code == g.code && x.pass);
                (g.name.clone(), tr.t(if pass { "yes" } else { "no" }))
            })
            .collect(),
        comment: sheet.comment.clone().unwrap_or_default(),
        explanation: sheet.explanation.clone().unwrap_or_default(),
        total: rules::dec2::format(&total),
        hidden,
        sign: sign_view(&u, &l.key, |k| {
            let bytes = rules::SheetRecord::new(
                &sheet,
                crate::scores::round_ref(&l.r),
                l.rubric.hash(),
                k.token,
            )
            .bytes();
            fairpanel_core::entry::Body::SheetCommit(fairpanel_core::entry::SheetCommit {
                application: sheet.application.clone(),
                round: crate::scores::round_ref(&l.r),
                scorer: k.token,
                sheet: rules::SheetRecord::hash_of(&bytes),
                signature: None,
            })
        }),
    })
}

async fn submit(
    State(s): State<AppState>,
    u: User,
    Path((code, id, app)): Path<(String, i64, String)>,
    Form(f): Form<Fields>,
) -> Result<Response, WebError> {
    u.check_csrf(csrf_of(&f))?;
    let l = load(&s, &u, &code, id, &app).await?;
    if let Some(go) = pledge_first(&s, &l).await? {
        return Ok(go);
    }
    let tr = u.tr;
    let sheet = match sheet_of(&tr, &l.rubric, &app, &f) {
        Ok(sh) => sh,
        Err(errors) => {
            let mut r = page(sheet_page(&u, &l, &app, &f, errors, false, false))?;
            *r.status_mut() = axum::http::StatusCode::BAD_REQUEST;
            return Ok(r);
        }
    };
    let signature = f.get("signature").map(String::as_str);
    match s
        .workflow()
        .submit_signed(&l.r, &l.expert, u.caller.account_id, &sheet, signature)
        .await
    {
        Ok((seq, _)) => {
            confirmed(
                &s,
                &u,
                tr.t1("sheet-submitted-done", "app", &app),
                seq,
                format!("/p/{}/rounds/{}/sheets", l.p, l.r.id),
                tr.t("back-to-sheets"),
            )
            .await
        }
        Err(e) => {
            let msg = match &e {
                crate::draws::DrawError::Invalid(m) | crate::draws::DrawError::Conflict(m) => {
                    m.clone()
                }
                _ => return Err(e.into()),
            };
            if let crate::draws::DrawError::Invalid(_) = &e
                && (msg.contains("signature") || msg.contains("personal key"))
            {
                let m = super::refusal(&tr, e)?;
                let mut errors = Errors::default();
                errors.add("comment", m);
                let mut r = page(sheet_page(&u, &l, &app, &f, errors, false, false))?;
                *r.status_mut() = axum::http::StatusCode::BAD_REQUEST;
                Ok(r)
            } else if msg.contains("explanation") {
                let mut errors = Errors::default();
                errors.add("explanation", tr.t("sheet-explain"));
                let mut r = page(sheet_page(&u, &l, &app, &f, errors, false, true))?;
                *r.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
                Ok(r)
            } else {
                Err(e.into())
            }
        }
    }
}

#[derive(Deserialize)]
struct RecuseForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    reason: String,
    /// Protocol 1.5: the browser's signature over the recusal.
    #[serde(default)]
    signature: String,
}

async fn recuse(
    State(s): State<AppState>,
    u: User,
    Path((code, id, app)): Path<(String, i64, String)>,
    Form(f): Form<RecuseForm>,
) -> Result<Response, WebError> {
    u.check_csrf(&f.csrf)?;
    let l = load(&s, &u, &code, id, &app).await?;
    if let Some(go) = pledge_first(&s, &l).await? {
        return Ok(go);
    }
    if f.reason.trim().is_empty() {
        let fields = Fields::new();
        let mut errors = Errors::default();
        errors.add("reason", u.tr.t("reason-needed"));
        let mut r = page(sheet_page(&u, &l, &app, &fields, errors, false, false))?;
        *r.status_mut() = axum::http::StatusCode::BAD_REQUEST;
        return Ok(r);
    }
    let signature = Some(f.signature.as_str()).filter(|x| !x.trim().is_empty());
    if let Err(e) = s
        .workflow()
        .recuse_signed(
            &l.r,
            &l.expert,
            u.caller.account_id,
            &app,
            f.reason.trim(),
            signature,
        )
        .await
    {
        let e = match e {
            e @ crate::draws::DrawError::Invalid(_) => e,
            e => return Err(e.into()),
        };
        let mut errors = Errors::default();
        errors.add("reason", super::refusal(&u.tr, e)?);
        let mut r = page(sheet_page(
            &u,
            &l,
            &app,
            &Fields::new(),
            errors,
            false,
            false,
        ))?;
        *r.status_mut() = axum::http::StatusCode::BAD_REQUEST;
        return Ok(r);
    }
    Ok(Redirect::to(&format!("/p/{}/rounds/{}/sheets", l.p, l.r.id)).into_response())
}

#[derive(Deserialize)]
struct ExplainForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    explanation: String,
}

/// Explains the abnormal total of a locked sheet, as the round's lock asked.
async fn explain(
    State(s): State<AppState>,
    u: User,
    Path((code, id, app)): Path<(String, i64, String)>,
    Form(f): Form<ExplainForm>,
) -> Result<Response, WebError> {
    u.check_csrf(&f.csrf)?;
    let l = load(&s, &u, &code, id, &app).await?;
    let problem = if f.explanation.trim().is_empty() {
        u.tr.t("sheet-explain")
    } else {
        match s
            .workflow()
            .explain(&l.r, &l.expert, u.caller.account_id, &app, &f.explanation)
            .await
        {
            Ok(seq) => {
                return confirmed(
                    &s,
                    &u,
                    u.tr.t1("sheet-explained-done", "app", &app),
                    seq,
                    format!("/p/{}/rounds/{}/sheets", l.p, l.r.id),
                    u.tr.t("back-to-sheets"),
                )
                .await;
            }
            Err(e) => super::refusal(&u.tr, e)?,
        }
    };
    let mut fields = Fields::new();
    fields.insert("explanation".into(), f.explanation);
    let mut errors = Errors::default();
    errors.add("explain-text", problem);
    let mut r = page(sheet_page(&u, &l, &app, &fields, errors, false, false))?;
    *r.status_mut() = axum::http::StatusCode::BAD_REQUEST;
    Ok(r)
}
