//! The review report (评审报告) and the filing (备案), issue 14 items 5 and 6:
//! the report's six sections against a round built in the test, the report
//! file checked by `fairpanel verify` (and a changed one rejected), refusals,
//! and another province's wall; on both backends.

use super::draws::{Api, setup};
use super::http::{request, token_for};
use super::report::{open_scoring, round_with, score_and_seal};
use super::*;
use serde_json::{Value, json};

const BASE: &str = "/api/v1/provinces/440000";

/// A sealed round whose panel draw is disclosed: (round id, draw id).
pub(super) async fn sealed_and_disclosed(api: &Api<'_>, refs: &[&str]) -> (i64, String) {
    let rid = round_with(api, "报告轮", refs).await;
    let d = api.revealed_draw(rid, 5, 2).await;
    let (st, v) = open_scoring(api, rid).await;
    assert_eq!(st, 200, "{v}");
    score_and_seal(api, rid, &d).await;
    let (st, v) = api
        .post(&format!("{BASE}/draws/{d}/disclose"), json!({}))
        .await;
    assert_eq!(st, 200, "{v}");
    (rid, d)
}

/// The report file's text as served.
pub(super) async fn report_text(api: &Api<'_>, rid: i64) -> (u16, String) {
    let h = format!("Bearer {}", api.token);
    let r = request(
        api.srv.addr,
        "GET",
        &format!("{BASE}/rounds/{rid}/report.json"),
        &[("Authorization", &h)],
        None,
    )
    .await;
    (r.status, r.body)
}

fn verify_file(text: &str) -> (Option<i32>, String) {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("REPORT.json");
    std::fs::write(&f, text).unwrap();
    let o = fairpanel(&root(), &["verify", f.to_str().unwrap()]);
    (o.status.code(), stdout(&o))
}

