//! The public notice (公示) and objections (异议), issue 14 items 3 and 4: from
//! a sealed round to a published notice, objections with bad and good input,
//! their handling, a withdrawal that frees a place, and the close; on both
//! backends.

use super::draws::{Api, setup};
use super::http::{request, token_for};
use super::report::{open_scoring, round_with, score_and_seal};
use super::*;
use base64::Engine;
use fairpanel_core::entry::{self, Body};
use serde_json::{Value, json};

const BASE: &str = "/api/v1/provinces/440000";

/// A public (no account) call; the status and the JSON answer.
async fn public(
    srv: &super::http::Server,
    method: &str,
    path: &str,
    body: Option<Value>,
) -> (u16, Value) {
    let r = request(srv.addr, method, path, &[], body.as_ref()).await;
    (
        r.status,
        serde_json::from_str(&r.body).unwrap_or(Value::Null),
    )
}

/// The last log entry, parsed, with its hash.
async fn last_entry(srv: &super::http::Server) -> entry::Parsed {
    let size = srv.state.store.log_size().await.unwrap();
    let e = srv.state.store.entries(size - 1, size).await.unwrap();
    entry::parse(&e[0].bytes).unwrap()
}

fn b64(b: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(b)
}

/// A round sealed with `refs`, scored by a revealed panel; its id and the
/// recommended applications.
async fn sealed_round(api: &Api<'_>, title: &str, refs: &[&str]) -> (i64, Vec<String>) {
    let rid = round_with(api, title, refs).await;
    let draw = api.revealed_draw(rid, 5, 2).await;
    let (st, v) = open_scoring(api, rid).await;
    assert_eq!(st, 200, "{v}");
    // Scoring, not sealed: no notice yet.
    let (st, v) = api
        .post(
            &format!("{BASE}/rounds/{rid}/notice/preview"),
            json!({"columns": ["organisation"], "start": "2025-09-26"}),
        )
        .await;
    assert_eq!(st, 409, "{v}");
    assert!(
        v["error"]
            .as_str()
            .unwrap()
            .contains("a notice publishes sealed results"),
        "{v}"
    );
    let rec = score_and_seal(api, rid, &draw).await;
    (rid, rec)
}

