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
/// The leader's level a studio normally needs.
pub const STUDIO_LEADER_LEVEL: &str = "高级技师";

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

/// The reasons `a` fails the hard conditions of its kind (none: eligible).
pub fn screen(a: &ApplicationRecord) -> Vec<String> {
    let f = &a.figures;
    let mut out = Vec::new();
    let trainees = |min: u32, out: &mut Vec<String>| match f.annual_trainees {
        None => out.push("未填写年培训人次 / yearly training volume not given".into()),
        Some(n) if n < min => out.push(format!(
            "年培训人次 {n} 低于 {min} / yearly training volume {n} is below {min}"
        )),
        Some(_) => {}
    };
    match a.kind {
        Kind::BaseNew => {
            trainees(NEW_BASE_TRAINEES, &mut out);
            if a.occupations.len() < NEW_BASE_OCCUPATIONS {
                out.push(format!(
                    "实训职业(工种) {} 个，少于 {NEW_BASE_OCCUPATIONS} 个 / {} occupations, fewer than {NEW_BASE_OCCUPATIONS}",
                    a.occupations.len(),
                    a.occupations.len()
                ));
            }
        }
        Kind::BaseExisting => {
            trainees(EXISTING_BASE_TRAINEES, &mut out);
            match f.high_skill_trainees {
                None => out.push("未填写高技能人才培训人次 / high-skill volume not given".into()),
                Some(n) if n < EXISTING_BASE_HIGH_SKILL => out.push(format!(
                    "高技能人才培训人次 {n} 低于 {EXISTING_BASE_HIGH_SKILL} / high-skill volume {n} is below {EXISTING_BASE_HIGH_SKILL}"
                )),
                Some(_) => {}
            }
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
            let senior = a.leader_level.as_deref() == Some(STUDIO_LEADER_LEVEL);
            let craft = a
                .craft_exception
                .as_deref()
                .is_some_and(|c| !c.trim().is_empty());
            if !senior && !craft {
                out.push(format!(
                    "带头人技能等级不是{STUDIO_LEADER_LEVEL}，也没有记录传统技艺例外 / the leader is not at {STUDIO_LEADER_LEVEL} level and no traditional-craft exception is recorded"
                ));
            }
            if f.existing_national_studio == Some(true) {
                out.push("带头人已有同单位国家级技能大师工作室，不得重复申报 / the leader already holds a national studio with this organisation".into());
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
            "notes": null
        }))
        .unwrap()
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
