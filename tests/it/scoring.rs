//! Scoring through the HTTP API on both backends: the rubric fixed when scoring
//! opens, blind sheets, validation, the abnormal-total explanation, recusal,
//! reopening, results with trimmed means and quotas, and the seal.

use super::draws::{Api, app, setup};
use super::http::{request, token_for};
use super::*;
use fairpanel_core::scoring::{self as rules, Sheet};
use serde_json::{Value, json};
use std::collections::BTreeMap;

/// Logs in; the session token (the one login helper's).
/// Opens a new account's activation code (choosing a password, as its person
/// does) and signs in; the session token.
pub async fn login(srv: &super::http::Server, user: &str, code: &str) -> String {
    super::http::first_login(srv.addr, user, code).await
}

pub fn sheet_json(s: &Sheet) -> Value {
    serde_json::to_value(s).unwrap()
}

/// The scoring round of the tests below, on one backend: a server with the
/// synthetic roster, a round with applications A1 and A2, a revealed draw of 5
/// members and 2 alternates, an expert account for each member and one for an
/// expert not on the panel. Each step's helper does what the test of that step
/// checks, with only the checks it needs to go on.
pub struct Scoring {
    pub srv: super::http::Server,
    pub db: &'static str,
    pub coord: String,
    pub rid: i64,
    pub draw: String,
    /// The panel's expert ids, in seat order.
    pub panel: Vec<String>,
    /// The panel members' sessions, in seat order.
    pub experts: Vec<String>,
    /// The session of an expert not on the panel.
    pub outsider: String,
    /// The round's rubric as adapted (its title changed) before scoring.
    pub rubric: rules::Rubric,
}

pub const BASE: &str = "/api/v1/provinces/440000";

impl Scoring {
    /// The round and its two applications, before any draw: the server, the
    /// coordinator's session and the round.
    async fn applied(db: &backends::TestDb) -> (super::http::Server, String, i64) {
        let srv = setup(&db.url).await;
        let coord = token_for(&srv, "gd-coord", "coordinator", Some("440000")).await;
        let api = Api {
            srv: &srv,
            token: coord.clone(),
        };
        let rid = api.open_round("base_new", "评审").await;
        for (r, o) in [("A1", "甲单位"), ("A2", "乙单位")] {
            let (st, v) = api
                .post(&format!("{BASE}/rounds/{rid}/applications"), app(r, o))
                .await;
            assert_eq!(st, 201, "{v}");
        }
        (srv, coord, rid)
    }

    /// Up to the revealed draw and the accounts (the rubric not yet adapted).
    pub async fn drawn(db: &backends::TestDb) -> Scoring {
        let (srv, coord, rid) = Scoring::applied(db).await;
        Scoring::draw(db, srv, coord, rid).await
    }

    /// Reveals a draw for round `rid` and makes the experts' accounts.
    async fn draw(
        db: &backends::TestDb,
        srv: super::http::Server,
        coord: String,
        rid: i64,
    ) -> Scoring {
        let api = Api {
            srv: &srv,
            token: coord.clone(),
        };
        let draw = api.revealed_draw(rid, 5, 2).await;
        let (_, full) = api.get(&format!("{BASE}/draws/{draw}")).await;
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
            let (st, v) = api
                .post(
                    "/api/v1/accounts",
                    json!({"username": format!("ex{k}"), "role": "expert", "province": "440000", "expert_id": e}),
                )
                .await;
            assert_eq!(st, 200, "{v}");
            experts.push(
                login(
                    &srv,
                    &format!("ex{k}"),
                    v["activation_code"].as_str().unwrap(),
                )
                .await,
            );
        }
        let outsider = experts.pop().unwrap();
        let (_, rv) = api.get(&format!("{BASE}/rounds/{rid}/rubric")).await;
        let mut rubric: rules::Rubric = serde_json::from_value(rv["rubric"].clone()).unwrap();
        rubric.title = format!("{}（本轮）", rubric.title);
        Scoring {
            db: db.name,
            srv,
            coord,
            rid,
            draw,
            panel,
            experts,
            outsider,
            rubric,
        }
    }

    /// Up to scoring opened: the adapted rubric stored, the province's limit
    /// for the year lowered to one project (one place left).
    pub async fn opened(db: &backends::TestDb) -> Scoring {
        let s = Scoring::drawn(db).await;
        let coord = s.coord();
        let (st, v) = coord
            .call(
                "PUT",
                &format!("{BASE}/rounds/{}/rubric", s.rid),
                Some(serde_json::to_value(&s.rubric).unwrap()),
            )
            .await;
        assert_eq!(st, 200, "{v}");
        let (st, v) = coord
            .call(
                "PUT",
                &format!("{BASE}/years/2026/limit"),
                Some(json!({"limit": 1})),
            )
            .await;
        assert_eq!(st, 200, "{v}");
        let (st, v) = coord
            .post(
                &format!("{BASE}/rounds/{}/advance", s.rid),
                json!({"to": "scoring"}),
            )
            .await;
        assert_eq!(st, 200, "{v}");
        for k in 0..s.experts.len() {
            pledge(&s.expert(k), s.rid).await;
        }
        s
    }

    pub fn coord(&self) -> Api<'_> {
        self.api(&self.coord)
    }
    pub fn expert(&self, k: usize) -> Api<'_> {
        self.api(&self.experts[k])
    }
    pub fn outsider(&self) -> Api<'_> {
        self.api(&self.outsider)
    }
    pub fn api(&self, token: &str) -> Api<'_> {
        Api {
            srv: &self.srv,
            token: token.to_string(),
        }
    }
    pub fn url(&self, rest: &str) -> String {
        format!("{BASE}/rounds/{}/{rest}", self.rid)
    }

    /// Member `k` submits `sheet` for `app`; the status and the answer.
    pub async fn submit(&self, k: usize, app: &str, sheet: &Sheet) -> (u16, Value) {
        self.expert(k)
            .post(
                &self.url(&format!("sheets/{app}/submit")),
                sheet_json(sheet),
            )
            .await
    }

    /// A1's low total, zero on every indicator that is not objective.
    fn low_a1(&self) -> Sheet {
        let mut low = fairpanel::scores::sample_sheet(&self.rubric, "A1", 4);
        for (s, ind) in low.scores.iter_mut().zip(&self.rubric.indicators) {
            if !ind.objective {
                s.points = rust_decimal::Decimal::ZERO;
            }
        }
        low
    }

    /// All five members submit A1, the fifth with a low total and its
    /// explanation.
    async fn score_a1(&self) {
        for k in 0..4 {
            let s = fairpanel::scores::sample_sheet(&self.rubric, "A1", k);
            let (st, v) = self.submit(k, "A1", &s).await;
            assert_eq!(st, 200, "{} expert {k}: {v}", self.db);
        }
        let mut low = self.low_a1();
        low.explanation = Some("实地核查发现培训记录与申报不符".into());
        let (st, v) = self.submit(4, "A1", &low).await;
        assert_eq!(st, 200, "{v}");
    }

    /// The fifth member declares a conflict with A2 (a recusal).
    async fn recuse_a2(&self) {
        let (st, _) = self
            .expert(4)
            .post(
                &self.url("sheets/A2/recuse"),
                json!({"reason": "曾在该单位任职"}),
            )
            .await;
        assert_eq!(st, 200);
    }

    /// The fifth member recuses from A2 and the first three submit it; the
    /// fourth member's A2 sheet is the round's last ([`Scoring::last_sheet`]).
    async fn recuse_and_score_a2(&self) {
        self.recuse_a2().await;
        for k in 0..3 {
            let s = fairpanel::scores::sample_sheet(&self.rubric, "A2", k + 3);
            let (st, v) = self.submit(k, "A2", &s).await;
            assert_eq!(st, 200, "{v}");
        }
    }

    /// The round's last sheet (the fourth member's A2): every sheet is in and
    /// the round locks.
    async fn last_sheet(&self) {
        let s = fairpanel::scores::sample_sheet(&self.rubric, "A2", 6);
        let (st, v) = self.submit(3, "A2", &s).await;
        assert_eq!(st, 200, "{v}");
    }

    /// The coordinator reopens the first member's A2 sheet, and it is submitted
    /// again.
    async fn reopen_and_resubmit_a2(&self) {
        let (st, _) = self
            .coord()
            .post(
                &self.url(&format!("sheets/A2/{}/reopen", self.panel[0])),
                json!({"reason": "笔误，专家申请更正"}),
            )
            .await;
        assert_eq!(st, 200);
        let s = fairpanel::scores::sample_sheet(&self.rubric, "A2", 7);
        let (st, _) = self.submit(0, "A2", &s).await;
        assert_eq!(st, 200);
    }

    /// Everything scored: A1 by five, A2 by four (one sheet reopened and
    /// submitted again before the last was in); the round is locked.
    async fn scored(db: &backends::TestDb) -> Scoring {
        let s = Scoring::opened(db).await;
        s.score_a1().await;
        s.recuse_and_score_a2().await;
        s.reopen_and_resubmit_a2().await;
        s.last_sheet().await;
        s
    }

    /// Discloses the panel's draw; its public bundle.
    async fn disclosed_bundle(&self) -> super::http::Reply {
        let (st, v) = self
            .coord()
            .post(&format!("{BASE}/draws/{}/disclose", self.draw), json!({}))
            .await;
        assert_eq!(st, 200, "{v}");
        request(
            self.srv.addr,
            "GET",
            &format!("/api/v1/public/draws/{}/bundle", self.draw),
            &[],
            None,
        )
        .await
    }

    /// The log's last entry.
    async fn last_entry(&self) -> fairpanel_core::entry::Body {
        let size = self.srv.state.store.log_size().await.unwrap();
        let last = self.srv.state.store.entries(size - 1, size).await.unwrap();
        fairpanel_core::entry::parse(&last[0].bytes).unwrap().body
    }
}