/// The six sections follow from the round built here: its applications and
/// their screen, the seated panel with names as disclosed, the procedure from
/// the log (commit, reveal, scoring_open, sheet commits, seal), the rubric and
/// rule, the results exactly as the seal and the results page give them, no
/// notice. The report entry fixes the file's hash; `fairpanel verify` accepts
/// the file and rejects it with one score changed, naming the `report` check.
#[tokio::test]
async fn the_report_follows_from_the_round_and_verify_rejects_a_changed_one() {
    for db in backends::all().await {
        let srv = setup(&db.url).await;
        let coord = token_for(&srv, "gd-coord", "coordinator", Some("440000")).await;
        let api = Api {
            srv: &srv,
            token: coord,
        };
        let rid = round_with(&api, "未封存", &["N1"]).await;
        // Not closed: refused, nothing written.
        let size = srv.state.store.log_size().await.unwrap();
        let (st, v) = api
            .post(&format!("{BASE}/rounds/{rid}/report"), json!({}))
            .await;
        assert_eq!(st, 409, "{v}");
        assert!(
            v["error"]
                .as_str()
                .unwrap()
                .contains("a report is issued once the round is closed"),
            "{v}"
        );
        assert_eq!(srv.state.store.log_size().await.unwrap(), size);
        let (st, _) = report_text(&api, rid).await;
        assert_eq!(st, 404);

        let (rid, draw) = sealed_and_disclosed(&api, &["R1", "R2", "R3"]).await;
        let (st, issued) = api
            .post(&format!("{BASE}/rounds/{rid}/report"), json!({}))
            .await;
        assert_eq!(st, 201, "{}: {issued}", db.name);
        let (st, again) = api
            .post(&format!("{BASE}/rounds/{rid}/report"), json!({}))
            .await;
        assert_eq!(st, 409, "{again}");
        assert!(
            again["error"]
                .as_str()
                .unwrap()
                .contains("was already issued"),
            "{again}"
        );

        // The report entry holds the document's hash.
        let seq = issued["seq"].as_u64().unwrap();
        let e = srv.state.store.entries(seq, seq + 1).await.unwrap();
        let fairpanel_core::entry::Body::Report(rep) =
            fairpanel_core::entry::parse(&e[0].bytes).unwrap().body
        else {
            panic!("entry {seq} is not a report");
        };
        assert_eq!(rep.sha256.to_hex(), issued["sha256"].as_str().unwrap());

        let (st, text) = report_text(&api, rid).await;
        assert_eq!(st, 200, "{text}");
        assert_eq!(
            fairpanel_core::report::document_hash(text.as_bytes()).unwrap(),
            rep.sha256
        );
        let doc: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(doc["format"], "fairpanel-report/v1");
        let s = &doc["sections"];
        // 1: the applications, each passed the screen and scored.
        let apps: Vec<&str> = s["applications"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["reference"].as_str().unwrap())
            .collect();
        assert_eq!(apps, ["R1", "R2", "R3"]);
        assert!(
            s["applications"]
                .as_array()
                .unwrap()
                .iter()
                .all(|a| a["screen"] == "passed" && a["scored"] == true)
        );
        assert_eq!(s["applications"][0]["organisation"], "报告轮单位0");
        // 2: five seated members, named as the disclosure names them.
        let panel = &s["panel"];
        assert_eq!(panel["draw"], draw);
        assert_eq!(panel["members"].as_array().unwrap().len(), 5);
        assert_eq!(
            (&panel["drawn"], &panel["declined"]),
            (&json!(7), &json!(0))
        );
        let (_, summary) = api.get(&format!("{BASE}/draws/{draw}")).await;
        let names: Vec<String> = summary.to_string().split('"').map(str::to_string).collect();
        for m in panel["members"].as_array().unwrap() {
            let n = m["name"].as_str().unwrap();
            assert!(
                !n.is_empty() && names.iter().any(|x| x == n),
                "{n} not in {summary}"
            );
        }
        // 3: the procedure, in log order, from commit to seal and disclosure.
        let kinds: Vec<&str> = s["procedure"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["kind"].as_str().unwrap())
            .collect();
        assert_eq!(kinds.first(), Some(&"commit"));
        for k in [
            "reveal",
            "scoring_open",
            "sheet_commit",
            "seal",
            "disclosure",
        ] {
            assert!(kinds.contains(&k), "{k} missing from {kinds:?}");
        }
        assert_eq!(kinds.iter().filter(|k| **k == "sheet_commit").count(), 15);
        // 4: the method.
        assert_eq!(s["method"]["rule"], "trimmed_mean_v1");
        assert_eq!(s["method"]["quota"], 5);
        // 5: the results as the results page gives them.
        let (_, res) = api.get(&format!("{BASE}/rounds/{rid}/results")).await;
        assert_eq!(s["results"]["recommended"], res["recommended"]);
        let ranked: Vec<(String, u64)> = s["results"]["results"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                (
                    r["application"].as_str().unwrap().to_string(),
                    r["rank"].as_u64().unwrap(),
                )
            })
            .collect();
        let page: Vec<(String, u64)> = res["results"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                (
                    r["aggregate"]["application"].as_str().unwrap().to_string(),
                    r["rank"].as_u64().unwrap(),
                )
            })
            .collect();
        assert_eq!(ranked, page);
        // 6: no notice was published.
        assert_eq!(s["notice"], json!({"detail": null, "published": false}));

        // The CLI accepts the file, and rejects it with a score changed.
        let (code, out) = verify_file(&text);
        assert_eq!(code, Some(0), "{}: {out}", db.name);
        let score = s["results"]["results"][0]["final_score"].as_str().unwrap();
        let changed = text.replacen(
            &format!("\"final_score\": \"{score}\""),
            "\"final_score\": \"99.99\"",
            1,
        );
        assert_ne!(changed, text);
        let (code, out) = verify_file(&changed);
        assert_eq!(code, Some(1), "{out}");
        assert!(
            out.contains("FAILED: first failing check is report: "),
            "{out}"
        );
        assert!(out.contains("the report file was changed"), "{out}");

        // The printable form: A4 print CSS with page numbers, the six
        // sections in order, the signature and seal block, the QR code.
        let h = format!("Bearer {}", api.token);
        let page = request(
            srv.addr,
            "GET",
            &format!("{BASE}/rounds/{rid}/report.html"),
            &[("Authorization", &h)],
            None,
        )
        .await;
        assert_eq!(page.status, 200);
        let html = page.body;
        assert!(
            html.contains("size: A4") && html.contains("counter(page)"),
            "no A4 page numbers"
        );
        let mut at = 0;
        for (_, zh, _) in fairpanel::report_render::SECTIONS {
            let i = html[at..]
                .find(&format!("、{zh}"))
                .unwrap_or_else(|| panic!("{zh} missing or out of order"));
            at += i;
        }
        assert!(html.contains("（盖章）") && html.contains("（签字）"));
        assert!(html.contains("<svg") && html.contains("/public/verify"));
        assert!(html.contains(issued["sha256"].as_str().unwrap()));
        let zh = fairpanel::web::i18n::Tr::new(fairpanel::web::i18n::Lang::Zh);
        for m in panel["members"].as_array().unwrap() {
            assert!(html.contains(m["name"].as_str().unwrap()));
            // Specialties in words, not the roster's codes.
            let code = m["specialty"].as_str().unwrap();
            let label = zh.t(&format!("spec-{code}"));
            assert!(
                html.contains(&format!("<td>{label}</td>"))
                    && !html.contains(&format!("<td>{code}</td>")),
                "{code} as {label}"
            );
        }
        // The workbook: one sheet per section and the attachments; the
        // results sheet ranks as the seal does.
        let x = super::http::send(
            srv.addr,
            "GET",
            &format!("{BASE}/rounds/{rid}/report.xlsx"),
            &[("Authorization", &h)],
            b"",
            false,
        )
        .await;
        assert_eq!(x.status, 200);
        use calamine::Reader;
        let mut book: calamine::Xlsx<_> =
            calamine::Xlsx::new(std::io::Cursor::new(x.body)).unwrap();
        assert_eq!(
            book.sheet_names(),
            [
                "项目申请",
                "评审专家组成",
                "评审程序",
                "评审方法",
                "评审结果",
                "公示情况",
                "附件"
            ]
        );
        let results = book.worksheet_range("评审结果").unwrap();
        assert_eq!(results.get_value((0, 2)).unwrap().to_string(), "最终得分");
        assert_eq!(results.get_value((1, 1)).unwrap().to_string(), ranked[0].0);
        assert_eq!(results.get_value((1, 2)).unwrap().to_string(), score);
        let apps_sheet = book.worksheet_range("项目申请").unwrap();
        assert_eq!(apps_sheet.get_value((3, 0)).unwrap().to_string(), "R3");
        let members = book.worksheet_range("评审专家组成").unwrap();
        assert_eq!(members.height(), 6);
    }
}

