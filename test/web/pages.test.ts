// The dashboard rendered on the server through app.request: empty state, the
// waiting and forgotten lists, figures and charts, the promise page, escaping,
// sign-in pages, the assets, and POST /api/import with its NDJSON progress.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomUUID } from "node:crypto";
import { Script } from "node:vm";
import { createApp } from "../../server/app";
import { Authenticator, type AuthConfig } from "../../server/auth";
import { openDatabase, type OpenedDb } from "../../server/db-node";
import { MemoryProvider } from "../../server/providers/memory";
import { mountWeb } from "../../server/web";
import { TestClock } from "../support";

const SAMPLE = new URL("../../samples/sample.mbox", import.meta.url);
const HOST = "127.0.0.1:8787";

let dir: string;
let opened: OpenedDb;
let clock: TestClock;
let provider: MemoryProvider;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), "kept-web-"));
  opened = await openDatabase(`file:${join(dir, "kept.db")}`);
  clock = new TestClock(Date.parse("2026-11-25T10:00:00Z"));
  provider = new MemoryProvider({}, clock.fn);
});
afterEach(() => {
  opened.close();
  rmSync(dir, { recursive: true, force: true });
});

function makeApp(opts: { mode?: AuthConfig["mode"]; mail?: boolean; publicUrl?: string } = {}) {
  const deps = {
    db: opened.db,
    clock: clock.fn,
    newId: randomUUID,
    calendar: provider,
    mail: opts.mail ? provider : null,
    publicUrl: opts.publicUrl ?? "http://127.0.0.1:8787",
    auth: new Authenticator({ mode: opts.mode ?? "local" }),
    localDefaults: { timeZone: "Europe/London", locale: "en-GB" },
  };
  return createApp({ ...deps, mount: (a) => mountWeb(a, deps) });
}
type App = ReturnType<typeof makeApp>;

async function call(app: App, method: string, path: string, opts: { body?: unknown; raw?: BodyInit; headers?: Record<string, string> } = {}) {
  const headers: Record<string, string> = { host: HOST, ...opts.headers };
  if (opts.body !== undefined) headers["content-type"] = "application/json";
  const res = await app.request(`http://${headers.host}${path}`, { method, headers, body: opts.raw ?? (opts.body === undefined ? undefined : JSON.stringify(opts.body)) });
  const text = await res.text();
  let json: any = null;
  try {
    json = JSON.parse(text);
  } catch {
    /* HTML or NDJSON */
  }
  return { status: res.status, text, json, headers: res.headers };
}

const lines = (text: string) => text.trim().split("\n").map((l) => JSON.parse(l));

async function sent(app: App, over: { id: string; to: string; name: string; subject: string; text: string; sentAt: string }) {
  const r = await call(app, "POST", "/api/messages/sent", {
    body: {
      threadId: `t-${over.id}`,
      messageId: over.id,
      internetMessageId: `<${over.id}@example.com>`,
      subject: over.subject,
      to: [{ name: over.name, address: over.to }],
      sentAt: over.sentAt,
      text: over.text,
    },
  });
  expect(r.status, r.text).toBe(201);
  return r.json.created[0].id as string;
}

async function seed(app: App) {
  const recent = await sent(app, {
    id: "m1",
    to: "ana@example.com",
    name: "Ana Silva",
    subject: "Senior Analyst role",
    text: "Hi Ana,\n\nI'll get back to you by Friday with their feedback.\n\nSam",
    sentAt: "2026-11-23T10:00:00Z",
  });
  const old = await sent(app, {
    id: "m2",
    to: "ben@example.com",
    name: "Ben Ode",
    subject: "Job spec <b>bold</b>",
    text: "Hi Ben,\n\nI'll send the job spec <script>alert(1)</script> tomorrow.\n\nSam",
    sentAt: "2026-10-01T10:00:00Z",
  });
  return { recent, old };
}

