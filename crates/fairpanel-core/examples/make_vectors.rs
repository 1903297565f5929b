//! Writes the protocol test vectors: `cargo run -p fairpanel-core --example
//! make-vectors -- tests/vectors` (from the repository root).
//!
//! Everything is deterministic: keys, salts and secrets come from fixed seeds, and
//! the beacon is the recorded drand quicknet round 1000. The test
//! `tests/vectors.rs` regenerates the files in memory and checks they equal the
//! committed ones, then verifies each against what `index.json` says it expects.

use base64::Engine;
use fairpanel_core::beacon;
use fairpanel_core::draw::{self, Candidate};
use fairpanel_core::entry::{self, Body};
use fairpanel_core::hash::{Hash32, sha256};
use fairpanel_core::keys::SecretKey;
use fairpanel_core::ledger::Ledger;
use fairpanel_core::report;
use fairpanel_core::sampler::{self, Stream};
use fairpanel_core::scoring;
use fairpanel_core::script::{BeaconPlan, Commitment, ScriptedDraw};
use fairpanel_core::types::{DrawId, DrawSpec, Province, Quota, ReasonCode, Specialty, Token};
use std::collections::BTreeMap;

pub const ORIGIN: &str = "fairpanel.example/vectors";
/// The vectors' log key: a fixed seed, for tests only.
pub const LOG_KEY_SEED: [u8; 32] = [0x11; 32];
pub const ROUND: u64 = 1000;
pub const ROUND_SIG: &str = "b44679b9a59af2ec876b1a6b1ad52ea9b1615fc3982b19576350f93447cb1125e342b73a8dd2bacbe47e4b6b63ed5e39";
/// Commit time for which round 1000 is the target with a 60 s margin.
pub const COMMIT_TIME: u64 = 1_692_806_304;
pub const MARGIN: u64 = 60;

fn spec_code(s: &str) -> Specialty {
    Specialty::try_from(s).unwrap()
}

fn reason(s: &str) -> ReasonCode {
    ReasonCode::try_from(s).unwrap()
}

/// A candidate list: `(expert, name, org, specialty)`.
fn roster(rows: &[(&str, &str, &str, &str)]) -> Vec<Candidate> {
    rows.iter()
        .map(|(e, n, o, s)| Candidate {
            expert: e.to_string(),
            name: n.to_string(),
            org: o.to_string(),
            code: String::new(),
            spec: spec_code(s),
            excluded: None,
        })
        .collect()
}

const SURNAMES: &[&str] = &[
    "王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙",
];
const GIVEN: &[&str] = &[
    "伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "涛",
];
const SPECS: &[&str] = &[
    "adv_manufacturing",
    "nursing",
    "elderly_care",
    "childcare",
    "domestic_services",
];

/// `n` synthetic experts over `orgs` organisations and the first `specs` specialties.
fn synthetic(n: usize, orgs: usize, specs: usize) -> Vec<Candidate> {
    (0..n)
        .map(|i| Candidate {
            expert: format!("E{:04}", i + 1),
            name: format!(
                "{}{}",
                SURNAMES[i % SURNAMES.len()],
                GIVEN[(i / 3) % GIVEN.len()]
            ),
            org: format!("第{}单位", i % orgs),
            code: format!("91440000MA{:08}", i % orgs),
            spec: spec_code(SPECS[(i * 7 / 3) % specs]),
            excluded: None,
        })
        .collect()
}

fn plain_spec(panel: u32, alternates: u32) -> DrawSpec {
    DrawSpec {
        panel,
        alternates,
        org_cap: None,
        quotas: vec![],
    }
}

/// One draw in a fresh log of its own.
pub struct Run {
    pub l: Ledger,
    pub d: ScriptedDraw,
}

pub struct Opts {
    pub beacon: bool,
    pub commit_time: u64,
    /// Stated target round; `None` for the rule's round.
    pub round_override: Option<u64>,
    /// Protocol 1.4: the commit requires registered personal keys.
    pub personal_keys: bool,
    /// Protocol 1.7: entries carry `pprev` (off: a log written before 1.7,
    /// whose bundles are in the v1.1 format).
    pub pprev: bool,
}

impl Default for Opts {
    fn default() -> Self {
        Opts {
            beacon: true,
            commit_time: COMMIT_TIME,
            round_override: None,
            personal_keys: false,
            pprev: true,
        }
    }
}

impl Run {
    /// A fresh log: one roster change, then the draw's commit.
    pub fn commit(name: &str, spec: DrawSpec, cands: &[Candidate], o: Opts) -> Run {
        Run::commit_with_key(name, spec, cands, o, SecretKey::from_seed(&LOG_KEY_SEED))
    }

    /// [`Run::commit`] in a log signed by `key`.
    pub fn commit_with_key(
        name: &str,
        spec: DrawSpec,
        cands: &[Candidate],
        o: Opts,
        key: SecretKey,
    ) -> Run {
        Run::commit_tampered(name, spec, cands, o, key, |_| {})
    }

    /// [`Run::commit_with_key`] with the prepared pool changed by `tamper`
    /// before the commit (a dishonest operator's pool).
    pub fn commit_tampered(
        name: &str,
        spec: DrawSpec,
        cands: &[Candidate],
        o: Opts,
        key: SecretKey,
        tamper: impl FnOnce(&mut draw::PreparedPool),
    ) -> Run {
        let mut l = Ledger::new(ORIGIN, key);
        l.set_pprev(o.pprev);
        let prov = Province::try_from("440000").unwrap();
        l.append(
            o.commit_time - 3600,
            Some(&prov),
            Body::RosterChange(entry::RosterChange {
                action: reason("import"),
                changed: cands.len() as u64,
                roster: fairpanel_core::hash::tagged(
                    fairpanel_core::hash::tag::ROSTER,
                    &[name.as_bytes()],
                ),
                size: cands.len() as u64,
            }),
        );
        let beacon = match (o.beacon, o.round_override) {
            (false, _) => BeaconPlan::None,
            (true, None) => BeaconPlan::Margin(MARGIN),
            (true, Some(round)) => BeaconPlan::Stated {
                margin: MARGIN,
                round,
            },
        };
        let d = ScriptedDraw::commit_with_pool(
            &mut l,
            sha256(format!("fairpanel vectors {name}").as_bytes()).0,
            Commitment {
                province: prov,
                draw: DrawId::try_from(format!("gd-2023-{name}")).unwrap(),
                title: "2023年广东省国家级高技能人才培训基地项目评审专家抽取",
                spec,
                candidates: cands,
                time: o.commit_time,
                beacon,
                entropy_window: 50,
                personal_keys: o.personal_keys,
            },
            tamper,
        )
        .expect("vector draws are feasible");
        Run { l, d }
    }

    pub fn entropy(&mut self, who: &str, dt: u64, attest: Option<&SecretKey>) {
        let t = self.d.commit_time + dt;
        self.d.entropy(&mut self.l, t, who, attest);
    }

    pub fn beacon_with(&mut self, sig_hex: &str) {
        self.d
            .beacon(&mut self.l, beacon::round_time(ROUND) + 6, ROUND, sig_hex);
    }

    pub fn beacon(&mut self) {
        self.beacon_with(ROUND_SIG)
    }

    pub fn reveal(&mut self, tamper: impl FnOnce(&mut entry::Reveal)) {
        self.d
            .reveal(&mut self.l, beacon::round_time(ROUND) + 20, tamper);
    }

    pub fn decline(
        &mut self,
        seat: usize,
        dt: u64,
        tamper: impl FnOnce(&mut entry::Decline),
    ) -> Option<Token> {
        let t = self.d.commit_time + dt;
        self.d
            .decline(&mut self.l, t, seat, reason("unavailable"), tamper)
    }

    pub fn disclose(&mut self, dt: u64) {
        let t = self.d.commit_time + dt;
        self.d.disclose(&mut self.l, t);
    }

    pub fn void(&mut self, dt: u64, why: &str) {
        let t = self.d.commit_time + dt;
        self.d.void(&mut self.l, t, why);
    }

    /// An unrelated entry of another province, to show bundles carry whole ranges.
    pub fn other_roster_change(&mut self, dt: u64) {
        let p = Province::try_from("320000").unwrap();
        self.l.append(
            self.d.commit_time + dt,
            Some(&p),
            Body::RosterChange(entry::RosterChange {
                action: reason("update"),
                changed: 1,
                roster: fairpanel_core::hash::tagged(
                    fairpanel_core::hash::tag::ROSTER,
                    &[b"other"],
                ),
                size: 40,
            }),
        );
    }

    /// An unrelated entry of the draw's own province (not the draw's): in a
    /// v1.7 bundle's range, without a proof, tied by the `pprev` chain.
    pub fn own_roster_change(&mut self, dt: u64) {
        let p = self.d.province.clone();
        self.l.append(
            self.d.commit_time + dt,
            Some(&p),
            Body::RosterChange(entry::RosterChange {
                action: reason("update"),
                changed: 1,
                roster: fairpanel_core::hash::tagged(fairpanel_core::hash::tag::ROSTER, &[b"own"]),
                size: 41,
            }),
        );
    }

    /// The draw's correct reveal, written with the given `prev` and `pprev`
    /// and signed by the log key: a reveal whose only fault is its chain.
    pub fn reveal_raw(&mut self, prev: Hash32, pprev: Option<Hash32>) {
        let seed = draw::seed(
            &self.d.commit_hash,
            &self.d.secret,
            self.d.randomness.as_ref(),
            &self.d.entropy_values,
        );
        let (_, sel) = draw::select(&self.d.spec, &self.d.pool.leaves, &seed);
        let body = Body::Reveal(entry::Reveal {
            alternates: draw::tokens(&self.d.pool.leaves, &sel.alternates),
            beacon: self.d.beacon_entry,
            commit: self.d.commit_hash,
            draw: self.d.draw.clone(),
            entropy: self.d.entropy.clone(),
            panel: draw::tokens(&self.d.pool.leaves, &sel.panel),
            secret: self.d.secret,
            seed,
        });
        let bytes = entry::encode(
            self.l.size(),
            beacon::round_time(ROUND) + 20,
            Some(&self.d.province),
            prev,
            pprev,
            self.l.public_key().key_id(),
            &body,
        );
        self.l.push_raw(bytes, body);
    }

    pub fn bundle(&self) -> Vec<u8> {
        self.d.bundle(&self.l)
    }
}

/// A valid sheet: each indicator at 60–95 % of its maximum (varied by `k`; the
/// same for every expert on objective indicators), rounded down to its step.
fn vector_sheet(r: &scoring::Rubric, app: &str, k: usize) -> scoring::Sheet {
    use rust_decimal::Decimal;
    scoring::Sheet {
        application: app.to_string(),
        scores: r
            .indicators
            .iter()
            .enumerate()
            .map(|(i, ind)| {
                let pct = if ind.objective {
                    Decimal::new(80, 2)
                } else {
                    Decimal::new(60 + 5 * ((k + 2 * i) % 8) as i64, 2)
                };
                scoring::Score {
                    code: ind.code.clone(),
                    points: ((ind.max_points * pct / ind.step).floor() * ind.step).round_dp(2),
                }
            })
            .collect(),
        gates: r
            .gates
            .iter()
            .map(|g| scoring::GateAnswer {
                code: g.code.clone(),
                pass: true,
            })
            .collect(),
        comment: None,
        explanation: None,
    }
}

/// Each (application, scorer) pair's sheet: its bytes and the sheet.
type Sheets = BTreeMap<(String, Token), (Vec<u8>, scoring::Sheet)>;

/// Protocol 1.5: what signs (or mis-signs) a scorer's entry before it is logged.
type Signing = Option<Box<dyn FnMut(&mut Body)>>;

/// A round being scored in a vector: the log, and each (application, scorer)
/// pair's live sheet.
pub struct ScoreRun {
    pub run: Run,
    pub rubric: scoring::Rubric,
    pub round: DrawId,
    pub apps: Vec<String>,
    t: u64,
    /// (application, scorer) → the live sheet's bytes and sheet.
    pub live: Sheets,
    /// Sheets the seal counts although they are not live (for must-reject vectors).
    pub counted_anyway: Sheets,
    /// The pledge text's hash scoring_open fixed, if any.
    pub pledge: Option<Hash32>,
    /// Protocol 1.2: explanation records given under the lock, by sheet hash.
    pub explained: BTreeMap<Hash32, (Vec<u8>, String)>,
    /// Protocol 1.5: signs (or mis-signs) each sheet_commit, recusal and
    /// pledge before it is logged.
    pub signing: Signing,
}

impl ScoreRun {
    fn next_time(&mut self) -> u64 {
        self.t += 1;
        self.t
    }

    /// The token in seat `k` of the reveal's panel.
    pub fn seat(&self, k: usize) -> Token {
        self.run.d.pool.leaves[self.run.d.panel[k] as usize].token
    }

    /// The first alternate's token.
    pub fn alternate(&self) -> Token {
        self.run.d.pool.leaves[self.run.d.alternates[0] as usize].token
    }

    /// Appends `body` to the round's log at the next time.
    fn log(&mut self, mut body: Body) {
        if let Some(sign) = self.signing.as_mut() {
            sign(&mut body);
        }
        let (t, p) = (self.next_time(), self.run.d.province.clone());
        self.run.l.append(t, Some(&p), body);
    }

    /// `scorer` submits a sheet for `app` (varied by `k`): a sheet_commit.
    pub fn submit(&mut self, scorer: Token, app: &str, k: usize) {
        let sheet = vector_sheet(&self.rubric, app, k);
        self.submit_sheet(scorer, app, sheet);
    }

    /// `scorer` submits `sheet` for `app`.
    fn submit_sheet(&mut self, scorer: Token, app: &str, sheet: scoring::Sheet) {
        let bytes =
            scoring::SheetRecord::new(&sheet, self.round.clone(), self.rubric.hash(), scorer)
                .bytes();
        self.log(Body::SheetCommit(entry::SheetCommit {
            application: app.to_string(),
            round: self.round.clone(),
            scorer,
            sheet: scoring::SheetRecord::hash_of(&bytes),
            signature: None,
        }));
        self.live.insert((app.to_string(), scorer), (bytes, sheet));
    }

    /// Every seat scores A1 and A2, seat by seat; seat 0's A1 total is far
    /// below the others' and carries no explanation.
    pub fn everyone_scores_seat_0_low(&mut self) {
        for k in 0..5 {
            if k == 0 {
                self.submit_low(self.seat(0), "A1");
            } else {
                self.submit(self.seat(k), "A1", k);
            }
            self.submit(self.seat(k), "A2", k + 3);
        }
    }

    /// Every seat scores every application, seat by seat.
    pub fn everyone_scores(&mut self) {
        for k in 0..self.run.d.panel.len() {
            for (j, app) in self.apps.clone().iter().enumerate() {
                self.submit(self.seat(k), app, k + 3 * j);
            }
        }
    }

    /// `scorer` confirms the round's pledge.
    pub fn pledge(&mut self, scorer: Token) {
        let text = self.pledge.expect("scoring_open fixed a pledge");
        self.log(Body::Pledge(entry::Pledge {
            round: self.round.clone(),
            scorer,
            text,
            signature: None,
        }));
    }

    /// `scorer` submits a sheet for `app` whose points are all zero on the
    /// indicators that are not objective: a total far below the others'.
    pub fn submit_low(&mut self, scorer: Token, app: &str) {
        let mut sheet = vector_sheet(&self.rubric, app, 1);
        for (sc, ind) in sheet.scores.iter_mut().zip(&self.rubric.indicators) {
            if !ind.objective {
                sc.points = rust_decimal::Decimal::ZERO;
            }
        }
        self.submit_sheet(scorer, app, sheet);
    }

    /// The live sheets' hashes, sorted, and those whose abnormal total
    /// (15 points) carries no explanation.
    pub fn lock_lists(&self) -> (Vec<Hash32>, Vec<Hash32>) {
        let mut by_app: BTreeMap<&str, Vec<(Hash32, scoring::Sheet)>> = BTreeMap::new();
        for ((app, _), (b, sheet)) in &self.live {
            by_app
                .entry(app)
                .or_default()
                .push((scoring::SheetRecord::hash_of(b), sheet.clone()));
        }
        let mut sheets: Vec<Hash32> = by_app.values().flatten().map(|(h, _)| *h).collect();
        let mut explain: Vec<Hash32> = by_app
            .values()
            .flat_map(|v| scoring::unexplained(&self.rubric, v, scoring::ABNORMAL_POINTS).unwrap())
            .collect();
        sheets.sort();
        explain.sort();
        (sheets, explain)
    }

