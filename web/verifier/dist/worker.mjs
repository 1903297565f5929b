// src/worker.ts
import { verify, wasmSha256 } from "./verifier.mjs";
var fast = wasmSha256().catch(() => void 0);
self.onmessage = async (e) => {
  const { bundle, key, hash } = e.data;
  const bytes = bundle instanceof Uint8Array ? bundle : new Uint8Array(bundle);
  try {
    const sha256Latin1 = hash === "default" ? void 0 : await fast;
    const result = verify(bytes, { key: key ?? null, sha256Latin1, onProgress: (p) => self.postMessage({ type: "progress", ...p }) });
    self.postMessage({ type: "result", result, hash: sha256Latin1 ? "wasm" : "default" });
  } catch (err) {
    self.postMessage({ type: "error", message: String(err?.message ?? err) });
  }
};
