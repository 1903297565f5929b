// A sealed round's result recomputed from the rubric and the sheets
// (docs/PROTOCOL.md, "scoring", steps 4 to 6). Points are two-decimal strings,
// computed here in exact integer hundredths.

import { JNode } from "./json.js";
import { Bad, checkCanonical, drawId, hash, str, u32 } from "./entry.js";

/** Blank: empty, or only characters with the Unicode White_Space property. */
export const blank = (s: string): boolean => /^\p{White_Space}*$/u.test(s);

/** A two-decimal string ("87.50") as hundredths. */
export function dec2(s: string): bigint {
  const bad = () => new Bad(`${JSON.stringify(s)} is not a decimal with exactly two decimals, like "87.50"`);
  const m = /^(-?)([0-9]+)\.([0-9]{2})$/.exec(s);
  if (!m) throw bad();
  if (m[2].length > 1 && m[2].startsWith("0")) throw bad();
  if (m[2].length > 20) throw new Bad(`${JSON.stringify(s)} is too large`);
  const v = BigInt(m[2] + m[3]);
  if (v === 0n && m[1] === "-") throw bad();
  return m[1] === "-" ? -v : v;
}

/** Hundredths written with two decimals. */
export function fmt2(c: bigint): string {
  const neg = c < 0n;
  const a = neg ? -c : c;
  const s = `${a / 100n}.${(a % 100n).toString().padStart(2, "0")}`;
  return neg ? `-${s}` : s;
}

function fields(n: JNode, what: string, names: string[]): Map<string, JNode> {
  if (n.t !== "obj") throw new Bad(`${what}: expected an object`);
  const m = new Map<string, JNode>();
  n.keys.forEach((k, i) => {
    if (!names.includes(k)) throw new Bad(`${what}: unknown field \`${k}\``);
    if (m.has(k)) throw new Bad(`${what}: duplicate field \`${k}\``);
    m.set(k, n.vals[i]);
  });
  return m;
}

/** A required field; `nullable` fields absent read as null (and then fail the canonical comparison). */
function need(m: Map<string, JNode>, k: string, what: string): JNode {
  const v = m.get(k);
  if (!v) throw new Bad(`${what}: missing field \`${k}\``);
  return v;
}

function bool(n: JNode, w: string): boolean {
  if (n.t !== "bool") throw new Bad(`${w}: expected a boolean`);
  return n.v;
}

function arr(n: JNode, w: string): JNode[] {
  if (n.t !== "arr") throw new Bad(`${w}: expected an array`);
  return n.items;
}

export interface Indicator {
  code: string;
  name: string;
  max: bigint;
  step: bigint;
  levels: string[];
}
export interface Rubric {
  id: string;
  version: number;
  title: string;
  indicators: Indicator[];
  gates: { code: string; name: string; description: string }[];
}

/** Reads a rubric; throws Bad when it does not parse. */
export function parseRubric(n: JNode): Rubric {
  const w = "rubric";
  const m = fields(n, w, ["id", "version", "kind", "title", "indicators", "gates"]);
  const kind = str(need(m, "kind", w), "kind");
  if (!["base_new", "base_existing", "studio"].includes(kind)) throw new Bad(`unknown variant ${JSON.stringify(kind)}`);
  const r: Rubric = {
    id: str(need(m, "id", w), "id"),
    version: u32(need(m, "version", w), "version"),
    title: str(need(m, "title", w), "title"),
    indicators: arr(need(m, "indicators", w), "indicators").map((x) => {
      const f = fields(x, "indicator", ["code", "name", "max_points", "step", "objective", "levels"]);
      bool(need(f, "objective", "indicator"), "objective");
      const lv = fields(need(f, "levels", "indicator"), "levels", ["full", "good", "fair", "poor"]);
      return {
        code: str(need(f, "code", "indicator"), "code"),
        name: str(need(f, "name", "indicator"), "name"),
        max: dec2(str(need(f, "max_points", "indicator"), "max_points")),
        step: dec2(str(need(f, "step", "indicator"), "step")),
        levels: ["full", "good", "fair", "poor"].map((k) => str(need(lv, k, "levels"), k)),
      };
    }),
    gates: arr(need(m, "gates", w), "gates").map((x) => {
      const f = fields(x, "gate", ["code", "name", "description"]);
      return {
        code: str(need(f, "code", "gate"), "code"),
        name: str(need(f, "name", "gate"), "name"),
        description: str(need(f, "description", "gate"), "description"),
      };
    }),
  };
  return r;
}

