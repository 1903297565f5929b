//! The applications of a review round (项目申报): importing them from, and
//! exporting them to, CSV and XLSX files, and checking one given as JSON.
//!
//! Follows [`crate::roster`] in everything: pure logic (bytes in, records or a
//! list of problems out), all-or-nothing imports whose [`ImportErrors`] name the
//! row and column of every problem, bilingual headers matched in any order, and
//! templates that guide without being imported by accident (drop-down lists, an
//! empty data sheet, example rows on their own sheet with ids marked
//! [`EXAMPLE_MARK`](crate::roster::EXAMPLE_MARK)).
//!
//! The record keeps what 人社部发〔2022〕62号 asks an application to show: the
//! kind of project, the occupations (职业工种), the training figures of a base
//! and the leader of a studio. It records them; it does not judge them against
//! the policy's thresholds, which is the review's work.
//!
//! Besides the per-cell rules, a row must hang together:
//! - a studio (技能大师工作室) names its leader (带头人姓名);
//! - the leader's level, a traditional-craft exception and "already holds a
//!   national studio" are for studios only;
//! - the high-skill trainees are part of, so at most, the annual trainees.

use std::collections::HashMap;
use std::fmt;

use calamine::{Data, Style};
use rust_xlsxwriter::{Format, Workbook, XlsxError};
use serde::{Deserialize, Serialize};

use crate::roster::{
    Choices, Column, ImportErrors, RawCell, SKILL_LEVELS, Table, add_data_sheet, add_example_sheet,
    add_notes_sheet, free_text, mark_example, optional, parse_credit_code, parse_id, required,
    shorten, write_csv, xlsx_cell_text,
};
// Used by the tests only, which reach them through `super::*`.
#[cfg(test)]
use {
    crate::roster::{NO_DATA, UTF8_BOM},
    calamine::{Reader, Xlsx},
    std::io::Cursor,
};

/// Longest applicant organisation, in characters.
const MAX_ORG: usize = 100;
/// Longest occupation (职业工种), in characters.
const MAX_OCCUPATION: usize = 50;
/// Longest leader name, in characters.
const MAX_NAME: usize = 40;
/// Longest traditional-craft exception, in characters.
const MAX_CRAFT: usize = 200;
/// Longest note, in characters.
const MAX_NOTES: usize = 500;
/// Longest sanctions evidence reference, in characters.
const MAX_EVIDENCE: usize = 100;

/// The separators accepted between occupations (a line break in a cell too).
const LIST_SEPARATORS: &[char] = &['、', '；', ';', ',', '，', '\n', '\r'];
/// The separator written between occupations on export.
const LIST_JOIN: &str = "、";

/// The kind of project applied for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// A new national high-skill training base (新建培训基地).
    BaseNew,
    /// An existing base designated 2011–2020 (已建培训基地).
    BaseExisting,
    /// A national skill master studio (技能大师工作室).
    Studio,
}

/// Each kind: `(kind, code, Chinese label, further accepted Chinese names)`.
pub const KINDS: [(Kind, &str, &str, &[&str]); 3] = [
    (
        Kind::BaseNew,
        "base_new",
        "新建培训基地",
        &["新建", "新建项目"],
    ),
    (
        Kind::BaseExisting,
        "base_existing",
        "已建培训基地",
        &["已建", "已建项目"],
    ),
    (
        Kind::Studio,
        "studio",
        "技能大师工作室",
        &["国家级技能大师工作室", "工作室"],
    ),
];

impl Kind {
    fn entry(self) -> &'static (Kind, &'static str, &'static str, &'static [&'static str]) {
        KINDS
            .iter()
            .find(|k| k.0 == self)
            .expect("every kind is listed")
    }

    /// The code, as JSON writes it.
    pub fn code(self) -> &'static str {
        self.entry().1
    }

    /// The Chinese label written on export.
    pub fn label(self) -> &'static str {
        self.entry().2
    }

    /// Reads a cell: the code (any case), the Chinese label, or a name in [`KINDS`].
    pub fn parse(cell: &str) -> Result<Kind, String> {
        let v = cell.trim();
        KINDS
            .iter()
            .find(|(_, code, label, more)| {
                v.eq_ignore_ascii_case(code) || v == *label || more.contains(&v)
            })
            .map(|k| k.0)
            .ok_or_else(|| {
                format!(
                    "项目类型「{}」无效，应为 新建培训基地/base_new、已建培训基地/base_existing 或 \
                     技能大师工作室/studio / kind must be base_new, base_existing or studio (or its Chinese label)",
                    shorten(v)
                )
            })
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// The figures the policy asks an application to show; all optional, all exact.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Figures {
    /// Training person-times a year (年培训人次).
    pub annual_trainees: Option<u32>,
    /// Of which high-skill training person-times (其中高技能人才); at most `annual_trainees`.
    pub high_skill_trainees: Option<u32>,
    /// The yearly training pass rate in percent, 0–100 with at most 2 decimals,
    /// normalised without trailing zeros (`"92.5"`, `"100"`).
    pub pass_rate_pct: Option<String>,
    /// The satisfaction rate of enterprises and workers in percent, as `pass_rate_pct`.
    pub satisfaction_pct: Option<String>,
    /// For a studio: whether the leader already holds a national skill master
    /// studio with the same organisation (the policy then excludes the application).
    pub existing_national_studio: Option<bool>,
}

/// One application of a review round, as a coordinator enters it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ApplicationRecord {
    /// Stable reference within the round: 1 to 40 of `A-Z a-z 0-9 _ -`, unique.
    pub ref_no: String,
    /// The applying organisation, 1 to 100 characters.
    pub applicant_org: String,
    /// Its unified social credit code (统一社会信用代码), upper case, check character verified.
    pub credit_code: Option<String>,
    pub kind: Kind,
    /// The occupations (职业(工种)), at least one, each 1 to 50 characters, no repeats.
    pub occupations: Vec<String>,
    /// A studio's leader (带头人); required for, and only for, a studio.
    pub leader_name: Option<String>,
    /// A studio leader's skill level, one of [`SKILL_LEVELS`].
    pub leader_level: Option<String>,
    /// A studio leader's recorded traditional-craft exception (绝技绝活), free text.
    pub craft_exception: Option<String>,
    #[serde(default)]
    pub figures: Figures,
    /// An existing base: the year it was designated a national base (the
    /// policy chooses existing bases among those designated 2011–2020).
    #[serde(default)]
    pub designation_year: Option<u16>,
    /// The applicant declares no criminal penalty and no joint credit
    /// sanction (刑事处罚、失信联合惩戒) in the last 3 years.
    #[serde(default)]
    pub no_sanctions: Option<bool>,
    /// Where that declaration was checked (e.g. a 信用中国 report number),
    /// up to 100 characters.
    #[serde(default)]
    pub sanctions_evidence: Option<String>,
    /// The priority field the application belongs to, one of
    /// [`PRIORITY_FIELDS`], for the report's tally.
    #[serde(default)]
    pub priority_field: Option<String>,
    /// Up to 500 characters; line breaks allowed.
    pub notes: Option<String>,
}

/// The fields the policy supports first (优先支持): 先进制造业、战略性新兴产业
/// 及托育、护理、康养、家政等民生重点领域.
pub const PRIORITY_FIELDS: [&str; 6] = [
    "先进制造业",
    "战略性新兴产业",
    "托育",
    "护理",
    "康养",
    "家政",
];

const REF: usize = 0;
const ORG: usize = 1;
const CREDIT: usize = 2;
const KIND: usize = 3;
const OCC: usize = 4;
const LEADER: usize = 5;
const LEVEL: usize = 6;
const CRAFT: usize = 7;
const ANNUAL: usize = 8;
const HIGH: usize = 9;
const PASS: usize = 10;
const SATISFACTION: usize = 11;
const EXISTING: usize = 12;
const NOTES: usize = 13;
const DESIGNATED: usize = 14;
const CLEAN: usize = 15;
const EVIDENCE: usize = 16;
const PRIORITY: usize = 17;
const NCOLS: usize = 18;

