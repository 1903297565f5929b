//! The review report (评审报告, issue 14 item 5): [`ReportDoc`] (the core's
//! `fairpanel-report/v1`) built from the service's own records, the six
//! sections the policy names; issuing it (a `report` log entry holding the
//! document's SHA-256 and a `reports` row, one transaction); the report file
//! (the document with the cited entries, their inclusion proofs and a
//! checkpoint as `evidence`, so `fairpanel verify REPORT.json` works offline).

use crate::draws::{DrawError, Workflow};
use crate::store::log::{NewEntry, append_in};
use crate::store::rounds::{Round, RoundState};
use crate::with_pool;
use anyhow::Context;
use fairpanel_core::entry::{self, Body, Kind, Parsed};
use fairpanel_core::hash::Hash32;
use fairpanel_core::report::{
    Abnormal, ApplicationItem, Attachment, Citation, MethodSection, NoticeDetail, NoticeObjection,
    NoticeSection, PanelMember, PanelSection, ProcedureStep, ResultsSection, Sections,
};
pub use fairpanel_core::report::{FORMAT, ReportDoc};
use fairpanel_core::scoring as rules;
use fairpanel_core::types::{DrawId, Token};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

type R<T> = Result<T, DrawError>;

/// A sealed sheet's scorer, total, hash and its own explanation.
type ScoredSheet = (Token, rust_decimal::Decimal, Hash32, Option<String>);

fn conflict<T>(m: impl Into<String>) -> R<T> {
    Err(DrawError::Conflict(m.into()))
}

/// Section 6 from the notice's own summary (`notice.rs`): no personal data.
impl From<crate::notice::NoticeSummary> for NoticeDetail {
    fn from(f: crate::notice::NoticeSummary) -> Self {
        NoticeDetail {
            close_seq: f.close_seq,
            closed_at: f.closed_at,
            end: f.end,
            notice_seq: f.notice_seq,
            objections: f
                .objections
                .into_iter()
                .map(|o| NoticeObjection {
                    answer: o.answer,
                    outcome: o.outcome,
                    project: o.project,
                    received_at: o.received_at,
                    reference: o.reference,
                    withdrawn: o.withdrawn,
                })
                .collect(),
            published_at: f.published_at,
            start: f.start,
            text_sha256: f.text_sha256,
            working_days: f.working_days,
        }
    }
}

/// An issued report, as stored.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Issued {
    pub round: String,
    /// The `report` entry's seq.
    pub seq: u64,
    /// Plain SHA-256 of the document's JCS bytes, as the entry fixes it.
    pub sha256: String,
    pub issued_at: i64,
}

/// The round a scoring-side body names.
fn round_of(b: &Body) -> Option<&DrawId> {
    match b {
        Body::ScoringOpen(x) => Some(&x.round),
        Body::SheetCommit(x) => Some(&x.round),
        Body::Seal(x) => Some(&x.round),
        Body::ScreenOverride(x) => Some(&x.round),
        Body::Recusal(x) => Some(&x.round),
        Body::SheetReopen(x) => Some(&x.round),
        Body::Pledge(x) => Some(&x.round),
        Body::ScoringLock(x) => Some(&x.round),
        Body::Explanation(x) => Some(&x.round),
        Body::ScoringUnlock(x) => Some(&x.round),
        Body::Report(x) => Some(&x.round),
        Body::Filing(x) => Some(&x.round),
        Body::Notice(x) => Some(&x.round),
        Body::NoticeClose(x) => Some(&x.round),
        Body::Withdrawal(x) => Some(&x.round),
        _ => None,
    }
}

