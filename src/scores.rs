//! Scoring a review round on the store: the round's rubric, opening scoring
//! (rubric and panel fixed in the log), the experts' sheets (drafts,
//! submission with a log commitment, recusal, reopening with a reason), the
//! coordinator's progress view, the results once every sheet is in, and the
//! seal when the round closes. The rules themselves are
//! `fairpanel_core::scoring`, shared with the verifier.

use crate::applications::ApplicationRecord;
use crate::draws::{DrawError, Workflow};
use crate::screen::Screened;
use crate::store::log::{NewEntry, append_in};
use crate::store::rounds::{Round, RoundState};
use crate::with_pool;
use fairpanel_core::entry::{self, Body};
use fairpanel_core::hash::{Hash32, tag, tagged};
use fairpanel_core::scoring::{self as rules, Aggregate, Rubric, Sheet};
use fairpanel_core::types::{DrawId, DrawSpec, Token};
use rust_decimal::Decimal;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};
use utoipa::ToSchema;

type R<T> = Result<T, DrawError>;

fn conflict<T>(m: impl Into<String>) -> R<T> {
    Err(DrawError::Conflict(m.into()))
}

/// The newest revealed draw of the chain that starts at round `$1`'s fixed
/// panel draw (a supplementary draw, 补抽, carries the seated members and
/// fills the empty seats): the draw whose panel is seated now. The same walk
/// as [`Workflow::chain_head`], in one statement; a chain has at most as
/// many links as the round has draws.
macro_rules! chain_cte {
    () => {
        "WITH RECURSIVE chain (id, n) AS (\
           SELECT panel_draw, 0 FROM rounds WHERE id = $1 AND panel_draw IS NOT NULL \
           UNION ALL SELECT d.id, c.n + 1 FROM draws d JOIN chain c ON d.supplements = c.id \
           WHERE d.state IN ('revealed', 'disclosed') AND c.n < 1000), \
         head AS (SELECT id FROM chain ORDER BY n DESC LIMIT 1) "
    };
}

/// The seated panel's seat indexes and its draw's spec, for round `$1`.
const SEATS: &str = concat!(
    chain_cte!(),
    "SELECT d.panel, d.spec FROM draws d JOIN head h ON d.id = h.id"
);

/// The seats of a fixed panel from its draw's `panel` and `spec` columns.
fn seats_of(row: Option<(String, String)>) -> R<Option<Seats>> {
    let Some((seats, spec)) = row else {
        return Ok(None);
    };
    let seats = serde_json::from_str::<Vec<u32>>(&seats)?.len();
    // A panel with empty seats never locks (protocol 1.2): its
    // supplementary draw's members must score first.
    Ok(Some(
        if seats < serde_json::from_str::<DrawSpec>(&spec)?.panel as usize {
            Seats::Short
        } else {
            Seats::Full(seats)
        },
    ))
}

/// `expert`'s token among a panel's `members` (expert id, token).
pub(crate) fn seat_of(members: Vec<(String, Token)>, expert: &str) -> R<Token> {
    members
        .into_iter()
        .find(|(e, _)| e == expert)
        .map(|(_, t)| t)
        .ok_or_else(|| DrawError::NotFound("you are not on this round's panel".into()))
}

/// Refused unless the round is scoring.
fn while_scoring(r: &Round) -> R<()> {
    if r.state != RoundState::Scoring {
        return conflict(format!(
            "round {} is {} ({}); sheets are written while it is scoring",
            r.id,
            r.state.as_str(),
            r.state.zh()
        ));
    }
    Ok(())
}

/// Whether application `app` is scored, from its stored record and its
/// screen override (`None`: no such application): passed the screen, or
/// overridden.
fn scored_or_refused(app: &str, row: Option<(String, Option<String>)>) -> R<()> {
    let screened = match row {
        None => None,
        Some((rec, over)) => {
            let a: ApplicationRecord = serde_json::from_str(&rec)?;
            let reasons = crate::screen::screen(&a);
            Some(Screened {
                application: a.ref_no,
                eligible: reasons.is_empty(),
                reasons,
                overridden: over,
            })
        }
    };
    match screened {
        None => Err(DrawError::NotFound(format!("no application {app}"))),
        Some(x) if !x.scored() => conflict(format!(
            "application {app} failed the eligibility screen ({}); it is scored only if a coordinator overrides the screen with a reason",
            x.reasons.join("; ")
        )),
        Some(_) => Ok(()),
    }
}

/// The default rubric of the round's kind.
fn default_rubric(r: &Round) -> R<Rubric> {
    rules::default_rubrics()
        .into_iter()
        .find(|x| x.kind.code() == r.kind)
        .ok_or_else(|| DrawError::Internal(anyhow::anyhow!("no default rubric for {}", r.kind)))
}

/// The round's id in the log: `{province}-{year}-r{id}`.
pub fn round_ref(r: &Round) -> DrawId {
    DrawId::try_from(format!("{}-{}-r{}", r.province, r.year, r.id)).expect("a valid id")
}

/// One application's state for the coordinator: counts, never scores.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct Progress {
    pub application: String,
    pub submitted: usize,
    pub recused: usize,
    pub pending: usize,
    /// Sheets the round's lock asked to explain (an abnormal total without
    /// an explanation) whose explanation is not given yet.
    pub explanations_needed: usize,
}

/// One of the caller's sheets.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct MySheet {
    pub application: String,
    /// `pending` (nothing saved), `draft`, `submitted` or `recused`.
    pub state: String,
    #[schema(value_type = Option<Object>)]
    pub sheet: Option<serde_json::Value>,
    pub total: Option<String>,
    /// Once the round's sheets are locked: `needed` when the lock asks the
    /// caller to explain this sheet's abnormal total, `given` once done.
    pub explanation: Option<String>,
}

/// One event of a round's scoring history.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct HistoryRow {
    /// Unix seconds.
    pub at: u64,
    /// `submit`, `recuse`, `reopen`, `explain` (a sheet's), `lock` or
    /// `unlock` (the round's).
    pub action: String,
    pub application: Option<String>,
    pub expert: Option<String>,
    /// The submitted sheet's hash (for `submit`).
    pub sheet: Option<String>,
    /// The reason or explanation given.
    pub reason: Option<String>,
    /// The log entry of a lock or unlock.
    pub seq: Option<u64>,
}

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct ResultRow {
    pub rank: u32,
    #[schema(value_type = Object)]
    pub aggregate: serde_json::Value,
    /// Every valid total, in expert order.
    pub totals: Vec<String>,
    pub recommended: bool,
    /// Objective indicators the experts disagree on.
    pub objective_disagreements: Vec<String>,
    /// Explanations given for abnormal totals.
    pub explanations: Vec<String>,
}

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct Results {
    pub round: String,
    pub rubric: String,
    pub rule: &'static str,
    pub quota: u32,
    pub already_recommended: u32,
    pub results: Vec<ResultRow>,
    pub recommended: Vec<String>,
    /// Kendall's W of the panel's agreement (information only).
    pub kendalls_w: Option<String>,
}

pub const RULE: &str = "trimmed_mean_v1";

/// A round's results, and the seal entry that fixes them.
struct Computed {
    results: Results,
    seal: entry::Seal,
}

/// Per application: totals, objective disagreements, explanations.
type Extra = (Vec<String>, Vec<String>, Vec<String>);

/// A fixed panel's seats: all filled (how many), or some empty.
enum Seats {
    Full(usize),
    Short,
}

struct Panel {
    draw: DrawId,
    /// expert id → token, for the current panel.
    members: Vec<(String, Token)>,
}

/// Inside a scoring write's transaction, after the caller's sheet row changed:
/// appends the caller's entry and, when that change leaves every sheet in, the
/// scoring_lock with its explanation requests, all in the same transaction.
/// Evaluates to the appended entries (the caller's first).
macro_rules! append_and_lock {
    ($self:ident, $tx:ident, $r:ident, $t:ident, $body:ident) => {{
        let rows: Vec<SheetRow> = sqlx::query_as(
            "SELECT ref_no, expert_id, state, bytes FROM sheets WHERE round_id = $1",
        )
        .bind($r.id)
        .fetch_all(&mut *$tx)
        .await?;
        let plan = $self.lock_plan($r, &rows).await?;
        let province = Some($r.province.clone());
        let mut entries = vec![NewEntry {
            time: $t,
            province: province.clone(),
            body: $body,
        }];
        if let Some(p) = &plan {
            entries.extend(p.entries($r, $t));
        }
        let done = append_in(&mut $tx, $self.key, $self.origin, &entries).await?;
        if let Some(p) = &plan {
            record_lock!($tx, $r, $t, p, &done[1..]);
        }
        done
    }};
}

