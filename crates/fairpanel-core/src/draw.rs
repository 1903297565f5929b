//! The draw from the producer's side: preparing a pool of salted tokens, deriving
//! the seed, and computing the panel. The verifier calls the same functions.

use crate::entry::{Exclusion, Opening};
use crate::fill::{self, Selection};
use crate::hash::{Hash32, tag, tagged};
use crate::par::on_every_core;
use crate::pool::{self, Identity, PoolLeaf};
use crate::sampler;
use crate::tags::{self, TagKey, TagSecret};
use crate::types::{DrawSpec, IdTag, OrgTag, ReasonCode, Specialty, Token};
use std::collections::HashMap;

/// `H(secret, secret)`: what the commit fixes about the operator's secret.
pub fn secret_commitment(secret: &Hash32) -> Hash32 {
    tagged(tag::SECRET, &[&secret.0])
}

/// The seed:
/// `H(seed, commit hash || secret || beacon || u32be(k) || value_1 || … || value_k)`
/// where `beacon` is `0x01 || randomness` (33 bytes) or, in beacon-less mode, the
/// single byte `0x00`, and the values are the 32-byte `value`s of the draw's
/// supervisor contributions in log order. Only what the supervisors chose enters
/// the seed, not the entries' other fields (time, labels), which the operator
/// writes and could otherwise vary to steer the seed.
pub fn seed(
    commit: &Hash32,
    secret: &Hash32,
    beacon: Option<&Hash32>,
    values: &[Hash32],
) -> Hash32 {
    let entropy = values;
    let mut m = Vec::with_capacity(32 + 32 + 33 + 4 + 32 * entropy.len());
    m.extend_from_slice(&commit.0);
    m.extend_from_slice(&secret.0);
    match beacon {
        Some(r) => {
            m.push(1);
            m.extend_from_slice(&r.0);
        }
        None => m.push(0),
    }
    m.extend_from_slice(&(entropy.len() as u32).to_be_bytes());
    for e in entropy {
        m.extend_from_slice(&e.0);
    }
    tagged(tag::SEED, &[&m])
}

/// The panel and alternates as tokens.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Outcome {
    pub panel: Vec<Token>,
    pub alternates: Vec<Token>,
}

/// Ranks the pool with the seed and fills the panel. The pool must be sorted by
/// token and have passed [`fill::check_feasible`].
pub fn select(spec: &DrawSpec, pool: &[PoolLeaf], seed: &Hash32) -> (Vec<u32>, Selection) {
    let order = sampler::ranks(seed.0, pool.len());
    let sel = fill::fill(spec, pool, &order);
    (order, sel)
}

/// A supplementary draw's selection (protocol 1.2): the same ranks, with
/// `seated` keeping their seats and `drawn` out of reach. The pool must have
/// passed [`fill::check_supplement_feasible`] for them.
pub fn select_supplement(
    spec: &DrawSpec,
    pool: &[PoolLeaf],
    seed: &Hash32,
    seated: &[u32],
    drawn: &[u32],
) -> (Vec<u32>, Selection) {
    let order = sampler::ranks(seed.0, pool.len());
    let sel = fill::fill_supplement(spec, pool, &order, seated, drawn);
    (order, sel)
}

pub fn tokens(pool: &[PoolLeaf], idx: &[u32]) -> Vec<Token> {
    idx.iter().map(|&i| pool[i as usize].token).collect()
}

/// A member as the province's roster knows them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Candidate {
    pub expert: String,
    pub name: String,
    /// The organisation's name as the roster spells it.
    pub org: String,
    /// The organisation's unified social credit code; empty when unknown.
    pub code: String,
    pub spec: Specialty,
    /// `Some(reason)` if the member is excluded from this draw.
    pub excluded: Option<ReasonCode>,
}

/// A pool ready to commit, with everything needed to disclose it later.
#[derive(Clone, Debug)]
pub struct PreparedPool {
    /// Eligible members' leaves, sorted by token.
    pub leaves: Vec<PoolLeaf>,
    /// Their exact bytes, in the same order.
    pub leaf_bytes: Vec<Vec<u8>>,
    pub root: Hash32,
    pub excluded: Vec<Exclusion>,
    /// Every member's salt and token, eligible or excluded, in the order of
    /// the candidates the pool was made from. The rest of a member's opening
    /// (expert id, name, organisation, code) is the candidate's own, so it
    /// is not copied per member: [`PreparedPool::openings`] and
    /// [`PreparedPool::stored_openings`] join the two (issue 15: a table of
    /// 100,000 openings was about 64 MB of a commit's peak memory).
    pub members: Vec<MemberSecret>,
    /// The draw's secret tag key: kept by the operator, never published.
    pub tag_secret: TagSecret,
    /// Its public key, for the commit.
    pub tag_key: TagKey,
}

