//! The web pages: server-rendered HTML for coordinators, supervisors, experts
//! and admins, served by `fairpanel serve` at `/` beside the JSON API. Pages
//! call the same workflow and store functions as the API handlers (no second
//! copy of any rule); templates are askama (checked at compile time) in
//! `templates/web/`; texts come from the Fluent catalogues in `locales/`.
//!
//! Areas: `account.rs` (sign-in, password, language, admin accounts),
//! `coordinator.rs` (rounds, task list, pool, applications, accounts),
//! `draw.rs` (the draw from spec to disclosure), `scoring.rs` (scoring,
//! results, the seal),
//! `expert.rs` (assignments, score sheets), `materials.rs` (applications'
//! materials, the pledge text and the expert's pledge), `supervisor.rs` (draws watched,
//! entropy, the province's log). `guard.rs` holds the cross-site check and the
//! security headers; `i18n.rs` the languages.

pub mod account;
pub mod coordinator;
pub mod draw;
pub mod expert;
pub mod guard;
pub mod i18n;
pub mod materials;
pub mod messages;
pub mod ministry;
pub mod notice;
pub mod public;
pub mod scoring;
pub mod supervisor;

use crate::draws::DrawError;
use crate::http::auth::{Caller, Role};
use crate::http::{AppError, AppState};
use askama::Template;
use axum::Router;
use axum::extract::{FromRequestParts, Request};
use axum::http::header::{self, HeaderValue};
use axum::http::request::Parts;
use axum::http::{StatusCode, Uri};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Redirect, Response};
use fairpanel_core::types::Province;
pub use i18n::{Lang, Tr};

pub const LANG_COOKIE: &str = "fairpanel_lang";
pub const CSS: &str = include_str!("../../static/app.css");
pub const JS: &str = include_str!("../../static/app.js");

/// Every page's routes, with the security headers and the error pages.
pub fn router(state: &AppState) -> Router<AppState> {
    Router::new()
        .merge(account::router())
        .merge(coordinator::router())
        .merge(draw::router())
        .merge(scoring::router())
        .merge(expert::router())
        .merge(materials::router())
        .merge(supervisor::router())
        .merge(ministry::router())
        .merge(public::router())
        .merge(notice::router())
        .route("/static/app.css", axum::routing::get(css))
        .route("/static/app.js", axum::routing::get(js))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            error_pages,
        ))
        .layer(axum::middleware::from_fn(guard::headers))
}

async fn css() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        CSS,
    )
        .into_response()
}

async fn js() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        JS,
    )
        .into_response()
}

/// The language of a request: the cookie, else `Accept-Language`, else Chinese.
pub fn lang_of(parts: &Parts) -> Lang {
    let cookie = parts
        .headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == LANG_COOKIE)
        .and_then(|(_, v)| Lang::parse(v));
    cookie
        .or_else(|| {
            parts
                .headers
                .get(header::ACCEPT_LANGUAGE)
                .and_then(|v| v.to_str().ok())
                .and_then(Lang::from_accept)
        })
        .unwrap_or(Lang::Zh)
}

/// Who is asking and in which language; the caller may be nobody.
pub struct Ctx {
    pub tr: Tr,
    pub user: Option<Caller>,
    /// Path and query of this page, for the language switch and sign-in.
    pub here: String,
}

impl FromRequestParts<AppState> for Ctx {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, s: &AppState) -> Result<Self, Response> {
        let tr = Tr::new(lang_of(parts));
        let user = Caller::from_request_parts(parts, s).await.ok();
        Ok(Ctx {
            tr,
            user,
            here: parts
                .uri
                .path_and_query()
                .map(|p| p.as_str().to_string())
                .unwrap_or_else(|| "/".into()),
        })
    }
}

/// A signed-in person; anyone else is sent to the sign-in page, and someone
/// who still has a one-time password to the password page.
pub struct User {
    pub tr: Tr,
    pub caller: Caller,
    pub here: String,
    /// Where links handed to other people point: the configured public URL,
    /// else the address this request was made to.
    pub link_base: String,
}

