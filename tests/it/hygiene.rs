//! Input hygiene through HTTP, on both backends: free text with hidden or
//! look-alike characters refused (and stored in NFC otherwise), usernames
//! limited to what cannot look like another, guessable passwords refused, a
//! one-time password good for nothing but its own change, and an XLSX zip
//! bomb refused before it is parsed.

use super::backends;
use super::http::{CHOSEN_PW, login, request, start, token, token_for, upload};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

const BASE: &str = "/api/v1/provinces/440000";

fn bearer(t: &str) -> String {
    format!("Bearer {t}")
}

fn error_of(body: &str) -> String {
    let v: Value = serde_json::from_str(body).unwrap_or_else(|_| panic!("{body}"));
    v["error"].as_str().unwrap_or_default().to_string()
}

/// Every byte but ASCII letters and digits percent-encoded, for a form body.
fn form_value(v: &str) -> String {
    v.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// The pages' anti-forgery token of a session (as `Caller::csrf` derives it).
fn csrf(token: &str) -> String {
    let mut h = Sha256::new();
    h.update(b"fairpanel/csrf\0");
    h.update(Sha256::digest(token.as_bytes()));
    hex::encode(&h.finalize()[..16])
}

#[tokio::test]
async fn free_text_with_hidden_or_look_alike_characters_is_refused_and_kept_in_nfc() {
    for db in backends::all().await {
        let srv = start(&db.url).await;
        let gd = bearer(&token_for(&srv, "gd-coord", "coordinator", Some("440000")).await);
        let open = |title: &str| {
            let body = json!({"year": 2026, "kind": "studio", "title": title});
            let gd = gd.clone();
            async move {
                request(
                    srv.addr,
                    "POST",
                    &format!("{BASE}/rounds"),
                    &[("Authorization", &gd)],
                    Some(&body),
                )
                .await
            }
        };
        for (title, error) in [
            (
                "2026 Round\u{202E}dnuoR",
                "title contains a control or invisible character (U+202E); remove it",
            ),
            (
                "2026\u{0}Round",
                "title contains a control or invisible character (U+0000); remove it",
            ),
            (
                "Ad\u{200B}min round",
                "title contains a control or invisible character (U+200B); remove it",
            ),
            (
                "Guangdong R\u{43E}und",
                "title has a word that mixes Latin letters with look-alike letters of another script (R\u{43E}und); retype it",
            ),
        ] {
            let r = open(title).await;
            assert_eq!(
                (r.status, error_of(&r.body)),
                (400, error.to_string()),
                "{}",
                db.name
            );
        }
        // Chinese mixed with Latin words and digits is ordinary; text is kept in NFC.
        let r = open("广东省 2026 Round").await;
        assert_eq!(r.status, 201, "{}: {}", db.name, r.body);
        let r = open("Cafe\u{301} 2026").await;
        assert_eq!(r.status, 201, "{}", r.body);
        let rounds = request(
            srv.addr,
            "GET",
            &format!("{BASE}/rounds"),
            &[("Authorization", &gd)],
            None,
        )
        .await;
        let v: Value = serde_json::from_str(&rounds.body).unwrap();
        let titles: Vec<&str> = v
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["title"].as_str().unwrap())
            .collect();
        assert_eq!(
            titles.len(),
            2,
            "nothing refused was stored: {titles:?} ({})",
            db.name
        );
        assert!(titles.contains(&"广东省 2026 Round"), "{titles:?}");
        assert!(
            titles.contains(&"Caf\u{e9} 2026"),
            "stored in NFC: {titles:?}"
        );

        // An API token's label.
        let r = request(
            srv.addr,
            "POST",
            "/api/v1/auth/tokens",
            &[("Authorization", &gd)],
            Some(&json!({"label": "nightly\u{7}export"})),
        )
        .await;
        assert_eq!(r.status, 400, "{}", r.body);
        assert!(
            error_of(&r.body).starts_with("label contains"),
            "{}",
            r.body
        );

        // A roster record given as JSON follows the import's rules: the
        // problem is named with its column.
        let mut record = serde_json::to_value(&fairpanel::demo::synthetic_records(1)[0]).unwrap();
        record["organisation"] = json!("广东\u{2066}技师学院");
        let r = request(
            srv.addr,
            "POST",
            &format!("{BASE}/experts"),
            &[("Authorization", &gd)],
            Some(&record),
        )
        .await;
        assert_eq!(r.status, 422, "{}: {}", db.name, r.body);
        assert!(
            r.body.contains("U+2066") && r.body.contains("organisation"),
            "{}",
            r.body
        );
    }
}

