// The draw rules: feasibility, the constrained fill and the replacement rule
// (docs/PROTOCOL.md, "Draw rules and feasibility", "The constrained fill",
// "Alternates and replacements").

import type { Spec } from "./entry.js";

export interface Leaf {
  /** The identity tag's first seven hex digits as an integer, for finding repeats quickly. */
  idKey?: number;
  id: string;
  org: string;
  spec: string;
  token: string;
}

export class Infeasible extends Error {
  constructor(readonly constraint: string, detail: string) {
    super(`${constraint}: ${detail}`);
  }
}

/** The spec on its own (docs/PROTOCOL.md, "The rules on their own"); null when valid. */
export function specProblem(s: Spec): string | null {
  if (s.panel === 0 || s.panel % 2 === 0 || s.panel > 99) return `panel size must be odd, 1 to 99; got ${s.panel}`;
  if (s.alternates > 99) return `alternates must be 0 to 99; got ${s.alternates}`;
  if (s.org_cap === 0) return "org_cap must be at least 1 (or null for no cap)";
  const seen = new Set<string>();
  let total = 0;
  for (const q of s.quotas) {
    if (q.min === 0) return `quota for ${q.spec} must be at least 1`;
    if (seen.has(q.spec)) return `quota for ${q.spec} is given twice`;
    seen.add(q.spec);
    total += q.min;
  }
  if (total > s.panel) return `quotas add up to ${total}, more than the panel size ${s.panel}`;
  return null;
}

/** Counts per organisation and per (quota, organisation), for the quota flow. */
class State {
  readonly orgOf: Int32Array;
  readonly quotaOf: Int32Array;
  readonly unmet: number[];
  readonly takenOrg: number[] = [];
  readonly untakenOrg: number[] = [];
  readonly untakenQo: Map<number, number>[];

  constructor(readonly spec: Spec, pool: Leaf[]) {
    const orgIndex = new Map<string, number>();
    const quotaIndex = new Map<string, number>();
    spec.quotas.forEach((q, i) => quotaIndex.set(q.spec, i));
    this.orgOf = new Int32Array(pool.length);
    this.quotaOf = new Int32Array(pool.length);
    this.untakenQo = spec.quotas.map(() => new Map());
    for (let i = 0; i < pool.length; i++) {
      const m = pool[i];
      let o = orgIndex.get(m.org);
      if (o === undefined) {
        o = orgIndex.size;
        orgIndex.set(m.org, o);
        this.untakenOrg.push(0);
        this.takenOrg.push(0);
      }
      this.untakenOrg[o]++;
      const q = quotaIndex.get(m.spec) ?? -1;
      if (q >= 0) this.untakenQo[q].set(o, (this.untakenQo[q].get(o) ?? 0) + 1);
      this.orgOf[i] = o;
      this.quotaOf[i] = q;
    }
    this.unmet = spec.quotas.map((q) => q.min);
  }

  /**
   * The state of a supplementary fill (protocol 1.2): `seated` taken (they
   * count towards the quotas and the cap), the rest of `drawn` out of the pool.
   */
  static around(spec: Spec, pool: Leaf[], seated: number[], drawn: number[]): State {
    const s = new State(spec, pool);
    for (const i of drawn) {
      if (seated.includes(i)) s.take(i);
      else s.withdraw(i);
    }
    return s;
  }

  /** Member `i` can no longer be taken (the chain drew it before). */
  withdraw(i: number): void {
    const o = this.orgOf[i];
    this.untakenOrg[o]--;
    const q = this.quotaOf[i];
    if (q >= 0) this.untakenQo[q].set(o, this.untakenQo[q].get(o)! - 1);
  }

  capLeft(o: number): number {
    return this.spec.org_cap === null ? Infinity : this.spec.org_cap - this.takenOrg[o];
  }

  take(i: number): boolean {
    const o = this.orgOf[i];
    this.takenOrg[o]++;
    this.untakenOrg[o]--;
    const q = this.quotaOf[i];
    if (q < 0) return false;
    this.untakenQo[q].set(o, this.untakenQo[q].get(o)! - 1);
    if (this.unmet[q] > 0) {
      this.unmet[q]--;
      return true;
    }
    return false;
  }

  putBack(i: number, met: boolean): void {
    const o = this.orgOf[i];
    this.takenOrg[o]--;
    this.untakenOrg[o]++;
    const q = this.quotaOf[i];
    if (q >= 0) {
      this.untakenQo[q].set(o, this.untakenQo[q].get(o)! + 1);
      if (met) this.unmet[q]++;
    }
  }

  tryTake(i: number): boolean {
    if (this.capLeft(this.orgOf[i]) <= 0) return false;
    const met = this.take(i);
    if (this.spec.org_cap !== null && this.unmet.some((u) => u > 0)) {
      const wanted = this.unmet.reduce((a, b) => a + b, 0);
      if (this.quotaFlow() < wanted) {
        this.putBack(i, met);
        return false;
      }
    }
    return true;
  }

