// Log entries: the envelope and the bodies of every kind, read from their exact
// bytes and refused unless they are in their one canonical form
// (docs/PROTOCOL.md, "Conventions", "Log entries", "canonical").

import canonicalize from "canonicalize";
import { JNode } from "./json.js";
import { b64decode, b64encode, fromUtf8 } from "./bytes.js";
import { edPointOk, tagged, TAG } from "./crypto.js";

export const PROVINCES: Record<string, string> = {
  "110000": "北京市", "120000": "天津市", "130000": "河北省", "140000": "山西省",
  "150000": "内蒙古自治区", "210000": "辽宁省", "220000": "吉林省", "230000": "黑龙江省",
  "310000": "上海市", "320000": "江苏省", "330000": "浙江省", "340000": "安徽省",
  "350000": "福建省", "360000": "江西省", "370000": "山东省", "410000": "河南省",
  "420000": "湖北省", "430000": "湖南省", "440000": "广东省", "450000": "广西壮族自治区",
  "460000": "海南省", "500000": "重庆市", "510000": "四川省", "520000": "贵州省",
  "530000": "云南省", "540000": "西藏自治区", "610000": "陕西省", "620000": "甘肃省",
  "630000": "青海省", "640000": "宁夏回族自治区", "650000": "新疆维吾尔自治区",
  "660000": "新疆生产建设兵团",
};

export const KINDS = [
  "roster_change", "commit", "entropy", "beacon", "reveal", "decline", "void", "disclosure",
  "key_rotation", "scoring_open", "sheet_commit", "seal", "screen_override", "recusal",
  "sheet_reopen", "pledge", "scoring_lock", "explanation", "scoring_unlock",
  "report", "filing",
  "notice", "notice_close", "withdrawal",
  "key_registration",
] as const;
export type Kind = (typeof KINDS)[number];

/** Kinds whose body's `draw` makes them belong to a draw. */
export const DRAW_KINDS = new Set<Kind>(["commit", "entropy", "beacon", "reveal", "decline", "void", "disclosure", "key_registration"]);

export const MATERIAL_TYPES = [
  "application/pdf",
  "image/png",
  "image/jpeg",
  "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
];

export class Bad extends Error {}

// ---------------------------------------------------------------- canonical JSON

/** The JS value of a node, as a JSON parser gives it (the last of duplicate keys wins). */
function toValue(n: JNode): unknown {
  switch (n.t) {
    case "obj": {
      const o: Record<string, unknown> = Object.create(null);
      for (let i = 0; i < n.keys.length; i++) o[n.keys[i]] = toValue(n.vals[i]);
      return o;
    }
    case "arr":
      return n.items.map(toValue);
    case "str":
      return n.v;
    case "num":
      return Number(n.raw);
    case "bool":
      return n.v;
    case "null":
      return null;
  }
}

/** Whether a number token is an integer a JSON reader keeps exact (i64 or u64). */
function isInteger(raw: string): boolean {
  if (!/^-?(0|[1-9][0-9]*)$/.test(raw)) return false;
  if (raw === "-0") return false;
  const v = BigInt(raw);
  return v >= -(2n ** 63n) && v < 2n ** 64n;
}

function floatOrLone(n: JNode): string | null {
  switch (n.t) {
    case "obj":
    case "arr": {
      const kids = n.t === "obj" ? n.vals : n.items;
      for (const k of kids) {
        const r = floatOrLone(k);
        if (r) return r;
      }
      if (n.t === "obj") for (const k of n.keys) if (/[\ud800-\udfff]/.test(k.replace(/[\ud800-\udbff][\udc00-\udfff]/g, ""))) return "lone";
      return null;
    }
    case "num":
      return isInteger(n.raw) ? null : "float";
    case "str":
      return n.lone ? "lone" : null;
    default:
      return null;
  }
}

/**
 * The JSON-level check: RFC 8785 canonical, no floating-point number.
 * `raw` is the record's exact bytes, `n` its parsed node.
 */