    /// A scoring_lock with the given lists.
    pub fn lock_with(&mut self, sheets: Vec<Hash32>, explain: Vec<Hash32>) {
        self.log(Body::ScoringLock(entry::ScoringLock {
            explain,
            round: self.round.clone(),
            sheets,
        }));
    }

    /// The scoring_lock the live sheets call for.
    pub fn lock(&mut self) {
        let (sheets, explain) = self.lock_lists();
        self.lock_with(sheets, explain);
    }

    /// A scoring_unlock.
    pub fn unlock(&mut self) {
        self.log(Body::ScoringUnlock(entry::ScoringUnlock {
            round: self.round.clone(),
        }));
    }

    /// The scorer of `app`'s live sheet `scorer` explains it.
    pub fn explain(&mut self, scorer: Token, app: &str, text: &str) {
        let (b, _) = &self.live[&(app.to_string(), scorer)];
        let sheet = scoring::SheetRecord::hash_of(b);
        let rec = scoring::ExplanationRecord {
            application: app.to_string(),
            explanation: text.to_string(),
            round: self.round.clone(),
            scorer,
            sheet,
        };
        let bytes = rec.bytes();
        self.log(Body::Explanation(entry::Explanation {
            application: app.to_string(),
            explanation: scoring::ExplanationRecord::hash_of(&bytes),
            round: self.round.clone(),
            scorer,
            sheet,
        }));
        self.explained.insert(sheet, (bytes, text.to_string()));
    }

    /// `scorer` recuses from `app`.
    pub fn recuse(&mut self, scorer: Token, app: &str) {
        self.log(Body::Recusal(entry::Recusal {
            application: app.to_string(),
            round: self.round.clone(),
            scorer,
            signature: None,
        }));
    }

    /// The live sheet of `scorer` for `app` is reopened; returns it.
    pub fn reopen(&mut self, scorer: Token, app: &str) -> (Vec<u8>, scoring::Sheet) {
        let old = self
            .live
            .remove(&(app.to_string(), scorer))
            .expect("a live sheet to reopen");
        self.log(Body::SheetReopen(entry::SheetReopen {
            application: app.to_string(),
            round: self.round.clone(),
            scorer,
            sheet: scoring::SheetRecord::hash_of(&old.0),
        }));
        old
    }
}

/// A draw whose panel scores the applications `apps` (fixed in scoring_open)
/// as `events` say; the seal counts the live sheets, less those `drop` removes,
/// with the result they give (then `tamper`), and the disclosure. Returns the
/// bundle with the rubric and the counted sheets.
fn scored_bundle_plan(
    apps: &[&str],
    events: impl FnOnce(&mut ScoreRun),
    drop: impl FnOnce(&mut Sheets),
    tamper: impl FnOnce(&mut entry::Seal),
) -> Vec<u8> {
    scored_bundle_opened(apps, |_| {}, events, drop, tamper)
}

/// [`scored_bundle_plan`] with scoring_open's `abnormal_points` (protocol
/// 1.2: a locked round).
fn scored_bundle_plan_at(
    abnormal_points: Option<&str>,
    apps: &[&str],
    events: impl FnOnce(&mut ScoreRun),
    drop: impl FnOnce(&mut Sheets),
    tamper: impl FnOnce(&mut entry::Seal),
) -> Vec<u8> {
    scored_bundle_opened(
        apps,
        |o| o.abnormal_points = abnormal_points.map(str::to_string),
        events,
        drop,
        tamper,
    )
}

/// [`scored_bundle_plan`] with scoring_open changed by `opening` before it is
/// signed (to fix materials, a pledge or the abnormal threshold).
fn scored_bundle_opened(
    apps: &[&str],
    opening: impl FnOnce(&mut entry::ScoringOpen),
    events: impl FnOnce(&mut ScoreRun),
    drop: impl FnOnce(&mut Sheets),
    tamper: impl FnOnce(&mut entry::Seal),
) -> Vec<u8> {
    scored_bundle_after(apps, opening, events, drop, tamper, |_| {})
}

/// What follows a seal (protocol 1.3): entries appended one minute apart
/// after it, before the disclosure.
pub struct AfterSeal<'a> {
    run: &'a mut Run,
    seal: entry::Seal,
    t: u64,
}

impl AfterSeal<'_> {
    fn log(&mut self, body: Body) -> Hash32 {
        self.t += 60;
        let p = self.run.d.province.clone();
        self.run.l.append(self.t, Some(&p), body).1
    }

    /// The seal's first recommended application.
    pub fn recommended(&self) -> String {
        self.seal
            .results
            .iter()
            .find(|r| r.recommended)
            .expect("the vector's seal recommends one")
            .application
            .clone()
    }

    /// The seal's first application that is not recommended.
    pub fn not_recommended(&self) -> String {
        self.seal
            .results
            .iter()
            .find(|r| !r.recommended)
            .expect("the vector's seal leaves one out")
            .application
            .clone()
    }

    /// A notice of the round (the text's hash is the sample text's).
    pub fn notice(&mut self) -> Hash32 {
        let body = vector_notice(&self.seal.round);
        self.log(body)
    }

    pub fn close(&mut self, notice: Hash32, objections: u32, upheld: u32, rejected: u32) {
        self.log(Body::NoticeClose(entry::NoticeClose {
            notice,
            objections,
            rejected,
            round: self.seal.round.clone(),
            upheld,
        }));
    }

    pub fn withdraw(&mut self, application: &str, objection: &str) {
        self.log(Body::Withdrawal(entry::Withdrawal {
            application: application.to_string(),
            objection: Some(objection.to_string()),
            reason: "异议成立：申报材料与实际不符".to_string(),
            round: self.seal.round.clone(),
        }));
    }
}

/// The sample notice text of the vectors, in its canonical form.
const VECTOR_NOTICE_TEXT: &str =
    "广东省2023年度项目评审结果公示\n公示期：2025-09-26 至 2025-10-09（5个工作日）\n";

/// A notice of `round` over the sample text: 5 working days across National
/// Day 2025 (1–8 October are holidays, 28 September and 11 October working
/// days).
fn vector_notice(round: &DrawId) -> Body {
    Body::Notice(entry::Notice {
        end: "2025-10-09".into(),
        items: 1,
        round: round.clone(),
        start: "2025-09-26".into(),
        text: sha256(VECTOR_NOTICE_TEXT.as_bytes()),
        working_days: 5,
    })
}

/// [`scored_bundle_opened`] with `after` appending entries after the seal.
fn scored_bundle_after(
    apps: &[&str],
    opening: impl FnOnce(&mut entry::ScoringOpen),
    events: impl FnOnce(&mut ScoreRun),
    drop: impl FnOnce(&mut Sheets),
    tamper: impl FnOnce(&mut entry::Seal),
    after: impl FnOnce(&mut AfterSeal),
) -> Vec<u8> {
    let mut run = Run::commit(
        "scored",
        plain_spec(5, 2),
        &synthetic(40, 12, 4),
        Opts::default(),
    );
    run.entropy("监督员 王", 10, None);
    run.beacon();
    run.reveal(|_| {});
    scored_bundle_from(run, None, apps, opening, events, drop, tamper, after)
}

/// [`scored_bundle_after`] for a revealed `run`, with `signing` applied to
/// the scorers' entries (protocol 1.5).
#[allow(clippy::too_many_arguments)]
fn scored_bundle_from(
    mut run: Run,
    signing: Signing,
    apps: &[&str],
    opening: impl FnOnce(&mut entry::ScoringOpen),
    events: impl FnOnce(&mut ScoreRun),
    drop: impl FnOnce(&mut Sheets),
    tamper: impl FnOnce(&mut entry::Seal),
    after: impl FnOnce(&mut AfterSeal),
) -> Vec<u8> {
    let rubric = scoring::default_rubrics().remove(0);
    let rh = rubric.hash();
    let round = DrawId::try_from("gd-2023-r1").unwrap();
    let p = run.d.province.clone();
    let t0 = run.d.commit_time + 3600;
    let mut open = entry::ScoringOpen {
        abnormal_points: None,
        already_recommended: 4,
        applications: apps.iter().map(|a| a.to_string()).collect(),
        draw: run.d.draw.clone(),
        quota: 5,
        rubric: rh,
        round: round.clone(),
        materials: vec![],
        pledge: None,
    };
    opening(&mut open);
    let pledge = open.pledge;
    run.l.append(t0, Some(&p), Body::ScoringOpen(open));
    let mut sr = ScoreRun {
        run,
        rubric,
        round: round.clone(),
        apps: apps.iter().map(|a| a.to_string()).collect(),
        t: t0 + 59,
        live: BTreeMap::new(),
        counted_anyway: BTreeMap::new(),
        pledge,
        explained: BTreeMap::new(),
        signing,
    };
    events(&mut sr);
    let mut counted = sr.live.clone();
    drop(&mut counted);
    counted.extend(sr.counted_anyway.clone());
    let ScoreRun {
        mut run,
        rubric,
        explained,
        ..
    } = sr;
    let mut by_app: BTreeMap<String, Vec<scoring::Sheet>> = BTreeMap::new();
    for ((app, _), (b, sheet)) in &counted {
        let mut sheet = sheet.clone();
        if let Some((_, text)) = explained.get(&scoring::SheetRecord::hash_of(b)) {
            sheet.explanation = Some(text.clone());
        }
        by_app.entry(app.clone()).or_default().push(sheet);
    }
    let ranked = scoring::rank(
        by_app
            .iter()
            .map(|(a, s)| {
                // The result the totals give, explained or not (a must-reject
                // vector may leave an abnormal total unexplained).
                let totals: Vec<rust_decimal::Decimal> = s
                    .iter()
                    .map(|x| scoring::validate_sheet(&rubric, x).unwrap())
                    .collect();
                let mut agg = scoring::aggregate(a, &totals).unwrap();
                agg.failed_gates = scoring::failed_gates(&rubric, s);
                agg
            })
            .collect(),
    );
    let recommended = scoring::recommend(&ranked, 5, 4);
    let mut hashes: Vec<Hash32> = counted
        .values()
        .map(|(b, _)| scoring::SheetRecord::hash_of(b))
        .collect();
    hashes.sort();
    let mut seal = entry::Seal {
        already_recommended: 4,
        quota: 5,
        results: ranked
            .iter()
            .enumerate()
            .map(|(k, a)| entry::SealedResult {
                application: a.application.clone(),
                final_score: scoring::dec2::format(&a.final_score),
                rank: k as u32 + 1,
                recommended: recommended.contains(&a.application),
                sheets: a.sheets,
            })
            .collect(),
        round,
        rubric: rh,
        rule: "trimmed_mean_v1".into(),
        sheets: hashes,
    };
    tamper(&mut seal);
    run.l.append(t0 + 7200, Some(&p), Body::Seal(seal.clone()));
    after(&mut AfterSeal {
        run: &mut run,
        seal,
        t: t0 + 7200,
    });
    run.disclose(86_400 * 20);
    let rubric_bytes = fairpanel_core::jcs::encode(&rubric);
    let sheets: Vec<Vec<u8>> = counted.into_values().map(|(b, _)| b).collect();
    let explanations: Vec<Vec<u8>> = explained.into_values().map(|(b, _)| b).collect();
    run.l.bundle_with(
        &run.d.draw,
        &run.d.pool.leaf_bytes,
        Some(&rubric_bytes),
        &sheets,
        &explanations,
    )
}

/// The panel's five experts score two applications, then the seal (after
/// `tamper`) and the disclosure.
fn scored_bundle(tamper: impl FnOnce(&mut entry::Seal)) -> Vec<u8> {
    scored_bundle_plan(&["A1", "A2"], ScoreRun::everyone_scores, |_| {}, tamper)
}

/// A vector: file name, bytes, and what the verifier must say.
pub struct Vector {
    pub file: String,
    pub bytes: Vec<u8>,
    /// `accept`, `reject` or `not_a_bundle`.
    pub expect: &'static str,
    pub check: Option<&'static str>,
    pub reason: Option<&'static str>,
    pub pin: &'static str,
    pub description: String,
}

fn accept(file: &str, bytes: Vec<u8>, description: &str) -> Vector {
    Vector {
        file: format!("accept-{file}.json"),
        bytes,
        expect: "accept",
        check: None,
        reason: None,
        pin: "key.pub",
        description: description.to_string(),
    }
}

fn reject(
    file: &str,
    bytes: Vec<u8>,
    check: &'static str,
    reason: &'static str,
    description: &str,
) -> Vector {
    Vector {
        file: format!("reject-{file}.json"),
        bytes,
        expect: "reject",
        check: Some(check),
        reason: Some(reason),
        pin: "key.pub",
        description: description.to_string(),
    }
}

fn replace_once(bytes: &[u8], from: &str, to: &str) -> Vec<u8> {
    let s = String::from_utf8(bytes.to_vec()).unwrap();
    assert!(s.contains(from), "vector tamper target {from:?} not found");
    s.replacen(from, to, 1).into_bytes()
}

/// The line of the bundle holding entry `seq`.
fn entry_line(bytes: &[u8], seq: u64) -> String {
    let s = String::from_utf8(bytes.to_vec()).unwrap();
    s.lines()
        .find(|l| {
            l.contains(&format!(",\"seq\":{seq},")) && l.trim_start().starts_with("{\"entry\"")
        })
        .unwrap_or_else(|| panic!("no line for seq {seq}"))
        .to_string()
}

/// The bls12-381 G1 signature of round 1000 plus a point of the cofactor torsion:
/// on the curve, not in the prime-order subgroup.
fn malleated_signature() -> (String, bool) {
    use bls12_381::{G1Affine, G1Projective, G2Affine, pairing};
    let sig_bytes: [u8; 48] = hex::decode(ROUND_SIG).unwrap().try_into().unwrap();
    let s = G1Affine::from_compressed(&sig_bytes).unwrap();
    // Find a curve point outside the subgroup: compressed encodings with small x.
    let mut p = None;
    for x in 0u16..1000 {
        let mut enc = [0u8; 48];
        enc[0] = 0x80;
        enc[46..].copy_from_slice(&x.to_be_bytes());
        let cand = G1Affine::from_compressed_unchecked(&enc);
        if bool::from(cand.is_some()) {
            let c = cand.unwrap();
            if !bool::from(c.is_torsion_free()) {
                p = Some(c);
                break;
            }
        }
    }
    let p = G1Projective::from(p.expect("a non-subgroup point exists"));
    // T = [r]P lies in the cofactor torsion (r = the subgroup order).
    let r =
        hex::decode("73eda753299d7d483339d80809a1d80553bda402fffe5bfeffffffff00000001").unwrap();
    let mut t = G1Projective::identity();
    for byte in r {
        for bit in (0..8).rev() {
            t = t.double();
            if (byte >> bit) & 1 == 1 {
                t += p;
            }
        }
    }
    assert!(!bool::from(t.is_identity()));
    let m = G1Affine::from(G1Projective::from(s) + t);
    let bare_pairing_passes =
        pairing(&m, &G2Affine::generator()) == pairing(&s, &G2Affine::generator());
    (hex::encode(m.to_compressed()), bare_pairing_passes)
}

/// The dead-end example: the brief's greedy dead end, and the worked example of
/// docs/PROTOCOL.md.
///
/// Its label is fixed, not searched for: the maker used to try `dead-end-0`,
/// `dead-end-1`, … until its own `sampler::ranks` ranked the pool x, y, z, w, so
/// the vector's ranks were true by construction and a change to the seed or the
/// sampler was absorbed by the next label instead of showing. `dead-end-4` is
/// the label a one-off search found for protocol 1.1's leaves (`dead-end-29`
/// before the identity tags); the ranks it gives are checked in
/// `tests/anchors.rs` against the ranks an independent implementation computed
/// (`tests/anchors/worked_example.py`), and the maker does not look at them. If a
/// protocol change moves them, that test fails: choose another label, rerun the
/// script on the new inputs and update both sets of literals.
pub const DEAD_END_LABEL: &str = "dead-end-4";

