// Opens a libSQL database from Node: an embedded file (the default, no account
// needed) or a libSQL server over http(s)/ws(s); applies the committed migrations.
import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { createClient } from "@libsql/client";
import { drizzle } from "drizzle-orm/libsql";
import { migrate } from "drizzle-orm/libsql/migrator";
import * as schema from "../db/schema";
import type { Db } from "./db";

export const MIGRATIONS_FOLDER = resolve(dirname(fileURLToPath(import.meta.url)), "../db/migrations");

export interface OpenedDb {
  db: Db;
  close(): void;
}

export async function openDatabase(url: string, opts: { authToken?: string; migrate?: boolean } = {}): Promise<OpenedDb> {
  if (url.startsWith("file:")) {
    const path = url.slice("file:".length);
    if (path && path !== ":memory:") mkdirSync(dirname(resolve(path)), { recursive: true });
  }
  const client = createClient({ url, authToken: opts.authToken });
  if (url.startsWith("file:")) {
    // WAL lets the dashboard read while the sweep writes; foreign keys keep deletes honest.
    await client.execute("PRAGMA journal_mode = WAL");
    await client.execute("PRAGMA busy_timeout = 5000");
  }
  await client.execute("PRAGMA foreign_keys = ON");
  const db = drizzle(client, { schema });
  if (opts.migrate !== false) await migrate(db, { migrationsFolder: MIGRATIONS_FOLDER });
  return { db, close: () => client.close() };
}
