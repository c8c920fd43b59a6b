// `kept scan PATH`: reads a mailbox, works out threads and the user's addresses,
// then replays every message oldest first into a sink (the ledger), so promises
// answered later come out kept and those the other side chased come out chased.
//
// Memory: pass 1 parses headers only and keeps a few numbers per message besides
// its id (a MessageTable: people, subject, date, where it lives). Pass 2 replays
// in date order; the parsing worker re-reads from disk, by offset, only the user's
// own sent messages, whose bodies go to the sink one at a time. No body outlives
// its sink call.
import { normaliseAddress, type Counterpart, type ReceivedMessage, type SentMessage } from "../../core/model";
import { availableParallelism } from "node:os";
import { setFlagsFromString } from "node:v8";
import type { DetectionSummary } from "../ledger";
import { DetectorError, detectorModule, inlineBodyParser, workerBodyParser, type Body, type BodyParser, type Detected } from "./bodies";
import { MailParseError, parseMail } from "./parse";
import { MessageTable } from "./messages";
import { planMailbox, readMailbox, type MailboxPlan } from "./reader";
import { AddressTally, inferOwnAddresses, ThreadIndex, type OwnAddresses } from "./threads";

/** A sent message's body; with ScanOptions.detect, only what the detector found in it (`found`), its text null. */
export type SentBody = Body & { found?: DetectionSummary };

export interface ScanSink {
  /** Called in replay order: all messages of the import, oldest first. */
  sent(msg: SentMessage, body: SentBody): Promise<void>;
  received(msg: ReceivedMessage): Promise<void>;
}

export interface ScanProgress {
  phase: "read" | "replay";
  messages: number; // read so far (replay: replayed so far)
  bytes: number; // read so far; totalBytes during replay
  totalBytes: number;
  errors: number;
}

export interface ScanError {
  source: string;
  index: number;
  offset: number | null;
  message: string;
}

export interface ScanOptions {
  /** The user's addresses; inferred when absent (see inferOwnAddresses). */
  me?: string[];
  /** Addresses already known to be the user's: added to those inferred, used alone when none can be. */
  known?: string[];
  onProgress?: (p: ScanProgress) => void;
  onError?: (e: ScanError) => void;
  /** Messages larger than this are reported and skipped. Default 64 MiB. */
  maxMessageBytes?: number;
  /**
   * Stop after reading, before anything reaches the sink, when the user's addresses
   * can't be told (OwnerUnknownError): replaying then would record every message as
   * someone else's, and a later import with the addresses would find them done.
   */
  requireOwner?: boolean;
  /** Stop after reading when not one message could be read as mail (NoMailError): the wrong file, most likely. */
  requireMail?: boolean;
  /**
   * With `detect`, a worker and the user's addresses known before reading (`me`, or
   * `known`), start on their sent messages while pass 1 reads (default true; false to
   * compare).
   */
  early?: boolean;
  /**
   * Worker threads for parsing sent bodies; 0 parses on the main thread. Default:
   * CPUs − 1 (at most 3) where there are at least 500 sent messages, else 0.
   */
  threads?: number;
  /**
   * Run the detector on each sent body where it is parsed (in the worker, beside the
   * parse, so it overlaps what the sink does on this thread) with the user's zone and
   * locale; the sink then gets what it found instead of the body's text.
   */
  detect?: { timeZone: string; locale: string };
}

export interface ScanReport {
  me: OwnAddresses;
  totalBytes: number;
  messages: number; // messages found in the mailbox, corrupt ones included
  errors: number; // reported through onError and skipped
  duplicates: number; // a Message-ID seen before (e.g. the same mail in Inbox and Sent)
  undated: number; // no usable Date or Received header; can't be placed in time
  threads: number; // threads that reached the sink
  sent: number;
  received: number;
  skipped: { autoReply: number; listMail: number; onlyToSelf: number; noSender: number };
  /** Sent messages the worker was given while pass 1 was still reading (see ScanOptions.early). */
  detectedEarly: number;
  elapsedMs: number;
}

const PROGRESS_EVERY = 250;
/** Below this a mailbox is read too quickly for starting the worker during pass 1 to pay. */
const EARLY_START_BYTES = 4 * 1024 * 1024;
/**
 * At most this many sent messages are asked for during pass 1: about what the worker
 * gets through while pass 1 reads 100,000 messages on two cores. What it finds waits
 * for the replay, so more would only hold more in memory.
 */
