//! Log entries: the records that are hashed, chained, signed and put in the
//! Merkle tree. Each is one JCS object:
//!
//! ```text
//! {"body":{…},"kind":"commit","prev":<hex>,"province":"440000","seq":7,"signer":<key id>,"time":1692806304,"v":1}
//! ```
//! `body`'s fields depend on `kind`; every object refuses unknown fields.

use crate::hash::{Hash32, tag, tagged};
use crate::keys::{KeyId, PublicKey};
use crate::tags::{TagKey, TagProof};
use crate::types::{DrawId, DrawSpec, Province, ReasonCode, Token};
use serde::{Deserialize, Serialize};

/// The protocol version written in every entry.
pub const VERSION: u32 = 1;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    pub body: serde_json::Value,
    pub kind: Kind,
    /// Protocol 1.7: entry hash of the previous entry of the log with the same
    /// `province` (64 zeros for the province's first entry). Present in every
    /// entry with a province written under 1.7; absent (not `null`) in entries
    /// with `province: null` and in entries written before 1.7, so that those
    /// keep their bytes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pprev: Option<Hash32>,
    /// Entry hash of the previous entry; 64 zeros for the first.
    pub prev: Hash32,
    /// The province the entry belongs to; `null` for deployment-wide entries.
    pub province: Option<Province>,
    /// Position in the log, from 0; also the entry's Merkle leaf index.
    pub seq: u64,
    pub signer: KeyId,
    /// Unix seconds, UTC, by the operator's clock.
    pub time: u64,
    pub v: u32,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    RosterChange,
    Commit,
    Entropy,
    Beacon,
    Reveal,
    Decline,
    Void,
    Disclosure,
    KeyRotation,
    ScoringOpen,
    SheetCommit,
    Seal,
    ScreenOverride,
    Recusal,
    SheetReopen,
    Pledge,
    ScoringLock,
    Explanation,
    ScoringUnlock,
    Report,
    Filing,
    Notice,
    NoticeClose,
    Withdrawal,
    KeyRegistration,
}

/// A typed body. [`Body::kind`] gives the entry's `kind`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Body {
    RosterChange(RosterChange),
    Commit(Commit),
    Entropy(Entropy),
    Beacon(Beacon),
    Reveal(Reveal),
    Decline(Decline),
    Void(Void),
    Disclosure(Disclosure),
    KeyRotation(KeyRotation),
    ScoringOpen(ScoringOpen),
    SheetCommit(SheetCommit),
    Seal(Seal),
    ScreenOverride(ScreenOverride),
    Recusal(Recusal),
    SheetReopen(SheetReopen),
    Pledge(Pledge),
    ScoringLock(ScoringLock),
    Explanation(Explanation),
    ScoringUnlock(ScoringUnlock),
    Report(ReportIssued),
    Filing(Filing),
    Notice(Notice),
    NoticeClose(NoticeClose),
    Withdrawal(Withdrawal),
    KeyRegistration(KeyRegistration),
}

/// A change to a province's expert roster. Hashes and counts only: no personal data
/// goes into the public log.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RosterChange {
    /// `import`, `create`, `update`, `suspend`, `reinstate` or `delete`.
    pub action: ReasonCode,
    /// Experts changed by this action.
    pub changed: u64,
    /// `H(roster, snapshot)` of the roster after the change.
    pub roster: Hash32,
    /// Active experts after the change.
    pub size: u64,
}

/// The beacon a commit names, or `null` in beacon-less mode.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BeaconTarget {
    /// drand chain hash; must be quicknet's.
    pub chain: String,
    /// Seconds added to the commit's time before choosing the round; ≥ 30.
    pub margin: u64,
    /// The first quicknet round whose time is ≥ commit time + margin.
    pub round: u64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Exclusion {
    pub reason: ReasonCode,
    pub token: Token,
}

/// Fixes the pool and the rules before any randomness exists.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Commit {
    pub beacon: Option<BeaconTarget>,
    pub draw: DrawId,
    /// Unix seconds after which supervisors' contributions are refused.
    pub entropy_deadline: u64,
    /// Members left out of the pool, with a reason each, sorted by token.
    pub excluded: Vec<Exclusion>,
    pub pool_root: Hash32,
    pub pool_size: u64,
    /// `H(secret, operator secret)`.
    pub secret_commitment: Hash32,
    pub spec: DrawSpec,
    /// A supplementary draw (补抽, protocol 1.2): the earlier draw whose empty
    /// seats this one fills. Absent (not `null`) in an ordinary draw.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub supplements: Option<Supplements>,
    /// Protocol 1.4: every contribution must be signed by a supervisor's
    /// personal key registered in the draw (a key_registration entry before
    /// it). Absent (not `false`) in a draw that does not require it, so that
    /// older commits keep their bytes.
    #[serde(default, skip_serializing_if = "is_false")]
    pub personal_keys: bool,
    /// The draw's public tag key (ristretto255, RFC 9381 ECVRF): the leaves'
    /// organisation and identity tags are VRF outputs under it (protocol 1.1).
    pub tag_key: TagKey,
    /// What the draw is for, in words (e.g. the review round's name).
    pub title: String,
}