/// Records, in the caller's transaction, the lock appended at `$seq`: the
/// round's lock, the event, and the explanations it asks for.
macro_rules! record_lock {
    ($tx:ident, $r:ident, $t:ident, $plan:expr, $done:expr) => {{
        let done: &[crate::store::log::Appended] = $done;
        let seq = done[0].seq as i64;
        sqlx::query("UPDATE rounds SET locked_seq = $1 WHERE id = $2")
            .bind(seq)
            .bind($r.id)
            .execute(&mut *$tx)
            .await?;
        sqlx::query("INSERT INTO round_events (round_id, action, reason, account_id, seq, at) VALUES ($1, 'lock', NULL, NULL, $2, $3)")
            .bind($r.id)
            .bind(seq)
            .bind($t as i64)
            .execute(&mut *$tx)
            .await?;
        for (app, ex, h) in &$plan.ask {
            sqlx::query("INSERT INTO explanations (round_id, lock_seq, ref_no, expert_id, sheet_hash) VALUES ($1, $2, $3, $4, $5)")
                .bind($r.id)
                .bind(seq)
                .bind(app.clone())
                .bind(ex.clone())
                .bind(h.to_hex())
                .execute(&mut *$tx)
                .await?;
        }
        // Explanations carried over from an earlier lock, each answered by
        // its entry right after the lock's.
        for (c, a) in $plan.carried.iter().zip(&done[1..]) {
            sqlx::query("UPDATE explanations SET bytes = $1, seq = $2, at = $3 WHERE round_id = $4 AND lock_seq = $5 AND sheet_hash = $6")
                .bind(c.bytes.clone())
                .bind(a.seq as i64)
                .bind($t as i64)
                .bind($r.id)
                .bind(seq)
                .bind(c.sheet.to_hex())
                .execute(&mut *$tx)
                .await?;
            sqlx::query("INSERT INTO sheet_history (round_id, ref_no, expert_id, action, reason, account_id, at) VALUES ($1, $2, $3, 'explain', $4, $5, $6)")
                .bind($r.id)
                .bind(c.record.application.clone())
                .bind(c.expert.clone())
                .bind(c.record.explanation.clone())
                .bind(c.account)
                .bind($t as i64)
                .execute(&mut *$tx)
                .await?;
        }
    }};
}

/// What a sealed, disclosed round adds to its panel draw's bundle: the
/// rubric's canonical bytes, the sealed sheets' and the explanation records'
/// exact bytes.
pub struct SealedScoring {
    pub rubric: Vec<u8>,
    pub sheets: Vec<Vec<u8>>,
    pub explanations: Vec<Vec<u8>>,
}

/// A sheet row's state and submitted bytes, by (application, expert).
type RowState<'a> = (&'a str, Option<&'a Vec<u8>>);

/// A sheet_history row: application, expert, action, bytes, reason, time.
type HistoryDbRow = (String, String, String, Option<Vec<u8>>, Option<String>, i64);

/// A sheet row: application, expert, state, submitted bytes.
type SheetRow = (String, String, String, Option<Vec<u8>>);

/// The scoring_lock the round takes now, and the explanations it asks for:
/// (application, expert, sheet hash).
struct LockPlan {
    body: entry::ScoringLock,
    ask: Vec<(String, String, Hash32)>,
    /// Asked sheets explained under an earlier lock and unchanged since: the
    /// explanation stands, and is logged again under this lock.
    carried: Vec<Carried>,
}

/// An explanation given under an earlier lock for a sheet the new lock asks
/// about again.
struct Carried {
    expert: String,
    sheet: Hash32,
    record: rules::ExplanationRecord,
    bytes: Vec<u8>,
    /// The account that gave it.
    account: i64,
}

impl LockPlan {
    /// The lock's entry, then one explanation entry per carried explanation.
    fn entries(&self, r: &Round, t: u64) -> Vec<NewEntry> {
        let province = Some(r.province.clone());
        std::iter::once(Body::ScoringLock(self.body.clone()))
            .chain(self.carried.iter().map(|c| {
                Body::Explanation(entry::Explanation {
                    application: c.record.application.clone(),
                    explanation: rules::ExplanationRecord::hash_of(&c.bytes),
                    round: c.record.round.clone(),
                    scorer: c.record.scorer,
                    sheet: c.sheet,
                })
            }))
            .map(|body| NewEntry {
                time: t,
                province: province.clone(),
                body,
            })
            .collect()
    }
}

/// The seq of the scoring_lock in force, read in the caller's transaction.
macro_rules! locked_in {
    ($tx:ident, $r:ident) => {{
        let (locked,): (Option<i64>,) =
            sqlx::query_as("SELECT locked_seq FROM rounds WHERE id = $1")
                .bind($r.id)
                .fetch_one(&mut *$tx)
                .await?;
        locked
    }};
}

/// Refuses the caller's write (returns) while the round's sheets are locked.
macro_rules! refuse_if_locked {
    ($tx:ident, $r:ident) => {
        if locked_in!($tx, $r).is_some() {
            return conflict(LOCKED);
        }
    };
}

/// Refused while the round's sheets are locked.
const LOCKED: &str = "the round's sheets are locked: every sheet is in and the results may have been read; a coordinator must unlock the round, with a reason, first";

mod submit;
pub use submit::SheetJob;

