//! The coordinator's and supervisor's draw pages: the spec form with live
//! feasibility, check your answers, the commit, the waiting room, the beacon,
//! the reveal, declines (补抽), void and disclosure. Routes are registered in
//! `coordinator.rs`; every step calls `draws::Workflow`.

use super::account::CsrfOnly;
use super::coordinator::{
    READ, RUN, ReasonForm, RoundView, round_view, specialties, specialty_label,
};
use super::{Base, Errors, Tr, User, WebError, confirmed, page};
use crate::draws::{BeaconChoice, DrawRequest, Preview, QuotaRequest};
use crate::http::auth::Role;
use crate::http::rounds as api;
use crate::http::{AppError, AppState};
use crate::roster;
use crate::store::rounds::Round;
use askama::Template;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Form, Router};
use fairpanel_core::types::Province;
use serde::Deserialize;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/p/{p}/rounds/{r}/draw", get(draw_form).post(draw_check))
        .route("/p/{p}/rounds/{r}/draw/commit", post(draw_commit))
        .route("/p/{p}/draws/{d}", get(draw))
        .route("/p/{p}/draws/{d}/beacon", post(beacon))
        .route("/p/{p}/draws/{d}/reveal", get(reveal_check).post(reveal))
        .route("/p/{p}/draws/{d}/decline", post(decline))
        .route("/p/{p}/draws/{d}/supplement", post(supplement))
        .route("/p/{p}/draws/{d}/void", post(void))
        .route("/p/{p}/draws/{d}/disclose", post(disclose))
}

/// The draw form's fields, as typed (strings, so a bad value can be shown back).
#[derive(Deserialize, Default, Clone)]
pub struct DrawForm {
    #[serde(default)]
    pub csrf: String,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub panel: String,
    #[serde(default)]
    pub alternates: String,
    #[serde(default)]
    pub quota_spec_1: String,
    #[serde(default)]
    pub quota_min_1: String,
    #[serde(default)]
    pub quota_spec_2: String,
    #[serde(default)]
    pub quota_min_2: String,
    #[serde(default)]
    pub quota_spec_3: String,
    #[serde(default)]
    pub quota_min_3: String,
    #[serde(default)]
    pub org_cap: String,
    #[serde(default)]
    pub cooldown_days: String,
    /// `drand` or `none`.
    #[serde(default)]
    pub beacon: String,
    #[serde(default)]
    pub margin: String,
    #[serde(default)]
    pub round: String,
    #[serde(default)]
    pub window: String,
    /// `1` when the coordinator ticked "personal keys required" (protocol
    /// 1.4: the commit's `personal_keys`).
    #[serde(default)]
    pub personal_keys: String,
    /// Set by "change" on the check page: show the form again.
    #[serde(default)]
    pub edit: String,
}

impl DrawForm {
    fn defaults(tr: &Tr, r: &Round) -> DrawForm {
        DrawForm {
            title: tr.t1("draw-default-title", "round", &r.title),
            panel: "7".into(),
            alternates: "3".into(),
            beacon: "drand".into(),
            margin: "120".into(),
            window: "60".into(),
            ..Default::default()
        }
    }

    pub fn quotas(&self) -> Vec<(String, String)> {
        vec![
            (self.quota_spec_1.clone(), self.quota_min_1.clone()),
            (self.quota_spec_2.clone(), self.quota_min_2.clone()),
            (self.quota_spec_3.clone(), self.quota_min_3.clone()),
        ]
    }

