import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { openDatabase } from "./db-node";

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
