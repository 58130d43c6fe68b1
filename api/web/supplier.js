// The filing page's 24 hours, counted from the detection time typed. The
// service says when they end (in Dutch time, on its clock, by the domain's
// rule); the page asks it when the time typed changes, and then counts down
// as every countdown does (app.js, loaded first). The page works without it.
"use strict";

document.addEventListener("DOMContentLoaded", function () {
  const input = document.getElementById("detected_at");
  const out = document.getElementById("termijn");
  if (!input || !out) return;
  let asked = 0; // only the answer to the latest question counts
  let ticking = false;
  function update() {
    const seq = ++asked;
    fetch("/meldingen/termijn?" + new URLSearchParams({ detected_at: input.value }), { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .catch(function () { return null; })
      .then(function (d) {
        if (seq !== asked || !d) return;
        out.textContent = d.text;
        if (!d.due) {
          delete out.dataset.state;
          return;
        }
        out.dataset.state = d.state;
        const count = document.createElement("span");
        count.dataset.due = d.due;
        count.textContent = d.countdown;
        out.append(count, ".");
        if (!ticking) {
          ticking = true;
          setInterval(tick, 30000);
        }
      });
  }
  input.addEventListener("input", update);
  input.addEventListener("change", update);
});
