//! The HTTP API (axum). One `router()` per area; one error type whose response
//! hides internal details (they go to the log) and never carries a secret.

pub mod auth;
pub mod expert_keys;
pub mod experts;
pub mod filing;
pub mod key_requests;
pub mod materials;
pub mod ministry;
pub mod notice;
pub mod openapi;
pub mod public;
pub mod report;
pub mod rounds;
pub mod scoring;
pub mod sheet;
pub mod witness;

use crate::store::Store;
use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use fairpanel_core::SecretKey;
use std::sync::Arc;
use utoipa_axum::{router::OpenApiRouter, routes};

#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    pub key: Arc<SecretKey>,
    pub origin: Arc<str>,
    /// Where every log entry's time comes from.
    pub clock: crate::clock::Clock,
    pub webhook_url: Option<Arc<str>>,
    pub min_panel: u32,
    /// Caches of the public reads (committed entries, the newest checkpoint).
    pub public: Arc<public::Cache>,
    /// The log head as the live public pages watch it.
    pub live: Arc<crate::web::public::Live>,
    /// Wrong-password throttling (per account and per address).
    pub throttle: Arc<crate::throttle::Throttle>,
    /// The configured public address (`scheme://host[:port]`), if any.
    pub public_url: Option<Arc<str>>,
    /// Whether this process serves https itself (`--tls-cert`).
    pub tls: bool,
    /// Request counters and latencies, read by `/metrics`.
    pub metrics: Arc<crate::observe::Metrics>,
    /// Pools prepared ahead of their commit (`draws/prepared.rs`).
    pub prepared: Arc<crate::draws::prepared::Prepared>,
    /// Set once `serve` is shutting down: `/readyz` answers 503 from then on.
    pub draining: Arc<std::sync::atomic::AtomicBool>,
    /// Score-sheet submissions' group commit (`sheet_queue.rs`).
    pub sheets: crate::sheet_queue::SheetQueue,
}

impl AppState {
    /// The address printed QR codes and links point to: the configured public
    /// URL, else the one the request was made to (see [`sheet::public_base`]).
    pub fn public_base(&self, headers: &axum::http::HeaderMap) -> String {
        match &self.public_url {
            Some(u) => u.to_string(),
            None => {
                let base = sheet::public_base(headers);
                match base.strip_prefix("http://") {
                    Some(host) if self.tls => format!("https://{host}"),
                    _ => base,
                }
            }
        }
    }

    /// Whether the session cookie gets `Secure`: this process serves https, the
    /// public URL is https, or this request came over TLS (a terminating proxy
    /// says so).
    pub fn secure_cookies(&self, headers: &axum::http::HeaderMap) -> bool {
        self.https_only() || crate::web::guard::is_https(headers)
    }

    /// Whether the service is reached over https only: it serves TLS itself, or
    /// its public URL is https. Then every response carries
    /// `Strict-Transport-Security`.
    pub fn https_only(&self) -> bool {
        self.tls
            || self
                .public_url
                .as_deref()
                .is_some_and(|u| u.starts_with("https://"))
    }

    pub fn workflow(&self) -> crate::draws::Workflow<'_> {
        crate::draws::Workflow {
            store: &self.store,
            key: &self.key,
            origin: &self.origin,
            clock: &self.clock,
            min_panel: self.min_panel,
            prepared: Some(&self.prepared),
            sheets: Some(&self.sheets),
        }
    }
}

impl From<crate::draws::DrawError> for AppError {
    fn from(e: crate::draws::DrawError) -> Self {
        use crate::draws::DrawError as D;
        match e {
            D::NotFound(m) => AppError::NotFound(m),
            D::Conflict(m) => AppError::Conflict(m),
            D::Invalid(m) => AppError::BadRequest(m),
            D::Infeasible(i) => AppError::Unprocessable(
                format!("the draw cannot be made: {}: {}", i.constraint, i.detail),
                vec![serde_json::json!({"constraint": i.constraint, "detail": i.detail})],
            ),
            D::Internal(e) => AppError::Internal(e),
        }
    }
}

