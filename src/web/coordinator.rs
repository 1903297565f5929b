//! The coordinator's pages: the rounds of their province, each round as a task
//! list, the expert pool (search, import with a preview of what will change),
//! applications (import, the screen, overrides), the draw (spec with live
//! feasibility, check your answers, the waiting room, reveal, declines, void),
//! scoring (open, progress, reopen, results, close) and the province's
//! accounts. Every step calls the same workflow and store functions as the
//! API.

use super::account::NewAccountForm;
use super::{Base, Errors, Tr, User, WebError, confirmed, page, refusal, sent_back};
use crate::applications::{self, ApplicationRecord};
use crate::http::auth::Role;
use crate::http::rounds as api;
use crate::http::{AppError, AppState};
use crate::roster::{self, ExpertRecord, ImportErrors, Status};
use crate::store::experts::Must;
use crate::store::rounds::{Round, RoundState};
use askama::Template;
use axum::extract::{DefaultBodyLimit, Multipart, Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use base64::Engine;
use fairpanel_core::types::Province;
use serde::Deserialize;

pub(super) const RUN: &[Role] = &[Role::Admin, Role::Coordinator];
pub(super) const READ: &[Role] = &[Role::Admin, Role::Coordinator, Role::Supervisor];
/// An uploaded file, base64 in the preview's form, plus the form's fields.
const IMPORT_FORM_LIMIT: usize = crate::http::experts::MAX_IMPORT_BYTES / 3 * 4 + 64 * 1024;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/p/{p}", get(rounds))
        .route("/p/{p}/rounds", post(create_round))
        .route("/p/{p}/rounds/{r}", get(round))
        .route("/p/{p}/rounds/{r}/dates", post(round_dates))
        .route("/p/{p}/rounds/{r}/report", post(issue_report))
        .route("/p/{p}/rounds/{r}/filing", post(file_round))
        .route("/p/{p}/rounds/{r}/report.json", get(report_json))
        .route("/p/{p}/rounds/{r}/report.html", get(report_html))
        .route("/p/{p}/rounds/{r}/report.xlsx", get(report_xlsx))
        .route("/p/{p}/rounds/{r}/filing.zip", get(filing_zip))
        .route("/p/{p}/experts", get(experts))
        .route("/p/{p}/experts/{id}", get(expert))
        .route(
            "/p/{p}/import/experts",
            get(import_experts_form).post(import_experts_preview),
        )
        .route("/p/{p}/import/experts/apply", post(import_experts_apply))
        .route("/p/{p}/rounds/{r}/applications", get(applications))
        .route(
            "/p/{p}/rounds/{r}/import",
            post(import_applications_preview),
        )
        .route(
            "/p/{p}/rounds/{r}/import/apply",
            post(import_applications_apply),
        )
        .route(
            "/p/{p}/rounds/{r}/applications/{a}/override",
            post(override_screen),
        )
        .route("/p/{p}/accounts", get(accounts).post(create_account))
        .layer(DefaultBodyLimit::max(IMPORT_FORM_LIMIT))
}

pub(super) fn kind_label(tr: &Tr, kind: &str) -> String {
    tr.t(&format!("kind-{kind}"))
}

fn round_state_label(tr: &Tr, s: RoundState) -> String {
    tr.t(&format!("round-state-{}", s.as_str()))
}

pub struct RoundRow {
    pub id: i64,
    pub year: i32,
    pub kind: String,
    pub title: String,
    pub state: String,
    pub state_label: String,
}

#[derive(Template)]
#[template(path = "web/rounds.html")]
struct Rounds {
    base: Base,
    p: String,
    province_name: String,
    rounds: Vec<RoundRow>,
    errors: Errors,
    year: String,
    kind: String,
    title: String,
}

async fn round_rows(s: &AppState, tr: &Tr, p: &Province) -> Result<Vec<RoundRow>, WebError> {
    Ok(s.store
        .rounds(p)
        .await?
        .into_iter()
        .rev()
        .map(|r| RoundRow {
            id: r.id,
            year: r.year,
            kind: kind_label(tr, &r.kind),
            title: r.title,
            state: r.state.as_str().to_string(),
            state_label: round_state_label(tr, r.state),
        })
        .collect())
}

async fn rounds(
    State(s): State<AppState>,
    u: User,
    Path(code): Path<String>,
) -> Result<Response, WebError> {
    let p = u.province(&code)?;
    u.require(READ)?;
    if u.caller.role == Role::Supervisor {
        return Ok(Redirect::to(&format!("/p/{p}/watch")).into_response());
    }
    page(Rounds {
        base: u.base(u.tr.t("rounds-title")),
        province_name: super::province_name(&u.tr, &p),
        rounds: round_rows(&s, &u.tr, &p).await?,
        p: p.as_str().to_string(),
        errors: Errors::default(),
        year: String::new(),
        kind: "base_new".into(),
        title: String::new(),
    })
}

#[derive(Deserialize)]
struct NewRound {
    #[serde(default)]
    csrf: String,
    year: String,
    kind: String,
    title: String,
}