impl Workflow<'_> {
    /// The round's rubric: its own if the coordinator set one, else the
    /// default for its kind.
    pub async fn rubric(&self, r: &Round) -> R<(Rubric, bool)> {
        let row: Option<(String, Option<i64>)> = with_pool!(self.store, pool => sqlx::query_as(
            "SELECT rubric, fixed_at FROM round_rubrics WHERE round_id = $1")
            .bind(r.id)
            .fetch_optional(pool)
            .await?);
        match row {
            Some((j, fixed)) => Ok((serde_json::from_str(&j)?, fixed.is_some())),
            None => Ok((default_rubric(r)?, false)),
        }
    }

    /// The round's rubric and its hash; the server parses and hashes each
    /// stored rubric once (its text is still read on every call).
    async fn rubric_hashed(&self, r: &Round) -> R<std::sync::Arc<(Rubric, Hash32)>> {
        let row: Option<(String,)> = with_pool!(self.store, pool => sqlx::query_as(
            "SELECT rubric FROM round_rubrics WHERE round_id = $1")
            .bind(r.id)
            .fetch_optional(pool)
            .await?);
        self.rubric_of(r, row.map(|(j,)| j))
    }

    /// Round `r`'s rubric and its hash from its stored JSON (`None`: the
    /// default of its kind); parsed and hashed once per text by the server's
    /// memo when this workflow has one.
    fn rubric_of(&self, r: &Round, stored: Option<String>) -> R<std::sync::Arc<(Rubric, Hash32)>> {
        match (stored, self.sheets) {
            (Some(j), Some(q)) => Ok(q.memo().rubric(&j)?),
            (stored, _) => {
                let rubric = match stored {
                    Some(j) => serde_json::from_str(&j)?,
                    None => default_rubric(r)?,
                };
                let hash = rubric.hash();
                Ok(std::sync::Arc::new((rubric, hash)))
            }
        }
    }

    /// Adapts the round's rubric; only before scoring opens.
    pub async fn set_rubric(&self, r: &Round, rubric: &Rubric) -> R<()> {
        if !matches!(r.state, RoundState::Open | RoundState::Drawn) {
            return conflict(format!(
                "round {} is {}; the rubric is fixed once scoring opens",
                r.id,
                r.state.as_str()
            ));
        }
        if rubric.kind.code() != r.kind {
            return Err(DrawError::Invalid(format!(
                "the rubric is for {}, the round is {}",
                rubric.kind.code(),
                r.kind
            )));
        }
        rubric.validate().map_err(DrawError::Invalid)?;
        rubric_text(rubric)?;
        let json = serde_json::to_string(rubric)?;
        with_pool!(self.store, pool => {
            let mut tx = pool.begin().await?;
            sqlx::query("DELETE FROM round_rubrics WHERE round_id = $1 AND fixed_at IS NULL")
                .bind(r.id)
                .execute(&mut *tx)
                .await?;
            sqlx::query("INSERT INTO round_rubrics (round_id, rubric) VALUES ($1, $2)")
                .bind(r.id)
                .bind(json)
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
        });
        Ok(())
    }

    /// The round's panel draw and its seated members (expert id, token).
    pub(crate) async fn panel_of(&self, r: &Round) -> R<(DrawId, Vec<(String, Token)>)> {
        let p = self.scoring_panel(r).await?;
        Ok((p.draw, p.members))
    }

    /// The draw whose complete panel scores the round: the newest revealed one.
    async fn scoring_panel(&self, r: &Round) -> R<Panel> {
        let fixed: (Option<String>,) = with_pool!(self.store, pool => sqlx::query_as(
            "SELECT panel_draw FROM rounds WHERE id = $1")
            .bind(r.id)
            .fetch_one(pool)
            .await?);
        let id = match fixed.0 {
            Some(id) => id,
            None => self
                .draws_of_round(r.id)
                .await?
                .into_iter()
                .rev()
                .find(|d| {
                    (d.state == "revealed" || d.state == "disclosed") && d.seated >= d.panel_size
                })
                .map(|d| d.id)
                .ok_or_else(|| {
                    DrawError::Conflict(format!(
                        "round {} has no revealed draw with a complete panel",
                        r.id
                    ))
                })?,
        };
        // The panel seated now is the chain's newest revealed draw's: a
        // supplementary draw (补抽) carries the seated members and fills the
        // empty seats. Only the seated members' leaves are parsed: this runs
        // on every sheet request, and a pool may have 100,000 members.
        let head = self.chain_head(&id).await?;
        let draw =
            || DrawId::try_from(id.as_str()).map_err(|e| DrawError::Internal(anyhow::anyhow!(e)));
        let (seats,): (String,) = with_pool!(self.store, pool => sqlx::query_as(
            "SELECT panel FROM draws WHERE province = $1 AND id = $2")
            .bind(r.province.as_str().to_string())
            .bind(head.clone())
            .fetch_optional(pool)
            .await?)
        .ok_or_else(|| DrawError::NotFound(format!("no draw {id}")))?;
        let members = self.seated(&id, &head, &seats).await?;
        Ok(Panel {
            members,
            draw: draw()?,
        })
    }

    /// The members seated in `seats` (a draw's `panel` column) of draw
    /// `head`, the newest of the chain that starts at draw `id`: parsed from
    /// the pool's leaves once per (draw, seats) by the server (a pool is
    /// written once, with its draw, and never rewritten), so a sheet request
    /// reads only the small `panel` column.
    pub(super) async fn seated(
        &self,
        id: &str,
        head: &str,
        seats: &str,
    ) -> R<Vec<(String, Token)>> {
        let memo = self.sheets.map(|q| q.memo());
        if let Some(members) = memo.and_then(|m| m.panel(head, seats)) {
            return Ok(members.as_ref().clone());
        }
        let row: Option<(Vec<u8>, String)> = with_pool!(self.store, pool => sqlx::query_as(
            "SELECT leaves, experts FROM draw_pools WHERE draw_id = $1")
            .bind(head.to_string())
            .fetch_optional(pool)
            .await?);
        let (leaves, experts) = row.ok_or_else(|| DrawError::NotFound(format!("no draw {id}")))?;
        let panel: Vec<u32> = serde_json::from_str(seats)?;
        let leaves: Vec<&[u8]> = leaves
            .split(|&c| c == b'\n')
            .filter(|l| !l.is_empty())
            .collect();
        let experts: Vec<&str> = experts.split('\n').collect();
        let mut members = Vec::with_capacity(panel.len());
        for i in panel {
            let (Some(leaf), Some(expert)) = (leaves.get(i as usize), experts.get(i as usize))
            else {
                return Err(DrawError::Internal(anyhow::anyhow!(
                    "draw {id}: seat index {i} outside the pool"
                )));
            };
            let leaf = fairpanel_core::pool::parse_leaf(leaf)
                .map_err(|e| DrawError::Internal(anyhow::anyhow!(e)))?;
            members.push((expert.to_string(), leaf.token));
        }
        if let Some(m) = memo {
            m.keep_panel(head, seats, std::sync::Arc::new(members.clone()));
        }
        Ok(members)
    }

    /// Opens scoring: fixes the rubric and the panel, in the log.
    pub async fn open_scoring(&self, r: &Round) -> R<u64> {
        if r.state != RoundState::Drawn {
            return conflict(format!(
                "round {} is {} ({}); scoring opens only from drawn",
                r.id,
                r.state.as_str(),
                r.state.zh()
            ));
        }
        let panel = self.scoring_panel(r).await?;
        let apps = self.scored_applications(r).await?;
        if apps.is_empty() {
            return conflict(format!("round {} has no applications to score", r.id));
        }
        let (rubric, _) = self.rubric(r).await?;
        let json = serde_json::to_string(&rubric)?;
        with_pool!(self.store, pool => {
            let mut tx = self.store.begin_write(pool).await?;
            let t = crate::draws::log_time(&mut tx, self.clock).await?;
            let won = sqlx::query("UPDATE rounds SET state = 'scoring', panel_draw = $1, updated_at = $2 WHERE id = $3 AND state = 'drawn'")
                .bind(panel.draw.to_string())
                .bind(t as i64)
                .bind(r.id)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            if won != 1 {
                return conflict(format!("round {} changed meanwhile", r.id));
            }
            // The places left are fixed in the log before any score (issue 14):
            // the quota is the province-year's limit, and what is already used
            // is counted from the seals of the province's rounds of that year,
            // read after the log head is locked (`log_time`), so two openings
            // are serialized. One round of a province-year is scored at a time,
            // so that no other round's seal can use a place counted as free.
            let other: Option<(i64,)> = sqlx::query_as("SELECT id FROM rounds WHERE province = $1 AND year = $2 AND state = 'scoring' AND id <> $3 ORDER BY id")
                .bind(r.province.as_str().to_string())
                .bind(r.year as i64)
                .bind(r.id)
                .fetch_optional(&mut *tx)
                .await?;
            if let Some((other,)) = other {
                return conflict(crate::limits::other_round_scoring(other, r.year));
            }
            let own: Option<(i64,)> = sqlx::query_as("SELECT max_projects FROM year_limits WHERE province = $1 AND year = $2")
                .bind(r.province.as_str().to_string())
                .bind(r.year as i64)
                .fetch_optional(&mut *tx)
                .await?;
            let quota = match own {
                Some((q,)) => u32::try_from(q).map_err(|_| anyhow::anyhow!("province {} {}: stored limit {q} out of range", r.province.as_str(), r.year))?,
                None => crate::limits::POLICY_LIMIT,
            };
            let seals: Vec<(i64, Vec<u8>)> = sqlx::query_as("SELECT seq, bytes FROM log_entries WHERE kind IN ('seal', 'withdrawal') AND province = $1 ORDER BY seq")
                .bind(r.province.as_str().to_string())
                .fetch_all(&mut *tx)
                .await?;
            let already = crate::limits::sealed_from_log(&r.province, r.year, &seals)?.len() as u32;
            if already >= quota {
                return conflict(crate::limits::no_places_left(&r.province, r.year, quota, already));
            }
            let (limit,): (Option<String>,) = sqlx::query_as("SELECT abnormal_points FROM rounds WHERE id = $1")
                .bind(r.id)
                .fetch_one(&mut *tx)
                .await?;
            // Protocol 1.2: the abnormal-total threshold is fixed with the
            // quota (the policy's 15 points unless the province chose another).
            let limit = rules::dec2::format(&rules::abnormal_limit(limit.as_deref()).map_err(|e| anyhow::anyhow!("round {}: stored {e}", r.id))?);
            sqlx::query("UPDATE rounds SET abnormal_points = $1, quota = $2, already_recommended = $3 WHERE id = $4")
                .bind(limit.clone())
                .bind(quota as i64)
                .bind(already as i64)
                .bind(r.id)
                .execute(&mut *tx)
                .await?;
            let mut refs: Vec<String> = apps.iter().map(|a| a.ref_no.clone()).collect();
            refs.sort();
            refs.dedup();
            let (materials, pledge) = crate::fix_materials_and_pledge!(tx, r, t);
            let body = Body::ScoringOpen(entry::ScoringOpen {
                abnormal_points: Some(limit),
                already_recommended: already,
                applications: refs,
                draw: panel.draw.clone(),
                quota,
                rubric: rubric.hash(),
                round: round_ref(r),
                materials,
                pledge,
            });
            sqlx::query("DELETE FROM round_rubrics WHERE round_id = $1")
                .bind(r.id)
                .execute(&mut *tx)
                .await?;
            sqlx::query("INSERT INTO round_rubrics (round_id, rubric, fixed_at) VALUES ($1, $2, $3)")
                .bind(r.id)
                .bind(json)
                .bind(t as i64)
                .execute(&mut *tx)
                .await?;
            let a = append_in(&mut tx, self.key, self.origin, &[NewEntry { time: t, province: Some(r.province.clone()), body }]).await?[0];
            tx.commit().await?;
            Ok(a.seq)
        })
    }

    /// For a disclosed draw whose panel scored a round that is now sealed: the
    /// rubric's canonical bytes and the sealed sheets' exact bytes, which become
    /// part of the draw's public bundle. `None` otherwise.
    pub async fn sealed_scoring(&self, draw: &str) -> R<Option<SealedScoring>> {
        let state: Option<(String,)> = with_pool!(self.store, pool => sqlx::query_as(
            "SELECT state FROM draws WHERE id = $1")
            .bind(draw.to_string())
            .fetch_optional(pool)
            .await?);
        if state.map(|s| s.0).as_deref() != Some("disclosed") {
            return Ok(None);
        }
        let round: Option<(i64, String, i64)> = with_pool!(self.store, pool => sqlx::query_as(
            "SELECT id, province, year FROM rounds WHERE panel_draw = $1 AND state IN ('closed', 'reported')")
            .bind(draw.to_string())
            .fetch_optional(pool)
            .await?);
        let Some((rid, province, year)) = round else {
            return Ok(None);
        };
        let round_id = format!("{province}-{year}-r{rid}");
        // The seal says which sheets count.
        let seals: Vec<(Vec<u8>,)> = with_pool!(self.store, pool => sqlx::query_as(
            "SELECT bytes FROM log_entries WHERE kind = 'seal' AND province = $1 ORDER BY seq")
            .bind(province.clone())
            .fetch_all(pool)
            .await?);
        let seal = seals
            .iter()
            .filter_map(|(b,)| match entry::parse(b).ok()?.body {
                Body::Seal(s) if s.round.as_str() == round_id => Some(s),
                _ => None,
            })
            .next_back();
        let Some(seal) = seal else {
            return Ok(None);
        };
        let (rubric,): (String,) = with_pool!(self.store, pool => sqlx::query_as(
            "SELECT rubric FROM round_rubrics WHERE round_id = $1")
            .bind(rid)
            .fetch_one(pool)
            .await?);
        let rubric: Rubric = serde_json::from_str(&rubric)?;
        let rows: Vec<(Vec<u8>,)> = with_pool!(self.store, pool => sqlx::query_as(
            "SELECT bytes FROM sheets WHERE round_id = $1 AND state = 'submitted' ORDER BY ref_no, expert_id")
            .bind(rid)
            .fetch_all(pool)
            .await?);
        let sheets: Vec<Vec<u8>> = rows
            .into_iter()
            .map(|(b,)| b)
            .filter(|b| seal.sheets.contains(&tagged(tag::SHEET, &[b])))
            .collect();
        // The explanations given under the lock the seal followed.
        let explanations: Vec<(Vec<u8>,)> = with_pool!(self.store, pool => sqlx::query_as(
            "SELECT e.bytes FROM explanations e JOIN rounds r ON r.id = e.round_id AND r.locked_seq = e.lock_seq \
             WHERE e.round_id = $1 AND e.bytes IS NOT NULL ORDER BY e.ref_no, e.expert_id")
            .bind(rid)
            .fetch_all(pool)
            .await?);
        Ok(Some(SealedScoring {
            rubric: fairpanel_core::jcs::encode(&rubric),
            sheets,
            explanations: explanations.into_iter().map(|(b,)| b).collect(),
        }))
    }

    /// Whether `expert` is on the round's scoring panel.
    pub async fn on_panel(&self, r: &Round, expert: &str) -> R<bool> {
        match self.scoring_panel(r).await {
            Ok(p) => Ok(p.members.iter().any(|(e, _)| e == expert)),
            Err(DrawError::Conflict(_)) => Ok(false),
            Err(e) => Err(e),
        }
    }

    /// The scorer's token, if `expert` is on the round's scoring panel.
    pub(crate) async fn scorer(&self, r: &Round, expert: &str) -> R<Token> {
        while_scoring(r)?;
        seat_of(self.scoring_panel(r).await?.members, expert)
    }

    /// `app` exists and is scored (passed the screen, or overridden).
    pub(crate) async fn has_application(&self, r: &Round, app: &str) -> R<()> {
        // One application and its override only: a round may have hundreds.
        let row: Option<(String, Option<String>)> = with_pool!(self.store, pool => sqlx::query_as(
            "SELECT a.record, o.reason FROM applications a LEFT JOIN screen_overrides o \
             ON o.round_id = a.round_id AND o.ref_no = a.ref_no WHERE a.round_id = $1 AND a.ref_no = $2")
            .bind(r.id)
            .bind(app.to_string())
            .fetch_optional(pool)
            .await?);
        scored_or_refused(app, row)
    }

    /// Every application's eligibility screen, with any override.
    pub async fn screens(&self, r: &Round) -> R<Vec<Screened>> {
        let apps = self.store.applications(r.id).await?;
        self.screens_of(r, &apps).await
    }

    /// The screen of `apps`, the applications of round `r` already read.
    pub async fn screens_of(&self, r: &Round, apps: &[ApplicationRecord]) -> R<Vec<Screened>> {
        let rows: Vec<(String, String)> = with_pool!(self.store, pool => sqlx::query_as(
            "SELECT ref_no, reason FROM screen_overrides WHERE round_id = $1")
            .bind(r.id)
            .fetch_all(pool)
            .await?);
        let mut over: HashMap<String, String> = rows.into_iter().collect();
        let earlier = if apps
            .iter()
            .any(|a| a.kind == crate::applications::Kind::Studio)
        {
            crate::screen::earlier_studios(self.store, &r.province, r.id).await?
        } else {
            vec![]
        };
        Ok(apps
            .iter()
            .map(|a| {
                let reasons = crate::screen::screen_with(a, &earlier);
                Screened {
                    eligible: reasons.is_empty(),
                    reasons,
                    overridden: over.remove(&a.ref_no),
                    application: a.ref_no.clone(),
                }
            })
            .collect())
    }

    /// The applications that are scored: eligible, or overridden.
    async fn scored_applications(&self, r: &Round) -> R<Vec<ApplicationRecord>> {
        let scored: Vec<String> = self
            .screens(r)
            .await?
            .into_iter()
            .filter(Screened::scored)
            .map(|x| x.application)
            .collect();
        Ok(self
            .store
            .applications(r.id)
            .await?
            .into_iter()
            .filter(|a| scored.contains(&a.ref_no))
            .collect())
    }

    /// Has an application that failed the screen scored anyway; the reason is
    /// logged. Not after the round is closed.
    pub async fn override_screen(
        &self,
        r: &Round,
        app: &str,
        reason: &str,
        account: i64,
    ) -> R<u64> {
        if matches!(r.state, RoundState::Closed | RoundState::Reported) {
            return conflict(format!("round {} is closed", r.id));
        }
        let reason = reason.trim();
        if reason.is_empty() || reason.chars().count() > 500 {
            return Err(DrawError::Invalid(
                "an override needs a reason of 1 to 500 characters".into(),
            ));
        }
        let reason = &crate::text::multiline("reason", reason).map_err(DrawError::Invalid)?;
        let screened = self
            .screens(r)
            .await?
            .into_iter()
            .find(|x| x.application == app)
            .ok_or_else(|| DrawError::NotFound(format!("no application {app}")))?;
        if screened.eligible {
            return conflict(format!(
                "application {app} passed the screen; there is nothing to override"
            ));
        }
        if screened.overridden.is_some() {
            return conflict(format!(
                "the screen of application {app} is already overridden"
            ));
        }
        let body = Body::ScreenOverride(entry::ScreenOverride {
            application: app.to_string(),
            reason: reason.to_string(),
            round: round_ref(r),
        });
        with_pool!(self.store, pool => {
            let mut tx = self.store.begin_write(pool).await?;
            let t = crate::draws::log_time(&mut tx, self.clock).await?;
            let a = append_in(&mut tx, self.key, self.origin, &[NewEntry { time: t, province: Some(r.province.clone()), body }]).await?[0];
            let done = sqlx::query("INSERT INTO screen_overrides (round_id, ref_no, reason, account_id, seq, at) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING")
                .bind(r.id)
                .bind(app.to_string())
                .bind(reason.to_string())
                .bind(account)
                .bind(a.seq as i64)
                .bind(t as i64)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            if done != 1 {
                return conflict(format!("the screen of application {app} is already overridden"));
            }
            tx.commit().await?;
            Ok(a.seq)
        })
    }

    async fn sheet_state(&self, r: &Round, app: &str, expert: &str) -> R<Option<String>> {
        let row: Option<(String,)> = with_pool!(self.store, pool => sqlx::query_as(
            "SELECT state FROM sheets WHERE round_id = $1 AND ref_no = $2 AND expert_id = $3")
            .bind(r.id)
            .bind(app.to_string())
            .bind(expert.to_string())
            .fetch_optional(pool)
            .await?);
        Ok(row.map(|(s,)| s))
    }

    /// The caller's own sheets, one per application.
    pub async fn my_sheets(&self, r: &Round, expert: &str) -> R<Vec<MySheet>> {
        self.scorer(r, expert).await?;
        let asked: HashMap<String, bool> = self
            .asked(r)
            .await?
            .into_iter()
            .filter(|(_, e, _, _)| e == expert)
            .map(|(a, _, _, b)| (a, b.is_some()))
            .collect();
        let explanation = |a: &str| {
            asked
                .get(a)
                .map(|given| if *given { "given" } else { "needed" }.to_string())
        };
        let rows: Vec<(String, String, Option<String>, Option<String>)> = with_pool!(self.store, pool => sqlx::query_as(
            "SELECT ref_no, state, draft, total FROM sheets WHERE round_id = $1 AND expert_id = $2")
            .bind(r.id)
            .bind(expert.to_string())
            .fetch_all(pool)
            .await?);
        let mut by: HashMap<String, (String, Option<String>, Option<String>)> = rows
            .into_iter()
            .map(|(a, s, d, t)| (a, (s, d, t)))
            .collect();
        Ok(self
            .scored_applications(r)
            .await?
            .into_iter()
            .map(|a| match by.remove(&a.ref_no) {
                Some((state, draft, total)) => MySheet {
                    explanation: explanation(&a.ref_no),
                    application: a.ref_no,
                    state,
                    sheet: draft.and_then(|d| serde_json::from_str(&d).ok()),
                    total,
                },
                None => MySheet {
                    application: a.ref_no,
                    state: "pending".into(),
                    sheet: None,
                    total: None,
                    explanation: None,
                },
            })
            .collect())
    }

    /// Saves a draft (not validated beyond its shape; nothing is logged).
    pub async fn save_draft(&self, r: &Round, expert: &str, sheet: &Sheet) -> R<()> {
        sheet_text(sheet)?;
        self.scorer(r, expert).await?;
        self.require_pledge(r, expert).await?;
        self.has_application(r, &sheet.application).await?;
        match self
            .sheet_state(r, &sheet.application, expert)
            .await?
            .as_deref()
        {
            Some("submitted") => {
                return conflict("this sheet is submitted; a coordinator can reopen it");
            }
            Some("recused") => return conflict("you declared a conflict with this application"),
            _ => {}
        }
        let json = serde_json::to_string(sheet)?;
        let now = self.clock.now() as i64;
        with_pool!(self.store, pool => sqlx::query(
            "INSERT INTO sheets (round_id, ref_no, expert_id, state, draft, updated_at) VALUES ($1, $2, $3, 'draft', $4, $5) \
             ON CONFLICT (round_id, ref_no, expert_id) DO UPDATE SET draft = excluded.draft, updated_at = excluded.updated_at WHERE sheets.state = 'draft'")
            .bind(r.id)
            .bind(sheet.application.clone())
            .bind(expert.to_string())
            .bind(json)
            .bind(now)
            .execute(pool)
            .await
            .map(|_| ())?);
        Ok(())
    }

    /// The seats of the round's fixed panel (its chain's newest draw), or
    /// `None` while no panel is fixed: one statement ([`SEATS`]).
    async fn seats(&self, r: &Round) -> R<Option<Seats>> {
        let row: Option<(String, String)> = with_pool!(self.store, pool => sqlx::query_as(SEATS)
            .bind(r.id)
            .fetch_optional(pool)
            .await?);
        seats_of(row)
    }

    /// Whether `rows` (the round's sheet rows as the caller's transaction
    /// sees them; only whether each has bytes is looked at) may complete the
    /// round: false when some application with rows still has a seat whose
    /// sheet is neither in nor recused, or the panel has empty seats.
    async fn may_complete(&self, r: &Round, rows: &[SheetRow]) -> R<bool> {
        // Cheapest first, without reading the pool's leaves: while some
        // application has fewer settled sheets than the panel has seats, the
        // round cannot be complete (most submissions stop here).
        match self.seats(r).await? {
            Some(Seats::Short) => return Ok(false),
            Some(Seats::Full(seats)) => {
                let mut settled: HashMap<&str, usize> = HashMap::new();
                for (a, _, st, b) in rows {
                    if st == "recused" || (st == "submitted" && b.is_some()) {
                        *settled.entry(a.as_str()).or_default() += 1;
                    }
                }
                if settled.values().any(|&n| n < seats) {
                    return Ok(false);
                }
            }
            None => {}
        }
        let panel = self.scoring_panel(r).await?;
        let by: HashMap<(&str, &str), RowState> = rows
            .iter()
            .map(|(a, e, st, b)| ((a.as_str(), e.as_str()), (st.as_str(), b.as_ref())))
            .collect();
        // Cheap first: a pair still open among the applications that have
        // rows at all (the screen of every application is read only when
        // the round may be complete, not on every submission).
        let settled = |app: &str, ex: &str| {
            matches!(
                by.get(&(app, ex)),
                Some(("recused", _)) | Some(("submitted", Some(_)))
            )
        };
        let with_rows: std::collections::BTreeSet<&str> =
            rows.iter().map(|(a, ..)| a.as_str()).collect();
        if with_rows
            .iter()
            .any(|a| panel.members.iter().any(|(ex, _)| !settled(a, ex)))
        {
            return Ok(false);
        }
        Ok(true)
    }

    /// The lock the round's sheets take now, if every (application, seated
    /// member) pair has a submitted sheet or a recusal in `rows` (the round's
    /// sheet rows as the caller's transaction sees them, which holds the log's
    /// write lock, so the panel and applications read here are current).
    /// The lock asks for an explanation of every abnormal total, against all
    /// the other sheets of its application, that carries none.
    async fn lock_plan(&self, r: &Round, rows: &[SheetRow]) -> R<Option<LockPlan>> {
        if !self.may_complete(r, rows).await? {
            return Ok(None);
        }
        let panel = self.scoring_panel(r).await?;
        let by: HashMap<(&str, &str), RowState> = rows
            .iter()
            .map(|(a, e, st, b)| ((a.as_str(), e.as_str()), (st.as_str(), b.as_ref())))
            .collect();
        let apps: Vec<String> = self
            .scored_applications(r)
            .await?
            .into_iter()
            .map(|a| a.ref_no)
            .collect();
        let mut live: BTreeMap<String, Vec<(Hash32, String, Sheet)>> = BTreeMap::new();
        for app in &apps {
            for (ex, _) in &panel.members {
                match by.get(&(app.as_str(), ex.as_str())) {
                    Some(("recused", _)) => {}
                    Some(("submitted", Some(bytes))) => {
                        let (_, _, sheet) =
                            submitted_sheet((app.clone(), ex.clone(), Some((*bytes).clone())))?;
                        live.entry(app.clone()).or_default().push((
                            rules::SheetRecord::hash_of(bytes),
                            ex.clone(),
                            sheet,
                        ));
                    }
                    _ => return Ok(None),
                }
            }
        }
        let (rubric, _) = self.rubric(r).await?;
        let limit = self.abnormal_limit(r).await?;
        let mut sheets = Vec::new();
        let mut ask = Vec::new();
        for (app, v) in &live {
            let hashed: Vec<(Hash32, Sheet)> = v.iter().map(|(h, _, s)| (*h, s.clone())).collect();
            let unexplained = rules::unexplained(&rubric, &hashed, limit).map_err(|p| {
                DrawError::Internal(anyhow::anyhow!("a stored sheet no longer validates: {p:?}"))
            })?;
            for (h, ex, _) in v {
                sheets.push(*h);
                if unexplained.contains(h) {
                    ask.push((app.clone(), ex.clone(), *h));
                }
            }
        }
        sheets.sort();
        let mut explain: Vec<Hash32> = ask.iter().map(|(_, _, h)| *h).collect();
        explain.sort();
        let mut carried = Vec::new();
        for (app, ex, h) in &ask {
            let earlier: Option<(Vec<u8>,)> = with_pool!(self.store, pool => sqlx::query_as(
                "SELECT bytes FROM explanations WHERE round_id = $1 AND sheet_hash = $2 AND bytes IS NOT NULL ORDER BY lock_seq DESC LIMIT 1")
                .bind(r.id)
                .bind(h.to_hex())
                .fetch_optional(pool)
                .await?);
            let Some((bytes,)) = earlier else { continue };
            let record: rules::ExplanationRecord = serde_json::from_slice(&bytes).map_err(|e| {
                DrawError::Internal(anyhow::anyhow!("a stored explanation does not parse: {e}"))
            })?;
            let account: Option<(i64,)> = with_pool!(self.store, pool => sqlx::query_as(
                "SELECT account_id FROM sheet_history WHERE round_id = $1 AND ref_no = $2 AND expert_id = $3 AND action = 'explain' ORDER BY id DESC LIMIT 1")
                .bind(r.id)
                .bind(app.clone())
                .bind(ex.clone())
                .fetch_optional(pool)
                .await?);
            carried.push(Carried {
                expert: ex.clone(),
                sheet: *h,
                record,
                bytes,
                account: account.map(|(a,)| a).unwrap_or_default(),
            });
        }
        Ok(Some(LockPlan {
            body: entry::ScoringLock {
                explain,
                round: round_ref(r),
                sheets,
            },
            ask,
            carried,
        }))
    }

    /// The round's abnormal-total threshold: fixed in scoring_open, else the
    /// one set for the round, else the policy's 15 points.
    pub async fn abnormal_limit(&self, r: &Round) -> R<Decimal> {
        let (v,): (Option<String>,) = with_pool!(self.store, pool => sqlx::query_as(
            "SELECT abnormal_points FROM rounds WHERE id = $1")
            .bind(r.id)
            .fetch_one(pool)
            .await?);
        rules::abnormal_limit(v.as_deref())
            .map_err(|e| DrawError::Internal(anyhow::anyhow!("round {}: stored {e}", r.id)))
    }

    /// Sets the round's abnormal-total threshold; only before scoring opens
    /// (scoring_open fixes it in the log).
    pub async fn set_abnormal_limit(&self, r: &Round, points: &str) -> R<String> {
        let d = Decimal::from_str_exact(points.trim())
            .ok()
            .filter(|d| d.normalize().scale() <= 2)
            .filter(|d| *d > Decimal::ZERO && *d <= rules::TOTAL_POINTS)
            .ok_or_else(|| {
                DrawError::Invalid(format!(
                    "the abnormal-total threshold {points:?} must be a number of points above 0 and at most 100, with at most two decimals"
                ))
            })?;
        let v = rules::dec2::format(&d);
        let n = with_pool!(self.store, pool => sqlx::query(
            "UPDATE rounds SET abnormal_points = $1 WHERE id = $2 AND state IN ('open', 'drawn')")
            .bind(v.clone())
            .bind(r.id)
            .execute(pool)
            .await?
            .rows_affected());
        if n != 1 {
            return conflict(
                "the abnormal-total threshold is fixed in the log when scoring opens; it cannot change afterwards",
            );
        }
        Ok(v)
    }

    /// The seq of the scoring_lock in force, if the round's sheets are locked.
    pub async fn locked(&self, r: &Round) -> R<Option<u64>> {
        let (v,): (Option<i64>,) = with_pool!(self.store, pool => sqlx::query_as(
            "SELECT locked_seq FROM rounds WHERE id = $1")
            .bind(r.id)
            .fetch_one(pool)
            .await?);
        Ok(v.map(|x| x as u64))
    }

    /// The explanations the lock in force asks for: (application, expert,
    /// sheet hash, the record's bytes once given).
    async fn asked(&self, r: &Round) -> R<Vec<(String, String, String, Option<Vec<u8>>)>> {
        let Some(seq) = self.locked(r).await? else {
            return Ok(vec![]);
        };
        Ok(with_pool!(self.store, pool => sqlx::query_as(
            "SELECT ref_no, expert_id, sheet_hash, bytes FROM explanations WHERE round_id = $1 AND lock_seq = $2 ORDER BY ref_no, expert_id")
            .bind(r.id)
            .bind(seq as i64)
            .fetch_all(pool)
            .await?))
    }

    /// A panel member explains the abnormal total of their locked sheet, as
    /// the lock asked: the record's hash goes into the log (explanation
    /// entry); its text is published with the sheets.
    pub async fn explain(
        &self,
        r: &Round,
        expert: &str,
        account: i64,
        app: &str,
        text: &str,
    ) -> R<u64> {
        let scorer = self.scorer(r, expert).await?;
        let text = &crate::text::multiline("explanation", text).map_err(DrawError::Invalid)?;
        let text = text.trim();
        if text.is_empty() || text.chars().count() > 2000 {
            return Err(DrawError::Invalid(
                "an explanation needs 1 to 2000 characters".into(),
            ));
        }
        with_pool!(self.store, pool => {
            let mut tx = self.store.begin_write(pool).await?;
            let t = crate::draws::log_time(&mut tx, self.clock).await?;
            let locked = locked_in!(tx, r);
            let asked: Option<(String, Option<i64>)> = match locked {
                None => None,
                Some(l) => sqlx::query_as("SELECT sheet_hash, seq FROM explanations WHERE round_id = $1 AND lock_seq = $2 AND ref_no = $3 AND expert_id = $4")
                    .bind(r.id).bind(l).bind(app.to_string()).bind(expert.to_string())
                    .fetch_optional(&mut *tx).await?,
            };
            let (Some(l), Some((hash, given))) = (locked, asked) else {
                return conflict(format!("no explanation of your sheet for {app} is asked for"));
            };
            if given.is_some() {
                return conflict(format!("your explanation for {app} is already given"));
            }
            let sheet = Hash32::from_hex(&hash).map_err(|e| anyhow::anyhow!("stored sheet hash: {e}"))?;
            let record = rules::ExplanationRecord {
                application: app.to_string(),
                explanation: text.to_string(),
                round: round_ref(r),
                scorer,
                sheet,
            };
            let bytes = record.bytes();
            let body = Body::Explanation(entry::Explanation {
                application: app.to_string(),
                explanation: rules::ExplanationRecord::hash_of(&bytes),
                round: round_ref(r),
                scorer,
                sheet,
            });
            let a = append_in(&mut tx, self.key, self.origin, &[NewEntry { time: t, province: Some(r.province.clone()), body }]).await?[0];
            sqlx::query("UPDATE explanations SET bytes = $1, seq = $2, at = $3 WHERE round_id = $4 AND lock_seq = $5 AND sheet_hash = $6")
                .bind(bytes).bind(a.seq as i64).bind(t as i64).bind(r.id).bind(l).bind(hash)
                .execute(&mut *tx).await?;
            sqlx::query("INSERT INTO sheet_history (round_id, ref_no, expert_id, action, reason, account_id, at) VALUES ($1, $2, $3, 'explain', $4, $5, $6)")
                .bind(r.id).bind(app.to_string()).bind(expert.to_string()).bind(text.to_string()).bind(account).bind(t as i64)
                .execute(&mut *tx).await?;
            tx.commit().await?;
            Ok(a.seq)
        })
    }

    /// A coordinator unlocks the round's locked sheets, with a reason kept
    /// here (scoring_unlock entry): results are hidden again, sheets can be
    /// reopened and members replaced; the round locks again when every sheet
    /// is in.
    pub async fn unlock(&self, r: &Round, account: i64, reason: &str) -> R<u64> {
        if r.state != RoundState::Scoring {
            return conflict(format!(
                "round {} is {} ({}); only a round that is scoring can be unlocked",
                r.id,
                r.state.as_str(),
                r.state.zh()
            ));
        }
        let reason = &crate::text::multiline("reason", reason).map_err(DrawError::Invalid)?;
        let reason = reason.trim();
        if reason.is_empty() || reason.chars().count() > 500 {
            return Err(DrawError::Invalid(
                "unlocking a round needs a reason of 1 to 500 characters".into(),
            ));
        }
        let body = Body::ScoringUnlock(entry::ScoringUnlock {
            round: round_ref(r),
        });
        with_pool!(self.store, pool => {
            let mut tx = self.store.begin_write(pool).await?;
            let t = crate::draws::log_time(&mut tx, self.clock).await?;
            let n = sqlx::query("UPDATE rounds SET locked_seq = NULL WHERE id = $1 AND state = 'scoring' AND locked_seq IS NOT NULL")
                .bind(r.id)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            if n != 1 {
                return conflict(format!("round {}'s sheets are not locked", r.id));
            }
            let a = append_in(&mut tx, self.key, self.origin, &[NewEntry { time: t, province: Some(r.province.clone()), body }]).await?[0];
            sqlx::query("INSERT INTO round_events (round_id, action, reason, account_id, seq, at) VALUES ($1, 'unlock', $2, $3, $4, $5)")
                .bind(r.id).bind(reason.to_string()).bind(account).bind(a.seq as i64).bind(t as i64)
                .execute(&mut *tx).await?;
            tx.commit().await?;
            Ok(a.seq)
        })
    }

    /// Declares a conflict with one application: it is scored without the
    /// caller, and the declaration is kept.
    pub async fn recuse(
        &self,
        r: &Round,
        expert: &str,
        account: i64,
        app: &str,
        reason: &str,
    ) -> R<()> {
        self.recuse_signed(r, expert, account, app, reason, None)
            .await
    }

    /// [`Self::recuse`] with the scorer's signature (base64) over the
    /// recusal (protocol 1.5, [`Self::expert_signed`]).
    pub async fn recuse_signed(
        &self,
        r: &Round,
        expert: &str,
        account: i64,
        app: &str,
        reason: &str,
        signature: Option<&str>,
    ) -> R<()> {
        let scorer = self.scorer(r, expert).await?;
        self.has_application(r, app).await?;
        let reason = reason.trim();
        if reason.is_empty() {
            return Err(DrawError::Invalid("a recusal needs a reason".into()));
        }
        let reason = &crate::text::multiline("reason", reason).map_err(DrawError::Invalid)?;
        // The log records that the member recused (by token); the reason stays
        // here, shown to coordinators and supervisors: it may name people.
        let mut body = Body::Recusal(entry::Recusal {
            application: app.to_string(),
            round: round_ref(r),
            scorer,
            signature: None,
        });
        let key_draw = self.expert_signed(r, &mut body, signature).await?;
        with_pool!(self.store, pool => {
            let mut tx = self.store.begin_write(pool).await?;
            let t = crate::draws::log_time(&mut tx, self.clock).await?;
            let now = t as i64;
            refuse_if_locked!(tx, r);
            crate::scorer_key_still_current!(tx, key_draw.as_ref(), &body);
            let state: Option<(String,)> = sqlx::query_as("SELECT state FROM sheets WHERE round_id = $1 AND ref_no = $2 AND expert_id = $3")
                .bind(r.id).bind(app.to_string()).bind(expert.to_string())
                .fetch_optional(&mut *tx).await?;
            if state.as_ref().is_some_and(|s| s.0 != "draft") {
                return conflict(format!("this sheet is {}", state.map(|s| s.0).unwrap_or_default()));
            }
            sqlx::query("INSERT INTO sheets (round_id, ref_no, expert_id, state, note, updated_at) VALUES ($1, $2, $3, 'recused', $4, $5) \
                         ON CONFLICT (round_id, ref_no, expert_id) DO UPDATE SET state = 'recused', note = excluded.note, updated_at = excluded.updated_at")
                .bind(r.id).bind(app.to_string()).bind(expert.to_string()).bind(reason.to_string()).bind(now)
                .execute(&mut *tx).await?;
            sqlx::query("INSERT INTO sheet_history (round_id, ref_no, expert_id, action, reason, account_id, at) VALUES ($1, $2, $3, 'recuse', $4, $5, $6)")
                .bind(r.id).bind(app.to_string()).bind(expert.to_string()).bind(reason.to_string()).bind(account).bind(now)
                .execute(&mut *tx).await?;
            append_and_lock!(self, tx, r, t, body);
            tx.commit().await?;
        });
        Ok(())
    }

    /// A coordinator reopens a submitted sheet, with a reason; the submitted
    /// bytes stay in the history (and their hash in the log).
    pub async fn reopen(
        &self,
        r: &Round,
        app: &str,
        expert: &str,
        account: i64,
        reason: &str,
    ) -> R<()> {
        if r.state != RoundState::Scoring {
            return conflict("sheets are reopened only while the round is scoring");
        }
        let reason = reason.trim();
        if reason.is_empty() {
            return Err(DrawError::Invalid(
                "reopening a sheet needs a reason".into(),
            ));
        }
        let reason = &crate::text::multiline("reason", reason).map_err(DrawError::Invalid)?;
        let scorer = match self.scorer(r, expert).await {
            Ok(t) => t,
            Err(DrawError::NotFound(_)) => {
                return conflict(format!(
                    "{expert} is no longer on the round's panel; their sheets do not count"
                ));
            }
            Err(e) => return Err(e),
        };
        with_pool!(self.store, pool => {
            let mut tx = self.store.begin_write(pool).await?;
            let now = crate::draws::log_time(&mut tx, self.clock).await? as i64;
            refuse_if_locked!(tx, r);
            let old: Option<(Option<Vec<u8>>,)> = sqlx::query_as("SELECT bytes FROM sheets WHERE round_id = $1 AND ref_no = $2 AND expert_id = $3 AND state = 'submitted'")
                .bind(r.id).bind(app.to_string()).bind(expert.to_string())
                .fetch_optional(&mut *tx).await?;
            let Some((Some(old),)) = old else {
                return Err(DrawError::NotFound(format!("no submitted sheet of {expert} for {app}")));
            };
            let n = sqlx::query("UPDATE sheets SET state = 'draft', bytes = NULL, total = NULL, updated_at = $1 WHERE round_id = $2 AND ref_no = $3 AND expert_id = $4 AND state = 'submitted'")
                .bind(now).bind(r.id).bind(app.to_string()).bind(expert.to_string())
                .execute(&mut *tx).await?.rows_affected();
            if n != 1 {
                return Err(DrawError::NotFound(format!("no submitted sheet of {expert} for {app}")));
            }
            sqlx::query("INSERT INTO sheet_history (round_id, ref_no, expert_id, action, reason, account_id, at) VALUES ($1, $2, $3, 'reopen', $4, $5, $6)")
                .bind(r.id).bind(app.to_string()).bind(expert.to_string()).bind(reason.to_string()).bind(account).bind(now)
                .execute(&mut *tx).await?;
            // The log records which sheet was reopened (by hash); the reason
            // stays here, as for a recusal.
            let body = Body::SheetReopen(entry::SheetReopen {
                application: app.to_string(),
                round: round_ref(r),
                scorer,
                sheet: rules::SheetRecord::hash_of(&old),
            });
            append_in(&mut tx, self.key, self.origin, &[NewEntry { time: now as u64, province: Some(r.province.clone()), body }]).await?;
            tx.commit().await?;
        });
        Ok(())
    }

    /// Locks the round's sheets when every one is in but no submission locked
    /// them: after an unlock that changed nothing, or a decline that left a
    /// seat empty. Refused while a sheet is missing.
    pub async fn lock(&self, r: &Round) -> R<u64> {
        if r.state != RoundState::Scoring {
            return conflict(format!(
                "round {} is {} ({}); sheets lock while it is scoring",
                r.id,
                r.state.as_str(),
                r.state.zh()
            ));
        }
        with_pool!(self.store, pool => {
            let mut tx = self.store.begin_write(pool).await?;
            let t = crate::draws::log_time(&mut tx, self.clock).await?;
            let locked = locked_in!(tx, r);
            if let Some(seq) = locked {
                return conflict(format!("round {}'s sheets are already locked (seq {seq})", r.id));
            }
            let rows: Vec<SheetRow> = sqlx::query_as("SELECT ref_no, expert_id, state, bytes FROM sheets WHERE round_id = $1")
                .bind(r.id)
                .fetch_all(&mut *tx)
                .await?;
            let Some(plan) = self.lock_plan(r, &rows).await? else {
                let waiting: usize = self.progress(r).await?.iter().map(|p| p.pending).sum();
                return conflict(format!("{waiting} sheets are not in yet; the round locks when all are"));
            };
            let done = append_in(&mut tx, self.key, self.origin, &plan.entries(r, t)).await?;
            record_lock!(tx, r, t, plan, &done);
            tx.commit().await?;
            Ok(done[0].seq)
        })
    }

    /// Submitted sheets of current panel members: (application, expert, sheet).
    /// Read from the exact bytes whose hash is in the log (never from the
    /// editable draft), so results follow only from protected bytes.
    async fn submitted(&self, r: &Round) -> R<Vec<(String, String, Sheet)>> {
        let rows: Vec<(String, String, Option<Vec<u8>>)> = with_pool!(self.store, pool => sqlx::query_as(
            "SELECT ref_no, expert_id, bytes FROM sheets WHERE round_id = $1 AND state = 'submitted' ORDER BY ref_no, expert_id")
            .bind(r.id)
            .fetch_all(pool)
            .await?);
        rows.into_iter().map(submitted_sheet).collect()
    }

    /// The round's scoring history, oldest first: every submission,
    /// recusal, reopening and explanation of a sheet, and every lock and
    /// unlock of the round, with the reasons people gave. For coordinators
    /// and supervisors (reasons may name people; never public).
    pub async fn history(&self, r: &Round) -> R<Vec<HistoryRow>> {
        let sheets: Vec<HistoryDbRow> = with_pool!(self.store, pool => sqlx::query_as(
            "SELECT ref_no, expert_id, action, bytes, reason, at FROM sheet_history WHERE round_id = $1 ORDER BY id")
            .bind(r.id)
            .fetch_all(pool)
            .await?);
        let events: Vec<(String, Option<String>, i64, i64)> = with_pool!(self.store, pool => sqlx::query_as(
            "SELECT action, reason, seq, at FROM round_events WHERE round_id = $1 ORDER BY id")
            .bind(r.id)
            .fetch_all(pool)
            .await?);
        let mut out: Vec<HistoryRow> = sheets
            .into_iter()
            .map(|(a, e, action, bytes, reason, at)| HistoryRow {
                at: at as u64,
                action,
                application: Some(a),
                expert: Some(e),
                sheet: bytes.map(|b| rules::SheetRecord::hash_of(&b).to_hex()),
                reason,
                seq: None,
            })
            .chain(
                events
                    .into_iter()
                    .map(|(action, reason, seq, at)| HistoryRow {
                        at: at as u64,
                        action,
                        application: None,
                        expert: None,
                        sheet: None,
                        reason,
                        seq: Some(seq as u64),
                    }),
            )
            .collect();
        out.sort_by_key(|h| h.at);
        Ok(out)
    }

    /// Counts per application; no scores.
    pub async fn progress(&self, r: &Round) -> R<Vec<Progress>> {
        let panel = self.scoring_panel(r).await?;
        let rows: Vec<(String, String, String)> = with_pool!(self.store, pool => sqlx::query_as(
            "SELECT ref_no, expert_id, state FROM sheets WHERE round_id = $1")
            .bind(r.id)
            .fetch_all(pool)
            .await?);
        let on_panel: Vec<&str> = panel.members.iter().map(|(e, _)| e.as_str()).collect();
        let asked = self.asked(r).await?;
        Ok(self
            .scored_applications(r)
            .await?
            .into_iter()
            .map(|a| {
                let explanations_needed = asked
                    .iter()
                    .filter(|(app, _, _, b)| *app == a.ref_no && b.is_none())
                    .count();
                let mine = |st: &str| {
                    rows.iter()
                        .filter(|(app, e, s)| {
                            *app == a.ref_no && s == st && on_panel.contains(&e.as_str())
                        })
                        .count()
                };
                let (submitted, recused) = (mine("submitted"), mine("recused"));
                Progress {
                    application: a.ref_no,
                    submitted,
                    recused,
                    pending: on_panel.len() - submitted - recused,
                    explanations_needed,
                }
            })
            .collect())
    }

    /// The results, once every panel member has submitted or recused for every
    /// application; before that, nobody sees any score but their own.
    pub async fn results(&self, r: &Round) -> R<Results> {
        Ok(self.compute(r).await?.results)
    }

    /// The results with what they were computed from (for the seal).
    async fn compute(&self, r: &Round) -> R<Computed> {
        if !matches!(
            r.state,
            RoundState::Scoring | RoundState::Closed | RoundState::Reported
        ) {
            return conflict(format!(
                "round {} is {}; there is nothing scored yet",
                r.id,
                r.state.as_str()
            ));
        }
        let progress = self.progress(r).await?;
        let waiting: usize = progress.iter().map(|p| p.pending).sum();
        if waiting > 0 {
            return conflict(format!(
                "{waiting} sheets are not in yet; scores stay sealed from everyone until all are"
            ));
        }
        // A round sealed before sheets locked (protocol 1.1) has no lock.
        let locked = self.locked(r).await?;
        let legacy = r.state != RoundState::Scoring && locked.is_none();
        if !legacy && locked.is_none() {
            return conflict(
                "every sheet is in but the round's sheets are not locked; a coordinator locks them before anyone sees a score",
            );
        }
        let awaited: usize = progress.iter().map(|p| p.explanations_needed).sum();
        if awaited > 0 {
            return conflict(format!(
                "{awaited} explanations of abnormal totals are awaited; scores stay sealed from everyone until each is given"
            ));
        }
        let limit = self.abnormal_limit(r).await?;
        // The explanations given after the lock, by (application, expert).
        let mut explained: HashMap<(String, String), String> = HashMap::new();
        for (a, e, _, b) in self.asked(r).await? {
            if let Some(b) = b {
                let rec: rules::ExplanationRecord = serde_json::from_slice(&b).map_err(|x| {
                    DrawError::Internal(anyhow::anyhow!("a stored explanation does not parse: {x}"))
                })?;
                explained.insert((a, e), rec.explanation);
            }
        }
        let panel = self.scoring_panel(r).await?;
        let on_panel: Vec<&str> = panel.members.iter().map(|(e, _)| e.as_str()).collect();
        let (rubric, _) = self.rubric(r).await?;
        let mut by_app: BTreeMap<String, Vec<(String, Sheet)>> = BTreeMap::new();
        for (a, e, mut s) in self.submitted(r).await? {
            if on_panel.contains(&e.as_str()) {
                if let Some(t) = explained.remove(&(a.clone(), e.clone())) {
                    s.explanation = Some(t);
                }
                by_app.entry(a).or_default().push((e, s));
            }
        }
        let mut aggs: Vec<Aggregate> = Vec::new();
        let mut extra: HashMap<String, Extra> = HashMap::new();
        for a in self.scored_applications(r).await? {
            let sheets: Vec<Sheet> = by_app
                .get(&a.ref_no)
                .map(|v| v.iter().map(|(_, s)| s.clone()).collect())
                .unwrap_or_default();
            if sheets.is_empty() {
                return conflict(format!(
                    "application {} has no valid sheet (every expert recused)",
                    a.ref_no
                ));
            }
            let agg = rules::aggregate_sheets_at(&rubric, &a.ref_no, &sheets, limit)
                .map_err(|p| DrawError::Internal(anyhow::anyhow!("aggregation: {p:?}")))?;
            let totals = sheets
                .iter()
                .map(|s| rules::validate_sheet(&rubric, s).map(|t| rules::dec2::format(&t)))
                .collect::<Result<Vec<_>, _>>()
                .map_err(|p| DrawError::Internal(anyhow::anyhow!("{p:?}")))?;
            let explanations = sheets
                .iter()
                .filter_map(|s| s.explanation.clone())
                .collect();
            extra.insert(
                a.ref_no.clone(),
                (
                    totals,
                    rules::objective_disagreements(&rubric, &sheets),
                    explanations,
                ),
            );
            aggs.push(agg);
        }
        let (quota, already): (i64, i64) = with_pool!(self.store, pool => sqlx::query_as(
            "SELECT quota, already_recommended FROM rounds WHERE id = $1")
            .bind(r.id)
            .fetch_one(pool)
            .await?);
        let ranked = rules::rank(aggs);
        let recommended = rules::recommend(&ranked, quota as u32, already as u32);
        // Kendall's W over the experts who scored every application.
        let apps: Vec<&String> = by_app.keys().collect();
        let mut rows = Vec::new();
        for (e, _) in &panel.members {
            let row: Option<Vec<Decimal>> = apps
                .iter()
                .map(|a| {
                    by_app[*a]
                        .iter()
                        .find(|(x, _)| x == e)
                        .and_then(|(_, s)| rules::validate_sheet(&rubric, s).ok())
                })
                .collect();
            if let Some(row) = row {
                rows.push(row);
            }
        }
        let results = ranked
            .iter()
            .enumerate()
            .map(|(k, a)| {
                let (totals, dis, ex) = extra.remove(&a.application).unwrap_or_default();
                Ok(ResultRow {
                    rank: k as u32 + 1,
                    aggregate: serde_json::to_value(a)?,
                    totals,
                    recommended: recommended.contains(&a.application),
                    objective_disagreements: dis,
                    explanations: ex,
                })
            })
            .collect::<Result<Vec<_>, serde_json::Error>>()?;
        // The sheets the results come from: the current panel's. A member who
        // left the panel (declined, replaced) has void sheets.
        let bytes: Vec<(String, Vec<u8>)> = with_pool!(self.store, pool => sqlx::query_as(
            "SELECT expert_id, bytes FROM sheets WHERE round_id = $1 AND state = 'submitted' ORDER BY ref_no, expert_id")
            .bind(r.id)
            .fetch_all(pool)
            .await?);
        let mut sheets: Vec<Hash32> = bytes
            .iter()
            .filter(|(e, _)| on_panel.contains(&e.as_str()))
            .map(|(_, b)| rules::SheetRecord::hash_of(b))
            .collect();
        sheets.sort();
        let seal = entry::Seal {
            already_recommended: already as u32,
            quota: quota as u32,
            results: ranked
                .iter()
                .enumerate()
                .map(|(k, a)| entry::SealedResult {
                    application: a.application.clone(),
                    final_score: rules::dec2::format(&a.final_score),
                    rank: k as u32 + 1,
                    recommended: recommended.contains(&a.application),
                    sheets: a.sheets,
                })
                .collect(),
            round: round_ref(r),
            rubric: rubric.hash(),
            rule: RULE.to_string(),
            sheets,
        };
        Ok(Computed {
            results: Results {
                round: round_ref(r).to_string(),
                rubric: rubric.hash().to_hex(),
                rule: RULE,
                quota: quota as u32,
                already_recommended: already as u32,
                results,
                recommended,
                kendalls_w: rules::kendalls_w(&rows).map(|w| w.to_string()),
            },
            seal,
        })
    }

    /// Closes the round: every sheet must be in; the seal entry fixes the
    /// sheets, the rule and the result.
    pub async fn close(&self, r: &Round) -> R<u64> {
        if r.state != RoundState::Scoring {
            return conflict(format!(
                "round {} is {} ({}); it can move to closed only from scoring",
                r.id,
                r.state.as_str(),
                r.state.zh()
            ));
        }
        let body = Body::Seal(self.compute(r).await?.seal);
        with_pool!(self.store, pool => {
            let mut tx = self.store.begin_write(pool).await?;
            let t = crate::draws::log_time(&mut tx, self.clock).await?;
            let won = sqlx::query("UPDATE rounds SET state = 'closed', updated_at = $1 WHERE id = $2 AND state = 'scoring'")
                .bind(t as i64)
                .bind(r.id)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            if won != 1 {
                return conflict(format!("round {} changed meanwhile", r.id));
            }
            let a = append_in(&mut tx, self.key, self.origin, &[NewEntry { time: t, province: Some(r.province.clone()), body }]).await?[0];
            tx.commit().await?;
            Ok(a.seq)
        })
    }
}

