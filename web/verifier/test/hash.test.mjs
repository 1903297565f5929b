// The pool's fast SHA-256s (hash-wasm's WebAssembly one, which the Web Worker
// uses, and Node's, which the command line uses) against @noble/hashes, the
// default: the same digests on inputs of every length around the block
// boundaries and on views at odd offsets, and the same report on every vector.
import test from "node:test";
import assert from "node:assert/strict";
import * as nodeCrypto from "node:crypto";
import { verify, wasmSha256 } from "../dist/verifier.mjs";
import { index, pin, vector } from "../test-lib/common.mjs";

const nodeSha256 = (d) => nodeCrypto.hash("sha256", d, "latin1");

test("wasmSha256 gives SHA-256 on every length up to 300 bytes, at any offset", async () => {
  const h = await wasmSha256();
  const buf = new Uint8Array(400);
  for (let i = 0; i < buf.length; i++) buf[i] = (i * 131 + 17) & 255;
  for (let n = 0; n <= 300; n++) {
    for (const off of [0, 3]) {
      const d = buf.subarray(off, off + n);
      const got = h(d);
      assert.equal(got.length, 32);
      assert.equal(Buffer.from(got, "latin1").toString("hex"), nodeCrypto.createHash("sha256").update(d).digest("hex"), `length ${n} at ${off}`);
    }
  }
  // A long input crosses hash-wasm's internal buffer more than once.
  const big = new Uint8Array(200_000).map((_, i) => i & 255);
  assert.equal(h(big), nodeSha256(big));
});

test("every vector gives the same report with the WebAssembly, Node and default SHA-256", async () => {
  const wasm = await wasmSha256();
  for (const v of index()) {
    const key = pin(v.pin);
    const plain = verify(vector(v.file), { key });
    assert.deepEqual(verify(vector(v.file), { key, sha256Latin1: wasm }), plain, v.file);
    assert.deepEqual(verify(vector(v.file), { key, sha256Latin1: nodeSha256 }), plain, v.file);
  }
});
