//! The supervisor's pages: the draws of their province with their live state,
//! the entropy contribution (a value typed, or one made in the browser), and
//! the province's log entries (overrides, reopenings and every other step).
//! The draw's own page is shared with the coordinator (`coordinator.rs`).

use super::{Base, User, WebError, confirmed, page};
use crate::http::AppState;
use crate::http::auth::Role;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use fairpanel_core::hash::Hash32;
use serde::Deserialize;
use sha2::{Digest, Sha256};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/p/{p}/watch", get(watch))
        .route("/p/{p}/draws/{d}/entropy", post(contribute))
        .route("/p/{p}/draws/{d}/key", post(register_key))
        .route("/p/{p}/draws/{d}/key/replace", post(replace_key))
        .route(
            "/p/{p}/draws/{d}/key-requests/{q}/approve",
            post(approve_key),
        )
        .route("/p/{p}/log", get(log))
}

#[derive(Template)]
#[template(path = "web/watch.html")]
struct Watch {
    base: Base,
    p: String,
    draws: Vec<super::public::DrawRow>,
    exceptions: Vec<Exception>,
}

/// A departure from the ordinary course a supervisor should see: a screen
/// override, a sheet reopened, or a recusal.
pub struct Exception {
    pub round_id: i64,
    pub round: String,
    /// `override`, `reopen` or `recuse`.
    pub kind: String,
    pub kind_label: String,
    pub application: String,
    /// The expert whose sheet it was (empty for an override).
    pub expert: String,
    pub reason: String,
    pub at: String,
}

/// An exception row: round id and title, kind, application, expert, reason,
/// time.
type ExceptionRow = (i64, String, String, String, String, Option<String>, i64);

/// The province's overrides, reopenings, recusals and unlocks of locked
/// rounds, newest first (at most 200).
async fn exceptions(
    s: &AppState,
    tr: &super::Tr,
    p: &fairpanel_core::types::Province,
) -> Result<Vec<Exception>, WebError> {
    let rows: Vec<ExceptionRow> = crate::with_pool!(&s.store, pool =>
        sqlx::query_as(
            "SELECT r.id, r.title, 'override', o.ref_no, '', o.reason, o.at FROM screen_overrides o JOIN rounds r ON r.id = o.round_id WHERE r.province = $1 \
             UNION ALL \
             SELECT r.id, r.title, h.action, h.ref_no, h.expert_id, h.reason, h.at FROM sheet_history h JOIN rounds r ON r.id = h.round_id \
             WHERE r.province = $1 AND h.action IN ('reopen', 'recuse') \
             UNION ALL \
             SELECT r.id, r.title, e.action, '', '', e.reason, e.at FROM round_events e JOIN rounds r ON r.id = e.round_id \
             WHERE r.province = $1 AND e.action = 'unlock' \
             ORDER BY 7 DESC LIMIT 200")
        .bind(p.as_str().to_string())
        .fetch_all(pool)
        .await)?;
    Ok(rows
        .into_iter()
        .map(
            |(round_id, round, kind, application, expert, reason, at)| Exception {
                round_id,
                round,
                kind_label: tr.t(&format!("exception-{kind}")),
                kind,
                application,
                expert,
                reason: reason.unwrap_or_default(),
                at: tr.time(at.max(0) as u64),
            },
        )
        .collect())
}

async fn watch(
    State(s): State<AppState>,
    u: User,
    Path(code): Path<String>,
) -> Result<Response, WebError> {
    let p = u.province(&code)?;
    u.require(&[Role::Admin, Role::Coordinator, Role::Supervisor])?;
    let mut draws: Vec<_> = s
        .workflow()
        .list(Some(&p))
        .await?
        .into_iter()
        .map(|d| super::public::draw_row(&u.tr, d))
        .collect();
    draws.reverse();
    page(Watch {
        base: u.base(u.tr.t("watch-title")),
        p: p.as_str().to_string(),
        draws,
        exceptions: exceptions(&s, &u.tr, &p).await?,
    })
}

