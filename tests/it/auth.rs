//! Accounts, sessions and province isolation, on both backends.

use super::backends;
use super::http::{login, request, start, token, token_for};
use serde_json::json;

fn bearer(t: &str) -> String {
    format!("Bearer {t}")
}

#[tokio::test]
async fn login_gives_a_bearer_token_and_a_cookie_and_logout_revokes_them() {
    for db in backends::all().await {
        let srv = start(&db.url).await;
        assert!(
            fairpanel::accounts::create_chosen(
                &srv.state.store,
                "gd-coord",
                "correct horse battery",
                "coordinator",
                Some("440000"),
                None,
                1
            )
            .await
            .unwrap()
        );
        let bad = login(srv.addr, "gd-coord", "wrong").await;
        assert_eq!(bad.status, 401, "{}", db.name);
        let unknown = login(srv.addr, "nobody", "wrong").await;
        assert_eq!(
            (unknown.status, &unknown.body),
            (401, &bad.body),
            "same answer for unknown users"
        );
        let ok = login(srv.addr, "gd-coord", "correct horse battery").await;
        assert_eq!(ok.status, 200);
        assert!(ok.headers.contains("fairpanel_session=") && ok.headers.contains("HttpOnly"));
        let t = token(&ok);
        let me = request(
            srv.addr,
            "GET",
            "/api/v1/me",
            &[("Authorization", &bearer(&t))],
            None,
        )
        .await;
        assert_eq!(me.status, 200);
        assert!(me.body.contains("\"role\":\"coordinator\"") && me.body.contains("440000"));
        let cookie = format!("fairpanel_session={t}");
        let me = request(srv.addr, "GET", "/api/v1/me", &[("Cookie", &cookie)], None).await;
        assert_eq!(me.status, 200);
        // An API token works as a bearer too.
        let api = request(
            srv.addr,
            "POST",
            "/api/v1/auth/tokens",
            &[("Authorization", &bearer(&t))],
            Some(&json!({"label": "nightly export"})),
        )
        .await;
        assert_eq!(api.status, 200, "{}", api.body);
        let api_token = token(&api);
        let me = request(
            srv.addr,
            "GET",
            "/api/v1/me",
            &[("Authorization", &bearer(&api_token))],
            None,
        )
        .await;
        assert_eq!(me.status, 200);
        let out = request(
            srv.addr,
            "POST",
            "/api/v1/auth/logout",
            &[("Authorization", &bearer(&t))],
            None,
        )
        .await;
        assert_eq!(out.status, 200);
        let me = request(
            srv.addr,
            "GET",
            "/api/v1/me",
            &[("Authorization", &bearer(&t))],
            None,
        )
        .await;
        assert_eq!(me.status, 401);
        let none = request(srv.addr, "GET", "/api/v1/me", &[], None).await;
        assert_eq!(none.status, 401);
        // Malformed JSON answers in the API's own format.
        let junk = request(
            srv.addr,
            "POST",
            "/api/v1/auth/login",
            &[],
            Some(&json!({"user": 1})),
        )
        .await;
        assert_eq!(junk.status, 400);
        assert!(junk.body.contains("\"error\""));
    }
}

#[tokio::test]
async fn a_province_is_walled_off_from_the_others() {
    for db in backends::all().await {
        let srv = start(&db.url).await;
        let admin = token_for(&srv, "root", "admin", None).await;
        let gd = token_for(&srv, "gd-coord", "coordinator", Some("440000")).await;
        let js = token_for(&srv, "js-super", "supervisor", Some("320000")).await;
        let gd_expert = token_for(&srv, "gd-expert", "expert", Some("440000")).await;
        let at = |t: &str, path: &str| {
            let h = bearer(t);
            let path = path.to_string();
            async move {
                request(srv.addr, "GET", &path, &[("Authorization", &h)], None)
                    .await
                    .status
            }
        };
        assert_eq!(
            at(&gd, "/api/v1/provinces/440000").await,
            200,
            "{}",
            db.name
        );
        assert_eq!(at(&gd_expert, "/api/v1/provinces/440000").await, 200);
        assert_eq!(
            at(&gd, "/api/v1/provinces/320000").await,
            404,
            "another province is not found, not forbidden"
        );
        assert_eq!(at(&js, "/api/v1/provinces/440000").await, 404);
        assert_eq!(at(&js, "/api/v1/provinces/320000").await, 200);
        assert_eq!(at(&admin, "/api/v1/provinces/440000").await, 200);
        assert_eq!(at(&admin, "/api/v1/provinces/999999").await, 404);
        assert_eq!(
            request(srv.addr, "GET", "/api/v1/provinces/440000", &[], None)
                .await
                .status,
            401
        );

        // Accounts: a coordinator makes experts of its own province only.
        let make = |t: &str, body: serde_json::Value| {
            let h = bearer(t);
            async move {
                request(
                    srv.addr,
                    "POST",
                    "/api/v1/accounts",
                    &[("Authorization", &h)],
                    Some(&body),
                )
                .await
            }
        };
        let r = make(
            &gd,
            json!({"username": "gd-e2", "role": "expert", "province": "440000"}),
        )
        .await;
        assert_eq!(r.status, 200, "{}", r.body);
        let made: serde_json::Value = serde_json::from_str(&r.body).unwrap();
        assert_eq!(made["activation_code"].as_str().unwrap().len(), 43);
        assert!(!r.body.contains("password"), "no password: {}", r.body);
        assert_eq!(
            make(
                &gd,
                json!({"username": "js-e2", "role": "expert", "province": "320000"})
            )
            .await
            .status,
            403
        );
        assert_eq!(
            make(
                &gd,
                json!({"username": "gd-c2", "role": "coordinator", "province": "440000"})
            )
            .await
            .status,
            403
        );
        assert_eq!(
            make(
                &gd_expert,
                json!({"username": "gd-e3", "role": "expert", "province": "440000"})
            )
            .await
            .status,
            403
        );
        assert_eq!(
            make(
                &admin,
                json!({"username": "gd-e2", "role": "expert", "province": "440000"})
            )
            .await
            .status,
            409
        );
        assert_eq!(
            make(
                &admin,
                json!({"username": "x", "role": "expert", "province": "123"})
            )
            .await
            .status,
            400
        );
        assert_eq!(
            make(&admin, json!({"username": "x", "role": "expert"}))
                .await
                .status,
            400
        );
    }
}

