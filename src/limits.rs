//! The province-year limit of projects and a round's dates (issue 14, item 1).
//!
//! The policy (人社部发〔2022〕62号, 三（一）): "原则上每省（区、市）每年建设项目不超过5个
//! （含新建和已建）". The limit is **per province per year across every round and
//! kind**, and the service counts it: the recommendations already used are read
//! from the seals in the log of the province's rounds of that year, never typed
//! in. A province may set a lower limit; a higher one needs a written reason,
//! kept with every change in `year_limit_events`.
//!
//! The places left are fixed when a round's scoring opens, in its scoring_open
//! entry (`quota` is the year's limit, `already_recommended` the count of
//! sealed recommendations of the province's other rounds of that year). So that
//! the count cannot go stale, scoring opens for one round of a province-year at
//! a time: another round of the same year still being scored (opened, not
//! sealed) refuses the opening, inside the transaction that holds the log head.

use crate::store::Store;
use crate::store::rounds::{Round, RoundDates};
use crate::with_pool;
use anyhow::{Context, Result};
use fairpanel_core::entry::{self, Body};
use fairpanel_core::types::Province;
use serde::Serialize;

/// The policy's limit: at most five projects a province a year.
pub const POLICY_LIMIT: u32 = 5;

/// A province-year's limit as it stands.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct YearLimit {
    pub year: i32,
    /// Projects the province may recommend this year, all rounds and kinds.
    pub limit: u32,
    /// `true` when the province has not set its own (the policy's five).
    pub policy_default: bool,
    /// Why the limit is above the policy's five (required then).
    pub reason: Option<String>,
    /// Recommendations of the year's sealed rounds, from the log.
    pub recommended: u32,
    /// `limit − recommended`, never below zero.
    pub places_left: u32,
    /// The sealed recommendations, round by round.
    pub sealed: Vec<SealedRecommendation>,
}

#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct SealedRecommendation {
    /// The round's reference in the log (`{province}-{year}-r{n}`).
    pub round: String,
    pub application: String,
    /// The seal's sequence number in the log.
    pub seq: u64,
}

/// The sealed recommendations of province `p` in `year` that no withdrawal
/// took back, from the seal and withdrawal entries' exact bytes (`(seq, bytes)`), in log order. A round sealed twice
/// (it cannot be, but the log is what counts) counts by its last seal.
pub fn sealed_from_log(
    p: &Province,
    year: i32,
    seals: &[(i64, Vec<u8>)],
) -> Result<Vec<SealedRecommendation>> {
    let prefix = format!("{}-{year}-r", p.as_str());
    let mut by_round: std::collections::BTreeMap<String, Vec<SealedRecommendation>> =
        Default::default();
    for (seq, bytes) in seals {
        let e = entry::parse(bytes).map_err(|e| anyhow::anyhow!("log entry {seq}: {e}"))?;
        let s = match e.body {
            Body::Seal(s) => s,
            // An upheld objection's withdrawal frees the project's place.
            Body::Withdrawal(w) => {
                if let Some(recs) = by_round.get_mut(w.round.as_str()) {
                    recs.retain(|r| r.application != w.application);
                }
                continue;
            }
            _ => continue,
        };
        let round = s.round.as_str().to_string();
        if !round.starts_with(&prefix) {
            continue;
        }
        let recs = s
            .results
            .iter()
            .filter(|r| r.recommended)
            .map(|r| SealedRecommendation {
                round: round.clone(),
                application: r.application.clone(),
                seq: *seq as u64,
            })
            .collect();
        by_round.insert(round, recs);
    }
    let mut all: Vec<SealedRecommendation> = by_round.into_values().flatten().collect();
    all.sort_by_key(|r| (r.seq, r.application.clone()));
    Ok(all)
}

/// The refusal when a province-year has no places left.
pub fn no_places_left(p: &Province, year: i32, limit: u32, recommended: u32) -> String {
    format!(
        "no places left: province {} has recommended {recommended} of its {limit} projects for {year} in sealed rounds",
        p.as_str()
    )
}

/// The refusal when another round of the year is being scored.
pub fn other_round_scoring(other: i64, year: i32) -> String {
    format!(
        "round {other} of {year} is still being scored; the places left are fixed when its results are sealed"
    )
}

/// Checks a limit and its reason; the reason as stored (NFC, trimmed) or
/// `None`. `recommended` is what the year's seals already used.
pub fn check_limit(
    limit: u32,
    reason: Option<&str>,
    recommended: u32,
) -> Result<Option<String>, String> {
    if !(1..=100).contains(&limit) {
        return Err("limit must be 1 to 100".into());
    }
    let reason = match reason {
        Some(r) if !r.trim().is_empty() => Some(crate::text::multiline("reason", r.trim())?),
        _ => None,
    };
    if limit > POLICY_LIMIT && reason.is_none() {
        return Err(format!(
            "a limit above the policy's {POLICY_LIMIT} projects a year needs a written reason"
        ));
    }
    if let Some(r) = &reason
        && r.chars().count() > 2000
    {
        return Err("reason must be at most 2000 characters".into());
    }
    if limit < recommended {
        return Err(format!(
            "limit {limit} is below the {recommended} projects already recommended this year"
        ));
    }
    Ok(reason)
}

