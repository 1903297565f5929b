// verify(): every check a third party makes on a draw's bundle, offline, in the
// order docs/PROTOCOL.md ("Verification") gives. Written from that document;
// it shares no code with the Rust verifier, and the tests hold the two to the
// same outcome and the same first failing check on every vector and on
// hundreds of mutated bundles.

import { JNode, member, parseJson } from "./json.js";
import { b64decode, b64encode, concat, eq, fromUtf8, hexExact, lp, toHex, u32be, u64be, utf8 } from "./bytes.js";
import {
  checkInclusion, drandVerify, edPointOk, edVerifyStrict, keyId, Latin1Hash, leafHash, MIN_MARGIN, nobleLatin1, QUICKNET_CHAIN,
  RootBuilder, ranks, roundTime, sha256, TAG, tagged, tagInput, tagKeyOk, targetRound, vrfVerify,
} from "./crypto.js";
import { Bad, checkCanonical, Commit, KeyRotation, MATERIAL_TYPES, Parsed, parseEntry, Pledge, PROVINCES, PubKey, Recusal, ScoringOpen, SheetCommit, Supplements } from "./entry.js";
import { checkFeasible, checkSupplementFeasible, fill, fillSupplement, Infeasible, Leaf, replacement, specProblem } from "./fill.js";
import {
  abnormalLimit, aggregateSheets, Aggregate, blank, fmt2, parseExplanation, parseRubric, parseSheet, rank,
  recommend, ScoredSheet, unexplained,
} from "./scoring.js";

export const FORMAT = "fairpanel-bundle/v1.7";
/** The older format (protocol 1.1 to 1.6): every log entry between the draw's commit and last entry. */
export const FORMAT_V1_1 = "fairpanel-bundle/v1.1";

/** The checks, in the order they are reported. */
export const CHECKS = [
  "key", "canonical", "signatures", "chain", "checkpoint", "inclusion", "commit", "pool", "entropy",
  "beacon", "opening", "seed", "ranks", "panel", "replacements", "disclosure", "state", "scoring",
] as const;
export type CheckId = (typeof CHECKS)[number];
export type Outcome = "passed" | "failed" | "skipped";

/** A message in both languages. */
export interface Msg {
  en: string;
  zh: string;
}

export interface Check extends Msg {
  check: CheckId;
  outcome: Outcome;
}

/**
 * One line of the report. `text` is the line exactly as `fairpanel verify`
 * prints it (English); `en` and `zh` carry the message alone, for a page.
 */
export interface Line extends Msg {
  kind: "check" | "summary" | "warning" | "limits" | "limit" | "verdict" | "error";
  check?: CheckId;
  outcome?: Outcome;
  text: string;
}

export interface Progress {
  /** What is being done: "parse", "pool" (hashing the pool's leaves), "checks". */
  phase: string;
  done: number;
  total: number;
}

export interface Options {
  /** The province's published public key: base64 (44 characters) or a PEM block. */
  key?: string | null;
  onProgress?: (p: Progress) => void;
  /**
   * SHA-256 for hashing the pool's leaves and Merkle nodes, the one bulk hash
   * of a verification, returning the 32 bytes as a 32-character latin1 string.
   * Defaults to @noble/hashes; the Node command line passes Node's own
   * (`crypto.hash("sha256", data, "latin1")`), several times faster on a large pool.
   */
  sha256Latin1?: (data: Uint8Array) => string;
  /**
   * Witnesses whose valid cosignature (C2SP tlog-cosignature, protocol 1.4) the
   * bundle's checkpoint must carry, each `NAME=BASE64KEY` as `--witness` takes it.
   */
  witnesses?: string[];
}

/** A contribution signed with a personal key (protocol 1.4), for a page to show who signed what. */
export interface Signed {
  /** What was signed: "contribution". */
  what: string;
  /** Log sequence number of the signed entry. */
  seq: string;
  /** The signing key's fingerprint (key id), as the record sheet prints it. */
  key: string;
  /** The role that key was registered with earlier in the draw, or null when none was. */
  role: string | null;
}

/** A cosignature line the bundle's checkpoint carries (named, verified only against a witness given). */
export interface Cosigner {
  name: string;
  /** C2SP key ID, 4 bytes in hex. */
  keyId: string;
  /** The cosignature's timestamp, POSIX seconds. */
  time: string;
}

export interface Result {
  /** 0: every check passed or was skipped; 1: a check failed; 2: not a bundle (or a bad key). */
  exit: 0 | 1 | 2;
  lines: Line[];
  checks: Check[];
  firstFailure: Check | null;
  /** Who signed what: each contribution signed with a personal key, in log order. */
  signed?: Signed[];
  /** The checkpoint's cosignature lines, once the checkpoint check passed. */
  cosigners?: Cosigner[];
}

export const LIMITS: Msg[] = [
  {
    en: "who signed, unless a key obtained elsewhere (the province's published key) was pinned",
    zh: "谁签的名，除非核验时指定了从别处取得的公钥（省里公布的公钥）",
  },
  {
    en: "when the commit was really written: entry times are the operator's word (a supervisor's attestation made before the beacon round is the evidence)",
    zh: "承诺真正写入的时间：条目时间由运营方自述（在信标轮次之前做出的监督员签名才是证据）",
  },
  {
    en: "that the pool was the province's real roster, or that the exclusions were justified",
    zh: "专家池是否就是本省真实的专家名册，回避是否有理",
  },
  {
    en: "that nothing happened to the draw after the bundle's last entry (a later decline, void or disclosure): compare with a newer checkpoint or fetch a newer bundle",
    zh: "证据包最后一条之后抽取是否还有变化（之后的拒绝、作废或公开）：请与更新的检查点比对，或重新下载证据包",
  },
];

class NotABundle extends Error {}
class Fail {
  constructor(readonly en: string, readonly zh: string) {}
}
const fail = (en: string, zh: string): never => {
  throw new Fail(en, zh);
};

// ---------------------------------------------------------------- bundle structure

interface BEntry {
  node: JNode;
  raw: Uint8Array;
  proof: Uint8Array[] | null;
  sig: string;
}
interface Bundle {
  /** The whole file: every raw record is a span of it. */
  bytes: Uint8Array;
  checkpoint: string;
  draw: string;
  format: string;
  origin: string;
  key: PubKey;
  entries: BEntry[];
  rotations: BEntry[];
  pool: JNode[];
  rubric: JNode | null;
  sheets: JNode[];
  explanations: JNode[];
}

/**
 * The `chain` check of a v1.7 bundle: the entries of the draw's province,
 * each naming the previous one's hash in `pprev`, seqs increasing, times not
 * going backwards; the first must carry a `pprev` too (its inclusion proof
 * fixes its place).
 */
function provinceChain(ps: Parsed[]): { en: string; zh: string } {
  const first = ps[0];
  for (const p of ps) {
    if (p.province !== first.province) {
      fail(
        `entry seq ${p.seq} names another province than entry seq ${first.seq}: a ${FORMAT} bundle holds the draw's province's entries only`,
        `序号 ${p.seq} 的条目与序号 ${first.seq} 的条目属于不同省份：${FORMAT} 证据包只含本抽取所在省份的条目`,
      );
    }
    if (p.pprev === null) {
      fail(`entry seq ${p.seq} has no pprev: a ${FORMAT} bundle holds protocol 1.7 entries only`, `序号 ${p.seq} 的条目没有 pprev：${FORMAT} 证据包只含协议 1.7 的条目`);
    }
  }
  for (let k = 1; k < ps.length; k++) {
    const a = ps[k - 1];
    const n = ps[k];
    if (n.time < a.time) {
      fail(
        `entry seq ${n.seq} has time ${n.time}, earlier than entry seq ${a.seq} (${a.time}): log time must not go backwards`,
        `序号 ${n.seq} 的条目时间 ${n.time} 早于序号 ${a.seq} 的条目（${a.time}）：日志时间不得倒退`,
      );
    }
    if (n.seq <= a.seq) fail(`entry seq ${n.seq} follows seq ${a.seq}: the entries are out of order`, `序号 ${n.seq} 的条目排在序号 ${a.seq} 之后：条目顺序错乱`);
    if (n.pprev !== a.hash) {
      fail(
        `entry seq ${n.seq}: pprev is ${n.pprev}, but the hash of entry seq ${a.seq} is ${a.hash}: an entry of the province is missing in between`,
        `序号 ${n.seq} 的条目：pprev 为 ${n.pprev}，但序号 ${a.seq} 的条目哈希是 ${a.hash}：其间缺少本省的条目`,
      );
    }
  }
  const l = ps[ps.length - 1].seq;
  return {
    en: `${ps.length} entries of the province from seq ${first.seq} to ${l} are hash-chained by pprev`,
    zh: `本省序号 ${first.seq} 至 ${l} 的 ${ps.length} 个条目由 pprev 哈希相连`,
  };
}

function otherFormat(f: string): string {
  return f === "fairpanel-bundle/v1"
    ? `this is a protocol v1 bundle (format ${JSON.stringify(f)}); this verifier reads protocol 1.7 (${JSON.stringify(FORMAT)}, and ${JSON.stringify(FORMAT_V1_1)}) only: v1 lets a forged key rotation and unproven trailing entries pass, so v1 bundles are refused. Fetch the draw's bundle again from a service that writes protocol 1.7`
    : `format is ${JSON.stringify(f)}; this verifier reads ${JSON.stringify(FORMAT)} and ${JSON.stringify(FORMAT_V1_1)} (protocol 1.7)`;
}

const WS = /\p{White_Space}/u;

function readBundle(bytes: Uint8Array): Bundle {
  let top: JNode;
  try {
    top = parseJson(bytes, (depth, key) => {
      // Records are read from their spans later; the pool's leaves have a
      // fixed form and are never built as trees.
      if (depth === 1 && (key === "pool" || key === "sheets" || key === "explanations")) return "items";
      if ((depth === 1 && key === "rubric") || (depth === 3 && key === "entry")) return "value";
      return null;
    });
  } catch (e) {
    throw new NotABundle(`the file is not JSON (${(e as Error).message})`);
  }
  const f = member(top, "format");
  if (!f || f.t !== "str") throw new NotABundle('the JSON has no "format" field');
  if (f.v !== FORMAT && f.v !== FORMAT_V1_1) throw new NotABundle(otherFormat(f.v));
  const wrong = (m: string): never => {
    throw new NotABundle(`the bundle's structure is wrong: ${m}`);
  };
  if (top.t !== "obj") return wrong("not an object");
  const known = ["checkpoint", "draw", "entries", "format", "key", "origin", "pool", "rotations", "rubric", "sheets", "explanations"];
  const m = new Map<string, JNode>();
  top.keys.forEach((k, i) => {
    if (!known.includes(k)) wrong(`unknown field \`${k}\``);
    if (m.has(k)) wrong(`duplicate field \`${k}\``);
    m.set(k, top.vals[i]);
  });
  for (const k of ["checkpoint", "draw", "entries", "format", "key", "origin", "pool", "rotations"]) {
    if (!m.has(k)) wrong(`missing field \`${k}\``);
  }
  const str = (k: string, n: JNode): string => {
    if (n.t !== "str" || n.lone) return wrong(`${k}: expected a string`);
    return n.v;
  };
  const entryList = (k: string): BEntry[] => {
    const a = m.get(k)!;
    if (a.t !== "arr") return wrong(`${k}: expected a sequence`);
    return a.items.map((it, i) => {
      if (it.t !== "obj") return wrong(`${k}[${i}]: expected a bundle entry object`);
      const f = new Map<string, JNode>();
      it.keys.forEach((kk, j) => {
        if (!["entry", "proof", "sig"].includes(kk)) wrong(`${k}[${i}]: unknown field \`${kk}\``);
        if (f.has(kk)) wrong(`${k}[${i}]: duplicate field \`${kk}\``);
        f.set(kk, it.vals[j]);
      });
      for (const kk of ["entry", "proof", "sig"]) if (!f.has(kk)) wrong(`${k}[${i}]: missing field \`${kk}\``);
      const p = f.get("proof")!;
      let proof: Uint8Array[] | null = null;
      if (p.t !== "null") {
        if (p.t !== "arr") return wrong(`${k}[${i}].proof: expected a list of hashes or null`);
        proof = p.items.map((h) => {
          const b = h.t === "str" ? hexExact(h.v, 32) : null;
          if (!b) return wrong(`${k}[${i}].proof: a hash is 64 lowercase hex digits`);
          return b;
        });
      }
      const node = f.get("entry")!;
      return { node, raw: bytes.subarray(node.s, node.e), proof, sig: str("sig", f.get("sig")!) };
    });
  };
  const checkpoint = str("checkpoint", m.get("checkpoint")!);
  const draw = str("draw", m.get("draw")!);
  const origin = str("origin", m.get("origin")!);
  const keyS = str("key", m.get("key")!);
  if (WS.test(keyS)) wrong("the key holds white space: give the 44 base64 characters alone");
  const kb = keyS.startsWith("-----BEGIN") ? null : b64decode(keyS);
  if (!kb) return wrong("public key is neither base64 nor PEM");
  if (kb.length !== 32) return wrong("a base64 Ed25519 public key is 32 bytes");
  if (!edPointOk(kb)) return wrong("not a valid Ed25519 public key");
  const entries = entryList("entries");
  const rotations = entryList("rotations");
  const poolN = m.get("pool")!;
  if (poolN.t !== "arr") return wrong("pool: expected a sequence");
  const listOf = (k: string): JNode[] => {
    const n = m.get(k);
    if (!n) return [];
    if (n.t !== "arr") return wrong(`${k}: expected a sequence`);
    return n.items;
  };
  const sheets = listOf("sheets");
  const explanations = listOf("explanations");
  const rub = m.get("rubric");
  const rubric = rub && !(rub.t === "raw" && rub.first === 0x6e) ? rub : null;
  const i = poolN.items.findIndex((l) => !(l.t === "raw" ? l.first === 0x7b : l.t === "obj"));
  if (i >= 0) wrong(`pool element ${i} is not a JSON object`);
  return { bytes, checkpoint, draw, format: f.v, origin, key: { b64: keyS, bytes: kb }, entries, rotations, pool: poolN.items, rubric, sheets, explanations };
}

// ---------------------------------------------------------------- pool leaves

const LEAF_ID = utf8('{"id":"');
const LEAF_ORG = utf8('","org":"');
const LEAF_SPEC = utf8('","spec":"');
const LEAF_TOKEN = utf8('","token":"');
const LEAF_END = utf8('"}');
const HEXDIGIT = new Uint8Array(256);
const HEXVALUE = new Uint8Array(256);
for (const [v, c] of [..."0123456789abcdef"].entries()) {
  HEXDIGIT[c.charCodeAt(0)] = 1;
  HEXVALUE[c.charCodeAt(0)] = v;
}

const BAD_LEAF = "pool leaf is not canonical JSON (RFC 8785) of {id, org, spec, token}";

/**
 * Reads one pool leaf from its exact bytes `b`, which must be exactly the
 * canonical encoding of {id, org, spec, token}. `text` holds the same bytes
 * one character per byte from `off` on, for taking the fields out cheaply.
 */
