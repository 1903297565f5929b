//! The supplementary draw (补抽, protocol 1.2): when a panel member declines
//! and no alternate can take the seat, the seat stays empty until a new draw,
//! linked to the first, fills it. Its commit names the earlier draw's commit,
//! keeps its pool, tags and rules (the panel, quotas and organisation cap of
//! the whole panel), carries the members still seated and lists everyone the
//! chain has named, none of whom can be drawn again; its randomness is its own
//! (operator secret, beacon, supervisors' contributions). From that commit on,
//! the panel's declines are the new draw's, and the round scores with the
//! chain's newest revealed panel.

use super::*;

/// What a coordinator chooses for a supplementary draw: the rules come from the
/// draw it supplements.
#[derive(Clone, Debug, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SupplementRequest {
    /// Shown in the log; no personal data. Defaults to the earlier title
    /// with "（补抽）".
    #[serde(default)]
    pub title: Option<String>,
    /// Ordered alternates of this draw, listed after its new members.
    #[serde(default)]
    pub alternates: u32,
    pub beacon: BeaconChoice,
    /// Seconds after the commit during which supervisors may contribute.
    #[serde(default = "default_window")]
    pub entropy_window: u64,
}

impl Workflow<'_> {
    /// The link a draw's commit carries, if it is a supplementary draw.
    pub async fn link_of(&self, id: &DrawId) -> R<Option<entry::Supplements>> {
        Ok(self
            .entries(id)
            .await?
            .into_iter()
            .find_map(|e| match e.body {
                Body::Commit(c) => c.supplements,
                _ => None,
            }))
    }

    /// The draw that supplements `id` and is not voided, if any.
    pub async fn supplemented_by(&self, id: &str) -> anyhow::Result<Option<String>> {
        let row: Option<(String,)> = with_pool!(self.store, pool => sqlx::query_as(
            "SELECT id FROM draws WHERE supplements = $1 AND state <> 'voided' ORDER BY created_at DESC, id DESC")
            .bind(id.to_string())
            .fetch_optional(pool)
            .await?);
        Ok(row.map(|(x,)| x))
    }

    /// The newest revealed draw of the chain that starts at `id`: its panel is
    /// the one seated now.
    pub async fn chain_head(&self, id: &str) -> anyhow::Result<String> {
        let mut head = id.to_string();
        // A chain has at most as many links as the round has draws.
        for _ in 0..1000 {
            let next: Option<(String,)> = with_pool!(self.store, pool => sqlx::query_as(
                "SELECT id FROM draws WHERE supplements = $1 AND state IN ('revealed', 'disclosed')")
                .bind(head.clone())
                .fetch_optional(pool)
                .await?);
            match next {
                Some((n,)) => head = n,
                None => break,
            }
        }
        Ok(head)
    }

    /// Commits a supplementary draw of `prev`, whose panel has empty seats.
    pub async fn supplement(
        &self,
        p: &Province,
        prev_id: &str,
        req: &SupplementRequest,
    ) -> R<DrawSummary> {
        let prev = self.load(p, prev_id).await?;
        if prev.state != "revealed" {
            return conflict(format!(
                "draw {prev_id} is {}; only a revealed draw whose panel has empty seats can be supplemented",
                prev.state
            ));
        }
        let empty = (prev.spec.panel as usize).saturating_sub(prev.panel.len());
        if empty == 0 {
            return conflict(format!(
                "every seat of draw {prev_id}'s panel is filled; a supplementary draw fills empty seats only"
            ));
        }
        if req.entropy_window > 30 * 86_400 {
            return Err(DrawError::Invalid(
                "the entropy window may be at most 30 days".into(),
            ));
        }
        let round = self.round_of_draw(p, prev.round_id).await?;
        if !matches!(round.state, RoundState::Drawn | RoundState::Scoring) {
            return conflict(format!(
                "round {} is {} ({}); a supplementary draw needs a drawn round or one being scored",
                round.id,
                round.state.as_str(),
                round.state.zh()
            ));
        }
        let title = match &req.title {
            Some(t) => crate::text::line("title", t).map_err(DrawError::Invalid)?,
            None => format!("{}（补抽）", prev.request.title),
        };
        if title.trim().is_empty() || title.chars().count() > 200 {
            return Err(DrawError::Invalid(
                "title must be 1 to 200 characters".into(),
            ));
        }
        let entries = self.entries(&prev.id).await?;
        let (prev_commit, prev_reveal) = {
            let c = entries.iter().find_map(|e| match &e.body {
                Body::Commit(c) => Some(c.clone()),
                _ => None,
            });
            let r = entries.iter().find_map(|e| match &e.body {
                Body::Reveal(r) => Some(r.clone()),
                _ => None,
            });
            match (c, r) {
                (Some(c), Some(r)) => (c, r),
                _ => {
                    return Err(DrawError::Internal(anyhow::anyhow!(
                        "draw {prev_id} is revealed but its log entries are not"
                    )));
                }
            }
        };
        let index = |t: &Token| -> R<u32> {
            prev.leaves
                .binary_search_by(|l| l.token.cmp(t))
                .map(|i| i as u32)
                .map_err(|_| {
                    DrawError::Internal(anyhow::anyhow!(
                        "draw {prev_id}: token {t} of its log is not in its pool"
                    ))
                })
        };
        let mut drawn_tokens: Vec<Token> = prev_commit
            .supplements
            .iter()
            .flat_map(|s| s.drawn.iter())
            .chain(&prev_reveal.panel)
            .chain(&prev_reveal.alternates)
            .copied()
            .collect();
        drawn_tokens.sort();
        drawn_tokens.dedup();
        let drawn: Vec<u32> = drawn_tokens.iter().map(index).collect::<R<_>>()?;
        let spec = DrawSpec {
            alternates: req.alternates,
            ..prev.spec.clone()
        };
        fill::check_supplement_feasible(&spec, &prev.leaves, &prev.panel, &drawn)
            .map_err(DrawError::Infeasible)?;
        let link = entry::Supplements {
            commit: prev.commit_hash,
            draw: prev.id.clone(),
            drawn: drawn_tokens,
            pool_draw: prev_commit
                .supplements
                .as_ref()
                .map_or(prev.id.clone(), |s| s.pool_draw.clone()),
            seated: draw::tokens(&prev.leaves, &prev.panel),
        };
        let request = DrawRequest {
            title: title.clone(),
            alternates: req.alternates,
            beacon: req.beacon.clone(),
            entropy_window: req.entropy_window,
            ..prev.request.clone()
        };
        let request_json = serde_json::to_string(&request)?;
        let spec_json = serde_json::to_string(&spec)?;
        let secret = Hash32(random32());
        let province = p.clone();
        let (a, id, deadline, target) = with_pool!(self.store, pool => {
            let mut tx = self.store.begin_write(pool).await?;
            let t = log_time(&mut tx, self.clock).await?;
            // Inside the log's write lock: the panel, the round and the other
            // draws are as the last writer left them.
            let now: (String, i64) = sqlx::query_as("SELECT panel, version FROM draws WHERE id = $1")
                .bind(prev_id.to_string())
                .fetch_one(&mut *tx)
                .await?;
            if now.1 != prev.version {
                return conflict(format!("draw {prev_id} changed while this supplementary draw was prepared; try again"));
            }
            let open: Option<(String,)> = sqlx::query_as("SELECT id FROM draws WHERE round_id = $1 AND state = 'committed'")
                .bind(round.id)
                .fetch_optional(&mut *tx)
                .await?;
            if let Some((o,)) = open {
                return conflict(format!("draw {o} of this round is committed and not yet revealed; reveal or void it first"));
            }
            let taken: Option<(String,)> = sqlx::query_as("SELECT id FROM draws WHERE supplements = $1 AND state <> 'voided'")
                .bind(prev_id.to_string())
                .fetch_optional(&mut *tx)
                .await?;
            if let Some((o,)) = taken {
                return conflict(format!("draw {o} already supplements draw {prev_id}"));
            }
            let locked: (String, Option<i64>) = sqlx::query_as("SELECT state, locked_seq FROM rounds WHERE id = $1")
                .bind(round.id)
                .fetch_one(&mut *tx)
                .await?;
            if locked.1.is_some() || !matches!(locked.0.as_str(), "drawn" | "scoring") {
                return conflict(format!("round {} has locked its sheets or is sealed; its panel no longer changes", round.id));
            }
            let n: (i64,) = sqlx::query_as("SELECT COUNT(*) FROM draws WHERE round_id = $1")
                .bind(round.id)
                .fetch_one(&mut *tx)
                .await?;
            let id = DrawId::try_from(format!("{}-{}-r{}-d{}", round.province, round.year, round.id, n.0 + 1))
                .map_err(|e| DrawError::Internal(anyhow::anyhow!(e)))?;
            let commit = entry::Commit {
                beacon: beacon_target(&req.beacon, t, req.entropy_window)?,
                draw: id.clone(),
                entropy_deadline: t + req.entropy_window,
                excluded: prev_commit.excluded.clone(),
                pool_root: prev_commit.pool_root,
                pool_size: prev_commit.pool_size,
                secret_commitment: draw::secret_commitment(&secret),
                spec: spec.clone(),
                supplements: Some(link.clone()),
                personal_keys: request.personal_keys,
                tag_key: prev_commit.tag_key,
                title: title.clone(),
            };
            let deadline = commit.entropy_deadline;
            let target = commit.beacon.as_ref().map(|b| b.round as i64);
            let a = append_in(&mut tx, self.key, self.origin, &[NewEntry {
                time: t,
                province: Some(province.clone()),
                body: Body::Commit(commit),
            }]).await?[0];
            // The pool, its openings and its tag secret are the earlier draw's.
            sqlx::query("INSERT INTO draws (id, province, round_id, state, request, spec, commit_seq, commit_hash, commit_time, entropy_deadline, beacon_round, secret, created_at, tag_secret, supplements) SELECT $1, province, round_id, 'committed', $2, $3, $4, $5, $6, $7, $8, $9, $10, tag_secret, id FROM draws WHERE id = $11")
                .bind(id.as_str().to_string())
                .bind(request_json)
                .bind(spec_json)
                .bind(a.seq as i64)
                .bind(a.hash.0.to_vec())
                .bind(a.time as i64)
                .bind(deadline as i64)
                .bind(target)
                .bind(secret.0.to_vec())
                .bind(a.time as i64)
                .bind(prev_id.to_string())
                .execute(&mut *tx)
                .await?;
            sqlx::query("INSERT INTO draw_pools (draw_id, leaves, experts, openings) SELECT $1, leaves, experts, openings FROM draw_pools WHERE draw_id = $2")
                .bind(id.as_str().to_string())
                .bind(prev_id.to_string())
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
            (a, id, deadline, target)
        });
        Ok(DrawSummary {
            id: id.to_string(),
            round_id: round.id,
            state: "committed".into(),
            title,
            commit_seq: a.seq,
            commit_time: a.time,
            entropy_deadline: deadline,
            beacon_round: target.map(|r| r as u64),
            pool_size: prev.leaves.len(),
            panel: vec![],
            alternates: vec![],
            panel_short: false,
        })
    }
}
