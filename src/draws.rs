//! The draw workflow of a review round, on the store: eligibility, commit,
//! supervisors' contributions, the beacon, the reveal, declines and replacements
//! (补抽), void, disclosure, and the bundle a third party verifies offline.
//!
//! Each step that writes is one transaction: the draw's row and its log entry
//! move together. A step checks the draw's state inside that transaction (a
//! conditional `UPDATE … WHERE state = …` or `version = …`), so two concurrent
//! reveals or declines on one draw give exactly one result; the loser gets a
//! conflict. Log times come from the service's clock, never earlier than the
//! log's last entry.

use crate::applications::ApplicationRecord;
use crate::clock::Clock;
use crate::roster::{ExpertRecord, Status};
use crate::store::Store;
use crate::store::blob::PoolRowTx;
use crate::store::log::{LogTx, NewEntry, append_in};
use crate::store::rounds::{Round, RoundState};
use crate::with_pool;
use anyhow::Context;
use base64::Engine;
use fairpanel_core::draw::{self, Candidate};
use fairpanel_core::entry::{self, Body, Opening};
use fairpanel_core::fill::{self, Infeasible};
use fairpanel_core::hash::Hash32;
use fairpanel_core::pool::{self, PoolLeaf};
use fairpanel_core::tags::{self, TagSecret};
use fairpanel_core::types::{DrawId, DrawSpec, Province, Quota, ReasonCode, Token};
use fairpanel_core::{SecretKey, beacon, bundle};
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};
use utoipa::ToSchema;

/// The smallest panel a coordinator may ask for unless the deployment allows less.
pub const DEFAULT_MIN_PANEL: u32 = 5;
/// A committed draw not revealed this long after its entropy deadline (or its
/// beacon round) is shown as abandoned.
pub const ABANDONED_AFTER: u64 = 24 * 3600;

/// Why a step was refused. Nothing was changed.
#[derive(Debug)]
pub enum DrawError {
    NotFound(String),
    /// The action does not fit the current state (out of order, too late, twice).
    Conflict(String),
    /// The request itself is wrong.
    Invalid(String),
    /// The eligible pool cannot meet the specification.
    Infeasible(Infeasible),
    Internal(anyhow::Error),
}

impl From<anyhow::Error> for DrawError {
    fn from(e: anyhow::Error) -> Self {
        DrawError::Internal(e)
    }
}

impl From<sqlx::Error> for DrawError {
    fn from(e: sqlx::Error) -> Self {
        DrawError::Internal(e.into())
    }
}

impl From<serde_json::Error> for DrawError {
    fn from(e: serde_json::Error) -> Self {
        DrawError::Internal(e.into())
    }
}

pub mod prepared;
mod supplement;
pub use supplement::SupplementRequest;

type R<T> = Result<T, DrawError>;

fn conflict<T>(m: impl Into<String>) -> R<T> {
    Err(DrawError::Conflict(m.into()))
}

/// How the seed gets its public randomness.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(tag = "mode", rename_all = "snake_case", deny_unknown_fields)]
pub enum BeaconChoice {
    /// drand quicknet: the first round at or after commit time + `margin`
    /// seconds; or, with `round`, that round (the margin is then the time from
    /// the commit to the round, and must be at least 30 s).
    Drand {
        #[serde(default = "default_margin")]
        margin: u64,
        #[serde(default)]
        round: Option<u64>,
    },
    /// No public randomness: lower assurance, stated in every bundle's report.
    None,
}

fn default_margin() -> u64 {
    120
}

fn default_window() -> u64 {
    60
}

fn default_panel() -> u32 {
    7
}

#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct QuotaRequest {
    /// A specialty code from the roster's list, e.g. `nursing`.
    pub spec: String,
    pub min: u32,
}

/// What a coordinator asks for.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DrawRequest {
    /// Shown in the log and on the record sheet; no personal data.
    pub title: String,
    /// Odd; at least 5 unless the deployment allows smaller panels.
    #[serde(default = "default_panel")]
    pub panel: u32,
    /// Ordered alternates listed after the panel.
    #[serde(default)]
    pub alternates: u32,
    #[serde(default)]
    pub quotas: Vec<QuotaRequest>,
    /// At most this many panel members from one organisation.
    #[serde(default)]
    pub org_cap: Option<u32>,
    /// Leave out experts seated on a panel of this province in the last N days.
    #[serde(default)]
    pub cooldown_days: Option<u32>,
    pub beacon: BeaconChoice,
    /// Seconds after the commit during which supervisors may contribute; must
    /// end before the beacon round.
    #[serde(default = "default_window")]
    pub entropy_window: u64,
    /// Protocol 1.4: every contribution must be signed by the supervisor's
    /// personal key, registered in the draw first (`POST …/draws/{draw}/keys`).
    #[serde(default)]
    pub personal_keys: bool,
}

/// Protocol 1.4: a person's pseudonymous token in a draw's key_registration
/// (a service convention; the verifier treats it as opaque):
/// `SHA-256("fairpanel/service/person" || 0x00 || lp(draw) || lp(account label))`.
pub fn person_token(draw: &DrawId, person: &str) -> Hash32 {
    let mut m = b"fairpanel/service/person\0".to_vec();
    for part in [draw.as_str().as_bytes(), person.as_bytes()] {
        m.extend_from_slice(&(part.len() as u32).to_be_bytes());
        m.extend_from_slice(part);
    }
    fairpanel_core::hash::sha256(&m)
}

impl DrawRequest {
    pub fn spec(&self, min_panel: u32) -> R<DrawSpec> {
        if self.title.trim().is_empty() || self.title.chars().count() > 200 {
            return Err(DrawError::Invalid(
                "title must be 1 to 200 characters".into(),
            ));
        }
        crate::text::line("title", &self.title).map_err(DrawError::Invalid)?;
        if self.panel < min_panel {
            return Err(DrawError::Invalid(format!(
                "panel size {} is below this deployment's minimum of {min_panel}",
                self.panel
            )));
        }
        let mut quotas = Vec::new();
        for q in &self.quotas {
            let spec = crate::roster::parse_specialty(&q.spec).map_err(DrawError::Invalid)?;
            quotas.push(Quota { min: q.min, spec });
        }
        let spec = DrawSpec {
            alternates: self.alternates,
            org_cap: self.org_cap,
            panel: self.panel,
            quotas,
        };
        spec.validate().map_err(DrawError::Invalid)?;
        match self.beacon {
            BeaconChoice::Drand { round: Some(_), .. } => {}
            BeaconChoice::Drand {
                margin,
                round: None,
            } => {
                if margin < beacon::MIN_MARGIN {
                    return Err(DrawError::Invalid(format!(
                        "beacon margin must be at least {} s",
                        beacon::MIN_MARGIN
                    )));
                }
                if self.entropy_window >= margin {
                    return Err(DrawError::Invalid(format!(
                        "the entropy window ({} s) must end before the beacon round (margin {margin} s)",
                        self.entropy_window
                    )));
                }
            }
            BeaconChoice::None => {}
        }
        if self.entropy_window > 30 * 86_400 {
            return Err(DrawError::Invalid(
                "the entropy window may be at most 30 days".into(),
            ));
        }
        Ok(spec)
    }
}

/// A member left out of a draw, and why (`suspended`, `applicant_org`,
/// `declared_avoid`, `cooldown`).
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct Excluded {
    pub expert_id: String,
    pub reason: String,
}

/// The pool a request would commit, before anything is written.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct Preview {
    pub eligible: usize,
    pub excluded: Vec<Excluded>,
    /// Eligible members per specialty.
    pub by_specialty: std::collections::BTreeMap<String, usize>,
    /// `None` when the draw can be made; otherwise the constraint and the shortfall.
    pub infeasible: Option<InfeasibleView>,
}

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct InfeasibleView {
    pub constraint: String,
    pub detail: String,
}

/// Each expert's credit code where known: their own, else the one code the
/// roster gives their organisation's normalised name (when the roster's experts
/// of that name agree on one code). Colleagues of whom only some have a code
/// recorded then share one organisation key ([`tags::org_key`]).
fn known_codes(experts: &[ExpertRecord]) -> Vec<String> {
    let mut by_name: HashMap<String, Option<String>> = HashMap::new();
    for e in experts {
        if let Some(c) = e.credit_code.as_deref().map(tags::normalise_code)
            && !c.is_empty()
        {
            by_name
                .entry(tags::normalise_name(&e.organisation))
                .and_modify(|k| {
                    if k.as_deref() != Some(c.as_str()) {
                        *k = None;
                    }
                })
                .or_insert(Some(c));
        }
    }
    experts
        .iter()
        .map(
            |e| match e.credit_code.as_deref().map(tags::normalise_code) {
                Some(c) if !c.is_empty() => c,
                _ => by_name
                    .get(&tags::normalise_name(&e.organisation))
                    .cloned()
                    .flatten()
                    .unwrap_or_default(),
            },
        )
        .collect()
}

