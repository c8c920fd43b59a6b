// The dashboard in a real browser (Debian's Chromium via playwright-core) against
// the real Node server: import the sample through the page, act on promises, the
// compose dialog, an upload, an API error shown verbatim, dark mode and a phone.
// Screenshots go to test/.artifacts/ (git-ignored) for a person to look at.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";
import { startServer } from "../../server/node";

const CHROMIUM = "/usr/bin/chromium";
const available = existsSync(CHROMIUM);
const ARTIFACTS = resolve(import.meta.dirname, "../.artifacts");

if (!available && process.env.CI === "true") {
  describe("dashboard in a browser", () => {
    it("has Chromium to drive", () => {
      throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium, so the dashboard's browser tests can run`);
    });
  });
}


interface Rig {
  url: string;
  /** The server's database file, for a test to set up what the page can't. */
  dbPath: string;
  page: Page;
  errors: string[];
  close(): Promise<void>;
}

let rig: Rig | null = null;
// One browser for the file; each test gets its own context (cookies, storage) and its own server.
let browser: Browser;

beforeAll(async () => {
  if (!available) return;
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"],
  });
});
afterAll(async () => {
  await browser?.close();
});

/** A fresh server on its own database and a fresh browser page, per test. */
async function start(opts: { colorScheme?: "light" | "dark"; viewport?: { width: number; height: number }; sample?: boolean } = {}): Promise<Rig> {
  const dir = mkdtempSync(join(tmpdir(), "kept-browser-"));
  const server = await startServer({ PORT: "0", DATABASE_URL: `file:${join(dir, "kept.db")}`, KEPT_TIME_ZONE: "Europe/London", KEPT_LOCALE: "en-GB" });
  const context = await browser.newContext({ colorScheme: opts.colorScheme ?? "light", viewport: opts.viewport ?? { width: 1280, height: 900 }, reducedMotion: "reduce", locale: "en-GB" });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  page.on("console", (m) => {
    // A 4xx the page handles still logs "Failed to load resource"; that is not a script error.
    if (m.type() === "error" && !m.text().startsWith("Failed to load resource")) errors.push(m.text());
  });
  if (opts.sample) {
    const res = await fetch(`${server.url}/api/import/sample`, { method: "POST" });
    expect(res.ok).toBe(true);
    expect((await res.text()).trim().split("\n").pop()).toMatch(/"type":"done"/);
  }
  rig = {
    url: server.url,
    dbPath: join(dir, "kept.db"),
    page,
    errors,
    async close() {
      await context.close();
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return rig;
}

afterEach(async () => {
  const r = rig;
  rig = null;
  if (r) {
    expect(r.errors, "errors in the page's console").toEqual([]);
    await r.close();
  }
});

async function shot(page: Page, name: string, fullPage = true) {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage });
}