/// Another province's coordinator gets 404 for this province's report, and
/// cannot issue it; an expert cannot issue one.
#[tokio::test]
async fn another_province_cannot_reach_the_report() {
    for db in backends::all().await {
        let srv = setup(&db.url).await;
        let coord = token_for(&srv, "gd-coord", "coordinator", Some("440000")).await;
        let api = Api {
            srv: &srv,
            token: coord,
        };
        let (rid, _) = sealed_and_disclosed(&api, &["R1", "R2"]).await;
        let (st, v) = api
            .post(&format!("{BASE}/rounds/{rid}/report"), json!({}))
            .await;
        assert_eq!(st, 201, "{v}");
        let other = Api {
            srv: &srv,
            token: token_for(&srv, "js-coord", "coordinator", Some("320000")).await,
        };
        for path in [
            format!("/api/v1/provinces/320000/rounds/{rid}/report.json"),
            format!("/api/v1/provinces/440000/rounds/{rid}/report.json"),
        ] {
            let (st, _) = other.get(&path).await;
            assert!(st == 404 || st == 403, "{path}: {st}");
        }
        let (st, _) = other
            .post(
                &format!("/api/v1/provinces/320000/rounds/{rid}/report"),
                json!({}),
            )
            .await;
        assert_eq!(st, 404);
        let (st, _) = report_text(&api, rid).await;
        assert_eq!(st, 200, "the 404 is the wall's, not the route's");
    }
}

