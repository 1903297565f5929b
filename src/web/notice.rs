//! The public notice pages (公示, issue 14 items 3–4): no account. Every
//! province's notices, open and past, filtered by province and year; one
//! notice with its exact text, period, how to object, the text's SHA-256 and
//! its log entry, and the objection form (multipart: the fields the notice
//! requires, the project, the grounds, an optional PDF/PNG/JPEG of at most
//! 5 MiB); the receipt page with the reference and the token. What a page
//! shows comes from [`crate::notice`], the same functions the public API uses.

use super::User;
use super::{Base, Ctx, Errors, WebError, page, province_name, refusal, sent_back};
use crate::http::auth::Role;
use crate::http::{AppError, AppState};
use crate::notice::{NewObjection, PublicNotice, PublicNoticeDetail};
use crate::notice::{NoticeDraft, NoticePreview, NoticeView};
use askama::Template;
use axum::Form;
use axum::Router;
use axum::extract::{DefaultBodyLimit, Multipart, Path, Query, State};
use axum::response::Response;
use axum::response::{IntoResponse, Redirect};
use axum::routing::{get, post};
use base64::Engine;
use fairpanel_core::types::{PROVINCES, Province};
use serde::Deserialize;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/p/{code}/rounds/{id}/notice", get(task).post(draft))
        .route(
            "/p/{code}/rounds/{id}/notice/objections/{reference}",
            post(handle),
        )
        .route("/p/{code}/rounds/{id}/notice/close", post(close))
        .route("/notices", get(notices))
        .route("/notices/receipt", get(receipt_form).post(receipt_lookup))
        .route(
            "/notices/{id}",
            get(notice).post(object).layer(DefaultBodyLimit::max(
                crate::http::notice::MAX_OBJECTION_BODY,
            )),
        )
}

pub struct NoticeRow {
    pub n: PublicNotice,
    pub province: String,
    pub status_label: String,
    pub published: String,
}

fn row(ctx: &Ctx, n: PublicNotice) -> NoticeRow {
    NoticeRow {
        province: Province::try_from(n.province.as_str())
            .map(|p| province_name(&ctx.tr, &p))
            .unwrap_or_else(|_| n.province.clone()),
        status_label: ctx.tr.t(&format!("notice-status-{}", n.status)),
        published: ctx.tr.time(n.published_at as u64),
        n,
    }
}

#[derive(Deserialize, Default)]
struct Filter {
    #[serde(default)]
    province: String,
    #[serde(default)]
    year: String,
}

#[derive(Template)]
#[template(path = "web/notices.html")]
struct Notices {
    base: Base,
    errors: Errors,
    notices: Vec<NoticeRow>,
    provinces: Vec<(String, String)>,
    province: String,
    year: String,
    filtered: bool,
}

/// Every province's notices, open ones first.
async fn notices(
    State(s): State<AppState>,
    ctx: Ctx,
    Query(f): Query<Filter>,
) -> Result<Response, WebError> {
    let tr = ctx.tr;
    let mut errors = Errors::default();
    let province = match f.province.trim() {
        "" => None,
        p => match Province::try_from(p) {
            Ok(p) => Some(p),
            Err(_) => {
                errors.add("province", tr.t("public-bad-province"));
                None
            }
        },
    };
    let year = match f.year.trim() {
        "" => None,
        y => match y.parse::<i32>() {
            Ok(y) if (2000..=2200).contains(&y) => Some(y),
            _ => {
                errors.add("year", tr.t("public-bad-year"));
                None
            }
        },
    };
    let rows = if errors.is_empty() {
        crate::notice::public_notices(&s.store, province.as_ref(), year).await?
    } else {
        vec![]
    };
    let failed = !errors.is_empty();
    let t = Notices {
        base: Base::new(tr, ctx.user.as_ref(), &ctx.here, tr.t("notices-title")),
        errors,
        notices: rows.into_iter().map(|n| row(&ctx, n)).collect(),
        provinces: PROVINCES
            .iter()
            .map(|(c, _)| {
                let p = Province::try_from(*c).expect("a listed province");
                (c.to_string(), province_name(&tr, &p))
            })
            .collect(),
        province: f.province.trim().to_string(),
        year: f.year.trim().to_string(),
        filtered: province.is_some() || year.is_some(),
    };
    if failed { sent_back(t) } else { page(t) }
}

