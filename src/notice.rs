//! The public notice (公示) of a round's sealed results and the objections
//! (异议) to it (issue 14, items 3 and 4).
//!
//! A coordinator drafts the notice from the round's seal (the projects it
//! recommends, with the columns the province chooses to publish), with a
//! period in working days counted on the calendar from a start date; the
//! notice's text is in its canonical form (docs/PROTOCOL.md, "notice,
//! notice_close, withdrawal") and its SHA-256 goes into a `notice` entry,
//! written with the row in one transaction. Anyone objects through the public
//! form; each objection gets a reference (`YY-<province>-<n>`) and a secret
//! receipt token (only its hash is kept). A coordinator handles each one
//! (upheld or rejected, with a written answer); an upheld one may withdraw the
//! recommendation (a `withdrawal` entry, which frees the place in the
//! province-year's limit). Closing, once the period is over and nothing is
//! pending, writes the counts in a `notice_close` entry. Names, contacts,
//! grounds and attachments never enter the log.

use crate::draws::{DrawError, Workflow};
use crate::scores::round_ref;
use crate::store::Store;
use crate::store::log::{NewEntry, append_in};
use crate::store::rounds::{Round, RoundState};
use crate::with_pool;
use base64::Engine;
use fairpanel_core::entry::{self, Body};
use fairpanel_core::hash::{Hash32, sha256};
use fairpanel_core::types::{PROVINCES, Province};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

type R<T> = Result<T, DrawError>;

/// The columns a province may publish, in the order the text shows them.
pub const COLUMNS: [&str; 5] = ["rank", "organisation", "kind", "project", "score"];
/// The notice's heading: the round's title followed by 结果公示 (评审结果公示
/// when the title does not end with 评审), with the province and the year in
/// front unless the title already names them.
fn notice_heading(province: &str, year: i32, title: &str) -> String {
    let title = title.trim();
    let mut head = String::new();
    if !title.contains(province) || !title.contains(&year.to_string()) {
        head.push_str(&format!("{province}{year}年度"));
    }
    head.push_str(title);
    head.push_str(if title.ends_with("评审") {
        "结果公示"
    } else {
        "评审结果公示"
    });
    head
}

/// The period's usual length.
pub const DEFAULT_WORKING_DAYS: u32 = 5;
/// The longest period accepted.
pub const MAX_WORKING_DAYS: u32 = 30;
/// An objection's attachment: at most 5 MiB.
pub const MAX_ATTACHMENT: usize = 5 * 1024 * 1024;
/// The attachment types accepted (by their first bytes, never a name).
pub const ATTACHMENT_TYPES: [&str; 3] = ["application/pdf", "image/png", "image/jpeg"];

fn invalid<T>(m: impl Into<String>) -> R<T> {
    Err(DrawError::Invalid(m.into()))
}

fn conflict<T>(m: impl Into<String>) -> R<T> {
    Err(DrawError::Conflict(m.into()))
}

/// What a coordinator chooses for the notice.
#[derive(Clone, Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NoticeDraft {
    /// Among `rank`, `organisation`, `kind`, `project`, `score`; at least one.
    pub columns: Vec<String>,
    /// The period's first day, `YYYY-MM-DD`.
    pub start: String,
    /// Working days, 1 to 30; 5 when absent.
    #[serde(default)]
    pub working_days: Option<u32>,
    /// `true`: an objection must give a name and a contact.
    #[serde(default)]
    pub require_contact: bool,
    /// How to object, in words; a standard text when absent.
    #[serde(default)]
    pub how_to_object: Option<String>,
}

/// The notice as it would be published.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct NoticePreview {
    /// The exact text, in its canonical form.
    pub text: String,
    /// Its SHA-256, hex: the notice entry's `text`.
    pub text_sha256: String,
    pub start: String,
    pub end: String,
    pub working_days: u32,
    /// The listed projects (application references), by rank.
    pub projects: Vec<String>,
    pub columns: Vec<String>,
    pub require_contact: bool,
    pub how_to_object: String,
}

/// A published notice, as its province sees it.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct NoticeView {
    pub id: i64,
    pub round_id: i64,
    #[serde(flatten)]
    pub preview: NoticePreview,
    /// The notice entry's seq.
    pub seq: i64,
    pub published_at: i64,
    pub closed_at: Option<i64>,
    pub close_seq: Option<i64>,
    pub objections: Vec<ObjectionView>,
}

/// One objection as the coordinator handles it.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct ObjectionView {
    pub reference: String,
    pub name: Option<String>,
    pub contact: Option<String>,
    pub project: String,
    pub grounds: String,
    pub attachment_type: Option<String>,
    pub attachment_size: Option<i64>,
    pub received_at: i64,
    /// `pending`, `upheld` or `rejected`.
    pub outcome: String,
    pub answer: Option<String>,
    pub handled_at: Option<i64>,
    /// The withdrawal entry's seq, when the objection withdrew the project.
    pub withdrawal_seq: Option<i64>,
}

