//! Materials and the pledge through the HTTP API on both backends: uploads
//! checked by content and size, fixed by hash when scoring opens, served only
//! to the round's staff and panel and only while their bytes are the fixed
//! ones; the pledge before the first sheet, a declared conflict a recusal.

use super::http::{send, token_for};
use super::scoring::Scoring;
use super::*;
use fairpanel_core::entry::{Body, ScoringOpen};
use fairpanel_core::hash::{sha256, tag, tagged};
use serde_json::{Value, json};

const PDF: &[u8] = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n";
const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0";

fn xlsx() -> Vec<u8> {
    let mut book = rust_xlsxwriter::Workbook::new();
    book.add_worksheet().write(0, 0, "培训人数").unwrap();
    book.save_to_buffer().unwrap()
}

/// Posts `bytes` as a material of `app` named `name`; status, headers, body.
async fn upload(s: &Scoring, token: &str, app: &str, name: &str, bytes: &[u8]) -> (u16, Value) {
    let auth = format!("Bearer {token}");
    let r = send(
        s.srv.addr,
        "POST",
        &s.url(&format!("applications/{app}/materials?name={name}")),
        &[
            ("Authorization", &auth),
            ("Content-Type", "application/octet-stream"),
        ],
        bytes,
        true,
    )
    .await;
    let v = serde_json::from_slice(&r.body).unwrap_or(Value::Null);
    (r.status, v)
}

/// GETs a material as `token`: status, headers, body.
async fn fetch(s: &Scoring, token: &str, app: &str, sha: &str) -> (u16, String, Vec<u8>) {
    let auth = format!("Bearer {token}");
    let r = send(
        s.srv.addr,
        "GET",
        &s.url(&format!("applications/{app}/materials/{sha}")),
        &[("Authorization", &auth)],
        b"",
        false,
    )
    .await;
    (r.status, r.headers.to_ascii_lowercase(), r.body)
}

/// The log's entries, parsed.
async fn log(s: &Scoring) -> Vec<fairpanel_core::entry::Parsed> {
    let n = s.srv.state.store.log_size().await.unwrap();
    s.srv
        .state
        .store
        .entries(0, n)
        .await
        .unwrap()
        .iter()
        .map(|e| fairpanel_core::entry::parse(&e.bytes).unwrap())
        .collect()
}

fn scoring_open(log: &[fairpanel_core::entry::Parsed]) -> ScoringOpen {
    log.iter()
        .find_map(|p| match &p.body {
            Body::ScoringOpen(o) => Some(o.clone()),
            _ => None,
        })
        .expect("a scoring_open entry")
}

