// The dashboard's HTML, rendered on the server with hono/html (escaped by default).
// Every action is a real <button>; /assets/kept.js makes them talk to the API.
import { html, raw } from "hono/html";
import type { HtmlEscapedString } from "hono/utils/html";
import { formatDate } from "../../core/templates";
import { threadLink, type HistoryEntry } from "../../core/model";
import { waitedChart, weeklyChart } from "./charts";
import { valuesFor, FORGOTTEN_AFTER_DAYS, type CommitmentPage, type CommitmentView, type Context, type Dashboard } from "./data";
import { dateTime, displayName, hoursAsWords, initials, percent, relativeDays, shortDate, span } from "./format";
import { localDateOf } from "../../core/time";
import { isLoopbackHost } from "../auth";

type Html = HtmlEscapedString | Promise<HtmlEscapedString>;

export const ASSET_VERSION = "1";

const SNOOZE_PRESETS: Array<[string, string]> = [
  ["later-today", "Later today"],
  ["tomorrow", "Tomorrow"],
  ["in-3-days", "In 3 days"],
  ["next-week", "Next week"],
];

/** JSON for a <script type="application/json"> block: nothing in it can close the element. */
function jsonBlock(value: unknown): HtmlEscapedString {
  return raw(JSON.stringify(value).replace(/</g, "\\u003c").replace(/>/g, "\\u003e").replace(/&/g, "\\u0026")) as HtmlEscapedString;
}

const logo = html`<svg class="logo" viewBox="0 0 32 32" aria-hidden="true" focusable="false"><rect x="3" y="5" width="26" height="24" rx="6" class="logo-box"></rect><path d="M3 12h26" class="logo-line"></path><path d="M11 20.5l3.5 3.5 7-8" class="logo-tick"></path></svg>`;