/// A notice in the public list.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct PublicNotice {
    pub id: i64,
    pub province: String,
    pub province_name: String,
    pub year: i32,
    pub round_title: String,
    pub start: String,
    pub end: String,
    pub working_days: u32,
    /// `open` or `closed`.
    pub status: String,
    pub seq: i64,
    pub text_sha256: String,
    pub published_at: i64,
}

/// One notice for the public: its text and how to object, and the counts.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct PublicNoticeDetail {
    #[serde(flatten)]
    pub notice: PublicNotice,
    pub text: String,
    pub how_to_object: String,
    pub require_contact: bool,
    pub projects: Vec<String>,
    pub closed_at: Option<i64>,
    pub close_seq: Option<i64>,
    pub objections: u32,
    pub upheld: u32,
    pub rejected: u32,
}

/// An objection as the public form sends it.
#[derive(Clone, Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewObjection {
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub contact: Option<String>,
    /// The application reference of a project on the notice.
    pub project: String,
    /// Why, 1 to 5000 characters.
    pub grounds: String,
    /// A PDF, PNG or JPEG of at most 5 MiB, base64 (standard alphabet).
    #[serde(default)]
    pub attachment: Option<String>,
}

/// What the objector keeps: the reference and the secret token that opens
/// the receipt.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct Receipt {
    pub reference: String,
    pub token: String,
    pub notice_id: i64,
    pub project: String,
    pub received_at: i64,
}

/// An objection's receipt, opened with its token: its state and answer,
/// never who sent it.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct ReceiptView {
    pub reference: String,
    pub notice_id: i64,
    pub project: String,
    pub received_at: i64,
    pub outcome: String,
    pub answer: Option<String>,
    pub handled_at: Option<i64>,
}

/// A coordinator's handling of an objection.
#[derive(Clone, Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Handling {
    /// `upheld` or `rejected`.
    pub outcome: String,
    /// The written answer, 1 to 5000 characters.
    pub answer: String,
    /// Upheld only: withdraw the project's recommendation (frees its place).
    #[serde(default)]
    pub withdraw: bool,
    /// Why it is withdrawn, for the public log: 1 to 300 characters, no
    /// personal data. Required with `withdraw`.
    #[serde(default)]
    pub reason: Option<String>,
}

/// For the review report (issue 14, item 5).
#[derive(Clone, Debug, Serialize)]
pub struct NoticeSummary {
    pub notice_seq: i64,
    pub text_sha256: String,
    pub published_at: i64,
    pub start: String,
    pub end: String,
    pub working_days: u32,
    pub closed_at: Option<i64>,
    pub close_seq: Option<i64>,
    pub objections: Vec<ObjectionSummary>,
}

#[derive(Clone, Debug, Serialize)]
pub struct ObjectionSummary {
    pub reference: String,
    /// The application's reference.
    pub project: String,
    pub received_at: i64,
    /// `pending`, `upheld` or `rejected`.
    pub outcome: String,
    pub answer: Option<String>,
    pub withdrawn: bool,
}

/// The canonical form of a notice text (docs/PROTOCOL.md): LF line ends, no
/// white space at a line's end, no empty line at the start or end, one final LF.
pub fn canonical_text(t: &str) -> String {
    let t = t.replace("\r\n", "\n").replace('\r', "\n");
    let lines: Vec<&str> = t.lines().map(|l| l.trim_end()).collect();
    let first = lines.iter().position(|l| !l.is_empty()).unwrap_or(0);
    let last = lines
        .iter()
        .rposition(|l| !l.is_empty())
        .map_or(0, |i| i + 1);
    let mut out = lines[first..last.max(first)].join("\n");
    out.push('\n');
    out
}

/// The date in Beijing at unix second `t`.
pub fn beijing_date(t: u64) -> time::Date {
    let offset = time::UtcOffset::from_hms(8, 0, 0).expect("a valid offset");
    time::OffsetDateTime::from_unix_timestamp(t as i64)
        .unwrap_or(time::OffsetDateTime::UNIX_EPOCH)
        .to_offset(offset)
        .date()
}

pub fn province_name(code: &str) -> String {
    PROVINCES
        .iter()
        .find(|(c, _)| *c == code)
        .map(|(_, n)| n.to_string())
        .unwrap_or_else(|| code.to_string())
}

const COLUMN_HEADS: [(&str, &str); 5] = [
    ("rank", "排名"),
    ("organisation", "申报单位"),
    ("kind", "类别"),
    ("project", "项目"),
    ("score", "最终得分"),
];

fn default_how_to_object(require_contact: bool, end: &str) -> String {
    let who = if require_contact {
        "异议须署真实姓名并留联系方式，匿名异议不予受理。"
    } else {
        "异议人可署名并留联系方式，也可不署名。"
    };
    format!(
        "如有异议，请于{end}（含）前通过本公示页面的异议表提出，写明所涉项目和具体理由，可附证明材料（PDF、PNG或JPEG，不超过5 MiB）。{who}提交后将得到受理编号，可凭编号和回执密码查询处理结果。"
    )
}