/// What the objection form was sent with, to show it again.
#[derive(Default)]
pub struct Sent {
    pub name: String,
    pub contact: String,
    pub project: String,
    pub grounds: String,
}

#[derive(Template)]
#[template(path = "web/notice.html")]
struct NoticePage {
    base: Base,
    errors: Errors,
    row: NoticeRow,
    d: PublicNoticeDetail,
    closed: String,
    sent: Sent,
}

#[derive(Template)]
#[template(path = "web/notice_receipt.html")]
struct ReceiptPage {
    base: Base,
    notice_id: i64,
    reference: String,
    token: String,
    project: String,
    received: String,
}

async fn detail(s: &AppState, id: i64) -> Result<PublicNoticeDetail, WebError> {
    crate::notice::public_notice(&s.store, id)
        .await?
        .ok_or_else(|| WebError(AppError::NotFound(format!("no notice {id}"))))
}

async fn notice_page(
    s: &AppState,
    ctx: Ctx,
    id: i64,
    errors: Errors,
    sent: Sent,
) -> Result<Response, WebError> {
    let d = detail(s, id).await?;
    let failed = !errors.is_empty();
    let t = NoticePage {
        base: Base::new(
            ctx.tr,
            ctx.user.as_ref(),
            &ctx.here,
            ctx.tr.t("notice-title"),
        ),
        errors,
        row: row(&ctx, d.notice.clone()),
        closed: d
            .closed_at
            .map(|t| ctx.tr.time(t as u64))
            .unwrap_or_default(),
        d,
        sent,
    };
    if failed { sent_back(t) } else { page(t) }
}

/// One notice: its text, period, hash and entry, and the objection form.
async fn notice(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> Result<Response, WebError> {
    notice_page(&s, ctx, id, Errors::default(), Sent::default()).await
}

/// Takes an objection from the form; the receipt page, or the form again
/// with what is wrong (nothing stored).
async fn object(
    State(s): State<AppState>,
    ctx: Ctx,
    addr: super::guard::ClientAddr,
    Path(id): Path<i64>,
    mut m: Multipart,
) -> Result<Response, WebError> {
    let tr = ctx.tr;
    crate::http::notice::pace_objections(&s, addr.0)?;
    let mut sent = Sent::default();
    let mut file: Option<Vec<u8>> = None;
    let mut errors = Errors::default();
    loop {
        let field = match m.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(_) => {
                errors.add(
                    "attachment",
                    super::messages::translate(&tr, "attachment is larger than 5 MiB"),
                );
                break;
            }
        };
        match field.name() {
            Some("name") => sent.name = field.text().await.unwrap_or_default(),
            Some("contact") => sent.contact = field.text().await.unwrap_or_default(),
            Some("project") => sent.project = field.text().await.unwrap_or_default(),
            Some("grounds") => sent.grounds = field.text().await.unwrap_or_default(),
            Some("attachment") => match field.bytes().await {
                Ok(b) if !b.is_empty() => file = Some(b.to_vec()),
                Ok(_) => {}
                Err(_) => errors.add(
                    "attachment",
                    super::messages::translate(&tr, "attachment is larger than 5 MiB"),
                ),
            },
            _ => {}
        }
    }
    if !errors.is_empty() {
        return notice_page(&s, ctx, id, errors, sent).await;
    }
    let o = NewObjection {
        name: Some(sent.name.clone()),
        contact: Some(sent.contact.clone()),
        project: sent.project.clone(),
        grounds: sent.grounds.clone(),
        attachment: file.map(|b| base64::engine::general_purpose::STANDARD.encode(b)),
    };
    let taken = s.workflow().submit_objection(id, &o).await;
    if taken.is_ok() {
        crate::http::notice::count_objection(&s, addr.0);
    }
    match taken {
        Ok(r) => page(ReceiptPage {
            base: Base::new(tr, ctx.user.as_ref(), &ctx.here, tr.t("receipt-title")),
            notice_id: id,
            reference: r.reference,
            token: r.token,
            project: r.project,
            received: tr.time(r.received_at as u64),
        }),
        Err(crate::draws::DrawError::NotFound(m)) => Err(WebError(AppError::NotFound(m))),
        Err(e) => {
            let raw = match &e {
                crate::draws::DrawError::Invalid(m) | crate::draws::DrawError::Conflict(m) => {
                    m.clone()
                }
                _ => String::new(),
            };
            let field = ["attachment", "grounds", "name", "contact"]
                .into_iter()
                .find(|f| raw.starts_with(f))
                .unwrap_or("project");
            let msg = refusal(&tr, e)?;
            errors.add(field, msg);
            notice_page(&s, ctx, id, errors, sent).await
        }
    }
}

