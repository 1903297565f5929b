//! The materials page (coordinators upload each application's files and set
//! the pledge text until scoring opens; supervisors read) and the expert's
//! pledge form. The rules are `crate::materials`; the files themselves are
//! served by the API (`http/materials.rs`), which the pages link to.

use super::{Base, User, WebError, page, refusal};
use crate::http::AppState;
use crate::http::auth::Role;
use crate::materials::MAX_MATERIAL_BYTES;
use crate::store::rounds::RoundState;
use askama::Template;
use axum::extract::{DefaultBodyLimit, Multipart, Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use serde::Deserialize;
use std::collections::HashMap;

const RUN: &[Role] = &[Role::Admin, Role::Coordinator];
const READ: &[Role] = &[Role::Admin, Role::Coordinator, Role::Supervisor];

pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/p/{p}/rounds/{r}/materials",
            get(materials)
                .post(upload)
                .layer(DefaultBodyLimit::max(MAX_MATERIAL_BYTES + 64 * 1024)),
        )
        .route("/p/{p}/rounds/{r}/materials/{a}/{sha}/delete", post(delete))
        .route("/p/{p}/rounds/{r}/pledge-text", post(pledge_text))
        .route("/p/{p}/rounds/{r}/pledge", post(pledge))
}

/// A material as a page lists it: name, type, size, and the address it is
/// read at.
pub struct MaterialRow {
    pub application: String,
    pub name: String,
    pub kind: String,
    pub size: String,
    pub href: String,
    pub sha256: String,
}

/// The round's materials (of one application, or all) as rows.
pub async fn rows(
    s: &AppState,
    tr: &super::Tr,
    r: &crate::store::rounds::Round,
    app: Option<&str>,
) -> Result<Vec<MaterialRow>, WebError> {
    Ok(s.workflow()
        .materials(r, app)
        .await?
        .into_iter()
        .map(|m| MaterialRow {
            href: format!(
                "/api/v1/provinces/{}/rounds/{}/applications/{}/materials/{}",
                r.province,
                r.id,
                super::urlencode(&m.application),
                m.sha256
            ),
            kind: tr.t(match m.media_type.as_str() {
                "application/pdf" => "material-pdf",
                "image/png" | "image/jpeg" => "material-image",
                _ => "material-xlsx",
            }),
            size: format!("{:.1} KiB", m.size as f64 / 1024.0),
            application: m.application,
            name: m.name,
            sha256: m.sha256,
        })
        .collect())
}

#[derive(Template)]
#[template(path = "web/materials.html")]
struct Materials {
    base: Base,
    p: String,
    round_id: i64,
    round_title: String,
    apps: Vec<String>,
    rows: Vec<MaterialRow>,
    writable: bool,
    pledge_text: String,
    pledge_fixed: bool,
    error: Option<String>,
}

async fn materials_page(
    s: &AppState,
    u: &User,
    code: &str,
    id: i64,
    error: Option<String>,
) -> Result<Response, WebError> {
    let p = u.province(code)?;
    u.require(READ)?;
    let r = crate::http::rounds::round_of(s, &p, id).await?;
    let apps = s
        .store
        .applications(r.id)
        .await?
        .into_iter()
        .map(|a| a.ref_no)
        .collect();
    let pledge = s.workflow().pledge_view(&r, None).await?;
    let mut resp = page(Materials {
        base: u.base(u.tr.t("materials-title")),
        p: p.as_str().to_string(),
        round_id: r.id,
        round_title: r.title.clone(),
        apps,
        rows: rows(s, &u.tr, &r, None).await?,
        writable: RUN.contains(&u.caller.role)
            && matches!(r.state, RoundState::Open | RoundState::Drawn),
        pledge_text: pledge.text,
        pledge_fixed: pledge.fixed,
        error: error.clone(),
    })?;
    if error.is_some() {
        *resp.status_mut() = axum::http::StatusCode::BAD_REQUEST;
    }
    Ok(resp)
}

async fn materials(
    State(s): State<AppState>,
    u: User,
    Path((code, id)): Path<(String, i64)>,
) -> Result<Response, WebError> {
    materials_page(&s, &u, &code, id, None).await
}

