//! Issue 12, item 3: accounts that cannot be twinned. The attack as it was
//! reported — a coordinator makes a second account linked to a panel expert,
//! or keeps the password of the account they made, and acts in the expert's
//! name — tried step by step, each step refused, on both backends.

use super::backends;
use super::draws::{Api, setup};
use super::http::{CHOSEN_PW, login, request, token, token_for};
use serde_json::{Value, json};

const GD: &str = "440000";
const JS: &str = "320000";

fn error_of(v: &Value) -> &str {
    v["error"].as_str().unwrap_or_default()
}

/// Opens `code` choosing `password`: the status and body.
async fn activate(srv: &super::http::Server, code: &str, password: &str) -> (u16, Value) {
    let r = request(
        srv.addr,
        "POST",
        "/api/v1/auth/activate",
        &[],
        Some(&json!({"code": code, "password": password})),
    )
    .await;
    (
        r.status,
        serde_json::from_str(&r.body).unwrap_or(Value::Null),
    )
}

async fn linked_accounts(srv: &super::http::Server, expert: &str) -> i64 {
    let (n,): (i64,) = fairpanel::with_pool!(&srv.state.store, p => sqlx::query_as(
        "SELECT COUNT(*) FROM accounts WHERE province = $1 AND expert_id = $2")
        .bind(GD)
        .bind(expert)
        .fetch_one(p)
        .await
        .unwrap());
    n
}

