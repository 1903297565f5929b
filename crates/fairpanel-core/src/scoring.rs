//! The scoring rules of a review: rubrics, score sheets, abnormal totals, the final
//! score of an application, the ranking, the recommendation and the panel's
//! concordance. The service applies them when experts sign off; the offline verifier
//! applies the same functions to the published sheets and must reach the same
//! numbers, so everything here is exact decimal or integer arithmetic, with no
//! floats, no clock and no I/O.
//!
//! # The rules
//!
//! - **Rubric.** Indicators with maxima that add up to exactly 100 points, each
//!   scored on a step (e.g. 0.5), plus pass/fail gates for the policy's hard
//!   conditions (人社部发〔2022〕62号). [`default_rubrics`] gives one per kind.
//! - **Sheet.** One expert's scores for one application: every indicator scored
//!   exactly once, from 0 to its maximum, on its step; every gate answered
//!   ([`validate_sheet`]). The sheet's total is the sum of its points.
//! - **Abnormal total.** A total is abnormal when it lies [`ABNORMAL_POINTS`] (15)
//!   points or more above or below the median of the *other* experts' totals for
//!   the same application; the rule applies only when at least 2 other totals exist
//!   ([`abnormal`]). An abnormal sheet needs a written, non-blank explanation.
//! - **Gates.** A gate of an application passes when more than half of its valid
//!   sheets answer "pass"; an application with a failed gate is ranked but is not
//!   eligible for recommendation ([`failed_gates`]).
//! - **Final score.** With [`TRIM_FROM`] (5) or more totals, one highest and one
//!   lowest are dropped and the rest averaged; with fewer, the plain mean. The mean
//!   is computed exactly and rounded half-up (away from zero) to 2 decimals
//!   ([`aggregate`]). The median reported with it is rounded the same way.
//! - **Ranking.** Final score descending; ties broken by the higher (rounded)
//!   median, then the higher lowest total, then the application reference in
//!   ascending byte order ([`compare`]).
//! - **Recommendation.** The best `quota − already_recommended` eligible
//!   applications, none if that is not positive ([`recommend`]; the policy's
//!   quota is [`DEFAULT_QUOTA`] = 5 per province per year).
//! - **Concordance.** Kendall's W over the panel, with tied ranks averaged and the
//!   tie correction, as information only ([`kendalls_w`]).
//!
//! # Encoding
//!
//! Every decimal in these records (maxima, steps, points, totals, results) is a JSON
//! string with exactly two decimals, e.g. `"87.50"`, `"0.50"`, `"100.00"`: one
//! spelling per value, no JSON numbers (see [`dec2`]). Inputs refuse unknown fields.

use crate::hash::{Hash32, tagged};
use crate::jcs;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::cmp::Ordering;
use std::collections::BTreeSet;

/// The domain tag of [`Rubric::hash`].
///
/// It lives here rather than in `hash::tag` for now; whoever integrates scoring
/// into the protocol should move it into `hash::tag` (and `tag::ALL`, and
/// `docs/PROTOCOL.md`) without changing its value.
pub const RUBRIC_TAG: &str = crate::hash::tag::RUBRIC;

/// The points a rubric's maxima add up to.
pub const TOTAL_POINTS: Decimal = Decimal::ONE_HUNDRED;

/// A total this many points or more away from the median of the other experts'
/// totals is abnormal and must be explained.
pub const ABNORMAL_POINTS: Decimal = Decimal::from_parts(15, 0, 0, false, 0);

/// The abnormal rule applies only when at least this many *other* totals exist.
pub const ABNORMAL_MIN_OTHERS: usize = 2;

/// From this many totals on, one highest and one lowest are dropped.
pub const TRIM_FROM: usize = 5;

/// Projects per province per year (新建和已建合计不超过5个).
pub const DEFAULT_QUOTA: u32 = 5;

/// Serde for decimals as strings with exactly two decimals: `"87.50"`, `"-3.00"`,
/// `"0.00"`.
///
/// Parsing is strict so that a value has one spelling: an optional `-` (not before
/// zero), an integer part without leading zeros, a point and exactly two digits.
/// `"12.5"`, `"12.500"`, `"012.50"`, `"+1.00"`, `"1e2"` and JSON numbers are refused.
pub mod dec2 {
    use rust_decimal::Decimal;
    use serde::{Deserialize, Deserializer, Serializer};

    /// The two-decimal spelling. A value with more than two significant decimals
    /// (never valid in a record) is written in full, which [`parse`] then refuses.
    pub fn format(d: &Decimal) -> String {
        if d.is_zero() {
            return "0.00".into();
        }
        let n = d.normalize();
        if n.scale() <= 2 {
            let mut x = n;
            x.rescale(2);
            x.to_string()
        } else {
            n.to_string()
        }
    }

    /// Parses the two-decimal spelling, refusing every other one.
    pub fn parse(s: &str) -> Result<Decimal, String> {
        let bad = || format!("{s:?} is not a decimal with exactly two decimals, like \"87.50\"");
        let body = s.strip_prefix('-').unwrap_or(s);
        let (int, frac) = body.split_once('.').ok_or_else(bad)?;
        let digits = |p: &str| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit());
        if !digits(int) || frac.len() != 2 || !digits(frac) {
            return Err(bad());
        }
        if int.len() > 1 && int.starts_with('0') {
            return Err(bad());
        }
        if int.len() > 20 {
            return Err(format!("{s:?} is too large"));
        }
        let d = Decimal::from_str_exact(s).map_err(|_| bad())?;
        if d.is_zero() && s.starts_with('-') {
            return Err(bad());
        }
        Ok(d)
    }

    pub fn serialize<S: Serializer>(d: &Decimal, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&format(d))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Decimal, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        parse(&s).map_err(serde::de::Error::custom)
    }
}

/// A decimal for messages: `12.3`, `0.5`, `10`.
fn show(d: Decimal) -> String {
    d.normalize().to_string()
}

/// The kind of application a rubric is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ApplicationKind {
    /// A new national high-skill training base (新建培训基地).
    BaseNew,
    /// A base designated 2011–2020 (已建培训基地).
    BaseExisting,
    /// A national skill master studio (技能大师工作室).
    Studio,
}

impl ApplicationKind {
    pub const ALL: [ApplicationKind; 3] = [Self::BaseNew, Self::BaseExisting, Self::Studio];