/// What a step of the procedure was, in Chinese.
fn what(p: &Parsed) -> String {
    match &p.body {
        Body::Commit(c) if c.supplements.is_some() => {
            format!("补抽承诺：抽取 {} 的专家库与规则固定", c.draw)
        }
        Body::Commit(c) => format!("抽取承诺：抽取 {} 的专家库与规则固定", c.draw),
        Body::Entropy(e) => format!("监督员 {} 提供随机数", e.supervisor),
        Body::Beacon(b) => format!("drand 公共随机信标第 {} 轮", b.round),
        Body::Reveal(r) => format!(
            "揭示抽取结果：专家 {} 名，备选 {} 名",
            r.panel.len(),
            r.alternates.len()
        ),
        Body::Decline(d) if d.replacement.is_some() => "专家不能参加，备选专家递补".into(),
        Body::Decline(_) => "专家不能参加，备选已用完".into(),
        Body::Void(_) => "抽取作废".into(),
        Body::Disclosure(d) => format!("公开专家名单（{} 人）", d.members.len()),
        Body::ScoringOpen(o) => format!(
            "开始评分：{} 个项目，评分标准与推荐名额固定",
            o.applications.len()
        ),
        Body::SheetCommit(_) => "专家提交评分表".into(),
        Body::Seal(s) => format!("封存评审结果：{} 个项目", s.results.len()),
        Body::ScreenOverride(o) => format!("资格审查例外：{} 仍予评审", o.application),
        Body::Recusal(_) => "专家回避".into(),
        Body::SheetReopen(_) => "评分表重开".into(),
        Body::Pledge(_) => "专家确认承诺书".into(),
        Body::ScoringLock(_) => "评分表全部提交，锁定".into(),
        Body::Explanation(_) => "异常分说明".into(),
        Body::ScoringUnlock(_) => "解除评分锁定".into(),
        Body::Notice(n) => format!(
            "发布公示：{} 至 {}（{} 个工作日），{} 个项目",
            n.start, n.end, n.working_days, n.items
        ),
        Body::NoticeClose(c) => format!(
            "公示结束：收到异议 {} 件，成立 {} 件，不成立 {} 件",
            c.objections, c.upheld, c.rejected
        ),
        Body::Withdrawal(w) => format!("撤回推荐：{}", w.application),
        _ => format!("{:?}", p.entry.kind),
    }
}

/// The role of a material among the report's attachments, from its name:
/// 申报表 is an application form; an existing base's 考核/评估 file is its
/// assessment report; anything else is a material.
fn role_of(kind: &str, name: &str) -> &'static str {
    if name.contains("申报表") || name.to_lowercase().contains("application") {
        "application_form"
    } else if kind == "base_existing" && (name.contains("考核") || name.contains("评估")) {
        "assessment_report"
    } else {
        "material"
    }
}

/// 专家A, 专家B, … by position.
fn anonymous(i: usize) -> String {
    let letter = (b'A' + (i % 26) as u8) as char;
    if i < 26 {
        format!("专家{letter}")
    } else {
        format!("专家{letter}{}", i / 26)
    }
}

