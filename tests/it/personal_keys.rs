//! Protocol 1.4 through the service, on both backends: in a draw committed
//! with `personal_keys`, supervisors register their own keys and sign their
//! contributions; an unsigned contribution, one signed with another key, one
//! before any registration, the log's own key as a personal key and a second
//! key for one supervisor are refused with a clear error and change nothing;
//! another province's supervisor gets nothing; the bundle verifies, and a
//! draw without `personal_keys` still takes unsigned contributions.

use super::draws::{Api, setup, verify};
use super::http::token_for;
use super::*;
use base64::Engine;
use fairpanel_core::SecretKey;
use fairpanel_core::entry;
use fairpanel_core::hash::Hash32;
use serde_json::json;

const BASE: &str = "/api/v1/provinces/440000";

/// A fresh key for one person (random seed).
pub(super) fn fresh_key() -> SecretKey {
    let mut seed = [0u8; 32];
    getrandom::fill(&mut seed).unwrap();
    SecretKey::from_seed(&seed)
}

pub(super) fn b64(b: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(b)
}

/// The signature a supervisor's browser makes over (commit, value).
fn sign(k: &SecretKey, commit: &str, value: [u8; 32]) -> String {
    let commit = Hash32::from_hex(commit).unwrap();
    b64(&k.sign(&entry::attestation_message(&commit, &Hash32(value))))
}