#[tokio::test]
async fn materials_are_checked_fixed_when_scoring_opens_and_served_only_to_the_panel() {
    for db in backends::all().await {
        let s = Scoring::drawn(&db).await;
        let coord = s.coord.clone();
        // Wrong type: refused, naming what it is and what is accepted.
        let (st, v) = upload(&s, &coord, "A1", "photo.pdf", b"GIF89a\x01\0\x01\0").await;
        assert_eq!(st, 400, "{}: {v}", db.name);
        let e = v["error"].as_str().unwrap();
        assert!(
            e.contains("a GIF image") && e.contains("PDF, PNG, JPEG or XLSX"),
            "{e}"
        );
        let mut docx = Vec::new();
        {
            let mut z = zip::ZipWriter::new(std::io::Cursor::new(&mut docx));
            let o = zip::write::SimpleFileOptions::default();
            z.start_file("[Content_Types].xml", o).unwrap();
            z.start_file("word/document.xml", o).unwrap();
            z.finish().unwrap();
        }
        let (st, v) = upload(&s, &coord, "A1", "x.xlsx", &docx).await;
        assert_eq!(st, 400, "{v}");
        assert!(
            v["error"].as_str().unwrap().contains("Word document"),
            "{v}"
        );
        // Over 20 MiB: refused.
        let mut big = PDF.to_vec();
        big.resize(20 * 1024 * 1024 + 1, b' ');
        let (st, v) = upload(&s, &coord, "A1", "big.pdf", &big).await;
        assert_eq!(st, 413, "{}: {v}", db.name);
        // No such application.
        let (st, _) = upload(&s, &coord, "A9", "a.pdf", PDF).await;
        assert_eq!(st, 404);
        // An expert may not upload.
        let (st, _) = upload(&s, &s.experts[0], "A1", "a.pdf", PDF).await;
        assert_eq!(st, 403);
        // Accepted: PDF (its path dropped from the name), XLSX, PNG.
        let (st, pdf) = upload(
            &s,
            &coord,
            "A1",
            "..%2F..%2F%E7%94%B3%E6%8A%A5%E8%A1%A8.pdf",
            PDF,
        )
        .await;
        assert_eq!(st, 201, "{}: {pdf}", db.name);
        assert_eq!(pdf["name"], "申报表.pdf");
        assert_eq!(pdf["media_type"], "application/pdf");
        assert_eq!(pdf["sha256"], sha256(PDF).to_hex());
        let book = xlsx();
        let (st, x) = upload(&s, &coord, "A1", "figures.xlsx", &book).await;
        assert_eq!(st, 201, "{x}");
        let (st, png) = upload(&s, &coord, "A2", "site.png", PNG).await;
        assert_eq!(st, 201, "{png}");
        assert_eq!(png["media_type"], "image/png");
        let (st, list) = s.coord().get(&s.url("materials")).await;
        assert_eq!(st, 200);
        assert_eq!(list.as_array().unwrap().len(), 3, "{list}");

        // Scoring opens: every material is fixed in scoring_open, sorted.
        let (st, v) = s
            .coord()
            .post(&s.url("advance"), json!({"to": "scoring"}))
            .await;
        assert_eq!(st, 200, "{v}");
        let open = scoring_open(&log(&s).await);
        let mut want = vec![
            ("A1".to_string(), sha256(PDF)),
            ("A1".to_string(), sha256(&book)),
            ("A2".to_string(), sha256(PNG)),
        ];
        want.sort();
        let got: Vec<(String, fairpanel_core::Hash32)> = open
            .materials
            .iter()
            .map(|m| (m.application.clone(), m.sha256))
            .collect();
        assert_eq!(got, want);
        // After that, uploads and removals are refused.
        let (st, v) = upload(&s, &coord, "A2", "late.pdf", PDF).await;
        assert_eq!(st, 409, "{v}");
        assert!(
            v["error"]
                .as_str()
                .unwrap()
                .contains("fixed when scoring opened"),
            "{v}"
        );
        let (st, _) = s
            .coord()
            .call(
                "DELETE",
                &s.url(&format!(
                    "applications/A2/materials/{}",
                    png["sha256"].as_str().unwrap()
                )),
                None,
            )
            .await;
        assert_eq!(st, 409);

        // A panel expert reads them, with the checked type.
        let sha = pdf["sha256"].as_str().unwrap();
        let (st, h, body) = fetch(&s, &s.experts[0], "A1", sha).await;
        assert_eq!(st, 200, "{h}");
        assert_eq!(body, PDF);
        assert!(h.contains("content-type: application/pdf"), "{h}");
        assert!(h.contains("content-disposition: inline"), "{h}");
        assert!(h.contains("x-content-type-options: nosniff"), "{h}");
        let (st, h, body) = fetch(&s, &s.experts[1], "A1", x["sha256"].as_str().unwrap()).await;
        assert_eq!(st, 200);
        assert_eq!(body, book);
        assert!(h.contains("content-disposition: attachment"), "{h}");
        let (st, h, _) = fetch(&s, &coord, "A2", png["sha256"].as_str().unwrap()).await;
        assert_eq!(st, 200);
        assert!(h.contains("content-type: image/png"), "{h}");
        // An expert off the panel, and anyone of another province, does not.
        let (st, _, body) = fetch(&s, &s.outsider, "A1", sha).await;
        assert_eq!(st, 404);
        assert!(!body.windows(4).any(|w| w == b"%PDF"));
        let (st, _) = s.outsider().get(&s.url("materials")).await;
        assert_eq!(st, 404);
        for role in ["expert", "coordinator", "supervisor"] {
            let other = token_for(&s.srv, &format!("bj-{role}"), role, Some("110000")).await;
            let (st, _, _) = fetch(&s, &other, "A1", sha).await;
            assert_eq!(st, 404, "{role} of another province");
        }

        // The file is swapped in the database: detected by its hash, not served.
        let forged = b"%PDF-1.7\n(a different file)\n%%EOF\n".to_vec();
        let n = fairpanel::with_pool!(&s.srv.state.store, p => sqlx::query(
            "UPDATE material_blobs SET bytes = $1 WHERE sha256 = $2")
            .bind(forged.clone())
            .bind(sha.to_string())
            .execute(p)
            .await
            .unwrap()
            .rows_affected());
        assert_eq!(n, 1);
        let (st, _, body) = fetch(&s, &s.experts[0], "A1", sha).await;
        assert_eq!(st, 409, "{}", db.name);
        let v: Value = serde_json::from_slice(&body).unwrap();
        let e = v["error"].as_str().unwrap();
        assert!(
            e.contains("not served") && e.contains(&sha256(&forged).to_hex()),
            "{e}"
        );
        assert!(!body.windows(5).any(|w| w == b"%PDF-"));
        // A row re-keyed to the forged file's own hash is not one scoring_open fixed.
        let fsha = sha256(&forged).to_hex();
        fairpanel::with_pool!(&s.srv.state.store, p => {
            sqlx::query("INSERT INTO material_blobs (sha256, bytes) VALUES ($1, $2)")
                .bind(fsha.clone()).bind(forged.clone()).execute(p).await.unwrap();
            sqlx::query("UPDATE materials SET sha256 = $1 WHERE sha256 = $2")
                .bind(fsha.clone()).bind(sha.to_string()).execute(p).await.unwrap();
        });
        let (st, _, body) = fetch(&s, &s.experts[0], "A1", &fsha).await;
        assert_eq!(st, 409);
        assert!(
            String::from_utf8_lossy(&body).contains("not among the materials"),
            "{}",
            String::from_utf8_lossy(&body)
        );
    }
}