/// Filing: refused before the report is issued; then the package holds the
/// report in three forms, the round's draw bundle and manifest.json whose
/// SHA-256 of every file matches the ZIP's file, signed by the log's key; the
/// filing entry holds the manifest's hash; the round is reported. Filed on
/// time it is not late; the status lists nothing missing but the notice.
/// Another province gets 404. A second round filed after 31 October is late.
#[tokio::test]
async fn filing_packages_the_round_and_marks_a_late_one() {
    use std::io::Read;
    for db in backends::all().await {
        let srv = setup(&db.url).await;
        let coord = token_for(&srv, "gd-coord", "coordinator", Some("440000")).await;
        let api = Api {
            srv: &srv,
            token: coord,
        };
        let (rid, draw) = sealed_and_disclosed(&api, &["F1", "F2"]).await;
        let size = srv.state.store.log_size().await.unwrap();
        let (st, v) = api
            .post(&format!("{BASE}/rounds/{rid}/filing"), json!({}))
            .await;
        assert_eq!(st, 409, "{v}");
        assert!(
            v["error"]
                .as_str()
                .unwrap()
                .contains("is not issued: issue it before filing"),
            "{v}"
        );
        assert_eq!(
            srv.state.store.log_size().await.unwrap(),
            size,
            "nothing written"
        );
        let (_, status) = api.get(&format!("{BASE}/rounds/{rid}/filing")).await;
        let codes: Vec<&str> = status["missing"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m["code"].as_str().unwrap())
            .collect();
        assert_eq!(codes, ["report", "notice", "filing_date"], "{status}");
        assert_eq!(status["warn"], false, "before 1 October: {status}");
        // A round becomes reported only by filing.
        let (st, v) = api
            .post(
                &format!("{BASE}/rounds/{rid}/advance"),
                json!({"to": "reported"}),
            )
            .await;
        assert_eq!(st, 409, "{v}");
        assert!(
            v["error"].as_str().unwrap().contains("when it is filed"),
            "{v}"
        );

        let (st, v) = api
            .post(&format!("{BASE}/rounds/{rid}/report"), json!({}))
            .await;
        assert_eq!(st, 201, "{v}");
        let (st, filed) = api
            .post(&format!("{BASE}/rounds/{rid}/filing"), json!({}))
            .await;
        assert_eq!(st, 201, "{}: {filed}", db.name);
        assert_eq!(filed["late"], false);
        let (_, round) = api.get(&format!("{BASE}/rounds/{rid}")).await;
        assert_eq!(round["state"], "reported");
        let (st, again) = api
            .post(&format!("{BASE}/rounds/{rid}/filing"), json!({}))
            .await;
        assert_eq!(st, 409, "{again}");

        let h = format!("Bearer {}", api.token);
        let z = super::http::send(
            srv.addr,
            "GET",
            &format!("{BASE}/rounds/{rid}/filing.zip"),
            &[("Authorization", &h)],
            b"",
            false,
        )
        .await;
        assert_eq!(z.status, 200);
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(z.body)).unwrap();
        let mut files = std::collections::BTreeMap::new();
        for i in 0..zip.len() {
            let mut f = zip.by_index(i).unwrap();
            let mut b = Vec::new();
            f.read_to_end(&mut b).unwrap();
            files.insert(f.name().unwrap().to_string(), b);
        }
        for name in [
            "report/report.json",
            "report/report.html",
            "report/report.xlsx",
            "manifest.json",
            "manifest.sig",
            &format!("bundles/{draw}.json"),
        ] {
            assert!(
                files.contains_key(name),
                "{name} missing: {:?}",
                files.keys()
            );
        }
        let manifest_bytes = &files["manifest.json"];
        let manifest: Value = serde_json::from_slice(manifest_bytes).unwrap();
        let listed = manifest["files"].as_array().unwrap();
        assert_eq!(
            listed.len(),
            files.len() - 2,
            "every file but the manifest and its signature"
        );
        for f in listed {
            let b = &files[f["path"].as_str().unwrap()];
            assert_eq!(
                f["sha256"].as_str().unwrap(),
                fairpanel_core::hash::sha256(b).to_hex(),
                "{f}"
            );
        }
        // The signature is the log key's over the manifest's exact bytes.
        let sig = String::from_utf8(files["manifest.sig"].clone()).unwrap();
        use base64::Engine;
        let sig = base64::engine::general_purpose::STANDARD
            .decode(sig.trim())
            .unwrap();
        srv.state.key.public().verify(manifest_bytes, &sig).unwrap();
        // The filing entry holds the manifest's hash.
        let seq = filed["seq"].as_u64().unwrap();
        let e = srv.state.store.entries(seq, seq + 1).await.unwrap();
        let fairpanel_core::entry::Body::Filing(f) =
            fairpanel_core::entry::parse(&e[0].bytes).unwrap().body
        else {
            panic!("not a filing entry");
        };
        assert_eq!(f.manifest, fairpanel_core::hash::sha256(manifest_bytes));
        assert!(!f.late);
        // The bundle and the report in the package verify.
        let dir = tempfile::tempdir().unwrap();
        for name in [
            "report/report.json".to_string(),
            format!("bundles/{draw}.json"),
        ] {
            let p = dir.path().join("x.json");
            std::fs::write(&p, &files[&name]).unwrap();
            let o = fairpanel(&root(), &["verify", p.to_str().unwrap()]);
            assert_eq!(o.status.code(), Some(0), "{name}: {}", stdout(&o));
        }
        let (_, status) = api.get(&format!("{BASE}/rounds/{rid}/filing")).await;
        assert!(status["missing"].as_array().unwrap().is_empty(), "{status}");
        assert_eq!(status["filing"]["seq"], filed["seq"]);

        // Another province: 404.
        let other = Api {
            srv: &srv,
            token: token_for(&srv, "js-coord", "coordinator", Some("320000")).await,
        };
        for path in ["filing", "filing.zip"] {
            let (st, _) = other
                .get(&format!("/api/v1/provinces/320000/rounds/{rid}/{path}"))
                .await;
            assert_eq!(st, 404, "{path}");
        }

        // A second round, filed after 31 October: late, and warned of from 1 October.
        let (r2, _) = sealed_and_disclosed(&api, &["G1"]).await;
        let (st, v) = api
            .post(&format!("{BASE}/rounds/{r2}/report"), json!({}))
            .await;
        assert_eq!(st, 201, "{v}");
        // 2026-10-01 00:00 Beijing time: the warning, not yet late.
        let now = srv.state.clock.now();
        srv.state.clock.advance(1_790_784_000 - now);
        let (_, status) = api.get(&format!("{BASE}/rounds/{r2}/filing")).await;
        assert_eq!(
            (&status["warn"], &status["late_now"]),
            (&json!(true), &json!(false)),
            "{status}"
        );
        // The round page warns, with what is missing, and offers to file.
        let cookie = format!("fairpanel_session={}", api.token);
        let page = request(
            srv.addr,
            "GET",
            &format!("/p/440000/rounds/{r2}"),
            &[("Cookie", &cookie), ("Accept-Language", "en")],
            None,
        )
        .await;
        assert_eq!(page.status, 200, "{}", page.body);
        assert!(
            page.body.contains("Filing is due by 31 October"),
            "{}",
            page.body
        );
        assert!(page.body.contains("The public notice has not closed"));
        assert!(
            page.body
                .contains(&format!("/p/440000/rounds/{r2}/report.html"))
        );
        assert!(
            page.body
                .contains(&format!("action=\"/p/440000/rounds/{r2}/filing\""))
        );
        // 2026-11-01 00:00 Beijing time.
        srv.state.clock.advance(1_793_462_400 - 1_790_784_000);
        let (st, late) = api
            .post(&format!("{BASE}/rounds/{r2}/filing"), json!({}))
            .await;
        assert_eq!(st, 201, "{late}");
        assert_eq!(late["late"], true);
    }
}