#[tokio::test]
async fn changing_the_password_needs_the_old_one_and_revokes_other_sessions() {
    for db in backends::all().await {
        let srv = start(&db.url).await;
        assert!(
            fairpanel::accounts::create_chosen(
                &srv.state.store,
                "admin2",
                "first-password-123",
                "admin",
                None,
                None,
                1
            )
            .await
            .unwrap()
        );
        let a = token(&login(srv.addr, "admin2", "first-password-123").await);
        let b = token(&login(srv.addr, "admin2", "first-password-123").await);
        let change = |t: &str, old: &str, new: &str| {
            let h = bearer(t);
            let body = json!({"old_password": old, "new_password": new});
            async move {
                request(
                    srv.addr,
                    "POST",
                    "/api/v1/auth/password",
                    &[("Authorization", &h)],
                    Some(&body),
                )
                .await
                .status
            }
        };
        assert_eq!(
            change(&a, "wrong-password-000", "second-password-456").await,
            403,
            "{}",
            db.name
        );
        assert_eq!(change(&a, "first-password-123", "short").await, 400);
        assert_eq!(
            change(&a, "first-password-123", "second-password-456").await,
            200
        );
        assert_eq!(
            login(srv.addr, "admin2", "first-password-123").await.status,
            401
        );
        assert_eq!(
            login(srv.addr, "admin2", "second-password-456")
                .await
                .status,
            200
        );
        let me = |t: &str| {
            let h = bearer(t);
            async move {
                request(
                    srv.addr,
                    "GET",
                    "/api/v1/me",
                    &[("Authorization", &h)],
                    None,
                )
                .await
                .status
            }
        };
        assert_eq!(me(&a).await, 200, "the session that changed it stays");
        assert_eq!(me(&b).await, 401, "every other session is revoked");
    }
}

/// `--public-url`: an https one makes the session cookie `Secure` on a plain
/// request (TLS ends at a proxy); it is the one origin a cookie form post is
/// accepted from; printed QR codes point to it. Without it, the cookie is
/// `Secure` only when the proxy says https.
#[tokio::test]
async fn the_public_url_decides_the_secure_cookie_the_accepted_origin_and_the_qr_base() {
    let db = backends::sqlite();
    let plain = start(&db.url).await;
    fairpanel::accounts::create_chosen(
        &plain.state.store,
        "gd-c",
        "correct horse battery",
        "coordinator",
        Some("440000"),
        None,
        1,
    )
    .await
    .unwrap();
    let ok = login(plain.addr, "gd-c", "correct horse battery").await;
    assert_eq!(ok.status, 200);
    assert!(!ok.headers.contains("Secure"), "{}", ok.headers);
    let proxied = request(
        plain.addr,
        "POST",
        "/api/v1/auth/login",
        &[("X-Forwarded-Proto", "https")],
        Some(&json!({"username": "gd-c", "password": "correct horse battery"})),
    )
    .await;
    assert!(proxied.headers.contains("; Secure"), "{}", proxied.headers);
    drop(plain);

    let db = backends::sqlite();
    let srv = super::http::start_configured(&db.url, |c| {
        c.public_url = Some("https://fairpanel.example.cn".into())
    })
    .await;
    fairpanel::accounts::create_chosen(
        &srv.state.store,
        "gd-c",
        "correct horse battery",
        "coordinator",
        Some("440000"),
        None,
        1,
    )
    .await
    .unwrap();
    let ok = login(srv.addr, "gd-c", "correct horse battery").await;
    assert_eq!(ok.status, 200);
    assert!(ok.headers.contains("; Secure"), "{}", ok.headers);
    let cookie = format!("fairpanel_session={}", token(&ok));
    let open_round = |origin: &'static str| {
        let cookie = cookie.clone();
        async move {
            request(
                srv.addr,
                "POST",
                "/api/v1/provinces/440000/rounds",
                &[("Cookie", &cookie), ("Origin", origin)],
                Some(&json!({"year": 2026, "kind": "studio", "title": "第一轮"})),
            )
            .await
        }
    };
    // The request's own Host ("test") is not our origin once a public URL is set.
    let r = open_round("http://test").await;
    assert_eq!(r.status, 403, "{}", r.body);
    let r = open_round("http://fairpanel.example.cn").await;
    assert_eq!(
        r.status, 403,
        "the scheme is part of the origin: {}",
        r.body
    );
    let r = open_round("https://fairpanel.example.cn").await;
    assert_eq!(r.status, 201, "{}", r.body);
    assert_eq!(
        srv.state.public_base(&Default::default()),
        "https://fairpanel.example.cn"
    );
}