/// Uploads one file (multipart: `csrf`, `application`, `file`).
async fn upload(
    State(s): State<AppState>,
    u: User,
    Path((code, id)): Path<(String, i64)>,
    mut m: Multipart,
) -> Result<Response, WebError> {
    let p = u.province(&code)?;
    u.require(RUN)?;
    let (mut csrf, mut app, mut name, mut bytes) = (String::new(), String::new(), None, None);
    loop {
        let field = match m.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(_) => {
                let msg = u.tr.t("refusal-material-over-limit");
                return materials_page(&s, &u, &code, id, Some(msg)).await;
            }
        };
        match field.name() {
            Some("csrf") => csrf = field.text().await.unwrap_or_default(),
            Some("application") => app = field.text().await.unwrap_or_default(),
            Some("file") => {
                name = field.file_name().map(str::to_string);
                match field.bytes().await {
                    Ok(b) => bytes = Some(b.to_vec()),
                    Err(_) => {
                        let msg = u.tr.t("refusal-material-over-limit");
                        return materials_page(&s, &u, &code, id, Some(msg)).await;
                    }
                }
            }
            _ => {}
        }
    }
    u.check_csrf(&csrf)?;
    let r = crate::http::rounds::round_of(&s, &p, id).await?;
    let bytes = bytes.unwrap_or_default();
    if bytes.is_empty() {
        let msg = u.tr.t("materials-choose-file");
        return materials_page(&s, &u, &code, id, Some(msg)).await;
    }
    match s
        .workflow()
        .add_material(
            &r,
            app.trim(),
            name.as_deref().unwrap_or(""),
            &bytes,
            u.caller.account_id,
        )
        .await
    {
        Ok(_) => Ok(Redirect::to(&format!("/p/{p}/rounds/{id}/materials")).into_response()),
        Err(e) => {
            let msg = refusal(&u.tr, e)?;
            materials_page(&s, &u, &code, id, Some(msg)).await
        }
    }
}

#[derive(Deserialize)]
struct CsrfOnly {
    #[serde(default)]
    csrf: String,
}

async fn delete(
    State(s): State<AppState>,
    u: User,
    Path((code, id, app, sha)): Path<(String, i64, String, String)>,
    Form(f): Form<CsrfOnly>,
) -> Result<Response, WebError> {
    let p = u.province(&code)?;
    u.require(RUN)?;
    u.check_csrf(&f.csrf)?;
    let r = crate::http::rounds::round_of(&s, &p, id).await?;
    if let Err(e) = s.workflow().remove_material(&r, &app, &sha).await {
        let msg = refusal(&u.tr, e)?;
        return materials_page(&s, &u, &code, id, Some(msg)).await;
    }
    Ok(Redirect::to(&format!("/p/{p}/rounds/{id}/materials")).into_response())
}

#[derive(Deserialize)]
struct TextForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    text: String,
}

async fn pledge_text(
    State(s): State<AppState>,
    u: User,
    Path((code, id)): Path<(String, i64)>,
    Form(f): Form<TextForm>,
) -> Result<Response, WebError> {
    let p = u.province(&code)?;
    u.require(RUN)?;
    u.check_csrf(&f.csrf)?;
    let r = crate::http::rounds::round_of(&s, &p, id).await?;
    if let Err(e) = s.workflow().set_pledge_text(&r, &f.text).await {
        let msg = refusal(&u.tr, e)?;
        return materials_page(&s, &u, &code, id, Some(msg)).await;
    }
    Ok(Redirect::to(&format!("/p/{p}/rounds/{id}/materials")).into_response())
}

/// The expert's pledge (form on the sheets page): `csrf`, `hash` (of the text
/// shown), `confirm=yes`, and `c_{application}` a conflict's reason for each
/// application the expert declares a conflict with.
async fn pledge(
    State(s): State<AppState>,
    u: User,
    Path((code, id)): Path<(String, i64)>,
    Form(f): Form<HashMap<String, String>>,
) -> Result<Response, WebError> {
    let p = u.province(&code)?;
    u.check_csrf(f.get("csrf").map(String::as_str).unwrap_or(""))?;
    let e = crate::http::scoring::expert_id(&s, &u.caller).await?;
    let r = crate::http::rounds::round_of(&s, &p, id).await?;
    let back = format!("/p/{p}/rounds/{id}/sheets");
    if f.get("confirm").map(String::as_str) != Some("yes") {
        return Ok(Redirect::to(&format!("{back}?pledge=unconfirmed")).into_response());
    }
    let mut conflicts: Vec<(String, String)> = f
        .iter()
        .filter_map(|(k, v)| {
            let app = k.strip_prefix("c_")?;
            (!v.trim().is_empty()).then(|| (app.to_string(), v.trim().to_string()))
        })
        .collect();
    conflicts.sort();
    let hash = f.get("hash").cloned().unwrap_or_default();
    // Protocol 1.5: the browser's signatures over the pledge (`signature`)
    // and each conflict's recusal (`sig_{application}`).
    let signature = f
        .get("signature")
        .map(String::as_str)
        .filter(|x| !x.trim().is_empty());
    let recusals: Vec<(String, String)> = f
        .iter()
        .filter_map(|(k, v)| {
            let app = k.strip_prefix("sig_")?;
            (!v.trim().is_empty()).then(|| (app.to_string(), v.trim().to_string()))
        })
        .collect();
    s.workflow()
        .pledge_signed(
            &r,
            &e,
            u.caller.account_id,
            &hash,
            &conflicts,
            signature,
            &recusals,
        )
        .await?;
    Ok(Redirect::to(&back).into_response())
}
