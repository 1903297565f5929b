// A strict JSON reader over bytes that keeps, for every value, the span of its
// exact bytes: the protocol hashes and signs records as the bytes that travel
// in the bundle, so a verifier must read each record's raw text, never a
// re-encoded copy (docs/PROTOCOL.md, "The bundle").

export type JNode =
  | { t: "obj"; s: number; e: number; keys: string[]; vals: JNode[]; dup: boolean }
  | { t: "arr"; s: number; e: number; items: JNode[] }
  | { t: "str"; s: number; e: number; v: string; lone: boolean }
  | { t: "num"; s: number; e: number; raw: string }
  | { t: "bool"; s: number; e: number; v: boolean }
  | { t: "null"; s: number; e: number }
  /** A value read for its span only (see `parseJson`'s `skim`); `first` is its first byte. */
  | { t: "raw"; s: number; e: number; first: number };

export class JsonError extends Error {}

/** Containers may nest at most this deep (the same limit as the reference's reader). */
export const MAX_DEPTH = 127;

const decoder = new TextDecoder("utf-8", { fatal: true });

/**
 * Where the reader only checks a value's syntax and keeps its span, without
 * building its tree (a 100,000-leaf pool would otherwise cost a node per
 * field): `skim(depth, key)` is asked for each member of an object at `depth`
 * (the top value is at depth 1); "value" skims the member's value, "items"
 * the elements of the array it holds.
 */
export type Skim = (depth: number, key: string) => "value" | "items" | null;

/** Parses `b` (the whole input) as one JSON value, with white space around it. */
export function parseJson(b: Uint8Array, skim: Skim | null = null): JNode {
  // Bytes of 0x80 and above can only stand inside strings; the string readers
  // check each run of them as UTF-8.
  const p = new Parser(b, skim);
  p.ws();
  const v = p.value(0);
  p.ws();
  if (p.i !== b.length) throw new JsonError(`trailing characters at byte ${p.i}`);
  return v;
}

class Parser {
  i = 0;
  constructor(
    readonly b: Uint8Array,
    readonly skim: Skim | null,
  ) {}