export function layout(opts: { title: string; email?: string | null; body: Html; data?: unknown; home?: boolean }) {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>${opts.title}</title>
<link rel="stylesheet" href="/assets/kept.css?v=${ASSET_VERSION}">
<link rel="icon" href="/assets/icon.svg" type="image/svg+xml">
</head>
<body>
<a class="skip" href="#main">Skip to content</a>
<header class="top">
<div class="wrap top-inner">
<a class="brand" href="/"${opts.home ? raw(' aria-current="page"') : ""}>${logo}<span>Kept</span></a>
${opts.email ? html`<p class="who-am-i"><span class="visually-hidden">Signed in as </span>${opts.email}</p>` : ""}
</div>
</header>
<main id="main" tabindex="-1">
<div class="wrap">
<div id="alert" class="alert" role="alert" hidden></div>
${opts.body}
</div>
</main>
<footer class="foot"><div class="wrap"><p>Kept reads the mail you send to find promises, and keeps them on your calendar until they're kept. Message bodies are read, never stored.</p></div></footer>
<div id="toast" class="toast" role="status" aria-live="polite" aria-atomic="true"></div>
${opts.data !== undefined ? html`<script type="application/json" id="kept-data">${jsonBlock(opts.data)}</script>` : ""}
<script src="/assets/kept.js?v=${ASSET_VERSION}" defer></script>
</body>
</html>`;
}

function pageData(ctx: Context) {
  return {
    locale: ctx.settings.locale,
    today: ctx.today,
    nextUpdateDate: ctx.nextUpdateDate,
    composeOnly: ctx.composeOnly,
    checkInDays: ctx.settings.checkInDays,
    templates: ctx.templates.map((t) => ({ id: t.id, name: t.name, body: t.body })),
  };
}

// ── One promise ──

function badges(c: CommitmentView, ctx: Context) {
  const out: Html[] = [];
  if (c.status === "snoozed" && c.snoozedUntil)
    out.push(html`<span class="badge snoozed">Snoozed until ${dateTime(c.snoozedUntil, ctx.today, ctx.settings.timeZone, ctx.settings.locale)}</span>`);
  if (c.overdue) out.push(html`<span class="badge overdue">Overdue ${span(c.daysLate)}</span>`);
  else if ((c.status === "open" || c.status === "snoozed") && c.dueDate === ctx.today) out.push(html`<span class="badge due">Due today</span>`);
  if (c.chased) out.push(html`<span class="badge chased">Chased${c.chaseCount > 1 ? html` ×${c.chaseCount}` : ""}</span>`);
  if (c.status === "kept") out.push(html`<span class="badge kept">Kept</span>`);
  if (c.status === "dismissed") out.push(html`<span class="badge dismissed">Dismissed</span>`);
  return out.length ? html`<p class="badges">${out}</p>` : "";
}

function actions(c: CommitmentView, ctx: Context, opts: { templateId: string; primaryLabel: string; headingId: string }) {
  if (c.status === "kept" || c.status === "dismissed") {
    return html`<div class="actions" role="group" aria-labelledby="${opts.headingId}">
<button type="button" class="btn" data-action="reopen">Reopen</button>
</div>`;
  }
  return html`<div class="actions" role="group" aria-labelledby="${opts.headingId}">
<button type="button" class="btn primary" data-action="renew" data-template="${opts.templateId}">${opts.primaryLabel}</button>
<button type="button" class="btn" data-action="keep">Mark kept</button>
<details class="menu">
<summary class="btn">Snooze</summary>
<div class="menu-list">
${SNOOZE_PRESETS.map(([preset, label]) => html`<button type="button" class="menu-item" data-action="snooze" data-preset="${preset}">${label}</button>`)}
</div>
</details>
<button type="button" class="btn quiet" data-action="dismiss">Not a promise</button>
<button type="button" class="btn quiet" data-action="check-in">Check in in ${ctx.settings.checkInDays} days</button>
</div>`;
}

export function card(c: CommitmentView, ctx: Context, opts: { forgotten?: boolean; level?: 2 | 3; link?: boolean } = {}) {
  const to = c.counterparts[0] ?? { name: null, address: "" };
  const others = c.counterparts.length - 1;
  const headingId = `who-${c.id}`;
  const level = opts.level ?? 3;
  const who = opts.link === false ? html`${displayName(to)}` : html`<a href="/c/${encodeURIComponent(c.id)}">${displayName(to)}</a>`;
  const sentDate = localDateOf(c.sentAt, ctx.settings.timeZone);
  const values = valuesFor(c, ctx.account);
  return html`<article class="card${c.overdue ? " is-overdue" : ""}" id="c-${c.id}" data-id="${c.id}" data-name="${displayName(to)}" data-address="${to.address}" data-subject="${c.subject}" data-values="${JSON.stringify(values)}" aria-labelledby="${headingId}">
<div class="card-head">
<span class="avatar" aria-hidden="true">${initials(to)}</span>
<div class="card-title">
${raw(`<h${level} class="who" id="${headingId}">`)}${who}${others > 0 ? html` <span class="muted">and ${others} other${others > 1 ? "s" : ""}</span>` : ""}${raw(`</h${level}>`)}
<p class="subject">${c.subject || "(no subject)"}<span class="visually-hidden">, ${to.address}</span></p>
</div>
${badges(c, ctx)}
</div>
<blockquote class="promise"><p>${c.sentence}</p></blockquote>
<dl class="meta">
<div><dt>Promised</dt><dd><time datetime="${sentDate}">${shortDate(sentDate, ctx.today, ctx.settings.locale)}</time> <span class="muted">(${relativeDays(sentDate, ctx.today)})</span></dd></div>
<div><dt>Due</dt><dd><time datetime="${c.dueDate}">${shortDate(c.dueDate, ctx.today, ctx.settings.locale)}</time>${c.dueStated ? "" : html` <span class="muted">(no date given)</span>`}</dd></div>
${c.chased && c.chasedAt ? html`<div><dt>Last chased</dt><dd>${relativeDays(localDateOf(c.chasedAt, ctx.settings.timeZone), ctx.today)}</dd></div>` : ""}
${c.status === "kept" && c.keptAt ? html`<div><dt>Kept</dt><dd>${dateTime(c.keptAt, ctx.today, ctx.settings.timeZone, ctx.settings.locale)}</dd></div>` : ""}
</dl>
${actions(c, ctx, {
  headingId,
  templateId: opts.forgotten ? "owe-you-an-update" : "general-no-news",
  primaryLabel: opts.forgotten ? "Send “I owe you an update”" : "No news yet…",
})}
</article>`;
}

// ── The dashboard ──

function stat(label: string, value: string, note: Html | string, tone = "") {
  return html`<div class="stat ${tone}"><dt>${label}</dt><dd><span class="stat-value">${value}</span><span class="stat-note">${note}</span></dd></div>`;
}

function figures(d: Dashboard) {
  const s = d.summary;
  return html`<section class="figures" aria-labelledby="figures-h">
<h2 id="figures-h" class="visually-hidden">Your figures</h2>
<dl class="stats">
${stat("Open", String(s.open), s.chased ? `${s.chased} chased you` : "nobody has chased", "")}
${stat("Overdue", String(s.overdue), s.overdue ? "past the date you gave" : "all on time", s.overdue ? "warn" : "good")}
${stat("Kept on time", percent(s.keptOnTimeRate), s.kept ? `${s.keptOnTime} of ${s.kept} kept` : "nothing kept yet", "")}
${stat("Median time to get back", hoursAsWords(s.medianHoursToGetBack), "from promise to reply", "")}
</dl>
</section>`;
}

/** Follow-ups or updates that haven't reached the provider: being retried, or refused. */
function deliveryNotice(d: Dashboard) {
  const { delayed, failed, lastError } = d.summary.delivery;
  if (!delayed && !failed) return "";
  const plural = (n: number, one: string, many: string) => `${n.toLocaleString("en")} ${n === 1 ? one : many}`;
  return html`<div class="notice notice-warn" role="status" id="delivery-notice">
<p class="notice-title">${failed ? "Some calendar changes or updates could not be made" : "Your calendar is not up to date yet"}</p>
${delayed ? html`<p>${plural(delayed, "change is", "changes are")} waiting for your calendar or mail to answer. Kept keeps retrying; nothing is lost.</p>` : ""}
${failed ? html`<p>${plural(failed, "change was", "changes were")} refused in the last 30 days. Each promise it touched says so in its history; an update that could not be sent is open again, so you can send it another way.</p>` : ""}
${lastError ? html`<p class="muted small">Latest reason given: ${lastError}</p>` : ""}
</div>`;
}

function waitingSection(d: Dashboard) {
  return html`<section class="section" id="waiting" aria-labelledby="waiting-h">
<div class="section-head">
<h2 id="waiting-h" tabindex="-1">People waiting on you <span class="count">${d.waitingTotal}</span></h2>
<p class="section-note">Oldest first. Each one is on your calendar until you reply.</p>
</div>
${shownOf(d.waiting.length, d.waitingTotal)}
${d.waiting.length
  ? html`<ol class="cards">${d.waiting.map((c) => html`<li>${card(c, d)}</li>`)}</ol>`
  : html`<p class="quiet-state">${d.forgotten.length ? "Nobody else is waiting. Clear the older ones below when you have a moment." : "Nobody is waiting on you. Nice work."}</p>`}
</section>`;
}

/** Said when a list holds only the oldest part of what there is. */
function shownOf(shown: number, total: number) {
  return shown < total ? html`<p class="muted small list-limit">Showing the oldest ${shown.toLocaleString("en")} of ${total.toLocaleString("en")}. Those you keep or dismiss make room for the next.</p>` : "";
}

function forgottenSection(d: Dashboard) {
  if (!d.forgotten.length) return "";
  return html`<section class="section forgotten" id="forgotten" aria-labelledby="forgotten-h">
<div class="section-head">
<h2 id="forgotten-h" tabindex="-1">Forgotten promises <span class="count">${d.forgottenTotal}</span></h2>
<p class="section-note">More than ${FORGOTTEN_AFTER_DAYS} days past the date you gave. A short “I owe you an update” to each clears the backlog in an afternoon, and nobody minds hearing it.</p>
</div>
${shownOf(d.forgotten.length, d.forgottenTotal)}
<ol class="cards">${d.forgotten.map((c) => html`<li>${card(c, d, { forgotten: true })}</li>`)}</ol>
</section>`;
}

function chartsSection(d: Dashboard) {
  return html`<section class="section" id="charts" aria-labelledby="charts-h">
<div class="section-head"><h2 id="charts-h">How you're doing</h2></div>
<div class="charts">
${weeklyChart(d.summary.weekly, d.settings.locale)}
${waitedChart(d.summary.waited)}
</div>
</section>`;
}

function calendarSection(d: Dashboard) {
  const webcal = d.feedUrl.replace(/^https?:/, "webcal:");
  // A feed on a loopback address reaches calendar apps on this computer only.
  const feedHost = new URL(d.feedUrl).host;
  const onlyHere = isLoopbackHost(feedHost);
  return html`<section class="section" id="calendar" aria-labelledby="calendar-h">
<div class="section-head"><h2 id="calendar-h">Your calendar</h2></div>
<div class="two-col">
<div class="panel">
<h3>Follow-ups in your calendar app</h3>
<p>Subscribe to this link once and every follow-up appears in your calendar, with a link back here to act on it.</p>
<div class="copy-row">
<label for="feed-url" class="visually-hidden">Calendar feed link</label>
<input id="feed-url" type="text" readonly value="${d.feedUrl}" spellcheck="false">
<button type="button" class="btn" data-action="copy-feed">Copy link</button>
</div>
${onlyHere
  ? html`<ul class="hints">
<li><strong>Apple Calendar on this computer:</strong> File › New Calendar Subscription, or <a href="${webcal}">open it directly</a>.</li>
<li><strong>Google Calendar and Outlook</strong> fetch subscriptions from their own servers, which can't reach Kept at ${feedHost}. Run Kept at an address they can reach (set <code>PUBLIC_URL</code> to it and restart), or import <a href="${d.feedUrl}" download="kept.ics">a copy of the calendar</a> now (a copy doesn't update).</li>
</ul>
<p class="muted small" id="feed-local-note">Kept is running on this computer only, so the links in the events open here.</p>`
  : html`<ul class="hints">
<li><strong>Apple Calendar:</strong> File › New Calendar Subscription, or <a href="${webcal}">open it directly</a>.</li>
<li><strong>Google Calendar:</strong> Other calendars › + › From URL.</li>
<li><strong>Outlook:</strong> Add calendar › Subscribe from web.</li>
</ul>`}
<p class="muted small">Anyone with this link can see your follow-ups. If it has been shared by mistake, replace it: the old link stops working.</p>
<button type="button" class="btn quiet" data-action="rotate-feed">Replace link</button>
</div>
<div class="panel">
<h3>Upcoming check-ins</h3>
${d.checkIns.length
  ? html`<ul class="check-ins">${d.checkIns.map(
      (k) => html`<li data-check-in="${k.id}">
<div><strong>${k.counterpartName || k.counterpartAddress}</strong><span class="muted"> · ${k.subject}</span><br><span class="small"><time datetime="${k.dueDate}">${shortDate(k.dueDate, d.today, d.settings.locale)}</time> (${relativeDays(k.dueDate, d.today)})${k.reason === "bad-news" ? " · after bad news" : ""}</span></div>
<button type="button" class="btn quiet small" data-action="cancel-check-in" data-check-in-id="${k.id}" aria-label="Cancel check-in with ${k.counterpartName || k.counterpartAddress}">Cancel</button>
</li>`,
    )}</ul>`
  : html`<p class="muted">No check-ins planned. Use “Check in in ${d.settings.checkInDays} days” on a promise to stay in touch with someone.</p>`}
</div>
</div>
</section>`;
}

const WEEKDAYS: Array<[number, string, string]> = [
  [1, "Mon", "Monday"],
  [2, "Tue", "Tuesday"],
  [3, "Wed", "Wednesday"],
  [4, "Thu", "Thursday"],
  [5, "Fri", "Friday"],
  [6, "Sat", "Saturday"],
  [7, "Sun", "Sunday"],
];
const LOCALES = ["en-GB", "en-US", "en-AU", "en-CA", "en-IE", "en-IN", "en-NZ", "en-ZA", "de-DE", "es-ES", "fr-FR", "it-IT", "nl-NL", "pt-BR", "sv-SE"];
let timeZones: string[] | null = null;
function timeZoneList(): string[] {
  if (!timeZones) {
    try {
      timeZones = Intl.supportedValuesOf("timeZone");
    } catch {
      timeZones = [];
    }
    if (!timeZones.includes("UTC")) timeZones = ["UTC", ...timeZones];
  }
  return timeZones;
}

function settingsSection(d: Dashboard) {
  const s = d.settings;
  const days = WEEKDAYS.filter(([n]) => s.workDays.includes(n)).map(([, short]) => short).join(", ");
  return html`<section class="section" id="settings" aria-labelledby="settings-h">
<div class="section-head"><h2 id="settings-h">Settings</h2></div>
<details class="panel settings" id="settings-details">
<summary><span class="settings-summary-title">Your name, time zone and working hours</span> <span class="muted small" id="settings-now">${s.displayName ? `${s.displayName} · ` : ""}${s.timeZone} · ${days} ${s.dayStart}–${s.dayEnd}</span></summary>
<form id="settings-form" novalidate>
<div id="settings-error" class="alert" role="alert" hidden></div>
<div class="settings-grid">
<div class="field">
<label for="set-name">Your name</label>
<input id="set-name" name="displayName" type="text" maxlength="200" autocomplete="name" value="${s.displayName ?? ""}" aria-describedby="set-name-hint">
<p id="set-name-hint" class="hint">Signs your “no news yet” updates. Leave empty to use one made from your address.</p>
</div>
<div class="field">
<label for="set-tz">Time zone</label>
<input id="set-tz" name="timeZone" type="text" list="set-tz-list" required maxlength="64" spellcheck="false" autocomplete="off" value="${s.timeZone}" aria-describedby="set-tz-hint">
<p id="set-tz-hint" class="hint">A name such as Europe/London or America/New_York.</p>
</div>
<div class="field">
<label for="set-locale">Date format (locale)</label>
<input id="set-locale" name="locale" type="text" list="set-locale-list" required maxlength="35" spellcheck="false" autocomplete="off" value="${s.locale}" aria-describedby="set-locale-hint">
<p id="set-locale-hint" class="hint">en-GB writes 25 November; en-US writes November 25.</p>
</div>
<div class="field">
<label for="set-check-in">Check in after (days)</label>
<input id="set-check-in" name="checkInDays" type="number" inputmode="numeric" min="1" max="730" step="1" required value="${String(s.checkInDays)}" aria-describedby="set-check-in-hint">
<p id="set-check-in-hint" class="hint">Used by “Check in in ${s.checkInDays} days” on a promise.</p>
</div>
<div class="field wide">
<label for="set-addresses">Your email addresses</label>
<input id="set-addresses" name="addresses" type="text" maxlength="4000" spellcheck="false" autocomplete="off" value="${d.account.addresses.join(", ")}" aria-describedby="set-addresses-hint">
<p id="set-addresses-hint" class="hint">Tells your mail from other people's in an import. Leave empty and Kept works them out from your Sent folder.</p>
</div>
</div>
<fieldset class="days">
<legend>Working days</legend>
<div class="day-list">${WEEKDAYS.map(
    ([n, short, long]) => html`<label class="day"><input type="checkbox" name="workDays" value="${String(n)}"${s.workDays.includes(n) ? raw(" checked") : ""}><span aria-hidden="true">${short}</span><span class="visually-hidden">${long}</span></label>`,
  )}</div>
</fieldset>
<fieldset class="days">
<legend>Working hours</legend>
<p class="hint">Reminders land on your calendar within these hours, in your time zone.</p>
<div class="hours">
<div class="field"><label for="set-start">Start</label><input id="set-start" name="dayStart" type="time" required value="${s.dayStart}"></div>
<div class="field"><label for="set-end">End</label><input id="set-end" name="dayEnd" type="time" required value="${s.dayEnd}"></div>
</div>
</fieldset>
<div class="form-actions"><button type="submit" class="btn primary" id="settings-save">Save settings</button></div>
<datalist id="set-tz-list">${timeZoneList().map((z) => html`<option value="${z}"></option>`)}</datalist>
<datalist id="set-locale-list">${LOCALES.map((l) => html`<option value="${l}"></option>`)}</datalist>
</form>
</details>
</section>`;
}

function importPanel(empty: boolean) {
  return html`<section class="section import${empty ? " is-empty" : ""}" id="import" aria-labelledby="import-h">
<div class="section-head">
<h2 id="import-h" tabindex="-1">${empty ? "Start with mail you've already sent" : "Import more mail"}</h2>
<p class="section-note">${empty
    ? "Kept looks through the mail you sent, finds what you promised (“I'll get back to you by Friday”), notices what you've already done, and puts the rest on your calendar."
    : "Imports are safe to repeat: messages Kept has already seen are skipped."}</p>
</div>
<div class="import-grid">
<form class="panel dropzone" id="import-form" data-max-bytes="${1024 * 1024 * 1024}">
<h3>Upload a mailbox</h3>
<p>An <strong>.mbox</strong> file (Gmail via Google Takeout, Apple Mail, Thunderbird) or <strong>.eml</strong> messages (drag them out of Outlook). Up to 1 GB.</p>
<label class="file-label" for="import-file"><span class="btn primary" aria-hidden="true">Choose files…</span><span class="file-hint">or drop them here</span></label>
<input class="visually-hidden-file" id="import-file" name="file" type="file" accept=".mbox,.eml,.mbx,application/mbox,message/rfc822" multiple>
</form>
<div class="panel">
<h3>Just looking?</h3>
<p>Try Kept on a sample recruiter's mailbox: a few weeks of candidates and clients, some promises kept, some chased, some forgotten.</p>
<button type="button" class="btn" data-action="import-sample">Try the sample mailbox</button>
<p class="muted small">Connecting Outlook and Gmail directly is on its way.</p>
</div>
</div>
<div id="import-status" class="import-status" hidden>
<p id="import-phase" class="import-phase"></p>
<progress id="import-progress" max="100" aria-labelledby="import-phase"></progress>
<p id="import-detail" class="muted small"></p>
</div>
</section>`;
}

function emptyHero() {
  return html`<section class="hero" aria-labelledby="hero-h">
<h1 id="hero-h">Keep every promise you make by email</h1>
<p class="lede">When you write “I'll get back to you by Friday”, Kept notices, puts a follow-up on your calendar, and clears it when you reply. People stop waiting on you, and you stop carrying it all in your head.</p>
</section>`;
}

function waitingHeadline(people: number, promises: number) {
  if (promises === 0) return "All caught up";
  const who = `${people.toLocaleString("en")} ${people === 1 ? "person is" : "people are"} waiting on you`;
  return promises > people ? `${who} for ${promises.toLocaleString("en")} promises` : who;
}

export function dashboardPage(d: Dashboard) {
  const empty = d.total === 0;
  const body = html`<div id="content" data-region>
${empty
  ? emptyHero()
  : html`<h1 class="page-title">${waitingHeadline(d.peopleWaiting, d.waitingTotal + d.forgottenTotal)}</h1>
${deliveryNotice(d)}
${figures(d)}
${waitingSection(d)}
${forgottenSection(d)}
${chartsSection(d)}
${calendarSection(d)}`}
</div>
${empty ? "" : settingsSection(d)}
${importPanel(empty)}
${empty ? settingsSection(d) : ""}
${renewDialog(d)}`;
  return layout({ title: "Kept", email: d.account.email, body, data: pageData(d), home: true });
}

// ── The "no news yet" dialog ──

function renewDialog(ctx: Context) {
  return html`<dialog id="renew" class="dialog" aria-labelledby="renew-title">
<form id="renew-form" method="dialog">
<h2 id="renew-title">Send a quick update</h2>
<p id="renew-to" class="muted"></p>
<div id="renew-error" class="alert" role="alert" hidden></div>
<div class="field">
<label for="renew-template">Template</label>
<select id="renew-template" name="templateId">${ctx.templates.map((t) => html`<option value="${t.id}">${t.name}</option>`)}</select>
</div>
<div class="field">
<label for="renew-date">I'll update them again by</label>
<input id="renew-date" name="nextUpdateDate" type="date" required min="${ctx.today}" value="${ctx.nextUpdateDate}">
</div>
<div class="field">
<label for="renew-text">Message</label>
<textarea id="renew-text" name="text" rows="11" aria-describedby="renew-text-hint"></textarea>
<p id="renew-text-hint" class="hint">Edit as you like. Picking another template or date writes it afresh.</p>
</div>
<div class="dialog-actions">
<button type="button" class="btn" data-close>Cancel</button>
<button type="submit" class="btn primary" id="renew-send">${ctx.composeOnly ? "Continue to email" : "Send update"}</button>
</div>
</form>
<div id="renew-compose" hidden>
<h2 id="compose-title" tabindex="-1">Your update is ready</h2>
<p>Kept has noted the update and will remind you by <strong id="compose-date"></strong>. Send it from your mail app, or copy the text into a reply.</p>
<pre id="compose-text" class="compose-text"></pre>
<div class="dialog-actions">
<button type="button" class="btn" data-close>Done</button>
<button type="button" class="btn" id="compose-copy">Copy text</button>
<a class="btn primary" id="compose-mailto" href="#">Open in your mail app</a>
</div>
</div>
</dialog>`;
}

// ── One promise's page (calendar events link here) ──

const HISTORY_LABEL: Record<string, string> = {
  created: "Promise found",
  reminded: "Reminder on your calendar",
  chased: "They wrote again",
  snoozed: "Snoozed",
  woke: "Snooze ended",
  kept: "Kept",
  dismissed: "Dismissed",
  renewed: "You sent a “no news yet” update",
  reopened: "Reopened",
  rescheduled: "Rescheduled",
  not_sent: "Your update was not sent",
  not_placed: "Kept could not update your calendar",
};

function historyDetail(h: HistoryEntry, p: CommitmentPage): string {
  const d = h.detail as Record<string, unknown>;
  const { locale, timeZone } = p.settings;
  if (h.type === "created") return d.source === "import" ? "in imported mail" : d.source === "update" ? "from your update" : "as you sent it";
  if (h.type === "snoozed" && typeof d.until === "number") return `until ${dateTime(d.until, p.today, timeZone, locale)}`;
  if (h.type === "kept") return d.via === "message" || d.messageId ? "by your reply" : "marked by you";
  if (h.type === "dismissed") return d.reason === "no-longer-needed" ? "no longer needed" : d.reason === "update-not-sent" ? "the update was not sent" : "not a promise";
  if (h.type === "renewed" && typeof d.newDueDate === "string") return `next update by ${formatDate(d.newDueDate, locale)}`;
  if (h.type === "reopened" && d.because === "update-not-sent") return "your “no news yet” update could not be sent, so they are still waiting";
  if (h.type === "reopened" && typeof d.was === "string") return `was ${d.was}`;
  if (h.type === "not_sent" && d.skipped) return "you wrote to them yourself before Kept could send it, so Kept didn't send it as well";
  if (h.type === "not_sent" && d.superseded) return `${typeof d.error === "string" ? `${d.error}. ` : ""}You had already moved on from it, so nothing else changed.`;
  if (h.type === "not_sent") return `${typeof d.error === "string" ? `${d.error}. ` : ""}This promise ends; the one it was to keep is open again.`;
  if (h.type === "not_placed") return `${d.op === "delete_event" ? "A follow-up could not be removed" : "A follow-up could not be added"}${typeof d.error === "string" ? `: ${d.error}` : ""}.`;
  return "";
}

const EVENT_STATE: Record<string, string> = { pending: "being added", created: "on your calendar", cancelled: "removed", deleted: "removed" };

function statusLine(p: CommitmentPage): string {
  const c = p.item;
  const to = displayName(c.counterparts[0] ?? { name: null, address: "" });
  if (c.status === "kept") return `Kept. ${to} heard back from you.`;
  if (c.status === "dismissed" && c.dismissedReason === "update-not-sent") return `Your update to ${to} could not be sent.`;
  if (c.status === "dismissed") return "Dismissed: Kept won't remind you about this.";
  if (c.status === "snoozed") return `${to} is waiting on you; snoozed for now.`;
  return `${to} is waiting on you.`;
}

export function commitmentPageHtml(p: CommitmentPage) {
  const c = p.item;
  const forgotten = c.daysLate > FORGOTTEN_AFTER_DAYS && (c.status === "open" || c.status === "snoozed");
  const body = html`<div id="content" data-region>
<nav class="crumbs" aria-label="Breadcrumb"><a href="/">All promises</a></nav>
<h1 class="page-title">${statusLine(p)}</h1>
${p.renewedTo ? html`<p class="notice">You sent an update; the new promise is <a href="/c/${encodeURIComponent(p.renewedTo.id)}">due ${shortDate(p.renewedTo.dueDate, p.today, p.settings.locale)}</a>.</p>` : ""}
${card(c, p, { forgotten, level: 2, link: false })}
${threadLink(c) ? html`<p><a class="btn" href="${threadLink(c)!}" target="_blank" rel="noopener">Open the thread in ${c.provider === "google" ? "Gmail" : "Outlook"}</a></p>` : ""}
<div class="two-col">
<section class="panel" aria-labelledby="history-h">
<h2 id="history-h">History</h2>
<ol class="timeline">${p.history.map(
    (h) => html`<li><span class="t-what">${HISTORY_LABEL[h.type] ?? h.type}</span> <span class="muted">${historyDetail(h, p)}</span><br><time class="small muted" datetime="${new Date(h.at).toISOString()}">${dateTime(h.at, p.today, p.settings.timeZone, p.settings.locale)}</time></li>`,
  )}</ol>
</section>
<section class="panel" aria-labelledby="events-h">
<h2 id="events-h">Calendar follow-ups</h2>
${p.events.length
  ? html`<ul class="events">${p.events.map((e) => html`<li class="ev-${e.state}"><span>${dateTime(e.startsAt, p.today, p.settings.timeZone, p.settings.locale)}</span> <span class="muted">· ${EVENT_STATE[e.state] ?? e.state}</span></li>`)}</ul>`
  : html`<p class="muted">No calendar events for this promise.</p>`}
</section>
</div>
</div>
${renewDialog(p)}`;
  return layout({ title: `${displayName(c.counterparts[0] ?? { name: null, address: "" })}: ${c.subject || "promise"} · Kept`, email: p.account.email, body, data: pageData(p) });
}

export function messagePage(title: string, message: string, status: { email?: string | null; back?: boolean } = {}) {
  const body = html`<section class="message-page" aria-labelledby="msg-h">
<h1 id="msg-h">${title}</h1>
<p class="lede">${message}</p>
${status.back !== false ? html`<p><a class="btn" href="/">Back to your promises</a></p>` : ""}
</section>`;
  return layout({ title: `${title} · Kept`, email: status.email, body });
}
