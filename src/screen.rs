//! The eligibility screen: each application against the policy's hard
//! conditions for its kind (人社部发〔2022〕62号). A failed screen is shown to
//! the coordinator with its reasons; such an application is not scored unless a
//! coordinator overrides the screen with a written reason, which is logged.

use crate::applications::{ApplicationRecord, Kind};
use rust_decimal::Decimal;
use serde::Serialize;

/// Thresholds from the policy.
pub const NEW_BASE_TRAINEES: u32 = 2000;
pub const NEW_BASE_OCCUPATIONS: usize = 5;
pub const EXISTING_BASE_TRAINEES: u32 = 3000;
pub const EXISTING_BASE_HIGH_SKILL: u32 = 1000;
pub const MIN_PERCENT: i64 = 90;
/// The years an existing base must have been designated in.
pub const DESIGNATION_YEARS: std::ops::RangeInclusive<u16> = 2011..=2020;
/// The leader's levels a studio normally needs: 高级技师 and the two levels
/// above it in the current eight-level system.
pub const STUDIO_LEADER_LEVELS: [&str; 3] = ["高级技师", "特级技师", "首席技师"];

/// An application's screen.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Screened {
    pub application: String,
    /// Passed the screen.
    pub eligible: bool,
    /// Why not, Chinese then English; empty when eligible.
    pub reasons: Vec<String>,
    /// A coordinator's written reason for scoring it anyway.
    pub overridden: Option<String>,
}

impl Screened {
    /// Whether the application is scored.
    pub fn scored(&self) -> bool {
        self.eligible || self.overridden.is_some()
    }
}

fn pct(v: &Option<String>) -> Option<Decimal> {
    v.as_deref().and_then(|s| s.parse().ok())
}

/// A studio already recommended by a sealed round of this service: its
/// leader and its organisation's keys (its normalised name, and its credit
/// code when known; see [`org_keys`]).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct EarlierStudio {
    pub leader: String,
    pub orgs: Vec<String>,
}

/// The keys one organisation is known by: the normalised name and, when
/// recorded, the credit code (the rule of `fairpanel_core::tags::org_key`). Two
/// applications are of the same organisation when they share one.
pub fn org_keys(a: &ApplicationRecord) -> Vec<String> {
    let mut keys = vec![fairpanel_core::tags::org_key("", &a.applicant_org)];
    if let Some(code) = &a.credit_code {
        let k = fairpanel_core::tags::org_key(code, &a.applicant_org);
        if !keys.contains(&k) {
            keys.push(k);
        }
    }
    keys
}

/// The studios this service's sealed rounds of province `p` recommended,
/// other than round `except`'s: read from the seals in the log (which
/// applications were recommended) and those rounds' applications.
pub async fn earlier_studios(
    store: &crate::store::Store,
    p: &fairpanel_core::types::Province,
    except: i64,
) -> anyhow::Result<Vec<EarlierStudio>> {
    use fairpanel_core::entry::{self, Body};
    let seals: Vec<(Vec<u8>,)> = crate::with_pool!(store, pool => sqlx::query_as(
        "SELECT bytes FROM log_entries WHERE kind = 'seal' AND province = $1 ORDER BY seq")
        .bind(p.as_str().to_string())
        .fetch_all(pool)
        .await?);
    // The last seal of each round counts.
    let mut recommended: std::collections::BTreeMap<i64, Vec<String>> = Default::default();
    for (bytes,) in seals {
        let Body::Seal(seal) = entry::parse(&bytes)
            .map_err(|e| anyhow::anyhow!("a stored seal does not parse: {e}"))?
            .body
        else {
            anyhow::bail!("a seal row holds another kind of entry");
        };
        // The service names its rounds `{province}-{year}-r{id}`.
        let Some(rid) = seal
            .round
            .as_str()
            .rsplit_once("-r")
            .and_then(|(_, n)| n.parse::<i64>().ok())
        else {
            continue;
        };
        if rid == except {
            continue;
        }
        recommended.insert(
            rid,
            seal.results
                .iter()
                .filter(|r| r.recommended)
                .map(|r| r.application.clone())
                .collect(),
        );
    }
    let mut out = Vec::new();
    for (rid, refs) in recommended {
        for a in store.applications(rid).await? {
            if a.kind == Kind::Studio
                && refs.contains(&a.ref_no)
                && let Some(leader) = &a.leader_name
            {
                out.push(EarlierStudio {
                    leader: leader.trim().to_string(),
                    orgs: org_keys(&a),
                });
            }
        }
    }
    Ok(out)
}