// ---------------------------------------------------------------- the coordinator's task

const RUN: &[Role] = &[Role::Admin, Role::Coordinator];
const READ: &[Role] = &[Role::Admin, Role::Coordinator, Role::Supervisor];

/// The draft form's values, to show them again.
pub struct DraftForm {
    pub columns: Vec<(String, String, bool)>,
    pub start: String,
    pub days: String,
    pub require_contact: bool,
    pub how: String,
}

pub struct ObjectionRow {
    pub o: crate::notice::ObjectionView,
    pub received: String,
    pub outcome_label: String,
}

#[derive(Template)]
#[template(path = "web/notice_task.html")]
struct TaskPage {
    base: Base,
    errors: Errors,
    code: String,
    round: i64,
    title: String,
    may_run: bool,
    form: DraftForm,
    preview: Option<NoticePreview>,
    notice: Option<NoticeView>,
    objections: Vec<ObjectionRow>,
}

fn draft_form(u: &User, f: Option<&DraftFields>) -> DraftForm {
    let chosen = |c: &str| match f {
        Some(f) => f.column(c),
        None => c != "kind",
    };
    DraftForm {
        columns: crate::notice::COLUMNS
            .iter()
            .map(|c| {
                (
                    c.to_string(),
                    u.tr.t(&format!("notice-column-{c}")),
                    chosen(c),
                )
            })
            .collect(),
        start: f.map(|f| f.start.clone()).unwrap_or_default(),
        days: f
            .map(|f| f.days.clone())
            .unwrap_or_else(|| crate::notice::DEFAULT_WORKING_DAYS.to_string()),
        require_contact: f.is_some_and(|f| f.require_contact.is_some()),
        how: f.map(|f| f.how.clone()).unwrap_or_default(),
    }
}

async fn task_page(
    s: &AppState,
    u: &User,
    code: &str,
    id: i64,
    errors: Errors,
    f: Option<&DraftFields>,
    preview: Option<NoticePreview>,
) -> Result<Response, WebError> {
    let p = u.province(code)?;
    u.require(READ)?;
    let r = crate::http::rounds::round_of(s, &p, id).await?;
    let notice = s.workflow().notice_of(&r).await?;
    let objections = notice
        .as_ref()
        .map(|n| {
            n.objections
                .iter()
                .map(|o| ObjectionRow {
                    received: u.tr.time(o.received_at as u64),
                    outcome_label: u.tr.t(&format!("objection-outcome-{}", o.outcome)),
                    o: o.clone(),
                })
                .collect()
        })
        .unwrap_or_default();
    let failed = !errors.is_empty();
    let t = TaskPage {
        base: Base::new(u.tr, Some(&u.caller), &u.here, u.tr.t("task-notice")),
        errors,
        code: p.to_string(),
        round: id,
        title: r.title.clone(),
        may_run: RUN.contains(&u.caller.role),
        form: draft_form(u, f),
        preview,
        notice,
        objections,
    };
    if failed { sent_back(t) } else { page(t) }
}