export function checkCanonical(raw: Uint8Array, n: JNode): void {
  const fl = floatOrLone(n);
  if (fl === "lone") throw new Bad("not JSON: a lone surrogate in a string");
  if (fl === "float") throw new Bad("floating-point number in a signed record");
  const again = canonicalize(toValue(n)) as string;
  let text: string;
  try {
    text = fromUtf8(raw);
  } catch {
    throw new Bad("not JSON: invalid UTF-8");
  }
  if (again !== text) {
    throw new Bad(
      `bytes are not canonical JSON (RFC 8785); the canonical form is ${new TextEncoder().encode(again).length} bytes, the record ${raw.length}`,
    );
  }
}

// ---------------------------------------------------------------- typed fields

type Obj = Record<string, unknown>;

function fieldsOf(n: JNode, what: string, required: string[], optional: string[] = []): Map<string, JNode> {
  if (n.t !== "obj") throw new Bad(`${what}: expected an object`);
  const m = new Map<string, JNode>();
  for (let i = 0; i < n.keys.length; i++) {
    const k = n.keys[i];
    if (!required.includes(k) && !optional.includes(k)) throw new Bad(`${what}: unknown field \`${k}\``);
    if (m.has(k)) throw new Bad(`${what}: duplicate field \`${k}\``);
    m.set(k, n.vals[i]);
  }
  for (const k of required) {
    // An absent field is refused: either it is required, or (Option) it would
    // be written back as null, which is not the record's bytes.
    if (!m.has(k)) throw new Bad(`${what}: the field \`${k}\` is absent (not in its one canonical form)`);
  }
  return m;
}

const get = (m: Map<string, JNode>, k: string): JNode => m.get(k)!;

export function str(n: JNode, what: string): string {
  if (n.t !== "str") throw new Bad(`${what}: expected a string`);
  return n.v;
}

function hexField(n: JNode, bytes: number, what: string): string {
  const s = str(n, what);
  if (!/^[0-9a-f]*$/.test(s) || s.length !== 2 * bytes) {
    throw new Bad(`${what}: expected ${2 * bytes} lowercase hex digits`);
  }
  return s;
}
export const hash = (n: JNode, w: string): string => hexField(n, 32, w);

export function u64(n: JNode, what: string): bigint {
  if (n.t !== "num" || !/^(0|[1-9][0-9]*)$/.test(n.raw)) throw new Bad(`${what}: expected a non-negative integer`);
  const v = BigInt(n.raw);
  if (v >= 2n ** 64n) throw new Bad(`${what}: integer out of range`);
  return v;
}

export function u32(n: JNode, what: string): number {
  const v = u64(n, what);
  if (v >= 2n ** 32n) throw new Bad(`${what}: integer out of range for u32`);
  return Number(v);
}

function bool(n: JNode, what: string): boolean {
  if (n.t !== "bool") throw new Bad(`${what}: expected a boolean`);
  return n.v;
}

function ascii(s: string, max: number, extra: string, what: string): string {
  if (s.length < 1 || s.length > max || !new RegExp(`^[a-z0-9${extra}]+$`).test(s)) {
    throw new Bad(`${what} ${JSON.stringify(s)}: must be 1 to ${max} characters of a-z, 0-9 and ${JSON.stringify(extra.replace(/\\/g, ""))}`);
  }
  return s;
}
export const drawId = (n: JNode, w: string): string => ascii(str(n, w), 64, "._\\-", w);
export const specialty = (n: JNode, w: string): string => ascii(str(n, w), 32, "_", w);
export const reasonCode = (n: JNode, w: string): string => ascii(str(n, w), 32, "_", w);

function nullable<T>(n: JNode, f: (n: JNode, w: string) => T, what: string): T | null {
  return n.t === "null" ? null : f(n, what);
}

function arr<T>(n: JNode, f: (n: JNode, w: string) => T, what: string): T[] {
  if (n.t !== "arr") throw new Bad(`${what}: expected an array`);
  return n.items.map((x, i) => f(x, `${what}[${i}]`));
}

export interface PubKey {
  b64: string;
  bytes: Uint8Array;
}