  /**
   * The maximum flow source -(unmet_q)-> quota q -(avail_qo)-> organisation o
   * -(cap_left_o)-> sink, by shortest augmenting paths. Its value is unique.
   */
  quotaFlow(): number {
    const nq = this.unmet.length;
    const flow: Map<number, number>[] = this.untakenQo.map(() => new Map());
    const fromSource = new Array<number>(nq).fill(0);
    const intoOrg = new Map<number, number>();
    let total = 0;
    for (;;) {
      // BFS over quotas and organisations in the residual network.
      const quotaVia: (number | null | undefined)[] = new Array(nq).fill(undefined); // null: from source
      const orgFrom = new Map<number, number>();
      const queue: number[] = [];
      for (let q = 0; q < nq; q++) {
        if (fromSource[q] < this.unmet[q]) {
          quotaVia[q] = null;
          queue.push(q);
        }
      }
      let end = -1;
      search: while (queue.length) {
        const q = queue.shift()!;
        for (const [o, avail] of this.untakenQo[q]) {
          const used = flow[q].get(o) ?? 0;
          if (avail <= used || orgFrom.has(o)) continue;
          orgFrom.set(o, q);
          if ((intoOrg.get(o) ?? 0) < this.capLeft(o)) {
            end = o;
            break search;
          }
          for (let q2 = 0; q2 < nq; q2++) {
            if (quotaVia[q2] === undefined && (flow[q2].get(o) ?? 0) > 0) {
              quotaVia[q2] = o;
              queue.push(q2);
            }
          }
        }
      }
      if (end < 0) return total;
      let o = end;
      intoOrg.set(o, (intoOrg.get(o) ?? 0) + 1);
      for (;;) {
        const q = orgFrom.get(o)!;
        flow[q].set(o, (flow[q].get(o) ?? 0) + 1);
        const via = quotaVia[q];
        if (via === null || via === undefined) {
          fromSource[q]++;
          break;
        }
        flow[q].set(via, flow[q].get(via)! - 1);
        o = via;
      }
      total++;
    }
  }
}

/** Throws Infeasible naming the first constraint the pool cannot meet. */
export function checkFeasible(spec: Spec, pool: Leaf[]): void {
  const bad = specProblem(spec);
  if (bad) throw new Infeasible("spec", bad);
  const need = spec.panel + spec.alternates;
  if (pool.length < need) {
    throw new Infeasible(
      "pool_size",
      `the panel of ${spec.panel} and ${spec.alternates} alternates need ${need} eligible members, the pool has ${pool.length} (${need - pool.length} short)`,
    );
  }
  for (const q of spec.quotas) {
    let have = 0;
    for (const m of pool) if (m.spec === q.spec) have++;
    if (have < q.min) {
      throw new Infeasible(`quota:${q.spec}`, `needs at least ${q.min} members of ${q.spec}, the pool has ${have} (${q.min - have} short)`);
    }
  }
  if (spec.org_cap !== null) {
    const cap = spec.org_cap;
    const st = new State(spec, pool);
    let rank = 0;
    for (const c of st.untakenOrg) rank += Math.min(c, cap);
    if (rank < spec.panel) {
      throw new Infeasible(
        "org_cap",
        `with at most ${cap} per organisation the ${st.untakenOrg.length} organisations in the pool can seat ${rank}, the panel needs ${spec.panel} (${spec.panel - rank} short)`,
      );
    }
    const wanted = st.unmet.reduce((a, b) => a + b, 0);
    const got = st.quotaFlow();
    if (got < wanted) {
      throw new Infeasible(
        "quotas_with_org_cap",
        `with at most ${cap} per organisation only ${got} of the ${wanted} quota seats can be filled (${wanted - got} short)`,
      );
    }
  }
}

export interface Selection {
  panel: number[];
  alternates: number[];
}

/** The constrained fill over the ranks' order. */
export function fill(spec: Spec, pool: Leaf[], order: Uint32Array): Selection {
  return fillAround(spec, pool, order, [], []);
}

/**
 * A supplementary draw's empty seats (补抽, protocol 1.2), checked before its
 * fill: `seated` (pool indexes) keep their seats and count towards the quotas
 * and the cap; `drawn` (every member the chain has named, `seated` among them)
 * are never taken. Throws Infeasible naming the first constraint that fails.
 */