#[tokio::test]
async fn scoring_opens_only_after_the_draw_and_fixes_the_adapted_rubric_and_the_quota() {
    for db in backends::all().await {
        let (srv, coord, rid) = Scoring::applied(&db).await;
        let (st, _) = Api {
            srv: &srv,
            token: coord.clone(),
        }
        .post(
            &format!("{BASE}/rounds/{rid}/advance"),
            json!({"to": "scoring"}),
        )
        .await;
        assert_eq!(st, 409, "no scoring before a panel is drawn");
        let s = Scoring::draw(&db, srv, coord, rid).await;
        let coord = s.coord();

        // The rubric can be adapted before scoring, not after.
        let (_, rv) = coord.get(&s.url("rubric")).await;
        assert_eq!(rv["fixed"], false);
        let mut bad = s.rubric.clone();
        bad.indicators[0].max_points -= rust_decimal::Decimal::new(5, 1);
        let (st, v) = coord
            .call(
                "PUT",
                &s.url("rubric"),
                Some(serde_json::to_value(&bad).unwrap()),
            )
            .await;
        assert_eq!(st, 400, "weights must sum to 100: {v}");
        let (st, v) = coord
            .call(
                "PUT",
                &s.url("rubric"),
                Some(serde_json::to_value(&s.rubric).unwrap()),
            )
            .await;
        assert_eq!(st, 200, "{v}");
        let (st, _) = s.expert(0).get(&s.url("sheets/mine")).await;
        assert_eq!(st, 409, "no sheets before scoring opens");

        // The province-year's limit is set before scoring opens; scoring_open
        // fixes it, with what sealed rounds used (none yet).
        let (st, v) = coord
            .call(
                "PUT",
                &format!("{BASE}/years/2026/limit"),
                Some(json!({"limit": 4})),
            )
            .await;
        assert_eq!(st, 200, "{v}");
        let (st, v) = coord
            .post(&s.url("advance"), json!({"to": "scoring"}))
            .await;
        assert_eq!(st, 200, "{v}");
        let fairpanel_core::entry::Body::ScoringOpen(open) = s.last_entry().await else {
            panic!("the last entry is not scoring_open");
        };
        assert_eq!((open.quota, open.already_recommended), (4, 0));
        // A later change of the limit is for later rounds: this round's row
        // keeps what its scoring_open fixed (the audit compares the two).
        let (st, v) = coord
            .call(
                "PUT",
                &format!("{BASE}/years/2026/limit"),
                Some(json!({"limit": 3})),
            )
            .await;
        assert_eq!(st, 200, "{v}");
        let (st, v) = coord.get(&s.url("results")).await;
        assert_eq!(st, 409, "no results before the lock: {v}");
        audit_clean(&s).await;
        let (_, rv) = coord.get(&s.url("rubric")).await;
        assert_eq!(rv["fixed"], true);
        assert_eq!(rv["rubric"]["title"], s.rubric.title.as_str());
        let (st, _) = coord
            .call(
                "PUT",
                &s.url("rubric"),
                Some(serde_json::to_value(&s.rubric).unwrap()),
            )
            .await;
        assert_eq!(st, 409, "the rubric is fixed once scoring opens");
        let (st, _) = s.outsider().get(&s.url("sheets/mine")).await;
        assert_eq!(st, 404, "an expert not on the panel has no sheets here");
    }
}

