//! Secrecy tested for every secret the database holds, not only names: for a draw
//! committed, revealed (with a decline) and disclosed, every public response
//! (the public pages and the live stream too), the bundle and the record sheet are searched for the operator's secret, every
//! member's expert id, name, organisation and salts, each until the step that
//! may publish it (and the members never disclosed, for ever). Passwords and
//! session tokens are stored only hashed.

use super::draws::{Api, app, setup};
use super::http::{login, request, token_for};
use super::*;
use fairpanel::store::Store;
use fairpanel_core::entry::Opening;
use serde_json::json;
use std::collections::BTreeSet;

/// What the database keeps about a draw.
struct Kept {
    secret: String,
    /// The draw's secret tag key (ECVRF), hex: never published.
    tag_secret: String,
    openings: Vec<Opening>,
    /// Pool indexes ever published as seated or alternate.
    named: BTreeSet<usize>,
}

async fn kept(store: &Store, id: &str) -> Kept {
    const SQL: &str = "SELECT d.secret, p.openings, d.panel, d.alternates, d.ever, d.tag_secret FROM draws d JOIN draw_pools p ON p.draw_id = d.id WHERE d.id = $1";
    type Row = (Vec<u8>, Vec<u8>, String, String, String, Vec<u8>);
    let r: Row = match store {
        Store::Sqlite(p) => sqlx::query_as(SQL).bind(id).fetch_one(p).await.unwrap(),
        Store::Postgres(p) => sqlx::query_as(SQL).bind(id).fetch_one(p).await.unwrap(),
    };
    let mut named = BTreeSet::new();
    for list in [&r.2, &r.3, &r.4] {
        let idx: Vec<usize> = serde_json::from_str(list).unwrap();
        named.extend(idx);
    }
    Kept {
        secret: hex::encode(&r.0),
        tag_secret: hex::encode(&r.5),
        openings: serde_json::from_slice(&r.1).unwrap(),
        named,
    }
}

/// Every public response about the draw, its bundle, and its record sheet.
async fn published(coord: &Api<'_>, id: &str) -> String {
    let addr = coord.srv.addr;
    let mut all = String::new();
    for path in [
        "/api/v1/public/draws".to_string(),
        format!("/api/v1/public/draws/{id}/bundle"),
        "/api/v1/public/entries?start=0".to_string(),
        "/api/v1/public/checkpoint".to_string(),
        "/api/v1/public/key".to_string(),
    ] {
        let r = request(addr, "GET", &path, &[], None).await;
        assert_eq!(r.status, 200, "{path}: {}", r.body);
        all.push_str(&r.body);
    }
    // The public pages, in both languages, and the draw's live stream.
    for path in [
        "/public/draws".to_string(),
        format!("/public/draws?province={}", &id[..6]),
        format!("/public/draws/{id}"),
        "/public/log".to_string(),
        format!("/public/verify?draw={id}"),
    ] {
        for lang in ["zh-CN", "en"] {
            let r = request(addr, "GET", &path, &[("Accept-Language", lang)], None).await;
            assert_eq!(r.status, 200, "{path}: {}", r.body);
            all.push_str(&r.body);
        }
    }
    let did = fairpanel_core::types::DrawId::try_from(id.to_string()).unwrap();
    let last = coord.srv.state.workflow().entries(&did).await.unwrap();
    let last = last.last().unwrap().seq;
    let mut s = super::public::Stream::open(addr, &format!("/public/draws/{id}/events"), &[]).await;
    assert!(
        s.until(std::time::Duration::from_secs(10), |t| {
            super::public::event_ids(t).contains(&last)
        })
        .await,
        "the stream of {id}: {}",
        s.text
    );
    all.push_str(&s.text);
    let auth = format!("Bearer {}", coord.token);
    let sheet = request(
        addr,
        "GET",
        &format!("/api/v1/provinces/440000/draws/{id}/record"),
        &[("Authorization", &auth)],
        None,
    )
    .await;
    assert_eq!(sheet.status, 200);
    all.push_str(&sheet.body);
    all
}

/// Which of `secrets` (labelled) appear in `text`.
fn found<'a>(text: &str, secrets: impl IntoIterator<Item = (&'a str, String)>) -> Vec<String> {
    secrets
        .into_iter()
        .filter(|(_, s)| text.contains(s.as_str()))
        .map(|(what, s)| format!("{what} {s}"))
        .collect()
}

