// The feed calendar is inline (CalendarProvider.inline): its events are the
// reminders themselves, so the outbox records their creation and deletion done
// as they are written instead of calling anything after. The end state must be
// exactly what the outbox's calls would have left: the same reminders, the same
// feed, and nothing left to do.
import { afterEach, describe, expect, it } from "vitest";
import { asc, eq } from "drizzle-orm";
import { makeWorld, type World } from "./support";
import type { DetectionSummary } from "../server/ledger";
import { feedCalendar } from "../server/providers/feed";
import { feedEvents } from "../server/feed";
import { schema } from "../server/db";

const promise = (dueDate: string | null): DetectionSummary => ({
  commitments: [{ sentence: "I'll get back to you by Friday.", trigger: "I'll get back to you", kind: "explicit", dueDate }],
  badNews: null,
});
const nothing: DetectionSummary = { commitments: [], badNews: null };
const person = (i: number) => ({ name: `Person ${i}`, address: `p${i}@example.com` });

const worlds: World[] = [];
afterEach(() => {
  for (const w of worlds.splice(0)) w.close();
});

async function world(inline: boolean) {
  let n = 0;
  const w = await makeWorld({ start: "2026-11-16T09:30:00Z", deps: { calendar: feedCalendar({ inline }), newId: () => `id${++n}` } });
  worlds.push(w);
  return w;
}

/** A fortnight of use: promises sent one by one and imported, chased, kept, dismissed, a check-in, a new zone, sweeps. */
async function fortnight(w: World) {
  const { ledger, clock, accountId } = w;
  for (let i = 0; i < 5; i++) {
    await ledger.recordSent(accountId, { threadId: `t${i}`, messageId: `m${i}`, internetMessageId: null, subject: `Role ${i}`, to: [person(i)], cc: [], sentAt: clock.now }, promise(i % 2 ? "2026-11-18" : null), "sync");
  }
  await ledger.recordMany(
    accountId,
    [5, 6, 7].map((i) => ({ kind: "sent" as const, msg: { threadId: `t${i}`, messageId: `m${i}`, internetMessageId: null, subject: `Role ${i}`, to: [person(i)], cc: [], sentAt: clock.now - 86_400_000 }, detection: promise(null) })),
    "import",
  );
  await ledger.placeEvents(accountId);
  const checkIn = await ledger.scheduleCheckIn(accountId, { counterpart: person(9), subject: "Role 9", days: 30 });
  clock.set("2026-11-17T10:00:00Z");
  await ledger.recordReceived(accountId, { threadId: "t1", messageId: "c1", from: person(1), subject: "any news?", receivedAt: clock.now });
  await ledger.sweep();
  clock.set("2026-11-18T12:00:00Z");
  await ledger.recordSent(accountId, { threadId: "t2", messageId: "k2", internetMessageId: null, subject: "Re: Role 2", to: [person(2)], cc: [], sentAt: clock.now }, nothing, "sync");
  const [three] = await w.opened.db.select().from(schema.commitments).where(eq(schema.commitments.messageId, "m3"));
  await ledger.act(accountId, three!.id, { type: "dismiss", reason: "not-a-promise" });
  await ledger.sweep();
  clock.set("2026-11-20T08:00:00Z");
  await ledger.updateSettings(accountId, { timeZone: "America/New_York" });
  await ledger.sweep();
  clock.set("2026-11-25T15:00:00Z");
  await ledger.sweep();
  await ledger.cancelCheckIn(accountId, checkIn);
  await ledger.sweep();
}

async function endState(w: World) {
  const r = schema.reminders;
  // Less updatedAt, which says when an event was recorded as placed: at once here,
  // and through the outbox when a sweep got to it (an import's, a day later).
  const reminders = (await w.opened.db.select().from(r).orderBy(asc(r.id))).map(({ accountId: _a, updatedAt: _u, ...rest }) => rest);
  const outbox = (await w.opened.db.select().from(schema.outbox).orderBy(asc(schema.outbox.id))).map((o) => ({ key: o.key.replace(w.accountId, "ACCOUNT"), state: o.state, result: o.result, event: o.payload.event ?? null }));
  const feed = (await feedEvents(w.opened.db, w.accountId, w.clock.now)).map(({ updatedAt: _u, ...rest }) => rest);
  return { reminders, outbox, feed };
}