/// The round's last seal entry: its seq and body.
async fn seal_of(store: &Store, r: &Round) -> R<Option<(i64, entry::Seal)>> {
    let rows: Vec<(i64, Vec<u8>)> = with_pool!(store, pool => sqlx::query_as(
        "SELECT seq, bytes FROM log_entries WHERE kind = 'seal' AND province = $1 ORDER BY seq")
        .bind(r.province.as_str().to_string())
        .fetch_all(pool)
        .await?);
    let want = round_ref(r);
    let mut out = None;
    for (seq, bytes) in rows {
        let e = entry::parse(&bytes)
            .map_err(|e| DrawError::Internal(anyhow::anyhow!("log entry {seq}: {e}")))?;
        if let Body::Seal(s) = e.body
            && s.round == want
        {
            out = Some((seq, s));
        }
    }
    Ok(out)
}

/// id, round_id, columns, projects, require_contact, how_to_object, text,
/// text_sha256, start_date, end_date, working_days, seq, published_at,
/// close_seq, closed_at.
type NoticeRow = (
    i64,
    i64,
    String,
    String,
    i64,
    String,
    String,
    String,
    String,
    String,
    i64,
    i64,
    i64,
    Option<i64>,
    Option<i64>,
);

type ObjectionRow = (
    String,
    Option<String>,
    Option<String>,
    String,
    String,
    Option<String>,
    Option<i64>,
    i64,
    String,
    Option<String>,
    Option<i64>,
    Option<i64>,
);

fn preview_of(row: &NoticeRow) -> R<NoticePreview> {
    let parse = |s: &str| -> R<Vec<String>> {
        serde_json::from_str(s)
            .map_err(|e| DrawError::Internal(anyhow::anyhow!("a stored notice list: {e}")))
    };
    Ok(NoticePreview {
        text: row.6.clone(),
        text_sha256: row.7.clone(),
        start: row.8.clone(),
        end: row.9.clone(),
        working_days: row.10 as u32,
        projects: parse(&row.3)?,
        columns: parse(&row.2)?,
        require_contact: row.4 != 0,
        how_to_object: row.5.clone(),
    })
}

fn objection_of(o: ObjectionRow) -> ObjectionView {
    ObjectionView {
        reference: o.0,
        name: o.1,
        contact: o.2,
        project: o.3,
        grounds: o.4,
        attachment_type: o.5,
        attachment_size: o.6,
        received_at: o.7,
        outcome: o.8,
        answer: o.9,
        handled_at: o.10,
        withdrawal_seq: o.11,
    }
}

/// A free text field: NFC, clean, trimmed, within `max` characters;
/// `required` refuses it empty.
fn text_field(field: &str, v: Option<&str>, max: usize, required: bool) -> R<Option<String>> {
    let v = v.map(str::trim).filter(|v| !v.is_empty());
    let Some(v) = v else {
        if required {
            return invalid(format!("{field} is required"));
        }
        return Ok(None);
    };
    let v = crate::text::multiline(field, v).map_err(DrawError::Invalid)?;
    if v.chars().count() > max {
        return invalid(format!("{field} must be at most {max} characters"));
    }
    Ok(Some(v))
}

/// An attachment's bytes, decoded and checked: at most 5 MiB, a PDF, PNG or
/// JPEG by its first bytes. Its media type and bytes.
pub fn check_attachment(b64: &str) -> R<(&'static str, Vec<u8>)> {
    let cleaned: String = b64.chars().filter(|c| !c.is_ascii_whitespace()).collect();
    // Base64 takes 4 characters for 3 bytes: refuse before decoding a huge one.
    if cleaned.len() / 4 * 3 > MAX_ATTACHMENT + 3 {
        return invalid(format!(
            "attachment is larger than {} MiB",
            MAX_ATTACHMENT / (1024 * 1024)
        ));
    }
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(cleaned.as_bytes())
        .map_err(|_| DrawError::Invalid("attachment is not base64".into()))?;
    if bytes.is_empty() {
        return invalid("attachment is empty");
    }
    if bytes.len() > MAX_ATTACHMENT {
        return invalid(format!(
            "attachment is larger than {} MiB",
            MAX_ATTACHMENT / (1024 * 1024)
        ));
    }
    match crate::materials::sniff(&bytes) {
        Ok(t) if ATTACHMENT_TYPES.contains(&t) => Ok((t, bytes)),
        _ => invalid("attachment must be a PDF, PNG or JPEG file"),
    }
}