    /// The code, as JSON writes it.
    pub fn code(self) -> &'static str {
        match self {
            Self::BaseNew => "base_new",
            Self::BaseExisting => "base_existing",
            Self::Studio => "studio",
        }
    }

    /// The Chinese label.
    pub fn label(self) -> &'static str {
        match self {
            Self::BaseNew => "新建培训基地",
            Self::BaseExisting => "已建培训基地",
            Self::Studio => "技能大师工作室",
        }
    }
}

/// What each level of an indicator means. For a subjective indicator the text ends
/// with the point range of the level; for an objective one it fixes the points.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Levels {
    /// 优
    pub full: String,
    /// 良
    pub good: String,
    /// 中
    pub fair: String,
    /// 差
    pub poor: String,
}

/// One scored criterion.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Indicator {
    /// 1 to 32 of `a-z 0-9 _`, unique in the rubric (gates included).
    pub code: String,
    pub name: String,
    /// More than 0, at most two decimals, a multiple of `step`. Two-decimal string.
    #[serde(with = "dec2")]
    pub max_points: Decimal,
    /// The granularity of points, e.g. `"0.50"`. Two-decimal string.
    #[serde(with = "dec2")]
    pub step: Decimal,
    /// Whether the points follow from a figure in the application (a count, a
    /// rate), so that experts are expected to agree on them.
    pub objective: bool,
    pub levels: Levels,
}

/// A pass/fail condition (a hard condition of the policy).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Gate {
    /// 1 to 32 of `a-z 0-9 _`, unique in the rubric (indicators included).
    pub code: String,
    pub name: String,
    pub description: String,
}

/// The criteria for one kind of application.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rubric {
    /// 1 to 64 of `a-z 0-9 . _ -`.
    pub id: String,
    /// 1 or more; a changed rubric gets a new version.
    pub version: u32,
    pub kind: ApplicationKind,
    pub title: String,
    pub indicators: Vec<Indicator>,
    pub gates: Vec<Gate>,
}

fn check_id(what: &str, s: &str, max: usize, extra: &[u8]) -> Result<(), String> {
    if s.is_empty()
        || s.len() > max
        || !s
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || extra.contains(&b))
    {
        return Err(format!(
            "{what} {s:?} must be 1 to {max} of a-z, 0-9 and {:?}",
            String::from_utf8_lossy(extra)
        ));
    }
    Ok(())
}

fn blank(s: &str) -> bool {
    // `trim` knows the full-width space U+3000 too.
    s.trim().is_empty()
}

/// Whether `d` has at most two decimals (by value: `1.500` qualifies).
fn two_places(d: Decimal) -> bool {
    d.normalize().scale() <= 2
}

impl Rubric {
    /// Checks the rubric on its own: identifiers, unique codes, maxima and steps, and
    /// that the maxima add up to exactly [`TOTAL_POINTS`].
    pub fn validate(&self) -> Result<(), String> {
        check_id("rubric id", &self.id, 64, b"._-")?;
        if self.version == 0 {
            return Err("rubric version must be at least 1".into());
        }
        if blank(&self.title) {
            return Err("rubric title must not be blank".into());
        }
        if self.indicators.is_empty() {
            return Err("a rubric needs at least one indicator".into());
        }
        let mut codes = BTreeSet::new();
        let mut sum = Decimal::ZERO;
        for i in &self.indicators {
            check_id("indicator code", &i.code, 32, b"_")?;
            if !codes.insert(i.code.as_str()) {
                return Err(format!("code {} is used twice", i.code));
            }
            if blank(&i.name) {
                return Err(format!("indicator {} has a blank name", i.code));
            }
            for (level, text) in [
                ("full", &i.levels.full),
                ("good", &i.levels.good),
                ("fair", &i.levels.fair),
                ("poor", &i.levels.poor),
            ] {
                if blank(text) {
                    return Err(format!("indicator {} has a blank {level} level", i.code));
                }
            }
            if i.step <= Decimal::ZERO || !two_places(i.step) {
                return Err(format!(
                    "step {} of {} must be more than 0 with at most two decimals",
                    show(i.step),
                    i.code
                ));
            }
            if i.max_points <= Decimal::ZERO || !two_places(i.max_points) {
                return Err(format!(
                    "max_points {} of {} must be more than 0 with at most two decimals",
                    show(i.max_points),
                    i.code
                ));
            }
            if !(i.max_points % i.step).is_zero() {
                return Err(format!(
                    "max_points {} of {} is not a multiple of its step {}",
                    show(i.max_points),
                    i.code,
                    show(i.step)
                ));
            }
            sum += i.max_points;
        }
        if sum != TOTAL_POINTS {
            return Err(format!(
                "the indicators' maxima add up to {}, not {}",
                show(sum),
                show(TOTAL_POINTS)
            ));
        }
        for g in &self.gates {
            check_id("gate code", &g.code, 32, b"_")?;
            if !codes.insert(g.code.as_str()) {
                return Err(format!("code {} is used twice", g.code));
            }
            if blank(&g.name) || blank(&g.description) {
                return Err(format!("gate {} has a blank name or description", g.code));
            }
        }
        Ok(())
    }

    /// `H("fairpanel/v1/rubric", JCS(rubric))`: the tagged SHA-256 ([`RUBRIC_TAG`])
    /// of the rubric's canonical JSON, decimals spelled with two decimals. A review
    /// round commits to its rubric by this hash.
    pub fn hash(&self) -> Hash32 {
        tagged(RUBRIC_TAG, &[&jcs::encode(self)])
    }

    pub fn indicator(&self, code: &str) -> Option<&Indicator> {
        self.indicators.iter().find(|i| i.code == code)
    }
}

// ---------------------------------------------------------------------------
// The default rubrics.
// ---------------------------------------------------------------------------

fn d(s: &str) -> Decimal {
    Decimal::from_str_exact(s).expect("a literal decimal")
}

/// `x` rounded up to a multiple of `step`.
fn ceil_to(x: Decimal, step: Decimal) -> Decimal {
    (x / step).ceil() * step
}

fn range(lo: Decimal, hi: Decimal) -> String {
    if lo == hi {
        format!("（{}分）", show(lo))
    } else {
        format!("（{}—{}分）", show(lo), show(hi))
    }
}