impl FromRequestParts<AppState> for User {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, s: &AppState) -> Result<Self, Response> {
        let ctx = Ctx::from_request_parts(parts, s).await?;
        let Some(caller) = ctx.user else {
            let next = urlencode(&ctx.here);
            return Err(Redirect::to(&format!("/login?next={next}")).into_response());
        };
        if caller.must_change && parts.uri.path() != "/password" {
            return Err(Redirect::to("/password").into_response());
        }
        Ok(User {
            tr: ctx.tr,
            caller,
            here: ctx.here,
            link_base: s.public_base(&parts.headers),
        })
    }
}

impl User {
    pub fn base(&self, title: String) -> Base {
        Base::new(self.tr, Some(&self.caller), &self.here, title)
    }

    /// The province of a `/p/{code}/…` page, if the person may see it;
    /// anything else is "not found", as for the API.
    pub fn province(&self, code: &str) -> Result<Province, WebError> {
        Province::try_from(code)
            .ok()
            .filter(|p| self.caller.may_see(p))
            .ok_or_else(|| WebError::from(AppError::NotFound("not found".into())))
    }

    pub fn require(&self, roles: &[Role]) -> Result<(), WebError> {
        self.caller.require(roles).map_err(WebError::from)
    }

    /// Refuses a form whose anti-forgery token is not this session's.
    pub fn check_csrf(&self, token: &str) -> Result<(), WebError> {
        if token == self.caller.csrf() {
            Ok(())
        } else {
            Err(AppError::Forbidden(
                "the form's security token is missing or stale; reload the page and try again"
                    .into(),
            )
            .into())
        }
    }
}

/// The person shown in the header.
#[derive(Clone, Debug)]
pub struct Who {
    pub username: String,
    pub role: String,
    pub province: String,
    pub province_name: String,
}

/// What the layout needs on every page.
pub struct Base {
    pub i: Tr,
    pub user: Option<Who>,
    pub csrf: String,
    pub here: String,
    pub title: String,
    /// The navigation for the person's role: (href, label).
    pub nav: Vec<(String, String)>,
}

impl Base {
    pub fn new(i: Tr, caller: Option<&Caller>, here: &str, title: String) -> Base {
        let user = caller.map(|c| Who {
            username: c.username.clone(),
            role: i.t(&format!("role-{}", c.role.as_str())),
            province: c
                .province
                .as_ref()
                .map(|p| p.as_str().to_string())
                .unwrap_or_default(),
            province_name: c
                .province
                .as_ref()
                .map(|p| province_name(&i, p))
                .unwrap_or_default(),
        });
        let nav = caller.map(|c| nav(&i, c)).unwrap_or_default();
        Base {
            i,
            user,
            csrf: caller.map(|c| c.csrf()).unwrap_or_default(),
            here: here.to_string(),
            title,
            nav,
        }
    }

    /// The language switch's target.
    pub fn switch_href(&self) -> String {
        format!(
            "/lang/{}?back={}",
            match self.i.other() {
                Lang::Zh => "zh",
                Lang::En => "en",
            },
            urlencode(&self.here)
        )
    }
}

fn nav(i: &Tr, c: &Caller) -> Vec<(String, String)> {
    let p = c
        .province
        .as_ref()
        .map(|p| p.as_str().to_string())
        .unwrap_or_default();
    match c.role {
        Role::Admin => vec![
            ("/admin/accounts".into(), i.t("nav-accounts")),
            ("/admin/key".into(), i.t("nav-key")),
            ("/admin/witnesses".into(), i.t("nav-witnesses")),
            ("/ministry".into(), i.t("nav-filings")),
        ],
        Role::Ministry => vec![("/ministry".into(), i.t("nav-filings"))],
        Role::Coordinator => vec![
            (format!("/p/{p}"), i.t("nav-rounds")),
            (format!("/p/{p}/experts"), i.t("nav-pool")),
            (format!("/p/{p}/accounts"), i.t("nav-accounts")),
            (format!("/p/{p}/log"), i.t("nav-log")),
        ],
        Role::Supervisor => vec![
            (format!("/p/{p}/watch"), i.t("nav-draws")),
            (format!("/p/{p}/accounts"), i.t("nav-accounts")),
            (format!("/p/{p}/log"), i.t("nav-log")),
        ],
        Role::Expert => vec![(format!("/p/{p}/me"), i.t("nav-assignments"))],
    }
}

