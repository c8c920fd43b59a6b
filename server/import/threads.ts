// Which messages belong to one conversation, and which addresses are the user's.
//
// Threading is a simplified JWZ: union-find over Message-ID, In-Reply-To and
// References (no container tree, no reparenting: the ledger needs "same thread",
// not the shape of the tree). A subject fallback joins only replies that carry no
// reference headers at all ("Re: …" from clients that drop them) to the latest
// earlier message with the same base subject that shares a person other than the
// user, within 60 days. A "Fwd:" or a bare subject never joins by subject, so
// two unrelated "Quick question" mails stay apart.
import { normaliseAddress } from "../../core/model";
import type { FolderHint } from "./reader";

export interface ThreadMessage {
  messageId: string;
  inReplyTo: string | null;
  references: string[];
  subject: string;
  date: number | null;
  from: string | null; // address
  recipients: string[]; // to + cc addresses
}

export interface ThreadOptions {
  /** The user's addresses; ignored when deciding whether two messages share a person. */
  me?: Iterable<string>;
  subjectWindowDays?: number;
}

type KeptMessage = ThreadMessage & { hadReferences: boolean };

/**
 * Builds threads while messages stream past, keeping per message only what the
 * subject fallback and the root choice need (not the whole References list).
 */
export class ThreadIndex {
  private readonly ids = new Map<string, number>();
  private readonly parent: number[] = [];
  private readonly own: number[] = [];
  private readonly kept: KeptMessage[] = [];

  /** Adds a message; returns its position (the order of `resolve()`'s result). */
  add(m: ThreadMessage): number {
    const n = this.node(m.messageId);
    if (m.inReplyTo) this.union(n, this.node(m.inReplyTo));
    for (const r of m.references) this.union(n, this.node(r));
    this.own.push(n);
    // Only the first reference names the root; the rest can go.
    const root = m.references[0];
    this.kept.push({ ...m, references: root ? [root] : [], hadReferences: m.references.length > 0 });
    return this.own.length - 1;
  }

  /**
   * One thread id per added message. The id is the Message-ID that the oldest
   * message of the thread names as its root (the first entry of its References,
   * else its In-Reply-To, else its own id), so it is the same on every run over
   * the same mail and stays put when newer replies arrive.
   */
  resolve(opts: ThreadOptions = {}): string[] {
    subjectFallback(this.kept, this.own, (a, b) => this.union(a, b), opts);
    const best = new Map<number, { date: number; proposal: string }>();
    this.kept.forEach((m, i) => {
      const root = this.find(this.own[i]);
      const proposal = m.references[0] ?? m.inReplyTo ?? m.messageId;
      const date = m.date ?? Number.MAX_SAFE_INTEGER;
      const cur = best.get(root);
      if (!cur || date < cur.date || (date === cur.date && proposal < cur.proposal)) best.set(root, { date, proposal });
    });
    return this.kept.map((_, i) => best.get(this.find(this.own[i]))!.proposal);
  }

  private node(id: string): number {
    let n = this.ids.get(id);
    if (n === undefined) {
      n = this.parent.length;
      this.parent.push(n);
      this.ids.set(id, n);
    }
    return n;
  }

  private find(x: number): number {
    const p = this.parent;
    while (p[x] !== x) {
      p[x] = p[p[x]];
      x = p[x];
    }
    return x;
  }

  private union(a: number, b: number): void {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra !== rb) this.parent[Math.max(ra, rb)] = Math.min(ra, rb);
  }
}

/** Thread ids for a list of messages, in input order (see ThreadIndex.resolve). */
export function assignThreads(msgs: readonly ThreadMessage[], opts: ThreadOptions = {}): string[] {
  const index = new ThreadIndex();
  for (const m of msgs) index.add(m);
  return index.resolve(opts);
}

const REPLY_PREFIX = /^\s*(re|aw|sv|antw|r|odp)\s*(\[\d+\])?\s*:/i;
const ANY_PREFIX = /^\s*((re|aw|sv|antw|r|odp|fwd?|wg|tr)\s*(\[\d+\])?\s*:\s*|\[[^\]]{1,40}\]\s*)+/i;

/** The subject without Re:/Fwd: prefixes and list tags, for matching. */
export function baseSubject(subject: string): string {
  return subject.replace(ANY_PREFIX, "").replace(/\s+/g, " ").trim().toLowerCase();
}

