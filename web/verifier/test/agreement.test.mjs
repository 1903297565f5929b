// Agreement of the two verifiers (issue 10, item 4): the TypeScript verifier and
// the Rust one (`fairpanel verify`, found through FAIRPANEL_BIN) give the same
// report on every vector and on the demo's bundles, and the same outcome and
// first failing check (indeed the same outcome of every check) on bundles
// mutated at random from a fixed seed.
import test from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { verify } from "../dist/verifier.mjs";
import { fairpanelBin, index, parseReport, rng, rustVerify, vectorsDir } from "../test-lib/common.mjs";
import { contentMutations, frameMutations, read, reseal, resealable, textMutations, write } from "../test-lib/mutate.mjs";

const SEED = 20261201;
const MUTATIONS = 360;

/** The TypeScript report as the command line prints it. */
function tsReport(path, bytes, key) {
  const r = verify(bytes, { key });
  const text = r.exit === 2 ? "" : [`fairpanel verify ${path}`, ...r.lines.map((l) => l.text)].join("\n") + "\n";
  return { exit: r.exit, text, first: r.firstFailure?.check ?? null, checks: Object.fromEntries(r.checks.map((c) => [c.check, c.outcome])) };
}

let demo = null;
function demoDir(bin) {
  if (demo) return demo;
  const dir = mkdtempSync(join(tmpdir(), "fairpanel-demo-"));
  const o = spawnSync(bin, ["demo", "--out", dir], { encoding: "utf8", timeout: 300_000 });
  assert.equal(o.status, 0, `fairpanel demo failed: ${o.stdout}${o.stderr}`);
  demo = dir;
  return dir;
}

test("both verifiers print the same report for every vector and every demo bundle", (t) => {
  const bin = fairpanelBin(t);
  if (!bin) return;
  const cases = index().map((v) => [join(vectorsDir, v.file), join(vectorsDir, v.pin)]);
  const dir = demoDir(bin);
  const bundles = readdirSync(dir).filter((f) => /^\d-.*\.json$/.test(f));
  assert.ok(bundles.length >= 4, `the demo wrote ${bundles}`);
  for (const f of bundles) cases.push([join(dir, f), join(dir, "key.pub")], [join(dir, f), null]);
  for (const [file, keyFile] of cases) {
    const rust = rustVerify(bin, file, keyFile);
    const ts = tsReport(file, readFileSync(file), keyFile ? readFileSync(keyFile, "utf8") : null);
    assert.equal(ts.exit, rust.exit, `${file}: exit`);
    if (rust.exit === 2) assert.match(rust.stderr, /not a fairpanel bundle/);
    else assert.equal(ts.text, rust.stdout, `${file}: the reports differ`);
  }
});

test(`both verifiers agree on ${MUTATIONS} bundles mutated at random (seed ${SEED})`, (t) => {
  const bin = fairpanelBin(t);
  if (!bin) return;
  const r = rng(SEED);
  const dir = demoDir(bin);
  const bases = index()
    .filter((v) => v.expect !== "not_a_bundle")
    .map((v) => ({ name: v.file, text: readFileSync(join(vectorsDir, v.file), "utf8"), key: join(vectorsDir, v.pin) }));
  for (const f of readdirSync(dir).filter((f) => /^\d-.*\.json$/.test(f))) {
    bases.push({ name: `demo ${f}`, text: readFileSync(join(dir, f), "utf8"), key: join(dir, "key.pub") });
  }
  const work = mkdtempSync(join(tmpdir(), "fairpanel-mutants-"));
  const seen = { outcomes: {}, firsts: {} };
  try {
    let made = 0;
    while (made < MUTATIONS) {
      const base = r.pick(bases);
      const j = read(base.text);
      const how = [];
      const roll = r.next();
      let text;
      if (roll < 0.6) {
        const [name, f] = r.pick(contentMutations);
        if (f(r, j) === false) continue;
        how.push(name);
        if (resealable(j) && r.next() < 0.85) {
          reseal(j);
          how.push("resealed");
        }
        text = write(j);
      } else if (roll < 0.85) {
        const [name, f] = r.pick(frameMutations);
        if (f(r, j) === false) continue;
        how.push(name);
        text = write(j);
      } else {
        const [name, f] = r.pick(textMutations);
        how.push(name);
        text = f(r, write(j));
      }
      const file = join(work, `m${made}.json`);
      writeFileSync(file, text);
      const keyFile = r.next() < 0.9 ? base.key : null;
      const rust = rustVerify(bin, file, keyFile);
      const ts = tsReport(file, Buffer.from(text), keyFile ? readFileSync(keyFile, "utf8") : null);
      const what = `mutant ${made} of ${base.name} (${how.join(", ")}${keyFile ? "" : ", no key"}), kept in ${file}`;
      assert.ok([0, 1, 2].includes(rust.exit), `${what}: the Rust verifier exited ${rust.exit}: ${rust.stderr}`);
      assert.equal(ts.exit, rust.exit, `${what}: exit status`);
      assert.equal(ts.first, rust.first, `${what}: first failing check`);
      if (rust.exit !== 2) assert.deepEqual(ts.checks, parseReport(rust.stdout).checks, `${what}: outcomes of the checks`);
      seen.outcomes[rust.exit] = (seen.outcomes[rust.exit] ?? 0) + 1;
      if (rust.first) seen.firsts[rust.first] = (seen.firsts[rust.first] ?? 0) + 1;
      rmSync(file);
      made++;
    }
    t.diagnostic(`exit statuses ${JSON.stringify(seen.outcomes)}; first failing checks ${JSON.stringify(seen.firsts)}`);
    // The mutations reach well past the signatures: the test would be weak if
    // every mutant failed at the same early check.
    assert.ok(Object.keys(seen.firsts).length >= 10, `first failing checks reached: ${JSON.stringify(seen.firsts)}`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
});
