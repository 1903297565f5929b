//! The draw workflow through the HTTP API, on both backends: a whole round with
//! commit, entropy, a recorded drand round, reveal, a decline and its
//! replacement, disclosure; every out-of-order action refused; infeasible
//! specifications named; bundles that `fairpanel verify` accepts (and rejects
//! once tampered); no names in public output before disclosure; one result from
//! concurrent reveals.

use super::http::{Server, request, start_with, token_for, upload_tolerant};
use super::*;
use fairpanel::clock::Clock;
use fairpanel_core::beacon;
use serde_json::{Value, json};

/// The recorded drand quicknet round 1000 (one copy, the demo's).
pub const ROUND_1000_SIG: &str = fairpanel::demo::ROUND_SIG;

/// Ten minutes before drand quicknet round 1000 was published.
pub fn t0() -> u64 {
    beacon::round_time(1000) - 600
}

pub struct Api<'a> {
    pub srv: &'a Server,
    pub token: String,
}

impl Api<'_> {
    pub async fn call(&self, method: &str, path: &str, body: Option<Value>) -> (u16, Value) {
        let h = format!("Bearer {}", self.token);
        let r = request(
            self.srv.addr,
            method,
            path,
            &[("Authorization", &h)],
            body.as_ref(),
        )
        .await;
        let v = serde_json::from_str(&r.body).unwrap_or(Value::String(r.body.clone()));
        (r.status, v)
    }
    pub async fn post(&self, path: &str, body: Value) -> (u16, Value) {
        self.call("POST", path, Some(body)).await
    }
    pub async fn get(&self, path: &str) -> (u16, Value) {
        self.call("GET", path, None).await
    }

    /// Opens a review round of 440000; returns its id.
    pub async fn open_round(&self, kind: &str, title: &str) -> i64 {
        let (st, round) = self
            .post(
                "/api/v1/provinces/440000/rounds",
                json!({"year": 2026, "kind": kind, "title": title}),
            )
            .await;
        assert_eq!(st, 201, "{round}");
        round["id"].as_i64().unwrap()
    }

    /// Commits a beacon-less draw of round `rid` with no entropy window, lets
    /// the (manual) clock pass its deadline and reveals it; returns its id.
    pub async fn revealed_draw(&self, rid: i64, panel: u32, alternates: u32) -> String {
        let base = "/api/v1/provinces/440000";
        let (st, d) = self
            .post(
                &format!("{base}/rounds/{rid}/draws"),
                json!({"title": "抽取", "panel": panel, "alternates": alternates, "beacon": {"mode": "none"}, "entropy_window": 0}),
            )
            .await;
        assert_eq!(st, 201, "{d}");
        let id = d["id"].as_str().unwrap().to_string();
        // A beacon-less draw needs at least one supervisor's contribution.
        let p = fairpanel_core::types::Province::try_from("440000").unwrap();
        self.srv
            .state
            .workflow()
            .contribute(
                &p,
                &id,
                "supervisor-test",
                fairpanel_core::Hash32([0x5c; 32]),
            )
            .await
            .unwrap_or_else(|e| panic!("contribution: {e:?}"));
        self.srv.state.clock.advance(1);
        let (st, v) = self
            .post(&format!("{base}/draws/{id}/reveal"), json!({}))
            .await;
        assert_eq!(st, 200, "{v}");
        id
    }
}

/// An application of kind `base_new` that passes the screen.
pub fn app(ref_no: &str, org: &str) -> Value {
    json!({
        "ref_no": ref_no, "applicant_org": org, "credit_code": null, "kind": "base_new",
        "occupations": ["焊工", "电工", "钳工", "车工", "铣工"], "leader_name": null, "leader_level": null,
        "craft_exception": null,
        "figures": {"annual_trainees": 2500, "high_skill_trainees": 900, "pass_rate_pct": "95",
                    "satisfaction_pct": "96.5", "existing_national_studio": null},
        "no_sanctions": true, "sanctions_evidence": "信用中国报告 XY-0001",
        "notes": null
    })
}

/// Adds the `n`th synthetic expert to 440000's roster (one roster_change).
pub async fn add_expert(srv: &Server, n: usize) {
    let p = fairpanel_core::types::Province::try_from("440000").unwrap();
    let joined = fairpanel::demo::synthetic_records(n).pop().unwrap();
    srv.state
        .store
        .write_experts(
            &srv.state.key,
            &srv.state.origin,
            &p,
            &[joined],
            fairpanel::store::experts::Must::BeNew,
            "create",
            t0(),
        )
        .await
        .unwrap()
        .unwrap();
}

/// A server on a manual clock at [`t0`] with 320 synthetic experts in 440000.
pub async fn setup(url: &str) -> Server {
    let srv = start_with(url, Clock::manual(t0())).await;
    let p = fairpanel_core::types::Province::try_from("440000").unwrap();
    srv.state
        .store
        .write_experts(
            &srv.state.key,
            &srv.state.origin,
            &p,
            &fairpanel::demo::synthetic_records(320),
            fairpanel::store::experts::Must::Either,
            "import",
            t0(),
        )
        .await
        .unwrap()
        .unwrap();
    srv
}

pub async fn verify(bytes: &[u8]) -> (i32, String) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("b.json"), bytes).unwrap();
    tokio::task::spawn_blocking(move || {
        let o = fairpanel(dir.path(), &["verify", "b.json"]);
        (o.status.code().unwrap_or(-1), stdout(&o) + &stderr(&o))
    })
    .await
    .unwrap()
}

pub async fn bundle(srv: &Server, id: &str) -> String {
    let r = request(
        srv.addr,
        "GET",
        &format!("/api/v1/public/draws/{id}/bundle"),
        &[],
        None,
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);
    r.body
}

/// Every name of the roster that appears in `text`.
fn names_in(text: &str) -> Vec<String> {
    fairpanel::demo::synthetic_records(320)
        .into_iter()
        .map(|r| r.name)
        .filter(|n| text.contains(n.as_str()))
        .collect()
}

/// The whole round of the tests below, on one backend: a server with the
/// synthetic roster, one coordinator and two supervisors, a round whose one
/// applicant is the organisation of the roster's first expert, and all but
/// three nursing experts suspended. Each step's helper does what the test of
/// that step checks, with only the checks it needs to go on.
struct Round {
    srv: Server,
    db: &'static str,
    coord: String,
    sup1: String,
    sup2: String,
    rid: i64,
    /// The first expert, excluded from every draw of the round: their
    /// organisation applies.
    e1: String,
}

