//! The OpenAPI 3.1 document (`GET /api/v1/openapi.json`) and a browsable page
//! over it (`GET /api/v1/docs`).
//!
//! The paths come from the same `routes!` registrations that build the router
//! (utoipa-axum), so an endpoint cannot be served without being described.
//! What is the same for many paths is added here once: the `{province}`
//! parameter of every province route and the authentication every non-public
//! route needs. The page is our own HTML and script, served from the binary:
//! no assets are fetched at build or run time.

use super::AppState;
use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::get;
use utoipa::PartialSchema;
use utoipa::openapi::path::{
    HttpMethod, Operation, OperationBuilder, Parameter, ParameterIn, PathItem,
};
use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{
    ContentBuilder, Info, OpenApi, OpenApiBuilder, Ref, RefOr, Required, Response,
    ResponsesBuilder, SecurityRequirement, Tag,
};

pub const DOC_PATH: &str = "/api/v1/openapi.json";
pub const PAGE_PATH: &str = "/api/v1/docs";
const PROVINCE_PREFIX: &str = "/api/v1/provinces/{province}";

/// Routes that need no account.
fn is_public(path: &str) -> bool {
    path == "/healthz"
        || path == "/readyz"
        || path.starts_with("/api/v1/public/")
        || path == "/api/v1/auth/login"
}

pub fn base() -> OpenApi {
    let mut info = Info::new("fairpanel", env!("CARGO_PKG_VERSION"));
    info.description = Some(
        "Verifiable expert-panel draws for provincial high-skill project reviews. \
         Authenticate with `Authorization: Bearer <token>` (from /api/v1/auth/login or \
         /api/v1/auth/tokens) or the `fairpanel_session` cookie. A province's routes answer \
         404 to callers of other provinces. A session signed in with a one-time password \
         gets 403 everywhere but /api/v1/auth/password, /auth/logout and /me until the \
         password is changed. Free text is stored in Unicode NFC and refused, naming the \
         field, when it holds control, bidirectional or invisible characters or a word \
         mixing Latin with look-alike letters. Errors are `{\"error\": \"...\"}`, with \
         `problems` (row, column) for rejected imports. The draw protocol is docs/PROTOCOL.md."
            .into(),
    );
    let tag = |name: &str, d: &str| {
        let mut t = Tag::new(name);
        t.description = Some(d.into());
        t
    };
    OpenApiBuilder::new()
        .info(info)
        .tags(Some(vec![
            tag("public", "No account: the log, its proofs and key"),
            tag("accounts", "Login, sessions, API tokens, accounts"),
            tag(
                "provinces",
                "A province's own data, behind the province guard",
            ),
            tag("experts", "The province's expert pool"),
            tag("rounds", "Review rounds and their applications"),
            tag(
                "notice",
                "The public notice (公示) of sealed results and its objections (异议)",
            ),
            tag(
                "ministry",
                "The ministry's national view: every province's filings by year",
            ),
            tag(
                "draws",
                "Draws: commit, entropy, beacon, reveal, declines, void, disclosure",
            ),
            tag(
                "witnesses",
                "The witnesses whose cosignatures of the log's checkpoints the service accepts (admins)",
            ),
        ]))
        .build()
}

fn operations(item: &mut PathItem) -> impl Iterator<Item = &mut Operation> {
    [
        &mut item.get,
        &mut item.put,
        &mut item.post,
        &mut item.delete,
        &mut item.patch,
    ]
    .into_iter()
    .filter_map(|o| o.as_mut())
}

/// The body of every refusal the API answers (any 4xx, and the 500 whose
/// details stay in the operator's log).
#[derive(utoipa::ToSchema)]
#[allow(dead_code)] // only its schema is used: the bodies are built in `AppError`
struct Error {
    /// What is wrong, in English, naming the field or value.
    error: String,
    /// A rejected import or an infeasible draw: every problem (row and column,
    /// or constraint and detail).
    problems: Option<Vec<serde_json::Value>>,
    /// 429: the seconds to wait (also in `Retry-After`).
    retry_after: Option<u64>,
}

