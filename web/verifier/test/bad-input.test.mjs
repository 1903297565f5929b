// Input that is not a bundle is refused before any check, with exit status 2
// and a reason: not JSON, huge, deeply nested, a bundle of another version.
import test from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { verify } from "../dist/verifier.mjs";
import { cli, pin, vector } from "../test-lib/common.mjs";

const refused = (bytes, reason) => {
  const r = verify(typeof bytes === "string" ? Buffer.from(bytes) : bytes, { key: pin("key.pub") });
  assert.equal(r.exit, 2, JSON.stringify(r.lines[0]));
  assert.deepEqual(r.checks, []);
  assert.match(r.lines[0].en, /^not a fairpanel bundle: /);
  assert.match(r.lines[0].zh, /^不是 fairpanel 证据包：/);
  if (reason) assert.match(r.lines[0].en, reason);
  return r;
};

test("not JSON", () => {
  refused("", /the file is not JSON/);
  refused("[package]\nname = 1\n", /the file is not JSON/);
  refused('{"format": "fairpanel-bundle/v1.1",}', /the file is not JSON/);
  refused(Buffer.from([0x7b, 0x22, 0xff, 0x22, 0x3a, 0x31, 0x7d]), /not JSON \(invalid UTF-8/);
  refused(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), vector("accept-plain.json")]), /not JSON/);
  refused(Buffer.concat([vector("accept-plain.json"), Buffer.from("x")]), /not JSON \(trailing characters/);
  refused('"fairpanel-bundle/v1.1"', /has no "format" field/);
  refused('{"format": 11}', /has no "format" field/);
});

test("a bundle of another version", () => {
  refused(vector("reject-protocol-v1.json"), /this is a protocol v1 bundle/);
  const v2 = vector("accept-plain.json").toString("utf8").replace('"fairpanel-bundle/v1.7"', '"fairpanel-bundle/v2"');
  refused(v2, /format is "fairpanel-bundle\/v2"; this verifier reads "fairpanel-bundle\/v1.7" and "fairpanel-bundle\/v1.1"/);
});

test("deeply nested", () => {
  const deep = (n) => "[".repeat(n) + "]".repeat(n);
  refused(deep(100_000), /recursion limit exceeded/);
  refused(`{"format":"fairpanel-bundle/v1.1","pool":[${deep(200)}]}`, /recursion limit exceeded/);
  // Nesting inside an entry is refused as well, without exhausting the stack.
  const b = vector("accept-plain.json").toString("utf8").replace('"rotations": []', `"rotations": [${deep(5000)}]`);
  refused(b, /recursion limit exceeded/);
});

test("huge", () => {
  // 64 MiB of white space inside a bundle, and a 64 MiB string: refused or
  // checked within memory, never a crash.
  const plain = vector("accept-plain.json").toString("utf8");
  const spaced = Buffer.from(plain.replace('"rotations": []', `"rotations":${" ".repeat(64 << 20)}[]`));
  const r = verify(spaced, { key: pin("key.pub") });
  assert.equal(r.exit, 0, "white space between records does not matter");
  refused(`{"format":"fairpanel-bundle/v1.1","draw":"${"x".repeat(64 << 20)}"}`, /missing field `checkpoint`/);
  refused(`{"format":"fairpanel-bundle/v1.1","pool":[${'{"a":1},'.repeat(1 << 20)}1]}`, /structure is wrong/);
});

test("the wrong structure", () => {
  const plain = vector("accept-plain.json").toString("utf8");
  refused(plain.replace('"rotations": []', '"rotations": [], "extra": 1'), /unknown field `extra`/);
  refused(plain.replace('"rotations": []', '"rotations": [], "rotations": []'), /duplicate field `rotations`/);
  refused(plain.replace('"rotations": []', '"rotations": {}'), /rotations: expected a sequence/);
  refused(plain.replace(/"key": "([^"]+)"/, '"key": " $1"'), /white space/);
  refused(plain.replace(/"key": "([^"]+)"/, '"key": "AAAA"'), /32 bytes/);
  refused(vector("reject-entry-without-proof.json"), /missing field `proof`/);
  refused(vector("reject-pool-element-not-an-object.json"), /pool element 0 is not a JSON object/);
});

test("the command line exits 2 and says why on standard error", () => {
  const dir = mkdtempSync(join(tmpdir(), "tsv-bad-"));
  try {
    const f = join(dir, "not.json");
    writeFileSync(f, "hello");
    let o = spawnSync(process.execPath, [cli, f], { encoding: "utf8" });
    assert.equal(o.status, 2);
    assert.equal(o.stdout, "");
    assert.match(o.stderr, /^error: .*not\.json: not a fairpanel bundle: the file is not JSON/);
    o = spawnSync(process.execPath, [cli, join(dir, "missing.json")], { encoding: "utf8" });
    assert.equal(o.status, 2);
    o = spawnSync(process.execPath, [cli], { encoding: "utf8" });
    assert.equal(o.status, 2);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
