//! A draw carried out step by step over an in-memory [`Ledger`]: commit, supervisors'
//! contributions, beacon, reveal, declines, disclosure or void. The demo and the
//! test vectors use it; each step may be given a `tamper` closure that changes the
//! body before it is signed, which is how must-reject vectors are made.
//!
//! Salts and the operator's secret come from a ChaCha20 stream whose seed the
//! caller brings (the OS for the demo, a fixed value for the vectors).

use crate::beacon;
use crate::draw::{self, Candidate, PreparedPool};
use crate::entry::{self, Attestation, Body};
use crate::fill::{self, Infeasible};
use crate::hash::{Hash32, sha256};
use crate::keys::SecretKey;
use crate::ledger::Ledger;
use crate::sampler::Stream;
use crate::types::{DrawId, DrawSpec, Province, ReasonCode, Token};
use base64::Engine;
use std::collections::HashMap;

/// How a commit chooses its beacon.
#[derive(Clone, Copy, Debug)]
pub enum BeaconPlan {
    /// Beacon-less mode.
    None,
    /// The rule's round for this margin.
    Margin(u64),
    /// A stated round, whatever the rule says (for must-reject vectors).
    Stated { margin: u64, round: u64 },
}

impl BeaconPlan {
    /// The commit's beacon target for a commit at `time`.
    fn target(self, time: u64) -> Option<entry::BeaconTarget> {
        match self {
            BeaconPlan::None => None,
            BeaconPlan::Margin(margin) => Some((margin, beacon::target_round(time, margin))),
            BeaconPlan::Stated { margin, round } => Some((margin, round)),
        }
        .map(|(margin, round)| entry::BeaconTarget {
            chain: beacon::QUICKNET_CHAIN.to_string(),
            margin,
            round,
        })
    }
}

pub struct Commitment<'a> {
    pub province: Province,
    pub draw: DrawId,
    pub title: &'a str,
    pub spec: DrawSpec,
    pub candidates: &'a [Candidate],
    pub time: u64,
    pub beacon: BeaconPlan,
    /// Seconds after the commit during which contributions are taken.
    pub entropy_window: u64,
    /// Protocol 1.4: contributions must be signed by registered personal keys.
    pub personal_keys: bool,
}

pub struct ScriptedDraw {
    rnd: Stream,
    pub province: Province,
    pub draw: DrawId,
    pub spec: DrawSpec,
    pub pool: PreparedPool,
    /// Every member's opening (without proofs), by token.
    pub openings: HashMap<Token, entry::Opening>,
    pub commit_hash: Hash32,
    pub commit_time: u64,
    pub secret: Hash32,
    pub beacon_entry: Option<Hash32>,
    pub randomness: Option<Hash32>,
    /// Entry hashes of the contributions, in log order.
    pub entropy: Vec<Hash32>,
    /// Their values, in the same order.
    pub entropy_values: Vec<Hash32>,
    /// Current panel (pool indexes, seat order); empty before the reveal.
    pub panel: Vec<u32>,
    pub alternates: Vec<u32>,
    /// Everyone ever seated.
    pub ever: Vec<u32>,
    /// A supplementary draw's link to the earlier draw (protocol 1.2).
    pub supplements: Option<entry::Supplements>,
    /// Everyone the reveal named (its own panel and alternates).
    pub named: Vec<u32>,
}

fn random32(rnd: &mut Stream) -> [u8; 32] {
    let mut b = [0u8; 32];
    for c in b.chunks_mut(8) {
        c.copy_from_slice(&rnd.next_u64().to_le_bytes());
    }
    b
}

impl ScriptedDraw {
    /// Prepares the pool, refuses an infeasible draw, and appends the commit.
    pub fn commit(
        l: &mut Ledger,
        random_seed: [u8; 32],
        c: Commitment,
    ) -> Result<ScriptedDraw, Infeasible> {
        Self::commit_with_pool(l, random_seed, c, |_| {})
    }