/// A plausible, valid sheet for `app` under `rubric`: each indicator at 60 % to
/// 95 % of its maximum (varied by `k`, and the same for every expert on
/// objective indicators), rounded down to its step; every gate passed. For the
/// demo and tests.
pub fn sample_sheet(rubric: &Rubric, app: &str, k: usize) -> Sheet {
    let scores = rubric
        .indicators
        .iter()
        .enumerate()
        .map(|(i, ind)| {
            let pct = if ind.objective {
                Decimal::new(80, 2)
            } else {
                Decimal::new(60 + 5 * ((k + i) % 8) as i64, 2)
            };
            let raw = ind.max_points * pct;
            let points = (raw / ind.step).floor() * ind.step;
            rules::Score {
                code: ind.code.clone(),
                points: points.round_dp(2),
            }
        })
        .collect();
    Sheet {
        application: app.to_string(),
        scores,
        gates: rubric
            .gates
            .iter()
            .map(|g| rules::GateAnswer {
                code: g.code.clone(),
                pass: true,
            })
            .collect(),
        comment: Some("材料齐全，条件符合。".into()),
        explanation: None,
    }
}

/// A submitted sheet from its committed bytes; a row without them, or whose
/// bytes are not a sheet of its application, is an error naming it.
fn submitted_sheet(
    (app, expert, bytes): (String, String, Option<Vec<u8>>),
) -> R<(String, String, Sheet)> {
    let bytes = bytes.ok_or_else(|| {
        DrawError::Internal(anyhow::anyhow!(
            "the submitted sheet of {expert} for {app} has no committed bytes"
        ))
    })?;
    let rec: rules::SheetRecord = serde_json::from_slice(&bytes).map_err(|e| {
        DrawError::Internal(anyhow::anyhow!(
            "the submitted sheet of {expert} for {app} does not parse: {e}"
        ))
    })?;
    if rec.application != app {
        return Err(DrawError::Internal(anyhow::anyhow!(
            "the submitted sheet of {expert} for {app} names application {}",
            rec.application
        )));
    }
    let sheet = rec.sheet();
    Ok((app, expert, sheet))
}

