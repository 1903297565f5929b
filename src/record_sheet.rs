//! The draw record sheet (抽取专家记录表): a printable, self-contained HTML page
//! that review procedures expect to be printed, signed by the operator and the
//! supervisors, and filed.
//!
//! [`render`] is pure: it formats what it is given and reads no clock, file or
//! database. Every input text is HTML-escaped. Before disclosure the renderer
//! never prints an expert's name or organisation, even if the caller passes
//! them; it prints the anonymous token (abbreviated) instead. The page has no
//! JavaScript and no external assets; its CSS ([`crate::print::PRINT_CSS`] and
//! the sheet's own rules) targets A4 paper with page numbers, and a QR code
//! (inline SVG) opens the draw's public page.

use std::fmt::Write as _;

/// Everything the record sheet shows about one draw.
#[derive(Debug, Clone)]
pub struct Sheet {
    /// e.g. 广东省
    pub province_name: String,
    /// e.g. 440000
    pub province_code: String,
    /// e.g. 2026年国家级高技能人才培训基地项目评审
    pub round_title: String,
    pub draw_id: String,
    pub draw_title: String,
    /// The full URL of the draw's public page, `{public base}/public/draws/{draw_id}`,
    /// printed as a QR code and as text; empty prints neither.
    pub public_url: String,
    /// `committed` | `revealed` | `voided` | `disclosed`
    pub state: String,
    pub spec: SpecView,
    /// The commit entry.
    pub commit: Option<Step>,
    pub entropy: Vec<Contribution>,
    /// Protocol 1.4: the personal keys registered in the draw, each with its
    /// fingerprint (key id), so their holders can confirm them on paper.
    pub keys: Vec<KeyView>,
    /// `None` in beacon-less mode (or while the beacon is still awaited).
    pub beacon: Option<BeaconView>,
    /// `drand` | `none`
    pub beacon_mode: String,
    pub reveal: Option<Step>,
    pub seed_hex: Option<String>,
    pub secret_commitment_hex: String,
    pub pool_root_hex: String,
    pub pool_size: u64,
    /// (token or name, reason code)
    pub excluded: Vec<(String, String)>,
    pub panel: Vec<Seat>,
    pub alternates: Vec<Seat>,
    pub declines: Vec<DeclineView>,
    /// Names and organisations are shown only when true.
    pub disclosed: bool,
    pub void_reason: Option<String>,
    pub log_origin: String,
    pub checkpoint_size: u64,
    pub key_id: String,
    /// Unix seconds.
    pub generated_at: u64,
}

/// The draw's rules.
#[derive(Debug, Clone)]
pub struct SpecView {
    pub panel: u32,
    pub alternates: u32,
    pub org_cap: Option<u32>,
    /// (specialty, minimum seats)
    pub quotas: Vec<(String, u32)>,
    pub cooldown_days: Option<u32>,
}

/// One log entry of the draw (commit or reveal).
#[derive(Debug, Clone)]
pub struct Step {
    pub seq: u64,
    pub time: u64,
    pub entry_hash_hex: String,
}

/// One supervisor's entropy contribution.
#[derive(Debug, Clone)]
pub struct Contribution {
    pub seq: u64,
    pub time: u64,
    pub supervisor: String,
    pub value_hex: String,
}

/// A personal key registered in the draw (a key_registration entry).
#[derive(Debug, Clone)]
pub struct KeyView {
    pub seq: u64,
    pub time: u64,
    /// `supervisor` | `expert`
    pub role: String,
    /// The key id, 16 hex digits.
    pub fingerprint: String,
    /// Protocol 1.6: the key id this one replaced, and the approving key's.
    pub replaced: Option<(String, String)>,
}

/// The public randomness beacon round mixed into the seed.
#[derive(Debug, Clone)]
pub struct BeaconView {
    pub round: u64,
    pub randomness_hex: String,
    pub seq: Option<u64>,
    pub time: Option<u64>,
}

/// One seat of the panel or one alternate.
#[derive(Debug, Clone)]
pub struct Seat {
    pub position: u32,
    pub token_hex: String,
    pub name: Option<String>,
    pub organisation: Option<String>,
    pub specialty: String,
    /// `seated` | `declined` | `replacement` | `alternate`
    pub status: String,
}

/// A declined seat and its replacement.
#[derive(Debug, Clone)]
pub struct DeclineView {
    pub seq: u64,
    pub time: u64,
    pub token_hex: String,
    pub name: Option<String>,
    pub reason: String,
    pub replacement_token_hex: Option<String>,
    pub replacement_name: Option<String>,
}

const BEACONLESS: &str = "无公共随机信标，保证程度较低";
const NOT_REVEALED: &str = "尚未揭晓";

