//! The ministry's national view (issue 14, item 7): every province's year at a
//! glance, read-only. The policy (人社部发〔2022〕62号, 三（一）): "备案截至日期为每年
//! 10 月 31 日，逾期不报视为当年无申报项目" and "原则上每省（区、市）每年建设项目不超过5个
//! （含新建和已建）".
//!
//! What it holds per province is the province's filing status and the counts
//! the limit is about, nothing else of the province's data: no applicant
//! beyond the recommended projects' references, no expert, no score. The
//! counts come from the same place as the province's own limit
//! ([`Store::year_limit`], from the seals in the log), so the two cannot
//! disagree.

use crate::store::Store;
use crate::store::rounds::{Round, RoundDates, RoundState};
use anyhow::Result;
use fairpanel_core::types::{PROVINCES, Province};
use serde::Serialize;
use utoipa::ToSchema;

/// One year, every province.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct YearOverview {
    pub year: i32,
    /// Every province of GB/T 2260, in code order, those without a round too.
    pub provinces: Vec<ProvinceYear>,
    /// Provinces that filed every round of the year that reached results.
    pub filed: u32,
    /// Provinces with a late filing.
    pub late: u32,
}

/// A province's year as the ministry sees it.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct ProvinceYear {
    /// GB/T 2260 code.
    pub province: String,
    /// Its Chinese name.
    pub name: String,
    /// The projects the province may recommend this year (the policy's five
    /// unless the province set its own).
    pub limit: u32,
    /// Why the limit is above the policy's five, when it is.
    pub reason: Option<String>,
    /// Recommendations of the year's sealed rounds, from the log.
    pub recommended: u32,
    /// Recommendations by kind of round.
    pub by_kind: KindCounts,
    /// The province's rounds of the year.
    pub rounds: Vec<RoundStatus>,
    /// `none` (no round this year), `in_progress` (no round has results yet),
    /// `to_file` (a round with results is not filed), `filed` (every round
    /// with results is filed).
    pub status: FilingState,
    /// Some filing of the year came after 31 October.
    pub late: bool,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, ToSchema)]
pub struct KindCounts {
    /// 新建 national high-skill training bases.
    pub base_new: u32,
    /// 已建 bases (designated 2011–2020).
    pub base_existing: u32,
    /// 技能大师工作室.
    pub studio: u32,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum FilingState {
    None,
    InProgress,
    ToFile,
    Filed,
}

impl FilingState {
    pub fn as_str(self) -> &'static str {
        match self {
            FilingState::None => "none",
            FilingState::InProgress => "in_progress",
            FilingState::ToFile => "to_file",
            FilingState::Filed => "filed",
        }
    }
}

/// A round as the ministry sees it: what, where it stands, when it was filed.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct RoundStatus {
    /// The round's reference in the log (`{province}-{year}-r{n}`).
    pub reference: String,
    /// `base_new`, `base_existing` or `studio`.
    pub kind: String,
    pub title: String,
    pub state: RoundState,
    /// Recommendations its seal made.
    pub recommended: u32,
    pub dates: RoundDates,
    /// Filed: a filing (备案) is recorded (the filings table and its
    /// `filing` log entry).
    pub filed: bool,
    /// Filed after 31 October of the year (the filing entry's `late`).
    pub late: bool,
    /// When it was filed (Unix seconds), if it was.
    pub filed_at: Option<i64>,
    /// The `filing` entry's seq, if filed.
    pub filing_seq: Option<u64>,
    /// Once filed: where the ministry reads the round's report file
    /// (`fairpanel verify` checks it) and its printable form.
    pub report_json: Option<String>,
    pub report_html: Option<String>,
}

fn status_of(r: &Round, recommended: u32, filing: Option<crate::filing::Filed>) -> RoundStatus {
    RoundStatus {
        reference: crate::scores::round_ref(r).as_str().to_string(),
        kind: r.kind.clone(),
        title: r.title.clone(),
        state: r.state,
        recommended,
        filed: filing.is_some(),
        late: filing.as_ref().is_some_and(|f| f.late),
        filed_at: filing.as_ref().map(|f| f.filed_at),
        filing_seq: filing.as_ref().map(|f| f.seq),
        report_json: filing
            .as_ref()
            .map(|f| format!("/api/v1/ministry/rounds/{}/report.json", f.round)),
        report_html: filing
            .as_ref()
            .map(|f| format!("/api/v1/ministry/rounds/{}/report.html", f.round)),
        dates: r.dates.clone(),
    }
}

impl Store {
    /// Every province's year: limit, recommendations by kind, rounds and
    /// whether they are filed.
    pub async fn year_overview(&self, year: i32) -> Result<YearOverview> {
        let rounds = self.rounds_of_year(year).await?;
        let mut provinces = Vec::with_capacity(PROVINCES.len());
        for (code, name) in PROVINCES {
            let p = Province::try_from(*code).map_err(|e| anyhow::anyhow!(e))?;
            let limit = self.year_limit(&p, year).await?;
            let mine: Vec<&Round> = rounds.iter().filter(|r| r.province == p).collect();
            let mut by_kind = KindCounts::default();
            let mut statuses = Vec::with_capacity(mine.len());
            for r in &mine {
                let reference = crate::scores::round_ref(r);
                let n = limit
                    .sealed
                    .iter()
                    .filter(|s| s.round == reference.as_str())
                    .count() as u32;
                match r.kind.as_str() {
                    "base_new" => by_kind.base_new += n,
                    "base_existing" => by_kind.base_existing += n,
                    _ => by_kind.studio += n,
                }
                let filing = crate::filing::filing_of(self, r).await?;
                statuses.push(status_of(r, n, filing));
            }
            let with_results: Vec<&RoundStatus> = statuses
                .iter()
                .filter(|s| matches!(s.state, RoundState::Closed | RoundState::Reported))
                .collect();
            let status = if statuses.is_empty() {
                FilingState::None
            } else if with_results.is_empty() {
                FilingState::InProgress
            } else if with_results.iter().all(|s| s.filed) {
                FilingState::Filed
            } else {
                FilingState::ToFile
            };
            provinces.push(ProvinceYear {
                province: code.to_string(),
                name: name.to_string(),
                limit: limit.limit,
                reason: limit.reason,
                recommended: limit.recommended,
                by_kind,
                late: statuses.iter().any(|s| s.late),
                rounds: statuses,
                status,
            });
        }
        Ok(YearOverview {
            year,
            filed: provinces
                .iter()
                .filter(|p| p.status == FilingState::Filed)
                .count() as u32,
            late: provinces.iter().filter(|p| p.late).count() as u32,
            provinces,
        })
    }
}
