//! After the scores (issue 14): the province-year limit counted from sealed
//! rounds, a round's dates, the working-day calendar over the API, on both
//! backends.

use super::draws::{Api, app, setup};
use super::http::token_for;
use super::*;
use serde_json::{Value, json};

const BASE: &str = "/api/v1/provinces/440000";

/// Opens a base_new round of 2026 with applications `refs`; its id.
pub(super) async fn round_with(api: &Api<'_>, title: &str, refs: &[&str]) -> i64 {
    let rid = api.open_round("base_new", title).await;
    for (k, r) in refs.iter().enumerate() {
        let (st, v) = api
            .post(
                &format!("{BASE}/rounds/{rid}/applications"),
                app(r, &format!("{title}单位{k}")),
            )
            .await;
        assert_eq!(st, 201, "{v}");
    }
    rid
}

/// Asks to open scoring of round `rid`; the status and the answer.
pub(super) async fn open_scoring(api: &Api<'_>, rid: i64) -> (u16, Value) {
    api.post(
        &format!("{BASE}/rounds/{rid}/advance"),
        json!({"to": "scoring"}),
    )
    .await
}

/// Scores round `rid` (scoring open, panel drawn as `draw`) and seals it; the
/// seal's recommended applications.
pub(super) async fn score_and_seal(api: &Api<'_>, rid: i64, draw: &str) -> Vec<String> {
    super::scoring::score_everything(api, rid, draw).await;
    let (st, v) = api
        .post(
            &format!("{BASE}/rounds/{rid}/advance"),
            json!({"to": "closed"}),
        )
        .await;
    assert_eq!(st, 200, "{v}");
    let (st, res) = api.get(&format!("{BASE}/rounds/{rid}/results")).await;
    assert_eq!(st, 200, "{res}");
    res["recommended"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a.as_str().unwrap().to_string())
        .collect()
}

