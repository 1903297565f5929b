//! The OpenAPI document describes every route the service answers, and the
//! province guard covers every province route it lists: a new endpoint is
//! described and walled off without anyone remembering to add a test.

use super::http::{get, request, start, token_for};
use super::*;
use serde_json::Value;

const METHODS: [&str; 5] = ["get", "post", "put", "delete", "patch"];

/// Fills `{name}` path parameters (other than the province) with a plausible value.
fn concrete(path: &str, province: &str) -> String {
    let mut out = String::new();
    let mut rest = path;
    while let Some(i) = rest.find('{') {
        out.push_str(&rest[..i]);
        let j = rest[i..].find('}').unwrap() + i;
        let name = &rest[i + 1..j];
        out.push_str(if name == "province" { province } else { "x1" });
        rest = &rest[j + 1..];
    }
    out.push_str(rest);
    out
}

#[tokio::test]
async fn the_document_lists_the_api_and_the_page_renders_it() {
    let db = backends::sqlite();
    let srv = start(&db.url).await;
    let (status, body) = get(srv.addr, "/api/v1/openapi.json").await;
    assert_eq!(status, 200);
    let doc: Value = serde_json::from_str(&body).unwrap();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    let paths = doc["paths"].as_object().unwrap();
    for p in [
        "/healthz",
        "/readyz",
        "/api/v1/public/checkpoint",
        "/api/v1/public/key",
        "/api/v1/public/entries",
        "/api/v1/public/proof/inclusion",
        "/api/v1/public/proof/consistency",
        "/api/v1/auth/login",
        "/api/v1/me",
        "/api/v1/accounts",
        "/api/v1/provinces/{province}/experts",
        "/api/v1/provinces/{province}/experts/{id}",
        "/api/v1/provinces/{province}/experts/import",
        "/api/v1/openapi.json",
    ] {
        assert!(paths.contains_key(p), "{p} missing from the document");
    }
    for (path, item) in paths {
        let ops: Vec<&Value> = METHODS.iter().filter_map(|m| item.get(*m)).collect();
        assert!(!ops.is_empty(), "{path} has no operation");
        if path.starts_with("/api/v1/provinces/{province}") {
            let params = item["parameters"].as_array().expect("path parameters");
            assert!(
                params
                    .iter()
                    .any(|p| p["name"] == "province" && p["in"] == "path"),
                "{path} lacks the province parameter"
            );
        }
        let public = path.starts_with("/api/v1/public/")
            || path == "/healthz"
            || path == "/readyz"
            || path == "/api/v1/auth/login"
            || path == "/api/v1/openapi.json"
            || path == "/api/v1/docs";
        for op in ops {
            assert_eq!(
                op.get("security").is_none(),
                public,
                "{path}: security requirement wrong"
            );
            assert!(!op["responses"].as_object().unwrap().is_empty());
        }
    }
    // Every `{name}` in a path is a declared path parameter of each operation.
    let mut names = 0;
    for (path, item) in paths {
        let declared = |op: &Value| -> Vec<String> {
            [&item["parameters"], &op["parameters"]]
                .into_iter()
                .filter_map(|ps| ps.as_array())
                .flatten()
                .filter(|p| p["in"] == "path")
                .map(|p| p["name"].as_str().unwrap().to_string())
                .collect()
        };
        for name in path.split('{').skip(1).map(|s| &s[..s.find('}').unwrap()]) {
            for m in METHODS.iter().filter(|m| item.get(**m).is_some()) {
                assert!(
                    declared(&item[*m]).iter().any(|d| d == name),
                    "{m} {path}: {{{name}}} is not a declared path parameter"
                );
                names += 1;
            }
        }
    }
    assert!(names > 20, "only {names} path parameters checked");
    let (status, page) = get(srv.addr, "/api/v1/docs").await;
    assert_eq!(status, 200);
    assert!(page.contains("/api/v1/openapi.json") && page.contains("<script>"));
}

