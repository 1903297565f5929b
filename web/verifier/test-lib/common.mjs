// Shared by the verifier's tests: paths, the vectors, and running the Rust
// verifier (`fairpanel verify`) for the agreement tests.
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const here = dirname(fileURLToPath(import.meta.url));
export const root = join(here, "../../..");
export const vectorsDir = join(root, "tests/vectors");
export const dist = join(here, "../dist");
export const cli = join(dist, "cli.mjs");

export const index = () => JSON.parse(readFileSync(join(vectorsDir, "index.json"), "utf8"));
export const vector = (f) => readFileSync(join(vectorsDir, f));
export const pin = (f) => readFileSync(join(vectorsDir, f), "utf8");

/**
 * The Rust `fairpanel` binary, from FAIRPANEL_BIN (the Rust test harness sets
 * it). Without it the agreement tests cannot run: under CI=true that fails,
 * elsewhere the test is skipped and says why.
 */
export function fairpanelBin(t) {
  const bin = process.env.FAIRPANEL_BIN;
  if (bin) return bin;
  if (process.env.CI === "true") throw new Error("FAIRPANEL_BIN is not set: under CI the agreement tests must run (cargo test runs them with it)");
  t.skip("FAIRPANEL_BIN is not set: run through `cargo test` (tests/it/tsverifier.rs), or set it to a built fairpanel binary");
  return null;
}

/** Runs `fairpanel verify FILE [--key KEYFILE]`: its exit status and, per check, its outcome. */
export function rustVerify(bin, file, keyFile) {
  const args = ["verify", file];
  if (keyFile) args.push("--key", keyFile);
  const r = spawnSync(bin, args, { encoding: "utf8", maxBuffer: 1 << 28 });
  return { exit: r.status, stdout: r.stdout, stderr: r.stderr, ...parseReport(r.stdout) };
}

/** The per-check outcomes and the first failing check of a report's text. */
export function parseReport(text) {
  const checks = {};
  for (const line of text.split("\n")) {
    const m = /^  ([a-z]+) +(passed|FAILED|skipped) /.exec(line);
    if (m) checks[m[1]] = m[2] === "FAILED" ? "failed" : m[2];
  }
  const f = /^FAILED: first failing check is ([a-z]+): /m.exec(text);
  return { checks, first: f ? f[1] : null };
}

/** A small seeded generator (mulberry32), so that every run mutates alike. */
export function rng(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (n) => Math.floor(next() * n),
    pick: (xs) => xs[Math.floor(next() * xs.length)],
  };
}