/// What a supplementary draw's commit takes over from the earlier draw of its
/// chain (protocol 1.2): the same pool, rules and tags; the members still
/// seated; and everyone the chain has already named, who cannot be drawn again.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Supplements {
    /// Entry hash of the earlier draw's commit.
    pub commit: Hash32,
    /// The earlier draw.
    pub draw: DrawId,
    /// Every token a reveal of the chain so far named (panels and
    /// alternates), sorted, each once: none of them is drawn again.
    pub drawn: Vec<Token>,
    /// The chain's first draw: its id is the one every leaf's tags were made
    /// for, and the one a disclosure's proofs are checked with.
    pub pool_draw: DrawId,
    /// The earlier draw's seated members at this commit, in seat order: they
    /// keep their seats, and this draw fills the rest of the panel.
    pub seated: Vec<Token>,
}

fn is_false(b: &bool) -> bool {
    !*b
}

/// Who holds a personal key (protocol 1.4).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Supervisor,
    Expert,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Supervisor => "supervisor",
            Role::Expert => "expert",
        }
    }
}

/// A person's own Ed25519 key, registered for one draw (protocol 1.4). The
/// person is named by a pseudonymous token: an expert by their pool token in
/// the draw, a supervisor by a token the service derives for the draw (see
/// docs/PROTOCOL.md, "Personal keys"). Its fingerprint is the key id.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KeyRegistration {
    /// Protocol 1.6: a supervisor's signature approving this registration
    /// as the replacement of `replaces` (see [`replacement_message`]).
    /// Absent (not `null`) in a first registration, so that older entries
    /// keep their bytes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub approval: Option<Attestation>,
    pub draw: DrawId,
    pub key: PublicKey,
    pub person: Hash32,
    /// Protocol 1.6: the id of the person's current key, which this
    /// registration replaces (a lost device). Absent in a first registration.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replaces: Option<crate::keys::KeyId>,
    pub role: Role,
}

/// Protocol 1.6: the message a supervisor's personal key signs to approve a
/// replacing key_registration: `"fairpanel/v1/key-replace"`, `0x00`, then the
/// JCS bytes of the registration's body without its `approval`.
pub fn replacement_message(r: &KeyRegistration) -> Vec<u8> {
    let mut m = tag::KEY_REPLACE.as_bytes().to_vec();
    m.push(0);
    m.extend_from_slice(&crate::jcs::encode(&KeyRegistration {
        approval: None,
        ..r.clone()
    }));
    m
}

/// Protocol 1.6: `r` approved as a replacement by the supervisor key `key`.
pub fn approve_replacement(r: &mut KeyRegistration, key: &crate::keys::SecretKey) {
    use base64::Engine as _;
    let sig = key.sign(&replacement_message(r));
    r.approval = Some(Attestation {
        key: key.public(),
        sig: base64::engine::general_purpose::STANDARD.encode(sig),
    });
}

/// A supervisor's signature over a contribution with their own key.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Attestation {
    pub key: PublicKey,
    /// Base64 Ed25519 signature over `"fairpanel/v1/attest" || 0x00 || commit hash || value`.
    pub sig: String,
}

/// A supervisor's entropy contribution.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entropy {
    pub attestation: Option<Attestation>,
    /// Entry hash of the draw's commit.
    pub commit: Hash32,
    pub draw: DrawId,
    /// Who contributed (an account name or role, never a secret).
    pub supervisor: String,
    /// 32 bytes the supervisor chose.
    pub value: Hash32,
}

/// The message a supervisor's own key signs.
pub fn attestation_message(commit: &Hash32, value: &Hash32) -> Vec<u8> {
    let mut m = tag::ATTEST.as_bytes().to_vec();
    m.push(0);
    m.extend_from_slice(&commit.0);
    m.extend_from_slice(&value.0);
    m
}

/// Protocol 1.5: the message a scorer's personal key signs for a
/// sheet_commit, recusal or pledge entry: the kind's own tag
/// (`fairpanel/v1/sheet-sig`, `fairpanel/v1/recusal-sig`,
/// `fairpanel/v1/pledge-sig`), `0x00`, then the JCS bytes of the entry's body
/// without its `signature`. `None` for the other kinds.
pub fn scorer_message(body: &Body) -> Option<Vec<u8>> {
    let (t, bytes) = match body {
        Body::SheetCommit(x) => (
            tag::SHEET_SIG,
            crate::jcs::encode(&SheetCommit {
                signature: None,
                ..x.clone()
            }),
        ),
        Body::Recusal(x) => (
            tag::RECUSAL_SIG,
            crate::jcs::encode(&Recusal {
                signature: None,
                ..x.clone()
            }),
        ),
        Body::Pledge(x) => (
            tag::PLEDGE_SIG,
            crate::jcs::encode(&Pledge {
                signature: None,
                ..x.clone()
            }),
        ),
        _ => return None,
    };
    let mut m = t.as_bytes().to_vec();
    m.push(0);
    m.extend_from_slice(&bytes);
    Some(m)
}

