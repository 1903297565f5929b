//! Scoring through the HTTP API on both backends: the rubric fixed when scoring
//! opens, blind sheets, validation, the abnormal-total explanation, recusal,
//! reopening, results with trimmed means and quotas, and the seal.

use super::draws::{Api, app, setup};
use super::http::{request, token_for};
use super::*;
use fairpanel_core::scoring::{self as rules, Sheet};
use serde_json::{Value, json};

/// Logs in; the session token (the one login helper's).
async fn login(srv: &super::http::Server, user: &str, pw: &str) -> String {
    super::http::token(&super::http::login(srv.addr, user, pw).await)
}

fn sheet_json(s: &Sheet) -> Value {
    serde_json::to_value(s).unwrap()
}

#[tokio::test]
async fn a_round_is_scored_blind_validated_aggregated_and_sealed() {
    for db in backends::all().await {
        let srv = setup(&db.url).await;
        let coord = Api {
            srv: &srv,
            token: token_for(&srv, "gd-coord", "coordinator", Some("440000")).await,
        };
        let base = "/api/v1/provinces/440000";
        let rid = coord.open_round("base_new", "评审").await;
        for (r, o) in [("A1", "甲单位"), ("A2", "乙单位")] {
            let (st, v) = coord
                .post(&format!("{base}/rounds/{rid}/applications"), app(r, o))
                .await;
            assert_eq!(st, 201, "{v}");
        }
        let (st, _) = coord
            .post(
                &format!("{base}/rounds/{rid}/advance"),
                json!({"to": "scoring"}),
            )
            .await;
        assert_eq!(st, 409, "no scoring before a panel is drawn");
        let draw = coord.revealed_draw(rid, 5, 2).await;
        let (_, full) = coord.get(&format!("{base}/draws/{draw}")).await;
        let panel: Vec<String> = full["panel"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["expert_id"].as_str().unwrap().to_string())
            .collect();
        // Expert accounts linked to the panel, and one to an expert not on it.
        let outsider = fairpanel::demo::synthetic_records(320)
            .into_iter()
            .map(|r| r.expert_id)
            .find(|e| !panel.contains(e))
            .unwrap();
        let mut experts = Vec::new();
        for (k, e) in panel.iter().chain([&outsider]).enumerate() {
            let (st, v) = coord
                .post(
                    "/api/v1/accounts",
                    json!({"username": format!("ex{k}"), "role": "expert", "province": "440000", "expert_id": e}),
                )
                .await;
            assert_eq!(st, 200, "{v}");
            let t = login(
                &srv,
                &format!("ex{k}"),
                v["one_time_password"].as_str().unwrap(),
            )
            .await;
            experts.push(Api {
                srv: &srv,
                token: t,
            });
        }
        let outsider = experts.pop().unwrap();

        // The rubric can be adapted before scoring, not after.
        let (_, rv) = coord.get(&format!("{base}/rounds/{rid}/rubric")).await;
        assert_eq!(rv["fixed"], false);
        let mut rubric: rules::Rubric = serde_json::from_value(rv["rubric"].clone()).unwrap();
        let mut bad = rubric.clone();
        bad.indicators[0].max_points -= rust_decimal::Decimal::new(5, 1);
        let (st, v) = coord
            .call(
                "PUT",
                &format!("{base}/rounds/{rid}/rubric"),
                Some(serde_json::to_value(&bad).unwrap()),
            )
            .await;
        assert_eq!(st, 400, "weights must sum to 100: {v}");
        rubric.title = format!("{}（本轮）", rubric.title);
        let (st, v) = coord
            .call(
                "PUT",
                &format!("{base}/rounds/{rid}/rubric"),
                Some(serde_json::to_value(&rubric).unwrap()),
            )
            .await;
        assert_eq!(st, 200, "{v}");
        let (st, _) = experts[0]
            .get(&format!("{base}/rounds/{rid}/sheets/mine"))
            .await;
        assert_eq!(st, 409, "no sheets before scoring opens");

        // The quota is set before scoring opens; scoring_open fixes it.
        let (st, _) = coord
            .call(
                "PUT",
                &format!("{base}/rounds/{rid}/quota"),
                Some(json!({"quota": 5, "already_recommended": 4})),
            )
            .await;
        assert_eq!(st, 200);
        let (st, v) = coord
            .post(
                &format!("{base}/rounds/{rid}/advance"),
                json!({"to": "scoring"}),
            )
            .await;
        assert_eq!(st, 200, "{v}");
        let size = srv.state.store.log_size().await.unwrap();
        let last = srv.state.store.entries(size - 1, size).await.unwrap();
        let fairpanel_core::entry::Body::ScoringOpen(open) =
            fairpanel_core::entry::parse(&last[0].bytes).unwrap().body
        else {
            panic!("the last entry is not scoring_open");
        };
        assert_eq!((open.quota, open.already_recommended), (5, 4));
        let (st, v) = coord
            .call(
                "PUT",
                &format!("{base}/rounds/{rid}/quota"),
                Some(json!({"quota": 6, "already_recommended": 4})),
            )
            .await;
        assert_eq!(st, 409, "the quota is fixed once scoring opens: {v}");
        let (_, rv) = coord.get(&format!("{base}/rounds/{rid}/rubric")).await;
        assert_eq!(rv["fixed"], true);
        assert_eq!(rv["rubric"]["title"], rubric.title.as_str());
        let (st, _) = coord
            .call(
                "PUT",
                &format!("{base}/rounds/{rid}/rubric"),
                Some(serde_json::to_value(&rubric).unwrap()),
            )
            .await;
        assert_eq!(st, 409, "the rubric is fixed once scoring opens");
        let (st, _) = outsider
            .get(&format!("{base}/rounds/{rid}/sheets/mine"))
            .await;
        assert_eq!(st, 404, "an expert not on the panel has no sheets here");

        // Validation: out of range and off step are refused with the indicator named.
        let mut wrong = fairpanel::scores::sample_sheet(&rubric, "A1", 0);
        wrong.scores[0].points = rubric.indicators[0].max_points + rust_decimal::Decimal::ONE;
        let (st, v) = experts[0]
            .post(
                &format!("{base}/rounds/{rid}/sheets/A1/submit"),
                sheet_json(&wrong),
            )
            .await;
        assert_eq!(st, 400);
        assert!(
            v["error"]
                .as_str()
                .unwrap()
                .contains(&rubric.indicators[0].code),
            "{v}"
        );
        // A draft is kept and only its author sees it.
        let draft = fairpanel::scores::sample_sheet(&rubric, "A1", 0);
        let (st, _) = experts[0]
            .call(
                "PUT",
                &format!("{base}/rounds/{rid}/sheets/A1"),
                Some(sheet_json(&draft)),
            )
            .await;
        assert_eq!(st, 200);
        let (_, mine) = experts[0]
            .get(&format!("{base}/rounds/{rid}/sheets/mine"))
            .await;
        assert_eq!(mine[0]["state"], "draft");
        let (_, theirs) = experts[1]
            .get(&format!("{base}/rounds/{rid}/sheets/mine"))
            .await;
        assert_eq!(theirs[0]["state"], "pending");
        assert!(theirs[0]["sheet"].is_null());

        // Four experts submit A1.
        for (k, e) in experts.iter().take(4).enumerate() {
            let s = fairpanel::scores::sample_sheet(&rubric, "A1", k);
            let (st, v) = e
                .post(
                    &format!("{base}/rounds/{rid}/sheets/A1/submit"),
                    sheet_json(&s),
                )
                .await;
            assert_eq!(st, 200, "{} expert {k}: {v}", db.name);
        }
        let (st, _) = experts[0]
            .post(
                &format!("{base}/rounds/{rid}/sheets/A1/submit"),
                sheet_json(&fairpanel::scores::sample_sheet(&rubric, "A1", 0)),
            )
            .await;
        assert_eq!(st, 409, "submitted once");
        // Blind: nobody sees results, the coordinator sees counts only.
        for who in [&coord, &experts[0]] {
            let (st, _) = who.get(&format!("{base}/rounds/{rid}/results")).await;
            assert_eq!(st, 409);
        }
        let (st, prog) = coord
            .get(&format!("{base}/rounds/{rid}/scoring/progress"))
            .await;
        assert_eq!(st, 200);
        assert_eq!(prog[0]["submitted"], 4);
        assert_eq!(prog[0]["pending"], 1);
        assert!(!prog.to_string().contains("points"), "{prog}");

        // The fifth expert's very low total needs an explanation.
        let mut low = fairpanel::scores::sample_sheet(&rubric, "A1", 4);
        for (s, ind) in low.scores.iter_mut().zip(&rubric.indicators) {
            if !ind.objective {
                s.points = rust_decimal::Decimal::ZERO;
            }
        }
        let (st, v) = experts[4]
            .post(
                &format!("{base}/rounds/{rid}/sheets/A1/submit"),
                sheet_json(&low),
            )
            .await;
        assert_eq!(st, 400, "{v}");
        assert!(v["error"].as_str().unwrap().contains("15"), "{v}");
        low.explanation = Some("实地核查发现培训记录与申报不符".into());
        let (st, v) = experts[4]
            .post(
                &format!("{base}/rounds/{rid}/sheets/A1/submit"),
                sheet_json(&low),
            )
            .await;
        assert_eq!(st, 200, "{v}");

        // A2: one recusal, one reopened and resubmitted sheet.
        let (st, _) = experts[4]
            .post(
                &format!("{base}/rounds/{rid}/sheets/A2/recuse"),
                json!({"reason": "曾在该单位任职"}),
            )
            .await;
        assert_eq!(st, 200);
        for (k, e) in experts.iter().take(4).enumerate() {
            let s = fairpanel::scores::sample_sheet(&rubric, "A2", k + 3);
            let (st, v) = e
                .post(
                    &format!("{base}/rounds/{rid}/sheets/A2/submit"),
                    sheet_json(&s),
                )
                .await;
            assert_eq!(st, 200, "{v}");
        }
        let (st, _) = experts[0]
            .post(
                &format!("{base}/rounds/{rid}/sheets/A2/{}/reopen", panel[0]),
                json!({"reason": "x"}),
            )
            .await;
        assert_eq!(st, 403, "only a coordinator reopens");
        let (st, _) = coord
            .post(
                &format!("{base}/rounds/{rid}/sheets/A2/{}/reopen", panel[0]),
                json!({"reason": " "}),
            )
            .await;
        assert_eq!(st, 400, "a reason is required");
        let (st, _) = coord
            .post(
                &format!("{base}/rounds/{rid}/sheets/A2/{}/reopen", panel[0]),
                json!({"reason": "笔误，专家申请更正"}),
            )
            .await;
        assert_eq!(st, 200);
        let (st, _) = coord.get(&format!("{base}/rounds/{rid}/results")).await;
        assert_eq!(st, 409, "a reopened sheet is missing again");
        let s = fairpanel::scores::sample_sheet(&rubric, "A2", 7);
        let (st, _) = experts[0]
            .post(
                &format!("{base}/rounds/{rid}/sheets/A2/submit"),
                sheet_json(&s),
            )
            .await;
        assert_eq!(st, 200);

        // Results: A1 has 5 sheets (trimmed), A2 has 4 (plain mean).
        let (st, res) = experts[2]
            .get(&format!("{base}/rounds/{rid}/results"))
            .await;
        assert_eq!(st, 200, "{res}");
        let (st, _) = outsider.get(&format!("{base}/rounds/{rid}/results")).await;
        assert_eq!(st, 404);
        let rows = res["results"].as_array().unwrap();
        assert_eq!(rows.len(), 2);
        let by = |a: &str| {
            rows.iter()
                .find(|r| r["aggregate"]["application"] == a)
                .unwrap()
        };
        assert_eq!(by("A1")["aggregate"]["sheets"], 5);
        assert_eq!(by("A1")["aggregate"]["trimmed"], true);
        assert_eq!(by("A2")["aggregate"]["sheets"], 4);
        assert_eq!(by("A2")["aggregate"]["trimmed"], false);
        assert_eq!(by("A1")["explanations"].as_array().unwrap().len(), 1);
        // The final scores follow from the totals by the rule.
        for row in rows {
            let totals: Vec<rust_decimal::Decimal> = row["totals"]
                .as_array()
                .unwrap()
                .iter()
                .map(|t| t.as_str().unwrap().parse().unwrap())
                .collect();
            let agg = rules::aggregate(row["aggregate"]["application"].as_str().unwrap(), &totals)
                .unwrap();
            assert_eq!(
                serde_json::to_value(&agg).unwrap()["final_score"],
                row["aggregate"]["final_score"]
            );
        }
        assert_eq!(
            res["recommended"].as_array().unwrap().len(),
            1,
            "one place left"
        );
        assert_eq!(
            res["recommended"][0],
            res["results"][0]["aggregate"]["application"]
        );

        // Closing seals; disclosure follows; the draw's bundle still verifies.
        let (st, v) = coord
            .post(
                &format!("{base}/rounds/{rid}/advance"),
                json!({"to": "closed"}),
            )
            .await;
        assert_eq!(st, 200, "{v}");
        let size = srv.state.store.log_size().await.unwrap();
        let last = srv.state.store.entries(size - 1, size).await.unwrap();
        let parsed = fairpanel_core::entry::parse(&last[0].bytes).unwrap();
        let fairpanel_core::entry::Body::Seal(seal) = parsed.body else {
            panic!("the last entry is not the seal");
        };
        assert_eq!(seal.sheets.len(), 9, "5 + 4 sheets");
        assert_eq!(seal.results.len(), 2);
        assert_eq!(seal.results.iter().filter(|r| r.recommended).count(), 1);
        let (st, _) = experts[1]
            .post(
                &format!("{base}/rounds/{rid}/sheets/A1/submit"),
                sheet_json(&fairpanel::scores::sample_sheet(&rubric, "A1", 1)),
            )
            .await;
        assert_eq!(st, 409, "nothing is submitted after the seal");
        let (st, _) = coord
            .post(&format!("{base}/draws/{draw}/disclose"), json!({}))
            .await;
        assert_eq!(st, 200);
        let b = request(
            srv.addr,
            "GET",
            &format!("/api/v1/public/draws/{draw}/bundle"),
            &[],
            None,
        )
        .await;
        let report = fairpanel_core::verify::verify_bundle(b.body.as_bytes(), None).unwrap();
        assert!(
            report
                .checks
                .iter()
                .all(|c| !matches!(c.outcome, fairpanel_core::verify::Outcome::Failed(_))),
            "{:?}",
            report.checks
        );
        // After disclosure the bundle carries the rubric and the sealed sheets,
        // and the verifier recomputes the result from them.
        let scoring = report.checks.iter().find(|c| c.name == "scoring").unwrap();
        assert!(
            matches!(&scoring.outcome, fairpanel_core::verify::Outcome::Passed(m) if m.contains("9 sheets of 2 applications")),
            "{scoring:?}"
        );
        // One changed point on one sheet is caught.
        let i = b.body.find("\"points\":\"").unwrap() + 10;
        let mut tampered = b.body.clone();
        let digit = if &tampered[i..i + 1] == "1" { "2" } else { "1" };
        tampered.replace_range(i..i + 1, digit);
        let report = fairpanel_core::verify::verify_bundle(tampered.as_bytes(), None).unwrap();
        let first = report.first_failure().unwrap();
        assert_eq!(first.name, "scoring", "{first:?}");
    }
}