#[tokio::test]
async fn sheets_are_checked_drafts_stay_private_each_is_submitted_once_and_progress_is_blind() {
    for db in backends::all().await {
        let s = Scoring::opened(&db).await;
        let rubric = &s.rubric;
        // Validation: out of range and off step are refused with the indicator named.
        let mut wrong = fairpanel::scores::sample_sheet(rubric, "A1", 0);
        wrong.scores[0].points = rubric.indicators[0].max_points + rust_decimal::Decimal::ONE;
        let (st, v) = s.submit(0, "A1", &wrong).await;
        assert_eq!(st, 400);
        assert!(
            v["error"]
                .as_str()
                .unwrap()
                .contains(&rubric.indicators[0].code),
            "{v}"
        );
        // A draft is kept and only its author sees it.
        let draft = fairpanel::scores::sample_sheet(rubric, "A1", 0);
        let (st, _) = s
            .expert(0)
            .call("PUT", &s.url("sheets/A1"), Some(sheet_json(&draft)))
            .await;
        assert_eq!(st, 200);
        let (_, mine) = s.expert(0).get(&s.url("sheets/mine")).await;
        assert_eq!(mine[0]["state"], "draft");
        let (_, theirs) = s.expert(1).get(&s.url("sheets/mine")).await;
        assert_eq!(theirs[0]["state"], "pending");
        assert!(theirs[0]["sheet"].is_null());

        // Four experts submit A1.
        for k in 0..4 {
            let sheet = fairpanel::scores::sample_sheet(rubric, "A1", k);
            let (st, v) = s.submit(k, "A1", &sheet).await;
            assert_eq!(st, 200, "{} expert {k}: {v}", s.db);
        }
        let again = fairpanel::scores::sample_sheet(rubric, "A1", 0);
        let (st, _) = s.submit(0, "A1", &again).await;
        assert_eq!(st, 409, "submitted once");
        // Blind: nobody sees results, the coordinator sees counts only.
        for who in [s.coord(), s.expert(0)] {
            let (st, _) = who.get(&s.url("results")).await;
            assert_eq!(st, 409);
        }
        let (st, prog) = s.coord().get(&s.url("scoring/progress")).await;
        assert_eq!(st, 200);
        assert_eq!(prog[0]["submitted"], 4);
        assert_eq!(prog[0]["pending"], 1);
        assert!(!prog.to_string().contains("points"), "{prog}");
    }
}

/// The views of one expert that could carry something of other sheets: their
/// own sheets, and the results (refused before the lock, and why). Log
/// sequence numbers are left out: they count entries, not their contents.
async fn expert_view(s: &Scoring, k: usize) -> Value {
    let (st1, mine) = s.expert(k).get(&s.url("sheets/mine")).await;
    let (st2, res) = s.expert(k).get(&s.url("results")).await;
    json!({"mine": [st1, mine], "results": [st2, res]})
}

/// Drops the `seq` member (a log position) from a submission's answer.
fn without_seq(mut v: Value) -> Value {
    if let Some(o) = v.as_object_mut() {
        o.remove("seq");
    }
    v
}

/// The audit of the server's store finds nothing.
async fn audit_clean(s: &Scoring) {
    let a = fairpanel::audit::run(
        &s.srv.state.store,
        &s.srv.state.key.public(),
        "test.example/log",
    )
    .await
    .unwrap();
    assert!(a.problems.is_empty(), "{} {:?}", s.db, a.problems);
}

/// The dead end, walked in every order: five members score A1, one
/// of them (member 4) with a total far below the others and no explanation.
/// Whatever the order, every submission is accepted, nothing answers 500,
/// the sheets lock when the last is in, exactly member 4 is asked to explain,
/// the results wait for the explanation, then open. Each order runs in the
/// same round: after the results the coordinator unlocks with a reason,
/// reopens all five A1 sheets and the next order begins; at the end the
/// round is sealed and its bundle, 120 locks long, verifies.
#[tokio::test]
async fn every_submission_order_of_an_outlier_locks_asks_the_outlier_and_never_dead_ends() {
    for db in backends::all().await {
        let s = Scoring::opened(&db).await;
        // A2 is settled first (member 4 recuses), so A1 decides the lock.
        s.recuse_a2().await;
        for k in 0..4 {
            let sheet = fairpanel::scores::sample_sheet(&s.rubric, "A2", k + 3);
            assert_eq!(s.submit(k, "A2", &sheet).await.0, 200);
        }
        // The outlier's sheet differs in its comment from one order to the
        // next: a new sheet each time, so each lock asks afresh.
        let sheet_of = |k: usize, n: usize| {
            if k == 4 {
                let mut low = s.low_a1();
                low.comment = Some(format!("第 {n} 次"));
                low
            } else {
                fairpanel::scores::sample_sheet(&s.rubric, "A1", k)
            }
        };
        let mut orders: Vec<Vec<usize>> = vec![vec![]];
        for _ in 0..5 {
            orders = orders
                .into_iter()
                .flat_map(|o| {
                    (0..5)
                        .filter(|k| !o.contains(k))
                        .map(|k| {
                            let mut n = o.clone();
                            n.push(k);
                            n
                        })
                        .collect::<Vec<_>>()
                })
                .collect();
        }
        assert_eq!(orders.len(), 120);
        for (n, order) in orders.iter().enumerate() {
            for (i, &k) in order.iter().enumerate() {
                let (st, v) = s.submit(k, "A1", &sheet_of(k, n)).await;
                assert_eq!(st, 200, "{} order {order:?}, member {k}: {v}", s.db);
                let (st, res) = s.coord().get(&s.url("results")).await;
                assert_eq!(st, 409, "{} order {order:?}: {res}", s.db);
                if i < 4 {
                    assert!(
                        res["error"].as_str().unwrap().contains("not in yet"),
                        "{res}"
                    );
                }
            }
            // Locked: exactly the outlier is asked; the progress shows one.
            let (_, prog) = s.coord().get(&s.url("scoring/progress")).await;
            let needed: Vec<(String, u64)> = prog
                .as_array()
                .unwrap()
                .iter()
                .map(|p| {
                    (
                        p["application"].as_str().unwrap().to_string(),
                        p["explanations_needed"].as_u64().unwrap(),
                    )
                })
                .collect();
            assert_eq!(
                needed,
                [("A1".to_string(), 1), ("A2".to_string(), 0)],
                "{order:?}"
            );
            for k in 0..5 {
                let (_, mine) = s.expert(k).get(&s.url("sheets/mine")).await;
                let a1 = mine
                    .as_array()
                    .unwrap()
                    .iter()
                    .find(|m| m["application"] == "A1")
                    .unwrap()
                    .clone();
                let want = if k == 4 { json!("needed") } else { Value::Null };
                assert_eq!(a1["explanation"], want, "{order:?} member {k}: {a1}");
            }
            let (st, v) = s
                .expert(1)
                .post(
                    &s.url("sheets/A1/explain"),
                    json!({"explanation": "不需要"}),
                )
                .await;
            assert_eq!(st, 409, "only the asked member explains: {v}");
            let (st, v) = s
                .expert(4)
                .post(
                    &s.url("sheets/A1/explain"),
                    json!({"explanation": "实地核查发现培训记录与申报不符"}),
                )
                .await;
            assert_eq!(st, 200, "{v}");
            let (st, res) = s.coord().get(&s.url("results")).await;
            assert_eq!(st, 200, "{} order {order:?}: {res}", s.db);
            if n + 1 == orders.len() {
                break;
            }
            let (st, v) = s
                .coord()
                .post(&s.url("scoring/unlock"), json!({"reason": "按顺序重测"}))
                .await;
            assert_eq!(st, 200, "{v}");
            for k in 0..5 {
                let (st, v) = s
                    .coord()
                    .post(
                        &s.url(&format!("sheets/A1/{}/reopen", s.panel[k])),
                        json!({"reason": "按顺序重测"}),
                    )
                    .await;
                assert_eq!(st, 200, "{v}");
            }
        }
        // An unlock that changes another sheet: the outlier's sheet is the
        // same, so its explanation stands and is logged again with the lock.
        let (st, v) = s
            .coord()
            .post(
                &s.url("scoring/unlock"),
                json!({"reason": "更正另一份评分表"}),
            )
            .await;
        assert_eq!(st, 200, "{v}");
        let reopen = s.url(&format!("sheets/A1/{}/reopen", s.panel[1]));
        let (st, v) = s.coord().post(&reopen, json!({"reason": "笔误"})).await;
        assert_eq!(st, 200, "{v}");
        let again = fairpanel::scores::sample_sheet(&s.rubric, "A1", 6);
        assert_eq!(s.submit(1, "A1", &again).await.0, 200);
        let (_, mine) = s.expert(4).get(&s.url("sheets/mine")).await;
        assert!(
            mine.to_string().contains("\"explanation\":\"given\""),
            "{mine}"
        );
        let (st, res) = s.coord().get(&s.url("results")).await;
        assert_eq!(st, 200, "the explanation carried over: {res}");
        let (st, v) = s
            .coord()
            .post(&s.url("advance"), json!({"to": "closed"}))
            .await;
        assert_eq!(st, 200, "{v}");
        let b = s.disclosed_bundle().await;
        let report = fairpanel_core::verify::verify_bundle(b.body.as_bytes(), None).unwrap();
        assert!(report.ok(), "{} {:?}", s.db, report.first_failure());
        assert!(
            b.body.contains("\"explanations\""),
            "the bundle carries the explanation"
        );
        audit_clean(&s).await;
    }
}