/// The application layout, in template order. The keys of the figures are the
/// field names inside [`Figures`].
pub const COLUMNS: [Column; NCOLS] = [
    Column {
        key: "ref_no",
        zh: "申报编号",
        required: true,
        accepts: "字母、数字、_ 和 -，1–40位，本轮内不得重复 / 1–40 of A–Z a–z 0–9 _ -, unique in the round",
    },
    Column {
        key: "applicant_org",
        zh: "申报单位",
        required: true,
        accepts: "申报单位全称，最多100字 / full name of the applying organisation, up to 100 characters",
    },
    Column {
        key: "credit_code",
        zh: "统一社会信用代码",
        required: false,
        accepts: "申报单位的18位统一社会信用代码（核对校验位） / \
                  the applicant's 18-character unified social credit code (check character verified)",
    },
    Column {
        key: "kind",
        zh: "项目类型",
        required: true,
        accepts: "新建培训基地、已建培训基地 或 技能大师工作室（也接受英文代码，见下表） / \
                  base_new, base_existing or studio, or the Chinese label",
    },
    Column {
        key: "occupations",
        zh: "职业(工种)",
        required: true,
        accepts: "至少一个，每个最多50字，不得重复，用 、 ； ; , ， 或换行分隔 / \
                  at least one, each up to 50 characters, no repeats, separated by 、 ； ; , ， or line breaks",
    },
    Column {
        key: "leader_name",
        zh: "带头人姓名",
        required: false,
        accepts: "技能大师工作室必填，培训基地不填；最多40字 / \
                  required for a studio, empty for a base; up to 40 characters",
    },
    Column {
        key: "leader_level",
        zh: "带头人技能等级",
        required: false,
        accepts: "仅工作室填写，见下表 / studios only, one of the values below",
    },
    Column {
        key: "craft_exception",
        zh: "传统工艺例外说明",
        required: false,
        accepts: "仅工作室填写：带头人不是高级技师但有绝技绝活、传承传统工艺时说明，最多200字 / \
                  studios only: the traditional-craft exception for a leader below senior technician, up to 200 characters",
    },
    Column {
        key: "annual_trainees",
        zh: "年培训人次",
        required: false,
        accepts: "非负整数，可用千位逗号（如 3,000） / a whole number, thousands commas allowed",
    },
    Column {
        key: "high_skill_trainees",
        zh: "其中高技能人才培训人次",
        required: false,
        accepts: "非负整数，不超过年培训人次 / a whole number, at most annual_trainees",
    },
    Column {
        key: "pass_rate_pct",
        zh: "培训合格率(%)",
        required: false,
        accepts: "0–100，最多两位小数，可带 %（90% 填 90，不填 0.9） / \
                  0–100 with at most 2 decimals, % allowed (90 % is 90, not 0.9)",
    },
    Column {
        key: "satisfaction_pct",
        zh: "满意率(%)",
        required: false,
        accepts: "同培训合格率 / as pass_rate_pct",
    },
    Column {
        key: "existing_national_studio",
        zh: "已有同单位国家级工作室",
        required: false,
        accepts: "仅工作室填写：带头人是否已以本单位确定为国家级技能大师工作室，是/否（yes/no） / \
                  studios only: whether the leader already holds a national studio with this organisation",
    },
    Column {
        key: "notes",
        zh: "备注",
        required: false,
        accepts: "最多500字，可换行 / up to 500 characters, line breaks allowed",
    },
    Column {
        key: "designation_year",
        zh: "确定为国家级基地的年份",
        required: false,
        accepts: "仅已建培训基地填写：确定为国家级高技能人才培训基地的年份，4位数字 / \
                  existing bases only: the year the base was designated national, 4 digits",
    },
    Column {
        key: "no_sanctions",
        zh: "近3年无刑事处罚和失信联合惩戒",
        required: false,
        accepts: "申报单位声明近3年未受过刑事处罚和失信联合惩戒，是/否（yes/no） / \
                  the applicant declares no criminal penalty or joint credit sanction in the last 3 years",
    },
    Column {
        key: "sanctions_evidence",
        zh: "信用核查凭证",
        required: false,
        accepts: "核查上述声明的凭证（如信用中国报告编号），最多100字 / \
                  where the declaration was checked (e.g. a credit report number), up to 100 characters",
    },
    Column {
        key: "priority_field",
        zh: "优先支持领域",
        required: false,
        accepts: "先进制造业、战略性新兴产业、托育、护理、康养、家政 之一，不属于则不填 / \
                  one of the policy's priority fields, or empty",
    },
];

// ---------------------------------------------------------------------------
// Field parsing
// ---------------------------------------------------------------------------

fn parse_occupations(v: &str) -> Result<Vec<String>, String> {
    let items: Vec<String> = v
        .split(LIST_SEPARATORS)
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| free_text(s, MAX_OCCUPATION))
        .collect::<Result<_, _>>()?;
    if items.is_empty() {
        return Err("缺少必填项 / required value missing".into());
    }
    for (i, item) in items.iter().enumerate() {
        if items[..i].contains(item) {
            return Err(format!(
                "职业(工种)「{}」重复 / occupation listed twice",
                shorten(item)
            ));
        }
    }
    Ok(items)
}

fn parse_level(v: &str) -> Result<String, String> {
    crate::roster::one_of_levels(v, "带头人技能等级", "leader_level")
}

/// Free text that may span lines: line ends become `\n`, and otherwise the
/// rules of [`free_text`] apply.
fn parse_notes(v: &str) -> Result<String, String> {
    let v = crate::text::nfc(&v.replace("\r\n", "\n").replace('\r', "\n"));
    free_text(&v.replace('\n', " "), MAX_NOTES)?;
    Ok(v)
}

/// A whole number of person-times: ASCII digits, optionally grouped by commas
/// in threes (`3,000`).
fn parse_count(v: &str) -> Result<u32, String> {
    let bad = || {
        format!(
            "「{}」不是非负整数 / not a whole number (digits only, thousands commas allowed)",
            shorten(v)
        )
    };
    let groups: Vec<&str> = v.split(',').collect();
    let grouped_ok = groups.len() == 1
        || (!groups[0].is_empty()
            && groups[0].len() <= 3
            && groups[1..].iter().all(|g| g.len() == 3));
    if !grouped_ok || !groups.iter().all(|g| g.bytes().all(|b| b.is_ascii_digit())) {
        return Err(bad());
    }
    let digits: String = groups.concat();
    if digits.is_empty() {
        return Err(bad());
    }
    digits
        .parse::<u32>()
        .map_err(|_| format!("「{}」过大 / too large (at most {})", shorten(v), u32::MAX))
}

/// Writes hundredths without trailing zeros: 9250 → `92.5`, 10000 → `100`.
fn hundredths_text(h: u64) -> String {
    let (int, frac) = (h / 100, h % 100);
    if frac == 0 {
        int.to_string()
    } else if frac % 10 == 0 {
        format!("{int}.{}", frac / 10)
    } else {
        format!("{int}.{frac:02}")
    }
}