/// The round's notice task: the draft form (with a preview), or the
/// published notice with its objections and the close.
async fn task(
    State(s): State<AppState>,
    u: User,
    Path((code, id)): Path<(String, i64)>,
) -> Result<Response, WebError> {
    task_page(&s, &u, &code, id, Errors::default(), None, None).await
}

#[derive(Deserialize)]
struct DraftFields {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    col_rank: Option<String>,
    #[serde(default)]
    col_organisation: Option<String>,
    #[serde(default)]
    col_kind: Option<String>,
    #[serde(default)]
    col_project: Option<String>,
    #[serde(default)]
    col_score: Option<String>,
    #[serde(default)]
    start: String,
    #[serde(default)]
    days: String,
    #[serde(default)]
    require_contact: Option<String>,
    #[serde(default)]
    how: String,
    /// `preview` or `publish`.
    #[serde(default)]
    action: String,
}

impl DraftFields {
    fn column(&self, c: &str) -> bool {
        match c {
            "rank" => self.col_rank.is_some(),
            "organisation" => self.col_organisation.is_some(),
            "kind" => self.col_kind.is_some(),
            "project" => self.col_project.is_some(),
            _ => self.col_score.is_some(),
        }
    }
}

/// Previews or publishes the notice from the draft form.
async fn draft(
    State(s): State<AppState>,
    u: User,
    Path((code, id)): Path<(String, i64)>,
    Form(f): Form<DraftFields>,
) -> Result<Response, WebError> {
    u.check_csrf(&f.csrf)?;
    let p = u.province(&code)?;
    u.require(RUN)?;
    let r = crate::http::rounds::round_of(&s, &p, id).await?;
    let mut errors = Errors::default();
    let days = match f.days.trim() {
        "" => None,
        d => match d.parse::<u32>() {
            Ok(n) => Some(n),
            Err(_) => {
                errors.add(
                    "days",
                    super::messages::translate(&u.tr, "working_days must be 1 to 30"),
                );
                None
            }
        },
    };
    if !errors.is_empty() {
        return task_page(&s, &u, &code, id, errors, Some(&f), None).await;
    }
    let d = NoticeDraft {
        columns: crate::notice::COLUMNS
            .iter()
            .filter(|c| f.column(c))
            .map(|c| c.to_string())
            .collect(),
        start: f.start.trim().to_string(),
        working_days: days,
        require_contact: f.require_contact.is_some(),
        how_to_object: Some(f.how.clone()),
    };
    let w = s.workflow();
    let out = if f.action == "publish" {
        w.publish_notice(&r, &d, u.caller.account_id)
            .await
            .map(|_| None)
    } else {
        w.preview_notice(&r, &d).await.map(Some)
    };
    match out {
        Ok(None) => Ok(Redirect::to(&format!("/p/{p}/rounds/{id}/notice")).into_response()),
        Ok(Some(pv)) => task_page(&s, &u, &code, id, errors, Some(&f), Some(pv)).await,
        Err(e) => {
            let raw = match &e {
                crate::draws::DrawError::Invalid(m) => m.clone(),
                _ => String::new(),
            };
            let field = if raw.starts_with("start") || raw.contains("calendar") {
                "start"
            } else if raw.starts_with("working_days") {
                "days"
            } else if raw.contains("column") {
                "columns"
            } else if raw.starts_with("how_to_object") {
                "how"
            } else {
                "start"
            };
            errors.add(field, refusal(&u.tr, e)?);
            task_page(&s, &u, &code, id, errors, Some(&f), None).await
        }
    }
}

#[derive(Deserialize)]
struct HandleFields {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    outcome: String,
    #[serde(default)]
    answer: String,
    #[serde(default)]
    withdraw: Option<String>,
    #[serde(default)]
    reason: String,
}