const EARLY_MAX = 10_000;

/** Nothing imported: which messages are the user's couldn't be told (see ScanOptions.requireOwner). */
export class OwnerUnknownError extends Error {
  constructor(
    readonly me: OwnAddresses,
    readonly messages: number,
  ) {
    super(`Kept couldn't tell which messages are yours (${me.detail}), so it imported nothing.`);
    this.name = "OwnerUnknownError";
  }
}

/** Nothing imported: not one message in what was given could be read as mail (see ScanOptions.requireMail). */
export class NoMailError extends Error {
  constructor(
    readonly path: string,
    readonly bytes: number,
    readonly messages: number,
    readonly unreadable: number,
    readonly undated: number,
  ) {
    const why = [unreadable ? `${unreadable} unreadable` : "", undated ? `${undated} without a date` : ""].filter(Boolean).join(", ");
    super(
      bytes === 0
        ? "it is empty"
        : messages === 0
          ? "no mail was found in it"
          : messages === 1
            ? `it could not be read as mail${undated ? " (a message without a date)" : ""}`
            : `none of its ${messages} messages could be read as mail (${why})`,
    );
    this.name = "NoMailError";
  }
}

export async function scanMailbox(path: string, sink: ScanSink, opts: ScanOptions = {}): Promise<ScanReport> {
  return withEagerCollection(() => scan(path, sink, opts));
}

/**
 * Runs `work` (an import) with V8 collecting garbage sooner. An import keeps little
 * (a few dozen bytes a message) and makes a lot of short-lived garbage, so V8,
 * seeing collection cheap, lets the heap grow to four times what is live before
 * collecting: most of an import's peak memory was uncollected garbage. Meanwhile
 * the heap may grow half again over what is live. Not a cap: the limit follows
 * the live set, so a larger mailbox still gets the memory it needs.
 */
export async function withEagerCollection<T>(work: () => Promise<T>): Promise<T> {
  if (importsRunning++ === 0) setFlagsFromString("--heap-growing-percent=50");
  try {
    return await work();
  } finally {
    if (--importsRunning === 0) setFlagsFromString("--heap-growing-percent=0"); // V8's own heuristic again
  }
}
let importsRunning = 0;