impl Workflow<'_> {
    /// The notice a draft gives, from the round's seal; nothing is written.
    pub async fn preview_notice(&self, r: &Round, d: &NoticeDraft) -> R<NoticePreview> {
        if !matches!(r.state, RoundState::Closed | RoundState::Reported) {
            return conflict(format!(
                "round {} is {} ({}); a notice publishes sealed results",
                r.id,
                r.state.as_str(),
                r.state.zh()
            ));
        }
        let Some((_, seal)) = seal_of(self.store, r).await? else {
            return conflict(format!("round {} has no seal in the log", r.id));
        };
        let mut columns = vec![];
        for c in &d.columns {
            if !COLUMNS.contains(&c.as_str()) {
                return invalid(format!(
                    "unknown column {c:?}: the columns are {}",
                    COLUMNS.join(", ")
                ));
            }
        }
        for c in COLUMNS {
            if d.columns.iter().any(|x| x == c) {
                columns.push(c.to_string());
            }
        }
        if columns.is_empty() {
            return invalid("choose at least one column to publish");
        }
        let days = d.working_days.unwrap_or(DEFAULT_WORKING_DAYS);
        if !(1..=MAX_WORKING_DAYS).contains(&days) {
            return invalid(format!("working_days must be 1 to {MAX_WORKING_DAYS}"));
        }
        let start = crate::limits::parse_date("start", &d.start).map_err(DrawError::Invalid)?;
        let cal = self.store.calendar(Some(&r.province)).await?;
        let end = cal
            .end_of_period(start, days)
            .map_err(|e| DrawError::Invalid(e.to_string()))?;
        let (start, end) = (
            crate::limits::format_date(start),
            crate::limits::format_date(end),
        );
        let listed: Vec<&entry::SealedResult> =
            seal.results.iter().filter(|x| x.recommended).collect();
        if listed.is_empty() {
            return conflict(format!(
                "round {}'s seal recommends no project: there is nothing to publish",
                r.id
            ));
        }
        let how = match text_field("how_to_object", d.how_to_object.as_deref(), 2000, false)? {
            Some(h) => h,
            None => default_how_to_object(d.require_contact, &end),
        };
        let apps = self.store.applications(r.id).await?;
        let mut text = format!(
            "{}\n公示期：{start} 至 {end}（{days}个工作日）\n",
            notice_heading(&province_name(r.province.as_str()), r.year, &r.title)
        );
        let heads: Vec<&str> = COLUMN_HEADS
            .iter()
            .filter(|(c, _)| columns.iter().any(|x| x == c))
            .map(|(_, h)| *h)
            .collect();
        text.push_str(&format!("编号 | {}\n", heads.join(" | ")));
        for res in &listed {
            let app = apps.iter().find(|a| a.ref_no == res.application);
            let mut cells = vec![res.application.clone()];
            for c in &columns {
                cells.push(match c.as_str() {
                    "rank" => res.rank.to_string(),
                    "organisation" => app.map(|a| a.applicant_org.clone()).unwrap_or_default(),
                    "kind" => app.map(|a| a.kind.label().to_string()).unwrap_or_default(),
                    "project" => app.map(|a| a.occupations.join("、")).unwrap_or_default(),
                    _ => res.final_score.clone(),
                });
            }
            text.push_str(&cells.join(" | "));
            text.push('\n');
        }
        text.push_str("异议方式：\n");
        text.push_str(&how);
        let text = canonical_text(&text);
        Ok(NoticePreview {
            text_sha256: sha256(text.as_bytes()).to_hex(),
            text,
            start,
            end,
            working_days: days,
            projects: listed.iter().map(|x| x.application.clone()).collect(),
            columns,
            require_contact: d.require_contact,
            how_to_object: how,
        })
    }

    /// Publishes the round's notice: the notice entry and the row, and the
    /// round's notice dates, in one transaction. A round has one notice.
    pub async fn publish_notice(&self, r: &Round, d: &NoticeDraft, account: i64) -> R<NoticeView> {
        let p = self.preview_notice(r, d).await?;
        let body = Body::Notice(entry::Notice {
            end: p.end.clone(),
            items: p.projects.len() as u32,
            round: round_ref(r),
            start: p.start.clone(),
            text: sha256(p.text.as_bytes()),
            working_days: p.working_days,
        });
        let columns = serde_json::to_string(&p.columns).map_err(anyhow::Error::from)?;
        let projects = serde_json::to_string(&p.projects).map_err(anyhow::Error::from)?;
        with_pool!(self.store, pool => {
            let mut tx = self.store.begin_write(pool).await?;
            let t = crate::draws::log_time(&mut tx, self.clock).await?;
            let had: Option<(i64,)> = sqlx::query_as("SELECT id FROM notices WHERE round_id = $1")
                .bind(r.id).fetch_optional(&mut *tx).await?;
            if had.is_some() {
                return conflict(format!("round {} already has a notice", r.id));
            }
            let a = append_in(&mut tx, self.key, self.origin, &[NewEntry { time: t, province: Some(r.province.clone()), body }]).await?[0];
            sqlx::query("INSERT INTO notices (round_id, province, year, columns, projects, require_contact, how_to_object, text, text_sha256, start_date, end_date, working_days, seq, published_at, published_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)")
                .bind(r.id).bind(r.province.as_str().to_string()).bind(r.year as i64)
                .bind(columns).bind(projects).bind(d.require_contact as i64).bind(p.how_to_object.clone())
                .bind(p.text.clone()).bind(p.text_sha256.clone()).bind(p.start.clone()).bind(p.end.clone())
                .bind(p.working_days as i64).bind(a.seq as i64).bind(t as i64).bind(account)
                .execute(&mut *tx).await?;
            sqlx::query("UPDATE rounds SET notice_start = $1, notice_end = $2 WHERE id = $3")
                .bind(p.start.clone()).bind(p.end.clone()).bind(r.id)
                .execute(&mut *tx).await?;
            tx.commit().await?;
        });
        self.notice_of(r).await?.ok_or_else(|| {
            DrawError::Internal(anyhow::anyhow!("the notice just published is missing"))
        })
    }

    /// The round's notice with its objections, if published.
    pub async fn notice_of(&self, r: &Round) -> R<Option<NoticeView>> {
        notice_of_round(self.store, r.id).await
    }

    /// Handles an objection of the round's open notice; with `withdraw`, an
    /// upheld objection withdraws the project (a withdrawal entry). One
    /// transaction.
    pub async fn handle_objection(
        &self,
        r: &Round,
        reference: &str,
        h: &Handling,
        account: i64,
    ) -> R<ObjectionView> {
        if h.outcome != "upheld" && h.outcome != "rejected" {
            return invalid("outcome must be upheld or rejected");
        }
        let answer = text_field("answer", Some(&h.answer), 5000, true)?.unwrap_or_default();
        let reason = if h.withdraw {
            if h.outcome != "upheld" {
                return invalid("only an upheld objection can withdraw a recommendation");
            }
            let r = text_field("reason", h.reason.as_deref(), 300, true)?.unwrap_or_default();
            Some(r)
        } else {
            None
        };
        let seal = seal_of(self.store, r).await?;
        with_pool!(self.store, pool => {
            let mut tx = self.store.begin_write(pool).await?;
            let t = crate::draws::log_time(&mut tx, self.clock).await?;
            let row: Option<(i64, String, String, Option<i64>)> = sqlx::query_as(
                "SELECT o.id, o.project, o.outcome, n.closed_at FROM objections o JOIN notices n ON n.id = o.notice_id WHERE n.round_id = $1 AND o.reference = $2")
                .bind(r.id).bind(reference.to_string()).fetch_optional(&mut *tx).await?;
            let Some((oid, project, outcome, closed)) = row else {
                return Err(DrawError::NotFound(format!("no objection {reference} to this round's notice")));
            };
            if closed.is_some() {
                return conflict("the notice is closed");
            }
            if outcome != "pending" {
                return conflict(format!("objection {reference} was already handled ({outcome})"));
            }
            let mut wseq: Option<i64> = None;
            if let Some(reason) = &reason {
                let recommended = seal.as_ref().is_some_and(|(_, s)| s.results.iter().any(|x| x.application == project && x.recommended));
                if !recommended {
                    return conflict(format!("{project} is not a recommended project of the round's seal"));
                }
                let done: Option<(i64,)> = sqlx::query_as(
                    "SELECT o.id FROM objections o JOIN notices n ON n.id = o.notice_id WHERE n.round_id = $1 AND o.project = $2 AND o.withdrawal_seq IS NOT NULL")
                    .bind(r.id).bind(project.clone()).fetch_optional(&mut *tx).await?;
                if done.is_some() {
                    return conflict(format!("{project} was already withdrawn"));
                }
                let body = Body::Withdrawal(entry::Withdrawal {
                    application: project.clone(),
                    objection: Some(reference.to_string()),
                    reason: reason.clone(),
                    round: round_ref(r),
                });
                let a = append_in(&mut tx, self.key, self.origin, &[NewEntry { time: t, province: Some(r.province.clone()), body }]).await?[0];
                wseq = Some(a.seq as i64);
            }
            sqlx::query("UPDATE objections SET outcome = $1, answer = $2, handled_at = $3, handled_by = $4, withdrawal_seq = $5 WHERE id = $6 AND outcome = 'pending'")
                .bind(h.outcome.clone()).bind(answer.clone()).bind(t as i64).bind(account).bind(wseq).bind(oid)
                .execute(&mut *tx).await?;
            tx.commit().await?;
        });
        let v = self.notice_of(r).await?.ok_or_else(|| {
            DrawError::Internal(anyhow::anyhow!(
                "the notice of a handled objection is missing"
            ))
        })?;
        v.objections
            .into_iter()
            .find(|o| o.reference == reference)
            .ok_or_else(|| DrawError::Internal(anyhow::anyhow!("the handled objection is missing")))
    }

    /// Closes the round's notice: after its last day (Beijing time, by the
    /// service's clock), with no objection pending; the notice_close entry
    /// with the counts, and the row, in one transaction.
    pub async fn close_notice(&self, r: &Round) -> R<NoticeView> {
        let Some(n) = self.notice_of(r).await? else {
            return Err(DrawError::NotFound(format!("round {} has no notice", r.id)));
        };
        if n.closed_at.is_some() {
            return conflict("the notice is already closed");
        }
        let today = crate::limits::format_date(beijing_date(self.clock.now()));
        if today <= n.preview.end {
            return conflict(format!(
                "the notice period runs until {} (today is {today}); it can be closed after that day",
                n.preview.end
            ));
        }
        let hash: Option<(Vec<u8>,)> = with_pool!(self.store, pool => sqlx::query_as(
            "SELECT hash FROM log_entries WHERE seq = $1")
            .bind(n.seq).fetch_optional(pool).await?);
        let hash = hash
            .and_then(|(h,)| <[u8; 32]>::try_from(h.as_slice()).ok())
            .map(Hash32)
            .ok_or_else(|| DrawError::Internal(anyhow::anyhow!("the notice entry is missing")))?;
        with_pool!(self.store, pool => {
            let mut tx = self.store.begin_write(pool).await?;
            let t = crate::draws::log_time(&mut tx, self.clock).await?;
            let counts: Vec<(String, i64)> = sqlx::query_as(
                "SELECT outcome, COUNT(*) FROM objections WHERE notice_id = $1 GROUP BY outcome")
                .bind(n.id).fetch_all(&mut *tx).await?;
            let count = |o: &str| counts.iter().find(|c| c.0 == o).map_or(0, |c| c.1 as u32);
            let pending = count("pending");
            if pending > 0 {
                return conflict(format!("{pending} objection(s) are still pending: handle them before closing the notice"));
            }
            let (upheld, rejected) = (count("upheld"), count("rejected"));
            let body = Body::NoticeClose(entry::NoticeClose {
                notice: hash,
                objections: upheld + rejected,
                rejected,
                round: round_ref(r),
                upheld,
            });
            let a = append_in(&mut tx, self.key, self.origin, &[NewEntry { time: t, province: Some(r.province.clone()), body }]).await?[0];
            let won = sqlx::query("UPDATE notices SET close_seq = $1, closed_at = $2 WHERE id = $3 AND closed_at IS NULL")
                .bind(a.seq as i64).bind(t as i64).bind(n.id)
                .execute(&mut *tx).await?.rows_affected();
            if won != 1 {
                return conflict("the notice changed meanwhile");
            }
            tx.commit().await?;
        });
        self.notice_of(r)
            .await?
            .ok_or_else(|| DrawError::Internal(anyhow::anyhow!("the closed notice is missing")))
    }

    /// Takes an objection to an open notice (public). Nothing is stored when
    /// anything is wrong.
    pub async fn submit_objection(&self, notice_id: i64, o: &NewObjection) -> R<Receipt> {
        let Some(n) = public_notice(self.store, notice_id).await? else {
            return Err(DrawError::NotFound(format!("no notice {notice_id}")));
        };
        if n.closed_at.is_some() {
            return conflict("the notice is closed: objections are no longer taken");
        }
        let now = self.clock.now();
        let today = crate::limits::format_date(beijing_date(now));
        // An objection sent once the notice is public but before its first
        // day is taken like any other: refusing it would only make the
        // person send it again.
        if today > n.notice.end {
            return conflict(format!(
                "the notice period ended on {}: objections are no longer taken",
                n.notice.end
            ));
        }
        let project = o.project.trim();
        if project.is_empty() {
            return invalid("project is required");
        }
        if !n.projects.iter().any(|p| p == project) {
            return invalid(format!("project {project:?} is not on this notice"));
        }
        let grounds = text_field("grounds", Some(&o.grounds), 5000, true)?.unwrap_or_default();
        let name = text_field("name", o.name.as_deref(), 100, n.require_contact)?;
        let contact = text_field("contact", o.contact.as_deref(), 200, n.require_contact)?;
        let attachment = match o.attachment.as_deref().map(str::trim) {
            Some(a) if !a.is_empty() => Some(check_attachment(a)?),
            _ => None,
        };
        let mut secret = [0u8; 16];
        getrandom::fill(&mut secret).expect("the operating system's random generator is available");
        let token = hex::encode(secret);
        let token_hash = sha256(token.as_bytes()).to_hex();
        let year = beijing_date(now).year();
        let prefix = format!("{:02}-{}-", year % 100, n.notice.province);
        let project = project.to_string();
        let (att_type, att_bytes) = match attachment {
            Some((t, b)) => (Some(t.to_string()), Some(b)),
            None => (None, None),
        };
        let reference = with_pool!(self.store, pool => {
            let mut tx = self.store.begin_write(pool).await?;
            let (count,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM objections WHERE reference LIKE $1")
                .bind(format!("{prefix}%")).fetch_one(&mut *tx).await?;
            let reference = format!("{prefix}{}", count + 1);
            sqlx::query("INSERT INTO objections (notice_id, reference, token_sha256, name, contact, project, grounds, attachment, attachment_type, received_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)")
                .bind(notice_id).bind(reference.clone()).bind(token_hash).bind(name).bind(contact)
                .bind(project.clone()).bind(grounds).bind(att_bytes).bind(att_type).bind(now as i64)
                .execute(&mut *tx).await?;
            tx.commit().await?;
            reference
        });
        Ok(Receipt {
            reference,
            token,
            notice_id,
            project,
            received_at: now as i64,
        })
    }
}

