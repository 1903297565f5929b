//! Protocol 1.6 in the service: replacing a lost personal key.
//!
//! A supervisor or seated expert whose registered key is lost asks for a
//! replacement from their own account: the request (the new public key and
//! the key_registration it would become, `replaces` naming their current
//! key) waits in `key_requests`. Another supervisor of the draw, with their
//! own current key there, signs the registration's replacement message
//! (`entry::replacement_message`) in the browser or with `fairpanel
//! approve-key`; only then is the registration, approval included, appended
//! to the log. Everything that decides whether a key is current is read
//! inside the write transaction, and every signature check made before a
//! write is confirmed there against the key that is current when it commits
//! ([`scorer_key_still_current!`]), so a replacement can never let an entry
//! signed with the old key in after it.

use crate::draws::{DrawError, Workflow, person_token};
use crate::store::log::{NewEntry, append_in};
use crate::store::rounds::{Round, RoundState};
use crate::with_pool;
use base64::Engine;
use fairpanel_core::entry::{self, Body, KeyRegistration, Role};
use fairpanel_core::hash::Hash32;
use fairpanel_core::keys::PublicKey;
use fairpanel_core::types::{DrawId, Province};

type R<T> = Result<T, DrawError>;

/// A pending request to replace a person's key in a draw.
#[derive(Clone, Debug)]
pub struct KeyRequest {
    pub id: i64,
    pub draw: String,
    /// Who asked: their own account.
    pub account: i64,
    pub requested_at: u64,
    /// The key_registration it becomes once approved (without `approval`).
    pub registration: KeyRegistration,
}

impl KeyRequest {
    /// The exact message an approving supervisor's key signs.
    pub fn message(&self) -> Vec<u8> {
        entry::replacement_message(&self.registration)
    }
}

/// A draw's key registrations, in log order, from their stored bytes.
pub fn parse_registrations(rows: Vec<(i64, Vec<u8>)>) -> Vec<(u64, KeyRegistration)> {
    rows.into_iter()
        .filter_map(|(seq, b)| match entry::parse(&b).map(|x| x.body) {
            Ok(Body::KeyRegistration(r)) => Some((seq as u64, r)),
            _ => None,
        })
        .collect()
}

/// The person's current key in the draw (the latest registration naming
/// them; protocol 1.6), with its role and seq.
pub fn current_key(
    regs: &[(u64, KeyRegistration)],
    person: &Hash32,
) -> Option<(PublicKey, Role, u64)> {
    regs.iter()
        .rev()
        .find(|(_, r)| r.person == *person)
        .map(|(seq, r)| (r.key, r.role, *seq))
}

/// Inside a write transaction `$tx`: the key registrations of draw `$draw`,
/// as [`parse_registrations`] gives them.
#[macro_export]
macro_rules! registrations_in {
    ($tx:expr, $draw:expr) => {{
        let rows: Vec<(i64, Vec<u8>)> = sqlx::query_as(
            "SELECT seq, bytes FROM log_entries WHERE draw = $1 AND kind = 'key_registration' ORDER BY seq",
        )
        .bind($draw.to_string())
        .fetch_all(&mut *$tx)
        .await?;
        $crate::key_replace::parse_registrations(rows)
    }};
}

/// Inside a write transaction `$tx`: when `$body` (a sheet_commit, recusal
/// or pledge) carries a scorer's signature checked against their key in
/// draw `$draw` (an `Option<DrawId>`, as [`Workflow::expert_signed`] gives
/// it), refuses it unless that key is still the scorer's current one: a
/// replacement approved between the check and this transaction retires it.
#[macro_export]
macro_rules! scorer_key_still_current {
    ($tx:expr, $draw:expr, $body:expr) => {
        if let (Some(draw), Some((scorer, Some(a)))) = (
            $draw,
            fairpanel_core::entry::scorer_signature($body),
        ) {
            let regs = $crate::registrations_in!($tx, draw);
            match $crate::key_replace::current_key(&regs, &scorer.0) {
                Some((k, _, _)) if k == a.key => {}
                _ => {
                    return Err($crate::draws::DrawError::Conflict(format!(
                        "your personal key in draw {draw} was replaced; sign again with your current key"
                    )));
                }
            }
        }
    };
}

type RequestRow = (i64, String, i64, i64, String);

fn request_of(row: RequestRow) -> R<KeyRequest> {
    let (id, draw, account, at, reg) = row;
    let registration: KeyRegistration = serde_json::from_str(&reg)
        .map_err(|e| anyhow::anyhow!("stored key request {id} does not parse: {e}"))?;
    Ok(KeyRequest {
        id,
        draw,
        account,
        requested_at: at as u64,
        registration,
    })
}

