//! The review report (评审报告, protocol 1.3): the document a province files
//! after a round is sealed, its hash fixed by a `report` log entry, and
//! [`verify_report`], which checks a report file offline the way
//! [`crate::verify::verify_bundle`] checks a draw's bundle.
//!
//! A report file is one JSON object: the report document ([`ReportDoc`], six
//! sections and its attachments and citations) plus one member, `evidence`,
//! that carries the log entries the document cites and the `report` entry, as
//! exact bytes with signatures and inclusion proofs, the rotations of the key
//! and a signed checkpoint. The document's hash is the plain SHA-256 of the
//! JCS bytes of the file's object without `evidence` ([`document_hash`]).

use crate::bundle::BundleEntry;
use crate::entry::{self, Body, Kind, Parsed, SealedResult};
use crate::hash::{Hash32, sha256};
use crate::keys::PublicKey;
use crate::merkle;
use crate::types::{DrawId, Token};
use crate::verify::{Check, NotABundle, Outcome, Report};
use base64::Engine;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

pub const FORMAT: &str = "fairpanel-report/v1";

/// The order in which a report's checks run and are reported.
pub const CHECKS: &[&str] = &[
    "canonical",
    "key",
    "signatures",
    "checkpoint",
    "inclusion",
    "report",
    "cited",
    "panel",
    "results",
    "notice",
];

/// What a report's checks do not prove.
pub const LIMITS: &[&str] = &[
    "who signed, unless a key obtained elsewhere (the province's published key) was pinned",
    "that the applications, names, titles and attachments the report lists are the real ones: the log fixes the report's hash, not the truth of what the coordinator typed",
    "the draw itself: verify the bundles of the round's draws (the filing package holds them)",
];

/// One log entry the report cites.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Citation {
    /// The entry hash `H(entry, bytes)`.
    pub hash: Hash32,
    pub kind: Kind,
    pub seq: u64,
    pub time: u64,
}

/// Section 1, 项目申请.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ApplicationItem {
    pub organisation: String,
    pub project: String,
    pub reference: String,
    /// `passed`, `failed` or `overridden` (failed, scored anyway).
    pub screen: String,
    /// Whether the application was scored (in scoring_open's list or added by
    /// an override).
    pub scored: bool,
    /// The reasons the screen failed it, when it did.
    pub failures: Vec<String>,
    /// The screen_override's seq, when there is one.
    pub override_seq: Option<u64>,
}

/// Section 2, 评审专家组成.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PanelSection {
    /// Declines (each a decline entry of the panel's draw).
    pub declined: u32,
    /// The draw whose panel scored (scoring_open's `draw`).
    pub draw: DrawId,
    /// Every draw of the round, oldest first.
    pub draws: Vec<DrawId>,
    /// Members and alternates the reveal named.
    pub drawn: u32,
    /// The seated panel, in token order.
    pub members: Vec<PanelMember>,
    /// Declined seats an alternate took.
    pub replaced: u32,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PanelMember {
    pub name: String,
    pub organisation: String,
    pub specialty: String,
    pub title: String,
    pub token: Token,
}

/// Section 3, 评审程序: one step of the timeline.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProcedureStep {
    pub kind: Kind,
    pub seq: u64,
    pub time: u64,
    /// What happened, in Chinese.
    pub what: String,
}

/// Section 4, 评审方法.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MethodSection {
    /// The abnormal-total threshold in points (two decimals).
    pub abnormal_points: String,
    pub already_recommended: u32,
    pub quota: u32,
    /// The rubric as fixed (its canonical JSON).
    pub rubric: serde_json::Value,
    /// `H(rubric, canonical bytes)`, as the seal has it.
    pub rubric_hash: Hash32,
    pub rule: String,
    pub tie_break: String,
}

/// An abnormal total, with its scorer anonymised (专家A…).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Abnormal {
    pub application: String,
    pub expert: String,
    pub explanation: Option<String>,
    pub total: String,
}

/// Section 5, 评审结果.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResultsSection {
    pub abnormal: Vec<Abnormal>,
    pub recommended: Vec<String>,
    /// Exactly the seal's results.
    pub results: Vec<SealedResult>,
    pub seal_seq: u64,
}

/// One objection as the report states it (no personal data).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NoticeObjection {
    pub answer: Option<String>,
    /// `pending`, `upheld` or `rejected`.
    pub outcome: String,
    pub project: String,
    pub received_at: i64,
    pub reference: String,
    pub withdrawn: bool,
}

/// The notice as published and closed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NoticeDetail {
    pub close_seq: Option<i64>,
    pub closed_at: Option<i64>,
    pub end: String,
    pub notice_seq: i64,
    pub objections: Vec<NoticeObjection>,
    pub published_at: i64,
    pub start: String,
    pub text_sha256: String,
    pub working_days: u32,
}

