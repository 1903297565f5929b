//! Protocol 1.5: experts' personal keys. A seated expert registers their own
//! Ed25519 key in the round's panel draw (a key_registration entry, role
//! `expert`, person = their pool token), from their own account only; when
//! that draw's commit requires personal keys, every sheet_commit, recusal
//! and pledge of theirs must carry their signature over the entry's body
//! (`entry::scorer_message`), checked here against the registered key
//! before anything is written. The public half only ever reaches us.

use crate::draws::{DrawError, Workflow};
use crate::store::log::{NewEntry, append_in};
use crate::store::rounds::{Round, RoundState};
use crate::with_pool;
use base64::Engine;
use fairpanel_core::entry::{self, Body};
use fairpanel_core::keys::PublicKey;
use fairpanel_core::types::{DrawId, Token};

type R<T> = Result<T, DrawError>;

/// An expert's key in the round's panel draw.
#[derive(Clone, Debug)]
pub struct ExpertKey {
    /// The panel's draw, where the key is registered.
    pub draw: DrawId,
    /// The expert's pool token in that draw.
    pub token: Token,
    /// The draw's commit requires personal keys.
    pub required: bool,
    /// The registered key and its registration's seq.
    pub key: Option<(PublicKey, u64)>,
}

/// What the log says about a draw's personal keys: whether its commit
/// requires them, and its registrations with their seq.
async fn draw_keys(w: &Workflow<'_>, draw: &str) -> R<(bool, Vec<(u64, entry::KeyRegistration)>)> {
    let rows: Vec<(i64, Vec<u8>)> = with_pool!(w.store, pool => sqlx::query_as(
        "SELECT seq, bytes FROM log_entries WHERE draw = $1 AND kind IN ('commit', 'key_registration') ORDER BY seq")
        .bind(draw.to_string())
        .fetch_all(pool)
        .await?);
    let mut required = false;
    let mut regs = Vec::new();
    for (seq, b) in rows {
        match entry::parse(&b).map(|x| x.body) {
            Ok(Body::Commit(c)) => required = c.personal_keys,
            Ok(Body::KeyRegistration(r)) => regs.push((seq as u64, r)),
            _ => {}
        }
    }
    Ok((required, regs))
}

/// Whether the draw's commit requires personal keys (protocol 1.4).
async fn commit_requires_keys(w: &Workflow<'_>, draw: &str) -> R<bool> {
    let row: Option<(Vec<u8>,)> = with_pool!(w.store, pool => sqlx::query_as(
        "SELECT bytes FROM log_entries WHERE draw = $1 AND kind = 'commit' ORDER BY seq LIMIT 1")
        .bind(draw.to_string())
        .fetch_optional(pool)
        .await?);
    Ok(matches!(
        row.map(|(b,)| entry::parse(&b).map(|x| x.body)),
        Some(Ok(Body::Commit(c))) if c.personal_keys
    ))
}

fn expert_key_of(
    regs: &[(u64, entry::KeyRegistration)],
    token: &Token,
) -> Option<(PublicKey, u64)> {
    // Protocol 1.6: the latest registration is the current key (an approved
    // replacement retires the earlier one).
    crate::key_replace::current_key(regs, &token.0)
        .filter(|(_, role, _)| *role == entry::Role::Expert)
        .map(|(k, _, seq)| (k, seq))
}

