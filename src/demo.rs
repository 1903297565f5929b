//! `fairpanel demo`: a whole draw through the real service. It starts `serve` on
//! a temporary database and a free loopback port, with a simulated clock that
//! starts before drand quicknet round 1000 (recorded, so no network is needed)
//! and is stepped by the demo itself (to the round's time once the supervisors
//! have contributed); loads a synthetic province pool; and runs a round
//! through the HTTP API as a coordinator and two supervisors would: commit,
//! entropy, the drand round, reveal, a decline and its replacement (补抽),
//! scoring (every panel expert; one abnormal total with its explanation, one
//! recusal), closing with the seal, the public notice (公示: published, one
//! objection rejected with an answer, closed after its period; `notice.html`),
//! and disclosure. Every bundle is written as `.json` and verified, as
//! a third party would.

use crate::client::Http;
use anyhow::{Context, Result, bail};
use fairpanel_core::PublicKey;
use fairpanel_core::beacon;
use fairpanel_core::draw::Candidate;
use fairpanel_core::types::Specialty;
use fairpanel_core::verify::{Outcome, verify_bundle};
use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, BufReader};

/// The demo draws from the first eight categories of the roster layout (the
/// policy's priority fields first).
const DEMO_SPECIALTIES: &[(&str, &str)] = crate::roster::SPECIALTIES.split_at(8).0;

const SURNAMES: &str = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史黎贺顾毛郝龚邵万钱覃武戴孔汤庞樊兰殷施陶洪翟安颜倪严牛温芦季俞章鲁葛伍申尤毕聂柴焦向柳邢岳齐沿梅莫庄辛管祝左涂谷祁时舒耿牟卜路詹关苗凌费纪靳盛童欧甄项曲成游阳裴席卫查屈鲍位覃霍翁隋植甘景薄单包司柏宁柯阮桂闵欧阳解强丛华车冉房边";
const GIVEN: &str =
    "伟芳娜敏静丽强磊军洋勇艳杰涛明超秀霞平刚桂英华玉兰萍红娟建国志文斌宇浩凯鹏飞辉晨阳";
const ORGS: &[&str] = &[
    "广州市技师学院",
    "深圳技师学院",
    "广东省技师学院",
    "佛山市技师学院",
    "东莞市技师学院",
    "广东轻工职业技术大学",
    "深圳职业技术大学",
    "广州番禺职业技术学院",
    "中山市技师学院",
    "珠海市技师学院",
    "美的集团股份有限公司",
    "格力电器股份有限公司",
    "广汽集团股份有限公司",
    "比亚迪股份有限公司",
    "中船黄埔文冲船舶有限公司",
    "广东电网有限责任公司",
    "广州地铁集团有限公司",
    "南方医科大学南方医院",
    "中山大学附属第一医院",
    "广东省人民医院",
    "广州市老人院",
    "深圳市社会福利中心",
    "广州市妇女儿童医疗中心",
    "广东省家庭服务业协会",
    "华南理工大学",
    "广东工业大学",
    "汕头大学",
    "韶关学院",
    "湛江市第二中医医院",
    "惠州市技师学院",
];

/// The synthetic roster as roster records, all active.
pub fn synthetic_records(n: usize) -> Vec<crate::roster::ExpertRecord> {
    use crate::roster::{ExpertRecord, Status};
    synthetic_roster(n)
        .into_iter()
        .enumerate()
        .map(|(i, c)| ExpertRecord {
            expert_id: c.expert,
            name: c.name,
            gender: Some(if i % 2 == 0 { "女" } else { "男" }.to_string()),
            organisation: c.org,
            credit_code: None,
            avoid_orgs: vec![],
            specialty: c.spec,
            other_specialties: vec![],
            skill_level: Some(if i % 3 == 0 { "技师" } else { "高级技师" }.to_string()),
            region: Some(["广州", "深圳", "佛山", "东莞", "珠海"][i % 5].to_string()),
            status: Status::Active,
            phone: None,
            email: None,
        })
        .collect()
}