/// The audit checks the reports and filings rows against their entries: clean
/// after a report and a filing; a changed sha256, late flag or package is
/// named by table and round.
#[tokio::test]
async fn audit_checks_reports_and_filings() {
    for db in backends::all().await {
        let srv = setup(&db.url).await;
        let coord = token_for(&srv, "gd-coord", "coordinator", Some("440000")).await;
        let api = Api {
            srv: &srv,
            token: coord,
        };
        let (rid, _) = sealed_and_disclosed(&api, &["A1", "A2"]).await;
        let (st, v) = api
            .post(&format!("{BASE}/rounds/{rid}/report"), json!({}))
            .await;
        assert_eq!(st, 201, "{v}");
        let (st, v) = api
            .post(&format!("{BASE}/rounds/{rid}/filing"), json!({}))
            .await;
        assert_eq!(st, 201, "{v}");
        let store = &srv.state.store;
        let audit = || async {
            fairpanel::audit::run(store, &srv.state.key.public(), &srv.state.origin)
                .await
                .unwrap()
                .problems
                .iter()
                .map(|p| p.to_string())
                .collect::<Vec<String>>()
        };
        assert_eq!(audit().await, Vec::<String>::new(), "{}", db.name);
        for (set, finding) in [
            // The first byte changed whatever it was (a digest starting
            // with 00 made a fixed "00" a no-op, one run in 256).
            (
                "UPDATE reports SET sha256 = CASE WHEN substr(sha256, 1, 2) = '00' THEN 'ff' ELSE '00' END || substr(sha256, 3)",
                "reports round",
            ),
            ("UPDATE filings SET late = 1", "filings round"),
        ] {
            let (sha,): (String,) = fairpanel::with_pool!(store, p => sqlx::query_as("SELECT sha256 FROM reports").fetch_one(p).await.unwrap());
            fairpanel::with_pool!(store, p => sqlx::query(sqlx::AssertSqlSafe(set.to_string())).execute(p).await.map(|_| ()).unwrap());
            let found = audit().await;
            assert!(
                found.iter().any(|f| f.contains(finding)),
                "{set}: {found:?}"
            );
            fairpanel::with_pool!(store, p => sqlx::query("UPDATE reports SET sha256 = $1").bind(sha).execute(p).await.map(|_| ()).unwrap());
            fairpanel::with_pool!(store, p => sqlx::query("UPDATE filings SET late = 0").execute(p).await.map(|_| ()).unwrap());
            assert_eq!(audit().await, Vec::<String>::new(), "put back");
        }
    }
}
