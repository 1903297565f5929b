//! What the experts score from, and what they promise before scoring.
//!
//! **Materials**: each application's files (the application forms, 申报表, and
//! supplementary PDF, PNG, JPEG or XLSX files), uploaded by a coordinator
//! until scoring opens. The type is read from the content (never the name),
//! the size is at most [`MAX_MATERIAL_BYTES`], and the bytes are stored by
//! their SHA-256. scoring_open fixes every material's hash in the log; serving
//! a material re-hashes its bytes and refuses a file that is not what the log
//! fixed.
//!
//! **The pledge** (承诺书): before their first sheet, each panel member confirms
//! the round's pledge text (the coordinator's, or [`DEFAULT_PLEDGE`]) and may
//! declare conflicts with named applications, each a recusal. scoring_open
//! fixes the text's hash; the confirmation is a pledge entry.

use crate::draws::DrawError;
use crate::scores::round_ref;
use crate::store::log::{NewEntry, append_in};
use crate::store::rounds::{Round, RoundState};
use crate::with_pool;
use fairpanel_core::entry::{self, Body};
use fairpanel_core::hash::{Hash32, sha256, tag, tagged};
use serde::Serialize;
use utoipa::ToSchema;

type R<T> = Result<T, DrawError>;

/// The largest material accepted: 20 MiB per file.
pub const MAX_MATERIAL_BYTES: usize = 20 * 1024 * 1024;

/// The pledge text of a round whose coordinator set none.
pub const DEFAULT_PLEDGE: &str = "本人承诺：对本轮评审的申报材料、评分及评审过程严格保密，不以任何形式泄露或用于评审以外的用途；本人与本轮申报单位及其负责人不存在利害关系，若有，已在下方逐项声明并回避相应申报的评分；本人将独立、客观、公正地评分。\n\nI pledge to keep this round's application materials, scores and deliberations confidential and to use them for nothing but this review; I have no conflict of interest with this round's applicants or their leaders, except those I declare below, for which I do not score the application; I will score independently, objectively and fairly.";

/// The tagged hash of a pledge text: `H(pledge, UTF-8 text)`.
pub fn pledge_hash(text: &str) -> Hash32 {
    tagged(tag::PLEDGE, &[text.as_bytes()])
}

/// One stored material, as listed.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct MaterialInfo {
    pub application: String,
    /// SHA-256 of the bytes, 64 lowercase hex digits; the material's key.
    pub sha256: String,
    /// The uploaded file's name, made safe; for display only.
    pub name: String,
    /// Read from the content: `application/pdf`, `image/png`, `image/jpeg` or
    /// the XLSX type.
    pub media_type: String,
    pub size: i64,
    pub uploaded_at: i64,
}

/// The accepted type of `bytes`, read from their content, or a sentence
/// naming what they are instead.
pub fn sniff(bytes: &[u8]) -> Result<&'static str, String> {
    const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    if bytes.starts_with(b"%PDF-") {
        return Ok("application/pdf");
    }
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        return Ok("image/png");
    }
    if bytes.starts_with(&[0xff, 0xd8, 0xff]) {
        return Ok("image/jpeg");
    }
    if bytes.starts_with(b"PK\x03\x04") {
        let names: Vec<String> = match zip::ZipArchive::new(std::io::Cursor::new(bytes)) {
            Ok(z) => match z
                .file_names()
                .map(|n| n.map(|n| n.into_owned()))
                .collect::<Result<_, _>>()
            {
                Ok(n) => n,
                Err(_) => return Err("a damaged ZIP archive".into()),
            },
            Err(_) => return Err("a damaged ZIP archive".into()),
        };
        let has = |n: &str| names.iter().any(|x| x == n);
        return if has("[Content_Types].xml") && has("xl/workbook.xml") {
            Ok(XLSX)
        } else if has("[Content_Types].xml") && has("word/document.xml") {
            Err("a Word document (DOCX)".into())
        } else {
            Err("a ZIP archive that is not an XLSX workbook".into())
        };
    }
    Err(if bytes.starts_with(b"GIF8") {
        "a GIF image".into()
    } else if bytes.starts_with(&[0xd0, 0xcf, 0x11, 0xe0]) {
        "an old Office file (DOC or XLS)".into()
    } else if bytes.starts_with(b"MZ") || bytes.starts_with(b"\x7fELF") {
        "a program".into()
    } else if bytes.is_empty() {
        "an empty file".into()
    } else if std::str::from_utf8(&bytes[..bytes.len().min(512)]).is_ok() {
        "a text file".into()
    } else {
        "of an unknown type".into()
    })
}

