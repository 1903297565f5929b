// fairpanel: small progressive enhancements. Every page works without them.
(function () {
  "use strict";

  // Move focus to an error summary so a screen reader announces it.
  var summary = document.querySelector("[data-error-summary]");
  if (summary) summary.focus();

  // Countdowns to a deadline, with the server's clock as the reference.
  var skew = null;
  document.querySelectorAll(".countdown[data-until]").forEach(function (el) {
    var until = Number(el.dataset.until), now = Number(el.dataset.now);
    if (skew === null) skew = now - Date.now() / 1000;
    function tick() {
      var left = Math.round(until - (Date.now() / 1000 + skew));
      if (left <= 0) { el.textContent = el.dataset.done || ""; return; }
      var h = Math.floor(left / 3600), m = Math.floor((left % 3600) / 60), s = left % 60;
      el.textContent = (h ? h + ":" : "") + String(m).padStart(2, "0") + ":" + String(s).padStart(2, "0");
      setTimeout(tick, 1000);
    }
    tick();
  });

  // A random contribution made in the browser (crypto.getRandomValues).
  document.querySelectorAll("[data-random-into]").forEach(function (b) {
    b.hidden = false;
    b.addEventListener("click", function () {
      var bytes = new Uint8Array(32);
      crypto.getRandomValues(bytes);
      var hex = Array.prototype.map.call(bytes, function (x) { return x.toString(16).padStart(2, "0"); }).join("");
      var input = document.getElementById(b.dataset.randomInto);
      input.value = hex;
      input.focus();
    });
  });

  // A public draw's page: the commit this page showed when it was first
  // opened is kept for the visit, and every later step must refer to it, so
  // the visitor sees that nothing changed behind the draw. While the draw is
  // in progress its steps arrive as they are signed, from the server's event
  // stream (without script the page reloads itself instead).
  var live = document.getElementById("draw-live");
  if (live) {
    var commit = live.dataset.commit;
    var seenKey = "fairpanel:seen:" + live.dataset.draw;
    var seen = null;
    try { seen = JSON.parse(sessionStorage.getItem(seenKey) || "null"); } catch (e) { seen = null; }
    if (!seen) {
      // Beijing time, written as the page writes every time.
      var bj = new Date(Date.now() + 8 * 3600 * 1000).toISOString();
      seen = { commit: commit, at: bj.slice(0, 10) + " " + bj.slice(11, 19) };
      try { sessionStorage.setItem(seenKey, JSON.stringify(seen)); } catch (e) { /* no storage */ }
    }
    var bad = seen.commit !== commit ? "changed" : null;
    var showWatch = function () {
      var w = document.getElementById("commit-watch");
      if (!w) return;
      w.hidden = false;
      w.className = bad ? "field-error" : "ok";
      w.dataset.ok = bad ? "false" : "true";
      w.textContent = bad === "changed" ? w.dataset.changed + " " + seen.commit
        : bad ? w.dataset.stepBad + " " + bad
        : w.dataset.same.replace("@at@", seen.at) + " " + commit.slice(0, 16);
    };
    showWatch();
    if (live.dataset.events && window.EventSource) {
      var src = new EventSource(live.dataset.events);
      var statusSay = function (which) {
        var st = document.getElementById("live-status");
        if (st) st.textContent = which ? st.dataset[which] : "";
      };
      src.onopen = function () { statusSay("connected"); };
      src.onerror = function () { statusSay("lost"); };
      // The page again from the server, for what a step changes beyond its
      // row (the state, the panel); the stream and the visitor's place stay.
      var refresh = function () {
        fetch(location.href, { credentials: "same-origin" })
          .then(function (r) { return r.text(); })
          .then(function (html) {
            var fresh = new DOMParser().parseFromString(html, "text/html").getElementById("draw-live");
            var now = document.getElementById("draw-live");
            if (fresh && now) {
              now.replaceWith(document.importNode(fresh, true));
              showWatch();
              statusSay(src.readyState === 2 ? null : "connected");
            }
          })
          .catch(function () { /* the next step or a reload will show it */ });
      };
      src.addEventListener("step", function (ev) {
        var d;
        try { d = JSON.parse(ev.data); } catch (e) { return; }
        var rows = document.querySelector("#steps tbody");
        if (!rows || rows.querySelector('tr[data-seq="' + d.seq + '"]')) return;
        var tr = document.createElement("tr");
        tr.dataset.seq = d.seq;
        tr.dataset.kind = d.kind;
        var a = document.createElement("a");
        a.href = "/api/v1/public/entries?start=" + d.seq + "&end=" + (d.seq + 1);
        a.textContent = d.seq;
        var code = document.createElement("code");
        code.className = "hash";
        code.textContent = d.hash;
        [a, d.label, d.time, code, d.detail].forEach(function (c) {
          var td = document.createElement("td");
          if (typeof c === "string") td.textContent = c; else td.appendChild(c);
          tr.appendChild(td);
        });
        rows.appendChild(tr);
        var count = document.getElementById("contribution-count");
        if (d.kind === "entropy" && count) count.textContent = String(Number(count.textContent) + 1);
        if (d.commit && d.commit !== commit) { bad = "#" + d.seq; showWatch(); }
        if (d.state !== "committed") src.close();
        if (d.kind !== "entropy") refresh();
      });
    }
  }

  document.querySelectorAll("[data-print]").forEach(function (b) {
    b.hidden = false;
    b.addEventListener("click", function () { window.print(); });
  });

  // The score sheet: a live total, and a draft kept in the browser so that
  // nothing typed is lost when the connection drops.
  var sheet = document.getElementById("sheet-form");
  if (sheet) {
    var key = "fairpanel:" + sheet.dataset.draftKey;
    var points = sheet.querySelectorAll("input.points");
    var out = document.getElementById("live-total");
    function total() {
      var cents = 0, all = true;
      points.forEach(function (i) {
        var v = i.value.trim();
        if (v === "" || isNaN(Number(v))) { all = false; return; }
        cents += Math.round(Number(v) * 100);
        var ok = Number(v) >= Number(i.min) && Number(v) <= Number(i.max) &&
          Math.round(Number(v) * 100) % Math.round(Number(i.step) * 100) === 0;
        i.setAttribute("aria-invalid", ok ? "false" : "true");
      });
      out.textContent = (cents / 100).toFixed(2) + (all ? "" : " …");
    }
    try {
      var saved = JSON.parse(localStorage.getItem(key) || "null");
      if (saved) {
        Object.keys(saved).forEach(function (name) {
          var el = sheet.elements[name];
          if (!el || name === "csrf") return;
          if (el instanceof RadioNodeList) { el.value = saved[name]; }
          else if (!el.value) { el.value = saved[name]; }
        });
      }
    } catch (e) { /* no storage: nothing to restore */ }
    sheet.addEventListener("input", function () {
      total();
      var data = {};
      new FormData(sheet).forEach(function (v, k) { if (k !== "csrf") data[k] = v; });
      try { localStorage.setItem(key, JSON.stringify(data)); } catch (e) { /* full or off */ }
    });
    total();
  }
  if (document.getElementById("submit-sheet")) {
    // Submitted from the check page: the browser's copy of the draft is done with.
    document.getElementById("submit-sheet").form.addEventListener("submit", function () {
      Object.keys(localStorage).forEach(function (k) { if (k.indexOf("fairpanel:sheet-") === 0) localStorage.removeItem(k); });
    });
  }

  // The draw form: feasibility as the fields change, from the same preview
  // the API offers.
  var form = document.getElementById("draw-form");
  var box = document.getElementById("feasibility");
  if (form && box && window.fetch) {
    var timer = null;
    function num(name) { var v = (form.elements[name].value || "").trim(); return v === "" ? null : Number(v); }
    function request() {
      var quotas = [];
      [1, 2, 3].forEach(function (n) {
        var spec = form.elements["quota_spec_" + n].value, min = num("quota_min_" + n);
        if (spec && min) quotas.push({ spec: spec, min: min });
      });
      var beacon = form.elements.beacon.value === "none" ? { mode: "none" }
        : (num("round") ? { mode: "drand", round: num("round") } : { mode: "drand", margin: num("margin") || 120 });
      var body = { title: form.elements.title.value || "-", panel: num("panel") || 0, alternates: num("alternates") || 0,
        quotas: quotas, beacon: beacon, entropy_window: num("window") || 60 };
      if (num("org_cap")) body.org_cap = num("org_cap");
      if (num("cooldown_days")) body.cooldown_days = num("cooldown_days");
      return body;
    }
    function show(p) {
      var body = document.getElementById("feasibility-body");
      body.textContent = "";
      var line = document.createElement("p");
      var strong = document.createElement("strong");
      strong.textContent = box.dataset.eligible + " ";
      var count = document.createElement("span");
      count.id = "eligible-count";
      count.textContent = p.eligible;
      line.appendChild(strong); line.appendChild(count);
      body.appendChild(line);
      var groups = {};
      (p.excluded || []).forEach(function (x) { groups[x.reason] = (groups[x.reason] || 0) + 1; });
      if (Object.keys(groups).length) {
        var h = document.createElement("p"); h.textContent = box.dataset.excluded; body.appendChild(h);
        var ul = document.createElement("ul");
        Object.keys(groups).forEach(function (r) {
          var li = document.createElement("li");
          li.textContent = (box.getAttribute("data-r-" + r) || r) + ": " + groups[r];
          ul.appendChild(li);
        });
        body.appendChild(ul);
      }
      var verdict = document.createElement("p");
      if (p.infeasible) { verdict.className = "field-error"; verdict.id = "infeasible"; verdict.textContent = box.dataset.bad + " " + p.infeasible.constraint + ": " + p.infeasible.detail; }
      else { verdict.className = "ok"; verdict.textContent = box.dataset.ok; }
      body.appendChild(verdict);
    }
    form.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () {
        fetch(form.dataset.preview, { method: "POST", credentials: "same-origin",
          headers: { "content-type": "application/json" }, body: JSON.stringify(request()) })
          .then(function (r) { return r.ok ? r.json() : null; })
          .then(function (p) { if (p) show(p); })
          .catch(function () { /* the server check on submit still applies */ });
      }, 300);
    });
  }
  // Protocol 1.4 personal keys. The key pair is made here with WebCrypto
  // (Ed25519, private half not extractable) and kept in IndexedDB under
  // "draw/account"; only the raw 32-byte public key goes to the server. The
  // contribution is signed over exactly the attestation message of
  // docs/PROTOCOL.md: "fairpanel/v1/attest" || 0x00 || commit hash || value.
  var keyStore = function (mode, run) {
    return new Promise(function (resolve, reject) {
      var open = indexedDB.open("fairpanel-keys", 1);
      open.onupgradeneeded = function () { open.result.createObjectStore("keys"); };
      open.onerror = function () { reject(open.error); };
      open.onsuccess = function () {
        var tx = open.result.transaction("keys", mode);
        var req = run(tx.objectStore("keys"));
        tx.oncomplete = function () { resolve(req.result); };
        tx.onerror = function () { reject(tx.error); };
      };
    });
  };
  // A key is kept under "draw/account": a supervisor's in the draw they
  // watch, an expert's in their panel's draw (protocol 1.5).
  var keyName = function (el) { return el.dataset.draw + "/" + el.dataset.account; };
  var b64 = function (buf) {
    return btoa(String.fromCharCode.apply(null, new Uint8Array(buf)));
  };
  var fromHex = function (h) {
    var out = new Uint8Array(h.length / 2);
    for (var i = 0; i < out.length; i++) out[i] = parseInt(h.substr(i * 2, 2), 16);
    return out;
  };
  var keyForm = document.getElementById("key-form");
  var make = document.querySelector("[data-make-key]");
  if (keyForm && make && window.crypto && crypto.subtle && window.indexedDB) {
    make.hidden = false;
    make.addEventListener("click", function () {
      var status = document.getElementById("make-key-status");
      make.disabled = true;
      crypto.subtle.generateKey({ name: "Ed25519" }, false, ["sign", "verify"])
        .then(function (pair) {
          return keyStore("readwrite", function (st) { return st.put(pair, keyName(keyForm)); })
            .then(function () { return crypto.subtle.exportKey("raw", pair.publicKey); });
        })
        .then(function (raw) {
          document.getElementById("key").value = b64(raw);
          keyForm.submit();
        })
        .catch(function (e) {
          make.disabled = false;
          status.hidden = false;
          status.textContent = keyForm.dataset.failed + " " + (e && e.message ? e.message : e);
        });
    });
  }
  // Protocol 1.5: an expert's pledge, recusal or sheet. The page gives, in
  // each hidden input with data-message, the exact message (base64) of the
  // entry the service will write (docs/PROTOCOL.md, "Scorers' signatures");
  // on submit the key kept under data-sign signs each (an input with
  // data-when only when that field is filled) into the input's value.
  var fromB64 = function (t) {
    var bin = atob(t);
    var out = new Uint8Array(bin.length);
    for (var i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
    return out;
  };
  Array.prototype.forEach.call(document.querySelectorAll("form[data-sign]:not(#entropy-form)"), function (form) {
    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      var say = function (text) {
        var st = form.querySelector("#sign-status, .sign-status");
        if (st) { st.hidden = false; st.textContent = text; }
      };
      var have = window.crypto && crypto.subtle && window.indexedDB
        ? keyStore("readonly", function (st) { return st.get(form.dataset.sign); })
        : Promise.resolve(undefined);
      have.then(function (pair) {
        if (!pair) {
          if (form.hasAttribute("data-sign-required")) { say(form.dataset.noKey); return null; }
          form.submit();
          return null;
        }
        var slots = Array.prototype.filter.call(form.querySelectorAll("input[data-message]"), function (el) {
          var when = el.dataset.when && document.getElementById(el.dataset.when);
          return !el.dataset.when || (when && when.value.trim() !== "");
        });
        return Promise.all(slots.map(function (el) {
          return crypto.subtle.sign({ name: "Ed25519" }, pair.privateKey, fromB64(el.dataset.message))
            .then(function (sig) { el.value = b64(sig); });
        })).then(function () { form.submit(); });
      }).catch(function (e) {
        say(form.dataset.failed + " " + (e && e.message ? e.message : e));
      });
    });
  });
  var signForm = document.querySelector("#entropy-form[data-sign]");
  if (signForm) {
    var signSay = function (text) {
      var st = document.getElementById("sign-status");
      st.hidden = false;
      st.textContent = text;
    };
    var contribution = function (typed) {
      var t = typed.trim();
      if (/^[0-9a-f]{64}$/.test(t)) return Promise.resolve(fromHex(t));
      if (Array.from(t).length < 8) return Promise.resolve(null);
      return crypto.subtle.digest("SHA-256", new TextEncoder().encode(t))
        .then(function (d) { return new Uint8Array(d); });
    };
    signForm.addEventListener("submit", function (ev) {
      ev.preventDefault();
      var typed = document.getElementById("value").value;
      var have = window.crypto && crypto.subtle && window.indexedDB
        ? keyStore("readonly", function (st) { return st.get(keyName(signForm)); })
        : Promise.resolve(undefined);
      have.then(function (pair) {
        if (!pair) { signSay(signForm.dataset.noKey); return null; }
        return contribution(typed).then(function (value) {
          // A value the server will refuse anyway goes unsigned, for its message.
          if (!value) { signForm.submit(); return null; }
          var tag = new TextEncoder().encode("fairpanel/v1/attest");
          var msg = new Uint8Array(tag.length + 1 + 64);
          msg.set(tag, 0);
          msg[tag.length] = 0;
          msg.set(fromHex(signForm.dataset.commit), tag.length + 1);
          msg.set(value, tag.length + 33);
          return crypto.subtle.sign({ name: "Ed25519" }, pair.privateKey, msg).then(function (sig) {
            document.getElementById("signature").value = b64(sig);
            signForm.submit();
          });
        });
      }).catch(function (e) {
        signSay(signForm.dataset.failed + " " + (e && e.message ? e.message : e));
      });
    });
  }
})();