fn dead_end_run() -> Run {
    // x: A, org 1; y: B, org 1 (the only B); z: A, org 2; w: C, org 3.
    let cands = roster(&[
        ("x", "甲", "org-1", "spec_a"),
        ("y", "乙", "org-1", "spec_b"),
        ("z", "丙", "org-2", "spec_a"),
        ("w", "丁", "org-3", "spec_c"),
    ]);
    let spec = DrawSpec {
        panel: 3,
        alternates: 1,
        org_cap: Some(1),
        quotas: vec![
            Quota {
                min: 1,
                spec: spec_code("spec_a"),
            },
            Quota {
                min: 1,
                spec: spec_code("spec_b"),
            },
        ],
    };
    // A log written before protocol 1.7 (entries without pprev, so a v1.1
    // bundle): the worked example's commit hash, seed and ranks are pinned by
    // an independent implementation (crates/fairpanel-core/tests/anchors.rs),
    // and a pprev in the commit would change them all.
    let mut r = Run::commit(
        DEAD_END_LABEL,
        spec,
        &cands,
        Opts {
            pprev: false,
            ..Opts::default()
        },
    );
    r.entropy("监督员 张", 10, None);
    r.beacon();
    r.reveal(|_| {});
    r
}

/// Every vector, in a fixed order.
pub fn generate() -> (Vec<Vector>, String) {
    let mut v = Vec::new();
    let key = SecretKey::from_seed(&LOG_KEY_SEED);

    // accept-plain: no constraints, two supervisors (one with their own key).
    let supervisor_key = SecretKey::from_seed(&[0x22; 32]);
    let mut plain = Run::commit(
        "plain",
        plain_spec(5, 2),
        &synthetic(12, 6, 3),
        Opts::default(),
    );
    plain.entropy("监督员 王", 10, Some(&supervisor_key));
    plain.other_roster_change(15);
    plain.entropy("监督员 李", 20, None);
    plain.beacon();
    plain.reveal(|_| {});
    let plain_bundle = plain.bundle();
    v.push(accept("plain", plain_bundle.clone(), "no constraints: panel of 5 and 2 alternates from 12; two supervisors' contributions (one signed with the supervisor's own key), drand quicknet round 1000; an unrelated entry of another province sits inside the range"));

    // Protocol 1.7: the same draw in a log written before 1.7 (no pprev):
    // its bundle is in the v1.1 format, every entry of the range in it.
    let mut old = Run::commit(
        "plain-v1-1",
        plain_spec(5, 2),
        &synthetic(12, 6, 3),
        Opts {
            pprev: false,
            ..Opts::default()
        },
    );
    old.entropy("监督员 王", 10, Some(&supervisor_key));
    old.other_roster_change(15);
    old.entropy("监督员 李", 20, None);
    old.beacon();
    old.reveal(|_| {});
    let old_bundle = old.bundle();
    assert!(String::from_utf8_lossy(&old_bundle).contains("fairpanel-bundle/v1.1"));
    v.push(accept("plain-v1-1", old_bundle.clone(), "format fairpanel-bundle/v1.1 (a draw committed before protocol 1.7, whose entries carry no pprev): every log entry from the commit to the reveal, chained by prev, the other province's entry among them without a proof; still verified"));

    // Protocol 1.7: other provinces' entries between the draw's entries are
    // left out; an entry of the draw's own province that is not the draw's
    // stays, without a proof, tied by the pprev chain.
    let foreign_run = || {
        let mut r = Run::commit(
            "foreign-entries",
            plain_spec(5, 2),
            &synthetic(12, 6, 3),
            Opts::default(),
        );
        for k in 0..3 {
            r.other_roster_change(5 + k);
        }
        r.entropy("监督员 王", 10, None);
        r.own_roster_change(12);
        for k in 0..3 {
            r.other_roster_change(14 + k);
        }
        r.entropy("监督员 李", 20, None);
        r.beacon();
        r
    };
    let mut fe = foreign_run();
    fe.other_roster_change(30);
    fe.reveal(|_| {});
    let fe_bundle = fe.bundle();
    {
        let text = String::from_utf8_lossy(&fe_bundle);
        assert!(text.contains("fairpanel-bundle/v1.7"));
        assert!(
            !text.contains("\"province\":\"320000\""),
            "foreign entries are left out"
        );
        assert!(
            text.contains(",\"proof\":null,"),
            "the own-province roster change has no proof"
        );
    }
    v.push(accept("foreign-entries", fe_bundle.clone(), "format fairpanel-bundle/v1.7: seven roster changes of another province fall between the commit and the reveal and are not in the bundle (entries skip their seqs); a roster change of the draw's own province stays, without a proof, chained by pprev"));

    // The own-province roster change left out: the next entry's pprev names it.
    let own_line = String::from_utf8_lossy(&fe_bundle)
        .lines()
        .find(|l| l.contains(",\"proof\":null,"))
        .unwrap()
        .to_string();
    v.push(reject(
        "province-entry-left-out",
        replace_once(&fe_bundle, &format!("{own_line}\n"), ""),
        "chain",
        "an entry of the province is missing in between",
        "accept-foreign-entries without the roster change of the draw's own province: the next entry's pprev names the left-out entry (an operator hiding a province entry from a bundle)",
    ));

    // The reveal signed with a wrong pprev (everything else right).
    let mut fp = foreign_run();
    fp.reveal_raw(fp.l.last_hash(), Some(Hash32([0xcd; 32])));
    v.push(reject(
        "pprev-altered",
        fp.bundle(),
        "chain",
        "pprev is cdcd",
        "a v1.7 bundle whose reveal names a pprev that is not the previous same-province entry's hash; the reveal is re-signed with the log key and in the tree, so only the chain is wrong",
    ));

    // A 1.7 bundle holding an entry without pprev (signed, in the tree): the
    // service would write this range in the v1.1 format; labelled v1.7 it is
    // refused.
    let mut np = Run::commit(
        "no-pprev",
        plain_spec(5, 2),
        &synthetic(12, 6, 3),
        Opts::default(),
    );
    np.entropy("监督员 王", 10, None);
    np.beacon();
    np.reveal_raw(np.l.last_hash(), None);
    v.push(reject(
        "entry-without-pprev",
        replace_once(
            &np.bundle(),
            "\"format\": \"fairpanel-bundle/v1.1\"",
            "\"format\": \"fairpanel-bundle/v1.7\"",
        ),
        "chain",
        "has no pprev",
        "a bundle labelled fairpanel-bundle/v1.7 whose reveal (signed, in the tree, prev right) carries no pprev",
    ));

    // Seqs not increasing: an entry repeated right after itself.
    let entropy_line = String::from_utf8_lossy(&fe_bundle)
        .lines()
        .find(|l| l.contains("\"kind\":\"entropy\""))
        .unwrap()
        .to_string();
    v.push(reject(
        "seq-not-increasing",
        replace_once(
            &fe_bundle,
            &entropy_line,
            &format!("{entropy_line}\n    {}", entropy_line.trim_start()),
        ),
        "chain",
        "the entries are out of order",
        "accept-foreign-entries with its first entropy entry given twice in a row: the seqs of a v1.7 bundle's entries must increase",
    ));

    // accept-quotas
    let quota_spec = DrawSpec {
        panel: 7,
        alternates: 3,
        org_cap: None,
        quotas: vec![
            Quota {
                min: 2,
                spec: spec_code("nursing"),
            },
            Quota {
                min: 1,
                spec: spec_code("elderly_care"),
            },
        ],
    };
    let mut q = Run::commit("quotas", quota_spec, &synthetic(30, 10, 3), Opts::default());
    q.entropy("监督员 王", 10, None);
    q.beacon();
    q.reveal(|_| {});
    v.push(accept("quotas", q.bundle(), "specialty minimums: at least 2 nursing and 1 elderly_care on a panel of 7, filled in that stratum order"));

    // accept-org-cap
    let cap_spec = DrawSpec {
        panel: 5,
        alternates: 2,
        org_cap: Some(1),
        quotas: vec![Quota {
            min: 2,
            spec: spec_code("adv_manufacturing"),
        }],
    };
    let mut c = Run::commit("org-cap", cap_spec, &synthetic(20, 6, 3), Opts::default());
    c.entropy("监督员 王", 10, None);
    c.beacon();
    c.reveal(|_| {});
    v.push(accept(
        "org-cap",
        c.bundle(),
        "at most one panel member per organisation, with a quota of 2 adv_manufacturing",
    ));

    // accept-dead-end
    let de = dead_end_run();
    v.push(accept("dead-end", de.bundle(), "the brief's greedy dead end: quotas spec_a >= 1 and spec_b >= 1, at most 1 per organisation; ranks x (spec_a, org-1), y (spec_b, org-1, the only spec_b), z (spec_a, org-2), w (spec_c, org-3). Greedy would take x and then could not seat y; the fill skips x (it would leave spec_b unfillable) and seats z, y, w; x is the alternate"));

    // accept-replacements: two declines, then one with the alternates exhausted.
    let rep_spec = DrawSpec {
        panel: 5,
        alternates: 2,
        org_cap: Some(2),
        quotas: vec![Quota {
            min: 2,
            spec: spec_code("nursing"),
        }],
    };
    let replacements_run = || {
        let mut r = Run::commit(
            "replacements",
            rep_spec.clone(),
            &synthetic(16, 5, 2),
            Opts::default(),
        );
        r.entropy("监督员 王", 10, None);
        r.beacon();
        r.reveal(|_| {});
        r.decline(0, 3600, |_| {});
        r.decline(1, 7200, |_| {});
        r.decline(2, 9000, |_| {});
        r
    };
    let r = replacements_run();
    let rep_bundle = r.bundle();
    v.push(accept("replacements", rep_bundle.clone(), "three declines (递补): each seat goes to the first unused alternate that keeps every constraint; the third finds the alternates exhausted (replacement null: a supplementary draw is needed)"));

    // Protocol 1.2: the supplementary draw (补抽) that fills the empty seat.
    let supplement = |commit: &dyn Fn(&mut entry::Commit),
                      reveal: &dyn Fn(&mut entry::Reveal),
                      after: &dyn Fn(&mut Run, &mut ScriptedDraw)| {
        let mut r = replacements_run();
        let prov = r.d.province.clone();
        let t = r.d.commit_time + 10_000;
        let mut s =
            r.d.supplement(
                &mut r.l,
                sha256(b"fairpanel vectors supplement").0,
                Commitment {
                    province: prov,
                    draw: DrawId::try_from("gd-2023-replacements-2").unwrap(),
                    title: "2023年广东省国家级高技能人才培训基地项目评审专家补抽",
                    spec: DrawSpec {
                        alternates: 2,
                        ..rep_spec.clone()
                    },
                    candidates: &[],
                    time: t,
                    beacon: BeaconPlan::None,
                    entropy_window: 50,
                    personal_keys: false,
                },
                commit,
            )
            .expect("the supplement is feasible");
        s.entropy(&mut r.l, t + 10, "监督员 王", None);
        s.reveal(&mut r.l, t + 100, reveal);
        after(&mut r, &mut s);
        (r, s)
    };
    let (r2, s2) = supplement(&|_| {}, &|_| {}, &|r, s| {
        s.decline(
            &mut r.l,
            r.d.commit_time + 11_000,
            0,
            reason("unavailable"),
            |_| {},
        );
    });
    v.push(accept("supplement", s2.bundle(&r2.l), "protocol 1.2: the supplementary draw (补抽) of accept-replacements, whose alternates ran out: beacon-less, with its own secret and contribution; its commit names the earlier commit, keeps its pool, tags and rules, carries the four members still seated and lists the seven the earlier draw named, none of whom is drawn again; its reveal fills the empty seat under the quota and the cap over the whole panel; then a carried member declines and one of its own alternates takes the seat. The bundle starts at the earlier draw's commit"));
    let (r2, s2) = supplement(
        &|c| {
            if let Some(s) = c.supplements.as_mut() {
                s.seated.pop();
            }
        },
        &|_| {},
        &|_, _| {},
    );
    v.push(reject(
        "supplement-drops-a-seated-member",
        s2.bundle(&r2.l),
        "commit",
        "supplements.seated",
        "protocol 1.2: the supplementary commit leaves one of the earlier draw's seated members out of the panel it carries (re-signed), which would open a second empty seat",
    ));
    let (r2, s2) = supplement(
        &|c| {
            if let Some(s) = c.supplements.as_mut() {
                s.drawn.pop();
            }
        },
        &|_| {},
        &|_, _| {},
    );
    v.push(reject(
        "supplement-forgets-a-drawn-member",
        s2.bundle(&r2.l),
        "commit",
        "supplements.drawn",
        "protocol 1.2: the supplementary commit leaves a member the earlier draw named out of `drawn` (re-signed), so that member could be drawn again",
    ));
    let (r2, s2) = supplement(&|c| c.pool_root = Hash32([7; 32]), &|_| {}, &|_, _| {});
    v.push(reject(
        "supplement-other-pool",
        s2.bundle(&r2.l),
        "commit",
        "keeps the pool",
        "protocol 1.2: the supplementary commit names another pool root than the draw it supplements (re-signed)",
    ));
    let (r2, s2) = supplement(
        &|_| {},
        &|rv| {
            std::mem::swap(&mut rv.panel[0], &mut rv.alternates[1]);
        },
        &|_, _| {},
    );
    v.push(reject(
        "supplement-panel-not-from-ranks",
        s2.bundle(&r2.l),
        "panel",
        "does not follow from the ranks",
        "protocol 1.2: the supplementary reveal seats its second alternate instead of the member the fill takes (re-signed)",
    ));
    let (r2, _) = supplement(&|_| {}, &|_| {}, &|r, _| {
        r.decline(0, 12_000, |_| {});
    });
    v.push(reject(
        "decline-after-supplement",
        r2.bundle(),
        "replacements",
        "supplements this draw",
        "protocol 1.2: the bundle of accept-replacements' draw, in which a member declines after the supplementary draw was committed: from that commit on, the panel's declines belong to the supplementary draw",
    ));

    // accept-disclosed
    let mut d = Run::commit(
        "disclosed",
        plain_spec(5, 2),
        &synthetic(40, 12, 4),
        Opts::default(),
    );
    d.entropy("监督员 王", 10, None);
    d.beacon();
    d.reveal(|_| {});
    d.decline(3, 3600, |_| {});
    d.disclose(86_400 * 20);
    let disclosed_bundle = d.bundle();
    v.push(accept("disclosed", disclosed_bundle.clone(), "after the review: one decline, then a disclosure entry opening the tokens of everyone seated and the alternates (names, expert ids, organisations)"));

    // Scoring: the panel scores two applications; the seal fixes the result;
    // after disclosure the bundle carries the rubric and every sheet.
    let scored = scored_bundle(|_| {});
    v.push(accept("scored", scored.clone(), "a scored round: the panel's five experts score two applications under the default base_new rubric (scoring_open, ten sheet_commit entries, the seal with a quota of 5 of which 4 are already used, then the disclosure); the bundle carries the rubric and the ten sheets, and the verifier recomputes totals, trimmed means, ranking and the one recommendation"));
    v.push(reject(
        "scoring-sheet-changed",
        replace_once(&scored, "\"points\":\"", "\"points\":\"1"),
        "scoring",
        "is not the sheet committed",
        "one sheet's points changed after it was committed",
    ));
    v.push(reject(
        "scoring-wrong-aggregation",
        scored_bundle(|s| s.results[0].final_score = "99.99".into()),
        "scoring",
        "does not follow from the sheets",
        "the seal states a final score the sheets do not give (re-signed)",
    ));
    v.push(reject(
        "scoring-ranking",
        scored_bundle(|s| {
            s.results.swap(0, 1);
            s.results[0].rank = 1;
            s.results[1].rank = 2;
        }),
        "scoring",
        "does not follow from the sheets",
        "the seal ranks the applications in an order the scores do not give (re-signed)",
    ));
    v.push(accept(
        "scored-recusal-reopening",
        scored_bundle_plan(
            &["A1", "A2"],
            |sr| {
                sr.recuse(sr.seat(0), "A2");
                sr.submit(sr.seat(0), "A1", 0);
                for k in 1..5 {
                    sr.submit(sr.seat(k), "A1", k);
                    sr.submit(sr.seat(k), "A2", k + 3);
                }
                sr.reopen(sr.seat(1), "A1");
                sr.submit(sr.seat(1), "A1", 7);
            },
            |_| {},
            |_| {},
        ),
        "protocol 1.1: a scored round with a recusal and a reopening: seat 1 recuses from A2 (recusal), seat 2's sheet for A1 is reopened (sheet_reopen) and submitted again; the seal counts the nine live sheets, four of them for A2",
    ));
    // Protocol 1.2: sheets lock when the last is in; abnormal totals are
    // explained after the lock, against all the other sheets.
    let locked_events = |sr: &mut ScoreRun| {
        sr.everyone_scores_seat_0_low();
        sr.lock();
        sr.explain(sr.seat(0), "A1", "现场核查发现培训记录与申报不符");
    };
    v.push(accept(
        "scored-locked",
        scored_bundle_plan_at(Some("15.00"), &["A1", "A2"], locked_events, |_| {}, |_| {}),
        "protocol 1.2: scoring_open fixes the abnormal threshold (15.00); seat 1 submits a very low total for A1 first, without an explanation (nothing is compared at submission); when the last sheet is in, the scoring_lock fixes the ten sheets and asks to explain exactly that one; the explanation entry names the record the bundle carries; the seal follows while locked",
    ));
    v.push(reject(
        "sheet-reopened-while-locked",
        scored_bundle_plan_at(
            Some("15.00"),
            &["A1", "A2"],
            |sr| {
                locked_events(sr);
                sr.reopen(sr.seat(1), "A2");
                sr.submit(sr.seat(1), "A2", 7);
            },
            |_| {},
            |_| {},
        ),
        "scoring",
        "comes while the round's sheets are locked",
        "protocol 1.2: after the lock (results readable) a sheet is reopened and submitted again without a scoring_unlock: the re-scoring with the answers in hand that the lock exists to stop",
    ));
    v.push(accept(
        "scored-unlocked-and-relocked",
        scored_bundle_plan_at(
            Some("15.00"),
            &["A1", "A2"],
            |sr| {
                locked_events(sr);
                sr.unlock();
                sr.reopen(sr.seat(1), "A2");
                sr.submit(sr.seat(1), "A2", 7);
                sr.lock();
                sr.explain(sr.seat(0), "A1", "现场核查发现培训记录与申报不符");
            },
            |_| {},
            |_| {},
        ),
        "protocol 1.2: the same round unlocked (scoring_unlock), one sheet reopened and submitted again, then locked again: the last lock asks again for the explanation of seat 1's A1 sheet, which is given again",
    ));
    // Protocol 1.3: the notice (公示), an upheld objection's withdrawal, the close.
    let two =
        || -> (Vec<&str>, fn(&mut ScoreRun)) { (vec!["A1", "A2"], ScoreRun::everyone_scores) };
    let (apps, ev) = two();
    v.push(accept(
        "scored-noticed",
        scored_bundle_after(&apps, |_| {}, ev, |_| {}, |_| {}, |a| {
            let n = a.notice();
            let app = a.recommended();
            a.withdraw(&app, "25-440000-1");
            a.close(n, 2, 1, 1);
        }),
        "protocol 1.3: a scored round's notice (公示) after its seal, 5 working days across National Day 2025; of two objections one is upheld and withdraws the recommended project (withdrawal naming the objection's reference), one rejected; the notice_close names the notice and counts 2 = 1 upheld + 1 rejected",
    ));
    let (apps, ev) = two();
    v.push(reject(
        "notice-before-seal",
        scored_bundle_after(
            &apps,
            |_| {},
            |sr| {
                ev(sr);
                let body = vector_notice(&sr.round);
                sr.log(body);
            },
            |_| {},
            |_| {},
            |_| {},
        ),
        "scoring",
        "comes before the round's seal",
        "protocol 1.3: a notice of the round is logged before the round's seal: a notice publishes sealed results only",
    ));
    let (apps, ev) = two();
    v.push(reject(
        "withdrawal-not-recommended",
        scored_bundle_after(&apps, |_| {}, ev, |_| {}, |_| {}, |a| {
            let n = a.notice();
            let app = a.not_recommended();
            a.withdraw(&app, "25-440000-1");
            a.close(n, 1, 1, 0);
        }),
        "scoring",
        "which is not a recommended project of the seal",
        "protocol 1.3: an upheld objection withdraws an application the seal did not recommend (there is no place to free)",
    ));
    let (apps, ev) = two();
    v.push(reject(
        "notice-close-counts",
        scored_bundle_after(&apps, |_| {}, ev, |_| {}, |_| {}, |a| {
            let n = a.notice();
            a.close(n, 3, 1, 1);
        }),
        "scoring",
        "the counts do not add up",
        "protocol 1.3: the notice_close counts 3 objections but 1 upheld and 1 rejected: one is unaccounted for (a close needs every objection handled)",
    ));
    let (apps, ev) = two();
    v.push(reject(
        "notice-close-hides-a-withdrawal",
        scored_bundle_after(&apps, |_| {}, ev, |_| {}, |_| {}, |a| {
            let n = a.notice();
            let app = a.recommended();
            a.withdraw(&app, "25-440000-1");
            a.close(n, 1, 0, 1);
        }),
        "scoring",
        "withdrawals followed the notice",
        "protocol 1.3: a recommended project is withdrawn during the notice, but the close counts no upheld objection",
    ));
    v.push(reject(
        "locked-round-sealed-unlocked",
        scored_bundle_plan_at(Some("15.00"), &["A1", "A2"], ScoreRun::everyone_scores, |_| {}, |_| {}),
        "scoring",
        "comes while its sheets are not locked",
        "protocol 1.2: scoring_open fixes the threshold, so the round must lock before its seal; this one is sealed with no scoring_lock",
    ));
    v.push(reject(
        "explanation-not-given",
        scored_bundle_plan_at(
            Some("15.00"),
            &["A1", "A2"],
            |sr| {
                sr.everyone_scores_seat_0_low();
                sr.lock();
            },
            |_| {},
            |_| {},
        ),
        "scoring",
        "was asked for an explanation",
        "protocol 1.2: the lock asks seat 1 to explain its very low A1 total; the round is sealed without the explanation",
    ));
    v.push(reject(
        "lock-hides-an-abnormal-total",
        scored_bundle_plan_at(
            Some("15.00"),
            &["A1", "A2"],
            |sr| {
                sr.everyone_scores_seat_0_low();
                let (sheets, _) = sr.lock_lists();
                sr.lock_with(sheets, vec![]);
            },
            |_| {},
            |_| {},
        ),
        "scoring",
        "the abnormal totals without an explanation are 1",
        "protocol 1.2: seat 1's A1 total is abnormal and unexplained, but the scoring_lock asks to explain nothing (and the seal, re-signed, follows)",
    ));
    // Hole 6 of v1: the seal need not have been complete.
    v.push(reject(
        "seal-leaves-out-a-sheet",
        scored_bundle_plan(
            &["A1", "A2"],
            ScoreRun::everyone_scores,
            |c| {
                let k = c.keys().next().cloned().unwrap();
                c.remove(&k);
            },
            |_| {},
        ),
        "scoring",
        "the seal leaves out the sheet",
        "hole 6 of v1: every seated member scores both applications, but the seal (and the bundle) leave out one committed sheet and state the result of the other nine, consistently re-signed",
    ));
    v.push(reject(
        "seal-leaves-out-an-application",
        scored_bundle_plan(
            &["A1", "A2", "A3"],
            ScoreRun::everyone_scores,
            |c| c.retain(|(a, _), _| a != "A3"),
            |_| {},
        ),
        "scoring",
        "leave out application A3, which scoring_open fixed",
        "hole 6 of v1: scoring_open fixes A1, A2 and A3 and every seated member scores all three, but the seal ranks only A1 and A2 (the sheets for A3 are left out of the seal and the bundle)",
    ));
    v.push(reject(
        "scorer-not-seated",
        scored_bundle_plan(
            &["A1", "A2"],
            |sr| {
                sr.everyone_scores();
                sr.submit(sr.alternate(), "A1", 5);
            },
            |_| {},
            |_| {},
        ),
        "scoring",
        "is not on the seated panel",
        "hole 6 of v1: an alternate, a pool member never seated, commits a sheet for A1 and the seal counts it with the panel's ten",
    ));
    v.push(reject(
        "reopened-sheet-counted",
        scored_bundle_plan(
            &["A1", "A2"],
            |sr| {
                sr.everyone_scores();
                let old = sr.reopen(sr.seat(2), "A2");
                sr.counted_anyway.insert(("A2".into(), sr.seat(2)), old);
            },
            |_| {},
            |_| {},
        ),
        "scoring",
        "which was reopened at seq",
        "hole 6 of v1: seat 3's sheet for A2 is reopened (sheet_reopen) and not submitted again, yet the seal counts it",
    ));
    v.push(reject(
        "seated-member-neither-scored-nor-recused",
        scored_bundle_plan(
            &["A1", "A2"],
            |sr| {
                for k in 0..5 {
                    sr.submit(sr.seat(k), "A1", k);
                    if k != 4 {
                        sr.submit(sr.seat(k), "A2", k + 3);
                    }
                }
            },
            |_| {},
            |_| {},
        ),
        "scoring",
        "has neither a sheet nor a recusal",
        "hole 6 of v1: seat 5 never scores A2 and does not recuse; the seal counts the other nine sheets",
    ));
    v.push(reject(
        "seal-quota-not-the-opened-one",
        scored_bundle(|s| {
            s.quota = 6;
            for r in &mut s.results {
                r.recommended = true;
            }
        }),
        "scoring",
        "is not the quota scoring_open fixed",
        "hole 7 of v1: the seal raises the quota after scores were known (6 instead of the 5 fixed in scoring_open) and recommends both applications",
    ));

    // Materials fixed by hash and the pledge (承诺书) confirmed before the
    // first sheet.
    let pledged_open = |o: &mut entry::ScoringOpen| {
        o.pledge = Some(fairpanel_core::hash::tagged(
            fairpanel_core::hash::tag::PLEDGE,
            &["本人承诺：对评审材料保密，与申报单位无利害关系。".as_bytes()],
        ));
        o.materials = ["A1", "A1", "A2"]
            .iter()
            .zip(["application/pdf", "image/png", "application/pdf"])
            .enumerate()
            .map(|(k, (a, t))| entry::Material {
                application: a.to_string(),
                media_type: t.to_string(),
                sha256: sha256(format!("material {k}").as_bytes()),
            })
            .collect();
        o.materials
            .sort_by(|a, b| a.order_key().cmp(&b.order_key()));
    };
    v.push(accept(
        "scored-pledged",
        scored_bundle_opened(
            &["A1", "A2"],
            pledged_open,
            |sr| {
                for k in 0..5 {
                    sr.pledge(sr.seat(k));
                }
                sr.recuse(sr.seat(0), "A2");
                sr.submit(sr.seat(0), "A1", 0);
                for k in 1..5 {
                    sr.submit(sr.seat(k), "A1", k);
                    sr.submit(sr.seat(k), "A2", k + 3);
                }
            },
            |_| {},
            |_| {},
        ),
        "materials and the pledge: scoring_open fixes three materials (by SHA-256 and media type, sorted by application and hash) and the pledge text's hash; each of the five members confirms the pledge (pledge) before any sheet, seat 1 declaring a conflict with A2 (recusal); the seal counts the nine sheets",
    ));
    v.push(reject(
        "sheet-before-pledge",
        scored_bundle_opened(
            &["A1", "A2"],
            pledged_open,
            |sr| {
                for k in 0..4 {
                    sr.pledge(sr.seat(k));
                }
                sr.everyone_scores();
            },
            |_| {},
            |_| {},
        ),
        "scoring",
        "has not confirmed the round's pledge",
        "scoring_open fixes a pledge text; seat 5 never confirms it (no pledge entry) and commits sheets, which the seal counts",
    ));
    v.push(reject(
        "materials-unsorted",
        scored_bundle_opened(
            &["A1", "A2"],
            |o| {
                pledged_open(o);
                o.materials.reverse();
            },
            |sr| {
                for k in 0..5 {
                    sr.pledge(sr.seat(k));
                }
                sr.everyone_scores();
            },
            |_| {},
            |_| {},
        ),
        "scoring",
        "materials are not sorted",
        "scoring_open lists its materials out of (application, sha256) order",
    ));

    // accept-beaconless
    let mut bl = Run::commit(
        "beaconless",
        plain_spec(5, 1),
        &synthetic(15, 5, 2),
        Opts {
            beacon: false,
            ..Opts::default()
        },
    );
    bl.entropy("监督员 王", 10, None);
    bl.entropy("监督员 李", 20, Some(&supervisor_key));
    bl.reveal(|_| {});
    v.push(accept("beaconless", bl.bundle(), "beacon-less mode: the seed mixes only the operator's secret and two supervisors' contributions; the verifier passes it and says plainly that its assurance is lower"));

    // accept-abandoned
    let mut ab = Run::commit(
        "abandoned",
        plain_spec(5, 1),
        &synthetic(15, 5, 2),
        Opts::default(),
    );
    ab.entropy("监督员 王", 10, None);
    v.push(accept("abandoned", ab.bundle(), "a commit that was never revealed: verifiable as far as it goes, reported as not revealed (in progress, or abandoned)"));

    // accept-voided
    let mut vo = Run::commit(
        "voided",
        plain_spec(5, 1),
        &synthetic(15, 5, 2),
        Opts::default(),
    );
    vo.void(600, "抽取条件录入错误，经监督员确认作废");
    v.push(accept(
        "voided",
        vo.bundle(),
        "a commit voided with a reason before any reveal; the void never hides the commit",
    ));

    // accept-key-rotation: the log key is rotated between the commit and the reveal.
    let mut kr = Run::commit(
        "key-rotation",
        plain_spec(3, 1),
        &synthetic(10, 5, 2),
        Opts::default(),
    );
    kr.entropy("监督员 王", 10, None);
    kr.l.rotate(
        COMMIT_TIME + 30,
        SecretKey::from_seed(&[0x33; 32]),
        "scheduled rotation",
    );
    kr.beacon();
    kr.reveal(|_| {});
    let rot = accept(
        "key-rotation",
        kr.bundle(),
        "the log's key is rotated between the commit and the reveal: the rotation entry, signed by the old key, introduces the new one; the checkpoint is signed by the new key; pinned to the old key",
    );
    v.push(rot);

    // ---- must-reject ----
    let line = entry_line(&plain_bundle, 4); // reveal of plain
    let sig_start = line.rfind("\"sig\":\"").unwrap() + 7;
    let mut bad = line.clone();
    let ch = if &line[sig_start..sig_start + 1] == "A" {
        "B"
    } else {
        "A"
    };
    bad.replace_range(sig_start..sig_start + 1, ch);
    v.push(reject(
        "bad-signature",
        replace_once(&plain_bundle, &line, &bad),
        "signatures",
        "signature does not verify",
        "accept-plain with one character of the reveal's signature changed",
    ));

    let non_canon = replace_once(
        &plain_bundle,
        &line,
        &line.replacen("{\"entry\":{\"body\":{", "{\"entry\":{\"body\": {", 1),
    );
    v.push(reject(
        "non-canonical-entry",
        non_canon,
        "canonical",
        "not canonical",
        "accept-plain with a space added inside the reveal's bytes (same content, other bytes)",
    ));

    let mut ws = Run::commit(
        "wrong-seed",
        plain_spec(5, 2),
        &synthetic(12, 6, 3),
        Opts::default(),
    );
    ws.entropy("监督员 王", 10, None);
    ws.entropy("监督员 李", 20, None);
    ws.beacon();
    let mut reversed = ws.d.entropy_values.clone();
    reversed.reverse();
    ws.reveal(|b| {
        b.entropy.reverse();
        b.seed = draw::seed(
            &b.commit,
            &b.secret,
            Some(&sha256(&hex::decode(ROUND_SIG).unwrap())),
            &reversed,
        );
    });
    v.push(reject("wrong-seed-input", ws.bundle(), "seed", "not the 2 in the log, in log order", "the reveal lists the two contributions in the wrong order (and derives its seed, and panel, from that)"));

    let mut sm = Run::commit(
        "seed-mismatch",
        plain_spec(5, 2),
        &synthetic(12, 6, 3),
        Opts::default(),
    );
    sm.entropy("监督员 王", 10, None);
    sm.beacon();
    sm.reveal(|b| b.seed = Hash32([0x5e; 32]));
    v.push(reject(
        "seed-mismatch",
        sm.bundle(),
        "seed",
        "does not follow from its inputs",
        "the reveal states a seed that is not the hash of its inputs",
    ));

    let mut pn = Run::commit(
        "panel-swap",
        plain_spec(5, 2),
        &synthetic(12, 6, 3),
        Opts::default(),
    );
    pn.entropy("监督员 王", 10, None);
    pn.beacon();
    pn.reveal(|b| {
        std::mem::swap(&mut b.alternates[0], &mut b.panel[2]);
    });
    v.push(reject(
        "panel-not-from-ranks",
        pn.bundle(),
        "panel",
        "does not follow from the ranks",
        "the reveal swaps the third seat with the first alternate, properly signed",
    ));

    let mut ro = Run::commit(
        "replacement-order",
        DrawSpec {
            panel: 5,
            alternates: 3,
            org_cap: None,
            quotas: vec![],
        },
        &synthetic(16, 5, 2),
        Opts::default(),
    );
    ro.entropy("监督员 王", 10, None);
    ro.beacon();
    ro.reveal(|_| {});
    let second = ro.d.pool.leaves[ro.d.alternates[1] as usize].token;
    ro.decline(1, 3600, |b| b.replacement = Some(second));
    v.push(reject("replacement-out-of-order", ro.bundle(), "replacements", "the replacement rule gives it to", "a decline gives the seat to the second alternate although the first keeps every constraint"));

    let leaf_line = {
        let s = String::from_utf8(plain_bundle.clone()).unwrap();
        s.lines()
            .find(|l| l.trim_start().starts_with("{\"id\""))
            .unwrap()
            .to_string()
    };
    let swapped = if leaf_line.contains("\"spec\":\"nursing\"") {
        leaf_line.replace("\"spec\":\"nursing\"", "\"spec\":\"childcare\"")
    } else {
        leaf_line.replacen("\"spec\":\"", "\"spec\":\"x", 1)
    };
    v.push(reject(
        "tampered-pool-leaf",
        replace_once(&plain_bundle, &leaf_line, &swapped),
        "pool",
        "the commit fixed",
        "accept-plain with one pool leaf's specialty changed",
    ));

    // broken chain: re-sign a modified entry so only the chain breaks.
    // A log written before 1.7 (a v1.1 bundle): `prev` is what chains it.
    let mut bc = Run::commit(
        "broken-chain",
        plain_spec(5, 2),
        &synthetic(12, 6, 3),
        Opts {
            pprev: false,
            ..Opts::default()
        },
    );
    bc.entropy("监督员 王", 10, None);
    bc.beacon();
    // The next entry names a wrong prev; it is still signed and in the tree.
    bc.reveal_raw(Hash32([0xab; 32]), None);
    v.push(reject("broken-hash-chain", bc.bundle(), "chain", "prev is abab", "a v1.1 bundle (a log written before protocol 1.7): the reveal's prev field names a hash that is not the previous entry's (the entry is signed and in the tree)"));

    // inclusion proof against the wrong checkpoint: proofs from an older tree size.
    let mut ip = Run::commit(
        "wrong-checkpoint",
        plain_spec(5, 2),
        &synthetic(12, 6, 3),
        Opts::default(),
    );
    ip.entropy("监督员 王", 10, None);
    ip.beacon();
    ip.reveal(|_| {});
    let good = ip.bundle();
    let old_cp = ip.l.checkpoint();
    ip.other_roster_change(500);
    let newer = ip.bundle();
    let s = String::from_utf8(newer).unwrap();
    let new_cp_json = serde_json::to_string(&ip.l.checkpoint()).unwrap();
    let old_cp_json = serde_json::to_string(&old_cp).unwrap();
    // Keep the newer checkpoint but the proofs made for the older tree.
    let good_s = String::from_utf8(good).unwrap();
    let mixed = good_s.replace(&old_cp_json, &new_cp_json);
    assert!(s.contains(&new_cp_json));
    v.push(reject("proof-wrong-checkpoint", mixed.into_bytes(), "inclusion", "inclusion proof does not verify", "inclusion proofs made for the tree of 5 entries, presented with a later checkpoint of 6 entries"));

    // stale checkpoint: a checkpoint that does not yet contain the reveal.
    let mut st = Run::commit(
        "stale",
        plain_spec(5, 2),
        &synthetic(12, 6, 3),
        Opts::default(),
    );
    st.entropy("监督员 王", 10, None);
    st.beacon();
    let stale_cp = st.l.checkpoint();
    st.reveal(|_| {});
    let sb = String::from_utf8(st.bundle()).unwrap();
    let stale = sb.replace(
        &serde_json::to_string(&st.l.checkpoint()).unwrap(),
        &serde_json::to_string(&stale_cp).unwrap(),
    );
    v.push(reject(
        "stale-checkpoint",
        stale.into_bytes(),
        "checkpoint",
        "stale checkpoint",
        "the checkpoint was signed before the reveal was appended, so it cannot prove the reveal",
    ));

    let (mall, bare) = malleated_signature();
    let mut dm = Run::commit(
        "drand-malleated",
        plain_spec(5, 2),
        &synthetic(12, 6, 3),
        Opts::default(),
    );
    dm.entropy("监督员 王", 10, None);
    dm.beacon_with(&mall);
    dm.reveal(|_| {});
    v.push(reject("drand-malleated-signature", dm.bundle(), "beacon", "prime-order subgroup", &format!(
        "round 1000's signature plus a cofactor-torsion point of G1: on the curve but outside the prime-order subgroup; the bare pairing check {} it, the subgroup check must refuse it",
        if bare { "accepts" } else { "does not accept" }
    )));

    let mut dw = Run::commit(
        "drand-wrong-round",
        plain_spec(5, 2),
        &synthetic(12, 6, 3),
        Opts::default(),
    );
    dw.entropy("监督员 王", 10, None);
    // Round 1001's genuine signature, presented as round 1000.
    dw.beacon_with("b33bf3667cbd5a82de3a24b4e0e9fe5513cc1a0e840368c6e31f5fcfa79bea03f73896b25883abf2853d10337fb8fa41");
    dw.reveal(|_| {});
    v.push(reject(
        "drand-bad-signature",
        dw.bundle(),
        "beacon",
        "not quicknet's signature of round 1000",
        "the recorded round 1000 carries round 1001's signature",
    ));

    let late = beacon::round_time(ROUND) + 36;
    let mut tr = Run::commit(
        "target-before-commit",
        plain_spec(5, 2),
        &synthetic(12, 6, 3),
        Opts {
            commit_time: late,
            round_override: Some(ROUND),
            ..Opts::default()
        },
    );
    tr.entropy("监督员 王", 10, None);
    v.push(reject("target-round-before-commit", tr.bundle(), "beacon", "earlier than the commit", "the commit was made after round 1000 was published and still names round 1000: its randomness was already known"));

    let mut le = Run::commit(
        "late-entropy",
        plain_spec(5, 2),
        &synthetic(12, 6, 3),
        Opts::default(),
    );
    le.entropy("监督员 王", 10, None);
    le.entropy("监督员 李", 55, None);
    v.push(reject(
        "late-entropy",
        le.bundle(),
        "entropy",
        "after the deadline",
        "a supervisor's contribution logged 5 s after the entropy deadline",
    ));

    // The attack a reviewer found: a contribution written after the round is
    // known, dated before it. Log time may not go backwards, so it is refused.
    let mut tb = Run::commit(
        "time-backwards",
        plain_spec(5, 2),
        &synthetic(12, 6, 3),
        Opts::default(),
    );
    tb.entropy("监督员 王", 10, None);
    tb.beacon();
    tb.entropy("监督员 李", 40, None);
    v.push(reject("time-backwards", tb.bundle(), "chain", "log time must not go backwards", "a contribution appended after the beacon round but dated before it (inside the deadline): the operator could have chosen it knowing the round"));

    let mut du = Run::commit(
        "decline-unrevealed",
        plain_spec(5, 2),
        &synthetic(12, 6, 3),
        Opts::default(),
    );
    du.entropy("监督员 王", 10, None);
    let token = du.d.pool.leaves[0].token;
    let prov = du.d.province.clone();
    let draw_id = du.d.draw.clone();
    du.l.append(
        COMMIT_TIME + 3600,
        Some(&prov),
        Body::Decline(entry::Decline {
            draw: draw_id,
            reason: reason("unavailable"),
            replacement: None,
            token,
        }),
    );
    v.push(reject(
        "decline-unrevealed",
        du.bundle(),
        "replacements",
        "never revealed",
        "a decline recorded for a draw that was never revealed",
    ));

    // ---- protocol 1.1: the holes of v1, each with its vector ----
    // Hole 1: someone who can write the database but not read keys/ signs a
    // suffix with their own key and appends a rotation {old: theirs, new: the
    // real key}, which they can sign only with their own key.
    let attacker = SecretKey::from_seed(&[0x44; 32]);
    let mut fr = Run::commit_with_key(
        "forged-rotation",
        plain_spec(3, 1),
        &synthetic(10, 5, 2),
        Opts::default(),
        SecretKey::from_seed(&[0x44; 32]),
    );
    fr.entropy("监督员 王", 10, None);
    fr.l.rotate_with(
        COMMIT_TIME + 30,
        SecretKey::from_seed(&LOG_KEY_SEED),
        "scheduled rotation",
        |r| {
            let m = entry::rotation_message(5, &Hash32::ZERO, &r.old_key, &r.new_key);
            r.new_key_sig = base64::engine::general_purpose::STANDARD.encode(attacker.sign(&m));
        },
    );
    fr.beacon();
    fr.reveal(|_| {});
    v.push(reject("forged-key-rotation", fr.bundle(), "key", "is not signed by its new key", "hole 1 of v1: entries signed by an attacker's key, then a key_rotation {old_key: the attacker's, new_key: the real log key} that the attacker could sign only with its own key; the checkpoint is signed by the real key (the service's next write would sign it) and the real key is pinned. v1 accepted it"));

    // Hole 2: an entry chained after the draw's last proven entry, signed, but
    // not the log's entry at that seq; without a proof it was tied to nothing.
    let mut tl = Run::commit(
        "trailing-entry",
        plain_spec(5, 2),
        &synthetic(12, 6, 3),
        Opts::default(),
    );
    tl.entropy("监督员 王", 10, None);
    tl.beacon();
    tl.reveal(|_| {});
    tl.other_roster_change(4000);
    let tl_bundle = tl.bundle();
    let last = tl.l.entries().len() - 2; // the reveal
    let fake_bytes = entry::encode(
        last as u64 + 1,
        COMMIT_TIME + 4000,
        Some(&tl.d.province),
        tl.l.entries()[last].hash,
        Some(tl.l.entries()[last].hash),
        key.public().key_id(),
        &Body::Void(entry::Void {
            commit: Hash32([0xab; 32]),
            draw: DrawId::try_from("gd-2023-another-draw").unwrap(),
            reason: "not in the log".into(),
        }),
    );
    let fake_line = format!(
        "{{\"entry\":{},\"proof\":null,\"sig\":\"{}\"}}",
        String::from_utf8(fake_bytes.clone()).unwrap(),
        base64::engine::general_purpose::STANDARD.encode(key.sign(&fake_bytes))
    );
    let reveal_line = entry_line(&tl_bundle, last as u64);
    v.push(reject(
        "unproven-trailing-entry",
        replace_once(&tl_bundle, &reveal_line, &format!("{reveal_line},\n    {fake_line}")),
        "inclusion",
        "last entry (seq 5) has no inclusion proof",
        "hole 2 of v1: an entry appended after the draw's last entry, signed and chained, inside the checkpoint's size but not the log's entry at that seq, and without a proof",
    ));

    // Hole 5: a disclosed, sealed round's bundle without its rubric and sheets.
    let cut = scored
        .windows(14)
        .position(|w| w == b",\n  \"rubric\": ")
        .expect("scored bundle has a rubric");
    let mut unscored = scored[..cut].to_vec();
    unscored.extend_from_slice(b"\n}\n");
    v.push(reject("seal-without-sheets", unscored, "scoring", "carries no rubric and no sheets", "hole 5 of v1: accept-scored without its rubric and sheets; the log holds the round's seal and the draw is disclosed, so the scoring check cannot be skipped"));

    // Hole 8: beacon-less with no contribution; a reveal before the deadline.
    let mut nc = Run::commit(
        "beaconless-alone",
        plain_spec(5, 1),
        &synthetic(15, 5, 2),
        Opts {
            beacon: false,
            ..Opts::default()
        },
    );
    nc.reveal(|_| {});
    v.push(reject("beaconless-no-contribution", nc.bundle(), "seed", "no supervisor contribution", "hole 8 of v1: a beacon-less draw revealed with no supervisor's contribution: the seed is the operator's alone"));
    let mut rb = Run::commit(
        "beaconless-early",
        plain_spec(5, 1),
        &synthetic(15, 5, 2),
        Opts {
            beacon: false,
            ..Opts::default()
        },
    );
    rb.entropy("监督员 王", 10, None);
    rb.d.reveal(&mut rb.l, COMMIT_TIME + 20, |_| {});
    v.push(reject("reveal-before-deadline", rb.bundle(), "seed", "not after the entropy deadline", "hole 8 of v1: a beacon-less reveal dated before the entropy deadline, when contributions could still come"));

    // Every check made to fail: commit, opening, ranks, disclosure, state.
    // A log written before 1.7 (a v1.1 bundle, which carries every entry of
    // the range): a v1.7 bundle holds only the draw's province's entries, so
    // an entry filed under another province is not in it (a monitor's check).
    let mut cp = Run::commit(
        "other-province",
        plain_spec(5, 1),
        &synthetic(15, 5, 2),
        Opts {
            pprev: false,
            ..Opts::default()
        },
    );
    let (commit_hash, draw_id) = (cp.d.commit_hash, cp.d.draw.clone());
    cp.l.append(
        COMMIT_TIME + 10,
        Some(&Province::try_from("320000").unwrap()),
        Body::Entropy(entry::Entropy {
            attestation: None,
            commit: commit_hash,
            draw: draw_id,
            supervisor: "监督员 王".into(),
            value: Hash32([0x42; 32]),
        }),
    );
    v.push(reject(
        "entry-of-another-province",
        cp.bundle(),
        "commit",
        "names another province than the commit",
        "a v1.1 bundle (a log written before protocol 1.7): a contribution of the draw written under another province than its commit",
    ));

    let mut op = Run::commit(
        "wrong-secret",
        plain_spec(5, 1),
        &synthetic(15, 5, 2),
        Opts::default(),
    );
    op.entropy("监督员 王", 10, None);
    op.beacon();
    op.reveal(|r| r.secret = Hash32([0x5a; 32]));
    v.push(reject(
        "secret-does-not-open-commitment",
        op.bundle(),
        "opening",
        "does not match the commit's secret_commitment",
        "the reveal's secret is not the one the commit committed to",
    ));

    let mut rk = Run::commit(
        "stranger-ranked",
        plain_spec(5, 1),
        &synthetic(15, 5, 2),
        Opts::default(),
    );
    rk.entropy("监督员 王", 10, None);
    rk.beacon();
    rk.reveal(|r| r.alternates[0] = Token(Hash32([0x77; 32])));
    v.push(reject(
        "ranks-token-not-in-pool",
        rk.bundle(),
        "ranks",
        "not a member of the pool",
        "the reveal lists as alternate a token that is not in the committed pool",
    ));

    let mut wd = Run::commit(
        "wrong-opening",
        plain_spec(5, 2),
        &synthetic(12, 6, 3),
        Opts::default(),
    );
    wd.entropy("监督员 王", 10, None);
    wd.beacon();
    wd.reveal(|_| {});
    let t = wd.d.pool.leaves[wd.d.panel[0] as usize].token;
    let mut opening = wd.d.openings[&t].clone();
    opening.name.push('甲');
    let (p, d) = (wd.d.province.clone(), wd.d.draw.clone());
    wd.l.append(
        COMMIT_TIME + 86_400,
        Some(&p),
        Body::Disclosure(entry::Disclosure {
            draw: d,
            members: vec![opening],
        }),
    );
    v.push(reject(
        "disclosure-opening-mismatch",
        wd.bundle(),
        "disclosure",
        "does not match its token",
        "a disclosure opens a panel member's token with another name than the one committed",
    ));

    // Hole 3 of protocol 1.1's issue: colleagues given two organisation tags.
    // A and B work at one organisation (spelled two ways that normalise equal);
    // the operator tags B as if of another organisation, so a cap of 1 seats
    // both. Honestly the pool has two organisations and a panel of 3 with a cap
    // of 1 could not be drawn. The disclosure opens all three.
    let split_cands = roster(&[
        ("A", "甲", "广州（市）第一医院", "nursing"),
        ("B", "乙", "广州(市) 第一医院", "nursing"),
        ("C", "丙", "佛山市护理学校", "nursing"),
    ]);
    let split_draw = "gd-2023-colleagues-split";
    let mut cs = Run::commit_tampered(
        "colleagues-split",
        DrawSpec {
            panel: 3,
            alternates: 0,
            org_cap: Some(1),
            quotas: vec![],
        },
        &split_cands,
        Opts::default(),
        SecretKey::from_seed(&LOG_KEY_SEED),
        |p| {
            let b_at = split_cands.iter().position(|c| c.expert == "B").unwrap();
            let b = p
                .leaves
                .iter()
                .position(|l| l.token == p.members[b_at].token)
                .unwrap();
            let fake = fairpanel_core::tags::org_input(split_draw, "name:另一单位");
            p.leaves[b].org = fairpanel_core::types::OrgTag(p.tag_secret.tag(&fake).0);
        },
    );
    cs.entropy("监督员 王", 10, None);
    cs.beacon();
    cs.reveal(|_| {});
    cs.disclose(86_400 * 20);
    v.push(reject(
        "org-cap-colleagues-split",
        cs.bundle(),
        "disclosure",
        "organisation tag is not proven",
        "hole 3 of the protocol 1.1 issue: two colleagues (广州（市）第一医院 and 广州(市) 第一医院 normalise to one organisation key) committed with two organisation tags, so a cap of 1 seated both; the disclosure opens them and B's organisation tag cannot be proven for its organisation",
    ));

    // Hole 4: one expert id holds two leaves (two salts, two tokens); the VRF
    // gives both one identity tag, which the pool check refuses.
    let twice = roster(&[
        ("E1", "甲", "单位一", "nursing"),
        ("E2", "乙", "单位二", "nursing"),
        ("E2", "乙", "单位二", "nursing"),
        ("E3", "丙", "单位三", "nursing"),
        ("E4", "丁", "单位四", "nursing"),
    ]);
    let mut tw = Run::commit(
        "one-person-two-leaves",
        plain_spec(3, 1),
        &twice,
        Opts::default(),
    );
    tw.entropy("监督员 王", 10, None);
    tw.beacon();
    tw.reveal(|_| {});
    v.push(reject(
        "one-person-two-leaves",
        tw.bundle(),
        "pool",
        "one expert holds two leaves",
        "hole 4 of the protocol 1.1 issue: expert E2 holds two leaves (two salts, two tokens); both carry the one identity tag the draw's key gives E2",
    ));

    // A disclosure whose identity-tag proof does not verify (one byte of its
    // challenge changed, re-signed).
    let mut bp = Run::commit(
        "bad-tag-proof",
        plain_spec(5, 2),
        &synthetic(12, 6, 3),
        Opts::default(),
    );
    bp.entropy("监督员 王", 10, None);
    bp.beacon();
    bp.reveal(|_| {});
    let t = bp.d.pool.leaves[bp.d.panel[0] as usize].token;
    let mut opening = draw::prove_opening(
        &bp.d.pool.tag_secret,
        bp.d.draw.as_str(),
        &bp.d.openings[&t],
        true,
    );
    opening.id_proof.as_mut().unwrap().0[40] ^= 1;
    let (p, d) = (bp.d.province.clone(), bp.d.draw.clone());
    bp.l.append(
        COMMIT_TIME + 86_400,
        Some(&p),
        Body::Disclosure(entry::Disclosure {
            draw: d,
            members: vec![opening],
        }),
    );
    v.push(reject(
        "disclosure-bad-tag-proof",
        bp.bundle(),
        "disclosure",
        "identity tag is not proven",
        "a disclosure whose proof of a panel member's identity tag has one byte of its challenge changed: the ECVRF verification fails",
    ));

    let mut bv = Run::commit(
        "blank-void",
        plain_spec(5, 1),
        &synthetic(15, 5, 2),
        Opts::default(),
    );
    bv.void(600, "  \u{3000} ");
    v.push(reject(
        "void-without-reason",
        bv.bundle(),
        "state",
        "a void must give a reason",
        "a void whose reason is only white space (ASCII and ideographic spaces)",
    ));

    let mut wk = reject(
        "wrong-key",
        plain_bundle.clone(),
        "key",
        "is not among the bundle's signing keys",
        "accept-plain checked against a pinned key that did not sign it",
    );
    wk.pin = "other.pub";
    v.push(wk);

    v.push(Vector {
        file: "reject-not-a-bundle.json".into(),
        bytes: b"{\"hello\":\"world\"}\n".to_vec(),
        expect: "not_a_bundle",
        check: None,
        reason: Some("no \"format\" field"),
        pin: "key.pub",
        description: "JSON that is not a bundle: the verifier says so instead of running checks"
            .into(),
    });

    v.push(Vector {
        file: "reject-protocol-v1.json".into(),
        bytes: replace_once(
            &plain_bundle,
            "\"format\": \"fairpanel-bundle/v1.7\"",
            "\"format\": \"fairpanel-bundle/v1\"",
        ),
        expect: "not_a_bundle",
        check: None,
        reason: Some("protocol v1 bundle"),
        pin: "key.pub",
        description: "accept-plain labelled as a protocol v1 bundle: refused as another version, with a message saying so, before any check runs".into(),
    });

    // Inputs that are not bundles although they look close to one.
    for (file, from, to, reason, description) in [
        (
            "reject-entry-without-proof.json",
            ",\"proof\":null,",
            ",",
            "missing field `proof`",
            "accept-plain-v1-1 with the proof member left out of an entry (it must be present, as null or a list)",
        ),
        (
            "reject-key-with-white-space.json",
            "\"key\": \"",
            "\"key\": \" ",
            "white space",
            "accept-plain with a space before the base64 of its key",
        ),
        (
            "reject-pool-element-not-an-object.json",
            "\"pool\": [\n    {",
            "\"pool\": [\n    42,\n    {",
            "pool element 0 is not a JSON object",
            "accept-plain with a number before its first pool leaf",
        ),
    ] {
        v.push(Vector {
            file: file.into(),
            bytes: replace_once(
                if from.contains("proof") {
                    &old_bundle
                } else {
                    &plain_bundle
                },
                from,
                to,
            ),
            expect: "not_a_bundle",
            check: None,
            reason: Some(reason),
            pin: "key.pub",
            description: description.into(),
        });
    }

    // A checkpoint with a bad line of the log's own name and key after its
    // valid one: invalid, whatever the order of the lines.
    let cp: serde_json::Value = serde_json::from_slice(&plain_bundle).unwrap();
    let cp = cp["checkpoint"].as_str().unwrap().to_string();
    let sig_line = cp.lines().last().unwrap().to_string();
    let mut bad_line = sig_line.clone();
    let k = bad_line.len() - 10;
    let flip = if &bad_line[k..k + 1] == "A" { "B" } else { "A" };
    bad_line.replace_range(k..k + 1, flip);
    let two = format!("{cp}{bad_line}\n");
    v.push(reject(
        "checkpoint-bad-second-signature",
        replace_once(
            &plain_bundle,
            &serde_json::to_string(&cp).unwrap(),
            &serde_json::to_string(&two).unwrap(),
        ),
        "checkpoint",
        "every such line must",
        "accept-plain's checkpoint with a second signature line of the log's name and key hash whose signature does not verify, after the valid one",
    ));

    v.extend(cosigned_vectors(&plain_bundle));
    personal_key_vectors(&mut v);
    expert_key_vectors(&mut v);
    key_replacement_vectors(&mut v);

    // index
    let mut index = String::from("[\n");
    for (i, x) in v.iter().enumerate() {
        let mut m = BTreeMap::new();
        m.insert("file", serde_json::json!(x.file));
        m.insert("expect", serde_json::json!(x.expect));
        m.insert("check", serde_json::json!(x.check));
        m.insert("reason_contains", serde_json::json!(x.reason));
        m.insert("pin", serde_json::json!(x.pin));
        m.insert("description", serde_json::json!(x.description));
        if let Some(w) = witness_of(&x.file) {
            m.insert("witness", serde_json::json!(w));
        }
        index.push_str("  ");
        index.push_str(&serde_json::to_string(&m).unwrap());
        index.push_str(if i + 1 < v.len() { ",\n" } else { "\n" });
    }
    index.push_str("]\n");
    let _ = key;
    (v, index)
}