    /// The request, or each field's problem.
    fn request(&self, tr: &Tr, min_panel: u32) -> Result<DrawRequest, Errors> {
        let mut e = Errors::default();
        let num = |e: &mut Errors, field: &str, v: &str, required: bool| -> Option<u32> {
            let v = v.trim();
            if v.is_empty() {
                if required {
                    e.add(field, tr.t("draw-need-number"));
                }
                return None;
            }
            match v.parse::<u32>() {
                Ok(n) => Some(n),
                Err(_) => {
                    e.add(field, tr.t("draw-bad-number"));
                    None
                }
            }
        };
        let title = self.title.trim();
        if title.is_empty() || title.chars().count() > 200 {
            e.add("title", tr.t("draw-bad-title"));
        } else if let Err(m) = crate::text::line("title", title) {
            e.add("title", super::messages::translate(tr, &m));
        }
        let panel = num(&mut e, "panel", &self.panel, true);
        if let Some(n) = panel
            && (n % 2 == 0 || n < min_panel)
        {
            e.add("panel", tr.t1("draw-bad-panel", "min", min_panel));
        }
        let alternates = num(&mut e, "alternates", &self.alternates, false).unwrap_or(0);
        let mut quotas = vec![];
        for (i, (spec, min)) in self.quotas().iter().enumerate() {
            let field = format!("quota_min_{}", i + 1);
            if spec.trim().is_empty() {
                continue;
            }
            if roster::parse_specialty(spec).is_err() {
                e.add(&format!("quota_spec_{}", i + 1), tr.t("draw-bad-specialty"));
                continue;
            }
            match num(&mut e, &field, min, true) {
                Some(0) => e.add(&field, tr.t("draw-bad-quota")),
                Some(m) => quotas.push(QuotaRequest {
                    spec: spec.trim().to_string(),
                    min: m,
                }),
                None => {}
            }
        }
        let org_cap = num(&mut e, "org_cap", &self.org_cap, false);
        if org_cap == Some(0) {
            e.add("org_cap", tr.t("draw-bad-cap"));
        }
        let cooldown_days = num(&mut e, "cooldown_days", &self.cooldown_days, false);
        let window = num(&mut e, "window", &self.window, true).unwrap_or(60) as u64;
        let beacon = match self.beacon.as_str() {
            "none" => BeaconChoice::None,
            "drand" => {
                let round = num(&mut e, "round", &self.round, false).map(u64::from);
                let margin =
                    num(&mut e, "margin", &self.margin, round.is_none()).unwrap_or(120) as u64;
                if round.is_none() && margin <= window {
                    e.add("window", tr.t("draw-window-before-beacon"));
                }
                BeaconChoice::Drand { margin, round }
            }
            _ => {
                e.add("beacon", tr.t("draw-bad-beacon"));
                BeaconChoice::None
            }
        };
        if !e.is_empty() {
            return Err(e);
        }
        let req = DrawRequest {
            title: title.to_string(),
            panel: panel.unwrap_or(0),
            alternates,
            quotas,
            org_cap,
            cooldown_days,
            beacon,
            entropy_window: window,
            personal_keys: self.personal_keys == "1",
        };
        // The workflow's own check, so the page never disagrees with the API.
        if let Err(err) = req.spec(min_panel) {
            let mut e = Errors::default();
            e.add("panel", super::translate_detail(tr, &draw_error_text(err)));
            return Err(e);
        }
        Ok(req)
    }

    /// The hidden fields that carry the form to the next step.
    pub fn hidden(&self) -> Vec<(&'static str, String)> {
        vec![
            ("title", self.title.clone()),
            ("panel", self.panel.clone()),
            ("alternates", self.alternates.clone()),
            ("quota_spec_1", self.quota_spec_1.clone()),
            ("quota_min_1", self.quota_min_1.clone()),
            ("quota_spec_2", self.quota_spec_2.clone()),
            ("quota_min_2", self.quota_min_2.clone()),
            ("quota_spec_3", self.quota_spec_3.clone()),
            ("quota_min_3", self.quota_min_3.clone()),
            ("org_cap", self.org_cap.clone()),
            ("cooldown_days", self.cooldown_days.clone()),
            ("beacon", self.beacon.clone()),
            ("margin", self.margin.clone()),
            ("round", self.round.clone()),
            ("window", self.window.clone()),
            ("personal_keys", self.personal_keys.clone()),
        ]
    }
}

fn draw_error_text(e: crate::draws::DrawError) -> String {
    use crate::draws::DrawError as D;
    match e {
        D::NotFound(m) | D::Conflict(m) | D::Invalid(m) => m,
        D::Infeasible(i) => format!("{}: {}", i.constraint, i.detail),
        D::Internal(_) => String::new(),
    }
}

