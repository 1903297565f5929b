//! The review report's printable HTML and XLSX (issue 14, item 5), from the
//! issued [`ReportDoc`]. Both are pure: they format what they are given.
//!
//! HTML: A4 with GB/T 9704-like conventions (the title in 小标宋 or a serif,
//! the body in 仿宋, 1.5 line spacing, numbered sections 一、二、…), page
//! numbers through [`crate::print::PRINT_CSS`]'s `@page` counters, a
//! signature and seal block, and a QR code to the public verification page.
//! No script, no external asset; every input text is escaped.
//!
//! XLSX: one sheet per section (and one for the attachments), the first row
//! bold headings, Chinese then English.

use crate::record_sheet::{cst, escape};
use crate::report::{Issued, ReportDoc};
use fairpanel_core::types::Province;
use std::fmt::Write as _;

/// The six sections' names, in order: (sheet name, Chinese heading, English).
pub const SECTIONS: [(&str, &str, &str); 6] = [
    ("项目申请", "项目申请情况", "Applications"),
    ("评审专家组成", "评审专家组成", "The panel"),
    ("评审程序", "评审程序", "Procedure"),
    ("评审方法", "评审方法", "Method"),
    ("评审结果", "评审结果", "Results"),
    ("公示情况", "公示情况", "Public notice"),
];

const NUMBERS: [&str; 7] = ["一", "二", "三", "四", "五", "六", "七"];

const CSS: &str = r#"
body { margin: 0 auto; max-width: 156mm; padding: 6mm 0; line-height: 1.5; font-size: 12pt; }
h1 { font-family: "FZXiaoBiaoSong-B05S", "方正小标宋简体", "STZhongsong", "SimSun", "宋体", "Noto Serif CJK SC", serif;
     font-size: 22pt; font-weight: normal; text-align: center; margin: 4mm 0 2mm 0; letter-spacing: 0.05em; }
