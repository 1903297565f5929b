//! `fairpanel demo`: sample draws over a synthetic province pool, offline, with a
//! throw-away key and the recorded drand quicknet round 1000. Each bundle is
//! written as a `.json` file and verified, as a third party would.

use anyhow::{Context, Result};
use fairpanel_core::SecretKey;
use fairpanel_core::beacon;
use fairpanel_core::draw::Candidate;
use fairpanel_core::entry::{Body, RosterChange};
use fairpanel_core::hash::{tag, tagged};
use fairpanel_core::ledger::Ledger;
use fairpanel_core::script::{BeaconPlan, Commitment, ScriptedDraw};
use fairpanel_core::types::{DrawId, DrawSpec, Province, Quota, ReasonCode, Specialty};
use fairpanel_core::verify::verify_bundle;
use std::path::Path;

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

/// A synthetic province pool of `n` experts, the same for a given `n`.
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
            organisation: c
                .org
                .split_once(' ')
                .map(|(_, n)| n.to_string())
                .unwrap_or(c.org),
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
                // A stand-in for the unified social credit code.
                org: format!("9144{:014}", (i * 11) % ORGS.len() * 7919 + 100_003),
                spec: Specialty::try_from(
                    DEMO_SPECIALTIES[(i * 5 + i / 7) % DEMO_SPECIALTIES.len()].0,
                )
                .unwrap(),
                excluded: None,
            }
            .with_org_name(org)
        })
        .collect()
}

trait WithOrgName {
    fn with_org_name(self, name: &str) -> Self;
}

impl WithOrgName for Candidate {
    /// The demo's organisation id is "code name", so disclosures read naturally.
    fn with_org_name(mut self, name: &str) -> Self {
        self.org = format!("{} {name}", self.org);
        self
    }
}

fn spec_label(code: &str) -> &'static str {
    DEMO_SPECIALTIES
        .iter()
        .find(|(c, _)| *c == code)
        .map(|(_, l)| *l)
        .unwrap_or("")
}

const ROUND: u64 = 1000;
const ROUND_SIG: &str = "b44679b9a59af2ec876b1a6b1ad52ea9b1615fc3982b19576350f93447cb1125e342b73a8dd2bacbe47e4b6b63ed5e39";

struct Plan {
    file: &'static str,
    title: &'static str,
    spec: DrawSpec,
    /// Experts of these organisations (indexes into ORGS) are excluded: applicants.
    applicant_orgs: &'static [usize],
    /// Seats (0-based) whose experts decline, in order.
    declines: &'static [usize],
    disclose: bool,
}

fn quota(spec: &str, min: u32) -> Quota {
    Quota {
        min,
        spec: Specialty::try_from(spec).unwrap(),
    }
}

