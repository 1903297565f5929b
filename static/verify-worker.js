// fairpanel: the bundle verifier, off the page's thread. The page sends the
// bundle's bytes and the key the visitor pinned; this worker reads what the
// page shows beside the checks (the bundle's key and its key id, whether the
// draw had a public beacon), runs the verifier with progress, and answers.
// Nothing is sent anywhere: the worker makes no request but the import.
// The pool is hashed with the verifier's WebAssembly SHA-256 (the page's CSP
// allows 'wasm-unsafe-eval'), or with its default where that fails.
import * as verifier from "/static/verifier.mjs";

const { verify } = verifier;
const fastHash = verifier.wasmSha256 ? verifier.wasmSha256().catch(() => undefined) : Promise.resolve(undefined);

const KEY_ID_TAG = "fairpanel/v1/key-id";

function fromBase64(s) {
  const bin = atob(s.trim());
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

function hex(bytes) {
  return Array.prototype.map.call(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

// The key id: the first 8 bytes of SHA-256("fairpanel/v1/key-id" || 0x00 || key).
async function keyIdOf(base64) {
  if (!self.crypto || !crypto.subtle) return null;
  const key = fromBase64(base64);
  const tag = new TextEncoder().encode(KEY_ID_TAG);
  const msg = new Uint8Array(tag.length + 1 + key.length);
  msg.set(tag, 0);
  msg.set(key, tag.length + 1);
  const h = new Uint8Array(await crypto.subtle.digest("SHA-256", msg));
  return hex(h.subarray(0, 8));
}

self.onmessage = async (m) => {
  const { bytes, key, keyId } = m.data;
  const u8 = new Uint8Array(bytes);
  const info = { beaconless: false, key: null, keyId: null, unreadable: false };
  try {
    const b = JSON.parse(new TextDecoder().decode(u8));
    info.beaconless = (b.entries || []).some(
      (e) => e && e.entry && e.entry.kind === "commit" && e.entry.body && e.entry.body.beacon === null,
    );
    if (typeof b.key === "string") {
      info.key = b.key;
      info.keyId = await keyIdOf(b.key);
    }
  } catch (e) {
    info.unreadable = true;
  }
  let pinned = key && key.trim() ? key.trim() : null;
  let pinnedBy = pinned ? "key" : null;
  const wanted = (keyId || "").trim().toLowerCase();
  if (!pinned && wanted) {
    if (info.keyId && info.keyId === wanted) {
      pinned = info.key;
      pinnedBy = "id";
    } else {
      pinnedBy = "mismatch";
    }
  }
  self.postMessage({ info, pinnedBy });
  let last = 0;
  try {
    const sha256Latin1 = await fastHash;
    const result = await verify(u8, {
      key: pinned || undefined,
      sha256Latin1,
      // {phase, done, total}: the pool's leaves read and hashed.
      onProgress: (p) => {
        const done = p && typeof p === "object" ? p.done : p;
        const total = p && typeof p === "object" ? p.total : 0;
        const now = Date.now();
        if (now - last > 50 || done >= total) {
          last = now;
          self.postMessage({ progress: [done, total] });
        }
      },
    });
    self.postMessage({ result, hash: sha256Latin1 ? "wasm" : "default" });
  } catch (e) {
    self.postMessage({ error: String((e && e.message) || e) });
  }
};