/// The notice of round `round_id` with its objections.
pub async fn notice_of_round(store: &Store, round_id: i64) -> R<Option<NoticeView>> {
    let row: Option<NoticeRow> = with_pool!(store, pool => sqlx::query_as(
        "SELECT id, round_id, columns, projects, require_contact, how_to_object, text, text_sha256, start_date, end_date, working_days, seq, published_at, close_seq, closed_at FROM notices WHERE round_id = $1")
        .bind(round_id).fetch_optional(pool).await?);
    let Some(row) = row else { return Ok(None) };
    let objections: Vec<ObjectionRow> = with_pool!(store, pool => sqlx::query_as(
        "SELECT reference, name, contact, project, grounds, attachment_type, CAST(LENGTH(attachment) AS BIGINT), received_at, outcome, answer, handled_at, withdrawal_seq FROM objections WHERE notice_id = $1 ORDER BY id")
        .bind(row.0).fetch_all(pool).await?);
    Ok(Some(NoticeView {
        id: row.0,
        round_id: row.1,
        preview: preview_of(&row)?,
        seq: row.11,
        published_at: row.12,
        close_seq: row.13,
        closed_at: row.14,
        objections: objections.into_iter().map(objection_of).collect(),
    }))
}

/// An objection's attachment (its media type and bytes), for the
/// coordinator of the notice's round.
pub async fn attachment_of(
    store: &Store,
    round_id: i64,
    reference: &str,
) -> R<Option<(String, Vec<u8>)>> {
    let row: Option<(Option<String>, Option<Vec<u8>>)> = with_pool!(store, pool => sqlx::query_as(
        "SELECT o.attachment_type, o.attachment FROM objections o JOIN notices n ON n.id = o.notice_id WHERE n.round_id = $1 AND o.reference = $2")
        .bind(round_id).bind(reference.to_string()).fetch_optional(pool).await?);
    Ok(match row {
        Some((Some(t), Some(b))) => Some((t, b)),
        _ => None,
    })
}

