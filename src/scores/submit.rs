//! Submitting score sheets, the scoring path's hot end (issue 15, item 6).
//! A submission's request reads everything its checks need in one
//! statement ([`Workflow::sheet_context`]) and queues the checked sheet;
//! the group-commit writer ([`crate::sheet_queue`]) writes a batch with
//! statements per batch, not per sheet ([`Workflow::write_sheets`]). Every
//! statement is a round trip to the database's connection (for SQLite, to
//! its worker thread), and on a 2-core server those hand-offs, not the
//! database's work, bound the submissions' rate.

use super::*;
use crate::store::log::{LogTx, append_at};
use std::sync::Arc;

/// A submitted sheet, checked against its rubric, waiting to be written
/// ([`Workflow::write_sheets`], alone or in a batch of the sheet queue).
#[derive(Clone, Debug)]
pub struct SheetJob {
    pub round: Round,
    pub expert: String,
    pub account: i64,
    pub application: String,
    /// The sheet as JSON (the `draft` column).
    pub draft: String,
    /// The sheet record's exact bytes, and their hash's log entry.
    pub bytes: Vec<u8>,
    pub total: String,
    pub body: Body,
    /// The draw whose registered key signed `body`, when signed (its key is
    /// confirmed current inside the writing transaction).
    pub key_draw: Option<DrawId>,
}

/// What a sheet's checks read, in one statement ([`CONTEXT`]).
pub(crate) struct SheetContext {
    /// The scorer's token on the seated panel.
    pub token: Token,
    /// The round's fixed panel draw (whose keys sign its sheets).
    pub panel_draw: DrawId,
    /// The round's rubric and its hash.
    pub rubric: Arc<(Rubric, Hash32)>,
}

/// Round `$1`'s fixed panel draw, the seated panel's draw and seats (in
/// province `$4`), the pledge text's time and whether expert `$2` confirmed
/// it, application `$3`'s record and screen override, the round's rubric.
const CONTEXT: &str = concat!(
    chain_cte!(),
    "SELECT (SELECT panel_draw FROM rounds WHERE id = $1), \
       (SELECT id FROM head), \
       (SELECT d.panel FROM draws d JOIN head h ON d.id = h.id WHERE d.province = $4), \
       (SELECT fixed_at FROM round_pledges WHERE round_id = $1), \
       EXISTS (SELECT 1 FROM pledges WHERE round_id = $1 AND expert_id = $2), \
       (SELECT record FROM applications WHERE round_id = $1 AND ref_no = $3), \
       (SELECT reason FROM screen_overrides WHERE round_id = $1 AND ref_no = $3), \
       (SELECT rubric FROM round_rubrics WHERE round_id = $1)"
);

/// How many of a group's sheet rows are settled: submitted with their
/// bytes, or recused.
const SETTLED: &str = "SUM(CASE WHEN state = 'recused' OR (state = 'submitted' AND bytes IS NOT NULL) THEN 1 ELSE 0 END)";

type ContextRow = (
    Option<String>,
    Option<String>,
    Option<String>,
    Option<i64>,
    bool,
    Option<String>,
    Option<String>,
    Option<String>,
);

