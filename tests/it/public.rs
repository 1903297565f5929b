//! The public pages on both backends: the list of every province's draws with
//! its filters and every state (voided and abandoned ones with why), a draw's
//! page, the log's page, the verification page, and the live event stream
//! (events as they are appended, by this instance or another on the same
//! database, heartbeats, resuming after a reconnect). No page names anyone
//! before disclosure, whoever asks (`secrecy.rs` searches every public page
//! for every secret at each step; here, the roster's names on each page).

use super::draws::{Api, app, setup, t0};
use super::http::{Server, request, start_configured, token_for};
use super::*;
use fairpanel_core::types::Province;
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const GD: &str = "440000";
const BJ: &str = "110000";

/// A page without an account, in Chinese unless `lang` says otherwise.
async fn page(srv: &Server, path: &str, lang: &str) -> (u16, String) {
    let r = request(srv.addr, "GET", path, &[("Accept-Language", lang)], None).await;
    (r.status, r.body)
}

/// Every name of the roster that appears in `text`.
pub fn names_in(text: &str) -> Vec<String> {
    fairpanel::demo::synthetic_records(320)
        .into_iter()
        .flat_map(|r| [r.name, r.expert_id])
        .filter(|n| text.contains(n.as_str()))
        .collect()
}

/// A round of `province`: opened, one application, a draw committed without
/// a beacon (deadline `window` seconds on); the draw's id.
pub async fn commit(coord: &Api<'_>, province: &str, title: &str, window: u64) -> String {
    commit_in(coord, province, title, window).await.1
}

/// [`commit`], and the round's id.
pub async fn commit_in(coord: &Api<'_>, province: &str, title: &str, window: u64) -> (i64, String) {
    let base = format!("/api/v1/provinces/{province}");
    let (st, round) = coord
        .post(
            &format!("{base}/rounds"),
            json!({"year": 2026, "kind": "base_new", "title": title}),
        )
        .await;
    assert_eq!(st, 201, "{round}");
    let rid = round["id"].as_i64().unwrap();
    let (st, v) = coord
        .post(
            &format!("{base}/rounds/{rid}/applications"),
            app("A1", "甲单位"),
        )
        .await;
    assert_eq!(st, 201, "{v}");
    let (st, d) = coord
        .post(
            &format!("{base}/rounds/{rid}/draws"),
            json!({"title": title, "panel": 5, "alternates": 2, "beacon": {"mode": "none"}, "entropy_window": window}),
        )
        .await;
    assert_eq!(st, 201, "{d}");
    (rid, d["id"].as_str().unwrap().to_string())
}

pub async fn contribute(srv: &Server, id: &str, who: &str, byte: u8) -> u64 {
    srv.state
        .workflow()
        .contribute(
            &Province::try_from(&id[..6]).unwrap(),
            id,
            who,
            fairpanel_core::Hash32([byte; 32]),
        )
        .await
        .unwrap_or_else(|e| panic!("contribution: {e:?}"))
}

/// A pool of 320 synthetic experts for 110000 as well.
async fn beijing_pool(srv: &Server) {
    srv.state
        .store
        .write_experts(
            &srv.state.key,
            &srv.state.origin,
            &Province::try_from(BJ).unwrap(),
            &fairpanel::demo::synthetic_records(320),
            fairpanel::store::experts::Must::Either,
            "import",
            t0(),
        )
        .await
        .unwrap()
        .unwrap();
}

/// The rows of the list page: (draw id, state) in page order.
fn rows(html: &str) -> Vec<(String, String)> {
    html.split("<tr data-draw=\"")
        .skip(1)
        .map(|r| {
            let id = r.split('"').next().unwrap().to_string();
            let state = r
                .split("data-state=\"")
                .nth(1)
                .unwrap()
                .split('"')
                .next()
                .unwrap()
                .to_string();
            (id, state)
        })
        .collect()
}