/// Section 6, 公示情况.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NoticeSection {
    pub detail: Option<NoticeDetail>,
    pub published: bool,
}

/// A file attached to the report.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Attachment {
    pub application: String,
    pub media_type: String,
    pub name: String,
    /// `application_form` (申报表), `assessment_report` (考核评估报告, existing
    /// bases) or `material` (anything else uploaded for the application).
    pub role: String,
    /// Plain SHA-256 of the file.
    pub sha256: Hash32,
}

/// The six sections.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Sections {
    pub applications: Vec<ApplicationItem>,
    pub method: MethodSection,
    pub notice: NoticeSection,
    pub panel: PanelSection,
    pub procedure: Vec<ProcedureStep>,
    pub results: ResultsSection,
}

/// The report document; its hash is what the `report` entry fixes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReportDoc {
    pub attachments: Vec<Attachment>,
    /// Every log entry the document cites, by seq.
    pub citations: Vec<Citation>,
    pub format: String,
    /// `base_new`, `base_existing` or `studio`.
    pub kind: String,
    pub province: String,
    pub round: DrawId,
    pub sections: Sections,
    pub title: String,
    pub year: i32,
}

impl ReportDoc {
    /// The document's JCS bytes (what is hashed).
    pub fn canonical(&self) -> Vec<u8> {
        crate::jcs::encode(self)
    }

    /// Plain SHA-256 of [`ReportDoc::canonical`].
    pub fn hash(&self) -> Hash32 {
        sha256(&self.canonical())
    }
}

/// The evidence a report file carries.
#[derive(Serialize, Deserialize, Debug)]
#[serde(deny_unknown_fields)]
pub struct Evidence<'a> {
    pub checkpoint: String,
    /// The cited entries and the report entry, in seq order.
    #[serde(borrow)]
    pub entries: Vec<BundleEntry<'a>>,
    pub key: PublicKey,
    pub origin: String,
    #[serde(borrow)]
    pub rotations: Vec<BundleEntry<'a>>,
}

#[derive(Deserialize)]
struct WithEvidence<'a> {
    #[serde(borrow)]
    evidence: Evidence<'a>,
}

/// One entry to embed: `(exact bytes, signature, inclusion proof)`.
pub type EvidenceEntry<'a> = (&'a [u8], [u8; 64], Vec<Hash32>);

/// Writes a report file: the document (pretty-printed) with `evidence`.
pub fn write_file(
    doc: &ReportDoc,
    checkpoint: &str,
    key: &PublicKey,
    origin: &str,
    entries: &[EvidenceEntry],
    rotations: &[EvidenceEntry],
) -> Vec<u8> {
    let b64 = base64::engine::general_purpose::STANDARD;
    let list = |v: &[EvidenceEntry]| -> String {
        let items: Vec<String> = v
            .iter()
            .map(|(e, s, p)| {
                format!(
                    "{{\"entry\":{},\"proof\":{},\"sig\":\"{}\"}}",
                    std::str::from_utf8(e).expect("entries are UTF-8"),
                    serde_json::to_string(p).expect("hashes serialize"),
                    b64.encode(s)
                )
            })
            .collect();
        if items.is_empty() {
            "[]".into()
        } else {
            format!("[\n      {}\n    ]", items.join(",\n      "))
        }
    };
    let pretty = serde_json::to_string_pretty(doc).expect("documents serialize");
    let body = pretty.trim_end().strip_suffix('}').expect("an object");
    let mut out = body.trim_end().to_string();
    out.push_str(&format!(
        ",\n  \"evidence\": {{\n    \"checkpoint\": {},\n    \"entries\": {},\n    \"key\": \"{}\",\n    \"origin\": {},\n    \"rotations\": {}\n  }}\n}}\n",
        serde_json::to_string(checkpoint).expect("strings serialize"),
        list(entries),
        key.to_base64(),
        serde_json::to_string(origin).expect("strings serialize"),
        list(rotations),
    ));
    out.into_bytes()
}

/// The hash of the document in a report file: plain SHA-256 of the JCS bytes
/// of the file's object without its `evidence` member.
pub fn document_hash(file: &[u8]) -> Result<Hash32, String> {
    let mut v: serde_json::Map<String, serde_json::Value> =
        serde_json::from_slice(file).map_err(|e| format!("the file is not a JSON object ({e})"))?;
    v.remove("evidence");
    Ok(sha256(&crate::jcs::encode(&v)))
}

/// Whether `bytes` look like a report file (its `format` starts with
/// `fairpanel-report/`), for the CLI's choice between a bundle and a report.
/// Only `format` is read: every other member is skipped without being built
/// (building a 100,000-member bundle as a `Value` took as long as verifying it).
pub fn is_report(bytes: &[u8]) -> bool {
    #[derive(Deserialize)]
    struct Head {
        format: Option<serde_json::Value>,
    }
    // A derived struct would also take an array, its first item as `format`.
    if bytes.trim_ascii_start().first() != Some(&b'{') {
        return false;
    }
    serde_json::from_slice::<Head>(bytes)
        .ok()
        .and_then(|h| {
            h.format?
                .as_str()
                .map(|f| f.starts_with("fairpanel-report/"))
        })
        .unwrap_or(false)
}