/// The sampler's own vectors: stream words, bounded integers and ranks.
pub fn sampler_vectors() -> String {
    let mut out = String::from("{\n");
    let seed = sha256(b"fairpanel sampler vector");
    let mut s = Stream::new(seed.0);
    let words: Vec<String> = (0..4)
        .map(|_| format!("\"{:016x}\"", s.next_u64()))
        .collect();
    out.push_str(&format!(
        "  \"seed\": \"{seed}\",\n  \"first_u64_words_hex\": [{}],\n",
        words.join(", ")
    ));
    let mut s = Stream::new(seed.0);
    let bounds = [1u64, 2, 3, 7, 10, 1000, 1 << 32, (1 << 63) + 1, u64::MAX];
    let below: Vec<String> = bounds
        .iter()
        .map(|&n| format!("[{n}, {}]", s.below(n)))
        .collect();
    out.push_str(&format!(
        "  \"below_in_sequence_from_a_fresh_stream\": [{}],\n",
        below.join(", ")
    ));
    let r: Vec<String> = sampler::ranks(seed.0, 10)
        .iter()
        .map(|x| x.to_string())
        .collect();
    out.push_str(&format!("  \"ranks_n10\": [{}]\n}}\n", r.join(", ")));
    out
}

/// The worked example for docs/PROTOCOL.md, from the dead-end vector.
pub fn worked_example() -> String {
    let r = dead_end_run();
    let parsed: Vec<_> =
        r.l.entries()
            .iter()
            .map(|e| entry::parse(&e.bytes).unwrap())
            .collect();
    let reveal = parsed
        .iter()
        .find_map(|p| match &p.body {
            Body::Reveal(x) => Some(x.clone()),
            _ => None,
        })
        .unwrap();
    let order = sampler::ranks(reveal.seed.0, r.d.pool.leaves.len());
    let name = |t: &Token| r.d.openings[t].expert.clone();
    let mut s = String::new();
    s.push_str("From `tests/vectors/accept-dead-end.json` (log key: seed `11` × 32).\n\n");
    s.push_str("Pool leaves, in token order (index: expert, specialty, token):\n\n");
    for (i, l) in r.d.pool.leaves.iter().enumerate() {
        s.push_str(&format!(
            "- {i}: `{}` {} `{}`\n",
            name(&l.token),
            l.spec,
            l.token
        ));
    }
    s.push_str(&format!(
        "\nTag key (the commit's `tag_key`): `{}`\n\n",
        r.d.pool.tag_key
    ));
    s.push_str("Tags (index: organisation key, identity tag `id`, organisation tag `org`; x and y share `org-1`, so one `org`):\n\n");
    for (i, l) in r.d.pool.leaves.iter().enumerate() {
        let o = &r.d.openings[&l.token];
        s.push_str(&format!(
            "- {i}: `{}` id `{}` org `{}`\n",
            fairpanel_core::tags::org_key(&o.code, &o.org),
            hex::encode(l.id.0),
            hex::encode(l.org.0)
        ));
    }
    s.push_str(&format!("\nPool root: `{}`\n\n", r.d.pool.root));
    s.push_str(&format!("Commit entry hash: `{}`\n\n", r.d.commit_hash));
    s.push_str(&format!(
        "Operator secret: `{}`, commitment `{}`\n\n",
        reveal.secret,
        draw::secret_commitment(&reveal.secret)
    ));
    s.push_str(&format!(
        "Beacon: quicknet round 1000, randomness `{}`\n\n",
        sha256(&hex::decode(ROUND_SIG).unwrap())
    ));
    s.push_str(&format!(
        "Contribution entry hashes: {}\n\n",
        reveal
            .entropy
            .iter()
            .map(|h| format!("`{h}`"))
            .collect::<Vec<_>>()
            .join(", ")
    ));
    s.push_str(&format!(
        "Contribution values (these enter the seed): {}\n\n",
        r.d.entropy_values
            .iter()
            .map(|h| format!("`{h}`"))
            .collect::<Vec<_>>()
            .join(", ")
    ));
    s.push_str(&format!("Seed: `{}`\n\n", reveal.seed));
    let mut st = Stream::new(reveal.seed.0);
    let w: Vec<String> = (0..3)
        .map(|_| format!("`{:016x}`", st.next_u64()))
        .collect();
    s.push_str(&format!("First stream words: {}\n\n", w.join(", ")));
    s.push_str(&format!(
        "Fisher–Yates order (indexes): {:?}, that is ranks 1–4 = {}\n\n",
        order,
        order
            .iter()
            .map(|&i| name(&r.d.pool.leaves[i as usize].token))
            .collect::<Vec<_>>()
            .join(", ")
    ));
    s.push_str(&format!(
        "Panel in seat order: {}; alternates: {}\n",
        reveal
            .panel
            .iter()
            .map(&name)
            .collect::<Vec<_>>()
            .join(", "),
        reveal
            .alternates
            .iter()
            .map(&name)
            .collect::<Vec<_>>()
            .join(", ")
    ));
    s
}

