// The protocol's primitives, each from an audited library (@noble/*), never
// written by hand: SHA-256 and SHA-512, Ed25519 point arithmetic, ristretto255
// for the tag VRF, BLS12-381 for drand, ChaCha20 for the random stream. What is
// written here is only the protocol's use of them (docs/PROTOCOL.md).

import { sha256, sha512 } from "@noble/hashes/sha2.js";
import { ed25519, ristretto255, ristretto255_hasher } from "@noble/curves/ed25519.js";
import { bls12_381 } from "@noble/curves/bls12-381.js";
import { chacha20 } from "@noble/ciphers/chacha.js";
import { createSHA256 } from "hash-wasm";
import { concat, eq, hexExact, lp, u64be, utf8 } from "./bytes.js";

export { sha256 };

const ZERO = new Uint8Array([0]);

/** `H(tag, m) = SHA-256(tag || 0x00 || m)`. */
export function tagged(tag: string, ...parts: Uint8Array[]): Uint8Array {
  const h = sha256.create();
  h.update(utf8(tag));
  h.update(ZERO);
  for (const p of parts) h.update(p);
  return h.digest();
}

export const TAG = {
  entry: "fairpanel/v1/entry",
  member: "fairpanel/v1/member",
  orgTag: "fairpanel/v1/org-tag",
  idTag: "fairpanel/v1/id-tag",
  secret: "fairpanel/v1/secret",
  seed: "fairpanel/v1/seed",
  keyId: "fairpanel/v1/key-id",
  attest: "fairpanel/v1/attest",
  rotation: "fairpanel/v1/rotation",
  rubric: "fairpanel/v1/rubric",
  sheet: "fairpanel/v1/sheet",
  explanation: "fairpanel/v1/explanation",
} as const;

// ---------------------------------------------------------------- Ed25519

const Ed = ed25519.Point;
const L = 2n ** 252n + 27742317777372353535851937790883648493n;

function le(b: Uint8Array): bigint {
  let x = 0n;
  for (let i = b.length - 1; i >= 0; i--) x = (x << 8n) | BigInt(b[i]);
  return x;
}

/** Whether 32 bytes decode to an Ed25519 curve point. */
export function edPointOk(pub: Uint8Array): boolean {
  if (pub.length !== 32) return false;
  try {
    Ed.fromBytes(pub);
    return true;
  } catch {
    return false;
  }
}

/**
 * Strict Ed25519 verification (docs/PROTOCOL.md, "Keys and signatures"):
 * S below L, R and A decode and are not of small order, and
 * [S]B - [k]A encodes to exactly the bytes of R (the cofactorless equation).
 */
export function edVerifyStrict(pub: Uint8Array, msg: Uint8Array, sig: Uint8Array): boolean {
  if (sig.length !== 64 || pub.length !== 32) return false;
  let A, R;
  try {
    A = Ed.fromBytes(pub);
    R = Ed.fromBytes(sig.subarray(0, 32));
  } catch {
    return false;
  }
  if (A.isSmallOrder() || R.isSmallOrder()) return false;
  const S = le(sig.subarray(32));
  if (S >= L) return false;
  const k = le(sha512(concat(sig.subarray(0, 32), pub, msg))) % L;
  const Rp = Ed.BASE.multiplyUnsafe(S).subtract(A.multiplyUnsafe(k));
  return eq(Rp.toBytes(), sig.subarray(0, 32));
}

/** The first 8 bytes of `H("fairpanel/v1/key-id", key)`, as hex. */
export function keyId(pub: Uint8Array): string {
  const h = tagged(TAG.keyId, pub);
  let s = "";
  for (let i = 0; i < 8; i++) s += h[i].toString(16).padStart(2, "0");
  return s;
}

// ---------------------------------------------------------------- Merkle (RFC 9162)

const ONE = new Uint8Array([1]);