impl Workflow<'_> {
    /// The round's panel draw: fixed when scoring opened, else the draw
    /// whose panel would score it now.
    async fn panel_draw(&self, r: &Round) -> R<DrawId> {
        let fixed: (Option<String>,) = with_pool!(self.store, pool => sqlx::query_as(
            "SELECT panel_draw FROM rounds WHERE id = $1")
            .bind(r.id)
            .fetch_one(pool)
            .await?);
        match fixed.0 {
            Some(id) => DrawId::try_from(id).map_err(|e| DrawError::Internal(anyhow::anyhow!(e))),
            None => Ok(self.panel_of(r).await?.0),
        }
    }

    /// `expert`'s key in the round's panel draw (protocol 1.5); NotFound
    /// when they are not seated on the round's panel.
    pub async fn expert_key(&self, r: &Round, expert: &str) -> R<ExpertKey> {
        let (draw, members) = self.panel_of(r).await?;
        let token = crate::scores::seat_of(members, expert)?;
        let (required, regs) = draw_keys(self, draw.as_str()).await?;
        Ok(ExpertKey {
            key: expert_key_of(&regs, &token),
            draw,
            token,
            required,
        })
    }

    /// Protocol 1.5: registers the seated `expert`'s own Ed25519 key
    /// (base64) in the round's panel draw; returns its seq and fingerprint.
    /// One key per expert and draw, never the log's own key, never in a
    /// voided draw or a closed round.
    pub async fn register_expert_key(
        &self,
        r: &Round,
        expert: &str,
        key_b64: &str,
    ) -> R<(u64, String)> {
        if matches!(r.state, RoundState::Closed | RoundState::Reported) {
            return Err(DrawError::Conflict(format!(
                "round {} is {}; keys are registered before it closes",
                r.id,
                r.state.as_str()
            )));
        }
        let key = PublicKey::parse(key_b64.trim()).map_err(|_| {
            DrawError::Invalid("key must be a base64 Ed25519 public key (44 characters)".into())
        })?;
        if key == self.key.public() {
            return Err(DrawError::Invalid(
                "a personal key must not be the log's own key".into(),
            ));
        }
        let ek = self.expert_key(r, expert).await?;
        let id = ek.draw.to_string();
        let fingerprint = key.key_id().to_string();
        let body = Body::KeyRegistration(entry::KeyRegistration {
            approval: None,
            replaces: None,
            draw: ek.draw.clone(),
            key,
            person: ek.token.0,
            role: entry::Role::Expert,
        });
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
            let rows: Vec<(Vec<u8>,)> = sqlx::query_as("SELECT bytes FROM log_entries WHERE draw = $1 AND kind = 'key_registration'")
                .bind(id.clone())
                .fetch_all(&mut *tx)
                .await?;
            for (b,) in &rows {
                if let Ok(Body::KeyRegistration(x)) = entry::parse(b).map(|x| x.body) {
                    if x.person == ek.token.0 {
                        return Err(DrawError::Conflict(format!("you already have a registered key in draw {id}")));
                    }
                    if x.key == key {
                        return Err(DrawError::Conflict(format!("this key is already registered in draw {id}")));
                    }
                }
            }
            let a = append_in(&mut tx, self.key, self.origin, &[NewEntry { time: t, province: Some(r.province.clone()), body }]).await?[0];
            tx.commit().await?;
            Ok((a.seq, fingerprint))
        })
    }

    /// Protocol 1.5: puts the scorer's `signature` (base64) on `body` (a
    /// sheet_commit, recusal or pledge of round `r`) after checking it
    /// against the key registered to the body's scorer in the round's
    /// panel draw. Refuses an unsigned body when that draw requires
    /// personal keys; a body without a signature stays unsigned otherwise.
    /// Returns the draw whose key signed it, for the write transaction to
    /// confirm that key is still current ([`crate::scorer_key_still_current!`]).
    pub async fn expert_signed(
        &self,
        r: &Round,
        body: &mut Body,
        signature: Option<&str>,
    ) -> R<Option<DrawId>> {
        if entry::scorer_signature(body).is_none() {
            return Ok(None);
        }
        let draw = self.panel_draw(r).await?;
        self.expert_signed_in(draw, body, signature).await
    }

    /// [`Self::expert_signed`] with the round's panel draw already read.
    pub async fn expert_signed_in(
        &self,
        draw: DrawId,
        body: &mut Body,
        signature: Option<&str>,
    ) -> R<Option<DrawId>> {
        let Some((scorer, _)) = entry::scorer_signature(body) else {
            return Ok(None);
        };
        let signature = signature.map(str::trim).filter(|s| !s.is_empty());
        if signature.is_none() {
            // The commit alone decides (an unsigned entry needs no key
            // lookup): kept per server, as the commit never changes.
            let memo = self.sheets.map(|q| q.memo());
            let required = match memo.and_then(|m| m.personal_keys(draw.as_str())) {
                Some(x) => x,
                None => {
                    let x = commit_requires_keys(self, draw.as_str()).await?;
                    if let Some(m) = memo {
                        m.keep_personal_keys(draw.as_str(), x);
                    }
                    x
                }
            };
            if required {
                return Err(DrawError::Invalid(format!(
                    "draw {draw} requires your sheets, recusals and pledge signed with your personal key"
                )));
            }
            return Ok(None);
        }
        let (_, regs) = draw_keys(self, draw.as_str()).await?;
        let sig = match signature {
            None => return Ok(None),
            Some(s) => base64::engine::general_purpose::STANDARD
                .decode(s)
                .ok()
                .filter(|b| b.len() == 64)
                .ok_or_else(|| DrawError::Invalid("signature must be base64 of 64 bytes".into()))?,
        };
        let Some((key, _)) = expert_key_of(&regs, &scorer) else {
            return Err(DrawError::Invalid(format!(
                "register your personal key for draw {draw} before signing"
            )));
        };
        let m = entry::scorer_message(body).expect("a scorer's entry");
        if key.verify(&m, &sig).is_err() {
            return Err(DrawError::Invalid(format!(
                "the signature does not verify with your registered key {}",
                key.key_id()
            )));
        }
        entry::set_scorer_signature(
            body,
            Some(entry::Attestation {
                key,
                sig: base64::engine::general_purpose::STANDARD.encode(&sig),
            }),
        );
        Ok(Some(draw))
    }
}

/// Protocol 1.5: the exact message a scorer's key signs for `body`, as
/// base64 (the pages hand it to the browser to sign).
pub fn message_b64(body: &Body) -> String {
    base64::engine::general_purpose::STANDARD
        .encode(entry::scorer_message(body).unwrap_or_default())
}