/// Who may sit on this round's panel, and who may not and why.
///
/// Avoidance and the organisation cap share one normalisation
/// ([`tags::normalise_name`], [`tags::org_key`]): an expert is kept away from an
/// applicant whose organisation key, credit code or normalised name is theirs
/// (over-avoiding is safe), or whose normalised name they declared.
pub fn candidates(
    experts: &[ExpertRecord],
    apps: &[ApplicationRecord],
    recent: &HashSet<String>,
) -> Vec<Candidate> {
    let names: HashSet<String> = apps
        .iter()
        .map(|a| tags::normalise_name(&a.applicant_org))
        .collect();
    let keys: HashSet<String> = apps
        .iter()
        .map(|a| tags::org_key(a.credit_code.as_deref().unwrap_or(""), &a.applicant_org))
        .collect();
    let codes: HashSet<String> = apps
        .iter()
        .filter_map(|a| a.credit_code.as_deref().map(tags::normalise_code))
        .filter(|c| !c.is_empty())
        .collect();
    let reason = |s: &str| Some(ReasonCode::try_from(s).expect("constant reason codes are valid"));
    experts
        .iter()
        .zip(known_codes(experts))
        .map(|(e, code)| {
            let excluded = if e.status == Status::Suspended {
                reason("suspended")
            } else if names.contains(&tags::normalise_name(&e.organisation))
                || keys.contains(&tags::org_key(&code, &e.organisation))
                || codes.contains(&code)
            {
                reason("applicant_org")
            } else if e
                .avoid_orgs
                .iter()
                .any(|o| names.contains(&tags::normalise_name(o)))
            {
                reason("declared_avoid")
            } else if recent.contains(&e.expert_id) {
                reason("cooldown")
            } else {
                None
            };
            Candidate {
                expert: e.expert_id.clone(),
                name: e.name.clone(),
                org: e.organisation.clone(),
                code,
                spec: e.specialty.clone(),
                excluded,
            }
        })
        .collect()
}

fn random32() -> [u8; 32] {
    let mut b = [0u8; 32];
    getrandom::fill(&mut b).expect("the operating system's random generator is available");
    b
}

/// `n` fresh random 32-byte values from one call to the OS (a call per value
/// costs more than the hashing they feed, at 100,000 members).
fn random_batch(n: usize) -> impl FnMut() -> [u8; 32] {
    let mut buf = vec![0u8; 32 * n];
    getrandom::fill(&mut buf).expect("the operating system's random generator is available");
    let mut k = 0;
    move || {
        let out: [u8; 32] = match buf.get(32 * k..32 * k + 32) {
            Some(c) => c.try_into().expect("32 bytes"),
            None => random32(),
        };
        k += 1;
        out
    }
}

/// A draw as loaded for a step.
pub struct Loaded {
    pub id: DrawId,
    pub province: Province,
    pub round_id: i64,
    pub state: String,
    pub spec: DrawSpec,
    pub request: DrawRequest,
    pub commit_seq: u64,
    pub commit_hash: Hash32,
    pub commit_time: u64,
    pub entropy_deadline: u64,
    pub beacon_round: Option<u64>,
    pub secret: Hash32,
    /// The pool leaves, in token order.
    pub leaves: Vec<PoolLeaf>,
    /// Each leaf's expert id, in the same order. (Names and salts are read only
    /// when needed: [`Workflow::openings`].)
    pub experts: Vec<String>,
    pub panel: Vec<u32>,
    pub alternates: Vec<u32>,
    pub ever: Vec<u32>,
    pub version: i64,
    pub revealed_at: Option<u64>,
}

impl Loaded {
    pub fn expert_of(&self, i: u32) -> &str {
        &self.experts[i as usize]
    }

    fn index_of_expert(&self, expert: &str) -> Option<u32> {
        self.experts
            .iter()
            .position(|e| e == expert)
            .map(|i| i as u32)
    }

    /// The draw as the API shows it; names only when `names` is given (after
    /// disclosure).
    pub fn summary(&self, names: Option<&HashMap<Token, Opening>>) -> DrawSummary {
        let seat = |i: &u32| {
            let leaf = &self.leaves[*i as usize];
            SeatView {
                token: leaf.token.0.to_hex(),
                specialty: leaf.spec.to_string(),
                expert_id: None,
                name: names
                    .and_then(|n| n.get(&leaf.token))
                    .map(|o| o.name.clone()),
            }
        };
        DrawSummary {
            id: self.id.to_string(),
            round_id: self.round_id,
            state: self.state.clone(),
            title: self.request.title.clone(),
            commit_seq: self.commit_seq,
            commit_time: self.commit_time,
            entropy_deadline: self.entropy_deadline,
            beacon_round: self.beacon_round,
            pool_size: self.leaves.len(),
            panel: self.panel.iter().map(seat).collect(),
            alternates: self.alternates.iter().map(seat).collect(),
            panel_short: self.state != "committed" && self.panel.len() < self.spec.panel as usize,
        }
    }
}

/// Leaf bytes joined by newlines (JCS output has no raw newline).
fn split_lines(b: &[u8]) -> impl Iterator<Item = &[u8]> {
    b.split(|&c| c == b'\n').filter(|l| !l.is_empty())
}

fn h32(v: &[u8]) -> anyhow::Result<Hash32> {
    Ok(Hash32(
        v.try_into().context("a stored hash is not 32 bytes")?,
    ))
}

type DrawRow = (
    String,
    String,
    i64,
    String,
    String,
    String,
    i64,
    Vec<u8>,
    i64,
    i64,
    Option<i64>,
    Vec<u8>,
    Vec<u8>,
    String,
    String,
    String,
    i64,
    Option<i64>,
    String,
);

/// A draw's row joined with its pool (`draw_pools`, kept apart so that a
/// step's update rewrites a few bytes, not the pool): alias `d` and `p`.
const DRAW_COLS: &str = "d.id, d.province, d.round_id, d.state, d.request, d.spec, d.commit_seq, d.commit_hash, d.commit_time, d.entropy_deadline, d.beacon_round, d.secret, p.leaves, d.panel, d.alternates, d.ever, d.version, d.revealed_at, p.experts";

fn loaded_from(r: DrawRow) -> anyhow::Result<Loaded> {
    let lines: Vec<&[u8]> = split_lines(&r.12).collect();
    let leaves = pool::parse_leaves(&lines, |b| *b)
        .map_err(|(i, e)| anyhow::anyhow!("draw {}: stored pool leaf {i}: {e}", r.0))?;
    drop(lines);
    let experts: Vec<String> = r.18.split('\n').map(str::to_string).collect();
    if experts.len() != leaves.len() {
        anyhow::bail!(
            "draw {}: {} leaves but {} expert ids",
            r.0,
            leaves.len(),
            experts.len()
        );
    }
    // Stored indexes and numbers are checked, never trusted: a bad row is an
    // error naming the draw, not a panic.
    let indexes = |what: &str, text: &str| -> anyhow::Result<Vec<u32>> {
        let v: Vec<u32> = serde_json::from_str(text)?;
        if let Some(bad) = v.iter().find(|&&i| i as usize >= leaves.len()) {
            anyhow::bail!(
                "draw {}: stored {what} index {bad} is outside its pool of {}",
                r.0,
                leaves.len()
            );
        }
        Ok(v)
    };
    let num = |what: &str, v: i64| -> anyhow::Result<u64> {
        u64::try_from(v).map_err(|_| anyhow::anyhow!("draw {}: stored {what} {v} is negative", r.0))
    };
    let panel = indexes("panel", &r.13)?;
    let alternates = indexes("alternate", &r.14)?;
    let ever = indexes("seated", &r.15)?;
    Ok(Loaded {
        id: DrawId::try_from(r.0.clone()).map_err(|e| anyhow::anyhow!(e))?,
        province: Province::try_from(r.1).map_err(|e| anyhow::anyhow!(e))?,
        round_id: r.2,
        state: r.3,
        request: serde_json::from_str(&r.4)?,
        spec: serde_json::from_str(&r.5)?,
        commit_seq: num("commit_seq", r.6)?,
        commit_hash: h32(&r.7)?,
        commit_time: num("commit_time", r.8)?,
        entropy_deadline: num("entropy_deadline", r.9)?,
        beacon_round: r.10.map(|v| num("beacon_round", v)).transpose()?,
        secret: h32(&r.11)?,
        leaves,
        experts,
        panel,
        alternates,
        ever,
        version: r.16,
        revealed_at: r.17.map(|v| num("revealed_at", v)).transpose()?,
    })
}

/// The log time for an entry written now: the clock, but never before the last
/// entry. Locks the log head, so call it inside the write transaction.
pub(crate) async fn log_time<T: LogTx>(tx: &mut T, clock: &Clock) -> anyhow::Result<u64> {
    let (_, _, last) = tx.lock_head().await?;
    Ok(clock.now().max(last))
}

/// One of the draw's log entries, parsed.
pub struct DrawEntry {
    pub seq: u64,
    pub time: u64,
    pub hash: Hash32,
    pub body: Body,
}

