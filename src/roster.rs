//! The expert roster (专家库名册): importing it from, and exporting it to, CSV and
//! XLSX files that a provincial coordinator edits in Excel or WPS.
//!
//! Pure logic only: bytes in, records or a list of problems out, no database and
//! no HTTP. An import is all-or-nothing: either every row is valid and every
//! record comes back, or [`ImportErrors`] lists every problem found, each with
//! the row and column the spreadsheet shows, in Chinese first and English second.
//!
//! The layout is [`COLUMNS`]: a header row, then one expert per row. Headers are
//! bilingual (`专家编号 expert_id`); a file may instead use only the Chinese
//! header or only the English key, in any column order.
//!
//! The templates guide without being imported by accident: the XLSX data sheet
//! starts empty (headers and drop-down lists only) and the example rows are on
//! a sheet of their own, "示例 Example", that an import never reads; and every
//! example row, in the CSV template too, has an id beginning with
//! [`EXAMPLE_MARK`], which an import refuses with a message naming the row.
//!
//! [`canonical_snapshot`] turns a roster into a deterministic byte form whose hash
//! the log records.

use std::collections::HashMap;
use std::fmt;
use std::io::Cursor;

use calamine::{Data, Reader, SheetType, SheetVisible, Style, Xlsx};
use fairpanel_core::types::Specialty;
use rust_xlsxwriter::{
    DataValidation, DataValidationErrorStyle, Format, Workbook, Worksheet, XlsxError,
};
use serde::{Deserialize, Serialize};

/// The specialty categories a roster may use: `(code, Chinese label)`. A cell may
/// hold either; the record keeps the code.
pub const SPECIALTIES: &[(&str, &str)] = &[
    ("adv_manufacturing", "先进制造业"),
    ("strategic_emerging", "战略性新兴产业"),
    ("childcare", "托育"),
    ("nursing", "护理"),
    ("elderly_care", "康养"),
    ("domestic_services", "家政"),
    ("electrical", "电工"),
    ("welding", "焊接"),
    ("mechanical", "机械"),
    ("information_tech", "信息技术"),
    ("other", "其他"),
];

/// The accepted skill levels and professional titles (技能等级/职称).
pub const SKILL_LEVELS: &[&str] = &[
    // The eight-level system's top two (特级技师, 首席技师) above 高级技师.
    "首席技师",
    "特级技师",
    "高级技师",
    "技师",
    "高级工",
    "正高级工程师",
    "高级工程师",
    "工程师",
    "教授",
    "副教授",
    "其他",
];

/// The separators accepted between the items of a list cell.
const LIST_SEPARATORS: &[char] = &[';', '；', '、'];
/// The separator written between list items on export.
const LIST_JOIN: &str = "；";

/// How a template's example row is marked: its id (专家编号, or 申报编号 of an
/// application) begins with this. Ids are ASCII, so no real id can begin with
/// it; an import refuses such a row with a message saying it is an example.
pub const EXAMPLE_MARK: &str = "示例";

/// The name of the templates' sheet of example rows, which an import never
/// reads (it reads the first visible sheet, the data sheet).
pub const EXAMPLE_SHEET: &str = "示例 Example";

/// Longest name, in characters.
const MAX_NAME: usize = 40;
/// Longest organisation name (also each avoid-organisation), in characters.
const MAX_ORG: usize = 100;
/// Longest region, and each further specialty, in characters.
const MAX_SHORT: usize = 40;
/// Longest e-mail address, in characters.
const MAX_EMAIL: usize = 254;

/// Whether an expert may be drawn.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// In the pool (在库): may be drawn.
    #[default]
    Active,
    /// Suspended (暂停): stays on the roster but is not drawn.
    Suspended,
}

impl Status {
    /// The Chinese cell value written on export.
    pub fn label(self) -> &'static str {
        match self {
            Status::Active => "在库",
            Status::Suspended => "暂停",
        }
    }

    /// Reads a cell: 在库/正常/active or 暂停/停用/suspended; empty is active.
    pub fn parse(cell: &str) -> Result<Status, String> {
        let v = cell.trim();
        if v.is_empty() || v == "在库" || v == "正常" || v.eq_ignore_ascii_case("active") {
            Ok(Status::Active)
        } else if v == "暂停" || v == "停用" || v.eq_ignore_ascii_case("suspended") {
            Ok(Status::Suspended)
        } else {
            Err(format!(
                "状态「{}」无效，应为 在库/正常/active 或 暂停/停用/suspended（空表示在库） / \
                 status must be 在库/正常/active or 暂停/停用/suspended (empty means active)",
                shorten(v)
            ))
        }
    }
}

/// One expert as a coordinator enters it.
///
/// The field order is part of each record's hash (`store::experts::record_hash`,
/// the line of [`canonical_snapshot`]): changing it changes every roster hash.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ExpertRecord {
    /// Stable identifier: 1 to 40 of `A-Z a-z 0-9 _ -`, unique in a roster.
    pub expert_id: String,
    /// 1 to 40 characters.
    pub name: String,
    /// 男 or 女 (`male`/`female`/`m`/`f` are accepted on import and stored as 男/女).
    pub gender: Option<String>,
    /// The employer, 1 to 100 characters.
    pub organisation: String,
    /// The employer's unified social credit code (统一社会信用代码, GB 32100-2015),
    /// upper case, check character verified.
    pub credit_code: Option<String>,
    /// Declared organisations the expert must be kept away from (回避单位).
    pub avoid_orgs: Vec<String>,
    /// The primary specialty category, one of the codes in [`SPECIALTIES`].
    #[schema(value_type = String)]
    pub specialty: Specialty,
    /// Further specialties, free text.
    pub other_specialties: Vec<String>,
    /// One of [`SKILL_LEVELS`].
    pub skill_level: Option<String>,
    pub region: Option<String>,
    pub status: Status,
    /// Digits, `-`, `+` (first only) and spaces; 7 to 20 characters, at least 7 digits.
    pub phone: Option<String>,
    pub email: Option<String>,
}

/// One column of the roster layout.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Column {
    /// The English key, also the field name of [`ExpertRecord`].
    pub key: &'static str,
    /// The Chinese header.
    pub zh: &'static str,
    /// Whether the column must be present and every row must fill it.
    pub required: bool,
    /// What the column accepts, Chinese then English, for the template's notes.
    pub accepts: &'static str,
}

impl Column {
    /// The header as the template and exports write it: `"<Chinese> <English>"`.
    pub fn header(&self) -> String {
        format!("{} {}", self.zh, self.key)
    }

    /// Whether a header cell names this column: the Chinese header, the English
    /// key (any case), or both separated by white space; surrounding space ignored.
    pub fn matches(&self, cell: &str) -> bool {
        let cell = cell.trim();
        if cell == self.zh || cell.eq_ignore_ascii_case(self.key) {
            return true;
        }
        match cell.rsplit_once(char::is_whitespace) {
            Some((zh, en)) => zh.trim() == self.zh && en.eq_ignore_ascii_case(self.key),
            None => false,
        }
    }
}

const ID: usize = 0;
const NAME: usize = 1;
const GENDER: usize = 2;
const ORG: usize = 3;
const CREDIT: usize = 4;
const AVOID: usize = 5;
const SPEC: usize = 6;
const OTHER_SPEC: usize = 7;
const LEVEL: usize = 8;
const REGION: usize = 9;
const STATUS: usize = 10;
const PHONE: usize = 11;
const EMAIL: usize = 12;
const NCOLS: usize = 13;

/// The roster layout, in template order.
pub const COLUMNS: [Column; NCOLS] = [
    Column {
        key: "expert_id",
        zh: "专家编号",
        required: true,
        accepts: "字母、数字、_ 和 -，1–40位，文件内不得重复 / 1–40 of A–Z a–z 0–9 _ -, unique in the file",
    },
    Column {
        key: "name",
        zh: "姓名",
        required: true,
        accepts: "1–40个字 / 1–40 characters",
    },
    Column {
        key: "gender",
        zh: "性别",
        required: false,
        accepts: "男 或 女（也接受 male/female）/ 男 or 女 (male/female accepted)",
    },
    Column {
        key: "organisation",
        zh: "工作单位",
        required: true,
        accepts: "工作单位全称，最多100字 / full name of the employer, up to 100 characters",
    },
    Column {
        key: "credit_code",
        zh: "统一社会信用代码",
        required: false,
        accepts: "工作单位的18位统一社会信用代码（GB 32100-2015，核对校验位） / \
                  the employer's 18-character unified social credit code (check character verified)",
    },
    Column {
        key: "avoid_orgs",
        zh: "回避单位",
        required: false,
        accepts: "需回避的单位，多个用 ; ； 或 、 分隔 / organisations to avoid, separated by ; ； or 、",
    },
    Column {
        key: "specialty",
        zh: "专业类别",
        required: true,
        accepts: "主专业类别：填代码或中文名称，见下表 / primary specialty: a code or its Chinese label, see below",
    },
    Column {
        key: "other_specialties",
        zh: "其他专业",
        required: false,
        accepts: "其他专业，多个用 ; ； 或 、 分隔 / further specialties, separated by ; ； or 、",
    },
    Column {
        key: "skill_level",
        zh: "技能等级/职称",
        required: false,
        accepts: "见下表 / one of the values below",
    },
    Column {
        key: "region",
        zh: "所在地区",
        required: false,
        accepts: "最多40字 / up to 40 characters",
    },
    Column {
        key: "status",
        zh: "状态",
        required: false,
        accepts: "在库/正常/active 或 暂停/停用/suspended，空表示在库 / empty means active",
    },
    Column {
        key: "phone",
        zh: "联系电话",
        required: false,
        accepts: "数字、-、+ 和空格，7–20位 / digits, -, + and spaces, 7–20 characters",
    },
    Column {
        key: "email",
        zh: "电子邮箱",
        required: false,
        accepts: "例如 name@example.com / e.g. name@example.com",
    },
];

/// One problem found in an imported file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportError {
    /// The row as the spreadsheet shows it, the header being row 1; 0 for a
    /// problem with the file as a whole.
    pub row: usize,
    /// For CSV the header as written in the file (or the column letter when the
    /// header is empty); for XLSX the column letter, e.g. `"C"`. `None` for a
    /// problem with a whole row or the whole file.
    pub column: Option<String>,
    /// The column's header as written in the file, when there is one.
    pub header: Option<String>,
    /// Chinese first, then ` / `, then English.
    pub message: String,
}

impl fmt::Display for ImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.row == 0 {
            f.write_str("文件 / file")?;
        } else {
            write!(f, "第{}行", self.row)?;
        }
        match (&self.column, &self.header) {
            (Some(c), Some(h)) if c != h => write!(f, " {c}列({h})")?,
            (Some(c), _) if c.is_ascii() && c.chars().all(|ch| ch.is_ascii_uppercase()) => {
                write!(f, " {c}列")?
            }
            (Some(c), _) => write!(f, " 「{c}」列")?,
            (None, _) => {}
        }
        write!(f, ": {}", self.message)
    }
}