struct Checks(Vec<Check>);

impl Checks {
    fn push(&mut self, name: &'static str, outcome: Outcome) {
        self.0.push(Check { name, outcome });
    }
    fn result(&mut self, name: &'static str, r: Result<String, String>) -> bool {
        match r {
            Ok(m) => {
                self.push(name, Outcome::Passed(m));
                true
            }
            Err(m) => {
                self.push(name, Outcome::Failed(m));
                false
            }
        }
    }
}

/// Verifies a report file offline. `pinned` is the province's published key.
pub fn verify_report(bytes: &[u8], pinned: Option<&PublicKey>) -> Result<Report, NotABundle> {
    let value: serde_json::Value = serde_json::from_slice(bytes)
        .map_err(|e| NotABundle(format!("the file is not JSON ({e})")))?;
    match value.get("format").and_then(|f| f.as_str()) {
        Some(FORMAT) => {}
        Some(f) => {
            return Err(NotABundle(format!(
                "format is {f:?}; this verifier reads reports of format {FORMAT:?}"
            )));
        }
        None => return Err(NotABundle("the JSON has no \"format\" field".into())),
    }
    let ev: WithEvidence = serde_json::from_slice(bytes)
        .map_err(|e| NotABundle(format!("the report's evidence is missing or wrong: {e}")))?;
    let mut obj = value.as_object().cloned().unwrap_or_default();
    obj.remove("evidence");
    let doc: ReportDoc = serde_json::from_value(serde_json::Value::Object(obj.clone()))
        .map_err(|e| NotABundle(format!("the report's structure is wrong: {e}")))?;
    let doc_hash = sha256(&crate::jcs::encode(&obj));
    let mut c = Checks(Vec::new());
    let summary = vec![format!(
        "review report of round {} ({}), document sha256 {}",
        doc.round, doc.title, doc_hash
    )];
    run(&doc, doc_hash, &ev.evidence, pinned, &mut c);
    let done: Vec<&str> = c.0.iter().map(|ch| ch.name).collect();
    let rest: Vec<&'static str> = CHECKS
        .iter()
        .copied()
        .filter(|n| !done.contains(n))
        .collect();
    for n in rest {
        c.push(n, Outcome::Skipped("an earlier check failed".into()));
    }
    c.0.sort_by_key(|ch| CHECKS.iter().position(|n| *n == ch.name));
    Ok(Report {
        checks: c.0,
        summary,
        signed: Vec::new(),
        cosigners: Vec::new(),
    })
}