#[derive(Deserialize)]
struct EntropyForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    value: String,
    /// Protocol 1.4: the base64 signature the browser made with the
    /// supervisor's personal key (empty without one).
    #[serde(default)]
    signature: String,
}

/// A personal key's registration form (a supervisor's in a draw, an
/// expert's in a round).
#[derive(Deserialize)]
pub(super) struct KeyForm {
    #[serde(default)]
    pub(super) csrf: String,
    /// The public key (base64), made in the browser or by `fairpanel keygen`.
    #[serde(default)]
    pub(super) key: String,
}

/// Protocol 1.4: registers the supervisor's personal key (public half only)
/// in the draw, then shows the draw's page with its fingerprint.
async fn register_key(
    State(s): State<AppState>,
    u: User,
    Path((code, id)): Path<(String, String)>,
    Form(f): Form<KeyForm>,
) -> Result<Response, WebError> {
    key_form(&s, &u, &code, &id, &f, false).await
}

/// Protocol 1.6: the supervisor asks for a new key to replace their lost one
/// in the draw; the draw's page then shows the request waiting.
async fn replace_key(
    State(s): State<AppState>,
    u: User,
    Path((code, id)): Path<(String, String)>,
    Form(f): Form<KeyForm>,
) -> Result<Response, WebError> {
    key_form(&s, &u, &code, &id, &f, true).await
}

/// The supervisor's key form, a first key or a replacement's request: back
/// to the draw's page, with the refusal under the form.
async fn key_form(
    s: &AppState,
    u: &User,
    code: &str,
    id: &str,
    f: &KeyForm,
    replace: bool,
) -> Result<Response, WebError> {
    let p = u.province(code)?;
    u.require(&[Role::Supervisor])?;
    u.check_csrf(&f.csrf)?;
    let w = s.workflow();
    let done = if replace {
        w.request_supervisor_key(&p, id, u.caller.account_id, &f.key)
            .await
            .map(|_| ())
    } else {
        let label = format!("supervisor-{}", u.caller.account_id);
        w.register_key(
            &p,
            id,
            &label,
            fairpanel_core::entry::Role::Supervisor,
            &f.key,
        )
        .await
        .map(|_| ())
    };
    match done {
        Ok(()) => Ok(
            axum::response::Redirect::to(&format!("/p/{p}/draws/{id}#personal-key"))
                .into_response(),
        ),
        Err(e) => {
            let m = super::refusal(&u.tr, e)?;
            super::draw::draw_with_error(s, u, &p, id, "key", m).await
        }
    }
}

#[derive(Deserialize)]
struct ApproveForm {
    #[serde(default)]
    csrf: String,
    /// The approval: the supervisor's signature (base64), made in the browser.
    #[serde(default)]
    signature: String,
}

/// Protocol 1.6: a supervisor approves another person's key replacement
/// with the signature their browser made over the request's message.
async fn approve_key(
    State(s): State<AppState>,
    u: User,
    Path((code, id, q)): Path<(String, String, i64)>,
    Form(f): Form<ApproveForm>,
) -> Result<Response, WebError> {
    let p = u.province(&code)?;
    u.require(&[Role::Supervisor])?;
    u.check_csrf(&f.csrf)?;
    match s
        .workflow()
        .approve_key_request(&p, &id, q, u.caller.account_id, &f.signature)
        .await
    {
        Ok(seq) => {
            confirmed(
                &s,
                &u,
                u.tr.t("key-request-approved-note"),
                seq,
                format!("/p/{p}/draws/{id}"),
                u.tr.t("back-to-draw"),
            )
            .await
        }
        Err(e @ (crate::draws::DrawError::Invalid(_) | crate::draws::DrawError::Conflict(_))) => {
            let m = super::refusal(&u.tr, e)?;
            super::draw::draw_with_error(&s, &u, &p, &id, "approve", m).await
        }
        Err(e) => Err(e.into()),
    }
}