#[tokio::test]
async fn contributions_are_signed_by_registered_personal_keys() {
    for db in backends::all().await {
        let srv = setup(&db.url).await;
        let coord = Api {
            srv: &srv,
            token: token_for(&srv, "gd-coord", "coordinator", Some("440000")).await,
        };
        let sup1 = Api {
            srv: &srv,
            token: token_for(&srv, "gd-sup1", "supervisor", Some("440000")).await,
        };
        let sup2 = Api {
            srv: &srv,
            token: token_for(&srv, "gd-sup2", "supervisor", Some("440000")).await,
        };
        let js_sup = Api {
            srv: &srv,
            token: token_for(&srv, "js-sup", "supervisor", Some("320000")).await,
        };
        let rid = coord.open_round("base_new", "2026年评审").await;
        let (st, d) = coord
            .post(
                &format!("{BASE}/rounds/{rid}/draws"),
                json!({"title": "抽取", "panel": 5, "alternates": 1, "beacon": {"mode": "none"},
                       "entropy_window": 600, "personal_keys": true}),
            )
            .await;
        assert_eq!(st, 201, "{} {d}", db.name);
        let id = d["id"].as_str().unwrap().to_string();
        let draw = format!("{BASE}/draws/{id}");
        let commit = {
            let b = super::draws::bundle(&srv, &id).await;
            assert!(b.contains("\"personal_keys\":true"), "{b}");
            let bundle: fairpanel_core::bundle::Bundle = serde_json::from_str(&b).unwrap();
            let e = bundle.entries[0].entry.get();
            fairpanel_core::entry::parse(e.as_bytes())
                .unwrap()
                .hash
                .to_hex()
        };
        let (k1, k2, other) = (fresh_key(), fresh_key(), fresh_key());
        let before = super::draws::bundle(&srv, &id).await;

        // Refused, changing nothing: not a key, the log's own key, before
        // registration, unsigned, and another province's supervisor.
        let (st, v) = sup1
            .post(&format!("{draw}/keys"), json!({"key": "not a key"}))
            .await;
        assert_eq!(st, 400, "{v}");
        assert!(v.to_string().contains("base64 Ed25519 public key"), "{v}");
        let log_key = srv.state.key.public().to_base64();
        let (st, v) = sup1
            .post(&format!("{draw}/keys"), json!({"key": log_key}))
            .await;
        assert_eq!(st, 400, "{v}");
        assert!(
            v.to_string().contains("must not be the log's own key"),
            "{v}"
        );
        let value = [1u8; 32];
        let (st, v) = sup1
            .post(
                &format!("{draw}/entropy"),
                json!({"value": hex::encode(value)}),
            )
            .await;
        assert_eq!(st, 400, "{v}");
        assert!(
            v.to_string()
                .contains("requires contributions signed with your personal key"),
            "{v}"
        );
        let (st, v) = sup1
            .post(
                &format!("{draw}/entropy"),
                json!({"value": hex::encode(value), "signature": sign(&k1, &commit, value)}),
            )
            .await;
        assert_eq!(st, 400, "{v}");
        assert!(v.to_string().contains("register your personal key"), "{v}");
        let (st, _) = js_sup
            .post(
                &format!("/api/v1/provinces/320000/draws/{id}/keys"),
                json!({"key": k1.public().to_base64()}),
            )
            .await;
        assert_eq!(
            st, 404,
            "{}: another province's supervisor reaches the draw",
            db.name
        );
        assert_eq!(
            super::draws::bundle(&srv, &id).await,
            before,
            "{}: a refusal changed the log",
            db.name
        );

        // Registered: the answer is the fingerprint (key id).
        let (st, v) = sup1
            .post(
                &format!("{draw}/keys"),
                json!({"key": k1.public().to_base64()}),
            )
            .await;
        assert_eq!(st, 200, "{v}");
        assert_eq!(v["fingerprint"], k1.public().key_id().to_string());
        // A second key for the same supervisor, and the same key for another.
        let (st, v) = sup1
            .post(
                &format!("{draw}/keys"),
                json!({"key": other.public().to_base64()}),
            )
            .await;
        assert_eq!(st, 409, "{v}");
        assert!(
            v.to_string().contains("already has a registered key"),
            "{v}"
        );
        let (st, v) = sup2
            .post(
                &format!("{draw}/keys"),
                json!({"key": k1.public().to_base64()}),
            )
            .await;
        assert_eq!(st, 409, "{v}");
        assert!(v.to_string().contains("already registered"), "{v}");
        let (st, v) = sup2
            .post(
                &format!("{draw}/keys"),
                json!({"key": k2.public().to_base64()}),
            )
            .await;
        assert_eq!(st, 200, "{v}");

        // Signed by the wrong key (another supervisor's, and the log's), refused.
        let mid = super::draws::bundle(&srv, &id).await;
        for wrong in [&k2, &other] {
            let (st, v) = sup1
                .post(
                    &format!("{draw}/entropy"),
                    json!({"value": hex::encode(value), "signature": sign(wrong, &commit, value)}),
                )
                .await;
            assert_eq!(st, 400, "{v}");
            assert!(
                v.to_string()
                    .contains("does not verify with your registered key"),
                "{v}"
            );
        }
        let (st, v) = sup1
            .post(
                &format!("{draw}/entropy"),
                json!({"value": hex::encode(value), "signature": b64(&srv.state.key.sign(
                    &entry::attestation_message(&Hash32::from_hex(&commit).unwrap(), &Hash32(value))))}),
            )
            .await;
        assert_eq!(st, 400, "{v}");
        assert_eq!(
            super::draws::bundle(&srv, &id).await,
            mid,
            "{}: a refusal changed the log",
            db.name
        );

        // Signed by the registered keys: accepted.
        for (api, k, b) in [(&sup1, &k1, 1u8), (&sup2, &k2, 2u8)] {
            let value = [b; 32];
            let (st, v) = api
                .post(
                    &format!("{draw}/entropy"),
                    json!({"value": hex::encode(value), "signature": sign(k, &commit, value)}),
                )
                .await;
            assert_eq!(st, 200, "{} {v}", db.name);
        }
        srv.state.clock.advance(601);
        let (st, v) = coord.post(&format!("{draw}/reveal"), json!({})).await;
        assert_eq!(st, 200, "{v}");
        let b = super::draws::bundle(&srv, &id).await;
        assert_eq!(b.matches("key_registration").count(), 2, "{b}");
        let (code, out) = verify(b.as_bytes()).await;
        assert_eq!(code, 0, "{}: {out}", db.name);
        assert!(
            out.contains(
                "2 signed with the supervisor's own key; personal keys required, 2 registered"
            ),
            "{out}"
        );
    }
}