/** A public key field: exactly the base64 of 32 bytes that decode to a curve point. */
export function pubkey(n: JNode, what: string): PubKey {
  const s = str(n, what);
  if (s.startsWith("-----")) throw new Bad(`${what}: expected base64, not PEM`);
  const t = s.replace(/^\s+|\s+$/g, "");
  const b = b64decode(t);
  if (!b) throw new Bad(`${what}: public key is neither base64 nor PEM`);
  if (b.length !== 32) throw new Bad(`${what}: a base64 Ed25519 public key is 32 bytes`);
  if (!edPointOk(b)) throw new Bad(`${what}: not a valid Ed25519 public key`);
  if (b64encode(b) !== s) throw new Bad(`${what}: is not in its one canonical form`);
  return { b64: s, bytes: b };
}

// ---------------------------------------------------------------- bodies

export interface Spec {
  alternates: number;
  org_cap: number | null;
  panel: number;
  quotas: { min: number; spec: string }[];
}
export interface Commit {
  beacon: { chain: string; margin: bigint; round: bigint } | null;
  draw: string;
  entropy_deadline: bigint;
  excluded: { reason: string; token: string }[];
  pool_root: string;
  pool_size: bigint;
  secret_commitment: string;
  spec: Spec;
  /** A supplementary draw's link to the earlier draw of its chain (protocol 1.2); null in an ordinary draw. */
  supplements: Supplements | null;
  /** Protocol 1.4: contributions must be signed by registered personal keys; absent (false) otherwise. */
  personal_keys: boolean;
  tag_key: string;
  title: string;
}
/** What a supplementary draw (补抽, protocol 1.2) takes over from the earlier draw. */
export interface Supplements {
  /** Entry hash of the earlier draw's commit. */
  commit: string;
  /** The earlier draw. */
  draw: string;
  /** Every token a reveal of the chain named, sorted, each once. */
  drawn: string[];
  /** The chain's first draw: the pool's tags were made for its id. */
  pool_draw: string;
  /** The earlier draw's seated members at this commit, in seat order. */
  seated: string[];
}
export interface Entropy {
  attestation: { key: PubKey; sig: string } | null;
  commit: string;
  draw: string;
  supervisor: string;
  value: string;
}
export interface Beacon { chain: string; draw: string; randomness: string; round: bigint; signature: string }
export interface Reveal {
  alternates: string[];
  beacon: string | null;
  commit: string;
  draw: string;
  entropy: string[];
  panel: string[];
  secret: string;
  seed: string;
}
export interface Decline { draw: string; reason: string; replacement: string | null; token: string }
export interface Void { commit: string; draw: string; reason: string }
export interface Opening {
  code: string;
  expert: string;
  id_proof: string | null;
  name: string;
  org: string;
  org_proof: string | null;
  salt: string;
  token: string;
}
export interface Disclosure { draw: string; members: Opening[] }
/** Protocol 1.4: a person's own key, registered for one draw. */
export interface KeyRegistration {
  /** Protocol 1.6: a supervisor's approval of a replacement, or null in a first registration. */
  approval: ScorerSignature | null;
  draw: string;
  key: PubKey;
  person: string;
  /** Protocol 1.6: the id (16 hex digits) of the key this registration replaces, or null. */
  replaces: string | null;
  role: "supervisor" | "expert";
}
export interface KeyRotation { new_key: PubKey; new_key_id: string; new_key_sig: string; old_key: PubKey; reason: string }
export interface ScoringOpen {
  abnormal_points: string | null;
  already_recommended: number;
  applications: string[];
  draw: string;
  materials: { application: string; media_type: string; sha256: string }[];
  pledge: string | null;
  quota: number;
  rubric: string;
  round: string;
}
/** Protocol 1.5: a scorer's signature with their registered personal key; absent (null here) when unsigned. */
export interface ScorerSignature { key: PubKey; sig: string }
export interface SheetCommit { application: string; round: string; scorer: string; sheet: string; signature: ScorerSignature | null }
export interface SealedResult { application: string; final_score: string; rank: number; recommended: boolean; sheets: number }
export interface Seal {
  already_recommended: number;
  quota: number;
  results: SealedResult[];
  round: string;
  rubric: string;
  rule: string;
  sheets: string[];
}
export interface ScreenOverride { application: string; reason: string; round: string }
export interface Recusal { application: string; round: string; scorer: string; signature: ScorerSignature | null }
export interface SheetReopen { application: string; round: string; scorer: string; sheet: string }
export interface Pledge { round: string; scorer: string; text: string; signature: ScorerSignature | null }
export interface ScoringLock { explain: string[]; round: string; sheets: string[] }
export interface Explanation { application: string; explanation: string; round: string; scorer: string; sheet: string }
export interface ScoringUnlock { round: string }
/** Protocol 1.3: a review report issued (its document's SHA-256). */
export interface ReportIssued { round: string; sha256: string }
/** Protocol 1.3: a filing package recorded (its manifest's SHA-256). */
export interface Filing { late: boolean; manifest: string; round: string }
export interface Notice { end: string; items: number; round: string; start: string; text: string; working_days: number }
export interface NoticeClose { notice: string; objections: number; rejected: number; round: string; upheld: number }
export interface Withdrawal { application: string; objection: string | null; reason: string; round: string }

