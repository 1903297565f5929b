//! `verify_bundle`: every check a third party makes on a draw's bundle, offline,
//! in the order `docs/PROTOCOL.md` gives. Each check reports passed, failed (with
//! the reason) or skipped (with why: usually that the draw has not got that far,
//! or that an earlier check failed and left nothing sound to check).

use crate::beacon;
use crate::bundle::{Bundle, BundleEntry, FORMAT};
use crate::draw;
use crate::entry::{self, Body, Commit, Parsed};
use crate::fill;
use crate::hash::Hash32;
use crate::keys::PublicKey;
use crate::merkle;
use crate::pool::{self, Identity, PoolLeaf};
use crate::tags;
use crate::types::Token;
use base64::Engine;
use std::collections::BTreeMap;
use std::fmt;

/// The order in which checks run and are reported.
pub const CHECKS: &[&str] = &[
    "key",
    "canonical",
    "signatures",
    "chain",
    "checkpoint",
    "inclusion",
    "commit",
    "pool",
    "entropy",
    "beacon",
    "opening",
    "seed",
    "ranks",
    "panel",
    "replacements",
    "disclosure",
    "state",
    "scoring",
];

/// What the checks do not prove (docs/PROTOCOL.md, "What the checks do not
/// cover"), in short, for the end of a report.
pub const LIMITS: &[&str] = &[
    "who signed, unless a key obtained elsewhere (the province's published key) was pinned",
    "when the commit was really written: entry times are the operator's word (a supervisor's attestation made before the beacon round is the evidence)",
    "that the pool was the province's real roster, or that the exclusions were justified",
    "that nothing happened to the draw after the bundle's last entry (a later decline, void or disclosure): compare with a newer checkpoint or fetch a newer bundle",
];

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    Passed(String),
    Failed(String),
    Skipped(String),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Check {
    pub name: &'static str,
    pub outcome: Outcome,
}

impl fmt::Display for Check {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.outcome {
            Outcome::Passed(m) => write!(f, "{:<13} passed  {m}", self.name),
            Outcome::Failed(m) => write!(f, "{:<13} FAILED  {m}", self.name),
            Outcome::Skipped(m) => write!(f, "{:<13} skipped {m}", self.name),
        }
    }
}

/// What `verify_bundle` found.
#[derive(Clone, Debug)]
pub struct Report {
    pub checks: Vec<Check>,
    /// A few lines saying what the draw is and where it stands.
    pub summary: Vec<String>,
    /// Who signed what: each contribution signed with a personal key
    /// (protocol 1.4), in log order, as far as the `entropy` check read.
    pub signed: Vec<Signed>,
    /// The cosignature lines on the bundle's checkpoint, once the
    /// `checkpoint` check passed ([`verify_bundle_witnessed`] only): named,
    /// and verified only for the witnesses given.
    pub cosigners: Vec<crate::cosignature::Line>,
}

/// An entry signed with a personal key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Signed {
    /// What was signed: `contribution`.
    pub what: &'static str,
    pub seq: u64,
    /// The key's fingerprint (its key id), as the record sheet prints it.
    pub key: String,
    /// The role the key was registered with earlier in the draw, if it was.
    pub role: Option<entry::Role>,
}

impl Report {
    /// True when no check failed.
    pub fn ok(&self) -> bool {
        self.first_failure().is_none()
    }

    pub fn first_failure(&self) -> Option<&Check> {
        self.checks
            .iter()
            .find(|c| matches!(c.outcome, Outcome::Failed(_)))
    }

    pub fn outcome(&self, name: &str) -> Option<&Outcome> {
        self.checks
            .iter()
            .find(|c| c.name == name)
            .map(|c| &c.outcome)
    }
}

/// The input is not a bundle at all.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("not a fairpanel bundle: {0}")]
pub struct NotABundle(pub String);

fn classify(bytes: &[u8], err: serde_json::Error) -> NotABundle {
    match serde_json::from_slice::<serde_json::Value>(bytes) {
        Err(e) => NotABundle(format!("the file is not JSON ({e})")),
        Ok(v) => match v.get("format").and_then(|f| f.as_str()) {
            None => NotABundle("the JSON has no \"format\" field".into()),
            Some(f) if !crate::bundle::known_format(f) => {
                NotABundle(crate::bundle::other_format(f))
            }
            Some(_) => NotABundle(format!("the bundle's structure is wrong: {err}")),
        },
    }
}

struct Checks(Vec<Check>);

impl Checks {
    fn pass(&mut self, name: &'static str, m: impl Into<String>) {
        self.0.push(Check {
            name,
            outcome: Outcome::Passed(m.into()),
        });
    }
    fn fail(&mut self, name: &'static str, m: impl Into<String>) {
        self.0.push(Check {
            name,
            outcome: Outcome::Failed(m.into()),
        });
    }
    fn skip(&mut self, name: &'static str, m: impl Into<String>) {
        self.0.push(Check {
            name,
            outcome: Outcome::Skipped(m.into()),
        });
    }
    fn result(&mut self, name: &'static str, r: Result<String, String>) -> bool {
        match r {
            Ok(m) => {
                self.pass(name, m);
                true
            }
            Err(m) => {
                self.fail(name, m);
                false
            }
        }
    }
    fn skip_rest(&mut self, why: &str) {
        let done: Vec<&str> = self.0.iter().map(|c| c.name).collect();
        for name in CHECKS {
            if !done.contains(name) {
                self.skip(name, why.to_string());
            }
        }
    }
}

/// One entry of the bundle, decoded.
struct Item<'a> {
    raw: &'a BundleEntry<'a>,
    bytes: &'a [u8],
    parsed: Parsed,
}

/// [`verify_bundle`], then the witnesses' cosignatures on the bundle's checkpoint
/// (protocol 1.4, C2SP tlog-cosignature): each witness `(name, key)` given must
/// have a valid cosignature there, else the `checkpoint` check fails; without
/// witnesses the cosignature lines are named in that check but not required.
pub fn verify_bundle_witnessed(
    bytes: &[u8],
    pinned: Option<&PublicKey>,
    witnesses: &[(String, PublicKey)],
) -> Result<Report, NotABundle> {
    // One parse serves the checks and the cosignatures (a second parse of a
    // 100,000-member bundle cost about a tenth of a verify).
    let b = parse(bytes)?;
    let mut report = checked(&b, pinned);
    let Some(i) = report
        .checks
        .iter()
        .position(|c| c.name == "checkpoint" && matches!(c.outcome, Outcome::Passed(_)))
    else {
        return Ok(report);
    };
    let Outcome::Passed(msg) = &report.checks[i].outcome else {
        unreachable!()
    };
    report.checks[i].outcome = cosigned(&b.checkpoint, msg, witnesses);
    report.cosigners = crate::cosignature::split(&b.checkpoint)
        .map(|(_, l)| {
            l.into_iter()
                .filter_map(crate::cosignature::parse_line)
                .collect()
        })
        .unwrap_or_default();
    Ok(report)
}

/// The `checkpoint` check's outcome once the cosignatures are looked at.
fn cosigned(note: &str, passed: &str, witnesses: &[(String, PublicKey)]) -> Outcome {
    use crate::cosignature;
    let mut msg = passed.to_string();
    let lines: Vec<cosignature::Line> = cosignature::split(note)
        .map(|(_, l)| l.into_iter().filter_map(cosignature::parse_line).collect())
        .unwrap_or_default();
    for l in &lines {
        msg.push_str(&format!(
            "; cosignature line by {} (key ID {})",
            l.name,
            hex::encode(l.key_id)
        ));
    }
    for (name, key) in witnesses {
        match cosignature::verify(note, name, key) {
            Ok(Some(t)) => msg.push_str(&format!("; cosigned by witness {name} at time {t}")),
            Ok(None) => {
                return Outcome::Failed(format!(
                    "the checkpoint has no cosignature by witness {name} (key ID {})",
                    hex::encode(cosignature::key_id(name, key))
                ));
            }
            Err(e) => return Outcome::Failed(e),
        }
    }
    Outcome::Passed(msg)
}

/// Verifies a draw bundle. `pinned` is a public key the caller obtained elsewhere
/// (the province's published key); without it, the bundle's own key is used and the
/// report says so.
pub fn verify_bundle(bytes: &[u8], pinned: Option<&PublicKey>) -> Result<Report, NotABundle> {
    Ok(checked(&parse(bytes)?, pinned))
}

/// The bundle read from its bytes, or why the bytes are not a bundle.
fn parse(bytes: &[u8]) -> Result<Bundle<'_>, NotABundle> {
    let b: Bundle = serde_json::from_slice(bytes).map_err(|e| classify(bytes, e))?;
    if !crate::bundle::known_format(&b.format) {
        return Err(NotABundle(crate::bundle::other_format(&b.format)));
    }
    if let Some(i) = b.pool.iter().position(|l| !l.get().starts_with('{')) {
        return Err(NotABundle(format!(
            "the bundle's structure is wrong: pool element {i} is not a JSON object"
        )));
    }
    Ok(b)
}

/// Every check of [`verify_bundle`] on a parsed bundle.
fn checked(b: &Bundle, pinned: Option<&PublicKey>) -> Report {
    let mut c = Checks(Vec::new());
    let mut summary = vec![format!("draw {} in log {}", b.draw, b.origin)];
    let mut signed = Vec::new();
    run(b, pinned, &mut c, &mut summary, &mut signed);
    c.skip_rest("an earlier check failed");
    // Keep the report in the documented order.
    c.0.sort_by_key(|ch| CHECKS.iter().position(|n| *n == ch.name));
    Report {
        checks: c.0,
        summary,
        signed,
        cosigners: Vec::new(),
    }
}