impl Workflow<'_> {
    /// The log entries of round `r`: those of its draws and those naming it.
    async fn round_entries(&self, r: &Round) -> R<Vec<Parsed>> {
        let rid = crate::scores::round_ref(r);
        let draws: BTreeSet<String> = self
            .draws_of_round(r.id)
            .await?
            .into_iter()
            .map(|d| d.id)
            .collect();
        let rows: Vec<(Vec<u8>,)> = with_pool!(self.store, pool => sqlx::query_as(
            "SELECT bytes FROM log_entries WHERE province = $1 ORDER BY seq")
            .bind(r.province.as_str().to_string())
            .fetch_all(pool)
            .await?);
        let mut out = Vec::new();
        for (b,) in rows {
            let p = entry::parse(&b).map_err(|e| anyhow::anyhow!("a stored entry: {e}"))?;
            let mine = p.body.draw().is_some_and(|d| draws.contains(d.as_str()))
                || round_of(&p.body) == Some(&rid);
            if mine {
                out.push(p);
            }
        }
        Ok(out)
    }

    /// The report document of a sealed round, from the service's records.
    pub async fn build_report(&self, r: &Round) -> R<ReportDoc> {
        let rid = crate::scores::round_ref(r);
        let all = self.round_entries(r).await?;
        // Everything before the report (a reissue would cite the same).
        let cited: Vec<&Parsed> = all
            .iter()
            .filter(|p| !matches!(p.entry.kind, Kind::Report | Kind::Filing))
            .collect();
        let seal = cited.iter().rev().find_map(|p| match &p.body {
            Body::Seal(s) => Some((p.entry.seq, s)),
            _ => None,
        });
        let Some((seal_seq, seal)) = seal else {
            return conflict(format!(
                "round {} has no sealed results: a report is issued once the round is closed",
                r.id
            ));
        };
        let open = cited
            .iter()
            .rev()
            .find_map(|p| match &p.body {
                Body::ScoringOpen(o) => Some(o),
                _ => None,
            })
            .context("a sealed round without scoring_open")?;
        let d = open.draw.clone();
        let fairpanel_core::report::Seated {
            tokens: seated,
            chain,
            drawn,
            declined,
            replaced,
        } = fairpanel_core::report::seated_panel(&cited, &d).map_err(|e| anyhow::anyhow!(e))?;
        // Names from the disclosures of the chain's draws (a token means the
        // same in every draw of a chain: they share one pool).
        let openings: BTreeMap<Token, &entry::Opening> = cited
            .iter()
            .filter_map(|p| match &p.body {
                Body::Disclosure(x) if chain.contains(&x.draw) => Some(x),
                _ => None,
            })
            .flat_map(|x| x.members.iter().map(|o| (o.token, o)))
            .collect();
        if seated.iter().any(|t| !openings.contains_key(t)) {
            return conflict(format!(
                "the panel's draw {} is not disclosed: disclose it before issuing the report, which names the panel",
                chain.last().unwrap_or(&d)
            ));
        }
        let mut members = Vec::new();
        for t in &seated {
            let o = openings[t];
            let rec: Option<(String,)> = with_pool!(self.store, pool => sqlx::query_as(
                "SELECT record FROM experts WHERE province = $1 AND expert_id = $2")
                .bind(r.province.as_str().to_string())
                .bind(o.expert.clone())
                .fetch_optional(pool)
                .await?);
            let rec: serde_json::Value = rec
                .map(|(s,)| serde_json::from_str(&s))
                .transpose()
                .map_err(anyhow::Error::from)?
                .unwrap_or_default();
            let field = |k: &str| {
                rec.get(k)
                    .and_then(|v| v.as_str())
                    .unwrap_or("")
                    .to_string()
            };
            members.push(PanelMember {
                name: o.name.clone(),
                organisation: o.org.clone(),
                specialty: field("specialty"),
                title: field("skill_level"),
                token: *t,
            });
        }
        let draws: Vec<DrawId> = self
            .draws_of_round(r.id)
            .await?
            .into_iter()
            .filter_map(|x| DrawId::try_from(x.id).ok())
            .collect();

        // Section 1.
        let apps = self.store.applications(r.id).await?;
        let screens = self.screens_of(r, &apps).await?;
        let overrides: BTreeMap<&str, u64> = cited
            .iter()
            .filter_map(|p| match &p.body {
                Body::ScreenOverride(o) => Some((o.application.as_str(), p.entry.seq)),
                _ => None,
            })
            .collect();
        let applications = apps
            .iter()
            .map(|a| {
                let s = screens.iter().find(|s| s.application == a.ref_no);
                let screen = match s {
                    Some(s) if s.eligible => "passed",
                    Some(s) if s.overridden.is_some() => "overridden",
                    _ => "failed",
                };
                ApplicationItem {
                    organisation: a.applicant_org.clone(),
                    project: a.occupations.join("、"),
                    reference: a.ref_no.clone(),
                    screen: screen.into(),
                    scored: open.applications.contains(&a.ref_no)
                        || overrides.contains_key(a.ref_no.as_str()),
                    failures: s.map(|s| s.reasons.clone()).unwrap_or_default(),
                    override_seq: overrides.get(a.ref_no.as_str()).copied(),
                }
            })
            .collect();

        // Section 4.
        let (rubric, _) = self.rubric(r).await?;
        let limit = rules::abnormal_limit(open.abnormal_points.as_deref())
            .map_err(|e| anyhow::anyhow!(e))?;
        let method = MethodSection {
            abnormal_points: rules::dec2::format(&limit),
            already_recommended: seal.already_recommended,
            quota: seal.quota,
            rubric: serde_json::to_value(&rubric).map_err(anyhow::Error::from)?,
            rubric_hash: seal.rubric,
            rule: seal.rule.clone(),
            tie_break:
                "最终得分高者在前；同分时中位数高者在前；仍同分时最低分高者在前；再同分按申报编号"
                    .into(),
        };

        // Section 5: abnormal totals among the sealed sheets, anonymised.
        let order: Vec<Token> = seated.iter().copied().collect();
        let mut abnormal = Vec::new();
        let mut scoring = None;
        for x in chain.iter().rev() {
            if let Some(sc) = self.sealed_scoring(x.as_str()).await? {
                scoring = Some(sc);
                break;
            }
        }
        if let Some(sc) = scoring {
            let mut by_app: BTreeMap<String, Vec<ScoredSheet>> = BTreeMap::new();
            for b in &sc.sheets {
                let rec: rules::SheetRecord =
                    serde_json::from_slice(b).map_err(anyhow::Error::from)?;
                let total = rules::validate_sheet(&rubric, &rec.sheet())
                    .map_err(|e| anyhow::anyhow!(e.join("; ")))?;
                by_app.entry(rec.application.clone()).or_default().push((
                    rec.scorer,
                    total,
                    rules::SheetRecord::hash_of(b),
                    rec.explanation.clone(),
                ));
            }
            let explained: BTreeMap<Hash32, String> = sc
                .explanations
                .iter()
                .filter_map(|b| serde_json::from_slice::<rules::ExplanationRecord>(b).ok())
                .map(|e| (e.sheet, e.explanation))
                .collect();
            for (app, sheets) in &by_app {
                for (k, (scorer, total, h, own)) in sheets.iter().enumerate() {
                    let others: Vec<_> = sheets
                        .iter()
                        .enumerate()
                        .filter(|(j, _)| *j != k)
                        .map(|(_, s)| s.1)
                        .collect();
                    if rules::abnormal_at(*total, &others, limit).is_some() {
                        let i = order
                            .iter()
                            .position(|t| t == scorer)
                            .unwrap_or(order.len());
                        abnormal.push(Abnormal {
                            application: app.clone(),
                            expert: anonymous(i),
                            explanation: explained.get(h).cloned().or(own.clone()),
                            total: rules::dec2::format(total),
                        });
                    }
                }
            }
        }
        let results = ResultsSection {
            abnormal,
            recommended: seal
                .results
                .iter()
                .filter(|x| x.recommended)
                .map(|x| x.application.clone())
                .collect(),
            results: seal.results.clone(),
            seal_seq,
        };

        // Section 6.
        let notice = match crate::notice::summary_of_round(self.store, r).await? {
            Some(f) => NoticeSection {
                detail: Some(f.into()),
                published: true,
            },
            None => NoticeSection {
                detail: None,
                published: false,
            },
        };

        let attachments = self
            .materials(r, None)
            .await?
            .into_iter()
            .filter_map(|m| {
                Some(Attachment {
                    role: role_of(&r.kind, &m.name).into(),
                    sha256: Hash32::from_hex(&m.sha256).ok()?,
                    application: m.application,
                    media_type: m.media_type,
                    name: m.name,
                })
            })
            .collect();

        Ok(ReportDoc {
            attachments,
            citations: cited
                .iter()
                .map(|p| Citation {
                    hash: p.hash,
                    kind: p.entry.kind,
                    seq: p.entry.seq,
                    time: p.entry.time,
                })
                .collect(),
            format: FORMAT.into(),
            kind: r.kind.clone(),
            province: r.province.as_str().to_string(),
            round: rid,
            sections: Sections {
                applications,
                method,
                notice,
                panel: PanelSection {
                    declined,
                    draw: d.clone(),
                    draws,
                    drawn,
                    members,
                    replaced,
                },
                procedure: cited
                    .iter()
                    .map(|p| ProcedureStep {
                        kind: p.entry.kind,
                        seq: p.entry.seq,
                        time: p.entry.time,
                        what: what(p),
                    })
                    .collect(),
                results,
            },
            title: r.title.clone(),
            year: r.year,
        })
    }

    /// Issues the report of a closed round: the document stored and a
    /// `report` entry holding its SHA-256, one transaction. Once per round.
    pub async fn issue_report(&self, r: &Round, account: i64) -> R<Issued> {
        if r.state != RoundState::Closed {
            return conflict(format!(
                "round {} is {} ({}); a report is issued once the round is closed",
                r.id,
                r.state.as_str(),
                r.state.zh()
            ));
        }
        if let Some(i) = self.issued_report(r).await? {
            return conflict(format!(
                "the report of round {} was already issued (seq {})",
                r.id, i.seq
            ));
        }
        // Section 6 describes the notice: a notice still open would be
        // described half-way, and its objections' outcomes left out.
        if let Some(n) = crate::notice::summary_of_round(self.store, r).await?
            && n.closed_at.is_none()
        {
            return conflict(format!(
                "the notice of round {} is open until {}: the report describes the notice, so it is issued once the notice is closed",
                r.id, n.end
            ));
        }
        let doc = self.build_report(r).await?;
        let described = doc
            .sections
            .notice
            .detail
            .as_ref()
            .map(|d| (d.notice_seq, d.close_seq));
        let bytes = doc.canonical();
        let sha = doc.hash();
        let body = Body::Report(entry::ReportIssued {
            round: doc.round.clone(),
            sha256: sha,
        });
        with_pool!(self.store, pool => {
            let mut tx = self.store.begin_write(pool).await?;
            let t = crate::draws::log_time(&mut tx, self.clock).await?;
            let (state,): (String,) = sqlx::query_as("SELECT state FROM rounds WHERE id = $1")
                .bind(r.id)
                .fetch_one(&mut *tx)
                .await?;
            if state != "closed" {
                return conflict(format!("round {} changed meanwhile", r.id));
            }
            // The notice as the document describes it, still (the log head
            // is locked from here: a notice cannot be published or closed).
            let notice: Option<(i64, Option<i64>)> = sqlx::query_as("SELECT seq, close_seq FROM notices WHERE round_id = $1")
                .bind(r.id)
                .fetch_optional(&mut *tx)
                .await?;
            if notice != described {
                return conflict(format!("round {} changed meanwhile", r.id));
            }
            let a = append_in(&mut tx, self.key, self.origin, &[NewEntry { time: t, province: Some(r.province.clone()), body }]).await?[0];
            let won = sqlx::query("INSERT INTO reports (round_id, document, sha256, seq, issued_by, issued_at) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (round_id) DO NOTHING")
                .bind(r.id)
                .bind(bytes)
                .bind(sha.to_hex())
                .bind(a.seq as i64)
                .bind(account)
                .bind(a.time as i64)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            if won != 1 {
                return conflict(format!("the report of round {} was already issued", r.id));
            }
            tx.commit().await?;
            Ok(Issued { round: doc.round.to_string(), seq: a.seq, sha256: sha.to_hex(), issued_at: a.time as i64 })
        })
    }

    /// The round's issued report, if any.
    pub async fn issued_report(&self, r: &Round) -> R<Option<Issued>> {
        let row: Option<(String, i64, i64)> = with_pool!(self.store, pool => sqlx::query_as(
            "SELECT sha256, seq, issued_at FROM reports WHERE round_id = $1")
            .bind(r.id)
            .fetch_optional(pool)
            .await?);
        Ok(row.map(|(sha256, seq, issued_at)| Issued {
            round: crate::scores::round_ref(r).to_string(),
            seq: seq as u64,
            sha256,
            issued_at,
        }))
    }

    /// The issued document, as stored (re-hashed against its entry's hash).
    pub async fn report_doc(&self, r: &Round) -> R<ReportDoc> {
        let row: Option<(Vec<u8>, String)> = with_pool!(self.store, pool => sqlx::query_as(
            "SELECT document, sha256 FROM reports WHERE round_id = $1")
            .bind(r.id)
            .fetch_optional(pool)
            .await?);
        let Some((bytes, sha)) = row else {
            return Err(DrawError::NotFound(format!(
                "round {} has no issued report",
                r.id
            )));
        };
        if fairpanel_core::hash::sha256(&bytes).to_hex() != sha {
            return Err(DrawError::Internal(anyhow::anyhow!(
                "the stored report of round {} does not hash to its recorded sha256",
                r.id
            )));
        }
        Ok(serde_json::from_slice(&bytes).map_err(anyhow::Error::from)?)
    }

    /// The report file: the issued document with the cited entries and the
    /// report entry, their inclusion proofs and the newest checkpoint.
    pub async fn report_file(&self, r: &Round) -> R<Vec<u8>> {
        let doc = self.report_doc(r).await?;
        let issued = self
            .issued_report(r)
            .await?
            .context("a report without its row")?;
        let (size, cp) = self
            .store
            .latest_checkpoint()
            .await?
            .context("no checkpoint")?;
        let mut seqs: Vec<u64> = doc.citations.iter().map(|c| c.seq).collect();
        seqs.push(issued.seq);
        seqs.sort();
        let mut stored = Vec::new();
        for &s in &seqs {
            let e = self.store.entries(s, s + 1).await?;
            let e = e.into_iter().next().context("a cited entry is missing")?;
            let proof = self.store.inclusion_proof(s, size).await?;
            let sig: [u8; 64] = e
                .sig
                .as_slice()
                .try_into()
                .context("a stored signature is not 64 bytes")?;
            stored.push((e.bytes, sig, proof));
        }
        let rot_rows = self.store.rotation_entries().await?;
        let mut rots = Vec::new();
        for e in rot_rows {
            let proof = self.store.inclusion_proof(e.seq, size).await?;
            let sig: [u8; 64] = e
                .sig
                .as_slice()
                .try_into()
                .context("a stored signature is not 64 bytes")?;
            rots.push((e.bytes, sig, proof));
        }
        let entries: Vec<fairpanel_core::report::EvidenceEntry> = stored
            .iter()
            .map(|(b, s, p)| (b.as_slice(), *s, p.clone()))
            .collect();
        let rotations: Vec<fairpanel_core::report::EvidenceEntry> = rots
            .iter()
            .map(|(b, s, p)| (b.as_slice(), *s, p.clone()))
            .collect();
        Ok(fairpanel_core::report::write_file(
            &doc,
            &cp,
            &self.key.public(),
            self.origin,
            &entries,
            &rotations,
        ))
    }
}