/// The policy's five projects a province a year, across two rounds: three
/// recommended by the first round's seal, so the second round's scoring_open
/// fixes two places left and its seal recommends two of its three; a third
/// round of that year cannot open scoring (the sixth refused, by name), a
/// lower limit than what is sealed is refused, a higher one only with a
/// reason, and another province's year is its own.
#[tokio::test]
async fn the_year_limit_counts_sealed_recommendations_of_every_round_of_the_year() {
    for db in backends::all().await {
        let srv = setup(&db.url).await;
        let coord = token_for(&srv, "gd-coord", "coordinator", Some("440000")).await;
        let api = Api {
            srv: &srv,
            token: coord.clone(),
        };
        let (st, lim) = api.get(&format!("{BASE}/years/2026/limit")).await;
        assert_eq!(st, 200, "{lim}");
        assert_eq!(
            (&lim["limit"], &lim["policy_default"], &lim["places_left"]),
            (&json!(5), &json!(true), &json!(5))
        );

        let r1 = round_with(&api, "第一轮", &["B1", "B2", "B3"]).await;
        let d1 = api.revealed_draw(r1, 5, 2).await;
        let r2 = round_with(&api, "第二轮", &["C1", "C2", "C3"]).await;
        let d2 = api.revealed_draw(r2, 5, 2).await;
        let (st, v) = open_scoring(&api, r1).await;
        assert_eq!(st, 200, "{v}");
        // One round of a province-year is scored at a time: the places left
        // are not known until the first is sealed.
        let (st, v) = open_scoring(&api, r2).await;
        assert_eq!(st, 409, "{v}");
        assert!(
            v["error"]
                .as_str()
                .unwrap()
                .contains(&format!("round {r1} of 2026 is still being scored")),
            "{v}"
        );
        let first = score_and_seal(&api, r1, &d1).await;
        assert_eq!(first.len(), 3, "{}: {first:?}", db.name);

        let (_, lim) = api.get(&format!("{BASE}/years/2026/limit")).await;
        assert_eq!(
            (&lim["recommended"], &lim["places_left"]),
            (&json!(3), &json!(2)),
            "{lim}"
        );
        let (st, v) = open_scoring(&api, r2).await;
        assert_eq!(st, 200, "{v}");
        let size = srv.state.store.log_size().await.unwrap();
        let e = srv.state.store.entries(size - 1, size).await.unwrap();
        let fairpanel_core::entry::Body::ScoringOpen(open) =
            fairpanel_core::entry::parse(&e[0].bytes).unwrap().body
        else {
            panic!("the last entry is not scoring_open");
        };
        assert_eq!((open.quota, open.already_recommended), (5, 3));
        let second = score_and_seal(&api, r2, &d2).await;
        assert_eq!(second.len(), 2, "two places were left: {second:?}");
        let (_, res) = api.get(&format!("{BASE}/rounds/{r2}/results")).await;
        let rows = res["results"].as_array().unwrap();
        assert_eq!(rows.len(), 3);
        let (_, lim) = api.get(&format!("{BASE}/years/2026/limit")).await;
        assert_eq!(
            (&lim["recommended"], &lim["places_left"]),
            (&json!(5), &json!(0)),
            "{lim}"
        );
        assert_eq!(lim["sealed"].as_array().unwrap().len(), 5);

        // The sixth: a third round of the year cannot open scoring.
        let r3 = round_with(&api, "第三轮", &["D1"]).await;
        api.revealed_draw(r3, 5, 2).await;
        let (st, v) = open_scoring(&api, r3).await;
        assert_eq!(st, 409, "{v}");
        assert_eq!(
            v["error"],
            "no places left: province 440000 has recommended 5 of its 5 projects for 2026 in sealed rounds",
        );
        let (_, round) = api.get(&format!("{BASE}/rounds/{r3}")).await;
        assert_eq!(round["state"], "drawn", "the refusal changed nothing");

        // Below what is sealed: refused. Above five: only with a reason.
        for (body, needle) in [
            (json!({"limit": 4}), "already recommended"),
            (json!({"limit": 6}), "written reason"),
            (json!({"limit": 6, "reason": "  "}), "written reason"),
            (json!({"limit": 0}), "1 to 100"),
        ] {
            let (st, v) = api
                .call("PUT", &format!("{BASE}/years/2026/limit"), Some(body))
                .await;
            assert_eq!(st, 400, "{v}");
            assert!(v["error"].as_str().unwrap().contains(needle), "{v}");
        }
        let (st, v) = api
            .call(
                "PUT",
                &format!("{BASE}/years/2026/limit"),
                Some(
                    json!({"limit": 6, "reason": "经两部批准增加一个名额（人社厅函〔2026〕1号）"}),
                ),
            )
            .await;
        assert_eq!(st, 200, "{v}");
        assert_eq!((&v["limit"], &v["places_left"]), (&json!(6), &json!(1)));
        let events: Vec<(i64, Option<String>)> = fairpanel::with_pool!(&srv.state.store, pool => sqlx::query_as(
            "SELECT max_projects, reason FROM year_limit_events WHERE province = '440000' AND year = 2026 ORDER BY id")
            .fetch_all(pool).await.unwrap());
        assert_eq!(events.len(), 1, "refused changes leave no record");
        assert!(events[0].1.as_deref().unwrap().contains("两部批准"));
        let (st, v) = open_scoring(&api, r3).await;
        assert_eq!(st, 200, "{v}");

        // Another province's year is its own, and not reachable from here.
        let other = token_for(&srv, "js-coord", "coordinator", Some("320000")).await;
        let js = Api {
            srv: &srv,
            token: other,
        };
        let (st, v) = js.get("/api/v1/provinces/320000/years/2026/limit").await;
        assert_eq!(st, 200, "{v}");
        assert_eq!(
            (&v["recommended"], &v["places_left"]),
            (&json!(0), &json!(5))
        );
        let (st, _) = js.get(&format!("{BASE}/years/2026/limit")).await;
        assert_eq!(st, 404);
        let (st, _) = js
            .call(
                "PUT",
                &format!("{BASE}/years/2026/limit"),
                Some(json!({"limit": 2})),
            )
            .await;
        assert_eq!(st, 404);
        let (st, _) = js
            .call(
                "PUT",
                &format!("{BASE}/rounds/{r1}/dates"),
                Some(json!({"meeting": "2026-09-01"})),
            )
            .await;
        assert_eq!(st, 404);
    }
}