/// A subjective indicator with step 0.5. The levels get their point ranges: 优 from
/// 90 %, 良 from 75 %, 中 from 60 % of the maximum (each rounded up to the step),
/// 差 below that.
fn subjective(code: &str, name: &str, max: &str, text: [&str; 4]) -> Indicator {
    let (max, step) = (d(max), d("0.5"));
    let full = ceil_to(max * d("0.9"), step);
    let good = ceil_to(max * d("0.75"), step);
    let fair = ceil_to(max * d("0.6"), step);
    Indicator {
        code: code.into(),
        name: name.into(),
        max_points: max,
        step,
        objective: false,
        levels: Levels {
            full: format!("{}{}", text[0], range(full, max)),
            good: format!("{}{}", text[1], range(good, full - step)),
            fair: format!("{}{}", text[2], range(fair, good - step)),
            poor: format!("{}{}", text[3], range(Decimal::ZERO, fair - step)),
        },
    }
}

/// An objective indicator: each level's text fixes its points.
fn objective(code: &str, name: &str, max: &str, step: &str, text: [&str; 4]) -> Indicator {
    Indicator {
        code: code.into(),
        name: name.into(),
        max_points: d(max),
        step: d(step),
        objective: true,
        levels: Levels {
            full: text[0].into(),
            good: text[1].into(),
            fair: text[2].into(),
            poor: text[3].into(),
        },
    }
}

fn gate(code: &str, name: &str, description: &str) -> Gate {
    Gate {
        code: code.into(),
        name: name.into(),
        description: description.into(),
    }
}

fn priority_field(max: &str) -> Indicator {
    subjective(
        "priority_field",
        "重点领域与产业契合度",
        max,
        [
            "属先进制造业、战略性新兴产业或托育、护理、康养、家政等民生重点领域，与地方产业布局和急需紧缺职业（工种）高度契合",
            "属重点领域，与地方产业需求较为契合",
            "部分内容与重点领域或地方产业需求相关",
            "与重点领域和地方产业需求关联不大",
        ],
    )
}

/// The rubric for a new training base (新建), from section 二（一）1 of the policy.
fn base_new() -> Rubric {
    Rubric {
        id: "default-base-new".into(),
        version: 1,
        kind: ApplicationKind::BaseNew,
        title: "国家级高技能人才培训基地（新建）评审指标".into(),
        indicators: vec![
            subjective(
                "management",
                "组织管理与制度建设",
                "10",
                [
                    "管理能力强，组织管理体系高效，培训管理、财务管理等制度健全规范并严格执行",
                    "组织管理体系健全，主要管理制度完备并得到执行",
                    "具备基本的组织管理体系和管理制度，执行不够规范",
                    "组织管理体系或培训、财务管理制度明显缺失",
                ],
            ),
            objective(
                "training_capacity",
                "年培训能力",
                "15",
                "1",
                [
                    "培训场所和设施设备可满足年培训5000人次及以上：15分",
                    "3500—4999人次：12分",
                    "2000—3499人次：9分",
                    "不足2000人次：0分（不符合基本条件）",
                ],
            ),
            objective(
                "occupations",
                "实训职业（工种）数量",
                "15",
                "1",
                [
                    "具备与急需紧缺高技能人才培训特色专业相匹配的实习实训条件的职业（工种）10个及以上：15分",
                    "8—9个：12分",
                    "5—7个：9分",
                    "不足5个：0分（不符合基本条件）",
                ],
            ),
            priority_field("10"),
            subjective(
                "platform",
                "信息化管理与服务平台",
                "6",
                [
                    "平台覆盖报名、培训、考核、证书和学员跟踪服务全过程，运行良好并有实际数据",
                    "平台覆盖主要培训管理环节并正常运行",
                    "平台功能简单，仅覆盖部分环节",
                    "平台未实际运行或主要功能缺失",
                ],
            ),
            subjective(
                "standards_training",
                "按国家职业技能标准和培训包开展培训",
                "12",
                [
                    "严格按照国家职业技能标准和职业培训包规范开展培训，课程、教学计划和考核与标准完全对应",
                    "基本按标准和培训包开展培训，个别环节有欠缺",
                    "部分培训项目按标准开展，规范性不足",
                    "未按国家职业技能标准和职业培训包开展培训",
                ],
            ),
            subjective(
                "apprenticeship",
                "企业新型学徒制培训",
                "10",
                [
                    "积极开展中国特色企业新型学徒制培训，校企合作机制完善、规模较大、成效明显",
                    "开展了企业新型学徒制培训并有一定规模",
                    "企业新型学徒制培训刚起步，规模较小",
                    "未开展企业新型学徒制培训",
                ],
            ),
            objective(
                "subsidised_training",
                "承担政府补贴性职业技能培训",
                "10",
                "1",
                [
                    "近一年承担政府补贴性职业技能培训2000人次及以上：10分",
                    "1000—1999人次：8分",
                    "300—999人次：6分",
                    "1—299人次：3分；未承担：0分",
                ],
            ),
            subjective(
                "teachers_materials",
                "师资研修与教材教法研发",
                "12",
                [
                    "组织和承担职业培训师资研修培训，教材、课程、教法研发成果丰富并推广使用",
                    "开展了师资研修和教材教法研发并取得成果",
                    "师资研修或教材教法研发工作较少",
                    "未开展师资研修和教材教法研发工作",
                ],
            ),
        ],
        gates: vec![
            gate(
                "no_penalty",
                "近3年无刑事处罚和失信联合惩戒",
                "遵守国家有关法律法规，近3年未受过刑事处罚和失信联合惩戒",
            ),
            gate(
                "safety_standards",
                "场所设施符合建设和安全标准",
                "培训场所和设施设备符合国家建设和安全标准",
            ),
            gate(
                "capacity_2000",
                "年培训能力2000人次以上",
                "培训场所和设施设备能满足年培训2000人次以上的需要",
            ),
            gate(
                "occupations_5",
                "5个以上职业（工种）实训条件",
                "具有5个以上职业工种与经济发展急需紧缺高技能人才培训特色专业相匹配的实习实训条件",
            ),
            gate(
                "info_platform",
                "建立信息化管理与服务平台",
                "已建立信息化管理与服务平台",
            ),
        ],
    }
}