fn run(
    doc: &ReportDoc,
    doc_hash: Hash32,
    ev: &Evidence,
    pinned: Option<&PublicKey>,
    c: &mut Checks,
) {
    // canonical
    let mut items: Vec<(&BundleEntry, &[u8], Parsed)> = Vec::new();
    let mut rots: Vec<(&BundleEntry, &[u8], Parsed)> = Vec::new();
    for (list, out, what) in [
        (&ev.entries, &mut items, "entry"),
        (&ev.rotations, &mut rots, "rotation entry"),
    ] {
        for (i, e) in list.iter().enumerate() {
            let b = e.entry.get().as_bytes();
            match entry::parse(b) {
                Ok(p) => out.push((e, b, p)),
                Err(m) => {
                    c.push(
                        "canonical",
                        Outcome::Failed(format!("evidence {what} {i}: {m}")),
                    );
                    return;
                }
            }
        }
    }
    c.push(
        "canonical",
        Outcome::Passed(format!(
            "{} entries and {} rotations are canonical JSON",
            items.len(),
            rots.len()
        )),
    );

    // key
    let rotations: Result<Vec<crate::rotation::Rotation>, String> = rots
        .iter()
        .map(|(_, _, p)| match &p.body {
            Body::KeyRotation(r) => Ok(crate::rotation::Rotation {
                seq: p.entry.seq,
                prev: p.entry.prev,
                signer: p.entry.signer,
                body: r,
            }),
            _ => Err(format!("rotation list holds a {:?} entry", p.entry.kind)),
        })
        .collect();
    let keys = match rotations.and_then(|r| crate::rotation::chain(&r, &ev.key)) {
        Ok(k) => k,
        Err(m) => {
            c.push("key", Outcome::Failed(m));
            return;
        }
    };
    let note = match pinned {
        Some(p) if keys.contains(p) => {
            format!("pinned key {} is in the log's key chain", p.key_id())
        }
        Some(p) => {
            c.push(
                "key",
                Outcome::Failed(format!(
                    "the pinned key {} is not among the report's signing keys ({})",
                    p.key_id(),
                    keys.ids()
                )),
            );
            return;
        }
        None => format!(
            "NOT PINNED: key {} taken from the report itself (pass --key with the province's published key)",
            ev.key.key_id()
        ),
    };
    c.push("key", Outcome::Passed(note));

    // signatures
    let all: Vec<&(&BundleEntry, &[u8], Parsed)> = items.iter().chain(rots.iter()).collect();
    let sigs = (|| {
        for (raw, b, p) in &all {
            let key = keys.signer(&p.entry.signer, p.entry.seq)?;
            let sig = base64::engine::general_purpose::STANDARD
                .decode(&raw.sig)
                .map_err(|_| format!("entry seq {}: signature is not base64", p.entry.seq))?;
            key.verify(b, &sig)
                .map_err(|m| format!("entry seq {}: {m}", p.entry.seq))?;
        }
        Ok(format!("{} entry signatures verify", all.len()))
    })();
    if !c.result("signatures", sigs) {
        return;
    }

    // checkpoint
    let cp = match crate::checkpoint::verify(&ev.checkpoint, &ev.key, Some(&ev.origin)) {
        Ok(cp) => cp,
        Err(m) => {
            c.push("checkpoint", Outcome::Failed(m));
            return;
        }
    };
    let last = all.iter().map(|(_, _, p)| p.entry.seq).max().unwrap_or(0);
    if cp.size <= last {
        c.push(
            "checkpoint",
            Outcome::Failed(format!(
                "the checkpoint covers {} entries, so entry seq {last} is not in it",
                cp.size
            )),
        );
        return;
    }
    c.push(
        "checkpoint",
        Outcome::Passed(format!("signed checkpoint of {} entries", cp.size)),
    );

    // inclusion: every entry, cited or not, is proven.
    let incl = (|| {
        for (raw, b, p) in &all {
            let proof = raw
                .proof
                .as_ref()
                .ok_or_else(|| format!("entry seq {} has no inclusion proof", p.entry.seq))?;
            merkle::check_inclusion(proof, cp.size, cp.root, p.entry.seq, merkle::leaf_hash(b))
                .map_err(|m| format!("entry seq {}: {m}", p.entry.seq))?;
        }
        Ok(format!("{} inclusion proofs verify", all.len()))
    })();
    if !c.result("inclusion", incl) {
        return;
    }

    // report: the report entry fixes this document.
    let province_ok =
        |p: &Parsed| p.entry.province.as_ref().map(|x| x.as_str()) == Some(doc.province.as_str());
    let rep = (|| {
        let mine: Vec<&Parsed> = items
            .iter()
            .map(|(_, _, p)| p)
            .filter(|p| matches!(&p.body, Body::Report(r) if r.round == doc.round))
            .collect();
        let [p] = mine.as_slice() else {
            return Err(format!(
                "the evidence holds {} report entries of round {}; exactly one is needed",
                mine.len(),
                doc.round
            ));
        };
        let Body::Report(r) = &p.body else {
            unreachable!()
        };
        if !province_ok(p) {
            return Err(format!(
                "the report entry (seq {}) belongs to another province than {}",
                p.entry.seq, doc.province
            ));
        }
        if r.sha256 != doc_hash {
            return Err(format!(
                "the document's sha256 is {doc_hash}, but the report entry (seq {}) fixes {}: the report file was changed",
                p.entry.seq, r.sha256
            ));
        }
        Ok((
            p.entry.seq,
            format!(
                "report entry seq {} fixes this document's sha256 {doc_hash}",
                p.entry.seq
            ),
        ))
    })();
    let report_seq = match rep {
        Ok((s, m)) => {
            c.push("report", Outcome::Passed(m));
            s
        }
        Err(m) => {
            c.push("report", Outcome::Failed(m));
            return;
        }
    };

    // cited: every citation is in the evidence, and nothing else is.
    let by_seq: BTreeMap<u64, &Parsed> = items.iter().map(|(_, _, p)| (p.entry.seq, p)).collect();
    let cited = (|| {
        let mut seen = BTreeSet::new();
        for ci in &doc.citations {
            let p = by_seq.get(&ci.seq).ok_or_else(|| {
                format!(
                    "the report cites entry seq {} ({:?}), which the evidence does not hold",
                    ci.seq, ci.kind
                )
            })?;
            if p.hash != ci.hash || p.entry.kind != ci.kind || p.entry.time != ci.time {
                return Err(format!(
                    "the report cites seq {} as {:?} {} at {}, but the log's entry is {:?} {} at {}",
                    ci.seq, ci.kind, ci.hash, ci.time, p.entry.kind, p.hash, p.entry.time
                ));
            }
            if !province_ok(p) {
                return Err(format!(
                    "cited entry seq {} belongs to another province",
                    ci.seq
                ));
            }
            if ci.seq >= report_seq {
                return Err(format!(
                    "cited entry seq {} is not before the report entry",
                    ci.seq
                ));
            }
            if !seen.insert(ci.seq) {
                return Err(format!("entry seq {} is cited twice", ci.seq));
            }
        }
        for s in by_seq.keys() {
            if *s != report_seq && !seen.contains(s) {
                return Err(format!(
                    "the evidence holds entry seq {s}, which the report does not cite"
                ));
            }
        }
        for step in &doc.sections.procedure {
            match by_seq.get(&step.seq) {
                Some(p) if p.entry.kind == step.kind && p.entry.time == step.time => {}
                _ => {
                    return Err(format!(
                        "procedure step seq {} ({:?} at {}) is not a cited entry of that kind and time",
                        step.seq, step.kind, step.time
                    ));
                }
            }
        }
        Ok(format!(
            "{} cited entries match the log",
            doc.citations.len()
        ))
    })();
    if !c.result("cited", cited) {
        return;
    }
    let cited: Vec<&Parsed> = doc
        .citations
        .iter()
        .filter_map(|ci| by_seq.get(&ci.seq).copied())
        .collect();

    // panel: the seated panel is the reveal's, changed by the declines.
    let panel = (|| {
        let s = &doc.sections.panel;
        let open = cited
            .iter()
            .filter_map(|p| match &p.body {
                Body::ScoringOpen(o) if o.round == doc.round => Some(o),
                _ => None,
            })
            .next_back()
            .ok_or("the report cites no scoring_open of the round")?;
        if open.draw != s.draw {
            return Err(format!(
                "the panel section names draw {}, but scoring_open fixed draw {}",
                s.draw, open.draw
            ));
        }
        let Seated {
            tokens: seated,
            chain,
            drawn,
            declined,
            replaced,
        } = seated_panel(&cited, &s.draw)?;
        let listed: BTreeSet<Token> = s.members.iter().map(|m| m.token).collect();
        if listed.len() != s.members.len() || listed != seated {
            return Err(format!(
                "the panel section lists {} members that are not the seated panel of draw {} (its reveal and {declined} declines give {} members)",
                s.members.len(),
                s.draw,
                seated.len()
            ));
        }
        if (s.drawn, s.declined, s.replaced) != (drawn, declined, replaced) {
            return Err(format!(
                "the panel section counts {} drawn, {} declined, {} replaced; the cited entries give {drawn}, {declined}, {replaced}",
                s.drawn, s.declined, s.replaced
            ));
        }
        let opened: BTreeMap<Token, (&str, &str)> = cited
            .iter()
            .filter_map(|p| match &p.body {
                Body::Disclosure(d) if chain.contains(&d.draw) => Some(d),
                _ => None,
            })
            .flat_map(|d| {
                d.members
                    .iter()
                    .map(|o| (o.token, (o.name.as_str(), o.org.as_str())))
            })
            .collect();
        if opened.is_empty() {
            return Err(format!(
                "the report cites no disclosure of draw {}: the names are not checked",
                s.draw
            ));
        }
        for m in &s.members {
            match opened.get(&m.token) {
                Some((n, o)) if *n == m.name && *o == m.organisation => {}
                _ => {
                    return Err(format!(
                        "panel member {} ({}) is not as the disclosure of draw {} opened that token",
                        m.name, m.organisation, s.draw
                    ));
                }
            }
        }
        Ok(format!(
            "{} seated members of draw {} follow from its reveal and {declined} declines; names and organisations as disclosed",
            seated.len(),
            s.draw
        ))
    })();
    if !c.result("panel", panel) {
        return;
    }

    // results: equal to the seal's.
    let results = (|| {
        let r = &doc.sections.results;
        let p = by_seq
            .get(&r.seal_seq)
            .ok_or_else(|| format!("the seal seq {} is not cited", r.seal_seq))?;
        let Body::Seal(seal) = &p.body else {
            return Err(format!(
                "entry seq {} is a {:?}, not a seal",
                r.seal_seq, p.entry.kind
            ));
        };
        if seal.round != doc.round {
            return Err(format!(
                "the seal at seq {} is of round {}",
                r.seal_seq, seal.round
            ));
        }
        if r.results != seal.results {
            let diff = r
                .results
                .iter()
                .zip(&seal.results)
                .find(|(a, b)| a != b)
                .map(|(a, b)| format!("the report has {a:?}, the seal {b:?}"))
                .unwrap_or_else(|| "the number of results differs".into());
            return Err(format!(
                "the results section differs from the seal at seq {}: {diff}",
                r.seal_seq
            ));
        }
        let rec: Vec<String> = seal
            .results
            .iter()
            .filter(|x| x.recommended)
            .map(|x| x.application.clone())
            .collect();
        if r.recommended != rec {
            return Err(format!(
                "the report recommends {:?}; the seal recommends {rec:?}",
                r.recommended
            ));
        }
        let m = &doc.sections.method;
        if (m.quota, m.already_recommended) != (seal.quota, seal.already_recommended)
            || m.rule != seal.rule
            || m.rubric_hash != seal.rubric
        {
            return Err("the method section's quota, rule or rubric is not the seal's".into());
        }
        let rubric: crate::scoring::Rubric = serde_json::from_value(m.rubric.clone())
            .map_err(|e| format!("the method section's rubric is not a rubric: {e}"))?;
        if rubric.hash() != seal.rubric {
            return Err("the method section's rubric does not hash to the seal's rubric".into());
        }
        Ok(format!(
            "{} results and {} recommendations equal the seal at seq {}",
            seal.results.len(),
            rec.len(),
            r.seal_seq
        ))
    })();
    if !c.result("results", results) {
        return;
    }

    // notice
    c.push("notice", check_notice(doc, &cited));
}