/// All files, by name.
pub fn files() -> Vec<(String, Vec<u8>)> {
    let (v, index) = generate();
    let mut out: Vec<(String, Vec<u8>)> = v.into_iter().map(|x| (x.file, x.bytes)).collect();
    out.push(("index.json".into(), index.into_bytes()));
    let (rv, rindex) = report_vectors();
    out.extend(rv.into_iter().map(|x| (x.file, x.bytes)));
    out.push(("report-index.json".into(), rindex.into_bytes()));
    let key = SecretKey::from_seed(&LOG_KEY_SEED).public();
    out.push((
        "key.pub".into(),
        format!("{}\n", key.to_base64()).into_bytes(),
    ));
    out.push(("key.pem".into(), key.to_pem().into_bytes()));
    out.push((
        "other.pub".into(),
        format!(
            "{}\n",
            SecretKey::from_seed(&[0x44; 32]).public().to_base64()
        )
        .into_bytes(),
    ));
    out.push(("witness.pub".into(), witness_file().into_bytes()));
    out.push(("sampler.json".into(), sampler_vectors().into_bytes()));
    out.push(("worked-example.md".into(), worked_example().into_bytes()));
    out
}

#[allow(dead_code)]
fn main() {
    let dir = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "tests/vectors".into());
    std::fs::create_dir_all(&dir).expect("create the vectors folder");
    for (name, bytes) in files() {
        let p = std::path::Path::new(&dir).join(&name);
        std::fs::write(&p, bytes).expect("write a vector");
        println!("wrote {}", p.display());
    }
}

