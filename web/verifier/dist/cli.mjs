#!/usr/bin/env node

// src/cli.ts
import { existsSync, readFileSync } from "node:fs";
import * as nodeCrypto from "node:crypto";
import { verify } from "./verifier.mjs";
var oneShot = nodeCrypto.hash;
var nodeSha256 = (d) => oneShot ? oneShot("sha256", d, "latin1") : nodeCrypto.createHash("sha256").update(d).digest("binary");
function main(argv) {
  let path = null;
  let key = null;
  const witnesses = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--key") key = argv[++i] ?? null;
    else if (a.startsWith("--key=")) key = a.slice(6);
    else if (a === "--witness") witnesses.push(argv[++i] ?? "");
    else if (a.startsWith("--witness=")) witnesses.push(a.slice(10));
    else if (path === null && !a.startsWith("--")) path = a;
    else {
      process.stderr.write(`error: unexpected argument ${a}
usage: cli.mjs BUNDLE [--key KEY] [--witness NAME=KEY]...
`);
      return 2;
    }
  }
  if (path === null) {
    process.stderr.write("usage: cli.mjs BUNDLE [--key KEY] [--witness NAME=KEY]...\n");
    return 2;
  }
  let bytes;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    process.stderr.write(`error: read ${path}: ${e.message}
`);
    return 2;
  }
  if (key !== null && existsSync(key)) key = readFileSync(key, "utf8");
  const r = verify(bytes, { key, witnesses, sha256Latin1: nodeSha256 });
  if (r.exit === 2) {
    for (const l of r.lines) process.stderr.write(`error: ${path}: ${l.en}
`);
    return 2;
  }
  const out = [`fairpanel verify ${path}`, ...r.lines.map((l) => l.text)];
  process.stdout.write(out.join("\n") + "\n");
  return r.exit;
}
process.exitCode = main(process.argv.slice(2));
