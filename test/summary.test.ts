// The dashboard's figures (server/summary.ts) over small ledgers worked out by hand:
// open, overdue, kept on time, and the median time to get back, in the user's zone.
import { afterEach, describe, expect, it } from "vitest";
import { makeWorld, type World } from "./support";
import type { DetectionSummary } from "../server/ledger";
import { getAccount } from "../server/store";
import { summarise } from "../server/summary";

const ana = { name: "Ana Silva", address: "ana@example.com" };
const promise = (dueDate: string): DetectionSummary => ({
  commitments: [{ sentence: "I'll get back to you.", trigger: "I'll get back to you", kind: "explicit", dueDate }],
  badNews: null,
});

let world: World;
afterEach(() => world?.close());

/** A promise sent at `sentAt` (the clock moves there), due on `due` in the user's zone; its id. */
async function sent(id: string, sentAt: string, due: string): Promise<string> {
  world.clock.set(sentAt);
  const r = await world.ledger.recordSent(
    world.accountId,
    { threadId: `t-${id}`, messageId: id, internetMessageId: null, subject: `Re: ${id}`, to: [ana], cc: [], sentAt: world.clock.now },
    promise(due),
    "sync",
  );
  expect(r.created.map((c) => c.dueDate), id).toEqual([due]);
  return r.created[0]!.id;
}
/** Acts on a promise at `at` (the clock moves there). */
async function at(when: string, id: string, action: Parameters<World["ledger"]["act"]>[2]) {
  world.clock.set(when);
  await world.ledger.act(world.accountId, id, action);
}
async function figures(now: string) {
  world.clock.set(now);
  return summarise(world.opened.db, (await getAccount(world.opened.db, world.accountId))!, world.clock.now);
}

