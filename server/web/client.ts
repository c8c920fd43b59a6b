// The dashboard's one script, served as /assets/kept.js: it turns the page's
// buttons into API calls, re-renders from the server after each change, runs the
// "no news yet" dialog and the import with progress. Plain ES2020, no build step.
// (Kept as a string so Node and Workers serve it alike; no backticks inside.)
export const JS = String.raw`(function () {
"use strict";

var dataEl = document.getElementById("kept-data");
var DATA = dataEl ? JSON.parse(dataEl.textContent || "{}") : {};
var $ = function (id) { return document.getElementById(id); };

// ── Talking to the API ──

function ApiError(message, code) { this.message = message; this.code = code; }

async function api(method, path, body) {
  var res;
  try {
    res = await fetch(path, {
      method: method,
      headers: body === undefined ? { accept: "application/json" } : { "content-type": "application/json", accept: "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: "same-origin",
    });
  } catch (e) {
    throw new ApiError("Kept couldn't be reached. Check it's still running, then try again.", "network");
  }
  var data = null;
  try { data = await res.json(); } catch (e) { data = null; }
  if (!res.ok) {
    var err = data && data.error;
    throw new ApiError(err && err.message ? err.message : "Something went wrong (HTTP " + res.status + "). Try again.", err && err.code);
  }
  return data;
}

// ── Telling the user ──

function el(tag, attrs, text) {
  var e = document.createElement(tag);
  if (attrs) Object.keys(attrs).forEach(function (k) { e.setAttribute(k, attrs[k]); });
  if (text !== undefined) e.textContent = text;
  return e;
}

function showError(err, where) {
  var box = where || (renewDialog && renewDialog.open ? $("renew-error") : $("alert"));
  if (!box) { window.alert(err.message || String(err)); return; }
  box.hidden = false;
  box.textContent = "";
  var body = el("div", { class: "alert-body" });
  body.appendChild(el("p", { class: "alert-title" }, "That didn't work"));
  body.appendChild(el("p", { class: "alert-message" }, err && err.message ? err.message : String(err)));
  var close = el("button", { type: "button", class: "btn quiet small" }, "Dismiss");
  close.addEventListener("click", function () { box.hidden = true; box.textContent = ""; });
  box.appendChild(body);
  box.appendChild(close);
  if (box.scrollIntoView) box.scrollIntoView({ block: "nearest", behavior: "smooth" });
}

function clearError() {
  ["alert", "renew-error", "settings-error"].forEach(function (id) { var b = $(id); if (b) { b.hidden = true; b.textContent = ""; } });
}

var toastTimer = null;
// Says what happened in the toast, a polite live region. heard: read to screen
// readers but not shown, where the page already shows it (the import's notice).
function announce(message, undo, heard) {
  var t = $("toast");
  if (!t) return;
  clearTimeout(toastTimer);
  t.textContent = "";
  var inner = el("div", { class: "toast-inner" });
  inner.appendChild(el("span", null, message));
  if (undo) {
    var b = el("button", { type: "button", class: "btn small" }, "Undo");
    b.addEventListener("click", async function () {
      b.disabled = true;
      try { await undo(); } catch (e) { showError(e); }
    });
    inner.appendChild(b);
  }
  t.appendChild(inner);
  t.classList.toggle("show", !heard);
  var hide = function () {
    if (t.contains(document.activeElement)) { toastTimer = setTimeout(hide, 3000); return; }
    t.classList.remove("show");
    toastTimer = setTimeout(function () { t.textContent = ""; }, 300);
  };
  toastTimer = setTimeout(hide, undo ? 8000 : 5000);
}

// ── Re-rendering from the server after a change ──

async function refresh(focusId) {
  var res = await fetch(location.pathname + location.search, { headers: { accept: "text/html" }, cache: "no-store", credentials: "same-origin" });
  if (!res.ok) { location.reload(); return; }
  var doc = new DOMParser().parseFromString(await res.text(), "text/html");
  ["content", "import"].forEach(function (id) {
    var fresh = doc.getElementById(id), cur = $(id);
    // An import in progress keeps its panel: its progress bar lives there.
    if (fresh && cur && cur.getAttribute("aria-busy") !== "true") cur.replaceWith(document.adoptNode(fresh));
  });
  // The settings form stays as the user left it; only its summaries follow the saved values.
  ["settings-now", "set-check-in-hint"].forEach(function (id) {
    var fresh = doc.getElementById(id), cur = $(id);
    if (fresh && cur) cur.textContent = fresh.textContent;
  });
  wireImport();
  if (focusId) focusSomething(focusId);
}

function focusSomething(ids) {
  var list = Array.isArray(ids) ? ids : [ids];
  for (var i = 0; i < list.length; i++) {
    var target = list[i] && $(list[i]);
    if (!target) continue;
    if (target.matches("article")) target = target.querySelector(".actions button") || target;
    if (!target.hasAttribute("tabindex") && !target.matches("button, a, input, select, textarea")) target.setAttribute("tabindex", "-1");
    target.focus();
    return;
  }
  var main = $("main");
  if (main) main.focus();
}

/** Where focus should go once this card has gone: the next card, else the previous, else its section. */
function focusAfter(card) {
  var li = card.closest("li");
  var next = li && li.nextElementSibling && li.nextElementSibling.querySelector("article");
  var prev = li && li.previousElementSibling && li.previousElementSibling.querySelector("article");
  var section = card.closest("section");
  var heading = section && section.querySelector("h2");
  return [card.id, next && next.id, prev && prev.id, heading && heading.id, "waiting-h"];
}

function cardOf(node) { return node.closest("article[data-id]"); }
function nameOf(card) { return card.getAttribute("data-name") || "them"; }

function fmtDate(iso) {
  var p = String(iso).split("-");
  var d = new Date(Date.UTC(+p[0], +p[1] - 1, +p[2]));
  var opts = { weekday: "long", day: "numeric", month: "long", timeZone: "UTC" };
  try { return new Intl.DateTimeFormat(DATA.locale || "en-GB", opts).format(d); } catch (e) { return new Intl.DateTimeFormat("en-GB", opts).format(d); }
}

function fmtInstant(ms) {
  var opts = { weekday: "short", day: "numeric", month: "short", hour: "2-digit", minute: "2-digit" };
  try { return new Intl.DateTimeFormat(DATA.locale || "en-GB", opts).format(new Date(ms)); } catch (e) { return new Date(ms).toLocaleString(); }
}

// ── The actions ──

var busy = false;

async function act(button) {
  var action = button.getAttribute("data-action");
  var card = cardOf(button);
  var id = card && card.getAttribute("data-id");
  var path = id ? "/api/commitments/" + encodeURIComponent(id) : "";
  var reopen = function () { return api("POST", path + "/reopen").then(function () { announce("Reopened: " + nameOf(card) + " is back on your list."); return refresh(card.id); }); };
  switch (action) {
    case "keep": {
      await api("POST", path + "/keep");
      var after = focusAfter(card);
      announce("Marked kept: " + nameOf(card) + ".", reopen);
      await refresh(location.pathname.indexOf("/c/") === 0 ? card.id : after.slice(1));
      return;
    }
    case "dismiss": {
      await api("POST", path + "/dismiss", { reason: "not-a-promise" });
      var after2 = focusAfter(card);
      announce("Removed. Kept won't remind you about this one.", reopen);
      await refresh(location.pathname.indexOf("/c/") === 0 ? card.id : after2.slice(1));
      return;
    }
    case "snooze": {
      var menu = button.closest("details");
      if (menu) menu.open = false;
      var c = await api("POST", path + "/snooze", { preset: button.getAttribute("data-preset") });
      announce("Snoozed until " + fmtInstant(c.snoozedUntil) + ".");
      await refresh(card.id);
      return;
    }
    case "reopen": {
      await api("POST", path + "/reopen");
      announce("Reopened: " + nameOf(card) + " is back on your list.");
      await refresh(card.id);
      return;
    }
    case "check-in": {
      var row = await api("POST", "/api/check-ins", {
        counterpart: { name: card.getAttribute("data-name") === card.getAttribute("data-address") ? null : card.getAttribute("data-name"), address: card.getAttribute("data-address") },
        subject: card.getAttribute("data-subject") || "Checking in",
        commitmentId: id,
      });
      announce("Check-in with " + nameOf(card) + " planned for " + fmtDate(row.dueDate) + ".");
      await refresh(card.id);
      return;
    }
    case "cancel-check-in": {
      var ci = button.getAttribute("data-check-in-id");
      await api("DELETE", "/api/check-ins/" + encodeURIComponent(ci));
      announce("Check-in cancelled.");
      await refresh("calendar-h");
      return;
    }
    case "copy-feed": {
      var input = $("feed-url");
      await copyText(input.value, input);
      announce("Calendar link copied. Paste it into your calendar app's “subscribe” box.");
      return;
    }
    case "rotate-feed": {
      if (!window.confirm("Replace your calendar link? The old link stops working, so calendars subscribed to it stop updating until you subscribe with the new one.")) return;
      var r = await api("POST", "/api/feed/rotate");
      $("feed-url").value = r.url;
      announce("New calendar link made. Subscribe with it again; the old one no longer works.");
      return;
    }
    case "renew": {
      openRenew(card, button.getAttribute("data-template"), button);
      return;
    }
    case "import-sample": {
      await runImports([{ url: "/api/import/sample", name: "the sample mailbox", file: null }]);
      return;
    }
  }
}

async function copyText(text, input) {
  try {
    await navigator.clipboard.writeText(text);
    return;
  } catch (e) {
    // Older browsers, or a page not allowed the clipboard: select and copy.
  }
  var area = input || el("textarea");
  if (!input) { area.value = text; document.body.appendChild(area); }
  area.select();
  var ok = document.execCommand && document.execCommand("copy");
  if (!input) area.remove();
  if (!ok) throw new ApiError("Your browser wouldn't copy the text. Select it and copy it yourself (Ctrl+C or ⌘C).");
}

document.addEventListener("click", async function (e) {
  var button = e.target.closest("button[data-action]");
  if (!button || button.disabled) return;
  if (busy) return;
  busy = true;
  button.setAttribute("aria-busy", "true");
  clearError();
  try {
    await act(button);
  } catch (err) {
    showError(err);
  } finally {
    busy = false;
    button.removeAttribute("aria-busy");
  }
});

// Snooze menus: close on Escape or a click elsewhere.
document.addEventListener("keydown", function (e) {
  if (e.key !== "Escape") return;
  var open = document.querySelector("details.menu[open]");
  if (open) { open.open = false; open.querySelector("summary").focus(); }
});
document.addEventListener("click", function (e) {
  document.querySelectorAll("details.menu[open]").forEach(function (d) { if (!d.contains(e.target)) d.open = false; });
});

// ── "No news yet": pick a template and a date, see the text, send it ──

var renewDialog = $("renew");
var renew = null;

function template(id) {
  var list = DATA.templates || [];
  for (var i = 0; i < list.length; i++) if (list[i].id === id) return list[i];
  return list[0];
}

function renderUpdate() {
  var t = template($("renew-template").value);
  var values = Object.assign({}, renew.values, { nextUpdateDate: fmtDate($("renew-date").value) });
  return t.body.replace(/\{\{\s*([A-Za-z]+)\s*\}\}/g, function (whole, name) {
    return Object.prototype.hasOwnProperty.call(values, name) ? values[name] : whole;
  });
}

function openRenew(card, templateId, opener) {
  if (!renewDialog) return;
  renew = { id: card.getAttribute("data-id"), card: card, values: JSON.parse(card.getAttribute("data-values") || "{}"), opener: opener, changed: false, edited: false };
  $("renew-form").hidden = false;
  $("renew-compose").hidden = true;
  $("renew-error").hidden = true;
  $("renew-to").textContent = "To " + card.getAttribute("data-name") + " · " + (card.getAttribute("data-subject") || "(no subject)");
  var select = $("renew-template");
  select.value = template(templateId).id;
  var date = $("renew-date");
  date.min = DATA.today;
  date.value = DATA.nextUpdateDate;
  $("renew-text").value = renderUpdate();
  $("renew-send").disabled = false;
  renewDialog.showModal();
  select.focus();
}

if (renewDialog) {
  var rewrite = function () {
    if (!$("renew-date").value) return;
    $("renew-text").value = renderUpdate();
    renew.edited = false;
  };
  $("renew-template").addEventListener("change", rewrite);
  $("renew-date").addEventListener("change", rewrite);
  $("renew-text").addEventListener("input", function () { renew.edited = true; });
  renewDialog.addEventListener("click", function (e) {
    if (e.target.closest("[data-close]")) renewDialog.close();
  });
  $("renew-form").addEventListener("submit", async function (e) {
    e.preventDefault();
    var send = $("renew-send");
    if (send.disabled) return;
    var date = $("renew-date").value;
    if (!date) { showError(new ApiError("Pick the date you'll update them by.")); $("renew-date").focus(); return; }
    var body = { templateId: $("renew-template").value, nextUpdateDate: date };
    if (renew.edited) body.body = $("renew-text").value;
    send.disabled = true;
    send.setAttribute("aria-busy", "true");
    clearError();
    try {
      var r = await api("POST", "/api/commitments/" + encodeURIComponent(renew.id) + "/renew", body);
      renew.changed = true;
      renew.newId = r.renewed && r.renewed.id;
      if (r.reply.delivery === "compose") {
        $("renew-form").hidden = true;
        $("renew-compose").hidden = false;
        $("compose-text").textContent = r.reply.text;
        $("compose-date").textContent = fmtDate(date);
        $("compose-mailto").setAttribute("href", r.reply.mailto);
        $("compose-title").focus();
      } else {
        renewDialog.close();
        announce("Update sent to " + nameOf(renew.card) + ". Next update due " + fmtDate(date) + ".");
      }
    } catch (err) {
      showError(err, $("renew-error"));
      send.disabled = false;
    } finally {
      send.removeAttribute("aria-busy");
    }
  });
  $("compose-copy").addEventListener("click", async function () {
    try {
      await copyText($("compose-text").textContent);
      announce("Update copied. Paste it into a reply to " + nameOf(renew.card) + ".");
    } catch (err) { showError(err, $("renew-error")); }
  });
  renewDialog.addEventListener("close", function () {
    if (!renew) return;
    var done = renew;
    renew = null;
    if (done.changed) {
      var onPage = location.pathname.indexOf("/c/") === 0;
      if (onPage && done.newId) { location.assign("/c/" + encodeURIComponent(done.newId)); return; }
      refresh(focusAfter(done.card).slice(1)).catch(showError);
    } else if (done.opener && document.contains(done.opener)) {
      done.opener.focus();
    }
  });
}

// ── Settings: name, time zone, locale, working days and hours, check-in interval ──

var settingsForm = $("settings-form");
if (settingsForm) {
  settingsForm.addEventListener("submit", async function (e) {
    e.preventDefault();
    var save = $("settings-save");
    if (save.disabled) return;
    clearError();
    var box = $("settings-error");
    var f = settingsForm.elements;
    var days = Array.prototype.filter.call(settingsForm.querySelectorAll("input[name=workDays]"), function (c) { return c.checked; })
      .map(function (c) { return Number(c.value); });
    if (!days.length) { showError(new ApiError("Pick at least one working day."), box); settingsForm.querySelector("input[name=workDays]").focus(); return; }
    var checkIn = Number(f.checkInDays.value);
    if (!f.checkInDays.value || !Number.isInteger(checkIn) || checkIn < 1 || checkIn > 730) {
      showError(new ApiError("Check in after a whole number of days, from 1 to 730."), box); f.checkInDays.focus(); return;
    }
    if (!f.dayStart.value || !f.dayEnd.value) { showError(new ApiError("Give the time your working day starts and ends."), box); (f.dayStart.value ? f.dayEnd : f.dayStart).focus(); return; }
    var addresses = f.addresses.value.split(/[\s,;]+/).filter(Boolean);
    var notAddress = addresses.filter(function (a) { return !/^[^@\s<>]+@[^@\s<>]+\.[^@\s<>]+$/.test(a); })[0];
    if (notAddress) { showError(new ApiError("“" + notAddress + "” is not an email address. Separate addresses with commas."), box); f.addresses.focus(); return; }
    var name = f.displayName.value.trim();
    var body = {
      addresses: addresses,
      displayName: name ? name : null,
      timeZone: f.timeZone.value.trim(),
      locale: f.locale.value.trim(),
      workDays: days,
      dayStart: f.dayStart.value.slice(0, 5),
      dayEnd: f.dayEnd.value.slice(0, 5),
      checkInDays: checkIn,
    };
    save.disabled = true;
    save.setAttribute("aria-busy", "true");
    try {
      var r = await api("PATCH", "/api/settings", body);
      DATA.locale = r.settings.locale;
      DATA.checkInDays = r.settings.checkInDays;
      var movedN = r.rescheduled ? r.rescheduled.followUps + r.rescheduled.checkIns : 0;
      announce(movedN ? "Settings saved. " + plural(movedN, "planned event") + " moved to your new hours." : "Settings saved.");
      await refresh();
    } catch (err) {
      showError(err, box);
    } finally {
      save.disabled = false;
      save.removeAttribute("aria-busy");
    }
  });
}

// ── Import: upload with progress, then the import's own progress, then the results ──

function fmtBytes(n) {
  if (n < 1024) return n + " B";
  if (n < 1024 * 1024) return (n / 1024).toFixed(0) + " KB";
  if (n < 1024 * 1024 * 1024) return (n / 1024 / 1024).toFixed(1) + " MB";
  return (n / 1024 / 1024 / 1024).toFixed(2) + " GB";
}

function setStatus(phase, percent, detail) {
  var box = $("import-status");
  if (!box) return;
  box.hidden = false;
  $("import-phase").textContent = phase;
  var bar = $("import-progress");
  if (percent === null) bar.removeAttribute("value"); else bar.value = Math.max(0, Math.min(100, percent));
  $("import-detail").textContent = detail || "";
}

function importOne(job) {
  return new Promise(function (resolve) {
    var xhr = new XMLHttpRequest();
    var seen = 0, report = null, failed = null, readTotal = 0;
    var handle = function (line) {
      var msg;
      try { msg = JSON.parse(line); } catch (e) { return; }
      if (msg.type === "start") setStatus("Reading " + job.name + "…", null);
      else if (msg.type === "progress") {
        if (msg.phase === "read") {
          readTotal = msg.messages;
          setStatus("Reading " + job.name + "…", msg.totalBytes ? (msg.bytes / msg.totalBytes) * 50 : null, msg.messages + " messages read");
        } else {
          setStatus("Finding your promises…", 50 + (readTotal ? (msg.messages / readTotal) * 50 : 0), msg.messages + " of " + readTotal + " messages");
        }
      } else if (msg.type === "done") report = msg.report;
      else if (msg.type === "error") failed = new ApiError(msg.error.message, msg.error.code);
    };
    var drain = function (final) {
      var text = xhr.responseText || "";
      var end = final ? text.length : text.lastIndexOf("\n") + 1;
      if (end <= seen) return;
      text.slice(seen, end).split("\n").forEach(function (l) { if (l.trim()) handle(l); });
      seen = end;
    };
    xhr.open("POST", job.url);
    xhr.setRequestHeader("accept", "application/x-ndjson");
    if (job.file) {
      xhr.setRequestHeader("content-type", "application/octet-stream");
      xhr.upload.addEventListener("progress", function (e) {
        if (e.lengthComputable) setStatus("Uploading " + job.name + "…", (e.loaded / e.total) * 100, fmtBytes(e.loaded) + " of " + fmtBytes(e.total));
      });
      xhr.upload.addEventListener("load", function () { setStatus("Uploaded. Reading " + job.name + "…", null); });
    }
    xhr.addEventListener("progress", function () { if (xhr.status === 200) drain(false); });
    xhr.addEventListener("load", function () {
      if (xhr.status !== 200) {
        var message = "The import failed (HTTP " + xhr.status + "). Try again.";
        try { var data = JSON.parse(xhr.responseText); if (data.error && data.error.message) message = data.error.message; } catch (e) {}
        resolve({ error: new ApiError(message) });
        return;
      }
      drain(true);
      if (failed) resolve({ error: failed });
      else if (!report) resolve({ error: new ApiError("The import ended before Kept said it was done. Import the file again: messages already seen are skipped.") });
      else resolve({ report: report });
    });
    xhr.addEventListener("error", function () {
      resolve({ error: new ApiError("The connection to Kept dropped during the import. Check Kept is still running, then import the file again (messages already seen are skipped).") });
    });
    xhr.send(job.file || null);
  });
}

function plural(n, one, many) { return n + " " + (n === 1 ? one : many || one + "s"); }

async function runImports(jobs) {
  var panel = $("import");
  if (panel && panel.getAttribute("aria-busy") === "true") return;
  if (panel) panel.setAttribute("aria-busy", "true");
  var total = { messages: 0, created: 0, kept: 0, chased: 0, errorCount: 0, errors: [], unknownMe: null };
  var problems = [];
  // The last import's result is about that one.
  var previous = $("import-result");
  if (previous) previous.remove();
  announce("Import started.");
  for (var i = 0; i < jobs.length; i++) {
    var job = jobs[i];
    if (job.tooBig) { problems.push(job.tooBig); continue; }
    var r = await importOne(job);
    if (r.error) { problems.push(r.error.message); continue; }
    if (r.report.noMail) { problems.push("Nothing imported from " + r.report.file + ": " + r.report.noMail + ". Kept reads .mbox files and .eml messages."); continue; }
    ["messages", "created", "kept", "chased", "errorCount"].forEach(function (k) { total[k] += r.report[k] || 0; });
    if (r.report.me && r.report.me.method === "none") total.unknownMe = r.report.me.detail;
    total.errors = total.errors.concat(r.report.errors || []);
  }
  if (panel) panel.removeAttribute("aria-busy");
  var status = $("import-status");
  if (status) status.hidden = true;
  if (problems.length) showError(new ApiError(problems.join(" ")));
  if (problems.length === jobs.length) {
    announce("Import stopped.", null, true); // the alert says why; "started" no longer shows
    return;
  }
  var open = total.created - total.kept;
  var summary = "Read " + plural(total.messages, "message") + ": found " + plural(total.created, "promise") + ", " + total.kept + " already kept" +
    (total.chased ? ", " + total.chased + " chased you" : "") + ". " + (open > 0 ? plural(open, "person is", "people are") + " still waiting." : "Nobody is left waiting.");
  // Without knowing which messages are the user's, "nobody is waiting" would be a false all-clear.
  if (total.unknownMe && total.created === 0) summary = "Read " + plural(total.messages, "message") + " and recorded nothing yet.";
  await refresh();
  var content = $("content");
  if (content) {
    // An import that could record nothing is a warning, not a success.
    var nothing = total.unknownMe && total.created === 0;
    var title = nothing ? "Nothing imported yet" : "Import finished";
    var note = el("div", { class: "notice import-result" + (nothing ? " notice-warn" : ""), id: "import-result", tabindex: "-1" });
    note.appendChild(el("p", { class: "notice-title" }, title));
    note.appendChild(el("p", null, summary));
    if (total.unknownMe) {
      // Without knowing which messages are the user's, nothing counts as a promise they made.
      var why = "Kept couldn't tell which messages are yours (" + total.unknownMe + "). Add your addresses under Settings, then import the file again.";
      note.appendChild(el("p", { class: "notice-warning" }, why));
      var fix = el("button", { type: "button", class: "btn" }, "Add your addresses");
      fix.addEventListener("click", function () { var d = $("settings-details"); if (d) d.open = true; var a = $("set-addresses"); if (a) a.focus(); });
      note.appendChild(fix);
    }
    if (total.errorCount) {
      var more = el("details");
      more.appendChild(el("summary", null, plural(total.errorCount, "message") + " couldn't be read and " + (total.errorCount === 1 ? "was" : "were") + " skipped"));
      var ul = el("ul", { class: "small" });
      total.errors.slice(0, 20).forEach(function (x) { ul.appendChild(el("li", null, x.source + " #" + (x.index + 1) + ": " + x.message)); });
      more.appendChild(ul);
      note.appendChild(more);
    }
    content.insertBefore(note, content.firstChild);
    window.scrollTo({ top: 0 });
    note.focus();
  }
  announce((total.unknownMe && total.created === 0 ? "Nothing imported yet. " : "Import finished. ") + summary +
    (total.unknownMe ? " Kept couldn't tell which messages are yours. Add your addresses under Settings, then import the file again." : ""), null, !!content);
}

function filesToJobs(files) {
  var form = $("import-form");
  var max = form ? Number(form.getAttribute("data-max-bytes")) : Infinity;
  if (files.length > 1) {
    // Several files go up together and are read as one mailbox, so a reply in one
    // finds the promise in another whatever the order they were picked in.
    var list = Array.prototype.slice.call(files);
    var size = list.reduce(function (n, f) { return n + f.size; }, 0);
    var parts = list.map(function (f) { return { name: f.name, size: f.size }; });
    // The body starts with a line listing the files, then holds them back to back.
    return [{
      url: "/api/import?files=" + list.length,
      name: list.length + " files",
      file: new Blob([JSON.stringify(parts) + "\n"].concat(list)),
      tooBig: size > max ? "These files come to " + fmtBytes(size) + "; Kept imports up to " + fmtBytes(max) + " at a time. Import them in smaller groups, or export just your Sent folder and Inbox." : null,
    }];
  }
  return Array.prototype.map.call(files, function (f) {
    return {
      url: "/api/import?name=" + encodeURIComponent(f.name),
      name: f.name,
      file: f,
      tooBig: f.size > max ? f.name + " is " + fmtBytes(f.size) + "; Kept imports up to " + fmtBytes(max) + " at a time. Export just your Sent folder, or split the mailbox, and import the parts one after another." : null,
    };
  });
}

function wireImport() {
  var input = $("import-file");
  var form = $("import-form");
  if (!input || input.getAttribute("data-wired")) return;
  input.setAttribute("data-wired", "1");
  input.addEventListener("change", function () {
    if (!input.files || !input.files.length) return;
    clearError();
    var jobs = filesToJobs(input.files);
    input.value = "";
    runImports(jobs).catch(showError);
  });
  form.addEventListener("submit", function (e) { e.preventDefault(); });
  form.addEventListener("dragover", function (e) { e.preventDefault(); form.classList.add("dragging"); });
  form.addEventListener("dragleave", function () { form.classList.remove("dragging"); });
  form.addEventListener("drop", function (e) {
    e.preventDefault();
    form.classList.remove("dragging");
    if (e.dataTransfer && e.dataTransfer.files.length) { clearError(); runImports(filesToJobs(e.dataTransfer.files)).catch(showError); }
  });
}
wireImport();
})();
`;
