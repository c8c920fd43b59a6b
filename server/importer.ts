// A mailbox into the ledger: scanMailbox replays the messages oldest first and
// this sink runs the detector on each sent body (then lets it go) and tells the
// ledger, so promises answered later come out kept and chased ones chased.
import { eq } from "drizzle-orm";
import { detect } from "../core/detect/index";
import { normaliseAddress } from "../core/model";
import { schema, type Db } from "./db";
import type { Ledger } from "./ledger";
import { scanMailbox, type ScanError, type ScanProgress, type ScanReport } from "./import/scan";
import { getAccount, settingsOf } from "./store";

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
  onProgress?: (p: ScanProgress) => void;
  onError?: (e: ScanError) => void;
}

export async function importMailbox(deps: { ledger: Ledger; db: Db }, accountId: string, path: string, opts: ImportOptions = {}): Promise<ImportReport> {
  const account = await getAccount(deps.db, accountId);
  if (!account) throw new Error(`no account ${accountId}`);
  const s = settingsOf(account);
  const out = { created: 0, kept: 0, chased: 0, checkIns: 0, duplicates: 0 };
  const errors: ScanError[] = [];
  const scan = await scanMailbox(
    path,
    {
      async sent(msg, body) {
        const found = detect({ text: body.text ?? undefined, html: body.html ?? undefined, sentAt: msg.sentAt, timeZone: s.timeZone, locale: s.locale, subject: msg.subject });
        const r = await deps.ledger.recordSent(
          accountId,
          msg,
          {
            commitments: found.commitments.map((c) => ({ sentence: c.sentence, trigger: c.trigger, kind: c.kind, dueDate: c.dueDate })),
            badNews: found.badNews ? { sentence: found.badNews.sentence } : null,
            autoReply: found.autoReply,
          },
          "import",
        );
        if (r.duplicate) out.duplicates++;
        out.created += r.created.length;
        out.kept += r.kept.length;
        if (r.checkInId) out.checkIns++;
      },
      async received(msg) {
        const r = await deps.ledger.recordReceived(accountId, msg);
        if (r.duplicate) out.duplicates++;
        out.chased += r.chased.length;
      },
    },
    {
      me: opts.me,
      onProgress: opts.onProgress,
      onError: (e) => {
        errors.push(e);
        opts.onError?.(e);
      },
    },
  );
  // Promises found overdue get their follow-up on the calendar now, not at the next cron.
  await deps.ledger.sweep();
  // Remember the user's own addresses, so later imports and syncs don't take them for counterparts.
  const addresses = [...new Set([...account.addresses, ...scan.me.addresses.map(normaliseAddress)])];
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