/// Feasibility in words: eligible count, exclusions grouped by reason.
pub struct PreviewView {
    pub eligible: usize,
    pub excluded: Vec<(String, usize)>,
    pub by_specialty: Vec<(String, usize)>,
    pub infeasible: Option<String>,
}

fn preview_view(tr: &Tr, p: &Preview) -> PreviewView {
    let mut groups: std::collections::BTreeMap<String, usize> = Default::default();
    for x in &p.excluded {
        *groups.entry(x.reason.clone()).or_default() += 1;
    }
    PreviewView {
        eligible: p.eligible,
        excluded: groups
            .into_iter()
            .map(|(k, n)| (tr.t(&format!("exclusion-{k}")), n))
            .collect(),
        by_specialty: p
            .by_specialty
            .iter()
            .map(|(k, n)| (specialty_label(tr, k), *n))
            .collect(),
        infeasible: p.infeasible.as_ref().map(|i| {
            tr.args(
                "draw-infeasible",
                &[
                    ("constraint", i.constraint.clone()),
                    ("detail", i.detail.clone()),
                ],
            )
        }),
    }
}

#[derive(Template)]
#[template(path = "web/draw_form.html")]
struct DrawFormPage {
    base: Base,
    /// The form's three quota rows.
    quotas: Vec<(String, String)>,
    p: String,
    round: RoundView,
    f: DrawForm,
    errors: Errors,
    specialties: Vec<(String, String)>,
    preview: Option<PreviewView>,
    min_panel: u32,
}

async fn draw_form(
    State(s): State<AppState>,
    u: User,
    Path((code, id)): Path<(String, i64)>,
) -> Result<Response, WebError> {
    let p = u.province(&code)?;
    u.require(RUN)?;
    let r = api::round_of(&s, &p, id).await?;
    let f = DrawForm::defaults(&u.tr, &r);
    let preview = match f.request(&u.tr, s.min_panel) {
        Ok(req) => s
            .workflow()
            .preview(&r, &req)
            .await
            .ok()
            .map(|pv| preview_view(&u.tr, &pv)),
        Err(_) => None,
    };
    page(DrawFormPage {
        quotas: f.quotas(),
        base: u.base(u.tr.t("draw-title")),
        p: p.as_str().to_string(),
        round: round_view(&u.tr, &r),
        f,
        errors: Errors::default(),
        specialties: specialties(&u.tr),
        preview,
        min_panel: s.min_panel,
    })
}

#[derive(Template)]
#[template(path = "web/draw_check.html")]
struct DrawCheck {
    base: Base,
    p: String,
    round: RoundView,
    f: DrawForm,
    req: DrawRequest,
    preview: PreviewView,
    quotas: Vec<(String, u32)>,
    beacon: String,
}

/// The form again with its problems, or the check-your-answers page that shows
/// exactly what the commit will fix.
async fn draw_check(
    State(s): State<AppState>,
    u: User,
    Path((code, id)): Path<(String, i64)>,
    Form(f): Form<DrawForm>,
) -> Result<Response, WebError> {
    let p = u.province(&code)?;
    u.require(RUN)?;
    u.check_csrf(&f.csrf)?;
    let tr = u.tr;
    let r = api::round_of(&s, &p, id).await?;
    let req = f.request(&tr, s.min_panel);
    let preview = match &req {
        Ok(req) => Some(s.workflow().preview(&r, req).await?),
        Err(_) => None,
    };
    let edit = f.edit == "1";
    match (req, preview) {
        (Ok(req), Some(pv)) if pv.infeasible.is_none() && !edit => {
            let beacon = match &req.beacon {
                BeaconChoice::None => tr.t("beacon-none"),
                BeaconChoice::Drand { round: Some(n), .. } => tr.t1("beacon-round", "round", n),
                BeaconChoice::Drand { margin, .. } => tr.t1("beacon-margin", "margin", margin),
            };
            page(DrawCheck {
                base: u.base(tr.t("draw-check-title")),
                p: p.as_str().to_string(),
                round: round_view(&tr, &r),
                quotas: req
                    .quotas
                    .iter()
                    .map(|q| (specialty_label(&tr, &q.spec), q.min))
                    .collect(),
                preview: preview_view(&tr, &pv),
                req,
                f,
                beacon,
            })
        }
        (req, pv) => {
            let mut errors = req.err().unwrap_or_default();
            if let Some(pv) = &pv
                && let Some(i) = &pv.infeasible
            {
                errors.add(
                    "panel",
                    tr.args(
                        "draw-infeasible",
                        &[
                            ("constraint", i.constraint.clone()),
                            ("detail", i.detail.clone()),
                        ],
                    ),
                );
            }
            let mut res = page(DrawFormPage {
                quotas: f.quotas(),
                base: u.base(tr.t("draw-title")),
                p: p.as_str().to_string(),
                round: round_view(&tr, &r),
                f,
                errors,
                specialties: specialties(&tr),
                preview: pv.map(|pv| preview_view(&tr, &pv)),
                min_panel: s.min_panel,
            })?;
            if !edit {
                *res.status_mut() = axum::http::StatusCode::BAD_REQUEST;
            }
            Ok(res)
        }
    }
}

