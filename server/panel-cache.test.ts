// The side-panel cache against a real embedded database: it answers from memory
// only while no row has changed, whoever changed it, and never answers older
// than the last write, however reads and writes interleave.
import { afterEach, describe, expect, it } from "vitest";
import Database from "libsql";
import { join } from "node:path";
import { makeWorld, type World } from "../test/support";
import type { DetectionSummary } from "./ledger";
import { PanelCache } from "./panel-cache";
import { schema } from "./db";
import { getCommitment, history, panelFor } from "./store";

const ana = { name: "Ana Silva", address: "ana@example.com" };
const promise = (sentence: string, dueDate: string | null): DetectionSummary => ({
  commitments: [{ sentence, trigger: "I'll get back to you", kind: "explicit", dueDate }],
  badNews: null,
});

let world: World;
afterEach(() => world?.close());

async function promiseTo(w: World, n: number, to = ana) {
  const sent = await w.ledger.recordSent(
    w.accountId,
    { threadId: `t${n}`, messageId: `m${n}`, internetMessageId: null, subject: `Role ${n}`, to: [to], cc: [], sentAt: w.clock.now },
    promise(`I'll get back to you by Friday (${n}).`, "2026-11-20"),
    "sync",
  );
  return sent.created[0]!;
}

const TODAY = "2026-11-18";