/// The reasons `a` fails the hard conditions of its kind (none: eligible),
/// with no earlier studios known.
pub fn screen(a: &ApplicationRecord) -> Vec<String> {
    screen_with(a, &[])
}

/// 1.新建项目应同时满足以下基本条件 — the conditions a new base meets, and an
/// existing base too (「（2）符合新建项目遴选条件」).
fn new_base_conditions(a: &ApplicationRecord, out: &mut Vec<String>) {
    // 「遵守国家有关法律法规，近3年未受过刑事处罚和失信联合惩戒。」
    match a.no_sanctions {
        Some(true)
            if a.sanctions_evidence
                .as_deref()
                .is_some_and(|e| !e.trim().is_empty()) => {}
        Some(true) => out.push(
            "未填写近3年无刑事处罚和失信联合惩戒的核查凭证 / the no-sanctions declaration has no evidence reference".into(),
        ),
        Some(false) => out.push(
            "近3年受过刑事处罚或失信联合惩戒 / a criminal penalty or joint credit sanction in the last 3 years".into(),
        ),
        None => out.push(
            "未声明近3年无刑事处罚和失信联合惩戒 / no declaration of the absence of criminal penalties and joint credit sanctions in the last 3 years".into(),
        ),
    }
    // 「能满足年培训2000人次以上的需要。」
    trainees(a, NEW_BASE_TRAINEES, out);
    // 「具有5个以上职业工种与经济发展急需紧缺高技能人才培训特色专业相匹配的实习实训条件」
    if a.occupations.len() < NEW_BASE_OCCUPATIONS {
        out.push(format!(
            "实训职业(工种) {} 个，少于 {NEW_BASE_OCCUPATIONS} 个 / {} occupations, fewer than {NEW_BASE_OCCUPATIONS}",
            a.occupations.len(),
            a.occupations.len()
        ));
    }
}

fn trainees(a: &ApplicationRecord, min: u32, out: &mut Vec<String>) {
    match a.figures.annual_trainees {
        None => out.push("未填写年培训人次 / yearly training volume not given".into()),
        Some(n) if n < min => out.push(format!(
            "年培训人次 {n} 低于 {min} / yearly training volume {n} is below {min}"
        )),
        Some(_) => {}
    }
}