type PublicRow = (
    i64,
    String,
    i64,
    String,
    String,
    String,
    i64,
    Option<i64>,
    i64,
    String,
    i64,
);

fn public_of(r: PublicRow) -> PublicNotice {
    PublicNotice {
        id: r.0,
        province_name: province_name(&r.1),
        province: r.1,
        year: r.2 as i32,
        round_title: r.3,
        start: r.4,
        end: r.5,
        working_days: r.6 as u32,
        status: if r.7.is_some() { "closed" } else { "open" }.to_string(),
        seq: r.8,
        text_sha256: r.9,
        published_at: r.10,
    }
}

/// Every province's notices, newest first; open ones first.
pub async fn public_notices(
    store: &Store,
    province: Option<&Province>,
    year: Option<i32>,
) -> R<Vec<PublicNotice>> {
    let rows: Vec<PublicRow> = with_pool!(store, pool => sqlx::query_as(
        "SELECT n.id, n.province, n.year, r.title, n.start_date, n.end_date, n.working_days, n.closed_at, n.seq, n.text_sha256, n.published_at FROM notices n JOIN rounds r ON r.id = n.round_id WHERE ($1 = '' OR n.province = $1) AND ($2 = 0 OR n.year = $2) ORDER BY CASE WHEN n.closed_at IS NULL THEN 0 ELSE 1 END, n.published_at DESC, n.id DESC")
        .bind(province.map(|p| p.as_str().to_string()).unwrap_or_default())
        .bind(year.unwrap_or(0) as i64)
        .fetch_all(pool).await?);
    Ok(rows.into_iter().map(public_of).collect())
}