/// Protocol 1.3: a review report's file at the ledger's newest checkpoint,
/// carrying the entries `cited` and every `report` entry of the ledger.
fn report_file(l: &Ledger, doc: &report::ReportDoc, cited: &[u64]) -> Vec<u8> {
    let size = l.size();
    let mut seqs: Vec<u64> = cited.to_vec();
    seqs.extend(
        l.entries()
            .iter()
            .enumerate()
            .filter(|(_, e)| e.kind == entry::Kind::Report)
            .map(|(i, _)| i as u64),
    );
    seqs.sort();
    seqs.dedup();
    let entries: Vec<report::EvidenceEntry> = seqs
        .iter()
        .map(|&s| {
            let e = &l.entries()[s as usize];
            (e.bytes.as_slice(), e.sig, l.inclusion_proof(size, s))
        })
        .collect();
    report::write_file(doc, &l.checkpoint(), &l.public_key(), ORIGIN, &entries, &[])
}

/// A scored, disclosed round with one decline, and its report document (not
/// yet issued): the ledger, the document and the seqs it cites.
fn report_case() -> (Ledger, report::ReportDoc, Vec<u64>) {
    let mut run = Run::commit(
        "report",
        plain_spec(5, 2),
        &synthetic(40, 12, 4),
        Opts::default(),
    );
    run.entropy("监督员 王", 10, None);
    run.beacon();
    run.reveal(|_| {});
    run.decline(1, 7200, |_| {});
    let rubric = scoring::default_rubrics().remove(0);
    let round = DrawId::try_from("gd-2023-r7").unwrap();
    let p = run.d.province.clone();
    let t0 = run.d.commit_time + 86_400;
    run.l.append(
        t0,
        Some(&p),
        Body::ScoringOpen(entry::ScoringOpen {
            abnormal_points: None,
            already_recommended: 4,
            applications: vec!["A1".into(), "A2".into()],
            draw: run.d.draw.clone(),
            quota: 5,
            rubric: rubric.hash(),
            round: round.clone(),
            materials: vec![],
            pledge: None,
        }),
    );
    let results = vec![
        entry::SealedResult {
            application: "A1".into(),
            final_score: "88.50".into(),
            rank: 1,
            recommended: true,
            sheets: 5,
        },
        entry::SealedResult {
            application: "A2".into(),
            final_score: "80.25".into(),
            rank: 2,
            recommended: false,
            sheets: 5,
        },
    ];
    run.l.append(
        t0 + 7200,
        Some(&p),
        Body::Seal(entry::Seal {
            already_recommended: 4,
            quota: 5,
            results: results.clone(),
            round: round.clone(),
            rubric: rubric.hash(),
            rule: "trimmed_mean_v1".into(),
            sheets: vec![],
        }),
    );
    run.disclose(86_400 * 3);
    let l = run.l;
    // Every entry of the draw and the round (the roster change is not cited).
    let mut citations = Vec::new();
    let mut procedure = Vec::new();
    let mut openings = BTreeMap::new();
    let mut seal_seq = 0;
    for (seq, e) in l.entries().iter().enumerate().skip(1) {
        let parsed = entry::parse(&e.bytes).unwrap();
        citations.push(report::Citation {
            hash: e.hash,
            kind: e.kind,
            seq: seq as u64,
            time: parsed.entry.time,
        });
        procedure.push(report::ProcedureStep {
            kind: e.kind,
            seq: seq as u64,
            time: parsed.entry.time,
            what: format!("{:?}", e.kind),
        });
        match parsed.body {
            Body::Disclosure(d) => {
                for o in d.members {
                    openings.insert(o.token, (o.name, o.org, o.code));
                }
            }
            Body::Seal(_) => seal_seq = seq as u64,
            _ => {}
        }
    }
    let mut members: Vec<report::PanelMember> = run
        .d
        .panel
        .iter()
        .map(|&i| {
            let token = run.d.pool.leaves[i as usize].token;
            let (name, org, code) = openings[&token].clone();
            report::PanelMember {
                name,
                organisation: org,
                specialty: code,
                title: "高级工程师".into(),
                token,
            }
        })
        .collect();
    members.sort_by_key(|m| m.token);
    let doc = report::ReportDoc {
        attachments: vec![],
        citations,
        format: report::FORMAT.into(),
        kind: "base_new".into(),
        province: "440000".into(),
        round,
        sections: report::Sections {
            applications: ["A1", "A2"]
                .iter()
                .map(|a| report::ApplicationItem {
                    organisation: format!("{a}单位"),
                    project: format!("{a}项目"),
                    reference: a.to_string(),
                    screen: "passed".into(),
                    scored: true,
                    failures: vec![],
                    override_seq: None,
                })
                .collect(),
            method: report::MethodSection {
                abnormal_points: "15.00".into(),
                already_recommended: 4,
                quota: 5,
                rubric: serde_json::to_value(&rubric).unwrap(),
                rubric_hash: rubric.hash(),
                rule: "trimmed_mean_v1".into(),
                tie_break: "application reference".into(),
            },
            notice: report::NoticeSection {
                detail: None,
                published: false,
            },
            panel: report::PanelSection {
                declined: 1,
                draw: run.d.draw.clone(),
                draws: vec![run.d.draw.clone()],
                drawn: 7,
                members,
                replaced: 1,
            },
            procedure,
            results: report::ResultsSection {
                abnormal: vec![],
                recommended: vec!["A1".into()],
                results,
                seal_seq,
            },
        },
        title: "2023年第7轮".into(),
        year: 2023,
    };
    let cited = doc.citations.iter().map(|c| c.seq).collect();
    (l, doc, cited)
}

