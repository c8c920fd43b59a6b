// Test fixtures: a fresh libSQL file per test, a clock the test moves, the
// in-memory providers, and an account.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomUUID } from "node:crypto";
import { openDatabase, type OpenedDb } from "../server/db-node";
import { Ledger, type LedgerDeps } from "../server/ledger";
import { MemoryProvider, type FaultPlan } from "../server/providers/memory";
import { accountFor, type Identity } from "../server/accounts";
import type { WorkSettings } from "../core/model";

export class TestClock {
  constructor(public now: number) {}
  set(iso: string) {
    this.now = Date.parse(iso);
  }
  advance(ms: number) {
    this.now += ms;
  }
  fn = () => this.now;
}

export interface World {
  dir: string;
  url: string;
  opened: OpenedDb;
  clock: TestClock;
  provider: MemoryProvider;
  ledger: Ledger;
  accountId: string;
  /** Who signs in to the account. */
  identity: Pick<Identity, "provider" | "tenantId" | "subject">;
  close(): void;
}

export async function makeWorld(opts: { start?: string; faults?: FaultPlan; settings?: Partial<WorkSettings>; mail?: boolean; url?: string; deps?: Partial<LedgerDeps> } = {}): Promise<World> {
  const dir = mkdtempSync(join(tmpdir(), "kept-test-"));
  const url = opts.url ?? `file:${join(dir, "kept.db")}`;
  const opened = await openDatabase(url);
  const clock = new TestClock(Date.parse(opts.start ?? "2026-11-18T10:00:00Z"));
  const provider = new MemoryProvider(opts.faults ?? {}, clock.fn);
  const ledger = new Ledger({
    db: opened.db,
    clock: clock.fn,
    newId: randomUUID,
    calendar: provider,
    mail: opts.mail === false ? null : provider,
    publicUrl: "http://127.0.0.1:8787",
    ...opts.deps,
  });
  const account = await accountFor(
    opened.db,
    { provider: "local", tenantId: "local", subject: `user-${randomUUID()}`, email: "sam@example.com", displayName: "Sam Taylor" },
    randomUUID,
    { timeZone: "Europe/London", ...opts.settings },
  );
  return {
    dir,
    url,
    opened,
    clock,
    provider,
    ledger,
    accountId: account.id,
    identity: { provider: account.provider, tenantId: account.tenantId, subject: account.subject },
    close() {
      opened.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