#[tokio::test]
async fn every_provinces_draws_are_listed_with_their_state_and_why_and_filter() {
    for db in backends::all().await {
        let srv = setup(&db.url).await;
        beijing_pool(&srv).await;
        let gd = Api {
            srv: &srv,
            token: token_for(&srv, "gd-coord", "coordinator", Some(GD)).await,
        };
        let bj = Api {
            srv: &srv,
            token: token_for(&srv, "bj-coord", "coordinator", Some(BJ)).await,
        };
        // 440000: one voided, one left to be abandoned; 110000: one revealed.
        let voided = commit(&gd, GD, "作废的抽取", 0).await;
        let (st, v) = gd
            .post(
                &format!("/api/v1/provinces/{GD}/draws/{voided}/void"),
                json!({"reason": "申报材料需要补正"}),
            )
            .await;
        assert_eq!(st, 200, "{v}");
        let abandoned = commit(&gd, GD, "无人揭晓的抽取", 60).await;
        let revealed = commit(&bj, BJ, "北京的抽取", 0).await;
        contribute(&srv, &revealed, "supervisor-bj", 7).await;
        srv.state.clock.advance(1);
        let (st, v) = bj
            .post(
                &format!("/api/v1/provinces/{BJ}/draws/{revealed}/reveal"),
                json!({}),
            )
            .await;
        assert_eq!(st, 200, "{v}");
        // Two days later the unrevealed draw counts as abandoned; a new one
        // is in progress.
        srv.state.clock.advance(2 * 86_400);
        let running = commit(&gd, GD, "进行中的抽取", 600).await;

        let (st, all) = page(&srv, "/public/draws", "zh-CN").await;
        assert_eq!(st, 200, "{}: {all}", db.name);
        let listed = rows(&all);
        let want = [
            (running.as_str(), "committed"),
            (revealed.as_str(), "revealed"),
            (abandoned.as_str(), "abandoned"),
            (voided.as_str(), "voided"),
        ];
        assert_eq!(
            listed
                .iter()
                .map(|(a, b)| (a.as_str(), b.as_str()))
                .collect::<Vec<_>>(),
            want,
            "{}: newest first, every province, every state",
            db.name
        );
        assert!(all.contains("申报材料需要补正"), "a void says why");
        assert!(
            all.contains("24 小时仍未揭晓"),
            "an abandoned draw says why"
        );
        assert!(all.contains("已作废") && all.contains("已放弃"));
        assert!(all.contains(&format!("/public/draws/{revealed}")));
        assert!(all.contains("北京市") && all.contains("广东省"));

        // Filters, one at a time and together.
        let year = fairpanel::web::Tr::new(fairpanel::web::Lang::Zh).time(t0())[..4].to_string();
        for (query, expect) in [
            (format!("province={BJ}"), vec![revealed.as_str()]),
            (
                format!("province={GD}"),
                vec![running.as_str(), abandoned.as_str(), voided.as_str()],
            ),
            ("state=voided".to_string(), vec![voided.as_str()]),
            ("state=abandoned".to_string(), vec![abandoned.as_str()]),
            ("state=committed".to_string(), vec![running.as_str()]),
            (format!("state=revealed&province={GD}"), vec![]),
            (
                format!("year={year}&province={GD}&state=voided"),
                vec![voided.as_str()],
            ),
            ("year=2001".to_string(), vec![]),
        ] {
            let (st, html) = page(&srv, &format!("/public/draws?{query}"), "zh-CN").await;
            assert_eq!(st, 200, "{query}: {html}");
            let got: Vec<String> = rows(&html).into_iter().map(|r| r.0).collect();
            assert_eq!(got, expect, "{}: {query}", db.name);
            if expect.is_empty() {
                assert!(html.contains("没有符合条件的抽取"), "{query}");
            }
        }
        // Bad filters: the field named, in the reader's language, nothing listed.
        for (query, zh, en) in [
            ("province=999999", "请选择列表中的省份", "Choose a province"),
            (
                "year=twenty",
                "年份须为四位数字",
                "The year must be four digits",
            ),
            ("state=lost", "请选择列表中的状态", "Choose a state"),
        ] {
            let (st, html) = page(&srv, &format!("/public/draws?{query}"), "zh-CN").await;
            assert_eq!(st, 400, "{query}");
            assert!(html.contains(zh), "{query}: {html}");
            assert!(rows(&html).is_empty());
            let (st, html) = page(&srv, &format!("/public/draws?{query}"), "en").await;
            assert_eq!(st, 400);
            assert!(html.contains(en), "{query}: {html}");
        }
        let (_, en) = page(&srv, "/public/draws", "en").await;
        assert!(en.contains("Voided") && en.contains("Abandoned") && en.contains("Why:"));

        // Another province's pages are public to a signed-in coordinator too,
        // and name no one before disclosure.
        let cookie = format!("fairpanel_session={}", gd.token);
        for path in [
            "/public/draws".to_string(),
            format!("/public/draws?province={BJ}"),
            format!("/public/draws/{revealed}"),
            format!("/public/draws/{running}"),
            format!("/public/draws/{voided}"),
            "/public/log".to_string(),
        ] {
            for headers in [vec![], vec![("Cookie", cookie.as_str())]] {
                let r = request(srv.addr, "GET", &path, &headers, None).await;
                assert_eq!(r.status, 200, "{path}");
                assert_eq!(names_in(&r.body), Vec::<String>::new(), "{path}");
            }
        }
    }
}