describe.runIf(available)("dashboard in a browser", () => {
  it("imports the sample mailbox through the page, then shows the lists and the charts", async () => {
    const { page, url } = await start();
    await page.goto(url);
    await page.getByRole("heading", { name: "Keep every promise you make by email" }).waitFor();
    await shot(page, "01-empty");

    await page.getByRole("button", { name: "Try the sample mailbox" }).click();
    const result = page.locator("#import-result");
    await result.waitFor();
    expect(await result.textContent()).toMatch(/Read 42 messages: found \d+ promises, \d+ already kept/);
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("import-result");
    // Screen readers hear the result; the toast doesn't show it again over the page.
    await page.locator("#toast", { hasText: /^Import finished\. Read 42 messages/ }).waitFor({ state: "attached" });
    expect(await page.locator("#toast").evaluate((t) => t.classList.contains("show"))).toBe(false);

    const waiting = page.locator("#waiting article");
    expect(await waiting.count()).toBeGreaterThan(0);
    expect(await page.locator("#forgotten article").count()).toBeGreaterThan(0);
    await page.getByRole("img", { name: /Promises made and kept per week/ }).waitFor();
    await page.getByRole("img", { name: /How long people waited/ }).waitFor();
    expect(await page.locator("#chart-weekly-h ~ *, svg .bar-kept").count()).toBeGreaterThan(0);
    await page.getByRole("heading", { name: "Import more mail" }).waitFor();
    await shot(page, "02-dashboard");
  });

  it("marks a promise kept, snoozes one, and says so in the live region", async () => {
    const { page, url } = await start({ sample: true });
    await page.goto(url);
    const first = page.locator("#waiting article").first();
    const name = await first.getAttribute("data-name");
    const id = await first.getAttribute("id");
    const before = await page.locator("#waiting article").count();

    await first.getByRole("button", { name: "Mark kept" }).click();
    await page.locator("#toast", { hasText: `Marked kept: ${name}.` }).waitFor();
    await page.locator(`#${id}`).waitFor({ state: "detached" });
    expect(await page.locator("#waiting article").count()).toBe(before - 1);
    // Focus moved to the next promise rather than being lost.
    expect(await page.evaluate(() => document.activeElement?.closest("article") !== null)).toBe(true);

    const next = page.locator("#waiting article").first();
    await next.getByText("Snooze", { exact: true }).click();
    await next.getByRole("button", { name: "Tomorrow" }).click();
    await page.locator("#toast", { hasText: "Snoozed until" }).waitFor();
    await page.locator(`#${await next.getAttribute("id")} .badge.snoozed`).waitFor();
  });

  it("sends a “no news yet” update: template, date, preview, then the compose step with a mailto link", async () => {
    const { page, url } = await start({ sample: true });
    await page.goto(url);
    const card = page.locator("#waiting article").first();
    const values = JSON.parse((await card.getAttribute("data-values"))!);
    await card.getByRole("button", { name: "No news yet…" }).click();

    const dialog = page.getByRole("dialog", { name: "Send a quick update" });
    await dialog.waitFor();
    const text = dialog.getByLabel("Message");
    expect(await text.inputValue()).toContain(`Hi ${values.firstName},`);
    expect(await dialog.getByLabel("I'll update them again by").inputValue()).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    await dialog.getByLabel("Template").selectOption("recruiter-no-news");
    expect(await text.inputValue()).toContain("I haven't had feedback from the client yet");
    await shot(page, "03-renew-dialog", false);

    await dialog.getByRole("button", { name: "Continue to email" }).click();
    const mailto = dialog.getByRole("link", { name: "Open in your mail app" });
    await mailto.waitFor();
    expect(await mailto.getAttribute("href")).toMatch(/^mailto:[^?]+\?subject=Re%3A%20.+&body=Hi%20/);
    expect(await dialog.locator("#compose-text").textContent()).toContain("I haven't had feedback from the client yet");
    await dialog.getByRole("button", { name: "Copy text" }).waitFor();
    await shot(page, "04-compose", false);

    await dialog.getByRole("button", { name: "Done" }).click();
    await dialog.waitFor({ state: "hidden" });
    // The renewed promise ("I'll update you by …") now waits in the list.
    await page.locator("#waiting .promise", { hasText: "I'll update you by" }).first().waitFor();
  });

  it("uploads a file with progress, and shows an API error verbatim", async () => {
    const { page, url } = await start();
    await page.goto(url);
    const eml = [
      "From: Sam Taylor <sam@example.com>",
      "To: Ana Silva <ana@example.com>",
      "Subject: Your application",
      "Date: Mon, 16 Nov 2026 10:00:00 +0000",
      "Message-ID: <eml-1@example.com>",
      "",
      "Hi Ana,",
      "",
      "I'll get back to you by Friday with the client's feedback.",
      "",
      "Sam",
      "",
    ].join("\r\n");
    await page.locator("#import-file").setInputFiles({ name: "ana.eml", mimeType: "message/rfc822", buffer: Buffer.from(eml) });
    await page.locator("#import-result").waitFor();
    await page.locator("#waiting article", { hasText: "Ana Silva" }).waitFor();

    // Two files at once are read as one mailbox: the chase in the inbox finds the promise in the sent folder.
    const m = (from: string, to: string, id: string, date: string, body: string, reply = "") =>
      `From x Mon Nov 16 10:00:00 2026\nFrom: ${from}\nTo: ${to}\nSubject: Offer\nDate: ${date}\nMessage-ID: <${id}@example.com>\n${reply ? `In-Reply-To: <${reply}@example.com>\n` : ""}\n${body}\n`;
    await page.locator("#import-file").setInputFiles([
      { name: "Inbox.mbox", mimeType: "application/mbox", buffer: Buffer.from(m("bo@example.com", "sam@example.com", "bc1", "Tue, 17 Nov 2026 09:00:00 +0000", "Any news on the offer?", "bp1")) },
      { name: "Sent.mbox", mimeType: "application/mbox", buffer: Buffer.from(m("sam@example.com", "bo@example.com", "bp1", "Mon, 16 Nov 2026 10:00:00 +0000", "Hi Bo,\n\nI'll get back to you about the offer by Thursday.\n\nSam")) },
    ]);
    await page.locator("#import-result", { hasText: "Read 2 messages: found 1 promise, 0 already kept, 1 chased you." }).waitFor();
    await page.locator("#waiting article", { hasText: "about the offer" }).waitFor();

    await page.locator("#import-file").setInputFiles({ name: "notes.txt", mimeType: "text/plain", buffer: Buffer.from("just some words\n") });
    const alert = page.locator("#alert");
    await alert.getByText("This doesn't look like mail.", { exact: false }).waitFor();
    expect(await alert.getAttribute("role")).toBe("alert");
    // The last import's result went with the new import, and no toast still says it started.
    expect(await page.locator("#import-result").count()).toBe(0);
    await page.locator("#toast", { hasText: "Import stopped." }).waitFor({ state: "attached" });
    expect(await page.locator("#toast").evaluate((t) => t.classList.contains("show"))).toBe(false);
    await shot(page, "05-error", false);
    // Named like a mailbox, but nothing in it is mail: the server says so, and nothing is recorded.
    await page.locator("#import-file").setInputFiles({ name: "broken.mbox", mimeType: "application/mbox", buffer: Buffer.from("From nobody\nthis is not a header\n\nnor is this\n") });
    await alert.getByText("Nothing imported from broken.mbox: it could not be read as mail. Kept reads .mbox files and .eml messages.").waitFor();
  });

  it("says when an import can't tell which messages are the user's, and leads to the setting that fixes it", async () => {
    const { page, url } = await start();
    await page.goto(url);
    const mail = (from: string, to: string, id: string, date: string, body: string) =>
      [`From ${from} ${date}`, `From: ${from}`, `To: ${to}`, "Subject: Your application", `Date: ${date}`, `Message-ID: <${id}@example.com>`, "", body, ""].join("\n");
    const mbox = [
      mail("sam@example.com", "ana@example.com", "p1", "Mon, 16 Nov 2026 10:00:00 +0000", "Hi Ana,\n\nI'll get back to you by Friday.\n\nSam"),
      mail("ana@example.com", "sam@example.com", "p2", "Mon, 16 Nov 2026 11:00:00 +0000", "Thanks Sam."),
    ].join("\n");
    await page.locator("#import-file").setInputFiles({ name: "pair.mbox", mimeType: "application/mbox", buffer: Buffer.from(mbox) });
    const note = page.locator("#import-result");
    await note.getByText("Kept couldn't tell which messages are yours", { exact: false }).waitFor();
    expect(await note.locator(".notice-title").textContent()).toBe("Nothing imported yet");
    expect(await note.evaluate((n) => n.classList.contains("notice-warn"))).toBe(true);
    await shot(page, "11-import-who-are-you", false);
    await note.getByRole("button", { name: "Add your addresses" }).click();
    const field = page.locator("#settings").getByLabel("Your email addresses");
    await field.waitFor();
    expect(await field.evaluate((e) => e === document.activeElement)).toBe(true);
    expect(await page.locator("#settings-details").evaluate((d) => (d as HTMLDetailsElement).open)).toBe(true);
  });

  it("saves settings that persist across a reload, and shows the API's message for a bad time zone", async () => {
    const { page, url } = await start({ sample: true });
    await page.goto(url);
    const section = page.locator("#settings");
    await section.getByText("Your name, time zone and working hours").click();
    const name = section.getByLabel("Your name");
    await name.waitFor();
    await name.fill("Sam Recruiter");
    await section.getByLabel("Start").fill("08:00");
    await section.getByLabel("End").fill("16:30");
    await section.getByRole("group", { name: "Working days" }).getByLabel("Friday").uncheck();
    const addresses = section.getByLabel("Your email addresses");
    await addresses.fill("sam@example.com, not-an-address");
    await section.getByRole("button", { name: "Save settings" }).click();
    await page.locator("#settings-error").getByText("“not-an-address” is not an email address.", { exact: false }).waitFor();
    await addresses.fill("sam@example.com, Sam.Taylor@Example.org");
    await section.getByRole("button", { name: "Save settings" }).click();
    await page.locator("#toast", { hasText: "Settings saved." }).waitFor();
    await page.locator("#settings-now", { hasText: "Sam Recruiter" }).waitFor();

    await page.reload();
    await page.locator("#settings summary").click();
    expect(await section.getByLabel("Your name").inputValue()).toBe("Sam Recruiter");
    expect(await section.getByLabel("Start").inputValue()).toBe("08:00");
    expect(await section.getByLabel("End").inputValue()).toBe("16:30");
    expect(await section.getByLabel("Friday").isChecked()).toBe(false);
    expect(await section.getByLabel("Thursday").isChecked()).toBe(true);
    expect(await section.getByLabel("Your email addresses").inputValue()).toBe("sam@example.com, sam.taylor@example.org");
    const me = await (await fetch(`${url}/api/me`)).json();
    expect(me.addresses).toEqual(["sam@example.com", "sam.taylor@example.org"]);
    expect(me.settings).toMatchObject({ displayName: "Sam Recruiter", dayStart: "08:00", dayEnd: "16:30", workDays: [1, 2, 3, 4] });
    await section.scrollIntoViewIfNeeded();
    await shot(page, "10-settings", false);

    await section.getByLabel("Time zone").fill("Mars/Olympus");
    await section.getByRole("button", { name: "Save settings" }).click();
    const alert = page.locator("#settings-error");
    await alert.getByText('"Mars/Olympus" is not an IANA time zone; use a name such as Europe/London.').waitFor();
    expect(await alert.getAttribute("role")).toBe("alert");
    await shot(page, "10-settings-error", false);
    expect((await (await fetch(`${url}/api/me`)).json()).settings.timeZone).toBe("Europe/London");
  });

  it("says when calendar changes are waiting on the provider or were refused", async () => {
    const { page, url, dbPath } = await start({ sample: true });
    // An outage and a refusal, as the outbox records them.
    const { openDatabase } = await import("../../server/db-node");
    const side = await openDatabase(`file:${dbPath}`, { migrate: false });
    const c = (side.db as unknown as { $client: { execute(s: { sql: string; args: unknown[] } | string): Promise<{ rows: unknown[][] }> } }).$client;
    const [[accountId]] = (await c.execute("select id from accounts limit 1")).rows as string[][];
    const now = Date.now();
    for (const [key, state, error] of [["event:x.1", "pending", "service unavailable"], ["event:x.2", "failed", "The calendar is read-only for this account"]]) {
      await c.execute({
        sql: "insert into outbox (account_id, key, op, payload, state, attempts, next_attempt_at, last_error, created_at, updated_at) values (?, ?, 'create_event', '{}', ?, 3, ?, ?, ?, ?)",
        args: [accountId, key, state, now + 3_600_000, error, now - 60_000, state === "failed" ? now : now - 120_000],
      });
    }
    side.close();
    await page.goto(url);
    const notice = page.locator("#delivery-notice");
    await notice.waitFor();
    expect(await notice.textContent()).toMatch(/1 change is waiting for your calendar or mail to answer\. Kept keeps retrying; nothing is lost\./);
    expect(await notice.textContent()).toMatch(/1 change was refused in the last 30 days/);
    expect(await notice.textContent()).toContain("Latest reason given: The calendar is read-only for this account");
    await shot(page, "12-delivery-notice", false);
  });

  it("renders in dark mode", async () => {
    const { page, url } = await start({ sample: true, colorScheme: "dark" });
    await page.goto(url);
    await page.locator("#waiting article").first().waitFor();
    const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    const [r, g, b] = bg.match(/\d+/g)!.map(Number);
    expect(r + g + b).toBeLessThan(120);
    await shot(page, "06-dark");
  });

  it("works on a phone: the promise page with its one-tap actions", async () => {
    const { page, url } = await start({ sample: true, viewport: { width: 390, height: 844 } });
    await page.goto(url);
    await shot(page, "07-phone-dashboard");
    // Nothing sideways-scrolls on a phone.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    const href = await page.locator("#forgotten article .who a").first().getAttribute("href");
    await page.goto(`${url}${href}`);
    await page.getByRole("heading", { name: "History" }).waitFor();
    await shot(page, "08-phone-promise");
    const keep = page.getByRole("button", { name: "Mark kept" });
    const box = (await keep.boundingBox())!;
    expect(box.height).toBeGreaterThanOrEqual(44);
    await keep.click();
    await page.getByRole("heading", { name: /^Kept\./ }).waitFor();
    await page.getByRole("button", { name: "Reopen" }).waitFor();
    await shot(page, "09-phone-kept");
  });
});