fn supervisor_label(account: i64) -> String {
    format!("supervisor-{account}")
}

fn parse_key(w: &Workflow<'_>, key_b64: &str) -> R<PublicKey> {
    let key = PublicKey::parse(key_b64.trim()).map_err(|_| {
        DrawError::Invalid("key must be a base64 Ed25519 public key (44 characters)".into())
    })?;
    if key == w.key.public() {
        return Err(DrawError::Invalid(
            "a personal key must not be the log's own key".into(),
        ));
    }
    Ok(key)
}

impl Workflow<'_> {
    /// A supervisor asks to replace their lost key in draw `id` with `key`
    /// (base64): a pending request, approved by another supervisor.
    pub async fn request_supervisor_key(
        &self,
        p: &Province,
        id: &str,
        account: i64,
        key_b64: &str,
    ) -> R<KeyRequest> {
        let key = parse_key(self, key_b64)?;
        let d = self.load(p, id).await?;
        if d.state == "void" {
            return Err(DrawError::Conflict(format!(
                "draw {id} is void; no key is registered in it"
            )));
        }
        let person = person_token(&d.id, &supervisor_label(account));
        self.request_key(p, &d.id, person, Role::Supervisor, account, key)
            .await
    }

    /// A seated expert asks to replace their lost key in the round's panel
    /// draw with `key` (base64).
    pub async fn request_expert_key(
        &self,
        r: &Round,
        expert: &str,
        account: i64,
        key_b64: &str,
    ) -> R<KeyRequest> {
        if matches!(r.state, RoundState::Closed | RoundState::Reported) {
            return Err(DrawError::Conflict(format!(
                "round {} is {}; keys are registered before it closes",
                r.id,
                r.state.as_str()
            )));
        }
        let key = parse_key(self, key_b64)?;
        let ek = self.expert_key(r, expert).await?;
        self.request_key(
            &r.province,
            &ek.draw,
            ek.token.0,
            Role::Expert,
            account,
            key,
        )
        .await
    }

    async fn request_key(
        &self,
        p: &Province,
        draw: &DrawId,
        person: Hash32,
        role: Role,
        account: i64,
        key: PublicKey,
    ) -> R<KeyRequest> {
        let id = draw.to_string();
        with_pool!(self.store, pool => {
            let mut tx = self.store.begin_write(pool).await?;
            let t = crate::draws::log_time(&mut tx, self.clock).await?;
            let state: Option<(String,)> = sqlx::query_as("SELECT state FROM draws WHERE id = $1")
                .bind(id.clone())
                .fetch_optional(&mut *tx)
                .await?;
            if state.as_ref().is_some_and(|s| s.0 == "void") {
                return Err(DrawError::Conflict(format!("draw {id} is void; no key is registered in it")));
            }
            let regs = crate::registrations_in!(tx, id);
            let Some((current, _, _)) = current_key(&regs, &person) else {
                return Err(DrawError::Conflict(format!(
                    "you have no registered key in draw {id} to replace; register one instead"
                )));
            };
            if regs.iter().any(|(_, r)| r.key == key) {
                return Err(DrawError::Conflict(format!("this key is already registered in draw {id}")));
            }
            let registration = KeyRegistration {
                approval: None,
                draw: draw.clone(),
                key,
                person,
                replaces: Some(current.key_id()),
                role,
            };
            let json = String::from_utf8(fairpanel_core::jcs::encode(&registration))
                .map_err(|e| anyhow::anyhow!(e))?;
            sqlx::query("UPDATE key_requests SET state = 'superseded' WHERE draw_id = $1 AND person = $2 AND state = 'pending'")
                .bind(id.clone())
                .bind(person.to_hex())
                .execute(&mut *tx)
                .await?;
            let (rid,): (i64,) = sqlx::query_as(
                "INSERT INTO key_requests (province, draw_id, role, person, account_id, registration, state, requested_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, 'pending', $7) RETURNING id")
                .bind(p.as_str().to_string())
                .bind(id.clone())
                .bind(role.as_str())
                .bind(person.to_hex())
                .bind(account)
                .bind(json)
                .bind(t as i64)
                .fetch_one(&mut *tx)
                .await?;
            tx.commit().await?;
            Ok(KeyRequest { id: rid, draw: id, account, requested_at: t, registration })
        })
    }

    /// The draw's pending key replacement requests, oldest first.
    pub async fn key_requests(&self, p: &Province, id: &str) -> R<Vec<KeyRequest>> {
        let d = self.load(p, id).await?;
        let rows: Vec<RequestRow> = with_pool!(self.store, pool => sqlx::query_as(
            "SELECT id, draw_id, account_id, requested_at, registration FROM key_requests \
             WHERE draw_id = $1 AND province = $2 AND state = 'pending' ORDER BY id")
            .bind(d.id.to_string())
            .bind(p.as_str().to_string())
            .fetch_all(pool)
            .await?);
        rows.into_iter().map(request_of).collect()
    }

    /// The pending request `account` made in draw `id`, if any.
    pub async fn my_key_request(&self, draw: &DrawId, account: i64) -> R<Option<KeyRequest>> {
        let row: Option<RequestRow> = with_pool!(self.store, pool => sqlx::query_as(
            "SELECT id, draw_id, account_id, requested_at, registration FROM key_requests \
             WHERE draw_id = $1 AND account_id = $2 AND state = 'pending' ORDER BY id DESC LIMIT 1")
            .bind(draw.to_string())
            .bind(account)
            .fetch_optional(pool)
            .await?);
        row.map(request_of).transpose()
    }

    /// Supervisor `account` approves request `request` of draw `id` with
    /// `signature` (base64), their current key's signature over the
    /// request's replacement message: appends the key_registration with
    /// the approval and returns its seq. Refused, writing nothing, when the
    /// approver has no current supervisor key in the draw, is the person
    /// whose key is replaced, signs wrongly, or when the person's key has
    /// changed since they asked.
    pub async fn approve_key_request(
        &self,
        p: &Province,
        id: &str,
        request: i64,
        account: i64,
        signature: &str,
    ) -> R<u64> {
        let d = self.load(p, id).await?;
        let sig = base64::engine::general_purpose::STANDARD
            .decode(signature.trim())
            .ok()
            .filter(|b| b.len() == 64)
            .ok_or_else(|| DrawError::Invalid("signature must be base64 of 64 bytes".into()))?;
        let approver = person_token(&d.id, &supervisor_label(account));
        with_pool!(self.store, pool => {
            let mut tx = self.store.begin_write(pool).await?;
            let t = crate::draws::log_time(&mut tx, self.clock).await?;
            let row: Option<(i64, String, i64, i64, String, String)> = sqlx::query_as(
                "SELECT id, draw_id, account_id, requested_at, registration, state FROM key_requests \
                 WHERE id = $1 AND draw_id = $2 AND province = $3")
                .bind(request)
                .bind(id.to_string())
                .bind(p.as_str().to_string())
                .fetch_optional(&mut *tx)
                .await?;
            let Some((rid, draw, acc, at, reg, state)) = row else {
                return Err(DrawError::NotFound(format!("no key request {request} in draw {id}")));
            };
            if state != "pending" {
                return Err(DrawError::Conflict(format!("key request {request} is {state}")));
            }
            let mut req = request_of((rid, draw, acc, at, reg))?;
            let dstate: (String,) = sqlx::query_as("SELECT state FROM draws WHERE id = $1")
                .bind(id.to_string())
                .fetch_one(&mut *tx)
                .await?;
            if dstate.0 == "void" {
                return Err(DrawError::Conflict(format!("draw {id} is void; no key is registered in it")));
            }
            let r = &mut req.registration;
            if r.person == approver {
                return Err(DrawError::Invalid(
                    "nobody approves the replacement of their own key; another supervisor of the draw must".into(),
                ));
            }
            let regs = crate::registrations_in!(tx, id);
            let key = match current_key(&regs, &approver) {
                Some((k, Role::Supervisor, _)) => k,
                _ => {
                    return Err(DrawError::Invalid(format!(
                        "register your personal key for draw {id} before approving a key replacement"
                    )));
                }
            };
            let now = current_key(&regs, &r.person).map(|(k, _, _)| k.key_id());
            if now != r.replaces {
                return Err(DrawError::Conflict(format!(
                    "key request {request} replaces a key that is no longer the person's current one; they must ask again"
                )));
            }
            if regs.iter().any(|(_, x)| x.key == r.key) {
                return Err(DrawError::Conflict(format!("this key is already registered in draw {id}")));
            }
            if key.verify(&entry::replacement_message(r), &sig).is_err() {
                return Err(DrawError::Invalid(format!(
                    "the approval does not verify with your registered key {}",
                    key.key_id()
                )));
            }
            r.approval = Some(entry::Attestation {
                key,
                sig: base64::engine::general_purpose::STANDARD.encode(&sig),
            });
            let body = Body::KeyRegistration(req.registration.clone());
            let a = append_in(&mut tx, self.key, self.origin, &[NewEntry { time: t, province: Some(p.clone()), body }]).await?[0];
            sqlx::query("UPDATE key_requests SET state = 'approved', approved_by = $1, seq = $2 WHERE id = $3")
                .bind(account)
                .bind(a.seq as i64)
                .bind(request)
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
            Ok(a.seq)
        })
    }
}
