//! The constrained panel fill, its feasibility check, and the replacement rule.
//!
//! Why the fill cannot dead-end: each member is taken only if the seats still empty
//! can be completed from the members not yet taken ("completable"). With one
//! specialty per member, a partial panel `T` is completable iff
//!
//! 1. the unmet quota seats `D` can be filled at once: the flow from the quotas
//!    (demand = unmet minimum) through `(specialty, organisation)` pairs (capacity =
//!    untaken members) to the organisations (capacity = cap − members of `T` from
//!    it) reaches `D`; and
//! 2. `Σ_o min(untaken_o, cap − taken_o) ≥ seats left`.
//!
//! (Proof: the members of a flow of value `D` are independent in the partition
//! matroid "at most cap − taken_o from organisation o"; condition 2 says the rank of
//! the untaken members in that matroid is at least the seats left, so by the
//! augmentation property the flow's members extend to a full panel.) Taking a
//! member that passes the cap lowers both sides of condition 2 by one, so once the
//! pool passes it before the commit it holds for ever; only condition 1 needs
//! checking per member, and only when there is a cap and a quota. Without a cap
//! condition 1 is `untaken_s ≥ unmet_s`, which a quota pass never breaks.

use crate::pool::PoolLeaf;
use crate::types::{DrawSpec, OrgTag};
use std::collections::{HashMap, VecDeque};

/// A constraint the eligible pool cannot meet, named for the coordinator.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{constraint}: {detail}")]
pub struct Infeasible {
    /// `spec`, `pool_size`, `quota:<specialty>`, `org_cap`, or `quotas_with_org_cap`.
    pub constraint: String,
    pub detail: String,
}

fn infeasible(constraint: impl Into<String>, detail: impl Into<String>) -> Infeasible {
    Infeasible {
        constraint: constraint.into(),
        detail: detail.into(),
    }
}

/// The panel (in seat order) and the alternates (in order), as indexes into the
/// pool sorted by token.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Selection {
    pub panel: Vec<u32>,
    pub alternates: Vec<u32>,
}

/// Refuses, before anything is committed, a draw whose rules the pool cannot meet.
/// A draw that passes can always be completed, whatever the seed.
pub fn check_feasible(spec: &DrawSpec, pool: &[PoolLeaf]) -> Result<(), Infeasible> {
    spec.validate().map_err(|e| infeasible("spec", e))?;
    let need = spec.panel as usize + spec.alternates as usize;
    if pool.len() < need {
        return Err(infeasible(
            "pool_size",
            format!(
                "the panel of {} and {} alternates need {need} eligible members, the pool has {} ({} short)",
                spec.panel,
                spec.alternates,
                pool.len(),
                need - pool.len()
            ),
        ));
    }
    for q in &spec.quotas {
        let have = pool.iter().filter(|m| m.spec == q.spec).count() as u32;
        if have < q.min {
            return Err(infeasible(
                format!("quota:{}", q.spec),
                format!(
                    "needs at least {} members of {}, the pool has {have} ({} short)",
                    q.min,
                    q.spec,
                    q.min - have
                ),
            ));
        }
    }
    if let Some(cap) = spec.org_cap {
        let state = State::new(spec, pool);
        let rank: u64 = state
            .untaken_org
            .iter()
            .map(|&c| u64::from(c.min(cap)))
            .sum();
        if rank < u64::from(spec.panel) {
            return Err(infeasible(
                "org_cap",
                format!(
                    "with at most {cap} per organisation the {} organisations in the pool can seat {rank}, the panel needs {} ({} short)",
                    state.untaken_org.len(),
                    spec.panel,
                    u64::from(spec.panel) - rank
                ),
            ));
        }
        let wanted: u32 = state.unmet.iter().sum();
        let got = state.quota_flow();
        if got < wanted {
            return Err(infeasible(
                "quotas_with_org_cap",
                format!(
                    "with at most {cap} per organisation only {got} of the {wanted} quota seats can be filled ({} short)",
                    wanted - got
                ),
            ));
        }
    }
    Ok(())
}

/// Fills the panel and lists the alternates from the Fisher–Yates `order`.
///
/// 1. For each quota in the order given (the stratum order), walk the ranks from
///    the top and take each member who is not taken, has that specialty, keeps the
///    organisation cap and leaves the panel completable, until the quota is met.
/// 2. Walk the ranks from the top again and take each member who is not taken,
///    keeps the cap and leaves the panel completable, until the panel is full.
/// 3. The alternates are the first `alternates` members, in rank order, not on
///    the panel.
///
/// The caller must have passed [`check_feasible`]; then this cannot fail.
pub fn fill(spec: &DrawSpec, pool: &[PoolLeaf], order: &[u32]) -> Selection {
    fill_around(spec, pool, order, &[], &[])
}