function leafFromBytes(b: Uint8Array, text: string, off: number): Leaf {
  const n = b.length;
  // {"id":"<32 hex>","org":"<32 hex>","spec":"<spec>","token":"<64 hex>"}
  if (n < 7 + 32 + 9 + 32 + 10 + 1 + 11 + 64 + 2) throw new Bad("pool leaf is cut short");
  if (!same(b, 0, LEAF_ID) || !hexAt(b, 7, 32) || !same(b, 39, LEAF_ORG) || !hexAt(b, 48, 32) || !same(b, 80, LEAF_SPEC)) {
    throw new Bad(BAD_LEAF);
  }
  let end = 90;
  while (end < n && b[end] !== 0x22) {
    const c = b[end];
    if (!((c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39) || c === 0x5f)) throw new Bad('pool leaf: Specialty may contain only a-z, 0-9 and "_"');
    end++;
  }
  if (end - 90 < 1 || end - 90 > 32) throw new Bad("pool leaf: Specialty must be 1 to 32 characters");
  if (end + 11 + 64 + 2 !== n || !same(b, end, LEAF_TOKEN) || !hexAt(b, end + 11, 64) || b[n - 2] !== 0x22 || b[n - 1] !== 0x7d) {
    throw new Bad(BAD_LEAF);
  }
  const NIB = HEXVALUE;
  return {
    idKey: (NIB[b[7]] << 24) | (NIB[b[8]] << 20) | (NIB[b[9]] << 16) | (NIB[b[10]] << 12) | (NIB[b[11]] << 8) | (NIB[b[12]] << 4) | NIB[b[13]],
    id: text.substring(off + 7, off + 39),
    org: text.substring(off + 48, off + 80),
    spec: text.substring(off + 90, off + end),
    token: text.substring(off + end + 11, off + end + 75),
  };
}

/** The first seven hex digits of a tag as a small integer. */
function idKey(id: string): number {
  return parseInt(id.slice(0, 7), 16);
}

function same(b: Uint8Array, at: number, w: Uint8Array): boolean {
  for (let k = 0; k < w.length; k++) if (b[at + k] !== w[k]) return false;
  return true;
}

function hexAt(b: Uint8Array, at: number, n: number): boolean {
  for (let k = 0; k < n; k++) if (!HEXDIGIT[b[at + k]]) return false;
  return true;
}

/** Finds a token among leaves sorted by token (binary search, as the pool is in token order). */
class TokenIndex {
  constructor(private readonly leaves: Leaf[]) {}
  get(t: string): number | undefined {
    let lo = 0;
    let hi = this.leaves.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const x = this.leaves[mid].token;
      if (x === t) return mid;
      if (x < t) lo = mid + 1;
      else hi = mid;
    }
    return undefined;
  }
  has(t: string): boolean {
    return this.get(t) !== undefined;
  }
}

// ---------------------------------------------------------------- checkpoint (C2SP signed note)

interface Cp {
  size: bigint;
  root: Uint8Array;
}

function noteKeyHash(origin: string, key: Uint8Array): Uint8Array {
  return sha256(concat(utf8(origin), new Uint8Array([0x0a, 0x01]), key)).subarray(0, 4);
}

const nameOk = (n: string): boolean => n.length > 0 && !WS.test(n) && !n.includes("+");

function checkCheckpoint(text: string, key: Uint8Array, origin: string): Cp {
  const bad = (m: string): never => fail(m, `检查点无效：${m}`);
  if (utf8(text).length > 1_000_000 || /[\u0000-\u0009\u000b-\u001f]/.test(text)) bad("not a signed note: malformed note");
  const cut = text.lastIndexOf("\n\n");
  if (cut < 0) bad("not a signed note: malformed note");
  const body = text.slice(0, cut + 1);
  let sigPart = text.slice(cut + 2);
  if (!sigPart.endsWith("\n")) bad("not a signed note: malformed note");
  sigPart = sigPart.slice(0, -1);
  const sigs: { name: string; id: Uint8Array; sig: Uint8Array; line: string }[] = [];
  for (const line of sigPart.split("\n")) {
    if (!line.startsWith("\u2014 ")) bad("not a signed note: malformed note");
    const rest = line.slice(2);
    const sp = rest.indexOf(" ");
    if (sp < 0) bad("not a signed note: malformed note");
    const name = rest.slice(0, sp);
    const b64 = rest.slice(sp + 1);
    const raw = b64decode(b64);
    if (!raw || b64.length === 0 || raw.length < 5) bad("not a signed note: malformed note");
    if (!nameOk(name)) bad("not a signed note: malformed note");
    sigs.push({ name, id: raw!.subarray(0, 4), sig: raw!.subarray(4), line });
    if (sigs.length > 100) bad("not a signed note: malformed note");
  }
  // The note's text: a C2SP checkpoint.
  const lines = body.split("\n");
  lines.pop();
  if (lines.length < 3) bad("not a C2SP checkpoint");
  const [o, n, r] = lines;
  for (const ext of lines.slice(3)) if (ext === "") bad("not a C2SP checkpoint");
  if (!/^(0|[1-9][0-9]*)$/.test(n) || BigInt(n) >= 2n ** 64n) bad("not a C2SP checkpoint");
  const root = b64decode(r);
  if (!root || root.length !== 32 || o.length === 0) bad("not a C2SP checkpoint");
  if (o !== origin) bad(`checkpoint origin is ${JSON.stringify(o)}, expected ${JSON.stringify(origin)}`);
  const want = noteKeyHash(o, key);
  const msg = utf8(body);
  // The first line of the log's name and key hash makes the note verify;
  // every further such line must verify too, whatever the order.
  const ours = sigs.filter((s) => s.name === o && eq(s.id, want));
  if (ours.length === 0) bad("checkpoint signature: note has no verifiable signatures");
  if (!edVerifyStrict(key, msg, ours[0].sig)) bad(`checkpoint signature: invalid signature for key ${o}+${toHex(want)}`);
  for (const s of ours.slice(1)) {
    if (!edVerifyStrict(key, msg, s.sig)) {
      bad("checkpoint signature: a signature line of the log's name and key does not verify (every such line must)");
    }
  }
  return { size: BigInt(n), root: root! };
}

// ---------------------------------------------------------------- helpers

interface Item {
  e: BEntry;
  p: Parsed;
}

const short = (t: string): string => t.slice(0, 8);

function pinnedKey(text: string): Uint8Array | null {
  const t = text.trim();
  if (t.startsWith("-----BEGIN")) {
    const m = /^-----BEGIN PUBLIC KEY-----\s*([A-Za-z0-9+/=\s]+?)\s*-----END PUBLIC KEY-----$/.exec(t);
    if (!m) return null;
    const der = b64decode(m[1].replace(/\s+/g, ""));
    if (!der || der.length !== 44 || toHex(der.subarray(0, 12)) !== "302a300506032b6570032100") return null;
    const k = der.subarray(12);
    return edPointOk(k) ? k : null;
  }
  const k = b64decode(t);
  return k && k.length === 32 && edPointOk(k) ? k : null;
}

// ---------------------------------------------------------------- verify

/** Verifies a draw's bundle, given as its exact bytes. */
export function verify(bundle: Uint8Array, opts: Options = {}): Result {
  // A plain view of the same bytes: a subclass (Node's Buffer) makes every
  // subarray of the pool's 100,000 leaves several times dearer.
  if (bundle.constructor !== Uint8Array) bundle = new Uint8Array(bundle.buffer, bundle.byteOffset, bundle.byteLength);
  const progress = opts.onProgress ?? (() => {});
  let pinned: Uint8Array | null = null;
  if (opts.key != null) {
    pinned = pinnedKey(opts.key);
    if (!pinned) {
      const m = { en: "--key: not a base64 or PEM Ed25519 public key", zh: "--key：不是 base64 或 PEM 格式的 Ed25519 公钥" };
      return { exit: 2, lines: [{ kind: "error", ...m, text: `error: ${m.en}` }], checks: [], firstFailure: null };
    }
  }
  const witnesses: { name: string; key: Uint8Array }[] = [];
  for (const w of opts.witnesses ?? []) {
    const at = w.indexOf("=");
    const name = at < 0 ? "" : w.slice(0, at);
    const key = at < 0 ? null : pinnedKey(w.slice(at + 1));
    if (!nameOk(name) || !key) {
      const m = { en: `--witness: ${JSON.stringify(w)} is not NAME=BASE64KEY`, zh: `--witness：${JSON.stringify(w)} 不是 NAME=BASE64KEY 格式` };
      return { exit: 2, lines: [{ kind: "error", ...m, text: `error: ${m.en}` }], checks: [], firstFailure: null };
    }
    witnesses.push({ name, key });
  }
  progress({ phase: "parse", done: 0, total: 1 });
  let b: Bundle;
  try {
    b = readBundle(bundle);
  } catch (e) {
    if (!(e instanceof NotABundle)) throw e;
    const en = `not a fairpanel bundle: ${e.message}`;
    return {
      exit: 2,
      lines: [{ kind: "error", en, zh: `不是 fairpanel 证据包：${e.message}`, text: `error: ${en}` }],
      checks: [],
      firstFailure: null,
    };
  }
  progress({ phase: "parse", done: 1, total: 1 });
  const checks: Check[] = [];
  const summary: Msg[] = [{ en: `draw ${b.draw} in log ${b.origin}`, zh: `日志 ${b.origin} 中的抽取 ${b.draw}` }];
  const signed: Signed[] = [];
  const cosigners: Cosigner[] = [];
  run(b, pinned, checks, summary, progress, opts.sha256Latin1 ?? nobleLatin1, signed);
  cosigned(b.checkpoint, checks, witnesses, cosigners);
  const done = new Set(checks.map((c) => c.check));
  for (const c of CHECKS) {
    if (!done.has(c)) checks.push({ check: c, outcome: "skipped", en: "an earlier check failed", zh: "前面的检查未通过" });
  }
  checks.sort((x, y) => CHECKS.indexOf(x.check) - CHECKS.indexOf(y.check));
  const firstFailure = checks.find((c) => c.outcome === "failed") ?? null;
  const lines: Line[] = [];
  for (const c of checks) {
    const word = c.outcome === "passed" ? "passed " : c.outcome === "failed" ? "FAILED " : "skipped";
    lines.push({ kind: "check", check: c.check, outcome: c.outcome, en: c.en, zh: c.zh, text: `  ${c.check.padEnd(13)} ${word} ${c.en}` });
  }
  for (const s of summary) lines.push({ kind: "summary", ...s, text: `  | ${s.en}` });
  if (!pinned) {
    const w = {
      en: "WARNING: no --key given. The bundle was checked against its own key only: this proves that it is consistent with itself, NOT who signed it. Pass --key with the province's published key.",
      zh: "警告：未指定公钥。证据包只按它自带的公钥核验：这只证明它自身前后一致，不能证明是谁签的名。请用省里公布的公钥核验。",
    };
    lines.push({ kind: "warning", ...w, text: w.en });
  }
  lines.push({ kind: "limits", en: "What these checks do not prove:", zh: "这些检查不能证明：", text: "What these checks do not prove:" });
  for (const l of LIMITS) lines.push({ kind: "limit", ...l, text: `  - ${l.en}` });
  if (firstFailure) {
    const v = {
      en: `FAILED: first failing check is ${firstFailure.check}: ${firstFailure.en}`,
      zh: `未通过：第一项未通过的检查是 ${firstFailure.check}：${firstFailure.zh}`,
    };
    lines.push({ kind: "verdict", ...v, text: v.en });
  } else {
    const n = checks.filter((c) => c.outcome === "passed").length;
    const v = { en: `OK: ${n} checks passed, none failed`, zh: `通过：${n} 项检查通过，没有未通过的检查` };
    lines.push({ kind: "verdict", ...v, text: v.en });
  }
  return { exit: firstFailure ? 1 : 0, lines, checks, firstFailure, signed, cosigners };
}

