// Byte helpers: the protocol's one spelling of hex and base64 (docs/PROTOCOL.md,
// "Conventions"), UTF-8, concatenation and comparison.

const enc = new TextEncoder();
export const utf8 = (s: string): Uint8Array => enc.encode(s);
const dec = new TextDecoder("utf-8", { fatal: true });
export const fromUtf8 = (b: Uint8Array): string => dec.decode(b);

const HEX = "0123456789abcdef";
const HEXTAB: string[] = [];
for (let i = 0; i < 256; i++) HEXTAB.push(HEX[i >> 4] + HEX[i & 15]);

export function toHex(b: Uint8Array): string {
  let s = "";
  for (let i = 0; i < b.length; i++) s += HEXTAB[b[i]];
  return s;
}

/** Lowercase hex of exactly `n` bytes, or null. */
export function hexExact(s: string, n: number): Uint8Array | null {
  if (s.length !== 2 * n) return null;
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const a = nib(s.charCodeAt(2 * i));
    const b = nib(s.charCodeAt(2 * i + 1));
    if (a < 0 || b < 0) return null;
    out[i] = (a << 4) | b;
  }
  return out;
}

export function isHex(s: string, n: number): boolean {
  if (s.length !== 2 * n) return false;
  for (let i = 0; i < s.length; i++) if (nib(s.charCodeAt(i)) < 0) return false;
  return true;
}

function nib(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x61 && c <= 0x66) return c - 0x57;
  return -1;
}

const B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const B64REV = new Int16Array(128).fill(-1);
for (let i = 0; i < 64; i++) B64REV[B64.charCodeAt(i)] = i;

/** Standard base64 with `=` padding; refuses missing padding and non-zero trailing bits. */
export function b64decode(s: string): Uint8Array | null {
  if (s.length % 4 !== 0) return null;
  const pad = s.endsWith("==") ? 2 : s.endsWith("=") ? 1 : 0;
  const body = s.length - pad;
  const out = new Uint8Array((s.length / 4) * 3 - pad);
  let acc = 0;
  let bits = 0;
  let o = 0;
  for (let i = 0; i < body; i++) {
    const c = s.charCodeAt(i);
    const d = c < 128 ? B64REV[c] : -1;
    if (d < 0) return null;
    acc = (acc << 6) | d;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (acc >> bits) & 255;
      acc &= (1 << bits) - 1;
    }
  }
  if (acc !== 0) return null;
  return out;
}

export function b64encode(b: Uint8Array): string {
  let s = "";
  for (let i = 0; i < b.length; i += 3) {
    const x = (b[i] << 16) | ((b[i + 1] ?? 0) << 8) | (b[i + 2] ?? 0);
    s += B64[(x >> 18) & 63] + B64[(x >> 12) & 63];
    s += i + 1 < b.length ? B64[(x >> 6) & 63] : "=";
    s += i + 2 < b.length ? B64[x & 63] : "=";
  }
  return s;
}

export function concat(...parts: Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

export function eq(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export function cmp(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return a.length - b.length;
}

export function u32be(x: number): Uint8Array {
  return new Uint8Array([(x >>> 24) & 255, (x >>> 16) & 255, (x >>> 8) & 255, x & 255]);
}

export function u64be(x: bigint): Uint8Array {
  const out = new Uint8Array(8);
  for (let i = 7; i >= 0; i--) {
    out[i] = Number(x & 0xffn);
    x >>= 8n;
  }
  return out;
}

/** `lp(x) = u32be(len(x)) || x`. */
export function lp(x: Uint8Array): Uint8Array {
  return concat(u32be(x.length), x);
}

/** Byte order of two strings' UTF-8 encodings. */
export function cmpUtf8(a: string, b: string): number {
  return cmp(utf8(a), utf8(b));
}