pub fn run(out: &Path) -> Result<()> {
    std::fs::create_dir_all(out).with_context(|| format!("create {}", out.display()))?;
    let key = SecretKey::from_seed(&crate::keyfile::os_random());
    let public = key.public();
    std::fs::write(out.join("key.pub"), format!("{}\n", public.to_base64()))?;
    let province = Province::try_from("440000").unwrap();
    let mut log = Ledger::new("fairpanel.demo/广东", key);
    let roster = synthetic_roster(320);
    println!(
        "fairpanel demo: a synthetic pool of {} experts in {} ({}), {} organisations",
        roster.len(),
        province.name(),
        province,
        ORGS.len()
    );
    println!(
        "throw-away log key {} (public key in {})",
        public.key_id(),
        out.join("key.pub").display()
    );

    // The roster import, as the log records it: a hash and counts only.
    let first_commit = beacon::round_time(ROUND) - 90;
    log.append(
        first_commit - 86_400,
        Some(&province),
        Body::RosterChange(RosterChange {
            action: ReasonCode::try_from("import").unwrap(),
            changed: roster.len() as u64,
            roster: tagged(tag::ROSTER, &[b"demo roster"]),
            size: roster.len() as u64,
        }),
    );

    let plans = [
        Plan {
            file: "1-plain.json",
            title: "2023年广东省国家级技能大师工作室项目评审专家抽取（无约束）",
            spec: DrawSpec {
                panel: 7,
                alternates: 3,
                org_cap: None,
                quotas: vec![],
            },
            applicant_orgs: &[],
            declines: &[],
            disclose: false,
        },
        Plan {
            file: "2-quotas-and-cap.json",
            title: "2023年广东省国家级高技能人才培训基地项目评审专家抽取（专业配额、单位上限）",
            spec: DrawSpec {
                panel: 9,
                alternates: 4,
                org_cap: Some(1),
                quotas: vec![
                    quota("adv_manufacturing", 2),
                    quota("nursing", 1),
                    quota("elderly_care", 1),
                    quota("childcare", 1),
                ],
            },
            applicant_orgs: &[10, 17, 20],
            declines: &[],
            disclose: false,
        },
        Plan {
            file: "3-replacement.json",
            title: "2023年广东省国家级技能大师工作室项目评审专家抽取（补抽）",
            spec: DrawSpec {
                panel: 5,
                alternates: 3,
                org_cap: None,
                quotas: vec![quota("domestic_services", 1)],
            },
            applicant_orgs: &[23],
            // The last seat is filled after the quota, so any alternate keeps the
            // constraints: this decline is always replaced.
            declines: &[4],
            disclose: false,
        },
        Plan {
            file: "4-disclosed.json",
            title: "2023年广东省国家级高技能人才培训基地项目评审专家抽取（评审结束后公开）",
            spec: DrawSpec {
                panel: 7,
                alternates: 2,
                org_cap: Some(2),
                quotas: vec![quota("strategic_emerging", 2)],
            },
            applicant_orgs: &[11, 14],
            declines: &[],
            disclose: true,
        },
    ];

    // Commit every draw first (each before round 1000 is published), then
    // contributions, the round, the reveals, declines and the disclosure.
    let mut draws = Vec::new();
    for (k, p) in plans.iter().enumerate() {
        let time = first_commit + 10 * k as u64;
        let cands: Vec<Candidate> = roster
            .iter()
            .map(|c| {
                let mut c = c.clone();
                if p.applicant_orgs.iter().any(|&o| c.org.ends_with(ORGS[o])) {
                    c.excluded = Some(ReasonCode::try_from("applicant_org").unwrap());
                }
                c
            })
            .collect();
        let d = ScriptedDraw::commit(
            &mut log,
            crate::keyfile::os_random(),
            Commitment {
                province: province.clone(),
                draw: DrawId::try_from(format!("gd-2023-demo-{}", k + 1)).unwrap(),
                title: p.title,
                spec: p.spec.clone(),
                candidates: &cands,
                time,
                // Target round 1000 for every draw: the margin is what is left.
                beacon: BeaconPlan::Margin(beacon::round_time(ROUND) - time),
                entropy_window: beacon::round_time(ROUND) - 10 - time,
            },
        )
        .map_err(|e| anyhow::anyhow!("{}: infeasible draw: {e}", p.file))?;
        println!(
            "\ncommitted {} — {}\n  pool {} eligible, {} excluded (applicant organisations); panel {}, {} alternates, quotas [{}], org cap {}",
            d.draw,
            p.title,
            d.pool.leaves.len(),
            d.pool.excluded.len(),
            p.spec.panel,
            p.spec.alternates,
            p.spec
                .quotas
                .iter()
                .map(|q| format!("{}({}) ≥ {}", q.spec, spec_label(q.spec.as_str()), q.min))
                .collect::<Vec<_>>()
                .join(", "),
            p.spec
                .org_cap
                .map(|c| c.to_string())
                .unwrap_or_else(|| "none".into()),
        );
        draws.push(d);
    }
    let sup_key = SecretKey::from_seed(&crate::keyfile::os_random());
    let last_commit = draws.last().map(|d| d.commit_time).unwrap_or(first_commit);
    for (k, d) in draws.iter_mut().enumerate() {
        let t = last_commit + 5 + 2 * k as u64;
        d.entropy(&mut log, t, "监督员 纪检组 王某", Some(&sup_key));
        d.entropy(&mut log, t + 1, "监督员 财政厅 李某", None);
    }
    for d in draws.iter_mut() {
        d.beacon(&mut log, beacon::round_time(ROUND) + 5, ROUND, ROUND_SIG);
    }
    for d in draws.iter_mut() {
        d.reveal(&mut log, beacon::round_time(ROUND) + 30, |_| {});
        println!(
            "\n{} revealed (drand quicknet round {ROUND}, 2 supervisors):",
            d.draw
        );
        for (seat, &i) in d.panel.iter().enumerate() {
            let o = d.opening(i);
            println!(
                "  seat {}: {} {} {}",
                seat + 1,
                &d.pool.leaves[i as usize].token.to_string()[..12],
                o.name,
                spec_label(d.pool.leaves[i as usize].spec.as_str())
            );
        }
        println!(
            "  alternates: {}",
            d.alternates
                .iter()
                .map(|&i| format!(
                    "{} {}",
                    &d.pool.leaves[i as usize].token.to_string()[..12],
                    d.opening(i).name
                ))
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    // Later, in log order: declines (补抽), then the disclosure after the review.
    let mut t = beacon::round_time(ROUND) + 3_600;
    for (d, p) in draws.iter_mut().zip(&plans) {
        for &k in p.declines {
            let name = d.opening(d.panel[k]).name.clone();
            t += 3_600;
            match d.decline(
                &mut log,
                t,
                k,
                ReasonCode::try_from("schedule_conflict").unwrap(),
                |_| {},
            ) {
                Some(_) => println!(
                    "\n{}: seat {} ({name}) declined; 补抽: the seat goes to {} by the replacement rule",
                    d.draw,
                    k + 1,
                    d.opening(d.panel[k]).name
                ),
                None => println!(
                    "\n{}: seat {} ({name}) declined; the alternates are exhausted: a new draw is needed",
                    d.draw,
                    k + 1
                ),
            }
        }
    }
    for (d, p) in draws.iter_mut().zip(&plans) {
        if p.disclose {
            d.disclose(&mut log, beacon::round_time(ROUND) + 30 * 86_400);
            println!(
                "\n{}: review closed; disclosure entry published (names of the panel and alternates)",
                d.draw
            );
        }
    }

    println!(
        "\nbundles (each verified offline against {}):",
        out.join("key.pub").display()
    );
    for (d, p) in draws.iter().zip(&plans) {
        let bytes = d.bundle(&log);
        let path = out.join(p.file);
        std::fs::write(&path, &bytes).with_context(|| format!("write {}", path.display()))?;
        let report = verify_bundle(&bytes, Some(&public)).map_err(|e| anyhow::anyhow!("{e}"))?;
        if let Some(f) = report.first_failure() {
            anyhow::bail!("{} does not verify: {f}", path.display());
        }
        println!(
            "  {}  ({} bytes): all {} checks passed or not yet applicable",
            path.display(),
            bytes.len(),
            report.checks.len()
        );
    }
    println!(
        "\ncheck one yourself: fairpanel verify {} --key {}",
        out.join(plans[3].file).display(),
        out.join("key.pub").display()
    );
    Ok(())
}