/// The seated panel of a round whose scoring_open names `draw`, as the
/// entries (in log order) give it: the reveal's `panel` (after
/// `supplements.seated` for a supplementary draw), each decline of the draw
/// whose declines apply taking out its token and putting in its replacement;
/// a reveal of a supplementary draw of that draw (its commit's
/// `supplements.draw`) seats `supplements.seated` then its own `panel`, and
/// from then on that draw's declines apply (protocol 1.2's chain).
pub struct Seated {
    pub tokens: BTreeSet<Token>,
    /// The draws of the chain, from `draw` on.
    pub chain: Vec<DrawId>,
    /// Members and alternates the chain's reveals named.
    pub drawn: u32,
    pub declined: u32,
    pub replaced: u32,
}

/// See [`Seated`].
pub fn seated_panel(entries: &[&Parsed], draw: &DrawId) -> Result<Seated, String> {
    let mut commits: BTreeMap<&DrawId, &entry::Commit> = BTreeMap::new();
    for p in entries {
        if let Body::Commit(c) = &p.body {
            commits.insert(&c.draw, c);
        }
    }
    let carried = |d: &DrawId| -> Vec<Token> {
        commits
            .get(d)
            .and_then(|c| c.supplements.as_ref())
            .map(|x| x.seated.clone())
            .unwrap_or_default()
    };
    let (at, reveal) = entries
        .iter()
        .find_map(|p| match &p.body {
            Body::Reveal(r) if &r.draw == draw => Some((p.entry.seq, r)),
            _ => None,
        })
        .ok_or_else(|| format!("the report cites no reveal of draw {draw}"))?;
    let mut out = Seated {
        tokens: carried(draw)
            .into_iter()
            .chain(reveal.panel.iter().copied())
            .collect(),
        chain: vec![draw.clone()],
        drawn: (reveal.panel.len() + reveal.alternates.len()) as u32,
        declined: 0,
        replaced: 0,
    };
    for p in entries.iter().filter(|p| p.entry.seq > at) {
        let current = out.chain.last().expect("the chain starts with the draw");
        match &p.body {
            Body::Decline(d) if &d.draw == current => {
                out.declined += 1;
                out.tokens.remove(&d.token);
                if let Some(t) = d.replacement {
                    out.replaced += 1;
                    out.tokens.insert(t);
                }
            }
            Body::Reveal(r)
                if commits
                    .get(&r.draw)
                    .and_then(|c| c.supplements.as_ref())
                    .is_some_and(|x| &x.draw == current) =>
            {
                out.tokens = carried(&r.draw)
                    .into_iter()
                    .chain(r.panel.iter().copied())
                    .collect();
                out.drawn += (r.panel.len() + r.alternates.len()) as u32;
                out.chain.push(r.draw.clone());
            }
            _ => {}
        }
    }
    Ok(out)
}

