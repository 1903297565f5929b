//! Observability through HTTP: `/metrics` on its own address (the named series,
//! counts that follow the requests made, route templates for labels, nothing
//! personal), `X-Request-Id` on every kind of response, and `serve --log-format
//! json` writing JSON lines that carry the request id while the access log holds
//! no cookie, token, password or query string.

use super::draws::{Api, setup};
use super::http::{Server, login, request, request_raw, token_for};
use super::*;
use serde_json::{Value, json};
use std::io::{BufRead, BufReader};

/// Serves `/metrics` for `srv` on a port of its own, as `--metrics-listen` does.
async fn metrics_address(srv: &Server) -> std::net::SocketAddr {
    let l = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = l.local_addr().unwrap();
    let app = fairpanel::observe::router(srv.state.clone());
    tokio::spawn(async move {
        axum::serve(l, app).await.unwrap();
    });
    addr
}

async fn scrape(addr: std::net::SocketAddr) -> String {
    let r = request(addr, "GET", "/metrics", &[], None).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(
        r.headers
            .to_ascii_lowercase()
            .contains("content-type: text/plain; version=0.0.4"),
        "{}",
        r.headers
    );
    r.body
}

/// The value of one series (`name{labels}` exactly as exposed), if present.
fn sample(body: &str, series: &str) -> Option<f64> {
    body.lines()
        .find_map(|l| l.strip_prefix(series)?.strip_prefix(' '))
        .map(|v| v.trim().parse().unwrap())
}

fn header<'a>(headers: &'a str, name: &str) -> Option<&'a str> {
    headers.lines().find_map(|l| {
        let (k, v) = l.split_once(':')?;
        k.trim().eq_ignore_ascii_case(name).then(|| v.trim())
    })
}

async fn count(srv: &Server, sql: &str) -> f64 {
    let (n,): (i64,) = fairpanel::with_pool!(&srv.state.store, p => sqlx::query_as(sqlx::AssertSqlSafe(sql.to_string())).fetch_one(p).await.unwrap());
    n as f64
}