/// Issues `doc` (a report entry with its hash) in `l`.
fn issue(l: &mut Ledger, doc: &report::ReportDoc) {
    let t = l
        .entries()
        .last()
        .map(|e| entry::parse(&e.bytes).unwrap().entry.time + 600)
        .unwrap();
    let p = Province::try_from(doc.province.as_str()).unwrap();
    l.append(
        t,
        Some(&p),
        Body::Report(entry::ReportIssued {
            round: doc.round.clone(),
            sha256: doc.hash(),
        }),
    );
}

/// The report vectors (protocol 1.3) and their index, `report-index.json`.
pub fn report_vectors() -> (Vec<Vector>, String) {
    let mut v = Vec::new();
    let (mut l, doc, cited) = report_case();
    issue(&mut l, &doc);
    let good = report_file(&l, &doc, &cited);
    v.push(Vector {
        file: "report-accept.json".into(),
        bytes: good.clone(),
        expect: "accept",
        check: None,
        reason: None,
        pin: "key.pub",
        description: "a scored, disclosed round with one decline and its review report: the report entry fixes the document's SHA-256; the evidence carries the eight cited entries and the report entry with inclusion proofs".into(),
    });
    // A changed score, re-issued by the key holder: the results are not the seal's.
    let (mut l2, mut doc2, cited2) = report_case();
    doc2.sections.results.results[0].final_score = "90.50".into();
    issue(&mut l2, &doc2);
    v.push(Vector {
        file: "report-reject-changed-score.json".into(),
        bytes: report_file(&l2, &doc2, &cited2),
        expect: "reject",
        check: Some("results"),
        reason: Some("differs from the seal"),
        pin: "key.pub",
        description: "A1's final score changed in the document, and the changed document issued (a report entry with its hash, signed by the log's key): the results section is not the seal's".into(),
    });
    // A changed panel member, re-issued.
    let (mut l3, mut doc3, cited3) = report_case();
    doc3.sections.panel.members[0].name = "张三".into();
    issue(&mut l3, &doc3);
    v.push(Vector {
        file: "report-reject-changed-panel.json".into(),
        bytes: report_file(&l3, &doc3, &cited3),
        expect: "reject",
        check: Some("panel"),
        reason: Some("is not as the disclosure"),
        pin: "key.pub",
        description: "a panel member's name changed in the document, and the changed document issued: the disclosure opened that token to another name".into(),
    });
    // The file changed after the report was issued.
    v.push(Vector {
        file: "report-reject-hash-mismatch.json".into(),
        bytes: replace_once(&good, "\"final_score\": \"80.25\"", "\"final_score\": \"82.25\""),
        expect: "reject",
        check: Some("report"),
        reason: Some("the report file was changed"),
        pin: "key.pub",
        description: "report-accept with A2's final score changed in the file: its SHA-256 is not the one the report entry fixes".into(),
    });
    // A cited entry left out of the evidence.
    let reveal = doc
        .citations
        .iter()
        .find(|c| c.kind == entry::Kind::Reveal)
        .unwrap()
        .seq;
    let fewer: Vec<u64> = cited.iter().copied().filter(|s| *s != reveal).collect();
    v.push(Vector {
        file: "report-reject-missing-cited-entry.json".into(),
        bytes: report_file(&l, &doc, &fewer),
        expect: "reject",
        check: Some("cited"),
        reason: Some("which the evidence does not hold"),
        pin: "key.pub",
        description:
            "report-accept without the reveal entry in its evidence: the document cites it".into(),
    });
    let mut index = String::from("[\n");
    for (i, x) in v.iter().enumerate() {
        let mut m = BTreeMap::new();
        m.insert("file", serde_json::json!(x.file));
        m.insert("expect", serde_json::json!(x.expect));
        m.insert("check", serde_json::json!(x.check));
        m.insert("reason_contains", serde_json::json!(x.reason));
        m.insert("pin", serde_json::json!(x.pin));
        m.insert("description", serde_json::json!(x.description));
        index.push_str("  ");
        index.push_str(&serde_json::to_string(&m).unwrap());
        index.push_str(if i + 1 < v.len() { ",\n" } else { "\n" });
    }
    index.push_str("]\n");
    (v, index)
}

/// Protocol 1.4, cosigned checkpoints: the vectors' witness (C2SP tlog-cosignature).
const WITNESS_NAME: &str = "witness.example/w1";
const WITNESS_SEED: [u8; 32] = [0x57; 32];

/// `witness.pub`: the witness as `--witness` takes it, `NAME=BASE64KEY`.
fn witness_file() -> String {
    let k = SecretKey::from_seed(&WITNESS_SEED).public();
    format!("{WITNESS_NAME}={}\n", k.to_base64())
}

/// The witness file the index names for a vector verified with `--witness`.
fn witness_of(file: &str) -> Option<&'static str> {
    ["accept-cosigned.json", "reject-cosignature-bad.json"]
        .contains(&file)
        .then_some("witness.pub")
}

/// accept-plain's bundle with the witness's cosignature on its checkpoint, and
/// with that cosignature's signature spoiled.
fn cosigned_vectors(plain_bundle: &[u8]) -> Vec<Vector> {
    use fairpanel_core::cosignature;
    let v: serde_json::Value = serde_json::from_slice(plain_bundle).unwrap();
    let cp = v["checkpoint"].as_str().unwrap().to_string();
    let w = SecretKey::from_seed(&WITNESS_SEED);
    let line = cosignature::sign(&cp, WITNESS_NAME, &w, 1_700_000_000).unwrap();
    let with = |l: &str| {
        replace_once(
            plain_bundle,
            &serde_json::to_string(&cp).unwrap(),
            &serde_json::to_string(&cosignature::attach(&cp, &[l.to_string()])).unwrap(),
        )
    };
    let mut bad = line.clone();
    let k = bad.len() - 10;
    let flip = if &bad[k..k + 1] == "A" { "B" } else { "A" };
    bad.replace_range(k..k + 1, flip);
    vec![
        accept(
            "cosigned",
            with(&line),
            "accept-plain's checkpoint with a cosignature/v1 line by the witness in witness.pub (C2SP tlog-cosignature, time 1700000000), verified with --witness",
        ),
        reject(
            "cosignature-bad",
            with(&bad),
            "checkpoint",
            "does not verify",
            "accept-plain's checkpoint with a cosignature line of the pinned witness's name and key ID whose signature does not verify (--witness witness.pub)",
        ),
    ]
}

/// How a personal-keys vector's second contribution is signed.
enum Second {
    /// By supervisor B's registered key.
    Honest,
    /// Not at all.
    Unsigned,
    /// By a key that no key_registration of the draw names.
    Unregistered,
    /// The attestation names B's registered key, but A's key made the signature.
    WrongKey,
    /// By the log's own key, which the operator registered as B's.
    OperatorRegistered,
    /// By the log's own key, registered for nobody.
    Operator,
    /// By a key registered to an expert of the pool.
    ExpertKey,
    /// By a second key registered to supervisor A.
    ExtraKeyOfA,
}

/// Protocol 1.4: a beacon draw whose commit requires personal keys. Two
/// supervisors register their own keys (key_registration), then each
/// contributes, signing (draw's commit, value); `second` says how the second
/// contribution is signed.
fn personal_keys_bundle(name: &str, second: Second) -> Vec<u8> {
    let log_key = SecretKey::from_seed(&LOG_KEY_SEED);
    let a = SecretKey::from_seed(&[0x31; 32]);
    let b = SecretKey::from_seed(&[0x32; 32]);
    let stranger = SecretKey::from_seed(&[0x33; 32]);
    let expert = SecretKey::from_seed(&[0x34; 32]);
    let mut r = Run::commit(
        name,
        plain_spec(5, 2),
        &synthetic(12, 6, 3),
        Opts {
            personal_keys: true,
            ..Opts::default()
        },
    );
    let person = |who: &str| sha256(format!("{name} {who}").as_bytes());
    let t = r.d.commit_time;
    let sup = entry::Role::Supervisor;
    r.d.register_key(&mut r.l, t + 2, sup, person("监督员 王"), a.public());
    let b_key = match second {
        Second::OperatorRegistered => log_key.public(),
        _ => b.public(),
    };
    r.d.register_key(&mut r.l, t + 3, sup, person("监督员 李"), b_key);
    match second {
        Second::ExpertKey => {
            let token = r.d.pool.leaves[0].token;
            r.d.register_key(
                &mut r.l,
                t + 4,
                entry::Role::Expert,
                token.0,
                expert.public(),
            );
        }
        Second::ExtraKeyOfA => {
            r.d.register_key(&mut r.l, t + 4, sup, person("监督员 王"), stranger.public());
        }
        _ => {}
    }
    let sign = |k: &SecretKey, named: &SecretKey, c: &Hash32, v: &Hash32| entry::Attestation {
        key: named.public(),
        sig: base64::engine::general_purpose::STANDARD
            .encode(k.sign(&entry::attestation_message(c, v))),
    };
    r.d.entropy_attested(&mut r.l, t + 10, "监督员 王", |c, v| {
        Some(sign(&a, &a, c, v))
    });
    r.d.entropy_attested(&mut r.l, t + 20, "监督员 李", |c, v| match second {
        Second::Honest => Some(sign(&b, &b, c, v)),
        Second::Unsigned => None,
        Second::Unregistered | Second::ExtraKeyOfA => Some(sign(&stranger, &stranger, c, v)),
        Second::WrongKey => Some(sign(&a, &b, c, v)),
        Second::OperatorRegistered | Second::Operator => Some(sign(&log_key, &log_key, c, v)),
        Second::ExpertKey => Some(sign(&expert, &expert, c, v)),
    });
    r.beacon();
    r.reveal(|_| {});
    r.bundle()
}

