// `kept scan PATH`: reads a mailbox, works out threads and the user's addresses,
// then replays every message oldest first into a sink (the ledger), so promises
// answered later come out kept and those the other side chased come out chased.
//
// Memory: pass 1 parses headers only and keeps small metadata per message (ids,
// people, subject, date, where it lives). Pass 2 replays in date order and
// re-reads from disk, by offset, only the user's own sent messages, whose bodies
// go to the sink one at a time. No body outlives its sink call.
import type { Counterpart, ReceivedMessage, SentMessage } from "../../core/model";
import { availableParallelism } from "node:os";
import { inlineBodyParser, workerBodyParser, type Body } from "./bodies";
import { MailParseError, parseMail } from "./parse";
import { planMailbox, readMailbox } from "./reader";
import { AddressTally, inferOwnAddresses, ThreadIndex, type OwnAddresses } from "./threads";

export interface ScanSink {
  /** Called in replay order: all messages of the import, oldest first. */
  sent(msg: SentMessage, body: { text: string | null; html: string | null }): Promise<void>;
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
  onProgress?: (p: ScanProgress) => void;
  onError?: (e: ScanError) => void;
  /** Messages larger than this are reported and skipped. Default 64 MiB. */
  maxMessageBytes?: number;
  /**
   * Worker threads for parsing sent bodies; 0 parses on the main thread. Default:
   * CPUs − 1 (at most 3) where there are at least 500 sent messages, else 0.
   */
  threads?: number;
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
  elapsedMs: number;
}

interface Meta {
  messageId: string;
  syntheticId: boolean;
  subject: string;
  date: number;
  from: Counterpart | null;
  to: Counterpart[];
  cc: Counterpart[];
  autoReply: boolean;
  listMail: boolean;
  source: number; // index into sources
  index: number;
  offset: number | null;
  rawLength: number;
}

const PROGRESS_EVERY = 250;
const NO_ONE: Counterpart[] = [];