/// A synthetic province pool of `n` experts, the same for a given `n`.
pub fn synthetic_roster(n: usize) -> Vec<Candidate> {
    let surnames: Vec<char> = SURNAMES.chars().collect();
    let given: Vec<char> = GIVEN.chars().collect();
    (0..n)
        .map(|i| {
            let name = format!(
                "{}{}{}",
                surnames[(i * 7) % surnames.len()],
                given[(i * 13) % given.len()],
                if i % 3 == 0 {
                    given[(i * 5 + 1) % given.len()].to_string()
                } else {
                    String::new()
                }
            );
            let org = ORGS[(i * 11) % ORGS.len()];
            Candidate {
                expert: format!("GD-E{:05}", i + 1),
                name,
                org: org.to_string(),
                // A stand-in for the unified social credit code.
                code: format!("9144{:014}", (i * 11) % ORGS.len() * 7919 + 100_003),
                spec: Specialty::try_from(
                    DEMO_SPECIALTIES[(i * 5 + i / 7) % DEMO_SPECIALTIES.len()].0,
                )
                .unwrap(),
                excluded: None,
            }
        })
        .collect()
}

/// drand quicknet round 1000, as recorded: the demo's beacon.
pub const ROUND: u64 = 1000;
pub const ROUND_SIG: &str = "b44679b9a59af2ec876b1a6b1ad52ea9b1615fc3982b19576350f93447cb1125e342b73a8dd2bacbe47e4b6b63ed5e39";

fn spec_label(code: &str) -> &'static str {
    DEMO_SPECIALTIES
        .iter()
        .find(|(c, _)| *c == code)
        .map(|(_, l)| *l)
        .unwrap_or("")
}

pub fn run(out: &Path) -> Result<()> {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?
        .block_on(run_async(out))
}

/// A temporary folder removed on drop (the binary has no tempfile crate).
struct Scratch(PathBuf);

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// The API as one account sees it.
struct Session<'a> {
    http: &'a Http,
    base: String,
    token: String,
}

impl Session<'_> {
    async fn call(&self, method: &str, path: &str, body: Option<Value>) -> Result<Value> {
        let url = format!("{}{path}", self.base);
        let r = self
            .http
            .send(method, &url, Some(&self.token), body.as_ref())
            .await?
            .ok()
            .with_context(|| format!("{method} {path}"))?;
        r.json()
    }
    async fn post(&self, path: &str, body: Value) -> Result<Value> {
        self.call("POST", path, Some(body)).await
    }
    async fn get(&self, path: &str) -> Result<Value> {
        self.call("GET", path, None).await
    }
}

/// Signs in with an account's one-time password and, as its owner does first,
/// sets a new (random) one; the session, which the change keeps.
/// An account's person opens the activation code its maker was given,
/// chooses their own password and signs in with it: the maker never knows it.
async fn activate<'a>(
    http: &'a Http,
    base: &str,
    user: &str,
    made: &serde_json::Value,
) -> Result<Session<'a>> {
    let pw = crate::accounts::random_password();
    http.send(
        "POST",
        &format!("{base}/api/v1/auth/activate"),
        None,
        Some(&json!({"code": str_of(made, "activation_code")?, "password": pw})),
    )
    .await?
    .ok()
    .with_context(|| format!("activate {user}"))?;
    let r = http
        .send(
            "POST",
            &format!("{base}/api/v1/auth/login"),
            None,
            Some(&json!({"username": user, "password": pw})),
        )
        .await?
        .ok()
        .with_context(|| format!("log in as {user}"))?;
    Ok(Session {
        http,
        base: base.to_string(),
        token: r.json()?["token"].as_str().context("no token")?.to_string(),
    })
}