/// A file name safe to show and to offer for download: its last path part,
/// without control characters or `\ / : * ? " < > |`, at most 120 characters;
/// `material` when nothing is left.
pub fn safe_name(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or("");
    let cleaned: String = base
        .chars()
        .filter(|c| !c.is_control() && !"\\/:*?\"<>|".contains(*c))
        .take(120)
        .collect();
    let cleaned = cleaned.trim().trim_start_matches('.').trim().to_string();
    if cleaned.is_empty() {
        "material".into()
    } else {
        cleaned
    }
}

/// scoring_open's materials from the stored rows `(application, sha256 hex,
/// media type)`: sorted by (application, sha256), each once.
pub fn fixed_materials(rows: Vec<(String, String, String)>) -> R<Vec<entry::Material>> {
    let mut out = rows
        .into_iter()
        .map(|(application, sha, media_type)| {
            Ok(entry::Material {
                application,
                media_type,
                sha256: Hash32::from_hex(&sha).map_err(|e| {
                    DrawError::Internal(anyhow::anyhow!("stored material {sha}: {e}"))
                })?,
            })
        })
        .collect::<R<Vec<_>>>()?;
    out.sort_by(|a, b| a.order_key().cmp(&b.order_key()));
    out.dedup_by(|a, b| a.application == b.application && a.sha256 == b.sha256);
    Ok(out)
}

/// Inside `open_scoring`'s transaction `$tx` (after the round moved to
/// scoring): the round's materials for scoring_open, and the pledge text fixed
/// (the coordinator's or the default) with its hash. Uploads and pledge-text
/// changes update the round's row first, under the same lock, so none is lost
/// between this read and the entry.
#[macro_export]
macro_rules! fix_materials_and_pledge {
    ($tx:expr, $round:expr, $t:expr) => {{
        let rows: Vec<(String, String, String)> =
            sqlx::query_as("SELECT ref_no, sha256, media_type FROM materials WHERE round_id = $1")
                .bind($round.id)
                .fetch_all(&mut *$tx)
                .await?;
        let materials = $crate::materials::fixed_materials(rows)?;
        let stored: Option<(String,)> =
            sqlx::query_as("SELECT text FROM round_pledges WHERE round_id = $1")
                .bind($round.id)
                .fetch_optional(&mut *$tx)
                .await?;
        let text = stored
            .map(|s| s.0)
            .unwrap_or_else(|| $crate::materials::DEFAULT_PLEDGE.to_string());
        sqlx::query("DELETE FROM round_pledges WHERE round_id = $1")
            .bind($round.id)
            .execute(&mut *$tx)
            .await?;
        sqlx::query("INSERT INTO round_pledges (round_id, text, fixed_at) VALUES ($1, $2, $3)")
            .bind($round.id)
            .bind(text.clone())
            .bind($t as i64)
            .execute(&mut *$tx)
            .await?;
        (materials, Some($crate::materials::pledge_hash(&text)))
    }};
}

/// The round's pledge as an expert or coordinator sees it.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct PledgeView {
    pub text: String,
    /// `H(pledge, text)`, hex: what a confirmation names.
    pub hash: String,
    /// Fixed in the log (scoring has opened); before, the coordinator may change it.
    pub fixed: bool,
    /// Whether a confirmation is needed before sheets (rounds opened before
    /// pledges existed need none).
    pub required: bool,
    /// For an expert: whether they have confirmed it.
    pub pledged: Option<bool>,
}

