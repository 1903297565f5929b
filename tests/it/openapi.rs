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