/// A member's salt and the token it makes with the member's identity.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct MemberSecret {
    pub salt: Hash32,
    pub token: Token,
}

impl std::fmt::Debug for MemberSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // A salt opens its member's token: it never reaches a log line.
        write!(f, "MemberSecret({:?})", self.token)
    }
}

/// An opening without proofs, borrowing its member's identity from the
/// candidate: serialises exactly as the [`Opening`] it stands for.
#[derive(serde::Serialize)]
struct OpeningRef<'a> {
    code: &'a str,
    expert: &'a str,
    id_proof: Option<()>,
    name: &'a str,
    org: &'a str,
    org_proof: Option<()>,
    salt: Hash32,
    token: Token,
}

impl<'a> OpeningRef<'a> {
    fn new(c: &'a Candidate, m: &MemberSecret) -> OpeningRef<'a> {
        OpeningRef {
            code: &c.code,
            expert: &c.expert,
            id_proof: None,
            name: &c.name,
            org: &c.org,
            org_proof: None,
            salt: m.salt,
            token: m.token,
        }
    }
}

/// A pool's members joined to candidates that are not those it was made from.
#[derive(Debug, thiserror::Error)]
#[error("the pool's members do not match its candidates: {0}")]
pub struct NotThePoolsCandidates(&'static str);

/// What `draw_pools` stores of a pool beside its leaves: every member's
/// opening as one JSON array, and the leaves' expert ids.
pub struct StoredOpenings {
    /// Exactly `serde_json::to_vec` of the [`Opening`]s (without proofs):
    /// the leaves' members in leaf order, then the excluded members who have
    /// no leaf, in the order of `excluded`.
    pub json: Vec<u8>,
    /// The leaves' expert ids, one per line, in leaf order.
    pub experts: String,
}

impl PreparedPool {
    /// Re-sorts the leaves and recomputes their bytes and the root, after a
    /// change to the leaves.
    pub fn reseal(&mut self) {
        self.leaves.sort_by_key(|l| l.token);
        self.leaf_bytes = self.leaves.iter().map(pool::encode_leaf).collect();
        self.root = pool::root_of(&self.leaf_bytes, |b| b.as_slice());
    }

    /// Every member's opening, without proofs ([`prove_opening`] adds them
    /// at disclosure), by token. `candidates` are those the pool was made
    /// from, in the same order.
    pub fn openings(
        &self,
        candidates: &[Candidate],
    ) -> Result<HashMap<Token, Opening>, NotThePoolsCandidates> {
        if candidates.len() != self.members.len() {
            return Err(NotThePoolsCandidates("not as many candidates as members"));
        }
        Ok(candidates
            .iter()
            .zip(&self.members)
            .map(|(c, m)| {
                let o = OpeningRef::new(c, m);
                let opening = Opening {
                    code: o.code.to_string(),
                    expert: o.expert.to_string(),
                    id_proof: None,
                    name: o.name.to_string(),
                    org: o.org.to_string(),
                    org_proof: None,
                    salt: o.salt,
                    token: o.token,
                };
                (m.token, opening)
            })
            .collect())
    }

    /// The openings and expert ids as `draw_pools` stores them
    /// ([`StoredOpenings`]), written straight from the candidates on every
    /// core, with no table of openings in between. `candidates` are those
    /// the pool was made from, in the same order.
    pub fn stored_openings(
        &self,
        candidates: &[Candidate],
    ) -> Result<StoredOpenings, NotThePoolsCandidates> {
        if candidates.len() != self.members.len() {
            return Err(NotThePoolsCandidates("not as many candidates as members"));
        }
        // Each member's candidate index, by token.
        let mut by_token: Vec<(Token, u32)> = self
            .members
            .iter()
            .enumerate()
            .map(|(i, m)| (m.token, i as u32))
            .collect();
        by_token.sort_unstable();
        let find = |t: &Token| {
            by_token
                .binary_search_by(|(x, _)| x.cmp(t))
                .map(|k| by_token[k].1)
                .map_err(|_| NotThePoolsCandidates("a token has no member"))
        };
        let mut order = Vec::with_capacity(candidates.len());
        for l in &self.leaves {
            order.push(find(&l.token)?);
        }
        for x in &self.excluded {
            if self
                .leaves
                .binary_search_by(|l| l.token.cmp(&x.token))
                .is_err()
            {
                order.push(find(&x.token)?);
            }
        }
        drop(by_token);
        let experts = order[..self.leaves.len()]
            .iter()
            .map(|&i| candidates[i as usize].expert.as_str())
            .collect::<Vec<_>>()
            .join("\n");
        let json = json_array_by(&order, |&i| {
            OpeningRef::new(&candidates[i as usize], &self.members[i as usize])
        })
        .expect("openings serialise");
        Ok(StoredOpenings { json, experts })
    }
}

/// A fresh tag key from `random` (a draw of zero, which no fair source gives,
/// is drawn again).
pub fn tag_secret(mut random: impl FnMut() -> [u8; 32]) -> TagSecret {
    loop {
        if let Some(k) = TagSecret::from_random(random()) {
            return k;
        }
    }
}

/// The VRF outputs (tags, no proofs) of `inputs`, in order, on every core: most
/// of a commit's work. A tag depends only on the key and its input.
fn outputs_on_every_core(secret: &TagSecret, inputs: &[Vec<u8>]) -> Vec<[u8; 16]> {
    on_every_core(inputs, 64, |part| {
        secret.outputs(part.iter().map(Vec::as_slice))
    })
}

/// `f` of each of `items` as a compact JSON array, exactly the bytes of
/// `serde_json::to_vec` of the mapped items, serialised on every core without
/// holding them all (a 100,000-member pool's openings are tens of megabytes
/// of JSON).
pub fn json_array_by<I: Sync, T: serde::Serialize>(
    items: &[I],
    f: impl Fn(&I) -> T + Sync,
) -> serde_json::Result<Vec<u8>> {
    join_arrays(on_every_core(items, 4096, |part| {
        vec![serde_json::to_vec(&part.iter().map(&f).collect::<Vec<T>>())]
    }))
}

/// Compact JSON arrays, in order, as one array: each part is an array of its
/// own, joined without their brackets.
fn join_arrays(parts: Vec<serde_json::Result<Vec<u8>>>) -> serde_json::Result<Vec<u8>> {
    let size = parts
        .iter()
        .map(|p| p.as_ref().map_or(0, Vec::len))
        .sum::<usize>();
    // The first part's buffer becomes the output (its capacity often covers
    // much of the rest), so the parts and a whole copy of them are never all
    // held at once.
    let mut parts = parts.into_iter();
    let mut out = match parts.next() {
        None => return Ok(b"[]".to_vec()),
        Some(first) => first?,
    };
    out.pop(); // its `]`
    out.reserve(size + 1 - out.len());
    for part in parts {
        let part = part?;
        let inner = &part[1..part.len() - 1];
        if inner.is_empty() {
            continue;
        }
        if out.len() > 1 {
            out.push(b',');
        }
        out.extend_from_slice(inner);
    }
    out.push(b']');
    Ok(out)
}

/// The identity tag of each candidate `wanted` picks (`None` for the others),
/// in order.
fn id_tags(
    draw: &str,
    candidates: &[Candidate],
    secret: &TagSecret,
    wanted: fn(&Candidate) -> bool,
) -> Vec<Option<[u8; 16]>> {
    let inputs: Vec<Vec<u8>> = candidates
        .iter()
        .filter(|c| wanted(c))
        .map(|c| tags::id_input(draw, &c.expert))
        .collect();
    let mut tags = outputs_on_every_core(secret, &inputs).into_iter();
    candidates
        .iter()
        .map(|c| if wanted(c) { tags.next() } else { None })
        .collect()
}

/// The organisation tag of every organisation key the candidates `wanted`
/// picks have.
fn org_tags(
    draw: &str,
    candidates: &[Candidate],
    secret: &TagSecret,
    wanted: fn(&Candidate) -> bool,
) -> HashMap<String, OrgTag> {
    let keys: Vec<String> = candidates
        .iter()
        .filter(|c| wanted(c))
        .map(|c| tags::org_key(&c.code, &c.org))
        .collect::<std::collections::HashSet<_>>()
        .into_iter()
        .collect();
    let inputs: Vec<Vec<u8>> = keys.iter().map(|k| tags::org_input(draw, k)).collect();
    keys.into_iter()
        .zip(outputs_on_every_core(secret, &inputs))
        .map(|(k, t)| (k, OrgTag(t)))
        .collect()
}

/// Gives the draw a fresh tag key, every candidate a fresh salted token, and
/// every eligible one its identity and organisation tags under that key.
/// `random` supplies 32 fresh random bytes per call: the OS in the service, a
/// fixed stream in the test vectors (the core has no randomness of its own).
pub fn prepare_pool(
    draw: &str,
    candidates: &[Candidate],
    mut random: impl FnMut() -> [u8; 32],
) -> PreparedPool {
    let secret = tag_secret(&mut random);
    let eligible = |c: &Candidate| c.excluded.is_none();
    let ids = id_tags(draw, candidates, &secret, eligible);
    let orgs = org_tags(draw, candidates, &secret, eligible);
    let salts = candidates.iter().map(|_| random()).collect();
    build_pool(draw, candidates, secret, salts, ids, orgs)
}

/// The costly half of a pool, made before its commit (issue 15, item 4): the
/// draw's tag key, every member's salt and identity tag, every organisation's
/// tag, for a draw whose id is already known. The service makes it in the
/// background and uses it at most once; [`assemble_pool`] finishes it at the
/// commit against the candidates of that moment.
#[derive(Clone)]
pub struct PreparedMembers {
    /// The draw these tags are for (the id enters every tag).
    pub draw: String,
    secret: TagSecret,
    /// Salt and identity tag by expert id.
    members: HashMap<String, ([u8; 32], [u8; 16])>,
    /// Organisation tags by organisation key.
    orgs: HashMap<String, OrgTag>,
}

impl std::fmt::Debug for PreparedMembers {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Salts and the tag secret never reach a log line.
        write!(
            f,
            "PreparedMembers({}, {} members)",
            self.draw,
            self.members.len()
        )
    }
}

/// Draws the randomness and computes the tags of [`prepare_pool`] for every
/// candidate, excluded or not (who is excluded is decided at the commit).
/// With the same `random` stream, `assemble_pool(prepare_members(d, c, r), c, _)`
/// equals `prepare_pool(d, c, r)`.
pub fn prepare_members(
    draw: &str,
    candidates: &[Candidate],
    mut random: impl FnMut() -> [u8; 32],
) -> PreparedMembers {
    let secret = tag_secret(&mut random);
    let ids = id_tags(draw, candidates, &secret, |_| true);
    let orgs = org_tags(draw, candidates, &secret, |_| true);
    let mut members = HashMap::with_capacity(candidates.len());
    for (c, id) in candidates.iter().zip(ids) {
        members.insert(
            c.expert.clone(),
            (random(), id.expect("every member has its identity tag")),
        );
    }
    PreparedMembers {
        draw: draw.to_string(),
        secret,
        members,
        orgs,
    }
}

/// Finishes a prepared pool against `candidates` as they are at the commit:
/// tokens from the prepared salts and today's identities, leaves for the
/// eligible, the root. A member the preparation did not know (the roster
/// changed since) gets a fresh salt from `random` and its tags computed here,
/// so the result is always a correct pool for `pre.draw`.
pub fn assemble_pool(
    pre: PreparedMembers,
    candidates: &[Candidate],
    mut random: impl FnMut() -> [u8; 32],
) -> PreparedPool {
    let mut salts = Vec::with_capacity(candidates.len());
    let mut ids = Vec::with_capacity(candidates.len());
    for c in candidates {
        match pre.members.get(&c.expert) {
            Some(&(salt, id)) => {
                salts.push(salt);
                ids.push(Some(id));
            }
            None => {
                salts.push(random());
                ids.push(None);
            }
        }
    }
    build_pool(&pre.draw, candidates, pre.secret, salts, ids, pre.orgs)
}

/// Tokens, openings, exclusions, leaves and root from the draw's secret, each
/// candidate's salt and (where known) identity tag; missing tags of eligible
/// members are computed here.
fn build_pool(
    draw: &str,
    candidates: &[Candidate],
    secret: TagSecret,
    salts: Vec<[u8; 32]>,
    ids: Vec<Option<[u8; 16]>>,
    mut org_tags: HashMap<String, OrgTag>,
) -> PreparedPool {
    let mut leaves = Vec::new();
    let mut excluded = Vec::new();
    let mut members = Vec::with_capacity(candidates.len());
    fn identity(c: &Candidate) -> Identity<'_> {
        Identity {
            expert: &c.expert,
            name: &c.name,
            org: &c.org,
            code: &c.code,
        }
    }
    // Each member's token (a hash of its salt and identity), on every core.
    let pairs: Vec<(&Candidate, &[u8; 32])> = candidates.iter().zip(&salts).collect();
    let tokens = on_every_core(&pairs, 1024, |part| {
        part.iter()
            .map(|(c, salt)| pool::member_token(salt, &identity(c)))
            .collect()
    });
    drop(pairs);
    for (((c, id_tag), salt), token) in candidates.iter().zip(ids).zip(salts).zip(tokens) {
        let id = identity(c);
        members.push(MemberSecret {
            salt: Hash32(salt),
            token,
        });
        match &c.excluded {
            Some(reason) => excluded.push(Exclusion {
                reason: reason.clone(),
                token,
            }),
            None => {
                let org = *org_tags
                    .entry(id.org_key())
                    .or_insert_with_key(|k| OrgTag(secret.output(&tags::org_input(draw, k))));
                let id_tag =
                    id_tag.unwrap_or_else(|| secret.output(&tags::id_input(draw, &c.expert)));
                leaves.push(PoolLeaf {
                    id: IdTag(id_tag),
                    org,
                    spec: c.spec.clone(),
                    token,
                })
            }
        }
    }
    leaves.sort_by_key(|l| l.token);
    excluded.sort_by_key(|x| x.token);
    let leaf_bytes: Vec<Vec<u8>> = on_every_core(&leaves, 1024, |part| {
        part.iter().map(pool::encode_leaf).collect()
    });
    let root = pool::root_of(&leaf_bytes, |b| b.as_slice());
    PreparedPool {
        leaves,
        leaf_bytes,
        root,
        excluded,
        members,
        tag_key: secret.public(),
        tag_secret: secret,
    }
}