/// Signs in with a one-time password (which that sign-in uses up) and sets a
/// password of the account's own.
async fn login<'a>(http: &'a Http, base: &str, user: &str, pw: &str) -> Result<Session<'a>> {
    let r = http
        .send(
            "POST",
            &format!("{base}/api/v1/auth/login"),
            None,
            Some(&json!({"username": user, "password": pw})),
        )
        .await?
        .ok()
        .with_context(|| format!("log in as {user}"))?;
    let session = Session {
        http,
        base: base.to_string(),
        token: r.json()?["token"].as_str().context("no token")?.to_string(),
    };
    session
        .post(
            "/api/v1/auth/password",
            json!({"old_password": pw, "new_password": crate::accounts::random_password()}),
        )
        .await
        .with_context(|| format!("set {user}'s own password"))?;
    Ok(session)
}

fn str_of<'v>(v: &'v Value, k: &str) -> Result<&'v str> {
    v[k].as_str()
        .with_context(|| format!("the answer has no {k}: {v}"))
}

async fn run_async(out: &Path) -> Result<()> {
    std::fs::create_dir_all(out).with_context(|| format!("create {}", out.display()))?;
    let scratch = Scratch(std::env::temp_dir().join(format!(
        "fairpanel-demo-{}-{}",
        std::process::id(),
        crate::serve::now()
    )));
    std::fs::create_dir_all(&scratch.0)?;
    let start = beacon::round_time(ROUND) - 480;
    // The service's clock: the time in this file, stepped by `drive`.
    let clock = Clock(scratch.0.join("clock"));
    clock.set(start)?;
    let exe = std::env::current_exe().context("find the fairpanel binary")?;
    let log_file = std::fs::File::create(scratch.0.join("serve.log"))?;
    let mut child = tokio::process::Command::new(exe)
        // Port 0: serve binds a free port itself and prints it (no port picked
        // here and bound later, which another process could take in between).
        .args(["serve", "--demo", "--listen", "127.0.0.1:0"])
        .env(
            "DATABASE_URL",
            format!("sqlite:{}", scratch.0.join("demo.sqlite").display()),
        )
        .env("FAIRPANEL_KEYS", scratch.0.join("keys"))
        .env("FAIRPANEL_ORIGIN", "fairpanel.demo/440000")
        .env(
            "FAIRPANEL_SIMULATED_CLOCK",
            format!("file:{}", clock.0.display()),
        )
        .env_remove("FAIRPANEL_CONFIG")
        .env_remove("FAIRPANEL_WEBHOOK_URL")
        .env("RUST_LOG", "warn")
        .stdout(std::process::Stdio::piped())
        .stderr(log_file)
        .kill_on_drop(true)
        .spawn()
        .context("start fairpanel serve")?;
    let mut lines = BufReader::new(child.stdout.take().context("serve's output")?).lines();
    let mut admin_pw = None;
    let ready = tokio::time::timeout(Duration::from_secs(60), async {
        while let Some(line) = lines.next_line().await? {
            if let Some(pw) = line.split("one-time password ").nth(1)
                && line.contains("\"admin\"")
            {
                admin_pw = Some(pw.trim().to_string());
            }
            if let Some(addr) = line.strip_prefix("fairpanel listening on ") {
                return Ok::<_, anyhow::Error>(addr.trim().to_string());
            }
        }
        bail!("serve stopped before listening (see its log)")
    })
    .await;
    let base = match ready {
        Ok(Ok(base)) => base,
        Ok(Err(e)) => return Err(e),
        Err(_) => bail!("serve did not start within 60 s"),
    };
    println!(
        "fairpanel demo: started `fairpanel serve --demo` on {base} with a temporary SQLite database"
    );
    println!(
        "  simulated clock: starts 8 minutes before drand quicknet round {ROUND} (2023-08-23), stepped by the demo"
    );
    // Keep draining serve's output so it never blocks on a full pipe.
    tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
    let admin_pw = admin_pw.context("serve did not print the first admin's password")?;
    let result = drive(&base, &admin_pw, out, &clock).await;
    let _ = child.start_kill();
    let _ = child.wait().await;
    if result.is_err()
        && let Ok(log) = std::fs::read_to_string(scratch.0.join("serve.log"))
    {
        eprintln!("serve's log:\n{log}");
    }
    result
}