const BASE: &str = "/api/v1/provinces/440000";

impl Round {
    async fn new(db: &backends::TestDb) -> Round {
        let srv = setup(&db.url).await;
        let coord = token_for(&srv, "gd-coord", "coordinator", Some("440000")).await;
        let sup1 = token_for(&srv, "gd-sup1", "supervisor", Some("440000")).await;
        let sup2 = token_for(&srv, "gd-sup2", "supervisor", Some("440000")).await;
        let api = Api {
            srv: &srv,
            token: coord.clone(),
        };
        let (st, round) = api
            .post(
                &format!("{BASE}/rounds"),
                json!({"year": 2026, "kind": "base_new", "title": "2026年国家级高技能人才培训基地评审"}),
            )
            .await;
        assert_eq!(st, 201, "{} {round}", db.name);
        let rid = round["id"].as_i64().unwrap();
        let first_expert = fairpanel::demo::synthetic_records(320)[0].clone();
        let (st, v) = api
            .post(
                &format!("{BASE}/rounds/{rid}/applications"),
                app("A001", &first_expert.organisation),
            )
            .await;
        assert_eq!(st, 201, "{v}");
        // Suspend all but three nursing experts.
        let p440 = fairpanel_core::types::Province::try_from("440000").unwrap();
        let suspended: Vec<_> = fairpanel::demo::synthetic_records(320)
            .into_iter()
            .filter(|r| r.specialty.as_str() == "nursing")
            .skip(3)
            .map(|mut r| {
                r.status = fairpanel::roster::Status::Suspended;
                r
            })
            .collect();
        srv.state
            .store
            .write_experts(
                &srv.state.key,
                &srv.state.origin,
                &p440,
                &suspended,
                fairpanel::store::experts::Must::Exist,
                "suspend",
                t0(),
            )
            .await
            .unwrap()
            .unwrap();
        Round {
            db: db.name,
            e1: first_expert.expert_id,
            srv,
            coord,
            sup1,
            sup2,
            rid,
        }
    }

    fn coord(&self) -> Api<'_> {
        self.api(&self.coord)
    }
    fn sup1(&self) -> Api<'_> {
        self.api(&self.sup1)
    }
    fn sup2(&self) -> Api<'_> {
        self.api(&self.sup2)
    }
    fn api(&self, token: &str) -> Api<'_> {
        Api {
            srv: &self.srv,
            token: token.to_string(),
        }
    }

    /// The draw the round asks for: 7 members and 3 alternates, at least `nursing`
    /// of them nursing, at most 2 per organisation, drand round 1000 (the clock
    /// plus 600 s), contributions for 60 s.
    fn request(nursing: u32) -> Value {
        json!({
            "title": "评审专家抽取", "panel": 7, "alternates": 3,
            "quotas": [{"spec": "nursing", "min": nursing}], "org_cap": 2,
            "beacon": {"mode": "drand", "margin": 600}, "entropy_window": 60
        })
    }

    /// Commits the round's draw (2 nursing members); returns its id.
    async fn commit(&self) -> String {
        let (st, d) = self
            .coord()
            .post(
                &format!("{BASE}/rounds/{}/draws", self.rid),
                Round::request(2),
            )
            .await;
        assert_eq!(st, 201, "{d}");
        d["id"].as_str().unwrap().to_string()
    }

    /// Two supervisors' contributions, then the clock past the deadline.
    async fn contribute(&self, id: &str) {
        let value = |b: u8| json!({"value": hex::encode([b; 32])});
        let draw = format!("{BASE}/draws/{id}");
        assert_eq!(
            self.sup1()
                .post(&format!("{draw}/entropy"), value(1))
                .await
                .0,
            200
        );
        self.srv.state.clock.advance(40);
        assert_eq!(
            self.sup2()
                .post(&format!("{draw}/entropy"), value(4))
                .await
                .0,
            200
        );
        self.srv.state.clock.advance(30);
    }

    /// The clock past drand round 1000, and the round recorded.
    async fn record_beacon(&self, id: &str) {
        self.srv.state.clock.advance(600);
        let (st, v) = self
            .coord()
            .post(
                &format!("{BASE}/draws/{id}/beacon"),
                json!({"round": 1000, "signature": ROUND_1000_SIG}),
            )
            .await;
        assert_eq!(st, 200, "{v}");
    }

    /// Commit, contributions, beacon and reveal; returns the draw's id and the
    /// revealed draw.
    async fn revealed(&self) -> (String, Value) {
        let id = self.commit().await;
        self.contribute(&id).await;
        self.record_beacon(&id).await;
        let (st, v) = self
            .coord()
            .post(&format!("{BASE}/draws/{id}/reveal"), json!({}))
            .await;
        assert_eq!(st, 200, "{v}");
        let (_, d) = self.coord().get(&format!("{BASE}/draws/{id}")).await;
        (id, d)
    }

    /// A revealed draw in which a member who is not nursing declined (a member
    /// needed for the nursing quota might have no fitting alternate); returns
    /// the draw's id and the decliner.
    async fn declined(&self) -> (String, String) {
        let (id, d) = self.revealed().await;
        let who = d["panel"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["specialty"] != "nursing")
            .unwrap()["expert_id"]
            .as_str()
            .unwrap()
            .to_string();
        let (st, v) = self
            .coord()
            .post(
                &format!("{BASE}/draws/{id}/declines"),
                json!({"expert_id": who, "reason": "unavailable"}),
            )
            .await;
        assert_eq!(st, 200, "{v}");
        (id, who)
    }
}

#[tokio::test]
async fn a_reference_number_is_unique_in_a_round_and_scoring_waits_for_a_draw() {
    for db in backends::all().await {
        let r = Round::new(&db).await;
        let (st, _) = r
            .coord()
            .post(
                &format!("{BASE}/rounds/{}/applications", r.rid),
                app("A001", "别的单位"),
            )
            .await;
        assert_eq!(st, 409, "a reference number is unique in a round");
        let (st, v) = r
            .coord()
            .post(
                &format!("{BASE}/rounds/{}/advance", r.rid),
                json!({"to": "scoring"}),
            )
            .await;
        assert_eq!(st, 409, "{v}");
        assert!(v["error"].as_str().unwrap().contains("only from drawn"));
    }
}

