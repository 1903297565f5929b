//! The filing (备案, issue 14 item 6): the package a province files with the
//! two ministries — the review report (JSON, HTML, XLSX), every draw bundle of
//! the round, the attachments (application forms, assessment reports and
//! other materials) and `manifest.json` listing each file's SHA-256, signed by
//! the log's key (`manifest.sig`) — recorded by a `filing` entry (the
//! manifest's hash and whether it is late) with a `filings` row, the round
//! moving closed → reported, one transaction. [`missing`] says what still
//! stands between a round and its filing (the round page warns from 1 October).

use crate::draws::{DrawError, Workflow};
use crate::store::Store;
use crate::store::log::{NewEntry, append_in};
use crate::store::rounds::{Round, RoundState};
use crate::with_pool;
use anyhow::Context;
use base64::Engine;
use fairpanel_core::entry::{self, Body};
use fairpanel_core::hash::{Hash32, sha256};
use serde::Serialize;

type R<T> = Result<T, DrawError>;

fn conflict<T>(m: impl Into<String>) -> R<T> {
    Err(DrawError::Conflict(m.into()))
}

pub const MANIFEST_FORMAT: &str = "fairpanel-filing/v1";

/// The day (China Standard Time) of `unix`.
pub fn date_cst(unix: u64) -> time::Date {
    time::OffsetDateTime::from_unix_timestamp(unix as i64)
        .map(|t| (t + time::Duration::hours(8)).date())
        .unwrap_or(time::Date::MIN)
}

/// A filing at `unix` of a round of `year` is late after 31 October (Beijing
/// time) of that year.
pub fn is_late(year: i32, unix: u64) -> bool {
    let deadline =
        time::Date::from_calendar_date(year, time::Month::October, 31).unwrap_or(time::Date::MAX);
    date_cst(unix) > deadline
}

/// From 1 October of the round's year (Beijing time) the round page warns.
pub fn warn_from(year: i32, unix: u64) -> bool {
    let start =
        time::Date::from_calendar_date(year, time::Month::October, 1).unwrap_or(time::Date::MAX);
    date_cst(unix) >= start
}

/// One file of the package, as the manifest lists it.
#[derive(Clone, Debug, Serialize, serde::Deserialize, PartialEq, Eq)]
pub struct ManifestFile {
    pub path: String,
    /// Plain SHA-256 of the file's bytes.
    pub sha256: String,
    pub size: u64,
}

/// `manifest.json`: its JCS bytes are what the `filing` entry hashes and
/// `manifest.sig` signs.
#[derive(Clone, Debug, Serialize, serde::Deserialize, PartialEq, Eq)]
pub struct Manifest {
    pub files: Vec<ManifestFile>,
    pub format: String,
    /// The signing key's id (base64 public key in `key`).
    pub key: String,
    pub origin: String,
    pub province: String,
    /// The report document's SHA-256, as its `report` entry fixes it.
    pub report_sha256: String,
    pub report_seq: u64,
    pub round: String,
}

/// What a recorded filing is.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Filed {
    pub round: String,
    /// The `filing` entry's seq.
    pub seq: u64,
    pub manifest_sha256: String,
    pub late: bool,
    pub filed_at: i64,
}

/// Something still missing before a round can be filed.
#[derive(Clone, Debug, Serialize, PartialEq, Eq, utoipa::ToSchema)]
pub struct Missing {
    /// `results` (the round is not sealed), `report` (not issued), `notice`
    /// (no public notice closed), `filing_date` (the round's filing date is
    /// not set).
    pub code: String,
}

/// What is still missing before round `r` can be filed; empty once filed.
pub async fn missing(store: &Store, r: &Round) -> anyhow::Result<Vec<Missing>> {
    let m = |c: &str| Missing { code: c.into() };
    let mut out = Vec::new();
    if r.state == RoundState::Reported {
        return Ok(out);
    }
    if r.state != RoundState::Closed {
        out.push(m("results"));
    }
    let report: Option<(i64,)> = with_pool!(store, pool => sqlx::query_as(
        "SELECT seq FROM reports WHERE round_id = $1")
        .bind(r.id)
        .fetch_optional(pool)
        .await?);
    if report.is_none() {
        out.push(m("report"));
    }
    match crate::notice::summary_of_round(store, r).await? {
        Some(n) if n.closed_at.is_some() => {}
        _ => out.push(m("notice")),
    }
    if r.dates.filing.is_none() {
        out.push(m("filing_date"));
    }
    Ok(out)
}

/// A file name safe inside a ZIP: no folders, no control characters.
fn safe_name(name: &str) -> String {
    let n: String = name
        .chars()
        .map(|c| {
            if c == '/' || c == '\\' || c.is_control() {
                '_'
            } else {
                c
            }
        })
        .collect();
    if n.is_empty() || n == "." || n == ".." {
        "file".into()
    } else {
        n
    }
}

