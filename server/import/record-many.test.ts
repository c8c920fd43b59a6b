// The import's set-based path into the ledger (Ledger.recordMany) leaves the
// database exactly as the per-message path (sentIn / receivedIn, events deferred)
// does, on a ledger that already holds promises with events on the calendar.
import { afterEach, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import type { Counterpart, ReceivedMessage, SentMessage } from "../../core/model";
import { makeWorld, type World } from "../../test/support";
import type { DetectionSummary } from "../ledger";
import { getAccount, getCommitment, settingsOf } from "../store";

type Item = { kind: "sent"; msg: SentMessage; detection: DetectionSummary } | { kind: "received"; msg: ReceivedMessage };

const ana: Counterpart = { name: "Ana Silva", address: "Ana@Example.com" };
const ben: Counterpart = { name: "Ben Okafor", address: "ben@example.org" };
const me: Counterpart = { name: "Sam Taylor", address: "sam@example.com" };
const day = 86_400_000;
const start = Date.parse("2026-11-02T10:00:00Z");
const promise = (dueDate: string | null, sentence = "I'll get back to you by Friday."): DetectionSummary => ({
  commitments: [{ sentence, trigger: "I'll get back to you", kind: "explicit", dueDate }],
  badNews: null,
});
const nothing: DetectionSummary = { commitments: [], badNews: null };
const sent = (id: string, thread: string, to: Counterpart[], at: number, detection: DetectionSummary, cc: Counterpart[] = []): Item => ({
  kind: "sent",
  msg: { threadId: thread, messageId: id, internetMessageId: id, subject: `Role ${thread}`, to, cc, sentAt: at },
  detection,
});
const received = (id: string, thread: string, from: Counterpart, at: number): Item => ({
  kind: "received",
  msg: { threadId: thread, messageId: id, from, subject: `Re: Role ${thread}`, receivedAt: at },
});

/** Before the import: promises with events on the calendar, one renewed by an update Kept composed. */
async function before(world: World): Promise<void> {
  const { ledger, accountId } = world;
  for (const item of [
    sent("old-1", "t1", [ana], start, promise("2026-11-20")),
    sent("old-2", "t2", [ben], start + 1000, promise(null, "I'll send the spec over.")),
    sent("old-3", "t3", [ana], start + 2000, promise("2026-11-25")),
    received("old-r1", "t2", ben, start + 3000),
  ]) {
    if (item.kind === "sent") await ledger.recordSent(accountId, item.msg, item.detection, "sync");
    else await ledger.recordReceived(accountId, item.msg);
  }
  const open = await world.opened.db.all<{ id: string }>(sql`select id from commitments where message_id = 'old-3'`);
  await ledger.renewWithUpdate(accountId, open[0]!.id, { templateId: "recruiter-no-news", nextUpdateDate: "2026-11-27" });
}

/** The import: keeps, chases, new promises kept and chased within the batch, duplicates, bad news. */
const batch: Item[] = [
  received("r-1", "t1", ana, start + 2 * day), // chases old-1: its event moves
  sent("s-1", "t2", [ben], start + 2 * day + 1, nothing), // keeps old-2: its event goes
  sent("s-2", "t4", [ana], start + 2 * day + 2, promise("2026-11-10")),
  received("r-2", "t4", ana, start + 2 * day + 3), // chases s-2, made in this batch
  received("r-2", "t4", ana, start + 2 * day + 3), // the same message twice in one batch
  received("old-r1", "t2", ben, start + 2 * day + 4), // already processed before the import
  sent("s-3", "t4", [ana], start + 2 * day + 5, promise("2026-11-12", "I'll call you on Thursday.")), // keeps s-2, makes another
  // The composed update, arriving (news promised by the date it named): the renewed promise takes its id.
  sent("s-4", "t3", [ana], start + 2 * day + 6, promise("2026-11-27", "I'll update you by Friday 27 November.")),
  sent("s-5", "t5", [ben, me], start + 2 * day + 7, { commitments: [], badNews: { sentence: "The client has decided not to progress." } }),
  sent("s-6", "t6", [ana], start + 2 * day + 8, { ...promise("2026-11-13"), badNews: { sentence: "Sadly the role is on hold." } }, [ben]),
  sent("s-7", "t7", [me], start + 2 * day + 9, promise("2026-11-13")), // only to the user: nobody to promise
  sent("s-8", "t7", [ben], start + 2 * day + 10, { ...promise("2026-11-13"), autoReply: true }),
  received("r-3", "t6", ben, start + 2 * day + 11), // Ben is on s-6 too: a chase
  sent("s-9", "t1", [ana], start + 2 * day + 12, nothing), // keeps old-1, chased above
];

async function dump(world: World): Promise<Record<string, unknown[]>> {
  const db = world.opened.db;
  const rows = async (q: string) => (await db.all<Record<string, unknown>>(sql.raw(q))).map((r) => JSON.stringify(r)).sort();
  return {
    commitments: await rows("select * from commitments"),
    history: await rows("select commitment_id, at, type, detail from commitment_history"),
    checkIns: await rows("select * from check_ins"),
    reminders: await rows("select * from reminders"),
    // Ledger operations only: not the import's own bookkeeping, which the per-message path has no part in.
    outbox: await rows("select key, op, reminder_id, commitment_id, payload, state, attempts, next_attempt_at, last_error, result from outbox where op <> 'place_events'"),
    processed: await rows("select message_id, direction, at from processed_messages"),
  };
}

let worlds: World[] = [];
afterEach(() => {
  for (const w of worlds) w.close();
  worlds = [];
});

async function world(): Promise<World> {
  let n = 0;
  // The same ids in both worlds, and one account id, so whole rows compare.
  const w = await makeWorld({ start: "2026-11-03T12:00:00Z", mail: false, deps: { newId: () => `id-${++n}` } });
  worlds.push(w);
  await before(w);
  return w;
}

describe("Ledger.recordMany", () => {
  it("leaves the ledger as recording each message in turn does", async () => {
    const bulk = await world();
    const one = await world();
    for (const w of [bulk, one]) w.clock.set("2026-11-18T10:00:00Z");

    const results = await bulk.ledger.recordMany(bulk.accountId, batch, "import");
    const expected = [];
    for (const item of batch) {
      // The per-message path with events deferred, as the import used it.
      const l = one.ledger as unknown as {
        sentIn: (...a: unknown[]) => Promise<unknown>;
        receivedIn: (...a: unknown[]) => Promise<unknown>;
      };
      expected.push(
        await one.opened.db.transaction(async (tx) => {
          const row = await getAccount(tx, one.accountId);
          const pending = { outboxKeys: [], deferEvents: true };
          return item.kind === "sent"
            ? l.sentIn.call(one.ledger, tx, row, item.msg, item.detection, "import", pending, one.clock.now)
            : l.receivedIn.call(one.ledger, tx, row, item.msg, pending, one.clock.now);
        }),
      );
    }
    const bare = (d: unknown) => JSON.stringify(d).replaceAll(bulk.accountId, "ACCOUNT").replaceAll(one.accountId, "ACCOUNT");
    expect(bare(results)).toBe(bare(expected));

    const got = await dump(bulk);
    const want = await dump(one);
    expect(bare(got)).toBe(bare(want));

    // What the batch was for: each kind of outcome happened.
    const summary = results.map((r) => ("chased" in r ? `chased ${r.chased.length}` : `created ${r.created.length} kept ${r.kept.length}${r.checkInId ? " check-in" : ""}`));
    expect(summary).toEqual([
      "chased 1",
      "created 0 kept 1",
      "created 1 kept 0",
      "chased 1",
      "chased 0",
      "chased 0",
      "created 1 kept 1",
      "created 0 kept 0",
      "created 0 kept 0 check-in",
      "created 1 kept 0 check-in",
      "created 0 kept 0",
      "created 0 kept 0",
      "chased 1",
      "created 0 kept 1",
    ]);
    expect(results.filter((r) => r.duplicate)).toHaveLength(2);
    // Events that were on the calendar for promises now kept or moved are on their way out.
    expect(got.outbox.filter((o) => String(o).includes('"op":"delete_event"')).length).toBeGreaterThanOrEqual(2);
    expect(got.commitments.some((c) => String(c).includes('"message_id":"s-4"'))).toBe(true);
  });

  it("places events as adding each open promise's reminder in turn does", async () => {
    const bulk = await world();
    const one = await world();
    for (const w of [bulk, one]) {
      w.clock.set("2026-11-04T08:00:00Z"); // before most of the batch's due dates
      await w.ledger.recordMany(w.accountId, batch, "import");
    }
    const placed = await bulk.ledger.placeEvents(bulk.accountId);
    const now = one.clock.now;
    const rows = await one.opened.db.all<{ id: string }>(sql`
      select id from commitments where status in ('open', 'snoozed') and next_reminder_at > ${now}
        and not exists (select 1 from reminders r where r.commitment_id = commitments.id and r.state in ('pending', 'created') and r.starts_at > ${now})`);
    expect(placed).toBe(rows.length);
    expect(placed).toBeGreaterThan(1);
    const l = one.ledger as unknown as { addReminder: (...a: unknown[]) => Promise<void> };
    await one.opened.db.transaction(async (tx) => {
      const account = (await getAccount(tx, one.accountId))!;
      for (const { id } of rows) {
        const c = (await getCommitment(tx, one.accountId, id))!;
        await l.addReminder.call(one.ledger, tx, account, settingsOf(account), c, c.nextReminderAt, { outboxKeys: [] }, now);
      }
    });
    const bare = (d: unknown) => JSON.stringify(d).replaceAll(bulk.accountId, "ACCOUNT").replaceAll(one.accountId, "ACCOUNT");
    expect(bare(await dump(bulk))).toBe(bare(await dump(one)));
  });
});