async fn draw_commit(
    State(s): State<AppState>,
    u: User,
    Path((code, id)): Path<(String, i64)>,
    Form(f): Form<DrawForm>,
) -> Result<Response, WebError> {
    let p = u.province(&code)?;
    u.require(RUN)?;
    u.check_csrf(&f.csrf)?;
    let r = api::round_of(&s, &p, id).await?;
    let req = f.request(&u.tr, s.min_panel).map_err(|e| {
        AppError::BadRequest(
            e.list()
                .iter()
                .map(|x| x.message.clone())
                .collect::<Vec<_>>()
                .join("; "),
        )
    })?;
    let d = s.workflow().commit(&r, &req).await?;
    confirmed(
        &s,
        &u,
        u.tr.t("draw-committed"),
        d.commit_seq,
        format!("/p/{p}/draws/{}", d.id),
        u.tr.t("draw-to-waiting-room"),
    )
    .await
}

/// One step of a draw as its page lists it.
pub struct StepView {
    pub kind: String,
    pub seq: u64,
    pub time: String,
    pub hash: String,
    pub detail: String,
}

/// A pending key replacement as the draw page lists it.
pub struct KeyRequestRow {
    pub id: i64,
    pub role: String,
    /// The person's token, first 16 hex digits.
    pub person: String,
    pub replaces: String,
    pub fingerprint: String,
    pub at: String,
    /// The message an approval signs (base64).
    pub message: String,
    /// The caller asked for it.
    pub own: bool,
}

pub struct SeatRow {
    pub position: usize,
    pub token: String,
    pub specialty: String,
    pub expert_id: String,
    pub name: String,
}

#[derive(Template)]
#[template(path = "web/draw.html")]
pub struct DrawPage {
    pub base: Base,
    pub p: String,
    pub id: String,
    pub title: String,
    pub state: String,
    pub state_label: String,
    pub round_id: i64,
    pub pool_size: usize,
    pub commit_time: String,
    pub deadline: String,
    pub deadline_unix: u64,
    pub now_unix: u64,
    pub beacon_round: Option<u64>,
    pub beacon_due: String,
    pub beacon_due_unix: u64,
    pub beacon_recorded: bool,
    pub contributions: Vec<StepView>,
    pub steps: Vec<StepView>,
    pub panel: Vec<SeatRow>,
    pub alternates: Vec<SeatRow>,
    pub panel_short: bool,
    pub coordinator: bool,
    pub supervisor: bool,
    pub contributed: bool,
    /// Protocol 1.4: the commit requires contributions signed with personal keys.
    pub personal_keys: bool,
    /// The commit entry's hash (hex): the browser signs it with the value.
    pub commit_hash: String,
    /// The caller's account id: the browser keeps its key under draw + account.
    pub account: i64,
    /// The fingerprint (key id) of the caller's current key in this draw.
    pub my_key: Option<String>,
    /// Protocol 1.6: the fingerprint of the new key the caller asked for.
    pub pending_key: Option<String>,
    /// The draw's pending key replacements (for its coordinators and
    /// supervisors).
    pub key_requests: Vec<KeyRequestRow>,
    pub round_state: String,
    pub abandoned: bool,
    /// The draw this one supplements (补抽), if it is a supplementary draw.
    pub supplements: Option<String>,
    /// The draw that supplements this one and is not voided, if any.
    pub supplemented_by: Option<String>,
    /// Problems of the forms on this page (contribution, beacon, decline, void).
    pub errors: Errors,
}

