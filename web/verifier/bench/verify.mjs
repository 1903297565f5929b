// Benchmark: the browser verifier against the Rust one on the same bundle of a
// 100,000-member pool (issue 10: at most 5× `fairpanel verify`).
//
//   cargo run --release -p fairpanel-core --example big-bundle -- /var/tmp/fp-bench
//   cargo build --release -p fairpanel-core --example time_verify
//   cargo build --release --bin fairpanel
//   npm run bench:verifier [-- BUNDLE...]
//
// For each bundle given (default: the big-bundle example's two), REPEATS times
// (default 3; the machine is shared, so each ratio is taken within one round):
// - `fairpanel verify BUNDLE --key KEY` (release; FAIRPANEL_BIN, default the
//   target dir's release/fairpanel) as a whole process, the reference;
// - `time_verify` (release `verify_bundle` in one process, warm;
//   FAIRPANEL_TIME_VERIFY, default the target dir's) when it is built;
// - `node web/verifier/dist/cli.mjs BUNDLE --key KEY` as a whole process (Node's SHA-256);
// - the library in this process, warm, with Node's SHA-256 and with hash-wasm's;
// - headless Chromium (chromium.mjs): a fresh Web Worker per run, as the verify
//   page does, with hash-wasm's SHA-256 and with @noble/hashes (the default);
//   CHROMIUM=0 leaves it out.
// Each figure is a median of several runs; the ratios are TypeScript / Rust, and
// the closing summary gives each ratio's min and median over the rounds.
import { spawnSync } from "node:child_process";
import * as nodeCrypto from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { verify, wasmSha256 } from "../dist/verifier.mjs";
import { chromedriverBin, chromiumTimes } from "./chromium.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "../../..");
const target = process.env.CARGO_TARGET_DIR ?? join(root, "target");
const timeVerify = process.env.FAIRPANEL_TIME_VERIFY ?? join(target, "release/examples/time_verify");
const fairpanel = process.env.FAIRPANEL_BIN ?? join(target, "release/fairpanel");
const files = process.argv.slice(2);
if (!files.length) files.push("/var/tmp/fp-bench/plain-100000.json", "/var/tmp/fp-bench/constrained-100000.json");
const RUNS = Number(process.env.RUNS ?? 5);
const REPEATS = Number(process.env.REPEATS ?? 3);
const chromium = process.env.CHROMIUM !== "0" && chromedriverBin() !== null;

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ms = (x) => `${x.toFixed(0).padStart(6)} ms`;
const nodeSha256 = (d) => nodeCrypto.hash("sha256", d, "latin1");
const wasm = await wasmSha256();

function wall(cmd, args) {
  const t = performance.now();
  const o = spawnSync(cmd, args, { encoding: "utf8", maxBuffer: 1 << 28 });
  const dt = performance.now() - t;
  if (o.status !== 0) throw new Error(`${cmd} ${args.join(" ")} exited ${o.status}: ${o.stderr}`);
  return { dt, out: o.stdout };
}

const haveCli = existsSync(fairpanel);
if (!haveCli) console.log(`(${fairpanel} is missing: cargo build --release --bin fairpanel, or set FAIRPANEL_BIN; only the in-process ratios are given)`);
if (!chromium) console.log("(Chromium left out: CHROMIUM=0 or no chromedriver)");

/** ratios[file][name] = [one per round] */
const ratios = {};
for (let round = 1; round <= REPEATS; round++) {
  for (const file of files) {
    if (!existsSync(file)) {
      console.error(`${file} is missing: make it with cargo run --release -p fairpanel-core --example big-bundle -- ${dirname(file)}`);
      process.exitCode = 1;
      continue;
    }
    const keyFile = join(dirname(file), "key.pub");
    const key = readFileSync(keyFile, "utf8");
    const bytes = readFileSync(file);
    const lib = (sha256Latin1) => {
      const xs = [];
      for (let i = 0; i < RUNS + 1; i++) {
        const t = performance.now();
        const r = verify(bytes, { key, sha256Latin1 });
        if (r.exit !== 0) throw new Error(`verify: ${JSON.stringify(r.firstFailure)}`);
        if (i > 0) xs.push(performance.now() - t); // the first run warms the JIT
      }
      return median(xs);
    };
    const rustCli = haveCli ? median(Array.from({ length: 3 }, () => wall(fairpanel, ["verify", file, "--key", keyFile]).dt)) : null;
    let rust = null;
    if (existsSync(timeVerify)) {
      rust = median(
        Array.from({ length: 3 }, () => {
          const m = /([\d.]+)(ms|s|µs) per verify/.exec(wall(timeVerify, [file]).out);
          return m[2] === "s" ? Number(m[1]) * 1000 : m[2] === "µs" ? Number(m[1]) / 1000 : Number(m[1]);
        }),
      );
    }
    const cli = median(Array.from({ length: 3 }, () => wall(process.execPath, [join(here, "../dist/cli.mjs"), file, "--key", keyFile]).dt));
    const node = lib(nodeSha256);
    const nodeWasm = lib(wasm);
    let chrome = null;
    let chromeNoble = null;
    if (chromium) {
      const w = await chromiumTimes(file, keyFile, RUNS, "wasm");
      if (w.hash !== "wasm") throw new Error(`the worker hashed with ${w.hash}, not WebAssembly: is 'wasm-unsafe-eval' in the CSP?`);
      chrome = median(w.times);
      chromeNoble = median((await chromiumTimes(file, keyFile, 3, "default")).times);
    }
    console.log(`round ${round}: ${file} (${(bytes.length / 1e6).toFixed(1)} MB)`);
    if (rustCli) console.log(`  fairpanel verify, whole process (release)      ${ms(rustCli)}`);
    if (rust) console.log(`  Rust verify_bundle, in process (release)       ${ms(rust)}`);
    console.log(`  node cli.mjs, whole process (Node's SHA-256)   ${ms(cli)}`);
    console.log(`  TypeScript in process, Node's SHA-256          ${ms(node)}`);
    console.log(`  TypeScript in process, hash-wasm SHA-256       ${ms(nodeWasm)}`);
    if (chrome !== null) {
      console.log(`  Chromium Web Worker, hash-wasm SHA-256         ${ms(chrome)}`);
      console.log(`  Chromium Web Worker, @noble/hashes             ${ms(chromeNoble)}`);
    }
    const r = (ratios[file] ??= {});
    const add = (name, x) => {
      (r[name] ??= []).push(x);
      console.log(`  ratio ${name.padEnd(44)} ${x.toFixed(2)}x`);
    };
    if (rustCli) {
      add("node cli / fairpanel verify (target <= 5)", cli / rustCli);
      if (chrome !== null) {
        add("Chromium wasm / fairpanel verify (target <= 5)", chrome / rustCli);
        add("Chromium noble / fairpanel verify", chromeNoble / rustCli);
      }
    }
    if (rust) {
      add("in process, Node's SHA-256 / verify_bundle", node / rust);
      add("in process, hash-wasm / verify_bundle", nodeWasm / rust);
      if (chrome !== null) {
        add("Chromium wasm / verify_bundle", chrome / rust);
        add("Chromium noble / verify_bundle", chromeNoble / rust);
      }
    }
  }
}
console.log(`\nsummary over ${REPEATS} rounds: min / median of each ratio`);
for (const [file, r] of Object.entries(ratios)) {
  console.log(file);
  for (const [name, xs] of Object.entries(r)) console.log(`  ${name.padEnd(50)} ${Math.min(...xs).toFixed(2)}x / ${median(xs).toFixed(2)}x`);
}
