import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { drizzle } from "drizzle-orm/libsql";
import { migrate } from "drizzle-orm/libsql/migrator";
import { MIGRATIONS_FOLDER, openDatabase } from "./db-node";
import { schema } from "./db";
import { panelFor } from "./store";

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const fresh = () => {
  const d = mkdtempSync(join(tmpdir(), "kept-db-"));
  dirs.push(d);
  return `file:${join(d, "kept.db")}`;
};
const pragma = async (db: Awaited<ReturnType<typeof openDatabase>>["db"], name: string) => (await db.$client.execute(`PRAGMA ${name}`)).rows[0]![0];

describe("the embedded database as the server opens it", () => {
  it("uses the page cache and memory map it is given, on its one connection", async () => {
    const { db, close } = await openDatabase(fresh(), { cacheMB: 16, mmapMB: 8 });
    try {
      expect(await pragma(db, "cache_size")).toBe(-16 * 1024);
      expect(await pragma(db, "mmap_size")).toBe(8 * 1024 * 1024);
      expect(await pragma(db, "journal_mode")).toBe("wal");
    } finally {
      close();
    }
  });

  it("keeps SQLite's defaults for kept scan", async () => {
    const { db, close } = await openDatabase(fresh());
    try {
      expect(await pragma(db, "mmap_size")).toBe(0);
      expect(await pragma(db, "cache_size")).toBe(-2000);
    } finally {
      close();
    }
  });
});

describe("upgrading a database made before commitment_others", () => {
  it("fills it from the promises already recorded, so the side panel finds the second person", async () => {
    const url = fresh();
    // The database as the last release left it: migrations 0000 and 0001 only.
    const old = mkdtempSync(join(tmpdir(), "kept-migrations-"));
    dirs.push(old);
    cpSync(MIGRATIONS_FOLDER, old, { recursive: true });
    const journal = JSON.parse(readFileSync(join(old, "meta/_journal.json"), "utf8"));
    journal.entries = journal.entries.filter((e: { tag: string }) => e.tag < "0002");
    writeFileSync(join(old, "meta/_journal.json"), JSON.stringify(journal));
    const before = await openDatabase(url, { migrate: false });
    await migrate(drizzle(before.db.$client), { migrationsFolder: old });
    await before.db.$client.executeMultiple(`
      INSERT INTO accounts (id, provider, tenant_id, subject, email, time_zone, locale, work_days, day_start, day_end, settings, addresses)
      VALUES ('a1', 'local', 'local', 'u1', 'sam@example.com', 'Europe/London', 'en-GB', '[1,2,3,4,5]', '09:00', '17:30', '{}', '[]');
      INSERT INTO commitments (id, account_id, provider, thread_id, message_id, counterpart_address, counterpart_name, counterparts, subject, sentence, kind,
        sent_at, due_date, due_stated, status, chase_count, reminder_count, source, created_at, updated_at)
      VALUES ('c1', 'a1', 'local', 't1', 'm1', 'ana@example.com', 'Ana', '[{"name":"Ana","address":"ana@example.com"},{"name":"Bo","address":"bo@example.com"}]',
        'Panel', 'We''ll get back to you both.', 'explicit', 1795300000000, '2026-11-27', 1, 'open', 0, 0, 'sync', 1795300000000, 1795300000000),
        ('c2', 'a1', 'local', 't2', 'm2', 'cy@example.com', 'Cy', '[{"name":"Cy","address":"cy@example.com"}]',
        'Solo', 'I''ll send it.', 'explicit', 1795300000000, '2026-11-27', 1, 'open', 0, 0, 'sync', 1795300000000, 1795300000000);
    `);
    before.close();
    // Opened by this release: 0002 and 0003 run, and the promise to Ana and Bo is Bo's too.
    const { db, close } = await openDatabase(url);
    try {
      expect(await db.select().from(schema.commitmentOthers)).toEqual([{ accountId: "a1", address: "bo@example.com", sentAt: 1795300000000, commitmentId: "c1" }]);
      const panel = JSON.parse((await panelFor(db, { provider: "local", tenantId: "local", subject: "u1" }, "Bo@Example.com", "t1", "2026-11-22")).json);
      expect(panel.thisThread.map((c: { id: string }) => c.id)).toEqual(["c1"]);
    } finally {
      close();
    }
  });
});