    /// [`ScriptedDraw::commit`] with the prepared pool changed by `tamper`
    /// before it is committed (then re-sorted and re-hashed): how a dishonest
    /// operator's pool is made for must-reject vectors.
    pub fn commit_with_pool(
        l: &mut Ledger,
        random_seed: [u8; 32],
        c: Commitment,
        tamper: impl FnOnce(&mut PreparedPool),
    ) -> Result<ScriptedDraw, Infeasible> {
        let mut rnd = Stream::new(random_seed);
        let mut pool = draw::prepare_pool(c.draw.as_str(), c.candidates, || random32(&mut rnd));
        tamper(&mut pool);
        pool.reseal();
        fill::check_feasible(&c.spec, &pool.leaves)?;
        let secret = Hash32(random32(&mut rnd));
        let target = c.beacon.target(c.time);
        let (_, commit_hash) = l.append(
            c.time,
            Some(&c.province),
            Body::Commit(entry::Commit {
                beacon: target,
                draw: c.draw.clone(),
                entropy_deadline: c.time + c.entropy_window,
                excluded: pool.excluded.clone(),
                pool_root: pool.root,
                pool_size: pool.leaves.len() as u64,
                secret_commitment: draw::secret_commitment(&secret),
                spec: c.spec.clone(),
                supplements: None,
                personal_keys: c.personal_keys,
                tag_key: pool.tag_key,
                title: c.title.to_string(),
            }),
        );
        let openings = pool
            .openings(c.candidates)
            .expect("the pool was made from these candidates");
        Ok(ScriptedDraw::committed(
            rnd,
            c,
            (pool, openings),
            commit_hash,
            secret,
            None,
        ))
    }

    /// A supplementary draw (补抽, protocol 1.2) of this revealed draw, whose
    /// panel has empty seats: the same pool, tags and rules (with `alternates`
    /// of its own), its own secret and randomness. `tamper` changes the commit
    /// before it is signed (for must-reject vectors).
    pub fn supplement(
        &self,
        l: &mut Ledger,
        random_seed: [u8; 32],
        c: Commitment,
        tamper: impl FnOnce(&mut entry::Commit),
    ) -> Result<ScriptedDraw, Infeasible> {
        let mut rnd = Stream::new(random_seed);
        let tokens = |idx: &[u32]| draw::tokens(&self.pool.leaves, idx);
        let mut drawn: Vec<u32> = self
            .supplements
            .iter()
            .flat_map(|s| s.drawn.iter())
            .filter_map(|t| self.pool.leaves.binary_search_by(|x| x.token.cmp(t)).ok())
            .map(|i| i as u32)
            .chain(self.drawn_here())
            .collect();
        drawn.sort_by_key(|&i| self.pool.leaves[i as usize].token);
        drawn.dedup();
        fill::check_supplement_feasible(&c.spec, &self.pool.leaves, &self.panel, &drawn)?;
        let secret = Hash32(random32(&mut rnd));
        let link = entry::Supplements {
            commit: self.commit_hash,
            draw: self.draw.clone(),
            drawn: tokens(&drawn),
            pool_draw: self
                .supplements
                .as_ref()
                .map_or(self.draw.clone(), |s| s.pool_draw.clone()),
            seated: tokens(&self.panel),
        };
        let target = c.beacon.target(c.time);
        let mut body = entry::Commit {
            beacon: target,
            draw: c.draw.clone(),
            entropy_deadline: c.time + c.entropy_window,
            excluded: self.pool.excluded.clone(),
            pool_root: self.pool.root,
            pool_size: self.pool.leaves.len() as u64,
            secret_commitment: draw::secret_commitment(&secret),
            spec: c.spec.clone(),
            supplements: Some(link),
            personal_keys: c.personal_keys,
            tag_key: self.pool.tag_key,
            title: c.title.to_string(),
        };
        tamper(&mut body);
        let link = body.supplements.clone();
        let (_, commit_hash) = l.append(c.time, Some(&c.province), Body::Commit(body));
        Ok(ScriptedDraw::committed(
            rnd,
            c,
            (self.pool.clone(), self.openings.clone()),
            commit_hash,
            secret,
            link,
        ))
    }

    /// Everyone this draw's reveal named: its panel and its alternates.
    fn drawn_here(&self) -> Vec<u32> {
        self.named.clone()
    }