/// `/metrics` names every series, its request counter goes up with the requests
/// made, labels are route templates (never a province code or an id), the
/// database gauges match the database, and after a login, a draw and its
/// notifications no user name, password, token, expert id or name appears.
#[tokio::test]
async fn metrics_count_requests_by_route_template_and_name_no_one() {
    for db in backends::all().await {
        let srv = setup(&db.url).await;
        let maddr = metrics_address(&srv).await;
        let what = db.name;
        let before = scrape(maddr).await;
        // The database's gauges are there from the first scrape (the request
        // series from the first request).
        for name in [
            "fairpanel_log_appends_total",
            "fairpanel_log_size",
            "fairpanel_draws{state=\"committed\"}",
            "fairpanel_draws{state=\"revealed\"}",
            "fairpanel_outbox_unsent",
            "fairpanel_outbox_failing",
            "fairpanel_sessions_active{kind=\"session\"}",
            "fairpanel_sessions_active{kind=\"api\"}",
        ] {
            assert!(before.contains(name), "{what}: {name} missing:\n{before}");
        }
        let health =
            "fairpanel_http_requests_total{method=\"GET\",route=\"/healthz\",status=\"2xx\"}";
        let h0 = sample(&before, health).unwrap_or(0.0);
        let appends0 = sample(&before, "fairpanel_log_appends_total").unwrap();
        assert_eq!(
            sample(&before, "fairpanel_sessions_active{kind=\"session\"}"),
            Some(0.0),
            "{what}"
        );
        for _ in 0..3 {
            assert_eq!(
                request(srv.addr, "GET", "/healthz", &[], None).await.status,
                200
            );
        }

        // A coordinator logs in, opens a round, draws and reveals a panel.
        let user = "gd-observed-coordinator";
        let token = token_for(&srv, user, "coordinator", Some("440000")).await;
        let coord = Api {
            srv: &srv,
            token: token.clone(),
        };
        let rid = coord.open_round("base_new", "观测轮次").await;
        let (st, _) = coord
            .get(&format!("/api/v1/provinces/440000/rounds/{rid}"))
            .await;
        assert_eq!(st, 200);
        let draw = coord.revealed_draw(rid, 5, 2).await;
        let (st, _) = coord
            .get(&format!("/api/v1/provinces/440000/draws/{draw}"))
            .await;
        assert_eq!(st, 200);
        let (st, _) = coord
            .get("/api/v1/provinces/440000/draws/no-such-draw")
            .await;
        assert_eq!(st, 404);
        // One notification fails, as a refused webhook delivery would leave it.
        fairpanel::with_pool!(&srv.state.store, p => sqlx::query(
            "UPDATE outbox SET last_error = 'webhook answered 503' WHERE id = (SELECT MIN(id) FROM outbox)")
            .execute(p).await.unwrap().rows_affected());

        let after = scrape(maddr).await;
        for name in [
            "# TYPE fairpanel_http_requests_total counter",
            "# TYPE fairpanel_http_request_duration_seconds histogram",
            "fairpanel_http_request_duration_seconds_bucket{method=\"GET\",route=\"/healthz\",le=\"+Inf\"} ",
        ] {
            assert!(after.contains(name), "{what}: {name} missing:\n{after}");
        }
        assert_eq!(
            sample(&after, health),
            Some(h0 + 3.0),
            "{what}: three health checks counted:\n{after}"
        );
        for (series, n) in [
            (
                "fairpanel_http_requests_total{method=\"GET\",route=\"/api/v1/provinces/{province}/rounds/{round}\",status=\"2xx\"}",
                1.0,
            ),
            (
                "fairpanel_http_requests_total{method=\"GET\",route=\"/api/v1/provinces/{province}/draws/{draw}\",status=\"2xx\"}",
                1.0,
            ),
            (
                "fairpanel_http_requests_total{method=\"GET\",route=\"/api/v1/provinces/{province}/draws/{draw}\",status=\"4xx\"}",
                1.0,
            ),
            (
                "fairpanel_http_requests_total{method=\"POST\",route=\"/api/v1/auth/login\",status=\"2xx\"}",
                1.0,
            ),
            (
                "fairpanel_http_request_duration_seconds_count{method=\"GET\",route=\"/api/v1/provinces/{province}/draws/{draw}\"}",
                2.0,
            ),
            ("fairpanel_draws{state=\"revealed\"}", 1.0),
            ("fairpanel_draws{state=\"committed\"}", 0.0),
            ("fairpanel_sessions_active{kind=\"session\"}", 1.0),
            ("fairpanel_outbox_failing", 1.0),
        ] {
            assert_eq!(
                sample(&after, series),
                Some(n),
                "{what}: {series}:\n{after}"
            );
        }
        let unsent = count(&srv, "SELECT COUNT(*) FROM outbox WHERE sent_at IS NULL").await;
        assert!(unsent > 1.0, "{what}: the draw queued notifications");
        assert_eq!(
            sample(&after, "fairpanel_outbox_unsent"),
            Some(unsent),
            "{what}"
        );
        let size = srv.state.store.log_size().await.unwrap() as f64;
        assert_eq!(sample(&after, "fairpanel_log_size"), Some(size), "{what}");
        // Every entry the draw added was counted as appended (the counter is
        // the process's, so other tests' appends may add to it).
        let size0 = sample(&before, "fairpanel_log_size").unwrap();
        assert!(size >= size0 + 3.0, "{what}: commit, contribution, reveal");
        assert!(
            sample(&after, "fairpanel_log_appends_total").unwrap() >= appends0 + (size - size0),
            "{what}: {after}"
        );

        // Nothing personal or secret, and no path with an id in it.
        assert!(after.is_ascii(), "{what}: a name in the metrics?\n{after}");
        for secret in [
            user,
            &format!("pw-{user}-long-enough"),
            &token,
            &draw,
            "440000",
            "GD-E",
            "no-such-draw",
            "webhook answered",
        ] {
            assert!(!after.contains(secret), "{what}: {secret} in the metrics");
        }
        // The service's own address does not serve the metrics.
        let r = request(srv.addr, "GET", "/metrics", &[], None).await;
        assert_eq!(r.status, 404, "{what}");
    }
}