async fn create_round(
    State(s): State<AppState>,
    u: User,
    Path(code): Path<String>,
    Form(f): Form<NewRound>,
) -> Result<Response, WebError> {
    let p = u.province(&code)?;
    u.require(RUN)?;
    u.check_csrf(&f.csrf)?;
    let tr = u.tr;
    let mut errors = Errors::default();
    let year = f
        .year
        .trim()
        .parse::<i32>()
        .ok()
        .filter(|y| (2000..=2100).contains(y));
    if year.is_none() {
        errors.add("year", tr.t("round-bad-year"));
    }
    if !["base_new", "base_existing", "studio"].contains(&f.kind.as_str()) {
        errors.add("kind", tr.t("round-bad-kind"));
    }
    let title = f.title.trim();
    if title.is_empty() || title.chars().count() > 200 {
        errors.add("title", tr.t("round-bad-title"));
    } else if let Err(m) = crate::text::line("title", title) {
        errors.add("title", super::messages::translate(&tr, &m));
    }
    if let (true, Some(year)) = (errors.is_empty(), year) {
        let r = api::open_round(&s, &p, year, &f.kind, title).await?;
        return Ok(Redirect::to(&format!("/p/{p}/rounds/{}", r.id)).into_response());
    }
    let mut res = page(Rounds {
        base: u.base(tr.t("rounds-title")),
        province_name: super::province_name(&tr, &p),
        rounds: round_rows(&s, &tr, &p).await?,
        p: p.as_str().to_string(),
        errors,
        year: f.year,
        kind: f.kind,
        title: f.title,
    })?;
    *res.status_mut() = axum::http::StatusCode::BAD_REQUEST;
    Ok(res)
}

/// One task of a round's task list.
pub struct Task {
    pub label: String,
    pub href: Option<String>,
    /// `done`, `in-progress`, `not-started` or `cannot-start`.
    pub state: String,
    pub state_label: String,
    /// Why it cannot start yet, or what is left.
    pub why: String,
}

