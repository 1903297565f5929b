//! The pages in a real browser: Debian's Chromium driven through chromedriver
//! (WebDriver), against the real service on a loopback port with a fresh
//! database and a manual clock (so deadlines pass without waiting). Without
//! chromedriver the tests say so loudly and stop, except under CI
//! (`CI=true`), where a missing browser fails them.
//!
//! - a whole round, as its people do it: pool and applications imported from
//!   XLSX with a preview, a beacon-less draw voided, a draw on the recorded
//!   drand round, two supervisors' contributions, the reveal, a decline and
//!   its replacement, scoring by seven experts (one abnormal total with its
//!   explanation, one recusal), results, the seal, and the public bundle
//!   checked by `fairpanel verify`;
//! - bad input in both languages, an import with three problems, and every
//!   visible string in the page's own language;
//! - who may reach what (by URL), forged forms, and axe-core on each page kind.

use super::http::{Server, start_with};
use super::*;
use fairpanel::clock::Clock;
use fantoccini::{Client, ClientBuilder, Locator};
use std::process::{Child, Stdio};

const GD: &str = "440000";
/// The password each person sets at the first sign-in.
const NEW_PW: &str = "Correct-Horse-Battery-9";
const ROUND_1000_SIG: &str = super::draws::ROUND_1000_SIG;

fn ci() -> bool {
    std::env::var("CI").is_ok_and(|v| v == "true")
}

/// chromedriver on a port it chose, and a headless Chromium session.
struct Browser {
    c: Client,
    base: String,
    driver: Child,
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

async fn browser(addr: std::net::SocketAddr) -> Option<Browser> {
    let driver_bin = ["/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver"]
        .into_iter()
        .find(|p| std::path::Path::new(p).exists());
    let Some(driver_bin) = driver_bin else {
        if ci() {
            panic!("chromedriver is required under CI (apt-get install chromium chromium-driver)");
        }
        eprintln!(
            "SKIPPED browser test: chromedriver not found; install Debian's chromium and chromium-driver (.ci/run does)"
        );
        return None;
    };
    let mut driver = std::process::Command::new(driver_bin)
        .arg("--port=0")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start chromedriver");
    let stdout = driver.stdout.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        use std::io::BufRead;
        for line in std::io::BufReader::new(stdout)
            .lines()
            .map_while(Result::ok)
        {
            if let Some(p) = line.split("started successfully on port ").nth(1) {
                let _ = tx.send(p.trim_end_matches('.').trim().to_string());
            }
        }
    });
    let port = rx
        .recv_timeout(std::time::Duration::from_secs(30))
        .expect("chromedriver reports its port within 30 s");
    let mut caps = serde_json::Map::new();
    caps.insert(
        "goog:chromeOptions".into(),
        serde_json::json!({
            "binary": "/usr/bin/chromium",
            "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--disable-background-networking", "--disable-component-update", "--disable-sync",
                     "--no-first-run", "--disable-quic", "--lang=zh-CN", "--window-size=1280,900"],
            "prefs": {"intl.accept_languages": "zh-CN,zh"}
        }),
    );
    let c = tokio::time::timeout(
        std::time::Duration::from_secs(60),
        ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
            .capabilities(caps)
            .connect(&format!("http://127.0.0.1:{port}")),
    )
    .await
    .expect("a browser session within 60 s")
    .expect("start a Chromium session");
    Some(Browser {
        c,
        base: format!("http://{addr}"),
        driver,
    })
}

impl Browser {
    async fn go(&self, path: &str) {
        self.c.goto(&format!("{}{path}", self.base)).await.unwrap();
    }

    async fn path(&self) -> String {
        let u = self.c.current_url().await.unwrap();
        match u.query() {
            Some(q) => format!("{}?{q}", u.path()),
            None => u.path().to_string(),
        }
    }

    async fn fill(&self, id: &str, value: &str) {
        let e = self
            .c
            .find(Locator::Id(id))
            .await
            .unwrap_or_else(|e| panic!("#{id}: {e}"));
        e.clear().await.unwrap();
        e.send_keys(value).await.unwrap();
    }

    /// Clicks something that loads a new page, and waits for that page.
    async fn click(&self, css: &str) {
        self.c
            .execute("window.__fpOld = true;", vec![])
            .await
            .unwrap();
        self.tap(css).await;
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
        loop {
            let v = self
                .c
                .execute(
                    "return window.__fpOld === undefined && document.readyState === 'complete';",
                    vec![],
                )
                .await;
            if matches!(v, Ok(serde_json::Value::Bool(true))) {
                return;
            }
            assert!(
                std::time::Instant::now() < deadline,
                "no new page after clicking {css}"
            );
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
    }

    /// Clicks something that stays on the page.
    async fn tap(&self, css: &str) {
        self.c
            .find(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("{css}: {e}"))
            .click()
            .await
            .unwrap();
    }

    async fn text(&self, css: &str) -> String {
        self.c
            .find(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("{css}: {e}"))
            .text()
            .await
            .unwrap()
    }

    /// A screenshot into `$FAIRPANEL_SCREENSHOTS`, when it is set (for a
    /// person to look at; never kept in the repository).
    async fn snap(&self, name: &str) {
        if let Ok(dir) = std::env::var("FAIRPANEL_SCREENSHOTS") {
            let png = self.c.screenshot().await.unwrap();
            std::fs::create_dir_all(&dir).unwrap();
            std::fs::write(std::path::Path::new(&dir).join(format!("{name}.png")), png).unwrap();
        }
    }

    async fn body(&self) -> String {
        self.text("body").await
    }

    async fn count(&self, css: &str) -> usize {
        self.c.find_all(Locator::Css(css)).await.unwrap().len()
    }

    /// Submits the form that holds `css`.
    async fn submit(&self, css: &str) {
        self.click(css).await;
    }

    async fn login(&self, user: &str, password: &str) {
        self.go("/login").await;
        self.fill("username", user).await;
        self.fill("password", password).await;
        self.submit("main form button[type=submit]").await;
    }

    /// The first sign-in with a one-time password: the password page comes
    /// first, and nothing else is reachable until it is changed.
    async fn first_login(&self, user: &str, otp: &str, new: &str) {
        self.login(user, otp).await;
        assert_eq!(
            self.path().await,
            "/password",
            "a one-time password must be changed first"
        );
        self.go(&format!("/p/{GD}")).await;
        assert_eq!(
            self.path().await,
            "/password",
            "nothing else before the change"
        );
        // The sign-in used the one-time password up: no old password is asked.
        assert_eq!(self.count("#old").await, 0);
        self.fill("new", new).await;
        self.fill("again", new).await;
        self.submit("main form button[type=submit]").await;
        assert_ne!(self.path().await, "/password", "{}", self.body().await);
    }

    /// A person opens the activation link their account's maker handed over,
    /// chooses their password, and signs in with it.
    async fn activate(&self, user: &str, link: &str, new: &str) {
        let path = &link[link.find("/activate?code=").expect("an activation link")..];
        self.go(path).await;
        assert_eq!(self.text("#activate-username").await, user);
        self.fill("new", new).await;
        self.fill("again", new).await;
        self.submit("main form button[type=submit]").await;
        assert_eq!(self.count("#activated").await, 1, "{}", self.body().await);
        // The link works once.
        self.go(path).await;
        assert_eq!(self.count("#code-error").await, 1, "{}", self.body().await);
        self.login(user, new).await;
    }

    async fn logout(&self) {
        self.submit("header form button[type=submit]").await;
        assert_eq!(self.path().await, "/");
    }

    /// The confirmation page of an irreversible step: its log entry.
    async fn confirmed(&self) -> u64 {
        let seq: u64 = self.text("#entry-seq").await.parse().unwrap();
        let hash = self.text("#entry-hash").await;
        assert_eq!(hash.len(), 64, "an entry hash: {hash}");
        seq
    }

    async fn set_lang(&self, lang: &str) {
        let back = self.path().await;
        self.go(&format!("/lang/{lang}?back={back}")).await;
    }

    /// The page's problems as axe-core reports them (serious and critical).
    async fn axe(&self) -> Vec<String> {
        let src = axe_source();
        self.c.execute(&src, vec![]).await.unwrap();
        let r = self
            .c
            .execute_async(
                "const done = arguments[arguments.length - 1];
                 axe.run(document, {resultTypes: ['violations']}).then(r => done(
                   r.violations.filter(v => v.impact === 'serious' || v.impact === 'critical')
                    .map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).join(', '))));",
                vec![],
            )
            .await
            .unwrap();
        serde_json::from_value(r).unwrap()
    }
}

/// axe-core from the npm lockfile (`npm ci` in `.ci/run`).
fn axe_source() -> String {
    let p = root().join("node_modules/axe-core/axe.min.js");
    std::fs::read_to_string(&p).unwrap_or_else(|_| {
        panic!(
            "{} is missing: run `npm ci` in the project's root (.ci/run does)",
            p.display()
        )
    })
}

fn axe_available() -> bool {
    let there = root().join("node_modules/axe-core/axe.min.js").exists();
    if !there && ci() {
        panic!("axe-core is required under CI: run `npm ci`");
    }
    if !there {
        eprintln!("SKIPPED accessibility checks: node_modules/axe-core is missing; run `npm ci`");
    }
    there
}

async fn server() -> (Server, super::backends::TestDb) {
    let db = super::backends::sqlite();
    let clock = Clock::manual(fairpanel_core::beacon::round_time(1000) - 600);
    (start_with(&db.url, clock).await, db)
}

/// An account with a known one-time password.
async fn account(s: &Server, user: &str, role: &str, province: Option<&str>) -> String {
    let pw = format!("once-{user}-Aa1!");
    assert!(
        fairpanel::accounts::create(&s.state.store, user, &pw, role, province, 0)
            .await
            .unwrap()
    );
    pw
}

fn pool_file(dir: &std::path::Path) -> std::path::PathBuf {
    let p = dir.join("pool.xlsx");
    let records = fairpanel::demo::synthetic_records(60);
    std::fs::write(&p, fairpanel::roster::export_xlsx(&records)).unwrap();
    p
}

/// A new-base application of `org` with `trainees` a year (2000 or more
/// passes the screen) and `high` of them high-skill.
fn application(
    ref_no: &str,
    org: &str,
    trainees: u32,
    high: u32,
) -> fairpanel::applications::ApplicationRecord {
    serde_json::from_value(serde_json::json!({
        "ref_no": ref_no, "applicant_org": org, "credit_code": null,
        "kind": "base_new", "occupations": ["焊工", "电工", "钳工", "车工", "数控车工"],
        "leader_name": null, "leader_level": null, "craft_exception": null,
        "figures": {"annual_trainees": trainees, "high_skill_trainees": high, "pass_rate_pct": "93.5",
                    "satisfaction_pct": "95", "existing_national_studio": null},
        "no_sanctions": true, "sanctions_evidence": "信用中国报告 XY-0001",
        "notes": null
    }))
    .unwrap()
}

/// Sixty synthetic experts in 广东省's pool, written through the store.
async fn pool_of_60(s: &Server) {
    s.state
        .store
        .write_experts(
            &s.state.key,
            &s.state.origin,
            &GD.try_into().unwrap(),
            &fairpanel::demo::synthetic_records(60),
            fairpanel::store::experts::Must::Either,
            "import",
            s.state.clock.now(),
        )
        .await
        .unwrap()
        .unwrap();
}

fn applications_file(dir: &std::path::Path) -> std::path::PathBuf {
    let p = dir.join("applications.xlsx");
    let orgs = ["广州市高级技工学校", "深圳技师学院"];
    let records: Vec<fairpanel::applications::ApplicationRecord> = orgs
        .iter()
        .enumerate()
        .map(|(k, org)| application(&format!("GD2023-{:03}", k + 1), org, 2600, 1100))
        .collect();
    std::fs::write(&p, fairpanel::applications::export_xlsx(&records)).unwrap();
    p
}