/// One notice for the public: its text, how to object, and the counts.
pub async fn public_notice(store: &Store, id: i64) -> R<Option<PublicNoticeDetail>> {
    let row: Option<PublicRow> = with_pool!(store, pool => sqlx::query_as(
        "SELECT n.id, n.province, n.year, r.title, n.start_date, n.end_date, n.working_days, n.closed_at, n.seq, n.text_sha256, n.published_at FROM notices n JOIN rounds r ON r.id = n.round_id WHERE n.id = $1")
        .bind(id).fetch_optional(pool).await?);
    let Some(row) = row else { return Ok(None) };
    let more: (String, String, i64, String, Option<i64>) = with_pool!(store, pool => sqlx::query_as(
        "SELECT text, how_to_object, require_contact, projects, close_seq FROM notices WHERE id = $1")
        .bind(id).fetch_one(pool).await?);
    let counts: Vec<(String, i64)> = with_pool!(store, pool => sqlx::query_as(
        "SELECT outcome, COUNT(*) FROM objections WHERE notice_id = $1 GROUP BY outcome")
        .bind(id).fetch_all(pool).await?);
    let count = |o: &str| counts.iter().find(|c| c.0 == o).map_or(0, |c| c.1 as u32);
    let closed_at = row.7;
    Ok(Some(PublicNoticeDetail {
        notice: public_of(row),
        text: more.0,
        how_to_object: more.1,
        require_contact: more.2 != 0,
        projects: serde_json::from_str(&more.3).map_err(anyhow::Error::from)?,
        closed_at,
        close_seq: more.4,
        objections: counts.iter().map(|c| c.1 as u32).sum(),
        upheld: count("upheld"),
        rejected: count("rejected"),
    }))
}

