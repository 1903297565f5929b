//! The public pages: no account, Chinese by default, the same layout and the
//! same rules as the rest of the interface. Every draw of every province with
//! its state (voided and abandoned ones with why), filterable; a draw's page
//! (what its commit fixed, each step with its log entry, the panel as far as
//! disclosure allows, the bundle, "verify in your browser"), live while the
//! draw is in progress (Server-Sent Events fed by the log's head, so several
//! instances on one database serve the same events); the log's page
//! (checkpoint, entries by range, the key); and the verification page, whose
//! verifier runs in the visitor's browser.
//!
//! What a page shows of a draw comes from the functions the public JSON API
//! uses (`Workflow::list`/`listed`, the draw's log entries, and
//! `Workflow::summary`, which names members only once the draw is disclosed):
//! nothing here decides on its own what may be shown.

use super::{Base, Ctx, Errors, Tr, WebError, page, province_name};
use crate::draws::DrawListed;
use crate::http::{AppError, AppState};
use crate::store::Store;
use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::header::{self, HeaderMap};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use fairpanel_core::entry::Body;
use fairpanel_core::types::{PROVINCES, Province};
use serde::Deserialize;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;
use tokio::sync::watch;

/// The browser side of the verification page (an ES module).
pub const VERIFY_JS: &str = include_str!("../../static/verify.js");
/// The Web Worker that runs the verifier off the page's thread.
pub const WORKER_JS: &str = include_str!("../../static/verify-worker.js");
/// The bundle verifier compiled for browsers (`web/verifier/`).
pub const VERIFIER_MJS: &str = include_str!("../../web/verifier/dist/verifier.mjs");

/// How often the log's head is read while someone watches a live page.
pub const POLL: Duration = Duration::from_millis(250);
/// A comment line on every live stream at least this often, so that a reverse
/// proxy never finds the connection idle (nginx closes one after 60 s).
pub const HEARTBEAT: Duration = Duration::from_secs(10);
/// How often a quiet stream checks whether the service is shutting down.
pub const DRAIN_CHECK: Duration = Duration::from_secs(1);
/// A page without script reloads a draw in progress this often.
pub const RELOAD_SECONDS: u32 = 15;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/public/draws", get(draws))
        .route("/public/draws/{d}", get(draw))
        .route("/public/draws/{d}/events", get(events))
        .route("/public/log", get(log))
        .route("/public/verify", get(verify))
        .route("/static/verify.js", get(|| script(VERIFY_JS)))
        .route("/static/verify-worker.js", get(|| script(WORKER_JS)))
        .route("/static/verifier.mjs", get(|| script(VERIFIER_MJS)))
}

async fn script(body: &'static str) -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        body,
    )
        .into_response()
}

// ---------------------------------------------------------------- the list

/// The states a visitor can filter by: `committed` means in progress (not
/// abandoned).
pub const STATES: &[&str] = &["committed", "revealed", "disclosed", "voided", "abandoned"];

pub struct DrawRow {
    pub id: String,
    pub province: String,
    pub title: String,
    pub state: String,
    pub state_label: String,
    /// Why a draw was voided (its void entry's reason) or counts as abandoned.
    pub why: String,
    pub commit_time: String,
    pub seated: usize,
    pub panel_size: usize,
}

/// The state a draw shows: its stored state, or `abandoned`.
fn shown_state(d: &DrawListed) -> &str {
    if d.abandoned { "abandoned" } else { &d.state }
}

pub fn draw_row(tr: &Tr, d: DrawListed) -> DrawRow {
    let state = shown_state(&d).to_string();
    DrawRow {
        state_label: tr.t(&format!("draw-state-{state}")),
        why: if state == "abandoned" {
            tr.t("draw-abandoned-why")
        } else {
            String::new()
        },
        state,
        province: Province::try_from(d.province.as_str())
            .map(|p| province_name(tr, &p))
            .unwrap_or(d.province),
        id: d.id,
        title: d.title,
        commit_time: tr.time(d.commit_time),
        seated: d.seated,
        panel_size: d.panel_size,
    }
}

/// The year (China Standard Time) of a Unix time.
fn year_of(unix: u64) -> i32 {
    Tr::new(super::Lang::Zh).time(unix)[..4]
        .parse()
        .unwrap_or(1970)
}