function run(
  b: Bundle,
  pinned: Uint8Array | null,
  checks: Check[],
  summary: Msg[],
  progress: (p: Progress) => void,
  hash: Latin1Hash,
  signed: Signed[] = [],
): void {
  const pass = (check: CheckId, en: string, zh: string) => checks.push({ check, outcome: "passed", en, zh });
  const failed = (check: CheckId, en: string, zh: string) => checks.push({ check, outcome: "failed", en, zh });
  const skip = (check: CheckId, en: string, zh: string) => checks.push({ check, outcome: "skipped", en, zh });
  /** Runs a check body; false when it failed. */
  const result = (check: CheckId, f: () => Msg): boolean => {
    try {
      const m = f();
      pass(check, m.en, m.zh);
      return true;
    } catch (e) {
      if (!(e instanceof Fail)) throw e;
      failed(check, e.en, e.zh);
      return false;
    }
  };

  // canonical: every record is read from its exact bytes.
  const items: Item[] = [];
  const rotations: Item[] = [];
  for (const [list, out, what, zwhat] of [
    [b.entries, items, "entry", "条目"],
    [b.rotations, rotations, "rotation entry", "密钥轮换条目"],
  ] as const) {
    for (let i = 0; i < list.length; i++) {
      try {
        out.push({ e: list[i], p: parseEntry(list[i].raw, parseJson(list[i].raw)) });
      } catch (e) {
        if (!(e instanceof Bad)) throw e;
        failed("canonical", `${what} ${i} of the bundle: ${e.message}`, `证据包的第 ${i} 个${zwhat}不是规范形式：${e.message}`);
        return;
      }
    }
  }
  const leaves: Leaf[] = new Array(b.pool.length);
  const total = b.pool.length;
  // The pool's bytes one character per byte (leaves are ASCII when valid).
  const base = total ? b.pool[0].s : 0;
  const poolText = total ? new TextDecoder("latin1").decode(b.bytes.subarray(base, b.pool[total - 1].e)) : "";
  for (let i = 0; i < total; i++) {
    try {
      leaves[i] = leafFromBytes(poolBytes(b, i), poolText, b.pool[i].s - base);
    } catch (e) {
      if (!(e instanceof Bad)) throw e;
      failed("canonical", `pool leaf ${i}: ${e.message}`, `专家池第 ${i} 个叶子：${e.message}`);
      return;
    }
    if (i % 20000 === 0) progress({ phase: "pool", done: i, total: 2 * total });
  }
  pass(
    "canonical",
    `${items.length} entries, ${rotations.length} rotations and ${leaves.length} pool leaves are canonical JSON`,
    `${items.length} 个条目、${rotations.length} 个密钥轮换条目和 ${leaves.length} 个专家池叶子都是规范 JSON`,
  );

  // key: the chain of signing keys, and the pinned key in it.
  interface Window {
    key: Uint8Array;
    id: string;
    after: bigint | null;
    until: bigint | null;
  }
  const windows: Window[] = [];
  const keyOk = result("key", () => {
    const rots: { seq: bigint; prev: string; signer: string; body: KeyRotation }[] = [];
    for (const it of rotations) {
      if (it.p.body.kind !== "key_rotation") fail(`rotation list holds a ${kindDebug(it.p.kind)} entry`, `密钥轮换列表中有一个 ${it.p.kind} 条目`);
      rots.push({ seq: it.p.seq, prev: it.p.prev, signer: it.p.signer, body: it.p.body.b as KeyRotation });
    }
    let lastSeq: bigint | null = null;
    for (const r of rots) {
      const { seq, body: x } = r;
      if (keyId(x.new_key.bytes) !== x.new_key_id || r.signer !== keyId(x.old_key.bytes)) {
        fail(`rotation at seq ${seq}: key ids do not match the keys`, `序号 ${seq} 的密钥轮换：密钥 ID 与密钥不符`);
      }
      const prevW = windows[windows.length - 1];
      if (prevW && !eq(prevW.key, x.old_key.bytes)) fail(`rotation at seq ${seq} does not continue the previous one`, `序号 ${seq} 的密钥轮换没有接续上一次轮换`);
      if (lastSeq !== null && seq <= lastSeq) fail(`rotation at seq ${seq} is out of order`, `序号 ${seq} 的密钥轮换顺序不对`);
      if (eq(x.new_key.bytes, x.old_key.bytes) || windows.some((w) => eq(w.key, x.new_key.bytes))) {
        fail(`rotation at seq ${seq} brings back a retired key`, `序号 ${seq} 的密钥轮换重新启用了已退役的密钥`);
      }
      const sig = b64decode(x.new_key_sig);
      if (!sig) fail(`rotation at seq ${seq}: new_key_sig is not base64`, `序号 ${seq} 的密钥轮换：new_key_sig 不是 base64`);
      const msg = concat(utf8(TAG.rotation), new Uint8Array([0]), u64be(seq), hexExact(r.prev, 32)!, x.old_key.bytes, x.new_key.bytes);
      if (sig!.length !== 64 || !edVerifyStrict(x.new_key.bytes, msg, sig!)) {
        const why = sig!.length !== 64 ? `an Ed25519 signature is 64 bytes, not ${sig!.length}` : "signature does not verify";
        fail(`rotation at seq ${seq} is not signed by its new key ${x.new_key_id}: ${why}`, `序号 ${seq} 的密钥轮换没有新密钥 ${x.new_key_id} 的签名`);
      }
      if (prevW) prevW.until = seq;
      else windows.push({ key: x.old_key.bytes, id: keyId(x.old_key.bytes), after: null, until: seq });
      windows.push({ key: x.new_key.bytes, id: x.new_key_id, after: seq, until: null });
      lastSeq = seq;
    }
    const last = windows[windows.length - 1];
    if (last && !eq(last.key, b.key.bytes)) {
      fail(
        `the last key rotation leads to key ${keyId(last.key)}, not to the current key ${keyId(b.key.bytes)}`,
        `最后一次密钥轮换指向密钥 ${keyId(last.key)}，而不是当前密钥 ${keyId(b.key.bytes)}`,
      );
    }
    if (!last) windows.push({ key: b.key.bytes, id: keyId(b.key.bytes), after: null, until: null });
    const ids = windows.map((w) => w.id).join(", ");
    if (pinned) {
      if (!windows.some((w) => eq(w.key, pinned))) {
        fail(
          `the pinned key ${keyId(pinned)} is not among the bundle's signing keys (${ids})`,
          `指定的公钥 ${keyId(pinned)} 不在证据包的签名密钥之中（${ids}）`,
        );
      }
      return {
        en: `pinned key ${keyId(pinned)} is in this log's key chain (${ids}); every rotation is signed by both its keys`,
        zh: `指定的公钥 ${keyId(pinned)} 在本日志的密钥链中（${ids}）；每次轮换都有新旧两把密钥的签名`,
      };
    }
    return {
      en: `NOT PINNED: key ${keyId(b.key.bytes)} taken from the bundle itself; this proves only that the bundle is consistent with itself, not who signed it (pass --key with the province's published key)`,
      zh: `未指定公钥：密钥 ${keyId(b.key.bytes)} 取自证据包本身；这只证明证据包自身一致，不能证明是谁签的名（请用省里公布的公钥核验）`,
    };
  });
  if (!keyOk) return;

  // signatures
  const all = [...items, ...rotations];
  if (
    !result("signatures", () => {
      for (const it of all) {
        const p = it.p;
        const w = windows.find((x) => x.id === p.signer);
        if (!w) fail(`entry seq ${p.seq}: signed by unknown key ${p.signer}`, `序号 ${p.seq} 的条目由未知密钥 ${p.signer} 签名`);
        if (w!.until !== null && p.seq > w!.until) {
          fail(`entry seq ${p.seq}: signed by key ${p.signer}, retired at seq ${w!.until}`, `序号 ${p.seq} 的条目由已在序号 ${w!.until} 退役的密钥 ${p.signer} 签名`);
        }
        if (w!.after !== null && p.seq <= w!.after) {
          fail(
            `entry seq ${p.seq}: signed by key ${p.signer}, which only signs after its rotation at seq ${w!.after}`,
            `序号 ${p.seq} 的条目由密钥 ${p.signer} 签名，而该密钥只能签序号 ${w!.after} 的轮换之后的条目`,
          );
        }
        const sig = b64decode(it.e.sig);
        if (!sig) fail(`entry seq ${p.seq}: signature is not base64`, `序号 ${p.seq} 的条目：签名不是 base64`);
        if (sig!.length !== 64) fail(`entry seq ${p.seq}: an Ed25519 signature is 64 bytes, not ${sig!.length}`, `序号 ${p.seq} 的条目：Ed25519 签名应为 64 字节`);
        if (!edVerifyStrict(w!.key, it.e.raw, sig!)) fail(`entry seq ${p.seq}: signature does not verify`, `序号 ${p.seq} 的条目：签名校验不通过`);
      }
      return { en: `${all.length} entry signatures verify (Ed25519, strict)`, zh: `${all.length} 个条目签名校验通过（Ed25519，严格校验）` };
    })
  )
    return;

  // chain
  if (
    !result("chain", () => {
      if (items.length === 0) fail("the bundle has no entries", "证据包中没有条目");
      if (b.format === FORMAT) return provinceChain(items.map((i) => i.p));
      for (let k = 1; k < items.length; k++) {
        const a = items[k - 1].p;
        const n = items[k].p;
        if (n.time < a.time) {
          fail(
            `entry seq ${n.seq} has time ${n.time}, earlier than entry seq ${a.seq} (${a.time}): log time must not go backwards`,
            `序号 ${n.seq} 的条目时间 ${n.time} 早于序号 ${a.seq} 的条目（${a.time}）：日志时间不得倒退`,
          );
        }
        if (n.seq !== a.seq + 1n) fail(`entry seq ${n.seq} follows seq ${a.seq}: the range has a gap or is out of order`, `序号 ${n.seq} 的条目紧接在序号 ${a.seq} 之后：条目有缺口或顺序错乱`);
        if (n.prev !== a.hash) {
          fail(`entry seq ${n.seq}: prev is ${n.prev}, but the hash of entry seq ${a.seq} is ${a.hash}`, `序号 ${n.seq} 的条目：prev 为 ${n.prev}，但序号 ${a.seq} 的条目哈希是 ${a.hash}`);
        }
      }
      const f = items[0].p.seq;
      const l = items[items.length - 1].p.seq;
      return { en: `entries seq ${f} to ${l} are hash-chained`, zh: `序号 ${f} 至 ${l} 的条目哈希相连` };
    })
  )
    return;

  // checkpoint
  let cp: Cp | null = null;
  if (
    !result("checkpoint", () => {
      const c = checkCheckpoint(b.checkpoint, b.key.bytes, b.origin);
      let last = 0n;
      for (const it of all) if (it.p.seq > last) last = it.p.seq;
      if (c.size <= last) {
        fail(
          `the checkpoint covers ${c.size} entries, so entry seq ${last} is not in it (stale checkpoint)`,
          `检查点只覆盖 ${c.size} 个条目，不包含序号 ${last} 的条目（过期的检查点）`,
        );
      }
      cp = c;
      return { en: `signed checkpoint of ${c.size} entries, root ${toHex(c.root)}`, zh: `已签名的检查点：${c.size} 个条目，根哈希 ${toHex(c.root)}` };
    })
  )
    return;
  const checkpoint = cp as unknown as Cp;

  // inclusion
  if (
    !result("inclusion", () => {
      let n = 0;
      const lastEntry = items.length ? items[items.length - 1].p.seq : null;
      for (const it of all) {
        const seq = it.p.seq;
        const own = it.p.draw === b.draw || it.p.kind === "key_rotation";
        if (it.e.proof === null && seq === lastEntry) {
          fail(
            `the bundle's last entry (seq ${seq}) has no inclusion proof: the entries after the draw's last proven one would be tied to nothing`,
            `证据包最后一个条目（序号 ${seq}）没有包含证明：本抽取最后一个有证明的条目之后的条目将无所依凭`,
          );
        }
        if (it.e.proof) {
          const why = checkInclusion(it.e.proof, checkpoint.size, checkpoint.root, seq, leafHash(it.e.raw));
          if (why) {
            fail(
              `entry seq ${seq}: inclusion proof does not verify: ${why} (checkpoint size ${checkpoint.size})`,
              `序号 ${seq} 的条目：包含证明校验不通过（检查点大小 ${checkpoint.size}）`,
            );
          }
          n++;
        } else if (own) {
          fail(`entry seq ${seq} of the draw has no inclusion proof`, `本抽取序号 ${seq} 的条目没有包含证明`);
        }
      }
      return { en: `${n} inclusion proofs verify against the checkpoint`, zh: `${n} 个包含证明与检查点相符` };
    })
  )
    return;

  // commit
  const mine = items.filter((i) => i.p.draw === b.draw);
  // A draw's bundle starts at its commit; a supplementary draw's (1.2) at the
  // earlier draw's commit, so that the link can be followed.
  const first = mine.find((i) => i.p.kind === "commit");
  const startsAt = first ? ((first.p.body.b as Commit).supplements?.commit ?? first.p.hash) : null;
  if (!first || items[0].p.hash !== startsAt) {
    failed(
      "commit",
      "the bundle's first entry is not the draw's commit (or, for a supplementary draw, the commit it supplements)",
      "证据包的第一个条目不是本抽取的承诺（对补抽而言，也不是它所补的那次抽取的承诺）",
    );
    return;
  }
  const commit = first.p.body.b as Commit;
  const commitHash = first.p.hash;
  const commitTime = first.p.time;
  const province = first.p.province;
  if (
    !result("commit", () => {
      if (mine.filter((i) => i.p.kind === "commit").length !== 1) fail("the draw has more than one commit", "本抽取有不止一个承诺");
      const other = mine.find((i) => i.p.province !== province);
      if (other) fail(`entry seq ${other.p.seq} names another province than the commit`, `序号 ${other.p.seq} 的条目所属省份与承诺不同`);
      const sp = specProblem(commit.spec);
      if (sp) fail(sp, `抽取规则无效：${sp}`);
      if (commit.entropy_deadline < commitTime) fail("the entropy deadline is before the commit", "贡献截止时间早于承诺");
      if (commit.supplements) checkLink(items, first, commit, commit.supplements);
      const s = commit.spec;
      const cap = s.org_cap === null ? "none" : String(s.org_cap);
      return {
        en: `commit at seq ${first.p.seq} (time ${commitTime}): panel ${s.panel}, ${s.alternates} alternates, ${s.quotas.length} quotas, org cap ${cap}`,
        zh: `承诺位于序号 ${first.p.seq}（时间 ${commitTime}）：评审组 ${s.panel} 人，候补 ${s.alternates} 人，专业下限 ${s.quotas.length} 项，每单位上限 ${s.org_cap === null ? "无" : s.org_cap}`,
      };
    })
  )
    return;
  summary.push({ en: `${commit.title} — ${province ? PROVINCES[province] : ""}`, zh: `${commit.title} — ${province ? PROVINCES[province] : ""}` });
  const sup = commit.supplements;
  if (sup) {
    // `seated` is checked against the earlier draw's reveal, which this
    // bundle does not check: it may hold more members than seats (0 to fill;
    // the pool check then refuses the commit).
    const toFill = Math.max(0, commit.spec.panel - sup.seated.length);
    summary.push({
      en: `supplementary draw (补抽) of ${sup.draw}: ${sup.seated.length} members keep their seats, ${toFill} seats to fill`,
      zh: `补抽（所补的抽取：${sup.draw}）：${sup.seated.length} 名成员保留席位，需补 ${toFill} 席`,
    });
  }

  // pool
  const indexOf = new TokenIndex(leaves);
  if (
    !result("pool", () => {
      const m = checkPool(b, commit, leaves, progress, hash);
      if (!sup) return m;
      const idx = (list: string[]) =>
        list.map((t) => {
          const i = indexOf.get(t);
          if (i === undefined) fail(`the supplementary commit names ${t}, which is not a member of the pool`, `补抽的承诺列出了 ${t}，但它不在专家池中`);
          return i!;
        });
      const seatedIx = idx(sup.seated);
      const drawnIx = idx(sup.drawn);
      try {
        checkSupplementFeasible(commit.spec, leaves, seatedIx, drawnIx);
      } catch (e) {
        if (!(e instanceof Infeasible)) throw e;
        fail(`the supplementary draw's empty seats cannot be filled: ${e.message}`, `补抽的空缺席位无法补满：${e.message}`);
      }
      const notDrawn = leaves.length - drawnIx.length;
      const empty = commit.spec.panel - seatedIx.length;
      return {
        en: `${m.en}; ${notDrawn} members not yet drawn can fill the ${empty} empty seats`,
        zh: `${m.zh}；尚未抽中的 ${notDrawn} 名成员可以补满 ${empty} 个空缺席位`,
      };
    })
  )
    return;
  // The members a supplementary draw keeps and cannot draw (pool indexes).
  const carried = sup ? sup.seated.map((t) => indexOf.get(t)!) : [];
  const drawn = sup ? sup.drawn.map((t) => indexOf.get(t)!) : [];

  // entropy
  const entropy = mine.filter((i) => i.p.kind === "entropy");
  // Protocol 1.4: the draw's personal keys, in log order (complete once the entropy check passed).
  const registered: Registered[] = [];
  const isLogKey = (k: Uint8Array) => windows.some((w) => eq(w.key, k));
  if (
    !result("entropy", () => {
      for (const it of mine) {
        if (it.p.kind !== "key_registration") continue;
        const r = it.p.body.b as import("./entry.js").KeyRegistration;
        const seq = it.p.seq;
        if (isLogKey(r.key.bytes)) {
          fail(
            `key_registration at seq ${seq} registers the log's own key ${keyId(r.key.bytes)} as a ${r.role}'s: a personal key must not be the operator's`,
            `序号 ${seq} 的密钥登记把日志自己的密钥 ${keyId(r.key.bytes)} 登记为个人密钥：个人密钥不能是运营方的密钥`,
          );
        }
        const twice = registered.find((o) => eq(o.key, r.key.bytes));
        if (twice) {
          fail(
            `key_registration at seq ${seq} registers key ${keyId(r.key.bytes)} again (first at seq ${twice.seq})`,
            `序号 ${seq} 的密钥登记重复登记密钥 ${keyId(r.key.bytes)}（首次在序号 ${twice.seq}）`,
          );
        }
        // Protocol 1.6: a second key for a person only as an approved replacement of the current one.
        const current = registered.find((o) => o.person === r.person && o.until === null);
        const id = r.replaces;
        if (current && id === null) {
          fail(
            `key_registration at seq ${seq} gives a second key to a person who already has one in this draw, without naming it in replaces`,
            `序号 ${seq} 的密钥登记给本次抽取中已有密钥的人登记了第二把密钥，却没有在 replaces 中写明被替换的密钥`,
          );
        }
        if (!current && id !== null) {
          fail(
            `key_registration at seq ${seq} replaces key ${id}, but the person has no current key in this draw`,
            `序号 ${seq} 的密钥登记要替换密钥 ${id}，但此人在本次抽取中没有现行密钥`,
          );
        }
        if (current && id !== null) {
          const cur = keyId(current.key);
          if (cur !== id) {
            fail(
              `key_registration at seq ${seq} replaces key ${id}, which is not the person's current key ${cur}`,
              `序号 ${seq} 的密钥登记要替换密钥 ${id}，但此人的现行密钥是 ${cur}`,
            );
          }
          if (current.role !== r.role) {
            fail(`key_registration at seq ${seq} replaces a ${current.role}'s key with a ${r.role}'s`, `序号 ${seq} 的密钥登记替换密钥时改变了角色`);
          }
          const a = r.approval;
          if (!a) fail(`key_registration at seq ${seq} replaces key ${id} without a supervisor's approval`, `序号 ${seq} 的密钥登记替换密钥 ${id}，但没有监督员的批准`);
          const by = keyId(a!.key.bytes);
          if (isLogKey(a!.key.bytes)) {
            fail(
              `key_registration at seq ${seq}: the replacement's approval is by the log's own key ${by}, not by a supervisor's`,
              `序号 ${seq} 的密钥登记：替换由日志自己的密钥 ${by} 批准，而不是由监督员批准`,
            );
          }
          const o = registered.find((g) => eq(g.key, a!.key.bytes));
          if (!o) {
            fail(
              `key_registration at seq ${seq}: the replacement's approval is by an unregistered key ${by}: no earlier key_registration of the draw registers it`,
              `序号 ${seq} 的密钥登记：批准替换的密钥 ${by} 在本次抽取中此前没有登记`,
            );
          }
          if (o!.person === r.person) {
            fail(
              `key_registration at seq ${seq}: the replacement's approval is by the replaced person's own key ${by}, not by another supervisor's`,
              `序号 ${seq} 的密钥登记：替换由被替换者本人的密钥 ${by} 批准，而不是由另一位监督员批准`,
            );
          }
          if (o!.role !== "supervisor") {
            fail(
              `key_registration at seq ${seq}: the replacement's approval is by key ${by}, registered at seq ${o!.seq} to an ${o!.role}, not to a supervisor`,
              `序号 ${seq} 的密钥登记：批准替换的密钥 ${by} 在序号 ${o!.seq} 登记给了专家，而不是监督员`,
            );
          }
          if (o!.until !== null) {
            fail(
              `key_registration at seq ${seq}: the replacement's approval is by key ${by}, which was itself replaced at seq ${o!.until}`,
              `序号 ${seq} 的密钥登记：批准替换的密钥 ${by} 已在序号 ${o!.until} 被替换`,
            );
          }
          const sig = b64decode(a!.sig);
          if (!sig) fail(`key_registration at seq ${seq}: the approval is not base64`, `序号 ${seq} 的密钥登记：批准签名不是 base64`);
          if (sig!.length !== 64) fail(`key_registration at seq ${seq}: the approval's an Ed25519 signature is 64 bytes, not ${sig!.length}`, `序号 ${seq} 的密钥登记：批准签名不是 64 字节`);
          if (!edVerifyStrict(a!.key.bytes, replacementMessage(r), sig!)) {
            fail(`key_registration at seq ${seq}: the approval's signature does not verify`, `序号 ${seq} 的密钥登记：批准签名验证不通过`);
          }
          current.until = seq;
        }
        if (id === null && r.approval) {
          fail(`key_registration at seq ${seq} carries an approval but replaces no key`, `序号 ${seq} 的密钥登记带有批准签名，却没有替换任何密钥`);
        }
        registered.push({ seq, until: null, key: r.key.bytes, role: r.role, person: r.person });
      }
      let attested = 0;
      const bc = mine.find((i) => i.p.kind === "beacon");
      const beaconSeq = bc ? bc.p.seq : null;
      for (const it of entropy) {
        const e = it.p.body.b as import("./entry.js").Entropy;
        const seq = it.p.seq;
        if (e.commit !== commitHash) fail(`contribution at seq ${seq} names another commit`, `序号 ${seq} 的贡献指向另一个承诺`);
        if (beaconSeq !== null && seq > beaconSeq) {
          fail(`contribution at seq ${seq} was logged after the beacon round (seq ${beaconSeq})`, `序号 ${seq} 的贡献记在信标轮次（序号 ${beaconSeq}）之后`);
        }
        if (it.p.time > commit.entropy_deadline) {
          fail(`contribution at seq ${seq} came at ${it.p.time}, after the deadline ${commit.entropy_deadline}`, `序号 ${seq} 的贡献时间 ${it.p.time} 晚于截止时间 ${commit.entropy_deadline}`);
        }
        if (commit.personal_keys) {
          const a = e.attestation;
          if (!a) fail(`contribution at seq ${seq} is not signed, but the commit requires personal keys`, `序号 ${seq} 的贡献没有签名，但承诺要求个人密钥签名`);
          const kid = keyId(a!.key.bytes);
          if (isLogKey(a!.key.bytes)) {
            fail(
              `contribution at seq ${seq} is signed by the log's own key ${kid}: the operator cannot contribute in a supervisor's name`,
              `序号 ${seq} 的贡献由日志自己的密钥 ${kid} 签名：运营方不能以监督员的名义提交贡献`,
            );
          }
          const r = registered.find((x) => eq(x.key, a!.key.bytes) && x.seq < seq);
          if (!r) {
            fail(
              `contribution at seq ${seq} is signed by key ${kid}, which no earlier key_registration of the draw registers`,
              `序号 ${seq} 的贡献由密钥 ${kid} 签名，但本次抽取此前没有登记这把密钥`,
            );
          }
          if (r!.until !== null && r!.until < seq) {
            fail(`contribution at seq ${seq} is signed by key ${kid}, which was replaced at seq ${r!.until}`, `序号 ${seq} 的贡献由密钥 ${kid} 签名，但这把密钥已在序号 ${r!.until} 被替换`);
          }
          if (r!.role !== "supervisor") {
            fail(
              `contribution at seq ${seq} is signed by key ${kid}, registered at seq ${r!.seq} to an ${r!.role}, not a supervisor`,
              `序号 ${seq} 的贡献由密钥 ${kid} 签名，它在序号 ${r!.seq} 登记给了专家，而不是监督员`,
            );
          }
        }
        if (e.attestation) {
          const sig = b64decode(e.attestation.sig);
          if (!sig) fail(`contribution at seq ${seq}: attestation is not base64`, `序号 ${seq} 的贡献：监督员签名不是 base64`);
          const msg = concat(utf8(TAG.attest), new Uint8Array([0]), hexExact(commitHash, 32)!, hexExact(e.value, 32)!);
          if (sig!.length !== 64) fail(`contribution at seq ${seq}: supervisor's an Ed25519 signature is 64 bytes, not ${sig!.length}`, `序号 ${seq} 的贡献：监督员签名长度不对`);
          if (!edVerifyStrict(e.attestation.key.bytes, msg, sig!)) fail(`contribution at seq ${seq}: supervisor's signature does not verify`, `序号 ${seq} 的贡献：监督员签名校验不通过`);
          attested++;
          const by = registered.find((x) => eq(x.key, e.attestation!.key.bytes) && x.seq < seq);
          signed.push({ what: "contribution", seq: seq.toString(), key: keyId(e.attestation.key.bytes), role: by ? by.role : null });
        }
      }
      const keysEn = commit.personal_keys
        ? `; personal keys required, ${registered.length} registered`
        : registered.length > 0
          ? `; ${registered.length} personal keys registered`
          : "";
      const keysZh = commit.personal_keys
        ? `；要求个人密钥签名，已登记 ${registered.length} 把`
        : registered.length > 0
          ? `；已登记 ${registered.length} 把个人密钥`
          : "";
      return {
        en: `${entropy.length} supervisor contributions before the deadline, ${attested} signed with the supervisor's own key${keysEn}`,
        zh: `截止前有 ${entropy.length} 份监督员贡献，其中 ${attested} 份有监督员本人密钥的签名${keysZh}`,
      };
    })
  )
    return;

  // beacon
  const revealItem = mine.find((i) => i.p.kind === "reveal");
  const beaconItems = mine.filter((i) => i.p.kind === "beacon");
  let randomness: Uint8Array | null = null;
  if (
    !result("beacon", () => {
      const r = checkBeacon(commit, commitTime, beaconItems, !!revealItem);
      randomness = r.randomness;
      return r.msg;
    })
  )
    return;
  summary.push(
    commit.beacon
      ? {
          en: `assurance: drand quicknet round ${commit.beacon.round} and ${entropy.length} supervisor contributions, with the operator's committed secret`,
          zh: `保证程度：drand quicknet 第 ${commit.beacon.round} 轮、${entropy.length} 份监督员贡献，以及运营方已承诺的秘密`,
        }
      : {
          en: `assurance: LOWER — beacon-less mode; the seed rests on the operator's secret and ${entropy.length} supervisor contributions only`,
          zh: `保证程度：较低 — 无信标模式；种子只取决于运营方的秘密和 ${entropy.length} 份监督员贡献`,
        },
  );

  let stateErr: Msg | null = null;
  try {
    drawState(mine, commitHash, summary);
  } catch (e) {
    if (!(e instanceof Fail)) throw e;
    stateErr = { en: e.en, zh: e.zh };
    failed("state", e.en, e.zh);
  }

  if (!revealItem) {
    for (const name of ["opening", "seed", "ranks", "panel"] as const) skip(name, "the draw has not been revealed", "本抽取尚未揭示");
    const d = mine.find((i) => i.p.kind === "decline");
    if (d) failed("replacements", `decline at seq ${d.p.seq} in a draw that was never revealed`, `序号 ${d.p.seq} 的拒绝出现在从未揭示的抽取中`);
    else skip("replacements", "the draw has not been revealed", "本抽取尚未揭示");
    disclosureCheck(checks, mine, leaves, indexOf, commit, null, summary);
    if (!stateErr) pass("state", "consistent", "一致");
    skip("scoring", "the draw has not been revealed", "本抽取尚未揭示");
    return;
  }
  const reveal = revealItem.p.body.b as import("./entry.js").Reveal;
  if (
    !result("opening", () => {
      if (mine.filter((i) => i.p.kind === "reveal").length > 1) fail("the draw has more than one reveal", "本抽取有不止一个揭示");
      if (reveal.commit !== commitHash) fail("the reveal names another commit", "揭示指向另一个承诺");
      if (toHex(tagged(TAG.secret, hexExact(reveal.secret, 32)!)) !== commit.secret_commitment) {
        fail("the revealed secret does not match the commit's secret_commitment", "揭示的秘密与承诺中的 secret_commitment 不符");
      }
      const bh = beaconItems.length ? beaconItems[0].p.hash : null;
      if (reveal.beacon !== bh) fail("the reveal names another beacon entry than the log holds", "揭示指向的信标条目与日志中的不同");
      return { en: "the revealed secret opens the commitment", zh: "揭示的秘密与承诺相符" };
    })
  )
    return;

  let seed: Uint8Array | null = null;
  if (
    !result("seed", () => {
      const rseq = revealItem.p.seq;
      const rtime = revealItem.p.time;
      if (rtime <= commit.entropy_deadline) {
        fail(
          `the reveal is dated ${rtime}, not after the entropy deadline ${commit.entropy_deadline}: contributions could still be made`,
          `揭示时间 ${rtime} 不晚于贡献截止时间 ${commit.entropy_deadline}：此时仍可提交贡献`,
        );
      }
      if (!commit.beacon && entropy.length === 0) {
        fail(
          "a beacon-less draw revealed with no supervisor contribution: its seed would be the operator's alone",
          "无信标的抽取在没有任何监督员贡献的情况下揭示：种子将完全由运营方决定",
        );
      }
      const before = entropy.filter((i) => i.p.seq < rseq).map((i) => i.p.hash);
      if (before.length !== entropy.length) fail("a contribution comes after the reveal", "有贡献出现在揭示之后");
      if (reveal.entropy.length !== before.length || reveal.entropy.some((h, k) => h !== before[k])) {
        fail(
          `the reveal's seed inputs list ${reveal.entropy.length} contributions that are not the ${before.length} in the log, in log order`,
          `揭示列出的 ${reveal.entropy.length} 份种子贡献不是日志中按顺序记录的 ${before.length} 份`,
        );
      }
      const values = entropy.map((i) => hexExact((i.p.body.b as import("./entry.js").Entropy).value, 32)!);
      const part = randomness ? concat(new Uint8Array([1]), randomness) : new Uint8Array([0]);
      const s = tagged(TAG.seed, hexExact(commitHash, 32)!, hexExact(reveal.secret, 32)!, part, u32be(values.length), ...values);
      if (toHex(s) !== reveal.seed) {
        fail(`the reveal's seed ${reveal.seed} does not follow from its inputs (they give ${toHex(s)})`, `揭示的种子 ${reveal.seed} 不能由其输入得出（输入得出 ${toHex(s)}）`);
      }
      seed = s;
      return {
        en: `seed ${toHex(s)} follows from the commit, the secret, the beacon and the contributions`,
        zh: `种子 ${toHex(s)} 由承诺、秘密、信标和贡献得出`,
      };
    })
  )
    return;

  // ranks
  const seen = new Set<string>();
  for (const t of [...reveal.panel, ...reveal.alternates]) {
    if (!indexOf.has(t)) {
      failed("ranks", `the reveal ranks ${t}, which is not a member of the pool`, `揭示中排了 ${t}，但它不在专家池中`);
      return;
    }
    if (seen.has(t)) {
      failed("ranks", `the reveal names ${t} twice`, `揭示中 ${t} 出现了两次`);
      return;
    }
    seen.add(t);
  }
  progress({ phase: "checks", done: 0, total: 1 });
  const order = ranks(seed as unknown as Uint8Array, leaves.length);
  const sel = sup ? fillSupplement(commit.spec, leaves, order, carried, drawn) : fill(commit.spec, leaves, order);
  pass(
    "ranks",
    `Fisher–Yates order of ${order.length} members; rank 1 is ${order.length ? leaves[order[0]].token : ""}; the reveal names only pool members, each once`,
    `${order.length} 名成员的 Fisher–Yates 排序；第 1 名是 ${order.length ? leaves[order[0]].token : ""}；揭示只列出了专家池成员，且每人一次`,
  );
  const panel = sel.panel.map((i) => leaves[i].token);
  const alternates = sel.alternates.map((i) => leaves[i].token);
  if (
    !result("panel", () => {
      const same = (a: string[], c: string[]) => a.length === c.length && a.every((x, k) => x === c[k]);
      if (!same(reveal.panel, panel)) {
        let k = reveal.panel.findIndex((t, j) => j < panel.length && t !== panel[j]);
        if (k < 0) k = Math.min(panel.length, reveal.panel.length);
        const got = reveal.panel[k] ?? "missing";
        const want = panel[k] ?? "no seat";
        fail(
          `the panel does not follow from the ranks: seat ${k + 1} is ${got}, the rule gives ${want}`,
          `评审组不能由排序得出：第 ${k + 1} 席是 ${got}，规则给出的是 ${want}`,
        );
      }
      if (!same(reveal.alternates, alternates)) fail("the alternates do not follow from the ranks", "候补名单不能由排序得出");
      return {
        en: `panel of ${panel.length} and ${alternates.length} alternates follow from the ranks`,
        zh: `${panel.length} 人的评审组和 ${alternates.length} 名候补由排序得出`,
      };
    })
  )
    return;

  // replacements
  if (
    !result("replacements", () => {
      // A supplementary draw's panel is the members it carried, then its own.
      const seated = [...carried, ...sel.panel];
      const ever = [...seated];
      let n = 0;
      let unfilled = 0;
      for (const it of mine.filter((i) => i.p.kind === "decline")) {
        const d = it.p.body.b as import("./entry.js").Decline;
        const seq = it.p.seq;
        if (seq < revealItem.p.seq) fail(`decline at seq ${seq} comes before the reveal`, `序号 ${seq} 的拒绝出现在揭示之前`);
        const next = supplementedAt(items, b.draw, seq);
        if (next !== null) {
          fail(
            `decline at seq ${seq}: draw ${next} supplements this draw since its commit, so its panel's declines are that draw's`,
            `序号 ${seq} 的拒绝：抽取 ${next} 自其承诺起补抽本抽取，评审组的拒绝应属于该抽取`,
          );
        }
        const who = indexOf.get(d.token);
        if (who === undefined || !seated.includes(who)) fail(`decline at seq ${seq}: ${d.token} is not on the panel`, `序号 ${seq} 的拒绝：${d.token} 不在评审组中`);
        const rule = replacement(commit.spec, leaves, seated, who!, sel.alternates, ever);
        const want = rule === null ? null : leaves[rule].token;
        if (want !== d.replacement) {
          fail(
            `decline at seq ${seq}: the entry gives the seat to ${d.replacement ?? "nobody"}, the replacement rule gives it to ${want ?? "nobody (alternates exhausted)"}`,
            `序号 ${seq} 的拒绝：条目把席位给了 ${d.replacement ?? "无人"}，递补规则给的是 ${want ?? "无人（候补已用完）"}`,
          );
        }
        if (rule !== null) {
          seated[seated.indexOf(who!)] = rule;
          ever.push(rule);
        } else {
          unfilled++;
          seated.splice(seated.indexOf(who!), 1);
          summary.push({ en: `alternates exhausted at seq ${seq}: a supplementary draw is needed`, zh: `序号 ${seq} 处候补已用完：需要补抽` });
        }
        n++;
      }
      const names = seated.map((i) => short(leaves[i].token)).join(" ");
      summary.push({ en: `panel now: ${names}`, zh: `当前评审组：${names}` });
      if (n === 0) return { en: "no declines", zh: "没有拒绝" };
      if (unfilled === 0) return { en: `${n} declines, each replaced by the rule`, zh: `${n} 次拒绝，均按规则递补` };
      return {
        en: `${n} declines: ${n - unfilled} replaced by the rule, ${unfilled} left unfilled because the rule finds no alternate (a supplementary draw is needed)`,
        zh: `${n} 次拒绝：${n - unfilled} 次按规则递补，${unfilled} 次因规则找不到候补而空缺（需要补抽）`,
      };
    })
  )
    return;

  disclosureCheck(checks, mine, leaves, indexOf, commit, revealItem.p.seq, summary);
  if (!stateErr) pass("state", "consistent", "一致");
  const panelAtReveal = [...(sup ? sup.seated : []), ...reveal.panel];
  const sc = checkScoring(b, items, panelAtReveal, commit.spec.panel, { personalKeys: commit.personal_keys, registered, isLogKey });
  if (sc === null) {
    skip("scoring", "no score sheets in this bundle (not a scored round, or not yet disclosed)", "证据包中没有评分表（不是评分轮次，或尚未公开）");
  } else {
    try {
      const m = sc();
      summary.push(m);
      pass("scoring", m.en, m.zh);
    } catch (e) {
      if (!(e instanceof Fail)) throw e;
      failed("scoring", e.en, e.zh);
    }
  }
}