#[tokio::test]
async fn the_twin_account_attack_is_refused_step_by_step() {
    for db in backends::all().await {
        let srv = setup(&db.url).await;
        let api = |t: String| Api {
            srv: &srv,
            token: t,
        };
        let admin = api(token_for(&srv, "root", "admin", None).await);
        let coord = api(token_for(&srv, "gd-coord", "coordinator", Some(GD)).await);
        let gd_sup = api(token_for(&srv, "gd-sup", "supervisor", Some(GD)).await);
        let js_coord = api(token_for(&srv, "js-coord", "coordinator", Some(JS)).await);
        let js_sup = api(token_for(&srv, "js-sup", "supervisor", Some(JS)).await);
        let (_, roster) = admin.get(&format!("/api/v1/provinces/{GD}/experts")).await;
        let ids: Vec<String> = roster
            .as_array()
            .unwrap()
            .iter()
            .take(3)
            .map(|e| e["expert_id"].as_str().unwrap().to_string())
            .collect();
        let (e1, e2, e3) = (&ids[0], &ids[1], &ids[2]);

        // The coordinator makes the expert's account: an activation code, no password.
        let before = fairpanel::serve::now();
        let (st, made) = coord
            .post(
                "/api/v1/accounts",
                json!({"username": "gd-e1", "role": "expert", "province": GD, "expert_id": e1}),
            )
            .await;
        assert_eq!(st, 200, "{}: {made}", db.name);
        let code = made["activation_code"].as_str().unwrap().to_string();
        // A link a person can open: on the address the request was made to
        // (no public URL is configured here), not the log's origin line.
        assert_eq!(
            made["activation_url"].as_str().unwrap(),
            format!("http://test/activate?code={code}")
        );
        let expires = made["activation_expires_at"].as_u64().unwrap();
        assert!((before + 72 * 3600..=fairpanel::serve::now() + 72 * 3600).contains(&expires));
        // Only the code's hash is stored.
        let (stored,): (Vec<u8>,) = fairpanel::with_pool!(&srv.state.store, p => sqlx::query_as(
            "SELECT c.code_hash FROM account_activations c JOIN accounts a ON a.id = c.account_id WHERE a.username = 'gd-e1'")
            .fetch_one(p).await.unwrap());
        assert_ne!(stored, code.as_bytes());
        assert_eq!(stored.len(), 32);

        // Step 1: a second account linked to the same expert is refused, by
        // the API and by the database itself.
        let (st, v) = coord
            .post(
                "/api/v1/accounts",
                json!({"username": "gd-e1-twin", "role": "expert", "province": GD, "expert_id": e1}),
            )
            .await;
        assert_eq!(st, 409, "{v}");
        assert_eq!(
            error_of(&v),
            format!("roster entry {e1} already has an account")
        );
        let (st, _) = admin
            .post(
                "/api/v1/accounts",
                json!({"username": "gd-e1-twin2", "role": "expert", "province": GD, "expert_id": e1}),
            )
            .await;
        assert_eq!(st, 409, "not even an admin makes a twin");
        assert!(
            !fairpanel::accounts::create_chosen(
                &srv.state.store,
                "gd-e1-direct",
                CHOSEN_PW,
                "expert",
                Some(GD),
                Some(e1),
                1
            )
            .await
            .unwrap(),
            "{}: the unique index refuses a twin written past the code",
            db.name
        );
        assert_eq!(linked_accounts(&srv, e1).await, 1);

        // Step 2: the coordinator cannot choose the expert's password, and no
        // password opens the account before its person activates it.
        let (st, _) = coord
            .post(
                "/api/v1/accounts",
                json!({"username": "gd-e9", "role": "expert", "province": GD, "password": CHOSEN_PW}),
            )
            .await;
        assert_ne!(st, 200, "no password field");
        // (Wrong passwords are few here: five from one address start the wait.)
        for pw in ["pw-gd-coord-long-enough", "!"] {
            assert_eq!(login(srv.addr, "gd-e1", pw).await.status, 401, "{pw}");
        }
        // Nor can they, or anyone of another province, put a new code on it.
        for (who, status) in [(&js_coord, 404), (&js_sup, 404), (&gd_sup, 403)] {
            let (st, v) = who
                .post("/api/v1/accounts/gd-e1/activation", json!({}))
                .await;
            assert_eq!(st, status, "{v}");
        }

        // The expert activates their account and signs in with their own password.
        let (st, v) = activate(&srv, &code, "short").await;
        assert_eq!(st, 400, "a weak password is refused and the code kept: {v}");
        let (st, v) = activate(&srv, &code, CHOSEN_PW).await;
        assert_eq!((st, v["username"].as_str()), (200, Some("gd-e1")), "{v}");
        let expert = api(token(&login(srv.addr, "gd-e1", CHOSEN_PW).await));
        let (st, me) = expert.get("/api/v1/me").await;
        assert_eq!((st, me["role"].as_str()), (200, Some("expert")));

        // Step 3: the code works once: a second use is refused and changes nothing.
        let (st, v) = activate(&srv, &code, "Another-Horse-Battery-7").await;
        assert_eq!(st, 409);
        assert_eq!(error_of(&v), "this activation code has been used already");
        assert_eq!(login(srv.addr, "gd-e1", CHOSEN_PW).await.status, 200);
        assert_eq!(
            login(srv.addr, "gd-e1", "Another-Horse-Battery-7")
                .await
                .status,
            401
        );
        let (st, v) = activate(&srv, "no-such-code", CHOSEN_PW).await;
        assert_eq!((st, error_of(&v)), (404, "no such activation code"));

        // Step 4: once the expert has activated, the coordinator cannot reset
        // the account to a code of their own; an admin can, which ends the
        // expert's password and sessions.
        let (st, v) = coord
            .post("/api/v1/accounts/gd-e1/activation", json!({}))
            .await;
        assert_eq!(st, 403, "{v}");
        assert_eq!(
            error_of(&v),
            "account gd-e1 is active: only an admin gives it a new activation code"
        );
        assert_eq!(expert.get("/api/v1/me").await.0, 200, "nothing changed");

        // Step 5: an expired code is refused.
        let (st, made2) = coord
            .post(
                "/api/v1/accounts",
                json!({"username": "gd-e2", "role": "expert", "province": GD, "expert_id": e2}),
            )
            .await;
        assert_eq!(st, 200, "{made2}");
        let code2 = made2["activation_code"].as_str().unwrap().to_string();
        // Its 72 hours pass.
        fairpanel::with_pool!(&srv.state.store, p => sqlx::query(
            "UPDATE account_activations SET expires_at = $1 WHERE account_id = (SELECT id FROM accounts WHERE username = 'gd-e2')")
            .bind(fairpanel::serve::now() as i64 - 1)
            .execute(p).await.unwrap().rows_affected());
        let (st, v) = activate(&srv, &code2, CHOSEN_PW).await;
        assert_eq!(st, 409);
        assert_eq!(
            error_of(&v),
            "this activation code has expired; ask for a new one"
        );
        assert_eq!(login(srv.addr, "gd-e2", CHOSEN_PW).await.status, 401);
        // The coordinator may give the not yet activated account a new code;
        // another province's coordinator may not; the old code stays dead.
        let (st, _) = js_coord
            .post("/api/v1/accounts/gd-e2/activation", json!({}))
            .await;
        assert_eq!(st, 404);
        let (st, again) = coord
            .post("/api/v1/accounts/gd-e2/activation", json!({}))
            .await;
        assert_eq!(st, 200, "{again}");
        let code3 = again["activation_code"].as_str().unwrap().to_string();
        assert_ne!(code3, code2);
        assert_eq!(activate(&srv, &code2, CHOSEN_PW).await.0, 409);
        // Two uses at once: exactly one gets through.
        let (a, b) = tokio::join!(
            activate(&srv, &code3, "First-Horse-Battery-1"),
            activate(&srv, &code3, "Second-Horse-Battery-2")
        );
        let mut statuses = [a.0, b.0];
        statuses.sort();
        assert_eq!(statuses, [200, 409], "{}: {a:?} {b:?}", db.name);
        let winner = if a.0 == 200 {
            "First-Horse-Battery-1"
        } else {
            "Second-Horse-Battery-2"
        };
        assert_eq!(login(srv.addr, "gd-e2", winner).await.status, 200);

        // Step 6: a coordinator never makes a supervisor (who watches their
        // draws); an admin does, and a supervisor of the same province does.
        let (st, v) = coord
            .post(
                "/api/v1/accounts",
                json!({"username": "gd-sup2", "role": "supervisor", "province": GD}),
            )
            .await;
        assert_eq!(st, 403);
        assert_eq!(
            error_of(&v),
            "a coordinator creates expert accounts of their own province only"
        );
        for (who, user, role, province, status) in [
            (&gd_sup, "gd-sup3", "supervisor", GD, 200),
            (&admin, "gd-sup4", "supervisor", GD, 200),
            (&gd_sup, "gd-e3", "expert", GD, 403),
            (&gd_sup, "js-sup2", "supervisor", JS, 403),
            (&js_sup, "gd-sup5", "supervisor", GD, 403),
            (&js_coord, "gd-e4", "expert", GD, 403),
            (&expert, "gd-e5", "expert", GD, 403),
        ] {
            let (st, v) = who
                .post(
                    "/api/v1/accounts",
                    json!({"username": user, "role": role, "province": province}),
                )
                .await;
            assert_eq!(st, status, "{}: {user}: {v}", db.name);
        }
        let (st, v) = gd_sup
            .post(
                "/api/v1/accounts",
                json!({"username": "gd-sup6", "role": "supervisor", "province": GD}),
            )
            .await;
        assert_eq!(st, 200);
        assert_eq!(
            error_of(
                &js_sup
                    .post(
                        "/api/v1/accounts",
                        json!({"username": "x-sup", "role": "supervisor", "province": GD})
                    )
                    .await
                    .1
            ),
            "a supervisor creates supervisor accounts of their own province only"
        );
        // Another province's supervisor cannot renew this one's code.
        assert_eq!(
            js_sup
                .post("/api/v1/accounts/gd-sup6/activation", json!({}))
                .await
                .0,
            404
        );
        let sup6 = v["activation_code"].as_str().unwrap();
        assert_eq!(activate(&srv, sup6, CHOSEN_PW).await.0, 200);
        assert_eq!(login(srv.addr, "gd-sup6", CHOSEN_PW).await.status, 200);
        // Another province's coordinator cannot link an account to this
        // province's expert either.
        let (st, _) = js_coord
            .post(
                "/api/v1/accounts",
                json!({"username": "js-e3", "role": "expert", "province": GD, "expert_id": e3}),
            )
            .await;
        assert_eq!(st, 403);
        assert_eq!(linked_accounts(&srv, e3).await, 0);
    }
}

