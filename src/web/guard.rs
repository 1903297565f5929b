//! What every request passes before a handler: forged cross-site requests are
//! refused (a state-changing request that carries the session cookie must come
//! from our own origin), every page carries the security headers, and a
//! service reached over https only sends HSTS on every response.

use axum::extract::{FromRequestParts, Request};
use axum::http::header::{self, HeaderMap, HeaderValue};
use axum::http::request::Parts;
use axum::http::{Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::net::{IpAddr, SocketAddr};

/// The Content-Security-Policy of every page: our own scripts and styles
/// only, no inline script, no framing, forms post only to us.
/// `'wasm-unsafe-eval'` lets our own scripts compile WebAssembly (the browser
/// verifier's SHA-256, inlined in `/static/verifier.mjs`); it allows no
/// `eval` of JavaScript and no script from anywhere else.
pub const CSP: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; \
connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/// The client's address, when the server was started with connect info.
pub struct ClientAddr(pub Option<IpAddr>);

impl<S: Send + Sync> FromRequestParts<S> for ClientAddr {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(ClientAddr(
            parts
                .extensions
                .get::<axum::extract::ConnectInfo<SocketAddr>>()
                .map(|c| c.0.ip()),
        ))
    }
}

/// Whether the request reached us over https (directly, or through a proxy
/// that says so).
pub fn is_https(headers: &HeaderMap) -> bool {
    headers
        .get("x-forwarded-proto")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.eq_ignore_ascii_case("https"))
}

fn carries_session_cookie(headers: &HeaderMap) -> bool {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .any(|kv| {
            kv.trim()
                .split_once('=')
                .is_some_and(|(k, _)| k == crate::http::auth::COOKIE_NAME)
        })
}

/// `scheme://host[:port]` of an `Origin` or `Referer` value.
fn origin_of(url: &str) -> Option<&str> {
    let rest = url
        .strip_prefix("http://")
        .or_else(|| url.strip_prefix("https://"))?;
    let end = rest.find('/').map(|i| url.len() - rest.len() + i);
    Some(match end {
        Some(e) => &url[..e],
        None => url,
    })
}

/// Whether a request that changes state came from a page of our own origin.
/// A request without our session cookie (a bearer token, or none at all)
/// cannot be forged by another site and passes; the sign-in form is checked
/// whenever the browser names an origin. With a configured public URL, that is
/// the one origin accepted (scheme included); without one, the origin must name
/// the request's own Host.
pub fn same_origin_ok(
    method: &Method,
    headers: &HeaderMap,
    path: &str,
    public_url: Option<&str>,
) -> bool {
    if matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS) {
        return true;
    }
    let host = headers.get(header::HOST).and_then(|v| v.to_str().ok());
    let claimed = headers
        .get(header::ORIGIN)
        .and_then(|v| v.to_str().ok())
        .filter(|o| *o != "null")
        .map(str::to_string)
        .or_else(|| {
            headers
                .get(header::REFERER)
                .and_then(|v| v.to_str().ok())
                .and_then(origin_of)
                .map(str::to_string)
        });
    let matches = |o: &str| match public_url {
        Some(u) => o == u,
        None => host.is_some_and(|h| {
            o.strip_prefix("http://")
                .or_else(|| o.strip_prefix("https://"))
                == Some(h)
        }),
    };
    let cookie = carries_session_cookie(headers) && !headers.contains_key(header::AUTHORIZATION);
    match claimed {
        Some(o) => matches(&o),
        // A browser always names the origin of a cross-site POST; without a
        // cookie there is nothing to forge, except a sign-in page post, which
        // browsers send with an Origin too.
        None => !cookie && path != "/login",
    }
}