fn kind_str(b: &fairpanel_core::entry::Body) -> String {
    serde_json::to_value(b.kind())
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

/// The draw's page: the waiting room while committed, the panel after the
/// reveal; the supervisor's contribution form is on it too.
pub async fn draw_page(
    s: &AppState,
    u: &User,
    p: &Province,
    id: &str,
) -> Result<DrawPage, WebError> {
    let tr = u.tr;
    let w = s.workflow();
    let d = w.load(p, id).await?;
    let names = if d.state == "disclosed" {
        Some(w.openings(&d.id).await?)
    } else {
        None
    };
    let sum = d.summary(names.as_ref());
    let entries = w.entries(&d.id).await?;
    let me = format!("supervisor-{}", u.caller.account_id);
    let mut contributed = false;
    let mut contributions = vec![];
    let mut steps = vec![];
    let mut beacon_recorded = false;
    let mut personal_keys = false;
    let mut my_key = None;
    let my_token = crate::draws::person_token(&d.id, &me);
    for e in &entries {
        let kind = kind_str(&e.body);
        let detail = match &e.body {
            fairpanel_core::entry::Body::Entropy(x) => {
                if x.supervisor == me {
                    contributed = true;
                }
                x.supervisor.clone()
            }
            fairpanel_core::entry::Body::Beacon(b) => {
                beacon_recorded = true;
                tr.t1("beacon-round", "round", b.round)
            }
            fairpanel_core::entry::Body::Decline(x) => x.reason.to_string(),
            fairpanel_core::entry::Body::Void(x) => x.reason.clone(),
            fairpanel_core::entry::Body::Commit(c) => {
                personal_keys = c.personal_keys;
                String::new()
            }
            fairpanel_core::entry::Body::KeyRegistration(r) => {
                let fp = r.key.key_id().to_string();
                if r.person == my_token && u.caller.role == Role::Supervisor {
                    my_key = Some(fp.clone());
                }
                match r.replaces {
                    Some(old) => tr.t2("key-replaced-detail", "new", fp, "old", old),
                    None => fp,
                }
            }
            _ => String::new(),
        };
        let v = StepView {
            kind: tr.t(&format!("entry-{kind}")),
            seq: e.seq,
            time: tr.time(e.time),
            hash: e.hash.to_hex(),
            detail,
        };
        if kind == "entropy" {
            contributions.push(StepView { ..v });
        } else {
            steps.push(v);
        }
    }
    let seat = |(i, (sv, idx)): (usize, (&crate::draws::SeatView, &u32))| SeatRow {
        position: i + 1,
        token: sv.token.chars().take(16).collect(),
        specialty: specialty_label(&tr, &sv.specialty),
        expert_id: if READ.contains(&u.caller.role) {
            d.expert_of(*idx).to_string()
        } else {
            String::new()
        },
        name: sv.name.clone().unwrap_or_default(),
    };
    let round = api::round_of(s, p, d.round_id).await?;
    let abandoned = w
        .draws_of_round(d.round_id)
        .await?
        .iter()
        .any(|x| x.id == d.id.as_str() && x.abandoned);
    let (key_requests, pending_key) =
        if u.caller.role == Role::Supervisor || RUN.contains(&u.caller.role) {
            let rs = w.key_requests(p, id).await?;
            let mine = rs
                .iter()
                .find(|q| q.account == u.caller.account_id && u.caller.role == Role::Supervisor)
                .map(|q| q.registration.key.key_id().to_string());
            let rows = rs
                .into_iter()
                .map(|q| KeyRequestRow {
                    id: q.id,
                    role: tr.t(&format!("role-{}", q.registration.role.as_str())),
                    person: q.registration.person.to_hex().chars().take(16).collect(),
                    replaces: q
                        .registration
                        .replaces
                        .map(|k| k.to_string())
                        .unwrap_or_default(),
                    fingerprint: q.registration.key.key_id().to_string(),
                    at: tr.time(q.requested_at),
                    message: base64::Engine::encode(
                        &base64::engine::general_purpose::STANDARD,
                        q.message(),
                    ),
                    own: q.registration.person == my_token && u.caller.role == Role::Supervisor,
                })
                .collect();
            (rows, mine)
        } else {
            (Vec::new(), None)
        };
    let due = sum
        .beacon_round
        .map(fairpanel_core::beacon::round_time)
        .unwrap_or(0);
    Ok(DrawPage {
        base: u.base(sum.title.clone()),
        p: p.as_str().to_string(),
        id: sum.id.clone(),
        title: sum.title.clone(),
        state_label: tr.t(&format!(
            "draw-state-{}",
            if abandoned {
                "abandoned"
            } else {
                sum.state.as_str()
            }
        )),
        state: sum.state.clone(),
        round_id: sum.round_id,
        pool_size: sum.pool_size,
        commit_time: tr.time(sum.commit_time),
        deadline: tr.time(sum.entropy_deadline),
        deadline_unix: sum.entropy_deadline,
        now_unix: s.clock.now(),
        beacon_round: sum.beacon_round,
        beacon_due: if due > 0 { tr.time(due) } else { String::new() },
        beacon_due_unix: due,
        beacon_recorded,
        contributions,
        steps,
        panel: sum
            .panel
            .iter()
            .zip(d.panel.iter())
            .enumerate()
            .map(seat)
            .collect(),
        alternates: sum
            .alternates
            .iter()
            .zip(d.alternates.iter())
            .enumerate()
            .map(seat)
            .collect(),
        panel_short: sum.panel_short,
        coordinator: RUN.contains(&u.caller.role),
        supervisor: u.caller.role == Role::Supervisor,
        contributed,
        personal_keys,
        commit_hash: d.commit_hash.to_hex(),
        account: u.caller.account_id,
        my_key,
        pending_key,
        key_requests,
        round_state: round.state.as_str().to_string(),
        abandoned,
        supplements: w.link_of(&d.id).await?.map(|l| l.draw.to_string()),
        supplemented_by: w.supplemented_by(d.id.as_str()).await?,
        errors: Errors::default(),
    })
}

/// The draw's page again, with the workflow's refusal `e` beside the form
/// field that caused it (an internal error stays an error page).
async fn draw_refused(
    s: &AppState,
    u: &User,
    p: &Province,
    id: &str,
    field: &str,
    e: crate::draws::DrawError,
) -> Result<Response, WebError> {
    let m = super::refusal(&u.tr, e)?;
    draw_with_error(s, u, p, id, field, m).await
}

/// The draw's page again, with a problem beside the form field that caused it.
pub async fn draw_with_error(
    s: &AppState,
    u: &User,
    p: &Province,
    id: &str,
    field: &str,
    message: String,
) -> Result<Response, WebError> {
    let mut d = draw_page(s, u, p, id).await?;
    d.errors.add(field, message);
    let mut r = page(d)?;
    *r.status_mut() = axum::http::StatusCode::BAD_REQUEST;
    Ok(r)
}

async fn draw(
    State(s): State<AppState>,
    u: User,
    Path((code, id)): Path<(String, String)>,
) -> Result<Response, WebError> {
    let p = u.province(&code)?;
    u.require(READ)?;
    page(draw_page(&s, &u, &p, &id).await?)
}

#[derive(Deserialize)]
struct BeaconForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    json: String,
}