async function scan(path: string, sink: ScanSink, opts: ScanOptions): Promise<ScanReport> {
  const started = performance.now();
  const plan = await planMailbox(path);
  const { totalBytes } = plan;
  const report: ScanReport = {
    me: { addresses: [], method: "none", detail: "" },
    totalBytes,
    messages: 0,
    errors: 0,
    duplicates: 0,
    undated: 0,
    threads: 0,
    sent: 0,
    received: 0,
    skipped: { autoReply: 0, listMail: 0, onlyToSelf: 0, noSender: 0 },
    detectedEarly: 0,
    elapsedMs: 0,
  };
  const fail = (raw: { source: string; index: number; offset: number | null }, e: unknown) => {
    report.errors++;
    const message = e instanceof MailParseError ? e.message : `unexpected error: ${(e as Error)?.message ?? String(e)}`;
    opts.onError?.({ source: raw.source, index: raw.index, offset: raw.offset, message });
  };

  // With the detector, and the user's addresses known before reading (given, or saved
  // from an earlier import), the worker starts on the messages they sent while pass 1
  // is still reading headers, instead of leaving the second core idle until the replay.
  const cpus = availableParallelism();
  const likelyMine = new Set([...(opts.me ?? []), ...(opts.known ?? [])].map(normaliseAddress));
  const startEarly = opts.early !== false && !!opts.detect && likelyMine.size > 0 && opts.threads !== 0 && cpus >= 2 && plan.totalBytes >= EARLY_START_BYTES;
  const threadsEarly = startEarly ? (opts.threads ?? Math.min(3, cpus - 1)) : 0;
  let parser: BodyParser | null = startEarly ? workerBodyParser(threadsEarly, await detectorModule()) : null;
  const early = new Map<number, Promise<Detected>>();
  const detectEarly = startEarly
    ? (table: MessageTable, i: number) => {
        const from = table.fromOf(i);
        if (early.size >= EARLY_MAX || !from || !likelyMine.has(from.address) || table.autoReply(i)) return;
        const found = parser!.detectAt(table.placeOf(i), { sentAt: table.dateOf(i), subject: table.subjectAt(i), ...opts.detect! });
        found.catch(() => undefined); // handled when its turn comes
        early.set(i, found);
        report.detectedEarly++;
      }
    : undefined;

  try {
    return await readAndReplay();
  } finally {
    // Ends the worker, and with it anything pass 1 asked for that is no longer wanted
    // (after OwnerUnknownError, say): nothing waits on those.
    await parser?.close();
  }

  async function readAndReplay(): Promise<ScanReport> {
    // Pass 1: headers of everything. What only this pass needs is gone when it returns.
    const { table, threadIds } = await readHeaders(plan, opts, report, fail, detectEarly);
    if (opts.requireMail && table.length === 0) throw new NoMailError(path, plan.totalBytes, report.messages, report.errors, report.undated);
    if (opts.requireOwner && report.me.method === "none" && table.length > 0) throw new OwnerUnknownError(report.me, report.messages);
    const me = new Set(report.me.addresses);

    // Pass 2: replay oldest first; ties keep file order. Decide first what each
    // message is, so sent bodies can be read and parsed a little ahead of the sink.
    const order = Array.from({ length: table.length }, (_, i) => i).sort((a, b) => table.dateOf(a) - table.dateOf(b) || a - b);
    const notMe = (cs: Counterpart[]) => dedupe(cs.filter((c) => !me.has(c.address)));
    const recipientsOf = (i: number) => {
      const to = notMe(table.toOf(i));
      const cc = notMe(table.ccOf(i)).filter((c) => !to.some((t) => t.address === c.address));
      return { to, cc };
    };
    // Steps in replay order: a message index each, sent ones marked.
    const steps = new Int32Array(order.length);
    const isSent = new Uint8Array(order.length);
    let stepCount = 0;
    let sentSteps = 0;
    for (const i of order) {
      const from = table.fromOf(i);
      if (table.autoReply(i)) report.skipped.autoReply++;
      else if (!from) report.skipped.noSender++;
      else if (me.has(from.address)) {
        const { to, cc } = recipientsOf(i);
        if (to.length + cc.length === 0) report.skipped.onlyToSelf++;
        else {
          isSent[stepCount] = 1;
          steps[stepCount++] = i;
          sentSteps++;
        }
      } else if (table.listMail(i)) report.skipped.listMail++;
      else steps[stepCount++] = i;
    }
    order.length = 0;

    // Even on two cores one worker pays: it reads and parses bodies (and, with `detect`,
    // runs the detector) while this thread feeds the sink.
    const threadsWanted = parser ? threadsEarly : (opts.threads ?? (sentSteps >= 500 && cpus >= 2 ? Math.min(3, cpus - 1) : 0));
    parser ??= threadsWanted > 0 ? workerBodyParser(threadsWanted, opts.detect ? await detectorModule() : undefined) : inlineBodyParser();
    const bodies = parser;
    if (early.size) {
      // What pass 1 asked for that the replay won't use (not the user's after all, or skipped).
      const used = new Set<number>();
      for (let k = 0; k < stepCount; k++) if (isSent[k]) used.add(steps[k]);
      for (const i of early.keys()) if (!used.has(i)) early.delete(i);
    }
    // Sent bodies in flight: enough to keep workers busy while the sink writes a batch to
    // the ledger (a body is a few KB). What the detector found is a few hundred bytes, so
    // with detection in the workers they can run a whole ledger batch ahead (2,000
    // messages, 800 of them sent, in the generated mailbox; 4,096 ahead cost 25 MB more
    // for no more speed). Inline, only the next read overlaps (parsing further ahead on one
    // thread only makes bodies outlive young-generation GC).
    const lookahead = threadsWanted > 0 ? (opts.detect ? 1024 : 64 * threadsWanted) : 2;
    const ahead = new Map<number, Promise<SentBody>>();
    let nextFetch = 0;
    const detect = opts.detect;
    const fetchThrough = (k: number) => {
      for (; nextFetch < stepCount && (nextFetch <= k || ahead.size < lookahead); nextFetch++) {
        if (!isSent[nextFetch]) continue;
        const i = steps[nextFetch];
        const asked = early.get(i); // by pass 1
        early.delete(i);
        const body: Promise<SentBody> = detect
          ? (asked ?? bodies.detectAt(table.placeOf(i), { sentAt: table.dateOf(i), subject: table.subjectAt(i), ...detect })).then(({ found }) => ({ text: null, html: null, found }))
          : bodies.parseAt(table.placeOf(i));
        body.catch(() => undefined); // handled when its turn comes
        ahead.set(nextFetch, body);
      }
    };

    const threadsSeen = new Set<string>();
    try {
      let replayed = 0;
      for (let k = 0; k < stepCount; k++) {
        const i = steps[k];
        const threadId = threadIds[i];
        replayed++;
        if (replayed % PROGRESS_EVERY === 0) {
          opts.onProgress?.({ phase: "replay", messages: replayed, bytes: totalBytes, totalBytes, errors: report.errors });
        }
        if (isSent[k]) {
          fetchThrough(k);
          let body: SentBody;
          try {
            body = await ahead.get(k)!;
          } catch (e) {
            if (e instanceof DetectorError) throw e;
            fail(table.placeOf(i), e);
            continue;
          } finally {
            ahead.delete(k);
          }
          const { to, cc } = recipientsOf(i);
          await sink.sent(
            {
              threadId,
              messageId: table.messageId[i],
              internetMessageId: table.syntheticId(i) ? null : table.messageId[i],
              subject: table.subjectAt(i),
              to,
              cc,
              sentAt: table.dateOf(i),
            },
            body,
          );
          report.sent++;
        } else {
          await sink.received({ threadId, messageId: table.messageId[i], from: table.fromOf(i)!, subject: table.subjectAt(i), receivedAt: table.dateOf(i) });
          report.received++;
        }
        threadsSeen.add(threadId);
      }
      opts.onProgress?.({ phase: "replay", messages: replayed, bytes: totalBytes, totalBytes, errors: report.errors });
    } finally {
      await Promise.allSettled(ahead.values());
    }
    report.threads = threadsSeen.size;
    report.elapsedMs = Math.round(performance.now() - started);
    return report;
  }
}