    /// A supplementary draw's carried members (pool indexes), in seat order.
    fn carried(&self) -> Vec<u32> {
        self.supplements
            .iter()
            .flat_map(|s| s.seated.iter())
            .filter_map(|t| self.pool.leaves.binary_search_by(|x| x.token.cmp(t)).ok())
            .map(|i| i as u32)
            .collect()
    }

    /// A draw just committed: nothing contributed, nothing revealed.
    fn committed(
        rnd: Stream,
        c: Commitment,
        (pool, openings): (PreparedPool, HashMap<Token, entry::Opening>),
        commit_hash: Hash32,
        secret: Hash32,
        supplements: Option<entry::Supplements>,
    ) -> ScriptedDraw {
        ScriptedDraw {
            rnd,
            province: c.province,
            draw: c.draw,
            spec: c.spec,
            pool,
            openings,
            commit_hash,
            commit_time: c.time,
            secret,
            beacon_entry: None,
            randomness: None,
            entropy: vec![],
            entropy_values: vec![],
            panel: vec![],
            alternates: vec![],
            ever: vec![],
            supplements,
            named: vec![],
        }
    }

    /// A supervisor's contribution, optionally signed with the supervisor's own key.
    pub fn entropy(&mut self, l: &mut Ledger, time: u64, who: &str, attest: Option<&SecretKey>) {
        self.entropy_attested(l, time, who, |commit, value| {
            attest.map(|k| Attestation {
                key: k.public(),
                sig: base64::engine::general_purpose::STANDARD
                    .encode(k.sign(&entry::attestation_message(commit, value))),
            })
        })
    }

    /// A contribution whose attestation `attest` makes from the commit hash and
    /// the value (must-reject vectors make wrong ones on purpose).
    pub fn entropy_attested(
        &mut self,
        l: &mut Ledger,
        time: u64,
        who: &str,
        attest: impl FnOnce(&Hash32, &Hash32) -> Option<Attestation>,
    ) {
        let value = Hash32(random32(&mut self.rnd));
        let attestation = attest(&self.commit_hash, &value);
        let (_, h) = l.append(
            time,
            Some(&self.province),
            Body::Entropy(entry::Entropy {
                attestation,
                commit: self.commit_hash,
                draw: self.draw.clone(),
                supervisor: who.to_string(),
                value,
            }),
        );
        self.entropy.push(h);
        self.entropy_values.push(value);
    }

    /// Protocol 1.4: registers a person's own key in this draw.
    pub fn register_key(
        &mut self,
        l: &mut Ledger,
        time: u64,
        role: entry::Role,
        person: Hash32,
        key: crate::keys::PublicKey,
    ) -> Hash32 {
        l.append(
            time,
            Some(&self.province),
            Body::KeyRegistration(entry::KeyRegistration {
                approval: None,
                replaces: None,
                draw: self.draw.clone(),
                key,
                person,
                role,
            }),
        )
        .1
    }

    /// Protocol 1.6: logs a key_registration as given (a replacement with
    /// its `replaces` and `approval`, or anything a must-reject vector needs).
    pub fn register_key_entry(
        &mut self,
        l: &mut Ledger,
        time: u64,
        r: entry::KeyRegistration,
    ) -> Hash32 {
        l.append(time, Some(&self.province), Body::KeyRegistration(r))
            .1
    }

    /// Records a drand round as given (hex signature); it is not checked here: the
    /// verifier does that, and must-reject vectors record bad rounds on purpose.
    pub fn beacon(&mut self, l: &mut Ledger, time: u64, round: u64, sig_hex: &str) {
        let sig = hex::decode(sig_hex).expect("hex signature");
        let randomness = sha256(&sig);
        let (_, h) = l.append(
            time,
            Some(&self.province),
            Body::Beacon(entry::Beacon {
                chain: beacon::QUICKNET_CHAIN.to_string(),
                draw: self.draw.clone(),
                randomness,
                round,
                signature: sig_hex.to_string(),
            }),
        );
        self.beacon_entry = Some(h);
        self.randomness = Some(randomness);
    }

