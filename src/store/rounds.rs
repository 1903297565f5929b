//! Review rounds and their applications. A round moves
//! open → drawn → scoring → closed → reported, never back, never skipping;
//! applications change only while the round is open and has no live draw.

use super::Store;
use crate::applications::ApplicationRecord;
use crate::with_pool;
use anyhow::{Context, Result};
use fairpanel_core::types::Province;
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum RoundState {
    Open,
    Drawn,
    Scoring,
    Closed,
    Reported,
}

impl RoundState {
    pub const ALL: [RoundState; 5] = [
        RoundState::Open,
        RoundState::Drawn,
        RoundState::Scoring,
        RoundState::Closed,
        RoundState::Reported,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            RoundState::Open => "open",
            RoundState::Drawn => "drawn",
            RoundState::Scoring => "scoring",
            RoundState::Closed => "closed",
            RoundState::Reported => "reported",
        }
    }

    pub fn parse(s: &str) -> Option<RoundState> {
        Self::ALL.into_iter().find(|r| r.as_str() == s)
    }

    /// The state this one moves to, if any.
    pub fn next(self) -> Option<RoundState> {
        let i = Self::ALL.iter().position(|r| *r == self)?;
        Self::ALL.get(i + 1).copied()
    }

    pub fn zh(self) -> &'static str {
        match self {
            RoundState::Open => "受理中",
            RoundState::Drawn => "已抽取专家",
            RoundState::Scoring => "评审打分中",
            RoundState::Closed => "评审结束",
            RoundState::Reported => "已上报",
        }
    }
}

#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Round {
    pub id: i64,
    #[schema(value_type = String)]
    pub province: Province,
    pub year: i32,
    /// `base_new`, `base_existing` or `studio`.
    pub kind: String,
    pub title: String,
    pub state: RoundState,
    pub created_at: u64,
    pub updated_at: u64,
    /// The round's dates (review meeting, public notice, filing).
    pub dates: RoundDates,
}

/// A round's dates, ISO 8601 calendar dates (`YYYY-MM-DD`), each `null` until
/// set. The notice's dates are set by publishing the notice.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RoundDates {
    /// The review meeting (评审会).
    #[serde(default)]
    pub meeting: Option<String>,
    /// The public notice's first day (公示开始).
    #[serde(default)]
    pub notice_start: Option<String>,
    /// The public notice's last day (公示结束).
    #[serde(default)]
    pub notice_end: Option<String>,
    /// The filing with the two ministries (备案), due by 31 October.
    #[serde(default)]
    pub filing: Option<String>,
}

type RoundRow = (
    i64,
    String,
    i64,
    String,
    String,
    String,
    i64,
    i64,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
);

fn round_from(r: RoundRow) -> Result<Round> {
    Ok(Round {
        id: r.0,
        province: Province::try_from(r.1).map_err(|e| anyhow::anyhow!(e))?,
        year: r.2 as i32,
        kind: r.3,
        title: r.4,
        state: RoundState::parse(&r.5).context("unknown round state")?,
        created_at: r.6 as u64,
        updated_at: r.7 as u64,
        dates: RoundDates {
            meeting: r.8,
            notice_start: r.9,
            notice_end: r.10,
            filing: r.11,
        },
    })
}

const ROUND_COLS: &str = "id, province, year, kind, title, state, created_at, updated_at, meeting_date, notice_start, notice_end, filing_date";

impl Store {
    pub async fn create_round(
        &self,
        p: &Province,
        year: i32,
        kind: &str,
        title: &str,
        now: u64,
    ) -> Result<Round> {
        let (id,): (i64,) = with_pool!(self, pool => sqlx::query_as(
            "INSERT INTO rounds (province, year, kind, title, state, created_at, updated_at) VALUES ($1, $2, $3, $4, 'open', $5, $5) RETURNING id")
            .bind(p.as_str().to_string())
            .bind(year as i64)
            .bind(kind.to_string())
            .bind(title.to_string())
            .bind(now as i64)
            .fetch_one(pool)
            .await?);
        self.round(p, id)
            .await?
            .context("the round just created is missing")
    }

    pub async fn rounds(&self, p: &Province) -> Result<Vec<Round>> {
        let sql = format!("SELECT {ROUND_COLS} FROM rounds WHERE province = $1 ORDER BY id");
        let rows: Vec<RoundRow> = with_pool!(self, pool => sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(p.as_str().to_string())
            .fetch_all(pool)
            .await?);
        rows.into_iter().map(round_from).collect()
    }