impl std::error::Error for ImportError {}

/// Every problem found in an imported file, in row order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportErrors(pub Vec<ImportError>);

impl ImportErrors {
    pub(crate) fn file(message: impl Into<String>) -> ImportErrors {
        ImportErrors(vec![ImportError {
            row: 0,
            column: None,
            header: None,
            message: message.into(),
        }])
    }
}

impl fmt::Display for ImportErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str("\n")?;
            }
            write!(f, "{e}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ImportErrors {}

pub(crate) const NO_DATA: &str = "没有数据行 / no data rows";

// ---------------------------------------------------------------------------
// Unified social credit code (GB 32100-2015)
// ---------------------------------------------------------------------------

/// The 31 characters of a unified social credit code, in value order (no I, O, S, V, Z).
const CREDIT_CHARSET: &[u8; 31] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";
/// The weights of positions 1 to 17.
const CREDIT_WEIGHTS: [u32; 17] = [
    1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
];

/// The check character (position 18) of a unified social credit code, from its
/// first 17 characters; `None` if there are not exactly 17 or one is outside the
/// charset.
pub fn credit_code_check_char(first17: &str) -> Option<char> {
    let b = first17.as_bytes();
    if b.len() != 17 {
        return None;
    }
    let mut sum = 0u32;
    for (c, w) in b.iter().zip(CREDIT_WEIGHTS) {
        let v = CREDIT_CHARSET.iter().position(|x| x == c)? as u32;
        sum += v * w;
    }
    let check = (31 - sum % 31) % 31;
    Some(CREDIT_CHARSET[check as usize] as char)
}

/// Validates a unified social credit code (lower case is accepted and upper-cased)
/// and returns it in upper case.
pub fn parse_credit_code(cell: &str) -> Result<String, String> {
    let code = cell.trim().to_ascii_uppercase();
    let n = code.chars().count();
    if n != 18 {
        return Err(format!(
            "统一社会信用代码应为18位，此处为{n}位 / the unified social credit code must have 18 characters, not {n}"
        ));
    }
    if let Some(c) = code
        .chars()
        .find(|c| !c.is_ascii() || !CREDIT_CHARSET.contains(&(*c as u8)))
    {
        return Err(format!(
            "统一社会信用代码含无效字符「{c}」（只用数字和除 I、O、S、V、Z 外的大写字母） / \
             invalid character {c:?} in the unified social credit code (digits and capitals other than I O S V Z)"
        ));
    }
    let expected = credit_code_check_char(&code[..17]).expect("checked length and charset");
    if code.as_bytes()[17] as char != expected {
        return Err(
            "统一社会信用代码校验位不符，请核对 / the unified social credit code's check character \
             does not match: please check the code"
                .into(),
        );
    }
    Ok(code)
}

// ---------------------------------------------------------------------------
// Field parsing
// ---------------------------------------------------------------------------

/// A value for an error message: at most 40 characters.
pub(crate) fn shorten(v: &str) -> String {
    if v.chars().count() <= 40 {
        v.to_string()
    } else {
        let mut s: String = v.chars().take(40).collect();
        s.push('…');
        s
    }
}

/// Checks a free-text value and returns it in NFC: no control characters
/// (line breaks among them), no invisible or bidirectional characters and no
/// look-alike words (the rules of [`crate::text`]), at most `max` characters,
/// and no leading `= + - @` (which Excel would run as a formula when the roster
/// is exported to CSV and opened).
pub(crate) fn free_text(v: &str, max: usize) -> Result<String, String> {
    let v = &crate::text::nfc(v);
    if let Some(c) = v.chars().find(|c| c.is_control()) {
        return Err(format!(
            "含有控制字符（如换行，{0}） / contains control characters such as line breaks ({0})",
            crate::text::code_point(c)
        ));
    }
    if let Some(p) = crate::text::problem(v, false) {
        return Err(p.bilingual());
    }
    let n = v.chars().count();
    if n > max {
        return Err(format!(
            "超过{max}个字，此处{n}个 / longer than {max} characters ({n})"
        ));
    }
    if v.starts_with(['=', '+', '-', '@']) {
        return Err(
            "不能以 = + - @ 开头（Excel 会当作公式） / must not begin with = + - @ (Excel would treat it as a formula)"
                .into(),
        );
    }
    Ok(v.to_string())
}

pub(crate) fn required(v: &str) -> Result<&str, String> {
    if v.is_empty() {
        Err("缺少必填项 / required value missing".into())
    } else {
        Ok(v)
    }
}

pub(crate) fn optional<T>(
    v: &str,
    f: impl FnOnce(&str) -> Result<T, String>,
) -> Result<Option<T>, String> {
    if v.is_empty() {
        Ok(None)
    } else {
        f(v).map(Some)
    }
}

/// Reads a required identifier cell of column `col`: 1 to 40 of `A-Z a-z 0-9 _ -`.
pub(crate) fn parse_id(v: &str, col: &Column) -> Result<String, String> {
    let v = required(v)?;
    if v.starts_with(EXAMPLE_MARK) {
        return Err(format!(
            "这是模板的示例行（{}以“{EXAMPLE_MARK}”开头），不会导入：请删除此行，或改为真实数据 / \
             this is one of the template's example rows (its {} begins with {EXAMPLE_MARK}): \
             delete the row, or replace it with real data",
            col.zh, col.key
        ));
    }
    if v.len() > 40
        || !v
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
    {
        return Err(format!(
            "{}「{}」无效：只能用字母、数字、_ 和 -，1–40位 / {} must be 1–40 of A–Z a–z 0–9 _ -",
            col.zh,
            shorten(v),
            col.key
        ));
    }
    Ok(v.to_string())
}

fn parse_gender(v: &str) -> Result<String, String> {
    match v.to_ascii_lowercase().as_str() {
        "男" | "male" | "m" => Ok("男".into()),
        "女" | "female" | "f" => Ok("女".into()),
        _ => Err(format!(
            "性别「{}」无效，应为 男 或 女 / gender must be 男 (male) or 女 (female)",
            shorten(v)
        )),
    }
}

/// Reads a specialty cell: a code from [`SPECIALTIES`] (any case) or its Chinese label.
pub fn parse_specialty(cell: &str) -> Result<Specialty, String> {
    let v = cell.trim();
    let found = SPECIALTIES
        .iter()
        .find(|(code, label)| v.eq_ignore_ascii_case(code) || v == *label);
    match found {
        Some((code, _)) => Specialty::try_from(*code).map_err(|e| e.to_string()),
        None => {
            let labels: Vec<&str> = SPECIALTIES.iter().map(|(_, l)| *l).collect();
            Err(format!(
                "未知的专业类别「{}」，可选：{}（或其英文代码，见模板“说明 notes”页） / \
                 unknown specialty; use a code or Chinese label listed in the template's notes sheet",
                shorten(v),
                labels.join("、")
            ))
        }
    }
}

/// The Chinese label of a specialty code, or the code itself when it has none.
fn specialty_label(s: &Specialty) -> &str {
    SPECIALTIES
        .iter()
        .find(|(code, _)| *code == s.as_str())
        .map(|(_, label)| *label)
        .unwrap_or(s.as_str())
}

fn parse_skill_level(v: &str) -> Result<String, String> {
    one_of_levels(v, "技能等级/职称", "skill level")
}

/// One of [`SKILL_LEVELS`]; the message names the field (Chinese, English).
pub(crate) fn one_of_levels(v: &str, zh: &str, en: &str) -> Result<String, String> {
    if SKILL_LEVELS.contains(&v) {
        Ok(v.to_string())
    } else {
        Err(format!(
            "{zh}「{}」不在可选范围：{} / {en} must be one of the listed values",
            shorten(v),
            SKILL_LEVELS.join("、")
        ))
    }
}

fn parse_phone(v: &str) -> Result<String, String> {
    let n = v.chars().count();
    let digits = v.chars().filter(char::is_ascii_digit).count();
    let chars_ok = v
        .char_indices()
        .all(|(i, c)| c.is_ascii_digit() || c == '-' || c == ' ' || (c == '+' && i == 0));
    if !(7..=20).contains(&n) || digits < 7 || !chars_ok {
        return Err(format!(
            "联系电话「{}」无效：只能用数字、-、+ 和空格，7–20位 / phone must be 7–20 characters of digits, -, + and spaces",
            shorten(v)
        ));
    }
    Ok(v.to_string())
}

fn parse_email(v: &str) -> Result<String, String> {
    let bad = || {
        format!(
            "电子邮箱「{}」格式不正确 / not a valid e-mail address",
            shorten(v)
        )
    };
    let v = free_text(v, MAX_EMAIL)?;
    let (local, domain) = v.split_once('@').ok_or_else(bad)?;
    if local.is_empty()
        || domain.contains('@')
        || v.chars().any(char::is_whitespace)
        || !domain.contains('.')
        || domain.starts_with('.')
        || domain.ends_with('.')
        || domain.contains("..")
    {
        return Err(bad());
    }
    Ok(v)
}

fn parse_list(v: &str, max: usize) -> Result<Vec<String>, String> {
    v.split(LIST_SEPARATORS)
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| free_text(s, max))
        .collect()
}
// ---------------------------------------------------------------------------
// The shared table reader (also used by `crate::applications`)
// ---------------------------------------------------------------------------

/// One cell as read from a file: its text, or why it cannot be read as text.
pub(crate) type RawCell = Result<String, String>;

/// A file's rows before interpretation.
pub(crate) struct Table {
    /// Row number (as shown) and cells, in file order; the first row is the header.
    rows: Vec<(usize, Vec<RawCell>)>,
    /// Whether columns are named by letter (XLSX) or by header (CSV).
    letters: bool,
}

/// The spreadsheet letter of a 0-based column: 0 → A, 26 → AA.
pub(crate) fn column_letter(mut i: usize) -> String {
    let mut s = Vec::new();
    loop {
        s.push(b'A' + (i % 26) as u8);
        if i < 26 {
            break;
        }
        i = i / 26 - 1;
    }
    s.reverse();
    String::from_utf8(s).expect("ASCII")
}

fn is_blank(cells: &[RawCell]) -> bool {
    cells
        .iter()
        .all(|c| matches!(c, Ok(s) if s.trim().is_empty()))
}

/// The cells of one data row, read field by field, collecting the problems.
pub(crate) struct RowFields<'a> {
    /// Where each column of the layout is in the file.
    at: &'a [Option<usize>],
    cells: &'a [RawCell],
    /// (index in the file, message)
    errors: Vec<(usize, String)>,
}

