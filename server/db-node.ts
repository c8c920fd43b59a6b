// Opens a libSQL database from Node: an embedded file (the default, no account
// needed) or a libSQL server over http(s)/ws(s); applies the committed migrations.
import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { createClient, type Client, type Transaction } from "@libsql/client";
import { drizzle } from "drizzle-orm/libsql";
import { migrate } from "drizzle-orm/libsql/migrator";
import * as schema from "../db/schema";
import { embeddedClient } from "./libsql-embedded";
import { projectPath } from "./paths";
import type { Db } from "./db";

export const MIGRATIONS_FOLDER = projectPath("db/migrations");

export interface OpenedDb {
  db: Db;
  close(): void;
  /**
   * The embedded database's state as a string that changes whenever a row does,
   * by this process or another (see PanelCache). Absent for a libSQL server.
   */
  version?: () => string;
}

export async function openDatabase(url: string, opts: { authToken?: string; migrate?: boolean; cacheMB?: number; mmapMB?: number } = {}): Promise<OpenedDb> {
  const embedded = url.startsWith("file:");
  if (embedded) {
    const path = url.slice("file:".length);
    if (path && path !== ":memory:") mkdirSync(dirname(resolve(path)), { recursive: true });
  }
  const own = embedded ? embeddedClient(url.slice("file:".length)) : null;
  let client: Client = own ?? createClient({ url, authToken: opts.authToken });
  if (embedded) {
    // One connection, so these settings hold for every statement: WAL lets another
    // process (kept scan) read while the server writes, and NORMAL skips an fsync
    // per commit, which WAL makes safe against corruption (a power cut can lose
    // the last commits, never the database).
    await client.execute("PRAGMA journal_mode = WAL");
    await client.execute("PRAGMA synchronous = NORMAL");
    // Checkpoint the WAL in larger steps: a sweep or an import writes thousands of rows at once.
    await client.execute("PRAGMA wal_autocheckpoint = 10000");
    await client.execute("PRAGMA foreign_keys = ON");
    await client.execute("PRAGMA busy_timeout = 5000");
    // A server keeps its busiest pages in memory (the cache grows only as it is used).
    if (opts.cacheMB) await client.execute(`PRAGMA cache_size = -${Math.round(opts.cacheMB * 1024)}`);
    // and reads the file through a memory map: no system call and no copy per page read
    // (the pages are the operating system's file cache, shared, and count in RSS once read).
    if (opts.mmapMB) await client.execute(`PRAGMA mmap_size = ${Math.round(opts.mmapMB * 1024 * 1024)}`);
    client = serialised(client);
  }
  const db = drizzle(client, { schema });
  if (opts.migrate !== false) await migrate(db, { migrationsFolder: MIGRATIONS_FOLDER });
  return { db, close: () => client.close(), ...(own ? { version: () => own.version() } : {}) };
}

/**
 * A one-connection client that queues work instead of refusing it: statements
 * wait while a transaction holds the connection, and transactions run one at a
 * time (SQLite has one writer anyway). Nothing inside a transaction may use the
 * outer client, only the transaction.
 */
function serialised(client: Client): Client {
  let tail: Promise<unknown> = Promise.resolve();
  const queue = <T>(work: () => Promise<T>): Promise<T> => {
    const run = tail.then(work);
    tail = run.catch(() => undefined);
    return run;
  };
  const wrapped: Partial<Client> = {
    execute: ((stmt: unknown, args?: unknown) => queue(() => (client.execute as (s: unknown, a?: unknown) => Promise<unknown>)(stmt, args))) as Client["execute"],
    batch: ((stmts: unknown, mode?: unknown) => queue(() => (client.batch as (s: unknown, m?: unknown) => Promise<unknown>)(stmts, mode))) as Client["batch"],
    executeMultiple: (sql: string) => queue(() => client.executeMultiple(sql)),
    migrate: ((stmts: unknown) => queue(() => (client.migrate as (s: unknown) => Promise<unknown>)(stmts))) as Client["migrate"],
    transaction: (async (mode?: unknown) => {
      let release!: () => void;
      const held = new Promise<void>((r) => (release = r));
      const before = tail;
      tail = before.then(() => held);
      await before;
      let tx: Transaction;
      try {
        tx = await (client.transaction as (m?: unknown) => Promise<Transaction>)(mode);
      } catch (e) {
        release();
        throw e;
      }
      let done = false;
      const finish = () => {
        if (!done) {
          done = true;
          release();
        }
      };
      return new Proxy(tx, {
        get(target, prop, receiver) {
          const value = Reflect.get(target, prop, receiver);
          if (prop === "commit" || prop === "rollback") {
            return async () => {
              try {
                return await (value as () => Promise<void>).call(target);
              } finally {
                finish();
              }
            };
          }
          if (prop === "close") {
            return () => {
              try {
                (value as () => void).call(target);
              } finally {
                finish();
              }
            };
          }
          return typeof value === "function" ? value.bind(target) : value;
        },
      });
    }) as Client["transaction"],
  };
  return new Proxy(client, {
    get(target, prop, receiver) {
      if (prop in wrapped) return wrapped[prop as keyof Client];
      const value = Reflect.get(target, prop, receiver);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}
