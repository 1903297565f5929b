//! Observability: a request id on every response and every log line of its
//! request, one access-log line per request, and the `/metrics` exposition
//! (Prometheus text format) served on its own address (`--metrics-listen`).
//!
//! Nothing here may carry personal data or a secret: requests are labelled by
//! their route template (`/api/v1/provinces/{province}/draws/{id}`), never the
//! path they were made to; the access log has no query string, cookie, token
//! or body; the database gauges are counts over the whole service, not per
//! province or per account.

use crate::store::Store;
use crate::with_pool;
use anyhow::Result;
use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderName, HeaderValue, Method};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::Registry;
use std::sync::{Arc, LazyLock};
use std::time::Instant;
use tracing::Instrument;

/// The request id header: taken from a proxy when it is sane, else made here.
pub static REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// The longest incoming request id that is kept.
pub const MAX_REQUEST_ID: usize = 128;

/// Log entries signed into a write by this process, counted by
/// [`crate::store::log::append_in`] (process-wide: every store the process
/// opens appends through it).
pub static LOG_APPENDS: LazyLock<Counter> = LazyLock::new(Counter::default);

/// The request's id, in the request's extensions for handlers that want it.
#[derive(Clone, Debug)]
pub struct RequestId(pub Arc<str>);

/// The incoming id if it is 1 to [`MAX_REQUEST_ID`] visible ASCII characters
/// (nothing that could break a log line or a header), else a new random one.
pub fn request_id(given: Option<&HeaderValue>) -> String {
    match given.map(HeaderValue::as_bytes) {
        Some(b)
            if !b.is_empty()
                && b.len() <= MAX_REQUEST_ID
                && b.iter().all(|c| c.is_ascii_graphic()) =>
        {
            String::from_utf8_lossy(b).into_owned()
        }
        _ => {
            let mut r = [0u8; 16];
            // Without randomness the id is still unique enough per process.
            if getrandom::fill(&mut r).is_err() {
                static N: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
                let n = N.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                r[..8].copy_from_slice(&n.to_be_bytes());
            }
            hex::encode(r)
        }
    }
}