/// The printed record sheet lists each registered key's fingerprint (and
/// none before registration), so its holder can confirm it on paper; another
/// province's supervisor cannot read the sheet.
#[tokio::test]
async fn the_record_sheet_shows_each_registered_keys_fingerprint() {
    for db in backends::all().await {
        let srv = setup(&db.url).await;
        let coord = Api {
            srv: &srv,
            token: token_for(&srv, "gd-coord", "coordinator", Some("440000")).await,
        };
        let sup = Api {
            srv: &srv,
            token: token_for(&srv, "gd-sup1", "supervisor", Some("440000")).await,
        };
        let js_sup = Api {
            srv: &srv,
            token: token_for(&srv, "js-sup", "supervisor", Some("320000")).await,
        };
        let rid = coord.open_round("base_new", "2026年评审").await;
        let (st, d) = coord
            .post(
                &format!("{BASE}/rounds/{rid}/draws"),
                json!({"title": "抽取", "panel": 5, "alternates": 1, "beacon": {"mode": "none"},
                       "entropy_window": 600, "personal_keys": true}),
            )
            .await;
        assert_eq!(st, 201, "{} {d}", db.name);
        let id = d["id"].as_str().unwrap().to_string();
        let draw = format!("{BASE}/draws/{id}");
        let k = fresh_key();
        let fp = k.public().key_id().to_string();
        let (st, v) = coord.call("GET", &format!("{draw}/record"), None).await;
        let before = v.as_str().unwrap_or_default().to_string();
        assert_eq!(st, 200, "{}", db.name);
        assert!(!before.contains(&fp) && !before.contains("personal-keys"));
        let (st, v) = sup
            .post(
                &format!("{draw}/keys"),
                json!({"key": k.public().to_base64()}),
            )
            .await;
        assert_eq!(st, 200, "{v}");
        let (st, v) = coord.call("GET", &format!("{draw}/record"), None).await;
        let after = v.as_str().unwrap_or_default().to_string();
        assert_eq!(st, 200, "{}", db.name);
        assert!(after.contains("个人密钥"), "{}: {after}", db.name);
        let row = after
            .split("<table id=\"personal-keys\">")
            .nth(1)
            .and_then(|t| t.split("</table>").next())
            .unwrap_or_else(|| panic!("{}: no personal keys table: {after}", db.name));
        assert!(row.contains(&fp) && row.contains("监督人"), "{row}");
        assert!(
            !after.contains(&k.public().to_base64()),
            "the sheet shows the fingerprint, not the key"
        );
        let (st, _) = js_sup
            .call(
                "GET",
                &format!("/api/v1/provinces/320000/draws/{id}/record"),
                None,
            )
            .await;
        assert_eq!(st, 404, "{}: another province reads the sheet", db.name);

        // The pages' form (a pasted `fairpanel keygen` key): another
        // province's supervisor registers nothing, under either prefix; this
        // province's second supervisor registers and the page shows the
        // fingerprint.
        let before = super::draws::bundle(&srv, &id).await;
        let k2 = fresh_key();
        let fp2 = k2.public().key_id().to_string();
        for prefix in ["320000", "440000"] {
            let (st, page) = web_post(
                &srv,
                &js_sup.token,
                &format!("/p/{prefix}/draws/{id}/key"),
                &[("key", &k2.public().to_base64())],
            )
            .await;
            assert!(st == 403 || st == 404, "{}: {prefix}: {st} {page}", db.name);
        }
        assert_eq!(super::draws::bundle(&srv, &id).await, before, "{}", db.name);
        let sup2 = token_for(&srv, "gd-sup2", "supervisor", Some("440000")).await;
        let (st, page) = web_post(
            &srv,
            &sup2,
            &format!("/p/440000/draws/{id}/key"),
            &[("key", &k2.public().to_base64())],
        )
        .await;
        assert_eq!(st, 303, "{}: {page}", db.name);
        let r = super::http::request(
            srv.addr,
            "GET",
            &format!("/p/440000/draws/{id}"),
            &[("Cookie", &format!("fairpanel_session={sup2}"))],
            None,
        )
        .await;
        assert_eq!(r.status, 200);
        assert!(
            r.body
                .contains(&format!("<code id=\"my-key-fingerprint\">{fp2}</code>")),
            "{}: {}",
            db.name,
            r.body
        );
        let (_, v) = coord.call("GET", &format!("{draw}/record"), None).await;
        let sheet = v.as_str().unwrap_or_default();
        assert!(sheet.contains(&fp) && sheet.contains(&fp2), "{sheet}");
    }
}