/// Protocol 1.5: the scorer's token and signature of a sheet_commit, recusal
/// or pledge entry; `None` for the other kinds.
pub fn scorer_signature(body: &Body) -> Option<(Token, Option<&Attestation>)> {
    match body {
        Body::SheetCommit(x) => Some((x.scorer, x.signature.as_ref())),
        Body::Recusal(x) => Some((x.scorer, x.signature.as_ref())),
        Body::Pledge(x) => Some((x.scorer, x.signature.as_ref())),
        _ => None,
    }
}

/// Protocol 1.5: `body` (a sheet_commit, recusal or pledge) signed by the
/// scorer's personal key `key` (the service and the vectors; a browser makes
/// the same signature with WebCrypto).
pub fn sign_as_scorer(body: &mut Body, key: &crate::keys::SecretKey) {
    use base64::Engine as _;
    let Some(m) = scorer_message(body) else {
        return;
    };
    let a = Attestation {
        key: key.public(),
        sig: base64::engine::general_purpose::STANDARD.encode(key.sign(&m)),
    };
    set_scorer_signature(body, Some(a));
}

/// Sets (or removes) a sheet_commit's, recusal's or pledge's signature.
pub fn set_scorer_signature(body: &mut Body, a: Option<Attestation>) {
    match body {
        Body::SheetCommit(x) => x.signature = a,
        Body::Recusal(x) => x.signature = a,
        Body::Pledge(x) => x.signature = a,
        _ => {}
    }
}

/// The 126-byte message the new key of a rotation signs:
/// `"fairpanel/v1/rotation" || 0x00 || u64be(seq) || prev || old_key || new_key`,
/// with `seq` and `prev` those of the rotation entry itself (so the signature
/// fixes the whole log before the rotation) and the keys as raw 32 bytes.
pub fn rotation_message(
    seq: u64,
    prev: &Hash32,
    old_key: &PublicKey,
    new_key: &PublicKey,
) -> Vec<u8> {
    let mut m = tag::ROTATION.as_bytes().to_vec();
    m.push(0);
    m.extend_from_slice(&seq.to_be_bytes());
    m.extend_from_slice(&prev.0);
    m.extend_from_slice(&old_key.to_bytes());
    m.extend_from_slice(&new_key.to_bytes());
    m
}

/// The drand round as published.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Beacon {
    pub chain: String,
    pub draw: DrawId,
    /// `SHA-256(signature)`, as drand publishes it.
    pub randomness: Hash32,
    pub round: u64,
    /// 48-byte compressed G1 point, hex.
    pub signature: String,
}

/// Opens the secret and states the result.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Reveal {
    pub alternates: Vec<Token>,
    /// Entry hash of the beacon entry; `null` in beacon-less mode.
    pub beacon: Option<Hash32>,
    pub commit: Hash32,
    pub draw: DrawId,
    /// Entry hashes of the draw's entropy entries, in log order (their `value`s,
    /// in this order, enter the seed).
    pub entropy: Vec<Hash32>,
    /// Panel tokens in seat order.
    pub panel: Vec<Token>,
    /// The operator's 32-byte secret.
    pub secret: Hash32,
    pub seed: Hash32,
}

/// A panel member declined; the seat goes to `replacement` by the rule.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Decline {
    pub draw: DrawId,
    pub reason: ReasonCode,
    /// The alternate who takes the seat; `null` when the alternates are exhausted
    /// and a new draw is needed.
    pub replacement: Option<Token>,
    pub token: Token,
}

/// Marks a draw void. It never hides the draw: the commit stays in the log.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Void {
    pub commit: Hash32,
    pub draw: DrawId,
    pub reason: String,
}

/// One opened commitment.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Opening {
    /// The organisation's unified social credit code; `""` when unknown.
    pub code: String,
    pub expert: String,
    /// The VRF proof of the leaf's identity tag; `null` for an excluded member
    /// (who has no leaf).
    pub id_proof: Option<TagProof>,
    pub name: String,
    pub org: String,
    /// The VRF proof of the leaf's organisation tag; `null` for an excluded member.
    pub org_proof: Option<TagProof>,
    pub salt: Hash32,
    pub token: Token,
}

/// Publishes who the tokens are, after the review.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Disclosure {
    pub draw: DrawId,
    /// Sorted by token.
    pub members: Vec<Opening>,
}