/// The sheet's own rules, after [`crate::print::PRINT_CSS`].
const CSS: &str = r#"
body { margin: 0 auto; max-width: 182mm; padding: 8mm 0; }
h1 { font-size: 18pt; text-align: center; margin: 0 0 1mm 0; letter-spacing: 0.1em; }
h1 + .en { text-align: center; margin-bottom: 4mm; }
h2 { font-size: 12pt; border-bottom: 1.5px solid #000; margin: 6mm 0 2mm 0; padding-bottom: 0.5mm; }
table { border-collapse: collapse; width: 100%; margin: 1mm 0 2mm 0; }
th, td { border: 0.8px solid #000; padding: 1mm 1.5mm; text-align: left; vertical-align: top; }
th { background: #eee; font-weight: bold; white-space: nowrap; }
table.kv th { width: 32mm; }
.note { font-size: 9pt; margin: 1mm 0; }
.banner { border: 3px solid #b00; color: #b00; font-size: 16pt; font-weight: bold; text-align: center; padding: 3mm; margin: 3mm 0; }
.banner .reason { display: block; font-size: 11pt; margin-top: 1mm; color: #000; }
.pending { border: 2px dashed #000; font-size: 13pt; font-weight: bold; text-align: center; padding: 2mm; margin: 3mm 0; }
.warn { font-weight: bold; }
.footer { margin-top: 6mm; font-size: 8pt; color: #444; text-align: center; }
@media print {
  th { background: #eee; }
  .banner, .pending { break-inside: avoid; page-break-inside: avoid; }
}
"#;

/// Renders the record sheet as a complete HTML document.
pub fn render(s: &Sheet) -> String {
    let mut o = String::with_capacity(16 * 1024);
    let voided = s.state == "voided";
    let revealed = s.reveal.is_some();

    o.push_str("<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n");
    w(
        &mut o,
        format_args!(
            "<title>抽取专家记录表 {} {}</title>\n",
            escape(&s.province_name),
            escape(&s.draw_id)
        ),
    );
    w(
        &mut o,
        format_args!(
            "<style>{}{CSS}</style>\n</head>\n<body>\n",
            crate::print::PRINT_CSS
        ),
    );
    o.push_str("<h1>抽取专家记录表</h1>\n<div class=\"en\">Expert panel draw record sheet</div>\n");

    if voided {
        let reason = s.void_reason.as_deref().unwrap_or("未说明");
        w(
            &mut o,
            format_args!(
                "<div class=\"banner void\">已作废 <span class=\"en\">VOID</span>\
                 <span class=\"reason\">作废原因：{}</span></div>\n",
                escape(reason)
            ),
        );
    } else if !revealed {
        w(
            &mut o,
            format_args!(
                "<div class=\"pending\">{NOT_REVEALED} <span class=\"en\">not yet revealed</span>\
                 <div class=\"note\">本表仅记录承诺阶段，抽取结果尚未产生。</div></div>\n"
            ),
        );
    }

    basic(&mut o, s);
    rules(&mut o, &s.spec);
    pool(&mut o, s);
    randomness(&mut o, s);
    results(&mut o, s);
    declines(&mut o, s);
    verification(&mut o, s);
    signatures(&mut o, s);

    w(
        &mut o,
        format_args!(
            "<div class=\"footer\">生成时间 {} · {} · {}</div>\n</body>\n</html>\n",
            cst(s.generated_at),
            escape(&s.province_name),
            escape(&s.draw_id)
        ),
    );
    o
}

fn w(o: &mut String, args: std::fmt::Arguments<'_>) {
    o.write_fmt(args).expect("writing to a String cannot fail");
}

fn h2(o: &mut String, zh: &str, en: &str) {
    w(
        o,
        format_args!("<h2>{zh} <span class=\"en\">{en}</span></h2>\n"),
    );
}

/// A row of a key/value table; `value` must already be HTML.
fn kv(o: &mut String, key: &str, value: &str) {
    w(o, format_args!("<tr><th>{key}</th><td>{value}</td></tr>\n"));
}

fn mono(text: &str) -> String {
    format!("<span class=\"mono\">{}</span>", escape(text))
}

fn basic(o: &mut String, s: &Sheet) {
    h2(o, "一、基本信息", "Basic information");
    o.push_str("<table class=\"kv\">\n");
    kv(
        o,
        "省份",
        &format!(
            "{}（{}）",
            escape(&s.province_name),
            escape(&s.province_code)
        ),
    );
    kv(o, "评审轮次", &escape(&s.round_title));
    kv(o, "抽取编号", &mono(&s.draw_id));
    kv(o, "抽取名称", &escape(&s.draw_title));
    kv(
        o,
        "状态",
        &format!(
            "{} <span class=\"en\">{}</span>",
            state_zh(&s.state),
            escape(&s.state)
        ),
    );
    let commit = match &s.commit {
        Some(c) => cst(c.time),
        None => "—".to_string(),
    };
    kv(o, "承诺时间", &commit);
    let reveal = match &s.reveal {
        Some(r) => cst(r.time),
        None => NOT_REVEALED.to_string(),
    };
    kv(o, "揭晓时间", &reveal);
    kv(o, "本表生成时间", &cst(s.generated_at));
    o.push_str("</table>\n");
}

fn rules(o: &mut String, spec: &SpecView) {
    h2(o, "二、抽取规则", "Draw rules");
    o.push_str("<table class=\"kv\">\n");
    kv(o, "评审专家人数", &format!("{} 人", spec.panel));
    kv(o, "候补人数", &format!("{} 人", spec.alternates));
    let quotas = if spec.quotas.is_empty() {
        "无".to_string()
    } else {
        spec.quotas
            .iter()
            .map(|(sp, n)| format!("{} 不少于 {} 人", escape(sp), n))
            .collect::<Vec<_>>()
            .join("；")
    };
    kv(o, "专业最低人数", &quotas);
    let cap = match spec.org_cap {
        Some(n) => format!("同一单位不超过 {n} 人"),
        None => "不限".to_string(),
    };
    kv(o, "单位上限", &cap);
    let cooldown = match spec.cooldown_days {
        Some(d) => format!("近 {d} 天内参评过的专家不参加本次抽取"),
        None => "不适用".to_string(),
    };
    kv(o, "回避期", &cooldown);
    o.push_str("</table>\n");
}

fn pool(o: &mut String, s: &Sheet) {
    h2(o, "三、专家库", "Expert pool");
    o.push_str("<table class=\"kv\">\n");
    kv(o, "入库专家人数", &format!("{} 人", s.pool_size));
    kv(
        o,
        "专家库默克尔根",
        &format!(
            "{}<div class=\"en\">Merkle root</div>",
            mono(&s.pool_root_hex)
        ),
    );
    kv(o, "排除人数", &format!("{} 人", s.excluded.len()));
    o.push_str("</table>\n");
    if s.excluded.is_empty() {
        o.push_str("<p class=\"note\">无排除专家。</p>\n");
        return;
    }
    o.push_str("<table>\n<tr><th>序号</th><th>专家</th><th>排除原因</th></tr>\n");
    for (i, (who, reason)) in s.excluded.iter().enumerate() {
        w(
            o,
            format_args!(
                "<tr><td>{}</td><td>{}</td><td>{}</td></tr>\n",
                i + 1,
                excluded_who(who, s.disclosed),
                reason_zh(reason)
            ),
        );
    }
    o.push_str("</table>\n");
}

fn randomness(o: &mut String, s: &Sheet) {
    h2(o, "四、随机性来源", "Sources of randomness");
    o.push_str("<table class=\"kv\">\n");
    kv(
        o,
        "密钥承诺值",
        &format!(
            "{}<div class=\"en\">secret commitment</div>",
            mono(&s.secret_commitment_hex)
        ),
    );
    if let Some(c) = &s.commit {
        kv(
            o,
            "承诺记录",
            &format!(
                "第 {} 条 · {}<br>{}",
                c.seq,
                cst(c.time),
                mono(&c.entry_hash_hex)
            ),
        );
    }
    o.push_str("</table>\n");

    o.push_str(
        "<p class=\"note\">监督人随机数 <span class=\"en\">supervisors' contributions</span></p>\n",
    );
    if s.entropy.is_empty() {
        o.push_str("<p class=\"note\">无。</p>\n");
    } else {
        o.push_str(
            "<table>\n<tr><th>记录序号</th><th>时间</th><th>监督人</th><th>随机数</th></tr>\n",
        );
        for c in &s.entropy {
            w(
                o,
                format_args!(
                    "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>\n",
                    c.seq,
                    cst(c.time),
                    escape(&c.supervisor),
                    mono(&c.value_hex)
                ),
            );
        }
        o.push_str("</table>\n");
    }

    if !s.keys.is_empty() {
        o.push_str(
            "<p class=\"note\">个人密钥 <span class=\"en\">personal keys (confirm each fingerprint with its holder)</span></p>\n",
        );
        o.push_str(
            "<table id=\"personal-keys\">\n<tr><th>记录序号</th><th>时间</th><th>角色</th><th>密钥指纹</th></tr>\n",
        );
        for k in &s.keys {
            let role = match k.role.as_str() {
                "supervisor" => "监督人",
                "expert" => "专家",
                other => other,
            };
            let replaced = match &k.replaced {
                Some((old, by)) => format!(
                    "<br>替换 {}，由 {} 批准 <span class=\"en\">replaces {}, approved by {}</span>",
                    mono(old),
                    mono(by),
                    mono(old),
                    mono(by)
                ),
                None => String::new(),
            };
            w(
                o,
                format_args!(
                    "<tr><td>{}</td><td>{}</td><td>{} <span class=\"en\">{}</span></td><td>{}{replaced}</td></tr>\n",
                    k.seq,
                    cst(k.time),
                    escape(role),
                    escape(&k.role),
                    mono(&k.fingerprint)
                ),
            );
        }
        o.push_str("</table>\n");
    }

    o.push_str("<table class=\"kv\">\n");
    match (&s.beacon, s.beacon_mode.as_str()) {
        (Some(b), _) => {
            kv(
                o,
                "公共随机信标",
                &format!(
                    "{} 第 {} 轮 <span class=\"en\">round</span>",
                    escape(&s.beacon_mode),
                    b.round
                ),
            );
            kv(o, "信标随机值", &mono(&b.randomness_hex));
            if b.seq.is_some() || b.time.is_some() {
                let seq = b.seq.map(|n| format!("第 {n} 条")).unwrap_or_default();
                let time = b.time.map(cst).unwrap_or_default();
                let sep = if b.seq.is_some() && b.time.is_some() {
                    " · "
                } else {
                    ""
                };
                kv(o, "信标记录", &format!("{seq}{sep}{time}"));
            }
        }
        (None, "none") => kv(
            o,
            "公共随机信标",
            &format!(
                "<span class=\"warn\">{BEACONLESS}</span> \
                 <span class=\"en\">no public randomness beacon; weaker assurance</span>"
            ),
        ),
        (None, mode) => kv(o, "公共随机信标", &format!("{}：尚未取得", escape(mode))),
    }
    let seed = match &s.seed_hex {
        Some(h) => mono(h),
        None => NOT_REVEALED.to_string(),
    };
    kv(
        o,
        "抽取种子",
        &format!("{seed}<div class=\"en\">seed</div>"),
    );
    if let Some(r) = &s.reveal {
        kv(
            o,
            "揭晓记录",
            &format!(
                "第 {} 条 · {}<br>{}",
                r.seq,
                cst(r.time),
                mono(&r.entry_hash_hex)
            ),
        );
    }
    o.push_str("</table>\n");
}

fn results(o: &mut String, s: &Sheet) {
    h2(o, "五、抽取结果", "Result");
    if s.reveal.is_none() {
        w(o, format_args!("<p class=\"pending\">{NOT_REVEALED}</p>\n"));
        return;
    }
    if !s.disclosed {
        o.push_str(
            "<p class=\"note\">专家姓名与单位尚未公开，下表以匿名标识（前16位）代替。\
             <span class=\"en\">Names are withheld until disclosure; anonymous tokens shown.</span></p>\n",
        );
    }
    o.push_str("<p class=\"note\">评审专家 <span class=\"en\">panel</span></p>\n");
    seats(o, &s.panel, s.disclosed);
    o.push_str("<p class=\"note\">候补专家（按顺序递补） <span class=\"en\">alternates, in order</span></p>\n");
    seats(o, &s.alternates, s.disclosed);
}

fn seats(o: &mut String, seats: &[Seat], disclosed: bool) {
    if seats.is_empty() {
        o.push_str("<p class=\"note\">无。</p>\n");
        return;
    }
    o.push_str("<table>\n<tr><th>序号</th><th>专家</th>");
    if disclosed {
        o.push_str("<th>单位</th>");
    }
    o.push_str("<th>专业</th><th>状态</th></tr>\n");
    for seat in seats {
        w(
            o,
            format_args!(
                "<tr><td>{}</td><td>{}</td>",
                seat.position,
                who(&seat.token_hex, seat.name.as_deref(), disclosed)
            ),
        );
        if disclosed {
            let org = seat.organisation.as_deref().map(escape);
            w(
                o,
                format_args!("<td>{}</td>", org.as_deref().unwrap_or("—")),
            );
        }
        w(
            o,
            format_args!(
                "<td>{}</td><td>{}</td></tr>\n",
                escape(&seat.specialty),
                status_zh(&seat.status)
            ),
        );
    }
    o.push_str("</table>\n");
}

fn declines(o: &mut String, s: &Sheet) {
    h2(o, "六、拒绝与补抽", "Declines and replacements");
    if s.declines.is_empty() {
        o.push_str("<p class=\"note\">无。</p>\n");
        return;
    }
    o.push_str(
        "<table>\n<tr><th>记录序号</th><th>时间</th><th>拒绝参评专家</th><th>原因</th><th>递补专家</th></tr>\n",
    );
    for d in &s.declines {
        let replacement = match &d.replacement_token_hex {
            Some(t) => who(t, d.replacement_name.as_deref(), s.disclosed),
            None => "无（未递补）".to_string(),
        };
        w(
            o,
            format_args!(
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>\n",
                d.seq,
                cst(d.time),
                who(&d.token_hex, d.name.as_deref(), s.disclosed),
                escape(&d.reason),
                replacement
            ),
        );
    }
    o.push_str("</table>\n");
}

fn verification(o: &mut String, s: &Sheet) {
    h2(o, "七、核验", "How to verify");
    if !s.public_url.is_empty() {
        w(
            o,
            format_args!(
                "<div class=\"qr-block\">{}<div class=\"qr-caption\">扫描二维码查看本次抽取的公开页面 \
                 <span class=\"en\">scan for the public page of this draw</span><br>{}</div></div>\n",
                crate::qr::qr_svg(&s.public_url),
                mono(&s.public_url)
            ),
        );
    }
    let url = format!("/api/v1/public/draws/{}/bundle", s.draw_id);
    w(
        o,
        format_args!(
            "<p class=\"note\">任何人均可下载本次抽取的核验包，并离线复核全部过程（无需联网、无需数据库）：\
             <span class=\"en\">Anyone can download the bundle and re-check the draw offline:</span></p>\n\
             <table class=\"kv\">\n<tr><th>核验包地址</th><td>{}</td></tr>\n\
             <tr><th>核验命令</th><td>{}</td></tr>\n",
            mono(&url),
            mono("fairpanel verify bundle.json")
        ),
    );
    kv(o, "日志来源", &mono(&s.log_origin));
    kv(o, "检查点大小", &format!("{} 条", s.checkpoint_size));
    kv(o, "签名密钥标识", &mono(&s.key_id));
    o.push_str("</table>\n");
}

fn signatures(o: &mut String, s: &Sheet) {
    o.push_str("<div class=\"sign\">\n");
    h2(o, "八、签字", "Signatures");
    o.push_str("<table>\n");
    sign_row(o, "操作人（签字）", None);
    let mut supervisors: Vec<&str> = Vec::new();
    for c in &s.entropy {
        if !supervisors.contains(&c.supervisor.as_str()) {
            supervisors.push(&c.supervisor);
        }
    }
    if supervisors.is_empty() {
        sign_row(o, "监督人（签字）", None);
        sign_row(o, "监督人（签字）", None);
    } else {
        for name in supervisors {
            sign_row(o, "监督人（签字）", Some(name));
        }
    }
    o.push_str("</table>\n</div>\n");
}

fn sign_row(o: &mut String, label: &str, who: Option<&str>) {
    let who = who
        .map(|n| format!("<div class=\"who\">{}</div>", escape(n)))
        .unwrap_or_default();
    w(
        o,
        format_args!(
            "<tr><td class=\"label\">{label}：</td><td class=\"line\" style=\"width:55%\">{who}</td>\
             <td class=\"label\">日期：</td><td class=\"line\"></td></tr>\n"
        ),
    );
}

/// The expert as printed: the name when disclosed (and known), otherwise the
/// abbreviated token. Names are never read before disclosure.
fn who(token_hex: &str, name: Option<&str>, disclosed: bool) -> String {
    match name {
        Some(n) if disclosed => escape(n),
        _ => mono(&abbrev(token_hex)),
    }
}

/// An exclusion's identifier: tokens are abbreviated; anything else is taken to
/// be a name and is withheld before disclosure.
fn excluded_who(id: &str, disclosed: bool) -> String {
    if looks_like_token(id) {
        mono(&abbrev(id))
    } else if disclosed {
        escape(id)
    } else {
        "（未公开）".to_string()
    }
}

fn looks_like_token(s: &str) -> bool {
    s.len() >= 16 && s.bytes().all(|b| b.is_ascii_hexdigit())
}

fn abbrev(token: &str) -> String {
    if token.chars().count() > 16 {
        let head: String = token.chars().take(16).collect();
        format!("{head}…")
    } else {
        token.to_string()
    }
}

fn state_zh(state: &str) -> String {
    match state {
        "committed" => "已承诺".to_string(),
        "revealed" => "已揭晓".to_string(),
        "voided" => "已作废".to_string(),
        "disclosed" => "已公开".to_string(),
        other => escape(other),
    }
}

fn reason_zh(code: &str) -> String {
    match code {
        "suspended" => "暂停".to_string(),
        "applicant_org" => "申报单位专家".to_string(),
        "declared_avoid" => "声明回避".to_string(),
        "cooldown" => "近期参评".to_string(),
        other => escape(other),
    }
}

fn status_zh(status: &str) -> String {
    match status {
        "seated" => "入选".to_string(),
        "declined" => "拒绝参评".to_string(),
        "replacement" => "递补".to_string(),
        "alternate" => "候补".to_string(),
        other => escape(other),
    }
}

/// HTML-escapes text for element content and quoted attribute values.
pub(crate) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Unix seconds as China Standard Time: `YYYY-MM-DD HH:MM:SS (UTC+8)`.
pub(crate) fn cst(unix: u64) -> String {
    let t = unix.saturating_add(8 * 3600);
    let days = (t / 86_400) as i64;
    let secs = t % 86_400;
    let (y, m, d) = civil_from_days(days);
    format!(
        "{y:04}-{m:02}-{d:02} {:02}:{:02}:{:02} (UTC+8)",
        secs / 3600,
        secs % 3600 / 60,
        secs % 60
    )
}

/// Proleptic Gregorian (year, month, day) of the day `z` days after 1970-01-01
/// (Howard Hinnant's `civil_from_days`).
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097); // [0, 146096]
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365; // [0, 399]
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100); // [0, 365]
    let mp = (5 * doy + 2) / 153; // [0, 11], March-based
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    const T1: &str = "a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90";
    const T2: &str = "0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0";
    const T3: &str = "ffeeddccbbaa99887766554433221100ffeeddccbbaa99887766554433221100";

    fn seat(position: u32, token: &str, name: &str, org: &str, status: &str) -> Seat {
        Seat {
            position,
            token_hex: token.to_string(),
            name: Some(name.to_string()),
            organisation: Some(org.to_string()),
            specialty: "数控加工".to_string(),
            status: status.to_string(),
        }
    }

    fn sheet() -> Sheet {
        Sheet {
            province_name: "广东省".into(),
            province_code: "440000".into(),
            round_title: "2026年国家级高技能人才培训基地项目评审".into(),
            draw_id: "d-2026-0001".into(),
            draw_title: "第一组评审专家".into(),
            public_url: PUBLIC_URL.into(),
            state: "revealed".into(),
            spec: SpecView {
                panel: 2,
                alternates: 1,
                org_cap: Some(1),
                quotas: vec![("数控加工".into(), 1)],
                cooldown_days: Some(180),
            },
            commit: Some(Step {
                seq: 10,
                time: 1_767_196_800,
                entry_hash_hex: "11".repeat(32),
            }),
            entropy: vec![
                Contribution {
                    seq: 11,
                    time: 1_767_196_900,
                    supervisor: "监督员甲".into(),
                    value_hex: "22".repeat(32),
                },
                Contribution {
                    seq: 12,
                    time: 1_767_197_000,
                    supervisor: "监督员乙".into(),
                    value_hex: "33".repeat(32),
                },
            ],
            keys: vec![],
            beacon: Some(BeaconView {
                round: 4_200_000,
                randomness_hex: "44".repeat(32),
                seq: Some(13),
                time: Some(1_767_197_100),
            }),
            beacon_mode: "drand".into(),
            reveal: Some(Step {
                seq: 14,
                time: 1_767_197_200,
                entry_hash_hex: "55".repeat(32),
            }),
            seed_hex: Some("66".repeat(32)),
            secret_commitment_hex: "77".repeat(32),
            pool_root_hex: "88".repeat(32),
            pool_size: 120,
            excluded: vec![
                (T3.into(), "applicant_org".into()),
                ("王排除".into(), "odd_code".into()),
            ],
            panel: vec![
                seat(1, T1, "张秘密", "秘密技师学院", "seated"),
                seat(2, T2, "李隐藏", "隐藏职业学院", "replacement"),
            ],
            alternates: vec![seat(1, T3, "赵候补", "候补集团", "alternate")],
            declines: vec![DeclineView {
                seq: 15,
                time: 1_767_197_300,
                token_hex: T3.into(),
                name: Some("孙拒绝".into()),
                reason: "时间冲突".into(),
                replacement_token_hex: Some(T2.into()),
                replacement_name: Some("李隐藏".into()),
            }],
            disclosed: false,
            void_reason: None,
            log_origin: "fairpanel.gd.example/log".into(),
            checkpoint_size: 15,
            key_id: "k-440000-1".into(),
            generated_at: 1_767_200_000,
        }
    }

    const PUBLIC_URL: &str = "https://fairpanel.gd.example/public/draws/d-2026-0001";

    const NAMES: [&str; 8] = [
        "张秘密",
        "秘密技师学院",
        "李隐藏",
        "隐藏职业学院",
        "赵候补",
        "候补集团",
        "孙拒绝",
        "王排除",
    ];

    #[test]
    fn time_conversion_known_instants() {
        assert_eq!(cst(0), "1970-01-01 08:00:00 (UTC+8)");
        assert_eq!(cst(1_692_806_364), "2023-08-23 23:59:24 (UTC+8)");
        assert_eq!(cst(951_782_400), "2000-02-29 08:00:00 (UTC+8)");
        assert_eq!(cst(1_709_164_800), "2024-02-29 08:00:00 (UTC+8)");
        assert_eq!(cst(1_767_196_799), "2025-12-31 23:59:59 (UTC+8)");
        assert_eq!(cst(1_767_196_800), "2026-01-01 00:00:00 (UTC+8)");
        assert_eq!(cst(4_102_444_799), "2100-01-01 07:59:59 (UTC+8)");
    }

    #[test]
    fn civil_from_days_walks_the_calendar_day_by_day() {
        fn leap(y: i64) -> bool {
            (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
        }
        fn month_len(y: i64, m: u32) -> u32 {
            match m {
                2 if leap(y) => 29,
                2 => 28,
                4 | 6 | 9 | 11 => 30,
                _ => 31,
            }
        }
        let mut prev = civil_from_days(0);
        assert_eq!(prev, (1970, 1, 1));
        // Past 2100 (not a leap year) and 2400 (a leap year).
        for z in 1..(431 * 366) {
            let (y, m, d) = prev;
            let expect = if d < month_len(y, m) {
                (y, m, d + 1)
            } else if m < 12 {
                (y, m + 1, 1)
            } else {
                (y + 1, 1, 1)
            };
            let got = civil_from_days(z);
            assert_eq!(got, expect, "day {z}");
            prev = got;
        }
        assert_eq!(civil_from_days(-1), (1969, 12, 31));
    }

    #[test]
    fn escape_handles_all_specials() {
        assert_eq!(
            escape(r#"<a href="x">'&'</a>"#),
            "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;"
        );
        assert_eq!(escape("广东省"), "广东省");
    }

    #[test]
    fn input_text_is_escaped_everywhere() {
        let evil = "<script>alert(1)</script>";
        let mut s = sheet();
        s.disclosed = true;
        s.state = "disclosed".into();
        s.province_name = evil.into();
        s.round_title = evil.into();
        s.draw_id = evil.into();
        s.draw_title = evil.into();
        s.entropy[0].supervisor = evil.into();
        s.panel[0].name = Some(evil.into());
        s.panel[0].organisation = Some(evil.into());
        s.panel[1].specialty = evil.into();
        s.alternates[0].status = evil.into();
        s.declines[0].reason = evil.into();
        s.declines[0].replacement_name = Some(evil.into());
        s.excluded.push((evil.into(), evil.into()));
        s.spec.quotas.push((evil.into(), 1));
        s.log_origin = evil.into();
        s.key_id = evil.into();
        let html = render(&s);
        assert!(!html.to_lowercase().contains("<script"), "{html}");
        assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        // The escaped name really is the one shown (disclosed).
        assert!(html.matches("&lt;script&gt;").count() >= 15);
    }

    #[test]
    fn names_hidden_before_disclosure() {
        let s = sheet();
        assert!(!s.disclosed);
        let html = render(&s);
        for name in NAMES {
            assert!(
                !html
                    .as_bytes()
                    .windows(name.len())
                    .any(|w| w == name.as_bytes()),
                "{name} leaked before disclosure"
            );
        }
        // Tokens abbreviated to 16 hex characters plus an ellipsis.
        assert!(html.contains(&format!("{}…", &T1[..16])));
        assert!(!html.contains(T1));
        assert!(html.contains("尚未公开"));
        assert!(!html.contains("<th>单位</th>"));
        // Reason codes in Chinese; unknown codes as they are.
        assert!(html.contains("申报单位专家"));
        assert!(html.contains("odd_code"));
    }

    #[test]
    fn names_shown_after_disclosure() {
        let mut s = sheet();
        s.disclosed = true;
        s.state = "disclosed".into();
        let html = render(&s);
        for name in NAMES {
            assert!(html.contains(name), "{name} missing after disclosure");
        }
        assert!(html.contains("<th>单位</th>"));
        assert!(html.contains("已公开"));
        assert!(!html.contains("尚未公开"));
    }

    #[test]
    fn sections_and_verification_present() {
        let html = render(&sheet());
        for heading in [
            "基本信息",
            "抽取规则",
            "专家库",
            "随机性来源",
            "抽取结果",
            "拒绝与补抽",
            "核验",
        ] {
            assert!(html.contains(heading), "{heading}");
        }
        assert!(html.contains("/api/v1/public/draws/d-2026-0001/bundle"));
        assert!(html.contains("fairpanel verify bundle.json"));
        assert!(html.contains("fairpanel.gd.example/log"));
        assert!(html.contains("k-440000-1"));
        assert!(html.contains("15 条"));
        assert!(html.contains("4200000"));
        assert!(html.contains(&"66".repeat(32)));
        assert!(html.contains("2026-01-01 00:00:00 (UTC+8)"));
        assert!(html.contains("已揭晓"));
        assert!(html.contains("数控加工 不少于 1 人"));
        assert!(!html.contains(BEACONLESS));
        assert!(!html.contains("已作废"));
    }

    #[test]
    fn registered_keys_are_listed_by_fingerprint_only_when_there_are_some() {
        let mut s = sheet();
        assert!(!render(&s).contains("personal-keys"));
        s.keys = vec![KeyView {
            seq: 11,
            time: 1_767_196_850,
            role: "supervisor".into(),
            fingerprint: "0123456789abcdef".into(),
            replaced: None,
        }];
        let html = render(&s);
        let table = html
            .split("<table id=\"personal-keys\">")
            .nth(1)
            .and_then(|t| t.split("</table>").next())
            .unwrap();
        assert!(
            table.contains("0123456789abcdef") && table.contains("监督人"),
            "{table}"
        );
        assert!(!table.contains("替换"), "{table}");
        // A replacement names the key it replaced and who approved it.
        s.keys.push(KeyView {
            seq: 12,
            time: 1_767_196_900,
            role: "supervisor".into(),
            fingerprint: "1111111111111111".into(),
            replaced: Some(("0123456789abcdef".into(), "fedcba9876543210".into())),
        });
        let html = render(&s);
        assert!(
            html.contains(
                "替换 <span class=\"mono\">0123456789abcdef</span>，由 <span class=\"mono\">fedcba9876543210</span> 批准"
            ),
            "{html}"
        );
    }

    #[test]
    fn beaconless_statement() {
        let mut s = sheet();
        s.beacon = None;
        s.beacon_mode = "none".into();
        let html = render(&s);
        assert!(html.contains(BEACONLESS));
    }

    #[test]
    fn void_banner_with_reason() {
        let mut s = sheet();
        s.state = "voided".into();
        s.void_reason = Some("监督人未到场".into());
        let html = render(&s);
        assert!(html.contains("<div class=\"banner void\">已作废"));
        assert!(html.contains("作废原因：监督人未到场"));
        // The banner comes before the first section.
        assert!(html.find("已作废").unwrap() < html.find("基本信息").unwrap());
    }

    #[test]
    fn committed_not_revealed() {
        let mut s = sheet();
        s.state = "committed".into();
        s.reveal = None;
        s.seed_hex = None;
        s.beacon = None;
        s.panel.clear();
        s.alternates.clear();
        s.declines.clear();
        let html = render(&s);
        assert!(html.contains("<div class=\"pending\">尚未揭晓"));
        assert!(html.contains("已承诺"));
        assert!(html.contains("drand：尚未取得"));
        assert!(!html.contains(BEACONLESS));
    }

    #[test]
    fn signature_blocks_and_print_css() {
        let html = render(&sheet());
        let sign = &html[html.find("class=\"sign\"").unwrap()..];
        assert!(sign.contains("操作人（签字）"));
        assert_eq!(sign.matches("监督人（签字）").count(), 2);
        assert!(sign.contains("监督员甲") && sign.contains("监督员乙"));
        assert!(sign.matches("日期：").count() >= 3);
        assert!(sign.contains("class=\"line\""));
        // Signatures are the last thing on the page, after verification.
        assert!(html.find("核验").unwrap() < html.find("class=\"sign\"").unwrap());
        assert!(html.contains("@media print"));
        assert!(html.contains("size: A4"));
        assert!(html.contains(crate::print::PRINT_CSS));
        assert!(html.contains("counter(page)"));
        assert!(html.contains(&format!("font-family: {};", crate::print::FONT_FAMILY)));
        assert!(!html.contains("<script"));
        assert!(!html.contains("<link"));
        assert!(!html.contains("src=") && !html.contains("href="));
        assert!(!html.contains("url("));
        // The only absolute URLs are the draw's public page (as text and in the
        // QR code's label) and the SVG namespace: nothing is loaded from anywhere.
        let rest = html
            .replace(PUBLIC_URL, "")
            .replace("xmlns=\"http://www.w3.org/2000/svg\"", "");
        assert!(!rest.contains("http://") && !rest.contains("https://"));
    }

    #[test]
    fn a_qr_code_opens_the_public_page_of_the_draw() {
        let html = render(&sheet());
        let svg = crate::qr::qr_svg(PUBLIC_URL);
        assert!(svg.starts_with("<svg"));
        let block = &html[html.find("<div class=\"qr-block\">").unwrap()..];
        assert!(block.starts_with(&format!("<div class=\"qr-block\">{svg}")));
        let caption = &block[..block.find("</div></div>").unwrap()];
        assert!(caption.contains(&format!("<span class=\"mono\">{PUBLIC_URL}</span>")));
        // It is printed in the verification section, before the signatures.
        let at = html.find("qr-block\">").unwrap();
        assert!(html.find("七、核验").unwrap() < at && at < html.find("class=\"sign\"").unwrap());
        assert_eq!(html.matches("<svg").count(), 1);

        // Another draw, another code; no URL, no code.
        let mut other = sheet();
        other.public_url = "http://127.0.0.1:8080/public/draws/d-2026-0002".into();
        let html2 = render(&other);
        assert!(html2.contains(&crate::qr::qr_svg(&other.public_url)));
        assert!(!html2.contains(&svg));
        other.public_url.clear();
        let html3 = render(&other);
        assert!(!html3.contains("<svg") && !html3.contains("qr-block\">"));
    }
}