/// Every response carries `X-Request-Id`: the API, a page, a 404 of no route,
/// an API error and the origin guard's refusal. A sane incoming id is echoed;
/// an empty, over-long or spaced one is replaced by a fresh one.
#[tokio::test]
async fn every_response_carries_a_request_id_echoing_only_a_sane_one() {
    let db = backends::sqlite();
    let srv = super::http::start(&db.url).await;
    let bad_json = request_raw(
        srv.addr,
        "POST",
        "/api/v1/auth/login",
        &[("Content-Type", "application/json")],
        "{not json",
    )
    .await;
    let cross_site = request_raw(
        srv.addr,
        "POST",
        "/login",
        &[
            ("Content-Type", "application/x-www-form-urlencoded"),
            ("Origin", "http://elsewhere.example"),
        ],
        "username=a&password=b",
    )
    .await;
    let cases = [
        (request(srv.addr, "GET", "/healthz", &[], None).await, 200),
        (request(srv.addr, "GET", "/login", &[], None).await, 200),
        (
            request(srv.addr, "GET", "/no/such/page", &[], None).await,
            404,
        ),
        (
            request(
                srv.addr,
                "GET",
                "/api/v1/provinces/440000/rounds",
                &[],
                None,
            )
            .await,
            401,
        ),
        (bad_json, 400),
        (cross_site, 403),
    ];
    let mut seen = std::collections::HashSet::new();
    for (i, (r, status)) in cases.iter().enumerate() {
        assert_eq!(r.status, *status, "case {i}: {}", r.body);
        let id = header(&r.headers, "x-request-id")
            .unwrap_or_else(|| panic!("case {i}: no request id in {}", r.headers));
        assert_eq!(id.len(), 32, "case {i}: {id}");
        assert!(id.bytes().all(|b| b.is_ascii_hexdigit()), "case {i}: {id}");
        assert!(seen.insert(id.to_string()), "case {i}: {id} repeated");
    }
    let given = "proxy-7f3a.42:edge/1";
    for path in [
        "/healthz",
        "/no/such/page",
        "/api/v1/provinces/440000/rounds",
    ] {
        let r = request(srv.addr, "GET", path, &[("X-Request-Id", given)], None).await;
        assert_eq!(header(&r.headers, "x-request-id"), Some(given), "{path}");
    }
    let long = "x".repeat(fairpanel::observe::MAX_REQUEST_ID + 1);
    let longest = "y".repeat(fairpanel::observe::MAX_REQUEST_ID);
    let r = request(
        srv.addr,
        "GET",
        "/healthz",
        &[("X-Request-Id", &longest)],
        None,
    )
    .await;
    assert_eq!(header(&r.headers, "x-request-id"), Some(longest.as_str()));
    for bad in ["", "two words", "名字", long.as_str()] {
        let r = request(srv.addr, "GET", "/healthz", &[("X-Request-Id", bad)], None).await;
        let id = header(&r.headers, "x-request-id").unwrap();
        assert_ne!(id, bad);
        assert_eq!(id.len(), 32, "{bad:?} replaced by {id}");
    }
}