#[derive(Deserialize, Default)]
struct Filter {
    #[serde(default)]
    province: String,
    #[serde(default)]
    year: String,
    #[serde(default)]
    state: String,
}

#[derive(Template)]
#[template(path = "web/public_draws.html")]
struct PublicDraws {
    base: Base,
    errors: Errors,
    draws: Vec<DrawRow>,
    /// (code, name) of every province, for the filter.
    provinces: Vec<(String, String)>,
    years: Vec<i32>,
    /// (state, label).
    states: Vec<(String, String)>,
    province: String,
    year: String,
    state: String,
    filtered: bool,
}

/// Every province's draws with their state (voided and abandoned ones too, and
/// why), newest first, filtered by province, year and state.
async fn draws(
    State(s): State<AppState>,
    ctx: Ctx,
    Query(f): Query<Filter>,
) -> Result<Response, WebError> {
    let tr = ctx.tr;
    let mut errors = Errors::default();
    let province = f.province.trim();
    let province = if province.is_empty() {
        None
    } else {
        match Province::try_from(province) {
            Ok(p) => Some(p),
            Err(_) => {
                errors.add("province", tr.t("public-bad-province"));
                None
            }
        }
    };
    let year = f.year.trim();
    let year = if year.is_empty() {
        None
    } else {
        match year.parse::<i32>() {
            Ok(y) if (2000..=2200).contains(&y) => Some(y),
            _ => {
                errors.add("year", tr.t("public-bad-year"));
                None
            }
        }
    };
    let state = f.state.trim();
    let state = if state.is_empty() {
        None
    } else if STATES.contains(&state) {
        Some(state)
    } else {
        errors.add("state", tr.t("public-bad-state"));
        None
    };
    let mut all = s.workflow().list(None).await?;
    // Newest first, in the log's order.
    all.sort_by_key(|d| std::cmp::Reverse(d.commit_seq));
    let mut years: Vec<i32> = all.iter().map(|d| year_of(d.commit_time)).collect();
    years.sort_unstable_by(|a, b| b.cmp(a));
    years.dedup();
    let reasons = s.workflow().void_reasons().await?;
    let rows: Vec<DrawRow> = if errors.is_empty() {
        all.into_iter()
            .filter(|d| province.as_ref().is_none_or(|p| d.province == p.as_str()))
            .filter(|d| year.is_none_or(|y| year_of(d.commit_time) == y))
            .filter(|d| state.is_none_or(|st| shown_state(d) == st))
            .map(|d| {
                let reason = reasons.get(&d.id).cloned();
                let mut row = draw_row(&tr, d);
                if let Some(r) = reason {
                    row.why = r;
                }
                row
            })
            .collect()
    } else {
        vec![]
    };
    let failed = !errors.is_empty();
    let mut r = page(PublicDraws {
        base: Base::new(tr, ctx.user.as_ref(), &ctx.here, tr.t("public-draws-title")),
        errors,
        draws: rows,
        provinces: PROVINCES
            .iter()
            .map(|(c, _)| {
                let p = Province::try_from(*c).expect("a listed province");
                (c.to_string(), province_name(&tr, &p))
            })
            .collect(),
        years,
        states: STATES
            .iter()
            .map(|st| (st.to_string(), tr.t(&format!("draw-state-{st}"))))
            .collect(),
        province: f.province.trim().to_string(),
        year: f.year.trim().to_string(),
        state: f.state.trim().to_string(),
        filtered: province.is_some() || year.is_some() || state.is_some(),
    })?;
    if failed {
        *r.status_mut() = axum::http::StatusCode::BAD_REQUEST;
    }
    Ok(r)
}

// ---------------------------------------------------------------- cosignatures

/// One witness's cosignature line on a checkpoint, as a page shows it.
pub struct CosigRow {
    pub name: String,
    /// The C2SP key ID (4 bytes, hex).
    pub key_id: String,
    pub time: String,
}

