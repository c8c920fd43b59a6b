// In-memory calendar and mailbox that keep the real providers' rules: an
// idempotency key per created event (Graph's transactionId, Google's client
// event id), subject and body limits, per-account throttling with Retry-After,
// and injected failures, some of which happen after the provider did the work.
import { ProviderError, type AccountRef, type CalendarEventSpec, type CalendarProvider, type MailProvider, type ReplySpec } from "../../core/ports";

export interface FaultPlan {
  /** Probability that a call fails (0..1). */
  failRate?: number;
  /** Of the failures, the share that happen after the provider made the change (the response was lost). */
  lostResponseShare?: number;
  /** Calls allowed per account per window before 429. */
  rateLimit?: { calls: number; windowMs: number };
  latencyMs?: number;
  seed?: number;
  /** Calls the provider refuses for good (a 403 with this message), by operation. */
  refuse?: Partial<Record<"createEvent" | "deleteEvent" | "sendReply", string>>;
  /** The same, for the calls with these idempotency keys only (a reply's or an event's key). */
  refuseKeys?: Record<string, string>;
  /** Every call answered 429 with no Retry-After (a provider that says "slow down" and not for how long). */
  throttleWithoutRetryAfter?: boolean;
}

export interface StoredEvent extends CalendarEventSpec {
  eventId: string;
  accountId: string;
}

export interface SentReply extends ReplySpec {
  messageId: string;
  accountId: string;
  sentAt: number;
}

const TITLE_MAX = 255; // Graph's event subject limit
const BODY_MAX = 32_000;

/** A small deterministic PRNG so a failing test replays the same faults. */
function mulberry32(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class MemoryProvider implements CalendarProvider, MailProvider {
  readonly events = new Map<string, StoredEvent>();
  readonly replies: SentReply[] = [];
  calls = 0;
  failures = 0;
  private byKey = new Map<string, string>();
  private sentByKey = new Map<string, SentReply>();
  private windows = new Map<string, { start: number; count: number }>();
  private random: () => number;
  private nextId = 1;

  constructor(
    private faults: FaultPlan = {},
    private clock: () => number = Date.now,
  ) {
    this.random = mulberry32(faults.seed ?? 1);
  }

  setFaults(faults: FaultPlan) {
    this.faults = faults;
    this.random = mulberry32(faults.seed ?? 1);
  }

  eventsFor(accountId: string): StoredEvent[] {
    return [...this.events.values()].filter((e) => e.accountId === accountId).sort((a, b) => a.start - b.start);
  }

  async createEvent(account: AccountRef, event: CalendarEventSpec): Promise<{ eventId: string }> {
    return this.call(account, "createEvent", event.key, () => {
      if (event.title.length > TITLE_MAX) throw new ProviderError(`subject longer than ${TITLE_MAX} characters`, 400, false);
      if (event.description.length > BODY_MAX) throw new ProviderError("body too large", 400, false);
      if (!(event.end > event.start)) throw new ProviderError("end must be after start", 400, false);
      const existing = this.byKey.get(`${account.id}|${event.key}`);
      if (existing && this.events.has(existing)) return { eventId: existing };
      const eventId = `evt-${this.nextId++}`;
      this.events.set(eventId, { ...event, eventId, accountId: account.id });
      this.byKey.set(`${account.id}|${event.key}`, eventId);
      return { eventId };
    });
  }

  async deleteEvent(account: AccountRef, eventId: string, key?: string): Promise<void> {
    return this.call(account, "deleteEvent", key ?? eventId, () => {
      const e = this.events.get(eventId);
      if (e && e.accountId !== account.id) throw new ProviderError("not found", 404, false);
      this.events.delete(eventId); // already gone: the adapter treats the provider's 404 as done
    });
  }

  async sendReply(account: AccountRef, reply: ReplySpec): Promise<{ messageId: string; sentAt: number }> {
    return this.call(account, "sendReply", reply.key, () => {
      const key = `${account.id}|${reply.key}`;
      const earlier = this.sentByKey.get(key);
      if (earlier) return { messageId: earlier.messageId, sentAt: earlier.sentAt };
      if (reply.to.length === 0) throw new ProviderError("a reply needs a recipient", 400, false);
      const sent: SentReply = { ...reply, messageId: `msg-${this.nextId++}`, accountId: account.id, sentAt: this.clock() };
      this.replies.push(sent);
      this.sentByKey.set(key, sent);
      return { messageId: sent.messageId, sentAt: sent.sentAt };
    });
  }

  private async call<T>(account: AccountRef, op: keyof NonNullable<FaultPlan["refuse"]>, key: string, work: () => T): Promise<T> {
    this.calls++;
    if (this.faults.throttleWithoutRetryAfter) {
      this.failures++;
      throw new ProviderError("too many requests", 429, true, null);
    }
    if (this.faults.latencyMs) await new Promise((r) => setTimeout(r, this.faults.latencyMs));
    const limit = this.faults.rateLimit;
    if (limit) {
      const now = this.clock();
      const w = this.windows.get(account.id);
      if (!w || now - w.start >= limit.windowMs) this.windows.set(account.id, { start: now, count: 1 });
      else if (++w.count > limit.calls) {
        this.failures++;
        throw new ProviderError("too many requests", 429, true, w.start + limit.windowMs - now);
      }
    }
    const refusal = this.faults.refuse?.[op] ?? this.faults.refuseKeys?.[key];
    if (refusal) {
      this.failures++;
      throw new ProviderError(refusal, 403, false);
    }
    const rate = this.faults.failRate ?? 0;
    if (rate > 0 && this.random() < rate) {
      this.failures++;
      if (this.random() < (this.faults.lostResponseShare ?? 0.5)) {
        work(); // the provider did it; the answer never arrived
        throw new ProviderError("gateway timeout", 504, true);
      }
      throw new ProviderError("service unavailable", 503, true, 1_000);
    }
    return work();
  }
}