/// The service's side of the workflow: the store, the signing key, the clock.
pub struct Workflow<'a> {
    pub store: &'a Store,
    pub key: &'a SecretKey,
    pub origin: &'a str,
    pub clock: &'a Clock,
    pub min_panel: u32,
    /// Pools prepared ahead of their commit; `None` prepares at the commit.
    pub prepared: Option<&'a prepared::Prepared>,
    /// The sheet submissions' group-commit queue (the server's); `None`
    /// writes each sheet in a transaction of its own.
    pub sheets: Option<&'a crate::sheet_queue::SheetQueue>,
}

impl Workflow<'_> {
    /// Experts seated on a panel of province `p` since `since`.
    async fn recently_seated(&self, p: &Province, since: u64) -> anyhow::Result<HashSet<String>> {
        let rows: Vec<(String,)> = with_pool!(self.store, pool => sqlx::query_as(
            "SELECT DISTINCT expert_id FROM draw_members WHERE province = $1 AND role = 'panel' AND since >= $2")
            .bind(p.as_str().to_string())
            .bind(since as i64)
            .fetch_all(pool)
            .await?);
        Ok(rows.into_iter().map(|(e,)| e).collect())
    }

    async fn candidates(&self, round: &Round, req: &DrawRequest) -> anyhow::Result<Vec<Candidate>> {
        // The cached roster itself, not a copy of it (a copy of a 100,000-member
        // roster is about 45 MB, all of it at once).
        let experts = self.store.roster(&round.province).await?;
        let apps = self.store.applications(round.id).await?;
        let recent = match req.cooldown_days {
            Some(d) if d > 0 => {
                let since = self.clock.now().saturating_sub(d as u64 * 86_400);
                self.recently_seated(&round.province, since).await?
            }
            _ => HashSet::new(),
        };
        Ok(candidates(&experts, &apps, &recent))
    }

    /// The eligible pool, the exclusions and feasibility, without writing anything.
    pub async fn preview(&self, round: &Round, req: &DrawRequest) -> R<Preview> {
        let spec = req.spec(self.min_panel)?;
        let cands = self.candidates(round, req).await?;
        // The coordinator is about to commit: the pool's costly part starts
        // now, for the id the commit will have (`prepared.rs`).
        if let Some(p) = self.prepared
            && round.state == RoundState::Open
        {
            p.start(self.next_draw_id(round).await?.as_str(), cands.clone());
        }
        let mut by_specialty = std::collections::BTreeMap::new();
        let mut excluded = Vec::new();
        let mut leaves = Vec::new();
        let mut org_ids: HashMap<String, u128> = HashMap::new();
        for c in &cands {
            match &c.excluded {
                Some(r) => excluded.push(Excluded {
                    expert_id: c.expert.clone(),
                    reason: r.to_string(),
                }),
                None => {
                    *by_specialty.entry(c.spec.to_string()).or_insert(0) += 1;
                    // Feasibility depends on specialties and organisations only:
                    // a stand-in tag per organisation key serves here (no key).
                    let key = fairpanel_core::tags::org_key(&c.code, &c.org);
                    let n = org_ids.len() as u128;
                    let org = *org_ids.entry(key).or_insert(n);
                    leaves.push(PoolLeaf {
                        id: fairpanel_core::types::IdTag([0; 16]),
                        org: fairpanel_core::types::OrgTag(org.to_be_bytes()),
                        spec: c.spec.clone(),
                        token: fairpanel_core::types::Token(Hash32([0; 32])),
                    });
                }
            }
        }
        Ok(Preview {
            eligible: leaves.len(),
            excluded,
            by_specialty,
            infeasible: fill::check_feasible(&spec, &leaves)
                .err()
                .map(|e| InfeasibleView {
                    constraint: e.constraint,
                    detail: e.detail,
                }),
        })
    }

    /// Whether the round can take a new draw: it is open (or drawn with a panel
    /// that ran out of alternates), and has no draw committed and not yet
    /// revealed or voided.
    async fn check_round_takes_a_draw(&self, round: &Round) -> R<()> {
        let draws = self.draws_of_round(round.id).await?;
        if let Some(d) = draws.iter().find(|d| d.state == "committed") {
            return conflict(format!(
                "draw {} of this round is committed and not yet revealed; reveal or void it first",
                d.id
            ));
        }
        let complete = draws
            .iter()
            .any(|d| (d.state == "revealed" || d.state == "disclosed") && d.seated >= d.panel_size);
        if let Some(short) = draws
            .iter()
            .rev()
            .find(|d| d.state == "revealed" && d.seated < d.panel_size)
            .filter(|_| !complete)
        {
            return conflict(format!(
                "the panel of draw {} has {} empty seats and its alternates ran out: fill them with a supplementary draw (补抽) of draw {}, which keeps its seated members",
                short.id,
                short.panel_size - short.seated,
                short.id
            ));
        }
        match round.state {
            RoundState::Open => Ok(()),
            RoundState::Drawn if !complete => Ok(()),
            s => conflict(format!(
                "round {} is {} ({}); a new draw needs an open round, or a drawn one whose panel ran out of alternates",
                round.id,
                s.as_str(),
                s.zh()
            )),
        }
    }

    /// The id the round's next draw will have: the draw id enters every tag.
    async fn next_draw_id(&self, round: &Round) -> R<DrawId> {
        let n: (i64,) = with_pool!(self.store, pool => sqlx::query_as("SELECT COUNT(*) FROM draws WHERE round_id = $1")
            .bind(round.id)
            .fetch_one(pool)
            .await?);
        DrawId::try_from(format!(
            "{}-{}-r{}-d{}",
            round.province,
            round.year,
            round.id,
            n.0 + 1
        ))
        .map_err(|e| DrawError::Internal(anyhow::anyhow!(e)))
    }

    /// Commits a draw: fixes the pool, exclusions, rules, secret commitment,
    /// beacon target and entropy deadline in one signed entry.
    pub async fn commit(&self, round: &Round, req: &DrawRequest) -> R<DrawSummary> {
        // The title enters the signed commit entry as stored: in NFC, clean.
        let title = crate::text::line("title", &req.title).map_err(DrawError::Invalid)?;
        let req = &DrawRequest {
            title,
            ..req.clone()
        };
        let spec = req.spec(self.min_panel)?;
        self.check_round_takes_a_draw(round).await?;
        let cands = self.candidates(round, req).await?;
        // The draw id enters every tag, so it is fixed before the pool.
        let id = self.next_draw_id(round).await?;
        // A pool prepared by the preview is finished already when the
        // candidates are still the preview's (`prepared.rs`).
        let ahead = match self.prepared {
            Some(p) => p.take(id.as_str()).await.map(|a| (a, p)),
            None => None,
        };
        let form = match ahead {
            Some((ahead, p)) => ahead.pool_for(cands, random_batch(1), p)?,
            None => {
                let pool = draw::prepare_pool(id.as_str(), &cands, random_batch(cands.len() + 1));
                let form = prepared::PoolForm::new(pool, &cands)?;
                // Not held while the pool is written (peak memory).
                drop(cands);
                form
            }
        };
        fill::check_feasible(&spec, &form.leaves).map_err(DrawError::Infeasible)?;
        let secret = Hash32(random32());
        let prepared::PoolForm {
            leaves,
            root,
            excluded,
            tag_secret,
            tag_key,
            leaves_blob,
            experts: experts_col,
            openings: openings_blob,
        } = form;
        let pool_size = leaves.len();
        drop(leaves);
        let request_json = serde_json::to_string(req)?;
        let spec_json = serde_json::to_string(&spec)?;
        let body = |t: u64| -> R<entry::Commit> {
            let target = beacon_target(&req.beacon, t, req.entropy_window)?;
            Ok(entry::Commit {
                beacon: target,
                draw: id.clone(),
                entropy_deadline: t + req.entropy_window,
                excluded: excluded.clone(),
                pool_root: root,
                pool_size: pool_size as u64,
                secret_commitment: draw::secret_commitment(&secret),
                spec: spec.clone(),
                supplements: None,
                personal_keys: req.personal_keys,
                tag_key,
                title: req.title.clone(),
            })
        };
        let province = round.province.clone();
        let (a, deadline, target) = with_pool!(self.store, pool => {
            let mut tx = self.store.begin_write(pool).await?;
            let t = log_time(&mut tx, self.clock).await?;
            let commit = body(t)?;
            let deadline = commit.entropy_deadline;
            let target = commit.beacon.as_ref().map(|b| b.round as i64);
            let a = append_in(&mut tx, self.key, self.origin, &[NewEntry {
                time: t,
                province: Some(province.clone()),
                body: Body::Commit(commit),
            }]).await?[0];
            sqlx::query("INSERT INTO draws (id, province, round_id, state, request, spec, commit_seq, commit_hash, commit_time, entropy_deadline, beacon_round, secret, created_at, tag_secret) VALUES ($1, $2, $3, 'committed', $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)")
                .bind(id.as_str().to_string())
                .bind(province.as_str().to_string())
                .bind(round.id)
                .bind(request_json)
                .bind(spec_json)
                .bind(a.seq as i64)
                .bind(a.hash.0.to_vec())
                .bind(a.time as i64)
                .bind(deadline as i64)
                .bind(target)
                .bind(secret.0.to_vec())
                .bind(a.time as i64)
                .bind(tag_secret.to_bytes().to_vec())
                .execute(&mut *tx)
                .await?;
            tx.insert_draw_pool(id.as_str(), &leaves_blob, &experts_col, &openings_blob).await?;
            tx.commit().await?;
            (a, deadline, target)
        });
        Ok(DrawSummary {
            id: id.to_string(),
            round_id: round.id,
            state: "committed".into(),
            title: req.title.clone(),
            commit_seq: a.seq,
            commit_time: a.time,
            entropy_deadline: deadline,
            beacon_round: target.map(|r| r as u64),
            pool_size,
            panel: vec![],
            alternates: vec![],
            panel_short: false,
        })
    }

    /// Every member's opening (name, organisation, salts), by token: only for
    /// disclosure and for views after it.
    pub async fn openings(&self, id: &DrawId) -> R<HashMap<Token, Opening>> {
        let (blob,): (Vec<u8>,) = with_pool!(self.store, pool => sqlx::query_as(
            "SELECT openings FROM draw_pools WHERE draw_id = $1")
            .bind(id.as_str().to_string())
            .fetch_one(pool)
            .await?);
        let v: Vec<Opening> = serde_json::from_slice(&blob)?;
        Ok(v.into_iter().map(|o| (o.token, o)).collect())
    }

    /// The draw's secret tag key: only to prove the disclosed members' tags.
    async fn tag_secret(&self, id: &DrawId) -> R<TagSecret> {
        let (bytes,): (Option<Vec<u8>>,) = with_pool!(self.store, pool => sqlx::query_as(
            "SELECT tag_secret FROM draws WHERE id = $1")
            .bind(id.as_str().to_string())
            .fetch_one(pool)
            .await?);
        bytes
            .and_then(|b| <[u8; 32]>::try_from(b).ok())
            .and_then(TagSecret::from_bytes)
            .ok_or_else(|| {
                DrawError::Internal(anyhow::anyhow!(
                    "draw {id} has no valid tag key (made before protocol 1.1?)"
                ))
            })
    }

    pub async fn load(&self, p: &Province, id: &str) -> R<Loaded> {
        let sql = format!(
            "SELECT {DRAW_COLS} FROM draws d JOIN draw_pools p ON p.draw_id = d.id WHERE d.province = $1 AND d.id = $2"
        );
        // Nineteen columns: more than sqlx's tuple rows take, so read by index.
        let row: Option<DrawRow> = with_pool!(self.store, pool => {
            use sqlx::Row;
            match sqlx::query(sqlx::AssertSqlSafe(sql))
                .bind(p.as_str().to_string())
                .bind(id.to_string())
                .fetch_optional(pool)
                .await?
            {
                Some(r) => Some((
                    r.try_get(0)?, r.try_get(1)?, r.try_get(2)?, r.try_get(3)?, r.try_get(4)?,
                    r.try_get(5)?, r.try_get(6)?, r.try_get(7)?, r.try_get(8)?, r.try_get(9)?,
                    r.try_get(10)?, r.try_get(11)?, r.try_get(12)?, r.try_get(13)?, r.try_get(14)?,
                    r.try_get(15)?, r.try_get(16)?, r.try_get(17)?, r.try_get(18)?,
                )),
                None => None,
            }
        });
        match row {
            Some(r) => Ok(loaded_from(r)?),
            None => Err(DrawError::NotFound(format!("no draw {id}"))),
        }
    }

    /// The draw's own log entries, in order.
    pub async fn entries(&self, id: &DrawId) -> R<Vec<DrawEntry>> {
        let rows: Vec<(i64, Vec<u8>)> = with_pool!(self.store, pool => sqlx::query_as(
            "SELECT seq, bytes FROM log_entries WHERE draw = $1 ORDER BY seq")
            .bind(id.as_str().to_string())
            .fetch_all(pool)
            .await?);
        rows.into_iter()
            .map(|(seq, bytes)| {
                let p = entry::parse(&bytes)
                    .map_err(|e| anyhow::anyhow!("stored entry {seq} does not parse: {e}"))?;
                Ok(DrawEntry {
                    seq: seq as u64,
                    time: p.entry.time,
                    hash: p.hash,
                    body: p.body,
                })
            })
            .collect()
    }

    /// A supervisor's contribution without a signature (see
    /// [`Workflow::contribute_signed`]).
    pub async fn contribute(
        &self,
        p: &Province,
        id: &str,
        supervisor: &str,
        value: Hash32,
    ) -> R<u64> {
        self.contribute_signed(p, id, supervisor, value, None).await
    }

    /// Protocol 1.4: registers `person`'s own Ed25519 key (base64) in draw
    /// `id` with a key_registration entry; returns its seq and the key's
    /// fingerprint (key id). One key per person and per draw; never the log's
    /// own key.
    pub async fn register_key(
        &self,
        p: &Province,
        id: &str,
        person: &str,
        role: entry::Role,
        key_b64: &str,
    ) -> R<(u64, String)> {
        let d = self.load(p, id).await?;
        if d.state != "committed" {
            return conflict(format!(
                "draw {id} is {}; keys are registered only while it is committed",
                d.state
            ));
        }
        let key = fairpanel_core::keys::PublicKey::parse(key_b64.trim()).map_err(|_| {
            DrawError::Invalid("key must be a base64 Ed25519 public key (44 characters)".into())
        })?;
        if key == self.key.public() {
            return Err(DrawError::Invalid(
                "a personal key must not be the log's own key".into(),
            ));
        }
        let token = person_token(&d.id, person);
        let fingerprint = key.key_id().to_string();
        let body = Body::KeyRegistration(entry::KeyRegistration {
            approval: None,
            replaces: None,
            draw: d.id.clone(),
            key,
            person: token,
            role,
        });
        with_pool!(self.store, pool => {
            let mut tx = self.store.begin_write(pool).await?;
            let t = log_time(&mut tx, self.clock).await?;
            let rows: Vec<(Vec<u8>,)> = sqlx::query_as("SELECT bytes FROM log_entries WHERE draw = $1 AND kind = 'key_registration'")
                .bind(id.to_string())
                .fetch_all(&mut *tx)
                .await?;
            for (b,) in &rows {
                if let Ok(Body::KeyRegistration(r)) = entry::parse(b).map(|x| x.body) {
                    if r.person == token {
                        return conflict(format!("{person} already has a registered key in draw {id}"));
                    }
                    if r.key == key {
                        return conflict(format!("this key is already registered in draw {id}"));
                    }
                }
            }
            let a = append_in(&mut tx, self.key, self.origin, &[NewEntry { time: t, province: Some(p.clone()), body }]).await?[0];
            tx.commit().await?;
            Ok((a.seq, fingerprint))
        })
    }

    /// A supervisor's contribution, before the deadline, once per supervisor.
    /// `signature` (base64) is the supervisor's Ed25519 signature with the key
    /// they registered in the draw, over the attestation message (commit hash
    /// and value); a draw committed with `personal_keys` takes no contribution
    /// without one.
    pub async fn contribute_signed(
        &self,
        p: &Province,
        id: &str,
        supervisor: &str,
        value: Hash32,
        signature: Option<&str>,
    ) -> R<u64> {
        let d = self.load(p, id).await?;
        if d.state != "committed" {
            return conflict(format!(
                "draw {id} is {}; contributions are taken only while it is committed",
                d.state
            ));
        }
        let already = self
            .entries(&d.id)
            .await?
            .into_iter()
            .any(|e| matches!(&e.body, Body::Entropy(x) if x.supervisor == supervisor));
        if already {
            return conflict(format!("{supervisor} has already contributed to draw {id}"));
        }
        let required = self
            .entries(&d.id)
            .await?
            .iter()
            .any(|e| matches!(&e.body, Body::Commit(c) if c.personal_keys));
        let sig = match signature {
            None if required => {
                return Err(DrawError::Invalid(format!(
                    "draw {id} requires contributions signed with your personal key"
                )));
            }
            None => None,
            Some(s) => Some(
                base64::engine::general_purpose::STANDARD
                    .decode(s.trim())
                    .ok()
                    .filter(|b| b.len() == 64)
                    .ok_or_else(|| {
                        DrawError::Invalid("signature must be base64 of 64 bytes".into())
                    })?,
            ),
        };
        let token = person_token(&d.id, supervisor);
        with_pool!(self.store, pool => {
            let mut tx = self.store.begin_write(pool).await?;
            let t = log_time(&mut tx, self.clock).await?;
            if t > d.entropy_deadline {
                return conflict(format!(
                    "the deadline for contributions to draw {id} passed at {} (now {t})",
                    d.entropy_deadline
                ));
            }
            // Inside the log lock: the state and the earlier contributions are
            // as the last writer left them.
            let state: (String,) = sqlx::query_as("SELECT state FROM draws WHERE id = $1")
                .bind(id.to_string())
                .fetch_one(&mut *tx)
                .await?;
            if state.0 != "committed" {
                return conflict(format!("draw {id} is {}; contributions are closed", state.0));
            }
            let earlier: Vec<(Vec<u8>,)> = sqlx::query_as("SELECT bytes FROM log_entries WHERE draw = $1 AND kind = 'entropy'")
                .bind(id.to_string())
                .fetch_all(&mut *tx)
                .await?;
            if earlier.iter().any(|(b,)| matches!(entry::parse(b).map(|p| p.body), Ok(Body::Entropy(x)) if x.supervisor == supervisor)) {
                return conflict(format!("{supervisor} has already contributed to draw {id}"));
            }
            // The key is the one registered in the log, read inside the lock.
            let attestation = match &sig {
                None => None,
                Some(sig) => {
                    // Protocol 1.6: the latest registration is the current key.
                    let regs = crate::registrations_in!(tx, id);
                    let key = crate::key_replace::current_key(&regs, &token)
                        .filter(|(_, role, _)| *role == entry::Role::Supervisor)
                        .map(|(k, _, _)| k);
                    let Some(key) = key else {
                        return Err(DrawError::Invalid(format!(
                            "register your personal key for draw {id} before signing a contribution"
                        )));
                    };
                    if key.verify(&entry::attestation_message(&d.commit_hash, &value), sig).is_err() {
                        return Err(DrawError::Invalid(format!(
                            "the signature does not verify with your registered key {}",
                            key.key_id()
                        )));
                    }
                    Some(entry::Attestation {
                        key,
                        sig: base64::engine::general_purpose::STANDARD.encode(sig),
                    })
                }
            };
            let entry = Body::Entropy(entry::Entropy {
                attestation,
                commit: d.commit_hash,
                draw: d.id.clone(),
                supervisor: supervisor.to_string(),
                value,
            });
            let a = append_in(&mut tx, self.key, self.origin, &[NewEntry { time: t, province: Some(p.clone()), body: entry }]).await?[0];
            tx.commit().await?;
            Ok(a.seq)
        })
    }

    /// Records the target drand round after checking its BLS signature offline.
    pub async fn record_beacon(
        &self,
        p: &Province,
        id: &str,
        round: u64,
        signature_hex: &str,
    ) -> R<u64> {
        let d = self.load(p, id).await?;
        let Some(target) = d.beacon_round else {
            return conflict(format!(
                "draw {id} was committed without a beacon (beacon-less mode)"
            ));
        };
        if d.state != "committed" {
            return conflict(format!(
                "draw {id} is {}; its beacon can no longer be recorded",
                d.state
            ));
        }
        if round != target {
            return Err(DrawError::Invalid(format!(
                "draw {id} committed to drand quicknet round {target}, not {round}"
            )));
        }
        let sig = hex::decode(signature_hex.trim())
            .map_err(|_| DrawError::Invalid("signature must be hex".into()))?;
        let randomness = beacon::verify_round(round, &sig).map_err(DrawError::Invalid)?;
        if self
            .entries(&d.id)
            .await?
            .iter()
            .any(|e| matches!(e.body, Body::Beacon(_)))
        {
            return conflict(format!("the beacon of draw {id} is already recorded"));
        }
        let body = Body::Beacon(entry::Beacon {
            chain: beacon::QUICKNET_CHAIN.to_string(),
            draw: d.id.clone(),
            randomness,
            round,
            signature: hex::encode(&sig),
        });
        with_pool!(self.store, pool => {
            let mut tx = self.store.begin_write(pool).await?;
            let t = log_time(&mut tx, self.clock).await?;
            if t < beacon::round_time(round) {
                return conflict(format!(
                    "round {round} is published at {}; it is only {t} now",
                    beacon::round_time(round)
                ));
            }
            let n: (i64,) = sqlx::query_as("SELECT COUNT(*) FROM log_entries WHERE draw = $1 AND kind = 'beacon'")
                .bind(id.to_string())
                .fetch_one(&mut *tx)
                .await?;
            if n.0 > 0 {
                return conflict(format!("the beacon of draw {id} is already recorded"));
            }
            let a = append_in(&mut tx, self.key, self.origin, &[NewEntry { time: t, province: Some(p.clone()), body }]).await?[0];
            tx.commit().await?;
            Ok(a.seq)
        })
    }

    /// Reveals the secret, derives the seed, fills the panel and the alternates.
    pub async fn reveal(&self, p: &Province, id: &str) -> R<DrawSummary> {
        let d = self.load(p, id).await?;
        if d.state != "committed" {
            return conflict(format!(
                "draw {id} is {}; only a committed draw can be revealed",
                d.state
            ));
        }
        let entries = self.entries(&d.id).await?;
        let mut entropy = Vec::new();
        let mut values = Vec::new();
        let mut beacon_entry = None;
        for e in &entries {
            match &e.body {
                Body::Entropy(x) => {
                    entropy.push(e.hash);
                    values.push(x.value);
                }
                Body::Beacon(b) => beacon_entry = Some((e.hash, b.randomness)),
                _ => {}
            }
        }
        if d.beacon_round.is_some() && beacon_entry.is_none() {
            return conflict(format!(
                "draw {id} waits for drand quicknet round {}; record it first",
                d.beacon_round.unwrap_or_default()
            ));
        }
        if d.beacon_round.is_none() && values.is_empty() {
            return conflict(format!(
                "draw {id} has no beacon and no supervisor contribution yet: a beacon-less draw needs at least one, or its seed would be the operator's alone"
            ));
        }
        // The stored secret must open the commitment the log holds before the
        // reveal is signed: otherwise the service would sign an entry that
        // every verifier rejects.
        let committed = entries.iter().find_map(|e| match &e.body {
            Body::Commit(c) => Some(c.secret_commitment),
            _ => None,
        });
        if committed != Some(draw::secret_commitment(&d.secret)) {
            return Err(DrawError::Internal(anyhow::anyhow!(
                "draw {id}: the stored operator secret does not open the commit's secret_commitment; nothing was signed (run `fairpanel audit`)"
            )));
        }
        let seed = draw::seed(
            &d.commit_hash,
            &d.secret,
            beacon_entry.as_ref().map(|b| &b.1),
            &values,
        );
        // A supplementary draw (1.2) keeps the members it carried and never
        // draws anyone its chain named before.
        let link = entries.iter().find_map(|e| match &e.body {
            Body::Commit(c) => c.supplements.clone(),
            _ => None,
        });
        let index = |t: &Token| {
            d.leaves
                .binary_search_by(|l| l.token.cmp(t))
                .map(|i| i as u32)
                .map_err(|_| {
                    DrawError::Internal(anyhow::anyhow!(
                        "draw {id}: its commit names {t}, which is not in its pool"
                    ))
                })
        };
        let (carried, sel) = match &link {
            Some(l) => {
                let carried: Vec<u32> = l.seated.iter().map(index).collect::<R<_>>()?;
                let drawn: Vec<u32> = l.drawn.iter().map(index).collect::<R<_>>()?;
                fill::check_supplement_feasible(&d.spec, &d.leaves, &carried, &drawn)
                    .map_err(|e| DrawError::Internal(anyhow::anyhow!("draw {id}: {e}")))?;
                let (_, sel) = draw::select_supplement(&d.spec, &d.leaves, &seed, &carried, &drawn);
                (carried, sel)
            }
            None => (vec![], draw::select(&d.spec, &d.leaves, &seed).1),
        };
        let body = Body::Reveal(entry::Reveal {
            alternates: draw::tokens(&d.leaves, &sel.alternates),
            beacon: beacon_entry.map(|b| b.0),
            commit: d.commit_hash,
            draw: d.id.clone(),
            entropy,
            panel: draw::tokens(&d.leaves, &sel.panel),
            secret: d.secret,
            seed,
        });
        let seated: Vec<u32> = carried.iter().chain(&sel.panel).copied().collect();
        let panel_json = serde_json::to_string(&seated)?;
        let alt_json = serde_json::to_string(&sel.alternates)?;
        let members: Vec<(String, &str, usize)> = seated
            .iter()
            .enumerate()
            .map(|(k, &i)| (d.expert_of(i).to_string(), "panel", k))
            .chain(
                sel.alternates
                    .iter()
                    .enumerate()
                    .map(|(k, &i)| (d.expert_of(i).to_string(), "alternate", k)),
            )
            .collect();
        with_pool!(self.store, pool => {
            let mut tx = self.store.begin_write(pool).await?;
            let t = log_time(&mut tx, self.clock).await?;
            if t <= d.entropy_deadline {
                return conflict(format!(
                    "supervisors may contribute to draw {id} until {}; reveal after that (now {t})",
                    d.entropy_deadline
                ));
            }
            let won = sqlx::query("UPDATE draws SET state = 'revealed', panel = $1, alternates = $2, ever = $1, version = version + 1, revealed_at = $3 WHERE id = $4 AND state = 'committed'")
                .bind(panel_json)
                .bind(alt_json)
                .bind(t as i64)
                .bind(id.to_string())
                .execute(&mut *tx)
                .await?
                .rows_affected();
            if won != 1 {
                return conflict(format!("draw {id} was revealed (or voided) by another request"));
            }
            if let Some(l) = &link {
                // The carried members' seats pass to this draw (their rows in
                // the earlier draw say `passed`); the round's
                // sheets cannot have locked with a seat empty.
                let locked: Option<(Option<i64>,)> = sqlx::query_as("SELECT locked_seq FROM rounds WHERE id = $1")
                    .bind(d.round_id)
                    .fetch_optional(&mut *tx)
                    .await?;
                if locked.is_some_and(|(l,)| l.is_some()) {
                    return conflict(format!("round {} has locked its sheets; a coordinator must unlock it before the supplementary draw {id} is revealed", d.round_id));
                }
                sqlx::query("UPDATE draw_members SET role = 'passed', since = $1 WHERE draw_id = $2 AND role = 'panel'")
                    .bind(t as i64)
                    .bind(l.draw.as_str().to_string())
                    .execute(&mut *tx)
                    .await?;
            }
            append_in(&mut tx, self.key, self.origin, &[NewEntry { time: t, province: Some(p.clone()), body }]).await?;
            for (k, (expert, role, pos)) in members.iter().enumerate() {
                sqlx::query("INSERT INTO draw_members (draw_id, expert_id, province, role, position, since) VALUES ($1, $2, $3, $4, $5, $6)")
                    .bind(id.to_string())
                    .bind(expert.clone())
                    .bind(p.as_str().to_string())
                    .bind(role.to_string())
                    .bind(*pos as i64)
                    .bind(t as i64)
                    .execute(&mut *tx)
                    .await?;
                if *role == "panel" && k >= carried.len() {
                    notify(&mut tx, p, expert, "seated", id, *pos, t).await?;
                }
            }
            sqlx::query("UPDATE rounds SET state = 'drawn', updated_at = $1 WHERE id = $2 AND state = 'open'")
                .bind(t as i64)
                .bind(d.round_id)
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
        });
        let mut d = d;
        d.state = "revealed".into();
        d.panel = seated;
        d.alternates = sel.alternates;
        Ok(d.summary(None))
    }

    /// A panel member declined: the seat goes to the alternate the replacement
    /// rule picks, or stays empty when none fits (a new draw is then needed).
    pub async fn decline(
        &self,
        p: &Province,
        id: &str,
        expert: &str,
        reason: &str,
    ) -> R<DeclineOutcome> {
        let reason = ReasonCode::try_from(reason).map_err(DrawError::Invalid)?;
        let d = self.load(p, id).await?;
        if d.state != "revealed" {
            return conflict(format!(
                "draw {id} is {}; declines are recorded between reveal and disclosure",
                d.state
            ));
        }
        let who = d
            .index_of_expert(expert)
            .filter(|i| d.panel.contains(i))
            .ok_or_else(|| {
                DrawError::Invalid(format!("{expert} is not on the current panel of draw {id}"))
            })?;
        let seat = d
            .panel
            .iter()
            .position(|&i| i == who)
            .expect("on the panel");
        let rep = fill::replacement(&d.spec, &d.leaves, &d.panel, who, &d.alternates, &d.ever);
        let mut panel = d.panel.clone();
        let mut ever = d.ever.clone();
        match rep {
            Some(a) => {
                panel[seat] = a;
                ever.push(a);
            }
            None => {
                panel.remove(seat);
            }
        }
        let body = Body::Decline(entry::Decline {
            draw: d.id.clone(),
            reason,
            replacement: rep.map(|i| d.leaves[i as usize].token),
            token: d.leaves[who as usize].token,
        });
        let replacement = rep.map(|i| d.expert_of(i).to_string());
        let chain = self.chain_back(&d.id).await?;
        let panel_json = serde_json::to_string(&panel)?;
        let ever_json = serde_json::to_string(&ever)?;
        let seq = with_pool!(self.store, pool => {
            let mut tx = self.store.begin_write(pool).await?;
            let t = log_time(&mut tx, self.clock).await?;
            let won = sqlx::query("UPDATE draws SET panel = $1, ever = $2, version = version + 1 WHERE id = $3 AND version = $4 AND state = 'revealed'")
                .bind(panel_json)
                .bind(ever_json)
                .bind(id.to_string())
                .bind(d.version)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            if won != 1 {
                return conflict(format!("draw {id} changed while this decline was prepared; try again"));
            }
            // From a supplementary draw's commit on, the panel's declines are
            // that draw's (protocol 1.2).
            let next: Option<(String,)> = sqlx::query_as("SELECT id FROM draws WHERE supplements = $1 AND state <> 'voided'")
                .bind(id.to_string())
                .fetch_optional(&mut *tx)
                .await?;
            if let Some((n,)) = next {
                return conflict(format!("draw {n} supplements draw {id}: record the decline on draw {n}, after its reveal"));
            }
            // Once the round this panel scores has locked its sheets (every
            // sheet in, results readable) or is sealed, the panel is fixed.
            let scoring: Option<(i64, String, Option<i64>, Option<String>)> = sqlx::query_as("SELECT id, state, locked_seq, panel_draw FROM rounds WHERE id = $1")
                .bind(d.round_id)
                .fetch_optional(&mut *tx)
                .await?;
            if let Some((rid, st, locked, _)) = scoring.filter(|x| x.3.as_ref().is_some_and(|pd| chain.contains(pd))) {
                if st == "closed" || st == "reported" {
                    return conflict(format!("round {rid} scored by draw {id} is sealed; its panel no longer changes"));
                }
                if locked.is_some() {
                    return conflict(format!("round {rid} scored by draw {id} has locked its sheets; a coordinator must unlock the round, with a reason, before a panel member can decline"));
                }
            }
            let a = append_in(&mut tx, self.key, self.origin, &[NewEntry { time: t, province: Some(p.clone()), body }]).await?[0];
            sqlx::query("UPDATE draw_members SET role = 'declined', since = $1 WHERE draw_id = $2 AND expert_id = $3")
                .bind(t as i64)
                .bind(id.to_string())
                .bind(expert.to_string())
                .execute(&mut *tx)
                .await?;
            if let Some(r) = &replacement {
                sqlx::query("UPDATE draw_members SET role = 'panel', position = $1, since = $2 WHERE draw_id = $3 AND expert_id = $4")
                    .bind(seat as i64)
                    .bind(t as i64)
                    .bind(id.to_string())
                    .bind(r.clone())
                    .execute(&mut *tx)
                    .await?;
                notify(&mut tx, p, r, "seated_as_replacement", id, seat, t).await?;
            }
            tx.commit().await?;
            a.seq
        });
        Ok(DeclineOutcome {
            seq,
            declined: expert.to_string(),
            replacement,
            new_draw_required: rep.is_none(),
        })
    }

    /// The round a draw of province `p` belongs to.
    async fn round_of_draw(&self, p: &Province, round_id: i64) -> R<Round> {
        self.store
            .round(p, round_id)
            .await?
            .ok_or_else(|| DrawError::Internal(anyhow::anyhow!("draw without round")))
    }

    /// The draw and the draws it supplements, newest first.
    pub async fn chain_back(&self, id: &DrawId) -> anyhow::Result<Vec<String>> {
        let mut chain = vec![id.to_string()];
        for _ in 0..1000 {
            let prev: Option<(Option<String>,)> = with_pool!(self.store, pool => sqlx::query_as(
                "SELECT supplements FROM draws WHERE id = $1")
                .bind(chain.last().cloned().unwrap_or_default())
                .fetch_optional(pool)
                .await?);
            match prev {
                Some((Some(p),)) if !chain.contains(&p) => chain.push(p),
                _ => break,
            }
        }
        Ok(chain)
    }

    /// Voids a draw that was committed and never revealed; the commit stays in
    /// the log, and so does the reason.
    pub async fn void(&self, p: &Province, id: &str, reason: &str) -> R<u64> {
        let reason = reason.trim();
        if reason.is_empty() || reason.chars().count() > 500 {
            return Err(DrawError::Invalid(
                "a void needs a reason of 1 to 500 characters".into(),
            ));
        }
        let reason = &crate::text::multiline("reason", reason).map_err(DrawError::Invalid)?;
        let d = self.load(p, id).await?;
        if d.state != "committed" {
            return conflict(format!(
                "draw {id} is {}; only a committed, unrevealed draw can be voided",
                d.state
            ));
        }
        let body = Body::Void(entry::Void {
            commit: d.commit_hash,
            draw: d.id.clone(),
            reason: reason.to_string(),
        });
        with_pool!(self.store, pool => {
            let mut tx = self.store.begin_write(pool).await?;
            let t = log_time(&mut tx, self.clock).await?;
            let won = sqlx::query("UPDATE draws SET state = 'voided', version = version + 1 WHERE id = $1 AND state = 'committed'")
                .bind(id.to_string())
                .execute(&mut *tx)
                .await?
                .rows_affected();
            if won != 1 {
                return conflict(format!("draw {id} was revealed or voided by another request"));
            }
            let a = append_in(&mut tx, self.key, self.origin, &[NewEntry { time: t, province: Some(p.clone()), body }]).await?[0];
            tx.commit().await?;
            Ok(a.seq)
        })
    }

    /// Publishes the openings of everyone ever seated and of the alternates,
    /// once the round is closed.
    pub async fn disclose(&self, p: &Province, id: &str) -> R<u64> {
        let d = self.load(p, id).await?;
        if d.state != "revealed" {
            return conflict(format!(
                "draw {id} is {}; only a revealed draw can be disclosed",
                d.state
            ));
        }
        let round = self.round_of_draw(p, d.round_id).await?;
        if !matches!(round.state, RoundState::Closed | RoundState::Reported) {
            return conflict(format!(
                "round {} is {} ({}); names are disclosed only after the round is closed",
                round.id,
                round.state.as_str(),
                round.state.zh()
            ));
        }
        let mut idx: Vec<u32> = d.ever.iter().chain(d.alternates.iter()).copied().collect();
        idx.sort();
        idx.dedup();
        let openings = self.openings(&d.id).await?;
        let key = self.tag_secret(&d.id).await?;
        // A supplementary draw's tags are its chain's first draw's.
        let pool_draw = self
            .link_of(&d.id)
            .await?
            .map_or(d.id.clone(), |l| l.pool_draw);
        let mut members: Vec<Opening> = idx
            .iter()
            .map(|&i| {
                let o = &openings[&d.leaves[i as usize].token];
                draw::prove_opening(&key, pool_draw.as_str(), o, true)
            })
            .collect();
        members.sort_by_key(|m| m.token);
        let body = Body::Disclosure(entry::Disclosure {
            draw: d.id.clone(),
            members,
        });
        with_pool!(self.store, pool => {
            let mut tx = self.store.begin_write(pool).await?;
            let t = log_time(&mut tx, self.clock).await?;
            let won = sqlx::query("UPDATE draws SET state = 'disclosed', version = version + 1 WHERE id = $1 AND state = 'revealed'")
                .bind(id.to_string())
                .execute(&mut *tx)
                .await?
                .rows_affected();
            if won != 1 {
                return conflict(format!("draw {id} was disclosed by another request"));
            }
            let a = append_in(&mut tx, self.key, self.origin, &[NewEntry { time: t, province: Some(p.clone()), body }]).await?[0];
            tx.commit().await?;
            Ok(a.seq)
        })
    }

    /// The draws of one review round, oldest first.
    pub async fn draws_of_round(&self, round: i64) -> anyhow::Result<Vec<DrawListed>> {
        let rows: Vec<ListRow> = with_pool!(self.store, pool => sqlx::query_as(
            sqlx::AssertSqlSafe(format!("SELECT {LIST_COLS} FROM draws d WHERE round_id = $1 ORDER BY created_at, id")))
            .bind(round)
            .fetch_all(pool)
            .await?);
        rows.into_iter()
            .map(|r| listed(r, self.clock.now()))
            .collect()
    }

    /// Every draw, for the public list (all provinces) or one province.
    pub async fn list(&self, p: Option<&Province>) -> anyhow::Result<Vec<DrawListed>> {
        let rows: Vec<ListRow> = match p {
            Some(p) => with_pool!(self.store, pool => sqlx::query_as(
                sqlx::AssertSqlSafe(format!("SELECT {LIST_COLS} FROM draws d WHERE province = $1 ORDER BY created_at, id")))
                .bind(p.as_str().to_string())
                .fetch_all(pool)
                .await?),
            None => with_pool!(self.store, pool => sqlx::query_as(
                sqlx::AssertSqlSafe(format!("SELECT {LIST_COLS} FROM draws d ORDER BY created_at, id")))
                .fetch_all(pool)
                .await?),
        };
        rows.into_iter()
            .map(|r| listed(r, self.clock.now()))
            .collect()
    }

    /// One draw as the public list shows it, of whichever province; `None`
    /// when there is no such draw.
    pub async fn listed(&self, id: &str) -> anyhow::Result<Option<DrawListed>> {
        let row: Option<ListRow> = with_pool!(self.store, pool => sqlx::query_as(
            sqlx::AssertSqlSafe(format!("SELECT {LIST_COLS} FROM draws d WHERE id = $1")))
            .bind(id.to_string())
            .fetch_optional(pool)
            .await?);
        row.map(|r| listed(r, self.clock.now())).transpose()
    }

    /// The reason of every voided draw, by draw id, as its void entry in the
    /// log states it (public: the log serves it to anyone).
    pub async fn void_reasons(&self) -> anyhow::Result<HashMap<String, String>> {
        let rows: Vec<(Option<String>, Vec<u8>)> = with_pool!(self.store, pool => sqlx::query_as(
            "SELECT draw, bytes FROM log_entries WHERE kind = 'void'")
            .fetch_all(pool)
            .await?);
        let mut out = HashMap::new();
        for (draw, bytes) in rows {
            if let (Some(d), Ok(Body::Void(v))) = (draw, entry::parse(&bytes).map(|p| p.body)) {
                out.insert(d, v.reason);
            }
        }
        Ok(out)
    }

    pub async fn summary(&self, p: &Province, id: &DrawId) -> R<DrawSummary> {
        let d = self.load(p, id.as_str()).await?;
        let names = if d.state == "disclosed" {
            Some(self.openings(&d.id).await?)
        } else {
            None
        };
        Ok(d.summary(names.as_ref()))
    }

    /// The one-file bundle of a draw at the newest checkpoint (the newest one a
    /// witness cosigned, with its cosignatures, when one covers the draw).
    pub async fn bundle(&self, id: &str) -> R<Vec<u8>> {
        let row: Option<(String, Vec<u8>)> = with_pool!(self.store, pool => sqlx::query_as(
            "SELECT draw_id, leaves FROM draw_pools WHERE draw_id = $1")
            .bind(id.to_string())
            .fetch_optional(pool)
            .await?);
        let (id, leaves) = row.ok_or_else(|| DrawError::NotFound(format!("no draw {id}")))?;
        let own: Vec<(i64,)> = with_pool!(self.store, pool => sqlx::query_as(
            "SELECT seq FROM log_entries WHERE draw = $1 ORDER BY seq")
            .bind(id.clone())
            .fetch_all(pool)
            .await?);
        let rotations: Vec<(i64,)> = with_pool!(self.store, pool => sqlx::query_as(
            "SELECT seq FROM log_entries WHERE kind = 'key_rotation' ORDER BY seq")
            .fetch_all(pool)
            .await?);
        let own: Vec<u64> = own.into_iter().map(|(s,)| s as u64).collect();
        let rot: Vec<u64> = rotations.into_iter().map(|(s,)| s as u64).collect();
        // A supplementary draw's bundle starts at the commit it supplements.
        let earlier: Option<(i64,)> = with_pool!(self.store, pool => sqlx::query_as(
            "SELECT p.commit_seq FROM draws d JOIN draws p ON p.id = d.supplements WHERE d.id = $1")
            .bind(id.clone())
            .fetch_optional(pool)
            .await?);
        let (first, last) = match (
            earlier.map(|(s,)| s as u64).or(own.first().copied()),
            own.last(),
        ) {
            (Some(f), Some(l)) => (f, *l),
            _ => {
                return Err(DrawError::Internal(anyhow::anyhow!(
                    "draw {id} has no entries"
                )));
            }
        };
        let (size, cp) = self
            .store
            .checkpoint_for_bundle(last)
            .await?
            .ok_or_else(|| DrawError::Internal(anyhow::anyhow!("no checkpoint")))?;
        // Protocol 1.7: only the draw's province's entries of the range,
        // chained by `pprev`, when every one carries it; else (a draw
        // committed before 1.7) every entry of the range, in the v1.1 format.
        // The draw's province is its commit's (the range's first entry).
        let province: Option<(Option<String>,)> = with_pool!(self.store, pool => sqlx::query_as(
            "SELECT province FROM log_entries WHERE seq = $1")
            .bind(first as i64)
            .fetch_optional(pool)
            .await?);
        let same = match province.and_then(|(p,)| p) {
            Some(p) => self.store.province_entries(&p, first, last + 1).await?,
            None => Vec::new(),
        };
        let format = bundle::format_for(same.iter().map(|e| e.bytes.as_slice()));
        let stored_entries = if format == bundle::FORMAT {
            same
        } else {
            self.store.entries(first, last + 1).await?
        };
        let mut with_proof: HashMap<u64, Vec<Hash32>> = HashMap::new();
        for &s in own.iter().chain(rot.iter()) {
            with_proof.insert(s, self.store.inclusion_proof(s, size).await?);
        }
        let rot_entries = {
            let mut v = Vec::new();
            for &s in &rot {
                v.extend(self.store.entries(s, s + 1).await?);
            }
            v
        };
        let sig64 = |s: &[u8]| -> anyhow::Result<[u8; 64]> {
            s.try_into().context("a stored signature is not 64 bytes")
        };
        let mut entries = Vec::new();
        for e in &stored_entries {
            entries.push((
                e.bytes.as_slice(),
                sig64(&e.sig)?,
                with_proof.get(&e.seq).cloned(),
            ));
        }
        let mut rotations = Vec::new();
        for e in &rot_entries {
            rotations.push((
                e.bytes.as_slice(),
                sig64(&e.sig)?,
                with_proof.get(&e.seq).cloned(),
            ));
        }
        let scoring = self.sealed_scoring(&id).await?;
        Ok(bundle::Parts {
            format,
            checkpoint: &cp,
            draw: &id,
            entries,
            key: self.key.public(),
            origin: self.origin,
            pool: split_lines(&leaves).collect(),
            rotations,
            rubric: scoring.as_ref().map(|x| x.rubric.as_slice()),
            sheets: scoring
                .as_ref()
                .map(|x| x.sheets.iter().map(|b| b.as_slice()).collect())
                .unwrap_or_default(),
            explanations: scoring
                .as_ref()
                .map(|x| x.explanations.iter().map(|b| b.as_slice()).collect())
                .unwrap_or_default(),
        }
        .write())
    }
}