/// A supplementary draw's empty seats (补抽, protocol 1.2), checked before its
/// commit: `seated` (pool indexes) keep their seats and count towards the
/// quotas and the cap; `drawn` (every member the chain has named, `seated`
/// among them) are never taken. The seats left must be fillable from the rest,
/// with the alternates the spec asks for.
pub fn check_supplement_feasible(
    spec: &DrawSpec,
    pool: &[PoolLeaf],
    seated: &[u32],
    drawn: &[u32],
) -> Result<(), Infeasible> {
    spec.validate().map_err(|e| infeasible("spec", e))?;
    if seated.iter().any(|i| !drawn.contains(i)) || drawn.iter().any(|&i| i as usize >= pool.len())
    {
        return Err(infeasible(
            "supplement",
            "the seated members must be among the members the chain has drawn, all in the pool",
        ));
    }
    let seats = (spec.panel as usize).saturating_sub(seated.len());
    if seats == 0 {
        return Err(infeasible(
            "supplement",
            format!(
                "the panel of {} has {} seated members: no seat is empty",
                spec.panel,
                seated.len()
            ),
        ));
    }
    if !panel_within_cap(spec, pool, seated) {
        return Err(infeasible(
            "org_cap",
            "the seated members already break the organisation cap",
        ));
    }
    let left = pool.len() - drawn.len();
    let need = seats + spec.alternates as usize;
    if left < need {
        return Err(infeasible(
            "pool_size",
            format!(
                "{seats} empty seats and {} alternates need {need} members not yet drawn, the pool has {left} ({} short)",
                spec.alternates,
                need - left
            ),
        ));
    }
    let state = State::around(spec, pool, seated, drawn);
    let wanted: u32 = state.unmet.iter().sum();
    if wanted as usize > seats {
        return Err(infeasible(
            "supplement",
            format!("{wanted} quota seats are unmet, but only {seats} seats are empty"),
        ));
    }
    for (qi, q) in spec.quotas.iter().enumerate() {
        let have: u32 = state.untaken_qo[qi].values().sum();
        if have < state.unmet[qi] {
            return Err(infeasible(
                format!("quota:{}", q.spec),
                format!(
                    "needs {} more members of {}, the pool has {have} not yet drawn ({} short)",
                    state.unmet[qi],
                    q.spec,
                    state.unmet[qi] - have
                ),
            ));
        }
    }
    if let Some(cap) = spec.org_cap {
        let rank: u64 = (0..state.untaken_org.len())
            .map(|o| u64::from(state.untaken_org[o].min(cap - state.taken_org[o])))
            .sum();
        if rank < seats as u64 {
            return Err(infeasible(
                "org_cap",
                format!(
                    "with at most {cap} per organisation the members not yet drawn can take {rank} seats, {seats} are empty ({} short)",
                    seats as u64 - rank
                ),
            ));
        }
        let got = state.quota_flow();
        if got < wanted {
            return Err(infeasible(
                "quotas_with_org_cap",
                format!(
                    "with at most {cap} per organisation only {got} of the {wanted} unmet quota seats can be filled ({} short)",
                    wanted - got
                ),
            ));
        }
    }
    Ok(())
}

/// Fills a supplementary draw's empty seats by the rule of [`fill`], with
/// `seated` already on the panel and `drawn` out of reach (see
/// [`check_supplement_feasible`], which the caller must have passed). The
/// selection's panel holds the new members only, in the order taken; the
/// alternates are the first members in rank order who are neither drawn nor
/// taken.
pub fn fill_supplement(
    spec: &DrawSpec,
    pool: &[PoolLeaf],
    order: &[u32],
    seated: &[u32],
    drawn: &[u32],
) -> Selection {
    fill_around(spec, pool, order, seated, drawn)
}

fn fill_around(
    spec: &DrawSpec,
    pool: &[PoolLeaf],
    order: &[u32],
    seated: &[u32],
    drawn: &[u32],
) -> Selection {
    let seats = spec.panel as usize - seated.len();
    let mut taken = vec![false; pool.len()];
    for &i in drawn {
        taken[i as usize] = true;
    }
    let mut panel = Vec::with_capacity(seats);

    if spec.quotas.is_empty() && spec.org_cap.is_none() {
        // Nothing constrains the seats: the panel is the top ranks.
        panel.extend(
            order
                .iter()
                .copied()
                .filter(|&i| !taken[i as usize])
                .take(seats),
        );
        for &i in &panel {
            taken[i as usize] = true;
        }
    } else {
        let mut state = State::around(spec, pool, seated, drawn);
        for (qi, q) in spec.quotas.iter().enumerate() {
            for &i in order {
                if state.unmet[qi] == 0 {
                    break;
                }
                let m = &pool[i as usize];
                if taken[i as usize] || m.spec != q.spec {
                    continue;
                }
                if state.try_take(i as usize) {
                    taken[i as usize] = true;
                    panel.push(i);
                }
            }
            assert_eq!(
                state.unmet[qi], 0,
                "a feasible draw always meets its quotas"
            );
        }
        for &i in order {
            if panel.len() == seats {
                break;
            }
            if !taken[i as usize] && state.try_take(i as usize) {
                taken[i as usize] = true;
                panel.push(i);
            }
        }
        assert_eq!(panel.len(), seats, "a feasible draw always fills");
    }
    let alternates = order
        .iter()
        .copied()
        .filter(|&i| !taken[i as usize])
        .take(spec.alternates as usize)
        .collect();
    Selection { panel, alternates }
}