fn run(
    b: &Bundle,
    pinned: Option<&PublicKey>,
    c: &mut Checks,
    summary: &mut Vec<String>,
    signed: &mut Vec<Signed>,
) {
    // canonical: every record is read from its exact bytes.
    let mut items = Vec::new();
    let mut rotations = Vec::new();
    for (list, out, what) in [
        (&b.entries, &mut items, "entry"),
        (&b.rotations, &mut rotations, "rotation entry"),
    ] {
        for (i, e) in list.iter().enumerate() {
            let bytes = e.entry.get().as_bytes();
            match entry::parse(bytes) {
                Ok(parsed) => out.push(Item {
                    raw: e,
                    bytes,
                    parsed,
                }),
                Err(m) => {
                    c.fail("canonical", format!("{what} {i} of the bundle: {m}"));
                    return;
                }
            }
        }
    }
    let leaves = match pool::parse_leaves(&b.pool, |l| l.get().as_bytes()) {
        Ok(leaves) => leaves,
        Err((i, m)) => {
            c.fail("canonical", format!("pool leaf {i}: {m}"));
            return;
        }
    };
    c.pass(
        "canonical",
        format!(
            "{} entries, {} rotations and {} pool leaves are canonical JSON",
            items.len(),
            rotations.len(),
            leaves.len()
        ),
    );

    // key: the chain of signing keys, and the pinned key in it.
    let rots: Vec<crate::rotation::Rotation> = match rotations
        .iter()
        .map(|it| match &it.parsed.body {
            Body::KeyRotation(r) => Ok(crate::rotation::Rotation {
                seq: it.parsed.entry.seq,
                prev: it.parsed.entry.prev,
                signer: it.parsed.entry.signer,
                body: r,
            }),
            _ => Err(format!(
                "rotation list holds a {:?} entry",
                it.parsed.entry.kind
            )),
        })
        .collect()
    {
        Ok(r) => r,
        Err(m) => {
            c.fail("key", m);
            return;
        }
    };
    let keys = match crate::rotation::chain(&rots, &b.key) {
        Ok(k) => k,
        Err(m) => {
            c.fail("key", m);
            return;
        }
    };
    let key_note = match pinned {
        Some(p) if keys.contains(p) => {
            format!(
                "pinned key {} is in this log's key chain ({}); every rotation is signed by both its keys",
                p.key_id(),
                keys.ids()
            )
        }
        Some(p) => {
            c.fail(
                "key",
                format!(
                    "the pinned key {} is not among the bundle's signing keys ({})",
                    p.key_id(),
                    keys.ids()
                ),
            );
            return;
        }
        None => format!(
            "NOT PINNED: key {} taken from the bundle itself; this proves only that the bundle is consistent with itself, not who signed it (pass --key with the province's published key)",
            b.key.key_id()
        ),
    };
    c.pass("key", key_note);

    // signatures
    let all: Vec<&Item> = items.iter().chain(rotations.iter()).collect();
    let sig_result = (|| {
        for it in &all {
            let e = &it.parsed.entry;
            let key = keys.signer(&e.signer, e.seq)?;
            let sig = base64::engine::general_purpose::STANDARD
                .decode(&it.raw.sig)
                .map_err(|_| format!("entry seq {}: signature is not base64", e.seq))?;
            key.verify(it.bytes, &sig)
                .map_err(|m| format!("entry seq {}: {m}", e.seq))?;
        }
        Ok(format!(
            "{} entry signatures verify (Ed25519, strict)",
            all.len()
        ))
    })();
    if !c.result("signatures", sig_result) {
        return;
    }

    // chain
    let chain = if b.format == FORMAT {
        province_chain(&items)
    } else {
        log_chain(&items)
    };
    if !c.result("chain", chain) {
        return;
    }

    // checkpoint
    let cp = match crate::checkpoint::verify(&b.checkpoint, &b.key, Some(&b.origin)) {
        Ok(cp) => cp,
        Err(m) => {
            c.fail("checkpoint", m);
            return;
        }
    };
    let last_seq = all.iter().map(|i| i.parsed.entry.seq).max().unwrap_or(0);
    if cp.size <= last_seq {
        c.fail(
            "checkpoint",
            format!(
                "the checkpoint covers {} entries, so entry seq {last_seq} is not in it (stale checkpoint)",
                cp.size
            ),
        );
        return;
    }
    c.pass(
        "checkpoint",
        format!("signed checkpoint of {} entries, root {}", cp.size, cp.root),
    );

    // inclusion
    let incl = (|| {
        let mut n = 0;
        let last_entry = items.last().map(|i| i.parsed.entry.seq);
        for it in &all {
            let seq = it.parsed.entry.seq;
            let own = it.parsed.body.draw().map(|d| d.as_str()) == Some(b.draw.as_str())
                || it.parsed.entry.kind == entry::Kind::KeyRotation;
            if it.raw.proof.is_none() && Some(seq) == last_entry {
                return Err(format!(
                    "the bundle's last entry (seq {seq}) has no inclusion proof: the entries after the draw's last proven one would be tied to nothing"
                ));
            }
            match &it.raw.proof {
                Some(p) => {
                    merkle::check_inclusion(p, cp.size, cp.root, seq, merkle::leaf_hash(it.bytes))
                        .map_err(|m| {
                            format!("entry seq {seq}: {m} (checkpoint size {})", cp.size)
                        })?;
                    n += 1;
                }
                None if own => {
                    return Err(format!(
                        "entry seq {seq} of the draw has no inclusion proof"
                    ));
                }
                None => {}
            }
        }
        Ok(format!(
            "{n} inclusion proofs verify against the checkpoint"
        ))
    })();
    if !c.result("inclusion", incl) {
        return;
    }

    // commit
    let mine: Vec<&Item> = items
        .iter()
        .filter(|i| i.parsed.body.draw().map(|d| d.as_str()) == Some(b.draw.as_str()))
        .collect();
    // A draw's bundle starts at its commit; a supplementary draw's (1.2) at
    // the earlier draw's commit, so that the link can be followed.
    let commit_item = mine
        .iter()
        .copied()
        .find(|i| i.parsed.entry.kind == entry::Kind::Commit)
        .filter(|i| {
            let first = match &i.parsed.body {
                Body::Commit(Commit {
                    supplements: Some(s),
                    ..
                }) => s.commit,
                _ => i.parsed.hash,
            };
            items[0].parsed.hash == first
        });
    let Some(commit_item) = commit_item else {
        c.fail(
            "commit",
            "the bundle's first entry is not the draw's commit (or, for a supplementary draw, the commit it supplements)",
        );
        return;
    };
    let Body::Commit(commit) = &commit_item.parsed.body else {
        unreachable!()
    };
    let commit_hash = commit_item.parsed.hash;
    let commit_time = commit_item.parsed.entry.time;
    let province = commit_item.parsed.entry.province.clone();
    let commit_check = (|| {
        if mine
            .iter()
            .filter(|i| i.parsed.entry.kind == entry::Kind::Commit)
            .count()
            != 1
        {
            return Err("the draw has more than one commit".to_string());
        }
        if let Some(i) = mine.iter().find(|i| i.parsed.entry.province != province) {
            return Err(format!(
                "entry seq {} names another province than the commit",
                i.parsed.entry.seq
            ));
        }
        commit.spec.validate()?;
        if commit.entropy_deadline < commit_time {
            return Err("the entropy deadline is before the commit".to_string());
        }
        if let Some(s) = &commit.supplements {
            check_link(&items, commit_item, commit, s)?;
        }
        Ok(format!(
            "commit at seq {} (time {}): panel {}, {} alternates, {} quotas, org cap {}",
            commit_item.parsed.entry.seq,
            commit_time,
            commit.spec.panel,
            commit.spec.alternates,
            commit.spec.quotas.len(),
            commit
                .spec
                .org_cap
                .map(|k| k.to_string())
                .unwrap_or_else(|| "none".into())
        ))
    })();
    if !c.result("commit", commit_check) {
        return;
    }
    summary.push(format!(
        "{} — {}",
        commit.title,
        province.as_ref().map(|p| p.name()).unwrap_or("")
    ));
    if let Some(s) = &commit.supplements {
        summary.push(format!(
            "supplementary draw (补抽) of {}: {} members keep their seats, {} seats to fill",
            s.draw,
            s.seated.len(),
            // `seated` is checked against the earlier draw's reveal, whose
            // panel this bundle does not check: it may hold more members than
            // seats. The pool check then refuses the commit (no seat is empty).
            (commit.spec.panel as usize).saturating_sub(s.seated.len())
        ));
    }

    // pool
    let index_of = |t: &Token| {
        leaves
            .binary_search_by(|l| l.token.cmp(t))
            .ok()
            .map(|i| i as u32)
    };
    let pool_check = check_pool(b, commit, &leaves).and_then(|m| {
        let Some(s) = &commit.supplements else {
            return Ok(m);
        };
        let idx = |list: &[Token]| -> Result<Vec<u32>, String> {
            list.iter()
                .map(|t| {
                    index_of(t).ok_or_else(|| {
                        format!(
                            "the supplementary commit names {t}, which is not a member of the pool"
                        )
                    })
                })
                .collect()
        };
        let (seated, drawn) = (idx(&s.seated)?, idx(&s.drawn)?);
        fill::check_supplement_feasible(&commit.spec, &leaves, &seated, &drawn)
            .map_err(|e| format!("the supplementary draw's empty seats cannot be filled: {e}"))?;
        Ok(format!(
            "{m}; {} members not yet drawn can fill the {} empty seats",
            leaves.len() - drawn.len(),
            commit.spec.panel as usize - seated.len()
        ))
    });
    if !c.result("pool", pool_check) {
        return;
    }
    // The members a supplementary draw keeps and cannot draw (pool indexes).
    let (carried, drawn): (Vec<u32>, Vec<u32>) = match &commit.supplements {
        Some(s) => (
            s.seated.iter().filter_map(index_of).collect(),
            s.drawn.iter().filter_map(index_of).collect(),
        ),
        None => (vec![], vec![]),
    };

    // entropy
    let entropy: Vec<&Item> = mine
        .iter()
        .copied()
        .filter(|i| i.parsed.entry.kind == entry::Kind::Entropy)
        .collect();
    // Protocol 1.4: the draw's personal keys, in log order.
    let registrations = check_registrations(&mine, &keys);
    let ent = (|| {
        let registered = registrations.as_ref().map_err(|e| e.clone())?;
        let mut attested = 0;
        let beacon_seq = mine
            .iter()
            .find(|i| i.parsed.entry.kind == entry::Kind::Beacon)
            .map(|i| i.parsed.entry.seq);
        for it in &entropy {
            let Body::Entropy(e) = &it.parsed.body else {
                unreachable!()
            };
            let seq = it.parsed.entry.seq;
            if e.commit != commit_hash {
                return Err(format!("contribution at seq {seq} names another commit"));
            }
            if beacon_seq.is_some_and(|b| seq > b) {
                return Err(format!(
                    "contribution at seq {seq} was logged after the beacon round (seq {})",
                    beacon_seq.unwrap_or_default()
                ));
            }
            if it.parsed.entry.time > commit.entropy_deadline {
                return Err(format!(
                    "contribution at seq {seq} came at {}, after the deadline {}",
                    it.parsed.entry.time, commit.entropy_deadline
                ));
            }
            if commit.personal_keys {
                let Some(a) = &e.attestation else {
                    return Err(format!(
                        "contribution at seq {seq} is not signed, but the commit requires personal keys"
                    ));
                };
                if keys.contains(&a.key) {
                    return Err(format!(
                        "contribution at seq {seq} is signed by the log's own key {}: the operator cannot contribute in a supervisor's name",
                        a.key.key_id()
                    ));
                }
                match registered.iter().find(|r| r.key == a.key && r.seq < seq) {
                    Some(r) if r.until.is_some_and(|u| u < seq) => {
                        return Err(format!(
                            "contribution at seq {seq} is signed by key {}, which was replaced at seq {}",
                            a.key.key_id(),
                            r.until.unwrap_or_default()
                        ));
                    }
                    Some(r) if r.role == entry::Role::Supervisor => {}
                    Some(r) => {
                        return Err(format!(
                            "contribution at seq {seq} is signed by key {}, registered at seq {} to an {}, not a supervisor",
                            a.key.key_id(),
                            r.seq,
                            r.role.as_str()
                        ));
                    }
                    None => {
                        return Err(format!(
                            "contribution at seq {seq} is signed by key {}, which no earlier key_registration of the draw registers",
                            a.key.key_id()
                        ));
                    }
                }
            }
            if let Some(a) = &e.attestation {
                let sig = base64::engine::general_purpose::STANDARD
                    .decode(&a.sig)
                    .map_err(|_| format!("contribution at seq {seq}: attestation is not base64"))?;
                a.key
                    .verify(&entry::attestation_message(&commit_hash, &e.value), &sig)
                    .map_err(|m| format!("contribution at seq {seq}: supervisor's {m}"))?;
                attested += 1;
                signed.push(Signed {
                    what: "contribution",
                    seq,
                    key: a.key.key_id().to_string(),
                    role: registered
                        .iter()
                        .find(|r| r.key == a.key && r.seq < seq)
                        .map(|r| r.role),
                });
            }
        }
        let keys_note = if commit.personal_keys {
            format!("; personal keys required, {} registered", registered.len())
        } else if registered.is_empty() {
            String::new()
        } else {
            format!("; {} personal keys registered", registered.len())
        };
        Ok(format!(
            "{} supervisor contributions before the deadline, {attested} signed with the supervisor's own key{keys_note}",
            entropy.len()
        ))
    })();
    if !c.result("entropy", ent) {
        return;
    }

    // beacon
    let reveal_item = mine
        .iter()
        .find(|i| i.parsed.entry.kind == entry::Kind::Reveal);
    let beacon_items: Vec<&&Item> = mine
        .iter()
        .filter(|i| i.parsed.entry.kind == entry::Kind::Beacon)
        .collect();
    let randomness = match check_beacon(commit, commit_time, &beacon_items, reveal_item.is_some()) {
        Ok((r, m)) => {
            c.pass("beacon", m);
            r
        }
        Err(m) => {
            c.fail("beacon", m);
            return;
        }
    };
    summary.push(match &commit.beacon {
        Some(t) => format!(
            "assurance: drand quicknet round {} and {} supervisor contributions, with the operator's committed secret",
            t.round,
            entropy.len()
        ),
        None => format!(
            "assurance: LOWER — beacon-less mode; the seed rests on the operator's secret and {} supervisor contributions only",
            entropy.len()
        ),
    });

    let state = draw_state(&mine, commit_hash, summary);
    if let Err(m) = &state {
        c.fail("state", m.clone());
    }

    // opening, seed, ranks, panel
    let Some(reveal_item) = reveal_item else {
        for name in ["opening", "seed", "ranks", "panel"] {
            c.skip(name, "the draw has not been revealed");
        }
        match mine
            .iter()
            .find(|i| i.parsed.entry.kind == entry::Kind::Decline)
        {
            Some(d) => c.fail(
                "replacements",
                format!(
                    "decline at seq {} in a draw that was never revealed",
                    d.parsed.entry.seq
                ),
            ),
            None => c.skip("replacements", "the draw has not been revealed"),
        }
        disclosure_check(c, &mine, &leaves, commit, None, summary);
        if state.is_ok() {
            c.pass("state", "consistent");
        }
        c.skip("scoring", "the draw has not been revealed");
        return;
    };
    let Body::Reveal(reveal) = &reveal_item.parsed.body else {
        unreachable!()
    };
    let opening = (|| {
        if mine
            .iter()
            .filter(|i| i.parsed.entry.kind == entry::Kind::Reveal)
            .count()
            > 1
        {
            return Err("the draw has more than one reveal".to_string());
        }
        if reveal.commit != commit_hash {
            return Err("the reveal names another commit".to_string());
        }
        if draw::secret_commitment(&reveal.secret) != commit.secret_commitment {
            return Err(
                "the revealed secret does not match the commit's secret_commitment".to_string(),
            );
        }
        let beacon_hash = beacon_items.first().map(|i| i.parsed.hash);
        if reveal.beacon != beacon_hash {
            return Err("the reveal names another beacon entry than the log holds".to_string());
        }
        Ok("the revealed secret opens the commitment".to_string())
    })();
    if !c.result("opening", opening) {
        return;
    }

    let seed = (|| {
        let rseq = reveal_item.parsed.entry.seq;
        let rtime = reveal_item.parsed.entry.time;
        if rtime <= commit.entropy_deadline {
            return Err(format!(
                "the reveal is dated {rtime}, not after the entropy deadline {}: contributions could still be made",
                commit.entropy_deadline
            ));
        }
        if commit.beacon.is_none() && entropy.is_empty() {
            return Err(
                "a beacon-less draw revealed with no supervisor contribution: its seed would be the operator's alone"
                    .to_string(),
            );
        }
        let before: Vec<Hash32> = entropy
            .iter()
            .filter(|i| i.parsed.entry.seq < rseq)
            .map(|i| i.parsed.hash)
            .collect();
        if entropy.len() != before.len() {
            return Err("a contribution comes after the reveal".to_string());
        }
        if reveal.entropy != before {
            return Err(format!(
                "the reveal's seed inputs list {} contributions that are not the {} in the log, in log order",
                reveal.entropy.len(),
                before.len()
            ));
        }
        let values: Vec<Hash32> = entropy
            .iter()
            .map(|i| match &i.parsed.body {
                Body::Entropy(e) => e.value,
                _ => unreachable!(),
            })
            .collect();
        let s = draw::seed(&commit_hash, &reveal.secret, randomness.as_ref(), &values);
        if s != reveal.seed {
            return Err(format!(
                "the reveal's seed {} does not follow from its inputs (they give {s})",
                reveal.seed
            ));
        }
        Ok(s)
    })();
    let seed = match seed {
        Ok(s) => {
            c.pass(
                "seed",
                format!(
                    "seed {s} follows from the commit, the secret, the beacon and the contributions"
                ),
            );
            s
        }
        Err(m) => {
            c.fail("seed", m);
            return;
        }
    };

    // ranks: the reveal names only members of the pool, each once; then the order.
    let named = (|| {
        let mut seen = std::collections::BTreeSet::new();
        for t in reveal.panel.iter().chain(&reveal.alternates) {
            if leaves.binary_search_by(|l| l.token.cmp(t)).is_err() {
                return Err(format!(
                    "the reveal ranks {t}, which is not a member of the pool"
                ));
            }
            if !seen.insert(*t) {
                return Err(format!("the reveal names {t} twice"));
            }
        }
        Ok(())
    })();
    if let Err(m) = named {
        c.fail("ranks", m);
        return;
    }
    let (order, sel) = if commit.supplements.is_some() {
        draw::select_supplement(&commit.spec, &leaves, &seed, &carried, &drawn)
    } else {
        draw::select(&commit.spec, &leaves, &seed)
    };
    c.pass(
        "ranks",
        format!(
            "Fisher–Yates order of {} members; rank 1 is {}; the reveal names only pool members, each once",
            order.len(),
            order
                .first()
                .map(|&i| leaves[i as usize].token.to_string())
                .unwrap_or_default()
        ),
    );
    let panel = draw::tokens(&leaves, &sel.panel);
    let alternates = draw::tokens(&leaves, &sel.alternates);
    let pc = (|| {
        if reveal.panel != panel {
            let k = reveal
                .panel
                .iter()
                .zip(&panel)
                .position(|(a, b)| a != b)
                .unwrap_or(panel.len().min(reveal.panel.len()));
            return Err(format!(
                "the panel does not follow from the ranks: seat {} is {}, the rule gives {}",
                k + 1,
                reveal
                    .panel
                    .get(k)
                    .map(|t| t.to_string())
                    .unwrap_or("missing".into()),
                panel
                    .get(k)
                    .map(|t| t.to_string())
                    .unwrap_or("no seat".into())
            ));
        }
        if reveal.alternates != alternates {
            return Err("the alternates do not follow from the ranks".to_string());
        }
        Ok(format!(
            "panel of {} and {} alternates follow from the ranks",
            panel.len(),
            alternates.len()
        ))
    })();
    if !c.result("panel", pc) {
        return;
    }

    // replacements
    let rc = (|| {
        // A supplementary draw's panel is the members it carried, then its own.
        let mut seated: Vec<u32> = carried.iter().chain(&sel.panel).copied().collect();
        let mut ever = seated.clone();
        let mut n = 0;
        let mut unfilled = 0;
        for it in mine
            .iter()
            .filter(|i| i.parsed.entry.kind == entry::Kind::Decline)
        {
            let Body::Decline(d) = &it.parsed.body else {
                unreachable!()
            };
            let seq = it.parsed.entry.seq;
            if seq < reveal_item.parsed.entry.seq {
                return Err(format!("decline at seq {seq} comes before the reveal"));
            }
            if let Some(next) = supplemented_at(&items, b.draw.as_str(), seq) {
                return Err(format!(
                    "decline at seq {seq}: draw {next} supplements this draw since its commit, so its panel's declines are that draw's"
                ));
            }
            let who = index_of(&d.token)
                .filter(|i| seated.contains(i))
                .ok_or_else(|| format!("decline at seq {seq}: {} is not on the panel", d.token))?;
            let rule =
                fill::replacement(&commit.spec, &leaves, &seated, who, &sel.alternates, &ever);
            let want = rule.map(|i| leaves[i as usize].token);
            if want != d.replacement {
                return Err(format!(
                    "decline at seq {seq}: the entry gives the seat to {}, the replacement rule gives it to {}",
                    d.replacement
                        .map(|t| t.to_string())
                        .unwrap_or("nobody".into()),
                    want.map(|t| t.to_string())
                        .unwrap_or("nobody (alternates exhausted)".into())
                ));
            }
            match rule {
                Some(a) => {
                    let pos = seated.iter().position(|&x| x == who).expect("seated");
                    seated[pos] = a;
                    ever.push(a);
                }
                None => {
                    unfilled += 1;
                    seated.retain(|&x| x != who);
                    summary.push(format!(
                        "alternates exhausted at seq {seq}: a supplementary draw is needed"
                    ));
                }
            }
            n += 1;
        }
        let names = draw::tokens(&leaves, &seated);
        summary.push(format!(
            "panel now: {}",
            names.iter().map(short).collect::<Vec<_>>().join(" ")
        ));
        Ok(match (n, unfilled) {
            (0, _) => "no declines".to_string(),
            (n, 0) => format!("{n} declines, each replaced by the rule"),
            (n, u) => format!(
                "{n} declines: {} replaced by the rule, {u} left unfilled because the rule finds no alternate (a supplementary draw is needed)",
                n - u
            ),
        })
    })();
    if !c.result("replacements", rc) {
        return;
    }

    disclosure_check(
        c,
        &mine,
        &leaves,
        commit,
        Some(reveal_item.parsed.entry.seq),
        summary,
    );
    if state.is_ok() {
        c.pass("state", "consistent");
    }
    let panel_at_reveal: Vec<Token> = commit
        .supplements
        .iter()
        .flat_map(|s| s.seated.iter())
        .chain(&reveal.panel)
        .copied()
        .collect();
    let signers = Signers {
        personal_keys: commit.personal_keys,
        registered: registrations.as_deref().unwrap_or(&[]),
        keys: &keys,
    };
    match check_scoring(b, &items, &panel_at_reveal, commit.spec.panel, &signers) {
        None => c.skip(
            "scoring",
            "no score sheets in this bundle (not a scored round, or not yet disclosed)",
        ),
        Some(r) => {
            if let Ok(m) = &r {
                summary.push(m.clone());
            }
            c.result("scoring", r);
        }
    }
}