export function leafHash(b: Uint8Array): Uint8Array {
  const h = sha256.create();
  h.update(ZERO);
  h.update(b);
  return h.digest();
}

export function nodeHash(l: Uint8Array, r: Uint8Array): Uint8Array {
  const h = sha256.create();
  h.update(ONE);
  h.update(l);
  h.update(r);
  return h.digest();
}

/** A SHA-256 whose 32-byte result is a string of 32 characters U+0000–U+00FF (latin1). */
export type Latin1Hash = (data: Uint8Array) => string;

export const latin1 = (b: Uint8Array): string => String.fromCharCode.apply(null, b as unknown as number[]);

/** A 32-byte digest as latin1: spelt out, five times faster than `apply` over a typed array. */
const latin1Of32 = (d: Uint8Array): string =>
  String.fromCharCode(
    d[0], d[1], d[2], d[3], d[4], d[5], d[6], d[7], d[8], d[9], d[10], d[11], d[12], d[13], d[14], d[15],
    d[16], d[17], d[18], d[19], d[20], d[21], d[22], d[23], d[24], d[25], d[26], d[27], d[28], d[29], d[30], d[31],
  );

/** @noble/hashes' SHA-256 as a Latin1Hash. */
export const nobleLatin1: Latin1Hash = (d) => latin1Of32(sha256(d));

/**
 * hash-wasm's SHA-256 (WebAssembly) as a Latin1Hash: what a browser uses for
 * the pool, about three times faster than @noble/hashes on leaf-sized inputs.
 * Rejects where WebAssembly cannot be compiled (a page whose CSP lacks
 * 'wasm-unsafe-eval'); the caller then keeps the default. It must agree with
 * @noble/hashes on a sample before it is used.
 */
export async function wasmSha256(): Promise<Latin1Hash> {
  const h = await createSHA256();
  const f: Latin1Hash = (d) => {
    h.init();
    h.update(d);
    return latin1Of32(h.digest("binary"));
  };
  const probe = new Uint8Array(200);
  for (let i = 0; i < probe.length; i++) probe[i] = (i * 7 + 1) & 255;
  for (const n of [0, 1, 55, 56, 64, 65, 200]) {
    if (f(probe.subarray(0, n)) !== nobleLatin1(probe.subarray(0, n))) throw new Error("hash-wasm SHA-256 disagrees with @noble/hashes");
  }
  return f;
}

/**
 * The RFC 9162 root over leaf hashes pushed in order. Hashes travel as latin1
 * strings: Node hands them out that way several times faster than as buffers.
 */
export class RootBuilder {
  private heights: number[] = [];
  private hashes: string[] = [];
  private readonly node = new Uint8Array(65);
  constructor(private readonly hash: Latin1Hash = nobleLatin1) {}
  private nodeHash(l: string, r: string): string {
    const n = this.node;
    n[0] = 1;
    for (let k = 0; k < 32; k++) {
      n[1 + k] = l.charCodeAt(k);
      n[33 + k] = r.charCodeAt(k);
    }
    return this.hash(n);
  }
  push(h: string): void {
    let height = 0;
    while (this.heights.length && this.heights[this.heights.length - 1] === height) {
      this.heights.pop();
      h = this.nodeHash(this.hashes.pop()!, h);
      height++;
    }
    this.heights.push(height);
    this.hashes.push(h);
  }
  /** The root, as lowercase hex. */
  rootHex(): string {
    const s = this.hashes.slice();
    let h = s.pop();
    if (h === undefined) h = this.hash(new Uint8Array(0));
    for (let left = s.pop(); left !== undefined; left = s.pop()) h = this.nodeHash(left, h);
    let x = "";
    for (let k = 0; k < 32; k++) x += h.charCodeAt(k).toString(16).padStart(2, "0");
    return x;
  }
}