/// A form post from the pages, with the session's cookie and CSRF token;
/// `fields` are url-encoded here.
pub async fn web_post(
    srv: &super::http::Server,
    token: &str,
    path: &str,
    fields: &[(&str, &str)],
) -> (u16, String) {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    h.update(b"fairpanel/csrf\0");
    h.update(Sha256::digest(token.as_bytes()));
    let csrf = hex::encode(&h.finalize()[..16]);
    let enc = |v: &str| -> String {
        v.bytes()
            .map(|b| {
                if b.is_ascii_alphanumeric() {
                    (b as char).to_string()
                } else {
                    format!("%{b:02X}")
                }
            })
            .collect()
    };
    let mut body = format!("csrf={csrf}");
    for (k, v) in fields {
        body.push_str(&format!("&{k}={}", enc(v)));
    }
    let r = super::http::send(
        srv.addr,
        "POST",
        path,
        &[
            ("Cookie", &format!("fairpanel_session={token}")),
            ("Origin", "http://test"),
            ("Content-Type", "application/x-www-form-urlencoded"),
        ],
        body.as_bytes(),
        false,
    )
    .await;
    (r.status, String::from_utf8_lossy(&r.body).into_owned())
}

/// The coordinator's draw form (issue 12, item 6): ticking "personal keys
/// required" carries through the check-your-answers page (which says so) to
/// the commit, whose entry has `personal_keys: true`; left unticked, the
/// commit has none.
#[tokio::test]
async fn a_draw_made_from_the_form_with_personal_keys_ticked_requires_them() {
    use sha2::{Digest, Sha256};
    for db in backends::all().await {
        let srv = setup(&db.url).await;
        let token = token_for(&srv, "gd-coord", "coordinator", Some("440000")).await;
        let coord = Api {
            srv: &srv,
            token: token.clone(),
        };
        let mut h = Sha256::new();
        h.update(b"fairpanel/csrf\0");
        h.update(Sha256::digest(token.as_bytes()));
        let csrf = hex::encode(&h.finalize()[..16]);
        let post = |path: String, body: String| {
            let token = token.clone();
            let csrf = csrf.clone();
            let srv = &srv;
            async move {
                let r = super::http::send(
                    srv.addr,
                    "POST",
                    &path,
                    &[
                        ("Cookie", &format!("fairpanel_session={token}")),
                        ("Origin", "http://test"),
                        ("Content-Type", "application/x-www-form-urlencoded"),
                    ],
                    format!("csrf={csrf}&{body}").as_bytes(),
                    false,
                )
                .await;
                (r.status, String::from_utf8(r.body).unwrap())
            }
        };
        for ticked in [true, false] {
            let rid = coord.open_round("base_new", "表单抽取评审").await;
            let fields = format!(
                "title=Form+draw&panel=5&alternates=1&beacon=none&window=600{}",
                if ticked { "&personal_keys=1" } else { "" }
            );
            let r = super::http::request(
                srv.addr,
                "GET",
                &format!("/p/440000/rounds/{rid}/draw"),
                &[("Cookie", &format!("fairpanel_session={token}"))],
                None,
            )
            .await;
            assert_eq!(r.status, 200);
            assert!(
                r.body
                    .contains("id=\"personal_keys\" name=\"personal_keys\" value=\"1\"")
                    && r.body.contains("要求个人密钥签名"),
                "{}",
                r.body
            );
            let (st, check) = post(format!("/p/440000/rounds/{rid}/draw"), fields.clone()).await;
            assert_eq!(st, 200, "{check}");
            let shown = if ticked {
                "要求：每份贡献须由监督员本人的密钥签名，每份承诺、回避和评分表须由专家本人的密钥签名"
            } else {
                "不要求"
            };
            assert!(check.contains(shown), "{check}");
            let hidden = format!(
                "name=\"personal_keys\" value=\"{}\"",
                if ticked { "1" } else { "" }
            );
            assert!(check.contains(&hidden), "{check}");
            let (st, done) = post(format!("/p/440000/rounds/{rid}/draw/commit"), fields).await;
            assert_eq!(st, 200, "{done}");
            let id = done
                .split("/p/440000/draws/")
                .nth(1)
                .and_then(|s| s.split('"').next())
                .unwrap_or_else(|| panic!("no draw link: {done}"))
                .to_string();
            let b = super::draws::bundle(&srv, &id).await;
            let bundle: fairpanel_core::bundle::Bundle = serde_json::from_str(&b).unwrap();
            let commit = bundle
                .entries
                .iter()
                .find_map(
                    |e| match entry::parse(e.entry.get().as_bytes()).unwrap().body {
                        entry::Body::Commit(c) => Some(c),
                        _ => None,
                    },
                )
                .unwrap();
            assert_eq!(commit.personal_keys, ticked, "{} {b}", db.name);
        }
    }
}