/// Protocol 1.4: personal keys and signed contributions.
fn personal_key_vectors(v: &mut Vec<Vector>) {
    v.push(accept(
        "personal-keys",
        personal_keys_bundle("personal-keys", Second::Honest),
        "protocol 1.4: the commit requires personal keys (personal_keys: true); two supervisors register their own keys (key_registration, each naming the draw, a pseudonymous person token, the role and the key), then each contribution is signed by its supervisor's registered key",
    ));
    let cases: [(&str, Second, &'static str, &str); 7] = [
        (
            "contribution-unsigned",
            Second::Unsigned,
            "is not signed, but the commit requires personal keys",
            "protocol 1.4: the commit requires personal keys, and the second contribution carries no signature (the operator could have written it in the supervisor's name)",
        ),
        (
            "contribution-unregistered-key",
            Second::Unregistered,
            "which no earlier key_registration of the draw registers",
            "protocol 1.4: the second contribution is validly signed, but by a key no key_registration of the draw registers",
        ),
        (
            "contribution-wrong-key",
            Second::WrongKey,
            "supervisor's signature does not verify",
            "protocol 1.4: the second contribution names supervisor 李's registered key, but supervisor 王's key made the signature",
        ),
        (
            "contribution-operator-key",
            Second::Operator,
            "is signed by the log's own key",
            "protocol 1.4: the second contribution is signed by the log's own (operator's) key, which no one registered",
        ),
        (
            "operator-key-registered",
            Second::OperatorRegistered,
            "registers the log's own key",
            "protocol 1.4: the operator registers the log's own key as supervisor 李's and signs the second contribution with it",
        ),
        (
            "contribution-expert-key",
            Second::ExpertKey,
            "not a supervisor",
            "protocol 1.4: the second contribution is signed by a key registered to an expert of the pool",
        ),
        (
            "key-registered-twice-for-one-person",
            Second::ExtraKeyOfA,
            "gives a second key to a person who already has one",
            "protocol 1.4: supervisor 王 gets a second key in the draw without a replacement (the second contribution is signed with it)",
        ),
    ];
    for (file, second, reason, description) in cases {
        v.push(reject(
            file,
            personal_keys_bundle(file, second),
            "entropy",
            reason,
            description,
        ));
    }
}

/// How a protocol 1.5 vector's scorers sign.
#[derive(Clone, Copy)]
enum Scorers {
    /// Every scorer with their own registered key.
    Honest,
    /// Seat 2's sheet for A1 carries no signature.
    SheetUnsigned,
    /// Seat 2's sheet for A1 is signed by the log's own key.
    SheetOperatorKey,
    /// Seat 2's sheet for A1 is signed by seat 3's registered key.
    SheetOtherExpert,
    /// Seat 2's sheet for A1 is signed by the supervisor's registered key.
    SheetSupervisorKey,
    /// Seat 2's sheet for A1 is signed by a key no registration names.
    SheetUnregistered,
    /// Seat 1's recusal names seat 1's key, but seat 0's key made the signature.
    RecusalWrongSignature,
    /// Seat 4's pledge is signed over another pledge text.
    PledgeWrongSignature,
    /// Protocol 1.6: seat 2's key is replaced (approved by the supervisor)
    /// before scoring, and seat 2 signs with the new key.
    Replaced,
    /// As `Replaced`, but seat 2's sheet for A1 is signed with the old key.
    SheetReplacedKey,
}

/// Protocol 1.5: a draw with personal keys whose supervisor signs the
/// contribution and whose five seated experts register their own keys after
/// the reveal; scoring_open fixes a pledge; every member pledges (seat 1
/// declaring a conflict with A2, a recusal), then scores; every pledge,
/// recusal and sheet_commit is signed as `how` says; seal and disclosure.
fn expert_keys_bundle(name: &str, how: Scorers) -> Vec<u8> {
    let log_key = SecretKey::from_seed(&LOG_KEY_SEED);
    let supervisor = SecretKey::from_seed(&[0x41; 32]);
    let stranger = SecretKey::from_seed(&[0x42; 32]);
    let mut run = Run::commit(
        name,
        plain_spec(5, 2),
        &synthetic(40, 12, 4),
        Opts {
            personal_keys: true,
            ..Opts::default()
        },
    );
    let t = run.d.commit_time;
    run.d.register_key(
        &mut run.l,
        t + 2,
        entry::Role::Supervisor,
        sha256(format!("{name} 监督员 王").as_bytes()),
        supervisor.public(),
    );
    run.d
        .entropy(&mut run.l, t + 10, "监督员 王", Some(&supervisor));
    run.beacon();
    run.reveal(|_| {});
    let seats: Vec<Token> = run
        .d
        .panel
        .iter()
        .map(|&i| run.d.pool.leaves[i as usize].token)
        .collect();
    let mut keys: BTreeMap<Token, SecretKey> = BTreeMap::new();
    for (k, seat) in seats.iter().enumerate() {
        let key = SecretKey::from_seed(&[0x50 + k as u8; 32]);
        run.d.register_key(
            &mut run.l,
            t + 1000 + k as u64,
            entry::Role::Expert,
            seat.0,
            key.public(),
        );
        keys.insert(*seat, key);
    }
    if matches!(how, Scorers::Replaced | Scorers::SheetReplacedKey) {
        // Seat 2 lost the key: a new one, approved by the supervisor.
        let new = SecretKey::from_seed(&[0x5a; 32]);
        let mut reg = entry::KeyRegistration {
            approval: None,
            draw: run.d.draw.clone(),
            key: new.public(),
            person: seats[2].0,
            replaces: Some(keys[&seats[2]].public().key_id()),
            role: entry::Role::Expert,
        };
        entry::approve_replacement(&mut reg, &supervisor);
        run.d.register_key_entry(&mut run.l, t + 1100, reg);
        keys.insert(seats[2], new);
    }
    let old_seat2 = SecretKey::from_seed(&[0x52; 32]);
    let signing = move |body: &mut Body| {
        let (scorer, _) = entry::scorer_signature(body).expect("a scorer's entry");
        let seat = seats.iter().position(|s| *s == scorer).expect("seated");
        let own = &keys[&scorer];
        let target = match &*body {
            Body::SheetCommit(x) => seat == 2 && x.application == "A1",
            _ => false,
        };
        let signed_by = |body: &mut Body, k: &SecretKey| entry::sign_as_scorer(body, k);
        match (how, &*body) {
            (Scorers::SheetUnsigned, _) if target => {}
            (Scorers::SheetOperatorKey, _) if target => signed_by(body, &log_key),
            (Scorers::SheetOtherExpert, _) if target => signed_by(body, &keys[&seats[3]]),
            (Scorers::SheetSupervisorKey, _) if target => signed_by(body, &supervisor),
            (Scorers::SheetUnregistered, _) if target => signed_by(body, &stranger),
            (Scorers::SheetReplacedKey, _) if target => signed_by(body, &old_seat2),
            (Scorers::RecusalWrongSignature, Body::Recusal(_)) => {
                let mut other = body.clone();
                entry::sign_as_scorer(&mut other, &keys[&seats[0]]);
                let Some((_, Some(a))) = entry::scorer_signature(&other) else {
                    unreachable!()
                };
                let a = entry::Attestation {
                    key: own.public(),
                    sig: a.sig.clone(),
                };
                entry::set_scorer_signature(body, Some(a));
            }
            (Scorers::PledgeWrongSignature, Body::Pledge(p)) if seat == 4 => {
                let mut other = Body::Pledge(entry::Pledge {
                    text: sha256(b"another pledge text"),
                    ..p.clone()
                });
                entry::sign_as_scorer(&mut other, own);
                let Some((_, a)) = entry::scorer_signature(&other) else {
                    unreachable!()
                };
                entry::set_scorer_signature(body, a.cloned());
            }
            _ => signed_by(body, own),
        }
    };
    let pledged_open = |o: &mut entry::ScoringOpen| {
        o.pledge = Some(fairpanel_core::hash::tagged(
            fairpanel_core::hash::tag::PLEDGE,
            &["本人承诺：对评审内容保密，与申报单位无利害关系。".as_bytes()],
        ));
    };
    scored_bundle_from(
        run,
        Some(Box::new(signing)),
        &["A1", "A2"],
        pledged_open,
        |sr| {
            for k in 0..5 {
                sr.pledge(sr.seat(k));
            }
            sr.recuse(sr.seat(1), "A2");
            for k in 0..5 {
                sr.submit(sr.seat(k), "A1", k);
                if k != 1 {
                    sr.submit(sr.seat(k), "A2", k + 3);
                }
            }
        },
        |_| {},
        |_| {},
        |_| {},
    )
}

/// Protocol 1.5: experts' personal keys and signed sheets, recusals and pledges.
fn expert_key_vectors(v: &mut Vec<Vector>) {
    v.push(accept(
        "expert-keys",
        expert_keys_bundle("expert-keys", Scorers::Honest),
        "protocol 1.5: the commit requires personal keys; after the reveal each of the five seated experts registers their own key (key_registration, role expert, person = their pool token); every pledge, the recusal and every sheet_commit carries its scorer's signature with that key over the entry's body; the round is sealed and the draw disclosed",
    ));
    v.push(accept(
        "expert-key-replaced",
        expert_keys_bundle("expert-key-replaced", Scorers::Replaced),
        "protocol 1.6: as accept-expert-keys, but after the experts register their keys seat 2's key is replaced (a key_registration naming the old key in `replaces`, approved by the supervisor's registered key) and seat 2 signs every pledge and sheet with the new key",
    ));
    let cases: [(&str, Scorers, &'static str, &str); 8] = [
        (
            "sheet-replaced-key",
            Scorers::SheetReplacedKey,
            "which was replaced at seq",
            "protocol 1.6: seat 2's key is replaced with the supervisor's approval, then seat 2's sheet_commit for A1 is signed with the old key",
        ),
        (
            "sheet-unsigned",
            Scorers::SheetUnsigned,
            "is not signed by its scorer, but the draw's commit requires personal keys",
            "protocol 1.5: seat 2's sheet_commit for A1 carries no signature (the operator could have written it in the expert's name)",
        ),
        (
            "sheet-operator-key",
            Scorers::SheetOperatorKey,
            "is signed by the log's own key",
            "protocol 1.5: seat 2's sheet_commit for A1 is signed by the log's own (operator's) key",
        ),
        (
            "sheet-other-expert-key",
            Scorers::SheetOtherExpert,
            "to another expert, not to scorer",
            "protocol 1.5: seat 2's sheet_commit for A1 is signed by the key registered to seat 3",
        ),
        (
            "sheet-supervisor-key",
            Scorers::SheetSupervisorKey,
            "to a supervisor, not an expert",
            "protocol 1.5: seat 2's sheet_commit for A1 is signed by the supervisor's registered key",
        ),
        (
            "sheet-unregistered-key",
            Scorers::SheetUnregistered,
            "which no earlier key_registration of the draw registers",
            "protocol 1.5: seat 2's sheet_commit for A1 is validly signed by a key no key_registration of the draw names",
        ),
        (
            "recusal-wrong-signature",
            Scorers::RecusalWrongSignature,
            "scorer's signature does not verify",
            "protocol 1.5: seat 1's recusal names seat 1's registered key, but seat 0's key made the signature",
        ),
        (
            "pledge-wrong-signature",
            Scorers::PledgeWrongSignature,
            "scorer's signature does not verify",
            "protocol 1.5: seat 4's pledge carries a signature by its own key over another pledge text",
        ),
    ];
    for (file, how, reason, description) in cases {
        v.push(reject(
            file,
            expert_keys_bundle(file, how),
            "scoring",
            reason,
            description,
        ));
    }
}

/// How a protocol 1.6 vector replaces supervisor 李's key.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Repl {
    /// Approved by supervisor 王's registered key; 李 signs with the new key.
    Honest,
    /// No approval.
    Unapproved,
    /// Approved by the log's own key.
    OperatorApproved,
    /// Approved by an expert's registered key.
    ExpertApproved,
    /// Approved by 李's own (replaced) key.
    SelfApproved,
    /// Approved by a key no key_registration names.
    UnregisteredApprover,
    /// The approval names 王's key, but its signature is over another body.
    BadApprovalSignature,
    /// `replaces` names a key that is not 李's current key.
    NotCurrentKey,
    /// 李 signs after the replacement with the old key.
    OldKeyAfter,
}

/// Protocol 1.6: a beacon draw whose commit requires personal keys.
/// Supervisors 王 and 李 and one expert register their keys; 王 and 李
/// contribute; 李 loses the key and a key_registration replaces it, approved
/// as `how` says; 李 contributes again, with the new key (or the old one).
fn key_replacement_bundle(name: &str, how: Repl) -> Vec<u8> {
    let log_key = SecretKey::from_seed(&LOG_KEY_SEED);
    let wang = SecretKey::from_seed(&[0x61; 32]);
    let li = SecretKey::from_seed(&[0x62; 32]);
    let li_new = SecretKey::from_seed(&[0x63; 32]);
    let expert = SecretKey::from_seed(&[0x64; 32]);
    let stranger = SecretKey::from_seed(&[0x65; 32]);
    let mut r = Run::commit(
        name,
        plain_spec(5, 2),
        &synthetic(12, 6, 3),
        Opts {
            personal_keys: true,
            ..Opts::default()
        },
    );
    let person = |who: &str| sha256(format!("{name} {who}").as_bytes());
    let t = r.d.commit_time;
    let sup = entry::Role::Supervisor;
    r.d.register_key(&mut r.l, t + 2, sup, person("监督员 王"), wang.public());
    r.d.register_key(&mut r.l, t + 3, sup, person("监督员 李"), li.public());
    let token = r.d.pool.leaves[0].token;
    r.d.register_key(
        &mut r.l,
        t + 4,
        entry::Role::Expert,
        token.0,
        expert.public(),
    );
    let sign = |k: &SecretKey, c: &Hash32, v: &Hash32| entry::Attestation {
        key: k.public(),
        sig: base64::engine::general_purpose::STANDARD
            .encode(k.sign(&entry::attestation_message(c, v))),
    };
    r.d.entropy_attested(&mut r.l, t + 10, "监督员 王", |c, v| {
        Some(sign(&wang, c, v))
    });
    r.d.entropy_attested(&mut r.l, t + 11, "监督员 李", |c, v| {
        Some(sign(&li, c, v))
    });
    let mut reg = entry::KeyRegistration {
        approval: None,
        draw: r.d.draw.clone(),
        key: li_new.public(),
        person: person("监督员 李"),
        replaces: Some(match how {
            Repl::NotCurrentKey => stranger.public().key_id(),
            _ => li.public().key_id(),
        }),
        role: sup,
    };
    match how {
        Repl::Unapproved => {}
        Repl::OperatorApproved => entry::approve_replacement(&mut reg, &log_key),
        Repl::ExpertApproved => entry::approve_replacement(&mut reg, &expert),
        Repl::SelfApproved => entry::approve_replacement(&mut reg, &li),
        Repl::UnregisteredApprover => entry::approve_replacement(&mut reg, &stranger),
        Repl::BadApprovalSignature => {
            let mut other = entry::KeyRegistration {
                key: stranger.public(),
                ..reg.clone()
            };
            entry::approve_replacement(&mut other, &wang);
            reg.approval = other.approval;
        }
        _ => entry::approve_replacement(&mut reg, &wang),
    }
    r.d.register_key_entry(&mut r.l, t + 15, reg);
    r.d.entropy_attested(&mut r.l, t + 20, "监督员 李", |c, v| {
        Some(match how {
            Repl::OldKeyAfter => sign(&li, c, v),
            _ => sign(&li_new, c, v),
        })
    });
    r.beacon();
    r.reveal(|_| {});
    r.bundle()
}

/// Protocol 1.6: replacing a lost personal key, approved by a supervisor.
fn key_replacement_vectors(v: &mut Vec<Vector>) {
    v.push(accept(
        "key-replaced",
        key_replacement_bundle("key-replaced", Repl::Honest),
        "protocol 1.6: supervisor 李 contributes with the registered key, loses it, and a second key_registration for 李 names the old key in `replaces` and carries supervisor 王's approval (signature over \"fairpanel/v1/key-replace\" || 0x00 || JCS of the registration without `approval`); 李's later contribution is signed with the new key, the earlier one stays valid under the old key",
    ));
    let cases: [(&str, Repl, &'static str, &str); 8] = [
        (
            "key-replacement-unapproved",
            Repl::Unapproved,
            "without a supervisor's approval",
            "protocol 1.6: 李's key is replaced by a key_registration naming the old key but carrying no approval",
        ),
        (
            "key-replacement-operator-approved",
            Repl::OperatorApproved,
            "approval is by the log's own key",
            "protocol 1.6: the replacement of 李's key is approved with the log's own (operator's) key",
        ),
        (
            "key-replacement-expert-approved",
            Repl::ExpertApproved,
            "to an expert, not to a supervisor",
            "protocol 1.6: the replacement of 李's key is approved with a key registered to an expert of the pool",
        ),
        (
            "key-replacement-self-approved",
            Repl::SelfApproved,
            "approval is by the replaced person's own key",
            "protocol 1.6: the replacement of 李's key is approved with 李's own old key",
        ),
        (
            "key-replacement-unregistered-approver",
            Repl::UnregisteredApprover,
            "approval is by an unregistered key",
            "protocol 1.6: the replacement of 李's key is approved with a key no key_registration of the draw names",
        ),
        (
            "key-replacement-bad-approval",
            Repl::BadApprovalSignature,
            "the approval's signature does not verify",
            "protocol 1.6: the approval names supervisor 王's key, but its signature is over a registration of another key",
        ),
        (
            "key-replacement-not-current",
            Repl::NotCurrentKey,
            "which is not the person's current key",
            "protocol 1.6: the replacement's `replaces` names a key that is not 李's current key",
        ),
        (
            "key-replaced-old-key-used",
            Repl::OldKeyAfter,
            "which was replaced at seq",
            "protocol 1.6: after an approved replacement 李 signs a contribution with the old key",
        ),
    ];
    for (file, how, reason, description) in cases {
        v.push(reject(
            file,
            key_replacement_bundle(file, how),
            "entropy",
            reason,
            description,
        ));
    }
}