function subjectFallback(
  msgs: readonly KeptMessage[],
  own: number[],
  union: (a: number, b: number) => void,
  opts: ThreadOptions,
): void {
  const me = new Set([...(opts.me ?? [])].map(normaliseAddress));
  const windowMs = (opts.subjectWindowDays ?? 60) * 86_400_000;
  const people = (m: ThreadMessage) => [m.from, ...m.recipients].filter((a): a is string => !!a && !me.has(a));
  const bySubject = new Map<string, number[]>();
  msgs.forEach((m, i) => {
    const key = baseSubject(m.subject);
    if (!key || m.date === null) return;
    let list = bySubject.get(key);
    if (!list) bySubject.set(key, (list = []));
    list.push(i);
  });
  msgs.forEach((m, i) => {
    if (m.inReplyTo || m.hadReferences || m.date === null || !REPLY_PREFIX.test(m.subject)) return;
    const candidates = bySubject.get(baseSubject(m.subject));
    if (!candidates) return;
    const mine = new Set(people(m));
    let pick = -1;
    for (const j of candidates) {
      const d = msgs[j].date!;
      if (j === i || d > m.date || m.date - d > windowMs) continue;
      if (d === m.date && j > i) continue;
      if (!people(msgs[j]).some((p) => mine.has(p))) continue;
      if (pick < 0 || d > msgs[pick].date! || (d === msgs[pick].date! && j > pick)) pick = j;
    }
    if (pick >= 0) union(own[i], own[pick]);
  });
}

// ---------------------------------------------------------------------------

export interface AddressEvidence {
  from: string | null;
  recipients: string[]; // to + cc
  deliveredTo: string | null;
  folderHint: FolderHint;
  listMail: boolean;
  autoReply: boolean;
}

/** Counts kept while streaming, so inference needs no second look at the messages. */
export class AddressTally {
  readonly sentFrom = new Map<string, number>();
  sentTotal = 0;
  readonly participation = new Map<string, number>();
  readonly fromCount = new Map<string, number>();
  personalTotal = 0;

  add(m: AddressEvidence): void {
    if (m.folderHint === "sent" && m.from) {
      this.sentTotal++;
      bump(this.sentFrom, m.from);
    }
    // Newsletters and auto-replies say nothing about whose mailbox this is.
    if (m.listMail || m.autoReply) return;
    this.personalTotal++;
    if (m.from) bump(this.fromCount, m.from);
    const seen = new Set([m.from, ...m.recipients, m.deliveredTo].filter((a): a is string => !!a));
    for (const a of seen) bump(this.participation, a);
  }
}

function bump(map: Map<string, number>, key: string) {
  map.set(key, (map.get(key) ?? 0) + 1);
}

export interface OwnAddresses {
  addresses: string[];
  method: "given" | "sent-folder" | "participation" | "none";
  detail: string;
}

/**
 * The user's addresses, in order of trust: `--me` as given; else every From of
 * the Sent folder that accounts for at least 5% of it (aliases included, a stray
 * moved message not); else the one address that takes part (From, To, Cc or
 * Delivered-To) in at least half of the personal mail and sent some of it. The
 * plain "most frequent From" is not used: a chatty newsletter or colleague can
 * outnumber the owner, but only the owner is on nearly every message.
 */
export function inferOwnAddresses(tally: AddressTally, me?: readonly string[]): OwnAddresses {
  const given = (me ?? []).map(normaliseAddress).filter((a) => a.includes("@"));
  if (given.length > 0) return { addresses: [...new Set(given)], method: "given", detail: "from --me" };

  if (tally.sentTotal > 0) {
    const min = Math.max(1, Math.ceil(tally.sentTotal * 0.05));
    const addresses = [...tally.sentFrom].filter(([, n]) => n >= min).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([a]) => a);
    return { addresses, method: "sent-folder", detail: `From addresses of ${tally.sentTotal} message(s) in the Sent folder` };
  }

  let top: string | null = null;
  let topN = 0;
  let tied = false;
  for (const [a, n] of tally.participation) {
    if ((tally.fromCount.get(a) ?? 0) === 0) continue;
    if (n > topN) [top, topN, tied] = [a, n, false];
    else if (n === topN) tied = true;
  }
  if (top && !tied && topN * 2 >= tally.personalTotal) {
    return {
      addresses: [top],
      method: "participation",
      detail: `${top} is on ${topN} of ${tally.personalTotal} personal messages; pass --me to add other addresses`,
    };
  }
  return { addresses: [], method: "none", detail: "no Sent folder and no address is on most messages; pass --me you@example.com" };
}