/// A one-time password (the first admin's, one `admin reset-password` prints)
/// signs in once even when two sign-ins race.
#[tokio::test]
async fn a_one_time_password_signs_in_once_even_at_once() {
    for db in backends::all().await {
        let srv = super::http::start(&db.url).await;
        let once = fairpanel::accounts::random_password();
        assert!(
            fairpanel::accounts::create(&srv.state.store, "boot", &once, "admin", None, 1)
                .await
                .unwrap()
        );
        let (a, b) = tokio::join!(
            login(srv.addr, "boot", &once),
            login(srv.addr, "boot", &once)
        );
        let mut statuses = [a.status, b.status];
        statuses.sort();
        assert_eq!(statuses, [200, 401], "{}", db.name);
        assert_eq!(login(srv.addr, "boot", &once).await.status, 401);
    }
}

/// The activation page, Chinese first: the link fills in the code and names
/// the account; the person chooses a password; the used code is refused in
/// the reader's language (English pages show the API's own sentence).
#[tokio::test]
async fn the_activation_page_activates_once_in_chinese_and_english() {
    let db = backends::sqlite();
    let srv = setup(&db.url).await;
    let admin = Api {
        srv: &srv,
        token: token_for(&srv, "root", "admin", None).await,
    };
    let (st, made) = admin
        .post(
            "/api/v1/accounts",
            json!({"username": "gd-c9", "role": "coordinator", "province": GD}),
        )
        .await;
    assert_eq!(st, 200, "{made}");
    let code = made["activation_code"].as_str().unwrap();
    let page = request(
        srv.addr,
        "GET",
        &format!("/activate?code={code}"),
        &[],
        None,
    )
    .await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.body.contains("激活账号") && page.body.contains("gd-c9"));
    let form = format!("code={code}&new={}&again={}", CHOSEN_PW, CHOSEN_PW);
    let post = |lang: &'static str, form: String| async move {
        let r = super::http::send(
            srv.addr,
            "POST",
            "/activate",
            &[
                ("Content-Type", "application/x-www-form-urlencoded"),
                ("Origin", "http://test"),
                ("Cookie", &format!("fairpanel_lang={lang}")),
            ],
            form.as_bytes(),
            false,
        )
        .await;
        super::http::Reply {
            status: r.status,
            headers: r.headers,
            body: String::from_utf8(r.body).unwrap(),
        }
    };
    let r = post("zh", form.clone()).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(r.body.contains("账号已激活"), "{}", r.body);
    assert_eq!(login(srv.addr, "gd-c9", CHOSEN_PW).await.status, 200);
    let r = post("zh", form.clone()).await;
    assert_eq!(r.status, 400);
    assert!(r.body.contains("此激活码已经使用过"), "{}", r.body);
    let r = post("en", form).await;
    assert!(
        r.body
            .contains("this activation code has been used already"),
        "{}",
        r.body
    );
}