describe("the dashboard", () => {
  it("explains the way in when there is nothing yet, with no button that does nothing", async () => {
    const r = await call(makeApp(), "GET", "/");
    expect(r.status).toBe(200);
    expect(r.headers.get("content-type")).toMatch(/text\/html/);
    expect(r.headers.get("content-security-policy")).toMatch(/script-src 'self'/);
    expect(r.text).toContain("Start with mail you&#39;ve already sent");
    expect(r.text).toMatch(/<button[^>]*data-action="import-sample"[^>]*>Try the sample mailbox<\/button>/);
    expect(r.text).toMatch(/<input[^>]*id="import-file"[^>]*type="file"/);
    expect(r.text).toContain("Connecting Outlook and Gmail directly is on its way");
    expect(r.text).not.toMatch(/<button[^>]*>[^<]*(Connect|Outlook|Gmail)/);
    expect(r.text).not.toContain("People waiting on you");
    // Every button on the page does something: an action, a dialog close, or a form submit.
    const buttons = r.text.match(/<button[^>]*>/g) ?? [];
    for (const b of buttons) expect(b, b).toMatch(/data-action=|data-close|type="submit"|id="compose-copy"/);
  });

  it("lists who is waiting oldest first, forgotten promises apart, figures and accessible charts", async () => {
    const app = makeApp();
    const { recent, old } = await seed(app);
    const r = await call(app, "GET", "/");
    expect(r.status).toBe(200);
    const html = r.text;

    expect(html).toContain("2 people are waiting on you");
    // A second promise to the same person counts once among the people, and the promises are said.
    await sent(app, { id: "m-extra", to: "ana@example.com", name: "Ana Silva", subject: "Another role", text: "Hi Ana,\n\nI'll send the second job spec by Friday.\n\nSam", sentAt: "2026-11-24T09:00:00Z" });
    expect((await call(app, "GET", "/")).text).toContain("2 people are waiting on you for 3 promises");
    // Landmarks and the live region.
    expect(html).toMatch(/<main id="main"/);
    expect(html).toMatch(/<header class="top">/);
    expect(html).toMatch(/id="toast"[^>]*role="status"[^>]*aria-live="polite"/);
    expect(html).toMatch(/id="alert"[^>]*role="alert"/);

    const waiting = html.slice(html.indexOf('id="waiting"'), html.indexOf('id="forgotten"'));
    const forgotten = html.slice(html.indexOf('id="forgotten"'), html.indexOf('id="charts"'));
    expect(waiting).toContain(`id="c-${recent}"`);
    expect(waiting).not.toContain(`id="c-${old}"`);
    expect(waiting).toContain("I&#39;ll get back to you by Friday with their feedback.");
    expect(waiting).toContain('data-template="general-no-news"');
    expect(forgotten).toContain(`id="c-${old}"`);
    expect(forgotten).toContain('data-template="owe-you-an-update"');
    expect(forgotten).toMatch(/Overdue \d+ weeks/);
    for (const action of ["renew", "keep", "snooze", "dismiss", "check-in"]) expect(waiting).toContain(`data-action="${action}"`);
    for (const preset of ["later-today", "tomorrow", "in-3-days", "next-week"]) expect(waiting).toContain(`data-preset="${preset}"`);

    // User text is escaped, never markup.
    expect(html).not.toContain("<script>alert(1)</script>");
    expect(html).not.toContain("<b>bold</b>");
    expect(html).toContain("Job spec &lt;b&gt;bold&lt;/b&gt;");

    // Figures.
    expect(html).toMatch(/<dt>Open<\/dt><dd><span class="stat-value">2<\/span>/);
    expect(html).toMatch(/<dt>Overdue<\/dt><dd><span class="stat-value">1<\/span>/);

    // Charts: role="img" with a title and description, and the numbers in a table.
    const svgs = html.match(/<svg viewBox="0 0 640 240" role="img" aria-labelledby="[^"]+"/g) ?? [];
    expect(svgs).toHaveLength(2);
    expect(html).toContain('<title id="chart-weekly-title">');
    expect(html).toContain('<title id="chart-waited-title">');
    expect(html).toContain("<caption>Promises made and kept per week</caption>");
    expect(html).toContain("<caption>How long people waited</caption>");

    // The calendar feed, made on first view.
    expect(html).toMatch(/id="feed-url" type="text" readonly value="http:\/\/127\.0\.0\.1:8787\/feed\/[A-Za-z0-9_-]{20,}\.ics"/);
    const feed = await call(app, "GET", "/api/feed");
    expect(html).toContain(feed.json.url);
    // On a loopback address only this computer's calendar apps can subscribe: the page says so.
    expect(html).toContain("Apple Calendar on this computer:");
    expect(html).toContain("which can't reach Kept at 127.0.0.1:8787");
    expect(html).toMatch(new RegExp(`<a href="${feed.json.url.replace(/[.?]/g, "\\$&")}" download="kept.ics">a copy of the calendar</a>`));
    expect(html).not.toContain("Other calendars › + › From URL");

    // The page data for the script: templates, today, and +3 working days (Wed 25 Nov → Mon 30 Nov).
    const data = JSON.parse(/<script type="application\/json" id="kept-data">([^<]*)<\/script>/.exec(html)![1]);
    expect(data).toMatchObject({ today: "2026-11-25", nextUpdateDate: "2026-11-30", composeOnly: true, locale: "en-GB" });
    expect(data.templates.map((t: { id: string }) => t.id)).toContain("owe-you-an-update");
    expect(html).toContain('id="renew-date" name="nextUpdateDate" type="date" required min="2026-11-25" value="2026-11-30"');
    expect(html).toContain("Continue to email");
  });

  it("says Send update when Kept can send mail", async () => {
    const app = makeApp({ mail: true });
    await seed(app);
    const r = await call(app, "GET", "/");
    expect(r.text).toContain(">Send update</button>");
  });

  it("shows upcoming check-ins with a cancel button", async () => {
    const app = makeApp();
    const { recent } = await seed(app);
    const k = await call(app, "POST", "/api/check-ins", { body: { counterpart: { name: "Ana Silva", address: "ana@example.com" }, subject: "Senior Analyst role", commitmentId: recent } });
    expect(k.status).toBe(201);
    const r = await call(app, "GET", "/");
    expect(r.text).toContain(`data-check-in-id="${k.json.id}"`);
    expect(r.text).toContain('aria-label="Cancel check-in with Ana Silva"');
  });

  it("has a settings section with the current values, labelled, the working days in a fieldset", async () => {
    const app = makeApp();
    await seed(app);
    const p = await call(app, "PATCH", "/api/settings", {
      body: { displayName: "Sam <Lee>", timeZone: "America/New_York", locale: "en-US", workDays: [1, 2, 3, 4], dayStart: "08:30", dayEnd: "16:00", checkInDays: 30, addresses: ["Sam@Example.com", "sam.lee@example.org"] },
    });
    expect(p.status, p.text).toBe(200);
    const html = (await call(app, "GET", "/")).text;
    const start = html.indexOf('id="settings"');
    expect(start).toBeGreaterThan(html.indexOf('id="calendar"'));
    const settings = html.slice(start, html.indexOf("</section>", start));
    expect(settings).toMatch(/<h2 id="settings-h">Settings<\/h2>/);
    expect(settings).toMatch(/<details class="panel settings"/);
    expect(settings).toMatch(/<label for="set-name">Your name<\/label>\s*<input id="set-name" name="displayName"[^>]*value="Sam &lt;Lee&gt;"/);
    expect(settings).toMatch(/<input id="set-tz" name="timeZone"[^>]*list="set-tz-list"[^>]*value="America\/New_York"/);
    expect(settings).toContain('<option value="Europe/London"></option>');
    expect(settings).toMatch(/<input id="set-locale" name="locale"[^>]*value="en-US"/);
    expect(settings).toMatch(/<input id="set-start" name="dayStart" type="time"[^>]*value="08:30"/);
    expect(settings).toMatch(/<input id="set-end" name="dayEnd" type="time"[^>]*value="16:00"/);
    expect(settings).toMatch(/<input id="set-check-in" name="checkInDays" type="number"[^>]*value="30"/);
    expect(settings).toMatch(/<label for="set-addresses">Your email addresses<\/label>\s*<input id="set-addresses" name="addresses"[^>]*value="sam@example.com, sam.lee@example.org"/);
    expect(settings).toMatch(/<fieldset class="days">\s*<legend>Working days<\/legend>/);
    const checked = [...settings.matchAll(/name="workDays" value="(\d)"( checked)?/g)].map((m) => [Number(m[1]), !!m[2]]);
    expect(checked).toEqual([[1, true], [2, true], [3, true], [4, true], [5, false], [6, false], [7, false]]);
    expect(settings).toContain('<span class="visually-hidden">Friday</span>');
    expect(settings).toMatch(/id="settings-error" class="alert" role="alert" hidden/);
    expect(settings).toMatch(/<button type="submit" class="btn primary" id="settings-save">Save settings<\/button>/);
  });

  it("shows the oldest of a long backlog in each list, says how many there are, and never drops the oldest", async () => {
    const app = makeApp();
    const accountId = (await call(app, "GET", "/api/me")).json.id;
    const client = opened.db.$client;
    // 510 promises still in time and 3 long forgotten, straight into the table.
    const row = (n: number, due: string, sentAt: number) => ({
      sql: `insert into commitments (id, account_id, provider, thread_id, message_id, counterpart_address, counterpart_name, counterparts, subject, sentence, trigger, kind,
        sent_at, due_date, due_stated, status, chase_count, reminder_count, source, created_at, updated_at)
        values (?, ?, 'local', ?, ?, ?, 'Person', ?, ?, 'I''ll get back to you.', 'I''ll get back to you', 'explicit', ?, ?, 1, 'open', 0, 0, 'import', ?, ?)`,
      args: [`c${n}`, accountId, `t${n}`, `m${n}`, `p${n}@example.com`, JSON.stringify([{ name: "Person", address: `p${n}@example.com` }]), `Subject ${n}`, sentAt, due, sentAt, sentAt],
    });
    const base = Date.parse("2026-11-20T09:00:00Z");
    await client.batch([...Array.from({ length: 510 }, (_, n) => row(n, "2026-11-27", base + n * 60_000)), ...[0, 1, 2].map((n) => row(1000 + n, "2026-09-01", Date.parse("2026-08-20T09:00:00Z") + n * 60_000))], "write");
    const html = (await call(app, "GET", "/")).text;
    expect(html).toContain("513 people are waiting on you<"); // one promise each
    expect(html).toMatch(/People waiting on you <span class="count">510<\/span>/);
    expect(html).toContain("Showing the oldest 500 of 510.");
    expect(html).toMatch(/Forgotten promises <span class="count">3<\/span>/);
    const waiting = html.slice(html.indexOf('id="waiting"'), html.indexOf('id="forgotten"'));
    expect(waiting).toContain("Subject 0<");
    expect(waiting).toContain("Subject 499<");
    expect(waiting).not.toContain("Subject 500<");
    const forgotten = html.slice(html.indexOf('id="forgotten"'), html.indexOf('id="charts"'));
    expect(["Subject 1000<", "Subject 1001<", "Subject 1002<"].every((s) => forgotten.includes(s))).toBe(true);
    expect(forgotten).not.toContain("Showing the oldest");
  });

  it("offers Google and Outlook subscriptions when Kept has an address they can reach", async () => {
    const app = makeApp({ publicUrl: "https://kept.example.com" });
    await seed(app);
    const html = (await call(app, "GET", "/")).text;
    expect(html).toMatch(/id="feed-url" type="text" readonly value="https:\/\/kept\.example\.com\/feed\/[A-Za-z0-9_-]{20,}\.ics"/);
    expect(html).toContain("<strong>Google Calendar:</strong> Other calendars › + › From URL.");
    expect(html).toMatch(/<a href="webcal:\/\/kept\.example\.com\/feed\//);
    expect(html).not.toContain("this computer");
  });

  it("offers the settings on the empty page too, after the import", async () => {
    const html = (await call(makeApp(), "GET", "/")).text;
    expect(html.indexOf('id="settings"')).toBeGreaterThan(html.indexOf('id="import"'));
    expect(html).toMatch(/<input id="set-tz" name="timeZone"[^>]*value="Europe\/London"/);
  });
});

describe("one promise's page", () => {
  it("shows the promise, who is waiting, its history and events, and the actions", async () => {
    const app = makeApp();
    const { recent } = await seed(app);
    await call(app, "POST", `/api/commitments/${recent}/snooze`, { body: { preset: "tomorrow" } });
    const r = await call(app, "GET", `/c/${recent}`);
    expect(r.status).toBe(200);
    expect(r.text).toContain("Ana Silva is waiting on you; snoozed for now.");
    expect(r.text).toMatch(/<h2 class="who" id="who-[^"]+">Ana Silva/);
    expect(r.text).toContain("Promise found");
    expect(r.text).toContain("Snoozed</span> <span class=\"muted\">until ");
    expect(r.text).toContain('data-action="keep"');
    expect(r.text).toContain('id="renew"');
  });

  it("offers Reopen once kept, and links on to the new promise after an update", async () => {
    const app = makeApp();
    const { recent } = await seed(app);
    const renewed = await call(app, "POST", `/api/commitments/${recent}/renew`, { body: { templateId: "general-no-news", nextUpdateDate: "2026-11-30" } });
    expect(renewed.status).toBe(200);
    expect(renewed.json.reply.delivery).toBe("compose");
    const r = await call(app, "GET", `/c/${recent}`);
    expect(r.text).toContain("Kept. Ana Silva heard back from you.");
    expect(r.text).toContain('data-action="reopen"');
    expect(r.text).toContain(`href="/c/${renewed.json.renewed.id}"`);
    expect(r.text).toContain("next update by Monday 30 November");
  });

  it("says when an update could not be sent, and the dashboard says what is waiting or refused", async () => {
    provider.setFaults({ refuse: { sendReply: "Sending as this mailbox is not allowed" } });
    const app = makeApp({ mail: true });
    const { recent, old } = await seed(app);
    const renewed = await call(app, "POST", `/api/commitments/${recent}/renew`, { body: { templateId: "general-no-news", nextUpdateDate: "2026-11-30" } });
    expect(renewed.json.reply.delivery).toBe("queued");
    const newPage = await call(app, "GET", `/c/${renewed.json.renewed.id}`);
    expect(newPage.text).toContain("Your update to Ana Silva could not be sent.");
    expect(newPage.text).toContain("Your update was not sent");
    const oldPage = await call(app, "GET", `/c/${recent}`);
    expect(oldPage.text).toContain("Ana Silva is waiting on you.");
    expect(oldPage.text).toContain("could not be sent, so they are still waiting");
    // The calendar goes down: Ben's reminder can't be placed yet.
    provider.setFaults({ failRate: 1, lostResponseShare: 0 });
    await call(app, "POST", `/api/commitments/${old}/snooze`, { body: { preset: "tomorrow" } });
    const dash = await call(app, "GET", "/");
    expect(dash.text).toContain('id="delivery-notice"');
    expect(dash.text).toMatch(/1 change is waiting for your calendar or mail to answer\. Kept keeps retrying; nothing is lost\./);
    expect(dash.text).toMatch(/1 change was refused in the last 30 days/);
    expect(dash.text).toContain("Latest reason given: service unavailable");
  });

  it("answers 404 with a page for an unknown id", async () => {
    const r = await call(makeApp(), "GET", "/c/nope");
    expect(r.status).toBe(404);
    expect(r.text).toContain("No such promise");
  });
});

describe("sign-in", () => {
  it("token mode without a token: a page saying how to get in, not a JSON error", async () => {
    const r = await call(makeApp({ mode: "token" }), "GET", "/");
    expect(r.status).toBe(401);
    expect(r.headers.get("content-type")).toMatch(/text\/html/);
    expect(r.text).toContain("Open Kept from your mail");
  });

  it("local mode from another host: 403 with the reason", async () => {
    const r = await call(makeApp(), "GET", "/", { headers: { host: "kept.example.com" } });
    expect(r.status).toBe(403);
    expect(r.text).toContain("Local mode only answers on localhost");
  });
});

describe("assets", () => {
  it("serves the script (valid JS), the stylesheet with light and dark, and the icon", async () => {
    const app = makeApp();
    const js = await call(app, "GET", "/assets/kept.js");
    expect(js.headers.get("content-type")).toMatch(/text\/javascript/);
    expect(() => new Script(js.text)).not.toThrow();
    const css = await call(app, "GET", "/assets/kept.css");
    expect(css.headers.get("content-type")).toMatch(/text\/css/);
    expect(css.text).toContain("prefers-color-scheme: dark");
    expect(css.text).toContain(":focus-visible");
    const icon = await call(app, "GET", "/assets/icon.svg");
    expect(icon.headers.get("content-type")).toMatch(/image\/svg\+xml/);
  });
});

describe("POST /api/import", () => {
  it("imports an uploaded mbox, streaming progress then the report", async () => {
    const app = makeApp();
    const r = await call(app, "POST", "/api/import?name=sample.mbox", { raw: readFileSync(SAMPLE), headers: { "content-type": "application/octet-stream" } });
    expect(r.status, r.text).toBe(200);
    expect(r.headers.get("content-type")).toMatch(/application\/x-ndjson/);
    const out = lines(r.text);
    expect(out[0]).toEqual({ type: "start", file: "sample.mbox" });
    expect(out.some((l) => l.type === "progress" && l.phase === "read")).toBe(true);
    const done = out[out.length - 1];
    expect(done.type).toBe("done");
    expect(done.report).toMatchObject({ file: "sample.mbox", messages: 42, errorCount: 1 });
    expect(done.report.created).toBeGreaterThan(5);
    expect(done.report.errors[0].source).toBe("sample.mbox"); // never the temp path
    const list = await call(app, "GET", "/api/commitments?status=open,snoozed");
    expect(list.json.items.length).toBe(done.report.created - done.report.kept);
  });

  it("imports the sample from the server, and a second run finds duplicates, not new promises", async () => {
    const app = makeApp();
    const first = lines((await call(app, "POST", "/api/import/sample")).text).pop();
    expect(first.type).toBe("done");
    const again = lines((await call(app, "POST", "/api/import/sample")).text).pop();
    expect(again.report.created).toBe(0);
    expect(again.report.duplicates).toBeGreaterThan(0);
  });

  it("imports a single .eml", async () => {
    const app = makeApp();
    const eml = [
      "From: Sam Taylor <sam@example.com>",
      "To: Ana Silva <ana@example.com>",
      "Subject: Your application",
      "Date: Mon, 23 Nov 2026 10:00:00 +0000",
      "Message-ID: <eml-1@example.com>",
      "Content-Type: text/plain; charset=utf-8",
      "",
      "Hi Ana,",
      "",
      "I'll get back to you by Friday.",
      "",
      "Sam",
      "",
    ].join("\r\n");
    const r = await call(app, "POST", "/api/import?name=one.eml", { raw: eml });
    const done = lines(r.text).pop();
    expect(done).toMatchObject({ type: "done", report: { messages: 1, sent: 1, created: 1 } });
    const listed = await call(app, "GET", "/api/commitments?status=open");
    expect(listed.json.items.map((x: { sentence: string; dueDate: string }) => [x.sentence, x.dueDate])).toEqual([["I'll get back to you by Friday.", "2026-11-27"]]);
  });

  it("uses the addresses saved in settings to tell the user's mail, and says when it can't tell", async () => {
    // Two people writing to each other and no Sent folder: nothing says which one is the user.
    const mail = (from: string, to: string, id: string, date: string, body: string, reply?: string) =>
      [`From ${from} ${date}`, `From: ${from}`, `To: ${to}`, "Subject: Your application", `Date: ${date}`, `Message-ID: <${id}@example.com>`,
        ...(reply ? [`In-Reply-To: <${reply}@example.com>`] : []), "Content-Type: text/plain; charset=utf-8", "", body, ""].join("\n");
    const pair = (n: number) =>
      [
        mail("sam@example.com", "ana@example.com", `a${n}`, "Mon, 23 Nov 2026 10:00:00 +0000", "Hi Ana,\n\nI'll get back to you by Friday.\n\nSam"),
        mail("ana@example.com", "sam@example.com", `b${n}`, "Mon, 23 Nov 2026 11:00:00 +0000", "Thanks Sam, speak then.", `a${n}`),
      ].join("\n");
    const app = makeApp();
    // The sample first: its owner's address must not pass for the user's.
    expect(lines((await call(app, "POST", "/api/import/sample")).text).pop().type).toBe("done");
    expect((await call(app, "GET", "/api/me")).json.addresses).toEqual([]);
    const unknown = lines((await call(app, "POST", "/api/import?name=pair.mbox", { raw: pair(1) })).text).pop();
    expect(unknown.report).toMatchObject({ messages: 2, created: 0, imported: false, me: { method: "none", addresses: [] } });
    expect(unknown.report.me.detail).toMatch(/address/);
    expect(unknown.report.me.detail).not.toMatch(/--me/); // advice for the command line, not the page

    expect((await call(app, "PATCH", "/api/settings", { body: { addresses: ["Sam@example.com"] } })).status).toBe(200);
    // Nothing was recorded the first time, so the same file now imports in full.
    const known = lines((await call(app, "POST", "/api/import?name=pair.mbox", { raw: pair(1) })).text).pop();
    expect(known.report).toMatchObject({ sent: 1, created: 1, chased: 1, me: { method: "saved", addresses: ["sam@example.com"] } });
  });

  it("imports several files as one mailbox, whatever order they come in", async () => {
    const msg = (from: string, to: string, id: string, date: string, body: string, reply?: string) =>
      [`From: ${from}`, `To: ${to}`, "Subject: Your application", `Date: ${date}`, `Message-ID: <${id}@example.com>`,
        ...(reply ? [`In-Reply-To: <${reply}@example.com>`] : []), "Content-Type: text/plain; charset=utf-8", "", body, ""].join("\n");
    const mbox = (...msgs: string[]) => msgs.map((m) => `From x Mon Nov 23 10:00:00 2026\n${m}`).join("\n");
    const inbox = mbox(msg("ana@example.com", "sam@example.com", "c1", "Tue, 24 Nov 2026 09:00:00 +0000", "Any news?", "p1"));
    const sentBox = mbox(msg("sam@example.com", "ana@example.com", "p1", "Mon, 23 Nov 2026 10:00:00 +0000", "Hi Ana,\n\nI'll get back to you by Friday.\n\nSam"));
    const answer = msg("sam@example.com", "ana@example.com", "k1", "Wed, 25 Nov 2026 09:00:00 +0000", "Hi Ana, good news: they'd like to meet you.", "c1");
    // The inbox first, the sent folder second, and a message with no .eml ending.
    const files: Array<[string, string]> = [["Inbox.mbox", inbox], ["Sent.mbox", sentBox], ["answer", answer]];
    const upload = (list: Array<[string, string]>, extra = "") =>
      JSON.stringify(list.map(([name, text]) => ({ name, size: Buffer.byteLength(text) }))) + "\n" + list.map(([, t]) => t).join("") + extra;
    const app = makeApp();
    const r = await call(app, "POST", "/api/import?files=3", { raw: upload(files) });
    const done = lines(r.text).pop();
    expect(done).toMatchObject({ type: "done", report: { file: "3 files", messages: 3, sent: 2, created: 1, kept: 1, chased: 1, errorCount: 0, me: { method: "sent-folder" } } });

    // Named for what they hold: "note" and "note.eml" stay two messages, and an mbox called .eml is read as an mbox.
    const two = mbox(
      msg("sam@example.com", "bo@example.com", "n1", "Mon, 23 Nov 2026 10:00:00 +0000", "Hi Bo,\n\nI'll send the offer letter by Friday.\n\nSam"),
      msg("sam@example.com", "cy@example.com", "n2", "Mon, 23 Nov 2026 11:00:00 +0000", "Hi Cy,\n\nI'll call you on Thursday.\n\nSam"),
    );
    const others: Array<[string, string]> = [
      ["Sent.eml", two],
      ["note", msg("sam@example.com", "di@example.com", "n3", "Mon, 23 Nov 2026 12:00:00 +0000", "Hi Di, I'll get back to you by Wednesday.")],
      ["note.eml", msg("sam@example.com", "ed@example.com", "n4", "Mon, 23 Nov 2026 13:00:00 +0000", "Hi Ed, I'll get back to you by Wednesday.")],
    ];
    const second = lines((await call(app, "POST", "/api/import?files=3", { raw: upload(others) })).text).pop();
    expect(second.report).toMatchObject({ messages: 4, created: 4 });

    // A list that isn't one, a part that isn't mail (named), a body shorter or longer than its list: refused, nothing recorded.
    const bad = await call(makeApp(), "POST", "/api/import?files=2", { raw: upload([["Sent.mbox", sentBox], ["notes.txt", "hello"]]) });
    expect(bad.status).toBe(400);
    expect(bad.json.error.message).toMatch(/^notes\.txt: this doesn't look like mail/);
    const short = await call(makeApp(), "POST", "/api/import?files=1", { raw: JSON.stringify([{ name: "Sent.mbox", size: Buffer.byteLength(sentBox) + 10 }]) + "\n" + sentBox });
    expect(short.json.error.message).toMatch(/ended before all of Sent\.mbox arrived/);
    const long = await call(makeApp(), "POST", "/api/import?files=1", { raw: upload([["Sent.mbox", sentBox]], "trailing") });
    expect(long.json.error.message).toMatch(/longer than the files it names/);
    const miscounted = await call(makeApp(), "POST", "/api/import?files=3", { raw: upload([["Sent.mbox", sentBox]]) });
    expect(miscounted.json.error.message).toBe("The upload names 1 file but ?files= says 3. Choose the files again.");
    const garbled = await call(makeApp(), "POST", "/api/import?files=1", { raw: "oops\n" + sentBox });
    expect(garbled.json.error.message).toMatch(/start with a line listing its files/);
    expect((await call(app, "GET", "/api/commitments?status=kept")).json.items).toHaveLength(1);
  });

  it("refuses what it can't read, with messages that say what to do", async () => {
    const app = makeApp();
    const big = await call(app, "POST", "/api/import?name=huge.mbox", { raw: "From x", headers: { "content-length": String(2 * 1024 ** 3) } });
    expect(big.status).toBe(413);
    expect(big.json.error.message).toMatch(/larger than 1 GB/);
    const zip = await call(app, "POST", "/api/import?name=mail.zip", { raw: new Uint8Array([0x50, 0x4b, 0x03, 0x04, 1, 2, 3]) });
    expect(zip.status).toBe(400);
    expect(zip.json.error.message).toMatch(/zip file. Unzip it first/);
    const junk = await call(app, "POST", "/api/import?name=notes.txt", { raw: "just some words\n" });
    expect(junk.status).toBe(400);
    expect(junk.json.error.message).toMatch(/doesn't look like mail/);
    const empty = await call(app, "POST", "/api/import?name=empty.mbox", { raw: "" });
    expect(empty.status).toBe(400);
    expect(empty.json.error.message).toMatch(/empty|No file/);
  });

  it("needs an account like the rest of the API", async () => {
    const r = await call(makeApp({ mode: "token" }), "POST", "/api/import/sample");
    expect(r.status).toBe(401);
  });
});