#[tokio::test]
async fn a_draws_page_shows_its_commit_its_steps_and_its_panel_as_disclosure_allows() {
    for db in backends::all().await {
        let srv = setup(&db.url).await;
        let gd = Api {
            srv: &srv,
            token: token_for(&srv, "gd-coord", "coordinator", Some(GD)).await,
        };
        let id = commit(&gd, GD, "公开页面的抽取", 0).await;
        let path = format!("/public/draws/{id}");
        let (st, html) = page(&srv, &path, "zh-CN").await;
        assert_eq!(st, 200, "{html}");
        // What the commit fixed, as the log holds it.
        let r = request(srv.addr, "GET", "/api/v1/public/entries?start=0", &[], None).await;
        let entries: Vec<Value> = serde_json::from_str(&r.body).unwrap();
        let c = entries
            .iter()
            .find(|e| e["entry"]["kind"] == "commit")
            .unwrap();
        let body = &c["entry"]["body"];
        assert!(html.contains(body["pool_root"].as_str().unwrap()));
        assert!(html.contains(&format!(
            "id=\"pool-size\">{}",
            body["pool_size"].as_u64().unwrap()
        )));
        assert!(html.contains(body["secret_commitment"].as_str().unwrap()));
        assert!(html.contains("保证程度较低"), "a beacon-less draw says so");
        assert!(html.contains("data-events="), "a draw in progress is live");
        assert!(
            html.contains("<noscript><meta http-equiv=\"refresh\""),
            "and reloads without script"
        );
        assert!(!html.contains("id=\"panel\""), "no panel before the reveal");
        contribute(&srv, &id, "supervisor-9", 9).await;
        srv.state.clock.advance(1);
        let (st, v) = gd
            .post(
                &format!("/api/v1/provinces/{GD}/draws/{id}/reveal"),
                json!({}),
            )
            .await;
        assert_eq!(st, 200, "{v}");
        let (_, html) = page(&srv, &path, "zh-CN").await;
        // Each step with its sequence number and entry hash, as the log has them.
        let r = request(srv.addr, "GET", "/api/v1/public/entries?start=0", &[], None).await;
        let entries: Vec<Value> = serde_json::from_str(&r.body).unwrap();
        let mine: Vec<&Value> = entries
            .iter()
            .filter(|e| e["entry"]["body"]["draw"] == id.as_str())
            .collect();
        assert_eq!(mine.len(), 3, "commit, contribution, reveal");
        for e in &mine {
            let seq = e["seq"].as_u64().unwrap();
            let bytes = serde_json::to_vec(&e["entry"]).unwrap();
            let hash = fairpanel_core::entry::entry_hash(&bytes).to_hex();
            assert!(
                html.contains(&format!("<tr data-seq=\"{seq}\"")) && html.contains(&hash),
                "{}: step {seq} ({hash})",
                db.name
            );
        }
        // The panel by token and specialty; no names, no expert ids.
        let reveal = mine
            .iter()
            .find(|e| e["entry"]["kind"] == "reveal")
            .unwrap();
        for t in reveal["entry"]["body"]["panel"].as_array().unwrap() {
            assert!(html.contains(t.as_str().unwrap()), "panel token {t}");
        }
        assert!(html.contains("id=\"panel\""));
        assert!(
            !html.contains("data-events="),
            "a revealed draw is not live"
        );
        assert_eq!(names_in(&html), Vec::<String>::new(), "{}", db.name);
        assert!(html.contains(&format!("/api/v1/public/draws/{id}/bundle")));
        assert!(html.contains(&format!("/public/verify?draw={id}")));
        let (_, en) = page(&srv, &path, "en").await;
        assert!(en.contains("What the commit fixed") && en.contains("Lower assurance"));

        // No such draw, or not a draw id at all: not found, never a 500.
        for bad in [
            "/public/draws/440000-0000-r9-d9",
            "/public/draws/%E6%8A%BD",
            "/public/draws/x/events",
        ] {
            let (st, _) = page(&srv, bad, "zh-CN").await;
            assert_eq!(st, 404, "{bad}");
        }
    }
}

