// src/worker.ts
import { verify } from "./verifier.mjs";
self.onmessage = (e) => {
  const { bundle, key } = e.data;
  const bytes = bundle instanceof Uint8Array ? bundle : new Uint8Array(bundle);
  try {
    const result = verify(bytes, { key: key ?? null, onProgress: (p) => self.postMessage({ type: "progress", ...p }) });
    self.postMessage({ type: "result", result });
  } catch (err) {
    self.postMessage({ type: "error", message: String(err?.message ?? err) });
  }
};