#[tokio::test]
async fn an_infeasible_draw_is_named_the_applicants_experts_are_excluded_and_bad_panel_sizes_are_refused()
 {
    for db in backends::all().await {
        let r = Round::new(&db).await;
        let coord = r.coord();
        let rid = r.rid;
        // Four nursing members of the three left.
        let req = Round::request(4);
        let (st, preview) = coord
            .post(&format!("{BASE}/rounds/{rid}/draws/preview"), req.clone())
            .await;
        assert_eq!(st, 200, "{preview}");
        let excluded = preview["excluded"].as_array().unwrap();
        assert!(
            excluded
                .iter()
                .any(|x| x["reason"] == "applicant_org" && x["expert_id"] == r.e1.as_str())
        );
        let (st, v) = coord
            .post(&format!("{BASE}/rounds/{rid}/draws"), req.clone())
            .await;
        if preview["infeasible"].is_null() {
            panic!("4 nursing members out of 3 should not fit: {preview}");
        }
        assert_eq!(st, 422, "{v}");
        let constraint = v["problems"][0]["constraint"].as_str().unwrap();
        assert_eq!(constraint, "quota:nursing", "{v}");
        assert!(
            v["problems"][0]["detail"].as_str().unwrap().contains('1'),
            "the shortfall is named: {v}"
        );
        assert_eq!(constraint, preview["infeasible"]["constraint"]);
        let (st, _) = coord
            .post(
                &format!("{BASE}/rounds/{rid}/draws"),
                json!({"title": "x", "panel": 4, "beacon": {"mode": "none"}}),
            )
            .await;
        assert_eq!(st, 400, "an even panel is refused");
        let (st, _) = coord
            .post(
                &format!("{BASE}/rounds/{rid}/draws"),
                json!({"title": "x", "panel": 3, "beacon": {"mode": "none"}}),
            )
            .await;
        assert_eq!(st, 400, "a panel below the minimum of 5 is refused");
    }
}

#[tokio::test]
async fn a_committed_draw_targets_its_drand_round_fixes_the_round_and_refuses_later_steps() {
    for db in backends::all().await {
        let r = Round::new(&db).await;
        let coord = r.coord();
        let rid = r.rid;
        let req = Round::request(2);
        let (st, d) = coord
            .post(&format!("{BASE}/rounds/{rid}/draws"), req.clone())
            .await;
        assert_eq!(st, 201, "{d}");
        assert_eq!(d["beacon_round"], 1000);
        let draw = format!("{BASE}/draws/{}", d["id"].as_str().unwrap());
        let (st, _) = coord
            .post(&format!("{BASE}/rounds/{rid}/draws"), req.clone())
            .await;
        assert_eq!(st, 409, "one committed draw at a time");
        let (st, _) = coord
            .post(
                &format!("{BASE}/rounds/{rid}/applications"),
                app("A002", "新单位"),
            )
            .await;
        assert_eq!(st, 409, "applications are fixed once a draw is committed");

        // Out of order while committed.
        for (path, body) in [
            (format!("{draw}/reveal"), json!({})),
            (format!("{draw}/disclose"), json!({})),
            (
                format!("{draw}/declines"),
                json!({"expert_id": r.e1.clone(), "reason": "unavailable"}),
            ),
            (
                format!("{draw}/beacon"),
                json!({"round": 1000, "signature": ROUND_1000_SIG}),
            ),
        ] {
            let (st, v) = coord.post(&path, body).await;
            assert_eq!(st, 409, "{} {path}: {v}", r.db);
        }
    }
}

#[tokio::test]
async fn supervisors_contribute_once_each_and_only_before_the_deadline() {
    for db in backends::all().await {
        let r = Round::new(&db).await;
        let id = r.commit().await;
        let draw = format!("{BASE}/draws/{id}");
        let (coord, sup1, sup2) = (r.coord(), r.sup1(), r.sup2());
        let value = |b: u8| json!({"value": hex::encode([b; 32])});
        assert_eq!(sup1.post(&format!("{draw}/entropy"), value(1)).await.0, 200);
        assert_eq!(sup1.post(&format!("{draw}/entropy"), value(2)).await.0, 409);
        assert_eq!(
            coord.post(&format!("{draw}/entropy"), value(3)).await.0,
            403
        );
        assert_eq!(
            sup2.post(&format!("{draw}/entropy"), json!({"value": "zz"}))
                .await
                .0,
            400
        );
        r.srv.state.clock.advance(40);
        assert_eq!(sup2.post(&format!("{draw}/entropy"), value(4)).await.0, 200);
        r.srv.state.clock.advance(30);
        let late = r.api(&token_for(&r.srv, "gd-sup3", "supervisor", Some("440000")).await);
        let (st, v) = late.post(&format!("{draw}/entropy"), value(5)).await;
        assert_eq!(st, 409, "late contributions are refused: {v}");
    }
}

#[tokio::test]
async fn the_beacon_is_taken_once_published_for_the_committed_round_with_a_valid_signature() {
    for db in backends::all().await {
        let r = Round::new(&db).await;
        let id = r.commit().await;
        r.contribute(&id).await;
        let draw = format!("{BASE}/draws/{id}");
        let coord = r.coord();
        let (st, v) = coord.post(&format!("{draw}/reveal"), json!({})).await;
        assert_eq!(st, 409, "no reveal without the beacon: {v}");
        let (st, v) = coord
            .post(
                &format!("{draw}/beacon"),
                json!({"round": 1000, "signature": ROUND_1000_SIG}),
            )
            .await;
        assert_eq!(st, 409, "round 1000 is not published yet: {v}");
        r.srv.state.clock.advance(600);
        let (st, _) = coord
            .post(
                &format!("{draw}/beacon"),
                json!({"round": 1001, "signature": ROUND_1000_SIG}),
            )
            .await;
        assert_eq!(st, 400);
        let mut bad = ROUND_1000_SIG.to_string();
        bad.replace_range(10..12, "00");
        let (st, _) = coord
            .post(
                &format!("{draw}/beacon"),
                json!({"round": 1000, "signature": bad}),
            )
            .await;
        assert_eq!(st, 400);
        let (st, v) = coord
            .post(
                &format!("{draw}/beacon"),
                json!({"round": 1000, "signature": ROUND_1000_SIG, "randomness": "ignored"}),
            )
            .await;
        assert_eq!(st, 200, "{} {v}", r.db);
    }
}