export type Body =
  | { kind: "roster_change"; b: Obj }
  | { kind: "commit"; b: Commit }
  | { kind: "entropy"; b: Entropy }
  | { kind: "beacon"; b: Beacon }
  | { kind: "reveal"; b: Reveal }
  | { kind: "decline"; b: Decline }
  | { kind: "void"; b: Void }
  | { kind: "disclosure"; b: Disclosure }
  | { kind: "key_rotation"; b: KeyRotation }
  | { kind: "key_registration"; b: KeyRegistration }
  | { kind: "scoring_open"; b: ScoringOpen }
  | { kind: "sheet_commit"; b: SheetCommit }
  | { kind: "seal"; b: Seal }
  | { kind: "screen_override"; b: ScreenOverride }
  | { kind: "recusal"; b: Recusal }
  | { kind: "sheet_reopen"; b: SheetReopen }
  | { kind: "pledge"; b: Pledge }
  | { kind: "scoring_lock"; b: ScoringLock }
  | { kind: "explanation"; b: Explanation }
  | { kind: "scoring_unlock"; b: ScoringUnlock }
  | { kind: "report"; b: ReportIssued }
  | { kind: "filing"; b: Filing }
  | { kind: "notice"; b: Notice }
  | { kind: "notice_close"; b: NoticeClose }
  | { kind: "withdrawal"; b: Withdrawal };

function spec(n: JNode, w: string): Spec {
  const m = fieldsOf(n, w, ["alternates", "org_cap", "panel", "quotas"]);
  return {
    alternates: u32(get(m, "alternates"), `${w}.alternates`),
    org_cap: nullable(get(m, "org_cap"), u32, `${w}.org_cap`),
    panel: u32(get(m, "panel"), `${w}.panel`),
    quotas: arr(get(m, "quotas"), (q, qw) => {
      const f = fieldsOf(q, qw, ["min", "spec"]);
      return { min: u32(get(f, "min"), `${qw}.min`), spec: specialty(get(f, "spec"), `${qw}.spec`) };
    }, `${w}.quotas`),
  };
}