/**
 * Pass 1: the headers of every message, into a compact table, with each one's
 * thread and the user's addresses (into report.me).
 */
async function readHeaders(
  plan: MailboxPlan,
  opts: ScanOptions,
  report: ScanReport,
  fail: (raw: { source: string; index: number; offset: number | null }, e: unknown) => void,
  added?: (table: MessageTable, i: number) => void,
): Promise<{ table: MessageTable; threadIds: string[] }> {
  const { totalBytes } = plan;
  const table = new MessageTable();
  const seen = new Set<string>();
  const threads = new ThreadIndex();
  const tally = new AddressTally();
  let bytes = 0;
  for await (const raw of readMailbox(plan, { maxMessageBytes: opts.maxMessageBytes })) {
    report.messages++;
    bytes += raw.rawLength;
    try {
      const m = await parseMail(raw, { headersOnly: true });
      tally.add({
        from: m.from?.address ?? null,
        recipients: [...m.to, ...m.cc].map((c) => c.address),
        deliveredTo: m.deliveredTo,
        folderHint: raw.folderHint,
        listMail: m.listMail,
        autoReply: m.autoReply,
      });
      if (seen.has(m.messageId)) report.duplicates++;
      else if (m.date === null) {
        seen.add(m.messageId);
        report.undated++;
      } else {
        seen.add(m.messageId);
        const recipients = m.to.map((c) => table.person(c).address);
        for (const c of m.cc) recipients.push(table.person(c).address);
        threads.add({
          messageId: m.messageId,
          inReplyTo: m.inReplyTo,
          references: m.references,
          subject: table.subjectOf(m.subject),
          date: m.date,
          from: m.from ? table.person(m.from).address : null,
          recipients,
        });
        const i = table.add({ ...m, date: m.date }, raw);
        added?.(table, i);
      }
    } catch (e) {
      fail(raw, e);
    }
    if (report.messages % PROGRESS_EVERY === 0) {
      opts.onProgress?.({ phase: "read", messages: report.messages, bytes, totalBytes, errors: report.errors });
    }
  }
  opts.onProgress?.({ phase: "read", messages: report.messages, bytes: totalBytes, totalBytes, errors: report.errors });

  report.me = inferOwnAddresses(tally, opts.me, opts.known);
  return { table, threadIds: threads.resolve({ me: new Set(report.me.addresses) }) };
}

function dedupe(cs: Counterpart[]): Counterpart[] {
  const seen = new Set<string>();
  return cs.filter((c) => !seen.has(c.address) && (seen.add(c.address), true));
}
