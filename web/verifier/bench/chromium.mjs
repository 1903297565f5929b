// Times the browser verifier in headless Chromium, as the verify page runs it:
// a fresh Web Worker (dist/worker.mjs) per run, sent the bundle's bytes, timed
// from the message to the result (the module's loading, the WebAssembly
// compilation and a cold JIT included). Chromium is driven through
// chromedriver's WebDriver HTTP API (Debian's chromium and chromium-driver, as
// the browser tests use); the files are served by a small server here with the
// service's Content-Security-Policy, so the WebAssembly hash runs only if the
// service's pages would allow it.
import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { createServer } from "node:http";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const dist = join(here, "../dist");
const root = join(here, "../../..");

/** The service's CSP (src/web/guard.rs), read from the source so the two cannot drift. */
function serviceCsp() {
  const src = readFileSync(join(root, "src/web/guard.rs"), "utf8");
  const m = /pub const CSP: &str = "([^"]*)"/s.exec(src);
  if (!m) throw new Error("CSP not found in src/web/guard.rs");
  return m[1].replace(/\\\n\s*/g, "");
}

export const chromedriverBin = () => ["/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver"].find((p) => existsSync(p)) ?? null;

async function wd(base, method, path, body) {
  const r = await fetch(base + path, { method, headers: { "content-type": "application/json" }, body: body === undefined ? undefined : JSON.stringify(body) });
  const j = await r.json();
  if (!r.ok) throw new Error(`${method} ${path}: ${JSON.stringify(j.value ?? j)}`);
  return j.value;
}

/**
 * Runs the worker `runs` times on `bundleFile` (pinned to `keyFile`) with the
 * WebAssembly SHA-256 (`hash: "wasm"`) or the default (`"default"`) and returns
 * the times in ms, and which hash the worker used.
 */
export async function chromiumTimes(bundleFile, keyFile, runs, hash = "wasm") {
  const driverBin = chromedriverBin();
  if (!driverBin) throw new Error("chromedriver not found: apt-get install chromium chromium-driver");
  const bundle = readFileSync(bundleFile);
  const key = readFileSync(keyFile, "utf8");
  const csp = serviceCsp();
  const server = createServer((req, res) => {
    const headers = { "content-security-policy": csp, "cache-control": "no-store" };
    if (req.url === "/") return res.writeHead(200, { ...headers, "content-type": "text/html; charset=utf-8" }).end("<!doctype html><title>bench</title>");
    if (req.url === "/bundle") return res.writeHead(200, { ...headers, "content-type": "application/json" }).end(bundle);
    if (req.url === "/key") return res.writeHead(200, { ...headers, "content-type": "text/plain" }).end(key);
    const m = /^\/dist\/(verifier|worker)\.mjs$/.exec(req.url ?? "");
    if (m) return res.writeHead(200, { ...headers, "content-type": "text/javascript" }).end(readFileSync(join(dist, `${m[1]}.mjs`)));
    res.writeHead(404).end();
  });
  await new Promise((r) => server.listen(0, "127.0.0.1", r));
  const origin = `http://127.0.0.1:${server.address().port}`;
  const driver = spawn(driverBin, ["--port=0"], { stdio: ["ignore", "pipe", "ignore"] });
  let session = null;
  let base = null;
  try {
    const port = await new Promise((resolve, reject) => {
      let out = "";
      const t = setTimeout(() => reject(new Error("chromedriver did not start within 30 s")), 30000);
      driver.stdout.on("data", (d) => {
        out += d;
        const m = /started successfully on port (\d+)/.exec(out);
        if (m) {
          clearTimeout(t);
          resolve(m[1]);
        }
      });
    });
    base = `http://127.0.0.1:${port}`;
    const s = await wd(base, "POST", "/session", {
      capabilities: {
        alwaysMatch: {
          "goog:chromeOptions": {
            binary: "/usr/bin/chromium",
            args: ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
              "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"],
          },
        },
      },
    });
    session = s.sessionId;
    await wd(base, "POST", `/session/${session}/timeouts`, { script: 900000 });
    await wd(base, "POST", `/session/${session}/url`, { url: origin + "/" });
    const out = await wd(base, "POST", `/session/${session}/execute/async`, {
      script: `const [runs, hash, done] = arguments;
(async () => {
  const bundle = await (await fetch("/bundle")).arrayBuffer();
  const key = await (await fetch("/key")).text();
  const times = [];
  const phases = [];
  let used = null, progress = 0;
  for (let i = 0; i < runs; i++) {
    const copy = bundle.slice(0);
    const t = performance.now();
    const w = new Worker("/dist/worker.mjs", { type: "module" });
    // When the worker started, had read the bundle, had read the pool's
    // leaves, and had hashed them.
    const at = { start: null, parsed: null, leaves: null, hashed: null };
    const r = await new Promise((res, rej) => {
      w.onmessage = (e) => {
        const d = e.data;
        if (d.type === "result") return res(d);
        if (d.type === "error") return rej(new Error(d.message));
        progress++;
        const now = performance.now() - t;
        if (d.phase === "parse" && d.done === 0) at.start ??= now;
        if (d.phase === "parse" && d.done === 1) at.parsed ??= now;
        if (d.phase === "pool" && d.done >= d.total / 2 && d.done < d.total) at.leaves ??= now;
        if (d.phase === "pool" && d.done === d.total) at.hashed ??= now;
      };
      w.onerror = (e) => rej(new Error("worker: " + e.message));
      w.postMessage({ bundle: copy, key, hash }, [copy]);
    });
    times.push(performance.now() - t);
    phases.push(at);
    w.terminate();
    if (r.result.exit !== 0) throw new Error("verify: " + JSON.stringify(r.result.firstFailure));
    used = r.hash;
  }
  done({ times, phases, hash: used, progress });
})().catch((e) => done({ error: String(e && e.stack || e) }));`,
      args: [runs, hash],
    });
    if (out.error) throw new Error(`in Chromium: ${out.error}`);
    return out;
  } finally {
    if (session) await wd(base, "DELETE", `/session/${session}`).catch(() => {});
    driver.kill();
    server.close();
  }
}