/**
 * The draw whose commit supplements `draw` before `seq` (protocol 1.2), if it
 * was not voided before `seq` either: from that commit on, the panel's
 * changes are its.
 */
function supplementedAt(items: Item[], draw: string, seq: bigint): string | null {
  for (const i of items) {
    if (i.p.seq >= seq) break;
    if (i.p.body.kind !== "commit") continue;
    const c = i.p.body.b;
    if (!c.supplements || c.supplements.draw !== draw) continue;
    const next = c.draw;
    const voided = items.some((v) => v.p.seq < seq && v.p.body.kind === "void" && v.p.body.b.draw === next);
    if (!voided) return next;
  }
  return null;
}

const sameList = (a: string[], b: string[]): boolean => a.length === b.length && a.every((x, k) => x === b[k]);

/**
 * A supplementary commit's link to the earlier draw (protocol 1.2, "The
 * supplementary draw", rules 1 to 3): the bundle's first entry is that draw's
 * commit; the pool, tags and rules are its; it was revealed and is
 * supplemented by no other live draw; `seated` is its panel at this commit
 * and `drawn` everything the chain has named.
 */
function checkLink(items: Item[], commitItem: Item, commit: Commit, s: Supplements): void {
  const at = commitItem.p.seq;
  const first = items[0].p;
  if (first.body.kind !== "commit") {
    return fail("the entry the supplementary commit names is not a commit", "补抽的承诺所指的条目不是承诺");
  }
  const prev = first.body.b;
  if (prev.draw !== s.draw || prev.draw === commit.draw) {
    fail(
      `the supplementary commit names draw ${s.draw}, but the commit it names is draw ${prev.draw}'s`,
      `补抽的承诺写明所补的是抽取 ${s.draw}，但它所指的承诺属于抽取 ${prev.draw}`,
    );
  }
  if (first.province !== commitItem.p.province) fail("the supplemented draw is another province's", "所补的抽取属于另一个省份");
  const sameExcluded =
    prev.excluded.length === commit.excluded.length &&
    prev.excluded.every((x, k) => x.token === commit.excluded[k].token && x.reason === commit.excluded[k].reason);
  if (prev.pool_root !== commit.pool_root || prev.pool_size !== commit.pool_size || prev.tag_key !== commit.tag_key || !sameExcluded) {
    fail(
      `a supplementary draw keeps the pool of draw ${s.draw} (pool_root, pool_size, tag_key and excluded unchanged)`,
      `补抽须沿用抽取 ${s.draw} 的专家池（pool_root、pool_size、tag_key 和 excluded 不变）`,
    );
  }
  const sameQuotas =
    prev.spec.quotas.length === commit.spec.quotas.length &&
    prev.spec.quotas.every((q, k) => q.spec === commit.spec.quotas[k].spec && q.min === commit.spec.quotas[k].min);
  if (prev.spec.panel !== commit.spec.panel || !sameQuotas || prev.spec.org_cap !== commit.spec.org_cap) {
    fail(
      `a supplementary draw keeps the rules of draw ${s.draw} (panel, quotas and organisation cap unchanged)`,
      `补抽须沿用抽取 ${s.draw} 的规则（评审组人数、专业下限和每单位上限不变）`,
    );
  }
  const poolDraw = prev.supplements ? prev.supplements.pool_draw : prev.draw;
  if (s.pool_draw !== poolDraw) {
    fail(
      `supplements.pool_draw is ${s.pool_draw}, but the chain's first draw is ${poolDraw}`,
      `supplements.pool_draw 是 ${s.pool_draw}，但这一串抽取的第一次是 ${poolDraw}`,
    );
  }
  const other = supplementedAt(items, s.draw, at);
  if (other !== null) {
    fail(`draw ${s.draw} is already supplemented by draw ${other}, which is not voided`, `抽取 ${s.draw} 已由抽取 ${other} 补抽，且该补抽未作废`);
  }
  const before = items.filter((i) => i.p.seq < at && i.p.draw === s.draw);
  const revealIt = before.find((i) => i.p.kind === "reveal");
  if (!revealIt) {
    return fail(`draw ${s.draw} is not revealed before the supplementary commit`, `抽取 ${s.draw} 在补抽的承诺之前尚未揭示`);
  }
  const reveal = revealIt.p.body.b as import("./entry.js").Reveal;
  const seated = [...(prev.supplements ? prev.supplements.seated : []), ...reveal.panel];
  for (const i of before) {
    if (i.p.body.kind !== "decline") continue;
    const d = i.p.body.b;
    const k = seated.indexOf(d.token);
    if (k < 0) {
      fail(
        `decline at seq ${i.p.seq} of draw ${s.draw}: ${d.token} is not on its panel`,
        `抽取 ${s.draw} 序号 ${i.p.seq} 的拒绝：${d.token} 不在其评审组中`,
      );
    }
    if (d.replacement !== null) seated[k] = d.replacement;
    else seated.splice(k, 1);
  }
  if (!sameList(s.seated, seated)) {
    fail(
      `supplements.seated lists ${s.seated.length} members, which are not draw ${s.draw}'s ${seated.length} seated members at this commit, in seat order`,
      `supplements.seated 列出的 ${s.seated.length} 名成员不是抽取 ${s.draw} 在此承诺时按席位顺序的 ${seated.length} 名在席成员`,
    );
  }
  const drawn = [...new Set([...(prev.supplements ? prev.supplements.drawn : []), ...reveal.panel, ...reveal.alternates])].sort();
  if (!sameList(s.drawn, drawn)) {
    fail(
      `supplements.drawn is not every member the chain up to draw ${s.draw} has named (${drawn.length} members), sorted`,
      `supplements.drawn 不是到抽取 ${s.draw} 为止这一串抽取点到的全部 ${drawn.length} 名成员（按顺序）`,
    );
  }
}