/// Links an expert account to every member of the draw's current panel and has
/// each submit a plausible sheet for every application of the round.
pub async fn score_everything(coord: &Api<'_>, rid: i64, draw: &str) {
    let base = "/api/v1/provinces/440000";
    let (_, full) = coord.get(&format!("{base}/draws/{draw}")).await;
    let (_, rv) = coord.get(&format!("{base}/rounds/{rid}/rubric")).await;
    let rubric: rules::Rubric = serde_json::from_value(rv["rubric"].clone()).unwrap();
    let (_, apps) = coord
        .get(&format!("{base}/rounds/{rid}/applications"))
        .await;
    let panel = full["panel"].as_array().unwrap();
    assert!(!panel.is_empty(), "no panel to score with: {full}");
    for (k, seat) in panel.iter().enumerate() {
        let e = seat["expert_id"].as_str().unwrap();
        let user = format!("scorer-{rid}-{e}");
        let (st, v) = coord
            .post(
                "/api/v1/accounts",
                json!({"username": user, "role": "expert", "province": "440000", "expert_id": e}),
            )
            .await;
        assert_eq!(st, 200, "{v}");
        let t = login(coord.srv, &user, v["one_time_password"].as_str().unwrap()).await;
        let me = Api {
            srv: coord.srv,
            token: t,
        };
        // The applications this expert is to score (those that passed the
        // screen or were overridden).
        let (st, mine) = me.get(&format!("{base}/rounds/{rid}/sheets/mine")).await;
        assert_eq!(st, 200, "{mine}");
        // Every seated expert has something to score (else the loop below would
        // prove nothing).
        assert!(
            !mine.as_array().unwrap().is_empty(),
            "expert {k} has nothing to score"
        );
        assert!(mine.as_array().unwrap().len() <= apps.as_array().unwrap().len());
        for a in mine.as_array().unwrap() {
            let a = a["application"].as_str().unwrap();
            let s = fairpanel::scores::sample_sheet(&rubric, a, k);
            let (st, v) = me
                .post(
                    &format!("{base}/rounds/{rid}/sheets/{a}/submit"),
                    sheet_json(&s),
                )
                .await;
            assert_eq!(st, 200, "{v}");
        }
    }
}