/// Before the lock, nothing an expert receives depends on the values of
/// other sheets: one expert's answers are compared between two rounds whose
/// other sheets differ, submission by submission, until the last sheet is in.
/// The watched member submits a total far below the others' after three of
/// them are in (1.1 refused it, telling the distance to their median).
#[tokio::test]
async fn before_the_lock_no_answer_to_an_expert_depends_on_other_sheets() {
    let mut seen: BTreeMap<&str, Vec<Vec<Value>>> = BTreeMap::new();
    for world in 0..2 {
        for db in backends::all().await {
            let s = Scoring::opened(&db).await;
            let mut views = Vec::new();
            // Members 1 to 3 first, with other points in each world.
            for k in 1..4 {
                for app in ["A1", "A2"] {
                    let sheet = fairpanel::scores::sample_sheet(&s.rubric, app, k + 3 * world);
                    assert_eq!(s.submit(k, app, &sheet).await.0, 200);
                    views.push(expert_view(&s, 0).await);
                }
            }
            // The watched member: the same low A1 total in both worlds.
            let (st, v) = s.submit(0, "A1", &s.low_a1()).await;
            assert_eq!(st, 200, "{v}");
            views.push(without_seq(v));
            let a2 = fairpanel::scores::sample_sheet(&s.rubric, "A2", 0);
            let (st, v) = s.submit(0, "A2", &a2).await;
            assert_eq!(st, 200, "{v}");
            views.push(without_seq(v));
            views.push(expert_view(&s, 0).await);
            // Member 4's A1; its A2 would be the last sheet.
            let a1 = fairpanel::scores::sample_sheet(&s.rubric, "A1", 4 + world);
            assert_eq!(s.submit(4, "A1", &a1).await.0, 200);
            views.push(expert_view(&s, 0).await);
            seen.entry(db.name).or_default().push(views);
        }
    }
    for (db, worlds) in seen {
        assert_eq!(worlds.len(), 2);
        assert_eq!(worlds[0], worlds[1], "{db}");
    }
}

#[tokio::test]
async fn a_locked_round_refuses_reopening_and_declines_until_unlocked_with_a_reason() {
    for db in backends::all().await {
        let s = Scoring::scored(&db).await;
        let (st, _) = s.expert(2).get(&s.url("results")).await;
        assert_eq!(st, 200, "locked: results are open");
        let reopen = s.url(&format!("sheets/A1/{}/reopen", s.panel[1]));
        let (st, v) = s
            .coord()
            .post(&reopen, json!({"reason": "专家看到结果后要求改分"}))
            .await;
        assert_eq!(st, 409, "{v}");
        assert!(v["error"].as_str().unwrap().contains("locked"), "{v}");
        let declines = format!("{BASE}/draws/{}/declines", s.draw);
        let decline = json!({"expert_id": s.panel[1], "reason": "unavailable"});
        let (st, v) = s.coord().post(&declines, decline.clone()).await;
        assert_eq!(st, 409, "{v}");
        assert!(
            v["error"].as_str().unwrap().contains("locked its sheets"),
            "{v}"
        );
        // Unlocking needs a reason, and a coordinator.
        let unlock = s.url("scoring/unlock");
        let (st, _) = s.expert(0).post(&unlock, json!({"reason": "x"})).await;
        assert_eq!(st, 403);
        let (st, _) = s.coord().post(&unlock, json!({"reason": " "})).await;
        assert_eq!(st, 400);
        let why = json!({"reason": "申报材料更正，需重新评分"});
        let (st, v) = s.coord().post(&unlock, why.clone()).await;
        assert_eq!(st, 200, "{v}");
        assert!(matches!(
            s.last_entry().await,
            fairpanel_core::entry::Body::ScoringUnlock(_)
        ));
        let (st, _) = s.expert(2).get(&s.url("results")).await;
        assert_eq!(st, 409, "unlocked: results are hidden again");
        let (st, v) = s.coord().post(&s.url("scoring/lock"), json!({})).await;
        assert_eq!(st, 200, "nothing changed: the coordinator locks again: {v}");
        let (st, _) = s.expert(2).get(&s.url("results")).await;
        assert_eq!(st, 200);
        let (st, _) = s.coord().post(&unlock, why).await;
        assert_eq!(st, 200);
        let (st, v) = s
            .coord()
            .post(&reopen, json!({"reason": "申报材料更正"}))
            .await;
        assert_eq!(st, 200, "{v}");
        let (st, v) = s.coord().post(&s.url("scoring/lock"), json!({})).await;
        assert_eq!(st, 409, "a sheet is missing: {v}");
        let sheet = fairpanel::scores::sample_sheet(&s.rubric, "A1", 2);
        assert_eq!(s.submit(1, "A1", &sheet).await.0, 200);
        assert!(matches!(
            s.last_entry().await,
            fairpanel_core::entry::Body::ScoringLock(_)
        ));
        // The history shows it all, with the reasons, to the coordinator
        // (and supervisors), never to experts.
        let (st, h) = s.coord().get(&s.url("scoring/history")).await;
        assert_eq!(st, 200);
        let count = |what: &str| {
            h.as_array()
                .unwrap()
                .iter()
                .filter(|x| x["action"] == what)
                .count()
        };
        assert_eq!((count("lock"), count("unlock")), (3, 2), "{h}");
        assert!(h.to_string().contains("申报材料更正，需重新评分"));
        let (st, _) = s.expert(0).get(&s.url("scoring/history")).await;
        assert_eq!(st, 403);
        // Sealed: the panel no longer changes.
        let (st, v) = s
            .coord()
            .post(&s.url("advance"), json!({"to": "closed"}))
            .await;
        assert_eq!(st, 200, "{v}");
        let (st, v) = s.coord().post(&declines, decline).await;
        assert_eq!(st, 409, "{v}");
        audit_clean(&s).await;
    }
}