function kindDebug(k: string): string {
  return k
    .split("_")
    .map((w) => w[0].toUpperCase() + w.slice(1))
    .join("");
}

function poolBytes(b: Bundle, i: number): Uint8Array {
  const n = b.pool[i];
  return b.bytes.subarray(n.s, n.e);
}

function checkPool(b: Bundle, commit: Commit, leaves: Leaf[], progress: (p: Progress) => void, hash: Latin1Hash): Msg {
  if (BigInt(leaves.length) !== commit.pool_size) {
    fail(`the bundle has ${leaves.length} pool leaves, the commit ${commit.pool_size}`, `证据包有 ${leaves.length} 个专家池叶子，承诺中是 ${commit.pool_size} 个`);
  }
  for (let i = 1; i < leaves.length; i++) {
    if (!(leaves[i - 1].token < leaves[i].token)) {
      fail(
        `pool leaf ${i} is not after leaf ${i - 1} in token order (leaves must be sorted, without repeats)`,
        `专家池第 ${i} 个叶子没有按令牌顺序排在第 ${i - 1} 个之后（叶子须排序且不重复）`,
      );
    }
  }
  if (!tagKeyOk(hexExact(commit.tag_key, 32)!)) fail(`the commit's tag key ${commit.tag_key} is not a ristretto255 element`, `承诺中的标签公钥 ${commit.tag_key} 不是 ristretto255 元素`);
  // One identity tag, one leaf. A small integer from each tag's first hex
  // digits finds the candidates; only they are compared in full.
  const firstAt = new Map<number, number>();
  const clash = new Set<number>();
  for (let i = 0; i < leaves.length; i++) {
    const k = leaves[i].idKey ?? idKey(leaves[i].id);
    if (firstAt.has(k)) clash.add(k);
    else firstAt.set(k, i);
  }
  let dupe: [number, number, string] | null = null;
  if (clash.size) {
    const ids = new Map<string, number>();
    for (let i = 0; i < leaves.length; i++) {
      if (!clash.has(leaves[i].idKey ?? idKey(leaves[i].id))) continue;
      const j = ids.get(leaves[i].id);
      if (j !== undefined) {
        if (!dupe || leaves[i].id < dupe[2]) dupe = [j, i, leaves[i].id];
      } else ids.set(leaves[i].id, i);
    }
  }
  if (dupe) {
    fail(
      `pool leaves ${dupe[0]} and ${dupe[1]} have one identity tag ${dupe[2]}: one expert holds two leaves`,
      `专家池第 ${dupe[0]} 和第 ${dupe[1]} 个叶子的身份标签相同（${dupe[2]}）：一名专家占了两个叶子`,
    );
  }
  const rb = new RootBuilder(hash);
  const total = b.pool.length;
  // A leaf hash is SHA-256(0x00 || leaf). Every leaf stands in the pool's
  // array after at least one byte of its own ('[', ',' or white space): that
  // byte is set to 0x00 while the leaf is hashed and put back at once, so the
  // leaf is hashed where it lies, without a copy.
  const all = b.bytes;
  for (let i = 0; i < total; i++) {
    const n = b.pool[i];
    const before = all[n.s - 1];
    all[n.s - 1] = 0;
    try {
      rb.push(hash(all.subarray(n.s - 1, n.e)));
    } finally {
      all[n.s - 1] = before;
    }
    if (i % 5000 === 0) progress({ phase: "pool", done: total + i, total: 2 * total });
  }
  progress({ phase: "pool", done: 2 * total, total: 2 * total });
  const root = rb.rootHex();
  if (root !== commit.pool_root) {
    fail(
      `the pool leaves give root ${root}, the commit fixed ${commit.pool_root} (a leaf was changed, added or removed)`,
      `专家池叶子得出的根哈希是 ${root}，而承诺固定的是 ${commit.pool_root}（有叶子被改动、增加或删除）`,
    );
  }
  for (let i = 1; i < commit.excluded.length; i++) {
    if (!(commit.excluded[i - 1].token < commit.excluded[i].token)) fail("exclusions are not sorted by token without repeats", "回避名单没有按令牌排序或有重复");
  }
  const tokens = new TokenIndex(leaves);
  for (const x of commit.excluded) if (tokens.has(x.token)) fail(`${x.token} is both in the pool and excluded`, `${x.token} 既在专家池中又被回避`);
  try {
    checkFeasible(commit.spec, leaves);
  } catch (e) {
    if (!(e instanceof Infeasible)) throw e;
    fail(`the committed rules cannot be met by the pool: ${e.message}`, `专家池无法满足承诺的规则：${e.message}`);
  }
  return {
    en: `${leaves.length} leaves give the committed root, with distinct identity tags; ${commit.excluded.length} exclusions; the rules are feasible`,
    zh: `${leaves.length} 个叶子得出承诺的根哈希，身份标签互不相同；回避 ${commit.excluded.length} 人；规则可以满足`,
  };
}

function checkBeacon(commit: Commit, commitTime: bigint, recorded: Item[], revealed: boolean): { randomness: Uint8Array | null; msg: Msg } {
  const t = commit.beacon;
  if (!t) {
    if (recorded.length) fail("a beacon-less draw has a beacon entry", "无信标的抽取却有信标条目");
    return {
      randomness: null,
      msg: {
        en: "beacon-less mode: no public randomness; the bundle's assurance is lower (see summary)",
        zh: "无信标模式：没有公共随机数；证据包的保证程度较低（见摘要）",
      },
    };
  }
  if (t.chain !== QUICKNET_CHAIN) fail(`chain ${t.chain} is not drand quicknet`, `链 ${t.chain} 不是 drand quicknet`);
  if (t.margin < MIN_MARGIN) fail(`margin ${t.margin} s is below the minimum ${MIN_MARGIN} s`, `间隔 ${t.margin} 秒小于最小值 ${MIN_MARGIN} 秒`);
  const rt = roundTime(t.round);
  if (rt < commitTime) {
    fail(`target round ${t.round} (published at ${rt}) is earlier than the commit (time ${commitTime})`, `目标轮次 ${t.round}（发布于 ${rt}）早于承诺（时间 ${commitTime}）`);
  }
  const want = targetRound(commitTime, t.margin);
  if (t.round !== want) {
    fail(
      `target round is ${t.round}, but the first round at or after commit time + margin is ${want}`,
      `目标轮次是 ${t.round}，但承诺时间加间隔之后的第一个轮次是 ${want}`,
    );
  }
  if (commit.entropy_deadline >= rt) fail("the entropy deadline is not before the target round", "贡献截止时间不早于目标轮次");
  if (recorded.length === 0) {
    if (revealed) fail("the draw was revealed without its beacon round", "抽取在没有信标轮次的情况下揭示");
    return { randomness: null, msg: { en: `target round ${t.round} not yet recorded`, zh: `目标轮次 ${t.round} 尚未记录` } };
  }
  if (recorded.length > 1) fail("more than one beacon entry", "信标条目不止一个");
  const it = recorded[0];
  const bc = it.p.body.b as import("./entry.js").Beacon;
  if (bc.chain !== t.chain || bc.round !== t.round) fail(`recorded round ${bc.round} is not the target round ${t.round}`, `记录的轮次 ${bc.round} 不是目标轮次 ${t.round}`);
  if (it.p.time < roundTime(bc.round)) fail("the round was recorded before drand published it", "该轮次在 drand 发布之前就被记录");
  const sig = hexExact(bc.signature, 48);
  if (!sig) fail("round signature: not 96 lowercase hex digits", "轮次签名不是 96 位小写十六进制数");
  const why = drandVerify(bc.round, sig!);
  if (why) fail(why, `drand 轮次签名校验不通过：${why}`);
  const r = sha256(sig!);
  if (toHex(r) !== bc.randomness) fail("recorded randomness is not SHA-256 of the signature", "记录的随机数不是签名的 SHA-256");
  return { randomness: r, msg: { en: `quicknet round ${bc.round} verifies; randomness ${toHex(r)}`, zh: `quicknet 第 ${bc.round} 轮校验通过；随机数 ${toHex(r)}` } };
}