#[tokio::test]
async fn the_pledge_comes_before_the_first_sheet_and_a_declared_conflict_is_a_recusal() {
    for db in backends::all().await {
        let s = Scoring::drawn(&db).await;
        let text = "本人承诺保密，且与本轮申报单位无利害关系。I keep this confidential.";
        let (st, v) = s
            .coord()
            .call("PUT", &s.url("pledge"), Some(json!({"text": text})))
            .await;
        assert_eq!(st, 200, "{v}");
        let (st, _) = s
            .expert(0)
            .call("PUT", &s.url("pledge"), Some(json!({"text": "x"})))
            .await;
        assert_eq!(st, 403, "an expert does not set the text");
        let (st, v) = s
            .coord()
            .post(&s.url("advance"), json!({"to": "scoring"}))
            .await;
        assert_eq!(st, 200, "{v}");
        let (st, v) = s
            .coord()
            .call("PUT", &s.url("pledge"), Some(json!({"text": "另一文本"})))
            .await;
        assert_eq!(st, 409, "{v}");

        let me = s.expert(0);
        let (st, p) = me.get(&s.url("pledge")).await;
        assert_eq!(st, 200, "{p}");
        assert_eq!(p["text"], text);
        assert_eq!(p["required"], true);
        assert_eq!(p["pledged"], false);
        let hash = tagged(tag::PLEDGE, &[text.as_bytes()]);
        assert_eq!(p["hash"], hash.to_hex());
        assert_eq!(scoring_open(&log(&s).await).pledge, Some(hash));

        // Before the pledge: no draft, no submission.
        let sheet = fairpanel::scores::sample_sheet(&s.rubric, "A1", 0);
        let body = serde_json::to_value(&sheet).unwrap();
        let (st, v) = me
            .call("PUT", &s.url("sheets/A1"), Some(body.clone()))
            .await;
        assert_eq!(st, 409, "{}: {v}", db.name);
        assert!(v["error"].as_str().unwrap().contains("pledge"), "{v}");
        let (st, v) = s.submit(0, "A1", &sheet).await;
        assert_eq!(st, 409, "{v}");
        assert!(v["error"].as_str().unwrap().contains("pledge"), "{v}");

        // A confirmation of another text, a conflict without a reason, and an
        // expert off the panel are refused, and change nothing.
        let (st, _) = me
            .post(&s.url("pledge"), json!({"hash": sha256(b"x").to_hex()}))
            .await;
        assert_eq!(st, 409);
        let (st, v) = me
            .post(
                &s.url("pledge"),
                json!({"hash": p["hash"], "conflicts": [{"application": "A2", "reason": " "}]}),
            )
            .await;
        assert_eq!(st, 400, "{v}");
        let (st, _) = s
            .outsider()
            .post(&s.url("pledge"), json!({"hash": p["hash"]}))
            .await;
        assert_eq!(st, 404);
        let before = s.srv.state.store.log_size().await.unwrap();

        // The pledge, declaring a conflict with A2: a pledge and a recusal.
        let (st, v) = me
            .post(
                &s.url("pledge"),
                json!({"hash": p["hash"], "conflicts": [{"application": "A2", "reason": "曾在该单位任职"}]}),
            )
            .await;
        assert_eq!(st, 200, "{}: {v}", db.name);
        let entries = log(&s).await;
        assert_eq!(entries.len() as u64, before + 2);
        let (Body::Pledge(pl), Body::Recusal(rc)) = (
            &entries[before as usize].body,
            &entries[before as usize + 1].body,
        ) else {
            panic!("a pledge and a recusal: {:?}", &entries[before as usize..]);
        };
        assert_eq!(pl.text, hash);
        assert_eq!((rc.application.as_str(), rc.scorer), ("A2", pl.scorer));
        let (_, mine) = me.get(&s.url("sheets/mine")).await;
        let a2 = mine
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x["application"] == "A2")
            .unwrap();
        assert_eq!(a2["state"], "recused", "{mine}");
        let (_, p) = me.get(&s.url("pledge")).await;
        assert_eq!(p["pledged"], true);
        // Once only.
        let (st, _) = me.post(&s.url("pledge"), json!({"hash": p["hash"]})).await;
        assert_eq!(st, 409);

        // After it: drafts and submissions are taken.
        let (st, v) = me.call("PUT", &s.url("sheets/A1"), Some(body)).await;
        assert_eq!(st, 200, "{v}");
        let (st, v) = s.submit(0, "A1", &sheet).await;
        assert_eq!(st, 200, "{v}");
        // Another member is still refused until they pledge.
        let (st, _) = s.submit(1, "A1", &sheet).await;
        assert_eq!(st, 409);
    }
}