/// The witnesses' cosignatures a page shows: those of the checkpoint a bundle
/// covering entry `last` would embed (the newest cosigned checkpoint covering
/// it, else the newest). `(size, rows)`, the rows empty when no witness has
/// cosigned it.
pub async fn cosignatures_covering(
    s: &AppState,
    tr: &Tr,
    last: u64,
) -> Result<(u64, Vec<CosigRow>), WebError> {
    let Some((size, text)) = s.store.checkpoint_for_bundle(last).await? else {
        return Ok((0, vec![]));
    };
    let rows = fairpanel_core::cosignature::split(&text)
        .map(|(_, lines)| {
            lines
                .into_iter()
                .filter_map(fairpanel_core::cosignature::parse_line)
                .map(|l| CosigRow {
                    key_id: hex::encode(l.key_id),
                    time: tr.time(l.time),
                    name: l.name,
                })
                .collect()
        })
        .unwrap_or_default();
    Ok((size, rows))
}

// ---------------------------------------------------------------- a draw

/// One step of a draw: its log entry.
pub struct Step {
    pub seq: u64,
    /// The entry's kind (`commit`, `entropy`, …).
    pub kind: String,
    pub label: String,
    pub time: String,
    pub hash: String,
    pub detail: String,
}

/// A personal key registered in a draw (protocol 1.4) and the contributions
/// it signed.
pub struct KeyRow {
    pub seq: u64,
    pub role: String,
    /// The key id, as the record sheet and the person's own page show it.
    pub fingerprint: String,
    /// Log sequence numbers of the contributions signed with it.
    pub signed: Vec<u64>,
}

pub struct Seat {
    pub position: usize,
    pub token: String,
    pub specialty: String,
    /// Empty until the draw is disclosed.
    pub name: String,
}

#[derive(Template)]
#[template(path = "web/public_draw.html")]
struct PublicDraw {
    base: Base,
    id: String,
    title: String,
    province: String,
    state: String,
    state_label: String,
    why: String,
    /// In progress: committed, not revealed, voided or abandoned.
    live: bool,
    reload: u32,
    commit_seq: u64,
    commit_hash: String,
    commit_time: String,
    pool_size: u64,
    pool_root: String,
    excluded: usize,
    secret_commitment: String,
    /// (label, value) of each rule the commit fixed.
    rules: Vec<(String, String)>,
    beacon_round: Option<u64>,
    beacon_due: String,
    beacon_due_unix: u64,
    beacon_recorded: bool,
    deadline: String,
    deadline_unix: u64,
    now_unix: u64,
    steps: Vec<Step>,
    contributions: usize,
    panel: Vec<Seat>,
    alternates: Vec<Seat>,
    disclosed: bool,
    last_seq: u64,
    personal_keys: bool,
    keys: Vec<KeyRow>,
    /// The checkpoint whose cosignatures are shown (0: none yet).
    cosig_size: u64,
    cosigs: Vec<CosigRow>,
}

/// A draw of any province, or "not found" (also for an id that cannot be one).
async fn find(s: &AppState, id: &str) -> Result<DrawListed, WebError> {
    let none = || WebError::from(AppError::NotFound(format!("no draw {id}")));
    if fairpanel_core::types::DrawId::try_from(id.to_string()).is_err() {
        return Err(none());
    }
    s.workflow().listed(id).await?.ok_or_else(none)
}

/// What a step's entry says, in words a visitor can read (nothing that is
/// not in the public log).
fn step_detail(tr: &Tr, body: &Body) -> String {
    match body {
        Body::Entropy(x) => x.supervisor.clone(),
        Body::Beacon(b) => tr.t1("beacon-round", "round", b.round),
        Body::Reveal(r) => tr.t2(
            "public-reveal-detail",
            "panel",
            r.panel.len(),
            "alternates",
            r.alternates.len(),
        ),
        Body::Decline(x) => x.reason.to_string(),
        Body::Void(x) => x.reason.clone(),
        Body::Disclosure(x) => tr.t1("public-disclosure-detail", "n", x.members.len()),
        _ => String::new(),
    }
}