impl RowFields<'_> {
    /// Records a problem with layout column `j` (nothing when the column is
    /// absent: a missing required column is reported once, in the header).
    pub(crate) fn error(&mut self, j: usize, message: String) {
        self.error_or(j, j, message);
    }

    /// Records a problem with layout column `j`, or with column `instead` when
    /// `j` is absent from the file (a row-level rule must not go unreported).
    pub(crate) fn error_or(&mut self, j: usize, instead: usize, message: String) {
        if let Some(i) = self.at[j].or(self.at[instead]) {
            self.errors.push((i, message));
        }
    }

    /// Reads layout column `j` (trimmed; empty when absent) with `parse`.
    pub(crate) fn get<T>(
        &mut self,
        j: usize,
        parse: impl FnOnce(&str) -> Result<T, String>,
    ) -> Option<T> {
        let Some(i) = self.at[j] else {
            return parse("").ok();
        };
        let result = match self.cells.get(i) {
            None => parse(""),
            Some(Ok(s)) => parse(s.trim()),
            Some(Err(e)) => Err(e.clone()),
        };
        result.map_err(|e| self.errors.push((i, e))).ok()
    }
}

impl Table {
    /// Interprets a table laid out as `columns`: maps the header (each header
    /// cell, trimmed and without BOM, goes through `normalise` before it is
    /// matched), then reads every data row with `parse_row`.
    ///
    /// `parse_row` gets the row number as shown and the row's fields; it reads
    /// them, reports its own cross-cell problems, and returns how to build the
    /// record, which is called only when no problem has been found so far.
    pub(crate) fn parse<R, B>(
        self,
        columns: &[Column],
        normalise: fn(&str) -> String,
        mut parse_row: impl FnMut(usize, &mut RowFields<'_>) -> B,
    ) -> Result<Vec<R>, ImportErrors>
    where
        B: FnOnce() -> R,
    {
        let mut rows = self.rows.into_iter().filter(|(_, cells)| !is_blank(cells));
        let Some((header_row, header_cells)) = rows.next() else {
            return Err(ImportErrors::file(format!("文件为空，{NO_DATA}")));
        };
        let data: Vec<(usize, Vec<RawCell>)> = rows.collect();
        let width = data
            .iter()
            .map(|(_, c)| c.len())
            .chain([header_cells.len()])
            .max()
            .unwrap_or(0);
        let headers: Vec<String> = (0..width)
            .map(|i| match header_cells.get(i) {
                Some(Ok(s)) => s.trim().trim_start_matches('\u{feff}').trim().to_string(),
                _ => String::new(),
            })
            .collect();
        let label = |i: usize| -> String {
            if self.letters || headers[i].is_empty() {
                column_letter(i)
            } else {
                headers[i].clone()
            }
        };
        let header_of =
            |i: usize| -> Option<String> { Some(headers[i].clone()).filter(|h| !h.is_empty()) };

        let mut errors = Vec::new();

        // The header row.
        let mut at: Vec<Option<usize>> = vec![None; columns.len()];
        for (i, h) in headers.iter().enumerate() {
            if let Some(Err(e)) = header_cells.get(i) {
                errors.push(ImportError {
                    row: header_row,
                    column: Some(label(i)),
                    header: None,
                    message: e.clone(),
                });
                continue;
            }
            if h.is_empty() {
                let used = data.iter().any(|(_, c)| match c.get(i) {
                    Some(Ok(s)) => !s.trim().is_empty(),
                    Some(Err(_)) => true,
                    None => false,
                });
                if used {
                    errors.push(ImportError {
                        row: header_row,
                        column: Some(label(i)),
                        header: None,
                        message: "表头为空，但此列有数据 / the column has data but no header"
                            .into(),
                    });
                }
                continue;
            }
            let normalised = normalise(h);
            match columns.iter().position(|c| c.matches(&normalised)) {
                None => {
                    let known: Vec<String> = columns.iter().map(Column::header).collect();
                    errors.push(ImportError {
                        row: header_row,
                        column: Some(label(i)),
                        header: header_of(i),
                        message: format!(
                            "未知的列「{}」，可用的列：{} / unknown column; the accepted columns are listed",
                            shorten(h),
                            known.join("、")
                        ),
                    })
                }
                Some(j) => match at[j] {
                    Some(first) => errors.push(ImportError {
                        row: header_row,
                        column: Some(label(i)),
                        header: header_of(i),
                        message: format!(
                            "重复的列，与 {} 列相同 / duplicate column, the same as column {}",
                            label(first),
                            label(first)
                        ),
                    }),
                    None => at[j] = Some(i),
                },
            }
        }
        for (j, col) in columns.iter().enumerate() {
            if col.required && at[j].is_none() {
                errors.push(ImportError {
                    row: header_row,
                    column: None,
                    header: None,
                    message: format!(
                        "缺少必需的列「{}」 / required column missing: {}",
                        col.header(),
                        col.header()
                    ),
                });
            }
        }
        if data.is_empty() {
            errors.push(ImportError {
                row: 0,
                column: None,
                header: None,
                message: format!("只有表头，{NO_DATA}"),
            });
            return Err(ImportErrors(errors));
        }

        // The data rows.
        let mut records = Vec::with_capacity(data.len());
        for (row, cells) in &data {
            let row = *row;
            let mut f = RowFields {
                at: &at,
                cells,
                errors: Vec::new(),
            };
            let build = parse_row(row, &mut f);
            // Report in column order as the file has them.
            let mut row_errors = f.errors;
            row_errors.sort_by_key(|(i, _)| *i);
            let clean = row_errors.is_empty();
            errors.extend(row_errors.into_iter().map(|(i, message)| ImportError {
                row,
                column: Some(label(i)),
                header: header_of(i),
                message,
            }));
            if clean && errors.is_empty() {
                records.push(build());
            }
        }
        if errors.is_empty() {
            Ok(records)
        } else {
            Err(ImportErrors(errors))
        }
    }

    /// Reads a CSV file (comma-separated, UTF-8 with or without BOM).
    ///
    /// Bytes that are not UTF-8 (typically GB18030/GBK, which Excel writes for
    /// "CSV" on Chinese Windows) give a single error asking for "CSV UTF-8".
    pub(crate) fn from_csv(bytes: &[u8]) -> Result<Table, ImportErrors> {
        let bytes = bytes.strip_prefix(UTF8_BOM).unwrap_or(bytes);
        if std::str::from_utf8(bytes).is_err() {
            return Err(ImportErrors::file(
                "文件不是 UTF-8 编码（可能是 GBK/GB18030）。请在 Excel 中“另存为”，文件类型选 \
                 “CSV UTF-8(逗号分隔)(*.csv)”，或直接上传 .xlsx 文件 / the file is not UTF-8 \
                 (probably GBK/GB18030): in Excel use Save As with the type \"CSV UTF-8 (Comma \
                 delimited) (*.csv)\", or upload the .xlsx file instead",
            ));
        }
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(bytes);
        let mut rows = Vec::new();
        let mut record = csv::StringRecord::new();
        // The csv crate skips blank lines and does not count them in a record's
        // position, and a quoted field may span lines; so the row a spreadsheet
        // shows is worked out from the line breaks between one record and the next.
        let mut prev_end = 0usize;
        let mut row = 0usize;
        loop {
            match reader.read_record(&mut record) {
                Ok(false) => break,
                Ok(true) => {}
                Err(e) => {
                    return Err(ImportErrors::file(format!(
                        "CSV 格式错误 / malformed CSV: {e}"
                    )));
                }
            }
            let is_break = |b: &u8| *b == b'\r' || *b == b'\n';
            let start = prev_end + bytes[prev_end..].iter().take_while(|b| is_break(b)).count();
            let gap_start = start
                - bytes[..start]
                    .iter()
                    .rev()
                    .take_while(|b| is_break(b))
                    .count();
            let gap = &bytes[gap_start..start];
            let breaks = gap.len() - gap.windows(2).filter(|w| w == b"\r\n").count();
            row = if row == 0 { 1 + breaks } else { row + breaks };
            prev_end = reader.position().byte() as usize;
            rows.push((row, record.iter().map(|s| Ok(s.to_string())).collect()));
        }
        Ok(Table {
            rows,
            letters: false,
        })
    }

    /// Reads the first visible worksheet of an XLSX workbook. Cells are read
    /// with [`xlsx_cell_text`], or, when `styled` is given, with it and the
    /// cell's style (the worksheet's styles are then read too).
    ///
    /// The workbook is first checked against [`XlsxLimits`] (a zip bomb is
    /// refused before anything is decompressed for parsing), and the sheet is
    /// read cell by cell into the rows that have cells: a sheet with one cell
    /// at A1 and one at XFD1048576 costs two cells, not the 17 billion of the
    /// rectangle between them.
    pub(crate) fn from_xlsx(
        bytes: &[u8],
        styled: Option<fn(&Data, Option<&Style>) -> RawCell>,
    ) -> Result<Table, ImportErrors> {
        if bytes.is_empty() {
            return Err(ImportErrors::file(format!("文件为空，{NO_DATA}")));
        }
        XlsxLimits::UPLOAD.check(bytes)?;
        let mut book = Xlsx::new(Cursor::new(bytes)).map_err(|e| {
            ImportErrors::file(format!(
                "无法读取 XLSX 文件（旧的 .xls 请另存为 .xlsx） / not a readable XLSX workbook \
                 (save an old .xls file as .xlsx): {e}"
            ))
        })?;
        let Some(sheet) = book
            .sheets_metadata()
            .iter()
            .find(|s| s.typ == SheetType::WorkSheet && s.visible == SheetVisible::Visible)
            .map(|s| s.name.clone())
        else {
            return Err(ImportErrors::file(
                "工作簿中没有工作表 / the workbook has no visible worksheet",
            ));
        };
        let unreadable = |e: calamine::XlsxError| {
            ImportErrors::file(format!(
                "无法读取工作表「{sheet}」 / cannot read the worksheet {sheet:?}: {e}"
            ))
        };
        let styles = match styled {
            Some(_) => Some(book.worksheet_style(&sheet).map_err(unreadable)?),
            None => None,
        };
        // Row → (column, value), only where the sheet has a value.
        let mut cells: std::collections::BTreeMap<u32, Vec<(u32, Data)>> = Default::default();
        let mut count = 0usize;
        {
            let mut reader = book.worksheet_cells_reader(&sheet).map_err(unreadable)?;
            while let Some(cell) = reader.next_cell().map_err(unreadable)? {
                let (r, c) = cell.get_position();
                let value: Data = cell.get_value().clone().into();
                if value == Data::Empty {
                    continue;
                }
                if c >= MAX_XLSX_COLUMNS {
                    return Err(ImportErrors::file(format!(
                        "单元格 {}{} 超出了可读取的最后一列 {}（最多 {MAX_XLSX_COLUMNS} 列） / the cell {}{} \
                         is beyond the last column read, {} (at most {MAX_XLSX_COLUMNS} columns)",
                        column_letter(c as usize),
                        r + 1,
                        column_letter(MAX_XLSX_COLUMNS as usize - 1),
                        column_letter(c as usize),
                        r + 1,
                        column_letter(MAX_XLSX_COLUMNS as usize - 1),
                    )));
                }
                count += 1;
                if count > MAX_XLSX_CELLS {
                    return Err(ImportErrors::file(format!(
                        "工作表的非空单元格超过 {MAX_XLSX_CELLS} 个 / the worksheet has more than \
                         {MAX_XLSX_CELLS} filled cells"
                    )));
                }
                cells.entry(r).or_default().push((c, value));
            }
        }
        if cells.is_empty() {
            return Err(ImportErrors::file(format!("工作表为空，{NO_DATA}")));
        }
        let rows = cells
            .into_iter()
            .map(|(r, row)| {
                let width = row.iter().map(|(c, _)| *c as usize + 1).max().unwrap_or(0);
                let mut out: Vec<RawCell> = vec![Ok(String::new()); width];
                for (c, d) in row {
                    out[c as usize] = match (styled, &styles) {
                        (Some(text), Some(styles)) => text(&d, styles.get((r, c))),
                        _ => xlsx_cell_text(&d),
                    };
                }
                (r as usize + 1, out)
            })
            .collect();
        Ok(Table {
            rows,
            letters: true,
        })
    }
}

/// The most columns an import reads (A to IV); the layouts have far fewer.
pub const MAX_XLSX_COLUMNS: u32 = 256;
/// The most filled cells an imported worksheet may have (a roster of 10,000
/// experts has 130,000).
pub const MAX_XLSX_CELLS: usize = 1_000_000;

/// Bounds on an uploaded XLSX workbook (a zip archive), checked before it is
/// parsed: each entry and all entries together, decompressed, the number of
/// entries, and how much an entry may expand. The sizes are not taken on the
/// archive's word: each entry is decompressed into nothing, counting, and
/// stops at the bound, so a file that lies about its sizes is refused too.
#[derive(Clone, Copy, Debug)]
pub struct XlsxLimits {
    /// Most entries in the archive.
    pub entries: usize,
    /// Most bytes of one entry, decompressed.
    pub entry_bytes: u64,
    /// Most bytes of all entries together, decompressed.
    pub total_bytes: u64,
    /// Most an entry larger than [`RATIO_FLOOR`](Self::RATIO_FLOOR) may expand:
    /// decompressed size over compressed size.
    pub ratio: u64,
}

impl XlsxLimits {
    /// An entry this small may expand without bound (an empty sheet's XML
    /// compresses very well).
    pub const RATIO_FLOOR: u64 = 1024 * 1024;

