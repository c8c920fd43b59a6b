// A mailbox into the ledger: scanMailbox replays the messages oldest first, runs
// the detector on each sent body where it parses it, and this sink tells the
// ledger, so promises answered later come out kept and chased ones chased.
import { eq } from "drizzle-orm";
import { normaliseAddress } from "../core/model";
import { schema, type Db } from "./db";
import type { Ledger } from "./ledger";
import { scanMailbox, withEagerCollection, type ScanError, type ScanProgress, type ScanReport } from "./import/scan";
import { getAccount, settingsOf } from "./store";

// Messages per ledger transaction: each costs a few statements, whatever its size.
const BATCH = 2000;

export interface ImportReport {
  messages: number;
  sent: number;
  received: number;
  created: number;
  kept: number;
  chased: number;
  checkIns: number;
  duplicates: number;
  errors: ScanError[];
  me: string[];
  scan: ScanReport;
}

export interface ImportOptions {
  me?: string[];
  /** Save the addresses found as the user's (default true; false for the sample mailbox). */
  remember?: boolean;
  onProgress?: (p: ScanProgress) => void;
  onError?: (e: ScanError) => void;
}

export async function importMailbox(deps: { ledger: Ledger; db: Db }, accountId: string, path: string, opts: ImportOptions = {}): Promise<ImportReport> {
  // Placing events and the sweep after the scan make garbage the same way.
  return withEagerCollection(() => importInto(deps, accountId, path, opts));
}

async function importInto(deps: { ledger: Ledger; db: Db }, accountId: string, path: string, opts: ImportOptions): Promise<ImportReport> {
  const account = await getAccount(deps.db, accountId);
  if (!account) throw new Error(`no account ${accountId}`);
  const s = settingsOf(account);
  const out = { created: 0, kept: 0, chased: 0, checkIns: 0, duplicates: 0 };
  const errors: ScanError[] = [];
  // Messages go to the ledger in batches, one transaction each, in replay order.
  type Item = Parameters<Ledger["recordMany"]>[1][number];
  let batch: Item[] = [];
  const flush = async () => {
    const items = batch;
    batch = [];
    for (const r of await deps.ledger.recordMany(accountId, items, "import")) {
      if (r.duplicate) out.duplicates++;
      if ("created" in r) {
        out.created += r.created.length;
        out.kept += r.kept.length;
        if (r.checkInId) out.checkIns++;
      } else out.chased += r.chased.length;
    }
  };
  const add = async (item: Item) => {
    batch.push(item);
    if (batch.length >= BATCH) await flush();
  };
  const scan = await scanMailbox(
    path,
    {
      async sent(msg, body) {
        // The scan ran the detector where it parsed the body (opts.detect below).
        await add({ kind: "sent", msg, detection: body.found! });
      },
      async received(msg) {
        await add({ kind: "received", msg });
      },
    },
    {
      me: opts.me,
      detect: { timeZone: s.timeZone, locale: s.locale },
      // Saved in settings, or found in a Sent folder before; the sign-in address too.
      known: [...account.addresses, ...(account.email ? [account.email] : [])],
      requireOwner: true,
      requireMail: true,
      onProgress: opts.onProgress,
      onError: (e) => {
        errors.push(e);
        opts.onError?.(e);
      },
    },
  );
  await flush();
  // Follow-ups for what is still open, then those found overdue, now rather than at the next cron.
  await deps.ledger.placeEvents(accountId);
  await deps.ledger.sweep({ accountId }); // this account's; the cron sweeps everyone's
  // Remember the user's own addresses, so later imports and syncs don't take them for
  // counterparts: those given or found in a Sent folder, never a guess from who takes
  // part, and nothing from the sample mailbox (its owner is not the user).
  const learned = opts.remember !== false && (scan.me.method === "given" || scan.me.method === "sent-folder") ? scan.me.addresses : [];
  const addresses = [...new Set([...account.addresses, ...learned.map(normaliseAddress)])];
  if (addresses.length !== account.addresses.length) {
    await deps.db.update(schema.accounts).set({ addresses }).where(eq(schema.accounts.id, accountId));
  }
  return {
    messages: scan.messages,
    sent: scan.sent,
    received: scan.received,
    ...out,
    errors,
    me: scan.me.addresses,
    scan,
  };
}
