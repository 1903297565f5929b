// Mutations of a bundle for the agreement test: a bundle is read into its
// records (which are canonical JSON, so JSON.stringify(JSON.parse(raw)) gives
// back their bytes), changed, and written again. `reseal` re-signs every entry
// with the vectors' log key, re-chains them, and rebuilds the tree, the proofs
// and the checkpoint, so that a change reaches the checks after `signatures`.
import { createHash, createPrivateKey, createPublicKey, sign } from "node:crypto";

const sha = (...parts) => {
  const h = createHash("sha256");
  for (const p of parts) h.update(p);
  return h.digest();
};

/** The vectors' log key: Ed25519 from the seed 0x11 × 32 (make_vectors.rs, LOG_KEY_SEED). */
const seed = Buffer.alloc(32, 0x11);
const priv = createPrivateKey({ key: Buffer.concat([Buffer.from("302e020100300506032b657004220420", "hex"), seed]), format: "der", type: "pkcs8" });
const pub = createPublicKey(priv).export({ format: "der", type: "spki" }).subarray(12);
export const vectorKeyB64 = pub.toString("base64");
const keyId = (k) => sha(Buffer.from("fairpanel/v1/key-id\0"), k).subarray(0, 8).toString("hex");
export const vectorKeyId = keyId(pub);

export function read(text) {
  const j = JSON.parse(text);
  return j;
}

/** Writes a bundle in the reference layout: one record per line. */
export function write(j) {
  const rec = (e) => `{"entry":${JSON.stringify(e.entry)},"proof":${JSON.stringify(e.proof)},"sig":${JSON.stringify(e.sig)}}`;
  const list = (xs, f) => (xs.length ? `[\n    ${xs.map(f).join(",\n    ")}\n  ]` : "[]");
  const parts = [];
  for (const [k, v] of Object.entries(j)) {
    if (k === "entries" || k === "rotations") parts.push(`  ${JSON.stringify(k)}: ${Array.isArray(v) ? list(v, (e) => (e && typeof e === "object" && "entry" in e ? rec(e) : JSON.stringify(e))) : JSON.stringify(v)}`);
    else if (k === "pool" || k === "sheets" || k === "explanations") parts.push(`  ${JSON.stringify(k)}: ${Array.isArray(v) ? list(v, (x) => JSON.stringify(x)) : JSON.stringify(v)}`);
    else parts.push(`  ${JSON.stringify(k)}: ${JSON.stringify(v)}`);
  }
  return `{\n${parts.join(",\n")}\n}\n`;
}

const leafHash = (b) => sha(Buffer.from([0]), b);
const nodeHash = (l, r) => sha(Buffer.from([1]), l, r);
const split = (n) => {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
};
function mth(h) {
  if (h.length === 0) return sha(Buffer.alloc(0));
  if (h.length === 1) return h[0];
  const k = split(h.length);
  return nodeHash(mth(h.slice(0, k)), mth(h.slice(k)));
}
/** RFC 9162 PATH(m, D[n]). */
function path(m, h) {
  if (h.length <= 1) return [];
  const k = split(h.length);
  return m < k ? [...path(m, h.slice(0, k)), mth(h.slice(k))] : [...path(m - k, h.slice(k)), mth(h.slice(0, k))];
}

/** Whether a bundle can be resealed: every entry signed by the vectors' key. */
export const resealable = (j) =>
  j.key === vectorKeyB64 && (j.rotations ?? []).length === 0 && (j.entries ?? []).every((e) => e && e.entry && e.entry.signer === vectorKeyId);

export function reseal(j) {
  const entryHash = (e) => sha(Buffer.from("fairpanel/v1/entry\0"), Buffer.from(JSON.stringify(e)));
  for (let i = 1; i < j.entries.length; i++) j.entries[i].entry.prev = entryHash(j.entries[i - 1].entry).toString("hex");
  const lines = j.checkpoint.split("\n");
  const origin = lines[0];
  let size = Number(lines[1]) || 1;
  for (const e of j.entries) if (Number.isSafeInteger(e.entry.seq) && e.entry.seq >= size) size = e.entry.seq + 1;
  if (size > 4096) return; // an absurd seq: leave the bundle as it is
  const leaves = [];
  for (let s = 0; s < size; s++) leaves.push(leafHash(Buffer.from(`leaf ${s} of another entry`)));
  for (const e of j.entries) if (Number.isSafeInteger(e.entry.seq) && e.entry.seq >= 0) leaves[e.entry.seq] = leafHash(Buffer.from(JSON.stringify(e.entry)));
  for (const e of j.entries) {
    e.sig = sign(null, Buffer.from(JSON.stringify(e.entry)), priv).toString("base64");
    if (e.proof !== null && Number.isSafeInteger(e.entry.seq) && e.entry.seq >= 0) e.proof = path(e.entry.seq, leaves).map((h) => h.toString("hex"));
  }
  const text = `${origin}\n${size}\n${mth(leaves).toString("base64")}\n`;
  const kh = sha(Buffer.from(origin), Buffer.from([0x0a, 0x01]), pub).subarray(0, 4);
  const sig = sign(null, Buffer.from(text), priv);
  j.checkpoint = `${text}\n\u2014 ${origin} ${Buffer.concat([kh, sig]).toString("base64")}\n`;
}