/// A percentage 0–100 with at most two decimals, an optional `%` after it;
/// normalised (`092.50%` → `92.5`). A value between 0 and 1 is refused: it is
/// nearly always a fraction (0.9 for 90 %) and a real rate that low is not
/// worth the risk of reading every fraction as a near-zero rate.
fn parse_pct(v: &str) -> Result<String, String> {
    let bad = || {
        format!(
            "百分比「{}」无效：应为 0–100 的数，最多两位小数，如 92.5 或 92.5% / \
             a percentage must be a number 0–100 with at most 2 decimals, e.g. 92.5 or 92.5%",
            shorten(v)
        )
    };
    let s = v.strip_suffix(['%', '％']).map(str::trim_end).unwrap_or(v);
    let (int, frac) = s.split_once('.').unwrap_or((s, ""));
    let digits = |t: &str| t.bytes().all(|b| b.is_ascii_digit());
    if int.is_empty() || !digits(int) || !digits(frac) || (s.contains('.') && frac.is_empty()) {
        return Err(bad());
    }
    let frac = frac.trim_end_matches('0');
    if frac.len() > 2 {
        return Err(format!(
            "百分比「{}」最多两位小数 / a percentage has at most 2 decimals",
            shorten(v)
        ));
    }
    let int = int.trim_start_matches('0');
    if int.len() > 3 {
        return Err(bad());
    }
    let h =
        int.parse::<u64>().unwrap_or(0) * 100 + format!("{frac:0<2}").parse::<u64>().unwrap_or(0);
    if h > 10_000 {
        return Err(format!(
            "百分比「{}」超过100 / a percentage is at most 100",
            shorten(v)
        ));
    }
    if h > 0 && h < 100 {
        return Err(format!(
            "百分比「{}」小于1，疑为小数写法：90% 请填 90 或 90%，不要填 0.9 / \
             below 1: write 90 % as 90 or 90%, not 0.9",
            shorten(v)
        ));
    }
    Ok(hundredths_text(h))
}

fn parse_yes_no(v: &str) -> Result<bool, String> {
    match v.to_ascii_lowercase().as_str() {
        "是" | "yes" | "y" | "true" | "1" => Ok(true),
        "否" | "no" | "n" | "false" | "0" => Ok(false),
        _ => Err(format!(
            "「{}」无效，应为 是 或 否 / must be 是 (yes) or 否 (no)",
            shorten(v)
        )),
    }
}

/// A designation year: four digits, 1990 to 2100.
fn parse_year(v: &str) -> Result<u16, String> {
    match v.parse::<u16>() {
        Ok(y) if v.len() == 4 && (1990..=2100).contains(&y) => Ok(y),
        _ => Err(format!(
            "年份「{}」无效，应为4位数字，如 2015 / a year must be 4 digits, e.g. 2015",
            shorten(v)
        )),
    }
}

fn parse_priority(v: &str) -> Result<String, String> {
    if PRIORITY_FIELDS.contains(&v) {
        Ok(v.to_string())
    } else {
        Err(format!(
            "优先支持领域「{}」不在可选范围：{} / priority_field must be one of the listed values",
            shorten(v),
            PRIORITY_FIELDS.join("、")
        ))
    }
}

fn yes_no(b: bool) -> &'static str {
    if b { "是" } else { "否" }
}

// ---------------------------------------------------------------------------
// The table reader (shared with the roster)
// ---------------------------------------------------------------------------

/// A header cell as matched: BOM and surrounding space removed, full-width
/// parentheses and percent sign read as ASCII (`职业（工种）` is `职业(工种)`).
fn normalise_header(cell: &str) -> String {
    cell.trim()
        .trim_start_matches('\u{feff}')
        .trim()
        .replace('（', "(")
        .replace('）', ")")
        .replace('％', "%")
}

/// Interprets a table: maps the header, validates every row, checks ref_no is unique.
fn parse_table(table: Table) -> Result<Vec<ApplicationRecord>, ImportErrors> {
    let mut first_row_of: HashMap<String, usize> = HashMap::new();
    table.parse(&COLUMNS, normalise_header, |row, f| {
        let ref_no = f.get(REF, |v| parse_id(v, &COLUMNS[REF]));
        let applicant_org = f.get(ORG, |v| required(v).and_then(|v| free_text(v, MAX_ORG)));
        let credit_code = f.get(CREDIT, |v| optional(v, parse_credit_code));
        let kind = f.get(KIND, |v| required(v).and_then(Kind::parse));
        let occupations = f.get(OCC, parse_occupations);
        let leader_name = f.get(LEADER, |v| optional(v, |v| free_text(v, MAX_NAME)));
        let leader_level = f.get(LEVEL, |v| optional(v, parse_level));
        let craft_exception = f.get(CRAFT, |v| optional(v, |v| free_text(v, MAX_CRAFT)));
        let annual_trainees = f.get(ANNUAL, |v| optional(v, parse_count));
        let high_skill_trainees = f.get(HIGH, |v| optional(v, parse_count));
        let pass_rate_pct = f.get(PASS, |v| optional(v, parse_pct));
        let satisfaction_pct = f.get(SATISFACTION, |v| optional(v, parse_pct));
        let existing_national_studio = f.get(EXISTING, |v| optional(v, parse_yes_no));
        let designation_year = f.get(DESIGNATED, |v| optional(v, parse_year));
        let no_sanctions = f.get(CLEAN, |v| optional(v, parse_yes_no));
        let sanctions_evidence = f.get(EVIDENCE, |v| optional(v, |v| free_text(v, MAX_EVIDENCE)));
        let priority_field = f.get(PRIORITY, |v| optional(v, parse_priority));
        let notes = f.get(NOTES, |v| optional(v, parse_notes));
        if !matches!(kind, Some(Kind::BaseExisting) | None)
            && designation_year.as_ref().is_some_and(Option::is_some)
        {
            f.error_or(
                DESIGNATED,
                KIND,
                "仅已建培训基地填写 / only for an existing base".into(),
            );
        }

        // The rules across cells.
        match kind {
            Some(Kind::Studio) => {
                if matches!(leader_name, Some(None)) {
                    f.error_or(
                        LEADER,
                        KIND,
                        "技能大师工作室须填写带头人姓名（带头人姓名 leader_name 列） / \
                         a skill master studio needs its leader's name (column leader_name)"
                            .into(),
                    );
                }
            }
            Some(k) => {
                let filled = [
                    (LEADER, leader_name.as_ref().is_some_and(Option::is_some)),
                    (LEVEL, leader_level.as_ref().is_some_and(Option::is_some)),
                    (CRAFT, craft_exception.as_ref().is_some_and(Option::is_some)),
                    (
                        EXISTING,
                        existing_national_studio
                            .as_ref()
                            .is_some_and(Option::is_some),
                    ),
                ];
                for (j, _) in filled.into_iter().filter(|(_, set)| *set) {
                    f.error_or(
                        j,
                        KIND,
                        format!(
                            "仅技能大师工作室填写，本行是{} / only for a skill master studio, this row is {}",
                            k.label(),
                            k.code()
                        ),
                    );
                }
            }
            None => {}
        }
        if let (Some(Some(all)), Some(Some(high))) = (annual_trainees, high_skill_trainees)
            && high > all
        {
            f.error_or(
                HIGH,
                ANNUAL,
                format!(
                    "高技能人才培训人次{high}超过年培训人次{all} / high-skill trainees exceed the annual trainees"
                ),
            );
        }
        if let Some(id) = &ref_no {
            match first_row_of.get(id) {
                Some(first) => f.error(
                    REF,
                    format!(
                        "申报编号「{id}」重复，第{first}行已使用 / duplicate ref_no, already used in row {first}"
                    ),
                ),
                None => {
                    first_row_of.insert(id.clone(), row);
                }
            }
        }

        move || ApplicationRecord {
            ref_no: ref_no.expect("no error"),
            applicant_org: applicant_org.expect("no error"),
            credit_code: credit_code.expect("no error"),
            kind: kind.expect("no error"),
            occupations: occupations.expect("no error"),
            leader_name: leader_name.expect("no error"),
            leader_level: leader_level.expect("no error"),
            craft_exception: craft_exception.expect("no error"),
            figures: Figures {
                annual_trainees: annual_trainees.expect("no error"),
                high_skill_trainees: high_skill_trainees.expect("no error"),
                pass_rate_pct: pass_rate_pct.expect("no error"),
                satisfaction_pct: satisfaction_pct.expect("no error"),
                existing_national_studio: existing_national_studio.expect("no error"),
            },
            designation_year: designation_year.expect("no error"),
            no_sanctions: no_sanctions.expect("no error"),
            sanctions_evidence: sanctions_evidence.expect("no error"),
            priority_field: priority_field.expect("no error"),
            notes: notes.expect("no error"),
        }
    })
}