/// The refusals any operation of a kind can answer, added where an operation
/// does not describe them itself: bad input (malformed JSON, a wrong field, a
/// query or path value of the wrong type, a refused value), no or an expired
/// session, a role that may not (or a one-time password not yet changed), and
/// an id or province that is not there (or not the caller's), and, for a
/// round's or a draw's routes, a step its present state does not allow.
fn add_refusals(path: &str, op: &mut Operation, has_params: bool, public: bool) {
    let takes_input = has_params
        || op.request_body.is_some()
        || op.parameters.as_ref().is_some_and(|p| !p.is_empty());
    let mut add = |status: &str, description: &str| {
        op.responses
            .responses
            .entry(status.to_string())
            .or_insert_with(|| Response::new(description).into());
    };
    if takes_input {
        add(
            "400",
            "bad input: malformed JSON, an unknown or missing field, a query or path value of the wrong type, or a refused value; `error` says which",
        );
    }
    if !public {
        add("401", "no session or token, or an expired one");
        add(
            "403",
            "the caller's role may not do this, or a one-time password is not yet changed",
        );
    }
    if path.contains('{') {
        add(
            "404",
            "no such resource, or a province that is not the caller's",
        );
    }
    if path.contains("{round}") || path.contains("{draw}") {
        add(
            "409",
            "not possible in the round's or the draw's present state; `error` says why",
        );
    }
    // Every refusal carries the same JSON body.
    for (status, response) in op.responses.responses.iter_mut() {
        let refusal = status.starts_with('4') || status.starts_with('5');
        if let (true, RefOr::T(r)) = (refusal, response)
            && r.content.is_empty()
        {
            r.content.insert(
                "application/json".into(),
                ContentBuilder::new()
                    .schema(Some(Ref::from_schema_name("Error")))
                    .build()
                    .into(),
            );
        }
    }
}

/// Adds what every province route and every authenticated route shares.
pub fn finish(doc: &mut OpenApi) {
    let mut components = doc.components.take().unwrap_or_default();
    components
        .schemas
        .insert("Error".into(), <Error as PartialSchema>::schema());
    components.add_security_scheme(
        "bearer",
        SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
    );
    components.add_security_scheme(
        "session",
        SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::new(super::auth::COOKIE_NAME))),
    );
    doc.components = Some(components);
    let auth = vec![
        SecurityRequirement::new("bearer", Vec::<String>::new()),
        SecurityRequirement::new("session", Vec::<String>::new()),
    ];
    for (path, item) in doc.paths.paths.iter_mut() {
        if path.starts_with(PROVINCE_PREFIX) {
            let mut p = Parameter::new("province");
            p.parameter_in = ParameterIn::Path;
            p.required = Required::True;
            p.description = Some(
                "GB/T 2260 code of a provincial-level unit, e.g. 440000; 660000 is the XPCC".into(),
            );
            p.schema = Some(
                utoipa::openapi::schema::Object::with_type(utoipa::openapi::schema::Type::String)
                    .into(),
            );
            item.parameters.get_or_insert_with(Vec::new).push(p.into());
        }
        let public = is_public(path);
        let has_params = item.parameters.as_ref().is_some_and(|p| !p.is_empty());
        for op in operations(item) {
            if !public {
                op.security = Some(auth.clone());
            }
            add_refusals(path, op, has_params, public);
        }
    }
}

/// `GET /api/v1/openapi.json` and `GET /api/v1/docs`.
pub fn router(mut doc: OpenApi) -> axum::Router<AppState> {
    for (path, summary) in [
        (DOC_PATH, "This OpenAPI document"),
        (PAGE_PATH, "A browsable page over this document (HTML)"),
    ] {
        let op = OperationBuilder::new()
            .summary(Some(summary))
            .tag("public")
            .responses(
                ResponsesBuilder::new()
                    .response("200", utoipa::openapi::Response::new(summary))
                    .build(),
            )
            .build();
        doc.paths
            .paths
            .insert(path.to_string(), PathItem::new(HttpMethod::Get, op));
    }
    let json = doc
        .to_pretty_json()
        .expect("the OpenAPI document serializes");
    axum::Router::new()
        .route(
            DOC_PATH,
            get(
                move || async move { ([(header::CONTENT_TYPE, "application/json")], json.clone()) },
            ),
        )
        .route(
            PAGE_PATH,
            get(|| async {
                (
                    [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
                    include_str!("docs.html"),
                )
                    .into_response()
            }),
        )
}