    /// Every province's rounds of `year`, by province then id: the national
    /// overview's (the ministry's), never a province's own pages.
    pub async fn rounds_of_year(&self, year: i32) -> Result<Vec<Round>> {
        let sql = format!("SELECT {ROUND_COLS} FROM rounds WHERE year = $1 ORDER BY province, id");
        let rows: Vec<RoundRow> = with_pool!(self, pool => sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(year as i64)
            .fetch_all(pool)
            .await?);
        rows.into_iter().map(round_from).collect()
    }

    /// A round of province `p` (another province's round is `None`).
    pub async fn round(&self, p: &Province, id: i64) -> Result<Option<Round>> {
        let sql = format!("SELECT {ROUND_COLS} FROM rounds WHERE province = $1 AND id = $2");
        let row: Option<RoundRow> = with_pool!(self, pool => sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(p.as_str().to_string())
            .bind(id)
            .fetch_optional(pool)
            .await?);
        row.map(round_from).transpose()
    }

    /// Moves a round from `from` to `to`; `false` if it was no longer in `from`
    /// (someone else moved it first).
    pub async fn move_round(
        &self,
        p: &Province,
        id: i64,
        from: RoundState,
        to: RoundState,
        now: u64,
    ) -> Result<bool> {
        let r = with_pool!(self, pool => sqlx::query(
            "UPDATE rounds SET state = $1, updated_at = $2 WHERE province = $3 AND id = $4 AND state = $5")
            .bind(to.as_str())
            .bind(now as i64)
            .bind(p.as_str().to_string())
            .bind(id)
            .bind(from.as_str())
            .execute(pool)
            .await?
            .rows_affected());
        Ok(r == 1)
    }

    pub async fn applications(&self, round: i64) -> Result<Vec<ApplicationRecord>> {
        let rows: Vec<(String,)> = with_pool!(self, pool => sqlx::query_as(
            "SELECT record FROM applications WHERE round_id = $1 ORDER BY ref_no")
            .bind(round)
            .fetch_all(pool)
            .await?);
        rows.into_iter()
            .map(|(r,)| serde_json::from_str(&r).context("a stored application is not valid"))
            .collect()
    }

    /// Inserts or replaces `records` in one transaction; returns how many changed.
    /// With `only_new`, an existing reference number refuses the whole write
    /// (`Err(ref_no)`).
    pub async fn write_applications(
        &self,
        round: i64,
        records: &[ApplicationRecord],
        only_new: bool,
        now: u64,
    ) -> Result<Result<usize, String>> {
        with_pool!(self, pool => {
            let mut tx = self.begin_write(pool).await?;
            let mut changed = 0;
            for r in records {
                let json = serde_json::to_string(r)?;
                let old: Option<(String,)> = sqlx::query_as("SELECT record FROM applications WHERE round_id = $1 AND ref_no = $2")
                    .bind(round)
                    .bind(r.ref_no.clone())
                    .fetch_optional(&mut *tx)
                    .await?;
                match old {
                    Some(_) if only_new => return Ok(Err(r.ref_no.clone())),
                    Some((o,)) if o == json => continue,
                    Some(_) => {
                        sqlx::query("UPDATE applications SET record = $1, updated_at = $2 WHERE round_id = $3 AND ref_no = $4")
                            .bind(json)
                            .bind(now as i64)
                            .bind(round)
                            .bind(r.ref_no.clone())
                            .execute(&mut *tx)
                            .await?;
                    }
                    None => {
                        sqlx::query("INSERT INTO applications (round_id, ref_no, record, updated_at) VALUES ($1, $2, $3, $4)")
                            .bind(round)
                            .bind(r.ref_no.clone())
                            .bind(json)
                            .bind(now as i64)
                            .execute(&mut *tx)
                            .await?;
                    }
                }
                changed += 1;
            }
            tx.commit().await?;
            Ok(Ok(changed))
        })
    }

    pub async fn delete_application(&self, round: i64, ref_no: &str) -> Result<bool> {
        let n = with_pool!(self, pool => sqlx::query("DELETE FROM applications WHERE round_id = $1 AND ref_no = $2")
            .bind(round)
            .bind(ref_no.to_string())
            .execute(pool)
            .await?
            .rows_affected());
        Ok(n == 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn states_move_forward_one_step_at_a_time() {
        assert_eq!(RoundState::Open.next(), Some(RoundState::Drawn));
        assert_eq!(RoundState::Closed.next(), Some(RoundState::Reported));
        assert_eq!(RoundState::Reported.next(), None);
        for s in RoundState::ALL {
            assert_eq!(RoundState::parse(s.as_str()), Some(s));
        }
        assert_eq!(RoundState::parse("done"), None);
    }
}