/// Parses an ISO 8601 calendar date (`YYYY-MM-DD`, exactly).
pub fn parse_date(field: &str, s: &str) -> Result<time::Date, String> {
    let bad = || format!("{field}: {s:?} is not a date (YYYY-MM-DD)");
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return Err(bad());
    }
    let num = |r: std::ops::Range<usize>| -> Result<u32, String> {
        let part = &s[r];
        if !part.bytes().all(|c| c.is_ascii_digit()) {
            return Err(bad());
        }
        part.parse().map_err(|_| bad())
    };
    let (y, m, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let month = time::Month::try_from(m as u8).map_err(|_| bad())?;
    time::Date::from_calendar_date(y as i32, month, d as u8).map_err(|_| bad())
}

/// An ISO 8601 calendar date.
pub fn format_date(d: time::Date) -> String {
    format!("{:04}-{:02}-{:02}", d.year(), d.month() as u8, d.day())
}

/// Checks a round's dates: each a date of the round's year, in the order
/// meeting ≤ notice start ≤ notice end ≤ filing (those given). Returns them in
/// their one spelling.
pub fn check_dates(year: i32, d: &RoundDates) -> Result<RoundDates, String> {
    let fields = [
        ("meeting", &d.meeting),
        ("notice_start", &d.notice_start),
        ("notice_end", &d.notice_end),
        ("filing", &d.filing),
    ];
    let mut parsed: Vec<(&str, time::Date)> = vec![];
    for (name, v) in fields {
        if let Some(v) = v {
            let date = parse_date(name, v)?;
            if date.year() != year {
                return Err(format!("{name}: {v} is not in the round's year {year}"));
            }
            parsed.push((name, date));
        }
    }
    for w in parsed.windows(2) {
        if w[1].1 < w[0].1 {
            return Err(format!(
                "{} ({}) comes before {} ({})",
                w[1].0,
                format_date(w[1].1),
                w[0].0,
                format_date(w[0].1)
            ));
        }
    }
    if d.notice_start.is_some() != d.notice_end.is_some() {
        return Err("notice_start and notice_end are set together".into());
    }
    let get = |n: &str| parsed.iter().find(|p| p.0 == n).map(|p| format_date(p.1));
    Ok(RoundDates {
        meeting: get("meeting"),
        notice_start: get("notice_start"),
        notice_end: get("notice_end"),
        filing: get("filing"),
    })
}

/// Whether a filing date is after the policy's deadline, 31 October of the
/// round's year ("备案截至日期为每年 10 月 31 日").
pub fn filing_late(year: i32, filing: &str) -> bool {
    match parse_date("filing", filing) {
        Ok(d) => {
            d > time::Date::from_calendar_date(year, time::Month::October, 31)
                .unwrap_or(time::Date::MAX)
        }
        Err(_) => false,
    }
}

impl Store {
    /// The seal entries of province `p` as `(seq, bytes)`, in log order.
    pub async fn seal_entries(&self, p: &Province) -> Result<Vec<(i64, Vec<u8>)>> {
        Ok(with_pool!(self, pool => sqlx::query_as(
            "SELECT seq, bytes FROM log_entries WHERE kind IN ('seal', 'withdrawal') AND province = $1 ORDER BY seq")
            .bind(p.as_str().to_string())
            .fetch_all(pool)
            .await?))
    }

    /// The province-year's limit and what the sealed rounds used of it.
    pub async fn year_limit(&self, p: &Province, year: i32) -> Result<YearLimit> {
        let row: Option<(i64, Option<String>)> = with_pool!(self, pool => sqlx::query_as(
            "SELECT max_projects, reason FROM year_limits WHERE province = $1 AND year = $2")
            .bind(p.as_str().to_string())
            .bind(year as i64)
            .fetch_optional(pool)
            .await?);
        let sealed = sealed_from_log(p, year, &self.seal_entries(p).await?)?;
        let (limit, reason, policy_default) = match row {
            Some((l, r)) => (
                u32::try_from(l).context("stored limit out of range")?,
                r,
                false,
            ),
            None => (POLICY_LIMIT, None, true),
        };
        let recommended = sealed.len() as u32;
        Ok(YearLimit {
            year,
            limit,
            policy_default,
            reason,
            recommended,
            places_left: limit.saturating_sub(recommended),
            sealed,
        })
    }