/// A round's dates: dates of its year in the order meeting ≤ notice ≤ filing;
/// bad input is refused by name and changes nothing.
#[tokio::test]
async fn a_round_carries_its_dates_checked_and_in_order() {
    for db in backends::all().await {
        let srv = setup(&db.url).await;
        let coord = token_for(&srv, "gd-coord", "coordinator", Some("440000")).await;
        let api = Api {
            srv: &srv,
            token: coord,
        };
        let rid = round_with(&api, "日期", &["E1"]).await;
        let url = format!("{BASE}/rounds/{rid}/dates");
        let good = json!({"meeting": "2026-09-01", "notice_start": "2026-09-07",
                          "notice_end": "2026-09-11", "filing": "2026-10-30"});
        let (st, v) = api.call("PUT", &url, Some(good.clone())).await;
        assert_eq!(st, 200, "{v}");
        assert_eq!(v, good);
        for (body, needle) in [
            (json!({"meeting": "2026-9-1"}), "meeting"),
            (json!({"filing": "2025-10-30"}), "year 2026"),
            (
                json!({"meeting": "2026-10-01", "filing": "2026-09-30"}),
                "comes before",
            ),
            (json!({"meeting": "2026-02-30"}), "not a date"),
            (json!({"notice_start": "2026-09-07"}), "together"),
        ] {
            let (st, v) = api.call("PUT", &url, Some(body)).await;
            assert_eq!(st, 400, "{v}");
            assert!(
                v["error"].as_str().unwrap().contains(needle),
                "{needle}: {v}"
            );
        }
        let (st, v) = api
            .call("PUT", &url, Some(json!({"meating": "2026-09-01"})))
            .await;
        assert_eq!(st, 400, "unknown field: {v}");
        let (_, round) = api.get(&format!("{BASE}/rounds/{rid}")).await;
        assert_eq!(
            round["dates"], good,
            "{}: refusals changed nothing",
            db.name
        );
    }
}