/// Migration 0022 on a database that already holds twins: the first account
/// of each roster entry keeps its link; the later ones are unlinked, disabled
/// and signed out; then the database itself refuses a new twin.
#[tokio::test]
async fn migration_0022_keeps_the_first_account_of_a_twinned_expert() {
    use fairpanel::store::{Backend, Store, migrator};
    for db in backends::all().await {
        let backend = if db.name == "sqlite" {
            Backend::Sqlite
        } else {
            Backend::Postgres
        };
        let before = sqlx::migrate::Migrator::with_migrations(
            migrator(backend)
                .migrations
                .iter()
                .filter(|m| m.version < 22)
                .cloned()
                .collect(),
        );
        const ROWS: &str = "INSERT INTO accounts (username, password_hash, role, province, created_at, expert_id) VALUES
            ('first', 'x', 'expert', '440000', 1, 'E1'), ('twin', 'x', 'expert', '440000', 2, 'E1'),
            ('other', 'x', 'expert', '440000', 3, 'E2'), ('js', 'x', 'expert', '320000', 4, 'E1')";
        const SESSION: &str = "INSERT INTO sessions (token_hash, account_id, kind, created_at, expires_at) SELECT $1, id, 'session', 1, 9999999999 FROM accounts WHERE username = 'twin'";
        if backend == Backend::Sqlite {
            let pool = sqlx::sqlite::SqlitePoolOptions::new()
                .connect_with(
                    db.url
                        .parse::<sqlx::sqlite::SqliteConnectOptions>()
                        .unwrap()
                        .create_if_missing(true),
                )
                .await
                .unwrap();
            before.run(&pool).await.unwrap();
            sqlx::query(ROWS).execute(&pool).await.unwrap();
            sqlx::query(SESSION)
                .bind(vec![1u8; 32])
                .execute(&pool)
                .await
                .unwrap();
            pool.close().await;
        } else {
            let pool = sqlx::PgPool::connect(&db.url).await.unwrap();
            before.run(&pool).await.unwrap();
            sqlx::query(ROWS).execute(&pool).await.unwrap();
            sqlx::query(SESSION)
                .bind(vec![1u8; 32])
                .execute(&pool)
                .await
                .unwrap();
            pool.close().await;
        }
        let store = Store::open(&db.url).await.unwrap();
        type Row = (String, Option<String>, bool);
        let rows: Vec<Row> = fairpanel::with_pool!(&store, p => sqlx::query_as(
            "SELECT username, expert_id, disabled_at IS NOT NULL FROM accounts ORDER BY id")
            .fetch_all(p).await.unwrap());
        let want: Vec<Row> = vec![
            ("first".into(), Some("E1".into()), false),
            ("twin".into(), None, true),
            ("other".into(), Some("E2".into()), false),
            ("js".into(), Some("E1".into()), false),
        ];
        assert_eq!(rows, want, "{}", db.name);
        let (live,): (i64,) = fairpanel::with_pool!(&store, p => sqlx::query_as(
            "SELECT COUNT(*) FROM sessions WHERE revoked_at IS NULL")
            .fetch_one(p).await.unwrap());
        assert_eq!(live, 0, "the twin is signed out");
        assert!(
            !fairpanel::accounts::create_chosen(
                &store,
                "twin2",
                CHOSEN_PW,
                "expert",
                Some("440000"),
                Some("E1"),
                5
            )
            .await
            .unwrap()
        );
        store.close().await;
    }
}