#[tokio::test]
async fn a_province_sets_its_abnormal_threshold_before_scoring_and_the_log_fixes_it() {
    for db in backends::all().await {
        let s = Scoring::drawn(&db).await;
        let url = s.url("abnormal-threshold");
        for bad in [
            json!("0"),
            json!(101),
            json!("abc"),
            json!("1.234"),
            json!(true),
        ] {
            let (st, v) = s
                .coord()
                .call("PUT", &url, Some(json!({ "points": bad })))
                .await;
            assert_eq!(st, 400, "{bad}: {v}");
        }
        let (st, v) = s
            .coord()
            .call("PUT", &url, Some(json!({"points": 60})))
            .await;
        assert_eq!(st, 200, "{v}");
        assert_eq!(v["abnormal_points"], "60.00");
        let (st, v) = s
            .coord()
            .post(&s.url("advance"), json!({"to": "scoring"}))
            .await;
        assert_eq!(st, 200, "{v}");
        let fairpanel_core::entry::Body::ScoringOpen(o) = s.last_entry().await else {
            panic!("the last entry is not scoring_open");
        };
        assert_eq!(o.abnormal_points.as_deref(), Some("60.00"));
        let (st, _) = s
            .coord()
            .call("PUT", &url, Some(json!({"points": 15})))
            .await;
        assert_eq!(st, 409, "fixed once scoring opens");
        for k in 0..s.experts.len() {
            pledge(&s.expert(k), s.rid).await;
        }
        // With 60 points the low A1 total (some 45 below) is not abnormal: the lock asks
        // nobody, and the results open at once.
        for k in 0..5 {
            let a1 = if k == 4 {
                s.low_a1()
            } else {
                fairpanel::scores::sample_sheet(&s.rubric, "A1", k)
            };
            assert_eq!(s.submit(k, "A1", &a1).await.0, 200);
            let a2 = fairpanel::scores::sample_sheet(&s.rubric, "A2", k);
            assert_eq!(s.submit(k, "A2", &a2).await.0, 200);
        }
        let fairpanel_core::entry::Body::ScoringLock(l) = s.last_entry().await else {
            panic!("the last sheet locks the round");
        };
        assert!(l.explain.is_empty(), "{l:?}");
        let (st, res) = s.coord().get(&s.url("results")).await;
        assert_eq!(st, 200, "{res}");
    }
}

/// A sheet's comment is sealed as the expert sent it: hidden characters are
/// refused, and so is text not in NFC (it is not changed behind the
/// expert's back); recusal and reopening reasons follow the text rules.
#[tokio::test]
async fn sheets_and_reasons_with_hidden_characters_are_refused_and_a_sheet_must_be_nfc() {
    for db in backends::all().await {
        let s = Scoring::opened(&db).await;
        let mut sheet = fairpanel::scores::sample_sheet(&s.rubric, "A1", 0);
        for (comment, error) in [
            (
                "材料齐全\u{202E}条件符合",
                "comment contains a control or invisible character (U+202E); remove it",
            ),
            (
                "Cafe\u{301} training",
                "comment is not in Unicode normal form C (NFC); normalise it and send it again",
            ),
            (
                "Tr\u{430}ining records checked",
                "comment has a word that mixes Latin letters with look-alike letters of another script (Tr\u{430}ining); retype it",
            ),
        ] {
            sheet.comment = Some(comment.into());
            let (st, v) = s.submit(0, "A1", &sheet).await;
            assert_eq!((st, v["error"].as_str().unwrap()), (400, error), "{}", s.db);
        }
        sheet.comment = Some("Caf\u{e9} training 材料齐全\n条件符合".into());
        let (st, v) = s.submit(0, "A1", &sheet).await;
        assert_eq!(st, 200, "{v}");
        let (st, v) = s
            .expert(4)
            .post(
                &s.url("sheets/A2/recuse"),
                json!({"reason": "曾在该单位任职\u{200B}"}),
            )
            .await;
        assert_eq!(st, 400, "{v}");
        assert_eq!(
            v["error"],
            "reason contains a control or invisible character (U+200B); remove it"
        );
        let (st, v) = s
            .coord()
            .post(
                &s.url(&format!("sheets/A1/{}/reopen", s.panel[0])),
                json!({"reason": "\u{202B}笔误"}),
            )
            .await;
        assert_eq!(st, 400, "{v}");
        assert_eq!(
            v["error"],
            "reason contains a control or invisible character (U+202B); remove it"
        );
    }
}

#[tokio::test]
async fn only_a_coordinator_reopens_a_sheet_with_a_reason_and_results_wait_for_it() {
    for db in backends::all().await {
        let s = Scoring::opened(&db).await;
        s.score_a1().await;
        // A2: one recusal, one reopened and resubmitted sheet, before the
        // last sheet is in.
        s.recuse_and_score_a2().await;
        let reopen = s.url(&format!("sheets/A2/{}/reopen", s.panel[0]));
        let (st, _) = s.expert(0).post(&reopen, json!({"reason": "x"})).await;
        assert_eq!(st, 403, "only a coordinator reopens");
        let (st, _) = s.coord().post(&reopen, json!({"reason": " "})).await;
        assert_eq!(st, 400, "a reason is required");
        let (st, _) = s
            .coord()
            .post(&reopen, json!({"reason": "笔误，专家申请更正"}))
            .await;
        assert_eq!(st, 200);
        let (st, _) = s.coord().get(&s.url("results")).await;
        assert_eq!(st, 409, "a reopened sheet is missing again");
        let sheet = fairpanel::scores::sample_sheet(&s.rubric, "A2", 7);
        let (st, _) = s.submit(0, "A2", &sheet).await;
        assert_eq!(st, 200, "{}", s.db);
        s.last_sheet().await;
        let (st, _) = s.coord().get(&s.url("results")).await;
        assert_eq!(st, 200, "every sheet is in and locked");
    }
}

#[tokio::test]
async fn results_trim_five_sheets_follow_the_rule_and_recommend_for_the_one_place_left() {
    for db in backends::all().await {
        let s = Scoring::scored(&db).await;
        // Results: A1 has 5 sheets (trimmed), A2 has 4 (plain mean).
        let (st, res) = s.expert(2).get(&s.url("results")).await;
        assert_eq!(st, 200, "{res}");
        let (st, _) = s.outsider().get(&s.url("results")).await;
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
    }
}