/// Every member's identity and salts, labelled.
fn identities(openings: &[Opening], which: impl Fn(usize) -> bool) -> Vec<(&'static str, String)> {
    openings
        .iter()
        .enumerate()
        .filter(|(i, _)| which(*i))
        .flat_map(|(_, o)| {
            [
                ("expert id", o.expert.clone()),
                ("name", o.name.clone()),
                ("salt", o.salt.to_hex()),
            ]
        })
        .collect()
}

#[tokio::test]
async fn no_secret_the_database_keeps_is_published_before_its_time() {
    for db in backends::all().await {
        let srv = setup(&db.url).await;
        let coord = Api {
            srv: &srv,
            token: token_for(&srv, "gd-coord", "coordinator", Some("440000")).await,
        };
        let base = "/api/v1/provinces/440000";
        let rid = coord.open_round("base_new", "评审").await;
        let (st, v) = coord
            .post(
                &format!("{base}/rounds/{rid}/applications"),
                app("A1", "甲单位"),
            )
            .await;
        assert_eq!(st, 201, "{v}");
        // A draw voided before its reveal: its secret is never opened.
        let (st, d) = coord
            .post(
                &format!("{base}/rounds/{rid}/draws"),
                json!({"title": "作废", "panel": 5, "alternates": 2, "beacon": {"mode": "none"}, "entropy_window": 0}),
            )
            .await;
        assert_eq!(st, 201, "{d}");
        let voided = d["id"].as_str().unwrap().to_string();
        let (st, v) = coord
            .post(
                &format!("{base}/draws/{voided}/void"),
                json!({"reason": "重新抽取"}),
            )
            .await;
        assert_eq!(st, 200, "{v}");
        let kv = kept(&srv.state.store, &voided).await;
        let (st, d) = coord
            .post(
                &format!("{base}/rounds/{rid}/draws"),
                json!({"title": "抽取", "panel": 5, "alternates": 2, "beacon": {"mode": "none"}, "entropy_window": 0}),
            )
            .await;
        assert_eq!(st, 201, "{d}");
        let id = d["id"].as_str().unwrap().to_string();
        let draw = format!("{base}/draws/{id}");

        // Committed: nothing at all.
        let k = kept(&srv.state.store, &id).await;
        assert!(k.openings.len() >= 300, "{} members", k.openings.len());
        let orgs: BTreeSet<String> = k.openings.iter().map(|o| o.org.clone()).collect();
        assert_eq!(k.tag_secret.len(), 64, "the draw keeps its tag key");
        let before_disclosure = || {
            let mut s = identities(&k.openings, |_| true);
            s.extend(orgs.iter().map(|o| ("organisation", o.clone())));
            s.push(("tag secret key", k.tag_secret.clone()));
            s
        };
        let text = published(&coord, &id).await;
        let mut leaks = found(&text, before_disclosure());
        leaks.extend(found(&text, [("operator secret", k.secret.clone())]));
        assert!(
            leaks.is_empty(),
            "{}: committed draw publishes {leaks:?}",
            db.name
        );

        // Revealed, and a seat declined: the secret is out, no one is named.
        // A beacon-less draw needs at least one supervisor's contribution.
        srv.state
            .workflow()
            .contribute(
                &fairpanel_core::types::Province::try_from(&id[..6]).unwrap(),
                &id,
                "supervisor-test",
                fairpanel_core::Hash32([0x5c; 32]),
            )
            .await
            .unwrap_or_else(|e| panic!("contribution: {e:?}"));
        srv.state.clock.advance(1);
        let (st, v) = coord.post(&format!("{draw}/reveal"), json!({})).await;
        assert_eq!(st, 200, "{v}");
        let (_, d) = coord.get(&draw).await;
        let who = d["panel"][0]["expert_id"].as_str().unwrap().to_string();
        let (st, v) = coord
            .post(
                &format!("{draw}/declines"),
                json!({"expert_id": who, "reason": "illness"}),
            )
            .await;
        assert_eq!(st, 200, "{v}");
        let text = published(&coord, &id).await;
        assert!(text.contains(&k.secret), "the reveal opens the secret");
        let leaks = found(&text, before_disclosure());
        assert!(
            leaks.is_empty(),
            "{}: revealed draw publishes {leaks:?}",
            db.name
        );

        // Disclosed: the members seated at any time and the alternates are
        // named; the rest of the pool never is.
        let (st, v) = coord
            .post(
                &format!("{base}/rounds/{rid}/advance"),
                json!({"to": "scoring"}),
            )
            .await;
        assert_eq!(st, 200, "{v}");
        super::scoring::score_everything(&coord, rid, &id).await;
        let (st, v) = coord
            .post(
                &format!("{base}/rounds/{rid}/advance"),
                json!({"to": "closed"}),
            )
            .await;
        assert_eq!(st, 200, "{v}");
        let (st, v) = coord.post(&format!("{draw}/disclose"), json!({})).await;
        assert_eq!(st, 200, "{v}");
        let k = kept(&srv.state.store, &id).await;
        assert_eq!(
            k.named.len(),
            5 + 2,
            "panel, the replaced member, one alternate left"
        );
        let text = published(&coord, &id).await;
        let leaks = found(&text, [("tag secret key", k.tag_secret.clone())]);
        assert!(
            leaks.is_empty(),
            "{}: disclosure publishes {leaks:?}",
            db.name
        );
        let opened = found(&text, identities(&k.openings, |i| k.named.contains(&i)));
        assert_eq!(
            opened.len(),
            3 * k.named.len(),
            "every named member is opened: {opened:?}"
        );
        let leaks = found(&text, identities(&k.openings, |i| !k.named.contains(&i)));
        assert!(leaks.is_empty(), "{}: disclosure opens {leaks:?}", db.name);

        // The voided draw, at the end: its secret and its per-draw salts never
        // appear (its members are the same people, so names may).
        let text = published(&coord, &voided).await + &published(&coord, &id).await;
        let mut secrets = vec![("voided draw's secret", kv.secret.clone())];
        secrets.extend(
            kv.openings
                .iter()
                .map(|o| ("voided draw's salt", o.salt.to_hex())),
        );
        secrets.push(("voided draw's tag secret key", kv.tag_secret.clone()));
        let leaks = found(&text, secrets);
        assert!(
            leaks.is_empty(),
            "{}: the voided draw publishes {leaks:?}",
            db.name
        );
    }
}