/// `serve --log-format json` writes only JSON lines; each access line carries
/// the request id (the proxy's when given), the route template and the status;
/// after a login with the password and requests with the session cookie, the
/// bearer token and a query string, none of them is in the log. A format other
/// than text or json is refused by name. `--metrics-listen` serves `/metrics`.
#[test]
fn json_logs_carry_the_request_id_and_no_cookie_token_or_password() {
    let dir = tempfile::tempdir().unwrap();
    let o = fairpanel(dir.path(), &["serve", "--log-format", "xml"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("log format \"xml\" must be text or json"),
        "{}",
        stderr(&o)
    );

    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_fairpanel"))
        .args([
            "serve",
            "--listen",
            "127.0.0.1:0",
            "--log-format",
            "json",
            "--metrics-listen",
            "127.0.0.1:0",
        ])
        .env("DATABASE_URL", "sqlite:fp.sqlite")
        .env("RUST_LOG", "info")
        .current_dir(dir.path())
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let out = child.stdout.take().unwrap();
    let err = child.stderr.take().unwrap();
    let log = std::thread::spawn(move || {
        BufReader::new(err)
            .lines()
            .map_while(Result::ok)
            .collect::<Vec<_>>()
    });
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(out).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    let (mut addr, mut password, mut metrics) = (None, None, None);
    while addr.is_none() || metrics.is_none() {
        let line = rx
            .recv_timeout(std::time::Duration::from_secs(60))
            .expect("serve did not listen within a minute");
        if let Some(pw) = line.split("one-time password ").nth(1) {
            password = Some(pw.trim().to_string());
        }
        if let Some(a) = line.strip_prefix("fairpanel listening on http://") {
            addr = Some(a.trim().parse::<std::net::SocketAddr>().unwrap());
        }
        if let Some(a) = line.strip_prefix("fairpanel metrics on http://") {
            let a = a.trim().strip_suffix("/metrics").unwrap();
            metrics = Some(a.parse::<std::net::SocketAddr>().unwrap());
        }
    }
    let (addr, password) = (addr.unwrap(), password.expect("the admin's password"));
    let metrics = metrics.unwrap();
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let (token, cookie) = rt.block_on(async {
        let r = request(
            addr,
            "POST",
            "/api/v1/auth/login",
            &[("X-Request-Id", "login-from-proxy-1")],
            Some(&json!({"username": "admin", "password": password})),
        )
        .await;
        let token = super::http::token(&r);
        let cookie = header(&r.headers, "set-cookie")
            .expect("a session cookie")
            .split(';')
            .next()
            .unwrap()
            .to_string();
        assert!(cookie.contains(&token), "{cookie}");
        let bearer = format!("Bearer {token}");
        let r = request(
            addr,
            "GET",
            "/api/v1/provinces/440000/rounds?secret=query-value-77",
            &[("Authorization", &bearer)],
            None,
        )
        .await;
        assert!(r.status < 500, "{}", r.body);
        let r = request(addr, "GET", "/", &[("Cookie", &cookie)], None).await;
        assert!(r.status < 500, "{}", r.body);
        // A wrong password, too: its refusal is logged without the attempt.
        let r = login(addr, "admin", "wrong-password-guess-9").await;
        assert_eq!(r.status, 401);
        // `--metrics-listen` serves the metrics, which counted the login.
        let m = scrape(metrics).await;
        assert_eq!(
            sample(&m, "fairpanel_http_requests_total{method=\"POST\",route=\"/api/v1/auth/login\",status=\"2xx\"}"),
            Some(1.0),
            "{m}"
        );
        assert_eq!(sample(&m, "fairpanel_sessions_active{kind=\"session\"}"), Some(1.0), "{m}");
        (token, cookie)
    });
    let _ = child.kill();
    let _ = child.wait();
    let lines = log.join().unwrap();
    let mut access = Vec::new();
    for l in &lines {
        let v: Value =
            serde_json::from_str(l).unwrap_or_else(|e| panic!("not a JSON line ({e}): {l}"));
        if v["target"] == "fairpanel::access" {
            access.push(v);
        }
    }
    let login_line = access
        .iter()
        .find(|v| v["span"]["request_id"] == "login-from-proxy-1")
        .unwrap_or_else(|| panic!("no access line with the proxy's id in {lines:#?}"));
    assert_eq!(login_line["fields"]["route"], "/api/v1/auth/login");
    assert_eq!(login_line["fields"]["method"], "POST");
    assert_eq!(login_line["fields"]["status"], 200);
    assert!(login_line["fields"]["latency_ms"].is_number());
    assert!(access.len() >= 4, "{lines:#?}");
    for v in &access {
        let id = v["span"]["request_id"].as_str().unwrap();
        assert!(!id.is_empty());
    }
    assert!(
        access
            .iter()
            .any(|v| v["fields"]["route"] == "/api/v1/provinces/{province}/rounds"),
        "{lines:#?}"
    );
    let all = lines.join("\n");
    for secret in [
        password.as_str(),
        token.as_str(),
        cookie.as_str(),
        "query-value-77",
        "wrong-password-guess-9",
    ] {
        assert!(!all.contains(secret), "{secret} in the log:\n{all}");
    }
}