// ---------------------------------------------------------------------------
// CSV
// ---------------------------------------------------------------------------

/// Parses the applications from CSV (comma-separated, UTF-8 with or without BOM).
///
/// Bytes that are not UTF-8 (typically GB18030/GBK from Excel's plain "CSV" on
/// Chinese Windows) give a single error asking for "CSV UTF-8", as for the roster.
pub fn parse_csv(bytes: &[u8]) -> Result<Vec<ApplicationRecord>, ImportErrors> {
    parse_table(Table::from_csv(bytes)?)
}

/// One row of the layout for a record, in [`COLUMNS`] order.
fn record_cells(r: &ApplicationRecord) -> [String; NCOLS] {
    let opt = |o: &Option<String>| o.clone().unwrap_or_default();
    let num = |o: Option<u32>| o.map(|n| n.to_string()).unwrap_or_default();
    [
        r.ref_no.clone(),
        r.applicant_org.clone(),
        opt(&r.credit_code),
        r.kind.label().to_string(),
        r.occupations.join(LIST_JOIN),
        opt(&r.leader_name),
        opt(&r.leader_level),
        opt(&r.craft_exception),
        num(r.figures.annual_trainees),
        num(r.figures.high_skill_trainees),
        opt(&r.figures.pass_rate_pct),
        opt(&r.figures.satisfaction_pct),
        r.figures
            .existing_national_studio
            .map(|b| yes_no(b).to_string())
            .unwrap_or_default(),
        opt(&r.notes),
        r.designation_year
            .map(|y| y.to_string())
            .unwrap_or_default(),
        r.no_sanctions
            .map(|b| yes_no(b).to_string())
            .unwrap_or_default(),
        opt(&r.sanctions_evidence),
        opt(&r.priority_field),
    ]
}

/// The example records of the templates: an existing base and a studio, both
/// valid (the templates write them with their ids marked, see [`example_rows`]).
fn example_records() -> Vec<ApplicationRecord> {
    vec![
        ApplicationRecord {
            ref_no: "A2025-01".into(),
            applicant_org: "广东省某某技师学院".into(),
            credit_code: Some("91350100M000100Y43".into()),
            kind: Kind::BaseExisting,
            occupations: vec![
                "电工".into(),
                "焊工".into(),
                "数控车工".into(),
                "养老护理员".into(),
                "育婴员".into(),
            ],
            leader_name: None,
            leader_level: None,
            craft_exception: None,
            figures: Figures {
                annual_trainees: Some(3600),
                high_skill_trainees: Some(1200),
                pass_rate_pct: Some("95.5".into()),
                satisfaction_pct: Some("92".into()),
                existing_national_studio: None,
            },
            designation_year: Some(2016),
            no_sanctions: Some(true),
            sanctions_evidence: Some("信用中国报告 XY2025-0001".into()),
            priority_field: Some("先进制造业".into()),
            notes: None,
        },
        ApplicationRecord {
            ref_no: "A2025-02".into(),
            applicant_org: "某某装备制造有限公司".into(),
            credit_code: None,
            kind: Kind::Studio,
            occupations: vec!["焊工".into()],
            leader_name: Some("李四".into()),
            leader_level: Some("高级技师".into()),
            craft_exception: None,
            figures: Figures {
                existing_national_studio: Some(false),
                ..Figures::default()
            },
            designation_year: None,
            no_sanctions: Some(true),
            sanctions_evidence: Some("信用中国报告 XY2025-0002".into()),
            priority_field: None,
            notes: Some("带头人从事焊接工作二十余年".into()),
        },
    ]
}

/// The example rows of the templates, their ids marked with
/// [`EXAMPLE_MARK`](crate::roster::EXAMPLE_MARK) so that no import takes them.
fn example_rows() -> Vec<[String; NCOLS]> {
    example_records()
        .iter()
        .map(|r| mark_example(record_cells(r)))
        .collect()
}

/// The CSV template: UTF-8 with BOM, CRLF line ends, the header row and two
/// example rows (an existing base and a studio) whose ids begin with
/// [`EXAMPLE_MARK`](crate::roster::EXAMPLE_MARK): imported unchanged, each is
/// refused with a message naming its row.
pub fn template_csv() -> Vec<u8> {
    write_csv(&COLUMNS, &example_rows())
}

/// Applications as CSV in the template's layout; [`parse_csv`] gives the
/// records back when they are valid (as every imported or checked record is).
pub fn export_csv(records: &[ApplicationRecord]) -> Vec<u8> {
    let rows: Vec<[String; NCOLS]> = records.iter().map(record_cells).collect();
    write_csv(&COLUMNS, &rows)
}

/// Checks an application given as JSON by exactly the rules of an import (it
/// is written out as a one-row file and read back), and returns it normalised:
/// trimmed, percentages without trailing zeros, occupations split at separators.
pub fn check(r: &ApplicationRecord) -> Result<ApplicationRecord, ImportErrors> {
    let mut v = parse_csv(&export_csv(std::slice::from_ref(r)))?;
    match (v.pop(), v.is_empty()) {
        (Some(r), true) => Ok(r),
        _ => Err(ImportErrors::file(
            "应为一条申报 / expected exactly one application",
        )),
    }
}

// ---------------------------------------------------------------------------
// XLSX
// ---------------------------------------------------------------------------

/// Whether a number format shows a percentage: a `%` outside quoted text and
/// backslash escapes (`0.0%`, not `0"%"`).
fn is_percent_format(code: &str) -> bool {
    let mut quoted = false;
    let mut escaped = false;
    for c in code.chars() {
        match c {
            _ if escaped => escaped = false,
            '\\' if !quoted => escaped = true,
            '"' => quoted = !quoted,
            '%' if !quoted => return true,
            _ => {}
        }
    }
    false
}

/// The text of an XLSX cell. A number in a percentage cell comes out as it
/// shows, with a `%` (0.925 → `92.5%`), so that "90%" typed into Excel is read
/// as 90 and not 0.9; other cells as the roster reads them.
fn cell_text(d: &Data, style: Option<&Style>) -> RawCell {
    let percent = style
        .and_then(|s| s.number_format.as_ref())
        .is_some_and(|f| is_percent_format(&f.format_code));
    let value = match d {
        Data::Float(f) if percent => *f,
        Data::Int(i) if percent => *i as f64,
        _ => return xlsx_cell_text(d),
    };
    let h = value * 10_000.0;
    let r = h.round();
    if h.is_finite() && (h - r).abs() < 1e-6 && (0.0..=1e12).contains(&r) {
        Ok(format!("{}%", hundredths_text(r as u64)))
    } else {
        // Negative, or more than two decimals: shown as is, for the check to refuse.
        Ok(format!("{}%", value * 100.0))
    }
}

/// Parses the applications from the first visible worksheet of an XLSX workbook.
pub fn parse_xlsx(bytes: &[u8]) -> Result<Vec<ApplicationRecord>, ImportErrors> {
    parse_table(Table::from_xlsx(bytes, Some(cell_text))?)
}