/// The drand round a draw committed at `t` targets, if it has a beacon: the
/// rule's round for the margin, or the stated round when it leaves the margin
/// and ends after the entropy window.
fn beacon_target(choice: &BeaconChoice, t: u64, window: u64) -> R<Option<entry::BeaconTarget>> {
    Ok(match *choice {
        BeaconChoice::None => None,
        BeaconChoice::Drand {
            margin,
            round: None,
        } => Some(entry::BeaconTarget {
            chain: beacon::QUICKNET_CHAIN.to_string(),
            margin,
            round: beacon::target_round(t, margin),
        }),
        BeaconChoice::Drand { round: Some(r), .. } => {
            let at = beacon::round_time(r);
            if at < t + beacon::MIN_MARGIN {
                return Err(DrawError::Invalid(format!(
                    "drand round {r} is published at {at}, less than {} s after now ({t})",
                    beacon::MIN_MARGIN
                )));
            }
            if t + window >= at {
                return Err(DrawError::Invalid(format!(
                    "the entropy window ({window} s) must end before round {r} at {at}"
                )));
            }
            Some(entry::BeaconTarget {
                chain: beacon::QUICKNET_CHAIN.to_string(),
                margin: at - t,
                round: r,
            })
        }
    })
}

/// Queues a notification for an expert, inside the caller's transaction.
async fn notify<'c, DB>(
    tx: &mut sqlx::Transaction<'c, DB>,
    p: &Province,
    expert: &str,
    kind: &str,
    draw: &str,
    seat: usize,
    t: u64,
) -> anyhow::Result<()>
where
    DB: sqlx::Database,
    for<'q> i64: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
    for<'q> String: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
    for<'q> <DB as sqlx::Database>::Arguments: sqlx::IntoArguments<DB>,
    for<'e> &'e mut <DB as sqlx::Database>::Connection: sqlx::Executor<'e, Database = DB>,
{
    let payload = serde_json::json!({
        "kind": kind,
        "province": p,
        "expert_id": expert,
        "draw": draw,
        "seat": seat + 1,
        "time": t,
    });
    sqlx::query("INSERT INTO outbox (province, kind, recipient, payload, created_at) VALUES ($1, $2, $3, $4, $5)")
        .bind(p.as_str().to_string())
        .bind(kind.to_string())
        .bind(expert.to_string())
        .bind(payload.to_string())
        .bind(t as i64)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct SeatView {
    /// The member's token (hex) in this draw's pool.
    pub token: String,
    pub specialty: String,
    /// Filled in for callers of the draw's province only.
    pub expert_id: Option<String>,
    /// Only after disclosure.
    pub name: Option<String>,
}

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct DrawSummary {
    pub id: String,
    pub round_id: i64,
    /// committed, revealed, voided or disclosed
    pub state: String,
    pub title: String,
    pub commit_seq: u64,
    pub commit_time: u64,
    pub entropy_deadline: u64,
    pub beacon_round: Option<u64>,
    pub pool_size: usize,
    pub panel: Vec<SeatView>,
    pub alternates: Vec<SeatView>,
    /// Fewer seated members than the panel size: the alternates ran out and a
    /// new draw is needed.
    pub panel_short: bool,
}

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct DeclineOutcome {
    pub seq: u64,
    pub declined: String,
    pub replacement: Option<String>,
    /// No alternate could take the seat: it stays empty until a supplementary
    /// draw (补抽) of this draw fills it.
    pub new_draw_required: bool,
}

/// A draw as the lists show it.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct DrawListed {
    pub id: String,
    pub province: String,
    pub round_id: i64,
    pub title: String,
    /// committed, revealed, voided or disclosed
    pub state: String,
    /// Committed, never revealed nor voided, and well past its deadline.
    pub abandoned: bool,
    pub commit_seq: u64,
    pub commit_time: u64,
    pub revealed_at: Option<u64>,
    pub panel_size: usize,
    pub seated: usize,
    pub beacon_round: Option<u64>,
}