/// A province's name in the page's language.
pub fn province_name(i: &Tr, p: &Province) -> String {
    match i.lang {
        Lang::Zh => p.name().to_string(),
        Lang::En => format!("{} ({})", p.name(), p.as_str()),
    }
}

pub fn urlencode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~/".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// A redirect target that stays on this site (a path, never `//host`).
pub fn local_path(next: &str) -> String {
    if next.starts_with('/') && !next.starts_with("//") && !next.contains('\\') {
        next.to_string()
    } else {
        "/".to_string()
    }
}

/// Renders a template into a page.
pub fn page(t: impl Template) -> Result<Response, WebError> {
    let html = t
        .render()
        .map_err(|e| WebError::from(AppError::Internal(anyhow::anyhow!("template: {e}"))))?;
    Ok(Html(html).into_response())
}

/// A failure on a page; rendered as an error page in the person's language by
/// [`error_pages`].
#[derive(Debug)]
pub struct WebError(pub AppError);

/// A page sent back with its form's problems shown (400).
pub fn sent_back(t: impl Template) -> Result<Response, WebError> {
    let mut r = page(t)?;
    *r.status_mut() = axum::http::StatusCode::BAD_REQUEST;
    Ok(r)
}

/// A workflow refusal of what the person sent, as the message to show beside
/// the form, in their language; an internal error stays an error page.
pub fn refusal(tr: &Tr, e: DrawError) -> Result<String, WebError> {
    match e {
        DrawError::NotFound(m) | DrawError::Conflict(m) | DrawError::Invalid(m) => {
            Ok(translate_detail(tr, &m))
        }
        DrawError::Infeasible(i) => Ok(translate_detail(
            tr,
            &format!("the draw cannot be made: {}: {}", i.constraint, i.detail),
        )),
        DrawError::Internal(e) => Err(e.into()),
    }
}

impl From<AppError> for WebError {
    fn from(e: AppError) -> Self {
        WebError(e)
    }
}
impl From<DrawError> for WebError {
    fn from(e: DrawError) -> Self {
        WebError(e.into())
    }
}
impl From<anyhow::Error> for WebError {
    fn from(e: anyhow::Error) -> Self {
        WebError(AppError::Internal(e))
    }
}
impl From<sqlx::Error> for WebError {
    fn from(e: sqlx::Error) -> Self {
        WebError(e.into())
    }
}

/// What [`error_pages`] needs to render a failure.
#[derive(Clone, Debug)]
struct Failure {
    status: StatusCode,
    message: String,
    retry_after: Option<u64>,
}

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        let (status, message, retry_after) = match self.0 {
            AppError::BadRequest(m) => (StatusCode::BAD_REQUEST, m, None),
            AppError::Unauthorized(m) => (StatusCode::UNAUTHORIZED, m, None),
            AppError::TooManyRequests(m, w) => (StatusCode::TOO_MANY_REQUESTS, m, Some(w)),
            AppError::Forbidden(m) => (StatusCode::FORBIDDEN, m, None),
            AppError::NotFound(m) => (StatusCode::NOT_FOUND, m, None),
            AppError::Conflict(m) => (StatusCode::CONFLICT, m, None),
            AppError::Unprocessable(m, problems) => {
                let detail: Vec<String> = problems
                    .iter()
                    .map(|p| match p.get("detail").and_then(|d| d.as_str()) {
                        Some(d) => d.to_string(),
                        None => p.to_string(),
                    })
                    .collect();
                (
                    StatusCode::UNPROCESSABLE_ENTITY,
                    if detail.is_empty() {
                        m
                    } else {
                        format!("{m}: {}", detail.join("; "))
                    },
                    None,
                )
            }
            AppError::Internal(e) => {
                tracing::error!(error = %format!("{e:#}"), "internal error on a page");
                (StatusCode::INTERNAL_SERVER_ERROR, String::new(), None)
            }
        };
        let mut res = status.into_response();
        res.extensions_mut().insert(Failure {
            status,
            message,
            retry_after,
        });
        res
    }
}

#[derive(Template)]
#[template(path = "web/error.html")]
struct ErrorPage {
    base: Base,
    heading: String,
    what: String,
    detail: String,
}