type Labels3 = [(&'static str, String); 3];
type Labels2 = [(&'static str, String); 2];
type Labels1 = [(&'static str, &'static str); 1];

/// The service's metrics: request counters and latencies kept as requests
/// pass, the database's counts read at each scrape.
pub struct Metrics {
    registry: Registry,
    requests: Family<Labels3, Counter>,
    latency: Family<Labels2, Histogram, fn() -> Histogram>,
    draws: Family<Labels1, Gauge>,
    outbox_unsent: Gauge,
    outbox_failing: Gauge,
    sessions: Family<Labels1, Gauge>,
    log_size: Gauge,
    /// One scrape at a time: each sets the gauges, then encodes them.
    scrape: tokio::sync::Mutex<()>,
}

fn latency_histogram() -> Histogram {
    // 5 ms to about 10 s.
    Histogram::new(exponential_buckets(0.005, 2.0, 12))
}

/// The draw states the gauge always reports (0 when there are none).
const DRAW_STATES: [&str; 4] = ["committed", "revealed", "voided", "disclosed"];

impl Default for Metrics {
    fn default() -> Self {
        let mut registry = Registry::with_prefix("fairpanel");
        let requests = Family::<Labels3, Counter>::default();
        registry.register(
            "http_requests",
            "HTTP requests answered, by method, route template and status class",
            requests.clone(),
        );
        let latency = Family::<Labels2, Histogram, fn() -> Histogram>::new_with_constructor(
            latency_histogram,
        );
        registry.register(
            "http_request_duration_seconds",
            "Time to answer an HTTP request, by method and route template",
            latency.clone(),
        );
        registry.register(
            "log_appends",
            "Log entries this process signed into writes",
            LOG_APPENDS.clone(),
        );
        let log_size = Gauge::default();
        registry.register(
            "log_size",
            "Entries in the log (read from the database at scrape time)",
            log_size.clone(),
        );
        let draws = Family::<Labels1, Gauge>::default();
        registry.register(
            "draws",
            "Draws by state, all provinces (read from the database at scrape time)",
            draws.clone(),
        );
        let outbox_unsent = Gauge::default();
        registry.register(
            "outbox_unsent",
            "Notifications not yet delivered (read from the database at scrape time)",
            outbox_unsent.clone(),
        );
        let outbox_failing = Gauge::default();
        registry.register(
            "outbox_failing",
            "Undelivered notifications whose last attempt failed (read from the database at scrape time)",
            outbox_failing.clone(),
        );
        let sessions = Family::<Labels1, Gauge>::default();
        registry.register(
            "sessions_active",
            "Unexpired, unrevoked logins (kind=session) and API tokens (kind=api) (read from the database at scrape time)",
            sessions.clone(),
        );
        Metrics {
            registry,
            requests,
            latency,
            draws,
            outbox_unsent,
            outbox_failing,
            sessions,
            log_size,
            scrape: Default::default(),
        }
    }
}

/// A method as a label: the standard ones by name, anything else as `other`
/// (a client must not be able to grow the label set).
fn method_label(m: &Method) -> &'static str {
    match *m {
        Method::GET => "GET",
        Method::POST => "POST",
        Method::PUT => "PUT",
        Method::PATCH => "PATCH",
        Method::DELETE => "DELETE",
        Method::HEAD => "HEAD",
        Method::OPTIONS => "OPTIONS",
        _ => "other",
    }
}

fn status_class(status: u16) -> &'static str {
    match status {
        100..=199 => "1xx",
        200..=299 => "2xx",
        300..=399 => "3xx",
        400..=499 => "4xx",
        _ => "5xx",
    }
}

/// The route label of a request no route matched (never its path).
pub const UNMATCHED: &str = "unmatched";

impl Metrics {
    fn record(&self, method: &'static str, route: &str, status: u16, seconds: f64) {
        self.requests
            .get_or_create(&[
                ("method", method.to_string()),
                ("route", route.to_string()),
                ("status", status_class(status).to_string()),
            ])
            .inc();
        self.latency
            .get_or_create(&[("method", method.to_string()), ("route", route.to_string())])
            .observe(seconds);
    }

    /// The exposition text, with the database's counts read now.
    pub async fn render(&self, store: &Store, now: u64) -> Result<String> {
        let _one = self.scrape.lock().await;
        let draws: Vec<(String, i64)> = with_pool!(store, p => sqlx::query_as(
            "SELECT state, COUNT(*) FROM draws GROUP BY state")
            .fetch_all(p)
            .await?);
        for s in DRAW_STATES {
            let n = draws.iter().find(|(k, _)| k == s).map_or(0, |(_, n)| *n);
            self.draws.get_or_create(&[("state", s)]).set(n);
        }
        let (unsent, failing): (i64, i64) = with_pool!(store, p => sqlx::query_as(
            "SELECT COUNT(*), COUNT(last_error) FROM outbox WHERE sent_at IS NULL")
            .fetch_one(p)
            .await?);
        self.outbox_unsent.set(unsent);
        self.outbox_failing.set(failing);
        let sessions: Vec<(String, i64)> = with_pool!(store, p => sqlx::query_as(
            "SELECT kind, COUNT(*) FROM sessions WHERE revoked_at IS NULL AND expires_at > $1 GROUP BY kind")
            .bind(now as i64)
            .fetch_all(p)
            .await?);
        for k in ["session", "api"] {
            let n = sessions.iter().find(|(s, _)| s == k).map_or(0, |(_, n)| *n);
            self.sessions.get_or_create(&[("kind", k)]).set(n);
        }
        self.log_size
            .set(i64::try_from(store.log_size().await?).unwrap_or(i64::MAX));
        let mut out = String::new();
        prometheus_client::encoding::prometheus_text::encode(&mut out, &self.registry)?;
        Ok(out)
    }
}

/// The outermost layer of the service: gives the request its id, runs it
/// inside a `request` span carrying that id (so every log line of the request
/// names it), sets `X-Request-Id` on the response, counts it in the metrics and
/// writes one access-log line: method, route template, status, latency, id.
pub async fn layer(
    State(s): State<crate::http::AppState>,
    mut req: Request,
    next: Next,
) -> Response {
    let start = Instant::now();
    let id = request_id(req.headers().get(&REQUEST_ID));
    let method = method_label(req.method());
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map(|m| m.as_str().to_string())
        .unwrap_or_else(|| UNMATCHED.to_string());
    req.extensions_mut().insert(RequestId(id.as_str().into()));
    let span = tracing::info_span!("request", request_id = %id);
    let mut resp = next.run(req).instrument(span.clone()).await;
    let status = resp.status().as_u16();
    let elapsed = start.elapsed();
    s.metrics
        .record(method, &route, status, elapsed.as_secs_f64());
    span.in_scope(|| {
        tracing::info!(
            target: "fairpanel::access",
            method,
            route = %route,
            status,
            latency_ms = elapsed.as_secs_f64() * 1000.0,
            "request"
        )
    });
    // Always valid: a request id is visible ASCII.
    if let Ok(v) = HeaderValue::from_str(&id) {
        resp.headers_mut().insert(REQUEST_ID.clone(), v);
    }
    resp
}

/// The metrics address's one route: `GET /metrics`.
pub fn router(state: crate::http::AppState) -> axum::Router {
    axum::Router::new()
        .route("/metrics", axum::routing::get(metrics))
        .with_state(state)
}

async fn metrics(State(s): State<crate::http::AppState>) -> Response {
    match s.metrics.render(&s.store, crate::serve::now()).await {
        Ok(text) => (
            [(
                axum::http::header::CONTENT_TYPE,
                prometheus_client::encoding::prometheus_text::CONTENT_TYPE,
            )],
            text,
        )
            .into_response(),
        Err(e) => crate::http::AppError::Internal(e).into_response(),
    }
}