const HEX = "0123456789abcdef";

/** Every (holder, key) whose value is a string / number, inside `v`. */
function slots(v, pred, out = []) {
  if (Array.isArray(v)) v.forEach((x, i) => (pred(x) ? out.push([v, i]) : slots(x, pred, out)));
  else if (v && typeof v === "object") for (const k of Object.keys(v)) pred(v[k]) ? out.push([v, k]) : slots(v[k], pred, out);
  return out;
}

const flipHex = (r, s) => {
  const i = r.int(s.length);
  let c;
  do c = HEX[r.int(16)];
  while (c === s[i]);
  return s.slice(0, i) + c + s.slice(i + 1);
};

const isHex = (x) => typeof x === "string" && /^[0-9a-f]{16,}$/.test(x);
const isNum = (x) => typeof x === "number";
const isStr = (x) => typeof x === "string";

/**
 * The semantic mutations: each changes one thing in the bundle's content and
 * says what. Applied before `reseal`, they reach the later checks.
 */
export const contentMutations = [
  ["flip a hex digit in an entry", (r, j) => {
    const s = slots(r.pick(j.entries).entry, isHex);
    if (!s.length) return false;
    const [h, k] = r.pick(s);
    h[k] = flipHex(r, h[k]);
  }],
  ["change a number in an entry", (r, j) => {
    const s = slots(r.pick(j.entries).entry, isNum);
    if (!s.length) return false;
    const [h, k] = r.pick(s);
    const v = h[k];
    h[k] = Math.max(0, r.pick([v + 1, v - 1, v + 2, v - 3, v + 60, v - 60, 0, 1, v * 2, 3]));
  }],
  ["edit a string field in an entry", (r, j) => {
    const s = slots(r.pick(j.entries).entry, isStr);
    if (!s.length) return false;
    const [h, k] = r.pick(s);
    h[k] = r.pick(["", " ", "\u3000", "x", "gd-2023-other", "440000", "320000", "unavailable", "A1", "A2", `${h[k]}x`, "commit", "decline", "reveal"]);
  }],
  ["set a field of an entry's body to null", (r, j) => {
    const b = r.pick(j.entries).entry.body;
    const k = r.pick(Object.keys(b));
    b[k] = null;
  }],
  ["drop an element of a list in an entry", (r, j) => {
    const s = slots(r.pick(j.entries).entry, (x) => Array.isArray(x) && x.length > 0);
    if (!s.length) return false;
    const [h, k] = r.pick(s);
    h[k].splice(r.int(h[k].length), 1);
  }],
  ["swap two elements of a list in an entry", (r, j) => {
    const s = slots(r.pick(j.entries).entry, (x) => Array.isArray(x) && x.length > 1);
    if (!s.length) return false;
    const [h, k] = r.pick(s);
    const a = h[k];
    const i = r.int(a.length - 1);
    [a[i], a[i + 1]] = [a[i + 1], a[i]];
  }],
  ["drop an entry", (r, j) => {
    if (j.entries.length < 2) return false;
    j.entries.splice(r.int(j.entries.length), 1);
  }],
  ["swap two neighbouring entries", (r, j) => {
    if (j.entries.length < 2) return false;
    const i = r.int(j.entries.length - 1);
    [j.entries[i], j.entries[i + 1]] = [j.entries[i + 1], j.entries[i]];
  }],
  ["duplicate an entry", (r, j) => {
    const i = r.int(j.entries.length);
    j.entries.splice(i, 0, JSON.parse(JSON.stringify(j.entries[i])));
  }],
  ["drop an entry's proof", (r, j) => {
    r.pick(j.entries).proof = null;
  }],
  ["flip a hex digit in a pool leaf", (r, j) => {
    if (!j.pool.length) return false;
    const l = r.pick(j.pool);
    const k = r.pick(["id", "org", "token"]);
    l[k] = flipHex(r, l[k]);
  }],
  ["give a pool leaf another specialty or organisation", (r, j) => {
    if (j.pool.length < 2) return false;
    const l = r.pick(j.pool);
    const o = r.pick(j.pool);
    if (r.int(2)) l.spec = o.spec === l.spec ? "other_spec" : o.spec;
    else l.org = o.org;
  }],
  ["drop, swap or repeat pool leaves", (r, j) => {
    if (j.pool.length < 2) return false;
    const i = r.int(j.pool.length - 1);
    const m = r.int(3);
    if (m === 0) j.pool.splice(i, 1);
    else if (m === 1) [j.pool[i], j.pool[i + 1]] = [j.pool[i + 1], j.pool[i]];
    else j.pool.splice(i, 0, { ...j.pool[i] });
  }],
  ["change a score sheet, the rubric or an explanation", (r, j) => {
    const lists = [j.sheets, j.explanations, j.rubric ? [j.rubric] : null].filter((x) => x && x.length);
    if (!lists.length) return false;
    const rec = r.pick(r.pick(lists));
    const s = slots(rec, (x) => isStr(x) || typeof x === "boolean");
    if (!s.length) return false;
    const [h, k] = r.pick(s);
    const v = h[k];
    if (typeof v === "boolean") h[k] = !v;
    else if (/^\d+\.\d\d$/.test(v)) h[k] = r.pick(["0.00", "1.00", "99.00", `${(Number(v) + 0.5).toFixed(2)}`, `${Math.max(0, Number(v) - 1).toFixed(2)}`, "1.5"]);
    else if (isHex(v)) h[k] = flipHex(r, v);
    else h[k] = r.pick(["", " ", "A3", "x", `${v} `]);
  }],
  ["drop or repeat a score sheet or explanation", (r, j) => {
    const lists = [j.sheets, j.explanations].filter((x) => x && x.length);
    if (!lists.length) return false;
    const l = r.pick(lists);
    const i = r.int(l.length);
    if (r.int(2)) l.splice(i, 1);
    else l.push(l[i]);
  }],
];

