//! Protocol 1.6 through the service, on both backends: a supervisor or an
//! expert who lost their personal key asks, from their own account, for a
//! new one; only another supervisor of the draw, with their own current key,
//! approves it. The coordinator, the person themself, a supervisor without a
//! key, another province's supervisor and a wrong signature are refused and
//! write nothing; a pending request changes nothing; once approved the old
//! key signs nothing more and the new one does; the bundle verifies.

use super::draws::{Api, app, bundle, setup, verify};
use super::expert_keys::{log, pledge_body, sheet_body};
use super::http::token_for;
use super::personal_keys::{b64, fresh_key, web_post};
use super::scoring::login;
use super::*;
use base64::Engine;
use fairpanel_core::SecretKey;
use fairpanel_core::entry::{self, Body};
use fairpanel_core::hash::Hash32;
use fairpanel_core::types::{DrawId, Token};
use serde_json::{Value, json};

const BASE: &str = "/api/v1/provinces/440000";

/// What an approving supervisor signs for a pending request.
fn approval(k: &SecretKey, req: &Value) -> String {
    b64(&k.sign(&b64_decode(req["message"].as_str().unwrap())))
}

fn b64_decode(t: &str) -> Vec<u8> {
    base64::engine::general_purpose::STANDARD.decode(t).unwrap()
}

