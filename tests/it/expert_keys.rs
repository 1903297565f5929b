//! Protocol 1.5 through the service, on both backends: in a draw committed
//! with `personal_keys`, each seated expert registers their own key (from
//! their own account: a coordinator cannot, for them or as them) and signs
//! their pledge, recusals and sheets; an unsigned entry, one signed by
//! another expert's key, one before any registration, a second key and the
//! log's own key are refused with a clear error and change nothing; another
//! province's expert reaches nothing; the sealed and disclosed bundle
//! verifies with every scorer's entry signed.

use super::draws::{Api, app, bundle, setup, verify};
use super::http::token_for;
use super::personal_keys::fresh_key;
use super::scoring::{login, sheet_json};
use super::*;
use base64::Engine;
use fairpanel_core::SecretKey;
use fairpanel_core::entry::{self, Body};
use fairpanel_core::hash::Hash32;
use fairpanel_core::types::{DrawId, Token};
use serde_json::{Value, json};

const BASE: &str = "/api/v1/provinces/440000";

/// What an expert's browser signs: the entry's message under `key`.
fn sign(key: &SecretKey, body: &Body) -> String {
    base64::engine::general_purpose::STANDARD
        .encode(key.sign(&entry::scorer_message(body).unwrap()))
}

/// The caller's key view (`GET …/keys/mine`): round id in the log, token.
async fn mine(me: &Api<'_>, rid: i64) -> (DrawId, Token, Value) {
    let (st, v) = me.get(&format!("{BASE}/rounds/{rid}/keys/mine")).await;
    assert_eq!(st, 200, "{v}");
    let round = DrawId::try_from(v["round"].as_str().unwrap().to_string()).unwrap();
    let scorer = Token(Hash32::from_hex(v["scorer"].as_str().unwrap()).unwrap());
    (round, scorer, v)
}

/// Every entry of the log, as bytes.
pub(super) async fn log(srv: &super::http::Server) -> Vec<Vec<u8>> {
    srv.state
        .store
        .entries(0, 1_000_000)
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.bytes)
        .collect()
}

pub(super) fn pledge_body(round: &DrawId, scorer: Token, text: &str) -> Body {
    Body::Pledge(entry::Pledge {
        round: round.clone(),
        scorer,
        text: Hash32::from_hex(text).unwrap(),
        signature: None,
    })
}

fn recusal_body(round: &DrawId, scorer: Token, app: &str) -> Body {
    Body::Recusal(entry::Recusal {
        application: app.to_string(),
        round: round.clone(),
        scorer,
        signature: None,
    })
}

/// The sheet_commit the service will write for `sheet` by `scorer`.
pub(super) fn sheet_body(
    round: &DrawId,
    rubric: &fairpanel_core::scoring::Rubric,
    scorer: Token,
    sheet: &fairpanel_core::scoring::Sheet,
) -> Body {
    let bytes =
        fairpanel_core::scoring::SheetRecord::new(sheet, round.clone(), rubric.hash(), scorer)
            .bytes();
    Body::SheetCommit(entry::SheetCommit {
        application: sheet.application.clone(),
        round: round.clone(),
        scorer,
        sheet: fairpanel_core::scoring::SheetRecord::hash_of(&bytes),
        signature: None,
    })
}

