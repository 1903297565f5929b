// fairpanel: the verification page. The bundle comes from a file the visitor
// drops or chooses, or from this server (the draw's bundle endpoint); the
// checking runs in a Web Worker (static/verify-worker.js) so the page stays
// responsive, with a progress bar; the result is one line per check. Nothing
// the visitor gives leaves the browser.
const form = document.getElementById("verify-form");
if (form) {
  const t = form.dataset;
  const zh = t.lang !== "en";
  const file = document.getElementById("bundle-file");
  const drop = document.getElementById("drop-zone");
  const drawId = document.getElementById("draw-id");
  const status = document.getElementById("verify-status");
  const keyLine = document.getElementById("verify-key-line");
  const assurance = document.getElementById("verify-assurance");
  const box = document.getElementById("verify-progress-box");
  const bar = document.getElementById("verify-progress");
  const results = document.getElementById("verify-results");
  const tbody = document.querySelector("#verify-lines tbody");
  const summary = document.getElementById("verify-summary");
  const meaning = {};
  document.querySelectorAll("#check-meaning tr[data-check]").forEach((tr) => {
    meaning[tr.dataset.check] = {
      proves: tr.querySelector(".proves").textContent,
      not: tr.querySelector(".not").textContent,
    };
  });
  let dropped = null;
  let worker = null;

  function say(text, cls) {
    status.textContent = text;
    status.className = cls || "";
  }

  function cell(tr, text, cls) {
    const td = document.createElement("td");
    td.textContent = text;
    if (cls) td.className = cls;
    tr.appendChild(td);
    return td;
  }

  // One row per check: the verifier's `checks` ({check, outcome, zh, en});
  // when it could not check at all (exit 2), its error line.
  function rowsOf(result) {
    if (Array.isArray(result.checks) && result.checks.length) return result.checks;
    return (result.lines || [])
      .filter((l) => l.kind === "error" || l.kind === "check")
      .map((l) => ({ check: l.check || l.kind, outcome: l.outcome || "failed", zh: l.zh, en: l.en }));
  }

  function show(result) {
    tbody.textContent = "";
    summary.textContent = "";
    (result.lines || [])
      .filter((l) => l.kind === "summary" || l.kind === "warning" || l.kind === "verdict")
      .forEach((l) => {
        const li = document.createElement("li");
        li.textContent = zh ? l.zh : l.en;
        if (l.kind === "warning") li.className = "warning-text";
        summary.appendChild(li);
      });
    summary.hidden = !summary.firstChild;
    rowsOf(result).forEach((l) => {
      const tr = document.createElement("tr");
      tr.dataset.check = l.check;
      tr.dataset.ok = l.outcome;
      const th = document.createElement("th");
      th.scope = "row";
      const code = document.createElement("code");
      code.textContent = l.check;
      th.appendChild(code);
      tr.appendChild(th);
      if (l.outcome === "passed") cell(tr, t.passed, "ok");
      else if (l.outcome === "failed") cell(tr, t.failed, "field-error");
      else cell(tr, t.skipped);
      cell(tr, zh ? l.zh : l.en);
      const m = meaning[l.check] || { proves: "", not: "" };
      cell(tr, m.proves);
      cell(tr, m.not);
      tbody.appendChild(tr);
    });
    results.hidden = false;
    showWho(result);
    results.dataset.exit = String(result.exit);
    if (result.exit === 0) say(t.allPassed, "ok");
    else say(t.someFailed, "field-error");
  }

  function run(bytes) {
    if (worker) worker.terminate();
    document.getElementById("verify-who").hidden = true;
    worker = new Worker("/static/verify-worker.js", { type: "module" });
    results.hidden = true;
    keyLine.hidden = true;
    assurance.hidden = true;
    bar.value = 0;
    bar.max = 1;
    box.hidden = false;
    say(t.running);
    worker.onmessage = (m) => {
      const d = m.data;
      if (d.info) {
        if (d.info.unreadable) say(t.unreadable, "field-error");
        assurance.hidden = !d.info.beaconless;
        const id = d.info.keyId ? t.bundleKeyId + " " + d.info.keyId : t.noSubtle;
        const how = { key: t.pinnedKey, id: t.pinnedId, mismatch: t.idMismatch }[d.pinnedBy] || t.notPinned;
        keyLine.textContent = how + " " + id;
        keyLine.className = d.pinnedBy === "mismatch" ? "field-error" : "";
        keyLine.dataset.pinned = d.pinnedBy || "none";
        keyLine.hidden = false;
      } else if (d.progress) {
        bar.max = Math.max(1, d.progress[1]);
        bar.value = d.progress[0];
      } else if (d.result) {
        box.hidden = true;
        // Which SHA-256 hashed the pool (the WebAssembly one unless the page forbids it).
        results.dataset.hash = d.hash || "default";
        show(d.result);
        worker.terminate();
        worker = null;
      } else if (d.error) {
        box.hidden = true;
        say(d.error, "field-error");
      }
    };
    worker.postMessage(
      {
        bytes: bytes,
        key: document.getElementById("pinned-key").value,
        keyId: document.getElementById("pinned-key-id").value,
      },
      [bytes],
    );
  }

  function chosen(f) {
    dropped = f;
    say(t.fileChosen + " " + f.name);
  }

  file.addEventListener("change", () => {
    if (file.files && file.files[0]) chosen(file.files[0]);
  });
  ["dragenter", "dragover"].forEach((ev) =>
    drop.addEventListener(ev, (e) => {
      e.preventDefault();
      drop.classList.add("dragging");
    }),
  );
  ["dragleave", "drop"].forEach((ev) =>
    drop.addEventListener(ev, () => drop.classList.remove("dragging")),
  );
  drop.addEventListener("drop", (e) => {
    e.preventDefault();
    if (e.dataTransfer && e.dataTransfer.files[0]) chosen(e.dataTransfer.files[0]);
  });

  form.addEventListener("submit", (e) => {
    e.preventDefault();
    if (dropped) {
      dropped.arrayBuffer().then(run);
      return;
    }
    const id = drawId.value.trim();
    if (!id) {
      say(t.noBundle, "field-error");
      return;
    }
    say(t.fetching);
    fetch("/api/v1/public/draws/" + encodeURIComponent(id) + "/bundle", { credentials: "omit" })
      .then((r) => {
        if (!r.ok) throw new Error(String(r.status));
        return r.arrayBuffer();
      })
      .then(run)
      .catch(() => say(t.fetchFailed, "field-error"));
  });
}