#[tokio::test]
async fn passwords_and_session_tokens_are_stored_only_hashed() {
    for db in backends::all().await {
        let srv = setup(&db.url).await;
        let pw = "a-password-long-enough-9";
        assert!(
            fairpanel::accounts::create_chosen(
                &srv.state.store,
                "gd-x",
                pw,
                "coordinator",
                Some("440000"),
                None,
                1
            )
            .await
            .unwrap()
        );
        let r = login(srv.addr, "gd-x", pw).await;
        let token = super::http::token(&r);
        type Rows = Vec<(String,)>;
        type Blobs = Vec<(Vec<u8>,)>;
        let (hashes, tokens): (Rows, Blobs) = match &srv.state.store {
            Store::Sqlite(p) => (
                sqlx::query_as("SELECT password_hash FROM accounts")
                    .fetch_all(p)
                    .await
                    .unwrap(),
                sqlx::query_as("SELECT token_hash FROM sessions")
                    .fetch_all(p)
                    .await
                    .unwrap(),
            ),
            Store::Postgres(p) => (
                sqlx::query_as("SELECT password_hash FROM accounts")
                    .fetch_all(p)
                    .await
                    .unwrap(),
                sqlx::query_as("SELECT token_hash FROM sessions")
                    .fetch_all(p)
                    .await
                    .unwrap(),
            ),
        };
        assert!(!hashes.is_empty() && !tokens.is_empty());
        for (h,) in &hashes {
            assert!(h.starts_with("$argon2id$"), "{h}");
            assert!(!h.contains(pw));
        }
        for (t,) in &tokens {
            assert_eq!(t.len(), 32, "a 32-byte hash");
            let shown = String::from_utf8_lossy(t);
            assert!(t.as_slice() != token.as_bytes() && !shown.contains(&token));
            assert!(!hex::encode(t).contains(&token.to_ascii_lowercase()));
        }
        // The token works, so it is the one whose hash was stored.
        let me = request(
            srv.addr,
            "GET",
            "/api/v1/me",
            &[("Authorization", &format!("Bearer {token}"))],
            None,
        )
        .await;
        assert_eq!(me.status, 200);
    }
}