#[tokio::test]
async fn concurrent_reveals_have_one_winner_and_the_panel_keeps_the_applicants_experts_out() {
    for db in backends::all().await {
        let r = Round::new(&db).await;
        let id = r.commit().await;
        r.contribute(&id).await;
        r.record_beacon(&id).await;
        let draw = format!("{BASE}/draws/{id}");
        let coord = r.coord();

        // A bundle before the reveal verifies, and has no names.
        let pre = bundle(&r.srv, &id).await;
        let (code, out) = verify(pre.as_bytes()).await;
        assert_eq!(code, 0, "{out}");
        assert!(names_in(&pre).is_empty());

        let mut tasks = Vec::new();
        for _ in 0..4 {
            let h = format!("Bearer {}", coord.token);
            let addr = r.srv.addr;
            let path = format!("{draw}/reveal");
            tasks.push(tokio::spawn(async move {
                request(addr, "POST", &path, &[("Authorization", &h)], None)
                    .await
                    .status
            }));
        }
        let mut statuses = Vec::new();
        for t in tasks {
            statuses.push(t.await.unwrap());
        }
        statuses.sort();
        assert_eq!(statuses, vec![200, 409, 409, 409], "{}", r.db);
        let (_, d) = coord.get(&draw).await;
        assert_eq!(d["state"], "revealed");
        let panel: Vec<String> = d["panel"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["expert_id"].as_str().unwrap().to_string())
            .collect();
        assert_eq!(panel.len(), 7);
        assert!(!panel.contains(&r.e1), "excluded expert drawn");
        let (_, round) = coord.get(&format!("{BASE}/rounds/{}", r.rid)).await;
        assert_eq!(round["state"], "drawn");
    }
}

#[tokio::test]
async fn a_decline_seats_an_alternate_once_and_public_output_before_disclosure_has_no_names() {
    for db in backends::all().await {
        let r = Round::new(&db).await;
        let (id, d) = r.revealed().await;
        let draw = format!("{BASE}/draws/{id}");
        let coord = r.coord();
        // A member who is not nursing: one needed for the nursing quota might
        // have no fitting alternate.
        let who = d["panel"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["specialty"] != "nursing")
            .unwrap()["expert_id"]
            .clone();
        let (st, v) = coord
            .post(
                &format!("{draw}/declines"),
                json!({"expert_id": who, "reason": "unavailable"}),
            )
            .await;
        assert_eq!(st, 200, "{v}");
        assert!(v["replacement"].is_string(), "{v}");
        assert_eq!(v["new_draw_required"], false);
        let (st, _) = coord
            .post(
                &format!("{draw}/declines"),
                json!({"expert_id": who, "reason": "unavailable"}),
            )
            .await;
        assert_eq!(st, 400, "someone no longer seated cannot decline");

        // Public output before disclosure: tokens only.
        let mid = bundle(&r.srv, &id).await;
        let (code, out) = verify(mid.as_bytes()).await;
        assert_eq!(code, 0, "{out}");
        assert!(names_in(&mid).is_empty(), "{:?}", names_in(&mid));
        let list = request(r.srv.addr, "GET", "/api/v1/public/draws", &[], None).await;
        assert_eq!(list.status, 200);
        assert!(list.body.contains(&id));
        assert!(names_in(&list.body).is_empty());
        let sheet = coord.call("GET", &format!("{draw}/record"), None).await;
        assert_eq!(sheet.0, 200);
        let sheet = sheet.1.as_str().unwrap().to_string();
        assert!(sheet.contains(&id) && sheet.contains("监督人"));
        // Its QR code opens the public page, under the request's Host.
        let public = format!("http://test/public/draws/{id}");
        assert!(sheet.contains(&fairpanel::qr::qr_svg(&public)), "{sheet}");
        assert!(
            names_in(&sheet).is_empty(),
            "the record sheet shows names only after disclosure"
        );
    }
}

#[tokio::test]
async fn a_tampered_bundle_is_rejected() {
    for db in backends::all().await {
        let r = Round::new(&db).await;
        let (id, _) = r.declined().await;
        let mid = bundle(&r.srv, &id).await;
        let tampered = mid.replacen("\"kind\":\"reveal\"", "\"kind\":\"reveal\" ", 1);
        let tampered = if tampered == mid {
            mid.replacen("\"reason\":\"unavailable\"", "\"reason\":\"illness\"", 1)
        } else {
            tampered
        };
        assert_ne!(tampered, mid);
        let (code, out) = verify(tampered.as_bytes()).await;
        assert_eq!(code, 1, "{} {out}", r.db);
    }
}

#[tokio::test]
async fn disclosure_waits_for_the_closed_round_happens_once_and_names_the_panel() {
    for db in backends::all().await {
        let r = Round::new(&db).await;
        let (id, _) = r.declined().await;
        let draw = format!("{BASE}/draws/{id}");
        let coord = r.coord();
        let rid = r.rid;
        let (st, _) = coord.post(&format!("{draw}/disclose"), json!({})).await;
        assert_eq!(st, 409);
        let (st, v) = coord
            .post(
                &format!("{BASE}/rounds/{rid}/advance"),
                json!({"to": "scoring"}),
            )
            .await;
        assert_eq!(st, 200, "{v}");
        super::scoring::score_everything(&coord, rid, &id).await;
        let (st, v) = coord
            .post(
                &format!("{BASE}/rounds/{rid}/advance"),
                json!({"to": "closed"}),
            )
            .await;
        assert_eq!(st, 200, "{v}");
        let (st, v) = coord.post(&format!("{draw}/disclose"), json!({})).await;
        assert_eq!(st, 200, "{v}");
        let (st, _) = coord.post(&format!("{draw}/disclose"), json!({})).await;
        assert_eq!(st, 409, "once only");
        let post = bundle(&r.srv, &id).await;
        let (code, out) = verify(post.as_bytes()).await;
        assert_eq!(code, 0, "{out}");
        assert!(
            names_in(&post).len() >= 8,
            "the disclosure opens the seated members and alternates"
        );
        let (_, d) = coord.get(&draw).await;
        assert!(d["panel"][0]["name"].is_string());
    }
}