    /// Derives the seed, fills the panel, appends the reveal.
    pub fn reveal(&mut self, l: &mut Ledger, time: u64, tamper: impl FnOnce(&mut entry::Reveal)) {
        let seed = draw::seed(
            &self.commit_hash,
            &self.secret,
            self.randomness.as_ref(),
            &self.entropy_values,
        );
        let carried = self.carried();
        let (_, sel) = match &self.supplements {
            Some(s) => {
                let drawn: Vec<u32> = s
                    .drawn
                    .iter()
                    .filter_map(|t| self.pool.leaves.binary_search_by(|x| x.token.cmp(t)).ok())
                    .map(|i| i as u32)
                    .collect();
                draw::select_supplement(&self.spec, &self.pool.leaves, &seed, &carried, &drawn)
            }
            None => draw::select(&self.spec, &self.pool.leaves, &seed),
        };
        self.panel = carried.iter().chain(&sel.panel).copied().collect();
        self.alternates = sel.alternates.clone();
        self.ever = self.panel.clone();
        self.named = sel.panel.iter().chain(&sel.alternates).copied().collect();
        let mut body = entry::Reveal {
            alternates: draw::tokens(&self.pool.leaves, &sel.alternates),
            beacon: self.beacon_entry,
            commit: self.commit_hash,
            draw: self.draw.clone(),
            entropy: self.entropy.clone(),
            panel: draw::tokens(&self.pool.leaves, &sel.panel),
            secret: self.secret,
            seed,
        };
        tamper(&mut body);
        l.append(time, Some(&self.province), Body::Reveal(body));
    }

    /// Seat `seat` (0-based, current panel) declines; the replacement rule picks who
    /// takes the seat. Returns that alternate's token, or `None` when the alternates
    /// are exhausted.
    pub fn decline(
        &mut self,
        l: &mut Ledger,
        time: u64,
        seat: usize,
        reason: ReasonCode,
        tamper: impl FnOnce(&mut entry::Decline),
    ) -> Option<Token> {
        let who = self.panel[seat];
        let rep = fill::replacement(
            &self.spec,
            &self.pool.leaves,
            &self.panel,
            who,
            &self.alternates,
            &self.ever,
        );
        let mut body = entry::Decline {
            draw: self.draw.clone(),
            reason,
            replacement: rep.map(|i| self.pool.leaves[i as usize].token),
            token: self.pool.leaves[who as usize].token,
        };
        tamper(&mut body);
        l.append(time, Some(&self.province), Body::Decline(body));
        match rep {
            Some(a) => {
                self.panel[seat] = a;
                self.ever.push(a);
            }
            None => {
                self.panel.remove(seat);
            }
        }
        rep.map(|i| self.pool.leaves[i as usize].token)
    }

    /// Opens the tokens of everyone ever seated and of the alternates.
    pub fn disclose(&mut self, l: &mut Ledger, time: u64) {
        let mut idx: Vec<u32> = self
            .ever
            .iter()
            .chain(self.alternates.iter())
            .copied()
            .collect();
        idx.sort();
        idx.dedup();
        let mut members: Vec<entry::Opening> = idx
            .iter()
            .map(|&i| {
                let o = &self.openings[&self.pool.leaves[i as usize].token];
                let pool_draw = self
                    .supplements
                    .as_ref()
                    .map_or(self.draw.as_str(), |s| s.pool_draw.as_str());
                draw::prove_opening(&self.pool.tag_secret, pool_draw, o, true)
            })
            .collect();
        members.sort_by_key(|m| m.token);
        l.append(
            time,
            Some(&self.province),
            Body::Disclosure(entry::Disclosure {
                draw: self.draw.clone(),
                members,
            }),
        );
    }

    pub fn void(&mut self, l: &mut Ledger, time: u64, reason: &str) {
        l.append(
            time,
            Some(&self.province),
            Body::Void(entry::Void {
                commit: self.commit_hash,
                draw: self.draw.clone(),
                reason: reason.to_string(),
            }),
        );
    }

    pub fn bundle(&self, l: &Ledger) -> Vec<u8> {
        l.bundle(&self.draw, &self.pool.leaf_bytes)
    }

    /// The opening (name, expert id, organisation) behind a pool index.
    pub fn opening(&self, i: u32) -> &entry::Opening {
        &self.openings[&self.pool.leaves[i as usize].token]
    }
}