/// The simulated clock `serve` reads: unix seconds in a file.
struct Clock(PathBuf);

impl Clock {
    fn set(&self, t: u64) -> Result<()> {
        // Written whole and renamed into place, so that a read never sees half.
        let tmp = self.0.with_extension("tmp");
        std::fs::write(&tmp, t.to_string())?;
        std::fs::rename(&tmp, &self.0).context("step the simulated clock")
    }
}

async fn drive(base: &str, admin_pw: &str, out: &Path, clock: &Clock) -> Result<()> {
    let http = Http::new(Duration::from_secs(30));
    let admin = login(&http, base, "admin", admin_pw).await?;
    let gd = "/api/v1/provinces/440000";
    let experts = admin.get(&format!("{gd}/experts")).await?;
    let names: std::collections::HashMap<String, String> = experts
        .as_array()
        .context("expert list")?
        .iter()
        .map(|e| {
            (
                e["expert_id"].as_str().unwrap_or_default().to_string(),
                e["name"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect();
    println!(
        "\n1. the pool: {} synthetic experts of 广东省 (440000), {} organisations",
        names.len(),
        ORGS.len()
    );
    let mut supervisors = Vec::new();
    for user in ["demo-supervisor-1", "demo-supervisor-2"] {
        let a = admin
            .post(
                "/api/v1/accounts",
                json!({"username": user, "role": "supervisor", "province": "440000"}),
            )
            .await?;
        supervisors.push(activate(&http, base, user, &a).await?);
    }
    println!("   two supervisor accounts created");

    let round = admin
        .post(
            &format!("{gd}/rounds"),
            json!({"year": 2023, "kind": "base_new", "title": "2023年广东省国家级高技能人才培训基地项目评审"}),
        )
        .await?;
    let rid = round["id"].as_i64().context("round id")?;
    for (k, org) in [ORGS[10], ORGS[17]].iter().enumerate() {
        admin
            .post(
                &format!("{gd}/rounds/{rid}/applications"),
                json!({
                    "ref_no": format!("GD2023-{:03}", k + 1), "applicant_org": org, "credit_code": null,
                    "kind": "base_new", "occupations": ["焊工", "电工", "钳工", "车工", "数控车工"],
                    "leader_name": null, "leader_level": null, "craft_exception": null,
                    "figures": {"annual_trainees": 2600, "high_skill_trainees": 1100, "pass_rate_pct": "93.5",
                                "satisfaction_pct": "95", "existing_national_studio": null},
                    "no_sanctions": true, "sanctions_evidence": "信用中国报告 XY-0001",
                    "notes": null
                }),
            )
            .await?;
    }
    println!(
        "2. round {rid} opened with two applications: {} and {}",
        ORGS[10], ORGS[17]
    );

    let request = json!({
        "title": "2023年广东省国家级高技能人才培训基地项目评审专家抽取",
        "panel": 7, "alternates": 3, "org_cap": 2,
        "quotas": [{"spec": "adv_manufacturing", "min": 2}, {"spec": "nursing", "min": 1}],
        "beacon": {"mode": "drand", "round": ROUND}, "entropy_window": 60
    });
    let preview = admin
        .post(&format!("{gd}/rounds/{rid}/draws/preview"), request.clone())
        .await?;
    println!(
        "3. preview: {} eligible, {} excluded (experts of the applicant organisations), feasible: {}",
        preview["eligible"],
        preview["excluded"].as_array().map(|a| a.len()).unwrap_or(0),
        preview["infeasible"].is_null()
    );
    let d = admin
        .post(&format!("{gd}/rounds/{rid}/draws"), request)
        .await?;
    let id = str_of(&d, "id")?.to_string();
    let draw = format!("{gd}/draws/{id}");
    println!(
        "4. committed draw {id} (log entry {}): panel 7 with quotas 先进制造 ≥ 2, 护理 ≥ 1, at most 2 per organisation, 3 alternates; beacon: drand quicknet round {ROUND}",
        d["commit_seq"]
    );
    let mut files = vec![save_bundle(&http, base, &id, out, "1-committed.json").await?];

    for (k, s) in supervisors.iter().enumerate() {
        let value = hex::encode(crate::keyfile::os_random());
        let r = s
            .post(&format!("{draw}/entropy"), json!({"value": value}))
            .await?;
        println!(
            "5. supervisor {} contributed {}… (log entry {})",
            k + 1,
            &value[..16],
            r["seq"]
        );
    }
    // Step the clock to the moment drand published the round, and record it.
    clock.set(beacon::round_time(ROUND))?;
    let r = http
        .send(
            "POST",
            &format!("{base}{draw}/beacon"),
            Some(&admin.token),
            Some(&json!({"round": ROUND, "signature": ROUND_SIG})),
        )
        .await?;
    if r.status != 200 {
        bail!(
            "recording the beacon: HTTP {}: {}",
            r.status,
            String::from_utf8_lossy(&r.body)
        );
    }
    println!("6. recorded drand quicknet round {ROUND}; its BLS signature verified offline");
    admin.post(&format!("{draw}/reveal"), json!({})).await?;
    let full = admin.get(&draw).await?;
    println!("7. revealed: the seed mixes the operator's secret, both contributions and the round");
    let seats = full["panel"].as_array().context("panel")?.clone();
    for (k, s) in seats.iter().enumerate() {
        let e = str_of(s, "expert_id")?;
        println!(
            "   seat {}: {} {} {} (token {}…)",
            k + 1,
            e,
            names.get(e).map(String::as_str).unwrap_or(""),
            spec_label(s["specialty"].as_str().unwrap_or("")),
            &str_of(s, "token")?[..12]
        );
    }
    let alts: Vec<String> = full["alternates"]
        .as_array()
        .context("alternates")?
        .iter()
        .filter_map(|a| a["expert_id"].as_str())
        .map(|e| format!("{e} {}", names.get(e).map(String::as_str).unwrap_or("")))
        .collect();
    println!("   alternates, in order: {}", alts.join(", "));
    files.push(save_bundle(&http, base, &id, out, "2-revealed.json").await?);

    // The last seat is filled after the quotas, so an alternate can take it.
    let last = seats.last().context("empty panel")?;
    let who = str_of(last, "expert_id")?;
    let r = admin
        .post(
            &format!("{draw}/declines"),
            json!({"expert_id": who, "reason": "schedule_conflict"}),
        )
        .await?;
    match r["replacement"].as_str() {
        Some(rep) => println!(
            "8. seat {} ({who} {}) declined; 补抽: the seat goes to {rep} {} by the replacement rule",
            seats.len(),
            names.get(who).map(String::as_str).unwrap_or(""),
            names.get(rep).map(String::as_str).unwrap_or("")
        ),
        None => println!(
            "8. seat {} declined; the alternates are exhausted: a new draw is needed",
            seats.len()
        ),
    }
    files.push(save_bundle(&http, base, &id, out, "3-declined.json").await?);

    admin
        .post(
            &format!("{gd}/rounds/{rid}/advance"),
            json!({"to": "scoring"}),
        )
        .await?;
    let rv = admin.get(&format!("{gd}/rounds/{rid}/rubric")).await?;
    let rubric: fairpanel_core::scoring::Rubric = serde_json::from_value(rv["rubric"].clone())?;
    println!(
        "9. scoring opened: rubric {} ({} indicators, 100 points, {} gates) and the panel fixed in the log",
        rubric.id,
        rubric.indicators.len(),
        rubric.gates.len()
    );
    let now = admin.get(&draw).await?;
    let apps = ["GD2023-001", "GD2023-002"];
    for (k, seat) in now["panel"].as_array().context("panel")?.iter().enumerate() {
        let e = str_of(seat, "expert_id")?;
        let user = format!("demo-expert-{}", k + 1);
        let a = admin
            .post(
                "/api/v1/accounts",
                json!({"username": user, "role": "expert", "province": "440000", "expert_id": e}),
            )
            .await?;
        let me = activate(&http, base, &user, &a).await?;
        // The pledge (承诺书) first; expert 7 declares a conflict with it.
        let pledge = me.get(&format!("{gd}/rounds/{rid}/pledge")).await?;
        let conflicts = if k == 6 {
            json!([{"application": apps[1], "reason": "曾在该申报单位兼职"}])
        } else {
            json!([])
        };
        me.post(
            &format!("{gd}/rounds/{rid}/pledge"),
            json!({"hash": str_of(&pledge, "hash")?, "conflicts": conflicts}),
        )
        .await?;
        for app in apps {
            if k == 6 && app == apps[1] {
                println!(
                    "   expert {} ({e}) declared a conflict with {app}: it is scored without them",
                    k + 1
                );
                continue;
            }
            let mut sheet = crate::scores::sample_sheet(&rubric, app, k);
            if k == 5 && app == apps[0] {
                for (s, ind) in sheet.scores.iter_mut().zip(&rubric.indicators) {
                    if !ind.objective {
                        s.points = rust_decimal::Decimal::ZERO;
                    }
                }
                sheet.explanation = Some("现场核查发现部分培训记录与申报材料不一致".into());
            }
            let r = me
                .post(
                    &format!("{gd}/rounds/{rid}/sheets/{app}/submit"),
                    serde_json::to_value(&sheet)?,
                )
                .await?;
            if sheet.explanation.is_some() {
                println!(
                    "   expert {} ({e}) gave {app} an abnormal total {} with a written explanation",
                    k + 1,
                    r["total"].as_str().unwrap_or("")
                );
            }
        }
    }
    let results = admin.get(&format!("{gd}/rounds/{rid}/results")).await?;
    std::fs::write(
        out.join("results.json"),
        serde_json::to_vec_pretty(&results)?,
    )?;
    println!("   every sheet is in; results (each sheet's hash is in the log):");
    for row in results["results"].as_array().context("results")? {
        let a = &row["aggregate"];
        println!(
            "   {}. {} final {} ({} sheets{}), median {}, spread {}{}",
            row["rank"],
            a["application"].as_str().unwrap_or(""),
            a["final_score"].as_str().unwrap_or(""),
            a["sheets"],
            if a["trimmed"] == true {
                ", highest and lowest dropped"
            } else {
                ""
            },
            a["median"].as_str().unwrap_or(""),
            a["spread"].as_str().unwrap_or(""),
            if row["recommended"] == true {
                " — recommended"
            } else {
                ""
            },
        );
    }
    println!(
        "   Kendall's W (panel agreement, information only): {}",
        results["kendalls_w"]
    );
    admin
        .post(
            &format!("{gd}/rounds/{rid}/advance"),
            json!({"to": "closed"}),
        )
        .await?;
    notice(&admin, &http, base, gd, rid, out, clock).await?;
    admin.post(&format!("{draw}/disclose"), json!({})).await?;
    println!(
        "10. the round closed: the seal entry fixes every sheet, the rule and the result; the disclosure entry opens the tokens of everyone seated and the alternates"
    );
    files.push(save_bundle(&http, base, &id, out, "4-disclosed.json").await?);
    let sheet = http
        .send(
            "GET",
            &format!("{base}{draw}/record"),
            Some(&admin.token),
            None,
        )
        .await?
        .ok()?;
    std::fs::write(out.join("record-sheet.html"), &sheet.body)?;

    let key = http
        .send("GET", &format!("{base}/api/v1/public/key"), None, None)
        .await?
        .ok()?
        .json()?;
    let pk = PublicKey::parse(str_of(&key, "base64")?)
        .map_err(|e| anyhow::anyhow!("the served key: {e}"))?;
    std::fs::write(out.join("key.pub"), format!("{}\n", pk.to_base64()))?;
    println!(
        "\n11. verified offline, as a third party would (fairpanel verify FILE --key key.pub):"
    );
    for f in &files {
        let bytes = std::fs::read(f)?;
        let report = verify_bundle(&bytes, Some(&pk))
            .map_err(|e| anyhow::anyhow!("{}: {e}", f.display()))?;
        let failed: Vec<&str> = report
            .checks
            .iter()
            .filter(|c| matches!(c.outcome, Outcome::Failed(_)))
            .map(|c| c.name)
            .collect();
        if !failed.is_empty() {
            bail!("{} failed {failed:?}", f.display());
        }
        let passed = report
            .checks
            .iter()
            .filter(|c| matches!(c.outcome, Outcome::Passed(_)))
            .count();
        println!(
            "    {}: {passed} checks pass, {} do not apply yet, none fails",
            f.display(),
            report.checks.len() - passed
        );
    }
    // 12. The review report and the filing (issue 14, items 5 and 6).
    let issued = admin
        .post(&format!("{gd}/rounds/{rid}/report"), json!({}))
        .await?;
    println!(
        "\n12. the review report issued: a report entry (seq {}) fixes its SHA-256 {}",
        issued["seq"],
        issued["sha256"].as_str().unwrap_or("")
    );
    for (ext, name) in [
        ("json", "report.json"),
        ("html", "report.html"),
        ("xlsx", "report.xlsx"),
    ] {
        let b = http
            .send(
                "GET",
                &format!("{base}{gd}/rounds/{rid}/report.{ext}"),
                Some(&admin.token),
                None,
            )
            .await?
            .ok()?;
        std::fs::write(out.join(name), &b.body)?;
    }
    let report_bytes = std::fs::read(out.join("report.json"))?;
    let checked = fairpanel_core::report::verify_report(&report_bytes, Some(&pk))
        .map_err(|e| anyhow::anyhow!("report.json: {e}"))?;
    if let Some(c) = checked.first_failure() {
        bail!("report.json failed {}", c);
    }
    println!(
        "    {}: {} checks pass (fairpanel verify report.json --key key.pub)",
        out.join("report.json").display(),
        checked
            .checks
            .iter()
            .filter(|c| matches!(c.outcome, Outcome::Passed(_)))
            .count()
    );
    let filed = admin
        .post(&format!("{gd}/rounds/{rid}/filing"), json!({}))
        .await?;
    let zip = http
        .send(
            "GET",
            &format!("{base}{gd}/rounds/{rid}/filing.zip"),
            Some(&admin.token),
            None,
        )
        .await?
        .ok()?;
    std::fs::write(out.join("filing.zip"), &zip.body)?;
    println!(
        "13. filed: the package (report, bundles, attachments, signed manifest) in {}; the filing entry (seq {}) holds the manifest's hash{}",
        out.join("filing.zip").display(),
        filed["seq"],
        if filed["late"] == true {
            ", marked late"
        } else {
            ""
        }
    );
    println!(
        "    {} (printable record sheet)\n\nBy hand: `fairpanel serve --demo`, then the same calls — see README.md, \"A draw by hand\".",
        out.join("record-sheet.html").display()
    );
    Ok(())
}

async fn save_bundle(http: &Http, base: &str, id: &str, out: &Path, file: &str) -> Result<PathBuf> {
    let b = http
        .send(
            "GET",
            &format!("{base}/api/v1/public/draws/{id}/bundle"),
            None,
            None,
        )
        .await?
        .ok()?;
    let path = out.join(file);
    std::fs::write(&path, &b.body)?;
    Ok(path)
}

/// The working-day calendar of 2023 (it does not ship: the service's files
/// start with 2024), as the General Office of the State Council announced it,
/// in the form an admin adds a year with.
pub fn calendar_2023() -> serde_json::Value {
    let holiday = |name: &str, from: &str, to: &str, working: &[&str]| json!({"name": name, "from": from, "to": to, "working": working});
    json!({
        "year": 2023,
        "source": "国务院办公厅关于2023年部分节假日安排的通知（国办发明电〔2022〕16号）",
        "published": "2022-12-08",
        "holidays": [
            holiday("元旦", "2023-01-01", "2023-01-02", &[]),
            holiday("春节", "2023-01-21", "2023-01-27", &["2023-01-28", "2023-01-29"]),
            holiday("清明节", "2023-04-05", "2023-04-05", &[]),
            holiday("劳动节", "2023-04-29", "2023-05-03", &["2023-04-23", "2023-05-06"]),
            holiday("端午节", "2023-06-22", "2023-06-24", &["2023-06-25"]),
            holiday("中秋节、国庆节", "2023-09-29", "2023-10-06", &["2023-10-07", "2023-10-08"]),
        ],
    })
}

/// The public notice (公示) of the sealed results: the year's working-day
/// calendar added by the admin (2023 does not ship), the notice published for
/// 5 working days from Monday 28 August 2023, one objection filed through the
/// public API and rejected with a written answer, the clock stepped past the
/// period's last day, the notice closed; the public page saved as
/// `notice.html`.
async fn notice(
    admin: &Session<'_>,
    http: &Http,
    base: &str,
    gd: &str,
    rid: i64,
    out: &Path,
    clock: &Clock,
) -> Result<()> {
    admin
        .post("/api/v1/calendar/years", calendar_2023())
        .await?;
    let n = admin
        .post(
            &format!("{gd}/rounds/{rid}/notice"),
            json!({"columns": ["rank", "organisation", "kind", "score"], "start": "2023-08-28"}),
        )
        .await?;
    let nid = n["id"].as_i64().context("the notice's id")?;
    println!(
        "9a. the round sealed; the notice (公示) of its results published: {} to {} ({} working days), its text's SHA-256 {} in the notice entry at seq {}",
        str_of(&n, "start")?,
        str_of(&n, "end")?,
        n["working_days"],
        str_of(&n, "text_sha256")?,
        n["seq"]
    );
    let project = n["projects"][0].as_str().context("a listed project")?;
    let r = http
        .send(
            "POST",
            &format!("{base}/api/v1/public/notices/{nid}/objections"),
            None,
            Some(&json!({"project": project, "grounds": "该单位近三年培训规模数据与统计年鉴不一致。"})),
        )
        .await?
        .ok()?
        .json()?;
    let reference = str_of(&r, "reference")?.to_string();
    admin
        .post(
            &format!("{gd}/rounds/{rid}/notice/objections/{reference}/handling"),
            json!({"outcome": "rejected", "answer": "经核查，申报数据与人社部门备案的培训台账一致，统计口径不同所致，异议不成立。"}),
        )
        .await?;
    println!(
        "9b. objection {reference} (to {project}) received through the public form and rejected with a written answer"
    );
    // Past the period's last day, Friday 1 September 2023, in Beijing.
    clock.set(1_693_584_600)?;
    let c = admin
        .post(&format!("{gd}/rounds/{rid}/notice/close"), json!({}))
        .await?;
    println!(
        "9c. the notice closed after its period: the notice_close entry at seq {} counts 1 objection, 0 upheld, 1 rejected (no names)",
        c["close_seq"]
    );
    let page = http
        .send("GET", &format!("{base}/notices/{nid}"), None, None)
        .await?
        .ok()?;
    std::fs::write(out.join("notice.html"), &page.body)?;
    Ok(())
}