/// From the seal to the close: the period of 5 working days from Friday
/// 2025-09-26 runs across National Day (1–8 October off, Sunday 28 September
/// a working day) to Thursday 9 October; the text's hash is in the notice
/// entry; bad objections are refused naming the problem and store nothing;
/// a receipt opens only with its token; an upheld objection withdraws the
/// project and the year's count drops; the close waits for the period's end
/// and logs the counts.
#[tokio::test]
async fn a_notice_goes_from_the_seal_through_objections_to_its_close() {
    for db in backends::all().await {
        let srv = setup(&db.url).await;
        let coord = token_for(&srv, "gd-coord", "coordinator", Some("440000")).await;
        let api = Api {
            srv: &srv,
            token: coord.clone(),
        };
        let (rid, rec) = sealed_round(&api, "公示轮", &["N1", "N2", "N3"]).await;
        assert!(rec.len() >= 2, "{}: {rec:?}", db.name);

        // Drafts: a column that does not exist, a period too long.
        let draft = |cols: Value, days: Value| json!({"columns": cols, "start": "2025-09-26", "working_days": days});
        let (st, v) = api
            .post(
                &format!("{BASE}/rounds/{rid}/notice/preview"),
                draft(json!(["salary"]), json!(5)),
            )
            .await;
        assert_eq!(st, 400, "{v}");
        assert!(
            v["error"]
                .as_str()
                .unwrap()
                .contains("unknown column \"salary\""),
            "{v}"
        );
        let (st, v) = api
            .post(
                &format!("{BASE}/rounds/{rid}/notice/preview"),
                draft(json!(["rank"]), json!(31)),
            )
            .await;
        assert_eq!(st, 400, "{v}");
        let (st, pv) = api
            .post(
                &format!("{BASE}/rounds/{rid}/notice/preview"),
                draft(json!(["score", "organisation", "rank"]), Value::Null),
            )
            .await;
        assert_eq!(st, 200, "{pv}");
        assert_eq!(
            (&pv["start"], &pv["end"], &pv["working_days"]),
            (&json!("2025-09-26"), &json!("2025-10-09"), &json!(5)),
            "{pv}"
        );
        assert_eq!(pv["columns"], json!(["rank", "organisation", "score"]));
        assert_eq!(pv["projects"], json!(rec));
        let size_before = srv.state.store.log_size().await.unwrap();

        let (st, n) = api
            .post(
                &format!("{BASE}/rounds/{rid}/notice"),
                draft(json!(["score", "organisation", "rank"]), Value::Null),
            )
            .await;
        assert_eq!(st, 201, "{n}");
        assert_eq!(srv.state.store.log_size().await.unwrap(), size_before + 1);
        let text = n["text"].as_str().unwrap();
        assert!(text.ends_with('\n') && !text.contains('\r'), "{text}");
        assert_eq!(text, pv["text"].as_str().unwrap());
        let notice_entry = last_entry(&srv).await;
        let Body::Notice(ne) = &notice_entry.body else {
            panic!(
                "the last entry is not a notice: {:?}",
                notice_entry.entry.kind
            );
        };
        assert_eq!(ne.text, fairpanel_core::hash::sha256(text.as_bytes()));
        assert_eq!(ne.text.to_hex(), n["text_sha256"].as_str().unwrap());
        assert_eq!(
            (
                ne.start.as_str(),
                ne.end.as_str(),
                ne.working_days,
                ne.items as usize
            ),
            ("2025-09-26", "2025-10-09", 5, rec.len())
        );
        assert_eq!(n["seq"], json!(notice_entry.entry.seq));
        let (st, v) = api
            .post(
                &format!("{BASE}/rounds/{rid}/notice"),
                draft(json!(["rank"]), Value::Null),
            )
            .await;
        assert_eq!(st, 409, "a round has one notice: {v}");
        let (_, round) = api.get(&format!("{BASE}/rounds/{rid}")).await;
        assert_eq!(round["dates"]["notice_end"], json!("2025-10-09"), "{round}");
        // The report describes the notice: not while it is open.
        let (st, v) = api
            .post(&format!("{BASE}/rounds/{rid}/report"), json!({}))
            .await;
        assert_eq!(st, 409, "{}: {v}", db.name);
        assert!(
            v["error"]
                .as_str()
                .unwrap()
                .contains("is open until 2025-10-09"),
            "{v}"
        );

        // The public list and page, with no account.
        let nid = n["id"].as_i64().unwrap();
        let (st, list) = public(&srv, "GET", "/api/v1/public/notices?year=2026", None).await;
        assert_eq!(st, 200, "{list}");
        assert!(
            list.as_array()
                .unwrap()
                .iter()
                .any(|x| x["id"] == json!(nid) && x["status"] == json!("open")),
            "{list}"
        );
        let (st, list) = public(&srv, "GET", "/api/v1/public/notices?province=320000", None).await;
        assert_eq!((st, list.as_array().unwrap().len()), (200, 0), "{list}");
        let (st, one) = public(&srv, "GET", &format!("/api/v1/public/notices/{nid}"), None).await;
        assert_eq!(st, 200, "{one}");
        assert_eq!(one["text"].as_str().unwrap(), text);

        // Bad objections: each refused, naming the problem; nothing stored.
        let obj = format!("/api/v1/public/notices/{nid}/objections");
        let p0 = rec[0].clone();
        let mut big = b"%PDF-1.7\n".to_vec();
        big.resize(5 * 1024 * 1024 + 1, b'x');
        for (body, says) in [
            (
                json!({"project": p0, "grounds": "  "}),
                "grounds is required",
            ),
            (
                json!({"project": "N9", "grounds": "材料不实"}),
                "project \"N9\" is not on this notice",
            ),
            (
                json!({"project": "", "grounds": "材料不实"}),
                "project is required",
            ),
            (
                json!({"project": p0, "grounds": "材料不实", "attachment": b64(&big)}),
                "larger than 5 MiB",
            ),
            (
                json!({"project": p0, "grounds": "材料不实", "attachment": b64(b"GIF89a\x01\x00")}),
                "must be a PDF, PNG or JPEG",
            ),
            (
                json!({"project": p0, "grounds": "材料不实", "attachment": "not base64!"}),
                "not base64",
            ),
        ] {
            let (st, v) = public(&srv, "POST", &obj, Some(body)).await;
            assert_eq!(st, 400, "{}: {v}", db.name);
            assert!(v["error"].as_str().unwrap().contains(says), "{says}: {v}");
        }
        let (_, n) = api.get(&format!("{BASE}/rounds/{rid}/notice")).await;
        assert_eq!(n["objections"], json!([]), "nothing stored: {n}");

        // Two good objections, one with a PNG.
        let png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR".to_vec();
        let (st, r1) = public(&srv, "POST", &obj, Some(json!({"name": "张三", "contact": "13800000000", "project": p0, "grounds": "培训记录与申报不符", "attachment": b64(&png)}))).await;
        assert_eq!(st, 201, "{r1}");
        assert_eq!(r1["reference"], json!("23-440000-1"), "{r1}");
        let p1 = rec[1].clone();
        let (st, r2) = public(
            &srv,
            "POST",
            &obj,
            Some(json!({"project": p1, "grounds": "场地面积不足"})),
        )
        .await;
        assert_eq!(st, 201, "{r2}");
        assert_eq!(r2["reference"], json!("23-440000-2"));
        let receipt =
            |r: &Value, token: &Value| json!({"reference": r["reference"], "token": token});
        let (st, v) = public(
            &srv,
            "POST",
            "/api/v1/public/notices/receipt",
            Some(receipt(&r1, &r1["token"])),
        )
        .await;
        assert_eq!(st, 200, "{v}");
        assert_eq!(
            (&v["outcome"], &v["project"]),
            (&json!("pending"), &json!(p0))
        );
        assert!(v.get("name").is_none() && v.get("contact").is_none(), "{v}");
        // Another's reference with one's own token: not found.
        let (st, _) = public(
            &srv,
            "POST",
            "/api/v1/public/notices/receipt",
            Some(receipt(&r2, &r1["token"])),
        )
        .await;
        assert_eq!(st, 404);
        let auth = format!("Bearer {coord}");
        let r = super::http::send(
            srv.addr,
            "GET",
            &format!("{BASE}/rounds/{rid}/notice/objections/23-440000-1/attachment"),
            &[("Authorization", auth.as_str())],
            b"",
            false,
        )
        .await;
        assert_eq!((r.status, r.body.as_slice()), (200, png.as_slice()));
        assert!(
            r.headers
                .to_ascii_lowercase()
                .contains("content-type: image/png"),
            "{}",
            r.headers
        );

        // Not closed while the period runs (the clock is in 2023).
        let (st, v) = api
            .post(&format!("{BASE}/rounds/{rid}/notice/close"), json!({}))
            .await;
        assert_eq!(st, 409, "{v}");
        assert!(
            v["error"]
                .as_str()
                .unwrap()
                .contains("runs until 2025-10-09"),
            "{v}"
        );

        // Handling: an answer is required; once only.
        let handle = |r: &str| format!("{BASE}/rounds/{rid}/notice/objections/{r}/handling");
        let (st, v) = api
            .post(
                &handle("23-440000-1"),
                json!({"outcome": "rejected", "answer": " "}),
            )
            .await;
        assert_eq!(st, 400, "{v}");
        let (st, v) = api.post(&handle("23-440000-1"), json!({"outcome": "rejected", "answer": "经核查，培训记录完整", "withdraw": true, "reason": "x"})).await;
        assert_eq!(st, 400, "{v}");
        let (st, v) = api
            .post(
                &handle("23-440000-1"),
                json!({"outcome": "rejected", "answer": "经核查，培训记录完整"}),
            )
            .await;
        assert_eq!(st, 200, "{v}");
        let (st, v) = api
            .post(
                &handle("23-440000-1"),
                json!({"outcome": "upheld", "answer": "再议"}),
            )
            .await;
        assert_eq!(st, 409, "{v}");
        let (_, lim) = api.get(&format!("{BASE}/years/2026/limit")).await;
        let before = lim["recommended"].as_u64().unwrap();
        let (st, v) = api.post(&handle("23-440000-2"), json!({"outcome": "upheld", "answer": "经现场核查，场地面积不足", "withdraw": true, "reason": "异议成立：场地面积不符合要求"})).await;
        assert_eq!(st, 200, "{v}");
        let w = last_entry(&srv).await;
        let Body::Withdrawal(we) = &w.body else {
            panic!("not a withdrawal: {:?}", w.entry.kind)
        };
        assert_eq!(
            (we.application.as_str(), we.objection.as_deref()),
            (p1.as_str(), Some("23-440000-2"))
        );
        assert_eq!(v["withdrawal_seq"], json!(w.entry.seq));
        let (_, lim) = api.get(&format!("{BASE}/years/2026/limit")).await;
        assert_eq!(
            lim["recommended"].as_u64().unwrap(),
            before - 1,
            "the withdrawn project frees its place: {lim}"
        );
        let (st, v) = public(
            &srv,
            "POST",
            "/api/v1/public/notices/receipt",
            Some(receipt(&r2, &r2["token"])),
        )
        .await;
        assert_eq!((st, &v["outcome"]), (200, &json!("upheld")), "{v}");

        // After the last day (Beijing time): no more objections; the close.
        let after = 1_760_025_600 + 60; // 2025-10-10 00:01 in Beijing
        let now = srv.state.clock.now();
        srv.state.clock.advance(after - now);
        let (st, v) = public(
            &srv,
            "POST",
            &obj,
            Some(json!({"project": p0, "grounds": "迟到的异议"})),
        )
        .await;
        assert_eq!(st, 409, "{v}");
        let (st, c) = api
            .post(&format!("{BASE}/rounds/{rid}/notice/close"), json!({}))
            .await;
        assert_eq!(st, 200, "{c}");
        let close = last_entry(&srv).await;
        let Body::NoticeClose(ce) = &close.body else {
            panic!("not a notice_close")
        };
        assert_eq!((ce.objections, ce.upheld, ce.rejected), (2, 1, 1));
        assert_eq!(ce.notice, notice_entry.hash);
        assert_eq!(c["close_seq"], json!(close.entry.seq));
        let (_, one) = public(&srv, "GET", &format!("/api/v1/public/notices/{nid}"), None).await;
        assert_eq!(
            (&one["status"], &one["objections"], &one["upheld"]),
            (&json!("closed"), &json!(2), &json!(1)),
            "{one}"
        );
        let (st, _) = api
            .post(&format!("{BASE}/rounds/{rid}/notice/close"), json!({}))
            .await;
        assert_eq!(st, 409);

        // The report's summary.
        let round = srv
            .state
            .store
            .round(&"440000".try_into().unwrap(), rid)
            .await
            .unwrap()
            .unwrap();
        let s = fairpanel::notice::summary_of_round(&srv.state.store, &round)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            (s.notice_seq as u64, s.end.as_str(), s.objections.len()),
            (notice_entry.entry.seq, "2025-10-09", 2)
        );
        assert!(
            s.objections
                .iter()
                .any(|o| o.withdrawn && o.outcome == "upheld")
        );
        let public_key = srv.state.key.public();
        let audit = fairpanel::audit::run(&srv.state.store, &public_key, "test.example/log")
            .await
            .unwrap();
        let problems: Vec<String> = audit.problems.iter().map(|p| p.to_string()).collect();
        assert_eq!(problems, Vec::<String>::new(), "{}", db.name);
        // A notice text changed in the database is found.
        let store = &srv.state.store;
        fairpanel::with_pool!(store, p => sqlx::query("UPDATE notices SET text = text || '改' WHERE id = $1")
            .bind(nid).execute(p).await.unwrap().rows_affected());
        let audit = fairpanel::audit::run(store, &public_key, "test.example/log")
            .await
            .unwrap();
        assert!(
            audit
                .problems
                .iter()
                .any(|p| p.to_string().contains("does not hash to its text_sha256")),
            "{}: {:?}",
            db.name,
            audit.problems
        );
    }
}

