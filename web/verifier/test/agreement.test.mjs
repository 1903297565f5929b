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
import { chainedRoundOf, supplementOf } from "../test-lib/supplement.mjs";
import {
  contentMutations, frameMutations, mutateChained, read, reseal, resealable, supplementaryCommit, supplementMutations, textMutations, write,
} from "../test-lib/mutate.mjs";

const SEED = 20261201;
const MUTATIONS = 360;
const SUPPLEMENT_MUTATIONS = 160;

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
  const seen = { outcomes: {}, firsts: {}, supplementary: 0 };
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
      if (supplementaryCommit(read(base.text))) seen.supplementary++;
      rmSync(file);
      made++;
    }
    t.diagnostic(`exit statuses ${JSON.stringify(seen.outcomes)}; first failing checks ${JSON.stringify(seen.firsts)}; ${seen.supplementary} mutants of bundles with a supplementary draw`);
    // The vectors of the supplementary draw (1.2) are among the bases.
    assert.ok(seen.supplementary >= 5, `${seen.supplementary} mutants of bundles with a supplementary draw`);
    // The mutations reach well past the signatures: the test would be weak if
    // every mutant failed at the same early check.
    assert.ok(Object.keys(seen.firsts).length >= 10, `first failing checks reached: ${JSON.stringify(seen.firsts)}`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
});

test(`both verifiers print the same report on ${SUPPLEMENT_MUTATIONS} changes to a supplementary draw (seed ${SEED})`, (t) => {
  const bin = fairpanelBin(t);
  if (!bin) return;
  const r = rng(SEED + 12);
  // Every vector whose bundle holds a supplementary commit: the supplementary
  // draw's own bundle and the earlier draw's, re-signed after each change so
  // that it reaches the link, the fill, the declines and the state.
  const bases = index()
    .filter((v) => v.expect !== "not_a_bundle")
    .map((v) => ({ name: v.file, text: readFileSync(join(vectorsDir, v.file), "utf8"), key: join(vectorsDir, v.pin) }))
    .filter((b) => supplementaryCommit(read(b.text)) && resealable(read(b.text)));
  assert.ok(bases.some((b) => b.name === "accept-supplement.json"), `bases: ${bases.map((b) => b.name)}`);
  // The vectors' supplementary draws are neither disclosed nor scored: two
  // more bases cover the disclosure's tag proofs under pool_draw and the
  // scoring state following the chain.
  const vec = (f) => readFileSync(join(vectorsDir, f), "utf8");
  const key = join(vectorsDir, "key.pub");
  const built = [
    { name: "accept-scored.json with a disclosed supplementary draw", text: write(supplementOf(vec("accept-scored.json"))), key, first: null },
    { name: "accept-scored-locked.json with a supplementary reveal before scoring_open", text: write(chainedRoundOf(vec("accept-scored-locked.json"), true)), key, first: "scoring" },
    { name: "accept-scored-pledged.json with a supplementary commit that carries another panel", text: write(chainedRoundOf(vec("accept-scored-pledged.json"), false)), key, first: "scoring" },
  ];
  const work = mkdtempSync(join(tmpdir(), "fairpanel-supplements-"));
  const seen = { firsts: {}, kinds: {} };
  try {
    for (const b of built) {
      const file = join(work, "base.json");
      writeFileSync(file, b.text);
      const rust = rustVerify(bin, file, b.key);
      const ts = tsReport(file, Buffer.from(b.text), readFileSync(b.key, "utf8"));
      assert.equal(rust.first, b.first, `${b.name}: ${rust.stdout}`);
      assert.equal(ts.text, rust.stdout, `${b.name}: the reports differ`);
      if (b.first === null) assert.equal(ts.checks.disclosure, "passed", b.name);
      else assert.match(rust.stdout, /scoring +FAILED +(the supplementary draw \S+ revealed at seq \d+ did not carry the panel seated then|sheet_commit at seq \d+: scorer \S+ is not on the seated panel)/, b.name);
      bases.push(b);
    }
    let made = 0;
    while (made < SUPPLEMENT_MUTATIONS) {
      const base = r.pick(bases);
      const j = read(base.text);
      const [name, f] = r.pick(supplementMutations);
      if (!mutateChained(f, r, j)) continue;
      reseal(j);
      const text = write(j);
      const file = join(work, `s${made}.json`);
      writeFileSync(file, text);
      const rust = rustVerify(bin, file, base.key);
      const ts = tsReport(file, Buffer.from(text), readFileSync(base.key, "utf8"));
      const what = `mutant ${made} of ${base.name} (${name}), kept in ${file}`;
      assert.ok([0, 1, 2].includes(rust.exit), `${what}: the Rust verifier exited ${rust.exit}: ${rust.stderr}`);
      assert.equal(ts.exit, rust.exit, `${what}: exit status`);
      if (rust.exit !== 2) assert.equal(ts.text, rust.stdout, `${what}: the reports differ`);
      const k = rust.first ?? "none";
      seen.firsts[k] = (seen.firsts[k] ?? 0) + 1;
      seen.kinds[name] = (seen.kinds[name] ?? 0) + 1;
      rmSync(file);
      made++;
    }
    t.diagnostic(`first failing checks ${JSON.stringify(seen.firsts)}`);
    // The changes reach the link (commit), the feasibility (pool), the fill
    // (panel), the declines (replacements) and the scoring state, and some pass.
    for (const c of ["commit", "pool", "panel", "replacements", "scoring", "none"]) assert.ok(seen.firsts[c] > 0, `no mutant ends at ${c}: ${JSON.stringify(seen.firsts)}`);
    assert.equal(Object.keys(seen.kinds).length, supplementMutations.length, `mutations used: ${JSON.stringify(seen.kinds)}`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
});
