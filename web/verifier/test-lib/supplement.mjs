// A supplementary draw (补抽, protocol 1.2) built on a vector whose pool has
// disclosed members: the vectors hold none, and only a disclosure of a
// supplementary draw checks the pool's tag proofs with `supplements.pool_draw`.
// The earlier draw's proofs were made for its own id, the chain's first draw,
// so a disclosure of the supplementary draw that opens the same members
// passes only when the proofs are checked with `pool_draw`.
import { createHash } from "node:crypto";
import { verify } from "../dist/verifier.mjs";
import { read, reseal, vectorKeyB64 } from "./mutate.mjs";

const tagged = (tag, ...parts) => {
  const h = createHash("sha256");
  h.update(Buffer.from(tag));
  h.update(Buffer.from([0]));
  for (const p of parts) h.update(p);
  return h.digest();
};
const hex = (s) => Buffer.from(s, "hex");
const entryHash = (e) => tagged("fairpanel/v1/entry", Buffer.from(JSON.stringify(e))).toString("hex");

/**
 * `text`: a bundle (the earlier draw `P`'s) that is revealed and disclosed,
 * with an ordinary commit first. Appends: a decline of `P`'s first seat with no
 * replacement, the supplementary draw's commit (beacon-less, no alternates),
 * a contribution, its reveal (seed and panel as the rules give them) and a
 * disclosure opening the members `P`'s disclosure opened. Returns the
 * supplementary draw's bundle, re-signed with the vectors' key.
 */
export function supplementOf(text) {
  const j = read(text);
  const e0 = j.entries[0].entry;
  const P = e0.body;
  const reveal = j.entries.find((e) => e.entry.kind === "reveal" && e.entry.body.draw === P.draw).entry.body;
  const disclosure = j.entries.find((e) => e.entry.kind === "disclosure" && e.entry.body.draw === P.draw).entry.body;
  const S = `${P.draw}-s`;
  let last = j.entries[j.entries.length - 1].entry;
  const add = (kind, body, dt) => {
    // 1.7: in a v1.7 bundle every entry is of the draw's province, so the
    // previous one in the bundle is the previous one of the province.
    const chain = j.format === "fairpanel-bundle/v1.7" ? { pprev: entryHash(last), prev: entryHash(last) } : { prev: entryHash(last) };
    const entry = { body, kind, ...chain, province: e0.province, seq: last.seq + 1, signer: e0.signer, time: last.time + dt, v: e0.v };
    j.entries.push({ entry, proof: [], sig: "" });
    last = entry;
    return entry;
  };
  add("decline", { draw: P.draw, reason: "unavailable", replacement: null, token: reveal.panel[0] }, 60);
  const secret = tagged("fairpanel/test/supplement-secret");
  const t = last.time + 60;
  const commit = add(
    "commit",
    {
      beacon: null,
      draw: S,
      entropy_deadline: t + 50,
      excluded: P.excluded,
      pool_root: P.pool_root,
      pool_size: P.pool_size,
      secret_commitment: tagged("fairpanel/v1/secret", secret).toString("hex"),
      spec: { ...P.spec, alternates: 0 },
      supplements: {
        commit: entryHash(e0),
        draw: P.draw,
        drawn: [...reveal.panel, ...reveal.alternates].sort(),
        pool_draw: P.draw,
        seated: reveal.panel.slice(1),
      },
      tag_key: P.tag_key,
      title: `${P.title}（补抽）`,
    },
    60,
  );
  const ch = entryHash(commit);
  const value = tagged("fairpanel/test/supplement-contribution");
  const contribution = add("entropy", { attestation: null, commit: ch, draw: S, supervisor: "监督员 王", value: value.toString("hex") }, 10);
  const seed = tagged("fairpanel/v1/seed", hex(ch), secret, Buffer.from([0]), Buffer.from([0, 0, 0, 1]), value);
  const r = add(
    "reveal",
    { alternates: [], beacon: null, commit: ch, draw: S, entropy: [entryHash(contribution)], panel: [], secret: secret.toString("hex"), seed: seed.toString("hex") },
    90,
  );
  add("disclosure", { draw: S, members: disclosure.members }, 3600);
  j.draw = S;
  delete j.rubric;
  delete j.sheets;
  delete j.explanations;
  // The new seats, one by one, as the panel check names them.
  for (let k = 0; k < 99; k++) {
    reseal(j);
    const v = verify(Buffer.from(JSON.stringify(j)), { key: vectorKeyB64 });
    const m = / the rule gives ([0-9a-f]{64})$/.exec(v.firstFailure?.check === "panel" ? v.firstFailure.en : "");
    if (!m) break;
    r.body.panel.push(m[1]);
  }
  reseal(j);
  return j;
}

/**
 * `text`: a scored bundle of draw `P` (revealed, then a round opened, scored
 * and sealed). Between `P`'s reveal and the round's scoring_open, inserts a
 * decline of `P`'s first seat (replaced by `P`'s first alternate, as the
 * rule gives it when nothing constrains the seats), a supplementary commit of
 * `P` and its reveal, which seats one more member: the round's scoring state
 * follows the chain to the supplementary draw. With `carried` false the
 * commit carries another panel than the one seated then. Returns `P`'s
 * bundle, re-signed; its scoring check fails (the declined member's sheets,
 * the new member's missing ones, or the panel not carried), and both
 * verifiers must say so alike.
 */
export function chainedRoundOf(text, carried) {
  const j = read(text);
  const e0 = j.entries[0].entry;
  const P = e0.body;
  const ri = j.entries.findIndex((e) => e.entry.kind === "reveal" && e.entry.body.draw === P.draw);
  const reveal = j.entries[ri].entry.body;
  const S = `${P.draw}-s`;
  const seated = [reveal.alternates[0], ...reveal.panel.slice(1)];
  const at = j.entries[ri].entry;
  const made = [
    ["decline", { draw: P.draw, reason: "unavailable", replacement: reveal.alternates[0], token: reveal.panel[0] }],
    ["commit", {
      beacon: null, draw: S, entropy_deadline: at.time + 50, excluded: P.excluded, pool_root: P.pool_root, pool_size: P.pool_size,
      secret_commitment: tagged("fairpanel/v1/secret", Buffer.alloc(32)).toString("hex"), spec: { ...P.spec, alternates: 0 },
      supplements: { commit: entryHash(e0), draw: P.draw, drawn: [...reveal.panel, ...reveal.alternates].sort(), pool_draw: P.draw, seated: carried ? seated : seated.slice().reverse() },
      tag_key: P.tag_key, title: `${P.title}（补抽）`,
    }],
  ];
  const news = made.map(([kind, body]) => ({ entry: { ...at, body, kind }, proof: [], sig: "" }));
  const extra = j.pool.map((l) => l.token).find((t) => !reveal.panel.includes(t) && !reveal.alternates.includes(t));
  news.push({
    entry: { ...at, kind: "reveal", body: { alternates: [], beacon: null, commit: entryHash(news[1].entry), draw: S, entropy: [], panel: [extra], secret: "00".repeat(32), seed: "00".repeat(32) } },
    proof: [],
    sig: "",
  });
  j.entries.splice(ri + 1, 0, ...news);
  for (let k = ri + 1; k < j.entries.length; k++) j.entries[k].entry.seq = j.entries[k - 1].entry.seq + 1;
  // The supplementary reveal names its commit by hash: chain, then name it.
  reseal(j);
  news[2].entry.body.commit = entryHash(news[1].entry);
  reseal(j);
  return j;
}