/// Another province's coordinator gets 404 for every notice route of a
/// round of 440000, under either prefix.
#[tokio::test]
async fn another_provinces_coordinator_cannot_reach_a_notice() {
    for db in backends::all().await {
        let srv = setup(&db.url).await;
        let coord = token_for(&srv, "gd-coord", "coordinator", Some("440000")).await;
        let api = Api {
            srv: &srv,
            token: coord,
        };
        let (rid, _) = sealed_round(&api, "隔离轮", &["M1", "M2"]).await;
        let (st, v) = api
            .post(
                &format!("{BASE}/rounds/{rid}/notice"),
                json!({"columns": ["rank"], "start": "2025-09-26"}),
            )
            .await;
        assert_eq!(st, 201, "{v}");
        let other = Api {
            srv: &srv,
            token: token_for(&srv, "js-coord", "coordinator", Some("320000")).await,
        };
        for prefix in [BASE, "/api/v1/provinces/320000"] {
            for (m, path, body) in [
                ("GET", "notice", None),
                (
                    "POST",
                    "notice/preview",
                    Some(json!({"columns": ["rank"], "start": "2025-09-26"})),
                ),
                (
                    "POST",
                    "notice",
                    Some(json!({"columns": ["rank"], "start": "2025-09-26"})),
                ),
                (
                    "POST",
                    "notice/objections/23-440000-1/handling",
                    Some(json!({"outcome": "rejected", "answer": "x"})),
                ),
                ("GET", "notice/objections/23-440000-1/attachment", None),
                ("POST", "notice/close", Some(json!({}))),
            ] {
                let (st, v) = other
                    .call(m, &format!("{prefix}/rounds/{rid}/{path}"), body)
                    .await;
                assert_eq!(st, 404, "{} {m} {prefix} {path}: {v}", db.name);
            }
        }
    }
}

