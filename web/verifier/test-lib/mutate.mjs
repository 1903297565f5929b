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
  // A v1.7 bundle (protocol 1.7) is chained by each entry's `pprev` (kept
  // only where the entry has one); `prev` is chained too, as in v1.1.
  const v17 = j.format === "fairpanel-bundle/v1.7";
  for (let i = 1; i < j.entries.length; i++) {
    const e = j.entries[i].entry;
    const h = entryHash(j.entries[i - 1].entry).toString("hex");
    if (e && typeof e === "object") {
      if (v17 && "pprev" in e) e.pprev = h;
      e.prev = h;
    }
  }
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

// ---------------------------------------------------------------- the supplementary draw (protocol 1.2)

const entryHashHex = (e) => sha(Buffer.from("fairpanel/v1/entry\0"), Buffer.from(JSON.stringify(e))).toString("hex");

/** The supplementary commit of a bundle (the first commit with `supplements`), or null. */
export const supplementaryCommit = (j) => (j.entries ?? []).find((e) => e?.entry?.kind === "commit" && e.entry.body?.supplements) ?? null;

/** The entry of `draw` of a kind, the first or the last. */
const entryOf = (j, kind, draw, last = false) => {
  const l = j.entries.filter((e) => e.entry.kind === kind && e.entry.body.draw === draw);
  return (last ? l[l.length - 1] : l[0]) ?? null;
};

function deepSubst(v, map) {
  if (Array.isArray(v)) return v.map((x) => deepSubst(x, map));
  if (v && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, deepSubst(x, map)]));
  return typeof v === "string" && map.has(v) ? map.get(v) : v;
}

/** Inserts `entry` at position `at` of the entries; the seq numbers after it move up by one. */
function insertEntry(j, at, entry) {
  const next = j.entries[at] ?? null;
  const last = j.entries[j.entries.length - 1];
  const seq = next ? next.entry.seq : last.entry.seq + 1;
  j.entries.splice(at, 0, { entry: { ...entry, seq, time: (next ?? last).entry.time }, proof: [], sig: "" });
  for (let k = at + 1; k < j.entries.length; k++) j.entries[k].entry.seq++;
}

/** Numbers the entries from the first one's seq on, without gaps. */
function renumber(j) {
  for (let k = 1; k < j.entries.length; k++) j.entries[k].entry.seq = j.entries[0].entry.seq + k;
}

/**
 * Applies a mutation of `supplementMutations`, then re-chains the log: every
 * reference to an entry hash that the change moved (a commit, a
 * contribution, a beacon) follows it, so that only what the mutation meant
 * changes. `reseal` signs and proves it afterwards. False when it does not apply.
 */
export function mutateChained(f, r, j) {
  const was = new Map(j.entries.map((e) => [e, entryHashHex(e.entry)]));
  if (f(r, j) === false) return false;
  const map = new Map();
  let prev = null;
  for (const e of j.entries) {
    e.entry.body = deepSubst(e.entry.body, map);
    if (prev) e.entry.prev = prev;
    if (prev && j.format === "fairpanel-bundle/v1.7" && "pprev" in e.entry) e.entry.pprev = prev;
    const now = entryHashHex(e.entry);
    const old = was.get(e);
    if (old && old !== now) map.set(old, now);
    prev = now;
  }
  return true;
}

/**
 * Mutations of a supplementary draw's link and of the entries around it,
 * for the bundles that hold a supplementary commit (either draw's bundle).
 * Apply them with `mutateChained`; `reseal` follows.
 */