/// Every province route of the document, every method: a caller of another
/// province gets 404, no caller gets 401, and nothing answers 5xx.
#[tokio::test]
async fn every_province_route_in_the_document_is_walled_off() {
    for db in backends::all().await {
        let srv = start(&db.url).await;
        let (_, body) = get(srv.addr, "/api/v1/openapi.json").await;
        let doc: Value = serde_json::from_str(&body).unwrap();
        let outsiders = [
            token_for(&srv, "js-coord", "coordinator", Some("320000")).await,
            token_for(&srv, "js-expert", "expert", Some("320000")).await,
            token_for(&srv, "js-super", "supervisor", Some("320000")).await,
        ];
        let mut checked = 0;
        for (path, item) in doc["paths"].as_object().unwrap() {
            if !path.starts_with("/api/v1/provinces/{province}") {
                continue;
            }
            let target = concrete(path, "440000");
            for m in METHODS.iter().filter(|m| item.get(**m).is_some()) {
                let method = m.to_uppercase();
                let body = (method != "GET" && method != "DELETE").then(|| serde_json::json!({}));
                let anon = request(srv.addr, &method, &target, &[], body.as_ref()).await;
                assert_eq!(
                    anon.status, 401,
                    "{} {method} {target} without a login",
                    db.name
                );
                for t in &outsiders {
                    let h = format!("Bearer {t}");
                    let r = request(
                        srv.addr,
                        &method,
                        &target,
                        &[("Authorization", &h)],
                        body.as_ref(),
                    )
                    .await;
                    assert_eq!(
                        r.status, 404,
                        "{} {method} {target} by another province: {}",
                        db.name, r.body
                    );
                    assert!(!r.body.contains("440000"));
                }
                checked += 1;
            }
        }
        assert!(checked >= 9, "only {checked} province operations found");
    }
}

/// Routes are registered only through `routes!` (which documents them); a bare
/// `.route(` would serve an endpoint the document does not list.
#[test]
fn no_route_bypasses_the_document() {
    for entry in std::fs::read_dir(root().join("src/http")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "rs") && !path.ends_with("openapi.rs") {
            let text = std::fs::read_to_string(&path).unwrap();
            assert!(
                !text.contains(".route(") && !text.contains("axum::Router::new()"),
                "{} registers a route outside routes!",
                path.display()
            );
        }
    }
}

/// The document describes every refusal an operation can answer, each with
/// the API's error body: bad input where there is input, 401 and 403 behind a
/// login, 404 where the path names something, 409 where a round's or draw's
/// state decides. An undocumented status was what the schema check found.
#[tokio::test]
async fn every_refusal_is_documented_with_the_error_body() {
    let db = backends::sqlite();
    let srv = start(&db.url).await;
    let (_, body) = get(srv.addr, "/api/v1/openapi.json").await;
    let doc: Value = serde_json::from_str(&body).unwrap();
    let error = &doc["components"]["schemas"]["Error"];
    assert_eq!(error["properties"]["error"]["type"], "string", "{error}");
    assert!(
        error["required"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r == "error")
    );
    let mut refusals = 0;
    for (path, item) in doc["paths"].as_object().unwrap() {
        for m in METHODS.iter().filter(|m| item.get(**m).is_some()) {
            let op = &item[*m];
            let responses = op["responses"].as_object().unwrap();
            let has = |s: &str| responses.contains_key(s);
            let what = format!("{m} {path}");
            if op.get("security").is_some() {
                assert!(has("401") && has("403"), "{what}: 401/403 undocumented");
            }
            if path.contains('{') {
                assert!(has("404"), "{what}: 404 undocumented");
            }
            let takes_input = path.contains('{')
                || op.get("requestBody").is_some()
                || op["parameters"].as_array().is_some_and(|p| !p.is_empty());
            if takes_input {
                assert!(has("400"), "{what}: 400 undocumented");
            }
            if path.contains("{round}") || path.contains("{draw}") {
                assert!(has("409"), "{what}: 409 undocumented");
            }
            for (status, r) in responses {
                if status.starts_with('4') {
                    assert_eq!(
                        r["content"]["application/json"]["schema"]["$ref"],
                        "#/components/schemas/Error",
                        "{what} {status}: not the error body"
                    );
                    refusals += 1;
                }
            }
        }
    }
    assert!(refusals > 150, "only {refusals} refusals documented");
}