/// The province's accounts page: a supervisor makes supervisor accounts there
/// and sees only those; the coordinator's page offers expert accounts only.
#[tokio::test]
async fn a_supervisors_accounts_page_makes_supervisors_and_a_coordinators_experts() {
    use sha2::{Digest, Sha256};
    let db = backends::sqlite();
    let srv = setup(&db.url).await;
    let sup = token_for(&srv, "gd-sup", "supervisor", Some(GD)).await;
    let coord = token_for(&srv, "gd-coord", "coordinator", Some(GD)).await;
    let page = |t: String| async move {
        request(
            srv.addr,
            "GET",
            &format!("/p/{GD}/accounts"),
            &[("Cookie", &format!("fairpanel_session={t}"))],
            None,
        )
        .await
    };
    let r = page(sup.clone()).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(r.body.contains(r#"<option value="supervisor""#));
    assert!(!r.body.contains(r#"<option value="expert""#));
    assert!(r.body.contains("gd-sup") && !r.body.contains("gd-coord"));
    let r = page(coord).await;
    assert!(r.body.contains(r#"<option value="expert""#));
    assert!(!r.body.contains(r#"<option value="supervisor""#));
    // The session's form token, as the pages derive it.
    let mut h = Sha256::new();
    h.update(b"fairpanel/csrf\0");
    h.update(Sha256::digest(sup.as_bytes()));
    let csrf = hex::encode(&h.finalize()[..16]);
    let r = super::http::send(
        srv.addr,
        "POST",
        &format!("/p/{GD}/accounts"),
        &[
            ("Cookie", &format!("fairpanel_session={sup}")),
            ("Origin", "http://test"),
            ("Content-Type", "application/x-www-form-urlencoded"),
        ],
        format!("csrf={csrf}&username=gd-sup2&role=supervisor").as_bytes(),
        false,
    )
    .await;
    let body = String::from_utf8(r.body).unwrap();
    assert_eq!(r.status, 200, "{body}");
    assert!(body.contains(r#"id="made-link""#) && body.contains("/activate?code="));
}