describe("summary figures", () => {
  it("count as made every promise of the week but those dismissed as not a promise", async () => {
    world = await makeWorld({ start: "2026-11-16T09:00:00Z", settings: { timeZone: "Europe/London" } });
    const a = await sent("a", "2026-11-16T09:00:00Z", "2026-11-18");
    const b = await sent("b", "2026-11-16T10:00:00Z", "2026-11-18");
    await sent("c", "2026-11-16T11:00:00Z", "2026-11-18");
    await at("2026-11-16T12:00:00Z", a, { type: "dismiss", reason: "not-a-promise" });
    await at("2026-11-16T13:00:00Z", b, { type: "dismiss", reason: "no-longer-needed" });
    const f = await figures("2026-11-18T12:00:00Z");
    expect(f.weekly.at(-1)).toEqual({ weekStart: "2026-11-16", made: 2, kept: 0 });
  });

  it("count open and overdue, kept on time, and the median hours to get back, in London", async () => {
    world = await makeWorld({ start: "2026-11-09T09:00:00Z", settings: { timeZone: "Europe/London" } });
    // In November London is on UTC, so local times are the UTC ones below.
    const a = await sent("a", "2026-11-09T09:00:00Z", "2026-11-11"); // kept on its due day, 56 h later
    const b = await sent("b", "2026-11-09T10:00:00Z", "2026-11-10"); // kept two days late, 72 h later
    const d = await sent("d", "2026-11-10T09:00:00Z", "2026-11-13"); // open, overdue, chased
    const g = await sent("g", "2026-11-11T09:00:00Z", "2026-11-12"); // dismissed: neither open nor kept
    await at("2026-11-11T17:00:00Z", a, { type: "keep" });
    const e = await sent("e", "2026-11-12T09:00:00Z", "2026-11-17"); // snoozed past its due date: still overdue
    await at("2026-11-12T10:00:00Z", b, { type: "keep" });
    await at("2026-11-12T11:00:00Z", g, { type: "dismiss", reason: "no-longer-needed" });
    const h = await sent("h", "2026-11-13T09:00:00Z", "2026-11-16"); // kept, then reopened: open and overdue, not kept
    world.clock.set("2026-11-14T10:00:00Z");
    expect((await world.ledger.recordReceived(world.accountId, { threadId: "t-d", messageId: "r-d", from: ana, subject: "Re: d", receivedAt: world.clock.now })).chased).toHaveLength(1);
    const c = await sent("c", "2026-11-16T09:00:00Z", "2026-11-20"); // kept early, 6 h later
    await at("2026-11-16T15:00:00Z", c, { type: "keep" });
    await sent("f", "2026-11-17T09:00:00Z", "2026-11-18"); // due today: not overdue yet
    await at("2026-11-17T10:00:00Z", h, { type: "keep" });
    await at("2026-11-17T11:00:00Z", h, { type: "reopen" });
    await at("2026-11-18T09:00:00Z", e, { type: "snooze", until: Date.parse("2026-11-25T09:00:00Z") });

    const s = await figures("2026-11-18T10:00:00Z");
    // Open: d, e (snoozed), f, h. Overdue, due before Wednesday 18th: d (13th), e (17th), h (16th); f is due today.
    expect(s.open).toBe(4);
    expect(s.overdue).toBe(3);
    expect(s.chased).toBe(1);
    // Kept: a (11th, due 11th: on time), b (12th, due 10th: late), c (16th, due 20th: on time). h was reopened.
    expect(s.kept).toBe(3);
    expect(s.keptOnTime).toBe(2);
    expect(s.keptOnTimeRate).toBeCloseTo(2 / 3, 10);
    // Hours from sending to keeping: a 56, b 72, c 6 → sorted 6, 56, 72 → 56.
    expect(s.medianHoursToGetBack).toBe(56);
    // Waited, in days between the local dates sent and kept: a 2, b 3, c 0.
    expect(Object.fromEntries(s.waited.map((w) => [w.label, w.count]))).toMatchObject({ "same day": 1, "1–2 days": 1, "3–7 days": 1 });

    // At midnight d, e, h are still overdue and f joins them; nothing else moves.
    const thursday = await figures("2026-11-19T00:00:00Z");
    expect([thursday.open, thursday.overdue, thursday.kept, thursday.keptOnTime, thursday.medianHoursToGetBack]).toEqual([4, 4, 3, 2, 56]);
    // A second before, it is still Wednesday.
    expect((await figures("2026-11-18T23:59:59Z")).overdue).toBe(3);
  });

  it("takes the mean of the middle two for an even count, and has no median or rate with nothing kept", async () => {
    world = await makeWorld({ start: "2026-11-09T09:00:00Z", settings: { timeZone: "Europe/London" } });
    const empty = await figures("2026-11-09T09:00:00Z");
    expect([empty.open, empty.overdue, empty.kept, empty.keptOnTime, empty.keptOnTimeRate, empty.medianHoursToGetBack]).toEqual([0, 0, 0, 0, null, null]);

    const a = await sent("a", "2026-11-09T09:00:00Z", "2026-11-11");
    const b = await sent("b", "2026-11-09T10:30:00Z", "2026-11-09");
    await at("2026-11-09T12:00:00Z", b, { type: "keep" }); // 1.5 h, on its due day
    await at("2026-11-11T17:00:00Z", a, { type: "keep" }); // 56 h, on its due day
    const s = await figures("2026-11-18T10:00:00Z");
    expect([s.open, s.overdue, s.kept, s.keptOnTime, s.keptOnTimeRate]).toEqual([0, 0, 2, 2, 1]);
    expect(s.medianHoursToGetBack).toBe((1.5 + 56) / 2);
  });

  it("reads 'on time' and 'overdue' on the user's calendar, not UTC's", async () => {
    // Auckland is UTC+13 in November: 12:00 UTC on the 20th is 01:00 on the 21st there.
    world = await makeWorld({ start: "2026-11-18T20:00:00Z", settings: { timeZone: "Pacific/Auckland" } });
    const late = await sent("late", "2026-11-18T20:00:00Z", "2026-11-20"); // 09:00 on the 19th, local
    const onTime = await sent("on-time", "2026-11-18T21:00:00Z", "2026-11-20");
    await sent("open", "2026-11-18T22:00:00Z", "2026-11-20");
    await at("2026-11-20T10:30:00Z", onTime, { type: "keep" }); // 23:30 on the 20th, local: on time
    await at("2026-11-20T12:00:00Z", late, { type: "keep" }); // 01:00 on the 21st, local: a day late, though still the 20th in UTC
    const s = await figures("2026-11-20T12:30:00Z"); // the 21st in Auckland
    expect(s.keptOnTime).toBe(1);
    expect(s.kept).toBe(2);
    expect(s.overdue).toBe(1); // due the 20th, and it is the 21st there
    // Hours do not depend on the zone: 37.5 and 40 → 38.75.
    expect(s.medianHoursToGetBack).toBe(38.75);
    // A minute before midnight in Auckland the open one is due today, not overdue.
    expect((await figures("2026-11-20T10:59:00Z")).overdue).toBe(0);
  });
});