fn conflict<T>(m: impl Into<String>) -> R<T> {
    Err(DrawError::Conflict(m.into()))
}

/// Refused when round `r` fixed a pledge text (`fixed`, its time) and the
/// scorer has not confirmed it (`pledged`).
pub(crate) fn pledge_given(r: &Round, fixed: Option<i64>, pledged: bool) -> R<()> {
    if fixed.is_some() && !pledged {
        return conflict(format!(
            "confirm the pledge (承诺书) of round {} first: no sheet is saved or submitted before it",
            r.id
        ));
    }
    Ok(())
}

impl crate::draws::Workflow<'_> {
    /// Stores a material of application `app`: type from the content, size
    /// within [`MAX_MATERIAL_BYTES`], a safe name; only before scoring opens.
    /// The same bytes twice for the same application are stored once.
    pub async fn add_material(
        &self,
        r: &Round,
        app: &str,
        name: &str,
        bytes: &[u8],
        account: i64,
    ) -> R<MaterialInfo> {
        uploads_open(r)?;
        if bytes.len() > MAX_MATERIAL_BYTES {
            return Err(DrawError::Invalid(format!(
                "the file is {:.1} MiB; a material may be at most 20 MiB",
                bytes.len() as f64 / 1_048_576.0
            )));
        }
        let name = safe_name(name);
        let media_type = sniff(bytes).map_err(|what| {
            DrawError::Invalid(format!(
                "{name} is {what}: a material must be a PDF, PNG, JPEG or XLSX file (its type is read from its content)"
            ))
        })?;
        let sha = sha256(bytes).to_hex();
        let now = self.clock.now() as i64;
        let info = MaterialInfo {
            application: app.to_string(),
            sha256: sha.clone(),
            name: name.clone(),
            media_type: media_type.to_string(),
            size: bytes.len() as i64,
            uploaded_at: now,
        };
        with_pool!(self.store, pool => {
            let mut tx = self.store.begin_write(pool).await?;
            // Locks the round's row: opening scoring waits for this upload,
            // or this upload sees the round scoring and is refused.
            let n = sqlx::query("UPDATE rounds SET updated_at = updated_at WHERE id = $1 AND state IN ('open', 'drawn')")
                .bind(r.id)
                .execute(&mut *tx).await?.rows_affected();
            if n != 1 {
                return conflict(format!("round {} is {}: its materials were fixed when scoring opened; no more uploads", r.id, "scoring"));
            }
            let exists: Option<(String,)> = sqlx::query_as("SELECT ref_no FROM applications WHERE round_id = $1 AND ref_no = $2")
                .bind(r.id).bind(app.to_string())
                .fetch_optional(&mut *tx).await?;
            if exists.is_none() {
                return Err(DrawError::NotFound(format!("no application {app}")));
            }
            sqlx::query("INSERT INTO material_blobs (sha256, bytes) VALUES ($1, $2) ON CONFLICT (sha256) DO NOTHING")
                .bind(sha.clone()).bind(bytes.to_vec())
                .execute(&mut *tx).await?;
            sqlx::query("INSERT INTO materials (round_id, ref_no, sha256, name, media_type, size, uploaded_by, uploaded_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (round_id, ref_no, sha256) DO NOTHING")
                .bind(r.id).bind(app.to_string()).bind(sha.clone()).bind(name).bind(media_type.to_string())
                .bind(bytes.len() as i64).bind(account).bind(now)
                .execute(&mut *tx).await?;
            tx.commit().await?;
        });
        Ok(info)
    }

    /// Removes a material from an application; only before scoring opens.
    pub async fn remove_material(&self, r: &Round, app: &str, sha: &str) -> R<()> {
        uploads_open(r)?;
        with_pool!(self.store, pool => {
            let mut tx = self.store.begin_write(pool).await?;
            let n = sqlx::query("UPDATE rounds SET updated_at = updated_at WHERE id = $1 AND state IN ('open', 'drawn')")
                .bind(r.id)
                .execute(&mut *tx).await?.rows_affected();
            if n != 1 {
                return conflict(format!("round {} is {}: its materials were fixed when scoring opened; no more uploads", r.id, "scoring"));
            }
            let n = sqlx::query("DELETE FROM materials WHERE round_id = $1 AND ref_no = $2 AND sha256 = $3")
                .bind(r.id).bind(app.to_string()).bind(sha.to_string())
                .execute(&mut *tx).await?.rows_affected();
            if n != 1 {
                return Err(DrawError::NotFound(format!("no material {sha} of application {app}")));
            }
            tx.commit().await?;
        });
        Ok(())
    }

    /// The round's materials (of one application, or all), by application and name.
    pub async fn materials(&self, r: &Round, app: Option<&str>) -> R<Vec<MaterialInfo>> {
        type Row = (String, String, String, String, i64, i64);
        let rows: Vec<Row> = with_pool!(self.store, pool => sqlx::query_as(
            "SELECT ref_no, sha256, name, media_type, size, uploaded_at FROM materials WHERE round_id = $1 AND ($2 = '' OR ref_no = $2) ORDER BY ref_no, name, sha256")
            .bind(r.id)
            .bind(app.unwrap_or("").to_string())
            .fetch_all(pool)
            .await?);
        Ok(rows
            .into_iter()
            .map(
                |(application, sha256, name, media_type, size, uploaded_at)| MaterialInfo {
                    application,
                    sha256,
                    name,
                    media_type,
                    size,
                    uploaded_at,
                },
            )
            .collect())
    }

    /// One material with its bytes, checked: the bytes' SHA-256 is the key
    /// they are stored under and, once scoring has opened, one scoring_open
    /// fixed for this application with this type. Anything else is refused and
    /// reported in the operator's log.
    pub async fn material(&self, r: &Round, app: &str, sha: &str) -> R<(MaterialInfo, Vec<u8>)> {
        type Row = (String, String, i64, i64, Vec<u8>);
        let row: Option<Row> = with_pool!(self.store, pool => sqlx::query_as(
            "SELECT m.name, m.media_type, m.size, m.uploaded_at, b.bytes FROM materials m JOIN material_blobs b ON b.sha256 = m.sha256 \
             WHERE m.round_id = $1 AND m.ref_no = $2 AND m.sha256 = $3")
            .bind(r.id)
            .bind(app.to_string())
            .bind(sha.to_string())
            .fetch_optional(pool)
            .await?);
        let (name, media_type, size, uploaded_at, bytes) = row.ok_or_else(|| {
            DrawError::NotFound(format!("no material {sha} of application {app}"))
        })?;
        let actual = sha256(&bytes).to_hex();
        if actual != sha {
            tracing::error!(round = r.id, application = app, stored = sha, actual = %actual, "a material's bytes do not match their hash");
            return conflict(format!(
                "material {sha} of application {app} is not served: its stored bytes hash to {actual}, not to the hash they were uploaded (and fixed) with; the file was changed in the database: tell the operator"
            ));
        }
        if !matches!(r.state, RoundState::Open | RoundState::Drawn) {
            let fixed = self.opened_materials(r).await?;
            let ok = fixed.iter().any(|m| {
                m.application == app && m.sha256.to_hex() == sha && m.media_type == media_type
            });
            if !ok {
                tracing::error!(
                    round = r.id,
                    application = app,
                    sha,
                    "a material is not among those scoring_open fixed"
                );
                return conflict(format!(
                    "material {sha} of application {app} is not served: it is not among the materials the round's scoring_open entry fixed; tell the operator"
                ));
            }
        }
        Ok((
            MaterialInfo {
                application: app.to_string(),
                sha256: sha.to_string(),
                name,
                media_type,
                size,
                uploaded_at,
            },
            bytes,
        ))
    }

    /// The round's scoring_open entry, from the log.
    async fn scoring_open_entry(&self, r: &Round) -> R<Option<entry::ScoringOpen>> {
        let rows: Vec<(Vec<u8>,)> = with_pool!(self.store, pool => sqlx::query_as(
            "SELECT bytes FROM log_entries WHERE kind = 'scoring_open' AND province = $1 ORDER BY seq")
            .bind(r.province.as_str().to_string())
            .fetch_all(pool)
            .await?);
        let round = round_ref(r);
        Ok(rows
            .iter()
            .filter_map(|(b,)| match entry::parse(b).ok()?.body {
                Body::ScoringOpen(o) if o.round == round => Some(o),
                _ => None,
            })
            .next_back())
    }

    async fn opened_materials(&self, r: &Round) -> R<Vec<entry::Material>> {
        Ok(self
            .scoring_open_entry(r)
            .await?
            .map(|o| o.materials)
            .unwrap_or_default())
    }

    /// The round's pledge: its text, hash, whether it is fixed and required,
    /// and (for `expert`) whether they confirmed it.
    pub async fn pledge_view(&self, r: &Round, expert: Option<&str>) -> R<PledgeView> {
        let row: Option<(String, Option<i64>)> = with_pool!(self.store, pool => sqlx::query_as(
            "SELECT text, fixed_at FROM round_pledges WHERE round_id = $1")
            .bind(r.id)
            .fetch_optional(pool)
            .await?);
        let (text, fixed) = match row {
            Some((t, f)) => (t, f.is_some()),
            None => (DEFAULT_PLEDGE.to_string(), false),
        };
        // Rounds that opened scoring before pledges existed have no fixed text.
        let required = fixed || matches!(r.state, RoundState::Open | RoundState::Drawn);
        let pledged = match expert {
            Some(e) => Some(self.has_pledged(r, e).await?),
            None => None,
        };
        Ok(PledgeView {
            hash: pledge_hash(&text).to_hex(),
            text,
            fixed,
            required,
            pledged,
        })
    }

    async fn has_pledged(&self, r: &Round, expert: &str) -> R<bool> {
        let row: Option<(i64,)> = with_pool!(self.store, pool => sqlx::query_as(
            "SELECT seq FROM pledges WHERE round_id = $1 AND expert_id = $2")
            .bind(r.id)
            .bind(expert.to_string())
            .fetch_optional(pool)
            .await?);
        Ok(row.is_some())
    }

    /// Sets the round's pledge text; only before scoring opens.
    pub async fn set_pledge_text(&self, r: &Round, text: &str) -> R<PledgeView> {
        let text = text.trim();
        if text.is_empty() || text.chars().count() > 5000 {
            return Err(DrawError::Invalid(
                "a pledge text must be 1 to 5000 characters".into(),
            ));
        }
        if !matches!(r.state, RoundState::Open | RoundState::Drawn) {
            return conflict(format!(
                "round {} is {}; the pledge text is fixed once scoring opens",
                r.id,
                r.state.as_str()
            ));
        }
        with_pool!(self.store, pool => {
            let mut tx = self.store.begin_write(pool).await?;
            let n = sqlx::query("UPDATE rounds SET updated_at = updated_at WHERE id = $1 AND state IN ('open', 'drawn')")
                .bind(r.id)
                .execute(&mut *tx).await?.rows_affected();
            if n != 1 {
                return conflict(format!("round {} changed meanwhile; the pledge text is fixed once scoring opens", r.id));
            }
            sqlx::query("DELETE FROM round_pledges WHERE round_id = $1 AND fixed_at IS NULL")
                .bind(r.id).execute(&mut *tx).await?;
            sqlx::query("INSERT INTO round_pledges (round_id, text) VALUES ($1, $2)")
                .bind(r.id).bind(text.to_string()).execute(&mut *tx).await?;
            tx.commit().await?;
        });
        self.pledge_view(r, None).await
    }

    /// Refuses a sheet of `expert` before they confirmed the round's pledge
    /// (rounds whose scoring_open fixed one).
    pub async fn require_pledge(&self, r: &Round, expert: &str) -> R<()> {
        // One read per sheet request: whether the text is fixed, and the pledge.
        let (fixed, pledged): (Option<i64>, bool) = with_pool!(self.store, pool => sqlx::query_as(
            "SELECT (SELECT fixed_at FROM round_pledges WHERE round_id = $1), \
             EXISTS (SELECT 1 FROM pledges WHERE round_id = $1 AND expert_id = $2)")
            .bind(r.id)
            .bind(expert.to_string())
            .fetch_one(pool)
            .await?);
        pledge_given(r, fixed, pledged)
    }

    /// `expert` confirms the round's pledge, naming the text they saw by its
    /// hash, and declares conflicts with `conflicts` (application, reason):
    /// the pledge entry and one recusal per conflict, in one transaction.
    pub async fn pledge(
        &self,
        r: &Round,
        expert: &str,
        account: i64,
        text_hash: &str,
        conflicts: &[(String, String)],
    ) -> R<u64> {
        self.pledge_signed(r, expert, account, text_hash, conflicts, None, &[])
            .await
    }

    /// [`Self::pledge`] with the scorer's signatures (base64, protocol 1.5):
    /// `signature` over the pledge, `recusals` over each conflict's recusal
    /// (application, signature).
    #[allow(clippy::too_many_arguments)]
    pub async fn pledge_signed(
        &self,
        r: &Round,
        expert: &str,
        account: i64,
        text_hash: &str,
        conflicts: &[(String, String)],
        signature: Option<&str>,
        recusals: &[(String, String)],
    ) -> R<u64> {
        let scorer = self.scorer(r, expert).await?;
        let view = self.pledge_view(r, None).await?;
        if !view.fixed {
            return conflict(format!(
                "round {} fixed no pledge text when scoring opened",
                r.id
            ));
        }
        if text_hash != view.hash {
            return conflict(format!(
                "the pledge text changed or was not read: confirm the text whose hash is {}",
                view.hash
            ));
        }
        let mut seen = std::collections::BTreeSet::new();
        for (app, reason) in conflicts {
            if !seen.insert(app.as_str()) {
                return Err(DrawError::Invalid(format!(
                    "application {app} is declared twice"
                )));
            }
            if reason.trim().is_empty() {
                return Err(DrawError::Invalid(format!(
                    "the conflict with application {app} needs a reason"
                )));
            }
            self.has_application(r, app).await?;
        }
        let text =
            Hash32::from_hex(&view.hash).map_err(|e| DrawError::Internal(anyhow::anyhow!(e)))?;
        let mut bodies = vec![Body::Pledge(entry::Pledge {
            round: round_ref(r),
            scorer,
            text,
            signature: None,
        })];
        bodies.extend(conflicts.iter().map(|(app, _)| {
            Body::Recusal(entry::Recusal {
                application: app.clone(),
                round: round_ref(r),
                scorer,
                signature: None,
            })
        }));
        // Protocol 1.5: each entry signed by the expert, checked before
        // anything is written.
        let mut key_draws = Vec::with_capacity(bodies.len());
        for (k, body) in bodies.iter_mut().enumerate() {
            let sig = match k {
                0 => signature,
                _ => recusals
                    .iter()
                    .find(|(a, _)| *a == conflicts[k - 1].0)
                    .map(|(_, s)| s.as_str()),
            };
            key_draws.push(self.expert_signed(r, body, sig).await?);
        }
        with_pool!(self.store, pool => {
            let mut tx = self.store.begin_write(pool).await?;
            let now = crate::draws::log_time(&mut tx, self.clock).await? as i64;
            let done: Option<(i64,)> = sqlx::query_as("SELECT seq FROM pledges WHERE round_id = $1 AND expert_id = $2")
                .bind(r.id).bind(expert.to_string())
                .fetch_optional(&mut *tx).await?;
            if done.is_some() {
                return conflict("you have already confirmed this round's pledge");
            }
            for (body, draw) in bodies.iter().zip(&key_draws) {
                crate::scorer_key_still_current!(tx, draw.as_ref(), body);
            }
            for (app, reason) in conflicts {
                let state: Option<(String,)> = sqlx::query_as("SELECT state FROM sheets WHERE round_id = $1 AND ref_no = $2 AND expert_id = $3")
                    .bind(r.id).bind(app.clone()).bind(expert.to_string())
                    .fetch_optional(&mut *tx).await?;
                if let Some((s,)) = state.filter(|s| s.0 != "draft") {
                    return conflict(format!("your sheet for application {app} is {s}"));
                }
                // As a recusal (Workflow::recuse): the reason stays here.
                sqlx::query("INSERT INTO sheets (round_id, ref_no, expert_id, state, note, updated_at) VALUES ($1, $2, $3, 'recused', $4, $5) \
                             ON CONFLICT (round_id, ref_no, expert_id) DO UPDATE SET state = 'recused', note = excluded.note, updated_at = excluded.updated_at")
                    .bind(r.id).bind(app.clone()).bind(expert.to_string()).bind(reason.trim().to_string()).bind(now)
                    .execute(&mut *tx).await?;
                sqlx::query("INSERT INTO sheet_history (round_id, ref_no, expert_id, action, reason, account_id, at) VALUES ($1, $2, $3, 'recuse', $4, $5, $6)")
                    .bind(r.id).bind(app.clone()).bind(expert.to_string()).bind(reason.trim().to_string()).bind(account).bind(now)
                    .execute(&mut *tx).await?;
            }
            let entries: Vec<NewEntry> = bodies
                .into_iter()
                .map(|body| NewEntry { time: now as u64, province: Some(r.province.clone()), body })
                .collect();
            let seq = append_in(&mut tx, self.key, self.origin, &entries).await?[0].seq;
            sqlx::query("INSERT INTO pledges (round_id, expert_id, text_hash, seq, account_id, at) VALUES ($1, $2, $3, $4, $5, $6)")
                .bind(r.id).bind(expert.to_string()).bind(view.hash.clone()).bind(seq as i64).bind(account).bind(now)
                .execute(&mut *tx).await?;
            tx.commit().await?;
            Ok(seq)
        })
    }
}

