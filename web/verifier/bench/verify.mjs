// Benchmark: the browser verifier against the Rust one on the same bundle of a
// 100,000-member pool (issue 10: at most 5× `fairpanel verify`).
//
//   cargo run --release -p fairpanel-core --example big-bundle -- /var/tmp/fp-bench
//   cargo build --release -p fairpanel-core --example time_verify
//   npm run bench:verifier -- /var/tmp/fp-bench/plain-100000.json
//
// Times, for each bundle given (default: the big-bundle example's two):
// - the TypeScript library in one process, warm, with @noble/hashes (what a
//   browser runs) and with Node's SHA-256 (what the command line passes);
// - `node web/verifier/dist/cli.mjs BUNDLE --key KEY` as a whole process;
// - the Rust verifier: `time_verify` (verify_bundle in one process, release
//   build; FAIRPANEL_TIME_VERIFY, default the target dir's), and
//   `fairpanel verify` as a whole process when FAIRPANEL_BIN is set.
// Medians of several runs; the ratios are TypeScript / Rust.
import { spawnSync } from "node:child_process";
import * as nodeCrypto from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { verify } from "../dist/verifier.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "../../..");
const target = process.env.CARGO_TARGET_DIR ?? join(root, "target");
const timeVerify = process.env.FAIRPANEL_TIME_VERIFY ?? join(target, "release/examples/time_verify");
const files = process.argv.slice(2);
if (!files.length) files.push("/var/tmp/fp-bench/plain-100000.json", "/var/tmp/fp-bench/constrained-100000.json");
const RUNS = Number(process.env.RUNS ?? 5);

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ms = (x) => `${x.toFixed(0).padStart(6)} ms`;
const nodeSha256 = (d) => nodeCrypto.hash("sha256", d, "latin1");

function wall(cmd, args) {
  const t = performance.now();
  const o = spawnSync(cmd, args, { encoding: "utf8", maxBuffer: 1 << 28 });
  const dt = performance.now() - t;
  if (o.status !== 0) throw new Error(`${cmd} ${args.join(" ")} exited ${o.status}: ${o.stderr}`);
  return { dt, out: o.stdout };
}

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
  const node = lib(nodeSha256);
  const noble = lib(undefined);
  const cli = median(Array.from({ length: 3 }, () => wall(process.execPath, [join(here, "../dist/cli.mjs"), file, "--key", keyFile]).dt));
  console.log(`${file} (${(bytes.length / 1e6).toFixed(1)} MB)`);
  console.log(`  TypeScript, in process, @noble/hashes        ${ms(noble)}`);
  console.log(`  TypeScript, in process, Node's SHA-256       ${ms(node)}`);
  console.log(`  node cli.mjs, whole process                  ${ms(cli)}`);
  let rust = null;
  if (existsSync(timeVerify)) {
    const xs = Array.from({ length: 3 }, () => {
      const m = /([\d.]+)(ms|s|µs) per verify/.exec(wall(timeVerify, [file]).out);
      return m[2] === "s" ? Number(m[1]) * 1000 : m[2] === "µs" ? Number(m[1]) / 1000 : Number(m[1]);
    });
    rust = median(xs);
    console.log(`  Rust verify_bundle, in process (release)     ${ms(rust)}`);
  }
  let rustCli = null;
  if (process.env.FAIRPANEL_BIN) {
    rustCli = median(Array.from({ length: 3 }, () => wall(process.env.FAIRPANEL_BIN, ["verify", file, "--key", keyFile]).dt));
    console.log(`  fairpanel verify, whole process              ${ms(rustCli)}`);
  }
  if (rust) {
    console.log(`  ratio, in process, Node's SHA-256 / Rust     ${(node / rust).toFixed(2)}x  (target <= 5)`);
    console.log(`  ratio, in process, @noble/hashes / Rust      ${(noble / rust).toFixed(2)}x`);
  }
  if (rustCli) console.log(`  ratio, whole processes, node cli / fairpanel ${(cli / rustCli).toFixed(2)}x  (target <= 5)`);
}