#[tokio::test]
async fn usernames_are_lower_case_ascii_so_no_look_alike_account_can_be_made() {
    for db in backends::all().await {
        let srv = start(&db.url).await;
        let admin = bearer(&token_for(&srv, "root", "admin", None).await);
        let make = |username: &str| {
            let body = json!({"username": username, "role": "coordinator", "province": "440000"});
            let admin = admin.clone();
            async move {
                request(
                    srv.addr,
                    "POST",
                    "/api/v1/accounts",
                    &[("Authorization", &admin)],
                    Some(&body),
                )
                .await
            }
        };
        assert_eq!(make("gd-admin").await.status, 200, "{}", db.name);
        for look_alike in [
            "gd-\u{430}dmin",   // Cyrillic а
            "gd-\u{FF41}dmin",  // fullwidth ａ
            "GD-admin",         // another case
            "gd-ad\u{200B}min", // a zero-width space
            "gd-admin\u{202E}", // a right-to-left override
            "gd admin",
        ] {
            let r = make(look_alike).await;
            assert_eq!(r.status, 400, "{look_alike:?}: {}", r.body);
            assert_eq!(
                error_of(&r.body),
                "username must be 1 to 64 of a-z 0-9 . - _, beginning with a letter or digit"
            );
        }
        assert_eq!(make("gd-admin").await.status, 409, "the one name is taken");
    }
}

/// A one-time password (the first admin's, or one `admin reset-password`
/// prints) signs in once: that sign-in uses it up, so a second one is refused
/// at once; until the person sets their own password the API answers nothing
/// but the change (and sign-out, and who am I), the pages send the person to
/// the password page, and a guessable new password is refused with the reason.
#[tokio::test]
async fn a_one_time_password_opens_only_its_own_change_and_works_once() {
    for db in backends::all().await {
        let srv = start(&db.url).await;
        let once = fairpanel::accounts::random_password();
        assert!(
            fairpanel::accounts::create(
                &srv.state.store,
                "gd-sup",
                &once,
                "supervisor",
                Some("440000"),
                1
            )
            .await
            .unwrap()
        );
        let t = token(&login(srv.addr, "gd-sup", &once).await);
        assert_eq!(
            login(srv.addr, "gd-sup", &once).await.status,
            401,
            "{}: the first sign-in used the one-time password up",
            db.name
        );
        let auth = bearer(&t);
        let get = |path: &'static str| {
            let auth = auth.clone();
            async move { request(srv.addr, "GET", path, &[("Authorization", &auth)], None).await }
        };
        for path in [BASE, "/api/v1/provinces/440000/rounds"] {
            let r = get(path).await;
            assert_eq!(r.status, 403, "{}: {path}: {}", db.name, r.body);
            assert_eq!(
                error_of(&r.body),
                "this account still has its one-time password: change it first (POST /api/v1/auth/password)"
            );
        }
        let r = request(
            srv.addr,
            "POST",
            "/api/v1/auth/tokens",
            &[("Authorization", &auth)],
            Some(&json!({"label": "x"})),
        )
        .await;
        assert_eq!(r.status, 403, "no API token around the change: {}", r.body);
        assert_eq!(get("/api/v1/me").await.status, 200);
        // The pages send the person to the password page, whatever they ask for.
        let cookie = format!("fairpanel_session={t}");
        let page = request(srv.addr, "GET", "/p/440000", &[("Cookie", &cookie)], None).await;
        assert!(
            (300..400).contains(&page.status) && page.headers.contains("location: /password"),
            "{} {}",
            page.status,
            page.headers
        );
        // A guessable new password is refused, saying why.
        let change = |new: &str| {
            let body = json!({"old_password": once, "new_password": new});
            let auth = auth.clone();
            async move {
                request(
                    srv.addr,
                    "POST",
                    "/api/v1/auth/password",
                    &[("Authorization", &auth)],
                    Some(&body),
                )
                .await
            }
        };
        let r = change("password1234").await;
        assert_eq!(r.status, 400, "{}", r.body);
        assert_eq!(
            error_of(&r.body),
            "the new password is too easy to guess: This is a very common password. Add another word or two. Uncommon words are better."
        );
        let r = change("Qwertyuiop123").await;
        assert_eq!(r.status, 400, "{}", r.body);
        assert!(error_of(&r.body).starts_with("the new password is too easy to guess: "));
        assert_eq!(
            get(BASE).await.status,
            403,
            "still one-time after a refusal"
        );
        let r = change(CHOSEN_PW).await;
        assert_eq!(r.status, 200, "{}", r.body);
        assert_eq!(get(BASE).await.status, 200, "{}", db.name);
        assert_eq!(
            login(srv.addr, "gd-sup", &once).await.status,
            401,
            "used once"
        );
        assert_eq!(login(srv.addr, "gd-sup", CHOSEN_PW).await.status, 200);
    }
}