    /// The bounds of an import: 500 entries, 32 MiB for one, 64 MiB together,
    /// and at most 200 times its compressed size for an entry over 1 MiB. A
    /// roster of 10,000 experts is under 4 MiB of XML, expanding about 10 times.
    pub const UPLOAD: XlsxLimits = XlsxLimits {
        entries: 500,
        entry_bytes: 32 * 1024 * 1024,
        total_bytes: 64 * 1024 * 1024,
        ratio: 200,
    };

    /// Refuses a workbook past these bounds, naming the bound.
    pub fn check(&self, bytes: &[u8]) -> Result<(), ImportErrors> {
        use std::io::Read;
        let unreadable = |e: zip::result::ZipError| {
            ImportErrors::file(format!(
                "无法读取 XLSX 文件（旧的 .xls 请另存为 .xlsx） / not a readable XLSX workbook \
                 (save an old .xls file as .xlsx): {e}"
            ))
        };
        const MIB: u64 = 1024 * 1024;
        let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(unreadable)?;
        if zip.len() > self.entries {
            return Err(ImportErrors::file(format!(
                "XLSX 文件含 {} 个部件，超过上限 {} 个 / the XLSX file has {} parts, more than the limit of {}",
                zip.len(),
                self.entries,
                zip.len(),
                self.entries
            )));
        }
        let mut total = 0u64;
        for i in 0..zip.len() {
            let mut entry = zip.by_index(i).map_err(unreadable)?;
            let name = shorten(&entry.name().map_err(unreadable)?);
            let compressed = entry.compressed_size().max(1);
            // At most one byte past what this entry may have, whatever size
            // it claims: the work is bounded by the limits, not by the file.
            let allowed = self
                .entry_bytes
                .min(self.total_bytes - total)
                .min(Self::RATIO_FLOOR.max(compressed.saturating_mul(self.ratio)));
            let n = std::io::copy(&mut (&mut entry).take(allowed + 1), &mut std::io::sink())
                .map_err(|e| {
                    ImportErrors::file(format!(
                        "无法解压 XLSX 文件的部件 {name} / cannot decompress the part {name} of the XLSX file: {e}"
                    ))
                })?;
            if n > self.entry_bytes {
                return Err(ImportErrors::file(format!(
                    "XLSX 文件的部件 {name} 解压后超过 {} MiB 的上限 / the part {name} of the XLSX file \
                     decompresses to more than the limit of {} MiB",
                    self.entry_bytes / MIB,
                    self.entry_bytes / MIB
                )));
            }
            if total + n > self.total_bytes {
                return Err(ImportErrors::file(format!(
                    "XLSX 文件解压后超过 {} MiB 的上限 / the XLSX file decompresses to more than the \
                     limit of {} MiB",
                    self.total_bytes / MIB,
                    self.total_bytes / MIB
                )));
            }
            if n > Self::RATIO_FLOOR && n > compressed.saturating_mul(self.ratio) {
                return Err(ImportErrors::file(format!(
                    "XLSX 文件的部件 {name} 压缩比超过 {0}:1 的上限 / the part {name} of the XLSX file \
                     expands more than the limit of {0} times its compressed size",
                    self.ratio
                )));
            }
            total += n;
        }
        Ok(())
    }
}

/// Interprets a roster table: maps the header, validates every row, checks ids are unique.
fn parse_table(table: Table) -> Result<Vec<ExpertRecord>, ImportErrors> {
    let mut first_row_of: HashMap<String, usize> = HashMap::new();
    table.parse(&COLUMNS, str::to_string, |row, f| {
        let expert_id = f.get(ID, |v| parse_id(v, &COLUMNS[ID]));
        let name = f.get(NAME, |v| required(v).and_then(|v| free_text(v, MAX_NAME)));
        let gender = f.get(GENDER, |v| optional(v, parse_gender));
        let organisation = f.get(ORG, |v| required(v).and_then(|v| free_text(v, MAX_ORG)));
        let credit_code = f.get(CREDIT, |v| optional(v, parse_credit_code));
        let avoid_orgs = f.get(AVOID, |v| parse_list(v, MAX_ORG));
        let specialty = f.get(SPEC, |v| required(v).and_then(parse_specialty));
        let other_specialties = f.get(OTHER_SPEC, |v| parse_list(v, MAX_SHORT));
        let skill_level = f.get(LEVEL, |v| optional(v, parse_skill_level));
        let region = f.get(REGION, |v| optional(v, |v| free_text(v, MAX_SHORT)));
        let status = f.get(STATUS, Status::parse);
        let phone = f.get(PHONE, |v| optional(v, parse_phone));
        let email = f.get(EMAIL, |v| optional(v, parse_email));

        if let Some(id) = &expert_id {
            match first_row_of.get(id) {
                Some(first) => f.error(
                    ID,
                    format!(
                        "专家编号「{id}」重复，第{first}行已使用 / duplicate expert_id, already used in row {first}"
                    ),
                ),
                None => {
                    first_row_of.insert(id.clone(), row);
                }
            }
        }

        move || ExpertRecord {
            expert_id: expert_id.expect("no error"),
            name: name.expect("no error"),
            gender: gender.expect("no error"),
            organisation: organisation.expect("no error"),
            credit_code: credit_code.expect("no error"),
            avoid_orgs: avoid_orgs.expect("no error"),
            specialty: specialty.expect("no error"),
            other_specialties: other_specialties.expect("no error"),
            skill_level: skill_level.expect("no error"),
            region: region.expect("no error"),
            status: status.expect("no error"),
            phone: phone.expect("no error"),
            email: email.expect("no error"),
        }
    })
}

// ---------------------------------------------------------------------------
// CSV
// ---------------------------------------------------------------------------

pub(crate) const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// Parses a roster from CSV (comma-separated, UTF-8 with or without BOM).
///
/// Bytes that are not UTF-8 (typically GB18030/GBK, which Excel writes for "CSV"
/// on Chinese Windows) give a single error asking for "CSV UTF-8".
pub fn parse_csv(bytes: &[u8]) -> Result<Vec<ExpertRecord>, ImportErrors> {
    parse_table(Table::from_csv(bytes)?)
}
/// One row of the layout for a record, in [`COLUMNS`] order.
fn record_cells(r: &ExpertRecord) -> [String; NCOLS] {
    let opt = |o: &Option<String>| o.clone().unwrap_or_default();
    [
        r.expert_id.clone(),
        r.name.clone(),
        opt(&r.gender),
        r.organisation.clone(),
        opt(&r.credit_code),
        r.avoid_orgs.join(LIST_JOIN),
        specialty_label(&r.specialty).to_string(),
        r.other_specialties.join(LIST_JOIN),
        opt(&r.skill_level),
        opt(&r.region),
        r.status.label().to_string(),
        opt(&r.phone),
        opt(&r.email),
    ]
}

/// The example row of the templates (a valid record).
fn example_record() -> ExpertRecord {
    ExpertRecord {
        expert_id: "E0001".into(),
        name: "张三".into(),
        gender: Some("男".into()),
        organisation: "广东省某某技师学院".into(),
        credit_code: Some("91350100M000100Y43".into()),
        avoid_orgs: vec!["广东省某某技师学院".into(), "某某机械有限公司".into()],
        specialty: Specialty::try_from("adv_manufacturing").expect("valid code"),
        other_specialties: vec!["焊接".into(), "机械".into()],
        skill_level: Some("高级技师".into()),
        region: Some("广州市".into()),
        status: Status::Active,
        phone: Some("13800138000".into()),
        email: Some("zhangsan@example.com".into()),
    }
}

/// Marks the id (the first cell) of a template's example row with [`EXAMPLE_MARK`].
pub(crate) fn mark_example<const N: usize>(mut cells: [String; N]) -> [String; N] {
    cells[0] = format!("{EXAMPLE_MARK}-{}", cells[0]);
    cells
}

/// The example row of the templates, its id marked.
fn example_cells() -> [String; NCOLS] {
    mark_example(record_cells(&example_record()))
}

/// A CSV file laid out as `columns`: UTF-8 with BOM (so Excel reads it as
/// UTF-8), CRLF line ends, the header row, then `rows`.
pub(crate) fn write_csv<const N: usize>(columns: &[Column; N], rows: &[[String; N]]) -> Vec<u8> {
    let mut out = UTF8_BOM.to_vec();
    {
        let mut w = csv::WriterBuilder::new()
            .terminator(csv::Terminator::CRLF)
            .from_writer(&mut out);
        w.write_record(columns.iter().map(Column::header))
            .expect("writing to memory");
        for r in rows {
            w.write_record(r).expect("writing to memory");
        }
        w.flush().expect("writing to memory");
    }
    out
}

/// The CSV template: UTF-8 with BOM (so Excel reads it as UTF-8), CRLF line ends,
/// the header row and one example row whose id begins with [`EXAMPLE_MARK`]:
/// imported unchanged, it is refused with a message naming the row.
pub fn template_csv() -> Vec<u8> {
    write_csv(&COLUMNS, &[example_cells()])
}

/// A roster as CSV in the template's layout; [`parse_csv`] gives the records back
/// when they are valid (as every imported record is).
pub fn export_csv(records: &[ExpertRecord]) -> Vec<u8> {
    let rows: Vec<[String; NCOLS]> = records.iter().map(record_cells).collect();
    write_csv(&COLUMNS, &rows)
}

// ---------------------------------------------------------------------------
// XLSX
// ---------------------------------------------------------------------------

/// The text of an XLSX cell. Numbers that are whole come out as integer text
/// (`13800138000`, not `1.38e10` or `13800138000.0`).
pub(crate) fn xlsx_cell_text(d: &Data) -> RawCell {
    match d {
        Data::Empty => Ok(String::new()),
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => Ok(s.clone()),
        Data::Int(i) => Ok(i.to_string()),
        Data::Float(f) => {
            if f.is_finite() && f.fract() == 0.0 && f.abs() < 1e18 {
                Ok(format!("{}", *f as i64))
            } else {
                Ok(format!("{f}"))
            }
        }
        Data::Bool(b) => Ok(if *b { "TRUE" } else { "FALSE" }.into()),
        Data::DateTime(_) => Err(
            "日期/时间格式的单元格，请将单元格格式设为“文本”后重新输入 / a date or time cell: \
             format the cell as text and enter the value again"
                .into(),
        ),
        Data::Error(e) => Err(format!(
            "单元格是错误值 {e}，请改为正确内容 / the cell holds the Excel error {e}"
        )),
    }
}

/// Parses a roster from the first visible worksheet of an XLSX workbook.
pub fn parse_xlsx(bytes: &[u8]) -> Result<Vec<ExpertRecord>, ImportErrors> {
    parse_table(Table::from_xlsx(bytes, None)?)
}

/// A closed set of values for one column of a layout: the XLSX files offer it
/// as a drop-down list (data validation).
pub(crate) struct Choices {
    /// The column's index in the layout.
    pub col: usize,
    /// The values offered, as an export writes them.
    pub values: Vec<&'static str>,
    /// What an import accepts besides `values` (in Chinese, in English), for
    /// Excel's warning; `None` when it accepts nothing else, and Excel then
    /// refuses other input.
    pub also: Option<(&'static str, &'static str)>,
}

impl Choices {
    /// The data validation of this column: the list, a prompt, and a stop (or,
    /// when the import accepts more spellings, a warning) for other input.
    fn validation(&self, col: &Column) -> Result<DataValidation, XlsxError> {
        let v = DataValidation::new()
            .allow_list_strings(&self.values)?
            .set_input_title(col.zh)?
            .set_input_message("请从下拉列表中选择 / choose a value from the list")?
            .set_error_title("不在下拉列表中 / not in the list")?;
        Ok(match self.also {
            None => v
                .set_error_message(format!(
                    "请从下拉列表中选择：{} / choose one of the listed values",
                    self.values.join("、")
                ))?
                .set_error_style(DataValidationErrorStyle::Stop),
            Some((zh, en)) => v
                .set_error_message(format!(
                    "请从下拉列表中选择；导入时也接受 {zh}。仍要输入吗？ / \
                     choose from the list; the import also accepts {en}. Keep this value?"
                ))?
                .set_error_style(DataValidationErrorStyle::Warning),
        })
    }
}

/// The last row a data validation covers: the last row of a worksheet.
const LAST_ROW: u32 = 1_048_575;

/// Adds the data sheet `name` laid out as `columns`: a bold header row
/// (frozen), then `rows`; every column is text-formatted, so that ids, phone
/// numbers, percentages and the like typed in stay text, and `width` wide; the
/// columns of `choices` offer their values as a drop-down list below the header.
pub(crate) fn add_data_sheet<const N: usize>(
    book: &mut Workbook,
    name: &str,
    columns: &[Column; N],
    width: impl Fn(&Column) -> u16,
    choices: &[Choices],
    rows: &[[String; N]],
) -> Result<(), XlsxError> {
    let bold = Format::new().set_bold();
    let text = Format::new().set_num_format("@");
    let sheet = book.add_worksheet();
    sheet.set_name(name)?;
    for (c, col) in columns.iter().enumerate() {
        let c = c as u16;
        sheet.set_column_format(c, &text)?;
        sheet.set_column_width(c, width(col))?;
        sheet.write_string_with_format(0, c, col.header(), &bold)?;
    }
    for choice in choices {
        let c = choice.col as u16;
        let validation = choice.validation(&columns[choice.col])?;
        sheet.add_data_validation(1, c, LAST_ROW, c, &validation)?;
    }
    sheet.set_freeze_panes(1, 0)?;
    for (r, cells) in rows.iter().enumerate() {
        for (c, v) in cells.iter().enumerate() {
            if !v.is_empty() {
                sheet.write_string_with_format(r as u32 + 1, c as u16, v, &text)?;
            }
        }
    }
    Ok(())
}

/// Adds the sheet [`EXAMPLE_SHEET`]: the layout of the data sheet, with the
/// example `rows` (their ids marked), on an orange tab. Placed after the data
/// sheet, it is never the sheet an import reads; if it ever were, the marked
/// ids would be refused row by row.
pub(crate) fn add_example_sheet<const N: usize>(
    book: &mut Workbook,
    columns: &[Column; N],
    width: impl Fn(&Column) -> u16,
    choices: &[Choices],
    rows: &[[String; N]],
) -> Result<(), XlsxError> {
    add_data_sheet(book, EXAMPLE_SHEET, columns, width, choices, rows)?;
    book.worksheet_from_name(EXAMPLE_SHEET)?
        .set_tab_color(rust_xlsxwriter::Color::Orange);
    Ok(())
}

/// Adds the sheet "说明 notes" listing `columns` (letter, header, required,
/// accepted values), then `hint` in bold; columns B and C are `widths` wide.
/// Returns the sheet and the row two below the hint, for what follows.
pub(crate) fn add_notes_sheet<'b>(
    book: &'b mut Workbook,
    columns: &[Column],
    widths: (u16, u16),
    hint: &str,
) -> Result<(&'b mut Worksheet, u32), XlsxError> {
    let bold = Format::new().set_bold();
    let n = book.add_worksheet();
    n.set_name("说明 notes")?;
    n.set_column_width(0, 10)?;
    n.set_column_width(1, widths.0)?;
    n.set_column_width(2, widths.1)?;
    n.set_column_width(3, 90)?;
    let heads = [
        "列 column",
        "表头 header",
        "必填 required",
        "说明 accepted values",
    ];
    for (c, h) in heads.iter().enumerate() {
        n.write_string_with_format(0, c as u16, *h, &bold)?;
    }
    let mut r = 1u32;
    for (i, col) in columns.iter().enumerate() {
        n.write_string(r, 0, column_letter(i))?;
        n.write_string(r, 1, col.header())?;
        n.write_string(r, 2, if col.required { "是 yes" } else { "否 no" })?;
        n.write_string(r, 3, col.accepts)?;
        r += 1;
    }
    r += 1;
    n.write_string_with_format(r, 0, hint, &bold)?;
    Ok((n, r + 2))
}

