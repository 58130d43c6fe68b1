// The pages' one script, served from the binary under a strict
// Content-Security-Policy. Every page works without it; it only makes the
// countdowns live, shows the severity as the adviser types and copies the
// AP form's answers.
"use strict";

// short says a duration as the server does (nl.Short): "1 dag 3 uur",
// "5 uur 12 min", "12 min".
function short(ms) {
  const m = Math.floor(Math.abs(ms) / 60000);
  const days = Math.floor(m / 1440), hours = Math.floor((m % 1440) / 60), minutes = m % 60;
  if (days > 0) return (days === 1 ? "1 dag" : days + " dagen") + " " + hours + " uur";
  if (hours > 0) return hours + " uur " + minutes + " min";
  return minutes + " min";
}

// Countdowns: an element with data-due counts down while its clock runs,
// and says how late once it has passed.
// The service's clock, not the browser's, is what counts: the countdowns run
// from the instant the page was made (data-now) on.
const loaded = Date.now();
function serviceNow() {
  const now = document.querySelector("main[data-now]");
  return now ? Date.parse(now.dataset.now) + (Date.now() - loaded) : Date.now();
}

function tick() {
  document.querySelectorAll("[data-due]").forEach(function (el) {
    const left = Date.parse(el.dataset.due) - serviceNow();
    el.textContent = left > 0 ? "nog " + short(left) : short(left) + " te laat";
    if (left <= 0) el.closest("[data-state]")?.setAttribute("data-state", "overdue");
  });
}

// The live severity: the assessment form is sent to the server, which
// computes the score by the same rule as when it is recorded.
let asked = 0; // only the answer to the latest question counts
function preview(form) {
  const out = document.getElementById("ernst");
  if (!out) return;
  const seq = ++asked;
  out.dataset.pending = "true";
  fetch(form.dataset.preview, { method: "POST", body: new URLSearchParams(new FormData(form)), credentials: "same-origin" })
    .then(function (r) { return r.ok ? r.json() : null; })
    .catch(function () { return null; })
    .then(function (p) {
      if (seq !== asked) return;
      delete out.dataset.pending;
      if (!p) {
        out.textContent = "Kies de ernst van de gegevens, de identificeerbaarheid en de omstandigheden om de ernst te zien.";
        return;
      }
      let text = "Ernst: " + p.severity + ". Aanbeveling: " + p.recommendation + ".";
      if (p.rules.length) text += " Regel: " + p.rules.join("; ") + ".";
      if (p.flags.length) text += " Let op: " + p.flags.join("; ") + ".";
      out.textContent = text;
    });
}

// After a form came back with errors, the first field with one gets the
// focus, so that the person lands where the work is.
function focusFirstError() {
  const err = document.querySelector("main .field-error");
  if (!err) return;
  const label = err.closest("label");
  const field = label ? document.getElementById(label.htmlFor) : err.closest("fieldset")?.querySelector("input");
  field?.focus();
}

// Typing into a form keeps the session alive (GET /sessie, at most every
// five minutes): writing a report or an assessment can take longer than
// the 30 minutes a session may be left unused, and sends nothing until it
// is done.
let kept = Date.now();
function keepAlive() {
  if (Date.now() - kept < 5 * 60000) return;
  kept = Date.now();
  fetch("/sessie", { credentials: "same-origin" }).catch(function () {});
}

document.addEventListener("DOMContentLoaded", function () {
  focusFirstError();
  document.querySelectorAll("main form[method=post]").forEach(function (f) { f.addEventListener("input", keepAlive); });
  if (document.querySelector("[data-due]")) {
    setInterval(tick, 30000); // the page comes with the counts of its moment
  }
  const form = document.querySelector("form[data-preview]");
  if (form) {
    form.addEventListener("change", function () { preview(form); });
    preview(form);
  }
  document.querySelectorAll("button[data-copy]").forEach(function (b) {
    b.hidden = false;
    b.addEventListener("click", function () {
      const text = document.getElementById(b.dataset.copy).textContent;
      const said = document.getElementById("gekopieerd");
      navigator.clipboard.writeText(text).then(function () {
        if (said) said.textContent = "Gekopieerd naar het klembord.";
      }, function () {
        if (said) said.textContent = "Kopiëren lukt hier niet; selecteer de tekst en kopieer die zelf.";
      });
    });
  });
});