#[tokio::test]
async fn the_pages_show_hygiene_and_password_refusals_in_chinese() {
    let db = backends::sqlite();
    let srv = start(&db.url).await;
    let t = token_for(&srv, "gd-coord", "coordinator", Some("440000")).await;
    let cookie = format!("fairpanel_session={t}");
    let post = |path: &'static str, form: String| {
        let cookie = cookie.clone();
        async move {
            let r = super::http::send(
                srv.addr,
                "POST",
                path,
                &[
                    ("Cookie", &cookie),
                    ("Origin", "http://test"),
                    ("Content-Type", "application/x-www-form-urlencoded"),
                ],
                form.as_bytes(),
                false,
            )
            .await;
            (r.status, String::from_utf8(r.body).unwrap())
        }
    };
    let form = format!(
        "csrf={}&year=2026&kind=studio&title={}",
        csrf(&t),
        form_value("广东省\u{202E}2026")
    );
    let (status, page) = post("/p/440000/rounds", form).await;
    assert_eq!(status, 400, "{page}");
    assert!(
        page.contains("名称含有控制字符或不可见字符（U+202E），请删除"),
        "{page}"
    );
    let form = format!(
        "csrf={}&old={}&new={}&again={}",
        csrf(&t),
        form_value("pw-gd-coord-long-enough"),
        form_value("password1234"),
        form_value("password1234")
    );
    let (status, page) = post("/password", form).await;
    assert_eq!(status, 400, "{page}");
    assert!(
        page.contains("新密码太容易被猜中。") && page.contains("这是一个非常常用的密码。"),
        "{page}"
    );
}

/// A workbook whose worksheet XML is `mib` MiB of one repeated byte: about
/// a thousandth of that compressed. Written in 1 MiB pieces.
fn zip_bomb(mib: usize) -> Vec<u8> {
    use std::io::Write;
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let deflated = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .large_file(true);
    w.start_file("[Content_Types].xml", deflated).unwrap();
    w.write_all(br#"<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>"#)
        .unwrap();
    w.start_file("xl/worksheets/sheet1.xml", deflated).unwrap();
    let piece = vec![b'<'; 1024 * 1024];
    for _ in 0..mib {
        w.write_all(&piece).unwrap();
    }
    w.finish().unwrap().into_inner()
}

#[tokio::test]
async fn an_xlsx_zip_bomb_is_refused_naming_the_limit() {
    let bomb = zip_bomb(400);
    assert!(bomb.len() < 1024 * 1024, "{}", bomb.len());
    for db in backends::all().await {
        let srv = start(&db.url).await;
        let gd = bearer(&token_for(&srv, "gd-coord", "coordinator", Some("440000")).await);
        let round = request(
            srv.addr,
            "POST",
            &format!("{BASE}/rounds"),
            &[("Authorization", &gd)],
            Some(&json!({"year": 2026, "kind": "studio", "title": "第一轮"})),
        )
        .await;
        assert_eq!(round.status, 201, "{}", round.body);
        let rid = serde_json::from_str::<Value>(&round.body).unwrap()["id"]
            .as_i64()
            .unwrap();
        for path in [
            format!("{BASE}/experts/import?format=xlsx"),
            format!("{BASE}/rounds/{rid}/applications/import?format=xlsx"),
        ] {
            let r = upload(srv.addr, &path, &gd, &bomb).await;
            assert_eq!(r.status, 422, "{}: {path}: {}", db.name, r.body);
            assert!(
                r.body.contains(
                    "the part xl/worksheets/sheet1.xml of the XLSX file decompresses to more than the limit of 32 MiB"
                ),
                "{}",
                r.body
            );
        }
        let experts = request(
            srv.addr,
            "GET",
            &format!("{BASE}/experts"),
            &[("Authorization", &gd)],
            None,
        )
        .await;
        let v: Value = serde_json::from_str(&experts.body).unwrap();
        assert_eq!(v.as_array().map(Vec::len), Some(0), "nothing imported");
    }
}