function drawState(mine: Item[], commitHash: string, summary: Msg[]): void {
  const v = mine.find((i) => i.p.kind === "void");
  const revealed = mine.some((i) => i.p.kind === "reveal");
  if (v) {
    const vd = v.p.body.b as import("./entry.js").Void;
    if (vd.commit !== commitHash) fail("the void names another commit", "作废条目指向另一个承诺");
    if (blank(vd.reason)) fail("a void must give a reason", "作废必须说明理由");
    const after = mine.find((i) => i.p.seq > v.p.seq && i.p.kind !== "disclosure");
    if (after) fail(`entry seq ${after.p.seq} comes after the draw was voided`, `序号 ${after.p.seq} 的条目出现在抽取作废之后`);
    summary.push({ en: `state: VOIDED at seq ${v.p.seq}: ${vd.reason}`, zh: `状态：已于序号 ${v.p.seq} 作废：${vd.reason}` });
  } else if (revealed) {
    const disclosed = mine.some((i) => i.p.kind === "disclosure");
    summary.push(
      disclosed ? { en: "state: revealed, then disclosed", zh: "状态：已揭示，并已公开" } : { en: "state: revealed, not disclosed", zh: "状态：已揭示，尚未公开" },
    );
  } else {
    summary.push({ en: "state: committed, not revealed (in progress, or abandoned)", zh: "状态：已承诺，未揭示（进行中，或已放弃）" });
  }
}

function orgKey(code: string, name: string): string {
  const ws = /\p{White_Space}/gu;
  const c = code.replace(ws, "").replace(/[a-z]/g, (x) => x.toUpperCase());
  if (c.length) return `uscc:${c}`;
  const n = name
    .replace(ws, "")
    .replace(/[\uFF01-\uFF5E]/g, (x) => String.fromCharCode(x.charCodeAt(0) - 0xfee0))
    .replace(/[A-Z]/g, (x) => x.toLowerCase());
  return `name:${n}`;
}

function disclosureCheck(
  checks: Check[],
  mine: Item[],
  leaves: Leaf[],
  indexOf: TokenIndex,
  commit: Commit,
  revealSeq: bigint | null,
  summary: Msg[],
): void {
  const discl = mine.filter((i) => i.p.kind === "disclosure");
  if (discl.length === 0) {
    checks.push({ check: "disclosure", outcome: "skipped", en: "nothing disclosed yet: the public record shows tokens only", zh: "尚未公开：公开记录只显示令牌" });
    return;
  }
  try {
    let n = 0;
    const tagKey = hexExact(commit.tag_key, 32)!;
    // A supplementary draw keeps the chain's first pool, whose tags were made for that draw's id.
    const tagDraw = commit.supplements ? commit.supplements.pool_draw : commit.draw;
    for (const it of discl) {
      const d = it.p.body.b as import("./entry.js").Disclosure;
      const seq = it.p.seq;
      if (revealSeq === null || seq < revealSeq) fail(`disclosure at seq ${seq} comes before the reveal`, `序号 ${seq} 的公开出现在揭示之前`);
      for (let k = 1; k < d.members.length; k++) {
        if (!(d.members[k - 1].token < d.members[k].token)) {
          fail(`disclosure at seq ${seq}: openings are not sorted by token without repeats`, `序号 ${seq} 的公开：身份揭示没有按令牌排序或有重复`);
        }
      }
      for (const o of d.members) {
        const tok = tagged(TAG.member, hexExact(o.salt, 32)!, lp(utf8(o.expert)), lp(utf8(o.name)), lp(utf8(o.org)), lp(utf8(o.code)));
        if (toHex(tok) !== o.token) fail(`disclosure at seq ${seq}: the opening of ${o.token} does not match its token`, `序号 ${seq} 的公开：${o.token} 的身份揭示与令牌不符`);
        const i = indexOf.get(o.token);
        if (i !== undefined) {
          if (o.id_proof === null || o.org_proof === null) {
            fail(
              `disclosure at seq ${seq}: ${o.token} is in the pool but its opening lacks the proofs of its tags`,
              `序号 ${seq} 的公开：${o.token} 在专家池中，但其身份揭示缺少标签证明`,
            );
          }
          const idOut = vrfVerify(tagKey, tagInput(TAG.idTag, tagDraw, o.expert), hexExact(o.id_proof!, 80)!);
          if (!idOut || toHex(idOut.subarray(0, 16)) !== leaves[i].id) {
            fail(
              `disclosure at seq ${seq}: ${o.token}'s identity tag is not proven for expert ${o.expert} (the proof fails, or proves another tag)`,
              `序号 ${seq} 的公开：${o.token} 的身份标签无法证明属于专家 ${o.expert}（证明不通过，或证明的是另一个标签）`,
            );
          }
          const key = orgKey(o.code, o.org);
          const orgOut = vrfVerify(tagKey, tagInput(TAG.orgTag, tagDraw, key), hexExact(o.org_proof!, 80)!);
          if (!orgOut || toHex(orgOut.subarray(0, 16)) !== leaves[i].org) {
            fail(
              `disclosure at seq ${seq}: ${o.token}'s organisation tag is not proven for ${key} (the proof fails, or proves another tag: members of one organisation must share one tag)`,
              `序号 ${seq} 的公开：${o.token} 的单位标签无法证明属于 ${key}（证明不通过，或证明的是另一个标签：同一单位的成员必须共用一个标签）`,
            );
          }
        } else if (commit.excluded.some((x) => x.token === o.token)) {
          if (o.id_proof !== null || o.org_proof !== null) {
            fail(
              `disclosure at seq ${seq}: ${o.token} is excluded, so has no tags, but its opening carries proofs`,
              `序号 ${seq} 的公开：${o.token} 已被回避、没有标签，但其身份揭示带有证明`,
            );
          }
        } else {
          fail(`disclosure at seq ${seq}: ${o.token} is not in the draw`, `序号 ${seq} 的公开：${o.token} 不属于本抽取`);
        }
        summary.push({ en: `  ${short(o.token)} = ${o.name} (${o.expert}, ${o.org})`, zh: `  ${short(o.token)} = ${o.name}（${o.expert}，${o.org}）` });
        n++;
      }
    }
    checks.push({
      check: "disclosure",
      outcome: "passed",
      en: `${n} openings match their tokens; each pool member's identity and organisation tags are proven under the commit's tag key`,
      zh: `${n} 个身份揭示与令牌相符；每名专家池成员的身份标签和单位标签都在承诺的标签公钥下得到证明`,
    });
  } catch (e) {
    if (!(e instanceof Fail)) throw e;
    checks.push({ check: "disclosure", outcome: "failed", en: e.en, zh: e.zh });
  }
}

// ---------------------------------------------------------------- scoring

type State = { t: "live"; h: string } | { t: "reopened" } | { t: "recused" };
interface Lock {
  seq: bigint;
  sheets: Map<string, [string, string]>;
  explain: Set<string>;
  explained: Map<string, string>;
}

function liveAt(applications: Set<string>, seated: string[], state: Map<string, State>): { sheets: Map<string, [string, string]>; incomplete: Msg | null } {
  const sheets = new Map<string, [string, string]>();
  let incomplete: Msg | null = null;
  for (const a of [...applications].sort(cmpStr)) {
    for (const s of seated) {
      const st = state.get(pairKey(a, s));
      if (st?.t === "live") sheets.set(st.h, [a, s]);
      else if (st?.t === "reopened") {
        incomplete ??= {
          en: `application ${a}: the sheet of seated member ${short(s)} was reopened and not submitted again`,
          zh: `申报项目 ${a}：在席成员 ${short(s)} 的评分表被退回后没有重新提交`,
        };
      } else if (!st) {
        incomplete ??= {
          en: `application ${a}: seated member ${short(s)} has neither a sheet nor a recusal`,
          zh: `申报项目 ${a}：在席成员 ${short(s)} 既没有评分表也没有回避`,
        };
      }
    }
  }
  return { sheets, incomplete };
}

const pairKey = (a: string, s: string) => `${s}\u0000${a}`;

/** Orders strings as Rust orders `String`s: by their UTF-8 bytes. */
function cmpStr(a: string, b: string): number {
  const x = utf8(a);
  const y = utf8(b);
  const n = Math.min(x.length, y.length);
  for (let i = 0; i < n; i++) if (x[i] !== y[i]) return x[i] - y[i];
  return x.length - y.length;
}

/** `panel`: the panel seated at the reveal; `seats`: the size the rules give it. */
function roundState(items: Item[], draw: string, round: string, openSeq: bigint, sealSeq: bigint, open: ScoringOpen, panel: string[], seats: number) {
  for (let k = 1; k < open.applications.length; k++) {
    if (cmpStr(open.applications[k - 1], open.applications[k]) >= 0) {
      fail("scoring_open's applications are not sorted by bytes, each once", "scoring_open 的申报项目没有按字节排序或有重复");
    }
  }
  for (let k = 1; k < open.materials.length; k++) {
    const a = open.materials[k - 1];
    const c = open.materials[k];
    const o = cmpStr(a.application, c.application) || (a.sha256 < c.sha256 ? -1 : a.sha256 > c.sha256 ? 1 : 0);
    if (o >= 0) fail("scoring_open's materials are not sorted by (application, sha256), each once", "scoring_open 的材料没有按（申报项目，sha256）排序或有重复");
  }
  for (const m of open.materials) {
    if (!MATERIAL_TYPES.includes(m.media_type)) {
      fail(
        `scoring_open fixes material ${m.sha256} with media type ${JSON.stringify(m.media_type)}, which is not one of ${MATERIAL_TYPES.join(", ")}`,
        `scoring_open 固定的材料 ${m.sha256} 的类型 ${m.media_type} 不在允许之列`,
      );
    }
  }
  const applications = new Set(open.applications);
  const seated = [...panel];
  // The chain's newest revealed draw (1.2): its declines move the seats, and a
  // supplementary draw's reveal fills the empty ones.
  let head = draw;
  const supplements = new Map<string, Supplements>();
  for (const i of items) {
    if (i.p.body.kind === "commit" && i.p.body.b.supplements) supplements.set(i.p.body.b.draw, i.p.body.b.supplements);
  }
  const pledged = new Set<string>();
  const state = new Map<string, State>();
  const reopened = new Map<string, bigint>();
  let lock: Lock | null = null;
  const lockedRound = open.abnormal_points !== null;
  const whileLocked = (at: string, zat: string) => {
    if (lock) fail(`${at} comes while the round's sheets are locked (scoring_lock at seq ${lock.seq})`, `${zat}出现在本轮评分表锁定期间（序号 ${lock.seq} 的 scoring_lock）`);
  };
  for (const it of items) {
    const seq = it.p.seq;
    const body = it.p.body;
    let what: string;
    let app: string;
    let scorer: string;
    switch (body.kind) {
      case "reveal": {
        const r = body.b;
        const s = supplements.get(r.draw);
        if (!(seq < sealSeq && s && s.draw === head)) continue;
        whileLocked(`the supplementary reveal at seq ${seq}`, `序号 ${seq} 的补抽揭示`);
        if (s.seated.length !== seated.length || s.seated.some((t, k) => t !== seated[k])) {
          fail(
            `the supplementary draw ${r.draw} revealed at seq ${seq} did not carry the panel seated then`,
            `序号 ${seq} 揭示的补抽 ${r.draw} 没有带上当时的在席评审组`,
          );
        }
        seated.push(...r.panel);
        head = r.draw;
        continue;
      }
      case "decline": {
        const d = body.b;
        if (d.draw !== head) continue;
        const k = seated.indexOf(d.token);
        if (seq < sealSeq && k >= 0) {
          whileLocked(`decline at seq ${seq}`, `序号 ${seq} 的拒绝`);
          if (d.replacement !== null) seated[k] = d.replacement;
          else seated.splice(k, 1);
        } else if (lockedRound && seq > sealSeq && seated.includes(d.token)) {
          fail(`decline at seq ${seq} of a seated member comes after the round's seal`, `序号 ${seq} 的在席成员拒绝出现在本轮封存之后`);
        }
        continue;
      }
      case "screen_override": {
        if (body.b.round !== round) continue;
        if (seq > sealSeq) fail(`screen_override at seq ${seq} comes after the round's seal`, `序号 ${seq} 的 screen_override 出现在本轮封存之后`);
        if (seq > openSeq) {
          whileLocked(`screen_override at seq ${seq}`, `序号 ${seq} 的 screen_override`);
          applications.add(body.b.application);
        }
        continue;
      }
      case "pledge": {
        const x = body.b;
        if (x.round !== round) continue;
        const who = short(x.scorer);
        if (seq < openSeq) fail(`pledge at seq ${seq} comes before the round's scoring_open`, `序号 ${seq} 的承诺书确认出现在本轮 scoring_open 之前`);
        if (seq > sealSeq) fail(`pledge at seq ${seq} comes after the round's seal`, `序号 ${seq} 的承诺书确认出现在本轮封存之后`);
        if (open.pledge === null) fail(`pledge at seq ${seq}: the round's scoring_open fixed no pledge text`, `序号 ${seq} 的承诺书确认：本轮 scoring_open 没有固定承诺书`);
        if (open.pledge !== x.text) {
          fail(`pledge at seq ${seq}: ${who} confirmed text ${x.text}, not the pledge ${open.pledge} scoring_open fixed`, `序号 ${seq} 的承诺书确认：${who} 确认的文本不是 scoring_open 固定的承诺书`);
        }
        if (!seated.includes(x.scorer)) fail(`pledge at seq ${seq}: scorer ${who} is not on the seated panel`, `序号 ${seq} 的承诺书确认：评分人 ${who} 不在在席评审组中`);
        if (pledged.has(x.scorer)) fail(`pledge at seq ${seq}: ${who} has already pledged`, `序号 ${seq} 的承诺书确认：${who} 已经确认过`);
        pledged.add(x.scorer);
        continue;
      }
      case "sheet_commit": {
        const x = body.b;
        if (x.round !== round) continue;
        if (open.pledge !== null && !pledged.has(x.scorer)) {
          fail(
            `sheet_commit at seq ${seq}: scorer ${short(x.scorer)} has not confirmed the round's pledge (scoring_open fixed one)`,
            `序号 ${seq} 的 sheet_commit：评分人 ${short(x.scorer)} 尚未确认本轮承诺书`,
          );
        }
        [what, app, scorer] = ["sheet_commit", x.application, x.scorer];
        break;
      }
      case "scoring_lock": {
        const x = body.b;
        if (x.round !== round) continue;
        const at = `scoring_lock at seq ${seq}`;
        const zat = `序号 ${seq} 的 scoring_lock`;
        if (seq < openSeq || seq > sealSeq) fail(`${at} lies outside the round's scoring_open and seal`, `${zat}不在本轮 scoring_open 与封存之间`);
        whileLocked(at, zat);
        const sorted = (v: string[]) => v.every((h, k) => k === 0 || v[k - 1] < h);
        if (!sorted(x.sheets) || !sorted(x.explain)) fail(`${at}: its sheets or explain are not sorted, each once`, `${zat}：其 sheets 或 explain 没有排序或有重复`);
        if (seated.length < seats) {
          fail(
            `${at} locks a round whose panel has ${seated.length} of its ${seats} seats filled: the empty seats need a supplementary draw first`,
            `${zat}锁定的轮次评审组只有 ${seated.length} 席在席（共 ${seats} 席）：空缺席位须先补抽`,
          );
        }
        const now = liveAt(applications, seated, state);
        if (now.incomplete) fail(`${at} locks an incomplete round: ${now.incomplete.en}`, `${zat}锁定了未完成的轮次：${now.incomplete.zh}`);
        const want = [...now.sheets.keys()].sort();
        if (want.length !== x.sheets.length || want.some((h, k) => h !== x.sheets[k])) {
          fail(`${at}: its sheets are not the live sheets of the seated members`, `${zat}：其 sheets 不是在席成员的有效评分表`);
        }
        const out = x.explain.find((h) => !now.sheets.has(h));
        if (out) fail(`${at} asks to explain ${out}, which it does not lock`, `${zat}要求说明 ${out}，但它并未锁定该评分表`);
        lock = { seq, sheets: now.sheets, explain: new Set(x.explain), explained: new Map() };
        continue;
      }
      case "explanation": {
        const x = body.b;
        if (x.round !== round) continue;
        const at = `explanation at seq ${seq}`;
        const zat = `序号 ${seq} 的说明`;
        if (seq > sealSeq) fail(`${at} comes after the round's seal`, `${zat}出现在本轮封存之后`);
        const l = lock as Lock | null;
        if (!l) return fail(`${at} comes while the round's sheets are not locked`, `${zat}出现在本轮评分表未锁定时`);
        if (!l.explain.has(x.sheet)) {
          fail(`${at} explains sheet ${x.sheet}, which the scoring_lock at seq ${l.seq} did not ask about`, `${zat}说明的评分表 ${x.sheet} 不是序号 ${l.seq} 的 scoring_lock 要求说明的`);
        }
        const s = l.sheets.get(x.sheet);
        if (!s || s[0] !== x.application || s[1] !== x.scorer) fail(`${at} names another application or scorer than sheet ${x.sheet}`, `${zat}写明的申报项目或评分人与评分表 ${x.sheet} 不符`);
        if (l.explained.has(x.sheet)) fail(`${at}: sheet ${x.sheet} is explained twice`, `${zat}：评分表 ${x.sheet} 被说明了两次`);
        l.explained.set(x.sheet, x.explanation);
        continue;
      }
      case "scoring_unlock": {
        if (body.b.round !== round) continue;
        const at = `scoring_unlock at seq ${seq}`;
        if (seq > sealSeq) fail(`${at} comes after the round's seal`, `序号 ${seq} 的 scoring_unlock 出现在本轮封存之后`);
        if (!lock) fail(`${at} comes while the round's sheets are not locked`, `序号 ${seq} 的 scoring_unlock 出现在本轮评分表未锁定时`);
        lock = null;
        continue;
      }
      case "recusal":
        if (body.b.round !== round) continue;
        [what, app, scorer] = ["recusal", body.b.application, body.b.scorer];
        break;
      case "sheet_reopen":
        if (body.b.round !== round) continue;
        [what, app, scorer] = ["sheet_reopen", body.b.application, body.b.scorer];
        break;
      default:
        continue;
    }
    const at = `${what} at seq ${seq}`;
    const zat = `序号 ${seq} 的 ${what}`;
    if (seq < openSeq) fail(`${at} comes before the round's scoring_open`, `${zat}出现在本轮 scoring_open 之前`);
    if (seq > sealSeq) fail(`${at} comes after the round's seal`, `${zat}出现在本轮封存之后`);
    whileLocked(at, zat);
    if (!applications.has(app)) fail(`${at} names application ${app}, which scoring_open did not fix`, `${zat}写明的申报项目 ${app} 不在 scoring_open 固定的名单中`);
    const who = short(scorer);
    if (!seated.includes(scorer)) fail(`${at}: scorer ${who} is not on the seated panel`, `${zat}：评分人 ${who} 不在在席评审组中`);
    const key = pairKey(app, scorer);
    const st = state.get(key);
    let next: State;
    if (body.kind === "sheet_commit" && (!st || st.t === "reopened")) next = { t: "live", h: body.b.sheet };
    else if (body.kind === "sheet_commit" && st?.t === "live") {
      return fail(`${at}: a second sheet of ${who} for ${app} while the first is not reopened`, `${zat}：${who} 对 ${app} 的第一张评分表未退回就提交了第二张`);
    } else if (st?.t === "recused") return fail(`${at}: ${who} recused from ${app}`, `${zat}：${who} 已对 ${app} 回避`);
    else if (body.kind === "recusal" && (!st || st.t === "reopened")) next = { t: "recused" };
    else if (body.kind === "recusal" && st?.t === "live") {
      return fail(`${at}: ${who} has a submitted sheet for ${app}, not reopened`, `${zat}：${who} 对 ${app} 已提交评分表且未退回`);
    } else if (body.kind === "sheet_reopen" && st?.t === "live" && st.h === body.b.sheet) {
      reopened.set(body.b.sheet, seq);
      next = { t: "reopened" };
    } else {
      return fail(`${at} names a sheet that is not the live sheet of ${who} for ${app}`, `${zat}写明的评分表不是 ${who} 对 ${app} 的有效评分表`);
    }
    state.set(key, next);
  }
  const live = liveAt(applications, seated, state);
  return { applications, sheets: live.sheets, incomplete: live.incomplete, reopened, lock: lock as Lock | null };
}