/// The reasons `a` fails the hard conditions of its kind (none: eligible);
/// `earlier` are the studios this service's sealed rounds already recommended.
pub fn screen_with(a: &ApplicationRecord, earlier: &[EarlierStudio]) -> Vec<String> {
    let f = &a.figures;
    let mut out = Vec::new();
    match a.kind {
        Kind::BaseNew => new_base_conditions(a, &mut out),
        Kind::BaseExisting => {
            // 「已建项目应从2011—2020年确定的国家级高技能人才培训基地中选取」
            match a.designation_year {
                None => out.push(
                    "未填写确定为国家级基地的年份 / the year the base was designated is not given".into(),
                ),
                Some(y) if !DESIGNATION_YEARS.contains(&y) => out.push(format!(
                    "{y}年确定的基地不在2011—2020年确定的国家级基地之列 / designated in {y}, not among the bases designated 2011–2020"
                )),
                Some(_) => {}
            }
            // 「（2）符合新建项目遴选条件。」
            new_base_conditions(a, &mut out);
            // 「年度开展培训规模3000人次以上，其中高技能人才不少于1000人次。」
            // (The 2000 of a new base is then met too: its message would repeat.)
            out.retain(|r| !r.starts_with("年培训人次"));
            trainees(a, EXISTING_BASE_TRAINEES, &mut out);
            match f.high_skill_trainees {
                None => out.push("未填写高技能人才培训人次 / high-skill volume not given".into()),
                Some(n) if n < EXISTING_BASE_HIGH_SKILL => out.push(format!(
                    "高技能人才培训人次 {n} 低于 {EXISTING_BASE_HIGH_SKILL} / high-skill volume {n} is below {EXISTING_BASE_HIGH_SKILL}"
                )),
                Some(_) => {}
            }
            // 「年度培训合格率达到90%以上，企业及劳动者调查评价满意率达到90%以上。」
            for (name, en, v) in [
                ("培训合格率", "pass rate", &f.pass_rate_pct),
                ("满意率", "satisfaction", &f.satisfaction_pct),
            ] {
                match pct(v) {
                    None => out.push(format!("未填写{name} / {en} not given")),
                    Some(p) if p < Decimal::from(MIN_PERCENT) => out.push(format!(
                        "{name} {p}% 低于 {MIN_PERCENT}% / {en} {p}% is below {MIN_PERCENT}%"
                    )),
                    Some(_) => {}
                }
            }
        }
        Kind::Studio => {
            // 「工作室带头人一般应具有高级技师职业技能水平……或具有绝技绝活并在
            // 积极挖掘和传承传统工艺上作出较大贡献。」
            let senior = a
                .leader_level
                .as_deref()
                .is_some_and(|l| STUDIO_LEADER_LEVELS.contains(&l));
            let craft = a
                .craft_exception
                .as_deref()
                .is_some_and(|c| !c.trim().is_empty());
            if !senior && !craft {
                out.push(
                    "带头人技能等级不是高级技师及以上（特级技师、首席技师），也没有记录传统技艺例外 / \
                     the leader is below senior technician (高级技师, 特级技师, 首席技师) and no traditional-craft exception is recorded"
                        .into(),
                );
            }
            // 「已确定为国家级技能大师工作室的高技能人才，不得以相同单位再次申报。」
            if f.existing_national_studio == Some(true) {
                out.push("带头人已有同单位国家级技能大师工作室，不得重复申报 / the leader already holds a national studio with this organisation".into());
            } else if let Some(leader) = a.leader_name.as_deref() {
                let orgs = org_keys(a);
                if earlier
                    .iter()
                    .any(|e| e.leader == leader.trim() && e.orgs.iter().any(|k| orgs.contains(k)))
                {
                    out.push("本系统已推荐过该带头人以同一单位申报的国家级技能大师工作室，不得重复申报 / this service already recommended a studio of this leader with this organisation".into());
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn app(kind: &str) -> ApplicationRecord {
        serde_json::from_value(serde_json::json!({
            "ref_no": "A1", "applicant_org": "某单位", "credit_code": null, "kind": kind,
            "occupations": ["焊工", "电工", "钳工", "车工", "铣工"],
            "leader_name": if kind == "studio" { Some("张三") } else { None },
            "leader_level": if kind == "studio" { Some("高级技师") } else { None },
            "craft_exception": null,
            "figures": {"annual_trainees": 3200, "high_skill_trainees": 1100, "pass_rate_pct": "92",
                        "satisfaction_pct": "95", "existing_national_studio": if kind == "studio" { Some(false) } else { None }},
            "designation_year": if kind == "base_existing" { Some(2015) } else { None },
            "no_sanctions": true, "sanctions_evidence": "信用中国 XY-1",
            "notes": null
        }))
        .unwrap()
    }

    /// Each condition of the seed (lines 21–29) with a passing and a failing
    /// application.
    #[test]
    fn every_condition_of_the_policy_passes_and_fails() {
        // 近3年未受过刑事处罚和失信联合惩戒: bases, new and existing.
        for k in ["base_new", "base_existing"] {
            let mut a = app(k);
            assert!(screen(&a).is_empty(), "{k}");
            a.no_sanctions = None;
            assert!(screen(&a)[0].contains("未声明"), "{k}: {:?}", screen(&a));
            a.no_sanctions = Some(false);
            assert!(screen(&a)[0].contains("受过刑事处罚"), "{k}");
            a.no_sanctions = Some(true);
            a.sanctions_evidence = Some("  ".into());
            assert!(screen(&a)[0].contains("核查凭证"), "{k}");
        }
        // 从2011—2020年确定的国家级高技能人才培训基地中选取.
        let mut e = app("base_existing");
        for (year, ok) in [
            (Some(2011), true),
            (Some(2020), true),
            (Some(2010), false),
            (Some(2021), false),
            (None, false),
        ] {
            e.designation_year = year;
            assert_eq!(screen(&e).is_empty(), ok, "{year:?}: {:?}", screen(&e));
        }
        // 已建 符合新建项目遴选条件: the occupation count too.
        let mut e = app("base_existing");
        e.occupations.truncate(4);
        let r = screen(&e);
        assert_eq!(r.len(), 1, "{r:?}");
        assert!(r[0].contains("少于 5"));
        // Below 2000 an existing base is told once, with its own 3000.
        let mut e = app("base_existing");
        e.figures.annual_trainees = Some(1500);
        let r = screen(&e);
        assert_eq!(r.len(), 1, "{r:?}");
        assert!(r[0].contains("低于 3000"));
        // 高级技师 and the levels above it.
        for (level, ok) in [
            ("高级技师", true),
            ("特级技师", true),
            ("首席技师", true),
            ("技师", false),
            ("高级工程师", false),
        ] {
            let mut s = app("studio");
            s.leader_level = Some(level.into());
            assert_eq!(screen(&s).is_empty(), ok, "{level}");
        }
        // 不得以相同单位再次申报: against this service's earlier recommendations,
        // the organisation compared as avoidance compares it.
        let s = app("studio");
        let earlier = |leader: &str, org: &str| EarlierStudio {
            leader: leader.into(),
            orgs: vec![fairpanel_core::tags::org_key("", org)],
        };
        assert_eq!(screen_with(&s, &[earlier("张三", " 某单位 ")]).len(), 1);
        assert!(screen_with(&s, &[earlier("张三", "另一单位")]).is_empty());
        assert!(screen_with(&s, &[earlier("李四", "某单位")]).is_empty());
    }

    #[test]
    fn each_kind_is_held_to_its_own_conditions() {
        for k in ["base_new", "base_existing", "studio"] {
            assert!(screen(&app(k)).is_empty(), "{k}: {:?}", screen(&app(k)));
        }
        let mut a = app("base_new");
        a.figures.annual_trainees = Some(1999);
        a.occupations.truncate(4);
        let r = screen(&a);
        assert_eq!(r.len(), 2, "{r:?}");
        assert!(r[0].contains("1999") && r[1].contains("4"));
        // 2000 is enough for a new base, not for an existing one.
        a.figures.annual_trainees = Some(2000);
        a.occupations.push("铣工".into());
        assert!(screen(&a).is_empty());
        let mut e = app("base_existing");
        e.figures.annual_trainees = Some(2000);
        e.figures.high_skill_trainees = Some(999);
        e.figures.pass_rate_pct = Some("89.99".into());
        e.figures.satisfaction_pct = None;
        let r = screen(&e);
        assert_eq!(r.len(), 4, "{r:?}");
        e.figures = app("base_existing").figures;
        e.figures.pass_rate_pct = Some("90".into());
        assert!(screen(&e).is_empty(), "90 % is enough");
        let mut s = app("studio");
        s.leader_level = Some("技师".into());
        assert_eq!(screen(&s).len(), 1);
        s.craft_exception = Some("广绣传承人".into());
        assert!(
            screen(&s).is_empty(),
            "a recorded craft exception stands in"
        );
        s.figures.existing_national_studio = Some(true);
        assert_eq!(screen(&s).len(), 1);
    }
}