export const supplementMutations = [
  ["drop a member the supplementary commit carries", (r, j) => {
    const s = supplementaryCommit(j)?.entry.body.supplements;
    if (!s?.seated.length) return false;
    s.seated.splice(r.int(s.seated.length), 1);
  }],
  ["swap two carried members", (r, j) => {
    const s = supplementaryCommit(j)?.entry.body.supplements;
    if (!s || s.seated.length < 2) return false;
    s.seated.reverse();
  }],
  ["carry a member the chain drew but did not seat", (r, j) => {
    const s = supplementaryCommit(j)?.entry.body.supplements;
    const free = s?.drawn.filter((t) => !s.seated.includes(t)) ?? [];
    if (!free.length) return false;
    if (r.int(2)) s.seated.push(r.pick(free));
    else s.seated[r.int(s.seated.length)] = r.pick(free);
  }],
  ["carry a pool member never drawn", (r, j) => {
    const s = supplementaryCommit(j)?.entry.body.supplements;
    const free = j.pool.map((l) => l.token).filter((t) => !s?.drawn.includes(t));
    if (!s || !free.length) return false;
    const t = r.pick(free);
    s.seated.push(t);
    if (r.int(2)) s.drawn = [...s.drawn, t].sort();
  }],
  ["carry every member the earlier reveal named, the panel full or over-full", (r, j) => {
    // The earlier reveal seats its alternates too and nobody declines: the
    // link holds, and the carried panel has no empty seat (or more members than seats).
    const c = supplementaryCommit(j);
    if (!c) return false;
    const s = c.entry.body.supplements;
    const rv = entryOf(j, "reveal", s.draw);
    if (!rv) return false;
    const keep = r.int(rv.entry.body.alternates.length + 1);
    rv.entry.body.panel = [...rv.entry.body.panel, ...rv.entry.body.alternates.slice(0, keep)];
    rv.entry.body.alternates = rv.entry.body.alternates.slice(keep);
    j.entries = j.entries.filter((e) => !(e.entry.kind === "decline" && e.entry.body.draw === s.draw && e.entry.seq < c.entry.seq));
    renumber(j);
    s.seated = [...rv.entry.body.panel];
  }],
  ["drop, add or unsort a member of `drawn`", (r, j) => {
    const s = supplementaryCommit(j)?.entry.body.supplements;
    if (!s) return false;
    const m = r.int(3);
    if (m === 0 && s.drawn.length) s.drawn.splice(r.int(s.drawn.length), 1);
    else if (m === 1) {
      const free = j.pool.map((l) => l.token).filter((t) => !s.drawn.includes(t));
      if (!free.length) return false;
      s.drawn = [...s.drawn, r.pick(free)].sort();
    } else if (s.drawn.length > 1) s.drawn.reverse();
    else return false;
  }],
  ["change supplements.pool_draw, .draw or .commit", (r, j) => {
    const c = supplementaryCommit(j);
    if (!c) return false;
    const s = c.entry.body.supplements;
    const m = r.int(3);
    if (m === 0) s.pool_draw = r.pick([c.entry.body.draw, "gd-2023-other", `${s.pool_draw}x`]);
    else if (m === 1) s.draw = r.pick([c.entry.body.draw, "gd-2023-other", s.pool_draw === s.draw ? `${s.draw}x` : s.pool_draw]);
    else s.commit = flipHex(r, s.commit);
  }],
  ["remove the supplementary link", (r, j) => {
    const c = supplementaryCommit(j);
    if (!c) return false;
    delete c.entry.body.supplements;
  }],
  ["change the supplementary draw's rules", (r, j) => {
    const c = supplementaryCommit(j);
    if (!c) return false;
    const sp = c.entry.body.spec;
    const m = r.int(5);
    if (m === 0) sp.alternates = r.pick([0, 1, sp.alternates + 1, sp.alternates + 5, 20]);
    else if (m === 1) sp.panel = r.pick([sp.panel + 2, sp.panel - 2, 1]);
    else if (m === 2) sp.org_cap = r.pick([null, 1, 3]);
    else if (m === 3 && sp.quotas.length) sp.quotas[0].min = r.pick([1, 3, sp.quotas[0].min + 1]);
    else c.entry.body.excluded = [{ reason: "conflict", token: "ff".repeat(32) }];
  }],
  ["the supplementary reveal seats other members", (r, j) => {
    const c = supplementaryCommit(j);
    const rv = c && entryOf(j, "reveal", c.entry.body.draw);
    if (!rv) return false;
    const b = rv.entry.body;
    const m = r.int(3);
    if (m === 0 && b.alternates.length) [b.panel[0], b.alternates[0]] = [b.alternates[0], b.panel[0]];
    else if (m === 1) b.panel.push(r.pick(c.entry.body.supplements.seated.length ? c.entry.body.supplements.seated : b.alternates));
    else b.panel.reverse();
  }],
  ["a decline of the earlier draw after the supplementary commit", (r, j) => {
    const c = supplementaryCommit(j);
    if (!c) return false;
    const s = c.entry.body.supplements;
    const who = s.seated.length ? r.pick(s.seated) : null;
    if (!who) return false;
    const at = j.entries.indexOf(c) + 1 + r.int(j.entries.length - j.entries.indexOf(c));
    insertEntry(j, at, { ...c.entry, kind: "decline", body: { draw: s.draw, reason: "unavailable", replacement: null, token: who } });
  }],
  ["a decline of the supplementary draw", (r, j) => {
    const c = supplementaryCommit(j);
    const rv = c && entryOf(j, "reveal", c.entry.body.draw);
    if (!rv) return false;
    const panel = [...c.entry.body.supplements.seated, ...rv.entry.body.panel];
    const alts = rv.entry.body.alternates;
    const at = j.entries.indexOf(rv) + r.int(j.entries.length - j.entries.indexOf(rv) + 1);
    insertEntry(j, at, { ...c.entry, kind: "decline", body: { draw: c.entry.body.draw, reason: "conflict", replacement: r.int(3) ? r.pick([...alts, null]) : null, token: r.pick(panel) } });
  }],
  ["void the supplementary draw", (r, j) => {
    const c = supplementaryCommit(j);
    if (!c) return false;
    const at = j.entries.indexOf(c) + 1 + r.int(j.entries.length - j.entries.indexOf(c));
    insertEntry(j, at, { ...c.entry, kind: "void", body: { commit: entryHashHex(c.entry), draw: c.entry.body.draw, reason: "录入错误" } });
  }],
  ["a second supplementary commit of the earlier draw", (r, j) => {
    const c = supplementaryCommit(j);
    if (!c) return false;
    const body = JSON.parse(JSON.stringify(c.entry.body));
    body.draw = `${body.draw}-b`;
    const ci = j.entries.indexOf(c);
    insertEntry(j, r.int(2) ? ci : ci + 1 + r.int(j.entries.length - ci), { ...c.entry, body });
  }],
  ["move the supplementary commit before the earlier reveal", (r, j) => {
    const c = supplementaryCommit(j);
    if (!c) return false;
    const rv = entryOf(j, "reveal", c.entry.body.supplements.draw);
    if (!rv) return false;
    j.entries.splice(j.entries.indexOf(c), 1);
    const at = j.entries.indexOf(rv) - r.int(2);
    j.entries.splice(at, 0, c);
    c.entry.time = j.entries[at - 1].entry.time;
    renumber(j);
  }],
];