/** A personal key registered in the draw (protocol 1.4). */
interface Registered {
  seq: bigint;
  /** Protocol 1.6: the seq of the key_registration that replaced this key, or null while it is current. */
  until: bigint | null;
  key: Uint8Array;
  role: string;
  person: string;
}

/** What the scorers' signatures are checked against (protocol 1.5). */
interface Signers {
  personalKeys: boolean;
  registered: Registered[];
  isLogKey: (k: Uint8Array) => boolean;
}

/**
 * Protocol 1.6: the message a supervisor's key signs to approve a replacing key_registration:
 * "fairpanel/v1/key-replace", 0x00, the JCS bytes of the body without `approval`.
 */
function replacementMessage(r: import("./entry.js").KeyRegistration): Uint8Array {
  // Keys in sorted order, strings only: JSON.stringify is JCS here.
  const body = { draw: r.draw, key: r.key.b64, person: r.person, replaces: r.replaces, role: r.role };
  return concat(utf8("fairpanel/v1/key-replace"), new Uint8Array([0]), utf8(JSON.stringify(body)));
}

/** Protocol 1.5: the message a scorer's personal key signs: the kind's tag, 0x00, the JCS bytes of the body without `signature`. */
function scorerMessage(kind: string, b: SheetCommit | Recusal | Pledge): Uint8Array {
  let body: unknown;
  if (kind === "sheet_commit") {
    const x = b as SheetCommit;
    body = { application: x.application, round: x.round, scorer: x.scorer, sheet: x.sheet };
  } else if (kind === "recusal") {
    const x = b as Recusal;
    body = { application: x.application, round: x.round, scorer: x.scorer };
  } else {
    const x = b as Pledge;
    body = { round: x.round, scorer: x.scorer, text: x.text };
  }
  // Keys in sorted order, strings only: JSON.stringify is JCS here (RFC 8785 serialises strings as ECMAScript does).
  return concat(utf8(`fairpanel/v1/${kind === "sheet_commit" ? "sheet" : kind}-sig`), new Uint8Array([0]), utf8(JSON.stringify(body)));
}

/**
 * Protocol 1.5: every sheet_commit, recusal and pledge of a round whose scoring_open names the draw, in log order
 * (see the Rust verifier's check_scorer_signatures). Returns how many are signed.
 */
function checkScorerSignatures(items: Item[], draw: string, s: Signers): number {
  const rounds = items.filter((i) => i.p.body.kind === "scoring_open" && (i.p.body.b as ScoringOpen).draw === draw).map((i) => (i.p.body.b as ScoringOpen).round);
  let signed = 0;
  for (const i of items) {
    const kind = i.p.body.kind;
    if (kind !== "sheet_commit" && kind !== "recusal" && kind !== "pledge") continue;
    const x = i.p.body.b as SheetCommit | Recusal | Pledge;
    if (!rounds.includes(x.round)) continue;
    const seq = i.p.seq;
    const at = `${kind} at seq ${seq}`;
    const atZh = `序号 ${seq} 的 ${kind}`;
    const a = x.signature;
    if (s.personalKeys) {
      if (!a) fail(`${at} is not signed by its scorer, but the draw's commit requires personal keys`, `${atZh} 没有评审专家本人的签名，但本抽取的承诺要求个人密钥签名`);
      const kid = keyId(a!.key.bytes);
      if (s.isLogKey(a!.key.bytes)) {
        fail(`${at} is signed by the log's own key ${kid}: the operator cannot score in an expert's name`, `${atZh} 由日志自己的密钥 ${kid} 签名：运营方不能以专家的名义评分`);
      }
      const r = s.registered.find((g) => eq(g.key, a!.key.bytes) && g.seq < seq);
      if (!r) fail(`${at} is signed by key ${kid}, which no earlier key_registration of the draw registers`, `${atZh} 由密钥 ${kid} 签名，但本次抽取此前没有登记这把密钥`);
      if (r!.until !== null && r!.until < seq) fail(`${at} is signed by key ${kid}, which was replaced at seq ${r!.until}`, `${atZh} 由密钥 ${kid} 签名，但这把密钥已在序号 ${r!.until} 被替换`);
      if (r!.role !== "expert") fail(`${at} is signed by key ${kid}, registered at seq ${r!.seq} to a ${r!.role}, not an expert`, `${atZh} 由密钥 ${kid} 签名，它在序号 ${r!.seq} 登记给了监督员，而不是专家`);
      if (r!.person !== x.scorer) {
        fail(
          `${at} is signed by key ${kid}, registered at seq ${r!.seq} to another expert, not to scorer ${short(x.scorer)}`,
          `${atZh} 由密钥 ${kid} 签名，它在序号 ${r!.seq} 登记给了另一位专家，而不是评审专家 ${short(x.scorer)}`,
        );
      }
    }
    if (a) {
      const sig = b64decode(a.sig);
      if (!sig) fail(`${at}: the scorer's signature is not base64`, `${atZh}：评审专家的签名不是 base64`);
      if (sig!.length !== 64) fail(`${at}: scorer's an Ed25519 signature is 64 bytes, not ${sig!.length}`, `${atZh}：评审专家的签名不是 64 字节`);
      if (!edVerifyStrict(a.key.bytes, scorerMessage(kind, x), sig!)) fail(`${at}: scorer's signature does not verify`, `${atZh}：评审专家的签名验证不通过`);
      signed++;
    }
  }
  return signed;
}