/// reference, notice_id, project, received_at, outcome, answer, handled_at,
/// token_sha256.
type ReceiptRow = (
    String,
    i64,
    String,
    i64,
    String,
    Option<String>,
    Option<i64>,
    String,
);

/// An objection's receipt: found only with its reference and the token given
/// at submission (a wrong token is answered as an unknown reference).
pub async fn receipt(store: &Store, reference: &str, token: &str) -> R<Option<ReceiptView>> {
    let row: Option<ReceiptRow> = with_pool!(store, pool => sqlx::query_as(
        "SELECT reference, notice_id, project, received_at, outcome, answer, handled_at, token_sha256 FROM objections WHERE reference = $1")
        .bind(reference.to_string()).fetch_optional(pool).await?);
    let Some(r) = row else { return Ok(None) };
    let given = sha256(token.trim().as_bytes()).to_hex();
    // Compared as hashes: equal length, and the stored value is a hash.
    if given != r.7 {
        return Ok(None);
    }
    Ok(Some(ReceiptView {
        reference: r.0,
        notice_id: r.1,
        project: r.2,
        received_at: r.3,
        outcome: r.4,
        answer: r.5,
        handled_at: r.6,
    }))
}

/// The round's notice for the review report: the period, the entries, and
/// each objection's handling (no names or contacts).
pub async fn summary_of_round(
    store: &Store,
    round: &Round,
) -> anyhow::Result<Option<NoticeSummary>> {
    let n = match notice_of_round(store, round.id).await {
        Ok(n) => n,
        Err(DrawError::Internal(e)) => return Err(e),
        Err(e) => return Err(anyhow::anyhow!("{e:?}")),
    };
    Ok(n.map(|n| NoticeSummary {
        notice_seq: n.seq,
        text_sha256: n.preview.text_sha256,
        published_at: n.published_at,
        start: n.preview.start,
        end: n.preview.end,
        working_days: n.preview.working_days,
        closed_at: n.closed_at,
        close_seq: n.close_seq,
        objections: n
            .objections
            .into_iter()
            .map(|o| ObjectionSummary {
                withdrawn: o.withdrawal_seq.is_some(),
                reference: o.reference,
                project: o.project,
                received_at: o.received_at,
                outcome: o.outcome,
                answer: o.answer,
            })
            .collect(),
    }))
}

#[cfg(test)]
mod tests {

    #[test]
    fn the_heading_does_not_repeat_what_the_title_says() {
        assert_eq!(
            notice_heading(
                "广东省",
                2023,
                "2023年广东省国家级高技能人才培训基地项目评审"
            ),
            "2023年广东省国家级高技能人才培训基地项目评审结果公示"
        );
        assert_eq!(
            notice_heading("广东省", 2025, "技能大师工作室"),
            "广东省2025年度技能大师工作室评审结果公示"
        );
    }

    use super::*;

    #[test]
    fn the_canonical_text_has_lf_ends_no_trailing_space_and_one_final_lf() {
        assert_eq!(
            canonical_text("\n\n标题 \r\n行二\t\r\n\r\n"),
            "标题\n行二\n"
        );
        assert_eq!(canonical_text("a\n\nb"), "a\n\nb\n");
        let t = canonical_text("x\n");
        assert_eq!(canonical_text(&t), t);
    }

    #[test]
    fn attachments_are_checked_by_their_bytes_and_size() {
        let b64 = |b: &[u8]| base64::engine::general_purpose::STANDARD.encode(b);
        assert_eq!(
            check_attachment(&b64(b"%PDF-1.7\n")).unwrap().0,
            "application/pdf"
        );
        assert!(check_attachment(&b64(b"GIF89a....")).is_err());
        assert!(check_attachment("@@@").is_err());
        let mut big = b"%PDF-1.7\n".to_vec();
        big.resize(MAX_ATTACHMENT + 1, b'x');
        let Err(DrawError::Invalid(m)) = check_attachment(&b64(&big)) else {
            panic!("an oversize attachment passed");
        };
        assert!(m.contains("larger than 5 MiB"), "{m}");
    }

    #[test]
    fn beijing_dates_turn_at_sixteen_utc() {
        // 2025-10-09T15:59:59Z is 23:59:59 in Beijing; a second later the 10th.
        assert_eq!(
            crate::limits::format_date(beijing_date(1_760_025_599)),
            "2025-10-09"
        );
        assert_eq!(
            crate::limits::format_date(beijing_date(1_760_025_600)),
            "2025-10-10"
        );
    }
}
