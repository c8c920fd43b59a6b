// `kept scan PATH`: import a mailbox (mbox, Maildir or .eml files) into the
// embedded ledger, then show who is waiting on you. `kept start` runs the server.
import { randomUUID } from "node:crypto";
import { existsSync, writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { and, eq, inArray } from "drizzle-orm";
import { accountFor } from "./accounts";
import { LOCAL_IDENTITY } from "./auth";
import { ConfigError, loadConfig } from "./config";
import { schema, type Db } from "./db";
import { openDatabase } from "./db-node";
import { feedEvents } from "./feed";
import { renderFeed } from "./ics";
import { importMailbox } from "./importer";
import { NoMailError, OwnerUnknownError, withEagerCollection } from "./import/scan";
import { Ledger } from "./ledger";
import { createProgressBar } from "./import/progress";
import { renderSummary, type SummaryRow } from "./import/summary";
import { feedCalendar } from "./providers/feed";
import { writeSample } from "./sample";
import { settingsOf, toCommitment } from "./store";

const USAGE = `usage:
  kept scan PATH [--me you@example.com,alias@example.com] [--json] [--ics FILE]
      Import an mbox file, a Maildir or a folder of .eml files into Kept's
      database (DATABASE_URL, default ./data/kept.db) and list who is waiting on you.
  kept scan --sample [--json] [--ics FILE]
      The same with the sample mailbox, a recruiter's last few weeks, dated to
      end last week.
  kept start
      Start the Kept server and dashboard (same as npm start).
  kept detect --jsonl
      Read messages as JSON lines on stdin; write the promises found, one line each.`;

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (command === "scan") return await scan(rest);
    if (command === "start") {
      const { startServer } = await import("./node");
      const { url } = await startServer();
      console.log(`Kept is running at ${url}/`);
      return await new Promise<number>(() => {});
    }
    process.stderr.write(`${command ? `unknown command: ${command}\n` : ""}${USAGE}\n`);
    return 2;
  } catch (e) {
    if (e instanceof ConfigError || e instanceof UsageError) {
      process.stderr.write(`${e.message}\n`);
      return 2;
    }
    if (e instanceof OwnerUnknownError) {
      process.stderr.write(`${e.message}\n`);
      return 1;
    }
    if (e instanceof NoMailError) {
      process.stderr.write(`Nothing imported from ${e.path}: ${e.message}. Give Kept an mbox file, a Maildir or a folder of .eml files.\n`);
      return 1;
    }
    throw e;
  }
}

class UsageError extends Error {}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

async function scan(args: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      options: { me: { type: "string" }, json: { type: "boolean", default: false }, ics: { type: "string" }, sample: { type: "boolean", default: false }, help: { type: "boolean", short: "h" } },
    });
  } catch (e) {
    throw new UsageError(`${(e as Error).message}\n${USAGE}`);
  }
  if (parsed.values.help) {
    console.log(USAGE);
    return 0;
  }
  if (parsed.values.sample && parsed.positionals.length) throw new UsageError(`kept scan takes a mailbox or --sample, not both.\n${USAGE}`);
  const given = parsed.positionals[0];
  if (!given && !parsed.values.sample) throw new UsageError(`kept scan needs a mailbox to read (or --sample to try Kept on the sample mailbox).\n${USAGE}`);
  if (given && !existsSync(given)) throw new UsageError(`No file or folder at ${given}. Give an mbox file, a Maildir or a folder of .eml files.`);
  const me = parsed.values.me?.split(",").map((s) => s.trim()).filter(Boolean);
  if (me?.some((a) => !/^[^@\s]+@[^@\s]+$/.test(a))) throw new UsageError(`--me takes email addresses separated by commas, for example --me you@example.com`);

  const config = loadConfig(process.env);
  const { db, close } = await openDatabase(config.DATABASE_URL, { authToken: config.DATABASE_AUTH_TOKEN });
  const sample = given ? null : await writeSample(Date.now());
  const path = given ?? sample!.path;
  // The whole command is one import, the list of who is waiting at its end included.
  return withEagerCollection(() => importAndList(db, config, path, me, { ...parsed.values, label: sample ? "the sample mailbox" : undefined }))
    .finally(close)
    .finally(() => sample?.remove());
}

async function importAndList(
  db: Db,
  config: ReturnType<typeof loadConfig>,
  path: string,
  me: string[] | undefined,
  flags: { json?: boolean; ics?: string; label?: string },
): Promise<number> {
  const timeZone = config.KEPT_TIME_ZONE ?? Intl.DateTimeFormat().resolvedOptions().timeZone ?? "UTC";
  const account = await accountFor(db, LOCAL_IDENTITY, randomUUID, { timeZone, locale: config.KEPT_LOCALE ?? "en-GB" });
  const ledger = new Ledger({ db, clock: Date.now, newId: randomUUID, calendar: feedCalendar(), mail: null, publicUrl: config.PUBLIC_URL ?? `http://127.0.0.1:${config.PORT}` });
  const bar = createProgressBar({ isTTY: process.stderr.isTTY, columns: process.stderr.columns, write: (s) => process.stderr.write(s) }, () => performance.now());
  const report = await importMailbox({ ledger, db }, account.id, path, {
    me,
    remember: !flags.label, // not the sample's owner
    onProgress: (p) => bar.update(p),
    onError: (e) => {
      bar.done();
      process.stderr.write(`skipped a message that could not be read: ${flags.label ?? e.source}${e.offset !== null ? ` at byte ${e.offset}` : ""} (message ${e.index + 1}): ${e.message}\n`);
    },
  });
  bar.done();

  const c = schema.commitments;
  const waiting = and(eq(c.accountId, account.id), inArray(c.status, ["open", "snoozed"]));
  if (flags.ics) {
    const events = await feedEvents(db, account.id, Date.now());
    writeFileSync(flags.ics, renderFeed({ calendarName: "Kept follow-ups", events }));
  }
  if (flags.json) {
    const open = (await db.select().from(c).where(waiting)).map(toCommitment);
    open.sort((a, b) => a.sentAt - b.sentAt);
    const { scan, ...rest } = report;
    console.log(JSON.stringify({ ...rest, skipped: scan.skipped, undated: scan.undated, waiting: open }, null, 2));
    return 0;
  }
  // Only what the list shows: a large mailbox leaves tens of thousands of promises open.
  const rows: SummaryRow[] = await db
    .select({ name: c.counterpartName, address: c.counterpartAddress, subject: c.subject, sentence: c.sentence, sentAt: c.sentAt, dueDate: c.dueDate, status: c.status, chased: c.chaseCount })
    .from(c)
    .where(waiting);
  rows.sort((a, b) => a.sentAt - b.sentAt);
  const s = settingsOf(account);
  console.log(
    `Read ${plural(report.messages, "message")} (${report.sent} you sent, ${report.received} to you) as ${report.me.join(", ") || "unknown"}.` +
      ` Found ${plural(report.created, "new promise")}; ${report.kept} kept, ${report.chased} chased${report.errors.length ? `, ${plural(report.errors.length, "unreadable message")} skipped` : ""}${report.duplicates ? `, ${report.duplicates} already imported` : ""}.`,
  );
  console.log();
  console.log(rows.length ? renderSummary(rows, { now: Date.now(), timeZone: s.timeZone, width: process.stdout.columns ?? 100 }) : "Nobody is waiting on you. Nicely done.");
  if (flags.ics) console.log(`\nWrote your follow-ups to ${flags.ics}.`);
  console.log(`\nSee them in the dashboard: npm start, then open ${config.PUBLIC_URL ?? `http://127.0.0.1:${config.PORT}`}/`);
  return 0;
}
