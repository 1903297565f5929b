//! A province's expert pool over HTTP: list, read, create, update, delete,
//! import (CSV/XLSX, all or nothing), export and the import template. Mounted
//! under `/api/v1/provinces/{province}`, behind the province guard.

use super::auth::{Caller, Role, Scoped};
use super::{AppError, AppJson, AppState};
use crate::roster::{self, ExpertRecord, ImportErrors};
use crate::store::experts::{Must, Refused, Written};
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::{router::OpenApiRouter, routes};

/// Largest roster file accepted for import.
pub const MAX_IMPORT_BYTES: usize = 10 * 1024 * 1024;

const READ: &[Role] = &[Role::Admin, Role::Coordinator, Role::Supervisor];
const WRITE: &[Role] = &[Role::Admin, Role::Coordinator];

pub fn router() -> OpenApiRouter<AppState> {
    let (schemas, paths, import) = routes!(import);
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes((
            schemas,
            paths,
            import.layer(DefaultBodyLimit::max(MAX_IMPORT_BYTES)),
        ))
        .routes(routes!(export))
        .routes(routes!(template))
        .routes(routes!(read, update, remove))
}

#[derive(Deserialize, IntoParams)]
struct Format {
    /// `xlsx` (default) or `csv`.
    format: Option<String>,
}

enum Kind {
    Csv,
    Xlsx,
}

fn kind(f: &Format) -> Result<Kind, AppError> {
    match f.format.as_deref().unwrap_or("xlsx") {
        "csv" => Ok(Kind::Csv),
        "xlsx" => Ok(Kind::Xlsx),
        other => Err(AppError::BadRequest(format!(
            "format must be csv or xlsx, not {other}"
        ))),
    }
}

fn file(k: Kind, name: &str, bytes: Vec<u8>) -> Response {
    let (ct, ext) = match k {
        Kind::Csv => ("text/csv; charset=utf-8", "csv"),
        Kind::Xlsx => (
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "xlsx",
        ),
    };
    (
        [
            (header::CONTENT_TYPE, ct.to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}.{ext}\""),
            ),
        ],
        bytes,
    )
        .into_response()
}

/// Problems in a record or a file: 422 with every problem, row and column.
pub fn unprocessable(e: ImportErrors) -> AppError {
    let problems: Vec<serde_json::Value> = e
        .0
        .iter()
        .map(|p| {
            serde_json::json!({"row": p.row, "column": p.column, "header": p.header, "message": p.message, "text": p.to_string()})
        })
        .collect();
    AppError::Unprocessable(
        format!("{} problems; nothing was changed", problems.len()),
        problems,
    )
}

/// A record given as JSON is checked by exactly the rules of an import: it is
/// written out as a one-row file and read back.
fn checked(r: &ExpertRecord) -> Result<ExpertRecord, AppError> {
    let mut v =
        roster::parse_csv(&roster::export_csv(std::slice::from_ref(r))).map_err(unprocessable)?;
    v.pop()
        .ok_or_else(|| AppError::BadRequest("no record".into()))
}

fn written(w: Result<Written, Refused>) -> Result<Json<serde_json::Value>, AppError> {
    match w {
        Ok(w) => Ok(Json(
            serde_json::json!({"changed": w.changed, "total": w.total, "log_seq": w.seq}),
        )),
        Err(Refused::Exists(id)) => Err(AppError::Conflict(format!("expert {id} already exists"))),
        Err(Refused::Missing(id)) => Err(AppError::NotFound(format!("no expert {id}"))),
    }
}

/// The province's roster.
#[utoipa::path(get, path = "/experts", tag = "experts", responses((status = 200, body = Vec<ExpertRecord>)))]
async fn list(
    State(s): State<AppState>,
    caller: Caller,
    Extension(Scoped(p)): Extension<Scoped>,
) -> Result<Json<Vec<ExpertRecord>>, AppError> {
    caller.require(READ)?;
    Ok(Json(s.store.list_experts(&p).await?))
}

#[utoipa::path(get, path = "/experts/{id}", tag = "experts", params(("id" = String, Path, description = "the expert's stable id")),
    responses((status = 200, body = ExpertRecord), (status = 404, description = "no such expert")))]
async fn read(
    State(s): State<AppState>,
    caller: Caller,
    Extension(Scoped(p)): Extension<Scoped>,
    Path(path): Path<(String, String)>,
) -> Result<Json<ExpertRecord>, AppError> {
    caller.require(READ)?;
    let id = path.1;
    s.store
        .get_expert(&p, &id)
        .await?
        .map(Json)
        .ok_or_else(|| AppError::NotFound(format!("no expert {id}")))
}

/// Adds one expert (checked by the import rules); a roster change entry is logged.
#[utoipa::path(post, path = "/experts", tag = "experts", request_body = ExpertRecord,
    responses((status = 201, description = "created"), (status = 409, description = "the id exists"), (status = 422, description = "problems, with field names")))]
async fn create(
    State(s): State<AppState>,
    caller: Caller,
    Extension(Scoped(p)): Extension<Scoped>,
    AppJson(r): AppJson<ExpertRecord>,
) -> Result<Response, AppError> {
    caller.require(WRITE)?;
    let r = checked(&r)?;
    let w = s
        .store
        .write_experts(
            &s.key,
            &s.origin,
            &p,
            &[r],
            Must::BeNew,
            "create",
            s.clock.now(),
        )
        .await?;
    Ok((StatusCode::CREATED, written(w)?).into_response())
}