#[tokio::test]
async fn an_application_failing_the_screen_is_scored_only_after_a_logged_override() {
    for db in backends::all().await {
        let srv = setup(&db.url).await;
        let coord = Api {
            srv: &srv,
            token: token_for(&srv, "gd-coord", "coordinator", Some("440000")).await,
        };
        let base = "/api/v1/provinces/440000";
        let rid = coord.open_round("base_new", "评审").await;
        let mut small = app("B1", "小单位");
        small["figures"]["annual_trainees"] = json!(1500);
        for a in [app("A1", "甲单位"), small] {
            let (st, v) = coord
                .post(&format!("{base}/rounds/{rid}/applications"), a)
                .await;
            assert_eq!(st, 201, "{v}");
        }
        let (_, scr) = coord.get(&format!("{base}/rounds/{rid}/screen")).await;
        let b1 = scr
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x["application"] == "B1")
            .unwrap();
        assert_eq!(b1["eligible"], false);
        assert!(b1["reasons"][0].as_str().unwrap().contains("1500"), "{b1}");
        let draw = coord.revealed_draw(rid, 5, 0).await;
        let (st, v) = coord
            .post(
                &format!("{base}/rounds/{rid}/advance"),
                json!({"to": "scoring"}),
            )
            .await;
        assert_eq!(st, 200, "{v}");
        // Only A1 is scored; a sheet for B1 is refused with the screen's reason.
        score_everything(&coord, rid, &draw).await;
        let (_, prog) = coord
            .get(&format!("{base}/rounds/{rid}/scoring/progress"))
            .await;
        assert_eq!(prog.as_array().unwrap().len(), 1);
        let (st, _) = coord
            .post(
                &format!("{base}/rounds/{rid}/applications/A1/override"),
                json!({"reason": "x"}),
            )
            .await;
        assert_eq!(st, 409, "nothing to override on an eligible application");
        let (st, _) = coord
            .post(
                &format!("{base}/rounds/{rid}/applications/B1/override"),
                json!({"reason": ""}),
            )
            .await;
        assert_eq!(st, 400);
        let before = srv.state.store.log_size().await.unwrap();
        let (st, v) = coord
            .post(
                &format!("{base}/rounds/{rid}/applications/B1/override"),
                json!({"reason": "疫情期间培训量下降，经省厅研究同意参评"}),
            )
            .await;
        assert_eq!(st, 200, "{v}");
        assert_eq!(v["seq"], before);
        let e = srv.state.store.entries(before, before + 1).await.unwrap();
        let parsed = fairpanel_core::entry::parse(&e[0].bytes).unwrap();
        assert!(
            matches!(parsed.body, fairpanel_core::entry::Body::ScreenOverride(ref o) if o.application == "B1")
        );
        let (_, prog) = coord
            .get(&format!("{base}/rounds/{rid}/scoring/progress"))
            .await;
        assert_eq!(prog.as_array().unwrap().len(), 2, "B1 is scored now");
        let (st, _) = coord.get(&format!("{base}/rounds/{rid}/results")).await;
        assert_eq!(st, 409, "B1's sheets are missing");
    }
}