/// The rubric for an existing base (已建), from section 二（一）2 of the policy.
fn base_existing() -> Rubric {
    Rubric {
        id: "default-base-existing".into(),
        version: 1,
        kind: ApplicationKind::BaseExisting,
        title: "国家级高技能人才培训基地（已建）评审指标".into(),
        indicators: vec![
            objective(
                "training_volume",
                "年度培训规模",
                "12",
                "1",
                [
                    "年度开展培训6000人次及以上：12分",
                    "4500—5999人次：10分",
                    "3000—4499人次：8分",
                    "不足3000人次：0分（不符合基本条件）",
                ],
            ),
            objective(
                "high_skill_volume",
                "高技能人才培训规模",
                "10",
                "1",
                [
                    "年度培训高技能人才2000人次及以上：10分",
                    "1500—1999人次：8分",
                    "1000—1499人次：6分",
                    "不足1000人次：0分（不符合基本条件）",
                ],
            ),
            objective(
                "pass_rate",
                "年度培训合格率",
                "8",
                "0.5",
                [
                    "98%及以上：8分",
                    "95%及以上、不足98%：6.5分",
                    "90%及以上、不足95%：5分",
                    "不足90%：0分（不符合基本条件）",
                ],
            ),
            objective(
                "satisfaction",
                "企业及劳动者满意率",
                "7",
                "0.5",
                [
                    "调查评价满意率98%及以上：7分",
                    "95%及以上、不足98%：5.5分",
                    "90%及以上、不足95%：4分",
                    "不足90%：0分（不符合基本条件）",
                ],
            ),
            subjective(
                "training_system",
                "高技能人才培养培训体系",
                "20",
                [
                    "在重点领域建立了覆盖课程设置、教材开发、师资建设、培训装备、能力评价、技能竞赛六个方面的完备系统的培养培训体系，各环节衔接紧密、成效突出",
                    "体系覆盖上述六个方面，个别方面较弱",
                    "体系覆盖其中四至五个方面，系统性不足",
                    "体系覆盖不足四个方面",
                ],
            ),
            priority_field("8"),
            subjective(
                "outcomes",
                "高技能人才培养成效",
                "13",
                [
                    "培养成效显著，学员取得技师及以上等级或在各级技能竞赛中获奖的人数多，示范引领作用突出",
                    "培养成效明显，有一定示范带动作用",
                    "培养成效一般",
                    "培养成效不明显",
                ],
            ),
            subjective(
                "management_funds",
                "管理运行与资金使用",
                "10",
                [
                    "建成后管理运行规范，补助资金使用安全合规、绩效良好，考核评估结论优秀",
                    "管理运行和资金使用规范，考核评估结论良好",
                    "管理运行基本正常，资金使用存在一般性问题",
                    "管理运行或资金使用存在较大问题",
                ],
            ),
            subjective(
                "social_service",
                "社会服务与辐射带动",
                "12",
                [
                    "积极面向社会和本行业开展培训，承担政府补贴性培训、师资研修、教材教法研发和企业新型学徒制任务，辐射带动作用强",
                    "承担上述任务较多，辐射带动作用较好",
                    "承担上述任务较少，辐射带动作用一般",
                    "基本未承担社会培训服务任务",
                ],
            ),
        ],
        gates: vec![
            gate(
                "designated_2011_2020",
                "2011—2020年确定的国家级基地",
                "申报单位为2011—2020年确定的国家级高技能人才培训基地",
            ),
            gate(
                "provincial_assessment",
                "通过省级考核评估",
                "经省级人力资源社会保障部门会同财政部门考核评估，确定为管理规范、资金使用安全、高技能人才培养成效显著的单位",
            ),
            gate(
                "new_base_conditions",
                "符合新建项目基本条件",
                "符合新建项目的各项遴选条件（近3年无刑事处罚和失信联合惩戒、场所设施达标、年培训能力2000人次以上、5个以上职业工种实训条件、信息化平台等）",
            ),
            gate(
                "volume_3000_1000",
                "年培训3000人次以上，其中高技能人才不少于1000人次",
                "年度开展培训规模3000人次以上，其中高技能人才不少于1000人次",
            ),
            gate(
                "pass_rate_90",
                "年度培训合格率90%以上",
                "年度培训合格率达到90%以上",
            ),
            gate(
                "satisfaction_90",
                "满意率90%以上",
                "企业及劳动者调查评价满意率达到90%以上",
            ),
        ],
    }
}

/// The rubric for a skill master studio, from section 二（二） of the policy.
fn studio() -> Rubric {
    Rubric {
        id: "default-studio".into(),
        version: 1,
        kind: ApplicationKind::Studio,
        title: "国家级技能大师工作室评审指标".into(),
        indicators: vec![
            subjective(
                "leader",
                "带头人技能水平与影响力",
                "20",
                [
                    "具有高级技师职业技能水平或为传统工艺绝技绝活传承人，技能拔尖、技艺精湛，创新创造能力强，获国家级技能奖项或荣誉，社会影响力大",
                    "技能水平高，获省级技能奖项或荣誉，在行业内有较大影响",
                    "符合带头人基本条件，在本单位或本地区有一定影响",
                    "技能水平或影响力不足",
                ],
            ),
            subjective(
                "site",
                "场所与工作条件",
                "6",
                [
                    "场所固定、面积充足，设施设备先进，完全满足培训、研修、攻关、交流需要",
                    "场所固定，条件基本满足需要",
                    "场所条件只能满足部分活动需要",
                    "场所条件简陋",
                ],
            ),
            objective(
                "activities",
                "培训、研修、攻关、交流活动",
                "10",
                "1",
                [
                    "近一年定期开展培训、研修、攻关、交流等活动24次及以上：10分",
                    "12—23次：8分",
                    "6—11次：6分",
                    "1—5次：3分；未开展：0分",
                ],
            ),
            subjective(
                "management",
                "管理制度与规范运作",
                "6",
                [
                    "管理制度、办法完善，运作规范，记录完整",
                    "管理制度较完善，运作基本规范",
                    "管理制度不够完善，运作不够规范",
                    "缺少管理制度或未规范运作",
                ],
            ),
            subjective(
                "innovation",
                "技术革新与技能攻关",
                "18",
                [
                    "近三年技术革新、技能攻关成果突出（如专利、工艺改进、标准制定），经济社会效益显著",
                    "成果较多，效益明显",
                    "有一定成果和效益",
                    "成果很少",
                ],
            ),
            subjective(
                "promotion",
                "成果推广与技能交流",
                "10",
                [
                    "革新攻关成果和绝技绝活在行业或地区广泛推广，技能交流活跃",
                    "成果在本单位以外有所推广",
                    "成果推广限于本单位",
                    "基本未开展推广和交流",
                ],
            ),
            objective(
                "apprentices",
                "带徒传技人数",
                "12",
                "1",
                [
                    "近三年带徒（含企业新型学徒制学徒）30人及以上：12分",
                    "15—29人：9分",
                    "5—14人：6分",
                    "1—4人：3分；未带徒：0分",
                ],
            ),
            subjective(
                "passing_on",
                "技能传承成效",
                "10",
                [
                    "传承机制完善，徒弟成长为技师、高级技师或在技能竞赛中获奖的多；传统工艺类工作室在挖掘、整理、传承传统工艺上贡献突出",
                    "传承成效明显",
                    "传承成效一般",
                    "传承成效不明显",
                ],
            ),
            priority_field("8"),
        ],
        gates: vec![
            gate(
                "fixed_site",
                "固定场所和必要工作条件",
                "具备固定的场所和必要的工作条件",
            ),
            gate(
                "leader_qualification",
                "带头人资格",
                "带头人一般应具有高级技师职业技能水平；或具有绝技绝活，并在积极挖掘和传承传统工艺上作出较大贡献",
            ),
            gate(
                "management_rules",
                "建立管理制度",
                "建立有完善的管理制度、办法并规范运作",
            ),
            gate(
                "not_designated_before",
                "未以相同单位重复申报",
                "带头人未曾以相同单位被确定为国家级技能大师工作室",
            ),
        ],
    }
}