#[tokio::test]
async fn a_voided_commit_stays_listed_and_verifiable_and_beacon_less_draws_work() {
    for db in backends::all().await {
        let srv = setup(&db.url).await;
        let coord = Api {
            srv: &srv,
            token: token_for(&srv, "gd-coord", "coordinator", Some("440000")).await,
        };
        let base = "/api/v1/provinces/440000";
        let rid = coord.open_round("studio", "技能大师工作室评审").await;
        let req = json!({"title": "抽取", "panel": 5, "alternates": 2, "beacon": {"mode": "none"}, "entropy_window": 0});
        // A title that hides text is refused before anything is committed.
        let mut hidden = req.clone();
        hidden["title"] = json!("抽取\u{202E}");
        let (st, v) = coord
            .post(&format!("{base}/rounds/{rid}/draws"), hidden)
            .await;
        assert_eq!(st, 400, "{v}");
        assert_eq!(
            v["error"],
            "title contains a control or invisible character (U+202E); remove it"
        );
        let (st, d) = coord
            .post(&format!("{base}/rounds/{rid}/draws"), req.clone())
            .await;
        assert_eq!(st, 201, "{d}");
        assert!(d["id"].as_str().unwrap().ends_with("-d1"), "{d}");
        let first = d["id"].as_str().unwrap().to_string();
        let (st, _) = coord
            .post(
                &format!("{base}/draws/{first}/void"),
                json!({"reason": " "}),
            )
            .await;
        assert_eq!(st, 400, "a void needs a reason");
        let (st, v) = coord
            .post(
                &format!("{base}/draws/{first}/void"),
                json!({"reason": "申报材料补正\u{2067}重新抽取"}),
            )
            .await;
        assert_eq!(st, 400, "{v}");
        assert_eq!(
            v["error"],
            "reason contains a control or invisible character (U+2067); remove it"
        );
        let (st, _) = coord
            .post(
                &format!("{base}/draws/{first}/void"),
                json!({"reason": "申报材料补正，重新抽取"}),
            )
            .await;
        assert_eq!(st, 200);
        // Past its entropy deadline, so that only the void can refuse the reveal.
        srv.state.clock.advance(1);
        let (st, v) = coord
            .post(&format!("{base}/draws/{first}/reveal"), json!({}))
            .await;
        assert_eq!(st, 409, "a voided draw cannot be revealed");
        assert!(
            v.to_string().contains("is voided"),
            "refused for its void: {v}"
        );

        // A second draw of the same round, beacon-less.
        srv.state.clock.advance(1);
        let (st, d) = coord
            .post(&format!("{base}/rounds/{rid}/draws"), req.clone())
            .await;
        assert_eq!(st, 201, "{d}");
        let unassisted = d["id"].as_str().unwrap().to_string();
        assert_ne!(first, unassisted);
        // Beacon-less with no supervisor's contribution: refused, even after
        // the deadline (protocol 1.1).
        srv.state.clock.advance(1);
        let (st, v) = coord
            .post(&format!("{base}/draws/{unassisted}/reveal"), json!({}))
            .await;
        assert_eq!(st, 409, "{v}");
        assert!(v.to_string().contains("at least one"), "{v}");
        let (st, _) = coord
            .post(
                &format!("{base}/draws/{unassisted}/void"),
                json!({"reason": "无监督员参与，作废重抽"}),
            )
            .await;
        assert_eq!(st, 200);
        let (st, d) = coord
            .post(&format!("{base}/rounds/{rid}/draws"), req.clone())
            .await;
        assert_eq!(st, 201, "{d}");
        let second = d["id"].as_str().unwrap().to_string();
        let p = fairpanel_core::types::Province::try_from("440000").unwrap();
        srv.state
            .workflow()
            .contribute(&p, &second, "supervisor-1", fairpanel_core::Hash32([7; 32]))
            .await
            .unwrap_or_else(|e| panic!("{e:?}"));
        let (st, _) = coord
            .post(&format!("{base}/draws/{second}/reveal"), json!({}))
            .await;
        assert_eq!(st, 409, "not before the entropy deadline has passed");
        srv.state.clock.advance(1);
        let (st, d) = coord
            .post(&format!("{base}/draws/{second}/reveal"), json!({}))
            .await;
        assert_eq!(st, 200, "{d}");

        // Decline until the alternates run out: the service says so.
        let mut required = false;
        for _ in 0..4 {
            let (_, d) = coord.get(&format!("{base}/draws/{second}")).await;
            let who = d["panel"][0]["expert_id"].as_str().unwrap().to_string();
            let (st, v) = coord
                .post(
                    &format!("{base}/draws/{second}/declines"),
                    json!({"expert_id": who, "reason": "illness"}),
                )
                .await;
            assert_eq!(st, 200, "{v}");
            required = v["new_draw_required"].as_bool().unwrap();
            if required {
                break;
            }
        }
        assert!(required, "two alternates cover two declines, not three");
        let (_, d) = coord.get(&format!("{base}/draws/{second}")).await;
        assert_eq!(d["panel_short"], true);

        let list = request(srv.addr, "GET", "/api/v1/public/draws", &[], None).await;
        let list: Value = serde_json::from_str(&list.body).unwrap();
        let states: Vec<(&str, &str)> = list
            .as_array()
            .unwrap()
            .iter()
            .map(|d| (d["id"].as_str().unwrap(), d["state"].as_str().unwrap()))
            .collect();
        assert_eq!(
            states,
            vec![
                (first.as_str(), "voided"),
                (unassisted.as_str(), "voided"),
                (second.as_str(), "revealed")
            ]
        );
        for id in [&first, &unassisted, &second] {
            let b = bundle(&srv, id).await;
            let (code, out) = verify(b.as_bytes()).await;
            assert_eq!(code, 0, "{id}: {out}");
            if id == &second {
                assert!(out.contains("beacon-less"), "{out}");
            }
        }
    }
}