#[tokio::test]
async fn closing_seals_the_sheets_and_the_disclosed_bundle_lets_the_verifier_recompute_the_result()
{
    for db in backends::all().await {
        let s = Scoring::scored(&db).await;
        // Closing seals; disclosure follows; the draw's bundle still verifies.
        let (st, v) = s
            .coord()
            .post(&s.url("advance"), json!({"to": "closed"}))
            .await;
        assert_eq!(st, 200, "{v}");
        let fairpanel_core::entry::Body::Seal(seal) = s.last_entry().await else {
            panic!("the last entry is not the seal");
        };
        assert_eq!(seal.sheets.len(), 9, "5 + 4 sheets");
        assert_eq!(seal.results.len(), 2);
        assert_eq!(seal.results.iter().filter(|r| r.recommended).count(), 1);
        let late = fairpanel::scores::sample_sheet(&s.rubric, "A1", 1);
        let (st, _) = s.submit(1, "A1", &late).await;
        assert_eq!(st, 409, "nothing is submitted after the seal");
        let b = s.disclosed_bundle().await;
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
/// The expert `me` confirms round `rid`'s pledge, declaring no conflict.
pub async fn pledge(me: &Api<'_>, rid: i64) {
    let (st, v) = me.get(&format!("{BASE}/rounds/{rid}/pledge")).await;
    assert_eq!(st, 200, "{v}");
    let (st, v) = me
        .post(
            &format!("{BASE}/rounds/{rid}/pledge"),
            json!({"hash": v["hash"]}),
        )
        .await;
    assert_eq!(st, 200, "{v}");
}

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
        // One account per roster expert: an expert seated in an earlier
        // round's panel signs in with the account activated then.
        let user = format!("scorer-{}", e.to_lowercase());
        let (st, v) = coord
            .post(
                "/api/v1/accounts",
                json!({"username": user, "role": "expert", "province": "440000", "expert_id": e}),
            )
            .await;
        let t = if st == 409 {
            // The username is the expert's, so either uniqueness may answer.
            let why = v["error"].as_str().unwrap();
            assert!(
                why.contains("already has an account") || why.contains("is taken"),
                "{v}"
            );
            let r = super::http::login(coord.srv.addr, &user, super::http::CHOSEN_PW).await;
            super::http::token(&r)
        } else {
            assert_eq!(st, 200, "{v}");
            login(coord.srv, &user, v["activation_code"].as_str().unwrap()).await
        };
        let me = Api {
            srv: coord.srv,
            token: t,
        };
        // The applications this expert is to score (those that passed the
        // screen or were overridden).
        pledge(&me, rid).await;
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
        // A reason that hides text is refused, and nothing is logged.
        let (st, v) = coord
            .post(
                &format!("{base}/rounds/{rid}/applications/B1/override"),
                json!({"reason": "疫情期间培训量下降\u{202E}经省厅研究同意参评"}),
            )
            .await;
        assert_eq!(st, 400, "{v}");
        assert_eq!(
            v["error"],
            "reason contains a control or invisible character (U+202E); remove it"
        );
        assert_eq!(srv.state.store.log_size().await.unwrap(), before);
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
        // One member withdraws after scoring: the coordinator unlocks the
        // round with a reason, the seat goes to an alternate, whose sheet is
        // now missing; the leaver's sheet no longer counts.
        let (st, v) = coord
            .post(
                &format!("{base}/rounds/{rid}/scoring/unlock"),
                json!({"reason": "专家报告利益冲突，须退出"}),
            )
            .await;
        assert_eq!(st, 200, "{v}");
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
        // The leaver scored before the panel changed (so the server has
        // parsed the old panel's members once): the new panel is what
        // decides, and the leaver's sheet is refused.
        let r = super::http::login(
            srv.addr,
            &format!("scorer-{}", leaver.to_lowercase()),
            super::http::CHOSEN_PW,
        )
        .await;
        let left = Api {
            srv: &srv,
            token: super::http::token(&r),
        };
        let (_, rv) = coord.get(&format!("{base}/rounds/{rid}/rubric")).await;
        let rubric: rules::Rubric = serde_json::from_value(rv["rubric"].clone()).unwrap();
        let (st, v) = left
            .post(
                &format!("{base}/rounds/{rid}/sheets/A1/submit"),
                sheet_json(&fairpanel::scores::sample_sheet(&rubric, "A1", 8)),
            )
            .await;
        assert_eq!(st, 404, "{v}");
        assert!(
            v["error"]
                .as_str()
                .unwrap()
                .contains("not on this round's panel"),
            "{v}"
        );
        let (_, prog) = coord
            .get(&format!("{base}/rounds/{rid}/scoring/progress"))
            .await;
        assert_eq!(prog[0]["submitted"], 4, "{prog}");
        assert_eq!(prog[0]["pending"], 1);
        let (st, _) = coord.get(&format!("{base}/rounds/{rid}/results")).await;
        assert_eq!(st, 409);
        // The replacement scores (score_everything links only new members).
        let (_, a) = coord
            .post(
                "/api/v1/accounts",
                json!({"username": "rep", "role": "expert", "province": "440000", "expert_id": replacement}),
            )
            .await;
        let t = login(&srv, "rep", a["activation_code"].as_str().unwrap()).await;
        let rep = Api {
            srv: &srv,
            token: t,
        };
        pledge(&rep, rid).await;
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
        // Sealed: the same member's sheet, accepted a moment ago with the same
        // panel and rubric, is refused now.
        let (st, v) = rep
            .post(
                &format!("{base}/rounds/{rid}/sheets/A1/submit"),
                sheet_json(&fairpanel::scores::sample_sheet(&rubric, "A1", 9)),
            )
            .await;
        assert_eq!(st, 409, "{v}");
    }
}

/// 「已确定为国家级技能大师工作室的高技能人才，不得以相同单位再次申报」: a
/// studio this service's sealed round recommended comes back in a later round
/// with the same leader and organisation (spelled with other brackets) and is
/// screened out; the same organisation with another leader is not. Both
/// backends.
#[tokio::test]
async fn a_studio_this_service_recommended_is_screened_out_of_a_later_round() {
    for db in backends::all().await {
        let srv = setup(&db.url).await;
        let coord = token_for(&srv, "gd-coord", "coordinator", Some("440000")).await;
        let studio = |r: &str, leader: &str, org: &str| {
            json!({
                "ref_no": r, "applicant_org": org, "credit_code": null, "kind": "studio",
                "occupations": ["焊工"], "leader_name": leader, "leader_level": "高级技师",
                "craft_exception": null,
                "figures": {"annual_trainees": null, "high_skill_trainees": null, "pass_rate_pct": null,
                            "satisfaction_pct": null, "existing_national_studio": false},
                "no_sanctions": true, "sanctions_evidence": "信用中国报告 XY-0002",
                "notes": null
            })
        };
        let api = Api {
            srv: &srv,
            token: coord.clone(),
        };
        let first = api.open_round("studio", "第一批工作室").await;
        let (st, v) = api
            .post(
                &format!("{BASE}/rounds/{first}/applications"),
                studio("S1", "张师傅", "某某制造（广州）有限公司"),
            )
            .await;
        assert_eq!(st, 201, "{v}");
        let s = Scoring::draw(&db, srv, coord, first).await;
        let (st, v) = s
            .coord()
            .post(&s.url("advance"), json!({"to": "scoring"}))
            .await;
        assert_eq!(st, 200, "{v}");
        let (_, rv) = s.coord().get(&s.url("rubric")).await;
        let rubric: rules::Rubric = serde_json::from_value(rv["rubric"].clone()).unwrap();
        for k in 0..s.experts.len() {
            pledge(&s.expert(k), s.rid).await;
            let sheet = fairpanel::scores::sample_sheet(&rubric, "S1", k);
            let (st, v) = s.submit(k, "S1", &sheet).await;
            assert_eq!(st, 200, "{}: {v}", db.name);
        }
        let (st, v) = s
            .coord()
            .post(&s.url("advance"), json!({"to": "closed"}))
            .await;
        assert_eq!(st, 200, "{v}");
        let (_, results) = s.coord().get(&s.url("results")).await;
        assert_eq!(
            results["results"][0]["recommended"],
            json!(true),
            "{results}"
        );

        let later = s.coord().open_round("studio", "第二批工作室").await;
        for a in [
            studio("S2", "张师傅", "某某制造(广州) 有限公司"),
            studio("S3", "李师傅", "某某制造（广州）有限公司"),
        ] {
            let (st, v) = s
                .coord()
                .post(&format!("{BASE}/rounds/{later}/applications"), a)
                .await;
            assert_eq!(st, 201, "{v}");
        }
        let (st, screen) = s
            .coord()
            .get(&format!("{BASE}/rounds/{later}/screen"))
            .await;
        assert_eq!(st, 200, "{screen}");
        let of = |r: &str| {
            screen
                .as_array()
                .unwrap()
                .iter()
                .find(|x| x["application"] == r)
                .unwrap_or_else(|| panic!("{r} in {screen}"))
                .clone()
        };
        assert_eq!(of("S2")["eligible"], json!(false), "{}: {screen}", db.name);
        assert!(
            of("S2")["reasons"][0]
                .as_str()
                .unwrap()
                .contains("本系统已推荐过")
        );
        assert_eq!(of("S3")["eligible"], json!(true), "{screen}");
    }
}

