// The browser verifier's public API: see web/verifier/README.md.
export { verify, CHECKS, FORMAT, LIMITS } from "./verify.js";
export { wasmSha256 } from "./crypto.js";
export type { Check, CheckId, Line, Msg, Options, Outcome, Progress, Result } from "./verify.js";