/// The drand round pasted as JSON (`{"round": …, "signature": "…"}`, as drand
/// serves it).
async fn beacon(
    State(s): State<AppState>,
    u: User,
    Path((code, id)): Path<(String, String)>,
    Form(f): Form<BeaconForm>,
) -> Result<Response, WebError> {
    let p = u.province(&code)?;
    u.require(RUN)?;
    u.check_csrf(&f.csrf)?;
    #[derive(Deserialize)]
    struct Round {
        round: u64,
        signature: String,
    }
    let Ok(r) = serde_json::from_str::<Round>(f.json.trim()) else {
        return draw_with_error(&s, &u, &p, &id, "json", u.tr.t("beacon-bad-json")).await;
    };
    let seq = s
        .workflow()
        .record_beacon(&p, &id, r.round, &r.signature)
        .await;
    let seq = match seq {
        Ok(seq) => seq,
        Err(e) => return draw_refused(&s, &u, &p, &id, "json", e).await,
    };
    confirmed(
        &s,
        &u,
        u.tr.t("beacon-recorded"),
        seq,
        format!("/p/{p}/draws/{id}"),
        u.tr.t("back-to-draw"),
    )
    .await
}

#[derive(Template)]
#[template(path = "web/confirm_step.html")]
pub struct ConfirmStep {
    pub base: Base,
    pub heading: String,
    pub what: String,
    pub action: String,
    pub button: String,
    pub back: String,
}