/// Section 6 against the log: the notice the report describes is the round's
/// cited `notice` entry (its seq, text hash, period), its close the cited
/// `notice_close` of that notice (seq, and the objections' count and
/// outcomes), and the objections it marks withdrawn are exactly the cited
/// `withdrawal` entries of the round (application and objection reference);
/// a report that says no notice was published cites none.
fn check_notice(doc: &ReportDoc, cited: &[&Parsed]) -> Outcome {
    match notice_matches(doc, cited) {
        Ok(m) => Outcome::Passed(m),
        Err(m) => Outcome::Failed(m),
    }
}

fn notice_matches(doc: &ReportDoc, cited: &[&Parsed]) -> Result<String, String> {
    let n = &doc.sections.notice;
    if n.published != n.detail.is_some() {
        return Err(
            "the notice section says published but has no detail, or the other way round".into(),
        );
    }
    let notice = cited.iter().rev().find_map(|p| match &p.body {
        Body::Notice(x) if x.round == doc.round => Some((*p, x)),
        _ => None,
    });
    let d = match (&n.detail, notice) {
        (None, None) => {
            return Ok("no public notice was published, and the report cites none".into());
        }
        (None, Some((p, _))) => {
            return Err(format!(
                "the report says no public notice was published, but cites the notice entry at seq {}",
                p.entry.seq
            ));
        }
        (Some(d), None) => {
            return Err(format!(
                "the report describes a notice (seq {}) but cites no notice entry of the round",
                d.notice_seq
            ));
        }
        (Some(d), Some((p, x))) => {
            if d.notice_seq != p.entry.seq as i64 {
                return Err(format!(
                    "the notice section names seq {}, the round's notice entry is seq {}",
                    d.notice_seq, p.entry.seq
                ));
            }
            if d.text_sha256 != x.text.to_hex() {
                return Err(format!(
                    "the notice section's text hash {} is not the notice entry's {}",
                    d.text_sha256, x.text
                ));
            }
            if (d.start.as_str(), d.end.as_str(), d.working_days)
                != (x.start.as_str(), x.end.as_str(), x.working_days)
            {
                return Err(format!(
                    "the notice section's period {}–{} ({} working days) is not the notice entry's {}–{} ({})",
                    d.start, d.end, d.working_days, x.start, x.end, x.working_days
                ));
            }
            (d, p)
        }
    };
    let (d, notice) = d;
    let close = cited.iter().find_map(|p| match &p.body {
        Body::NoticeClose(c) if c.notice == notice.hash => Some((*p, c)),
        _ => None,
    });
    let count = |o: &str| d.objections.iter().filter(|x| x.outcome == o).count() as u32;
    match (d.close_seq, close) {
        (None, None) => {}
        (Some(s), Some((p, c))) if s == p.entry.seq as i64 => {
            let said = (
                d.objections.len() as u32,
                count("upheld"),
                count("rejected"),
            );
            if said != (c.objections, c.upheld, c.rejected) {
                return Err(format!(
                    "the notice section lists {} objections ({} upheld, {} rejected); the close at seq {} counts {} ({} upheld, {} rejected)",
                    said.0, said.1, said.2, s, c.objections, c.upheld, c.rejected
                ));
            }
        }
        (Some(s), Some((p, _))) => {
            return Err(format!(
                "the notice section says it closed at seq {s}, the close entry is seq {}",
                p.entry.seq
            ));
        }
        (Some(s), None) => {
            return Err(format!(
                "the notice section says it closed at seq {s}, but the report cites no close of the notice"
            ));
        }
        (None, Some((p, _))) => {
            return Err(format!(
                "the notice section says the notice is still open, but cites its close at seq {}",
                p.entry.seq
            ));
        }
    }
    let logged: BTreeSet<(&str, Option<&str>)> = cited
        .iter()
        .filter_map(|p| match &p.body {
            Body::Withdrawal(w) if w.round == doc.round => {
                Some((w.application.as_str(), w.objection.as_deref()))
            }
            _ => None,
        })
        .collect();
    let said: BTreeSet<(&str, Option<&str>)> = d
        .objections
        .iter()
        .filter(|o| o.withdrawn)
        .map(|o| (o.project.as_str(), Some(o.reference.as_str())))
        .collect();
    if logged != said {
        return Err(format!(
            "the notice section's withdrawals {said:?} are not the round's withdrawal entries {logged:?}"
        ));
    }
    Ok(format!(
        "the notice at seq {} (text {}, {}–{}) and its {} objections ({} upheld, {} rejected, {} withdrawn) match the log",
        notice.entry.seq,
        d.text_sha256,
        d.start,
        d.end,
        d.objections.len(),
        count("upheld"),
        count("rejected"),
        said.len()
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::entry::{Notice, NoticeClose, Withdrawal};
    use crate::types::Province;

    #[test]
    fn a_report_is_told_from_a_bundle_by_its_format_alone() {
        let report = std::fs::read(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../tests/vectors/report-accept.json"
        ))
        .unwrap();
        assert!(is_report(&report));
        assert!(is_report(
            br#"{"pool":[{"a":[1,2,{"b":"\u00e9"}]}],"format":"fairpanel-report/v9"}"#
        ));
        for other in [
            &br#"{"format":"fairpanel-bundle/v1.7","pool":[]}"#[..],
            br#"{"format":7}"#,
            br#"{"pool":[]}"#,
            br#"["fairpanel-report/v1"]"#,
            br#"{"format":"fairpanel-report/v1""#,
            b"",
        ] {
            assert!(!is_report(other), "{}", String::from_utf8_lossy(other));
        }
    }

    /// The accept vector's document, and notice entries of its round made here.
    fn doc() -> ReportDoc {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../tests/vectors/report-accept.json"
        );
        let mut v: serde_json::Value =
            serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
        v.as_object_mut().unwrap().remove("evidence");
        serde_json::from_value(v).unwrap()
    }

    fn parsed(seq: u64, prev: Hash32, body: Body) -> Parsed {
        let p = Province::try_from("440000").unwrap();
        let signer = crate::SecretKey::from_seed(&[1; 32]).public().key_id();
        entry::parse(&entry::encode(
            seq,
            1_700_000_000,
            Some(&p),
            prev,
            None,
            signer,
            &body,
        ))
        .unwrap()
    }

    struct Log {
        notice: Parsed,
        withdrawal: Parsed,
        close: Parsed,
    }

    fn log(doc: &ReportDoc) -> Log {
        let notice = parsed(
            900,
            Hash32([1; 32]),
            Body::Notice(Notice {
                end: "2025-10-09".into(),
                items: 1,
                round: doc.round.clone(),
                start: "2025-09-26".into(),
                text: Hash32([7; 32]),
                working_days: 5,
            }),
        );
        let withdrawal = parsed(
            901,
            notice.hash,
            Body::Withdrawal(Withdrawal {
                application: "A1".into(),
                objection: Some("25-440000-1".into()),
                reason: "异议成立".into(),
                round: doc.round.clone(),
            }),
        );
        let close = parsed(
            902,
            withdrawal.hash,
            Body::NoticeClose(NoticeClose {
                notice: notice.hash,
                objections: 2,
                rejected: 1,
                round: doc.round.clone(),
                upheld: 1,
            }),
        );
        Log {
            notice,
            withdrawal,
            close,
        }
    }

    fn objection(reference: &str, outcome: &str, withdrawn: bool) -> NoticeObjection {
        NoticeObjection {
            answer: Some("答复".into()),
            outcome: outcome.into(),
            project: "A1".into(),
            received_at: 1_700_000_100,
            reference: reference.into(),
            withdrawn,
        }
    }

    fn described(doc: &mut ReportDoc) {
        doc.sections.notice = NoticeSection {
            published: true,
            detail: Some(NoticeDetail {
                close_seq: Some(902),
                closed_at: Some(1_700_000_200),
                end: "2025-10-09".into(),
                notice_seq: 900,
                objections: vec![
                    objection("25-440000-1", "upheld", true),
                    objection("25-440000-2", "rejected", false),
                ],
                published_at: 1_700_000_000,
                start: "2025-09-26".into(),
                text_sha256: Hash32([7; 32]).to_hex(),
                working_days: 5,
            }),
        };
    }

    #[test]
    fn the_notice_section_is_checked_against_the_notice_entries() {
        let mut d = doc();
        let l = log(&d);
        let all = [&l.notice, &l.withdrawal, &l.close];
        // No notice described and none cited; none described but one cited.
        assert!(notice_matches(&d, &[]).is_ok());
        let e = notice_matches(&d, &all).unwrap_err();
        assert!(e.contains("cites the notice entry at seq 900"), "{e}");
        described(&mut d);
        let ok = notice_matches(&d, &all).unwrap();
        assert!(
            ok.contains("2 objections (1 upheld, 1 rejected, 1 withdrawn)"),
            "{ok}"
        );
        assert!(
            notice_matches(&d, &[])
                .unwrap_err()
                .contains("cites no notice entry")
        );

        // Each field the section repeats is compared.
        let change = |f: &dyn Fn(&mut NoticeDetail)| {
            let mut d = d.clone();
            f(d.sections.notice.detail.as_mut().unwrap());
            notice_matches(&d, &all).unwrap_err()
        };
        assert!(change(&|n| n.text_sha256 = Hash32([8; 32]).to_hex()).contains("text hash"));
        assert!(change(&|n| n.end = "2025-10-10".into()).contains("period"));
        assert!(change(&|n| n.notice_seq = 899).contains("names seq 899"));
        assert!(change(&|n| n.objections[1].outcome = "upheld".into()).contains("counts 2"));
        assert!(
            change(&|n| n.objections.pop().map(|_| ()).unwrap()).contains("lists 1 objections")
        );
        assert!(change(&|n| n.objections[0].withdrawn = false).contains("withdrawals"));
        assert!(change(&|n| n.close_seq = None).contains("still open"));
        // A close or a withdrawal left out of the citations.
        let e = notice_matches(&d, &[&l.notice, &l.withdrawal]).unwrap_err();
        assert!(e.contains("cites no close"), "{e}");
        let e = notice_matches(&d, &[&l.notice, &l.close]).unwrap_err();
        assert!(e.contains("withdrawals"), "{e}");
        // Published with no detail.
        let mut bad = d.clone();
        bad.sections.notice.detail = None;
        assert!(
            notice_matches(&bad, &all)
                .unwrap_err()
                .contains("published but has no detail")
        );
    }
}
