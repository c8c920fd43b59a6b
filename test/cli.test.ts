// `kept scan` as a user runs it: the real bin, a fresh database file, the
// shipped sample mailbox; then the same import again, and the ICS it writes.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import ICAL from "ical.js";

const run = promisify(execFile);
const root = resolve(import.meta.dirname, "..");
const bin = join(root, "bin/kept.mjs");

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "kept-cli-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function kept(args: string[], env: Record<string, string> = {}) {
  return run(process.execPath, [bin, ...args], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: `file:${join(dir, "kept.db")}`, KEPT_TIME_ZONE: "Europe/London", FORCE_COLOR: "0", ...env },
    maxBuffer: 16 << 20,
  });
}

describe("kept scan", () => {
  it("imports the sample mailbox, reports the corrupt message, and lists who is waiting", async () => {
    const { stdout, stderr } = await kept(["scan", "samples/sample.mbox"]);
    // Piped, so no progress bar escapes; the corrupt message is reported with where it is.
    expect(stderr).not.toMatch(/\x1b\[/);
    expect(stderr).toMatch(/skipped a message that could not be read: samples\/sample\.mbox at byte \d+ \(message \d+\)/);
    expect(stdout).toMatch(/Read 42 messages .* as sam\.taylor@example\.com\./);
    expect(stdout).toMatch(/people are waiting on you/);
    expect(stdout).toMatch(/Who\s+Waiting since\s+Due/);
  }, 60_000);

  it("--sample imports the sample mailbox dated for this week, and leaves no file behind", async () => {
    const tmp = join(dir, "tmp");
    mkdirSync(tmp);
    const { stdout, stderr } = await kept(["scan", "--sample", "--json"], { TMPDIR: tmp });
    const report = JSON.parse(stdout);
    expect(report).toMatchObject({ messages: 42, me: ["sam.taylor@example.com"] });
    expect(report.created).toBeGreaterThan(5);
    expect(stderr).toMatch(/skipped a message that could not be read: the sample mailbox at byte \d+/);
    // Its last messages are from last week at the latest, whatever today is.
    const newest = Math.max(...report.waiting.map((c: { sentAt: number }) => c.sentAt));
    expect(Date.now() - newest).toBeLessThan(5 * 7 * 86_400_000);
    expect(readdirSync(tmp)).toEqual([]);
  }, 60_000);

  it("adds nothing the second time, and --json says so", async () => {
    const first = JSON.parse((await kept(["scan", "samples/sample.mbox", "--json"])).stdout);
    expect(first.created).toBeGreaterThan(5);
    expect(first.kept).toBeGreaterThan(0);
    expect(first.chased).toBeGreaterThan(0);
    expect(first.errors).toHaveLength(1);
    const second = JSON.parse((await kept(["scan", "samples/sample.mbox", "--json"])).stdout);
    expect(second.created).toBe(0);
    expect(second.kept).toBe(0);
    expect(second.duplicates).toBeGreaterThan(0);
    expect(second.waiting.map((c: { id: string }) => c.id).sort()).toEqual(first.waiting.map((c: { id: string }) => c.id).sort());
    // No body text in the output: the promise sentence only.
    expect(JSON.stringify(second)).not.toMatch(/Recruiting Weekly: salary bands/);
  }, 60_000);

  it("writes the follow-ups as an iCalendar file another parser reads", async () => {
    const ics = join(dir, "kept.ics");
    await kept(["scan", "samples/sample.mbox", "--ics", ics]);
    const cal = new ICAL.Component(ICAL.parse(readFileSync(ics, "utf8")));
    const events = cal.getAllSubcomponents("vevent");
    expect(events.length).toBeGreaterThan(3);
    for (const e of events) {
      expect(String(e.getFirstPropertyValue("uid"))).toMatch(/@kept$/);
      expect(String(e.getFirstPropertyValue("summary"))).toMatch(/^(Chased: )?Get back to |^Check in with /);
    }
  }, 60_000);

  it("says what to do with a bad path or a bad --me", async () => {
    await expect(kept(["scan", join(dir, "nope.mbox")])).rejects.toMatchObject({ code: 2, stderr: expect.stringMatching(/No file or folder at .*nope\.mbox/) });
    await expect(kept(["scan", "samples/sample.mbox", "--me", "not-an-address"])).rejects.toMatchObject({ stderr: expect.stringMatching(/--me takes email addresses/) });
    await expect(kept(["frobnicate"])).rejects.toMatchObject({ code: 2, stderr: expect.stringMatching(/unknown command: frobnicate/) });
    await expect(kept(["scan"])).rejects.toMatchObject({ code: 2, stderr: expect.stringMatching(/needs a mailbox to read \(or --sample/) });
    await expect(kept(["scan", "--sample", "samples/sample.mbox"])).rejects.toMatchObject({ code: 2, stderr: expect.stringMatching(/a mailbox or --sample, not both/) });
  }, 60_000);

  it("imports nothing from what isn't mail, says so and exits 1, instead of an all-clear", async () => {
    const notMail = join(dir, "notes.txt");
    writeFileSync(notMail, "Shopping list\n- milk\n- eggs\n");
    const empty = join(dir, "empty.mbox");
    writeFileSync(empty, "");
    const folder = join(dir, "photos");
    mkdirSync(folder);
    writeFileSync(join(folder, "cat.jpg"), Buffer.from([0xff, 0xd8, 0xff, 0xe0]));
    const fix = "Give Kept an mbox file, a Maildir or a folder of .eml files.";
    await expect(kept(["scan", notMail])).rejects.toMatchObject({ code: 1, stderr: expect.stringContaining(`Nothing imported from ${notMail}: it could not be read as mail. ${fix}`) });
    await expect(kept(["scan", empty])).rejects.toMatchObject({ code: 1, stderr: expect.stringContaining(`Nothing imported from ${empty}: it is empty. ${fix}`) });
    await expect(kept(["scan", folder])).rejects.toMatchObject({ code: 1, stderr: expect.stringMatching(/Nothing imported from .*photos: (it is empty|no mail was found in it)\. Give Kept/) });
    // A mailbox with one readable message among broken ones imports it.
    const mixed = join(dir, "mixed.mbox");
    writeFileSync(mixed, "From x Mon Nov 16 10:00:00 2026\nnot a header\n\nFrom x Mon Nov 16 10:00:00 2026\nFrom: dana@example.com\nTo: ben@example.org\nSubject: Quote\nDate: Mon, 16 Nov 2026 10:00:00 +0000\nMessage-ID: <m1@example.com>\n\nHi Ben, I'll send the quote by Friday.\n");
    expect(JSON.parse((await kept(["scan", mixed, "--me", "dana@example.com", "--json"])).stdout)).toMatchObject({ messages: 2, created: 1 });
  }, 60_000);

  it("imports nothing when it can't tell which messages are yours, and says to pass --me; the addresses then stay known", async () => {
    const msg = (from: string, to: string, id: string, date: string, body: string, reply = "") =>
      `From x Mon Nov 16 10:00:00 2026\nFrom: ${from}\nTo: ${to}\nSubject: Quote\nDate: ${date}\nMessage-ID: <${id}@example.com>\n${reply ? `In-Reply-To: <${reply}@example.com>\n` : ""}\n${body}\n`;
    const file = join(dir, "pair.mbox");
    writeFileSync(file, [msg("dana@example.com", "ben@example.org", "q1", "Mon, 16 Nov 2026 10:00:00 +0000", "Hi Ben, I'll get back to you with the quote by Thursday."), msg("ben@example.org", "dana@example.com", "q2", "Tue, 17 Nov 2026 10:00:00 +0000", "Any news on the quote?", "q1")].join("\n"));
    await expect(kept(["scan", file])).rejects.toMatchObject({ code: 1, stderr: expect.stringMatching(/couldn't tell which messages are yours \(.*pass --me you@example\.com\), so it imported nothing/) });
    const given = JSON.parse((await kept(["scan", file, "--me", "dana@example.com", "--json"])).stdout);
    expect(given).toMatchObject({ messages: 2, created: 1, chased: 1, me: ["dana@example.com"] });
    // The next import, with no --me, uses the addresses the account now knows.
    writeFileSync(file, msg("dana@example.com", "cy@example.org", "q3", "Wed, 18 Nov 2026 10:00:00 +0000", "Hi Cy, I'll send the contract over by Friday."));
    expect(JSON.parse((await kept(["scan", file, "--json"])).stdout)).toMatchObject({ created: 1, me: ["dana@example.com"] });
  }, 60_000);

  it("reads a folder of .eml files", async () => {
    const eml = (id: string, from: string, to: string, date: string, body: string, extra = "") =>
      `Message-ID: <${id}>\r\nFrom: ${from}\r\nTo: ${to}\r\nSubject: Quote\r\nDate: ${date}\r\n${extra}Content-Type: text/plain; charset=utf-8\r\n\r\n${body}\r\n`;
    const folder = join(dir, "mail");
    rmSync(folder, { recursive: true, force: true });
    await run("mkdir", ["-p", folder]);
    writeFileSync(join(folder, "1.eml"), eml("a@x.example", "Dana <dana@example.com>", "Ben <ben@example.org>", "Mon, 02 Nov 2026 10:00:00 +0000", "Hi Ben,\r\n\r\nI'll send you the revised quote by Friday.\r\n\r\nDana"));
    writeFileSync(join(folder, "2.eml"), eml("b@x.example", "Ben <ben@example.org>", "Dana <dana@example.com>", "Tue, 03 Nov 2026 10:00:00 +0000", "Thanks, any news?", "In-Reply-To: <a@x.example>\r\n"));
    const out = JSON.parse((await kept(["scan", folder, "--me", "dana@example.com", "--json"])).stdout);
    expect(out.created).toBe(1);
    expect(out.chased).toBe(1);
    expect(out.waiting[0].dueDate).toBe("2026-11-06");
    expect(out.waiting[0].chaseCount).toBe(1);
  }, 60_000);
});

describe("npm start", () => {
  it("stops on a bad setting with the message, and exit code 1, before opening anything", async () => {
    const start = run(process.execPath, ["--import", "tsx", join(root, "server/node.ts")], {
      cwd: root,
      env: { ...process.env, PORT: "abc", DATABASE_URL: `file:${join(dir, "never.db")}`, FORCE_COLOR: "0" },
    });
    const failed = await start.then(() => null, (e: { code: number; stderr: string }) => e);
    expect(failed?.code).toBe(1);
    expect(failed?.stderr).toContain("Kept can't start; fix these settings:");
    expect(failed?.stderr).toMatch(/PORT must be a whole number from 0 to 65535, for example 8787.*; it is "abc"/);
    expect(readdirSync(dir)).toEqual([]); // no database made
  }, 60_000);
});