/// Scoring of a review round opens: the rubric (by hash) and the panel's draw
/// are fixed before any sheet exists.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScoringOpen {
    /// Recommendations already used this year, counted against the quota;
    /// fixed here, before any score (protocol 1.1).
    pub already_recommended: u32,
    /// The references of the applications to be scored, sorted (by bytes),
    /// each once (protocol 1.1; a screen_override of the round after this
    /// entry adds one).
    pub applications: Vec<String>,
    /// The draw whose panel scores.
    pub draw: DrawId,
    /// The year's quota of recommendations; fixed here, before any score.
    pub quota: u32,
    /// The abnormal-total threshold in points, a two-decimal string from
    /// `"0.01"` to `"100.00"` (protocol 1.2). Its presence makes the round a
    /// locked one: the seal must follow a scoring_lock. Absent in older
    /// entries, whose threshold is 15 points.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub abnormal_points: Option<String>,
    /// The tagged hash of the rubric's canonical bytes.
    pub rubric: Hash32,
    /// The review round, `{province}-{year}-r{n}` (the format of draw ids).
    pub round: DrawId,
    /// The applications' materials the experts see, by hash, sorted by
    /// (application, sha256), each once; absent when there are none (and in
    /// entries written before materials existed, whose bytes stay as they were).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub materials: Vec<Material>,
    /// `H(pledge, text)` of the pledge (承诺书) every panel member confirms
    /// before their first sheet; when present, a sheet_commit of a scorer
    /// without an earlier pledge entry of the round is refused. Absent in
    /// entries written before pledges existed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pledge: Option<Hash32>,
}

/// One material of an application as scoring_open fixes it. Its file name is
/// not in the public log (it may name people); the bytes stay with the
/// service, the log fixes their SHA-256.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Material {
    pub application: String,
    /// `application/pdf`, `image/png`, `image/jpeg` or
    /// `application/vnd.openxmlformats-officedocument.spreadsheetml.sheet`.
    pub media_type: String,
    /// Plain SHA-256 of the file's bytes (not a tagged hash: anyone holding
    /// the file checks it with any SHA-256 tool).
    pub sha256: Hash32,
}

impl Material {
    /// The order of scoring_open's `materials`: by application, then hash.
    pub fn order_key(&self) -> (&str, Hash32) {
        (&self.application, self.sha256)
    }
}

/// The media types a material may have.
pub const MATERIAL_TYPES: &[&str] = &[
    "application/pdf",
    "image/png",
    "image/jpeg",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
];

/// A submitted score sheet, by hash only: the sheet stays private until the
/// round's results are disclosed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SheetCommit {
    /// The application's reference number.
    pub application: String,
    pub round: DrawId,
    /// The scorer's token in the panel's draw.
    pub scorer: Token,
    /// `H("fairpanel/v1/sheet", sheet bytes)`.
    pub sheet: Hash32,
    /// Protocol 1.5: the scorer's signature with their registered personal
    /// key over [`scorer_message`]. Absent (not `null`) when unsigned, so
    /// that older entries keep their bytes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signature: Option<Attestation>,
}

/// One application's result as sealed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SealedResult {
    pub application: String,
    /// Two decimals, as a string.
    pub final_score: String,
    pub rank: u32,
    pub recommended: bool,
    /// How many sheets were aggregated.
    pub sheets: u32,
}

/// The round is closed: every sheet (by hash), the aggregation rule and the
/// result are fixed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Seal {
    /// Projects already recommended this year, counted against the quota.
    pub already_recommended: u32,
    pub quota: u32,
    pub results: Vec<SealedResult>,
    pub round: DrawId,
    pub rubric: Hash32,
    /// The aggregation rule, e.g. `trimmed_mean_v1`.
    pub rule: String,
    /// The hashes of every sheet aggregated, sorted.
    pub sheets: Vec<Hash32>,
}

/// A coordinator has an application that failed the eligibility screen scored
/// anyway, for the reason given.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScreenOverride {
    pub application: String,
    pub reason: String,
    pub round: DrawId,
}

/// A panel member declares a conflict with one application and does not score
/// it (protocol 1.1). The reason stays with the service: it may name people,
/// and the log is public.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Recusal {
    pub application: String,
    pub round: DrawId,
    /// The member's token in the panel's draw.
    pub scorer: Token,
    /// Protocol 1.5: the member's signature, as a sheet_commit's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signature: Option<Attestation>,
}

/// A coordinator reopens a submitted sheet (protocol 1.1): it no longer counts
/// until its scorer submits again (a new sheet_commit). The reason stays with
/// the service, as for a recusal.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SheetReopen {
    pub application: String,
    pub round: DrawId,
    pub scorer: Token,
    /// The hash of the sheet reopened: the `sheet` of the scorer's last
    /// sheet_commit for the application.
    pub sheet: Hash32,
}

