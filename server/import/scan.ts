// `kept scan PATH`: reads a mailbox, works out threads and the user's addresses,
// then replays every message oldest first into a sink (the ledger), so promises
// answered later come out kept and those the other side chased come out chased.
//
// Memory: pass 1 parses headers only and keeps small metadata per message (ids,
// people, subject, date, where it lives). Pass 2 replays in date order and
// re-reads from disk, by offset, only the user's own sent messages, whose bodies
// go to the sink one at a time. No body outlives its sink call.
import type { Counterpart, ReceivedMessage, SentMessage } from "../../core/model";
import { MailParseError, parseMail } from "./parse";
import { MailRereader, planMailbox, readMailbox, type FolderHint, type RawMail } from "./reader";
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
        threads.add({
          messageId: m.messageId,
          inReplyTo: m.inReplyTo,
          references: m.references,
          subject: m.subject,
          date: m.date,
          from: m.from?.address ?? null,
          recipients: [...m.to, ...m.cc].map((c) => c.address),
        });
        metas.push({
          messageId: m.messageId,
          syntheticId: m.syntheticId,
          subject: m.subject,
          date: m.date,
          from: m.from,
          to: m.to,
          cc: m.cc,
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

  // Pass 2: replay oldest first; ties keep file order.
  const order = metas.map((_, i) => i).sort((a, b) => metas[a].date - metas[b].date || a - b);
  const rereader = new MailRereader();
  const threadsSeen = new Set<string>();
  const notMe = (cs: Counterpart[]) => dedupe(cs.filter((c) => !me.has(c.address)));
  try {
    let replayed = 0;
    for (const i of order) {
      const m = metas[i];
      const threadId = threadIds[i];
      replayed++;
      if (replayed % PROGRESS_EVERY === 0) {
        opts.onProgress?.({ phase: "replay", messages: replayed, bytes: totalBytes, totalBytes, errors: report.errors });
      }
      if (m.autoReply) {
        report.skipped.autoReply++;
        continue;
      }
      if (!m.from) {
        report.skipped.noSender++;
        continue;
      }
      if (me.has(m.from.address)) {
        const to = notMe(m.to);
        const cc = notMe(m.cc).filter((c) => !to.some((t) => t.address === c.address));
        if (to.length + cc.length === 0) {
          report.skipped.onlyToSelf++;
          continue;
        }
        const ref = { source: sources[m.source], index: m.index, offset: m.offset, rawLength: m.rawLength };
        let body: { text: string | null; html: string | null };
        try {
          const bytes = await rereader.read(ref);
          const full = await parseMail({ ...ref, bytes, folderHint: null as FolderHint } satisfies RawMail);
          body = { text: full.text, html: full.html };
        } catch (e) {
          fail(ref, e);
          continue;
        }
        await sink.sent(
          {
            threadId,
            messageId: m.messageId,
            internetMessageId: m.syntheticId ? null : m.messageId,
            subject: m.subject,
            to,
            cc,
            sentAt: m.date,
          },
          body,
        );
        report.sent++;
        threadsSeen.add(threadId);
      } else {
        if (m.listMail) {
          report.skipped.listMail++;
          continue;
        }
        await sink.received({ threadId, messageId: m.messageId, from: m.from, subject: m.subject, receivedAt: m.date });
        report.received++;
        threadsSeen.add(threadId);
      }
    }
    opts.onProgress?.({ phase: "replay", messages: replayed, bytes: totalBytes, totalBytes, errors: report.errors });
  } finally {
    await rereader.close();
  }
  report.threads = threadsSeen.size;
  report.elapsedMs = Math.round(performance.now() - started);
  return report;
}

function dedupe(cs: Counterpart[]): Counterpart[] {
  const seen = new Set<string>();
  return cs.filter((c) => !seen.has(c.address) && (seen.add(c.address), true));
}