/// One default rubric per kind (`default-base-new`, `default-base-existing`,
/// `default-studio`, version 1), built from the conditions of 人社部发〔2022〕62号.
/// A province may adopt them or publish its own (the policy lets it set detailed
/// criteria).
pub fn default_rubrics() -> Vec<Rubric> {
    vec![base_new(), base_existing(), studio()]
}

// ---------------------------------------------------------------------------
// Sheets.
// ---------------------------------------------------------------------------

/// One indicator's points on a sheet.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Score {
    pub code: String,
    /// Two-decimal string.
    #[serde(with = "dec2")]
    pub points: Decimal,
}

/// One gate's answer on a sheet.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GateAnswer {
    pub code: String,
    pub pass: bool,
}

/// One expert's score sheet for one application.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Sheet {
    /// The application's reference.
    pub application: String,
    pub scores: Vec<Score>,
    pub gates: Vec<GateAnswer>,
    pub comment: Option<String>,
    /// The written reason for an abnormal total; required when [`abnormal`] says so.
    pub explanation: Option<String>,
}

/// A submitted sheet as sealed: the expert's [`Sheet`] bound to the round, the
/// rubric (by hash) and the scorer's token in the panel's draw. Its exact bytes
/// are its JCS encoding; `H("fairpanel/v1/sheet", bytes)` is what the log's
/// sheet_commit and seal entries name.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SheetRecord {
    pub application: String,
    pub comment: Option<String>,
    pub explanation: Option<String>,
    pub gates: Vec<GateAnswer>,
    pub round: crate::types::DrawId,
    pub rubric: Hash32,
    pub scorer: crate::types::Token,
    pub scores: Vec<Score>,
}

impl SheetRecord {
    pub fn new(
        sheet: &Sheet,
        round: crate::types::DrawId,
        rubric: Hash32,
        scorer: crate::types::Token,
    ) -> SheetRecord {
        SheetRecord {
            application: sheet.application.clone(),
            comment: sheet.comment.clone(),
            explanation: sheet.explanation.clone(),
            gates: sheet.gates.clone(),
            round,
            rubric,
            scorer,
            scores: sheet.scores.clone(),
        }
    }

    /// The expert's sheet inside.
    pub fn sheet(&self) -> Sheet {
        Sheet {
            application: self.application.clone(),
            scores: self.scores.clone(),
            gates: self.gates.clone(),
            comment: self.comment.clone(),
            explanation: self.explanation.clone(),
        }
    }

    pub fn bytes(&self) -> Vec<u8> {
        jcs::encode(self)
    }

    pub fn hash_of(bytes: &[u8]) -> Hash32 {
        tagged(crate::hash::tag::SHEET, &[bytes])
    }
}

/// Checks a sheet against its rubric and returns its total (with two decimals).
///
/// Every indicator must be scored exactly once, from 0 to its maximum, on a
/// multiple of its step; every gate answered exactly once; unknown codes are
/// refused. Each error names the code and the rule, in Chinese and then English.
pub fn validate_sheet(rubric: &Rubric, sheet: &Sheet) -> Result<Decimal, Vec<String>> {
    if let Err(e) = rubric.validate() {
        return Err(vec![format!("评分标准无效 / the rubric is invalid: {e}")]);
    }
    let mut errors = Vec::new();
    if blank(&sheet.application) {
        errors.push("评分表未写明申报项目 / the sheet names no application".to_string());
    }
    let mut seen = BTreeSet::new();
    let mut total = Decimal::ZERO;
    for s in &sheet.scores {
        let Some(ind) = rubric.indicator(&s.code) else {
            errors.push(format!(
                "未知指标 {0} / unknown indicator {0}: it is not in rubric {1} v{2}",
                s.code, rubric.id, rubric.version
            ));
            continue;
        };
        if !seen.insert(s.code.as_str()) {
            errors.push(format!(
                "指标 {0} 重复评分 / indicator {0} is scored more than once",
                s.code
            ));
            continue;
        }
        let (p, max, step) = (show(s.points), show(ind.max_points), show(ind.step));
        if s.points < Decimal::ZERO || s.points > ind.max_points {
            errors.push(format!(
                "指标 {0} 得分 {p} 超出 0 至 {max} 分的范围 / score {p} of {0} is outside 0 to {max}",
                s.code
            ));
        } else if !(s.points % ind.step).is_zero() {
            errors.push(format!(
                "指标 {0} 得分 {p} 不是 {step} 的整数倍 / score {p} of {0} is not a multiple of {step}",
                s.code
            ));
        } else {
            total += s.points;
        }
    }
    for ind in &rubric.indicators {
        if !seen.contains(ind.code.as_str()) {
            errors.push(format!(
                "指标 {0} 未评分 / indicator {0} is not scored",
                ind.code
            ));
        }
    }
    let mut answered = BTreeSet::new();
    for a in &sheet.gates {
        if !rubric.gates.iter().any(|g| g.code == a.code) {
            errors.push(format!(
                "未知否决项 {0} / unknown gate {0}: it is not in rubric {1} v{2}",
                a.code, rubric.id, rubric.version
            ));
        } else if !answered.insert(a.code.as_str()) {
            errors.push(format!(
                "否决项 {0} 重复作答 / gate {0} is answered more than once",
                a.code
            ));
        }
    }
    for g in &rubric.gates {
        if !answered.contains(g.code.as_str()) {
            errors.push(format!(
                "否决项 {0} 未作答 / gate {0} is not answered",
                g.code
            ));
        }
    }
    if errors.is_empty() {
        total.rescale(2);
        Ok(total)
    } else {
        Err(errors)
    }
}