/** RFC 9162 inclusion proof for leaf `index` in the tree of `size` leaves. */
export function checkInclusion(
  proof: Uint8Array[],
  size: bigint,
  root: Uint8Array,
  index: bigint,
  leaf: Uint8Array,
): string | null {
  if (size <= 0n || index < 0n || index >= size) return "invalid transparency proof";
  const run = (p: Uint8Array[], lo: bigint, hi: bigint): Uint8Array | null => {
    if (index < lo || index >= hi) return null;
    if (lo + 1n === hi) return p.length === 0 ? leaf : null;
    if (p.length === 0) return null;
    let k = 1n;
    while (k << 1n < hi - lo) k <<= 1n;
    const rest = p.slice(0, p.length - 1);
    const last = p[p.length - 1];
    if (index < lo + k) {
      const th = run(rest, lo, lo + k);
      return th && nodeHash(th, last);
    }
    const th = run(rest, lo + k, hi);
    return th && nodeHash(last, th);
  };
  const got = run(proof, 0n, size);
  if (!got) return "invalid transparency proof";
  return eq(got, root) ? null : "invalid transparency proof";
}

// ---------------------------------------------------------------- tag VRF (c2sp.org/vrf-r255)

const R255 = ristretto255.Point;
const SUITE = concat(new Uint8Array([0xff]), utf8("c2sp.org/vrf-r255"));

/** Whether 32 bytes are a ristretto255 element other than the identity. */
export function tagKeyOk(pk: Uint8Array): boolean {
  if (pk.every((x) => x === 0)) return false;
  try {
    R255.fromBytes(pk);
    return true;
  } catch {
    return false;
  }
}

/** ECVRF-RISTRETTO255-SHA512 verification: the 64-byte output, or null. */
export function vrfVerify(pk: Uint8Array, alpha: Uint8Array, pi: Uint8Array): Uint8Array | null {
  if (pi.length !== 80 || !tagKeyOk(pk)) return null;
  let Y, Gamma;
  try {
    Y = R255.fromBytes(pk);
    Gamma = R255.fromBytes(pi.subarray(0, 32));
  } catch {
    return null;
  }
  const cBytes = pi.subarray(32, 48);
  const c = le(cBytes);
  const s = le(pi.subarray(48, 80));
  if (s >= L) return null;
  const H = ristretto255_hasher.deriveToCurve!(
    sha512(concat(SUITE, new Uint8Array([0x82]), pk, alpha)),
  );
  const U = R255.BASE.multiplyUnsafe(s).subtract(Y.multiplyUnsafe(c));
  const V = H.multiplyUnsafe(s).subtract(Gamma.multiplyUnsafe(c));
  const cp = sha512(
    concat(
      SUITE,
      new Uint8Array([0x02]),
      Y.toBytes(),
      H.toBytes(),
      Gamma.toBytes(),
      U.toBytes(),
      V.toBytes(),
      ZERO,
    ),
  ).subarray(0, 16);
  if (!eq(cp, cBytes)) return null;
  return sha512(concat(SUITE, new Uint8Array([0x03]), Gamma.toBytes(), ZERO));
}

/** `tag || 0x00 || lp(draw) || lp(value)`: the VRF input of a tag. */
export function tagInput(tag: string, draw: string, value: string): Uint8Array {
  return concat(utf8(tag), ZERO, lp(utf8(draw)), lp(utf8(value)));
}

// ---------------------------------------------------------------- drand quicknet

export const QUICKNET_CHAIN = "52db9ba70e0cc0f6eaf7803dd07447a1f5477735fd3f661792ba94600c84e971";
const QUICKNET_PK =
  "83cf0f2896adee7eb8b5f01fcad3912212c437e0073e911fb90022d3e760183c8c4b450b6a0a6c3ac6a5776a2d1064510d1fec758c921cc22b0e17e63aaf4bcb5ed66304de9cf809bd274ca73bab4af5a6e9c76a4bc09e76eae8991ef5ece45a";
export const QUICKNET_GENESIS = 1692803367n;
export const QUICKNET_PERIOD = 3n;
export const MIN_MARGIN = 30n;
const DST = "BLS_SIG_BLS12381G1_XMD:SHA-256_SSWU_RO_NUL_";