/// A panel member confirms the round's pledge (承诺书: confidentiality, and no
/// conflict with the applicants beyond those they declare as recusals) before
/// their first sheet.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Pledge {
    pub round: DrawId,
    /// The member's token in the panel's draw.
    pub scorer: Token,
    /// `H(pledge, text)`: the `pledge` scoring_open fixed.
    pub text: Hash32,
    /// Protocol 1.5: the member's signature, as a sheet_commit's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signature: Option<Attestation>,
}

/// Every sheet of the round is in (protocol 1.2): each (application, seated
/// member) pair has a live sheet or a recusal. From here until a
/// scoring_unlock no sheet is committed, reopened or recused, no screen is
/// overridden and nobody on the panel declines; only the results are read.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScoringLock {
    /// The live sheets whose total is abnormal (by the scoring_open's
    /// threshold, against all the other sheets of the application) and
    /// which carry no explanation: their scorers are asked for one. Sorted,
    /// no repeats.
    pub explain: Vec<Hash32>,
    pub round: DrawId,
    /// Every live sheet of a seated member, sorted, no repeats.
    pub sheets: Vec<Hash32>,
}

/// A scorer explains an abnormal total the lock asked about (protocol 1.2).
/// The explanation's text is published with the sheets, by its record.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Explanation {
    pub application: String,
    /// `H("fairpanel/v1/explanation", explanation record bytes)`.
    pub explanation: Hash32,
    pub round: DrawId,
    pub scorer: Token,
    /// The explained sheet: one of the lock's `explain`.
    pub sheet: Hash32,
}

/// A coordinator unlocks the round's sheets after they were locked
/// (protocol 1.2), so a sheet can be reopened or a member replaced; the
/// reason stays with the service. The results are hidden again until the
/// next scoring_lock.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScoringUnlock {
    pub round: DrawId,
}

/// A round's review report (评审报告) is issued (protocol 1.3): the log fixes
/// the report document by hash, so a filed copy can be checked against it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReportIssued {
    pub round: DrawId,
    /// Plain SHA-256 of the report document's JCS bytes (the report file
    /// without its `evidence` member; see `report::document_hash`).
    pub sha256: Hash32,
}

/// A round's filing package (备案) is recorded (protocol 1.3).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Filing {
    /// True when the entry's date (Beijing time) is after 31 October of the
    /// round's year.
    pub late: bool,
    /// Plain SHA-256 of the package's `manifest.json` bytes.
    pub manifest: Hash32,
    pub round: DrawId,
}

/// The province publishes the round's notice (公示) of its sealed results
/// (protocol 1.3). The text itself is published with the notice; the log fixes
/// its SHA-256, so a changed notice is detectable.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Notice {
    /// The period's last day, `YYYY-MM-DD` (Beijing time): the start counted
    /// on by `working_days` working days of the national calendar.
    pub end: String,
    /// How many projects the notice lists (at least one, at most the seal's
    /// results).
    pub items: u32,
    pub round: DrawId,
    /// The period's first day, `YYYY-MM-DD`.
    pub start: String,
    /// Plain SHA-256 of the notice text's canonical bytes (UTF-8, LF line
    /// ends, no trailing white space on a line, one final LF): anyone holding
    /// the published text checks it with any SHA-256 tool.
    pub text: Hash32,
    /// The period's length in working days (at least 1).
    pub working_days: u32,
}

/// The notice period is over and every objection handled (protocol 1.3):
/// counts only, never who objected.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NoticeClose {
    /// Entry hash of the notice closed.
    pub notice: Hash32,
    /// Objections received during the notice.
    pub objections: u32,
    /// Objections rejected.
    pub rejected: u32,
    pub round: DrawId,
    /// Objections upheld; `upheld + rejected = objections`.
    pub upheld: u32,
}

/// A recommended project of the round's seal is withdrawn (protocol 1.3),
/// usually because an objection to it was upheld: it no longer counts
/// against the province's yearly limit.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Withdrawal {
    /// The application's reference number: a recommended one of the seal.
    pub application: String,
    /// The reference number of the upheld objection, or `null`.
    pub objection: Option<String>,
    /// Why, in words without personal data.
    pub reason: String,
    pub round: DrawId,
}

/// Hands signing to a new key; signed by the old one (the entry's signature) and
/// by the new one (`new_key_sig`, over [`rotation_message`]).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KeyRotation {
    pub new_key: PublicKey,
    pub new_key_id: crate::keys::KeyId,
    /// Base64 Ed25519 signature by `new_key` over [`rotation_message`]: the new
    /// key accepts the old one as its predecessor at this place in the log.
    pub new_key_sig: String,
    /// The key being retired, which signs this entry.
    pub old_key: PublicKey,
    pub reason: String,
}