#[tokio::test]
async fn a_lost_key_is_replaced_only_with_another_supervisors_approval() {
    for db in backends::all().await {
        let srv = setup(&db.url).await;
        let coord = Api {
            srv: &srv,
            token: token_for(&srv, "gd-coord", "coordinator", Some("440000")).await,
        };
        let sup = |n: &'static str| {
            let srv = &srv;
            async move {
                Api {
                    srv,
                    token: token_for(srv, n, "supervisor", Some("440000")).await,
                }
            }
        };
        let (sa, sb, sc) = (
            sup("gd-sup-a").await,
            sup("gd-sup-b").await,
            sup("gd-sup-c").await,
        );
        let js = Api {
            srv: &srv,
            token: token_for(&srv, "js-sup", "supervisor", Some("320000")).await,
        };
        let rid = coord.open_round("base_new", "2026年评审").await;
        let (st, v) = coord
            .post(
                &format!("{BASE}/rounds/{rid}/applications"),
                app("A1", "甲单位"),
            )
            .await;
        assert_eq!(st, 201, "{v}");
        let (st, d) = coord
            .post(
                &format!("{BASE}/rounds/{rid}/draws"),
                json!({"title": "抽取", "panel": 5, "alternates": 2, "beacon": {"mode": "none"},
                       "entropy_window": 600, "personal_keys": true}),
            )
            .await;
        assert_eq!(st, 201, "{} {d}", db.name);
        let id = d["id"].as_str().unwrap().to_string();
        let draw = format!("{BASE}/draws/{id}");
        let (ka, kb) = (fresh_key(), fresh_key());
        for (s, k) in [(&sa, &ka), (&sb, &kb)] {
            let (st, v) = s
                .post(
                    &format!("{draw}/keys"),
                    json!({"key": k.public().to_base64()}),
                )
                .await;
            assert_eq!(st, 200, "{} {v}", db.name);
        }
        let before = log(&srv).await;

        // Asking: nobody asks in another's name or without a key to replace.
        let ka2 = fresh_key();
        let (st, v) = coord
            .post(
                &format!("{draw}/keys/replace"),
                json!({"key": ka2.public().to_base64()}),
            )
            .await;
        assert_eq!(st, 403, "{}: the coordinator asked: {v}", db.name);
        let (st, v) = sc
            .post(
                &format!("{draw}/keys/replace"),
                json!({"key": ka2.public().to_base64()}),
            )
            .await;
        assert_eq!(st, 409, "{v}");
        assert!(v.to_string().contains("no registered key in draw"), "{v}");
        let (st, v) = sa
            .post(
                &format!("{draw}/keys/replace"),
                json!({"key": kb.public().to_base64()}),
            )
            .await;
        assert_eq!(st, 409, "{v}");
        assert!(v.to_string().contains("already registered"), "{v}");
        let (st, v) = sa
            .post(
                &format!("{draw}/keys/replace"),
                json!({"key": srv.state.key.public().to_base64()}),
            )
            .await;
        assert_eq!(st, 400, "{v}");
        let (st, _) = js
            .post(
                &format!("/api/v1/provinces/320000/draws/{id}/keys/replace"),
                json!({"key": ka2.public().to_base64()}),
            )
            .await;
        assert!(st == 403 || st == 404, "{}: {st}", db.name);

        // A first request, then a second that supersedes it.
        let (st, first) = sa
            .post(
                &format!("{draw}/keys/replace"),
                json!({"key": fresh_key().public().to_base64()}),
            )
            .await;
        assert_eq!(st, 200, "{first}");
        let (st, req) = sa
            .post(
                &format!("{draw}/keys/replace"),
                json!({"key": ka2.public().to_base64()}),
            )
            .await;
        assert_eq!(st, 200, "{req}");
        assert_eq!(req["replaces"], json!(ka.public().key_id().to_string()));
        assert_eq!(req["fingerprint"], json!(ka2.public().key_id().to_string()));
        // The message is exactly the protocol's, over the registration shown.
        let reg: entry::KeyRegistration =
            serde_json::from_value(req["registration"].clone()).unwrap();
        assert_eq!(
            b64_decode(req["message"].as_str().unwrap()),
            entry::replacement_message(&reg),
            "{req}"
        );
        assert_eq!(
            log(&srv).await,
            before,
            "{}: a request wrote to the log",
            db.name
        );
        let (st, list) = coord.get(&format!("{draw}/keys/requests")).await;
        assert_eq!(st, 200, "{list}");
        assert_eq!(list.as_array().unwrap().len(), 1, "{list}");
        assert_eq!(list[0]["id"], req["id"], "{list}");
        let (st, _) = js
            .get(&format!(
                "/api/v1/provinces/320000/draws/{id}/keys/requests"
            ))
            .await;
        assert!(st == 403 || st == 404, "{}: {st}", db.name);

        // Refused approvals, each writing nothing.
        let approve = |q: &Value| format!("{draw}/keys/requests/{}/approve", q["id"]);
        let (st, v) = sb
            .post(
                &approve(&first),
                json!({"signature": approval(&kb, &first)}),
            )
            .await;
        assert_eq!(st, 409, "{v}");
        assert!(v.to_string().contains("superseded"), "{v}");
        let (st, v) = coord
            .post(&approve(&req), json!({"signature": approval(&kb, &req)}))
            .await;
        assert_eq!(st, 403, "{}: the coordinator approved: {v}", db.name);
        let (st, v) = sa
            .post(&approve(&req), json!({"signature": approval(&ka, &req)}))
            .await;
        assert_eq!(st, 400, "{}: self-approval: {v}", db.name);
        assert!(v.to_string().contains("their own key"), "{v}");
        let (st, v) = sc
            .post(&approve(&req), json!({"signature": approval(&kb, &req)}))
            .await;
        assert_eq!(st, 400, "{v}");
        assert!(v.to_string().contains("before approving"), "{v}");
        let (st, v) = sb
            .post(&approve(&req), json!({"signature": approval(&ka2, &req)}))
            .await;
        assert_eq!(st, 400, "{v}");
        assert!(v.to_string().contains("does not verify"), "{v}");
        let (st, _) = js
            .post(
                &format!(
                    "/api/v1/provinces/320000/draws/{id}/keys/requests/{}/approve",
                    req["id"]
                ),
                json!({"signature": approval(&kb, &req)}),
            )
            .await;
        assert!(st == 403 || st == 404, "{}: {st}", db.name);
        assert_eq!(log(&srv).await, before, "{}: a refusal wrote", db.name);

        // Unapproved, the new key signs nothing.
        let commit = {
            let text = bundle(&srv, &id).await;
            let b: fairpanel_core::bundle::Bundle = serde_json::from_str(&text).unwrap();
            entry::parse(b.entries[0].entry.get().as_bytes())
                .unwrap()
                .hash
                .to_hex()
        };
        let value = [0x42u8; 32];
        let sig_by = |k: &SecretKey| {
            b64(&k.sign(&entry::attestation_message(
                &Hash32::from_hex(&commit).unwrap(),
                &Hash32(value),
            )))
        };
        let (st, v) = sa
            .post(
                &format!("{draw}/entropy"),
                json!({"value": hex::encode(value), "signature": sig_by(&ka2)}),
            )
            .await;
        assert_eq!(st, 400, "{}: an unapproved key signed: {v}", db.name);

        // Approved by another supervisor: one key_registration with the
        // approval; the old key then signs nothing, the new one does.
        let (st, v) = sb
            .post(&approve(&req), json!({"signature": approval(&kb, &req)}))
            .await;
        assert_eq!(st, 200, "{} {v}", db.name);
        let seq = v["seq"].as_u64().unwrap();
        let e = srv.state.store.entries(seq, seq + 1).await.unwrap();
        match entry::parse(&e[0].bytes).unwrap().body {
            Body::KeyRegistration(r) => {
                assert_eq!(r.key, ka2.public());
                assert_eq!(r.replaces, Some(ka.public().key_id()));
                assert_eq!(r.approval.unwrap().key, kb.public());
            }
            b => panic!("{b:?}"),
        }
        let (st, v) = sb
            .post(&approve(&req), json!({"signature": approval(&kb, &req)}))
            .await;
        assert_eq!(st, 409, "{v}");
        let (_, list) = coord.get(&format!("{draw}/keys/requests")).await;
        assert_eq!(list, json!([]));
        let (st, v) = sa
            .post(
                &format!("{draw}/entropy"),
                json!({"value": hex::encode(value), "signature": sig_by(&ka)}),
            )
            .await;
        assert_eq!(st, 400, "{}: the replaced key signed: {v}", db.name);
        let (st, v) = sa
            .post(
                &format!("{draw}/entropy"),
                json!({"value": hex::encode(value), "signature": sig_by(&ka2)}),
            )
            .await;
        assert_eq!(st, 200, "{} {v}", db.name);
        let sig_b = b64(&kb.sign(&entry::attestation_message(
            &Hash32::from_hex(&commit).unwrap(),
            &Hash32([7u8; 32]),
        )));
        let (st, v) = sb
            .post(
                &format!("{draw}/entropy"),
                json!({"value": hex::encode([7u8; 32]), "signature": sig_b}),
            )
            .await;
        assert_eq!(st, 200, "{} {v}", db.name);

        // The expert's side: after the reveal, a seated expert registers a
        // key, loses it, asks for a new one; a supervisor approves it.
        srv.state.clock.advance(601);
        let (st, v) = coord.post(&format!("{draw}/reveal"), json!({})).await;
        assert_eq!(st, 200, "{v}");
        let (_, full) = coord.get(&draw).await;
        let e0 = full["panel"][0]["expert_id"].as_str().unwrap().to_string();
        let (st, v) = coord
            .post(
                "/api/v1/accounts",
                json!({"username": "ex0", "role": "expert", "province": "440000", "expert_id": e0}),
            )
            .await;
        assert_eq!(st, 200, "{v}");
        let ex = Api {
            srv: &srv,
            token: login(&srv, "ex0", v["activation_code"].as_str().unwrap()).await,
        };
        let (st, v) = coord
            .post(
                &format!("{BASE}/rounds/{rid}/advance"),
                json!({"to": "scoring"}),
            )
            .await;
        assert_eq!(st, 200, "{v}");
        let k0 = fresh_key();
        let (st, v) = ex
            .post(
                &format!("{BASE}/rounds/{rid}/keys"),
                json!({"key": k0.public().to_base64()}),
            )
            .await;
        assert_eq!(st, 200, "{v}");
        let (_, mine) = ex.get(&format!("{BASE}/rounds/{rid}/keys/mine")).await;
        let round = DrawId::try_from(mine["round"].as_str().unwrap().to_string()).unwrap();
        let scorer = Token(Hash32::from_hex(mine["scorer"].as_str().unwrap()).unwrap());
        let (_, pl) = ex.get(&format!("{BASE}/rounds/{rid}/pledge")).await;
        let text = pl["hash"].as_str().unwrap().to_string();
        let pledge = pledge_body(&round, scorer, &text);
        let signed = |k: &SecretKey, b: &Body| b64(&k.sign(&entry::scorer_message(b).unwrap()));
        let (st, v) = ex
            .post(
                &format!("{BASE}/rounds/{rid}/pledge"),
                json!({"hash": text, "signature": signed(&k0, &pledge)}),
            )
            .await;
        assert_eq!(st, 200, "{} {v}", db.name);
        // A sheet checked and signed with k0, not yet written when the
        // replacement is approved: its write is refused, because the key
        // is confirmed current inside the writing transaction.
        let (_, rv) = coord.get(&format!("{BASE}/rounds/{rid}/rubric")).await;
        let rubric: fairpanel_core::scoring::Rubric =
            serde_json::from_value(rv["rubric"].clone()).unwrap();
        let sheet = fairpanel::scores::sample_sheet(&rubric, "A1", 0);
        let sb_body = sheet_body(&round, &rubric, scorer, &sheet);
        let p = fairpanel_core::types::Province::try_from("440000").unwrap();
        let r = srv.state.store.round(&p, rid).await.unwrap().unwrap();
        let w = srv.state.workflow();
        let job = w
            .sheet_job(&r, &e0, 0, &sheet, Some(&signed(&k0, &sb_body)))
            .await
            .unwrap_or_else(|e| panic!("{e:?}"));

        let k0b = fresh_key();
        let (st, v) = coord
            .post(
                &format!("{BASE}/rounds/{rid}/keys/replace"),
                json!({"key": k0b.public().to_base64()}),
            )
            .await;
        assert_eq!(
            st, 403,
            "{}: the coordinator asked for the expert: {v}",
            db.name
        );
        let (st, ereq) = ex
            .post(
                &format!("{BASE}/rounds/{rid}/keys/replace"),
                json!({"key": k0b.public().to_base64()}),
            )
            .await;
        assert_eq!(st, 200, "{ereq}");
        assert_eq!(ereq["role"], json!("expert"));
        let (st, v) = ex.get(&format!("{draw}/keys/requests")).await;
        assert_eq!(st, 403, "{}: an expert listed requests: {v}", db.name);
        let (st, v) = ex
            .post(&approve(&ereq), json!({"signature": approval(&k0b, &ereq)}))
            .await;
        assert_eq!(st, 403, "{}: an expert approved: {v}", db.name);

        // The draw page lists it for a supervisor, with the message to sign.
        let page = super::http::request(
            srv.addr,
            "GET",
            &format!("/p/440000/draws/{id}"),
            &[("Cookie", &format!("fairpanel_session={}", sb.token))],
            None,
        )
        .await;
        assert_eq!(page.status, 200);
        assert!(
            page.body.contains("id=\"key-request-list\"")
                && page.body.contains(ereq["message"].as_str().unwrap())
                && page.body.contains(ereq["fingerprint"].as_str().unwrap()),
            "{}",
            page.body
        );
        // Approved through the page's form (the signature the browser makes).
        let (st, done) = web_post(
            &srv,
            &sb.token,
            &format!("/p/440000/draws/{id}/key-requests/{}/approve", ereq["id"]),
            &[("signature", &approval(&kb, &ereq))],
        )
        .await;
        assert_eq!(st, 200, "{}: {done}", db.name);
        let (_, mine) = ex.get(&format!("{BASE}/rounds/{rid}/keys/mine")).await;
        assert_eq!(
            mine["fingerprint"],
            json!(k0b.public().key_id().to_string()),
            "{mine}"
        );
        let before = log(&srv).await;
        match w.write_sheet(job).await {
            Err(fairpanel::draws::DrawError::Conflict(m)) => {
                assert!(m.contains("was replaced"), "{m}")
            }
            other => panic!(
                "{}: a sheet signed by the replaced key was written: {other:?}",
                db.name
            ),
        }
        assert_eq!(log(&srv).await, before, "{}", db.name);
        // Through the API too: the old key is refused, the new one taken.
        for (k, want) in [(&k0, 400), (&k0b, 200)] {
            let mut body = serde_json::to_value(&sheet).unwrap();
            body["signature"] = json!(signed(k, &sb_body));
            let (st, v) = ex
                .post(&format!("{BASE}/rounds/{rid}/sheets/A1/submit"), body)
                .await;
            assert_eq!(st, want, "{} {v}", db.name);
        }

        // The printed record sheet names each replacement and its approver.
        let (_, v) = coord.call("GET", &format!("{draw}/record"), None).await;
        let sheet = v.as_str().unwrap_or_default();
        for (old, new) in [(&ka, &ka2), (&k0, &k0b)] {
            let line = format!(
                "{}</span><br>替换 <span class=\"mono\">{}</span>，由 <span class=\"mono\">{}</span> 批准",
                new.public().key_id(),
                old.public().key_id(),
                kb.public().key_id()
            );
            assert!(sheet.contains(&line), "{}: {line} in {sheet}", db.name);
        }

        // Both replacements verify offline.
        let (code, out) = verify(bundle(&srv, &id).await.as_bytes()).await;
        assert_eq!(code, 0, "{}: {out}", db.name);
    }
}