export async function scanMailbox(path: string, sink: ScanSink, opts: ScanOptions = {}): Promise<ScanReport> {
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
    elapsedMs: 0,
  };
  const fail = (raw: { source: string; index: number; offset: number | null }, e: unknown) => {
    report.errors++;
    const message = e instanceof MailParseError ? e.message : `unexpected error: ${(e as Error)?.message ?? String(e)}`;
    opts.onError?.({ source: raw.source, index: raw.index, offset: raw.offset, message });
  };

  // Pass 1: headers of everything.
  const sources: string[] = [];
  const sourceIndex = new Map<string, number>();
  const metas: Meta[] = [];
  const seen = new Set<string>();
  const threads = new ThreadIndex();
  const tally = new AddressTally();
  // The same people and subjects recur across thousands of messages: keep one copy.
  const people = new Map<string, Counterpart>();
  const person = (c: Counterpart): Counterpart => {
    const key = `${c.address}\u0000${c.name ?? ""}`;
    let p = people.get(key);
    if (!p) people.set(key, (p = c));
    return p;
  };
  const subjects = new Map<string, string>();
  const subjectOf = (s: string): string => {
    let v = subjects.get(s);
    if (v === undefined) subjects.set(s, (v = s));
    return v;
  };
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
        let s = sourceIndex.get(raw.source);
        if (s === undefined) {
          s = sources.push(raw.source) - 1;
          sourceIndex.set(raw.source, s);
        }
        const recipients = m.to.map((c) => person(c).address);
        for (const c of m.cc) recipients.push(person(c).address);
        threads.add({
          messageId: m.messageId,
          inReplyTo: m.inReplyTo,
          references: m.references,
          subject: subjectOf(m.subject),
          date: m.date,
          from: m.from ? person(m.from).address : null,
          recipients,
        });
        metas.push({
          messageId: m.messageId,
          syntheticId: m.syntheticId,
          subject: subjectOf(m.subject),
          date: m.date,
          from: m.from && person(m.from),
          to: m.to.map(person),
          cc: m.cc.length ? m.cc.map(person) : NO_ONE,
          autoReply: m.autoReply,
          listMail: m.listMail,
          source: s,
          index: raw.index,
          offset: raw.offset,
          rawLength: raw.rawLength,
        });
      }
    } catch (e) {
      fail(raw, e);
    }
    if (report.messages % PROGRESS_EVERY === 0) {
      opts.onProgress?.({ phase: "read", messages: report.messages, bytes, totalBytes, errors: report.errors });
    }
  }
  opts.onProgress?.({ phase: "read", messages: report.messages, bytes: totalBytes, totalBytes, errors: report.errors });

  report.me = inferOwnAddresses(tally, opts.me);
  const me = new Set(report.me.addresses);
  const threadIds = threads.resolve({ me });

  // Pass 2: replay oldest first; ties keep file order. Decide first what each
  // message is, so sent bodies can be read and parsed a little ahead of the sink.
  const order = metas.map((_, i) => i).sort((a, b) => metas[a].date - metas[b].date || a - b);
  const notMe = (cs: Counterpart[]) => dedupe(cs.filter((c) => !me.has(c.address)));
  type Step = { i: number; kind: "sent"; to: Counterpart[]; cc: Counterpart[] } | { i: number; kind: "received" };
  const steps: Step[] = [];
  for (const i of order) {
    const m = metas[i];
    if (m.autoReply) report.skipped.autoReply++;
    else if (!m.from) report.skipped.noSender++;
    else if (me.has(m.from.address)) {
      const to = notMe(m.to);
      const cc = notMe(m.cc).filter((c) => !to.some((t) => t.address === c.address));
      if (to.length + cc.length === 0) report.skipped.onlyToSelf++;
      else steps.push({ i, kind: "sent", to, cc });
    } else if (m.listMail) report.skipped.listMail++;
    else steps.push({ i, kind: "received" });
  }

  const sentSteps = steps.filter((s) => s.kind === "sent").length;
  // Even on two cores one worker pays: it reads and parses bodies while this thread
  // detects and writes.
  const cpus = availableParallelism();
  const threadsWanted = opts.threads ?? (sentSteps >= 500 && cpus >= 2 ? Math.min(3, cpus - 1) : 0);
  const parser = threadsWanted > 0 ? workerBodyParser(threadsWanted) : inlineBodyParser();
  // Sent bodies in flight: enough to keep workers busy while the sink writes a batch to
  // the ledger (a body is a few KB). Inline, only the next read overlaps (parsing further
  // ahead on one thread only makes bodies outlive young-generation GC).
  const lookahead = threadsWanted > 0 ? 64 * threadsWanted : 2;
  const refOf = (m: Meta) => ({ source: sources[m.source], index: m.index, offset: m.offset, rawLength: m.rawLength });
  const ahead = new Map<number, Promise<Body>>();
  let nextFetch = 0;
  const fetchThrough = (k: number) => {
    for (; nextFetch < steps.length && (nextFetch <= k || ahead.size < lookahead); nextFetch++) {
      const step = steps[nextFetch];
      if (step.kind !== "sent") continue;
      const body = parser.parseAt(refOf(metas[step.i]));
      body.catch(() => undefined); // handled when its turn comes
      ahead.set(nextFetch, body);
    }
  };

  const threadsSeen = new Set<string>();
  try {
    let replayed = 0;
    for (let k = 0; k < steps.length; k++) {
      const step = steps[k];
      const m = metas[step.i];
      const threadId = threadIds[step.i];
      replayed++;
      if (replayed % PROGRESS_EVERY === 0) {
        opts.onProgress?.({ phase: "replay", messages: replayed, bytes: totalBytes, totalBytes, errors: report.errors });
      }
      if (step.kind === "sent") {
        fetchThrough(k);
        let body: Body;
        try {
          body = await ahead.get(k)!;
        } catch (e) {
          fail(refOf(m), e);
          continue;
        } finally {
          ahead.delete(k);
        }
        await sink.sent(
          {
            threadId,
            messageId: m.messageId,
            internetMessageId: m.syntheticId ? null : m.messageId,
            subject: m.subject,
            to: step.to,
            cc: step.cc,
            sentAt: m.date,
          },
          body,
        );
        report.sent++;
      } else {
        await sink.received({ threadId, messageId: m.messageId, from: m.from!, subject: m.subject, receivedAt: m.date });
        report.received++;
      }
      threadsSeen.add(threadId);
    }
    opts.onProgress?.({ phase: "replay", messages: replayed, bytes: totalBytes, totalBytes, errors: report.errors });
  } finally {
    await Promise.allSettled(ahead.values());
    await parser.close();
  }
  report.threads = threadsSeen.size;
  report.elapsedMs = Math.round(performance.now() - started);
  return report;
}

function dedupe(cs: Counterpart[]): Counterpart[] {
  const seen = new Set<string>();
  return cs.filter((c) => !seen.has(c.address) && (seen.add(c.address), true));
}