    /// Sets the province-year's limit (checked by [`check_limit`] against the
    /// seals, read in the same transaction), with a history row.
    pub async fn set_year_limit(
        &self,
        p: &Province,
        year: i32,
        limit: u32,
        reason: Option<&str>,
        account: Option<i64>,
        now: u64,
    ) -> Result<Result<YearLimit, String>> {
        let out = with_pool!(self, pool => {
            let mut tx = self.begin_write(pool).await?;
            let seals: Vec<(i64, Vec<u8>)> = sqlx::query_as(
                "SELECT seq, bytes FROM log_entries WHERE kind IN ('seal', 'withdrawal') AND province = $1 ORDER BY seq")
                .bind(p.as_str().to_string())
                .fetch_all(&mut *tx)
                .await?;
            let recommended = sealed_from_log(p, year, &seals)?.len() as u32;
            let reason = match check_limit(limit, reason, recommended) {
                Ok(r) => r,
                Err(e) => return Ok(Err(e)),
            };
            sqlx::query("DELETE FROM year_limits WHERE province = $1 AND year = $2")
                .bind(p.as_str().to_string())
                .bind(year as i64)
                .execute(&mut *tx)
                .await?;
            sqlx::query("INSERT INTO year_limits (province, year, max_projects, reason, account_id, set_at) VALUES ($1, $2, $3, $4, $5, $6)")
                .bind(p.as_str().to_string())
                .bind(year as i64)
                .bind(limit as i64)
                .bind(reason.clone())
                .bind(account)
                .bind(now as i64)
                .execute(&mut *tx)
                .await?;
            sqlx::query("INSERT INTO year_limit_events (province, year, max_projects, reason, account_id, at) VALUES ($1, $2, $3, $4, $5, $6)")
                .bind(p.as_str().to_string())
                .bind(year as i64)
                .bind(limit as i64)
                .bind(reason)
                .bind(account)
                .bind(now as i64)
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
            Ok::<_, anyhow::Error>(())
        });
        out?;
        Ok(Ok(self.year_limit(p, year).await?))
    }

    /// Sets a round's planned dates (checked by [`check_dates`]). The notice's
    /// dates are the published notice's once there is one.
    pub async fn set_round_dates(
        &self,
        r: &Round,
        d: &RoundDates,
        now: u64,
    ) -> Result<Result<RoundDates, String>> {
        let d = match check_dates(r.year, d) {
            Ok(d) => d,
            Err(e) => return Ok(Err(e)),
        };
        with_pool!(self, pool => sqlx::query(
            "UPDATE rounds SET meeting_date = $1, notice_start = $2, notice_end = $3, filing_date = $4, updated_at = $5 WHERE province = $6 AND id = $7")
            .bind(d.meeting.clone())
            .bind(d.notice_start.clone())
            .bind(d.notice_end.clone())
            .bind(d.filing.clone())
            .bind(now as i64)
            .bind(r.province.as_str().to_string())
            .bind(r.id)
            .execute(pool)
            .await
            .map(|_| ())?);
        Ok(Ok(d))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_limit_above_five_needs_a_reason_and_never_goes_below_what_is_sealed() {
        assert_eq!(check_limit(5, None, 0), Ok(None));
        assert_eq!(check_limit(3, Some("  "), 2), Ok(None));
        assert!(
            check_limit(6, None, 0)
                .unwrap_err()
                .contains("written reason")
        );
        assert_eq!(
            check_limit(6, Some(" 国务院批复 "), 0),
            Ok(Some("国务院批复".into()))
        );
        assert!(
            check_limit(2, None, 3)
                .unwrap_err()
                .contains("already recommended")
        );
        assert!(check_limit(0, None, 0).is_err());
    }

    #[test]
    fn dates_are_strict_in_the_rounds_year_and_in_order() {
        let d = |m: Option<&str>, s: Option<&str>, e: Option<&str>, f: Option<&str>| RoundDates {
            meeting: m.map(Into::into),
            notice_start: s.map(Into::into),
            notice_end: e.map(Into::into),
            filing: f.map(Into::into),
        };
        let ok = d(
            Some("2026-09-01"),
            Some("2026-09-07"),
            Some("2026-09-11"),
            Some("2026-10-30"),
        );
        assert_eq!(check_dates(2026, &ok), Ok(ok.clone()));
        assert!(check_dates(2025, &ok).unwrap_err().contains("year 2025"));
        let bad = d(
            Some("2026-09-10"),
            Some("2026-09-07"),
            Some("2026-09-11"),
            None,
        );
        assert!(
            check_dates(2026, &bad)
                .unwrap_err()
                .contains("comes before meeting")
        );
        for s in ["2026-9-01", "2026-02-30", "２０２６-01-01", "2026/01/01"] {
            assert!(
                check_dates(2026, &d(Some(s), None, None, None)).is_err(),
                "{s}"
            );
        }
        assert!(check_dates(2026, &d(None, Some("2026-09-07"), None, None)).is_err());
        assert!(filing_late(2026, "2026-11-01"));
        assert!(!filing_late(2026, "2026-10-31"));
    }
}