export function roundTime(r: bigint): bigint {
  return QUICKNET_GENESIS + (r > 0n ? r - 1n : 0n) * QUICKNET_PERIOD;
}

export function targetRound(commitTime: bigint, margin: bigint): bigint {
  const t = commitTime + margin;
  if (t <= QUICKNET_GENESIS) return 1n;
  return (t - QUICKNET_GENESIS + QUICKNET_PERIOD - 1n) / QUICKNET_PERIOD + 1n;
}

/** Verifies a quicknet round: null when it verifies, else why not. */
export function drandVerify(round: bigint, sig: Uint8Array): string | null {
  if (round === 0n) return "drand rounds start at 1";
  if (sig.length !== 48) return `a quicknet signature is 48 bytes (a compressed G1 point), not ${sig.length}`;
  let S;
  try {
    S = bls12_381.G1.Point.fromBytes(sig);
    S.assertValidity();
  } catch {
    return "signature is not a valid G1 point in the prime-order subgroup (Invalid point for field signature: Invalid point)";
  }
  const bls = bls12_381.shortSignatures;
  const hm = bls.hash(sha256(u64be(round)), DST);
  const pk = bls12_381.G2.Point.fromBytes(hexExact(QUICKNET_PK, 96)!);
  if (!bls.verify(S, hm, pk)) return `signature is not quicknet's signature of round ${round}`;
  return null;
}

// ---------------------------------------------------------------- the random stream

/** ChaCha20 keyed by the seed, read as little-endian 64-bit words (docs/PROTOCOL.md, "The stream"). */
export class Stream {
  private buf = new Uint8Array(0);
  private pos = 0;
  private block = 0;
  private readonly nonce = new Uint8Array(12);
  constructor(private readonly key: Uint8Array) {}

  /** The next word as [low 32 bits, high 32 bits]. */
  next(): [number, number] {
    if (this.pos + 8 > this.buf.length) {
      const blocks = 1024;
      this.buf = chacha20(this.key, this.nonce, new Uint8Array(64 * blocks), undefined, this.block);
      this.block += blocks;
      this.pos = 0;
    }
    const b = this.buf;
    const p = this.pos;
    this.pos += 8;
    const lo = (b[p] | (b[p + 1] << 8) | (b[p + 2] << 16) | (b[p + 3] << 24)) >>> 0;
    const hi = (b[p + 4] | (b[p + 5] << 8) | (b[p + 6] << 16) | (b[p + 7] << 24)) >>> 0;
    return [lo, hi];
  }

  nextBig(): bigint {
    const [lo, hi] = this.next();
    return (BigInt(hi) << 32n) | BigInt(lo);
  }

  /** An unbiased integer in [0, n), 1 <= n < 2^32. */
  below(n: number): number {
    const m32 = 4294967296 % n;
    const r = mulmod(m32, m32, n); // 2^64 mod n
    for (;;) {
      const [lo, hi] = this.next();
      // x >= 2^64 - r, with r < 2^32, happens only when hi is all ones.
      if (r !== 0 && hi === 0xffffffff && lo >= 4294967296 - r) continue;
      return (mulmod(hi % n, m32, n) + (lo % n)) % n;
    }
  }
}

/** a * b mod n for a, b < n < 2^32, exact in doubles. */
function mulmod(a: number, b: number, n: number): number {
  return ((((a >>> 16) * b) % n) * 65536 + (a & 0xffff) * b) % n;
}

/** The Fisher–Yates order of `n` pool indexes from the seed. */
export function ranks(seed: Uint8Array, n: number): Uint32Array {
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  const s = new Stream(seed);
  for (let i = n - 1; i >= 1; i--) {
    const j = s.below(i + 1);
    const t = order[i];
    order[i] = order[j];
    order[j] = t;
  }
  return order;
}