function body(kind: Kind, n: JNode): Body {
  const w = `${kind} body`;
  const F = (req: string[], opt: string[] = []) => fieldsOf(n, w, req, opt);
  const S = (m: Map<string, JNode>, k: string) => str(get(m, k), k);
  const H = (m: Map<string, JNode>, k: string) => hash(get(m, k), k);
  const D = (m: Map<string, JNode>, k: string) => drawId(get(m, k), k);
  // Protocol 1.5: a scorer's optional signature; `null` is a second spelling of its absence.
  const SIG = (m: Map<string, JNode>): ScorerSignature | null => {
    const x = m.get("signature");
    if (!x) return null;
    if (x.t === "null") throw new Bad("signature: null is not in its one canonical form (absent when unsigned)");
    const f = fieldsOf(x, "signature", ["key", "sig"]);
    return { key: pubkey(get(f, "key"), "signature.key"), sig: str(get(f, "sig"), "signature.sig") };
  };
  switch (kind) {
    case "roster_change": {
      const m = F(["action", "changed", "roster", "size"]);
      reasonCode(get(m, "action"), "action");
      u64(get(m, "changed"), "changed");
      H(m, "roster");
      u64(get(m, "size"), "size");
      return { kind, b: {} };
    }
    case "commit": {
      const m = F(["beacon", "draw", "entropy_deadline", "excluded", "pool_root", "pool_size", "secret_commitment", "spec", "tag_key", "title"], ["personal_keys", "supplements"]);
      // 1.2: present only in a supplementary draw; `null` is a second spelling of its absence.
      const sup = m.get("supplements");
      if (sup && sup.t === "null") throw new Bad("supplements: null is not in its one canonical form (absent in an ordinary draw)");
      // 1.4: present only as `true`; `false` is a second spelling of its absence.
      const pk = m.get("personal_keys");
      const personalKeys = pk ? bool(pk, "personal_keys") : false;
      if (pk && !personalKeys) throw new Bad("personal_keys: false is not in its one canonical form (absent when not required)");
      return {
        kind,
        b: {
          beacon: nullable(get(m, "beacon"), (x, bw) => {
            const f = fieldsOf(x, bw, ["chain", "margin", "round"]);
            return { chain: str(get(f, "chain"), "chain"), margin: u64(get(f, "margin"), "margin"), round: u64(get(f, "round"), "round") };
          }, "beacon"),
          draw: D(m, "draw"),
          entropy_deadline: u64(get(m, "entropy_deadline"), "entropy_deadline"),
          excluded: arr(get(m, "excluded"), (x, xw) => {
            const f = fieldsOf(x, xw, ["reason", "token"]);
            return { reason: reasonCode(get(f, "reason"), "reason"), token: hash(get(f, "token"), "token") };
          }, "excluded"),
          pool_root: H(m, "pool_root"),
          pool_size: u64(get(m, "pool_size"), "pool_size"),
          secret_commitment: H(m, "secret_commitment"),
          spec: spec(get(m, "spec"), "spec"),
          supplements: sup
            ? (() => {
                const f = fieldsOf(sup, "supplements", ["commit", "draw", "drawn", "pool_draw", "seated"]);
                return {
                  commit: hash(get(f, "commit"), "supplements.commit"),
                  draw: drawId(get(f, "draw"), "supplements.draw"),
                  drawn: arr(get(f, "drawn"), hash, "supplements.drawn"),
                  pool_draw: drawId(get(f, "pool_draw"), "supplements.pool_draw"),
                  seated: arr(get(f, "seated"), hash, "supplements.seated"),
                };
              })()
            : null,
          personal_keys: personalKeys,
          tag_key: H(m, "tag_key"),
          title: S(m, "title"),
        },
      };
    }
    case "entropy": {
      const m = F(["attestation", "commit", "draw", "supervisor", "value"]);
      return {
        kind,
        b: {
          attestation: nullable(get(m, "attestation"), (x, aw) => {
            const f = fieldsOf(x, aw, ["key", "sig"]);
            return { key: pubkey(get(f, "key"), "attestation.key"), sig: str(get(f, "sig"), "attestation.sig") };
          }, "attestation"),
          commit: H(m, "commit"),
          draw: D(m, "draw"),
          supervisor: S(m, "supervisor"),
          value: H(m, "value"),
        },
      };
    }
    case "beacon": {
      const m = F(["chain", "draw", "randomness", "round", "signature"]);
      return { kind, b: { chain: S(m, "chain"), draw: D(m, "draw"), randomness: H(m, "randomness"), round: u64(get(m, "round"), "round"), signature: S(m, "signature") } };
    }
    case "reveal": {
      const m = F(["alternates", "beacon", "commit", "draw", "entropy", "panel", "secret", "seed"]);
      return {
        kind,
        b: {
          alternates: arr(get(m, "alternates"), hash, "alternates"),
          beacon: nullable(get(m, "beacon"), hash, "beacon"),
          commit: H(m, "commit"),
          draw: D(m, "draw"),
          entropy: arr(get(m, "entropy"), hash, "entropy"),
          panel: arr(get(m, "panel"), hash, "panel"),
          secret: H(m, "secret"),
          seed: H(m, "seed"),
        },
      };
    }
    case "decline": {
      const m = F(["draw", "reason", "replacement", "token"]);
      return { kind, b: { draw: D(m, "draw"), reason: reasonCode(get(m, "reason"), "reason"), replacement: nullable(get(m, "replacement"), hash, "replacement"), token: H(m, "token") } };
    }
    case "void": {
      const m = F(["commit", "draw", "reason"]);
      return { kind, b: { commit: H(m, "commit"), draw: D(m, "draw"), reason: S(m, "reason") } };
    }
    case "disclosure": {
      const m = F(["draw", "members"]);
      return {
        kind,
        b: {
          draw: D(m, "draw"),
          members: arr(get(m, "members"), (x, ow) => {
            const f = fieldsOf(x, ow, ["code", "expert", "id_proof", "name", "org", "org_proof", "salt", "token"]);
            return {
              code: str(get(f, "code"), "code"),
              expert: str(get(f, "expert"), "expert"),
              id_proof: nullable(get(f, "id_proof"), (p, pw) => hexField(p, 80, pw), "id_proof"),
              name: str(get(f, "name"), "name"),
              org: str(get(f, "org"), "org"),
              org_proof: nullable(get(f, "org_proof"), (p, pw) => hexField(p, 80, pw), "org_proof"),
              salt: hash(get(f, "salt"), "salt"),
              token: hash(get(f, "token"), "token"),
            };
          }, "members"),
        },
      };
    }
    case "key_registration": {
      const m = F(["draw", "key", "person", "role"], ["approval", "replaces"]);
      const role = S(m, "role");
      if (role !== "supervisor" && role !== "expert") throw new Bad(`role: unknown variant ${JSON.stringify(role)}, expected \`supervisor\` or \`expert\``);
      // 1.6: both optional; `null` is a second spelling of their absence.
      const ap = m.get("approval");
      if (ap && ap.t === "null") throw new Bad("approval: null is not in its one canonical form (absent in a first registration)");
      const rp = m.get("replaces");
      if (rp && rp.t === "null") throw new Bad("replaces: null is not in its one canonical form (absent in a first registration)");
      const approval = ap
        ? (() => {
            const f = fieldsOf(ap, "approval", ["key", "sig"]);
            return { key: pubkey(get(f, "key"), "approval.key"), sig: str(get(f, "sig"), "approval.sig") };
          })()
        : null;
      const replaces = rp ? hexField(rp, 8, "replaces") : null;
      return { kind, b: { approval, draw: D(m, "draw"), key: pubkey(get(m, "key"), "key"), person: H(m, "person"), replaces, role } };
    }
    case "key_rotation": {
      const m = F(["new_key", "new_key_id", "new_key_sig", "old_key", "reason"]);
      return {
        kind,
        b: {
          new_key: pubkey(get(m, "new_key"), "new_key"),
          new_key_id: hexField(get(m, "new_key_id"), 8, "new_key_id"),
          new_key_sig: S(m, "new_key_sig"),
          old_key: pubkey(get(m, "old_key"), "old_key"),
          reason: S(m, "reason"),
        },
      };
    }
    case "scoring_open": {
      const m = F(["already_recommended", "applications", "draw", "quota", "rubric", "round"], ["abnormal_points", "materials", "pledge"]);
      const ap = m.get("abnormal_points");
      const mat = m.get("materials");
      const pl = m.get("pledge");
      // Optional fields are absent when empty: `null` or `[]` is a second spelling.
      if (ap && ap.t === "null") throw new Bad("abnormal_points: null is not in its one canonical form (absent when there is none)");
      if (pl && pl.t === "null") throw new Bad("pledge: null is not in its one canonical form (absent when there is none)");
      const materials = mat
        ? arr(mat, (x, xw) => {
            const f = fieldsOf(x, xw, ["application", "media_type", "sha256"]);
            return { application: str(get(f, "application"), "application"), media_type: str(get(f, "media_type"), "media_type"), sha256: hash(get(f, "sha256"), "sha256") };
          }, "materials")
        : [];
      if (mat && materials.length === 0) throw new Bad("materials: [] is not in its one canonical form (absent when there are none)");
      return {
        kind,
        b: {
          abnormal_points: ap ? str(ap, "abnormal_points") : null,
          already_recommended: u32(get(m, "already_recommended"), "already_recommended"),
          applications: arr(get(m, "applications"), str, "applications"),
          draw: D(m, "draw"),
          materials,
          pledge: pl ? hash(pl, "pledge") : null,
          quota: u32(get(m, "quota"), "quota"),
          rubric: H(m, "rubric"),
          round: D(m, "round"),
        },
      };
    }
    case "sheet_commit": {
      const m = F(["application", "round", "scorer", "sheet"], ["signature"]);
      return { kind, b: { application: S(m, "application"), round: D(m, "round"), scorer: H(m, "scorer"), sheet: H(m, "sheet"), signature: SIG(m) } };
    }
    case "seal": {
      const m = F(["already_recommended", "quota", "results", "round", "rubric", "rule", "sheets"]);
      return {
        kind,
        b: {
          already_recommended: u32(get(m, "already_recommended"), "already_recommended"),
          quota: u32(get(m, "quota"), "quota"),
          results: arr(get(m, "results"), (x, xw) => {
            const f = fieldsOf(x, xw, ["application", "final_score", "rank", "recommended", "sheets"]);
            return {
              application: str(get(f, "application"), "application"),
              final_score: str(get(f, "final_score"), "final_score"),
              rank: u32(get(f, "rank"), "rank"),
              recommended: bool(get(f, "recommended"), "recommended"),
              sheets: u32(get(f, "sheets"), "sheets"),
            };
          }, "results"),
          round: D(m, "round"),
          rubric: H(m, "rubric"),
          rule: S(m, "rule"),
          sheets: arr(get(m, "sheets"), hash, "sheets"),
        },
      };
    }
    case "screen_override": {
      const m = F(["application", "reason", "round"]);
      return { kind, b: { application: S(m, "application"), reason: S(m, "reason"), round: D(m, "round") } };
    }
    case "recusal": {
      const m = F(["application", "round", "scorer"], ["signature"]);
      return { kind, b: { application: S(m, "application"), round: D(m, "round"), scorer: H(m, "scorer"), signature: SIG(m) } };
    }
    case "sheet_reopen": {
      const m = F(["application", "round", "scorer", "sheet"]);
      return { kind, b: { application: S(m, "application"), round: D(m, "round"), scorer: H(m, "scorer"), sheet: H(m, "sheet") } };
    }
    case "pledge": {
      const m = F(["round", "scorer", "text"], ["signature"]);
      return { kind, b: { round: D(m, "round"), scorer: H(m, "scorer"), text: H(m, "text"), signature: SIG(m) } };
    }
    case "scoring_lock": {
      const m = F(["explain", "round", "sheets"]);
      return { kind, b: { explain: arr(get(m, "explain"), hash, "explain"), round: D(m, "round"), sheets: arr(get(m, "sheets"), hash, "sheets") } };
    }
    case "explanation": {
      const m = F(["application", "explanation", "round", "scorer", "sheet"]);
      return { kind, b: { application: S(m, "application"), explanation: H(m, "explanation"), round: D(m, "round"), scorer: H(m, "scorer"), sheet: H(m, "sheet") } };
    }
    case "scoring_unlock": {
      const m = F(["round"]);
      return { kind, b: { round: D(m, "round") } };
    }
    case "report": {
      const m = F(["round", "sha256"]);
      return { kind, b: { round: D(m, "round"), sha256: H(m, "sha256") } };
    }
    case "filing": {
      const m = F(["late", "manifest", "round"]);
      return { kind, b: { late: bool(get(m, "late"), "late"), manifest: H(m, "manifest"), round: D(m, "round") } };
    }
    case "notice": {
      const m = F(["end", "items", "round", "start", "text", "working_days"]);
      return {
        kind,
        b: {
          end: S(m, "end"),
          items: u32(get(m, "items"), "items"),
          round: D(m, "round"),
          start: S(m, "start"),
          text: H(m, "text"),
          working_days: u32(get(m, "working_days"), "working_days"),
        },
      };
    }
    case "notice_close": {
      const m = F(["notice", "objections", "rejected", "round", "upheld"]);
      return {
        kind,
        b: {
          notice: H(m, "notice"),
          objections: u32(get(m, "objections"), "objections"),
          rejected: u32(get(m, "rejected"), "rejected"),
          round: D(m, "round"),
          upheld: u32(get(m, "upheld"), "upheld"),
        },
      };
    }
    case "withdrawal": {
      const m = F(["application", "objection", "reason", "round"]);
      return {
        kind,
        b: { application: S(m, "application"), objection: nullable(get(m, "objection"), str, "objection"), reason: S(m, "reason"), round: D(m, "round") },
      };
    }
  }
}

