// Types for the parts of the `libsql` engine package (a better-sqlite3-style API) that Kept uses.
declare module "libsql" {
  interface Statement {
    raw(on?: boolean): Statement;
    columns(): Array<{ name: string; type: string | null }>;
    all(args?: unknown): unknown[];
    get(args?: unknown): unknown;
    run(args?: unknown): { changes: number; lastInsertRowid: number | bigint };
  }
  export default class Database {
    constructor(path: string, opts?: Record<string, unknown>);
    readonly inTransaction: boolean;
    prepare(sql: string): Statement;
    exec(sql: string): void;
    close(): void;
  }
}