impl Workflow<'_> {
    /// The package's files (path, bytes), the manifest last but one and its
    /// signature last, and the manifest's bytes.
    pub async fn filing_files(
        &self,
        r: &Round,
        base: &str,
    ) -> R<(Vec<(String, Vec<u8>)>, Vec<u8>)> {
        let issued = match self.issued_report(r).await? {
            Some(i) => i,
            None => {
                return conflict(format!(
                    "the report of round {} is not issued: issue it before filing",
                    r.id
                ));
            }
        };
        let doc = self.report_doc(r).await?;
        let mut files: Vec<(String, Vec<u8>)> = vec![
            ("report/report.json".into(), self.report_file(r).await?),
            (
                "report/report.html".into(),
                crate::report_render::html(&doc, &issued, &format!("{base}/public/verify"))
                    .into_bytes(),
            ),
            (
                "report/report.xlsx".into(),
                crate::report_render::xlsx(&doc)?,
            ),
        ];
        for d in self.draws_of_round(r.id).await? {
            files.push((format!("bundles/{}.json", d.id), self.bundle(&d.id).await?));
        }
        for m in self.materials(r, None).await? {
            let (_, bytes) = self.material(r, &m.application, &m.sha256).await?;
            files.push((
                format!(
                    "attachments/{}/{}-{}",
                    safe_name(&m.application),
                    &m.sha256[..12],
                    safe_name(&m.name)
                ),
                bytes,
            ));
        }
        let manifest = Manifest {
            files: files
                .iter()
                .map(|(p, b)| ManifestFile {
                    path: p.clone(),
                    sha256: sha256(b).to_hex(),
                    size: b.len() as u64,
                })
                .collect(),
            format: MANIFEST_FORMAT.into(),
            key: self.key.public().to_base64(),
            origin: self.origin.to_string(),
            province: r.province.as_str().to_string(),
            report_sha256: issued.sha256.clone(),
            report_seq: issued.seq,
            round: issued.round.clone(),
        };
        let bytes = fairpanel_core::jcs::encode(&manifest);
        let sig = base64::engine::general_purpose::STANDARD.encode(self.key.sign(&bytes));
        files.push(("manifest.json".into(), bytes.clone()));
        files.push(("manifest.sig".into(), format!("{sig}\n").into_bytes()));
        Ok((files, bytes))
    }

    /// Files round `r`: builds the package, records a `filing` entry (the
    /// manifest's hash, late after 31 October) and its row, and moves the
    /// round to reported, in one transaction.
    pub async fn file(&self, r: &Round, account: i64, base: &str) -> R<Filed> {
        if r.state != RoundState::Closed {
            return conflict(format!(
                "round {} is {} ({}); a round is filed once it is closed and its report issued",
                r.id,
                r.state.as_str(),
                r.state.zh()
            ));
        }
        let (files, manifest) = self.filing_files(r, base).await?;
        let zip = zip_of(&files)?;
        let msha: Hash32 = sha256(&manifest);
        let round = crate::scores::round_ref(r);
        with_pool!(self.store, pool => {
            let mut tx = self.store.begin_write(pool).await?;
            let t = crate::draws::log_time(&mut tx, self.clock).await?;
            let late = is_late(r.year, t);
            let won = sqlx::query("UPDATE rounds SET state = 'reported', updated_at = $1 WHERE id = $2 AND state = 'closed'")
                .bind(t as i64)
                .bind(r.id)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            if won != 1 {
                return conflict(format!("round {} changed meanwhile", r.id));
            }
            let body = Body::Filing(entry::Filing { late, manifest: msha, round: round.clone() });
            let a = append_in(&mut tx, self.key, self.origin, &[NewEntry { time: t, province: Some(r.province.clone()), body }]).await?[0];
            sqlx::query("INSERT INTO filings (round_id, package, manifest_sha256, seq, late, filed_by, filed_at) VALUES ($1, $2, $3, $4, $5, $6, $7)")
                .bind(r.id)
                .bind(zip)
                .bind(msha.to_hex())
                .bind(a.seq as i64)
                .bind(late as i64)
                .bind(account)
                .bind(a.time as i64)
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
            Ok(Filed { round: round.to_string(), seq: a.seq, manifest_sha256: msha.to_hex(), late, filed_at: a.time as i64 })
        })
    }

    /// The round's filing, if recorded.
    pub async fn filed(&self, r: &Round) -> R<Option<Filed>> {
        Ok(filing_of(self.store, r).await?)
    }

    /// The filed ZIP.
    pub async fn filing_zip(&self, r: &Round) -> R<Vec<u8>> {
        let row: Option<(Vec<u8>,)> = with_pool!(self.store, pool => sqlx::query_as(
            "SELECT package FROM filings WHERE round_id = $1")
            .bind(r.id)
            .fetch_optional(pool)
            .await?);
        row.map(|(b,)| b)
            .ok_or_else(|| DrawError::NotFound(format!("round {} is not filed", r.id)))
    }
}

/// The round's filing row, if any.
pub async fn filing_of(store: &Store, r: &Round) -> anyhow::Result<Option<Filed>> {
    let row: Option<(String, i64, i64, i64)> = with_pool!(store, pool => sqlx::query_as(
        "SELECT manifest_sha256, seq, late, filed_at FROM filings WHERE round_id = $1")
        .bind(r.id)
        .fetch_optional(pool)
        .await?);
    Ok(row.map(|(m, seq, late, at)| Filed {
        round: crate::scores::round_ref(r).to_string(),
        seq: seq as u64,
        manifest_sha256: m,
        late: late != 0,
        filed_at: at,
    }))
}

/// The files as a ZIP (deflated, fixed timestamps).
pub fn zip_of(files: &[(String, Vec<u8>)]) -> anyhow::Result<Vec<u8>> {
    use std::io::Write;
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .large_file(true);
    for (p, b) in files {
        w.start_file(p.as_str(), opts).context("a ZIP entry")?;
        w.write_all(b)?;
    }
    Ok(w.finish()?.into_inner())
}