#[tokio::test]
async fn the_log_page_shows_the_checkpoint_entries_by_range_and_the_key() {
    for db in backends::all().await {
        let srv = setup(&db.url).await;
        let gd = Api {
            srv: &srv,
            token: token_for(&srv, "gd-coord", "coordinator", Some(GD)).await,
        };
        commit(&gd, GD, "日志页面的抽取", 0).await;
        let size = srv.state.store.log_size().await.unwrap();
        assert!(size >= 2, "the roster import and the commit");
        let (st, html) = page(&srv, "/public/log", "zh-CN").await;
        assert_eq!(st, 200, "{html}");
        let (_, cp) = super::http::get(srv.addr, "/api/v1/public/checkpoint").await;
        assert!(html.contains(&format!("id=\"log-size\">{size}<")), "{html}");
        let root = cp.lines().nth(2).unwrap();
        assert!(html.contains(root), "the checkpoint's root");
        let pk = srv.state.key.public();
        assert!(html.contains(&format!("id=\"key-id\">{}<", pk.key_id())));
        assert!(html.contains(&pk.to_base64()));
        let fp = fairpanel_core::hash::sha256(&pk.to_bytes()).to_hex();
        assert!(
            html.contains(&format!("{} {}", &fp[..4], &fp[4..8])),
            "the fingerprint, grouped"
        );
        for seq in 0..size {
            assert!(html.contains(&format!("<tr data-seq=\"{seq}\"")), "{seq}");
        }
        let (st, html) = page(&srv, "/public/log?start=1&end=2", "zh-CN").await;
        assert_eq!(st, 200);
        assert!(html.contains("<tr data-seq=\"1\"") && !html.contains("<tr data-seq=\"0\""));
        for (q, zh) in [
            ("start=2&end=1", "结束序号不能小于起始序号"),
            ("start=abc", "序号须为 0 到"),
            (&format!("end={}", size + 5) as &str, "序号须为 0 到"),
        ] {
            let (st, html) = page(&srv, &format!("/public/log?{q}"), "zh-CN").await;
            assert_eq!(st, 400, "{q}");
            assert!(html.contains(zh), "{q}: {html}");
        }
        let (_, en) = page(&srv, "/public/log", "en").await;
        assert!(en.contains("Newest checkpoint") && en.contains("Fingerprint"));
    }
}

#[tokio::test]
async fn the_verify_page_and_its_scripts_are_served_from_the_binary() {
    let db = backends::sqlite();
    let srv = super::http::start(&db.url).await;
    let (st, html) = page(&srv, "/public/verify?draw=440000-2026-r1-d1", "zh-CN").await;
    assert_eq!(st, 200, "{html}");
    assert!(
        html.contains("value=\"440000-2026-r1-d1\""),
        "the draw filled in"
    );
    assert!(html.contains("<script type=\"module\" src=\"/static/verify.js\">"));
    for c in fairpanel_core::verify::CHECKS {
        assert!(html.contains(&format!("data-check=\"{c}\"")), "{c}");
    }
    assert!(html.contains("不会发送到任何地方"));
    let (_, en) = page(&srv, "/public/verify?draw=%3Cscript%3E", "en").await;
    assert!(en.contains("sent nowhere"));
    assert!(!en.contains("<script>"), "a bad draw id is dropped");
    for (path, needle) in [
        (
            "/static/verify.js",
            "new Worker(\"/static/verify-worker.js\"",
        ),
        (
            "/static/verify-worker.js",
            "import * as verifier from \"/static/verifier.mjs\"",
        ),
        ("/static/verifier.mjs", "export"),
    ] {
        let r = request(srv.addr, "GET", path, &[], None).await;
        assert_eq!(r.status, 200, "{path}");
        assert!(
            r.headers
                .to_ascii_lowercase()
                .contains("content-type: text/javascript"),
            "{path}: {}",
            r.headers
        );
        assert!(r.body.contains(needle), "{path}");
    }
}

/// An event stream read as it comes (HTTP/1.0: no chunking), until `done`
/// holds for what has arrived or `limit` passes.
pub struct Stream {
    s: tokio::net::TcpStream,
    pub text: String,
}

impl Stream {
    pub async fn open(addr: std::net::SocketAddr, path: &str, headers: &[(&str, &str)]) -> Stream {
        let mut s = tokio::net::TcpStream::connect(addr).await.unwrap();
        let mut head = format!("GET {path} HTTP/1.0\r\nHost: test\r\n");
        for (k, v) in headers {
            head.push_str(&format!("{k}: {v}\r\n"));
        }
        head.push_str("\r\n");
        s.write_all(head.as_bytes()).await.unwrap();
        Stream {
            s,
            text: String::new(),
        }
    }

    /// Whether the server ends the stream within `limit`.
    pub async fn ends_within(&mut self, limit: std::time::Duration) -> bool {
        let end = tokio::time::Instant::now() + limit;
        let mut buf = [0u8; 4096];
        loop {
            match tokio::time::timeout_at(end, self.s.read(&mut buf)).await {
                Ok(Ok(0)) => return true,
                Ok(Ok(n)) => self.text.push_str(&String::from_utf8_lossy(&buf[..n])),
                Ok(Err(_)) => return true,
                Err(_) => return false,
            }
        }
    }