/// A scored round's sealed result, recomputed from the bundle's rubric and
/// sheets: every sheet committed and sealed, nothing missing, totals, trimmed
/// means, ranking and recommendation as the seal says. `None` when the bundle
/// carries no sheets.
/// A personal key registered in the draw (protocol 1.4).
struct Registered {
    seq: u64,
    /// Protocol 1.6: the seq of the key_registration that replaced this key;
    /// from there on the person signs with the new key.
    until: Option<u64>,
    key: PublicKey,
    role: entry::Role,
    person: Hash32,
}

/// What the scorers' signatures are checked against (protocol 1.5): whether
/// the draw's commit requires personal keys, the draw's registrations and
/// the log's own keys.
struct Signers<'a> {
    personal_keys: bool,
    registered: &'a [Registered],
    keys: &'a crate::rotation::Chain,
}

/// Protocol 1.5: every sheet_commit, recusal and pledge of a round whose
/// scoring_open names the draw, in log order. When the commit requires
/// personal keys each must be signed by the key a key_registration of the
/// draw gave to its scorer (role `expert`, person = the scorer's token)
/// before the entry; a signature, required or not, must verify over
/// [`entry::scorer_message`]. Returns how many are signed.
/// The `chain` check of a v1.1 bundle: every log entry of the range, each
/// naming the previous one's hash in `prev`.
fn log_chain(items: &[Item]) -> Result<String, String> {
    if items.is_empty() {
        return Err("the bundle has no entries".to_string());
    }
    for w in items.windows(2) {
        let (a, n) = (&w[0].parsed, &w[1].parsed);
        if n.entry.time < a.entry.time {
            return Err(format!(
                "entry seq {} has time {}, earlier than entry seq {} ({}): log time must not go backwards",
                n.entry.seq, n.entry.time, a.entry.seq, a.entry.time
            ));
        }
        if n.entry.seq != a.entry.seq + 1 {
            return Err(format!(
                "entry seq {} follows seq {}: the range has a gap or is out of order",
                n.entry.seq, a.entry.seq
            ));
        }
        if n.entry.prev != a.hash {
            return Err(format!(
                "entry seq {}: prev is {}, but the hash of entry seq {} is {}",
                n.entry.seq, n.entry.prev, a.entry.seq, a.hash
            ));
        }
    }
    Ok(format!(
        "entries seq {} to {} are hash-chained",
        items[0].parsed.entry.seq,
        items.last().unwrap().parsed.entry.seq
    ))
}

