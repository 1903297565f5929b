// A Web Worker around verify(): post {bundle: ArrayBuffer | Uint8Array, key?: string,
// hash?: "wasm" | "default"} and receive {type: "progress", phase, done, total} messages while the pool is
// hashed, then {type: "result", result}. The page stays responsive meanwhile.
// The pool is hashed with the WebAssembly SHA-256 (wasmSha256) where the page
// allows WebAssembly, else (or when asked, `hash: "default"`) with the default
// (@noble/hashes); the result message says which (`hash: "wasm" | "default"`).
import { verify, wasmSha256 } from "./index.js";

declare const self: { onmessage: ((e: MessageEvent) => void) | null; postMessage(m: unknown): void };

const fast = wasmSha256().catch(() => undefined);

self.onmessage = async (e: MessageEvent) => {
  const { bundle, key, hash } = e.data as { bundle: ArrayBuffer | Uint8Array; key?: string | null; hash?: string };
  const bytes = bundle instanceof Uint8Array ? bundle : new Uint8Array(bundle);
  try {
    const sha256Latin1 = hash === "default" ? undefined : await fast;
    const result = verify(bytes, { key: key ?? null, sha256Latin1, onProgress: (p) => self.postMessage({ type: "progress", ...p }) });
    self.postMessage({ type: "result", result, hash: sha256Latin1 ? "wasm" : "default" });
  } catch (err) {
    self.postMessage({ type: "error", message: String((err as Error)?.message ?? err) });
  }
};