  /** Checks the syntax of one value at nesting `depth` and returns its span only. */
  skimValue(depth: number): JNode {
    const b = this.b;
    const s = this.i;
    const first = b[s];
    const stack: number[] = []; // the closing bracket each open container waits for
    for (;;) {
      this.ws();
      if (this.i >= b.length) this.err("unexpected end of input");
      const c = b[this.i];
      if (c === 0x7b || c === 0x5b) {
        if (depth + stack.length + 1 > MAX_DEPTH) this.err("recursion limit exceeded");
        this.i++;
        this.ws();
        const close = c === 0x7b ? 0x7d : 0x5d;
        if (b[this.i] === close) this.i++;
        else {
          stack.push(close);
          if (c === 0x7b) this.key();
          continue;
        }
      } else if (c === 0x22) this.skipString();
      else if (c === 0x2d || (c >= 0x30 && c <= 0x39)) this.number();
      else if (!(this.lit("true") || this.lit("false") || this.lit("null"))) this.err("expected a value");
      // A value is complete: a separator, or the ends of containers.
      for (;;) {
        if (stack.length === 0) return { t: "raw", s, e: this.i, first };
        this.ws();
        const x = b[this.i];
        const top = stack[stack.length - 1];
        if (x === 0x2c) {
          this.i++;
          if (top === 0x7d) this.key();
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
  utf8Run(i: number): number {
    const b = this.b;
    let e = i;
    while (e < b.length && b[e] >= 0x80) e++;
    try {
      decoder.decode(b.subarray(i, e));
    } catch {
      this.i = i;
      this.err("invalid UTF-8");
    }
    return e;
  }

  key(): void {
    this.ws();
    if (this.b[this.i] !== 0x22) this.err("expected a key");
    this.skipString();
    this.ws();
    if (this.b[this.i] !== 0x3a) this.err("expected ':'");
    this.i++;
  }

  skipString(): void {
    const b = this.b;
    let i = this.i + 1;
    for (;;) {
      if (i >= b.length) {
        this.i = i;
        this.err("unterminated string");
      }
      const c = b[i];
      if (c === 0x22) break;
      if (c < 0x20) {
        this.i = i;
        this.err("control character in a string");
      }
      if (c >= 0x80) {
        i = this.utf8Run(i);
        continue;
      }
      if (c === 0x5c) {
        const x = b[i + 1];
        if (x === 0x75) {
          this.hex4(i + 2);
          i += 6;
        } else if (x === 0x22 || x === 0x5c || x === 0x2f || x === 0x62 || x === 0x66 || x === 0x6e || x === 0x72 || x === 0x74) i += 2;
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

  ws(): void {
    const b = this.b;
    let i = this.i;
    while (i < b.length) {
      const c = b[i];
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) i++;
      else break;
    }
    this.i = i;
  }

  err(m: string): never {
    throw new JsonError(`${m} at byte ${this.i}`);
  }

  value(depth: number): JNode {
    const b = this.b;
    if (this.i >= b.length) this.err("unexpected end of input");
    const c = b[this.i];
    if (c === 0x7b) return this.object(depth + 1);
    if (c === 0x5b) return this.array(depth + 1);
    if (c === 0x22) return this.string();
    if (c === 0x2d || (c >= 0x30 && c <= 0x39)) return this.number();
    const s = this.i;
    if (this.lit("true")) return { t: "bool", s, e: this.i, v: true };
    if (this.lit("false")) return { t: "bool", s, e: this.i, v: false };
    if (this.lit("null")) return { t: "null", s, e: this.i };
    return this.err("expected a value");
  }

  lit(w: string): boolean {
    const b = this.b;
    for (let k = 0; k < w.length; k++) if (b[this.i + k] !== w.charCodeAt(k)) return false;
    this.i += w.length;
    return true;
  }

  object(depth: number): JNode {
    if (depth > MAX_DEPTH) this.err("recursion limit exceeded");
    const s = this.i++;
    const keys: string[] = [];
    const vals: JNode[] = [];
    let dup = false;
    let seen: Set<string> | null = null;
    this.ws();
    if (this.b[this.i] === 0x7d) {
      this.i++;
      return { t: "obj", s, e: this.i, keys, vals, dup };
    }
    for (;;) {
      this.ws();
      if (this.b[this.i] !== 0x22) this.err("expected a key");
      const k = this.string();
      this.ws();
      if (this.b[this.i] !== 0x3a) this.err("expected ':'");
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
      if (c === 0x2c) {
        this.i++;
        continue;
      }
      if (c === 0x7d) {
        this.i++;
        return { t: "obj", s, e: this.i, keys, vals, dup };
      }
      this.err("expected ',' or '}'");
    }
  }

  array(depth: number, skimItems = false): JNode {
    if (depth > MAX_DEPTH) this.err("recursion limit exceeded");
    if (this.b[this.i] !== 0x5b) return skimItems ? this.value(depth - 1) : this.err("expected '['");
    const s = this.i++;
    const items: JNode[] = [];
    this.ws();
    if (this.b[this.i] === 0x5d) {
      this.i++;
      return { t: "arr", s, e: this.i, items };
    }
    for (;;) {
      this.ws();
      items.push(skimItems ? this.skimValue(depth) : this.value(depth));
      this.ws();
      const c = this.b[this.i];
      if (c === 0x2c) {
        this.i++;
        continue;
      }
      if (c === 0x5d) {
        this.i++;
        return { t: "arr", s, e: this.i, items };
      }
      this.err("expected ',' or ']'");
    }
  }

  number(): JNode {
    const b = this.b;
    const s = this.i;
    let i = s;
    if (b[i] === 0x2d) i++;
    if (b[i] === 0x30) i++;
    else if (b[i] >= 0x31 && b[i] <= 0x39) while (b[i] >= 0x30 && b[i] <= 0x39) i++;
    else {
      this.i = i;
      this.err("invalid number");
    }
    if (b[i] === 0x2e) {
      i++;
      if (!(b[i] >= 0x30 && b[i] <= 0x39)) {
        this.i = i;
        this.err("invalid number");
      }
      while (b[i] >= 0x30 && b[i] <= 0x39) i++;
    }
    if (b[i] === 0x65 || b[i] === 0x45) {
      i++;
      if (b[i] === 0x2b || b[i] === 0x2d) i++;
      if (!(b[i] >= 0x30 && b[i] <= 0x39)) {
        this.i = i;
        this.err("invalid number");
      }
      while (b[i] >= 0x30 && b[i] <= 0x39) i++;
    }
    this.i = i;
    let raw = "";
    for (let k = s; k < i; k++) raw += String.fromCharCode(b[k]);
    return { t: "num", s, e: i, raw };
  }

  string(): JNode & { t: "str" } {
    const b = this.b;
    const s = this.i;
    let i = s + 1;
    // Fast path: printable ASCII without escapes.
    let ascii = true;
    for (;;) {
      if (i >= b.length) {
        this.i = i;
        this.err("unterminated string");
      }
      const c = b[i];
      if (c === 0x22) break;
      if (c === 0x5c || c >= 0x80) {
        ascii = false;
        break;
      }
      if (c < 0x20) {
        this.i = i;
        this.err("control character in a string");
      }
      i++;
    }
    if (ascii) {
      let v = "";
      for (let k = s + 1; k < i; k++) v += String.fromCharCode(b[k]);
      this.i = i + 1;
      return { t: "str", s, e: this.i, v, lone: false };
    }
    // General path.
    const parts: string[] = [];
    let run = s + 1;
    let lone = false;
    i = s + 1;
    for (;;) {
      if (i >= b.length) {
        this.i = i;
        this.err("unterminated string");
      }
      const c = b[i];
      if (c === 0x22) break;
      if (c < 0x20) {
        this.i = i;
        this.err("control character in a string");
      }
      if (c >= 0x80) {
        i = this.utf8Run(i);
        continue;
      }
      if (c !== 0x5c) {
        i++;
        continue;
      }
      if (run < i) parts.push(decoder.decode(b.subarray(run, i)));
      const x = b[i + 1];
      i += 2;
      switch (x) {
        case 0x22: parts.push('"'); break;
        case 0x5c: parts.push("\\"); break;
        case 0x2f: parts.push("/"); break;
        case 0x62: parts.push("\b"); break;
        case 0x66: parts.push("\f"); break;
        case 0x6e: parts.push("\n"); break;
        case 0x72: parts.push("\r"); break;
        case 0x74: parts.push("\t"); break;
        case 0x75: {
          const h = this.hex4(i);
          i += 4;
          if (h >= 0xd800 && h <= 0xdbff) {
            // A high surrogate must be followed by \u and a low one.
            if (b[i] === 0x5c && b[i + 1] === 0x75) {
              const l = this.hex4(i + 2);
              if (l >= 0xdc00 && l <= 0xdfff) {
                parts.push(String.fromCharCode(h, l));
                i += 6;
                break;
              }
            }
            lone = true;
            parts.push(String.fromCharCode(h));
          } else {
            if (h >= 0xdc00 && h <= 0xdfff) lone = true;
            parts.push(String.fromCharCode(h));
          }
          break;
        }
        default:
          this.i = i - 1;
          this.err("invalid escape");
      }
      run = i;
    }
    if (run < i) parts.push(decoder.decode(b.subarray(run, i)));
    this.i = i + 1;
    return { t: "str", s, e: this.i, v: parts.join(""), lone };
  }

  hex4(at: number): number {
    let v = 0;
    for (let k = 0; k < 4; k++) {
      const c = this.b[at + k];
      let d: number;
      if (c >= 0x30 && c <= 0x39) d = c - 0x30;
      else if (c >= 0x61 && c <= 0x66) d = c - 0x57;
      else if (c >= 0x41 && c <= 0x46) d = c - 0x37;
      else {
        this.i = at + k;
        return this.err("invalid \\u escape");
      }
      v = v * 16 + d;
    }
    return v;
  }
}

/** The value of an object member, or undefined. With duplicate keys the last wins. */
export function member(o: JNode, k: string): JNode | undefined {
  if (o.t !== "obj") return undefined;
  for (let i = o.keys.length - 1; i >= 0; i--) if (o.keys[i] === k) return o.vals[i];
  return undefined;
}