/// The `chain` check of a v1.7 bundle: the entries of the draw's province,
/// each naming the previous one's hash in `pprev`, seqs increasing, times
/// not going backwards; the first must carry a `pprev` too (its value is not
/// checked: its inclusion proof fixes its place).
fn province_chain(items: &[Item]) -> Result<String, String> {
    let Some(first) = items.first() else {
        return Err("the bundle has no entries".to_string());
    };
    for it in items {
        if it.parsed.entry.province != first.parsed.entry.province {
            return Err(format!(
                "entry seq {} names another province than entry seq {}: a {} bundle holds the draw's province's entries only",
                it.parsed.entry.seq, first.parsed.entry.seq, FORMAT
            ));
        }
        if it.parsed.entry.pprev.is_none() {
            return Err(format!(
                "entry seq {} has no pprev: a {} bundle holds protocol 1.7 entries only",
                it.parsed.entry.seq, FORMAT
            ));
        }
    }
    for w in items.windows(2) {
        let (a, n) = (&w[0].parsed, &w[1].parsed);
        if n.entry.time < a.entry.time {
            return Err(format!(
                "entry seq {} has time {}, earlier than entry seq {} ({}): log time must not go backwards",
                n.entry.seq, n.entry.time, a.entry.seq, a.entry.time
            ));
        }
        if n.entry.seq <= a.entry.seq {
            return Err(format!(
                "entry seq {} follows seq {}: the entries are out of order",
                n.entry.seq, a.entry.seq
            ));
        }
        if n.entry.pprev != Some(a.hash) {
            return Err(format!(
                "entry seq {}: pprev is {}, but the hash of entry seq {} is {}: an entry of the province is missing in between",
                n.entry.seq,
                n.entry.pprev.unwrap_or(Hash32::ZERO),
                a.entry.seq,
                a.hash
            ));
        }
    }
    Ok(format!(
        "{} entries of the province from seq {} to {} are hash-chained by pprev",
        items.len(),
        first.parsed.entry.seq,
        items.last().unwrap().parsed.entry.seq
    ))
}

fn check_scorer_signatures(items: &[Item], draw: &str, s: &Signers) -> Result<usize, String> {
    let rounds: Vec<&crate::types::DrawId> = items
        .iter()
        .filter_map(|i| match &i.parsed.body {
            Body::ScoringOpen(o) if o.draw.as_str() == draw => Some(&o.round),
            _ => None,
        })
        .collect();
    let mut signed = 0;
    for i in items {
        let (what, round) = match &i.parsed.body {
            Body::SheetCommit(x) => ("sheet_commit", &x.round),
            Body::Recusal(x) => ("recusal", &x.round),
            Body::Pledge(x) => ("pledge", &x.round),
            _ => continue,
        };
        if !rounds.contains(&round) {
            continue;
        }
        let Some((scorer, sig)) = entry::scorer_signature(&i.parsed.body) else {
            continue;
        };
        let seq = i.parsed.entry.seq;
        let at = format!("{what} at seq {seq}");
        if s.personal_keys {
            let Some(a) = sig else {
                return Err(format!(
                    "{at} is not signed by its scorer, but the draw's commit requires personal keys"
                ));
            };
            if s.keys.contains(&a.key) {
                return Err(format!(
                    "{at} is signed by the log's own key {}: the operator cannot score in an expert's name",
                    a.key.key_id()
                ));
            }
            match s.registered.iter().find(|r| r.key == a.key && r.seq < seq) {
                None => {
                    return Err(format!(
                        "{at} is signed by key {}, which no earlier key_registration of the draw registers",
                        a.key.key_id()
                    ));
                }
                Some(r) if r.until.is_some_and(|u| u < seq) => {
                    return Err(format!(
                        "{at} is signed by key {}, which was replaced at seq {}",
                        a.key.key_id(),
                        r.until.unwrap_or_default()
                    ));
                }
                Some(r) if r.role != entry::Role::Expert => {
                    return Err(format!(
                        "{at} is signed by key {}, registered at seq {} to a {}, not an expert",
                        a.key.key_id(),
                        r.seq,
                        r.role.as_str()
                    ));
                }
                Some(r) if r.person != scorer.0 => {
                    return Err(format!(
                        "{at} is signed by key {}, registered at seq {} to another expert, not to scorer {}",
                        a.key.key_id(),
                        r.seq,
                        short(&scorer)
                    ));
                }
                Some(_) => {}
            }
        }
        if let Some(a) = sig {
            let bytes = base64::engine::general_purpose::STANDARD
                .decode(&a.sig)
                .map_err(|_| format!("{at}: the scorer's signature is not base64"))?;
            let m = entry::scorer_message(&i.parsed.body).expect("a scorer's entry");
            a.key
                .verify(&m, &bytes)
                .map_err(|m| format!("{at}: scorer's {m}"))?;
            signed += 1;
        }
    }
    Ok(signed)
}

/// Protocol 1.4: the draw's key_registration entries, in log order. A
/// personal key is never one of the log's signing keys, and in one draw each
/// key belongs to one person and each person has one current key. Protocol
/// 1.6: a second key for a person is accepted only as a replacement: it names
/// the person's current key in `replaces` and carries an `approval` by the
/// current key of another supervisor of the draw over
/// [`entry::replacement_message`]; the replaced key is current until the
/// replacement's seq.
fn check_registrations(
    mine: &[&Item],
    keys: &crate::rotation::Chain,
) -> Result<Vec<Registered>, String> {
    let mut out: Vec<Registered> = Vec::new();
    for it in mine {
        let Body::KeyRegistration(r) = &it.parsed.body else {
            continue;
        };
        let seq = it.parsed.entry.seq;
        if keys.contains(&r.key) {
            return Err(format!(
                "key_registration at seq {seq} registers the log's own key {} as a {}'s: a personal key must not be the operator's",
                r.key.key_id(),
                r.role.as_str()
            ));
        }
        if let Some(o) = out.iter().find(|o| o.key == r.key) {
            return Err(format!(
                "key_registration at seq {seq} registers key {} again (first at seq {})",
                r.key.key_id(),
                o.seq
            ));
        }
        let current = out
            .iter()
            .position(|o| o.person == r.person && o.until.is_none());
        match (current, &r.replaces) {
            (None, None) => {}
            (Some(_), None) => {
                return Err(format!(
                    "key_registration at seq {seq} gives a second key to a person who already has one in this draw, without naming it in replaces"
                ));
            }
            (None, Some(id)) => {
                return Err(format!(
                    "key_registration at seq {seq} replaces key {id}, but the person has no current key in this draw"
                ));
            }
            (Some(c), Some(id)) => {
                let old = &out[c];
                if old.key.key_id() != *id {
                    return Err(format!(
                        "key_registration at seq {seq} replaces key {id}, which is not the person's current key {}",
                        old.key.key_id()
                    ));
                }
                if old.role != r.role {
                    return Err(format!(
                        "key_registration at seq {seq} replaces a {}'s key with a {}'s",
                        old.role.as_str(),
                        r.role.as_str()
                    ));
                }
                let Some(a) = &r.approval else {
                    return Err(format!(
                        "key_registration at seq {seq} replaces key {id} without a supervisor's approval"
                    ));
                };
                let by = a.key.key_id();
                if keys.contains(&a.key) {
                    return Err(format!(
                        "key_registration at seq {seq}: the replacement's approval is by the log's own key {by}, not by a supervisor's"
                    ));
                }
                match out.iter().find(|o| o.key == a.key) {
                    None => {
                        return Err(format!(
                            "key_registration at seq {seq}: the replacement's approval is by an unregistered key {by}: no earlier key_registration of the draw registers it"
                        ));
                    }
                    Some(o) if o.person == r.person => {
                        return Err(format!(
                            "key_registration at seq {seq}: the replacement's approval is by the replaced person's own key {by}, not by another supervisor's"
                        ));
                    }
                    Some(o) if o.role != entry::Role::Supervisor => {
                        return Err(format!(
                            "key_registration at seq {seq}: the replacement's approval is by key {by}, registered at seq {} to an {}, not to a supervisor",
                            o.seq,
                            o.role.as_str()
                        ));
                    }
                    Some(o) if o.until.is_some() => {
                        return Err(format!(
                            "key_registration at seq {seq}: the replacement's approval is by key {by}, which was itself replaced at seq {}",
                            o.until.unwrap_or_default()
                        ));
                    }
                    Some(_) => {}
                }
                let sig = base64::engine::general_purpose::STANDARD
                    .decode(&a.sig)
                    .map_err(|_| {
                        format!("key_registration at seq {seq}: the approval is not base64")
                    })?;
                a.key
                    .verify(&entry::replacement_message(r), &sig)
                    .map_err(|m| format!("key_registration at seq {seq}: the approval's {m}"))?;
                out[c].until = Some(seq);
            }
        }
        if r.replaces.is_none() && r.approval.is_some() {
            return Err(format!(
                "key_registration at seq {seq} carries an approval but replaces no key"
            ));
        }
        out.push(Registered {
            seq,
            until: None,
            key: r.key,
            role: r.role,
            person: r.person,
        });
    }
    Ok(out)
}