/// Sheets as people and programs write them: points as JSON numbers or as
/// strings without trailing zeros are taken (and kept as two-decimal strings),
/// more than two decimals or a non-number is refused by name, and a saved
/// draft is submitted without sending it again. Both backends.
#[tokio::test]
async fn points_may_be_numbers_and_a_saved_draft_is_submitted_as_it_is() {
    for db in backends::all().await {
        let s = Scoring::opened(&db).await;
        let sheet = fairpanel::scores::sample_sheet(&s.rubric, "A1", 0);
        let mut numbers = sheet_json(&sheet);
        for x in numbers["scores"].as_array_mut().unwrap() {
            let p: f64 = x["points"].as_str().unwrap().parse().unwrap();
            x["points"] = json!(p);
        }
        let (st, v) = s.expert(0).post(&s.url("sheets/A1/submit"), numbers).await;
        assert_eq!(st, 200, "{}: {v}", db.name);
        let (_, mine) = s.expert(0).get(&s.url("sheets/mine")).await;
        let stored = mine
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x["application"] == "A1")
            .unwrap()["sheet"]["scores"]
            .clone();
        assert_eq!(
            stored,
            sheet_json(&sheet)["scores"],
            "kept as two-decimal strings"
        );

        // Strings without the trailing zeros, saved as a draft, then submitted
        // with no body.
        let mut short = sheet_json(&fairpanel::scores::sample_sheet(&s.rubric, "A1", 1));
        for x in short["scores"].as_array_mut().unwrap() {
            let p = x["points"]
                .as_str()
                .unwrap()
                .trim_end_matches('0')
                .trim_end_matches('.')
                .to_string();
            x["points"] = json!(p);
        }
        let (st, v) = s
            .expert(1)
            .call("PUT", &s.url("sheets/A1"), Some(short))
            .await;
        assert_eq!(st, 200, "{v}");
        let (st, v) = s
            .expert(1)
            .call("POST", &s.url("sheets/A1/submit"), None)
            .await;
        assert_eq!(st, 200, "the saved draft is submitted: {v}");
        assert!(v["seq"].as_u64().is_some(), "{v}");
        let (st, v) = s
            .expert(2)
            .call("POST", &s.url("sheets/A1/submit"), None)
            .await;
        assert_eq!(st, 400, "nothing saved: {v}");
        assert!(v.to_string().contains("no saved draft"), "{v}");

        for (bad, says) in [
            (json!("8.125"), "more than two decimals"),
            (json!(true), "number or a string"),
            (json!("八"), "not a decimal"),
        ] {
            let mut b = sheet_json(&fairpanel::scores::sample_sheet(&s.rubric, "A1", 2));
            b["scores"][0]["points"] = bad.clone();
            let (st, v) = s.expert(2).post(&s.url("sheets/A1/submit"), b).await;
            assert_eq!(st, 400, "{bad}: {v}");
            assert!(v.to_string().contains(says), "{bad}: {v}");
        }
        let (_, mine) = s.expert(2).get(&s.url("sheets/mine")).await;
        assert!(
            mine.as_array()
                .unwrap()
                .iter()
                .all(|x| x["state"] != "submitted"),
            "a refused sheet is not submitted: {mine}"
        );
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

/// Sheets submitted at once go through the group-commit queue: every
/// submission is answered on its own (the same sheet twice at once: one is
/// written, the other refused and writes nothing), every written sheet has
/// its own entry, the sheets that complete the round lock it exactly once,
/// after them, and the log stays one clean chain.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sheets_submitted_at_once_are_answered_each_and_lock_the_round_once() {
    for db in backends::all().await {
        let s = Scoring::opened(&db).await;
        s.recuse_a2().await;
        let before = s.srv.state.store.log_size().await.unwrap();
        // Every remaining sheet (A1 by five, A2 by four) plus member 0's A1
        // a second time, all at once.
        let mut work: Vec<(usize, &str, Sheet)> = Vec::new();
        for k in 0..5 {
            work.push((k, "A1", fairpanel::scores::sample_sheet(&s.rubric, "A1", k)));
        }
        for k in 0..4 {
            work.push((
                k,
                "A2",
                fairpanel::scores::sample_sheet(&s.rubric, "A2", k + 3),
            ));
        }
        work.push((0, "A1", fairpanel::scores::sample_sheet(&s.rubric, "A1", 0)));
        let answers = futures_util::future::join_all(
            work.iter().map(|(k, app, sheet)| s.submit(*k, app, sheet)),
        )
        .await;
        let ok: Vec<&Value> = answers
            .iter()
            .filter(|(st, _)| *st == 200)
            .map(|(_, v)| v)
            .collect();
        let refused: Vec<&(u16, Value)> = answers.iter().filter(|(st, _)| *st != 200).collect();
        assert_eq!(ok.len(), 9, "{}: {answers:?}", db.name);
        assert_eq!(refused.len(), 1, "{}: {answers:?}", db.name);
        assert_eq!(refused[0].0, 409, "{}: {answers:?}", db.name);
        // Each written sheet has its own entry: nine distinct sequence numbers.
        let mut seqs: Vec<u64> = ok.iter().map(|v| v["seq"].as_u64().unwrap()).collect();
        seqs.sort();
        seqs.dedup();
        assert_eq!(seqs.len(), 9, "{}: {answers:?}", db.name);
        let size = s.srv.state.store.log_size().await.unwrap();
        let bodies: Vec<fairpanel_core::entry::Body> = s
            .srv
            .state
            .store
            .entries(before, size)
            .await
            .unwrap()
            .iter()
            .map(|e| fairpanel_core::entry::parse(&e.bytes).unwrap().body)
            .collect();
        let commits = bodies
            .iter()
            .filter(|b| matches!(b, fairpanel_core::entry::Body::SheetCommit(_)))
            .count();
        let locks: Vec<usize> = bodies
            .iter()
            .enumerate()
            .filter(|(_, b)| matches!(b, fairpanel_core::entry::Body::ScoringLock(_)))
            .map(|(k, _)| k)
            .collect();
        assert_eq!(commits, 9, "{}", db.name);
        assert_eq!(locks.len(), 1, "{}: {bodies:?}", db.name);
        assert!(
            *seqs.last().unwrap() < before + locks[0] as u64,
            "{}: the lock comes after every sheet",
            db.name
        );
        audit_clean(&s).await;
    }
}