/// The working-day calendar over the API: the shipped years with their
/// notices, a year without a calendar refused (never guessed), an admin adding
/// a year (checked) and a province's exception, which only that province's
/// counting follows and only its own people read.
#[tokio::test]
async fn the_calendar_ships_its_years_refuses_a_missing_one_and_takes_an_admins_additions() {
    for db in backends::all().await {
        let srv = setup(&db.url).await;
        let gd = Api {
            srv: &srv,
            token: token_for(&srv, "gd-coord", "coordinator", Some("440000")).await,
        };
        let js = Api {
            srv: &srv,
            token: token_for(&srv, "js-coord", "coordinator", Some("320000")).await,
        };
        let admin = Api {
            srv: &srv,
            token: token_for(&srv, "admin2", "admin", None).await,
        };
        let (st, v) = gd.get("/api/v1/calendar/years").await;
        assert_eq!(st, 200, "{v}");
        assert_eq!(v, json!([2024, 2025, 2026]));
        let (st, v) = gd.get("/api/v1/calendar/years/2024").await;
        assert_eq!(st, 200, "{v}");
        assert!(
            v["source"]
                .as_str()
                .unwrap()
                .contains("国办发明电〔2023〕7号")
        );
        assert!(
            v["working"]
                .as_array()
                .unwrap()
                .iter()
                .any(|d| d["date"] == "2024-10-12")
        );
        let (st, v) = gd.get("/api/v1/calendar/years/2027").await;
        assert_eq!(st, 404, "{v}");
        assert!(
            v["error"]
                .as_str()
                .unwrap()
                .contains("no working-day calendar for 2027")
        );
        // A notice's period over the API: five working days from Friday 27
        // September 2024 end on 9 October (Sunday 29 September worked, 1–7
        // October off); from Thursday 10 October on the 15th (Saturday 12
        // October worked).
        for (start, end) in [("2024-09-27", "2024-10-09"), ("2024-10-10", "2024-10-15")] {
            let (st, v) = gd
                .get(&format!(
                    "/api/v1/calendar/period?start={start}&days=5&province=440000"
                ))
                .await;
            assert_eq!(st, 200, "{v}");
            assert_eq!(v["end"], end, "{v}");
        }
        let (st, v) = gd
            .get("/api/v1/calendar/period?start=2026-12-28&days=5")
            .await;
        assert_eq!(st, 409, "{v}");
        assert!(
            v["error"]
                .as_str()
                .unwrap()
                .contains("no working-day calendar for 2027"),
            "{v}"
        );
        let (st, _) = gd
            .get("/api/v1/calendar/period?start=2026-12-28&days=0")
            .await;
        assert_eq!(st, 400);
        let (st, _) = js
            .get("/api/v1/calendar/period?start=2026-03-04&days=2&province=440000")
            .await;
        assert_eq!(st, 404, "another province's calendar is not read");
        let p = fairpanel_core::types::Province::try_from("440000").unwrap();
        let day = |s: &str| fairpanel::limits::parse_date("d", s).unwrap();
        let cal = srv.state.store.calendar(Some(&p)).await.unwrap();
        assert_eq!(
            cal.end_of_period(day("2026-12-28"), 5).unwrap_err(),
            fairpanel::calendar::CalendarError::NoCalendar(2027)
        );

        let year = |y: i32, working: &str| {
            json!({"year": y, "source": format!("国务院办公厅关于{y}年部分节假日安排的通知"),
                   "published": format!("{}-11-01", y - 1),
                   "holidays": [{"name": "元旦", "from": format!("{y}-01-01"), "to": format!("{y}-01-01"),
                                 "working": [working]}]})
        };
        let (st, _) = gd
            .post("/api/v1/calendar/years", year(2030, "2030-01-05"))
            .await;
        assert_eq!(st, 403, "only an admin adds a year");
        // 2030-01-02 is a Wednesday: it cannot be made a working day.
        let (st, v) = admin
            .post("/api/v1/calendar/years", year(2030, "2030-01-02"))
            .await;
        assert_eq!(st, 400, "{v}");
        assert!(
            v["error"]
                .as_str()
                .unwrap()
                .contains("not a Saturday or Sunday"),
            "{v}"
        );
        let (st, v) = admin
            .post("/api/v1/calendar/years", year(2026, "2026-01-04"))
            .await;
        assert_eq!(st, 409, "{v}");
        let (st, v) = admin
            .post("/api/v1/calendar/years", year(2030, "2030-01-05"))
            .await;
        assert_eq!(st, 201, "{v}");
        assert_eq!(v["built_in"], false);
        let (st, _) = admin
            .post("/api/v1/calendar/years", year(2030, "2030-01-05"))
            .await;
        assert_eq!(st, 409, "added once");
        let (_, v) = gd.get("/api/v1/calendar/years").await;
        assert_eq!(v, json!([2024, 2025, 2026, 2030]));
        let cal = srv.state.store.calendar(Some(&p)).await.unwrap();
        // Saturday 5 January 2030 is worked, 1 January is off.
        assert_eq!(
            cal.end_of_period(day("2029-12-31"), 1).unwrap_err(),
            fairpanel::calendar::CalendarError::NoCalendar(2029)
        );
        assert_eq!(
            cal.end_of_period(day("2030-01-01"), 4),
            Ok(day("2030-01-05"))
        );

        // A provincial exception: 广东 takes Thursday 5 March 2026 off.
        let exc = json!({"province": "440000", "date": "2026-03-05", "working": false,
                         "note": "粤府办〔2026〕1号"});
        let (st, _) = gd
            .call("PUT", "/api/v1/calendar/exceptions", Some(exc.clone()))
            .await;
        assert_eq!(st, 403);
        let (st, v) = admin
            .call("PUT", "/api/v1/calendar/exceptions", Some(exc))
            .await;
        assert_eq!(st, 200, "{v}");
        let (st, v) = admin
            .call(
                "PUT",
                "/api/v1/calendar/exceptions",
                Some(json!({"province": "440000", "date": "2027-03-05", "working": false, "note": "x"})),
            )
            .await;
        assert_eq!(st, 400, "{v}");
        assert!(v["error"].as_str().unwrap().contains("2027"), "{v}");
        let gd_cal = srv.state.store.calendar(Some(&p)).await.unwrap();
        let js_cal = srv
            .state
            .store
            .calendar(Some(
                &fairpanel_core::types::Province::try_from("320000").unwrap(),
            ))
            .await
            .unwrap();
        assert_eq!(
            gd_cal.end_of_period(day("2026-03-04"), 2),
            Ok(day("2026-03-06"))
        );
        assert_eq!(
            js_cal.end_of_period(day("2026-03-04"), 2),
            Ok(day("2026-03-05"))
        );
        let (st, v) = gd.get("/api/v1/calendar/years/2026?province=440000").await;
        assert_eq!(st, 200);
        assert_eq!(v["exceptions"][0]["date"], "2026-03-05", "{v}");
        let (st, _) = js.get("/api/v1/calendar/years/2026?province=440000").await;
        assert_eq!(st, 404, "another province's exceptions are not read");
    }
}