type ListRow = (
    String,
    String,
    i64,
    String,
    String,
    i64,
    i64,
    i64,
    Option<i64>,
    String,
    String,
    Option<i64>,
);
const LIST_COLS: &str = "id, province, round_id, request, state, commit_seq, commit_time, entropy_deadline, revealed_at, spec, panel, beacon_round";

fn listed(r: ListRow, now: u64) -> anyhow::Result<DrawListed> {
    let req: DrawRequest = serde_json::from_str(&r.3)?;
    let spec: DrawSpec = serde_json::from_str(&r.9)?;
    let panel: Vec<u32> = serde_json::from_str(&r.10)?;
    let beacon_round = r.11.map(|v| v as u64);
    let due = beacon_round
        .map(beacon::round_time)
        .unwrap_or(r.7 as u64)
        .max(r.7 as u64);
    Ok(DrawListed {
        id: r.0,
        province: r.1,
        round_id: r.2,
        title: req.title,
        abandoned: r.4 == "committed" && now > due + ABANDONED_AFTER,
        state: r.4,
        commit_seq: r.5 as u64,
        commit_time: r.6 as u64,
        revealed_at: r.8.map(|v| v as u64),
        panel_size: spec.panel as usize,
        seated: panel.len(),
        beacon_round,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use fairpanel_core::types::Specialty;

    fn expert(id: &str, org: &str, avoid: &[&str], status: Status) -> ExpertRecord {
        ExpertRecord {
            expert_id: id.into(),
            name: format!("专家{id}"),
            gender: None,
            organisation: org.into(),
            credit_code: None,
            avoid_orgs: avoid.iter().map(|s| s.to_string()).collect(),
            specialty: Specialty::try_from("nursing").unwrap(),
            other_specialties: vec![],
            skill_level: None,
            region: None,
            status,
            phone: None,
            email: None,
        }
    }

    #[test]
    fn exclusions_name_their_reason() {
        let experts = vec![
            expert("e1", "甲公司", &[], Status::Active),
            expert("e2", "乙 公司（广州）", &[], Status::Active),
            expert("e3", "丙公司", &["乙公司(广州)"], Status::Active),
            expert("e4", "丁公司", &[], Status::Suspended),
            expert("e5", "戊公司", &[], Status::Active),
        ];
        let app: ApplicationRecord = serde_json::from_value(serde_json::json!({
            "ref_no": "A1", "applicant_org": "乙公司(广州)", "credit_code": null, "kind": "studio",
            "occupations": ["焊工"], "leader_name": null, "leader_level": null, "craft_exception": null,
            "figures": {"annual_trainees": null, "high_skill_trainees": null, "pass_rate_pct": null,
                        "satisfaction_pct": null, "existing_national_studio": null},
            "notes": null
        }))
        .unwrap();
        let recent: HashSet<String> = ["e5".to_string()].into();
        let c = candidates(&experts, &[app], &recent);
        let reasons: Vec<Option<&str>> = c
            .iter()
            .map(|c| c.excluded.as_ref().map(|r| r.as_str()))
            .collect();
        assert_eq!(
            reasons,
            vec![
                None,
                Some("applicant_org"),
                Some("declared_avoid"),
                Some("suspended"),
                Some("cooldown")
            ]
        );
    }

    #[test]
    fn requests_are_checked_before_anything_is_drawn() {
        let mut r = DrawRequest {
            title: "t".into(),
            panel: 7,
            alternates: 2,
            quotas: vec![],
            org_cap: None,
            cooldown_days: None,
            beacon: BeaconChoice::Drand {
                margin: 120,
                round: None,
            },
            entropy_window: 60,
            personal_keys: false,
        };
        assert!(r.spec(5).is_ok());
        r.panel = 3;
        assert!(matches!(r.spec(5), Err(DrawError::Invalid(m)) if m.contains("minimum of 5")));
        assert!(r.spec(3).is_ok());
        r.panel = 8;
        assert!(matches!(r.spec(3), Err(DrawError::Invalid(m)) if m.contains("odd")));
        r.panel = 7;
        r.entropy_window = 120;
        assert!(matches!(r.spec(5), Err(DrawError::Invalid(m)) if m.contains("before the beacon")));
        r.entropy_window = 10;
        r.quotas = vec![QuotaRequest {
            spec: "no such".into(),
            min: 1,
        }];
        assert!(r.spec(5).is_err());
    }
}