#[tokio::test]
async fn an_expert_sees_only_their_own_assignment() {
    let db = backends::sqlite();
    let srv = setup(&db.url).await;
    let coord = Api {
        srv: &srv,
        token: token_for(&srv, "gd-coord", "coordinator", Some("440000")).await,
    };
    let base = "/api/v1/provinces/440000";
    let rid = coord.open_round("studio", "t").await;
    let (_, d) = coord
        .post(
            &format!("{base}/rounds/{rid}/draws"),
            json!({"title": "抽取", "panel": 5, "beacon": {"mode": "none"}, "entropy_window": 0}),
        )
        .await;
    let id = d["id"].as_str().unwrap().to_string();
    let p = fairpanel_core::types::Province::try_from("440000").unwrap();
    srv.state
        .workflow()
        .contribute(&p, &id, "supervisor-1", fairpanel_core::Hash32([7; 32]))
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    srv.state.clock.advance(1);
    let (_, d) = coord
        .post(&format!("{base}/draws/{id}/reveal"), json!({}))
        .await;
    let seated = d["panel"][0]["token"].as_str().unwrap().to_string();
    let (_, full) = coord.get(&format!("{base}/draws/{id}")).await;
    let expert = full["panel"][0]["expert_id"].as_str().unwrap().to_string();
    assert!(!seated.is_empty());
    let (st, v) = coord
        .post(
            "/api/v1/accounts",
            json!({"username": "gd-e", "role": "expert", "province": "440000", "expert_id": expert}),
        )
        .await;
    assert_eq!(st, 200, "{v}");
    let (st, _) = coord
        .post(
            "/api/v1/accounts",
            json!({"username": "gd-x", "role": "expert", "province": "440000", "expert_id": "NOPE"}),
        )
        .await;
    assert_eq!(st, 400, "a link to a missing roster entry is refused");
    let me = Api {
        srv: &srv,
        token: super::http::first_login(srv.addr, "gd-e", v["activation_code"].as_str().unwrap())
            .await,
    };
    let (st, a) = me.get(&format!("{base}/assignments")).await;
    assert_eq!(st, 200);
    let a = a.as_array().unwrap();
    assert_eq!(a.len(), 1, "{a:?}");
    assert_eq!(a[0]["role"], "panel");
    assert_eq!(a[0]["position"], 1);
    let (st, _) = me.get(&format!("{base}/draws/{id}")).await;
    assert_eq!(st, 403, "an expert does not read the whole draw");
    let (_, all) = coord.get(&format!("{base}/assignments")).await;
    assert_eq!(all.as_array().unwrap().len(), 5);
    let (_, outbox) = coord.get(&format!("{base}/outbox")).await;
    let outbox = outbox.as_array().unwrap();
    assert_eq!(outbox.len(), 5, "one notification per seated member");
    assert!(outbox.iter().any(|o| o["recipient"] == expert.as_str()));
}

#[tokio::test]
async fn notifications_reach_the_webhook_and_failures_are_kept_for_the_coordinator() {
    for db in backends::all().await {
        let srv = setup(&db.url).await;
        let coord = Api {
            srv: &srv,
            token: token_for(&srv, "gd-coord", "coordinator", Some("440000")).await,
        };
        let base = "/api/v1/provinces/440000";
        let rid = coord.open_round("studio", "t").await;
        let id = coord.revealed_draw(rid, 5, 0).await;

        // A receiver that fails first, then accepts.
        let got = std::sync::Arc::new(std::sync::Mutex::new(Vec::<Value>::new()));
        let fail = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(true));
        let (g, f) = (got.clone(), fail.clone());
        let app = axum::Router::new().route(
            "/hook",
            axum::routing::post(move |axum::Json(v): axum::Json<Value>| {
                let (g, f) = (g.clone(), f.clone());
                async move {
                    if f.load(std::sync::atomic::Ordering::SeqCst) {
                        axum::http::StatusCode::SERVICE_UNAVAILABLE
                    } else {
                        g.lock().unwrap().push(v);
                        axum::http::StatusCode::NO_CONTENT
                    }
                }
            }),
        );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}/hook", listener.local_addr().unwrap());
        let hook = tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        let http = fairpanel::client::Http::default();
        let store = &srv.state.store;
        let key = &srv.state.key;
        let sent = fairpanel::outbox::deliver_due(store, &http, &url, key, t0())
            .await
            .unwrap();
        assert_eq!(sent, 0);
        let (_, outbox) = coord.get(&format!("{base}/outbox")).await;
        // The five notifications, each tried once (else the loop proves nothing).
        assert_eq!(outbox.as_array().unwrap().len(), 5, "{outbox}");
        for o in outbox.as_array().unwrap() {
            assert_eq!(o["attempts"], 1);
            assert!(o["sent_at"].is_null());
            assert!(o["last_error"].as_str().unwrap().contains("503"), "{o}");
            assert_eq!(o["next_attempt_at"], t0() + fairpanel::outbox::FIRST_RETRY);
        }
        fail.store(false, std::sync::atomic::Ordering::SeqCst);
        let later = t0() + fairpanel::outbox::FIRST_RETRY;
        let sent = fairpanel::outbox::deliver_due(store, &http, &url, key, later)
            .await
            .unwrap();
        assert_eq!(sent, 5, "{}", db.name);
        assert_eq!(
            fairpanel::outbox::deliver_due(store, &http, &url, key, later + 3600)
                .await
                .unwrap(),
            0,
            "delivered notifications are not sent again"
        );
        let got = got.lock().unwrap().clone();
        assert_eq!(got.len(), 5);
        assert!(
            got.iter()
                .all(|v| v["draw"] == id.as_str() && v["kind"] == "seated")
        );
        let (_, outbox) = coord.get(&format!("{base}/outbox")).await;
        assert!(
            outbox
                .as_array()
                .unwrap()
                .iter()
                .all(|o| o["sent_at"].is_number()
                    && o["last_error"].is_null()
                    && o["next_attempt_at"].is_null())
        );
        hook.abort();
    }
}