impl Workflow<'_> {
    /// Submits a sheet: checked against the rubric (range, step, every
    /// indicator and gate); its exact bytes are stored and their hash logged.
    /// Nothing about other sheets is compared or told here: the abnormal-total
    /// rule is applied to every sheet at once when the last one is in and the
    /// round's sheets lock (in this same transaction, see [`Self::lock_plan`]).
    pub async fn submit(
        &self,
        r: &Round,
        expert: &str,
        account: i64,
        sheet: &Sheet,
    ) -> R<(u64, String)> {
        self.submit_signed(r, expert, account, sheet, None).await
    }

    /// [`Self::submit`] with the scorer's signature (base64) over the
    /// sheet_commit (protocol 1.5, [`Self::expert_signed`]).
    pub async fn submit_signed(
        &self,
        r: &Round,
        expert: &str,
        account: i64,
        sheet: &Sheet,
        signature: Option<&str>,
    ) -> R<(u64, String)> {
        let job = self.sheet_job(r, expert, account, sheet, signature).await?;
        self.write_sheet(job).await
    }

    /// A sheet's checks, in the order and with the refusals of
    /// [`Self::scorer`], [`Self::require_pledge`], [`Self::has_application`]
    /// and the round's rubric, from one read ([`CONTEXT`]) instead of seven.
    /// A round without a fixed panel (never the case while it is scoring,
    /// unless the database was changed by hand) takes those calls' path.
    pub(crate) async fn sheet_context(
        &self,
        r: &Round,
        expert: &str,
        app: &str,
    ) -> R<SheetContext> {
        while_scoring(r)?;
        let row: ContextRow = with_pool!(self.store, pool => sqlx::query_as(CONTEXT)
            .bind(r.id)
            .bind(expert.to_string())
            .bind(app.to_string())
            .bind(r.province.as_str().to_string())
            .fetch_one(pool)
            .await?);
        let (fixed, head, seats, pledge, pledged, record, over, rubric) = row;
        let (Some(fixed), Some(head), Some(seats)) = (fixed, head, seats) else {
            let token = self.scorer(r, expert).await?;
            self.require_pledge(r, expert).await?;
            self.has_application(r, app).await?;
            return Ok(SheetContext {
                token,
                rubric: self.rubric_hashed(r).await?,
                panel_draw: self.panel_of(r).await?.0,
            });
        };
        let token = seat_of(self.seated(&fixed, &head, &seats).await?, expert)?;
        crate::materials::pledge_given(r, pledge, pledged)?;
        scored_or_refused(app, record.map(|rec| (rec, over)))?;
        let rubric = self.rubric_of(r, rubric)?;
        Ok(SheetContext {
            token,
            panel_draw: DrawId::try_from(fixed)
                .map_err(|e| DrawError::Internal(anyhow::anyhow!(e)))?,
            rubric,
        })
    }

    /// A submission's checks that need no write: the sheet against the
    /// rubric, the scorer, their pledge and signature; the job to write.
    /// What can change before the write (the sheet's state, the round's
    /// lock, the scorer's current key) is checked again by [`Self::write_sheet`].
    pub async fn sheet_job(
        &self,
        r: &Round,
        expert: &str,
        account: i64,
        sheet: &Sheet,
        signature: Option<&str>,
    ) -> R<SheetJob> {
        sheet_text(sheet)?;
        let ctx = self.sheet_context(r, expert, &sheet.application).await?;
        let (rubric, rubric_hash) = (&ctx.rubric.0, ctx.rubric.1);
        let total = rules::validate_sheet(rubric, sheet)
            .map_err(|problems| DrawError::Invalid(problems.join("; ")))?;
        let round = round_ref(r);
        let bytes = rules::SheetRecord::new(sheet, round.clone(), rubric_hash, ctx.token).bytes();
        let hash = rules::SheetRecord::hash_of(&bytes);
        let total_s = rules::dec2::format(&total);
        let mut body = Body::SheetCommit(entry::SheetCommit {
            application: sheet.application.clone(),
            round,
            scorer: ctx.token,
            sheet: hash,
            signature: None,
        });
        let key_draw = self
            .expert_signed_in(ctx.panel_draw, &mut body, signature)
            .await?;
        Ok(SheetJob {
            round: r.clone(),
            expert: expert.to_string(),
            account,
            application: sheet.application.clone(),
            draft: serde_json::to_string(sheet)?,
            bytes,
            total: total_s,
            body,
            key_draw,
        })
    }

    /// Writes a job of [`Self::sheet_job`]: through the group-commit queue
    /// when this workflow has one (the server's), else in a transaction of
    /// its own.
    pub async fn write_sheet(&self, job: SheetJob) -> R<(u64, String)> {
        match self.sheets {
            Some(q) => q.submit(job).await,
            None => self
                .write_sheets(std::slice::from_ref(&job))
                .await?
                .pop()
                .expect("one outcome per sheet"),
        }
    }

    /// Writes submitted sheets in one transaction, with statements per
    /// batch, not per sheet: each round's lock read once, every sheet's
    /// state in one read per round, the sheets' rows in one multi-row
    /// statement each. A sheet refused here (locked round, replaced key,
    /// already submitted or recused, twice in the batch) writes nothing and
    /// is answered on its own. Then one append of every written sheet's
    /// entry and, for each round that these sheets complete, its lock.
    /// Returns each sheet's outcome, `(seq of its entry, total)` or its
    /// refusal; an error (of the database, the log or a lock) writes nothing
    /// for any of them.
    #[doc(hidden)]
    pub async fn write_sheets(&self, jobs: &[SheetJob]) -> R<Vec<R<(u64, String)>>> {
        with_pool!(self.store, pool => {
            let mut tx = self.store.begin_write(pool).await?;
            // The log's head, read once and locked for the transaction: the
            // sheets' time and, later, the append's starting point.
            let head = tx.head_with(jobs.first().map(|j| &j.round.province)).await?;
            let t = self.clock.now().max(head.time);
            let mut outcomes: Vec<Option<R<(u64, String)>>> = jobs.iter().map(|_| None).collect();
            // The batch's rounds, each once, in order.
            let mut rounds: Vec<&Round> = Vec::new();
            for job in jobs {
                if !rounds.iter().any(|r| r.id == job.round.id) {
                    rounds.push(&job.round);
                }
            }
            // Every check reads before anything is written, so a refusal
            // leaves the transaction as it was. Per round, one read brings
            // its lock and the states of the batch's sheets in it; the
            // refusals are made in the order of the separate checks: a
            // locked round, then a replaced key, then the sheet's state.
            let mut states: HashMap<(i64, String, String), String> = HashMap::new();
            for &r in &rounds {
                let mut q = sqlx::QueryBuilder::new(
                    "SELECT NULL, NULL, NULL, locked_seq FROM rounds WHERE id = ",
                );
                q.push_bind(r.id).push(
                    " UNION ALL SELECT ref_no, expert_id, state, NULL FROM sheets WHERE round_id = ",
                );
                q.push_bind(r.id).push(" AND (");
                let mut first = true;
                for job in jobs.iter().filter(|j| j.round.id == r.id) {
                    q.push(if first { "(ref_no = " } else { " OR (ref_no = " })
                        .push_bind(job.application.clone())
                        .push(" AND expert_id = ")
                        .push_bind(job.expert.clone())
                        .push(")");
                    first = false;
                }
                q.push(")");
                type StateRow = (Option<String>, Option<String>, Option<String>, Option<i64>);
                let rows: Vec<StateRow> = q.build_query_as().fetch_all(&mut *tx).await?;
                for row in rows {
                    match row {
                        (Some(app), Some(ex), Some(state), _) => {
                            states.insert((r.id, app, ex), state);
                        }
                        (None, None, None, Some(_)) => {
                            for (k, job) in jobs.iter().enumerate() {
                                if job.round.id == r.id {
                                    outcomes[k] = Some(conflict(LOCKED));
                                }
                            }
                        }
                        _ => {}
                    }
                }
            }
            for (k, job) in jobs.iter().enumerate() {
                if outcomes[k].is_some() || job.key_draw.is_none() {
                    continue;
                }
                let current: R<()> = async {
                    crate::scorer_key_still_current!(tx, job.key_draw.as_ref(), &job.body);
                    Ok(())
                }
                .await;
                match current {
                    Err(DrawError::Internal(e)) => return Err(DrawError::Internal(e)),
                    Err(e) => outcomes[k] = Some(Err(e)),
                    Ok(()) => {}
                }
            }
            // A sheet twice in the batch is refused the second time, as it
            // would be in the next.
            let mut seen: std::collections::HashSet<(i64, &str, &str)> = Default::default();
            for (k, job) in jobs.iter().enumerate() {
                if outcomes[k].is_some() {
                    continue;
                }
                let (app, ex) = (job.application.as_str(), job.expert.as_str());
                if !seen.insert((job.round.id, app, ex)) {
                    outcomes[k] = Some(conflict("this sheet is already submitted"));
                    continue;
                }
                match states.get(&(job.round.id, app.to_string(), ex.to_string())).map(String::as_str) {
                    Some("submitted") => outcomes[k] = Some(conflict("this sheet is already submitted")),
                    Some("recused") => outcomes[k] = Some(conflict("you declared a conflict with this application")),
                    _ => {}
                }
            }
            let written: Vec<usize> = (0..jobs.len()).filter(|&k| outcomes[k].is_none()).collect();
            if written.is_empty() {
                return Ok(outcomes.into_iter().flatten().collect());
            }
            // The sheets' rows and their history in one call: a statement of
            // two (PostgreSQL: the history's insert over a data-modifying
            // `WITH`; SQLite: two statements in one string, whose numbered
            // parameters sqlx binds across both).
            let postgres = self.store.is_postgres();
            let mut q = sqlx::QueryBuilder::new(if postgres { "WITH s AS (" } else { "" });
            q.push("INSERT INTO sheets (round_id, ref_no, expert_id, state, draft, bytes, total, updated_at) ");
            q.push_values(&written, |mut b, &k| {
                let job = &jobs[k];
                b.push_bind(job.round.id)
                    .push_bind(job.application.clone())
                    .push_bind(job.expert.clone())
                    .push_bind("submitted")
                    .push_bind(job.draft.clone())
                    .push_bind(job.bytes.clone())
                    .push_bind(job.total.clone())
                    .push_bind(t as i64);
            });
            q.push(" ON CONFLICT (round_id, ref_no, expert_id) DO UPDATE SET state = 'submitted', draft = excluded.draft, \
                    bytes = excluded.bytes, total = excluded.total, updated_at = excluded.updated_at");
            q.push(if postgres { ") " } else { "; " });
            q.push("INSERT INTO sheet_history (round_id, ref_no, expert_id, action, bytes, reason, account_id, at) ");
            q.push_values(&written, |mut b, &k| {
                let job = &jobs[k];
                b.push_bind(job.round.id)
                    .push_bind(job.application.clone())
                    .push_bind(job.expert.clone())
                    .push_bind("submit")
                    .push_bind(job.bytes.clone())
                    .push_bind(None::<String>)
                    .push_bind(job.account)
                    .push_bind(t as i64);
            });
            q.build().execute(&mut *tx).await?;
            // The rounds these sheets may complete, each once, in order.
            let rounds: Vec<&Round> = rounds
                .into_iter()
                .filter(|r| written.iter().any(|&k| jobs[k].round.id == r.id))
                .collect();
            let mut plans = Vec::new();
            for r in rounds {
                // Cheapest first, counted by the database and read as one row
                // at most: while some application with sheets has fewer
                // settled ones than the panel has seats, the round cannot
                // complete (most batches stop here). Reading the round's
                // sheet rows on every batch made a round's submissions
                // quadratic in its size.
                // With the seats, in the same statement: the fewest settled
                // sheets among the applications of this batch's own sheets
                // (through the key's prefix): the one a sheet was just
                // written for is usually still short.
                let mut apps: Vec<&str> = written
                    .iter()
                    .filter(|&&k| jobs[k].round.id == r.id)
                    .map(|&k| jobs[k].application.as_str())
                    .collect();
                apps.sort_unstable();
                apps.dedup();
                // The CTE's `$1` and the first bound parameter are both the
                // round on either backend: PostgreSQL numbers the builder's
                // parameters from `$1`, and sqlx counts SQLite's anonymous
                // ones from the first argument.
                let mut q = sqlx::QueryBuilder::new(concat!(chain_cte!(), "SELECT d.panel, d.spec, "));
                q.push(format!(
                    "(SELECT MIN(c) FROM (SELECT {SETTLED} AS c FROM sheets WHERE round_id = "
                ));
                q.push_bind(r.id).push(" AND ref_no IN (");
                let mut list = q.separated(", ");
                for a in apps {
                    list.push_bind(a.to_string());
                }
                q.push(")) m) FROM draws d JOIN head h ON d.id = h.id");
                let row: Option<(String, String, Option<i64>)> =
                    q.build_query_as().fetch_optional(&mut *tx).await?;
                let fewest = row.as_ref().and_then(|(_, _, f)| *f);
                match seats_of(row.map(|(p, s, _)| (p, s)))? {
                    Some(Seats::Short) => continue,
                    Some(Seats::Full(n)) => {
                        if fewest.is_some_and(|f| f < n as i64) {
                            continue;
                        }
                        let short: Option<(String,)> = sqlx::query_as(
                            sqlx::AssertSqlSafe(format!("SELECT ref_no FROM sheets WHERE round_id = $1 GROUP BY ref_no \
                             HAVING {SETTLED} < $2 LIMIT 1")),
                        )
                        .bind(r.id)
                        .bind(n as i64)
                        .fetch_optional(&mut *tx)
                        .await?;
                        if short.is_some() {
                            continue;
                        }
                    }
                    None => {}
                }
                // Still before the round's rows are read: a scored
                // application without any sheet row leaves the round open.
                // A few of the applications without rows are screened (as
                // the lock screens them); most are scored, so this usually
                // stops here when experts score application by application.
                // If none of those few is scored, the full test decides.
                let without: Vec<(String,)> = sqlx::query_as(
                    "SELECT a.record FROM applications a WHERE a.round_id = $1 AND NOT EXISTS \
                     (SELECT 1 FROM sheets s WHERE s.round_id = a.round_id AND s.ref_no = a.ref_no) LIMIT 8",
                )
                .bind(r.id)
                .fetch_all(&mut *tx)
                .await?;
                if !without.is_empty() {
                    let apps = without
                        .iter()
                        .map(|(j,)| serde_json::from_str(j))
                        .collect::<Result<Vec<ApplicationRecord>, _>>()?;
                    if self.screens_of(r, &apps).await?.iter().any(Screened::scored) {
                        continue;
                    }
                }
                // Whether a sheet is in, without its bytes.
                let light: Vec<(String, String, String, bool)> = sqlx::query_as(
                    "SELECT ref_no, expert_id, state, bytes IS NOT NULL FROM sheets WHERE round_id = $1",
                )
                .bind(r.id)
                .fetch_all(&mut *tx)
                .await?;
                let light: Vec<SheetRow> = light
                    .into_iter()
                    .map(|(a, e, st, b)| (a, e, st, b.then(Vec::new)))
                    .collect();
                if !self.may_complete(r, &light).await? {
                    continue;
                }
                let rows: Vec<SheetRow> = sqlx::query_as(
                    "SELECT ref_no, expert_id, state, bytes FROM sheets WHERE round_id = $1",
                )
                .bind(r.id)
                .fetch_all(&mut *tx)
                .await?;
                if let Some(plan) = self.lock_plan(r, &rows).await? {
                    plans.push((r, plan));
                }
            }
            let mut entries: Vec<NewEntry> = written
                .iter()
                .map(|&k| NewEntry {
                    time: t,
                    province: Some(jobs[k].round.province.clone()),
                    body: jobs[k].body.clone(),
                })
                .collect();
            for (r, plan) in &plans {
                entries.extend(plan.entries(r, t));
            }
            let done = append_at(&mut tx, head, self.key, self.origin, &entries).await?;
            let mut at = written.len();
            for (r, plan) in &plans {
                let r = *r;
                let n = plan.entries(r, t).len();
                record_lock!(tx, r, t, plan, &done[at..at + n]);
                at += n;
            }
            tx.commit().await?;
            for (w, &k) in written.iter().enumerate() {
                outcomes[k] = Some(Ok((done[w].seq, jobs[k].total.clone())));
            }
            Ok(outcomes.into_iter().map(|o| o.expect("every sheet has an outcome")).collect())
        })
    }
}