#[derive(Template)]
#[template(path = "web/round.html")]
struct RoundPage {
    base: Base,
    p: String,
    round: RoundView,
    tasks: Vec<Task>,
    draws: Vec<super::public::DrawRow>,
    /// The province-year's places: limit, recommended by sealed rounds, left.
    places: crate::limits::YearLimit,
    /// The dates form's fields: name, label, value (as stored, or as sent
    /// back).
    date_fields: Vec<(&'static str, String, String)>,
    filing_late: bool,
    can_edit: bool,
    errors: Errors,
    /// The review report, once issued: (seq, sha256).
    report: Option<(u64, String)>,
    /// The filing, once recorded: (seq, time, late).
    filing: Option<(u64, String, bool)>,
    /// What is still missing before filing, in the reader's words.
    missing: Vec<String>,
    /// From 1 October until filed.
    filing_warn: bool,
    /// Whether the report can be issued now (closed, not yet issued).
    can_issue: bool,
    /// Whether the round can be filed now (report issued, not yet filed).
    can_file: bool,
}

pub struct RoundView {
    pub id: i64,
    pub year: i32,
    pub title: String,
    pub kind: String,
    pub state: String,
    pub state_label: String,
}

pub(super) fn round_view(tr: &Tr, r: &Round) -> RoundView {
    RoundView {
        id: r.id,
        year: r.year,
        title: r.title.clone(),
        kind: kind_label(tr, &r.kind),
        state: r.state.as_str().to_string(),
        state_label: round_state_label(tr, r.state),
    }
}

/// A task of the round's task list in the reader's words, with its link.
fn task(tr: &Tr, p: &Province, round: i64, t: &api::Task) -> Task {
    let base = format!("/p/{p}/rounds/{round}");
    let href = match t.task {
        "pool" => Some(format!("/p/{p}/experts")),
        "applications" => Some(format!("{base}/applications")),
        "screen" => Some(format!("{base}/applications#screen")),
        "draw" => Some(match &t.draw {
            Some(d) => format!("/p/{p}/draws/{d}"),
            None => format!("{base}/draw"),
        }),
        "scoring" => Some(format!("{base}/scoring")),
        "results" => Some(format!("{base}/results")),
        "notice" => Some(format!("{base}/notice")),
        _ => None,
    };
    Task {
        label: tr.t(&format!("task-{}", t.task)),
        href: if t.state == "cannot-start" {
            None
        } else {
            href
        },
        state: t.state.to_string(),
        state_label: tr.t(&format!("task-{}", t.state)),
        why: match (t.reason, t.count) {
            (Some(r), Some(n)) => tr.t1(&format!("task-{r}"), "n", n),
            (Some(r), None) => tr.t(&format!("task-{r}")),
            (None, _) => String::new(),
        },
    }
}

/// The round as a task list: each task's state, and why one cannot start yet
/// (the same data as `GET …/rounds/{id}/tasks`).
async fn round(
    State(s): State<AppState>,
    u: User,
    Path((code, id)): Path<(String, i64)>,
) -> Result<Response, WebError> {
    let p = u.province(&code)?;
    u.require(READ)?;
    page(round_page(&s, &u, &p, id, None, Errors::default()).await?)
}

async fn round_page(
    s: &AppState,
    u: &User,
    p: &Province,
    id: i64,
    dates: Option<crate::store::rounds::RoundDates>,
    errors: Errors,
) -> Result<RoundPage, WebError> {
    let tr = &u.tr;
    let t = api::tasks_of(s, p, id).await?;
    let places = s.store.year_limit(p, t.round.year).await?;
    let dates = dates.unwrap_or_else(|| t.round.dates.clone());
    let wf = s.workflow();
    let report = wf.issued_report(&t.round).await?;
    let filing = wf.filed(&t.round).await?;
    let missing: Vec<String> = crate::filing::missing(&s.store, &t.round)
        .await?
        .into_iter()
        .map(|m| tr.t(&format!("filing-missing-{}", m.code)))
        .collect();
    let can_run = RUN.contains(&u.caller.role);
    let closed = t.round.state == RoundState::Closed;
    Ok(RoundPage {
        can_issue: can_run && closed && report.is_none(),
        can_file: can_run && closed && report.is_some() && filing.is_none(),
        filing_warn: filing.is_none()
            && t.round.state != RoundState::Reported
            && crate::filing::warn_from(t.round.year, s.clock.now()),
        report: report.map(|i| (i.seq, i.sha256)),
        filing: filing.map(|f| {
            (
                f.seq,
                crate::record_sheet::cst(f.filed_at.max(0) as u64),
                f.late,
            )
        }),
        missing,
        base: u.base(t.round.title.clone()),
        p: p.as_str().to_string(),
        round: round_view(tr, &t.round),
        tasks: t.tasks.iter().map(|x| task(tr, p, t.round.id, x)).collect(),
        draws: t
            .draws
            .into_iter()
            .map(|d| super::public::draw_row(tr, d))
            .collect(),
        places,
        filing_late: t
            .round
            .dates
            .filing
            .as_deref()
            .is_some_and(|f| crate::limits::filing_late(t.round.year, f)),
        date_fields: [
            ("meeting", dates.meeting),
            ("notice_start", dates.notice_start),
            ("notice_end", dates.notice_end),
            ("filing", dates.filing),
        ]
        .into_iter()
        .map(|(n, v)| (n, tr.t(&format!("dates-{n}")), v.unwrap_or_default()))
        .collect(),
        can_edit: RUN.contains(&u.caller.role),
        errors,
    })
}

#[derive(Deserialize)]
struct CsrfForm {
    #[serde(default)]
    csrf: String,
}

/// Issues the round's review report (the API's `POST …/report`).
async fn issue_report(
    State(s): State<AppState>,
    u: User,
    Path((code, id)): Path<(String, i64)>,
    Form(f): Form<CsrfForm>,
) -> Result<Response, WebError> {
    let p = u.province(&code)?;
    u.require(RUN)?;
    u.check_csrf(&f.csrf)?;
    let r = api::round_of(&s, &p, id).await?;
    let issued = s
        .workflow()
        .issue_report(&r, u.caller.account_id)
        .await
        .map_err(AppError::from)?;
    confirmed(
        &s,
        &u,
        u.tr.t("report-issued"),
        issued.seq,
        format!("/p/{p}/rounds/{id}#report"),
        u.tr.t("to-round"),
    )
    .await
}

/// Files the round (the API's `POST …/filing`).
async fn file_round(
    State(s): State<AppState>,
    u: User,
    Path((code, id)): Path<(String, i64)>,
    headers: axum::http::HeaderMap,
    Form(f): Form<CsrfForm>,
) -> Result<Response, WebError> {
    let p = u.province(&code)?;
    u.require(RUN)?;
    u.check_csrf(&f.csrf)?;
    let r = api::round_of(&s, &p, id).await?;
    let filed = s
        .workflow()
        .file(&r, u.caller.account_id, &s.public_base(&headers))
        .await
        .map_err(AppError::from)?;
    confirmed(
        &s,
        &u,
        u.tr.t("filing-done"),
        filed.seq,
        format!("/p/{p}/rounds/{id}#report"),
        u.tr.t("to-round"),
    )
    .await
}

async fn report_json(
    State(s): State<AppState>,
    u: User,
    Path((code, id)): Path<(String, i64)>,
) -> Result<Response, WebError> {
    let p = u.province(&code)?;
    u.require(READ)?;
    let r = api::round_of(&s, &p, id).await?;
    let b = s.workflow().report_file(&r).await.map_err(AppError::from)?;
    let name = format!("report-{}.json", crate::scores::round_ref(&r));
    Ok(crate::http::filing::download(b, "application/json", &name))
}

async fn report_html(
    State(s): State<AppState>,
    u: User,
    Path((code, id)): Path<(String, i64)>,
    headers: axum::http::HeaderMap,
) -> Result<Response, WebError> {
    let p = u.province(&code)?;
    u.require(READ)?;
    let r = api::round_of(&s, &p, id).await?;
    let html = crate::http::filing::report_html(&s, &r, &s.public_base(&headers)).await?;
    Ok((
        [(axum::http::header::CONTENT_TYPE, "text/html; charset=utf-8")],
        html,
    )
        .into_response())
}

async fn report_xlsx(
    State(s): State<AppState>,
    u: User,
    Path((code, id)): Path<(String, i64)>,
) -> Result<Response, WebError> {
    let p = u.province(&code)?;
    u.require(READ)?;
    let r = api::round_of(&s, &p, id).await?;
    let doc = s.workflow().report_doc(&r).await.map_err(AppError::from)?;
    let b = crate::report_render::xlsx(&doc)?;
    let name = format!("report-{}.xlsx", crate::scores::round_ref(&r));
    Ok(crate::http::filing::download(
        b,
        crate::http::filing::XLSX,
        &name,
    ))
}

async fn filing_zip(
    State(s): State<AppState>,
    u: User,
    Path((code, id)): Path<(String, i64)>,
) -> Result<Response, WebError> {
    let p = u.province(&code)?;
    u.require(READ)?;
    let r = api::round_of(&s, &p, id).await?;
    let b = s.workflow().filing_zip(&r).await.map_err(AppError::from)?;
    let name = format!("filing-{}.zip", crate::scores::round_ref(&r));
    Ok(crate::http::filing::download(b, "application/zip", &name))
}

#[derive(Deserialize)]
struct DatesForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    meeting: String,
    #[serde(default)]
    notice_start: String,
    #[serde(default)]
    notice_end: String,
    #[serde(default)]
    filing: String,
}