/// Errors as the API answers them: `{"error": "..."}` with a fitting status.
#[derive(Debug)]
pub enum AppError {
    BadRequest(String),
    Unauthorized(String),
    /// 429: wait this many seconds.
    TooManyRequests(String, u64),
    Forbidden(String),
    NotFound(String),
    Conflict(String),
    /// 422 with a list of problems (import rows and columns, for example).
    Unprocessable(String, Vec<serde_json::Value>),
    Internal(anyhow::Error),
}

impl From<anyhow::Error> for AppError {
    fn from(e: anyhow::Error) -> Self {
        AppError::Internal(e)
    }
}

impl From<sqlx::Error> for AppError {
    fn from(e: sqlx::Error) -> Self {
        AppError::Internal(e.into())
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        if let AppError::Unprocessable(m, problems) = self {
            return (
                StatusCode::UNPROCESSABLE_ENTITY,
                Json(serde_json::json!({ "error": m, "problems": problems })),
            )
                .into_response();
        }
        let (status, msg) = match self {
            AppError::Unprocessable(..) => unreachable!(),
            AppError::BadRequest(m) => (StatusCode::BAD_REQUEST, m),
            AppError::Unauthorized(m) => (StatusCode::UNAUTHORIZED, m),
            AppError::TooManyRequests(m, wait) => {
                return (
                    StatusCode::TOO_MANY_REQUESTS,
                    [(axum::http::header::RETRY_AFTER, wait.to_string())],
                    Json(serde_json::json!({ "error": m, "retry_after": wait })),
                )
                    .into_response();
            }
            AppError::Forbidden(m) => (StatusCode::FORBIDDEN, m),
            AppError::NotFound(m) => (StatusCode::NOT_FOUND, m),
            AppError::Conflict(m) => (StatusCode::CONFLICT, m),
            AppError::Internal(e) => {
                tracing::error!(error = %format!("{e:#}"), "internal error");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "internal error; the operator's log has the details".to_string(),
                )
            }
        };
        (status, Json(serde_json::json!({ "error": msg }))).into_response()
    }
}

/// A JSON body whose rejection (malformed JSON, wrong fields) answers in the
/// API's own error format.
pub struct AppJson<T>(pub T);

impl<S, T> axum::extract::FromRequest<S> for AppJson<T>
where
    axum::Json<T>:
        axum::extract::FromRequest<S, Rejection = axum::extract::rejection::JsonRejection>,
    S: Send + Sync,
{
    type Rejection = AppError;

    async fn from_request(req: axum::extract::Request, state: &S) -> Result<Self, AppError> {
        match axum::Json::<T>::from_request(req, state).await {
            Ok(axum::Json(v)) => Ok(AppJson(v)),
            Err(e) => Err(AppError::BadRequest(e.body_text())),
        }
    }
}

/// The whole API: routes and their OpenAPI description come from the same
/// `routes!` registrations, so the document cannot miss an endpoint.
pub fn api(state: &AppState) -> (axum::Router<AppState>, utoipa::openapi::OpenApi) {
    // Every route under /provinces/{province} passes the province guard: a new
    // endpoint added there cannot forget isolation.
    let provinces = OpenApiRouter::new()
        .routes(routes!(province_summary))
        .merge(experts::router())
        .merge(rounds::router())
        .merge(scoring::router())
        .merge(materials::router())
        .merge(expert_keys::router())
        .merge(key_requests::router())
        .merge(report::router())
        .merge(filing::router())
        .merge(notice::router())
        .route_layer(axum::middleware::from_fn_with_state(
            state.clone(),
            auth::province_guard,
        ));
    let (router, mut doc) = OpenApiRouter::with_openapi(openapi::base())
        .routes(routes!(healthz))
        .routes(routes!(readyz))
        .nest(
            "/api/v1/public",
            public::router()
                .merge(notice::public_router())
                .merge(witness::router()),
        )
        .nest("/api/v1", auth::router().merge(witness::admin_router()))
        .nest("/api/v1/calendar", report::calendar_router())
        .nest("/api/v1/ministry", ministry::router())
        .nest("/api/v1/provinces/{province}", provinces)
        .split_for_parts();
    openapi::finish(&mut doc);
    (router.layer(axum::middleware::from_fn(json_refusals)), doc)
}