/// Records an objection's handling.
async fn handle(
    State(s): State<AppState>,
    u: User,
    Path((code, id, reference)): Path<(String, i64, String)>,
    Form(f): Form<HandleFields>,
) -> Result<Response, WebError> {
    u.check_csrf(&f.csrf)?;
    let p = u.province(&code)?;
    u.require(RUN)?;
    let r = crate::http::rounds::round_of(&s, &p, id).await?;
    let h = crate::notice::Handling {
        outcome: f.outcome.clone(),
        answer: f.answer.clone(),
        withdraw: f.withdraw.is_some(),
        reason: Some(f.reason.clone()),
    };
    match s
        .workflow()
        .handle_objection(&r, &reference, &h, u.caller.account_id)
        .await
    {
        Ok(_) => Ok(Redirect::to(&format!("/p/{p}/rounds/{id}/notice")).into_response()),
        Err(e) => {
            let mut errors = Errors::default();
            errors.add(&format!("answer-{reference}"), refusal(&u.tr, e)?);
            task_page(&s, &u, &code, id, errors, None, None).await
        }
    }
}

#[derive(Deserialize)]
struct CsrfOnly {
    #[serde(default)]
    csrf: String,
}

/// Closes the notice.
async fn close(
    State(s): State<AppState>,
    u: User,
    Path((code, id)): Path<(String, i64)>,
    Form(f): Form<CsrfOnly>,
) -> Result<Response, WebError> {
    u.check_csrf(&f.csrf)?;
    let p = u.province(&code)?;
    u.require(RUN)?;
    let r = crate::http::rounds::round_of(&s, &p, id).await?;
    match s.workflow().close_notice(&r).await {
        Ok(_) => Ok(Redirect::to(&format!("/p/{p}/rounds/{id}/notice")).into_response()),
        Err(e) => {
            let mut errors = Errors::default();
            errors.add("close", refusal(&u.tr, e)?);
            task_page(&s, &u, &code, id, errors, None, None).await
        }
    }
}

// ---------------------------------------------------------------- the receipt

#[derive(Template)]
#[template(path = "web/notice_lookup.html")]
struct LookupPage {
    base: Base,
    errors: Errors,
    reference: String,
    found: Option<crate::notice::ReceiptView>,
    outcome_label: String,
    received: String,
    handled: String,
}

fn lookup_page(
    ctx: &Ctx,
    errors: Errors,
    reference: String,
    found: Option<crate::notice::ReceiptView>,
) -> Result<Response, WebError> {
    let tr = ctx.tr;
    let failed = !errors.is_empty();
    let t = LookupPage {
        base: Base::new(tr, ctx.user.as_ref(), &ctx.here, tr.t("receipt-lookup")),
        errors,
        reference,
        outcome_label: found
            .as_ref()
            .map(|f| tr.t(&format!("objection-outcome-{}", f.outcome)))
            .unwrap_or_default(),
        received: found
            .as_ref()
            .map(|f| tr.time(f.received_at as u64))
            .unwrap_or_default(),
        handled: found
            .as_ref()
            .and_then(|f| f.handled_at)
            .map(|t| tr.time(t as u64))
            .unwrap_or_default(),
        found,
    };
    if failed { sent_back(t) } else { page(t) }
}

/// The form that opens a receipt with its reference and token.
async fn receipt_form(ctx: Ctx) -> Result<Response, WebError> {
    lookup_page(&ctx, Errors::default(), String::new(), None)
}

#[derive(Deserialize)]
struct LookupFields {
    #[serde(default)]
    reference: String,
    #[serde(default)]
    token: String,
}

/// An objection's state and answer, for whoever holds its reference and
/// token (never who sent it).
async fn receipt_lookup(
    State(s): State<AppState>,
    ctx: Ctx,
    Form(f): Form<LookupFields>,
) -> Result<Response, WebError> {
    let reference = f.reference.trim().to_string();
    match crate::notice::receipt(&s.store, &reference, &f.token).await? {
        Some(r) => lookup_page(&ctx, Errors::default(), reference, Some(r)),
        None => {
            let mut errors = Errors::default();
            errors.add(
                "reference",
                super::messages::translate(&ctx.tr, "no objection with that reference and token"),
            );
            lookup_page(&ctx, errors, reference, None)
        }
    }
}