/// Sets the round's planned dates (the same check as the API's).
async fn round_dates(
    State(s): State<AppState>,
    u: User,
    Path((code, id)): Path<(String, i64)>,
    Form(f): Form<DatesForm>,
) -> Result<Response, WebError> {
    let p = u.province(&code)?;
    u.require(RUN)?;
    u.check_csrf(&f.csrf)?;
    let r = api::round_of(&s, &p, id).await?;
    let opt = |v: &str| {
        let v = v.trim();
        (!v.is_empty()).then(|| v.to_string())
    };
    let d = crate::store::rounds::RoundDates {
        meeting: opt(&f.meeting),
        notice_start: opt(&f.notice_start),
        notice_end: opt(&f.notice_end),
        filing: opt(&f.filing),
    };
    match s.store.set_round_dates(&r, &d, s.clock.now()).await? {
        Ok(_) => Ok(Redirect::to(&format!("/p/{p}/rounds/{id}")).into_response()),
        Err(m) => {
            let mut errors = Errors::default();
            let field = ["meeting", "notice_start", "notice_end", "filing"]
                .into_iter()
                .find(|n| m.starts_with(n))
                .unwrap_or("meeting");
            errors.add(field, super::messages::translate(&u.tr, &m));
            let mut res = page(round_page(&s, &u, &p, id, Some(d), errors).await?)?;
            *res.status_mut() = axum::http::StatusCode::BAD_REQUEST;
            Ok(res)
        }
    }
}

// ---------------------------------------------------------------- the pool

pub struct ExpertRow {
    pub id: String,
    pub name: String,
    pub organisation: String,
    pub specialty: String,
    pub level: String,
    pub status: String,
}

pub(super) fn specialty_label(tr: &Tr, code: &str) -> String {
    let key = format!("spec-{code}");
    if tr.has(&key) {
        tr.t(&key)
    } else {
        code.to_string()
    }
}

fn expert_row(tr: &Tr, e: &ExpertRecord) -> ExpertRow {
    ExpertRow {
        id: e.expert_id.clone(),
        name: e.name.clone(),
        organisation: e.organisation.clone(),
        specialty: specialty_label(tr, e.specialty.as_str()),
        level: e.skill_level.clone().unwrap_or_default(),
        status: tr.t(match e.status {
            Status::Active => "status-active",
            Status::Suspended => "status-suspended",
        }),
    }
}

#[derive(Template)]
#[template(path = "web/experts.html")]
struct Experts {
    base: Base,
    p: String,
    q: String,
    spec: String,
    status: String,
    specialties: Vec<(String, String)>,
    rows: Vec<ExpertRow>,
    total: usize,
    matching: usize,
    page_no: usize,
    pages: usize,
    prev: Option<String>,
    next: Option<String>,
    write: bool,
}

#[derive(Deserialize, Default)]
struct PoolQuery {
    #[serde(default)]
    q: String,
    #[serde(default)]
    spec: String,
    #[serde(default)]
    status: String,
    #[serde(default)]
    page: Option<usize>,
}

pub const PAGE_SIZE: usize = 50;

pub(super) fn specialties(tr: &Tr) -> Vec<(String, String)> {
    roster::SPECIALTIES
        .iter()
        .map(|(c, _)| (c.to_string(), specialty_label(tr, c)))
        .collect()
}