/// The framework's own refusals (a query or path value of the wrong type, a
/// method the path lacks) answer in the API's error format, like every other:
/// they were plain text or empty, which the document does not describe.
#[tokio::test]
async fn framework_refusals_answer_in_the_error_format() {
    for db in backends::all().await {
        let srv = start(&db.url).await;
        let coordinator = token_for(&srv, "gd-coord", "coordinator", Some("440000")).await;
        let auth = format!("Bearer {coordinator}");
        for (method, path, status, names) in [
            ("GET", "/api/v1/public/proof/inclusion?seq=-1", 400, "seq"),
            (
                "GET",
                "/api/v1/public/proof/consistency?from=x&to=1",
                400,
                "from",
            ),
            (
                "GET",
                "/api/v1/provinces/440000/rounds/not-a-number",
                400,
                "not-a-number",
            ),
            (
                "DELETE",
                "/api/v1/public/checkpoint",
                405,
                "method not allowed",
            ),
        ] {
            let r = request(srv.addr, method, path, &[("Authorization", &auth)], None).await;
            assert_eq!(r.status, status, "{} {method} {path}: {}", db.name, r.body);
            assert!(
                r.headers
                    .to_ascii_lowercase()
                    .contains("content-type: application/json"),
                "{} {method} {path}: {}",
                db.name,
                r.headers
            );
            let body: Value = serde_json::from_str(&r.body)
                .unwrap_or_else(|e| panic!("{method} {path}: {e}: {}", r.body));
            let error = body["error"].as_str().unwrap();
            assert!(error.contains(names), "{method} {path}: {error}");
        }
    }
}

/// The file downloads answer with a content type their operation lists (they
/// were documented as `application/octet-stream` while serving CSV and XLSX).
#[tokio::test]
async fn file_downloads_have_their_documented_content_types() {
    for db in backends::all().await {
        let srv = start(&db.url).await;
        let (_, body) = get(srv.addr, "/api/v1/openapi.json").await;
        let doc: Value = serde_json::from_str(&body).unwrap();
        let coordinator = token_for(&srv, "gd-coord", "coordinator", Some("440000")).await;
        let auth = format!("Bearer {coordinator}");
        for path in [
            "/api/v1/provinces/{province}/experts/export",
            "/api/v1/provinces/{province}/experts/template",
            "/api/v1/provinces/{province}/rounds/applications/template",
        ] {
            let listed = doc["paths"][path]["get"]["responses"]["200"]["content"]
                .as_object()
                .unwrap_or_else(|| panic!("{path}: no content documented"));
            for format in ["csv", "xlsx"] {
                let target = format!("{}?format={format}", concrete(path, "440000"));
                let r = super::http::send(
                    srv.addr,
                    "GET",
                    &target,
                    &[("Authorization", &auth)],
                    b"",
                    false,
                )
                .await;
                assert_eq!(r.status, 200, "{} {target}", db.name);
                let served = r
                    .headers
                    .lines()
                    .find_map(|l| {
                        let (name, value) = l.split_once(':')?;
                        name.eq_ignore_ascii_case("content-type")
                            .then(|| value.split(';').next().unwrap().trim().to_string())
                    })
                    .unwrap();
                assert!(
                    listed.contains_key(&served),
                    "{} {target}: {served} is not among {:?}",
                    db.name,
                    listed.keys().collect::<Vec<_>>()
                );
            }
        }
    }
}