impl Body {
    pub fn kind(&self) -> Kind {
        match self {
            Body::RosterChange(_) => Kind::RosterChange,
            Body::Commit(_) => Kind::Commit,
            Body::Entropy(_) => Kind::Entropy,
            Body::Beacon(_) => Kind::Beacon,
            Body::Reveal(_) => Kind::Reveal,
            Body::Decline(_) => Kind::Decline,
            Body::Void(_) => Kind::Void,
            Body::Disclosure(_) => Kind::Disclosure,
            Body::KeyRotation(_) => Kind::KeyRotation,
            Body::ScoringOpen(_) => Kind::ScoringOpen,
            Body::SheetCommit(_) => Kind::SheetCommit,
            Body::Seal(_) => Kind::Seal,
            Body::ScreenOverride(_) => Kind::ScreenOverride,
            Body::Recusal(_) => Kind::Recusal,
            Body::SheetReopen(_) => Kind::SheetReopen,
            Body::Pledge(_) => Kind::Pledge,
            Body::ScoringLock(_) => Kind::ScoringLock,
            Body::Explanation(_) => Kind::Explanation,
            Body::ScoringUnlock(_) => Kind::ScoringUnlock,
            Body::Report(_) => Kind::Report,
            Body::Filing(_) => Kind::Filing,
            Body::Notice(_) => Kind::Notice,
            Body::NoticeClose(_) => Kind::NoticeClose,
            Body::Withdrawal(_) => Kind::Withdrawal,
            Body::KeyRegistration(_) => Kind::KeyRegistration,
        }
    }

    pub fn to_value(&self) -> serde_json::Value {
        let v = match self {
            Body::RosterChange(b) => serde_json::to_value(b),
            Body::Commit(b) => serde_json::to_value(b),
            Body::Entropy(b) => serde_json::to_value(b),
            Body::Beacon(b) => serde_json::to_value(b),
            Body::Reveal(b) => serde_json::to_value(b),
            Body::Decline(b) => serde_json::to_value(b),
            Body::Void(b) => serde_json::to_value(b),
            Body::Disclosure(b) => serde_json::to_value(b),
            Body::KeyRotation(b) => serde_json::to_value(b),
            Body::ScoringOpen(b) => serde_json::to_value(b),
            Body::SheetCommit(b) => serde_json::to_value(b),
            Body::Seal(b) => serde_json::to_value(b),
            Body::ScreenOverride(b) => serde_json::to_value(b),
            Body::Recusal(b) => serde_json::to_value(b),
            Body::SheetReopen(b) => serde_json::to_value(b),
            Body::Pledge(b) => serde_json::to_value(b),
            Body::ScoringLock(b) => serde_json::to_value(b),
            Body::Explanation(b) => serde_json::to_value(b),
            Body::ScoringUnlock(b) => serde_json::to_value(b),
            Body::Report(b) => serde_json::to_value(b),
            Body::Filing(b) => serde_json::to_value(b),
            Body::Notice(b) => serde_json::to_value(b),
            Body::NoticeClose(b) => serde_json::to_value(b),
            Body::Withdrawal(b) => serde_json::to_value(b),
            Body::KeyRegistration(b) => serde_json::to_value(b),
        };
        v.expect("bodies always serialize")
    }

    pub fn parse(kind: Kind, v: &serde_json::Value) -> Result<Body, String> {
        fn p<T: serde::de::DeserializeOwned>(v: &serde_json::Value) -> Result<T, String> {
            T::deserialize(v).map_err(|e| e.to_string())
        }
        Ok(match kind {
            Kind::RosterChange => Body::RosterChange(p(v)?),
            Kind::Commit => Body::Commit(p(v)?),
            Kind::Entropy => Body::Entropy(p(v)?),
            Kind::Beacon => Body::Beacon(p(v)?),
            Kind::Reveal => Body::Reveal(p(v)?),
            Kind::Decline => Body::Decline(p(v)?),
            Kind::Void => Body::Void(p(v)?),
            Kind::Disclosure => Body::Disclosure(p(v)?),
            Kind::KeyRotation => Body::KeyRotation(p(v)?),
            Kind::ScoringOpen => Body::ScoringOpen(p(v)?),
            Kind::SheetCommit => Body::SheetCommit(p(v)?),
            Kind::Seal => Body::Seal(p(v)?),
            Kind::ScreenOverride => Body::ScreenOverride(p(v)?),
            Kind::Recusal => Body::Recusal(p(v)?),
            Kind::SheetReopen => Body::SheetReopen(p(v)?),
            Kind::Pledge => Body::Pledge(p(v)?),
            Kind::ScoringLock => Body::ScoringLock(p(v)?),
            Kind::Explanation => Body::Explanation(p(v)?),
            Kind::ScoringUnlock => Body::ScoringUnlock(p(v)?),
            Kind::Report => Body::Report(p(v)?),
            Kind::Filing => Body::Filing(p(v)?),
            Kind::Notice => Body::Notice(p(v)?),
            Kind::NoticeClose => Body::NoticeClose(p(v)?),
            Kind::Withdrawal => Body::Withdrawal(p(v)?),
            Kind::KeyRegistration => Body::KeyRegistration(p(v)?),
        })
    }