/// Refuses a cross-site state-changing request (403) before any handler runs.
pub async fn same_origin(
    axum::extract::State(s): axum::extract::State<crate::http::AppState>,
    req: Request,
    next: Next,
) -> Response {
    if !same_origin_ok(
        req.method(),
        req.headers(),
        req.uri().path(),
        s.public_url.as_deref(),
    ) {
        return (
            StatusCode::FORBIDDEN,
            [(header::CONTENT_TYPE, "application/json")],
            r#"{"error":"cross-site request refused: the request did not come from this site's own pages"}"#,
        )
            .into_response();
    }
    next.run(req).await
}

/// `Strict-Transport-Security` for a year, on every response (pages, API,
/// errors) of a service reached over https only ([`AppState::https_only`]):
/// a browser that has seen it never tries plain http to this host again.
///
/// [`AppState::https_only`]: crate::http::AppState::https_only
pub const HSTS: &str = "max-age=31536000";

pub async fn hsts(
    axum::extract::State(s): axum::extract::State<crate::http::AppState>,
    req: Request,
    next: Next,
) -> Response {
    let mut res = next.run(req).await;
    if s.https_only() {
        res.headers_mut().insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static(HSTS),
        );
    }
    res
}

/// The security headers of every page.
pub async fn headers(req: Request, next: Next) -> Response {
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    h.insert("content-security-policy", HeaderValue::from_static(CSP));
    h.insert(
        "x-content-type-options",
        HeaderValue::from_static("nosniff"),
    );
    h.insert("referrer-policy", HeaderValue::from_static("same-origin"));
    h.insert("x-frame-options", HeaderValue::from_static("DENY"));
    if !h.contains_key(header::CACHE_CONTROL) {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut m = HeaderMap::new();
        for (k, v) in pairs {
            m.append(*k, HeaderValue::from_static(v));
        }
        m
    }

    #[test]
    fn a_cookie_post_must_name_our_own_origin() {
        let post = Method::POST;
        let ours = h(&[
            ("host", "a.example:8080"),
            ("cookie", "fairpanel_session=x"),
            ("origin", "http://a.example:8080"),
        ]);
        assert!(same_origin_ok(&post, &ours, "/p/440000/rounds", None));
        let other = h(&[
            ("host", "a.example:8080"),
            ("cookie", "fairpanel_session=x"),
            ("origin", "http://evil.example"),
        ]);
        assert!(!same_origin_ok(&post, &other, "/p/440000/rounds", None));
        let none = h(&[
            ("host", "a.example:8080"),
            ("cookie", "fairpanel_session=x"),
        ]);
        assert!(!same_origin_ok(&post, &none, "/p/440000/rounds", None));
        let referer = h(&[
            ("host", "a.example:8080"),
            ("cookie", "fairpanel_session=x"),
            ("referer", "http://a.example:8080/p/440000"),
        ]);
        assert!(same_origin_ok(&post, &referer, "/p/440000/rounds", None));
        let bearer = h(&[("host", "a.example:8080"), ("authorization", "Bearer t")]);
        assert!(same_origin_ok(&post, &bearer, "/api/v1/auth/logout", None));
        assert!(same_origin_ok(&Method::GET, &other, "/", None));
        let login = h(&[
            ("host", "a.example:8080"),
            ("origin", "http://evil.example"),
        ]);
        assert!(!same_origin_ok(&post, &login, "/login", None));
        // With a public URL, only that origin, scheme included, is ours: a
        // proxy may hand us any Host.
        let public = Some("https://a.example");
        let proxied = h(&[
            ("host", "127.0.0.1:8080"),
            ("cookie", "fairpanel_session=x"),
            ("origin", "https://a.example"),
        ]);
        assert!(same_origin_ok(&post, &proxied, "/p/440000/rounds", public));
        assert!(!same_origin_ok(&post, &proxied, "/p/440000/rounds", None));
        let plain = h(&[
            ("host", "a.example"),
            ("cookie", "fairpanel_session=x"),
            ("origin", "http://a.example"),
        ]);
        assert!(!same_origin_ok(&post, &plain, "/p/440000/rounds", public));
    }
}