/// The closed value sets of the layout, offered as drop-down lists.
fn choices() -> Vec<Choices> {
    vec![
        Choices {
            col: KIND,
            values: KINDS.iter().map(|(_, _, label, _)| *label).collect(),
            also: Some((
                "base_new/base_existing/studio、新建、已建、工作室 等",
                "base_new/base_existing/studio and the short names on the notes sheet",
            )),
        },
        Choices {
            col: LEVEL,
            values: SKILL_LEVELS.to_vec(),
            also: None,
        },
        Choices {
            col: EXISTING,
            values: vec![yes_no(true), yes_no(false)],
            also: Some(("yes/no", "yes/no")),
        },
        Choices {
            col: CLEAN,
            values: vec![yes_no(true), yes_no(false)],
            also: Some(("yes/no", "yes/no")),
        },
        Choices {
            col: PRIORITY,
            values: PRIORITY_FIELDS.to_vec(),
            also: None,
        },
    ]
}

/// The applications workbook: the data sheet with `rows`; for a template
/// (`examples` given) also the notes sheet and the example sheet.
fn write_xlsx(
    rows: &[[String; NCOLS]],
    examples: Option<&[[String; NCOLS]]>,
) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let bold = Format::new().set_bold();
    let width = |col: &Column| match col.key {
        "applicant_org" | "occupations" | "notes" => 28,
        _ => 18,
    };
    let choices = choices();
    add_data_sheet(
        &mut book,
        "申报项目 applications",
        &COLUMNS,
        width,
        &choices,
        rows,
    )?;
    if let Some(examples) = examples {
        let hint = "导入时只读第一张工作表，从第2行起填写；示例在“示例 Example”表，其编号以“示例”开头，\
                    导入时会被拒绝。表头可以只写中文或只写英文，列的顺序不限 / \
                    only the first worksheet is imported, from row 2; the examples are on the sheet \
                    \"示例 Example\" and their ref_no begins with 示例, which an import refuses. \
                    A header may be the Chinese or the English part alone, in any column order";
        let (n, mut r) = add_notes_sheet(&mut book, &COLUMNS, (34, 16), hint)?;
        n.write_string_with_format(r, 0, "项目类型 kind", &bold)?;
        n.write_string_with_format(r, 1, "名称 label", &bold)?;
        n.write_string_with_format(r, 2, "代码 code", &bold)?;
        n.write_string_with_format(r, 3, "也接受 also accepted", &bold)?;
        r += 1;
        for (_, code, label, more) in KINDS {
            n.write_string(r, 1, label)?;
            n.write_string(r, 2, code)?;
            n.write_string(r, 3, more.join("、"))?;
            r += 1;
        }
        r += 1;
        n.write_string_with_format(r, 0, "带头人技能等级 leader_level", &bold)?;
        r += 1;
        for level in SKILL_LEVELS {
            n.write_string(r, 1, *level)?;
            r += 1;
        }
        r += 1;
        n.write_string_with_format(
            r,
            0,
            "政策条件参考（人社部发〔2022〕62号），导入时不据此拒绝 / \
             the policy's conditions, for reference; an import does not refuse on them",
            &bold,
        )?;
        let conditions = [
            (
                "新建培训基地",
                "近3年未受过刑事处罚和失信联合惩戒；年培训2000人次以上；5个以上职业工种的实习实训条件 / \
                 no criminal penalty or joint credit sanction in 3 years; ≥ 2000 person-times a year; ≥ 5 occupations",
            ),
            (
                "已建培训基地",
                "2011—2020年确定的国家级基地；符合新建项目条件；年培训3000人次以上，其中高技能人才不少于1000人次；\
                 培训合格率、满意率均达到90%以上 / designated 2011–2020; the new-base conditions; \
                 ≥ 3000 a year, ≥ 1000 high-skill; pass rate and satisfaction ≥ 90 %",
            ),
            (
                "技能大师工作室",
                "带头人一般为高级技师（或特级技师、首席技师），或有绝技绝活、传承传统工艺；已确定为国家级工作室的不得以相同单位再次申报 / \
                 leader normally a senior technician or above, or a traditional-craft exception; not again with the same organisation",
            ),
        ];
        for (kind, text) in conditions {
            r += 1;
            n.write_string(r, 1, kind)?;
            n.write_string(r, 3, text)?;
        }
        add_example_sheet(&mut book, &COLUMNS, width, &choices, examples)?;
    }
    book.save_to_buffer()
}

/// The XLSX template: the applications sheet with the header row and drop-down
/// lists and no data, a sheet "说明 notes" describing each column, the accepted
/// values and the policy's conditions, and a sheet "示例 Example" with two
/// example rows (their ids marked) that an import never reads.
pub fn template_xlsx() -> Vec<u8> {
    write_xlsx(&[], Some(&example_rows())).expect("the template is within XLSX limits")
}

