// A Web Worker around verify(): post {bundle: ArrayBuffer | Uint8Array, key?: string}
// and receive {type: "progress", phase, done, total} messages while the pool is
// hashed, then {type: "result", result}. The page stays responsive meanwhile.
import { verify } from "./index.js";

declare const self: { onmessage: ((e: MessageEvent) => void) | null; postMessage(m: unknown): void };

self.onmessage = (e: MessageEvent) => {
  const { bundle, key } = e.data as { bundle: ArrayBuffer | Uint8Array; key?: string | null };
  const bytes = bundle instanceof Uint8Array ? bundle : new Uint8Array(bundle);
  try {
    const result = verify(bytes, { key: key ?? null, onProgress: (p) => self.postMessage({ type: "progress", ...p }) });
    self.postMessage({ type: "result", result });
  } catch (err) {
    self.postMessage({ type: "error", message: String((err as Error)?.message ?? err) });
  }
};