#[tokio::test]
async fn a_replaced_experts_sheets_are_void_and_the_replacement_scores() {
    for db in backends::all().await {
        let srv = setup(&db.url).await;
        let coord = Api {
            srv: &srv,
            token: token_for(&srv, "gd-coord", "coordinator", Some("440000")).await,
        };
        let base = "/api/v1/provinces/440000";
        let rid = coord.open_round("base_new", "评审").await;
        coord
            .post(
                &format!("{base}/rounds/{rid}/applications"),
                app("A1", "甲单位"),
            )
            .await;
        let draw = coord.revealed_draw(rid, 5, 2).await;
        let (st, v) = coord
            .post(
                &format!("{base}/rounds/{rid}/advance"),
                json!({"to": "scoring"}),
            )
            .await;
        assert_eq!(st, 200, "{v}");
        score_everything(&coord, rid, &draw).await;
        // One member withdraws after scoring: the seat goes to an alternate, whose
        // sheet is now missing; the leaver's sheet no longer counts.
        let (_, full) = coord.get(&format!("{base}/draws/{draw}")).await;
        let leaver = full["panel"][4]["expert_id"].as_str().unwrap().to_string();
        let (st, v) = coord
            .post(
                &format!("{base}/draws/{draw}/declines"),
                json!({"expert_id": leaver, "reason": "conflict_of_interest"}),
            )
            .await;
        assert_eq!(st, 200, "{v}");
        let replacement = v["replacement"].as_str().unwrap().to_string();
        let (_, prog) = coord
            .get(&format!("{base}/rounds/{rid}/scoring/progress"))
            .await;
        assert_eq!(prog[0]["submitted"], 4, "{prog}");
        assert_eq!(prog[0]["pending"], 1);
        let (st, _) = coord.get(&format!("{base}/rounds/{rid}/results")).await;
        assert_eq!(st, 409);
        // The replacement scores (score_everything links only new members).
        let (_, rv) = coord.get(&format!("{base}/rounds/{rid}/rubric")).await;
        let rubric: rules::Rubric = serde_json::from_value(rv["rubric"].clone()).unwrap();
        let (_, a) = coord
            .post(
                "/api/v1/accounts",
                json!({"username": "rep", "role": "expert", "province": "440000", "expert_id": replacement}),
            )
            .await;
        let t = login(&srv, "rep", a["one_time_password"].as_str().unwrap()).await;
        let rep = Api {
            srv: &srv,
            token: t,
        };
        let (st, v) = rep
            .post(
                &format!("{base}/rounds/{rid}/sheets/A1/submit"),
                sheet_json(&fairpanel::scores::sample_sheet(&rubric, "A1", 9)),
            )
            .await;
        assert_eq!(st, 200, "{v}");
        let (_, res) = coord.get(&format!("{base}/rounds/{rid}/results")).await;
        assert_eq!(res["results"][0]["aggregate"]["sheets"], 5);
        let (st, _) = coord
            .post(
                &format!("{base}/rounds/{rid}/advance"),
                json!({"to": "closed"}),
            )
            .await;
        assert_eq!(st, 200);
        let size = srv.state.store.log_size().await.unwrap();
        let last = srv.state.store.entries(size - 1, size).await.unwrap();
        let fairpanel_core::entry::Body::Seal(seal) =
            fairpanel_core::entry::parse(&last[0].bytes).unwrap().body
        else {
            panic!("no seal");
        };
        assert_eq!(seal.sheets.len(), 5, "the leaver's sheet is not sealed");
    }
}