function checkScoring(b: Bundle, items: Item[], panel: string[], seats: number, signers: Signers): (() => Msg) | null {
  if (b.rubric === null && b.sheets.length === 0) {
    // Protocol 1.5: the scorers' signatures are checked even before the sheets are published.
    try {
      checkScorerSignatures(items, b.draw, signers);
    } catch (e) {
      if (!(e instanceof Fail)) throw e;
      return () => fail(e.en, e.zh);
    }
    const disclosed = items.some((i) => i.p.kind === "disclosure" && i.p.draw === b.draw);
    const rounds = items.filter((i) => i.p.body.kind === "scoring_open" && (i.p.body.b as ScoringOpen).draw === b.draw).map((i) => (i.p.body.b as ScoringOpen).round);
    const sealed = items.find((i) => i.p.body.kind === "seal" && rounds.includes(i.p.body.b.round));
    if (disclosed && sealed) {
      const seq = sealed.p.seq;
      return () =>
        fail(
          `the draw is disclosed and its round was sealed at seq ${seq}, but the bundle carries no rubric and no sheets: the sealed result cannot be recomputed`,
          `本抽取已公开，其轮次已在序号 ${seq} 封存，但证据包没有评分标准和评分表：无法重算封存的结果`,
        );
    }
    return null;
  }
  return () => {
    const nSigned = checkScorerSignatures(items, b.draw, signers);
    const signedEn = nSigned > 0 ? `; ${nSigned} sheet_commit, recusal and pledge entries signed by their scorers' own keys` : "";
    const signedZh = nSigned > 0 ? `；${nSigned} 个 sheet_commit、recusal 和 pledge 条目有评审专家本人密钥的签名` : "";
    const opens = items.filter((i) => i.p.body.kind === "scoring_open" && (i.p.body.b as ScoringOpen).draw === b.draw);
    if (opens.length !== 1) {
      fail(`the bundle has sheets but ${opens.length} scoring_open entries for this draw (one is needed)`, `证据包有评分表，但本抽取有 ${opens.length} 个 scoring_open 条目（需要恰好一个）`);
    }
    const openSeq = opens[0].p.seq;
    const open = opens[0].p.body.b as ScoringOpen;
    const round = open.round;
    const seals = items.filter((i) => i.p.body.kind === "seal" && i.p.body.b.round === round);
    if (!seals.length) fail(`no seal of round ${round} in the bundle`, `证据包中没有轮次 ${round} 的封存`);
    const sealItem = seals[seals.length - 1];
    const sealSeq = sealItem.p.seq;
    const seal = sealItem.p.body.b as import("./entry.js").Seal;
    if (seal.quota !== open.quota || seal.already_recommended !== open.already_recommended) {
      fail(
        `the seal's quota ${seal.quota} with ${seal.already_recommended} already recommended is not the quota scoring_open fixed before any score (${open.quota} with ${open.already_recommended})`,
        `封存的名额 ${seal.quota}（已推荐 ${seal.already_recommended}）不是 scoring_open 在评分前固定的名额（${open.quota}，已推荐 ${open.already_recommended}）`,
      );
    }
    if (seal.rule !== "trimmed_mean_v1") fail(`unknown aggregation rule ${JSON.stringify(seal.rule)}`, `未知的汇总规则 ${seal.rule}`);
    if (!b.rubric) return fail("sheets without the rubric", "有评分表却没有评分标准");
    const rubricRaw = b.bytes.subarray(b.rubric.s, b.rubric.e);
    const rubricNode = parseJson(rubricRaw);
    let rubric;
    try {
      rubric = parseRubric(rubricNode);
    } catch (e) {
      return fail(`the rubric does not parse: ${(e as Error).message}`, `评分标准无法解析：${(e as Error).message}`);
    }
    try {
      checkCanonical(rubricRaw, rubricNode);
    } catch {
      fail("the rubric is not in its canonical form", "评分标准不是规范形式");
    }
    const rh = toHex(tagged(TAG.rubric, rubricRaw));
    if (rh !== open.rubric || rh !== seal.rubric) fail(`the rubric's hash ${rh} is not the one scoring_open and the seal fixed`, `评分标准的哈希 ${rh} 不是 scoring_open 和封存固定的`);
    const live = roundState(items, b.draw, round, openSeq, sealSeq, open, panel, seats);
    for (const h of seal.sheets) {
      if (!live.sheets.has(h)) {
        const r = live.reopened.get(h);
        if (r !== undefined) fail(`the seal counts sheet ${h}, which was reopened at seq ${r} and not submitted again`, `封存计入了评分表 ${h}，但它已在序号 ${r} 被退回且未重新提交`);
        fail(`the seal counts sheet ${h}, which is not the live sheet of a seated panel member`, `封存计入了评分表 ${h}，但它不是在席评审组成员的有效评分表`);
      }
    }
    const sealedApps = new Set(seal.results.map((r) => r.application));
    for (const a of [...live.applications].sort(cmpStr)) {
      if (!sealedApps.has(a)) fail(`the seal's results leave out application ${a}, which scoring_open fixed`, `封存的结果漏掉了 scoring_open 固定的申报项目 ${a}`);
    }
    const sealSheets = new Set(seal.sheets);
    for (const h of [...live.sheets.keys()].sort()) {
      if (!sealSheets.has(h)) {
        const [app, scorer] = live.sheets.get(h)!;
        fail(
          `the seal leaves out the sheet of ${short(scorer)} for application ${app} (hash ${h}), the last one committed by a seated panel member`,
          `封存漏掉了 ${short(scorer)} 对申报项目 ${app} 的评分表（哈希 ${h}），那是在席评审组成员最后提交的一张`,
        );
      }
    }
    if (live.incomplete) fail(`at the seal, ${live.incomplete.en}`, `封存时，${live.incomplete.zh}`);
    let limit: bigint;
    try {
      limit = abnormalLimit(open.abnormal_points);
    } catch (e) {
      return fail((e as Error).message, `scoring_open 的 abnormal_points 无效：${(e as Error).message}`);
    }
    if (open.abnormal_points !== null && !live.lock) {
      fail(
        `the seal of round ${round} comes while its sheets are not locked (protocol 1.2 needs a scoring_lock before the seal)`,
        `轮次 ${round} 的封存出现在其评分表未锁定时（协议 1.2 要求封存前有 scoring_lock）`,
      );
    }
    const explainedText = new Map<string, string>();
    const l = live.lock;
    if (l) {
      const missing = [...l.explain].sort().find((h) => !l.explained.has(h));
      if (missing) {
        fail(
          `sheet ${missing} was asked for an explanation by the scoring_lock at seq ${l.seq} and none was given before the seal`,
          `序号 ${l.seq} 的 scoring_lock 要求评分表 ${missing} 作出说明，但封存前没有给出`,
        );
      }
      const wanted = new Map<string, string>();
      for (const [s, e] of l.explained) wanted.set(e, s);
      b.explanations.forEach((n, k) => {
        const raw = b.bytes.subarray(n.s, n.e);
        let rec;
        try {
          rec = parseExplanation(raw, parseJson(raw), k);
        } catch (e) {
          return fail((e as Error).message, `说明 ${k} 无法解析或不是规范形式`);
        }
        const h = toHex(tagged(TAG.explanation, raw));
        const s = l.sheets.get(rec.sheet);
        if (wanted.get(h) !== rec.sheet || rec.round !== round || !s || s[0] !== rec.application || s[1] !== rec.scorer) {
          fail(`explanation ${k} (hash ${h}) is not an explanation entry of the round's last lock`, `说明 ${k}（哈希 ${h}）不是本轮最后一次锁定的说明条目`);
        }
        if (blank(rec.explanation)) fail(`explanation ${k} is blank`, `说明 ${k} 为空`);
        if (explainedText.has(rec.sheet)) fail(`explanation ${k} is given twice`, `说明 ${k} 给出了两次`);
        explainedText.set(rec.sheet, rec.explanation);
      });
      for (const s of [...l.explained.keys()].sort()) {
        if (!explainedText.has(s)) fail(`the bundle leaves out the explanation of sheet ${s}`, `证据包漏掉了评分表 ${s} 的说明`);
      }
    } else if (b.explanations.length) {
      fail("the bundle has explanations but the round's sheets are not locked at the seal", "证据包有说明，但封存时本轮评分表未锁定");
    }
    const seen = new Set<string>();
    const byApp = new Map<string, ScoredSheet[]>();
    b.sheets.forEach((n, k) => {
      const raw = b.bytes.subarray(n.s, n.e);
      let sheet;
      try {
        sheet = parseSheet(raw, parseJson(raw), k);
      } catch (e) {
        return fail((e as Error).message, `评分表 ${k} 无法解析或不是规范形式`);
      }
      const h = toHex(tagged(TAG.sheet, raw));
      if (sheet.round !== round || sheet.rubric !== rh) fail(`sheet ${k} names another round or rubric`, `评分表 ${k} 写明的是另一个轮次或评分标准`);
      const s = live.sheets.get(h);
      if (!s || s[0] !== sheet.application || s[1] !== sheet.scorer) {
        fail(
          `sheet ${k} (${sheet.application} by ${short(sheet.scorer)}) is not the sheet committed in the log (hash ${h})`,
          `评分表 ${k}（${short(sheet.scorer)} 对 ${sheet.application} 的评分）不是日志中提交的那一张（哈希 ${h}）`,
        );
      }
      if (seen.has(h)) fail(`sheet ${k} is given twice`, `评分表 ${k} 给出了两次`);
      seen.add(h);
      const list = byApp.get(sheet.application) ?? [];
      list.push({ hash: h, sheet, explanation: sheet.explanation });
      byApp.set(sheet.application, list);
    });
    const apps = [...byApp.keys()].sort(cmpStr);
    if (l) {
      const want = new Set<string>();
      for (const app of apps) {
        const r = unexplained(rubric, byApp.get(app)!, limit);
        if (r.length && Array.isArray(r[0])) fail(`application ${app}: ${(r[0] as string[]).join("; ")}`, `申报项目 ${app}：评分表无效`);
        for (const h of r as string[]) want.add(h);
      }
      if (want.size !== l.explain.size || [...want].some((h) => !l.explain.has(h))) {
        fail(
          `the scoring_lock at seq ${l.seq} asks to explain ${l.explain.size} sheet(s); the abnormal totals without an explanation are ${want.size}`,
          `序号 ${l.seq} 的 scoring_lock 要求说明 ${l.explain.size} 张评分表；而没有说明的异常总分有 ${want.size} 张`,
        );
      }
    }
    for (const list of byApp.values()) for (const s of list) s.explanation = explainedText.get(s.hash) ?? s.sheet.explanation;
    if (seen.size !== seal.sheets.length) fail(`the seal fixes ${seal.sheets.length} sheets, the bundle has ${seen.size}`, `封存固定了 ${seal.sheets.length} 张评分表，证据包中有 ${seen.size} 张`);
    const aggs: Aggregate[] = [];
    for (const app of apps) {
      const a = aggregateSheets(rubric, app, byApp.get(app)!, limit);
      if (Array.isArray(a)) fail(`application ${app}: ${a.join("; ")}`, `申报项目 ${app}：${a.join("；")}`);
      aggs.push(a as Aggregate);
    }
    const ranked = rank(aggs);
    const rec = recommend(ranked, seal.quota, seal.already_recommended);
    if (ranked.length !== seal.results.length) {
      fail(`the seal ranks ${seal.results.length} applications, the sheets cover ${ranked.length}`, `封存排了 ${seal.results.length} 个申报项目，评分表涵盖 ${ranked.length} 个`);
    }
    ranked.forEach((a, k) => {
      const s = seal.results[k];
      const fs = fmt2(a.final);
      if (a.application !== s.application || fs !== s.final_score || s.rank !== k + 1 || s.sheets !== a.sheets || s.recommended !== rec.has(a.application)) {
        fail(
          `the seal's rank ${s.rank} (${s.application} ${s.final_score} from ${s.sheets} sheets, recommended ${s.recommended}) does not follow from the sheets: rank ${k + 1} is ${a.application} ${fs} from ${a.sheets} sheets, recommended ${rec.has(a.application)}`,
          `封存的第 ${s.rank} 名（${s.application} ${s.final_score}）不能由评分表得出：第 ${k + 1} 名应是 ${a.application} ${fs}`,
        );
      }
    });
    const notices = checkNotices(items, round, sealSeq, seal);
    return {
      en: `round ${round}: ${seen.size} sheets of ${byApp.size} applications are the committed and sealed ones; final scores (${seal.rule}), ranking and ${rec.size} recommendation(s) within a quota of ${seal.quota} follow from them${notices.en}${signedEn}`,
      zh: `轮次 ${round}：${byApp.size} 个申报项目的 ${seen.size} 张评分表就是已提交并封存的那些；最终得分（${seal.rule}）、排名和名额 ${seal.quota} 内的 ${rec.size} 个推荐都由它们得出${notices.zh}${signedZh}`,
    };
  };
}

/** Protocol 1.3: the round's notice, notice_close and withdrawal entries against its seal (see the Rust verifier's check_notices). */
function checkNotices(items: Item[], round: string, sealSeq: bigint, seal: import("./entry.js").Seal): Msg {
  const dateOk = (d: string) => {
    if (!/^[0-9]{4}-[0-9]{2}-[0-9]{2}$/.test(d)) return false;
    const m = Number(d.slice(5, 7));
    const day = Number(d.slice(8, 10));
    return m >= 1 && m <= 12 && day >= 1 && day <= 31;
  };
  let open: { seq: bigint; hash: string; w: number } | null = null;
  let notices = 0;
  let closes = 0;
  const withdrawn = new Set<string>();
  for (const i of items) {
    const seq = i.p.seq;
    const body = i.p.body;
    if (body.kind === "notice" && body.b.round === round) {
      const n = body.b;
      const at = `the notice at seq ${seq}`;
      const zat = `序号 ${seq} 的公示`;
      if (seq < sealSeq) fail(`${at} comes before the round's seal (seq ${sealSeq}): a notice publishes sealed results`, `${zat}在本轮封存（序号 ${sealSeq}）之前：公示的是封存的结果`);
      if (open) fail(`${at} comes while the notice at seq ${open.seq} is still open`, `${zat}出现时序号 ${open.seq} 的公示尚未结束`);
      if (!dateOk(n.start) || !dateOk(n.end) || n.start > n.end) {
        fail(`${at} has the period ${JSON.stringify(n.start)} to ${JSON.stringify(n.end)}, not two dates YYYY-MM-DD in order`, `${zat}的公示期 ${n.start} 至 ${n.end} 不是先后有序的两个日期`);
      }
      if (n.working_days === 0) fail(`${at} has a period of 0 working days`, `${zat}的公示期为 0 个工作日`);
      if (n.items === 0 || n.items > seal.results.length) fail(`${at} lists ${n.items} projects; the seal has ${seal.results.length} results`, `${zat}列出 ${n.items} 个项目；封存有 ${seal.results.length} 个结果`);
      open = { seq, hash: i.p.hash, w: 0 };
      notices++;
    } else if (body.kind === "notice_close" && body.b.round === round) {
      const x = body.b;
      const at = `the notice_close at seq ${seq}`;
      const zat = `序号 ${seq} 的公示结束`;
      if (!open) return fail(`${at} comes when no notice of the round is open`, `${zat}出现时本轮没有进行中的公示`);
      if (x.notice !== open.hash) fail(`${at} names notice ${x.notice}, not the open notice at seq ${open.seq}`, `${zat}所指的公示 ${x.notice} 不是序号 ${open.seq} 的进行中公示`);
      if (x.upheld + x.rejected !== x.objections) {
        fail(`${at} counts ${x.objections} objections but ${x.upheld} upheld and ${x.rejected} rejected: the counts do not add up`, `${zat}记 ${x.objections} 件异议，但成立 ${x.upheld} 件、不成立 ${x.rejected} 件：数目对不上`);
      }
      if (x.upheld < open.w) fail(`${at} counts ${x.upheld} upheld objections but ${open.w} withdrawals followed the notice`, `${zat}记成立异议 ${x.upheld} 件，但公示后有 ${open.w} 次撤销推荐`);
      open = null;
      closes++;
    } else if (body.kind === "withdrawal" && body.b.round === round) {
      const x = body.b;
      const at = `the withdrawal at seq ${seq}`;
      const zat = `序号 ${seq} 的撤销推荐`;
      if (seq < sealSeq) fail(`${at} comes before the round's seal (seq ${sealSeq})`, `${zat}在本轮封存（序号 ${sealSeq}）之前`);
      if (!seal.results.some((r) => r.application === x.application && r.recommended)) {
        fail(`${at} withdraws ${x.application}, which is not a recommended project of the seal`, `${zat}撤销的 ${x.application} 不是封存推荐的项目`);
      }
      if (withdrawn.has(x.application)) fail(`${at} withdraws ${x.application} a second time`, `${zat}第二次撤销 ${x.application}`);
      withdrawn.add(x.application);
      if (x.reason.trim() === "") fail(`${at} gives no reason`, `${zat}没有写明理由`);
      if (open) open.w++;
    }
  }
  if (notices === 0 && withdrawn.size === 0) return { en: "", zh: "" };
  return {
    en: `; ${notices} notice(s) after the seal, ${closes} closed with counts that add up, ${withdrawn.size} withdrawal(s) of recommended projects`,
    zh: `；封存后公示 ${notices} 次，结束 ${closes} 次且数目相符，撤销推荐 ${withdrawn.size} 个`,
  };
}

// ---------------------------------------------------------------- cosignatures (protocol 1.4)

/** C2SP tlog-cosignature key ID of an Ed25519 cosigner: SHA-256(name || 0x0A || 0x04 || key)[:4]. */
function cosignerKeyId(name: string, key: Uint8Array): Uint8Array {
  return sha256(concat(utf8(name), new Uint8Array([0x0a, 0x04]), key)).subarray(0, 4);
}

/**
 * Once the checkpoint check passed: names the cosignature lines (76 bytes:
 * key ID, big-endian timestamp, signature) and requires a valid one by each
 * witness given; a witness's line that does not verify, or none, fails the check.
 */
function cosigned(text: string, checks: Check[], witnesses: { name: string; key: Uint8Array }[], out: Cosigner[] = []): void {
  const c = checks.find((x) => x.check === "checkpoint" && x.outcome === "passed");
  if (!c) return;
  const cut = text.indexOf("\n\n");
  const body = utf8(text.slice(0, cut + 1));
  const lines: { name: string; id: Uint8Array; time: bigint; sig: Uint8Array }[] = [];
  for (const line of text.slice(cut + 2).split("\n")) {
    if (!line.startsWith("\u2014 ")) continue;
    const rest = line.slice(2);
    const sp = rest.lastIndexOf(" ");
    const name = rest.slice(0, sp);
    const raw = b64decode(rest.slice(sp + 1));
    if (sp < 0 || !raw || raw.length !== 76 || !nameOk(name)) continue;
    let time = 0n;
    for (const x of raw.subarray(4, 12)) time = (time << 8n) | BigInt(x);
    lines.push({ name, id: raw.subarray(0, 4), time, sig: raw.subarray(12) });
  }
  for (const l of lines) {
    c.en += `; cosignature line by ${l.name} (key ID ${toHex(l.id)})`;
    c.zh += `；${l.name} 的联署签名行（密钥 ID ${toHex(l.id)}）`;
    out.push({ name: l.name, keyId: toHex(l.id), time: l.time.toString() });
  }
  for (const w of witnesses) {
    const id = cosignerKeyId(w.name, w.key);
    let newest: bigint | null = null;
    for (const l of lines) {
      if (l.name !== w.name || !eq(l.id, id)) continue;
      let ok = l.time <= 2n ** 63n - 1n;
      if (!ok) {
        c.outcome = "failed";
        c.en = `the cosignature of ${w.name} has a time beyond 2^63 - 1`;
        c.zh = `见证方 ${w.name} 的联署签名时间超过 2^63 - 1`;
        return;
      }
      const msg = concat(utf8(`cosignature/v1\ntime ${l.time}\n`), body);
      ok = edVerifyStrict(w.key, msg, l.sig);
      if (!ok) {
        c.outcome = "failed";
        c.en = `the cosignature of ${w.name} does not verify`;
        c.zh = `见证方 ${w.name} 的联署签名验证失败`;
        return;
      }
      if (newest === null || l.time > newest) newest = l.time;
    }
    if (newest === null) {
      c.outcome = "failed";
      c.en = `the checkpoint has no cosignature by witness ${w.name} (key ID ${toHex(id)})`;
      c.zh = `检查点没有见证方 ${w.name}（密钥 ID ${toHex(id)}）的联署签名`;
      return;
    }
    c.en += `; cosigned by witness ${w.name} at time ${newest}`;
    c.zh += `；见证方 ${w.name} 于时间 ${newest} 联署`;
  }
}
