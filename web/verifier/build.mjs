// Builds web/verifier/dist/ from src/ with esbuild: verifier.mjs (browser and
// worker ESM, no Node imports), worker.mjs (a Web Worker script) and cli.mjs
// (Node). The output is deterministic: the same lockfile gives the same bytes,
// and CI rebuilds and compares them with the committed files.
import { build } from "esbuild";
import { execFileSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
if (!process.argv.includes("--no-check")) {
  execFileSync(process.execPath, [join(here, "../../node_modules/typescript/bin/tsc"), "-p", join(here, "tsconfig.json")], { stdio: "inherit" });
}
const common = {
  bundle: true,
  format: "esm",
  target: "es2022",
  charset: "utf8",
  legalComments: "inline",
  logLevel: "warning",
  // Paths in the output's comments are relative to this folder, wherever the build runs from.
  absWorkingDir: here,
};
// verifier.mjs is the library; cli.mjs and worker.mjs import it instead of
// bundling a second copy.
const useLibrary = {
  name: "use-library",
  setup(b) {
    b.onResolve({ filter: /^\.\/index\.js$/ }, () => ({ path: "./verifier.mjs", external: true }));
  },
};
await build({ ...common, entryPoints: [join(here, "src/index.ts")], outfile: join(here, "dist/verifier.mjs"), platform: "neutral", mainFields: ["module", "main"] });
await build({ ...common, entryPoints: [join(here, "src/worker.ts")], outfile: join(here, "dist/worker.mjs"), platform: "neutral", plugins: [useLibrary] });
await build({ ...common, entryPoints: [join(here, "src/cli.ts")], outfile: join(here, "dist/cli.mjs"), platform: "node", plugins: [useLibrary], banner: { js: "#!/usr/bin/env node" } });
