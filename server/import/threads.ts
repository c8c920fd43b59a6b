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

/**
 * Builds threads while messages stream past, keeping per message only what the
 * subject fallback and the root choice need, in flat arrays: a 100,000-message
 * mailbox costs a few bytes a message here beyond its id, not an object each.
 */
export class ThreadIndex {
  private readonly ids = new Map<string, number>();
  private parent = new Int32Array(1024);
  private nodes = 0;
  private count = 0;
  private own = new Int32Array(1024);
  /** The id the message proposes for its thread: its first reference, else its In-Reply-To, else its own. */
  private readonly proposal: string[] = [];
  private readonly subject: string[] = [];
  private date = new Float64Array(1024); // NaN: no date
  private hasRefs = new Uint8Array(1024);
  /** Everyone on the message (from, then recipients), as indexes into `addresses`, message i at peopleAt[i]..peopleAt[i+1]. */
  private people = new Int32Array(4096);
  private peopleLen = 0;
  private peopleAt = new Int32Array(1025);
  private readonly addressIndex = new Map<string, number>();
  private readonly addresses: string[] = [];

  /** Adds a message; returns its position (the order of `resolve()`'s result). */
  add(m: ThreadMessage): number {
    const n = this.node(m.messageId);
    if (m.inReplyTo) this.union(n, this.node(m.inReplyTo));
    for (const r of m.references) this.union(n, this.node(r));
    const i = this.count++;
    if (i === this.own.length) this.growMessages();
    this.own[i] = n;
    this.proposal.push(m.references[0] ?? m.inReplyTo ?? m.messageId);
    this.subject.push(m.subject);
    this.date[i] = m.date ?? NaN;
    this.hasRefs[i] = m.inReplyTo || m.references.length > 0 ? 1 : 0;
    const everyone = m.from ? [m.from, ...m.recipients] : m.recipients;
    if (this.peopleLen + everyone.length > this.people.length) this.people = grow(this.people, this.peopleLen + everyone.length);
    for (const a of everyone) {
      let k = this.addressIndex.get(a);
      if (k === undefined) {
        k = this.addresses.push(a) - 1;
        this.addressIndex.set(a, k);
      }
      this.people[this.peopleLen++] = k;
    }
    this.peopleAt[i + 1] = this.peopleLen;
    return i;
  }

  /**
   * One thread id per added message. The id is the Message-ID that the oldest
   * message of the thread names as its root (the first entry of its References,
   * else its In-Reply-To, else its own id), so it is the same on every run over
   * the same mail and stays put when newer replies arrive.
   */
  resolve(opts: ThreadOptions = {}): string[] {
    this.subjectFallback(opts);
    const best = new Map<number, { date: number; proposal: string }>();
    for (let i = 0; i < this.count; i++) {
      const root = this.find(this.own[i]);
      const proposal = this.proposal[i];
      const date = Number.isNaN(this.date[i]) ? Number.MAX_SAFE_INTEGER : this.date[i];
      const cur = best.get(root);
      if (!cur || date < cur.date || (date === cur.date && proposal < cur.proposal)) best.set(root, { date, proposal });
    }
    const out: string[] = new Array(this.count);
    for (let i = 0; i < this.count; i++) out[i] = best.get(this.find(this.own[i]))!.proposal;
    return out;
  }

  private subjectFallback(opts: ThreadOptions): void {
    const me = new Set([...(opts.me ?? [])].map(normaliseAddress));
    const windowMs = (opts.subjectWindowDays ?? 60) * 86_400_000;
    const people = (i: number) => {
      const out: string[] = [];
      for (let k = this.peopleAt[i]; k < this.peopleAt[i + 1]; k++) {
        const a = this.addresses[this.people[k]];
        if (a && !me.has(a)) out.push(a);
      }
      return out;
    };
    const bySubject = new Map<string, number[]>();
    for (let i = 0; i < this.count; i++) {
      const key = baseSubject(this.subject[i]);
      if (!key || Number.isNaN(this.date[i])) continue;
      let list = bySubject.get(key);
      if (!list) bySubject.set(key, (list = []));
      list.push(i);
    }
    for (let i = 0; i < this.count; i++) {
      const date = this.date[i];
      if (this.hasRefs[i] || Number.isNaN(date) || !REPLY_PREFIX.test(this.subject[i])) continue;
      const candidates = bySubject.get(baseSubject(this.subject[i]));
      if (!candidates) continue;
      const mine = new Set(people(i));
      let pick = -1;
      for (const j of candidates) {
        const d = this.date[j];
        if (j === i || d > date || date - d > windowMs) continue;
        if (d === date && j > i) continue;
        if (!people(j).some((p) => mine.has(p))) continue;
        if (pick < 0 || d > this.date[pick] || (d === this.date[pick] && j > pick)) pick = j;
      }
      if (pick >= 0) this.union(this.own[i], this.own[pick]);
    }
  }

  private growMessages() {
    const cap = this.own.length * 2;
    this.own = grow(this.own, cap);
    this.date = grow(this.date, cap);
    this.hasRefs = grow(this.hasRefs, cap);
    this.peopleAt = grow(this.peopleAt, cap + 1);
  }

  private node(id: string): number {
    let n = this.ids.get(id);
    if (n === undefined) {
      n = this.nodes++;
      if (n === this.parent.length) this.parent = grow(this.parent, n * 2);
      this.parent[n] = n;
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

/** A typed array with room for at least `size` elements, the old ones copied in. */
export function grow<T extends Int32Array | Float64Array | Uint8Array>(a: T, size: number): T {
  const next = new (a.constructor as new (n: number) => T)(Math.max(size, a.length * 2));
  next.set(a);
  return next;
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
  method: "given" | "saved" | "sent-folder" | "participation" | "none";
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
export function inferOwnAddresses(tally: AddressTally, me?: readonly string[], known: readonly string[] = []): OwnAddresses {
  const given = (me ?? []).map(normaliseAddress).filter((a) => a.includes("@"));
  if (given.length > 0) return { addresses: [...new Set(given)], method: "given", detail: "from --me" };
  const inferred = inferFrom(tally);
  // Addresses Kept already knows (saved in settings, or found in a Sent folder before)
  // count only where this mailbox shows them: an address from another mailbox (the
  // sample's, say) says nothing about whose this one is.
  const saved = [...new Set(known.map(normaliseAddress).filter((a) => a.includes("@")))];
  const present = saved.filter((a) => tally.participation.has(a) || tally.sentFrom.has(a));
  if (present.length === 0) return inferred;
  // A Sent folder is evidence of its own; saved addresses join it. Over a guess from
  // who takes part, what the user told Kept wins.
  if (inferred.method === "sent-folder") return { ...inferred, addresses: [...new Set([...inferred.addresses, ...saved])] };
  return { addresses: saved, method: "saved", detail: "the addresses saved in Kept" };
}

function inferFrom(tally: AddressTally): OwnAddresses {
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