impl ConfirmStep {
    /// The check page before an irreversible step: its title and button from
    /// the catalogue, what it will do, where it posts and where "cancel" goes.
    pub fn page(
        u: &User,
        title_key: &str,
        what: String,
        action: String,
        button_key: &str,
        back: String,
    ) -> Result<Response, WebError> {
        page(ConfirmStep {
            base: u.base(u.tr.t(title_key)),
            heading: u.tr.t(title_key),
            what,
            action,
            button: u.tr.t(button_key),
            back,
        })
    }
}

async fn reveal_check(
    u: User,
    Path((code, id)): Path<(String, String)>,
) -> Result<Response, WebError> {
    let p = u.province(&code)?;
    u.require(RUN)?;
    ConfirmStep::page(
        &u,
        "reveal-check-title",
        u.tr.t("reveal-check-what"),
        format!("/p/{p}/draws/{id}/reveal"),
        "reveal-button",
        format!("/p/{p}/draws/{id}"),
    )
}

async fn reveal(
    State(s): State<AppState>,
    u: User,
    Path((code, id)): Path<(String, String)>,
    Form(f): Form<CsrfOnly>,
) -> Result<Response, WebError> {
    let p = u.province(&code)?;
    u.require(RUN)?;
    u.check_csrf(&f.csrf)?;
    s.workflow().reveal(&p, &id).await?;
    let seq = last_seq(&s, &id).await?;
    confirmed(
        &s,
        &u,
        u.tr.t("revealed"),
        seq,
        format!("/p/{p}/draws/{id}"),
        u.tr.t("back-to-draw"),
    )
    .await
}

/// The draw's newest log entry.
async fn last_seq(s: &AppState, id: &str) -> Result<u64, WebError> {
    let id =
        fairpanel_core::types::DrawId::try_from(id.to_string()).map_err(AppError::BadRequest)?;
    s.workflow()
        .entries(&id)
        .await?
        .last()
        .map(|e| e.seq)
        .ok_or_else(|| AppError::Internal(anyhow::anyhow!("draw {id} has no entries")).into())
}

#[derive(Deserialize)]
struct DeclineForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    expert_id: String,
    #[serde(default)]
    reason: String,
}

async fn decline(
    State(s): State<AppState>,
    u: User,
    Path((code, id)): Path<(String, String)>,
    Form(f): Form<DeclineForm>,
) -> Result<Response, WebError> {
    let p = u.province(&code)?;
    u.require(RUN)?;
    u.check_csrf(&f.csrf)?;
    if f.reason.trim().is_empty() {
        return draw_with_error(&s, &u, &p, &id, "decline-reason", u.tr.t("reason-needed")).await;
    }
    let out = s
        .workflow()
        .decline(&p, &id, f.expert_id.trim(), f.reason.trim())
        .await;
    let out = match out {
        Ok(out) => out,
        Err(e) => return draw_refused(&s, &u, &p, &id, "decline-expert", e).await,
    };
    let what = match (&out.replacement, out.new_draw_required) {
        (Some(r), _) => u.tr.args(
            "declined-replaced",
            &[
                ("declined", out.declined.clone()),
                ("replacement", r.clone()),
            ],
        ),
        (None, _) => u.tr.t1("declined-short", "declined", &out.declined),
    };
    confirmed(
        &s,
        &u,
        what,
        out.seq,
        format!("/p/{p}/draws/{id}"),
        u.tr.t("back-to-draw"),
    )
    .await
}