    /// The draw this entry belongs to, if any.
    /// The review round an entry belongs to (its `round` id), if any.
    pub fn round(&self) -> Option<&DrawId> {
        match self {
            Body::ScoringOpen(b) => Some(&b.round),
            Body::SheetCommit(b) => Some(&b.round),
            Body::Seal(b) => Some(&b.round),
            Body::ScreenOverride(b) => Some(&b.round),
            Body::Recusal(b) => Some(&b.round),
            Body::SheetReopen(b) => Some(&b.round),
            Body::Pledge(b) => Some(&b.round),
            Body::ScoringLock(b) => Some(&b.round),
            Body::Explanation(b) => Some(&b.round),
            Body::ScoringUnlock(b) => Some(&b.round),
            Body::Report(b) => Some(&b.round),
            Body::Filing(b) => Some(&b.round),
            Body::Notice(b) => Some(&b.round),
            Body::NoticeClose(b) => Some(&b.round),
            Body::Withdrawal(b) => Some(&b.round),
            Body::RosterChange(_)
            | Body::Commit(_)
            | Body::Entropy(_)
            | Body::Beacon(_)
            | Body::Reveal(_)
            | Body::Decline(_)
            | Body::Void(_)
            | Body::Disclosure(_)
            | Body::KeyRotation(_)
            | Body::KeyRegistration(_) => None,
        }
    }

    pub fn draw(&self) -> Option<&DrawId> {
        match self {
            Body::Commit(b) => Some(&b.draw),
            Body::Entropy(b) => Some(&b.draw),
            Body::Beacon(b) => Some(&b.draw),
            Body::Reveal(b) => Some(&b.draw),
            Body::Decline(b) => Some(&b.draw),
            Body::Void(b) => Some(&b.draw),
            Body::Disclosure(b) => Some(&b.draw),
            Body::KeyRegistration(b) => Some(&b.draw),
            // Scoring entries belong to a round, not to a draw: a draw's bundle
            // carries them only as links of the chain.
            Body::RosterChange(_)
            | Body::KeyRotation(_)
            | Body::ScoringOpen(_)
            | Body::SheetCommit(_)
            | Body::Seal(_)
            | Body::ScreenOverride(_)
            | Body::Recusal(_)
            | Body::SheetReopen(_)
            | Body::Pledge(_) => None,
            Body::ScoringLock(_) | Body::Explanation(_) | Body::ScoringUnlock(_) => None,
            Body::Report(_) | Body::Filing(_) => None,
            Body::Notice(_) | Body::NoticeClose(_) | Body::Withdrawal(_) => None,
        }
    }
}

/// An entry parsed from its exact bytes, with its body typed.
#[derive(Clone, Debug)]
pub struct Parsed {
    pub entry: Entry,
    pub body: Body,
    /// `H(entry, bytes)`.
    pub hash: Hash32,
}

/// The entry hash: `H(entry, exact bytes)`.
pub fn entry_hash(bytes: &[u8]) -> Hash32 {
    tagged(tag::ENTRY, &[bytes])
}

/// Parses an entry's exact bytes: canonical JSON, known version, a body that
/// matches its kind.
pub fn parse(bytes: &[u8]) -> Result<Parsed, String> {
    let entry: Entry = crate::jcs::parse(bytes)?;
    if entry.v != VERSION {
        return Err(format!("entry version {} is not {VERSION}", entry.v));
    }
    if entry.province.is_none() && entry.pprev.is_some() {
        return Err(format!(
            "entry {} has no province but a pprev: only entries with a province carry one",
            entry.seq
        ));
    }
    let body = Body::parse(entry.kind, &entry.body)
        .map_err(|e| format!("entry {} ({:?}) body: {e}", entry.seq, entry.kind))?;
    // One spelling per content: the typed entry, encoded again, must give the same
    // bytes. This refuses what JSON-level canonical form lets through, such as an
    // absent field read as null or a key with white space around it.
    let again = encode(
        entry.seq,
        entry.time,
        entry.province.as_ref(),
        entry.prev,
        entry.pprev,
        entry.signer,
        &body,
    );
    if again != bytes {
        return Err(format!(
            "entry {} is not in its one canonical form (a field is missing or spelled otherwise)",
            entry.seq
        ));
    }
    Ok(Parsed {
        hash: entry_hash(bytes),
        entry,
        body,
    })
}