#[tokio::test]
async fn applications_import_all_or_nothing_and_oversized_files_are_refused() {
    for db in backends::all().await {
        let srv = setup(&db.url).await;
        let coord = Api {
            srv: &srv,
            token: token_for(&srv, "gd-coord", "coordinator", Some("440000")).await,
        };
        let auth = format!("Bearer {}", coord.token);
        let base = "/api/v1/provinces/440000";
        let rid = coord.open_round("base_new", "t").await;
        let path = format!("{base}/rounds/{rid}/applications/import?format=csv");
        // The template's example rows, their example marks removed, import cleanly.
        let template = String::from_utf8(fairpanel::applications::template_csv()).unwrap();
        let good =
            fairpanel::applications::parse_csv(template.replace("示例-", "").as_bytes()).unwrap();
        assert!(!good.is_empty());
        let file = fairpanel::applications::export_csv(&good);
        let r = super::experts::upload(srv.addr, &path, &auth, &file).await;
        assert_eq!(r.status, 200, "{}: {}", db.name, r.body);
        let v: Value = serde_json::from_str(&r.body).unwrap();
        assert_eq!(v["changed"], good.len());
        let r = super::experts::upload(srv.addr, &path, &auth, &file).await;
        let v: Value = serde_json::from_str(&r.body).unwrap();
        assert_eq!(
            v["changed"], 0,
            "re-importing the same file changes nothing"
        );

        // A bad row: every problem named by row and column, nothing changed.
        let text = String::from_utf8(file.clone()).unwrap();
        let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
        lines[1] = lines[1].replacen(&good[0].applicant_org, "", 1);
        let bad = (lines.join("\n") + "\n").into_bytes();
        let r = super::experts::upload(srv.addr, &path, &auth, &bad).await;
        assert_eq!(r.status, 422, "{}", r.body);
        let v: Value = serde_json::from_str(&r.body).unwrap();
        assert_eq!(v["problems"][0]["row"], 2, "{v}");
        assert!(v["problems"][0]["column"].is_string(), "{v}");
        let (_, list) = coord
            .get(&format!("{base}/rounds/{rid}/applications"))
            .await;
        assert_eq!(list.as_array().unwrap().len(), good.len());

        // More than 10 MiB is refused before it is read.
        let big = vec![b'a'; fairpanel::http::experts::MAX_IMPORT_BYTES + 1];
        let (status, _) = upload_tolerant(srv.addr, &path, &auth, &big).await;
        assert_eq!(status, 413);
    }
}

/// `audit` checks the rows the log protects: the expert table against the last
/// roster_change, a draw's row against its entries; a malformed row is a
/// finding, not a crash. Each mutation is undone before the next.
#[tokio::test]
async fn audit_checks_the_rows_the_log_protects_on_both_backends() {
    for db in backends::all().await {
        let srv = setup(&db.url).await;
        let coord = Api {
            srv: &srv,
            token: token_for(&srv, "gd-coord", "coordinator", Some("440000")).await,
        };
        let rid = coord.open_round("studio", "t").await;
        let id = coord.revealed_draw(rid, 5, 2).await;
        let store = &srv.state.store;
        let public = srv.state.key.public();
        let audit = || async {
            fairpanel::audit::run(store, &public, "test.example/log")
                .await
                .unwrap()
                .problems
                .iter()
                .map(|p| p.to_string())
                .collect::<Vec<_>>()
        };
        assert_eq!(audit().await, Vec::<String>::new(), "{}", db.name);
        let (expert,): (String,) = fairpanel::with_pool!(store, p => sqlx::query_as(
            "SELECT expert_id FROM experts WHERE record LIKE '%\"status\":\"active\"%' ORDER BY expert_id LIMIT 1")
            .fetch_one(p).await.unwrap());
        let cases = [
            (
                format!(
                    "UPDATE experts SET record = replace(record, '\"status\":\"active\"', '\"status\":\"suspended\"') WHERE expert_id = '{expert}'"
                ),
                format!(
                    "UPDATE experts SET record = replace(record, '\"status\":\"suspended\"', '\"status\":\"active\"') WHERE expert_id = '{expert}'"
                ),
                "experts of 440000: the table",
            ),
            (
                format!("UPDATE experts SET record = 'x' || record WHERE expert_id = '{expert}'"),
                format!(
                    "UPDATE experts SET record = substr(record, 2) WHERE expert_id = '{expert}'"
                ),
                "experts of 440000: a row does not parse",
            ),
            (
                format!("UPDATE draws SET state = 'committed' WHERE id = '{id}'"),
                format!("UPDATE draws SET state = 'revealed' WHERE id = '{id}'"),
                "the log says \"revealed\"",
            ),
            (
                format!("UPDATE draws SET panel = alternates WHERE id = '{id}'"),
                String::new(),
                "the stored panel is not the log's",
            ),
        ];
        for (sql, undo, want) in &cases {
            fairpanel::with_pool!(store, p => {
                let n = sqlx::query(sqlx::AssertSqlSafe(sql.clone())).execute(p).await.unwrap().rows_affected();
                assert_eq!(n, 1, "{sql}");
            });
            let found = audit().await;
            assert!(
                found.iter().any(|f| f.contains(want)),
                "{}: {sql}: {found:?}",
                db.name
            );
            if !undo.is_empty() {
                fairpanel::with_pool!(store, p => {
                    sqlx::query(sqlx::AssertSqlSafe(undo.clone())).execute(p).await.unwrap();
                });
                assert_eq!(
                    audit().await,
                    Vec::<String>::new(),
                    "{}: undo {undo}",
                    db.name
                );
            }
        }
    }
}

