var __create = Object.create;
var __defProp = Object.defineProperty;
var __getOwnPropDesc = Object.getOwnPropertyDescriptor;
var __getOwnPropNames = Object.getOwnPropertyNames;
var __getProtoOf = Object.getPrototypeOf;
var __hasOwnProp = Object.prototype.hasOwnProperty;
var __commonJS = (cb, mod2) => function __require() {
  try {
    return mod2 || (0, cb[__getOwnPropNames(cb)[0]])((mod2 = { exports: {} }).exports, mod2), mod2.exports;
  } catch (e) {
    throw mod2 = 0, e;
  }
};
var __copyProps = (to, from, except, desc) => {
  if (from && typeof from === "object" || typeof from === "function") {
    for (let key of __getOwnPropNames(from))
      if (!__hasOwnProp.call(to, key) && key !== except)
        __defProp(to, key, { get: () => from[key], enumerable: !(desc = __getOwnPropDesc(from, key)) || desc.enumerable });
  }
  return to;
};
var __toESM = (mod2, isNodeMode, target) => (target = mod2 != null ? __create(__getProtoOf(mod2)) : {}, __copyProps(
  // If the importer is in node compatibility mode or this is not an ESM
  // file that has been converted to a CommonJS file using a Babel-
  // compatible transform (i.e. "__esModule" has not been set), then set
  // "default" to the CommonJS "module.exports" for node compatibility.
  isNodeMode || !mod2 || !mod2.__esModule ? __defProp(target, "default", { value: mod2, enumerable: true }) : target,
  mod2
));

// ../../node_modules/canonicalize/lib/canonicalize.js
var require_canonicalize = __commonJS({
  "../../node_modules/canonicalize/lib/canonicalize.js"(exports, module) {
    "use strict";
    module.exports = function serialize(object) {
      if (typeof object === "number" && isNaN(object)) {
        throw new Error("NaN is not allowed");
      }
      if (typeof object === "number" && !isFinite(object)) {
        throw new Error("Infinity is not allowed");
      }
      if (object === null || typeof object !== "object") {
        return JSON.stringify(object);
      }
      if (object.toJSON instanceof Function) {
        return serialize(object.toJSON());
      }
      if (Array.isArray(object)) {
        const values2 = object.reduce((t, cv, ci) => {
          const comma = ci === 0 ? "" : ",";
          const value = cv === void 0 || typeof cv === "symbol" ? null : cv;
          return `${t}${comma}${serialize(value)}`;
        }, "");
        return `[${values2}]`;
      }
      const values = Object.keys(object).sort().reduce((t, cv) => {
        if (object[cv] === void 0 || typeof object[cv] === "symbol") {
          return t;
        }
        const comma = t.length === 0 ? "" : ",";
        return `${t}${comma}${serialize(cv)}:${serialize(object[cv])}`;
      }, "");
      return `{${values}}`;
    };
  }
});

// src/json.ts
var JsonError = class extends Error {
};
var MAX_DEPTH = 127;
var decoder = new TextDecoder("utf-8", { fatal: true });
function parseJson(b, skim = null) {
  const p = new Parser(b, skim);
  p.ws();
  const v = p.value(0);
  p.ws();
  if (p.i !== b.length) throw new JsonError(`trailing characters at byte ${p.i}`);
  return v;
}
var Parser = class {
  constructor(b, skim) {
    this.b = b;
    this.skim = skim;
  }
  b;
  skim;
  i = 0;
  /** Checks the syntax of one value at nesting `depth` and returns its span only. */
  skimValue(depth) {
    const b = this.b;
    const s = this.i;
    const first = b[s];
    const stack = [];
    for (; ; ) {
      this.ws();
      if (this.i >= b.length) this.err("unexpected end of input");
      const c = b[this.i];
      if (c === 123 || c === 91) {
        if (depth + stack.length + 1 > MAX_DEPTH) this.err("recursion limit exceeded");
        this.i++;
        this.ws();
        const close = c === 123 ? 125 : 93;
        if (b[this.i] === close) this.i++;
        else {
          stack.push(close);
          if (c === 123) this.key();
          continue;
        }
      } else if (c === 34) this.skipString();
      else if (c === 45 || c >= 48 && c <= 57) this.number();
      else if (!(this.lit("true") || this.lit("false") || this.lit("null"))) this.err("expected a value");
      for (; ; ) {
        if (stack.length === 0) return { t: "raw", s, e: this.i, first };
        this.ws();
        const x = b[this.i];
        const top = stack[stack.length - 1];
        if (x === 44) {
          this.i++;
          if (top === 125) this.key();
          break;
        }
        if (x === top) {
          this.i++;
          stack.pop();
          continue;
        }
        this.err("expected ',' or a closing bracket");
      }
    }
  }
  /** Checks the run of non-ASCII bytes starting at `i` as UTF-8; returns where it ends. */
  utf8Run(i) {
    const b = this.b;
    let e = i;
    while (e < b.length && b[e] >= 128) e++;
    try {
      decoder.decode(b.subarray(i, e));
    } catch {
      this.i = i;
      this.err("invalid UTF-8");
    }
    return e;
  }
  key() {
    this.ws();
    if (this.b[this.i] !== 34) this.err("expected a key");
    this.skipString();
    this.ws();
    if (this.b[this.i] !== 58) this.err("expected ':'");
    this.i++;
  }
  skipString() {
    const b = this.b;
    let i = this.i + 1;
    for (; ; ) {
      if (i >= b.length) {
        this.i = i;
        this.err("unterminated string");
      }
      const c = b[i];
      if (c === 34) break;
      if (c < 32) {
        this.i = i;
        this.err("control character in a string");
      }
      if (c >= 128) {
        i = this.utf8Run(i);
        continue;
      }
      if (c === 92) {
        const x = b[i + 1];
        if (x === 117) {
          this.hex4(i + 2);
          i += 6;
        } else if (x === 34 || x === 92 || x === 47 || x === 98 || x === 102 || x === 110 || x === 114 || x === 116) i += 2;
        else {
          this.i = i;
          this.err("invalid escape");
        }
        continue;
      }
      i++;
    }
    this.i = i + 1;
  }
  ws() {
    const b = this.b;
    let i = this.i;
    while (i < b.length) {
      const c = b[i];
      if (c === 32 || c === 10 || c === 13 || c === 9) i++;
      else break;
    }
    this.i = i;
  }
  err(m) {
    throw new JsonError(`${m} at byte ${this.i}`);
  }
  value(depth) {
    const b = this.b;
    if (this.i >= b.length) this.err("unexpected end of input");
    const c = b[this.i];
    if (c === 123) return this.object(depth + 1);
    if (c === 91) return this.array(depth + 1);
    if (c === 34) return this.string();
    if (c === 45 || c >= 48 && c <= 57) return this.number();
    const s = this.i;
    if (this.lit("true")) return { t: "bool", s, e: this.i, v: true };
    if (this.lit("false")) return { t: "bool", s, e: this.i, v: false };
    if (this.lit("null")) return { t: "null", s, e: this.i };
    return this.err("expected a value");
  }
  lit(w) {
    const b = this.b;
    for (let k = 0; k < w.length; k++) if (b[this.i + k] !== w.charCodeAt(k)) return false;
    this.i += w.length;
    return true;
  }
  object(depth) {
    if (depth > MAX_DEPTH) this.err("recursion limit exceeded");
    const s = this.i++;
    const keys = [];
    const vals = [];
    let dup = false;
    let seen = null;
    this.ws();
    if (this.b[this.i] === 125) {
      this.i++;
      return { t: "obj", s, e: this.i, keys, vals, dup };
    }
    for (; ; ) {
      this.ws();
      if (this.b[this.i] !== 34) this.err("expected a key");
      const k = this.string();
      this.ws();
      if (this.b[this.i] !== 58) this.err("expected ':'");
      this.i++;
      this.ws();
      const how = this.skim ? this.skim(depth, k.v) : null;
      const v = how === "value" ? this.skimValue(depth) : how === "items" ? this.array(depth + 1, true) : this.value(depth);
      if (keys.length < 8) {
        if (keys.includes(k.v)) dup = true;
      } else {
        if (!seen) seen = new Set(keys);
        if (seen.has(k.v)) dup = true;
        seen.add(k.v);
      }
      keys.push(k.v);
      vals.push(v);
      this.ws();
      const c = this.b[this.i];
      if (c === 44) {
        this.i++;
        continue;
      }
      if (c === 125) {
        this.i++;
        return { t: "obj", s, e: this.i, keys, vals, dup };
      }
      this.err("expected ',' or '}'");
    }
  }
  array(depth, skimItems = false) {
    if (depth > MAX_DEPTH) this.err("recursion limit exceeded");
    if (this.b[this.i] !== 91) return skimItems ? this.value(depth - 1) : this.err("expected '['");
    const s = this.i++;
    const items = [];
    this.ws();
    if (this.b[this.i] === 93) {
      this.i++;
      return { t: "arr", s, e: this.i, items };
    }
    for (; ; ) {
      this.ws();
      items.push(skimItems ? this.skimValue(depth) : this.value(depth));
      this.ws();
      const c = this.b[this.i];
      if (c === 44) {
        this.i++;
        continue;
      }
      if (c === 93) {
        this.i++;
        return { t: "arr", s, e: this.i, items };
      }
      this.err("expected ',' or ']'");
    }
  }
  number() {
    const b = this.b;
    const s = this.i;
    let i = s;
    if (b[i] === 45) i++;
    if (b[i] === 48) i++;
    else if (b[i] >= 49 && b[i] <= 57) while (b[i] >= 48 && b[i] <= 57) i++;
    else {
      this.i = i;
      this.err("invalid number");
    }
    if (b[i] === 46) {
      i++;
      if (!(b[i] >= 48 && b[i] <= 57)) {
        this.i = i;
        this.err("invalid number");
      }
      while (b[i] >= 48 && b[i] <= 57) i++;
    }
    if (b[i] === 101 || b[i] === 69) {
      i++;
      if (b[i] === 43 || b[i] === 45) i++;
      if (!(b[i] >= 48 && b[i] <= 57)) {
        this.i = i;
        this.err("invalid number");
      }
      while (b[i] >= 48 && b[i] <= 57) i++;
    }
    this.i = i;
    let raw = "";
    for (let k = s; k < i; k++) raw += String.fromCharCode(b[k]);
    return { t: "num", s, e: i, raw };
  }
  string() {
    const b = this.b;
    const s = this.i;
    let i = s + 1;
    let ascii2 = true;
    for (; ; ) {
      if (i >= b.length) {
        this.i = i;
        this.err("unterminated string");
      }
      const c = b[i];
      if (c === 34) break;
      if (c === 92 || c >= 128) {
        ascii2 = false;
        break;
      }
      if (c < 32) {
        this.i = i;
        this.err("control character in a string");
      }
      i++;
    }
    if (ascii2) {
      let v = "";
      for (let k = s + 1; k < i; k++) v += String.fromCharCode(b[k]);
      this.i = i + 1;
      return { t: "str", s, e: this.i, v, lone: false };
    }
    const parts = [];
    let run2 = s + 1;
    let lone = false;
    i = s + 1;
    for (; ; ) {
      if (i >= b.length) {
        this.i = i;
        this.err("unterminated string");
      }
      const c = b[i];
      if (c === 34) break;
      if (c < 32) {
        this.i = i;
        this.err("control character in a string");
      }
      if (c >= 128) {
        i = this.utf8Run(i);
        continue;
      }
      if (c !== 92) {
        i++;
        continue;
      }
      if (run2 < i) parts.push(decoder.decode(b.subarray(run2, i)));
      const x = b[i + 1];
      i += 2;
      switch (x) {
        case 34:
          parts.push('"');
          break;
        case 92:
          parts.push("\\");
          break;
        case 47:
          parts.push("/");
          break;
        case 98:
          parts.push("\b");
          break;
        case 102:
          parts.push("\f");
          break;
        case 110:
          parts.push("\n");
          break;
        case 114:
          parts.push("\r");
          break;
        case 116:
          parts.push("	");
          break;
        case 117: {
          const h = this.hex4(i);
          i += 4;
          if (h >= 55296 && h <= 56319) {
            if (b[i] === 92 && b[i + 1] === 117) {
              const l = this.hex4(i + 2);
              if (l >= 56320 && l <= 57343) {
                parts.push(String.fromCharCode(h, l));
                i += 6;
                break;
              }
            }
            lone = true;
            parts.push(String.fromCharCode(h));
          } else {
            if (h >= 56320 && h <= 57343) lone = true;
            parts.push(String.fromCharCode(h));
          }
          break;
        }
        default:
          this.i = i - 1;
          this.err("invalid escape");
      }
      run2 = i;
    }
    if (run2 < i) parts.push(decoder.decode(b.subarray(run2, i)));
    this.i = i + 1;
    return { t: "str", s, e: this.i, v: parts.join(""), lone };
  }
  hex4(at) {
    let v = 0;
    for (let k = 0; k < 4; k++) {
      const c = this.b[at + k];
      let d;
      if (c >= 48 && c <= 57) d = c - 48;
      else if (c >= 97 && c <= 102) d = c - 87;
      else if (c >= 65 && c <= 70) d = c - 55;
      else {
        this.i = at + k;
        return this.err("invalid \\u escape");
      }
      v = v * 16 + d;
    }
    return v;
  }
};
function member(o, k) {
  if (o.t !== "obj") return void 0;
  for (let i = o.keys.length - 1; i >= 0; i--) if (o.keys[i] === k) return o.vals[i];
  return void 0;
}

// src/bytes.ts
var enc = new TextEncoder();
var utf8 = (s) => enc.encode(s);
var dec = new TextDecoder("utf-8", { fatal: true });
var fromUtf8 = (b) => dec.decode(b);
var HEX = "0123456789abcdef";
var HEXTAB = [];
for (let i = 0; i < 256; i++) HEXTAB.push(HEX[i >> 4] + HEX[i & 15]);
function toHex(b) {
  let s = "";
  for (let i = 0; i < b.length; i++) s += HEXTAB[b[i]];
  return s;
}
function hexExact(s, n) {
  if (s.length !== 2 * n) return null;
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const a = nib(s.charCodeAt(2 * i));
    const b = nib(s.charCodeAt(2 * i + 1));
    if (a < 0 || b < 0) return null;
    out[i] = a << 4 | b;
  }
  return out;
}
function nib(c) {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  return -1;
}
var B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
var B64REV = new Int16Array(128).fill(-1);
for (let i = 0; i < 64; i++) B64REV[B64.charCodeAt(i)] = i;
function b64decode(s) {
  if (s.length % 4 !== 0) return null;
  const pad = s.endsWith("==") ? 2 : s.endsWith("=") ? 1 : 0;
  const body2 = s.length - pad;
  const out = new Uint8Array(s.length / 4 * 3 - pad);
  let acc = 0;
  let bits = 0;
  let o = 0;
  for (let i = 0; i < body2; i++) {
    const c = s.charCodeAt(i);
    const d = c < 128 ? B64REV[c] : -1;
    if (d < 0) return null;
    acc = acc << 6 | d;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = acc >> bits & 255;
      acc &= (1 << bits) - 1;
    }
  }
  if (acc !== 0) return null;
  return out;
}
function b64encode(b) {
  let s = "";
  for (let i = 0; i < b.length; i += 3) {
    const x = b[i] << 16 | (b[i + 1] ?? 0) << 8 | (b[i + 2] ?? 0);
    s += B64[x >> 18 & 63] + B64[x >> 12 & 63];
    s += i + 1 < b.length ? B64[x >> 6 & 63] : "=";
    s += i + 2 < b.length ? B64[x & 63] : "=";
  }
  return s;
}
function concat(...parts) {
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
function eq(a, b) {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
function u32be(x) {
  return new Uint8Array([x >>> 24 & 255, x >>> 16 & 255, x >>> 8 & 255, x & 255]);
}
function u64be(x) {
  const out = new Uint8Array(8);
  for (let i = 7; i >= 0; i--) {
    out[i] = Number(x & 0xffn);
    x >>= 8n;
  }
  return out;
}
function lp(x) {
  return concat(u32be(x.length), x);
}

// ../../node_modules/@noble/hashes/_u64.js
var U32_MASK64 = /* @__PURE__ */ (() => BigInt(2 ** 32 - 1))();
var _32n = /* @__PURE__ */ BigInt(32);
function fromBig(n, le2 = false) {
  if (le2)
    return { h: Number(n & U32_MASK64), l: Number(n >> _32n & U32_MASK64) };
  return { h: Number(n >> _32n & U32_MASK64) | 0, l: Number(n & U32_MASK64) | 0 };
}
function split(lst, le2 = false) {
  const len = lst.length;
  let Ah = new Uint32Array(len);
  let Al = new Uint32Array(len);
  for (let i = 0; i < len; i++) {
    const { h, l } = fromBig(lst[i], le2);
    [Ah[i], Al[i]] = [h, l];
  }
  return [Ah, Al];
}
var fromNumH = (n) => n / 2 ** 32 | 0;
var fromNumL = (n) => n >>> 0;
function setU64FromNum(view, byteOffset, n, isLE2) {
  const h = fromNumH(n);
  const l = fromNumL(n);
  view.setUint32(byteOffset, isLE2 ? l : h, isLE2);
  view.setUint32(byteOffset + 4, isLE2 ? h : l, isLE2);
}
var shrSH = (h, _l, s) => h >>> s;
var shrSL = (h, l, s) => h << 32 - s | l >>> s;
var rotrSH = (h, l, s) => h >>> s | l << 32 - s;
var rotrSL = (h, l, s) => h << 32 - s | l >>> s;
var rotrBH = (h, l, s) => h << 64 - s | l >>> s - 32;
var rotrBL = (h, l, s) => h >>> s - 32 | l << 64 - s;
function add(Ah, Al, Bh, Bl) {
  const l = (Al >>> 0) + (Bl >>> 0);
  return { h: Ah + Bh + (l / 2 ** 32 | 0) | 0, l: l | 0 };
}
var add3L = (Al, Bl, Cl) => (Al >>> 0) + (Bl >>> 0) + (Cl >>> 0);
var add3H = (low, Ah, Bh, Ch) => Ah + Bh + Ch + (low / 2 ** 32 | 0) | 0;
var add4L = (Al, Bl, Cl, Dl) => (Al >>> 0) + (Bl >>> 0) + (Cl >>> 0) + (Dl >>> 0);
var add4H = (low, Ah, Bh, Ch, Dh) => Ah + Bh + Ch + Dh + (low / 2 ** 32 | 0) | 0;
var add5L = (Al, Bl, Cl, Dl, El) => (Al >>> 0) + (Bl >>> 0) + (Cl >>> 0) + (Dl >>> 0) + (El >>> 0);
var add5H = (low, Ah, Bh, Ch, Dh, Eh) => Ah + Bh + Ch + Dh + Eh + (low / 2 ** 32 | 0) | 0;

// ../../node_modules/@noble/hashes/utils.js
function isBytes(a) {
  return a instanceof Uint8Array || ArrayBuffer.isView(a) && a.constructor.name === "Uint8Array" && "BYTES_PER_ELEMENT" in a && a.BYTES_PER_ELEMENT === 1;
}
var atitle = (title) => title ? `"${title}" ` : "";
function anumber(n, title = "") {
  if (typeof n !== "number")
    throw new TypeError(atitle(title) + "expected number, got " + typeof n);
  if (!Number.isSafeInteger(n) || n < 0)
    throw new RangeError(atitle(title) + "expected integer >= 0, got " + n);
  return n;
}
function abytes(value, length, title = "") {
  if (isBytes(value) && (length === void 0 || value.length === length))
    return value;
  if (length !== void 0)
    anumber(length, "length");
  const bytes = isBytes(value);
  const ofLen = length !== void 0 ? ` of length ${length}` : "";
  const got = bytes ? `length=${value.length}` : `type=${typeof value}`;
  const message = atitle(title) + "expected Uint8Array" + ofLen + ", got " + got;
  if (!bytes)
    throw new TypeError(message);
  throw new RangeError(message);
}
var aobject = (value, label) => {
  if (value === null || typeof value !== "object" || Array.isArray(value))
    throw new TypeError((label === "object" ? "" : `"${label}" `) + "expected object, got type=" + typeof value);
};
var aopts = (value, label) => {
  aobject(value, label);
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null)
    throw new TypeError(`"${label}" expected plain object`);
  if (Object.hasOwn(value, "__proto__"))
    throw new TypeError(`"${label}.__proto__" is not allowed`);
};
function aexists(instance, checkFinished = true) {
  if (instance.destroyed)
    throw new Error("hash was destroyed");
  if (checkFinished && instance.finished)
    throw new Error("digest() was already called");
}
function aoutput(out, instance) {
  abytes(out, void 0, "output");
  const min = instance.outputLen;
  if (!(out.length >= min)) {
    throw new RangeError('"output" expected length >= ' + min);
  }
}
function clean(...arrays) {
  for (let i = 0; i < arrays.length; i++) {
    arrays[i].fill(0);
  }
}
function createView(arr3) {
  return new DataView(arr3.buffer, arr3.byteOffset, arr3.byteLength);
}
function rotr(word, shift) {
  return word << 32 - shift | word >>> shift;
}
var hasHexBuiltin = /* @__PURE__ */ (() => (
  // @ts-ignore
  typeof Uint8Array.from([]).toHex === "function" && typeof Uint8Array.fromHex === "function"
))();
var hexes = /* @__PURE__ */ Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));
function bytesToHex(bytes) {
  abytes(bytes);
  if (hasHexBuiltin)
    return bytes.toHex();
  let hex = "";
  for (let i = 0; i < bytes.length; i++) {
    hex += hexes[bytes[i]];
  }
  return hex;
}
function asciiToBase16(ch) {
  return ch >= 48 && ch <= 57 ? ch - 48 : ch >= 65 && ch <= 70 ? ch - (65 - 10) : ch >= 97 && ch <= 102 ? ch - (97 - 10) : void 0;
}
function hexToBytes(hex) {
  if (typeof hex !== "string")
    throw new TypeError("hex string expected, got " + typeof hex);
  if (hasHexBuiltin) {
    try {
      return Uint8Array.fromHex(hex);
    } catch (error) {
      if (error instanceof SyntaxError)
        throw new RangeError(error.message);
      throw error;
    }
  }
  const hl = hex.length;
  const al = hl / 2;
  if (hl % 2)
    throw new RangeError("hex string expected, got unpadded hex of length " + hl);
  const array = new Uint8Array(al);
  for (let ai = 0, hi = 0; ai < al; ai++, hi += 2) {
    const n1 = asciiToBase16(hex.charCodeAt(hi));
    const n2 = asciiToBase16(hex.charCodeAt(hi + 1));
    if (n1 === void 0 || n2 === void 0) {
      const char = hex[hi] + hex[hi + 1];
      throw new RangeError('hex string expected, got non-hex character "' + char + '" at index ' + hi);
    }
    array[ai] = n1 * 16 + n2;
  }
  return array;
}
function concatBytes(...arrays) {
  let sum = 0;
  for (let i = 0; i < arrays.length; i++) {
    const a = arrays[i];
    abytes(a);
    sum += a.length;
  }
  const res = new Uint8Array(sum);
  for (let i = 0, pad = 0; i < arrays.length; i++) {
    const a = arrays[i];
    res.set(a, pad);
    pad += a.length;
  }
  return res;
}
function checkOpts(defaults, opts, title = "opts") {
  aopts(defaults, "defaults");
  if (opts !== void 0)
    aopts(opts, title);
  const merged = Object.assign(/* @__PURE__ */ Object.create(null), defaults, opts);
  return merged;
}
function createHasher(hashCons, info = {}) {
  if (typeof hashCons !== "function")
    throw new TypeError('"hashCons" expected function, got type=' + typeof hashCons);
  info = checkOpts({}, info, "info");
  const hashC = (msg, opts) => hashCons(opts).update(msg).digest();
  const tmp = hashCons(void 0);
  hashC.outputLen = tmp.outputLen;
  hashC.blockLen = tmp.blockLen;
  hashC.canXOF = tmp.canXOF;
  hashC.create = (opts) => hashCons(opts);
  Object.assign(hashC, info);
  return Object.freeze(hashC);
}
function randomBytes(bytesLength = 32) {
  anumber(bytesLength, "bytesLength");
  const cr = typeof globalThis === "object" ? globalThis.crypto : null;
  if (typeof cr?.getRandomValues !== "function")
    throw new Error("crypto.getRandomValues must be defined");
  if (bytesLength > 65536)
    throw new RangeError(`"bytesLength" expected <= 65536, got ${bytesLength}`);
  return cr.getRandomValues(new Uint8Array(bytesLength));
}
var oidNist = (suffix) => ({
  // Current NIST hashAlgs suffixes used here fit in one DER subidentifier octet.
  // Larger suffix values would need base-128 OID encoding and a different length byte.
  oid: Uint8Array.from([6, 9, 96, 134, 72, 1, 101, 3, 4, 2, suffix])
});

// ../../node_modules/@noble/hashes/_md.js
function Chi(a, b, c) {
  return a & b ^ ~a & c;
}
function Maj(a, b, c) {
  return a & b ^ a & c ^ b & c;
}
var HashMD = class {
  blockLen;
  outputLen;
  canXOF = false;
  padOffset;
  isLE;
  // For partial updates less than block size
  buffer;
  view;
  finished = false;
  length = 0;
  pos = 0;
  destroyed = false;
  constructor(blockLen, outputLen, padOffset, isLE2) {
    this.blockLen = blockLen;
    this.outputLen = outputLen;
    this.padOffset = padOffset;
    this.isLE = isLE2;
    this.buffer = new Uint8Array(blockLen);
    this.view = createView(this.buffer);
  }
  update(data) {
    aexists(this);
    abytes(data);
    const { view, buffer, blockLen } = this;
    const len = data.length;
    let processed = false;
    for (let pos = 0; pos < len; ) {
      const take = Math.min(blockLen - this.pos, len - pos);
      if (take === blockLen) {
        const dataView = createView(data);
        for (; blockLen <= len - pos; pos += blockLen)
          this.process(dataView, pos);
        processed = true;
        continue;
      }
      buffer.set(pos === 0 && take === len ? data : data.subarray(pos, pos + take), this.pos);
      this.pos += take;
      pos += take;
      if (this.pos === blockLen) {
        this.process(view, 0);
        this.pos = 0;
        processed = true;
      }
    }
    this.length += data.length;
    if (processed)
      this.roundClean();
    return this;
  }
  digestInto(out) {
    aexists(this);
    aoutput(out, this);
    this.finished = true;
    const { buffer, view, blockLen, isLE: isLE2 } = this;
    let { pos } = this;
    buffer[pos++] = 128;
    buffer.fill(0, pos);
    if (this.padOffset > blockLen - pos) {
      this.process(view, 0);
      buffer.fill(0);
    }
    setU64FromNum(view, blockLen - 8, this.length * 8, isLE2);
    this.process(view, 0);
    this.roundClean();
    const oview = out === buffer ? view : createView(out);
    const len = this.outputLen;
    const outLen = len / 4;
    const state = this.get();
    if (len % 4 || outLen > state.length)
      throw new Error("invalid outputLen");
    for (let i = 0; i < outLen; i++)
      oview.setUint32(4 * i, state[i], isLE2);
  }
  digest() {
    const { buffer, outputLen } = this;
    this.digestInto(buffer);
    const res = buffer.slice(0, outputLen);
    this.destroy();
    return res;
  }
  _cloneIntoMeta(to) {
    const { buffer, length, finished, destroyed, pos } = this;
    to.destroyed = destroyed;
    to.finished = finished;
    to.length = length;
    to.pos = pos;
    if (pos)
      to.buffer.set(buffer);
    return to;
  }
  clone() {
    return this._cloneInto();
  }
};
var SHA256_IV = /* @__PURE__ */ Uint32Array.from([
  1779033703,
  3144134277,
  1013904242,
  2773480762,
  1359893119,
  2600822924,
  528734635,
  1541459225
]);
var SHA512_IV = /* @__PURE__ */ Uint32Array.from([
  1779033703,
  4089235720,
  3144134277,
  2227873595,
  1013904242,
  4271175723,
  2773480762,
  1595750129,
  1359893119,
  2917565137,
  2600822924,
  725511199,
  528734635,
  4215389547,
  1541459225,
  327033209
]);

// ../../node_modules/@noble/hashes/sha2.js
var SHA256_K = /* @__PURE__ */ Uint32Array.from([
  1116352408,
  1899447441,
  3049323471,
  3921009573,
  961987163,
  1508970993,
  2453635748,
  2870763221,
  3624381080,
  310598401,
  607225278,
  1426881987,
  1925078388,
  2162078206,
  2614888103,
  3248222580,
  3835390401,
  4022224774,
  264347078,
  604807628,
  770255983,
  1249150122,
  1555081692,
  1996064986,
  2554220882,
  2821834349,
  2952996808,
  3210313671,
  3336571891,
  3584528711,
  113926993,
  338241895,
  666307205,
  773529912,
  1294757372,
  1396182291,
  1695183700,
  1986661051,
  2177026350,
  2456956037,
  2730485921,
  2820302411,
  3259730800,
  3345764771,
  3516065817,
  3600352804,
  4094571909,
  275423344,
  430227734,
  506948616,
  659060556,
  883997877,
  958139571,
  1322822218,
  1537002063,
  1747873779,
  1955562222,
  2024104815,
  2227730452,
  2361852424,
  2428436474,
  2756734187,
  3204031479,
  3329325298
]);
var SHA256_W = /* @__PURE__ */ new Uint32Array(64);
var SHA2_32B = class extends HashMD {
  // We cannot use array here since array allows indexing by variable
  // which means optimizer/compiler cannot use registers.
  // Numeric initializers matter: starting the fields as `undefined` changes
  // V8's field representation and makes sha256 3x slower (measured).
  A = 0;
  B = 0;
  C = 0;
  D = 0;
  E = 0;
  F = 0;
  G = 0;
  H = 0;
  constructor(outputLen, IV) {
    super(64, outputLen, 8, false);
    this.A = IV[0] | 0;
    this.B = IV[1] | 0;
    this.C = IV[2] | 0;
    this.D = IV[3] | 0;
    this.E = IV[4] | 0;
    this.F = IV[5] | 0;
    this.G = IV[6] | 0;
    this.H = IV[7] | 0;
  }
  get() {
    const { A, B, C, D, E, F, G, H } = this;
    return [A, B, C, D, E, F, G, H];
  }
  // prettier-ignore
  set(A, B, C, D, E, F, G, H) {
    this.A = A | 0;
    this.B = B | 0;
    this.C = C | 0;
    this.D = D | 0;
    this.E = E | 0;
    this.F = F | 0;
    this.G = G | 0;
    this.H = H | 0;
  }
  _cloneInto(to) {
    (to ||= new this.constructor()).set(...this.get());
    return this._cloneIntoMeta(to);
  }
  process(view, offset) {
    for (let i = 0; i < 16; i++, offset += 4)
      SHA256_W[i] = view.getUint32(offset, false);
    for (let i = 16; i < 64; i++) {
      const W15 = SHA256_W[i - 15];
      const W2 = SHA256_W[i - 2];
      const s0 = rotr(W15, 7) ^ rotr(W15, 18) ^ W15 >>> 3;
      const s1 = rotr(W2, 17) ^ rotr(W2, 19) ^ W2 >>> 10;
      SHA256_W[i] = s1 + SHA256_W[i - 7] + s0 + SHA256_W[i - 16] | 0;
    }
    let { A, B, C, D, E, F, G, H } = this;
    for (let i = 0; i < 64; i++) {
      const sigma1 = rotr(E, 6) ^ rotr(E, 11) ^ rotr(E, 25);
      const T1 = H + sigma1 + Chi(E, F, G) + SHA256_K[i] + SHA256_W[i] | 0;
      const sigma0 = rotr(A, 2) ^ rotr(A, 13) ^ rotr(A, 22);
      const T2 = sigma0 + Maj(A, B, C) | 0;
      H = G;
      G = F;
      F = E;
      E = D + T1 | 0;
      D = C;
      C = B;
      B = A;
      A = T1 + T2 | 0;
    }
    A = A + this.A | 0;
    B = B + this.B | 0;
    C = C + this.C | 0;
    D = D + this.D | 0;
    E = E + this.E | 0;
    F = F + this.F | 0;
    G = G + this.G | 0;
    H = H + this.H | 0;
    this.set(A, B, C, D, E, F, G, H);
  }
  roundClean() {
    clean(SHA256_W);
  }
  destroy() {
    this.destroyed = true;
    this.set(0, 0, 0, 0, 0, 0, 0, 0);
    clean(this.buffer);
  }
};
var _SHA256 = class extends SHA2_32B {
  constructor() {
    super(32, SHA256_IV);
  }
};
var K512 = /* @__PURE__ */ (() => split([
  "0x428a2f98d728ae22",
  "0x7137449123ef65cd",
  "0xb5c0fbcfec4d3b2f",
  "0xe9b5dba58189dbbc",
  "0x3956c25bf348b538",
  "0x59f111f1b605d019",
  "0x923f82a4af194f9b",
  "0xab1c5ed5da6d8118",
  "0xd807aa98a3030242",
  "0x12835b0145706fbe",
  "0x243185be4ee4b28c",
  "0x550c7dc3d5ffb4e2",
  "0x72be5d74f27b896f",
  "0x80deb1fe3b1696b1",
  "0x9bdc06a725c71235",
  "0xc19bf174cf692694",
  "0xe49b69c19ef14ad2",
  "0xefbe4786384f25e3",
  "0x0fc19dc68b8cd5b5",
  "0x240ca1cc77ac9c65",
  "0x2de92c6f592b0275",
  "0x4a7484aa6ea6e483",
  "0x5cb0a9dcbd41fbd4",
  "0x76f988da831153b5",
  "0x983e5152ee66dfab",
  "0xa831c66d2db43210",
  "0xb00327c898fb213f",
  "0xbf597fc7beef0ee4",
  "0xc6e00bf33da88fc2",
  "0xd5a79147930aa725",
  "0x06ca6351e003826f",
  "0x142929670a0e6e70",
  "0x27b70a8546d22ffc",
  "0x2e1b21385c26c926",
  "0x4d2c6dfc5ac42aed",
  "0x53380d139d95b3df",
  "0x650a73548baf63de",
  "0x766a0abb3c77b2a8",
  "0x81c2c92e47edaee6",
  "0x92722c851482353b",
  "0xa2bfe8a14cf10364",
  "0xa81a664bbc423001",
  "0xc24b8b70d0f89791",
  "0xc76c51a30654be30",
  "0xd192e819d6ef5218",
  "0xd69906245565a910",
  "0xf40e35855771202a",
  "0x106aa07032bbd1b8",
  "0x19a4c116b8d2d0c8",
  "0x1e376c085141ab53",
  "0x2748774cdf8eeb99",
  "0x34b0bcb5e19b48a8",
  "0x391c0cb3c5c95a63",
  "0x4ed8aa4ae3418acb",
  "0x5b9cca4f7763e373",
  "0x682e6ff3d6b2b8a3",
  "0x748f82ee5defb2fc",
  "0x78a5636f43172f60",
  "0x84c87814a1f0ab72",
  "0x8cc702081a6439ec",
  "0x90befffa23631e28",
  "0xa4506cebde82bde9",
  "0xbef9a3f7b2c67915",
  "0xc67178f2e372532b",
  "0xca273eceea26619c",
  "0xd186b8c721c0c207",
  "0xeada7dd6cde0eb1e",
  "0xf57d4f7fee6ed178",
  "0x06f067aa72176fba",
  "0x0a637dc5a2c898a6",
  "0x113f9804bef90dae",
  "0x1b710b35131c471b",
  "0x28db77f523047d84",
  "0x32caab7b40c72493",
  "0x3c9ebe0a15c9bebc",
  "0x431d67c49c100d4c",
  "0x4cc5d4becb3e42b6",
  "0x597f299cfc657e2a",
  "0x5fcb6fab3ad6faec",
  "0x6c44198c4a475817"
].map((n) => BigInt(n))))();
var SHA512_Kh = /* @__PURE__ */ (() => K512[0])();
var SHA512_Kl = /* @__PURE__ */ (() => K512[1])();
var SHA512_W_H = /* @__PURE__ */ new Uint32Array(80);
var SHA512_W_L = /* @__PURE__ */ new Uint32Array(80);
var SHA2_64B = class extends HashMD {
  // We cannot use array here since array allows indexing by variable
  // which means optimizer/compiler cannot use registers.
  // h -- high 32 bits, l -- low 32 bits
  // Numeric initializers matter: starting the fields as `undefined` changes
  // V8's field representation and slows hashing down (measured on sha256).
  Ah = 0;
  Al = 0;
  Bh = 0;
  Bl = 0;
  Ch = 0;
  Cl = 0;
  Dh = 0;
  Dl = 0;
  Eh = 0;
  El = 0;
  Fh = 0;
  Fl = 0;
  Gh = 0;
  Gl = 0;
  Hh = 0;
  Hl = 0;
  constructor(outputLen, IV) {
    super(128, outputLen, 16, false);
    this.Ah = IV[0] | 0;
    this.Al = IV[1] | 0;
    this.Bh = IV[2] | 0;
    this.Bl = IV[3] | 0;
    this.Ch = IV[4] | 0;
    this.Cl = IV[5] | 0;
    this.Dh = IV[6] | 0;
    this.Dl = IV[7] | 0;
    this.Eh = IV[8] | 0;
    this.El = IV[9] | 0;
    this.Fh = IV[10] | 0;
    this.Fl = IV[11] | 0;
    this.Gh = IV[12] | 0;
    this.Gl = IV[13] | 0;
    this.Hh = IV[14] | 0;
    this.Hl = IV[15] | 0;
  }
  // prettier-ignore
  get() {
    const { Ah, Al, Bh, Bl, Ch, Cl, Dh, Dl, Eh, El, Fh, Fl, Gh, Gl, Hh, Hl } = this;
    return [Ah, Al, Bh, Bl, Ch, Cl, Dh, Dl, Eh, El, Fh, Fl, Gh, Gl, Hh, Hl];
  }
  // prettier-ignore
  set(Ah, Al, Bh, Bl, Ch, Cl, Dh, Dl, Eh, El, Fh, Fl, Gh, Gl, Hh, Hl) {
    this.Ah = Ah | 0;
    this.Al = Al | 0;
    this.Bh = Bh | 0;
    this.Bl = Bl | 0;
    this.Ch = Ch | 0;
    this.Cl = Cl | 0;
    this.Dh = Dh | 0;
    this.Dl = Dl | 0;
    this.Eh = Eh | 0;
    this.El = El | 0;
    this.Fh = Fh | 0;
    this.Fl = Fl | 0;
    this.Gh = Gh | 0;
    this.Gl = Gl | 0;
    this.Hh = Hh | 0;
    this.Hl = Hl | 0;
  }
  _cloneInto(to) {
    (to ||= new this.constructor()).set(...this.get());
    return this._cloneIntoMeta(to);
  }
  process(view, offset) {
    for (let i = 0; i < 16; i++, offset += 4) {
      SHA512_W_H[i] = view.getUint32(offset);
      SHA512_W_L[i] = view.getUint32(offset += 4);
    }
    for (let i = 16; i < 80; i++) {
      const W15h = SHA512_W_H[i - 15] | 0;
      const W15l = SHA512_W_L[i - 15] | 0;
      const s0h = rotrSH(W15h, W15l, 1) ^ rotrSH(W15h, W15l, 8) ^ shrSH(W15h, W15l, 7);
      const s0l = rotrSL(W15h, W15l, 1) ^ rotrSL(W15h, W15l, 8) ^ shrSL(W15h, W15l, 7);
      const W2h = SHA512_W_H[i - 2] | 0;
      const W2l = SHA512_W_L[i - 2] | 0;
      const s1h = rotrSH(W2h, W2l, 19) ^ rotrBH(W2h, W2l, 61) ^ shrSH(W2h, W2l, 6);
      const s1l = rotrSL(W2h, W2l, 19) ^ rotrBL(W2h, W2l, 61) ^ shrSL(W2h, W2l, 6);
      const SUMl = add4L(s0l, s1l, SHA512_W_L[i - 7], SHA512_W_L[i - 16]);
      const SUMh = add4H(SUMl, s0h, s1h, SHA512_W_H[i - 7], SHA512_W_H[i - 16]);
      SHA512_W_H[i] = SUMh | 0;
      SHA512_W_L[i] = SUMl | 0;
    }
    let { Ah, Al, Bh, Bl, Ch, Cl, Dh, Dl, Eh, El, Fh, Fl, Gh, Gl, Hh, Hl } = this;
    for (let i = 0; i < 80; i++) {
      const sigma1h = rotrSH(Eh, El, 14) ^ rotrSH(Eh, El, 18) ^ rotrBH(Eh, El, 41);
      const sigma1l = rotrSL(Eh, El, 14) ^ rotrSL(Eh, El, 18) ^ rotrBL(Eh, El, 41);
      const CHIh = Eh & Fh ^ ~Eh & Gh;
      const CHIl = El & Fl ^ ~El & Gl;
      const T1ll = add5L(Hl, sigma1l, CHIl, SHA512_Kl[i], SHA512_W_L[i]);
      const T1h = add5H(T1ll, Hh, sigma1h, CHIh, SHA512_Kh[i], SHA512_W_H[i]);
      const T1l = T1ll | 0;
      const sigma0h = rotrSH(Ah, Al, 28) ^ rotrBH(Ah, Al, 34) ^ rotrBH(Ah, Al, 39);
      const sigma0l = rotrSL(Ah, Al, 28) ^ rotrBL(Ah, Al, 34) ^ rotrBL(Ah, Al, 39);
      const MAJh = Ah & Bh ^ Ah & Ch ^ Bh & Ch;
      const MAJl = Al & Bl ^ Al & Cl ^ Bl & Cl;
      Hh = Gh | 0;
      Hl = Gl | 0;
      Gh = Fh | 0;
      Gl = Fl | 0;
      Fh = Eh | 0;
      Fl = El | 0;
      ({ h: Eh, l: El } = add(Dh | 0, Dl | 0, T1h | 0, T1l | 0));
      Dh = Ch | 0;
      Dl = Cl | 0;
      Ch = Bh | 0;
      Cl = Bl | 0;
      Bh = Ah | 0;
      Bl = Al | 0;
      const All = add3L(T1l, sigma0l, MAJl);
      Ah = add3H(All, T1h, sigma0h, MAJh);
      Al = All | 0;
    }
    ({ h: Ah, l: Al } = add(this.Ah | 0, this.Al | 0, Ah | 0, Al | 0));
    ({ h: Bh, l: Bl } = add(this.Bh | 0, this.Bl | 0, Bh | 0, Bl | 0));
    ({ h: Ch, l: Cl } = add(this.Ch | 0, this.Cl | 0, Ch | 0, Cl | 0));
    ({ h: Dh, l: Dl } = add(this.Dh | 0, this.Dl | 0, Dh | 0, Dl | 0));
    ({ h: Eh, l: El } = add(this.Eh | 0, this.El | 0, Eh | 0, El | 0));
    ({ h: Fh, l: Fl } = add(this.Fh | 0, this.Fl | 0, Fh | 0, Fl | 0));
    ({ h: Gh, l: Gl } = add(this.Gh | 0, this.Gl | 0, Gh | 0, Gl | 0));
    ({ h: Hh, l: Hl } = add(this.Hh | 0, this.Hl | 0, Hh | 0, Hl | 0));
    this.set(Ah, Al, Bh, Bl, Ch, Cl, Dh, Dl, Eh, El, Fh, Fl, Gh, Gl, Hh, Hl);
  }
  roundClean() {
    clean(SHA512_W_H, SHA512_W_L);
  }
  destroy() {
    this.destroyed = true;
    clean(this.buffer);
    this.set(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
  }
};
var _SHA512 = class extends SHA2_64B {
  constructor() {
    super(64, SHA512_IV);
  }
};
var sha256 = /* @__PURE__ */ createHasher(
  () => new _SHA256(),
  /* @__PURE__ */ oidNist(1)
);
var sha512 = /* @__PURE__ */ createHasher(
  () => new _SHA512(),
  /* @__PURE__ */ oidNist(3)
);

// ../../node_modules/@noble/curves/utils.js
/*! noble-curves - MIT License (c) 2022 Paul Miller (paulmillr.com) */
function aarray(item, title, inner = () => {
}) {
  if (!Array.isArray(item))
    throw new TypeError(`"${title}" expected array, got type=${typeof item}`);
  for (let i = 0; i < item.length; i++)
    inner(item[i], `${title}[${i}]`);
  return item;
}
var abytes2 = (value, length, title) => abytes(value, length, title);
var anumber2 = anumber;
function aobject2(value, title = "object") {
  if (value === null || typeof value !== "object" || Array.isArray(value))
    throw new TypeError(title === "object" ? "expected valid options object" : `"${title}" expected object, got type=${typeof value}`);
  return value;
}
function afunction(value, title) {
  if (typeof value !== "function")
    throw new TypeError(`"${title}" is invalid: expected function, got ${typeof value}`);
  return value;
}
var bytesToHex2 = bytesToHex;
var concatBytes2 = (...arrays) => concatBytes(...arrays);
var hexToBytes2 = (hex) => hexToBytes(hex);
var isBytes2 = isBytes;
var randomBytes2 = (bytesLength) => randomBytes(bytesLength);
var _0n = /* @__PURE__ */ BigInt(0);
var _1n = /* @__PURE__ */ BigInt(1);
var atitle2 = (title) => title ? `"${title}" ` : "";
function abool(value, title = "") {
  if (typeof value !== "boolean")
    throw new TypeError(atitle2(title) + "expected boolean, got type=" + typeof value);
  return value;
}
function abignumber(n) {
  if (typeof n === "bigint") {
    if (!isPosBig(n))
      throw new RangeError("positive bigint expected, got " + n);
  } else
    anumber2(n);
  return n;
}
function asafenumber(value, title = "") {
  if (typeof value !== "number") {
    const prefix = title && `"${title}" `;
    throw new TypeError(prefix + "expected number, got type=" + typeof value);
  }
  if (!Number.isSafeInteger(value)) {
    const prefix = title && `"${title}" `;
    throw new RangeError(prefix + "expected safe integer, got " + value);
  }
}
function hexToNumber(hex) {
  if (typeof hex !== "string")
    throw new TypeError("hex string expected, got " + typeof hex);
  return hex === "" ? _0n : BigInt("0x" + hex);
}
function bytesToNumberBE(bytes) {
  return hexToNumber(bytesToHex(bytes));
}
function bytesToNumberLE(bytes) {
  return hexToNumber(bytesToHex(copyBytes(abytes(bytes)).reverse()));
}
function numberToBytesBE(n, len) {
  anumber(len);
  if (len === 0)
    throw new Error("zero output length is invalid");
  n = abignumber(n);
  const expectedLen = len * 2;
  const hex = n.toString(16);
  if (hex.length > expectedLen)
    throw new RangeError("number is too large");
  return hexToBytes(hex.padStart(expectedLen, "0"));
}
function numberToBytesLE(n, len) {
  return numberToBytesBE(n, len).reverse();
}
function equalBytes(a, b) {
  a = abytes2(a);
  b = abytes2(b);
  if (a.length !== b.length)
    return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++)
    diff |= a[i] ^ b[i];
  return diff === 0;
}
function copyBytes(bytes) {
  return Uint8Array.from(abytes2(bytes));
}
function asciiToBytes(ascii2) {
  if (typeof ascii2 !== "string")
    throw new TypeError("ascii string expected, got " + typeof ascii2);
  return Uint8Array.from(ascii2, (c, i) => {
    const charCode = c.charCodeAt(0);
    if (c.length !== 1 || charCode > 127) {
      throw new RangeError(`string contains non-ASCII character "${ascii2[i]}" with code ${charCode} at position ${i}`);
    }
    return charCode;
  });
}
function isPosBig(n) {
  return typeof n === "bigint" && _0n <= n;
}
function inRange(n, min, max) {
  return isPosBig(n) && isPosBig(min) && isPosBig(max) && min <= n && n < max;
}
function aInRange(title, n, min, max) {
  if (!inRange(n, min, max))
    throw new RangeError("expected valid " + title + ": " + min + " <= n < " + max + ", got " + n);
}
function bitLen(n) {
  if (n < _0n)
    throw new Error("expected non-negative bigint, got " + n);
  return n === _0n ? 0 : n.toString(2).length;
}
function bitGet(n, pos) {
  if (typeof n !== "bigint")
    throw new TypeError('"n" expected bigint, got type=' + typeof n);
  asafenumber(pos, "pos");
  return n >> BigInt(pos) & _1n;
}
var bitMask = (n) => {
  asafenumber(n, "n");
  return (_1n << BigInt(n)) - _1n;
};
function validateObject(object, fields3 = {}, optFields = {}, title = "object") {
  aobject2(object, title);
  aobject2(fields3, "fields");
  aobject2(optFields, "optFields");
  function checkField(fieldName, expectedType, isOpt) {
    const label = title === "object" ? `param "${String(fieldName)}"` : `"${title}.${String(fieldName)}"`;
    const val = object[fieldName];
    if (!Object.hasOwn(object, fieldName) && (isOpt ? val !== void 0 : expectedType !== "function")) {
      throw new TypeError(`${label} is invalid: expected own property`);
    }
    if (isOpt && val === void 0)
      return;
    const current = typeof val;
    if (current !== expectedType || val === null)
      throw new TypeError(`${label} is invalid: expected ${expectedType}, got ${current}`);
  }
  const iter = (f, isOpt) => Object.entries(f).forEach(([k, v]) => checkField(k, v, isOpt));
  iter(fields3, false);
  iter(optFields, true);
}
var notImplemented = () => {
  throw new Error("not implemented");
};

// ../../node_modules/@noble/curves/abstract/modular.js
/*! noble-curves - MIT License (c) 2022 Paul Miller (paulmillr.com) */
var _0n2 = /* @__PURE__ */ BigInt(0);
var _1n2 = /* @__PURE__ */ BigInt(1);
var _2n = /* @__PURE__ */ BigInt(2);
var _3n = /* @__PURE__ */ BigInt(3);
var _4n = /* @__PURE__ */ BigInt(4);
var _5n = /* @__PURE__ */ BigInt(5);
var _7n = /* @__PURE__ */ BigInt(7);
var _8n = /* @__PURE__ */ BigInt(8);
var _9n = /* @__PURE__ */ BigInt(9);
var _15n = /* @__PURE__ */ BigInt(15);
var _16n = /* @__PURE__ */ BigInt(16);
var POW_WINDOWED_MIN = /* @__PURE__ */ BigInt("0x10000000000000000");
function mod(a, b) {
  if (b <= _0n2)
    throw new Error("mod: expected positive modulus, got " + b);
  const result = a % b;
  return result >= _0n2 ? result : b + result;
}
function pow(num, power, modulo) {
  if (modulo <= _1n2)
    throw new Error("pow: expected modulus > 1, got " + modulo);
  if (typeof power !== "bigint")
    throw new TypeError("invalid exponent: expected bigint, got " + typeof power);
  if (power < _0n2)
    throw new Error("invalid exponent, negatives unsupported");
  if (power === _0n2)
    return _1n2;
  if (power === _1n2)
    return num;
  let d = num % modulo;
  if (d < _0n2)
    d += modulo;
  if (power < POW_WINDOWED_MIN) {
    let p2 = _1n2;
    while (power > _0n2) {
      if (power & _1n2)
        p2 = p2 * d % modulo;
      d = d * d % modulo;
      power >>= _1n2;
    }
    return p2;
  }
  const digits = [];
  while (power > _0n2) {
    digits.push(Number(power & _15n));
    power >>= _4n;
  }
  const table = new Array(16);
  table[0] = _1n2;
  table[1] = d;
  for (let i = 2; i < 16; i++)
    table[i] = table[i - 1] * d % modulo;
  let p = table[digits[digits.length - 1]];
  for (let w = digits.length - 2; w >= 0; w--) {
    p = p * p % modulo;
    p = p * p % modulo;
    p = p * p % modulo;
    p = p * p % modulo;
    const digit2 = digits[w];
    if (digit2 !== 0)
      p = p * table[digit2] % modulo;
  }
  return p;
}
function pow2(x, power, modulo) {
  if (modulo <= _1n2)
    throw new Error("pow2: expected modulus > 1, got " + modulo);
  if (power < _0n2)
    throw new Error("pow2: expected non-negative exponent, got " + power);
  let res = x;
  while (power-- > _0n2) {
    res *= res;
    res %= modulo;
  }
  return res;
}
function invert(number, modulo) {
  if (number === _0n2)
    throw new Error("invert: expected non-zero number");
  if (modulo <= _1n2)
    throw new Error("invert: expected modulus > 1, got " + modulo);
  let a = mod(number, modulo);
  let b = modulo;
  let x = _0n2, u = _1n2;
  while (a !== _0n2) {
    const q = b / a;
    const r = b - a * q;
    const m = x - u * q;
    b = a, a = r, x = u, u = m;
  }
  const gcd = b;
  if (gcd !== _1n2)
    throw new Error("invert: does not exist");
  return mod(x, modulo);
}
function assertIsSquare(Fp3, root, n) {
  const F = Fp3;
  if (!F.eql(F.sqr(root), n))
    throw new Error("Cannot find square root");
}
function aoddModulus(order, fnName) {
  if ((order & _1n2) === _0n2)
    throw new Error(fnName + ": expected odd modulus, got " + order);
}
function sqrt3mod4(Fp3, n) {
  const F = Fp3;
  const p1div4 = (F.ORDER + _1n2) / _4n;
  const root = F.pow(n, p1div4);
  assertIsSquare(F, root, n);
  return root;
}
function sqrt5mod8(Fp3, n) {
  const F = Fp3;
  const p5div8 = (F.ORDER - _5n) / _8n;
  const n2 = F.mul(n, _2n);
  const v = F.pow(n2, p5div8);
  const nv = F.mul(n, v);
  const i = F.mul(F.mul(nv, _2n), v);
  const root = F.mul(nv, F.sub(i, F.ONE));
  assertIsSquare(F, root, n);
  return root;
}
function sqrt9mod16(P) {
  const Fp_ = Field(P);
  const tn = tonelliShanks(P);
  const c1 = tn(Fp_, Fp_.neg(Fp_.ONE));
  const c2 = tn(Fp_, c1);
  const c3 = tn(Fp_, Fp_.neg(c1));
  const c4 = (P + _7n) / _16n;
  return ((Fp3, n) => {
    const F = Fp3;
    let tv1 = F.pow(n, c4);
    let tv2 = F.mul(tv1, c1);
    const tv3 = F.mul(tv1, c2);
    const tv4 = F.mul(tv1, c3);
    const e1 = F.eql(F.sqr(tv2), n);
    const e2 = F.eql(F.sqr(tv3), n);
    tv1 = F.cmov(tv1, tv2, e1);
    tv2 = F.cmov(tv4, tv3, e2);
    const e3 = F.eql(F.sqr(tv2), n);
    const root = F.cmov(tv1, tv2, e3);
    assertIsSquare(F, root, n);
    return root;
  });
}
function tonelliShanks(P) {
  if (P < _3n)
    throw new Error("sqrt is not defined for small field");
  aoddModulus(P, "tonelliShanks");
  let Q = P - _1n2;
  let S = 0;
  while (Q % _2n === _0n2) {
    Q /= _2n;
    S++;
  }
  let Z = _2n;
  const _Fp = Field(P);
  while (FpLegendre(_Fp, Z) === 1) {
    if (Z++ > 1e3)
      throw new Error("Cannot find square root: probably non-prime P");
  }
  if (S === 1)
    return sqrt3mod4;
  let cc = _Fp.pow(Z, Q);
  const Q1div2 = (Q + _1n2) / _2n;
  return function tonelliSlow(Fp3, n) {
    const F = Fp3;
    if (F.is0(n))
      return n;
    if (FpLegendre(F, n) !== 1)
      throw new Error("Cannot find square root");
    let M = S;
    let c = F.mul(F.ONE, cc);
    let t = F.pow(n, Q);
    let R = F.pow(n, Q1div2);
    while (!F.eql(t, F.ONE)) {
      if (F.is0(t))
        throw new Error("Cannot find square root: probably non-prime P");
      let i = 1;
      let t_tmp = F.sqr(t);
      while (!F.eql(t_tmp, F.ONE)) {
        i++;
        t_tmp = F.sqr(t_tmp);
        if (i === M)
          throw new Error("Cannot find square root");
      }
      const exponent = _1n2 << BigInt(M - i - 1);
      const b = F.pow(c, exponent);
      M = i;
      c = F.sqr(b);
      t = F.mul(t, c);
      R = F.mul(R, b);
    }
    return R;
  };
}
function FpSqrt(P) {
  aoddModulus(P, "Fp.sqrt");
  if (P % _4n === _3n)
    return sqrt3mod4;
  if (P % _8n === _5n)
    return sqrt5mod8;
  if (P % _16n === _9n)
    return sqrt9mod16(P);
  return tonelliShanks(P);
}
var isNegativeLE = (num, modulo) => (mod(num, modulo) & _1n2) === _1n2;
var FIELD_FIELDS = [
  "create",
  "isValid",
  "is0",
  "neg",
  "inv",
  "sqrt",
  "sqr",
  "eql",
  "add",
  "sub",
  "mul",
  "pow",
  "div",
  "addN",
  "subN",
  "mulN",
  "sqrN"
];
function validateField(field) {
  aobject2(field, "field");
  if (typeof field.ORDER !== "bigint")
    throw new TypeError('param "ORDER" is invalid: expected bigint, got ' + typeof field.ORDER);
  asafenumber(field.BYTES, "BYTES");
  asafenumber(field.BITS, "BITS");
  for (const name of FIELD_FIELDS)
    afunction(field[name], "field." + name);
  if (field.BYTES < 1 || field.BITS < 1)
    throw new Error("invalid field: expected BYTES/BITS > 0");
  if (field.ORDER <= _1n2)
    throw new Error("invalid field: expected ORDER > 1, got " + field.ORDER);
  return field;
}
function FpPow(Fp3, num, power) {
  validateField(Fp3);
  const F = Fp3;
  if (typeof power !== "bigint")
    throw new TypeError("invalid exponent: expected bigint, got " + typeof power);
  if (power < _0n2)
    throw new Error("invalid exponent, negatives unsupported");
  if (power === _0n2)
    return F.ONE;
  if (power === _1n2)
    return num;
  if (power < POW_WINDOWED_MIN) {
    let p2 = F.ONE;
    let d = num;
    while (power > _0n2) {
      if (power & _1n2)
        p2 = F.mul(p2, d);
      d = F.sqr(d);
      power >>= _1n2;
    }
    return p2;
  }
  const digits = [];
  while (power > _0n2) {
    digits.push(Number(power & _15n));
    power >>= _4n;
  }
  const table = new Array(16);
  table[0] = F.ONE;
  table[1] = num;
  for (let i = 2; i < 16; i++)
    table[i] = F.mul(table[i - 1], num);
  let p = table[digits[digits.length - 1]];
  for (let w = digits.length - 2; w >= 0; w--) {
    p = F.sqr(F.sqr(F.sqr(F.sqr(p))));
    const digit2 = digits[w];
    if (digit2 !== 0)
      p = F.mul(p, table[digit2]);
  }
  return p;
}
function FpInvertBatch(Fp3, nums, passZero = false) {
  validateField(Fp3);
  aarray(nums, "nums");
  abool(passZero, "passZero");
  const F = Fp3;
  const inverted = new Array(nums.length).fill(passZero ? F.ZERO : void 0);
  const multipliedAcc = nums.reduce((acc, num, i) => {
    if (F.is0(num))
      return acc;
    inverted[i] = acc;
    return F.mul(acc, num);
  }, F.ONE);
  const invertedAcc = F.inv(multipliedAcc);
  nums.reduceRight((acc, num, i) => {
    if (F.is0(num))
      return acc;
    inverted[i] = F.mul(acc, inverted[i]);
    return F.mul(acc, num);
  }, invertedAcc);
  return inverted;
}
function FpLegendre(Fp3, n) {
  validateField(Fp3);
  const F = Fp3;
  aoddModulus(F.ORDER, "FpLegendre");
  const p1mod2 = (F.ORDER - _1n2) / _2n;
  const powered = F.pow(n, p1mod2);
  const yes = F.eql(powered, F.ONE);
  const zero = F.eql(powered, F.ZERO);
  const no = F.eql(powered, F.neg(F.ONE));
  if (!yes && !zero && !no)
    throw new Error("invalid Legendre symbol result");
  return yes ? 1 : zero ? 0 : -1;
}
function FpIsSquare(Fp3, n) {
  const l = FpLegendre(Fp3, n);
  return l !== -1;
}
function nLength(n, nBitLength) {
  if (nBitLength !== void 0)
    anumber2(nBitLength);
  if (n <= _0n2)
    throw new Error("invalid n length: expected positive n, got " + n);
  if (nBitLength !== void 0 && nBitLength < 1)
    throw new Error("invalid n length: expected positive bit length, got " + nBitLength);
  const bits = bitLen(n);
  if (nBitLength !== void 0 && nBitLength < bits)
    throw new Error(`invalid n length: expected nBitLength (${nBitLength}) >= bitLen(n) (${bits})`);
  const _nBitLength = nBitLength !== void 0 ? nBitLength : bits;
  const nByteLength = Math.ceil(_nBitLength / 8);
  return { nBitLength: _nBitLength, nByteLength };
}
var FIELD_SQRT = /* @__PURE__ */ new WeakMap();
var _Field = class {
  ORDER;
  BITS;
  BYTES;
  isLE;
  ZERO = _0n2;
  ONE = _1n2;
  _lengths;
  _mod;
  constructor(ORDER, opts = {}) {
    if (ORDER <= _1n2)
      throw new Error("invalid field: expected ORDER > 1, got " + ORDER);
    let _nbitLength = void 0;
    this.isLE = false;
    if (opts != null && typeof opts === "object") {
      if (typeof opts.BITS === "number")
        _nbitLength = opts.BITS;
      if (typeof opts.sqrt === "function")
        Object.defineProperty(this, "sqrt", { value: opts.sqrt, enumerable: true });
      if (typeof opts.isLE === "boolean")
        this.isLE = opts.isLE;
      if (opts.allowedLengths)
        this._lengths = Object.freeze(opts.allowedLengths.slice());
      if (typeof opts.modFromBytes === "boolean")
        this._mod = opts.modFromBytes;
    }
    const { nBitLength, nByteLength } = nLength(ORDER, _nbitLength);
    if (nByteLength > 2048)
      throw new Error("invalid field: expected ORDER of <= 2048 bytes");
    this.ORDER = ORDER;
    this.BITS = nBitLength;
    this.BYTES = nByteLength;
    Object.freeze(this);
  }
  create(num) {
    return mod(num, this.ORDER);
  }
  isValid(num) {
    if (typeof num !== "bigint")
      throw new TypeError("invalid field element: expected bigint, got " + typeof num);
    return _0n2 <= num && num < this.ORDER;
  }
  is0(num) {
    return num === _0n2;
  }
  // is valid and invertible
  isValidNot0(num) {
    return !this.is0(num) && this.isValid(num);
  }
  isOdd(num) {
    return (num & _1n2) === _1n2;
  }
  neg(num) {
    return mod(-num, this.ORDER);
  }
  eql(lhs, rhs) {
    return lhs === rhs;
  }
  sqr(num) {
    return mod(num * num, this.ORDER);
  }
  add(lhs, rhs) {
    return mod(lhs + rhs, this.ORDER);
  }
  sub(lhs, rhs) {
    return mod(lhs - rhs, this.ORDER);
  }
  mul(lhs, rhs) {
    return mod(lhs * rhs, this.ORDER);
  }
  pow(num, power) {
    return pow(num, power, this.ORDER);
  }
  div(lhs, rhs) {
    return mod(lhs * invert(rhs, this.ORDER), this.ORDER);
  }
  // Same as above, but doesn't normalize
  sqrN(num) {
    return num * num;
  }
  addN(lhs, rhs) {
    return lhs + rhs;
  }
  subN(lhs, rhs) {
    return lhs - rhs;
  }
  mulN(lhs, rhs) {
    return lhs * rhs;
  }
  inv(num) {
    return invert(num, this.ORDER);
  }
  sqrt(num) {
    let sqrt = FIELD_SQRT.get(this);
    if (!sqrt)
      FIELD_SQRT.set(this, sqrt = FpSqrt(this.ORDER));
    return sqrt(this, num);
  }
  toBytes(num) {
    return this.isLE ? numberToBytesLE(num, this.BYTES) : numberToBytesBE(num, this.BYTES);
  }
  fromBytes(bytes, skipValidation = false) {
    abytes2(bytes);
    const { _lengths: allowedLengths, BYTES, isLE: isLE2, ORDER, _mod: modFromBytes } = this;
    if (allowedLengths) {
      if (bytes.length < 1 || !allowedLengths.includes(bytes.length) || bytes.length > BYTES) {
        throw new Error("Field.fromBytes: expected " + allowedLengths + " bytes, got " + bytes.length);
      }
      const padded = new Uint8Array(BYTES);
      padded.set(bytes, isLE2 ? 0 : padded.length - bytes.length);
      bytes = padded;
    }
    if (bytes.length !== BYTES)
      throw new Error("Field.fromBytes: expected " + BYTES + " bytes, got " + bytes.length);
    let scalar = isLE2 ? bytesToNumberLE(bytes) : bytesToNumberBE(bytes);
    if (modFromBytes)
      scalar = mod(scalar, ORDER);
    if (!skipValidation) {
      if (!this.isValid(scalar))
        throw new Error("invalid field element: outside of range 0..ORDER");
    }
    return scalar;
  }
  // TODO: we don't need it here, move out to separate fn
  invertBatch(lst) {
    return FpInvertBatch(this, lst, true);
  }
  // We can't move this out because Fp6, Fp12 implement it
  // and it's unclear what to return in there.
  cmov(a, b, condition) {
    abool(condition, "condition");
    return condition ? b : a;
  }
};
function Field(ORDER, opts = {}) {
  Object.freeze(_Field.prototype);
  return new _Field(ORDER, opts);
}
function getFieldBytesLength(fieldOrder) {
  if (typeof fieldOrder !== "bigint")
    throw new Error("field order must be bigint");
  if (fieldOrder <= _1n2)
    throw new Error("field order must be greater than 1");
  const bitLength = bitLen(fieldOrder - _1n2);
  return Math.ceil(bitLength / 8);
}
function getMinHashLength(fieldOrder) {
  const length = getFieldBytesLength(fieldOrder);
  return length + Math.ceil(length / 2);
}
function mapHashToField(key, fieldOrder, isLE2 = false) {
  abytes2(key);
  const len = key.length;
  const fieldLen = getFieldBytesLength(fieldOrder);
  const minLen = Math.max(getMinHashLength(fieldOrder), 16);
  if (len < minLen || len > 1024)
    throw new Error("expected " + minLen + "-1024 bytes of input, got " + len);
  const num = isLE2 ? bytesToNumberLE(key) : bytesToNumberBE(key);
  const reduced = mod(num, fieldOrder - _1n2) + _1n2;
  return isLE2 ? numberToBytesLE(reduced, fieldLen) : numberToBytesBE(reduced, fieldLen);
}

// ../../node_modules/@noble/curves/abstract/curve.js
/*! noble-curves - MIT License (c) 2022 Paul Miller (paulmillr.com) */
var _0n3 = /* @__PURE__ */ BigInt(0);
var _1n3 = /* @__PURE__ */ BigInt(1);
var _4n2 = /* @__PURE__ */ BigInt(4);
var BLIND_BYTES = 16;
var BLIND_BITS = 128;
var FW_WINDOW = 5;
var TABLE_BYTES_MAX = /* @__PURE__ */ (() => 2 ** 31)();
function validatePointCons(Point) {
  const pc = Point;
  if (typeof pc !== "function")
    throw new TypeError('"Point" expected constructor, got type=' + typeof Point);
  afunction(pc.fromAffine, "Point.fromAffine");
  afunction(pc.fromBytes, "Point.fromBytes");
  afunction(pc.fromHex, "Point.fromHex");
  aobject2(pc.BASE, "Point.BASE");
  aobject2(pc.ZERO, "Point.ZERO");
  validateField(pc.Fp);
  validateField(pc.Fn);
}
function normalizeZ(c, points) {
  validatePointCons(c);
  validateMSMPoints(points, c);
  const invertedZs = FpInvertBatch(c.Fp, points.map((p) => p.Z));
  return points.map((p, i) => c.fromAffine(p.toAffine(invertedZs[i])));
}
function validateW(W, bits, min = 1) {
  if (!Number.isSafeInteger(W) || W < min || W > bits)
    throw new Error("invalid window size, expected [" + min + ".." + bits + "], got W=" + W);
}
function validateTableBytes(numPoints, fpBytes) {
  const bytes = numPoints * (4 * fpBytes + 128);
  if (bytes > TABLE_BYTES_MAX)
    throw new Error("invalid window size: table would need ~" + Math.ceil(bytes / 2 ** 20) + " MiB, max " + TABLE_BYTES_MAX / 2 ** 20 + " MiB");
}
function probeRandomBytes(randomBytes4, length) {
  if (randomBytes4 === void 0)
    return void 0;
  afunction(randomBytes4, "randomBytes");
  try {
    const probe = randomBytes4(length);
    if (!isBytes2(probe) || probe.length !== length)
      return void 0;
  } catch {
    return void 0;
  }
  return randomBytes4;
}
function validateMSMPoints(points, c) {
  aarray(points, "points");
  points.forEach((p, i) => {
    if (!(p instanceof c))
      throw new Error("invalid point at index " + i);
  });
}
function validateMSMScalars(scalars, field, maxScalar) {
  if (!Array.isArray(scalars))
    throw new Error("array of scalars expected");
  scalars.forEach((s, i) => {
    const ok = maxScalar === void 0 ? field.isValid(s) : isPosBig(s) && s < maxScalar;
    if (!ok)
      throw new Error("invalid scalar at index " + i);
  });
}
var pointWindowSizes = /* @__PURE__ */ new WeakMap();
function getWindowSize(P) {
  return pointWindowSizes.get(P) || 1;
}
function oddMultiples(p, size) {
  const dbl = p.double();
  const t = [p];
  for (let j = 1; j < size; j++)
    t.push(t[j - 1].add(dbl));
  return t;
}
function wnafDigits(n, W) {
  const size = 2 ** W;
  const half = size / 2;
  const mask = BigInt(size - 1);
  const d = [];
  while (n > _0n3) {
    let w = 0;
    if (n & _1n3) {
      w = Number(n & mask);
      if (w >= half)
        w -= size;
      n -= BigInt(w);
    }
    d.push(w);
    n >>= _1n3;
  }
  return d;
}
function signedWindowDigits(n, W, windows) {
  const size = 2 ** W;
  const half = size / 2;
  const mask = BigInt(size - 1);
  const shiftBy = BigInt(W);
  const d = [];
  for (let w = 0; w < windows; w++) {
    let v = Number(n & mask);
    n >>= shiftBy;
    if (v > half) {
      v -= size;
      n += _1n3;
    }
    d.push(v);
  }
  if (n !== _0n3)
    throw new Error("invalid wnaf");
  return d;
}
function wnafWalk(zero, tables, digits) {
  let max = 0;
  for (const d of digits)
    max = Math.max(max, d.length);
  let acc = zero;
  for (let bit = max - 1; bit >= 0; bit--) {
    if (bit !== max - 1)
      acc = acc.double();
    for (let i = 0; i < digits.length; i++) {
      const w = digits[i][bit];
      if (w) {
        const item = tables[i][Math.abs(w) - 1 >> 1];
        acc = acc.add(w < 0 ? item.negate() : item);
      }
    }
  }
  return acc;
}
var ScalarMultiplier = class {
  Point;
  BASE;
  ZERO;
  randomBytes;
  wnafPrecomputes = /* @__PURE__ */ new WeakMap();
  baseCanBeBlinded;
  bits;
  // Parametrized with a given Point class (not individual point)
  constructor(Point, randomBytes4) {
    validatePointCons(Point);
    this.randomBytes = probeRandomBytes(randomBytes4, BLIND_BYTES);
    this.Point = Point;
    this.BASE = Point.BASE;
    this.ZERO = Point.ZERO;
    this.bits = Point.Fn.BITS;
  }
  /**
   * Creates a signed fixed-window wNAF precomputation table: for every window w, the
   * multiples `[1..2^(W−1)]⋅2^(w⋅W)⋅P`, flattened. All doublings are baked into the table,
   * so cached multiplication is additions-only. `windows = ceil(bits/W) + 1`: the extra
   * window absorbs the final carry of signed-digit recoding.
   * For a 256-bit curve and W=6, the table is 44⋅32 = 1408 points.
   * @param point - Point instance
   * @param W - window size
   * @param bits - scalar bitlength the table must cover
   */
  buildWnafTable(point, W, bits) {
    const windows = Math.ceil(bits / W) + 1;
    const half = 2 ** (W - 1);
    const comp = [];
    let base = point;
    for (let w = 0; w < windows; w++) {
      let acc = base;
      for (let i = 0; i < half; i++) {
        comp.push(acc);
        acc = acc.add(base);
      }
      base = comp[comp.length - 1].double();
    }
    return { W, bits, windows, comp };
  }
  /**
   * Implements ec multiplication using precomputed signed fixed-window wNAF tables.
   * Constant-time: fixed window count with one table addition per window — zero digits feed
   * the fake accumulator — and no doublings; the lookup scans the whole window slice.
   * Scalar bounds are validated by the public entry points ({@link ScalarMultiplier.mulCT},
   * {@link ScalarMultiplier.mulCTBlinded}, {@link ScalarMultiplier.mulUnsafe});
   * signedWindowDigits throws if `n` exceeds the table.
   * @returns real and fake (for const-time) points
   */
  wnafCachedCT(precomputes, n) {
    const { W, windows, comp } = precomputes;
    const half = 2 ** (W - 1);
    const digits = signedWindowDigits(n, W, windows);
    let p = this.ZERO;
    let f = this.BASE;
    for (let w = 0; w < windows; w++) {
      const digit2 = digits[w];
      const start = w * half;
      const idx = Math.abs(digit2) - 1;
      let sel = comp[start];
      for (let i = 1; i < half; i++)
        sel = i === idx ? comp[start + i] : sel;
      const neg = sel.negate();
      if (digit2 === 0)
        f = f.add(comp[start]);
      else
        p = p.add(digit2 < 0 ? neg : sel);
    }
    return { p, f };
  }
  // Cache key is point identity plus (W, bits); at most two entries exist per point (public-width
  // `Fn.BITS` and blinded `Fn.BITS + BLIND_BITS`). Callers must not reuse the same point with
  // incompatible `transform(...)` layouts and expect a separate cache entry.
  getWnafPrecomputes(W, point, bits, transform) {
    let entries = this.wnafPrecomputes.get(point);
    let comp = entries?.find((entry) => entry.W === W && entry.bits === bits);
    if (!comp) {
      comp = this.buildWnafTable(point, W, bits);
      if (typeof transform === "function")
        comp = { ...comp, comp: transform(comp.comp) };
      if (!entries) {
        entries = [];
        this.wnafPrecomputes.set(point, entries);
      }
      entries.push(comp);
    }
    return comp;
  }
  assertPoint(point) {
    if (!(point instanceof this.Point))
      throw new TypeError('"point" expected Point instance, got type=' + typeof point);
  }
  // Shared prologue of the constant-time entry points. Rejects scalar 0: in key/signature-style
  // callers a zero scalar means broken upstream plumbing, and concrete Points already reject it.
  // Uses inRange instead of Fn.isValidNot0: validateField() only certifies the arithmetic subset.
  validateMulInput(point, scalar) {
    this.assertPoint(point);
    if (!inRange(scalar, _1n3, this.Point.Fn.ORDER))
      throw new Error("invalid scalar");
  }
  // Constant-time dispatch shared by mulCT / mulCTBlinded. Un-precomputed points (W===1, e.g.
  // ECDH peer keys) skip building a throwaway cached table in favor of a small fixed-window
  // multiply. `n` must be < 2^bits.
  runCT(point, n, bits, transform) {
    const W = getWindowSize(point);
    if (W === 1)
      return this.fixedWindowCT(point, n, bits);
    return this.wnafCachedCT(this.getWnafPrecomputes(W, point, bits, transform), n);
  }
  mulCT(point, scalar, transform) {
    this.validateMulInput(point, scalar);
    return this.runCT(point, scalar, this.bits, transform);
  }
  mulCTBlinded(point, scalar, transform) {
    this.validateMulInput(point, scalar);
    if (this.randomBytes === void 0)
      throw new Error("randomBytes is required for scalar blinding");
    const bits = this.Point.Fn.BITS + BLIND_BITS;
    const blind = this.randomBytes(BLIND_BYTES);
    if (!isBytes2(blind) || blind.length !== BLIND_BYTES)
      throw new Error("randomBytes returned invalid byte array");
    blind[0] = blind[0] & 63 | 128;
    const n = scalar + bytesToNumberBE(blind) * this.Point.Fn.ORDER;
    return this.runCT(point, n, bits, transform);
  }
  /**
   * Constant-time multiplication `n*point` for an un-precomputed point, via a small fixed window.
   * A cached wNAF table only pays off when reused; a flat 2^FW_WINDOW table (`size-1` adds) is
   * far cheaper to build for a single use. The point-operation sequence is independent of `n`:
   * build the table, then per window exactly FW_WINDOW doublings, a data-oblivious scan over
   * every table entry, and one addition (adds the identity when the window digit is 0 — never
   * skipped).
   *
   * `n` must be `< 2^bits`. Assumes complete addition (adding the identity costs the same as any
   * add), which holds for the Weierstrass/Edwards point types used here. The table is left in
   * projective form (no normalizeZ): normalizing this small a table costs more than the
   * mixed-add savings it would buy for a single multiply.
   * @returns real point `p`; `f` duplicates it only to match {@link wnafCachedCT}'s return shape
   * (this path needs no fake accumulator — its op-count is already scalar-independent).
   */
  fixedWindowCT(point, n, bits) {
    const W = FW_WINDOW;
    const size = 1 << W;
    const mask = bitMask(W);
    const table = new Array(size);
    table[0] = this.ZERO;
    for (let i = 1; i < size; i++)
      table[i] = table[i - 1].add(point);
    const windows = Math.ceil(bits / W);
    let acc = this.ZERO;
    for (let window2 = windows - 1; window2 >= 0; window2--) {
      if (window2 !== windows - 1)
        for (let d = 0; d < W; d++)
          acc = acc.double();
      const digit2 = Number(n >> BigInt(window2 * W) & mask);
      let sel = table[0];
      for (let i = 1; i < size; i++)
        sel = i === digit2 ? table[i] : sel;
      acc = acc.add(sel);
    }
    return { p: acc, f: acc };
  }
  shouldBlind(point, cofactor) {
    if (this.randomBytes === void 0)
      return false;
    if (cofactor === _1n3)
      return true;
    if (point !== this.BASE)
      return false;
    if (this.baseCanBeBlinded === void 0)
      this.baseCanBeBlinded = this.mulUnsafe(this.BASE, this.Point.Fn.ORDER).is0();
    return this.baseCanBeBlinded;
  }
  mulSecret(point, scalar, cofactor, transform) {
    return this.shouldBlind(point, cofactor) ? this.mulCTBlinded(point, scalar, transform) : this.mulCT(point, scalar, transform);
  }
  mulUnsafe(point, scalar, transform) {
    this.assertPoint(point);
    if (!isPosBig(scalar))
      throw new Error("invalid scalar");
    const W = getWindowSize(point);
    if (W === 1 || scalar >= this.Point.Fn.ORDER)
      return mulAddUnsafe(this.Point, [point], [scalar], true);
    const precomputes = this.getWnafPrecomputes(W, point, this.bits, transform);
    return this.wnafCachedCT(precomputes, scalar).p;
  }
  // Remembers the window size used for precomputed wNAF multiplication of the given point
  // and drops any previously built tables. Usually only the base point is precomputed.
  // W=1 resets the point to the un-precomputed (table-less) paths.
  // W is additionally capped so tables stay under ~2 GiB ({@link TABLE_BYTES_MAX}).
  setWindowSize(point, W) {
    this.assertPoint(point);
    validateW(W, this.bits);
    const windows = Math.ceil((this.bits + BLIND_BITS) / W) + 1;
    validateTableBytes(windows * 2 ** (W - 1), this.Point.Fp.BYTES);
    pointWindowSizes.set(point, W);
    this.wnafPrecomputes.delete(point);
  }
  // True when a window size is set: tables themselves are built lazily on first multiply.
  hasWindowSize(point) {
    return getWindowSize(point) !== 1;
  }
};
function mulAddUnsafe(c, points, scalars, allowOversized = false) {
  validatePointCons(c);
  validateMSMPoints(points, c);
  abool(allowOversized, "allowOversized");
  validateMSMScalars(scalars, c.Fn, allowOversized ? c.Fn.ORDER ** _4n2 : void 0);
  if (points.length !== scalars.length)
    throw new Error("arrays of points and scalars must have equal length");
  const tables = points.map((p) => oddMultiples(p, 4));
  const digits = scalars.map((n) => wnafDigits(n, 4));
  return wnafWalk(c.ZERO, tables, digits);
}
function createField(order, field, isLE2) {
  if (field) {
    if (field.ORDER !== order)
      throw new Error("Field.ORDER must match order: Fp == p, Fn == n");
    validateField(field);
    return field;
  } else {
    return Field(order, { isLE: isLE2 });
  }
}
function createCurveFields(type, CURVE, curveOpts = {}, FpFnLE) {
  if (type !== "weierstrass" && type !== "edwards")
    throw new Error('expected curve type "weierstrass" or "edwards"');
  if (FpFnLE === void 0)
    FpFnLE = type === "edwards";
  if (!CURVE || typeof CURVE !== "object")
    throw new Error(`expected valid ${type} CURVE object`);
  validateObject(curveOpts);
  for (const p of ["p", "n", "h"]) {
    const val = CURVE[p];
    if (!(isPosBig(val) && val !== _0n3))
      throw new Error(`CURVE.${p} must be positive bigint`);
  }
  const Fp3 = createField(CURVE.p, curveOpts.Fp, FpFnLE);
  const Fn2 = createField(CURVE.n, curveOpts.Fn, FpFnLE);
  const _b = type === "weierstrass" ? "b" : "d";
  const params = ["Gx", "Gy", "a", _b];
  for (const p of params) {
    if (!Fp3.isValid(CURVE[p]))
      throw new Error(`CURVE.${p} must be valid field element of CURVE.Fp`);
  }
  CURVE = Object.freeze(Object.assign({}, CURVE));
  return { CURVE, Fp: Fp3, Fn: Fn2 };
}
function createKeygen(randomSecretKey, getPublicKey) {
  return function keygen(seed) {
    const secretKey = randomSecretKey(seed);
    return { secretKey, publicKey: getPublicKey(secretKey) };
  };
}

// ../../node_modules/@noble/curves/abstract/edwards.js
/*! noble-curves - MIT License (c) 2022 Paul Miller (paulmillr.com) */
var _0n4 = /* @__PURE__ */ BigInt(0);
var _1n4 = /* @__PURE__ */ BigInt(1);
var _2n2 = /* @__PURE__ */ BigInt(2);
var _4n3 = /* @__PURE__ */ BigInt(4);
var _8n2 = /* @__PURE__ */ BigInt(8);
function isEdValidXY(Fp3, CURVE, x, y) {
  const x2 = Fp3.sqr(x);
  const y2 = Fp3.sqr(y);
  const left = Fp3.add(Fp3.mul(CURVE.a, x2), y2);
  const right = Fp3.add(Fp3.ONE, Fp3.mul(CURVE.d, Fp3.mul(x2, y2)));
  return Fp3.eql(left, right);
}
function edwards(params, extraOpts = {}) {
  validateObject(extraOpts, {}, {}, "extraOpts");
  const opts = extraOpts;
  const validated = createCurveFields("edwards", params, opts, opts.FpFnLE);
  const { Fp: Fp3, Fn: Fn2 } = validated;
  let CURVE = validated.CURVE;
  const { h: cofactor } = CURVE;
  if (FpLegendre(Fp3, CURVE.a) !== 1)
    throw new Error("edwards: CURVE.a must be a square in Fp for complete addition formulas");
  if (FpLegendre(Fp3, CURVE.d) !== -1)
    throw new Error("edwards: CURVE.d must be a non-square in Fp for complete addition formulas");
  validateObject(opts, {}, { uvRatio: "function", randomBytes: "function" });
  const randomBytes4 = opts.randomBytes === void 0 ? randomBytes2 : opts.randomBytes;
  const MASK = _2n2 << BigInt(Fp3.BYTES * 8) - _1n4;
  function isOdd(n) {
    if (!Fp3.isOdd)
      throw new Error("Field does not have .isOdd()");
    return Fp3.isOdd(n);
  }
  const uvRatio2 = opts.uvRatio === void 0 ? (u, v) => {
    try {
      return { isValid: true, value: Fp3.sqrt(Fp3.div(u, v)) };
    } catch (e) {
      return { isValid: false, value: _0n4 };
    }
  } : opts.uvRatio;
  if (!isEdValidXY(Fp3, CURVE, CURVE.Gx, CURVE.Gy))
    throw new Error("bad curve params: generator point");
  const mulA = Fp3.eql(CURVE.a, Fp3.neg(Fp3.ONE)) ? (x) => Fp3.neg(x) : Fp3.eql(CURVE.a, Fp3.ONE) ? (x) => x : (x) => Fp3.mul(CURVE.a, x);
  function acoord(title, n, banZero = false) {
    const min = banZero ? _1n4 : _0n4;
    aInRange("coordinate " + title, n, min, MASK);
    return n;
  }
  function aedpoint(other) {
    if (!(other instanceof Point))
      throw new Error("EdwardsPoint expected");
  }
  class Point {
    static BASE = new Point(CURVE.Gx, CURVE.Gy, Fp3.ONE, Fp3.mul(CURVE.Gx, CURVE.Gy));
    static ZERO = new Point(Fp3.ZERO, Fp3.ONE, Fp3.ONE, Fp3.ZERO);
    static Fp = Fp3;
    static Fn = Fn2;
    X;
    Y;
    Z;
    T;
    constructor(X, Y, Z, T) {
      this.X = acoord("x", X);
      this.Y = acoord("y", Y);
      this.Z = acoord("z", Z, true);
      this.T = acoord("t", T);
      Object.freeze(this);
    }
    static CURVE() {
      return CURVE;
    }
    /**
     * Create one extended Edwards point from affine coordinates.
     * Does NOT validate that the point is on-curve or torsion-free.
     * Use `.assertValidity()` on adversarial inputs.
     */
    static fromAffine(p) {
      if (p instanceof Point)
        throw new Error("extended point not allowed");
      const { x, y } = p || {};
      acoord("x", x);
      acoord("y", y);
      return new Point(x, y, Fp3.ONE, Fp3.mul(x, y));
    }
    // Uses algo from RFC8032 5.1.3.
    static fromBytes(bytes, zip215 = false) {
      const len = Fp3.BYTES;
      const { a, d } = CURVE;
      bytes = copyBytes(abytes2(bytes, len, "point"));
      abool(zip215, "zip215");
      const normed = copyBytes(bytes);
      const lastByte = bytes[len - 1];
      normed[len - 1] = lastByte & ~128;
      const y = bytesToNumberLE(normed);
      const max = zip215 ? MASK : Fp3.ORDER;
      aInRange("point.y", y, _0n4, max);
      const y2 = Fp3.sqr(y);
      const u = Fp3.sub(y2, Fp3.ONE);
      const v = Fp3.sub(Fp3.mulN(d, y2), a);
      let { isValid, value: x } = uvRatio2(u, v);
      if (!isValid)
        throw new Error("bad point: invalid y coordinate");
      const isXOdd = isOdd(x);
      const isLastByteOdd = (lastByte & 128) !== 0;
      if (!zip215 && Fp3.is0(x) && isLastByteOdd)
        throw new Error("bad point: x=0 and x_0=1");
      if (isLastByteOdd !== isXOdd)
        x = Fp3.neg(x);
      return Point.fromAffine({ x, y });
    }
    static fromHex(hex, zip215 = false) {
      return Point.fromBytes(hexToBytes2(hex), zip215);
    }
    get x() {
      return this.toAffine().x;
    }
    get y() {
      return this.toAffine().y;
    }
    precompute(windowSize = 6, isLazy = true) {
      wnaf.setWindowSize(this, windowSize);
      if (!isLazy)
        this.multiply(_2n2);
      return this;
    }
    // Useful in fromAffine() - not for fromBytes(), which always created valid points.
    assertValidity() {
      const p = this;
      const { a, d } = CURVE;
      if (p.is0())
        throw new Error("bad point: ZERO");
      const { X, Y, Z, T } = p;
      const X2 = Fp3.sqr(X);
      const Y2 = Fp3.sqr(Y);
      const Z2 = Fp3.sqr(Z);
      const Z4 = Fp3.sqr(Z2);
      const aX2 = Fp3.mul(X2, a);
      const left = Fp3.mul(Fp3.add(aX2, Y2), Z2);
      const right = Fp3.add(Z4, Fp3.mul(d, Fp3.mul(X2, Y2)));
      if (!Fp3.eql(left, right))
        throw new Error("bad point: equation left != right (1)");
      const XY = Fp3.mul(X, Y);
      const ZT = Fp3.mul(Z, T);
      if (!Fp3.eql(XY, ZT))
        throw new Error("bad point: equation left != right (2)");
    }
    // Compare one point to another.
    equals(other) {
      aedpoint(other);
      const { X: X1, Y: Y1, Z: Z1 } = this;
      const { X: X2, Y: Y2, Z: Z2 } = other;
      const X1Z2 = Fp3.mul(X1, Z2);
      const X2Z1 = Fp3.mul(X2, Z1);
      const Y1Z2 = Fp3.mul(Y1, Z2);
      const Y2Z1 = Fp3.mul(Y2, Z1);
      return Fp3.eql(X1Z2, X2Z1) && Fp3.eql(Y1Z2, Y2Z1);
    }
    is0() {
      return this.equals(Point.ZERO);
    }
    negate() {
      return new Point(Fp3.neg(this.X), this.Y, this.Z, Fp3.neg(this.T));
    }
    // Fast algo for doubling Extended Point.
    // https://hyperelliptic.org/EFD/g1p/auto-twisted-extended.html#doubling-dbl-2008-hwcd
    // Cost: 4M + 4S + 1*a + 6add + 1*2.
    double() {
      const { X: X1, Y: Y1, Z: Z1 } = this;
      const A = Fp3.sqr(X1);
      const B = Fp3.sqr(Y1);
      const C = Fp3.mul(Fp3.sqr(Z1), _2n2);
      const D = mulA(A);
      const x1y1 = Fp3.addN(X1, Y1);
      const E = Fp3.sub(Fp3.subN(Fp3.sqr(x1y1), A), B);
      const G = Fp3.addN(D, B);
      const F = Fp3.subN(G, C);
      const H = Fp3.subN(D, B);
      const X3 = Fp3.mul(E, F);
      const Y3 = Fp3.mul(G, H);
      const T3 = Fp3.mul(E, H);
      const Z3 = Fp3.mul(F, G);
      return new Point(X3, Y3, Z3, T3);
    }
    // Fast algo for adding 2 Extended Points.
    // https://hyperelliptic.org/EFD/g1p/auto-twisted-extended.html#addition-add-2008-hwcd
    // Cost: 9M + 1*a + 1*d + 7add.
    add(other) {
      aedpoint(other);
      const { d } = CURVE;
      const { X: X1, Y: Y1, Z: Z1, T: T1 } = this;
      const { X: X2, Y: Y2, Z: Z2, T: T2 } = other;
      const A = Fp3.mul(X1, X2);
      const B = Fp3.mul(Y1, Y2);
      const C = Fp3.mul(Fp3.mulN(T1, d), T2);
      const D = Fp3.mul(Z1, Z2);
      const E = Fp3.sub(Fp3.subN(Fp3.mulN(Fp3.addN(X1, Y1), Fp3.addN(X2, Y2)), A), B);
      const F = Fp3.subN(D, C);
      const G = Fp3.addN(D, C);
      const H = Fp3.sub(B, mulA(A));
      const X3 = Fp3.mul(E, F);
      const Y3 = Fp3.mul(G, H);
      const T3 = Fp3.mul(E, H);
      const Z3 = Fp3.mul(F, G);
      return new Point(X3, Y3, Z3, T3);
    }
    subtract(other) {
      aedpoint(other);
      return this.add(other.negate());
    }
    // Constant-time multiplication.
    multiply(scalar) {
      if (!Fn2.isValidNot0(scalar))
        throw new RangeError("invalid scalar: expected 1 <= sc < curve.n");
      const { p, f } = wnaf.mulSecret(this, scalar, cofactor, normalize);
      return normalize([p, f])[0];
    }
    // Non-constant-time multiplication. Uses double-and-add algorithm.
    // It's faster, but should only be used when you don't care about
    // an exposed private key e.g. sig verification.
    // Keeps the same subgroup-scalar contract: 0 is allowed for public-scalar callers, but
    // n and larger values are rejected instead of being reduced mod n to the identity point.
    multiplyUnsafe(scalar) {
      if (!Fn2.isValid(scalar))
        throw new RangeError("invalid scalar: expected 0 <= sc < curve.n");
      if (scalar === _0n4)
        return Point.ZERO;
      if (this.is0() || scalar === _1n4)
        return this;
      return wnaf.mulUnsafe(this, scalar, normalize);
    }
    // Checks if point is of small order.
    // If you add something to small order point, you will have "dirty"
    // point with torsion component.
    // Clears cofactor and checks if the result is 0.
    isSmallOrder() {
      return this.clearCofactor().is0();
    }
    // Multiplies point by curve order and checks if the result is 0.
    // Returns `false` is the point is dirty.
    isTorsionFree() {
      return wnaf.mulUnsafe(this, CURVE.n).is0();
    }
    // Converts Extended point to default (x, y) coordinates.
    // Can accept precomputed Z^-1 - for example, from invertBatch.
    toAffine(invertedZ) {
      const p = this;
      let iz = invertedZ;
      if (iz != null && typeof iz !== "bigint")
        throw new TypeError('"invertedZ" expected bigint, got type=' + typeof iz);
      const { X, Y, Z } = p;
      const is0 = p.is0();
      if (iz == null)
        iz = is0 ? Fp3.create(_8n2) : Fp3.inv(Z);
      const x = Fp3.mul(X, iz);
      const y = Fp3.mul(Y, iz);
      const zz = Fp3.mul(Z, iz);
      if (is0)
        return { x: Fp3.ZERO, y: Fp3.ONE };
      if (!Fp3.eql(zz, Fp3.ONE))
        throw new Error("invZ was invalid");
      return { x, y };
    }
    clearCofactor() {
      if (cofactor === _1n4)
        return this;
      if (cofactor === _2n2)
        return this.double();
      if (cofactor === _4n3)
        return this.double().double();
      if (cofactor === _8n2)
        return this.double().double().double();
      return this.multiplyUnsafe(cofactor);
    }
    toBytes() {
      const { x, y } = this.toAffine();
      const bytes = Fp3.toBytes(y);
      bytes[bytes.length - 1] |= isOdd(x) ? 128 : 0;
      return bytes;
    }
    toHex() {
      return bytesToHex2(this.toBytes());
    }
    toString() {
      return `<Point ${this.is0() ? "ZERO" : this.toHex()}>`;
    }
  }
  const normalize = (points) => normalizeZ(Point, points);
  const wnaf = new ScalarMultiplier(Point, randomBytes4);
  if (wnaf.bits >= 6)
    Point.BASE.precompute(6);
  Object.freeze(Point.prototype);
  Object.freeze(Point);
  return Point;
}
var PrimeEdwardsPoint = class {
  static BASE;
  static ZERO;
  static Fp;
  static Fn;
  ep;
  /**
   * Wrap one internal Edwards representative directly.
   * This is not a canonical encoding boundary: alternate Edwards
   * representatives may still describe the same abstract wrapper element.
   */
  constructor(ep) {
    this.ep = ep;
  }
  // Static methods that must be implemented by subclasses
  static fromBytes(_bytes) {
    notImplemented();
  }
  static fromHex(_hex) {
    notImplemented();
  }
  get x() {
    return this.toAffine().x;
  }
  get y() {
    return this.toAffine().y;
  }
  // Common implementations
  clearCofactor() {
    return this;
  }
  assertValidity() {
    this.ep.assertValidity();
  }
  /**
   * Return affine coordinates of the current internal Edwards representative.
   * This is a convenience helper, not a canonical Ristretto/Decaf encoding.
   * Equal abstract elements may expose different `x` / `y`; use
   * `toBytes()` / `fromBytes()` for canonical roundtrips.
   */
  toAffine(invertedZ) {
    return this.ep.toAffine(invertedZ);
  }
  toHex() {
    return bytesToHex2(this.toBytes());
  }
  toString() {
    return this.toHex();
  }
  isTorsionFree() {
    return true;
  }
  isSmallOrder() {
    return false;
  }
  add(other) {
    this.assertSame(other);
    return this.init(this.ep.add(other.ep));
  }
  subtract(other) {
    this.assertSame(other);
    return this.init(this.ep.subtract(other.ep));
  }
  multiply(scalar) {
    return this.init(this.ep.multiply(scalar));
  }
  multiplyUnsafe(scalar) {
    return this.init(this.ep.multiplyUnsafe(scalar));
  }
  double() {
    return this.init(this.ep.double());
  }
  negate() {
    return this.init(this.ep.negate());
  }
  precompute(windowSize, isLazy) {
    this.ep.precompute(windowSize, isLazy);
    return this;
  }
};
function eddsa(Point, cHash, eddsaOpts = {}) {
  validatePointCons(Point);
  if (typeof cHash !== "function")
    throw new Error('"hash" function param is required');
  const hash2 = cHash;
  const opts = eddsaOpts;
  validateObject(opts, {}, {
    adjustScalarBytes: "function",
    randomBytes: "function",
    domain: "function",
    prehash: "function",
    zip215: "boolean",
    mapToCurve: "function",
    toMontgomery: "function",
    toMontgomerySecret: "function"
  });
  const { prehash } = opts;
  const { BASE, Fp: Fp3, Fn: Fn2 } = Point;
  const outputLen = hash2.outputLen;
  const expectedLen = 2 * Fp3.BYTES;
  if (outputLen !== void 0) {
    asafenumber(outputLen, "hash.outputLen");
    if (outputLen !== expectedLen)
      throw new Error(`hash.outputLen must be ${expectedLen}, got ${outputLen}`);
  }
  const randomBytes4 = opts.randomBytes === void 0 ? randomBytes2 : opts.randomBytes;
  const toMontgomery2 = opts.toMontgomery;
  const toMontgomerySecret2 = opts.toMontgomerySecret;
  const adjustScalarBytes2 = opts.adjustScalarBytes === void 0 ? (bytes) => bytes : opts.adjustScalarBytes;
  const domain = opts.domain === void 0 ? (data, ctx, phflag) => {
    abool(phflag, "phflag");
    if (ctx.length || phflag)
      throw new Error("Contexts/pre-hash are not supported");
    return data;
  } : opts.domain;
  function modN_LE(hash3) {
    return Fn2.create(bytesToNumberLE(hash3));
  }
  function getPrivateScalar(key) {
    const len = lengths.secretKey;
    abytes2(key, lengths.secretKey, "secretKey");
    const hashed = abytes2(hash2(key), 2 * len, "hashedSecretKey");
    const head = adjustScalarBytes2(hashed.slice(0, len));
    const prefix = hashed.slice(len, 2 * len);
    const scalar = modN_LE(head);
    return { head, prefix, scalar };
  }
  function getExtendedPublicKey(secretKey) {
    const { head, prefix, scalar } = getPrivateScalar(secretKey);
    const point = BASE.multiply(scalar);
    const pointBytes = point.toBytes();
    return { head, prefix, scalar, point, pointBytes };
  }
  function getPublicKey(secretKey) {
    return getExtendedPublicKey(secretKey).pointBytes;
  }
  function hashDomainToScalar(context = Uint8Array.of(), ...msgs) {
    const msg = concatBytes2(...msgs);
    return modN_LE(hash2(domain(msg, abytes2(context, void 0, "context"), !!prehash)));
  }
  function sign(msg, secretKey, options = {}) {
    validateObject(options, {}, {}, "options");
    msg = copyBytes(abytes2(msg, void 0, "message"));
    if (prehash)
      msg = prehash(msg);
    const { prefix, scalar, pointBytes } = getExtendedPublicKey(secretKey);
    const r = hashDomainToScalar(options.context, prefix, msg);
    const R = BASE.multiply(r).toBytes();
    const k = hashDomainToScalar(options.context, R, pointBytes, msg);
    const s = Fn2.create(r + k * scalar);
    if (!Fn2.isValid(s))
      throw new Error("sign failed: invalid s");
    const rs = concatBytes2(R, Fn2.toBytes(s));
    return abytes2(rs, lengths.signature, "result");
  }
  const verifyOpts = {
    zip215: opts.zip215
  };
  function verify2(sig, msg, publicKey, options = verifyOpts) {
    validateObject(options);
    const { context } = options;
    const zip215 = options.zip215 === void 0 ? !!verifyOpts.zip215 : options.zip215;
    const len = lengths.signature;
    sig = abytes2(sig, len, "signature");
    msg = abytes2(msg, void 0, "message");
    publicKey = abytes2(publicKey, lengths.publicKey, "publicKey");
    if (zip215 !== void 0)
      abool(zip215, "zip215");
    if (prehash)
      msg = prehash(msg);
    const mid = len / 2;
    const r = sig.subarray(0, mid);
    const s = bytesToNumberLE(sig.subarray(mid, len));
    let A, R, SB;
    try {
      A = Point.fromBytes(publicKey, zip215);
      R = Point.fromBytes(r, zip215);
      SB = BASE.multiplyUnsafe(s);
    } catch (error) {
      return false;
    }
    if (!zip215 && A.isSmallOrder())
      return false;
    const k = hashDomainToScalar(context, r, publicKey, msg);
    const RkA = R.add(A.multiplyUnsafe(k));
    return RkA.subtract(SB).clearCofactor().is0();
  }
  const _size = Fp3.BYTES;
  const lengths = {
    secretKey: _size,
    publicKey: _size,
    signature: 2 * _size,
    seed: _size
  };
  function randomSecretKey(seed) {
    seed = seed === void 0 ? randomBytes4(lengths.seed) : seed;
    return abytes2(seed, lengths.seed, "seed");
  }
  function isValidSecretKey(key) {
    return isBytes2(key) && key.length === lengths.secretKey;
  }
  function isValidPublicKey(key, zip215) {
    try {
      return !!Point.fromBytes(key, zip215 === void 0 ? verifyOpts.zip215 : zip215);
    } catch (error) {
      return false;
    }
  }
  const utils = {
    getExtendedPublicKey,
    randomSecretKey,
    isValidSecretKey,
    isValidPublicKey,
    /** Converts an Edwards public key to a companion Montgomery public key. */
    toMontgomery(publicKey) {
      if (toMontgomery2 === void 0)
        throw new Error("Montgomery conversion is not supported for this curve");
      return toMontgomery2(Point.fromBytes(publicKey));
    },
    toMontgomerySecret(secretKey) {
      if (toMontgomerySecret2 === void 0)
        throw new Error("Montgomery conversion is not supported for this curve");
      return toMontgomerySecret2(secretKey);
    }
  };
  Object.freeze(lengths);
  Object.freeze(utils);
  return Object.freeze({
    keygen: createKeygen(randomSecretKey, getPublicKey),
    getPublicKey,
    sign,
    verify: verify2,
    utils,
    Point,
    lengths
  });
}

// ../../node_modules/@noble/curves/abstract/hash-to-curve.js
var _0n5 = /* @__PURE__ */ BigInt(0);
var _1n5 = /* @__PURE__ */ BigInt(1);
var _2n3 = /* @__PURE__ */ BigInt(2);
var _3n2 = /* @__PURE__ */ BigInt(3);
var _4n4 = /* @__PURE__ */ BigInt(4);
var os2ip = bytesToNumberBE;
function i2osp(value, length) {
  asafenumber(value);
  asafenumber(length);
  if (length < 0 || length > 4)
    throw new Error("invalid I2OSP length: " + length);
  if (value < 0 || value > 2 ** (8 * length) - 1)
    throw new Error("invalid I2OSP input: " + value);
  const res = Array.from({ length }).fill(0);
  for (let i = length - 1; i >= 0; i--) {
    res[i] = value & 255;
    value >>>= 8;
  }
  return new Uint8Array(res);
}
function strxor(a, b) {
  const arr3 = new Uint8Array(a.length);
  for (let i = 0; i < a.length; i++) {
    arr3[i] = a[i] ^ b[i];
  }
  return arr3;
}
function normDST(DST2) {
  if (!isBytes2(DST2) && typeof DST2 !== "string")
    throw new Error("DST must be Uint8Array or ascii string");
  const dst = typeof DST2 === "string" ? asciiToBytes(DST2) : DST2;
  if (dst.length === 0)
    throw new Error("DST must be non-empty");
  return dst;
}
function expand_message_xmd(msg, DST2, lenInBytes, H) {
  abytes2(msg);
  asafenumber(lenInBytes);
  if (typeof H !== "function")
    throw new Error("expand_message_xmd: expected hash function");
  asafenumber(H.outputLen, "hash.outputLen");
  asafenumber(H.blockLen, "hash.blockLen");
  DST2 = normDST(DST2);
  if (DST2.length > 255)
    DST2 = H(concatBytes2(asciiToBytes("H2C-OVERSIZE-DST-"), DST2));
  const { outputLen: b_in_bytes, blockLen: r_in_bytes } = H;
  const ell = Math.ceil(lenInBytes / b_in_bytes);
  if (lenInBytes > 65535 || ell > 255)
    throw new Error("expand_message_xmd: invalid lenInBytes");
  const DST_prime = concatBytes2(DST2, i2osp(DST2.length, 1));
  const Z_pad = new Uint8Array(r_in_bytes);
  const l_i_b_str = i2osp(lenInBytes, 2);
  const b = new Array(ell);
  const b_0 = H(concatBytes2(Z_pad, msg, l_i_b_str, i2osp(0, 1), DST_prime));
  b[0] = H(concatBytes2(b_0, i2osp(1, 1), DST_prime));
  for (let i = 1; i < ell; i++) {
    const args = [strxor(b_0, b[i - 1]), i2osp(i + 1, 1), DST_prime];
    b[i] = H(concatBytes2(...args));
  }
  const pseudo_random_bytes = concatBytes2(...b);
  return pseudo_random_bytes.slice(0, lenInBytes);
}
function expand_message_xof(msg, DST2, lenInBytes, k, H) {
  abytes2(msg);
  asafenumber(lenInBytes);
  asafenumber(k, "k");
  if (k < 0)
    throw new Error("expand_message_xof: invalid k");
  if (typeof H !== "function")
    throw new Error("expand_message_xof: expected XOF function");
  if (typeof H.create !== "function")
    throw new Error("expand_message_xof: expected XOF create");
  DST2 = normDST(DST2);
  if (lenInBytes < 0 || lenInBytes > 65535)
    throw new Error("expand_message_xof: invalid lenInBytes");
  if (DST2.length > 255) {
    const dkLen = Math.ceil(2 * k / 8);
    DST2 = H.create({ dkLen }).update(asciiToBytes("H2C-OVERSIZE-DST-")).update(DST2).digest();
  }
  if (DST2.length > 255)
    throw new Error("expand_message_xof: invalid DST");
  return H.create({ dkLen: lenInBytes }).update(msg).update(i2osp(lenInBytes, 2)).update(DST2).update(i2osp(DST2.length, 1)).digest();
}
function hash_to_field(msg, count, options) {
  validateObject(options, {
    p: "bigint",
    m: "number",
    k: "number",
    hash: "function"
  });
  const { p, k, m, hash: hash2, expand, DST: DST2 } = options;
  asafenumber(hash2.outputLen, "valid hash");
  abytes2(msg);
  asafenumber(count);
  asafenumber(m, "m");
  asafenumber(k, "k");
  if (p <= BigInt(1))
    throw new Error("hash_to_field: expected valid field characteristic");
  if (count < 1)
    throw new Error("hash_to_field: expected count >= 1");
  if (m < 1)
    throw new Error("hash_to_field: expected m >= 1");
  if (k < 0)
    throw new Error("hash_to_field: invalid k");
  const log2p = p.toString(2).length;
  const L2 = Math.ceil((log2p + k) / 8);
  const len_in_bytes = count * m * L2;
  let prb;
  if (expand === "xmd") {
    prb = expand_message_xmd(msg, DST2, len_in_bytes, hash2);
  } else if (expand === "xof") {
    prb = expand_message_xof(msg, DST2, len_in_bytes, k, hash2);
  } else if (expand === "_internal_pass") {
    prb = msg;
  } else {
    throw new Error('expand must be "xmd" or "xof"');
  }
  const u = new Array(count);
  for (let i = 0; i < count; i++) {
    const e = new Array(m);
    for (let j = 0; j < m; j++) {
      const elm_offset = L2 * (j + i * m);
      const tv = prb.subarray(elm_offset, elm_offset + L2);
      e[j] = mod(os2ip(tv), p);
    }
    u[i] = e;
  }
  return u;
}
function isogenyMap(field, map) {
  validateField(field);
  aarray(map, "map");
  const coeff = map.map((i, row) => {
    aarray(i, "map[" + row + "]");
    if (i.length < 1)
      throw new Error("isogenyMap: expected non-empty coefficients");
    return Array.from(i).reverse();
  });
  return (x, y) => {
    const [xn, xd, yn, yd] = coeff.map((val) => val.reduce((acc, i) => field.add(field.mul(acc, x), i)));
    const isZero = field.is0(xd) || field.is0(yd);
    const [xd_inv, yd_inv] = FpInvertBatch(field, [xd, yd], true);
    x = field.mul(xn, xd_inv);
    y = field.mul(y, field.mul(yn, yd_inv));
    return isZero ? { x: field.ZERO, y: field.ZERO } : { x, y };
  };
}
var _DST_scalar = "HashToScalar-";
function createHasher2(Point, mapToCurve, defaults) {
  if (typeof mapToCurve !== "function")
    throw new Error("mapToCurve() must be defined");
  validateObject(defaults);
  const snapshot = (src) => Object.freeze({
    ...src,
    DST: isBytes2(src.DST) ? copyBytes(src.DST) : src.DST,
    ...src.encodeDST === void 0 ? {} : { encodeDST: isBytes2(src.encodeDST) ? copyBytes(src.encodeDST) : src.encodeDST }
  });
  const safeDefaults = snapshot(defaults);
  const dstOverride = (options) => options && options.DST !== void 0 ? { DST: options.DST } : void 0;
  function map(num) {
    return Point.fromAffine(mapToCurve(num));
  }
  function clear(initial) {
    const P = initial.clearCofactor();
    if (P.equals(Point.ZERO))
      return Point.ZERO;
    P.assertValidity();
    return P;
  }
  return Object.freeze({
    get defaults() {
      return snapshot(safeDefaults);
    },
    Point,
    hashToCurve(msg, options) {
      const opts = Object.assign({}, safeDefaults, dstOverride(options));
      const u = hash_to_field(msg, 2, opts);
      const u0 = map(u[0]);
      const u1 = map(u[1]);
      return clear(u0.add(u1));
    },
    encodeToCurve(msg, options) {
      const optsDst = safeDefaults.encodeDST === void 0 ? {} : { DST: safeDefaults.encodeDST };
      const opts = Object.assign({}, safeDefaults, optsDst, dstOverride(options));
      const u = hash_to_field(msg, 1, opts);
      const u0 = map(u[0]);
      return clear(u0);
    },
    /** See {@link H2CHasher} */
    mapToCurve(scalars) {
      if (safeDefaults.m === 1) {
        if (typeof scalars !== "bigint")
          throw new Error("expected bigint (m=1)");
        return clear(map([scalars]));
      }
      if (!Array.isArray(scalars))
        throw new Error("expected array of bigints");
      if (scalars.length !== safeDefaults.m)
        throw new Error(`expected array of ${safeDefaults.m} bigints`);
      for (const i of scalars)
        if (typeof i !== "bigint")
          throw new Error("expected array of bigints");
      return clear(map(scalars));
    },
    // hash_to_scalar can produce 0: https://www.rfc-editor.org/errata/eid8393
    // RFC 9380, draft-irtf-cfrg-bbs-signatures-08. Default scalar DST is the shared generic
    // `HashToScalar-` prefix above unless the caller overrides it per invocation.
    hashToScalar(msg, options) {
      const N = Point.Fn.ORDER;
      const opts = Object.assign({}, safeDefaults, { DST: _DST_scalar }, dstOverride(options), {
        p: N,
        m: 1
      });
      return hash_to_field(msg, 1, opts)[0][0];
    }
  });
}
function SWUFpSqrtRatio(Fp3, Z) {
  const F = validateField(Fp3);
  const q = F.ORDER;
  let l = _0n5;
  for (let o = q - _1n5; o % _2n3 === _0n5; o /= _2n3)
    l += _1n5;
  const c1 = l;
  const _2n_pow_c1_1 = _2n3 << c1 - _1n5 - _1n5;
  const _2n_pow_c1 = _2n_pow_c1_1 * _2n3;
  const c2 = (q - _1n5) / _2n_pow_c1;
  const c3 = (c2 - _1n5) / _2n3;
  const c4 = _2n_pow_c1 - _1n5;
  const c5 = _2n_pow_c1_1;
  const c6 = F.pow(Z, c2);
  const c7 = F.pow(Z, (c2 + _1n5) / _2n3);
  let sqrtRatio = (u, v) => {
    let tv1 = c6;
    let tv2 = F.pow(v, c4);
    let tv3 = F.sqr(tv2);
    tv3 = F.mul(tv3, v);
    let tv5 = F.mul(u, tv3);
    tv5 = F.pow(tv5, c3);
    tv5 = F.mul(tv5, tv2);
    tv2 = F.mul(tv5, v);
    tv3 = F.mul(tv5, u);
    let tv4 = F.mul(tv3, tv2);
    tv5 = F.pow(tv4, c5);
    let isQR = F.eql(tv5, F.ONE);
    tv2 = F.mul(tv3, c7);
    tv5 = F.mul(tv4, tv1);
    tv3 = F.cmov(tv2, tv3, isQR);
    tv4 = F.cmov(tv5, tv4, isQR);
    for (let i = c1; i > _1n5; i--) {
      let tv52 = i - _2n3;
      tv52 = _2n3 << tv52 - _1n5;
      let tvv5 = F.pow(tv4, tv52);
      const e1 = F.eql(tvv5, F.ONE);
      tv2 = F.mul(tv3, tv1);
      tv1 = F.mul(tv1, tv1);
      tvv5 = F.mul(tv4, tv1);
      tv3 = F.cmov(tv2, tv3, e1);
      tv4 = F.cmov(tvv5, tv4, e1);
    }
    return { isValid: !F.is0(v) && (isQR || F.is0(u)), value: tv3 };
  };
  if (F.ORDER % _4n4 === _3n2) {
    const c12 = (F.ORDER - _3n2) / _4n4;
    const c22 = F.sqrt(F.neg(Z));
    sqrtRatio = (u, v) => {
      let tv1 = F.sqr(v);
      const tv2 = F.mul(u, v);
      tv1 = F.mul(tv1, tv2);
      let y1 = F.pow(tv1, c12);
      y1 = F.mul(y1, tv2);
      const y2 = F.mul(y1, c22);
      const tv3 = F.mul(F.sqr(y1), v);
      const isQR = F.eql(tv3, u);
      let y = F.cmov(y2, y1, isQR);
      return { isValid: !F.is0(v) && isQR, value: y };
    };
  }
  return sqrtRatio;
}
function mapToCurveSimpleSWU(Fp3, opts) {
  const F = validateField(Fp3);
  validateObject(opts, {}, {}, "opts");
  const { A, B, Z } = opts;
  if (!F.isValidNot0(A) || !F.isValidNot0(B) || !F.isValid(Z))
    throw new Error("mapToCurveSimpleSWU: invalid opts");
  if (F.eql(Z, F.neg(F.ONE)) || FpIsSquare(F, Z))
    throw new Error("mapToCurveSimpleSWU: invalid opts");
  const x = F.mul(B, F.inv(F.mul(Z, A)));
  const gx = F.add(F.add(F.mul(F.sqr(x), x), F.mul(A, x)), B);
  if (!FpIsSquare(F, gx))
    throw new Error("mapToCurveSimpleSWU: invalid opts");
  const sqrtRatio = SWUFpSqrtRatio(F, Z);
  if (!F.isOdd)
    throw new Error("Field does not have .isOdd()");
  return (u) => {
    let tv1, tv2, tv3, tv4, tv5, tv6, x2, y;
    tv1 = F.sqr(u);
    tv1 = F.mul(tv1, Z);
    tv2 = F.sqr(tv1);
    tv2 = F.add(tv2, tv1);
    tv3 = F.add(tv2, F.ONE);
    tv3 = F.mul(tv3, B);
    tv4 = F.cmov(Z, F.neg(tv2), !F.eql(tv2, F.ZERO));
    tv4 = F.mul(tv4, A);
    tv2 = F.sqr(tv3);
    tv6 = F.sqr(tv4);
    tv5 = F.mul(tv6, A);
    tv2 = F.add(tv2, tv5);
    tv2 = F.mul(tv2, tv3);
    tv6 = F.mul(tv6, tv4);
    tv5 = F.mul(tv6, B);
    tv2 = F.add(tv2, tv5);
    x2 = F.mul(tv1, tv3);
    const { isValid, value } = sqrtRatio(tv2, tv6);
    y = F.mul(tv1, u);
    y = F.mul(y, value);
    x2 = F.cmov(x2, tv3, isValid);
    y = F.cmov(y, value, isValid);
    const e1 = F.isOdd(u) === F.isOdd(y);
    y = F.cmov(F.neg(y), y, e1);
    const tv4_inv = FpInvertBatch(F, [tv4], true)[0];
    x2 = F.mul(x2, tv4_inv);
    return { x: x2, y };
  };
}

// ../../node_modules/@noble/curves/ed25519.js
/*! noble-curves - MIT License (c) 2022 Paul Miller (paulmillr.com) */
var _1n6 = /* @__PURE__ */ BigInt(1);
var _2n4 = /* @__PURE__ */ BigInt(2);
var _5n2 = /* @__PURE__ */ BigInt(5);
var _8n3 = /* @__PURE__ */ BigInt(8);
var ed25519_CURVE_p = /* @__PURE__ */ BigInt("0x7fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffed");
var ed25519_CURVE = /* @__PURE__ */ (() => ({
  p: ed25519_CURVE_p,
  n: BigInt("0x1000000000000000000000000000000014def9dea2f79cd65812631a5cf5d3ed"),
  h: _8n3,
  a: BigInt("0x7fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffec"),
  d: BigInt("0x52036cee2b6ffe738cc740797779e89800700a4d4141d8ab75eb4dca135978a3"),
  Gx: BigInt("0x216936d3cd6e53fec0a4e231fdd6dc5c692cc7609525a7b2c9562d608f25d51a"),
  Gy: BigInt("0x6666666666666666666666666666666666666666666666666666666666666658")
}))();
function ed25519_pow_2_252_3(x) {
  const _10n = BigInt(10), _20n = BigInt(20), _40n = BigInt(40), _80n = BigInt(80);
  const P = ed25519_CURVE_p;
  const x2 = x * x % P;
  const b2 = x2 * x % P;
  const b4 = pow2(b2, _2n4, P) * b2 % P;
  const b5 = pow2(b4, _1n6, P) * x % P;
  const b10 = pow2(b5, _5n2, P) * b5 % P;
  const b20 = pow2(b10, _10n, P) * b10 % P;
  const b40 = pow2(b20, _20n, P) * b20 % P;
  const b80 = pow2(b40, _40n, P) * b40 % P;
  const b160 = pow2(b80, _80n, P) * b80 % P;
  const b240 = pow2(b160, _80n, P) * b80 % P;
  const b250 = pow2(b240, _10n, P) * b10 % P;
  const pow_p_5_8 = pow2(b250, _2n4, P) * x % P;
  return { pow_p_5_8, b2 };
}
function adjustScalarBytes(bytes) {
  bytes[0] &= 248;
  bytes[31] &= 127;
  bytes[31] |= 64;
  return bytes;
}
var ED25519_SQRT_M1 = /* @__PURE__ */ BigInt("19681161376707505956807079304988542015446066515923890162744021073123829784752");
function uvRatio(u, v) {
  const P = ed25519_CURVE_p;
  const v3 = mod(v * v * v, P);
  const v7 = mod(v3 * v3 * v, P);
  const pow3 = ed25519_pow_2_252_3(u * v7).pow_p_5_8;
  let x = mod(u * v3 * pow3, P);
  const vx2 = mod(v * x * x, P);
  const root1 = x;
  const root2 = mod(x * ED25519_SQRT_M1, P);
  const useRoot1 = vx2 === u;
  const useRoot2 = vx2 === mod(-u, P);
  const noRoot = vx2 === mod(-u * ED25519_SQRT_M1, P);
  if (useRoot1)
    x = root1;
  if (useRoot2 || noRoot)
    x = root2;
  if (isNegativeLE(x, P))
    x = mod(-x, P);
  return { isValid: useRoot1 || useRoot2, value: x };
}
var ed25519_Point = /* @__PURE__ */ edwards(ed25519_CURVE, { uvRatio });
var Fp = /* @__PURE__ */ (() => ed25519_Point.Fp)();
function toMontgomery(point) {
  const { y } = point;
  return Fp.toBytes(Fp.div(_1n6 + y, _1n6 - y));
}
function toMontgomerySecret(secretKey) {
  const size = ed25519_Point.Fp.BYTES;
  abytes(secretKey, size);
  return adjustScalarBytes(sha512(secretKey.subarray(0, size))).subarray(0, size);
}
var Fn = /* @__PURE__ */ (() => ed25519_Point.Fn)();
function ed(opts) {
  return eddsa(ed25519_Point, sha512, Object.assign({ adjustScalarBytes, toMontgomery, toMontgomerySecret, zip215: true }, opts));
}
var ed25519 = /* @__PURE__ */ ed({});
var SQRT_M1 = ED25519_SQRT_M1;
var SQRT_AD_MINUS_ONE = /* @__PURE__ */ BigInt("25063068953384623474111414158702152701244531502492656460079210482610430750235");
var INVSQRT_A_MINUS_D = /* @__PURE__ */ BigInt("54469307008909316920995813868745141605393597292927456921205312896311721017578");
var ONE_MINUS_D_SQ = /* @__PURE__ */ BigInt("1159843021668779879193775521855586647937357759715417654439879720876111806838");
var D_MINUS_ONE_SQ = /* @__PURE__ */ BigInt("40440834346308536858101042469323190826248399146238708352240133220865137265952");
var invertSqrt = (number) => uvRatio(_1n6, number);
var MAX_255B = /* @__PURE__ */ BigInt("0x7fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff");
var bytes255ToNumberLE = (bytes) => Fp.create(bytesToNumberLE(bytes) & MAX_255B);
function calcElligatorRistrettoMap(r0) {
  const { d } = ed25519_CURVE;
  const r = Fp.mul(Fp.mulN(SQRT_M1, r0), r0);
  const Ns = Fp.mul(Fp.addN(r, _1n6), ONE_MINUS_D_SQ);
  let c = BigInt(-1);
  const D = Fp.mul(Fp.subN(c, Fp.mulN(d, r)), Fp.add(r, d));
  let { isValid: Ns_D_is_sq, value: s } = uvRatio(Ns, D);
  let s_ = Fp.mul(s, r0);
  if (!Fp.isOdd(s_))
    s_ = Fp.neg(s_);
  if (!Ns_D_is_sq)
    s = s_;
  if (!Ns_D_is_sq)
    c = r;
  const Nt = Fp.sub(Fp.mulN(Fp.mulN(c, Fp.subN(r, _1n6)), D_MINUS_ONE_SQ), D);
  const s2 = Fp.sqrN(s);
  const W0 = Fp.mul(Fp.addN(s, s), D);
  const W1 = Fp.mul(Nt, SQRT_AD_MINUS_ONE);
  const W2 = Fp.sub(_1n6, s2);
  const W3 = Fp.add(_1n6, s2);
  return new ed25519_Point(Fp.mul(W0, W3), Fp.mul(W2, W1), Fp.mul(W1, W3), Fp.mul(W0, W2));
}
var _RistrettoPoint = class __RistrettoPoint extends PrimeEdwardsPoint {
  // Do NOT change syntax: the following gymnastics is done,
  // because typescript strips comments, which makes bundlers disable tree-shaking.
  // prettier-ignore
  static BASE = /* @__PURE__ */ (() => new __RistrettoPoint(ed25519_Point.BASE))();
  // prettier-ignore
  static ZERO = /* @__PURE__ */ (() => new __RistrettoPoint(ed25519_Point.ZERO))();
  // prettier-ignore
  static Fp = /* @__PURE__ */ (() => Fp)();
  // prettier-ignore
  static Fn = /* @__PURE__ */ (() => Fn)();
  constructor(ep) {
    super(ep);
  }
  /**
   * Create one Ristretto255 point from affine Edwards coordinates.
   * This wraps the internal Edwards representative directly and is not a
   * canonical ristretto255 decoding path.
   * Use `toBytes()` / `fromBytes()` if canonical ristretto255 bytes matter.
   */
  static fromAffine(ap) {
    return new __RistrettoPoint(ed25519_Point.fromAffine(ap));
  }
  assertSame(other) {
    if (!(other instanceof __RistrettoPoint))
      throw new Error("RistrettoPoint expected");
  }
  init(ep) {
    return new __RistrettoPoint(ep);
  }
  static fromBytes(bytes) {
    abytes(bytes, 32);
    const { a, d } = ed25519_CURVE;
    const s = bytes255ToNumberLE(bytes);
    if (!equalBytes(Fp.toBytes(s), bytes) || Fp.isOdd(s))
      throw new Error("invalid ristretto255 encoding 1");
    const s2 = Fp.sqr(s);
    const u1 = Fp.add(_1n6, Fp.mulN(a, s2));
    const u2 = Fp.sub(_1n6, Fp.mulN(a, s2));
    const u1_2 = Fp.sqr(u1);
    const u2_2 = Fp.sqr(u2);
    const v = Fp.sub(Fp.mulN(Fp.mulN(a, d), u1_2), u2_2);
    const { isValid, value: I } = invertSqrt(Fp.mul(v, u2_2));
    const Dx = Fp.mul(I, u2);
    const Dy = Fp.mul(Fp.mulN(I, Dx), v);
    let x = Fp.mul(Fp.addN(s, s), Dx);
    if (Fp.isOdd(x))
      x = Fp.neg(x);
    const y = Fp.mul(u1, Dy);
    const t = Fp.mul(x, y);
    if (!isValid || Fp.isOdd(t) || Fp.is0(y))
      throw new Error("invalid ristretto255 encoding 2");
    return new __RistrettoPoint(new ed25519_Point(x, y, Fp.ONE, t));
  }
  /**
   * Converts ristretto-encoded string to ristretto point.
   * Described in [RFC9496](https://www.rfc-editor.org/rfc/rfc9496#name-decode).
   * @param hex - Ristretto-encoded 32 bytes. Not every 32-byte string is valid ristretto encoding
   */
  static fromHex(hex) {
    return __RistrettoPoint.fromBytes(hexToBytes(hex));
  }
  /**
   * Encodes ristretto point to Uint8Array.
   * Described in [RFC9496](https://www.rfc-editor.org/rfc/rfc9496#name-encode).
   */
  toBytes() {
    let { X, Y, Z, T } = this.ep;
    const u1 = Fp.mul(Fp.add(Z, Y), Fp.sub(Z, Y));
    const u2 = Fp.mul(X, Y);
    const u2sq = Fp.sqr(u2);
    const { value: invsqrt } = invertSqrt(Fp.mul(u1, u2sq));
    const D1 = Fp.mul(invsqrt, u1);
    const D2 = Fp.mul(invsqrt, u2);
    const zInv = Fp.mul(Fp.mulN(D1, D2), T);
    let D;
    if (Fp.isOdd(Fp.mul(T, zInv))) {
      let _x = Fp.mul(Y, SQRT_M1);
      let _y = Fp.mul(X, SQRT_M1);
      X = _x;
      Y = _y;
      D = Fp.mul(D1, INVSQRT_A_MINUS_D);
    } else {
      D = D2;
    }
    if (Fp.isOdd(Fp.mul(X, zInv)))
      Y = Fp.neg(Y);
    let s = Fp.mul(Fp.subN(Z, Y), D);
    if (Fp.isOdd(s))
      s = Fp.neg(s);
    return Fp.toBytes(s);
  }
  /**
   * Compares two Ristretto points.
   * Described in [RFC9496](https://www.rfc-editor.org/rfc/rfc9496#name-equals).
   */
  equals(other) {
    this.assertSame(other);
    const { X: X1, Y: Y1 } = this.ep;
    const { X: X2, Y: Y2 } = other.ep;
    const one = Fp.eql(Fp.mul(X1, Y2), Fp.mul(Y1, X2));
    const two = Fp.eql(Fp.mul(Y1, Y2), Fp.mul(X1, X2));
    return one || two;
  }
  is0() {
    return this.equals(__RistrettoPoint.ZERO);
  }
};
var ristretto255 = /* @__PURE__ */ (() => {
  Object.freeze(_RistrettoPoint.BASE);
  Object.freeze(_RistrettoPoint.ZERO);
  Object.freeze(_RistrettoPoint.prototype);
  Object.freeze(_RistrettoPoint);
  return Object.freeze({ Point: _RistrettoPoint });
})();
var ristretto255_hasher = /* @__PURE__ */ Object.freeze({
  Point: _RistrettoPoint,
  /**
  * Spec: https://www.rfc-editor.org/rfc/rfc9380.html#name-hashing-to-ristretto255. Caveats:
  * * There are no test vectors
  * * encodeToCurve / mapToCurve is undefined
  * * mapToCurve would be `calcElligatorRistrettoMap(scalars[0])`, not ristretto255_map!
  * * hashToScalar is undefined too, so we just use OPRF implementation
  * * We cannot re-use 'createHasher', because ristretto255_map is different algorithm/RFC
    (os2ip -> bytes255ToNumberLE)
  * * mapToCurve == calcElligatorRistrettoMap, hashToCurve == ristretto255_map
  * * hashToScalar is undefined in RFC9380 for ristretto, so we use the OPRF
    version here. Using `bytes255ToNumblerLE` will create a different result
    if we use `bytes255ToNumberLE` as os2ip
  * * current version is closest to spec.
  */
  hashToCurve(msg, options) {
    const DST2 = options?.DST === void 0 ? "ristretto255_XMD:SHA-512_R255MAP_RO_" : options.DST;
    const xmd = expand_message_xmd(msg, DST2, 64, sha512);
    return ristretto255_hasher.deriveToCurve(xmd);
  },
  hashToScalar(msg, options) {
    const DST2 = options?.DST === void 0 ? _DST_scalar : options.DST;
    const xmd = expand_message_xmd(msg, DST2, 64, sha512);
    return Fn.create(bytesToNumberLE(xmd));
  },
  /**
   * HashToCurve-like construction based on RFC 9496 (Element Derivation).
   * Converts 64 uniform random bytes into a curve point.
   *
   * WARNING: This represents an older hash-to-curve construction from before
   * RFC 9380 was finalized.
   * It was later reused as a component in the newer
   * `hash_to_ristretto255` function defined in RFC 9380.
   */
  deriveToCurve(bytes) {
    abytes(bytes, 64);
    const r1 = bytes255ToNumberLE(bytes.subarray(0, 32));
    const R1 = calcElligatorRistrettoMap(r1);
    const r2 = bytes255ToNumberLE(bytes.subarray(32, 64));
    const R2 = calcElligatorRistrettoMap(r2);
    return new _RistrettoPoint(R1.add(R2));
  }
});

// ../../node_modules/@noble/curves/abstract/weierstrass.js
/*! noble-curves - MIT License (c) 2022 Paul Miller (paulmillr.com) */
var divNearest = (num, den) => (num + (num >= 0 ? den : -den) / _2n5) / den;
function _splitEndoScalar(k, basis, n) {
  aInRange("scalar", k, _0n6, n);
  const [[a1, b1], [a2, b2]] = basis;
  const c1 = divNearest(b2 * k, n);
  const c2 = divNearest(-b1 * k, n);
  let k1 = k - c1 * a1 - c2 * a2;
  let k2 = -c1 * b1 - c2 * b2;
  const k1neg = k1 < _0n6;
  const k2neg = k2 < _0n6;
  if (k1neg)
    k1 = -k1;
  if (k2neg)
    k2 = -k2;
  const MAX_NUM = bitMask(Math.ceil(bitLen(n) / 2)) + _1n7;
  if (k1 < _0n6 || k1 >= MAX_NUM || k2 < _0n6 || k2 >= MAX_NUM) {
    throw new Error("splitScalar (endomorphism): failed for k");
  }
  return { k1neg, k1, k2neg, k2 };
}
var _0n6 = /* @__PURE__ */ BigInt(0);
var _1n7 = /* @__PURE__ */ BigInt(1);
var _2n5 = /* @__PURE__ */ BigInt(2);
var _3n3 = /* @__PURE__ */ BigInt(3);
var _4n5 = /* @__PURE__ */ BigInt(4);
function weierstrass(params, extraOpts = {}) {
  const validated = createCurveFields("weierstrass", params, extraOpts);
  const Fp3 = validated.Fp;
  const Fn2 = validated.Fn;
  let CURVE = validated.CURVE;
  const { h: cofactor, n: CURVE_ORDER } = CURVE;
  validateObject(extraOpts, {}, {
    allowInfinityPoint: "boolean",
    clearCofactor: "function",
    isTorsionFree: "function",
    fromBytes: "function",
    toBytes: "function",
    endo: "object",
    randomBytes: "function"
  });
  const { endo: endoOpts, allowInfinityPoint, clearCofactor, isTorsionFree, fromBytes, toBytes } = extraOpts;
  const randomBytes4 = extraOpts.randomBytes === void 0 ? randomBytes2 : extraOpts.randomBytes;
  if (endoOpts) {
    if (!Fp3.is0(CURVE.a) || typeof endoOpts.beta !== "bigint" || !Array.isArray(endoOpts.basises)) {
      throw new Error('invalid endo: expected "beta": bigint and "basises": array');
    }
  }
  const endo = endoOpts ? {
    beta: endoOpts.beta,
    basises: endoOpts.basises.map((basis) => [...basis])
  } : void 0;
  const lengths = getWLengths(Fp3, Fn2);
  function assertCompressionIsSupported() {
    if (!Fp3.isOdd)
      throw new Error("compression is not supported: Field does not have .isOdd()");
  }
  function pointToBytes(_c, point, isCompressed) {
    if (point.is0()) {
      if (!allowInfinityPoint)
        throw new Error("bad point: ZERO");
      return Uint8Array.of(0);
    }
    const { x, y } = point.toAffine();
    const bx = Fp3.toBytes(x);
    abool(isCompressed, "isCompressed");
    if (isCompressed) {
      assertCompressionIsSupported();
      const hasEvenY = !Fp3.isOdd(y);
      return concatBytes2(pprefix(hasEvenY), bx);
    } else {
      return concatBytes2(Uint8Array.of(4), bx, Fp3.toBytes(y));
    }
  }
  function pointFromBytes(bytes) {
    abytes2(bytes, void 0, "Point");
    const { publicKey: comp, publicKeyUncompressed: uncomp } = lengths;
    const length = bytes.length;
    const head = bytes[0];
    const tail = bytes.subarray(1);
    if (allowInfinityPoint && length === 1 && head === 0)
      return { x: Fp3.ZERO, y: Fp3.ZERO };
    if (length === comp && (head === 2 || head === 3)) {
      const x = Fp3.fromBytes(tail);
      if (!Fp3.isValid(x))
        throw new Error("bad point: is not on curve, wrong x");
      const y2 = weierstrassEquation(x);
      let y;
      try {
        y = Fp3.sqrt(y2);
      } catch (sqrtError) {
        const err = sqrtError instanceof Error ? ": " + sqrtError.message : "";
        throw new Error("bad point: is not on curve, sqrt error" + err);
      }
      assertCompressionIsSupported();
      const evenY = Fp3.isOdd(y);
      const evenH = (head & 1) === 1;
      if (evenH !== evenY)
        y = Fp3.neg(y);
      return { x, y };
    } else if (length === uncomp && head === 4) {
      const L2 = Fp3.BYTES;
      const x = Fp3.fromBytes(tail.subarray(0, L2));
      const y = Fp3.fromBytes(tail.subarray(L2, L2 * 2));
      if (!isValidXY(x, y))
        throw new Error("bad point: is not on curve");
      return { x, y };
    } else {
      throw new Error(`bad point: got length ${length}, expected compressed=${comp} or uncompressed=${uncomp}`);
    }
  }
  const encodePoint = toBytes === void 0 ? pointToBytes : toBytes;
  const decodePoint = fromBytes === void 0 ? pointFromBytes : fromBytes;
  const b3 = Fp3.mul(CURVE.b, _3n3);
  const mulA = Fp3.is0(CURVE.a) ? (_) => Fp3.ZERO : (x) => Fp3.mul(CURVE.a, x);
  function weierstrassEquation(x) {
    const x2 = Fp3.sqr(x);
    const x3 = Fp3.mul(x2, x);
    return Fp3.add(Fp3.add(x3, Fp3.mul(x, CURVE.a)), CURVE.b);
  }
  function isValidXY(x, y) {
    const left = Fp3.sqr(y);
    const right = weierstrassEquation(x);
    return Fp3.eql(left, right);
  }
  if (!isValidXY(CURVE.Gx, CURVE.Gy))
    throw new Error("bad curve params: generator point");
  const _4a3 = Fp3.mul(Fp3.pow(CURVE.a, _3n3), _4n5);
  const _27b2 = Fp3.mul(Fp3.sqr(CURVE.b), BigInt(27));
  if (Fp3.is0(Fp3.add(_4a3, _27b2)))
    throw new Error("bad curve params: a or b");
  function acoord(title, n, banZero = false) {
    if (!Fp3.isValid(n) || banZero && Fp3.is0(n))
      throw new Error(`bad point coordinate ${title}`);
    return typeof n === "object" && n !== null ? Fp3.create(n) : n;
  }
  function aprjpoint(other) {
    if (!(other instanceof Point))
      throw new Error("Weierstrass Point expected");
  }
  function splitEndoScalarN(k) {
    if (!endo || !endo.basises)
      throw new Error("no endo");
    return _splitEndoScalar(k, endo.basises, Fn2.ORDER);
  }
  function pushWnafPair(points, scalars, p, k) {
    if (!Fn2.isValid(k))
      throw new RangeError("invalid scalar: out of range");
    if (endo) {
      const { k1neg, k1, k2neg, k2 } = splitEndoScalarN(k);
      const psi = new Point(Fp3.mul(p.X, endo.beta), p.Y, p.Z);
      points.push(k1neg ? p.negate() : p, k2neg ? psi.negate() : psi);
      scalars.push(k1, k2);
    } else {
      points.push(p);
      scalars.push(k);
    }
  }
  const validityCache = /* @__PURE__ */ new WeakSet();
  class Point {
    static BASE = new Point(CURVE.Gx, CURVE.Gy, Fp3.ONE);
    static ZERO = new Point(Fp3.ZERO, Fp3.ONE, Fp3.ZERO);
    static Fp = Fp3;
    static Fn = Fn2;
    X;
    Y;
    Z;
    /** Does NOT validate if the point is valid. Use `.assertValidity()`. */
    constructor(X, Y, Z) {
      this.X = acoord("x", X);
      this.Y = acoord("y", Y, true);
      this.Z = acoord("z", Z);
      Object.freeze(this);
    }
    static CURVE() {
      return CURVE;
    }
    /** Does NOT validate if the point is valid. Use `.assertValidity()`. */
    static fromAffine(p) {
      const { x, y } = p || {};
      if (!p || !Fp3.isValid(x) || !Fp3.isValid(y))
        throw new Error("invalid affine point");
      if (p instanceof Point)
        throw new Error("projective point not allowed");
      if (Fp3.is0(x) && Fp3.is0(y))
        return Point.ZERO;
      return new Point(x, y, Fp3.ONE);
    }
    static fromBytes(bytes) {
      const P = Point.fromAffine(decodePoint(abytes2(bytes, void 0, "point")));
      P.assertValidity();
      return P;
    }
    static fromHex(hex) {
      return Point.fromBytes(hexToBytes2(hex));
    }
    get x() {
      return this.toAffine().x;
    }
    get y() {
      return this.toAffine().y;
    }
    /**
     * @param isLazy - true will defer table computation until the first multiplication
     */
    precompute(windowSize = 6, isLazy = true) {
      wnaf.setWindowSize(this, windowSize);
      if (!isLazy)
        this.multiply(_3n3);
      return this;
    }
    // TODO: return `this`
    /** A point on curve is valid if it conforms to equation. */
    assertValidity() {
      const p = this;
      if (p.is0()) {
        if (allowInfinityPoint && Fp3.is0(p.X) && Fp3.eql(p.Y, Fp3.ONE) && Fp3.is0(p.Z))
          return;
        throw new Error("bad point: ZERO");
      }
      if (validityCache.has(p))
        return;
      const { x, y } = p.toAffine();
      if (!Fp3.isValid(x) || !Fp3.isValid(y))
        throw new Error("bad point: x or y not field elements");
      if (!isValidXY(x, y))
        throw new Error("bad point: equation left != right");
      if (!p.isTorsionFree())
        throw new Error("bad point: not in prime-order subgroup");
      validityCache.add(p);
    }
    hasEvenY() {
      const { y } = this.toAffine();
      if (!Fp3.isOdd)
        throw new Error("Field doesn't support isOdd");
      return !Fp3.isOdd(y);
    }
    /** Compare one point to another. */
    equals(other) {
      aprjpoint(other);
      const { X: X1, Y: Y1, Z: Z1 } = this;
      const { X: X2, Y: Y2, Z: Z2 } = other;
      const U1 = Fp3.eql(Fp3.mul(X1, Z2), Fp3.mul(X2, Z1));
      const U2 = Fp3.eql(Fp3.mul(Y1, Z2), Fp3.mul(Y2, Z1));
      return U1 && U2;
    }
    /** Flips point to one corresponding to (x, -y) in Affine coordinates. */
    negate() {
      return new Point(this.X, Fp3.neg(this.Y), this.Z);
    }
    // Renes-Costello-Batina exception-free doubling formula.
    // There is 30% faster Jacobian formula, but it is not complete.
    // https://eprint.iacr.org/2015/1060, algorithm 3
    // Cost: 8M + 3S + 3*a + 2*b3 + 15add.
    double() {
      const { X: X1, Y: Y1, Z: Z1 } = this;
      let X3 = Fp3.ZERO, Y3 = Fp3.ZERO, Z3 = Fp3.ZERO;
      let t0 = Fp3.mul(X1, X1);
      let t1 = Fp3.mul(Y1, Y1);
      let t2 = Fp3.mul(Z1, Z1);
      let t3 = Fp3.mul(X1, Y1);
      t3 = Fp3.add(t3, t3);
      Z3 = Fp3.mul(X1, Z1);
      Z3 = Fp3.add(Z3, Z3);
      X3 = mulA(Z3);
      Y3 = Fp3.mul(b3, t2);
      Y3 = Fp3.add(X3, Y3);
      X3 = Fp3.sub(t1, Y3);
      Y3 = Fp3.add(t1, Y3);
      Y3 = Fp3.mul(X3, Y3);
      X3 = Fp3.mul(t3, X3);
      Z3 = Fp3.mul(b3, Z3);
      t2 = mulA(t2);
      t3 = Fp3.sub(t0, t2);
      t3 = mulA(t3);
      t3 = Fp3.add(t3, Z3);
      Z3 = Fp3.add(t0, t0);
      t0 = Fp3.add(Z3, t0);
      t0 = Fp3.add(t0, t2);
      t0 = Fp3.mul(t0, t3);
      Y3 = Fp3.add(Y3, t0);
      t2 = Fp3.mul(Y1, Z1);
      t2 = Fp3.add(t2, t2);
      t0 = Fp3.mul(t2, t3);
      X3 = Fp3.sub(X3, t0);
      Z3 = Fp3.mul(t2, t1);
      Z3 = Fp3.add(Z3, Z3);
      Z3 = Fp3.add(Z3, Z3);
      return new Point(X3, Y3, Z3);
    }
    // Renes-Costello-Batina exception-free addition formula.
    // There is 30% faster Jacobian formula, but it is not complete.
    // https://eprint.iacr.org/2015/1060, algorithm 1
    // Cost: 12M + 0S + 3*a + 3*b3 + 23add.
    add(other) {
      aprjpoint(other);
      const { X: X1, Y: Y1, Z: Z1 } = this;
      const { X: X2, Y: Y2, Z: Z2 } = other;
      let X3 = Fp3.ZERO, Y3 = Fp3.ZERO, Z3 = Fp3.ZERO;
      let t0 = Fp3.mul(X1, X2);
      let t1 = Fp3.mul(Y1, Y2);
      let t2 = Fp3.mul(Z1, Z2);
      let t3 = Fp3.add(X1, Y1);
      let t4 = Fp3.add(X2, Y2);
      t3 = Fp3.mul(t3, t4);
      t4 = Fp3.add(t0, t1);
      t3 = Fp3.sub(t3, t4);
      t4 = Fp3.add(X1, Z1);
      let t5 = Fp3.add(X2, Z2);
      t4 = Fp3.mul(t4, t5);
      t5 = Fp3.add(t0, t2);
      t4 = Fp3.sub(t4, t5);
      t5 = Fp3.add(Y1, Z1);
      X3 = Fp3.add(Y2, Z2);
      t5 = Fp3.mul(t5, X3);
      X3 = Fp3.add(t1, t2);
      t5 = Fp3.sub(t5, X3);
      Z3 = mulA(t4);
      X3 = Fp3.mul(b3, t2);
      Z3 = Fp3.add(X3, Z3);
      X3 = Fp3.sub(t1, Z3);
      Z3 = Fp3.add(t1, Z3);
      Y3 = Fp3.mul(X3, Z3);
      t1 = Fp3.add(t0, t0);
      t1 = Fp3.add(t1, t0);
      t2 = mulA(t2);
      t4 = Fp3.mul(b3, t4);
      t1 = Fp3.add(t1, t2);
      t2 = Fp3.sub(t0, t2);
      t2 = mulA(t2);
      t4 = Fp3.add(t4, t2);
      t0 = Fp3.mul(t1, t4);
      Y3 = Fp3.add(Y3, t0);
      t0 = Fp3.mul(t5, t4);
      X3 = Fp3.mul(t3, X3);
      X3 = Fp3.sub(X3, t0);
      t0 = Fp3.mul(t3, t1);
      Z3 = Fp3.mul(t5, Z3);
      Z3 = Fp3.add(Z3, t0);
      return new Point(X3, Y3, Z3);
    }
    subtract(other) {
      aprjpoint(other);
      return this.add(other.negate());
    }
    is0() {
      return this.equals(Point.ZERO);
    }
    /**
     * Constant time multiplication.
     * Uses precomputed tables (signed fixed-window wNAF) when available.
     * Uses scalar blinding and avoids endomorphism splitting in the secret-scalar path.
     * @param scalar - by which the point would be multiplied
     * @returns New point
     */
    multiply(scalar) {
      if (!Fn2.isValidNot0(scalar))
        throw new RangeError("invalid scalar: out of range");
      const { p, f } = wnaf.mulSecret(this, scalar, cofactor, normalize);
      return normalize([p, f])[0];
    }
    /**
     * Non-constant-time multiplication. Uses width-4 wNAF with GLV endomorphism splitting
     * when available (two half-width scalars sharing one halved doubling chain).
     * It's faster, but should only be used when you don't care about
     * an exposed secret key e.g. sig verification, which works over *public* keys.
     */
    multiplyUnsafe(scalar) {
      const p = this;
      const sc = scalar;
      if (!Fn2.isValid(sc))
        throw new RangeError("invalid scalar: out of range");
      if (sc === _0n6 || p.is0())
        return Point.ZERO;
      if (sc === _1n7)
        return p;
      if (wnaf.hasWindowSize(this))
        return wnaf.mulUnsafe(p, sc, normalize);
      const points = [];
      const scalars = [];
      pushWnafPair(points, scalars, p, sc);
      return mulAddUnsafe(Point, points, scalars);
    }
    /**
     * Non-constant-time double-scalar multiplication `a⋅this + b⋅other` (Strauss–Shamir).
     * Both walks share one doubling chain via {@link mulAddUnsafe}, and GLV endomorphism
     * (when available) halves the chain again by splitting each scalar into two half-width
     * parts. Used by ECDSA verification and public-key recovery for `R = u1⋅G + u2⋅P`.
     * Only for public scalars.
     */
    mulAddUnsafe(a, other, b) {
      aprjpoint(other);
      const points = [];
      const scalars = [];
      pushWnafPair(points, scalars, this, a);
      pushWnafPair(points, scalars, other, b);
      return mulAddUnsafe(Point, points, scalars);
    }
    /**
     * Converts Projective point to affine (x, y) coordinates.
     * (X, Y, Z) ∋ (x=X/Z, y=Y/Z).
     * @param invertedZ - Z^-1 (inverted zero) - optional, precomputation is useful for invertBatch
     */
    toAffine(invertedZ) {
      const p = this;
      let iz = invertedZ;
      if (iz != null && !Fp3.isValid(iz))
        throw new RangeError('"invertedZ" expected valid field element');
      const { X, Y, Z } = p;
      if (Fp3.eql(Z, Fp3.ONE))
        return { x: X, y: Y };
      const is0 = p.is0();
      if (iz == null)
        iz = is0 ? Fp3.ONE : Fp3.inv(Z);
      const x = Fp3.mul(X, iz);
      const y = Fp3.mul(Y, iz);
      const zz = Fp3.mul(Z, iz);
      if (is0)
        return { x: Fp3.ZERO, y: Fp3.ZERO };
      if (!Fp3.eql(zz, Fp3.ONE))
        throw new Error("invZ was invalid");
      return { x, y };
    }
    /**
     * Checks whether Point is free of torsion elements (is in prime subgroup).
     * Always torsion-free for cofactor=1 curves.
     */
    isTorsionFree() {
      if (cofactor === _1n7)
        return true;
      if (isTorsionFree)
        return isTorsionFree(Point, this);
      return wnaf.mulUnsafe(this, CURVE_ORDER).is0();
    }
    clearCofactor() {
      if (cofactor === _1n7)
        return this;
      if (clearCofactor)
        return clearCofactor(Point, this);
      return this.multiplyUnsafe(cofactor);
    }
    isSmallOrder() {
      if (cofactor === _1n7)
        return this.is0();
      return this.clearCofactor().is0();
    }
    toBytes(isCompressed = true) {
      abool(isCompressed, "isCompressed");
      this.assertValidity();
      return encodePoint(Point, this, isCompressed);
    }
    toHex(isCompressed = true) {
      return bytesToHex2(this.toBytes(isCompressed));
    }
    toString() {
      return `<Point ${this.is0() ? "ZERO" : this.toHex()}>`;
    }
  }
  const normalize = (points) => normalizeZ(Point, points);
  const wnaf = new ScalarMultiplier(Point, randomBytes4);
  if (wnaf.bits >= 6)
    Point.BASE.precompute(6);
  Object.freeze(Point.prototype);
  Object.freeze(Point);
  return Point;
}
function pprefix(hasEvenY) {
  return Uint8Array.of(hasEvenY ? 2 : 3);
}
function getWLengths(Fp3, Fn2) {
  return {
    secretKey: Fn2.BYTES,
    publicKey: 1 + Fp3.BYTES,
    publicKeyUncompressed: 1 + 2 * Fp3.BYTES,
    publicKeyHasPrefix: true,
    // Raw compact `(r || s)` signature width; DER and recovered signatures use
    // different lengths outside this helper.
    signature: 2 * Fn2.BYTES
  };
}

// ../../node_modules/@noble/curves/abstract/bls.js
/*! noble-curves - MIT License (c) 2022 Paul Miller (paulmillr.com) */
var _0n7 = BigInt(0);
var _1n8 = BigInt(1);
var _2n6 = BigInt(2);
var _3n4 = BigInt(3);
function NAfDecomposition(a) {
  const res = [];
  for (; a > _1n8; a >>= _1n8) {
    if ((a & _1n8) === _0n7)
      res.unshift(0);
    else if ((a & _3n4) === _3n4) {
      res.unshift(-1);
      a += _1n8;
    } else
      res.unshift(1);
  }
  return res;
}
function aNonEmpty(arr3) {
  if (!Array.isArray(arr3) || arr3.length === 0)
    throw new Error("expected non-empty array");
}
function createBlsPairing(fields3, G1, G2, params) {
  validateObject(fields3, { Fp: "object", Fr: "object", Fp2: "object", Fp12: "object" }, { Fp6: "object" }, "fields");
  if (typeof G1 !== "function")
    throw new TypeError('"G1_Point" expected point constructor, got type=' + typeof G1);
  if (typeof G2 !== "function")
    throw new TypeError('"G2_Point" expected point constructor, got type=' + typeof G2);
  validateObject(params, { ateLoopSize: "bigint", xNegative: "boolean", twistType: "string" }, { randomBytes: "function", postPrecompute: "function" }, "params");
  const { Fp: Fp3, Fr, Fp2: Fp23, Fp12: Fp122 } = fields3;
  const { twistType, ateLoopSize, xNegative, postPrecompute } = params;
  const fp22 = (c0, c1) => ({ c0, c1 });
  const fp2f = ({ c0, c1 }) => Object.freeze({ c0, c1 });
  const add2 = (a, b) => fp22(Fp3.add(a.c0, b.c0), Fp3.add(a.c1, b.c1));
  const sub2 = (a, b) => fp22(Fp3.sub(a.c0, b.c0), Fp3.sub(a.c1, b.c1));
  const mul2 = (a, b) => {
    const t0 = Fp3.mul(a.c0, b.c0);
    const t1 = Fp3.mul(a.c1, b.c1);
    return fp22(Fp3.sub(t0, t1), Fp3.sub(Fp3.mul(Fp3.add(a.c0, a.c1), Fp3.add(b.c0, b.c1)), Fp3.add(t0, t1)));
  };
  const mul2ByFp = (a, rhs) => fp22(Fp3.mul(a.c0, rhs), Fp3.mul(a.c1, rhs));
  const mul2ByNonresidue = (a) => Fp23.mulByNonresidue(a);
  const mul014ByLine = ({ c0: f0, c1: f1 }, o0, l1, l4, Px, Py) => {
    const o1 = mul2ByFp(l1, Px);
    const o4 = mul2ByFp(l4, Py);
    const { c0: a0, c1: a1, c2: a2 } = f0;
    const { c0: b0, c1: b1, c2: b2 } = f1;
    const t0_0 = mul2(a0, o0);
    const t0_1 = mul2(a1, o1);
    const t0_c0 = add2(mul2ByNonresidue(sub2(mul2(add2(a1, a2), o1), t0_1)), t0_0);
    const t0_c1 = sub2(sub2(mul2(add2(o0, o1), add2(a0, a1)), t0_0), t0_1);
    const t0_c2 = add2(sub2(mul2(add2(a0, a2), o0), t0_0), t0_1);
    const t1_c0 = mul2ByNonresidue(mul2(b2, o4));
    const t1_c1 = mul2(b0, o4);
    const t1_c2 = mul2(b1, o4);
    const s0 = add2(a0, b0);
    const s1 = add2(a1, b1);
    const s2 = add2(a2, b2);
    const o14 = add2(o1, o4);
    const t2_0 = mul2(s0, o0);
    const t2_1 = mul2(s1, o14);
    const t2_c0 = add2(mul2ByNonresidue(sub2(mul2(add2(s1, s2), o14), t2_1)), t2_0);
    const t2_c1 = sub2(sub2(mul2(add2(o0, o14), add2(s0, s1)), t2_0), t2_1);
    const t2_c2 = add2(sub2(mul2(add2(s0, s2), o0), t2_0), t2_1);
    return Object.freeze({
      c0: Object.freeze({
        c0: fp2f(add2(mul2ByNonresidue(t1_c2), t0_c0)),
        c1: fp2f(add2(t1_c0, t0_c1)),
        c2: fp2f(add2(t1_c1, t0_c2))
      }),
      c1: Object.freeze({
        c0: fp2f(sub2(sub2(t2_c0, t0_c0), t1_c0)),
        c1: fp2f(sub2(sub2(t2_c1, t0_c1), t1_c1)),
        c2: fp2f(sub2(sub2(t2_c2, t0_c2), t1_c2))
      })
    });
  };
  const mul034ByLine = ({ c0: f0, c1: f1 }, l0, l3, o4, Px, Py) => {
    const o0 = mul2ByFp(l0, Py);
    const o3 = mul2ByFp(l3, Px);
    const { c0: a0, c1: a1, c2: a2 } = f0;
    const { c0: b0, c1: b1, c2: b2 } = f1;
    const a_c0 = mul2(a0, o0);
    const a_c1 = mul2(a1, o0);
    const a_c2 = mul2(a2, o0);
    const b0m = mul2(b0, o3);
    const b1m = mul2(b1, o4);
    const b_c0 = add2(mul2ByNonresidue(sub2(mul2(add2(b1, b2), o4), b1m)), b0m);
    const b_c1 = sub2(sub2(mul2(add2(o3, o4), add2(b0, b1)), b0m), b1m);
    const b_c2 = add2(sub2(mul2(add2(b0, b2), o3), b0m), b1m);
    const s0 = add2(a0, b0);
    const s1 = add2(a1, b1);
    const s2 = add2(a2, b2);
    const o03 = add2(o0, o3);
    const e0m = mul2(s0, o03);
    const e1m = mul2(s1, o4);
    const e_c0 = add2(mul2ByNonresidue(sub2(mul2(add2(s1, s2), o4), e1m)), e0m);
    const e_c1 = sub2(sub2(mul2(add2(o03, o4), add2(s0, s1)), e0m), e1m);
    const e_c2 = add2(sub2(mul2(add2(s0, s2), o03), e0m), e1m);
    return Object.freeze({
      c0: Object.freeze({
        c0: fp2f(add2(mul2ByNonresidue(b_c2), a_c0)),
        c1: fp2f(add2(b_c0, a_c1)),
        c2: fp2f(add2(b_c1, a_c2))
      }),
      c1: Object.freeze({
        c0: fp2f(sub2(sub2(e_c0, a_c0), b_c0)),
        c1: fp2f(sub2(sub2(e_c1, a_c1), b_c1)),
        c2: fp2f(sub2(sub2(e_c2, a_c2), b_c2))
      })
    });
  };
  let lineFunction;
  if (twistType === "multiplicative") {
    lineFunction = (c0, c1, c2, f, Px, Py) => mul014ByLine(f, c0, c1, c2, Px, Py);
  } else if (twistType === "divisive") {
    lineFunction = (c0, c1, c2, f, Px, Py) => mul034ByLine(f, c2, c1, c0, Px, Py);
  } else
    throw new Error("bls: unknown twist type");
  const Fp2div2 = Fp23.div(Fp23.ONE, Fp23.mul(Fp23.ONE, _2n6));
  function pointDouble(ell, Rx, Ry, Rz) {
    const t0 = Fp23.sqr(Ry);
    const t1 = Fp23.sqr(Rz);
    const t2 = Fp23.mulByB(Fp23.mul(t1, _3n4));
    const t3 = Fp23.mul(t2, _3n4);
    const t4 = Fp23.sub(Fp23.sub(Fp23.sqr(Fp23.add(Ry, Rz)), t1), t0);
    const c0 = Fp23.sub(t2, t0);
    const c1 = Fp23.mul(Fp23.sqr(Rx), _3n4);
    const c2 = Fp23.neg(t4);
    ell.push([c0, c1, c2]);
    Rx = Fp23.mul(Fp23.mul(Fp23.mul(Fp23.sub(t0, t3), Rx), Ry), Fp2div2);
    Ry = Fp23.sub(Fp23.sqr(Fp23.mul(Fp23.add(t0, t3), Fp2div2)), Fp23.mul(Fp23.sqr(t2), _3n4));
    Rz = Fp23.mul(t0, t4);
    return { Rx, Ry, Rz };
  }
  function pointAdd(ell, Rx, Ry, Rz, Qx, Qy) {
    const t0 = Fp23.sub(Ry, Fp23.mul(Qy, Rz));
    const t1 = Fp23.sub(Rx, Fp23.mul(Qx, Rz));
    const c0 = Fp23.sub(Fp23.mul(t0, Qx), Fp23.mul(t1, Qy));
    const c1 = Fp23.neg(t0);
    const c2 = t1;
    ell.push([c0, c1, c2]);
    const t2 = Fp23.sqr(t1);
    const t3 = Fp23.mul(t2, t1);
    const t4 = Fp23.mul(t2, Rx);
    const t5 = Fp23.add(Fp23.sub(t3, Fp23.mul(t4, _2n6)), Fp23.mul(Fp23.sqr(t0), Rz));
    Rx = Fp23.mul(t1, t5);
    Ry = Fp23.sub(Fp23.mul(Fp23.sub(t4, t5), t0), Fp23.mul(t3, Ry));
    Rz = Fp23.mul(Rz, t3);
    return { Rx, Ry, Rz };
  }
  const ATE_NAF = NAfDecomposition(ateLoopSize);
  const calcPairingPrecomputes = (point) => {
    if (!(point instanceof G2))
      throw new TypeError('"point" expected G2 point, got type=' + typeof point);
    const p = point;
    const { x, y } = p.toAffine();
    const Qx = x, Qy = y, negQy = Fp23.neg(y);
    let Rx = Qx, Ry = Qy, Rz = Fp23.ONE;
    const ell = [];
    for (const bit of ATE_NAF) {
      const cur = [];
      ({ Rx, Ry, Rz } = pointDouble(cur, Rx, Ry, Rz));
      if (bit)
        ({ Rx, Ry, Rz } = pointAdd(cur, Rx, Ry, Rz, Qx, bit === -1 ? negQy : Qy));
      ell.push(cur);
    }
    if (postPrecompute) {
      const last = ell[ell.length - 1];
      postPrecompute(Rx, Ry, Rz, Qx, Qy, pointAdd.bind(null, last));
    }
    return ell;
  };
  function millerLoopBatch(pairs, withFinalExponent = false) {
    aarray(pairs, "pairs", (pair, title) => {
      aarray(pair, title);
      if (pair.length !== 3)
        throw new TypeError(`"${title}" expected precompute tuple`);
      aarray(pair[0], title + "[0]");
    });
    let f12 = Fp122.ONE;
    if (pairs.length) {
      const ellLen = pairs[0][0].length;
      for (let i = 0; i < ellLen; i++) {
        if (i !== 0)
          f12 = Fp122.sqr(f12);
        for (const [ell, Px, Py] of pairs) {
          for (const [c0, c1, c2] of ell[i])
            f12 = lineFunction(c0, c1, c2, f12, Px, Py);
        }
      }
    }
    if (xNegative)
      f12 = Fp122.conjugate(f12);
    return withFinalExponent ? Fp122.finalExponentiate(f12) : f12;
  }
  function pairingBatch(pairs, withFinalExponent = true) {
    aarray(pairs, "pairs");
    const res = [];
    for (let i = 0; i < pairs.length; i++) {
      const pair = pairs[i];
      validateObject(pair, { g1: "object", g2: "object" }, {}, "pairs[" + i + "]");
      const { g1: g12, g2: g22 } = pair;
      if (!(g12 instanceof G1))
        throw new TypeError('"pairs[' + i + '].g1" expected G1 point, got type=' + typeof g12);
      if (!(g22 instanceof G2))
        throw new TypeError('"pairs[' + i + '].g2" expected G2 point, got type=' + typeof g22);
      if (g12.is0() || g22.is0())
        throw new Error("pairing is not available for ZERO point");
      g12.assertValidity();
      g22.assertValidity();
      const Qa = g12.toAffine();
      res.push([calcPairingPrecomputes(g22), Qa.x, Qa.y]);
    }
    return millerLoopBatch(res, withFinalExponent);
  }
  function pairing(Q, P, withFinalExponent = true) {
    if (!(Q instanceof G1))
      throw new TypeError('"Q" expected G1 point, got type=' + typeof Q);
    if (!(P instanceof G2))
      throw new TypeError('"P" expected G2 point, got type=' + typeof P);
    return pairingBatch([{ g1: Q, g2: P }], withFinalExponent);
  }
  const lengths = {
    seed: getMinHashLength(Fr.ORDER)
  };
  const rand = params.randomBytes === void 0 ? randomBytes2 : params.randomBytes;
  const randomSecretKey = (seed) => {
    seed = seed === void 0 ? rand(lengths.seed) : seed;
    abytes2(seed, lengths.seed, "seed");
    return mapHashToField(seed, Fr.ORDER);
  };
  Object.freeze(lengths);
  return {
    lengths,
    Fr,
    Fp12: Fp122,
    // NOTE: we re-export Fp12 here because pairing results are Fp12!
    millerLoopBatch,
    pairing,
    pairingBatch,
    calcPairingPrecomputes,
    randomSecretKey
  };
}
function createBlsSig(blsPairing, PubPoint, SigPoint, isSigG1, hashToSigCurve, SignatureCoder) {
  const { Fr, Fp12: Fp122, pairingBatch, randomSecretKey, lengths } = blsPairing;
  if (!SignatureCoder) {
    SignatureCoder = {
      fromBytes: notImplemented,
      fromHex: notImplemented,
      toBytes: notImplemented,
      toHex: notImplemented
    };
  }
  const sigCoder = Object.freeze({ ...SignatureCoder });
  function normPub(point) {
    return point instanceof PubPoint ? point : PubPoint.fromBytes(point);
  }
  function normSig(point) {
    return point instanceof SigPoint ? point : sigCoder.fromBytes(point);
  }
  function amsg(m) {
    if (!(m instanceof SigPoint))
      throw new Error(`expected valid message hashed to ${!isSigG1 ? "G2" : "G1"} curve`);
    return m;
  }
  const pair = !isSigG1 ? (a, b) => ({ g1: a, g2: b }) : (a, b) => ({ g1: b, g2: a });
  return Object.freeze({
    lengths: Object.freeze({ ...lengths, secretKey: Fr.BYTES }),
    keygen(seed) {
      const secretKey = randomSecretKey(seed);
      const publicKey = this.getPublicKey(secretKey);
      return { secretKey, publicKey };
    },
    // P = pk x G
    getPublicKey(secretKey) {
      let sec;
      try {
        sec = PubPoint.Fn.fromBytes(secretKey);
      } catch (error) {
        throw new Error("invalid private key: " + typeof secretKey, { cause: error });
      }
      return PubPoint.BASE.multiply(sec);
    },
    // S = pk x H(m)
    sign(message, secretKey, unusedArg) {
      if (unusedArg != null)
        throw new Error("sign() expects 2 arguments");
      const sec = PubPoint.Fn.fromBytes(secretKey);
      amsg(message).assertValidity();
      return message.multiply(sec);
    },
    // Checks if pairing of public key & hash is equal to pairing of generator & signature.
    // e(P, H(m)) == e(G, S)
    // e(S, G) == e(H(m), P)
    verify(signature, message, publicKey, unusedArg) {
      if (unusedArg != null)
        throw new Error("verify() expects 3 arguments");
      signature = normSig(signature);
      publicKey = normPub(publicKey);
      const P = publicKey.negate();
      const G = PubPoint.BASE;
      const Hm = amsg(message);
      const S = signature;
      try {
        const exp = pairingBatch([pair(P, Hm), pair(G, S)]);
        return Fp122.eql(exp, Fp122.ONE);
      } catch {
        return false;
      }
    },
    // https://ethresear.ch/t/fast-verification-of-multiple-bls-signatures/5407
    // e(G, S) = e(G, SUM(n)(Si)) = MUL(n)(e(G, Si))
    // TODO: maybe `{message: G2Hex, publicKey: G1Hex}[]` instead?
    verifyBatch(signature, items) {
      aNonEmpty(items);
      const sig = normSig(signature);
      const nMessages = items.map((i) => amsg(i.message));
      const nPublicKeys = items.map((i) => normPub(i.publicKey));
      const messagePubKeyMap = /* @__PURE__ */ new Map();
      for (let i = 0; i < nPublicKeys.length; i++) {
        const pub = nPublicKeys[i];
        const msg = nMessages[i];
        let keys = messagePubKeyMap.get(msg);
        if (keys === void 0) {
          keys = [];
          messagePubKeyMap.set(msg, keys);
        }
        keys.push(pub);
      }
      const paired = [];
      const G = PubPoint.BASE;
      try {
        for (const [msg, keys] of messagePubKeyMap) {
          const groupPublicKey = keys.reduce((acc, msg2) => acc.add(msg2));
          paired.push(pair(groupPublicKey, msg));
        }
        paired.push(pair(G.negate(), sig));
        return Fp122.eql(pairingBatch(paired), Fp122.ONE);
      } catch {
        return false;
      }
    },
    // Adds a bunch of public key points together.
    // pk1 + pk2 + pk3 = pkA
    aggregatePublicKeys(publicKeys) {
      aNonEmpty(publicKeys);
      publicKeys = publicKeys.map((pub) => normPub(pub));
      const agg = publicKeys.reduce((sum, p) => sum.add(p), PubPoint.ZERO);
      agg.assertValidity();
      return agg;
    },
    // Adds a bunch of signature points together.
    // pk1 + pk2 + pk3 = pkA
    aggregateSignatures(signatures) {
      aNonEmpty(signatures);
      signatures = signatures.map((sig) => normSig(sig));
      const agg = signatures.reduce((sum, s) => sum.add(s), SigPoint.ZERO);
      agg.assertValidity();
      return agg;
    },
    hash(messageBytes, DST2) {
      abytes2(messageBytes);
      const opts = DST2 === void 0 ? void 0 : { DST: DST2 };
      return hashToSigCurve(messageBytes, opts);
    },
    Signature: Object.freeze({ ...sigCoder })
  });
}
function blsBasic(fields3, G1_Point2, G2_Point2, params) {
  const { Fp: Fp3, Fr, Fp2: Fp23, Fp6: Fp62, Fp12: Fp122 } = fields3;
  const G1 = { Point: G1_Point2 };
  const G2 = { Point: G2_Point2 };
  const pairingRes = createBlsPairing(fields3, G1_Point2, G2_Point2, params);
  const { millerLoopBatch, pairing, pairingBatch, calcPairingPrecomputes, randomSecretKey, lengths } = pairingRes;
  G1.Point.BASE.precompute(4);
  Object.freeze(G1);
  Object.freeze(G2);
  return Object.freeze({
    lengths: Object.freeze(lengths),
    millerLoopBatch,
    pairing,
    pairingBatch,
    G1,
    G2,
    fields: Object.freeze({ Fr, Fp: Fp3, Fp2: Fp23, Fp6: Fp62, Fp12: Fp122 }),
    params: Object.freeze({
      ateLoopSize: params.ateLoopSize,
      xNegative: params.xNegative,
      twistType: params.twistType,
      postPrecompute: params.postPrecompute
    }),
    utils: Object.freeze({
      randomSecretKey,
      calcPairingPrecomputes
    })
  });
}
function blsHashers(fields3, G1_Point2, G2_Point2, params, hasherParams) {
  const base = blsBasic(fields3, G1_Point2, G2_Point2, params);
  validateObject(hasherParams, { hasherOpts: "object", hasherOptsG1: "object", hasherOptsG2: "object" }, { mapToG1: "function", mapToG2: "function" }, "hasherParams");
  const G1Hasher = createHasher2(G1_Point2, hasherParams.mapToG1 === void 0 ? notImplemented : hasherParams.mapToG1, {
    ...hasherParams.hasherOpts,
    ...hasherParams.hasherOptsG1
  });
  const G2Hasher = createHasher2(G2_Point2, hasherParams.mapToG2 === void 0 ? notImplemented : hasherParams.mapToG2, {
    ...hasherParams.hasherOpts,
    ...hasherParams.hasherOptsG2
  });
  return Object.freeze({ ...base, G1: G1Hasher, G2: G2Hasher });
}
function bls(fields3, G1_Point2, G2_Point2, params, hasherParams, signatureCoders2) {
  const base = blsHashers(fields3, G1_Point2, G2_Point2, params, hasherParams);
  const pairingRes = {
    ...base,
    Fr: base.fields.Fr,
    Fp12: base.fields.Fp12,
    calcPairingPrecomputes: base.utils.calcPairingPrecomputes,
    randomSecretKey: base.utils.randomSecretKey
  };
  const longSignatures = createBlsSig(pairingRes, G1_Point2, G2_Point2, false, base.G2.hashToCurve, signatureCoders2?.LongSignature);
  const shortSignatures = createBlsSig(pairingRes, G2_Point2, G1_Point2, true, base.G1.hashToCurve, signatureCoders2?.ShortSignature);
  return Object.freeze({ ...base, longSignatures, shortSignatures });
}

// ../../node_modules/@noble/curves/abstract/tower.js
/*! noble-curves - MIT License (c) 2022 Paul Miller (paulmillr.com) */
var _0n8 = /* @__PURE__ */ BigInt(0);
var _1n9 = /* @__PURE__ */ BigInt(1);
var _2n7 = /* @__PURE__ */ BigInt(2);
var _3n5 = /* @__PURE__ */ BigInt(3);
var _6n = /* @__PURE__ */ BigInt(6);
var _12n = /* @__PURE__ */ BigInt(12);
var isObj = (value) => !!value && typeof value === "object";
function calcFrobeniusCoefficients(Fp3, nonResidue, modulus, degree, num = 1, divisor) {
  asafenumber(num, "num");
  asafenumber(degree, "degree");
  const divisorN = divisor === void 0 ? degree : divisor;
  asafenumber(divisorN, "divisor");
  const F = Fp3;
  if (typeof modulus !== "bigint" || modulus <= _1n9)
    throw new Error("calcFrobeniusCoefficients: expected valid modulus, got " + modulus);
  if (degree <= 0)
    throw new Error("calcFrobeniusCoefficients: expected positive degree, got " + degree);
  if (num <= 0)
    throw new Error("calcFrobeniusCoefficients: expected positive row count, got " + num);
  if (divisorN <= 0)
    throw new Error("calcFrobeniusCoefficients: expected positive divisor, got " + divisorN);
  const _divisor = BigInt(divisorN);
  const towerModulus = modulus ** BigInt(degree);
  const res = [];
  for (let i = 0; i < num; i++) {
    const a = BigInt(i + 1);
    const powers = [];
    for (let j = 0, qPower = _1n9; j < degree; j++) {
      const numer = a * qPower - a;
      if (numer % _divisor)
        throw new Error("calcFrobeniusCoefficients: inexact tower exponent");
      const power = numer / _divisor % towerModulus;
      powers.push(F.pow(nonResidue, power));
      qPower *= modulus;
    }
    res.push(powers);
  }
  return res;
}
function psiFrobenius(Fp3, Fp23, base) {
  validateField(Fp3);
  validateField(Fp23);
  validateObject(Fp23, {
    Fp: "object",
    frobeniusMap: "function",
    fromBigTuple: "function",
    mulByB: "function",
    mulByNonresidue: "function",
    reim: "function",
    Fp4Square: "function",
    NONRESIDUE: "object"
  }, {});
  if (!isObj(base) || Array.isArray(base))
    throw new TypeError('"base" expected Fp2 element, got type=' + typeof base);
  if (!Fp23.isValid(base))
    throw new RangeError('"base" expected valid Fp2 element');
  const PSI_X = Fp23.pow(base, (Fp3.ORDER - _1n9) / _3n5);
  const PSI_Y = Fp23.pow(base, (Fp3.ORDER - _1n9) / _2n7);
  function psi(x, y) {
    const x2 = Fp23.mul(Fp23.frobeniusMap(x, 1), PSI_X);
    const y2 = Fp23.mul(Fp23.frobeniusMap(y, 1), PSI_Y);
    return [x2, y2];
  }
  const PSI2_X = Fp23.pow(base, (Fp3.ORDER ** _2n7 - _1n9) / _3n5);
  const PSI2_Y = Fp23.pow(base, (Fp3.ORDER ** _2n7 - _1n9) / _2n7);
  if (!Fp23.eql(PSI2_Y, Fp23.neg(Fp23.ONE)))
    throw new Error("psiFrobenius: PSI2_Y!==-1");
  function psi2(x, y) {
    return [Fp23.mul(x, PSI2_X), Fp23.neg(y)];
  }
  const mapAffine = (fn) => (c, P) => {
    if (typeof c !== "function")
      throw new TypeError('"c" expected point constructor, got type=' + typeof c);
    validatePointCons(c);
    if (!(P instanceof c))
      throw new TypeError('"P" expected Point instance, got type=' + typeof P);
    const affine = P.toAffine();
    const p = fn(affine.x, affine.y);
    return c.fromAffine({ x: p[0], y: p[1] });
  };
  const G2psi3 = mapAffine(psi);
  const G2psi22 = mapAffine(psi2);
  return { psi, psi2, G2psi: G2psi3, G2psi2: G2psi22, PSI_X, PSI_Y, PSI2_X, PSI2_Y };
}
var _Field2 = class {
  ORDER;
  BITS;
  BYTES;
  isLE;
  ZERO;
  ONE;
  Fp;
  NONRESIDUE;
  mulByB;
  Fp_NONRESIDUE;
  Fp_div2;
  constructor(Fp3, opts = {}) {
    const { NONRESIDUE = BigInt(-1), FP2_NONRESIDUE, Fp2mulByB } = opts;
    const ORDER = Fp3.ORDER;
    const FP2_ORDER = ORDER * ORDER;
    this.Fp = Fp3;
    this.ORDER = FP2_ORDER;
    this.BITS = bitLen(FP2_ORDER);
    this.BYTES = Math.ceil(bitLen(FP2_ORDER) / 8);
    this.isLE = Fp3.isLE;
    this.ZERO = this.create({ c0: Fp3.ZERO, c1: Fp3.ZERO });
    this.ONE = this.create({ c0: Fp3.ONE, c1: Fp3.ZERO });
    this.Fp_NONRESIDUE = Fp3.create(NONRESIDUE);
    this.Fp_div2 = Fp3.div(Fp3.ONE, _2n7);
    this.NONRESIDUE = this.create({ c0: FP2_NONRESIDUE[0], c1: FP2_NONRESIDUE[1] });
    this.mulByB = (num) => {
      const { c0, c1 } = Fp2mulByB(num);
      return Object.freeze({ c0, c1 });
    };
    Object.freeze(this);
  }
  fromBigTuple(tuple) {
    if (!Array.isArray(tuple) || tuple.length !== 2)
      throw new Error("invalid Fp2.fromBigTuple");
    const [c0, c1] = tuple;
    if (typeof c0 !== "bigint" || typeof c1 !== "bigint")
      throw new Error("invalid Fp2.fromBigTuple");
    return this.create({ c0, c1 });
  }
  create(num) {
    const { Fp: Fp3 } = this;
    const c0 = Fp3.create(num.c0);
    const c1 = Fp3.create(num.c1);
    return Object.freeze({ c0, c1 });
  }
  isValid(num) {
    if (!isObj(num))
      throw new TypeError("invalid field element: expected object, got " + typeof num);
    const { c0, c1 } = num;
    const { Fp: Fp3 } = this;
    return Fp3.isValid(c0) && Fp3.isValid(c1);
  }
  is0(num) {
    if (!isObj(num))
      return false;
    const { c0, c1 } = num;
    const { Fp: Fp3 } = this;
    return Fp3.is0(c0) && Fp3.is0(c1);
  }
  isValidNot0(num) {
    return !this.is0(num) && this.isValid(num);
  }
  eql({ c0, c1 }, { c0: r0, c1: r1 }) {
    const { Fp: Fp3 } = this;
    return Fp3.eql(c0, r0) && Fp3.eql(c1, r1);
  }
  neg({ c0, c1 }) {
    const { Fp: Fp3 } = this;
    return Object.freeze({ c0: Fp3.neg(c0), c1: Fp3.neg(c1) });
  }
  pow(num, power) {
    return FpPow(this, num, power);
  }
  invertBatch(nums) {
    return FpInvertBatch(this, nums, true);
  }
  // Normalized
  add(f1, f2) {
    const { Fp: Fp3 } = this;
    const { c0, c1 } = f1;
    const { c0: r0, c1: r1 } = f2;
    return Object.freeze({
      c0: Fp3.add(c0, r0),
      c1: Fp3.add(c1, r1)
    });
  }
  sub({ c0, c1 }, { c0: r0, c1: r1 }) {
    const { Fp: Fp3 } = this;
    return Object.freeze({
      c0: Fp3.sub(c0, r0),
      c1: Fp3.sub(c1, r1)
    });
  }
  mul({ c0, c1 }, rhs) {
    const { Fp: Fp3 } = this;
    if (typeof rhs === "bigint")
      return Object.freeze({ c0: Fp3.mul(c0, rhs), c1: Fp3.mul(c1, rhs) });
    const { c0: r0, c1: r1 } = rhs;
    let t1 = Fp3.mul(c0, r0);
    let t2 = Fp3.mul(c1, r1);
    const o0 = Fp3.sub(t1, t2);
    const o1 = Fp3.sub(Fp3.mul(Fp3.add(c0, c1), Fp3.add(r0, r1)), Fp3.add(t1, t2));
    return Object.freeze({ c0: o0, c1: o1 });
  }
  sqr({ c0, c1 }) {
    const { Fp: Fp3 } = this;
    const a = Fp3.add(c0, c1);
    const b = Fp3.sub(c0, c1);
    const c = Fp3.add(c0, c0);
    return Object.freeze({ c0: Fp3.mul(a, b), c1: Fp3.mul(c, c1) });
  }
  // NonNormalized stuff
  addN(a, b) {
    return this.add(a, b);
  }
  subN(a, b) {
    return this.sub(a, b);
  }
  mulN(a, b) {
    return this.mul(a, b);
  }
  sqrN(a) {
    return this.sqr(a);
  }
  // Why inversion for bigint inside Fp instead of Fp2? it is even used in that context?
  div(lhs, rhs) {
    const { Fp: Fp3 } = this;
    return this.mul(lhs, typeof rhs === "bigint" ? Fp3.inv(Fp3.create(rhs)) : this.inv(rhs));
  }
  inv({ c0: a, c1: b }) {
    const { Fp: Fp3 } = this;
    const factor = Fp3.inv(Fp3.create(a * a + b * b));
    return Object.freeze({ c0: Fp3.mul(factor, Fp3.create(a)), c1: Fp3.mul(factor, Fp3.create(-b)) });
  }
  sqrt(num) {
    const { Fp: Fp3 } = this;
    const Fp23 = this;
    const { c0, c1 } = num;
    if (Fp3.is0(c1)) {
      if (FpLegendre(Fp3, c0) === 1)
        return Fp23.create({ c0: Fp3.sqrt(c0), c1: Fp3.ZERO });
      else
        return Fp23.create({ c0: Fp3.ZERO, c1: Fp3.sqrt(Fp3.div(c0, this.Fp_NONRESIDUE)) });
    }
    const a = Fp3.sqrt(Fp3.sub(Fp3.sqr(c0), Fp3.mul(Fp3.sqr(c1), this.Fp_NONRESIDUE)));
    let d = Fp3.mul(Fp3.add(a, c0), this.Fp_div2);
    const legendre = FpLegendre(Fp3, d);
    if (legendre === -1)
      d = Fp3.sub(d, a);
    const a0 = Fp3.sqrt(d);
    const candidateSqrt = Fp23.create({ c0: a0, c1: Fp3.div(Fp3.mul(c1, this.Fp_div2), a0) });
    if (!Fp23.eql(Fp23.sqr(candidateSqrt), num))
      throw new Error("Cannot find square root");
    const x1 = candidateSqrt;
    const x2 = Fp23.neg(x1);
    const { re: re1, im: im1 } = Fp23.reim(x1);
    const { re: re2, im: im2 } = Fp23.reim(x2);
    if (im1 > im2 || im1 === im2 && re1 > re2)
      return x1;
    return x2;
  }
  // Same as sgn0_m_eq_2 in RFC 9380
  isOdd(x) {
    const { re: x0, im: x1 } = this.reim(x);
    const sign_0 = x0 % _2n7;
    const zero_0 = x0 === _0n8;
    const sign_1 = x1 % _2n7;
    return BigInt(sign_0 || zero_0 && sign_1) == _1n9;
  }
  // Bytes util
  fromBytes(b) {
    const { Fp: Fp3 } = this;
    abytes2(b);
    if (b.length !== this.BYTES)
      throw new Error("fromBytes invalid length=" + b.length);
    return this.create({
      c0: Fp3.fromBytes(b.subarray(0, Fp3.BYTES)),
      c1: Fp3.fromBytes(b.subarray(Fp3.BYTES))
    });
  }
  toBytes({ c0, c1 }) {
    return concatBytes2(this.Fp.toBytes(c0), this.Fp.toBytes(c1));
  }
  cmov({ c0, c1 }, { c0: r0, c1: r1 }, c) {
    const { Fp: Fp3 } = this;
    return this.create({
      c0: Fp3.cmov(c0, r0, c),
      c1: Fp3.cmov(c1, r1, c)
    });
  }
  reim({ c0, c1 }) {
    return { re: c0, im: c1 };
  }
  Fp4Square(a, b) {
    const Fp23 = this;
    const a2 = Fp23.sqr(a);
    const b2 = Fp23.sqr(b);
    return {
      first: Fp23.add(Fp23.mulByNonresidue(b2), a2),
      // b² * Nonresidue + a²
      second: Fp23.sub(Fp23.sub(Fp23.sqr(Fp23.add(a, b)), a2), b2)
      // (a + b)² - a² - b²
    };
  }
  // multiply by u + 1
  mulByNonresidue({ c0, c1 }) {
    const { Fp: Fp3, NONRESIDUE: nr } = this;
    if (nr.c0 === Fp3.ONE && nr.c1 === Fp3.ONE) {
      return Object.freeze({ c0: Fp3.sub(c0, c1), c1: Fp3.add(c0, c1) });
    }
    if (nr.c1 === Fp3.ONE) {
      return Object.freeze({
        c0: Fp3.sub(Fp3.mul(c0, nr.c0), c1),
        c1: Fp3.add(c0, Fp3.mul(c1, nr.c0))
      });
    }
    return this.mul({ c0, c1 }, nr);
  }
  frobeniusMap(num, power) {
    const { c0, c1 } = num;
    const { Fp: Fp3 } = this;
    return Object.freeze({ c0, c1: power % 2 === 0 ? c1 : Fp3.neg(c1) });
  }
};
var _Field6 = class {
  ORDER;
  BITS;
  BYTES;
  isLE;
  ZERO;
  ONE;
  Fp2;
  constructor(Fp23) {
    this.Fp2 = Fp23;
    this.ORDER = Fp23.Fp.ORDER ** _6n;
    this.BITS = 3 * Fp23.BITS;
    this.BYTES = 3 * Fp23.BYTES;
    this.isLE = Fp23.isLE;
    this.ZERO = this.create({ c0: Fp23.ZERO, c1: Fp23.ZERO, c2: Fp23.ZERO });
    this.ONE = this.create({ c0: Fp23.ONE, c1: Fp23.ZERO, c2: Fp23.ZERO });
    Object.freeze(this);
  }
  // Most callers never touch Frobenius maps, so keep the sextic tables lazy:
  // eagerly deriving them dominates `bls12-381.js` / `bn254.js` import time.
  get FROBENIUS_COEFFICIENTS_1() {
    const frob2 = _FROBENIUS_COEFFICIENTS_6.get(this);
    if (frob2)
      return frob2[0];
    const { Fp2: Fp23 } = this;
    const { Fp: Fp3 } = Fp23;
    const rows = calcFrobeniusCoefficients(Fp23, Fp23.NONRESIDUE, Fp3.ORDER, 6, 2, 3);
    const cache = [Object.freeze(rows[0]), Object.freeze(rows[1])];
    _FROBENIUS_COEFFICIENTS_6.set(this, cache);
    return cache[0];
  }
  get FROBENIUS_COEFFICIENTS_2() {
    const frob2 = _FROBENIUS_COEFFICIENTS_6.get(this);
    if (frob2)
      return frob2[1];
    void this.FROBENIUS_COEFFICIENTS_1;
    return _FROBENIUS_COEFFICIENTS_6.get(this)[1];
  }
  add({ c0, c1, c2 }, { c0: r0, c1: r1, c2: r2 }) {
    const { Fp2: Fp23 } = this;
    return Object.freeze({
      c0: Fp23.add(c0, r0),
      c1: Fp23.add(c1, r1),
      c2: Fp23.add(c2, r2)
    });
  }
  sub({ c0, c1, c2 }, { c0: r0, c1: r1, c2: r2 }) {
    const { Fp2: Fp23 } = this;
    return Object.freeze({
      c0: Fp23.sub(c0, r0),
      c1: Fp23.sub(c1, r1),
      c2: Fp23.sub(c2, r2)
    });
  }
  mul({ c0, c1, c2 }, rhs) {
    const { Fp2: Fp23 } = this;
    if (typeof rhs === "bigint") {
      return Object.freeze({
        c0: Fp23.mul(c0, rhs),
        c1: Fp23.mul(c1, rhs),
        c2: Fp23.mul(c2, rhs)
      });
    }
    const { c0: r0, c1: r1, c2: r2 } = rhs;
    const t0 = Fp23.mul(c0, r0);
    const t1 = Fp23.mul(c1, r1);
    const t2 = Fp23.mul(c2, r2);
    return Object.freeze({
      // t0 + (c1 + c2) * (r1 * r2) - (T1 + T2) * (u + 1)
      c0: Fp23.add(t0, Fp23.mulByNonresidue(Fp23.sub(Fp23.mul(Fp23.add(c1, c2), Fp23.add(r1, r2)), Fp23.add(t1, t2)))),
      // (c0 + c1) * (r0 + r1) - (T0 + T1) + T2 * (u + 1)
      c1: Fp23.add(Fp23.sub(Fp23.mul(Fp23.add(c0, c1), Fp23.add(r0, r1)), Fp23.add(t0, t1)), Fp23.mulByNonresidue(t2)),
      // T1 + (c0 + c2) * (r0 + r2) - T0 + T2
      c2: Fp23.sub(Fp23.add(t1, Fp23.mul(Fp23.add(c0, c2), Fp23.add(r0, r2))), Fp23.add(t0, t2))
    });
  }
  sqr({ c0, c1, c2 }) {
    const { Fp2: Fp23 } = this;
    let t0 = Fp23.sqr(c0);
    let t1 = Fp23.mul(Fp23.mul(c0, c1), _2n7);
    let t3 = Fp23.mul(Fp23.mul(c1, c2), _2n7);
    let t4 = Fp23.sqr(c2);
    return Object.freeze({
      c0: Fp23.add(Fp23.mulByNonresidue(t3), t0),
      // T3 * (u + 1) + T0
      c1: Fp23.add(Fp23.mulByNonresidue(t4), t1),
      // T4 * (u + 1) + T1
      // T1 + (c0 - c1 + c2)² + T3 - T0 - T4
      c2: Fp23.sub(Fp23.sub(Fp23.add(Fp23.add(t1, Fp23.sqr(Fp23.add(Fp23.sub(c0, c1), c2))), t3), t0), t4)
    });
  }
  addN(a, b) {
    return this.add(a, b);
  }
  subN(a, b) {
    return this.sub(a, b);
  }
  mulN(a, b) {
    return this.mul(a, b);
  }
  sqrN(a) {
    return this.sqr(a);
  }
  create(num) {
    const { Fp2: Fp23 } = this;
    const c0 = Fp23.create(num.c0);
    const c1 = Fp23.create(num.c1);
    const c2 = Fp23.create(num.c2);
    return Object.freeze({ c0, c1, c2 });
  }
  isValid(num) {
    if (!isObj(num))
      throw new TypeError("invalid field element: expected object, got " + typeof num);
    const { c0, c1, c2 } = num;
    const { Fp2: Fp23 } = this;
    return Fp23.isValid(c0) && Fp23.isValid(c1) && Fp23.isValid(c2);
  }
  is0(num) {
    if (!isObj(num))
      return false;
    const { c0, c1, c2 } = num;
    const { Fp2: Fp23 } = this;
    return Fp23.is0(c0) && Fp23.is0(c1) && Fp23.is0(c2);
  }
  isValidNot0(num) {
    return !this.is0(num) && this.isValid(num);
  }
  neg({ c0, c1, c2 }) {
    const { Fp2: Fp23 } = this;
    return Object.freeze({ c0: Fp23.neg(c0), c1: Fp23.neg(c1), c2: Fp23.neg(c2) });
  }
  eql({ c0, c1, c2 }, { c0: r0, c1: r1, c2: r2 }) {
    const { Fp2: Fp23 } = this;
    return Fp23.eql(c0, r0) && Fp23.eql(c1, r1) && Fp23.eql(c2, r2);
  }
  sqrt(_) {
    return notImplemented();
  }
  // Do we need division by bigint at all? Should be done via order:
  div(lhs, rhs) {
    const { Fp2: Fp23 } = this;
    const { Fp: Fp3 } = Fp23;
    return this.mul(lhs, typeof rhs === "bigint" ? Fp3.inv(Fp3.create(rhs)) : this.inv(rhs));
  }
  pow(num, power) {
    return FpPow(this, num, power);
  }
  invertBatch(nums) {
    return FpInvertBatch(this, nums, true);
  }
  inv({ c0, c1, c2 }) {
    const { Fp2: Fp23 } = this;
    let t0 = Fp23.sub(Fp23.sqr(c0), Fp23.mulByNonresidue(Fp23.mul(c2, c1)));
    let t1 = Fp23.sub(Fp23.mulByNonresidue(Fp23.sqr(c2)), Fp23.mul(c0, c1));
    let t2 = Fp23.sub(Fp23.sqr(c1), Fp23.mul(c0, c2));
    let t4 = Fp23.inv(Fp23.add(Fp23.mulByNonresidue(Fp23.add(Fp23.mul(c2, t1), Fp23.mul(c1, t2))), Fp23.mul(c0, t0)));
    return Object.freeze({ c0: Fp23.mul(t4, t0), c1: Fp23.mul(t4, t1), c2: Fp23.mul(t4, t2) });
  }
  // Bytes utils
  fromBytes(b) {
    const { Fp2: Fp23 } = this;
    abytes2(b);
    if (b.length !== this.BYTES)
      throw new Error("fromBytes invalid length=" + b.length);
    const B2 = Fp23.BYTES;
    return this.create({
      c0: Fp23.fromBytes(b.subarray(0, B2)),
      c1: Fp23.fromBytes(b.subarray(B2, B2 * 2)),
      c2: Fp23.fromBytes(b.subarray(2 * B2))
    });
  }
  toBytes({ c0, c1, c2 }) {
    const { Fp2: Fp23 } = this;
    return concatBytes2(Fp23.toBytes(c0), Fp23.toBytes(c1), Fp23.toBytes(c2));
  }
  cmov({ c0, c1, c2 }, { c0: r0, c1: r1, c2: r2 }, c) {
    const { Fp2: Fp23 } = this;
    return this.create({
      c0: Fp23.cmov(c0, r0, c),
      c1: Fp23.cmov(c1, r1, c),
      c2: Fp23.cmov(c2, r2, c)
    });
  }
  fromBigSix(tuple) {
    const { Fp2: Fp23 } = this;
    if (!Array.isArray(tuple) || tuple.length !== 6)
      throw new Error("invalid Fp6.fromBigSix");
    for (let i = 0; i < 6; i++)
      if (typeof tuple[i] !== "bigint")
        throw new Error("invalid Fp6.fromBigSix");
    const t = tuple;
    return this.create({
      c0: Fp23.fromBigTuple(t.slice(0, 2)),
      c1: Fp23.fromBigTuple(t.slice(2, 4)),
      c2: Fp23.fromBigTuple(t.slice(4, 6))
    });
  }
  frobeniusMap(num, power) {
    const { c0, c1, c2 } = num;
    if (power % 6 === 0)
      return Object.freeze({ c0, c1, c2 });
    const { Fp2: Fp23 } = this;
    return Object.freeze({
      c0: Fp23.frobeniusMap(c0, power),
      c1: Fp23.mul(Fp23.frobeniusMap(c1, power), this.FROBENIUS_COEFFICIENTS_1[power % 6]),
      c2: Fp23.mul(Fp23.frobeniusMap(c2, power), this.FROBENIUS_COEFFICIENTS_2[power % 6])
    });
  }
  mulByFp2({ c0, c1, c2 }, rhs) {
    const { Fp2: Fp23 } = this;
    return Object.freeze({
      c0: Fp23.mul(c0, rhs),
      c1: Fp23.mul(c1, rhs),
      c2: Fp23.mul(c2, rhs)
    });
  }
  mulByNonresidue({ c0, c1, c2 }) {
    const { Fp2: Fp23 } = this;
    return Object.freeze({ c0: Fp23.mulByNonresidue(c2), c1: c0, c2: c1 });
  }
  // Sparse multiplication
  mul1({ c0, c1, c2 }, b1) {
    const { Fp2: Fp23 } = this;
    return Object.freeze({
      c0: Fp23.mulByNonresidue(Fp23.mul(c2, b1)),
      c1: Fp23.mul(c0, b1),
      c2: Fp23.mul(c1, b1)
    });
  }
  // Sparse multiplication
  mul01({ c0, c1, c2 }, b0, b1) {
    const { Fp2: Fp23 } = this;
    let t0 = Fp23.mul(c0, b0);
    let t1 = Fp23.mul(c1, b1);
    return Object.freeze({
      // ((c1 + c2) * b1 - T1) * (u + 1) + T0
      c0: Fp23.add(Fp23.mulByNonresidue(Fp23.sub(Fp23.mul(Fp23.add(c1, c2), b1), t1)), t0),
      // (b0 + b1) * (c0 + c1) - T0 - T1
      c1: Fp23.sub(Fp23.sub(Fp23.mul(Fp23.add(b0, b1), Fp23.add(c0, c1)), t0), t1),
      // (c0 + c2) * b0 - T0 + T1
      c2: Fp23.add(Fp23.sub(Fp23.mul(Fp23.add(c0, c2), b0), t0), t1)
    });
  }
};
var _FROBENIUS_COEFFICIENTS_6 = /* @__PURE__ */ new WeakMap();
var _Field12 = class {
  ORDER;
  BITS;
  BYTES;
  isLE;
  ZERO;
  ONE;
  Fp6;
  X_LEN;
  finalExponentiate;
  constructor(Fp62, opts) {
    const { X_LEN, Fp12finalExponentiate } = opts;
    const { Fp2: Fp23 } = Fp62;
    const { Fp: Fp3 } = Fp23;
    this.Fp6 = Fp62;
    this.ORDER = Fp3.ORDER ** _12n;
    this.BITS = 2 * Fp62.BITS;
    this.BYTES = 2 * Fp62.BYTES;
    this.isLE = Fp62.isLE;
    this.ZERO = this.create({ c0: Fp62.ZERO, c1: Fp62.ZERO });
    this.ONE = this.create({ c0: Fp62.ONE, c1: Fp62.ZERO });
    this.X_LEN = X_LEN;
    this.finalExponentiate = (num) => {
      const copy2 = ({ c0, c1 }) => Object.freeze({ c0, c1 });
      const copy6 = ({ c0, c1, c2 }) => Object.freeze({ c0: copy2(c0), c1: copy2(c1), c2: copy2(c2) });
      const res = Fp12finalExponentiate(num);
      return Object.freeze({ c0: copy6(res.c0), c1: copy6(res.c1) });
    };
    Object.freeze(this);
  }
  // Keep the degree-12 Frobenius row lazy too; after the first lookup the cached
  // array is reused exactly like the old eager table.
  get FROBENIUS_COEFFICIENTS() {
    const frob2 = _FROBENIUS_COEFFICIENTS_12.get(this);
    if (frob2)
      return frob2;
    const { Fp2: Fp23 } = this.Fp6;
    const { Fp: Fp3 } = Fp23;
    const cache = Object.freeze(calcFrobeniusCoefficients(Fp23, Fp23.NONRESIDUE, Fp3.ORDER, 12, 1, 6)[0]);
    _FROBENIUS_COEFFICIENTS_12.set(this, cache);
    return cache;
  }
  create(num) {
    const { Fp6: Fp62 } = this;
    const c0 = Fp62.create(num.c0);
    const c1 = Fp62.create(num.c1);
    return Object.freeze({ c0, c1 });
  }
  isValid(num) {
    if (!isObj(num))
      throw new TypeError("invalid field element: expected object, got " + typeof num);
    const { c0, c1 } = num;
    const { Fp6: Fp62 } = this;
    return Fp62.isValid(c0) && Fp62.isValid(c1);
  }
  is0(num) {
    if (!isObj(num))
      return false;
    const { c0, c1 } = num;
    const { Fp6: Fp62 } = this;
    return Fp62.is0(c0) && Fp62.is0(c1);
  }
  isValidNot0(num) {
    return !this.is0(num) && this.isValid(num);
  }
  neg({ c0, c1 }) {
    const { Fp6: Fp62 } = this;
    return Object.freeze({ c0: Fp62.neg(c0), c1: Fp62.neg(c1) });
  }
  eql({ c0, c1 }, { c0: r0, c1: r1 }) {
    const { Fp6: Fp62 } = this;
    return Fp62.eql(c0, r0) && Fp62.eql(c1, r1);
  }
  sqrt(_) {
    return notImplemented();
  }
  inv({ c0, c1 }) {
    const { Fp6: Fp62 } = this;
    let t = Fp62.inv(Fp62.sub(Fp62.sqr(c0), Fp62.mulByNonresidue(Fp62.sqr(c1))));
    return Object.freeze({ c0: Fp62.mul(c0, t), c1: Fp62.neg(Fp62.mul(c1, t)) });
  }
  div(lhs, rhs) {
    const { Fp6: Fp62 } = this;
    const { Fp2: Fp23 } = Fp62;
    const { Fp: Fp3 } = Fp23;
    return this.mul(lhs, typeof rhs === "bigint" ? Fp3.inv(Fp3.create(rhs)) : this.inv(rhs));
  }
  pow(num, power) {
    return FpPow(this, num, power);
  }
  invertBatch(nums) {
    return FpInvertBatch(this, nums, true);
  }
  // Normalized
  add({ c0, c1 }, { c0: r0, c1: r1 }) {
    const { Fp6: Fp62 } = this;
    return Object.freeze({
      c0: Fp62.add(c0, r0),
      c1: Fp62.add(c1, r1)
    });
  }
  sub({ c0, c1 }, { c0: r0, c1: r1 }) {
    const { Fp6: Fp62 } = this;
    return Object.freeze({
      c0: Fp62.sub(c0, r0),
      c1: Fp62.sub(c1, r1)
    });
  }
  mul({ c0, c1 }, rhs) {
    const { Fp6: Fp62 } = this;
    if (typeof rhs === "bigint")
      return Object.freeze({ c0: Fp62.mul(c0, rhs), c1: Fp62.mul(c1, rhs) });
    let { c0: r0, c1: r1 } = rhs;
    let t1 = Fp62.mul(c0, r0);
    let t2 = Fp62.mul(c1, r1);
    return Object.freeze({
      c0: Fp62.add(t1, Fp62.mulByNonresidue(t2)),
      // T1 + T2 * v
      // (c0 + c1) * (r0 + r1) - (T1 + T2)
      c1: Fp62.sub(Fp62.mul(Fp62.add(c0, c1), Fp62.add(r0, r1)), Fp62.add(t1, t2))
    });
  }
  sqr({ c0, c1 }) {
    const { Fp6: Fp62 } = this;
    let ab = Fp62.mul(c0, c1);
    return Object.freeze({
      // (c1 * v + c0) * (c0 + c1) - AB - AB * v
      c0: Fp62.sub(Fp62.sub(Fp62.mul(Fp62.add(Fp62.mulByNonresidue(c1), c0), Fp62.add(c0, c1)), ab), Fp62.mulByNonresidue(ab)),
      c1: Fp62.add(ab, ab)
    });
  }
  // NonNormalized stuff
  addN(a, b) {
    return this.add(a, b);
  }
  subN(a, b) {
    return this.sub(a, b);
  }
  mulN(a, b) {
    return this.mul(a, b);
  }
  sqrN(a) {
    return this.sqr(a);
  }
  // Bytes utils
  fromBytes(b) {
    const { Fp6: Fp62 } = this;
    abytes2(b);
    if (b.length !== this.BYTES)
      throw new Error("fromBytes invalid length=" + b.length);
    return this.create({
      c0: Fp62.fromBytes(b.subarray(0, Fp62.BYTES)),
      c1: Fp62.fromBytes(b.subarray(Fp62.BYTES))
    });
  }
  toBytes({ c0, c1 }) {
    const { Fp6: Fp62 } = this;
    return concatBytes2(Fp62.toBytes(c0), Fp62.toBytes(c1));
  }
  cmov({ c0, c1 }, { c0: r0, c1: r1 }, c) {
    const { Fp6: Fp62 } = this;
    return this.create({
      c0: Fp62.cmov(c0, r0, c),
      c1: Fp62.cmov(c1, r1, c)
    });
  }
  // Utils
  // toString() {
  //   return '' + 'Fp12(' + this.c0 + this.c1 + '* w');
  // },
  // fromTuple(c: [Fp6, Fp6]) {
  //   return new Fp12(...c);
  // }
  fromBigTwelve(tuple) {
    const { Fp6: Fp62 } = this;
    if (!Array.isArray(tuple) || tuple.length !== 12)
      throw new Error("invalid Fp12.fromBigTwelve");
    for (let i = 0; i < 12; i++)
      if (typeof tuple[i] !== "bigint")
        throw new Error("invalid Fp12.fromBigTwelve");
    const t = tuple;
    return this.create({
      c0: Fp62.fromBigSix(t.slice(0, 6)),
      c1: Fp62.fromBigSix(t.slice(6, 12))
    });
  }
  // Raises to q**i -th power
  frobeniusMap(lhs, power) {
    const p = power % 12;
    if (p === 0)
      return Object.freeze({ c0: lhs.c0, c1: lhs.c1 });
    if (p === 6)
      return this.conjugate(lhs);
    const { Fp6: Fp62 } = this;
    const { Fp2: Fp23 } = Fp62;
    const { c0, c1, c2 } = Fp62.frobeniusMap(lhs.c1, power);
    const coeff = this.FROBENIUS_COEFFICIENTS[p];
    return Object.freeze({
      c0: Fp62.frobeniusMap(lhs.c0, power),
      c1: Object.freeze({
        c0: Fp23.mul(c0, coeff),
        c1: Fp23.mul(c1, coeff),
        c2: Fp23.mul(c2, coeff)
      })
    });
  }
  mulByFp2({ c0, c1 }, rhs) {
    const { Fp6: Fp62 } = this;
    return Object.freeze({
      c0: Fp62.mulByFp2(c0, rhs),
      c1: Fp62.mulByFp2(c1, rhs)
    });
  }
  conjugate({ c0, c1 }) {
    return Object.freeze({ c0, c1: this.Fp6.neg(c1) });
  }
  // A cyclotomic group is a subgroup of Fp^n defined by
  //   GΦₙ(p) = {α ∈ Fpⁿ : α^Φₙ(p) = 1}
  // The result of any pairing is in a cyclotomic subgroup
  // https://eprint.iacr.org/2009/565.pdf
  // https://eprint.iacr.org/2010/354.pdf
  _cyclotomicSquare({ c0, c1 }) {
    const { Fp6: Fp62 } = this;
    const { Fp2: Fp23 } = Fp62;
    const { c0: c0c0, c1: c0c1, c2: c0c2 } = c0;
    const { c0: c1c0, c1: c1c1, c2: c1c2 } = c1;
    const { first: t3, second: t4 } = Fp23.Fp4Square(c0c0, c1c1);
    const { first: t5, second: t6 } = Fp23.Fp4Square(c1c0, c0c2);
    const { first: t7, second: t8 } = Fp23.Fp4Square(c0c1, c1c2);
    const t9 = Fp23.mulByNonresidue(t8);
    return Object.freeze({
      c0: Object.freeze({
        c0: Fp23.add(Fp23.mul(Fp23.sub(t3, c0c0), _2n7), t3),
        // 2 * (T3 - c0c0)  + T3
        c1: Fp23.add(Fp23.mul(Fp23.sub(t5, c0c1), _2n7), t5),
        // 2 * (T5 - c0c1)  + T5
        c2: Fp23.add(Fp23.mul(Fp23.sub(t7, c0c2), _2n7), t7)
      }),
      // 2 * (T7 - c0c2)  + T7
      c1: Object.freeze({
        c0: Fp23.add(Fp23.mul(Fp23.add(t9, c1c0), _2n7), t9),
        // 2 * (T9 + c1c0) + T9
        c1: Fp23.add(Fp23.mul(Fp23.add(t4, c1c1), _2n7), t4),
        // 2 * (T4 + c1c1) + T4
        c2: Fp23.add(Fp23.mul(Fp23.add(t6, c1c2), _2n7), t6)
      })
    });
  }
  // https://eprint.iacr.org/2009/565.pdf
  _cyclotomicExp(num, n) {
    aInRange("cyclotomic exponent", n, _0n8, _1n9 << BigInt(this.X_LEN));
    if (n === _0n8)
      return this.ONE;
    let z = num;
    for (let i = bitLen(n) - 2; i >= 0; i--) {
      z = this._cyclotomicSquare(z);
      if (bitGet(n, i))
        z = this.mul(z, num);
    }
    return z;
  }
};
var _FROBENIUS_COEFFICIENTS_12 = /* @__PURE__ */ new WeakMap();
function tower12(opts) {
  validateObject(opts, {
    ORDER: "bigint",
    X_LEN: "number",
    FP2_NONRESIDUE: "object",
    Fp2mulByB: "function",
    Fp12finalExponentiate: "function"
  }, { NONRESIDUE: "bigint" });
  asafenumber(opts.X_LEN, "X_LEN");
  if (opts.X_LEN < 1)
    throw new Error("invalid X_LEN");
  const nonresidue = opts.FP2_NONRESIDUE;
  if (!Array.isArray(nonresidue) || nonresidue.length !== 2)
    throw new Error("invalid FP2_NONRESIDUE");
  if (typeof nonresidue[0] !== "bigint" || typeof nonresidue[1] !== "bigint")
    throw new Error("invalid FP2_NONRESIDUE");
  const Fp3 = Field(opts.ORDER);
  const Fp23 = new _Field2(Fp3, opts);
  const Fp62 = new _Field6(Fp23);
  const Fp122 = new _Field12(Fp62, opts);
  return { Fp: Fp3, Fp2: Fp23, Fp6: Fp62, Fp12: Fp122 };
}

// ../../node_modules/@noble/curves/bls12-381.js
/*! noble-curves - MIT License (c) 2022 Paul Miller (paulmillr.com) */
var _0n9 = BigInt(0);
var _1n10 = BigInt(1);
var _2n8 = BigInt(2);
var _3n6 = BigInt(3);
var _4n6 = BigInt(4);
var BLS_X = BigInt("0xd201000000010000");
var BLS_X_LEN = bitLen(BLS_X);
var bls12_381_CURVE_G1 = {
  p: BigInt("0x1a0111ea397fe69a4b1ba7b6434bacd764774b84f38512bf6730d2a0f6b0f6241eabfffeb153ffffb9feffffffffaaab"),
  n: BigInt("0x73eda753299d7d483339d80809a1d80553bda402fffe5bfeffffffff00000001"),
  h: BigInt("0x396c8c005555e1568c00aaab0000aaab"),
  a: _0n9,
  b: _4n6,
  Gx: BigInt("0x17f1d3a73197d7942695638c4fa9ac0fc3688c4f9774b905a14e3a3f171bac586c55e83ff97a1aeffb3af00adb22c6bb"),
  Gy: BigInt("0x08b3f481e3aaa0f1a09e30ed741d8ae4fcf5e095d5d00af600db18cb2c04b3edd03cc744a2888ae40caa232946c5e7e1")
};
var bls12_381_Fr = Field(bls12_381_CURVE_G1.n, {
  modFromBytes: true
});
function bls12FromCompressed(g0, g12, { g2: g22, g3, g4, g5 }) {
  return { c0: { c0: g0, c1: g4, c2: g3 }, c1: { c0: g22, c1: g12, c2: g5 } };
}
function bls12Compress({ c0, c1 }) {
  return { g2: c1.c0, g3: c0.c2, g4: c0.c1, g5: c1.c2 };
}
function bls12CyclotomicSquareCompressed({ g2: g22, g3, g4, g5 }) {
  const { first: h23c0, second: h23c1 } = Fp22.Fp4Square(g4, g5);
  const { first: h45c0, second: h45c1 } = Fp22.Fp4Square(g22, g3);
  const d2 = Fp22.add(g22, g22);
  const d3 = Fp22.add(g3, g3);
  const d4 = Fp22.add(g4, g4);
  const d5 = Fp22.add(g5, g5);
  return {
    g2: Fp22.add(Fp22.mul(Fp22.mulByNonresidue(h23c1), _3n6), d2),
    g3: Fp22.sub(Fp22.mul(h23c0, _3n6), d3),
    g4: Fp22.sub(Fp22.mul(h45c0, _3n6), d4),
    g5: Fp22.add(Fp22.mul(h45c1, _3n6), d5)
  };
}
function bls12RecoverG1Ratio({ g2: g22, g3, g4, g5 }) {
  if (Fp22.is0(g22))
    return { num: Fp22.mul(Fp22.mul(g4, g5), _2n8), den: g3 };
  return {
    num: Fp22.add(Fp22.sub(Fp22.mul(Fp22.sqr(g4), _3n6), Fp22.mul(g3, _2n8)), Fp22.mulByNonresidue(Fp22.sqr(g5))),
    den: Fp22.mul(g22, _4n6)
  };
}
function bls12RecoverG0(g12, { g2: g22, g3, g4, g5 }) {
  const g3g4 = Fp22.mul(g3, g4);
  const t = Fp22.add(Fp22.sub(Fp22.mul(Fp22.sub(Fp22.sqr(g12), g3g4), _2n8), g3g4), Fp22.mul(g22, g5));
  return Fp22.add(Fp22.mulByNonresidue(t), Fp22.ONE);
}
function bls12CyclotomicExpCompressed(num, squarings) {
  const gs = [];
  let g = bls12Compress(num);
  for (const count of squarings) {
    for (let i = 0; i < count; i++)
      g = bls12CyclotomicSquareCompressed(g);
    gs.push(g);
  }
  const isOne = gs.map(({ g2: g22, g3 }) => Fp22.is0(g22) && Fp22.is0(g3));
  const ratios = gs.map(bls12RecoverG1Ratio);
  const invDens = Fp22.invertBatch(ratios.map(({ den }) => den));
  const elems = gs.map((compressed, i) => {
    if (isOne[i])
      return Fp12.ONE;
    const g12 = Fp22.mul(ratios[i].num, invDens[i]);
    return bls12FromCompressed(bls12RecoverG0(g12, compressed), g12, compressed);
  });
  return { result: Fp12.mul(Fp12.mul(elems[0], elems[1]), elems[2]), last: elems[2] };
}
function bls12CyclotomicExpX(num) {
  const { result, last } = bls12CyclotomicExpCompressed(num, [16, 32, 9]);
  let r = result;
  let s = last;
  for (let i = 0; i < 3; i++)
    s = Fp12._cyclotomicSquare(s);
  r = Fp12.mul(r, s);
  for (let i = 0; i < 2; i++)
    s = Fp12._cyclotomicSquare(s);
  r = Fp12.mul(r, s);
  s = Fp12._cyclotomicSquare(s);
  return Fp12.mul(r, s);
}
var { Fp: Fp2, Fp2: Fp22, Fp6, Fp12 } = tower12({
  ORDER: bls12_381_CURVE_G1.p,
  X_LEN: BLS_X_LEN,
  // Finite extension field over irreducible polynominal.
  // Fp(u) / (u² - β) where β = -1
  // Public `Fp2.NONRESIDUE` below is the sextic-tower value `(1, 1) = u + 1`;
  // the quadratic non-residue for the base Fp2 construction is still `-1`.
  FP2_NONRESIDUE: [_1n10, _1n10],
  Fp2mulByB: ({ c0, c1 }) => {
    const t0 = Fp2.mul(c0, _4n6);
    const t1 = Fp2.mul(c1, _4n6);
    return { c0: Fp2.sub(t0, t1), c1: Fp2.add(t0, t1) };
  },
  Fp12finalExponentiate: (num) => {
    const powMinusX = (num2) => Fp12.conjugate(bls12CyclotomicExpX(num2));
    const t0 = Fp12.div(Fp12.frobeniusMap(num, 6), num);
    const t1 = Fp12.mul(Fp12.frobeniusMap(t0, 2), t0);
    const t2 = powMinusX(t1);
    const t3 = Fp12.mul(Fp12.conjugate(Fp12._cyclotomicSquare(t1)), t2);
    const t4 = powMinusX(t3);
    const t5 = powMinusX(t4);
    const t6 = Fp12.mul(powMinusX(t5), Fp12._cyclotomicSquare(t2));
    const t7 = powMinusX(t6);
    const t2_t5_pow_q2 = Fp12.frobeniusMap(Fp12.mul(t2, t5), 2);
    const t4_t1_pow_q3 = Fp12.frobeniusMap(Fp12.mul(t4, t1), 3);
    const t6_t1c_pow_q1 = Fp12.frobeniusMap(Fp12.mul(t6, Fp12.conjugate(t1)), 1);
    const t7_t3c_t1 = Fp12.mul(Fp12.mul(t7, Fp12.conjugate(t3)), t1);
    return Fp12.mul(Fp12.mul(Fp12.mul(t2_t5_pow_q2, t4_t1_pow_q3), t6_t1c_pow_q1), t7_t3c_t1);
  }
});
var frob;
var getFrob = () => frob || (frob = psiFrobenius(Fp2, Fp22, Fp22.div(Fp22.ONE, Fp22.NONRESIDUE)));
var G2psi = (c, P) => {
  const fn = getFrob().G2psi;
  G2psi = fn;
  return fn(c, P);
};
var G2psi2 = (c, P) => {
  const fn = getFrob().G2psi2;
  G2psi2 = fn;
  return fn(c, P);
};
var hasher_opts = Object.freeze({
  DST: "BLS_SIG_BLS12381G2_XMD:SHA-256_SSWU_RO_NUL_",
  encodeDST: "BLS_SIG_BLS12381G2_XMD:SHA-256_SSWU_RO_NUL_",
  p: Fp2.ORDER,
  m: 2,
  k: 128,
  expand: "xmd",
  hash: sha256
});
var bls12_381_CURVE_G2 = {
  p: Fp22.ORDER,
  n: bls12_381_CURVE_G1.n,
  h: BigInt("0x5d543a95414e7f1091d50792876a202cd91de4547085abaa68a205b2e5a7ddfa628f1cb4d9e82ef21537e293a6691ae1616ec6e786f0c70cf1c38e31c7238e5"),
  a: Fp22.ZERO,
  b: Fp22.fromBigTuple([_4n6, _4n6]),
  Gx: Fp22.fromBigTuple([
    BigInt("0x024aa2b2f08f0a91260805272dc51051c6e47ad4fa403b02b4510b647ae3d1770bac0326a805bbefd48056c8c121bdb8"),
    BigInt("0x13e02b6052719f607dacd3a088274f65596bd0d09920b61ab5da61bbdc7f5049334cf11213945d57e5ac7d055d042b7e")
  ]),
  Gy: Fp22.fromBigTuple([
    BigInt("0x0ce5d527727d6e118cc9cdc6da2e351aadfd9baa8cbdd3a76d429a695160d12c923ac9cc3baca289e193548608b82801"),
    BigInt("0x0606c4a02ea734cc32acd2b02bc28b99cb3e287e85a763af267492ab572e99ab3f370d275cec1da1aaa9075ff05f79be")
  ])
};
var sortBit = (parts, p) => {
  for (const part of parts) {
    if (part !== _0n9)
      return Boolean(part * _2n8 / p);
  }
  return false;
};
var fp2 = {
  // Generic tower bytes use `c0 || c1`, but the BLS12-381 G2 point/signature wire encoding uses
  // `c1 || c0`, so keep this local wrapper instead of changing generic field serialization.
  encode({ c0, c1 }) {
    const { BYTES: L2 } = Fp2;
    return concatBytes2(numberToBytesBE(c1, L2), numberToBytesBE(c0, L2));
  },
  decode(bytes) {
    const { BYTES: L2 } = Fp2;
    return Fp22.create({
      c0: decodeFp(bytes.subarray(L2)),
      c1: decodeFp(bytes.subarray(0, L2))
    });
  }
};
var BaseFp = Fp2;
function decodeFp(bytes) {
  return Fp2.fromBytes(bytes);
}
var coder = (name, Fp3, b, encode, decode, yparts) => {
  const F = Fp3;
  const enc2 = encode;
  const dec3 = decode;
  const W = F.BYTES;
  return (allowUncompressed) => ({
    encode(point, compressed = true) {
      if (!compressed && !allowUncompressed)
        throw new Error("invalid signature: expected compressed encoding");
      const infinity = point.is0();
      const { x, y } = point.toAffine();
      const bytes = compressed ? enc2(x) : concatBytes2(enc2(x), enc2(y));
      let sort;
      if (compressed && !infinity)
        sort = sortBit(yparts(y), BaseFp.ORDER);
      return setMask(bytes, { compressed, infinity, sort });
    },
    decode(bytes) {
      const raw = allowUncompressed ? abytes2(bytes, void 0, "point") : abytes2(bytes, W, "signature");
      const { compressed, infinity, sort, value } = parseMask(raw);
      if (!allowUncompressed && !compressed)
        throw new Error("invalid signature: expected compressed encoding");
      const len = compressed ? W : 2 * W;
      if (value.length !== len)
        throw new Error(`invalid ${name} point: expected ${len} bytes`);
      if (infinity) {
        for (const b2 of value) {
          if (b2)
            throw new Error(`invalid ${name} point: non-canonical zero`);
        }
        return { x: F.ZERO, y: F.ZERO };
      }
      const x = dec3(compressed ? value : value.subarray(0, W));
      let y;
      if (compressed) {
        y = F.sqrt(F.add(F.pow(x, _3n6), b));
        if (!y)
          throw new Error(`invalid ${name} point: compressed`);
        if (sortBit(yparts(y), BaseFp.ORDER) !== sort)
          y = F.neg(y);
      } else {
        y = dec3(value.subarray(W));
      }
      if (!compressed && F.is0(x) && F.is0(y))
        throw new Error(`invalid ${name} point: uncompressed`);
      return { x, y };
    }
  });
};
function validateMask({ compressed, infinity, sort }) {
  if (!compressed && !infinity && sort || // 0010_0000 = 0x20
  !compressed && infinity && sort || // 0110_0000 = 0x60
  compressed && infinity && sort)
    throw new Error("invalid encoding flag");
}
function parseMask(bytes) {
  bytes = copyBytes(bytes);
  const mask = bytes[0] & 224;
  const compressed = !!(mask >> 7 & 1);
  const infinity = !!(mask >> 6 & 1);
  const sort = !!(mask >> 5 & 1);
  validateMask({ compressed, infinity, sort });
  bytes[0] &= 31;
  return { compressed, infinity, sort, value: bytes };
}
function setMask(bytes, mask) {
  if (bytes[0] & 224)
    throw new Error("setMask: non-empty mask");
  validateMask({ compressed: !!mask.compressed, infinity: !!mask.infinity, sort: !!mask.sort });
  if (mask.compressed)
    bytes[0] |= 128;
  if (mask.infinity)
    bytes[0] |= 64;
  if (mask.sort)
    bytes[0] |= 32;
  return bytes;
}
var g1coder = coder("G1", Fp2, Fp2.create(bls12_381_CURVE_G1.b), (x) => numberToBytesBE(x, Fp2.BYTES), decodeFp, (y) => [y]);
var g1 = { point: g1coder(true), sig: g1coder(false) };
var signatureG1ToBytes = (point) => {
  point.assertValidity();
  return g1.sig.encode(point);
};
function signatureG1FromBytes(bytes) {
  const Point = bls12_381.G1.Point;
  const point = Point.fromAffine(g1.sig.decode(bytes));
  point.assertValidity();
  return point;
}
var g2coder = coder("G2", Fp22, bls12_381_CURVE_G2.b, fp2.encode, fp2.decode, (y) => [
  y.c1,
  y.c0
]);
var g2 = { point: g2coder(true), sig: g2coder(false) };
var signatureG2ToBytes = (point) => {
  point.assertValidity();
  return g2.sig.encode(point);
};
function signatureG2FromBytes(bytes) {
  const Point = bls12_381.G2.Point;
  const point = Point.fromAffine(g2.sig.decode(bytes));
  point.assertValidity();
  return point;
}
var signatureCoders = {
  ShortSignature: {
    fromBytes(bytes) {
      return signatureG1FromBytes(abytes2(bytes));
    },
    fromHex(hex) {
      return signatureG1FromBytes(hexToBytes2(hex));
    },
    toBytes(point) {
      return signatureG1ToBytes(point);
    },
    // Historical alias: BLS signatures have a single compressed byte format here.
    toRawBytes(point) {
      return signatureG1ToBytes(point);
    },
    toHex(point) {
      return bytesToHex2(signatureG1ToBytes(point));
    }
  },
  LongSignature: {
    fromBytes(bytes) {
      return signatureG2FromBytes(abytes2(bytes));
    },
    fromHex(hex) {
      return signatureG2FromBytes(hexToBytes2(hex));
    },
    toBytes(point) {
      return signatureG2ToBytes(point);
    },
    // Historical alias: BLS signatures have a single compressed byte format here.
    toRawBytes(point) {
      return signatureG2ToBytes(point);
    },
    toHex(point) {
      return bytesToHex2(signatureG2ToBytes(point));
    }
  }
};
var fields = {
  Fp: Fp2,
  Fp2: Fp22,
  Fp6,
  Fp12,
  Fr: bls12_381_Fr
};
var G1_Point = weierstrass(bls12_381_CURVE_G1, {
  // Public point APIs still accept infinity, even though the Zcash proof
  // encoding rules cited above only define nonzero point encodings.
  allowInfinityPoint: true,
  Fn: bls12_381_Fr,
  fromBytes: g1.point.decode,
  toBytes: (_c, point, isComp) => g1.point.encode(point, isComp),
  // Checks is the point resides in prime-order subgroup.
  // point.isTorsionFree() should return true for valid points
  // It returns false for shitty points.
  // https://eprint.iacr.org/2021/1130.pdf
  isTorsionFree: (c, point) => {
    const beta = BigInt("0x5f19672fdf76ce51ba69c6076a0f77eaddb3a93be6f89688de17d813620a00022e01fffffffefffe");
    const phi = new c(Fp2.mul(point.X, beta), point.Y, point.Z);
    const xP = point.multiplyUnsafe(BLS_X).negate();
    const u2P = xP.multiplyUnsafe(BLS_X);
    return u2P.equals(phi);
  },
  // Clear cofactor of G1
  // https://eprint.iacr.org/2019/403
  clearCofactor: (_c, point) => {
    return point.multiplyUnsafe(BLS_X).add(point);
  }
});
var G2_Point = weierstrass(bls12_381_CURVE_G2, {
  Fp: Fp22,
  // Public point APIs still accept infinity, even though the Zcash proof
  // encoding rules cited above only define nonzero point encodings.
  allowInfinityPoint: true,
  Fn: bls12_381_Fr,
  fromBytes: g2.point.decode,
  toBytes: (_c, point, isComp) => g2.point.encode(point, isComp),
  // https://eprint.iacr.org/2021/1130.pdf
  // Older version: https://eprint.iacr.org/2019/814.pdf
  isTorsionFree: (c, P) => {
    return P.multiplyUnsafe(BLS_X).negate().equals(G2psi(c, P));
  },
  // clear_cofactor_bls12381_g2 from RFC 9380.
  // https://eprint.iacr.org/2017/419.pdf
  // prettier-ignore
  clearCofactor: (c, P) => {
    const x = BLS_X;
    let t1 = P.multiplyUnsafe(x).negate();
    let t2 = G2psi(c, P);
    let t3 = P.double();
    t3 = G2psi2(c, t3);
    t3 = t3.subtract(t2);
    t2 = t1.add(t2);
    t2 = t2.multiplyUnsafe(x).negate();
    t3 = t3.add(t2);
    t3 = t3.subtract(t1);
    const Q = t3.subtract(P);
    return Q;
  }
});
var bls12_hasher_opts = {
  mapToG1,
  mapToG2,
  hasherOpts: hasher_opts,
  // RFC 9380 Appendix J defines distinct G1/G2 RO and NU suite IDs, and
  // draft-irtf-cfrg-bls-signature-06 §4.2.1 gives separate G1/G2 `_NUL_` DSTs.
  // Keep G1 encode-to-curve on the G1 domain instead of inheriting G2's `encodeDST`.
  hasherOptsG1: {
    ...hasher_opts,
    m: 1,
    DST: "BLS_SIG_BLS12381G1_XMD:SHA-256_SSWU_RO_NUL_",
    encodeDST: "BLS_SIG_BLS12381G1_XMD:SHA-256_SSWU_RO_NUL_"
  },
  hasherOptsG2: { ...hasher_opts }
};
var bls12_params = {
  ateLoopSize: BLS_X,
  // The BLS parameter x for BLS12-381
  xNegative: true,
  twistType: "multiplicative",
  randomBytes: randomBytes2
};
var bls12_381 = bls(fields, G1_Point, G2_Point, bls12_params, bls12_hasher_opts, signatureCoders);
var isogenyMapG2 = isogenyMap(Fp22, [
  // xNum
  [
    [
      "0x5c759507e8e333ebb5b7a9a47d7ed8532c52d39fd3a042a88b58423c50ae15d5c2638e343d9c71c6238aaaaaaaa97d6",
      "0x5c759507e8e333ebb5b7a9a47d7ed8532c52d39fd3a042a88b58423c50ae15d5c2638e343d9c71c6238aaaaaaaa97d6"
    ],
    [
      "0x0",
      "0x11560bf17baa99bc32126fced787c88f984f87adf7ae0c7f9a208c6b4f20a4181472aaa9cb8d555526a9ffffffffc71a"
    ],
    [
      "0x11560bf17baa99bc32126fced787c88f984f87adf7ae0c7f9a208c6b4f20a4181472aaa9cb8d555526a9ffffffffc71e",
      "0x8ab05f8bdd54cde190937e76bc3e447cc27c3d6fbd7063fcd104635a790520c0a395554e5c6aaaa9354ffffffffe38d"
    ],
    [
      "0x171d6541fa38ccfaed6dea691f5fb614cb14b4e7f4e810aa22d6108f142b85757098e38d0f671c7188e2aaaaaaaa5ed1",
      "0x0"
    ]
  ],
  // xDen
  [
    [
      "0x0",
      "0x1a0111ea397fe69a4b1ba7b6434bacd764774b84f38512bf6730d2a0f6b0f6241eabfffeb153ffffb9feffffffffaa63"
    ],
    [
      "0xc",
      "0x1a0111ea397fe69a4b1ba7b6434bacd764774b84f38512bf6730d2a0f6b0f6241eabfffeb153ffffb9feffffffffaa9f"
    ],
    ["0x1", "0x0"]
    // LAST 1
  ],
  // yNum
  [
    [
      "0x1530477c7ab4113b59a4c18b076d11930f7da5d4a07f649bf54439d87d27e500fc8c25ebf8c92f6812cfc71c71c6d706",
      "0x1530477c7ab4113b59a4c18b076d11930f7da5d4a07f649bf54439d87d27e500fc8c25ebf8c92f6812cfc71c71c6d706"
    ],
    [
      "0x0",
      "0x5c759507e8e333ebb5b7a9a47d7ed8532c52d39fd3a042a88b58423c50ae15d5c2638e343d9c71c6238aaaaaaaa97be"
    ],
    [
      "0x11560bf17baa99bc32126fced787c88f984f87adf7ae0c7f9a208c6b4f20a4181472aaa9cb8d555526a9ffffffffc71c",
      "0x8ab05f8bdd54cde190937e76bc3e447cc27c3d6fbd7063fcd104635a790520c0a395554e5c6aaaa9354ffffffffe38f"
    ],
    [
      "0x124c9ad43b6cf79bfbf7043de3811ad0761b0f37a1e26286b0e977c69aa274524e79097a56dc4bd9e1b371c71c718b10",
      "0x0"
    ]
  ],
  // yDen
  [
    [
      "0x1a0111ea397fe69a4b1ba7b6434bacd764774b84f38512bf6730d2a0f6b0f6241eabfffeb153ffffb9feffffffffa8fb",
      "0x1a0111ea397fe69a4b1ba7b6434bacd764774b84f38512bf6730d2a0f6b0f6241eabfffeb153ffffb9feffffffffa8fb"
    ],
    [
      "0x0",
      "0x1a0111ea397fe69a4b1ba7b6434bacd764774b84f38512bf6730d2a0f6b0f6241eabfffeb153ffffb9feffffffffa9d3"
    ],
    [
      "0x12",
      "0x1a0111ea397fe69a4b1ba7b6434bacd764774b84f38512bf6730d2a0f6b0f6241eabfffeb153ffffb9feffffffffaa99"
    ],
    ["0x1", "0x0"]
    // LAST 1
  ]
].map((i) => i.map((pair) => Fp22.fromBigTuple(pair.map(BigInt)))));
var isogenyMapG1 = isogenyMap(Fp2, [
  // xNum
  [
    "0x11a05f2b1e833340b809101dd99815856b303e88a2d7005ff2627b56cdb4e2c85610c2d5f2e62d6eaeac1662734649b7",
    "0x17294ed3e943ab2f0588bab22147a81c7c17e75b2f6a8417f565e33c70d1e86b4838f2a6f318c356e834eef1b3cb83bb",
    "0xd54005db97678ec1d1048c5d10a9a1bce032473295983e56878e501ec68e25c958c3e3d2a09729fe0179f9dac9edcb0",
    "0x1778e7166fcc6db74e0609d307e55412d7f5e4656a8dbf25f1b33289f1b330835336e25ce3107193c5b388641d9b6861",
    "0xe99726a3199f4436642b4b3e4118e5499db995a1257fb3f086eeb65982fac18985a286f301e77c451154ce9ac8895d9",
    "0x1630c3250d7313ff01d1201bf7a74ab5db3cb17dd952799b9ed3ab9097e68f90a0870d2dcae73d19cd13c1c66f652983",
    "0xd6ed6553fe44d296a3726c38ae652bfb11586264f0f8ce19008e218f9c86b2a8da25128c1052ecaddd7f225a139ed84",
    "0x17b81e7701abdbe2e8743884d1117e53356de5ab275b4db1a682c62ef0f2753339b7c8f8c8f475af9ccb5618e3f0c88e",
    "0x80d3cf1f9a78fc47b90b33563be990dc43b756ce79f5574a2c596c928c5d1de4fa295f296b74e956d71986a8497e317",
    "0x169b1f8e1bcfa7c42e0c37515d138f22dd2ecb803a0c5c99676314baf4bb1b7fa3190b2edc0327797f241067be390c9e",
    "0x10321da079ce07e272d8ec09d2565b0dfa7dccdde6787f96d50af36003b14866f69b771f8c285decca67df3f1605fb7b",
    "0x6e08c248e260e70bd1e962381edee3d31d79d7e22c837bc23c0bf1bc24c6b68c24b1b80b64d391fa9c8ba2e8ba2d229"
  ],
  // xDen
  [
    "0x8ca8d548cff19ae18b2e62f4bd3fa6f01d5ef4ba35b48ba9c9588617fc8ac62b558d681be343df8993cf9fa40d21b1c",
    "0x12561a5deb559c4348b4711298e536367041e8ca0cf0800c0126c2588c48bf5713daa8846cb026e9e5c8276ec82b3bff",
    "0xb2962fe57a3225e8137e629bff2991f6f89416f5a718cd1fca64e00b11aceacd6a3d0967c94fedcfcc239ba5cb83e19",
    "0x3425581a58ae2fec83aafef7c40eb545b08243f16b1655154cca8abc28d6fd04976d5243eecf5c4130de8938dc62cd8",
    "0x13a8e162022914a80a6f1d5f43e7a07dffdfc759a12062bb8d6b44e833b306da9bd29ba81f35781d539d395b3532a21e",
    "0xe7355f8e4e667b955390f7f0506c6e9395735e9ce9cad4d0a43bcef24b8982f7400d24bc4228f11c02df9a29f6304a5",
    "0x772caacf16936190f3e0c63e0596721570f5799af53a1894e2e073062aede9cea73b3538f0de06cec2574496ee84a3a",
    "0x14a7ac2a9d64a8b230b3f5b074cf01996e7f63c21bca68a81996e1cdf9822c580fa5b9489d11e2d311f7d99bbdcc5a5e",
    "0xa10ecf6ada54f825e920b3dafc7a3cce07f8d1d7161366b74100da67f39883503826692abba43704776ec3a79a1d641",
    "0x95fc13ab9e92ad4476d6e3eb3a56680f682b4ee96f7d03776df533978f31c1593174e4b4b7865002d6384d168ecdd0a",
    "0x000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000001"
    // LAST 1
  ],
  // yNum
  [
    "0x90d97c81ba24ee0259d1f094980dcfa11ad138e48a869522b52af6c956543d3cd0c7aee9b3ba3c2be9845719707bb33",
    "0x134996a104ee5811d51036d776fb46831223e96c254f383d0f906343eb67ad34d6c56711962fa8bfe097e75a2e41c696",
    "0xcc786baa966e66f4a384c86a3b49942552e2d658a31ce2c344be4b91400da7d26d521628b00523b8dfe240c72de1f6",
    "0x1f86376e8981c217898751ad8746757d42aa7b90eeb791c09e4a3ec03251cf9de405aba9ec61deca6355c77b0e5f4cb",
    "0x8cc03fdefe0ff135caf4fe2a21529c4195536fbe3ce50b879833fd221351adc2ee7f8dc099040a841b6daecf2e8fedb",
    "0x16603fca40634b6a2211e11db8f0a6a074a7d0d4afadb7bd76505c3d3ad5544e203f6326c95a807299b23ab13633a5f0",
    "0x4ab0b9bcfac1bbcb2c977d027796b3ce75bb8ca2be184cb5231413c4d634f3747a87ac2460f415ec961f8855fe9d6f2",
    "0x987c8d5333ab86fde9926bd2ca6c674170a05bfe3bdd81ffd038da6c26c842642f64550fedfe935a15e4ca31870fb29",
    "0x9fc4018bd96684be88c9e221e4da1bb8f3abd16679dc26c1e8b6e6a1f20cabe69d65201c78607a360370e577bdba587",
    "0xe1bba7a1186bdb5223abde7ada14a23c42a0ca7915af6fe06985e7ed1e4d43b9b3f7055dd4eba6f2bafaaebca731c30",
    "0x19713e47937cd1be0dfd0b8f1d43fb93cd2fcbcb6caf493fd1183e416389e61031bf3a5cce3fbafce813711ad011c132",
    "0x18b46a908f36f6deb918c143fed2edcc523559b8aaf0c2462e6bfe7f911f643249d9cdf41b44d606ce07c8a4d0074d8e",
    "0xb182cac101b9399d155096004f53f447aa7b12a3426b08ec02710e807b4633f06c851c1919211f20d4c04f00b971ef8",
    "0x245a394ad1eca9b72fc00ae7be315dc757b3b080d4c158013e6632d3c40659cc6cf90ad1c232a6442d9d3f5db980133",
    "0x5c129645e44cf1102a159f748c4a3fc5e673d81d7e86568d9ab0f5d396a7ce46ba1049b6579afb7866b1e715475224b",
    "0x15e6be4e990f03ce4ea50b3b42df2eb5cb181d8f84965a3957add4fa95af01b2b665027efec01c7704b456be69c8b604"
  ],
  // yDen
  [
    "0x16112c4c3a9c98b252181140fad0eae9601a6de578980be6eec3232b5be72e7a07f3688ef60c206d01479253b03663c1",
    "0x1962d75c2381201e1a0cbd6c43c348b885c84ff731c4d59ca4a10356f453e01f78a4260763529e3532f6102c2e49a03d",
    "0x58df3306640da276faaae7d6e8eb15778c4855551ae7f310c35a5dd279cd2eca6757cd636f96f891e2538b53dbf67f2",
    "0x16b7d288798e5395f20d23bf89edb4d1d115c5dbddbcd30e123da489e726af41727364f2c28297ada8d26d98445f5416",
    "0xbe0e079545f43e4b00cc912f8228ddcc6d19c9f0f69bbb0542eda0fc9dec916a20b15dc0fd2ededda39142311a5001d",
    "0x8d9e5297186db2d9fb266eaac783182b70152c65550d881c5ecd87b6f0f5a6449f38db9dfa9cce202c6477faaf9b7ac",
    "0x166007c08a99db2fc3ba8734ace9824b5eecfdfa8d0cf8ef5dd365bc400a0051d5fa9c01a58b1fb93d1a1399126a775c",
    "0x16a3ef08be3ea7ea03bcddfabba6ff6ee5a4375efa1f4fd7feb34fd206357132b920f5b00801dee460ee415a15812ed9",
    "0x1866c8ed336c61231a1be54fd1d74cc4f9fb0ce4c6af5920abc5750c4bf39b4852cfe2f7bb9248836b233d9d55535d4a",
    "0x167a55cda70a6e1cea820597d94a84903216f763e13d87bb5308592e7ea7d4fbc7385ea3d529b35e346ef48bb8913f55",
    "0x4d2f259eea405bd48f010a01ad2911d9c6dd039bb61a6290e591b36e636a5c871a5c29f4f83060400f8b49cba8f6aa8",
    "0xaccbb67481d033ff5852c1e48c50c477f94ff8aefce42d28c0f9a88cea7913516f968986f7ebbea9684b529e2561092",
    "0xad6b9514c767fe3c3613144b45f1496543346d98adf02267d5ceef9a00d9b8693000763e3b90ac11e99b138573345cc",
    "0x2660400eb2e4f3b628bdd0d53cd76f2bf565b94e72927c1cb748df27942480e420517bd8714cc80d1fadc1326ed06f7",
    "0xe0fa1d816ddc03e6b24255e0d7819c171c40f65e273b853324efcd6356caa205ca2f570f13497804415473a1d634b8f",
    "0x000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000001"
    // LAST 1
  ]
].map((i) => i.map((j) => BigInt(j))));
var G1_SWU;
var G2_SWU;
var getG1_SWU = () => G1_SWU || (G1_SWU = mapToCurveSimpleSWU(Fp2, {
  A: Fp2.create(BigInt("0x144698a3b8e9433d693a02c96d4982b0ea985383ee66a8d8e8981aefd881ac98936f8da0e0f97f5cf428082d584c1d")),
  B: Fp2.create(BigInt("0x12e2908d11688030018b12e8753eee3b2016c1f0f24f4070a0b9c14fcef35ef55a23215a316ceaa5d1cc48e98e172be0")),
  Z: Fp2.create(BigInt(11))
}));
var getG2_SWU = () => G2_SWU || (G2_SWU = mapToCurveSimpleSWU(Fp22, {
  // SWU map for the RFC 9380 §8.8.2 pre-isogeny G2 curve E':
  // y² = x³ + 240i * x + 1012 + 1012i
  A: Fp22.create({ c0: Fp2.create(_0n9), c1: Fp2.create(BigInt(240)) }),
  // A' = 240 * I
  B: Fp22.create({ c0: Fp2.create(BigInt(1012)), c1: Fp2.create(BigInt(1012)) }),
  // B' = 1012 * (1 + I)
  Z: Fp22.create({ c0: Fp2.create(BigInt(-2)), c1: Fp2.create(BigInt(-1)) })
  // Z: -(2 + I)
}));
function mapToG1(scalars) {
  const { x, y } = getG1_SWU()(Fp2.create(scalars[0]));
  return isogenyMapG1(x, y);
}
function mapToG2(scalars) {
  const { x, y } = getG2_SWU()(Fp22.fromBigTuple(scalars));
  return isogenyMapG2(x, y);
}

// ../../node_modules/@noble/ciphers/utils.js
/*! noble-ciphers - MIT License (c) 2023 Paul Miller (paulmillr.com) */
function isBytes3(a) {
  return a instanceof Uint8Array || ArrayBuffer.isView(a) && a.constructor.name === "Uint8Array" && "BYTES_PER_ELEMENT" in a && a.BYTES_PER_ELEMENT === 1;
}
var atitle3 = (title) => title ? `"${title}" ` : "";
function abool2(value, title = "") {
  if (typeof value !== "boolean")
    throw new TypeError(atitle3(title) + "expected boolean, got type=" + typeof value);
  return value;
}
function anumber3(n, title = "") {
  if (typeof n !== "number")
    throw new TypeError(atitle3(title) + "expected number, got " + typeof n);
  if (!Number.isSafeInteger(n) || n < 0)
    throw new RangeError(atitle3(title) + "expected integer >= 0, got " + n);
  return n;
}
function abytes3(value, length, title = "") {
  if (isBytes3(value) && (length === void 0 || value.length === length))
    return value;
  if (length !== void 0)
    anumber3(length, "length");
  const bytes = isBytes3(value);
  const ofLen = length !== void 0 ? ` of length ${length}` : "";
  const got = bytes ? `length=${value.length}` : `type=${typeof value}`;
  const message = atitle3(title) + "expected Uint8Array" + ofLen + ", got " + got;
  if (!bytes)
    throw new TypeError(message);
  throw new RangeError(message);
}
var aobject3 = (value, label) => {
  if (value === null || typeof value !== "object" || Array.isArray(value))
    throw new TypeError(label === "object" ? "expected valid options object" : `"${label}" expected object, got type=${typeof value}`);
};
function u32(arr3) {
  return new Uint32Array(arr3.buffer, arr3.byteOffset, Math.floor(arr3.byteLength / 4));
}
function clean2(...arrays) {
  for (let i = 0; i < arrays.length; i++) {
    arrays[i].fill(0);
  }
}
var isLE = /* @__PURE__ */ (() => new Uint8Array(new Uint32Array([287454020]).buffer)[0] === 68)();
function byteSwap(word) {
  return word << 24 & 4278190080 | word << 8 & 16711680 | word >>> 8 & 65280 | word >>> 24 & 255;
}
function byteSwap32(arr3) {
  for (let i = 0; i < arr3.length; i++) {
    arr3[i] = byteSwap(arr3[i]);
  }
  return arr3;
}
var swap32IfBE = isLE ? (u) => u : byteSwap32;
function overlapBytes(a, b) {
  if (!a.byteLength || !b.byteLength)
    return false;
  return a.buffer === b.buffer && // best we can do, may fail with an obscure Proxy
  a.byteOffset < b.byteOffset + b.byteLength && // a starts before b end
  b.byteOffset < a.byteOffset + a.byteLength;
}
function complexOverlapBytes(input, output) {
  if (overlapBytes(input, output) && input.byteOffset < output.byteOffset)
    throw new Error("complex overlap of input and output is not supported");
}
function checkOpts2(defaults, opts) {
  aobject3(defaults, "defaults");
  aobject3(opts, "opts");
  const merged = Object.assign(defaults, opts);
  return merged;
}
function getOutput(expectedLength, out, onlyAligned = true) {
  if (out === void 0)
    return new Uint8Array(expectedLength);
  abytes3(out, expectedLength, "output");
  if (onlyAligned && !isAligned32(out))
    throw new Error("invalid output, must be aligned");
  return out;
}
function isAligned32(bytes) {
  return bytes.byteOffset % 4 === 0;
}
function copyBytes2(bytes) {
  return Uint8Array.from(abytes3(bytes));
}

// ../../node_modules/@noble/ciphers/_arx.js
var encodeStr = (str2) => Uint8Array.from(str2.split(""), (c) => c.charCodeAt(0));
var sigma16_32 = /* @__PURE__ */ (() => swap32IfBE(u32(encodeStr("expand 16-byte k"))))();
var sigma32_32 = /* @__PURE__ */ (() => swap32IfBE(u32(encodeStr("expand 32-byte k"))))();
function rotl(a, b) {
  return a << b | a >>> 32 - b;
}
var BLOCK_LEN = 64;
var BLOCK_LEN32 = 16;
var MAX_COUNTER = /* @__PURE__ */ (() => 2 ** 32 - 1)();
var U32_EMPTY = /* @__PURE__ */ Uint32Array.of();
function runCipher(core, sigma, key, nonce, data, output, counter, rounds) {
  const len = data.length;
  const block = new Uint8Array(BLOCK_LEN);
  const b32 = u32(block);
  const isAligned = isLE && isAligned32(data) && isAligned32(output);
  const d32 = isAligned ? u32(data) : U32_EMPTY;
  const o32 = isAligned ? u32(output) : U32_EMPTY;
  if (!isLE) {
    for (let pos = 0; pos < len; counter++) {
      core(sigma, key, nonce, b32, counter, rounds);
      swap32IfBE(b32);
      if (counter >= MAX_COUNTER)
        throw new Error("arx: counter overflow");
      const take = Math.min(BLOCK_LEN, len - pos);
      for (let j = 0, posj; j < take; j++) {
        posj = pos + j;
        output[posj] = data[posj] ^ block[j];
      }
      pos += take;
    }
    return;
  }
  for (let pos = 0; pos < len; counter++) {
    core(sigma, key, nonce, b32, counter, rounds);
    if (counter >= MAX_COUNTER)
      throw new Error("arx: counter overflow");
    const take = Math.min(BLOCK_LEN, len - pos);
    if (isAligned && take === BLOCK_LEN) {
      const pos32 = pos / 4;
      if (pos % 4 !== 0)
        throw new Error("arx: invalid block position");
      for (let j = 0, posj; j < BLOCK_LEN32; j++) {
        posj = pos32 + j;
        o32[posj] = d32[posj] ^ b32[j];
      }
      pos += BLOCK_LEN;
      continue;
    }
    for (let j = 0, posj; j < take; j++) {
      posj = pos + j;
      output[posj] = data[posj] ^ block[j];
    }
    pos += take;
  }
}
function createCipher(core, opts) {
  const { allowShortKeys, extendNonceFn, counterLength, counterRight, rounds } = checkOpts2({ allowShortKeys: false, counterLength: 8, counterRight: false, rounds: 20 }, opts);
  if (typeof core !== "function")
    throw new Error("core must be a function");
  anumber3(counterLength);
  anumber3(rounds);
  abool2(counterRight);
  abool2(allowShortKeys);
  return (key, nonce, data, output, counter = 0) => {
    abytes3(key, void 0, "key");
    abytes3(nonce, void 0, "nonce");
    abytes3(data, void 0, "data");
    const len = data.length;
    const hasOutput = output !== void 0;
    output = getOutput(len, output, false);
    if (hasOutput)
      complexOverlapBytes(data, output);
    anumber3(counter);
    if (counter < 0 || counter >= MAX_COUNTER)
      throw new Error("arx: counter overflow");
    const toClean = [];
    let l = key.length;
    let k;
    let sigma;
    if (l === 32) {
      toClean.push(k = copyBytes2(key));
      sigma = sigma32_32;
    } else if (l === 16 && allowShortKeys) {
      k = new Uint8Array(32);
      k.set(key);
      k.set(key, 16);
      sigma = sigma16_32;
      toClean.push(k);
    } else {
      abytes3(key, 32, "arx key");
      throw new Error("invalid key size");
    }
    if (!isLE || !isAligned32(nonce))
      toClean.push(nonce = copyBytes2(nonce));
    let k32 = u32(k);
    if (extendNonceFn) {
      if (nonce.length !== 24)
        throw new Error("arx: extended nonce must be 24 bytes");
      const n16 = nonce.subarray(0, 16);
      if (isLE)
        extendNonceFn(sigma, k32, u32(n16), k32);
      else {
        const sigmaRaw = swap32IfBE(Uint32Array.from(sigma));
        extendNonceFn(sigmaRaw, k32, u32(n16), k32);
        clean2(sigmaRaw);
        swap32IfBE(k32);
      }
      nonce = nonce.subarray(16);
    } else if (!isLE)
      swap32IfBE(k32);
    const nonceNcLen = 16 - counterLength;
    if (nonceNcLen !== nonce.length)
      throw new Error(`arx: nonce must be ${nonceNcLen} or 16 bytes`);
    if (nonceNcLen !== 12) {
      const nc = new Uint8Array(12);
      nc.set(nonce, counterRight ? 0 : 12 - nonce.length);
      nonce = nc;
      toClean.push(nonce);
    }
    const n32 = swap32IfBE(u32(nonce));
    try {
      runCipher(core, sigma, k32, n32, data, output, counter, rounds);
      return output;
    } finally {
      clean2(...toClean);
    }
  };
}

// ../../node_modules/@noble/ciphers/chacha.js
function chachaCore(s, k, n, out, cnt, rounds = 20) {
  let y00 = s[0], y01 = s[1], y02 = s[2], y03 = s[3], y04 = k[0], y05 = k[1], y06 = k[2], y07 = k[3], y08 = k[4], y09 = k[5], y10 = k[6], y11 = k[7], y12 = cnt, y13 = n[0], y14 = n[1], y15 = n[2];
  let x00 = y00, x01 = y01, x02 = y02, x03 = y03, x04 = y04, x05 = y05, x06 = y06, x07 = y07, x08 = y08, x09 = y09, x10 = y10, x11 = y11, x12 = y12, x13 = y13, x14 = y14, x15 = y15;
  for (let r = 0; r < rounds; r += 2) {
    x00 = x00 + x04 | 0;
    x12 = rotl(x12 ^ x00, 16);
    x08 = x08 + x12 | 0;
    x04 = rotl(x04 ^ x08, 12);
    x00 = x00 + x04 | 0;
    x12 = rotl(x12 ^ x00, 8);
    x08 = x08 + x12 | 0;
    x04 = rotl(x04 ^ x08, 7);
    x01 = x01 + x05 | 0;
    x13 = rotl(x13 ^ x01, 16);
    x09 = x09 + x13 | 0;
    x05 = rotl(x05 ^ x09, 12);
    x01 = x01 + x05 | 0;
    x13 = rotl(x13 ^ x01, 8);
    x09 = x09 + x13 | 0;
    x05 = rotl(x05 ^ x09, 7);
    x02 = x02 + x06 | 0;
    x14 = rotl(x14 ^ x02, 16);
    x10 = x10 + x14 | 0;
    x06 = rotl(x06 ^ x10, 12);
    x02 = x02 + x06 | 0;
    x14 = rotl(x14 ^ x02, 8);
    x10 = x10 + x14 | 0;
    x06 = rotl(x06 ^ x10, 7);
    x03 = x03 + x07 | 0;
    x15 = rotl(x15 ^ x03, 16);
    x11 = x11 + x15 | 0;
    x07 = rotl(x07 ^ x11, 12);
    x03 = x03 + x07 | 0;
    x15 = rotl(x15 ^ x03, 8);
    x11 = x11 + x15 | 0;
    x07 = rotl(x07 ^ x11, 7);
    x00 = x00 + x05 | 0;
    x15 = rotl(x15 ^ x00, 16);
    x10 = x10 + x15 | 0;
    x05 = rotl(x05 ^ x10, 12);
    x00 = x00 + x05 | 0;
    x15 = rotl(x15 ^ x00, 8);
    x10 = x10 + x15 | 0;
    x05 = rotl(x05 ^ x10, 7);
    x01 = x01 + x06 | 0;
    x12 = rotl(x12 ^ x01, 16);
    x11 = x11 + x12 | 0;
    x06 = rotl(x06 ^ x11, 12);
    x01 = x01 + x06 | 0;
    x12 = rotl(x12 ^ x01, 8);
    x11 = x11 + x12 | 0;
    x06 = rotl(x06 ^ x11, 7);
    x02 = x02 + x07 | 0;
    x13 = rotl(x13 ^ x02, 16);
    x08 = x08 + x13 | 0;
    x07 = rotl(x07 ^ x08, 12);
    x02 = x02 + x07 | 0;
    x13 = rotl(x13 ^ x02, 8);
    x08 = x08 + x13 | 0;
    x07 = rotl(x07 ^ x08, 7);
    x03 = x03 + x04 | 0;
    x14 = rotl(x14 ^ x03, 16);
    x09 = x09 + x14 | 0;
    x04 = rotl(x04 ^ x09, 12);
    x03 = x03 + x04 | 0;
    x14 = rotl(x14 ^ x03, 8);
    x09 = x09 + x14 | 0;
    x04 = rotl(x04 ^ x09, 7);
  }
  let oi = 0;
  out[oi++] = y00 + x00 | 0;
  out[oi++] = y01 + x01 | 0;
  out[oi++] = y02 + x02 | 0;
  out[oi++] = y03 + x03 | 0;
  out[oi++] = y04 + x04 | 0;
  out[oi++] = y05 + x05 | 0;
  out[oi++] = y06 + x06 | 0;
  out[oi++] = y07 + x07 | 0;
  out[oi++] = y08 + x08 | 0;
  out[oi++] = y09 + x09 | 0;
  out[oi++] = y10 + x10 | 0;
  out[oi++] = y11 + x11 | 0;
  out[oi++] = y12 + x12 | 0;
  out[oi++] = y13 + x13 | 0;
  out[oi++] = y14 + x14 | 0;
  out[oi++] = y15 + x15 | 0;
}
var chacha20 = /* @__PURE__ */ createCipher(chachaCore, {
  counterRight: false,
  counterLength: 4,
  allowShortKeys: false
});

// ../../node_modules/hash-wasm/dist/index.esm.js
/*!
 * hash-wasm (https://www.npmjs.com/package/hash-wasm)
 * (c) Dani Biro
 * @license MIT
 */
function __awaiter(thisArg, _arguments, P, generator) {
  function adopt(value) {
    return value instanceof P ? value : new P(function(resolve) {
      resolve(value);
    });
  }
  return new (P || (P = Promise))(function(resolve, reject) {
    function fulfilled(value) {
      try {
        step(generator.next(value));
      } catch (e) {
        reject(e);
      }
    }
    function rejected(value) {
      try {
        step(generator["throw"](value));
      } catch (e) {
        reject(e);
      }
    }
    function step(result) {
      result.done ? resolve(result.value) : adopt(result.value).then(fulfilled, rejected);
    }
    step((generator = generator.apply(thisArg, _arguments || [])).next());
  });
}
var Mutex = class {
  constructor() {
    this.mutex = Promise.resolve();
  }
  lock() {
    let begin = () => {
    };
    this.mutex = this.mutex.then(() => new Promise(begin));
    return new Promise((res) => {
      begin = res;
    });
  }
  dispatch(fn) {
    return __awaiter(this, void 0, void 0, function* () {
      const unlock = yield this.lock();
      try {
        return yield Promise.resolve(fn());
      } finally {
        unlock();
      }
    });
  }
};
var _a;
function getGlobal() {
  if (typeof globalThis !== "undefined")
    return globalThis;
  if (typeof self !== "undefined")
    return self;
  if (typeof window !== "undefined")
    return window;
  return global;
}
var globalObject = getGlobal();
var nodeBuffer = (_a = globalObject.Buffer) !== null && _a !== void 0 ? _a : null;
var textEncoder = globalObject.TextEncoder ? new globalObject.TextEncoder() : null;
function hexCharCodesToInt(a, b) {
  return (a & 15) + (a >> 6 | a >> 3 & 8) << 4 | (b & 15) + (b >> 6 | b >> 3 & 8);
}
function writeHexToUInt8(buf, str2) {
  const size = str2.length >> 1;
  for (let i = 0; i < size; i++) {
    const index = i << 1;
    buf[i] = hexCharCodesToInt(str2.charCodeAt(index), str2.charCodeAt(index + 1));
  }
}
function hexStringEqualsUInt8(str2, buf) {
  if (str2.length !== buf.length * 2) {
    return false;
  }
  for (let i = 0; i < buf.length; i++) {
    const strIndex = i << 1;
    if (buf[i] !== hexCharCodesToInt(str2.charCodeAt(strIndex), str2.charCodeAt(strIndex + 1))) {
      return false;
    }
  }
  return true;
}
var alpha = "a".charCodeAt(0) - 10;
var digit = "0".charCodeAt(0);
function getDigestHex(tmpBuffer, input, hashLength) {
  let p = 0;
  for (let i = 0; i < hashLength; i++) {
    let nibble = input[i] >>> 4;
    tmpBuffer[p++] = nibble > 9 ? nibble + alpha : nibble + digit;
    nibble = input[i] & 15;
    tmpBuffer[p++] = nibble > 9 ? nibble + alpha : nibble + digit;
  }
  return String.fromCharCode.apply(null, tmpBuffer);
}
var getUInt8Buffer = nodeBuffer !== null ? (data) => {
  if (typeof data === "string") {
    const buf = nodeBuffer.from(data, "utf8");
    return new Uint8Array(buf.buffer, buf.byteOffset, buf.length);
  }
  if (nodeBuffer.isBuffer(data)) {
    return new Uint8Array(data.buffer, data.byteOffset, data.length);
  }
  if (ArrayBuffer.isView(data)) {
    return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  }
  throw new Error("Invalid data type!");
} : (data) => {
  if (typeof data === "string") {
    return textEncoder.encode(data);
  }
  if (ArrayBuffer.isView(data)) {
    return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  }
  throw new Error("Invalid data type!");
};
var base64Chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
var base64Lookup = new Uint8Array(256);
for (let i = 0; i < base64Chars.length; i++) {
  base64Lookup[base64Chars.charCodeAt(i)] = i;
}
function getDecodeBase64Length(data) {
  let bufferLength = Math.floor(data.length * 0.75);
  const len = data.length;
  if (data[len - 1] === "=") {
    bufferLength -= 1;
    if (data[len - 2] === "=") {
      bufferLength -= 1;
    }
  }
  return bufferLength;
}
function decodeBase64(data) {
  const bufferLength = getDecodeBase64Length(data);
  const len = data.length;
  const bytes = new Uint8Array(bufferLength);
  let p = 0;
  for (let i = 0; i < len; i += 4) {
    const encoded1 = base64Lookup[data.charCodeAt(i)];
    const encoded2 = base64Lookup[data.charCodeAt(i + 1)];
    const encoded3 = base64Lookup[data.charCodeAt(i + 2)];
    const encoded4 = base64Lookup[data.charCodeAt(i + 3)];
    bytes[p] = encoded1 << 2 | encoded2 >> 4;
    p += 1;
    bytes[p] = (encoded2 & 15) << 4 | encoded3 >> 2;
    p += 1;
    bytes[p] = (encoded3 & 3) << 6 | encoded4 & 63;
    p += 1;
  }
  return bytes;
}
var MAX_HEAP = 16 * 1024;
var WASM_FUNC_HASH_LENGTH = 4;
var wasmMutex = new Mutex();
var wasmModuleCache = /* @__PURE__ */ new Map();
function WASMInterface(binary, hashLength) {
  return __awaiter(this, void 0, void 0, function* () {
    let wasmInstance = null;
    let memoryView = null;
    let initialized = false;
    if (typeof WebAssembly === "undefined") {
      throw new Error("WebAssembly is not supported in this environment!");
    }
    const writeMemory = (data, offset = 0) => {
      memoryView.set(data, offset);
    };
    const getMemory = () => memoryView;
    const getExports = () => wasmInstance.exports;
    const setMemorySize = (totalSize) => {
      wasmInstance.exports.Hash_SetMemorySize(totalSize);
      const arrayOffset = wasmInstance.exports.Hash_GetBuffer();
      const memoryBuffer = wasmInstance.exports.memory.buffer;
      memoryView = new Uint8Array(memoryBuffer, arrayOffset, totalSize);
    };
    const getStateSize = () => {
      const view = new DataView(wasmInstance.exports.memory.buffer);
      const stateSize = view.getUint32(wasmInstance.exports.STATE_SIZE, true);
      return stateSize;
    };
    const loadWASMPromise = wasmMutex.dispatch(() => __awaiter(this, void 0, void 0, function* () {
      if (!wasmModuleCache.has(binary.name)) {
        const asm = decodeBase64(binary.data);
        const promise = WebAssembly.compile(asm.buffer);
        wasmModuleCache.set(binary.name, promise);
      }
      const module = yield wasmModuleCache.get(binary.name);
      wasmInstance = yield WebAssembly.instantiate(module, {
        // env: {
        //   emscripten_memcpy_big: (dest, src, num) => {
        //     const memoryBuffer = wasmInstance.exports.memory.buffer;
        //     const memView = new Uint8Array(memoryBuffer, 0);
        //     memView.set(memView.subarray(src, src + num), dest);
        //   },
        //   print_memory: (offset, len) => {
        //     const memoryBuffer = wasmInstance.exports.memory.buffer;
        //     const memView = new Uint8Array(memoryBuffer, 0);
        //     console.log('print_int32', memView.subarray(offset, offset + len));
        //   },
        // },
      });
    }));
    const setupInterface = () => __awaiter(this, void 0, void 0, function* () {
      if (!wasmInstance) {
        yield loadWASMPromise;
      }
      const arrayOffset = wasmInstance.exports.Hash_GetBuffer();
      const memoryBuffer = wasmInstance.exports.memory.buffer;
      memoryView = new Uint8Array(memoryBuffer, arrayOffset, MAX_HEAP);
    });
    const init = (bits = null) => {
      initialized = true;
      wasmInstance.exports.Hash_Init(bits);
    };
    const updateUInt8Array = (data) => {
      let read = 0;
      while (read < data.length) {
        const chunk = data.subarray(read, read + MAX_HEAP);
        read += chunk.length;
        memoryView.set(chunk);
        wasmInstance.exports.Hash_Update(chunk.length);
      }
    };
    const update = (data) => {
      if (!initialized) {
        throw new Error("update() called before init()");
      }
      const Uint8Buffer = getUInt8Buffer(data);
      updateUInt8Array(Uint8Buffer);
    };
    const digestChars = new Uint8Array(hashLength * 2);
    const digest = (outputType, padding = null) => {
      if (!initialized) {
        throw new Error("digest() called before init()");
      }
      initialized = false;
      wasmInstance.exports.Hash_Final(padding);
      if (outputType === "binary") {
        return memoryView.slice(0, hashLength);
      }
      return getDigestHex(digestChars, memoryView, hashLength);
    };
    const save = () => {
      if (!initialized) {
        throw new Error("save() can only be called after init() and before digest()");
      }
      const stateOffset = wasmInstance.exports.Hash_GetState();
      const stateLength = getStateSize();
      const memoryBuffer = wasmInstance.exports.memory.buffer;
      const internalState = new Uint8Array(memoryBuffer, stateOffset, stateLength);
      const prefixedState = new Uint8Array(WASM_FUNC_HASH_LENGTH + stateLength);
      writeHexToUInt8(prefixedState, binary.hash);
      prefixedState.set(internalState, WASM_FUNC_HASH_LENGTH);
      return prefixedState;
    };
    const load = (state) => {
      if (!(state instanceof Uint8Array)) {
        throw new Error("load() expects an Uint8Array generated by save()");
      }
      const stateOffset = wasmInstance.exports.Hash_GetState();
      const stateLength = getStateSize();
      const overallLength = WASM_FUNC_HASH_LENGTH + stateLength;
      const memoryBuffer = wasmInstance.exports.memory.buffer;
      if (state.length !== overallLength) {
        throw new Error(`Bad state length (expected ${overallLength} bytes, got ${state.length})`);
      }
      if (!hexStringEqualsUInt8(binary.hash, state.subarray(0, WASM_FUNC_HASH_LENGTH))) {
        throw new Error("This state was written by an incompatible hash implementation");
      }
      const internalState = state.subarray(WASM_FUNC_HASH_LENGTH);
      new Uint8Array(memoryBuffer, stateOffset, stateLength).set(internalState);
      initialized = true;
    };
    const isDataShort = (data) => {
      if (typeof data === "string") {
        return data.length < MAX_HEAP / 4;
      }
      return data.byteLength < MAX_HEAP;
    };
    let canSimplify = isDataShort;
    switch (binary.name) {
      case "argon2":
      case "scrypt":
        canSimplify = () => true;
        break;
      case "blake2b":
      case "blake2s":
        canSimplify = (data, initParam) => initParam <= 512 && isDataShort(data);
        break;
      case "blake3":
        canSimplify = (data, initParam) => initParam === 0 && isDataShort(data);
        break;
      case "xxhash64":
      // cannot simplify
      case "xxhash3":
      case "xxhash128":
      case "crc64":
        canSimplify = () => false;
        break;
    }
    const calculate = (data, initParam = null, digestParam = null) => {
      if (!canSimplify(data, initParam)) {
        init(initParam);
        update(data);
        return digest("hex", digestParam);
      }
      const buffer = getUInt8Buffer(data);
      memoryView.set(buffer);
      wasmInstance.exports.Hash_Calculate(buffer.length, initParam, digestParam);
      return getDigestHex(digestChars, memoryView, hashLength);
    };
    yield setupInterface();
    return {
      getMemory,
      writeMemory,
      getExports,
      setMemorySize,
      init,
      update,
      digest,
      save,
      load,
      calculate,
      hashLength
    };
  });
}
var mutex$l = new Mutex();
var mutex$k = new Mutex();
var uint32View = new DataView(new ArrayBuffer(4));
var mutex$j = new Mutex();
var mutex$i = new Mutex();
var mutex$h = new Mutex();
var mutex$g = new Mutex();
var polyBuffer = new Uint8Array(8);
var mutex$f = new Mutex();
var mutex$e = new Mutex();
var mutex$d = new Mutex();
var mutex$c = new Mutex();
var mutex$b = new Mutex();
var name$a = "sha256";
var data$a = "AGFzbQEAAAABEQRgAAF/YAF/AGAAAGACf38AAwgHAAEBAQIAAwUEAQECAgYPAn8BQYCABAt/AEGAgAQLB4IBCQZtZW1vcnkCAA9fX3N0YWNrX3BvaW50ZXIDAA5IYXNoX0dldEJ1ZmZlcgAACUhhc2hfSW5pdAABC0hhc2hfVXBkYXRlAAIKSGFzaF9GaW5hbAAEDUhhc2hfR2V0U3RhdGUABQ5IYXNoX0NhbGN1bGF0ZQAGClNUQVRFX1NJWkUDAQqGSQcGAEGAgQQLnQEAQQBCADcDwIEFQQBBHEEgIABB4AFGIgAbNgLogQVBAEKnn+anxvST/b5/Qquzj/yRo7Pw2wAgABs3A+CBBUEAQrGWgP6fooWs6ABC/6S5iMWR2oKbfyAAGzcD2IEFQQBCl7rDg5Onlod3QvLmu+Ojp/2npX8gABs3A9CBBUEAQti9loj8oLW+NkLnzKfQ1tDrs7t/IAAbNwPIgQUL9wICAX4Hf0EAQQApA8CBBSIBIACtfDcDwIEFAkACQAJAIAGnQT9xIgINAEGAgQQhAwwBCyAAQcAAIAJrIgRJIQUCQCAARQ0AIAAgBCAFGyIDQQNxIQYgAkGAgQVqIQdBACECAkAgA0EESQ0AIANB/ABxIQhBACECA0AgByACaiIDIAJBgIEEai0AADoAACADQQFqIAJBgYEEai0AADoAACADQQJqIAJBgoEEai0AADoAACADQQNqIAJBg4EEai0AADoAACAIIAJBBGoiAkcNAAsgBkUNAQsDQCAHIAJqIAJBgIEEai0AADoAACACQQFqIQIgBkF/aiIGDQALCyAFDQFBgIEFEAMgACAEayEAIARBgIEEaiEDCwJAIABBwABJDQADQCADEAMgA0HAAGohAyAAQUBqIgBBP0sNAAsLIABFDQBBACEGQQAhAgNAIAJBgIEFaiADIAJqLQAAOgAAIAJBAWohAiAAIAZBAWoiBkH/AXFLDQALCwuDPQFFf0EAIAAoAjwiAUH/gfwHcUEIeCABQRh4Qf+B/AdxciIBQRl3IAFBDndzIAFBA3ZzIAAoAjgiAkH/gfwHcUEIeCACQRh4Qf+B/AdxciICaiAAKAIgIgNB/4H8B3FBCHggA0EYeEH/gfwHcXIiBEEZdyAEQQ53cyAEQQN2cyAAKAIcIgNB/4H8B3FBCHggA0EYeEH/gfwHcXIiBWogACgCBCIDQf+B/AdxQQh4IANBGHhB/4H8B3FyIgZBGXcgBkEOd3MgBkEDdnMgACgCACIDQf+B/AdxQQh4IANBGHhB/4H8B3FyIgdqIAAoAiQiA0H/gfwHcUEIeCADQRh4Qf+B/AdxciIIaiACQQ93IAJBDXdzIAJBCnZzaiIDaiAAKAIYIglB/4H8B3FBCHggCUEYeEH/gfwHcXIiCkEZdyAKQQ53cyAKQQN2cyAAKAIUIglB/4H8B3FBCHggCUEYeEH/gfwHcXIiC2ogAmogACgCECIJQf+B/AdxQQh4IAlBGHhB/4H8B3FyIgxBGXcgDEEOd3MgDEEDdnMgACgCDCIJQf+B/AdxQQh4IAlBGHhB/4H8B3FyIg1qIAAoAjAiCUH/gfwHcUEIeCAJQRh4Qf+B/AdxciIOaiAAKAIIIglB/4H8B3FBCHggCUEYeEH/gfwHcXIiD0EZdyAPQQ53cyAPQQN2cyAGaiAAKAIoIglB/4H8B3FBCHggCUEYeEH/gfwHcXIiEGogAUEPdyABQQ13cyABQQp2c2oiCUEPdyAJQQ13cyAJQQp2c2oiEUEPdyARQQ13cyARQQp2c2oiEkEPdyASQQ13cyASQQp2c2oiE2ogACgCNCIUQf+B/AdxQQh4IBRBGHhB/4H8B3FyIhVBGXcgFUEOd3MgFUEDdnMgDmogEmogACgCLCIAQf+B/AdxQQh4IABBGHhB/4H8B3FyIhZBGXcgFkEOd3MgFkEDdnMgEGogEWogCEEZdyAIQQ53cyAIQQN2cyAEaiAJaiAFQRl3IAVBDndzIAVBA3ZzIApqIAFqIAtBGXcgC0EOd3MgC0EDdnMgDGogFWogDUEZdyANQQ53cyANQQN2cyAPaiAWaiADQQ93IANBDXdzIANBCnZzaiIUQQ93IBRBDXdzIBRBCnZzaiIXQQ93IBdBDXdzIBdBCnZzaiIYQQ93IBhBDXdzIBhBCnZzaiIZQQ93IBlBDXdzIBlBCnZzaiIaQQ93IBpBDXdzIBpBCnZzaiIbQQ93IBtBDXdzIBtBCnZzaiIcQRl3IBxBDndzIBxBA3ZzIAJBGXcgAkEOd3MgAkEDdnMgFWogGGogDkEZdyAOQQ53cyAOQQN2cyAWaiAXaiAQQRl3IBBBDndzIBBBA3ZzIAhqIBRqIBNBD3cgE0ENd3MgE0EKdnNqIh1BD3cgHUENd3MgHUEKdnNqIh5BD3cgHkENd3MgHkEKdnNqIh9qIBNBGXcgE0EOd3MgE0EDdnMgGGogA0EZdyADQQ53cyADQQN2cyABaiAZaiAfQQ93IB9BDXdzIB9BCnZzaiIgaiASQRl3IBJBDndzIBJBA3ZzIBdqIB9qIBFBGXcgEUEOd3MgEUEDdnMgFGogHmogCUEZdyAJQQ53cyAJQQN2cyADaiAdaiAcQQ93IBxBDXdzIBxBCnZzaiIhQQ93ICFBDXdzICFBCnZzaiIiQQ93ICJBDXdzICJBCnZzaiIjQQ93ICNBDXdzICNBCnZzaiIkaiAbQRl3IBtBDndzIBtBA3ZzIB5qICNqIBpBGXcgGkEOd3MgGkEDdnMgHWogImogGUEZdyAZQQ53cyAZQQN2cyATaiAhaiAYQRl3IBhBDndzIBhBA3ZzIBJqIBxqIBdBGXcgF0EOd3MgF0EDdnMgEWogG2ogFEEZdyAUQQ53cyAUQQN2cyAJaiAaaiAgQQ93ICBBDXdzICBBCnZzaiIlQQ93ICVBDXdzICVBCnZzaiImQQ93ICZBDXdzICZBCnZzaiInQQ93ICdBDXdzICdBCnZzaiIoQQ93IChBDXdzIChBCnZzaiIpQQ93IClBDXdzIClBCnZzaiIqQQ93ICpBDXdzICpBCnZzaiIrQRl3ICtBDndzICtBA3ZzIB9BGXcgH0EOd3MgH0EDdnMgG2ogJ2ogHkEZdyAeQQ53cyAeQQN2cyAaaiAmaiAdQRl3IB1BDndzIB1BA3ZzIBlqICVqICRBD3cgJEENd3MgJEEKdnNqIixBD3cgLEENd3MgLEEKdnNqIi1BD3cgLUENd3MgLUEKdnNqIi5qICRBGXcgJEEOd3MgJEEDdnMgJ2ogIEEZdyAgQQ53cyAgQQN2cyAcaiAoaiAuQQ93IC5BDXdzIC5BCnZzaiIvaiAjQRl3ICNBDndzICNBA3ZzICZqIC5qICJBGXcgIkEOd3MgIkEDdnMgJWogLWogIUEZdyAhQQ53cyAhQQN2cyAgaiAsaiArQQ93ICtBDXdzICtBCnZzaiIwQQ93IDBBDXdzIDBBCnZzaiIxQQ93IDFBDXdzIDFBCnZzaiIyQQ93IDJBDXdzIDJBCnZzaiIzaiAqQRl3ICpBDndzICpBA3ZzIC1qIDJqIClBGXcgKUEOd3MgKUEDdnMgLGogMWogKEEZdyAoQQ53cyAoQQN2cyAkaiAwaiAnQRl3ICdBDndzICdBA3ZzICNqICtqICZBGXcgJkEOd3MgJkEDdnMgImogKmogJUEZdyAlQQ53cyAlQQN2cyAhaiApaiAvQQ93IC9BDXdzIC9BCnZzaiI0QQ93IDRBDXdzIDRBCnZzaiI1QQ93IDVBDXdzIDVBCnZzaiI2QQ93IDZBDXdzIDZBCnZzaiI3QQ93IDdBDXdzIDdBCnZzaiI4QQ93IDhBDXdzIDhBCnZzaiI5QQ93IDlBDXdzIDlBCnZzaiI6IDggNCAuICwgISAbIBkgAyAOIARBACgC2IEFIjtBGncgO0EVd3MgO0EHd3NBACgC5IEFIjxqQQAoAuCBBSI9QQAoAtyBBSI+cyA7cSA9c2ogB2pBmN+olARqIgdBACgC1IEFIj9qIgAgDGogOyANaiA+IA9qID0gBmogACA+IDtzcSA+c2ogAEEadyAAQRV3cyAAQQd3c2pBkYndiQdqIkBBACgC0IEFIkFqIgwgACA7c3EgO3NqIAxBGncgDEEVd3MgDEEHd3NqQc/3g657aiJCQQAoAsyBBSJDaiINIAwgAHNxIABzaiANQRp3IA1BFXdzIA1BB3dzakGlt9fNfmoiREEAKALIgQUiAGoiDyANIAxzcSAMc2ogD0EadyAPQRV3cyAPQQd3c2pB24TbygNqIkUgQSBDIABzcSBDIABxcyAAQR53IABBE3dzIABBCndzaiAHaiIGaiIHaiAFIA9qIAogDWogCyAMaiAHIA8gDXNxIA1zaiAHQRp3IAdBFXdzIAdBB3dzakHxo8TPBWoiCiAGIABzIENxIAYgAHFzIAZBHncgBkETd3MgBkEKd3NqIEBqIgxqIgQgByAPc3EgD3NqIARBGncgBEEVd3MgBEEHd3NqQaSF/pF5aiILIAwgBnMgAHEgDCAGcXMgDEEedyAMQRN3cyAMQQp3c2ogQmoiDWoiDyAEIAdzcSAHc2ogD0EadyAPQRV3cyAPQQd3c2pB1b3x2HpqIkAgDSAMcyAGcSANIAxxcyANQR53IA1BE3dzIA1BCndzaiBEaiIGaiIHIA8gBHNxIARzaiAHQRp3IAdBFXdzIAdBB3dzakGY1Z7AfWoiQiAGIA1zIAxxIAYgDXFzIAZBHncgBkETd3MgBkEKd3NqIEVqIgxqIgVqIBYgB2ogECAPaiAIIARqIAUgByAPc3EgD3NqIAVBGncgBUEVd3MgBUEHd3NqQYG2jZQBaiIIIAwgBnMgDXEgDCAGcXMgDEEedyAMQRN3cyAMQQp3c2ogCmoiDWoiDyAFIAdzcSAHc2ogD0EadyAPQRV3cyAPQQd3c2pBvovGoQJqIg4gDSAMcyAGcSANIAxxcyANQR53IA1BE3dzIA1BCndzaiALaiIGaiIHIA8gBXNxIAVzaiAHQRp3IAdBFXdzIAdBB3dzakHD+7GoBWoiECAGIA1zIAxxIAYgDXFzIAZBHncgBkETd3MgBkEKd3NqIEBqIgxqIgQgByAPc3EgD3NqIARBGncgBEEVd3MgBEEHd3NqQfS6+ZUHaiIWIAwgBnMgDXEgDCAGcXMgDEEedyAMQRN3cyAMQQp3c2ogQmoiDWoiBWogASAEaiACIAdqIBUgD2ogBSAEIAdzcSAHc2ogBUEadyAFQRV3cyAFQQd3c2pB/uP6hnhqIgcgDSAMcyAGcSANIAxxcyANQR53IA1BE3dzIA1BCndzaiAIaiIBaiIGIAUgBHNxIARzaiAGQRp3IAZBFXdzIAZBB3dzakGnjfDeeWoiBCABIA1zIAxxIAEgDXFzIAFBHncgAUETd3MgAUEKd3NqIA5qIgJqIgwgBiAFc3EgBXNqIAxBGncgDEEVd3MgDEEHd3NqQfTi74x8aiIFIAIgAXMgDXEgAiABcXMgAkEedyACQRN3cyACQQp3c2ogEGoiA2oiDSAMIAZzcSAGc2ogDUEadyANQRV3cyANQQd3c2pBwdPtpH5qIgggAyACcyABcSADIAJxcyADQR53IANBE3dzIANBCndzaiAWaiIBaiIPIBdqIBEgDWogFCAMaiAJIAZqIA8gDSAMc3EgDHNqIA9BGncgD0EVd3MgD0EHd3NqQYaP+f1+aiIGIAEgA3MgAnEgASADcXMgAUEedyABQRN3cyABQQp3c2ogB2oiAmoiCSAPIA1zcSANc2ogCUEadyAJQRV3cyAJQQd3c2pBxruG/gBqIgwgAiABcyADcSACIAFxcyACQR53IAJBE3dzIAJBCndzaiAEaiIDaiIRIAkgD3NxIA9zaiARQRp3IBFBFXdzIBFBB3dzakHMw7KgAmoiDSADIAJzIAFxIAMgAnFzIANBHncgA0ETd3MgA0EKd3NqIAVqIgFqIhQgESAJc3EgCXNqIBRBGncgFEEVd3MgFEEHd3NqQe/YpO8CaiIPIAEgA3MgAnEgASADcXMgAUEedyABQRN3cyABQQp3c2ogCGoiAmoiF2ogEyAUaiAYIBFqIBIgCWogFyAUIBFzcSARc2ogF0EadyAXQRV3cyAXQQd3c2pBqonS0wRqIhggAiABcyADcSACIAFxcyACQR53IAJBE3dzIAJBCndzaiAGaiIDaiIJIBcgFHNxIBRzaiAJQRp3IAlBFXdzIAlBB3dzakHc08LlBWoiFCADIAJzIAFxIAMgAnFzIANBHncgA0ETd3MgA0EKd3NqIAxqIgFqIhEgCSAXc3EgF3NqIBFBGncgEUEVd3MgEUEHd3NqQdqR5rcHaiIXIAEgA3MgAnEgASADcXMgAUEedyABQRN3cyABQQp3c2ogDWoiAmoiEiARIAlzcSAJc2ogEkEadyASQRV3cyASQQd3c2pB0qL5wXlqIhkgAiABcyADcSACIAFxcyACQR53IAJBE3dzIAJBCndzaiAPaiIDaiITaiAeIBJqIBogEWogHSAJaiATIBIgEXNxIBFzaiATQRp3IBNBFXdzIBNBB3dzakHtjMfBemoiGiADIAJzIAFxIAMgAnFzIANBHncgA0ETd3MgA0EKd3NqIBhqIgFqIgkgEyASc3EgEnNqIAlBGncgCUEVd3MgCUEHd3NqQcjPjIB7aiIYIAEgA3MgAnEgASADcXMgAUEedyABQRN3cyABQQp3c2ogFGoiAmoiESAJIBNzcSATc2ogEUEadyARQRV3cyARQQd3c2pBx//l+ntqIhQgAiABcyADcSACIAFxcyACQR53IAJBE3dzIAJBCndzaiAXaiIDaiISIBEgCXNxIAlzaiASQRp3IBJBFXdzIBJBB3dzakHzl4C3fGoiFyADIAJzIAFxIAMgAnFzIANBHncgA0ETd3MgA0EKd3NqIBlqIgFqIhNqICAgEmogHCARaiAfIAlqIBMgEiARc3EgEXNqIBNBGncgE0EVd3MgE0EHd3NqQceinq19aiIZIAEgA3MgAnEgASADcXMgAUEedyABQRN3cyABQQp3c2ogGmoiAmoiCSATIBJzcSASc2ogCUEadyAJQRV3cyAJQQd3c2pB0capNmoiGiACIAFzIANxIAIgAXFzIAJBHncgAkETd3MgAkEKd3NqIBhqIgNqIhEgCSATc3EgE3NqIBFBGncgEUEVd3MgEUEHd3NqQefSpKEBaiIYIAMgAnMgAXEgAyACcXMgA0EedyADQRN3cyADQQp3c2ogFGoiAWoiEiARIAlzcSAJc2ogEkEadyASQRV3cyASQQd3c2pBhZXcvQJqIhQgASADcyACcSABIANxcyABQR53IAFBE3dzIAFBCndzaiAXaiICaiITICNqICYgEmogIiARaiAlIAlqIBMgEiARc3EgEXNqIBNBGncgE0EVd3MgE0EHd3NqQbjC7PACaiIXIAIgAXMgA3EgAiABcXMgAkEedyACQRN3cyACQQp3c2ogGWoiA2oiCSATIBJzcSASc2ogCUEadyAJQRV3cyAJQQd3c2pB/Nux6QRqIhkgAyACcyABcSADIAJxcyADQR53IANBE3dzIANBCndzaiAaaiIBaiIRIAkgE3NxIBNzaiARQRp3IBFBFXdzIBFBB3dzakGTmuCZBWoiGiABIANzIAJxIAEgA3FzIAFBHncgAUETd3MgAUEKd3NqIBhqIgJqIhIgESAJc3EgCXNqIBJBGncgEkEVd3MgEkEHd3NqQdTmqagGaiIYIAIgAXMgA3EgAiABcXMgAkEedyACQRN3cyACQQp3c2ogFGoiA2oiE2ogKCASaiAkIBFqICcgCWogEyASIBFzcSARc2ogE0EadyATQRV3cyATQQd3c2pBu5WoswdqIhQgAyACcyABcSADIAJxcyADQR53IANBE3dzIANBCndzaiAXaiIBaiIJIBMgEnNxIBJzaiAJQRp3IAlBFXdzIAlBB3dzakGukouOeGoiFyABIANzIAJxIAEgA3FzIAFBHncgAUETd3MgAUEKd3NqIBlqIgJqIhEgCSATc3EgE3NqIBFBGncgEUEVd3MgEUEHd3NqQYXZyJN5aiIZIAIgAXMgA3EgAiABcXMgAkEedyACQRN3cyACQQp3c2ogGmoiA2oiEiARIAlzcSAJc2ogEkEadyASQRV3cyASQQd3c2pBodH/lXpqIhogAyACcyABcSADIAJxcyADQR53IANBE3dzIANBCndzaiAYaiIBaiITaiAqIBJqIC0gEWogKSAJaiATIBIgEXNxIBFzaiATQRp3IBNBFXdzIBNBB3dzakHLzOnAemoiGCABIANzIAJxIAEgA3FzIAFBHncgAUETd3MgAUEKd3NqIBRqIgJqIgkgEyASc3EgEnNqIAlBGncgCUEVd3MgCUEHd3NqQfCWrpJ8aiIUIAIgAXMgA3EgAiABcXMgAkEedyACQRN3cyACQQp3c2ogF2oiA2oiESAJIBNzcSATc2ogEUEadyARQRV3cyARQQd3c2pBo6Oxu3xqIhcgAyACcyABcSADIAJxcyADQR53IANBE3dzIANBCndzaiAZaiIBaiISIBEgCXNxIAlzaiASQRp3IBJBFXdzIBJBB3dzakGZ0MuMfWoiGSABIANzIAJxIAEgA3FzIAFBHncgAUETd3MgAUEKd3NqIBpqIgJqIhNqIDAgEmogLyARaiArIAlqIBMgEiARc3EgEXNqIBNBGncgE0EVd3MgE0EHd3NqQaSM5LR9aiIaIAIgAXMgA3EgAiABcXMgAkEedyACQRN3cyACQQp3c2ogGGoiA2oiCSATIBJzcSASc2ogCUEadyAJQRV3cyAJQQd3c2pBheu4oH9qIhggAyACcyABcSADIAJxcyADQR53IANBE3dzIANBCndzaiAUaiIBaiIRIAkgE3NxIBNzaiARQRp3IBFBFXdzIBFBB3dzakHwwKqDAWoiFCABIANzIAJxIAEgA3FzIAFBHncgAUETd3MgAUEKd3NqIBdqIgJqIhIgESAJc3EgCXNqIBJBGncgEkEVd3MgEkEHd3NqQZaCk80BaiIXIAIgAXMgA3EgAiABcXMgAkEedyACQRN3cyACQQp3c2ogGWoiA2oiEyA2aiAyIBJqIDUgEWogMSAJaiATIBIgEXNxIBFzaiATQRp3IBNBFXdzIBNBB3dzakGI2N3xAWoiGSADIAJzIAFxIAMgAnFzIANBHncgA0ETd3MgA0EKd3NqIBpqIgFqIgkgEyASc3EgEnNqIAlBGncgCUEVd3MgCUEHd3NqQczuoboCaiIaIAEgA3MgAnEgASADcXMgAUEedyABQRN3cyABQQp3c2ogGGoiAmoiESAJIBNzcSATc2ogEUEadyARQRV3cyARQQd3c2pBtfnCpQNqIhggAiABcyADcSACIAFxcyACQR53IAJBE3dzIAJBCndzaiAUaiIDaiISIBEgCXNxIAlzaiASQRp3IBJBFXdzIBJBB3dzakGzmfDIA2oiFCADIAJzIAFxIAMgAnFzIANBHncgA0ETd3MgA0EKd3NqIBdqIgFqIhNqICxBGXcgLEEOd3MgLEEDdnMgKGogNGogM0EPdyAzQQ13cyAzQQp2c2oiFyASaiA3IBFqIDMgCWogEyASIBFzcSARc2ogE0EadyATQRV3cyATQQd3c2pBytTi9gRqIhsgASADcyACcSABIANxcyABQR53IAFBE3dzIAFBCndzaiAZaiICaiIJIBMgEnNxIBJzaiAJQRp3IAlBFXdzIAlBB3dzakHPlPPcBWoiGSACIAFzIANxIAIgAXFzIAJBHncgAkETd3MgAkEKd3NqIBpqIgNqIhEgCSATc3EgE3NqIBFBGncgEUEVd3MgEUEHd3NqQfPfucEGaiIaIAMgAnMgAXEgAyACcXMgA0EedyADQRN3cyADQQp3c2ogGGoiAWoiEiARIAlzcSAJc2ogEkEadyASQRV3cyASQQd3c2pB7oW+pAdqIhwgASADcyACcSABIANxcyABQR53IAFBE3dzIAFBCndzaiAUaiICaiITaiAuQRl3IC5BDndzIC5BA3ZzICpqIDZqIC1BGXcgLUEOd3MgLUEDdnMgKWogNWogF0EPdyAXQQ13cyAXQQp2c2oiFEEPdyAUQQ13cyAUQQp2c2oiGCASaiA5IBFqIBQgCWogEyASIBFzcSARc2ogE0EadyATQRV3cyATQQd3c2pB78aVxQdqIgkgAiABcyADcSACIAFxcyACQR53IAJBE3dzIAJBCndzaiAbaiIDaiIRIBMgEnNxIBJzaiARQRp3IBFBFXdzIBFBB3dzakGU8KGmeGoiGyADIAJzIAFxIAMgAnFzIANBHncgA0ETd3MgA0EKd3NqIBlqIgFqIhIgESATc3EgE3NqIBJBGncgEkEVd3MgEkEHd3NqQYiEnOZ4aiIZIAEgA3MgAnEgASADcXMgAUEedyABQRN3cyABQQp3c2ogGmoiAmoiEyASIBFzcSARc2ogE0EadyATQRV3cyATQQd3c2pB+v/7hXlqIhogAiABcyADcSACIAFxcyACQR53IAJBE3dzIAJBCndzaiAcaiIDaiIUIDxqNgLkgQVBACA/IAMgAnMgAXEgAyACcXMgA0EedyADQRN3cyADQQp3c2ogCWoiASADcyACcSABIANxcyABQR53IAFBE3dzIAFBCndzaiAbaiICIAFzIANxIAIgAXFzIAJBHncgAkETd3MgAkEKd3NqIBlqIgMgAnMgAXEgAyACcXMgA0EedyADQRN3cyADQQp3c2ogGmoiCWo2AtSBBUEAID0gL0EZdyAvQQ53cyAvQQN2cyAraiA3aiAYQQ93IBhBDXdzIBhBCnZzaiIYIBFqIBQgEyASc3EgEnNqIBRBGncgFEEVd3MgFEEHd3NqQevZwaJ6aiIZIAFqIhFqNgLggQVBACBBIAkgA3MgAnEgCSADcXMgCUEedyAJQRN3cyAJQQp3c2ogGWoiAWo2AtCBBUEAID4gMEEZdyAwQQ53cyAwQQN2cyAvaiAXaiA6QQ93IDpBDXdzIDpBCnZzaiASaiARIBQgE3NxIBNzaiARQRp3IBFBFXdzIBFBB3dzakH3x+b3e2oiFyACaiISajYC3IEFQQAgQyABIAlzIANxIAEgCXFzIAFBHncgAUETd3MgAUEKd3NqIBdqIgJqNgLMgQVBACA7IDRBGXcgNEEOd3MgNEEDdnMgMGogOGogGEEPdyAYQQ13cyAYQQp2c2ogE2ogEiARIBRzcSAUc2ogEkEadyASQRV3cyASQQd3c2pB8vHFs3xqIhEgA2pqNgLYgQVBACAAIAIgAXMgCXEgAiABcXMgAkEedyACQRN3cyACQQp3c2ogEWpqNgLIgQULswYCBH8BfkEAKALAgQUiAEECdkEPcSIBQQJ0IgIgAigCgIEFQX8gAEEDdCIAdEF/c3FBgAEgAHRzNgKAgQUCQAJAAkAgAUEOSQ0AAkAgAUEORw0AQQBBADYCvIEFC0GAgQUQA0EAIQIMAQsgAUENRg0BIAFBAWohAgsgAiEDAkBBBiACa0EHcSIARQ0AIAIgAGohAyACQQJ0QYCBBWohAQNAIAFBADYCACABQQRqIQEgAEF/aiIADQALCyACQXlqQQdJDQACQEEGIANrIgBBCHENACADQQJ0IgFCADcCmIEFIAFCADcCkIEFIAFCADcCiIEFIAFCADcCgIEFIABBCEkNASADQQhqIQMLIANBAnRBgIEFaiEBA0AgAUIANwIAIAFBOGpCADcCACABQTBqQgA3AgAgAUEoakIANwIAIAFBIGpCADcCACABQRhqQgA3AgAgAUEQakIANwIAIAFBCGpCADcCACABQcAAaiEBDAALC0EAIQBBAEEAKQPAgQUiBKdBA3QiAUH4gfwHcUEIeCABQRh4Qf+B/AdxcjYCvIEFQQAgBEIdiKciAUH/gfwHcUEIeCABQRh4Qf+B/AdxcjYCuIEFQYCBBRADQQBBACgC5IEFIgFB/4H8B3FBCHggAUEYeEH/gfwHcXI2AuSBBUEAQQAoAuCBBSIBQf+B/AdxQQh4IAFBGHhB/4H8B3FyNgLggQVBAEEAKALcgQUiAUH/gfwHcUEIeCABQRh4Qf+B/AdxcjYC3IEFQQBBACgC2IEFIgFB/4H8B3FBCHggAUEYeEH/gfwHcXI2AtiBBUEAQQAoAtSBBSIBQf+B/AdxQQh4IAFBGHhB/4H8B3FyNgLUgQVBAEEAKALQgQUiAUH/gfwHcUEIeCABQRh4Qf+B/AdxcjYC0IEFQQBBACgCzIEFIgFB/4H8B3FBCHggAUEYeEH/gfwHcXI2AsyBBUEAQQAoAsiBBSIBQf+B/AdxQQh4IAFBGHhB/4H8B3FyNgLIgQUCQEEAKALogQUiAkUNAEEAIQEDQCABQYCBBGogAUHIgQVqLQAAOgAAIAFBAWohASACIABBAWoiAEH/AXFLDQALCwsGAEGAgQULowEAQQBCADcDwIEFQQBBHEEgIAFB4AFGIgEbNgLogQVBAEKnn+anxvST/b5/Qquzj/yRo7Pw2wAgARs3A+CBBUEAQrGWgP6fooWs6ABC/6S5iMWR2oKbfyABGzcD2IEFQQBCl7rDg5Onlod3QvLmu+Ojp/2npX8gARs3A9CBBUEAQti9loj8oLW+NkLnzKfQ1tDrs7t/IAEbNwPIgQUgABACEAQLCwwBAEGAgAQLBHAAAAA=";
var hash$a = "8ed695a3";
var wasmJson$a = {
  name: name$a,
  data: data$a,
  hash: hash$a
};
var mutex$a = new Mutex();
var mutex$9 = new Mutex();
function createSHA256() {
  return WASMInterface(wasmJson$a, 32).then((wasm) => {
    wasm.init(256);
    const obj = {
      init: () => {
        wasm.init(256);
        return obj;
      },
      update: (data) => {
        wasm.update(data);
        return obj;
      },
      // biome-ignore lint/suspicious/noExplicitAny: Conflict with IHasher type
      digest: (outputType) => wasm.digest(outputType),
      save: () => wasm.save(),
      load: (data) => {
        wasm.load(data);
        return obj;
      },
      blockSize: 64,
      digestSize: 32
    };
    return obj;
  });
}
var mutex$8 = new Mutex();
var mutex$7 = new Mutex();
var mutex$6 = new Mutex();
var mutex$5 = new Mutex();
var seedBuffer$2 = new Uint8Array(8);
var mutex$4 = new Mutex();
var seedBuffer$1 = new Uint8Array(8);
var mutex$3 = new Mutex();
var seedBuffer = new Uint8Array(8);
var mutex$2 = new Mutex();
var mutex$1 = new Mutex();
var mutex = new Mutex();

// src/crypto.ts
var ZERO = new Uint8Array([0]);
function tagged(tag, ...parts) {
  const h = sha256.create();
  h.update(utf8(tag));
  h.update(ZERO);
  for (const p of parts) h.update(p);
  return h.digest();
}
var TAG = {
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
  explanation: "fairpanel/v1/explanation"
};
var Ed = ed25519.Point;
var L = 2n ** 252n + 27742317777372353535851937790883648493n;
function le(b) {
  let x = 0n;
  for (let i = b.length - 1; i >= 0; i--) x = x << 8n | BigInt(b[i]);
  return x;
}
function edPointOk(pub) {
  if (pub.length !== 32) return false;
  try {
    Ed.fromBytes(pub);
    return true;
  } catch {
    return false;
  }
}
function edVerifyStrict(pub, msg, sig) {
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
function keyId(pub) {
  const h = tagged(TAG.keyId, pub);
  let s = "";
  for (let i = 0; i < 8; i++) s += h[i].toString(16).padStart(2, "0");
  return s;
}
var ONE = new Uint8Array([1]);
function leafHash(b) {
  const h = sha256.create();
  h.update(ZERO);
  h.update(b);
  return h.digest();
}
function nodeHash(l, r) {
  const h = sha256.create();
  h.update(ONE);
  h.update(l);
  h.update(r);
  return h.digest();
}
var latin1Of32 = (d) => String.fromCharCode(
  d[0],
  d[1],
  d[2],
  d[3],
  d[4],
  d[5],
  d[6],
  d[7],
  d[8],
  d[9],
  d[10],
  d[11],
  d[12],
  d[13],
  d[14],
  d[15],
  d[16],
  d[17],
  d[18],
  d[19],
  d[20],
  d[21],
  d[22],
  d[23],
  d[24],
  d[25],
  d[26],
  d[27],
  d[28],
  d[29],
  d[30],
  d[31]
);
var nobleLatin1 = (d) => latin1Of32(sha256(d));
async function wasmSha256() {
  const h = await createSHA256();
  const f = (d) => {
    h.init();
    h.update(d);
    return latin1Of32(h.digest("binary"));
  };
  const probe = new Uint8Array(200);
  for (let i = 0; i < probe.length; i++) probe[i] = i * 7 + 1 & 255;
  for (const n of [0, 1, 55, 56, 64, 65, 200]) {
    if (f(probe.subarray(0, n)) !== nobleLatin1(probe.subarray(0, n))) throw new Error("hash-wasm SHA-256 disagrees with @noble/hashes");
  }
  return f;
}
var RootBuilder = class {
  constructor(hash2 = nobleLatin1) {
    this.hash = hash2;
  }
  hash;
  heights = [];
  hashes = [];
  node = new Uint8Array(65);
  nodeHash(l, r) {
    const n = this.node;
    n[0] = 1;
    for (let k = 0; k < 32; k++) {
      n[1 + k] = l.charCodeAt(k);
      n[33 + k] = r.charCodeAt(k);
    }
    return this.hash(n);
  }
  push(h) {
    let height = 0;
    while (this.heights.length && this.heights[this.heights.length - 1] === height) {
      this.heights.pop();
      h = this.nodeHash(this.hashes.pop(), h);
      height++;
    }
    this.heights.push(height);
    this.hashes.push(h);
  }
  /** The root, as lowercase hex. */
  rootHex() {
    const s = this.hashes.slice();
    let h = s.pop();
    if (h === void 0) h = this.hash(new Uint8Array(0));
    for (let left = s.pop(); left !== void 0; left = s.pop()) h = this.nodeHash(left, h);
    let x = "";
    for (let k = 0; k < 32; k++) x += h.charCodeAt(k).toString(16).padStart(2, "0");
    return x;
  }
};
function checkInclusion(proof, size, root, index, leaf) {
  if (size <= 0n || index < 0n || index >= size) return "invalid transparency proof";
  const run2 = (p, lo, hi) => {
    if (index < lo || index >= hi) return null;
    if (lo + 1n === hi) return p.length === 0 ? leaf : null;
    if (p.length === 0) return null;
    let k = 1n;
    while (k << 1n < hi - lo) k <<= 1n;
    const rest = p.slice(0, p.length - 1);
    const last = p[p.length - 1];
    if (index < lo + k) {
      const th2 = run2(rest, lo, lo + k);
      return th2 && nodeHash(th2, last);
    }
    const th = run2(rest, lo + k, hi);
    return th && nodeHash(last, th);
  };
  const got = run2(proof, 0n, size);
  if (!got) return "invalid transparency proof";
  return eq(got, root) ? null : "invalid transparency proof";
}
var R255 = ristretto255.Point;
var SUITE = concat(new Uint8Array([255]), utf8("c2sp.org/vrf-r255"));
function tagKeyOk(pk) {
  if (pk.every((x) => x === 0)) return false;
  try {
    R255.fromBytes(pk);
    return true;
  } catch {
    return false;
  }
}
function vrfVerify(pk, alpha2, pi) {
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
  const H = ristretto255_hasher.deriveToCurve(
    sha512(concat(SUITE, new Uint8Array([130]), pk, alpha2))
  );
  const U = R255.BASE.multiplyUnsafe(s).subtract(Y.multiplyUnsafe(c));
  const V = H.multiplyUnsafe(s).subtract(Gamma.multiplyUnsafe(c));
  const cp = sha512(
    concat(
      SUITE,
      new Uint8Array([2]),
      Y.toBytes(),
      H.toBytes(),
      Gamma.toBytes(),
      U.toBytes(),
      V.toBytes(),
      ZERO
    )
  ).subarray(0, 16);
  if (!eq(cp, cBytes)) return null;
  return sha512(concat(SUITE, new Uint8Array([3]), Gamma.toBytes(), ZERO));
}
function tagInput(tag, draw, value) {
  return concat(utf8(tag), ZERO, lp(utf8(draw)), lp(utf8(value)));
}
var QUICKNET_CHAIN = "52db9ba70e0cc0f6eaf7803dd07447a1f5477735fd3f661792ba94600c84e971";
var QUICKNET_PK = "83cf0f2896adee7eb8b5f01fcad3912212c437e0073e911fb90022d3e760183c8c4b450b6a0a6c3ac6a5776a2d1064510d1fec758c921cc22b0e17e63aaf4bcb5ed66304de9cf809bd274ca73bab4af5a6e9c76a4bc09e76eae8991ef5ece45a";
var QUICKNET_GENESIS = 1692803367n;
var QUICKNET_PERIOD = 3n;
var MIN_MARGIN = 30n;
var DST = "BLS_SIG_BLS12381G1_XMD:SHA-256_SSWU_RO_NUL_";
function roundTime(r) {
  return QUICKNET_GENESIS + (r > 0n ? r - 1n : 0n) * QUICKNET_PERIOD;
}
function targetRound(commitTime, margin) {
  const t = commitTime + margin;
  if (t <= QUICKNET_GENESIS) return 1n;
  return (t - QUICKNET_GENESIS + QUICKNET_PERIOD - 1n) / QUICKNET_PERIOD + 1n;
}
function drandVerify(round, sig) {
  if (round === 0n) return "drand rounds start at 1";
  if (sig.length !== 48) return `a quicknet signature is 48 bytes (a compressed G1 point), not ${sig.length}`;
  let S;
  try {
    S = bls12_381.G1.Point.fromBytes(sig);
    S.assertValidity();
  } catch {
    return "signature is not a valid G1 point in the prime-order subgroup (Invalid point for field signature: Invalid point)";
  }
  const bls2 = bls12_381.shortSignatures;
  const hm = bls2.hash(sha256(u64be(round)), DST);
  const pk = bls12_381.G2.Point.fromBytes(hexExact(QUICKNET_PK, 96));
  if (!bls2.verify(S, hm, pk)) return `signature is not quicknet's signature of round ${round}`;
  return null;
}
var Stream = class {
  constructor(key) {
    this.key = key;
  }
  key;
  buf = new Uint8Array(0);
  pos = 0;
  block = 0;
  nonce = new Uint8Array(12);
  /** The next word as [low 32 bits, high 32 bits]. */
  next() {
    if (this.pos + 8 > this.buf.length) {
      const blocks = 1024;
      this.buf = chacha20(this.key, this.nonce, new Uint8Array(64 * blocks), void 0, this.block);
      this.block += blocks;
      this.pos = 0;
    }
    const b = this.buf;
    const p = this.pos;
    this.pos += 8;
    const lo = (b[p] | b[p + 1] << 8 | b[p + 2] << 16 | b[p + 3] << 24) >>> 0;
    const hi = (b[p + 4] | b[p + 5] << 8 | b[p + 6] << 16 | b[p + 7] << 24) >>> 0;
    return [lo, hi];
  }
  nextBig() {
    const [lo, hi] = this.next();
    return BigInt(hi) << 32n | BigInt(lo);
  }
  /** An unbiased integer in [0, n), 1 <= n < 2^32. */
  below(n) {
    const m32 = 4294967296 % n;
    const r = mulmod(m32, m32, n);
    for (; ; ) {
      const [lo, hi] = this.next();
      if (r !== 0 && hi === 4294967295 && lo >= 4294967296 - r) continue;
      return (mulmod(hi % n, m32, n) + lo % n) % n;
    }
  }
};
function mulmod(a, b, n) {
  return ((a >>> 16) * b % n * 65536 + (a & 65535) * b) % n;
}
function ranks(seed, n) {
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

// src/entry.ts
var import_canonicalize = __toESM(require_canonicalize());
var PROVINCES = {
  "110000": "北京市",
  "120000": "天津市",
  "130000": "河北省",
  "140000": "山西省",
  "150000": "内蒙古自治区",
  "210000": "辽宁省",
  "220000": "吉林省",
  "230000": "黑龙江省",
  "310000": "上海市",
  "320000": "江苏省",
  "330000": "浙江省",
  "340000": "安徽省",
  "350000": "福建省",
  "360000": "江西省",
  "370000": "山东省",
  "410000": "河南省",
  "420000": "湖北省",
  "430000": "湖南省",
  "440000": "广东省",
  "450000": "广西壮族自治区",
  "460000": "海南省",
  "500000": "重庆市",
  "510000": "四川省",
  "520000": "贵州省",
  "530000": "云南省",
  "540000": "西藏自治区",
  "610000": "陕西省",
  "620000": "甘肃省",
  "630000": "青海省",
  "640000": "宁夏回族自治区",
  "650000": "新疆维吾尔自治区",
  "660000": "新疆生产建设兵团"
};
var KINDS = [
  "roster_change",
  "commit",
  "entropy",
  "beacon",
  "reveal",
  "decline",
  "void",
  "disclosure",
  "key_rotation",
  "scoring_open",
  "sheet_commit",
  "seal",
  "screen_override",
  "recusal",
  "sheet_reopen",
  "pledge",
  "scoring_lock",
  "explanation",
  "scoring_unlock",
  "report",
  "filing",
  "notice",
  "notice_close",
  "withdrawal",
  "key_registration"
];
var DRAW_KINDS = /* @__PURE__ */ new Set(["commit", "entropy", "beacon", "reveal", "decline", "void", "disclosure", "key_registration"]);
var MATERIAL_TYPES = [
  "application/pdf",
  "image/png",
  "image/jpeg",
  "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
];
var Bad = class extends Error {
};
function toValue(n) {
  switch (n.t) {
    case "obj": {
      const o = /* @__PURE__ */ Object.create(null);
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
function isInteger(raw) {
  if (!/^-?(0|[1-9][0-9]*)$/.test(raw)) return false;
  if (raw === "-0") return false;
  const v = BigInt(raw);
  return v >= -(2n ** 63n) && v < 2n ** 64n;
}
function floatOrLone(n) {
  switch (n.t) {
    case "obj":
    case "arr": {
      const kids = n.t === "obj" ? n.vals : n.items;
      for (const k of kids) {
        const r = floatOrLone(k);
        if (r) return r;
      }
      if (n.t === "obj") {
        for (const k of n.keys) if (/[\ud800-\udfff]/.test(k.replace(/[\ud800-\udbff][\udc00-\udfff]/g, ""))) return "lone";
      }
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
function checkCanonical(raw, n) {
  const fl = floatOrLone(n);
  if (fl === "lone") throw new Bad("not JSON: a lone surrogate in a string");
  if (fl === "float") throw new Bad("floating-point number in a signed record");
  const again = (0, import_canonicalize.default)(toValue(n));
  let text;
  try {
    text = fromUtf8(raw);
  } catch {
    throw new Bad("not JSON: invalid UTF-8");
  }
  if (again !== text) {
    throw new Bad(
      `bytes are not canonical JSON (RFC 8785); the canonical form is ${new TextEncoder().encode(again).length} bytes, the record ${raw.length}`
    );
  }
}
function fieldsOf(n, what, required, optional = []) {
  if (n.t !== "obj") throw new Bad(`${what}: expected an object`);
  const m = /* @__PURE__ */ new Map();
  for (let i = 0; i < n.keys.length; i++) {
    const k = n.keys[i];
    if (!required.includes(k) && !optional.includes(k)) throw new Bad(`${what}: unknown field \`${k}\``);
    if (m.has(k)) throw new Bad(`${what}: duplicate field \`${k}\``);
    m.set(k, n.vals[i]);
  }
  for (const k of required) {
    if (!m.has(k)) throw new Bad(`${what}: the field \`${k}\` is absent (not in its one canonical form)`);
  }
  return m;
}
var get = (m, k) => m.get(k);
function str(n, what) {
  if (n.t !== "str") throw new Bad(`${what}: expected a string`);
  return n.v;
}
function hexField(n, bytes, what) {
  const s = str(n, what);
  if (!/^[0-9a-f]*$/.test(s) || s.length !== 2 * bytes) {
    throw new Bad(`${what}: expected ${2 * bytes} lowercase hex digits`);
  }
  return s;
}
var hash = (n, w) => hexField(n, 32, w);
function u64(n, what) {
  if (n.t !== "num" || !/^(0|[1-9][0-9]*)$/.test(n.raw)) throw new Bad(`${what}: expected a non-negative integer`);
  const v = BigInt(n.raw);
  if (v >= 2n ** 64n) throw new Bad(`${what}: integer out of range`);
  return v;
}
function u322(n, what) {
  const v = u64(n, what);
  if (v >= 2n ** 32n) throw new Bad(`${what}: integer out of range for u32`);
  return Number(v);
}
function bool(n, what) {
  if (n.t !== "bool") throw new Bad(`${what}: expected a boolean`);
  return n.v;
}
function ascii(s, max, extra, what) {
  if (s.length < 1 || s.length > max || !new RegExp(`^[a-z0-9${extra}]+$`).test(s)) {
    throw new Bad(`${what} ${JSON.stringify(s)}: must be 1 to ${max} characters of a-z, 0-9 and ${JSON.stringify(extra.replace(/\\/g, ""))}`);
  }
  return s;
}
var drawId = (n, w) => ascii(str(n, w), 64, "._\\-", w);
var specialty = (n, w) => ascii(str(n, w), 32, "_", w);
var reasonCode = (n, w) => ascii(str(n, w), 32, "_", w);
function nullable(n, f, what) {
  return n.t === "null" ? null : f(n, what);
}
function arr(n, f, what) {
  if (n.t !== "arr") throw new Bad(`${what}: expected an array`);
  return n.items.map((x, i) => f(x, `${what}[${i}]`));
}
function pubkey(n, what) {
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
function spec(n, w) {
  const m = fieldsOf(n, w, ["alternates", "org_cap", "panel", "quotas"]);
  return {
    alternates: u322(get(m, "alternates"), `${w}.alternates`),
    org_cap: nullable(get(m, "org_cap"), u322, `${w}.org_cap`),
    panel: u322(get(m, "panel"), `${w}.panel`),
    quotas: arr(get(m, "quotas"), (q, qw) => {
      const f = fieldsOf(q, qw, ["min", "spec"]);
      return { min: u322(get(f, "min"), `${qw}.min`), spec: specialty(get(f, "spec"), `${qw}.spec`) };
    }, `${w}.quotas`)
  };
}
function body(kind, n) {
  const w = `${kind} body`;
  const F = (req, opt = []) => fieldsOf(n, w, req, opt);
  const S = (m, k) => str(get(m, k), k);
  const H = (m, k) => hash(get(m, k), k);
  const D = (m, k) => drawId(get(m, k), k);
  const SIG = (m) => {
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
      const sup = m.get("supplements");
      if (sup && sup.t === "null") throw new Bad("supplements: null is not in its one canonical form (absent in an ordinary draw)");
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
          supplements: sup ? (() => {
            const f = fieldsOf(sup, "supplements", ["commit", "draw", "drawn", "pool_draw", "seated"]);
            return {
              commit: hash(get(f, "commit"), "supplements.commit"),
              draw: drawId(get(f, "draw"), "supplements.draw"),
              drawn: arr(get(f, "drawn"), hash, "supplements.drawn"),
              pool_draw: drawId(get(f, "pool_draw"), "supplements.pool_draw"),
              seated: arr(get(f, "seated"), hash, "supplements.seated")
            };
          })() : null,
          personal_keys: personalKeys,
          tag_key: H(m, "tag_key"),
          title: S(m, "title")
        }
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
          value: H(m, "value")
        }
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
          seed: H(m, "seed")
        }
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
              token: hash(get(f, "token"), "token")
            };
          }, "members")
        }
      };
    }
    case "key_registration": {
      const m = F(["draw", "key", "person", "role"], ["approval", "replaces"]);
      const role = S(m, "role");
      if (role !== "supervisor" && role !== "expert") throw new Bad(`role: unknown variant ${JSON.stringify(role)}, expected \`supervisor\` or \`expert\``);
      const ap = m.get("approval");
      if (ap && ap.t === "null") throw new Bad("approval: null is not in its one canonical form (absent in a first registration)");
      const rp = m.get("replaces");
      if (rp && rp.t === "null") throw new Bad("replaces: null is not in its one canonical form (absent in a first registration)");
      const approval = ap ? (() => {
        const f = fieldsOf(ap, "approval", ["key", "sig"]);
        return { key: pubkey(get(f, "key"), "approval.key"), sig: str(get(f, "sig"), "approval.sig") };
      })() : null;
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
          reason: S(m, "reason")
        }
      };
    }
    case "scoring_open": {
      const m = F(["already_recommended", "applications", "draw", "quota", "rubric", "round"], ["abnormal_points", "materials", "pledge"]);
      const ap = m.get("abnormal_points");
      const mat = m.get("materials");
      const pl = m.get("pledge");
      if (ap && ap.t === "null") throw new Bad("abnormal_points: null is not in its one canonical form (absent when there is none)");
      if (pl && pl.t === "null") throw new Bad("pledge: null is not in its one canonical form (absent when there is none)");
      const materials = mat ? arr(mat, (x, xw) => {
        const f = fieldsOf(x, xw, ["application", "media_type", "sha256"]);
        return { application: str(get(f, "application"), "application"), media_type: str(get(f, "media_type"), "media_type"), sha256: hash(get(f, "sha256"), "sha256") };
      }, "materials") : [];
      if (mat && materials.length === 0) throw new Bad("materials: [] is not in its one canonical form (absent when there are none)");
      return {
        kind,
        b: {
          abnormal_points: ap ? str(ap, "abnormal_points") : null,
          already_recommended: u322(get(m, "already_recommended"), "already_recommended"),
          applications: arr(get(m, "applications"), str, "applications"),
          draw: D(m, "draw"),
          materials,
          pledge: pl ? hash(pl, "pledge") : null,
          quota: u322(get(m, "quota"), "quota"),
          rubric: H(m, "rubric"),
          round: D(m, "round")
        }
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
          already_recommended: u322(get(m, "already_recommended"), "already_recommended"),
          quota: u322(get(m, "quota"), "quota"),
          results: arr(get(m, "results"), (x, xw) => {
            const f = fieldsOf(x, xw, ["application", "final_score", "rank", "recommended", "sheets"]);
            return {
              application: str(get(f, "application"), "application"),
              final_score: str(get(f, "final_score"), "final_score"),
              rank: u322(get(f, "rank"), "rank"),
              recommended: bool(get(f, "recommended"), "recommended"),
              sheets: u322(get(f, "sheets"), "sheets")
            };
          }, "results"),
          round: D(m, "round"),
          rubric: H(m, "rubric"),
          rule: S(m, "rule"),
          sheets: arr(get(m, "sheets"), hash, "sheets")
        }
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
          items: u322(get(m, "items"), "items"),
          round: D(m, "round"),
          start: S(m, "start"),
          text: H(m, "text"),
          working_days: u322(get(m, "working_days"), "working_days")
        }
      };
    }
    case "notice_close": {
      const m = F(["notice", "objections", "rejected", "round", "upheld"]);
      return {
        kind,
        b: {
          notice: H(m, "notice"),
          objections: u322(get(m, "objections"), "objections"),
          rejected: u322(get(m, "rejected"), "rejected"),
          round: D(m, "round"),
          upheld: u322(get(m, "upheld"), "upheld")
        }
      };
    }
    case "withdrawal": {
      const m = F(["application", "objection", "reason", "round"]);
      return {
        kind,
        b: { application: S(m, "application"), objection: nullable(get(m, "objection"), str, "objection"), reason: S(m, "reason"), round: D(m, "round") }
      };
    }
  }
}
function parseEntry(raw, n) {
  checkCanonical(raw, n);
  const w = "entry";
  let m;
  try {
    m = fieldsOf(n, w, ["body", "kind", "prev", "province", "seq", "signer", "time", "v"], ["pprev"]);
  } catch (e) {
    throw new Bad(`record does not match its schema: ${e.message}`);
  }
  const kindS = str(get(m, "kind"), "kind");
  if (!KINDS.includes(kindS)) throw new Bad(`record does not match its schema: unknown kind ${JSON.stringify(kindS)}`);
  const kind = kindS;
  const prev = hash(get(m, "prev"), "prev");
  const prov = get(m, "province");
  let province = null;
  if (prov.t !== "null") {
    province = str(prov, "province");
    if (!(province in PROVINCES)) throw new Bad(`record does not match its schema: Province ${JSON.stringify(province)}: not a provincial-level GB/T 2260 code (e.g. 440000)`);
  }
  const seq = u64(get(m, "seq"), "seq");
  let pprev = null;
  if (m.has("pprev")) {
    if (get(m, "pprev").t === "null") throw new Bad(`entry ${seq} is not in its one canonical form (a field is missing or spelled otherwise)`);
    pprev = hash(get(m, "pprev"), "pprev");
    if (province === null) throw new Bad(`entry ${seq} has no province but a pprev: only entries with a province carry one`);
  }
  const signer = hexField(get(m, "signer"), 8, "signer");
  const time = u64(get(m, "time"), "time");
  const v = u322(get(m, "v"), "v");
  if (v !== 1) throw new Bad(`entry version ${v} is not 1`);
  let b;
  try {
    b = body(kind, get(m, "body"));
  } catch (e) {
    throw new Bad(`the ${kind} body does not parse: ${e.message}`);
  }
  const draw = DRAW_KINDS.has(kind) ? b.b.draw : null;
  const h = tagged(TAG.entry, raw);
  let hx = "";
  for (let i = 0; i < 32; i++) hx += h[i].toString(16).padStart(2, "0");
  return { kind, body: b, pprev, prev, province, seq, signer, time, hash: hx, draw };
}

// src/fill.ts
var Infeasible = class extends Error {
  constructor(constraint, detail) {
    super(`${constraint}: ${detail}`);
    this.constraint = constraint;
  }
  constraint;
};
function specProblem(s) {
  if (s.panel === 0 || s.panel % 2 === 0 || s.panel > 99) return `panel size must be odd, 1 to 99; got ${s.panel}`;
  if (s.alternates > 99) return `alternates must be 0 to 99; got ${s.alternates}`;
  if (s.org_cap === 0) return "org_cap must be at least 1 (or null for no cap)";
  const seen = /* @__PURE__ */ new Set();
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
var State = class _State {
  constructor(spec2, pool) {
    this.spec = spec2;
    const orgIndex = /* @__PURE__ */ new Map();
    const quotaIndex = /* @__PURE__ */ new Map();
    spec2.quotas.forEach((q, i) => quotaIndex.set(q.spec, i));
    this.orgOf = new Int32Array(pool.length);
    this.quotaOf = new Int32Array(pool.length);
    this.untakenQo = spec2.quotas.map(() => /* @__PURE__ */ new Map());
    for (let i = 0; i < pool.length; i++) {
      const m = pool[i];
      let o = orgIndex.get(m.org);
      if (o === void 0) {
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
    this.unmet = spec2.quotas.map((q) => q.min);
  }
  spec;
  orgOf;
  quotaOf;
  unmet;
  takenOrg = [];
  untakenOrg = [];
  untakenQo;
  /**
   * The state of a supplementary fill (protocol 1.2): `seated` taken (they
   * count towards the quotas and the cap), the rest of `drawn` out of the pool.
   */
  static around(spec2, pool, seated, drawn) {
    const s = new _State(spec2, pool);
    for (const i of drawn) {
      if (seated.includes(i)) s.take(i);
      else s.withdraw(i);
    }
    return s;
  }
  /** Member `i` can no longer be taken (the chain drew it before). */
  withdraw(i) {
    const o = this.orgOf[i];
    this.untakenOrg[o]--;
    const q = this.quotaOf[i];
    if (q >= 0) this.untakenQo[q].set(o, this.untakenQo[q].get(o) - 1);
  }
  capLeft(o) {
    return this.spec.org_cap === null ? Infinity : this.spec.org_cap - this.takenOrg[o];
  }
  take(i) {
    const o = this.orgOf[i];
    this.takenOrg[o]++;
    this.untakenOrg[o]--;
    const q = this.quotaOf[i];
    if (q < 0) return false;
    this.untakenQo[q].set(o, this.untakenQo[q].get(o) - 1);
    if (this.unmet[q] > 0) {
      this.unmet[q]--;
      return true;
    }
    return false;
  }
  putBack(i, met) {
    const o = this.orgOf[i];
    this.takenOrg[o]--;
    this.untakenOrg[o]++;
    const q = this.quotaOf[i];
    if (q >= 0) {
      this.untakenQo[q].set(o, this.untakenQo[q].get(o) + 1);
      if (met) this.unmet[q]++;
    }
  }
  tryTake(i) {
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
  quotaFlow() {
    const nq = this.unmet.length;
    const flow = this.untakenQo.map(() => /* @__PURE__ */ new Map());
    const fromSource = new Array(nq).fill(0);
    const intoOrg = /* @__PURE__ */ new Map();
    let total = 0;
    for (; ; ) {
      const quotaVia = new Array(nq).fill(void 0);
      const orgFrom = /* @__PURE__ */ new Map();
      const queue = [];
      for (let q = 0; q < nq; q++) {
        if (fromSource[q] < this.unmet[q]) {
          quotaVia[q] = null;
          queue.push(q);
        }
      }
      let end = -1;
      search: while (queue.length) {
        const q = queue.shift();
        for (const [o2, avail] of this.untakenQo[q]) {
          const used = flow[q].get(o2) ?? 0;
          if (avail <= used || orgFrom.has(o2)) continue;
          orgFrom.set(o2, q);
          if ((intoOrg.get(o2) ?? 0) < this.capLeft(o2)) {
            end = o2;
            break search;
          }
          for (let q2 = 0; q2 < nq; q2++) {
            if (quotaVia[q2] === void 0 && (flow[q2].get(o2) ?? 0) > 0) {
              quotaVia[q2] = o2;
              queue.push(q2);
            }
          }
        }
      }
      if (end < 0) return total;
      let o = end;
      intoOrg.set(o, (intoOrg.get(o) ?? 0) + 1);
      for (; ; ) {
        const q = orgFrom.get(o);
        flow[q].set(o, (flow[q].get(o) ?? 0) + 1);
        const via = quotaVia[q];
        if (via === null || via === void 0) {
          fromSource[q]++;
          break;
        }
        flow[q].set(via, flow[q].get(via) - 1);
        o = via;
      }
      total++;
    }
  }
};
function checkFeasible(spec2, pool) {
  const bad = specProblem(spec2);
  if (bad) throw new Infeasible("spec", bad);
  const need2 = spec2.panel + spec2.alternates;
  if (pool.length < need2) {
    throw new Infeasible(
      "pool_size",
      `the panel of ${spec2.panel} and ${spec2.alternates} alternates need ${need2} eligible members, the pool has ${pool.length} (${need2 - pool.length} short)`
    );
  }
  for (const q of spec2.quotas) {
    let have = 0;
    for (const m of pool) if (m.spec === q.spec) have++;
    if (have < q.min) {
      throw new Infeasible(`quota:${q.spec}`, `needs at least ${q.min} members of ${q.spec}, the pool has ${have} (${q.min - have} short)`);
    }
  }
  if (spec2.org_cap !== null) {
    const cap = spec2.org_cap;
    const st = new State(spec2, pool);
    let rank2 = 0;
    for (const c of st.untakenOrg) rank2 += Math.min(c, cap);
    if (rank2 < spec2.panel) {
      throw new Infeasible(
        "org_cap",
        `with at most ${cap} per organisation the ${st.untakenOrg.length} organisations in the pool can seat ${rank2}, the panel needs ${spec2.panel} (${spec2.panel - rank2} short)`
      );
    }
    const wanted = st.unmet.reduce((a, b) => a + b, 0);
    const got = st.quotaFlow();
    if (got < wanted) {
      throw new Infeasible(
        "quotas_with_org_cap",
        `with at most ${cap} per organisation only ${got} of the ${wanted} quota seats can be filled (${wanted - got} short)`
      );
    }
  }
}
function fill(spec2, pool, order) {
  return fillAround(spec2, pool, order, [], []);
}
function checkSupplementFeasible(spec2, pool, seated, drawn) {
  const bad = specProblem(spec2);
  if (bad) throw new Infeasible("spec", bad);
  if (seated.some((i) => !drawn.includes(i)) || drawn.some((i) => i >= pool.length)) {
    throw new Infeasible("supplement", "the seated members must be among the members the chain has drawn, all in the pool");
  }
  const seats = Math.max(0, spec2.panel - seated.length);
  if (seats === 0) {
    throw new Infeasible("supplement", `the panel of ${spec2.panel} has ${seated.length} seated members: no seat is empty`);
  }
  if (!panelWithinCap(spec2, pool, seated)) throw new Infeasible("org_cap", "the seated members already break the organisation cap");
  const left = pool.length - drawn.length;
  const need2 = seats + spec2.alternates;
  if (left < need2) {
    throw new Infeasible(
      "pool_size",
      `${seats} empty seats and ${spec2.alternates} alternates need ${need2} members not yet drawn, the pool has ${left} (${need2 - left} short)`
    );
  }
  const st = State.around(spec2, pool, seated, drawn);
  const wanted = st.unmet.reduce((a, b) => a + b, 0);
  if (wanted > seats) throw new Infeasible("supplement", `${wanted} quota seats are unmet, but only ${seats} seats are empty`);
  spec2.quotas.forEach((q, qi) => {
    let have = 0;
    for (const c of st.untakenQo[qi].values()) have += c;
    if (have < st.unmet[qi]) {
      throw new Infeasible(
        `quota:${q.spec}`,
        `needs ${st.unmet[qi]} more members of ${q.spec}, the pool has ${have} not yet drawn (${st.unmet[qi] - have} short)`
      );
    }
  });
  if (spec2.org_cap !== null) {
    const cap = spec2.org_cap;
    let rank2 = 0;
    for (let o = 0; o < st.untakenOrg.length; o++) rank2 += Math.min(st.untakenOrg[o], cap - st.takenOrg[o]);
    if (rank2 < seats) {
      throw new Infeasible(
        "org_cap",
        `with at most ${cap} per organisation the members not yet drawn can take ${rank2} seats, ${seats} are empty (${seats - rank2} short)`
      );
    }
    const got = st.quotaFlow();
    if (got < wanted) {
      throw new Infeasible(
        "quotas_with_org_cap",
        `with at most ${cap} per organisation only ${got} of the ${wanted} unmet quota seats can be filled (${wanted - got} short)`
      );
    }
  }
}
function fillSupplement(spec2, pool, order, seated, drawn) {
  return fillAround(spec2, pool, order, seated, drawn);
}
function fillAround(spec2, pool, order, seated, drawn) {
  const seats = spec2.panel - seated.length;
  const taken = new Uint8Array(pool.length);
  for (const i of drawn) taken[i] = 1;
  const panel = [];
  if (spec2.quotas.length === 0 && spec2.org_cap === null) {
    for (let k = 0; k < order.length && panel.length < seats; k++) {
      if (!taken[order[k]]) panel.push(order[k]);
    }
    for (const i of panel) taken[i] = 1;
  } else {
    const st = State.around(spec2, pool, seated, drawn);
    spec2.quotas.forEach((q, qi) => {
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
  const alternates = [];
  for (const i of order) {
    if (alternates.length >= spec2.alternates) break;
    if (!taken[i]) alternates.push(i);
  }
  return { panel, alternates };
}
function panelWithinCap(spec2, pool, panel) {
  if (spec2.org_cap === null) return true;
  const per = /* @__PURE__ */ new Map();
  for (const i of panel) {
    const c = (per.get(pool[i].org) ?? 0) + 1;
    per.set(pool[i].org, c);
    if (c > spec2.org_cap) return false;
  }
  return true;
}
function panelOk(spec2, pool, panel) {
  return panelWithinCap(spec2, pool, panel) && spec2.quotas.every((q) => panel.filter((i) => pool[i].spec === q.spec).length >= q.min);
}
function replacement(spec2, pool, panel, declined, alternates, ever) {
  const rest = panel.filter((i) => i !== declined);
  for (const a of alternates) {
    if (ever.includes(a)) continue;
    rest.push(a);
    if (panelOk(spec2, pool, rest)) return a;
    rest.pop();
  }
  return null;
}

// src/scoring.ts
var blank = (s) => /^\p{White_Space}*$/u.test(s);
function dec2(s) {
  const bad = () => new Bad(`${JSON.stringify(s)} is not a decimal with exactly two decimals, like "87.50"`);
  const m = /^(-?)([0-9]+)\.([0-9]{2})$/.exec(s);
  if (!m) throw bad();
  if (m[2].length > 1 && m[2].startsWith("0")) throw bad();
  if (m[2].length > 20) throw new Bad(`${JSON.stringify(s)} is too large`);
  const v = BigInt(m[2] + m[3]);
  if (v === 0n && m[1] === "-") throw bad();
  return m[1] === "-" ? -v : v;
}
function fmt2(c) {
  const neg = c < 0n;
  const a = neg ? -c : c;
  const s = `${a / 100n}.${(a % 100n).toString().padStart(2, "0")}`;
  return neg ? `-${s}` : s;
}
function fields2(n, what, names) {
  if (n.t !== "obj") throw new Bad(`${what}: expected an object`);
  const m = /* @__PURE__ */ new Map();
  n.keys.forEach((k, i) => {
    if (!names.includes(k)) throw new Bad(`${what}: unknown field \`${k}\``);
    if (m.has(k)) throw new Bad(`${what}: duplicate field \`${k}\``);
    m.set(k, n.vals[i]);
  });
  return m;
}
function need(m, k, what) {
  const v = m.get(k);
  if (!v) throw new Bad(`${what}: missing field \`${k}\``);
  return v;
}
function bool2(n, w) {
  if (n.t !== "bool") throw new Bad(`${w}: expected a boolean`);
  return n.v;
}
function arr2(n, w) {
  if (n.t !== "arr") throw new Bad(`${w}: expected an array`);
  return n.items;
}
function parseRubric(n) {
  const w = "rubric";
  const m = fields2(n, w, ["id", "version", "kind", "title", "indicators", "gates"]);
  const kind = str(need(m, "kind", w), "kind");
  if (!["base_new", "base_existing", "studio"].includes(kind)) throw new Bad(`unknown variant ${JSON.stringify(kind)}`);
  const r = {
    id: str(need(m, "id", w), "id"),
    version: u322(need(m, "version", w), "version"),
    title: str(need(m, "title", w), "title"),
    indicators: arr2(need(m, "indicators", w), "indicators").map((x) => {
      const f = fields2(x, "indicator", ["code", "name", "max_points", "step", "objective", "levels"]);
      bool2(need(f, "objective", "indicator"), "objective");
      const lv = fields2(need(f, "levels", "indicator"), "levels", ["full", "good", "fair", "poor"]);
      return {
        code: str(need(f, "code", "indicator"), "code"),
        name: str(need(f, "name", "indicator"), "name"),
        max: dec2(str(need(f, "max_points", "indicator"), "max_points")),
        step: dec2(str(need(f, "step", "indicator"), "step")),
        levels: ["full", "good", "fair", "poor"].map((k) => str(need(lv, k, "levels"), k))
      };
    }),
    gates: arr2(need(m, "gates", w), "gates").map((x) => {
      const f = fields2(x, "gate", ["code", "name", "description"]);
      return {
        code: str(need(f, "code", "gate"), "code"),
        name: str(need(f, "name", "gate"), "name"),
        description: str(need(f, "description", "gate"), "description")
      };
    })
  };
  return r;
}
function checkId(what, s, max, extra) {
  const re = new RegExp(`^[a-z0-9${extra}]{1,${max}}$`);
  return re.test(s) ? null : `${what} ${JSON.stringify(s)} must be 1 to ${max} of a-z, 0-9 and ${JSON.stringify(extra.replace(/\\/g, ""))}`;
}
function rubricProblem(r) {
  const e = checkId("rubric id", r.id, 64, "._\\-");
  if (e) return e;
  if (r.version === 0) return "rubric version must be at least 1";
  if (blank(r.title)) return "rubric title must not be blank";
  if (r.indicators.length === 0) return "a rubric needs at least one indicator";
  const codes = /* @__PURE__ */ new Set();
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
function nullableStr(n, w) {
  if (!n || n.t === "null") return null;
  return str(n, w);
}
function parseSheet(raw, n, k) {
  const w = `sheet ${k}`;
  let s;
  try {
    const m = fields2(n, w, ["application", "comment", "explanation", "gates", "round", "rubric", "scorer", "scores"]);
    s = {
      application: str(need(m, "application", w), "application"),
      comment: nullableStr(m.get("comment"), "comment"),
      explanation: nullableStr(m.get("explanation"), "explanation"),
      gates: arr2(need(m, "gates", w), "gates").map((x) => {
        const f = fields2(x, "gate", ["code", "pass"]);
        return { code: str(need(f, "code", "gate"), "code"), pass: bool2(need(f, "pass", "gate"), "pass") };
      }),
      round: drawId(need(m, "round", w), "round"),
      rubric: hash(need(m, "rubric", w), "rubric"),
      scorer: hash(need(m, "scorer", w), "scorer"),
      scores: arr2(need(m, "scores", w), "scores").map((x) => {
        const f = fields2(x, "score", ["code", "points"]);
        return { code: str(need(f, "code", "score"), "code"), points: dec2(str(need(f, "points", "score"), "points")) };
      })
    };
    if (!m.has("comment") || !m.has("explanation")) throw new Bad("canonical");
  } catch (e) {
    if (e.message === "canonical") throw new Bad(`sheet ${k} is not in its canonical form`);
    throw new Bad(`sheet ${k} does not parse: ${e.message}`);
  }
  try {
    checkCanonical(raw, n);
  } catch {
    throw new Bad(`sheet ${k} is not in its canonical form`);
  }
  return s;
}
function parseExplanation(raw, n, k) {
  let r;
  try {
    const w = `explanation ${k}`;
    const m = fields2(n, w, ["application", "explanation", "round", "scorer", "sheet"]);
    r = {
      application: str(need(m, "application", w), "application"),
      explanation: str(need(m, "explanation", w), "explanation"),
      round: drawId(need(m, "round", w), "round"),
      scorer: hash(need(m, "scorer", w), "scorer"),
      sheet: hash(need(m, "sheet", w), "sheet")
    };
  } catch (e) {
    throw new Bad(`explanation ${k} does not parse: ${e.message}`);
  }
  try {
    checkCanonical(raw, n);
  } catch {
    throw new Bad(`explanation ${k} is not in its canonical form`);
  }
  return r;
}
function validateSheet(r, s) {
  const rp = rubricProblem(r);
  if (rp) return [`the rubric is invalid: ${rp}`];
  const errors = [];
  if (blank(s.application)) errors.push("the sheet names no application");
  const seen = /* @__PURE__ */ new Set();
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
  const answered = /* @__PURE__ */ new Set();
  for (const a of s.gates) {
    if (!r.gates.some((g) => g.code === a.code)) errors.push(`gate ${a.code} is not in rubric ${r.id} version ${r.version}`);
    else if (answered.has(a.code)) errors.push(`gate ${a.code} is answered twice`);
    else answered.add(a.code);
  }
  for (const g of r.gates) if (!answered.has(g.code)) errors.push(`gate ${g.code} is not answered`);
  return errors.length ? errors : total;
}
function abnormal(total, others, limit) {
  if (others.length < 2) return false;
  const v = [...others].sort((a, b) => a < b ? -1 : a > b ? 1 : 0);
  const n = v.length;
  const med2 = n % 2 === 1 ? 2n * v[(n - 1) / 2] : v[n / 2 - 1] + v[n / 2];
  let d = 2n * total - med2;
  if (d < 0n) d = -d;
  return d >= 2n * limit;
}
function abnormalLimit(fixed) {
  if (fixed === null) return 1500n;
  let d;
  try {
    d = dec2(fixed);
  } catch (e) {
    throw new Bad(`scoring_open: abnormal_points: ${e.message}`);
  }
  if (d <= 0n || d > 10000n) throw new Bad(`scoring_open: abnormal_points ${fixed} must be more than 0 and at most 100`);
  return d;
}
function unexplained(r, sheets, limit) {
  const totals = [];
  for (const s of sheets) {
    const t = validateSheet(r, s.sheet);
    if (typeof t !== "bigint") return [t];
    totals.push(t);
  }
  const out = [];
  sheets.forEach((s, i) => {
    const others = totals.filter((_, j) => j !== i);
    if (abnormal(totals[i], others, limit) && (s.sheet.explanation === null || blank(s.sheet.explanation))) out.push(s.hash);
  });
  return out;
}
var divHalfUp = (num, den) => num >= 0n ? (2n * num + den) / (2n * den) : -((-2n * num + den) / (2n * den));
function aggregateSheets(r, application, sheets, limit) {
  const errors = [];
  const totals = [];
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
  const c = [...totals].sort((a, b) => a < b ? -1 : a > b ? 1 : 0);
  const n = c.length;
  const kept = n >= 5 ? c.slice(1, n - 1) : c;
  const final = divHalfUp(kept.reduce((a, b) => a + b, 0n), BigInt(kept.length));
  const median = n % 2 === 1 ? c[(n - 1) / 2] : divHalfUp(c[n / 2 - 1] + c[n / 2], 2n);
  const failedGates = r.gates.filter((g) => {
    const passes = sheets.filter((s) => s.sheet.gates.some((a) => a.code === g.code && a.pass)).length;
    return 2 * passes <= sheets.length;
  }).map((g) => g.code);
  return { application, sheets: n, final, median, min: c[0], failedGates };
}
function cmpBytes(a, b) {
  const x = new TextEncoder().encode(a);
  const y = new TextEncoder().encode(b);
  const n = Math.min(x.length, y.length);
  for (let i = 0; i < n; i++) if (x[i] !== y[i]) return x[i] - y[i];
  return x.length - y.length;
}
var big = (a, b) => a < b ? -1 : a > b ? 1 : 0;
function rank(results) {
  return [...results].sort(
    (a, b) => big(b.final, a.final) || big(b.median, a.median) || big(b.min, a.min) || cmpBytes(a.application, b.application)
  );
}
function recommend(ranked, quota, already) {
  const room = Math.max(0, quota - already);
  return new Set(ranked.filter((a) => a.failedGates.length === 0).slice(0, room).map((a) => a.application));
}

// src/verify.ts
var FORMAT = "fairpanel-bundle/v1.7";
var FORMAT_V1_1 = "fairpanel-bundle/v1.1";
var CHECKS = [
  "key",
  "canonical",
  "signatures",
  "chain",
  "checkpoint",
  "inclusion",
  "commit",
  "pool",
  "entropy",
  "beacon",
  "opening",
  "seed",
  "ranks",
  "panel",
  "replacements",
  "disclosure",
  "state",
  "scoring"
];
var LIMITS = [
  {
    en: "who signed, unless a key obtained elsewhere (the province's published key) was pinned",
    zh: "谁签的名，除非核验时指定了从别处取得的公钥（省里公布的公钥）"
  },
  {
    en: "when the commit was really written: entry times are the operator's word (a supervisor's attestation made before the beacon round is the evidence)",
    zh: "承诺真正写入的时间：条目时间由运营方自述（在信标轮次之前做出的监督员签名才是证据）"
  },
  {
    en: "that the pool was the province's real roster, or that the exclusions were justified",
    zh: "专家池是否就是本省真实的专家名册，回避是否有理"
  },
  {
    en: "that nothing happened to the draw after the bundle's last entry (a later decline, void or disclosure): compare with a newer checkpoint or fetch a newer bundle",
    zh: "证据包最后一条之后抽取是否还有变化（之后的拒绝、作废或公开）：请与更新的检查点比对，或重新下载证据包"
  }
];
var NotABundle = class extends Error {
};
var Fail = class {
  constructor(en, zh) {
    this.en = en;
    this.zh = zh;
  }
  en;
  zh;
};
var fail = (en, zh) => {
  throw new Fail(en, zh);
};
function provinceChain(ps) {
  const first = ps[0];
  for (const p of ps) {
    if (p.province !== first.province) {
      fail(
        `entry seq ${p.seq} names another province than entry seq ${first.seq}: a ${FORMAT} bundle holds the draw's province's entries only`,
        `序号 ${p.seq} 的条目与序号 ${first.seq} 的条目属于不同省份：${FORMAT} 证据包只含本抽取所在省份的条目`
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
        `序号 ${n.seq} 的条目时间 ${n.time} 早于序号 ${a.seq} 的条目（${a.time}）：日志时间不得倒退`
      );
    }
    if (n.seq <= a.seq) fail(`entry seq ${n.seq} follows seq ${a.seq}: the entries are out of order`, `序号 ${n.seq} 的条目排在序号 ${a.seq} 之后：条目顺序错乱`);
    if (n.pprev !== a.hash) {
      fail(
        `entry seq ${n.seq}: pprev is ${n.pprev}, but the hash of entry seq ${a.seq} is ${a.hash}: an entry of the province is missing in between`,
        `序号 ${n.seq} 的条目：pprev 为 ${n.pprev}，但序号 ${a.seq} 的条目哈希是 ${a.hash}：其间缺少本省的条目`
      );
    }
  }
  const l = ps[ps.length - 1].seq;
  return {
    en: `${ps.length} entries of the province from seq ${first.seq} to ${l} are hash-chained by pprev`,
    zh: `本省序号 ${first.seq} 至 ${l} 的 ${ps.length} 个条目由 pprev 哈希相连`
  };
}
function otherFormat(f) {
  return f === "fairpanel-bundle/v1" ? `this is a protocol v1 bundle (format ${JSON.stringify(f)}); this verifier reads protocol 1.7 (${JSON.stringify(FORMAT)}, and ${JSON.stringify(FORMAT_V1_1)}) only: v1 lets a forged key rotation and unproven trailing entries pass, so v1 bundles are refused. Fetch the draw's bundle again from a service that writes protocol 1.7` : `format is ${JSON.stringify(f)}; this verifier reads ${JSON.stringify(FORMAT)} and ${JSON.stringify(FORMAT_V1_1)} (protocol 1.7)`;
}
var WS = /\p{White_Space}/u;
function readBundle(bytes) {
  let top;
  try {
    top = parseJson(bytes, (depth, key) => {
      if (depth === 1 && (key === "pool" || key === "sheets" || key === "explanations")) return "items";
      if (depth === 1 && key === "rubric" || depth === 3 && key === "entry") return "value";
      return null;
    });
  } catch (e) {
    throw new NotABundle(`the file is not JSON (${e.message})`);
  }
  const f = member(top, "format");
  if (!f || f.t !== "str") throw new NotABundle('the JSON has no "format" field');
  if (f.v !== FORMAT && f.v !== FORMAT_V1_1) throw new NotABundle(otherFormat(f.v));
  const wrong = (m2) => {
    throw new NotABundle(`the bundle's structure is wrong: ${m2}`);
  };
  if (top.t !== "obj") return wrong("not an object");
  const known = ["checkpoint", "draw", "entries", "format", "key", "origin", "pool", "rotations", "rubric", "sheets", "explanations"];
  const m = /* @__PURE__ */ new Map();
  top.keys.forEach((k, i2) => {
    if (!known.includes(k)) wrong(`unknown field \`${k}\``);
    if (m.has(k)) wrong(`duplicate field \`${k}\``);
    m.set(k, top.vals[i2]);
  });
  for (const k of ["checkpoint", "draw", "entries", "format", "key", "origin", "pool", "rotations"]) {
    if (!m.has(k)) wrong(`missing field \`${k}\``);
  }
  const str2 = (k, n) => {
    if (n.t !== "str" || n.lone) return wrong(`${k}: expected a string`);
    return n.v;
  };
  const entryList = (k) => {
    const a = m.get(k);
    if (a.t !== "arr") return wrong(`${k}: expected a sequence`);
    return a.items.map((it, i2) => {
      if (it.t !== "obj") return wrong(`${k}[${i2}]: expected a bundle entry object`);
      const f2 = /* @__PURE__ */ new Map();
      it.keys.forEach((kk, j) => {
        if (!["entry", "proof", "sig"].includes(kk)) wrong(`${k}[${i2}]: unknown field \`${kk}\``);
        if (f2.has(kk)) wrong(`${k}[${i2}]: duplicate field \`${kk}\``);
        f2.set(kk, it.vals[j]);
      });
      for (const kk of ["entry", "proof", "sig"]) if (!f2.has(kk)) wrong(`${k}[${i2}]: missing field \`${kk}\``);
      const p = f2.get("proof");
      let proof = null;
      if (p.t !== "null") {
        if (p.t !== "arr") return wrong(`${k}[${i2}].proof: expected a list of hashes or null`);
        proof = p.items.map((h) => {
          const b = h.t === "str" ? hexExact(h.v, 32) : null;
          if (!b) return wrong(`${k}[${i2}].proof: a hash is 64 lowercase hex digits`);
          return b;
        });
      }
      const node = f2.get("entry");
      return { node, raw: bytes.subarray(node.s, node.e), proof, sig: str2("sig", f2.get("sig")) };
    });
  };
  const checkpoint = str2("checkpoint", m.get("checkpoint"));
  const draw = str2("draw", m.get("draw"));
  const origin = str2("origin", m.get("origin"));
  const keyS = str2("key", m.get("key"));
  if (WS.test(keyS)) wrong("the key holds white space: give the 44 base64 characters alone");
  const kb = keyS.startsWith("-----BEGIN") ? null : b64decode(keyS);
  if (!kb) return wrong("public key is neither base64 nor PEM");
  if (kb.length !== 32) return wrong("a base64 Ed25519 public key is 32 bytes");
  if (!edPointOk(kb)) return wrong("not a valid Ed25519 public key");
  const entries = entryList("entries");
  const rotations = entryList("rotations");
  const poolN = m.get("pool");
  if (poolN.t !== "arr") return wrong("pool: expected a sequence");
  const listOf = (k) => {
    const n = m.get(k);
    if (!n) return [];
    if (n.t !== "arr") return wrong(`${k}: expected a sequence`);
    return n.items;
  };
  const sheets = listOf("sheets");
  const explanations = listOf("explanations");
  const rub = m.get("rubric");
  const rubric = rub && !(rub.t === "raw" && rub.first === 110) ? rub : null;
  const i = poolN.items.findIndex((l) => !(l.t === "raw" ? l.first === 123 : l.t === "obj"));
  if (i >= 0) wrong(`pool element ${i} is not a JSON object`);
  return { bytes, checkpoint, draw, format: f.v, origin, key: { b64: keyS, bytes: kb }, entries, rotations, pool: poolN.items, rubric, sheets, explanations };
}
var LEAF_ID = utf8('{"id":"');
var LEAF_ORG = utf8('","org":"');
var LEAF_SPEC = utf8('","spec":"');
var LEAF_TOKEN = utf8('","token":"');
var LEAF_END = utf8('"}');
var HEXDIGIT = new Uint8Array(256);
var HEXVALUE = new Uint8Array(256);
for (const [v, c] of [..."0123456789abcdef"].entries()) {
  HEXDIGIT[c.charCodeAt(0)] = 1;
  HEXVALUE[c.charCodeAt(0)] = v;
}
var BAD_LEAF = "pool leaf is not canonical JSON (RFC 8785) of {id, org, spec, token}";
function leafFromBytes(b, text, off) {
  const n = b.length;
  if (n < 7 + 32 + 9 + 32 + 10 + 1 + 11 + 64 + 2) throw new Bad("pool leaf is cut short");
  if (!same(b, 0, LEAF_ID) || !hexAt(b, 7, 32) || !same(b, 39, LEAF_ORG) || !hexAt(b, 48, 32) || !same(b, 80, LEAF_SPEC)) {
    throw new Bad(BAD_LEAF);
  }
  let end = 90;
  while (end < n && b[end] !== 34) {
    const c = b[end];
    if (!(c >= 97 && c <= 122 || c >= 48 && c <= 57 || c === 95)) throw new Bad('pool leaf: Specialty may contain only a-z, 0-9 and "_"');
    end++;
  }
  if (end - 90 < 1 || end - 90 > 32) throw new Bad("pool leaf: Specialty must be 1 to 32 characters");
  if (end + 11 + 64 + 2 !== n || !same(b, end, LEAF_TOKEN) || !hexAt(b, end + 11, 64) || b[n - 2] !== 34 || b[n - 1] !== 125) {
    throw new Bad(BAD_LEAF);
  }
  const NIB = HEXVALUE;
  return {
    idKey: NIB[b[7]] << 24 | NIB[b[8]] << 20 | NIB[b[9]] << 16 | NIB[b[10]] << 12 | NIB[b[11]] << 8 | NIB[b[12]] << 4 | NIB[b[13]],
    id: text.substring(off + 7, off + 39),
    org: text.substring(off + 48, off + 80),
    spec: text.substring(off + 90, off + end),
    token: text.substring(off + end + 11, off + end + 75)
  };
}
function idKey(id) {
  return parseInt(id.slice(0, 7), 16);
}
function same(b, at, w) {
  for (let k = 0; k < w.length; k++) if (b[at + k] !== w[k]) return false;
  return true;
}
function hexAt(b, at, n) {
  for (let k = 0; k < n; k++) if (!HEXDIGIT[b[at + k]]) return false;
  return true;
}
var TokenIndex = class {
  constructor(leaves) {
    this.leaves = leaves;
  }
  leaves;
  get(t) {
    let lo = 0;
    let hi = this.leaves.length;
    while (lo < hi) {
      const mid = lo + hi >>> 1;
      const x = this.leaves[mid].token;
      if (x === t) return mid;
      if (x < t) lo = mid + 1;
      else hi = mid;
    }
    return void 0;
  }
  has(t) {
    return this.get(t) !== void 0;
  }
};
function noteKeyHash(origin, key) {
  return sha256(concat(utf8(origin), new Uint8Array([10, 1]), key)).subarray(0, 4);
}
var nameOk = (n) => n.length > 0 && !WS.test(n) && !n.includes("+");
function checkCheckpoint(text, key, origin) {
  const bad = (m) => fail(m, `检查点无效：${m}`);
  if (utf8(text).length > 1e6 || /[\u0000-\u0009\u000b-\u001f]/.test(text)) bad("not a signed note: malformed note");
  const cut = text.lastIndexOf("\n\n");
  if (cut < 0) bad("not a signed note: malformed note");
  const body2 = text.slice(0, cut + 1);
  let sigPart = text.slice(cut + 2);
  if (!sigPart.endsWith("\n")) bad("not a signed note: malformed note");
  sigPart = sigPart.slice(0, -1);
  const sigs = [];
  for (const line of sigPart.split("\n")) {
    if (!line.startsWith("— ")) bad("not a signed note: malformed note");
    const rest = line.slice(2);
    const sp = rest.indexOf(" ");
    if (sp < 0) bad("not a signed note: malformed note");
    const name = rest.slice(0, sp);
    const b64 = rest.slice(sp + 1);
    const raw = b64decode(b64);
    if (!raw || b64.length === 0 || raw.length < 5) bad("not a signed note: malformed note");
    if (!nameOk(name)) bad("not a signed note: malformed note");
    sigs.push({ name, id: raw.subarray(0, 4), sig: raw.subarray(4), line });
    if (sigs.length > 100) bad("not a signed note: malformed note");
  }
  const lines = body2.split("\n");
  lines.pop();
  if (lines.length < 3) bad("not a C2SP checkpoint");
  const [o, n, r] = lines;
  for (const ext of lines.slice(3)) if (ext === "") bad("not a C2SP checkpoint");
  if (!/^(0|[1-9][0-9]*)$/.test(n) || BigInt(n) >= 2n ** 64n) bad("not a C2SP checkpoint");
  const root = b64decode(r);
  if (!root || root.length !== 32 || o.length === 0) bad("not a C2SP checkpoint");
  if (o !== origin) bad(`checkpoint origin is ${JSON.stringify(o)}, expected ${JSON.stringify(origin)}`);
  const want = noteKeyHash(o, key);
  const msg = utf8(body2);
  const ours = sigs.filter((s) => s.name === o && eq(s.id, want));
  if (ours.length === 0) bad("checkpoint signature: note has no verifiable signatures");
  if (!edVerifyStrict(key, msg, ours[0].sig)) bad(`checkpoint signature: invalid signature for key ${o}+${toHex(want)}`);
  for (const s of ours.slice(1)) {
    if (!edVerifyStrict(key, msg, s.sig)) {
      bad("checkpoint signature: a signature line of the log's name and key does not verify (every such line must)");
    }
  }
  return { size: BigInt(n), root };
}
var short = (t) => t.slice(0, 8);
function pinnedKey(text) {
  const t = text.trim();
  if (t.startsWith("-----BEGIN")) {
    const m = /^-----BEGIN PUBLIC KEY-----\s*([A-Za-z0-9+/=\s]+?)\s*-----END PUBLIC KEY-----$/.exec(t);
    if (!m) return null;
    const der = b64decode(m[1].replace(/\s+/g, ""));
    if (!der || der.length !== 44 || toHex(der.subarray(0, 12)) !== "302a300506032b6570032100") return null;
    const k2 = der.subarray(12);
    return edPointOk(k2) ? k2 : null;
  }
  const k = b64decode(t);
  return k && k.length === 32 && edPointOk(k) ? k : null;
}
function verify(bundle, opts = {}) {
  if (bundle.constructor !== Uint8Array) bundle = new Uint8Array(bundle.buffer, bundle.byteOffset, bundle.byteLength);
  const progress = opts.onProgress ?? (() => {
  });
  let pinned = null;
  if (opts.key != null) {
    pinned = pinnedKey(opts.key);
    if (!pinned) {
      const m = { en: "--key: not a base64 or PEM Ed25519 public key", zh: "--key：不是 base64 或 PEM 格式的 Ed25519 公钥" };
      return { exit: 2, lines: [{ kind: "error", ...m, text: `error: ${m.en}` }], checks: [], firstFailure: null };
    }
  }
  const witnesses = [];
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
  let b;
  try {
    b = readBundle(bundle);
  } catch (e) {
    if (!(e instanceof NotABundle)) throw e;
    const en = `not a fairpanel bundle: ${e.message}`;
    return {
      exit: 2,
      lines: [{ kind: "error", en, zh: `不是 fairpanel 证据包：${e.message}`, text: `error: ${en}` }],
      checks: [],
      firstFailure: null
    };
  }
  progress({ phase: "parse", done: 1, total: 1 });
  const checks = [];
  const summary = [{ en: `draw ${b.draw} in log ${b.origin}`, zh: `日志 ${b.origin} 中的抽取 ${b.draw}` }];
  const signed = [];
  const cosigners = [];
  run(b, pinned, checks, summary, progress, opts.sha256Latin1 ?? nobleLatin1, signed);
  cosigned(b.checkpoint, checks, witnesses, cosigners);
  const done = new Set(checks.map((c) => c.check));
  for (const c of CHECKS) {
    if (!done.has(c)) checks.push({ check: c, outcome: "skipped", en: "an earlier check failed", zh: "前面的检查未通过" });
  }
  checks.sort((x, y) => CHECKS.indexOf(x.check) - CHECKS.indexOf(y.check));
  const firstFailure = checks.find((c) => c.outcome === "failed") ?? null;
  const lines = [];
  for (const c of checks) {
    const word = c.outcome === "passed" ? "passed " : c.outcome === "failed" ? "FAILED " : "skipped";
    lines.push({ kind: "check", check: c.check, outcome: c.outcome, en: c.en, zh: c.zh, text: `  ${c.check.padEnd(13)} ${word} ${c.en}` });
  }
  for (const s of summary) lines.push({ kind: "summary", ...s, text: `  | ${s.en}` });
  if (!pinned) {
    const w = {
      en: "WARNING: no --key given. The bundle was checked against its own key only: this proves that it is consistent with itself, NOT who signed it. Pass --key with the province's published key.",
      zh: "警告：未指定公钥。证据包只按它自带的公钥核验：这只证明它自身前后一致，不能证明是谁签的名。请用省里公布的公钥核验。"
    };
    lines.push({ kind: "warning", ...w, text: w.en });
  }
  lines.push({ kind: "limits", en: "What these checks do not prove:", zh: "这些检查不能证明：", text: "What these checks do not prove:" });
  for (const l of LIMITS) lines.push({ kind: "limit", ...l, text: `  - ${l.en}` });
  if (firstFailure) {
    const v = {
      en: `FAILED: first failing check is ${firstFailure.check}: ${firstFailure.en}`,
      zh: `未通过：第一项未通过的检查是 ${firstFailure.check}：${firstFailure.zh}`
    };
    lines.push({ kind: "verdict", ...v, text: v.en });
  } else {
    const n = checks.filter((c) => c.outcome === "passed").length;
    const v = { en: `OK: ${n} checks passed, none failed`, zh: `通过：${n} 项检查通过，没有未通过的检查` };
    lines.push({ kind: "verdict", ...v, text: v.en });
  }
  return { exit: firstFailure ? 1 : 0, lines, checks, firstFailure, signed, cosigners };
}
function run(b, pinned, checks, summary, progress, hash2, signed = []) {
  const pass = (check, en, zh) => checks.push({ check, outcome: "passed", en, zh });
  const failed = (check, en, zh) => checks.push({ check, outcome: "failed", en, zh });
  const skip = (check, en, zh) => checks.push({ check, outcome: "skipped", en, zh });
  const result = (check, f) => {
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
  const items = [];
  const rotations = [];
  for (const [list, out, what, zwhat] of [
    [b.entries, items, "entry", "条目"],
    [b.rotations, rotations, "rotation entry", "密钥轮换条目"]
  ]) {
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
  const leaves = new Array(b.pool.length);
  const total = b.pool.length;
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
    if (i % 2e4 === 0) progress({ phase: "pool", done: i, total: 2 * total });
  }
  pass(
    "canonical",
    `${items.length} entries, ${rotations.length} rotations and ${leaves.length} pool leaves are canonical JSON`,
    `${items.length} 个条目、${rotations.length} 个密钥轮换条目和 ${leaves.length} 个专家池叶子都是规范 JSON`
  );
  const windows = [];
  const keyOk = result("key", () => {
    const rots = [];
    for (const it of rotations) {
      if (it.p.body.kind !== "key_rotation") fail(`rotation list holds a ${kindDebug(it.p.kind)} entry`, `密钥轮换列表中有一个 ${it.p.kind} 条目`);
      rots.push({ seq: it.p.seq, prev: it.p.prev, signer: it.p.signer, body: it.p.body.b });
    }
    let lastSeq = null;
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
      const msg = concat(utf8(TAG.rotation), new Uint8Array([0]), u64be(seq), hexExact(r.prev, 32), x.old_key.bytes, x.new_key.bytes);
      if (sig.length !== 64 || !edVerifyStrict(x.new_key.bytes, msg, sig)) {
        const why = sig.length !== 64 ? `an Ed25519 signature is 64 bytes, not ${sig.length}` : "signature does not verify";
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
        `最后一次密钥轮换指向密钥 ${keyId(last.key)}，而不是当前密钥 ${keyId(b.key.bytes)}`
      );
    }
    if (!last) windows.push({ key: b.key.bytes, id: keyId(b.key.bytes), after: null, until: null });
    const ids = windows.map((w) => w.id).join(", ");
    if (pinned) {
      if (!windows.some((w) => eq(w.key, pinned))) {
        fail(
          `the pinned key ${keyId(pinned)} is not among the bundle's signing keys (${ids})`,
          `指定的公钥 ${keyId(pinned)} 不在证据包的签名密钥之中（${ids}）`
        );
      }
      return {
        en: `pinned key ${keyId(pinned)} is in this log's key chain (${ids}); every rotation is signed by both its keys`,
        zh: `指定的公钥 ${keyId(pinned)} 在本日志的密钥链中（${ids}）；每次轮换都有新旧两把密钥的签名`
      };
    }
    return {
      en: `NOT PINNED: key ${keyId(b.key.bytes)} taken from the bundle itself; this proves only that the bundle is consistent with itself, not who signed it (pass --key with the province's published key)`,
      zh: `未指定公钥：密钥 ${keyId(b.key.bytes)} 取自证据包本身；这只证明证据包自身一致，不能证明是谁签的名（请用省里公布的公钥核验）`
    };
  });
  if (!keyOk) return;
  const all = [...items, ...rotations];
  if (!result("signatures", () => {
    for (const it of all) {
      const p = it.p;
      const w = windows.find((x) => x.id === p.signer);
      if (!w) fail(`entry seq ${p.seq}: signed by unknown key ${p.signer}`, `序号 ${p.seq} 的条目由未知密钥 ${p.signer} 签名`);
      if (w.until !== null && p.seq > w.until) {
        fail(`entry seq ${p.seq}: signed by key ${p.signer}, retired at seq ${w.until}`, `序号 ${p.seq} 的条目由已在序号 ${w.until} 退役的密钥 ${p.signer} 签名`);
      }
      if (w.after !== null && p.seq <= w.after) {
        fail(
          `entry seq ${p.seq}: signed by key ${p.signer}, which only signs after its rotation at seq ${w.after}`,
          `序号 ${p.seq} 的条目由密钥 ${p.signer} 签名，而该密钥只能签序号 ${w.after} 的轮换之后的条目`
        );
      }
      const sig = b64decode(it.e.sig);
      if (!sig) fail(`entry seq ${p.seq}: signature is not base64`, `序号 ${p.seq} 的条目：签名不是 base64`);
      if (sig.length !== 64) fail(`entry seq ${p.seq}: an Ed25519 signature is 64 bytes, not ${sig.length}`, `序号 ${p.seq} 的条目：Ed25519 签名应为 64 字节`);
      if (!edVerifyStrict(w.key, it.e.raw, sig)) fail(`entry seq ${p.seq}: signature does not verify`, `序号 ${p.seq} 的条目：签名校验不通过`);
    }
    return { en: `${all.length} entry signatures verify (Ed25519, strict)`, zh: `${all.length} 个条目签名校验通过（Ed25519，严格校验）` };
  }))
    return;
  if (!result("chain", () => {
    if (items.length === 0) fail("the bundle has no entries", "证据包中没有条目");
    if (b.format === FORMAT) return provinceChain(items.map((i) => i.p));
    for (let k = 1; k < items.length; k++) {
      const a = items[k - 1].p;
      const n = items[k].p;
      if (n.time < a.time) {
        fail(
          `entry seq ${n.seq} has time ${n.time}, earlier than entry seq ${a.seq} (${a.time}): log time must not go backwards`,
          `序号 ${n.seq} 的条目时间 ${n.time} 早于序号 ${a.seq} 的条目（${a.time}）：日志时间不得倒退`
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
  }))
    return;
  let cp = null;
  if (!result("checkpoint", () => {
    const c = checkCheckpoint(b.checkpoint, b.key.bytes, b.origin);
    let last = 0n;
    for (const it of all) if (it.p.seq > last) last = it.p.seq;
    if (c.size <= last) {
      fail(
        `the checkpoint covers ${c.size} entries, so entry seq ${last} is not in it (stale checkpoint)`,
        `检查点只覆盖 ${c.size} 个条目，不包含序号 ${last} 的条目（过期的检查点）`
      );
    }
    cp = c;
    return { en: `signed checkpoint of ${c.size} entries, root ${toHex(c.root)}`, zh: `已签名的检查点：${c.size} 个条目，根哈希 ${toHex(c.root)}` };
  }))
    return;
  const checkpoint = cp;
  if (!result("inclusion", () => {
    let n = 0;
    const lastEntry = items.length ? items[items.length - 1].p.seq : null;
    for (const it of all) {
      const seq = it.p.seq;
      const own = it.p.draw === b.draw || it.p.kind === "key_rotation";
      if (it.e.proof === null && seq === lastEntry) {
        fail(
          `the bundle's last entry (seq ${seq}) has no inclusion proof: the entries after the draw's last proven one would be tied to nothing`,
          `证据包最后一个条目（序号 ${seq}）没有包含证明：本抽取最后一个有证明的条目之后的条目将无所依凭`
        );
      }
      if (it.e.proof) {
        const why = checkInclusion(it.e.proof, checkpoint.size, checkpoint.root, seq, leafHash(it.e.raw));
        if (why) {
          fail(
            `entry seq ${seq}: inclusion proof does not verify: ${why} (checkpoint size ${checkpoint.size})`,
            `序号 ${seq} 的条目：包含证明校验不通过（检查点大小 ${checkpoint.size}）`
          );
        }
        n++;
      } else if (own) {
        fail(`entry seq ${seq} of the draw has no inclusion proof`, `本抽取序号 ${seq} 的条目没有包含证明`);
      }
    }
    return { en: `${n} inclusion proofs verify against the checkpoint`, zh: `${n} 个包含证明与检查点相符` };
  }))
    return;
  const mine = items.filter((i) => i.p.draw === b.draw);
  const first = mine.find((i) => i.p.kind === "commit");
  const startsAt = first ? first.p.body.b.supplements?.commit ?? first.p.hash : null;
  if (!first || items[0].p.hash !== startsAt) {
    failed(
      "commit",
      "the bundle's first entry is not the draw's commit (or, for a supplementary draw, the commit it supplements)",
      "证据包的第一个条目不是本抽取的承诺（对补抽而言，也不是它所补的那次抽取的承诺）"
    );
    return;
  }
  const commit = first.p.body.b;
  const commitHash = first.p.hash;
  const commitTime = first.p.time;
  const province = first.p.province;
  if (!result("commit", () => {
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
      zh: `承诺位于序号 ${first.p.seq}（时间 ${commitTime}）：评审组 ${s.panel} 人，候补 ${s.alternates} 人，专业下限 ${s.quotas.length} 项，每单位上限 ${s.org_cap === null ? "无" : s.org_cap}`
    };
  }))
    return;
  summary.push({ en: `${commit.title} — ${province ? PROVINCES[province] : ""}`, zh: `${commit.title} — ${province ? PROVINCES[province] : ""}` });
  const sup = commit.supplements;
  if (sup) {
    const toFill = Math.max(0, commit.spec.panel - sup.seated.length);
    summary.push({
      en: `supplementary draw (补抽) of ${sup.draw}: ${sup.seated.length} members keep their seats, ${toFill} seats to fill`,
      zh: `补抽（所补的抽取：${sup.draw}）：${sup.seated.length} 名成员保留席位，需补 ${toFill} 席`
    });
  }
  const indexOf = new TokenIndex(leaves);
  if (!result("pool", () => {
    const m = checkPool(b, commit, leaves, progress, hash2);
    if (!sup) return m;
    const idx = (list) => list.map((t) => {
      const i = indexOf.get(t);
      if (i === void 0) fail(`the supplementary commit names ${t}, which is not a member of the pool`, `补抽的承诺列出了 ${t}，但它不在专家池中`);
      return i;
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
      zh: `${m.zh}；尚未抽中的 ${notDrawn} 名成员可以补满 ${empty} 个空缺席位`
    };
  }))
    return;
  const carried = sup ? sup.seated.map((t) => indexOf.get(t)) : [];
  const drawn = sup ? sup.drawn.map((t) => indexOf.get(t)) : [];
  const entropy = mine.filter((i) => i.p.kind === "entropy");
  const registered = [];
  const isLogKey = (k) => windows.some((w) => eq(w.key, k));
  if (!result("entropy", () => {
    for (const it of mine) {
      if (it.p.kind !== "key_registration") continue;
      const r = it.p.body.b;
      const seq = it.p.seq;
      if (isLogKey(r.key.bytes)) {
        fail(
          `key_registration at seq ${seq} registers the log's own key ${keyId(r.key.bytes)} as a ${r.role}'s: a personal key must not be the operator's`,
          `序号 ${seq} 的密钥登记把日志自己的密钥 ${keyId(r.key.bytes)} 登记为个人密钥：个人密钥不能是运营方的密钥`
        );
      }
      const twice = registered.find((o) => eq(o.key, r.key.bytes));
      if (twice) {
        fail(
          `key_registration at seq ${seq} registers key ${keyId(r.key.bytes)} again (first at seq ${twice.seq})`,
          `序号 ${seq} 的密钥登记重复登记密钥 ${keyId(r.key.bytes)}（首次在序号 ${twice.seq}）`
        );
      }
      const current = registered.find((o) => o.person === r.person && o.until === null);
      const id = r.replaces;
      if (current && id === null) {
        fail(
          `key_registration at seq ${seq} gives a second key to a person who already has one in this draw, without naming it in replaces`,
          `序号 ${seq} 的密钥登记给本次抽取中已有密钥的人登记了第二把密钥，却没有在 replaces 中写明被替换的密钥`
        );
      }
      if (!current && id !== null) {
        fail(
          `key_registration at seq ${seq} replaces key ${id}, but the person has no current key in this draw`,
          `序号 ${seq} 的密钥登记要替换密钥 ${id}，但此人在本次抽取中没有现行密钥`
        );
      }
      if (current && id !== null) {
        const cur = keyId(current.key);
        if (cur !== id) {
          fail(
            `key_registration at seq ${seq} replaces key ${id}, which is not the person's current key ${cur}`,
            `序号 ${seq} 的密钥登记要替换密钥 ${id}，但此人的现行密钥是 ${cur}`
          );
        }
        if (current.role !== r.role) {
          fail(`key_registration at seq ${seq} replaces a ${current.role}'s key with a ${r.role}'s`, `序号 ${seq} 的密钥登记替换密钥时改变了角色`);
        }
        const a = r.approval;
        if (!a) fail(`key_registration at seq ${seq} replaces key ${id} without a supervisor's approval`, `序号 ${seq} 的密钥登记替换密钥 ${id}，但没有监督员的批准`);
        const by = keyId(a.key.bytes);
        if (isLogKey(a.key.bytes)) {
          fail(
            `key_registration at seq ${seq}: the replacement's approval is by the log's own key ${by}, not by a supervisor's`,
            `序号 ${seq} 的密钥登记：替换由日志自己的密钥 ${by} 批准，而不是由监督员批准`
          );
        }
        const o = registered.find((g) => eq(g.key, a.key.bytes));
        if (!o) {
          fail(
            `key_registration at seq ${seq}: the replacement's approval is by an unregistered key ${by}: no earlier key_registration of the draw registers it`,
            `序号 ${seq} 的密钥登记：批准替换的密钥 ${by} 在本次抽取中此前没有登记`
          );
        }
        if (o.person === r.person) {
          fail(
            `key_registration at seq ${seq}: the replacement's approval is by the replaced person's own key ${by}, not by another supervisor's`,
            `序号 ${seq} 的密钥登记：替换由被替换者本人的密钥 ${by} 批准，而不是由另一位监督员批准`
          );
        }
        if (o.role !== "supervisor") {
          fail(
            `key_registration at seq ${seq}: the replacement's approval is by key ${by}, registered at seq ${o.seq} to an ${o.role}, not to a supervisor`,
            `序号 ${seq} 的密钥登记：批准替换的密钥 ${by} 在序号 ${o.seq} 登记给了专家，而不是监督员`
          );
        }
        if (o.until !== null) {
          fail(
            `key_registration at seq ${seq}: the replacement's approval is by key ${by}, which was itself replaced at seq ${o.until}`,
            `序号 ${seq} 的密钥登记：批准替换的密钥 ${by} 已在序号 ${o.until} 被替换`
          );
        }
        const sig = b64decode(a.sig);
        if (!sig) fail(`key_registration at seq ${seq}: the approval is not base64`, `序号 ${seq} 的密钥登记：批准签名不是 base64`);
        if (sig.length !== 64) fail(`key_registration at seq ${seq}: the approval's an Ed25519 signature is 64 bytes, not ${sig.length}`, `序号 ${seq} 的密钥登记：批准签名不是 64 字节`);
        if (!edVerifyStrict(a.key.bytes, replacementMessage(r), sig)) {
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
      const e = it.p.body.b;
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
        const kid = keyId(a.key.bytes);
        if (isLogKey(a.key.bytes)) {
          fail(
            `contribution at seq ${seq} is signed by the log's own key ${kid}: the operator cannot contribute in a supervisor's name`,
            `序号 ${seq} 的贡献由日志自己的密钥 ${kid} 签名：运营方不能以监督员的名义提交贡献`
          );
        }
        const r = registered.find((x) => eq(x.key, a.key.bytes) && x.seq < seq);
        if (!r) {
          fail(
            `contribution at seq ${seq} is signed by key ${kid}, which no earlier key_registration of the draw registers`,
            `序号 ${seq} 的贡献由密钥 ${kid} 签名，但本次抽取此前没有登记这把密钥`
          );
        }
        if (r.until !== null && r.until < seq) {
          fail(`contribution at seq ${seq} is signed by key ${kid}, which was replaced at seq ${r.until}`, `序号 ${seq} 的贡献由密钥 ${kid} 签名，但这把密钥已在序号 ${r.until} 被替换`);
        }
        if (r.role !== "supervisor") {
          fail(
            `contribution at seq ${seq} is signed by key ${kid}, registered at seq ${r.seq} to an ${r.role}, not a supervisor`,
            `序号 ${seq} 的贡献由密钥 ${kid} 签名，它在序号 ${r.seq} 登记给了专家，而不是监督员`
          );
        }
      }
      if (e.attestation) {
        const sig = b64decode(e.attestation.sig);
        if (!sig) fail(`contribution at seq ${seq}: attestation is not base64`, `序号 ${seq} 的贡献：监督员签名不是 base64`);
        const msg = concat(utf8(TAG.attest), new Uint8Array([0]), hexExact(commitHash, 32), hexExact(e.value, 32));
        if (sig.length !== 64) fail(`contribution at seq ${seq}: supervisor's an Ed25519 signature is 64 bytes, not ${sig.length}`, `序号 ${seq} 的贡献：监督员签名长度不对`);
        if (!edVerifyStrict(e.attestation.key.bytes, msg, sig)) fail(`contribution at seq ${seq}: supervisor's signature does not verify`, `序号 ${seq} 的贡献：监督员签名校验不通过`);
        attested++;
        const by = registered.find((x) => eq(x.key, e.attestation.key.bytes) && x.seq < seq);
        signed.push({ what: "contribution", seq: seq.toString(), key: keyId(e.attestation.key.bytes), role: by ? by.role : null });
      }
    }
    const keysEn = commit.personal_keys ? `; personal keys required, ${registered.length} registered` : registered.length > 0 ? `; ${registered.length} personal keys registered` : "";
    const keysZh = commit.personal_keys ? `；要求个人密钥签名，已登记 ${registered.length} 把` : registered.length > 0 ? `；已登记 ${registered.length} 把个人密钥` : "";
    return {
      en: `${entropy.length} supervisor contributions before the deadline, ${attested} signed with the supervisor's own key${keysEn}`,
      zh: `截止前有 ${entropy.length} 份监督员贡献，其中 ${attested} 份有监督员本人密钥的签名${keysZh}`
    };
  }))
    return;
  const revealItem = mine.find((i) => i.p.kind === "reveal");
  const beaconItems = mine.filter((i) => i.p.kind === "beacon");
  let randomness = null;
  if (!result("beacon", () => {
    const r = checkBeacon(commit, commitTime, beaconItems, !!revealItem);
    randomness = r.randomness;
    return r.msg;
  }))
    return;
  summary.push(
    commit.beacon ? {
      en: `assurance: drand quicknet round ${commit.beacon.round} and ${entropy.length} supervisor contributions, with the operator's committed secret`,
      zh: `保证程度：drand quicknet 第 ${commit.beacon.round} 轮、${entropy.length} 份监督员贡献，以及运营方已承诺的秘密`
    } : {
      en: `assurance: LOWER — beacon-less mode; the seed rests on the operator's secret and ${entropy.length} supervisor contributions only`,
      zh: `保证程度：较低 — 无信标模式；种子只取决于运营方的秘密和 ${entropy.length} 份监督员贡献`
    }
  );
  let stateErr = null;
  try {
    drawState(mine, commitHash, summary);
  } catch (e) {
    if (!(e instanceof Fail)) throw e;
    stateErr = { en: e.en, zh: e.zh };
    failed("state", e.en, e.zh);
  }
  if (!revealItem) {
    for (const name of ["opening", "seed", "ranks", "panel"]) skip(name, "the draw has not been revealed", "本抽取尚未揭示");
    const d = mine.find((i) => i.p.kind === "decline");
    if (d) failed("replacements", `decline at seq ${d.p.seq} in a draw that was never revealed`, `序号 ${d.p.seq} 的拒绝出现在从未揭示的抽取中`);
    else skip("replacements", "the draw has not been revealed", "本抽取尚未揭示");
    disclosureCheck(checks, mine, leaves, indexOf, commit, null, summary);
    if (!stateErr) pass("state", "consistent", "一致");
    skip("scoring", "the draw has not been revealed", "本抽取尚未揭示");
    return;
  }
  const reveal = revealItem.p.body.b;
  if (!result("opening", () => {
    if (mine.filter((i) => i.p.kind === "reveal").length > 1) fail("the draw has more than one reveal", "本抽取有不止一个揭示");
    if (reveal.commit !== commitHash) fail("the reveal names another commit", "揭示指向另一个承诺");
    if (toHex(tagged(TAG.secret, hexExact(reveal.secret, 32))) !== commit.secret_commitment) {
      fail("the revealed secret does not match the commit's secret_commitment", "揭示的秘密与承诺中的 secret_commitment 不符");
    }
    const bh = beaconItems.length ? beaconItems[0].p.hash : null;
    if (reveal.beacon !== bh) fail("the reveal names another beacon entry than the log holds", "揭示指向的信标条目与日志中的不同");
    return { en: "the revealed secret opens the commitment", zh: "揭示的秘密与承诺相符" };
  }))
    return;
  let seed = null;
  if (!result("seed", () => {
    const rseq = revealItem.p.seq;
    const rtime = revealItem.p.time;
    if (rtime <= commit.entropy_deadline) {
      fail(
        `the reveal is dated ${rtime}, not after the entropy deadline ${commit.entropy_deadline}: contributions could still be made`,
        `揭示时间 ${rtime} 不晚于贡献截止时间 ${commit.entropy_deadline}：此时仍可提交贡献`
      );
    }
    if (!commit.beacon && entropy.length === 0) {
      fail(
        "a beacon-less draw revealed with no supervisor contribution: its seed would be the operator's alone",
        "无信标的抽取在没有任何监督员贡献的情况下揭示：种子将完全由运营方决定"
      );
    }
    const before = entropy.filter((i) => i.p.seq < rseq).map((i) => i.p.hash);
    if (before.length !== entropy.length) fail("a contribution comes after the reveal", "有贡献出现在揭示之后");
    if (reveal.entropy.length !== before.length || reveal.entropy.some((h, k) => h !== before[k])) {
      fail(
        `the reveal's seed inputs list ${reveal.entropy.length} contributions that are not the ${before.length} in the log, in log order`,
        `揭示列出的 ${reveal.entropy.length} 份种子贡献不是日志中按顺序记录的 ${before.length} 份`
      );
    }
    const values = entropy.map((i) => hexExact(i.p.body.b.value, 32));
    const part = randomness ? concat(new Uint8Array([1]), randomness) : new Uint8Array([0]);
    const s = tagged(TAG.seed, hexExact(commitHash, 32), hexExact(reveal.secret, 32), part, u32be(values.length), ...values);
    if (toHex(s) !== reveal.seed) {
      fail(`the reveal's seed ${reveal.seed} does not follow from its inputs (they give ${toHex(s)})`, `揭示的种子 ${reveal.seed} 不能由其输入得出（输入得出 ${toHex(s)}）`);
    }
    seed = s;
    return {
      en: `seed ${toHex(s)} follows from the commit, the secret, the beacon and the contributions`,
      zh: `种子 ${toHex(s)} 由承诺、秘密、信标和贡献得出`
    };
  }))
    return;
  const seen = /* @__PURE__ */ new Set();
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
  const order = ranks(seed, leaves.length);
  const sel = sup ? fillSupplement(commit.spec, leaves, order, carried, drawn) : fill(commit.spec, leaves, order);
  pass(
    "ranks",
    `Fisher–Yates order of ${order.length} members; rank 1 is ${order.length ? leaves[order[0]].token : ""}; the reveal names only pool members, each once`,
    `${order.length} 名成员的 Fisher–Yates 排序；第 1 名是 ${order.length ? leaves[order[0]].token : ""}；揭示只列出了专家池成员，且每人一次`
  );
  const panel = sel.panel.map((i) => leaves[i].token);
  const alternates = sel.alternates.map((i) => leaves[i].token);
  if (!result("panel", () => {
    const same2 = (a, c) => a.length === c.length && a.every((x, k) => x === c[k]);
    if (!same2(reveal.panel, panel)) {
      let k = reveal.panel.findIndex((t, j) => j < panel.length && t !== panel[j]);
      if (k < 0) k = Math.min(panel.length, reveal.panel.length);
      const got = reveal.panel[k] ?? "missing";
      const want = panel[k] ?? "no seat";
      fail(
        `the panel does not follow from the ranks: seat ${k + 1} is ${got}, the rule gives ${want}`,
        `评审组不能由排序得出：第 ${k + 1} 席是 ${got}，规则给出的是 ${want}`
      );
    }
    if (!same2(reveal.alternates, alternates)) fail("the alternates do not follow from the ranks", "候补名单不能由排序得出");
    return {
      en: `panel of ${panel.length} and ${alternates.length} alternates follow from the ranks`,
      zh: `${panel.length} 人的评审组和 ${alternates.length} 名候补由排序得出`
    };
  }))
    return;
  if (!result("replacements", () => {
    const seated = [...carried, ...sel.panel];
    const ever = [...seated];
    let n = 0;
    let unfilled = 0;
    for (const it of mine.filter((i) => i.p.kind === "decline")) {
      const d = it.p.body.b;
      const seq = it.p.seq;
      if (seq < revealItem.p.seq) fail(`decline at seq ${seq} comes before the reveal`, `序号 ${seq} 的拒绝出现在揭示之前`);
      const next = supplementedAt(items, b.draw, seq);
      if (next !== null) {
        fail(
          `decline at seq ${seq}: draw ${next} supplements this draw since its commit, so its panel's declines are that draw's`,
          `序号 ${seq} 的拒绝：抽取 ${next} 自其承诺起补抽本抽取，评审组的拒绝应属于该抽取`
        );
      }
      const who = indexOf.get(d.token);
      if (who === void 0 || !seated.includes(who)) fail(`decline at seq ${seq}: ${d.token} is not on the panel`, `序号 ${seq} 的拒绝：${d.token} 不在评审组中`);
      const rule = replacement(commit.spec, leaves, seated, who, sel.alternates, ever);
      const want = rule === null ? null : leaves[rule].token;
      if (want !== d.replacement) {
        fail(
          `decline at seq ${seq}: the entry gives the seat to ${d.replacement ?? "nobody"}, the replacement rule gives it to ${want ?? "nobody (alternates exhausted)"}`,
          `序号 ${seq} 的拒绝：条目把席位给了 ${d.replacement ?? "无人"}，递补规则给的是 ${want ?? "无人（候补已用完）"}`
        );
      }
      if (rule !== null) {
        seated[seated.indexOf(who)] = rule;
        ever.push(rule);
      } else {
        unfilled++;
        seated.splice(seated.indexOf(who), 1);
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
      zh: `${n} 次拒绝：${n - unfilled} 次按规则递补，${unfilled} 次因规则找不到候补而空缺（需要补抽）`
    };
  }))
    return;
  disclosureCheck(checks, mine, leaves, indexOf, commit, revealItem.p.seq, summary);
  if (!stateErr) pass("state", "consistent", "一致");
  const panelAtReveal = [...sup ? sup.seated : [], ...reveal.panel];
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
function supplementedAt(items, draw, seq) {
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
var sameList = (a, b) => a.length === b.length && a.every((x, k) => x === b[k]);
function checkLink(items, commitItem, commit, s) {
  const at = commitItem.p.seq;
  const first = items[0].p;
  if (first.body.kind !== "commit") {
    return fail("the entry the supplementary commit names is not a commit", "补抽的承诺所指的条目不是承诺");
  }
  const prev = first.body.b;
  if (prev.draw !== s.draw || prev.draw === commit.draw) {
    fail(
      `the supplementary commit names draw ${s.draw}, but the commit it names is draw ${prev.draw}'s`,
      `补抽的承诺写明所补的是抽取 ${s.draw}，但它所指的承诺属于抽取 ${prev.draw}`
    );
  }
  if (first.province !== commitItem.p.province) fail("the supplemented draw is another province's", "所补的抽取属于另一个省份");
  const sameExcluded = prev.excluded.length === commit.excluded.length && prev.excluded.every((x, k) => x.token === commit.excluded[k].token && x.reason === commit.excluded[k].reason);
  if (prev.pool_root !== commit.pool_root || prev.pool_size !== commit.pool_size || prev.tag_key !== commit.tag_key || !sameExcluded) {
    fail(
      `a supplementary draw keeps the pool of draw ${s.draw} (pool_root, pool_size, tag_key and excluded unchanged)`,
      `补抽须沿用抽取 ${s.draw} 的专家池（pool_root、pool_size、tag_key 和 excluded 不变）`
    );
  }
  const sameQuotas = prev.spec.quotas.length === commit.spec.quotas.length && prev.spec.quotas.every((q, k) => q.spec === commit.spec.quotas[k].spec && q.min === commit.spec.quotas[k].min);
  if (prev.spec.panel !== commit.spec.panel || !sameQuotas || prev.spec.org_cap !== commit.spec.org_cap) {
    fail(
      `a supplementary draw keeps the rules of draw ${s.draw} (panel, quotas and organisation cap unchanged)`,
      `补抽须沿用抽取 ${s.draw} 的规则（评审组人数、专业下限和每单位上限不变）`
    );
  }
  const poolDraw = prev.supplements ? prev.supplements.pool_draw : prev.draw;
  if (s.pool_draw !== poolDraw) {
    fail(
      `supplements.pool_draw is ${s.pool_draw}, but the chain's first draw is ${poolDraw}`,
      `supplements.pool_draw 是 ${s.pool_draw}，但这一串抽取的第一次是 ${poolDraw}`
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
  const reveal = revealIt.p.body.b;
  const seated = [...prev.supplements ? prev.supplements.seated : [], ...reveal.panel];
  for (const i of before) {
    if (i.p.body.kind !== "decline") continue;
    const d = i.p.body.b;
    const k = seated.indexOf(d.token);
    if (k < 0) {
      fail(
        `decline at seq ${i.p.seq} of draw ${s.draw}: ${d.token} is not on its panel`,
        `抽取 ${s.draw} 序号 ${i.p.seq} 的拒绝：${d.token} 不在其评审组中`
      );
    }
    if (d.replacement !== null) seated[k] = d.replacement;
    else seated.splice(k, 1);
  }
  if (!sameList(s.seated, seated)) {
    fail(
      `supplements.seated lists ${s.seated.length} members, which are not draw ${s.draw}'s ${seated.length} seated members at this commit, in seat order`,
      `supplements.seated 列出的 ${s.seated.length} 名成员不是抽取 ${s.draw} 在此承诺时按席位顺序的 ${seated.length} 名在席成员`
    );
  }
  const drawn = [.../* @__PURE__ */ new Set([...prev.supplements ? prev.supplements.drawn : [], ...reveal.panel, ...reveal.alternates])].sort();
  if (!sameList(s.drawn, drawn)) {
    fail(
      `supplements.drawn is not every member the chain up to draw ${s.draw} has named (${drawn.length} members), sorted`,
      `supplements.drawn 不是到抽取 ${s.draw} 为止这一串抽取点到的全部 ${drawn.length} 名成员（按顺序）`
    );
  }
}
function kindDebug(k) {
  return k.split("_").map((w) => w[0].toUpperCase() + w.slice(1)).join("");
}
function poolBytes(b, i) {
  const n = b.pool[i];
  return b.bytes.subarray(n.s, n.e);
}
function checkPool(b, commit, leaves, progress, hash2) {
  if (BigInt(leaves.length) !== commit.pool_size) {
    fail(`the bundle has ${leaves.length} pool leaves, the commit ${commit.pool_size}`, `证据包有 ${leaves.length} 个专家池叶子，承诺中是 ${commit.pool_size} 个`);
  }
  for (let i = 1; i < leaves.length; i++) {
    if (!(leaves[i - 1].token < leaves[i].token)) {
      fail(
        `pool leaf ${i} is not after leaf ${i - 1} in token order (leaves must be sorted, without repeats)`,
        `专家池第 ${i} 个叶子没有按令牌顺序排在第 ${i - 1} 个之后（叶子须排序且不重复）`
      );
    }
  }
  if (!tagKeyOk(hexExact(commit.tag_key, 32))) fail(`the commit's tag key ${commit.tag_key} is not a ristretto255 element`, `承诺中的标签公钥 ${commit.tag_key} 不是 ristretto255 元素`);
  const firstAt = /* @__PURE__ */ new Map();
  const clash = /* @__PURE__ */ new Set();
  for (let i = 0; i < leaves.length; i++) {
    const k = leaves[i].idKey ?? idKey(leaves[i].id);
    if (firstAt.has(k)) clash.add(k);
    else firstAt.set(k, i);
  }
  let dupe = null;
  if (clash.size) {
    const ids = /* @__PURE__ */ new Map();
    for (let i = 0; i < leaves.length; i++) {
      if (!clash.has(leaves[i].idKey ?? idKey(leaves[i].id))) continue;
      const j = ids.get(leaves[i].id);
      if (j !== void 0) {
        if (!dupe || leaves[i].id < dupe[2]) dupe = [j, i, leaves[i].id];
      } else ids.set(leaves[i].id, i);
    }
  }
  if (dupe) {
    fail(
      `pool leaves ${dupe[0]} and ${dupe[1]} have one identity tag ${dupe[2]}: one expert holds two leaves`,
      `专家池第 ${dupe[0]} 和第 ${dupe[1]} 个叶子的身份标签相同（${dupe[2]}）：一名专家占了两个叶子`
    );
  }
  const rb = new RootBuilder(hash2);
  const total = b.pool.length;
  const all = b.bytes;
  for (let i = 0; i < total; i++) {
    const n = b.pool[i];
    const before = all[n.s - 1];
    all[n.s - 1] = 0;
    try {
      rb.push(hash2(all.subarray(n.s - 1, n.e)));
    } finally {
      all[n.s - 1] = before;
    }
    if (i % 5e3 === 0) progress({ phase: "pool", done: total + i, total: 2 * total });
  }
  progress({ phase: "pool", done: 2 * total, total: 2 * total });
  const root = rb.rootHex();
  if (root !== commit.pool_root) {
    fail(
      `the pool leaves give root ${root}, the commit fixed ${commit.pool_root} (a leaf was changed, added or removed)`,
      `专家池叶子得出的根哈希是 ${root}，而承诺固定的是 ${commit.pool_root}（有叶子被改动、增加或删除）`
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
    zh: `${leaves.length} 个叶子得出承诺的根哈希，身份标签互不相同；回避 ${commit.excluded.length} 人；规则可以满足`
  };
}
function checkBeacon(commit, commitTime, recorded, revealed) {
  const t = commit.beacon;
  if (!t) {
    if (recorded.length) fail("a beacon-less draw has a beacon entry", "无信标的抽取却有信标条目");
    return {
      randomness: null,
      msg: {
        en: "beacon-less mode: no public randomness; the bundle's assurance is lower (see summary)",
        zh: "无信标模式：没有公共随机数；证据包的保证程度较低（见摘要）"
      }
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
      `目标轮次是 ${t.round}，但承诺时间加间隔之后的第一个轮次是 ${want}`
    );
  }
  if (commit.entropy_deadline >= rt) fail("the entropy deadline is not before the target round", "贡献截止时间不早于目标轮次");
  if (recorded.length === 0) {
    if (revealed) fail("the draw was revealed without its beacon round", "抽取在没有信标轮次的情况下揭示");
    return { randomness: null, msg: { en: `target round ${t.round} not yet recorded`, zh: `目标轮次 ${t.round} 尚未记录` } };
  }
  if (recorded.length > 1) fail("more than one beacon entry", "信标条目不止一个");
  const it = recorded[0];
  const bc = it.p.body.b;
  if (bc.chain !== t.chain || bc.round !== t.round) fail(`recorded round ${bc.round} is not the target round ${t.round}`, `记录的轮次 ${bc.round} 不是目标轮次 ${t.round}`);
  if (it.p.time < roundTime(bc.round)) fail("the round was recorded before drand published it", "该轮次在 drand 发布之前就被记录");
  const sig = hexExact(bc.signature, 48);
  if (!sig) fail("round signature: not 96 lowercase hex digits", "轮次签名不是 96 位小写十六进制数");
  const why = drandVerify(bc.round, sig);
  if (why) fail(why, `drand 轮次签名校验不通过：${why}`);
  const r = sha256(sig);
  if (toHex(r) !== bc.randomness) fail("recorded randomness is not SHA-256 of the signature", "记录的随机数不是签名的 SHA-256");
  return { randomness: r, msg: { en: `quicknet round ${bc.round} verifies; randomness ${toHex(r)}`, zh: `quicknet 第 ${bc.round} 轮校验通过；随机数 ${toHex(r)}` } };
}
function drawState(mine, commitHash, summary) {
  const v = mine.find((i) => i.p.kind === "void");
  const revealed = mine.some((i) => i.p.kind === "reveal");
  if (v) {
    const vd = v.p.body.b;
    if (vd.commit !== commitHash) fail("the void names another commit", "作废条目指向另一个承诺");
    if (blank(vd.reason)) fail("a void must give a reason", "作废必须说明理由");
    const after = mine.find((i) => i.p.seq > v.p.seq && i.p.kind !== "disclosure");
    if (after) fail(`entry seq ${after.p.seq} comes after the draw was voided`, `序号 ${after.p.seq} 的条目出现在抽取作废之后`);
    summary.push({ en: `state: VOIDED at seq ${v.p.seq}: ${vd.reason}`, zh: `状态：已于序号 ${v.p.seq} 作废：${vd.reason}` });
  } else if (revealed) {
    const disclosed = mine.some((i) => i.p.kind === "disclosure");
    summary.push(
      disclosed ? { en: "state: revealed, then disclosed", zh: "状态：已揭示，并已公开" } : { en: "state: revealed, not disclosed", zh: "状态：已揭示，尚未公开" }
    );
  } else {
    summary.push({ en: "state: committed, not revealed (in progress, or abandoned)", zh: "状态：已承诺，未揭示（进行中，或已放弃）" });
  }
}
function orgKey(code, name) {
  const ws = /\p{White_Space}/gu;
  const c = code.replace(ws, "").replace(/[a-z]/g, (x) => x.toUpperCase());
  if (c.length) return `uscc:${c}`;
  const n = name.replace(ws, "").replace(/[\uFF01-\uFF5E]/g, (x) => String.fromCharCode(x.charCodeAt(0) - 65248)).replace(/[A-Z]/g, (x) => x.toLowerCase());
  return `name:${n}`;
}
function disclosureCheck(checks, mine, leaves, indexOf, commit, revealSeq, summary) {
  const discl = mine.filter((i) => i.p.kind === "disclosure");
  if (discl.length === 0) {
    checks.push({ check: "disclosure", outcome: "skipped", en: "nothing disclosed yet: the public record shows tokens only", zh: "尚未公开：公开记录只显示令牌" });
    return;
  }
  try {
    let n = 0;
    const tagKey = hexExact(commit.tag_key, 32);
    const tagDraw = commit.supplements ? commit.supplements.pool_draw : commit.draw;
    for (const it of discl) {
      const d = it.p.body.b;
      const seq = it.p.seq;
      if (revealSeq === null || seq < revealSeq) fail(`disclosure at seq ${seq} comes before the reveal`, `序号 ${seq} 的公开出现在揭示之前`);
      for (let k = 1; k < d.members.length; k++) {
        if (!(d.members[k - 1].token < d.members[k].token)) {
          fail(`disclosure at seq ${seq}: openings are not sorted by token without repeats`, `序号 ${seq} 的公开：身份揭示没有按令牌排序或有重复`);
        }
      }
      for (const o of d.members) {
        const tok = tagged(TAG.member, hexExact(o.salt, 32), lp(utf8(o.expert)), lp(utf8(o.name)), lp(utf8(o.org)), lp(utf8(o.code)));
        if (toHex(tok) !== o.token) fail(`disclosure at seq ${seq}: the opening of ${o.token} does not match its token`, `序号 ${seq} 的公开：${o.token} 的身份揭示与令牌不符`);
        const i = indexOf.get(o.token);
        if (i !== void 0) {
          if (o.id_proof === null || o.org_proof === null) {
            fail(
              `disclosure at seq ${seq}: ${o.token} is in the pool but its opening lacks the proofs of its tags`,
              `序号 ${seq} 的公开：${o.token} 在专家池中，但其身份揭示缺少标签证明`
            );
          }
          const idOut = vrfVerify(tagKey, tagInput(TAG.idTag, tagDraw, o.expert), hexExact(o.id_proof, 80));
          if (!idOut || toHex(idOut.subarray(0, 16)) !== leaves[i].id) {
            fail(
              `disclosure at seq ${seq}: ${o.token}'s identity tag is not proven for expert ${o.expert} (the proof fails, or proves another tag)`,
              `序号 ${seq} 的公开：${o.token} 的身份标签无法证明属于专家 ${o.expert}（证明不通过，或证明的是另一个标签）`
            );
          }
          const key = orgKey(o.code, o.org);
          const orgOut = vrfVerify(tagKey, tagInput(TAG.orgTag, tagDraw, key), hexExact(o.org_proof, 80));
          if (!orgOut || toHex(orgOut.subarray(0, 16)) !== leaves[i].org) {
            fail(
              `disclosure at seq ${seq}: ${o.token}'s organisation tag is not proven for ${key} (the proof fails, or proves another tag: members of one organisation must share one tag)`,
              `序号 ${seq} 的公开：${o.token} 的单位标签无法证明属于 ${key}（证明不通过，或证明的是另一个标签：同一单位的成员必须共用一个标签）`
            );
          }
        } else if (commit.excluded.some((x) => x.token === o.token)) {
          if (o.id_proof !== null || o.org_proof !== null) {
            fail(
              `disclosure at seq ${seq}: ${o.token} is excluded, so has no tags, but its opening carries proofs`,
              `序号 ${seq} 的公开：${o.token} 已被回避、没有标签，但其身份揭示带有证明`
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
      zh: `${n} 个身份揭示与令牌相符；每名专家池成员的身份标签和单位标签都在承诺的标签公钥下得到证明`
    });
  } catch (e) {
    if (!(e instanceof Fail)) throw e;
    checks.push({ check: "disclosure", outcome: "failed", en: e.en, zh: e.zh });
  }
}
function liveAt(applications, seated, state) {
  const sheets = /* @__PURE__ */ new Map();
  let incomplete = null;
  for (const a of [...applications].sort(cmpStr)) {
    for (const s of seated) {
      const st = state.get(pairKey(a, s));
      if (st?.t === "live") sheets.set(st.h, [a, s]);
      else if (st?.t === "reopened") {
        incomplete ??= {
          en: `application ${a}: the sheet of seated member ${short(s)} was reopened and not submitted again`,
          zh: `申报项目 ${a}：在席成员 ${short(s)} 的评分表被退回后没有重新提交`
        };
      } else if (!st) {
        incomplete ??= {
          en: `application ${a}: seated member ${short(s)} has neither a sheet nor a recusal`,
          zh: `申报项目 ${a}：在席成员 ${short(s)} 既没有评分表也没有回避`
        };
      }
    }
  }
  return { sheets, incomplete };
}
var pairKey = (a, s) => `${s}\0${a}`;
function cmpStr(a, b) {
  const x = utf8(a);
  const y = utf8(b);
  const n = Math.min(x.length, y.length);
  for (let i = 0; i < n; i++) if (x[i] !== y[i]) return x[i] - y[i];
  return x.length - y.length;
}
function roundState(items, draw, round, openSeq, sealSeq, open, panel, seats) {
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
        `scoring_open 固定的材料 ${m.sha256} 的类型 ${m.media_type} 不在允许之列`
      );
    }
  }
  const applications = new Set(open.applications);
  const seated = [...panel];
  let head = draw;
  const supplements = /* @__PURE__ */ new Map();
  for (const i of items) {
    if (i.p.body.kind === "commit" && i.p.body.b.supplements) supplements.set(i.p.body.b.draw, i.p.body.b.supplements);
  }
  const pledged = /* @__PURE__ */ new Set();
  const state = /* @__PURE__ */ new Map();
  const reopened = /* @__PURE__ */ new Map();
  let lock = null;
  const lockedRound = open.abnormal_points !== null;
  const whileLocked = (at, zat) => {
    if (lock) fail(`${at} comes while the round's sheets are locked (scoring_lock at seq ${lock.seq})`, `${zat}出现在本轮评分表锁定期间（序号 ${lock.seq} 的 scoring_lock）`);
  };
  for (const it of items) {
    const seq = it.p.seq;
    const body2 = it.p.body;
    let what;
    let app;
    let scorer;
    switch (body2.kind) {
      case "reveal": {
        const r = body2.b;
        const s = supplements.get(r.draw);
        if (!(seq < sealSeq && s && s.draw === head)) continue;
        whileLocked(`the supplementary reveal at seq ${seq}`, `序号 ${seq} 的补抽揭示`);
        if (s.seated.length !== seated.length || s.seated.some((t, k) => t !== seated[k])) {
          fail(
            `the supplementary draw ${r.draw} revealed at seq ${seq} did not carry the panel seated then`,
            `序号 ${seq} 揭示的补抽 ${r.draw} 没有带上当时的在席评审组`
          );
        }
        seated.push(...r.panel);
        head = r.draw;
        continue;
      }
      case "decline": {
        const d = body2.b;
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
        if (body2.b.round !== round) continue;
        if (seq > sealSeq) fail(`screen_override at seq ${seq} comes after the round's seal`, `序号 ${seq} 的 screen_override 出现在本轮封存之后`);
        if (seq > openSeq) {
          whileLocked(`screen_override at seq ${seq}`, `序号 ${seq} 的 screen_override`);
          applications.add(body2.b.application);
        }
        continue;
      }
      case "pledge": {
        const x = body2.b;
        if (x.round !== round) continue;
        const who2 = short(x.scorer);
        if (seq < openSeq) fail(`pledge at seq ${seq} comes before the round's scoring_open`, `序号 ${seq} 的承诺书确认出现在本轮 scoring_open 之前`);
        if (seq > sealSeq) fail(`pledge at seq ${seq} comes after the round's seal`, `序号 ${seq} 的承诺书确认出现在本轮封存之后`);
        if (open.pledge === null) fail(`pledge at seq ${seq}: the round's scoring_open fixed no pledge text`, `序号 ${seq} 的承诺书确认：本轮 scoring_open 没有固定承诺书`);
        if (open.pledge !== x.text) {
          fail(`pledge at seq ${seq}: ${who2} confirmed text ${x.text}, not the pledge ${open.pledge} scoring_open fixed`, `序号 ${seq} 的承诺书确认：${who2} 确认的文本不是 scoring_open 固定的承诺书`);
        }
        if (!seated.includes(x.scorer)) fail(`pledge at seq ${seq}: scorer ${who2} is not on the seated panel`, `序号 ${seq} 的承诺书确认：评分人 ${who2} 不在在席评审组中`);
        if (pledged.has(x.scorer)) fail(`pledge at seq ${seq}: ${who2} has already pledged`, `序号 ${seq} 的承诺书确认：${who2} 已经确认过`);
        pledged.add(x.scorer);
        continue;
      }
      case "sheet_commit": {
        const x = body2.b;
        if (x.round !== round) continue;
        if (open.pledge !== null && !pledged.has(x.scorer)) {
          fail(
            `sheet_commit at seq ${seq}: scorer ${short(x.scorer)} has not confirmed the round's pledge (scoring_open fixed one)`,
            `序号 ${seq} 的 sheet_commit：评分人 ${short(x.scorer)} 尚未确认本轮承诺书`
          );
        }
        [what, app, scorer] = ["sheet_commit", x.application, x.scorer];
        break;
      }
      case "scoring_lock": {
        const x = body2.b;
        if (x.round !== round) continue;
        const at2 = `scoring_lock at seq ${seq}`;
        const zat2 = `序号 ${seq} 的 scoring_lock`;
        if (seq < openSeq || seq > sealSeq) fail(`${at2} lies outside the round's scoring_open and seal`, `${zat2}不在本轮 scoring_open 与封存之间`);
        whileLocked(at2, zat2);
        const sorted = (v) => v.every((h, k) => k === 0 || v[k - 1] < h);
        if (!sorted(x.sheets) || !sorted(x.explain)) fail(`${at2}: its sheets or explain are not sorted, each once`, `${zat2}：其 sheets 或 explain 没有排序或有重复`);
        if (seated.length < seats) {
          fail(
            `${at2} locks a round whose panel has ${seated.length} of its ${seats} seats filled: the empty seats need a supplementary draw first`,
            `${zat2}锁定的轮次评审组只有 ${seated.length} 席在席（共 ${seats} 席）：空缺席位须先补抽`
          );
        }
        const now = liveAt(applications, seated, state);
        if (now.incomplete) fail(`${at2} locks an incomplete round: ${now.incomplete.en}`, `${zat2}锁定了未完成的轮次：${now.incomplete.zh}`);
        const want = [...now.sheets.keys()].sort();
        if (want.length !== x.sheets.length || want.some((h, k) => h !== x.sheets[k])) {
          fail(`${at2}: its sheets are not the live sheets of the seated members`, `${zat2}：其 sheets 不是在席成员的有效评分表`);
        }
        const out = x.explain.find((h) => !now.sheets.has(h));
        if (out) fail(`${at2} asks to explain ${out}, which it does not lock`, `${zat2}要求说明 ${out}，但它并未锁定该评分表`);
        lock = { seq, sheets: now.sheets, explain: new Set(x.explain), explained: /* @__PURE__ */ new Map() };
        continue;
      }
      case "explanation": {
        const x = body2.b;
        if (x.round !== round) continue;
        const at2 = `explanation at seq ${seq}`;
        const zat2 = `序号 ${seq} 的说明`;
        if (seq > sealSeq) fail(`${at2} comes after the round's seal`, `${zat2}出现在本轮封存之后`);
        const l = lock;
        if (!l) return fail(`${at2} comes while the round's sheets are not locked`, `${zat2}出现在本轮评分表未锁定时`);
        if (!l.explain.has(x.sheet)) {
          fail(`${at2} explains sheet ${x.sheet}, which the scoring_lock at seq ${l.seq} did not ask about`, `${zat2}说明的评分表 ${x.sheet} 不是序号 ${l.seq} 的 scoring_lock 要求说明的`);
        }
        const s = l.sheets.get(x.sheet);
        if (!s || s[0] !== x.application || s[1] !== x.scorer) fail(`${at2} names another application or scorer than sheet ${x.sheet}`, `${zat2}写明的申报项目或评分人与评分表 ${x.sheet} 不符`);
        if (l.explained.has(x.sheet)) fail(`${at2}: sheet ${x.sheet} is explained twice`, `${zat2}：评分表 ${x.sheet} 被说明了两次`);
        l.explained.set(x.sheet, x.explanation);
        continue;
      }
      case "scoring_unlock": {
        if (body2.b.round !== round) continue;
        const at2 = `scoring_unlock at seq ${seq}`;
        if (seq > sealSeq) fail(`${at2} comes after the round's seal`, `序号 ${seq} 的 scoring_unlock 出现在本轮封存之后`);
        if (!lock) fail(`${at2} comes while the round's sheets are not locked`, `序号 ${seq} 的 scoring_unlock 出现在本轮评分表未锁定时`);
        lock = null;
        continue;
      }
      case "recusal":
        if (body2.b.round !== round) continue;
        [what, app, scorer] = ["recusal", body2.b.application, body2.b.scorer];
        break;
      case "sheet_reopen":
        if (body2.b.round !== round) continue;
        [what, app, scorer] = ["sheet_reopen", body2.b.application, body2.b.scorer];
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
    let next;
    if (body2.kind === "sheet_commit" && (!st || st.t === "reopened")) next = { t: "live", h: body2.b.sheet };
    else if (body2.kind === "sheet_commit" && st?.t === "live") {
      return fail(`${at}: a second sheet of ${who} for ${app} while the first is not reopened`, `${zat}：${who} 对 ${app} 的第一张评分表未退回就提交了第二张`);
    } else if (st?.t === "recused") return fail(`${at}: ${who} recused from ${app}`, `${zat}：${who} 已对 ${app} 回避`);
    else if (body2.kind === "recusal" && (!st || st.t === "reopened")) next = { t: "recused" };
    else if (body2.kind === "recusal" && st?.t === "live") {
      return fail(`${at}: ${who} has a submitted sheet for ${app}, not reopened`, `${zat}：${who} 对 ${app} 已提交评分表且未退回`);
    } else if (body2.kind === "sheet_reopen" && st?.t === "live" && st.h === body2.b.sheet) {
      reopened.set(body2.b.sheet, seq);
      next = { t: "reopened" };
    } else {
      return fail(`${at} names a sheet that is not the live sheet of ${who} for ${app}`, `${zat}写明的评分表不是 ${who} 对 ${app} 的有效评分表`);
    }
    state.set(key, next);
  }
  const live = liveAt(applications, seated, state);
  return { applications, sheets: live.sheets, incomplete: live.incomplete, reopened, lock };
}
function replacementMessage(r) {
  const body2 = { draw: r.draw, key: r.key.b64, person: r.person, replaces: r.replaces, role: r.role };
  return concat(utf8("fairpanel/v1/key-replace"), new Uint8Array([0]), utf8(JSON.stringify(body2)));
}
function scorerMessage(kind, b) {
  let body2;
  if (kind === "sheet_commit") {
    const x = b;
    body2 = { application: x.application, round: x.round, scorer: x.scorer, sheet: x.sheet };
  } else if (kind === "recusal") {
    const x = b;
    body2 = { application: x.application, round: x.round, scorer: x.scorer };
  } else {
    const x = b;
    body2 = { round: x.round, scorer: x.scorer, text: x.text };
  }
  return concat(utf8(`fairpanel/v1/${kind === "sheet_commit" ? "sheet" : kind}-sig`), new Uint8Array([0]), utf8(JSON.stringify(body2)));
}
function checkScorerSignatures(items, draw, s) {
  const rounds = items.filter((i) => i.p.body.kind === "scoring_open" && i.p.body.b.draw === draw).map((i) => i.p.body.b.round);
  let signed = 0;
  for (const i of items) {
    const kind = i.p.body.kind;
    if (kind !== "sheet_commit" && kind !== "recusal" && kind !== "pledge") continue;
    const x = i.p.body.b;
    if (!rounds.includes(x.round)) continue;
    const seq = i.p.seq;
    const at = `${kind} at seq ${seq}`;
    const atZh = `序号 ${seq} 的 ${kind}`;
    const a = x.signature;
    if (s.personalKeys) {
      if (!a) fail(`${at} is not signed by its scorer, but the draw's commit requires personal keys`, `${atZh} 没有评审专家本人的签名，但本抽取的承诺要求个人密钥签名`);
      const kid = keyId(a.key.bytes);
      if (s.isLogKey(a.key.bytes)) {
        fail(`${at} is signed by the log's own key ${kid}: the operator cannot score in an expert's name`, `${atZh} 由日志自己的密钥 ${kid} 签名：运营方不能以专家的名义评分`);
      }
      const r = s.registered.find((g) => eq(g.key, a.key.bytes) && g.seq < seq);
      if (!r) fail(`${at} is signed by key ${kid}, which no earlier key_registration of the draw registers`, `${atZh} 由密钥 ${kid} 签名，但本次抽取此前没有登记这把密钥`);
      if (r.until !== null && r.until < seq) fail(`${at} is signed by key ${kid}, which was replaced at seq ${r.until}`, `${atZh} 由密钥 ${kid} 签名，但这把密钥已在序号 ${r.until} 被替换`);
      if (r.role !== "expert") fail(`${at} is signed by key ${kid}, registered at seq ${r.seq} to a ${r.role}, not an expert`, `${atZh} 由密钥 ${kid} 签名，它在序号 ${r.seq} 登记给了监督员，而不是专家`);
      if (r.person !== x.scorer) {
        fail(
          `${at} is signed by key ${kid}, registered at seq ${r.seq} to another expert, not to scorer ${short(x.scorer)}`,
          `${atZh} 由密钥 ${kid} 签名，它在序号 ${r.seq} 登记给了另一位专家，而不是评审专家 ${short(x.scorer)}`
        );
      }
    }
    if (a) {
      const sig = b64decode(a.sig);
      if (!sig) fail(`${at}: the scorer's signature is not base64`, `${atZh}：评审专家的签名不是 base64`);
      if (sig.length !== 64) fail(`${at}: scorer's an Ed25519 signature is 64 bytes, not ${sig.length}`, `${atZh}：评审专家的签名不是 64 字节`);
      if (!edVerifyStrict(a.key.bytes, scorerMessage(kind, x), sig)) fail(`${at}: scorer's signature does not verify`, `${atZh}：评审专家的签名验证不通过`);
      signed++;
    }
  }
  return signed;
}
function checkScoring(b, items, panel, seats, signers) {
  if (b.rubric === null && b.sheets.length === 0) {
    try {
      checkScorerSignatures(items, b.draw, signers);
    } catch (e) {
      if (!(e instanceof Fail)) throw e;
      return () => fail(e.en, e.zh);
    }
    const disclosed = items.some((i) => i.p.kind === "disclosure" && i.p.draw === b.draw);
    const rounds = items.filter((i) => i.p.body.kind === "scoring_open" && i.p.body.b.draw === b.draw).map((i) => i.p.body.b.round);
    const sealed = items.find((i) => i.p.body.kind === "seal" && rounds.includes(i.p.body.b.round));
    if (disclosed && sealed) {
      const seq = sealed.p.seq;
      return () => fail(
        `the draw is disclosed and its round was sealed at seq ${seq}, but the bundle carries no rubric and no sheets: the sealed result cannot be recomputed`,
        `本抽取已公开，其轮次已在序号 ${seq} 封存，但证据包没有评分标准和评分表：无法重算封存的结果`
      );
    }
    return null;
  }
  return () => {
    const nSigned = checkScorerSignatures(items, b.draw, signers);
    const signedEn = nSigned > 0 ? `; ${nSigned} sheet_commit, recusal and pledge entries signed by their scorers' own keys` : "";
    const signedZh = nSigned > 0 ? `；${nSigned} 个 sheet_commit、recusal 和 pledge 条目有评审专家本人密钥的签名` : "";
    const opens = items.filter((i) => i.p.body.kind === "scoring_open" && i.p.body.b.draw === b.draw);
    if (opens.length !== 1) {
      fail(`the bundle has sheets but ${opens.length} scoring_open entries for this draw (one is needed)`, `证据包有评分表，但本抽取有 ${opens.length} 个 scoring_open 条目（需要恰好一个）`);
    }
    const openSeq = opens[0].p.seq;
    const open = opens[0].p.body.b;
    const round = open.round;
    const seals = items.filter((i) => i.p.body.kind === "seal" && i.p.body.b.round === round);
    if (!seals.length) fail(`no seal of round ${round} in the bundle`, `证据包中没有轮次 ${round} 的封存`);
    const sealItem = seals[seals.length - 1];
    const sealSeq = sealItem.p.seq;
    const seal = sealItem.p.body.b;
    if (seal.quota !== open.quota || seal.already_recommended !== open.already_recommended) {
      fail(
        `the seal's quota ${seal.quota} with ${seal.already_recommended} already recommended is not the quota scoring_open fixed before any score (${open.quota} with ${open.already_recommended})`,
        `封存的名额 ${seal.quota}（已推荐 ${seal.already_recommended}）不是 scoring_open 在评分前固定的名额（${open.quota}，已推荐 ${open.already_recommended}）`
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
      return fail(`the rubric does not parse: ${e.message}`, `评分标准无法解析：${e.message}`);
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
        if (r !== void 0) fail(`the seal counts sheet ${h}, which was reopened at seq ${r} and not submitted again`, `封存计入了评分表 ${h}，但它已在序号 ${r} 被退回且未重新提交`);
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
        const [app, scorer] = live.sheets.get(h);
        fail(
          `the seal leaves out the sheet of ${short(scorer)} for application ${app} (hash ${h}), the last one committed by a seated panel member`,
          `封存漏掉了 ${short(scorer)} 对申报项目 ${app} 的评分表（哈希 ${h}），那是在席评审组成员最后提交的一张`
        );
      }
    }
    if (live.incomplete) fail(`at the seal, ${live.incomplete.en}`, `封存时，${live.incomplete.zh}`);
    let limit;
    try {
      limit = abnormalLimit(open.abnormal_points);
    } catch (e) {
      return fail(e.message, `scoring_open 的 abnormal_points 无效：${e.message}`);
    }
    if (open.abnormal_points !== null && !live.lock) {
      fail(
        `the seal of round ${round} comes while its sheets are not locked (protocol 1.2 needs a scoring_lock before the seal)`,
        `轮次 ${round} 的封存出现在其评分表未锁定时（协议 1.2 要求封存前有 scoring_lock）`
      );
    }
    const explainedText = /* @__PURE__ */ new Map();
    const l = live.lock;
    if (l) {
      const missing = [...l.explain].sort().find((h) => !l.explained.has(h));
      if (missing) {
        fail(
          `sheet ${missing} was asked for an explanation by the scoring_lock at seq ${l.seq} and none was given before the seal`,
          `序号 ${l.seq} 的 scoring_lock 要求评分表 ${missing} 作出说明，但封存前没有给出`
        );
      }
      const wanted = /* @__PURE__ */ new Map();
      for (const [s, e] of l.explained) wanted.set(e, s);
      b.explanations.forEach((n, k) => {
        const raw = b.bytes.subarray(n.s, n.e);
        let rec2;
        try {
          rec2 = parseExplanation(raw, parseJson(raw), k);
        } catch (e) {
          return fail(e.message, `说明 ${k} 无法解析或不是规范形式`);
        }
        const h = toHex(tagged(TAG.explanation, raw));
        const s = l.sheets.get(rec2.sheet);
        if (wanted.get(h) !== rec2.sheet || rec2.round !== round || !s || s[0] !== rec2.application || s[1] !== rec2.scorer) {
          fail(`explanation ${k} (hash ${h}) is not an explanation entry of the round's last lock`, `说明 ${k}（哈希 ${h}）不是本轮最后一次锁定的说明条目`);
        }
        if (blank(rec2.explanation)) fail(`explanation ${k} is blank`, `说明 ${k} 为空`);
        if (explainedText.has(rec2.sheet)) fail(`explanation ${k} is given twice`, `说明 ${k} 给出了两次`);
        explainedText.set(rec2.sheet, rec2.explanation);
      });
      for (const s of [...l.explained.keys()].sort()) {
        if (!explainedText.has(s)) fail(`the bundle leaves out the explanation of sheet ${s}`, `证据包漏掉了评分表 ${s} 的说明`);
      }
    } else if (b.explanations.length) {
      fail("the bundle has explanations but the round's sheets are not locked at the seal", "证据包有说明，但封存时本轮评分表未锁定");
    }
    const seen = /* @__PURE__ */ new Set();
    const byApp = /* @__PURE__ */ new Map();
    b.sheets.forEach((n, k) => {
      const raw = b.bytes.subarray(n.s, n.e);
      let sheet;
      try {
        sheet = parseSheet(raw, parseJson(raw), k);
      } catch (e) {
        return fail(e.message, `评分表 ${k} 无法解析或不是规范形式`);
      }
      const h = toHex(tagged(TAG.sheet, raw));
      if (sheet.round !== round || sheet.rubric !== rh) fail(`sheet ${k} names another round or rubric`, `评分表 ${k} 写明的是另一个轮次或评分标准`);
      const s = live.sheets.get(h);
      if (!s || s[0] !== sheet.application || s[1] !== sheet.scorer) {
        fail(
          `sheet ${k} (${sheet.application} by ${short(sheet.scorer)}) is not the sheet committed in the log (hash ${h})`,
          `评分表 ${k}（${short(sheet.scorer)} 对 ${sheet.application} 的评分）不是日志中提交的那一张（哈希 ${h}）`
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
      const want = /* @__PURE__ */ new Set();
      for (const app of apps) {
        const r = unexplained(rubric, byApp.get(app), limit);
        if (r.length && Array.isArray(r[0])) fail(`application ${app}: ${r[0].join("; ")}`, `申报项目 ${app}：评分表无效`);
        for (const h of r) want.add(h);
      }
      if (want.size !== l.explain.size || [...want].some((h) => !l.explain.has(h))) {
        fail(
          `the scoring_lock at seq ${l.seq} asks to explain ${l.explain.size} sheet(s); the abnormal totals without an explanation are ${want.size}`,
          `序号 ${l.seq} 的 scoring_lock 要求说明 ${l.explain.size} 张评分表；而没有说明的异常总分有 ${want.size} 张`
        );
      }
    }
    for (const list of byApp.values()) for (const s of list) s.explanation = explainedText.get(s.hash) ?? s.sheet.explanation;
    if (seen.size !== seal.sheets.length) fail(`the seal fixes ${seal.sheets.length} sheets, the bundle has ${seen.size}`, `封存固定了 ${seal.sheets.length} 张评分表，证据包中有 ${seen.size} 张`);
    const aggs = [];
    for (const app of apps) {
      const a = aggregateSheets(rubric, app, byApp.get(app), limit);
      if (Array.isArray(a)) fail(`application ${app}: ${a.join("; ")}`, `申报项目 ${app}：${a.join("；")}`);
      aggs.push(a);
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
          `封存的第 ${s.rank} 名（${s.application} ${s.final_score}）不能由评分表得出：第 ${k + 1} 名应是 ${a.application} ${fs}`
        );
      }
    });
    const notices = checkNotices(items, round, sealSeq, seal);
    return {
      en: `round ${round}: ${seen.size} sheets of ${byApp.size} applications are the committed and sealed ones; final scores (${seal.rule}), ranking and ${rec.size} recommendation(s) within a quota of ${seal.quota} follow from them${notices.en}${signedEn}`,
      zh: `轮次 ${round}：${byApp.size} 个申报项目的 ${seen.size} 张评分表就是已提交并封存的那些；最终得分（${seal.rule}）、排名和名额 ${seal.quota} 内的 ${rec.size} 个推荐都由它们得出${notices.zh}${signedZh}`
    };
  };
}
function checkNotices(items, round, sealSeq, seal) {
  const dateOk = (d) => {
    if (!/^[0-9]{4}-[0-9]{2}-[0-9]{2}$/.test(d)) return false;
    const m = Number(d.slice(5, 7));
    const day = Number(d.slice(8, 10));
    return m >= 1 && m <= 12 && day >= 1 && day <= 31;
  };
  let open = null;
  let notices = 0;
  let closes = 0;
  const withdrawn = /* @__PURE__ */ new Set();
  for (const i of items) {
    const seq = i.p.seq;
    const body2 = i.p.body;
    if (body2.kind === "notice" && body2.b.round === round) {
      const n = body2.b;
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
    } else if (body2.kind === "notice_close" && body2.b.round === round) {
      const x = body2.b;
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
    } else if (body2.kind === "withdrawal" && body2.b.round === round) {
      const x = body2.b;
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
    zh: `；封存后公示 ${notices} 次，结束 ${closes} 次且数目相符，撤销推荐 ${withdrawn.size} 个`
  };
}
function cosignerKeyId(name, key) {
  return sha256(concat(utf8(name), new Uint8Array([10, 4]), key)).subarray(0, 4);
}
function cosigned(text, checks, witnesses, out = []) {
  const c = checks.find((x) => x.check === "checkpoint" && x.outcome === "passed");
  if (!c) return;
  const cut = text.indexOf("\n\n");
  const body2 = utf8(text.slice(0, cut + 1));
  const lines = [];
  for (const line of text.slice(cut + 2).split("\n")) {
    if (!line.startsWith("— ")) continue;
    const rest = line.slice(2);
    const sp = rest.lastIndexOf(" ");
    const name = rest.slice(0, sp);
    const raw = b64decode(rest.slice(sp + 1));
    if (sp < 0 || !raw || raw.length !== 76 || !nameOk(name)) continue;
    let time = 0n;
    for (const x of raw.subarray(4, 12)) time = time << 8n | BigInt(x);
    lines.push({ name, id: raw.subarray(0, 4), time, sig: raw.subarray(12) });
  }
  for (const l of lines) {
    c.en += `; cosignature line by ${l.name} (key ID ${toHex(l.id)})`;
    c.zh += `；${l.name} 的联署签名行（密钥 ID ${toHex(l.id)}）`;
    out.push({ name: l.name, keyId: toHex(l.id), time: l.time.toString() });
  }
  for (const w of witnesses) {
    const id = cosignerKeyId(w.name, w.key);
    let newest = null;
    for (const l of lines) {
      if (l.name !== w.name || !eq(l.id, id)) continue;
      let ok = l.time <= 2n ** 63n - 1n;
      if (!ok) {
        c.outcome = "failed";
        c.en = `the cosignature of ${w.name} has a time beyond 2^63 - 1`;
        c.zh = `见证方 ${w.name} 的联署签名时间超过 2^63 - 1`;
        return;
      }
      const msg = concat(utf8(`cosignature/v1
time ${l.time}
`), body2);
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
export {
  CHECKS,
  FORMAT,
  LIMITS,
  verify,
  wasmSha256
};