/// The pool, searched and filtered, a page at a time.
async fn experts(
    State(s): State<AppState>,
    u: User,
    Path(code): Path<String>,
    Query(q): Query<PoolQuery>,
) -> Result<Response, WebError> {
    let p = u.province(&code)?;
    u.require(READ)?;
    let tr = u.tr;
    let needle = q.q.trim().to_lowercase();
    let filtered = !needle.is_empty() || !q.spec.is_empty() || !q.status.is_empty();
    // Unfiltered, only the page's rows are read; a search reads the pool.
    let (rows, total, matching) = if filtered {
        let all = s.store.list_experts(&p).await?;
        let matching: Vec<ExpertRecord> = all
            .iter()
            .filter(|e| {
                needle.is_empty()
                    || e.expert_id.to_lowercase().contains(&needle)
                    || e.name.to_lowercase().contains(&needle)
                    || e.organisation.to_lowercase().contains(&needle)
            })
            .filter(|e| q.spec.is_empty() || e.specialty.as_str() == q.spec)
            .filter(|e| match q.status.as_str() {
                "active" => e.status == Status::Active,
                "suspended" => e.status == Status::Suspended,
                _ => true,
            })
            .cloned()
            .collect();
        let n = matching.len();
        (matching, all.len(), n)
    } else {
        let wanted = q.page.unwrap_or(1).max(1);
        let (rows, total) = s
            .store
            .experts_page(&p, (wanted - 1).saturating_mul(PAGE_SIZE), PAGE_SIZE)
            .await?;
        (rows, total, total)
    };
    let pages = matching.div_ceil(PAGE_SIZE).max(1);
    let page_no = q.page.unwrap_or(1).clamp(1, pages);
    let shown: Vec<ExpertRow> = if filtered {
        rows.iter()
            .skip((page_no - 1) * PAGE_SIZE)
            .take(PAGE_SIZE)
            .map(|e| expert_row(&tr, e))
            .collect()
    } else {
        rows.iter().map(|e| expert_row(&tr, e)).collect()
    };
    let link = |n: usize| {
        format!(
            "/p/{p}/experts?q={}&spec={}&status={}&page={n}",
            super::urlencode(&q.q),
            super::urlencode(&q.spec),
            super::urlencode(&q.status)
        )
    };
    page(Experts {
        base: u.base(tr.t("pool-title")),
        p: p.as_str().to_string(),
        specialties: specialties(&tr),
        total,
        matching,
        rows: shown,
        prev: (page_no > 1).then(|| link(page_no - 1)),
        next: (page_no < pages).then(|| link(page_no + 1)),
        page_no,
        pages,
        q: q.q,
        spec: q.spec,
        status: q.status,
        write: RUN.contains(&u.caller.role),
    })
}

#[derive(Template)]
#[template(path = "web/expert.html")]
struct ExpertPage {
    base: Base,
    p: String,
    e: ExpertRecord,
    specialty: String,
    status: String,
}

async fn expert(
    State(s): State<AppState>,
    u: User,
    Path((code, id)): Path<(String, String)>,
) -> Result<Response, WebError> {
    let p = u.province(&code)?;
    u.require(READ)?;
    let e = s
        .store
        .get_expert(&p, &id)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("no expert {id}")))?;
    page(ExpertPage {
        base: u.base(e.name.clone()),
        p: p.as_str().to_string(),
        specialty: specialty_label(&u.tr, e.specialty.as_str()),
        status: u.tr.t(match e.status {
            Status::Active => "status-active",
            Status::Suspended => "status-suspended",
        }),
        e,
    })
}

// ---------------------------------------------------------------- imports

/// One problem of an imported file, in the page's language.
pub struct Problem {
    pub row: String,
    pub column: String,
    pub message: String,
}

/// Import messages are Chinese, ` / `, English: the page shows its half.
pub fn problems(tr: &Tr, errs: &ImportErrors) -> Vec<Problem> {
    errs.0
        .iter()
        .map(|e| Problem {
            row: if e.row == 0 {
                tr.t("import-whole-file")
            } else {
                e.row.to_string()
            },
            column: match (&e.header, &e.column) {
                (Some(h), _) => h.clone(),
                (None, Some(c)) => c.clone(),
                (None, None) => String::new(),
            },
            message: match e.message.split_once(" / ") {
                Some((zh, en)) => match tr.lang {
                    super::Lang::Zh => zh.to_string(),
                    super::Lang::En => en.to_string(),
                },
                None => e.message.clone(),
            },
        })
        .collect()
}

/// What an import would change, before it is applied.
pub struct Change {
    pub id: String,
    pub name: String,
    /// `added`, `changed` or `suspended`.
    pub what: String,
    pub what_label: String,
}

#[derive(Template)]
#[template(path = "web/import.html")]
struct Import {
    base: Base,
    heading: String,
    /// Where the upload posts.
    action: String,
    /// Where "apply" posts.
    apply: String,
    templates: Vec<(String, String)>,
    problems: Vec<Problem>,
    changes: Vec<Change>,
    unchanged: usize,
    /// The uploaded file, base64, carried to "apply".
    file: String,
    format: String,
    uploaded: bool,
    back: String,
}

struct Upload {
    bytes: Vec<u8>,
    csv: bool,
    csrf: String,
}

/// Reads the upload form: the file, its format (by name), the CSRF token.
async fn read_upload(mut m: Multipart) -> Result<Upload, WebError> {
    let mut bytes = None;
    let mut csv = false;
    let mut csrf = String::new();
    while let Some(field) = m
        .next_field()
        .await
        .map_err(|e| AppError::BadRequest(format!("the upload could not be read: {e}")))?
    {
        match field.name() {
            Some("csrf") => csrf = field.text().await.unwrap_or_default(),
            Some("file") => {
                csv = field
                    .file_name()
                    .is_some_and(|n| n.to_ascii_lowercase().ends_with(".csv"));
                let b = field.bytes().await.map_err(|e| {
                    AppError::BadRequest(format!("the upload could not be read: {e}"))
                })?;
                bytes = Some(b.to_vec());
            }
            _ => {}
        }
    }
    // No file chosen: an empty upload, which the preview names as the problem.
    let bytes = bytes.unwrap_or_default();
    Ok(Upload { bytes, csv, csrf })
}