/// `GET …/rounds/{id}/tasks` (the task list's data): each task's state and
/// reason follows the round's work, on both backends.
#[tokio::test]
async fn a_rounds_task_list_follows_its_work() {
    for db in backends::all().await {
        let srv = setup(&db.url).await;
        let coord = Api {
            srv: &srv,
            token: token_for(&srv, "gd-coord", "coordinator", Some("440000")).await,
        };
        let base = "/api/v1/provinces/440000";
        let rid = coord.open_round("base_new", "高技能人才培训基地评审").await;
        let tasks = |v: &Value| -> Vec<(String, String, String, Value)> {
            v["tasks"]
                .as_array()
                .unwrap()
                .iter()
                .map(|t| {
                    (
                        t["task"].as_str().unwrap().to_string(),
                        t["state"].as_str().unwrap().to_string(),
                        t["reason"].as_str().unwrap_or("").to_string(),
                        t["count"].clone(),
                    )
                })
                .collect()
        };
        let (st, v) = coord.get(&format!("{base}/rounds/{rid}/tasks")).await;
        assert_eq!(st, 200, "{}: {v}", db.name);
        let t = tasks(&v);
        let names: Vec<&str> = t.iter().map(|x| x.0.as_str()).collect();
        assert_eq!(
            names,
            [
                "pool",
                "applications",
                "screen",
                "draw",
                "scoring",
                "results",
                "dates",
                "notice",
                "report",
                "filing"
            ]
        );
        assert_eq!(
            t[0],
            ("pool".into(), "done".into(), "pool-why".into(), json!(320))
        );
        assert_eq!(t[1].1, "not-started");
        assert_eq!(
            (t[2].1.as_str(), t[2].2.as_str()),
            ("cannot-start", "need-applications")
        );
        assert_eq!(
            (t[3].1.as_str(), t[3].2.as_str()),
            ("cannot-start", "need-pool-and-applications")
        );
        assert_eq!(
            (t[4].1.as_str(), t[4].2.as_str()),
            ("cannot-start", "need-draw")
        );
        assert_eq!(
            t[6],
            (
                "dates".into(),
                "not-started".into(),
                "dates-why".into(),
                json!(0)
            )
        );
        // The notice waits for the seal; the report for the results, the
        // filing for the report.
        assert_eq!(
            (t[7].0.as_str(), t[7].1.as_str(), t[7].2.as_str()),
            ("notice", "cannot-start", "need-seal")
        );
        assert_eq!(
            (t[8].0.as_str(), t[8].1.as_str(), t[8].2.as_str()),
            ("report", "cannot-start", "need-results")
        );
        assert_eq!(
            (t[9].0.as_str(), t[9].1.as_str(), t[9].2.as_str()),
            ("filing", "cannot-start", "need-report")
        );

        let mut small = app("A2", "丙公司");
        small["figures"]["annual_trainees"] = json!(100);
        small["figures"]["high_skill_trainees"] = json!(30);
        for a in [app("A1", "乙公司"), small] {
            let (st, v) = coord
                .post(&format!("{base}/rounds/{rid}/applications"), a)
                .await;
            assert_eq!(st, 201, "{v}");
        }
        let (_, v) = coord.get(&format!("{base}/rounds/{rid}/tasks")).await;
        let t = tasks(&v);
        assert_eq!(
            t[1],
            (
                "applications".into(),
                "done".into(),
                "applications-why".into(),
                json!(2)
            )
        );
        assert_eq!(
            t[2],
            (
                "screen".into(),
                "in-progress".into(),
                "screen-why".into(),
                json!(1)
            )
        );
        assert_eq!(t[3].1, "not-started");

        let (st, d) = coord
            .post(
                &format!("{base}/rounds/{rid}/draws"),
                json!({"title": "抽取", "panel": 5, "alternates": 2, "beacon": {"mode": "none"}, "entropy_window": 0}),
            )
            .await;
        assert_eq!(st, 201, "{d}");
        let (_, v) = coord.get(&format!("{base}/rounds/{rid}/tasks")).await;
        let t = tasks(&v);
        assert_eq!(
            (t[3].1.as_str(), t[3].2.as_str()),
            ("in-progress", "draw-live")
        );
        assert_eq!(
            v["tasks"][3]["draw"], d["id"],
            "the draw task is about the live draw"
        );
        assert_eq!(v["draws"].as_array().unwrap().len(), 1);
        let other = Api {
            srv: &srv,
            token: token_for(&srv, "bj-coord", "coordinator", Some("110000")).await,
        };
        let (st, _) = other
            .get(&format!("/api/v1/provinces/110000/rounds/{rid}/tasks"))
            .await;
        assert_eq!(
            st, 404,
            "another province's round is not found under one's own"
        );
    }
}

/// Issue 15, item 4: a preview starts the pool's costly part for the round's
/// next draw id; the commit takes it (once), finishes it against the roster
/// of that moment (an expert added after the preview is in the pool), or
/// writes the pool it finished ahead when nothing changed, and the bundle
/// verifies; a second draw never reuses the first one's tag key.
#[tokio::test]
async fn a_previewed_draw_commits_the_pool_prepared_ahead_once_and_verifies() {
    for db in backends::all().await {
        let srv = setup(&db.url).await;
        let coord = Api {
            srv: &srv,
            token: token_for(&srv, "gd-coord", "coordinator", Some("440000")).await,
        };
        let base = "/api/v1/provinces/440000";
        let req = json!({"title": "抽取", "panel": 5, "alternates": 2, "beacon": {"mode": "none"}, "entropy_window": 0});
        let prepared = &srv.state.prepared;
        let wait = || async {
            while !prepared.idle() {
                tokio::time::sleep(std::time::Duration::from_millis(5)).await;
            }
        };

        let mut tag_keys = Vec::new();
        for k in 0..2 {
            let rid = coord.open_round("studio", &format!("r{k}")).await;
            let (st, preview) = coord
                .post(&format!("{base}/rounds/{rid}/draws/preview"), req.clone())
                .await;
            assert_eq!(st, 200, "{}: {preview}", db.name);
            wait().await;
            assert_eq!(prepared.len(), 1, "{}: the preview prepared", db.name);
            // A preview again does not prepare twice.
            coord
                .post(&format!("{base}/rounds/{rid}/draws/preview"), req.clone())
                .await;
            wait().await;
            assert_eq!(prepared.len(), 1, "{}", db.name);
            let eligible = preview["eligible"].as_u64().unwrap();
            if k == 0 {
                // The roster changes between the preview and the commit.
                add_expert(&srv, 321).await;
            }
            let used = prepared.finished_used();
            let id = coord.revealed_draw(rid, 5, 2).await;
            assert!(prepared.is_empty(), "{}: the commit took it", db.name);
            // The pool finished ahead is written as it is only when the
            // candidates are the preview's; after the roster changed the
            // commit finishes the prepared tags against its own.
            assert_eq!(
                prepared.finished_used(),
                used + usize::from(k == 1),
                "{}: draw {k}",
                db.name
            );
            let (_, d) = coord.get(&format!("{base}/draws/{id}")).await;
            assert_eq!(
                d["pool_size"].as_u64().unwrap(),
                eligible + u64::from(k == 0),
                "{}: the pool is the roster of the commit: {d}",
                db.name
            );
            let b = bundle(&srv, &id).await;
            let (code, out) = verify(b.as_bytes()).await;
            assert_eq!(code, 0, "{}: {out}", db.name);
            let v: Value = serde_json::from_str(&b).unwrap();
            let commit = v["entries"]
                .as_array()
                .unwrap()
                .iter()
                .find(|e| e["entry"]["kind"] == "commit")
                .unwrap_or_else(|| panic!("no commit in {v}"))
                .clone();
            tag_keys.push(commit["entry"]["body"]["tag_key"].clone());
        }
        assert!(tag_keys[0].is_string());
        assert_ne!(tag_keys[0], tag_keys[1], "{}", db.name);
    }
}