fn check_scoring(
    b: &Bundle,
    items: &[Item],
    panel: &[Token],
    seats: u32,
    signers: &Signers,
) -> Option<Result<String, String>> {
    use crate::scoring::{self as rules, Rubric, SheetRecord};
    if b.rubric.is_none() && b.sheets.is_empty() {
        // Protocol 1.5: the scorers' signatures are checked even before
        // the sheets are published.
        if let Err(m) = check_scorer_signatures(items, &b.draw, signers) {
            return Some(Err(m));
        }
        // A disclosed draw whose round the log shows sealed must carry the
        // rubric and the sheets: scoring cannot be skipped by leaving them out.
        let disclosed = items
            .iter()
            .any(|i| matches!(&i.parsed.body, Body::Disclosure(d) if d.draw.as_str() == b.draw));
        let rounds: Vec<&crate::types::DrawId> = items
            .iter()
            .filter_map(|i| match &i.parsed.body {
                Body::ScoringOpen(o) if o.draw.as_str() == b.draw => Some(&o.round),
                _ => None,
            })
            .collect();
        let sealed = items.iter().find_map(|i| match &i.parsed.body {
            Body::Seal(s) if rounds.contains(&&s.round) => Some(i.parsed.entry.seq),
            _ => None,
        });
        return match (disclosed, sealed) {
            (true, Some(seq)) => Some(Err(format!(
                "the draw is disclosed and its round was sealed at seq {seq}, but the bundle carries no rubric and no sheets: the sealed result cannot be recomputed"
            ))),
            _ => None,
        };
    }
    Some((|| {
        let signed = match check_scorer_signatures(items, &b.draw, signers)? {
            0 => String::new(),
            n => format!(
                "; {n} sheet_commit, recusal and pledge entries signed by their scorers' own keys"
            ),
        };
        let opens: Vec<(u64, &entry::ScoringOpen)> = items
            .iter()
            .filter_map(|i| match &i.parsed.body {
                Body::ScoringOpen(o) if o.draw.as_str() == b.draw => Some((i.parsed.entry.seq, o)),
                _ => None,
            })
            .collect();
        let [(open_seq, open)] = opens.as_slice() else {
            return Err(format!(
                "the bundle has sheets but {} scoring_open entries for this draw (one is needed)",
                opens.len()
            ));
        };
        let round = &open.round;
        let (seal_seq, seal) = items
            .iter()
            .filter_map(|i| match &i.parsed.body {
                Body::Seal(s) if &s.round == round => Some((i.parsed.entry.seq, s)),
                _ => None,
            })
            .next_back()
            .ok_or_else(|| format!("no seal of round {round} in the bundle"))?;
        if seal.quota != open.quota || seal.already_recommended != open.already_recommended {
            return Err(format!(
                "the seal's quota {} with {} already recommended is not the quota scoring_open fixed before any score ({} with {})",
                seal.quota, seal.already_recommended, open.quota, open.already_recommended
            ));
        }
        if seal.rule != "trimmed_mean_v1" {
            return Err(format!("unknown aggregation rule {:?}", seal.rule));
        }
        let rubric_bytes = b
            .rubric
            .ok_or("sheets without the rubric")?
            .get()
            .as_bytes();
        let rubric: Rubric = serde_json::from_slice(rubric_bytes)
            .map_err(|e| format!("the rubric does not parse: {e}"))?;
        if crate::jcs::encode(&rubric) != rubric_bytes {
            return Err("the rubric is not in its canonical form".into());
        }
        let rh = rubric.hash();
        if rh != open.rubric || rh != seal.rubric {
            return Err(format!(
                "the rubric's hash {rh} is not the one scoring_open and the seal fixed"
            ));
        }
        // Protocol 1.1: the round's scoring entries, in log order, against the
        // seated panel and the applications (see "The scoring state").
        let live = round_state(
            items,
            b.draw.as_str(),
            round,
            *open_seq,
            seal_seq,
            open,
            (panel, seats),
        )?;
        // The seal covers exactly the live sheets of the seated members.
        for h in &seal.sheets {
            if !live.sheets.contains_key(h) {
                return Err(match live.reopened.get(h) {
                    Some(seq) => format!(
                        "the seal counts sheet {h}, which was reopened at seq {seq} and not submitted again"
                    ),
                    None => format!(
                        "the seal counts sheet {h}, which is not the live sheet of a seated panel member"
                    ),
                });
            }
        }
        let sealed_apps: std::collections::BTreeSet<&String> =
            seal.results.iter().map(|r| &r.application).collect();
        for a in &live.applications {
            if !sealed_apps.contains(a) {
                return Err(format!(
                    "the seal's results leave out application {a}, which scoring_open fixed"
                ));
            }
        }
        for (h, (app, scorer)) in &live.sheets {
            if !seal.sheets.contains(h) {
                return Err(format!(
                    "the seal leaves out the sheet of {} for application {app} (hash {h}), the last one committed by a seated panel member",
                    short(scorer)
                ));
            }
        }
        if let Some(m) = &live.incomplete {
            return Err(format!("at the seal, {m}"));
        }
        let limit = rules::abnormal_limit(open.abnormal_points.as_deref())
            .map_err(|e| format!("scoring_open: {e}"))?;
        // Protocol 1.2: a round whose scoring_open fixes the threshold is
        // sealed only while its sheets are locked, with every explanation the
        // lock asked for given, and the records of those explanations in the
        // bundle.
        if open.abnormal_points.is_some() && live.lock.is_none() {
            return Err(format!(
                "the seal of round {round} comes while its sheets are not locked (protocol 1.2 needs a scoring_lock before the seal)"
            ));
        }
        let mut explained_text: BTreeMap<Hash32, String> = BTreeMap::new();
        if let Some(l) = &live.lock {
            if let Some(h) = l.explain.iter().find(|h| !l.explained.contains_key(h)) {
                return Err(format!(
                    "sheet {h} was asked for an explanation by the scoring_lock at seq {} and none was given before the seal",
                    l.seq
                ));
            }
            let wanted: BTreeMap<Hash32, Hash32> =
                l.explained.iter().map(|(s, e)| (*e, *s)).collect();
            for (k, raw) in b.explanations.iter().enumerate() {
                let bytes = raw.get().as_bytes();
                let rec: rules::ExplanationRecord = serde_json::from_slice(bytes)
                    .map_err(|e| format!("explanation {k} does not parse: {e}"))?;
                if rec.bytes() != bytes {
                    return Err(format!("explanation {k} is not in its canonical form"));
                }
                let h = rules::ExplanationRecord::hash_of(bytes);
                if wanted.get(&h) != Some(&rec.sheet)
                    || &rec.round != round
                    || l.sheets.get(&rec.sheet) != Some(&(rec.application.clone(), rec.scorer))
                {
                    return Err(format!(
                        "explanation {k} (hash {h}) is not an explanation entry of the round's last lock"
                    ));
                }
                if rec.is_blank() {
                    return Err(format!("explanation {k} is blank"));
                }
                if explained_text.insert(rec.sheet, rec.explanation).is_some() {
                    return Err(format!("explanation {k} is given twice"));
                }
            }
            if let Some((sheet, _)) = l
                .explained
                .iter()
                .find(|(s, _)| !explained_text.contains_key(s))
            {
                return Err(format!(
                    "the bundle leaves out the explanation of sheet {sheet}"
                ));
            }
        } else if !b.explanations.is_empty() {
            return Err(
                "the bundle has explanations but the round's sheets are not locked at the seal"
                    .into(),
            );
        }
        let mut seen = std::collections::BTreeSet::new();
        let mut hashed: BTreeMap<String, Vec<(Hash32, rules::Sheet)>> = BTreeMap::new();
        for (k, raw) in b.sheets.iter().enumerate() {
            let bytes = raw.get().as_bytes();
            let rec: SheetRecord = serde_json::from_slice(bytes)
                .map_err(|e| format!("sheet {k} does not parse: {e}"))?;
            if rec.bytes() != bytes {
                return Err(format!("sheet {k} is not in its canonical form"));
            }
            let h = SheetRecord::hash_of(bytes);
            if &rec.round != round || rec.rubric != rh {
                return Err(format!("sheet {k} names another round or rubric"));
            }
            if live.sheets.get(&h) != Some(&(rec.application.clone(), rec.scorer)) {
                return Err(format!(
                    "sheet {k} ({} by {}) is not the sheet committed in the log (hash {h})",
                    rec.application,
                    short(&rec.scorer)
                ));
            }
            if !seen.insert(h) {
                return Err(format!("sheet {k} is given twice"));
            }
            hashed
                .entry(rec.application.clone())
                .or_default()
                .push((h, rec.sheet()));
        }
        // The lock asked exactly about the abnormal sheets without an
        // explanation of their own.
        if let Some(l) = &live.lock {
            let mut want = std::collections::BTreeSet::new();
            for (app, sheets) in &hashed {
                want.extend(
                    rules::unexplained(&rubric, sheets, limit)
                        .map_err(|p| format!("application {app}: {}", p.join("; ")))?,
                );
            }
            if want != l.explain {
                return Err(format!(
                    "the scoring_lock at seq {} asks to explain {} sheet(s); the abnormal totals without an explanation are {}",
                    l.seq,
                    l.explain.len(),
                    want.len()
                ));
            }
        }
        let by_app: BTreeMap<String, Vec<rules::Sheet>> = hashed
            .into_iter()
            .map(|(app, v)| {
                let sheets = v
                    .into_iter()
                    .map(|(h, mut sheet)| {
                        if let Some(t) = explained_text.get(&h) {
                            sheet.explanation = Some(t.clone());
                        }
                        sheet
                    })
                    .collect();
                (app, sheets)
            })
            .collect();
        if seen.len() != seal.sheets.len() {
            return Err(format!(
                "the seal fixes {} sheets, the bundle has {}",
                seal.sheets.len(),
                seen.len()
            ));
        }
        let mut aggs = Vec::new();
        for (app, sheets) in &by_app {
            aggs.push(
                rules::aggregate_sheets_at(&rubric, app, sheets, limit)
                    .map_err(|p| format!("application {app}: {}", p.join("; ")))?,
            );
        }
        let ranked = rules::rank(aggs);
        let recommended = rules::recommend(&ranked, seal.quota, seal.already_recommended);
        if ranked.len() != seal.results.len() {
            return Err(format!(
                "the seal ranks {} applications, the sheets cover {}",
                seal.results.len(),
                ranked.len()
            ));
        }
        for (k, (a, s)) in ranked.iter().zip(&seal.results).enumerate() {
            let final_score = rules::dec2::format(&a.final_score);
            if a.application != s.application
                || final_score != s.final_score
                || s.rank != k as u32 + 1
                || s.sheets != a.sheets
                || s.recommended != recommended.contains(&a.application)
            {
                return Err(format!(
                    "the seal's rank {} ({} {} from {} sheets, recommended {}) does not follow from the sheets: rank {} is {} {} from {} sheets, recommended {}",
                    s.rank,
                    s.application,
                    s.final_score,
                    s.sheets,
                    s.recommended,
                    k + 1,
                    a.application,
                    final_score,
                    a.sheets,
                    recommended.contains(&a.application)
                ));
            }
        }
        let notices = check_notices(items, round, seal_seq, seal)?;
        Ok(format!(
            "round {round}: {} sheets of {} applications are the committed and sealed ones; final scores ({}), ranking and {} recommendation(s) within a quota of {} follow from them{notices}{signed}",
            seen.len(),
            by_app.len(),
            seal.rule,
            recommended.len(),
            seal.quota
        ))
    })())
}