/// A page request with the session cookie (and, for a form, our own origin);
/// status, headers, body.
async fn web(s: &Scoring, token: &str, path: &str, form: Option<&str>) -> (u16, String, String) {
    let cookie = format!("fairpanel_session={token}; fairpanel_lang=en");
    let mut headers = vec![("Cookie", cookie.as_str())];
    if form.is_some() {
        headers.push(("Origin", "http://test"));
        headers.push(("Content-Type", "application/x-www-form-urlencoded"));
    }
    let method = if form.is_some() { "POST" } else { "GET" };
    let r = send(
        s.srv.addr,
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

#[tokio::test]
async fn the_sheets_page_asks_for_the_pledge_first_and_the_sheet_page_lists_the_materials() {
    for db in backends::all().await {
        let s = Scoring::drawn(&db).await;
        // The accounts' one-time passwords count as changed (pages would ask first).
        fairpanel::with_pool!(&s.srv.state.store, p => sqlx::query(
            "UPDATE accounts SET must_change_password = FALSE")
            .execute(p)
            .await
            .unwrap()
            .rows_affected());
        let (st, pdf) = upload(&s, &s.coord, "A1", "%E7%94%B3%E6%8A%A5%E8%A1%A8.pdf", PDF).await;
        assert_eq!(st, 201, "{pdf}");
        let base = format!("/p/440000/rounds/{}", s.rid);
        let (st, h, page) = web(&s, &s.coord, &format!("{base}/materials"), None).await;
        assert_eq!(st, 200, "{h}");
        assert!(
            page.contains("申报表.pdf") && page.contains("id=\"material-form\""),
            "{page}"
        );
        // The page's upload form: a GIF is refused in the reader's language
        // (Chinese here), a PNG is taken.
        let csrf = field(&page, "csrf");
        for (name, bytes, want) in [("x.gif", &b"GIF89a\x01\0"[..], 400), ("site.png", PNG, 303)] {
            let mut body = Vec::new();
            for (k, v) in [("csrf", csrf.as_str()), ("application", "A2")] {
                body.extend_from_slice(
                    format!(
                        "--BOUND\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n"
                    )
                    .as_bytes(),
                );
            }
            body.extend_from_slice(
                format!("--BOUND\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n").as_bytes(),
            );
            body.extend_from_slice(bytes);
            body.extend_from_slice(b"\r\n--BOUND--\r\n");
            let cookie = format!("fairpanel_session={}; fairpanel_lang=zh", s.coord);
            let r = send(
                s.srv.addr,
                "POST",
                &format!("{base}/materials"),
                &[
                    ("Cookie", cookie.as_str()),
                    ("Origin", "http://test"),
                    ("Content-Type", "multipart/form-data; boundary=BOUND"),
                ],
                &body,
                false,
            )
            .await;
            assert_eq!(r.status, want, "{}: {name}", db.name);
            if want == 400 {
                let page = String::from_utf8_lossy(&r.body);
                assert!(page.contains("x.gif 的内容是 GIF 图片"), "{page}");
            }
        }
        let (_, list) = s.coord().get(&s.url("materials")).await;
        assert_eq!(list.as_array().unwrap().len(), 2, "{list}");
        let (st, v) = s
            .coord()
            .post(&s.url("advance"), json!({"to": "scoring"}))
            .await;
        assert_eq!(st, 200, "{v}");
        let (_, _, page) = web(&s, &s.coord, &format!("{base}/materials"), None).await;
        assert!(
            !page.contains("id=\"material-form\""),
            "no upload once scoring is open"
        );

        let me = &s.experts[0];
        let (st, _, page) = web(&s, me, &format!("{base}/sheets"), None).await;
        assert_eq!(st, 200, "{}: {page}", db.name);
        assert!(
            page.contains("id=\"pledge-form\"") && !page.contains("id=\"sheets\""),
            "{page}"
        );
        assert!(
            page.contains("I pledge to keep"),
            "the default text: {page}"
        );
        // The sheet itself waits for the pledge.
        let (st, h, _) = web(&s, me, &format!("{base}/sheets/A1"), None).await;
        assert_eq!(st, 303, "{h}");
        assert!(h.contains(&format!("location: {base}/sheets")), "{h}");
        let csrf = field(&page, "csrf");
        let hash = field(&page, "hash");
        // Not ticked: sent back, nothing logged.
        let before = s.srv.state.store.log_size().await.unwrap();
        let (st, h, _) = web(
            &s,
            me,
            &format!("{base}/pledge"),
            Some(&format!("csrf={csrf}&hash={hash}&c_A2=")),
        )
        .await;
        assert_eq!(st, 303, "{h}");
        assert!(h.contains("pledge=unconfirmed"), "{h}");
        assert_eq!(s.srv.state.store.log_size().await.unwrap(), before);
        // Ticked, with a conflict with A2: a pledge and a recusal.
        let (st, h, _) = web(
            &s,
            me,
            &format!("{base}/pledge"),
            Some(&format!(
                "csrf={csrf}&hash={hash}&confirm=yes&c_A1=&c_A2=%E6%9B%BE%E4%BB%BB%E8%81%8C"
            )),
        )
        .await;
        assert_eq!(st, 303, "{h}");
        let kinds: Vec<String> = log(&s).await[before as usize..]
            .iter()
            .map(|p| format!("{:?}", p.body.kind()))
            .collect();
        assert_eq!(kinds, ["Pledge", "Recusal"]);
        let (_, _, page) = web(&s, me, &format!("{base}/sheets"), None).await;
        assert!(
            page.contains("id=\"sheets\"") && !page.contains("id=\"pledge-form\""),
            "{page}"
        );
        assert!(page.contains("tag-recused"), "{page}");
        // The sheet page lists the application's materials with their links.
        let (st, _, page) = web(&s, me, &format!("{base}/sheets/A1"), None).await;
        assert_eq!(st, 200);
        let sha = pdf["sha256"].as_str().unwrap();
        assert!(
            page.contains(&format!(
                "/api/v1/provinces/440000/rounds/{}/applications/A1/materials/{sha}",
                s.rid
            )) && page.contains("申报表.pdf"),
            "{page}"
        );
    }
}