#[derive(Deserialize)]
struct SupplementForm {
    csrf: String,
    #[serde(default)]
    alternates: String,
    #[serde(default)]
    beacon: String,
    #[serde(default)]
    window: String,
}

/// A supplementary draw (补抽) of this draw, whose panel has empty seats: the
/// coordinator chooses only the alternates, the beacon and the entropy window.
async fn supplement(
    State(s): State<AppState>,
    u: User,
    Path((code, id)): Path<(String, String)>,
    Form(f): Form<SupplementForm>,
) -> Result<Response, WebError> {
    let p = u.province(&code)?;
    u.require(RUN)?;
    u.check_csrf(&f.csrf)?;
    let number = |v: &str, default: u64| -> Option<u64> {
        let v = v.trim();
        if v.is_empty() {
            Some(default)
        } else {
            v.parse().ok()
        }
    };
    let Some(alternates) = number(&f.alternates, 2).and_then(|n| u32::try_from(n).ok()) else {
        return draw_with_error(
            &s,
            &u,
            &p,
            &id,
            "supplement-alternates",
            u.tr.t("draw-bad-number"),
        )
        .await;
    };
    let Some(window) = number(&f.window, 60) else {
        return draw_with_error(
            &s,
            &u,
            &p,
            &id,
            "supplement-window",
            u.tr.t("draw-bad-number"),
        )
        .await;
    };
    let beacon = match f.beacon.as_str() {
        "none" => BeaconChoice::None,
        _ => BeaconChoice::Drand {
            margin: (window + 60).max(120),
            round: None,
        },
    };
    let req = crate::draws::SupplementRequest {
        title: None,
        alternates,
        beacon,
        entropy_window: window,
    };
    match s.workflow().supplement(&p, &id, &req).await {
        Ok(d) => Ok(axum::response::IntoResponse::into_response(
            axum::response::Redirect::to(&format!("/p/{p}/draws/{}", d.id)),
        )),
        Err(e) => draw_refused(&s, &u, &p, &id, "supplement-alternates", e).await,
    }
}

async fn void(
    State(s): State<AppState>,
    u: User,
    Path((code, id)): Path<(String, String)>,
    Form(f): Form<ReasonForm>,
) -> Result<Response, WebError> {
    let p = u.province(&code)?;
    u.require(RUN)?;
    u.check_csrf(&f.csrf)?;
    if f.reason.trim().is_empty() {
        return draw_with_error(&s, &u, &p, &id, "void-reason", u.tr.t("reason-needed")).await;
    }
    let seq = match s.workflow().void(&p, &id, f.reason.trim()).await {
        Ok(seq) => seq,
        Err(e) => return draw_refused(&s, &u, &p, &id, "void-reason", e).await,
    };
    confirmed(
        &s,
        &u,
        u.tr.t("voided"),
        seq,
        format!("/p/{p}/draws/{id}"),
        u.tr.t("back-to-draw"),
    )
    .await
}

async fn disclose(
    State(s): State<AppState>,
    u: User,
    Path((code, id)): Path<(String, String)>,
    Form(f): Form<CsrfOnly>,
) -> Result<Response, WebError> {
    let p = u.province(&code)?;
    u.require(RUN)?;
    u.check_csrf(&f.csrf)?;
    let seq = s.workflow().disclose(&p, &id).await?;
    confirmed(
        &s,
        &u,
        u.tr.t("disclosed"),
        seq,
        format!("/p/{p}/draws/{id}"),
        u.tr.t("back-to-draw"),
    )
    .await
}