/// Protocol 1.3: the round's notice, notice_close and withdrawal entries
/// against its seal, in log order. A notice comes after the seal and while no
/// other notice of the round is open, with a well-formed period; a close names
/// the open notice and its counts add up (every objection handled, at least as
/// many upheld as withdrawals during the notice); a withdrawal comes after the
/// seal and names a recommended application of it, once. Returns the words
/// added to the scoring line ("" when the round has none of these entries).
fn check_notices(
    items: &[Item],
    round: &crate::types::DrawId,
    seal_seq: u64,
    seal: &entry::Seal,
) -> Result<String, String> {
    fn date_ok(d: &str) -> bool {
        let b = d.as_bytes();
        b.len() == 10
            && b[4] == b'-'
            && b[7] == b'-'
            && b.iter()
                .enumerate()
                .all(|(k, c)| k == 4 || k == 7 || c.is_ascii_digit())
            && (1..=12).contains(&d[5..7].parse::<u32>().unwrap_or(0))
            && (1..=31).contains(&d[8..10].parse::<u32>().unwrap_or(0))
    }
    // The open notice: (seq, entry hash, withdrawals since).
    let mut open: Option<(u64, Hash32, u32)> = None;
    let (mut notices, mut closes) = (0u32, 0u32);
    let mut withdrawn: std::collections::BTreeSet<&str> = std::collections::BTreeSet::new();
    for i in items {
        let seq = i.parsed.entry.seq;
        match &i.parsed.body {
            Body::Notice(n) if &n.round == round => {
                let at = format!("the notice at seq {seq}");
                if seq < seal_seq {
                    return Err(format!(
                        "{at} comes before the round's seal (seq {seal_seq}): a notice publishes sealed results"
                    ));
                }
                if let Some((s, _, _)) = open {
                    return Err(format!(
                        "{at} comes while the notice at seq {s} is still open"
                    ));
                }
                if !date_ok(&n.start) || !date_ok(&n.end) || n.start > n.end {
                    return Err(format!(
                        "{at} has the period {:?} to {:?}, not two dates YYYY-MM-DD in order",
                        n.start, n.end
                    ));
                }
                if n.working_days == 0 {
                    return Err(format!("{at} has a period of 0 working days"));
                }
                if n.items == 0 || n.items as usize > seal.results.len() {
                    return Err(format!(
                        "{at} lists {} projects; the seal has {} results",
                        n.items,
                        seal.results.len()
                    ));
                }
                open = Some((seq, i.parsed.hash, 0));
                notices += 1;
            }
            Body::NoticeClose(x) if &x.round == round => {
                let at = format!("the notice_close at seq {seq}");
                let Some((nseq, nhash, w)) = open else {
                    return Err(format!("{at} comes when no notice of the round is open"));
                };
                if x.notice != nhash {
                    return Err(format!(
                        "{at} names notice {}, not the open notice at seq {nseq}",
                        x.notice
                    ));
                }
                if x.upheld.checked_add(x.rejected) != Some(x.objections) {
                    return Err(format!(
                        "{at} counts {} objections but {} upheld and {} rejected: the counts do not add up",
                        x.objections, x.upheld, x.rejected
                    ));
                }
                if x.upheld < w {
                    return Err(format!(
                        "{at} counts {} upheld objections but {w} withdrawals followed the notice",
                        x.upheld
                    ));
                }
                open = None;
                closes += 1;
            }
            Body::Withdrawal(x) if &x.round == round => {
                let at = format!("the withdrawal at seq {seq}");
                if seq < seal_seq {
                    return Err(format!(
                        "{at} comes before the round's seal (seq {seal_seq})"
                    ));
                }
                if !seal
                    .results
                    .iter()
                    .any(|r| r.application == x.application && r.recommended)
                {
                    return Err(format!(
                        "{at} withdraws {}, which is not a recommended project of the seal",
                        x.application
                    ));
                }
                if !withdrawn.insert(&x.application) {
                    return Err(format!("{at} withdraws {} a second time", x.application));
                }
                if x.reason.trim().is_empty() {
                    return Err(format!("{at} gives no reason"));
                }
                if let Some((_, _, w)) = open.as_mut() {
                    *w += 1;
                }
            }
            _ => {}
        }
    }
    if notices == 0 && withdrawn.is_empty() {
        return Ok(String::new());
    }
    Ok(format!(
        "; {notices} notice(s) after the seal, {closes} closed with counts that add up, {} withdrawal(s) of recommended projects",
        withdrawn.len()
    ))
}

/// A (application, scorer) pair's sheet in the round, entry by entry.
enum SheetState {
    Live(Hash32),
    Reopened,
    Recused,
}

/// What a round's scoring entries leave at its seal (protocol 1.1).
struct RoundAtSeal {
    /// scoring_open's applications, and those a later screen_override added.
    applications: std::collections::BTreeSet<String>,
    /// The live sheets of the members seated at the seal: hash → (application,
    /// scorer).
    sheets: BTreeMap<Hash32, (String, Token)>,
    /// Reopened sheets: hash → the seq of the reopening.
    reopened: BTreeMap<Hash32, u64>,
    /// The first (application, seated member) with neither a live sheet nor a
    /// recusal, as a reason.
    incomplete: Option<String>,
    /// The lock in force at the seal, if any (protocol 1.2).
    lock: Option<Lock>,
}

/// Walks the round's scoring entries in log order: each sheet_commit,
/// recusal and sheet_reopen of `round` lies between its scoring_open and its
/// seal, names an application fixed by then and a member seated at that
/// point (the reveal's panel with the draw's declines before it applied), and
/// follows the sheet's life: a sheet_commit only when the pair has no live
/// sheet and no recusal, a recusal only when it has neither, a reopening only
/// of the live sheet.
fn round_state(
    items: &[Item],
    draw: &str,
    round: &crate::types::DrawId,
    open_seq: u64,
    seal_seq: u64,
    open: &entry::ScoringOpen,
    // The panel seated at the reveal, and the size the rules give it.
    (panel, seats): (&[Token], u32),
) -> Result<RoundAtSeal, String> {
    if open
        .applications
        .windows(2)
        .any(|w| w[0].as_bytes() >= w[1].as_bytes())
    {
        return Err("scoring_open's applications are not sorted by bytes, each once".to_string());
    }
    check_materials(open)?;
    let mut applications: std::collections::BTreeSet<String> =
        open.applications.iter().cloned().collect();
    let mut seated: Vec<Token> = panel.to_vec();
    // The chain's newest revealed draw (1.2): its declines move the seats, and
    // a supplementary draw's reveal fills the empty ones.
    let mut head = draw.to_string();
    let supplements: BTreeMap<&str, &entry::Supplements> = items
        .iter()
        .filter_map(|i| match &i.parsed.body {
            Body::Commit(Commit {
                draw,
                supplements: Some(s),
                ..
            }) => Some((draw.as_str(), s)),
            _ => None,
        })
        .collect();
    let mut pledged: std::collections::BTreeSet<Token> = std::collections::BTreeSet::new();
    let mut state: BTreeMap<(String, Token), SheetState> = BTreeMap::new();
    let mut reopened = BTreeMap::new();
    let mut lock: Option<Lock> = None;
    let locked_round = open.abnormal_points.is_some();
    let while_locked = |lock: &Option<Lock>, at: &str| match lock {
        Some(l) => Err(format!(
            "{at} comes while the round's sheets are locked (scoring_lock at seq {})",
            l.seq
        )),
        None => Ok(()),
    };
    for i in items {
        let seq = i.parsed.entry.seq;
        let (what, app, scorer) = match &i.parsed.body {
            Body::Reveal(r)
                if seq < seal_seq
                    && supplements
                        .get(r.draw.as_str())
                        .is_some_and(|s| s.draw.as_str() == head) =>
            {
                let s = supplements[r.draw.as_str()];
                while_locked(&lock, &format!("the supplementary reveal at seq {seq}"))?;
                if s.seated != seated {
                    return Err(format!(
                        "the supplementary draw {} revealed at seq {seq} did not carry the panel seated then",
                        r.draw
                    ));
                }
                seated.extend(r.panel.iter().copied());
                head = r.draw.to_string();
                continue;
            }
            Body::Decline(d) if d.draw.as_str() == head => {
                if seq < seal_seq
                    && let Some(k) = seated.iter().position(|t| *t == d.token)
                {
                    while_locked(&lock, &format!("decline at seq {seq}"))?;
                    match d.replacement {
                        Some(r) => seated[k] = r,
                        None => {
                            seated.remove(k);
                        }
                    }
                } else if locked_round && seq > seal_seq && seated.contains(&d.token) {
                    return Err(format!(
                        "decline at seq {seq} of a seated member comes after the round's seal"
                    ));
                }
                continue;
            }
            Body::ScreenOverride(o) if &o.round == round => {
                if seq > seal_seq {
                    return Err(format!(
                        "screen_override at seq {seq} comes after the round's seal"
                    ));
                }
                if seq > open_seq {
                    while_locked(&lock, &format!("screen_override at seq {seq}"))?;
                    applications.insert(o.application.clone());
                }
                continue;
            }
            Body::Pledge(x) if &x.round == round => {
                check_pledge(x, seq, open_seq, seal_seq, open, &seated, &mut pledged)?;
                continue;
            }
            Body::SheetCommit(x) if &x.round == round => {
                if open.pledge.is_some() && !pledged.contains(&x.scorer) {
                    return Err(format!(
                        "sheet_commit at seq {seq}: scorer {} has not confirmed the round's pledge (scoring_open fixed one)",
                        short(&x.scorer)
                    ));
                }
                ("sheet_commit", &x.application, x.scorer)
            }
            Body::ScoringLock(x) if &x.round == round => {
                let at = format!("scoring_lock at seq {seq}");
                if seq < open_seq || seq > seal_seq {
                    return Err(format!(
                        "{at} lies outside the round's scoring_open and seal"
                    ));
                }
                while_locked(&lock, &at)?;
                let sorted = |v: &[Hash32]| v.windows(2).all(|w| w[0] < w[1]);
                if !sorted(&x.sheets) || !sorted(&x.explain) {
                    return Err(format!(
                        "{at}: its sheets or explain are not sorted, each once"
                    ));
                }
                if seated.len() < seats as usize {
                    return Err(format!(
                        "{at} locks a round whose panel has {} of its {seats} seats filled: the empty seats need a supplementary draw first",
                        seated.len()
                    ));
                }
                let now = live_at(&applications, &seated, &state);
                if let Some(m) = now.incomplete {
                    return Err(format!("{at} locks an incomplete round: {m}"));
                }
                let want: Vec<Hash32> = now.sheets.keys().copied().collect();
                if want != x.sheets {
                    return Err(format!(
                        "{at}: its sheets are not the live sheets of the seated members"
                    ));
                }
                if let Some(h) = x.explain.iter().find(|h| !now.sheets.contains_key(h)) {
                    return Err(format!("{at} asks to explain {h}, which it does not lock"));
                }
                lock = Some(Lock {
                    seq,
                    sheets: now.sheets,
                    explain: x.explain.iter().copied().collect(),
                    explained: BTreeMap::new(),
                });
                continue;
            }
            Body::Explanation(x) if &x.round == round => {
                let at = format!("explanation at seq {seq}");
                if seq > seal_seq {
                    return Err(format!("{at} comes after the round's seal"));
                }
                let Some(l) = lock.as_mut() else {
                    return Err(format!(
                        "{at} comes while the round's sheets are not locked"
                    ));
                };
                if !l.explain.contains(&x.sheet) {
                    return Err(format!(
                        "{at} explains sheet {}, which the scoring_lock at seq {} did not ask about",
                        x.sheet, l.seq
                    ));
                }
                if l.sheets.get(&x.sheet) != Some(&(x.application.clone(), x.scorer)) {
                    return Err(format!(
                        "{at} names another application or scorer than sheet {}",
                        x.sheet
                    ));
                }
                if l.explained.insert(x.sheet, x.explanation).is_some() {
                    return Err(format!("{at}: sheet {} is explained twice", x.sheet));
                }
                continue;
            }
            Body::ScoringUnlock(x) if &x.round == round => {
                let at = format!("scoring_unlock at seq {seq}");
                if seq > seal_seq {
                    return Err(format!("{at} comes after the round's seal"));
                }
                if lock.take().is_none() {
                    return Err(format!(
                        "{at} comes while the round's sheets are not locked"
                    ));
                }
                continue;
            }
            Body::Recusal(x) if &x.round == round => ("recusal", &x.application, x.scorer),
            Body::SheetReopen(x) if &x.round == round => ("sheet_reopen", &x.application, x.scorer),
            _ => continue,
        };
        let at = format!("{what} at seq {seq}");
        if seq < open_seq {
            return Err(format!("{at} comes before the round's scoring_open"));
        }
        if seq > seal_seq {
            return Err(format!("{at} comes after the round's seal"));
        }
        while_locked(&lock, &at)?;
        if !applications.contains(app) {
            return Err(format!(
                "{at} names application {app}, which scoring_open did not fix"
            ));
        }
        let who = short(&scorer);
        if !seated.contains(&scorer) {
            return Err(format!("{at}: scorer {who} is not on the seated panel"));
        }
        let key = (app.clone(), scorer);
        let next = match (&i.parsed.body, state.get(&key)) {
            (Body::SheetCommit(x), None | Some(SheetState::Reopened)) => SheetState::Live(x.sheet),
            (Body::SheetCommit(_), Some(SheetState::Live(_))) => {
                return Err(format!(
                    "{at}: a second sheet of {who} for {app} while the first is not reopened"
                ));
            }
            (_, Some(SheetState::Recused)) => {
                return Err(format!("{at}: {who} recused from {app}"));
            }
            (Body::Recusal(_), None | Some(SheetState::Reopened)) => SheetState::Recused,
            (Body::Recusal(_), Some(SheetState::Live(_))) => {
                return Err(format!(
                    "{at}: {who} has a submitted sheet for {app}, not reopened"
                ));
            }
            (Body::SheetReopen(x), Some(SheetState::Live(h))) if *h == x.sheet => {
                reopened.insert(x.sheet, seq);
                SheetState::Reopened
            }
            _ => {
                return Err(format!(
                    "{at} names a sheet that is not the live sheet of {who} for {app}"
                ));
            }
        };
        state.insert(key, next);
    }
    let Live { sheets, incomplete } = live_at(&applications, &seated, &state);
    Ok(RoundAtSeal {
        applications,
        sheets,
        reopened,
        incomplete,
        lock,
    })
}