// ---------------------------------------------------------------------------
// Abnormal totals and disagreements.
// ---------------------------------------------------------------------------

/// The exact median of `values` (sorted here); `None` for none.
fn exact_median(values: &[Decimal]) -> Option<Decimal> {
    let mut v = values.to_vec();
    v.sort();
    let n = v.len();
    match n {
        0 => None,
        _ if n % 2 == 1 => Some(v[n / 2]),
        // Exact: the mean of two decimals has at most one more decimal.
        _ => Some((v[n / 2 - 1] + v[n / 2]) / Decimal::TWO),
    }
}

/// The abnormal-total rule: `Some(total − median(others))` when at least
/// [`ABNORMAL_MIN_OTHERS`] other totals exist and `|total − median(others)| ≥`
/// [`ABNORMAL_POINTS`]; `None` otherwise.
///
/// `others` are the totals of the *other* experts' valid sheets for the same
/// application. The median is exact (the mean of the two middle values for an even
/// count), so the deviation may have a third decimal (`…5`). Positive: above the
/// others; negative: below.
pub fn abnormal(total: Decimal, others: &[Decimal]) -> Option<Decimal> {
    abnormal_at(total, others, ABNORMAL_POINTS)
}

/// [`abnormal`] with a round's own threshold (protocol 1.2: scoring_open's
/// `abnormal_points`).
pub fn abnormal_at(total: Decimal, others: &[Decimal], limit: Decimal) -> Option<Decimal> {
    if others.len() < ABNORMAL_MIN_OTHERS {
        return None;
    }
    let deviation = total - exact_median(others)?;
    (deviation.abs() >= limit).then_some(deviation)
}

/// Whether a sheet with this total must carry a written explanation.
pub fn needs_explanation(total: Decimal, others: &[Decimal]) -> bool {
    abnormal(total, others).is_some()
}

/// Refuses a sheet whose total is abnormal and whose explanation is missing or blank.
pub fn check_explanation(sheet: &Sheet, total: Decimal, others: &[Decimal]) -> Result<(), String> {
    check_explanation_at(sheet, total, others, ABNORMAL_POINTS)
}

/// [`check_explanation`] with a round's own threshold.
pub fn check_explanation_at(
    sheet: &Sheet,
    total: Decimal,
    others: &[Decimal],
    limit: Decimal,
) -> Result<(), String> {
    match abnormal_at(total, others, limit) {
        Some(dev) if sheet.explanation.as_deref().is_none_or(blank) => {
            let (t, dev) = (dec2::format(&total), show(dev.abs()));
            Err(format!(
                "总分 {t} 与其他专家总分的中位数相差 {dev} 分（不少于 {lim} 分），须书面说明理由 / \
                 total {t} is {dev} points from the median of the other experts' totals \
                 (at least {lim}): write an explanation",
                lim = show(limit)
            ))
        }
        _ => Ok(()),
    }
}

/// The abnormal-total threshold a scoring_open fixes: its `abnormal_points`
/// (a two-decimal string, more than 0 and at most 100), or [`ABNORMAL_POINTS`]
/// when absent.
pub fn abnormal_limit(fixed: Option<&str>) -> Result<Decimal, String> {
    let Some(s) = fixed else {
        return Ok(ABNORMAL_POINTS);
    };
    let d = dec2::parse(s).map_err(|e| format!("abnormal_points: {e}"))?;
    if d <= Decimal::ZERO || d > TOTAL_POINTS {
        return Err(format!(
            "abnormal_points {s} is not more than 0 and at most 100"
        ));
    }
    Ok(d)
}

/// The sheets of one application whose total is abnormal against all the
/// others and which carry no (non-blank) explanation: what a scoring_lock asks
/// to explain. Each sheet is given with its hash; the sheets must be valid.
pub fn unexplained(
    rubric: &Rubric,
    sheets: &[(Hash32, Sheet)],
    limit: Decimal,
) -> Result<Vec<Hash32>, Vec<String>> {
    let totals = sheets
        .iter()
        .map(|(_, s)| validate_sheet(rubric, s))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(sheets
        .iter()
        .enumerate()
        .filter(|(i, (_, s))| {
            let others: Vec<Decimal> = (0..totals.len())
                .filter(|j| j != i)
                .map(|j| totals[j])
                .collect();
            check_explanation_at(s, totals[*i], &others, limit).is_err()
        })
        .map(|(_, (h, _))| *h)
        .collect())
}

/// An explanation of an abnormal total given after the round's sheets locked
/// (protocol 1.2): the sheet it explains (by hash), its scorer and the text.
/// Its exact bytes are its JCS encoding; `H("fairpanel/v1/explanation",
/// bytes)` is what the log's explanation entry names.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExplanationRecord {
    pub application: String,
    pub explanation: String,
    pub round: crate::types::DrawId,
    pub scorer: crate::types::Token,
    pub sheet: Hash32,
}

impl ExplanationRecord {
    pub fn bytes(&self) -> Vec<u8> {
        jcs::encode(self)
    }

    pub fn hash_of(bytes: &[u8]) -> Hash32 {
        tagged(crate::hash::tag::EXPLANATION, &[bytes])
    }

    /// Whether the text says something (not empty or white space only).
    pub fn is_blank(&self) -> bool {
        blank(&self.explanation)
    }
}