/// Whether a (possibly partial) panel keeps the organisation cap.
fn panel_within_cap(spec: &DrawSpec, pool: &[PoolLeaf], panel: &[u32]) -> bool {
    let Some(cap) = spec.org_cap else {
        return true;
    };
    let mut per_org: HashMap<OrgTag, u32> = HashMap::new();
    panel.iter().all(|&i| {
        let c = per_org.entry(pool[i as usize].org).or_default();
        *c += 1;
        *c <= cap
    })
}

/// Whether a full panel keeps every constraint.
pub fn panel_ok(spec: &DrawSpec, pool: &[PoolLeaf], panel: &[u32]) -> bool {
    panel_within_cap(spec, pool, panel)
        && spec.quotas.iter().all(|q| {
            panel
                .iter()
                .filter(|&&i| pool[i as usize].spec == q.spec)
                .count() as u32
                >= q.min
        })
}

/// The replacement rule (递补): the seat of `declined` goes to the first alternate,
/// in order, that has never been seated and with whom the panel keeps every
/// constraint. `None` means the alternates are exhausted and a new draw is needed.
pub fn replacement(
    spec: &DrawSpec,
    pool: &[PoolLeaf],
    panel: &[u32],
    declined: u32,
    alternates: &[u32],
    ever_seated: &[u32],
) -> Option<u32> {
    let mut rest: Vec<u32> = panel.iter().copied().filter(|&i| i != declined).collect();
    for &a in alternates {
        if ever_seated.contains(&a) {
            continue;
        }
        rest.push(a);
        if panel_ok(spec, pool, &rest) {
            return Some(a);
        }
        rest.pop();
    }
    None
}

/// Book-keeping for the completability check of a constrained fill.
struct State {
    cap: Option<u32>,
    /// Organisation index per pool member.
    org_of: Vec<u32>,
    /// Quota index per pool member, if its specialty has a quota.
    quota_of: Vec<Option<u32>>,
    /// Unmet minimum per quota.
    unmet: Vec<u32>,
    /// Members taken, per organisation.
    taken_org: Vec<u32>,
    /// Members not taken, per organisation.
    untaken_org: Vec<u32>,
    /// Members not taken, per quota and organisation.
    untaken_qo: Vec<HashMap<u32, u32>>,
}

impl State {
    fn new(spec: &DrawSpec, pool: &[PoolLeaf]) -> State {
        let mut org_index: HashMap<OrgTag, u32> = HashMap::new();
        let mut untaken_org = Vec::new();
        let mut untaken_qo = vec![HashMap::new(); spec.quotas.len()];
        let mut org_of = Vec::with_capacity(pool.len());
        let mut quota_of = Vec::with_capacity(pool.len());
        for m in pool {
            let next = org_index.len() as u32;
            let o = *org_index.entry(m.org).or_insert(next);
            if o as usize == untaken_org.len() {
                untaken_org.push(0);
            }
            untaken_org[o as usize] += 1;
            let q = spec.quotas.iter().position(|q| q.spec == m.spec);
            if let Some(q) = q {
                *untaken_qo[q].entry(o).or_insert(0) += 1;
            }
            org_of.push(o);
            quota_of.push(q.map(|q| q as u32));
        }
        State {
            cap: spec.org_cap,
            org_of,
            quota_of,
            unmet: spec.quotas.iter().map(|q| q.min).collect(),
            taken_org: vec![0; untaken_org.len()],
            untaken_org,
            untaken_qo,
        }
    }

    /// The state of a supplementary fill: `seated` taken (they count towards
    /// the quotas and the cap), the rest of `drawn` out of the pool.
    fn around(spec: &DrawSpec, pool: &[PoolLeaf], seated: &[u32], drawn: &[u32]) -> State {
        let mut s = State::new(spec, pool);
        for &i in drawn {
            if seated.contains(&i) {
                s.take(i as usize);
            } else {
                s.withdraw(i as usize);
            }
        }
        s
    }