.doc-no { text-align: center; margin-bottom: 6mm; }
.red-rule { border-top: 2px solid #c00; margin: 2mm 0 6mm 0; }
h2 { font-family: "SimHei", "黑体", "Noto Sans CJK SC", sans-serif; font-size: 14pt; font-weight: normal; margin: 6mm 0 2mm 0; }
table { border-collapse: collapse; width: 100%; margin: 1mm 0 3mm 0; font-size: 10.5pt; }
th, td { border: 0.8px solid #000; padding: 1mm 1.5mm; text-align: left; vertical-align: top; }
th { font-weight: bold; white-space: nowrap; }
.note { font-size: 10.5pt; }
.seal { margin-top: 14mm; display: flex; justify-content: space-between; align-items: flex-end; }
.seal .stamp { width: 42mm; height: 42mm; border: 1px dashed #999; border-radius: 50%; text-align: center; line-height: 42mm; color: #999; font-size: 10pt; }
.seal .date { text-align: right; }
.attach h2 { break-before: page; page-break-before: always; }
tr { break-inside: avoid; page-break-inside: avoid; }
"#;

fn w(o: &mut String, args: std::fmt::Arguments) {
    o.write_fmt(args).expect("writing to a String");
}

fn province_name(code: &str) -> String {
    Province::try_from(code)
        .map(|p| p.name().to_string())
        .unwrap_or_else(|_| code.to_string())
}

fn kind_zh(kind: &str) -> &str {
    match kind {
        "base_new" => "国家级高技能人才培训基地（新建）",
        "base_existing" => "国家级高技能人才培训基地（已建）",
        "studio" => "国家级技能大师工作室",
        other => other,
    }
}

fn screen_zh(s: &str) -> &str {
    match s {
        "passed" => "通过",
        "failed" => "未通过",
        "overridden" => "未通过，经说明仍予评审",
        other => other,
    }
}

fn outcome_zh(s: &str) -> &str {
    match s {
        "pending" => "待处理",
        "upheld" => "成立",
        "rejected" => "不成立",
        other => other,
    }
}

fn role_zh(s: &str) -> &str {
    match s {
        "application_form" => "申报表",
        "assessment_report" => "考核评估报告",
        _ => "其他材料",
    }
}

fn table(o: &mut String, head: &[&str], rows: &[Vec<String>]) {
    o.push_str("<table>\n<tr>");
    for h in head {
        w(o, format_args!("<th>{}</th>", escape(h)));
    }
    o.push_str("</tr>\n");
    for r in rows {
        o.push_str("<tr>");
        for c in r {
            w(o, format_args!("<td>{}</td>", escape(c)));
        }
        o.push_str("</tr>\n");
    }
    o.push_str("</table>\n");
}

/// The rows of each section, shared by the HTML and the XLSX: (headings, rows).
fn section_rows(doc: &ReportDoc, k: usize) -> (Vec<&'static str>, Vec<Vec<String>>) {
    let s = &doc.sections;
    match k {
        0 => (
            vec![
                "申报编号",
                "申报单位",
                "职业（工种）",
                "资格审查",
                "未通过条件",
                "是否评审",
            ],
            s.applications
                .iter()
                .map(|a| {
                    vec![
                        a.reference.clone(),
                        a.organisation.clone(),
                        a.project.clone(),
                        screen_zh(&a.screen).to_string(),
                        a.failures.join("；"),
                        if a.scored { "是" } else { "否" }.to_string(),
                    ]
                })
                .collect(),
        ),
        1 => (
            vec!["序号", "姓名", "工作单位", "专业", "职称/等级"],
            s.panel
                .members
                .iter()
                .enumerate()
                .map(|(i, m)| {
                    vec![
                        (i + 1).to_string(),
                        m.name.clone(),
                        m.organisation.clone(),
                        specialty_zh(&m.specialty),
                        m.title.clone(),
                    ]
                })
                .collect(),
        ),
        2 => (
            vec!["日志序号", "时间（北京时间）", "事项"],
            s.procedure
                .iter()
                .map(|p| vec![p.seq.to_string(), cst(p.time), p.what.clone()])
                .collect(),
        ),
        3 => {
            let m = &s.method;
            let mut rows = vec![
                vec!["汇总规则".into(), m.rule.clone()],
                vec!["异常分阈值（分）".into(), m.abnormal_points.clone()],
                vec!["同分排序".into(), m.tie_break.clone()],
                vec!["年度推荐名额".into(), m.quota.to_string()],
                vec!["本年已推荐".into(), m.already_recommended.to_string()],
                vec!["评分标准哈希".into(), m.rubric_hash.to_hex()],
            ];
            if let Some(inds) = m.rubric.get("indicators").and_then(|v| v.as_array()) {
                for i in inds {
                    let name = i.get("name").and_then(|v| v.as_str()).unwrap_or("");
                    let code = i.get("code").and_then(|v| v.as_str()).unwrap_or("");
                    let max = i.get("max").map(|v| v.to_string()).unwrap_or_default();
                    rows.push(vec![
                        format!("指标 {code}"),
                        format!("{name}（{}分）", max.trim_matches('"')),
                    ]);
                }
            }
            (vec!["项目", "内容"], rows)
        }
        4 => {
            let mut rows: Vec<Vec<String>> = s
                .results
                .results
                .iter()
                .map(|r| {
                    vec![
                        r.rank.to_string(),
                        r.application.clone(),
                        r.final_score.clone(),
                        r.sheets.to_string(),
                        if r.recommended { "推荐" } else { "" }.to_string(),
                    ]
                })
                .collect();
            for a in &s.results.abnormal {
                rows.push(vec![
                    "异常分".into(),
                    a.application.clone(),
                    a.total.clone(),
                    a.expert.clone(),
                    a.explanation.clone().unwrap_or_default(),
                ]);
            }
            (
                vec!["排名", "申报编号", "最终得分", "评分表数", "推荐/说明"],
                rows,
            )
        }
        _ => match &s.notice.detail {
            None => (vec!["公示情况"], vec![vec!["未发布公示".into()]]),
            Some(d) => {
                let mut rows = vec![vec![
                    "公示期".to_string(),
                    format!("{} 至 {}（{} 个工作日）", d.start, d.end, d.working_days),
                    String::new(),
                    String::new(),
                ]];
                for o in &d.objections {
                    rows.push(vec![
                        o.reference.clone(),
                        o.project.clone(),
                        if o.withdrawn {
                            "已撤回".into()
                        } else {
                            outcome_zh(&o.outcome).to_string()
                        },
                        o.answer.clone().unwrap_or_default(),
                    ]);
                }
                (vec!["异议编号", "涉及项目", "处理结果", "答复"], rows)
            }
        },
    }
}

/// The printable report. `verify_url` is the public verification page the QR
/// code opens.
pub fn html(doc: &ReportDoc, issued: &Issued, verify_url: &str) -> String {
    let mut o = String::with_capacity(32 * 1024);
    let prov = province_name(&doc.province);
    o.push_str("<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n");
    w(
        &mut o,
        format_args!(
            "<title>{}评审报告 {}</title>\n",
            escape(&prov),
            escape(doc.round.as_str())
        ),
    );
    w(
        &mut o,
        format_args!(
            "<style>{}{}</style>\n</head>\n<body>\n",
            crate::print::PRINT_CSS,
            CSS
        ),
    );
    w(
        &mut o,
        format_args!(
            "<h1>{}{}年{}<br>项目评审报告</h1>\n<div class=\"doc-no mono\">{}　{}</div>\n<div class=\"red-rule\"></div>\n",
            escape(&prov),
            doc.year,
            escape(kind_zh(&doc.kind)),
            escape(doc.round.as_str()),
            escape(&doc.title)
        ),
    );
    w(
        &mut o,
        format_args!(
            "<p class=\"note\">本报告由评审记录生成，其 SHA-256 为 <span class=\"mono\">{}</span>，已记入签名日志（序号 {}，{}）。</p>\n",
            escape(&issued.sha256),
            issued.seq,
            cst(issued.issued_at.max(0) as u64)
        ),
    );
    for (k, (_, zh, en)) in SECTIONS.iter().enumerate() {
        w(
            &mut o,
            format_args!(
                "<h2>{}、{} <span class=\"en\">{}</span></h2>\n",
                NUMBERS[k], zh, en
            ),
        );
        if k == 1 {
            let p = &doc.sections.panel;
            w(
                &mut o,
                format_args!(
                    "<p class=\"note\">专家组由抽取 <span class=\"mono\">{}</span> 产生：抽取 {} 人（含备选），不能参加 {} 人，递补 {} 人。</p>\n",
                    escape(p.draw.as_str()),
                    p.drawn,
                    p.declined,
                    p.replaced
                ),
            );
        }
        let (head, rows) = section_rows(doc, k);
        table(&mut o, &head, &rows);
    }
    o.push_str("<div class=\"seal\">\n<div class=\"sign\"><table>\n<tr><td class=\"label\">评审组织单位（盖章）：</td><td class=\"line\"></td></tr>\n<tr><td class=\"label\">负责人（签字）：</td><td class=\"line\"></td></tr>\n<tr><td class=\"label\">监督人员（签字）：</td><td class=\"line\"></td></tr>\n</table></div>\n<div class=\"stamp\">（盖章处）</div>\n</div>\n");
    w(
        &mut o,
        format_args!(
            "<p class=\"date\">{}</p>\n",
            escape(&cst(issued.issued_at.max(0) as u64)[..10])
        ),
    );
    if !verify_url.is_empty() {
        w(
            &mut o,
            format_args!(
                "<div class=\"qr-block\">{}<div class=\"qr-caption\">扫码核验：{}</div></div>\n",
                crate::qr::qr_svg(verify_url),
                escape(verify_url)
            ),
        );
    }
    o.push_str("<div class=\"attach\">\n");
    w(
        &mut o,
        format_args!(
            "<h2>{}、附件 <span class=\"en\">Attachments</span></h2>\n",
            NUMBERS[6]
        ),
    );
    let rows: Vec<Vec<String>> = doc
        .attachments
        .iter()
        .enumerate()
        .map(|(i, a)| {
            vec![
                (i + 1).to_string(),
                a.application.clone(),
                role_zh(&a.role).to_string(),
                a.name.clone(),
                a.sha256.to_hex(),
            ]
        })
        .collect();
    table(
        &mut o,
        &["序号", "申报编号", "类别", "文件名", "SHA-256"],
        &rows,
    );
    o.push_str("</div>\n</body>\n</html>\n");
    o
}

/// The report as a workbook: one sheet per section, then the attachments.
pub fn xlsx(doc: &ReportDoc) -> anyhow::Result<Vec<u8>> {
    use rust_xlsxwriter::{Format, Workbook};
    let mut book = Workbook::new();
    let bold = Format::new().set_bold();
    let mut put = |name: &str, head: &[&str], rows: &[Vec<String>]| -> anyhow::Result<()> {
        let s = book.add_worksheet();
        s.set_name(name)?;
        for (c, h) in head.iter().enumerate() {
            s.write_string_with_format(0, c as u16, *h, &bold)?;
        }
        for (r, row) in rows.iter().enumerate() {
            for (c, v) in row.iter().enumerate() {
                s.write_string(r as u32 + 1, c as u16, v)?;
            }
        }
        Ok(())
    };
    for (k, (name, _, _)) in SECTIONS.iter().enumerate() {
        let (head, rows) = section_rows(doc, k);
        put(name, &head, &rows)?;
    }
    let rows: Vec<Vec<String>> = doc
        .attachments
        .iter()
        .map(|a| {
            vec![
                a.application.clone(),
                role_zh(&a.role).to_string(),
                a.name.clone(),
                a.media_type.clone(),
                a.sha256.to_hex(),
            ]
        })
        .collect();
    put(
        "附件",
        &["申报编号", "类别", "文件名", "类型", "SHA-256"],
        &rows,
    )?;
    Ok(book.save_to_buffer()?)
}

/// A specialty's Chinese name from the catalogue (the roster stores codes);
/// a code the catalogue does not know is shown as it is.
fn specialty_zh(code: &str) -> String {
    let tr = crate::web::i18n::Tr::new(crate::web::i18n::Lang::Zh);
    let key = format!("spec-{code}");
    if tr.has(&key) {
        tr.t(&key)
    } else {
        code.to_string()
    }
}