/// Makes an entry's canonical bytes. `pprev` (protocol 1.7) is `Some` for
/// every new entry with a province, `None` for one without (and for entries
/// written before 1.7).
pub fn encode(
    seq: u64,
    time: u64,
    province: Option<&Province>,
    prev: Hash32,
    pprev: Option<Hash32>,
    signer: KeyId,
    body: &Body,
) -> Vec<u8> {
    crate::jcs::encode(&Entry {
        body: body.to_value(),
        kind: body.kind(),
        pprev,
        prev,
        province: province.cloned(),
        seq,
        signer,
        time,
        v: VERSION,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn void() -> Body {
        Body::Void(Void {
            commit: Hash32([1; 32]),
            draw: DrawId::try_from("d1").unwrap(),
            reason: "录入错误".into(),
        })
    }

    #[test]
    fn entries_round_trip() {
        let p = Province::try_from("440000").unwrap();
        let b = encode(3, 100, Some(&p), Hash32::ZERO, None, KeyId([7; 8]), &void());
        let parsed = parse(&b).unwrap();
        assert_eq!(parsed.body, void());
        assert_eq!(parsed.entry.seq, 3);
        assert_eq!(parsed.hash, entry_hash(&b));
        assert!(
            String::from_utf8(b)
                .unwrap()
                .starts_with("{\"body\":{\"commit\":")
        );
    }

    #[test]
    fn pprev_is_absent_unless_given_and_only_with_a_province() {
        let p = Province::try_from("440000").unwrap();
        let old = encode(3, 100, Some(&p), Hash32::ZERO, None, KeyId([7; 8]), &void());
        let s = String::from_utf8(old.clone()).unwrap();
        assert!(!s.contains("pprev"), "{s}");
        assert!(parse(&old).unwrap().entry.pprev.is_none());
        let new = encode(
            3,
            100,
            Some(&p),
            Hash32::ZERO,
            Some(Hash32([5; 32])),
            KeyId([7; 8]),
            &void(),
        );
        let s = String::from_utf8(new.clone()).unwrap();
        // JCS order: "pprev" sorts before "prev".
        assert!(
            s.contains(&format!("\"pprev\":\"{}\",\"prev\":", "05".repeat(32))),
            "{s}"
        );
        assert_eq!(parse(&new).unwrap().entry.pprev, Some(Hash32([5; 32])));
        // `null` is a second spelling of its absence: refused.
        let spelled = String::from_utf8(old)
            .unwrap()
            .replace("\"prev\":", "\"pprev\":null,\"prev\":");
        assert!(parse(spelled.as_bytes()).unwrap_err().contains("canonical"));
        // An entry without a province carries none.
        let none = encode(
            3,
            100,
            None,
            Hash32::ZERO,
            Some(Hash32::ZERO),
            KeyId([7; 8]),
            &void(),
        );
        assert!(parse(&none).unwrap_err().contains("pprev"));
    }

    #[test]
    fn a_body_of_the_wrong_kind_is_refused() {
        let b = encode(0, 1, None, Hash32::ZERO, None, KeyId([7; 8]), &void());
        let s = String::from_utf8(b)
            .unwrap()
            .replace("\"kind\":\"void\"", "\"kind\":\"beacon\"");
        assert!(parse(s.as_bytes()).unwrap_err().contains("body"));
    }

    #[test]
    fn unknown_versions_and_fields_are_refused() {
        let b = encode(0, 1, None, Hash32::ZERO, None, KeyId([7; 8]), &void());
        let s = String::from_utf8(b).unwrap();
        assert!(parse(s.replace("\"v\":1", "\"v\":2").as_bytes()).is_err());
        let extra = s.replace("\"v\":1}", "\"v\":1,\"w\":1}");
        assert!(parse(extra.as_bytes()).is_err());
    }

    #[test]
    fn scoring_open_without_materials_or_pledge_keeps_its_old_bytes() {
        let open = Body::ScoringOpen(ScoringOpen {
            abnormal_points: None,
            already_recommended: 0,
            applications: vec!["A1".into()],
            draw: DrawId::try_from("d1").unwrap(),
            quota: 5,
            rubric: Hash32([2; 32]),
            round: DrawId::try_from("gd-2023-r1").unwrap(),
            materials: vec![],
            pledge: None,
        });
        let s = String::from_utf8(encode(0, 1, None, Hash32::ZERO, None, KeyId([7; 8]), &open))
            .unwrap();
        assert!(!s.contains("materials") && !s.contains("pledge"), "{s}");
        assert!(parse(s.as_bytes()).is_ok());
        // Spelling the absent fields out is another spelling, so refused.
        for extra in ["\"materials\":[],", "\"pledge\":null,"] {
            let spelled = s.replace("\"quota\":", &format!("{extra}\"quota\":"));
            assert!(
                parse(spelled.as_bytes()).unwrap_err().contains("canonical"),
                "{spelled}"
            );
        }
    }
}