function checkId(what: string, s: string, max: number, extra: string): string | null {
  const re = new RegExp(`^[a-z0-9${extra}]{1,${max}}$`);
  return re.test(s) ? null : `${what} ${JSON.stringify(s)} must be 1 to ${max} of a-z, 0-9 and ${JSON.stringify(extra.replace(/\\/g, ""))}`;
}

/** The rubric's own rules; null when valid. */
export function rubricProblem(r: Rubric): string | null {
  const e = checkId("rubric id", r.id, 64, "._\\-");
  if (e) return e;
  if (r.version === 0) return "rubric version must be at least 1";
  if (blank(r.title)) return "rubric title must not be blank";
  if (r.indicators.length === 0) return "a rubric needs at least one indicator";
  const codes = new Set<string>();
  let sum = 0n;
  for (const i of r.indicators) {
    const ie = checkId("indicator code", i.code, 32, "_");
    if (ie) return ie;
    if (codes.has(i.code)) return `code ${i.code} is used twice`;
    codes.add(i.code);
    if (blank(i.name)) return `indicator ${i.code} has a blank name`;
    if (i.levels.some(blank)) return `indicator ${i.code} has a blank level`;
    if (i.step <= 0n) return `step of ${i.code} must be more than 0 with at most two decimals`;
    if (i.max <= 0n) return `max_points of ${i.code} must be more than 0 with at most two decimals`;
    if (i.max % i.step !== 0n) return `max_points of ${i.code} is not a multiple of its step`;
    sum += i.max;
  }
  if (sum !== 10000n) return `the indicators' maxima add up to ${fmt2(sum)}, not 100`;
  for (const g of r.gates) {
    const ge = checkId("gate code", g.code, 32, "_");
    if (ge) return ge;
    if (codes.has(g.code)) return `code ${g.code} is used twice`;
    codes.add(g.code);
    if (blank(g.name) || blank(g.description)) return `gate ${g.code} has a blank name or description`;
  }
  return null;
}

export interface Sheet {
  application: string;
  comment: string | null;
  explanation: string | null;
  gates: { code: string; pass: boolean }[];
  round: string;
  rubric: string;
  scorer: string;
  scores: { code: string; points: bigint }[];
}

function nullableStr(n: JNode | undefined, w: string): string | null {
  if (!n || n.t === "null") return null;
  return str(n, w);
}

/** Reads a sheet record and checks it is in its canonical form. */
export function parseSheet(raw: Uint8Array, n: JNode, k: number): Sheet {
  const w = `sheet ${k}`;
  let s: Sheet;
  try {
    const m = fields(n, w, ["application", "comment", "explanation", "gates", "round", "rubric", "scorer", "scores"]);
    s = {
      application: str(need(m, "application", w), "application"),
      comment: nullableStr(m.get("comment"), "comment"),
      explanation: nullableStr(m.get("explanation"), "explanation"),
      gates: arr(need(m, "gates", w), "gates").map((x) => {
        const f = fields(x, "gate", ["code", "pass"]);
        return { code: str(need(f, "code", "gate"), "code"), pass: bool(need(f, "pass", "gate"), "pass") };
      }),
      round: drawId(need(m, "round", w), "round"),
      rubric: hash(need(m, "rubric", w), "rubric"),
      scorer: hash(need(m, "scorer", w), "scorer"),
      scores: arr(need(m, "scores", w), "scores").map((x) => {
        const f = fields(x, "score", ["code", "points"]);
        return { code: str(need(f, "code", "score"), "code"), points: dec2(str(need(f, "points", "score"), "points")) };
      }),
    };
    if (!m.has("comment") || !m.has("explanation")) throw new Bad("canonical");
  } catch (e) {
    if ((e as Error).message === "canonical") throw new Bad(`sheet ${k} is not in its canonical form`);
    throw new Bad(`sheet ${k} does not parse: ${(e as Error).message}`);
  }
  try {
    checkCanonical(raw, n);
  } catch {
    throw new Bad(`sheet ${k} is not in its canonical form`);
  }
  return s;
}

