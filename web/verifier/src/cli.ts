// `node web/verifier/dist/cli.mjs BUNDLE [--key KEY] [--witness NAME=KEY]...`: the same report and exit
// status as `fairpanel verify` (0 passed, 1 a check failed, 2 not a bundle).
import { existsSync, readFileSync } from "node:fs";
import * as nodeCrypto from "node:crypto";
import { verify } from "./index.js";

/** Node's SHA-256 (OpenSSL), one-shot where this Node has it, as latin1 (no buffer per hash). */
const oneShot = (nodeCrypto as unknown as { hash?: (alg: string, data: Uint8Array, enc: "latin1") => string }).hash;
const nodeSha256 = (d: Uint8Array): string => (oneShot ? oneShot("sha256", d, "latin1") : nodeCrypto.createHash("sha256").update(d).digest("binary"));

function main(argv: string[]): number {
  let path: string | null = null;
  let key: string | null = null;
  const witnesses: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--key") key = argv[++i] ?? null;
    else if (a.startsWith("--key=")) key = a.slice(6);
    else if (a === "--witness") witnesses.push(argv[++i] ?? "");
    else if (a.startsWith("--witness=")) witnesses.push(a.slice(10));
    else if (path === null && !a.startsWith("--")) path = a;
    else {
      process.stderr.write(`error: unexpected argument ${a}\nusage: cli.mjs BUNDLE [--key KEY] [--witness NAME=KEY]...\n`);
      return 2;
    }
  }
  if (path === null) {
    process.stderr.write("usage: cli.mjs BUNDLE [--key KEY] [--witness NAME=KEY]...\n");
    return 2;
  }
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    process.stderr.write(`error: read ${path}: ${(e as Error).message}\n`);
    return 2;
  }
  if (key !== null && existsSync(key)) key = readFileSync(key, "utf8");
  const r = verify(bytes, { key, witnesses, sha256Latin1: nodeSha256 });
  if (r.exit === 2) {
    for (const l of r.lines) process.stderr.write(`error: ${path}: ${l.en}\n`);
    return 2;
  }
  const out = [`fairpanel verify ${path}`, ...r.lines.map((l) => l.text)];
  process.stdout.write(out.join("\n") + "\n");
  return r.exit;
}

process.exitCode = main(process.argv.slice(2));
