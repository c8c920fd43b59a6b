// The two ports Kept drives: a calendar to hold follow-up events and a mailbox to
// send "no news yet" updates. Adapters (in-memory, ICS feed, Microsoft, Google)
// translate to and from their wire formats; nothing vendor-shaped crosses here.
import type { Counterpart, ProviderName } from "./model";

export interface AccountRef {
  id: string;
  provider: ProviderName;
  email: string | null;
}

export interface CalendarEventSpec {
  /** Deterministic idempotency key: creating twice with one key yields one event. */
  key: string;
  title: string;
  start: number; // epoch ms
  end: number;
  timeZone: string;
  description: string;
  descriptionHtml: string;
  /** Where to go to act on it: the thread, or Kept's page for the commitment. */
  url: string | null;
  /** Minutes before start to alert; null for none. */
  alarmMinutes: number | null;
  kind: "follow-up" | "check-in";
}

/**
 * An event as Kept plans it and its outbox keeps it: without the HTML description,
 * which the outbox makes from the text when it sends the event (half the row).
 */
export type PlannedEvent = Omit<CalendarEventSpec, "descriptionHtml">;

export interface CalendarProvider {
  /**
   * Its events are Kept's own rows (the iCalendar feed): creating one is naming it
   * (its key) and deleting one is marking it, so there is no call to make or retry.
   * The outbox records such operations done as they are written, in the same
   * transaction, instead of attempting them after.
   */
  readonly inline?: boolean;
  createEvent(account: AccountRef, event: CalendarEventSpec): Promise<{ eventId: string }>;
  /** Deleting an event that is already gone succeeds. */
  deleteEvent(account: AccountRef, eventId: string, key: string): Promise<void>;
}

export interface ReplySpec {
  key: string;
  threadId: string;
  inReplyToMessageId: string;
  to: Counterpart[];
  subject: string;
  bodyText: string;
  bodyHtml: string;
}

export interface MailProvider {
  sendReply(account: AccountRef, reply: ReplySpec): Promise<{ messageId: string; sentAt: number }>;
}

/**
 * What an adapter throws when the provider says no. `retryable` failures are
 * tried again by the outbox with backoff; `retryAfterMs` comes from the
 * provider's Retry-After where it gave one.
 */
export class ProviderError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly retryable: boolean,
    readonly retryAfterMs: number | null = null,
  ) {
    super(message);
    this.name = "ProviderError";
  }
}