/// The sheet writer's batch, given directly (the queue forms one only when
/// requests overlap): each sheet is checked on its own against the state the
/// batch found (already submitted, recused, twice in the batch, the round
/// locked), the refused ones write nothing, the rest are written with one
/// statement per kind and one entry each, and the batch that completes the
/// round locks it once.
#[tokio::test]
async fn a_batch_of_sheets_is_checked_sheet_by_sheet_and_written_at_once() {
    for db in backends::all().await {
        let s = Scoring::opened(&db).await;
        let state = &s.srv.state;
        let wf = state.workflow();
        let p = fairpanel_core::types::Province::try_from("440000").unwrap();
        s.recuse_a2().await;
        let (st, v) = s
            .submit(
                1,
                "A1",
                &fairpanel::scores::sample_sheet(&s.rubric, "A1", 1),
            )
            .await;
        assert_eq!(st, 200, "{v}");
        let r = state.store.round(&p, s.rid).await.unwrap().unwrap();
        let job = |k: usize, app: &'static str, n: usize| {
            let r = r.clone();
            let sheet = fairpanel::scores::sample_sheet(&s.rubric, app, n);
            let wf = &wf;
            let ex = s.panel[k].clone();
            async move { wf.sheet_job(&r, &ex, 1, &sheet, None).await.unwrap() }
        };
        let batch = vec![
            job(0, "A1", 0).await,
            job(0, "A1", 2).await,
            job(1, "A1", 6).await,
            job(4, "A2", 3).await,
            job(2, "A2", 4).await,
        ];
        let before = state.store.log_size().await.unwrap();
        let out = wf.write_sheets(&batch).await.unwrap();
        let refusal = |k: usize| match &out[k] {
            Err(fairpanel::draws::DrawError::Conflict(m)) => m.clone(),
            other => panic!("{}: sheet {k} of the batch: {other:?}", db.name),
        };
        assert!(out[0].is_ok(), "{}: {out:?}", db.name);
        assert!(out[4].is_ok(), "{}: {out:?}", db.name);
        assert_eq!(refusal(1), "this sheet is already submitted", "{}", db.name);
        assert_eq!(refusal(2), "this sheet is already submitted", "{}", db.name);
        assert_eq!(
            refusal(3),
            "you declared a conflict with this application",
            "{}",
            db.name
        );
        // Two entries, each the commitment of its own sheet's bytes.
        let size = state.store.log_size().await.unwrap();
        assert_eq!(size, before + 2, "{}", db.name);
        let entries = state.store.entries(before, size).await.unwrap();
        for (k, e) in [(0, &entries[0]), (4, &entries[1])] {
            let (seq, total) = out[k].as_ref().unwrap();
            assert_eq!(*seq, e.seq, "{}", db.name);
            assert_eq!(*total, batch[k].total, "{}", db.name);
            match fairpanel_core::entry::parse(&e.bytes).unwrap().body {
                fairpanel_core::entry::Body::SheetCommit(c) => assert_eq!(
                    c.sheet,
                    rules::SheetRecord::hash_of(&batch[k].bytes),
                    "{}",
                    db.name
                ),
                other => panic!("{}: {other:?}", db.name),
            }
        }
        // The rows: the first of member 0's two A1 sheets, member 1's earlier
        // one untouched, member 4 still recused, one history row per write.
        let rid = s.rid;
        let rows: Vec<(String, String, String, Option<Vec<u8>>)> = fairpanel::with_pool!(&state.store, pool => sqlx::query_as(
            "SELECT ref_no, expert_id, state, bytes FROM sheets WHERE round_id = $1 ORDER BY ref_no, expert_id")
            .bind(rid)
            .fetch_all(pool)
            .await
            .unwrap());
        let row = |app: &str, k: usize| {
            rows.iter()
                .find(|(a, e, ..)| a == app && *e == s.panel[k])
                .unwrap_or_else(|| panic!("{}: no row {app} {k}: {rows:?}", db.name))
        };
        assert_eq!(
            row("A1", 0).3.as_ref(),
            Some(&batch[0].bytes),
            "{}",
            db.name
        );
        assert_ne!(
            row("A1", 1).3.as_ref(),
            Some(&batch[2].bytes),
            "{}",
            db.name
        );
        assert_eq!(row("A2", 4).2, "recused", "{}", db.name);
        assert_eq!(
            row("A2", 2).3.as_ref(),
            Some(&batch[4].bytes),
            "{}",
            db.name
        );
        let (history,): (i64,) = fairpanel::with_pool!(&state.store, pool => sqlx::query_as(
            "SELECT COUNT(*) FROM sheet_history WHERE round_id = $1 AND action = 'submit'")
            .bind(rid)
            .fetch_one(pool)
            .await
            .unwrap());
        assert_eq!(history, 3, "{}", db.name);
        // Every remaining sheet in one batch: written, and the round locks
        // once, after them.
        let mut rest = Vec::new();
        for k in 2..5 {
            rest.push(job(k, "A1", k).await);
        }
        for k in [0, 1, 3] {
            rest.push(job(k, "A2", k + 3).await);
        }
        let before = state.store.log_size().await.unwrap();
        let out = wf.write_sheets(&rest).await.unwrap();
        assert!(out.iter().all(Result::is_ok), "{}: {out:?}", db.name);
        let size = state.store.log_size().await.unwrap();
        let kinds: Vec<&str> = state
            .store
            .entries(before, size)
            .await
            .unwrap()
            .iter()
            .map(
                |e| match fairpanel_core::entry::parse(&e.bytes).unwrap().body {
                    fairpanel_core::entry::Body::SheetCommit(_) => "sheet",
                    fairpanel_core::entry::Body::ScoringLock(_) => "lock",
                    _ => "other",
                },
            )
            .collect();
        assert_eq!(
            kinds,
            ["sheet"; 6]
                .iter()
                .chain(&["lock"])
                .copied()
                .collect::<Vec<_>>(),
            "{}",
            db.name
        );
        // The round is locked: a batch is refused whole, and writes nothing.
        let late = vec![job(0, "A1", 5).await];
        let out = wf.write_sheets(&late).await.unwrap();
        assert!(
            matches!(&out[0], Err(fairpanel::draws::DrawError::Conflict(m)) if m.contains("locked")),
            "{}: {out:?}",
            db.name
        );
        assert_eq!(state.store.log_size().await.unwrap(), size, "{}", db.name);
        audit_clean(&s).await;
    }
}