fn kind_of(b: &Body) -> String {
    serde_json::to_value(b.kind())
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

fn kind_label(tr: &Tr, kind: &str) -> String {
    let key = format!("entry-{kind}");
    if tr.has(&key) {
        tr.t(&key)
    } else {
        kind.to_string()
    }
}

async fn draw(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let tr = ctx.tr;
    let listed = find(&s, &id).await?;
    let w = s.workflow();
    let p = Province::try_from(listed.province.as_str())
        .map_err(|e| anyhow::anyhow!("draw {id}: stored province: {e}"))?;
    let draw_id = fairpanel_core::types::DrawId::try_from(id.clone())
        .map_err(|e| anyhow::anyhow!("draw id: {e}"))?;
    let entries = w.entries(&draw_id).await?;
    let commit = entries
        .iter()
        .find_map(|e| match &e.body {
            Body::Commit(c) => Some((e, c)),
            _ => None,
        })
        .ok_or_else(|| anyhow::anyhow!("draw {id} has no commit entry"))?;
    let (ce, c) = commit;
    let mut steps = vec![];
    let mut beacon_recorded = false;
    let mut contributions = 0;
    let mut reason = None;
    let mut keys: Vec<KeyRow> = vec![];
    for e in &entries {
        match &e.body {
            Body::Beacon(_) => beacon_recorded = true,
            Body::KeyRegistration(k) => keys.push(KeyRow {
                seq: e.seq,
                role: tr.t(&format!("role-{}", k.role.as_str())),
                fingerprint: k.key.key_id().to_string(),
                signed: vec![],
            }),
            Body::Entropy(x) => {
                contributions += 1;
                if let Some(a) = &x.attestation
                    && let Some(k) = keys
                        .iter_mut()
                        .find(|k| k.fingerprint == a.key.key_id().to_string())
                {
                    k.signed.push(e.seq);
                }
            }
            Body::Void(v) => reason = Some(v.reason.clone()),
            _ => {}
        }
        let kind = kind_of(&e.body);
        steps.push(Step {
            seq: e.seq,
            label: kind_label(&tr, &kind),
            kind,
            time: tr.time(e.time),
            hash: e.hash.to_hex(),
            detail: step_detail(&tr, &e.body),
        });
    }
    // Names only once disclosed: the same summary the API gives.
    let sum = w.summary(&p, &draw_id).await?;
    let seats = |v: &[crate::draws::SeatView]| -> Vec<Seat> {
        v.iter()
            .enumerate()
            .map(|(i, sv)| Seat {
                position: i + 1,
                token: sv.token.clone(),
                specialty: super::coordinator::specialty_label(&tr, &sv.specialty),
                name: sv.name.clone().unwrap_or_default(),
            })
            .collect()
    };
    let mut rules = vec![
        (tr.t("public-rule-panel"), c.spec.panel.to_string()),
        (
            tr.t("public-rule-alternates"),
            c.spec.alternates.to_string(),
        ),
        (
            tr.t("public-rule-org-cap"),
            c.spec
                .org_cap
                .map(|n| n.to_string())
                .unwrap_or_else(|| tr.t("public-rule-none")),
        ),
    ];
    for q in &c.spec.quotas {
        rules.push((
            tr.t1(
                "public-rule-quota",
                "spec",
                super::coordinator::specialty_label(&tr, q.spec.as_str()),
            ),
            q.min.to_string(),
        ));
    }
    let due = c
        .beacon
        .as_ref()
        .map(|b| fairpanel_core::beacon::round_time(b.round))
        .unwrap_or(0);
    let last_seq = entries.last().map(|e| e.seq).unwrap_or(ce.seq);
    let (cosig_size, cosigs) = cosignatures_covering(&s, &tr, last_seq).await?;
    let state = shown_state(&listed).to_string();
    let why = match (&reason, state.as_str()) {
        (Some(r), _) => r.clone(),
        (None, "abandoned") => tr.t("draw-abandoned-why"),
        _ => String::new(),
    };
    page(PublicDraw {
        base: Base::new(tr, ctx.user.as_ref(), &ctx.here, listed.title.clone()),
        id: id.clone(),
        title: listed.title.clone(),
        province: province_name(&tr, &p),
        state_label: tr.t(&format!("draw-state-{state}")),
        live: state == "committed",
        state,
        why,
        reload: RELOAD_SECONDS,
        commit_seq: ce.seq,
        commit_hash: ce.hash.to_hex(),
        commit_time: tr.time(ce.time),
        pool_size: c.pool_size,
        pool_root: c.pool_root.to_hex(),
        excluded: c.excluded.len(),
        secret_commitment: c.secret_commitment.to_hex(),
        rules,
        beacon_round: c.beacon.as_ref().map(|b| b.round),
        beacon_due: if due > 0 { tr.time(due) } else { String::new() },
        beacon_due_unix: due,
        beacon_recorded,
        deadline: tr.time(c.entropy_deadline),
        deadline_unix: c.entropy_deadline,
        now_unix: s.clock.now(),
        last_seq,
        personal_keys: c.personal_keys,
        keys,
        cosig_size,
        cosigs,
        steps,
        contributions,
        panel: seats(&sum.panel),
        alternates: seats(&sum.alternates),
        disclosed: sum.state == "disclosed",
    })
}

// ---------------------------------------------------------------- live

/// The log's size as last read, shared by every live page this process
/// serves: while anyone listens, one task reads `log_head` every [`POLL`]
/// and wakes the streams when it grew. Appends by any instance on the same
/// database show, since the database is what is read.
#[derive(Default)]
pub struct Live {
    tx: OnceLock<Arc<watch::Sender<u64>>>,
    /// Whether the polling task runs; changed only under this lock, together
    /// with the subscriptions, so that a new listener never finds it stopping.
    running: Mutex<bool>,
}

impl Live {
    /// A receiver that changes whenever the log grows.
    pub fn subscribe(self: &Arc<Self>, store: &Store) -> watch::Receiver<u64> {
        let tx = self
            .tx
            .get_or_init(|| Arc::new(watch::channel(0).0))
            .clone();
        let mut running = self.running.lock().expect("live lock");
        let rx = tx.subscribe();
        if !*running {
            *running = true;
            let me = self.clone();
            let store = store.clone();
            tokio::spawn(async move {
                loop {
                    match store.log_size().await {
                        Ok(n) => {
                            tx.send_if_modified(|v| {
                                let grew = *v != n;
                                *v = n;
                                grew
                            });
                        }
                        Err(e) => tracing::warn!(error = %e, "live pages: reading the log head"),
                    }
                    tokio::time::sleep(POLL).await;
                    let mut running = me.running.lock().expect("live lock");
                    if tx.receiver_count() == 0 {
                        *running = false;
                        return;
                    }
                }
            });
        }
        rx
    }
}

#[derive(Deserialize)]
struct After {
    after: Option<u64>,
}

/// One step as the live page receives it.
fn step_event(tr: &Tr, e: &crate::draws::DrawEntry, state: &str) -> Event {
    let kind = kind_of(&e.body);
    let commit = match &e.body {
        Body::Entropy(x) => Some(x.commit.to_hex()),
        Body::Reveal(x) => Some(x.commit.to_hex()),
        Body::Void(x) => Some(x.commit.to_hex()),
        _ => None,
    };
    let data = serde_json::json!({
        "seq": e.seq,
        "kind": kind,
        "label": kind_label(tr, &kind),
        "time": tr.time(e.time),
        "hash": e.hash.to_hex(),
        "detail": step_detail(tr, &e.body),
        "commit": commit,
        "state": state,
    });
    Event::default()
        .event("step")
        .id(e.seq.to_string())
        .data(data.to_string())
}

/// The draw's steps after `after` (the `Last-Event-ID` a reconnecting browser
/// sends, else `?after=`), then each new one as it is appended, as
/// Server-Sent Events with a heartbeat comment every [`HEARTBEAT`].
async fn events(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Query(q): Query<After>,
    headers: HeaderMap,
) -> Result<Response, WebError> {
    let tr = ctx.tr;
    find(&s, &id).await?;
    let draw_id = fairpanel_core::types::DrawId::try_from(id.clone())
        .map_err(|e| anyhow::anyhow!("draw id: {e}"))?;
    let resume = headers
        .get("last-event-id")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    let after = resume.or(q.after);
    let rx = s.live.subscribe(&s.store);
    struct Feed {
        s: AppState,
        tr: Tr,
        id: fairpanel_core::types::DrawId,
        after: Option<u64>,
        rx: watch::Receiver<u64>,
        queue: std::collections::VecDeque<Event>,
        first: bool,
    }
    let feed = Feed {
        s,
        tr,
        id: draw_id,
        after,
        rx,
        queue: Default::default(),
        first: true,
    };
    let stream = futures_util::stream::unfold(feed, |mut f| async move {
        loop {
            if let Some(ev) = f.queue.pop_front() {
                return Some((Ok::<Event, std::convert::Infallible>(ev), f));
            }
            // A service shutting down ends its streams, so that they do not
            // hold its drain to the timeout; the browsers reconnect elsewhere
            // (or here, after the restart) from the last step they have.
            if f.s.draining.load(std::sync::atomic::Ordering::SeqCst) {
                return None;
            }
            if !f.first {
                match tokio::time::timeout(DRAIN_CHECK, f.rx.changed()).await {
                    Ok(Ok(())) => {}
                    Ok(Err(_)) => return None,
                    Err(_) => continue,
                }
            }
            f.first = false;
            let w = f.s.workflow();
            let (entries, listed) = match (w.entries(&f.id).await, w.listed(f.id.as_str()).await) {
                (Ok(e), Ok(Some(l))) => (e, l),
                (Err(e), _) => {
                    tracing::warn!(error = ?e, "live page: reading the draw's entries");
                    continue;
                }
                (_, Err(e)) => {
                    tracing::warn!(error = %e, "live page: reading the draw");
                    continue;
                }
                (_, Ok(None)) => return None,
            };
            let state = shown_state(&listed).to_string();
            for e in entries {
                if f.after.is_none_or(|a| e.seq > a) {
                    f.after = Some(e.seq);
                    f.queue.push_back(step_event(&f.tr, &e, &state));
                }
            }
        }
    });
    let mut res = Sse::new(stream)
        .keep_alive(KeepAlive::new().interval(HEARTBEAT).text("heartbeat"))
        .into_response();
    let h = res.headers_mut();
    h.insert(header::CACHE_CONTROL, "no-store".parse().expect("a header"));
    // nginx: pass each event on at once instead of buffering the stream.
    h.insert("x-accel-buffering", "no".parse().expect("a header"));
    Ok(res)
}

// ---------------------------------------------------------------- the log

pub struct LogRow {
    pub seq: i64,
    pub kind: String,
    pub province: String,
    pub time: String,
    pub draw: String,
    pub hash: String,
}

#[derive(Template)]
#[template(path = "web/public_log.html")]
struct PublicLog {
    base: Base,
    errors: Errors,
    size: u64,
    root: String,
    checkpoint: String,
    key_id: String,
    fingerprint: String,
    key_base64: String,
    key_pem: String,
    origin: String,
    cosig_size: u64,
    cosigs: Vec<CosigRow>,
    rows: Vec<LogRow>,
    start: u64,
    end: u64,
    older: Option<String>,
    newer: Option<String>,
}

#[derive(Deserialize, Default)]
struct LogRange {
    #[serde(default)]
    start: String,
    #[serde(default)]
    end: String,
}

/// Entries per page of the public log.
pub const LOG_PAGE: u64 = 100;

/// The key's fingerprint: SHA-256 of its 32 bytes, hex in groups of four, to
/// read aloud or compare with one published elsewhere.
pub fn fingerprint(key: &fairpanel_core::PublicKey) -> String {
    let h = fairpanel_core::hash::sha256(&key.to_bytes()).to_hex();
    h.as_bytes()
        .chunks(4)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The newest checkpoint, entries `start..end` (the newest hundred by
/// default), and the instance's public key with its key id and fingerprint.
async fn log(
    State(s): State<AppState>,
    ctx: Ctx,
    Query(q): Query<LogRange>,
) -> Result<Response, WebError> {
    let tr = ctx.tr;
    let mut errors = Errors::default();
    let size = s.store.log_size().await?;
    let num = |errors: &mut Errors, field: &str, v: &str| -> Option<u64> {
        let v = v.trim();
        if v.is_empty() {
            return None;
        }
        match v.parse::<u64>() {
            Ok(n) if n <= size => Some(n),
            _ => {
                errors.add(field, tr.t1("public-log-bad-seq", "size", size));
                None
            }
        }
    };
    let start = num(&mut errors, "start", &q.start);
    let end = num(&mut errors, "end", &q.end);
    let (start, end) = match (start, end) {
        (Some(a), Some(b)) if b < a => {
            errors.add("end", tr.t("public-log-bad-range"));
            (a, a)
        }
        (Some(a), Some(b)) => (a, b.min(a + LOG_PAGE)),
        (Some(a), None) => (a, (a + LOG_PAGE).min(size)),
        (None, Some(b)) => (b.saturating_sub(LOG_PAGE), b),
        (None, None) => (size.saturating_sub(LOG_PAGE), size),
    };
    /// seq, kind, province, time, draw, hash.
    type Row = (i64, String, Option<String>, i64, Option<String>, Vec<u8>);
    let rows: Vec<Row> = if errors.is_empty() {
        crate::with_pool!(&s.store, pool => sqlx::query_as(
            "SELECT seq, kind, province, time, draw, hash FROM log_entries WHERE seq >= $1 AND seq < $2 ORDER BY seq DESC")
            .bind(start as i64)
            .bind(end as i64)
            .fetch_all(pool)
            .await?)
    } else {
        vec![]
    };
    let (checkpoint, root) = match s.store.latest_checkpoint().await? {
        Some((_, text)) => {
            let root = text.lines().nth(2).unwrap_or_default().to_string();
            (text, root)
        }
        None => (String::new(), String::new()),
    };
    let (cosig_size, cosigs) = cosignatures_covering(&s, &tr, 0).await?;
    let pk = s.key.public();
    let failed = !errors.is_empty();
    let mut r = page(PublicLog {
        cosig_size,
        cosigs,
        base: Base::new(tr, ctx.user.as_ref(), &ctx.here, tr.t("public-log-title")),
        errors,
        size,
        root,
        checkpoint,
        key_id: pk.key_id().to_string(),
        fingerprint: fingerprint(&pk),
        key_base64: pk.to_base64(),
        key_pem: pk.to_pem(),
        origin: s.origin.to_string(),
        rows: rows
            .into_iter()
            .map(|r| LogRow {
                seq: r.0,
                kind: kind_label(&tr, &r.1),
                province: r
                    .2
                    .and_then(|c| Province::try_from(c.as_str()).ok())
                    .map(|p| province_name(&tr, &p))
                    .unwrap_or_default(),
                time: tr.time(r.3.max(0) as u64),
                draw: r.4.unwrap_or_default(),
                hash: hex::encode(&r.5),
            })
            .collect(),
        start,
        end,
        older: (start > 0).then(|| {
            format!(
                "/public/log?start={}&end={start}",
                start.saturating_sub(LOG_PAGE)
            )
        }),
        newer: (end < size)
            .then(|| format!("/public/log?start={end}&end={}", (end + LOG_PAGE).min(size))),
    })?;
    if failed {
        *r.status_mut() = axum::http::StatusCode::BAD_REQUEST;
    }
    Ok(r)
}

// ---------------------------------------------------------------- verify

/// One check the verifier runs, with what it proves and what it does not.
pub struct CheckRow {
    pub name: String,
    pub proves: String,
    pub not: String,
}

#[derive(Template)]
#[template(path = "web/public_verify.html")]
struct PublicVerify {
    base: Base,
    draw: String,
    checks: Vec<CheckRow>,
    limits: Vec<String>,
}

#[derive(Deserialize, Default)]
struct VerifyQuery {
    #[serde(default)]
    draw: String,
}

/// The verification page: the bundle from a file or from this server, the
/// key pinned by the visitor, one line per check; the checking runs in the
/// visitor's browser and sends nothing anywhere.
async fn verify(ctx: Ctx, Query(q): Query<VerifyQuery>) -> Result<Response, WebError> {
    let tr = ctx.tr;
    let draw = q.draw.trim();
    let draw = if fairpanel_core::types::DrawId::try_from(draw.to_string()).is_ok() {
        draw.to_string()
    } else {
        String::new()
    };
    page(PublicVerify {
        base: Base::new(tr, ctx.user.as_ref(), &ctx.here, tr.t("verify-title")),
        draw,
        checks: fairpanel_core::verify::CHECKS
            .iter()
            .map(|c| CheckRow {
                name: c.to_string(),
                proves: tr.t(&format!("check-{c}-proves")),
                not: tr.t(&format!("check-{c}-not")),
            })
            .collect(),
        limits: (1..=fairpanel_core::verify::LIMITS.len())
            .map(|i| tr.t(&format!("verify-limit-{i}")))
            .collect(),
    })
}