// Who signed what, from the verifier's report: each contribution signed with a
// personal key (its role and fingerprint), and the witnesses whose
// cosignature lines the bundle's checkpoint carries.
function showWho(result) {
  const who = document.getElementById("verify-who");
  if (!who) return;
  const fill = (table, none, items, cells, codes) => {
    const tbody = table.querySelector("tbody");
    tbody.textContent = "";
    items.forEach((it) => {
      const tr = document.createElement("tr");
      cells(it).forEach((text, i) => {
        const td = document.createElement("td");
        if (codes.includes(i)) {
          const code = document.createElement("code");
          code.textContent = text;
          td.appendChild(code);
        } else td.textContent = text;
        tr.appendChild(td);
      });
      tbody.appendChild(tr);
    });
    table.hidden = items.length === 0;
    none.hidden = items.length !== 0;
  };
  const roles = { supervisor: who.dataset.roleSupervisor, expert: who.dataset.roleExpert };
  const signed = Array.isArray(result.signed) ? result.signed : [];
  fill(document.getElementById("verify-signers"), document.getElementById("verify-signers-none"), signed, (s) => [
    s.seq,
    roles[s.role] || who.dataset.roleNone,
    s.key,
  ], [2]);
  const when = (t) => {
    const d = new Date(Number(t) * 1000);
    // YYYY-MM-DD hh:mm:ss, Beijing time, as the service's pages write times.
    return isNaN(d.getTime()) ? String(t) : d.toLocaleString("sv-SE", { timeZone: "Asia/Shanghai" });
  };
  const cosigners = Array.isArray(result.cosigners) ? result.cosigners : [];
  fill(document.getElementById("verify-cosigners"), document.getElementById("verify-cosigners-none"), cosigners, (c) => [
    c.name,
    c.keyId,
    when(c.time),
  ], [0, 1]);
  who.hidden = result.exit === 2;
}