/// An opening with the proofs of its leaf's identity and organisation tags,
/// for a disclosure. Excluded members have no leaf, so no proofs: the caller
/// passes `in_pool = false` and the proofs stay `null`.
pub fn prove_opening(secret: &TagSecret, draw: &str, o: &Opening, in_pool: bool) -> Opening {
    let mut o = o.clone();
    if in_pool {
        let key = tags::org_key(&o.code, &o.org);
        o.id_proof = Some(secret.tag(&tags::id_input(draw, &o.expert)).1);
        o.org_proof = Some(secret.tag(&tags::org_input(draw, &key)).1);
    } else {
        o.id_proof = None;
        o.org_proof = None;
    }
    o
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The openings' JSON made on every core is byte for byte the JSON of one
    /// `to_vec`, for arrays split in parts or not, with escapes in them.
    #[test]
    fn a_json_array_made_on_every_core_is_the_one_made_at_once() {
        for n in [0usize, 1, 2, 4095, 4096, 9_999] {
            let items: Vec<(String, u64, Option<&str>)> = (0..n as u64)
                .map(|k| {
                    (
                        format!("专家\"{k}\n"),
                        k * 7919,
                        (k % 3 == 0).then_some("x"),
                    )
                })
                .collect();
            let at_once = serde_json::to_vec(&items).unwrap();
            assert_eq!(
                json_array_by(&items, Clone::clone).unwrap(),
                at_once,
                "{n} items"
            );
        }
        // The parts really are made apart when there are cores for them.
        let parts = on_every_core(&[1u8; 10_000][..], 4096, |part| vec![part.len()]);
        let cores = std::thread::available_parallelism()
            .map_or(1, |n| n.get())
            .min(16);
        assert_eq!(parts.len(), cores.min(10_000), "{parts:?}");
        assert_eq!(parts.iter().sum::<usize>(), 10_000);
    }

    #[test]
    fn seed_depends_on_every_input_and_the_entropy_order() {
        let c = Hash32([1; 32]);
        let s = Hash32([2; 32]);
        let b = Hash32([3; 32]);
        let e1 = Hash32([4; 32]);
        let e2 = Hash32([5; 32]);
        let base = seed(&c, &s, Some(&b), &[e1, e2]);
        assert_ne!(base, seed(&c, &s, Some(&b), &[e2, e1]));
        assert_ne!(base, seed(&c, &s, None, &[e1, e2]));
        assert_ne!(base, seed(&c, &Hash32([9; 32]), Some(&b), &[e1, e2]));
        assert_ne!(base, seed(&Hash32([9; 32]), &s, Some(&b), &[e1, e2]));
        assert_ne!(base, seed(&c, &s, Some(&b), &[e1]));
    }

    fn counter() -> impl FnMut() -> [u8; 32] {
        let mut n = 0u8;
        move || {
            n = n.wrapping_add(1);
            [n; 32]
        }
    }

    fn some_candidates() -> Vec<Candidate> {
        let spec = Specialty::try_from("nursing").unwrap();
        (0..12)
            .map(|i| Candidate {
                expert: format!("e{i}"),
                name: format!("专家{i}"),
                org: format!("org{}", i % 3),
                code: String::new(),
                spec: spec.clone(),
                excluded: (i % 5 == 1).then(|| ReasonCode::try_from("same_org").unwrap()),
            })
            .collect()
    }

    fn same_pool(a: &PreparedPool, b: &PreparedPool, cands: &[Candidate]) {
        assert_eq!(a.root, b.root);
        assert_eq!(a.leaf_bytes, b.leaf_bytes);
        assert_eq!(a.excluded, b.excluded);
        assert_eq!(a.tag_key, b.tag_key);
        assert_eq!(a.members, b.members);
        let (a, b) = (a.openings(cands).unwrap(), b.openings(cands).unwrap());
        assert_eq!(a, b);
        assert_eq!(a.len(), cands.len());
    }

    #[test]
    fn a_pool_prepared_ahead_is_the_pool_the_commit_would_make() {
        let cands = some_candidates();
        let now = prepare_pool("gd-2026-r1-d1", &cands, counter());
        let ahead = prepare_members("gd-2026-r1-d1", &cands, counter());
        // Nothing more is drawn when every member was prepared.
        let pool = assemble_pool(ahead, &cands, || panic!("no fresh randomness needed"));
        same_pool(&now, &pool, &cands);
    }

    #[test]
    fn a_pool_prepared_before_a_roster_change_is_finished_for_the_roster_of_the_commit() {
        let before = some_candidates();
        let ahead = prepare_members("gd-2026-r1-d1", &before, counter());
        // After the preparation: one member moved organisation, one left, one
        // joined, and the exclusions changed.
        let mut after = before.clone();
        after[3].org = "org-new".into();
        after.remove(7);
        after.push(Candidate {
            expert: "e99".into(),
            name: "新专家".into(),
            org: "org0".into(),
            code: String::new(),
            spec: after[0].spec.clone(),
            excluded: None,
        });
        after[1].excluded = None;
        let mut fresh = [7u8; 32];
        let pool = assemble_pool(ahead, &after, || {
            fresh[0] += 1;
            fresh
        });
        let eligible = after.iter().filter(|c| c.excluded.is_none()).count();
        assert_eq!(pool.leaves.len(), eligible);
        assert!(pool::check_order(&pool.leaves).is_ok());
        let openings = pool.openings(&after).unwrap();
        for leaf in &pool.leaves {
            let o = &openings[&leaf.token];
            let id = Identity {
                expert: &o.expert,
                name: &o.name,
                org: &o.org,
                code: &o.code,
            };
            // Tokens follow today's identities; the tags prove under the key.
            assert_eq!(pool::member_token(&o.salt.0, &id), leaf.token);
            let proved = prove_opening(&pool.tag_secret, "gd-2026-r1-d1", o, true);
            assert_eq!(
                pool.tag_key.verify(
                    &tags::org_input("gd-2026-r1-d1", &id.org_key()),
                    &proved.org_proof.unwrap()
                ),
                Some(leaf.org.0)
            );
            assert_eq!(
                pool.tag_key.verify(
                    &tags::id_input("gd-2026-r1-d1", &o.expert),
                    &proved.id_proof.unwrap()
                ),
                Some(leaf.id.0)
            );
        }
        assert!(openings.values().all(|o| o.expert != "e7"));
        assert!(openings.values().any(|o| o.expert == "e99"));
    }

    #[test]
    fn prepared_pools_are_sorted_and_open_to_their_tokens() {
        let spec = Specialty::try_from("nursing").unwrap();
        let cands: Vec<Candidate> = (0..20)
            .map(|i| Candidate {
                expert: format!("e{i}"),
                name: format!("专家{i}"),
                // Spellings of one organisation that normalise equal.
                org: ["org 0", "ORG0", "org1", "org2"][i % 4].to_string(),
                code: if i % 4 == 2 {
                    "91X".into()
                } else {
                    String::new()
                },
                spec: spec.clone(),
                excluded: (i == 4).then(|| ReasonCode::try_from("same_org").unwrap()),
            })
            .collect();
        let mut n = 0u8;
        let p = prepare_pool("gd-2026-r1-d1", &cands, || {
            n += 1;
            [n; 32]
        });
        assert_eq!(p.leaves.len(), 19);
        assert_eq!(p.excluded.len(), 1);
        assert!(pool::check_order(&p.leaves).is_ok());
        let openings = p.openings(&cands).unwrap();
        for leaf in &p.leaves {
            let o = &openings[&leaf.token];
            let id = Identity {
                expert: &o.expert,
                name: &o.name,
                org: &o.org,
                code: &o.code,
            };
            assert_eq!(pool::member_token(&o.salt.0, &id), leaf.token);
            let proved = prove_opening(&p.tag_secret, "gd-2026-r1-d1", o, true);
            let org_alpha = tags::org_input("gd-2026-r1-d1", &id.org_key());
            let id_alpha = tags::id_input("gd-2026-r1-d1", &o.expert);
            assert_eq!(
                p.tag_key.verify(&org_alpha, &proved.org_proof.unwrap()),
                Some(leaf.org.0)
            );
            assert_eq!(
                p.tag_key.verify(&id_alpha, &proved.id_proof.unwrap()),
                Some(leaf.id.0)
            );
        }
        assert!(pool::check_identities(&p.leaves).is_ok());
        // Members of one organisation share a tag, however it is spelled;
        // different organisations do not.
        let tag_of = |e: &str| {
            p.leaves
                .iter()
                .find(|l| openings[&l.token].expert == e)
                .unwrap()
                .org
        };
        assert_eq!(tag_of("e0"), tag_of("e1"));
        assert_eq!(tag_of("e0"), tag_of("e8"));
        assert_ne!(tag_of("e0"), tag_of("e2"));
        assert_ne!(tag_of("e2"), tag_of("e3"));
    }

    /// What `draw_pools` stores is the JSON of the openings themselves, in
    /// leaf order and then the excluded members', and the leaves' expert ids;
    /// candidates that are not the pool's are refused.
    #[test]
    fn stored_openings_are_the_openings_json_in_leaf_order() {
        // Enough members that the JSON is made in parts on every core.
        let spec = Specialty::try_from("nursing").unwrap();
        let cands: Vec<Candidate> = (0..9_000)
            .map(|i| Candidate {
                expert: format!("e{i}"),
                name: format!("专家\"{i}\n"),
                org: format!("org{}", i % 37),
                code: if i % 3 == 0 {
                    format!("91{i}")
                } else {
                    String::new()
                },
                spec: spec.clone(),
                excluded: (i % 7 == 3).then(|| ReasonCode::try_from("same_org").unwrap()),
            })
            .collect();
        let p = prepare_pool("gd-2026-r1-d1", &cands, counter());
        let openings = p.openings(&cands).unwrap();
        let ordered: Vec<&Opening> = p
            .leaves
            .iter()
            .map(|l| l.token)
            .chain(p.excluded.iter().map(|x| x.token))
            .map(|t| &openings[&t])
            .collect();
        assert_eq!(ordered.len(), cands.len());
        let stored = p.stored_openings(&cands).unwrap();
        assert_eq!(stored.json, serde_json::to_vec(&ordered).unwrap());
        let back: Vec<Opening> = serde_json::from_slice(&stored.json).unwrap();
        assert_eq!(back.len(), cands.len());
        let experts: Vec<&str> = stored.experts.split('\n').collect();
        assert_eq!(experts.len(), p.leaves.len());
        for (e, l) in experts.iter().zip(&p.leaves) {
            assert_eq!(*e, openings[&l.token].expert);
        }
        // Someone else's candidates, or one fewer, open nothing.
        assert!(p.openings(&cands[1..]).is_err());
        assert!(p.stored_openings(&cands[1..]).is_err());
        let other = prepare_pool("gd-2026-r1-d1", &cands[..10], || [0xab; 32]);
        let mut mixed = p.clone();
        mixed.members[..10].copy_from_slice(&other.members);
        assert!(mixed.stored_openings(&cands).is_err());
    }
}