describe("PanelCache", () => {
  it("answers a panel it has read from memory until a row changes, then reads again", async () => {
    world = await makeWorld();
    const c = await promiseTo(world, 1);
    const cache = new PanelCache(world.opened.version!);
    const first = await cache.panelFor(world.opened.db, world.identity, "ana@example.com", "t1", TODAY);
    const again = await cache.panelFor(world.opened.db, world.identity, "ana@example.com", "t1", TODAY);
    expect(again).toBe(first);
    expect(cache.stats).toMatchObject({ hits: 1, misses: 1 });
    expect(JSON.parse(first.json).thisThread.map((x: { id: string }) => x.id)).toEqual([c.id]);

    // Another thread, another day or another person is another panel.
    await cache.panelFor(world.opened.db, world.identity, "ana@example.com", "t2", TODAY);
    await cache.panelFor(world.opened.db, world.identity, "ana@example.com", "t1", "2026-11-23");
    expect(cache.stats.misses).toBe(3);

    // Marking it kept is a write: the next panel is read, and says so.
    await world.ledger.act(world.accountId, c.id, { type: "keep" });
    const after = JSON.parse((await cache.panelFor(world.opened.db, world.identity, "ana@example.com", "t1", TODAY)).json);
    expect(after.thisThread).toEqual([]);
    expect(after.recentlyClosed.map((x: { id: string; status: string }) => [x.id, x.status])).toEqual([[c.id, "kept"]]);
    expect(cache.stats.misses).toBe(4);
  });

  it("sees a write by another connection to the same file (kept scan in another process)", async () => {
    world = await makeWorld();
    const c = await promiseTo(world, 1);
    const cache = new PanelCache(world.opened.version!);
    const read = async () => JSON.parse((await cache.panelFor(world.opened.db, world.identity, "ana@example.com", "t1", TODAY)).json);
    expect((await read()).thisThread[0].subject).toBe("Role 1");
    expect((await read()).thisThread[0].subject).toBe("Role 1");
    expect(cache.stats.hits).toBe(1);

    const other = new Database(join(world.dir, "kept.db"));
    try {
      other.prepare("UPDATE commitments SET subject = ? WHERE id = ?").run(["Role 1 (changed elsewhere)", c.id]);
    } finally {
      other.close();
    }
    expect((await read()).thisThread[0].subject).toBe("Role 1 (changed elsewhere)");
    expect(cache.stats.misses).toBe(2);
  });

  it("keeps answering from memory while only reads run", async () => {
    world = await makeWorld();
    const c = await promiseTo(world, 1);
    const cache = new PanelCache(world.opened.version!);
    await cache.panelFor(world.opened.db, world.identity, "ana@example.com", "t1", TODAY);
    // Other screens read: the list, one promise, its history, the summary's figures.
    await world.opened.db.select().from(schema.commitments);
    await getCommitment(world.opened.db, world.accountId, c.id);
    await history(world.opened.db, c.id);
    await cache.panelFor(world.opened.db, world.identity, "ana@example.com", "t1", TODAY);
    expect(cache.stats).toMatchObject({ hits: 1, misses: 1 });
  });

  it("holds at most its capacity, dropping the panel used longest ago", async () => {
    world = await makeWorld();
    await promiseTo(world, 1);
    const cache = new PanelCache(world.opened.version!, 2);
    const read = (who: string) => cache.panelFor(world.opened.db, world.identity, who, null, TODAY);
    await read("a@example.com");
    await read("b@example.com");
    await read("a@example.com"); // a is now the most recent
    await read("c@example.com"); // b goes
    expect(cache.stats).toMatchObject({ hits: 1, misses: 3, size: 2 });
    await read("a@example.com");
    expect(cache.stats.hits).toBe(2);
    await read("b@example.com");
    expect(cache.stats.misses).toBe(4);
  });

  it("keeps nothing for an identity that has no account yet", async () => {
    world = await makeWorld();
    const cache = new PanelCache(world.opened.version!);
    const stranger = { provider: "microsoft" as const, tenantId: "t", subject: "nobody" };
    expect((await cache.panelFor(world.opened.db, stranger, "ana@example.com", null, TODAY)).account).toBeNull();
    await cache.panelFor(world.opened.db, stranger, "ana@example.com", null, TODAY);
    expect(cache.stats).toMatchObject({ hits: 0, misses: 2, size: 0 });
  });

  it("does not keep a panel read before a write that another request has already seen", async () => {
    // A's panel is read; then a row changes and request B, arriving meanwhile,
    // sees the new version before A's answer comes back. A's panel predates the
    // write, so it must not be kept under the version B saw.
    let version = 1;
    let reads = 0;
    const panel = (json: string) => ({ account: { id: "a", timeZone: "UTC" }, json });
    const cache: PanelCache = new PanelCache(
      () => String(version),
      10,
      async (_db, _identity, counterpart) => {
        reads++;
        if (counterpart === "a@example.com" && version === 1) {
          version = 2; // the write
          await cache.panelFor(null as never, world.identity, "b@example.com", null, TODAY); // B
          return panel("A before the write");
        }
        return panel(`${counterpart} at version ${version}`);
      },
    );
    world = await makeWorld();
    expect((await cache.panelFor(null as never, world.identity, "a@example.com", null, TODAY)).json).toBe("A before the write");
    expect((await cache.panelFor(null as never, world.identity, "a@example.com", null, TODAY)).json).toBe("a@example.com at version 2");
    expect((await cache.panelFor(null as never, world.identity, "b@example.com", null, TODAY)).json).toBe("b@example.com at version 2");
    expect(reads).toBe(3);
  });

  it("is never older than the last write, with reads and writes interleaved", async () => {
    world = await makeWorld();
    const ids: string[] = [];
    for (let n = 0; n < 4; n++) ids.push((await promiseTo(world, n)).id);
    const cache = new PanelCache(world.opened.version!);
    const { db } = world.opened;
    const uncached = async (thread: string) => (await panelFor(db, world.identity, "ana@example.com", thread, TODAY)).json;
    const cached = async (thread: string) => (await cache.panelFor(db, world.identity, "ana@example.com", thread, TODAY)).json;
    // Each round fires panel reads and a write at once, without waiting between
    // them, so reads are queued on both sides of the write; then, once all have
    // settled, the cache must answer exactly what the database holds.
    for (let round = 0; round < 24; round++) {
      const thread = `t${round % 4}`;
      const id = ids[Math.floor(round / 4) % 4]!;
      const act = (input: Parameters<World["ledger"]["act"]>[2]) => world.ledger.act(world.accountId, id, input).catch(() => undefined);
      const write = [
        () => act({ type: "snooze", until: world.clock.now + (round + 1) * 3_600_000 }),
        () => act({ type: "keep" }),
        () => act({ type: "reopen" }),
        () => promiseTo(world, 100 + round),
      ][round % 4]!();
      await Promise.all([cached(thread), cached("t0"), write, cached(thread), cached("t1")]);
      for (const t of ["t0", "t1", "t2", "t3"]) expect(await cached(t)).toBe(await uncached(t));
    }
    expect(cache.stats.hits).toBeGreaterThan(0);
  });
});