/** Mutations of the bundle's own frame, applied after any reseal. */
export const frameMutations = [
  ["flip a character of an entry's signature", (r, j) => {
    const e = r.pick(j.entries);
    const i = r.int(e.sig.length - 2);
    const c = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"[r.int(64)];
    e.sig = e.sig.slice(0, i) + c + e.sig.slice(i + 1);
  }],
  ["flip a hex digit of a proof", (r, j) => {
    const e = r.pick(j.entries.filter((x) => x.proof && x.proof.length) || []);
    if (!e) return false;
    const i = r.int(e.proof.length);
    e.proof[i] = flipHex(r, e.proof[i]);
  }],
  ["drop or add a proof hash", (r, j) => {
    const e = r.pick(j.entries.filter((x) => x.proof) || []);
    if (!e) return false;
    if (r.int(2) && e.proof.length) e.proof.pop();
    else e.proof.push("00".repeat(32));
  }],
  ["edit the checkpoint", (r, j) => {
    const lines = j.checkpoint.split("\n");
    const m = r.int(5);
    if (m === 0) lines[1] = String(Number(lines[1]) + r.pick([1, -1, 5]));
    else if (m === 1) lines[0] = `${lines[0]}x`;
    else if (m === 2) lines.splice(4, 0, lines[4]);
    else if (m === 3) lines[4] = lines[4].slice(0, -6) + "AAAAA=";
    else lines[2] = lines[2].slice(1) + "A";
    j.checkpoint = lines.join("\n");
  }],
  ["edit the bundle's draw, origin or key", (r, j) => {
    const k = r.pick(["draw", "origin", "key"]);
    if (k === "key") j.key = r.pick(["oJql9HpnWYAv+VX43C0qFKXJnSO+l/hkEn/5ODRVpPA=", ` ${j.key}`, j.key.slice(1)]);
    else j[k] = r.pick(["", "x", `${j[k]}x`, "gd-2023-plain"]);
  }],
  ["put an entry in the rotations", (r, j) => {
    j.rotations.push(JSON.parse(JSON.stringify(r.pick(j.entries))));
  }],
  ["change the bundle's structure", (r, j) => {
    const m = r.int(6);
    if (m === 0) j.format = "fairpanel-bundle/v1";
    else if (m === 1) j.extra = 1;
    else if (m === 2) delete r.pick(j.entries).proof;
    else if (m === 3) j.pool.push(7);
    else if (m === 4) delete j.rotations;
    else j.entries = {};
  }],
];

/** Mutations of the written text itself. */
export const textMutations = [
  ["add a space inside an entry's bytes", (r, t) => {
    const i = t.indexOf('"entry":{') + 9 + r.int(40);
    return t.slice(0, i) + " " + t.slice(i);
  }],
  ["delete one character", (r, t) => {
    const i = r.int(t.length);
    return t.slice(0, i) + t.slice(i + 1);
  }],
  ["cut the file short", (r, t) => t.slice(0, r.int(t.length))],
];