/// The roster's closed value sets, offered as drop-down lists.
fn choices() -> Vec<Choices> {
    vec![
        Choices {
            col: GENDER,
            values: vec!["男", "女"],
            also: Some(("male/female", "male/female")),
        },
        Choices {
            col: SPEC,
            values: SPECIALTIES.iter().map(|(_, label)| *label).collect(),
            also: Some(("“说明 notes”表中的英文代码", "the codes on the notes sheet")),
        },
        Choices {
            col: LEVEL,
            values: SKILL_LEVELS.to_vec(),
            also: None,
        },
        Choices {
            col: STATUS,
            values: vec![Status::Active.label(), Status::Suspended.label()],
            also: Some(("正常/停用/active/suspended", "正常/停用/active/suspended")),
        },
    ]
}

/// The roster workbook: the data sheet with `rows`; for a template (`examples`
/// given) also the notes sheet and the example sheet.
fn write_xlsx(
    rows: &[[String; NCOLS]],
    examples: Option<&[[String; NCOLS]]>,
) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let bold = Format::new().set_bold();
    let width = |col: &Column| if col.key == "organisation" { 28 } else { 18 };
    let choices = choices();
    add_data_sheet(
        &mut book,
        "专家名册 roster",
        &COLUMNS,
        width,
        &choices,
        rows,
    )?;
    if let Some(examples) = examples {
        let hint = "导入时只读第一张工作表，从第2行起填写；示例在“示例 Example”表，其编号以“示例”开头，\
                    导入时会被拒绝。表头可以只写中文或只写英文，列的顺序不限 / \
                    only the first worksheet is imported, from row 2; the examples are on the sheet \
                    \"示例 Example\" and their ids begin with 示例, which an import refuses. \
                    A header may be the Chinese or the English part alone, in any column order";
        let (n, mut r) = add_notes_sheet(&mut book, &COLUMNS, (30, 14), hint)?;
        n.write_string_with_format(r, 0, "专业类别 specialty", &bold)?;
        n.write_string_with_format(r, 1, "代码 code", &bold)?;
        n.write_string_with_format(r, 2, "名称 label", &bold)?;
        r += 1;
        for (code, label) in SPECIALTIES {
            n.write_string(r, 1, *code)?;
            n.write_string(r, 2, *label)?;
            r += 1;
        }
        r += 1;
        n.write_string_with_format(r, 0, "技能等级/职称 skill_level", &bold)?;
        r += 1;
        for level in SKILL_LEVELS {
            n.write_string(r, 1, *level)?;
            r += 1;
        }
        r += 1;
        n.write_string_with_format(r, 0, "状态 status", &bold)?;
        n.write_string(r + 1, 1, "在库 / 正常 / active")?;
        n.write_string(r + 1, 2, "可抽取 / may be drawn")?;
        n.write_string(r + 2, 1, "暂停 / 停用 / suspended")?;
        n.write_string(r + 2, 2, "不抽取 / not drawn")?;
        add_example_sheet(&mut book, &COLUMNS, width, &choices, examples)?;
    }
    book.save_to_buffer()
}