#[tokio::test]
async fn experts_sign_their_pledges_recusals_and_sheets_with_registered_keys() {
    for db in backends::all().await {
        let srv = setup(&db.url).await;
        let coord = Api {
            srv: &srv,
            token: token_for(&srv, "gd-coord", "coordinator", Some("440000")).await,
        };
        let rid = coord.open_round("base_new", "2026年评审").await;
        for (r, o) in [("A1", "甲单位"), ("A2", "乙单位")] {
            let (st, v) = coord
                .post(&format!("{BASE}/rounds/{rid}/applications"), app(r, o))
                .await;
            assert_eq!(st, 201, "{v}");
        }
        // A beacon-less draw requiring personal keys: the supervisor's
        // contribution is signed by their registered key.
        let (st, d) = coord
            .post(
                &format!("{BASE}/rounds/{rid}/draws"),
                json!({"title": "抽取", "panel": 5, "alternates": 2, "beacon": {"mode": "none"},
                       "entropy_window": 0, "personal_keys": true}),
            )
            .await;
        assert_eq!(st, 201, "{} {d}", db.name);
        let id = d["id"].as_str().unwrap().to_string();
        let p = fairpanel_core::types::Province::try_from("440000").unwrap();
        let sup = fresh_key();
        let w = srv.state.workflow();
        w.register_key(
            &p,
            &id,
            "supervisor-test",
            entry::Role::Supervisor,
            &sup.public().to_base64(),
        )
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
        let commit = {
            let text = bundle(&srv, &id).await;
            let b: fairpanel_core::bundle::Bundle = serde_json::from_str(&text).unwrap();
            entry::parse(b.entries[0].entry.get().as_bytes())
                .unwrap()
                .hash
        };
        let value = Hash32([0x5c; 32]);
        let sig = base64::engine::general_purpose::STANDARD
            .encode(sup.sign(&entry::attestation_message(&commit, &value)));
        w.contribute_signed(&p, &id, "supervisor-test", value, Some(&sig))
            .await
            .unwrap_or_else(|e| panic!("{e:?}"));
        srv.state.clock.advance(1);
        let (st, v) = coord
            .post(&format!("{BASE}/draws/{id}/reveal"), json!({}))
            .await;
        assert_eq!(st, 200, "{v}");
        let (_, full) = coord.get(&format!("{BASE}/draws/{id}")).await;
        let panel: Vec<String> = full["panel"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["expert_id"].as_str().unwrap().to_string())
            .collect();
        let mut experts = Vec::new();
        for (k, e) in panel.iter().enumerate() {
            let (st, v) = coord
                .post(
                    "/api/v1/accounts",
                    json!({"username": format!("ex{k}"), "role": "expert", "province": "440000", "expert_id": e}),
                )
                .await;
            assert_eq!(st, 200, "{v}");
            experts.push(Api {
                srv: &srv,
                token: login(
                    &srv,
                    &format!("ex{k}"),
                    v["activation_code"].as_str().unwrap(),
                )
                .await,
            });
        }
        let (st, v) = coord
            .post(
                &format!("{BASE}/rounds/{rid}/advance"),
                json!({"to": "scoring"}),
            )
            .await;
        assert_eq!(st, 200, "{v}");
        let (_, rv) = coord.get(&format!("{BASE}/rounds/{rid}/rubric")).await;
        let rubric: fairpanel_core::scoring::Rubric =
            serde_json::from_value(rv["rubric"].clone()).unwrap();
        let (_, pl) = experts[0].get(&format!("{BASE}/rounds/{rid}/pledge")).await;
        let text = pl["hash"].as_str().unwrap().to_string();
        let keys: Vec<SecretKey> = (0..5).map(|_| fresh_key()).collect();
        let before = log(&srv).await;

        // Nobody registers a key in an expert's name: the coordinator (and
        // another province's expert) cannot reach the endpoint as one.
        let (st, v) = coord
            .post(
                &format!("{BASE}/rounds/{rid}/keys"),
                json!({"key": keys[0].public().to_base64()}),
            )
            .await;
        assert_eq!(
            st, 403,
            "{}: the coordinator registered a key: {v}",
            db.name
        );
        let js = Api {
            srv: &srv,
            token: token_for(&srv, "js-ex", "expert", Some("320000")).await,
        };
        let (st, _) = js
            .post(
                &format!("/api/v1/provinces/320000/rounds/{rid}/keys"),
                json!({"key": keys[0].public().to_base64()}),
            )
            .await;
        assert!(
            st == 403 || st == 404,
            "{}: another province's expert reached the round: {st}",
            db.name
        );
        // Nor submits, recuses or pledges as the expert.
        let (st, _) = coord
            .post(
                &format!("{BASE}/rounds/{rid}/pledge"),
                json!({"hash": text}),
            )
            .await;
        assert_eq!(st, 403, "{}", db.name);
        let s0 = fairpanel::scores::sample_sheet(&rubric, "A1", 0);
        let (st, _) = coord
            .post(
                &format!("{BASE}/rounds/{rid}/sheets/A1/submit"),
                sheet_json(&s0),
            )
            .await;
        assert_eq!(st, 403, "{}", db.name);

        // The expert's own refusals, each writing nothing: unsigned before
        // any key, signed before registering, not a key, the log's own key.
        let (round, t0, v) = mine(&experts[0], rid).await;
        assert_eq!(v["required"], json!(true), "{v}");
        assert_eq!(v["fingerprint"], Value::Null, "{v}");
        assert_eq!(v["draw"], json!(id), "{v}");
        let (st, v) = experts[0]
            .post(
                &format!("{BASE}/rounds/{rid}/pledge"),
                json!({"hash": text}),
            )
            .await;
        assert_eq!(st, 400, "{v}");
        assert!(
            v.to_string().contains(
                "requires your sheets, recusals and pledge signed with your personal key"
            ),
            "{v}"
        );
        let pb = pledge_body(&round, t0, &text);
        let (st, v) = experts[0]
            .post(
                &format!("{BASE}/rounds/{rid}/pledge"),
                json!({"hash": text, "signature": sign(&keys[0], &pb)}),
            )
            .await;
        assert_eq!(st, 400, "{v}");
        assert!(v.to_string().contains("register your personal key"), "{v}");
        let (st, v) = experts[0]
            .post(&format!("{BASE}/rounds/{rid}/keys"), json!({"key": "no"}))
            .await;
        assert_eq!(st, 400, "{v}");
        let (st, v) = experts[0]
            .post(
                &format!("{BASE}/rounds/{rid}/keys"),
                json!({"key": srv.state.key.public().to_base64()}),
            )
            .await;
        assert_eq!(st, 400, "{v}");
        assert!(
            v.to_string().contains("must not be the log's own key"),
            "{v}"
        );
        assert_eq!(log(&srv).await, before, "{}: a refusal wrote", db.name);

        // Each expert registers their key: the answer is its fingerprint;
        // a second key, or another's key, is refused.
        for (k, e) in experts.iter().enumerate() {
            let (st, v) = e
                .post(
                    &format!("{BASE}/rounds/{rid}/keys"),
                    json!({"key": keys[k].public().to_base64()}),
                )
                .await;
            assert_eq!(st, 200, "{} {v}", db.name);
            assert_eq!(
                v["fingerprint"],
                json!(keys[k].public().key_id().to_string())
            );
        }
        let (st, v) = experts[0]
            .post(
                &format!("{BASE}/rounds/{rid}/keys"),
                json!({"key": fresh_key().public().to_base64()}),
            )
            .await;
        assert_eq!(st, 409, "{v}");
        assert!(
            v.to_string().contains("you already have a registered key"),
            "{v}"
        );
        let (_, _, v) = mine(&experts[0], rid).await;
        assert_eq!(
            v["fingerprint"],
            json!(keys[0].public().key_id().to_string())
        );
        let after_keys = log(&srv).await;
        // The printed record sheet lists each expert's fingerprint, as 专家.
        let (st, v) = coord
            .call("GET", &format!("{BASE}/draws/{id}/record"), None)
            .await;
        assert_eq!(st, 200, "{v}");
        let sheet = v.as_str().unwrap_or_default();
        let keys_table = sheet
            .split("<table id=\"personal-keys\">")
            .nth(1)
            .unwrap_or_default();
        for k in &keys {
            assert!(
                keys_table.contains(&k.public().key_id().to_string()),
                "{}: an expert's fingerprint is missing from the record sheet",
                db.name
            );
        }
        assert!(keys_table.contains("专家"), "{keys_table}");

        // Signed by another expert's key, or over another text: refused.
        let (st, v) = experts[0]
            .post(
                &format!("{BASE}/rounds/{rid}/pledge"),
                json!({"hash": text, "signature": sign(&keys[1], &pb)}),
            )
            .await;
        assert_eq!(st, 400, "{v}");
        assert!(
            v.to_string()
                .contains("does not verify with your registered key"),
            "{v}"
        );
        // Seat 1 pledges, declaring a conflict with A2: the recusal needs
        // its own signature.
        let (_, t1, _) = mine(&experts[1], rid).await;
        let (st, v) = experts[1]
            .post(
                &format!("{BASE}/rounds/{rid}/pledge"),
                json!({"hash": text, "signature": sign(&keys[1], &pledge_body(&round, t1, &text)),
                       "conflicts": [{"application": "A2", "reason": "曾在乙单位任职"}]}),
            )
            .await;
        assert_eq!(st, 400, "{v}");
        assert!(v.to_string().contains("requires your sheets"), "{v}");
        assert_eq!(log(&srv).await, after_keys, "{}: a refusal wrote", db.name);
        let (st, v) = experts[1]
            .post(
                &format!("{BASE}/rounds/{rid}/pledge"),
                json!({"hash": text, "signature": sign(&keys[1], &pledge_body(&round, t1, &text)),
                       "conflicts": [{"application": "A2", "reason": "曾在乙单位任职",
                                      "signature": sign(&keys[1], &recusal_body(&round, t1, "A2"))}]}),
            )
            .await;
        assert_eq!(st, 200, "{v}");

        // Everyone else pledges; seat 2 recuses from A2 on the sheet's page.
        let mut tokens = vec![t0, t1];
        for (k, e) in experts.iter().enumerate().skip(2) {
            tokens.push(mine(e, rid).await.1);
            let body = pledge_body(&round, tokens[k], &text);
            let (st, v) = e
                .post(
                    &format!("{BASE}/rounds/{rid}/pledge"),
                    json!({"hash": text, "signature": sign(&keys[k], &body)}),
                )
                .await;
            assert_eq!(st, 200, "{v}");
        }
        let (st, v) = experts[0]
            .post(
                &format!("{BASE}/rounds/{rid}/pledge"),
                json!({"hash": text, "signature": sign(&keys[0], &pb)}),
            )
            .await;
        assert_eq!(st, 200, "{v}");
        let recuse = format!("{BASE}/rounds/{rid}/sheets/A2/recuse");
        let (st, v) = experts[2]
            .post(&recuse, json!({"reason": "亲属在乙单位"}))
            .await;
        assert_eq!(st, 400, "{v}");
        let (st, v) = experts[2]
            .post(
                &recuse,
                json!({"reason": "亲属在乙单位",
                       "signature": sign(&keys[2], &recusal_body(&round, tokens[2], "A2"))}),
            )
            .await;
        assert_eq!(st, 200, "{v}");

        // Sheets: unsigned, or signed by another expert's key, are refused;
        // each expert's own signature is taken.
        let submit = |a: &str| format!("{BASE}/rounds/{rid}/sheets/{a}/submit");
        let s0b = sheet_body(&round, &rubric, t0, &s0);
        let (st, v) = experts[0].post(&submit("A1"), sheet_json(&s0)).await;
        assert_eq!(st, 400, "{v}");
        let mut forged = sheet_json(&s0);
        forged["signature"] = json!(sign(&keys[3], &s0b));
        let (st, v) = experts[0].post(&submit("A1"), forged).await;
        assert_eq!(st, 400, "{v}");
        assert!(v.to_string().contains("does not verify"), "{v}");
        let before_sheets = log(&srv).await;
        for (k, e) in experts.iter().enumerate() {
            for a in ["A1", "A2"] {
                if a == "A2" && (k == 1 || k == 2) {
                    continue;
                }
                let s = fairpanel::scores::sample_sheet(&rubric, a, k);
                let mut j = sheet_json(&s);
                j["signature"] = json!(sign(&keys[k], &sheet_body(&round, &rubric, tokens[k], &s)));
                let (st, v) = e.post(&submit(a), j).await;
                assert_eq!(st, 200, "{} seat {k} {a}: {v}", db.name);
            }
        }
        // Eight sheets, and the scoring_lock the last one completes.
        assert_eq!(log(&srv).await.len(), before_sheets.len() + 9);

        // Sealed and disclosed: every scorer's entry is signed by the key
        // registered to their token, and the bundle verifies.
        let (st, v) = coord
            .post(
                &format!("{BASE}/rounds/{rid}/advance"),
                json!({"to": "closed"}),
            )
            .await;
        assert_eq!(st, 200, "{v}");
        let (st, v) = coord
            .post(&format!("{BASE}/draws/{id}/disclose"), json!({}))
            .await;
        assert_eq!(st, 200, "{v}");
        let b = bundle(&srv, &id).await;
        let (code, out) = verify(b.as_bytes()).await;
        assert_eq!(code, 0, "{}: {out}", db.name);
        // 5 pledges, 2 recusals and 8 sheets.
        assert!(
            out.contains(
                "15 sheet_commit, recusal and pledge entries signed by their scorers' own keys"
            ),
            "{out}"
        );
    }
}