/// Applications as XLSX in the template's layout (every cell text); [`parse_xlsx`]
/// gives the records back when they are valid.
///
/// # Panics
/// If there are more than 1,048,575 records.
pub fn export_xlsx(records: &[ApplicationRecord]) -> Vec<u8> {
    let rows: Vec<[String; NCOLS]> = records.iter().map(record_cells).collect();
    write_xlsx(&rows, None).expect("applications within XLSX limits")
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_xlsxwriter::Workbook;

    fn header_line() -> String {
        COLUMNS
            .iter()
            .map(Column::header)
            .collect::<Vec<_>>()
            .join(",")
    }

    fn at(e: &ImportErrors) -> Vec<(usize, Option<&str>)> {
        e.0.iter().map(|e| (e.row, e.column.as_deref())).collect()
    }

    fn good_csv() -> String {
        format!(
            "{}\n\
             A1,广东省某某技师学院,91350100M000100Y43,已建培训基地,电工、焊工；数控车工;养老护理员，育婴员,,,,\"3,600\",1200,95.50%,92,,,2016,是,信用中国报告 XY2025-0001,先进制造业\n\
             A2,某某公司,,studio,\"焊工\n钳工\",李四,高级技师,,,,,,否,\"第一行\r\n第二行\"\n\
             ,,,,,,,,,,,,,\n\
             \n\
             a-3,某某学院,,新建,养老护理员,,,,2000,,,,,\n",
            header_line()
        )
    }

    #[test]
    fn a_good_csv_parses_into_records() {
        let recs = parse_csv(good_csv().as_bytes()).unwrap();
        assert_eq!(recs.len(), 3);
        let mut first = example_records().remove(0);
        first.ref_no = "A1".into();
        assert_eq!(recs[0], first);
        let s = &recs[1];
        assert_eq!(s.kind, Kind::Studio);
        assert_eq!(s.occupations, ["焊工", "钳工"]);
        assert_eq!(s.leader_name.as_deref(), Some("李四"));
        assert_eq!(s.figures.existing_national_studio, Some(false));
        assert_eq!(s.notes.as_deref(), Some("第一行\n第二行"));
        assert_eq!(s.figures.annual_trainees, None);
        assert_eq!(recs[2].kind, Kind::BaseNew);
        assert_eq!(recs[2].ref_no, "a-3");
        assert_eq!(recs[2].figures.annual_trainees, Some(2000));
    }

    #[test]
    fn a_utf8_bom_and_crlf_line_ends_are_accepted_but_gbk_is_not() {
        let mut bytes = UTF8_BOM.to_vec();
        bytes.extend(good_csv().replace('\n', "\r\n").into_bytes());
        assert_eq!(parse_csv(&bytes).unwrap().len(), 3);
        // "申报编号" in GBK.
        let err = parse_csv(b"\xc9\xea\xb1\xa8\xb1\xe0\xba\xc5\r\nA1\r\n").unwrap_err();
        assert_eq!(err.0.len(), 1);
        assert!(err.0[0].message.contains("CSV UTF-8"), "{err}");
    }

    #[test]
    fn chinese_kind_labels_codes_and_short_names_are_read() {
        for (kind, code, label, more) in KINDS {
            assert_eq!(Kind::parse(label), Ok(kind));
            assert_eq!(Kind::parse(code), Ok(kind));
            assert_eq!(Kind::parse(&code.to_uppercase()), Ok(kind));
            for m in more {
                assert_eq!(Kind::parse(m), Ok(kind));
            }
            assert_eq!(kind.label(), label);
            assert_eq!(serde_json::to_value(kind).unwrap(), code);
        }
        assert!(Kind::parse("培训基地").is_err());
        let csv = "项目类型,申报编号,申报单位,职业（工种）\n已建培训基地,A1,甲,电工\n技能大师工作室,A2,乙,焊工\n";
        let err = parse_csv(csv.as_bytes()).unwrap_err();
        // The studio has no leader and the file has no leader column: reported at the kind.
        assert_eq!(at(&err), [(3, Some("项目类型"))], "{err}");
        let csv =
            "项目类型,申报编号,申报单位,职业（工种）\n已建培训基地,A1,甲,电工\n新建,A2,乙,焊工\n";
        let recs = parse_csv(csv.as_bytes()).unwrap();
        assert_eq!(
            recs.iter().map(|r| r.kind).collect::<Vec<_>>(),
            [Kind::BaseExisting, Kind::BaseNew]
        );
    }

    #[test]
    fn every_bad_cell_is_reported_with_its_row_and_column() {
        let csv = format!(
            "{}\n\
             A1,单位甲,,新建培训基地,电工,,,,,,,,,\n\
             A 2,,91350100M000100Y44,基地,电工、电工,,,,3000.5,,100.01,0.9,,\n\
             \n\
             A3,单位丙,,已建培训基地,,张三,技师,某工艺,1000,1001,92.555,90%,是,\n\
             A4,单位丁,,studio,,,教授,,,,,,也许,=cmd()\n\
             A1,单位戊,,studio,焊工,王五,,,,,,,,\n",
            header_line()
        );
        let err = parse_csv(csv.as_bytes()).unwrap_err();
        let c = |i: usize| Some(COLUMNS[i].header());
        let expected = vec![
            (3, c(REF)),
            (3, c(ORG)),
            (3, c(CREDIT)),
            (3, c(KIND)),
            (3, c(OCC)),
            (3, c(ANNUAL)),
            (3, c(PASS)),
            (3, c(SATISFACTION)),
            (5, c(OCC)),
            (5, c(LEADER)),
            (5, c(LEVEL)),
            (5, c(CRAFT)),
            (5, c(HIGH)),
            (5, c(PASS)),
            (5, c(EXISTING)),
            (6, c(OCC)),
            (6, c(LEADER)),
            (6, c(EXISTING)),
            (6, c(NOTES)),
            (7, c(REF)),
        ];
        let got: Vec<(usize, Option<String>)> =
            err.0.iter().map(|e| (e.row, e.column.clone())).collect();
        assert_eq!(got, expected, "{err}");
        let m: Vec<&str> = err.0.iter().map(|e| e.message.as_str()).collect();
        assert!(m[1].starts_with("缺少必填项"));
        assert!(m[2].contains("校验位"));
        assert!(m[4].contains("重复"));
        assert!(m[5].contains("整数"));
        assert!(m[6].contains("超过100"));
        assert!(m[7].contains("0.9"));
        assert!(m[9].contains("仅技能大师工作室"));
        assert!(m[12].contains("超过年培训人次"));
        assert!(m[13].contains("两位小数"));
        assert!(m[16].contains("带头人姓名"));
        assert!(m[18].contains("公式"));
        assert!(m[19].contains("第2行"), "{}", m[19]);
        assert_eq!(err.to_string().lines().count(), expected.len());
    }

    #[test]
    fn a_duplicate_ref_no_names_the_first_row() {
        let csv = "申报编号,申报单位,项目类型,职业(工种)\nA1,甲,新建,电工\nA2,乙,新建,电工\nA1,丙,已建,电工\n";
        let err = parse_csv(csv.as_bytes()).unwrap_err();
        assert_eq!(at(&err), [(4, Some("申报编号"))], "{err}");
        assert!(err.0[0].message.contains("第2行"), "{err}");
    }

    #[test]
    fn missing_unknown_and_repeated_columns_are_reported() {
        let csv = "申报编号,申报单位,联系人,occupations,职业(工种)\nA1,甲,张三,电工,焊工\n";
        let err = parse_csv(csv.as_bytes()).unwrap_err();
        assert_eq!(
            at(&err),
            [(1, Some("联系人")), (1, Some("职业(工种)")), (1, None)],
            "{err}"
        );
        assert!(err.0[0].message.contains("未知的列"));
        assert!(err.0[1].message.contains("重复的列"));
        assert!(err.0[2].message.contains("项目类型 kind"));
    }

    #[test]
    fn empty_and_header_only_files_are_refused() {
        for bytes in [&b""[..], UTF8_BOM, b"\r\n\r\n"] {
            assert!(parse_csv(bytes).unwrap_err().to_string().contains(NO_DATA));
        }
        let err = parse_csv(format!("{}\r\n,,\r\n", header_line()).as_bytes()).unwrap_err();
        assert_eq!(err.0.len(), 1);
        assert!(err.to_string().contains(NO_DATA));
        assert!(parse_xlsx(b"").unwrap_err().to_string().contains(NO_DATA));
        let header_only = xlsx_with(&["申报编号", "申报单位", "项目类型", "职业(工种)"], &[]);
        assert!(
            parse_xlsx(&header_only)
                .unwrap_err()
                .to_string()
                .contains(NO_DATA)
        );
        assert!(
            parse_xlsx(b"PK not a zip")
                .unwrap_err()
                .to_string()
                .contains("XLSX")
        );
    }

    enum X {
        S(&'static str),
        N(f64),
        /// A number shown with a number format.
        F(f64, &'static str),
        B(bool),
        E,
    }
    use X::{B, E, F, N, S};

    fn xlsx_with(header: &[&str], rows: &[Vec<X>]) -> Vec<u8> {
        let mut book = Workbook::new();
        let s = book.add_worksheet();
        for (c, h) in header.iter().enumerate() {
            s.write_string(0, c as u16, *h).unwrap();
        }
        for (r, row) in rows.iter().enumerate() {
            for (c, v) in row.iter().enumerate() {
                let (r, c) = (r as u32 + 1, c as u16);
                match v {
                    S(t) => s.write_string(r, c, *t).map(|_| ()).unwrap(),
                    N(n) => s.write_number(r, c, *n).map(|_| ()).unwrap(),
                    F(n, f) => s
                        .write_number_with_format(r, c, *n, &Format::new().set_num_format(*f))
                        .map(|_| ())
                        .unwrap(),
                    B(b) => s.write_boolean(r, c, *b).map(|_| ()).unwrap(),
                    E => {}
                }
            }
        }
        book.add_worksheet().set_name("other").unwrap();
        book.save_to_buffer().unwrap()
    }

    #[test]
    fn a_good_xlsx_parses_numbers_percent_cells_and_booleans() {
        // Columns in another order, headers in all three forms and full-width brackets.
        let header = [
            "KIND",
            "申报编号",
            "申报单位 applicant_org",
            "职业（工种）",
            "年培训人次",
            "培训合格率（％）",
            "满意率(%) satisfaction_pct",
            "带头人姓名",
            "existing_national_studio",
        ];
        let bytes = xlsx_with(
            &header,
            &[
                vec![
                    S("已建培训基地"),
                    N(1001.0),
                    S("某某学院"),
                    S("电工、焊工"),
                    N(3600.0),
                    F(0.9, "0%"),
                    F(0.925, "0.0%"),
                    E,
                    E,
                ],
                vec![
                    S("技能大师工作室"),
                    S("S-2"),
                    S("某某公司"),
                    S("焊工"),
                    E,
                    N(95.5),
                    S("100%"),
                    S("王五"),
                    B(true),
                ],
                vec![E, E, E, E, E, E, E, E, E],
            ],
        );
        let recs = parse_xlsx(&bytes).unwrap();
        assert_eq!(recs.len(), 2);
        assert_eq!(recs[0].ref_no, "1001");
        assert_eq!(recs[0].kind, Kind::BaseExisting);
        assert_eq!(recs[0].occupations, ["电工", "焊工"]);
        assert_eq!(recs[0].figures.annual_trainees, Some(3600));
        // 90% typed into Excel is 0.9 in a percentage cell: read as 90, not 0.9.
        assert_eq!(recs[0].figures.pass_rate_pct.as_deref(), Some("90"));
        assert_eq!(recs[0].figures.satisfaction_pct.as_deref(), Some("92.5"));
        assert_eq!(recs[1].figures.pass_rate_pct.as_deref(), Some("95.5"));
        assert_eq!(recs[1].figures.satisfaction_pct.as_deref(), Some("100"));
        assert_eq!(recs[1].figures.existing_national_studio, Some(true));
    }

    #[test]
    fn xlsx_errors_name_the_column_letter_and_header() {
        let header = [
            "申报编号",
            "申报单位",
            "项目类型",
            "职业(工种)",
            "满意率(%)",
        ];
        let bytes = xlsx_with(
            &header,
            &[
                vec![
                    S("A1"),
                    S("甲"),
                    S("工作室"),
                    S("焊工"),
                    F(0.92555, "0.00%"),
                ],
                vec![S("A2"), E, S("新建"), S("电工"), N(0.9)],
            ],
        );
        let err = parse_xlsx(&bytes).unwrap_err();
        assert_eq!(
            at(&err),
            [
                (2, Some("C")),
                (2, Some("E")),
                (3, Some("B")),
                (3, Some("E"))
            ],
            "{err}"
        );
        assert!(err.0[0].message.contains("带头人姓名"));
        assert!(err.0[1].message.contains("两位小数"), "{err}");
        assert!(
            err.to_string()
                .contains("第3行 B列(申报单位): 缺少必填项 / required value missing"),
            "{err}"
        );
    }

    #[test]
    fn percentages_and_counts_are_read_exactly() {
        for (cell, want) in [
            ("92.5", "92.5"),
            ("092.50", "92.5"),
            ("90%", "90"),
            ("90 ％", "90"),
            ("100.00", "100"),
            ("0", "0"),
            ("1", "1"),
            ("99.99", "99.99"),
            ("90.05", "90.05"),
        ] {
            assert_eq!(parse_pct(cell).as_deref(), Ok(want), "{cell}");
        }
        for cell in [
            "100.01", "101", "92.555", "0.9", "-5", "abc", "9 0", "92.", ".5", "1e2", "",
        ] {
            assert!(parse_pct(cell).is_err(), "{cell}");
        }
        assert_eq!(parse_count("3,000"), Ok(3000));
        assert_eq!(parse_count("1,234,567"), Ok(1_234_567));
        assert_eq!(parse_count("4294967295"), Ok(u32::MAX));
        for cell in ["3,00", ",300", "1.5", "-1", "4294967296", "2000人次", ""] {
            assert!(parse_count(cell).is_err(), "{cell}");
        }
        assert!(is_percent_format("0.00%") && is_percent_format("0%;[Red]-0%"));
        assert!(
            !is_percent_format("0\"%\"")
                && !is_percent_format("0\\%")
                && !is_percent_format("General")
        );
    }

    fn varied_records() -> Vec<ApplicationRecord> {
        let mut examples = example_records();
        examples[0].ref_no = "0007".into(); // leading zeros survive as text
        examples.push(ApplicationRecord {
            ref_no: "Z-99_x".into(),
            applicant_org: "某某大学, \"护理\"学院".into(),
            credit_code: None,
            kind: Kind::BaseNew,
            occupations: vec!["养老护理员".into(), "健康照护师".into()],
            leader_name: None,
            leader_level: None,
            craft_exception: None,
            figures: Figures {
                annual_trainees: Some(0),
                high_skill_trainees: Some(0),
                pass_rate_pct: Some("0".into()),
                satisfaction_pct: Some("99.99".into()),
                existing_national_studio: None,
            },
            designation_year: None,
            no_sanctions: Some(false),
            sanctions_evidence: Some("信用中国报告, 第2号".into()),
            priority_field: Some("护理".into()),
            notes: Some("多行\n备注, 含逗号".into()),
        });
        examples.push(ApplicationRecord {
            ref_no: "S3".into(),
            applicant_org: "某某非遗工坊".into(),
            credit_code: None,
            kind: Kind::Studio,
            occupations: vec!["陶瓷工艺师".into()],
            leader_name: Some("欧阳 娜娜".into()),
            leader_level: Some("其他".into()),
            craft_exception: Some("景德镇手工制瓷技艺传承人".into()),
            figures: Figures {
                existing_national_studio: Some(true),
                ..Figures::default()
            },
            designation_year: None,
            no_sanctions: None,
            sanctions_evidence: None,
            priority_field: Some("家政".into()),
            notes: None,
        });
        examples
    }

    #[test]
    fn csv_export_then_import_gives_back_the_same_records() {
        let recs = varied_records();
        assert_eq!(parse_csv(&export_csv(&recs)).unwrap(), recs);
    }

    #[test]
    fn xlsx_export_then_import_gives_back_the_same_records() {
        let recs = varied_records();
        assert_eq!(parse_xlsx(&export_xlsx(&recs)).unwrap(), recs);
    }

    #[test]
    fn the_templates_import_no_example_row() {
        // The XLSX data sheet has the header and nothing else.
        let err = parse_xlsx(&template_xlsx()).unwrap_err();
        assert_eq!(err.0.len(), 1, "{err}");
        assert!(err.0[0].message.contains(NO_DATA), "{err}");
        // Each example row of the CSV template is refused, by row and column.
        let err = parse_csv(&template_csv()).unwrap_err();
        let ref_col = COLUMNS[REF].header();
        assert_eq!(
            at(&err),
            [(2, Some(ref_col.as_str())), (3, Some(ref_col.as_str()))],
            "{err}"
        );
        for e in &err.0 {
            assert!(e.message.starts_with("这是模板的示例行"), "{err}");
            assert!(e.message.contains("ref_no"), "{err}");
        }
        assert!(template_csv().starts_with(UTF8_BOM));
        // Without the marks, the example rows are valid records, a base and a studio.
        let unmarked = String::from_utf8(template_csv())
            .unwrap()
            .replace("示例-", "");
        assert_eq!(parse_csv(unmarked.as_bytes()).unwrap(), example_records());
        let kinds: Vec<Kind> = example_records().iter().map(|r| r.kind).collect();
        assert_eq!(kinds, [Kind::BaseExisting, Kind::Studio]);
    }

    #[test]
    fn the_example_sheet_holds_marked_rows_that_an_import_refuses() {
        let mut book = Xlsx::new(Cursor::new(template_xlsx())).unwrap();
        assert_eq!(
            book.sheet_names(),
            [
                "申报项目 applications",
                "说明 notes",
                crate::roster::EXAMPLE_SHEET
            ]
        );
        let examples = book.worksheet_range(crate::roster::EXAMPLE_SHEET).unwrap();
        let rows: Vec<Vec<String>> = examples
            .rows()
            .map(|r| r.iter().map(|d| xlsx_cell_text(d).unwrap()).collect())
            .collect();
        assert_eq!(rows.len(), 3, "the header and two example rows");
        // As a CSV (or as the first sheet) the rows are refused as examples.
        let csv: String = rows
            .iter()
            .map(|r| {
                r.iter()
                    .map(|c| format!("\"{}\"", c.replace('"', "\"\"")))
                    .collect::<Vec<_>>()
                    .join(",")
                    + "\n"
            })
            .collect();
        let err = parse_csv(csv.as_bytes()).unwrap_err();
        assert_eq!(err.0.len(), 2, "{err}");
        assert!(err.0.iter().all(|e| e.message.contains("示例行")), "{err}");
        assert_eq!(
            parse_csv(csv.replace("示例-", "").as_bytes()).unwrap(),
            example_records()
        );
    }

    #[test]
    fn the_xlsx_files_offer_drop_down_lists_for_kind_level_and_yes_no() {
        let template = template_xlsx();
        let kinds: Vec<&str> = KINDS.iter().map(|k| k.2).collect();
        let want = [
            ("D", kinds.join(","), "warning"),
            ("G", SKILL_LEVELS.join(","), "stop"),
            ("M", "是,否".to_string(), "warning"),
            ("P", "是,否".to_string(), "warning"),
            ("R", PRIORITY_FIELDS.join(","), "stop"),
        ];
        for (bytes, sheet) in [(&template, 1), (&template, 3), (&export_xlsx(&[]), 1)] {
            let got = crate::roster::xlsx_validations(bytes, sheet);
            assert_eq!(got.len(), want.len(), "sheet {sheet}: {got:?}");
            for ((col, list, style), v) in want.iter().zip(&got) {
                assert_eq!(v.kind, "list");
                assert_eq!(v.sqref, format!("{col}2:{col}1048576"));
                assert_eq!(v.list, *list, "column {col}");
                assert_eq!(v.error_style, *style, "column {col}");
                assert!(v.show_error && v.show_input, "column {col}");
            }
        }
        assert!(crate::roster::xlsx_validations(&template, 2).is_empty());
    }

    #[test]
    fn a_filled_in_template_imports_every_drop_down_value() {
        let lists: Vec<Vec<String>> = crate::roster::xlsx_validations(&template_xlsx(), 1)
            .into_iter()
            .map(|v| v.list.split(',').map(str::to_string).collect())
            .collect();
        let [kinds, levels, yes_no, declared, priorities] = &lists[..] else {
            panic!("five lists: {lists:?}");
        };
        let mut rows = Vec::new();
        // One row of each kind; the studio-only columns for the studios.
        for (i, kind) in kinds.iter().enumerate() {
            let mut cells = record_cells(&example_records()[0]);
            cells[REF] = format!("K{i}");
            cells[KIND] = kind.clone();
            if Kind::parse(kind) == Ok(Kind::Studio) {
                cells[LEADER] = "王五".into();
            }
            if Kind::parse(kind) != Ok(Kind::BaseExisting) {
                cells[DESIGNATED] = String::new();
            }
            cells[CLEAN] = declared[i % declared.len()].clone();
            cells[PRIORITY] = priorities[i % priorities.len()].clone();
            rows.push(cells);
        }
        for (i, p) in priorities.iter().enumerate() {
            let mut cells = record_cells(&example_records()[0]);
            cells[REF] = format!("P{i}");
            cells[PRIORITY] = p.clone();
            rows.push(cells);
        }
        for (i, level) in levels.iter().enumerate() {
            let mut cells = record_cells(&example_records()[1]);
            cells[REF] = format!("L{i}");
            cells[LEVEL] = level.clone();
            cells[EXISTING] = yes_no[i % yes_no.len()].clone();
            rows.push(cells);
        }
        // The template's own workbook (notes, example sheet, lists) with the rows filled in.
        let filled = write_xlsx(&rows, Some(&example_rows())).unwrap();
        let recs = parse_xlsx(&filled).unwrap();
        assert_eq!(
            recs.len(),
            KINDS.len() + SKILL_LEVELS.len() + PRIORITY_FIELDS.len()
        );
        let got: Vec<Kind> = recs[..KINDS.len()].iter().map(|r| r.kind).collect();
        assert_eq!(got, KINDS.map(|k| k.0));
        assert_eq!(recs[1].no_sanctions, Some(false), "否 is read");
        let (priorities_at, levels_at) = recs[KINDS.len()..].split_at(PRIORITY_FIELDS.len());
        for (r, p) in priorities_at.iter().zip(PRIORITY_FIELDS) {
            assert_eq!(r.priority_field.as_deref(), Some(p));
        }
        for (i, r) in levels_at.iter().enumerate() {
            assert_eq!(r.ref_no, format!("L{i}"));
            assert_eq!(r.kind, Kind::Studio);
            assert_eq!(r.leader_level.as_deref(), Some(SKILL_LEVELS[i]));
            assert_eq!(r.figures.existing_national_studio, Some(i % 2 == 0));
        }
    }

    #[test]
    fn the_xlsx_template_has_a_notes_sheet_listing_columns_and_values() {
        let mut book = Xlsx::new(Cursor::new(template_xlsx())).unwrap();
        assert_eq!(book.sheet_names()[1], "说明 notes");
        let notes = book.worksheet_range("说明 notes").unwrap();
        let all: Vec<String> = notes
            .cells()
            .filter_map(|(_, _, d)| xlsx_cell_text(d).ok())
            .collect();
        for col in COLUMNS {
            assert!(all.contains(&col.header()), "{}", col.key);
        }
        for (_, code, label, _) in KINDS {
            assert!(all.iter().any(|s| s == code) && all.iter().any(|s| s == label));
        }
        for level in SKILL_LEVELS {
            assert!(all.iter().any(|s| s == level));
        }
    }

    #[test]
    fn a_json_record_is_checked_and_normalised_by_the_import_rules() {
        let json = serde_json::json!({
            "ref_no": "A1",
            "applicant_org": "  某某学院 ",
            "credit_code": "91350100m000100y43",
            "kind": "base_existing",
            "occupations": ["电工", "焊工、钳工"],
            "leader_name": null,
            "leader_level": null,
            "craft_exception": null,
            "figures": {"annual_trainees": 3000, "high_skill_trainees": 1000, "pass_rate_pct": "90.50"},
            "notes": null
        });
        let r: ApplicationRecord = serde_json::from_value(json.clone()).unwrap();
        let c = check(&r).unwrap();
        assert_eq!(c.applicant_org, "某某学院");
        assert_eq!(c.credit_code.as_deref(), Some("91350100M000100Y43"));
        assert_eq!(c.occupations, ["电工", "焊工", "钳工"]);
        assert_eq!(c.figures.pass_rate_pct.as_deref(), Some("90.5"));
        assert_eq!(check(&c).unwrap(), c, "a checked record checks unchanged");

        let mut bad = c.clone();
        bad.kind = Kind::Studio;
        bad.figures.pass_rate_pct = Some("0.95".into());
        bad.figures.high_skill_trainees = Some(3001);
        bad.occupations = vec![];
        let err = check(&bad).unwrap_err();
        let keys: Vec<&str> = err
            .0
            .iter()
            .map(|e| {
                let h = e.column.as_deref().unwrap();
                COLUMNS.iter().find(|c| c.header() == h).unwrap().key
            })
            .collect();
        assert_eq!(
            keys,
            [
                "occupations",
                "leader_name",
                "high_skill_trainees",
                "pass_rate_pct"
            ],
            "{err}"
        );

        // Unknown fields and kinds are refused when the JSON is read.
        let mut extra = json.clone();
        extra["score"] = 90.into();
        assert!(serde_json::from_value::<ApplicationRecord>(extra).is_err());
        let mut extra = json.clone();
        extra["figures"]["score"] = 90.into();
        assert!(serde_json::from_value::<ApplicationRecord>(extra).is_err());
        let mut unknown_kind = json;
        unknown_kind["kind"] = "新建培训基地".into();
        assert!(serde_json::from_value::<ApplicationRecord>(unknown_kind).is_err());
    }

    #[test]
    fn rows_are_counted_as_the_spreadsheet_shows_them() {
        let csv = "申报编号,申报单位,项目类型,职业(工种)\r\nA1,\"甲\r\n乙\",新建,电工\r\n\r\nA2,,新建,电工\r\n";
        let err = parse_csv(csv.as_bytes()).unwrap_err();
        assert_eq!(
            at(&err),
            [(2, Some("申报单位")), (4, Some("申报单位"))],
            "{err}"
        );
    }
}