export function checkSupplementFeasible(spec: Spec, pool: Leaf[], seated: number[], drawn: number[]): void {
  const bad = specProblem(spec);
  if (bad) throw new Infeasible("spec", bad);
  if (seated.some((i) => !drawn.includes(i)) || drawn.some((i) => i >= pool.length)) {
    throw new Infeasible("supplement", "the seated members must be among the members the chain has drawn, all in the pool");
  }
  const seats = Math.max(0, spec.panel - seated.length);
  if (seats === 0) {
    throw new Infeasible("supplement", `the panel of ${spec.panel} has ${seated.length} seated members: no seat is empty`);
  }
  if (!panelWithinCap(spec, pool, seated)) throw new Infeasible("org_cap", "the seated members already break the organisation cap");
  const left = pool.length - drawn.length;
  const need = seats + spec.alternates;
  if (left < need) {
    throw new Infeasible(
      "pool_size",
      `${seats} empty seats and ${spec.alternates} alternates need ${need} members not yet drawn, the pool has ${left} (${need - left} short)`,
    );
  }
  const st = State.around(spec, pool, seated, drawn);
  const wanted = st.unmet.reduce((a, b) => a + b, 0);
  if (wanted > seats) throw new Infeasible("supplement", `${wanted} quota seats are unmet, but only ${seats} seats are empty`);
  spec.quotas.forEach((q, qi) => {
    let have = 0;
    for (const c of st.untakenQo[qi].values()) have += c;
    if (have < st.unmet[qi]) {
      throw new Infeasible(
        `quota:${q.spec}`,
        `needs ${st.unmet[qi]} more members of ${q.spec}, the pool has ${have} not yet drawn (${st.unmet[qi] - have} short)`,
      );
    }
  });
  if (spec.org_cap !== null) {
    const cap = spec.org_cap;
    let rank = 0;
    for (let o = 0; o < st.untakenOrg.length; o++) rank += Math.min(st.untakenOrg[o], cap - st.takenOrg[o]);
    if (rank < seats) {
      throw new Infeasible(
        "org_cap",
        `with at most ${cap} per organisation the members not yet drawn can take ${rank} seats, ${seats} are empty (${seats - rank} short)`,
      );
    }
    const got = st.quotaFlow();
    if (got < wanted) {
      throw new Infeasible(
        "quotas_with_org_cap",
        `with at most ${cap} per organisation only ${got} of the ${wanted} unmet quota seats can be filled (${wanted - got} short)`,
      );
    }
  }
}

/**
 * The fill of a supplementary draw (protocol 1.2): `seated` already on the
 * panel, `drawn` out of reach. The panel holds the new members only, in the
 * order taken; the alternates are the first members in rank order neither
 * drawn nor taken. The caller must have passed checkSupplementFeasible.
 */
export function fillSupplement(spec: Spec, pool: Leaf[], order: Uint32Array, seated: number[], drawn: number[]): Selection {
  return fillAround(spec, pool, order, seated, drawn);
}

function fillAround(spec: Spec, pool: Leaf[], order: Uint32Array, seated: number[], drawn: number[]): Selection {
  const seats = spec.panel - seated.length;
  const taken = new Uint8Array(pool.length);
  for (const i of drawn) taken[i] = 1;
  const panel: number[] = [];
  if (spec.quotas.length === 0 && spec.org_cap === null) {
    for (let k = 0; k < order.length && panel.length < seats; k++) {
      if (!taken[order[k]]) panel.push(order[k]);
    }
    for (const i of panel) taken[i] = 1;
  } else {
    const st = State.around(spec, pool, seated, drawn);
    spec.quotas.forEach((q, qi) => {
      for (const i of order) {
        if (st.unmet[qi] === 0) break;
        if (taken[i] || pool[i].spec !== q.spec) continue;
        if (st.tryTake(i)) {
          taken[i] = 1;
          panel.push(i);
        }
      }
    });
    for (const i of order) {
      if (panel.length === seats) break;
      if (!taken[i] && st.tryTake(i)) {
        taken[i] = 1;
        panel.push(i);
      }
    }
  }
  const alternates: number[] = [];
  for (const i of order) {
    if (alternates.length >= spec.alternates) break;
    if (!taken[i]) alternates.push(i);
  }
  return { panel, alternates };
}

/** Whether a (possibly partial) panel keeps the organisation cap. */
function panelWithinCap(spec: Spec, pool: Leaf[], panel: number[]): boolean {
  if (spec.org_cap === null) return true;
  const per = new Map<string, number>();
  for (const i of panel) {
    const c = (per.get(pool[i].org) ?? 0) + 1;
    per.set(pool[i].org, c);
    if (c > spec.org_cap) return false;
  }
  return true;
}

/** Whether a panel keeps every constraint (the panel size aside). */
export function panelOk(spec: Spec, pool: Leaf[], panel: number[]): boolean {
  return panelWithinCap(spec, pool, panel) && spec.quotas.every((q) => panel.filter((i) => pool[i].spec === q.spec).length >= q.min);
}

/** The replacement rule: the first alternate never seated with whom the panel keeps every constraint. */
export function replacement(spec: Spec, pool: Leaf[], panel: number[], declined: number, alternates: number[], ever: number[]): number | null {
  const rest = panel.filter((i) => i !== declined);
  for (const a of alternates) {
    if (ever.includes(a)) continue;
    rest.push(a);
    if (panelOk(spec, pool, rest)) return a;
    rest.pop();
  }
  return null;
}