/// The XLSX template: the roster sheet with the header row and drop-down lists
/// and no data, a sheet "说明 notes" describing each column and the accepted
/// values, and a sheet "示例 Example" with an example row (its id marked with
/// [`EXAMPLE_MARK`]) that an import never reads.
pub fn template_xlsx() -> Vec<u8> {
    write_xlsx(&[], Some(&[example_cells()])).expect("the template is within XLSX limits")
}

/// A roster as XLSX in the template's layout (every cell text); [`parse_xlsx`]
/// gives the records back when they are valid (as every imported record is).
///
/// # Panics
/// If the roster exceeds XLSX limits: more than 1,048,575 records, or a value
/// longer than 32,767 characters (impossible for validated records).
pub fn export_xlsx(records: &[ExpertRecord]) -> Vec<u8> {
    let rows: Vec<[String; NCOLS]> = records.iter().map(record_cells).collect();
    write_xlsx(&rows, None).expect("roster within XLSX limits")
}

// ---------------------------------------------------------------------------
// Snapshot
// ---------------------------------------------------------------------------

/// The deterministic byte form of a roster, whose hash the log records: one JSON
/// object per record (fields in [`ExpertRecord`] declaration order, serde_json's
/// compact form, UTF-8), each followed by `\n`, sorted by `expert_id` (and by the
/// line itself should ids repeat). The order of `records` does not matter.
pub fn canonical_snapshot(records: &[ExpertRecord]) -> Vec<u8> {
    let mut lines: Vec<(&str, Vec<u8>)> = records
        .iter()
        .map(|r| {
            (
                r.expert_id.as_str(),
                serde_json::to_vec(r).expect("a record always serialises"),
            )
        })
        .collect();
    lines.sort();
    let mut out = Vec::with_capacity(lines.iter().map(|(_, l)| l.len() + 1).sum());
    for (_, line) in lines {
        out.extend_from_slice(&line);
        out.push(b'\n');
    }
    out
}

/// One data validation of a worksheet, as its XML says.
#[cfg(test)]
#[derive(Debug)]
pub(crate) struct XmlValidation {
    pub kind: String,
    pub sqref: String,
    /// The list's values, comma-separated, without the surrounding quotes.
    pub list: String,
    /// `stop` (Excel's default when the attribute is absent), `warning` or `information`.
    pub error_style: String,
    pub show_error: bool,
    pub show_input: bool,
}