/// Replaces one expert's record; suspending and reinstating are updates of `status`.
#[utoipa::path(put, path = "/experts/{id}", tag = "experts", params(("id" = String, Path, description = "the expert's stable id")), request_body = ExpertRecord,
    responses((status = 200, description = "written: `{changed, total, log_seq}`; `log_seq` is the roster change entry, absent when nothing changed"), (status = 404, description = "no such expert"), (status = 422, description = "problems")))]
async fn update(
    State(s): State<AppState>,
    caller: Caller,
    Extension(Scoped(p)): Extension<Scoped>,
    Path(path): Path<(String, String)>,
    AppJson(r): AppJson<ExpertRecord>,
) -> Result<Json<serde_json::Value>, AppError> {
    caller.require(WRITE)?;
    let id = path.1;
    if r.expert_id != id {
        return Err(AppError::BadRequest(format!(
            "the record's expert_id {} is not the {id} of the address",
            r.expert_id
        )));
    }
    let r = checked(&r)?;
    let old = s
        .store
        .get_expert(&p, &id)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("no expert {id}")))?;
    let action = match (old.status, r.status) {
        (roster::Status::Active, roster::Status::Suspended) => "suspend",
        (roster::Status::Suspended, roster::Status::Active) => "reinstate",
        _ => "update",
    };
    written(
        s.store
            .write_experts(
                &s.key,
                &s.origin,
                &p,
                &[r],
                Must::Exist,
                action,
                s.clock.now(),
            )
            .await?,
    )
}

#[utoipa::path(delete, path = "/experts/{id}", tag = "experts", params(("id" = String, Path, description = "the expert's stable id")),
    responses((status = 200, description = "written: `{changed, total, log_seq}`; `log_seq` is the roster change entry, absent when nothing changed"), (status = 404, description = "no such expert")))]
async fn remove(
    State(s): State<AppState>,
    caller: Caller,
    Extension(Scoped(p)): Extension<Scoped>,
    Path(path): Path<(String, String)>,
) -> Result<Json<serde_json::Value>, AppError> {
    caller.require(WRITE)?;
    let id = path.1;
    match s
        .store
        .delete_expert(&s.key, &s.origin, &p, &id, s.clock.now())
        .await?
    {
        Some(w) => written(Ok(w)),
        None => Err(AppError::NotFound(format!("no expert {id}"))),
    }
}

#[utoipa::path(post, path = "/experts/import", tag = "experts", params(Format),
    request_body(content = Vec<u8>, description = "the CSV or XLSX file, at most 10 MiB", content_type = "application/octet-stream"),
    responses((status = 200, description = "written: `{changed, total, log_seq}`; `log_seq` is the roster change entry, absent when nothing changed"), (status = 413, description = "file too large"), (status = 422, description = "every problem with row and column; nothing changed")))]
/// All or nothing: a file with any problem is refused whole, with every problem
/// listed; importing the same file again changes nothing.
async fn import(
    State(s): State<AppState>,
    caller: Caller,
    Extension(Scoped(p)): Extension<Scoped>,
    Query(f): Query<Format>,
    body: Bytes,
) -> Result<Json<serde_json::Value>, AppError> {
    caller.require(WRITE)?;
    let records = match kind(&f)? {
        Kind::Csv => roster::parse_csv(&body),
        Kind::Xlsx => roster::parse_xlsx(&body),
    }
    .map_err(unprocessable)?;
    written(
        s.store
            .write_experts(
                &s.key,
                &s.origin,
                &p,
                &records,
                Must::Either,
                "import",
                s.clock.now(),
            )
            .await?,
    )
}

/// The roster as a file.
#[utoipa::path(get, path = "/experts/export", tag = "experts", params(Format),
    responses((status = 200, description = "CSV or XLSX file, as `format` asks", content((String = "text/csv"), ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")))))]
async fn export(
    State(s): State<AppState>,
    caller: Caller,
    Extension(Scoped(p)): Extension<Scoped>,
    Query(f): Query<Format>,
) -> Result<Response, AppError> {
    caller.require(READ)?;
    let records = s.store.list_experts(&p).await?;
    let k = kind(&f)?;
    let bytes = match k {
        Kind::Csv => roster::export_csv(&records),
        Kind::Xlsx => roster::export_xlsx(&records),
    };
    Ok(file(k, &format!("experts-{p}"), bytes))
}

/// An empty roster file: the headers, drop-down lists (XLSX) and notes on each
/// column, and an example row whose id begins with 示例, which an import refuses.
#[utoipa::path(get, path = "/experts/template", tag = "experts", params(Format),
    responses((status = 200, description = "CSV or XLSX file, as `format` asks", content((String = "text/csv"), ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")))))]
async fn template(caller: Caller, Query(f): Query<Format>) -> Result<Response, AppError> {
    caller.require(WRITE)?;
    let k = kind(&f)?;
    let bytes = match k {
        Kind::Csv => roster::template_csv(),
        Kind::Xlsx => roster::template_xlsx(),
    };
    Ok(file(k, "expert-roster-template", bytes))
}
