// The embedded database's client: the parts of @libsql/client's Client that
// drizzle uses, over the `libsql` engine's own statement API (the engine
// @libsql/client itself runs for file: URLs), with prepared statements cached.
// @libsql/client prepares every statement anew and reads its column list twice
// per call, which costs more than the query on the side panel's hot path.
import Database from "libsql";
import type { Client, InArgs, InStatement, ResultSet, Row, Transaction, TransactionMode } from "@libsql/client";

type Stmt = ReturnType<Database["prepare"]>;

const CACHE_SIZE = 500;

class Statements {
  private cache = new Map<string, { stmt: Stmt; reader: boolean; readOnly: boolean; columns: string[] }>();
  /** Statements run that may have changed a row: anything but a SELECT (counted before it runs). */
  writes = 0;
  constructor(private db: Database) {}

  clear() {
    this.cache.clear();
  }

  get(sql: string) {
    let hit = this.cache.get(sql);
    if (hit) {
      // Most recently used goes last.
      this.cache.delete(sql);
      this.cache.set(sql, hit);
      return hit;
    }
    const stmt = this.db.prepare(sql);
    let reader = true;
    try {
      stmt.raw(true);
    } catch {
      reader = false; // raw() refuses statements that return no rows
    }
    const columns = reader ? stmt.columns().map((c: { name: string }) => c.name) : [];
    hit = { stmt, reader, readOnly: /^\s*select\b/i.test(sql), columns };
    this.cache.set(sql, hit);
    if (this.cache.size > CACHE_SIZE) this.cache.delete(this.cache.keys().next().value!);
    return hit;
  }
}

function toArgs(args: InArgs | undefined): unknown[] | Record<string, unknown> {
  if (!args) return [];
  const conv = (v: unknown) => (typeof v === "boolean" ? (v ? 1 : 0) : v instanceof Date ? v.getTime() : v === undefined ? null : v);
  if (Array.isArray(args)) return args.map(conv);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(args)) out[k.replace(/^[@$:]/, "")] = conv(v);
  return out;
}

function run(statements: Statements, stmt: InStatement): ResultSet {
  const sql = typeof stmt === "string" ? stmt : stmt.sql;
  const args = typeof stmt === "string" ? [] : toArgs(stmt.args);
  const { stmt: prepared, reader, readOnly, columns } = statements.get(sql);
  if (!readOnly) statements.writes++;
  if (reader) {
    const raw = prepared.all(args) as unknown[][];
    const rows = raw.map((values) => {
      const row = values as unknown as Record<string, unknown>;
      for (let i = 0; i < columns.length; i++) if (!(columns[i]! in row)) row[columns[i]!] = values[i];
      return row as unknown as Row;
    });
    return result(columns, rows, 0, undefined);
  }
  const info = prepared.run(args) as { changes: number; lastInsertRowid: number | bigint };
  return result([], [], info.changes, BigInt(info.lastInsertRowid));
}

function result(columns: string[], rows: Row[], rowsAffected: number, lastInsertRowid: bigint | undefined): ResultSet {
  return {
    columns,
    columnTypes: columns.map(() => ""),
    rows,
    rowsAffected,
    lastInsertRowid,
    toJSON() {
      return { columns, rows: rows.map((r) => Array.from(r as unknown as unknown[])), rowsAffected, lastInsertRowid: lastInsertRowid?.toString() ?? null };
    },
  };
}

function begin(mode: TransactionMode | undefined): string {
  return mode === "read" ? "BEGIN DEFERRED" : mode === "deferred" ? "BEGIN DEFERRED" : "BEGIN IMMEDIATE";
}

/** What embeddedClient adds to a libSQL Client. */
export interface EmbeddedExtras {
  /**
   * The database's state, read at once (no queue): equal strings mean no row has
   * changed in between. It pairs a count of the statements this client has run
   * that may write (anything but a SELECT) with SQLite's data_version, which
   * moves when another connection, another process included, commits.
   */
  version(): string;
}

/** A single-connection embedded client. Callers serialise transactions (see db-node.ts). */
export function embeddedClient(path: string): Client & EmbeddedExtras {
  const db = new Database(path);
  const statements = new Statements(db);
  let closed = false;
  // get() is one call into the engine; all() builds an iterator (several µs more).
  let dataVersion: Stmt | null = null;

  const inTransaction = <T>(mode: TransactionMode | undefined, work: () => T): T => {
    db.exec(begin(mode));
    try {
      const out = work();
      db.exec("COMMIT");
      return out;
    } catch (e) {
      if (db.inTransaction) db.exec("ROLLBACK");
      throw e;
    }
  };

  const client = {
    closed: false,
    protocol: "file",
    async execute(stmtOrSql: InStatement | string, args?: InArgs) {
      const stmt = typeof stmtOrSql === "string" && args !== undefined ? { sql: stmtOrSql, args } : stmtOrSql;
      return run(statements, stmt as InStatement);
    },
    async batch(stmts: Array<InStatement | [string, InArgs?]>, mode?: TransactionMode) {
      return inTransaction(mode, () => stmts.map((s) => run(statements, Array.isArray(s) ? { sql: s[0], args: s[1] ?? [] } : s)));
    },
    async migrate(stmts: InStatement[]) {
      statements.clear();
      db.exec("PRAGMA foreign_keys = OFF");
      try {
        return inTransaction("deferred", () => stmts.map((s) => run(statements, s)));
      } finally {
        db.exec("PRAGMA foreign_keys = ON");
      }
    },
    async transaction(mode?: TransactionMode): Promise<Transaction> {
      db.exec(begin(mode));
      let done = false;
      // A failed COMMIT leaves SQLite inside the transaction: roll it back so the
      // one connection is usable again, then report the failure.
      const commit = () => {
        if (done) return;
        try {
          db.exec("COMMIT");
          done = true;
        } catch (e) {
          rollback();
          throw e;
        }
      };
      const rollback = () => {
        done = true;
        if (db.inTransaction) db.exec("ROLLBACK");
      };
      const tx: Transaction = {
        closed: false,
        async execute(stmt: InStatement) {
          return run(statements, stmt);
        },
        async batch(stmts: InStatement[]) {
          return stmts.map((s) => run(statements, s));
        },
        async executeMultiple(sql: string) {
          statements.writes++;
          db.exec(sql);
        },
        async commit() {
          commit();
        },
        async rollback() {
          rollback();
        },
        close() {
          rollback();
        },
      } as Transaction;
      return tx;
    },
    async executeMultiple(sql: string) {
      statements.writes++;
      db.exec(sql);
      statements.clear(); // the schema may have changed under cached statements
    },
    async sync() {
      return undefined;
    },
    version() {
      dataVersion ??= db.prepare("PRAGMA main.data_version").raw(true);
      return `${statements.writes}.${(dataVersion.get([]) as unknown[])[0]}`;
    },
    close() {
      if (!closed) {
        closed = true;
        db.close();
      }
    },
    reconnect() {},
  } as unknown as Client & EmbeddedExtras;
  return client;
}