/// A rubric's texts are shown on every sheet and printed; its hash is what
/// the coordinator was answered, so they are refused, not normalised, unless
/// NFC and free of hidden characters and look-alike words.
fn rubric_text(r: &Rubric) -> R<()> {
    let mut texts: Vec<(&str, &str, bool)> = vec![("title", &r.title, false)];
    for i in &r.indicators {
        texts.push(("name", &i.name, false));
        for l in [
            &i.levels.full,
            &i.levels.good,
            &i.levels.fair,
            &i.levels.poor,
        ] {
            texts.push(("level", l, true));
        }
    }
    for g in &r.gates {
        texts.push(("name", &g.name, false));
        texts.push(("description", &g.description, true));
    }
    for (field, v, multiline) in texts {
        crate::text::nfc_only(field, v, multiline).map_err(DrawError::Invalid)?;
    }
    Ok(())
}

/// A sheet's comment and explanation are sealed as the expert sent them (the
/// expert may hash their own sheet), so they are refused, not normalised,
/// unless they are NFC and free of hidden characters and look-alike words.
fn sheet_text(sheet: &Sheet) -> R<()> {
    for (field, v) in [
        ("comment", &sheet.comment),
        ("explanation", &sheet.explanation),
    ] {
        if let Some(v) = v {
            crate::text::nfc_only(field, v, true).map_err(DrawError::Invalid)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_rubrics_pass_the_text_rules_and_a_hidden_character_does_not() {
        for r in rules::default_rubrics() {
            rubric_text(&r).unwrap();
        }
        let mut r = rules::default_rubrics().remove(0);
        r.indicators[0].name.push('\u{202E}');
        let Err(DrawError::Invalid(m)) = rubric_text(&r) else {
            panic!("accepted")
        };
        assert_eq!(
            m,
            "name contains a control or invisible character (U+202E); remove it"
        );
    }

    #[test]
    fn sample_sheets_validate_under_every_default_rubric() {
        for r in rules::default_rubrics() {
            for k in 0..8 {
                let s = sample_sheet(&r, "A1", k);
                let total = rules::validate_sheet(&r, &s).unwrap();
                assert!(total > Decimal::new(50, 0) && total < Decimal::new(100, 0));
            }
        }
    }
}