    /// Member `i` can no longer be taken (the chain drew it before).
    fn withdraw(&mut self, i: usize) {
        let o = self.org_of[i];
        self.untaken_org[o as usize] -= 1;
        if let Some(q) = self.quota_of[i] {
            *self.untaken_qo[q as usize]
                .get_mut(&o)
                .expect("member counted") -= 1;
        }
    }

    fn cap_left(&self, o: u32) -> u32 {
        match self.cap {
            Some(c) => c - self.taken_org[o as usize],
            None => u32::MAX,
        }
    }

    /// Takes member `i` if it keeps the cap and leaves the panel completable.
    fn try_take(&mut self, i: usize) -> bool {
        if self.cap_left(self.org_of[i]) == 0 {
            return false;
        }
        let met_a_quota = self.take(i);
        if self.cap.is_some() && self.unmet.iter().any(|&u| u > 0) {
            let wanted: u32 = self.unmet.iter().sum();
            if self.quota_flow() < wanted {
                self.put_back(i, met_a_quota);
                return false;
            }
        }
        true
    }

    /// Takes member `i`; says whether it counted towards an unmet quota.
    fn take(&mut self, i: usize) -> bool {
        let o = self.org_of[i];
        self.taken_org[o as usize] += 1;
        self.untaken_org[o as usize] -= 1;
        let Some(q) = self.quota_of[i] else {
            return false;
        };
        let q = q as usize;
        *self.untaken_qo[q].get_mut(&o).expect("member counted") -= 1;
        if self.unmet[q] > 0 {
            self.unmet[q] -= 1;
            true
        } else {
            false
        }
    }

    /// Undoes [`State::take`].
    fn put_back(&mut self, i: usize, met_a_quota: bool) {
        let o = self.org_of[i];
        self.taken_org[o as usize] -= 1;
        self.untaken_org[o as usize] += 1;
        if let Some(q) = self.quota_of[i] {
            let q = q as usize;
            *self.untaken_qo[q].get_mut(&o).expect("member counted") += 1;
            if met_a_quota {
                self.unmet[q] += 1;
            }
        }
    }

    /// The largest number of unmet quota seats that can be filled at once from the
    /// untaken members under the cap (augmenting paths; the value is at most the
    /// panel size, so there are few of them).
    fn quota_flow(&self) -> u32 {
        let nq = self.unmet.len();
        // flow[q][o]: members of quota q from organisation o in the current flow.
        let mut flow: Vec<HashMap<u32, u32>> = vec![HashMap::new(); nq];
        let mut from_source = vec![0u32; nq];
        let mut into_org: HashMap<u32, u32> = HashMap::new();
        let mut total = 0;
        loop {
            // Breadth-first search from quotas with unmet demand left.
            #[derive(Clone, Copy)]
            enum Via {
                Source,
                Quota(usize),
            }
            let mut quota_seen: Vec<Option<Via>> = vec![None; nq];
            let mut org_seen: HashMap<u32, usize> = HashMap::new(); // org -> quota it came from
            let mut queue = VecDeque::new();
            for q in 0..nq {
                if from_source[q] < self.unmet[q] {
                    quota_seen[q] = Some(Via::Source);
                    queue.push_back(q);
                }
            }
            let mut end: Option<u32> = None;
            'search: while let Some(q) = queue.pop_front() {
                for (&o, &avail) in &self.untaken_qo[q] {
                    let used = flow[q].get(&o).copied().unwrap_or(0);
                    if avail <= used || org_seen.contains_key(&o) {
                        continue;
                    }
                    org_seen.insert(o, q);
                    let into = into_org.get(&o).copied().unwrap_or(0);
                    if into < self.cap_left(o) {
                        end = Some(o);
                        break 'search;
                    }
                    // The organisation is full: push back along a quota using it.
                    for (q2, f) in flow.iter().enumerate() {
                        if quota_seen[q2].is_none() && f.get(&o).copied().unwrap_or(0) > 0 {
                            quota_seen[q2] = Some(Via::Quota(o as usize));
                            queue.push_back(q2);
                        }
                    }
                }
            }
            let Some(mut o) = end else {
                return total;
            };
            *into_org.entry(o).or_default() += 1;
            loop {
                let q = org_seen[&o];
                *flow[q].entry(o).or_default() += 1;
                match quota_seen[q].expect("on the path") {
                    Via::Source => {
                        from_source[q] += 1;
                        break;
                    }
                    Via::Quota(prev_o) => {
                        let prev_o = prev_o as u32;
                        *flow[q].get_mut(&prev_o).expect("flow to undo") -= 1;
                        o = prev_o;
                    }
                }
            }
            total += 1;
        }
    }
}