/// A multipart form body with `fields` and, if given, a file `attachment`.
fn form(fields: &[(&str, &str)], file: Option<&[u8]>) -> Vec<u8> {
    let mut body = Vec::new();
    for (k, v) in fields {
        body.extend_from_slice(
            format!("--BOUND\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n")
                .as_bytes(),
        );
    }
    if let Some(b) = file {
        body.extend_from_slice(b"--BOUND\r\nContent-Disposition: form-data; name=\"attachment\"; filename=\"a.bin\"\r\nContent-Type: application/octet-stream\r\n\r\n");
        body.extend_from_slice(b);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(b"--BOUND--\r\n");
    body
}

/// The public pages: the list of every province's notices, a notice with its
/// text and hash, the objection form sent back with what is wrong (nothing
/// stored) and the receipt page with the reference.
#[tokio::test]
async fn the_public_pages_list_a_notice_take_an_objection_and_give_a_receipt() {
    for db in backends::all().await {
        let srv = setup(&db.url).await;
        let coord = token_for(&srv, "gd-coord", "coordinator", Some("440000")).await;
        let api = Api {
            srv: &srv,
            token: coord,
        };
        let (rid, rec) = sealed_round(&api, "页面轮", &["P1", "P2"]).await;
        let (st, n) = api
            .post(&format!("{BASE}/rounds/{rid}/notice"), json!({"columns": ["rank", "organisation"], "start": "2025-09-26", "require_contact": true}))
            .await;
        assert_eq!(st, 201, "{n}");
        let nid = n["id"].as_i64().unwrap();
        let cookie = "fairpanel_lang=zh";
        let r = request(srv.addr, "GET", "/notices", &[("Cookie", cookie)], None).await;
        assert_eq!(r.status, 200);
        assert!(
            r.body.contains("页面轮") && r.body.contains("公示中"),
            "{}",
            r.body
        );
        let r = request(
            srv.addr,
            "GET",
            &format!("/notices/{nid}"),
            &[("Cookie", cookie)],
            None,
        )
        .await;
        assert_eq!(r.status, 200);
        assert!(
            r.body.contains(n["text_sha256"].as_str().unwrap()),
            "{}",
            r.body
        );
        assert!(r.body.contains("objection-form"), "{}", r.body);
        let post = |body: Vec<u8>| {
            let path = format!("/notices/{nid}");
            let srv = &srv;
            async move {
                let r = super::http::send(
                    srv.addr,
                    "POST",
                    &path,
                    &[
                        ("Cookie", cookie),
                        ("Origin", "http://test"),
                        ("Content-Type", "multipart/form-data; boundary=BOUND"),
                    ],
                    &body,
                    false,
                )
                .await;
                (r.status, String::from_utf8_lossy(&r.body).to_string())
            }
        };
        // The notice requires a name and contact.
        let (st, page) = post(form(&[("project", &rec[0]), ("grounds", "材料不实")], None)).await;
        assert_eq!(st, 400, "{page}");
        assert!(
            page.contains("<a href=\"#name\">") && page.contains("为必填项"),
            "{page}"
        );
        let (st, page) = post(form(
            &[
                ("project", &rec[0]),
                ("grounds", "材料不实"),
                ("name", "李四"),
                ("contact", "li@example.cn"),
            ],
            Some(b"GIF89a..."),
        ))
        .await;
        assert_eq!(st, 400, "{page}");
        assert!(page.contains("附件须为 PDF、PNG 或 JPEG 文件"), "{page}");
        let (_, v) = api.get(&format!("{BASE}/rounds/{rid}/notice")).await;
        assert_eq!(v["objections"], json!([]), "nothing stored: {v}");
        let (st, page) = post(form(
            &[
                ("project", &rec[0]),
                ("grounds", "材料不实"),
                ("name", "李四"),
                ("contact", "li@example.cn"),
            ],
            Some(b"%PDF-1.4\n"),
        ))
        .await;
        assert_eq!(st, 200, "{page}");
        assert!(
            page.contains("23-440000-1") && page.contains("receipt-token"),
            "{page}"
        );
        // The receipt opens with its reference and token, and only with them.
        let at = page.find("id=\"receipt-token\">").unwrap() + 19;
        let token = page[at..at + 32].to_string();
        let lookup = |form: String| {
            let srv = &srv;
            async move {
                let r = super::http::send(
                    srv.addr,
                    "POST",
                    "/notices/receipt",
                    &[
                        ("Cookie", cookie),
                        ("Origin", "http://test"),
                        ("Content-Type", "application/x-www-form-urlencoded"),
                    ],
                    form.as_bytes(),
                    false,
                )
                .await;
                (r.status, String::from_utf8_lossy(&r.body).to_string())
            }
        };
        let (st, page) = lookup(format!("reference=23-440000-1&token={token}")).await;
        assert_eq!(st, 200, "{page}");
        assert!(page.contains("待处理") && !page.contains("李四"), "{page}");
        let (st, page) = lookup("reference=23-440000-1&token=0000".into()).await;
        assert_eq!(st, 400, "{page}");
        assert!(
            page.contains("没有与该受理编号和回执密码相符的异议"),
            "{page}"
        );
    }
}

/// A page request with the session cookie (Chinese); with `form`, a POST of
/// that urlencoded form. Status, headers, body.
async fn web(
    srv: &super::http::Server,
    token: &str,
    path: &str,
    form: Option<&str>,
) -> (u16, String, String) {
    let cookie = format!("fairpanel_session={token}; fairpanel_lang=zh");
    let mut headers = vec![("Cookie", cookie.as_str())];
    if form.is_some() {
        headers.push(("Origin", "http://test"));
        headers.push(("Content-Type", "application/x-www-form-urlencoded"));
    }
    let method = if form.is_some() { "POST" } else { "GET" };
    let r = super::http::send(
        srv.addr,
        method,
        path,
        &headers,
        form.unwrap_or("").as_bytes(),
        false,
    )
    .await;
    (
        r.status,
        r.headers,
        String::from_utf8_lossy(&r.body).into_owned(),
    )
}

/// The value of the first `name="{name}" value="…"` in a page.
fn field(html: &str, name: &str) -> String {
    let at = html
        .find(&format!("name=\"{name}\" value=\""))
        .unwrap_or_else(|| panic!("no {name} in {html}"));
    let rest = &html[at + name.len() + 15..];
    rest[..rest.find('"').unwrap()].to_string()
}

/// Through the coordinator's pages: the round's task list links the notice
/// task; a preview shows the text and the end of the period without
/// publishing; publishing, an objection handled with a written answer, and
/// the close after the period, each from its form.
#[tokio::test]
async fn a_coordinator_publishes_handles_and_closes_a_notice_through_the_pages() {
    for db in backends::all().await {
        let srv = setup(&db.url).await;
        let coord = token_for(&srv, "gd-coord", "coordinator", Some("440000")).await;
        let api = Api {
            srv: &srv,
            token: coord.clone(),
        };
        let (rid, rec) = sealed_round(&api, "页面任务轮", &["Q1", "Q2"]).await;
        let base = format!("/p/440000/rounds/{rid}");
        let (st, _, page) = web(&srv, &coord, &base, None).await;
        assert_eq!(st, 200);
        assert!(
            page.contains(&format!("{base}/notice")),
            "the task list links the notice: {page}"
        );
        let (st, _, page) = web(&srv, &coord, &format!("{base}/notice"), None).await;
        assert_eq!(st, 200, "{page}");
        let csrf = field(&page, "csrf");
        let size = srv.state.store.log_size().await.unwrap();
        // A bad start date: sent back, nothing written.
        let (st, _, page) = web(
            &srv,
            &coord,
            &format!("{base}/notice"),
            Some(&format!(
                "csrf={csrf}&col_rank=1&start=2025-13-01&days=5&how=&action=preview"
            )),
        )
        .await;
        assert_eq!(st, 400, "{page}");
        let (st, _, page) = web(&srv, &coord, &format!("{base}/notice"), Some(&format!("csrf={csrf}&col_rank=1&col_organisation=1&start=2025-09-26&days=5&how=&action=preview"))).await;
        assert_eq!(st, 200, "{page}");
        assert!(
            page.contains("notice-preview") && page.contains("2025-10-09"),
            "{page}"
        );
        assert_eq!(
            srv.state.store.log_size().await.unwrap(),
            size,
            "a preview writes nothing"
        );
        let (st, h, _) = web(&srv, &coord, &format!("{base}/notice"), Some(&format!("csrf={csrf}&col_rank=1&col_organisation=1&start=2025-09-26&days=5&how=&action=publish"))).await;
        assert_eq!(st, 303, "{h}");
        assert_eq!(srv.state.store.log_size().await.unwrap(), size + 1);
        let (_, n) = api.get(&format!("{BASE}/rounds/{rid}/notice")).await;
        let nid = n["id"].as_i64().unwrap();
        let (st, r) = public(
            &srv,
            "POST",
            &format!("/api/v1/public/notices/{nid}/objections"),
            Some(json!({"project": rec[0], "grounds": "业绩数据有误"})),
        )
        .await;
        assert_eq!(st, 201, "{r}");
        let reference = r["reference"].as_str().unwrap().to_string();
        let (_, _, page) = web(&srv, &coord, &format!("{base}/notice"), None).await;
        assert!(
            page.contains(&reference) && page.contains("业绩数据有误"),
            "{page}"
        );
        let (st, _, page) = web(
            &srv,
            &coord,
            &format!("{base}/notice/objections/{reference}"),
            Some(&format!("csrf={csrf}&outcome=rejected&answer=&reason=")),
        )
        .await;
        assert_eq!(st, 400, "an answer is required: {page}");
        let (st, h, _) = web(&srv, &coord, &format!("{base}/notice/objections/{reference}"), Some(&format!("csrf={csrf}&outcome=rejected&answer=%E7%BB%8F%E6%A0%B8%E6%9F%A5%E6%95%B0%E6%8D%AE%E5%B1%9E%E5%AE%9E&reason="))).await;
        assert_eq!(st, 303, "{h}");
        // Too early to close: sent back with the reason.
        let (st, _, page) = web(
            &srv,
            &coord,
            &format!("{base}/notice/close"),
            Some(&format!("csrf={csrf}")),
        )
        .await;
        assert_eq!(st, 400, "{page}");
        assert!(page.contains("2025-10-09"), "{page}");
        let now = srv.state.clock.now();
        srv.state.clock.advance(1_760_025_600 + 60 - now);
        let (st, h, _) = web(
            &srv,
            &coord,
            &format!("{base}/notice/close"),
            Some(&format!("csrf={csrf}")),
        )
        .await;
        assert_eq!(st, 303, "{h}");
        let (_, n) = api.get(&format!("{BASE}/rounds/{rid}/notice")).await;
        assert!(n["close_seq"].is_i64(), "{n}");
        let (_, _, page) = web(&srv, &coord, &base, None).await;
        assert!(
            page.contains("已全部处理"),
            "the notice task is done: {page}"
        );
    }
}

/// The public objection form takes files from anyone: an address sends a few
/// objections freely, then waits (429 with the wait), and what it sends while
/// it must wait is not stored.
#[tokio::test]
async fn one_address_cannot_flood_a_notice_with_objections() {
    for db in backends::all().await {
        let srv = setup(&db.url).await;
        let api = Api {
            srv: &srv,
            token: token_for(&srv, "gd-coord", "coordinator", Some("440000")).await,
        };
        let (rid, rec) = sealed_round(&api, "公示轮", &["N1", "N2"]).await;
        let (st, n) = api
            .post(
                &format!("{BASE}/rounds/{rid}/notice"),
                json!({"columns": ["organisation"], "start": "2025-09-26"}),
            )
            .await;
        assert_eq!(st, 201, "{}: {n}", db.name);
        let obj = format!("/api/v1/public/notices/{}/objections", n["id"]);
        let body = json!({"project": rec[0], "grounds": "材料不实"});
        let free = fairpanel::throttle::FREE_FAILURES as usize;
        for k in 0..free {
            let (st, v) = public(&srv, "POST", &obj, Some(body.clone())).await;
            assert_eq!(st, 201, "{}: objection {k}: {v}", db.name);
        }
        // From then on each waits twice as long as the last (1 s, then 2 s):
        // within two tries one is refused.
        let mut taken = free;
        let refused = loop {
            let r = request(srv.addr, "POST", &obj, &[], Some(&body)).await;
            match r.status {
                201 if taken < free + 1 => taken += 1,
                _ => break r,
            }
        };
        assert_eq!(refused.status, 429, "{}: {}", db.name, refused.body);
        assert!(
            refused
                .body
                .contains("too many objections from this address"),
            "{}",
            refused.body
        );
        assert!(
            refused.headers.to_lowercase().contains("retry-after"),
            "{}",
            refused.headers
        );
        let (_, n) = api.get(&format!("{BASE}/rounds/{rid}/notice")).await;
        assert_eq!(
            n["objections"].as_array().unwrap().len(),
            taken,
            "{}: the refused one is not stored",
            db.name
        );
    }
}
