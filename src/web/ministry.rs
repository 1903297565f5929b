//! The ministry's page (issue 14, item 7): every province's filing status for
//! a year, read-only. The data is [`crate::ministry::YearOverview`], the same
//! the API answers.

use super::{Base, User, WebError, page, province_name};
use crate::http::AppState;
use crate::http::ministry::{READ, YEARS, check_year};
use crate::ministry::{FilingState, ProvinceYear};
use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::response::Response;
use axum::routing::get;
use fairpanel_core::types::Province;
use serde::Deserialize;

pub fn router() -> Router<AppState> {
    Router::new().route("/ministry", get(overview))
}

#[derive(Deserialize)]
struct YearQuery {
    #[serde(default)]
    year: String,
}

/// A province's row, its words already in the page's language.
struct Row {
    code: String,
    name: String,
    status: FilingState,
    status_label: String,
    limit: u32,
    recommended: u32,
    base_new: u32,
    base_existing: u32,
    studio: u32,
    late: bool,
    /// (title, state label, the day it was filed (Beijing time) or "", late,
    /// the printable report's address or "")
    rounds: Vec<(String, String, String, bool, String)>,
}

#[derive(Template)]
#[template(path = "web/ministry.html")]
struct Overview {
    base: Base,
    year: i32,
    years: Vec<i32>,
    filed: u32,
    late: u32,
    rounds: usize,
    rows: Vec<Row>,
}

/// The year in China (UTC+8) at `unix`.
fn year_at(unix: u64) -> i32 {
    time::OffsetDateTime::from_unix_timestamp(unix as i64)
        .map(|t| (t + time::Duration::hours(8)).year())
        .unwrap_or(*YEARS.start())
}

fn row(u: &User, p: ProvinceYear) -> Row {
    let tr = &u.tr;
    let name = Province::try_from(p.province.as_str())
        .map(|c| province_name(tr, &c))
        .unwrap_or_else(|_| p.name.clone());
    Row {
        status: p.status,
        status_label: tr.t(&format!("ministry-status-{}", p.status.as_str())),
        limit: p.limit,
        recommended: p.recommended,
        base_new: p.by_kind.base_new,
        base_existing: p.by_kind.base_existing,
        studio: p.by_kind.studio,
        late: p.late,
        rounds: p
            .rounds
            .into_iter()
            .map(|r| {
                (
                    r.title,
                    tr.t(&format!("round-state-{}", r.state.as_str())),
                    r.filed_at
                        .map(|t| crate::record_sheet::cst(t.max(0) as u64)[..10].to_string())
                        .unwrap_or_default(),
                    r.late,
                    r.report_html.unwrap_or_default(),
                )
            })
            .collect(),
        code: p.province,
        name,
    }
}

async fn overview(
    State(s): State<AppState>,
    u: User,
    Query(q): Query<YearQuery>,
) -> Result<Response, WebError> {
    u.require(READ)?;
    let this_year = year_at(s.clock.now()).clamp(*YEARS.start(), *YEARS.end());
    let year = match q.year.trim() {
        "" => this_year,
        y => check_year(y.parse().unwrap_or(0))?,
    };
    let o = s.store.year_overview(year).await?;
    let rounds = o.provinces.iter().map(|p| p.rounds.len()).sum();
    let mut rows: Vec<Row> = o.provinces.into_iter().map(|p| row(&u, p)).collect();
    // Provinces with something to file first, then the rest in code order.
    rows.sort_by_key(|r| match r.status {
        FilingState::ToFile => 0,
        FilingState::Filed => 1,
        FilingState::InProgress => 2,
        FilingState::None => 3,
    });
    page(Overview {
        base: u.base(u.tr.t("ministry-title")),
        year,
        years: (*YEARS.start()..=this_year.max(year)).rev().collect(),
        filed: o.filed,
        late: o.late,
        rounds,
        rows,
    })
}