/// The data validations of the `n`-th worksheet (1-based) of an XLSX file,
/// read from the sheet's XML inside the zip.
#[cfg(test)]
pub(crate) fn xlsx_validations(bytes: &[u8], n: usize) -> Vec<XmlValidation> {
    use std::io::Read;
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    let mut xml = String::new();
    zip.by_name(&format!("xl/worksheets/sheet{n}.xml"))
        .unwrap()
        .read_to_string(&mut xml)
        .unwrap();
    xml.split("<dataValidation ")
        .skip(1)
        .map(|dv| {
            let dv = format!(" {}", &dv[..dv.find("</dataValidation>").unwrap()]);
            let attr = |name: &str| -> Option<String> {
                let rest = dv.split(&format!(" {name}=\"")).nth(1)?;
                Some(rest[..rest.find('"').unwrap()].to_string())
            };
            let formula = dv.split("<formula1>").nth(1).unwrap();
            let formula = &formula[..formula.find("</formula1>").unwrap()];
            let list = formula.replace("&quot;", "\"");
            XmlValidation {
                kind: attr("type").unwrap_or_default(),
                sqref: attr("sqref").unwrap_or_default(),
                list: list.trim_matches('"').to_string(),
                error_style: attr("errorStyle").unwrap_or_else(|| "stop".into()),
                show_error: attr("showErrorMessage").as_deref() == Some("1"),
                show_input: attr("showInputMessage").as_deref() == Some("1"),
            }
        })
        .collect()
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

    fn good_csv() -> String {
        format!(
            "{}\n\
             E001,张三,男,广东省某某技师学院,91350100M000100Y43,甲公司；乙公司,adv_manufacturing,焊接、机械,高级技师,广州市,在库,13800138000,zhang@example.com\n\
             E002,李四,女,某某职业技术学院,,,护理,,教授,,暂停,020-1234 5678,\n\
             ,,,,,,,,,,,,\n\
             \n",
            header_line()
        )
    }

    fn messages(e: &ImportErrors) -> Vec<(usize, Option<&str>, &str)> {
        e.0.iter()
            .map(|e| (e.row, e.column.as_deref(), e.message.as_str()))
            .collect()
    }

    #[test]
    fn a_good_csv_parses_into_records() {
        let recs = parse_csv(good_csv().as_bytes()).unwrap();
        assert_eq!(recs.len(), 2);
        assert_eq!(recs[0], {
            let mut r = example_record();
            r.expert_id = "E001".into();
            r.organisation = "广东省某某技师学院".into();
            r.avoid_orgs = vec!["甲公司".into(), "乙公司".into()];
            r.email = Some("zhang@example.com".into());
            r
        });
        let r = &recs[1];
        assert_eq!(r.specialty.as_str(), "nursing");
        assert_eq!(r.status, Status::Suspended);
        assert_eq!(r.phone.as_deref(), Some("020-1234 5678"));
        assert_eq!(r.credit_code, None);
        assert!(r.avoid_orgs.is_empty());
    }

    #[test]
    fn a_utf8_bom_and_crlf_line_ends_are_accepted() {
        let mut bytes = UTF8_BOM.to_vec();
        bytes.extend(good_csv().replace('\n', "\r\n").into_bytes());
        assert_eq!(parse_csv(&bytes).unwrap().len(), 2);
    }

    fn xlsx_with(header: &[&str], rows: &[Vec<XCell>]) -> Vec<u8> {
        let mut book = Workbook::new();
        let s = book.add_worksheet();
        for (c, h) in header.iter().enumerate() {
            s.write_string(0, c as u16, *h).unwrap();
        }
        for (r, row) in rows.iter().enumerate() {
            for (c, v) in row.iter().enumerate() {
                let (r, c) = (r as u32 + 1, c as u16);
                match v {
                    XCell::S(t) => s.write_string(r, c, *t).map(|_| ()).unwrap(),
                    XCell::N(n) => s.write_number(r, c, *n).map(|_| ()).unwrap(),
                    XCell::E => {}
                }
            }
        }
        book.add_worksheet().set_name("other").unwrap();
        book.save_to_buffer().unwrap()
    }

    enum XCell {
        S(&'static str),
        N(f64),
        E,
    }
    use XCell::{E, N, S};

    #[test]
    fn a_good_xlsx_parses_and_numeric_cells_come_out_as_integer_text() {
        // Columns in another order, headers in all three accepted forms.
        let header = [
            "姓名",
            "expert_id",
            "工作单位 organisation",
            "SPECIALTY",
            "联系电话",
            "状态",
        ];
        let bytes = xlsx_with(
            &header,
            &[
                vec![
                    S("王五"),
                    N(1001.0),
                    S("某某公司"),
                    S("焊接"),
                    N(13800138000.0),
                    E,
                ],
                vec![
                    S("赵六"),
                    S("E-2"),
                    S("某某学院"),
                    S("information_tech"),
                    S("+86 20 1234 5678"),
                    S("停用"),
                ],
                vec![E, E, E, E, E, E],
            ],
        );
        let recs = parse_xlsx(&bytes).unwrap();
        assert_eq!(recs.len(), 2);
        assert_eq!(recs[0].expert_id, "1001");
        assert_eq!(recs[0].phone.as_deref(), Some("13800138000"));
        assert_eq!(recs[0].specialty.as_str(), "welding");
        assert_eq!(recs[0].status, Status::Active);
        assert_eq!(recs[1].specialty.as_str(), "information_tech");
        assert_eq!(recs[1].status, Status::Suspended);
        assert_eq!(recs[1].gender, None);
    }

    #[test]
    fn every_bad_cell_is_reported_with_its_row_and_column() {
        let csv = format!(
            "{}\n\
             E001,张三,男,单位甲,,,nursing,,,,,,\n\
             E002,,男,单位乙,,,nursing,,,,,,\n\
             \n\
             E 3,李四,x,单位丙,91350100M000100Y44,,木工,,高级,,休假,12ab,not-an-email\n\
             E004,\"王\n五\",女,=HYPERLINK(1),,,nursing,,,,,,\n",
            header_line()
        );
        let err = parse_csv(csv.as_bytes()).unwrap_err();
        let m = messages(&err);
        let at: Vec<(usize, Option<&str>)> = m.iter().map(|(r, c, _)| (*r, *c)).collect();
        assert_eq!(
            at,
            vec![
                (3, Some("姓名 name")),
                (5, Some("专家编号 expert_id")),
                (5, Some("性别 gender")),
                (5, Some("统一社会信用代码 credit_code")),
                (5, Some("专业类别 specialty")),
                (5, Some("技能等级/职称 skill_level")),
                (5, Some("状态 status")),
                (5, Some("联系电话 phone")),
                (5, Some("电子邮箱 email")),
                (6, Some("姓名 name")),
                (6, Some("工作单位 organisation")),
            ],
            "{err}"
        );
        assert!(m[0].2.starts_with("缺少必填项 / required value missing"));
        assert!(m[3].2.contains("校验位"));
        assert!(m[9].2.contains("控制字符"));
        assert!(m[10].2.contains("公式"));
        let text = err.to_string();
        assert_eq!(text.lines().count(), 11);
        assert!(
            text.starts_with("第3行 「姓名 name」列: 缺少必填项"),
            "{text}"
        );
    }

    #[test]
    fn xlsx_errors_name_the_column_letter_and_header() {
        let header = ["专家编号", "姓名", "工作单位", "专业类别"];
        let bytes = xlsx_with(
            &header,
            &[
                vec![S("E1"), S("张三"), S("某单位"), S("木工")],
                vec![S("E2"), E, S("某单位"), S("护理")],
            ],
        );
        let err = parse_xlsx(&bytes).unwrap_err();
        let m = messages(&err);
        assert_eq!(m.len(), 2, "{err}");
        assert_eq!((m[0].0, m[0].1), (2, Some("D")));
        assert_eq!((m[1].0, m[1].1), (3, Some("B")));
        assert!(
            err.to_string()
                .contains("第3行 B列(姓名): 缺少必填项 / required value missing"),
            "{err}"
        );
    }

    #[test]
    fn a_missing_required_column_is_named() {
        let csv = "专家编号,姓名,专业类别\nE1,张三,护理\n";
        let err = parse_csv(csv.as_bytes()).unwrap_err();
        assert_eq!(err.0.len(), 1, "{err}");
        assert_eq!(err.0[0].row, 1);
        assert!(err.0[0].message.contains("工作单位 organisation"), "{err}");
        assert!(err.0[0].message.contains("缺少必需的列"));
    }

    #[test]
    fn an_unknown_column_is_refused() {
        let csv = "专家编号,姓名,工作单位,专业类别,微信号\nE1,张三,某单位,护理,abc\n";
        let err = parse_csv(csv.as_bytes()).unwrap_err();
        assert_eq!(err.0.len(), 1, "{err}");
        assert_eq!(
            (err.0[0].row, err.0[0].column.as_deref()),
            (1, Some("微信号"))
        );
        assert!(err.0[0].message.contains("未知的列"));
    }

    #[test]
    fn a_column_given_twice_is_refused() {
        let csv = "专家编号,姓名,工作单位,专业类别,name\nE1,张三,某单位,护理,张三\n";
        let err = parse_csv(csv.as_bytes()).unwrap_err();
        assert_eq!(err.0.len(), 1, "{err}");
        assert!(err.0[0].message.contains("重复的列"));
    }

    #[test]
    fn a_duplicate_expert_id_names_the_first_row() {
        let csv =
            "专家编号,姓名,工作单位,专业类别\nE1,张三,甲,护理\nE2,李四,乙,护理\nE1,王五,丙,护理\n";
        let err = parse_csv(csv.as_bytes()).unwrap_err();
        assert_eq!(err.0.len(), 1, "{err}");
        assert_eq!(err.0[0].row, 4);
        assert_eq!(err.0[0].column.as_deref(), Some("专家编号"));
        assert!(err.0[0].message.contains("第2行"), "{err}");
    }

    #[test]
    fn the_credit_code_checksum_is_verified() {
        assert!(
            credit_code_check_char("91440101MA5CSSSS1").is_none(),
            "S is not in the charset"
        );
        assert!(
            credit_code_check_char("91440101MA5CXXXX").is_none(),
            "16 characters"
        );
        let body = "91440101MA5CYY0T1";
        let valid = format!("{body}{}", credit_code_check_char(body).unwrap());
        assert_eq!(parse_credit_code(&valid).unwrap(), valid);
        assert_eq!(parse_credit_code(&valid.to_lowercase()).unwrap(), valid);
        // The well-known published example.
        assert!(parse_credit_code("91350100M000100Y43").is_ok());
        // Change one character: the check character no longer matches.
        let mut mutated = valid.clone().into_bytes();
        mutated[5] = if mutated[5] == b'1' { b'2' } else { b'1' };
        let mutated = String::from_utf8(mutated).unwrap();
        assert!(parse_credit_code(&mutated).unwrap_err().contains("校验位"));
        // Swap two neighbours: also caught.
        let i = (0..17)
            .find(|&i| valid.as_bytes()[i] != valid.as_bytes()[i + 1])
            .unwrap();
        let mut swapped = valid.clone().into_bytes();
        swapped.swap(i, i + 1);
        let swapped = String::from_utf8(swapped).unwrap();
        assert!(parse_credit_code(&swapped).is_err());
        assert!(
            parse_credit_code("91350100M000100Y4")
                .unwrap_err()
                .contains("18")
        );
        assert!(
            parse_credit_code("91350100M000100I43")
                .unwrap_err()
                .contains("无效字符")
        );
    }

    #[test]
    fn a_chinese_specialty_label_is_accepted_as_its_code() {
        for (code, label) in SPECIALTIES {
            assert_eq!(parse_specialty(label).unwrap().as_str(), *code);
            assert_eq!(
                parse_specialty(&code.to_uppercase()).unwrap().as_str(),
                *code
            );
        }
        assert!(parse_specialty("木工").is_err());
        let csv = "姓名,专家编号,专业类别,工作单位\n张三,E1,康养,某单位\n";
        assert_eq!(
            parse_csv(csv.as_bytes()).unwrap()[0].specialty.as_str(),
            "elderly_care"
        );
    }

    #[test]
    fn gbk_bytes_give_the_save_as_csv_utf8_error() {
        // "专家编号,姓名" in GBK.
        let gbk: &[u8] =
            b"\xd7\xa8\xbc\xd2\xb1\xe0\xba\xc5,\xd0\xd5\xc3\xfb\r\nE1,\xd5\xc5\xc8\xfd\r\n";
        let err = parse_csv(gbk).unwrap_err();
        assert_eq!(err.0.len(), 1);
        assert_eq!(err.0[0].row, 0);
        assert!(err.0[0].message.contains("CSV UTF-8"), "{err}");
    }

    #[test]
    fn empty_and_header_only_files_have_no_data_rows() {
        for bytes in [&b""[..], b"\xEF\xBB\xBF", b"\n\n"] {
            assert!(parse_csv(bytes).unwrap_err().to_string().contains(NO_DATA));
        }
        let header_only = format!("{}\r\n,,,\r\n\r\n", header_line());
        let err = parse_csv(header_only.as_bytes()).unwrap_err();
        assert_eq!(err.0.len(), 1);
        assert!(err.to_string().contains(NO_DATA));
        let xlsx = xlsx_with(&["专家编号", "姓名", "工作单位", "专业类别"], &[]);
        assert!(parse_xlsx(&xlsx).unwrap_err().to_string().contains(NO_DATA));
        assert!(parse_xlsx(b"").unwrap_err().to_string().contains(NO_DATA));
        assert!(
            parse_xlsx(b"not a zip")
                .unwrap_err()
                .to_string()
                .contains("XLSX")
        );
    }

    #[test]
    fn the_templates_import_no_example_row() {
        // The XLSX data sheet has the header and nothing else.
        let err = parse_xlsx(&template_xlsx()).unwrap_err();
        assert_eq!(err.0.len(), 1, "{err}");
        assert!(err.0[0].message.contains(NO_DATA), "{err}");
        // The CSV template's example row is refused, by row and column, as an example.
        let err = parse_csv(&template_csv()).unwrap_err();
        assert_eq!(messages(&err).len(), 1, "{err}");
        let (row, col, message) = messages(&err)[0];
        assert_eq!((row, col), (2, Some("专家编号 expert_id")));
        assert!(message.starts_with("这是模板的示例行"), "{message}");
        assert!(message.contains("example rows"), "{message}");
        assert!(template_csv().starts_with(UTF8_BOM));
    }

    #[test]
    fn the_example_sheet_is_never_imported_even_as_the_first_sheet() {
        let mut book = Xlsx::new(Cursor::new(template_xlsx())).unwrap();
        assert_eq!(book.sheet_names()[0], "专家名册 roster");
        assert_eq!(book.sheet_names()[2], EXAMPLE_SHEET);
        let examples = book.worksheet_range(EXAMPLE_SHEET).unwrap();
        let rows: Vec<Vec<String>> = examples
            .rows()
            .map(|r| r.iter().map(|d| xlsx_cell_text(d).unwrap()).collect())
            .collect();
        assert_eq!(rows.len(), 2, "the header and one example row");
        let header: Vec<String> = COLUMNS.iter().map(Column::header).collect();
        assert_eq!(rows[0], header);
        assert_eq!(rows[1][ID], "示例-E0001");
        // The example sheet alone, as if moved first: every example row refused.
        let mut only = Workbook::new();
        let s = only.add_worksheet();
        for (r, row) in rows.iter().enumerate() {
            for (c, v) in row.iter().enumerate() {
                s.write_string(r as u32, c as u16, v).unwrap();
            }
        }
        let err = parse_xlsx(&only.save_to_buffer().unwrap()).unwrap_err();
        assert_eq!(messages(&err).len(), 1, "{err}");
        assert_eq!((err.0[0].row, err.0[0].column.as_deref()), (2, Some("A")));
        assert!(err.0[0].message.contains("示例行"), "{err}");
        // Without the mark, the example row is a valid record.
        let unmarked = String::from_utf8(template_csv())
            .unwrap()
            .replace("示例-", "");
        assert_eq!(
            parse_csv(unmarked.as_bytes()).unwrap(),
            vec![example_record()]
        );
    }

    #[test]
    fn the_xlsx_files_offer_drop_down_lists_for_the_closed_columns() {
        let template = template_xlsx();
        let want = [
            ("C", "男,女".to_string(), "warning"),
            (
                "G",
                SPECIALTIES
                    .iter()
                    .map(|(_, l)| *l)
                    .collect::<Vec<_>>()
                    .join(","),
                "warning",
            ),
            ("I", SKILL_LEVELS.join(","), "stop"),
            ("K", "在库,暂停".to_string(), "warning"),
        ];
        for (bytes, sheet) in [(&template, 1), (&template, 3), (&export_xlsx(&[]), 1)] {
            let got = xlsx_validations(bytes, sheet);
            assert_eq!(got.len(), want.len(), "sheet {sheet}: {got:?}");
            for ((col, list, style), v) in want.iter().zip(&got) {
                assert_eq!(v.kind, "list");
                assert_eq!(v.sqref, format!("{col}2:{col}1048576"));
                assert_eq!(v.list, *list, "column {col}");
                assert_eq!(v.error_style, *style, "column {col}");
                assert!(v.show_error && v.show_input, "column {col}");
            }
        }
        // The notes sheet has none.
        assert!(xlsx_validations(&template, 2).is_empty());
    }

    #[test]
    fn a_filled_in_template_imports_every_drop_down_value() {
        let lists: Vec<Vec<String>> = xlsx_validations(&template_xlsx(), 1)
            .into_iter()
            .map(|v| v.list.split(',').map(str::to_string).collect())
            .collect();
        let [genders, specialties, levels, statuses] = &lists[..] else {
            panic!("four lists: {lists:?}");
        };
        let n = specialties.len().max(levels.len());
        let rows: Vec<[String; NCOLS]> = (0..n)
            .map(|i| {
                let mut cells = record_cells(&example_record());
                cells[ID] = format!("E{i:03}");
                cells[GENDER] = genders[i % genders.len()].clone();
                cells[SPEC] = specialties[i % specialties.len()].clone();
                cells[LEVEL] = levels[i % levels.len()].clone();
                cells[STATUS] = statuses[i % statuses.len()].clone();
                cells
            })
            .collect();
        // The template's own workbook (notes, example sheet, lists) with the rows filled in.
        let filled = write_xlsx(&rows, Some(&[example_cells()])).unwrap();
        let recs = parse_xlsx(&filled).unwrap();
        assert_eq!(recs.len(), n);
        for (i, r) in recs.iter().enumerate() {
            assert_eq!(r.expert_id, format!("E{i:03}"));
            assert_eq!(r.gender.as_deref(), Some(genders[i % 2].as_str()));
            assert_eq!(r.specialty.as_str(), SPECIALTIES[i % SPECIALTIES.len()].0);
            assert_eq!(
                r.skill_level.as_deref(),
                Some(SKILL_LEVELS[i % SKILL_LEVELS.len()])
            );
            let status = [Status::Active, Status::Suspended][i % 2];
            assert_eq!(r.status, status);
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
        for (code, label) in SPECIALTIES {
            assert!(all.iter().any(|s| s == code) && all.iter().any(|s| s == label));
        }
        for level in SKILL_LEVELS {
            assert!(all.iter().any(|s| s == level));
        }
    }

    fn varied_records() -> Vec<ExpertRecord> {
        let mut a = example_record();
        a.expert_id = "0007".into(); // leading zeros survive as text
        let b = ExpertRecord {
            expert_id: "Z-99_x".into(),
            name: "欧阳 娜娜".into(),
            gender: Some("女".into()),
            organisation: "某某大学, \"护理\"学院".into(),
            credit_code: None,
            avoid_orgs: vec![],
            specialty: Specialty::try_from("nursing").unwrap(),
            other_specialties: vec!["康养".into()],
            skill_level: None,
            region: None,
            status: Status::Suspended,
            phone: Some("+86 20-8888 0000".into()),
            email: None,
        };
        let mut c = example_record();
        c.expert_id = "E0003".into();
        c.gender = None;
        c.skill_level = Some("其他".into());
        c.specialty = Specialty::try_from("other").unwrap();
        vec![a, b, c]
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
    fn the_snapshot_is_stable_and_independent_of_row_order() {
        let recs = varied_records();
        let snap = canonical_snapshot(&recs);
        let mut reversed = recs.clone();
        reversed.reverse();
        assert_eq!(canonical_snapshot(&reversed), snap);
        // Re-importing the export in either format gives the same bytes.
        let csv = export_csv(&reversed);
        assert_eq!(canonical_snapshot(&parse_csv(&csv).unwrap()), snap);
        // Stable, but not blind: one changed field of one record changes it.
        let mut changed = recs.clone();
        changed[1].organisation.push('X');
        assert_ne!(canonical_snapshot(&changed), snap);
        assert_eq!(
            canonical_snapshot(&parse_xlsx(&export_xlsx(&recs)).unwrap()),
            snap
        );
        // Sorted by expert_id, one JSON object per line, fields in declaration order.
        let text = String::from_utf8(snap.clone()).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 3);
        assert!(lines[0].starts_with(r#"{"expert_id":"0007","name":"张三","gender":"男","#));
        assert!(lines[1].starts_with(r#"{"expert_id":"E0003","#));
        assert!(lines[2].contains(r#""status":"suspended""#));
        assert!(text.ends_with("}\n"));
        // Any change to a record changes the snapshot.
        let mut changed = recs.clone();
        changed[1].status = Status::Active;
        assert_ne!(canonical_snapshot(&changed), snap);
    }

    #[test]
    fn rows_are_counted_as_the_spreadsheet_shows_them() {
        // A quoted field spanning two lines is one row; a blank line is a row.
        let csv =
            "专家编号,姓名,工作单位,专业类别\r\nE1,张三,\"甲\r\n乙\",护理\r\n\r\nE2,,丙,护理\r\n";
        let err = parse_csv(csv.as_bytes()).unwrap_err();
        let rows: Vec<usize> = err.0.iter().map(|e| e.row).collect();
        // Row 2's organisation has a line break (control character), row 4's name is missing.
        assert_eq!(rows, vec![2, 4], "{err}");
    }

    #[test]
    fn a_header_row_not_in_row_one_of_an_xlsx_keeps_real_row_numbers() {
        let mut book = Workbook::new();
        let s = book.add_worksheet();
        for (c, h) in ["专家编号", "姓名", "工作单位", "专业类别"]
            .iter()
            .enumerate()
        {
            s.write_string(2, c as u16 + 1, *h).unwrap();
        }
        s.write_string(3, 1, "E1").unwrap();
        s.write_string(3, 3, "某单位").unwrap();
        s.write_string(3, 4, "护理").unwrap();
        let err = parse_xlsx(&book.save_to_buffer().unwrap()).unwrap_err();
        assert_eq!(err.0.len(), 1, "{err}");
        assert_eq!((err.0[0].row, err.0[0].column.as_deref()), (4, Some("C")));
    }

    #[test]
    fn column_letters_go_past_z() {
        assert_eq!(column_letter(0), "A");
        assert_eq!(column_letter(25), "Z");
        assert_eq!(column_letter(26), "AA");
        assert_eq!(column_letter(27), "AB");
        assert_eq!(column_letter(701), "ZZ");
        assert_eq!(column_letter(702), "AAA");
    }

    #[test]
    fn header_cells_match_in_any_of_the_three_forms() {
        let c = &COLUMNS[PHONE];
        for h in [
            "联系电话",
            "phone",
            "PHONE",
            " 联系电话 phone ",
            "联系电话\nPhone",
        ] {
            assert!(c.matches(h), "{h:?}");
        }
        for h in ["电话", "phone 联系电话", "联系电话phone", "联系电话 email"] {
            assert!(!c.matches(h), "{h:?}");
        }
    }
}

#[cfg(test)]
mod upload_tests {
    use super::*;

    #[test]
    fn imported_text_is_nfc_and_hidden_characters_are_named_by_row_and_column() {
        let mut r = crate::demo::synthetic_records(2);
        r[0].name = "Jose\u{301}".into();
        r[1].organisation = "广东\u{202E}公司".into();
        let csv = export_csv(&r);
        let e = parse_csv(&csv).unwrap_err();
        assert_eq!(e.0.len(), 1, "{e}");
        assert_eq!(e.0[0].row, 3);
        assert_eq!(e.0[0].header.as_deref(), Some("工作单位 organisation"));
        assert!(e.0[0].message.contains("(U+202E)"), "{e}");
        r[1].organisation = "Guangdong T\u{435}ch".into(); // Cyrillic е
        let e = parse_csv(&export_csv(&r)).unwrap_err().to_string();
        assert!(
            e.contains("第3行") && e.contains("the word Tеch mixes"),
            "{e}"
        );
        r[1].organisation = "广东省 2026 Round 技工学校".into();
        let parsed = parse_csv(&export_csv(&r)).unwrap();
        assert_eq!(parsed[0].name, "José", "stored in NFC");
        assert_eq!(parsed[1].organisation, "广东省 2026 Round 技工学校");
    }

    /// A workbook whose worksheet XML is `mib` MiB of repeated bytes, written
    /// in 1 MiB pieces (the test never holds it whole).
    pub(crate) fn zip_bomb(mib: usize) -> Vec<u8> {
        use std::io::Write;
        let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let deflated = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated)
            .large_file(true);
        w.start_file("[Content_Types].xml", deflated).unwrap();
        w.write_all(br#"<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>"#).unwrap();
        w.start_file("xl/worksheets/sheet1.xml", deflated).unwrap();
        let piece = vec![b'A'; 1024 * 1024];
        for _ in 0..mib {
            w.write_all(&piece).unwrap();
        }
        w.finish().unwrap().into_inner()
    }

    #[test]
    fn a_zip_bomb_is_refused_before_it_is_parsed() {
        // 300 MiB of worksheet XML in about 300 KB.
        let bomb = zip_bomb(300);
        assert!(bomb.len() < 1024 * 1024, "{}", bomb.len());
        let e = parse_xlsx(&bomb).unwrap_err().to_string();
        assert!(
            e.contains(
                "the part xl/worksheets/sheet1.xml of the XLSX file decompresses to more than the limit of 32 MiB"
            ),
            "{e}"
        );
        let e = crate::applications::parse_xlsx(&bomb)
            .unwrap_err()
            .to_string();
        assert!(e.contains("limit of 32 MiB"), "{e}");
    }

    #[test]
    fn each_bound_is_named_when_it_is_passed() {
        let small = XlsxLimits {
            entries: 1,
            ..XlsxLimits::UPLOAD
        };
        let e = small.check(&zip_bomb(0)).unwrap_err().to_string();
        assert!(e.contains("has 2 parts, more than the limit of 1"), "{e}");
        let total = XlsxLimits {
            total_bytes: 2 * 1024 * 1024,
            ratio: 2000,
            ..XlsxLimits::UPLOAD
        };
        let e = total.check(&zip_bomb(3)).unwrap_err().to_string();
        assert!(
            e.contains("decompresses to more than the limit of 2 MiB"),
            "{e}"
        );
        let ratio = XlsxLimits {
            ratio: 10,
            ..XlsxLimits::UPLOAD
        };
        let e = ratio.check(&zip_bomb(3)).unwrap_err().to_string();
        assert!(
            e.contains("expands more than the limit of 10 times its compressed size"),
            "{e}"
        );
        // 3 MiB of one byte expand about 1000 times: under a bound that
        // allows it, the same file is accepted.
        XlsxLimits {
            ratio: 2000,
            ..XlsxLimits::UPLOAD
        }
        .check(&zip_bomb(3))
        .unwrap();
        XlsxLimits::UPLOAD.check(&zip_bomb(1)).unwrap();
    }

    #[test]
    fn a_large_real_roster_is_within_the_bounds() {
        let records = crate::demo::synthetic_records(3000);
        let xlsx = export_xlsx(&records);
        XlsxLimits::UPLOAD.check(&xlsx).unwrap();
        assert_eq!(parse_xlsx(&xlsx).unwrap(), records);
    }

    #[test]
    fn far_apart_cells_cost_only_themselves() {
        let record = crate::demo::synthetic_records(1).remove(0);
        let mut book = Workbook::new();
        let sheet = book.add_worksheet();
        for (j, col) in COLUMNS.iter().enumerate() {
            sheet.write_string(0, j as u16, col.header()).unwrap();
        }
        // The record on the last row of the sheet: the rows between are not made.
        for (j, v) in record_cells(&record).iter().enumerate() {
            sheet.write_string(LAST_ROW, j as u16, v).unwrap();
        }
        let bytes = book.save_to_buffer().unwrap();
        assert_eq!(parse_xlsx(&bytes).unwrap(), vec![record]);
    }

    #[test]
    fn a_cell_beyond_the_last_column_read_is_refused_by_name() {
        let mut book = Workbook::new();
        let sheet = book.add_worksheet();
        sheet.write_string(0, 0, "专家编号 expert_id").unwrap();
        sheet.write_string(LAST_ROW, 16_383, "x").unwrap();
        let e = parse_xlsx(&book.save_to_buffer().unwrap())
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("the cell XFD1048576 is beyond the last column read, IV"),
            "{e}"
        );
    }
}