export interface ExplanationRecord {
  application: string;
  explanation: string;
  round: string;
  scorer: string;
  sheet: string;
}

export function parseExplanation(raw: Uint8Array, n: JNode, k: number): ExplanationRecord {
  let r: ExplanationRecord;
  try {
    const w = `explanation ${k}`;
    const m = fields(n, w, ["application", "explanation", "round", "scorer", "sheet"]);
    r = {
      application: str(need(m, "application", w), "application"),
      explanation: str(need(m, "explanation", w), "explanation"),
      round: drawId(need(m, "round", w), "round"),
      scorer: hash(need(m, "scorer", w), "scorer"),
      sheet: hash(need(m, "sheet", w), "sheet"),
    };
  } catch (e) {
    throw new Bad(`explanation ${k} does not parse: ${(e as Error).message}`);
  }
  try {
    checkCanonical(raw, n);
  } catch {
    throw new Bad(`explanation ${k} is not in its canonical form`);
  }
  return r;
}

/** The sheet's total in hundredths, or its problems. */
export function validateSheet(r: Rubric, s: { application: string; scores: Sheet["scores"]; gates: Sheet["gates"] }): bigint | string[] {
  const rp = rubricProblem(r);
  if (rp) return [`the rubric is invalid: ${rp}`];
  const errors: string[] = [];
  if (blank(s.application)) errors.push("the sheet names no application");
  const seen = new Set<string>();
  let total = 0n;
  for (const x of s.scores) {
    const ind = r.indicators.find((i) => i.code === x.code);
    if (!ind) {
      errors.push(`indicator ${x.code} is not in rubric ${r.id} version ${r.version}`);
      continue;
    }
    if (seen.has(x.code)) {
      errors.push(`indicator ${x.code} is scored twice`);
      continue;
    }
    seen.add(x.code);
    if (x.points < 0n || x.points > ind.max) errors.push(`${x.code}: points out of range`);
    else if (x.points % ind.step !== 0n) errors.push(`${x.code}: points not on the step`);
    else total += x.points;
  }
  for (const i of r.indicators) if (!seen.has(i.code)) errors.push(`indicator ${i.code} is not scored`);
  const answered = new Set<string>();
  for (const a of s.gates) {
    if (!r.gates.some((g) => g.code === a.code)) errors.push(`gate ${a.code} is not in rubric ${r.id} version ${r.version}`);
    else if (answered.has(a.code)) errors.push(`gate ${a.code} is answered twice`);
    else answered.add(a.code);
  }
  for (const g of r.gates) if (!answered.has(g.code)) errors.push(`gate ${g.code} is not answered`);
  return errors.length ? errors : total;
}

/** Whether `total` lies `limit` or more from the median of `others` (at least two). */
export function abnormal(total: bigint, others: bigint[], limit: bigint): boolean {
  if (others.length < 2) return false;
  const v = [...others].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const n = v.length;
  // Doubled, so that the median of an even count stays exact.
  const med2 = n % 2 === 1 ? 2n * v[(n - 1) / 2] : v[n / 2 - 1] + v[n / 2];
  let d = 2n * total - med2;
  if (d < 0n) d = -d;
  return d >= 2n * limit;
}

/** The abnormal-total threshold in hundredths (15 points when scoring_open fixes none). */
export function abnormalLimit(fixed: string | null): bigint {
  if (fixed === null) return 1500n;
  let d: bigint;
  try {
    d = dec2(fixed);
  } catch (e) {
    throw new Bad(`scoring_open: abnormal_points: ${(e as Error).message}`);
  }
  if (d <= 0n || d > 10000n) throw new Bad(`scoring_open: abnormal_points ${fixed} must be more than 0 and at most 100`);
  return d;
}