/// The objective indicators on which the experts' points for one application
/// differ, in rubric order. Sheets that do not score an indicator are skipped for it.
pub fn objective_disagreements(rubric: &Rubric, sheets: &[Sheet]) -> Vec<String> {
    rubric
        .indicators
        .iter()
        .filter(|i| i.objective)
        .filter(|i| {
            let points: BTreeSet<Decimal> = sheets
                .iter()
                .filter_map(|s| s.scores.iter().find(|x| x.code == i.code))
                .map(|x| x.points.normalize())
                .collect();
            points.len() > 1
        })
        .map(|i| i.code.clone())
        .collect()
}

/// The gates that fail for one application: a gate passes only when more than half
/// of the sheets answer "pass" (a tie fails). In rubric order.
pub fn failed_gates(rubric: &Rubric, sheets: &[Sheet]) -> Vec<String> {
    rubric
        .gates
        .iter()
        .filter(|g| {
            let passes = sheets
                .iter()
                .filter(|s| s.gates.iter().any(|a| a.code == g.code && a.pass))
                .count();
            2 * passes <= sheets.len()
        })
        .map(|g| g.code.clone())
        .collect()
}

// ---------------------------------------------------------------------------
// Aggregation, ranking, recommendation.
// ---------------------------------------------------------------------------

/// One application's result. Every decimal is a two-decimal string.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Aggregate {
    pub application: String,
    /// How many valid totals were aggregated.
    pub sheets: u32,
    /// Whether one highest and one lowest total were dropped.
    pub trimmed: bool,
    /// The (trimmed) mean, rounded half-up to two decimals.
    #[serde(with = "dec2")]
    pub final_score: Decimal,
    /// The median of all totals, rounded half-up to two decimals.
    #[serde(with = "dec2")]
    pub median: Decimal,
    #[serde(with = "dec2")]
    pub min: Decimal,
    #[serde(with = "dec2")]
    pub max: Decimal,
    /// `max − min`.
    #[serde(with = "dec2")]
    pub spread: Decimal,
    /// Gates that did not pass ([`failed_gates`]); empty when eligible.
    pub failed_gates: Vec<String>,
}

impl Aggregate {
    /// Whether the application may be recommended: every gate passed.
    pub fn eligible(&self) -> bool {
        self.failed_gates.is_empty()
    }
}

/// `d` in hundredths, if it has at most two decimals.
fn cents(d: Decimal) -> Option<i128> {
    let n = d.normalize();
    let s = n.scale();
    (s <= 2).then(|| n.mantissa() * 10i128.pow(2 - s))
}

fn from_cents(c: i128) -> Decimal {
    Decimal::from_i128_with_scale(c, 2)
}

/// `num / den` rounded to the nearest integer, halves away from zero (`den > 0`):
/// the same as `RoundingStrategy::MidpointAwayFromZero`, computed exactly.
fn div_half_up(num: i128, den: i128) -> i128 {
    debug_assert!(den > 0);
    if num >= 0 {
        (2 * num + den) / (2 * den)
    } else {
        -((-2 * num + den) / (2 * den))
    }
}

/// The result of one application from its valid totals (see the module's rules):
/// with [`TRIM_FROM`] or more totals, the mean after dropping one highest and one
/// lowest; otherwise the plain mean; exact, then rounded half-up to two decimals.
/// `failed_gates` is left empty ([`aggregate_sheets`] fills it).
///
/// Refuses an empty list and totals that are negative or have more than two
/// decimals.
pub fn aggregate(application: &str, totals: &[Decimal]) -> Result<Aggregate, String> {
    if totals.is_empty() {
        return Err(format!(
            "申报项目 {application} 没有有效评分 / application {application} has no valid totals"
        ));
    }
    let mut c = Vec::with_capacity(totals.len());
    for &t in totals {
        match cents(t) {
            Some(x) if x >= 0 => c.push(x),
            _ => {
                return Err(format!(
                    "总分 {0} 须为非负数且至多两位小数 / total {0} must be non-negative with at most two decimals",
                    show(t)
                ));
            }
        }
    }
    c.sort_unstable();
    let n = c.len();
    let trimmed = n >= TRIM_FROM;
    let kept = if trimmed { &c[1..n - 1] } else { &c[..] };
    let final_cents = div_half_up(kept.iter().sum(), kept.len() as i128);
    let median_cents = if n % 2 == 1 {
        c[n / 2]
    } else {
        div_half_up(c[n / 2 - 1] + c[n / 2], 2)
    };
    let (min, max) = (c[0], c[n - 1]);
    Ok(Aggregate {
        application: application.to_string(),
        sheets: n as u32,
        trimmed,
        final_score: from_cents(final_cents),
        median: from_cents(median_cents),
        min: from_cents(min),
        max: from_cents(max),
        spread: from_cents(max - min),
        failed_gates: Vec::new(),
    })
}

/// The whole check for one application: every sheet valid against the rubric and
/// naming `application`, every abnormal total explained; then [`aggregate`] of the
/// totals and [`failed_gates`]. Errors are prefixed with the sheet's position
/// (from 1).
pub fn aggregate_sheets(
    rubric: &Rubric,
    application: &str,
    sheets: &[Sheet],
) -> Result<Aggregate, Vec<String>> {
    aggregate_sheets_at(rubric, application, sheets, ABNORMAL_POINTS)
}