    pub async fn until(&mut self, limit: std::time::Duration, done: impl Fn(&str) -> bool) -> bool {
        let end = tokio::time::Instant::now() + limit;
        let mut buf = [0u8; 4096];
        while !done(&self.text) {
            match tokio::time::timeout_at(end, self.s.read(&mut buf)).await {
                Ok(Ok(0)) | Err(_) => return false,
                Ok(Ok(n)) => self.text.push_str(&String::from_utf8_lossy(&buf[..n])),
                Ok(Err(e)) => panic!("reading the stream: {e}"),
            }
        }
        true
    }
}

/// The sequence numbers of the `step` events received.
pub fn event_ids(text: &str) -> Vec<u64> {
    text.lines()
        .filter_map(|l| l.strip_prefix("id: ").or_else(|| l.strip_prefix("id:")))
        .map(|v| v.trim().parse().unwrap())
        .collect()
}

#[tokio::test]
async fn the_live_stream_sends_each_step_as_it_is_appended_by_any_instance() {
    for db in backends::all().await {
        let srv = setup(&db.url).await;
        let gd = Api {
            srv: &srv,
            token: token_for(&srv, "gd-coord", "coordinator", Some(GD)).await,
        };
        let id = commit(&gd, GD, "实时的抽取", 600).await;
        let commit_seq = srv.state.store.log_size().await.unwrap() - 1;
        let path = format!("/public/draws/{id}/events");
        let mut s = Stream::open(srv.addr, &path, &[]).await;
        let wait = std::time::Duration::from_secs(10);
        assert!(
            s.until(wait, |t| event_ids(t).contains(&commit_seq)).await,
            "{}: the commit first: {}",
            db.name,
            s.text
        );
        let head = s
            .text
            .split("\r\n\r\n")
            .next()
            .unwrap()
            .to_ascii_lowercase();
        assert!(head.contains("content-type: text/event-stream"), "{head}");
        assert!(head.contains("x-accel-buffering: no"), "{head}");
        assert!(head.contains("cache-control: no-store"), "{head}");
        assert!(s.text.contains("event: step"));
        // A second instance on the same database (the same keys): what it
        // appends reaches this instance's stream.
        let keys = srv.dir.path().join("keys");
        let other = start_configured(&db.url, |c| {
            c.keys = keys.clone();
            c.clock = srv.state.clock.clone();
        })
        .await;
        let seq = contribute(&other, &id, "supervisor-41", 41).await;
        assert!(
            s.until(wait, |t| event_ids(t).contains(&seq)).await,
            "{}: a contribution through the other instance: {}",
            db.name,
            s.text
        );
        assert!(s.text.contains("\"kind\":\"entropy\""));
        assert!(s.text.contains("supervisor-41"));
        assert!(s.text.contains("\"state\":\"committed\""));
        // Heartbeats keep a proxy from closing a quiet stream.
        assert!(
            s.until(fairpanel::web::public::HEARTBEAT * 2, |t| t
                .lines()
                .any(|l| l.starts_with(':')))
                .await,
            "{}: a heartbeat comment: {}",
            db.name,
            s.text
        );
        // A browser reconnecting with Last-Event-ID gets only what it missed.
        let seq2 = contribute(&srv, &id, "supervisor-42", 42).await;
        let mut again =
            Stream::open(other.addr, &path, &[("Last-Event-ID", &seq.to_string())]).await;
        assert!(
            again.until(wait, |t| event_ids(t).contains(&seq2)).await,
            "{}",
            again.text
        );
        assert_eq!(event_ids(&again.text), vec![seq2], "{}", db.name);
        // ?after= does the same for the page's first connection.
        let mut after = Stream::open(srv.addr, &format!("{path}?after={seq}"), &[]).await;
        assert!(after.until(wait, |t| event_ids(t).contains(&seq2)).await);
        assert_eq!(event_ids(&after.text), vec![seq2]);
        assert!(names_in(&s.text).is_empty());
        // A quiet stream of an instance told to stop ends, so that it does
        // not hold the drain until its timeout.
        assert!(
            !s.ends_within(std::time::Duration::from_millis(1500)).await,
            "a live stream stays open while the service runs"
        );
        srv.state
            .draining
            .store(true, std::sync::atomic::Ordering::SeqCst);
        assert!(
            s.ends_within(fairpanel::web::public::DRAIN_CHECK * 5).await,
            "{}: the stream ends once the service drains",
            db.name
        );
    }
}