/// The round's sheets as a scoring_lock fixed them (protocol 1.2).
struct Lock {
    seq: u64,
    /// The locked sheets: hash → (application, scorer).
    sheets: BTreeMap<Hash32, (String, Token)>,
    /// The sheets the lock asked to explain.
    explain: std::collections::BTreeSet<Hash32>,
    /// Explained since the lock: sheet hash → explanation record hash.
    explained: BTreeMap<Hash32, Hash32>,
}

/// The live sheets of the seated members at one point of the walk, and the
/// first (application, seated member) pair that is neither live nor recused.
struct Live {
    sheets: BTreeMap<Hash32, (String, Token)>,
    incomplete: Option<String>,
}

fn live_at(
    applications: &std::collections::BTreeSet<String>,
    seated: &[Token],
    state: &BTreeMap<(String, Token), SheetState>,
) -> Live {
    let mut sheets = BTreeMap::new();
    let mut incomplete = None;
    for a in applications {
        for s in seated {
            match state.get(&(a.clone(), *s)) {
                Some(SheetState::Live(h)) => {
                    sheets.insert(*h, (a.clone(), *s));
                }
                Some(SheetState::Recused) => {}
                Some(SheetState::Reopened) => {
                    incomplete.get_or_insert(format!(
                        "application {a}: the sheet of seated member {} was reopened and not submitted again",
                        short(s)
                    ));
                }
                None => {
                    incomplete.get_or_insert(format!(
                        "application {a}: seated member {} has neither a sheet nor a recusal",
                        short(s)
                    ));
                }
            }
        }
    }
    Live { sheets, incomplete }
}

/// scoring_open's materials: sorted by (application, sha256), each once, with
/// an accepted media type (an application whose screen is overridden later
/// has its materials fixed too, so they need not be among `applications`). The bundle
/// does not carry the files; only the service can check them.
fn check_materials(open: &entry::ScoringOpen) -> Result<(), String> {
    if open
        .materials
        .windows(2)
        .any(|w| w[0].order_key() >= w[1].order_key())
    {
        return Err(
            "scoring_open's materials are not sorted by (application, sha256), each once"
                .to_string(),
        );
    }
    for m in &open.materials {
        if !entry::MATERIAL_TYPES.contains(&m.media_type.as_str()) {
            return Err(format!(
                "scoring_open fixes material {} with media type {:?}, which is not one of {}",
                m.sha256,
                m.media_type,
                entry::MATERIAL_TYPES.join(", ")
            ));
        }
    }
    Ok(())
}

/// A pledge of the round: between its scoring_open and its seal, by a seated
/// member, once, over the text scoring_open fixed.
fn check_pledge(
    x: &entry::Pledge,
    seq: u64,
    open_seq: u64,
    seal_seq: u64,
    open: &entry::ScoringOpen,
    seated: &[Token],
    pledged: &mut std::collections::BTreeSet<Token>,
) -> Result<(), String> {
    let who = short(&x.scorer);
    if seq < open_seq {
        return Err(format!(
            "pledge at seq {seq} comes before the round's scoring_open"
        ));
    }
    if seq > seal_seq {
        return Err(format!("pledge at seq {seq} comes after the round's seal"));
    }
    match open.pledge {
        None => {
            return Err(format!(
                "pledge at seq {seq}: the round's scoring_open fixed no pledge text"
            ));
        }
        Some(h) if h != x.text => {
            return Err(format!(
                "pledge at seq {seq}: {who} confirmed text {}, not the pledge {h} scoring_open fixed",
                x.text
            ));
        }
        Some(_) => {}
    }
    if !seated.contains(&x.scorer) {
        return Err(format!(
            "pledge at seq {seq}: scorer {who} is not on the seated panel"
        ));
    }
    if !pledged.insert(x.scorer) {
        return Err(format!("pledge at seq {seq}: {who} has already pledged"));
    }
    Ok(())
}

/// The draw whose commit supplements `draw` before `seq`, if it was not voided
/// before `seq` either: from that commit on, the panel's changes are its.
fn supplemented_at(items: &[Item], draw: &str, seq: u64) -> Option<String> {
    items
        .iter()
        .take_while(|i| i.parsed.entry.seq < seq)
        .find_map(|i| match &i.parsed.body {
            Body::Commit(Commit {
                draw: next,
                supplements: Some(s),
                ..
            }) if s.draw.as_str() == draw => {
                let voided = items.iter().any(|v| {
                    v.parsed.entry.seq < seq
                        && matches!(&v.parsed.body, Body::Void(x) if x.draw == *next)
                });
                (!voided).then(|| next.to_string())
            }
            _ => None,
        })
}

/// A supplementary commit's link to the earlier draw (protocol 1.2): the
/// bundle's first entry is that draw's commit; the pool, tags and rules are
/// its; it was revealed and is supplemented by no other live draw; `seated`
/// is its panel at this commit and `drawn` everything the chain has named.
fn check_link(
    items: &[Item],
    commit_item: &Item,
    commit: &Commit,
    s: &entry::Supplements,
) -> Result<(), String> {
    let at = commit_item.parsed.entry.seq;
    let first = &items[0].parsed;
    let Body::Commit(prev) = &first.body else {
        return Err("the entry the supplementary commit names is not a commit".to_string());
    };
    if prev.draw != s.draw || prev.draw == commit.draw {
        return Err(format!(
            "the supplementary commit names draw {}, but the commit it names is draw {}'s",
            s.draw, prev.draw
        ));
    }
    if first.entry.province != commit_item.parsed.entry.province {
        return Err("the supplemented draw is another province's".to_string());
    }
    if prev.pool_root != commit.pool_root
        || prev.pool_size != commit.pool_size
        || prev.tag_key != commit.tag_key
        || prev.excluded != commit.excluded
    {
        return Err(format!(
            "a supplementary draw keeps the pool of draw {} (pool_root, pool_size, tag_key and excluded unchanged)",
            s.draw
        ));
    }
    if prev.spec.panel != commit.spec.panel
        || prev.spec.quotas != commit.spec.quotas
        || prev.spec.org_cap != commit.spec.org_cap
    {
        return Err(format!(
            "a supplementary draw keeps the rules of draw {} (panel, quotas and organisation cap unchanged)",
            s.draw
        ));
    }
    let pool_draw = prev
        .supplements
        .as_ref()
        .map_or(&prev.draw, |p| &p.pool_draw);
    if &s.pool_draw != pool_draw {
        return Err(format!(
            "supplements.pool_draw is {}, but the chain's first draw is {pool_draw}",
            s.pool_draw
        ));
    }
    if let Some(other) = supplemented_at(items, s.draw.as_str(), at) {
        return Err(format!(
            "draw {} is already supplemented by draw {other}, which is not voided",
            s.draw
        ));
    }
    let before: Vec<&Item> = items
        .iter()
        .take_while(|i| i.parsed.entry.seq < at)
        .filter(|i| i.parsed.body.draw() == Some(&s.draw))
        .collect();
    let Some(reveal) = before.iter().find_map(|i| match &i.parsed.body {
        Body::Reveal(r) => Some(r),
        _ => None,
    }) else {
        return Err(format!(
            "draw {} is not revealed before the supplementary commit",
            s.draw
        ));
    };
    let mut seated: Vec<Token> = prev
        .supplements
        .iter()
        .flat_map(|p| p.seated.iter())
        .chain(&reveal.panel)
        .copied()
        .collect();
    for i in &before {
        if let Body::Decline(d) = &i.parsed.body {
            let k = seated.iter().position(|t| *t == d.token).ok_or_else(|| {
                format!(
                    "decline at seq {} of draw {}: {} is not on its panel",
                    i.parsed.entry.seq, s.draw, d.token
                )
            })?;
            match d.replacement {
                Some(r) => seated[k] = r,
                None => {
                    seated.remove(k);
                }
            }
        }
    }
    if s.seated != seated {
        return Err(format!(
            "supplements.seated lists {} members, which are not draw {}'s {} seated members at this commit, in seat order",
            s.seated.len(),
            s.draw,
            seated.len()
        ));
    }
    let mut drawn: Vec<Token> = prev
        .supplements
        .iter()
        .flat_map(|p| p.drawn.iter())
        .chain(&reveal.panel)
        .chain(&reveal.alternates)
        .copied()
        .collect();
    drawn.sort();
    drawn.dedup();
    if s.drawn != drawn {
        return Err(format!(
            "supplements.drawn is not every member the chain up to draw {} has named ({} members), sorted",
            s.draw,
            drawn.len()
        ));
    }
    Ok(())
}

fn short(t: &Token) -> String {
    t.to_string()[..8].to_string()
}

fn check_pool(b: &Bundle, commit: &Commit, leaves: &[PoolLeaf]) -> Result<String, String> {
    if leaves.len() as u64 != commit.pool_size {
        return Err(format!(
            "the bundle has {} pool leaves, the commit {}",
            leaves.len(),
            commit.pool_size
        ));
    }
    pool::check_order(leaves)?;
    if !commit.tag_key.is_valid() {
        return Err(format!(
            "the commit's tag key {} is not a ristretto255 element",
            commit.tag_key
        ));
    }
    pool::check_identities(leaves)?;
    let root = pool::root_of(&b.pool, |l| l.get().as_bytes());
    if root != commit.pool_root {
        return Err(format!(
            "the pool leaves give root {root}, the commit fixed {} (a leaf was changed, added or removed)",
            commit.pool_root
        ));
    }
    for w in commit.excluded.windows(2) {
        if w[0].token >= w[1].token {
            return Err("exclusions are not sorted by token without repeats".to_string());
        }
    }
    for x in &commit.excluded {
        if leaves.binary_search_by(|l| l.token.cmp(&x.token)).is_ok() {
            return Err(format!("{} is both in the pool and excluded", x.token));
        }
    }
    fill::check_feasible(&commit.spec, leaves)
        .map_err(|e| format!("the committed rules cannot be met by the pool: {e}"))?;
    Ok(format!(
        "{} leaves give the committed root, with distinct identity tags; {} exclusions; the rules are feasible",
        leaves.len(),
        commit.excluded.len()
    ))
}