export interface ScoredSheet {
  hash: string;
  sheet: Sheet;
  explanation: string | null;
}

/** The sheets (of one application) whose total is abnormal and which carry no explanation of their own. */
export function unexplained(r: Rubric, sheets: ScoredSheet[], limit: bigint): string[] | string[][] {
  const totals: bigint[] = [];
  for (const s of sheets) {
    const t = validateSheet(r, s.sheet);
    if (typeof t !== "bigint") return [t];
    totals.push(t);
  }
  const out: string[] = [];
  sheets.forEach((s, i) => {
    const others = totals.filter((_, j) => j !== i);
    if (abnormal(totals[i], others, limit) && (s.sheet.explanation === null || blank(s.sheet.explanation))) out.push(s.hash);
  });
  return out;
}

export interface Aggregate {
  application: string;
  sheets: number;
  final: bigint;
  median: bigint;
  min: bigint;
  failedGates: string[];
}

const divHalfUp = (num: bigint, den: bigint): bigint => (num >= 0n ? (2n * num + den) / (2n * den) : -((-2n * num + den) / (2n * den)));

/** One application's sheets aggregated by trimmed_mean_v1, or its problems. */
export function aggregateSheets(r: Rubric, application: string, sheets: ScoredSheet[], limit: bigint): Aggregate | string[] {
  const errors: string[] = [];
  const totals: bigint[] = [];
  sheets.forEach((s, i) => {
    if (s.sheet.application !== application) errors.push(`sheet ${i + 1}: the sheet is for ${s.sheet.application}, not ${application}`);
    const t = validateSheet(r, s.sheet);
    if (typeof t === "bigint") totals.push(t);
    else errors.push(...t.map((e) => `sheet ${i + 1}: ${e}`));
  });
  if (errors.length === 0) {
    sheets.forEach((s, i) => {
      const others = totals.filter((_, j) => j !== i);
      const ex = s.explanation;
      if (abnormal(totals[i], others, limit) && (ex === null || blank(ex))) {
        errors.push(`sheet ${i + 1}: total ${fmt2(totals[i])} is ${fmt2(limit)} points or more from the median of the other experts' totals: write an explanation`);
      }
    });
  }
  if (errors.length) return errors;
  if (totals.length === 0) return [`no sheets for ${application}`];
  const c = [...totals].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const n = c.length;
  const kept = n >= 5 ? c.slice(1, n - 1) : c;
  const final = divHalfUp(kept.reduce((a, b) => a + b, 0n), BigInt(kept.length));
  const median = n % 2 === 1 ? c[(n - 1) / 2] : divHalfUp(c[n / 2 - 1] + c[n / 2], 2n);
  const failedGates = r.gates
    .filter((g) => {
      const passes = sheets.filter((s) => s.sheet.gates.some((a) => a.code === g.code && a.pass)).length;
      return 2 * passes <= sheets.length;
    })
    .map((g) => g.code);
  return { application, sheets: n, final, median, min: c[0], failedGates };
}

function cmpBytes(a: string, b: string): number {
  const x = new TextEncoder().encode(a);
  const y = new TextEncoder().encode(b);
  const n = Math.min(x.length, y.length);
  for (let i = 0; i < n; i++) if (x[i] !== y[i]) return x[i] - y[i];
  return x.length - y.length;
}

const big = (a: bigint, b: bigint): number => (a < b ? -1 : a > b ? 1 : 0);

/** Final score, median, lowest total (all descending), then the reference's bytes. */
export function rank(results: Aggregate[]): Aggregate[] {
  return [...results].sort(
    (a, b) => big(b.final, a.final) || big(b.median, a.median) || big(b.min, a.min) || cmpBytes(a.application, b.application),
  );
}

export function recommend(ranked: Aggregate[], quota: number, already: number): Set<string> {
  const room = Math.max(0, quota - already);
  return new Set(ranked.filter((a) => a.failedGates.length === 0).slice(0, room).map((a) => a.application));
}

export { hash as hashField };
