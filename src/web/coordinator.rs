//! The coordinator's pages: the rounds of their province, each round as a task
//! list, the expert pool (search, import with a preview of what will change),
//! applications (import, the screen, overrides), the draw (spec with live
//! feasibility, check your answers, the waiting room, reveal, declines, void),
//! scoring (open, progress, reopen, results, close) and the province's
//! accounts. Every step calls the same workflow and store functions as the
//! API.

use super::account::{CsrfOnly, NewAccountForm};
use super::{Base, Errors, Tr, User, WebError, confirmed, page};
use crate::applications::{self, ApplicationRecord};
use crate::draws::{BeaconChoice, DrawRequest, Preview, QuotaRequest};
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

const RUN: &[Role] = &[Role::Admin, Role::Coordinator];
const READ: &[Role] = &[Role::Admin, Role::Coordinator, Role::Supervisor];
/// An uploaded file, base64 in the preview's form, plus the form's fields.
const IMPORT_FORM_LIMIT: usize = crate::http::experts::MAX_IMPORT_BYTES / 3 * 4 + 64 * 1024;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/p/{p}", get(rounds))
        .route("/p/{p}/rounds", post(create_round))
        .route("/p/{p}/rounds/{r}", get(round))
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
        .route("/p/{p}/rounds/{r}/draw", get(draw_form).post(draw_check))
        .route("/p/{p}/rounds/{r}/draw/commit", post(draw_commit))
        .route("/p/{p}/draws/{d}", get(draw))
        .route("/p/{p}/draws/{d}/beacon", post(beacon))
        .route("/p/{p}/draws/{d}/reveal", get(reveal_check).post(reveal))
        .route("/p/{p}/draws/{d}/decline", post(decline))
        .route("/p/{p}/draws/{d}/void", post(void))
        .route("/p/{p}/draws/{d}/disclose", post(disclose))
        .route("/p/{p}/rounds/{r}/scoring", get(scoring))
        .route(
            "/p/{p}/rounds/{r}/scoring/open",
            get(open_check).post(open_scoring),
        )
        .route("/p/{p}/rounds/{r}/scoring/reopen", post(reopen))
        .route("/p/{p}/rounds/{r}/results", get(results))
        .route("/p/{p}/rounds/{r}/close", get(close_check).post(close))
        .route("/p/{p}/accounts", get(accounts).post(create_account))
        .layer(DefaultBodyLimit::max(IMPORT_FORM_LIMIT))
}