/// Turns a [`WebError`] into a page in the request's language.
async fn error_pages(
    axum::extract::State(s): axum::extract::State<AppState>,
    req: Request,
    next: Next,
) -> Response {
    let (parts, body) = req.into_parts();
    let tr = Tr::new(lang_of(&parts));
    let here = parts
        .uri
        .path_and_query()
        .map(|p| p.to_string())
        .unwrap_or_default();
    let mut head = parts.clone();
    let res = next.run(Request::from_parts(parts, body)).await;
    let Some(f) = res.extensions().get::<Failure>().cloned() else {
        return res;
    };
    // The header still shows who is signed in (and their way out).
    let caller = Caller::from_request_parts(&mut head, &s).await.ok();
    let key = match f.status {
        StatusCode::NOT_FOUND => "err-not-found",
        StatusCode::FORBIDDEN => "err-forbidden",
        StatusCode::CONFLICT => "err-conflict",
        StatusCode::TOO_MANY_REQUESTS => "err-too-many",
        StatusCode::INTERNAL_SERVER_ERROR => "err-internal",
        StatusCode::UNAUTHORIZED => "err-unauthorized",
        _ => "err-invalid",
    };
    let p = ErrorPage {
        base: Base::new(tr, caller.as_ref(), &here, tr.t(key)),
        heading: tr.t(key),
        what: match f.retry_after {
            Some(w) => tr.t1("err-wait", "seconds", w),
            None => tr.t(&format!("{key}-what")),
        },
        detail: translate_detail(&tr, &f.message),
    };
    let mut out = match p.render() {
        Ok(h) => (f.status, Html(h)).into_response(),
        Err(_) => f.status.into_response(),
    };
    if let Some(w) = f.retry_after
        && let Ok(v) = HeaderValue::from_str(&w.to_string())
    {
        out.headers_mut().insert(header::RETRY_AFTER, v);
    }
    out
}

/// The detail of a refusal in the person's language (see [`messages`]).
pub fn translate_detail(tr: &Tr, msg: &str) -> String {
    messages::translate(tr, msg)
}

/// The confirmation of an irreversible step: its log entry.
#[derive(Template)]
#[template(path = "web/confirmed.html")]
pub struct Confirmed {
    pub base: Base,
    pub what: String,
    pub seq: u64,
    pub hash: String,
    pub next: String,
    pub next_label: String,
}

/// The hash of the log entry at `seq`, hex.
pub async fn entry_hash(s: &AppState, seq: u64) -> Result<String, WebError> {
    let e = s.store.entries(seq, seq + 1).await?;
    let e = e
        .first()
        .ok_or_else(|| anyhow::anyhow!("log entry {seq} is missing"))?;
    Ok(hex::encode(&e.hash))
}

/// The confirmation page of a step that appended log entry `seq`.
pub async fn confirmed(
    s: &AppState,
    u: &User,
    what: String,
    seq: u64,
    next: String,
    next_label: String,
) -> Result<Response, WebError> {
    page(Confirmed {
        base: u.base(what.clone()),
        hash: entry_hash(s, seq).await?,
        what,
        seq,
        next,
        next_label,
    })
}

/// Makes `/x/` and `/x` the same page.
pub fn trim_slash(uri: &Uri) -> Option<String> {
    let p = uri.path();
    (p.len() > 1 && p.ends_with('/')).then(|| p.trim_end_matches('/').to_string())
}

/// One problem with a form field, shown in the error summary and beside the
/// field (GOV.UK's error summary and error message patterns).
#[derive(Clone, Debug)]
pub struct FieldError {
    /// The field's `id`, which the summary links to.
    pub field: String,
    pub message: String,
}

/// A form's problems.
#[derive(Clone, Debug, Default)]
pub struct Errors(pub Vec<FieldError>);

impl Errors {
    pub fn add(&mut self, field: &str, message: String) {
        self.0.push(FieldError {
            field: field.to_string(),
            message,
        });
    }
    pub fn get(&self, field: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|e| e.field == field)
            .map(|e| e.message.as_str())
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
    pub fn list(&self) -> &[FieldError] {
        &self.0
    }
}