/// The preview of an upload: its problems (422, nothing kept) or what it
/// will change, with the file carried to "apply". `paths` are where the upload
/// posts, where "apply" posts, and the page to go back to.
fn preview_page(
    u: &User,
    heading_key: &str,
    paths: [String; 3],
    templates: Vec<(String, String)>,
    (problems, changes, unchanged): (Vec<Problem>, Vec<Change>, usize),
    up: &Upload,
) -> Result<Response, WebError> {
    let problems = if up.bytes.is_empty() {
        vec![Problem {
            row: u.tr.t("import-whole-file"),
            column: u.tr.t("import-file"),
            message: u.tr.t("import-choose-file"),
        }]
    } else {
        problems
    };
    let failed = !problems.is_empty();
    let [action, apply, back] = paths;
    let mut r = page(Import {
        base: u.base(u.tr.t(heading_key)),
        heading: u.tr.t(heading_key),
        action,
        apply,
        templates,
        problems,
        changes,
        unchanged,
        file: if failed {
            String::new()
        } else {
            base64::engine::general_purpose::STANDARD.encode(&up.bytes)
        },
        format: if up.csv { "csv".into() } else { "xlsx".into() },
        uploaded: true,
        back,
    })?;
    if failed {
        *r.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(r)
}

fn diff(tr: &Tr, current: &[ExpertRecord], incoming: &[ExpertRecord]) -> (Vec<Change>, usize) {
    let by_id: std::collections::HashMap<&str, &ExpertRecord> =
        current.iter().map(|e| (e.expert_id.as_str(), e)).collect();
    let mut changes = vec![];
    let mut unchanged = 0;
    for r in incoming {
        let what = match by_id.get(r.expert_id.as_str()) {
            None => "added",
            Some(old) if *old == r => {
                unchanged += 1;
                continue;
            }
            Some(old) if old.status == Status::Active && r.status == Status::Suspended => {
                "suspended"
            }
            Some(_) => "changed",
        };
        changes.push(Change {
            id: r.expert_id.clone(),
            name: r.name.clone(),
            what: what.into(),
            what_label: tr.t(&format!("import-{what}")),
        });
    }
    (changes, unchanged)
}

fn expert_templates(p: &Province) -> Vec<(String, String)> {
    vec![
        (
            format!("/api/v1/provinces/{p}/experts/template?format=xlsx"),
            "XLSX".into(),
        ),
        (
            format!("/api/v1/provinces/{p}/experts/template?format=csv"),
            "CSV".into(),
        ),
    ]
}

async fn import_experts_form(u: User, Path(code): Path<String>) -> Result<Response, WebError> {
    let p = u.province(&code)?;
    u.require(RUN)?;
    page(Import {
        base: u.base(u.tr.t("import-experts-title")),
        heading: u.tr.t("import-experts-title"),
        action: format!("/p/{p}/import/experts"),
        apply: format!("/p/{p}/import/experts/apply"),
        templates: expert_templates(&p),
        problems: vec![],
        changes: vec![],
        unchanged: 0,
        file: String::new(),
        format: String::new(),
        uploaded: false,
        back: format!("/p/{p}/experts"),
    })
}

fn parse_experts(bytes: &[u8], csv: bool) -> Result<Vec<ExpertRecord>, ImportErrors> {
    if csv {
        roster::parse_csv(bytes)
    } else {
        roster::parse_xlsx(bytes)
    }
}

/// Shows what the file would change (or every problem by row and column);
/// nothing is written yet.
async fn import_experts_preview(
    State(s): State<AppState>,
    u: User,
    Path(code): Path<String>,
    m: Multipart,
) -> Result<Response, WebError> {
    let p = u.province(&code)?;
    u.require(RUN)?;
    let up = read_upload(m).await?;
    u.check_csrf(&up.csrf)?;
    let tr = u.tr;
    let (probs, changes, unchanged) = match parse_experts(&up.bytes, up.csv) {
        Err(e) => (problems(&tr, &e), vec![], 0),
        Ok(records) => {
            let (c, n) = diff(&tr, &s.store.list_experts(&p).await?, &records);
            (vec![], c, n)
        }
    };
    preview_page(
        &u,
        "import-experts-title",
        [
            format!("/p/{p}/import/experts"),
            format!("/p/{p}/import/experts/apply"),
            format!("/p/{p}/experts"),
        ],
        expert_templates(&p),
        (probs, changes, unchanged),
        &up,
    )
}

#[derive(Deserialize)]
struct Apply {
    #[serde(default)]
    csrf: String,
    file: String,
    format: String,
}

fn decode_file(a: &Apply) -> Result<Vec<u8>, WebError> {
    base64::engine::general_purpose::STANDARD
        .decode(a.file.as_bytes())
        .map_err(|_| {
            AppError::BadRequest("the previewed file is damaged; upload it again".into()).into()
        })
}

/// Applies a previewed file: the same all-or-nothing write as the API's import.
async fn import_experts_apply(
    State(s): State<AppState>,
    u: User,
    Path(code): Path<String>,
    Form(a): Form<Apply>,
) -> Result<Response, WebError> {
    let p = u.province(&code)?;
    u.require(RUN)?;
    u.check_csrf(&a.csrf)?;
    let bytes = decode_file(&a)?;
    let records =
        parse_experts(&bytes, a.format == "csv").map_err(crate::http::experts::unprocessable)?;
    let w = s
        .store
        .write_experts(
            &s.key,
            &s.origin,
            &p,
            &records,
            Must::Either,
            "import",
            s.clock.now(),
        )
        .await?
        .map_err(|e| AppError::Conflict(format!("{e:?}")))?;
    match w.seq {
        Some(seq) => {
            confirmed(
                &s,
                &u,
                u.tr.t1("import-applied", "n", w.changed),
                seq,
                format!("/p/{p}/experts"),
                u.tr.t("back-to-pool"),
            )
            .await
        }
        None => Ok(Redirect::to(&format!("/p/{p}/experts")).into_response()),
    }
}

// ---------------------------------------------------------------- applications

pub struct AppRow {
    pub ref_no: String,
    pub org: String,
    pub kind: String,
    pub occupations: String,
    pub eligible: bool,
    pub reasons: Vec<String>,
    pub overridden: Option<String>,
    /// The override form's problem and what it held, when it was sent back.
    pub error: Option<String>,
    pub reason: String,
}

#[derive(Template)]
#[template(path = "web/applications.html")]
struct Applications {
    base: Base,
    p: String,
    round: RoundView,
    rows: Vec<AppRow>,
    writable: bool,
    can_override: bool,
    templates: Vec<(String, String)>,
    errors: Errors,
}

fn reason_half(tr: &Tr, s: &str) -> String {
    match s.split_once(" / ") {
        Some((zh, en)) => match tr.lang {
            super::Lang::Zh => zh.to_string(),
            super::Lang::En => en.to_string(),
        },
        None => s.to_string(),
    }
}

async fn applications(
    State(s): State<AppState>,
    u: User,
    Path((code, id)): Path<(String, i64)>,
) -> Result<Response, WebError> {
    let p = u.province(&code)?;
    u.require(READ)?;
    page(applications_page(&s, &u, &p, id).await?)
}

async fn applications_page(
    s: &AppState,
    u: &User,
    p: &Province,
    id: i64,
) -> Result<Applications, WebError> {
    let tr = u.tr;
    let r = api::round_of(s, p, id).await?;
    let apps = s.store.applications(r.id).await?;
    let screens = if apps.is_empty() {
        vec![]
    } else {
        s.workflow().screens(&r).await?
    };
    let rows = apps
        .iter()
        .map(|a| {
            let sc = screens.iter().find(|x| x.application == a.ref_no);
            AppRow {
                ref_no: a.ref_no.clone(),
                org: a.applicant_org.clone(),
                kind: kind_label(&tr, a.kind.code()),
                occupations: a.occupations.join("、"),
                eligible: sc.is_none_or(|x| x.eligible),
                reasons: sc
                    .map(|x| x.reasons.iter().map(|m| reason_half(&tr, m)).collect())
                    .unwrap_or_default(),
                overridden: sc.and_then(|x| x.overridden.clone()),
                error: None,
                reason: String::new(),
            }
        })
        .collect();
    let writable = RUN.contains(&u.caller.role) && api::applications_writable(s, &r).await.is_ok();
    Ok(Applications {
        base: u.base(tr.t("applications-title")),
        p: p.as_str().to_string(),
        round: round_view(&tr, &r),
        rows,
        writable,
        can_override: RUN.contains(&u.caller.role)
            && !matches!(r.state, RoundState::Closed | RoundState::Reported),
        templates: vec![
            (
                "/api/v1/provinces/".to_string()
                    + p.as_str()
                    + "/rounds/applications/template?format=xlsx",
                "XLSX".into(),
            ),
            (
                "/api/v1/provinces/".to_string()
                    + p.as_str()
                    + "/rounds/applications/template?format=csv",
                "CSV".into(),
            ),
        ],
        errors: Errors::default(),
    })
}

fn parse_apps(bytes: &[u8], csv: bool) -> Result<Vec<ApplicationRecord>, ImportErrors> {
    if csv {
        applications::parse_csv(bytes)
    } else {
        applications::parse_xlsx(bytes)
    }
}

async fn import_applications_preview(
    State(s): State<AppState>,
    u: User,
    Path((code, id)): Path<(String, i64)>,
    m: Multipart,
) -> Result<Response, WebError> {
    let p = u.province(&code)?;
    u.require(RUN)?;
    let up = read_upload(m).await?;
    u.check_csrf(&up.csrf)?;
    let r = api::round_of(&s, &p, id).await?;
    api::applications_writable(&s, &r).await?;
    let tr = u.tr;
    let current = s.store.applications(r.id).await?;
    let (probs, changes, unchanged) = match parse_apps(&up.bytes, up.csv) {
        Err(e) => (problems(&tr, &e), vec![], 0),
        Ok(records) => {
            let mut changes = vec![];
            let mut unchanged = 0;
            for a in &records {
                let what = match current.iter().find(|c| c.ref_no == a.ref_no) {
                    None => "added",
                    Some(c) if c == a => {
                        unchanged += 1;
                        continue;
                    }
                    Some(_) => "changed",
                };
                changes.push(Change {
                    id: a.ref_no.clone(),
                    name: a.applicant_org.clone(),
                    what: what.into(),
                    what_label: tr.t(&format!("import-{what}")),
                });
            }
            (vec![], changes, unchanged)
        }
    };
    preview_page(
        &u,
        "import-applications-title",
        [
            format!("/p/{p}/rounds/{id}/import"),
            format!("/p/{p}/rounds/{id}/import/apply"),
            format!("/p/{p}/rounds/{id}/applications"),
        ],
        vec![],
        (probs, changes, unchanged),
        &up,
    )
}

async fn import_applications_apply(
    State(s): State<AppState>,
    u: User,
    Path((code, id)): Path<(String, i64)>,
    Form(a): Form<Apply>,
) -> Result<Response, WebError> {
    let p = u.province(&code)?;
    u.require(RUN)?;
    u.check_csrf(&a.csrf)?;
    let r = api::round_of(&s, &p, id).await?;
    api::applications_writable(&s, &r).await?;
    let bytes = decode_file(&a)?;
    let records =
        parse_apps(&bytes, a.format == "csv").map_err(crate::http::experts::unprocessable)?;
    s.store
        .write_applications(r.id, &records, false, s.clock.now())
        .await?
        .map_err(AppError::Conflict)?;
    Ok(Redirect::to(&format!("/p/{p}/rounds/{id}/applications")).into_response())
}

#[derive(Deserialize)]
pub(super) struct ReasonForm {
    #[serde(default)]
    pub(super) csrf: String,
    #[serde(default)]
    pub(super) reason: String,
}

async fn override_screen(
    State(s): State<AppState>,
    u: User,
    Path((code, id, app)): Path<(String, i64, String)>,
    Form(f): Form<ReasonForm>,
) -> Result<Response, WebError> {
    let p = u.province(&code)?;
    u.require(RUN)?;
    u.check_csrf(&f.csrf)?;
    let done = if f.reason.trim().is_empty() {
        Err(u.tr.t("reason-needed"))
    } else {
        let r = api::round_of(&s, &p, id).await?;
        match s
            .workflow()
            .override_screen(&r, &app, f.reason.trim(), u.caller.account_id)
            .await
        {
            Ok(seq) => Ok(seq),
            Err(e) => Err(refusal(&u.tr, e)?),
        }
    };
    let seq = match done {
        Ok(seq) => seq,
        Err(message) => {
            let mut d = applications_page(&s, &u, &p, id).await?;
            d.errors.add(&format!("reason-{app}"), message.clone());
            match d.rows.iter_mut().find(|a| a.ref_no == app) {
                Some(row) => {
                    row.error = Some(message);
                    row.reason = f.reason;
                }
                // No such application: the summary names the problem.
                None => d.errors.0[0].field = "screen".into(),
            }
            return sent_back(d);
        }
    };
    confirmed(
        &s,
        &u,
        u.tr.t("override-done"),
        seq,
        format!("/p/{p}/rounds/{id}/applications"),
        u.tr.t("back-to-applications"),
    )
    .await
}

// ---------------------------------------------------------------- accounts

/// Who has a province's accounts page: its coordinators (expert accounts) and
/// its supervisors (supervisor accounts; a coordinator never makes one).
const ACCOUNTS: &[Role] = &[Role::Admin, Role::Coordinator, Role::Supervisor];

async fn accounts(
    State(s): State<AppState>,
    u: User,
    Path(code): Path<String>,
) -> Result<Response, WebError> {
    let p = u.province(&code)?;
    u.require(ACCOUNTS)?;
    let supervisor = u.caller.role == Role::Supervisor;
    page(super::account::Accounts {
        base: u.base(u.tr.t("accounts-title")),
        errors: Errors::default(),
        accounts: super::account::account_rows(&s, Some(p.as_str()), u.caller.role).await?,
        action: format!("/p/{p}/accounts"),
        admin: false,
        supervisor,
        made: None,
        form_username: String::new(),
        form_role: if supervisor { "supervisor" } else { "expert" }.into(),
        form_province: p.as_str().to_string(),
        form_expert: String::new(),
    })
}

async fn create_account(
    State(s): State<AppState>,
    u: User,
    Path(code): Path<String>,
    Form(mut f): Form<NewAccountForm>,
) -> Result<Response, WebError> {
    let p = u.province(&code)?;
    u.require(ACCOUNTS)?;
    f.province = p.as_str().to_string();
    super::account::create_from_form(
        &s,
        &u,
        f,
        format!("/p/{p}/accounts"),
        false,
        Some(p.as_str()),
    )
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_specialty_of_the_roster_has_a_label_in_both_languages() {
        for lang in [super::super::Lang::Zh, super::super::Lang::En] {
            let tr = Tr::new(lang);
            for (code, _) in roster::SPECIALTIES {
                assert!(tr.has(&format!("spec-{code}")), "{code} in {lang:?}");
            }
        }
    }
}