/// The longest plain-text refusal body rewritten by [`json_refusals`]; the
/// framework's own are one line.
const MAX_PLAIN_REFUSAL: usize = 4096;

/// Makes the framework's own refusals (a query or path value of the wrong
/// type, an upload over its limit, a method a path does not have), which are
/// plain text or empty, answer in the API's error format like every other:
/// `{"error": "..."}` with the same status.
async fn json_refusals(req: axum::extract::Request, next: axum::middleware::Next) -> Response {
    let response = next.run(req).await;
    let status = response.status();
    let is_json = response
        .headers()
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    if !status.is_client_error() || is_json {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let text = match axum::body::to_bytes(body, MAX_PLAIN_REFUSAL).await {
        Ok(b) if !b.is_empty() => String::from_utf8_lossy(&b).trim().to_string(),
        _ => status
            .canonical_reason()
            .unwrap_or("refused")
            .to_lowercase(),
    };
    parts.headers.remove(axum::http::header::CONTENT_TYPE);
    parts.headers.remove(axum::http::header::CONTENT_LENGTH);
    let mut out = Json(serde_json::json!({ "error": text })).into_response();
    *out.status_mut() = parts.status;
    for (name, value) in parts.headers.iter() {
        out.headers_mut().append(name.clone(), value.clone());
    }
    out
}

pub fn router(state: AppState) -> axum::Router {
    let (router, doc) = api(&state);
    router
        .merge(openapi::router(doc))
        .merge(crate::web::router(&state))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            crate::web::guard::same_origin,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            crate::web::guard::hsts,
        ))
        // Outermost, so that even the origin guard's refusals and the 404s of
        // no route carry a request id and are logged and counted.
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            crate::observe::layer,
        ))
        .with_state(state)
}

/// A province's name and code, for a caller allowed to see it.
#[utoipa::path(get, path = "/", tag = "provinces",
    responses((status = 200, description = "`{code, name}`"), (status = 404, description = "no such province, or not the caller's")))]
async fn province_summary(
    axum::Extension(auth::Scoped(p)): axum::Extension<auth::Scoped>,
) -> Json<serde_json::Value> {
    Json(serde_json::json!({ "code": p, "name": p.name() }))
}

/// Answers `ok` when the store can be read.
#[utoipa::path(get, path = "/healthz", tag = "public", responses((status = 200, body = String)))]
async fn healthz(
    axum::extract::State(s): axum::extract::State<AppState>,
) -> Result<&'static str, AppError> {
    s.store.log_size().await?;
    Ok("ok")
}

/// Readiness, for a proxy or load balancer choosing where to send requests:
/// `ready` once the service listens (it listens only after its migrations ran
/// and its key was loaded) and while the store can be read; 503 `draining`
/// from the moment it was told to stop (SIGTERM), while it finishes what it
/// has. `/healthz` stays a liveness check.
#[utoipa::path(get, path = "/readyz", tag = "public", responses(
    (status = 200, body = String, description = "`ready`: send requests here"),
    (status = 503, body = String, description = "`draining`: shutting down, send requests elsewhere")))]
async fn readyz(
    axum::extract::State(s): axum::extract::State<AppState>,
) -> Result<(StatusCode, &'static str), AppError> {
    if s.draining.load(std::sync::atomic::Ordering::SeqCst) {
        return Ok((StatusCode::SERVICE_UNAVAILABLE, "draining"));
    }
    s.store.log_size().await?;
    Ok((StatusCode::OK, "ready"))
}
