// The loop's process killed for real (SIGKILL) at chosen points, mid-transaction
// or between operations, round after round, then run to the end: the database
// stays whole and every follow-up exists exactly once. The follow-ups are the
// feed calendar's (the reminders table is the calendar), so nothing outside the
// database can hide a duplicate. The in-process suite (ledger-behaviour.ts) adds
// a provider failing 30% of calls; this adds a real process death.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { openDatabase } from "../server/db-node";
import { accountFor } from "../server/accounts";
import { schema } from "../server/db";

const root = resolve(import.meta.dirname, "..");
const dir = mkdtempSync(join(tmpdir(), "kept-crash-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/**
 * Runs one round in a child; kills it with SIGKILL once it has printed `killAt`
 * steps, or right after its (or its sweep's) Nth calendar call (the child stops
 * dead there: the provider has acted, the outbox hasn't written it down), or never.
 */
function round(url: string, accountId: string, n: number, killAt: number | { call: number; inSweep: boolean } | null, inline: boolean): Promise<{ killed: boolean; steps: number; swept: boolean }> {
  return new Promise((done, fail) => {
    const args = [join(root, "test/fixtures/crash-child.mts"), url, accountId, String(n), ...(killAt && typeof killAt === "object" ? [`${killAt.inSweep ? "sweep" : "any"}:${killAt.call}`] : [])];
    const child = spawn(process.execPath, ["--import", "tsx", ...args], { cwd: root, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, KEPT_CRASH_INLINE: inline ? "1" : "" } });
    let steps = 0;
    let killed = false;
    let swept = false;
    let err = "";
    child.stderr.on("data", (d) => (err += d));
    child.stdout.on("data", (d: Buffer) => {
      for (const line of d.toString().split("\n")) {
        if (line === "swept") swept = true;
        if (line === "paused") {
          killed = child.kill("SIGKILL");
          continue;
        }
        if (!line.startsWith("step ")) continue;
        steps = Number(line.slice(5));
        if (typeof killAt === "number" && steps >= killAt && !killed) {
          killed = child.kill("SIGKILL");
        }
      }
    });
    child.on("exit", (code, signal) => {
      if (signal === "SIGKILL") done({ killed: true, steps, swept });
      else if (code === 0) done({ killed: false, steps, swept });
      else fail(new Error(`round ${n} exited ${code ?? signal}: ${err}`));
    });
  });
}

// The feed's events through the outbox's calls (a kill can land between a call and
// its record), and inline, as the entries run it (done in the transaction that plans them).
describe.each([
  { mode: "through the outbox's calls", inline: false },
  { mode: "with the inline feed", inline: true },
])("a process killed mid-work, $mode", ({ inline }) => {
  it("leaves a whole database and every follow-up exactly once", async () => {
    const url = `file:${join(dir, inline ? "inline.db" : "kept.db")}`;
    const setup = await openDatabase(url);
    const account = await accountFor(setup.db, { provider: "local", tenantId: "local", subject: "crash", email: "sam@example.com", displayName: "Sam" }, randomUUID, { timeZone: "Europe/London" });
    setup.close();

    // Rounds 0–7, eight hours apart; each killed at a different point, then run again to its end.
    let kills = 0;
    let afterCall = 0;
    for (let n = 0; n < 8; n++) {
      // Even rounds die between recorded messages; odd ones just after a calendar call,
      // before the outbox writes it down: rounds 1, 3, 5 while recording, round 7 in the sweep.
      // Inline, there is no call to stop after: every round dies between recorded messages.
      const killAt = n % 2 === 0 || inline ? 3 + ((n * 17) % 23) : { call: n === 7 ? 1 : 2 + ((n * 5) % 7), inSweep: n === 7 };
      const first = await round(url, account.id, n, killAt, inline);
      if (first.killed) kills++;
      if (first.killed && typeof killAt === "object") afterCall++;
      await round(url, account.id, n, null, inline);
    }
    expect(kills).toBe(8);
    expect(afterCall).toBe(inline ? 0 : 4);
    // A last round eight hours on, past the leases the killed processes held.
    await round(url, account.id, 8, null, inline);

    const { db, close } = await openDatabase(url, { migrate: false });
    try {
      expect((await db.$client.execute("PRAGMA integrity_check")).rows[0]![0]).toBe("ok");
      const now = Date.parse("2026-11-02T08:00:00Z") + 8 * 8 * 3_600_000;
      const commitments = await db.select().from(schema.commitments).where(eq(schema.commitments.accountId, account.id));
      const reminders = await db.select().from(schema.reminders).where(eq(schema.reminders.accountId, account.id));
      const outbox = await db.select().from(schema.outbox).where(eq(schema.outbox.accountId, account.id));
      expect(commitments.length).toBe(60);
      expect(outbox.filter((o) => o.state !== "done" && o.state !== "skipped")).toEqual([]);
      // Kept and open as the rounds said: a third answered, the rest still open.
      expect(commitments.filter((c) => c.status === "kept").length).toBe(20);
      for (const c of commitments) {
        const live = reminders.filter((r) => r.commitmentId === c.id && r.state === "created" && r.startsAt > now);
        expect(live.length, `${c.status} ${c.id}`).toBe(c.status === "open" ? 1 : 0);
        // One calendar event per reminder, and one outbox operation per event.
        for (const r of reminders.filter((r) => r.commitmentId === c.id)) {
          expect(outbox.filter((o) => o.key === `event:${r.id}`).length, r.id).toBe(1);
        }
      }
      const history = await db.select().from(schema.commitmentHistory);
      // Each promise made once, each chase counted once.
      expect(history.filter((h) => h.type === "created").length).toBe(60);
      expect(commitments.filter((c) => c.chaseCount > 1)).toEqual([]);
    } finally {
      close();
    }
  }, 180_000);
});