/// The contribution: 64 hexadecimal characters are taken as they are; any
/// other text of at least 8 characters is hashed (SHA-256) into the 32 bytes.
pub fn contribution_value(typed: &str) -> Option<Hash32> {
    let t = typed.trim();
    if let Ok(h) = Hash32::from_hex(t) {
        return Some(h);
    }
    (t.chars().count() >= 8).then(|| {
        let d: [u8; 32] = Sha256::digest(t.as_bytes()).into();
        Hash32(d)
    })
}

async fn contribute(
    State(s): State<AppState>,
    u: User,
    Path((code, id)): Path<(String, String)>,
    Form(f): Form<EntropyForm>,
) -> Result<Response, WebError> {
    let p = u.province(&code)?;
    u.require(&[Role::Supervisor])?;
    u.check_csrf(&f.csrf)?;
    let Some(value) = contribution_value(&f.value) else {
        return super::draw::draw_with_error(&s, &u, &p, &id, "value", u.tr.t("entropy-bad-value"))
            .await;
    };
    let label = format!("supervisor-{}", u.caller.account_id);
    let signature = Some(f.signature.trim()).filter(|x| !x.is_empty());
    let seq = match s
        .workflow()
        .contribute_signed(&p, &id, &label, value, signature)
        .await
    {
        Ok(seq) => seq,
        Err(e @ crate::draws::DrawError::Invalid(_)) => {
            let m = super::refusal(&u.tr, e)?;
            return super::draw::draw_with_error(&s, &u, &p, &id, "value", m).await;
        }
        Err(e) => return Err(e.into()),
    };
    confirmed(
        &s,
        &u,
        u.tr.t("entropy-recorded"),
        seq,
        format!("/p/{p}/draws/{id}"),
        u.tr.t("back-to-draw"),
    )
    .await
}

pub struct LogRow {
    pub seq: i64,
    pub kind: String,
    pub time: String,
    pub draw: String,
    pub hash: String,
}

#[derive(Template)]
#[template(path = "web/log.html")]
struct Log {
    base: Base,
    rows: Vec<LogRow>,
    older: Option<String>,
}

#[derive(Deserialize)]
struct Before {
    before: Option<i64>,
}

/// The province's log entries, newest first, 100 a page.
async fn log(
    State(s): State<AppState>,
    u: User,
    Path(code): Path<String>,
    Query(b): Query<Before>,
) -> Result<Response, WebError> {
    let p = u.province(&code)?;
    u.require(&[Role::Admin, Role::Coordinator, Role::Supervisor])?;
    let before = b.before.unwrap_or(i64::MAX).max(0);
    /// seq, kind, time, draw, hash.
    type Row = (i64, String, i64, Option<String>, Vec<u8>);
    let rows: Vec<Row> = crate::with_pool!(&s.store, pool => sqlx::query_as(
        "SELECT seq, kind, time, draw, hash FROM log_entries WHERE province = $1 AND seq < $2 ORDER BY seq DESC LIMIT 100")
        .bind(p.as_str().to_string())
        .bind(before)
        .fetch_all(pool)
        .await?);
    let older = (rows.len() == 100)
        .then(|| rows.last().map(|r| format!("/p/{p}/log?before={}", r.0)))
        .flatten();
    page(Log {
        base: u.base(u.tr.t("log-title")),
        rows: rows
            .into_iter()
            .map(|r| LogRow {
                seq: r.0,
                kind: u.tr.t(&format!("entry-{}", r.1)),
                time: u.tr.time(r.2 as u64),
                draw: r.3.unwrap_or_default(),
                hash: hex::encode(&r.4),
            })
            .collect(),
        older,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_contribution_is_hex_as_typed_or_the_hash_of_the_text() {
        let hex64 = "ab".repeat(32);
        assert_eq!(contribution_value(&hex64).unwrap().to_hex(), hex64);
        let h = contribution_value("今天天气很好，抽签开始").unwrap();
        assert_eq!(
            h.to_hex(),
            hex::encode(Sha256::digest("今天天气很好，抽签开始".as_bytes()))
        );
        assert!(contribution_value("short").is_none());
    }
}