/// Hole 6 of protocol v1 through the service: a sheet row flipped to
/// `recused` in the database after it was committed makes the service seal
/// without it; the audit names the row, and the disclosed bundle is refused
/// because the seal leaves out a sheet the log says is live.
#[tokio::test]
async fn a_seal_left_incomplete_by_a_changed_row_is_named_by_the_audit_and_refused_by_the_verifier()
{
    for db in backends::all().await {
        let srv = setup(&db.url).await;
        let coord = Api {
            srv: &srv,
            token: token_for(&srv, "gd-coord", "coordinator", Some("440000")).await,
        };
        let base = "/api/v1/provinces/440000";
        let rid = coord.open_round("base_new", "评审").await;
        for (r, o) in [("A1", "甲单位"), ("A2", "乙单位")] {
            let (st, v) = coord
                .post(&format!("{base}/rounds/{rid}/applications"), app(r, o))
                .await;
            assert_eq!(st, 201, "{v}");
        }
        let draw = coord.revealed_draw(rid, 5, 2).await;
        let (st, v) = coord
            .post(
                &format!("{base}/rounds/{rid}/advance"),
                json!({"to": "scoring"}),
            )
            .await;
        assert_eq!(st, 200, "{v}");
        // scoring_open lists the applications it fixes.
        let size = srv.state.store.log_size().await.unwrap();
        let last = srv.state.store.entries(size - 1, size).await.unwrap();
        let fairpanel_core::entry::Body::ScoringOpen(open) =
            fairpanel_core::entry::parse(&last[0].bytes).unwrap().body
        else {
            panic!("the last entry is not scoring_open");
        };
        assert_eq!(open.applications, ["A1", "A2"]);
        score_everything(&coord, rid, &draw).await;
        let store = &srv.state.store;
        let audit = || async {
            fairpanel::audit::run(store, &srv.state.key.public(), "test.example/log")
                .await
                .unwrap()
                .problems
                .iter()
                .map(|p| p.to_string())
                .collect::<Vec<_>>()
        };
        assert_eq!(audit().await, Vec::<String>::new(), "{}", db.name);
        let sql = format!(
            "UPDATE sheets SET state = 'recused', bytes = NULL WHERE round_id = {rid} AND ref_no = 'A1' AND expert_id = (SELECT MIN(expert_id) FROM sheets WHERE round_id = {rid})"
        );
        fairpanel::with_pool!(store, p => {
            let n = sqlx::query(sqlx::AssertSqlSafe(sql)).execute(p).await.unwrap().rows_affected();
            assert_eq!(n, 1);
        });
        let found = audit().await;
        assert!(
            found
                .iter()
                .any(|f| f.contains("state is \"recused\", the log says \"submitted\"")),
            "{}: {found:?}",
            db.name
        );
        let (st, v) = coord
            .post(
                &format!("{base}/rounds/{rid}/advance"),
                json!({"to": "closed"}),
            )
            .await;
        assert_eq!(st, 200, "{v}");
        let (st, _) = coord
            .post(&format!("{base}/draws/{draw}/disclose"), json!({}))
            .await;
        assert_eq!(st, 200);
        let b = request(
            srv.addr,
            "GET",
            &format!("/api/v1/public/draws/{draw}/bundle"),
            &[],
            None,
        )
        .await;
        let report = fairpanel_core::verify::verify_bundle(b.body.as_bytes(), None).unwrap();
        let first = report.first_failure().expect("the bundle is refused");
        assert_eq!(first.name, "scoring", "{}: {first:?}", db.name);
        assert!(
            matches!(&first.outcome, fairpanel_core::verify::Outcome::Failed(m) if m.contains("the seal leaves out the sheet")),
            "{}: {first:?}",
            db.name
        );
    }
}