async fn upload(b: &Browser, file: &std::path::Path) {
    let input = b.c.find(Locator::Id("file")).await.unwrap();
    input.send_keys(file.to_str().unwrap()).await.unwrap();
    b.submit("form[enctype] button[type=submit]").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_whole_round_goes_through_the_browser() {
    let (s, _db) = server().await;
    let Some(b) = browser(s.addr).await else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let coord = account(&s, "gd-coord", "coordinator", Some(GD)).await;
    let sup: Vec<String> = vec![
        account(&s, "gd-sup-1", "supervisor", Some(GD)).await,
        account(&s, "gd-sup-2", "supervisor", Some(GD)).await,
    ];

    // The coordinator: first sign-in, the pool from XLSX with a preview.
    b.first_login("gd-coord", &coord, NEW_PW).await;
    assert_eq!(b.path().await, format!("/p/{GD}"));
    b.go(&format!("/p/{GD}/import/experts")).await;
    upload(&b, &pool_file(dir.path())).await;
    assert_eq!(
        b.count("#import-changes tbody tr.change-added").await,
        60,
        "{}",
        b.body().await
    );
    b.snap("01-import-preview").await;
    assert!(
        s.state
            .store
            .list_experts(&GD.try_into().unwrap())
            .await
            .unwrap()
            .is_empty(),
        "a preview changes nothing"
    );
    b.click("#apply-import").await;
    b.confirmed().await;
    assert_eq!(
        s.state
            .store
            .list_experts(&GD.try_into().unwrap())
            .await
            .unwrap()
            .len(),
        60
    );

    // A round, its applications from XLSX.
    b.go(&format!("/p/{GD}")).await;
    b.fill("title", "2023年广东省国家级高技能人才培训基地项目评审")
        .await;
    b.fill("year", "2023").await;
    b.submit("main form button[type=submit]").await;
    let round_path = b.path().await;
    assert!(
        round_path.starts_with(&format!("/p/{GD}/rounds/")),
        "{round_path}"
    );
    assert!(b.body().await.contains("任务"));
    b.snap("02-task-list").await;
    b.go(&format!("{round_path}/applications")).await;
    upload(&b, &applications_file(dir.path())).await;
    assert_eq!(
        b.count("#import-changes tbody tr").await,
        2,
        "{}",
        b.body().await
    );
    b.click("#apply-import").await;
    assert_eq!(b.path().await, format!("{round_path}/applications"));
    assert!(b.body().await.contains("GD2023-002"));

    // A beacon-less draw, checked, committed, then voided with a reason.
    b.go(&format!("{round_path}/draw")).await;
    b.tap("#beacon-none").await;
    b.submit("#draw-form button[type=submit]").await;
    assert!(
        b.body().await.contains("确认抽取规则"),
        "{}",
        b.body().await
    );
    b.click("#commit").await;
    b.confirmed().await;
    b.click("main a.button").await;
    let void_path = b.path().await;
    b.tap("details summary").await;
    b.fill("void-reason", "规则填写有误，重新抽取").await;
    b.submit("form[action$='/void'] button").await;
    b.confirmed().await;
    b.go(&void_path).await;
    assert!(b.body().await.contains("已作废"));

    // The real draw on drand round 1000.
    b.go(&format!("{round_path}/draw")).await;
    b.fill("round", "1000").await;
    b.fill("org_cap", "2").await;
    b.submit("#draw-form button[type=submit]").await;
    assert!(
        b.body().await.contains("drand 第 1000 轮"),
        "{}",
        b.body().await
    );
    b.snap("03-draw-check").await;
    b.click("#commit").await;
    b.confirmed().await;
    b.click("main a.button").await;
    let draw_path = b.path().await;
    assert!(b.body().await.contains("等候随机数"));
    b.snap("04-waiting-room").await;
    b.logout().await;

    // Two supervisors contribute: one types a value, one lets the browser make one.
    for (k, pw) in sup.iter().enumerate() {
        let user = format!("gd-sup-{}", k + 1);
        b.first_login(&user, pw, NEW_PW).await;
        assert_eq!(b.path().await, format!("/p/{GD}/watch"));
        b.go(&draw_path).await;
        if k == 0 {
            // A value too short to be anything: the form says so, beside the field.
            b.fill("value", "abc").await;
            b.submit("#entropy-form button[type=submit]").await;
            assert!(
                b.text(".error-summary")
                    .await
                    .contains("请输入 64 位十六进制数"),
                "{}",
                b.body().await
            );
            assert_eq!(b.count(".has-error #value").await, 1);
            b.fill("value", "今天的天气与抽签结果无关 2023").await;
        } else {
            b.tap("[data-random-into]").await;
            let v =
                b.c.find(Locator::Id("value"))
                    .await
                    .unwrap()
                    .prop("value")
                    .await
                    .unwrap()
                    .unwrap();
            assert_eq!(v.len(), 64, "a browser-made value: {v}");
        }
        b.submit("#entropy-form button[type=submit]").await;
        b.confirmed().await;
        b.go(&draw_path).await;
        assert!(b.body().await.contains("您已提交随机数"));
        assert_eq!(b.count("#contributions li").await, k + 1);
        b.logout().await;
    }

    // The beacon, the reveal.
    s.state.clock.advance(700);
    b.login("gd-coord", NEW_PW).await;
    b.go(&draw_path).await;
    b.fill("json", "drand round one thousand").await;
    b.submit("#beacon-form button").await;
    assert!(
        b.text(".error-summary")
            .await
            .contains("无法读取粘贴的 JSON"),
        "{}",
        b.body().await
    );
    b.go(&draw_path).await;
    b.fill(
        "json",
        &format!(r#"{{"round": 1000, "signature": "{ROUND_1000_SIG}"}}"#),
    )
    .await;
    b.submit("#beacon-form button").await;
    b.confirmed().await;
    b.go(&draw_path).await;
    b.click("#reveal-link").await;
    b.click("#confirm").await;
    b.confirmed().await;
    b.go(&draw_path).await;
    assert_eq!(b.count("#panel tbody tr").await, 7);
    b.snap("05-panel").await;
    // A decline and its replacement by the rule.
    let first = b.text("#panel tbody tr:first-child td.expert-id").await;
    b.fill("decline-reason", "unavailable").await;
    b.submit("#decline-form button").await;
    let seq = b.confirmed().await;
    assert!(b.body().await.contains(&first), "{}", b.body().await);
    assert!(seq > 0);
    b.go(&draw_path).await;
    let mut panel = vec![];
    for e in
        b.c.find_all(Locator::Css("#panel td.expert-id"))
            .await
            .unwrap()
    {
        panel.push(e.text().await.unwrap());
    }
    assert_eq!(panel.len(), 7);
    assert!(
        !panel.contains(&first),
        "the declined member left the panel"
    );

    // Scoring opens; seven expert accounts for the panel.
    b.go(&format!("{round_path}/scoring")).await;
    b.click("#open-scoring").await;
    b.click("#confirm").await;
    b.confirmed().await;
    let mut experts = vec![];
    for (k, e) in panel.iter().enumerate() {
        b.go(&format!("/p/{GD}/accounts")).await;
        let user = format!("gd-expert-{}", k + 1);
        b.fill("username", &user).await;
        b.c.find(Locator::Id("role"))
            .await
            .unwrap()
            .select_by_value("expert")
            .await
            .unwrap();
        b.fill("expert_id", e).await;
        b.submit("main form button[type=submit]").await;
        assert_eq!(b.text("#made-username").await, user, "{}", b.body().await);
        experts.push((user, b.text("#made-link").await));
    }
    b.logout().await;

    // Every expert scores both applications; one abnormal total with its
    // explanation, one recusal; one expert on a phone-sized screen.
    let (round_obj, rubric) = {
        let id: i64 = round_path.rsplit('/').next().unwrap().parse().unwrap();
        let r = s
            .state
            .store
            .round(&GD.try_into().unwrap(), id)
            .await
            .unwrap()
            .unwrap();
        let rubric = s.state.workflow().rubric(&r).await.unwrap().0;
        (r, rubric)
    };
    let apps = ["GD2023-001", "GD2023-002"];
    for (k, (user, link)) in experts.iter().enumerate() {
        b.activate(user, link, NEW_PW).await;
        assert_eq!(b.path().await, format!("/p/{GD}/me"));
        if k == 2 {
            b.c.set_window_size(375, 800).await.unwrap();
        }
        // The pledge first: the sheets page asks for it before any sheet.
        b.go(&format!("/p/{GD}/rounds/{}/sheets", round_obj.id))
            .await;
        b.tap("#confirm").await;
        b.submit("#pledge-form button[type=submit]").await;
        assert_eq!(b.count("#sheets").await, 1, "{}", b.body().await);
        for app in apps {
            b.go(&format!("/p/{GD}/rounds/{}/sheets/{app}", round_obj.id))
                .await;
            if k == 2 {
                let w =
                    b.c.execute("return document.documentElement.scrollWidth", vec![])
                        .await
                        .unwrap();
                assert!(
                    w.as_u64().unwrap() <= 375,
                    "the score sheet fits 375 px: {w}"
                );
            }
            if k == 6 && app == apps[1] {
                b.tap("details.recuse summary").await;
                b.fill("reason", "曾在该申报单位兼职").await;
                b.click("#recuse").await;
                assert!(b.body().await.contains("已回避"), "{}", b.body().await);
                continue;
            }
            let mut sheet = fairpanel::scores::sample_sheet(&rubric, app, k);
            let abnormal = k == 5 && app == apps[0];
            if abnormal {
                for (sc, ind) in sheet.scores.iter_mut().zip(&rubric.indicators) {
                    if !ind.objective {
                        sc.points = rust_decimal::Decimal::ZERO;
                    }
                }
            }
            for sc in &sheet.scores {
                b.fill(&format!("s_{}", sc.code), &sc.points.to_string())
                    .await;
            }
            for g in &rubric.gates {
                b.tap(&format!("#g_{}_yes", g.code)).await;
            }
            b.fill("comment", "材料齐全，条件符合。").await;
            let live = b.text("#live-total").await;
            if k == 2 {
                b.snap(&format!("06-sheet-375-{app}")).await;
            }
            b.click("#check-sheet").await;
            let total = b.text("#check-total").await;
            if k == 0 {
                b.snap("07-sheet-check").await;
            }
            assert_eq!(
                live, total,
                "the live total is the total that will be submitted"
            );
            // Nothing is compared with the other sheets at submission: the
            // abnormal total goes in like any other.
            b.click("#submit-sheet").await;
            b.confirmed().await;
        }
        if k == 2 {
            b.c.set_window_size(1280, 900).await.unwrap();
        }
        b.logout().await;
    }

    // The last sheet locked the round; the member whose A1 total is far
    // from the others' is asked, on their sheets, to explain it.
    b.login(&experts[5].0, NEW_PW).await;
    b.go(&format!("/p/{GD}/rounds/{}/sheets", round_obj.id))
        .await;
    assert!(
        b.body().await.contains("须说明异常分"),
        "{}",
        b.body().await
    );
    b.go(&format!(
        "/p/{GD}/rounds/{}/sheets/{}",
        round_obj.id, apps[0]
    ))
    .await;
    b.click("#explain-submit").await;
    assert_eq!(
        b.count(".has-error #explain-text").await,
        1,
        "{}",
        b.body().await
    );
    b.fill("explain-text", "现场核查发现部分培训记录与申报材料不一致")
        .await;
    b.snap("07b-explain").await;
    b.click("#explain-submit").await;
    b.confirmed().await;
    b.logout().await;

    // Unlocking a locked round needs a reason: the form comes back saying so.
    b.login("gd-coord", NEW_PW).await;
    b.go(&format!("/p/{GD}/watch")).await;
    assert_eq!(
        b.count("#exceptions tr.exception-recuse").await,
        1,
        "the recusal is listed for supervisors: {}",
        b.body().await
    );
    b.go(&format!("{round_path}/scoring")).await;
    assert_eq!(b.count("#locked").await, 1, "{}", b.body().await);
    assert_eq!(
        b.count("form[action$='/reopen']").await,
        0,
        "no reopening while locked"
    );
    b.tap("details summary").await;
    b.submit("#unlock-form button").await;
    assert!(
        b.text(".error-summary").await.contains("请填写理由"),
        "{}",
        b.body().await
    );
    assert_eq!(b.count(".has-error #unlock-reason").await, 1);
    // With a reason the round unlocks (results hidden, listed for the
    // supervisors), and the coordinator locks it again.
    b.fill("unlock-reason", "核对申报材料后重新锁定").await;
    b.submit("#unlock-form button").await;
    assert_eq!(b.count("#lock-form").await, 1, "{}", b.body().await);
    b.go(&format!("/p/{GD}/watch")).await;
    assert_eq!(
        b.count("#exceptions tr.exception-unlock").await,
        1,
        "{}",
        b.body().await
    );
    b.go(&format!("{round_path}/scoring")).await;
    b.click("#lock").await;
    b.confirmed().await;

    // Results, then the seal.
    b.go(&format!("{round_path}/results")).await;
    assert_eq!(b.count("#results tbody tr").await, 2, "{}", b.body().await);
    assert!(
        b.body().await.contains("现场核查发现"),
        "the explanation is shown with the results"
    );
    b.snap("08-results").await;
    b.click("#close-round").await;
    b.click("#confirm").await;
    b.confirmed().await;

    // The public notice (公示): drafted and published from the round's task,
    // an objection through the public form, rejected with an answer, closed
    // after its period.
    s.state
        .store
        .add_calendar_year(
            serde_json::from_value(fairpanel::demo::calendar_2023()).unwrap(),
            None,
            s.state.clock.now(),
        )
        .await
        .unwrap()
        .unwrap();
    b.go(&format!("{round_path}/notice")).await;
    b.c.execute(
        "document.getElementById('start').value = '2023-08-28';",
        vec![],
    )
    .await
    .unwrap();
    b.submit("#notice-draft button[value=publish]").await;
    assert!(
        b.text("#notice-text").await.contains("2023-09-01"),
        "5 working days from Monday 28 August: {}",
        b.body().await
    );
    b.snap("09-notice-published").await;
    b.logout().await;
    b.go("/notices").await;
    b.click("tr[data-status=open] a").await;
    // The first project listed (the choice's first option is "choose").
    b.c.execute(
        "const s = document.getElementById('project'); s.selectedIndex = 1;",
        vec![],
    )
    .await
    .unwrap();
    b.fill("grounds", "该单位申报的培训规模与统计数据不一致。")
        .await;
    b.submit("#objection-form button[type=submit]").await;
    let reference = b.text("#receipt-reference").await;
    assert!(reference.starts_with("23-440000-"), "{}", b.body().await);
    b.snap("10-objection-receipt").await;
    b.login("gd-coord", NEW_PW).await;
    b.go(&format!("{round_path}/notice")).await;
    b.fill(
        &format!("answer-{reference}"),
        "经核查，申报数据与备案台账一致，异议不成立。",
    )
    .await;
    b.submit(&format!(
        "tr[data-objection='{reference}'] form button[type=submit]"
    ))
    .await;
    assert_eq!(
        b.count(&format!("tr[data-objection='{reference}'] form"))
            .await,
        0,
        "handled: {}",
        b.body().await
    );
    // Past Friday 1 September 2023 in Beijing.
    let now = s.state.clock.now();
    s.state.clock.advance(1_693_584_600 - now);
    b.submit("#close-form button").await;
    assert_eq!(b.count("#close-form").await, 0, "{}", b.body().await);

    // The panel disclosed, the review report issued, the round filed.
    b.go(&draw_path).await;
    b.click("form[action$='/disclose'] button").await;
    if b.count("#confirm").await > 0 {
        b.click("#confirm").await;
    }
    b.confirmed().await;
    b.go(&round_path).await;
    b.click("form[action$='/report'] button").await;
    b.confirmed().await;
    b.go(&round_path).await;
    b.click("form[action$='/filing'] button").await;
    b.confirmed().await;
    b.go(&round_path).await;
    assert!(
        b.count("a[href$='/filing.zip']").await == 1,
        "{}",
        b.body().await
    );
    b.snap("11-filed").await;
    // The report as filed verifies against the log, its notice included.
    let cookie =
        b.c.get_named_cookie("fairpanel_session")
            .await
            .unwrap()
            .value()
            .to_string();
    let r = super::http::request(
        s.addr,
        "GET",
        &format!("{round_path}/report.json"),
        &[("Cookie", &format!("fairpanel_session={cookie}"))],
        None,
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let report = dir.path().join("report.json");
    std::fs::write(&report, &r.body).unwrap();
    let key = s.dir.path().join("keys").join(fairpanel::keyfile::PUBLIC);
    let o = fairpanel(
        dir.path(),
        &[
            "verify",
            report.to_str().unwrap(),
            "--key",
            key.to_str().unwrap(),
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
    assert!(
        stdout(&o).contains("objections (0 upheld, 1 rejected, 0 withdrawn) match the log"),
        "{}",
        stdout(&o)
    );

    // A stranger downloads the bundle from the public list and verifies it.
    b.logout().await;
    b.go("/public/draws").await;
    let draw_id = draw_path.rsplit('/').next().unwrap().to_string();
    let href =
        b.c.find(Locator::Css(&format!("a[data-bundle='{draw_id}']")))
            .await
            .unwrap()
            .attr("href")
            .await
            .unwrap()
            .unwrap();
    let (status, body) = super::http::get(s.addr, &href).await;
    assert_eq!(status, 200);
    let file = dir.path().join("bundle.json");
    std::fs::write(&file, body).unwrap();
    let key = s.dir.path().join("keys").join(fairpanel::keyfile::PUBLIC);
    let o = fairpanel(
        dir.path(),
        &[
            "verify",
            file.to_str().unwrap(),
            "--key",
            key.to_str().unwrap(),
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
}

/// Every catalogue message of `ftl` that is plain text (no argument), long
/// enough to be recognised.
fn plain_messages(ftl: &str) -> Vec<String> {
    ftl.lines()
        .filter(|l| l.chars().next().is_some_and(|c| c.is_ascii_lowercase()))
        .filter_map(|l| l.split_once(" = ").map(|(_, v)| v.trim().to_string()))
        .filter(|v| !v.contains('{') && v.chars().count() >= 4)
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forms_explain_bad_input_in_both_languages_and_pages_speak_one_language() {
    let (s, _db) = server().await;
    let Some(b) = browser(s.addr).await else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let coord = account(&s, "gd-coord", "coordinator", Some(GD)).await;
    b.first_login("gd-coord", &coord, NEW_PW).await;
    let zh: Vec<String> = plain_messages(fairpanel::web::i18n::ZH_FTL);
    let en: Vec<String> = plain_messages(fairpanel::web::i18n::EN_FTL);
    let zh_only: Vec<&String> = zh.iter().filter(|v| !en.contains(v)).collect();
    let en_only: Vec<&String> = en.iter().filter(|v| !zh.contains(v)).collect();

    // A round form with two problems, in Chinese, then in English.
    for (lang, year_msg, title_msg) in [
        (
            "zh",
            "请输入 2000 至 2100 之间的年度",
            "名称须为 1 至 200 个字符",
        ),
        (
            "en",
            "Enter a year from 2000 to 2100",
            "The name must be 1 to 200 characters",
        ),
    ] {
        b.go(&format!("/p/{GD}")).await;
        b.set_lang(lang).await;
        b.fill("year", "二〇二三").await;
        b.submit("main form button[type=submit]").await;
        let summary = b.text(".error-summary").await;
        assert!(
            summary.contains(year_msg) && summary.contains(title_msg),
            "{lang}: {summary}"
        );
        assert_eq!(b.count(".error-summary li a").await, 2);
        b.snap(&format!("09-errors-{lang}")).await;
        assert_eq!(
            b.count(".has-error .field-error").await,
            2,
            "each field says its problem too"
        );
    }
    // The draw form's problems (an even panel) and the password form's.
    b.set_lang("zh").await;
    let r = fairpanel::http::rounds::open_round(
        &s.state,
        &GD.try_into().unwrap(),
        2023,
        "base_new",
        "测试轮次",
    )
    .await
    .unwrap();
    b.go(&format!("/p/{GD}/rounds/{}/draw", r.id)).await;
    b.fill("panel", "6").await;
    b.submit("#draw-form button[type=submit]").await;
    assert!(
        b.text(".error-summary")
            .await
            .contains("专家组人数须为奇数"),
        "{}",
        b.body().await
    );
    b.set_lang("en").await;
    b.fill("panel", "6").await;
    b.submit("#draw-form button[type=submit]").await;
    assert!(
        b.text(".error-summary")
            .await
            .contains("The panel size must be odd"),
        "{}",
        b.body().await
    );

    // An import with three problems names each row and column and changes nothing.
    b.set_lang("zh").await;
    let csv = String::from_utf8(fairpanel::roster::export_csv(
        &fairpanel::demo::synthetic_records(4),
    ))
    .unwrap();
    // Row 3: an empty name; row 4: a bad status; row 2: a bad specialty.
    let mut rows: Vec<Vec<String>> = csv
        .lines()
        .map(|l| l.split(',').map(str::to_string).collect())
        .collect();
    let header = rows[0].clone();
    let col = |name: &str| {
        header
            .iter()
            .position(|h| h.contains(name))
            .unwrap_or_else(|| panic!("{name} in {header:?}"))
    };
    let (spec, name, status) = (col("专业"), col("姓名"), col("状态"));
    rows[1][spec] = "火箭科学".into();
    rows[2][name] = String::new();
    rows[3][status] = "退休".into();
    let csv: String = rows
        .iter()
        .map(|r| r.join(","))
        .collect::<Vec<_>>()
        .join("\n")
        + "\n";
    let f = dir.path().join("bad.csv");
    std::fs::write(&f, csv).unwrap();
    b.go(&format!("/p/{GD}/import/experts")).await;
    upload(&b, &f).await;
    assert_eq!(
        b.count("#import-problems tbody tr").await,
        3,
        "{}",
        b.body().await
    );
    let problems = b.text("#import-problems").await;
    for (row, header) in [
        ("2", &header[spec]),
        ("3", &header[name]),
        ("4", &header[status]),
    ] {
        assert!(
            problems
                .lines()
                .any(|l| l.starts_with(row) && l.contains(header.as_str())),
            "row {row}, column {header}: {problems}"
        );
    }
    assert!(b.body().await.contains("没有做任何修改"));
    b.snap("10-import-problems").await;
    assert!(
        s.state
            .store
            .list_experts(&GD.try_into().unwrap())
            .await
            .unwrap()
            .is_empty()
    );

    // Each page in each language holds no message of the other.
    let pages = vec![
        "/".to_string(),
        format!("/p/{GD}"),
        format!("/p/{GD}/rounds/{}", r.id),
        format!("/p/{GD}/rounds/{}/applications", r.id),
        format!("/p/{GD}/rounds/{}/draw", r.id),
        format!("/p/{GD}/rounds/{}/scoring", r.id),
        format!("/p/{GD}/experts"),
        format!("/p/{GD}/import/experts"),
        format!("/p/{GD}/accounts"),
        format!("/p/{GD}/log"),
        "/public/draws".to_string(),
        "/password".to_string(),
    ];
    for (lang, foreign) in [("zh", &en_only), ("en", &zh_only)] {
        for p in &pages {
            b.go(p).await;
            b.set_lang(lang).await;
            let text = b.body().await;
            for m in foreign.iter() {
                assert!(!text.contains(m.as_str()), "{p} in {lang} shows {m:?}");
            }
        }
    }
}

/// The one-field forms (a screen override's reason) send the page back with
/// the summary and the field's message, and a workflow refusal (a reveal
/// before the supervisors' deadline) is a sentence of the reader's language,
/// in Chinese and in English.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_field_forms_and_workflow_refusals_answer_in_both_languages() {
    let (s, _db) = server().await;
    let Some(b) = browser(s.addr).await else {
        return;
    };
    let p: fairpanel_core::types::Province = GD.try_into().unwrap();
    let now = s.state.clock.now();
    pool_of_60(&s).await;
    let r = fairpanel::http::rounds::open_round(&s.state, &p, 2023, "base_new", "测试轮次")
        .await
        .unwrap();
    let small = application("GD2023-009", "某职业培训学校", 40, 10);
    s.state
        .store
        .write_applications(r.id, &[small], false, now)
        .await
        .unwrap()
        .unwrap();
    let req: fairpanel::draws::DrawRequest = serde_json::from_value(serde_json::json!({
        "title": "抽取", "panel": 5, "alternates": 2, "beacon": {"mode": "none"}, "entropy_window": 600
    }))
    .unwrap();
    let d = s.state.workflow().commit(&r, &req).await.unwrap();
    s.state
        .workflow()
        .contribute(&p, &d.id, "gd-sup", fairpanel_core::Hash32([7; 32]))
        .await
        .unwrap();
    let coord = account(&s, "gd-coord", "coordinator", Some(GD)).await;
    b.first_login("gd-coord", &coord, NEW_PW).await;
    for (lang, reason_needed, refusal, foreign) in [
        ("zh", "请填写理由", "请在此之后揭晓", "reveal after that"),
        (
            "en",
            "Enter a reason",
            "reveal after that",
            "请在此之后揭晓",
        ),
    ] {
        b.go(&format!("/p/{GD}/rounds/{}/applications", r.id)).await;
        b.set_lang(lang).await;
        b.submit("form[action$='/override'] button").await;
        assert!(
            b.text(".error-summary").await.contains(reason_needed),
            "{lang}: {}",
            b.body().await
        );
        assert_eq!(
            b.text(".has-error .field-error").await,
            reason_needed,
            "{lang}: the field says it too"
        );
        assert!(
            s.state.workflow().screens(&r).await.unwrap()[0]
                .overridden
                .is_none(),
            "nothing was overridden"
        );

        b.go(&format!("/p/{GD}/draws/{}/reveal", d.id)).await;
        b.click("#confirm").await;
        let text = b.body().await;
        assert!(
            text.contains(refusal) && !text.contains(foreign),
            "{lang}: {text}"
        );
    }
    let draw = s.state.workflow().load(&p, &d.id).await.unwrap();
    assert_eq!(
        draw.state, "committed",
        "the refused reveal changed nothing"
    );

    // With a reason the override is made, and the supervisors' page lists it.
    b.set_lang("zh").await;
    b.go(&format!("/p/{GD}/rounds/{}/applications", r.id)).await;
    b.fill(
        "reason-GD2023-009",
        "该校为省级示范校，培训规模按省厅批复口径计算",
    )
    .await;
    b.submit("form[action$='/override'] button").await;
    b.confirmed().await;
    let sup = account(&s, "gd-sup", "supervisor", Some(GD)).await;
    b.logout().await;
    b.first_login("gd-sup", &sup, NEW_PW).await;
    b.go(&format!("/p/{GD}/watch")).await;
    assert_eq!(b.count("#exceptions tr.exception-override").await, 1);
    assert!(b.text("#exceptions").await.contains("省级示范校"));
}

/// After a bad submission: the error summary, at least one message beside its
/// field (or, for an import, its row), and nothing of the other language.
async fn explains(b: &Browser, what: &str, lang: &str, foreign: &[&String]) {
    let summary = b.text(".error-summary").await;
    assert!(
        !summary.trim().is_empty(),
        "{what} ({lang}): an empty summary"
    );
    let beside =
        b.count(".has-error .field-error").await + b.count("#import-problems tbody tr").await;
    assert!(
        beside >= 1,
        "{what} ({lang}): no message beside a field: {}",
        b.body().await
    );
    // The messages, not the page: a score sheet shows the rubric, which is
    // the province's Chinese document in either language.
    let messages = b
        .c
        .execute(
            "return [...document.querySelectorAll('.error-summary, .field-error')].map(e => e.innerText).join('\\n')",
            vec![],
        )
        .await
        .unwrap();
    let messages = messages.as_str().unwrap();
    for m in foreign {
        assert!(
            !messages.contains(m.as_str()),
            "{what} in {lang} says {m:?}: {messages}"
        );
    }
    let other_script = |c: char| ('\u{4e00}'..='\u{9fff}').contains(&c);
    if lang == "en" {
        assert!(
            !messages.chars().any(other_script),
            "{what} in English says: {messages}"
        );
    } else {
        assert!(
            messages.chars().any(other_script),
            "{what} in Chinese says: {messages}"
        );
    }
}

/// Every form a person fills in, sent with bad input, in Chinese and in
/// English: sign-in, password, accounts, round, draw spec, import, screen
/// override, contribution, beacon, void, decline, reopen, score sheet and
/// recusal each come back with the summary and the field's message.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_form_explains_bad_input_in_both_languages() {
    let (s, _db) = server().await;
    let Some(b) = browser(s.addr).await else {
        return;
    };
    let zh: Vec<String> = plain_messages(fairpanel::web::i18n::ZH_FTL);
    let en: Vec<String> = plain_messages(fairpanel::web::i18n::EN_FTL);
    let zh_only: Vec<&String> = zh.iter().filter(|v| !en.contains(v)).collect();
    let en_only: Vec<&String> = en.iter().filter(|v| !zh.contains(v)).collect();
    let p: fairpanel_core::types::Province = GD.try_into().unwrap();
    let w = s.state.workflow();
    let now = s.state.clock.now();
    pool_of_60(&s).await;
    let request = |beacon: serde_json::Value, window: u64| -> fairpanel::draws::DrawRequest {
        serde_json::from_value(serde_json::json!({
            "title": "抽取", "panel": 5, "alternates": 2, "beacon": beacon, "entropy_window": window
        }))
        .unwrap()
    };
    // Round A: a failing application, a drand draw waiting for its beacon.
    let ra = fairpanel::http::rounds::open_round(&s.state, &p, 2023, "base_new", "A")
        .await
        .unwrap();
    s.state
        .store
        .write_applications(
            ra.id,
            &[
                application("GD2023-A1", "GD2023-A1 职业学校", 2600, 30),
                application("GD2023-A2", "GD2023-A2 职业学校", 100, 30),
            ],
            false,
            now,
        )
        .await
        .unwrap()
        .unwrap();
    let da = w
        .commit(
            &ra,
            &request(serde_json::json!({"mode": "drand", "round": 2000}), 1200),
        )
        .await
        .unwrap();
    // Round B: a revealed draw, scoring open.
    let rb = fairpanel::http::rounds::open_round(&s.state, &p, 2023, "base_new", "B")
        .await
        .unwrap();
    s.state
        .store
        .write_applications(
            rb.id,
            &[application("GD2023-B1", "GD2023-B1 职业学校", 2600, 30)],
            false,
            now,
        )
        .await
        .unwrap()
        .unwrap();
    let db_ = w
        .commit(&rb, &request(serde_json::json!({"mode": "none"}), 0))
        .await
        .unwrap();
    w.contribute(&p, &db_.id, "gd-sup", fairpanel_core::Hash32([9; 32]))
        .await
        .unwrap();
    s.state.clock.advance(1);
    w.reveal(&p, &db_.id).await.unwrap();
    let rb = s.state.store.round(&p, rb.id).await.unwrap().unwrap();
    w.open_scoring(&rb).await.unwrap();
    let loaded = w.load(&p, &db_.id).await.unwrap();
    let member = loaded.expert_of(loaded.panel[0]).to_string();
    // The member has confirmed the pledge, so the sheet page shows the sheet.
    let rb = s.state.store.round(&p, rb.id).await.unwrap().unwrap();
    let pledge = w.pledge_view(&rb, None).await.unwrap().hash;
    w.pledge(&rb, &member, 0, &pledge, &[]).await.unwrap();
    // Round C: open and empty, for the draw spec form.
    let rc = fairpanel::http::rounds::open_round(&s.state, &p, 2023, "base_new", "C")
        .await
        .unwrap();
    let coord = account(&s, "gd-coord", "coordinator", Some(GD)).await;
    let sup = account(&s, "gd-sup", "supervisor", Some(GD)).await;
    let expert_pw = "once-gd-expert-Aa1!".to_string();
    assert!(
        fairpanel::accounts::create_linked(
            &s.state.store,
            "gd-expert",
            &expert_pw,
            "expert",
            Some(GD),
            Some(&member),
            0
        )
        .await
        .unwrap()
    );
    let open_details = "document.querySelectorAll('details').forEach(d => d.open = true)";

    for (k, (lang, foreign)) in [("zh", &en_only), ("en", &zh_only)].into_iter().enumerate() {
        // Signed out: the sign-in form.
        b.go("/login").await;
        b.set_lang(lang).await;
        b.submit("main form button[type=submit]").await;
        explains(&b, "sign-in", lang, foreign).await;

        // The coordinator's forms.
        if k == 0 {
            b.first_login("gd-coord", &coord, NEW_PW).await;
        } else {
            b.login("gd-coord", NEW_PW).await;
        }
        b.go("/password").await;
        b.fill("old", "not the password at all").await;
        b.fill("new", NEW_PW).await;
        b.fill("again", NEW_PW).await;
        b.submit("main form button[type=submit]").await;
        explains(&b, "password", lang, foreign).await;
        b.go(&format!("/p/{GD}/accounts")).await;
        b.submit("main form button[type=submit]").await;
        explains(&b, "accounts", lang, foreign).await;
        b.go(&format!("/p/{GD}")).await;
        b.fill("year", "1900").await;
        b.submit("main form button[type=submit]").await;
        explains(&b, "round", lang, foreign).await;
        // A round's dates: a meeting outside the round's year (set as a date
        // input's value, which is ISO whatever the browser's locale).
        b.go(&format!("/p/{GD}/rounds/{}", rc.id)).await;
        b.c.execute(
            "document.getElementById('meeting').value = '2022-06-01'",
            vec![],
        )
        .await
        .unwrap();
        b.submit("form[action$='/dates'] button[type=submit]").await;
        explains(&b, "dates", lang, foreign).await;
        b.go(&format!("/p/{GD}/rounds/{}/draw", rc.id)).await;
        b.fill("panel", "4").await;
        b.submit("#draw-form button[type=submit]").await;
        explains(&b, "draw spec", lang, foreign).await;
        b.go(&format!("/p/{GD}/import/experts")).await;
        b.submit("form[action$='/import/experts'] button[type=submit]")
            .await;
        explains(&b, "import without a file", lang, foreign).await;
        b.go(&format!("/p/{GD}/rounds/{}/applications", ra.id))
            .await;
        b.submit("form[action$='/override'] button").await;
        explains(&b, "screen override", lang, foreign).await;
        b.go(&format!("/p/{GD}/draws/{}", da.id)).await;
        b.fill("json", "{\"round\": 2000}").await;
        b.submit("#beacon-form button").await;
        explains(&b, "beacon", lang, foreign).await;
        b.go(&format!("/p/{GD}/draws/{}", da.id)).await;
        b.c.execute(open_details, vec![]).await.unwrap();
        b.submit("form[action$='/void'] button").await;
        explains(&b, "void", lang, foreign).await;
        b.go(&format!("/p/{GD}/draws/{}", db_.id)).await;
        b.fill("decline-reason", "").await;
        b.submit("#decline-form button").await;
        explains(&b, "decline", lang, foreign).await;
        b.go(&format!("/p/{GD}/rounds/{}/scoring", rb.id)).await;
        b.c.execute(open_details, vec![]).await.unwrap();
        b.submit("form[action$='/reopen'] button").await;
        explains(&b, "reopen", lang, foreign).await;
        b.logout().await;

        // The supervisor's contribution.
        if k == 0 {
            b.first_login("gd-sup", &sup, NEW_PW).await;
        } else {
            b.login("gd-sup", NEW_PW).await;
        }
        b.go(&format!("/p/{GD}/draws/{}", da.id)).await;
        b.fill("value", "abc").await;
        b.submit("#entropy-form button[type=submit]").await;
        explains(&b, "contribution", lang, foreign).await;
        b.logout().await;

        // The expert's score sheet and recusal.
        if k == 0 {
            b.first_login("gd-expert", &expert_pw, NEW_PW).await;
        } else {
            b.login("gd-expert", NEW_PW).await;
        }
        let sheet = format!("/p/{GD}/rounds/{}/sheets/GD2023-B1", rb.id);
        b.go(&sheet).await;
        b.click("#check-sheet").await;
        explains(&b, "score sheet", lang, foreign).await;
        b.go(&sheet).await;
        b.c.execute(open_details, vec![]).await.unwrap();
        b.submit("form[action$='/recuse'] button").await;
        explains(&b, "recusal", lang, foreign).await;
        b.logout().await;
    }
    // None of it changed anything.
    assert_eq!(w.load(&p, &da.id).await.unwrap().state, "committed");
    assert!(
        w.screens(&ra)
            .await
            .unwrap()
            .iter()
            .all(|x| x.overridden.is_none())
    );
    assert_eq!(w.load(&p, &db_.id).await.unwrap().panel.len(), 5);
    let rc = s.state.store.round(&p, rc.id).await.unwrap().unwrap();
    assert_eq!(
        rc.dates,
        Default::default(),
        "the refused dates were not kept"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn people_reach_only_their_own_pages_forms_cannot_be_forged_and_pages_are_accessible() {
    let (s, _db) = server().await;
    let Some(b) = browser(s.addr).await else {
        return;
    };
    let gd: fairpanel_core::types::Province = GD.try_into().unwrap();
    let records = fairpanel::demo::synthetic_records(20);
    s.state
        .store
        .write_experts(
            &s.state.key,
            &s.state.origin,
            &gd,
            &records,
            fairpanel::store::experts::Must::Either,
            "import",
            0,
        )
        .await
        .unwrap()
        .unwrap();
    let r = fairpanel::http::rounds::open_round(&s.state, &gd, 2023, "base_new", "测试轮次")
        .await
        .unwrap();
    let coord = account(&s, "gd-coord", "coordinator", Some(GD)).await;
    let bj = account(&s, "bj-coord", "coordinator", Some("110000")).await;
    let ex = account(&s, "gd-expert", "expert", Some(GD)).await;

    // A coordinator of another province: 404 on every page of this one.
    b.first_login("bj-coord", &bj, NEW_PW).await;
    for p in [
        format!("/p/{GD}"),
        format!("/p/{GD}/experts"),
        format!("/p/{GD}/rounds/{}", r.id),
        format!("/p/{GD}/accounts"),
    ] {
        b.go(&p).await;
        assert!(
            b.body().await.contains("找不到页面"),
            "{p}: {}",
            b.body().await
        );
    }
    b.logout().await;

    // The ministry: its start page is every province's filings, with no
    // province's own page open to it.
    let mo = account(&s, "mohrss", "ministry", None).await;
    b.first_login("mohrss", &mo, NEW_PW).await;
    b.go("/").await;
    assert_eq!(b.path().await, "/ministry");
    assert!(b.text("h1").await.contains("各省备案情况"));
    assert_eq!(
        b.count("#filings tbody tr").await,
        fairpanel_core::types::PROVINCES.len()
    );
    assert!(b.text(&format!("#province-{GD}")).await.contains("评审中"));
    if axe_available() {
        let v = b.axe().await;
        assert!(v.is_empty(), "/ministry: {v:?}");
    }
    for p in [
        format!("/p/{GD}"),
        format!("/p/{GD}/rounds/{}", r.id),
        format!("/p/{GD}/log"),
    ] {
        b.go(&p).await;
        assert!(b.body().await.contains("找不到页面"), "{p}");
    }
    b.logout().await;

    // An expert: no coordinator page, no sheet of a round they do not score.
    b.first_login("gd-expert", &ex, NEW_PW).await;
    for p in [
        format!("/p/{GD}/rounds/{}", r.id),
        format!("/p/{GD}/experts"),
        format!("/p/{GD}/accounts"),
        "/admin/accounts".to_string(),
    ] {
        b.go(&p).await;
        assert!(
            b.body().await.contains("不能进行此操作"),
            "{p}: {}",
            b.body().await
        );
    }
    b.go(&format!("/p/{GD}/rounds/{}/sheets/GD2023-001", r.id))
        .await;
    let body = b.body().await;
    assert!(
        body.contains("不能进行此操作") || body.contains("找不到页面"),
        "{body}"
    );
    b.logout().await;

    // Forged forms: without the token, or from another origin.
    b.first_login("gd-coord", &coord, NEW_PW).await;
    let cookie =
        b.c.get_all_cookies()
            .await
            .unwrap()
            .into_iter()
            .find(|c| c.name() == fairpanel::http::auth::COOKIE_NAME)
            .unwrap();
    let cookie = format!("{}={}", cookie.name(), cookie.value());
    let form = |body: &str| {
        let body = body.to_string();
        let cookie = cookie.clone();
        let addr = s.addr;
        async move {
            // The helper names the host `test`: this is the page's own origin.
            super::http::request_raw(
                addr,
                "POST",
                &format!("/p/{GD}/rounds"),
                &[
                    ("Cookie", &cookie),
                    ("Origin", "http://test"),
                    ("Content-Type", "application/x-www-form-urlencoded"),
                ],
                &body,
            )
            .await
        }
    };
    let before = s.state.store.rounds(&gd).await.unwrap().len();
    let r1 = form("year=2024&kind=base_new&title=forged").await;
    assert_eq!(r1.status, 403, "no token: {}", r1.body);
    let csrf =
        b.c.find(Locator::Css("input[name=csrf]"))
            .await
            .unwrap()
            .prop("value")
            .await
            .unwrap()
            .unwrap();
    let evil = super::http::request_raw(
        s.addr,
        "POST",
        &format!("/p/{GD}/rounds"),
        &[
            ("Cookie", &cookie),
            ("Origin", "http://evil.example"),
            ("Content-Type", "application/x-www-form-urlencoded"),
        ],
        &format!("csrf={csrf}&year=2024&kind=base_new&title=forged"),
    )
    .await;
    assert_eq!(evil.status, 403, "another origin: {}", evil.body);
    assert_eq!(
        s.state.store.rounds(&gd).await.unwrap().len(),
        before,
        "nothing was created"
    );
    let ok = form(&format!("csrf={csrf}&year=2024&kind=base_new&title=real")).await;
    assert_eq!(ok.status, 303, "the page's own form works: {}", ok.body);

    // axe-core on each page kind (no serious or critical violation).
    if axe_available() {
        let pages = [
            format!("/p/{GD}"),
            format!("/p/{GD}/rounds/{}", r.id),
            format!("/p/{GD}/rounds/{}/draw", r.id),
            format!("/p/{GD}/rounds/{}/applications", r.id),
            format!("/p/{GD}/experts"),
            format!("/p/{GD}/import/experts"),
            format!("/p/{GD}/accounts"),
            format!("/p/{GD}/log"),
            "/public/draws".to_string(),
            "/password".to_string(),
        ];
        for p in pages {
            b.go(&p).await;
            let v = b.axe().await;
            assert!(v.is_empty(), "{p}: {v:?}");
        }
        b.logout().await;
        for p in ["/", "/login"] {
            b.go(p).await;
            let v = b.axe().await;
            assert!(v.is_empty(), "{p}: {v:?}");
        }
    }
}

/// Waits until `script` (a function body returning a boolean) is true in the
/// page, or fails after `limit`.
async fn wait_until(b: &Browser, script: &str, limit: std::time::Duration, what: &str) {
    let end = std::time::Instant::now() + limit;
    loop {
        if matches!(
            b.c.execute(script, vec![]).await,
            Ok(serde_json::Value::Bool(true))
        ) {
            return;
        }
        assert!(
            std::time::Instant::now() < end,
            "{what}: not within {limit:?}: {}",
            b.body().await
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_live_draw_page_shows_each_contribution_as_it_is_signed() {
    let (s, _db) = server().await;
    let Some(b) = browser(s.addr).await else {
        return;
    };
    pool_of_60(&s).await;
    let coord = super::draws::Api {
        srv: &s,
        token: super::http::token_for(&s, "gd-coord", "coordinator", Some(GD)).await,
    };
    let id = super::public::commit(&coord, GD, "实时抽取", 600).await;
    // A visitor without an account opens the draw's page while it waits.
    b.go(&format!("/public/draws/{id}")).await;
    wait_until(
        &b,
        "var s = document.getElementById('live-status'); return !!s && s.textContent === s.dataset.connected;",
        std::time::Duration::from_secs(10),
        "the live stream opens",
    )
    .await;
    assert_eq!(
        b.c.find(Locator::Id("commit-watch"))
            .await
            .unwrap()
            .attr("data-ok")
            .await
            .unwrap()
            .as_deref(),
        Some("true"),
        "the commit seen on opening is the page's"
    );
    b.c.execute("window.__fpSamePage = true;", vec![])
        .await
        .unwrap();
    for (k, who) in ["supervisor-1", "supervisor-2"].into_iter().enumerate() {
        let seq = super::public::contribute(&s, &id, who, 0x10 + k as u8).await;
        let signed = std::time::Instant::now();
        let row = format!("#steps tr[data-seq=\"{seq}\"]");
        loop {
            if b.count(&row).await == 1 {
                break;
            }
            assert!(
                signed.elapsed() < std::time::Duration::from_secs(2),
                "contribution {seq} not on the page within two seconds of its entry: {}",
                b.body().await
            );
            tokio::time::sleep(std::time::Duration::from_millis(25)).await;
        }
        assert!(b.text(&row).await.contains(who));
        assert_eq!(b.text("#contribution-count").await, (k + 1).to_string());
    }
    b.snap("live-01-contributions").await;
    // The reveal: the panel appears on the same page, without a reload, and
    // the page still says the commit did not change; no one is named.
    s.state.clock.advance(601);
    let (st, v) = coord
        .post(
            &format!("/api/v1/provinces/{GD}/draws/{id}/reveal"),
            serde_json::json!({}),
        )
        .await;
    assert_eq!(st, 200, "{v}");
    wait_until(
        &b,
        "return !!document.getElementById('panel') && document.getElementById('draw-state').textContent.indexOf('已揭晓') >= 0;",
        std::time::Duration::from_secs(10),
        "the panel after the reveal",
    )
    .await;
    assert_eq!(
        b.c.execute("return window.__fpSamePage === true;", vec![])
            .await
            .unwrap(),
        serde_json::Value::Bool(true),
        "no reload"
    );
    assert_eq!(b.count("#panel tbody tr").await, 5);
    assert_eq!(
        b.c.find(Locator::Id("commit-watch"))
            .await
            .unwrap()
            .attr("data-ok")
            .await
            .unwrap()
            .as_deref(),
        Some("true")
    );
    let html = b.c.source().await.unwrap();
    assert_eq!(super::public::names_in(&html), Vec::<String>::new());
    b.snap("live-02-revealed").await;
    if axe_available() {
        let v = b.axe().await;
        assert!(v.is_empty(), "the live page after the reveal: {v:?}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_public_pages_name_no_one_before_disclosure() {
    let db = super::backends::sqlite();
    let s = start_with(&db.url, Clock::manual(super::draws::t0())).await;
    let Some(b) = browser(s.addr).await else {
        return;
    };
    let gd: fairpanel_core::types::Province = GD.try_into().unwrap();
    s.state
        .store
        .write_experts(
            &s.state.key,
            &s.state.origin,
            &gd,
            &fairpanel::demo::synthetic_records(320),
            fairpanel::store::experts::Must::Either,
            "import",
            s.state.clock.now(),
        )
        .await
        .unwrap()
        .unwrap();
    let coord = super::draws::Api {
        srv: &s,
        token: super::http::token_for(&s, "gd-coord", "coordinator", Some(GD)).await,
    };
    let voided = super::public::commit(&coord, GD, "作废", 0).await;
    let (st, v) = coord
        .post(
            &format!("/api/v1/provinces/{GD}/draws/{voided}/void"),
            serde_json::json!({"reason": "重新抽取"}),
        )
        .await;
    assert_eq!(st, 200, "{v}");
    let (rid, id) = super::public::commit_in(&coord, GD, "公开", 0).await;
    let pages = |id: &str| {
        vec![
            "/".to_string(),
            "/public/draws".to_string(),
            format!("/public/draws?province={GD}&state=revealed"),
            format!("/public/draws/{id}"),
            format!("/public/draws/{voided}"),
            "/public/log".to_string(),
            format!("/public/verify?draw={id}"),
        ]
    };
    // Every public page's bytes, as the browser has them, in both languages.
    let look = |stage: &'static str| {
        let b = &b;
        let pages = pages(&id);
        async move {
            let mut all = String::new();
            for lang in ["zh", "en"] {
                b.go(&format!("/lang/{lang}?back=/")).await;
                for p in &pages {
                    b.go(p).await;
                    let html = b.c.source().await.unwrap();
                    assert!(!html.contains("找不到页面"), "{stage} {p}");
                    all.push_str(&html);
                }
            }
            all
        }
    };
    let seen = look("committed").await;
    assert_eq!(
        super::public::names_in(&seen),
        Vec::<String>::new(),
        "committed"
    );
    super::public::contribute(&s, &id, "supervisor-1", 1).await;
    s.state.clock.advance(1);
    let draw = format!("/api/v1/provinces/{GD}/draws/{id}");
    let (st, v) = coord
        .post(&format!("{draw}/reveal"), serde_json::json!({}))
        .await;
    assert_eq!(st, 200, "{v}");
    let seen = look("revealed").await;
    assert_eq!(
        super::public::names_in(&seen),
        Vec::<String>::new(),
        "revealed"
    );
    // axe-core on each public page (no serious or critical violation).
    if axe_available() {
        for p in pages(&id) {
            b.go(&p).await;
            let v = b.axe().await;
            assert!(v.is_empty(), "{p}: {v:?}");
        }
    }
    // Scored, closed, disclosed: now the draw's page names its members (so
    // the search above would have found them).
    let base = format!("/api/v1/provinces/{GD}");
    let (st, v) = coord
        .post(
            &format!("{base}/rounds/{rid}/advance"),
            serde_json::json!({"to": "scoring"}),
        )
        .await;
    assert_eq!(st, 200, "{v}");
    super::scoring::score_everything(&coord, rid, &id).await;
    let (st, v) = coord
        .post(
            &format!("{base}/rounds/{rid}/advance"),
            serde_json::json!({"to": "closed"}),
        )
        .await;
    assert_eq!(st, 200, "{v}");
    let seen = look("scored").await;
    assert_eq!(
        super::public::names_in(&seen),
        Vec::<String>::new(),
        "closed, not disclosed"
    );
    let (st, v) = coord
        .post(&format!("{draw}/disclose"), serde_json::json!({}))
        .await;
    assert_eq!(st, 200, "{v}");
    b.go(&format!("/public/draws/{id}")).await;
    let html = b.c.source().await.unwrap();
    assert!(
        super::public::names_in(&html).len() >= 5,
        "disclosed: the panel is named"
    );
}

/// The verification page's result: its exit status and (check, result) lines.
async fn verified(b: &Browser) -> (String, Vec<(String, String)>) {
    wait_until(
        b,
        "var r = document.getElementById('verify-results'); return !!r && !r.hidden;",
        std::time::Duration::from_secs(120),
        "the verification result",
    )
    .await;
    let v = b
        .c
        .execute(
            "return [document.getElementById('verify-results').dataset.exit,
               Array.from(document.querySelectorAll('#verify-lines tbody tr')).map(tr => [tr.dataset.check, tr.dataset.ok])];",
            vec![],
        )
        .await
        .unwrap();
    serde_json::from_value(v).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_verify_page_checks_a_bundle_in_the_browser_with_a_pinned_key() {
    let (s, _db) = server().await;
    let Some(b) = browser(s.addr).await else {
        return;
    };
    pool_of_60(&s).await;
    let coord = super::draws::Api {
        srv: &s,
        token: super::http::token_for(&s, "gd-coord", "coordinator", Some(GD)).await,
    };
    let id = super::public::commit(&coord, GD, "验证", 0).await;
    super::public::contribute(&s, &id, "supervisor-1", 1).await;
    s.state.clock.advance(1);
    let (st, v) = coord
        .post(
            &format!("/api/v1/provinces/{GD}/draws/{id}/reveal"),
            serde_json::json!({}),
        )
        .await;
    assert_eq!(st, 200, "{v}");
    let pk = s.state.key.public();
    // The real verifier replaces the placeholder when web/verifier is built;
    // until then the page must say so and never show a check as passed.
    let real = !fairpanel::web::public::VERIFIER_MJS.contains("verifier not built");

    // The server's bundle for the draw, the key pasted.
    b.go(&format!("/public/verify?draw={id}")).await;
    b.fill("pinned-key", &pk.to_base64()).await;
    b.tap("#verify-run").await;
    let (exit, lines) = verified(&b).await;
    b.snap("verify-01-server-bundle").await;
    let key_line = b.c.find(Locator::Id("verify-key-line")).await.unwrap();
    assert_eq!(
        key_line.attr("data-pinned").await.unwrap().as_deref(),
        Some("key")
    );
    assert!(
        b.c.find(Locator::Id("verify-assurance"))
            .await
            .unwrap()
            .is_displayed()
            .await
            .unwrap(),
        "a beacon-less draw is marked lower assurance"
    );
    if real {
        assert_eq!(exit, "0", "{lines:?}");
        assert!(lines.iter().all(|(_, ok)| ok != "failed"), "{lines:?}");
        for c in [
            "key",
            "signatures",
            "chain",
            "commit",
            "pool",
            "seed",
            "panel",
        ] {
            assert!(
                lines.iter().any(|(n, ok)| n == c && ok == "passed"),
                "{c}: {lines:?}"
            );
        }
        // Each line carries what the check proves and does not prove.
        let cells = b.count("#verify-lines tbody tr td").await;
        assert_eq!(cells, 4 * lines.len());
        // The pool was hashed by the WebAssembly SHA-256: the page's CSP
        // lets our own scripts compile it.
        let hash =
            b.c.find(Locator::Id("verify-results"))
                .await
                .unwrap()
                .attr("data-hash")
                .await
                .unwrap();
        assert_eq!(hash.as_deref(), Some("wasm"));
    } else {
        assert_eq!(exit, "2");
        assert_eq!(lines, vec![("error".to_string(), "failed".to_string())]);
        assert!(b.text("#verify-lines").await.contains("尚未构建"));
    }

    // The key id typed instead, right and wrong.
    for (typed, pinned) in [
        (pk.key_id().to_string(), "id"),
        ("0123456789abcdef".into(), "mismatch"),
    ] {
        b.go(&format!("/public/verify?draw={id}")).await;
        b.fill("pinned-key-id", &typed).await;
        b.tap("#verify-run").await;
        verified(&b).await;
        let key_line = b.c.find(Locator::Id("verify-key-line")).await.unwrap();
        assert_eq!(
            key_line.attr("data-pinned").await.unwrap().as_deref(),
            Some(pinned),
            "{typed}"
        );
        assert!(
            key_line
                .text()
                .await
                .unwrap()
                .contains(&pk.key_id().to_string())
        );
    }

    // A file with one changed byte: the failing check is named.
    let r = super::http::send(
        s.addr,
        "GET",
        &format!("/api/v1/public/draws/{id}/bundle"),
        &[],
        b"",
        false,
    )
    .await;
    let mut bytes = r.body;
    let at = bytes
        .windows(12)
        .position(|w| w == b"\"pool_size\":")
        .expect("the commit's pool size")
        + 12;
    bytes[at] = if bytes[at] == b'9' {
        b'1'
    } else {
        bytes[at] + 1
    };
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("changed.json");
    std::fs::write(&file, &bytes).unwrap();
    b.go("/public/verify").await;
    b.fill("pinned-key", &pk.to_base64()).await;
    b.c.find(Locator::Id("bundle-file"))
        .await
        .unwrap()
        .send_keys(file.to_str().unwrap())
        .await
        .unwrap();
    b.tap("#verify-run").await;
    let (exit, lines) = verified(&b).await;
    b.snap("verify-02-changed-byte").await;
    if real {
        assert_eq!(exit, "1", "{lines:?}");
        assert!(
            lines
                .iter()
                .any(|(n, ok)| n == "signatures" && ok == "failed"),
            "{lines:?}"
        );
    } else {
        assert_eq!(exit, "2");
    }
    assert!(b.text("#verify-status").await.contains("有检查未通过"));
    if axe_available() {
        let v = b.axe().await;
        assert!(v.is_empty(), "the verify page with its result: {v:?}");
    }
}

/// A committed, beacon-less draw of 60 experts that requires personal keys
/// (a 600 s window for contributions): the coordinator, the API's province
/// prefix and the draw's id.
async fn personal_keys_draw<'a>(
    s: &'a super::http::Server,
    round_title: &str,
    draw_title: &str,
) -> (super::draws::Api<'a>, String, String) {
    pool_of_60(s).await;
    let coord = super::draws::Api {
        srv: s,
        token: super::http::token_for(s, "gd-coord", "coordinator", Some(GD)).await,
    };
    let base = format!("/api/v1/provinces/{GD}");
    let rid = coord.open_round("base_new", round_title).await;
    let (st, d) = coord
        .post(
            &format!("{base}/rounds/{rid}/draws"),
            serde_json::json!({"title": draw_title, "panel": 5, "alternates": 1,
                "beacon": {"mode": "none"}, "entropy_window": 600, "personal_keys": true}),
        )
        .await;
    assert_eq!(st, 201, "{d}");
    let id = d["id"].as_str().unwrap().to_string();
    (coord, base, id)
}

/// Protocol 1.4 in the browser: a supervisor makes a personal key with
/// WebCrypto (the private half stays in the browser), registers it, sees its
/// fingerprint, and contributes a value the page signs; the draw's bundle
/// verifies with personal keys required. A second supervisor whose browser
/// holds no key is told so, and nothing is written.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_supervisor_makes_a_personal_key_and_signs_in_the_browser() {
    let (s, _db) = server().await;
    let Some(b) = browser(s.addr).await else {
        return;
    };
    let (coord, base, id) = personal_keys_draw(&s, "个人密钥评审", "个人密钥抽取").await;
    let draw_path = format!("/p/{GD}/draws/{id}");
    let pw = account(&s, "gd-sup-k", "supervisor", Some(GD)).await;
    b.first_login("gd-sup-k", &pw, NEW_PW).await;
    b.go(&draw_path).await;
    assert_eq!(b.count("#my-key-fingerprint").await, 0);
    b.snap("keys-01-make").await;
    if axe_available() {
        let v = b.axe().await;
        assert!(v.is_empty(), "the draw page with the key form: {v:?}");
    }
    b.click("#make-key").await;
    assert_eq!(b.path().await, draw_path, "{}", b.body().await);
    let fp = b.text("#my-key-fingerprint").await;
    // The fingerprint shown is the key id of the key the log registered.
    let bundle = super::draws::bundle(&s, &id).await;
    let parsed: fairpanel_core::bundle::Bundle = serde_json::from_str(&bundle).unwrap();
    let registered: Vec<String> = parsed
        .entries
        .iter()
        .filter_map(|e| {
            match fairpanel_core::entry::parse(e.entry.get().as_bytes())
                .unwrap()
                .body
            {
                fairpanel_core::entry::Body::KeyRegistration(r) => Some(r.key.key_id().to_string()),
                _ => None,
            }
        })
        .collect();
    assert_eq!(registered, vec![fp.clone()], "{bundle}");
    assert_eq!(fp.len(), 16);
    b.snap("keys-02-registered").await;
    let page = b.body().await;
    assert!(
        page.contains("登记个人密钥") && !page.contains("entry-key_registration"),
        "the registration step is named: {page}"
    );
    // The key pair is kept in this browser, its private half not extractable.
    let extractable = b
        .c
        .execute_async(
            "const done = arguments[arguments.length - 1];
             const f = document.getElementById('entropy-form');
             const o = indexedDB.open('fairpanel-keys', 1);
             o.onsuccess = () => { const r = o.result.transaction('keys').objectStore('keys').get(f.dataset.draw + '/' + f.dataset.account);
               r.onsuccess = () => done(r.result ? r.result.privateKey.extractable : 'missing'); };",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(extractable, serde_json::json!(false));
    b.fill("value", "个人密钥签名的随机数 2026").await;
    b.submit("#entropy-form button[type=submit]").await;
    b.confirmed().await;
    b.logout().await;

    // Another supervisor with no key in this browser: the page says so.
    let pw2 = account(&s, "gd-sup-n", "supervisor", Some(GD)).await;
    b.first_login("gd-sup-n", &pw2, NEW_PW).await;
    b.go(&draw_path).await;
    b.fill("value", &"ab".repeat(32)).await;
    b.tap("#entropy-form button[type=submit]").await;
    wait_until(
        &b,
        "var s = document.getElementById('sign-status'); return !!s && !s.hidden;",
        std::time::Duration::from_secs(10),
        "the page says this browser holds no key",
    )
    .await;
    assert!(
        b.text("#sign-status").await.contains("本浏览器中没有"),
        "{}",
        b.body().await
    );
    b.logout().await;

    s.state.clock.advance(601);
    let (st, v) = coord
        .post(&format!("{base}/draws/{id}/reveal"), serde_json::json!({}))
        .await;
    assert_eq!(st, 200, "{v}");
    let bundle = super::draws::bundle(&s, &id).await;
    assert!(bundle.contains("\"personal_keys\":true"));
    assert_eq!(bundle.matches("\"attestation\":{").count(), 1, "{bundle}");
    let (code, out) = super::draws::verify(bundle.as_bytes()).await;
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains(
            "1 signed with the supervisor's own key; personal keys required, 1 registered"
        ),
        "{out}"
    );

    // The public draw page lists the registered key and the contribution it
    // signed; the verify page, from the verifier's report, who signed what.
    let signed_seq = parsed_contribution_seq(&bundle);
    b.go(&format!("/public/draws/{id}")).await;
    assert_eq!(b.count("#keys-required").await, 1);
    let row = format!("#personal-keys tr[data-fingerprint='{fp}']");
    assert_eq!(b.count(&row).await, 1, "{}", b.body().await);
    assert_eq!(
        b.text(&format!("{row} .signed")).await,
        signed_seq.to_string()
    );
    assert!(b.text(&row).await.contains("监督员"));
    let scroll = "document.getElementById('personal-keys').scrollIntoView();";
    b.c.execute(scroll, vec![]).await.unwrap();
    b.snap("keys-03-public-draw-zh").await;
    b.set_lang("en").await;
    assert!(
        b.text(&row).await.contains("Supervisor"),
        "{}",
        b.text(&row).await
    );
    b.c.execute(scroll, vec![]).await.unwrap();
    b.snap("keys-03-public-draw-en").await;
    b.set_lang("zh").await;
    if !fairpanel::web::public::VERIFIER_MJS.contains("verifier not built") {
        b.go(&format!("/public/verify?draw={id}")).await;
        b.tap("#verify-run").await;
        let (exit, _) = verified(&b).await;
        assert_eq!(exit, "0");
        let v = b
            .c
            .execute(
                "return Array.from(document.querySelectorAll('#verify-signers tbody tr')).map(tr => Array.from(tr.cells).map(c => c.textContent));",
                vec![],
            )
            .await
            .unwrap();
        assert_eq!(
            v,
            serde_json::json!([[signed_seq.to_string(), "监督员", fp.clone()]]),
            "{}",
            b.body().await
        );
        let scroll = "document.getElementById('verify-who').scrollIntoView();";
        b.c.execute(scroll, vec![]).await.unwrap();
        b.snap("keys-04-verify-signers-zh").await;
        b.set_lang("en").await;
        b.tap("#verify-run").await;
        verified(&b).await;
        assert!(b.text("#verify-signers").await.contains("Supervisor"));
        b.c.execute(scroll, vec![]).await.unwrap();
        b.snap("keys-04-verify-signers-en").await;
    }
}

/// Protocol 1.6 in the browser: a supervisor whose browser lost their key
/// makes a new one on the draw page and asks for it; the request waits, and
/// their own page says so; another supervisor sees it on the same page and
/// approves it with the key their browser holds; the first then contributes
/// signed with the new key, and the bundle verifies with the replacement.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_lost_key_is_replaced_in_the_browser_with_another_supervisors_approval() {
    let (s, _db) = server().await;
    let Some(b) = browser(s.addr).await else {
        return;
    };
    let (coord, base, id) = personal_keys_draw(&s, "密钥更换评审", "密钥更换抽取").await;
    let draw_path = format!("/p/{GD}/draws/{id}");
    let pw_a = account(&s, "gd-sup-a", "supervisor", Some(GD)).await;
    let pw_b = account(&s, "gd-sup-b", "supervisor", Some(GD)).await;
    b.first_login("gd-sup-b", &pw_b, NEW_PW).await;
    b.go(&draw_path).await;
    b.click("#make-key").await;
    let fp_b = b.text("#my-key-fingerprint").await;
    b.logout().await;
    b.first_login("gd-sup-a", &pw_a, NEW_PW).await;
    b.go(&draw_path).await;
    b.click("#make-key").await;
    let fp_a = b.text("#my-key-fingerprint").await;
    assert_ne!(fp_a, fp_b);
    // The device is lost: this browser forgets A's key.
    let gone =
        b.c.execute_async(
            "const done = arguments[arguments.length - 1];
             const f = document.getElementById('key-form');
             const o = indexedDB.open('fairpanel-keys', 1);
             o.onsuccess = () => { const tx = o.result.transaction('keys', 'readwrite');
               tx.objectStore('keys').delete(f.dataset.draw + '/' + f.dataset.account);
               tx.oncomplete = () => done(true); };",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(gone, serde_json::json!(true));
    b.tap("#key-replace summary").await;
    b.snap("keyrepl-01-ask").await;
    if axe_available() {
        let v = b.axe().await;
        assert!(
            v.is_empty(),
            "the draw page with the replacement form open: {v:?}"
        );
    }
    b.click("#make-key").await;
    assert_eq!(b.path().await, draw_path, "{}", b.body().await);
    let pending = b.text("#key-request-pending code").await;
    assert_eq!(pending.len(), 16);
    assert_ne!(pending, fp_a);
    // Still the old key until approved; A's own request cannot be approved by A.
    assert_eq!(b.text("#my-key-fingerprint").await, fp_a);
    assert_eq!(b.count("#key-request-list form.approve-key").await, 0);
    assert!(b.text("#key-request-list").await.contains("您本人的申请"));
    b.logout().await;

    b.login("gd-sup-b", NEW_PW).await;
    b.go(&draw_path).await;
    assert!(b.text("#key-request-list").await.contains(&pending));
    b.c.execute(
        "document.getElementById('key-requests').scrollIntoView();",
        vec![],
    )
    .await
    .unwrap();
    b.snap("keyrepl-02-approve-zh").await;
    if axe_available() {
        let v = b.axe().await;
        assert!(
            v.is_empty(),
            "the draw page with a request to approve: {v:?}"
        );
    }
    b.set_lang("en").await;
    assert!(
        b.text("#key-requests")
            .await
            .contains("Approve with my key")
    );
    b.c.execute(
        "document.getElementById('key-requests').scrollIntoView();",
        vec![],
    )
    .await
    .unwrap();
    b.snap("keyrepl-02-approve-en").await;
    b.set_lang("zh").await;
    b.click("#key-request-list form.approve-key button[type=submit]")
        .await;
    let seq = b.confirmed().await;
    b.logout().await;

    // A, on the new device, is registered with the new key and signs with it.
    b.login("gd-sup-a", NEW_PW).await;
    b.go(&draw_path).await;
    assert_eq!(b.text("#my-key-fingerprint").await, pending);
    assert_eq!(b.count("#key-requests").await, 0);
    b.fill("value", "新设备上的随机数 2026").await;
    b.submit("#entropy-form button[type=submit]").await;
    b.confirmed().await;
    b.logout().await;

    s.state.clock.advance(601);
    let (st, v) = coord
        .post(&format!("{base}/draws/{id}/reveal"), serde_json::json!({}))
        .await;
    assert_eq!(st, 200, "{v}");
    let bundle = super::draws::bundle(&s, &id).await;
    let parsed: fairpanel_core::bundle::Bundle = serde_json::from_str(&bundle).unwrap();
    let approved = parsed
        .entries
        .iter()
        .map(|e| fairpanel_core::entry::parse(e.entry.get().as_bytes()).unwrap())
        .find(|e| e.entry.seq == seq)
        .unwrap();
    match approved.body {
        fairpanel_core::entry::Body::KeyRegistration(r) => {
            assert_eq!(r.key.key_id().to_string(), pending);
            assert_eq!(r.replaces.map(|k| k.to_string()), Some(fp_a.clone()));
            assert_eq!(r.approval.unwrap().key.key_id().to_string(), fp_b);
        }
        other => panic!("{other:?}"),
    }
    let (code, out) = super::draws::verify(bundle.as_bytes()).await;
    assert_eq!(code, 0, "{out}");
}

/// The log sequence number of the one contribution in a bundle.
fn parsed_contribution_seq(bundle: &str) -> u64 {
    let parsed: fairpanel_core::bundle::Bundle = serde_json::from_str(bundle).unwrap();
    let seqs: Vec<u64> = parsed
        .entries
        .iter()
        .map(|e| fairpanel_core::entry::parse(e.entry.get().as_bytes()).unwrap())
        .filter(|e| matches!(e.body, fairpanel_core::entry::Body::Entropy(_)))
        .map(|e| e.entry.seq)
        .collect();
    assert_eq!(seqs.len(), 1, "{bundle}");
    seqs[0]
}

/// Witnesses in the browser (issue 12, items 4 and 6): an admin registers a
/// witness on the admin's page (a bad key is explained first); once it has
/// cosigned the checkpoint covering a draw, the public log page, the draw's
/// public page and the verify page name it; retired, it stays listed as such.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_admin_registers_a_witness_and_the_public_pages_show_its_cosignature() {
    let (s, _db) = server().await;
    let Some(b) = browser(s.addr).await else {
        return;
    };
    pool_of_60(&s).await;
    let coord = super::draws::Api {
        srv: &s,
        token: super::http::token_for(&s, "gd-coord", "coordinator", Some(GD)).await,
    };
    let id = super::public::commit(&coord, GD, "见证", 0).await;
    super::public::contribute(&s, &id, "supervisor-1", 1).await;
    s.state.clock.advance(1);
    let (st, v) = coord
        .post(
            &format!("/api/v1/provinces/{GD}/draws/{id}/reveal"),
            serde_json::json!({}),
        )
        .await;
    assert_eq!(st, 200, "{v}");

    // Before any witness: the pages say none.
    b.go(&format!("/public/draws/{id}")).await;
    assert_eq!(b.count("#no-cosignatures").await, 1);
    assert_eq!(b.count("#no-personal-keys").await, 1);

    const NAME: &str = "witness.test/ministry";
    let wkey = fairpanel_core::SecretKey::from_seed(&[0x51; 32]);
    let pw = account(&s, "root", "admin", None).await;
    b.first_login("root", &pw, NEW_PW).await;
    b.go("/admin/witnesses").await;
    assert_eq!(b.count("#no-witnesses").await, 1);
    b.fill("name", NAME).await;
    b.fill("key", "not a key").await;
    b.submit("#witness-add").await;
    assert!(
        b.text(".error-summary")
            .await
            .contains("见证方公钥不是 Ed25519 公钥"),
        "{}",
        b.body().await
    );
    b.fill("key", &wkey.public().to_base64()).await;
    b.submit("#witness-add").await;
    let kid = hex::encode(fairpanel_core::cosignature::key_id(NAME, &wkey.public()));
    let row = format!("#witnesses tr[data-witness='{NAME}']");
    assert!(b.text(&row).await.contains(&kid), "{}", b.body().await);
    b.snap("witness-01-admin-zh").await;
    if axe_available() {
        let v = b.axe().await;
        assert!(v.is_empty(), "the witnesses page: {v:?}");
    }
    b.set_lang("en").await;
    assert!(b.text(&row).await.contains("Cosignatures accepted"));
    b.snap("witness-01-admin-en").await;
    b.set_lang("zh").await;

    // The witness cosigns the checkpoint covering the draw.
    tokio::time::sleep(
        fairpanel::http::public::CHECKPOINT_TTL + std::time::Duration::from_millis(50),
    )
    .await;
    let (_, text) = super::http::get(s.addr, "/api/v1/public/checkpoint").await;
    let size: u64 = text.lines().nth(1).unwrap().parse().unwrap();
    let line = fairpanel_core::cosignature::sign(&text, NAME, &wkey, s.state.clock.now()).unwrap();
    let r = super::http::request(
        s.addr,
        "POST",
        "/api/v1/public/cosignatures",
        &[],
        Some(&serde_json::json!({"size": size, "line": line})),
    )
    .await;
    assert_eq!(r.status, 201, "{}", r.body);

    for (path, shot) in [
        ("/public/log".to_string(), "witness-02-public-log"),
        (format!("/public/draws/{id}"), "witness-03-public-draw"),
    ] {
        b.go(&path).await;
        let cs = format!("#cosignature-list tr[data-witness='{NAME}']");
        assert!(
            b.text(&cs).await.contains(&kid),
            "{path}: {}",
            b.body().await
        );
        assert!(
            b.text("#cosignatures")
                .await
                .contains(&format!("{size} 条记录的检查点")),
            "{path}"
        );
        b.c.execute(
            "document.getElementById('cosignatures').scrollIntoView();",
            vec![],
        )
        .await
        .unwrap();
        b.snap(&format!("{shot}-zh")).await;
        b.set_lang("en").await;
        assert!(
            b.text("#cosignatures")
                .await
                .contains(&format!("checkpoint of {size} entries")),
            "{path}"
        );
        b.c.execute(
            "document.getElementById('cosignatures').scrollIntoView();",
            vec![],
        )
        .await
        .unwrap();
        b.snap(&format!("{shot}-en")).await;
        b.set_lang("zh").await;
    }

    // The verify page names the witness from the verifier's report.
    if !fairpanel::web::public::VERIFIER_MJS.contains("verifier not built") {
        b.go(&format!("/public/verify?draw={id}")).await;
        b.tap("#verify-run").await;
        let (exit, _) = verified(&b).await;
        assert_eq!(exit, "0");
        let v = b
            .c
            .execute(
                "return Array.from(document.querySelectorAll('#verify-cosigners tbody tr')).map(tr => [tr.cells[0].textContent, tr.cells[1].textContent]);",
                vec![],
            )
            .await
            .unwrap();
        assert_eq!(
            v,
            serde_json::json!([[NAME, kid.clone()]]),
            "{}",
            b.body().await
        );
        assert_eq!(b.count("#verify-signers-none:not([hidden])").await, 1);
        b.c.execute(
            "document.getElementById('verify-who').scrollIntoView();",
            vec![],
        )
        .await
        .unwrap();
        b.snap("witness-04-verify-zh").await;
        b.set_lang("en").await;
        b.tap("#verify-run").await;
        verified(&b).await;
        b.c.execute(
            "document.getElementById('verify-who').scrollIntoView();",
            vec![],
        )
        .await
        .unwrap();
        b.snap("witness-04-verify-en").await;
        b.set_lang("zh").await;
    }

    // Retired on the admin's page: still listed, as retired.
    b.go("/admin/witnesses").await;
    b.submit(&format!("{row} button[type=submit]")).await;
    assert!(b.text(&row).await.contains("已停用"), "{}", b.body().await);
    assert_eq!(b.count(&format!("{row} button")).await, 0);
}

/// Protocol 1.5: a seated expert makes a personal key on their sheets page
/// (WebCrypto, not extractable, kept in this browser), sees its
/// fingerprint, and the pledge and a sheet are signed in the browser on
/// submit; the sheets page marks the sheet signed, and the log's entries
/// carry signatures by the registered key.
#[tokio::test]
async fn an_expert_makes_a_personal_key_and_signs_the_pledge_and_a_sheet_in_the_browser() {
    let (s, _db) = server().await;
    let Some(b) = browser(s.addr).await else {
        return;
    };
    pool_of_60(&s).await;
    let coord = super::draws::Api {
        srv: &s,
        token: super::http::token_for(&s, "gd-coord", "coordinator", Some(GD)).await,
    };
    let base = format!("/api/v1/provinces/{GD}");
    let rid = coord.open_round("base_new", "专家密钥评审").await;
    for (r, o) in [("B1", "甲单位"), ("B2", "乙单位")] {
        let (st, v) = coord
            .post(
                &format!("{base}/rounds/{rid}/applications"),
                super::draws::app(r, o),
            )
            .await;
        assert_eq!(st, 201, "{v}");
    }
    let (st, d) = coord
        .post(
            &format!("{base}/rounds/{rid}/draws"),
            serde_json::json!({"title": "专家密钥抽取", "panel": 5, "alternates": 1,
                "beacon": {"mode": "none"}, "entropy_window": 0, "personal_keys": true}),
        )
        .await;
    assert_eq!(st, 201, "{d}");
    let id = d["id"].as_str().unwrap().to_string();
    // The supervisor's signed contribution, then the reveal.
    let p = fairpanel_core::types::Province::try_from(GD).unwrap();
    let sup = fairpanel_core::SecretKey::from_seed(&[0x71; 32]);
    let w = s.state.workflow();
    w.register_key(
        &p,
        &id,
        "supervisor-test",
        fairpanel_core::entry::Role::Supervisor,
        &sup.public().to_base64(),
    )
    .await
    .unwrap();
    let text = super::draws::bundle(&s, &id).await;
    let bundle: fairpanel_core::bundle::Bundle = serde_json::from_str(&text).unwrap();
    let commit = fairpanel_core::entry::parse(bundle.entries[0].entry.get().as_bytes())
        .unwrap()
        .hash;
    let value = fairpanel_core::Hash32([0x33; 32]);
    let sig = base64::Engine::encode(
        &base64::engine::general_purpose::STANDARD,
        sup.sign(&fairpanel_core::entry::attestation_message(&commit, &value)),
    );
    w.contribute_signed(&p, &id, "supervisor-test", value, Some(&sig))
        .await
        .unwrap();
    s.state.clock.advance(1);
    let (st, v) = coord
        .post(&format!("{base}/draws/{id}/reveal"), serde_json::json!({}))
        .await;
    assert_eq!(st, 200, "{v}");
    let (_, full) = coord.get(&format!("{base}/draws/{id}")).await;
    let expert = full["panel"][0]["expert_id"].as_str().unwrap().to_string();
    let (st, v) = coord
        .post(
            &format!("{base}/rounds/{rid}/advance"),
            serde_json::json!({"to": "scoring"}),
        )
        .await;
    assert_eq!(st, 200, "{v}");
    let (st, v) = coord
        .post(
            "/api/v1/accounts",
            serde_json::json!({"username": "gd-ex-key", "role": "expert", "province": GD, "expert_id": expert}),
        )
        .await;
    assert_eq!(st, 200, "{v}");
    let link = format!("/activate?code={}", v["activation_code"].as_str().unwrap());
    b.activate("gd-ex-key", &link, NEW_PW).await;

    // The key: made here, registered, its fingerprint shown.
    let sheets = format!("/p/{GD}/rounds/{rid}/sheets");
    b.go(&sheets).await;
    assert_eq!(b.count("#my-key-fingerprint").await, 0);
    b.snap("ekeys-01-make").await;
    if axe_available() {
        let v = b.axe().await;
        assert!(v.is_empty(), "the sheets page with the key form: {v:?}");
    }
    b.click("#make-key").await;
    assert_eq!(b.path().await, sheets, "{}", b.body().await);
    let fp = b.text("#my-key-fingerprint").await;
    assert_eq!(fp.len(), 16);
    let registered = |bundle: &str| -> Vec<(fairpanel_core::entry::Role, String)> {
        let parsed: fairpanel_core::bundle::Bundle = serde_json::from_str(bundle).unwrap();
        parsed
            .entries
            .iter()
            .filter_map(|e| {
                match fairpanel_core::entry::parse(e.entry.get().as_bytes())
                    .unwrap()
                    .body
                {
                    fairpanel_core::entry::Body::KeyRegistration(r) => {
                        Some((r.role, r.key.key_id().to_string()))
                    }
                    _ => None,
                }
            })
            .collect()
    };
    let regs = registered(&super::draws::bundle(&s, &id).await);
    assert!(
        regs.contains(&(fairpanel_core::entry::Role::Expert, fp.clone())),
        "{regs:?}"
    );
    // The key pair is kept in this browser, its private half not extractable.
    let extractable = b
        .c
        .execute_async(
            "const done = arguments[arguments.length - 1];
             const f = document.getElementById('pledge-form');
             const o = indexedDB.open('fairpanel-keys', 1);
             o.onsuccess = () => { const r = o.result.transaction('keys').objectStore('keys').get(f.dataset.sign);
               r.onsuccess = () => done(r.result ? r.result.privateKey.extractable : 'missing'); };",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(extractable, serde_json::json!(false));

    // The pledge, signed on submit; then a sheet, signed on the check page.
    b.tap("#confirm").await;
    b.submit("#pledge-form button[type=submit]").await;
    assert_eq!(b.count("#sheets").await, 1, "{}", b.body().await);
    let r = s.state.store.round(&p, rid).await.unwrap().unwrap();
    let rubric = s.state.workflow().rubric(&r).await.unwrap().0;
    b.go(&format!("{sheets}/B1")).await;
    let sheet = fairpanel::scores::sample_sheet(&rubric, "B1", 0);
    for sc in &sheet.scores {
        b.fill(&format!("s_{}", sc.code), &sc.points.to_string())
            .await;
    }
    for g in &rubric.gates {
        b.tap(&format!("#g_{}_yes", g.code)).await;
    }
    b.click("#check-sheet").await;
    b.snap("ekeys-02-check").await;
    b.click("#submit-sheet").await;
    b.confirmed().await;
    b.go(&sheets).await;
    assert_eq!(b.text("#my-key-fingerprint").await, fp);
    let signed_cells = b
        .c
        .execute(
            "return Array.from(document.querySelectorAll('#sheets tbody tr')).map(r => r.cells[0].textContent.trim() + ':' + r.querySelector('td.signed').textContent.trim());",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(
        signed_cells,
        serde_json::json!(["B1:已用您的密钥签名", "B2:"]),
        "{}",
        b.body().await
    );
    b.snap("ekeys-03-signed").await;

    // The log: the pledge and the sheet carry signatures by that key.
    let log = s.state.store.entries(0, 1_000_000).await.unwrap();
    let signed: Vec<String> = log
        .iter()
        .filter_map(|e| {
            let body = fairpanel_core::entry::parse(&e.bytes).unwrap().body;
            let kind = match &body {
                fairpanel_core::entry::Body::Pledge(_) => "pledge",
                _ => "sheet_commit",
            };
            let (_, a) = fairpanel_core::entry::scorer_signature(&body)?;
            let a = a?;
            let sig =
                base64::Engine::decode(&base64::engine::general_purpose::STANDARD, &a.sig).unwrap();
            a.key
                .verify(&fairpanel_core::entry::scorer_message(&body).unwrap(), &sig)
                .unwrap();
            Some(format!("{kind}:{}", a.key.key_id()))
        })
        .collect();
    assert_eq!(
        signed,
        vec![format!("pledge:{fp}"), format!("sheet_commit:{fp}")]
    );
}