export interface Parsed {
  kind: Kind;
  body: Body;
  /** Protocol 1.7: the previous entry of the same province's hash; null when absent. */
  pprev: string | null;
  prev: string;
  province: string | null;
  seq: bigint;
  signer: string;
  time: bigint;
  /** The entry hash, hex. */
  hash: string;
  /** The body's `draw`, for the kinds that belong to a draw. */
  draw: string | null;
}

/** Reads one entry from its exact bytes; throws Bad with the reason. */
export function parseEntry(raw: Uint8Array, n: JNode): Parsed {
  checkCanonical(raw, n);
  const w = "entry";
  let m: Map<string, JNode>;
  try {
    m = fieldsOf(n, w, ["body", "kind", "prev", "province", "seq", "signer", "time", "v"], ["pprev"]);
  } catch (e) {
    throw new Bad(`record does not match its schema: ${(e as Error).message}`);
  }
  const kindS = str(get(m, "kind"), "kind");
  if (!(KINDS as readonly string[]).includes(kindS)) throw new Bad(`record does not match its schema: unknown kind ${JSON.stringify(kindS)}`);
  const kind = kindS as Kind;
  const prev = hash(get(m, "prev"), "prev");
  const prov = get(m, "province");
  let province: string | null = null;
  if (prov.t !== "null") {
    province = str(prov, "province");
    if (!(province in PROVINCES)) throw new Bad(`record does not match its schema: Province ${JSON.stringify(province)}: not a provincial-level GB/T 2260 code (e.g. 440000)`);
  }
  const seq = u64(get(m, "seq"), "seq");
  // 1.7: optional; `null` is a second spelling of its absence.
  let pprev: string | null = null;
  if (m.has("pprev")) {
    if (get(m, "pprev").t === "null") throw new Bad(`entry ${seq} is not in its one canonical form (a field is missing or spelled otherwise)`);
    pprev = hash(get(m, "pprev"), "pprev");
    if (province === null) throw new Bad(`entry ${seq} has no province but a pprev: only entries with a province carry one`);
  }
  const signer = hexField(get(m, "signer"), 8, "signer");
  const time = u64(get(m, "time"), "time");
  const v = u32(get(m, "v"), "v");
  if (v !== 1) throw new Bad(`entry version ${v} is not 1`);
  let b: Body;
  try {
    b = body(kind, get(m, "body"));
  } catch (e) {
    throw new Bad(`the ${kind} body does not parse: ${(e as Error).message}`);
  }
  const draw = DRAW_KINDS.has(kind) ? (b.b as { draw: string }).draw : null;
  const h = tagged(TAG.entry, raw);
  let hx = "";
  for (let i = 0; i < 32; i++) hx += h[i].toString(16).padStart(2, "0");
  return { kind, body: b, pprev, prev, province, seq, signer, time, hash: hx, draw };
}