fn kind_label(tr: &Tr, kind: &str) -> String {
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
    if title.is_empty() || title.chars().count() > 200 || title.chars().any(char::is_control) {
        errors.add("title", tr.t("round-bad-title"));
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
    draws: Vec<super::account::DrawRow>,
}

pub struct RoundView {
    pub id: i64,
    pub year: i32,
    pub title: String,
    pub kind: String,
    pub state: String,
    pub state_label: String,
}

fn round_view(tr: &Tr, r: &Round) -> RoundView {
    RoundView {
        id: r.id,
        year: r.year,
        title: r.title.clone(),
        kind: kind_label(tr, &r.kind),
        state: r.state.as_str().to_string(),
        state_label: round_state_label(tr, r.state),
    }
}

fn task(tr: &Tr, key: &str, href: Option<String>, state: &str, why: String) -> Task {
    Task {
        label: tr.t(key),
        href: if state == "cannot-start" { None } else { href },
        state: state.to_string(),
        state_label: tr.t(&format!("task-{state}")),
        why,
    }
}

/// The round as a task list: each task's state, and why one cannot start yet.
async fn round(
    State(s): State<AppState>,
    u: User,
    Path((code, id)): Path<(String, i64)>,
) -> Result<Response, WebError> {
    let p = u.province(&code)?;
    u.require(READ)?;
    let tr = u.tr;
    let r = api::round_of(&s, &p, id).await?;
    let active = s.store.active_experts(&p).await?;
    let apps = s.store.applications(r.id).await?;
    let screens = if apps.is_empty() {
        vec![]
    } else {
        s.workflow().screens(&r).await?
    };
    let failing = screens.iter().filter(|x| !x.scored()).count();
    let draws = s.workflow().draws_of_round(r.id).await?;
    let live = draws.iter().any(|d| d.state == "committed" && !d.abandoned);
    let revealed = draws
        .iter()
        .any(|d| d.state == "revealed" || d.state == "disclosed");
    let base = format!("/p/{p}/rounds/{}", r.id);
    let st = r.state;
    let mut tasks = vec![
        task(
            &tr,
            "task-pool",
            Some(format!("/p/{p}/experts")),
            if active > 0 { "done" } else { "not-started" },
            tr.t1("task-pool-why", "n", active),
        ),
        task(
            &tr,
            "task-applications",
            Some(format!("{base}/applications")),
            if !apps.is_empty() {
                "done"
            } else {
                "not-started"
            },
            tr.t1("task-applications-why", "n", apps.len()),
        ),
        task(
            &tr,
            "task-screen",
            Some(format!("{base}/applications#screen")),
            if apps.is_empty() {
                "cannot-start"
            } else if failing > 0 {
                "in-progress"
            } else {
                "done"
            },
            if apps.is_empty() {
                tr.t("task-need-applications")
            } else {
                tr.t1("task-screen-why", "n", failing)
            },
        ),
    ];
    let (draw_state, draw_why) = if revealed {
        ("done", tr.t("task-draw-done"))
    } else if live {
        ("in-progress", tr.t("task-draw-live"))
    } else if apps.is_empty() || active == 0 {
        ("cannot-start", tr.t("task-need-pool-and-applications"))
    } else if st != RoundState::Open {
        ("cannot-start", tr.t("task-round-not-open"))
    } else {
        ("not-started", String::new())
    };
    let draw_href = draws
        .iter()
        .rev()
        .find(|d| d.state != "voided")
        .map(|d| format!("/p/{p}/draws/{}", d.id))
        .unwrap_or_else(|| format!("{base}/draw"));
    tasks.push(task(
        &tr,
        "task-draw",
        Some(draw_href),
        draw_state,
        draw_why,
    ));
    let (sc_state, sc_why) = match st {
        RoundState::Open => ("cannot-start", tr.t("task-need-draw")),
        RoundState::Drawn => ("not-started", String::new()),
        RoundState::Scoring => ("in-progress", String::new()),
        _ => ("done", String::new()),
    };
    tasks.push(task(
        &tr,
        "task-scoring",
        Some(format!("{base}/scoring")),
        sc_state,
        sc_why,
    ));
    let (res_state, res_why) = match st {
        RoundState::Closed | RoundState::Reported => ("done", String::new()),
        RoundState::Scoring => ("not-started", tr.t("task-results-when")),
        _ => ("cannot-start", tr.t("task-need-scoring")),
    };
    tasks.push(task(
        &tr,
        "task-results",
        Some(format!("{base}/results")),
        res_state,
        res_why,
    ));
    for key in ["task-notice", "task-report", "task-filing"] {
        tasks.push(task(&tr, key, None, "cannot-start", tr.t("task-later")));
    }
    page(RoundPage {
        base: u.base(r.title.clone()),
        p: p.as_str().to_string(),
        round: round_view(&tr, &r),
        tasks,
        draws: draws
            .into_iter()
            .map(|d| super::account::draw_row(&tr, d))
            .collect(),
    })
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

fn specialty_label(tr: &Tr, code: &str) -> String {
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

fn specialties(tr: &Tr) -> Vec<(String, String)> {
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
    let bytes = bytes
        .filter(|b| !b.is_empty())
        .ok_or_else(|| AppError::BadRequest("choose a file to upload".into()))?;
    Ok(Upload { bytes, csv, csrf })
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
    let failed = !probs.is_empty();
    let mut r = page(Import {
        base: u.base(tr.t("import-experts-title")),
        heading: tr.t("import-experts-title"),
        action: format!("/p/{p}/import/experts"),
        apply: format!("/p/{p}/import/experts/apply"),
        templates: expert_templates(&p),
        problems: probs,
        changes,
        unchanged,
        file: if failed {
            String::new()
        } else {
            base64::engine::general_purpose::STANDARD.encode(&up.bytes)
        },
        format: if up.csv { "csv".into() } else { "xlsx".into() },
        uploaded: true,
        back: format!("/p/{p}/experts"),
    })?;
    if failed {
        *r.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(r)
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
    let tr = u.tr;
    let r = api::round_of(&s, &p, id).await?;
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
            }
        })
        .collect();
    let writable = RUN.contains(&u.caller.role) && api::applications_writable(&s, &r).await.is_ok();
    page(Applications {
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
    let failed = !probs.is_empty();
    let mut res = page(Import {
        base: u.base(tr.t("import-applications-title")),
        heading: tr.t("import-applications-title"),
        action: format!("/p/{p}/rounds/{id}/import"),
        apply: format!("/p/{p}/rounds/{id}/import/apply"),
        templates: vec![],
        problems: probs,
        changes,
        unchanged,
        file: if failed {
            String::new()
        } else {
            base64::engine::general_purpose::STANDARD.encode(&up.bytes)
        },
        format: if up.csv { "csv".into() } else { "xlsx".into() },
        uploaded: true,
        back: format!("/p/{p}/rounds/{id}/applications"),
    })?;
    if failed {
        *res.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(res)
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
struct ReasonForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    reason: String,
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
    if f.reason.trim().is_empty() {
        return Err(AppError::BadRequest(u.tr.t("reason-needed")).into());
    }
    let r = api::round_of(&s, &p, id).await?;
    let seq = s
        .workflow()
        .override_screen(&r, &app, f.reason.trim(), u.caller.account_id)
        .await?;
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

// ---------------------------------------------------------------- the draw

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
    pub round_state: String,
    pub abandoned: bool,
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
        round_state: round.state.as_str().to_string(),
        abandoned,
        errors: Errors::default(),
    })
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
        .await?;
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
    /// A reason is asked for (void, reopen).
    pub reason: bool,
    pub hidden: Vec<(String, String)>,
}

async fn reveal_check(
    u: User,
    Path((code, id)): Path<(String, String)>,
) -> Result<Response, WebError> {
    let p = u.province(&code)?;
    u.require(RUN)?;
    page(ConfirmStep {
        base: u.base(u.tr.t("reveal-check-title")),
        heading: u.tr.t("reveal-check-title"),
        what: u.tr.t("reveal-check-what"),
        action: format!("/p/{p}/draws/{id}/reveal"),
        button: u.tr.t("reveal-button"),
        back: format!("/p/{p}/draws/{id}"),
        reason: false,
        hidden: vec![],
    })
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
        .await?;
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
    let seq = s.workflow().void(&p, &id, f.reason.trim()).await?;
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

// ---------------------------------------------------------------- scoring

pub struct ProgressRow {
    pub application: String,
    pub submitted: usize,
    pub recused: usize,
    pub pending: usize,
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
}

async fn scoring(
    State(s): State<AppState>,
    u: User,
    Path((code, id)): Path<(String, i64)>,
) -> Result<Response, WebError> {
    let p = u.province(&code)?;
    u.require(READ)?;
    let r = api::round_of(&s, &p, id).await?;
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
            })
            .collect()
    } else {
        vec![]
    };
    let all_in = !progress.is_empty() && progress.iter().all(|x| x.pending == 0);
    let mut panel = vec![];
    for d in s.workflow().draws_of_round(r.id).await? {
        if d.state == "revealed" || d.state == "disclosed" {
            let l = s.workflow().load(&p, &d.id).await?;
            panel.extend(l.panel.iter().map(|i| l.expert_of(*i).to_string()));
        }
    }
    page(Scoring {
        base: u.base(u.tr.t("scoring-title")),
        p: p.as_str().to_string(),
        round: round_view(&u.tr, &r),
        applications: progress.iter().map(|x| x.application.clone()).collect(),
        progress,
        all_in,
        coordinator: RUN.contains(&u.caller.role),
        panel,
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
    page(ConfirmStep {
        base: u.base(u.tr.t("open-check-title")),
        heading: u.tr.t("open-check-title"),
        what: u.tr.args(
            "open-check-what",
            &[
                ("rubric", rubric.title.clone()),
                ("hash", rubric.hash().to_hex()),
            ],
        ),
        action: format!("/p/{p}/rounds/{id}/scoring/open"),
        button: u.tr.t("open-button"),
        back: format!("/p/{p}/rounds/{id}"),
        reason: false,
        hidden: vec![],
    })
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
    if f.reason.trim().is_empty() {
        return Err(AppError::BadRequest(u.tr.t("reason-needed")).into());
    }
    let r = api::round_of(&s, &p, id).await?;
    s.workflow()
        .reopen(
            &r,
            f.application.trim(),
            f.expert_id.trim(),
            u.caller.account_id,
            f.reason.trim(),
        )
        .await?;
    Ok(Redirect::to(&format!("/p/{p}/rounds/{id}/scoring")).into_response())
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
        qr: crate::qr::qr_svg(&format!(
            "{}/public/draws",
            crate::http::sheet::public_base(&headers)
        )),
    })
}

async fn close_check(u: User, Path((code, id)): Path<(String, i64)>) -> Result<Response, WebError> {
    let p = u.province(&code)?;
    u.require(RUN)?;
    page(ConfirmStep {
        base: u.base(u.tr.t("close-check-title")),
        heading: u.tr.t("close-check-title"),
        what: u.tr.t("close-check-what"),
        action: format!("/p/{p}/rounds/{id}/close"),
        button: u.tr.t("close-button"),
        back: format!("/p/{p}/rounds/{id}/results"),
        reason: false,
        hidden: vec![],
    })
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

// ---------------------------------------------------------------- accounts

async fn accounts(
    State(s): State<AppState>,
    u: User,
    Path(code): Path<String>,
) -> Result<Response, WebError> {
    let p = u.province(&code)?;
    u.require(RUN)?;
    page(super::account::Accounts {
        base: u.base(u.tr.t("accounts-title")),
        errors: Errors::default(),
        accounts: super::account::account_rows(&s, Some(p.as_str())).await?,
        action: format!("/p/{p}/accounts"),
        admin: false,
        made: None,
        form_username: String::new(),
        form_role: "expert".into(),
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
    u.require(RUN)?;
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