/// Checks the beacon rules; returns the randomness once the round is recorded.
fn check_beacon(
    commit: &Commit,
    commit_time: u64,
    recorded: &[&&Item],
    revealed: bool,
) -> Result<(Option<Hash32>, String), String> {
    let Some(t) = &commit.beacon else {
        if !recorded.is_empty() {
            return Err("a beacon-less draw has a beacon entry".to_string());
        }
        return Ok((
            None,
            "beacon-less mode: no public randomness; the bundle's assurance is lower (see summary)"
                .to_string(),
        ));
    };
    if t.chain != beacon::QUICKNET_CHAIN {
        return Err(format!("chain {} is not drand quicknet", t.chain));
    }
    if t.margin < beacon::MIN_MARGIN {
        return Err(format!(
            "margin {} s is below the minimum {} s",
            t.margin,
            beacon::MIN_MARGIN
        ));
    }
    if beacon::round_time(t.round) < commit_time {
        return Err(format!(
            "target round {} (published at {}) is earlier than the commit (time {commit_time})",
            t.round,
            beacon::round_time(t.round)
        ));
    }
    let want = beacon::target_round(commit_time, t.margin);
    if t.round != want {
        return Err(format!(
            "target round is {}, but the first round at or after commit time + margin is {want}",
            t.round
        ));
    }
    if commit.entropy_deadline >= beacon::round_time(t.round) {
        return Err("the entropy deadline is not before the target round".to_string());
    }
    match recorded {
        [] if revealed => Err("the draw was revealed without its beacon round".to_string()),
        [] => Ok((None, format!("target round {} not yet recorded", t.round))),
        [it] => {
            let Body::Beacon(bc) = &it.parsed.body else {
                unreachable!()
            };
            if bc.chain != t.chain || bc.round != t.round {
                return Err(format!(
                    "recorded round {} is not the target round {}",
                    bc.round, t.round
                ));
            }
            if it.parsed.entry.time < beacon::round_time(bc.round) {
                return Err("the round was recorded before drand published it".to_string());
            }
            let sig = crate::hash::parse_hex_exact::<48>(&bc.signature)
                .map_err(|e| format!("round signature: {e}"))?;
            let r = beacon::verify_round(bc.round, &sig)?;
            if r != bc.randomness {
                return Err("recorded randomness is not SHA-256 of the signature".to_string());
            }
            Ok((
                Some(r),
                format!("quicknet round {} verifies; randomness {r}", bc.round),
            ))
        }
        _ => Err("more than one beacon entry".to_string()),
    }
}

/// Voids and order: nothing but a disclosure may follow a void.
fn draw_state(
    mine: &[&Item],
    commit_hash: Hash32,
    summary: &mut Vec<String>,
) -> Result<(), String> {
    let voided = mine
        .iter()
        .find(|i| i.parsed.entry.kind == entry::Kind::Void);
    let revealed = mine
        .iter()
        .any(|i| i.parsed.entry.kind == entry::Kind::Reveal);
    if let Some(v) = voided {
        let Body::Void(vd) = &v.parsed.body else {
            unreachable!()
        };
        if vd.commit != commit_hash {
            return Err("the void names another commit".to_string());
        }
        if vd.reason.trim().is_empty() {
            return Err("a void must give a reason".to_string());
        }
        if let Some(after) = mine.iter().find(|i| {
            i.parsed.entry.seq > v.parsed.entry.seq
                && i.parsed.entry.kind != entry::Kind::Disclosure
        }) {
            return Err(format!(
                "entry seq {} comes after the draw was voided",
                after.parsed.entry.seq
            ));
        }
        summary.push(format!(
            "state: VOIDED at seq {}: {}",
            v.parsed.entry.seq, vd.reason
        ));
    } else if revealed {
        let disclosed = mine
            .iter()
            .any(|i| i.parsed.entry.kind == entry::Kind::Disclosure);
        summary.push(
            if disclosed {
                "state: revealed, then disclosed"
            } else {
                "state: revealed, not disclosed"
            }
            .to_string(),
        );
    } else {
        summary.push("state: committed, not revealed (in progress, or abandoned)".to_string());
    }
    Ok(())
}

fn disclosure_check(
    c: &mut Checks,
    mine: &[&Item],
    leaves: &[PoolLeaf],
    commit: &Commit,
    reveal_seq: Option<u64>,
    summary: &mut Vec<String>,
) {
    let discl: Vec<&&Item> = mine
        .iter()
        .filter(|i| i.parsed.entry.kind == entry::Kind::Disclosure)
        .collect();
    if discl.is_empty() {
        c.skip(
            "disclosure",
            "nothing disclosed yet: the public record shows tokens only",
        );
        return;
    }
    let r = (|| {
        let mut n = 0;
        for it in &discl {
            let Body::Disclosure(d) = &it.parsed.body else {
                unreachable!()
            };
            let seq = it.parsed.entry.seq;
            if reveal_seq.is_none_or(|r| seq < r) {
                return Err(format!("disclosure at seq {seq} comes before the reveal"));
            }
            for w in d.members.windows(2) {
                if w[0].token >= w[1].token {
                    return Err(format!(
                        "disclosure at seq {seq}: openings are not sorted by token without repeats"
                    ));
                }
            }
            for o in &d.members {
                let id = Identity {
                    expert: &o.expert,
                    name: &o.name,
                    org: &o.org,
                    code: &o.code,
                };
                if pool::member_token(&o.salt.0, &id) != o.token {
                    return Err(format!(
                        "disclosure at seq {seq}: the opening of {} does not match its token",
                        o.token
                    ));
                }
                match leaves.binary_search_by(|l| l.token.cmp(&o.token)) {
                    Ok(i) => {
                        let (Some(id_proof), Some(org_proof)) = (&o.id_proof, &o.org_proof) else {
                            return Err(format!(
                                "disclosure at seq {seq}: {} is in the pool but its opening lacks the proofs of its tags",
                                o.token
                            ));
                        };
                        // A supplementary draw keeps the chain's first pool,
                        // whose tags were made for that draw's id.
                        let draw = commit
                            .supplements
                            .as_ref()
                            .map_or(commit.draw.as_str(), |s| s.pool_draw.as_str());
                        let id_tag = commit
                            .tag_key
                            .verify(&tags::id_input(draw, &o.expert), id_proof);
                        if id_tag != Some(leaves[i].id.0) {
                            return Err(format!(
                                "disclosure at seq {seq}: {}'s identity tag is not proven for expert {} (the proof fails, or proves another tag)",
                                o.token, o.expert
                            ));
                        }
                        let key = id.org_key();
                        let org_tag = commit
                            .tag_key
                            .verify(&tags::org_input(draw, &key), org_proof);
                        if org_tag != Some(leaves[i].org.0) {
                            return Err(format!(
                                "disclosure at seq {seq}: {}'s organisation tag is not proven for {key} (the proof fails, or proves another tag: members of one organisation must share one tag)",
                                o.token
                            ));
                        }
                    }
                    Err(_) if commit.excluded.iter().any(|x| x.token == o.token) => {
                        if o.id_proof.is_some() || o.org_proof.is_some() {
                            return Err(format!(
                                "disclosure at seq {seq}: {} is excluded, so has no tags, but its opening carries proofs",
                                o.token
                            ));
                        }
                    }
                    Err(_) => {
                        return Err(format!(
                            "disclosure at seq {seq}: {} is not in the draw",
                            o.token
                        ));
                    }
                }
                summary.push(format!(
                    "  {} = {} ({}, {})",
                    short(&o.token),
                    o.name,
                    o.expert,
                    o.org
                ));
                n += 1;
            }
        }
        Ok(format!(
            "{n} openings match their tokens; each pool member's identity and organisation tags are proven under the commit's tag key"
        ))
    })();
    c.result("disclosure", r);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vector(name: &str) -> Vec<u8> {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../tests/vectors")
            .join(name);
        std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
    }

    fn pinned() -> PublicKey {
        PublicKey::parse(std::str::from_utf8(&vector("key.pub")).unwrap()).unwrap()
    }

    #[test]
    fn the_report_lists_every_check_once_in_order() {
        let r = verify_bundle(&vector("accept-plain.json"), Some(&pinned())).unwrap();
        let names: Vec<&str> = r.checks.iter().map(|c| c.name).collect();
        assert_eq!(names, CHECKS);
        assert!(r.ok());
    }

    #[test]
    fn a_v1_bundle_is_refused_as_another_version() {
        let b = String::from_utf8(vector("accept-plain.json"))
            .unwrap()
            .replacen(FORMAT, "fairpanel-bundle/v1", 1);
        let e = verify_bundle(b.as_bytes(), None).unwrap_err();
        assert!(e.0.contains("protocol v1 bundle"), "{e}");
        let b = b.replacen("fairpanel-bundle/v1", "fairpanel-bundle/v9", 1);
        let e = verify_bundle(b.as_bytes(), None).unwrap_err();
        assert!(!e.0.contains("protocol v1 bundle"), "{e}");
    }

    #[test]
    fn without_a_pin_the_key_line_says_it_proves_only_consistency() {
        let r = verify_bundle(&vector("accept-plain.json"), None).unwrap();
        let Some(Outcome::Passed(m)) = r.outcome("key") else {
            panic!("{:?}", r.outcome("key"))
        };
        assert!(
            m.contains("NOT PINNED") && m.contains("not who signed"),
            "{m}"
        );
    }

    #[test]
    fn a_committed_draw_skips_scoring_because_it_is_not_revealed() {
        let r = verify_bundle(&vector("accept-abandoned.json"), Some(&pinned())).unwrap();
        assert!(r.ok());
        for c in &r.checks {
            if let Outcome::Skipped(why) = &c.outcome {
                assert!(
                    !why.contains("an earlier check failed"),
                    "{}: {why}",
                    c.name
                );
            }
        }
    }

    #[test]
    fn report_lines_say_what_the_bundle_holds() {
        let r = verify_bundle(&vector("accept-replacements.json"), Some(&pinned())).unwrap();
        let Some(Outcome::Passed(m)) = r.outcome("replacements") else {
            panic!()
        };
        assert!(m.contains("left unfilled"), "{m}");
        assert!(!m.contains("each replaced"), "{m}");
        let r = verify_bundle(&vector("accept-scored.json"), Some(&pinned())).unwrap();
        assert!(
            r.summary
                .iter()
                .any(|l| l == "state: revealed, then disclosed"),
            "{:?}",
            r.summary
        );
        let r = verify_bundle(&vector("accept-plain.json"), Some(&pinned())).unwrap();
        assert!(
            r.summary
                .iter()
                .any(|l| l == "state: revealed, not disclosed"),
            "{:?}",
            r.summary
        );
    }

    #[test]
    fn the_last_entry_needs_a_proof_even_when_it_is_not_the_draws() {
        // accept-plain's last entry is the reveal; drop its proof.
        let b = String::from_utf8(vector("accept-plain.json")).unwrap();
        let line = b
            .lines()
            .rfind(|l| l.trim_start().starts_with("{\"entry\""))
            .unwrap()
            .to_string();
        let start = line.find(",\"proof\":[").unwrap() + 9;
        let end = start + line[start..].find(']').unwrap() + 1;
        let mut cut = line.clone();
        cut.replace_range(start..end, "null");
        let r = verify_bundle(b.replacen(&line, &cut, 1).as_bytes(), Some(&pinned())).unwrap();
        let f = r.first_failure().unwrap();
        assert_eq!(f.name, "inclusion", "{f}");
        assert!(f.to_string().contains("last entry"), "{f}");
    }
}