/// [`aggregate_sheets`] with a round's own abnormal-total threshold.
pub fn aggregate_sheets_at(
    rubric: &Rubric,
    application: &str,
    sheets: &[Sheet],
    limit: Decimal,
) -> Result<Aggregate, Vec<String>> {
    let mut errors = Vec::new();
    let mut totals = Vec::with_capacity(sheets.len());
    for (i, s) in sheets.iter().enumerate() {
        let at = |e: String| format!("第 {0} 张评分表 / sheet {0}: {e}", i + 1);
        if s.application != application {
            errors.push(at(format!(
                "评分表属于 {0}，不是 {application} / the sheet is for {0}, not {application}",
                s.application
            )));
        }
        match validate_sheet(rubric, s) {
            Ok(t) => totals.push(t),
            Err(es) => errors.extend(es.into_iter().map(at)),
        }
    }
    if errors.is_empty() {
        for (i, s) in sheets.iter().enumerate() {
            let others: Vec<Decimal> = (0..totals.len())
                .filter(|&j| j != i)
                .map(|j| totals[j])
                .collect();
            if let Err(e) = check_explanation_at(s, totals[i], &others, limit) {
                errors.push(format!("第 {0} 张评分表 / sheet {0}: {e}", i + 1));
            }
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let mut a = aggregate(application, &totals).map_err(|e| vec![e])?;
    a.failed_gates = failed_gates(rubric, sheets);
    Ok(a)
}

/// The ranking order: `Less` means `a` ranks above `b`. Higher final score first;
/// then higher median; then higher lowest total; then the application reference in
/// ascending byte order, so that the order is total and deterministic.
pub fn compare(a: &Aggregate, b: &Aggregate) -> Ordering {
    b.final_score
        .cmp(&a.final_score)
        .then(b.median.cmp(&a.median))
        .then(b.min.cmp(&a.min))
        .then(a.application.as_bytes().cmp(b.application.as_bytes()))
}

/// The results in ranking order ([`compare`]).
pub fn rank(mut results: Vec<Aggregate>) -> Vec<Aggregate> {
    results.sort_by(compare);
    results
}

/// The applications to recommend: the first `quota − already_recommended` eligible
/// ones in ranking order (the input is ranked here, whatever its order), none when
/// the quota is used up.
pub fn recommend(results: &[Aggregate], quota: u32, already_recommended: u32) -> Vec<String> {
    let room = quota.saturating_sub(already_recommended) as usize;
    let mut ranked: Vec<&Aggregate> = results.iter().collect();
    ranked.sort_by(|a, b| compare(a, b));
    ranked
        .into_iter()
        .filter(|a| a.eligible())
        .take(room)
        .map(|a| a.application.clone())
        .collect()
}

// ---------------------------------------------------------------------------
// Kendall's W.
// ---------------------------------------------------------------------------

/// Kendall's coefficient of concordance W of the panel, rounded half-up to four
/// decimals; information for the report, not a rule.
///
/// `totals[r][a]` is rater `r`'s total for application `a`; every row must have the
/// same length (raters who did not score every application are left out by the
/// caller). Each rater's totals become ranks, tied totals sharing the mean of
/// their ranks; then, with `m` raters, `n` applications, `R_a` the rank sums and
/// `T_r = Σ (t³ − t)` over rater `r`'s groups of `t` tied values,
///
/// `W = 12 Σ (R_a − m(n+1)/2)² / (m²(n³ − n) − m Σ T_r)`.
///
/// The direction of ranking does not matter. Computed exactly in integers (ranks
/// doubled). `None` with fewer than 2 raters or 2 applications, for ragged rows,
/// and when the denominator is 0 (every rater ties everything).
pub fn kendalls_w(totals: &[Vec<Decimal>]) -> Option<Decimal> {
    let m = totals.len();
    let n = totals.first()?.len();
    if m < 2 || n < 2 || totals.iter().any(|r| r.len() != n) {
        return None;
    }
    let mut rank_sums = vec![0i128; n]; // doubled
    let mut ties = 0i128;
    for row in totals {
        let mut order: Vec<usize> = (0..n).collect();
        order.sort_by(|&x, &y| row[x].cmp(&row[y]));
        let mut i = 0;
        while i < n {
            let mut j = i;
            while j + 1 < n && row[order[j + 1]] == row[order[i]] {
                j += 1;
            }
            // Positions i..=j (ranks i+1..=j+1) share the mean rank (i+j+2)/2;
            // doubled: i+j+2.
            let doubled = (i + j + 2) as i128;
            for &a in &order[i..=j] {
                rank_sums[a] += doubled;
            }
            let t = (j - i + 1) as i128;
            ties += t * t * t - t;
            i = j + 1;
        }
    }
    let (m, n) = (m as i128, n as i128);
    let sum: i128 = rank_sums.iter().sum();
    let sum_sq: i128 = rank_sums.iter().map(|r| r * r).sum();
    // With R' = 2R: 4nS = n Σ R'² − (Σ R')², so W = 12S / D = 3(4nS) / (nD).
    let d = m * m * (n * n * n - n) - m * ties;
    if d == 0 {
        return None;
    }
    let num = 3 * (n * sum_sq - sum * sum);
    let den = n * d;
    Some(Decimal::from_i128_with_scale(
        div_half_up(num * 10_000, den),
        4,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn two_decimal_spelling_is_the_only_one() {
        assert_eq!(dec2::parse("87.50").unwrap(), d("87.5"));
        assert_eq!(dec2::parse("-3.00").unwrap(), d("-3"));
        for bad in [
            "87.5", "87.500", "087.50", "+1.00", "1e2", "", ".50", "1.", "-0.00", " 1.00", "1,00",
            "１.00",
        ] {
            assert!(dec2::parse(bad).is_err(), "{bad:?}");
        }
        assert_eq!(dec2::format(&d("87.5")), "87.50");
        assert_eq!(dec2::format(&d("100")), "100.00");
        assert_eq!(dec2::format(&d("1.500")), "1.50");
        assert_eq!(dec2::format(&d("-0")), "0.00");
        assert_eq!(dec2::format(&d("1.005")), "1.005");
    }

    #[test]
    fn half_up_division_rounds_halves_away_from_zero() {
        assert_eq!(div_half_up(5, 2), 3);
        assert_eq!(div_half_up(-5, 2), -3);
        assert_eq!(div_half_up(4, 3), 1);
        assert_eq!(div_half_up(5, 3), 2);
        assert_eq!(div_half_up(0, 7), 0);
    }

    #[test]
    fn cents_accepts_at_most_two_decimals() {
        assert_eq!(cents(d("12.5")), Some(1250));
        assert_eq!(cents(d("12.500")), Some(1250));
        assert_eq!(cents(d("12.505")), None);
    }

    #[test]
    fn subjective_levels_carry_their_ranges() {
        let i = subjective("x", "x", "15", ["a", "b", "c", "e"]);
        assert_eq!(i.levels.full, "a（13.5—15分）");
        assert_eq!(i.levels.good, "b（11.5—13分）");
        assert_eq!(i.levels.fair, "c（9—11分）");
        assert_eq!(i.levels.poor, "e（0—8.5分）");
        let i = subjective("x", "x", "6", ["a", "b", "c", "e"]);
        assert_eq!(i.levels.fair, "c（4分）");
    }

    #[test]
    fn exact_median_of_an_even_count_is_the_mean_of_the_middle() {
        assert_eq!(exact_median(&[d("85.01"), d("85.02")]), Some(d("85.015")));
        assert_eq!(exact_median(&[]), None);
    }
}