/// Uploads are taken until scoring opens.
fn uploads_open(r: &Round) -> R<()> {
    if matches!(r.state, RoundState::Open | RoundState::Drawn) {
        Ok(())
    } else {
        conflict(format!(
            "round {} is {}: its materials were fixed when scoring opened; no more uploads",
            r.id,
            r.state.as_str()
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types_are_read_from_the_content() {
        assert_eq!(sniff(b"%PDF-1.7\n...").unwrap(), "application/pdf");
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\n....").unwrap(), "image/png");
        assert_eq!(sniff(&[0xff, 0xd8, 0xff, 0xe0, 0]).unwrap(), "image/jpeg");
        assert_eq!(sniff(b"GIF89a").unwrap_err(), "a GIF image");
        assert_eq!(
            sniff(b"PK\x03\x04junk").unwrap_err(),
            "a damaged ZIP archive"
        );
        assert_eq!(sniff(b"hello").unwrap_err(), "a text file");
        let mut book = rust_xlsxwriter::Workbook::new();
        book.add_worksheet().write(0, 0, "x").unwrap();
        let xlsx = book.save_to_buffer().unwrap();
        assert_eq!(
            sniff(&xlsx).unwrap(),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        );
    }

    #[test]
    fn names_are_made_safe() {
        assert_eq!(safe_name("../../etc/passwd"), "passwd");
        assert_eq!(safe_name("C:\\Users\\x\\申报表.pdf"), "申报表.pdf");
        assert_eq!(safe_name("a\"b<c>\n.pdf"), "abc.pdf");
        assert_eq!(safe_name(".."), "material");
        assert_eq!(safe_name(&"长".repeat(300)).chars().count(), 120);
    }
}