describe("the inline feed calendar", () => {
  it("leaves exactly what the outbox's calls leave, with nothing to attempt", async () => {
    const inline = await world(true);
    const called = await world(false);
    await fortnight(inline);
    await fortnight(called);
    const a = await endState(inline);
    const b = await endState(called);
    expect(a.reminders.length).toBeGreaterThan(15);
    expect(a.reminders).toEqual(b.reminders);
    expect(a.feed).toEqual(b.feed);
    // The same operations, each done with the same result (the calls' outbox also
    // skipped creates it deleted before they were tried; inline ones were done at once).
    expect(a.outbox.map((o) => o.key)).toEqual(b.outbox.map((o) => o.key));
    expect(a.outbox.filter((o) => o.state !== "done")).toEqual([]);
    expect(b.outbox.filter((o) => o.state === "pending" || o.state === "failed" || o.state === "refused")).toEqual([]);
    const doneInBoth = a.outbox.filter((o, i) => b.outbox[i]!.state === "done");
    expect(doneInBoth.length).toBeGreaterThan(20);
    expect(doneInBoth).toEqual(b.outbox.filter((o) => o.state === "done"));
    // Every event was in the feed from the moment it was written.
    expect(new Set(a.reminders.map((x) => x.state))).toEqual(new Set(["created", "deleted"]));
  });

  it("writes a follow-up as placed, in the same transaction as the promise", async () => {
    const w = await world(true);
    const sent = await w.ledger.recordSent(w.accountId, { threadId: "t1", messageId: "m1", internetMessageId: null, subject: "Role", to: [person(1)], cc: [], sentAt: w.clock.now }, promise("2026-11-18"), "sync");
    const c = sent.created[0]!;
    const [reminder] = await w.opened.db.select().from(schema.reminders).where(eq(schema.reminders.commitmentId, c.id));
    expect(reminder).toMatchObject({ state: "created", eventId: `kept:${reminder!.id}` });
    const [op] = await w.opened.db.select().from(schema.outbox).where(eq(schema.outbox.key, `event:${reminder!.id}`));
    expect(op).toMatchObject({ state: "done", attempts: 0, result: { eventId: `kept:${reminder!.id}` } });
    const feed = (await feedEvents(w.opened.db, w.accountId, w.clock.now)).map(({ updatedAt: _u, ...rest }) => rest);
    expect(feed).toHaveLength(1);
    expect(feed[0]!.description).toContain("I'll get back to you by Friday.");

    // Due: the sweep plans the next one, and has nothing to send anywhere.
    w.clock.set("2026-11-18T10:00:00Z");
    const swept = await w.ledger.sweep();
    expect(swept).toMatchObject({ reminded: 1, outbox: { done: 0, retrying: 0, failed: 0 } });
    expect((await feedEvents(w.opened.db, w.accountId, w.clock.now)).map((e) => e.status)).toEqual(["confirmed", "confirmed"]);

    // Kept: the one to come is deleted at once, and the feed says it is cancelled.
    await w.ledger.recordSent(w.accountId, { threadId: "t1", messageId: "k1", internetMessageId: null, subject: "Re: Role", to: [person(1)], cc: [], sentAt: w.clock.now }, nothing, "sync");
    const after = await w.opened.db.select().from(schema.reminders).orderBy(asc(schema.reminders.seq));
    expect(after.map((x) => x.state)).toEqual(["created", "deleted"]);
    expect((await feedEvents(w.opened.db, w.accountId, w.clock.now)).map((e) => e.status)).toEqual(["confirmed", "cancelled"]);
  });
});
